/* pane_wp: work packages, each with lead, months, a progress bar, percent
 * and its state word; Enter opens a WP into its tasks. On a tall enough
 * screen a summary follows: what is overdue, what is due next, the reach.
 * Formatting only: every number comes from derive's state. */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "tui/app.h"

/* When every WP, every task and the summary fit, all WPs show their tasks;
 * otherwise the ones opened with Enter. */
static int wp_all(const struct app *a, const struct pane *pn)
{
	const struct project *p = a->t->p;
	return !a->grid && p->nwps + p->ntasks + 8 <= pn->r.h - 1;
}

static int wp_rows(struct app *a, struct ref *out, int max)
{
	return app_wp_rows(a, wp_all(a, &a->panes[PANE_WP]), out, max);
}

static int wp_nrows(struct app *a, struct pane *pn)
{
	(void)pn;
	return wp_rows(a, NULL, 0);
}

static struct ref wp_row_ref(struct app *a, struct pane *pn, int row)
{
	(void)pn;
	int n = wp_rows(a, NULL, 0);
	struct ref r = {R_NONE, -1, 0};
	if (row < 0 || row >= n)
		return r;
	struct ref *v = xcalloc((size_t)n, sizeof *v);
	wp_rows(a, v, n);
	r = v[row];
	free(v);
	return r;
}

static void wp_row_text(struct app *a, struct pane *pn, int row, struct sbuf *b)
{
	struct ref r = wp_row_ref(a, pn, row);
	const struct project *p = a->t->p;
	if (r.kind == R_WP)
		sbuf_printf(b, "%s %s %s", p->wps[r.index].id, p->wps[r.index].title,
		            ui_partner_id(a, p->wps[r.index].lead));
	else if (r.kind == R_TASK)
		sbuf_printf(b, "%s %s %s", p->tasks[r.index].id, p->tasks[r.index].title,
		            ui_partner_id(a, p->tasks[r.index].lead));
}

static int wp_key(struct app *a, struct pane *pn, int action)
{
	if (action != ACT_ENTER)
		return 0;
	struct ref r = wp_row_ref(a, pn, pn->sel);
	if (r.kind != R_WP)
		return 0;
	if (a->t->p->wps[r.index].ntasks == 0 || wp_all(a, pn))
		return 0; /* no tasks, or all open: details */
	a->expanded[r.index] = !a->expanded[r.index];
	return 1;
}

enum { WC_ID, WC_TITLE, WC_LEAD, WC_MONTHS, WC_BAR, WC_PCT, WC_STATE, NWC };

struct wp_draw_ctx {
	struct ref *v;
	struct column c[NWC];
};

/* The table at width w from x: the bar and the lead give way on narrow
 * screens, then the title. */
static void wp_columns(struct column *c, int x, int w)
{
	int bw = w >= 120 ? 20 : w >= 90 ? 12 : 10;
	int lw = w >= 72 ? 8 : 0;
	const struct column cols[NWC] = {
		[WC_ID] = {"WP", 6, 0, 0},
		[WC_TITLE] = {"Title", 0, 1, 0},
		[WC_LEAD] = {"Lead", lw, lw ? 1 : 0, 0},
		[WC_MONTHS] = {"Months", 6, 1, 0},
		[WC_BAR] = {"Progress", bw, 0, 0},
		[WC_PCT] = {NULL, 5, 1, 0},
		[WC_STATE] = {"State", -1, 0, 0},
	};
	memcpy(c, cols, sizeof cols);
	/* The glyph and the open mark before, the state word's 8 after. */
	int tw = w - (2 + columns_width(c, NWC) + 8);
	c[WC_TITLE].w = tw > 48 ? 48 : tw < 8 ? 8 : tw;
	columns_place(c, NWC, x + 2, x + w);
}

