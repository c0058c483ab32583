#!/bin/sh
# Partners over SSH on a shared server (root only): a real sshd, started
# here on a free port of 127.0.0.1 with its own configuration, host key and
# keys for the test users, serves the setgid consort. A partner's dashboard
# open over ssh -t (in tmux) shows another partner's write live, with no
# key pressed (how fast is make bench's refresh_latency, not a test's);
# consort status over ssh works; and when the link drops mid-dialog (the
# ssh client killed) nothing is written and no consort process is left.
. "$(dirname "$0")/../lib.sh"

SSHD=/usr/sbin/sshd
[ -x "$SSHD" ] || skip "$SSHD absent (openssh-server)"
for t in ssh ssh-keygen tmux sqlite3 python3; do have $t || skip "$t absent"; done
. "$(dirname "$0")/setgid-lib.sh"
setgid_server
run_as root --project "$P/proj.yaml" --db "$DB" init --shared "$CG"
expect_rc 0 "init --shared"

# The users log in with a shell, a home in the scratch directory and a key.
K=$T/ssh
mkdir -p "$K/keys" "$T/homes"
for u in $ANNA $BERT $JANIS; do
	mkdir -p "$T/homes/$u"
	chown "$u" "$T/homes/$u"
	usermod -s /bin/sh -d "$T/homes/$u" -p '*' "$u" || { fail "usermod $u"; finish; }
	ssh-keygen -q -t ed25519 -N '' -f "$K/id_$u" || { fail "ssh-keygen"; finish; }
	cp "$K/id_$u.pub" "$K/keys/$u"
done
chmod 644 "$K/keys/"*
ssh-keygen -q -t ed25519 -N '' -f "$K/host_key" || { fail "host key"; finish; }
PORT=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
cat >"$K/sshd_config" <<CFG
ListenAddress 127.0.0.1
Port $PORT
HostKey $K/host_key
PidFile $K/sshd.pid
AuthorizedKeysFile $K/keys/%u
PubkeyAuthentication yes
PasswordAuthentication no
KbdInteractiveAuthentication no
UsePAM no
StrictModes no
PermitRootLogin no
AllowUsers $ANNA $BERT $JANIS
CFG
made_run_sshd=""
[ -d /run/sshd ] || { mkdir -p /run/sshd && chmod 755 /run/sshd && made_run_sshd=1; }
"$SSHD" -D -e -f "$K/sshd_config" 2>"$K/sshd.log" &
sshd_pid=$!
stop_sshd() {
	kill "$sshd_pid" 2>/dev/null
	wait "$sshd_pid" 2>/dev/null
	[ -z "$made_run_sshd" ] || rmdir /run/sshd 2>/dev/null
}
cleanup_hooks="stop_sshd $cleanup_hooks"
i=0
while [ $i -lt 50 ]; do
	python3 -c "import socket; socket.create_connection(('127.0.0.1', $PORT), 1)" 2>/dev/null && break
	sleep 0.1
	i=$((i + 1))
done
kill -0 "$sshd_pid" 2>/dev/null && pass "sshd runs on 127.0.0.1:$PORT" ||
	{ fail "sshd did not start: $(head -c 400 "$K/sshd.log")"; finish; }

# ssh_cmd USER [OPTION]: the client's command line for USER (a string for
# tmux).
ssh_cmd() {
	echo "ssh -F /dev/null -i $K/id_$1 -p $PORT -o BatchMode=yes -o StrictHostKeyChecking=no" \
		"-o UserKnownHostsFile=$K/known_hosts -o LogLevel=ERROR ${2:-} $1@127.0.0.1"
}
# The command run there: consort on the shared log.
remote() {
	echo "cd $T/homes/\$(id -un) && env CONSORT_TODAY=$CONSORT_TODAY CONSORT_DATA=$SHARED/data" \
		"LC_ALL=C.UTF-8 TERM=screen $SHARED/bin/consort --project $P/proj.yaml --db $DB $*"
}
over_ssh() {
	os_u=$1
	shift
	RC=0
	$(ssh_cmd "$os_u") "$(remote "$@")" >"$OUT" 2>"$ERR" </dev/null || RC=$?
}

