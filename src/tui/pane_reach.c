/* pane_reach: every reach target as a gauge ("168 / 227  74%"), its monthly
 * cumulative trend as a sparkline over the project's months, the projection
 * to the end and the pace needed, and the breakdown by partner; a distinct
 * target (Member States) lists its values. Formatting only. */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "core/text.h"
#include "tui/app.h"

static int reach_nrows(struct app *a, struct pane *pn)
{
	(void)pn;
	return a->t->p->ntargets;
}

static struct ref reach_row_ref(struct app *a, struct pane *pn, int row)
{
	(void)pn;
	struct ref r = {R_NONE, -1, 0};
	if (row >= 0 && row < a->t->p->ntargets)
		r = (struct ref){R_TARGET, row, 0};
	return r;
}

static void reach_row_text(struct app *a, struct pane *pn, int row, struct sbuf *b)
{
	(void)pn;
	const struct target *t = &a->t->p->targets[row];
	sbuf_printf(b, "%s %s %s", t->id, t->title, t->unit ? t->unit : "");
}

/* Lines a target takes, with the blank line after it when gap. */
static int block_lines(const struct app *a, int i, int gap)
{
	return (a->t->p->targets[i].kind == TARGET_DISTINCT ? 4 : 3) + (a->st.reach[i].split_excess > 0) + gap;
}

/* "LITC 61 · ITL 48 · ..." largest first. */
static void by_partner(const struct app *a, const struct reach_state *rs, struct sbuf *b)
{
	const struct project *p = a->t->p;
	int *order = xcalloc((size_t)(p->npartners > 0 ? p->npartners : 1), sizeof *order);
	for (int i = 0; i < p->npartners; i++)
		order[i] = i;
	for (int i = 1; i < p->npartners; i++)
		for (int j = i; j > 0 && rs->by_partner[order[j]] > rs->by_partner[order[j - 1]]; j--) {
			int t = order[j];
			order[j] = order[j - 1];
			order[j - 1] = t;
		}
	int fp = app_filter_partner(a);
	for (int i = 0; i < p->npartners; i++) {
		int k = order[i];
		if (i)
			sbuf_puts(b, a->ascii ? "  " : " \xc2\xb7 ");
		sbuf_printf(b, k == fp ? "[%s %ld]" : "%s %ld", p->partners[k].id, rs->by_partner[k]);
	}
	free(order);
}

/* The total's and the percentage's columns after the bar. */
enum { REACH_NUMW = 13, REACH_PCTW = 5 };

struct reach_draw_ctx {
	struct rect r;
	int tw, bw;             /* the title's and the bar's widths */
};

/* A target's block: its title, bar and total; the trend and the pace; the
 * values of a distinct target; the shares by partner. */
