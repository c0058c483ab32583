# The manual pages as built name the data directory this build installs
# to, its version and its bug address; no placeholder is left in them.
: "${top_builddir:?top_builddir must point at the build tree}"
: "${CONSORT_PKGDATADIR:?CONSORT_PKGDATADIR must be the configured package data directory}"
status=0
for m in consort.1 consort-project.5; do
	f=$top_builddir/man/$m
	if [ ! -f "$f" ]; then
		echo "FAIL: $m was not built"; status=1; continue
	fi
	grep -qxF ".I $CONSORT_PKGDATADIR/5forexcellence.yaml" "$f" &&
		echo "ok: $m names $CONSORT_PKGDATADIR" ||
		{ echo "FAIL: $m does not name the bundled definition under $CONSORT_PKGDATADIR"; status=1; }
	if grep -n '@[A-Za-z_]*@' "$f"; then
		echo "FAIL: $m keeps a placeholder"; status=1
	fi
	if [ "$CONSORT_PKGDATADIR" != /usr/share/consort ] && grep -n '/usr/share/consort' "$f"; then
		echo "FAIL: $m names /usr/share/consort, not this build's $CONSORT_PKGDATADIR"; status=1
	fi
done
# The shared server's set-up names the program where this build installs it.
if [ -n "${CONSORT_BINDIR:-}" ]; then
	grep -qF "chgrp consort\-log $CONSORT_BINDIR/consort" "$top_builddir/man/consort.1" &&
		echo "ok: consort.1 names $CONSORT_BINDIR/consort" ||
		{ echo "FAIL: consort.1 does not name $CONSORT_BINDIR/consort in the set-up"; status=1; }
fi
grep -qF "$CONSORT_BUGREPORT" "$top_builddir/man/consort.1" &&
	echo "ok: consort.1 gives the bug address" ||
	{ echo "FAIL: consort.1 does not give the bug address $CONSORT_BUGREPORT"; status=1; }
exit $status
