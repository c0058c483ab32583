/* pane_bench: the cluster benchmark. Per cluster its recorded label and its
 * target label, the indicators at or over threshold against all of them,
 * and what its goal label (its target, or the next one up) still needs; below, the selected cluster by area.
 * Formatting only. */
#include "config.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>

#include "core/derive.h"
#include "core/text.h"
#include "tui/app.h"

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

/* Does untrusted text s fit in w columns once sanitized? */
static int fits(const struct app *a, const char *s, int w)
{
	char *clean = text_sanitize(s, a->flags);
	int ok = text_width(clean) <= w;
	free(clean);
	return ok;
}

enum { BC_ID, BC_NAME, BC_LABEL, BC_TARGET, BC_AT, BC_BAR, BC_NEED, NBC };

struct bench_draw_ctx {
	struct column c[NBC];
	const char *top;        /* the top label */
};

static int bench_draw_row(struct app *a, struct pane *pn, void *ctx, const struct list_row *row, int lines_left)
{
	(void)pn;
	(void)lines_left;
	const struct bench_draw_ctx *bc = ctx;
	const struct column *c = bc->c;
	const struct project *p = a->t->p;
	const struct benchmark *bm = &p->bench;
	const struct bcluster *cl = &bm->clusters[row->index];
	const struct bench_state *bs = &a->st.bench[row->index];
	int y = row->y;
	char buf[160];
	ui_cella(a, y, c[BC_ID].x, c[BC_ID].w, 'l', ui_attr(a, T_HEAD) | row->sel, ui_partner_id(a, cl->partner));
	ui_cell(a, y, c[BC_NAME].x, c[BC_NAME].w, 'l', T_NORMAL, cl->name ? cl->name : p->partners[cl->partner].name);
	/* The recorded label in capitals stands out in monochrome too. */
	char lab[32];
	snprintf(lab, sizeof lab, "%s", bs->label >= 0 ? label_name(p, bs->label) : "none");
	if (bs->label >= 0)
		for (char *q = lab; *q; q++)
			*q = (char)toupper((unsigned char)*q);
	ui_cell(a, y, c[BC_LABEL].x, c[BC_LABEL].w, 'l', bs->label >= 0 ? T_DONE : T_DIM, lab);
	ui_cell(a, y, c[BC_TARGET].x, c[BC_TARGET].w, 'l', T_NORMAL, label_name(p, bs->target_label));
	int xend = c[BC_NEED].x + c[BC_NEED].w;
	if (bs->measured == 0) {
		ui_text(a, y, c[BC_AT].x, xend - c[BC_AT].x, T_DIM, "not measured yet");
		return 1;
	}
	ui_cell(a, y, c[BC_AT].x, c[BC_AT].w, 'l', T_NORMAL,
	        ui_fmt(buf, sizeof buf, "%d/%d %3.0f%%", bs->at_threshold, bm->nindicators, bs->share));
	enum tone tone = bs->goal_needs == 0 ? T_DONE : bs->goal_needs <= 3 ? T_GOOD : T_WARN;
	ui_bar(a, y, c[BC_BAR].x, c[BC_BAR].w, bs->share, tone);
	/* What the cluster's goal label needs; shorter when the room is narrow. */
	if (bs->goal_label >= 0) {
		const char *goal = bm->labels[bs->goal_label];
		derive_goal_words(bm, bs, buf, sizeof buf);
		if (!fits(a, buf, c[BC_NEED].w))
			ui_fmt(buf, sizeof buf, bs->goal_needs ? "%s: %d more" : "has %s", goal, bs->goal_needs);
		/* The goal's name stays: the header over the bar speaks of the top
		 * label, so "1 more" alone would read as the top label's need. */
		if (!fits(a, buf, c[BC_NEED].w))
			ui_fmt(buf, sizeof buf, bs->goal_needs ? "%s +%d" : "%s ok", goal, bs->goal_needs);
		if (!fits(a, buf, c[BC_NEED].w))
			ui_fmt(buf, sizeof buf, bs->goal_needs ? "+%d" : "ok", bs->goal_needs);
		ui_text(a, y, c[BC_NEED].x, c[BC_NEED].w, tone, buf);
	}
	return 1;
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
	char buf[160];
	/* The name gives way first, so that the goal keeps its label. */
	int nw = r.w - 62 > 30 ? 30 : r.w - 62 < 12 ? 12 : r.w - 62;
	struct bench_draw_ctx bc = {
		.c = {
			[BC_ID] = {"Cluster", 8, 1, 0},
			[BC_NAME] = {"", nw, 1, 0},
			[BC_LABEL] = {"Label", 7, 1, 0},
			[BC_TARGET] = {"Target", 7, 1, 0},
			[BC_AT] = {"At thresh.", 10, 1, 0},
			[BC_BAR] = {NULL, 10, 2, 0},
			[BC_NEED] = {NULL, -1, 0, 0},
		},
		.top = bm->nlabels ? bm->labels[bm->nlabels - 1] : "top",
	};
	columns_place(bc.c, NBC, r.x + 2, r.x + r.w);
	columns_header(a, r.y, bc.c, NBC);
	/* Over the bar and what the top label needs. */
	if (bm->pass_score >= 0)
		ui_fmt(buf, sizeof buf, "%s needs %.0f%%", bc.top, bm->pass_score);
	else
		ui_fmt(buf, sizeof buf, "%s", bc.top);
	int xbar = bc.c[BC_BAR].x;
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
	struct list_view v = {.y = r.y + 1, .h = list_h, .draw_row = bench_draw_row, .ctx = &bc};
	int y = list_draw(a, pn, r, n, &v);
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
