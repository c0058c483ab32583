/* keys: the one key table. It binds every key to an action and feeds both
 * the footer (the hints that matter in the current pane) and the ? help
 * screen, so the two can never disagree with what the keys do. */
#include "config.h"

#include <string.h>

#include "tui/tuiint.h"

#define P(x) (1u << (x))
#define KEY_TAB '\t'
#define KEY_ESC 27

const struct keydef keys_table[] = {
	{KEY_TAB, "Tab", A_NEXT_PANE, "next pane", "anywhere", "Tab pane", 0},
	{KEY_BTAB, "Shift-Tab", A_PREV_PANE, "previous pane", "anywhere", NULL, 0},
	{'1', "1", A_PANE1, "Work packages", "anywhere", "1-6 jump", 0},
	{'2', "2", A_PANE2, "Deliverables and milestones", "anywhere", NULL, 0},
	{'3', "3", A_PANE3, "Reach", "anywhere", NULL, 0},
	{'4', "4", A_PANE4, "Benchmarks", "anywhere", NULL, 0},
	{'5', "5", A_PANE5, "Timeline", "anywhere", NULL, 0},
	{'6', "6", A_PANE6, "Activity", "anywhere", NULL, 0},
	{KEY_UP, "Up", A_UP, "previous row", "lists", "\u2191\u2193 move", 0},
	{'k', "k", A_UP, "previous row", "lists", NULL, 0},
	{KEY_DOWN, "Down", A_DOWN, "next row", "lists", NULL, 0},
	{'j', "j", A_DOWN, "next row", "lists", NULL, 0},
	{KEY_PPAGE, "PgUp", A_PGUP, "a page up", "lists", NULL, 0},
	{KEY_NPAGE, "PgDn", A_PGDN, "a page down", "lists", NULL, 0},
	{'g', "g", A_TOP, "first row", "lists", NULL, 0},
	{KEY_HOME, "Home", A_TOP, "first row", "lists", NULL, 0},
	{'G', "G", A_BOTTOM, "last row", "lists", NULL, 0},
	{KEY_END, "End", A_BOTTOM, "last row", "lists", NULL, 0},
	{KEY_LEFT, "Left", A_LEFT, "scroll the months left", "timeline", "\u2190\u2192 scroll", P(PANE_TIMELINE)},
	{'h', "h", A_LEFT, "scroll the months left", "timeline", NULL, 0},
	{KEY_RIGHT, "Right", A_RIGHT, "scroll the months right", "timeline", NULL, 0},
	{'l', "l", A_RIGHT, "scroll the months right", "timeline", NULL, 0},
	{'\n', "Enter", A_ENTER, "open/close a WP's tasks; details of anything else", "lists", "Enter details", 0},
	{KEY_ENTER, "Enter", A_ENTER, "open/close a WP's tasks; details of anything else", "lists", NULL, 0},
	{'\r', "Enter", A_ENTER, "open/close a WP's tasks; details of anything else", "lists", NULL, 0},
	{KEY_ESC, "Esc", A_BACK, "close details, help or a dialog; clear the filter", "anywhere", NULL, 0},
	{'/', "/", A_SEARCH, "search in the pane (incremental)", "lists", "/ search", 0},
	{'n', "n", A_NEXT_MATCH, "next match", "lists", NULL, 0},
	{'N', "N", A_PREV_MATCH, "previous match", "lists", NULL, 0},
	{'f', "f", A_FILTER, "filter: cycle through partners and WPs", "anywhere", "f filter", 0},
	{'s', "s", A_SORT, "sort by due date / id", "deliverables", "s sort", P(PANE_DELIV)},
	{'u', "u", A_UPDATE, "update the selected task, deliverable or milestone", "WPs, deliverables", "u update", P(PANE_WP) | P(PANE_DELIV) | P(PANE_TIMELINE)},
	{'+', "+", A_RECORD, "record reach (target, value, partner)", "anywhere", "+ reach", P(PANE_REACH) | P(PANE_WP) | P(PANE_ACTIVITY)},
	{'b', "b", A_BENCH, "record a benchmark value (cluster, indicator, value)", "anywhere", "b bench", P(PANE_BENCH)},
	{'[', "[", A_MONTH_BACK, "the project as it stood a month earlier", "anywhere", "[ ] month", 0},
	{']', "]", A_MONTH_FWD, "a month later", "anywhere", NULL, 0},
	{'t', "t", A_TODAY, "back to today", "anywhere", "t today", 0},
	{'r', "r", A_RELOAD, "reload the definition", "anywhere", NULL, 0},
	{'?', "?", A_HELP, "this help", "anywhere", "? help", 0},
	{'q', "q", A_QUIT, "quit", "anywhere", "q quit", 0},
};
const size_t keys_count = sizeof keys_table / sizeof keys_table[0];

enum action keys_action(int key)
{
	for (size_t i = 0; i < keys_count; i++)
		if (keys_table[i].key == key)
			return keys_table[i].act;
	return A_NONE;
}

void keys_footer(const struct app *a, struct sbuf *b, int w)
{
	int used = 0;
	for (size_t i = 0; i < keys_count; i++) {
		const struct keydef *k = &keys_table[i];
		if (!k->hint)
			continue;
		if (k->panes && !(k->panes & P(a->cur)))
			continue;
		const char *h = k->hint;
		if (a->ascii) {
			if (k->act == A_UP)
				h = "j/k move";
			else if (k->act == A_LEFT)
				h = "h/l scroll";
		}
		if (k->act == A_ENTER && a->cur == PANE_WP)
			h = "Enter tasks/details";
		int hw = (int)strlen(h);
		if (k->act == A_UP || k->act == A_LEFT)
			hw = a->ascii ? hw : hw - 4; /* two arrows, one column each */
		if (used + hw + 2 > w)
			continue;
		sbuf_puts(b, "  ");
		sbuf_puts(b, h);
		used += hw + 2;
	}
}

int keys_help_lines(void)
{
	int n = 0;
	for (size_t i = 0; i < keys_count; i++)
		if (keys_table[i].desc[0])
			n++;
	return n + 4;
}

void keys_help_draw(struct app *a, struct rect r)
{
	int y = r.y, line = 0;
	const char *intro[] = {
		"Keys (every binding; the footer shows the ones that matter in each pane)",
		"",
	};
	for (size_t i = 0; i < 2; i++, line++)
		if (line >= a->help_top && y < r.y + r.h)
			ui_text(a, y++, r.x + 1, r.w - 2, i == 0 ? T_HEAD : T_NORMAL, intro[i]);
	for (size_t i = 0; i < keys_count; i++) {
		const struct keydef *k = &keys_table[i];
		if (!k->desc[0])
			continue;
		if (line++ < a->help_top)
			continue;
		if (y >= r.y + r.h)
			break;
		ui_cell(a, y, r.x + 1, 11, 'l', T_ACCENT, k->name);
		ui_cell(a, y, r.x + 13, 12, 'l', T_DIM, k->context);
		ui_cell(a, y, r.x + 26, r.w - 27, 'l', T_NORMAL, k->desc);
		y++;
	}
	const char *legend[] = {
		"",
		"States: done; on track; at risk (blocked, or more than 20 points behind the",
		"time passed); late (past its end and not done); planned (not started).",
	};
	for (size_t i = 0; i < 3; i++, line++)
		if (line >= a->help_top && y < r.y + r.h)
			ui_text(a, y++, r.x + 1, r.w - 2, T_DIM, legend[i]);
}
