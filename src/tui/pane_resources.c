/* pane_resources: the use of resources. A row per partner: per work package
 * the person-months spent against planned and the share, the total, and in
 * words what is flagged ("over on WP3"); below, the totals per WP, the
 * money spent per WP (where costs name WPs), the costs by category, the
 * budget (the filtered partner's, said so), and the selected cell's months
 * (← → pick the WP; Enter opens its details). A header that does not fit
 * is shortened by choice or left out, never cut inside a word.
 * Formatting only: every number is derive's (res_derive). */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "core/resources.h"
#include "core/text.h"
#include "tui/app.h"

/* With a partner filter (or mine) the pane shows that partner's row only. */
static int res_partner_at(const struct app *a, int row)
{
	int fp = app_filter_partner(a);
	return fp >= 0 ? fp : row;
}

static int res_nrows(struct app *a, struct pane *pn)
{
	(void)pn;
	if (!a->st.res.present)
		return 0;
	return app_filter_partner(a) >= 0 ? 1 : a->t->p->npartners;
}

/* Enter: the details of the row's partner x the selected WP. */
static struct ref res_row_ref(struct app *a, struct pane *pn, int row)
{
	if (row < 0 || row >= res_nrows(a, pn) || a->t->p->nwps == 0)
		return (struct ref){R_NONE, row, 0};
	int wi = pn->hscroll < 0 ? 0 : pn->hscroll >= a->t->p->nwps ? a->t->p->nwps - 1 : pn->hscroll;
	return (struct ref){R_RES, res_partner_at(a, row), wi};
}

static void res_row_text(struct app *a, struct pane *pn, int row, struct sbuf *b)
{
	(void)pn;
	const struct partner *pa = &a->t->p->partners[res_partner_at(a, row)];
	sbuf_printf(b, "%s %s", pa->id, pa->name ? pa->name : "");
}

static enum tone flag_tone(enum res_flag f)
{
	return f == RES_FLAG_OVER ? T_BAD : f == RES_FLAG_UNDER ? T_WARN : T_NORMAL;
}

struct res_ctx {
	int xid, wid, x0, cw, xtot, tw, xwords, xend;
	int wide;               /* room for the share beside spent/planned */
	int selwp;
};

/* "6.07/8.50 72%" (or without the share when narrow), "-" with nothing. */
static void cell(const struct app *a, const struct res_ctx *c, int y, int x, int w,
                 const struct res_row *r, int selected)
{
	char s1[24], s2[24], buf[64];
	if (!ui_visible(y, x, w))
		return; /* a WP's column past the screen's edge */
	if (!r || (r->planned == 0 && r->actual == 0)) {
		ui_text(a, y, x, w, T_DIM, "-");
		return;
	}
	/* What fits, never a cut number: the share goes first, then the
	 * "/planned" part. */
	const char *over = r->flag == RES_FLAG_OVER ? "!" : "";
	res_format(r->actual, s1);
	res_format(r->planned, s2);
	ui_fmt(buf, sizeof buf, "%s/%s %ld%%%s", s1, s2, r->share, over);
	if (!c->wide || r->planned <= 0 || (int)strlen(buf) > w)
		ui_fmt(buf, sizeof buf, "%s/%s%s", s1, s2, over);
	if ((int)strlen(buf) > w)
		ui_fmt(buf, sizeof buf, "%s%s", s1, over);
	attr_t at = ui_attr(a, flag_tone(r->flag)) | (selected ? A_UNDERLINE : 0);
	ui_cella(a, y, x, w, 'l', at, buf);
}

