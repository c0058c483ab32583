#!/bin/sh
# The baseline and amend keys in a real terminal (tmux): p turns the
# baseline view on and off (the header and the timeline say so in words),
# P moves to the next version; with the definition file edited the header
# says it differs from the plan in force, and A shows a coordinator the
# changes and, after a second A, asks for the note and records the
# amendment through the write path (consort plan lists it); a partner's A
# only says that a coordinator amends the plan, and writes nothing.
. "$(dirname "$0")/lib.sh"
tui_demo tmux-baseline
login=$(id -un)

# plan_log DIR PARTNER: a log in DIR of the first plan (amended to the
# demo's definition when LOGIN is the coordinator's), LOGIN a user of
# PARTNER; then the file edited.
plan_log() {
	mkdir "$1" && (
		cd "$1" || exit 1
		tui_first_plan "$login" "$2" >consort.yaml
		"$CONSORT" init >out 2>&1 || { cat out; exit 1; }
		[ "$2" != LITC ] ||
			{ tui_plan "$login" "$2" >consort.yaml &&
			  "$CONSORT" amend consort.yaml --date 2016-10-15 --note "D3.2 moved" >out 2>&1; } ||
			{ cat out; exit 1; }
		sed 's/^    title: Final report$/    title: Final report and outlook/' consort.yaml >edited &&
			mv edited consort.yaml
	)
}
run_in() {
	cat >"$tmp/run.sh" <<EOS
#!/bin/sh
HOME='$tmp' CONSORT_TODAY=2017-04-15 LC_ALL=C.UTF-8 TZ=UTC
export HOME CONSORT_TODAY LC_ALL TZ
unset CONSORT_PROJECT CONSORT_DB NO_COLOR
cd '$1'
'$CONSORT' 2>/dev/null
echo \$? >'$1/exit'
EOS
	chmod +x "$tmp/run.sh"
}

if [ "$(id -u)" -ne 0 ]; then
	# Only root (or the plan's coordinator) creates a log whose first plan
	# makes this login a partner's user.
	echo "SKIP: the partner's log needs root to create"; exit 77
fi
plan_log "$tmp/c" LITC || { echo "FAIL: the coordinator's log"; exit 1; }
plan_log "$tmp/p" NETPORT || { echo "FAIL: the partner's log"; exit 1; }

# The coordinator.
run_in "$tmp/c"
tui_tmux "$tmp/run.sh"
T set-option -t consort remain-on-exit on >/dev/null
wait_for "Work packages" 100 || { bad "the dashboard did not start"; screen; exit 1; }
wait_for "consort.yaml differs from the plan (v2)" 20 || bad "the header must say the file differs"
keys 5
wait_for "[5 Timeline]" 20 || bad "no timeline"
screen | grep -q "was M6-M13" && bad "the ghost must wait for the baseline view"
keys p
wait_for "baseline v1 (as signed)" 20 || bad "p must name the baseline in the header"
wait_for "2 moved, 1 new, 1 removed" 20 || { bad "p must say what moved"; screen; }
keys 2
wait_for "D3.9" 20 || bad "the baseline view must list the removed D3.9"
screen | grep -q "M18 (removed)" || bad "D3.9 must say removed"
keys P
wait_for "baseline v2" 20 || bad "P must move to version 2"
keys p
wait_for "baseline view off" 20 || bad "p again must turn the view off"
screen | grep -q "D3.9" && bad "the view off must not list D3.9"
screen | grep -q "M14 (was M12)" || bad "the view off must still mark D3.2's move"
keys A
wait_for "change against the plan in force (v2)" 20 || { bad "A must show the coordinator the changes"; screen; }
screen | grep -q "deliverable D1.3  title Final report -> Final report and outlook" ||
	{ bad "the changes must say what the file changes"; screen; }
keys A
wait_for "Record the definition file as an amendment" 20 || { bad "a second A must ask for the note"; screen; }
keys "Final report renamed"
keys Enter
wait_for "recorded the amendment" 30 || { bad "the amendment must be recorded"; screen; }
screen | grep -q "differs from the plan" && bad "after the amendment the file is the plan"
keys q
(cd "$tmp/c" && "$CONSORT" plan 2>&1) >"$tmp/plan.out"
grep -q "version 3 .* by $login  Final report renamed" "$tmp/plan.out" ||
	{ bad "consort plan must list version 3 with its note"; cat "$tmp/plan.out"; }
T kill-server >/dev/null 2>&1

# The partner sees the difference but cannot amend.
run_in "$tmp/p"
tui_tmux "$tmp/run.sh"
wait_for "Work packages" 100 || { bad "the partner's dashboard did not start"; screen; exit 1; }
wait_for "consort.yaml differs from the plan (v1)" 20 || bad "the partner must see the file differs"
keys A
wait_for "only a coordinator amends the plan" 20 || { bad "A must refuse a partner"; screen; }
screen | grep -q "against the plan in force" && bad "a partner must not get the changes view"
keys q
(cd "$tmp/p" && "$CONSORT" plan 2>&1) >"$tmp/plan.out"
grep -q "version 2" "$tmp/plan.out" && bad "the partner's A must write nothing"

[ "$fail" -eq 0 ] && echo "ok: baseline and amend keys"
exit "$fail"
