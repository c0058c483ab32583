/* store_reach: reach targets' totals, per partner and month by month,
 * from the summaries (reach_month, reach_total, reach_delta, reach_value)
 * corrected for the undone entries, or from the log itself (schema 1). */
#include "config.h"
#include "core/store.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include <sqlite3.h>

#include "core/store_int.h"

/* Project month of an effective date, clamped to 1..:nmonths, from the
 * project's :start_year and :start_month. */
#define SQL_MONTH "max(1, min(:nmonths, (CAST(substr(l.effective, 1, 4) AS INTEGER) - :start_year) * 12" \
	" + CAST(substr(l.effective, 6, 2) AS INTEGER) - :start_month + 1))"

/* Count targets: per partner, the running total at the last entry of each
 * month ("=N" starts a new run, "+N"/"-N" add to it). WHERE is an extra
 * condition on l. */
#define SQL_REACH_COUNT_WHERE(WHERE) \
	"WITH e AS (SELECT l.id, l.partner, l.effective," \
	"  substr(l.value, 1, 1) = '=' AS is_set, " REACH_N("l") " AS n," \
	"  " SQL_MONTH " AS mon" \
	"  FROM log l WHERE l.kind = 'reach' AND l.item = :item AND l.effective <= :asof" WHERE \
	"  AND substr(l.value, 1, 1) IN ('+', '-', '=') AND" LIVE ")," \
	" g AS (SELECT *, SUM(is_set) OVER (PARTITION BY partner ORDER BY effective, id" \
	"  ROWS UNBOUNDED PRECEDING) AS grp FROM e)," \
	" r AS (SELECT partner, mon," \
	"  SUM(n) OVER (PARTITION BY partner, grp ORDER BY effective, id ROWS UNBOUNDED PRECEDING) AS run," \
	"  ROW_NUMBER() OVER (PARTITION BY partner, mon ORDER BY effective DESC, id DESC) AS rn FROM g)" \
	" SELECT partner, mon, run FROM r WHERE rn = 1 ORDER BY partner, mon"

/* Distinct targets: each (value, partner) pair with the month it first
 * appeared. */
#define SQL_REACH_DISTINCT_WHERE(WHERE) \
	"SELECT l.value, l.partner, MIN(" SQL_MONTH ") FROM log l" \
	" WHERE l.kind = 'reach' AND l.item = :item AND l.effective <= :asof" WHERE " AND" LIVE \
	" GROUP BY l.value, l.partner"
/* Count buckets up to the month of asof (:asof_month = 'YYYY-MM'). */
#define SQL_REACH_MONTHS \
	"SELECT partner, month, nset, set_n, tail, last, set_eff, set_id FROM reach_month" \
	" WHERE item = :item AND month <= :asof_month ORDER BY partner, month"
/* The same for one partner :partner. */
#define SQL_REACH_MONTHS_PARTNER \
	"SELECT partner, month, nset, set_n, tail, last, set_eff, set_id FROM reach_month" \
	" WHERE item = :item AND partner = :partner AND month <= :asof_month ORDER BY month"
/* The same from month :from on. */
#define SQL_REACH_MONTHS_PARTNER_FROM \
	"SELECT partner, month, nset, set_n, tail, last, set_eff, set_id FROM reach_month" \
	" WHERE item = :item AND partner = :partner AND month >= :from AND month <= :asof_month" \
	" ORDER BY month"
/* Schema 3: every partner's total of target :item over the whole log. */
#define SQL_REACH_TOTALS \
	"SELECT partner, nset, set_n, tail, last, set_eff, set_id FROM reach_total WHERE item = :item"
/* The first live entry of one (value :value, partner) by asof, from the
 * pair's first entry on (reach_value's). */
#define SQL_REACH_FIRST \
	"SELECT l.effective FROM log l INDEXED BY log_kind_partner WHERE l.kind = 'reach'" \
	" AND l.partner = :partner AND l.item = :item AND l.effective <= :asof" \
	" AND l.effective >= (SELECT v.first_eff FROM reach_value v WHERE v.item = :item" \
	"  AND v.value = :value AND v.partner = :partner)" \
	" AND l.value = :value AND" LIVE " ORDER BY l.effective LIMIT 1"
/* The count entries of one partner in one month (:month = 'YYYY-MM'), up
 * to asof, with their ids, the undone ones too: the caller leaves out those
 * undone by the date it asks about (q->rv, or a revert's month). The
 * planner would rather scan the covering log_kind_item over every
 * partner's entries; one partner's are far fewer. The month's end and asof
 * are one bound: with two, SQLite takes asof's and scans every later month
 * of the pair. */
#define SQL_REACH_BUCKET_ALL \
	"SELECT l.id, substr(l.value, 1, 1) = '=', " REACH_N("l") " FROM log l INDEXED BY log_kind_partner" \
	" WHERE l.kind = 'reach' AND l.partner = :partner AND l.item = :item" \
	" AND l.effective BETWEEN :month AND min(:month || '-99', :asof)" \
	" AND substr(l.value, 1, 1) IN ('+', '-', '=') ORDER BY l.effective, l.id"
/* Every partner's first entry of one distinct value :value by asof. */
#define SQL_REACH_VALUE_PAIRS \
	"SELECT partner, first_eff FROM reach_value WHERE item = :item AND value = :value" \
	" AND first_eff <= :asof"
/* The entries of one (value :value, partner) by asof, the undone too,
 * from its first (:first, from reach_value). */
#define SQL_REACH_PAIR_ALL \
	"SELECT l.id, l.effective FROM log l INDEXED BY log_kind_partner WHERE l.kind = 'reach'" \
	" AND l.partner = :partner AND l.item = :item AND l.effective BETWEEN :first AND :asof" \
	" AND l.value = :value ORDER BY l.effective, l.id"
/* Schema 4: the change of the total over all partners in each calendar
 * month up to the month of asof (:asof_month). */
#define SQL_REACH_DELTAS \
	"SELECT month, delta FROM reach_delta WHERE item = :item AND month <= :asof_month ORDER BY month"
/* Schema 9: a distinct target's pairs counted by partner, its values
 * counted, and the first of them in byte order (:limit). */
#define SQL_REACH_PAIR_TOTALS "SELECT partner, n, last FROM reach_pair_total WHERE item = :item"
#define SQL_REACH_FIRST_TOTAL "SELECT NULL, n, last FROM reach_first_total WHERE item = :item"
#define SQL_REACH_FIRST_VALUES "SELECT value, first_eff FROM reach_value_first WHERE item = :item" \
	" AND first_eff <= :asof ORDER BY value LIMIT :limit"
/* Distinct values first recorded by asof, in byte order (the key's). */
#define SQL_REACH_VALUES \
	"SELECT value, partner, first_eff FROM reach_value WHERE item = :item AND first_eff <= :asof" \
	" ORDER BY value"


void reach_q_free(struct reach_q *rq)
{
	sqlite3_finalize(rq->count);
	sqlite3_finalize(rq->distinct);
	sqlite3_finalize(rq->months);
	sqlite3_finalize(rq->first);
	sqlite3_finalize(rq->values);
	sqlite3_finalize(rq->totals);
	sqlite3_finalize(rq->months_partner);
	sqlite3_finalize(rq->months_from);
	sqlite3_finalize(rq->deltas);
	sqlite3_finalize(rq->bucket_all);
	sqlite3_finalize(rq->value_pairs);
	sqlite3_finalize(rq->pair_all);
	sqlite3_finalize(rq->pair_totals);
	sqlite3_finalize(rq->first_total);
	sqlite3_finalize(rq->first_values);
	memset(rq, 0, sizeof *rq);
}

