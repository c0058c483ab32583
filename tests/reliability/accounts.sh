#!/bin/sh
# The suite's test accounts are its own (root only). The tests that create
# Unix users and groups run twice in a row, while a user and a group with
# the first names they would pick (cst_anna, cst_grp) exist already and are
# not theirs: every run passes, the existing accounts are left as they
# were, and afterwards /etc/passwd, /etc/group and the shadow and
# subordinate-id files are byte for byte what they were before. Every
# account they create or remove is named cst_*, and they remove only what
# they created.
. "$(dirname "$0")/../lib.sh"

need_accounts
have sha256sum || skip "sha256sum absent"
have flock || skip "flock absent"
# The other tests that make accounts take the lock shared: comparing the
# files needs it alone. The tests run from here take none.
exec 7>&-
exec 7>"/tmp/consort-test-accounts.lock"
flock -x -w 900 7 || skip "the test accounts lock was held for 15 minutes"
CONSORT_ACCOUNTS_HELD=1
export CONSORT_ACCOUNTS_HELD

FILES=""
for f in /etc/passwd /etc/group /etc/shadow /etc/gshadow /etc/subuid /etc/subgid; do
	[ -f "$f" ] && FILES="$FILES $f"
done
sums() { for f in $FILES; do printf '%s %s\n' "$f" "$(sha256sum <"$f" | cut -d' ' -f1)"; done; }
same_as() { # FILE WHAT: the account files' sums are those in FILE
	sums >"$T/now"
	if cmp -s "$1" "$T/now"; then
		pass "$2: the account files are byte for byte as they were"
	else
		fail "$2: changed: $(diff "$1" "$T/now" | sed -n 's/^> \([^ ]*\) .*/\1/p' | tr '\n' ' ')"
	fi
}
sums >"$T/before"

# Accounts that are not the tests': created here, outside the library, so
# that this script removes them itself (and only them).
theirs_made=""
theirs_drop() {
	for n in $theirs_made; do
		case $n in
		u:*) userdel "${n#u:}" >/dev/null 2>&1 ;;
		g:*) groupdel "${n#g:}" >/dev/null 2>&1 ;;
		esac
	done
	theirs_made=""
}
cleanup_hooks="theirs_drop $cleanup_hooks"
if account_free cst_grp && groupadd cst_grp; then
	theirs_made="g:cst_grp $theirs_made"
fi
if account_free cst_anna && useradd -M -N -g cst_grp -d /nonexistent -s /usr/sbin/nologin cst_anna; then
	theirs_made="u:cst_anna $theirs_made"
fi
getent passwd cst_anna >"$T/anna.before"
getent group cst_grp >"$T/grp.before"
sums >"$T/with-theirs"

# The account tools, seen through wrappers that note the name (the last
# argument) and call the real tool.
W=$T/wrap
mkdir "$W"
for tool in useradd userdel groupadd groupdel; do
	real=$(command -v "$tool")
	cat >"$W/$tool" <<WRAP
#!/bin/sh
for a in "\$@"; do n=\$a; done
echo "$tool \$n" >>"$T/calls"
exec "$real" "\$@"
WRAP
	chmod 755 "$W/$tool"
done

round=1
while [ "$round" -le 2 ]; do
	for t in cli/users reliability/users reliability/hostile-logs; do
		log=$T/$(echo "$t" | tr / -).$round.log
		rc=0
		: >"$T/calls"
		PATH=$W:$PATH sh "$top_srcdir/tests/$t.sh" >"$log" 2>&1 </dev/null || rc=$?
		[ "$rc" -eq 0 ] && pass "run $round: tests/$t.sh" ||
			fail "run $round: tests/$t.sh exited $rc: $(grep -v '^ok' "$log" | head -5)"
		other=$(awk '$2 !~ /^cst_/' "$T/calls" | head -3 | tr '\n' ' ')
		[ -z "$other" ] && pass "run $round: tests/$t.sh makes only cst_ accounts" ||
			fail "run $round: tests/$t.sh: $other"
		other=$(awk '/^user(add|del) /{k="u"} /^group(add|del) /{k="g"}
			/add /{made[k $2] = 1} /del / && !made[k $2] {print}' "$T/calls" | head -3 | tr '\n' ' ')
		[ -z "$other" ] && pass "run $round: tests/$t.sh removes only what it made" ||
			fail "run $round: tests/$t.sh removes what it did not make: $other"
		grep -q '^useradd ' "$T/calls" && pass "run $round: tests/$t.sh made its accounts" ||
			fail "run $round: tests/$t.sh made no account (the wrappers saw nothing)"
	done
	same_as "$T/with-theirs" "after run $round"
	getent passwd cst_anna | cmp -s - "$T/anna.before" &&
		pass "run $round: the existing user cst_anna is untouched" ||
		fail "run $round: the existing user cst_anna changed: $(getent passwd cst_anna)"
	getent group cst_grp | cmp -s - "$T/grp.before" &&
		pass "run $round: the existing group cst_grp is untouched" ||
		fail "run $round: the existing group cst_grp changed: $(getent group cst_grp)"
	round=$((round + 1))
done

theirs_drop
same_as "$T/before" "at the end"
finish
