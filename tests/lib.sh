# Helpers for the shell tests: a scratch directory, a small fixture project,
# assertions that count failures, consort run as another Unix user, and the
# suite's own test accounts.
# Source it from a test script: . "$(dirname "$0")/../lib.sh"
# Exit status of a test: 0 pass, 1 fail, 77 skip (only when a tool or root
# is truly absent; the reason goes to stdout).

set -u

: "${top_srcdir:=$(cd "$(dirname "$0")/../.." && pwd)}"
: "${top_builddir:=$top_srcdir}"
: "${CONSORT:=$top_builddir/src/consort}"
: "${CONSORT_TESTDATA:=$top_srcdir/tests/data}"
: "${CONSORT_DATA:=$top_srcdir/data}"
export CONSORT CONSORT_DATA CONSORT_TESTDATA
LC_ALL=${LC_ALL:-C.UTF-8}
export LC_ALL

if [ ! -x "$CONSORT" ]; then
	echo "consort binary not found at $CONSORT" >&2
	exit 1
fi

TESTNAME=$(basename "$0" .sh)
TESTDIR=$(basename "$(dirname "$0")")

# A scratch directory, removed on exit; HOME and the data dir live in it.
# Root's tests hand files to other users, so theirs is under /tmp whatever
# TMPDIR says.
if [ "$(id -u)" -eq 0 ]; then scratch_in=/tmp; else scratch_in=${TMPDIR:-/tmp}; fi
T=$(mktemp -d "$scratch_in/consort-$TESTNAME.XXXXXX") || exit 1
chmod 755 "$T"
cleanup_hooks=""
cleanup() {
	for h in $cleanup_hooks; do "$h"; done
	cl_rc=0
	accounts_drop || cl_rc=1
	rm -rf "$T"
	[ "$cl_rc" -eq 0 ] || exit 1
}
trap cleanup EXIT
trap 'exit 1' HUP INT TERM
XDG_DATA_HOME=$T/xdg
HOME=$T/home
mkdir -p "$HOME"
export XDG_DATA_HOME HOME
unset CONSORT_PROJECT CONSORT_DB NO_COLOR 2>/dev/null || true
# The reliability tests run on a fixed "today" inside the fixture project,
# so that results do not depend on the date the suite runs; the others set
# theirs where they need one.
if [ "$TESTDIR" = reliability ]; then
	CONSORT_TODAY=2020-05-15
	export CONSORT_TODAY
else
	unset CONSORT_TODAY 2>/dev/null || true
fi

FAILS=0

fail() {
	echo "FAIL: $TESTNAME: $*" >&2
	FAILS=$((FAILS + 1))
}

pass() {
	echo "ok: $*"
}

have() { command -v "$1" >/dev/null 2>&1; }

# skip REASON: exit 77 with the reason on stdout.
skip() {
	echo "SKIP: $TESTNAME: $*"
	exit 77
}

# run ARGS...: run consort in the scratch dir; sets RC, and OUT/ERR (files).
# A command that hangs is stopped after a minute (exit 124).
OUT=$T/stdout
ERR=$T/stderr
RC=0
TIMEOUT=""
have timeout && TIMEOUT="timeout 60"
run() {
	RC=0
	(cd "$T" && $TIMEOUT "$CONSORT" "$@") >"$OUT" 2>"$ERR" </dev/null || RC=$?
}

# run_as USER ARGS...: as another Unix user (root only), via setpriv, with
# that user's groups. RUN_ENV may hold extra VAR=VALUE words for env.
run_as() {
	ra_u=$1
	shift
	ra_uid=$(id -u "$ra_u") || return 1
	run_ids "$ra_uid" "$(id -g "$ra_u")" --init-groups "$@"
}