/* Prepares and binds what stays fixed: :asof, the month formula's
 * :start_year, :start_month and :nmonths, and :asof_month ('YYYY-MM'). */
static int reach_prepare(struct facts_q *q, const char *sql, sqlite3_stmt **st, struct err *e)
{
	if (facts_q_prepare(q, sql, st, e) < 0)
		return -1;
	sqlite3_stmt *s = *st;
	int i;
	if ((i = sqlite3_bind_parameter_index(s, ":start_year")))
		sqlite3_bind_int(s, i, q->sy);
	if ((i = sqlite3_bind_parameter_index(s, ":start_month")))
		sqlite3_bind_int(s, i, q->sm);
	if ((i = sqlite3_bind_parameter_index(s, ":nmonths")))
		sqlite3_bind_int(s, i, q->p->nmonths);
	store_bind_named(s, ":asof_month", q->asof, 7);
	return 0;
}

/* Whole-log totals serve when the months are not wanted (schema 3). */
static int totals_usable(const struct facts_q *q)
{
	return q->s->version >= 3 && (q->flags & STORE_FACTS_NO_MONTHS);
}

/* Prepares a reach statement on first use. */
static int reach_lazy(struct facts_q *q, const char *sql, sqlite3_stmt **st, struct err *e)
{
	return *st ? 0 : reach_prepare(q, sql, st, e);
}

/* The year and month of a text beginning 'YYYY-MM' and no digit after
 * it, as atoi reads them: 1, or 0 when it does not begin so. */
static int ym_digits(const char *ym, int *y, int *m)
{
	if (!(ym[0] >= '0' && ym[0] <= '9' && ym[1] >= '0' && ym[1] <= '9' && ym[2] >= '0' &&
	      ym[2] <= '9' && ym[3] >= '0' && ym[3] <= '9' && ym[4] == '-' && ym[5] >= '0' &&
	      ym[5] <= '9' && ym[6] >= '0' && ym[6] <= '9' && (ym[7] < '0' || ym[7] > '9')))
		return 0;
	*y = (ym[0] - '0') * 1000 + (ym[1] - '0') * 100 + (ym[2] - '0') * 10 + (ym[3] - '0');
	*m = (ym[5] - '0') * 10 + (ym[6] - '0');
	return 1;
}

/* Project month (clamped to 1..nmonths) of a date or month 'YYYY-MM...',
 * as SQL_MONTH computes it. */
static int month_index(const struct facts_q *q, const char *ym)
{
	if (!ym)
		return 1;
	/* 'YYYY-MM' as the log's CHECK guarantees; anything else as atoi reads it. */
	int y, m;
	if (!ym_digits(ym, &y, &m)) {
		if (strlen(ym) < 7)
			return 1;
		y = atoi(ym);
		m = atoi(ym + 5);
	}
	long mon = (long)(y - q->sy) * 12 + m - q->sm + 1;
	if (mon > q->p->nmonths)
		mon = q->p->nmonths;
	return mon < 1 ? 1 : (int)mon;
}

/* The undone entries of one target, by partner, month, effective date
 * and id; the texts are the reverts' (q->rv), which outlive them. */
struct undone {
	const char *partner, *month, *value;
	int64_t id;
	char effective[11];
	long rmon;            /* project month of the revert, not clamped */
	int op;               /* 0 not a count entry, 1 "+N"/"-N", 2 "=N" */
	long n;
};

struct undones {
	struct undone *v;
	size_t n, cap;
};

static void undones_free(struct undones *u)
{
	free(u->v);
	memset(u, 0, sizeof *u);
}

static int undone_cmp(const void *x, const void *y)
{
	const struct undone *a = x, *b = y;
	int c = strcmp(a->partner, b->partner);
	if (!c)
		c = strcmp(a->month, b->month);
	if (!c)
		c = strcmp(a->effective, b->effective);
	return c ? c : (a->id > b->id) - (a->id < b->id);
}

/* The undone entries of partner (and, unless NULL, month): [*lo, *hi). */
static void undone_range(const struct undones *u, const char *partner, const char *month,
                         size_t *lo, size_t *hi)
{
	size_t a = 0, b = u->n;
	while (a < b) {
		size_t mid = a + (b - a) / 2;
		int c = strcmp(u->v[mid].partner, partner);
		if (!c && month)
			c = strcmp(u->v[mid].month, month);
		if (c < 0)
			a = mid + 1;
		else
			b = mid;
	}
	size_t z = a;
	while (z < u->n && strcmp(u->v[z].partner, partner) == 0 &&
	       (!month || strcmp(u->v[z].month, month) == 0))
		z++;
	*lo = a;
	*hi = z;
}

/* Does an undone entry fall in (partner, month) or (partner, value)? */
static int undone_has(const struct undones *u, const char *partner, const char *month,
                      const char *value)
{
	size_t lo, hi;
	undone_range(u, partner, month, &lo, &hi);
	for (size_t i = lo; i < hi; i++)
		if (!value || strcmp(u->v[i].value, value) == 0)
			return 1;
	return 0;
}

static long month_unclamped(const struct facts_q *q, const char *ym);

/* The undone reach entries of target tid effective by asof, from the
 * reverts read once. */
static void undones_for(const struct facts_q *q, const char *tid, struct undones *out)
{
	/* From q->rv.reach, or from all of q->rv in a copy without it. */
	const struct revs *rv = &q->rv;
	size_t n = rv->reach ? rv->nreach : rv->n;
	for (size_t i = 0; i < n; i++) {
		const struct rev *r = rv->reach ? rv->reach[i] : &rv->v[i];
		if (!r->found || !r->reach || strcmp(r->item, tid) != 0 ||
		    strcmp(r->effective, q->asof) > 0)
			continue;
		xgrow(&out->v, &out->cap, out->n + 1, sizeof *out->v);
		struct undone *u = &out->v[out->n++];
		u->partner = r->partner;
		u->month = r->month;
		u->value = r->value;
		u->id = r->id;
		size_t ne = strlen(r->effective);
		if (ne >= sizeof u->effective)
			ne = sizeof u->effective - 1;
		memcpy(u->effective, r->effective, ne);
		u->effective[ne] = '\0';
		u->rmon = strlen(r->reff) >= 7 ? month_unclamped(q, r->reff) : LONG_MIN;
		u->op = r->op;
		u->n = r->n;
	}
	if (out->n > 1)
		qsort(out->v, out->n, sizeof *out->v, undone_cmp);
}

/* Accumulates (partner, month, running total) rows, partner by partner,
 * months ascending, into per-partner totals and month-by-month changes. */
struct run_acc {
	const struct project *p;
	struct reach_fact *r;
	long *delta;          /* [nmonths]: change of the total in each month */
	int cur;
	long last_run;
};

static void run_add(struct run_acc *a, int pi, int mon, long run)
{
	if (pi < 0 || mon < 1 || mon > a->p->nmonths)
		return;
	if (pi != a->cur) {
		a->cur = pi;
		a->last_run = 0;
	}
	/* The partner's total changes from last_run to run at month mon. */
	a->delta[mon - 1] += run - a->last_run;
	a->last_run = run;
	a->r->by_partner[pi] = run;
}

/* Rows (partner, mon, run) from the log itself; :partner bound by the caller
 * when the statement has it. */