static int res_draw_row(struct app *a, struct pane *pn, void *vctx, const struct list_row *row,
                        int lines_left)
{
	(void)pn;
	(void)lines_left;
	const struct res_ctx *c = vctx;
	const struct project *p = a->t->p;
	const struct res_state *rs = &a->st.res;
	int pi = res_partner_at(a, row->index), y = row->y;
	ui_cella(a, y, c->xid, c->wid, 'l', ui_attr(a, T_HEAD) | row->sel, p->partners[pi].id);
	for (int w = 0; w < p->nwps; w++)
		cell(a, c, y, c->x0 + w * c->cw, c->cw - 1, res_effort_row(rs, pi, w),
		     row->selected && w == c->selwp);
	if (c->tw)
		cell(a, c, y, c->xtot, c->tw, &rs->by_partner[pi], 0);
	/* The flags in words: "over on WP3", "under on WP1, WP2". */
	struct sbuf b = {0};
	for (int f = RES_FLAG_OVER; f <= RES_FLAG_UNDER; f++) {
		int n = 0;
		for (int w = 0; w < p->nwps; w++) {
			const struct res_row *r = res_effort_row(rs, pi, w);
			if (!r || r->flag != (enum res_flag)f)
				continue;
			if (n == 0)
				sbuf_printf(&b, "%s%s", b.len ? "; " : "",
				            f == RES_FLAG_OVER ? "over on " : "under on ");
			else
				sbuf_puts(&b, ", ");
			n++;
			sbuf_puts(&b, p->wps[w].id);
		}
	}
	if (b.len) {
		int over = strstr(sbuf_str(&b), "over") != NULL;
		ui_cell(a, y, c->xwords, c->xend - c->xwords > 0 ? c->xend - c->xwords : 0, 'l',
		        over ? T_BAD : T_WARN, sbuf_str(&b));
	}
	sbuf_free(&b);
	return 1;
}

/* The costs of a category: the project's, or partner fp's (NULL: none). */
static const struct res_row *cost_row(const struct res_state *rs, int fp, int k)
{
	if (fp < 0)
		return &rs->by_category[k];
	for (int i = 0; i < rs->ncosts; i++)
		if (rs->costs[i].partner == fp && rs->costs[i].key == k)
			return &rs->costs[i];
	return NULL;
}

/* The first of the texts that fits w columns whole, or NULL: a header or
 * a line is shortened by choice, never cut inside a word. */
static const char *first_fit(int w, const char *const *v, int n)
{
	for (int i = 0; i < n; i++)
		if (v[i] && text_width(v[i]) <= w)
			return v[i];
	return NULL;
}

/* Money in w columns: "1,234.56", or whole units "1,235", or thousands
 * "12k" (rounded, halves away from zero); NULL when none fits. buf: 32. */
static const char *money_fit(char *buf, long cents, int w)
{
	res_format_grouped(cents, buf);
	if ((int)strlen(buf) <= w)
		return buf;
	res_format_grouped(res_muldiv(cents, 1, 100) * 100, buf);
	*strchr(buf, '.') = '\0';
	if ((int)strlen(buf) <= w)
		return buf;
	res_format_grouped(res_muldiv(cents, 1, 100000) * 100, buf);
	strcpy(strchr(buf, '.'), "k");
	return (int)strlen(buf) <= w ? buf : NULL;
}

/* The costs table's columns after the category, each right-aligned in its
 * width; those that do not fit whole are left out, header and all. */
static const struct { const char *head; int w; } cost_cols[] = {
	{"planned", 12}, {"spent", 12}, {"share", 7}, {"projected", 14},
};
#define NCOST_COLS ((int)(sizeof cost_cols / sizeof cost_cols[0]))

static const char *flag_words(char *buf, size_t n, const struct res_row *r)
{
	if (r->flag == RES_FLAG_NONE)
		return ui_fmt(buf, n, r->planned > 0 ? "on plan" : "");
	return ui_fmt(buf, n, "%s by %ld%%", r->flag == RES_FLAG_OVER ? "over" : "under",
	              r->deviation < 0 ? -r->deviation : r->deviation);
}

/* The budget, planned against spent: the project's, or with a partner's
 * filter the partner's (its direct costs plus the indirect ones), said so;
 * the longest form that fits. */
