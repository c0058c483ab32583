#!/bin/sh
# A log made by the last release (schema 4, tests/data/store/schema4-log.sql,
# a `sqlite3 .dump` of it) still opens: status and status --json at several
# dates read exactly as that release printed them, and the log as it listed
# it. A write opens it for writing, which migrates it to the current schema:
# afterwards every old entry is there unchanged, the numbers are the same,
# and its schema (sqlite_master, user_version) is that of a new log, in
# the text of the schema's files.
. "$(dirname "$0")/lib.sh"

have sqlite3 || { echo "SKIP: $TESTNAME: sqlite3 shell absent"; exit 77; }

S=$CONSORT_TESTDATA/store
me=$(id -un)
P=$T/p
mkdir -p "$P"
sed "s/@LOGIN@/$me/" "$S/proj.yaml.in" >"$P/proj.yaml"
DB=$P/old.db
sqlite3 "$DB" <"$S/schema4-log.sql" || { fail "cannot load the old log"; finish; }
CONSORT_TODAY=2017-03-15
export CONSORT_TODAY
DATES="2016-02-29 2016-06-30 2016-12-31 2017-03-15 2017-10-31"

# same FILE WANT WHAT: FILE equals WANT.
same() {
	if cmp -s "$1" "$2"; then pass "$3"; else
		fail "$3: differs from the last release's: $(diff "$2" "$1" | head -20)"; fi
}

for d in $DATES; do
	run --project "$P/proj.yaml" --db "$DB" --as-of "$d" status
	expect_rc 0 "status as of $d"
	same "$OUT" "$S/status-$d.txt" "status as of $d"
	run --project "$P/proj.yaml" --db "$DB" --as-of "$d" status --json
	same "$OUT" "$S/status-$d.json" "status --json as of $d"
done
run --project "$P/proj.yaml" --db "$DB" log
same "$OUT" "$S/log.txt" "log"

# The old entries, as the old log holds them.
entries() {
	sqlite3 "$1" 'select id, recorded_at, effective, login, uid, partner, item, kind, value, note
		from log where id <= 38 order by id'
}
entries "$DB" >"$T/entries.before"
[ "$(wc -l <"$T/entries.before")" -eq 38 ] || fail "the old log has $(wc -l <"$T/entries.before") entries, not 38"

# A write, dated after every date above but the last, migrates the log.
CONSORT_TODAY=2017-09-30 run --project "$P/proj.yaml" --db "$DB" update T1.1 --progress 70 \
	--date 2017-09-30 --note migrated
CONSORT_TODAY=2017-03-15
expect_rc 0 "a write into the old log"
entries "$DB" >"$T/entries.after"
same "$T/entries.after" "$T/entries.before" "every old entry unchanged"
n=$(log_count "$DB")
# The write's open by the coordinator made the definition the plan's
# version 1 (one entry more), as the first write into an earlier
# release's log does.
[ "$n" = 40 ] && pass "40 entries after the write (the plan and the write)" ||
	fail "$n entries after the write"
expect_err "had no plan: recorded" "says the definition became the plan"
[ "$(sqlite3 "$DB" "select kind || ' ' || substr(value, 1, 2) from log where id = 39")" = "plan 1 " ] &&
	pass "the plan's version 1 is the first new entry" || fail "no plan entry at #39"
for d in 2016-02-29 2016-06-30 2016-12-31 2017-03-15; do
	run --project "$P/proj.yaml" --db "$DB" --as-of "$d" status
	grep -v '^Log: ' "$OUT" >"$T/now"
	grep -v '^Log: ' "$S/status-$d.txt" >"$T/want"
	same "$T/now" "$T/want" "status as of $d after the migration"
	run --project "$P/proj.yaml" --db "$DB" --as-of "$d" status --json
	sed '/^  "log": {/,$d' "$OUT" >"$T/now"
	sed '/^  "log": {/,$d' "$S/status-$d.json" >"$T/want"
	same "$T/now" "$T/want" "status --json as of $d after the migration"
done
sqlite3 "$DB" 'pragma integrity_check' | grep -qx ok && pass "integrity_check" ||
	fail "integrity_check of the migrated log"

# The migrated schema is a new log's.
run --project "$P/proj.yaml" --db "$P/new.db" init
expect_rc 0 "a new log"
schema() {
	sqlite3 "$1" "pragma user_version; select type, name, tbl_name, sql from sqlite_master
		where name <> 'sqlite_sequence' order by type, name"
}
schema "$DB" >"$T/schema.old"
schema "$P/new.db" >"$T/schema.new"
same "$T/schema.old" "$T/schema.new" "the migrated log's schema is a new log's"
# and reads like the schema's files: no line over 200 characters.
for db in "$P/new.db" "$DB"; do
	long=$(sqlite3 "$db" .schema | awk '{ if (length($0) > m) m = length($0) } END { print m + 0 }')
	[ "$long" -le 200 ] && pass "$(basename "$db"): longest .schema line $long" ||
		fail "$(basename "$db"): a .schema line of $long characters"
done
finish
