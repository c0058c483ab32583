# Honest exits: every command's output to a full device is exit 74 with one
# line on stderr; --version in the GNU format.
. "$(dirname "$0")/lib.sh"

run --version
expect_rc 0 "--version"
head -n1 "$OUT" | grep -qE '^consort [0-9][^ ]*$' && pass "--version: name and version" ||
	fail "--version: first line '$(head -n1 "$OUT")'"
expect_out "Copyright (C) 2026 the consort authors" "--version: copyright"
expect_out "License GPL-2.0-or-later: GNU GPL version 2 or later <https://gnu.org/licenses/gpl.html>." "--version: licence"
expect_out "This is free software: you are free to change and redistribute it." "--version: free software"
expect_out "There is NO WARRANTY, to the extent permitted by law." "--version: no warranty"
[ "$(wc -l <"$OUT")" -eq 5 ] && pass "--version: five lines" || fail "--version: $(wc -l <"$OUT") lines"

finish
