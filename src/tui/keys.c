/* keys: the one key table. It binds every key to an action and feeds both
 * the footer (the hints that matter in the current pane) and the ? help
 * screen, so the two can never disagree with what the keys do. */
#include "config.h"

#include <stdio.h>
#include <string.h>

#include "tui/tuiint.h"

#define P(x) (1u << (x))
#define KEY_TAB '\t'
#define KEY_ESC 27

const struct keydef keys_table[] = {
	{KEY_TAB, "Tab", ACT_NEXT_PANE, "next pane", "anywhere", "Tab pane", 0},
	{KEY_BTAB, "Shift-Tab", ACT_PREV_PANE, "previous pane", "anywhere", NULL, 0},
	{'1', "1", ACT_PANE1, "Work packages", "anywhere", "1-6 jump", 0},
	{'2', "2", ACT_PANE2, "Deliverables and milestones", "anywhere", NULL, 0},
	{'3', "3", ACT_PANE3, "Reach", "anywhere", NULL, 0},
	{'4', "4", ACT_PANE4, "Benchmarks", "anywhere", NULL, 0},
	{'5', "5", ACT_PANE5, "Timeline", "anywhere", NULL, 0},
	{'6', "6", ACT_PANE6, "Activity", "anywhere", NULL, 0},
	{KEY_UP, "Up", ACT_UP, "previous row", "lists", "\u2191\u2193 move", 0},
	{'k', "k", ACT_UP, "previous row", "lists", NULL, 0},
	{KEY_DOWN, "Down", ACT_DOWN, "next row", "lists", NULL, 0},
	{'j', "j", ACT_DOWN, "next row", "lists", NULL, 0},
	{KEY_PPAGE, "PgUp", ACT_PGUP, "a page up", "lists", NULL, 0},
	{KEY_NPAGE, "PgDn", ACT_PGDN, "a page down", "lists", NULL, 0},
	{'g', "g", ACT_TOP, "first row", "lists", NULL, 0},
	{KEY_HOME, "Home", ACT_TOP, "first row", "lists", NULL, 0},
	{'G', "G", ACT_BOTTOM, "last row", "lists", NULL, 0},
	{KEY_END, "End", ACT_BOTTOM, "last row", "lists", NULL, 0},
	{KEY_LEFT, "Left", ACT_LEFT, "scroll the months left", "timeline", "\u2190\u2192 scroll", P(PANE_TIMELINE)},
	{'h', "h", ACT_LEFT, "scroll the months left", "timeline", NULL, 0},
	{KEY_RIGHT, "Right", ACT_RIGHT, "scroll the months right", "timeline", NULL, 0},
	{'l', "l", ACT_RIGHT, "scroll the months right", "timeline", NULL, 0},
	{'\n', "Enter", ACT_ENTER, "open/close a WP's tasks; details of anything else", "lists", "Enter details", 0},
	{KEY_ENTER, "Enter", ACT_ENTER, "open/close a WP's tasks; details of anything else", "lists", NULL, 0},
	{'\r', "Enter", ACT_ENTER, "open/close a WP's tasks; details of anything else", "lists", NULL, 0},
	{KEY_ESC, "Esc", ACT_BACK, "close details, help or a dialog; clear the filter", "anywhere", NULL, 0},
	{'/', "/", ACT_SEARCH, "search in the pane (incremental)", "lists", "/ search", 0},
	{'n', "n", ACT_NEXT_MATCH, "next match", "lists", NULL, 0},
	{'N', "N", ACT_PREV_MATCH, "previous match", "lists", NULL, 0},
	{'f', "f", ACT_FILTER, "filter: cycle through partners and WPs", "anywhere", "f filter", 0},
	{'s', "s", ACT_SORT, "sort by due date / id", "deliverables", "s sort", P(PANE_DELIV)},
	{'u', "u", ACT_UPDATE, "update the selected task, deliverable or milestone", "panes 1 2 5", "u update", P(PANE_WP) | P(PANE_DELIV) | P(PANE_TIMELINE)},
	{'+', "+", ACT_RECORD, "record reach (target, value, partner)", "anywhere", "+ reach", P(PANE_REACH) | P(PANE_WP) | P(PANE_ACTIVITY)},
	{'b', "b", ACT_BENCH, "record a benchmark value (cluster, indicator, value)", "anywhere", "b bench", P(PANE_BENCH)},
	{'[', "[", ACT_MONTH_BACK, "the project as it stood a month earlier", "anywhere", "[ ] month", 0},
	{']', "]", ACT_MONTH_FWD, "a month later", "anywhere", NULL, 0},
	{'t', "t", ACT_TODAY, "back to today", "anywhere", "t today", 0},
	{'r', "r", ACT_RELOAD, "reload the definition", "anywhere", NULL, 0},
	{'?', "?", ACT_HELP, "this help", "anywhere", "? help", 0},
	{'q', "q", ACT_QUIT, "quit", "anywhere", "q quit", 0},
};
const size_t keys_count = sizeof keys_table / sizeof keys_table[0];

