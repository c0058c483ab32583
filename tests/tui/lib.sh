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
