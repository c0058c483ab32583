/* pane_activity: the newest log entries, live: effective date, who, for
 * which partner, which item, what changed and the note. Entries that take
 * effect after the date shown are dimmed; undone entries say so. All of it
 * is untrusted text and goes through the sanitizer. */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "core/text.h"
#include "tui/entry_words.h"
#include "tui/app.h"

static int entry_visible(struct app *a, const struct entry *en)
{
	int fp = app_filter_partner(a), fw = app_filter_wp(a);
	const struct project *p = a->t->p;
	if (fp >= 0)
		return derive_entry_concerns(p, en, fp);
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

enum { AC_EFFECTIVE, AC_WHO, AC_PARTNER, AC_ITEM, AC_WHAT, AC_NOTE, NAC };

struct act_draw_ctx {
	struct column c[NAC];
	char asof[16];
};

static int act_draw_row(struct app *a, struct pane *pn, void *ctx, const struct list_row *row, int lines_left)
{
	(void)pn;
	(void)lines_left;
	const struct act_draw_ctx *ac = ctx;
	const struct column *c = ac->c;
	const struct entry *en = &a->act[act_index(a, row->index)];
	int y = row->y, later = strcmp(en->effective, ac->asof) > 0;
	enum tone base = later ? T_DIM : T_NORMAL;
	ui_cella(a, y, c[AC_EFFECTIVE].x, c[AC_EFFECTIVE].w, 'l', ui_attr(a, base) | row->sel, en->effective);
	ui_cell(a, y, c[AC_WHO].x, c[AC_WHO].w, 'l', base, en->login);
	if (c[AC_PARTNER].w)
		ui_cell(a, y, c[AC_PARTNER].x, c[AC_PARTNER].w, 'l', base, en->partner ? en->partner : "");
	ui_cell(a, y, c[AC_ITEM].x, c[AC_ITEM].w, 'l', later ? T_DIM : T_HEAD, en->item ? en->item : "");
	struct sbuf what = {0};
	activity_what(en, &what);
	ui_cell(a, y, c[AC_WHAT].x, c[AC_WHAT].w, 'l', en->reverted_by ? T_DIM : later ? T_DIM : T_ACCENT,
	        sbuf_str(&what));
	sbuf_free(&what);
	struct sbuf note = {0};
	if (en->reverted_by)
		sbuf_printf(&note, "(undone by #%lld) ", (long long)en->reverted_by);
	if (later)
		sbuf_puts(&note, "(after the date shown) ");
	sbuf_puts(&note, en->note ? en->note : "");
	ui_cell(a, y, c[AC_NOTE].x, c[AC_NOTE].w, 'l', base, sbuf_str(&note));
	sbuf_free(&note);
	return 1;
}

static void act_draw(struct app *a, struct pane *pn, struct rect r)
{
	int n = act_nrows(a, pn);
	/* The partner shows where there is room for it. */
	int wide = r.w >= 90 || (r.w >= 76 && !a->grid);
	struct act_draw_ctx ac = {.c = {
		[AC_EFFECTIVE] = {"Effective", 10, 1, 0},
		[AC_WHO] = {"Who", 8, 1, 0},
		[AC_PARTNER] = {"Partner", wide ? 8 : 0, wide ? 1 : 0, 0},
		[AC_ITEM] = {"Item", 13, 1, 0},
		[AC_WHAT] = {"What", 12, 1, 0},
		[AC_NOTE] = {"Note", -1, 0, 0},
	}};
	date_format(a->asof, ac.asof);
	columns_place(ac.c, NAC, r.x + 2, r.x + r.w);
	columns_header(a, r.y, ac.c, NAC);
	struct list_view v = {
		.y = r.y + 1, .h = r.h - 1,
		.empty = a->nact ? "nothing matches the filter" : "the log is empty",
		.draw_row = act_draw_row, .ctx = &ac,
	};
	list_draw(a, pn, r, n, &v);
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
