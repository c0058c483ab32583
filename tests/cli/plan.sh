#!/bin/sh
# The plan in the log: init records version 1, amend adds versions (its
# summary first, --dry-run writes nothing), plan lists them, diff says what
# changed (every kind of change, text and JSON), check FILE against the log,
# the figures as of a date use the version in force on it (both sides of
# an amendment's date), a definition file only compared, and the refusals:
# errors 65 with file:line:col, identical 65, own rights taken away 65, a
# missing version 64.
. "$(dirname "$0")/../lib.sh"

me=$(id -un)
fixture "$T" "$me"
P="--project $T/proj.yaml"
DB=$T/proj.db
export CONSORT_TODAY=2020-06-15
run $P init
expect_rc 0 "init"
run --db "$DB" plan
expect_rc 0 "plan"
expect_out "version 1  effective 2020-01-01" "init recorded version 1 from the project's start"
[ "$(log_count "$DB")" = 1 ] && pass "one entry: the plan" || fail "init wrote $(log_count "$DB") entries"

# Version 2: every kind of change.
sed -e 's/dissemination: PU, due: 8}/dissemination: PU, due: 10}/' \
	-e 's/title: Project handbook/title: Project handbook (revised)/' \
	-e 's/{id: T2.2, title: Courses, lead: PA, participants: \[COORD\], start: 3, end: 6}/{id: T2.2, title: Courses, lead: COORD, participants: [PA, PB], start: 4, end: 5}/' \
	-e 's/      - {id: T3.1, title: Website, lead: PB, start: 4, end: 12}/      - {id: T3.1, title: Website, lead: PB, start: 4, end: 12}\n      - {id: T3.2, title: Social media, lead: PB, start: 6, end: 12}/' \
	-e '/id: MS1, title: Curriculum agreed/d' \
	"$T/proj.yaml" >"$T/v2.yaml"
grep -n "target: \|threshold: \|users: \|joined\|left" "$T/proj.yaml" >"$T/fields"
# a target, a threshold and a partner's users changed too
sed -i -e '0,/target: [0-9]*/s//target: 999/' -e '0,/threshold: [0-9.]*/s//threshold: 77/' \
	-e "s/users: \[cst_anna\]/users: [cst_anna, cst_extra]/" "$T/v2.yaml"
h0=$(sha256sum <"$DB")
run --db "$DB" amend "$T/v2.yaml" --note "Amendment 1: D3.1 moved" --date 2020-05-01 --dry-run
expect_rc 0 "amend --dry-run"
expect_out "changed  deliverable D3.1 due: M8 (2020-08-31) -> M10 (2020-10-31)" "dry run shows the change"
expect_out "nothing written" "dry run says so"
[ "$h0" = "$(sha256sum <"$DB")" ] && pass "dry run wrote nothing" || fail "dry run changed the log"
run --db "$DB" amend "$T/v2.yaml" --note "Amendment 1: D3.1 moved" --date 2020-05-01
expect_rc 0 "amend"
expect_out "amendment of version 1" "summary names the version amended"
expect_out "recorded #2: plan version 2 (effective 2020-05-01)" "amend confirms"

run --db "$DB" plan
expect_out "* version 2  effective 2020-05-01" "version 2 in force today"
expect_out "Amendment 1: D3.1 moved" "its note"
run --db "$DB" plan --json
json_ok "$OUT" "plan --json"
if have python3; then
	[ "$(json_get "$OUT" 'd[1]["version"], d[1]["effective"], d[1]["login"], d[1]["in_force"]')" = "2 2020-05-01 $me True" ] &&
		pass "plan --json fields" || fail "plan --json: $(cat "$OUT")"
fi

run --db "$DB" diff
expect_rc 0 "diff"
for line in "changed  deliverable D3.1 due: M8 (2020-08-31) -> M10 (2020-10-31)" \
	"changed  deliverable D1.1 title: Project handbook -> Project handbook (revised)" \
	"changed  task T2.2 lead: PA -> COORD" \
	"changed  task T2.2 participants: COORD -> PA, PB" \
	"changed  task T2.2 start: M3 (2020-03-31) -> M4 (2020-04-30)" \
	"changed  task T2.2 end: M6 (2020-06-30) -> M5 (2020-05-31)" \
	"changed  target smes target:" \
	"changed  indicator" \
	"changed  partner PA users: cst_anna -> cst_anna, cst_extra" \
	"added    task T3.2" \
	"removed  milestone MS1"; do
	expect_out "$line" "diff: $line"
