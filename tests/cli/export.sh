# export: md, csv (RFC 4180) and json, for a period and the whole project.
. "$(dirname "$0")/../lib.sh"

fixture "$T" "$(id -un)"
P="--project $T/proj.yaml"
export CONSORT_TODAY=2020-09-15
run $P init
run $P update D1.1 --status submitted --date 2020-03-10
run $P record smes +20 --date 2020-05-01 --note 'with "quotes", commas'
run $P record smes +15 --date 2020-08-01

run $P export --format md --period RP1
expect_rc 0 "export md RP1"
expect_out "# TESTPROJ: report for RP1" "md title"
expect_out "M1-M6 (2020-01-01 to 2020-06-30)" "md period months"
expect_out "State as of: 2020-06-30" "md state at the period's end"
expect_out "| D2.1 | Training curriculum | WP2 | PA | M3 (2020-03-31) | planned |" "md deliverable row"
expect_out "| D1.1 | Project handbook |" "md deliverable in the period"
expect_no_out "D3.1" "md leaves out deliverables due later"
expect_out "| smes | SMEs reached | 20 | 120 |" "md reach at the period's end"
expect_out "## Benchmark" "md benchmark"

run $P export --format csv --period=RP2
expect_rc 0 "export csv"
head -n1 "$OUT" | grep -q "^section,id,title,wp,lead,due_month,due_date,status,progress,state,value,target$(printf '\r')\$" &&
	pass "csv header with CRLF" || fail "csv header: $(head -n1 "$OUT" | od -c | head -3)"
grep -q "^reach,smes,SMEs reached,,,,2020-09-15,,29,.*,35,120" "$OUT" && pass "csv reach row" || fail "csv reach row"
grep -q "^deliverable,D3.1," "$OUT" && pass "csv deliverable in RP2" || fail "csv deliverable"
grep -q "^deliverable,D1.1," "$OUT" && fail "csv has RP1's deliverable" || pass "csv period filter"
grep -q '^wp,WP2,Training with a rather long title that will not fit a column,' "$OUT" && pass "csv full titles" || fail "csv title"
if have python3; then
	python3 -c 'import csv,sys
rows=list(csv.reader(open(sys.argv[1], newline="")))
assert all(len(r)==12 for r in rows), [len(r) for r in rows]' "$OUT" && pass "csv parses, 12 columns" || fail "csv parse"
fi

# A field with a comma and quotes is quoted, quotes doubled.
sed 's/title: Project handbook/title: "Handbook, \\"final\\" version"/' "$T/proj.yaml" >"$T/q.yaml"
run --project "$T/q.yaml" --db "$T/q.db" init
run --project "$T/q.yaml" --db "$T/q.db" export --format csv
grep -qF '"Handbook, ""final"" version"' "$OUT" && pass "csv quoting" || fail "csv quoting: $(grep D1.1 "$OUT")"

run $P export --format json --period RP1 --output "$T/r.json"
expect_rc 0 "export json to a file"
json_ok "$T/r.json" "export json"
if have python3; then
	[ "$(json_get "$T/r.json" 'd["period"]["id"]')" = RP1 ] && pass "json period" || fail "json period"
	[ "$(json_get "$T/r.json" 'd["as_of"]')" = 2020-06-30 ] && pass "json as_of period end" || fail "json as_of"
fi
run $P --as-of 2020-04-30 export --format json --period RP1
if have python3; then
	[ "$(json_get "$OUT" 'd["as_of"]')" = 2020-04-30 ] && pass "--as-of earlier than the period's end" || fail "as-of"
fi
run $P export --format json
if have python3; then
	[ "$(json_get "$OUT" 'd["period"]["id"]')" = None ] && pass "whole project" || fail "whole project"
	[ "$(json_get "$OUT" 'd["as_of"]')" = 2020-09-15 ] && pass "whole project as of today" || fail "whole as_of"
fi

# Lateness in words: on the due day "due today", never "due in 0 days".
run $P --as-of 2020-08-31 export --format md --period RP2
expect_rc 0 "export md on a due day"
expect_out "| D3.1 | Website online | WP3 | PB | M8 (2020-08-31) | planned | due today |" "due today"
expect_no_out "due in 0 days" "no 'due in 0 days'"
run $P --as-of 2020-08-30 export --format md --period RP2
expect_out "| planned | due in 1 day |" "due in 1 day (singular)"
run $P --as-of 2020-08-20 export --format md --period RP2
expect_out "| planned | due in 11 days |" "due in 11 days"
run $P --as-of 2020-09-01 export --format md --period RP2
expect_out "| planned | overdue, 1 day late |" "overdue by one day (singular)"

run $P export --format md --period RP9
expect_rc 65 "unknown period"
expect_err "RP1, RP2" "unknown period lists the periods"
run $P export --format pdf
expect_rc 64 "unknown format"
run $P export
expect_rc 64 "export without --format"
run $P export --format md --output "$T/no/such/dir/r.md"
expect_rc 74 "unwritable output"
finish
