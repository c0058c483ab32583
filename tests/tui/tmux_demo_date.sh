#!/bin/sh
# The demo's one date rule in a real terminal (tmux): the demo is frozen at
# 2017-03-31, so its "today" key goes there (not to the real today, here
# 2017-04-15), and a write from the dialog is dated 2017-03-31 whatever date
# the dashboard was opened at.
. "$(dirname "$0")/lib.sh"
tui_demo tmuxdemodate
tui_tmux "$CONSORT --as-of 2016-12-31"
wait_for "Work packages" 100 || { bad "the dashboard did not start"; screen; exit 1; }
wait_for "2016-12-31" 20 || { bad "the dashboard is not at 2016-12-31"; screen; }

keys t
wait_for "today (the demo's date, 2017-03-31)" 20 || { bad "t does not say it went to the demo's date"; screen; }
screen | head -n 2 | grep -q "2017-03-31" || { bad "t does not show 2017-03-31"; screen; }
screen | head -n 2 | grep -q "2017-04-15" && bad "t shows the real today in the demo"

update_t11_open
wait_for "2017-03-31" 20 || bad "the dialog's date is not the demo's"
update_t11_write 90 "demo-date-test"
keys q
"$CONSORT" log T1.1 --json >"$tmp/log.json" 2>&1 || bad "consort log failed"
python3 -c 'import json, sys
es = [e for e in json.load(open(sys.argv[1])) if e.get("note") == "demo-date-test"]
sys.exit(0 if len(es) == 1 and es[0]["effective"] == "2017-03-31" else 1)' "$tmp/log.json" ||
	bad "the dialog's write is not dated 2017-03-31: $(grep -o '"effective": *"[^"]*"' "$tmp/log.json" | head -3)"

[ "$fail" -eq 0 ] && echo "ok: the demo's date rule in the dashboard"
exit "$fail"
