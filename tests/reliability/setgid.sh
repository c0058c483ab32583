#!/bin/sh
# The setgid write path on a shared server (root only: it makes users, a
# group and a setgid binary). consort is installed setgid to a group of its
# own (cst_cgrp) that partners are not in; the log's directory is
# root:cst_cgrp 2775 and init --shared makes the log, its -wal and -shm
# root:cst_cgrp 0664. A partner writes through consort; the sqlite3 shell as
# a partner cannot INSERT, DELETE or DROP TRIGGER but reads with -readonly;
# an LD_PRELOAD shim for getuid() does not change the login recorded; a
# symbolic link for the log is not opened with the group's right; init
# --shared refuses a directory others may write and says the fix.
. "$(dirname "$0")/../lib.sh"

have sqlite3 || skip "sqlite3 absent"
have cc || skip "cc absent (the LD_PRELOAD shim is built here)"
. "$(dirname "$0")/setgid-lib.sh"
setgid_server

# init --shared refuses a directory anyone may write, and says the fix.
chmod 2777 "$S"
run_as root $PR init --shared "$CG"
expect_rc 77 "init --shared in an other-writable directory is refused"
expect_err "chmod o-w $S" "the refusal says the command that fixes it"
[ ! -e "$DB" ] && pass "nothing was created there" || fail "init created $DB in an other-writable directory"
chmod 2775 "$S"
chgrp "$PG" "$S"
run_as root $PR init --shared "$CG"
expect_rc 77 "init --shared in a directory the partners' group may write is refused"
expect_err "chgrp $CG $S && chmod 2775 $S" "the refusal says the command that fixes it"
chgrp "$CG" "$S"
chmod 2775 "$S"

run_as root $PR init --shared "$CG"
expect_rc 0 "root: init --shared $CG"
for f in "$DB" "$DB-wal" "$DB-shm"; do
	got=$(stat -c '%U:%G %a' "$f" 2>/dev/null)
	[ "$got" = "root:$CG 664" ] && pass "$f is root:$CG 664" || fail "$f is '$got', not root:$CG 664"
done

# After init the log holds its plan (#1, root's).
N=1
count_is() {
	n=$(sqlite3 -readonly "$DB" 'select count(*) from log;' 2>&1)
	[ "$n" = "$N" ] && pass "$1: the log holds $N entries" || fail "$1: the log holds '$n' entries, expected $N"
}

# A partner writes through consort, with the group's right.
run_as $ANNA $PR update T2.1 --progress 30 --note "anna"
expect_rc 0 "$ANNA writes through the setgid consort"
N=2
count_is "after $ANNA's update"
run_as $BERT $PR update T3.1 --progress 10
expect_rc 0 "$BERT writes through the setgid consort"
N=3
count_is "after $BERT's update"
# The companions are still root's: consort made none of its own.
for f in "$DB-wal" "$DB-shm"; do
	got=$(stat -c '%U:%G %a' "$f" 2>/dev/null)
	[ "$got" = "root:$CG 664" ] && pass "$f is still root:$CG 664 after the partners' writes" ||
		fail "$f is '$got' after the partners' writes"
done
# The sqlite3 shell as a partner: no writes, reads with -readonly.
as_partner() {
	ap_u=$1
	shift
	RC=0
	(cd "$T" && setpriv --reuid="$(id -u "$ap_u")" --regid="$(id -g "$ap_u")" --init-groups "$@") \
		>"$OUT" 2>"$ERR" </dev/null || RC=$?
}
for sql in \
	"insert into log(recorded_at, effective, login, uid, partner, item, kind, value) values (0, '2020-05-01', '$JANIS', $(id -u $JANIS), 'COORD', 'T1.1', 'progress', '99');" \
	"delete from log;" \
	"drop trigger if exists log_no_delete; drop trigger if exists log_no_update;" \
	"pragma journal_mode=delete;"; do
	as_partner $ANNA sqlite3 "$DB" "$sql"
	if [ "$RC" -ne 0 ] && grep -qiE 'readonly|read-only|denied|unable to open|I/O error' "$ERR"; then
		pass "sqlite3 as $ANNA refused: $(printf '%s' "$sql" | cut -c1-30)... ($(head -c 80 "$ERR"))"
	else
		fail "sqlite3 as $ANNA: '$sql' exit $RC: $(head -c 200 "$ERR")"
	fi
	count_is "after $ANNA's sqlite3 attempt"
done
trig=$(sqlite3 -readonly "$DB" "select count(*) from sqlite_master where type = 'trigger';")
[ "${trig:-0}" -gt 0 ] && pass "the log's triggers are all there ($trig)" || fail "the log has no triggers left"
as_partner $ANNA sqlite3 -readonly "$DB" "select login from log order by id;"
if [ "$RC" -eq 0 ] && [ "$(cat "$OUT")" = "$(printf 'root\n%s\n%s' "$ANNA" "$BERT")" ]; then
	pass "sqlite3 -readonly as $ANNA reads the log"
else
	fail "sqlite3 -readonly as $ANNA: exit $RC, '$(head -c 200 "$OUT")' $(head -c 200 "$ERR")"
fi

