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
 * effort_month and cost_total (8.sql), cost_wp (9.sql) and effort_cell
 * (10.sql, from effort_month's copy) are built by their migrations'
 * statements.
 * The count entries are summed as they come, per (item, partner, month):
 * memory grows with the project's targets, partners and months, never with
 * the length of the log. The log is read in id order, so an entry comes
 * after every one with a smaller id: a "=N" becomes the month's latest when
 * its date is on or after the latest one's, and the "+N"/"-N" after it are
 * then those dated after it already read (none, unless the month holds a
 * later one: then they are read again from the log, through its index) and
 * those that follow on or after its date. A date that is not YYYY-MM-DD
 * (the schema forbids it) leaves the reach tables to the migrations'
 * statements. */
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
	char *f[3];           /* the key's columns (in key's block) */
	char *eff;            /* latest: the top entry's date; reach_value: the first date */
	int64_t id;
	char *value;          /* latest: the top entry's value (in eff's block) */
};

struct recmap {
	struct rec *v;
	size_t n, cap;
	struct id_index x;
};

/* The count entries of one (item, partner, month): its "=N" entries (nset)
 * and the latest of them (set_*, the date's day), the sum of the "+N"/"-N"
 * after it (tail; all of them when there is none), the greatest day of all
 * (last) and of the "+N"/"-N" (pm_last). Days are the date's two last
 * characters, 0 for none. */
struct bucket {
	uint32_t item, partner, month; /* names' indexes + 1 in the names map */
	uint32_t nset;
	uint16_t set_day, last, pm_last;
	int64_t set_id;
	long long set_n, tail;
};

struct rebuild {
	struct store *s;
	struct recmap latest, value, names;
	struct bucket *bk;
	size_t nb, capb;
	uint32_t *slot;        /* open addressing: bucket index + 1, 0 empty */
	size_t nslot;
	int irregular;         /* a count entry's date is not YYYY-MM-DD (or a
	                          month's "=N" are too many to count) */
	int failed;            /* a read of the log failed (SQLite's code) */
	sqlite3_stmt *after;   /* a month's "+N"/"-N" after a date, read before an id */
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
	/* The key and its columns in one block: a small allocation costs its
	 * header and rounding, more than these few bytes, and a long log has
	 * tens of thousands of rows. */
	size_t size = b->len + 1;
	for (int i = 0; i < 3; i++)
		if (f[i])
			size += (size_t)len[i] + 1;
	char *at = xmalloc(size);
	memcpy(at, sbuf_str(b), b->len + 1);
	r->key = at;
	at += b->len + 1;
	for (int i = 0; i < 3; i++) {
		if (!f[i])
			continue;
		memcpy(at, f[i], (size_t)len[i]);
		at[len[i]] = '\0';
		r->f[i] = at;
		at += len[i] + 1;
	}
	id_index_add(&m->x, (uint32_t)m->n, rec_key, m);
	return r;
}

static void recmap_free(struct recmap *m)
{
	for (size_t i = 0; i < m->n; i++) {
		free(m->v[i].key); /* and its columns */
		free(m->v[i].eff); /* and value */
	}
	free(m->v);
	id_index_free(&m->x);
}

struct rebuild *rebuild_new(struct store *s)
{
	struct rebuild *b = xmalloc(sizeof *b);
	memset(b, 0, sizeof *b);
	b->s = s;
	return b;
}