static void budget_line(const struct app *a, int y, int x, int w, int fp)
{
	const struct res_state *rs = &a->st.res;
	/* The forms, longest first; each but the last two has a twin that
	 * says the spent has the indirect costs besides the direct ones the
	 * categories above show (where the budget has any), tried first. */
	char v[8][220], s1[32], s2[32], s3[32], s4[32];
	const char *ind = rs->planned_indirect || rs->actual_indirect ? " with indirect costs" : "";
	int n = 0;
	res_format_grouped(rs->basis_total, s1);
	res_format_grouped(rs->actual_total, s3);
	for (int k = ind[0] ? 0 : 1; k < 2; k++) {
		const char *with = k == 0 ? ind : "";
		if (fp >= 0) {
			const struct res_row *r = &a->st.res.cost_by_partner[fp];
			const char *id = a->t->p->partners[fp].id;
			res_format_grouped(r->planned, s2);
			res_format_grouped(r->actual, s4);
			if (r->planned > 0) {
				ui_fmt(v[n++], sizeof v[0], "%s's budget %s · spent %s%s (%ld%%, time gone %ld%%) · project's budget %s",
				       id, s2, s4, with, r->share, rs->time_gone_pct, s1);
				ui_fmt(v[n++], sizeof v[0], "%s's budget %s · spent %s%s (%ld%%, time gone %ld%%)", id, s2, s4,
				       with, r->share, rs->time_gone_pct);
				ui_fmt(v[n++], sizeof v[0], "%s's budget %s · spent %s%s (%ld%%)", id, s2, s4, with, r->share);
			} else {
				ui_fmt(v[n++], sizeof v[0], "%s plans no costs · spent %s%s · project's budget %s", id, s4, with, s1);
				ui_fmt(v[n++], sizeof v[0], "%s plans no costs · spent %s%s", id, s4, with);
				ui_fmt(v[n++], sizeof v[0], "%s spent %s%s", id, s4, with);
			}
			if (k == 1)
				ui_fmt(v[n++], sizeof v[0], "%s spent %s", id, s4);
		} else {
			res_format_grouped(rs->eu_contribution, s2);
			int eu = rs->eu_contribution > 0;
			ui_fmt(v[n++], sizeof v[0], "Budget %s%s%s · spent %s%s (%ld%%, time gone %ld%%)", s1,
			       eu ? " · EU contribution " : "", eu ? s2 : "", s3, with, rs->spent_pct, rs->time_gone_pct);
			ui_fmt(v[n++], sizeof v[0], "Budget %s%s%s · spent %s%s (%ld%%)", s1,
			       eu ? " · EU contribution " : "", eu ? s2 : "", s3, with, rs->spent_pct);
			if (k == 1) {
				ui_fmt(v[n++], sizeof v[0], "Budget %s · spent %s (%ld%%)", s1, s3, rs->spent_pct);
				ui_fmt(v[n++], sizeof v[0], "spent %s of %s", s3, s1);
			}
		}
	}
	/* Tried in turn: each form with the words on the indirect costs, then
	 * without them, before the next shorter form. */
	const char *all[8];
	int half = ind[0] ? (n - 1) / 2 : 0, m = 0;
	for (int i = 0; i < half; i++) {
		all[m++] = v[i];
		all[m++] = v[half + i];
	}
	for (int i = 2 * half; i < n; i++)
		all[m++] = v[i];
	const char *t = first_fit(w, all, m);
	ui_text(a, y, x, w, T_NORMAL, t ? t : v[n - 1]);
}

/* With costs that name a WP: per WP the money spent on it (the partner's
 * with its filter), and beside them what names no WP. */
static void wp_costs_row(const struct app *a, const struct res_ctx *c, int y, int right, int fp)
{
	const struct project *p = a->t->p;
	const struct res_state *rs = &a->st.res;
	char buf[32], line[64];
	ui_text(a, y, c->xid, c->wid, T_HEAD, "Costs");
	for (int w = 0; w < p->nwps; w++) {
		if (!ui_visible(y, c->x0 + w * c->cw, c->cw - 1))
			continue;
		long v = fp >= 0 ? rs->cost_wp[(size_t)fp * (size_t)p->nwps + (size_t)w] : rs->cost_by_wp[w];
		const char *t = v ? money_fit(buf, v, c->cw - 1) : NULL;
		ui_cell(a, y, c->x0 + w * c->cw, c->cw - 1, 'l', t ? T_NORMAL : T_DIM, t ? t : "-");
	}
	long none = fp >= 0 ? rs->cost_no_wp[fp] : rs->cost_no_wp_total;
	const char *t = none ? money_fit(buf, none, right - c->xtot - 6) : NULL;
	if (t)
		ui_text(a, y, c->xtot, right - c->xtot, T_DIM, ui_fmt(line, sizeof line, "no WP %s", t));
}

