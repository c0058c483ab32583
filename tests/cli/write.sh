# update, record, bench, revert and log: round trips on a fresh log, every
# error exit code, refused writes write nothing, hostile notes stay inert.
. "$(dirname "$0")/../lib.sh"

fixture "$T" "$(id -un)"
P="--project $T/proj.yaml"
DB=$T/proj.db
export CONSORT_TODAY=2020-05-15
run $P init
expect_rc 0 "init"
run $P init
expect_rc 74 "init twice"
expect_one_line_err "init twice"

run $P update T1.1 --status in_progress --progress 40 --note "kick-off done" --date 2020-05-01
expect_rc 0 "update"
expect_out "recorded #2 and #3: T1.1 status in_progress, progress 40 (effective 2020-05-01)" "update confirmation"
run $P update D1.1 --status=submitted
expect_rc 0 "update --opt=VALUE"
expect_out "(effective 2020-05-15)" "effective defaults to today"
run $P record smes +12 --note "fair in Riga"
expect_rc 0 "record"
expect_out "smes +12 for COORD" "record for the user's partner"
run $P record smes -2 --partner PA
expect_rc 65 "a correction below zero is refused"
expect_err "would make it negative" "says why"
run $P record smes +2 --partner PA
expect_rc 0 "record for another partner as coordinator"
run $P record smes =40 --partner PB
expect_rc 0 "record a total"
run $P record countries SE
expect_rc 0 "record a distinct value"
run $P bench COORD G1 4
expect_rc 0 "bench value"
run $P bench COORD --label silver
expect_rc 0 "bench label"
run $P revert 6 --note "wrong partner"
expect_rc 0 "revert"
expect_out "revert of #6" "revert confirmation"

run $P log
expect_rc 0 "log"
expect_out "#11" "log shows ids"
expect_out "(reverted by #11)" "reverted entry marked"
expect_out "kick-off done" "notes shown"
first=$(sed -n 2p "$OUT" | awk '{print $1}')
[ "$first" = "#11" ] && pass "newest first" || fail "log not newest first ($first)"
run $P log T1.1
expect_out "T1.1" "log ITEM"
expect_no_out "smes" "log ITEM filters"
run $P log --since 2020-05-10 --limit 2
[ "$(wc -l <"$OUT")" -eq 3 ] && pass "--limit" || fail "--limit: $(cat "$OUT")"
run $P log --by nobody-at-all
expect_rc 0 "--by with no entries"
expect_out "no entries by nobody-at-all" "--by filters and says whose entries are missing"
# An id that is neither in the definition nor in the log is a typo: 65.
run $P log T9.9
expect_rc 65 "log of an unknown item"
expect_err "consort: log: unknown item 'T9.9'" "unknown item named"
expect_one_line_err "log of an unknown item"
[ -s "$OUT" ] && fail "unknown item printed output" || pass "unknown item prints nothing"
run $P log T9.9 --json
expect_rc 65 "log --json of an unknown item"
# A known item without entries, and a partner id (what its users and its
# cluster recorded, and the reach credited to it).
run $P log MS2
expect_rc 0 "log of a known item without entries"
expect_out "no entries for MS2" "no entries for a known item"
run $P log PB
expect_rc 0 "log PARTNER"
expect_out "=40" "log PARTNER shows reach credited to it"
expect_no_out "T1.1" "log PARTNER leaves out other partners' entries"
run $P log COORD
expect_out "T1.1" "log PARTNER shows its users' updates"
expect_out "silver" "log PARTNER shows its cluster's label"
run $P log --json
expect_rc 0 "log --json"
json_ok "$OUT" "log --json"
if have python3; then
	[ "$(json_get "$OUT" 'len(d)')" = 11 ] && pass "json: all entries" || fail "json entry count"
	[ "$(json_get "$OUT" 'd[-2]["effective"]')" = 2020-05-01 ] && pass "json effective" || fail "json effective"
	json_get "$OUT" 'd[0]["recorded_at"]' | grep -Eq '^[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}\.[0-9]{3}Z$' &&
		pass "json recorded_at ISO 8601 ms" || fail "json recorded_at"
	[ "$(json_get "$OUT" '[e["reverted_by"] for e in d if e["id"]==6][0]')" = 11 ] && pass "json reverted_by" || fail "json reverted_by"
fi
run $P status --json
if have python3; then
	[ "$(json_get "$OUT" '[t["total"] for t in d["targets"] if t["id"]=="smes"][0]')" = 52 ] &&
		pass "reach after revert: 12 + 40" || fail "reach total after revert"
