/* pane_wp: work packages, each with lead, months, a progress bar, percent
 * and its state word; Enter opens a WP into its tasks. On a tall enough
 * screen a summary follows: what is overdue, what is due next, the reach.
 * Formatting only: every number comes from derive's state. */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "tui/tuiint.h"

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

/* Column layout shared by the header and the rows (x offsets). */
struct wpcols {
	int id, title, tw, lead, lw, months, bar, bw, pct, state;
};

static struct wpcols wp_layout(int w)
{
	struct wpcols c;
	c.bw = w >= 120 ? 20 : w >= 90 ? 12 : 10;
	c.lw = w >= 72 ? 8 : 0;
	int fixed = 2 + 6 + 1 + (c.lw ? c.lw + 1 : 0) + 6 + 1 + c.bw + 5 + 1 + 8;
	c.tw = w - fixed;
	if (c.tw > 48)
		c.tw = 48;
	if (c.tw < 8)
		c.tw = 8;
	c.id = 2;
	c.title = c.id + 6;
	c.lead = c.title + c.tw + 1;
	c.months = c.lead + (c.lw ? c.lw + 1 : 0);
	c.bar = c.months + 7;
	c.pct = c.bar + c.bw;
	c.state = c.pct + 6;
	return c;
}

static void draw_row(struct app *a, struct pane *pn, struct rect r, int y, struct ref ref, int selected,
                     struct wpcols c)
{
	const struct project *p = a->t->p;
	char buf[64];
	int focus = selected && (a->cur == PANE_WP);
	int x = r.x;
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
	if (selected)
		ui_text(a, y, x, 1, focus ? T_ACCENT : T_DIM, ui_glyph(a, "\u25b6", ">"));
	attr_t sel = focus ? A_REVERSE : 0;
	if (ref.kind == R_WP) {
		int has = p->wps[ref.index].ntasks > 0;
		const char *mark = !has ? " " : (a->expanded[ref.index] || wp_all(a, pn)) ? ui_glyph(a, "\u25be", "-") : ui_glyph(a, "\u25b8", "+");
		ui_texta(a, y, x + 1, 1, ui_attr(a, T_DIM), mark);
		ui_cella(a, y, x + c.id, 6, 'l', ui_attr(a, T_HEAD) | sel, id);
		ui_cella(a, y, x + c.title, c.tw, 'l', ui_attr(a, T_NORMAL) | A_BOLD | sel, title);
	} else {
		char tt[300];
		ui_fmt(tt, sizeof tt, "  %s", title);
		ui_cella(a, y, x + c.id, 6, 'l', ui_attr(a, T_NORMAL) | sel, id);
		ui_cella(a, y, x + c.title, c.tw, 'l', ui_attr(a, T_NORMAL) | sel, tt);
	}
	if (c.lw)
		ui_cell(a, y, x + c.lead, c.lw, 'l', T_NORMAL, ui_partner_id(a, lead));
	ui_cell(a, y, x + c.months, 6, 'l', T_DIM, ui_fmt(buf, sizeof buf, "%d-%d", start, end));
	ui_bar(a, y, x + c.bar, c.bw, progress, ui_state_tone(s));
	ui_cell(a, y, x + c.pct, 5, 'r', T_NORMAL, ui_fmt(buf, sizeof buf, "%d%%", progress));
	ui_cell(a, y, x + c.state, r.w - c.state, 'l', ui_state_tone(s), word);
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
	struct wpcols c = wp_layout(r.w);
	int n = wp_rows(a, NULL, 0);
	struct ref *v = xcalloc((size_t)(n > 0 ? n : 1), sizeof *v);
	wp_rows(a, v, n);
	/* Header line. */
	ui_cell(a, r.y, r.x + c.id, 6, 'l', T_DIM, "WP");
	ui_cell(a, r.y, r.x + c.title, c.tw, 'l', T_DIM, "Title");
	if (c.lw)
		ui_cell(a, r.y, r.x + c.lead, c.lw, 'l', T_DIM, "Lead");
	ui_cell(a, r.y, r.x + c.months, 6, 'l', T_DIM, "Months");
	ui_cell(a, r.y, r.x + c.bar, c.bw, 'l', T_DIM, "Progress");
	ui_cell(a, r.y, r.x + c.state, r.w - c.state, 'l', T_DIM, "State");
	int body = r.h - 1;
	/* Leave room for the summary on one-pane screens. */
	int want_summary = r.h >= 10;
	int list_h = body;
	if (want_summary && n + 7 <= body)
		list_h = n;
	else if (want_summary && body - 7 >= 5)
		list_h = body - 7;
	pane_scroll_to(pn, n, list_h);
	int y = r.y + 1;
	for (int i = pn->top; i < n && y < r.y + 1 + list_h; i++, y++) {
		pane_mark(pn, y - r.y, i);
		draw_row(a, pn, r, y, v[i], i == pn->sel, c);
	}
	if (n == 0)
		ui_text(a, y++, r.x + 2, r.w - 2, T_DIM, "no work packages match the filter");
	if (want_summary)
		draw_summary(a, r, y + 1);
	free(v);
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
