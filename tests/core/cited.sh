# Every document a source comment cites is in the tree: a "NAME.md" cited
# under src/ must exist beside the sources or at the top, and a man page
# cited as "consort...(N)" must exist under man/.
: "${top_srcdir:?top_srcdir must point at the source tree}"
status=0
refs=$(grep -rhoE --include="*.[ch]" '[A-Za-z0-9_-]+\.md\b' "$top_srcdir/src" | sort -u)
for r in $refs; do
	if [ -n "$(find "$top_srcdir" -name "$r" -not -path '*/.git/*' | head -n 1)" ]; then
		echo "ok: $r is in the tree"
	else
		echo "FAIL: $r is cited under src/ but is not in the tree"; status=1
	fi
done
for m in $(grep -rhoE --include="*.[ch]" 'consort(-[a-z]+)?\([1-8]\)' "$top_srcdir/src" | sort -u); do
	f=$top_srcdir/man/$(printf '%s' "$m" | sed 's/(\([1-8]\))$/.\1/')
	[ -f "$f.in" ] && echo "ok: $m is man/$(basename "$f")" ||
		{ echo "FAIL: $m is cited under src/ but man/ has no such page"; status=1; }
done
exit $status
