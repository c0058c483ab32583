#!/bin/sh
# The tests that run consort as other Unix users pass wherever the build
# tree lives, also where no other user can enter (a clone in /root, mode
# 700): the binary, the bundled data and the leak suppressions are copied
# into such a directory here, and those tests run from it (root only).
. "$(dirname "$0")/../lib.sh"

[ "$(id -u)" -eq 0 ] || skip "needs root to run as other users"

PRIV=$T/private
mkdir -m 700 "$PRIV" "$PRIV/data"
cp "$CONSORT" "$PRIV/consort" && cp -R "$CONSORT_DATA/." "$PRIV/data" &&
	cp "$top_srcdir/tests/lsan.supp" "$PRIV/lsan.supp" || { fail "cannot fill $PRIV"; finish; }
chmod 700 "$PRIV/consort"
PRIV_LSAN=$(printf '%s' "${LSAN_OPTIONS:-}" | sed "s|suppressions=[^:]*|suppressions=$PRIV/lsan.supp|")

ran=0
for t in cli/users reliability/users reliability/hostile-logs; do
	log=$T/$(echo "$t" | tr / -).log
	rc=0
	CONSORT=$PRIV/consort CONSORT_DATA=$PRIV/data LSAN_OPTIONS=$PRIV_LSAN \
		sh "$top_srcdir/tests/$t.sh" >"$log" 2>&1 </dev/null || rc=$?
	case $rc in
	0) pass "tests/$t.sh with consort in a directory only root can enter"; ran=1 ;;
	77) echo "skipped: tests/$t.sh: $(grep -i skip "$log" | head -1)" ;;
	*) fail "tests/$t.sh with consort in a directory only root can enter: exit $rc;" \
		"$(grep -v '^ok' "$log" | head -5)"; ran=1 ;;
	esac
done
[ "$ran" -eq 1 ] || skip "every test of other users skipped"
finish