done
run --db "$DB" diff --json
json_ok "$OUT" "diff --json"
if have python3; then
	[ "$(json_get "$OUT" '[(c["field"], c["old"], c["new"]) for c in d["changes"] if c["id"]=="D3.1"]')" = "[('due', 'M8 (2020-08-31)', 'M10 (2020-10-31)')]" ] &&
		pass "diff --json: the due month" || fail "diff --json: $(head -c 600 "$OUT")"
	[ "$(json_get "$OUT" 'sorted(set(c["change"] for c in d["changes"]))')" = "['added', 'changed', 'removed']" ] &&
		pass "diff --json: added, removed and changed" || fail "diff --json changes"
	[ "$(json_get "$OUT" 'd["from"], d["to"]')" = "1 2" ] && pass "diff --json from/to" || fail "diff --json from/to"
fi
run --db "$DB" diff 2 1
expect_out "added    milestone MS1" "diff V1 V2 the other way"
run --db "$DB" diff 3
expect_rc 64 "a version that does not exist"
expect_one_line_err "a version that does not exist"
run --db "$DB" diff x
expect_rc 64 "a version that is not a number"

# The plan in force on each side of the amendment's date.
if have python3; then
	run --db "$DB" --as-of 2020-04-30 status --json
	[ "$(json_get "$OUT" '[x["due_month"] for x in d["deliverables"] if x["id"]=="D3.1"][0]')" = 8 ] &&
		pass "as of the day before: due M8" || fail "as of 2020-04-30: $(head -c 300 "$OUT")"
	[ "$(json_get "$OUT" 'any(m["id"]=="MS1" for m in d["milestones"])')" = True ] &&
		pass "as of the day before: MS1 still planned" || fail "MS1 before the amendment"
	run --db "$DB" --as-of 2020-05-01 status --json
	[ "$(json_get "$OUT" '[x["due_month"] for x in d["deliverables"] if x["id"]=="D3.1"][0]')" = 10 ] &&
		pass "from the amendment's date: due M10" || fail "as of 2020-05-01: $(head -c 300 "$OUT")"
	[ "$(json_get "$OUT" 'any(m["id"]=="MS1" for m in d["milestones"])')" = False ] &&
		pass "from the amendment's date: MS1 gone" || fail "MS1 after the amendment"
fi
run --db "$DB" --as-of 2020-04-30 export --format csv
expect_out "deliverable,D3.1,Website online,WP3,PB,8,2020-08-31" "export before: M8"
run --db "$DB" --as-of 2020-05-01 export --format csv
expect_out "deliverable,D3.1,Website online,WP3,PB,10,2020-10-31" "export after: M10"

# A definition file is only compared.
run $P --as-of 2020-05-01 status
expect_rc 0 "status with the old file"
expect_err "proj.yaml differs from the plan in the log, version 2 of 2020-05-01 by $me; the log's plan is used" "the difference said"
[ "$(grep -c differs "$ERR")" = 1 ] && pass "said once" || fail "said $(grep -c differs "$ERR") times"
run --project "$T/v2.yaml" --db "$DB" status
expect_no_out "differs" "no word for a file equal to the plan"
[ -s "$ERR" ] && fail "stderr for an equal file: $(cat "$ERR")" || pass "quiet for an equal file"

# check FILE against the log: what an amendment would change.
run --db "$DB" check "$T/proj.yaml"
expect_rc 0 "check against the log"
expect_out "an amendment of version 2 would make" "check says what would change"
expect_out "changed  deliverable D3.1 due: M10 (2020-10-31) -> M8 (2020-08-31)" "check lists it"
run --db "$DB" check "$T/v2.yaml"
expect_out "identical to the plan in force (version 2)" "check of the plan itself"

