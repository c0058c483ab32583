#!/bin/sh
# Real Unix users on one shared log (root only: it creates users and a
# group, and removes them again). A partner's user may write only what her
# partner leads or takes part in and reach for her own partner; $USER and
# $LOGNAME change nothing; the coordinator's user may write everything;
# a group member who is not in the definition reads and never writes; and
# the -wal/-shm files one member creates serve the next.
. "$(dirname "$0")/../lib.sh"

[ "$(id -u)" -eq 0 ] || skip "needs root to create Unix users"
for t in useradd userdel groupadd groupdel setpriv sqlite3; do
	have "$t" || skip "$t absent"
done

G=ct-consort
USERS="ct-anna ct-janis ct-nobody"
# The users and the group are global to the host: two runs at once (two
# build trees) take turns.
if have flock; then
	exec 8>"${TMPDIR:-/tmp}/consort-test-users.lock"
	flock -w 300 8 || skip "another run holds the users lock for 5 minutes"
fi
drop_users() {
	for u in $USERS; do
		if id "$u" >/dev/null 2>&1; then
			pkill_pids=$(ps -o pid= -u "$u" 2>/dev/null)
			[ -n "$pkill_pids" ] && kill $pkill_pids 2>/dev/null
			userdel "$u" >/dev/null 2>&1
		fi
	done
	getent group "$G" >/dev/null 2>&1 && groupdel "$G" >/dev/null 2>&1
	return 0
}
# Leftovers of an interrupted run go first.
drop_users
cleanup_hooks="drop_users $cleanup_hooks"
groupadd "$G" || { fail "groupadd $G"; finish; }
for u in $USERS; do
	useradd -M -d /nonexistent -s /usr/sbin/nologin -G "$G" "$u" ||
		{ fail "useradd $u"; finish; }
done

P=$T/p
fixture "$P" ct-janis ct-anna
chmod 755 "$P"
chmod 644 "$P/proj.yaml"
S=$T/shared
mkdir "$S"
chown ct-janis "$S"
chmod 755 "$S"
DB=$S/progress.db
PR="--project $P/proj.yaml --db $DB"

# The coordinator creates the shared log.
run_as ct-janis $PR init --group "$G"
expect_rc 0 "ct-janis: init --group $G"
[ -f "$DB" ] || { fail "init created no log"; finish; }
if [ "$(stat -c %G "$DB")" = "$G" ] && [ "$(stat -c %G "$S")" = "$G" ]; then
	pass "log and directory belong to $G"
else
	fail "groups after init --group: log $(stat -c %G "$DB"), dir $(stat -c %G "$S")"
fi
perm_db=$(stat -c %A "$DB")
perm_dir=$(stat -c %A "$S")
case $perm_db in ????rw*) pass "log is group read-write ($perm_db)" ;;
*) fail "log is not group read-write: $perm_db" ;; esac
case $perm_dir in ?????ws* | ?????wS* | ?????w[xs]*) pass "directory is group-writable ($perm_dir)" ;;
*) fail "directory is not group-writable: $perm_dir" ;; esac

N=0
count_is() {
	n=$(count_entries "$DB")
	[ "$n" = "$N" ] && pass "$1: the log holds $N entries" || fail "$1: the log holds $n entries, expected $N"
}
# refused USER WHAT ARGS...: 77, one line, nothing written.
refused() {
	r_user=$1 r_what=$2
	shift 2
	run_as "$r_user" $PR "$@"
	expect_rc 77 "$r_user: $r_what is refused"
	expect_one_line_err "$r_user: $r_what"
	count_is "$r_user: $r_what"
}
# allowed USER WHAT ARGS...: 0 and one more entry.
allowed() {
	a_user=$1 a_what=$2
	shift 2
	run_as "$a_user" $PR "$@"
	expect_rc 0 "$a_user: $a_what"
	N=$((N + 1))
	count_is "$a_user: $a_what"
}

# ct-anna acts for PA: PA leads WP2 (T2.1, T2.2, D2.1, MS1); PB leads T3.1,
# COORD leads T1.1 and D1.1.
refused ct-anna "update T3.1 (PB's)" update T3.1 --status in_progress
refused ct-anna "update T1.1 (COORD's)" update T1.1 --progress 10
refused ct-anna "update D3.1 (PB's deliverable)" update D3.1 --status drafting
refused ct-anna "update MS2" update MS2 --status reached
refused ct-anna "record reach for COORD" record smes +5 --partner COORD
refused ct-anna "record reach for PB" record smes +5 --partner PB
refused ct-anna "a benchmark for COORD's cluster" bench COORD G1 3
refused ct-anna "a label for COORD's cluster" bench COORD --label gold
allowed ct-anna "update her partner's task T2.1" update T2.1 --progress 30 --note "anna"
allowed ct-anna "update T2.2" update T2.2 --status in_progress
allowed ct-anna "record reach for PA" record smes +4
[ "$(sqlite3 "$DB" "select partner from log order by id desc limit 1;")" = PA ] &&
	pass "ct-anna's reach is credited to PA" || fail "ct-anna's reach is not credited to PA"

# The environment does not make anyone the coordinator.
RUN_ENV="USER=ct-janis LOGNAME=ct-janis"
refused ct-anna "with USER=ct-janis: update T1.1" update T1.1 --progress 50
refused ct-anna "with USER=ct-janis: record for COORD" record smes +1 --partner COORD
allowed ct-anna "with USER=ct-janis: her own task" update T2.1 --progress 40
RUN_ENV=""
login=$(sqlite3 "$DB" "select login from log order by id desc limit 1;")
[ "$login" = ct-anna ] && pass "the entry is by ct-anna whatever \$USER says" ||
	fail "the entry written under USER=ct-janis has login '$login'"