static int count_from_log(struct facts_q *q, sqlite3_stmt *st, struct run_acc *a, struct err *e)
{
	int rc;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW)
		run_add(a, project_partner(q->p, (const char *)sqlite3_column_text(st, 0)),
		        sqlite3_column_int(st, 1), (long)sqlite3_column_int64(st, 2));
	sqlite3_reset(st);
	if (rc != SQLITE_DONE)
		return store_fail(q->s, rc, "read", e);
	return 0;
}

/* What the undone entries of a partner (in one month, or in all of them
 * when month is NULL) take from a summary row of st: the "+N"/"-N" after
 * its latest "=N" (nset at column at, set_eff and set_id four and five
 * columns on, as reach_month and reach_total give them; an "=N" before
 * that one takes nothing); -1 when one of them is that "=N", which only
 * the log can answer. */
static int undone_after_set(const struct undones *u, const char *partner, const char *month,
                            sqlite3_stmt *st, int at, long *minus)
{
	int nset = 0, read = 0;
	const char *set_eff = NULL;
	int64_t set_id = 0;
	size_t lo, hi;
	*minus = 0;
	undone_range(u, partner, month, &lo, &hi);
	for (size_t i = lo; i < hi; i++) {
		const struct undone *x = &u->v[i];
		if (x->op == 0)
			continue;
		/* The row's columns only once an undone entry falls in it. */
		if (!read) {
			nset = sqlite3_column_int64(st, at) > 0;
			set_eff = (const char *)sqlite3_column_text(st, at + 4);
			set_id = sqlite3_column_int64(st, at + 5);
			read = 1;
		}
		if (nset && !set_eff)
			return -1;
		int c = nset ? strcmp(x->effective, set_eff) : 1;
		int after = c > 0 || (c == 0 && x->id >= set_id);
		/* An "=N" before the row's latest one changes nothing; that one
		 * itself, or one after it, only the log can answer for. */
		if (x->op == 2) {
			if (after)
				return -1;
			continue;
		}
		if (after)
			*minus += x->n;
	}
	return 0;
}

/* One month row of a pair (st: months_partner) into its share of
 * reach_delta: the change of the pair's total at the end of that month,
 * the bucket read whole as the table sums it; *prev the total before. */
static void share_row(const struct facts_q *q, sqlite3_stmt *st, const char *month, long *prev,
                      long *delta)
{
	long tail = (long)sqlite3_column_int64(st, 4);
	long end = sqlite3_column_int64(st, 2) > 0 ? (long)sqlite3_column_int64(st, 3) + tail : *prev + tail;
	delta[month_index(q, month) - 1] += end - *prev;
	*prev = end;
}

/* Schema 2: the running totals from the month buckets. A bucket wholly
 * on or before asof gives the total at its end at once (the latest "=N"
 * plus what follows it, or the previous total plus its sum), less the
 * undone "+N"/"-N" that count in it; any other bucket (asof's month
 * holding later entries, or an undone "=N") is read from the log: one
 * partner's month. */
static int count_from_buckets(struct facts_q *q, struct reach_q *rq, sqlite3_stmt *st,
                              const char *tid, const char *only, const char *from,
                              const struct undones *undone, struct run_acc *a, long *share,
                              long *share_end, struct err *e)
{
	/* only: one partner (st is months_partner, or months_from with from),
	 * or NULL for all (months). share (with only): the pair's share of
	 * reach_delta added to it (share_row), from the same rows, and its
	 * total at their end in *share_end. */
	facts_q_rebind(st, NULL, tid, only);
	if (from)
		store_bind_named(st, ":from", from, -1);
	char *cur = NULL;
	int pi = -1, rc;
	long total = 0, prev = 0;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		const char *partner = (const char *)sqlite3_column_text(st, 0);
		const char *month = (const char *)sqlite3_column_text(st, 1);
		const char *last = (const char *)sqlite3_column_text(st, 5);
		if (share && month)
			share_row(q, st, month, &prev, share);
		if (!partner || !month || !last)
			continue;
		if (!cur || strcmp(cur, partner) != 0) {
			free(cur);
			cur = xstrdup(partner);
			total = 0;
			pi = project_partner(q->p, partner);
		}
		if (pi < 0)
			continue;
		long minus = 0;
		if ((strncmp(month, q->asof, 7) < 0 || strcmp(last, q->asof) <= 0) &&
		    undone_after_set(undone, partner, month, st, 2, &minus) == 0) {
			long tail = (long)sqlite3_column_int64(st, 4) - minus;
			if (sqlite3_column_int64(st, 2) > 0)
				total = (long)sqlite3_column_int64(st, 3) + tail;
			else
				total += tail;
		} else {
			/* Every entry of the month, the undone ones (q->rv, as LIVE
			 * would find them) left out here: a subquery per entry
			 * cost more than the entry. */
			if (reach_lazy(q, SQL_REACH_BUCKET_ALL, &rq->bucket_all, e) < 0) {
				sqlite3_reset(st);
				free(cur);
				return -1;
			}
			sqlite3_stmt *bt = rq->bucket_all;
			facts_q_rebind(bt, NULL, tid, partner);
			store_bind_named(bt, ":month", month, -1);
			int brc;
			while ((brc = sqlite3_step(bt)) == SQLITE_ROW) {
				if (revs_has(&q->rv, sqlite3_column_int64(bt, 0)))
					continue;
				long n = (long)sqlite3_column_int64(bt, 2);
				total = sqlite3_column_int(bt, 1) ? n : total + n;
			}
			sqlite3_reset(bt);
			if (brc != SQLITE_DONE) {
				sqlite3_reset(st);
				free(cur);
				return store_fail(q->s, brc, "read", e);
			}
		}
		run_add(a, pi, month_index(q, month), total);
	}
	free(cur);
	sqlite3_reset(st);
	if (share_end)
		*share_end = prev;
	if (rc != SQLITE_DONE)
		return store_fail(q->s, rc, "read", e);
	return 0;
}

/* Schema 3, months not wanted: a pair whose entries are all on or before
 * asof has its total in reach_total (the latest "=N" plus what follows
 * it), less the undone "+N"/"-N" after that "=N"; any other pair is read
 * from its months as count_from_buckets does, so both give the same
 * numbers. */
static int count_from_totals(struct facts_q *q, struct reach_q *rq, const char *tid,
                             const struct undones *undone, struct run_acc *a, struct err *e)
{
	sqlite3_stmt *st = rq->totals;
	facts_q_rebind(st, NULL, tid, NULL);
	int rc;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		const char *partner = (const char *)sqlite3_column_text(st, 0);
		const char *last = (const char *)sqlite3_column_text(st, 4);
		if (!partner || !last)
			continue;
		int pi = project_partner(q->p, partner);
		if (pi < 0)
			continue;
		/* Undone "+N"/"-N" are taken from the total; entries after asof
		 * or an undone "=N" send the pair to its months. */
		long minus = 0;
		if (strcmp(last, q->asof) > 0 ||
		    (undone->n && undone_after_set(undone, partner, NULL, st, 1, &minus) < 0)) {
			if (count_from_buckets(q, rq, rq->months_partner, tid, partner, NULL, undone, a, NULL,
			                       NULL, e) < 0) {
				sqlite3_reset(st);
				return -1;
			}
			continue;
		}
		long set = sqlite3_column_int64(st, 1) > 0 ? (long)sqlite3_column_int64(st, 2) : 0;
		a->r->by_partner[pi] = set + (long)sqlite3_column_int64(st, 3) - minus;
	}
	sqlite3_reset(st);
	if (rc != SQLITE_DONE)
		return store_fail(q->s, rc, "read", e);
	return 0;
}

