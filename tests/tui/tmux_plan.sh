#!/bin/sh
# The dashboard's time travel takes the plan of the date it shows: in the
# demo, whose plan was amended in M10 (D3.2 moved from M12 to M14), the
# deliverables pane shows D3.2 due M14 at the demo's date, and M12 once
# [ has gone back before the amendment; ] forward again shows M14. r
# reloads the plan from the log, never a definition file named beside it.
. "$(dirname "$0")/lib.sh"
tui_demo tmux

tui_demo_tmux
keys 2
wait_for "[2 Deliverables]" 20 || bad "key 2 did not show the deliverables"
d32() { screen | grep "D3.2" | head -1; }
wait_for "M14 (was M12) 2017-02-28" 20 || bad "D3.2 not due M14 (was M12) at the demo's date: $(d32)"
# Back from M15 to M6: before the amendment of M10.
for i in 1 2 3 4 5 6 7 8 9; do keys '['; sleep 0.1; done
wait_for "AS OF 2016-06-30" 30 || bad "[ did not go back to 2016-06-30: $(screen | head -1)"
n=0; until d32 | grep -q "M12 2016-12-31" || [ "$n" -ge 30 ]; do sleep 0.1; n=$((n + 1)); done
d32 | grep -q "M12 2016-12-31" || bad "D3.2 not due M12 as of 2016-06-30: $(d32)"
d32 | grep -q "M14" && bad "D3.2 still due M14 as of 2016-06-30"
for i in 1 2 3 4; do keys ']'; sleep 0.1; done
wait_for "AS OF 2016-10-31" 30 || bad "] did not go forward to 2016-10-31: $(screen | head -1)"
wait_for "M14 (was M12) 2017-02-28" 30 || bad "D3.2 not due M14 (was M12) after the amendment: $(d32)"
keys q
n=0
while [ "$(T display-message -p -t consort '#{pane_dead}' 2>/dev/null)" != 1 ] && [ "$n" -lt 50 ]; do
	sleep 0.1
	n=$((n + 1))
done
[ "$(cat "$tmp/exit" 2>/dev/null)" = 0 ] || bad "the dashboard did not exit 0"

# r reloads the plan from the log, never a definition file given beside
# it: a file with D3.2 due in M20 changes nothing.
sed 's/^    due: 14$/    due: 20/' "$CONSORT_DATA/5forexcellence.yaml" >"$tmp/forged.yaml"
grep -q "due: 20" "$tmp/forged.yaml" || bad "the forged file was not made"
sed -i "s|^'$CONSORT'\$|'$CONSORT' --project '$tmp/forged.yaml' --db '$tmp/data/consort/demo.db'|" "$tmp/run.sh"
grep -q forged.yaml "$tmp/run.sh" || bad "run.sh not changed"
rm -f "$tmp/exit"
T kill-server >/dev/null 2>&1
tui_tmux "$tmp/run.sh"
wait_for "Work packages" 100 || { bad "the dashboard did not start again"; screen; exit 1; }
keys 2
wait_for "[2 Deliverables]" 20 || bad "key 2 again"
keys r
wait_for "plan reloaded from the log" 30 || bad "r did not say it reloaded the log's plan: $(screen | tail -2)"
d32 | grep -q "M14 (was M12) 2017-02-28" || bad "after r, D3.2 not due M14 (was M12): $(d32)"
d32 | grep -q "M20" && bad "after r, the file's M20 is shown: $(d32)"
keys q
[ "$fail" -eq 0 ] && echo "ok: the dashboard's time travel uses the plan of its date"
exit "$fail"
