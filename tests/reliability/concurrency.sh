#!/bin/sh
# Many partners write one log at once: 8 writers each record 50 entries
# through the real command line while two readers poll status. Every write
# that reported success is in the log exactly once, nothing is duplicated,
# a busy log gives 69 (never "database is locked" leaking out), and the
# database stays intact.
. "$(dirname "$0")/../lib.sh"

have sqlite3 || skip "sqlite3 shell absent"

me=$(id -un)
P=$T/p
fixture "$P" "$me"
run --project "$P/proj.yaml" init
expect_rc 0 "init"
DB=$P/proj.db
[ -f "$DB" ] || { fail "init created no log at $DB"; finish; }

WRITERS=8
PER=50

writer() {
	w=$1
	i=1
	while [ "$i" -le "$PER" ]; do
		rc=0
		"$CONSORT" --project "$P/proj.yaml" record smes +1 --note "w$w-$i" \
			>/dev/null 2>>"$T/err.w$w" </dev/null || rc=$?
		echo "w$w-$i $rc" >>"$T/rc.w$w"
		i=$((i + 1))
	done
}

reader() {
	r=$1
	while [ ! -f "$T/done" ]; do
		rc=0
		"$CONSORT" --project "$P/proj.yaml" status >/dev/null 2>>"$T/err.r$r" </dev/null || rc=$?
		echo "$rc" >>"$T/rc.r$r"
	done
}

reader 1 &
r1=$!
reader 2 &
r2=$!
pids=""
w=1
while [ "$w" -le "$WRITERS" ]; do
	writer "$w" &
	pids="$pids $!"
	w=$((w + 1))
done
for p in $pids; do wait "$p"; done
touch "$T/done"
wait "$r1" "$r2"

cat "$T"/rc.w* >"$T/all.rc"
total=$(wc -l <"$T/all.rc")
[ "$total" -eq $((WRITERS * PER)) ] && pass "all $total writes ran" ||
	fail "expected $((WRITERS * PER)) writes, ran $total"
ok=$(awk '$2 == 0' "$T/all.rc" | wc -l)
echo "writes that succeeded: $ok of $total"
[ "$ok" -gt 0 ] && pass "some writes succeeded" || fail "no write succeeded"

bad=$(awk '$2 != 0 && $2 != 69' "$T/all.rc" | head -5)
[ -z "$bad" ] && pass "writers exit only 0 or 69" || fail "writer exit codes other than 0/69: $bad"
rbad=$(cat "$T"/rc.r* | grep -v -x -e 0 -e 69 | sort | uniq -c | head -5)
[ -z "$rbad" ] && pass "readers exit only 0 or 69" || fail "status exit codes other than 0/69: $rbad"
nreads=$(cat "$T"/rc.r* | wc -l)
echo "status runs meanwhile: $nreads"

if cat "$T"/err.* 2>/dev/null | grep -qi "database is locked"; then
	fail "'database is locked' on stderr: $(cat "$T"/err.* | grep -i 'database is locked' | head -1)"
else
	pass "no 'database is locked' on stderr"
fi
# Every refused command said why in one line of its own.
if cat "$T"/err.* 2>/dev/null | grep -v '^consort: ' | grep -q .; then
	fail "stderr lines without the 'consort: ' prefix: $(cat "$T"/err.* | grep -v '^consort: ' | head -2)"
else
	pass "stderr lines are all 'consort: ...'"
fi

run --project "$P/proj.yaml" log --json
expect_rc 0 "log --json"
if have python3; then
	python3 - "$OUT" >"$T/notes" <<'EOF' || fail "log --json: cannot read the notes"
import json, sys
for e in json.load(open(sys.argv[1])):
    n = e.get("note")
    if n is not None and e.get("kind") != "plan":
        print(n)
EOF
else
	grep -o '"note": *"w[0-9]*-[0-9]*"' "$OUT" | sed 's/.*"\(w[0-9]*-[0-9]*\)"/\1/' >"$T/notes"
fi
sort "$T/notes" >"$T/notes.sorted"

dups=$(uniq -d "$T/notes.sorted" | head -5)
[ -z "$dups" ] && pass "no note twice in the log" || fail "notes in the log twice: $dups"

awk '$2 == 0 { print $1 }' "$T/all.rc" | sort >"$T/acked"
missing=$(comm -23 "$T/acked" "$T/notes.sorted" | head -5)
[ -z "$missing" ] && pass "every successful write is in the log" ||
	fail "successful writes missing from the log: $missing"
extra=$(comm -13 "$T/acked" "$T/notes.sorted" | head -5)
[ -z "$extra" ] && pass "no refused write is in the log" ||
	fail "writes that reported failure are in the log: $extra"

n=$(count_entries "$DB")
[ "$n" = "$((ok + 1))" ] && pass "entries ($n) = successes and the plan" || fail "entries $n, successes $ok and the plan"
integrity "$DB" "after concurrent writes"

# Writers queue on a lock of the -wal before SQLite's write lock. Held by
# another process alone (anyone who reads the -wal may take it), it delays
# a write by the queue's wait (1 s), not the busy timeout (5 s), and the
# write then goes through: the wait is bounded, never a hang.
if have flock; then
	# A write first: the sqlite3 shell above removed the -wal as it closed.
	run --project "$P/proj.yaml" record smes +1 --note before-queue
	expect_rc 0 "a write that makes the -wal again"
	( exec 9<"$DB-wal" && flock -x 9 && exec sleep 12 ) &
	holder=$!
	sleep 1
	t0=$(date +%s)
	run --project "$P/proj.yaml" record smes +1 --note queued
	t1=$(date +%s)
	kill "$holder" 2>/dev/null
	wait "$holder" 2>/dev/null
	expect_rc 0 "a write behind a lock held on the queue"
	[ $((t1 - t0)) -ge 1 ] && [ $((t1 - t0)) -lt 4 ] &&
		pass "it waited the queue's second ($((t1 - t0)) s), not the busy timeout nor until the lock was given up" ||
		fail "it waited $((t1 - t0)) s behind the queue's lock (the queue's wait is 1 s)"
	[ "$(sqlite3 "$DB" "select count(*) from log where note = 'queued'")" = 1 ] &&
		pass "the queued write is in the log" || fail "the queued write is not in the log"
else
	echo "skip: the queue's bounded wait (flock absent)"
fi

finish
