# Honest exits: every command's output to a full device is exit 74 with one
# line on stderr; --version in the GNU format.
. "$(dirname "$0")/lib.sh"

run --version
expect_rc 0 "--version"
head -n1 "$OUT" | grep -qE '^consort [0-9][^ ]*$' && pass "--version: name and version" ||
	fail "--version: first line '$(head -n1 "$OUT")'"
expect_out "Copyright (C) 2026 the consort authors" "--version: copyright"
expect_out "License GPL-2.0-or-later: GNU GPL version 2 or later <https://gnu.org/licenses/gpl.html>." "--version: licence"
expect_out "This is free software: you are free to change and redistribute it." "--version: free software"
expect_out "There is NO WARRANTY, to the extent permitted by law." "--version: no warranty"
[ "$(wc -l <"$OUT")" -eq 5 ] && pass "--version: five lines" || fail "--version: $(wc -l <"$OUT") lines"

if [ ! -w /dev/full ]; then
	echo "skip: /dev/full absent" >&2
	exit 77
fi

fixture "$T" "$(id -un)"
P="--project $T/proj.yaml"
export CONSORT_TODAY=2020-05-15

# full ARGS...: consort ARGS >/dev/full; sets RC and ERR.
full() {
	RC=0
	(cd "$T" && "$CONSORT" "$@") >/dev/full 2>"$ERR" || RC=$?
}
full_74() {
	full "$@"
	expect_rc 74 "$* >/dev/full"
	expect_one_line_err "$* >/dev/full"
}

full_74 $P init
full_74 $P update T1.1 --progress 10
full_74 $P record smes +1
full_74 $P record countries SE
full_74 $P bench COORD G1 4
full_74 $P bench COORD --label silver
full_74 $P revert 2 --note undo
full_74 $P status
full_74 $P status --json
full_74 $P status --check
full_74 $P log
full_74 $P log --json
full_74 $P check
full_74 $P check "$T/proj.yaml"
full_74 $P export --format md
full_74 $P export --format csv
full_74 $P export --format json
full_74 $P export --format json --period RP1
full_74 $P export --format csv --output /dev/full
full_74 $P snapshot --size 80x24
full_74 --help
full_74 status --help
full_74 revert --help
full_74 --version
full_74 --db "$T/demo.db" demo

finish
