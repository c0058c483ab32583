# Real Unix users: identity from the real uid, partner permissions, and
# init --group. Needs root (to create users and switch to them).
. "$(dirname "$0")/../lib.sh"

# The suite's own accounts (cst_*): a group, a user of each partner, the
# coordinator's, and one the definition does not name.
new_group GROUP grp
new_user ANNA anna "$GROUP"
new_user BERT bert "$GROUP"
new_user CORA cora "$GROUP"
new_user STRANGER stranger "$GROUP"

# The definition names $CORA for the coordinator; root is not a user.
fixture "$T/srv" "$CORA" "$ANNA" "" "$BERT"
P="--project $T/srv/proj.yaml"
DB=$T/srv/proj.db
export CONSORT_TODAY=2020-05-15
run $P init --group "$GROUP"
expect_rc 0 "init --group"
[ "$(stat -c %G "$DB")" = "$GROUP" ] && pass "db in the group" || fail "db group $(stat -c %G "$DB")"
[ "$(stat -c %G "$T/srv")" = "$GROUP" ] && pass "directory in the group" || fail "dir group"
case $(stat -c %A "$T/srv") in ?????ws*) pass "directory group-writable and setgid";; *) fail "dir mode $(stat -c %A "$T/srv")";; esac
case $(stat -c %A "$DB") in ????rw????) pass "db group-writable";; *) fail "db mode $(stat -c %A "$DB")";; esac
run $P init --group no-such-group-xyz
expect_rc 65 "init --group with an unknown group"
rm -f "$T/srv/g2.db"
run $P --db "$T/srv/g2.db" init --group no-such-group-xyz
expect_rc 65 "unknown group before creating"

n0=$(log_count "$DB")
# A partner may update what it takes part in ...
run_as $ANNA $P update T2.1 --status in_progress
expect_rc 0 "partner updates its own task"
expect_out "recorded #2" "partner write confirmed"
# ... but not an item its partner is not involved in.
run_as $ANNA $P update T3.1 --progress 20
expect_rc 77 "partner cannot update another partner's task"
expect_one_line_err "partner refused"
run_as $ANNA $P record smes +5
expect_rc 0 "partner records reach for itself"
run_as $ANNA $P record smes +5 --partner PB
expect_rc 77 "partner cannot record reach for another partner"
run_as $ANNA $P bench PA G1 3
expect_rc 0 "partner records its own cluster's benchmark"
run_as $ANNA $P bench COORD G1 3
expect_rc 77 "partner cannot benchmark another cluster"
# $USER does not fake identity.
RUN_ENV="USER=$CORA LOGNAME=$CORA"
run_as $BERT $P update T1.1 --progress 10
RUN_ENV=""
expect_rc 77 "USER=coordinator does not fake identity"
# An unknown user reads but cannot write.
run_as $STRANGER $P status
expect_rc 0 "unknown user reads status"
h0=$(cat "$DB" "$DB-wal" 2>/dev/null | sha256sum)
run_as $STRANGER $P update T1.1 --progress 10
expect_rc 77 "unknown user cannot write"
run_as $STRANGER $P record smes +1 --partner PA
expect_rc 77 "unknown user cannot record"
[ "$h0" = "$(cat "$DB" "$DB-wal" 2>/dev/null | sha256sum)" ] &&
	pass "a read-only user's refused writes leave the log byte for byte" ||
	fail "a read-only user's refused write changed the log"
# A uid without a passwd entry is an unknown user: it reads, never writes.
NOPW=54321
while getent passwd "$NOPW" >/dev/null 2>&1; do NOPW=$((NOPW + 1)); done
run_nopw() { run_ids "$NOPW" "$(getent group "$GROUP" | cut -d: -f3)" --clear-groups "$@"; }
run_nopw $P status
expect_rc 0 "uid without a passwd entry reads status"
run_nopw $P log T2.1
expect_rc 0 "uid without a passwd entry reads the log"
run_nopw $P update T2.1 --progress 5
expect_rc 77 "uid without a passwd entry cannot write"
expect_one_line_err "uid without a passwd entry refused"
[ "$h0" = "$(cat "$DB" "$DB-wal" 2>/dev/null | sha256sum)" ] &&
	pass "refused writes without a passwd entry leave the log byte for byte" ||
	fail "a refused write without a passwd entry changed the log"
# The coordinator may do everything.
run_as $CORA $P update T3.1 --progress 20
expect_rc 0 "coordinator updates any task"
run_as $CORA $P record smes +7 --partner PB
expect_rc 0 "coordinator records for any partner"
run_as $CORA $P bench PA --label bronze
expect_rc 0 "coordinator awards a label"
run_as $CORA $P revert 2 --note "not started after all"
expect_rc 0 "coordinator reverts"
run $P log --json
if have python3; then
	[ "$(json_get "$OUT" 'sorted({e["login"] for e in d if e["kind"] != "plan"})')" = "['$ANNA', '$CORA']" ] &&
		pass "logins from the real uid" || fail "logins: $(json_get "$OUT" '[e["login"] for e in d]')"
fi
n1=$(log_count "$DB")
[ -z "$n0" ] || { [ "$n1" -eq $((n0 + 7)) ] && pass "exactly the permitted writes" || fail "entries $n0 -> $n1"; }
# Group members share the WAL files: everything still readable and writable by anna.
run_as $ANNA $P log
expect_rc 0 "group member reads after others wrote"
for f in "$DB-wal" "$DB-shm"; do
	[ -e "$f" ] || continue
	[ "$(stat -c %G "$f")" = "$GROUP" ] && pass "$(basename "$f") keeps the group" || fail "$f group"
done
finish
