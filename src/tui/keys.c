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
	{'/', "/", ACT_SEARCH, "find in the pane as you type (any letters; also inside closed WPs); Enter keeps the match, Esc goes back", "lists", "/ find", 0},
	{'n', "n", ACT_NEXT_MATCH, "next match", "lists", NULL, 0},
	{'N', "N", ACT_PREV_MATCH, "previous match", "lists", NULL, 0},
	{'f', "f", ACT_FILTER, "filter: cycle through partners and WPs", "anywhere", "f filter", 0},
	{'s', "s", ACT_SORT, "sort by due date / id", "deliverables", "s sort", P(PANE_DELIV)},
	{'u', "u", ACT_UPDATE, "update the selected task, deliverable or milestone", "panes 1 2 5", "u update", P(PANE_WP) | P(PANE_DELIV) | P(PANE_TIMELINE)},
	{'+', "+", ACT_RECORD, "record reach (target, value, partner)", "anywhere", "+ reach", P(PANE_REACH) | P(PANE_WP) | P(PANE_ACTIVITY)},
	{'b', "b", ACT_BENCH, "record a benchmark value (cluster, indicator, value)", "anywhere", "b bench", P(PANE_BENCH)},
	{'B', "B", ACT_LABEL, "award a benchmark label to a cluster (cluster, label)", "anywhere", "B label", P(PANE_BENCH)},
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

/* The hint of entry k in this context, or NULL; brief: the short form. */
static const char *hint_of(const struct app *a, const struct keydef *k, int brief, int *width)
{
	if (!k->hint || (k->panes && !(k->panes & P(a->cur))))
		return NULL;
	const char *h = k->hint;
	int arrows = 0;
	if (k->act == ACT_UP || k->act == ACT_LEFT) {
		if (a->ascii)
			h = k->act == ACT_UP ? (brief ? "j/k" : "j/k move") : (brief ? "h/l" : "h/l scroll");
		else {
			h = k->act == ACT_UP ? (brief ? "\u2191\u2193" : "\u2191\u2193 move")
			                     : (brief ? "\u2190\u2192" : "\u2190\u2192 scroll");
			arrows = 2;
		}
	} else if (k->act == ACT_ENTER && (a->cur == PANE_WP || a->cur == PANE_TIMELINE)) {
		h = "Enter open";
	} else if (brief && k->act == ACT_NEXT_PANE) {
		h = "Tab";
	} else if (brief && k->act == ACT_PANE1) {
		h = "1-6";
	}
	/* Each arrow is three bytes and one column. */
	*width = (int)strlen(h) - arrows * 2;
	return h;
}

/* Which hints to show when not all fit, the most useful first: what the
 * pane is for, then help and quit, then moving through time, finding and
 * filtering, then moving around (which the tab bar and the arrows make
 * plain anyway). mask: the panes where the entry ranks here, 0 every pane. */
static const struct {
	enum action act;
	unsigned mask;
} rank[] = {
	{ACT_ENTER, 0},
	{ACT_UPDATE, P(PANE_WP) | P(PANE_DELIV) | P(PANE_TIMELINE)},
	{ACT_SORT, 0},
	{ACT_RECORD, P(PANE_REACH)},
	{ACT_BENCH, 0},
	{ACT_LABEL, 0},
	{ACT_HELP, 0},
	{ACT_QUIT, 0},
	{ACT_MONTH_BACK, 0},
	{ACT_TODAY, 0},
	{ACT_SEARCH, 0},
	{ACT_FILTER, 0},
	{ACT_LEFT, 0},
	{ACT_NEXT_PANE, 0},
	{ACT_UP, 0},
	{ACT_RECORD, 0},
	{ACT_PANE1, 0},
};

void keys_footer(const struct app *a, struct sbuf *b, int w)
{
	/* chosen[i]: 0 not shown, 1 in full, 2 in brief. */
	unsigned char chosen[64] = {0};
	int used = 0;
	for (size_t r = 0; r < sizeof rank / sizeof rank[0]; r++) {
		if (rank[r].mask && !(rank[r].mask & P(a->cur)))
			continue;
		for (size_t i = 0; i < keys_count && i < sizeof chosen; i++) {
			int hw, bw;
			if (keys_table[i].act != rank[r].act || chosen[i] || !hint_of(a, &keys_table[i], 0, &hw))
				continue;
			const char *brief = hint_of(a, &keys_table[i], 1, &bw);
			int gap = used ? 2 : 0;
			if (used + gap + hw <= w) {
				chosen[i] = 1;
				used += gap + hw;
			} else if (brief && bw < hw && used + gap + bw <= w) {
				chosen[i] = 2;
				used += gap + bw;
			}
			break;
		}
	}
	/* Shown in the key table's order, so the footer reads the same way in
	 * every pane. */
	for (size_t i = 0; i < keys_count && i < sizeof chosen; i++) {
		int hw;
		if (!chosen[i])
			continue;
		if (b->len)
			sbuf_puts(b, "  ");
		sbuf_puts(b, hint_of(a, &keys_table[i], chosen[i] == 2, &hw));
	}
}

