# The commands that read the whole log (log, log --json, export) stream
# it: on a log of 100,000 entries each runs within a few MiB of address
# space more than a command that reads one entry, and prints what it
# prints without the limit, byte for byte. On a wide plan (many partners x
# work packages x months) export and verify hold no more than their parts:
# a cell's months, the plan's text as a compact tree.
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

# A wide plan: 150 partners each planning effort on 150 work packages over
# 72 months (1.6 million partner x WP x months, a 290 KB definition).
# export writes each reporting period's 22,500 rows a cell's months at a
# time (holding every cell's months took 38 MB more than reading one
# entry), and verify compiles the plan's text into a tree of 32-byte nodes
# (its 48-byte nodes rounded to 64 took 3.8 MB more than now).
awk -v np=150 -v nw=150 -v login="$(id -un)" 'BEGIN {
	print "consort: 1\n\nproject:\n  acronym: WIDE\n  title: Many partners and work packages"
	print "  start: 2020-01-01\n  end: 2025-12-31\n  reporting_periods:"
	print "    - {id: RP1, from: 1, to: 24}\n    - {id: RP2, from: 25, to: 48}\n    - {id: RP3, from: 49, to: 72}"
	print "\npartners:"
	for (p = 1; p <= np; p++) {
		printf "  - id: P%03d\n    name: Partner %d\n    country: LV\n    role: %s\n    users: [%s]\n",
			p, p, (p == 1 ? "coordinator" : "partner"), (p == 1 ? login : sprintf("wide%03d", p))
		printf "    effort: {"
		for (w = 1; w <= nw; w++)
			printf "%sWP%d: 1.5", (w > 1 ? ", " : ""), w
		print "}"
	}
	print "\nwork_packages:"
	for (w = 1; w <= nw; w++)
		printf "  - id: WP%d\n    title: Work package %d\n    lead: P001\n    start: 1\n    end: 72\n    tasks:\n      - {id: T%d.1, title: Task, lead: P001, start: 1, end: 72}\n", w, w, w
}' >"$T/wide.yaml"
W="--project $T/wide.yaml"
run $W init
expect_rc 0 "init of the wide plan"
# What one entry's read of the wide plan needs, to 256 KiB.
lo=4096
hi=262144
limited "$hi" $W log --limit 1
[ "$RC" -eq 0 ] || fail "log --limit 1 of the wide plan within $hi KiB"
while [ $((hi - lo)) -gt 256 ]; do
	mid=$(((lo + hi) / 2))
	limited "$mid" $W log --limit 1
	if [ "$RC" -eq 0 ]; then hi=$mid; else lo=$mid; fi
done
wbase=$hi
for cmd in "export --format json" "export --format md" "export --format csv"; do
	run $W $cmd
	cp "$OUT" "$T/want"
	expect_rc 0 "wide: $cmd without a limit"
	limited $((wbase + 40960)) $W $cmd
	expect_rc 0 "wide: $cmd within $((wbase + 40960)) KiB"
	if cmp -s "$OUT" "$T/want"; then pass "wide: $cmd: same output within the limit"; else
		fail "wide: $cmd: output differs within the limit"; fi
done
run $W export --format json
[ "$(grep -c '"to_date_pm"' "$OUT")" = 67500 ] && pass "wide: every period's 22,500 rows" ||
	fail "wide: $(grep -c '"to_date_pm"' "$OUT") period rows, want 67500"
limited $((wbase + 4608)) $W verify
expect_rc 0 "wide: verify within $((wbase + 4608)) KiB"
finish
