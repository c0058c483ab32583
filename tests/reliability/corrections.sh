#!/bin/sh
# Corrections race: a count of 20 and eight partners' processes each
# taking 5 off it at once. Each checks the total before it waits for the
# write lock, which another process holds meanwhile; so all eight checks
# see 20. The write path checks again under the lock, where each sees the
# ones before it: four are written, four refused with 65 and nothing
# written, and the total ends at 0, never below.
. "$(dirname "$0")/../lib.sh"

have sqlite3 || skip "sqlite3 shell absent"

me=$(id -un)
P=$T/p
fixture "$P" "$me"
run --project "$P/proj.yaml" init
expect_rc 0 "init"
DB=$P/proj.db
run --project "$P/proj.yaml" record smes =20 --note start
expect_rc 0 "the count set to 20"

# The write lock held for two seconds by another process (the shell).
sqlite3 -cmd '.timeout 10000' "$DB" "BEGIN IMMEDIATE; SELECT 1;" ".shell sleep 2" "COMMIT;" \
	>/dev/null 2>"$T/holder.err" &
holder=$!
sleep 0.5
pids=""
w=1
while [ "$w" -le 8 ]; do
	( rc=0
	  "$CONSORT" --project "$P/proj.yaml" record smes -5 --note "take-$w" \
		>/dev/null 2>"$T/err.$w" </dev/null || rc=$?
	  echo "$rc" >"$T/rc.$w" ) &
	pids="$pids $!"
	w=$((w + 1))
done
for p in $pids; do wait "$p"; done
wait "$holder" || fail "the shell holding the lock failed: $(cat "$T/holder.err")"

ok=$(cat "$T"/rc.* | grep -c -x 0)
refused=$(cat "$T"/rc.* | grep -c -x 65)
[ "$ok" -eq 4 ] && pass "four corrections written" || fail "$ok corrections written (want 4): $(cat "$T"/rc.* | tr '\n' ' ')"
[ "$refused" -eq 4 ] && pass "four refused with 65" || fail "$refused refused with 65 (want 4)"
n=$(sqlite3 "$DB" "select count(*) from log where note like 'take-%'")
[ "$n" -eq "$ok" ] && pass "the log holds exactly the written ones" || fail "$n corrections in the log, $ok acknowledged"
run --project "$P/proj.yaml" status --json
total=$(json_get "$OUT" '[t["total"] for t in d["targets"] if t["id"]=="smes"][0]')
[ "$total" = 0 ] && pass "the total ends at 0" || fail "the total is '$total'"
grep -h "below\|negative\|take" "$T"/err.* | head -1 | grep -q . && pass "a refused one says why" ||
	fail "no reason given: $(cat "$T"/err.* | head -2)"
finish
