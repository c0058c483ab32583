#!/bin/sh
# The setgid write path against a partner with a shell (root only: it makes
# users, a group and a setgid binary). The log's path is resolved once and
# held only when every directory up to / is root's (or the log owner's) and
# no partner may write one: a --db through a symbolic link a partner flips
# between his own directory and the real one never makes SQLite create a
# -wal or -shm of the partner's beside the real log; a log below a
# directory a partner may write is not held, and init --shared refuses
# one; a read command opens nothing with the group's right; export does
# not write into another user's pipe; demo leaves nothing beside the log.
. "$(dirname "$0")/../lib.sh"

have sqlite3 || skip "sqlite3 absent"
have strace || skip "strace absent"
. "$(dirname "$0")/setgid-lib.sh"
setgid_server

run_as root $PR init --shared "$CG"
expect_rc 0 "root: init --shared $CG"
run_as $ANNA $PR update T2.1 --progress 30
expect_rc 0 "$ANNA writes through the setgid consort"
n0=$(sqlite3 -readonly "$DB" 'select count(*) from log;')

# The race: root's sqlite3 shell removed the -wal and -shm; ANNA names the
# log as $A/d/progress.db, d a link she flips between a directory of her
# own (a copy of the log with her own -wal and -shm, which pass for the
# log's) and the real one.
A=$T/att
mkdir -p "$A/fake"
cp "$DB" "$A/fake/progress.db"
touch "$A/fake/progress.db-wal" "$A/fake/progress.db-shm"
chown -R "$ANNA:$PG" "$A"
as_anna() { setpriv --reuid="$(id -u $ANNA)" --regid="$(id -g $ANNA)" --init-groups "$@"; }
as_anna ln -s "$S" "$A/d"
setpriv --reuid="$(id -u $ANNA)" --regid="$(id -g $ANNA)" --init-groups sh -c "while :; do ln -s fake '$A/n1' 2>/dev/null; mv -T '$A/n1' '$A/d';
	ln -s '$S' '$A/n2' 2>/dev/null; mv -T '$A/n2' '$A/d'; done" &
flipper=$!
stop_flipper() { kill "$flipper" 2>/dev/null; wait "$flipper" 2>/dev/null; }
cleanup_hooks="$cleanup_hooks stop_flipper"
won=0 tries=0 end=$(($(date +%s) + 30))
while [ "$tries" -lt 500 ] && [ "$(date +%s)" -lt "$end" ]; do
	rm -f "$DB-wal" "$DB-shm"
	run_as $ANNA --project "$P/proj.yaml" --db "$A/d/progress.db" update T2.1 --progress 31
	for f in "$DB-wal" "$DB-shm"; do
		[ -e "$f" ] && [ "$(stat -c %U "$f")" = "$ANNA" ] && won=$((won + 1))
	done
	tries=$((tries + 1))
	[ "$won" -eq 0 ] || break
done
stop_flipper
[ "$won" -eq 0 ] && pass "$tries flips of a linked directory made no -wal or -shm of $ANNA's" ||
	fail "after $tries flips $ANNA owns $(ls -l "$DB"-* 2>&1)"
n=$(sqlite3 -readonly "$DB" 'select count(*) from log;')
[ "$n" = "$n0" ] && pass "the log holds its $n0 entries still" || fail "the log holds $n entries, not $n0"
# The owner gives the log its companions back; the link to the real
# directory (the partner's own directory) is still not the log's path.
rm -f "$DB-wal" "$DB-shm"
run_as root $PR status
expect_rc 0 "the log's owner opens the log"
as_anna ln -sfn "$S" "$A/d"
run_as $ANNA --project "$P/proj.yaml" --db "$A/d/progress.db" update T2.1 --progress 31
expect_rc 0 "a link to the real directory, in a directory of the partner's, resolves to the log"