# run_ids UID GID GROUPS ARGS...: as that uid and gid (root only), GROUPS
# being setpriv's --init-groups or --clear-groups (a uid without a passwd
# entry has no groups to init). What the other user runs and reads comes
# from the scratch directory, which any user can reach: the build tree may
# be where nobody else can enter (a clone in /root).
run_ids() {
	ri_uid=$1 ri_gid=$2 ri_groups=$3
	shift 3
	share_with_others || return 1
	RC=0
	(cd "$T" && $TIMEOUT setpriv --reuid="$ri_uid" --regid="$ri_gid" $ri_groups \
		env HOME="$T/home" XDG_DATA_HOME="$T/xdg" CONSORT_DATA="$SHARED/data" \
		LC_ALL="$LC_ALL" ${CONSORT_TODAY:+CONSORT_TODAY=$CONSORT_TODAY} \
		${LSAN_OPTIONS:+LSAN_OPTIONS=$SHARED_LSAN} ${RUN_ENV:-} "$SHARED/bin/consort" "$@") \
		>"$OUT" 2>"$ERR" </dev/null || RC=$?
}

# share_with_others: copy the binary, the bundled data and the leak
# suppressions into $SHARED (inside the scratch directory, every directory
# on the way 755), once.
SHARED=$T/shared-prefix
SHARED_LSAN=""
SHARED_OK=""
share_with_others() {
	[ -z "$SHARED_OK" ] || return 0
	if [ ! -x "$SHARED/bin/consort" ]; then
		mkdir -p "$SHARED/bin" "$SHARED/data" &&
			cp "$CONSORT" "$SHARED/bin/consort.$$" &&
			cp -R "$CONSORT_DATA/." "$SHARED/data" &&
			cp "$top_srcdir/tests/lsan.supp" "$SHARED/lsan.supp" &&
			chmod -R a+rX "$SHARED" && chmod 755 "$SHARED/bin/consort.$$" &&
			mv -f "$SHARED/bin/consort.$$" "$SHARED/bin/consort" || {
			fail "cannot copy what other users run into $SHARED"
			return 1
		}
	fi
	sw_d=$SHARED
	while [ "$sw_d" != / ]; do
		case $(stat -c %A "$sw_d") in
		?????????[xt]) ;;
		*) fail "other users cannot enter $sw_d"; return 1 ;;
		esac
		sw_d=$(dirname "$sw_d")
	done
	SHARED_LSAN=$(printf '%s' "${LSAN_OPTIONS:-}" |
		sed "s|suppressions=[^:]*|suppressions=$SHARED/lsan.supp|")
	SHARED_OK=1
}

# Test accounts. Every Unix user and group the suite makes is named
# cst_BASE (cst_BASE_2, _3, ... when that name is taken), is created by
# new_user/new_group only if absent and removed again on exit; an account
# the suite did not create is never used, changed or removed.
ACCOUNT_PREFIX=cst_
accounts_users=""
accounts_groups=""

# need_accounts: skip unless root with the tools; the accounts lock is
# taken alone, for the whole test: two tests making and removing accounts
# at once contend for the account files' locks (a groupdel refused while
# another test's useradd holds them) and a removed group's number may go
# to the other test's next group, which then owns the first one's files.
# (tests/reliability/accounts.sh takes it alone too, to compare
# /etc/passwd before and after.)
need_accounts() {
	[ "$(id -u)" -eq 0 ] || skip "needs root to create Unix users"
	for na_t in useradd userdel groupadd groupdel setpriv getent; do
		have "$na_t" || skip "$na_t absent"
	done
	if [ -z "${CONSORT_ACCOUNTS_HELD:-}" ] && have flock; then
		exec 7>"/tmp/consort-test-accounts.lock"
		flock -x -w 900 7 || skip "the test accounts lock was held for 15 minutes"
	fi
}

# account_free NAME: no user and no group has that name.
account_free() {
	! getent passwd "$1" >/dev/null 2>&1 && ! getent group "$1" >/dev/null 2>&1
}

# new_account KIND VAR BASE COMMAND...: the first free cst_BASE[_N] that
# COMMAND NAME creates goes into VAR.
new_account() {
	nac_kind=$1 nac_var=$2 nac_base=$ACCOUNT_PREFIX$3
	shift 3
	nac_i=1
	nac_name=$nac_base
	nac_tries=0
	while :; do
		if account_free "$nac_name"; then
			if "$@" "$nac_name" >"$T/account.err" 2>&1; then
				break
			fi
			# Taken meanwhile (then the next name), or the password
			# files locked by another useradd (then again).
			if account_free "$nac_name"; then
				nac_tries=$((nac_tries + 1))
				if [ "$nac_tries" -ge 10 ]; then
					fail "cannot create $nac_kind $nac_name: $(head -c 300 "$T/account.err")"
					finish
				fi
				sleep 1
				continue
			fi
		fi
		nac_i=$((nac_i + 1))
		[ "$nac_i" -le 50 ] || skip "$nac_base and $nac_base"_2 .. _50 all exist already
		nac_name=${nac_base}_$nac_i
	done
	if [ "$nac_kind" = user ]; then
		accounts_users="$nac_name $accounts_users"
	else
		accounts_groups="$nac_name $accounts_groups"
	fi
	eval "$nac_var=\$nac_name"
}

