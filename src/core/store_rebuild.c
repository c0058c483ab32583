/* store_rebuild: the summary tables as the log gives them, for verify.
 * The migrations build them with window functions and sorts over the whole
 * log (seconds on a long one); verify already reads every entry for the
 * chain, so it gathers them in the same pass (rebuild_add), in memory, and
 * writes them into TEMP tables of the schema's own definitions, beside
 * the log's; a derived table it does not gather is built by the
 * migration's own statement. Then each pair is compared. Same rules as the
 * migrations (src/core/schema/2.sql to 4.sql):
 *   log_stats    the entry count, the greatest id, that entry's recorded_at
 *   latest       per status/progress item, bench (item, partner), label
 *                partner: the greatest (effective, id); for status the
 *                earliest date of the current run of submitted/accepted
 *                (run_a) and of reached (run_b), compared where the log's
 *                row says they are exact (run_ok)
 *   reach_value  per reach (item, value, partner): the first date
 *   reach_month  per count (item, partner, month): the "=N" count, the
 *                latest "=N" and the sum of "+N"/"-N" after it, the last date
 *   reach_total  the same over all months
 *   reach_delta  per (item, month): the change of the total over partners
 * effort_month and cost_total (8.sql) and effort_cell (9.sql, from
 * effort_month's copy) are built by their migrations' statements. */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <sqlite3.h>

#include "core/hash.h"
#include "core/rebuild.h"
#include "core/store_int.h"

/* One row of a table being gathered, found by its key. */
struct rec {
	char *key;
	char *f[3];           /* the key's columns */
	char *eff;            /* latest: the top entry's date; reach_value: the first date */
	int64_t id;
	char *value;
	char *run_a, *run_b;
};

struct recmap {
	struct rec *v;
	size_t n, cap;
	struct id_index x;
};

/* A count entry. */
struct cnt {
	uint32_t item, partner; /* names' indexes + 1 in the names map */
	char eff[11];
	int64_t id;
	long long n;
	int is_set;
};

struct rebuild {
	struct recmap latest, value, names;
	struct cnt *c;
	size_t nc, capc;
	int64_t entries, top_id, last_recorded;
	struct sbuf key;
};

static const char *rec_key(const void *ctx, uint32_t v)
{
	return ((const struct recmap *)ctx)->v[v - 1].key;
}

static void sbuf_reset(struct sbuf *b)
{
	b->len = 0;
	if (b->s)
		b->s[0] = '\0';
}

/* A key's part: its length, ':', its bytes, so that no two keys collide. */
static void key_part(struct sbuf *b, const char *p, long n)
{
	char num[24];
	int k = (int)sizeof num;
	num[--k] = ':';
	unsigned long v = n < 0 ? 0 : (unsigned long)n;
	do
		num[--k] = (char)('0' + v % 10);
	while ((v /= 10) > 0);
	sbuf_add(b, num + k, sizeof num - (size_t)k);
	if (n > 0)
		sbuf_add(b, p, (size_t)n);
}

/* The row of the key in b, made with its columns when new. */
static struct rec *rec_get(struct recmap *m, struct sbuf *b, const char *const f[3], const long len[3],
                           int *fresh)
{
	uint32_t v = id_index_get(&m->x, sbuf_str(b), rec_key, m);
	*fresh = v == 0;
	if (v)
		return &m->v[v - 1];
	if (m->n == m->cap) {
		m->cap = m->cap ? 2 * m->cap : 256;
		m->v = xrealloc(m->v, m->cap * sizeof *m->v);
	}
	struct rec *r = &m->v[m->n++];
	memset(r, 0, sizeof *r);
	r->key = xstrdup(sbuf_str(b));
	for (int i = 0; i < 3; i++)
		r->f[i] = f[i] ? xstrndup(f[i], (size_t)len[i]) : NULL;
	id_index_add(&m->x, (uint32_t)m->n, rec_key, m);
	return r;
}