static int wp_draw_row(struct app *a, struct pane *pn, void *ctx, const struct list_row *row, int lines_left)
{
	(void)lines_left;
	const struct wp_draw_ctx *wc = ctx;
	const struct column *c = wc->c;
	struct ref ref = wc->v[row->index];
	int y = row->y;
	const struct project *p = a->t->p;
	char buf[64];
	const char *id, *title;
	int lead, start, end, progress;
	enum dstate s;
	const char *word;
	if (ref.kind == R_WP) {
		const struct wp *w = &p->wps[ref.index];
		id = w->id; title = w->title; lead = w->lead; start = w->start; end = w->end;
		progress = a->st.wps[ref.index].progress;
		s = a->st.wps[ref.index].state;
		word = derive_word(s);
	} else {
		const struct task *t = &p->tasks[ref.index];
		id = t->id; title = t->title; lead = t->lead; start = t->start; end = t->end;
		progress = a->st.tasks[ref.index].progress;
		s = a->st.tasks[ref.index].state;
		word = derive_word(s);
		if (a->st.tasks[ref.index].status && strcmp(a->st.tasks[ref.index].status, "blocked") == 0)
			word = "blocked";
	}
	attr_t sel = row->sel;
	if (ref.kind == R_WP) {
		int has = p->wps[ref.index].ntasks > 0;
		const char *mark = !has ? " " : (a->expanded[ref.index] || wp_all(a, pn)) ? ui_glyph(a, "\u25be", "-") : ui_glyph(a, "\u25b8", "+");
		ui_texta(a, y, c[WC_ID].x - 1, 1, ui_attr(a, T_DIM), mark);
		ui_cella(a, y, c[WC_ID].x, c[WC_ID].w, 'l', ui_attr(a, T_HEAD) | sel, id);
		ui_cella(a, y, c[WC_TITLE].x, c[WC_TITLE].w, 'l', ui_attr(a, T_NORMAL) | A_BOLD | sel, title);
	} else {
		char tt[300];
		ui_fmt(tt, sizeof tt, "  %s", title);
		ui_cella(a, y, c[WC_ID].x, c[WC_ID].w, 'l', ui_attr(a, T_NORMAL) | sel, id);
		ui_cella(a, y, c[WC_TITLE].x, c[WC_TITLE].w, 'l', ui_attr(a, T_NORMAL) | sel, tt);
	}
	if (c[WC_LEAD].w)
		ui_cell(a, y, c[WC_LEAD].x, c[WC_LEAD].w, 'l', T_NORMAL, ui_partner_id(a, lead));
	ui_cell(a, y, c[WC_MONTHS].x, c[WC_MONTHS].w, 'l', T_DIM, ui_fmt(buf, sizeof buf, "%d-%d", start, end));
	ui_bar(a, y, c[WC_BAR].x, c[WC_BAR].w, progress, ui_state_tone(s));
	ui_cell(a, y, c[WC_PCT].x, c[WC_PCT].w, 'r', T_NORMAL, ui_fmt(buf, sizeof buf, "%d%%", progress));
	ui_cell(a, y, c[WC_STATE].x, c[WC_STATE].w, 'l', ui_state_tone(s), word);
	return 1;
}

