#!/bin/sh
# SSH links drop and processes die mid-write. Round after round, writers
# record numbered notes and are killed with SIGKILL at random moments; a
# note is acknowledged only after its command returned 0. After every round
# the log passes integrity_check, still accepts writes, and holds every
# acknowledged note exactly once.
. "$(dirname "$0")/../lib.sh"

have sqlite3 || skip "sqlite3 shell absent"
have setsid || skip "setsid absent"

ROUNDS=${CRASH_ROUNDS:-30}
WRITERS=3

me=$(id -un)
P=$T/p
fixture "$P" "$me"
run --project "$P/proj.yaml" init
expect_rc 0 "init"
DB=$P/proj.db
[ -f "$DB" ] || { fail "init created no log"; finish; }

# One writer, in a process group of its own so that the kill takes the
# shell and the consort it is running at once.
cat >"$T/writer.sh" <<'EOF'
w=$1; round=$2
n=0
while [ "$n" -lt 500 ]; do
	n=$((n + 1))
	if "$CONSORT" --project "$P/proj.yaml" record smes +1 --note "r$round-w$w-$n" \
		>/dev/null 2>>"$T/err.r$round-w$w" </dev/null; then
		echo "ack r$round-w$w-$n" >>"$T/ack.w$w"
	else
		echo "rc $?" >>"$T/rc.w$w"
	fi
done
EOF
export P T

# How long one write takes here, so that the kill windows fit this machine:
# a sanitizer build or a loaded CI runner is many times slower than a plain
# build on an idle one, and windows fixed in seconds would then kill every
# writer before its first acknowledgement.
t0=$(date +%s%N)
run --project "$P/proj.yaml" record smes +1 --note "calibrate"
t1=$(date +%s%N)
expect_rc 0 "a first write"
one_ms=$(( (t1 - t0) / 1000000 ))
[ "$one_ms" -ge 10 ] || one_ms=10
echo "one write takes $one_ms ms"

r=1
bad_rounds=0
while [ "$r" -le "$ROUNDS" ]; do
	pgids=""
	w=1
	while [ "$w" -le "$WRITERS" ]; do
		setsid sh "$T/writer.sh" "$w" "$r" &
		pgids="$pgids $!"
		w=$((w + 1))
	done
	# Kill after 0.1 .. 4 times one write's time (three writers share two
	# cores, so a write takes longer than alone): short windows hit process
	# start and the open, longer ones the middle of a transaction or the
	# writes after several acknowledged ones. Every fifth round lets the
	# writers run for 6 write-times, so acknowledgements are sure to come.
	delay=$(awk -v s="$r$$" -v ms="$one_ms" -v r="$r" 'BEGIN {
		srand(s); f = (r % 5 == 0) ? 6 : 0.1 + rand() * 3.9
		d = f * ms / 1000; if (d < 0.02) d = 0.02; printf "%.3f", d }')
	sleep "$delay"
	for g in $pgids; do kill -9 "-$g" 2>/dev/null; done
	for g in $pgids; do wait "$g" 2>/dev/null; done
	ig=$(sqlite3 -cmd '.timeout 5000' "$DB" 'pragma integrity_check;' 2>&1)
	if [ "$ig" != "ok" ]; then
		fail "round $r: integrity_check: $ig"
		bad_rounds=$((bad_rounds + 1))
	fi
	r=$((r + 1))
done
[ "$bad_rounds" -eq 0 ] && pass "integrity_check ok after each of $ROUNDS rounds of kill -9"

cat "$T"/ack.w* 2>/dev/null | sed 's/^ack //' | sort >"$T/acked"
nack=$(wc -l <"$T/acked")
echo "acknowledged writes: $nack"
[ "$nack" -gt 0 ] && pass "writers got acknowledgements" || fail "no write was acknowledged"

# The log still takes a write after all that.
run --project "$P/proj.yaml" record smes +1 --note "after"
expect_rc 0 "a write after the crashes"
run --project "$P/proj.yaml" status
expect_rc 0 "status after the crashes"

sqlite3 "$DB" "select note from log where note like 'r%-w%-%';" | sort >"$T/inlog"
missing=$(comm -23 "$T/acked" "$T/inlog" | head -5)
[ -z "$missing" ] && pass "every acknowledged note is in the log" ||
	fail "acknowledged notes missing from the log: $missing"
dups=$(uniq -d "$T/inlog" | head -5)
[ -z "$dups" ] && pass "no note twice" || fail "notes twice in the log: $dups"

otherrc=$(cat "$T"/rc.w* 2>/dev/null | grep -v -x -e 'rc 69' -e 'rc 137' | sort | uniq -c | head -3)
[ -z "$otherrc" ] && pass "writers that returned exited 0 or 69" ||
	fail "writers exited with: $otherrc; stderr: $(cat "$T"/err.* | head -3)"
if cat "$T"/err.* 2>/dev/null | grep -qi "database is locked\|malformed\|disk image"; then
	fail "sqlite errors leaked: $(cat "$T"/err.* | grep -i 'locked\|malformed\|disk image' | head -2)"
else
	pass "no raw sqlite errors on stderr"
fi
integrity "$DB" "at the end"

finish