static void recmap_free(struct recmap *m)
{
	for (size_t i = 0; i < m->n; i++) {
		free(m->v[i].key);
		for (int k = 0; k < 3; k++)
			free(m->v[i].f[k]);
		free(m->v[i].eff);
		free(m->v[i].value);
		free(m->v[i].run_a);
		free(m->v[i].run_b);
	}
	free(m->v);
	id_index_free(&m->x);
}

struct rebuild *rebuild_new(void)
{
	struct rebuild *b = xmalloc(sizeof *b);
	memset(b, 0, sizeof *b);
	return b;
}

void rebuild_free(struct rebuild *b)
{
	if (!b)
		return;
	recmap_free(&b->latest);
	recmap_free(&b->value);
	recmap_free(&b->names);
	free(b->c);
	sbuf_free(&b->key);
	free(b);
}

static int is(const struct chain_field *f, const char *s)
{
	size_t n = strlen(s);
	return f->len == (long)n && memcmp(f->p, s, n) == 0;
}

/* (effective, id) after (eff, id2)? */
static int later(const struct chain_field *e, int64_t id, const char *eff, int64_t id2)
{
	size_t n = strlen(eff);
	size_t m = (size_t)e->len < n ? (size_t)e->len : n;
	int c = memcmp(e->p, eff, m);
	if (c == 0)
		c = (size_t)e->len < n ? -1 : (size_t)e->len > n ? 1 : 0;
	return c > 0 || (c == 0 && id > id2);
}

static uint32_t name_of(struct rebuild *b, const struct chain_field *f)
{
	sbuf_reset(&b->key);
	key_part(&b->key, f->p, f->len);
	const char *c[3] = {f->p, NULL, NULL};
	long l[3] = {f->len, 0, 0};
	int fresh;
	struct rec *r = rec_get(&b->names, &b->key, c, l, &fresh);
	return (uint32_t)(r - b->names.v) + 1;
}

/* A count entry's signed amount from its value, as the schema's column n
 * defines it (CAST(substr(value, 2) AS INTEGER), negated for '-'):
 * computed here, never read from the file, whose column's definition is
 * the file's to change. */
static long long count_amount(const struct chain_field *value)
{
	const char *p = value->p + 1, *end = value->p + value->len;
	while (p < end && (*p == ' ' || (*p >= '\t' && *p <= '\r')))
		p++;
	int neg = 0;
	if (p < end && (*p == '-' || *p == '+'))
		neg = *p++ == '-';
	unsigned long long v = 0, limit = neg ? 0x8000000000000000ull : 0x7FFFFFFFFFFFFFFFull;
	for (; p < end && *p >= '0' && *p <= '9'; p++) {
		unsigned d = (unsigned)(*p - '0');
		/* Beyond 64 bits SQLite's cast gives the nearest bound. */
		v = v > (limit - d) / 10 ? limit : v * 10 + d;
	}
	long long n = neg ? (v == limit ? INT64_MIN : -(long long)v) : (long long)v;
	if (value->p[0] == '-' && n != INT64_MIN)
		n = -n;
	return n;
}

