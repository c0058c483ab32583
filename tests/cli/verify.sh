#!/bin/sh
# verify and the hash chain: a log written by consort verifies, with its
# entry count and head; the head is in status --json and every export;
# whoever can write the file (the owner, root) and changes it with the
# sqlite3 shell is found out: a changed note (altered), a removed entry
# (missing), a forged INSERT (inserted), a changed summary (summary
# differs), a rewritten copy moved over the file; verify --head of the old
# head then says the log no longer contains it. status warns when the
# newest entries do not link. A schema 4 log is chained when migrated, and
# verify says from which entry.
. "$(dirname "$0")/../lib.sh"

have sqlite3 || skip "sqlite3 shell absent"

fixture "$T" "$(id -un)"
P="--project $T/proj.yaml"
DB=$T/proj.db
export CONSORT_TODAY=2020-05-15
run $P init
expect_rc 0 "init"
for i in 1 2 3 4 5 6; do
	run $P update T1.1 --progress $((i * 10)) --date 2020-05-0$i --note "step $i"
done
run $P record smes +30 --date 2020-04-10
run $P record countries LV
expect_rc 0 "writes"

run $P verify
expect_rc 0 "verify of an untouched log"
expect_out "9 entries, head " "verify prints the count and the head"
HEAD=$(sed -n 's/^9 entries, head \([0-9a-f]*\)$/\1/p' "$OUT")
[ ${#HEAD} -eq 64 ] && pass "the head is 64 hex digits" || fail "head '$HEAD'"

run $P verify --json
expect_rc 0 "verify --json"
json_ok "$OUT" "verify --json"
[ "$(json_get "$OUT" "d['ok'], d['entries'], d['head'] == '$HEAD'")" = "True 9 True" ] &&
	pass "verify --json: ok, entries, head" || fail "verify --json: $(cat "$OUT")"

run $P verify --head "$HEAD"
expect_rc 0 "verify --head of the current head"
expect_out "contains head $HEAD (entry #9)" "the head is entry 9"
run $P verify --head 1234
expect_rc 64 "a malformed head"
expect_one_line_err "a malformed head"
run $P verify --head "$(echo "$HEAD" | tr '0-9a-f' '1-9a-f0')"
expect_rc 65 "a head that was never in the log"
expect_err "does not contain head" "says the head is not there"

# The head is shown wherever a figure leaves the machine.
run $P status --json
[ "$(json_get "$OUT" "d['chain']['entries'], d['chain']['head'] == '$HEAD', d['chain']['ok']")" = "9 True True" ] &&
	pass "status --json: chain" || fail "status --json chain: $(grep -A4 '"chain"' "$OUT")"
run $P status
expect_out "head $(echo "$HEAD" | cut -c1-8)" "status text: the Log line names the head"
for fmt in md csv json; do
	run $P export --format $fmt
	expect_rc 0 "export $fmt"
	expect_out "$HEAD" "export $fmt states the head"
done

# alter DB SQL: the SQL with the append-only triggers dropped, and put back.
alter() {
	sqlite3 "$1" "DROP TRIGGER log_no_update; DROP TRIGGER log_no_delete; $2;
		CREATE TRIGGER log_no_update BEFORE UPDATE ON log BEGIN SELECT RAISE(ABORT, 'the log is append-only'); END;
		CREATE TRIGGER log_no_delete BEFORE DELETE ON log BEGIN SELECT RAISE(ABORT, 'the log is append-only'); END;"
}
cp "$DB" "$T/clean.db"

alter "$DB" "UPDATE log SET note = 'forged' WHERE id = 3"
run $P verify
expect_rc 65 "verify after a changed note"
expect_err "altered: entry #3" "names entry 3 as altered"
run $P verify --head "$HEAD"
expect_rc 65 "the head after the change is no longer contained"

cp "$T/clean.db" "$DB"
alter "$DB" "DELETE FROM log WHERE id = 5"
run $P verify
expect_rc 65 "verify after a removed entry"
expect_err "missing: entry #5" "names entry 5 as missing"

cp "$T/clean.db" "$DB"
sqlite3 "$DB" "INSERT INTO log (recorded_at, effective, login, uid, partner, item, kind, value, note)
	VALUES (1588000000000, '2020-05-07', 'someone', 1000, NULL, 'T1.1', 'progress', '100', 'forged')"
run $P verify
expect_rc 65 "verify after a forged INSERT"
expect_err "inserted: entry #10" "names entry 10 as inserted"
run $P status
expect_rc 0 "status of a log with a forged newest entry still runs"
expect_err "log was altered" "status warns that the newest entries do not link"
expect_err "consort verify" "the warning says what to run"
run $P verify --head "$HEAD"
expect_rc 0 "the old head is still in the chain before the forged entry"

cp "$T/clean.db" "$DB"
sqlite3 "$DB" "UPDATE reach_total SET tail = tail + 1000"
run $P verify
expect_rc 65 "verify after a changed summary"
expect_err "summary differs: table reach_total" "names the summary table"

# latest_pack holds latest's rows; a changed one is named, and status
# reads the same from latest's rows when its text does not read or when it
# is not there (schema 11).
cp "$T/clean.db" "$DB"
run $P status
cp "$OUT" "$T/status.txt"
[ "$(sqlite3 "$DB" "SELECT rows FROM latest_pack WHERE kind = 'progress'")" = \
	"$(sqlite3 "$DB" "SELECT group_concat(length(item) || ':' || item || length(partner) || ':' || partner
		|| length(effective) || ':' || effective || id || ',' || length(value) || ':' || value || '--'
		|| run_ok || ',', '') FROM latest WHERE kind = 'progress'")" ] &&
	pass "latest_pack: the progress row" || fail "latest_pack: $(sqlite3 "$DB" "SELECT * FROM latest_pack")"
cp "$T/clean.db" "$DB"
sqlite3 "$DB" "UPDATE latest_pack SET rows = replace(rows, '2:60', '2:70') WHERE kind = 'progress'"
run $P verify
expect_rc 65 "verify after a changed latest_pack"
expect_err "summary differs: table latest_pack" "names latest_pack"
cp "$T/clean.db" "$DB"
sqlite3 "$DB" "UPDATE latest_pack SET rows = rows || '4:T1' WHERE kind = 'progress'"
run $P status
cmp -s "$OUT" "$T/status.txt" && pass "a cut latest_pack: status as before" ||
	fail "a cut latest_pack: $(diff "$T/status.txt" "$OUT" | head -5)"
# A record that reads, then one that does not: what the first gave is
# undone before latest's rows are read (T2.1 has no progress there).
cp "$T/clean.db" "$DB"
sqlite3 "$DB" "UPDATE latest_pack SET rows = rows || '4:T2.12:PA10:2020-05-0199,2:90--1,4:T1' WHERE kind = 'progress'"
run $P status
cmp -s "$OUT" "$T/status.txt" && pass "a forged record before a cut: status as before" ||
	fail "a forged record before a cut: $(diff "$T/status.txt" "$OUT" | head -5)"
cp "$T/clean.db" "$DB"
sqlite3 "$DB" "DROP TABLE latest_pack; DROP TABLE effort_pack; DROP INDEX log_effort_months;
	PRAGMA user_version = 11;"
run $P status
cmp -s "$OUT" "$T/status.txt" && pass "schema 11: status as before" ||
	fail "schema 11: $(diff "$T/status.txt" "$OUT" | head -5)"

# A rewritten copy moved over the file.
cp "$T/clean.db" "$DB"
{ sqlite3 "$DB" .dump; echo "PRAGMA user_version = $(sqlite3 "$DB" 'pragma user_version');"; } |
	sed "s/'step 2'/'step two'/" >"$T/dump.sql"
grep -q "step two" "$T/dump.sql" || fail "the dump was not rewritten"
rm -f "$T/copy.db"
sqlite3 "$T/copy.db" <"$T/dump.sql"
mv "$T/copy.db" "$DB"
run $P verify
expect_rc 65 "verify of a rewritten copy"
expect_err "altered: entry #3" "the rewritten entry is named"
run $P verify --head "$HEAD"
expect_rc 65 "the old head is not in the rewritten copy"
expect_err "does not contain head $HEAD" "says so"

# A schema 4 log is chained when migrated.
S=$CONSORT_TESTDATA/store
mkdir -p "$T/old"
sed "s/@LOGIN@/$(id -un)/" "$S/proj.yaml.in" >"$T/old/proj.yaml"
sqlite3 "$T/old/old.db" <"$S/schema4-log.sql"
O="--project $T/old/proj.yaml --db $T/old/old.db"
run $O verify
expect_rc 65 "a schema 4 log opened to read is not chained yet"
CONSORT_TODAY=2017-09-30 run $O update T1.1 --progress 70 --date 2017-09-30 --note migrated
expect_rc 0 "a write migrates it"
run $O verify
expect_rc 0 "the migrated log verifies"
# The write records the definition as the log's plan (#39) before its own entry.
expect_out "40 entries" "all 40 entries"
expect_out "chained since entry 39 (entries 1..38 were chained when the log was migrated on " \
	"verify says from which entry the appends' chain starts"
finish