# new_group VAR BASE: a new group, its name in VAR.
new_group() {
	need_accounts
	new_account group "$1" "$2" groupadd
}

# new_user VAR BASE GROUP: a new user (no home, no login shell) whose
# primary group is GROUP, its name in VAR. No group of its own is made.
new_user() {
	need_accounts
	new_account user "$1" "$2" useradd -M -N -g "$3" -d /nonexistent -s /usr/sbin/nologin
}

# account_remove KIND NAME COMMAND...: COMMAND NAME, once more a second
# later if the account files were locked; says so if it still fails.
account_remove() {
	ar_kind=$1 ar_name=$2
	shift 2
	"$@" "$ar_name" >/dev/null 2>&1 || { sleep 1; "$@" "$ar_name" >/dev/null 2>&1; } || {
		echo "FAIL: $TESTNAME: cannot remove the test $ar_kind $ar_name" >&2
		return 1
	}
}

# accounts_drop: remove what new_user and new_group made (processes of
# those users first), and nothing else.
accounts_drop() {
	ad_rc=0
	for ad_u in $accounts_users; do
		ad_pids=$(ps -o pid= -u "$ad_u" 2>/dev/null)
		[ -z "$ad_pids" ] || kill $ad_pids 2>/dev/null
		account_remove user "$ad_u" userdel || ad_rc=1
	done
	accounts_users=""
	for ad_g in $accounts_groups; do
		account_remove group "$ad_g" groupdel || ad_rc=1
	done
	accounts_groups=""
	return $ad_rc
}

# expect_rc CODE WHAT: the last run exited with CODE.
expect_rc() {
	if [ "$RC" -eq "$1" ]; then
		pass "$2 (exit $1)"
	else
		fail "$2: expected exit $1, got $RC; stderr: $(head -c 400 "$ERR")"
	fi
}

# expect_rc_in "CODES" WHAT: the last run exited with one of CODES.
expect_rc_in() {
	for ei_c in $1; do
		if [ "$RC" -eq "$ei_c" ]; then
			pass "$2 (exit $RC)"
			return 0
		fi
	done
	fail "$2: expected exit in {$1}, got $RC; stderr: $(head -c 400 "$ERR")"
}

# expect_no_crash WHAT: the last run was not killed by a signal.
expect_no_crash() {
	if [ "$RC" -lt 128 ]; then pass "$1: no crash"; else
		fail "$1: killed by a signal (exit $RC)"; fi
}

# expect_out TEXT WHAT / expect_err TEXT WHAT: stdout/stderr contains TEXT.
expect_out() {
	if grep -qF -- "$1" "$OUT"; then pass "$2"; else
		fail "$2: stdout lacks '$1'; stdout: $(head -c 600 "$OUT")"; fi
}
expect_no_out() {
	if grep -qF -- "$1" "$OUT"; then
		fail "$2: stdout has '$1'"; else pass "$2"; fi
}
expect_err() {
	if grep -qF -- "$1" "$ERR"; then pass "$2"; else
		fail "$2: stderr lacks '$1'; stderr: $(head -c 600 "$ERR")"; fi
}

# expect_one_line_err WHAT: stderr is exactly one line starting "consort: ".
expect_one_line_err() {
	n=$(wc -l <"$ERR")
	if [ "$n" -eq 1 ] && head -n1 "$ERR" | grep -q '^consort: '; then
		pass "$1: one-line error"
	else
		fail "$1: expected one 'consort: ' line on stderr, got $n: $(head -c 400 "$ERR")"
	fi
}

