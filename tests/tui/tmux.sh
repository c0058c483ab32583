#!/bin/sh
# The dashboard in a real terminal (tmux, on a private server): panes by
# digit and Tab, details and help, an update through the dialog that lands in
# the log with the right login, prefilled fields replaced as typed, the label
# dialog, searching in any script and into closed WPs, resizing down to 1x1 and back, a write from
# another process shown without a key press, silence when idle, and q giving
# the terminal back.
. "$(dirname "$0")/lib.sh"
tui_demo tmux

tui_demo_tmux
wait_for "AS OF 2017-03-31" || bad "the header does not mark the as-of date"

i=1
for title in "Work packages" Deliverables Reach Benchmarks Timeline Activity Resources; do
	keys "$i"
	wait_for "[$i $title]" 20 || bad "key $i did not show pane $title"
	i=$((i + 1))
done
keys Tab
wait_for "[1 Work packages]" 20 || bad "Tab did not wrap to pane 1"
keys BTab
wait_for "[7 Resources]" 20 || bad "Shift-Tab did not go back to pane 7"

# The mouse: tmux passes a typed X10 mouse report (ESC [ M, then button,
# column and row, each plus 32) to the program as a terminal would. A click
# on a tab selects its pane; the wheel moves the selection.
mouse() { # BUTTON COL ROW (1-based)
	T send-keys -t consort -l "$(printf '\033[M')$(printf "\\$(printf %o $((32 + $1)))")$(printf "\\$(printf %o $((32 + $2)))")$(printf "\\$(printf %o $((32 + $3)))")"
}
tabs=$(screen | sed -n 2p)
col=$(printf '%s\n' "$tabs" | awk '{ print index($0, "3 Reach") + 2 }')
mouse 0 "$col" 2
mouse 3 "$col" 2
wait_for "[3 Reach]" 20 || bad "a click on the Reach tab did not select it"
keys 2
wait_for "[2 Deliverables]" 20 || bad "2 after the click"
first=$(screen | grep -n '▶' | head -1 | cut -d: -f1)
mouse 65 10 10
mouse 65 10 10
n=0; moved=""
while [ "$n" -lt 20 ]; do
	now=$(screen | grep -n '▶' | head -1 | cut -d: -f1)
	[ -n "$now" ] && [ "$now" != "$first" ] && { moved=1; break; }
	sleep 0.1; n=$((n + 1))
done
[ -n "$moved" ] || bad "the wheel did not move the selection in Deliverables"
keys g

# Details and back.
keys 2
wait_for "[2 Deliverables]" 20 || bad "2 after Shift-Tab"
keys Enter
wait_for "History" 20 || bad "Enter did not open the details"
keys Escape
wait_for "Title (by due date)" 20 || bad "Esc did not close the details"
keys '?'
wait_for "Keys (every binding" 20 || bad "? did not show the help"
keys Escape
wait_for "Title (by due date)" 20 || bad "Esc did not close the help"

# Update a task through the dialog: pane 1 shows tasks at this size.
keys 1
wait_for "T1.1" 20 || bad "pane 1 does not show the tasks"
keys j
keys u
wait_for "Update T1.1" 20 || { bad "u did not open the dialog on T1.1"; screen; }
keys BSpace BSpace BSpace
keys 8 0 Tab
keys -l "dialog-test"
wait_for "ok: Enter writes" 20 || { bad "the dialog does not accept 80%"; screen; }
keys Enter
wait_for "recorded #" 30 || { bad "the dialog did not record"; screen; }
login=$(id -un)
"$CONSORT" log T1.1 --by "$login" --json >"$tmp/log.json" 2>&1 || bad "consort log failed"
grep -q 'dialog-test' "$tmp/log.json" || bad "the dialog's entry is not in the log by $login"
# In-place validation: a progress over 100 is refused before writing.
keys u
wait_for "Update T1.1" 20 || bad "u again"
keys BSpace BSpace BSpace
keys 1 5 0
sleep 0.3
screen | grep -q "ok: Enter writes" && bad "150% passed the in-place check"
keys Escape
wait_for "cancelled" 20 || bad "Esc did not cancel the dialog"

# A prefilled field is replaced by the first key typed (not appended to),
# and a bad date is named as such on Enter.
keys u
wait_for "Update T1.1" 20 || bad "u for the date test"
keys Tab Tab
keys -l "2099-13-01"
wait_for "2099-13-01" 20 || { bad "the typed date does not show"; screen; }
screen | grep -q "2017-03-312099" && bad "the typed date was appended to the prefilled one"
keys Enter
wait_for "date:" 20 || { bad "Enter with a bad date does not name the date"; screen; }
screen | grep -q "choose a new status" && bad "a bad date reported as a missing status"
keys Escape
wait_for "cancelled" 20 || bad "Esc after the date test"

