#!/bin/sh
# The definition's warnings reach the dashboard's screen: they are printed
# before the screen takes the terminal, so the footer says the first one
# (and how many more) where the user sees it.
. "$(dirname "$0")/lib.sh"
tui_demo tmuxwarn
fixture "$tmp/p" "$(id -un)"
# A task that runs past its work package's end is a warning, not an error.
sed -i 's/{id: T2.1, title: Curriculum, lead: PA, start: 1, end: 3}/{id: T2.1, title: Curriculum, lead: PA, start: 1, end: 8}/' \
	"$tmp/p/proj.yaml"
CONSORT_TODAY=2020-05-15 "$CONSORT" --project "$tmp/p/proj.yaml" check >"$tmp/check" 2>&1
grep -q "1 warning" "$tmp/check" || { bad "the fixture has no warning: $(cat "$tmp/check")"; exit 1; }
CONSORT_TODAY=2020-05-15 "$CONSORT" --project "$tmp/p/proj.yaml" init >/dev/null 2>&1 || { bad "init"; exit 1; }
cat >"$tmp/run.sh" <<RUN
#!/bin/sh
cd "$tmp/p" && CONSORT_TODAY=2020-05-15 exec "$CONSORT" --project "$tmp/p/proj.yaml" 2>/dev/null
RUN
chmod +x "$tmp/run.sh"
tui_tmux "$tmp/run.sh"
wait_for "TESTPROJ" 100 || { bad "the dashboard did not start"; screen; exit 1; }
wait_for "warning: task T2.1 ends in M8, after WP2 (M6)" 20 ||
	{ bad "the dashboard does not show the definition's warning"; screen; }
keys q
[ "$fail" -eq 0 ] && echo "ok: the definition's warnings on the dashboard"
exit "$fail"