# A log below a directory a partner may write is not held, whoever made it.
W=$T/pw
mkdir -p "$W/logs"
chown root:"$CG" "$W/logs"
chmod 2775 "$W/logs"
run_as root --project "$P/proj.yaml" --db "$W/logs/progress.db" init --shared "$CG"
expect_rc 0 "init --shared below a root-owned directory"
chown "$ANNA" "$W"
run_as $BERT --project "$P/proj.yaml" --db "$W/logs/progress.db" update T3.1 --progress 10
expect_rc 77 "a log below a directory $ANNA owns is not written"
expect_err "$W may be changed by others" "the refusal names the directory"
chown root "$W"
chgrp "$PG" "$W"
chmod 775 "$W"
run_as $BERT --project "$P/proj.yaml" --db "$W/logs/progress.db" update T3.1 --progress 10
expect_rc 77 "a log below a directory the partners' group may write is not written"
chmod 755 "$W"
run_as $BERT --project "$P/proj.yaml" --db "$W/logs/progress.db" update T3.1 --progress 10
expect_rc 0 "once the directory above is root's alone, the write goes through"

# init --shared checks every directory above the log's.
mkdir -p "$T/pw2/logs"
chown root:"$CG" "$T/pw2/logs"
chmod 2775 "$T/pw2/logs"
chown "$ANNA" "$T/pw2"
run_as root --project "$P/proj.yaml" --db "$T/pw2/logs/progress.db" init --shared "$CG"
expect_rc 77 "init --shared below a directory of $ANNA's is refused"
expect_err "chown root $T/pw2" "the refusal says the command that fixes it"
chown root:"$PG" "$T/pw2"
chmod 775 "$T/pw2"
run_as root --project "$P/proj.yaml" --db "$T/pw2/logs/progress.db" init --shared "$CG"
expect_rc 77 "init --shared below a directory the partners' group may write is refused"
expect_err "chmod go-w $T/pw2" "the refusal says the command that fixes it"
[ ! -e "$T/pw2/logs/progress.db" ] && pass "nothing was created there" || fail "init created a log there"

# A read command opens nothing with the group's right (traced as root, the
# setgid bit still applies); a write command does, before the right goes.
opened_before_drop() {
	strace -f -o "$T/trace" -e trace=execve,openat,setresgid setpriv --reuid="$(id -u $ANNA)" \
		--regid="$(id -g $ANNA)" --init-groups env CONSORT_DATA="$SHARED/data" \
		CONSORT_TODAY="$CONSORT_TODAY" "$SHARED/bin/consort" $PR "$@" >/dev/null 2>&1 </dev/null
	sed -n '/execve(".*bin\/consort"/,$p' "$T/trace" | sed -n '/setresgid/q;p' | grep -c "progress.db"
}
for cmd in status log verify "export --format csv"; do
	# shellcheck disable=SC2086
	c=$(opened_before_drop $cmd)
	[ "$c" -eq 0 ] && pass "$cmd opens nothing with the group's right" ||
		fail "$cmd opened the log $c times with the group's right"
done
c=$(opened_before_drop update T2.1 --progress 33)
[ "$c" -gt 0 ] && pass "update opens the log with the group's right ($c files)" ||
	fail "the trace saw no open of the log before the right was given up: $(head -c 300 "$T/trace")"

# export --output: not into another user's pipe, into one's own.
mkfifo "$T/bert.fifo"
chown "$BERT" "$T/bert.fifo"
chmod 666 "$T/bert.fifo"
run_as $ANNA $PR export --format csv --output "$T/bert.fifo"
expect_rc 77 "export into $BERT's pipe is refused"
expect_err "another user's pipe" "the refusal says why"
as_anna mkfifo "$A/anna.fifo"
run_as $ANNA $PR export --format csv --output "$A/anna.fifo"
expect_rc 74 "export into a pipe nobody reads does not wait"
(cat "$A/anna.fifo" >"$T/got.csv") &
sleep 1
run_as $ANNA $PR export --format csv --output "$A/anna.fifo"
expect_rc 0 "export into her own pipe"
wait
grep -q "T2.1" "$T/got.csv" && pass "the reader got the export" || fail "the pipe's reader got '$(head -c 200 "$T/got.csv")'"
run_as $ANNA $PR export --format csv --output /dev/null
expect_rc 0 "export to /dev/null"

# demo leaves only the demo log in its directory.
mkdir "$T/demo"
chown "$ANNA" "$T/demo"
run_as $ANNA --db "$T/demo/demo.db" demo
expect_rc 0 "demo"
got=$(ls -A "$T/demo")
[ "$got" = "demo.db" ] && pass "demo left only demo.db" || fail "demo left: $got"

integrity "$DB" "the shared log"
finish