/* Lines in the last drawing of the help (they depend on the width). */
static int help_nlines;

int keys_help_lines(void)
{
	if (help_nlines > 0)
		return help_nlines;
	int n = 0;
	for (size_t i = 0; i < keys_count; i++)
		if (i == 0 || keys_table[i - 1].act != keys_table[i].act)
			n++;
	return n + 7;
}

/* The next piece of s that fits in w columns, broken at a space when it
 * can be (the help's text is ASCII: bytes are columns). Sets *next. */
static int wrap_piece(const char *s, int w, const char **next)
{
	int len = (int)strlen(s);
	if (w < 1)
		w = 1;
	if (len <= w) {
		*next = s + len;
		return len;
	}
	int cut = w;
	while (cut > 0 && s[cut] != ' ')
		cut--;
	if (cut == 0)
		cut = w;
	const char *n = s + cut;
	while (*n == ' ')
		n++;
	*next = n;
	return cut;
}

/* The help as lines: a line is drawn when draw is set and it falls in the
 * shown window [top, top + h). Returns the number of lines. */
static int help_lines(struct app *a, struct rect r, int top, int h, int draw)
{
	int line = 0;
#define SHOWN (draw && line >= top && line < top + h)
#define Y (r.y + line - top)
	if (SHOWN)
		ui_text(a, Y, r.x + 1, r.w - 2, T_HEAD, "Keys (every binding; the footer shows the ones that matter in each pane)");
	line += 2;
	int dx = r.w >= 60 ? 28 : 15, dw = r.w - dx - 1;
	for (size_t i = 0; i < keys_count; i++) {
		const struct keydef *k = &keys_table[i];
		/* Keys with the same action share a line: "Up k". */
		if (i > 0 && keys_table[i - 1].act == k->act)
			continue;
		char names[64] = "";
		for (size_t j = i; j < keys_count && keys_table[j].act == k->act; j++) {
			if (j > i && strcmp(keys_table[j].name, keys_table[j - 1].name) == 0)
				continue;
			if (j > i)
				strncat(names, " ", sizeof names - strlen(names) - 1);
			strncat(names, keys_table[j].name, sizeof names - strlen(names) - 1);
		}
		if (SHOWN) {
			ui_cell(a, Y, r.x + 1, 13, 'l', T_ACCENT, names);
			if (dx > 15)
				ui_cell(a, Y, r.x + 15, 12, 'l', T_DIM, k->context);
		}
		/* The description wraps onto continuation lines under itself. */
		const char *d = k->desc;
		while (*d) {
			const char *from = d;
			int n = wrap_piece(d, dw, &d);
			if (SHOWN) {
				char piece[256];
				snprintf(piece, sizeof piece, "%.*s", n, from);
				ui_cell(a, Y, r.x + dx, dw, 'l', T_NORMAL, piece);
			}
			line++;
		}
	}
	char legend[512];
	snprintf(legend, sizeof legend,
	         "States: done; on track; at risk (blocked, or more than %d points behind the share of its time "
	         "passed); late (past its end and not done); planned (not started).",
	         DERIVE_RISK_MARGIN);
	const char *const paragraphs[] = {
		"Mouse: a click on a tab shows its pane, a click on a row selects it; the wheel moves the "
		"selection, or scrolls the details.",
		legend,
	};
	for (size_t p = 0; p < sizeof paragraphs / sizeof paragraphs[0]; p++) {
		line++;
		for (const char *d = paragraphs[p]; *d;) {
			const char *from = d;
			int n = wrap_piece(d, r.w - 2, &d);
			if (SHOWN) {
				char piece[256];
				snprintf(piece, sizeof piece, "%.*s", n, from);
				ui_text(a, Y, r.x + 1, r.w - 2, T_DIM, piece);
			}
			line++;
		}
	}
#undef SHOWN
#undef Y
	return line;
}

void keys_help_draw(struct app *a, struct rect r)
{
	int total = help_lines(a, r, 0, 0, 0);
	help_nlines = total;
	int more = total > r.h;
	int h = more ? r.h - 1 : r.h;
	if (a->help_top > total - h)
		a->help_top = total - h > 0 ? total - h : 0;
	if (a->help_top < 0)
		a->help_top = 0;
	help_lines(a, r, a->help_top, h, 1);
	if (more && r.h > 1) {
		char buf[96];
		ui_fmt(buf, sizeof buf, "lines %d-%d of %d", a->help_top + 1, a->help_top + h, total);
		ui_text(a, r.y + r.h - 1, r.x + 1, r.w - 2, T_DIM, buf);
	}
}
