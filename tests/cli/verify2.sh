#!/bin/sh
# verify against root, who can write the file: what the chain's hashes do
# not cover is compared with what this program makes. A changed schema (the
# count column's definition rewritten through writable_schema, a trigger
# added), a field stored as a BLOB (its bytes, and so its hash, unchanged),
# a plan version's text or compiled form changed beside its entry: verify
# names each and exits 65. Cutting the newest entry with every trace of it
# keeps a log that verifies; the head kept off the machine finds it.
. "$(dirname "$0")/../lib.sh"

have sqlite3 || skip "sqlite3 shell absent"

fixture "$T" "$(id -un)"
P="--project $T/proj.yaml"
DB=$T/proj.db
export CONSORT_TODAY=2020-05-15
run $P init
expect_rc 0 "init"
run $P record smes +50 --date 2020-04-10
run $P update T1.1 --progress 10 --date 2020-05-01 --note "step one"
run $P record countries LV
expect_rc 0 "writes"
run $P verify
expect_rc 0 "verify of an untouched log"
N=$(sed -n 's/^\([0-9]*\) entries, head [0-9a-f]*$/\1/p' "$OUT")
HEAD=$(sed -n 's/^[0-9]* entries, head \([0-9a-f]*\)$/\1/p' "$OUT")
[ ${#HEAD} -eq 64 ] && [ -n "$N" ] && pass "verify prints the count and the head" || fail "verify: $(cat "$OUT")"
cp "$DB" "$T/clean.db"

# The plan's entry names its text by BLAKE2b-256.
sqlite3 "$DB" "SELECT value FROM log WHERE kind = 'plan'" | grep -Eqx '1 [0-9a-f]{64}' &&
	pass "the plan entry's value is the version and a 64-hex digest" ||
	fail "plan value: $(sqlite3 "$DB" "SELECT value FROM log WHERE kind = 'plan'")"

# alter DB TABLE SQL: the SQL with TABLE's append-only triggers dropped, and put back.
alter() {
	trig=$(sqlite3 "$1" "SELECT group_concat(sql, '; ') || ';' FROM sqlite_master
		WHERE type = 'trigger' AND name IN ('$2_no_update', '$2_no_delete')")
	sqlite3 "$1" "DROP TRIGGER $2_no_update; DROP TRIGGER $2_no_delete; $3; $trig" ||
		fail "cannot alter $2"
}

# 1. The count column's definition, ten times the amount, and the summaries
# scaled to match: the entries and their hashes are untouched.
sqlite3 "$DB" "PRAGMA writable_schema = ON;
	UPDATE sqlite_master SET sql = replace(sql, 'AS INTEGER) *', 'AS INTEGER) * 10 *')
		WHERE type = 'table' AND name = 'log';
	PRAGMA writable_schema = OFF;"
sqlite3 "$DB" "UPDATE reach_month SET set_n = set_n * 10, tail = tail * 10;
	UPDATE reach_total SET set_n = set_n * 10, tail = tail * 10;
	UPDATE reach_delta SET delta = delta * 10" 2>/dev/null
[ "$(sqlite3 "$DB" "SELECT n FROM log WHERE kind = 'reach' AND value = '+50'")" = 500 ] &&
	pass "the file's column now gives ten times the count" || fail "the column was not rewritten"
run $P verify
expect_rc 65 "verify after the count column was rewritten"
expect_err "schema differs: log" "names the log table's schema"

cp "$T/clean.db" "$DB"
sqlite3 "$DB" "CREATE TRIGGER log_quiet AFTER INSERT ON log BEGIN SELECT 1; END"
run $P verify
expect_rc 65 "verify after a trigger was added"
expect_err "schema differs: log_quiet" "names the added trigger"

# 2. A field stored as a BLOB of the same bytes: the hash reads the same text.
cp "$T/clean.db" "$DB"
alter "$DB" log "UPDATE log SET value = CAST(value AS BLOB) WHERE id = 2"
[ "$(sqlite3 "$DB" "SELECT typeof(value) FROM log WHERE id = 2")" = blob ] || fail "value not a BLOB"
run $P verify
expect_rc 65 "verify after a value became a BLOB"
expect_err "altered: entry #2 has a BLOB as its value" "names the entry and the column"

cp "$T/clean.db" "$DB"
alter "$DB" log "UPDATE log SET uid = CAST(uid AS BLOB) WHERE id = 3"
run $P verify
expect_rc 65 "verify after a uid became a BLOB"
expect_err "altered: entry #3 has a BLOB as its uid" "names the uid"

# 3. The newest entry cut with its hash, its sequence and its summaries: the
# log is consistent again, with one entry less; only the head kept
# elsewhere tells.
cp "$T/clean.db" "$DB"
sqlite3 "$DB" "DROP TRIGGER log_no_delete; DROP TRIGGER chain_no_delete;
	DELETE FROM log WHERE id = $N; DELETE FROM chain WHERE id = $N;
	UPDATE sqlite_sequence SET seq = $N - 1 WHERE name = 'log';
	UPDATE log_stats SET entries = entries - 1, top_id = $N - 1,
		last_recorded = (SELECT recorded_at FROM log WHERE id = $N - 1);
	DELETE FROM reach_value WHERE item = 'countries' AND value = 'LV';
	DELETE FROM reach_pair_total; DELETE FROM reach_value_first;
	INSERT INTO reach_pair_total SELECT item, partner, COUNT(*), MAX(first_eff) FROM reach_value GROUP BY item, partner;
	INSERT INTO reach_value_first SELECT item, value, MIN(first_eff) FROM reach_value GROUP BY item, value;
	DELETE FROM reach_first_total;
	INSERT INTO reach_first_total SELECT item, COUNT(*), MAX(first_eff) FROM reach_value_first GROUP BY item;
	CREATE TRIGGER log_no_delete BEFORE DELETE ON log BEGIN SELECT RAISE(ABORT, 'the log is append-only'); END;
	CREATE TRIGGER chain_no_delete BEFORE DELETE ON chain BEGIN SELECT RAISE(ABORT, 'the chain is append-only'); END;"
run $P verify
expect_rc 0 "a cut log is consistent in itself"
expect_out "$((N - 1)) entries, head " "verify prints the count and head that differ from the kept ones"
expect_no_out "$HEAD" "the head is not the one kept"
run $P verify --head "$HEAD"
expect_rc 65 "the kept head finds the cut"
expect_err "does not contain head $HEAD" "says so"

# 4. The plan's text (who coordinates) and its compiled form, beside the entry.
cp "$T/clean.db" "$DB"
alter "$DB" plan "UPDATE plan SET text = CAST(replace(CAST(text AS TEXT), 'Coordinating Cluster',
	'Another Cluster') AS BLOB) WHERE version = 1"
run $P verify
expect_rc 65 "verify after the plan's text changed"
expect_err "plan differs: version 1" "names the plan version"
expect_err "text" "says its text"

cp "$T/clean.db" "$DB"
# The same length, so that it still reads: another coordinator's name.
from=$(printf 'Coordinating Cluster' | od -An -tx1 | tr -d ' \n' | tr a-f A-F)
to=$(printf 'Coordinating Clustex' | od -An -tx1 | tr -d ' \n' | tr a-f A-F)
blob=$(sqlite3 "$DB" "SELECT hex(compiled) FROM plan WHERE version = 1" | sed "s/$from/$to/")
sqlite3 "$DB" "SELECT hex(compiled) FROM plan WHERE version = 1" | grep -q "$from" ||
	fail "the compiled form lacks the coordinator's name"
alter "$DB" plan "UPDATE plan SET compiled = X'$blob' WHERE version = 1"
run $P verify
expect_rc 65 "verify after the plan's compiled form changed"
expect_err "plan differs: version 1 (its compiled form" "names the compiled form"

cp "$T/clean.db" "$DB"
run $P verify
expect_rc 0 "the untouched copy still verifies"
finish
