#!/bin/sh
# Golden screens: the dashboard rendered off-screen (consort snapshot) on the
# demo, as of 2017-03-31, at 80x24, 120x40 and 200x60, for the default layout
# and every pane, compared with tests/tui/golden/<pane>-<size>.txt.
# What varies with who runs it (the login, the time the log was written) is
# normalised first. CONSORT_UPDATE_GOLDEN=1 rewrites the files.
: "${top_srcdir:?top_srcdir must be set}"
. "$(dirname "$0")/lib.sh"
tui_demo golden

golden=$top_srcdir/tests/tui/golden
login=$(id -un)
count=0

for size in 80x24 120x40 200x60; do
	for pane in layout wp deliverables reach benchmarks timeline activity resources help details:D3.2 details:WP3; do
		name=$(printf '%s' "$pane" | tr ':' '-')
		file=$golden/$name-$size.txt
		if [ "$pane" = layout ]; then
			set -- --size "$size"
		else
			set -- --size "$size" --pane "$pane"
		fi
		if ! "$CONSORT" snapshot --as-of 2017-03-31 "$@" >"$tmp/raw" 2>"$tmp/err"; then
			echo "FAIL: snapshot $pane $size:"; cat "$tmp/err"; fail=1; continue
		fi
		tui_normalise <"$tmp/raw" >"$tmp/out"
		rows=${size#*x}
		if [ "$(wc -l <"$tmp/out")" -ne "$rows" ]; then
			echo "FAIL: $pane $size: expected $rows lines, got $(wc -l <"$tmp/out")"; fail=1
		fi
		count=$((count + 1))
		if [ "${CONSORT_UPDATE_GOLDEN:-}" = 1 ]; then
			mkdir -p "$golden" && cp "$tmp/out" "$file"
			continue
		fi
		if [ ! -f "$file" ]; then
			echo "FAIL: missing $file (run with CONSORT_UPDATE_GOLDEN=1)"; fail=1; continue
		fi
		if ! diff -u "$file" "$tmp/out"; then
			echo "FAIL: $pane at $size differs from $file"; fail=1
		fi
	done
done

# A bad size and an unknown pane are usage errors.
"$CONSORT" snapshot --size 80by24 >/dev/null 2>&1
[ $? -eq 64 ] || { echo "FAIL: a bad --size must exit 64"; fail=1; }
"$CONSORT" snapshot --pane nosuch >/dev/null 2>&1
[ $? -eq 64 ] || { echo "FAIL: an unknown pane must exit 64"; fail=1; }
# Every size down to 1x1 renders without a crash.
for size in 1x1 2x2 20x5 59x14 60x15 159x44 160x45; do
	"$CONSORT" snapshot --as-of 2017-03-31 --size "$size" >"$tmp/out" 2>"$tmp/err" ||
		{ echo "FAIL: snapshot at $size"; cat "$tmp/err"; fail=1; }
done
"$CONSORT" snapshot --as-of 2017-03-31 --size 59x15 | grep -q 'terminal too small (need 60x15)' ||
	{ echo "FAIL: 59x15 must say the terminal is too small"; fail=1; }
# A hostile note shows inert: no escape or bell byte reaches the output.
"$CONSORT" record sme-members +1 --partner LITC --date 2017-03-30 \
	--note "$(printf 'x\033[2J\033]0;pwned\007y')" >/dev/null 2>&1 ||
	{ echo "FAIL: recording the hostile note"; fail=1; }
"$CONSORT" snapshot --as-of 2017-03-31 --size 120x40 --pane activity >"$tmp/out" 2>&1
if LC_ALL=C grep -q "$(printf '[\033\007]')" "$tmp/out"; then
	echo "FAIL: a control character from a note reached the screen"; fail=1
fi
grep -q 'pwned' "$tmp/out" || { echo "FAIL: the hostile note is not shown"; fail=1; }

[ "$fail" -eq 0 ] && echo "ok: $count golden screens"
exit "$fail"
