#!/bin/sh
# Text from the log and from a definition is untrusted. Notes, values,
# partner names and titles full of escape sequences, BEL, C1 controls,
# invalid UTF-8, bidi overrides, combining marks and a 100 KB note must
# reach no terminal as anything but inert text: no ESC, BEL, raw C1 or other
# C0 control on stdout of any command, valid JSON, and aligned columns.
. "$(dirname "$0")/../lib.sh"

me=$(id -un)
P=$T/p
mkdir -p "$P"
# The definition: YAML escapes put the controls into names and titles.
cat >"$P/proj.yaml" <<EOF
consort: 1
project:
  acronym: EVIL
  title: "Hostile \\e[2J text \\e]0;pwned\\a test"
  start: 2020-01-01
  end: 2020-12-31
  reporting_periods:
    - {id: RP1, from: 1, to: 6}
    - {id: RP2, from: 7, to: 12}
partners:
  - id: COORD
    name: "Coordinator \\e[?1049h Cluster \\x9b31m red"
    country: LV
    role: coordinator
    users: [$me]
  - id: PA
    name: "Partner \\u202Eevil\\u202C A x\\u0301\\u0301\\u0301 \\u4E2D\\u6587"
    country: SE
    role: partner
    users: [consort-t-anna]
work_packages:
  - id: WP1
    title: "Management \\e[31mred\\e[0m \\a\\a"
    lead: COORD
    start: 1
    end: 12
    objective: "Obj \\e[2J \\x9b2J"
    tasks:
      - {id: T1.1, title: "Coord \\e]0;title\\a ination", lead: COORD, start: 1, end: 12}
  - id: WP2
    title: "Training \\u202E\\u4E2D\\u6587 wide"
    lead: PA
    start: 1
    end: 6
    tasks:
      - {id: T2.1, title: "Curr\\x9b2Jiculum", lead: PA, participants: [COORD], start: 1, end: 3}
deliverables:
  - {id: D1.1, title: "Hand\\e[2Jbook", wp: WP1, lead: COORD, type: R, dissemination: PU, due: 2}
  - {id: D2.1, title: "Curric\\u0301ulum \\u202Eevil", wp: WP2, lead: PA, type: R, dissemination: PU, due: 6}
milestones:
  - {id: MS1, title: "Agreed \\e[?1049h", wp: WP2, lead: PA, due: 3, verification: "V \\a"}
targets:
  - {id: smes, title: "SMEs \\e[2J reached", kind: count, target: 120, unit: "SMEs\\a"}
  - {id: countries, title: "States \\x9b reached", kind: distinct, target: 5, unit: "States \\e[0m"}
benchmark:
  scheme: "Bench \\e]0;x\\a"
  labels: [bronze, silver, gold]
  indicators:
    - {id: G1, area: "Gov \\e[2J", title: "Team \\u202E qual", threshold: 3}
  clusters:
    - {partner: COORD, cluster: "Cl \\e[2J uster", target_label: gold}
    - {partner: PA, target_label: silver}
EOF
PROJ=$P/proj.yaml
run check "$PROJ"
expect_rc 0 "the hostile definition loads"
run --project "$PROJ" init
expect_rc 0 "init"

# Hostile strings (printf formats), recorded as notes and as values of the
# distinct target (which the log shows before the note column). The write
# path may refuse invalid UTF-8 as bad data (65, one line); everything
# valid it must take.
i=0
for fmt in \
	'clear \033[2J screen' \
	'title \033]0;owned\007 set' \
	'alt \033[?1049h screen' \
	'bell \007\007 ring' \
	'c1 csi \302\2332J utf8' \
	'raw csi \2332J byte' \
	'bad utf8 \377\376 \303\050 \300\257 end' \
	'rtl \342\200\256gnirts\342\200\254 end' \
	'combining e\314\201\314\201\314\201 x' \
	'wide \344\270\255\346\226\207 cjk' \
	'tab\there cr\rthere nl\nthere del\177 nul-less \001\002\037' \
	'\033P1;2|q\033\\ dcs and \033[6n query'; do
	i=$((i + 1))
	s=$(printf "$fmt")
	case $i in 6 | 7) codes="0 65" ;; *) codes="0" ;; esac
	run --project "$PROJ" record smes +1 --note "$s"
	expect_rc_in "$codes" "record a note with hostile text #$i"
	[ "$RC" -eq 0 ] || expect_one_line_err "record a note with hostile text #$i"
	run --project "$PROJ" record countries "V$i $s"
	# A distinct value may be refused as bad data, never crash.
	expect_rc_in "0 65" "record a hostile value #$i"
	[ "$RC" -eq 0 ] || expect_one_line_err "record a hostile value #$i"
	run --project "$PROJ" update T1.1 --progress "$((i * 5))" --note "$s"
	expect_rc_in "$codes" "update with a hostile note #$i"
