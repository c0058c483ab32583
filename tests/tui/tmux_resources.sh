#!/bin/sh
# Pane 7 (Resources): at 80 columns no total is cut; in a real terminal
# (tmux), Enter opens the details of a partner x the selected WP, f
# filters it to a partner's row (the totals row says they are
# the partner's); e and $ record an effort and a cost for the selected
# partner and WP through the write path, and the log holds exactly those
# entries with the partner, WP and values typed; a partner's user cannot
# record for another partner (refused in the form, nothing written).
. "$(dirname "$0")/lib.sh"
tui_demo tmux-resources
login=$(id -un)
for tool in jq sqlite3; do
	command -v "$tool" >/dev/null 2>&1 || { echo "SKIP: $tool is not installed"; exit 77; }
done
# At 80 columns every WP's total fits: no number is cut.
"$CONSORT" snapshot --as-of 2017-03-31 --size 80x24 --pane resources >"$tmp/narrow" 2>&1 ||
	bad "snapshot at 80x24: $(cat "$tmp/narrow")"
grep -q "^  Total  " "$tmp/narrow" || bad "no totals row at 80x24"
grep "^  Total  " "$tmp/narrow" | grep -q "…" && bad "the totals row is cut at 80x24: $(grep "^  Total" "$tmp/narrow")"
last=$("$CONSORT" log --json | jq 'map(.id) | max')
[ -n "$last" ] || { bad "consort log --json of the demo"; exit 1; }
tui_tmux "$CONSORT"
wait_for "Work packages" 100 || { bad "the dashboard did not start"; screen; exit 1; }

keys 7
wait_for "over on WP3" 20 || { bad "pane 7 does not show NETPORT's deviation"; screen; }
# The first partner filter: LITC's row only, and the totals say so.
keys f
wait_for "[filter LITC]" 20 || { bad "f did not filter on LITC"; screen; }
wait_for "LITC only" 20 || { bad "the totals row does not say it is LITC's"; screen; }
screen | grep -q "^  NETPORT " && bad "the LITC filter still shows NETPORT's row"
screen | grep -q "over on WP3" && bad "the LITC filter still shows NETPORT's flag"
keys Escape
wait_for "filter cleared" 20 || bad "Esc did not clear the filter"
wait_for "over on WP3" 20 || { bad "without the filter NETPORT's row is gone"; screen; }

# Enter on NETPORT (the second row) with WP3 picked (two to the right):
# derive's row in words, the months with the note that counts, the
# partner's costs, and the history of its entries.
keys j Right Right Enter
wait_for "NETPORT on WP3" 20 || { bad "Enter did not open NETPORT x WP3's details"; screen; }
for want in "planned 4.00" "spent to date 4.54 (114%)" "expected 3.20" "projected 5.68" \
	"deviation +42% against expected: over" "M9   2016-09   0.47" "Study visit to Karlshamn" \
	"Costs by category" "travel" "History ("; do
	screen | grep -qF -- "$want" || bad "the details do not say: $want"
done
keys Escape
wait_for "over on WP3" 20 || { bad "Esc did not close the details"; screen; }

# NETPORT on WP3 still selected: 1.25 PM in 2017-03.
keys e
wait_for "Record person-months spent" 20 || { bad "e did not open the effort dialog"; screen; }
wait_for "◂ WP3 ▸" 20 || { bad "the effort dialog is not on the selected WP3"; screen; }
wait_for "◂ NETPORT ▸" 20 || { bad "the effort dialog is not on the selected NETPORT"; screen; }
keys -l "1.25"
keys Enter
wait_for "recorded #" 30 || { bad "the effort dialog did not record"; screen; }
# A travel cost of 312.40 on WP3 for NETPORT: the category is the third.
keys '$'
wait_for "Record a cost" 20 || { bad "\$ did not open the cost dialog"; screen; }
keys BTab Right Right Tab
keys -l "312.40"
keys Enter
wait_for "recorded #" 30 || { bad "the cost dialog did not record"; screen; }
keys q
sleep 0.5

# What the dialogs wrote: every entry after the demo's, by this login.
"$CONSORT" log --json >"$tmp/log.json" 2>"$tmp/err" || bad "consort log: $(cat "$tmp/err")"
got=$(jq -r --argjson last "$last" --arg login "$login" '[.[] | select(.id > $last)] | sort_by(.id) | .[] |
	"\(.partner) \(.item) \(.kind) \(.value) \(.login == $login)"' "$tmp/log.json")
want="NETPORT WP3 effort 2017-03:1.25 true
NETPORT travel cost 312.40:WP3 true"
[ "$got" = "$want" ] || bad "the log holds: [$got], not: [$want]"

# A partner's user (this login made NETPORT's) opens on mine, and the
# effort dialog refuses another partner in the form: nothing is written.
if [ "$(id -u)" -ne 0 ]; then
	# Only root (or the plan's coordinator) creates a log whose plan makes
	# this login a partner's user.
	[ "$fail" -eq 0 ] || exit 1
	echo "SKIP: the partner's log needs root to create"; exit 77
fi
T kill-server >/dev/null 2>&1
mkdir "$tmp/p" && cd "$tmp/p" || exit 1
tui_plan "$login" NETPORT >consort.yaml
"$CONSORT" init >out 2>&1 || { bad "the partner's log: $(cat out)"; exit 1; }
before=$(sqlite3 -readonly consort.db 'select count(*) from log;')
[ -n "$before" ] || { bad "sqlite3 cannot read the partner's log"; exit 1; }
tui_tmux "$CONSORT"
wait_for "[mine: NETPORT]" 100 || { bad "the partner's dashboard did not open on mine"; screen; exit 1; }
keys 7
wait_for "NETPORT only" 20 || { bad "pane 7 of a partner's user is not NETPORT's"; screen; }
keys e
wait_for "Record person-months spent" 20 || { bad "e did not open the effort dialog"; screen; }
wait_for "◂ NETPORT ▸" 20 || { bad "the partner's effort dialog is not on NETPORT"; screen; }
keys -l "1.00"
keys Tab Right
wait_for "may record effort only for NETPORT, not for ITL" 20 ||
	{ bad "the form does not refuse recording for ITL"; screen; }
keys Enter
sleep 0.5
screen | grep -qF "recorded #" && bad "the dialog recorded for another partner"
keys Escape q
sleep 0.5
after=$(sqlite3 -readonly consort.db 'select count(*) from log;')
[ "$after" = "$before" ] || bad "a refused effort wrote to the log ($before entries, then $after)"

[ "$fail" -eq 0 ] && echo "ok: pane 7's details, filter and its effort and cost dialogs"
exit "$fail"