/* One pair's share of reach_delta: its buckets (st: months_partner) read
 * whole, as the table sums them, added to delta by project month. */
static int pair_share(struct facts_q *q, sqlite3_stmt *st, const char *tid, const char *partner,
                      long *delta, struct err *e)
{
	facts_q_rebind(st, NULL, tid, partner);
	long prev = 0;
	int rc;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		const char *month = (const char *)sqlite3_column_text(st, 1);
		if (month)
			share_row(q, st, month, &prev, delta);
	}
	sqlite3_reset(st);
	if (rc != SQLITE_DONE)
		return store_fail(q->s, rc, "read", e);
	return 0;
}

/* Schema 4, months wanted: the monthly series from reach_delta, one row a
 * month. The table sums every pair's buckets whole; a pair the totals
 * cannot serve (entries after asof, an undone entry, a partner the
 * definition does not know) has its share taken out again and, for a
 * partner of the definition, put back as count_from_buckets reads it, so
 * that the numbers equal those of the months of every pair. by_partner as
 * count_from_totals gives it. */
static int count_from_deltas(struct facts_q *q, struct reach_q *rq, const char *tid,
                             const struct undones *undone, struct run_acc *a, struct err *e)
{
	const struct project *p = q->p;
	long *out = xcalloc((size_t)p->nmonths + 1, sizeof *out);
	int r = -1, rc;
	sqlite3_stmt *st = rq->totals;
	facts_q_rebind(st, NULL, tid, NULL);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		const char *partner = (const char *)sqlite3_column_text(st, 0);
		const char *last = (const char *)sqlite3_column_text(st, 4);
		if (!partner || !last)
			continue;
		int pi = project_partner(p, partner);
		int in_time = strcmp(last, q->asof) <= 0;
		long set = sqlite3_column_int64(st, 1) > 0 ? (long)sqlite3_column_int64(st, 2) : 0;
		long whole = set + (long)sqlite3_column_int64(st, 3);
		size_t lo = 0, hi = 0;
		int sets = 0;   /* an undone "=N" of the pair */
		if (pi >= 0 && in_time)
			undone_range(undone, partner, NULL, &lo, &hi);
		for (size_t i = lo; i < hi; i++)
			sets |= undone->v[i].op == 2;
		if (pi >= 0 && in_time && lo == hi) {
			a->r->by_partner[pi] = whole;
			continue;
		}
		/* A pair of the definition whose entries are all by asof, sent
		 * here by its undone "+N"/"-N": its months before the first of
		 * them are in reach_delta as they are, so only the months from
		 * that one on are read, from a total of 0. Taking their share
		 * out and putting them back as count_from_buckets reads them
		 * changes each month by the difference of the two running
		 * totals, which does not depend on where both began (an "=N"
		 * sets both, as none is undone); the pair's total is its whole
		 * total changed by the same difference. An undone "=N" leaves
		 * one total set where the other runs on: such a pair is read
		 * from its first month. */
		if (pi >= 0 && in_time && !sets) {
			long end = 0;
			if (reach_lazy(q, SQL_REACH_MONTHS_PARTNER_FROM, &rq->months_from, e) < 0 ||
			    count_from_buckets(q, rq, rq->months_from, tid, partner, undone->v[lo].month, undone,
			                       a, out, &end, e) < 0) {
				sqlite3_reset(st);
				goto done;
			}
			a->r->by_partner[pi] = whole + a->r->by_partner[pi] - end;
			continue;
		}
		/* One pass over the pair's months for both, when it counts. */
		if (pi >= 0 ? count_from_buckets(q, rq, rq->months_partner, tid, partner, NULL, undone, a, out,
		                                 NULL, e) < 0
		            : pair_share(q, rq->months_partner, tid, partner, out, e) < 0) {
			sqlite3_reset(st);
			goto done;
		}
	}
	sqlite3_reset(st);
	if (rc != SQLITE_DONE) {
		store_fail(q->s, rc, "read", e);
		goto done;
	}
	st = rq->deltas;
	facts_q_rebind(st, NULL, tid, NULL);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		const char *month = (const char *)sqlite3_column_text(st, 0);
		if (month)
			a->delta[month_index(q, month) - 1] += (long)sqlite3_column_int64(st, 1);
	}
	sqlite3_reset(st);
	if (rc != SQLITE_DONE) {
		store_fail(q->s, rc, "read", e);
		goto done;
	}
	for (int m = 0; m < p->nmonths; m++)
		a->delta[m] -= out[m];
	r = 0;
done:
	free(out);
	return r;
}

int reach_fact_count(struct facts_q *q, struct reach_q *rq, int ti, struct reach_fact *r, struct err *e)
{
	const struct project *p = q->p;
	const char *tid = p->targets[ti].id;
	struct run_acc a = { .p = p, .r = r, .cur = -2 };
	a.delta = xcalloc((size_t)p->nmonths + 1, sizeof *a.delta);
	struct undones undone = {0};
	int ret = -1;
	if (q->s->version < 2) {
		if (reach_lazy(q, SQL_REACH_COUNT_WHERE(""), &rq->count, e) < 0)
			goto out;
		facts_q_rebind(rq->count, NULL, tid, NULL);
		if (count_from_log(q, rq->count, &a, e) < 0)
			goto out;
	} else if (totals_usable(q)) {
		undones_for(q, tid, &undone);
		if (reach_lazy(q, SQL_REACH_TOTALS, &rq->totals, e) < 0 ||
		    reach_lazy(q, SQL_REACH_MONTHS_PARTNER, &rq->months_partner, e) < 0 ||
		    count_from_totals(q, rq, tid, &undone, &a, e) < 0)
			goto out;
	} else if (q->s->version >= 4) {
		undones_for(q, tid, &undone);
		if (reach_lazy(q, SQL_REACH_TOTALS, &rq->totals, e) < 0 ||
		    reach_lazy(q, SQL_REACH_MONTHS_PARTNER, &rq->months_partner, e) < 0 ||
		    reach_lazy(q, SQL_REACH_DELTAS, &rq->deltas, e) < 0 ||
		    count_from_deltas(q, rq, tid, &undone, &a, e) < 0)
			goto out;
	} else {
		undones_for(q, tid, &undone);
		if (reach_lazy(q, SQL_REACH_MONTHS, &rq->months, e) < 0 ||
		    count_from_buckets(q, rq, rq->months, tid, NULL, NULL, &undone, &a, NULL, NULL, e) < 0)
			goto out;
	}
	long total = 0;
	for (int i = 0; i < p->npartners; i++)
		total += r->by_partner[i];
	r->total = total;
	long cum = 0;
	for (int m = 0; m < p->nmonths; m++) {
		cum += a.delta[m];
		if (r->by_month[m] != -1)
			r->by_month[m] = cum;
	}
	ret = 0;
out:
	free(a.delta);
	undones_free(&undone);
	return ret;
}

/* (value, partner, first month) of a distinct target. */
struct vpm {
	char *value;
	int pi, mon;
};

static int vpm_cmp(const void *x, const void *y)
{
	return strcmp(((const struct vpm *)x)->value, ((const struct vpm *)y)->value);
}

struct vpms {
	struct vpm *v;
	size_t n, cap;
};

