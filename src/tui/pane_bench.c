/* pane_bench: the cluster benchmark. Per cluster its recorded label and its
 * target label, the indicators at or over threshold against all of them,
 * and what the top label still needs; below, the selected cluster by area.
 * Formatting only. */
#include "config.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>

#include "tui/tuiint.h"

static int bench_nrows(struct app *a, struct pane *pn)
{
	(void)pn;
	return a->t->p->bench.present ? a->t->p->bench.nclusters : 0;
}

static struct ref bench_row_ref(struct app *a, struct pane *pn, int row)
{
	struct ref r = {R_NONE, -1, 0};
	if (row >= 0 && row < bench_nrows(a, pn))
		r = (struct ref){R_CLUSTER, row, 0};
	return r;
}

static void bench_row_text(struct app *a, struct pane *pn, int row, struct sbuf *b)
{
	(void)pn;
	const struct bcluster *c = &a->t->p->bench.clusters[row];
	sbuf_printf(b, "%s %s", ui_partner_id(a, c->partner), c->name ? c->name : "");
}

static const char *label_name(const struct project *p, int i)
{
	return i >= 0 && i < p->bench.nlabels ? p->bench.labels[i] : "-";
}

static void bench_draw(struct app *a, struct pane *pn, struct rect r)
{
	const struct project *p = a->t->p;
	const struct benchmark *bm = &p->bench;
	if (!bm->present || bm->nclusters == 0) {
		ui_text(a, r.y, r.x + 2, r.w - 2, T_DIM, "the definition has no benchmark");
		return;
	}
	int n = bm->nclusters;
	const char *top = bm->nlabels ? bm->labels[bm->nlabels - 1] : "top";
	char buf[160];
	int nw = r.w - 58 > 30 ? 30 : r.w - 58 < 12 ? 12 : r.w - 58;
	int xid = r.x + 2, xname = xid + 9, xlab = xname + nw + 1, xtgt = xlab + 8, xat = xtgt + 8;
	int xbar = xat + 11, bw = 10, xneed = xbar + bw + 2;
	ui_cell(a, r.y, xid, 8, 'l', T_DIM, "Cluster");
	ui_cell(a, r.y, xname, nw, 'l', T_DIM, "");
	ui_cell(a, r.y, xlab, 7, 'l', T_DIM, "Label");
	ui_cell(a, r.y, xtgt, 7, 'l', T_DIM, "Target");
	ui_cell(a, r.y, xat, 10, 'l', T_DIM, "At thresh.");
	if (bm->pass_score >= 0)
		ui_fmt(buf, sizeof buf, "%s needs %.0f%%", top, bm->pass_score);
	else
		ui_fmt(buf, sizeof buf, "%s", top);
	ui_cell(a, r.y, xbar, r.x + r.w - xbar, 'l', T_DIM, buf);
	/* The areas of the selected cluster below the list, in two columns when
	 * wide, and only when the whole list still fits. */
	int aw = (r.w - 4) / 2 - 22;
	if (aw > 36)
		aw = 36;
	int acols = aw >= 20 ? 2 : 1;
	if (acols == 1)
		aw = r.w - 26 > 36 ? 36 : r.w - 26;
	int per = (a->st.nareas + acols - 1) / acols;
	int list_h = r.h - 1;
	int show_areas = a->st.nareas > 0 && n + per + 2 <= list_h;
	if (show_areas)
		list_h = n;
	pane_scroll_to(pn, n, list_h);
	int y = r.y + 1;
	for (int i = pn->top; i < n && y < r.y + 1 + list_h; i++, y++) {
		const struct bcluster *c = &bm->clusters[i];
		const struct bench_state *bs = &a->st.bench[i];
		int selected = i == pn->sel, focus = selected && a->cur == PANE_BENCH;
		pane_mark(pn, y - r.y, i);
		if (selected)
			ui_text(a, y, r.x, 2, focus ? T_ACCENT : T_DIM, ui_glyph(a, "\u25b6", ">"));
		ui_cella(a, y, xid, 8, 'l', ui_attr(a, T_HEAD) | (focus ? A_REVERSE : 0), ui_partner_id(a, c->partner));
		ui_cell(a, y, xname, nw, 'l', T_NORMAL, c->name ? c->name : p->partners[c->partner].name);
		/* The recorded label in capitals stands out in monochrome too. */
		char lab[32];
		snprintf(lab, sizeof lab, "%s", bs->label >= 0 ? label_name(p, bs->label) : "none");
		if (bs->label >= 0)
			for (char *q = lab; *q; q++)
				*q = (char)toupper((unsigned char)*q);
		ui_cell(a, y, xlab, 7, 'l', bs->label >= 0 ? T_DONE : T_DIM, lab);
		ui_cell(a, y, xtgt, 7, 'l', T_NORMAL, label_name(p, bs->target_label));
		if (bs->measured == 0) {
			ui_text(a, y, xat, r.x + r.w - xat, T_DIM, "not measured yet");
			continue;
		}
		ui_cell(a, y, xat, 10, 'l', T_NORMAL,
		        ui_fmt(buf, sizeof buf, "%d/%d %3.0f%%", bs->at_threshold, bm->nindicators, bs->share));
		enum tone tone = bs->top_needs == 0 ? T_DONE : bs->top_needs <= 3 ? T_GOOD : T_WARN;
		ui_bar(a, y, xbar, bw, bs->share, tone);
		if (bm->pass_score >= 0) {
			if (bs->top_needs == 0)
				ui_fmt(buf, sizeof buf, "meets %s", top);
			else
				ui_fmt(buf, sizeof buf, "%d more", bs->top_needs);
			ui_text(a, y, xneed, r.x + r.w - xneed, tone, buf);
		}
	}
	/* The selected cluster by area. */
	y++;
	if (!show_areas || pn->sel >= n)
		return;
	const struct bench_state *bs = &a->st.bench[pn->sel];
	ui_text(a, y++, r.x + 2, r.w - 2, T_HEAD,
	        ui_fmt(buf, sizeof buf, "%s by area (at or over threshold)",
	               ui_partner_id(a, bm->clusters[pn->sel].partner)));
	for (int k = 0; k < a->st.nareas; k++) {
		int col = k / per, row = k % per;
		int yy = y + row;
		if (yy >= r.y + r.h)
			continue;
		int x = r.x + 4 + col * (aw + 22);
		ui_cell(a, yy, x, aw, 'l', T_NORMAL, a->st.areas[k]);
		int at = bs->area_at ? bs->area_at[k] : 0, tot = bs->area_total ? bs->area_total[k] : 0;
		ui_cell(a, yy, x + aw + 1, 5, 'r', T_NORMAL, ui_fmt(buf, sizeof buf, "%d/%d", at, tot));
		ui_bar(a, yy, x + aw + 7, 10, bs->area_share ? bs->area_share[k] : 0, T_ACCENT);
	}
}

const struct pane_ops pane_bench_ops = {
	.name = "benchmarks",
	.title = "Benchmarks",
	.nrows = bench_nrows,
	.draw = bench_draw,
	.key = NULL,
	.row_text = bench_row_text,
	.row_ref = bench_row_ref,
};
