/* pane_timeline: a Gantt chart of the work packages (and the tasks of an
 * opened WP) over the project's months, under a year and month ruler.
 * Bars are solid up to the progress and shaded after it, coloured by state;
 * deliverables (▲) and milestones (◆) are marked in their due month; a │
 * line marks the date shown. Narrow screens scroll the months (←/→).
 * The baseline view (p) draws under a moved bar its months in the earlier
 * plan, dim, with the words ("was M4-M12"), marks what is new and lists
 * what the plan removed. */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "core/text.h"
#include "tui/app.h"

/* Are all tasks shown? When every WP and task fits, the chart opens them
 * all; otherwise only the WPs opened with Enter (shared with pane 1). */
static int tl_all(struct app *a, struct pane *pn)
{
	const struct project *p = a->t->p;
	return p->nwps + p->ntasks <= pn->r.h - 3;
}

static int tl_rows(struct app *a, struct pane *pn, struct ref *out, int max)
{
	return app_wp_rows(a, tl_all(a, pn), out, max);
}

static int tl_nrows(struct app *a, struct pane *pn)
{
	return tl_rows(a, pn, NULL, 0);
}

static struct ref tl_row_ref(struct app *a, struct pane *pn, int row)
{
	int n = tl_rows(a, pn, NULL, 0);
	struct ref r = {R_NONE, -1, 0};
	if (row < 0 || row >= n)
		return r;
	struct ref *v = xcalloc((size_t)n, sizeof *v);
	tl_rows(a, pn, v, n);
	r = v[row];
	free(v);
	return r;
}

static void tl_row_text(struct app *a, struct pane *pn, int row, struct sbuf *b)
{
	struct ref r = tl_row_ref(a, pn, row);
	const struct project *p = a->t->p;
	if (r.kind == R_WP)
		sbuf_printf(b, "%s %s", p->wps[r.index].id, p->wps[r.index].title);
	else if (r.kind == R_TASK)
		sbuf_printf(b, "%s %s", p->tasks[r.index].id, p->tasks[r.index].title);
}

/* Geometry: label column, month cell width, first month shown. */
struct tlgeo {
	int lw, cw, first, shown, x0;
};

static struct tlgeo tl_geo(struct app *a, struct pane *pn, struct rect r)
{
	struct tlgeo g;
	int nm = a->t->p->nmonths > 0 ? a->t->p->nmonths : 1;
	g.lw = r.w >= 160 ? 44 : r.w >= 120 ? 32 : r.w >= 90 ? 26 : 20;
	int room = r.w - g.lw - 1 - 9;
	g.cw = room / nm;
	if (g.cw > 4)
		g.cw = 4;
	if (g.cw < 2) {
		g.cw = 2;
		room = r.w - g.lw - 1;
	}
	g.shown = room / g.cw;
	if (g.shown > nm)
		g.shown = nm;
	if (g.shown < 1)
		g.shown = 1;
	if (pn->hscroll > nm - g.shown)
		pn->hscroll = nm - g.shown;
	if (pn->hscroll < 0)
		pn->hscroll = 0;
	g.first = pn->hscroll;
	g.x0 = r.x + g.lw + 1;
	return g;
}

static int tl_key(struct app *a, struct pane *pn, int action)
{
	if (action == ACT_LEFT || action == ACT_RIGHT) {
		pn->hscroll += action == ACT_LEFT ? -3 : 3;
		if (pn->hscroll < 0)
			pn->hscroll = 0;
		if (pn->hscroll > a->t->p->nmonths - 1)
			pn->hscroll = a->t->p->nmonths - 1;
		return 1;
	}
	if (action != ACT_ENTER)
		return 0;
	struct ref r = tl_row_ref(a, pn, pn->sel);
	if (r.kind != R_WP || a->t->p->wps[r.index].ntasks == 0 || tl_all(a, pn))
		return 0;
	a->expanded[r.index] = !a->expanded[r.index];
	return 1;
}

/* Screen column of month m (1-based), or -1 when not shown. */
static int mcol(const struct tlgeo *g, int m)
{
	int k = m - 1 - g->first;
	if (k < 0 || k >= g->shown)
		return -1;
	return g->x0 + k * g->cw;
}

/* A deliverable or milestone mark at the end of month m; on the as-of
 * line it takes the line's colour, so the line stays unbroken. */