# An LD_PRELOAD shim for getuid(): it works on an ordinary program, and the
# setgid consort ignores it (glibc's secure mode).
cat >"$T/shim.c" <<SHIM
#include <sys/types.h>
uid_t getuid(void) { return $(id -u $JANIS); }
uid_t geteuid(void) { return $(id -u $JANIS); }
SHIM
cc -shared -fPIC -o "$T/shim.so" "$T/shim.c" && chmod 755 "$T/shim.so" || { fail "cannot build the shim"; finish; }
as_partner $BERT env LD_PRELOAD="$T/shim.so" id -u
[ "$(cat "$OUT")" = "$(id -u $JANIS)" ] && pass "the shim makes id(1) say $JANIS's uid" ||
	fail "the shim does not work on id(1): '$(cat "$OUT")'"
RUN_ENV="LD_PRELOAD=$T/shim.so"
run_as $BERT $PR update T1.1 --progress 50
expect_rc 77 "$BERT with the shim: the coordinator's task is refused"
run_as $BERT $PR update T3.1 --progress 20
expect_rc 0 "$BERT with the shim: his own task"
RUN_ENV=""
N=4
count_is "after $BERT's writes with the shim"
got=$(sqlite3 -readonly "$DB" "select login || ' ' || uid from log order by id desc limit 1;")
[ "$got" = "$BERT $(id -u $BERT)" ] && pass "the entry is $BERT's, whatever the shim says" ||
	fail "the entry written with the shim is '$got'"

# Root's own sqlite3 shell removes the -wal and -shm when it closes: a
# partner's write is then refused (consort makes no companion of the
# partner's), until the log's owner opens the log once.
sqlite3 "$DB" 'select count(*) from log;' >/dev/null
[ ! -e "$DB-wal" ] && [ ! -e "$DB-shm" ] && pass "root's sqlite3 shell removed the -wal and -shm" ||
	fail "the -wal or -shm is still there after root's sqlite3 shell"
run_as $ANNA $PR update T2.1 --progress 32
expect_rc 77 "without the -wal and -shm a partner's write is refused"
expect_err "is missing" "the refusal says what is missing"
[ ! -e "$DB-wal" ] && [ ! -e "$DB-shm" ] && pass "the partner's consort made no -wal or -shm" ||
	fail "the partner's consort made $(ls -l "$DB"-* 2>&1)"
count_is "after the refused write"
run_as root $PR status
expect_rc 0 "the log's owner opens the log"
for f in "$DB-wal" "$DB-shm"; do
	got=$(stat -c '%U:%G %a' "$f" 2>/dev/null)
	[ "$got" = "root:$CG 664" ] && pass "$f is back as root:$CG 664" || fail "$f is '$got' after the owner opened the log"
done
run_as $ANNA $PR update T2.1 --progress 32
expect_rc 0 "then the partner writes again"
N=$((N + 1))
count_is "after the partner's write"

# A symbolic link to the log is not opened with the group's right.
ln -s "$DB" "$T/link.db"
run_as $ANNA --project "$P/proj.yaml" --db "$T/link.db" update T2.1 --progress 35
expect_rc 77 "a write through a symbolic link to the log is refused"
count_is "after the write through a link"

# The group's right is gone before the definition is read and before any
# file is written: a definition only the group may read is not read, and
# an export into a directory only the group may write is refused. The log
# has its plan, so a definition named is only compared with it: one that
# differs says so when it is read (the same file readable by all), and
# says nothing when it is not.
sed 's/target: 120/target: 999/' "$P/proj.yaml" >"$T/group-only.yaml"
cmp -s "$P/proj.yaml" "$T/group-only.yaml" && fail "the group-only definition does not differ"
chmod 644 "$T/group-only.yaml"
run_as $ANNA --project "$T/group-only.yaml" --db "$DB" status
expect_rc 0 "status with a differing definition anyone may read"
expect_err "differs from the plan in the log" "a definition read is compared with the log's plan"
chown root:"$CG" "$T/group-only.yaml"
chmod 640 "$T/group-only.yaml"
run_as $ANNA --project "$T/group-only.yaml" --db "$DB" status
[ "$RC" -eq 0 ] && ! grep -q "differs" "$ERR" &&
	pass "a definition only the group may read is not read" ||
	fail "the group-only definition was read: exit $RC, $(head -c 200 "$ERR")"
mkdir "$T/group-only"
chown root:"$CG" "$T/group-only"
chmod 2770 "$T/group-only"
run_as $ANNA $PR export --format csv --output "$T/group-only/out.csv"
expect_rc 77 "an export into a directory only the group may write is refused"
[ -z "$(ls -A "$T/group-only")" ] && pass "nothing was written there" || fail "written: $(ls -A "$T/group-only")"

# Without the setgid bit a partner cannot write at all (what the above
# owes to the group's right).
chmod g-s "$SHARED/bin/consort"
run_as $ANNA $PR update T2.1 --progress 40
expect_rc 77 "without the setgid bit $ANNA's write is refused"
count_is "after the write without the setgid bit"
run_as $ANNA $PR status
expect_rc 0 "without the setgid bit $ANNA still reads"
chmod g+s "$SHARED/bin/consort"

integrity "$DB" "the shared log"
finish
