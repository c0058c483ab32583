/* keys: the actions (from the one ACTION_LIST), the key table that binds
 * keys to them, the footer (the hints that matter in the current pane) and
 * the ? help screen, so the help and the footer can never disagree with
 * what the keys do. */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/text.h"
#include "tui/keys.h"
#include "tui/app.h"

#define KEY_TAB '\t'
#define KEY_ESC 27

#define ACTION_INFO(name, context, help, hint, ascii_hint, brief, hint_panes, alt_hint, alt_panes, rank, \
                    rank_panes, rank_else) \
	[ACT_##name] = {context, help, hint, ascii_hint, brief, hint_panes, alt_hint, alt_panes, rank, \
	                rank_panes, rank_else},
const struct action_info actions[NACTIONS] = { ACTION_LIST(ACTION_INFO) };
#undef ACTION_INFO

/* Keys in the order the help lists them (the actions' order). */
const struct keydef keys_table[] = {
	{KEY_TAB, "Tab", ACT_NEXT_PANE},
	{KEY_BTAB, "Shift-Tab", ACT_PREV_PANE},
	{'1', "1", ACT_PANE1},
	{'2', "2", ACT_PANE2},
	{'3', "3", ACT_PANE3},
	{'4', "4", ACT_PANE4},
	{'5', "5", ACT_PANE5},
	{'6', "6", ACT_PANE6},
	{'7', "7", ACT_PANE7},
	{KEY_UP, "Up", ACT_UP},
	{'k', "k", ACT_UP},
	{KEY_DOWN, "Down", ACT_DOWN},
	{'j', "j", ACT_DOWN},
	{KEY_PPAGE, "PgUp", ACT_PGUP},
	{KEY_NPAGE, "PgDn", ACT_PGDN},
	{'g', "g", ACT_TOP},
	{KEY_HOME, "Home", ACT_TOP},
	{'G', "G", ACT_BOTTOM},
	{KEY_END, "End", ACT_BOTTOM},
	{KEY_LEFT, "Left", ACT_LEFT},
	{'h', "h", ACT_LEFT},
	{KEY_RIGHT, "Right", ACT_RIGHT},
	{'l', "l", ACT_RIGHT},
	{'\n', "Enter", ACT_ENTER},
	{KEY_ENTER, "Enter", ACT_ENTER},
	{'\r', "Enter", ACT_ENTER},
	{KEY_ESC, "Esc", ACT_BACK},
	{'/', "/", ACT_SEARCH},
	{'n', "n", ACT_NEXT_MATCH},
	{'N', "N", ACT_PREV_MATCH},
	{'f', "f", ACT_FILTER},
	{'s', "s", ACT_SORT},
	{'u', "u", ACT_UPDATE},
	{'c', "c", ACT_COMMENT},
	{'+', "+", ACT_RECORD},
	{'b', "b", ACT_BENCH},
	{'B', "B", ACT_LABEL},
	{'e', "e", ACT_EFFORT},
	{'$', "$", ACT_COST},
	{'[', "[", ACT_MONTH_BACK},
	{']', "]", ACT_MONTH_FWD},
	{'t', "t", ACT_TODAY},
	{'r', "r", ACT_RELOAD},
	{'p', "p", ACT_BASELINE},
	{'P', "P", ACT_BASELINE_NEXT},
	{'A', "A", ACT_AMEND},
	{'?', "?", ACT_HELP},
	{'q', "q", ACT_QUIT},
};
const size_t keys_count = sizeof keys_table / sizeof keys_table[0];

enum action keys_action(int key)
{
	for (size_t i = 0; i < keys_count; i++)
		if (keys_table[i].key == key)
			return keys_table[i].act;
	return ACT_NONE;
}

int keys_allowed(const struct app *a, enum action k)
{
	if (!a->t || !a->t->id)
		return 1; /* no one to ask: every key (the key table's own tests) */
	const struct identity *id = a->t->id;
	const struct project *p = a->t->p;
	switch (k) {
	case ACT_UPDATE:
	case ACT_RECORD:
	case ACT_COMMENT:
		return id->partner >= 0;
	case ACT_LABEL:
		return id->partner >= 0 && id->coordinator;
	case ACT_BENCH:
		if (id->partner < 0)
			return 0;
		return id->coordinator || (p->bench.present && project_cluster(p, p->partners[id->partner].id) >= 0);
	default:
		return 1;
	}
}

