/* store_resources: what the log says about the use of resources, for
 * derive (res_derive): per partner x WP the person-months of each month
 * (the latest live entry of that month: a timesheet corrected replaces the
 * earlier one) and the notes given with them, and per partner x category
 * the money spent.
 * From schema 5 the summaries effort_month and cost_total answer it: a
 * month whose entry counts is taken as it is, unless that entry is dated
 * after the as-of date or undone by then; such months (and a category with
 * an entry after the as-of date) are read from the log one by one, and
 * when there are many of them the log is read whole instead. Without the
 * summaries: one pass over the effort and cost entries effective by asof,
 * the reverted ones left out through the facts' list of undone entries;
 * the latest of a month is found by (effective, id), so the rows need no
 * sorting.
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
#define SQL_EFFORT_SUMMARY \
	"SELECT partner, item, effective, id, value, note FROM effort_month"
#define SQL_EFFORT_CELL \
	"SELECT id, value, note, effective FROM log WHERE kind = 'effort' AND partner = :partner" \
	" AND item = :item AND effective <= :asof AND substr(value, 1, 7) = :month" \
	" ORDER BY effective DESC, id DESC"
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
	snprintf(c->last, sizeof c->last, "%s", s);
	return c->index;
}

struct winner {
	long eff;
	int64_t id;
	char *note;
};

struct res_q {
	struct facts_q *q;
	struct res_facts *f;
	struct winner *w;
	size_t cells;
	long asof;
	struct lookup lp, lw;
};

/* The cell of an effort entry's value for partner pi and WP wi, or -1. */
static long cell_of(const struct res_q *r, int pi, int wi, const char *value, long *pm)
{
	int y, m;
	if (pi < 0 || wi < 0 || res_entry_effort(value, &y, &m, pm) < 0)
		return -1;
	int month = (y - r->q->sy) * 12 + (m - r->q->sm) + 1;
	if (month < 1 || month > r->f->nmonths)
		return -1;
	return (long)(((size_t)pi * (size_t)r->f->nwps + (size_t)wi) * (size_t)r->f->nmonths +
	              (size_t)(month - 1));
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
	free(x->note);
	x->note = store_col_dup(st, note_col);
	r->f->effort[at] = pm;
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

static int read_log(struct res_q *r, struct err *e)
{
	const struct project *p = r->q->p;
	sqlite3_stmt *st;
	if (facts_q_prepare(r->q, SQL_RES_ROWS, &st, e) < 0)
		return -1;
	int rc;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		int64_t id = sqlite3_column_int64(st, 0);
		if (r->q->rv.n && revs_has(&r->q->rv, id))
			continue;
		const char *kind = (const char *)sqlite3_column_text(st, 1);
		int pi = lookup(&r->lp, p, (const char *)sqlite3_column_text(st, 2), project_partner);
		const char *item = (const char *)sqlite3_column_text(st, 3);
		const char *value = (const char *)sqlite3_column_text(st, 4);
		if (!kind || pi < 0)
			continue;
		if (strcmp(kind, "cost") == 0) {
			add_cost(r, pi, item, value);
			continue;
		}
		long pm, at = cell_of(r, pi, lookup(&r->lw, p, item, project_wp), value, &pm);
		long eff = ymd_key((const char *)sqlite3_column_text(st, 6));
		if (at >= 0 && eff >= 0)
			win(r, at, eff, id, pm, st, 5);
	}
	sqlite3_finalize(st);
	return rc == SQLITE_DONE ? 0 : store_fail(r->q->s, rc, "read", e);
}

