# record --from and update --from: CSV files of rows, every row checked
# by the write path, then all written in one transaction or none; errors
# name the file and line; --dry-run checks only; "-" reads standard input.
. "$(dirname "$0")/../lib.sh"

have sqlite3 || { echo "SKIP: $TESTNAME: sqlite3 shell absent"; exit 77; }
fixture "$T" "$(id -un)"
P="--project $T/proj.yaml"
DB=$T/proj.db
export CONSORT_TODAY=2020-05-15
run $P init
expect_rc 0 "init"

printf '\357\273\277target,value,partner,date,note\r\nsmes,+3,PA,2020-05-01,"fair, Riga"\r\nsmes,+4,,,"two\nlines, ""quoted"""\r\ncountries,SE,PB,,\r\n' >"$T/reach.csv"
run $P record --from reach.csv --dry-run
expect_rc 0 "--dry-run of a good file"
expect_out "checked 3 rows of reach.csv" "--dry-run says what it checked"
# After init the log holds its plan alone (#1).
[ "$(count_entries "$DB")" = 1 ] && pass "--dry-run writes nothing" || fail "--dry-run wrote"
run $P record --from reach.csv
expect_rc 0 "record --from"
expect_out "recorded #2 to #4: 3 rows of reach.csv" "confirmation"
[ "$(count_entries "$DB")" = 4 ] && pass "three entries" || fail "entries: $(count_entries "$DB")"
[ "$(sqlite3 "$DB" "select note from log where id = 3")" = "$(printf 'two\nlines, "quoted"')" ] &&
	pass "quoted line break and doubled quotes kept" || fail "note: $(sqlite3 "$DB" 'select note from log where id = 3')"
[ "$(sqlite3 "$DB" "select effective || ' ' || partner from log where id = 2")" = "2020-05-01 PA" ] &&
	pass "date and partner columns" || fail "row 1: $(sqlite3 "$DB" 'select * from log where id = 2')"
# Columns in another order, and only the needed ones.
printf 'value,target\n+1,smes\n' >"$T/two.csv"
run $P record --from two.csv
expect_rc 0 "columns in any order"

# One bad line: nothing of the file is written, and the line is named.
n0=$(count_entries "$DB")
bad() { # FILE-CONTENT CODE MESSAGE WHAT
	printf "$1" >"$T/bad.csv"
	run $P record --from bad.csv
	expect_rc "$2" "$4"
	expect_err "$3" "$4: says where"
	expect_one_line_err "$4"
	[ "$(count_entries "$DB")" = "$n0" ] && pass "$4: nothing written" || fail "$4: something was written"
}
bad 'target,value\nsmes,+3\nsmes,+3x\nsmes,+1\n' 65 "record: bad.csv:3: '+3x' is not a count" "a bad value on line 3"
bad 'target,value\nsmes,+3\nnope,+1\n' 65 "bad.csv:3: unknown target 'nope'" "an unknown target"
bad 'target,value\nsmes,+3\nsmes,"+1\n' 65 "bad.csv:3: a quoted field is not closed" "an unclosed quote"
bad 'target,value\nsmes,+3,x\n' 65 "bad.csv:2: 3 fields, the header has 2" "too many fields"
bad 'target,amount\nsmes,+3\n' 65 "bad.csv:1: unknown column 'amount'" "an unknown column"
bad 'target,value\nsmes,\xff\n' 65 "bad.csv:2: not valid UTF-8" "invalid UTF-8"
bad 'target,value\n' 65 "no rows after the header" "a header alone"
bad 'target,value\nsmes,+1,\n' 65 "bad.csv:2:" "a trailing comma"
bad 'target,value,date\nsmes,+1,2030-01-01\n' 65 "bad.csv:2: 2030-01-01 is in the future" "a future date"
run $P record --from missing.csv
expect_rc 66 "a missing file"
run $P record --from reach.csv smes +1
expect_rc 64 "--from with arguments"
run $P record smes +1 --dry-run
expect_rc 64 "--dry-run without --from"

# Another partner's row is refused (77) for a partner's user: a log whose
# plan has this user in PA, not coordinating.
fixture "$T/pa" "cst_coord_elsewhere" "$(id -un)"
printf 'target,value,partner\nsmes,+1,PA\nsmes,+1,PB\n' >"$T/mixed.csv"
run --project "$T/pa/proj.yaml" --db "$T/pa/proj.db" init
expect_rc 0 "init of a log where this user is PA's"
run --project "$T/pa/proj.yaml" --db "$T/pa/proj.db" record --from mixed.csv
expect_rc 77 "a row for another partner"
expect_err "mixed.csv:3: " "names the line of the refused row"
[ "$(count_entries "$T/pa/proj.db")" = 1 ] && pass "refused row: nothing written" || fail "refused row: written"

# Standard input, and update --from.
printf 'item,status,progress,date,note\nT1.1,in_progress,30,,started\nD1.1,submitted,,,\nT2.1,,,,"waiting for PA"\n' >"$T/upd.csv"
RC=0
(cd "$T" && "$CONSORT" $P update --from - <upd.csv) >"$OUT" 2>"$ERR" || RC=$?
expect_rc 0 "update --from -"
expect_out "recorded #6 to #9: 3 rows of stdin" "stdin named, ids of all four entries"
[ "$(sqlite3 "$DB" "select group_concat(kind, ' ') from (select kind from log where id > $n0 order by id)")" = "status progress status note" ] &&
	pass "update rows: status and progress, status, a note alone" ||
	fail "update kinds: $(sqlite3 "$DB" "select group_concat(kind, ' ') from log where id > $n0")"
printf 'item,progress\nD1.1,50\n' >"$T/upd2.csv"
run $P update --from upd2.csv
expect_rc 65 "progress on a deliverable"
expect_err "upd2.csv:2: progress applies only to tasks" "says where and why"
printf 'item,status\nT1.1,\n' >"$T/upd3.csv"
run $P update --from upd3.csv
expect_rc 65 "an empty update row"
integrity "$DB" "after the bulk writes"
finish
