#!/bin/sh
# Words on the dashboard's screens (consort snapshot on the demo): a history
# of one entry says "1 entry", and the help says what the mouse does.
. "$(dirname "$0")/lib.sh"
tui_demo screens

shot() { "$CONSORT" snapshot --as-of 2017-03-31 --size "$1" --pane "$2"; }

# MS1 has one entry in the demo, D3.2 two.
shot 120x40 details:MS1 | grep -qF 'History (1 entry, newest first)' ||
	{ echo "FAIL: one history entry is not '1 entry'"; shot 120x40 details:MS1 | grep History; fail=1; }
shot 120x40 details:D3.2 | grep -qF 'History (2 entries, newest first)' ||
	{ echo "FAIL: two history entries are not '2 entries'"; fail=1; }

# The help (whole at 200x60) says what a click and the wheel do.
shot 200x60 help >"$tmp/help" || { echo "FAIL: snapshot help"; fail=1; }
grep -q 'Mouse: a click on a tab shows its pane' "$tmp/help" &&
	grep -q 'the wheel moves the' "$tmp/help" ||
	{ echo "FAIL: the help does not say what the mouse does"; fail=1; }

[ "$fail" -eq 0 ] && echo "ok: screen words"
exit "$fail"
