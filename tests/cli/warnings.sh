# Warnings of the definition: shown by check (and init, and the dashboard),
# not on every status, export, log or write (a cron job would mail them).
. "$(dirname "$0")/lib.sh"

fixture "$T" "$(id -un)"
sed 's/{id: D2.1, \(.*\)due: 3}/{id: D2.1, \1due: 8}/' "$T/proj.yaml" >"$T/w.yaml"
P="--project $T/w.yaml"
export CONSORT_TODAY=2020-05-15

run $P check
expect_rc 0 "check with a warning"
expect_err "warning: " "check prints the warning"
expect_err "D2.1" "the warning names the deliverable"
expect_out "0 errors, 1 warning" "check counts it"

run $P init
expect_rc 0 "init"
expect_err "warning: " "init shows the warning of the plan it starts"

# quiet ARGS... WHAT: exit 0 and nothing on stderr.
quiet() {
	run "$@"
	expect_rc 0 "$*"
	if [ -s "$ERR" ]; then fail "$*: stderr: $(head -c 300 "$ERR")"; else pass "$*: no warning"; fi
}
quiet $P status
quiet $P status --json
quiet $P export --format md
quiet $P export --format csv
quiet $P export --format json
quiet $P log
quiet $P update T1.1 --progress 10
quiet $P record smes +1
quiet $P snapshot --size 80x24

# An error still stops every command, with its message.
printf 'consort: 1\nproject: [\n' >"$T/broken.yaml"
run --project "$T/broken.yaml" status
expect_rc 65 "a broken definition"
expect_err "broken.yaml:" "its errors are printed"

finish
