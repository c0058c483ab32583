#!/bin/sh
# An idle dashboard waits without waking: in three seconds with nothing
# typed and nothing written it makes no system call at all (strace on its
# process), and a partner's record from another terminal still shows
# within two seconds: the log's changes wake it, not a clock.
. "$(dirname "$0")/lib.sh"
have strace || { echo "SKIP: strace absent"; exit 77; }
tui_demo tmuxidle
tui_tmux "$CONSORT"
wait_for "Work packages" 100 || { bad "the dashboard did not start"; screen; exit 1; }
keys 6
wait_for "[6 Activity]" 20 || bad "pane 6 is not the activity"
sleep 0.5
pid=$(T list-panes -t consort -F '#{pane_pid}')
[ -n "$pid" ] || { bad "no pane process"; exit 1; }
# strace may be refused (ptrace restricted, no capability): a skip, said so.
timeout 3 strace -f -qq -o "$tmp/idle.trace" -p "$pid" 2>"$tmp/strace.err"
if grep -q "ptrace" "$tmp/strace.err"; then
	echo "SKIP: strace cannot attach: $(head -1 "$tmp/strace.err")"; exit 77
fi
[ -f "$tmp/idle.trace" ] || { bad "strace wrote no trace: $(cat "$tmp/strace.err")"; exit 1; }
# What strace itself causes on attach and detach is the interrupted wait.
calls=$(grep -v -e 'restart_syscall' -e '^+++' -e '^---' -e 'resumed>' "$tmp/idle.trace" | wc -l)
[ "$calls" -eq 0 ] || { bad "$calls system calls in 3 idle seconds:"; head -20 "$tmp/idle.trace"; }

"$CONSORT" record sme-members +3 --partner LITC --note idle-wake >/dev/null 2>&1 || bad "consort record"
wait_for "idle-wake" 20 || { bad "the record did not show within 2 s"; screen; }
exit $fail