uid=$(sqlite3 "$DB" "select uid from log order by id desc limit 1;")
[ "$uid" = "$(id -u ct-anna)" ] && pass "the entry carries ct-anna's uid" ||
	fail "the entry has uid $uid, ct-anna is $(id -u ct-anna)"

# ct-anna cannot revert the coordinator's entry either.
allowed ct-janis "update T1.1" update T1.1 --progress 20
jid=$(sqlite3 "$DB" "select max(id) from log;")
refused ct-anna "revert the coordinator's entry" revert "$jid" --note "no"

# The coordinator writes everything.
allowed ct-janis "update PB's task T3.1" update T3.1 --status in_progress
allowed ct-janis "update PA's deliverable D2.1" update D2.1 --status drafting
allowed ct-janis "update MS2" update MS2 --status reached
allowed ct-janis "record reach for PB" record smes +2 --partner PB
allowed ct-janis "a benchmark for PA" bench PA G1 3
allowed ct-janis "a label for PA" bench PA --label bronze
allowed ct-janis "revert" revert "$jid" --note "undo"

# A group member who is not in the definition reads and never writes,
# although the file itself would let her.
run_as ct-nobody $PR status
expect_rc 0 "ct-nobody: status"
run_as ct-nobody $PR log
expect_rc 0 "ct-nobody: log"
refused ct-nobody "update T1.1" update T1.1 --progress 90
refused ct-nobody "update T2.1" update T2.1 --status "done"
refused ct-nobody "record" record smes +1
refused ct-nobody "record for PA" record smes +1 --partner PA
refused ct-nobody "bench" bench PA G1 4
refused ct-nobody "label" bench PA --label gold
refused ct-nobody "revert" revert "$jid" --note "no"
RUN_ENV="USER=ct-janis LOGNAME=ct-janis"
refused ct-nobody "with USER=ct-janis: update T1.1" update T1.1 --progress 90
RUN_ENV=""

# -wal and -shm made by one member serve the next: ct-janis holds the log
# open (so the files stay), then the others write in turn.
mkfifo "$T/hold"
setpriv --reuid="$(id -u ct-janis)" --regid="$(id -g ct-janis)" --init-groups \
	sqlite3 "$DB" <"$T/hold" >/dev/null 2>&1 &
holder=$!
exec 9>"$T/hold"
echo "select count(*) from log;" >&9
i=0
while [ ! -e "$DB-shm" ] && [ "$i" -lt 50 ]; do sleep 0.1; i=$((i + 1)); done
if [ -e "$DB-shm" ]; then
	pass "-shm exists while ct-janis holds the log"
	[ "$(stat -c %G "$DB-shm")" = "$G" ] && pass "-shm belongs to $G" ||
		fail "-shm belongs to $(stat -c %G "$DB-shm"), not $G"
else
	fail "no -shm file while the log is held open"
fi
k=1
while [ "$k" -le 3 ]; do
	allowed ct-anna "write $k while ct-janis holds the log" update T2.1 --progress "$((40 + k))"
	allowed ct-janis "write $k in turn" update T1.1 --progress "$((20 + k))"
	k=$((k + 1))
done
if [ -e "$DB-wal" ]; then
	[ "$(stat -c %G "$DB-wal")" = "$G" ] && pass "-wal belongs to $G" ||
		fail "-wal belongs to $(stat -c %G "$DB-wal"), not $G"
	case $(stat -c %A "$DB-wal") in ????rw*) pass "-wal is group read-write" ;;
	*) fail "-wal is not group read-write: $(stat -c %A "$DB-wal")" ;; esac
fi
exec 9>&-
wait "$holder" 2>/dev/null

# And with nobody holding it, each member in turn leaves files the next can use.
allowed ct-anna "write after the holder left" update T2.1 --progress 60
allowed ct-janis "write after ct-anna" record smes +1
run_as ct-nobody $PR status
expect_rc 0 "ct-nobody: status at the end"

# A uid with no passwd entry (a directory service that is down, a
# container) is an unknown user: it reads, and it never writes.
NOPW=54321
while getent passwd "$NOPW" >/dev/null 2>&1; do NOPW=$((NOPW + 1)); done
run_nopw() {
	RUN_ENV="USER=ct-janis LOGNAME=ct-janis"
	run_ids "$NOPW" "$(getent group "$G" | cut -d: -f3)" --clear-groups $PR "$@"
	RUN_ENV=""
}
run_nopw status
expect_rc 0 "uid $NOPW without a passwd entry: status (read-only)"
run_nopw log
expect_rc 0 "uid $NOPW without a passwd entry: log"
run_nopw update T1.1 --progress 99
expect_rc_in "77 74" "uid $NOPW without a passwd entry: update is refused"
expect_one_line_err "uid $NOPW: update"
count_is "uid $NOPW: update"
run_nopw record smes +1
expect_rc_in "77 74" "uid $NOPW without a passwd entry: record is refused"
count_is "uid $NOPW: record"

logins=$(sqlite3 "$DB" "select distinct login from log order by login;" | tr '\n' ' ')
[ "$logins" = "ct-anna ct-janis " ] && pass "only ct-anna and ct-janis wrote" ||
	fail "logins in the log: $logins"
integrity "$DB" "shared log"
finish
