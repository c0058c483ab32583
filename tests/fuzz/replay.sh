#!/bin/sh
# Replay the fuzzing corpus and every input that once crashed the loader.
# Under the sanitizer build a crash, leak or UB fails this test.
. "$(dirname "$0")/../lib.sh"
bin="$top_builddir/tests/fuzz/fuzz_load"
[ -x "$bin" ] || { echo "fuzz_load not built"; exit 1; }
set -- "$top_srcdir"/tests/fuzz/regress/* "$top_srcdir"/tests/fuzz/corpus/* \
	"$top_srcdir"/data/*.yaml
n=0; for f in "$@"; do [ -f "$f" ] && n=$((n + 1)); done
[ "$n" -gt 0 ] || { echo "no inputs found"; exit 1; }
files=""; for f in "$@"; do [ -f "$f" ] && files="$files $f"; done
# shellcheck disable=SC2086
"$bin" $files
exit $?
