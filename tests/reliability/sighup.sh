#!/bin/sh
# The SSH link drops while an update dialog is half filled in: SIGHUP. The
# dashboard exits, writes nothing, leaves the log intact and the terminal
# as it found it (normal screen, canonical mode, echo, cursor, no mouse).
# Runs the real dashboard in tmux on a private server.
. "$(dirname "$0")/../lib.sh"

have tmux || skip "tmux absent"
have sqlite3 || skip "sqlite3 shell absent"

me=$(id -un)
P=$T/p
fixture "$P" "$me"
PROJ=$P/proj.yaml
DB=$P/proj.db
run --project "$PROJ" init
expect_rc 0 "init"
run --project "$PROJ" update T1.1 --progress 10 --note "before"
expect_rc 0 "a first entry"
N=$(count_entries "$DB")

SOCK=consort-rel-$$
tm() { tmux -L "$SOCK" -f /dev/null "$@"; }
tm_kill() { tm kill-server >/dev/null 2>&1; }
cleanup_hooks="tm_kill $cleanup_hooks"

# The dashboard starts from a small script so that its pid is known and
# its environment is the test's, not the tmux server's.
cat >"$T/dash.sh" <<EOF
export HOME='$HOME' XDG_DATA_HOME='$XDG_DATA_HOME' CONSORT_TODAY='$CONSORT_TODAY'
export LC_ALL='$LC_ALL' TERM=screen
unset NO_COLOR
echo \$\$ >'$T/dash.pid'
exec '$CONSORT' --project '$PROJ'
EOF
tm new-session -d -s t -x 120 -y 40 "sh" || { fail "tmux new-session"; finish; }
tty=$(tm display-message -p -t t '#{pane_tty}')
stty -F "$tty" -a >"$T/stty.before" 2>/dev/null
tm send-keys -t t "sh $T/dash.sh" Enter

# wait_for TEXT SECONDS, wait_re REGEX SECONDS: until the pane shows TEXT
# (or a line matching REGEX).
wait_grep() {
	wf_i=0
	while [ "$wf_i" -lt $(($3 * 10)) ]; do
		tm capture-pane -p -t t >"$T/screen" 2>/dev/null
		grep -q "$1" -- "$2" "$T/screen" && return 0
		sleep 0.1
		wf_i=$((wf_i + 1))
	done
	return 1
}
wait_for() { wait_grep -F "$1" "$2"; }
wait_re() { wait_grep -G "$1" "$2"; }

if wait_for "WP1" 10 && [ -s "$T/dash.pid" ]; then
	pass "the dashboard is up"
else
	fail "the dashboard did not show WP1: $(head -c 600 "$T/screen")"
	finish
fi
pid=$(cat "$T/dash.pid")
[ "$(tm display-message -p -t t '#{alternate_on}')" = 1 ] && pass "the dashboard uses the alternate screen" ||
	echo "note: the dashboard does not use the alternate screen"

# Pane 1, select T1.1 (opening WP1 first when its tasks are folded), u for
# the update dialog, type part of a value.
tm send-keys -t t 1
sleep 0.2
tm send-keys -t t g
sleep 0.2
tm capture-pane -p -t t >"$T/screen"
if ! grep -q '^ *T1\.1 ' "$T/screen"; then
	tm send-keys -t t Enter
	wait_for "T1.1" 5 || fail "Enter on WP1 did not show its task T1.1"
fi
tm send-keys -t t j
wait_re '▶.*T1\.1\|>.*T1\.1' 10 && pass "T1.1 is selected" ||
	fail "T1.1 is not the selected row: $(head -c 800 "$T/screen")"
tm capture-pane -p -t t >"$T/screen.before-u"
tm send-keys -t t u
wait_for "Update T1.1" 10
tm capture-pane -p -t t >"$T/screen.dialog"
if cmp -s "$T/screen.before-u" "$T/screen.dialog"; then
	fail "u on T1.1 changed nothing on the screen"