static void vpms_add(struct vpms *vs, const char *value, int pi, int mon)
{
	xgrow(&vs->v, &vs->cap, vs->n + 1, sizeof *vs->v);
	vs->v[vs->n].value = xstrdup(value);
	vs->v[vs->n].pi = pi;
	vs->v[vs->n].mon = mon;
	vs->n++;
}

/* Rows (value, partner, month) from the log itself. */
static int distinct_from_log(struct facts_q *q, sqlite3_stmt *st, struct vpms *vs, struct err *e)
{
	int rc;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		const char *v = (const char *)sqlite3_column_text(st, 0);
		int pi = project_partner(q->p, (const char *)sqlite3_column_text(st, 1));
		int mon = sqlite3_column_int(st, 2);
		if (v && pi >= 0 && mon >= 1 && mon <= q->p->nmonths)
			vpms_add(vs, v, pi, mon);
	}
	sqlite3_reset(st);
	if (rc != SQLITE_DONE)
		return store_fail(q->s, rc, "read", e);
	return 0;
}

/* Counts (value, partner, month) triples that arrive in byte order of
 * value: each value once, in the month it first appeared for any partner. */
struct dacc {
	struct reach_fact *r;
	long *firsts;         /* [nmonths]: values first seen in each month */
	struct sbuf block;    /* the values, each with its NUL, one after another */
	size_t *off;          /* where each value starts in block */
	size_t noff, cap;
	int have_cur, cur_mon;
};

static void dacc_add(struct dacc *a, const char *value, int pi, int mon)
{
	a->r->by_partner[pi]++;
	if (!a->have_cur || strcmp(a->block.s + a->off[a->noff - 1], value) != 0) {
		if (a->have_cur)
			a->firsts[a->cur_mon - 1]++;
		xgrow(&a->off, &a->cap, a->noff + 1, sizeof *a->off);
		a->off[a->noff++] = a->block.len;
		sbuf_add(&a->block, value, strlen(value) + 1);
		a->have_cur = 1;
		a->cur_mon = mon;
	} else if (mon < a->cur_mon) {
		a->cur_mon = mon;
	}
}

/* The values into r: one block for all of them (thousands of values are
 * one allocation, not one each). */
static void dacc_end(struct dacc *a)
{
	struct reach_fact *r = a->r;
	if (a->have_cur)
		a->firsts[a->cur_mon - 1]++;
	a->have_cur = 0;
	if (a->noff == 0)
		return;
	r->values_block = sbuf_take(&a->block);
	r->values = xcalloc(a->noff, sizeof *r->values);
	for (size_t i = 0; i < a->noff; i++)
		r->values[i] = r->values_block + a->off[i];
	r->nvalues = (int)a->noff;
}

/* Sums the counts n (column 1) of st's rows into *sum, or into
 * by_partner (the partner in column 0) when by_partner is set; *ok 0 when
 * a row's greatest first date (last, column 2) is after asof or its
 * partner is not the definition's, which only the pairs themselves can
 * answer. */
static int counts_sum(struct facts_q *q, sqlite3_stmt *st, long *sum, long *by_partner, int *ok,
                      struct err *e)
{
	int rc;
	*ok = 1;
	while (*ok && (rc = sqlite3_step(st)) == SQLITE_ROW) {
		const char *last = (const char *)sqlite3_column_text(st, 2);
		long n = (long)sqlite3_column_int64(st, 1);
		int pi = -1;
		if (n == 0)
			continue;
		if (!last || strcmp(last, q->asof) > 0)
			*ok = 0;
		else if (!by_partner)
			*sum += n;
		else if ((pi = project_partner(q->p, (const char *)sqlite3_column_text(st, 0))) < 0)
			*ok = 0;
		else
			by_partner[pi] += n;
	}
	sqlite3_reset(st);
	if (*ok && rc != SQLITE_DONE)
		return store_fail(q->s, rc, "read", e);
	return 0;
}

/* Schema 11: the totals from the counts and the values in byte order
 * (only the first REACH_FEW_VALUES + 1 with STORE_FACTS_FEW_VALUES and
 * no months) from reach_value_first, for a target none of whose entries
 * is undone. With firsts (months wanted, [nmonths] zeroed), each value
 * counted in the month it first appeared for any partner: that row's
 * first_eff, as the pairs give it. *served 0: the counts cannot answer
 * (see counts_sum), r and firsts are left as they were (on a read error
 * firsts may hold part of the count, and the caller fails). */
static int distinct_from_counts(struct facts_q *q, struct reach_q *rq, const char *tid,
                                struct reach_fact *r, long *firsts, int *served, struct err *e)
{
	const struct project *p = q->p;
	long total = 0;
	long *by = xcalloc((size_t)p->npartners + 1, sizeof *by);
	int ok = 0, ret = -1, rc = SQLITE_DONE;
	struct sbuf block = {0};
	size_t *off = NULL, noff = 0, cap = 0;
	*served = 0;
	if (reach_lazy(q, SQL_REACH_PAIR_TOTALS, &rq->pair_totals, e) < 0 ||
	    reach_lazy(q, SQL_REACH_FIRST_TOTAL, &rq->first_total, e) < 0)
		goto out;
	facts_q_rebind(rq->first_total, NULL, tid, NULL);
	if (counts_sum(q, rq->first_total, &total, NULL, &ok, e) < 0)
		goto out;
	if (ok) {
		facts_q_rebind(rq->pair_totals, NULL, tid, NULL);
		if (counts_sum(q, rq->pair_totals, NULL, by, &ok, e) < 0)
			goto out;
	}
	if (!ok) {
		ret = 0;
		goto out;
	}
	if (reach_lazy(q, SQL_REACH_FIRST_VALUES, &rq->first_values, e) < 0)
		goto out;
	sqlite3_stmt *st = rq->first_values;
	facts_q_rebind(st, NULL, tid, NULL);
	sqlite3_bind_int(st, sqlite3_bind_parameter_index(st, ":limit"),
	                 !firsts && q->flags & STORE_FACTS_FEW_VALUES ? REACH_FEW_VALUES + 1 : -1);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		const char *v = (const char *)sqlite3_column_text(st, 0);
		if (!v)
			continue;
		if (firsts)
			firsts[month_index(q, (const char *)sqlite3_column_text(st, 1)) - 1]++;
		xgrow(&off, &cap, noff + 1, sizeof *off);
		off[noff++] = block.len;
		sbuf_add(&block, v, strlen(v) + 1);
	}
	sqlite3_reset(st);
	if (rc != SQLITE_DONE) {
		store_fail(q->s, rc, "read", e);
		goto out;
	}
	memcpy(r->by_partner, by, (size_t)p->npartners * sizeof *by);
	r->total = total;
	if (noff) {
		r->values_block = sbuf_take(&block);
		r->values = xcalloc(noff, sizeof *r->values);
		for (size_t i = 0; i < noff; i++)
			r->values[i] = r->values_block + off[i];
		r->nvalues = (int)noff;
	}
	*served = 1;
	ret = 0;
out:
	free(by);
	free(off);
	sbuf_free(&block);
	return ret;
}