# B awards a benchmark label through its own dialog.
keys 4
wait_for "[4 Benchmarks]" 20 || bad "4 before B"
keys B
wait_for "Award a benchmark label" 20 || { bad "B did not open the label dialog"; screen; }
keys Escape
wait_for "cancelled" 20 || bad "Esc after B"

# Search takes any letter: a note in Latvian, from the activity pane.
keys 6
wait_for "[6 Activity]" 20 || bad "6 before the search"
keys /
keys -l "stratē"
wait_for "/stratē_" 20 || { bad "a non-ASCII letter cannot be typed into the search"; screen; }
screen | grep "▶" | grep -q "Stratēģijas" || { bad "the search did not select the matching entry"; screen; }
keys Enter

# Resize down to nothing and back.
T resize-window -t consort -x 20 -y 5
wait_for "too small" 30 || bad "20x5 does not say the terminal is too small"
T resize-window -t consort -x 1 -y 1
sleep 0.5
T resize-window -t consort -x 120 -y 40
wait_for "Work packages" 30 || bad "the dashboard did not come back at 120x40"
[ "$(T display-message -p -t consort '#{pane_dead}')" = 0 ] || bad "the dashboard died while resizing"

# At 80x24 the WPs are closed: a search finds a task inside one and opens it.
T resize-window -t consort -x 80 -y 24
keys 1
wait_for "[1 WPs]" 20 || bad "1 at 80x24 (the tab's short name)"
screen | grep -q "T3.4" && bad "WP3 is already open at 80x24"
keys /
keys -l "packbridge c"
wait_for "T3.4" 20 || { bad "the search did not open WP3 to show T3.4"; screen; }
screen | grep "▶" | grep -q "T3.4" || { bad "the search did not select T3.4"; screen; }
keys Enter
keys n
sleep 0.3
screen | grep "▶" | grep -q "T3.4" || { bad "n did not stay on the only match"; screen; }
screen | grep -q "t today" || bad "the 80-column footer leaves out t"
T resize-window -t consort -x 120 -y 40
wait_for "[1 Work packages]" 30 || bad "back to 120x40"

# Live: a write from another process shows without a key press.
keys 6
wait_for "[6 Activity]" 20 || bad "6 before the live test"
sleep 0.3
"$CONSORT" record sme-members +7 --partner LITC --note live-test >/dev/null 2>&1 || bad "consort record"
wait_for "live-test" 20 || { bad "the new entry did not show within 2 s"; screen; }

# Idle: nothing is sent to the terminal.
sleep 1
: >"$tmp/idle.out"
T pipe-pane -o -t consort "cat >> '$tmp/idle.out'"
sleep 3
T pipe-pane -t consort
size=$(wc -c <"$tmp/idle.out")
[ "$size" -eq 0 ] || bad "$size bytes were sent while idle"

# Time travel: [ and ] step a month, t goes to the demo's today (its date,
# 2017-03-31, not the real 2017-04-15 here).
keys 1
keys '['
wait_for "AS OF 2017-02-28" 20 || bad "[ did not step back to the end of February"
keys ']' ']'
wait_for "AS OF 2017-04-30" 20 || bad "] did not step forward a month"
keys t
wait_for "AS OF 2017-03-31" 20 || bad "t did not go back to the demo's today"
# f filters by partner (then WP), cycling back to no filter.
keys f
wait_for "[filter LITC]" 20 || bad "f did not filter by the first partner"
n=0
while [ "$n" -lt 15 ] && screen | grep -qF "[filter "; do keys f; sleep 0.1; n=$((n + 1)); done
screen | grep -qF "[filter " && bad "f did not cycle back to no filter"
# s sorts the deliverables by id and back by due date.
keys 2
keys s
wait_for "Title (by id)" 20 || bad "s did not sort by id"
keys s
wait_for "Title (by due date)" 20 || bad "s did not sort back by due date"
# + opens the reach dialog; Esc cancels it.
keys 3
keys +
wait_for "Record reach" 20 || bad "+ did not open the reach dialog"
keys Escape
# r reloads the plan (from the log: the demo holds its plan).
keys r
wait_for "plan reloaded from the log" 20 || bad "r did not reload the plan"

# q ends it and gives the terminal back.
keys q
n=0
while [ "$(T display-message -p -t consort '#{pane_dead}' 2>/dev/null)" != 1 ] && [ "$n" -lt 50 ]; do
	sleep 0.1
	n=$((n + 1))
done
[ "$(T display-message -p -t consort '#{pane_dead}' 2>/dev/null)" = 1 ] || bad "q did not end the dashboard"
st=$(cat "$tmp/exit" 2>/dev/null)
[ "$st" = 0 ] || bad "the dashboard did not exit 0 (status $st)"
screen | grep -q "Work packages" && bad "the screen was not restored after q"

[ "$fail" -eq 0 ] && echo "ok: dashboard in tmux"
exit "$fail"
