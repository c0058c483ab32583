#!/bin/sh
# Pane 7 (Resources) in a real terminal (tmux) on the demo, at 80x24 and
# 120x40, without a filter and on the f filter: no header of the pane shows
# a cut word (the costs' heading drops what does not fit, whole), the
# budget line says whose budget it is (the partner's, planned and spent,
# under the filter), and the costs per work package are in their row and
# in the details of a partner on a WP.
# Compared with tests/tui/golden/resources-tmux-<filter>-<size>.txt (all:
# no filter);
# CONSORT_UPDATE_GOLDEN=1 rewrites them.
: "${top_srcdir:?top_srcdir must be set}"
. "$(dirname "$0")/lib.sh"
tui_demo tmux-resources-filter
golden=$top_srcdir/tests/tui/golden
# Off-screen, narrower than 80 columns too: the costs' table drops the
# columns that do not fit, header and all.
for size in 60x24 70x24 80x24; do
	"$CONSORT" snapshot --as-of 2017-03-31 --size "$size" --pane resources >"$tmp/narrow" 2>&1 ||
		bad "snapshot at $size: $(cat "$tmp/narrow")"
	grep -E '^  (PM |Costs )' "$tmp/narrow" | grep -q "…" &&
		bad "a header is cut at $size: $(grep -E '^  (PM |Costs )' "$tmp/narrow" | grep "…")"
	grep -q "^  Costs (EUR) " "$tmp/narrow" || bad "no costs' heading at $size"
done
tui_demo_tmux

# The pane's header lines: the grid's, the costs' table's.
headers() { screen | grep -E '^  (PM |Costs )'; }

for size in 80x24 120x40; do
	T resize-window -t consort -x "${size%x*}" -y "${size#*x}" >/dev/null 2>&1 ||
		{ bad "tmux cannot resize to $size"; continue; }
	keys Escape 7
	wait_for "Costs (EUR)" 30 || { bad "pane 7 at $size"; screen; continue; }
	sleep 0.3
	# f: LITC first, then NETPORT (whose heading "Costs NETPORT (EUR)" is
	# wider than the category column).
	for filter in all LITC NETPORT; do
		if [ "$filter" != all ]; then
			keys f
			wait_for "[filter $filter]" 20 || { bad "f did not filter on $filter at $size"; screen; continue; }
			wait_for "$filter's budget" 20 || bad "the budget line under the filter is not $filter's at $size"
			screen | grep -q "^  Budget 249,415.52" && bad "the $filter filter still shows the project's budget line"
			wait_for "Costs $filter (EUR)" 20 || bad "the costs' heading does not name $filter at $size"
		else
			wait_for "Budget 249,415.52" 20 || bad "the project's budget line at $size"
		fi
		sleep 0.3
		screen | tui_normalise >"$tmp/out"
		headers | grep -q "…" && bad "a header is cut at $size ($filter): $(headers | grep "…")"
		grep -q "^  Costs    -" "$tmp/out" || bad "no row of costs per WP at $size ($filter)"
		file=$golden/resources-tmux-$filter-$size.txt
		if [ "${CONSORT_UPDATE_GOLDEN:-}" = 1 ]; then
			cp "$tmp/out" "$file"
		elif [ ! -f "$file" ]; then
			bad "missing $file (run with CONSORT_UPDATE_GOLDEN=1)"
		else
			diff -u "$file" "$tmp/out" || bad "pane 7 ($filter) at $size differs from $file"
		fi
	done
	keys Escape
	wait_for "filter cleared" 20 || bad "Esc did not clear the filter"
done
# The details of NETPORT on WP3: its costs on the WP and its budget.
T resize-window -t consort -x 120 -y 40 >/dev/null 2>&1
keys 7 j Right Right Enter
wait_for "NETPORT on WP3" 20 || { bad "Enter did not open NETPORT on WP3"; screen; }
wait_for "Costs on WP3 1,891.50 · on other WPs 0.00 · naming no WP 30,417.51" 20 ||
	{ bad "the details do not give NETPORT's costs on WP3"; screen; }
wait_for "NETPORT's budget 47,080.00 (with indirect costs) · spent 34,570.64 (73%) · on plan" 20 ||
	{ bad "the details do not give NETPORT's budget"; screen; }
keys Escape q
[ "$fail" -eq 0 ] && echo "ok: pane 7's headers, budget line and costs per WP, with and without the filter"
exit "$fail"
