# The bash completion offers the project's own words: item ids, targets,
# partners, clusters, periods and indicators, through the hidden
# `consort complete KIND PREFIX`, run by the completion function with
# COMP_WORDS and COMP_CWORD as bash sets them.
. "$(dirname "$0")/../lib.sh"

have bash || { echo "SKIP: $TESTNAME: bash absent"; exit 77; }
fixture "$T" "$(id -un)"
P="--project $T/proj.yaml"

run $P complete items T
expect_rc 0 "complete items"
[ "$(tr '\n' ' ' <"$OUT")" = "T1.1 T2.1 T2.2 T3.1 " ] && pass "task ids by prefix" || fail "items T: $(cat "$OUT")"
run $P complete partners
[ "$(tr '\n' ' ' <"$OUT")" = "COORD PA PB " ] && pass "partners" || fail "partners: $(cat "$OUT")"
run $P complete periods R
[ "$(tr '\n' ' ' <"$OUT")" = "RP1 RP2 " ] && pass "periods" || fail "periods: $(cat "$OUT")"
run $P complete nonsense
expect_rc 0 "an unknown kind is quiet"
[ -s "$OUT" ] && fail "an unknown kind printed words" || pass "an unknown kind prints nothing"
run --project "$T/missing.yaml" complete items
expect_rc 0 "a missing definition is quiet"
[ -s "$ERR" ] && fail "complete wrote to stderr: $(cat "$ERR")" || pass "nothing on stderr"
run --help
expect_no_out "complete" "complete is hidden from the command list"

# comp LINE: what the completion offers for LINE (its last word being
# completed; a trailing space starts a new word), space-separated.
BIN=$(dirname "$CONSORT")
comp() {
	(cd "$T" && PATH="$BIN:$PATH" bash --norc --noprofile -c '
		. "$1"
		read -r -a COMP_WORDS <<<"$2"
		case $2 in *" ") COMP_WORDS+=("") ;; esac
		COMP_CWORD=$((${#COMP_WORDS[@]} - 1))
		COMP_LINE=$2
		_consort
		printf "%s " "${COMPREPLY[@]}"' _ "$top_srcdir/data/completion/consort" "$1")
}
check() { # LINE WANT WHAT
	got=$(comp "$1")
	[ "$got" = "$2" ] && pass "$3" || fail "$3: '$1' offers '$got', not '$2'"
}
check "consort $P update T2" "T2.1 T2.2 " "update offers task ids"
check "consort $P update D" "D1.1 D2.1 D3.1 " "update offers deliverables"
check "consort $P record " "smes countries " "record offers targets"
check "consort $P record smes +1 --partner P" "PA PB " "--partner offers partners"
check "consort $P export --period " "RP1 RP2 " "--period offers periods"
check "consort $P bench " "COORD PA " "bench offers clusters"
check "consort $P bench PA G" "G1 G2 " "then indicators"
check "consort $P note W" "WP1 WP2 WP3 " "note offers work packages"
check "consort $P note sm" "smes " "note offers targets"
check "consort $P due --" "--within --mine --partner --json --project --db --as-of --help --version " "due's options"
check "consort $P log P" "PA PB " "log offers partners"
check "consort $P st" "status " "commands"

# Fast enough to feel instant: 20 calls on the bundled project.
start=$(date +%s%N)
for i in 1 2 3 4 5 6 7 8 9 10 11 12 13 14 15 16 17 18 19 20; do
	"$CONSORT" complete items T >/dev/null
done
ms=$(( ($(date +%s%N) - start) / 20000000 ))
echo "complete items on the bundled project: ${ms} ms a call"
[ "$ms" -lt 50 ] && pass "under 50 ms a call (${ms} ms)" || fail "complete takes ${ms} ms a call"
finish