else
	pass "u opened something on T1.1"
fi
if grep -qi "update\|status\|progress" "$T/screen.dialog" && grep -q "T1\.1" "$T/screen.dialog" &&
	! grep -q "moves with its tasks" "$T/screen.dialog"; then
	pass "the update dialog for T1.1 is shown"
else
	fail "no update dialog for T1.1: $(cat "$T/screen.dialog")"
fi
tm send-keys -t t -l "4"
sleep 0.1
tm send-keys -t t -l "2"
wait_for "42" 10 || fail "the typed value 42 does not show in the dialog"

kill -0 "$pid" 2>/dev/null && pass "the dashboard is still running with the dialog open" ||
	fail "the dashboard died before SIGHUP"
kill -HUP "$pid"
i=0
while kill -0 "$pid" 2>/dev/null && [ "$i" -lt 50 ]; do sleep 0.1; i=$((i + 1)); done
if kill -0 "$pid" 2>/dev/null; then
	fail "the dashboard is still running 5 s after SIGHUP"
	kill -KILL "$pid" 2>/dev/null
else
	pass "the dashboard exited on SIGHUP"
fi
sleep 0.3

# The terminal is back: the shell in the pane, the normal screen, and the
# line discipline as before.
cmd=$(tm display-message -p -t t '#{pane_current_command}' 2>/dev/null)
[ "$cmd" = sh ] && pass "the pane is back at the shell" || fail "the pane runs '$cmd', not the shell"
[ "$(tm display-message -p -t t '#{alternate_on}')" = 0 ] && pass "the normal screen is back" ||
	fail "the terminal is still on the alternate screen"
[ "$(tm display-message -p -t t '#{cursor_flag}')" = 1 ] && pass "the cursor is visible" ||
	fail "the cursor is still hidden"
[ "$(tm display-message -p -t t '#{mouse_any_flag}')" = 0 ] && pass "mouse reporting is off" ||
	fail "mouse reporting is still on"
[ "$(tm display-message -p -t t '#{keypad_cursor_flag}')" = 0 ] && pass "cursor keys are back in normal mode" ||
	fail "cursor keys still in application mode"
if stty -F "$tty" -a >"$T/stty.after" 2>/dev/null; then
	if grep -qw -- '-icanon' "$T/stty.after" || grep -qw -- '-echo' "$T/stty.after"; then
		fail "the terminal was left raw: $(grep -o -- '-icanon\|-echo ' "$T/stty.after" | tr '\n' ' ')"
	else
		pass "canonical mode and echo are back"
	fi
	# The shell may set its own modes; the settings that matter compare.
	for m in icanon echo isig icrnl opost; do
		b=$(tr ' ;' '\n\n' <"$T/stty.before" | grep -x -- "-\{0,1\}$m")
		a=$(tr ' ;' '\n\n' <"$T/stty.after" | grep -x -- "-\{0,1\}$m")
		[ "$a" = "$b" ] || fail "terminal mode $m: '$b' before, '$a' after"
	done
else
	echo "note: stty cannot read $tty; line discipline not compared"
fi
# The shell still answers.
tm send-keys -t t "echo alive-\$((40+2))" Enter
wait_for "alive-42" 5 && pass "the shell answers after the dashboard" ||
	fail "the shell does not answer: $(head -c 400 "$T/screen")"

n=$(count_entries "$DB")
[ "$n" = "$N" ] && pass "nothing was written ($N entries)" || fail "the log holds $n entries, expected $N"
integrity "$DB" "after SIGHUP"
[ ! -e "$DB-wal" ] || [ ! -s "$DB-wal" ] || {
	# A leftover WAL is harmless, but its content must not be a commit.
	n2=$(count_entries "$DB")
	[ "$n2" = "$N" ] || fail "a WAL left behind holds entries"
}
finish
