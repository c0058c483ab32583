/* store_resources: what the log says about the use of resources, for
 * derive (res_derive): per partner x WP the person-months of each month
 * (the latest live entry of that month: a timesheet corrected replaces the
 * earlier one) and the notes given with them, or only their sums to the
 * as-of month (STORE_FACTS_RES_TOTALS), and per partner x category the
 * money spent; and one partner x WP's months on request.
 * From schema 8 the summaries effort_month and cost_total answer it: a
 * month whose entry counts is taken as it is, unless that entry is dated
 * after the as-of date or undone by then; such months (and a category with
 * an entry after the as-of date) are read from the log one by one, and
 * when there are many of them the log is read whole instead. From schema 10
 * the totals come from effort_cell (from schema 12 its rows a partner at
 * a time, from effort_pack): a cell whose months are all dated by the
 * as-of date and lie inside the project up to the as-of month takes its
 * sum as it is, less the months whose counting entry is undone (read
 * again from the log); another is read month by month as above. Without the summaries: one pass over the effort and cost
 * entries effective by asof, the reverted ones left out through the
 * facts' list of undone entries; the latest of a month is found by
 * (effective, id), so the rows need no sorting.
 * The costs that name a WP are summed per partner x WP besides (facts'
 * cost_wp): from schema 9 from the summary cost_wp the same way as
 * cost_total (read_cost_summary: the sums less what is undone by asof, a
 * row with an entry after asof from the log); before it from the log's
 * cost entries that name one. */
#include "config.h"
#include "core/store_int.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/resources.h"

#define SQL_RES_ROWS \
	"SELECT id, kind, partner, item, value, note, effective FROM log" \
	" WHERE kind IN ('effort', 'cost') AND effective <= :asof"
#define SQL_RES_CELL_ROWS \
	"SELECT id, kind, partner, item, value, note, effective FROM log" \
	" WHERE kind = 'effort' AND partner = :partner AND item = :item AND effective <= :asof"
#define SQL_EFFORT_SUMMARY \
	"SELECT partner, item, effective, id, value, note FROM effort_month"
#define SQL_EFFORT_SUMMARY_CELL SQL_EFFORT_SUMMARY " WHERE partner = :partner AND item = :item"
#define SQL_EFFORT_CELL \
	"SELECT id, value, note, effective FROM log WHERE kind = 'effort' AND partner = :partner" \
	" AND item = :item AND substr(value, 1, 7) = :month AND effective <= :asof" \
	" ORDER BY effective DESC, id DESC"
#define SQL_EFFORT_TOTALS \
	"SELECT partner, item, pm, months, last, month_lo, month_hi FROM effort_cell"
#define SQL_COST_SUMMARY "SELECT partner, item, NULL, cents, n, last FROM cost_total"
#define SQL_COST_CELL \
	"SELECT id, value FROM log WHERE kind = 'cost' AND partner = :partner AND item = :item" \
	" AND effective <= :asof"
#define SQL_COST_WP_SUMMARY "SELECT partner, item, wp, cents, 0, last FROM cost_wp"
#define SQL_COST_WP_ROWS \
	"SELECT id, partner, item, value FROM log WHERE kind = 'cost' AND effective <= :asof" \
	" AND instr(value, ':') > 0"
/* Beyond this many months to read one by one, the log is read whole. */
#define STALE_MAX 2000
/* Beyond this many cells whose sum does not hold, every month is read. */
#define STALE_CELLS 200

/* YYYY-MM-DD as a number that orders like the date (20170331); -1 when
 * the text is not of that shape. */
static long ymd_key(const char *t)
{
	if (!t || strlen(t) != 10 || t[4] != '-' || t[7] != '-')
		return -1;
	long v = 0;
	for (int i = 0; i < 10; i++) {
		if (i == 4 || i == 7)
			continue;
		if (t[i] < '0' || t[i] > '9')
			return -1;
		v = v * 10 + (t[i] - '0');
	}
	return v;
}

/* The index of id among the project's partners or WPs, remembering the last
 * text looked up (the log's rows come in runs of one partner or WP). */
struct lookup {
	char last[64];
	int index;
};
static int lookup(struct lookup *c, const struct project *p, const char *s,
                  int (*find)(const struct project *, const char *))
{
	if (!s)
		return -1;
	if (c->last[0] && strcmp(c->last, s) == 0)
		return c->index;
	c->index = find(p, s);
	size_t n = strlen(s);
	if (n < sizeof c->last)
		memcpy(c->last, s, n + 1);
	else
		c->last[0] = '\0';
	return c->index;
}

struct winner {
	long eff;
	int64_t id;
	char *note;
};

/* A grid of months being read: partners p0..p0+np-1 x WPs w0..w0+nw-1 x
 * the project's months (the whole project, or one cell). */
struct res_q {
	struct facts_q *q;
	struct res_facts *f;    /* costs and entries counted go here */
	long *pm;               /* [np * nw * nmonths] */
	struct winner *w;       /* the same cells' entries that count */
	unsigned char *touched; /* [np * nw]: an undone effort entry is the cell's */
	int p0, w0, np, nw, nmonths;
	int notes;              /* keep the notes of the entries that count */
	size_t nstale;          /* months read from the log one by one */
	sqlite3_stmt *cell;     /* SQL_EFFORT_CELL, prepared on first use */
	long asof;
	struct lookup lp, lw;
	/* The undone effort entries undone_pack leaves out (walk_prepare):
	 * of the cell wk_pi x wk_wi, or of every cell (wk_pi -1), by id. */
	struct undone_ids wk;
	int wk_loaded, wk_pi, wk_wi;
};

static void grid_touch(struct res_q *r)
{
	for (size_t k = 0; k < r->q->rv.n; k++) {
		const struct rev *u = &r->q->rv.v[k];
		if (!u->found || u->k != REV_EFFORT)
			continue;
		int pi = u->pi, wi = u->ci;
		if (pi >= r->p0 && pi < r->p0 + r->np && wi >= r->w0 && wi < r->w0 + r->nw)
			r->touched[(size_t)(pi - r->p0) * (size_t)r->nw + (size_t)(wi - r->w0)] = 1;
	}
}