enum action keys_action(int key)
{
	for (size_t i = 0; i < keys_count; i++)
		if (keys_table[i].key == key)
			return keys_table[i].act;
	return ACT_NONE;
}

/* The hint of entry k in this context, or NULL. */
static const char *hint_of(const struct app *a, const struct keydef *k, int *width)
{
	if (!k->hint || (k->panes && !(k->panes & P(a->cur))))
		return NULL;
	const char *h = k->hint;
	int arrows = 0;
	if (k->act == ACT_UP || k->act == ACT_LEFT) {
		if (a->ascii)
			h = k->act == ACT_UP ? "j/k move" : "h/l scroll";
		else
			arrows = 2;
	}
	if (k->act == ACT_ENTER && (a->cur == PANE_WP || a->cur == PANE_TIMELINE))
		h = "Enter open";
	/* Each arrow is three bytes and one column. */
	*width = (int)strlen(h) - arrows * 2;
	return h;
}

void keys_footer(const struct app *a, struct sbuf *b, int w)
{
	/* Which hints to show when not all fit: the most useful first. */
	static const enum action rank[] = {
		ACT_NEXT_PANE, ACT_UP, ACT_ENTER, ACT_UPDATE, ACT_SORT, ACT_LEFT, ACT_RECORD, ACT_BENCH,
		ACT_HELP, ACT_QUIT, ACT_MONTH_BACK, ACT_TODAY, ACT_SEARCH, ACT_FILTER, ACT_PANE1,
	};
	unsigned char chosen[64] = {0};
	int used = 0;
	for (size_t r = 0; r < sizeof rank / sizeof rank[0]; r++)
		for (size_t i = 0; i < keys_count && i < sizeof chosen; i++) {
			int hw;
			if (keys_table[i].act != rank[r] || !hint_of(a, &keys_table[i], &hw))
				continue;
			if (used + hw + 2 <= w) {
				chosen[i] = 1;
				used += hw + 2;
			}
			break;
		}
	for (size_t i = 0; i < keys_count && i < sizeof chosen; i++) {
		int hw;
		if (!chosen[i])
			continue;
		if (b->len)
			sbuf_puts(b, "  ");
		sbuf_puts(b, hint_of(a, &keys_table[i], &hw));
	}
}

int keys_help_lines(void)
{
	int n = 0;
	for (size_t i = 0; i < keys_count; i++)
		if (i == 0 || keys_table[i - 1].act != keys_table[i].act)
			n++;
	return n + 5;
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
		/* Keys with the same action share a line: "Up k". */
		if (i > 0 && keys_table[i - 1].act == k->act)
			continue;
		if (line++ < a->help_top)
			continue;
		if (y >= r.y + r.h)
			break;
		char names[64] = "";
		for (size_t j = i; j < keys_count && keys_table[j].act == k->act; j++) {
			if (j > i && strcmp(keys_table[j].name, keys_table[j - 1].name) == 0)
				continue;
			if (j > i)
				strncat(names, " ", sizeof names - strlen(names) - 1);
			strncat(names, keys_table[j].name, sizeof names - strlen(names) - 1);
		}
		ui_cell(a, y, r.x + 1, 13, 'l', T_ACCENT, names);
		ui_cell(a, y, r.x + 15, 12, 'l', T_DIM, k->context);
		ui_cell(a, y, r.x + 28, r.w - 29, 'l', T_NORMAL, k->desc);
		y++;
	}
	char risk[160];
	snprintf(risk, sizeof risk, "States: done; on track; at risk (blocked, or more than %d points behind the",
	         DERIVE_RISK_MARGIN);
	const char *legend[] = {
		"",
		risk,
		"share of its time passed); late (past its end and not done); planned (not started).",
	};
	for (size_t i = 0; i < 3; i++, line++)
		if (line >= a->help_top && y < r.y + r.h)
			ui_text(a, y++, r.x + 1, r.w - 2, T_DIM, legend[i]);
}
