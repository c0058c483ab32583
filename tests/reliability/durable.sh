#!/bin/sh
# "recorded #N" means the entry is on disk: the commit of `consort record`
# syncs the WAL (fsync or fdatasync on the -wal file) after its last write
# to it and before the command prints its acknowledgement, not only when
# the log is checkpointed at close (SQLite syncs a new WAL's header even
# under synchronous=NORMAL, but not the commit's frames).
. "$(dirname "$0")/lib.sh"

have strace || skip "strace absent"
have sqlite3 || skip "sqlite3 shell absent"

me=$(id -un)
P=$T/p
fixture "$P" "$me"
run --project "$P/proj.yaml" init
expect_rc 0 "init"
DB=$P/proj.db

# strace itself may be refused (ptrace forbidden in some containers).
strace -o /dev/null true 2>/dev/null || skip "strace cannot trace here"

TR=$T/trace
RC=0
# LeakSanitizer cannot run under a tracer: in a sanitizer build the leak
# check is left to the other tests.
ASAN_OPTIONS="${ASAN_OPTIONS:+$ASAN_OPTIONS:}detect_leaks=0"
export ASAN_OPTIONS
(cd "$T" && strace -f -e trace=openat,open,fsync,fdatasync,write,pwrite64,pwritev,pwritev2 -o "$TR" \
	"$CONSORT" --project "$P/proj.yaml" record smes +2 --partner PA --note durable) \
	>"$OUT" 2>"$ERR" </dev/null || RC=$?
expect_rc 0 "record under strace"
grep -q '^recorded #2' "$OUT" || fail "no acknowledgement: $(cat "$OUT")"

# The descriptor of the WAL SQLite writes (opened read-write: the writers'
# queue has one of its own, read only), then: is it synced after its last
# write and before the "recorded" line?
synced=$(awk '
	function fd(s) { sub(/^[^(]*\(/, "", s); return s + 0 }
	/open(at)?\(.*-wal", O_RDWR/ && / = [0-9]+$/ { n = split($0, a, " = "); wal = a[n] + 0 }
	wal != "" && / pwrite(64|v|v2)\(/ { s = $0; sub(/^.* pwrite(64|v|v2)\(/, "(", s)
		if (fd(s) == wal) synced = 0 }
	wal != "" && / (fsync|fdatasync)\(/ { s = $0; sub(/^.* (fsync|fdatasync)\(/, "(", s)
		if (fd(s) == wal) synced = 1 }
	/write\(1, "recorded #/ { print synced ? "yes" : "no"; exit }
' "$TR")
if [ "$synced" = yes ]; then
	pass "the commit synced the WAL before \"recorded\""
else
	fail "no fsync/fdatasync of the WAL before \"recorded\" (got '$synced'): $(grep -E 'fsync|fdatasync|-wal|recorded' "$TR" | head -c 600)"
fi
n=$(sqlite3 "$DB" "select count(*) from log where note = 'durable'")
[ "$n" = 1 ] && pass "the entry is in the log" || fail "entry count $n"
finish