fi

# Errors: bad values (65), usage (64), nothing written.
n0=$(log_count "$DB")
run $P update T1.1 --progress 140
expect_rc 65 "progress out of range"
expect_one_line_err "progress out of range"
run $P update T1.1 --status flying
expect_rc 65 "unknown status"
run $P update T9.9 --status done
expect_rc 65 "unknown item"
run $P update T1.1 --status done --date 2020-06-01
expect_rc 65 "future date"
run $P record smes 12x
expect_rc 65 "bad reach value"
run $P record smes
expect_rc 64 "record without VALUE"
run $P bench COORD G1
expect_rc 64 "bench without VALUE"
run $P revert 999 --note x
expect_rc 65 "revert of a missing entry"
run $P revert 3
expect_rc 64 "revert without a note"
run $P revert abc --note x
expect_rc 65 "revert of a non-number"
run $P update T1.1 --status done --progress
expect_rc 64 "option without its value"
n1=$(log_count "$DB")
[ "$n0" = "$n1" ] && pass "refused writes wrote nothing" || fail "refused writes changed the log ($n0 -> $n1)"

# An unknown login reads but cannot write (77): a log whose plan lists
# someone else (root may create a log for a plan it is not in).
[ "$(id -u)" -eq 0 ] || skip "needs root to create a log for another coordinator's plan"
sed "s/@LOGIN@/someone-else/" "$CONSORT_TESTDATA/cli/proj.yaml.in" >"$T/other.yaml"
run --project "$T/other.yaml" --db "$T/other.db" init
expect_rc 0 "root creates a log for someone else's plan"
Q="--project $T/other.yaml --db $T/other.db"
n1=$(log_count "$T/other.db")
run $Q status
expect_rc 0 "unknown user reads status"
run $Q update T1.1 --status done
expect_rc 77 "unknown user cannot update"
expect_one_line_err "refused permission"
run $Q record smes +1
expect_rc 77 "unknown user cannot record"
n2=$(log_count "$T/other.db")
[ "$n1" = "$n2" ] && pass "refused permission wrote nothing" || fail "refused permission changed the log"

# A refused write leaves the file byte for byte as it was, even where opening
# it for writing would change it (here: a log in rollback-journal mode, which
# a writer switches to WAL). Every write command, refused for permission or
# for a bad value, is checked with the log open read-only.
if have sqlite3 && have sha256sum; then
	sqlite3 "$DB" ".backup '$T/ro.db'" && sqlite3 "$T/ro.db" "PRAGMA journal_mode=DELETE;" >/dev/null &&
		pass "a copy in rollback-journal mode" || fail "copy of the log"
	sqlite3 "$T/other.db" ".backup '$T/ro-other.db'" &&
		sqlite3 "$T/ro-other.db" "PRAGMA journal_mode=DELETE;" >/dev/null ||
		fail "copy of the other log"
	R="--project $T/other.yaml --db $T/ro-other.db"
	h0=$(sha256sum <"$T/ro-other.db")
	for w in "update T1.1 --status done" "record smes +1" "bench COORD G1 4" "bench COORD --label gold" "revert 1 --note x"; do
		run $R $w
		expect_rc 77 "read-only user refused: $w"
		h1=$(sha256sum <"$T/ro-other.db")
		[ "$h0" = "$h1" ] && pass "refused write left the file unchanged: $w" || fail "refused write changed the file: $w"
		[ ! -e "$T/ro-other.db-wal" ] && [ ! -e "$T/ro-other.db-shm" ] && pass "no -wal or -shm made: $w" ||
			fail "refused write made -wal/-shm: $w"
	done
	h0=$(sha256sum <"$T/ro.db")
	run --project "$T/proj.yaml" --db "$T/ro.db" update T1.1 --progress 140
	expect_rc 65 "bad value refused"
	[ "$h0" = "$(sha256sum <"$T/ro.db")" ] && pass "refused bad value left the file unchanged" ||
		fail "refused bad value changed the file"
	[ "$(sqlite3 "$T/ro.db" 'PRAGMA journal_mode;')" = delete ] && pass "still in rollback-journal mode" ||
		fail "journal mode changed by a refused write"
	# The same write by a permitted user goes through and does change it.
	run --project "$T/proj.yaml" --db "$T/ro.db" update T1.1 --progress 45
	expect_rc 0 "a permitted write to the copy"
	[ "$h0" != "$(sha256sum <"$T/ro.db")" ] && pass "a permitted write changes the file" ||
		fail "a permitted write left the file as it was"
	# A log in WAL mode whose -wal still holds committed pages (its last
	# writer stopped before its close put them into the file): a write is
	# checked on a connection that could write, which must not checkpoint
	# them when the write is refused, nor when nothing else has it open.
	cp "$DB" "$T/wal.db" && sqlite3 "$T/wal.db" "PRAGMA journal_mode=WAL;" >/dev/null &&
		sqlite3 "$T/wal.db" ".dbconfig no_ckpt_on_close on" \
			"INSERT OR REPLACE INTO meta (key, value) VALUES ('test', 'pending')" &&
		[ -s "$T/wal.db-wal" ] && pass "a WAL log with pages in its -wal" || fail "WAL copy of the log"
	hw=$(cat "$T/wal.db" "$T/wal.db-wal" | sha256sum)
	printf 'target,value,partner\nsmes,+1,PA\n' >"$T/wal-rows.csv"
	for w in "update T1.1 --progress 140" "record smes -900 --partner PA" "record nosuch +1" \
	         "record --from $T/wal-rows.csv --dry-run"; do
		run --project "$T/proj.yaml" --db "$T/wal.db" $w
		case $w in
		*--dry-run) expect_rc 0 "checked on the WAL log: $w" ;;
		*) [ "$RC" -ne 0 ] && pass "refused on the WAL log: $w" || fail "not refused on the WAL log: $w" ;;
		esac
		[ "$hw" = "$(cat "$T/wal.db" "$T/wal.db-wal" | sha256sum)" ] &&
			pass "nothing written left the log and its -wal byte for byte: $w" ||
			fail "nothing written, yet the log or its -wal changed: $w"
	done
	run --project "$T/proj.yaml" --db "$T/wal.db" record smes +1 --partner PA
	expect_rc 0 "a write to the WAL log"
	[ "$(sqlite3 "$T/wal.db" "SELECT value FROM meta WHERE key = 'test'")" = pending ] &&
		pass "the pages of the -wal are kept by the write" || fail "the -wal's pages were lost"
