# Global options, --help, --version, unknown commands and options.
. "$(dirname "$0")/../lib.sh"

run --version
expect_rc 0 "--version"
expect_out "consort " "--version prints the name"

run --help
expect_rc 0 "--help"
expect_out "usage: consort" "--help prints the usage"
expect_out "export" "--help lists the commands"

run status --help
expect_rc 0 "status --help"
expect_out "status [--json] [--check]" "command help after the command"

run frobnicate
expect_rc 64 "unknown command"
expect_err "unknown command 'frobnicate'" "unknown command named"
expect_one_line_err "unknown command"

run --bogus
expect_rc 64 "unknown global option"

run status --x
expect_rc 64 "unknown command option"
expect_err "consort: status: unknown option '--x' (see consort status --help)" "unknown option message"
expect_one_line_err "unknown command option"

run status --json=1
expect_rc 64 "flag with a value"

run log --since
expect_rc 64 "missing option argument"
expect_err "--since needs a value" "missing argument named"

run --as-of
expect_rc 64 "global option without its value"

run --as-of 2017-02-30 status
expect_rc 64 "impossible --as-of date"

run update
expect_rc 64 "update without ITEM"

run --project "$T/nonexistent.yaml" status
expect_rc 66 "missing definition"
expect_err "nonexistent.yaml" "missing definition named"

printf 'consort: 1\nproject: [\n' >"$T/broken.yaml"
run --project "$T/broken.yaml" status
expect_rc 65 "broken definition"
expect_err "broken.yaml:" "definition errors name the file"

# Lookup order: ./consort.yaml beside its log, environment, options.
fixture "$T" "$(id -un)"
cp "$T/proj.yaml" "$T/consort.yaml"
export CONSORT_TODAY=2020-05-15
run init
expect_rc 0 "init finds ./consort.yaml"
[ -f "$T/consort.db" ] && pass "./consort.db created beside it" || fail "no ./consort.db"
run status
expect_out "TESTPROJ" "status finds ./consort.yaml"
rm -f "$T/consort.yaml" "$T/consort.db"
CONSORT_PROJECT=$T/proj.yaml CONSORT_DB=$T/env.db run init
expect_rc 0 "init via CONSORT_PROJECT/CONSORT_DB"
[ -f "$T/env.db" ] && pass "CONSORT_DB honoured" || fail "CONSORT_DB not used"
CONSORT_PROJECT=$T/proj.yaml CONSORT_DB=$T/env.db run --db="$T/opt.db" init
expect_rc 0 "--db=FILE overrides CONSORT_DB"
[ -f "$T/opt.db" ] && pass "--db=FILE form" || fail "--db=FILE not used"
run status --project "$T/proj.yaml" --db "$T/opt.db"
expect_rc 0 "global options after the command"
expect_out "TESTPROJ" "global options after the command read the project"

# With nothing else, the bundled demo in the user's data directory.
unset CONSORT_TODAY
run status
expect_rc 0 "bundled demo on first run"
expect_out "5FOREXCELLENCE" "demo shows the bundled project"
expect_out "(demo: illustrative history)" "demo is labelled"
expect_out "as of 2017-03-31" "demo opens as of M15"
[ -f "$T/xdg/consort/demo.db" ] && pass "demo under XDG_DATA_HOME" || fail "demo db not under XDG_DATA_HOME"
run init
expect_rc 64 "init without a definition"

# A log named by --db or CONSORT_DB must exist: no silent "plan only".
unset CONSORT_DB
for cmd in "status" "status --check" "status --json" "export --format md" "log" "update T1.1 --progress 5"; do
	run --project "$T/proj.yaml" --db /nonexist/x.db $cmd
	expect_rc 66 "--db missing: $cmd"
	expect_err "consort: /nonexist/x.db: no such progress log (create it with consort init)" "--db missing named: $cmd"
	expect_one_line_err "--db missing: $cmd"
	[ -s "$OUT" ] && fail "--db missing: $cmd printed output" || pass "--db missing: $cmd prints nothing"
done
CONSORT_DB=$T/nowhere.db run --project "$T/proj.yaml" status --check
expect_rc 66 "CONSORT_DB missing"
expect_err "$T/nowhere.db: no such progress log" "CONSORT_DB missing named"
[ ! -e "$T/nowhere.db" ] && pass "a missing log is not created" || fail "CONSORT_DB log created"
# Only the log implied beside a definition may be missing (plan only).
cp "$T/proj.yaml" "$T/plan.yaml"
run --project "$T/plan.yaml" status
expect_rc 0 "implied log missing: plan only"
expect_err "showing the plan only" "implied log missing: note"
[ ! -e "$T/plan.db" ] && pass "plan only creates no log" || fail "plan only created a log"
# The bundled definition with a named log that is missing.
run --db "$T/nodemo.db" status
expect_rc 66 "bundled definition, --db missing"
expect_err "no such progress log" "bundled definition, --db missing named"

# demo where ./consort.yaml exists: the lookup would find that first, so the
# demo says exactly how to open it.
cp "$T/proj.yaml" "$T/consort.yaml"
run demo
expect_rc 0 "demo beside ./consort.yaml"
expect_out "./consort.yaml comes first" "demo says why the lookup will not find it"
cmdline=$(grep '^  consort --project ' "$OUT")
case $cmdline in
*"--project $CONSORT_DATA/5forexcellence.yaml --db $T/xdg/consort/demo.db status"|\
*"--project "*"/5forexcellence.yaml --db $T/xdg/consort/demo.db status")
	pass "demo prints the exact command";;
*) fail "demo command: '$cmdline'";;
esac
# The printed command opens the demo, not ./consort.yaml.
if [ -n "$cmdline" ]; then
	RC=0
	(cd "$T" && eval "\"\$CONSORT\" ${cmdline#  consort }") >"$OUT" 2>"$ERR" || RC=$?
	expect_rc 0 "the printed command runs"
	expect_out "5FOREXCELLENCE" "the printed command opens the demo"
	expect_out "(demo: illustrative history)" "the printed command opens the demo log"
fi
rm -f "$T/consort.yaml"
run demo
expect_rc 0 "demo with nothing in the way"
expect_out "Try: consort status" "demo without a shadowing definition"
expect_no_out "comes first" "no lookup warning when none is needed"

finish