static void put_mark(struct app *a, const struct tlgeo *g, int y, int m, const char *glyph, enum tone t, int asof_x)
{
	int x = mcol(g, m);
	if (x >= 0)
		ui_text(a, y, x + g->cw - 1, 1, x + g->cw - 1 == asof_x ? T_ASOF : t, glyph);
}

/* An earlier plan's months on line y, dim. */
static void ghost(struct app *a, const struct tlgeo *g, int y, int start, int end)
{
	for (int m = start; m <= end; m++) {
		int x = mcol(g, m);
		for (int c = 0; x >= 0 && c < g->cw; c++)
			ui_text(a, y, x + c, 1, T_DIM, ui_glyph(a, "\u2594", "="));
	}
}

struct tl_draw_ctx {
	struct ref *v;
	const struct tlgeo *g;
	int asof_m, asof_x;     /* the month shown and its line's column (-1: none) */
	struct rect r;
};

static int tl_draw_row(struct app *a, struct pane *pn, void *ctx, const struct list_row *row, int lines_left)
{
	(void)pn;
	(void)lines_left;
	const struct tl_draw_ctx *tc = ctx;
	const struct project *p = a->t->p;
	const struct tlgeo *g = tc->g;
	struct rect r = tc->r;
	int y = row->y, asof_m = tc->asof_m, asof_x = tc->asof_x;
	struct ref rf = tc->v[row->index];
	int start, end, progress, wpi;
	enum dstate s;
	char label[160];
	if (rf.kind == R_WP) {
		const struct wp *w = &p->wps[rf.index];
		start = w->start; end = w->end; wpi = rf.index;
		progress = a->st.wps[rf.index].progress;
		s = a->st.wps[rf.index].state;
		snprintf(label, sizeof label, "%s %s", w->id, w->title);
	} else {
		const struct task *t = &p->tasks[rf.index];
		start = t->start; end = t->end; wpi = -1;
		progress = a->st.tasks[rf.index].progress;
		s = a->st.tasks[rf.index].state;
		snprintf(label, sizeof label, "  %s %s", t->id, t->title);
	}
	ui_cella(a, y, r.x + 1, g->lw - 1, 'l',
	         ui_attr(a, rf.kind == R_WP ? T_HEAD : T_NORMAL) | row->sel, label);
	int span = (end - start + 1) * g->cw;
	int solid = (int)((double)progress / 100.0 * span + 0.5);
	/* The bar's cells, the done part and the rest each drawn as one run
	 * of glyphs (a call a cell was most of drawing the pane); a cell at a
	 * time where the glyphs are not characters of the locale, as curses
	 * then shows their bytes. */
	const char *glyph[2] = {ui_glyph(a, "\u2591", "-"), ui_glyph(a, "\u2588", "#")};
	int merge = a->ascii || !text_locale_ascii();
	struct sbuf run = {0};
	int run_x = 0, run_n = 0, run_solid = 0;
	for (int m = start; m <= end + 1; m++) {
		int x = m <= end ? mcol(g, m) : -1;
		for (int c = 0; c < (x < 0 ? 1 : g->cw); c++) {
			int is = x >= 0 && (m - start) * g->cw + c < solid;
			if (run_n && (!merge || x < 0 || x + c != run_x + run_n || is != run_solid)) {
				ui_text(a, y, run_x, run_n, ui_state_tone(s), sbuf_str(&run));
				run.len = 0;
				run_n = 0;
			}
			if (x < 0)
				break;
			if (!run_n) {
				run_x = x + c;
				run_solid = is;
			}
			sbuf_puts(&run, glyph[is]);
			run_n++;
		}
	}
	sbuf_free(&run);
	/* The as-of line, over the bar too (in the as-of colour there), so
	 * the date shown is always visible; marks stay on top. */
	if (asof_x >= 0) {
		if (asof_m >= start && asof_m <= end)
			ui_text(a, y, asof_x, 1, T_ASOF, ui_glyph(a, "\u2503", "|"));
		else
			ui_text(a, y, asof_x, 1, T_ACCENT, ui_glyph(a, "\u2502", "|"));
	}
	if (wpi >= 0 && a->pv.view) {
		/* The baseline's due months of what moved, dim, under the marks. */
		for (int k = 0; k < p->ndeliverables; k++) {
			const struct baseline_mark *dm = plan_mark(a, R_DELIV, k, 1);
			if (p->deliverables[k].wp == wpi && dm && dm->moved)
				put_mark(a, g, y, dm->was_due, ui_glyph(a, "\u25b3", "^"), T_DIM, asof_x);
		}
		for (int k = 0; k < p->nmilestones; k++) {
			const struct baseline_mark *mm = plan_mark(a, R_MS, k, 1);
			if (mm && mm->moved && p->milestones[k].nwps && p->milestones[k].wps[0] == wpi)
				put_mark(a, g, y, mm->was_due, ui_glyph(a, "\u25c7", "*"), T_DIM, asof_x);
		}
	}
	if (wpi >= 0) {
		for (int k = 0; k < p->ndeliverables; k++)
			if (p->deliverables[k].wp == wpi) {
				const struct due_state *ds = &a->st.deliverables[k];
				put_mark(a, g, y, p->deliverables[k].due, ui_glyph(a, "\u25b2", "^"),
				         ds->overdue ? T_BAD : ds->done ? T_DONE : T_ACCENT, asof_x);
			}
		for (int k = 0; k < p->nmilestones; k++)
			for (int j = 0; j < p->milestones[k].nwps; j++)
				if (p->milestones[k].wps[j] == wpi) {
					const struct due_state *ds = &a->st.milestones[k];
					put_mark(a, g, y, p->milestones[k].due, ui_glyph(a, "\u25c6", "*"),
					         ds->overdue ? T_BAD : ds->done ? T_DONE : T_ACCENT, asof_x);
				}
	}
	int xs = g->x0 + g->shown * g->cw + 1;
	const struct baseline_mark *bm = plan_mark(a, rf.kind, rf.index, 1);
	char was[40];
	if (xs + 4 < r.x + r.w) {
		int w = ui_text(a, y, xs, r.x + r.w - xs, ui_state_tone(s), derive_word(s));
		if (bm && bm->added)
			ui_text(a, y, xs + w + 1, r.x + r.w - xs - w - 1, T_WARN, "new");
	}
	if (!bm || !bm->moved || lines_left < 2)
		return 1;
	/* The ghost: the earlier plan's months on the line below. */
	ghost(a, g, y + 1, bm->was_start, bm->was_end);
	ui_text(a, y + 1, r.x + 1, g->lw - 1, T_DIM, rf.kind == R_WP ? "  as planned before" : "    as planned before");
	if (xs + 4 < r.x + r.w)
		ui_text(a, y + 1, xs, r.x + r.w - xs, T_WARN, derive_range_words(bm, was, sizeof was));
	return 2;
}