void rebuild_add(struct rebuild *b, const struct chain_field *f, int64_t id, int64_t recorded_at)
{
	const struct chain_field *eff = &f[2], *partner = &f[5], *item = &f[6], *kind = &f[7], *value = &f[8];
	b->entries++;
	if (id >= b->top_id) {
		b->top_id = id;
		b->last_recorded = recorded_at;
	}
	if (kind->len < 0 || value->len < 0 || eff->len < 0)
		return;
	int status = is(kind, "status"), label = is(kind, "label"), bench = is(kind, "bench");
	if (((status || is(kind, "progress")) && item->len >= 0) ||
	    (bench && item->len >= 0 && partner->len >= 0) || (label && partner->len >= 0)) {
		const char *c[3] = {kind->p, label ? "" : item->p, label || bench ? partner->p : ""};
		long l[3] = {kind->len, label ? 0 : item->len, label || bench ? partner->len : 0};
		sbuf_reset(&b->key);
		for (int i = 0; i < 3; i++)
			key_part(&b->key, c[i], l[i]);
		int fresh;
		struct rec *r = rec_get(&b->latest, &b->key, c, l, &fresh);
		if (fresh || later(eff, id, r->eff, r->id)) {
			free(r->eff);
			free(r->value);
			r->eff = xstrndup(eff->p, (size_t)eff->len);
			r->value = xstrndup(value->p, (size_t)value->len);
			r->id = id;
		}
		return;
	}
	if (!is(kind, "reach") || item->len < 0 || partner->len < 0)
		return;
	const char *c[3] = {item->p, value->p, partner->p};
	long l[3] = {item->len, value->len, partner->len};
	sbuf_reset(&b->key);
	for (int i = 0; i < 3; i++)
		key_part(&b->key, c[i], l[i]);
	int fresh;
	struct rec *r = rec_get(&b->value, &b->key, c, l, &fresh);
	/* later() with equal ids: strictly after in date. */
	if (fresh || (!later(eff, 0, r->eff, 0) && !(strlen(r->eff) == (size_t)eff->len &&
	                                            memcmp(r->eff, eff->p, (size_t)eff->len) == 0))) {
		free(r->eff);
		r->eff = xstrndup(eff->p, (size_t)eff->len);
	}
	if (value->len < 1 || (value->p[0] != '+' && value->p[0] != '-' && value->p[0] != '='))
		return;
	if (b->nc == b->capc) {
		b->capc = b->capc ? 2 * b->capc : 1024;
		b->c = xrealloc(b->c, b->capc * sizeof *b->c);
	}
	struct cnt *k = &b->c[b->nc++];
	k->item = name_of(b, item);
	k->partner = name_of(b, partner);
	snprintf(k->eff, sizeof k->eff, "%.*s", (int)(eff->len < 10 ? eff->len : 10), eff->p);
	k->id = id;
	k->n = count_amount(value);
	k->is_set = value->p[0] == '=';
}

/* ---- into TEMP tables ------------------------------------------------- */

static const struct rebuild *sort_ctx;

static int cnt_cmp(const void *a, const void *b)
{
	const struct cnt *x = a, *y = b;
	int c = strcmp(sort_ctx->names.v[x->item - 1].f[0], sort_ctx->names.v[y->item - 1].f[0]);
	if (!c)
		c = strcmp(sort_ctx->names.v[x->partner - 1].f[0], sort_ctx->names.v[y->partner - 1].f[0]);
	if (!c)
		c = strcmp(x->eff, y->eff);
	if (!c)
		c = x->id < y->id ? -1 : x->id > y->id;
	return c;
}

/* One bucket's figures (a month, or all of them). */
struct bucket {
	long long nset, set_n, tail;
	const char *set_eff;
	int64_t set_id;
	const char *last;
};

static void bucket_add(struct bucket *k, const struct cnt *c)
{
	if (c->is_set) {
		/* Sorted by (eff, id): each "=N" is the latest so far. */
		k->nset++;
		k->set_eff = c->eff;
		k->set_id = c->id;
		k->set_n = c->n;
		k->tail = 0;
	} else {
		k->tail += c->n;
	}
	k->last = c->eff;
}

static int step_done(struct store *s, sqlite3_stmt *st, struct err *e)
{
	int rc = sqlite3_step(st);
	sqlite3_reset(st);
	return rc == SQLITE_DONE ? 0 : store_fail(s, rc, "verify", e);
}

static void bind_bucket(sqlite3_stmt *st, int at, const struct bucket *k)
{
	sqlite3_bind_int64(st, at, k->nset);
	if (k->nset) {
		sqlite3_bind_text(st, at + 1, k->set_eff, -1, SQLITE_STATIC);
		sqlite3_bind_int64(st, at + 2, k->set_id);
		sqlite3_bind_int64(st, at + 3, k->set_n);
	} else {
		sqlite3_bind_null(st, at + 1);
		sqlite3_bind_null(st, at + 2);
		sqlite3_bind_null(st, at + 3);
	}
	sqlite3_bind_int64(st, at + 4, k->tail);
	sqlite3_bind_text(st, at + 5, k->last, -1, SQLITE_STATIC);
}

