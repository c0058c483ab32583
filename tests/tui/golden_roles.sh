#!/bin/sh
# Golden screens of who is looking: a partner's user opens on the mine
# filter (its items only, "[mine: PA]" in the footer, ", mine" in the
# header), and a user the plan does not list gets a read-only footer
# without write keys that says why. Rendered off-screen (consort snapshot)
# from the command-line fixture without a log, compared with
# tests/tui/golden/{mine,readonly}-<size>.txt. CONSORT_UPDATE_GOLDEN=1
# rewrites the files.
: "${top_srcdir:?top_srcdir must be set}"
. "$(dirname "$0")/lib.sh"

golden=$top_srcdir/tests/tui/golden
login=$(id -un)
export CONSORT_TODAY=2020-05-15 TZ=UTC
fixture "$T/mine" "cst_coord_elsewhere" "$login"
fixture "$T/ro" "cst_coord_elsewhere"
# Each its own log, made from its definition: the log's plan says who is who.
for who in mine ro; do
	(cd "$T" && "$CONSORT" --project "$T/$who/proj.yaml" --db "$T/$who.db" init) >/dev/null ||
		{ bad "cannot make the log"; exit 1; }
done

# The identity block moves with the login's length: keep it, unplaced.
normalise() {
	sed -E -e "s/read-only: $login is not listed/read-only: USER is not listed/" \
	    -e "s/^(─+) $login (·|-) (.*)  log [^ ]+ ─\$/──── USER \\2 \\3 ─/" \
	    -e "s/ {2,}$login (·|-) (.*)  log [^ ]+\$/  USER \\1 \\2/"
}

for size in 80x24 120x40; do
	for who in mine ro; do
		name=$([ "$who" = ro ] && echo readonly || echo mine)
		file=$golden/$name-$size.txt
		if ! (cd "$T" && "$CONSORT" --project "$T/$who/proj.yaml" --db "$T/$who.db" snapshot --size "$size") >"$T/raw" 2>"$T/err"; then
			bad "snapshot $name $size: $(cat "$T/err")"; continue
		fi
		normalise <"$T/raw" >"$T/out"
		if [ "${CONSORT_UPDATE_GOLDEN:-}" = 1 ]; then
			cp "$T/out" "$file"
			continue
		fi
		[ -f "$file" ] || { bad "missing $file (run with CONSORT_UPDATE_GOLDEN=1)"; continue; }
		diff -u "$file" "$T/out" || bad "$name at $size differs from $file"
	done
done
# What the screens must say, whatever the layout.
grep -q "\[mine: PA\]" "$golden/mine-120x40.txt" || bad "the mine filter is not shown in the footer"
grep -q "partner, mine" "$golden/mine-120x40.txt" || bad "the header does not say mine"
grep -q "WP3" "$golden/mine-120x40.txt" && bad "the mine filter shows PB's WP3"
grep -q "read-only: USER is not listed in the plan" "$golden/readonly-80x24.txt" || bad "no read-only reason"
grep -q "u update\|+ reach" "$golden/readonly-120x40.txt" && bad "the read-only footer offers write keys"
[ "$fail" -eq 0 ] && echo "golden_roles: all passed"
exit "$fail"
