/* store_resources: what the log says about the use of resources, for
 * derive (res_derive): per partner x WP the person-months of each month
 * (the latest live entry of that month: a timesheet corrected replaces the
 * earlier one) and the notes given with them, and per partner x category
 * the money spent. One pass over the effort and cost entries effective by
 * asof, the reverted ones left out through the facts' list of undone
 * entries; the latest of a month is found by (effective, id), so the rows
 * need no sorting. */
#include "config.h"
#include "core/store_int.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/resources.h"

#define SQL_RES_ROWS \
	"SELECT id, kind, partner, item, value, note, effective FROM log" \
	" WHERE kind IN ('effort', 'cost') AND effective <= :asof"

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

int store_resources_fill(struct facts_q *q, struct res_facts *f, struct err *e)
{
	const struct project *p = q->p;
	sqlite3_stmt *st;
	if (p->npartners == 0 || p->nwps == 0)
		return 0;
	if (facts_q_prepare(q, SQL_RES_ROWS, &st, e) < 0)
		return -1;
	size_t cells = (size_t)f->npartners * (size_t)f->nwps * (size_t)f->nmonths;
	struct winner *w = xcalloc(cells + 1, sizeof *w);
	struct lookup lp = {{0}, -1}, lw = {{0}, -1};
	int rc;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		int64_t id = sqlite3_column_int64(st, 0);
		if (q->rv.n && revs_has(&q->rv, id))
			continue;
		const char *kind = (const char *)sqlite3_column_text(st, 1);
		int pi = lookup(&lp, p, (const char *)sqlite3_column_text(st, 2), project_partner);
		const char *item = (const char *)sqlite3_column_text(st, 3);
		const char *value = (const char *)sqlite3_column_text(st, 4);
		if (!kind || pi < 0)
			continue;
		if (strcmp(kind, "cost") == 0) {
			int c = res_category(item);
			long cents;
			if (c < 0 || res_entry_cost(value, &cents, NULL) < 0)
				continue;
			f->cost[(size_t)pi * RES_NCAT + (size_t)c] += cents;
			f->entries++;
			continue;
		}
		int wi = lookup(&lw, p, item, project_wp), y, m;
		long pm;
		if (wi < 0 || res_entry_effort(value, &y, &m, &pm) < 0)
			continue;
		int month = (y - q->sy) * 12 + (m - q->sm) + 1;
		if (month < 1 || month > f->nmonths)
			continue;
		long eff = ymd_key((const char *)sqlite3_column_text(st, 6));
		if (eff < 0)
			continue;
		size_t at = ((size_t)pi * (size_t)f->nwps + (size_t)wi) * (size_t)f->nmonths +
		            (size_t)(month - 1);
		struct winner *x = &w[at];
		if (x->id && (eff < x->eff || (eff == x->eff && id < x->id)))
			continue;
		if (!x->id)
			f->entries++;
		x->eff = eff;
		x->id = id;
		free(x->note);
		x->note = store_col_dup(st, 5);
		f->effort[at] = pm;
	}
	sqlite3_finalize(st);
	/* The notes of the entries that count, month by month. */
	for (size_t c = 0; c < cells; c++)
		f->effort_notes[c] = w[c].note;
	free(w);
	return rc == SQLITE_DONE ? 0 : store_fail(q->s, rc, "read", e);
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
