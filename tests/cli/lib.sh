# Helpers for the end-to-end tests of the consort command line.
# Source it from a test script: . "$(dirname "$0")/lib.sh"
# Exit status of a test: 0 pass, 1 fail, 77 skip (only when a tool is absent).

set -u

: "${top_srcdir:=$(cd "$(dirname "$0")/../.." && pwd)}"
: "${top_builddir:=$top_srcdir}"
: "${CONSORT:=$top_builddir/src/consort}"
: "${CONSORT_TESTDATA:=$top_srcdir/tests/data}"
: "${CONSORT_DATA:=$top_srcdir/data}"
export CONSORT_DATA CONSORT_TESTDATA
LC_ALL=${LC_ALL:-C.UTF-8}
export LC_ALL

if [ ! -x "$CONSORT" ]; then
	echo "consort binary not found at $CONSORT" >&2
	exit 1
fi

# A scratch directory, removed on exit; the demo and data dirs live in it.
T=$(mktemp -d "${TMPDIR:-/tmp}/consort-cli.XXXXXX") || exit 1
chmod 755 "$T"
cleanup_hooks=""
cleanup() {
	for h in $cleanup_hooks; do "$h"; done
	rm -rf "$T"
}
trap cleanup EXIT
trap 'exit 1' HUP INT TERM
XDG_DATA_HOME=$T/xdg
HOME=$T/home
mkdir -p "$HOME"
export XDG_DATA_HOME HOME
unset CONSORT_PROJECT CONSORT_DB CONSORT_TODAY NO_COLOR 2>/dev/null || true

FAILS=0
TESTNAME=$(basename "$0" .sh)

fail() {
	echo "FAIL: $TESTNAME: $*" >&2
	FAILS=$((FAILS + 1))
}

pass() {
	echo "ok: $*"
}

# run ARGS...: run consort from the scratch dir; sets RC, OUT, ERR (files).
OUT=$T/stdout
ERR=$T/stderr
RC=0
run() {
	RC=0
	(cd "$T" && "$CONSORT" "$@") >"$OUT" 2>"$ERR" || RC=$?
}

# run_as USER ARGS...: as another Unix user (root only), via setpriv.
run_as() {
	u=$1
	shift
	uid=$(id -u "$u") || return 1
	gid=$(id -g "$u")
	RC=0
	(cd "$T" && setpriv --reuid="$uid" --regid="$gid" --init-groups \
		env HOME="$T/home" XDG_DATA_HOME="$T/xdg" CONSORT_DATA="$CONSORT_DATA" LC_ALL="$LC_ALL" \
		${CONSORT_TODAY:+CONSORT_TODAY=$CONSORT_TODAY} "$CONSORT" "$@") >"$OUT" 2>"$ERR" || RC=$?
}

# expect_rc CODE WHAT: the last run exited with CODE.
expect_rc() {
	if [ "$RC" -eq "$1" ]; then
		pass "$2 (exit $1)"
	else
		fail "$2: expected exit $1, got $RC; stderr: $(head -c 400 "$ERR")"
	fi
}

# expect_out TEXT WHAT / expect_err TEXT WHAT: stdout/stderr contains TEXT.
expect_out() {
	if grep -qF -- "$1" "$OUT"; then pass "$2"; else
		fail "$2: stdout lacks '$1'; stdout: $(head -c 600 "$OUT")"; fi
}
expect_no_out() {
	if grep -qF -- "$1" "$OUT"; then
		fail "$2: stdout has '$1'"; else pass "$2"; fi
}
expect_err() {
	if grep -qF -- "$1" "$ERR"; then pass "$2"; else
		fail "$2: stderr lacks '$1'; stderr: $(head -c 600 "$ERR")"; fi
}

# expect_one_line_err WHAT: stderr is exactly one line starting "consort: ".
expect_one_line_err() {
	n=$(wc -l <"$ERR")
	if [ "$n" -eq 1 ] && head -n1 "$ERR" | grep -q '^consort: '; then pass "$1: one-line error"; else
		fail "$1: expected one 'consort: ' line on stderr, got $n: $(head -c 400 "$ERR")"; fi
}

# no_raw_escape FILE WHAT: no ESC or BEL byte in FILE, and (with python3)
# valid UTF-8 without C1 controls (U+0080..U+009F) or bidi overrides.
no_raw_escape() {
	if LC_ALL=C grep -q "$(printf '[\033\007]')" "$1"; then
		fail "$2: raw control bytes in output"
	elif have python3 && ! python3 -c 'import sys
t = open(sys.argv[1], "rb").read().decode("utf-8")
sys.exit(any(0x80 <= ord(c) <= 0x9f or 0x202a <= ord(c) <= 0x202e for c in t))' "$1" 2>/dev/null; then
		fail "$2: invalid UTF-8, C1 control or bidi override in output"
	else
		pass "$2: no raw control bytes"
	fi
}

have() { command -v "$1" >/dev/null 2>&1; }

# json_ok FILE WHAT: FILE parses as JSON (skips this assertion without python3).
json_ok() {
	if ! have python3; then
		echo "skip: $2 (python3 absent)"
		return 0
	fi
	if python3 -m json.tool "$1" >/dev/null 2>&1; then pass "$2: valid JSON"; else
		fail "$2: invalid JSON: $(head -c 400 "$1")"; fi
}

# json_get FILE EXPR: print a value from the JSON in FILE (python3 expression on d).
json_get() {
	python3 -c "import json,sys; d=json.load(open(sys.argv[1])); print($2)" "$1" 2>/dev/null
}

# log_count DB: entries in the log (sqlite3 shell), or "" without sqlite3.
log_count() {
	if have sqlite3; then sqlite3 "$1" 'select count(*) from log;'; else echo ""; fi
}

# fixture DIR LOGIN: write DIR/proj.yaml, a small project with LOGIN as a
# user of the coordinator (its only one); PA has the user consort-t-anna, PB
# consort-t-bert. 2020-01-01 .. 2020-12-31, periods RP1 (1-6), RP2 (7-12).
fixture() {
	mkdir -p "$1"
	sed "s/@LOGIN@/$2/" "$CONSORT_TESTDATA/cli/proj.yaml.in" >"$1/proj.yaml"
}

# finish: exit with the result of the script.
finish() {
	if [ "$FAILS" -gt 0 ]; then
		echo "$TESTNAME: $FAILS failure(s)" >&2
		exit 1
	fi
	exit 0
}