static void draw_summary(struct app *a, struct rect r, int y)
{
	const struct project *p = a->t->p;
	const struct state *st = &a->st;
	char buf[160], d[16];
	int lines = r.y + r.h - y;
	if (lines < 2)
		return;
	int x = r.x + 2, lw = 9;
	int w = r.w - 2 - lw;
	int shown = 0;
	/* Overdue, most late first; then what is due next. */
	for (int i = 0; i < st->noverdue && shown < 2 && y < r.y + r.h; i++) {
		const struct due_ref *dr = &st->overdue[i];
		const char *id, *title;
		int lead;
		const struct due_state *ds;
		if (dr->kind == ITEM_DELIVERABLE) {
			id = p->deliverables[dr->index].id; title = p->deliverables[dr->index].title;
			lead = project_due_lead(p, ITEM_DELIVERABLE, dr->index);
			ds = &st->deliverables[dr->index];
		} else {
			id = p->milestones[dr->index].id; title = p->milestones[dr->index].title;
			lead = project_due_lead(p, ITEM_MILESTONE, dr->index);
			ds = &st->milestones[dr->index];
		}
		ui_text(a, y, x, lw, T_BAD, shown == 0 ? "Overdue" : "");
		ui_fmt(buf, sizeof buf, "%s, %d d late", ui_partner_id(a, lead), ds->days_late);
		int bw = (int)strlen(buf);
		ui_cell(a, y, x + lw, 6, 'l', T_HEAD, id);
		ui_cell(a, y, x + lw + 6, w - 6 - bw - 2, 'l', T_NORMAL, title);
		ui_text(a, y, x + lw + w - bw, bw, T_BAD, buf);
		y++;
		shown++;
	}
	if (st->noverdue > shown && y < r.y + r.h) {
		ui_text(a, y, x + lw, w, T_BAD, ui_fmt(buf, sizeof buf, "and %d more overdue (pane 2)", st->noverdue - shown));
		y++;
	}
	for (int i = 0; i < st->nupcoming && i < 2 && y < r.y + r.h; i++) {
		const struct due_ref *dr = &st->upcoming[i];
		const char *id, *title;
		const struct due_state *ds;
		int due;
		if (dr->kind == ITEM_DELIVERABLE) {
			id = p->deliverables[dr->index].id; title = p->deliverables[dr->index].title;
			due = p->deliverables[dr->index].due;
			ds = &st->deliverables[dr->index];
		} else {
			id = p->milestones[dr->index].id; title = p->milestones[dr->index].title;
			due = p->milestones[dr->index].due;
			ds = &st->milestones[dr->index];
		}
		ui_text(a, y, x, lw, T_HEAD, i == 0 ? "Next" : "");
		if (ds->days_left == 0)
			ui_fmt(buf, sizeof buf, "M%d %s, due today", due, date_format(ds->due_date, d));
		else
			ui_fmt(buf, sizeof buf, "M%d %s, in %d d", due, date_format(ds->due_date, d), ds->days_left);
		int bw = (int)strlen(buf);
		ui_cell(a, y, x + lw, 6, 'l', T_HEAD, id);
		ui_cell(a, y, x + lw + 6, w - 6 - bw - 2, 'l', T_NORMAL, title);
		ui_text(a, y, x + lw + w - bw, bw, ds->due_soon ? T_WARN : T_NORMAL, buf);
		y++;
	}
	if (p->ntargets && y < r.y + r.h) {
		struct sbuf b = {0};
		for (int i = 0; i < p->ntargets; i++) {
			const struct reach_state *rs = &st->reach[i];
			const char *unit = p->targets[i].unit ? p->targets[i].unit : p->targets[i].id;
			if (i)
				sbuf_puts(&b, a->ascii ? " - " : " \xc2\xb7 ");
			if (p->targets[i].kind == TARGET_COUNT)
				sbuf_printf(&b, "%s %ld/%ld (%.0f%%)", unit, rs->total, rs->target, rs->pct);
			else
				sbuf_printf(&b, "%s %ld/%ld", unit, rs->total, rs->target);
		}
		ui_text(a, y, x, lw, T_HEAD, "Reach");
		ui_text(a, y, x + lw, w, T_NORMAL, sbuf_str(&b));
		sbuf_free(&b);
		y++;
	}
	if (p->bench.present && p->bench.nclusters && y < r.y + r.h) {
		struct sbuf b = {0};
		for (int i = 0; i < p->bench.nclusters; i++) {
			const struct bench_state *bs = &st->bench[i];
			if (i)
				sbuf_puts(&b, a->ascii ? " - " : " \xc2\xb7 ");
			sbuf_printf(&b, "%s %s", ui_partner_id(a, p->bench.clusters[i].partner),
			            bs->label >= 0 ? p->bench.labels[bs->label] : "none");
		}
		ui_text(a, y, x, lw, T_HEAD, "Labels");
		ui_text(a, y, x + lw, w, T_NORMAL, sbuf_str(&b));
		sbuf_free(&b);
	}
}

static void wp_draw(struct app *a, struct pane *pn, struct rect r)
{
	struct wp_draw_ctx wc;
	wp_columns(wc.c, r.x, r.w);
	int n = wp_rows(a, NULL, 0);
	wc.v = xcalloc((size_t)(n > 0 ? n : 1), sizeof *wc.v);
	wp_rows(a, wc.v, n);
	columns_header(a, r.y, wc.c, NWC);
	int body = r.h - 1;
	/* Leave room for the summary on one-pane screens. */
	int want_summary = r.h >= 10;
	int list_h = body;
	if (want_summary && n + 7 <= body)
		list_h = n;
	else if (want_summary && body - 7 >= 5)
		list_h = body - 7;
	struct list_view v = {
		.y = r.y + 1, .h = list_h, .empty = "no work packages match the filter",
		.draw_row = wp_draw_row, .ctx = &wc,
	};
	int y = list_draw(a, pn, r, n, &v);
	if (want_summary)
		draw_summary(a, r, y + 1);
	free(wc.v);
}

const struct pane_ops pane_wp_ops = {
	.name = "wp",
	.title = "Work packages",
	.nrows = wp_nrows,
	.draw = wp_draw,
	.key = wp_key,
	.row_text = wp_row_text,
	.row_ref = wp_row_ref,
};