int reach_fact_distinct(struct facts_q *q, struct reach_q *rq, int ti, struct reach_fact *r, struct err *e)
{
	const struct project *p = q->p;
	const char *tid = p->targets[ti].id;
	struct vpms vs = {0};
	struct undones undone = {0};
	struct dacc acc = { .r = r };
	acc.firsts = xcalloc((size_t)p->nmonths + 1, sizeof *acc.firsts);
	int ret = -1, rc;
	int sorted = 0, vs_done = 0;  /* vs_done: vs already counted */
	int served = 0;               /* from the counts (distinct_from_counts) */
	if (q->s->version < 2) {
		if (reach_lazy(q, SQL_REACH_DISTINCT_WHERE("") " ORDER BY 1, 2", &rq->distinct, e) < 0)
			goto out;
		facts_q_rebind(rq->distinct, NULL, tid, NULL);
		if (distinct_from_log(q, rq->distinct, &vs, e) < 0)
			goto out;
		sorted = 1;
	} else {
		undones_for(q, tid, &undone);
		int months = !(q->flags & STORE_FACTS_NO_MONTHS);
		if (q->s->version >= 11 && undone.n == 0 &&
		    distinct_from_counts(q, rq, tid, r, months ? acc.firsts : NULL, &served, e) < 0)
			goto out;
		if (served && !months) {
			ret = 0;
			goto out;
		}
	}
	if (q->s->version >= 2 && !served) {
		/* A pair with an undone entry: its first live entry, from the
		 * log, joined in byte order with the rows below. */
		for (size_t i = 0; i < undone.n; i++) {
			const struct undone *u = &undone.v[i];
			int pi = project_partner(p, u->partner), dup = 0;
			for (size_t j = 0; j < i; j++)
				dup |= strcmp(undone.v[j].partner, u->partner) == 0 &&
				       strcmp(undone.v[j].value, u->value) == 0;
			if (pi < 0 || dup)
				continue;
			if (reach_lazy(q, SQL_REACH_FIRST, &rq->first, e) < 0)
				goto out;
			sqlite3_stmt *ft = rq->first;
			facts_q_rebind(ft, NULL, tid, u->partner);
			store_bind_named(ft, ":value", u->value, -1);
			rc = sqlite3_step(ft);
			if (rc == SQLITE_ROW && sqlite3_column_text(ft, 0))
				vpms_add(&vs, u->value, pi,
				         month_index(q, (const char *)sqlite3_column_text(ft, 0)));
			sqlite3_reset(ft);
			if (rc != SQLITE_ROW && rc != SQLITE_DONE) {
				store_fail(q->s, rc, "read", e);
				goto out;
			}
		}
		if (vs.n > 1)
			qsort(vs.v, vs.n, sizeof *vs.v, vpm_cmp);
		if (reach_lazy(q, SQL_REACH_VALUES, &rq->values, e) < 0)
			goto out;
		sqlite3_stmt *st = rq->values;
		facts_q_rebind(st, NULL, tid, NULL);
		size_t k = 0;
		while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
			const char *v = (const char *)sqlite3_column_text(st, 0);
			const char *partner = (const char *)sqlite3_column_text(st, 1);
			int pi = project_partner(p, partner);
			if (!v || pi < 0 || (undone.n && undone_has(&undone, partner, NULL, v)))
				continue;
			for (; k < vs.n && strcmp(vs.v[k].value, v) <= 0; k++)
				dacc_add(&acc, vs.v[k].value, vs.v[k].pi, vs.v[k].mon);
			dacc_add(&acc, v, pi, month_index(q, (const char *)sqlite3_column_text(st, 2)));
		}
		sqlite3_reset(st);
		if (rc != SQLITE_DONE) {
			store_fail(q->s, rc, "read", e);
			goto out;
		}
		for (; k < vs.n; k++)
			dacc_add(&acc, vs.v[k].value, vs.v[k].pi, vs.v[k].mon);
		vs_done = 1;
	}
	if (!sorted && vs.n > 1)
		qsort(vs.v, vs.n, sizeof *vs.v, vpm_cmp);
	for (size_t i = 0; !vs_done && i < vs.n; i++)
		dacc_add(&acc, vs.v[i].value, vs.v[i].pi, vs.v[i].mon);
	if (!served) {
		/* The values and the months from the pairs; served has them. */
		dacc_end(&acc);
		r->total = r->nvalues;
	}
	long cum = 0;
	for (int m = 0; m < p->nmonths; m++) {
		cum += acc.firsts[m];
		if (r->by_month[m] != -1)
			r->by_month[m] = cum;
	}
	ret = 0;
out:
	for (size_t i = 0; i < vs.n; i++)
		free(vs.v[i].value);
	free(vs.v);
	free(acc.firsts);
	free(acc.off);
	sbuf_free(&acc.block);
	undones_free(&undone);
	return ret;
}


/* Project month of calendar month 'YYYY-MM', not clamped. */
static long month_unclamped(const struct facts_q *q, const char *ym)
{
	/* 'YYYY-MM' read at once; anything else as atoi reads it. */
	int y, m;
	if (!ym_digits(ym, &y, &m)) {
		y = atoi(ym);
		m = atoi(ym + 5);
	}
	return (long)(y - q->sy) * 12 + m - q->sm + 1;
}

static int ym_cmp(const void *x, const void *y)
{
	return strcmp(x, y);
}

/* The series of target ti as of q->asof for months lo..hi (1-based) into
 * out, from the log as it stood at the end of asof (before q->asof) with
 * only the reverts effective by then. */
static int months_as_of(struct facts_q *q, int ti, const char *asof, long lo, long hi,
                        long *out, struct err *e)
{
	const struct project *p = q->p;
	struct facts_q sq = *q;
	snprintf(sq.asof, sizeof sq.asof, "%s", asof);
	memset(&sq.rv, 0, sizeof sq.rv);
	/* No walk of q's: its statements stay q's. */
	sq.walk = (struct undone_ids){0};
	memset(sq.walk_st, 0, sizeof sq.walk_st);
	for (size_t i = 0; i < q->rv.n; i++)
		if (strcmp(q->rv.v[i].reff, asof) <= 0) {
			xgrow(&sq.rv.v, &sq.rv.cap, sq.rv.n + 1, sizeof *sq.rv.v);
			sq.rv.v[sq.rv.n++] = q->rv.v[i];  /* shares q's strings */
		}
	struct reach_fact r = {0};
	r.by_partner = xcalloc((size_t)p->npartners, sizeof *r.by_partner);
	r.by_month = xcalloc((size_t)p->nmonths, sizeof *r.by_month);
	struct reach_q rq = {0};
	int rc = p->targets[ti].kind == TARGET_COUNT ? reach_fact_count(&sq, &rq, ti, &r, e)
	                                             : reach_fact_distinct(&sq, &rq, ti, &r, e);
	if (rc == 0)
		for (long m = lo; m <= hi; m++)
			out[m - 1] = r.by_month[m - 1];
	reach_q_free(&rq);
	reach_fact_clear(&r);
	free(sq.rv.v);
	return rc;
}

/* Is undone entry x out in project month lim (LONG_MAX: as of asof)? Its
 * revert counts from the revert's month on. */
static int undone_in(const struct undone *x, long lim)
{
	return lim == LONG_MAX || x->rmon <= lim;
}

/* One partner's month bucket of a count target, for the months before a
 * revert: the summary row, or the entries themselves where the summary
 * cannot answer (an undone "=N", entries after asof). */
struct rbucket {
	char month[8];
	int mon, nset, from_log;
	long set_n, tail;
	char set_eff[11];
	int64_t set_id;
	struct rentry { int64_t id; int set; long n; } *e;
	size_t ne, cap;
};