# Refusals, each writing nothing.
n0=$(log_count "$DB")
run --db "$DB" amend "$T/v2.yaml" --note again
expect_rc 65 "identical to the plan in force"
expect_err "identical" "says identical"
printf 'consort: 1\nproject:\n  acronym: X\n  start: 2020-01-01\n  end: nope\n' >"$T/bad.yaml"
run --db "$DB" amend "$T/bad.yaml" --note broken
expect_rc 65 "a file with errors"
grep -Eq "bad.yaml:[0-9]+:[0-9]+: error:" "$ERR" && pass "errors as file:line:col" || fail "errors: $(cat "$ERR")"
sed "s/users: \[$me\]/users: [someone-else]/" "$T/v2.yaml" >"$T/mine.yaml"
grep -q someone-else "$T/mine.yaml" || fail "fixture: the coordinator's users not replaced"
run --db "$DB" amend "$T/mine.yaml" --note "hand it over"
expect_rc 65 "taking one's own coordinator rights away"
expect_err "coordinator rights" "says why"
run --db "$DB" amend "$T/v2.yaml"
expect_rc 64 "amend without a note"
run --db "$DB" revert 2 --note "undo the plan"
expect_rc 65 "a plan entry is not reverted"
[ "$n0" = "$(log_count "$DB")" ] && pass "refusals wrote nothing" || fail "a refusal wrote"

# The demo's history has one amendment: versions and a diff at once, and
# the dashboard shows the plan of the date it shows.
run --db "$T/demo.db" demo
expect_rc 0 "demo"
run --db "$T/demo.db" plan
expect_out "version 2  effective 2016-10-01" "the demo's amendment"
run --db "$T/demo.db" diff
expect_out "changed  deliverable D3.2 due: M12 (2016-12-31) -> M14 (2017-02-28)" "the demo's moved deliverable"
expect_out "added    task T3.4" "the demo's added task"
run --db "$T/demo.db" --as-of 2016-06-30 snapshot --size 120x40 --pane deliverables
grep "D3.2" "$OUT" | grep -q "M12 2016-12-31" && pass "dashboard as of 2016-06-30: D3.2 due M12" ||
	fail "dashboard as of 2016-06-30: $(grep D3.2 "$OUT")"
run --db "$T/demo.db" --as-of 2017-03-31 snapshot --size 120x40 --pane deliverables
grep "D3.2" "$OUT" | grep -q "M14 (was M12) 2017-02-28" && pass "dashboard as of 2017-03-31: D3.2 due M14" ||
	fail "dashboard as of 2017-03-31: $(grep D3.2 "$OUT")"

# A log made by an earlier release (no plan stored) is read with its
# definition; a read leaves it so, the first write by its coordinator (or
# root) records the definition as version 1.
if have sqlite3; then
	S=$CONSORT_TESTDATA/store
	sed "s/@LOGIN@/$me/" "$S/proj.yaml.in" >"$T/old.yaml"
	sqlite3 "$T/old.db" <"$S/schema4-log.sql" || fail "cannot load the old log"
	run --project "$T/old.yaml" --db "$T/old.db" --as-of 2016-06-30 status
	expect_rc 0 "status of an old log"
	run --project "$T/old.yaml" --db "$T/old.db" plan
	expect_out "no plan stored" "an old log holds no plan"
	run --project "$T/old.yaml" --db "$T/old.db" update T1.1 --progress 30 --date 2017-03-01
	expect_rc 0 "the first write into the old log"
	expect_err "had no plan: recorded" "says the definition became version 1"
	run --db "$T/old.db" plan
	expect_out "version 1  effective 2016-01-01" "the old log's plan is its definition"
	run --db "$T/old.db" --as-of 2016-06-30 status
	expect_rc 0 "then --db alone is enough"
	expect_out "TESTPROJ" "and reads the stored plan"
fi

