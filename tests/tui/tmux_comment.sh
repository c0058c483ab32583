#!/bin/sh
# In a real terminal (tmux, on a private server): c opens a comment form on
# the selected item and Enter writes a note; a user the plan does not list
# sees why the dashboard is read-only, and u opens no form.
. "$(dirname "$0")/lib.sh"
tui_demo tmuxcomment
tui_tmux "$CONSORT"
wait_for "Work packages" 100 || { bad "the dashboard did not start"; screen; exit 1; }
keys 1
wait_for "T1.1" 20 || bad "pane 1 does not show the tasks"
keys j c
wait_for "Comment on T1.1" 20 || { bad "c did not open the comment form on T1.1"; screen; }
keys -l "steering group moved to May"
keys Enter
wait_for "recorded #" 30 || { bad "Enter did not write the comment"; screen; }
keys q
sleep 0.3
"$CONSORT" log T1.1 --json >"$tmp/log.json" 2>"$tmp/log.err" || bad "log after the comment: $(cat "$tmp/log.err")"
grep -q '"kind": "note"' "$tmp/log.json" && grep -q 'steering group moved to May' "$tmp/log.json" ||
	bad "the comment is not a note in the log: $(head -c 400 "$tmp/log.json")"
T kill-server >/dev/null 2>&1

# A read-only user: the footer says why, u does nothing but say it.
# Its log is made from a definition that does not list this user: the
# log's plan says who is who.
fixture "$tmp/ro" "cst_coord_elsewhere"
"$CONSORT" --project "$tmp/ro/proj.yaml" --db "$tmp/ro.db" init >/dev/null || { bad "init"; exit 1; }
sock=consort-test-ro-$$
T new-session -d -s consort -x 120 -y 40 "$CONSORT --project $tmp/ro/proj.yaml --db $tmp/ro.db" ||
	{ bad "tmux new-session"; exit 1; }
wait_for "is not listed in the plan" 100 || { bad "the read-only footer gives no reason"; screen; }
screen | grep -q "u update" && bad "the read-only footer offers u update"
keys j u
sleep 0.3
screen | grep -q "Update T" && bad "u opened a form for a read-only user"
keys q
[ "$fail" -eq 0 ] && echo "ok: the comment key and the read-only dashboard"
exit "$fail"