over_ssh $ANNA status
expect_rc 0 "consort status over ssh"
expect_out "WP1" "status over ssh shows the plan"
over_ssh $BERT update T3.1 --progress 15 --note "bert-over-ssh"
expect_rc 0 "a partner writes over ssh through the setgid consort"
[ "$(sqlite3 -readonly "$DB" 'select login from log order by id desc limit 1;')" = $BERT ] &&
	pass "the entry is $BERT's" || fail "the last entry is not $BERT's"

SOCK=consort-sshd-$$
tm() { tmux -L "$SOCK" -f /dev/null "$@"; }
tm_kill() { tm kill-server >/dev/null 2>&1; }
cleanup_hooks="tm_kill $cleanup_hooks"
wait_grep() {
	wf_i=0
	while [ "$wf_i" -lt "$3" ]; do
		tm capture-pane -p -t "$4" >"$T/screen" 2>/dev/null
		grep -q "$1" -- "$2" "$T/screen" && return 0
		sleep 0.1
		wf_i=$((wf_i + 1))
	done
	return 1
}
# wait_for TEXT TENTHS SESSION
wait_for() { wait_grep -F "$1" "$2" "$3"; }

# A partner's dashboard over ssh -t shows another partner's write about one
# of its items (a comment on PA's T2.1) by itself. The wait is generous:
# with the rest of the suite running beside it, the machine may be slow to
# schedule the dashboard, tmux and this loop; the latency itself is
# measured by make bench (refresh_latency).
tm new-session -d -s a -x 120 -y 40 "$(ssh_cmd $ANNA -t) '$(remote)'" ||
	{ fail "tmux new-session"; finish; }
# A partner's dashboard opens on its own items (the mine filter): PA's WP2.
if wait_for "WP2" 100 a; then pass "$ANNA's dashboard is up over ssh -t"; else
	fail "the dashboard over ssh did not show WP2: $(head -c 600 "$T/screen") $(tail -c 300 "$K/sshd.log")"
	finish
fi
tm send-keys -t a 6
wait_for "Activity]" 50 a || fail "6 did not show the activity pane"
sleep 0.3
over_ssh $BERT note T2.1 "live-from-bert"
expect_rc 0 "$BERT writes while $ANNA watches"
wait_for "live-from-bert" 50 a && pass "$ANNA's dashboard shows $BERT's write with no key pressed" ||
	fail "$BERT's write did not show within 50 looks at the screen: $(head -c 800 "$T/screen")"
tm kill-session -t a 2>/dev/null

# The link drops mid-dialog: nothing written, no consort left.
N=$(sqlite3 -readonly "$DB" 'select count(*) from log;')
tm new-session -d -s j -x 120 -y 40 "$(ssh_cmd $JANIS -t) '$(remote)'" ||
	{ fail "tmux new-session"; finish; }
wait_for "WP1" 100 j || { fail "$JANIS's dashboard did not start: $(head -c 400 "$T/screen")"; finish; }
tm send-keys -t j 1
sleep 0.2
tm send-keys -t j g
sleep 0.2
tm capture-pane -p -t j >"$T/screen"
if ! grep -q '^ *T1\.1 ' "$T/screen"; then
	tm send-keys -t j Enter
	wait_for "T1.1" 50 j || fail "Enter on WP1 did not show T1.1"
fi
tm send-keys -t j j
sleep 0.3
tm send-keys -t j u
wait_for "Update T1.1" 50 j && pass "the update dialog is open over ssh" ||
	fail "no update dialog: $(head -c 800 "$T/screen")"
tm send-keys -t j -l "42"
wait_for "42" 50 j || fail "the typed value does not show"
pgrep -u $JANIS -x consort >/dev/null && pass "$JANIS's consort runs on the server" ||
	fail "no consort process of $JANIS"
client=$(tm display-message -p -t j '#{pane_pid}')
kill -KILL "$client"
i=0
while pgrep -u $JANIS -x consort >/dev/null && [ $i -lt 50 ]; do sleep 0.1; i=$((i + 1)); done
pgrep -u $JANIS -x consort >/dev/null && fail "a consort process of $JANIS is left 5 s after the link dropped" ||
	pass "no consort process is left after the link dropped"
n=$(sqlite3 -readonly "$DB" 'select count(*) from log;')
[ "$n" = "$N" ] && pass "nothing was written when the link dropped ($N entries)" ||
	fail "the log holds $n entries, expected $N"
integrity "$DB" "after the dropped link"
finish