/* Partner pi x WP wi's months in the grid, r->pm + grid_at(...) */
static size_t grid_at(const struct res_q *r, int pi, int wi)
{
	return ((size_t)(pi - r->p0) * (size_t)r->nw + (size_t)(wi - r->w0)) * (size_t)r->nmonths;
}

/* The cell of an effort entry's value for partner pi and WP wi, or -1. */
static long cell_of(const struct res_q *r, int pi, int wi, const char *value, long *pm)
{
	int y, m;
	if (pi < r->p0 || pi >= r->p0 + r->np || wi < r->w0 || wi >= r->w0 + r->nw ||
	    res_entry_effort(value, &y, &m, pm) < 0)
		return -1;
	int month = (y - r->q->sy) * 12 + (m - r->q->sm) + 1;
	if (month < 1 || month > r->nmonths)
		return -1;
	return (long)(grid_at(r, pi, wi) + (size_t)(month - 1));
}

/* Is entry id, of partner pi x WP wi, undone by asof? */
static int undone(const struct res_q *r, int pi, int wi, int64_t id)
{
	return r->touched[(size_t)(pi - r->p0) * (size_t)r->nw + (size_t)(wi - r->w0)] &&
	       revs_has(&r->q->rv, id);
}

/* Before a walk through the entries of partner pi x WP wi in the log (of
 * every cell with pi -1), the undone effort entries undone_pack leaves out
 * (18.sql: those superseded in their month, which no month's row holds
 * nor any cell's sum counts), once for each cell walked in turn. 0, or -1
 * on error. */
static int walk_prepare(struct res_q *r, int pi, int wi, struct err *e)
{
	struct facts_q *q = r->q;
	if (r->wk_loaded && (r->wk_pi == -1 || (r->wk_pi == pi && r->wk_wi == wi)))
		return 0;
	if (undone_ids_read(q, "effort", pi < 0 ? NULL : q->p->wps[wi].id, pi < 0 ? NULL : q->p->partners[pi].id,
	                    &r->wk, e) < 0)
		return -1;
	r->wk_loaded = 1;
	r->wk_pi = pi;
	r->wk_wi = wi;
	return 0;
}

/* Is entry id one of those walk_prepare read? */
static int walk_undone(const struct res_q *r, int64_t id)
{
	return undone_ids_has(&r->wk, id);
}

/* Entry id (effective eff) for cell at, when it is later than the cell's. */
static void win(struct res_q *r, long at, long eff, int64_t id, long pm, sqlite3_stmt *st, int note_col)
{
	struct winner *x = &r->w[at];
	if (x->id && (eff < x->eff || (eff == x->eff && id < x->id)))
		return;
	if (!x->id)
		r->f->entries++;
	x->eff = eff;
	x->id = id;
	if (r->notes) {
		free(x->note);
		x->note = store_col_dup(st, note_col);
	}
	r->pm[at] = pm;
}

static void add_cost(struct res_q *r, int pi, const char *item, const char *value)
{
	int c = res_category(item);
	long cents;
	if (pi < 0 || c < 0 || res_entry_cost(value, &cents, NULL) < 0)
		return;
	r->f->cost[(size_t)pi * RES_NCAT + (size_t)c] += cents;
	r->f->entries++;
}

/* The grid from the log's rows (SQL_RES_ROWS, or one cell's). */
static int read_log(struct res_q *r, sqlite3_stmt *st, struct err *e)
{
	const struct project *p = r->q->p;
	int rc;
	if (walk_prepare(r, r->np == 1 && r->nw == 1 ? r->p0 : -1, r->w0, e) < 0)
		return -1;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		int64_t id = sqlite3_column_int64(st, 0);
		const char *kind = (const char *)sqlite3_column_text(st, 1);
		int pi = lookup(&r->lp, p, (const char *)sqlite3_column_text(st, 2), project_partner);
		const char *item = (const char *)sqlite3_column_text(st, 3);
		const char *value = (const char *)sqlite3_column_text(st, 4);
		if (!kind || pi < 0)
			continue;
		if (strcmp(kind, "cost") == 0) {
			if (!(r->q->rv.n && revs_has(&r->q->rv, id)))
				add_cost(r, pi, item, value);
			continue;
		}
		int wi = lookup(&r->lw, p, item, project_wp);
		long pm, at = cell_of(r, pi, wi, value, &pm);
		long eff = ymd_key((const char *)sqlite3_column_text(st, 6));
		if (at >= 0 && eff >= 0 && !undone(r, pi, wi, id) && !walk_undone(r, id))
			win(r, at, eff, id, pm, st, 5);
	}
	return rc == SQLITE_DONE ? 0 : store_fail(r->q->s, rc, "read", e);
}

/* A month of partner x WP from the log: its latest live entry by asof. */
static int read_cell(struct res_q *r, sqlite3_stmt *st, int pi, int wi, const char *month,
                     struct err *e)
{
	const struct project *p = r->q->p;
	if (walk_prepare(r, pi, wi, e) < 0)
		return -1;
	facts_q_rebind(st, NULL, p->wps[wi].id, p->partners[pi].id);
	store_bind_named(st, ":month", month, 7);
	int rc;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		int64_t id = sqlite3_column_int64(st, 0);
		if (undone(r, pi, wi, id) || walk_undone(r, id))
			continue;
		long pm, at = cell_of(r, pi, wi, (const char *)sqlite3_column_text(st, 1), &pm);
		long eff = ymd_key((const char *)sqlite3_column_text(st, 3));
		if (at < 0 || eff < 0)
			continue;
		win(r, at, eff, id, pm, st, 2);
		break;
	}
	return rc == SQLITE_ROW || rc == SQLITE_DONE ? 0 : store_fail(r->q->s, rc, "read", e);
}

