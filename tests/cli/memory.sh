# The commands that read the whole log (log, log --json, export) stream
# it: on a log of 100,000 entries each runs within a few MiB of address
# space more than a command that reads one entry, and prints what it
# prints without the limit, byte for byte.
. "$(dirname "$0")/../lib.sh"

fixture "$T" "$(id -un)"
P="--project $T/proj.yaml"
export CONSORT_TODAY=2020-05-15
run $P init
expect_rc 0 "init"
N=100000
awk -v n="$N" 'BEGIN { print "target,value,partner,date,note"
	for (i = 0; i < n; i++)
		printf "smes,+1,PA,2020-05-01,entry %d of a long log with a note that takes room when it is held\n", i }' \
	>"$T/many.csv"
run $P record --from many.csv
expect_rc 0 "record --from $N rows"

# limited KIB ARGS...: consort under an address-space limit of KIB KiB.
limited() {
	lim_kib=$1
	shift
	RC=0
	(cd "$T" && ulimit -v "$lim_kib" && exec "$CONSORT" "$@") >"$OUT" 2>"$ERR" </dev/null || RC=$?
}
# What one entry's read needs here (the libraries, the plan, SQLite's cache).
base=0
for kib in 16384 20480 24576 32768 49152 65536 131072 262144; do
	limited "$kib" $P log --limit 1
	if [ "$RC" -eq 0 ]; then base=$kib; break; fi
done
[ "$base" -gt 0 ] || skip "consort does not run under ulimit -v (a sanitizer's build?)"
# Holding the entries would take about 30 MiB more.
limit=$((base + 12288))
for cmd in "log --json" "log" "log --partner PA --json" "export --format json" "export --format md"; do
	run $P $cmd
	cp "$OUT" "$T/want"
	expect_rc 0 "$cmd without a limit"
	limited "$limit" $P $cmd
	expect_rc 0 "$cmd within $limit KiB"
	if cmp -s "$OUT" "$T/want"; then pass "$cmd: same output within the limit"; else
		fail "$cmd: output differs within the limit ($(wc -c <"$OUT") bytes, want $(wc -c <"$T/want"))"; fi
done
run $P log --json
[ "$(grep -c '"kind": "reach"' "$OUT")" = "$N" ] && pass "log --json lists every entry" ||
	fail "log --json: $(grep -c '"kind": "reach"' "$OUT") reach entries, want $N"
finish
