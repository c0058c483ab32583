# Helpers for the dashboard's shell tests. Source it from a test script:
#   . "$(dirname "$0")/lib.sh"
# tui_demo NAME makes a private demo to run against; tui_tmux starts the
# dashboard on a private tmux server, driven with keys and read with screen.
# Exit status of a test: 0 pass, 1 fail, 77 skip (only when a tool is absent).
. "$(dirname "$0")/../lib.sh"

fail=0
bad() { echo "FAIL: $*"; fail=1; }

tmp=$T
sock=
tui_cleanup() {
	[ -z "$sock" ] || T kill-server >/dev/null 2>&1
}
cleanup_hooks="$cleanup_hooks tui_cleanup"

# tui_demo NAME: the scratch directory $tmp (tests/lib.sh's, removed on
# exit) holds HOME, the data directory and the demo log; today is
# 2017-04-15; the test runs there (no ./consort.yaml can be picked up).
tui_demo() {
	HOME=$tmp
	XDG_DATA_HOME=$tmp/data
	CONSORT_TODAY=2017-04-15
	LC_ALL=C.UTF-8
	TZ=UTC
	export HOME XDG_DATA_HOME CONSORT_TODAY LC_ALL TZ CONSORT_DATA
	unset CONSORT_PROJECT CONSORT_DB NO_COLOR
	cd "$tmp" || exit 1
	if ! "$CONSORT" demo >"$tmp/demo.out" 2>&1; then
		echo "FAIL: consort demo"; cat "$tmp/demo.out"; exit 1
	fi
}

# The private tmux server (tui_tmux needs tmux; a test without it skips).
T() { tmux -L "$sock" -f /dev/null "$@"; }
screen() { T capture-pane -p -t consort; }
keys() { T send-keys -t consort "$@"; }
# wait_for TEXT [TENTHS]: poll the screen until TEXT shows.
wait_for() {
	n=0
	while [ "$n" -lt "${2:-50}" ]; do
		screen 2>/dev/null | grep -qF -- "$1" && return 0
		sleep 0.1
		n=$((n + 1))
	done
	return 1
}

# tui_tmux COMMAND: COMMAND (the dashboard) in a 120x40 session "consort".
tui_tmux() {
	command -v tmux >/dev/null 2>&1 || { echo "SKIP: tmux is not installed"; exit 77; }
	sock=consort-test-$$
	T new-session -d -s consort -x 120 -y 40 "$1" || { echo "FAIL: tmux new-session"; exit 1; }
}

# update_t11 PROGRESS NOTE: from pane 1, T1.1's update form typed and
# written: the progress (two digits) and the note. A check of the form
# before Enter may go in between: call update_t11_open, check, then
# update_t11_write PROGRESS NOTE.
update_t11_open() {
	keys 1
	wait_for "T1.1" 20 || bad "pane 1 does not show the tasks"
	keys j u
	wait_for "Update T1.1" 20 || { bad "u did not open the dialog on T1.1"; screen; }
}
update_t11_write() {
	keys BSpace BSpace BSpace
	keys "$(printf %.1s "$1")" "${1#?}" Tab
	keys -l "$2"
	wait_for "ok: Enter writes" 20 || { bad "the dialog does not accept $1%"; screen; }
	keys Enter
	wait_for "recorded #" 30 || { bad "the dialog did not record"; screen; }
}
update_t11() { update_t11_open && update_t11_write "$@"; }

# The demo's definition as a first plan it was amended from (stdout): D3.2
# due in M12, T3.2 ending in M13, without T3.4 and with a deliverable D3.9
# that the amendment removed; LOGIN (the first argument) added to the users
# of the partner named second (LITC, the coordinator, by default).
tui_first_plan() {
	awk -v login="$1" -v partner="${2:-LITC}" '
		/^      - id: T3.4$/ { skip = 6 }
		skip > 0 { skip--; next }
		/^  - id: D3.2$/ {
			print "  - id: D3.9"; print "    title: Handbook for cluster managers"
			print "    wp: WP3"; print "    lead: NETPORT"; print "    due: 18"; d32 = 1
		}
		d32 && /^    due: 14$/ { sub(/14/, "12"); d32 = 0 }
		/^      - id: T3.2$/ { t32 = 1 }
		t32 && /^        end: 15$/ { sub(/15/, "13"); t32 = 0 }
		$0 ~ "^  - id: " partner "$" { mine = 1 }
		mine && /^    users: \[/ { sub(/\]$/, ", " login "]"); mine = 0 }
		{ print }' "$CONSORT_DATA/5forexcellence.yaml"
}
# The demo's definition with LOGIN added to the partner's users, as above.
tui_plan() {
	awk -v login="$1" -v partner="${2:-LITC}" '
		$0 ~ "^  - id: " partner "$" { mine = 1 }
		mine && /^    users: \[/ { sub(/\]$/, ", " login "]"); mine = 0 }
		{ print }' "$CONSORT_DATA/5forexcellence.yaml"
}

# The identity block of a golden screen: "LOGIN · PARTNER · role  log 14:03"
# (or a date), right-aligned on the header or over the rule: kept, without
# what varies with who runs the test and when.
tui_normalise() {
	login=$(id -un)
	# The log's head in the details hashes the demo's first entry, by its
	# creator: its eight digits become "########".
	sed -E \
	    -e "s/log head [0-9a-f]{8}/log head ########/" \
	    -e "s/^─+ $login (·|-) ([^ ]+ (·|-) [a-z-]+|read-only)  log ([0-9][0-9]:[0-9][0-9]|[0-9]{4}-[0-9]{2}-[0-9]{2}|empty) ─\$/──── USER \\1 \\2  log HH:MM ─/" \
	    -e "s/ {2,}$login (·|-) ([^ ]+ (·|-) [a-z-]+|read-only)  log ([0-9][0-9]:[0-9][0-9]|[0-9]{4}-[0-9]{2}-[0-9]{2}|empty)\$/  USER \\1 \\2  log HH:MM/"
}

# tui_demo_tmux: the demo's dashboard (after tui_demo) in the tmux session,
# kept on screen when it exits (its exit status in $tmp/exit), once it has
# drawn its first pane.
tui_demo_tmux() {
	cat >"$tmp/run.sh" <<EOF
#!/bin/sh
HOME='$tmp' XDG_DATA_HOME='$tmp/data' CONSORT_TODAY=2017-04-15 LC_ALL=C.UTF-8 CONSORT_DATA='$CONSORT_DATA'
export HOME XDG_DATA_HOME CONSORT_TODAY LC_ALL CONSORT_DATA
unset CONSORT_PROJECT CONSORT_DB NO_COLOR
cd '$tmp'
'$CONSORT'
echo \$? >'$tmp/exit'
EOF
	chmod +x "$tmp/run.sh"
	tui_tmux "$tmp/run.sh"
	T set-option -t consort remain-on-exit on >/dev/null
	wait_for "Work packages" 100 || { bad "the dashboard did not start"; screen; exit 1; }
}