struct stale {
	int pi, wi;
	char month[8];
};

/* The grid from effort_month's rows (all, or one cell's) in st: 0, 1 when
 * the log must be read whole, -1 on error. */
static int read_months(struct res_q *r, sqlite3_stmt *st, struct err *e)
{
	const struct project *p = r->q->p;
	struct stale *sv = NULL;
	size_t ns = 0, cap = 0;
	int rc, out = -1;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		int pi = lookup(&r->lp, p, (const char *)sqlite3_column_text(st, 0), project_partner);
		int wi = lookup(&r->lw, p, (const char *)sqlite3_column_text(st, 1), project_wp);
		long eff = ymd_key((const char *)sqlite3_column_text(st, 2));
		int64_t id = sqlite3_column_int64(st, 3);
		const char *value = (const char *)sqlite3_column_text(st, 4);
		long pm, at = cell_of(r, pi, wi, value, &pm);
		if (at < 0 || eff < 0)
			continue;
		if (eff <= r->asof && !undone(r, pi, wi, id)) {
			win(r, at, eff, id, pm, st, 5);
			continue;
		}
		if (r->nstale + ns >= STALE_MAX) {
			out = 1;
			goto done;
		}
		xgrow(&sv, &cap, ns + 1, sizeof *sv);
		sv[ns] = (struct stale){pi, wi, {0}};
		memcpy(sv[ns].month, value, 7);
		ns++;
	}
	if (rc != SQLITE_DONE) {
		store_fail(r->q->s, rc, "read", e);
		goto done;
	}
	r->nstale += ns;
	if (ns && facts_q_lazy(r->q, SQL_EFFORT_CELL, &r->cell, e) < 0)
		goto done;
	for (size_t i = 0; i < ns; i++)
		if (read_cell(r, r->cell, sv[i].pi, sv[i].wi, sv[i].month, e) < 0)
			goto done;
	out = 0;
done:
	free(sv);
	return out;
}

/* A cost entry's amount into its partner x WP, when it names a WP of the
 * project (only: that one) and its category is one. */
static void add_cost_wp(struct res_q *r, int pi, const char *item, const char *value,
                        const char *only)
{
	long cents;
	const char *wp;
	if (pi < 0 || res_category(item) < 0 || res_entry_cost(value, &cents, &wp) < 0 || !wp ||
	    (only && strcmp(wp, only) != 0))
		return;
	int wi = lookup(&r->lw, r->q->p, wp, project_wp);
	if (wi >= 0)
		r->f->cost_wp[(size_t)pi * (size_t)r->f->nwps + (size_t)wi] += cents;
}

/* The undone entries (found) of kind: how many, into *out (to be freed). */
static size_t revs_of_kind(const struct revs *rv, enum rev_kind kind, const struct rev ***out)
{
	const struct rev **v = xcalloc(rv->n + 1, sizeof *v);
	size_t n = 0;
	for (size_t k = 0; k < rv->n; k++)
		if (rv->v[k].found && rv->v[k].k == kind)
			v[n++] = &rv->v[k];
	*out = v;
	return n;
}

/* An undone entry's cell (its partner's index, then its item's: a WP or
 * a cost category; no cell first) against partner pi and item ci: as
 * comparing the texts, an id naming one partner, WP or category. */
static int cell_cmp(const struct rev *u, int pi, int ci)
{
	if (u->pi < 0 || u->ci < 0)
		return -1;
	if (u->pi != pi)
		return u->pi < pi ? -1 : 1;
	return (u->ci > ci) - (u->ci < ci);
}

/* qsort's order of cell_cmp: the entries with no cell first. */
static int rev_cell_order(const void *x, const void *y)
{
	const struct rev *a = *(const struct rev *const *)x, *b = *(const struct rev *const *)y;
	if (b->pi < 0 || b->ci < 0)
		return a->pi >= 0 && a->ci >= 0;
	return cell_cmp(a, b->pi, b->ci);
}

/* Undone effort or cost entries in the order of their cells (partner and
 * WP, or partner and category), so that a cell finds its own without
 * going through every one. */
static void revs_by_cell(const struct rev **v, size_t n)
{
	if (n > 1)
		qsort(v, n, sizeof *v, rev_cell_order);
}

/* The cents of partner pi's cost entries of category c (with wp: only
 * those that name it) among costs (the undone cost entries); *n: how
 * many. */
