/* pane_deliv: deliverables (▲) and milestones (◆) in one list, sorted by
 * due date or by id (s): id, title, WP, lead, due month and date, status,
 * and how it stands in time ("! 31 d late", "in 12 d", "5 d late" when done
 * late). Overdue and due-soon stand out by colour and by the words. */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "tui/app.h"

struct drow {
	struct ref ref;         /* R_NONE: an item of the baseline the plan removed */
	cdate due;
	int order;
	int removed;            /* its index in the baseline's removed items */
};

static int cmp_due(const void *x, const void *y)
{
	const struct drow *a = x, *b = y;
	if (a->due != b->due)
		return a->due < b->due ? -1 : 1;
	if (a->ref.kind != b->ref.kind)
		return a->ref.kind == R_DELIV ? -1 : b->ref.kind == R_DELIV ? 1 : a->ref.kind == R_MS ? -1 : 1;
	return a->order - b->order;
}

static int cmp_id(const void *x, const void *y)
{
	const struct drow *a = x, *b = y;
	if (a->ref.kind != b->ref.kind)
		return a->ref.kind == R_DELIV ? -1 : b->ref.kind == R_DELIV ? 1 : a->ref.kind == R_MS ? -1 : 1;
	return a->order - b->order;
}

/* The rows in display order; caller frees. */
static struct drow *deliv_rows(struct app *a, struct pane *pn, int *n)
{
	const struct project *p = a->t->p;
	const struct baseline *bl = a->pv.view ? &a->pv.vmarks : NULL;
	int total = p->ndeliverables + p->nmilestones + (bl ? bl->nremoved : 0);
	struct drow *v = xcalloc((size_t)(total > 0 ? total : 1), sizeof *v);
	int k = 0;
	for (int i = 0; i < p->ndeliverables; i++)
		if (app_due_visible(a, R_DELIV, i))
			v[k++] = (struct drow){{R_DELIV, i, 0}, a->st.deliverables[i].due_date, i, 0};
	for (int i = 0; i < p->nmilestones; i++)
		if (app_due_visible(a, R_MS, i))
			v[k++] = (struct drow){{R_MS, i, 0}, a->st.milestones[i].due_date, i, 0};
	/* The baseline view: what the plan removed, where it was due then. */
	for (int i = 0; bl && i < bl->nremoved; i++) {
		const struct baseline_removed *x = &bl->removed[i];
		if ((x->kind == ITEM_DELIVERABLE || x->kind == ITEM_MILESTONE) && a->filter == 0)
			v[k++] = (struct drow){{R_NONE, -1, 0}, project_month_end(p, x->due), 1000000 + i, i};
	}
	qsort(v, (size_t)k, sizeof *v, pn->sort ? cmp_id : cmp_due);
	*n = k;
	return v;
}

static int deliv_nrows(struct app *a, struct pane *pn)
{
	int n;
	free(deliv_rows(a, pn, &n));
	return n;
}

static struct ref deliv_row_ref(struct app *a, struct pane *pn, int row)
{
	int n;
	struct drow *v = deliv_rows(a, pn, &n);
	struct ref r = {R_NONE, -1, 0};
	if (row >= 0 && row < n)
		r = v[row].ref;
	free(v);
	return r;
}

/* The fields of a row. */
struct dinfo {
	const char *id, *title;
	int wp, lead, due;
	const struct due_state *ds;
};

static struct dinfo deliv_info(struct app *a, struct ref r)
{
	const struct project *p = a->t->p;
	struct dinfo d;
	memset(&d, 0, sizeof d);
	if (r.kind == R_DELIV) {
		const struct deliverable *x = &p->deliverables[r.index];
		d.id = x->id; d.title = x->title; d.wp = x->wp; d.due = x->due;
		d.lead = project_due_lead(p, ITEM_DELIVERABLE, r.index);
		d.ds = &a->st.deliverables[r.index];
	} else {
		const struct milestone *x = &p->milestones[r.index];
		d.id = x->id; d.title = x->title; d.wp = x->nwps ? x->wps[0] : -1; d.due = x->due;
		d.lead = project_due_lead(p, ITEM_MILESTONE, r.index);
		d.ds = &a->st.milestones[r.index];
	}
	return d;
}

static void deliv_row_text(struct app *a, struct pane *pn, int row, struct sbuf *b)
{
	struct ref r = deliv_row_ref(a, pn, row);
	if (r.kind == R_NONE)
		return;
	struct dinfo d = deliv_info(a, r);
	sbuf_printf(b, "%s %s %s %s", d.id, d.title, ui_partner_id(a, d.lead), d.ds->status);
	const struct baseline_mark *m = plan_mark(a, r.kind, r.index, 1);
	if (m && m->added)
		sbuf_puts(b, " new");
}