static int reach_draw_row(struct app *a, struct pane *pn, void *ctx, const struct list_row *row, int lines_left)
{
	(void)pn;
	const struct reach_draw_ctx *rc = ctx;
	const struct project *p = a->t->p;
	struct rect r = rc->r;
	int y = row->y, end = row->y + lines_left;
	int numw = REACH_NUMW, pctw = REACH_PCTW;
	char buf[200];
	char r1[32], r2[128];
	const struct target *t = &p->targets[row->index];
	const struct reach_state *rs = &a->st.reach[row->index];
	enum tone tone = rs->met ? T_DONE : rs->on_pace ? T_GOOD : T_WARN;
	ui_cella(a, y, r.x + 2, rc->tw, 'l', ui_attr(a, T_TITLE) | A_BOLD | row->sel, t->title);
	int x = r.x + 2 + rc->tw + 1;
	if (rc->bw >= 4)
		ui_bar(a, y, x, rc->bw, rs->pct, tone);
	x += rc->bw > 0 ? rc->bw + 1 : 0;
	ui_cell(a, y, x, numw, 'r', T_NORMAL, ui_fmt(buf, sizeof buf, "%ld / %ld", rs->total, rs->target));
	ui_cell(a, y, x + numw, pctw, 'r', tone, ui_fmt(buf, sizeof buf, "%.0f%%", rs->pct));
	y++;
	if (y >= end)
		return y - row->y;
	/* The trend and the pace. */
	ui_text(a, y, r.x + 4, 10, T_DIM, "by month");
	long max = rs->target;
	for (int m = 0; m < p->nmonths; m++)
		if (rs->by_month && rs->by_month[m] > max)
			max = rs->by_month[m];
	int sw = p->nmonths;
	ui_spark(a, y, r.x + 15, sw, rs->by_month, p->nmonths, max, tone);
	int px = r.x + 15 + sw + 2;
	if (rs->met)
		ui_fmt(buf, sizeof buf, "target met");
	else if (rs->on_pace)
		ui_fmt(buf, sizeof buf, "on pace: %s%.0f by M%d, %s a month", a->ascii ? "~" : "\u2248",
		       rs->projection, p->nmonths, text_rate(rs->per_month, r1));
	else if (rs->need == REACH_NEED_PER_MONTH)
		ui_fmt(buf, sizeof buf, "%s, has %s", derive_pace_words(&a->st, row->index, r2, sizeof r2),
		       text_rate(rs->per_month, r1));
	else
		ui_fmt(buf, sizeof buf, "%s", derive_pace_words(&a->st, row->index, r2, sizeof r2));
	ui_text(a, y, px, r.x + r.w - px, rs->met ? T_DONE : rs->on_pace ? T_GOOD : T_WARN, buf);
	y++;
	if (t->kind == TARGET_DISTINCT && y < end) {
			struct sbuf b = {0};
		const struct reach_fact *rf = &a->f.targets[row->index];
		for (int k = 0; k < rf->nvalues; k++) {
			if (k)
				sbuf_putc(&b, ' ');
			sbuf_puts(&b, rf->values[k]);
		}
		ui_text(a, y, r.x + 4, 10, T_DIM, "values");
		ui_text(a, y, r.x + 15, r.w - 15, T_NORMAL, b.len ? sbuf_str(&b) : "none recorded yet");
		sbuf_free(&b);
		y++;
	}
	if (y < end) {
			struct sbuf b = {0};
		by_partner(a, rs, &b);
		ui_text(a, y, r.x + 4, 10, T_DIM, "by partner");
		ui_text(a, y, r.x + 15, r.w - 15, T_NORMAL, sbuf_str(&b));
		sbuf_free(&b);
		y++;
	}
	/* A value credited to several partners: the split adds up to more. */
	if (rs->split_excess > 0 && y < end) {
		derive_split_words(rs, 0, r2, sizeof r2);
		if (text_width(r2) > r.w - 15)
			derive_split_words(rs, 1, r2, sizeof r2);
		if (text_width(r2) > r.w - 15)
			snprintf(r2, sizeof r2, "%ld shared", rs->split_excess);
		if (text_width(r2) <= r.w - 15)
			ui_text(a, y, r.x + 15, r.w - 15, T_DIM, r2);
		y++;
	}
	return y - row->y;
}

static void reach_draw(struct app *a, struct pane *pn, struct rect r)
{
	const struct project *p = a->t->p;
	int n = p->ntargets;
	if (n == 0) {
		ui_text(a, r.y, r.x + 2, r.w - 2, T_DIM, "the definition has no reach targets");
		return;
	}
	pane_scroll_to(pn, n, 1);
	int all = 0;
	for (int i = 0; i < n; i++)
		all += block_lines(a, i, 1);
	int gap = all - 1 <= r.h;
	/* Make sure the selected block fits below top. */
	if (pn->sel < pn->top)
		pn->top = pn->sel;
	for (;;) {
		int h = 0;
		for (int i = pn->top; i <= pn->sel; i++)
			h += block_lines(a, i, gap);
		if (h <= r.h || pn->top == pn->sel)
			break;
		pn->top++;
	}
	int numw = REACH_NUMW, pctw = REACH_PCTW;
	int tw = 0;
	for (int i = 0; i < n; i++) {
		char *c = text_sanitize(p->targets[i].title, a->flags);
		int w = text_width(c);
		free(c);
		if (w > tw)
			tw = w;
	}
	int maxtw = r.w - 2 - 1 - numw - pctw - 1 - 12;
	if (tw > maxtw)
		tw = maxtw;
	if (tw > 46)
		tw = 46;
	int bw = r.w - 2 - tw - 1 - numw - pctw - 1;
	if (bw > 40)
		bw = 40;
	struct reach_draw_ctx rc = {.r = r, .tw = tw, .bw = bw};
	struct list_view v = {.y = r.y, .h = r.h, .gap = gap, .scrolled = 1, .draw_row = reach_draw_row, .ctx = &rc};
	list_draw(a, pn, r, n, &v);
}

const struct pane_ops pane_reach_ops = {
	.name = "reach",
	.title = "Reach",
	.nrows = reach_nrows,
	.draw = reach_draw,
	.key = NULL,
	.row_text = reach_row_text,
	.row_ref = reach_row_ref,
};