/* The partner's totals at the end of project months 1..hi into out, with
 * its undone entries u out that are out in month lim. */
static void rbucket_series(const struct rbucket *b, size_t nb, const struct undones *u, long lim,
                           long hi, long *out)
{
	long total = 0;
	size_t k = 0;
	for (long m = 1; m <= hi; m++) {
		for (; k < nb && b[k].mon <= m; k++) {
			const struct rbucket *x = &b[k];
			if (x->from_log) {
				for (size_t j = 0; j < x->ne; j++) {
					int out_ = 0;
					for (size_t i = 0; i < u->n && !out_; i++)
						out_ = u->v[i].id == x->e[j].id && undone_in(&u->v[i], lim);
					if (!out_)
						total = x->e[j].set ? x->e[j].n : total + x->e[j].n;
				}
				continue;
			}
			long minus = 0;
			for (size_t i = 0; i < u->n; i++) {
				const struct undone *y = &u->v[i];
				if (y->op != 1 || !undone_in(y, lim) || strcmp(y->month, x->month) != 0)
					continue;
				int c = x->nset ? strcmp(y->effective, x->set_eff) : 1;
				if (c > 0 || (c == 0 && y->id > x->set_id))
					minus += y->n;
			}
			total = (x->nset ? x->set_n : total) + x->tail - minus;
		}
		out[m - 1] = total;
	}
}

/* Count target: months 1..hi of by_month corrected, partner by partner
 * of those with an undone entry, from the series as of asof to the one
 * with only the reverts of each month's end. */
static int count_revert_months(struct facts_q *q, struct reach_q *rq, const char *tid,
                               const struct undones *u, long hi, long *by_month, struct err *e)
{
	struct rbucket *b = NULL;
	size_t nb = 0, cap = 0;
	struct undones pu = {0};  /* the partner's, sharing u's strings */
	long *all = xcalloc((size_t)hi, sizeof *all), *part = xcalloc((size_t)hi, sizeof *part);
	int ret = -1;
	if (reach_lazy(q, SQL_REACH_MONTHS_PARTNER, &rq->months_partner, e) < 0)
		return -1;
	for (size_t i = 0; i < u->n; i++) {
		const char *partner = u->v[i].partner;
		int dup = u->v[i].op == 0 || project_partner(q->p, partner) < 0;
		for (size_t j = 0; j < i && !dup; j++)
			dup = u->v[j].op != 0 && strcmp(u->v[j].partner, partner) == 0;
		if (dup)
			continue;
		for (size_t k = 0; k < nb; k++)
			free(b[k].e);
		nb = 0;
		pu.n = 0;
		/* From the month of the partner's latest revert on, its series
		 * as of asof is right. */
		long upto = 0;
		for (size_t j = i; j < u->n; j++)
			if (strcmp(u->v[j].partner, partner) == 0) {
				xgrow(&pu.v, &pu.cap, pu.n + 1, sizeof *pu.v);
				pu.v[pu.n++] = u->v[j];
				if (u->v[j].op != 0 && u->v[j].rmon - 1 > upto)
					upto = u->v[j].rmon - 1;
			}
		if (upto > hi)
			upto = hi;
		if (upto < 1)
			continue;
		sqlite3_stmt *st = rq->months_partner;
		facts_q_rebind(st, NULL, tid, partner);
		int rc;
		while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
			const char *month = (const char *)sqlite3_column_text(st, 1);
			const char *last = (const char *)sqlite3_column_text(st, 5);
			const char *set_eff = (const char *)sqlite3_column_text(st, 6);
			if (!month || !last)
				continue;
			int mon = month_index(q, month);
			if (mon > upto)
				break;
			xgrow(&b, &cap, nb + 1, sizeof *b);
			struct rbucket *x = &b[nb++];
			memset(x, 0, sizeof *x);
			strncpy(x->month, month, sizeof x->month - 1);
			x->mon = mon;
			x->nset = sqlite3_column_int64(st, 2) > 0;
			x->set_n = (long)sqlite3_column_int64(st, 3);
			x->tail = (long)sqlite3_column_int64(st, 4);
			if (set_eff)
				strncpy(x->set_eff, set_eff, sizeof x->set_eff - 1);
			x->set_id = sqlite3_column_int64(st, 7);
			x->from_log = (strncmp(month, q->asof, 7) >= 0 && strcmp(last, q->asof) > 0) ||
			              (x->nset && !set_eff);
			for (size_t j = 0; j < pu.n && !x->from_log; j++)
				x->from_log = pu.v[j].op == 2 && strcmp(pu.v[j].month, month) == 0;
		}
		sqlite3_reset(st);
		if (rc != SQLITE_DONE && rc != SQLITE_ROW) {
			store_fail(q->s, rc, "read", e);
			goto out;
		}
		for (size_t k = 0; k < nb; k++) {
			struct rbucket *x = &b[k];
			if (!x->from_log)
				continue;
			if (reach_lazy(q, SQL_REACH_BUCKET_ALL, &rq->bucket_all, e) < 0)
				goto out;
			sqlite3_stmt *bt = rq->bucket_all;
			facts_q_rebind(bt, NULL, tid, partner);
			store_bind_named(bt, ":month", x->month, -1);
			while ((rc = sqlite3_step(bt)) == SQLITE_ROW) {
				xgrow(&x->e, &x->cap, x->ne + 1, sizeof *x->e);
				x->e[x->ne].id = sqlite3_column_int64(bt, 0);
				x->e[x->ne].set = sqlite3_column_int(bt, 1);
				x->e[x->ne++].n = (long)sqlite3_column_int64(bt, 2);
			}
			sqlite3_reset(bt);
			if (rc != SQLITE_DONE) {
				store_fail(q->s, rc, "read", e);
				goto out;
			}
		}
		/* Month m has the reverts of months up to m out: the series
		 * changes only where another revert's month begins. */
		rbucket_series(b, nb, &pu, LONG_MAX, upto, all);
		size_t nout = (size_t)-1;
		for (long m = 1; m <= upto; m++) {
			size_t k = 0;
			for (size_t j = 0; j < pu.n; j++)
				k += pu.v[j].op != 0 && undone_in(&pu.v[j], m);
			if (k != nout)
				rbucket_series(b, nb, &pu, m, upto, part);
			nout = k;
			/* Months up to hi are never after asof's: -1 here is a
			 * total, not the mark of a month to come. */
			by_month[m - 1] += part[m - 1] - all[m - 1];
		}
	}
	ret = 0;
out:
	for (size_t k = 0; k < nb; k++)
		free(b[k].e);
	free(b);
	free(pu.v);
	free(all);
	free(part);
	return ret;
}

/* The project month of a distinct value's first entry with the undone
 * entries out that are out in month lim; INT_MAX when none is left. */
struct rpair {
	int mon;              /* a pair without an undone entry: its first month */
	const char *partner;  /* else: its partner, and its entries up to the first never undone */
	char first[11];       /* the date of its first entry */
	struct rpe { int64_t id; int mon; } *e;
	size_t ne, cap;
};

static int rpair_first(const struct rpair *pr, size_t np, const struct undones *u, long lim)
{
	int first = INT_MAX;
	for (size_t k = 0; k < np; k++) {
		if (!pr[k].partner) {
			if (pr[k].mon < first)
				first = pr[k].mon;
			continue;
		}
		for (size_t j = 0; j < pr[k].ne; j++) {
			int out = 0;
			for (size_t i = 0; i < u->n && !out; i++)
				out = u->v[i].id == pr[k].e[j].id && undone_in(&u->v[i], lim);
			if (!out) {
				if (pr[k].e[j].mon < first)
					first = pr[k].e[j].mon;
				break;
			}
		}
	}
	return first;
}