static int deliv_key(struct app *a, struct pane *pn, int action)
{
	if (action != ACT_SORT)
		return 0;
	struct ref keep = deliv_row_ref(a, pn, pn->sel);
	pn->sort = !pn->sort;
	int n;
	struct drow *v = deliv_rows(a, pn, &n);
	for (int i = 0; i < n; i++)
		if (v[i].ref.kind == keep.kind && v[i].ref.index == keep.index)
			pn->sel = i;
	free(v);
	app_message(a, 0, pn->sort ? "sorted by id" : "sorted by due date");
	return 1;
}

/* "! 31 d late", "in 12 d", "5 d late", "on time". */
static const char *timing(const struct due_state *ds, char *buf, size_t n, enum tone *t)
{
	if (ds->overdue) {
		*t = T_BAD;
		return ui_fmt(buf, n, "! %d d late", ds->days_late);
	}
	if (ds->done) {
		*t = ds->days_late > 0 ? T_WARN : T_DONE;
		return ds->days_late > 0 ? ui_fmt(buf, n, "was %d d late", ds->days_late) : ui_fmt(buf, n, "on time");
	}
	*t = ds->due_soon ? T_WARN : T_DIM;
	if (ds->days_left == 0)
		return ui_fmt(buf, n, "due today");
	return ui_fmt(buf, n, "in %d d", ds->days_left);
}

enum { DC_ID, DC_TITLE, DC_WP, DC_LEAD, DC_DUE, DC_STATUS, DC_WHEN, NDC };

struct deliv_draw_ctx {
	struct drow *v;
	int words_only;         /* narrow, with "was" marks: the month without its date */
	struct column c[NDC];
};

/* A deliverable or milestone of the baseline that the plan removed: its id
 * and title dimmed, its month then, and the word. */
static int removed_row(struct app *a, const struct deliv_draw_ctx *dc, const struct drow *dr,
                       const struct list_row *row)
{
	const struct column *c = dc->c;
	const struct baseline_removed *x = &a->pv.vmarks.removed[dr->removed];
	const struct project *b = a->pv.vmodel;
	char due[40];
	int y = row->y;
	ui_text(a, y, c[DC_ID].x - 2, 1, T_DIM, x->kind == ITEM_MILESTONE ? ui_glyph(a, "\u25c7", "*") : ui_glyph(a, "\u25b3", "^"));
	ui_cella(a, y, c[DC_ID].x, c[DC_ID].w, 'l', ui_attr(a, T_DIM) | row->sel, x->id);
	ui_cella(a, y, c[DC_ID].x + c[DC_ID].w, c[DC_ID].gap, 'l', row->sel, "");
	ui_cella(a, y, c[DC_TITLE].x, c[DC_TITLE].w, 'l', ui_attr(a, T_DIM) | row->sel, x->title);
	ui_cell(a, y, c[DC_WP].x, c[DC_WP].w, 'l', T_DIM, x->wp >= 0 && x->wp < b->nwps ? b->wps[x->wp].id : "");
	ui_fmt(due, sizeof due, "M%d (removed)", x->due);
	ui_cell(a, y, c[DC_DUE].x, c[DC_DUE].w, 'l', T_DIM, due);
	ui_cell(a, y, c[DC_STATUS].x, c[DC_STATUS].w, 'l', T_DIM, "removed");
	ui_cell(a, y, c[DC_WHEN].x, c[DC_WHEN].w, 'l', T_DIM, "not in the plan");
	return 1;
}

