#!/bin/sh
# The file given with --db is not what it should be: random bytes, a
# truncated log, someone else's SQLite database, a log from a newer
# version, a read-only file or directory, a missing file, a full disk.
# Every command says so in one line with the documented exit code
# (65 bad data, 66 missing, 74 I/O, 77 permission), never crashes, and a
# refused file is left exactly as it was.
. "$(dirname "$0")/../lib.sh"

have sqlite3 || skip "sqlite3 shell absent"
have sha256sum || skip "sha256sum absent"

me=$(id -un)
# As root, permissions are tested as a real unprivileged user (root ignores
# them), one of the suite's own accounts; that user acts for the
# coordinator so that only the file can refuse.
RO_USER=""
if [ "$(id -u)" -eq 0 ]; then
	if have setpriv && have useradd && have groupadd; then
		new_group RO_GROUP ro
		new_user RO_USER ro "$RO_GROUP"
	fi
fi
P=$T/p
fixture "$P" "$me" "" "$RO_USER"
PROJ=$P/proj.yaml

# A real log to copy from.
REAL=$T/real.db
run --project "$PROJ" --db "$REAL" init
expect_rc 0 "init a real log"
run --project "$PROJ" --db "$REAL" record smes +5 --note "five"
expect_rc 0 "record into the real log"
run --project "$PROJ" --db "$REAL" update T1.1 --progress 40
expect_rc 0 "update in the real log"
[ "$(count_entries "$REAL")" = 3 ] || fail "the real log should hold 3 entries (the plan and two)"

# sum FILE: its checksum; "-" for what is not a regular file (reading a
# FIFO would block).
sum() {
	if [ -f "$1" ]; then sha256sum "$1" 2>/dev/null | cut -d' ' -f1; else echo "-"; fi
}

# runx USER ARGS: run as USER ("" for ourselves).
runx() {
	rx_u=$1
	shift
	if [ -n "$rx_u" ]; then run_as "$rx_u" "$@"; else run "$@"; fi
}

# check_case NAME DB "STATUS_CODES" "WRITE_CODES" [USER]: status and a
# write on DB each give one stderr line and an allowed exit code; the
# file's checksum is unchanged when the write was refused.
check_case() {
	cc_name=$1 cc_db=$2 cc_st=$3 cc_wr=$4 cc_user=${5:-}
	before=$(sum "$cc_db")
	runx "$cc_user" --project "$PROJ" --db "$cc_db" status
	expect_no_crash "$cc_name: status"
	expect_rc_in "$cc_st" "$cc_name: status"
	if [ "$RC" -ne 0 ] || [ -s "$ERR" ]; then expect_one_line_err "$cc_name: status"; fi
	[ "$(sum "$cc_db")" = "$before" ] && pass "$cc_name: status leaves the file as it was" ||
		fail "$cc_name: status changed the file"
	runx "$cc_user" --project "$PROJ" --db "$cc_db" record smes +1 --note "hostile"
	expect_no_crash "$cc_name: record"
	expect_rc_in "$cc_wr" "$cc_name: record"
	expect_one_line_err "$cc_name: record"
	if [ "$RC" -ne 0 ]; then
		[ "$(sum "$cc_db")" = "$before" ] && pass "$cc_name: refused write leaves the file as it was" ||
			fail "$cc_name: refused write changed the file"
	fi
	runx "$cc_user" --project "$PROJ" --db "$cc_db" update T1.1 --status "done"
	expect_no_crash "$cc_name: update"
	expect_rc_in "$cc_wr" "$cc_name: update"
	expect_one_line_err "$cc_name: update"
}

# 1. Not SQLite at all.
head -c 8192 /dev/urandom >"$T/random.db"
check_case "random bytes" "$T/random.db" "65" "65"

# 2. A real log cut short.
head -c 1000 "$REAL" >"$T/trunc.db"
check_case "truncated log" "$T/trunc.db" "65" "65"

# 3. Someone else's SQLite database.
sqlite3 "$T/foreign.db" "create table log(x); create table accounts(id integer primary key, name text);
insert into accounts(name) values ('alice');"
check_case "foreign schema" "$T/foreign.db" "65" "65"
# An empty SQLite file with nothing in it is not a consort log either.
sqlite3 "$T/nothing.db" "pragma user_version = 0; create table t(x); drop table t;"
check_case "empty sqlite database" "$T/nothing.db" "65" "65"

# 4. A log from a newer consort.
cp "$REAL" "$T/newer.db"
sqlite3 "$T/newer.db" "pragma user_version = 99;"
check_case "user_version 99" "$T/newer.db" "65" "65"
[ "$(sqlite3 "$T/newer.db" 'pragma user_version;')" = 99 ] && pass "user_version 99 not rewritten" ||
	fail "user_version of a newer log was changed"