static long undone_costs(const struct rev *const *costs, size_t ncosts, int pi, int c,
                         const char *wp, long *n)
{
	long sum = 0;
	*n = 0;
	/* costs is by partner and category (revs_by_cell): the row's own from
	 * the first of them on. */
	size_t lo = 0, hi = ncosts;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		if (cell_cmp(costs[mid], pi, c) < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	for (size_t k = lo; k < ncosts && cell_cmp(costs[k], pi, c) == 0; k++) {
		const struct rev *u = costs[k];
		long cents;
		const char *uwp;
		if (res_entry_cost(u->value, &cents, &uwp) == 0 && (!wp || (uwp && strcmp(uwp, wp) == 0))) {
			sum += cents;
			++*n;
		}
	}
	return sum;
}

/* Partner pi's cost entries of category item by asof, from the log (cell:
 * SQL_COST_CELL): the live ones into its category, or with wp into that
 * WP when they name it. */
static int cost_cell(struct res_q *r, sqlite3_stmt *cell, int pi, const char *pid, const char *item,
                     const char *wp, struct err *e)
{
	facts_q_rebind(cell, NULL, item, pid);
	int rc;
	while ((rc = sqlite3_step(cell)) == SQLITE_ROW) {
		if (r->q->rv.n && revs_has(&r->q->rv, sqlite3_column_int64(cell, 0)))
			continue;
		const char *value = (const char *)sqlite3_column_text(cell, 1);
		if (wp)
			add_cost_wp(r, pi, item, value, wp);
		else
			add_cost(r, pi, item, value);
	}
	return rc == SQLITE_DONE ? 0 : store_fail(r->q->s, rc, "read", e);
}

/* Costs from a summary, rows (partner, item, wp, cents, n, last) of
 * cost_total (wp NULL: into the category) or of cost_wp (into the WP): the
 * sums less what is undone by asof; a row with an entry after asof is read
 * from the log. */
static int read_cost_summary(struct res_q *r, const char *sql, struct err *e)
{
	const struct project *p = r->q->p;
	sqlite3_stmt *st = NULL, *cell = NULL;
	int rc, out = -1;
	const struct rev **costs;
	size_t ncosts = revs_of_kind(&r->q->rv, REV_COST, &costs);
	revs_by_cell(costs, ncosts);
	if (store_prepare(r->q->s, sql, &st, e) < 0)
		goto done;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		const char *pid = (const char *)sqlite3_column_text(st, 0);
		const char *item = (const char *)sqlite3_column_text(st, 1);
		const char *wp = (const char *)sqlite3_column_text(st, 2);
		int pi = lookup(&r->lp, p, pid, project_partner), c = res_category(item);
		int wi = wp ? lookup(&r->lw, p, wp, project_wp) : 0;
		if (pi < 0 || c < 0 || wi < 0)
			continue;
		if (ymd_key((const char *)sqlite3_column_text(st, 5)) > r->asof) {
			if (facts_q_lazy(r->q, SQL_COST_CELL, &cell, e) < 0 ||
			    cost_cell(r, cell, pi, pid, item, wp, e) < 0)
				goto done;
			continue;
		}
		long n, v = (long)sqlite3_column_int64(st, 3) - undone_costs(costs, ncosts, pi, c, wp, &n);
		if (wp) {
			r->f->cost_wp[(size_t)pi * (size_t)r->f->nwps + (size_t)wi] += v;
		} else {
			r->f->cost[(size_t)pi * RES_NCAT + (size_t)c] += v;
			r->f->entries += (long)sqlite3_column_int64(st, 4) - n;
		}
	}
	if (rc != SQLITE_DONE) {
		store_fail(r->q->s, rc, "read", e);
		goto done;
	}
	out = 0;
done:
	sqlite3_finalize(st);
	sqlite3_finalize(cell);
	free(costs);
	return out;
}

/* The costs per partner x WP: from the summary cost_wp (schema 9), or
 * from the log. */
static int read_cost_wp(struct res_q *r, struct err *e)
{
	const struct project *p = r->q->p;
	sqlite3_stmt *st;
	int rc;
	if (r->q->s->version < 9) {
		if (facts_q_prepare(r->q, SQL_COST_WP_ROWS, &st, e) < 0)
			return -1;
		while ((rc = sqlite3_step(st)) == SQLITE_ROW)
			if (!(r->q->rv.n && revs_has(&r->q->rv, sqlite3_column_int64(st, 0))))
				add_cost_wp(r, lookup(&r->lp, p, (const char *)sqlite3_column_text(st, 1),
				                      project_partner),
				            (const char *)sqlite3_column_text(st, 2),
				            (const char *)sqlite3_column_text(st, 3), NULL);
		sqlite3_finalize(st);
		return rc == SQLITE_DONE ? 0 : store_fail(r->q->s, rc, "read", e);
	}
	return read_cost_summary(r, SQL_COST_WP_SUMMARY, e);
}

/* Every cost: per category from cost_total, per WP from cost_wp. */
static int read_costs(struct res_q *r, struct err *e)
{
	if (read_cost_summary(r, SQL_COST_SUMMARY, e) < 0)
		return -1;
	return read_cost_wp(r, e);
}

/* One statement run through read_log or read_months. */
static int grid_run(struct res_q *r, const char *sql, int summary, struct err *e)
{
	sqlite3_stmt *st;
	if (facts_q_prepare(r->q, sql, &st, e) < 0)
		return -1;
	if (r->np == 1 && r->nw == 1)
		facts_q_rebind(st, NULL, r->q->p->wps[r->w0].id, r->q->p->partners[r->p0].id);
	int rc = summary ? read_months(r, st, e) : read_log(r, st, e);
	sqlite3_finalize(st);
	return rc;
}

static void grid_clear(struct res_q *r)
{
	size_t n = (size_t)r->np * (size_t)r->nw * (size_t)r->nmonths;
	for (size_t c = 0; c < n; c++)
		free(r->w[c].note);
	memset(r->w, 0, n * sizeof *r->w);
	memset(r->pm, 0, n * sizeof *r->pm);
}

/* Every month of every cell and the costs. */
static int grid_fill(struct res_q *r, struct err *e)
{
	int rc = r->q->s->version >= 8 ? grid_run(r, SQL_EFFORT_SUMMARY, 1, e) : 1;
	if (rc == 0)
		return read_costs(r, e);
	if (rc < 0)
		return rc;
	/* The log whole: start again from nothing. */
	grid_clear(r);
	memset(r->f->cost, 0, (size_t)r->f->npartners * RES_NCAT * sizeof *r->f->cost);
	r->f->entries = 0;
	int rc2 = grid_run(r, SQL_RES_ROWS, 0, e);
	return rc2 ? rc2 : read_cost_wp(r, e);
}

/* A grid with no cell touched: for the one cell read at a time, which its
 * reader places and marks. */
static void grid_alloc(struct res_q *r, struct facts_q *q, struct res_facts *f, int p0, int w0,
                       int np, int nw, int nmonths, int notes)
{
	*r = (struct res_q){.q = q, .f = f, .p0 = p0, .w0 = w0, .np = np, .nw = nw,
	                    .nmonths = nmonths, .notes = notes, .asof = ymd_key(q->asof),
	                    .lp = {{0}, -1}, .lw = {{0}, -1}};
	size_t n = (size_t)np * (size_t)nw * (size_t)nmonths;
	r->w = xcalloc(n + 1, sizeof *r->w);
	r->touched = xcalloc((size_t)np * (size_t)nw + 1, 1);
}

