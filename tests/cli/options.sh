# Options as getopt_long reads them: a value is never taken for another
# option, global options before or after the command, every command's usage.
. "$(dirname "$0")/lib.sh"

fixture "$T" "$(id -un)"
P="--project $T/proj.yaml"
DB=$T/proj.db
export CONSORT_TODAY=2020-05-15
run $P init
expect_rc 0 "init"

# note_of ID: the note of entry ID (log --json, python3).
note_of() {
	"$CONSORT" $P log --json >"$T/log.json" 2>/dev/null
	json_get "$T/log.json" "[e['note'] for e in d if e['id']==$1][0]"
}

run $P update T1.1 --note --help --progress 60
expect_rc 0 "--note --help --progress 60"
expect_no_out "usage:" "a note '--help' prints no help"
expect_out "recorded #2: T1.1 progress 60" "the progress is recorded"
have python3 && { [ "$(note_of 2)" = "--help" ] && pass "the note is '--help'" || fail "note: '$(note_of 2)'"; }

run $P update T1.1 --note --db --progress 61
expect_rc 0 "--note --db --progress 61"
expect_out "recorded #3: T1.1 progress 61" "--progress is not the log's path"
[ -e "$T/--progress" ] && fail "a log named --progress was made" || pass "no log named --progress"
have python3 && { [ "$(note_of 3)" = "--db" ] && pass "the note is '--db'" || fail "note: '$(note_of 3)'"; }

run $P update T1.1 --note --version --progress 62
expect_rc 0 "--note --version"
expect_no_out "Copyright" "a note '--version' prints no version"

# Global options after the command, and with '='.
run update T1.1 --progress 63 --project "$T/proj.yaml"
expect_rc 0 "--project after the command"
run status --project="$T/proj.yaml" --as-of 2020-02-01
expect_rc 0 "--as-of after the command"
expect_out "as of 2020-02-01" "--as-of after the command is used"
run $P status --as-of 2020-02-30
expect_rc 64 "an impossible --as-of after the command"
expect_one_line_err "an impossible --as-of after the command"
run $P status --as-of
expect_rc 64 "--as-of without its value after the command"
expect_err "--as-of needs a value" "says it needs a value"
run $P --db "$DB" log --limit 1
expect_rc 0 "--db before the command"
run $P log --limit 1 --db="$DB"
expect_rc 0 "--db= after the command"

# A negative number is a value, also as an option's value.
run $P record smes +5
run $P record smes -2
expect_rc 0 "record -2"
expect_out "smes -2 for COORD" "a negative number is a positional value"
run $P update T1.1 --progress 64 --note -3
expect_rc 0 "--note -3"
run $P update T1.1 --progress=-3
expect_rc 65 "--progress=-3 is a bad percentage, not an option"

# Help and version after the command; options still end at --.
run $P status --json --help
expect_rc 0 "status --json --help"
expect_out "usage: consort status [--json] [--check]" "the command's usage"
expect_no_out "\"project\"" "help only"
run $P log -h
expect_rc 0 "log -h"
expect_out "usage: consort log" "-h after the command"
run $P status -V
expect_out "Copyright (C) 2026" "-V after the command"
run $P update -- T1.1 --progress 65
expect_rc 64 "after --, --progress is an argument"

# Every command's usage names its options; revert's names --date.
for cmd in status snapshot update record bench log revert check init demo export; do
	run $cmd --help
	expect_rc 0 "$cmd --help"
	expect_out "usage: consort $cmd" "$cmd --help: usage"
done
run revert --help
expect_out "--date DATE" "revert --help names --date"
run revert 1 --note x --date
expect_err "revert: --date needs a value" "revert takes --date"

# POSIXLY_CORRECT does not stop options after the item.
POSIXLY_CORRECT=1 run $P update T1.1 --progress 66
expect_rc 0 "POSIXLY_CORRECT: options after the item"
unset POSIXLY_CORRECT

finish
