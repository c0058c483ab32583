#!/bin/sh
# Bad arguments never write: impossible or future dates, percentages out of
# range or not numbers, unknown ids, huge numbers, empty strings, an option
# without its value, an unknown option. Each exits 64 (usage) or 65 (bad
# data) with exactly one line on stderr, and the log is unchanged.
. "$(dirname "$0")/../lib.sh"

have sqlite3 || skip "sqlite3 shell absent"

me=$(id -un)
P=$T/p
fixture "$P" "$me"
PROJ=$P/proj.yaml
DB=$P/proj.db
run --project "$PROJ" init
expect_rc 0 "init"
run --project "$PROJ" record smes +3 --note "a start"
expect_rc 0 "a first entry"
run --project "$PROJ" record countries LT
expect_rc 0 "a distinct value"
N=$(count_entries "$DB")
[ "$N" = 3 ] || fail "expected 3 entries (the plan and two) to start with, found $N"

# bad WHAT ARGS...: exit 64 or 65, one stderr line, nothing written.
bad() {
	b_what=$1
	shift
	run --project "$PROJ" "$@"
	expect_no_crash "$b_what"
	expect_rc_in "64 65" "$b_what"
	expect_one_line_err "$b_what"
	if [ -s "$OUT" ] && grep -q '^recorded\|^updated' "$OUT"; then
		fail "$b_what: stdout claims a write: $(head -c 200 "$OUT")"
	fi
	n=$(count_entries "$DB")
	[ "$n" = "$N" ] || fail "$b_what: the log now holds $n entries, not $N"
}

# Dates (today is CONSORT_TODAY=2020-05-15).
for d in 2017-02-30 2020-02-30 2020-13-01 2020-00-10 2020-05-00 17-01-01 2020-5-1 \
	'' ' ' 2020-05-16 2021-01-01 9999-12-31 today yesterday 2020-05-15x \
	'2020-05-15 ' +2020-05-01 -2020-05-01 20200515; do
	bad "update --date '$d'" update T1.1 --progress 10 --date "$d"
	bad "record --date '$d'" record smes +1 --date "$d"
done
bad "--as-of 2017-02-30" --as-of 2017-02-30 status
bad "--as-of empty" --as-of "" status
bad "--since 2017-02-30" log --since 2017-02-30
bad "bench --date 2020-02-30" bench COORD G1 3 --date 2020-02-30

# Percentages.
for pc in -1 101 50.5 abc 99999999999999999999 -99999999999999999999 '' ' ' 1e2 0x10 '50%' \
	'5 0' 18446744073709551616 2147483648 -2147483649 +; do
	bad "--progress '$pc'" update T1.1 --progress "$pc"
done

# Unknown ids and impossible statuses.
bad "update an unknown item" update T9.9 --status "done"
bad "update an unknown item (case)" update t1.1 --status "done"
bad "update a WP (not an item)" update WP1 --status "done"
bad "update with an unknown status" update T1.1 --status finished
bad "a deliverable status on a task" update T1.1 --status accepted
bad "progress on a deliverable" update D1.1 --progress 50
bad "a task status on a milestone" update MS1 --status "done"
bad "record an unknown target" record nosuch +1
bad "record for an unknown partner" record smes +1 --partner NOSUCH
bad "bench an unknown cluster" bench NOPE G1 3
bad "bench a partner that is no cluster" bench PB G1 3
bad "bench an unknown indicator" bench COORD NOPE 3
bad "bench a value that is no number" bench COORD G1 abc
bad "bench a huge value" bench COORD G1 1e99999
bad "an unknown label" bench COORD --label platinum
bad "revert an unknown entry" revert 99999 --note "undo"
bad "revert a non-number" revert abc --note "undo"
bad "revert id 0" revert 0 --note "undo"
bad "revert a negative id" revert -1 --note "undo"
bad "revert a huge id" revert 99999999999999999999 --note "undo"

# Values of record.
for v in +99999999999999999999 -99999999999999999999 =99999999999999999999 \
	+9223372036854775808 =-5 ++1 +-1 +abc + = '' ' ' +1.5 '+1 ' 1e3; do
	bad "record smes '$v'" record smes "$v"
done
bad "record a distinct value that is no country" record countries 'not a country'
bad "record an empty distinct value" record countries ''

# Empty strings where an id is needed.
bad "update ''" update '' --status "done"
bad "record '' +1" record '' +1
bad "update --status ''" update T1.1 --status ''
bad "record --partner ''" record smes +1 --partner ''
bad "revert without a note" revert 1
bad "revert with an empty note" revert 1 --note ''

# Missing arguments and values.
bad "update without an item" update
bad "update with nothing to change" update T1.1
bad "record without a value" record smes
bad "record without anything" record
bad "bench without a value" bench COORD G1
bad "--status without its value" update T1.1 --status
bad "--progress without its value" update T1.1 --progress
bad "--note without its value" record smes +1 --note
bad "--date without its value" record smes +1 --date
bad "--partner without its value" record smes +1 --partner
bad "--db without its value" record smes +1 --db
bad "--as-of without its value" status --as-of
bad "--format without its value" export --format
bad "export with an unknown format" export --format xml
bad "export an unknown period" export --format md --period RP9

# Unknown options, extra arguments.
bad "an unknown option" update T1.1 --progress 10 --frobnicate
bad "an unknown option with a value" record smes +1 --colour=red
bad "an unknown short option" record smes +1 -x
bad "an unknown global option" --verbose status
bad "status with an unknown option" status --bogus
bad "a flag given a value" status --json=yes
bad "an extra argument" update T1.1 extra --progress 10
bad "an extra argument to record" record smes +1 +2
bad "an unknown command" frobnicate
bad "a command in the wrong case" STATUS

[ "$(count_entries "$DB")" = "$N" ] && pass "the log still holds its $N entries" ||
	fail "the log changed"
integrity "$DB" "after bad arguments"
finish