static int deliv_draw_row(struct app *a, struct pane *pn, void *ctx, const struct list_row *row, int lines_left)
{
	(void)pn;
	(void)lines_left;
	const struct deliv_draw_ctx *dc = ctx;
	const struct column *c = dc->c;
	const struct project *p = a->t->p;
	const struct drow *dr = &dc->v[row->index];
	if (dr->ref.kind == R_NONE)
		return removed_row(a, dc, dr, row);
	int y = row->y, ms = dr->ref.kind == R_MS;
	struct dinfo d = deliv_info(a, dr->ref);
	/* "M14 (was M12)" against the first plan, always; the baseline
	 * view's version instead when it is on, and "new" for what it lacks. */
	const struct baseline_mark *m = plan_mark(a, dr->ref.kind, dr->ref.index, 1);
	if (!m)
		m = plan_mark(a, dr->ref.kind, dr->ref.index, 0);
	char buf[64], dd[16], due[40];
	enum tone tt;
	const char *when = timing(d.ds, buf, sizeof buf, &tt);
	ui_text(a, y, c[DC_ID].x - 2, 1, d.ds->overdue ? T_BAD : d.ds->done ? T_DONE : T_ACCENT,
	        ms ? ui_glyph(a, "\u25c6", "*") : ui_glyph(a, "\u25b2", "^"));
	ui_cella(a, y, c[DC_ID].x, c[DC_ID].w, 'l', ui_attr(a, T_HEAD) | row->sel, d.id);
	ui_cella(a, y, c[DC_ID].x + c[DC_ID].w, c[DC_ID].gap, 'l', row->sel, "");
	ui_cella(a, y, c[DC_TITLE].x, c[DC_TITLE].w, 'l', ui_attr(a, T_NORMAL) | row->sel, d.title);
	ui_cell(a, y, c[DC_WP].x, c[DC_WP].w, 'l', T_NORMAL, d.wp >= 0 ? p->wps[d.wp].id : "");
	ui_cell(a, y, c[DC_LEAD].x, c[DC_LEAD].w, 'l', T_NORMAL, ui_partner_id(a, d.lead));
	char dw[32];
	if (m && m->added && a->pv.view)
		ui_fmt(dw, sizeof dw, "M%d (new)", d.due);
	else
		derive_due_words(d.due, m, dw, sizeof dw);
	if (dc->words_only)
		ui_fmt(due, sizeof due, "%s", dw);
	else
		ui_fmt(due, sizeof due, "%-*s %s", dc->c[DC_DUE].w > 14 ? 13 : 3, dw, date_format(d.ds->due_date, dd));
	ui_cell(a, y, c[DC_DUE].x, c[DC_DUE].w, 'l',
	        d.ds->overdue ? T_BAD : m && (m->moved || (m->added && a->pv.view)) ? T_WARN : T_NORMAL, due);
	ui_cell(a, y, c[DC_STATUS].x, c[DC_STATUS].w, 'l', d.ds->done ? T_DONE : T_NORMAL, d.ds->status);
	ui_cell(a, y, c[DC_WHEN].x, c[DC_WHEN].w, 'l', tt, when);
	return 1;
}

/* Does any due month show a "was" or a word (the column widens)? */
static int due_moved(const struct app *a)
{
	const struct baseline *b = a->pv.view ? &a->pv.vmarks : a->pv.first ? &a->pv.marks : NULL;
	if (!b)
		return 0;
	const struct project *p = a->t->p;
	for (int i = 0; i < p->ndeliverables; i++)
		if (b->deliverables[i].moved || (a->pv.view && b->deliverables[i].added))
			return 1;
	for (int i = 0; i < p->nmilestones; i++)
		if (b->milestones[i].moved || (a->pv.view && b->milestones[i].added))
			return 1;
	if (a->pv.view)
		for (int i = 0; i < b->nremoved; i++)
			if (b->removed[i].kind == ITEM_DELIVERABLE || b->removed[i].kind == ITEM_MILESTONE)
				return 1;
	return 0;
}

static void deliv_draw(struct app *a, struct pane *pn, struct rect r)
{
	int n;
	struct deliv_draw_ctx dc = {.v = deliv_rows(a, pn, &n)};
	/* Every column always shows; the title gives way first (down to a few
	 * columns on the narrowest screens), and the gaps tighten below 90. */
	int roomy = r.w >= 90;
	/* A moved month says so ("M14 (was M12)"); below 100 columns the
	 * dates give way to the words. */
	int moved = due_moved(a), narrow = r.w < 100;
	dc.words_only = moved && narrow;
	const struct column cols[NDC] = {
		[DC_ID] = {"Id", 5, 1, 0},
		[DC_TITLE] = {pn->sort ? "Title (by id)" : "Title (by due date)", 0, 1, 0},
		[DC_WP] = {"WP", 4, 1, 0},
		[DC_LEAD] = {"Lead", roomy ? 8 : 7, 1, 0},
		[DC_DUE] = {"Due", moved && !narrow ? 24 : 14, 1, 0},
		[DC_STATUS] = {"Status", roomy ? 10 : 9, 1, 0},
		[DC_WHEN] = {"When", -1, 0, 0},
	};
	memcpy(dc.c, cols, sizeof cols);
	/* The mark and the glyph before the table; "When" keeps 13 columns. */
	int tw = r.w - (4 + columns_width(dc.c, NDC) + 13);
	dc.c[DC_TITLE].w = tw > 52 ? 52 : tw < 8 ? 8 : tw;
	columns_place(dc.c, NDC, r.x + 4, r.x + r.w);
	columns_header(a, r.y, dc.c, NDC);
	struct list_view v = {
		.y = r.y + 1, .h = r.h - 1, .empty = "nothing matches the filter",
		.draw_row = deliv_draw_row, .ctx = &dc,
	};
	list_draw(a, pn, r, n, &v);
	free(dc.v);
}

const struct pane_ops pane_deliv_ops = {
	.name = "deliverables",
	.title = "Deliverables",
	.nrows = deliv_nrows,
	.draw = deliv_draw,
	.key = deliv_key,
	.row_text = deliv_row_text,
	.row_ref = deliv_row_ref,
};
