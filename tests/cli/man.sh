# The manual pages: they format without warnings, and they say what the
# program does: every key of the dashboard's key table, every table a
# fresh log holds and its user_version, every snapshot pane.
. "$(dirname "$0")/../lib.sh"

# The pages as built (their .in files with the configured paths filled in).
MAN1=$top_builddir/man/consort.1
MAN5=$top_builddir/man/consort-project.5
KEYS_C=$top_srcdir/src/tui/keys.c

if have groff; then
	for m in "$MAN1" "$MAN5"; do
		w=$(groff -man -ww -z "$m" 2>&1)
		[ -z "$w" ] && pass "$(basename "$m") formats without warnings" ||
			fail "$(basename "$m"): groff says: $(printf '%s' "$w" | head -c 400)"
	done
else
	echo "skip: groff warnings (groff absent)"
fi

# A section of consort(1) as plain words: requests and escapes removed.
section() {
	sed -n "/^\.SH $1\$/,/^\.SH /p" "$MAN1" | sed -e 's/\\-/-/g' -e 's/\\f[BIRP]//g' \
		-e 's/^\.[A-Z][A-Z]* *//' -e 's/"//g'
}

# KEYS lists every key of the key table (the names the help screen shows).
# Key names such as ? and [ must not be taken as file patterns.
set -f
section KEYS >"$T/keys.txt"
names=$(sed -n 's/^[[:space:]]*{[^,]*, *"\([^"]*\)", *ACT_.*/\1/p' "$KEYS_C" | sort -u)
[ -n "$names" ] && pass "key names read from keys.c" || fail "no key names found in $KEYS_C"
# The pane keys are one range, 1 to the last pane's digit.
last_pane=$(printf '%s\n' $names | grep -x '[1-9]' | sort -n | tail -n 1)
for k in $names; do
	case $k in
	[1-9]) grep -q "^1 *- *$last_pane\$" "$T/keys.txt" && pass "key $k documented" || fail "key $k missing from KEYS";;
	*) grep -qE "(^|[ ,])$(printf '%s' "$k" | sed 's/[][\\.*^$?+(){}|/]/\\&/g')(,|\$| )" "$T/keys.txt" &&
		pass "key $k documented" || fail "key $k missing from KEYS";;
	esac
done
# ... and no key that the table does not bind.
for k in $(sed -n '/^\.SH KEYS$/,/^\.SH /{/^\.TP$/{n;p}}' "$MAN1" |
	sed -e 's/\\-/-/g' -e 's/^\.BR* //' -e 's/"//g' -e 's/,//g'); do
	case $k in mouse|-|1) continue;; [2-9]) continue;; esac
	printf '%s\n' "$names" | grep -qxF -- "$k" && pass "KEYS entry $k is bound" ||
		fail "KEYS documents '$k', which keys.c does not bind"
done

set +f

# THE LOG names every table of a fresh log and its user_version.
if have sqlite3; then
	fixture "$T" "$(id -un)"
	run --project "$T/proj.yaml" init
	expect_rc 0 "init for the schema"
	section "THE LOG" >"$T/log.txt"
	for t in $(sqlite3 "$T/proj.db" "SELECT name FROM sqlite_master WHERE type IN ('table', 'trigger') ORDER BY name;"); do
		grep -qw -- "$t" "$T/log.txt" && pass "schema: $t documented" || fail "schema: $t missing from THE LOG"
	done
	v=$(sqlite3 "$T/proj.db" "PRAGMA user_version;")
	grep -q "(currently $v)" "$T/log.txt" && pass "user_version $v documented" ||
		fail "THE LOG does not give user_version $v"
else
	echo "skip: schema against the manual (sqlite3 absent)"
fi

# snapshot --pane: every name the program accepts is documented.
run snapshot --pane no-such-pane
expect_rc 64 "unknown pane"
panes=$(sed -n "s/.*unknown pane '[^']*' (\([^)]*\)).*/\1/p" "$ERR" | tr -d ',')
[ -n "$panes" ] && pass "pane names from the error" || fail "no pane list in: $(cat "$ERR")"
sed -n '/^\.B snapshot/,/^\.TP$/p' "$MAN1" | sed -e 's/\\-/-/g' -e 's/\\f[BIRP]//g' >"$T/snap.txt"
for pn in $panes; do
	pn=${pn%%ID}
	grep -qF -- "$pn" "$T/snap.txt" && pass "pane $pn documented" || fail "pane $pn missing from snapshot"
done
finish
