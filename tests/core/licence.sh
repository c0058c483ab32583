# The licence: COPYING holds the GNU GPL version 2 that "GPL-2.0-or-later"
# names, and the build knows where bugs are reported.
: "${top_srcdir:?top_srcdir must point at the source tree}"
: "${top_builddir:?top_builddir must point at the build tree}"
status=0
if grep -q 'GNU GENERAL PUBLIC LICENSE' "$top_srcdir/COPYING" 2>/dev/null &&
   grep -q 'Version 2, June 1991' "$top_srcdir/COPYING"; then
	echo "ok: COPYING is the GNU GPL version 2"
else
	echo "FAIL: COPYING is missing or is not the GNU GPL version 2"; status=1
fi
bug=$(sed -n 's/^#define PACKAGE_BUGREPORT "\(.*\)"$/\1/p' "$top_builddir/config.h")
case $bug in
*@*|http*://*) echo "ok: PACKAGE_BUGREPORT is $bug";;
*) echo "FAIL: PACKAGE_BUGREPORT is empty or not an address: '$bug'"; status=1;;
esac
exit $status
