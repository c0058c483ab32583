# Files and pipes are UTF-8 whatever the locale (cron runs with none); only a
# terminal in a non-UTF-8 locale gets ASCII. Control characters stay inert.
. "$(dirname "$0")/lib.sh"

fixture "$T" "$(id -un)"
sed 's/title: Management$/title: "Apmācības \\e[31m"/' "$T/proj.yaml" >"$T/l.yaml"
P="--project $T/l.yaml"
export CONSORT_TODAY=2020-05-15
run $P init
expect_rc 0 "init"
run $P record countries LV
run $P update T1.1 --progress 30 --note "Jānis sent the plan"

# bare ARGS...: consort with no locale at all (cron's environment).
bare() {
	RC=0
	(cd "$T" && env -i PATH=/usr/bin:/bin HOME="$HOME" CONSORT_DATA="$CONSORT_DATA" \
		CONSORT_TODAY="$CONSORT_TODAY" "$CONSORT" "$@") >"$OUT" 2>"$ERR" || RC=$?
}
for fmt in md csv json; do
	bare $P export --format $fmt
	expect_rc 0 "export $fmt without a locale"
	expect_out "Apmācības" "export $fmt without a locale keeps UTF-8"
	no_raw_escape "$OUT" "export $fmt without a locale"
done
bare $P export --format md --output "$T/r.md"
grep -qF "Apmācības" "$T/r.md" && pass "export to a file without a locale keeps UTF-8" ||
	fail "export --output without a locale: $(grep WP1 "$T/r.md")"
bare $P status
expect_rc 0 "status without a locale"
expect_out "Apmācības" "status to a file without a locale keeps UTF-8"
expect_out "███" "status to a file without a locale draws its bars in UTF-8"
no_raw_escape "$OUT" "status without a locale"
bare $P log
expect_out "Jānis sent the plan" "log to a file without a locale keeps UTF-8"
LC_ALL=C run $P status
expect_out "Apmācības" "status in the C locale to a file keeps UTF-8"

# A terminal in the C locale gets ASCII (script(1) gives one).
if have script && script -qec true /dev/null >/dev/null 2>&1; then
	(cd "$T" && LC_ALL=C script -qec "$CONSORT $P status" /dev/null) >"$OUT" 2>&1 </dev/null
	if LC_ALL=C grep -q "$(printf '[\200-\377]')" "$OUT"; then
		fail "a C-locale terminal got non-ASCII: $(grep WP1 "$OUT")"
	else
		pass "a C-locale terminal gets ASCII"
	fi
	expect_out "Apm?c?bas" "non-ASCII shown as ? on a C-locale terminal"
	expect_out "#" "ASCII bars on a C-locale terminal"
else
	echo "skip: terminal check (script absent)"
fi

finish
