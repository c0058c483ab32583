# Where the bundled definition comes from. A consort run from its build tree
# finds the tree's data/ without CONSORT_DATA (a new user's first command is
# ./src/consort after make); a copy of the same program outside the build
# tree, as an installed one is, never looks into the source or build tree.
: "${top_srcdir:?top_srcdir must point at the source tree}"
: "${top_builddir:?top_builddir must point at the build tree}"
: "${CONSORT:=$top_builddir/src/consort}"
T=$(mktemp -d "${TMPDIR:-/tmp}/consort-datadir.XXXXXX") || exit 1
trap 'rm -rf "$T"' EXIT
status=0
src=$(cd "$top_srcdir" && pwd -P)
build=$(cd "$top_builddir" && pwd -P)

# Nothing from the environment of make check: no CONSORT_DATA, no definition
# in the current directory, a fresh home.
clean_env() {
	mkdir -p "$T/home" "$T/cwd"
	(cd "$T/cwd" && env -i PATH=/usr/bin:/bin HOME="$T/home" LC_ALL=C.UTF-8 \
		CONSORT_TODAY=2017-03-31 CONSORT_NO_CACHE=1 "$@")
}

out=$(clean_env "$CONSORT" status 2>"$T/err")
rc=$?
if [ $rc -eq 0 ] && printf '%s\n' "$out" | grep -q '^5FOREXCELLENCE '; then
	echo "ok: the uninstalled consort opens the bundled demo"
else
	echo "FAIL: the uninstalled consort, without CONSORT_DATA, exits $rc: $(head -c 300 "$T/err")"
	status=1
fi

if ! command -v strace >/dev/null 2>&1; then
	echo "skip: the installed copy's file accesses (strace absent)"
	[ $status -eq 0 ] && exit 77 || exit $status
fi
mkdir -p "$T/bin"
cp "$CONSORT" "$T/bin/consort"
clean_env strace -f -qq -o "$T/trace" -e trace=%file "$T/bin/consort" status >/dev/null 2>&1
if [ ! -s "$T/trace" ]; then
	echo "skip: strace recorded nothing (not permitted here?)"
	[ $status -eq 0 ] && exit 77 || exit $status
fi
# The copy itself lives in $T, and the package data directory is where an
# installed consort looks (make distcheck installs under the source tree);
# any other path of either tree is a leak.
leaks=$(grep -F -e "\"$src/" -e "\"$build/" "$T/trace" | grep -v -F -e "\"$T/" \
	${CONSORT_PKGDATADIR:+-e "\"$CONSORT_PKGDATADIR/"})
if [ -z "$leaks" ]; then
	echo "ok: a copy outside the build tree touches no file of the source or build tree"
else
	echo "FAIL: a copy outside the build tree reads the build tree:"
	printf '%s\n' "$leaks" | head -n 5
	status=1
fi
exit $status
