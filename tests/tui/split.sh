#!/bin/sh
# A distinct target's split by partner adds up to more than its total when a
# value is credited to more than one partner (the demo credits one Member
# State to two): where the split is shown it says so, shorter on a narrow
# screen and never cut mid-word; JSON gives the excess.
. "$(dirname "$0")/lib.sh"
tui_demo split

"$CONSORT" snapshot --size 120x40 --pane reach >"$tmp/wide" 2>&1 || bad "snapshot 120x40"
grep -qF "the split counts 1 value for more than one partner; the total counts each once" "$tmp/wide" ||
	bad "the wide reach pane does not say the split counts a value twice: $(grep -A1 'by partner LITC 3' "$tmp/wide")"
[ "$(grep -c 'for more than one partner' "$tmp/wide")" = 1 ] || bad "the note is on other targets too"
"$CONSORT" snapshot --size 80x24 --pane reach >"$tmp/narrow" 2>&1 || bad "snapshot 80x24"
grep -qF "1 value counted for more than one partner" "$tmp/narrow" ||
	bad "the narrow reach pane: $(grep -A1 'by partner LITC 3' "$tmp/narrow")"
grep 'more than one\|counted\|the split' "$tmp/narrow" | grep -q '…' && bad "the note is cut"
"$CONSORT" snapshot --size 80x24 --pane details:member-states >"$tmp/det" 2>&1 || bad "details"
tr -s ' \n' ' ' <"$tmp/det" | grep -qF "the split counts 1 value for more than one partner; the total counts each once" ||
	bad "the details do not say it: $(grep -A2 'by partner' "$tmp/det")"
"$CONSORT" snapshot --size 80x24 --pane details:sme-members >"$tmp/det2" 2>&1 || bad "details of a count"
grep -q "more than one partner" "$tmp/det2" && bad "a count target's details speak of a split counted twice"

if command -v python3 >/dev/null 2>&1; then
	"$CONSORT" status --json >"$tmp/json" 2>&1 || bad "status --json"
	python3 -c 'import json, sys
t = {x["id"]: x for x in json.load(open(sys.argv[1]))["targets"]}
m = t["member-states"]
ok = m["split_excess"] == 1 == sum(m["by_partner"].values()) - m["total"] and t["sme-members"]["split_excess"] == 0
sys.exit(0 if ok else 1)' "$tmp/json" || bad "JSON split_excess"
fi

[ "$fail" -eq 0 ] && echo "ok: a split that counts a value twice says so"
exit "$fail"
