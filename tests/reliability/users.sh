#!/bin/sh
# Real Unix users on one shared log (root only: it creates users and a
# group, and removes them again). A partner's user may write only what her
# partner leads or takes part in and reach for her own partner; $USER and
# $LOGNAME change nothing; the coordinator's user may write everything;
# a group member who is not in the definition reads and never writes; and
# the -wal/-shm files one member creates serve the next.
. "$(dirname "$0")/../lib.sh"

have sqlite3 || skip "sqlite3 absent"
# The suite's own accounts (cst_*): the group, the coordinator's user, PA's
# and a member the definition does not name.
new_group G consort
new_user ANNA anna "$G"
new_user JANIS janis "$G"
new_user NOBODY nobody "$G"

P=$T/p
fixture "$P" "$JANIS" "$ANNA"
chmod 755 "$P"
chmod 644 "$P/proj.yaml"
S=$T/shared
mkdir "$S"
chown $JANIS "$S"
chmod 755 "$S"
DB=$S/progress.db
PR="--project $P/proj.yaml --db $DB"

# The coordinator creates the shared log.
run_as $JANIS $PR init --group "$G"
expect_rc 0 "$JANIS: init --group $G"
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

N=1 # the plan init recorded
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

# $ANNA acts for PA: PA leads WP2 (T2.1, T2.2, D2.1, MS1); PB leads T3.1,
# COORD leads T1.1 and D1.1.
refused $ANNA "update T3.1 (PB's)" update T3.1 --status in_progress
refused $ANNA "update T1.1 (COORD's)" update T1.1 --progress 10
refused $ANNA "update D3.1 (PB's deliverable)" update D3.1 --status drafting
refused $ANNA "update MS2" update MS2 --status reached
refused $ANNA "record reach for COORD" record smes +5 --partner COORD
refused $ANNA "record reach for PB" record smes +5 --partner PB
refused $ANNA "a benchmark for COORD's cluster" bench COORD G1 3
refused $ANNA "a label for COORD's cluster" bench COORD --label gold
allowed $ANNA "update her partner's task T2.1" update T2.1 --progress 30 --note "anna"
allowed $ANNA "update T2.2" update T2.2 --status in_progress
allowed $ANNA "record reach for PA" record smes +4
[ "$(sqlite3 "$DB" "select partner from log order by id desc limit 1;")" = PA ] &&
	pass "$ANNA's reach is credited to PA" || fail "$ANNA's reach is not credited to PA"

# The environment does not make anyone the coordinator.
RUN_ENV="USER=$JANIS LOGNAME=$JANIS"
refused $ANNA "with USER=$JANIS: update T1.1" update T1.1 --progress 50
refused $ANNA "with USER=$JANIS: record for COORD" record smes +1 --partner COORD
allowed $ANNA "with USER=$JANIS: her own task" update T2.1 --progress 40
RUN_ENV=""
login=$(sqlite3 "$DB" "select login from log order by id desc limit 1;")
[ "$login" = $ANNA ] && pass "the entry is by $ANNA whatever \$USER says" ||
	fail "the entry written under USER=$JANIS has login '$login'"
uid=$(sqlite3 "$DB" "select uid from log order by id desc limit 1;")
[ "$uid" = "$(id -u $ANNA)" ] && pass "the entry carries $ANNA's uid" ||
	fail "the entry has uid $uid, $ANNA is $(id -u $ANNA)"

# $ANNA cannot revert the coordinator's entry either.
allowed $JANIS "update T1.1" update T1.1 --progress 20
jid=$(sqlite3 "$DB" "select max(id) from log;")
refused $ANNA "revert the coordinator's entry" revert "$jid" --note "no"

# The coordinator writes everything.
allowed $JANIS "update PB's task T3.1" update T3.1 --status in_progress
allowed $JANIS "update PA's deliverable D2.1" update D2.1 --status drafting
allowed $JANIS "update MS2" update MS2 --status reached
allowed $JANIS "record reach for PB" record smes +2 --partner PB
allowed $JANIS "a benchmark for PA" bench PA G1 3
allowed $JANIS "a label for PA" bench PA --label bronze
allowed $JANIS "revert" revert "$jid" --note "undo"

# A group member who is not in the definition reads and never writes,
# although the file itself would let her.
run_as $NOBODY $PR status
expect_rc 0 "$NOBODY: status"
run_as $NOBODY $PR log
expect_rc 0 "$NOBODY: log"
refused $NOBODY "update T1.1" update T1.1 --progress 90
refused $NOBODY "update T2.1" update T2.1 --status "done"
refused $NOBODY "record" record smes +1
refused $NOBODY "record for PA" record smes +1 --partner PA
refused $NOBODY "bench" bench PA G1 4
refused $NOBODY "label" bench PA --label gold
refused $NOBODY "revert" revert "$jid" --note "no"
RUN_ENV="USER=$JANIS LOGNAME=$JANIS"
refused $NOBODY "with USER=$JANIS: update T1.1" update T1.1 --progress 90
RUN_ENV=""

# -wal and -shm made by one member serve the next: $JANIS holds the log
# open (so the files stay), then the others write in turn.
mkfifo "$T/hold"
setpriv --reuid="$(id -u $JANIS)" --regid="$(id -g $JANIS)" --init-groups \
	sqlite3 "$DB" <"$T/hold" >/dev/null 2>&1 &
holder=$!
exec 9>"$T/hold"
echo "select count(*) from log;" >&9
i=0
while [ ! -e "$DB-shm" ] && [ "$i" -lt 50 ]; do sleep 0.1; i=$((i + 1)); done
if [ -e "$DB-shm" ]; then
	pass "-shm exists while $JANIS holds the log"
	[ "$(stat -c %G "$DB-shm")" = "$G" ] && pass "-shm belongs to $G" ||
		fail "-shm belongs to $(stat -c %G "$DB-shm"), not $G"
else
	fail "no -shm file while the log is held open"
fi
k=1
while [ "$k" -le 3 ]; do
	allowed $ANNA "write $k while $JANIS holds the log" update T2.1 --progress "$((40 + k))"
	allowed $JANIS "write $k in turn" update T1.1 --progress "$((20 + k))"
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
allowed $ANNA "write after the holder left" update T2.1 --progress 60
allowed $JANIS "write after $ANNA" record smes +1
run_as $NOBODY $PR status
expect_rc 0 "$NOBODY: status at the end"

# A uid with no passwd entry (a directory service that is down, a
# container) is an unknown user: it reads, and it never writes.
NOPW=54321
while getent passwd "$NOPW" >/dev/null 2>&1; do NOPW=$((NOPW + 1)); done
run_nopw() {
	RUN_ENV="USER=$JANIS LOGNAME=$JANIS"
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
[ "$logins" = "$ANNA $JANIS " ] && pass "only $ANNA and $JANIS wrote" ||
	fail "logins in the log: $logins"
integrity "$DB" "shared log"
finish