/* The reach tables from the count entries, sorted. */
static int write_reach(struct store *s, struct rebuild *b, struct err *e)
{
	sqlite3_stmt *month = NULL, *total = NULL, *delta = NULL;
	int ret = -1;
	if (store_prepare(s, "INSERT INTO temp.reach_month (item, partner, month, nset, set_eff, set_id, set_n, tail, last)"
	                  " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)", &month, e) < 0 ||
	    store_prepare(s, "INSERT INTO temp.reach_total (item, partner, nset, set_eff, set_id, set_n, tail, last)"
	                  " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)", &total, e) < 0 ||
	    store_prepare(s, "INSERT INTO temp.reach_delta (item, month, delta, last) VALUES (?1, ?2, ?3, ?4)"
	                  " ON CONFLICT (item, month) DO UPDATE SET delta = delta + excluded.delta,"
	                  " last = max(last, excluded.last)", &delta, e) < 0)
		goto out;
	sort_ctx = b;
	if (b->nc)
		qsort(b->c, b->nc, sizeof *b->c, cnt_cmp);
	for (size_t i = 0; i < b->nc;) {
		/* One (item, partner). */
		size_t j = i;
		struct bucket all = {0};
		long long run = 0, prev_run = 0;
		while (j < b->nc && b->c[j].item == b->c[i].item && b->c[j].partner == b->c[i].partner) {
			/* One month of it. */
			size_t m = j;
			struct bucket k = {0};
			while (m < b->nc && b->c[m].item == b->c[i].item && b->c[m].partner == b->c[i].partner &&
			       memcmp(b->c[m].eff, b->c[j].eff, 7) == 0) {
				bucket_add(&k, &b->c[m]);
				bucket_add(&all, &b->c[m]);
				m++;
			}
			char mon[8];
			snprintf(mon, sizeof mon, "%.7s", b->c[j].eff);
			const char *item = b->names.v[b->c[i].item - 1].f[0];
			const char *partner = b->names.v[b->c[i].partner - 1].f[0];
			sqlite3_bind_text(month, 1, item, -1, SQLITE_STATIC);
			sqlite3_bind_text(month, 2, partner, -1, SQLITE_STATIC);
			sqlite3_bind_text(month, 3, mon, -1, SQLITE_TRANSIENT);
			bind_bucket(month, 4, &k);
			if (step_done(s, month, e) < 0)
				goto out;
			run = k.nset ? k.set_n + k.tail : run + k.tail;
			sqlite3_bind_text(delta, 1, item, -1, SQLITE_STATIC);
			sqlite3_bind_text(delta, 2, mon, -1, SQLITE_TRANSIENT);
			sqlite3_bind_int64(delta, 3, run - prev_run);
			sqlite3_bind_text(delta, 4, k.last, -1, SQLITE_STATIC);
			if (step_done(s, delta, e) < 0)
				goto out;
			prev_run = run;
			j = m;
		}
		sqlite3_bind_text(total, 1, b->names.v[b->c[i].item - 1].f[0], -1, SQLITE_STATIC);
		sqlite3_bind_text(total, 2, b->names.v[b->c[i].partner - 1].f[0], -1, SQLITE_STATIC);
		bind_bucket(total, 3, &all);
		if (step_done(s, total, e) < 0)
			goto out;
		i = j;
	}
	ret = 0;
out:
	sqlite3_finalize(month);
	sqlite3_finalize(total);
	sqlite3_finalize(delta);
	return ret;
}