done
big=$(head -c 102400 /dev/zero | tr '\0' 'A')
run --project "$PROJ" record smes +1 --note "big $(printf '\033[2J')$big"
# The write path may refuse an oversized note as bad data; never a crash.
expect_rc_in "0 65" "record a 100 KB note"
[ "$RC" -eq 0 ] || expect_one_line_err "record a 100 KB note"
run --project "$PROJ" bench COORD G1 4 --note "$(printf 'bench \033[2J\007')"
expect_rc 0 "bench with a hostile note"
run --project "$PROJ" bench PA --label silver
expect_rc 0 "a label"

# Anyone in the group can write the file with the sqlite3 shell, bypassing
# every check of the write path: the readers must cope with what it holds
# (invalid UTF-8, controls in logins, ids and values, a 100 KB note).
if have sqlite3; then
	if sqlite3 "$P/proj.db" "
insert into log(recorded_at, effective, login, uid, partner, item, kind, value, note) values
 (1589500000000, '2020-05-10', 'evil' || char(27) || '[2J', 1000, 'PA', 'smes', 'reach', '+2',
  cast(x'626164fffe20c32820c0af1b5b324a9b324a07' as text)),
 (1589500000001, '2020-05-10', 'mallory', 1001, 'PA', 'countries', 'reach',
  cast(x'4c56ff1b5b324ae280ae' as text), 'v'),
 (1589500000002, '2020-05-11', 'mallory', 1001, 'PA' || char(27) || '[2J', 'T9' || char(7), 'status',
  'done' || char(27), 'unknown ids'),
 (1589500000003, '2020-05-11', 'mallory', 1001, 'COORD', 'T1.1', 'progress',
  '50' || char(27) || '[2J', 'bad value'),
 (1589500000005, '2020-05-12', 'jānis中文', 1002, 'PA', 'countries', 'reach',
  'É中文e' || char(769, 769) || 'x', 'wide and combining'),
 (1589500000004, '2020-05-12', 'mallory', 1001, 'COORD', 'smes', 'reach', '+1',
  'big ' || char(27) || '[2J' || replace(hex(zeroblob(51200)), '0', 'A'));"; then
		pass "hostile rows written with the sqlite3 shell"
	else
		fail "sqlite3 insert of hostile rows"
	fi
else
	echo "skip: hostile rows written behind consort's back (sqlite3 absent)"
fi

# Every output is kept under $O as NAME.txt, NAME.csv or NAME.json and
# checked at the end in one go.
O=$T/outs
mkdir -p "$O"
nout=0
# out_case NAME EXT ARGS...: run, expect 0 and no crash, keep the output.
out_case() {
	oc_name=$1 oc_ext=$2
	shift 2
	run --project "$PROJ" "$@"
	expect_rc 0 "$oc_name"
	expect_no_crash "$oc_name"
	nout=$((nout + 1))
	cp "$OUT" "$O/$oc_name.$oc_ext"
	cp "$ERR" "$O/$oc_name.stderr.txt"
}

out_case status txt status
out_case status-json json status --json
out_case status-asof txt --as-of 2020-05-11 status
out_case log txt log
out_case log-json json log --json
out_case log-item txt log T1.1
out_case log-by txt log --by mallory
out_case export-md txt export --format md
out_case export-csv csv export --format csv
out_case export-json json export --format json
out_case export-json-rp1 json export --format json --period RP1
out_case check txt check "$PROJ"
for pane in wp deliverables reach benchmarks timeline activity; do
	out_case "snapshot-$pane" txt snapshot --size 120x40 --pane "$pane"
done
out_case snapshot-200x50 txt snapshot --size 200x50
out_case snapshot-80x24 txt snapshot --size 80x24
out_case snapshot-40x12 txt snapshot --size 40x12

# One line per entry: a newline in a note never starts a row of its own.
if have sqlite3; then
	n=$(count_entries "$P/proj.db")
	rows=$(grep -c '^#[0-9]' "$O/log.txt")
	[ "$rows" = "$n" ] && pass "log prints one row per entry ($n)" ||
		fail "log: $rows rows starting with #id for $n entries"
fi