static void grid_init(struct res_q *r, struct facts_q *q, struct res_facts *f, int p0, int w0,
                      int np, int nw, int nmonths, int notes)
{
	grid_alloc(r, q, f, p0, w0, np, nw, nmonths, notes);
	grid_touch(r);
}

static void grid_free(struct res_q *r)
{
	sqlite3_finalize(r->cell);
	free(r->wk.v);
	free(r->w);
	free(r->touched);
}

/* The as-of month (0 before the start, at most nmonths), as res_derive
 * counts it, and its calendar month as YYYY-MM. */
static int asof_month(const struct facts_q *q, int nmonths)
{
	cdate d;
	if (date_parse(q->asof, &d) < 0)
		return 0;
	int m = date_month_of(q->p->start, d);
	return m < 0 ? 0 : m > nmonths ? nmonths : m;
}

/* Project month `month` (from 1) as YYYY-MM. */
static void month_ym(const struct facts_q *q, int month, char out[11])
{
	date_format(project_month_start(q->p, month < 1 ? 1 : month), out);
	out[7] = '\0';
}

static long cell_sum(const long *pm, int upto)
{
	long sum = 0;
	for (int k = 0; k < upto; k++)
		sum += pm[k];
	return sum;
}


/* A cell whose sum would hold but that an undone entry touches: only the
 * months whose entry in effort_month is undone are taken out of the sum
 * (*pm, hundredths as effort_cell adds them; *months, how many) and read
 * again from the log into one, a grid of that cell cleared (its entries
 * counted as read); an undone entry that does not count in its month
 * changes nothing. efforts: the undone effort entries, in cell order. seen: one flag a
 * month, cleared. 0 done (the months
 * read are one's), 1 when a month does not read as the project's (every
 * month of the cell is to be read then), -1 on error. */