/* Distinct target: months 1..hi of by_month corrected, value by value of
 * those with an undone entry, as count_revert_months does. */
static int distinct_revert_months(struct facts_q *q, struct reach_q *rq, const char *tid,
                                  const struct undones *u, long hi, long *by_month,
                                  struct err *e)
{
	struct rpair *pr = NULL;
	size_t np = 0, cap = 0;
	char **partners = NULL;
	int ret = -1, rc;
	if (reach_lazy(q, SQL_REACH_VALUE_PAIRS, &rq->value_pairs, e) < 0)
		return -1;
	for (size_t i = 0; i < u->n; i++) {
		const char *value = u->v[i].value;
		int dup = project_partner(q->p, u->v[i].partner) < 0;
		for (size_t j = 0; j < i && !dup; j++)
			dup = project_partner(q->p, u->v[j].partner) >= 0 &&
			      strcmp(u->v[j].value, value) == 0;
		if (dup)
			continue;
		for (size_t k = 0; k < np; k++) {
			free(pr[k].e);
			free(partners[k]);
		}
		np = 0;
		sqlite3_stmt *st = rq->value_pairs;
		facts_q_rebind(st, NULL, tid, NULL);
		store_bind_named(st, ":value", value, -1);
		while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
			const char *partner = (const char *)sqlite3_column_text(st, 0);
			if (!partner || project_partner(q->p, partner) < 0)
				continue;
			size_t old = cap;
			xgrow(&pr, &cap, np + 1, sizeof *pr);
			if (cap != old)
				partners = xrealloc(partners, cap * sizeof *partners);
			struct rpair *x = &pr[np];
			memset(x, 0, sizeof *x);
			partners[np++] = NULL;
			const char *first = (const char *)sqlite3_column_text(st, 1);
			x->mon = month_index(q, first);
			if (first)
				strncpy(x->first, first, sizeof x->first - 1);
			for (size_t j = 0; j < u->n && !x->partner; j++)
				if (strcmp(u->v[j].partner, partner) == 0 && strcmp(u->v[j].value, value) == 0)
					x->partner = partners[np - 1] = xstrdup(partner);
		}
		sqlite3_reset(st);
		if (rc != SQLITE_DONE) {
			store_fail(q->s, rc, "read", e);
			goto out;
		}
		for (size_t k = 0; k < np; k++) {
			struct rpair *x = &pr[k];
			if (!x->partner)
				continue;
			if (reach_lazy(q, SQL_REACH_PAIR_ALL, &rq->pair_all, e) < 0)
				goto out;
			sqlite3_stmt *pt = rq->pair_all;
			facts_q_rebind(pt, NULL, tid, x->partner);
			store_bind_named(pt, ":value", value, -1);
			store_bind_named(pt, ":first", x->first, -1);
			while ((rc = sqlite3_step(pt)) == SQLITE_ROW) {
				int64_t id = sqlite3_column_int64(pt, 0);
				xgrow(&x->e, &x->cap, x->ne + 1, sizeof *x->e);
				x->e[x->ne].id = id;
				x->e[x->ne++].mon = month_index(q, (const char *)sqlite3_column_text(pt, 1));
				/* Entries after one never undone cannot come first. */
				int undone = 0;
				for (size_t j = 0; j < u->n && !undone; j++)
					undone = u->v[j].id == id;
				if (!undone)
					break;
			}
			sqlite3_reset(pt);
			if (rc != SQLITE_DONE && rc != SQLITE_ROW) {
				store_fail(q->s, rc, "read", e);
				goto out;
			}
		}
		int all = rpair_first(pr, np, u, LONG_MAX);
		for (long m = 1; m <= hi; m++)
			by_month[m - 1] += (rpair_first(pr, np, u, m) <= m) - (all <= m);
	}
	ret = 0;
out:
	for (size_t k = 0; k < np; k++) {
		free(pr[k].e);
		free(partners[k]);
	}
	free(pr);
	free(partners);
	return ret;
}

/* The facts of target ti. A revert takes its entry out from the revert's
 * effective date on: the series as of asof has the undone entries out of
 * every month, which is right from the month of the target's latest
 * revert on (and in the last month, which holds what comes after the
 * end). Each earlier month is the total as the log stood at its end, with
 * only the reverts effective by then. From the summaries (schema 2 on):
 * the pairs with an undone entry are read again, their months only, and
 * each earlier month takes the difference between the pair's total with
 * that month's reverts and with all of them. Schema 1: the series as of
 * the day before each revert's month. Reverts are rare corrections; only
 * a target that has them costs more reads. */
int reach_fact(struct facts_q *q, struct reach_q *rq, int ti, struct reach_fact *r,
               struct err *e)
{
	const struct project *p = q->p;
	int rc = p->targets[ti].kind == TARGET_COUNT ? reach_fact_count(q, rq, ti, r, e)
	                                             : reach_fact_distinct(q, rq, ti, r, e);
	if (rc < 0 || (q->flags & STORE_FACTS_NO_MONTHS))
		return rc;
	const char *tid = p->targets[ti].id;
	if (q->s->version >= 2) {
		struct undones u = {0};
		undones_for(q, tid, &u);
		long hi = month_unclamped(q, q->asof);
		if (hi > p->nmonths - 1)
			hi = p->nmonths - 1;
		if (u.n && hi >= 1)
			rc = p->targets[ti].kind == TARGET_COUNT
			         ? count_revert_months(q, rq, tid, &u, hi, r->by_month, e)
			         : distinct_revert_months(q, rq, tid, &u, hi, r->by_month, e);
		undones_free(&u);
		return rc;
	}
	char (*ym)[8] = NULL;
	size_t n = 0, cap = 0;
	for (size_t i = 0; i < q->rv.n; i++) {
		const struct rev *x = &q->rv.v[i];
		if (!x->found || x->k != REV_REACH || !x->item ||
		    strcmp(x->item, tid) != 0 || !x->effective || strcmp(x->effective, q->asof) > 0 ||
		    strlen(x->reff) < 7)
			continue;
		xgrow(&ym, &cap, n + 1, sizeof *ym);
		snprintf(ym[n++], sizeof *ym, "%.7s", x->reff);
	}
	if (n > 1)
		qsort(ym, n, sizeof *ym, ym_cmp);
	long asof_month = month_unclamped(q, q->asof);
	for (size_t j = 0; rc == 0 && j < n; j++) {
		if (j > 0 && strcmp(ym[j], ym[j - 1]) == 0)
			continue;
		long lo = j > 0 ? month_unclamped(q, ym[j - 1]) : 1;
		long hi = month_unclamped(q, ym[j]) - 1;
		if (lo < 1)
			lo = 1;
		if (hi > p->nmonths - 1)
			hi = p->nmonths - 1;
		if (hi > asof_month)
			hi = asof_month;
		if (lo > hi)
			continue;
		/* The day before the revert's month. */
		char first[16], before[16];
		cdate d;
		snprintf(first, sizeof first, "%s-01", ym[j]);
		if (date_parse(first, &d) < 0)
			continue;
		date_format(d - 1, before);
		rc = months_as_of(q, ti, before, lo, hi, r->by_month, e);
	}
	free(ym);
	return rc;
}