/* A month of partner x WP from the log: its latest live entry by asof. */
static int read_cell(struct res_q *r, sqlite3_stmt *st, int pi, int wi, const char *month,
                     struct err *e)
{
	const struct project *p = r->q->p;
	facts_q_rebind(st, NULL, p->wps[wi].id, p->partners[pi].id);
	store_bind_named(st, ":month", month, 7);
	int rc;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		int64_t id = sqlite3_column_int64(st, 0);
		if (r->q->rv.n && revs_has(&r->q->rv, id))
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

/* The cents of partner pid's cost entries of category item (with wp: only
 * those that name it) undone by asof; *n: how many. */
static long undone_costs(const struct res_q *r, const char *pid, const char *item, const char *wp,
                         long *n)
{
	long sum = 0;
	*n = 0;
	for (size_t k = 0; k < r->q->rv.n; k++) {
		const struct rev *u = &r->q->rv.v[k];
		long cents;
		const char *uwp;
		if (u->found && u->kind && strcmp(u->kind, "cost") == 0 && u->partner &&
		    strcmp(u->partner, pid) == 0 && u->item && strcmp(u->item, item) == 0 &&
		    res_entry_cost(u->value, &cents, &uwp) == 0 && (!wp || (uwp && strcmp(uwp, wp) == 0))) {
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
	if (store_prepare(r->q->s, sql, &st, e) < 0 || facts_q_prepare(r->q, SQL_COST_CELL, &cell, e) < 0)
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
			if (cost_cell(r, cell, pi, pid, item, wp, e) < 0)
				goto done;
			continue;
		}
		long n, v = (long)sqlite3_column_int64(st, 3) - undone_costs(r, pid, item, wp, &n);
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
	return out;
}

/* From the summaries: 0, 1 when the log must be read whole, -1 on error. */
static int read_summaries(struct res_q *r, struct err *e)
{
	const struct project *p = r->q->p;
	sqlite3_stmt *st = NULL, *cell = NULL;
	struct stale *sv = NULL;
	size_t ns = 0, cap = 0;
	int rc, out = -1;
	if (store_prepare(r->q->s, SQL_EFFORT_SUMMARY, &st, e) < 0)
		return -1;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		int pi = lookup(&r->lp, p, (const char *)sqlite3_column_text(st, 0), project_partner);
		int wi = lookup(&r->lw, p, (const char *)sqlite3_column_text(st, 1), project_wp);
		long eff = ymd_key((const char *)sqlite3_column_text(st, 2));
		int64_t id = sqlite3_column_int64(st, 3);
		const char *value = (const char *)sqlite3_column_text(st, 4);
		long pm, at = cell_of(r, pi, wi, value, &pm);
		if (at < 0 || eff < 0)
			continue;
		if (eff <= r->asof && !(r->q->rv.n && revs_has(&r->q->rv, id))) {
			win(r, at, eff, id, pm, st, 5);
			continue;
		}
		if (ns == STALE_MAX) {
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
	sqlite3_finalize(st);
	st = NULL;
	if (ns && facts_q_prepare(r->q, SQL_EFFORT_CELL, &cell, e) < 0)
		goto done;
	for (size_t i = 0; i < ns; i++)
		if (read_cell(r, cell, sv[i].pi, sv[i].wi, sv[i].month, e) < 0)
			goto done;
	sqlite3_finalize(cell);
	cell = NULL;

	/* Costs: the sums, less what is undone by asof; a category with an
	 * entry after asof from the log. */
	if (read_cost_summary(r, SQL_COST_SUMMARY, e) < 0)
		goto done;
	out = 0;
done:
	sqlite3_finalize(st);
	sqlite3_finalize(cell);
	free(sv);
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

int store_resources_fill(struct facts_q *q, struct res_facts *f, struct err *e)
{
	const struct project *p = q->p;
	if (p->npartners == 0 || p->nwps == 0)
		return 0;
	struct res_q r = {.q = q, .f = f, .asof = ymd_key(q->asof), .lp = {{0}, -1}, .lw = {{0}, -1}};
	r.cells = (size_t)f->npartners * (size_t)f->nwps * (size_t)f->nmonths;
	r.w = xcalloc(r.cells + 1, sizeof *r.w);
	int rc = q->s->version >= 5 ? read_summaries(&r, e) : 1;
	if (rc == 1) {
		/* The log whole: start again from nothing. */
		for (size_t c = 0; c < r.cells; c++)
			free(r.w[c].note);
		memset(r.w, 0, (r.cells + 1) * sizeof *r.w);
		memset(f->effort, 0, r.cells * sizeof *f->effort);
		memset(f->cost, 0, (size_t)f->npartners * RES_NCAT * sizeof *f->cost);
		f->entries = 0;
		rc = read_log(&r, e);
	}
	if (rc == 0)
		rc = read_cost_wp(&r, e);
	/* The notes of the entries that count, month by month. */
	for (size_t c = 0; c < r.cells; c++)
		f->effort_notes[c] = r.w[c].note;
	free(r.w);
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