void rebuild_free(struct rebuild *b)
{
	if (!b)
		return;
	recmap_free(&b->latest);
	recmap_free(&b->value);
	recmap_free(&b->names);
	free(b->bk);
	free(b->slot);
	sqlite3_finalize(b->after);
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

static uint32_t slot_hash(uint32_t item, uint32_t partner, uint32_t month)
{
	uint32_t h = item * 0x9E3779B1u ^ partner * 0x85EBCA77u ^ month * 0xC2B2AE3Du;
	return h ^ (h >> 15);
}

/* The bucket of (item, partner, month), made when new. */
static struct bucket *bucket_of(struct rebuild *b, uint32_t item, uint32_t partner, uint32_t month)
{
	if (2 * (b->nb + 1) > b->nslot) {
		size_t n = b->nslot ? 2 * b->nslot : 1024;
		uint32_t *t = xcalloc(n, sizeof *t);
		for (size_t i = 0; i < b->nb; i++) {
			const struct bucket *k = &b->bk[i];
			size_t at = slot_hash(k->item, k->partner, k->month) & (n - 1);
			while (t[at])
				at = (at + 1) & (n - 1);
			t[at] = (uint32_t)i + 1;
		}
		free(b->slot);
		b->slot = t;
		b->nslot = n;
	}
	size_t at = slot_hash(item, partner, month) & (b->nslot - 1);
	for (; b->slot[at]; at = (at + 1) & (b->nslot - 1)) {
		struct bucket *k = &b->bk[b->slot[at] - 1];
		if (k->item == item && k->partner == partner && k->month == month)
			return k;
	}
	xgrow(&b->bk, &b->capb, b->nb + 1, sizeof *b->bk);
	struct bucket *k = &b->bk[b->nb++];
	memset(k, 0, sizeof *k);
	k->item = item;
	k->partner = partner;
	k->month = month;
	b->slot[at] = (uint32_t)b->nb;
	return k;
}

static uint16_t day_of(const char *eff)
{
	return (uint16_t)((unsigned char)eff[8] << 8 | (unsigned char)eff[9]);
}

/* The sum of the "+N"/"-N" of a month (k) dated after eff and read before id. */
static long long tail_after(struct rebuild *b, const struct bucket *k, const char *eff, int64_t id)
{
	if (!b->after &&
	    sqlite3_prepare_v2(b->s->db, "SELECT value FROM log INDEXED BY log_kind_item WHERE kind = 'reach'"
	                       " AND item = ?1 AND effective > ?2 AND effective < ?3 AND id < ?4 AND partner = ?5",
	                       -1, &b->after, NULL) != SQLITE_OK) {
		b->failed = sqlite3_errcode(b->s->db);
		return 0;
	}
	char end[9];
	snprintf(end, sizeof end, "%s.", b->names.v[k->month - 1].f[0]);
	sqlite3_bind_text(b->after, 1, b->names.v[k->item - 1].f[0], -1, SQLITE_STATIC);
	sqlite3_bind_text(b->after, 2, eff, 10, SQLITE_STATIC);
	sqlite3_bind_text(b->after, 3, end, -1, SQLITE_STATIC);
	sqlite3_bind_int64(b->after, 4, id);
	sqlite3_bind_text(b->after, 5, b->names.v[k->partner - 1].f[0], -1, SQLITE_STATIC);
	long long sum = 0;
	int rc;
	while ((rc = sqlite3_step(b->after)) == SQLITE_ROW) {
		struct chain_field v = {(const char *)sqlite3_column_text(b->after, 0), sqlite3_column_bytes(b->after, 0)};
		if (v.p && v.len > 0 && (v.p[0] == '+' || v.p[0] == '-'))
			sum += count_amount(&v);
	}
	if (rc != SQLITE_DONE)
		b->failed = rc;
	sqlite3_reset(b->after);
	return sum;
}

/* A count entry ("+N", "-N" or "=N") into its month's running sums. */
static void count_add(struct rebuild *b, const struct chain_field *item, const struct chain_field *partner,
                      const struct chain_field *eff, const struct chain_field *value, int64_t id)
{
	if (b->irregular)
		return;
	if (eff->len != 10 || eff->p[7] != '-' || eff->p[8] == 0 || eff->p[9] == 0) {
		b->irregular = 1;
		return;
	}
	struct chain_field mon = {eff->p, 7};
	uint32_t month = name_of(b, &mon);
	struct bucket *k = bucket_of(b, name_of(b, item), name_of(b, partner), month);
	uint16_t day = day_of(eff->p);
	long long n = count_amount(value);
	if (day > k->last)
		k->last = day;
	if (value->p[0] == '=') {
		/* (Four billion "=N" in a month: the migrations' statements count them.) */
		if (k->nset == UINT32_MAX) {
			b->irregular = 1;
			return;
		}
		k->nset++;
		if (k->nset > 1 && day < k->set_day)
			return;
		/* The latest "=N" now: what follows it is what was read dated after
		 * it (entries of its date were read before it, by id). */
		k->tail = k->pm_last > day ? tail_after(b, k, eff->p, id) : 0;
		k->set_day = day;
		k->set_id = id;
		k->set_n = n;
		return;
	}
	if (day > k->pm_last)
		k->pm_last = day;
	if (!k->nset || day >= k->set_day)
		k->tail += n;
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
			/* The date and the value in one block. */
			free(r->eff);
			r->eff = xmalloc((size_t)eff->len + (size_t)value->len + 2);
			memcpy(r->eff, eff->p, (size_t)eff->len);
			r->eff[eff->len] = '\0';
			r->value = r->eff + eff->len + 1;
			memcpy(r->value, value->p, (size_t)value->len);
			r->value[value->len] = '\0';
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
	count_add(b, item, partner, eff, value, id);
}

/* ---- into TEMP tables ------------------------------------------------- */

static const struct rebuild *sort_ctx;

static int bucket_cmp(const void *a, const void *b)
{
	const struct bucket *x = a, *y = b;
	const struct rec *n = sort_ctx->names.v;
	int c = strcmp(n[x->item - 1].f[0], n[y->item - 1].f[0]);
	if (!c)
		c = strcmp(n[x->partner - 1].f[0], n[y->partner - 1].f[0]);
	if (!c)
		c = strcmp(n[x->month - 1].f[0], n[y->month - 1].f[0]);
	return c;
}

static int step_done(struct store *s, sqlite3_stmt *st, struct err *e)
{
	int rc = sqlite3_step(st);
	sqlite3_reset(st);
	return rc == SQLITE_DONE ? 0 : store_fail(s, rc, "verify", e);
}

/* A bucket's figures as the tables hold them. */
struct figures {
	long long nset, set_n, tail;
	char set_eff[11];
	int64_t set_id;
	char last[11];
};

static void day_text(char out[11], const char *month, uint16_t day)
{
	snprintf(out, 11, "%s-%c%c", month, (char)(day >> 8), (char)(day & 0xff));
}

static void bind_figures(sqlite3_stmt *st, int at, const struct figures *k)
{
	sqlite3_bind_int64(st, at, k->nset);
	if (k->nset) {
		sqlite3_bind_text(st, at + 1, k->set_eff, -1, SQLITE_TRANSIENT);
		sqlite3_bind_int64(st, at + 2, k->set_id);
		sqlite3_bind_int64(st, at + 3, k->set_n);
	} else {
		sqlite3_bind_null(st, at + 1);
		sqlite3_bind_null(st, at + 2);
		sqlite3_bind_null(st, at + 3);
	}
	sqlite3_bind_int64(st, at + 4, k->tail);
	sqlite3_bind_text(st, at + 5, k->last, -1, SQLITE_TRANSIENT);
}

/* The reach tables from the months' sums, in order of item, partner and
 * month: a partner's total is its months' in turn, as a month's is its
 * entries'. */
static int write_reach(struct store *s, struct rebuild *b, struct err *e)
{
	sqlite3_stmt *month = NULL, *total = NULL, *delta = NULL;
	int ret = -1;
	if (b->failed)
		return store_fail(s, b->failed, "read", e);
	if (store_prepare(s, "INSERT INTO temp.reach_month (item, partner, month, nset, set_eff, set_id, set_n, tail, last)"
	                  " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)", &month, e) < 0 ||
	    store_prepare(s, "INSERT INTO temp.reach_total (item, partner, nset, set_eff, set_id, set_n, tail, last)"
	                  " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)", &total, e) < 0 ||
	    store_prepare(s, "INSERT INTO temp.reach_delta (item, month, delta, last) VALUES (?1, ?2, ?3, ?4)"
	                  " ON CONFLICT (item, month) DO UPDATE SET delta = delta + excluded.delta,"
	                  " last = max(last, excluded.last)", &delta, e) < 0)
		goto out;
	sort_ctx = b;
	if (b->nb)
		qsort(b->bk, b->nb, sizeof *b->bk, bucket_cmp);
	for (size_t i = 0; i < b->nb;) {
		/* One (item, partner). */
		size_t j = i;
		struct figures all = {0};
		long long run = 0, prev_run = 0;
		const char *item = b->names.v[b->bk[i].item - 1].f[0];
		const char *partner = b->names.v[b->bk[i].partner - 1].f[0];
		for (; j < b->nb && b->bk[j].item == b->bk[i].item && b->bk[j].partner == b->bk[i].partner; j++) {
			const struct bucket *k = &b->bk[j];
			const char *mon = b->names.v[k->month - 1].f[0];
			struct figures m = {k->nset, k->set_n, k->tail, "", k->set_id, ""};
			if (k->nset)
				day_text(m.set_eff, mon, k->set_day);
			day_text(m.last, mon, k->last);
			sqlite3_bind_text(month, 1, item, -1, SQLITE_STATIC);
			sqlite3_bind_text(month, 2, partner, -1, SQLITE_STATIC);
			sqlite3_bind_text(month, 3, mon, -1, SQLITE_STATIC);
			bind_figures(month, 4, &m);
			if (step_done(s, month, e) < 0)
				goto out;
			run = m.nset ? m.set_n + m.tail : run + m.tail;
			sqlite3_bind_text(delta, 1, item, -1, SQLITE_STATIC);
			sqlite3_bind_text(delta, 2, mon, -1, SQLITE_STATIC);
			sqlite3_bind_int64(delta, 3, run - prev_run);
			sqlite3_bind_text(delta, 4, m.last, -1, SQLITE_TRANSIENT);
			if (step_done(s, delta, e) < 0)
				goto out;
			prev_run = run;
			/* The months in turn, each "=N" the latest so far. */
			if (m.nset) {
				all.nset += m.nset;
				all.set_n = m.set_n;
				all.set_id = m.set_id;
				memcpy(all.set_eff, m.set_eff, sizeof all.set_eff);
				all.tail = m.tail;
			} else {
				all.tail += m.tail;
			}
			memcpy(all.last, m.last, sizeof all.last);
		}
		sqlite3_bind_text(total, 1, item, -1, SQLITE_STATIC);
		sqlite3_bind_text(total, 2, partner, -1, SQLITE_STATIC);
		bind_figures(total, 3, &all);
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

/* The current runs of a status item, newest first, as 2.sql's na/nb:
 * their first dates into run[0] (submitted/accepted) and run[1]
 * (reached), and the date of the entry before each run, the latest one
 * not of it (15.sql), into brk[0] and brk[1]; NULL where there is none
 * (the caller frees them). */
static int runs(struct store *s, sqlite3_stmt *q, const struct rec *r, char *run[2], char *brk[2],
                struct err *e)
{
	sqlite3_bind_text(q, 1, r->f[1], -1, SQLITE_STATIC);
	int in[2] = {1, 1}, rc = SQLITE_DONE;
	while ((in[0] || in[1]) && (rc = sqlite3_step(q)) == SQLITE_ROW) {
		const char *eff = (const char *)sqlite3_column_text(q, 0);
		const char *v = (const char *)sqlite3_column_text(q, 1);
		int of[2] = {v && (strcmp(v, "submitted") == 0 || strcmp(v, "accepted") == 0),
		             v && strcmp(v, "reached") == 0};
		for (int k = 0; k < 2; k++) {
			if (!in[k])
				continue;
			char **to = of[k] ? &run[k] : &brk[k];
			in[k] = of[k];
			/* A breaker without a run before it is none. */
			if (!of[k] && !run[k])
				continue;
			free(*to);
			*to = xstrdup(eff ? eff : "");
		}
	}
	sqlite3_reset(q);
	return rc == SQLITE_ROW || rc == SQLITE_DONE || !(in[0] || in[1]) ? 0 : store_fail(s, rc, "verify", e);
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
	/* Schema 15 keeps the breakers too. */
	int brks = s->version >= 15;
	if (store_prepare(s, brks ? "INSERT INTO temp.latest (kind, item, partner, effective, id, value, run_a, run_b,"
	                            " run_ok, brk_a, brk_b) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, 1, ?9, ?10)"
	                          : "INSERT INTO temp.latest (kind, item, partner, effective, id, value, run_a, run_b,"
	                            " run_ok) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, 1)", &st, e) < 0 ||
	    store_prepare(s, "SELECT effective, value FROM log INDEXED BY log_kind_item WHERE kind = 'status'"
	                  " AND item = ?1 ORDER BY effective DESC, id DESC", &q, e) < 0)
		goto out;
	for (size_t i = 0; i < b->latest.n; i++) {
		struct rec *r = &b->latest.v[i];
		char *run[2] = {NULL, NULL}, *brk[2] = {NULL, NULL};
		int rc = strcmp(r->f[0], "status") == 0 ? runs(s, q, r, run, brk, e) : 0;
		for (int k = 0; k < 3; k++)
			sqlite3_bind_text(st, k + 1, r->f[k], -1, SQLITE_STATIC);
		sqlite3_bind_text(st, 4, r->eff, -1, SQLITE_STATIC);
		sqlite3_bind_int64(st, 5, r->id);
		sqlite3_bind_text(st, 6, r->value, -1, SQLITE_STATIC);
		sqlite3_bind_text(st, 7, run[0], -1, SQLITE_STATIC);
		sqlite3_bind_text(st, 8, run[1], -1, SQLITE_STATIC);
		if (brks) {
			sqlite3_bind_text(st, 9, brk[0], -1, SQLITE_STATIC);
			sqlite3_bind_text(st, 10, brk[1], -1, SQLITE_STATIC);
		}
		if (rc == 0)
			rc = step_done(s, st, e);
		for (int k = 0; k < 2; k++) {
			free(run[k]);
			free(brk[k]);
		}
		if (rc < 0)
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
	ret = b->irregular ? 0 : write_reach(s, b, e);
out:
	sqlite3_finalize(st);
	sqlite3_finalize(q);
	return ret;
}

int rebuild_gathers(const struct rebuild *b, const char *name, size_t n)
{
	static const char *const tables[] = {
		"log_stats", "latest", "reach_value", "reach_month", "reach_total", "reach_delta", NULL,
	};
	for (int i = 0; tables[i]; i++)
		if (strlen(tables[i]) == n && strncmp(tables[i], name, n) == 0)
			return !(b->irregular && i >= 3);
	return 0;
}