if ! have python3; then
	echo "skip: JSON parsing and column alignment (python3 absent)"
	for f in "$O"/*; do
		case $f in
		*.csv) LC_ALL=C tr -d '\r' <"$f" >"$T/nocr" ;;
		*) cp "$f" "$T/nocr" ;;
		esac
		if LC_ALL=C grep -q "$(printf '[\001-\010\011\013\014\016-\037\033\177]')" "$T/nocr" ||
			LC_ALL=C grep -q "$(printf '\302[\200-\237]')" "$T/nocr"; then
			fail "$(basename "$f"): control bytes"
		fi
	done
	finish
fi

# One python3 run checks everything (its start-up is slow on some hosts).
cat >"$T/check.py" <<'EOF'
import json, os, sys, unicodedata
d, nout = sys.argv[1], int(sys.argv[2])
fails = 0
def ok(m): print("ok: " + m)
def bad(m):
    global fails
    fails += 1
    print("FAIL: " + m)

bidi = set(range(0x202A, 0x202F)) | set(range(0x2066, 0x206A)) | {0x200E, 0x200F, 0x061C}
def inert(data, csv):
    """Why data could act on a terminal, or None."""
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as e:
        return "invalid UTF-8 at byte %d: %r" % (e.start, data[max(0, e.start - 20):e.start + 20])
    for i, ch in enumerate(text):
        c = ord(ch)
        if ch == "\n" or (ch == "\r" and csv and text[i + 1:i + 2] == "\n"):
            continue
        if c < 0x20 or c == 0x7F or 0x80 <= c <= 0x9F or c in bidi:
            return "U+%04X at char %d: %r" % (c, i, text[max(0, i - 30):i + 30])
    return None

files = sorted(os.listdir(d))
if len([f for f in files if not f.endswith(".stderr.txt")]) != nout:
    bad("expected %d outputs, found %s" % (nout, files))
for f in files:
    data = open(os.path.join(d, f), "rb").read()
    why = inert(data, f.endswith(".csv"))
    if why: bad("%s: not inert: %s" % (f, why))
    else: ok("%s: inert" % f)
    if f.endswith(".json"):
        try:
            json.loads(data.decode("utf-8"))
            ok("%s: valid JSON" % f)
        except Exception as e:
            bad("%s: invalid JSON: %s" % (f, e))

# The JSON log gives back what the log holds (escaped, not mangled).
try:
    v = json.load(open(os.path.join(d, "log-json.json"), encoding="utf-8"))
    v = v if isinstance(v, list) else v.get("entries", [])
    notes = [e.get("note") or "" for e in v]
    if any("\x1b[2J" in n for n in notes): ok("log --json keeps controls in notes as JSON escapes")
    else: bad("log --json: no note holds the recorded ESC [2J")
    if any(n.count("A") >= 51200 for n in notes): ok("log --json keeps a large note whole")
    else: bad("log --json: the large note is not whole")
except Exception as e:
    bad("log --json: %s" % e)

# The log table: every row starts its columns at the header's display
# columns, up to the note.
def width(ch):
    if unicodedata.combining(ch) or unicodedata.category(ch) in ("Mn", "Me", "Cf"):
        return 0
    return 2 if unicodedata.east_asian_width(ch) in ("W", "F") else 1
def check_table(f):
    lines = open(os.path.join(d, f), encoding="utf-8", errors="replace").read().split("\n")
    header = next(l for l in lines if l.strip())
    words = header.split()
    if "note" not in words:
        return "no note column in the header: %r" % header
    starts, pos = [], 0
    for w in words:
        pos = header.index(w, pos)
        starts.append(pos)
        pos += len(w)
    k = words.index("note")
    rows = [l for l in lines[lines.index(header) + 1:] if l.strip()]
    if not rows:
        return "no rows"
    for l in rows:
        at, col = {}, 0
        for ch in l:
            at[col] = ch
            col += width(ch)
        for s in starts[1:k + 1]:
            if s == col and s == starts[k]:
                continue  # an empty note at the end of the line
            if s not in at:
                return "column at %d falls inside a character or past the end in %r" % (s, l)
            if at.get(s - 1) != " ":
                return "no gap before column %d in %r" % (s, l)
    return None
for f in ("log.txt", "log-item.txt", "log-by.txt"):
    why = check_table(f)
    if why: bad("%s: columns: %s" % (f, why))
    else: ok("%s: columns align by display width" % f)
sys.exit(1 if fails else 0)
EOF
pyrc=0
python3 "$T/check.py" "$O" "$nout" >"$T/py.out" 2>&1 || pyrc=$?
cat "$T/py.out"
npyfail=$(grep -c '^FAIL' "$T/py.out")
if [ "$npyfail" -gt 0 ]; then
	FAILS=$((FAILS + npyfail))
elif [ "$pyrc" -ne 0 ]; then
	fail "the python3 checker failed (exit $pyrc)"
fi

finish
