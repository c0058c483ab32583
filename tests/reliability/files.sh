#!/bin/sh
# No file games (root only: real users). What consort writes for a user is
# never written through a link another user planted: export --output onto
# a symbolic link to the victim's private file is refused and the file is
# unchanged; a replaced export is a new file renamed over the old one; and
# init --shared, raced by a user who swaps a link in for the log, never
# gives the victim's 0600 file to the group.
. "$(dirname "$0")/../lib.sh"

new_group G share
new_user VICTIM victim "$G"
new_user MALLORY mallory "$G"

P=$T/p
fixture "$P" "$VICTIM"
chmod -R a+rX "$P"
# The victim's own directory, with a private file; a drop directory both
# may write (group, not sticky: the kernel's protected_symlinks does not
# guard it).
VH=$T/vh
mkdir "$VH"
chown $VICTIM "$VH"
chmod 700 "$VH"
SECRET=$VH/secret
echo "the victim's private notes" >"$SECRET"
chown $VICTIM "$SECRET"
chmod 600 "$SECRET"
D=$T/drop
mkdir "$D"
chown root:"$G" "$D"
chmod 2775 "$D"
as() {
	as_u=$1
	shift
	setpriv --reuid="$(id -u "$as_u")" --regid="$(id -g "$as_u")" --init-groups "$@"
}
secret_is_safe() {
	got=$(stat -c '%U:%G %a' "$SECRET")
	want="$VICTIM:$(id -gn root) 600"
	if [ "$got" = "$want" ] && [ "$(cat "$SECRET")" = "the victim's private notes" ]; then
		pass "$1: the victim's file is unchanged ($got)"
	else
		fail "$1: the victim's file is now $got: $(head -c 100 "$SECRET")"
	fi
}
PR="--project $P/proj.yaml --db $VH/progress.db"
run_as $VICTIM $PR init
expect_rc 0 "the victim makes her log"

# export --output onto a planted link.
as $MALLORY ln -s "$SECRET" "$D/report.csv"
run_as $VICTIM $PR export --format csv --output "$D/report.csv"
expect_rc 77 "export --output onto a planted symbolic link is refused"
expect_one_line_err "export onto a link"
secret_is_safe "export onto a link"
[ -L "$D/report.csv" ] && pass "the link is left as it was" || fail "the link was replaced"
ls "$D" | grep -q 'tmp' && fail "a temporary was left in $D: $(ls "$D")" || pass "no temporary is left"

# A new file, then one replaced: a new file renamed over it.
run_as $VICTIM $PR export --format csv --output "$D/mine.csv"
expect_rc 0 "export to a new file"
[ -s "$D/mine.csv" ] && [ "$(stat -c %U "$D/mine.csv")" = $VICTIM ] && pass "the export is the victim's file" ||
	fail "the export: $(ls -l "$D/mine.csv" 2>&1)"
chmod 640 "$D/mine.csv"
ino=$(stat -c %i "$D/mine.csv")
run_as $VICTIM $PR export --format md --output "$D/mine.csv"
expect_rc 0 "export over the victim's own file"
[ "$(stat -c %i "$D/mine.csv")" != "$ino" ] && pass "the replaced export is a new file" ||
	fail "the export was written into the old file"
[ "$(stat -c %a "$D/mine.csv")" = 640 ] && pass "the replaced export keeps its mode" ||
	fail "the replaced export's mode is $(stat -c %a "$D/mine.csv")"
grep -q '^#' "$D/mine.csv" && pass "the replaced export holds the new content" || fail "the content is not the new export"

# The demo is not made in a directory another user owns (or links to).
as $MALLORY mkdir "$D/hers"
as $MALLORY ln -s "$VH" "$D/herlink"
for where in hers herlink; do
	run_as $VICTIM --db "$D/$where/demo.db" demo
	expect_rc 77 "the demo in $MALLORY's $where is refused"
done
[ ! -e "$VH/demo.db" ] && [ -z "$(ls "$D/hers")" ] && pass "no demo was written there" ||
	fail "a demo was written: $(ls "$D/hers" "$VH")"
run_as $VICTIM --db "$VH/demo.db" demo
expect_rc 0 "the demo in the victim's own directory"

# The init race: $MALLORY swaps a link to the victim's file in for the log
# as fast as she can while the victim makes the shared log, again and again.
DB=$D/race.db
cat >"$T/swap.sh" <<SWAP
while :; do
	for f in "$DB" "$DB-wal"; do
		if [ -f "\$f" ] && [ ! -L "\$f" ]; then
			ln -sfn "$SECRET" "$D/.link" && mv -f "$D/.link" "\$f"
		fi
	done
done
SWAP
as $MALLORY sh "$T/swap.sh" >/dev/null 2>&1 &
swapper=$!
stop_swapper() { kill "$swapper" 2>/dev/null; wait "$swapper" 2>/dev/null; }
cleanup_hooks="stop_swapper $cleanup_hooks"
i=0 made=0 refused=0
while [ $i -lt 150 ]; do
	rm -f "$DB" "$DB-wal" "$DB-shm" "$DB-journal"
	run_as $VICTIM --project "$P/proj.yaml" --db "$DB" init --shared "$G"
	if [ "$RC" -eq 0 ]; then made=$((made + 1)); else refused=$((refused + 1)); fi
	i=$((i + 1))
done
stop_swapper
pass "the race ran $i times ($made logs made, $refused refused)"
secret_is_safe "after the init race"

# And with a link to the victim's directory swapped in for the log's.
mkdir "$D/real"
chown root:"$G" "$D/real"
chmod 2775 "$D/real"
cat >"$T/swapdir.sh" <<SWAP
while :; do
	ln -sfn "$D/real" "$D/.d1" && mv -Tf "$D/.d1" "$D/sub"
	ln -sfn "$VH" "$D/.d2" && mv -Tf "$D/.d2" "$D/sub"
done
SWAP
as $MALLORY sh "$T/swapdir.sh" >/dev/null 2>&1 &
swapper=$!
i=0
while [ $i -lt 100 ]; do
	rm -f "$D/real/race.db"* "$VH/race.db"*
	run_as $VICTIM --project "$P/proj.yaml" --db "$D/sub/race.db" init --shared "$G"
	i=$((i + 1))
done
stop_swapper
secret_is_safe "after the directory race"
got=$(stat -c '%G %a' "$VH")
[ "$got" = "$(id -gn root) 700" ] && pass "the victim's directory is unchanged ($got)" ||
	fail "the victim's directory is now $got"
finish