static void tl_draw(struct app *a, struct pane *pn, struct rect r)
{
	const struct project *p = a->t->p;
	struct tlgeo g = tl_geo(a, pn, r);
	char buf[64];
	static const char initials[] = "JFMAMJJASOND";
	int sy, sm, sd;
	date_to_ymd(p->start, &sy, &sm, &sd);
	/* The ruler: years, then month initials; the shown month in reverse. */
	int asof_m = project_month_of(p, a->asof);
	for (int k = 0; k < g.shown; k++) {
		int m = g.first + k + 1;
		int mon0 = (sm - 1 + m - 1) % 12, year = sy + (sm - 1 + m - 1) / 12;
		int x = g.x0 + k * g.cw;
		if (k == 0 || mon0 == 0) {
			ui_fmt(buf, sizeof buf, "%d", year);
			ui_text(a, r.y, x, r.x + r.w - x, T_HEAD, buf);
		}
		char ini[4] = {initials[mon0], 0};
		ui_text(a, r.y + 1, x, 1, m == asof_m ? T_ASOF : T_DIM, ini);
	}
	if (g.first > 0)
		ui_text(a, r.y + 1, g.x0 - 2, 1, T_ACCENT, ui_glyph(a, "\u25c2", "<"));
	if (g.first + g.shown < p->nmonths)
		ui_text(a, r.y + 1, g.x0 + g.shown * g.cw, 1, T_ACCENT, ui_glyph(a, "\u25b8", ">"));
	ui_text(a, r.y + 1, r.x + 2, g.lw - 2, T_DIM, "Months");

	int n = tl_rows(a, pn, NULL, 0);
	struct ref *v = xcalloc((size_t)(n > 0 ? n : 1), sizeof *v);
	tl_rows(a, pn, v, n);
	int list_h = r.h - 3;
	if (list_h < 1)
		list_h = 1;
	/* Where the as-of line goes inside its month cell. */
	int asof_x = -1;
	if (asof_m >= 1 && asof_m <= p->nmonths) {
		int x = mcol(&g, asof_m);
		if (x >= 0) {
			int y, mo, d;
			date_to_ymd(a->asof, &y, &mo, &d);
			int dim = date_days_in_month(y, mo);
			asof_x = x + (d * g.cw - 1) / dim;
		}
	}
	/* A mark over the date shown, where the year labels leave room. */
	if (asof_x >= 0) {
		cchar_t cc;
		wchar_t wc[CCHARW_MAX + 1];
		attr_t at;
		short pair;
		int free_cell = 1;
		for (int dx = -1; dx <= 1 && free_cell; dx++) {
			if (mvwin_wch(ui_window(), r.y, asof_x + dx, &cc) == ERR || getcchar(&cc, wc, &at, &pair, NULL) == ERR)
				continue;
			if (wc[0] != L' ')
				free_cell = 0;
		}
		if (free_cell)
			ui_text(a, r.y, asof_x, 1, T_ACCENT, ui_glyph(a, "\u25bc", "v"));
	}
	struct tl_draw_ctx tc = {.v = v, .g = &g, .asof_m = asof_m, .asof_x = asof_x, .r = r};
	struct list_view lv = {.y = r.y + 2, .h = list_h, .draw_row = tl_draw_row, .ctx = &tc};
	if (a->pv.view) {
		/* Rows may take two lines: keep the selection within half. */
		pane_scroll_to(pn, n, list_h / 2);
		lv.scrolled = 1;
	}
	int y = list_draw(a, pn, r, n, &lv);
	free(v);
	/* What the plan removed, under the rows while there is room. */
	const struct baseline *bl = a->pv.view ? &a->pv.vmarks : NULL;
	for (int i = 0; bl && i < bl->nremoved && y < r.y + r.h - 1; i++) {
		const struct baseline_removed *x = &bl->removed[i];
		if (x->kind != ITEM_WP && x->kind != ITEM_TASK)
			continue;
		char label[160];
		snprintf(label, sizeof label, "%s%s %s", x->kind == ITEM_TASK ? "  " : "", x->id, x->title);
		ui_text(a, y, r.x + 1, g.lw - 1, T_DIM, label);
		ghost(a, &g, y, x->start, x->end);
		int xs = g.x0 + g.shown * g.cw + 1;
		if (xs + 4 < r.x + r.w) {
			snprintf(label, sizeof label, "removed (was M%d-M%d)", x->start, x->end);
			ui_text(a, y, xs, r.x + r.w - xs, T_DIM, label);
		}
		y++;
	}
	/* The legend. */
	int ly = r.y + r.h - 1;
	if (ly > y) {
		char d[16];
		struct sbuf b = {0};
		if (a->ascii)
			sbuf_printf(&b, "# done  - to do  ^ deliverable  * milestone  | %s", date_format(a->asof, d));
		else
			sbuf_printf(&b, "\u2588 done  \u2591 to do  \u25b2 deliverable  \u25c6 milestone  \u2502 %s",
			            date_format(a->asof, d));
		if (g.shown < p->nmonths)
			sbuf_puts(&b, a->ascii ? "  h/l scroll" : "  \u2190\u2192 scroll");
		if (a->pv.view) {
			char l[128];
			sbuf_printf(&b, "  %s%s baseline %s", a->ascii ? "=" : "\u2594", a->ascii ? "" : " \u25b3",
			            plan_view_label(a, l, sizeof l));
		}
		ui_text(a, ly, r.x + 2, r.w - 2, T_DIM, sbuf_str(&b));
		sbuf_free(&b);
	}
}

const struct pane_ops pane_timeline_ops = {
	.name = "timeline",
	.title = "Timeline",
	.nrows = tl_nrows,
	.draw = tl_draw,
	.key = tl_key,
	.row_text = tl_row_text,
	.row_ref = tl_row_ref,
};
