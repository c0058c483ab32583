/* pane_activity: the newest log entries, live: effective date, who, for
 * which partner, which item, what changed and the note. Entries that take
 * effect after the date shown are dimmed; undone entries say so. All of it
 * is untrusted text and goes through the sanitizer. */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "core/text.h"
#include "tui/entry_words.h"
#include "tui/tuiint.h"

static int entry_visible(struct app *a, const struct entry *en)
{
	int fp = app_filter_partner(a), fw = app_filter_wp(a);
	const struct project *p = a->t->p;
	if (fp >= 0)
		return en->partner && strcmp(en->partner, p->partners[fp].id) == 0;
	if (fw >= 0) {
		int idx;
		enum item_kind k = en->item ? project_item(p, en->item, &idx) : ITEM_NONE;
		if (k == ITEM_TASK)
			return p->tasks[idx].wp == fw;
		if (k == ITEM_DELIVERABLE)
			return p->deliverables[idx].wp == fw;
		if (k == ITEM_MILESTONE)
			for (int i = 0; i < p->milestones[idx].nwps; i++)
				if (p->milestones[idx].wps[i] == fw)
					return 1;
		return k == ITEM_WP && idx == fw;
	}
	return 1;
}

/* Index into a->act of the row-th visible entry, or -1. */
static int act_index(struct app *a, int row)
{
	int k = 0;
	for (size_t i = 0; i < a->nact; i++)
		if (entry_visible(a, &a->act[i]) && k++ == row)
			return (int)i;
	return -1;
}

static int act_nrows(struct app *a, struct pane *pn)
{
	(void)pn;
	int k = 0;
	for (size_t i = 0; i < a->nact; i++)
		k += entry_visible(a, &a->act[i]);
	return k;
}

static struct ref act_row_ref(struct app *a, struct pane *pn, int row)
{
	(void)pn;
	struct ref r = {R_NONE, -1, 0};
	int i = act_index(a, row);
	if (i >= 0)
		r = (struct ref){R_ENTRY, i, a->act[i].id};
	return r;
}

static void act_row_text(struct app *a, struct pane *pn, int row, struct sbuf *b)
{
	(void)pn;
	int i = act_index(a, row);
	if (i < 0)
		return;
	const struct entry *en = &a->act[i];
	sbuf_printf(b, "%s %s %s %s %s %s", en->effective, en->login ? en->login : "",
	            en->partner ? en->partner : "", en->item ? en->item : "", en->value ? en->value : "",
	            en->note ? en->note : "");
}

static void act_draw(struct app *a, struct pane *pn, struct rect r)
{
	int n = act_nrows(a, pn);
	int wide = r.w >= 90 || (r.w >= 76 && !a->grid);
	int xd = r.x + 2, xwho = xd + 11, xp = xwho + 9, xi = xp + (wide ? 9 : 0);
	int xw = xi + 14, xn = xw + 13;
	ui_cell(a, r.y, xd, 10, 'l', T_DIM, "Effective");
	ui_cell(a, r.y, xwho, 8, 'l', T_DIM, "Who");
	if (wide)
		ui_cell(a, r.y, xp, 8, 'l', T_DIM, "Partner");
	ui_cell(a, r.y, xi, 13, 'l', T_DIM, "Item");
	ui_cell(a, r.y, xw, 12, 'l', T_DIM, "What");
	ui_cell(a, r.y, xn, r.x + r.w - xn, 'l', T_DIM, "Note");
	pane_scroll_to(pn, n, r.h - 1);
	int y = r.y + 1;
	char d[16];
	date_format(a->asof, d);
	for (int row = pn->top; row < n && y < r.y + r.h; row++, y++) {
		int i = act_index(a, row);
		const struct entry *en = &a->act[i];
		int selected = row == pn->sel, focus = selected && a->cur == PANE_ACTIVITY;
		int later = strcmp(en->effective, d) > 0;
		enum tone base = later ? T_DIM : T_NORMAL;
		pane_mark(pn, y - r.y, row);
		if (selected)
			ui_text(a, y, r.x, 2, focus ? T_ACCENT : T_DIM, ui_glyph(a, "\u25b6", ">"));
		ui_cella(a, y, xd, 10, 'l', ui_attr(a, base) | (focus ? A_REVERSE : 0), en->effective);
		ui_cell(a, y, xwho, 8, 'l', base, en->login);
		if (wide)
			ui_cell(a, y, xp, 8, 'l', base, en->partner ? en->partner : "");
		ui_cell(a, y, xi, 13, 'l', later ? T_DIM : T_HEAD, en->item ? en->item : "");
		struct sbuf what = {0};
		activity_what(en, &what);
		ui_cell(a, y, xw, 12, 'l', en->reverted_by ? T_DIM : later ? T_DIM : T_ACCENT, sbuf_str(&what));
		sbuf_free(&what);
		struct sbuf note = {0};
		if (en->reverted_by)
			sbuf_printf(&note, "(undone by #%lld) ", (long long)en->reverted_by);
		if (later)
			sbuf_puts(&note, "(after the date shown) ");
		sbuf_puts(&note, en->note ? en->note : "");
		ui_cell(a, y, xn, r.x + r.w - xn, 'l', base, sbuf_str(&note));
		sbuf_free(&note);
	}
	if (n == 0)
		ui_text(a, y, r.x + 2, r.w - 2, T_DIM, a->nact ? "nothing matches the filter" : "the log is empty");
}

const struct pane_ops pane_activity_ops = {
	.name = "activity",
	.title = "Activity",
	.nrows = act_nrows,
	.draw = act_draw,
	.key = NULL,
	.row_text = act_row_text,
	.row_ref = act_row_ref,
};