const char *keys_readonly_why(const struct app *a, char *buf, size_t n)
{
	if (!a->t || !a->t->id || a->t->id->partner >= 0)
		return NULL;
	char *login = text_sanitize(a->t->id->login, a->flags);
	snprintf(buf, n, "read-only: %s is not listed in the plan", login);
	free(login);
	return buf;
}

/* The footer hint of action k in this context, or NULL; brief: its first
 * word when it may shorten. *width: its columns. */
static const char *hint_of(const struct app *a, enum action k, int brief, char *buf, size_t n, int *width)
{
	const struct action_info *ai = &actions[k];
	if (!keys_allowed(a, k))
		return NULL;
	if (!ai->hint || (ai->hint_panes && !(ai->hint_panes & PANE_BIT(a->cur))))
		return NULL;
	const char *h = ai->alt_hint && (ai->alt_panes & PANE_BIT(a->cur)) ? ai->alt_hint
	                : a->ascii && ai->ascii_hint ? ai->ascii_hint : ai->hint;
	if (brief && ai->brief) {
		snprintf(buf, n, "%.*s", (int)strcspn(h, " "), h);
		h = buf;
	}
	*width = text_width(h);
	return h;
}

/* The hints that matter in the current pane: tried by rank, each in full or
 * else brief while room is left; shown in the actions' order, so the footer
 * reads the same way in every pane. */
void keys_footer(const struct app *a, struct sbuf *b, int w)
{
	/* chosen[k]: 0 not shown, 1 in full, 2 in brief. */
	unsigned char chosen[NACTIONS] = {0};
	int used = 0, maxrank = 0;
	for (int k = 0; k < NACTIONS; k++) {
		if (actions[k].rank > maxrank)
			maxrank = actions[k].rank;
		if (actions[k].rank_else > maxrank)
			maxrank = actions[k].rank_else;
	}
	for (int rank = 1; rank <= maxrank; rank++)
		for (int k = 0; k < NACTIONS; k++) {
			const struct action_info *ai = &actions[k];
			int here = ai->rank == rank && (!ai->rank_panes || (ai->rank_panes & PANE_BIT(a->cur)));
			if (!here && ai->rank_else != rank)
				continue;
			char fb[64], bb[64];
			int hw, bw;
			if (chosen[k] || !hint_of(a, (enum action)k, 0, fb, sizeof fb, &hw))
				continue;
			hint_of(a, (enum action)k, 1, bb, sizeof bb, &bw);
			int gap = used ? 2 : 0;
			if (used + gap + hw <= w) {
				chosen[k] = 1;
				used += gap + hw;
			} else if (bw < hw && used + gap + bw <= w) {
				chosen[k] = 2;
				used += gap + bw;
			}
		}
	for (int k = 0; k < NACTIONS; k++) {
		char buf[64];
		int hw;
		if (!chosen[k])
			continue;
		if (b->len)
			sbuf_puts(b, "  ");
		sbuf_puts(b, hint_of(a, (enum action)k, chosen[k] == 2, buf, sizeof buf, &hw));
	}
}

/* Lines in the last drawing of the help (they depend on the width). */
static int help_nlines;

int keys_help_lines(void)
{
	if (help_nlines > 0)
		return help_nlines;
	return (NACTIONS - 1) + 7;
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
	line++;
	char ro[160];
	if (keys_readonly_why(a, ro, sizeof ro)) {
		strncat(ro, ": the write keys (u + b B c) do nothing", sizeof ro - strlen(ro) - 1);
		if (SHOWN)
			ui_text(a, Y, r.x + 1, r.w - 2, T_BAD, ro);
		line++;
	}
	line++;
	int dx = r.w >= 60 ? 28 : 15, dw = r.w - dx - 1;
	for (int k = ACT_NONE + 1; k < NACTIONS; k++) {
		/* An action's keys share its line: "Up k". */
		char names[64] = "";
		const char *last = NULL;
		for (size_t j = 0; j < keys_count; j++) {
			if (keys_table[j].act != (enum action)k || (last && strcmp(keys_table[j].name, last) == 0))
				continue;
			if (last)
				strncat(names, " ", sizeof names - strlen(names) - 1);
			strncat(names, keys_table[j].name, sizeof names - strlen(names) - 1);
			last = keys_table[j].name;
		}
		if (SHOWN) {
			ui_cell(a, Y, r.x + 1, 13, 'l', T_ACCENT, names);
			if (dx > 15)
				ui_cell(a, Y, r.x + 15, 12, 'l', T_DIM, actions[k].context);
		}
		/* The description wraps onto continuation lines under itself. */
		const char *d = actions[k].help;
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
