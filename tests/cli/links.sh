# A deliverable's submission with its document's link (--link URL or DOI):
# validated, written with the status in one transaction (kind link),
# shown in the log and in the exports' deliverable tables.
. "$(dirname "$0")/../lib.sh"

fixture "$T" "$(id -un)"
P="--project $T/proj.yaml"
DB=$T/proj.db
export CONSORT_TODAY=2020-05-15
run $P init
expect_rc 0 "init"
run $P update D1.1 --status submitted --link https://example.org/d1.1.pdf --note "sent to the PO"
expect_rc 0 "submission with a URL"
expect_out "recorded #2 and #3: D1.1 status submitted, document https://example.org/d1.1.pdf" "confirmation"
run $P update D3.1 --status submitted --link 10.5281/zenodo.12345
expect_rc 0 "submission with a DOI"
run $P log D1.1 --json
if have python3; then
	[ "$(json_get "$OUT" 'd[0]["kind"] + " " + d[0]["value"]')" = "link https://example.org/d1.1.pdf" ] &&
		pass "a link entry" || fail "log: $(cat "$OUT")"
fi
n0=$(count_entries "$DB")
for bad in "ftp://example.org/x" "https://" "javascript:alert(1)" "10.12/x" "10.12345/" \
	"$(printf 'https://example.org/\033[2J')" "https://example.org/a b"; do
	run $P update D2.1 --status submitted --link "$bad"
	expect_rc 65 "refused link: $bad"
	no_raw_escape "$ERR" "refusal of $bad"
done
run $P update D2.1 --status drafting --link https://example.org/x
expect_rc 64 "a link without a submission"
run $P update T1.1 --status done --link https://example.org/x
expect_rc 64 "a link on a task"
[ -z "$n0" ] || [ "$(count_entries "$DB")" = "$n0" ] && pass "refused links write nothing" ||
	fail "a refused link wrote"
run $P export --format md
expect_out "| Lateness | Document |" "md deliverable table has a document column"
expect_out "| https://example.org/d1.1.pdf |" "md shows the URL"
expect_out "| 10.5281/zenodo.12345 |" "md shows the DOI"
run $P export --format csv
expect_out "deliverable,D1.1,Project handbook,WP1,COORD,2,2020-02-29,submitted,,done,76,https://example.org/d1.1.pdf" "csv document in target"
run $P export --format json
json_ok "$OUT" "export json"
if have python3; then
	[ "$(json_get "$OUT" 'd["documents"]["D3.1"]')" = "10.5281/zenodo.12345" ] && pass "json documents" ||
		fail "json documents"
fi
# A revert of the link entry (#3, after the status #2) leaves the
# deliverable without a document.
run $P revert 3 --note "wrong file"
expect_rc 0 "revert the link"
run $P export --format md
expect_no_out "d1.1.pdf" "a reverted link is not shown"
finish
