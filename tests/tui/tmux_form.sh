#!/bin/sh
# The update form in a real terminal (tmux, on a private server): until
# something changes, the form says what to do for the field the cursor is
# on: type a progress on Progress, choose a status on Status.
set -u
: "${CONSORT:?CONSORT must name the built binary}"
: "${CONSORT_DATA:?CONSORT_DATA must point at data/}"
command -v tmux >/dev/null 2>&1 || { echo "SKIP: tmux is not installed"; exit 77; }

tmp=$(mktemp -d "${TMPDIR:-/tmp}/consort-tmuxform.XXXXXX") || exit 1
sock=consort-form-$$
T() { tmux -L "$sock" -f /dev/null "$@"; }
cleanup() { T kill-server >/dev/null 2>&1; rm -rf "$tmp"; }
trap cleanup EXIT
trap 'exit 1' INT TERM

HOME=$tmp
XDG_DATA_HOME=$tmp/data
CONSORT_TODAY=2017-04-15
LC_ALL=C.UTF-8
export HOME XDG_DATA_HOME CONSORT_TODAY LC_ALL CONSORT_DATA
unset CONSORT_PROJECT CONSORT_DB NO_COLOR
cd "$tmp" || exit 1
"$CONSORT" demo >/dev/null 2>&1 || { echo "FAIL: consort demo"; exit 1; }

fail=0
bad() { echo "FAIL: $*"; fail=1; }
screen() { T capture-pane -p -t consort; }
wait_for() {
	n=0
	while [ "$n" -lt "${2:-50}" ]; do
		screen 2>/dev/null | grep -qF -- "$1" && return 0
		sleep 0.1
		n=$((n + 1))
	done
	return 1
}
keys() { T send-keys -t consort "$@"; }

T new-session -d -s consort -x 120 -y 40 "$CONSORT" || { echo "FAIL: tmux new-session"; exit 1; }
wait_for "Work packages" 100 || { bad "the dashboard did not start"; screen; exit 1; }

# T1.1's form opens on Progress, with nothing changed yet.
keys 1
wait_for "T1.1" 20 || bad "pane 1 does not show the tasks"
keys j u
wait_for "Update T1.1" 20 || { bad "u did not open the form on T1.1"; screen; }
wait_for "type a new progress (0-100)" 20 || { bad "on Progress the form does not ask for a progress"; screen; }
screen | grep -qF "choose a new status (" && bad "on Progress the form asks to choose a status with the arrows"
keys BTab
wait_for "choose a new status (" 20 || { bad "on Status the form does not ask for a status"; screen; }
keys Tab Tab
wait_for "nothing changes yet" 20 || { bad "on Note the form does not say nothing changes"; screen; }
keys Escape
wait_for "cancelled" 20 || bad "Esc did not cancel the form"
keys q

[ "$fail" -eq 0 ] && echo "ok: the update form's hints"
exit "$fail"
