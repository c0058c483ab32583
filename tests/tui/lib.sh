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
