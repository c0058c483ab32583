# A write's confirmation names the effective date the log stores: a future
# CONSORT_TODAY is clamped to the real date, and a revert takes the date of
# the entry it undoes.
. "$(dirname "$0")/lib.sh"

fixture "$T" "$(id -un)"
P="--project $T/proj.yaml"
real=$(date -u +%Y-%m-%d)

run $P init
expect_rc 0 "init"
CONSORT_TODAY=2099-01-01 run $P update T1.1 --progress 10
expect_rc 0 "update with a future CONSORT_TODAY"
expect_out "(effective $real)" "names the real date it stores"
expect_no_out "2099-01-01" "does not name the future date"
run $P log --json
expect_out "\"effective\": \"$real\"" "the log stores the real date"

CONSORT_TODAY=2099-01-01 run $P record smes +2
expect_out "(effective $real)" "record names the real date"

export CONSORT_TODAY=2020-05-15
run $P update T1.1 --progress 20 --date 2020-05-01
expect_out "(effective 2020-05-01)" "an explicit date is named"
run $P revert 4 --note "wrong"
expect_rc 0 "revert"
expect_out "(effective 2020-05-01)" "a revert names the date of the entry it undoes"
run $P log T1.1
expect_out "#4  2020-05-01" "the revert is stored at that date"

finish