static void res_draw(struct app *a, struct pane *pn, struct rect r)
{
	const struct project *p = a->t->p;
	const struct res_state *rs = &a->st.res;
	if (!rs->present) {
		ui_text(a, r.y, r.x + 2, r.w - 2, T_DIM, "the definition plans no effort or budget");
		return;
	}
	int right = r.x + r.w;
	struct res_ctx c = {.xid = r.x + 2, .wid = 8};
	/* Wide: "4.54/4.00 114%!" cells and a total column; narrow: spent/planned
	 * only, and the words take the total's place when it does not fit. */
	c.x0 = c.xid + c.wid + 1;
	c.wide = r.w >= c.x0 - r.x + p->nwps * 16 + 17 + 12;
	c.cw = c.wide ? 16 : 11;
	c.xtot = c.x0 + p->nwps * c.cw;
	c.tw = c.wide ? 16 : 12;
	if (!c.wide && c.xtot + c.tw + 12 > right)
		c.tw = 0;
	c.xwords = c.tw ? c.xtot + c.tw + 1 : c.xtot;
	if (pn->hscroll < 0)
		pn->hscroll = 0;
	if (pn->hscroll >= p->nwps)
		pn->hscroll = p->nwps - 1;
	c.selwp = pn->hscroll;
	char buf[200], s1[32], s2[32], s3[32];

	ui_text(a, r.y, c.xid, c.wid, T_HEAD, "PM");
	for (int w = 0; w < p->nwps; w++)
		ui_cell(a, r.y, c.x0 + w * c.cw, c.cw - 1, 'l', T_HEAD, p->wps[w].id);
	if (c.tw)
		ui_text(a, r.y, c.xtot, right - c.xtot, T_HEAD, "Total");
	if (right - c.xwords >= 14)
		ui_text(a, r.y, c.xwords, right - c.xwords, T_DIM,
		        ui_fmt(buf, sizeof buf, "time gone %ld%%", rs->time_gone_pct));

	/* What goes below the list: the WP totals, the costs, the budget and
	 * the selected cell's months; the list keeps at least its rows when
	 * the pane is short, and what is below is cut. */
	int fp = app_filter_partner(a), ncat = 0, ncols = 0;
	for (int k = 0; k < RES_NCAT; k++) {
		const struct res_row *cr = cost_row(rs, fp, k);
		ncat += cr && (cr->planned != 0 || cr->actual != 0);
	}
	/* Room on the right (the wide grid): the costs and the budget go there. */
	int side_x = c.xwords + 16;
	int side = right - side_x >= 74;
	c.xend = side ? side_x - 1 : right;
	int below = (side ? 3 : 1 + 1 + 1 + ncat + 1 + 2) + (rs->cost_wp_any ? 1 : 0);
	int n = res_nrows(a, pn);
	int list_h = r.h - 1 - below;
	if (list_h < n)
		list_h = r.h - 1 - below > 3 ? r.h - 1 - below : r.h - 1;
	if (list_h > n)
		list_h = n;
	struct list_view v = {.y = r.y + 1, .h = list_h, .draw_row = res_draw_row, .ctx = &c};
	int y = list_draw(a, pn, r, n, &v);
	int yend = r.y + r.h;

	/* Totals per WP and in all; with a partner filter, the partner's. */
	if (y < yend) {
		ui_text(a, y, c.xid, c.wid, T_HEAD, "Total");
		for (int w = 0; w < p->nwps; w++)
			cell(a, &c, y, c.x0 + w * c.cw, c.cw - 1,
			     fp >= 0 ? res_effort_row(rs, fp, w) : &rs->by_wp[w], 0);
		const struct res_row *t = fp >= 0 ? &rs->by_partner[fp] : NULL;
		ui_fmt(buf, sizeof buf, "%s/%s", res_format(t ? t->actual : rs->actual_pm, s1),
		       res_format(t ? t->planned : rs->planned_pm, s2));
		int wrote = ui_text(a, y, c.xtot, right - c.xtot, T_NORMAL, buf);
		if (t && c.xtot + wrote + text_width(ui_fmt(buf, sizeof buf, " %s only", p->partners[fp].id)) <= right)
			ui_text(a, y, c.xtot + wrote, right - c.xtot - wrote, T_DIM, buf);
		y++;
	}
	if (rs->cost_wp_any && y < yend)
		wp_costs_row(a, &c, y++, right, fp);
	y++;
	int ymonths = y;
	if (side)
		y = r.y;
	/* Costs by category. */
	int cx = side ? side_x : c.xid;
	if (ncat > 0 && y < yend) {
		int cur = p->budget.currency ? 1 : 0;
		char head[4][48];
		ui_fmt(head[0], sizeof head[0], "Costs%s%s%s%s%s", fp >= 0 ? " " : "", fp >= 0 ? p->partners[fp].id : "",
		       cur ? " (" : "", cur ? p->budget.currency : "", cur ? ")" : "");
		ui_fmt(head[1], sizeof head[1], "Costs%s%s", fp >= 0 ? " " : "", fp >= 0 ? p->partners[fp].id : "");
		ui_fmt(head[2], sizeof head[2], "Costs%s%s%s", cur ? " (" : "", cur ? p->budget.currency : "",
		       cur ? ")" : "");
		const char *heads[] = {head[0], head[1], head[2], "Costs"};
		ncols = 0;
		for (int k = 0, at = cx + 16; k < NCOST_COLS && at + cost_cols[k].w <= right; k++) {
			ui_fmt(buf, sizeof buf, "%*s", cost_cols[k].w, cost_cols[k].head);
			ui_text(a, y, at, cost_cols[k].w, T_HEAD, buf);
			at += cost_cols[k].w;
			ncols++;
		}
		/* The heading may take the blanks before "planned", less one. */
		int hw = ncols ? 16 + cost_cols[0].w - (int)strlen(cost_cols[0].head) - 1 : right - cx;
		const char *h = first_fit(hw, heads, 4);
		if (h)
			ui_text(a, y, cx, hw, T_HEAD, h);
		y++;
		for (int k = 0; k < RES_NCAT && y < yend; k++) {
			const struct res_row *cr = cost_row(rs, fp, k);
			if (!cr || (cr->planned == 0 && cr->actual == 0))
				continue;
			ui_cell(a, y, cx, 16, 'l', T_NORMAL, res_category_words[k]);
			char share[24];
			ui_fmt(share, sizeof share, "%ld%%", cr->share);
			const char *val[NCOST_COLS] = {res_format_grouped(cr->planned, s1),
			                             res_format_grouped(cr->actual, s2), share,
			                             res_format_grouped(cr->projected, s3)};
			int wrote = 0;
			for (int col = 0; col < ncols; col++)
				wrote += ui_text(a, y, cx + 16 + wrote, cost_cols[col].w, T_NORMAL,
				                 ui_fmt(buf, sizeof buf, "%*s", cost_cols[col].w, val[col]));
			wrote += ui_text(a, y, cx + 16 + wrote, right - cx - 16 - wrote, T_NORMAL, "  ");
			char fw[48];
			ui_text(a, y, cx + 16 + wrote, right - cx - 16 - wrote, flag_tone(cr->flag),
			        flag_words(fw, sizeof fw, cr));
			y++;
		}
	}
	/* The budget. */
	if (y < yend) {
		budget_line(a, y, cx, right - cx, fp);
		y++;
	}
	/* The selected cell's months. */
	y = side ? ymonths : y + 1;
	int pi = pn->sel >= 0 && pn->sel < n ? res_partner_at(a, pn->sel) : -1, wi = c.selwp;
	char *const *notes;
	const long *m = y < yend ? app_res_months(a, pi, wi, &notes) : NULL;
	if (m) {
		const struct wp *w = &p->wps[wi];
		struct sbuf b = {0};
		sbuf_printf(&b, "%s %s by month:", p->partners[pi].id, w->id);
		int any = 0;
		for (int k = w->start; k <= w->end && k <= rs->month && k <= p->nmonths; k++) {
			sbuf_printf(&b, " M%d %s", k, res_format(m[k - 1], s1));
			any = 1;
		}
		if (!any)
			sbuf_puts(&b, " nothing yet");
		sbuf_puts(&b, "  (\u2190\u2192 another WP)");
		ui_cell(a, y, c.xid, right - c.xid, 'l', T_DIM, sbuf_str(&b));
		sbuf_free(&b);
	}
}

static int res_key(struct app *a, struct pane *pn, int action)
{
	(void)a;
	if (action != ACT_LEFT && action != ACT_RIGHT)
		return 0;
	pn->hscroll += action == ACT_LEFT ? -1 : 1;
	return 1;
}

const struct pane_ops pane_resources_ops = {
	.name = "resources",
	.title = "Resources",
	.nrows = res_nrows,
	.draw = res_draw,
	.key = res_key,
	.row_text = res_row_text,
	.row_ref = res_row_ref,
};
