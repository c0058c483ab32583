#!/bin/sh
# The benchmark says what each cluster's goal label needs, not the top
# label's: VIDZEME aims at silver (17 of 31 indicators, 53.3% rounded up)
# and has 12 as of 2017-03-31. Its details list every indicator's latest
# value against its threshold, in words beside the colour.
. "$(dirname "$0")/lib.sh"
tui_demo benchgoal

# has FILE TEXT WHAT
has() {
	if grep -qF -- "$2" "$1"; then :; else bad "$3: no '$2' in: $(grep -F "${4:-VIDZEME}" "$1" | head -3)"; fi
}

"$CONSORT" snapshot --size 120x40 --pane benchmarks >"$tmp/wide" 2>&1 || bad "snapshot 120x40"
grep '^  VIDZEME ' "$tmp/wide" | grep -q 'silver  12/31  39% .*  silver needs 17 at threshold: 5 more' ||
	bad "the wide pane's VIDZEME line: $(grep 'VIDZEME' "$tmp/wide")"
grep -q "gold needs 25 at threshold: 1[0-9] more" "$tmp/wide" && bad "a silver target shown against gold"
# Narrow: shorter words, never cut.
"$CONSORT" snapshot --size 80x24 --pane benchmarks >"$tmp/narrow" 2>&1 || bad "snapshot 80x24"
# The goal keeps its label: over the bar the header speaks of the top label.
grep '^  VIDZEME ' "$tmp/narrow" | grep -q ' silver +5$' || bad "the narrow pane's VIDZEME line: $(grep VIDZEME "$tmp/narrow")"
grep -q '…$' "$tmp/narrow" && grep '…$' "$tmp/narrow" | grep -q 'more\|needs' && bad "a goal cut short: $(grep '…$' "$tmp/narrow")"

"$CONSORT" status >"$tmp/status" 2>&1 || bad "status"
has "$tmp/status" "12/31 at threshold (39%); silver needs 17 at threshold: 5 more" "status"

"$CONSORT" snapshot --size 120x40 --pane details:VIDZEME >"$tmp/det" 2>&1 || bad "details snapshot"
has "$tmp/det" "silver needs 17 at threshold: 5 more" "details: the goal"
has "$tmp/det" "G1 Qualification of the cluster management team  3.7 / 3  ✓ passes" "details: a passing indicator" G1
has "$tmp/det" "S2 Share of SMEs among the participants  35 / 60  ✗ below" "details: one below" S2

# An indicator without a value says so.
fixture "$tmp/p" "$(id -un)"
"$CONSORT" --project "$tmp/p/proj.yaml" init >/dev/null 2>&1 || bad "init the fixture"
CONSORT_TODAY=2020-05-15 "$CONSORT" --project "$tmp/p/proj.yaml" bench COORD G1 4 >/dev/null 2>&1 || bad "bench"
CONSORT_TODAY=2020-05-15 "$CONSORT" --project "$tmp/p/proj.yaml" snapshot --size 120x40 --pane details:COORD \
	>"$tmp/coord" 2>&1 || bad "the fixture's details"
has "$tmp/coord" "G1 Team qualification  4 / 3  ✓ passes" "fixture: measured" G1
has "$tmp/coord" "G2 Strategy  - / 2  not measured" "fixture: not measured" G2
has "$tmp/coord" "gold needs 3 at threshold: 2 more" "fixture: gold's need" gold

[ "$fail" -eq 0 ] && echo "ok: the benchmark's goal and each indicator"
exit "$fail"
