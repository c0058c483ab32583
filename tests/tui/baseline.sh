#!/bin/sh
# The baseline view in golden screens: a log of the demo's plan whose first
# version had D3.2 due in M12, T3.2 ending in M13, no T3.4 and a D3.9, then
# the demo's definition as an amendment of 2016-10-15. The deliverables and
# the timeline with the view on (snapshot --baseline 1) at 80x24 and
# 200x60, compared with tests/tui/golden/baseline-<pane>-<size>.txt; the
# deliverables pane's "M14 (was M12)" with the view off; the details' plan
# change; and a version that does not exist. CONSORT_UPDATE_GOLDEN=1
# rewrites the files.
: "${top_srcdir:?top_srcdir must be set}"
. "$(dirname "$0")/lib.sh"
tui_demo baseline

golden=$top_srcdir/tests/tui/golden
login=$(id -un)
count=0

# compare NAME SNAPSHOT-ARGS...: a golden screen.
compare() {
	file=$golden/$1.txt
	shift
	if ! "$CONSORT" snapshot --as-of 2017-03-31 "$@" >"$tmp/raw" 2>"$tmp/err"; then
		echo "FAIL: snapshot $*:"; cat "$tmp/err"; fail=1; return
	fi
	tui_normalise <"$tmp/raw" >"$tmp/out"
	count=$((count + 1))
	if [ "${CONSORT_UPDATE_GOLDEN:-}" = 1 ]; then
		cp "$tmp/out" "$file"
		return
	fi
	[ -f "$file" ] || { echo "FAIL: missing $file (run with CONSORT_UPDATE_GOLDEN=1)"; fail=1; return; }
	diff -u "$file" "$tmp/out" || { echo "FAIL: $* differs from $file"; fail=1; }
}

# The demo, whose plan was amended in M10, against its first version.
for size in 80x24 200x60; do
	for pane in deliverables timeline; do
		compare "baseline-demo-$pane-$size" --size "$size" --pane "$pane" --baseline 1
	done
done
mkdir "$tmp/p" && cd "$tmp/p" || exit 1
tui_first_plan "$login" >consort.yaml
"$CONSORT" init >"$tmp/out" 2>&1 || { echo "FAIL: init"; cat "$tmp/out"; exit 1; }
tui_plan "$login" >consort.yaml
"$CONSORT" amend consort.yaml --date 2016-10-15 --note "D3.2 moved to M14, T3.4 added" >"$tmp/out" 2>&1 ||
	{ echo "FAIL: amend"; cat "$tmp/out"; exit 1; }

# A log whose first plan also removed a deliverable and moved a task.
for size in 80x24 200x60; do
	for pane in deliverables timeline; do
		compare "baseline-$pane-$size" --size "$size" --pane "$pane" --baseline 1
	done
done

# The marks in words, whatever the colours.
"$CONSORT" snapshot --as-of 2017-03-31 --size 200x60 --pane deliverables --baseline 1 >"$tmp/on" 2>/dev/null
grep -q 'D3.2 .*M14 (was M12) 2017-02-28' "$tmp/on" || bad "the view on: D3.2 must say M14 (was M12)"
grep -q 'D3.9 .*M18 (removed) .*removed' "$tmp/on" || bad "the view on: D3.9 must show as removed"
grep -q 'baseline v1 (as signed)' "$tmp/on" || bad "the header must name the baseline"
"$CONSORT" snapshot --as-of 2017-03-31 --size 200x60 --pane timeline --baseline 1 >"$tmp/tl" 2>/dev/null
grep -q 'was M6-M13' "$tmp/tl" || bad "the timeline must say T3.2 was M6-M13"
grep -q 'T3.4 .* new' "$tmp/tl" || bad "the timeline must mark T3.4 new"
# Always on: the moved month with the view off, and nothing removed shown.
"$CONSORT" snapshot --as-of 2017-03-31 --size 200x60 --pane deliverables >"$tmp/off" 2>/dev/null
grep -q 'D3.2 .*M14 (was M12) 2017-02-28' "$tmp/off" || bad "the view off: D3.2 must still say M14 (was M12)"
grep -q 'D3.9' "$tmp/off" && bad "the view off must not list removed items"
grep -q 'baseline v1' "$tmp/off" && bad "the view off must not name a baseline"
"$CONSORT" snapshot --as-of 2017-03-31 --size 80x24 --pane deliverables >"$tmp/off80" 2>/dev/null
grep -q 'D3.2 .*M14 (was M12)' "$tmp/off80" || bad "at 80 columns D3.2 must still say M14 (was M12)"
# The details list the plan change among the history.
"$CONSORT" snapshot --as-of 2017-03-31 --size 200x60 --pane details:D3.2 >"$tmp/det" 2>/dev/null
grep -q 'Due M14 (was M12)' "$tmp/det" || bad "the details must say Due M14 (was M12)"
grep -q "2016-10-15  plan v2 by $login  due M12 (2016-12-31) -> M14 (2017-02-28)  \"D3.2 moved to M14, T3.4 added\"" \
	"$tmp/det" || { bad "the details must list the plan change"; cat "$tmp/det"; }
# A definition to compare with instead, and bad ones.
"$CONSORT" snapshot --size 80x24 --baseline "$tmp/none.yaml" >/dev/null 2>"$tmp/err"
[ $? -eq 66 ] || bad "a missing --baseline file must exit 66"
printf 'consort: 1\nproject: [\n' >"$tmp/bad.yaml"
"$CONSORT" snapshot --size 80x24 --baseline "$tmp/bad.yaml" >/dev/null 2>"$tmp/err"
[ $? -eq 65 ] || bad "a broken --baseline file must exit 65"
grep -q 'bad.yaml:' "$tmp/err" || bad "a broken --baseline file must say where"
"$CONSORT" snapshot --size 80x24 --baseline 0 >/dev/null 2>&1
[ $? -eq 64 ] || bad "--baseline 0 must exit 64"

[ "$fail" -eq 0 ] && echo "ok: $count baseline screens"
exit "$fail"
