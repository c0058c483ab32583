#!/bin/sh
# Every command-line path under valgrind: no invalid read or write, no use of
# uninitialised memory and no definite leak, on a real log and the demo.
. "$(dirname "$0")/../lib.sh"

have valgrind || skip "valgrind is not installed"
if grep -q __asan_init "$CONSORT" 2>/dev/null; then
	# The sanitizer build checks the same paths itself; the normal build runs this.
	skip "this binary is built with AddressSanitizer, which valgrind cannot run"
fi

me=$(id -un)
fixture "$T/p" "$me"
P="--project $T/p/proj.yaml --db $T/p/proj.db"
VG="valgrind -q --error-exitcode=99 --leak-check=full --errors-for-leak-kinds=definite --show-leak-kinds=definite"

vg() { # WHAT ARGS...: run consort under valgrind; exit 99 means valgrind found something
	vg_what=$1
	shift
	RC=0
	(cd "$T" && $VG "$CONSORT" "$@") >"$OUT" 2>"$ERR" </dev/null || RC=$?
	if [ "$RC" -eq 99 ]; then
		fail "$vg_what: valgrind reports: $(grep '==' "$ERR" | head -20)"
	elif grep -q '^==[0-9]*==' "$ERR"; then
		fail "$vg_what: valgrind output: $(grep '==' "$ERR" | head -20)"
	else
		pass "$vg_what under valgrind (exit $RC)"
	fi
}

vg "init" $P init
vg "check" check "$T/p/proj.yaml"
vg "check of a broken definition" check "$CONSORT_TESTDATA/defs/bad-dangling-lead.yaml"
vg "update" $P update T1.1 --status in_progress --progress 30 --note "Sākums"
vg "record" $P record smes +12 --note "fair"
vg "record distinct" $P record countries SE
vg "refused write" $P record smes -999
vg "revert" $P revert 3 --note "wrong"
vg "status" $P status
vg "status --json --check" $P status --json --check
vg "log" $P log
vg "log --json" $P log --json
vg "export md" $P export --format md
vg "export csv" $P export --format csv
vg "export json" $P export --format json
vg "demo" demo
vg "status on the demo" status
vg "snapshot" snapshot --size 120x40
vg "snapshot details" snapshot --size 80x24 --pane details:D3.2
vg "usage error" status --bogus
finish
