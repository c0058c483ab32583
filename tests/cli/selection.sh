# export: the same selection in every format (a period's deliverables and
# milestones), and a whole-project export stops at the project's end.
. "$(dirname "$0")/lib.sh"

fixture "$T" "$(id -un)"
P="--project $T/proj.yaml"
export CONSORT_TODAY=2020-10-15
run $P init
expect_rc 0 "init"

# RP2 (M7-M12): D3.1 (due M8) and MS2 (due M12); not D1.1, D2.1 or MS1.
for fmt in md csv json; do
	run $P export --format $fmt --period RP2
	expect_rc 0 "export $fmt RP2"
	expect_out "D3.1" "$fmt RP2 lists D3.1"
	expect_out "MS2" "$fmt RP2 lists MS2"
	expect_no_out "D1.1" "$fmt RP2 leaves out D1.1"
	expect_no_out "D2.1" "$fmt RP2 leaves out D2.1"
	expect_no_out "MS1" "$fmt RP2 leaves out MS1"
done
run $P export --format json --period RP1
expect_out "D1.1" "json RP1 lists D1.1"
expect_no_out "D3.1" "json RP1 leaves out D3.1"
run $P export --format json
expect_out "D1.1" "json whole project lists D1.1"
expect_out "D3.1" "json whole project lists D3.1"
run $P status --json
expect_out "D1.1" "status --json lists every deliverable"
expect_out "D3.1" "status --json lists every deliverable (2)"

# After the end: the state as of the project's last day, as --period does.
for fmt in md csv json; do
	run $P --as-of 2021-06-30 export --format $fmt
	expect_rc 0 "export $fmt after the end"
	expect_out "2020-12-31" "$fmt after the end: as of the end"
	expect_no_out "2021-06-30" "$fmt after the end: not the later date"
done
run $P --as-of 2021-06-30 export --format md
expect_out "State as of: 2020-12-31 (M12 of 12)" "md after the end names the end"
run $P --as-of 2020-06-30 export --format md
expect_out "State as of: 2020-06-30" "md within the project keeps the as-of date"

finish