else
	echo "skip: refused write byte-for-byte (sqlite3 or sha256sum absent)"
fi

# Missing log (66) and a file that is not a log (65).
run --project "$T/proj.yaml" --db "$T/missing.db" update T1.1 --status done
expect_rc 66 "missing log"
echo "not a database" >"$T/junk.db"
run --project "$T/proj.yaml" --db "$T/junk.db" log
case $RC in 65|74) pass "junk log refused ($RC)";; *) fail "junk log: exit $RC";; esac

# Hostile notes stay inert everywhere.
hostile=$(printf 'A\033[2J\007B\302\233C\342\200\256E\033]0;title\007')
run $P update T2.2 --progress 10 --note "$hostile"
expect_rc 0 "hostile note recorded"
run $P record countries "$(printf 'X\033[31mY')"
# Bytes consort would refuse (invalid UTF-8, a lone C1 CSI) put in with the
# sqlite3 shell, as anyone with write access to the file could.
if have sqlite3; then
	sqlite3 "$DB" "insert into log(recorded_at, effective, login, uid, partner, item, kind, value, note)
		values (0, '2020-05-02', CAST(X'6D616C1B5B33316D' AS TEXT), 0, 'PA', 'T2.1', 'progress', '5',
		CAST(X'41FF9B1B5B324AC3' AS TEXT));" && pass "raw entry inserted" || fail "raw insert"
fi
for cmd in "log" "log --json" "status" "status --json" "export --format md" "export --format csv" "export --format json"; do
	run $P $cmd
	no_raw_escape "$OUT" "$cmd with hostile text"
done
run $P log T2.2
expect_out "A␛[2J␇B" "controls shown as symbols"

# The log busy past the timeout (69): hold a write lock with the sqlite3 shell.
if have sqlite3 && have mkfifo; then
	mkfifo "$T/fifo"
	sqlite3 "$DB" <"$T/fifo" >/dev/null 2>&1 &
	holder=$!
	exec 3>"$T/fifo"
	echo "begin immediate; insert into meta(key, value) values ('lock-test', '1');" >&3
	sleep 1
	run $P update T1.1 --progress 50
	expect_rc 69 "log busy"
	echo "rollback;" >&3
	exec 3>&-
	wait "$holder" 2>/dev/null || true
	run $P update T1.1 --progress 50
	expect_rc 0 "log free again"
else
	echo "skip: log busy (sqlite3 or mkfifo absent)"
fi
finish