/* The current runs of a status item, newest first, as 2.sql's na/nb. */
static int runs(struct store *s, sqlite3_stmt *q, struct rec *r, struct err *e)
{
	sqlite3_bind_text(q, 1, r->f[1], -1, SQLITE_STATIC);
	int a = 1, bb = 1, rc = SQLITE_DONE;
	while ((a || bb) && (rc = sqlite3_step(q)) == SQLITE_ROW) {
		const char *eff = (const char *)sqlite3_column_text(q, 0);
		const char *v = (const char *)sqlite3_column_text(q, 1);
		a = a && v && (strcmp(v, "submitted") == 0 || strcmp(v, "accepted") == 0);
		bb = bb && v && strcmp(v, "reached") == 0;
		if (a) {
			free(r->run_a);
			r->run_a = xstrdup(eff ? eff : "");
		}
		if (bb) {
			free(r->run_b);
			r->run_b = xstrdup(eff ? eff : "");
		}
	}
	sqlite3_reset(q);
	return rc == SQLITE_ROW || rc == SQLITE_DONE || !(a || bb) ? 0 : store_fail(s, rc, "verify", e);
}

int rebuild_write(struct store *s, struct rebuild *b, struct err *e)
{
	sqlite3_stmt *st = NULL, *q = NULL;
	int ret = -1;
	if (store_prepare(s, "INSERT INTO temp.log_stats VALUES (1, ?1, ?2, ?3)", &st, e) < 0)
		return -1;
	sqlite3_bind_int64(st, 1, b->entries);
	sqlite3_bind_int64(st, 2, b->top_id);
	sqlite3_bind_int64(st, 3, b->last_recorded);
	ret = step_done(s, st, e);
	sqlite3_finalize(st);
	if (ret < 0)
		return -1;
	ret = -1;
	if (store_prepare(s, "INSERT INTO temp.latest (kind, item, partner, effective, id, value, run_a, run_b, run_ok)"
	                  " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, 1)", &st, e) < 0 ||
	    store_prepare(s, "SELECT effective, value FROM log INDEXED BY log_kind_item WHERE kind = 'status'"
	                  " AND item = ?1 ORDER BY effective DESC, id DESC", &q, e) < 0)
		goto out;
	for (size_t i = 0; i < b->latest.n; i++) {
		struct rec *r = &b->latest.v[i];
		if (strcmp(r->f[0], "status") == 0 && runs(s, q, r, e) < 0)
			goto out;
		for (int k = 0; k < 3; k++)
			sqlite3_bind_text(st, k + 1, r->f[k], -1, SQLITE_STATIC);
		sqlite3_bind_text(st, 4, r->eff, -1, SQLITE_STATIC);
		sqlite3_bind_int64(st, 5, r->id);
		sqlite3_bind_text(st, 6, r->value, -1, SQLITE_STATIC);
		sqlite3_bind_text(st, 7, r->run_a, -1, SQLITE_STATIC);
		sqlite3_bind_text(st, 8, r->run_b, -1, SQLITE_STATIC);
		if (step_done(s, st, e) < 0)
			goto out;
	}
	sqlite3_finalize(st);
	st = NULL;
	if (store_prepare(s, "INSERT INTO temp.reach_value (item, value, partner, first_eff) VALUES (?1, ?2, ?3, ?4)",
	                  &st, e) < 0)
		goto out;
	for (size_t i = 0; i < b->value.n; i++) {
		struct rec *r = &b->value.v[i];
		for (int k = 0; k < 3; k++)
			sqlite3_bind_text(st, k + 1, r->f[k], -1, SQLITE_STATIC);
		sqlite3_bind_text(st, 4, r->eff, -1, SQLITE_STATIC);
		if (step_done(s, st, e) < 0)
			goto out;
	}
	ret = write_reach(s, b, e);
out:
	sqlite3_finalize(st);
	sqlite3_finalize(q);
	return ret;
}

const char *const rebuild_tables[] = {
	"log_stats", "latest", "reach_value", "reach_month", "reach_total", "reach_delta", NULL,
};