static int cell_patch(struct res_q *one, const struct rev *const *efforts, size_t nefforts,
                      sqlite3_stmt **month_st, unsigned char *seen, int pi, int wi, long *pm,
                      long *months, struct err *e)
{
	struct facts_q *q = one->q;
	const struct project *p = q->p;
	const char *pid = p->partners[pi].id, *wid = p->wps[wi].id;
	/* efforts is in cell order (efforts_by_cell): the cell's own from the
	 * first of them on. */
	int bound = 0;
	size_t lo = 0, hi = nefforts;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		if (cell_cmp(efforts[mid], pi, wi) < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	for (size_t k = lo; k < nefforts && cell_cmp(efforts[k], pi, wi) == 0; k++) {
		const struct rev *u = efforts[k];
		/* The month as effort_month keys it, and as the grid counts it. */
		char month[8];
		int y, m;
		if (!u->value || strlen(u->value) < 7 || res_entry_effort(u->value, &y, &m, &(long){0}) < 0)
			return 1;
		memcpy(month, u->value, 7);
		month[7] = '\0';
		int mi = (y - q->sy) * 12 + (m - q->sm);
		if (mi < 0 || mi >= one->nmonths)
			return 1;
		/* Not the entry effort_month keeps, nor ever to be. */
		if (seen[mi] || u->superseded)
			continue;
		seen[mi] = 1;
		if (!*month_st && store_prepare(q->s, "SELECT id, CAST(replace(substr(value, 9), '.', '')"
		                                " AS INTEGER) FROM effort_month WHERE partner = ?1"
		                                " AND item = ?2 AND month = ?3", month_st, e) < 0)
			return -1;
		/* The cell once, its months one by one. */
		sqlite3_reset(*month_st);
		if (!bound) {
			sqlite3_bind_text(*month_st, 1, pid, -1, SQLITE_STATIC);
			sqlite3_bind_text(*month_st, 2, wid, -1, SQLITE_STATIC);
			bound = 1;
		}
		sqlite3_bind_text(*month_st, 3, month, 7, SQLITE_TRANSIENT);
		int rc = sqlite3_step(*month_st);
		if (rc != SQLITE_ROW && rc != SQLITE_DONE)
			return store_fail(q->s, rc, "read", e);
		/* No such month, or its entry is not the one undone. */
		if (rc == SQLITE_DONE || !revs_has(&q->rv, sqlite3_column_int64(*month_st, 0)))
			continue;
		*pm -= (long)sqlite3_column_int64(*month_st, 1);
		--*months;
		sqlite3_reset(*month_st);
		if (facts_q_lazy(q, SQL_EFFORT_CELL, &one->cell, e) < 0 ||
		    read_cell(one, one->cell, pi, wi, month, e) < 0)
			return -1;
	}
	return 0;
}

/* strcmp(a, b) for a of na bytes and b of nb, neither with a NUL: its
 * sign. */
static int textcmp(const char *a, size_t na, const char *b, size_t nb)
{
	int c = memcmp(a, b, na < nb ? na : nb);
	return c ? c : (na > nb) - (na < nb);
}

/* The state of totals_from_cells: the as-of month and its bounds, the
 * grids (all: undone entries by cell; one: a cell being read), the cells
 * left to read month by month. */
struct totals {
	struct facts_q *q;
	struct res_facts *f;
	int month;
	char lo[11], hi[11];
	size_t nlo, nhi;
	struct res_q all, one;
	long *pm;
	unsigned char *seen;
	sqlite3_stmt *month_st;
	struct stale *sv;
	int nsv;
	int *order;            /* the WP of each position in the partner's run */
	const struct rev **efforts;  /* the undone effort entries */
	size_t nefforts;
};

/* One row of effort_cell (or of a partner's effort_pack) for partner pi
 * and WP wi, its texts NUL-free of the given lengths: its sum and count
 * into f when they hold as of asof, patched for undone entries; otherwise
 * the cell to be read month by month. 0, 1 when too many cells are to
 * be read so, -1 on error. */
static int cell_total(struct totals *t, int pi, int wi, long sum, long n, const char *last,
                      size_t nlast, const char *mlo, size_t nlo, const char *mhi, size_t nhi,
                      struct err *e)
{
	struct res_facts *f = t->f;
	size_t at = (size_t)pi * (size_t)t->q->p->nwps + (size_t)wi;
	int fits = t->month > 0 && last && nlast == 10 && textcmp(last, 10, t->q->asof, 10) <= 0 &&
	           mlo && mhi && textcmp(mlo, nlo, t->lo, t->nlo) >= 0 &&
	           textcmp(mhi, nhi, t->hi, t->nhi) <= 0;
	int patched = 1;
	if (fits && t->all.touched[at]) {
		t->one.p0 = pi;
		t->one.w0 = wi;
		t->one.touched[0] = 1;
		memset(t->pm, 0, (size_t)f->nmonths * sizeof *t->pm);
		memset(t->one.w, 0, (size_t)f->nmonths * sizeof *t->one.w);
		memset(t->seen, 0, (size_t)f->nmonths);
		long entries = f->entries;
		if ((patched = cell_patch(&t->one, t->efforts, t->nefforts, &t->month_st, t->seen, pi, wi,
		                          &sum, &n, e)) < 0)
			return -1;
		if (patched == 0)
			sum += cell_sum(t->pm, f->nmonths);
		else
			f->entries = entries;
	}
	if (fits && (!t->all.touched[at] || patched == 0)) {
		f->spent[at] = sum;
		f->entries += n;
		return 0;
	}
	if (t->nsv == STALE_CELLS)
		return 1;
	t->sv[t->nsv++] = (struct stale){pi, wi, {0}};
	return 0;
}

/* The index of WP id (n bytes, no NUL) at position k of a partner's run:
 * the WP at k in the run before is tried first. */
static int run_wp(struct totals *t, int k, const char *id, size_t n)
{
	const struct project *p = t->q->p;
	if (k < p->nwps) {
		const char *g = p->wps[t->order[k]].id;
		if (strlen(g) == n && memcmp(g, id, n) == 0)
			return t->order[k];
	}
	char buf[128], *s = n < sizeof buf ? buf : xcalloc(n + 1, 1);
	memcpy(s, id, n);
	s[n] = '\0';
	int wi = lookup(&t->all.lw, p, s, project_wp);
	if (s != buf)
		free(s);
	if (wi >= 0 && k < p->nwps)
		t->order[k] = wi;
	return wi;
}

/* effort_pack's fields: a text (store_pack_text) or a number (digits,
 * ','), from *at before end; -1 when it is not one. */
static inline int pack_number(const char **at, const char *end, long *v)
{
	int64_t x;
	if (store_pack_int(at, end, &x) < 0)
		return -1;
	*v = (long)x;
	return 0;
}

/* The cells of effort_pack (schema 12), a few rows a partner: 0, 1 when
 * too many cells are to be read month by month, 2 when a text does not
 * read as the migration writes it (the rows of effort_cell are read
 * instead), -1 on error. */
static int cells_from_pack(struct totals *t, struct err *e)
{
	const struct project *p = t->q->p;
	sqlite3_stmt *st;
	if (store_prepare(t->q->s, "SELECT partner, cells FROM effort_pack", &st, e) < 0)
		return -1;
	/* k: a cell's place in its partner's rows, which come in the same
	 * order for every partner (see cells_from_rows). */
	int rc, out = 0, prev = -1, k = 0;
	while (out == 0 && (rc = sqlite3_step(st)) == SQLITE_ROW) {
		int pi = lookup(&t->all.lp, p, (const char *)sqlite3_column_text(st, 0), project_partner);
		if (pi != prev)
			k = 0;
		prev = pi;
		const char *c = (const char *)sqlite3_column_text(st, 1);
		const char *end = c + sqlite3_column_bytes(st, 1);
		if (pi < 0)
			continue;
		/* A NUL in a text would read otherwise than strcmp reads it. */
		if (!c || memchr(c, '\0', (size_t)(end - c))) {
			out = 2;
			break;
		}
		for (; c < end && out == 0; k++) {
			const char *item, *last, *mlo, *mhi;
			size_t ni, nl, nlo, nhi;
			long sum, n;
			if (store_pack_text(&c, end, &item, &ni) < 0 || pack_number(&c, end, &sum) < 0 ||
			    pack_number(&c, end, &n) < 0 || store_pack_text(&c, end, &last, &nl) < 0 ||
			    store_pack_text(&c, end, &mlo, &nlo) < 0 || store_pack_text(&c, end, &mhi, &nhi) < 0) {
				out = 2;
				break;
			}
			int wi = run_wp(t, k, item, ni);
			if (wi >= 0)
				out = cell_total(t, pi, wi, sum, n, last, nl, mlo, nlo, mhi, nhi, e);
		}
	}
	if (out == 0 && rc != SQLITE_DONE)
		out = store_fail(t->q->s, rc, "read", e);
	sqlite3_finalize(st);
	return out;
}

/* The rows of effort_cell: as cells_from_pack. */
static int cells_from_rows(struct totals *t, struct err *e)
{
	const struct project *p = t->q->p;
	sqlite3_stmt *st;
	if (store_prepare(t->q->s, SQL_EFFORT_TOTALS, &st, e) < 0)
		return -1;
	/* The rows come partner by partner, each partner's WPs mostly in the
	 * order the one before had. */
	int k = 0, prev = -1, rc, out = 0;
	while (out == 0 && (rc = sqlite3_step(st)) == SQLITE_ROW) {
		int pi = lookup(&t->all.lp, p, (const char *)sqlite3_column_text(st, 0), project_partner);
		const char *wid = (const char *)sqlite3_column_text(st, 1);
		k = pi == prev ? k + 1 : 0;
		prev = pi;
		int wi = pi >= 0 && wid ? run_wp(t, k, wid, strlen(wid)) : -1;
		if (pi < 0 || wi < 0)
			continue;
		const char *last = (const char *)sqlite3_column_text(st, 4);
		const char *mlo = (const char *)sqlite3_column_text(st, 5);
		const char *mhi = (const char *)sqlite3_column_text(st, 6);
		out = cell_total(t, pi, wi, (long)sqlite3_column_int64(st, 2),
		                 (long)sqlite3_column_int64(st, 3), last,
		                 last ? (size_t)sqlite3_column_bytes(st, 4) : 0, mlo, mlo ? strlen(mlo) : 0,
		                 mhi, mhi ? strlen(mhi) : 0, e);
	}
	if (out == 0 && rc != SQLITE_DONE)
		out = store_fail(t->q->s, rc, "read", e);
	sqlite3_finalize(st);
	return out;
}

/* From effort_pack (schema 12) or effort_cell: 0, 1 when too many cells
 * or months are to be read one by one (the caller reads every month
 * instead), -1 on error. */
static int totals_from_cells(struct facts_q *q, struct res_facts *f, struct err *e)
{
	const struct project *p = q->p;
	struct totals t = {.q = q, .f = f, .month = asof_month(q, f->nmonths)};
	int out = -1;
	month_ym(q, 1, t.lo);
	month_ym(q, t.month, t.hi);
	t.nlo = strlen(t.lo);
	t.nhi = strlen(t.hi);
	grid_init(&t.all, q, f, 0, 0, p->npartners, p->nwps, 0, 0);
	grid_alloc(&t.one, q, f, 0, 0, 1, 1, f->nmonths, 0);
	t.pm = xcalloc((size_t)f->nmonths + 1, sizeof *t.pm);
	t.order = xcalloc((size_t)p->nwps + 1, sizeof *t.order);
	t.sv = xcalloc(STALE_CELLS + 1, sizeof *t.sv);
	t.seen = xcalloc((size_t)f->nmonths + 1, 1);
	t.one.pm = t.pm;
	t.nefforts = revs_of_kind(&q->rv, REV_EFFORT, &t.efforts);
	revs_by_cell(t.efforts, t.nefforts);
	sqlite3_stmt *cells = NULL;
	int rc = q->s->version >= 12 ? cells_from_pack(&t, e) : 2;
	if (rc == 2) {
		/* A text that does not read: every cell from its row instead. */
		memset(f->spent, 0, (size_t)f->npartners * (size_t)f->nwps * sizeof *f->spent);
		f->entries = 0;
		t.nsv = 0;
		rc = cells_from_rows(&t, e);
	}
	if (rc != 0) {
		out = rc;
		goto done;
	}
	/* The others month by month, as the whole grid would be read. */
	if (t.nsv && facts_q_prepare(q, SQL_EFFORT_SUMMARY_CELL, &cells, e) < 0)
		goto done;
	for (int i = 0; i < t.nsv; i++) {
		size_t at = (size_t)t.sv[i].pi * (size_t)p->nwps + (size_t)t.sv[i].wi;
		t.one.p0 = t.sv[i].pi;
		t.one.w0 = t.sv[i].wi;
		t.one.touched[0] = t.all.touched[at];
		memset(t.pm, 0, (size_t)f->nmonths * sizeof *t.pm);
		memset(t.one.w, 0, (size_t)f->nmonths * sizeof *t.one.w);
		facts_q_rebind(cells, NULL, p->wps[t.sv[i].wi].id, p->partners[t.sv[i].pi].id);
		int r1 = read_months(&t.one, cells, e);
		if (r1 != 0) {
			out = r1;
			goto done;
		}
		f->spent[at] = cell_sum(t.pm, t.month);
	}
	out = read_costs(&t.all, e);
done:
	sqlite3_finalize(cells);
	sqlite3_finalize(t.month_st);
	free(t.efforts);
	free(t.seen);
	free(t.sv);
	free(t.order);
	free(t.pm);
	grid_free(&t.one);
	grid_free(&t.all);
	return out;
}

/* Every month read, summed to the as-of month into f->spent. */
static int totals_from_months(struct facts_q *q, struct res_facts *f, struct err *e)
{
	const struct project *p = q->p;
	struct res_q r;
	grid_init(&r, q, f, 0, 0, p->npartners, p->nwps, f->nmonths, 0);
	size_t cells = (size_t)p->npartners * (size_t)p->nwps;
	r.pm = xcalloc(cells * (size_t)f->nmonths + 1, sizeof *r.pm);
	int rc = grid_fill(&r, e), month = asof_month(q, f->nmonths);
	for (size_t c = 0; rc == 0 && c < cells; c++)
		f->spent[c] = cell_sum(r.pm + c * (size_t)f->nmonths, month);
	free(r.pm);
	grid_free(&r);
	return rc;
}

int store_resources_fill(struct facts_q *q, struct res_facts *f, struct err *e)
{
	const struct project *p = q->p;
	if (q->flags & STORE_FACTS_RES_TOTALS)
		res_facts_totals_only(f);
	if (p->npartners == 0 || p->nwps == 0)
		return 0;
	if (q->flags & STORE_FACTS_RES_TOTALS) {
		int rc = q->s->version >= 10 ? totals_from_cells(q, f, e) : 1;
		if (rc != 1)
			return rc;
		memset(f->spent, 0, (size_t)f->npartners * (size_t)f->nwps * sizeof *f->spent);
		memset(f->cost, 0, (size_t)f->npartners * RES_NCAT * sizeof *f->cost);
		memset(f->cost_wp, 0, (size_t)f->npartners * (size_t)f->nwps * sizeof *f->cost_wp);
		f->entries = 0;
		return totals_from_months(q, f, e);
	}
	struct res_q r;
	grid_init(&r, q, f, 0, 0, f->npartners, f->nwps, f->nmonths, 1);
	r.pm = f->effort;
	int rc = grid_fill(&r, e);
	/* The notes of the entries that count, month by month. */
	size_t cells = (size_t)f->npartners * (size_t)f->nwps * (size_t)f->nmonths;
	for (size_t c = 0; c < cells; c++)
		f->effort_notes[c] = r.w[c].note;
	grid_free(&r);
	return rc;
}

/* A read transaction for partner x WP cells one at a time: the undone
 * entries read once, the statements prepared once. */
struct store_res_cells {
	struct facts_q q;
	struct res_facts f;     /* the entries the reads count (unused) */
	struct res_q all;       /* which cells an undone effort entry touches */
	struct res_q one;       /* the cell being read */
	sqlite3_stmt *months, *rows;  /* SQL_EFFORT_SUMMARY_CELL, SQL_RES_CELL_ROWS */
	int nmonths;
};

void store_res_cells_end(struct store_res_cells *c)
{
	if (!c)
		return;
	sqlite3_finalize(c->months);
	sqlite3_finalize(c->rows);
	grid_free(&c->one);
	grid_free(&c->all);
	facts_q_end(&c->q);
	sqlite3_exec(c->q.s->db, "COMMIT", NULL, NULL, NULL);
	store_rollback(c->q.s);
	free(c);
}

int store_res_cells_begin(struct store *s, const struct project *p, cdate asof, int64_t entries,
                          struct store_res_cells **out, struct err *e)
{
	*out = NULL;
	struct store_res_cells *c = xcalloc(1, sizeof *c);
	c->q = (struct facts_q){.s = s, .p = p};
	date_format(asof, c->q.asof);
	date_to_ymd(p->start, &c->q.sy, &c->q.sm, NULL);
	c->nmonths = p->nmonths > 0 ? p->nmonths : 1;
	if (store_exec_retry(s, "BEGIN", "read", e) < 0) {
		free(c);
		return -1;
	}
	int rc = 0;
	int64_t now;
	if (entries >= 0 && (rc = store_summary(s, &now, NULL, e)) == 0 && now != entries)
		rc = 1;
	if (rc == 0)
		rc = revs_read(&c->q, e);
	grid_init(&c->all, &c->q, &c->f, 0, 0, p->npartners, p->nwps, 0, 0);
	grid_alloc(&c->one, &c->q, &c->f, 0, 0, 1, 1, c->nmonths, 0);
	if (rc == 0 && s->version >= 8)
		rc = facts_q_prepare(&c->q, SQL_EFFORT_SUMMARY_CELL, &c->months, e);
	if (rc != 0) {
		store_res_cells_end(c);
		return rc;
	}
	*out = c;
	return 0;
}

int store_res_cells_read(struct store_res_cells *c, int pi, int wi, long *pm, char **notes,
                         struct err *e)
{
	const struct project *p = c->q.p;
	memset(pm, 0, (size_t)c->nmonths * sizeof *pm);
	if (notes)
		memset(notes, 0, (size_t)c->nmonths * sizeof *notes);
	if (pi < 0 || pi >= p->npartners || wi < 0 || wi >= p->nwps)
		return 0;
	struct res_q *r = &c->one;
	r->p0 = pi;
	r->w0 = wi;
	r->touched[0] = c->all.touched[(size_t)pi * (size_t)p->nwps + (size_t)wi];
	r->notes = notes != NULL;
	r->nstale = 0;
	r->pm = pm;
	r->lp = r->lw = (struct lookup){{0}, -1};
	int rc = 1;
	if (c->months) {
		facts_q_rebind(c->months, NULL, p->wps[wi].id, p->partners[pi].id);
		rc = read_months(r, c->months, e);
	}
	if (rc == 1) {
		grid_clear(r);
		rc = facts_q_lazy(&c->q, SQL_RES_CELL_ROWS, &c->rows, e);
		if (rc == 0) {
			facts_q_rebind(c->rows, NULL, p->wps[wi].id, p->partners[pi].id);
			rc = read_log(r, c->rows, e);
		}
	}
	for (int k = 0; k < c->nmonths; k++) {
		if (notes && rc == 0)
			notes[k] = r->w[k].note;
		else
			free(r->w[k].note);
	}
	memset(r->w, 0, (size_t)c->nmonths * sizeof *r->w);
	if (c->months)
		sqlite3_reset(c->months);
	if (c->rows)
		sqlite3_reset(c->rows);
	return rc;
}

int store_res_months(struct store *s, const struct project *p, cdate asof, int pi, int wi,
                     long *pm, char **notes, struct err *e)
{
	int nmonths = p->nmonths > 0 ? p->nmonths : 1;
	memset(pm, 0, (size_t)nmonths * sizeof *pm);
	if (notes)
		memset(notes, 0, (size_t)nmonths * sizeof *notes);
	if (pi < 0 || pi >= p->npartners || wi < 0 || wi >= p->nwps)
		return 0;
	struct store_res_cells *c;
	int rc = store_res_cells_begin(s, p, asof, -1, &c, e);
	if (rc == 0)
		rc = store_res_cells_read(c, pi, wi, pm, notes, e);
	store_res_cells_end(c);
	return rc;
}

int store_cost_total(struct store *s, const char *partner, const char *category,
                     int64_t skip, long *cents, struct err *e)
{
	sqlite3_stmt *st;
	*cents = 0;
	if (store_prepare(s, "SELECT l.id, l.value FROM log l WHERE l.kind = 'cost'"
	                  " AND l.partner = :partner AND l.item = :item AND" LIVE, &st, e) < 0)
		return -1;
	store_bind_named(st, ":partner", partner, -1);
	store_bind_named(st, ":item", category, -1);
	store_bind_named(st, ":asof", "9999-12-31", -1);
	int rc;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		long v;
		if (sqlite3_column_int64(st, 0) != skip &&
		    res_entry_cost((const char *)sqlite3_column_text(st, 1), &v, NULL) == 0)
			*cents += v;
	}
	sqlite3_finalize(st);
	return rc == SQLITE_DONE ? 0 : store_fail(s, rc, "read", e);
}