# no_raw_escape FILE WHAT: no ESC or BEL byte in FILE, and (with python3)
# valid UTF-8 without C1 controls (U+0080..U+009F) or bidi overrides.
no_raw_escape() {
	if LC_ALL=C grep -q "$(printf '[\033\007]')" "$1"; then
		fail "$2: raw control bytes in output"
	elif have python3 && ! python3 -c 'import sys
t = open(sys.argv[1], "rb").read().decode("utf-8")
sys.exit(any(0x80 <= ord(c) <= 0x9f or 0x202a <= ord(c) <= 0x202e for c in t))' "$1" 2>/dev/null; then
		fail "$2: invalid UTF-8, C1 control or bidi override in output"
	else
		pass "$2: no raw control bytes"
	fi
}

# json_ok FILE WHAT: FILE parses as JSON (skips this assertion without python3).
json_ok() {
	if ! have python3; then
		echo "skip: $2 (python3 absent)"
		return 0
	fi
	if python3 -m json.tool "$1" >/dev/null 2>&1; then pass "$2: valid JSON"; else
		fail "$2: invalid JSON: $(head -c 400 "$1")"; fi
}

# json_get FILE EXPR: print a value from the JSON in FILE (python3 expression on d).
json_get() {
	python3 -c "import json,sys; d=json.load(open(sys.argv[1])); print($2)" "$1" 2>/dev/null
}

# count_entries DB: entries in the log (sqlite3 shell), or "" without sqlite3.
count_entries() {
	if have sqlite3; then sqlite3 "$1" 'select count(*) from log;' 2>/dev/null; else echo ""; fi
}
log_count() { count_entries "$@"; }

# integrity DB WHAT: PRAGMA integrity_check says ok.
integrity() {
	ig=$(sqlite3 -cmd '.timeout 5000' "$1" 'pragma integrity_check;' 2>&1)
	if [ "$ig" = "ok" ]; then pass "$2: integrity_check ok"; else
		fail "$2: integrity_check: $(printf '%s' "$ig" | head -c 300)"; fi
}

# fixture DIR LOGIN [LOGIN_A [LOGIN_C [LOGIN_B]]]: write DIR/proj.yaml, a
# small project with LOGIN (and LOGIN_C, when given) as users of the
# coordinator COORD, LOGIN_A (default cst_anna) as the user of partner PA
# and LOGIN_B (default cst_bert) as PB's. 2020-01-01 .. 2020-12-31, periods
# RP1 (1-6), RP2 (7-12); tasks T1.1 (COORD), T2.1 (PA), T2.2 (PA with
# COORD), T3.1 (PB); targets smes (count) and countries (distinct).
fixture() {
	mkdir -p "$1"
	fx_coord=$2
	[ -z "${4:-}" ] || fx_coord="$2, $4"
	sed -e "s/@LOGIN@/$fx_coord/" -e "s/\[cst_anna\]/[${3:-cst_anna}]/" \
		-e "s/\[cst_bert\]/[${5:-cst_bert}]/" \
		"$CONSORT_TESTDATA/cli/proj.yaml.in" >"$1/proj.yaml" || {
		echo "FAIL: $TESTNAME: cannot write the fixture from $CONSORT_TESTDATA/cli/proj.yaml.in" >&2
		exit 1
	}
}

# fixture_budget DIR: the fixture's plan in DIR with a budget (EUR 4815,
# EU contribution 4500, 7% indirect) and each partner's effort (WP1 6,
# WP2 1.5) and costs (personnel 1000, travel 500).
fixture_budget() {
	sed -e 's/^    - {id: RP2, from: 7, to: 12}$/&\n  budget: {currency: EUR, total: 4815, eu_contribution: 4500, indirect_rate: 7}/' \
		-e 's/^    users: \[[^]]*\]$/&\n    effort: {WP1: 6, WP2: 1.5}\n    budget: {personnel: 1000, travel: 500}/' \
		"$1/proj.yaml" >"$1/p2.yaml" && mv "$1/p2.yaml" "$1/proj.yaml"
}

# finish: exit with the result of the script.
finish() {
	if [ "$FAILS" -gt 0 ]; then
		echo "$TESTNAME: $FAILS failure(s)" >&2
		exit 1
	fi
	echo "$TESTNAME: all passed"
	exit 0
}