# Not a regular file at all: a directory, a device, a FIFO (which must not
# block the command waiting for a writer).
mkdir "$T/dir.db"
check_case "a directory" "$T/dir.db" "65 66 74" "65 66 74"
check_case "/dev/null" /dev/null "65 66 74" "65 66 74"
if have mkfifo; then
	mkfifo "$T/fifo.db"
	check_case "a FIFO" "$T/fifo.db" "65 66 74" "65 66 74"
fi

# A real log with garbage where its write-ahead log would be: SQLite
# ignores frames whose checksums fail, so nothing is lost or invented.
cp "$REAL" "$T/wal.db"
head -c 8192 /dev/urandom >"$T/wal.db-wal"
run --project "$PROJ" --db "$T/wal.db" status
expect_rc 0 "garbage -wal: status"
run --project "$PROJ" --db "$T/wal.db" record smes +1 --note "after garbage"
expect_rc 0 "garbage -wal: a write"
[ "$(count_entries "$T/wal.db")" = 4 ] && pass "garbage -wal: 3 entries kept, 1 added" ||
	fail "garbage -wal: $(count_entries "$T/wal.db") entries, expected 4"
integrity "$T/wal.db" "garbage -wal"

# 5. A missing file: never created by a read or a write.
check_case "missing file" "$T/nowhere/missing.db" "0 66" "66"
check_case "missing file in an existing dir" "$T/missing.db" "0 66" "66"
[ ! -e "$T/missing.db" ] && pass "missing: no file created" || fail "missing: a command created $T/missing.db"

# 6. A read-only file, and a read-only directory.
if [ "$(id -u)" -eq 0 ] && [ -z "$RO_USER" ]; then
	echo "skip: read-only cases (root without setpriv, useradd or groupadd)"
else
	mkdir "$T/rofile"
	cp "$REAL" "$T/rofile/log.db"
	chmod 444 "$T/rofile/log.db"
	[ -n "$RO_USER" ] && chown "$RO_USER" "$T/rofile" "$T/rofile/log.db"
	# Reading a log one may not write is what every observer does.
	check_case "read-only file" "$T/rofile/log.db" "0 77" "77" "$RO_USER"
	[ "$(count_entries "$T/rofile/log.db")" = 3 ] && pass "read-only file: nothing written" ||
		fail "read-only file: entries changed"

	mkdir "$T/rodir"
	cp "$REAL" "$T/rodir/log.db"
	[ -n "$RO_USER" ] && chown "$RO_USER" "$T/rodir/log.db"
	chmod 555 "$T/rodir"
	check_case "read-only directory" "$T/rodir/log.db" "0 77" "77" "$RO_USER"
	[ "$(count_entries "$T/rodir/log.db")" = 3 ] && pass "read-only directory: nothing written" ||
		fail "read-only directory: entries changed"
	chmod 755 "$T/rodir"
fi

# 7. A full disk (root only: a 1 MiB tmpfs).
MNT=$T/full
full_umount() { umount "$MNT" 2>/dev/null; }
if [ "$(id -u)" -ne 0 ]; then
	echo "skip: full disk (needs root to mount a tmpfs)"
elif ! mkdir "$MNT" || ! mount -t tmpfs -o size=1m tmpfs "$MNT" 2>/dev/null; then
	echo "skip: full disk (mount -t tmpfs not permitted here)"
else
	cleanup_hooks="full_umount $cleanup_hooks"
	cp "$REAL" "$MNT/log.db"
	dd if=/dev/zero of="$MNT/fill" bs=4k 2>/dev/null
	before=$(sum "$MNT/log.db")
	run --project "$PROJ" --db "$MNT/log.db" record smes +1 --note "$(head -c 3000 /dev/zero | tr '\0' x)"
	expect_no_crash "full disk: record"
	expect_rc_in "74 69" "full disk: record"
	expect_one_line_err "full disk: record"
	[ "$(sum "$MNT/log.db")" = "$before" ] && pass "full disk: file unchanged" ||
		fail "full disk: file changed"
	# The sqlite3 shell needs room for its own -shm file: make some first.
	rm -f "$MNT/fill"
	integrity "$MNT/log.db" "full disk"
	[ "$(count_entries "$MNT/log.db")" = 3 ] && pass "full disk: nothing written" ||
		fail "full disk: entries changed"
	# Once there is room again, the log works.
	run --project "$PROJ" --db "$MNT/log.db" record smes +1 --note "room again"
	expect_rc 0 "full disk: a write once there is room"
	[ "$(count_entries "$MNT/log.db")" = 4 ] && pass "full disk: the write landed" ||
		fail "full disk: entries after the recovery write: $(count_entries "$MNT/log.db")"
	full_umount
fi

# The real log was never touched by all of this.
[ "$(count_entries "$REAL")" = 3 ] && pass "the real log still holds its 3 entries" ||
	fail "the real log changed"
integrity "$REAL" "real log"

finish