# Schema 13 keeps a plan row's compiled form, which every command reads,
# before its text, whose pages are then not walked to reach it. A log of
# schema 12 (the text first) reads as it is and stays so; its first write
# makes the rows again in the new order, every byte kept, and verify
# finds the log whole.
if have sqlite3; then
	cols() { sqlite3 "$1" "select group_concat(name, ',') from pragma_table_info('plan')"; }
	rows() { sqlite3 "$1" "select entry, version, hex(text), hex(compiled) from plan order by version" | sha256sum; }
	[ "$(cols "$DB")" = "entry,version,compiled,text" ] && pass "a new log's plan: the compiled form before the text" ||
		fail "a new log's plan columns: $(cols "$DB")"
	O=$T/schema12.db
	cp "$DB" "$O"
	sqlite3 "$O" "DROP TRIGGER plan_no_update; DROP TRIGGER plan_no_delete; ALTER TABLE plan RENAME TO p13;
		CREATE TABLE plan (entry INTEGER PRIMARY KEY, version INTEGER NOT NULL UNIQUE CHECK (version >= 1),
			text BLOB NOT NULL, compiled BLOB NOT NULL);
		INSERT INTO plan (entry, version, text, compiled) SELECT entry, version, text, compiled FROM p13;
		DROP TABLE p13;
		CREATE TRIGGER plan_no_update BEFORE UPDATE ON plan BEGIN SELECT RAISE(ABORT, 'the plan is append-only'); END;
		CREATE TRIGGER plan_no_delete BEFORE DELETE ON plan BEGIN SELECT RAISE(ABORT, 'the plan is append-only'); END;
		PRAGMA user_version = 12;"
	[ "$(cols "$O")" = "entry,version,text,compiled" ] || fail "the schema 12 log was not made"
	r12=$(rows "$O")
	[ "$r12" = "$(rows "$DB")" ] || fail "the schema 12 log's rows differ from the log's"
	for c in plan "--as-of 2020-04-30 status" "--as-of 2020-06-30 status --json" "diff 1 2"; do
		run --db "$DB" $c
		cp "$OUT" "$T/want"
		run --db "$O" $c
		cmp -s "$OUT" "$T/want" && pass "schema 12 log: $c as the new log's" ||
			fail "schema 12 log: $c: $(diff "$T/want" "$OUT" | head -5)"
	done
	[ "$(sqlite3 "$O" 'pragma user_version')" = 12 ] && [ "$(cols "$O")" = "entry,version,text,compiled" ] &&
		pass "reading left the schema 12 log as it was" || fail "reading changed the schema 12 log"
	run --db "$O" note T1.1 "after the migration" --date 2020-06-15
	expect_rc 0 "a write into the schema 12 log"
	[ "$(sqlite3 "$O" 'pragma user_version')" = 18 ] && pass "the write migrated it to schema 18" ||
		fail "user_version $(sqlite3 "$O" 'pragma user_version') after the write"
	[ "$(cols "$O")" = "entry,version,compiled,text" ] && pass "migrated: the compiled form before the text" ||
		fail "migrated plan columns: $(cols "$O")"
	[ "$(rows "$O")" = "$r12" ] && pass "migrated: every plan row kept to the byte" || fail "the migration changed plan rows"
	run --db "$O" verify
	expect_rc 0 "verify of the migrated log"
	run --db "$O" plan
	cp "$OUT" "$T/got"
	run --db "$DB" plan
	cmp -s "$OUT" "$T/got" && pass "migrated: plan as before" || fail "migrated: plan: $(diff "$OUT" "$T/got" | head -5)"
	sqlite3 "$O" "UPDATE plan SET text = 'x' WHERE version = 1" 2>/dev/null &&
		fail "migrated plan rows can be updated" || pass "migrated plan rows refuse UPDATE"
	sqlite3 "$O" "DELETE FROM plan" 2>/dev/null && fail "migrated plan rows can be deleted" ||
		pass "migrated plan rows refuse DELETE"
fi

# The plan's table is append-only like the log.
if have sqlite3; then
	sqlite3 "$DB" "UPDATE plan SET text = 'x' WHERE version = 1" 2>/dev/null &&
		fail "plan rows can be updated" || pass "plan rows refuse UPDATE"
	sqlite3 "$DB" "DELETE FROM plan" 2>/dev/null && fail "plan rows can be deleted" || pass "plan rows refuse DELETE"
fi
finish
