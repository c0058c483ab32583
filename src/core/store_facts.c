/* store_facts: the facts derive reads, as the log stood at the end of a
 * day, in one read transaction. */
#include "config.h"
#include "core/store.h"

#include <errno.h>
#include <fcntl.h>
#include <math.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include <sqlite3.h>

#include "core/store_int.h"
#include "core/resources.h"

/* ---- facts ----------------------------------------------------------- */

static void facts_init(struct facts *f, const struct project *p, cdate asof, unsigned flags);
static void facts_blank_items(struct facts *f, const struct project *p);

void facts_init_empty(struct facts *f, const struct project *p, cdate asof)
{
	facts_init(f, p, asof, 0);
}

/* Empty facts of p; with STORE_FACTS_RES_TOTALS, no month grids of the
 * use of resources (megabytes on a large project, never read then). */
static void facts_init(struct facts *f, const struct project *p, cdate asof, unsigned flags)
{
	memset(f, 0, sizeof *f);
	f->asof = asof;
	f->tasks = xcalloc((size_t)p->ntasks, sizeof *f->tasks);
	f->deliverables = xcalloc((size_t)p->ndeliverables, sizeof *f->deliverables);
	f->milestones = xcalloc((size_t)p->nmilestones, sizeof *f->milestones);

	int am = project_month_of(p, asof);
	f->targets = xcalloc((size_t)p->ntargets, sizeof *f->targets);
	f->ntargets = p->ntargets;
	for (int i = 0; i < p->ntargets; i++) {
		struct reach_fact *r = &f->targets[i];
		r->by_partner = xcalloc((size_t)p->npartners, sizeof *r->by_partner);
		r->by_month = xcalloc((size_t)p->nmonths, sizeof *r->by_month);
		for (int m = 0; m < p->nmonths; m++)
			r->by_month[m] = m + 1 > am ? -1 : 0;
	}
	size_t nb = (size_t)p->bench.nclusters * (size_t)p->bench.nindicators;
	f->bench = xcalloc(nb, sizeof *f->bench);
	f->bench_has = xcalloc(nb, sizeof *f->bench_has);
	f->label = xcalloc((size_t)p->bench.nclusters, sizeof *f->label);
	f->label_date = xcalloc((size_t)p->bench.nclusters, sizeof *f->label_date);
	res_facts_init(&f->res, p, (flags & STORE_FACTS_RES_TOTALS) != 0);
	facts_blank_items(f, p);
}

/* No item, benchmark figure or label known. */
static void facts_blank_items(struct facts *f, const struct project *p)
{
	struct item_fact blank = {0};
	blank.status_date = blank.progress_date = blank.done_date = CDATE_NONE;
	for (int i = 0; i < p->ntasks; i++)
		f->tasks[i] = blank;
	for (int i = 0; i < p->ndeliverables; i++)
		f->deliverables[i] = blank;
	for (int i = 0; i < p->nmilestones; i++)
		f->milestones[i] = blank;
	size_t nb = (size_t)p->bench.nclusters * (size_t)p->bench.nindicators;
	memset(f->bench, 0, nb * sizeof *f->bench);
	memset(f->bench_has, 0, nb * sizeof *f->bench_has);
	for (int c = 0; c < p->bench.nclusters; c++) {
		f->label[c] = -1;
		f->label_date[c] = CDATE_NONE;
	}
}

void reach_fact_clear(struct reach_fact *r)
{
	free(r->by_partner);
	free(r->by_month);
	if (!r->values_block)
		for (int i = 0; i < r->nvalues; i++)
			free(r->values[i]);
	free(r->values);
	free(r->values_block);
	memset(r, 0, sizeof *r);
}

void facts_free(struct facts *f)
{
	if (!f)
		return;
	if (f->targets)
		for (int t = 0; t < f->ntargets; t++)
			reach_fact_clear(&f->targets[t]);
	free(f->tasks);
	free(f->deliverables);
	free(f->milestones);
	free(f->targets);
	free(f->bench);
	free(f->bench_has);
	free(f->label);
	free(f->label_date);
	res_facts_free(&f->res);
	memset(f, 0, sizeof *f);
}

/* A column's date, as date_parse reads it. The rows of a query bring
 * the same few months again and again: the first day of each month seen
 * and its length are kept (by year and month), so that most dates cost a
 * check of their digits and an addition. */
struct month_memo {
	int ym;             /* y * 12 + m - 1; 0 empty */
	cdate first;
	int len;
};
static struct month_memo month_memo[64];

static cdate text_date(const char *t)
{
	cdate d;
	if (!t)
		return CDATE_NONE;
	/* YYYY-MM-DD: each test stops at a NUL before reading past it. */
	int ok = (unsigned)(t[0] - '0') < 10 && (unsigned)(t[1] - '0') < 10 &&
	         (unsigned)(t[2] - '0') < 10 && (unsigned)(t[3] - '0') < 10 && t[4] == '-' &&
	         (unsigned)(t[5] - '0') < 10 && (unsigned)(t[6] - '0') < 10 && t[7] == '-' &&
	         (unsigned)(t[8] - '0') < 10 && (unsigned)(t[9] - '0') < 10;
	if (ok && !t[10]) {
		int y = (t[0] - '0') * 1000 + (t[1] - '0') * 100 + (t[2] - '0') * 10 + (t[3] - '0');
		int m = (t[5] - '0') * 10 + (t[6] - '0'), day = (t[8] - '0') * 10 + (t[9] - '0');
		if (y >= 1900 && m >= 1 && m <= 12) {
			int ym = y * 12 + m - 1;
			struct month_memo *c = &month_memo[ym & 63];
			if (c->ym != ym) {
				c->ym = ym;
				c->first = date_from_ymd(y, m, 1);
				c->len = date_days_in_month(y, m);
			}
			return day >= 1 && day <= c->len ? c->first + day - 1 : CDATE_NONE;
		}
	}
	if (date_parse(t, &d) < 0)
		return CDATE_NONE;
	return d;
}

static cdate col_date(sqlite3_stmt *st, int i)
{
	return text_date((const char *)sqlite3_column_text(st, i));
}


/* Latest first: the rows of one kind for :item (and :partner) as of
 * :asof, with their ids: the reverted ones are left out in C (struct revs),
 * which costs a lookup in memory instead of a probe of the log per row.
 * The kinds are literals: a kind bound as a parameter would make SQLite
 * prepare the statement again at every new binding (the partial index
 * log_revert depends on the kind). */
#define SQL_ITEM_ROWS(KIND) "SELECT l.value, l.effective, l.id FROM log l" \
	" WHERE l.kind = '" KIND "' AND l.item = :item AND l.effective <= :asof" \
	" ORDER BY l.effective DESC, l.id DESC"
#define SQL_BENCH_ROWS "SELECT l.value, l.effective, l.id FROM log l WHERE l.kind = 'bench'" \
	" AND l.partner = :partner AND l.item = :item AND l.effective <= :asof" \
	" ORDER BY l.effective DESC, l.id DESC"
#define SQL_LABEL_ROWS "SELECT l.value, l.effective, l.id FROM log l WHERE l.kind = 'label'" \
	" AND l.partner = :partner AND l.effective <= :asof ORDER BY l.effective DESC, l.id DESC"

/* Every revert effective by :asof with the entry it undoes (NULLs when
 * there is none): (revert's value, revert's effective date, id, kind,
 * item, partner, effective, value, signed amount; the amount only for a
 * reach entry, the one kind that reads it, whose month and kind of count
 * rev_fill takes from its texts). Read once per query of the facts: reverts are rare corrections,
 * the summaries ignore them, and the facts take the undone entries out
 * again. A revert names its entry by the id as decimal text, exactly as
 * CAST(id AS TEXT) writes it (checked in C). */
#define REVERT_COLUMNS(L) L ".id, " L ".kind, " L ".item, " L ".partner, " L ".effective," \
	" " L ".value"
#define SQL_REVERTS \
	"SELECT r.value, r.effective, " REVERT_COLUMNS("l") \
	" FROM log r LEFT JOIN log l ON l.id = CAST(r.value AS INTEGER)" \
	" WHERE r.kind = 'revert' AND r.effective <= :asof"
/* Schema 4: the same from the undone table; an entry missing when its
 * revert was written (only a hand-made log has that) is looked up again. */
#define SQL_REVERTS_UNDONE "SELECT u.rvalue, u.reff, " REVERT_COLUMNS("u") \
	" FROM undone u WHERE u.reff <= :asof"
#define SQL_REVERTED_ENTRY "SELECT " REVERT_COLUMNS("l") " FROM log l WHERE l.id = :id"


int facts_q_prepare(struct facts_q *q, const char *sql, sqlite3_stmt **st, struct err *e)
{
	if (store_prepare(q->s, sql, st, e) < 0)
		return -1;
	store_bind_named(*st, ":asof", q->asof, -1);
	return 0;
}

void facts_q_rebind(sqlite3_stmt *st, const char *kind, const char *item, const char *partner)
{
	sqlite3_reset(st);
	store_bind_named(st, ":kind", kind, -1);
	store_bind_named(st, ":item", item, -1);
	store_bind_named(st, ":partner", partner, -1);
}

static int parse_pct(const char *v, int *out);

/* Prepares *st on first use (the statements a query of the facts may never
 * need are never parsed). */
int facts_q_lazy(struct facts_q *q, const char *sql, sqlite3_stmt **st, struct err *e)
{
	return *st ? 0 : facts_q_prepare(q, sql, st, e);
}

/* A slot of revs' table for id (a multiplicative hash: ids are mostly
 * consecutive). */
static inline size_t rev_hash(int64_t id)
{
	return (size_t)(((uint64_t)id * 0x9e3779b97f4a7c15u) >> 32);
}

/* rv->v by id, stably: a radix sort of the entries' indexes by their ids
 * (the bytes that differ, the sign bit flipped so that negative ones come
 * first), then the entries moved into place along the permutation's
 * cycles. qsort's comparisons and moves of the large entries cost more
 * than the rest of their reading, and a second array of them as many
 * fresh pages. */
static int rev_cmp(const void *x, const void *y)
{
	int64_t a = ((const struct rev *)x)->id, b = ((const struct rev *)y)->id;
	return (a > b) - (a < b);
}

static void revs_sort(struct revs *rv)
{
	size_t n = rv->n;
	if (n >= UINT32_MAX) {
		qsort(rv->v, n, sizeof *rv->v, rev_cmp);
		return;
	}
	uint32_t *a = xmalloc(2 * n * sizeof *a), *b = a + n, *t;
	uint64_t all_or = 0, all_and = ~(uint64_t)0;
#define REV_KEY(i) ((uint64_t)rv->v[i].id ^ ((uint64_t)1 << 63))
	for (size_t i = 0; i < n; i++) {
		a[i] = (uint32_t)i;
		all_or |= REV_KEY(i);
		all_and &= REV_KEY(i);
	}
	for (int shift = 0; shift < 64; shift += 8) {
		if ((((all_or ^ all_and) >> shift) & 0xff) == 0)
			continue;
		size_t count[257] = {0};
		for (size_t i = 0; i < n; i++)
			count[((REV_KEY(a[i]) >> shift) & 0xff) + 1]++;
		for (int d = 0; d < 256; d++)
			count[d + 1] += count[d];
		for (size_t i = 0; i < n; i++)
			b[count[(REV_KEY(a[i]) >> shift) & 0xff]++] = a[i];
		t = a;
		a = b;
		b = t;
	}
#undef REV_KEY
	/* Position i takes entry a[i]: each cycle once, with one entry aside. */
	for (size_t i = 0; i < n; i++) {
		if (a[i] == i || a[i] == UINT32_MAX)
			continue;
		struct rev keep = rv->v[i];
		size_t j = i;
		while (a[j] != i) {
			size_t k = a[j];
			rv->v[j] = rv->v[k];
			a[j] = UINT32_MAX;
			j = k;
		}
		rv->v[j] = keep;
		a[j] = UINT32_MAX;
	}
	free(a < b ? a : b);
}

void revs_free(struct revs *rv)
{
	for (size_t i = 0; i < rv->n; i++)
		free(rv->v[i].mem);
	free(rv->v);
	free(rv->reach);
	free(rv->slot);
	for (size_t i = 0; i < rv->nbufs; i++)
		free(rv->bufs[i]);
	free(rv->bufs);
	memset(rv, 0, sizeof *rv);
}

/* A reach entry's number as REACH_N reads its value v: the sign and
 * digits of a plain "+N", "-N" or "=N" (at most 18 digits), and 0 where
 * what follows the first byte cannot begin a number; anything else as
 * SQLite casts it (*n_st, prepared on first use). 0, or -1 on error. */
static int reach_n(struct store *s, sqlite3_stmt **n_st, const char *v, long *n, struct err *e)
{
	*n = 0;
	if (!v || !*v)
		return 0;
	size_t nd = strspn(v + 1, "0123456789");
	if ((*v == '+' || *v == '-' || *v == '=') && nd >= 1 && nd <= 18 && !v[1 + nd]) {
		long x = 0;
		for (size_t i = 1; i <= nd; i++)
			x = x * 10 + (v[i] - '0');
		*n = *v == '-' ? -x : x;
		return 0;
	}
	if (!v[1] || !strchr("0123456789+- \t\n\v\f\r", v[1]))
		return 0;
	if (!*n_st && store_prepare(s, "SELECT " REACH_N("x") " FROM (SELECT ?1 AS value) x", n_st, e) < 0)
		return -1;
	sqlite3_reset(*n_st);
	sqlite3_bind_text(*n_st, 1, v, -1, SQLITE_TRANSIENT);
	int rc = sqlite3_step(*n_st);
	if (rc != SQLITE_ROW)
		return store_fail(s, rc, "read", e);
	*n = (long)sqlite3_column_int64(*n_st, 0);
	sqlite3_reset(*n_st);
	return 0;
}

/* Fills r from the entry's texts t (kind, item, partner, effective,
 * value; NULL where the column is; tn[i] bytes of t[i], up to a NUL;
 * copied with own, else NUL-terminated texts that outlive r) once found
 * says it exists; for a reach
 * entry the month (the effective date's first 7 characters, as
 * substr(effective, 1, 7)), the kind of count from the value's first
 * byte and its number (reach_n), here rather than in SQL. 0, or -1 on
 * error. */
static int rev_set(struct rev *r, int found, char *const t[5], const size_t tn[5], int own,
                   struct store *s, sqlite3_stmt **n_st, struct err *e)
{
	r->found = found;
	if (!r->found)
		return 0;
	char **out[5] = {&r->kind, &r->item, &r->partner, &r->effective, &r->value};
	if (own) {
		/* The five texts in one allocation (zeroed: each text ends
		 * there). */
		size_t n[5], all = 0;
		for (int i = 0; i < 5; i++) {
			n[i] = t[i] ? strnlen(t[i], tn[i]) + 1 : 0;
			all += n[i];
		}
		char *m = r->mem = xcalloc(all + 1, 1);
		for (int i = 0; i < 5; i++) {
			*out[i] = t[i] ? memcpy(m, t[i], n[i] - 1) : NULL;
			m += n[i];
		}
	} else {
		for (int i = 0; i < 5; i++)
			*out[i] = t[i];
	}
	/* The kind by its first byte, then the whole name. */
	static const char *const kinds[] = {"status", "progress", "reach", "bench", "label", "effort", "cost"};
	r->k = REV_OTHER;
	for (int i = 0; r->kind && i < 7; i++)
		if (r->kind[0] == kinds[i][0] && strcmp(r->kind, kinds[i]) == 0) {
			r->k = (enum rev_kind)(REV_STATUS + i);
			break;
		}
	int reach = r->k == REV_REACH;
	r->month[0] = '\0';
	r->op = 0;
	r->reach = 0;
	if (reach) {
		if (r->effective) {
			size_t k = strnlen(r->effective, 7);
			memcpy(r->month, r->effective, k);
			r->month[k] = '\0';
		}
		char c = r->value ? r->value[0] : '\0';
		r->op = c == '=' ? 2 : c == '+' || c == '-' ? 1 : 0;
		r->reach = r->item && r->partner && r->effective && r->value;
	}
	r->n = 0;
	return reach ? reach_n(s, n_st, r->value, &r->n, e) : 0;
}

/* rev_set from columns at..at+5 of st (REVERT_COLUMNS). */
static int rev_fill(struct rev *r, sqlite3_stmt *st, int at, struct store *s, sqlite3_stmt **n_st,
                    struct err *e)
{
	int found = sqlite3_column_type(st, at) != SQLITE_NULL && sqlite3_column_int64(st, at) == r->id;
	char *t[5] = {NULL};
	size_t tn[5] = {0};
	if (found)
		for (int i = 0; i < 5; i++) {
			t[i] = (char *)sqlite3_column_text(st, at + 1 + i);
			tn[i] = t[i] ? strlen(t[i]) : 0;
		}
	return rev_set(r, found, t, tn, 1, s, n_st, e);
}

/* A revert's value as the id it names: decimal digits as "%lld" writes
 * them (a '-' before them, no leading zero, not "-0"); 0, or -1 when v is
 * not one. */
static int rev_id(const char *v, long long *id)
{
	if (!v)
		return -1;
	const char *c = v + (*v == '-');
	size_t nd = 0;
	while ((unsigned)(c[nd] - '0') <= 9u)
		nd++;
	if (nd == 0 || c[nd] || (*c == '0' && (nd > 1 || c != v)))
		return -1;
	if (nd < 19) {
		long long x = 0;
		for (size_t i = 0; i < nd; i++)
			x = x * 10 + (c[i] - '0');
		*id = c != v ? -x : x;
		return 0;
	}
	char *end;
	errno = 0;
	*id = strtoll(v, &end, 10);
	return end == v || *end || errno ? -1 : 0;
}

/* A new entry of rv for the revert of id effective on reff. */
static struct rev *rev_add(struct revs *rv, long long id, const char *reff)
{
	xgrow(&rv->v, &rv->cap, rv->n + 1, sizeof *rv->v);
	struct rev *r = &rv->v[rv->n++];
	*r = (struct rev){.id = id};
	size_t nr = reff ? strnlen(reff, sizeof r->reff - 1) : 0;
	memcpy(r->reff, reff ? reff : "", nr);
	r->reff[nr] = '\0';
	return r;
}

/* The entry a revert names, looked up in the log (undone has none: only a
 * hand-made log has that). 0, or -1 on error. */
static int rev_again(struct facts_q *q, struct rev *r, sqlite3_stmt **again, sqlite3_stmt **n_st,
                     struct err *e)
{
	if (!*again && store_prepare(q->s, SQL_REVERTED_ENTRY, again, e) < 0)
		return -1;
	sqlite3_reset(*again);
	sqlite3_bind_int64(*again, sqlite3_bind_parameter_index(*again, ":id"), r->id);
	int arc = sqlite3_step(*again);
	if (arc == SQLITE_ROW)
		return rev_fill(r, *again, 0, q->s, n_st, e);
	if (arc != SQLITE_DONE)
		return store_fail(q->s, arc, "read", e);
	return 0;
}

/* The reverts from undone_pack (schema 16): 0, 1 when a text does not
 * read as the migration writes it, or holds another number of records
 * than its row's n (rv then holds nothing from it), -1 on error. */
static int revs_packed(struct facts_q *q, sqlite3_stmt **again, sqlite3_stmt **n_st, struct err *e)
{
	struct revs *rv = &q->rv;
	sqlite3_stmt *st;
	/* Room for each row's entries before they are read (n); no query of
	 * its own, which would read the rows' pages twice through the small
	 * page cache. */
	if (store_prepare(q->s, "SELECT n, rows FROM undone_pack", &st, e) < 0)
		return -1;
	int rc, ret = 0;
	while (ret == 0 && (rc = sqlite3_step(st)) == SQLITE_ROW) {
		int64_t more = sqlite3_column_int64(st, 0);
		if (more > 0 && more <= 1024)
			xgrow(&rv->v, &rv->cap, rv->n + (size_t)more, sizeof *rv->v);
		const char *rows = (const char *)sqlite3_column_text(st, 1);
		size_t len = (size_t)sqlite3_column_bytes(st, 1);
		/* A copy, one byte longer, so that each text ends in place;
		 * the entries point into it. */
		char *buf = xmalloc(len + 1);
		memcpy(buf, rows ? rows : "", len);
		buf[len] = '\0';
		xgrow(&rv->bufs, &rv->capbufs, rv->nbufs + 1, sizeof *rv->bufs);
		rv->bufs[rv->nbufs++] = buf;
		const char *at = buf, *end = buf + len;
		int64_t got = 0;
		while (at < end) {
			got++;
			char *f[8];
			size_t n[8];
			int64_t id = 0, sup = 0;
			int has_id = 0;
			for (int i = 0; i < 8 && ret == 0; i++) {
				if (*at == '-') {
					f[i] = NULL;
					n[i] = 0;
					at++;
				} else if (i == 2) {
					f[2] = NULL;
					has_id = 1;
					if (store_pack_int(&at, end, &id) < 0)
						ret = 1;
				} else {
					const char *t;
					if (store_pack_text(&at, end, &t, &n[i]) < 0)
						ret = 1;
					else
						f[i] = (char *)t;
				}
			}
			if (ret == 0 && (store_pack_int(&at, end, &sup) < 0 || sup < 0 || sup > 1))
				ret = 1;
			if (ret)
				break;
			/* Each text is followed by a field already read: it
			 * can end in place. */
			for (int i = 0; i < 8; i++)
				if (f[i])
					f[i][n[i]] = '\0';
			long long rid;
			if (!f[1] || strcmp(f[1], q->asof) > 0 || rev_id(f[0], &rid) < 0)
				continue;
			struct rev *r = rev_add(rv, rid, f[1]);
			char *t[5] = {f[3], f[4], f[5], f[6], f[7]};
			const size_t tn[5] = {n[3], n[4], n[5], n[6], n[7]};
			if (rev_set(r, has_id && id == r->id, t, tn, 0, q->s, n_st, e) < 0 ||
			    (!r->found && rev_again(q, r, again, n_st, e) < 0)) {
				ret = -1;
				break;
			}
			r->superseded = r->found && (int)sup;
		}
		/* A row holds as many records as it says: one emptied or cut
		 * at a record's end does not read either. */
		if (ret == 0 && got != more)
			ret = 1;
	}
	sqlite3_finalize(st);
	if (ret == 0 && rc != SQLITE_DONE)
		ret = store_fail(q->s, rc, "read", e);
	if (ret != 0)
		revs_free(rv);
	return ret;
}

/* The index of partner id, the one looked up before (*last, *last_pi)
 * tried first. */
static int lookup_partner(const struct project *p, const char **last, int *last_pi, const char *id)
{
	if (!id)
		return -1;
	if (!*last || strcmp(*last, id) != 0) {
		*last = id;
		*last_pi = project_partner(p, id);
	}
	return *last_pi;
}

int revs_read(struct facts_q *q, struct err *e)
{
	sqlite3_stmt *st = NULL, *again = NULL, *n_st = NULL;
	struct revs *rv = &q->rv;
	int rc = SQLITE_DONE, failed = 0;
	int packed = q->s->version >= 16 ? revs_packed(q, &again, &n_st, e) : 1;
	if (packed < 0) {
		failed = 1;
		goto out;
	}
	if (packed == 0)
		goto out;
	if (facts_q_prepare(q, q->s->version >= 4 ? SQL_REVERTS_UNDONE : SQL_REVERTS, &st, e) < 0) {
		failed = 1;
		goto out;
	}
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		long long id;
		if (rev_id((const char *)sqlite3_column_text(st, 0), &id) < 0)
			continue;
		struct rev *r = rev_add(rv, id, (const char *)sqlite3_column_text(st, 1));
		if (rev_fill(r, st, 2, q->s, &n_st, e) < 0 ||
		    (!r->found && q->s->version >= 4 && rev_again(q, r, &again, &n_st, e) < 0)) {
			failed = 1;
			break;
		}
	}
out:
	sqlite3_finalize(st);
	sqlite3_finalize(again);
	sqlite3_finalize(n_st);
	if (failed || rc != SQLITE_DONE) {
		revs_free(rv);
		return failed ? -1 : store_fail(q->s, rc, "read", e);
	}
	if (rv->n > 1) {
		revs_sort(rv);
		/* An entry reverted twice is undone once. */
		size_t k = 1;
		for (size_t i = 1; i < rv->n; i++) {
			if (rv->v[i].id == rv->v[k - 1].id) {
				struct rev *x = &rv->v[i];
				if (strcmp(x->reff, rv->v[k - 1].reff) < 0)
					memcpy(rv->v[k - 1].reff, x->reff, sizeof x->reff);
				free(x->mem);
				continue;
			}
			rv->v[k++] = rv->v[i];
		}
		rv->n = k;
	}
	/* The ids by hash, for revs_has (each row of the summaries asks). */
	size_t nslot = 16;
	while (nslot < 2 * rv->n)
		nslot *= 2;
	rv->slot = rv->n < UINT32_MAX / 2 ? xcalloc(nslot, sizeof *rv->slot) : NULL;
	rv->mask = nslot - 1;
	for (size_t i = 0; rv->slot && i < rv->n; i++) {
		size_t h = rev_hash(rv->v[i].id) & rv->mask;
		while (rv->slot[h])
			h = (h + 1) & rv->mask;
		rv->slot[h] = (uint32_t)(i + 1);
	}
	const char *last_partner = NULL;
	int last_pi = -1;
	/* The cells the entries fall in, as indexes: the readers compare
	 * and sort them as numbers (the same as comparing the texts: an id
	 * names one partner, WP, category or target). */
	for (size_t i = 0; i < rv->n; i++) {
		struct rev *r = &rv->v[i];
		r->pi = r->ci = -1;
		if (!r->found || (r->k != REV_EFFORT && r->k != REV_COST))
			continue;
		r->pi = lookup_partner(q->p, &last_partner, &last_pi, r->partner);
		r->ci = !r->item ? -1 : r->k == REV_EFFORT ? project_wp(q->p, r->item) : res_category(r->item);
	}
	/* The reach entries, for each target's own. */
	rv->reach = xcalloc(rv->n + 1, sizeof *rv->reach);
	for (size_t i = 0; i < rv->n; i++)
		if (rv->v[i].found && rv->v[i].reach)
			rv->reach[rv->nreach++] = &rv->v[i];
	rv->partial = packed == 0 && q->s->version >= 17;
	return 0;
}

static int id_cmp(const void *x, const void *y)
{
	int64_t a = *(const int64_t *)x, b = *(const int64_t *)y;
	return (a > b) - (a < b);
}

int undone_ids_read(struct facts_q *q, const char *kind, const char *item, const char *partner,
                    struct undone_ids *k, struct err *e)
{
	k->n = 0;
	if (!q->rv.partial)
		return 0;
	/* By the index's columns in its order (undone_key, schema 18; a log
	 * of schema 17 not migrated yet has none, and is read through): an
	 * OR around a test would not use it. */
	static const char *const sql[] = {
		"SELECT id FROM undone WHERE kind = ?1 AND reff <= ?4",
		"SELECT id FROM undone WHERE kind = ?1 AND item = ?2 AND reff <= ?4",
		"SELECT id FROM undone WHERE kind = ?1 AND item = ?2 AND partner = ?3 AND reff <= ?4",
		"SELECT id FROM undone WHERE kind = ?1 AND partner = ?3 AND reff <= ?4",
	};
	int shape = item ? (partner ? 2 : 1) : (partner ? 3 : 0);
	sqlite3_stmt **st = &q->walk_st[shape];
	if (!*st && store_prepare(q->s, sql[shape], st, e) < 0)
		return -1;
	sqlite3_reset(*st);
	sqlite3_bind_text(*st, 1, kind, -1, SQLITE_STATIC);
	if (item)
		sqlite3_bind_text(*st, 2, item, -1, SQLITE_STATIC);
	if (partner)
		sqlite3_bind_text(*st, 3, partner, -1, SQLITE_STATIC);
	sqlite3_bind_text(*st, 4, q->asof, -1, SQLITE_STATIC);
	int rc;
	while ((rc = sqlite3_step(*st)) == SQLITE_ROW) {
		if (sqlite3_column_type(*st, 0) == SQLITE_NULL)
			continue;
		xgrow(&k->v, &k->cap, k->n + 1, sizeof *k->v);
		k->v[k->n++] = sqlite3_column_int64(*st, 0);
	}
	sqlite3_reset(*st);
	if (rc != SQLITE_DONE)
		return store_fail(q->s, rc, "read", e);
	if (k->n > 1)
		qsort(k->v, k->n, sizeof *k->v, id_cmp);
	return 0;
}

void facts_q_end(struct facts_q *q)
{
	for (size_t i = 0; i < sizeof q->walk_st / sizeof q->walk_st[0]; i++) {
		sqlite3_finalize(q->walk_st[i]);
		q->walk_st[i] = NULL;
	}
	free(q->walk.v);
	q->walk = (struct undone_ids){0};
	revs_free(&q->rv);
}

int undone_ids_has(const struct undone_ids *k, int64_t id)
{
	size_t lo = 0, hi = k->n;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		if (k->v[mid] < id)
			lo = mid + 1;
		else if (k->v[mid] > id)
			hi = mid;
		else
			return 1;
	}
	return 0;
}

/* Is entry id undone as of asof? */
int revs_has(const struct revs *rv, int64_t id)
{
	if (rv->slot) {
		for (size_t h = rev_hash(id) & rv->mask; rv->slot[h]; h = (h + 1) & rv->mask)
			if (rv->v[rv->slot[h] - 1].id == id)
				return 1;
		return 0;
	}
	size_t lo = 0, hi = rv->n;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		if (rv->v[mid].id < id)
			lo = mid + 1;
		else if (rv->v[mid].id > id)
			hi = mid;
		else
			return 1;
	}
	return 0;
}

/* The statuses of a deliverable's and a milestone's done runs. */
static const char *const deliverable_done[] = { "submitted", "accepted", NULL };
static const char *const milestone_done[] = { "reached", NULL };

static int in_set(const char *v, const char *const *set)
{
	for (; *set; set++)
		if (strcmp(v, *set) == 0)
			return 1;
	return 0;
}

/* Status of one item: the latest, and the start of the current run of
 * statuses in done_set (NULL: no done date). */
static int fact_status(struct facts_q *q, sqlite3_stmt *st, const char *id,
                       const char *const *done_set, struct item_fact *f, struct err *e)
{
	if (undone_ids_read(q, "status", id, NULL, &q->walk, e) < 0)
		return -1;
	facts_q_rebind(st, NULL, id, NULL);
	int rc, first = 1;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		const char *v = (const char *)sqlite3_column_text(st, 0);
		int64_t eid = sqlite3_column_int64(st, 2);
		if (!v || revs_has(&q->rv, eid) || undone_ids_has(&q->walk, eid))
			continue;
		if (first) {
			f->has_status = 1;
			snprintf(f->status, sizeof f->status, "%s", v);
			f->status_date = col_date(st, 1);
			first = 0;
			if (!done_set)
				break;
		}
		if (!in_set(v, done_set))
			break;
		f->done_date = col_date(st, 1);
	}
	if (rc != SQLITE_ROW && rc != SQLITE_DONE)
		return store_fail(q->s, rc, "read", e);
	sqlite3_reset(st);
	return 0;
}

static int fact_progress(struct facts_q *q, sqlite3_stmt *st, const char *id,
                         struct item_fact *f, struct err *e)
{
	if (undone_ids_read(q, "progress", id, NULL, &q->walk, e) < 0)
		return -1;
	facts_q_rebind(st, NULL, id, NULL);
	int rc;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		int pct;
		int64_t eid = sqlite3_column_int64(st, 2);
		if (revs_has(&q->rv, eid) || undone_ids_has(&q->walk, eid) ||
		    parse_pct((const char *)sqlite3_column_text(st, 0), &pct) < 0)
			continue;
		f->has_progress = 1;
		f->progress = pct;
		f->progress_date = col_date(st, 1);
		break;
	}
	if (rc != SQLITE_ROW && rc != SQLITE_DONE)
		return store_fail(q->s, rc, "read", e);
	sqlite3_reset(st);
	return 0;
}

/* 10^0 .. 10^15, exact in a double. */
static const double pow10_exact[] = {1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10,
                                     1e11, 1e12, 1e13, 1e14, 1e15};

static int parse_number(const char *v, double *out)
{
	char *end;
	if (!v || !*v)
		return -1;
	/* Plain decimals ("5", "-2.75") of at most 15 digits: their digits and
	 * the power of ten are exact in a double, so the one division rounds
	 * as strtod does. Anything else goes to strtod. */
	const char *c = v + (*v == '-');
	uint64_t mant = 0;
	int digits = 0, frac = -1;
	for (; *c && digits <= 15; c++) {
		if (*c >= '0' && *c <= '9') {
			mant = mant * 10 + (uint64_t)(*c - '0');
			digits++;
			if (frac >= 0)
				frac++;
		} else if (*c == '.' && frac < 0 && digits > 0) {
			frac = 0;
		} else {
			break;
		}
	}
	if (!*c && digits > 0 && digits <= 15 && frac != 0) {
		double d = (double)mant / pow10_exact[frac < 0 ? 0 : frac];
		*out = *v == '-' ? -d : d;
		return 0;
	}
	errno = 0;
	double d = strtod(v, &end);
	if (*end || errno || !isfinite(d))
		return -1;
	*out = d;
	return 0;
}

static int parse_pct(const char *v, int *out)
{
	char *end;
	long pct;
	if (!v)
		return -1;
	/* One to three digits, the usual case, without strtol. */
	if (v[0] >= '0' && v[0] <= '9') {
		int n = 0, k = 0;
		while (k < 3 && v[k] >= '0' && v[k] <= '9')
			n = n * 10 + (v[k++] - '0');
		if (!v[k]) {
			if (n > 100)
				return -1;
			*out = n;
			return 0;
		}
	}
	errno = 0;
	pct = strtol(v, &end, 10);
	if (end == v || *end || errno || pct < 0 || pct > 100)
		return -1;
	*out = (int)pct;
	return 0;
}

/* What the pass over the latest table leaves to the per-item queries. */
enum { NEED_STATUS = 1, NEED_PROGRESS = 2 };
struct need {
	unsigned char *tasks, *deliverables, *milestones, *bench, *label;
};

static void need_init(struct need *nd, const struct project *p, int all)
{
	size_t nb = (size_t)p->bench.nclusters * (size_t)p->bench.nindicators;
	int v = all ? NEED_STATUS | NEED_PROGRESS : 0;
	nd->tasks = xcalloc((size_t)p->ntasks + 1, 1);
	nd->deliverables = xcalloc((size_t)p->ndeliverables + 1, 1);
	nd->milestones = xcalloc((size_t)p->nmilestones + 1, 1);
	nd->bench = xcalloc(nb + 1, 1);
	nd->label = xcalloc((size_t)p->bench.nclusters + 1, 1);
	memset(nd->tasks, v, (size_t)p->ntasks);
	memset(nd->deliverables, v, (size_t)p->ndeliverables);
	memset(nd->milestones, v, (size_t)p->nmilestones);
	memset(nd->bench, v, nb);
	memset(nd->label, v, (size_t)p->bench.nclusters);
}

static void need_free(struct need *nd)
{
	free(nd->tasks);
	free(nd->deliverables);
	free(nd->milestones);
	free(nd->bench);
	free(nd->label);
}

/* One status row of the latest table for one item. run is where the
 * current run of done_set began, NULL when not known. */
static void latest_status(int usable, const char *v, cdate d, const char *const *done_set,
                          const char *run, struct item_fact *fact, unsigned char *need)
{
	cdate run_date = CDATE_NONE;
	if (usable && done_set && in_set(v, done_set) && (!run || date_parse(run, &run_date) < 0))
		usable = 0;
	if (!usable) {
		*need |= NEED_STATUS;
		return;
	}
	fact->done_date = run_date;
	fact->has_status = 1;
	size_t n = strlen(v);
	if (n >= sizeof fact->status)
		n = sizeof fact->status - 1;
	memcpy(fact->status, v, n);
	fact->status[n] = '\0';
	fact->status_date = d;
}

/* The undone statuses of an item: the latest date of those with a value
 * of the item's run (done) and of the others (other), "" where there is
 * none. Undone entries dated before the run's breaker (the latest entry
 * not of the run) leave the run as it is, and so do those of the run's
 * values dated before the run began: nothing after the breaker changes. */
struct rev_run {
	char done[11], other[11];
	unsigned char any;
};

/* Schema 2: most facts straight from the latest table. Where the latest
 * entry is later than asof, undone by a revert, or not enough (a done
 * status whose run must be traced back, a value that does not parse), the
 * item is marked for the per-item query, which walks back through the log.
 * From schema 12 the same rows come from latest_pack, a row for a few
 * items (see 12.sql), each row's texts read like the columns. */
struct latest_ctx {
	struct facts_q *q;
	struct facts *f;
	struct need *nd;
	/* Deliverables and milestones one of whose statuses is undone: the
	 * run the latest table keeps may not hold (struct rev_run). */
	struct rev_run *rev_d, *rev_m;
	sqlite3_stmt *brk;     /* an item's breakers (schema 15), prepared on first use */
	int *cluster;          /* the cluster of each partner, or -1 */
	/* The task, indicator and partner of the row before: rows come in
	 * the order of item and partner, mostly the project's, so the next
	 * one is tried first (a definition's ids are unique). */
	int task, indicator, partner;
	enum item_kind kind;   /* the status row before: its item's kind and index */
	int item;
};

/* The index of id among the n items of arr (size bytes each, their id at
 * offset off), trying next first; find when it is not the one. */
static int next_or_find(const struct project *p, const void *arr, size_t size, size_t off, int n,
                        int next, const char *id, int (*find)(const struct project *, const char *))
{
	if (arr && next >= 0 && next < n) {
		const char *have =
			*(const char *const *)((const char *)arr + (size_t)next * size + off);
		if (have && strcmp(have, id) == 0)
			return next;
	}
	return find(p, id);
}

/* Does a row of the latest table (effective eff, entry id) hold as of
 * asof: not later, not undone? */
static int latest_live(const struct facts_q *q, const char *eff, int64_t id)
{
	return strcmp(eff, q->asof) <= 0 && !(q->rv.n && revs_has(&q->rv, id));
}

/* Does the run that began on run (of column col of latest's breakers:
 * 0 run_a's, 1 run_b's) hold with u's statuses undone? Without the
 * breakers (before schema 15), or when they cannot be read, it may not. */
static int run_holds(struct latest_ctx *c, const struct rev_run *u, const char *item, const char *run,
                     int col)
{
	if (!u->any)
		return 1;
	if (!run || c->q->s->version < 15 || (u->done[0] && strcmp(u->done, run) >= 0))
		return 0;
	if (!u->other[0])
		return 1;
	struct err e = {0};
	if (!c->brk && store_prepare(c->q->s, "SELECT brk_a, brk_b FROM latest WHERE kind = 'status'"
	                             " AND item = ?1 AND partner = ''", &c->brk, &e) < 0)
		return 0;
	sqlite3_reset(c->brk);
	sqlite3_bind_text(c->brk, 1, item, -1, SQLITE_TRANSIENT);
	int holds = 0;
	if (sqlite3_step(c->brk) == SQLITE_ROW) {
		const char *b = (const char *)sqlite3_column_text(c->brk, col);
		holds = b && strcmp(u->other, b) < 0;
	}
	sqlite3_reset(c->brk);
	return holds;
}

static void on_status(struct latest_ctx *c, const char *item, const char *eff, int64_t id,
                      const char *v, const char *run_a, const char *run_b, int runs)
{
	struct facts *f = c->f;
	int usable = latest_live(c->q, eff, id);
	cdate d = text_date(eff);
	/* A run is known unless a backdated status or a revert of one of
	 * the item's statuses may have changed it. */
	const struct project *p = c->q->p;
	int i = -1, n = c->item + 1;
	enum item_kind k = ITEM_NONE;
	/* The next item of the kind before, when its id is this one (an id is
	 * one item's in a project with an index: the loader refuses one used
	 * twice). */
	const char *g = !p->index ? NULL
		: c->kind == ITEM_TASK && n < p->ntasks ? p->tasks[n].id
		: c->kind == ITEM_DELIVERABLE && n < p->ndeliverables ? p->deliverables[n].id
		: c->kind == ITEM_MILESTONE && n < p->nmilestones ? p->milestones[n].id : NULL;
	if (g && strcmp(g, item) == 0) {
		k = c->kind;
		i = n;
	} else {
		k = project_item(p, item, &i);
	}
	c->kind = k;
	c->item = i;
	if (k == ITEM_TASK)
		latest_status(usable, v, d, NULL, NULL, &f->tasks[i], &c->nd->tasks[i]);
	else if (k == ITEM_DELIVERABLE)
		latest_status(usable, v, d, deliverable_done,
		              runs && run_holds(c, &c->rev_d[i], item, run_a, 0) ? run_a : NULL,
		              &f->deliverables[i], &c->nd->deliverables[i]);
	else if (k == ITEM_MILESTONE)
		latest_status(usable, v, d, milestone_done,
		              runs && run_holds(c, &c->rev_m[i], item, run_b, 1) ? run_b : NULL,
		              &f->milestones[i], &c->nd->milestones[i]);
}

static void on_progress(struct latest_ctx *c, const char *item, const char *eff, int64_t id,
                        const char *v)
{
	int i, pct;
	const struct project *p = c->q->p;
	if ((i = next_or_find(p, p->tasks, sizeof *p->tasks, offsetof(struct task, id),
	                      p->ntasks, c->task + 1, item, project_task)) < 0)
		return;
	c->task = i;
	if (!latest_live(c->q, eff, id) || parse_pct(v, &pct) < 0) {
		c->nd->tasks[i] |= NEED_PROGRESS;
		return;
	}
	c->f->tasks[i].has_progress = 1;
	c->f->tasks[i].progress = pct;
	c->f->tasks[i].progress_date = text_date(eff);
}

static void on_bench(struct latest_ctx *c, const char *item, const char *partner, const char *eff,
                     int64_t id, const char *v)
{
	const struct project *p = c->q->p;
	/* A run of one indicator's partners. */
	int k = next_or_find(p, p->bench.indicators, sizeof *p->bench.indicators,
	                     offsetof(struct indicator, id), p->bench.nindicators, c->indicator, item,
	                     project_indicator);
	int pi = next_or_find(p, p->partners, sizeof *p->partners, offsetof(struct partner, id),
	                      p->npartners, c->partner + 1, partner, project_partner);
	c->indicator = k;
	c->partner = pi;
	if (k < 0 || pi < 0 || c->cluster[pi] < 0)
		return;
	size_t at = (size_t)c->cluster[pi] * (size_t)p->bench.nindicators + (size_t)k;
	double x = 0;
	if (!latest_live(c->q, eff, id) || parse_number(v, &x) < 0) {
		c->nd->bench[at] = 1;
		return;
	}
	c->f->bench[at] = x;
	c->f->bench_has[at] = 1;
}

static void on_label(struct latest_ctx *c, const char *partner, const char *eff, int64_t id,
                     const char *v)
{
	const struct project *p = c->q->p;
	int pi;
	if ((pi = project_partner(p, partner)) < 0 || c->cluster[pi] < 0)
		return;
	int cl = c->cluster[pi];
	int li = latest_live(c->q, eff, id) ? project_label(p, v) : -1;
	if (li < 0) {
		c->nd->label[cl] = 1;
		return;
	}
	c->f->label[cl] = li;
	c->f->label_date[cl] = text_date(eff);
}

/* Finishes the statement of one kind (rc: how its steps ended) and
 * prepares the next one's; -1 with e set when either fails. */
static int latest_next(struct facts_q *q, sqlite3_stmt **st, int rc, const char *sql,
                       struct err *e)
{
	if (*st && rc != SQLITE_DONE) {
		store_fail(q->s, rc, "read", e);
		return -1;
	}
	sqlite3_finalize(*st);
	*st = NULL;
	return store_prepare(q->s, sql, st, e);
}

#define COL_TEXT(st, i) ((const char *)sqlite3_column_text(st, i))

/* The latest table's rows, one query per kind, each reading only the
 * columns it uses. */
static int latest_rows(struct latest_ctx *c, struct err *e)
{
	struct facts_q *q = c->q;
	sqlite3_stmt *st = NULL;
	int r = -1, rc = SQLITE_DONE;
	if (latest_next(q, &st, rc, "SELECT item, effective, id, value, run_a, run_b, run_ok"
	                " FROM latest WHERE kind = 'status'", e) < 0)
		goto out;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		const char *item = COL_TEXT(st, 0), *eff = COL_TEXT(st, 1), *v = COL_TEXT(st, 3);
		if (item && eff && v)
			on_status(c, item, eff, sqlite3_column_int64(st, 2), v, COL_TEXT(st, 4),
			          COL_TEXT(st, 5), sqlite3_column_int(st, 6));
	}
	if (latest_next(q, &st, rc, "SELECT item, effective, id, value FROM latest"
	                " WHERE kind = 'progress'", e) < 0)
		goto out;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		const char *item = COL_TEXT(st, 0), *eff = COL_TEXT(st, 1), *v = COL_TEXT(st, 3);
		if (item && eff && v)
			on_progress(c, item, eff, sqlite3_column_int64(st, 2), v);
	}
	if (latest_next(q, &st, rc, "SELECT item, partner, effective, id, value FROM latest"
	                " WHERE kind = 'bench'", e) < 0)
		goto out;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		const char *item = COL_TEXT(st, 0), *partner = COL_TEXT(st, 1), *eff = COL_TEXT(st, 2);
		const char *v = COL_TEXT(st, 4);
		if (item && partner && eff && v)
			on_bench(c, item, partner, eff, sqlite3_column_int64(st, 3), v);
	}
	if (latest_next(q, &st, rc, "SELECT partner, effective, id, value FROM latest"
	                " WHERE kind = 'label'", e) < 0)
		goto out;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		const char *partner = COL_TEXT(st, 0), *eff = COL_TEXT(st, 1), *v = COL_TEXT(st, 3);
		if (partner && eff && v)
			on_label(c, partner, eff, sqlite3_column_int64(st, 2), v);
	}
	if (rc != SQLITE_DONE)
		store_fail(q->s, rc, "read", e);
	else
		r = 0;
out:
	sqlite3_finalize(st);
	return r;
}

/* A field of latest_pack's text at *at: a text (its length in bytes, ':',
 * the bytes; with nullable, '-' for NULL) or a number (digits, ','). */
static inline int pack_field(char **at, const char *end, char **v, size_t *n, int nullable)
{
	if (nullable && *at < end && **at == '-') {
		*v = NULL;
		*n = 0;
		(*at)++;
		return 0;
	}
	/* The text is the caller's own buffer: what points into it may write. */
	const char *c = *at, *t;
	if (store_pack_text(&c, end, &t, n) < 0)
		return -1;
	*v = (char *)t;
	*at = (char *)c;
	return 0;
}

static inline int pack_int(char **at, const char *end, int64_t *v)
{
	const char *c = *at;
	if (store_pack_int(&c, end, v) < 0)
		return -1;
	*at = (char *)c;
	return 0;
}

/* One record of latest_pack: its fields, the texts NUL-terminated in
 * place once the record is read whole. */
struct pack_rec {
	char *item, *partner, *eff, *value, *run_a, *run_b;
	int64_t id, run_ok;
};

static int pack_rec(char **at, const char *end, struct pack_rec *r)
{
	char *t[6];
	size_t n[6];
	if (pack_field(at, end, &t[0], &n[0], 0) < 0 || pack_field(at, end, &t[1], &n[1], 0) < 0 ||
	    pack_field(at, end, &t[2], &n[2], 0) < 0 || pack_int(at, end, &r->id) < 0 ||
	    pack_field(at, end, &t[3], &n[3], 0) < 0 || pack_field(at, end, &t[4], &n[4], 1) < 0 ||
	    pack_field(at, end, &t[5], &n[5], 1) < 0 || pack_int(at, end, &r->run_ok) < 0)
		return -1;
	/* Each text is followed by a field already read (or by the byte the
	 * caller keeps after the whole text): it can end in place. */
	for (int i = 0; i < 6; i++)
		if (t[i])
			t[i][n[i]] = '\0';
	r->item = t[0];
	r->partner = t[1];
	r->eff = t[2];
	r->value = t[3];
	r->run_a = t[4];
	r->run_b = t[5];
	return 0;
}

/* Back to what latest_pass began with: the facts and needs the rows of
 * latest_pack gave before one of them did not read. */
static void latest_reset(struct latest_ctx *c)
{
	const struct project *p = c->q->p;
	struct need *nd = c->nd;
	size_t nb = (size_t)p->bench.nclusters * (size_t)p->bench.nindicators;
	facts_blank_items(c->f, p);
	memset(nd->tasks, 0, (size_t)p->ntasks);
	memset(nd->deliverables, 0, (size_t)p->ndeliverables);
	memset(nd->milestones, 0, (size_t)p->nmilestones);
	memset(nd->bench, 0, nb);
	memset(nd->label, 0, (size_t)p->bench.nclusters);
	c->task = c->indicator = c->partner = c->item = -1;
	c->kind = ITEM_NONE;
}

/* The rows of latest_pack: 0, 1 when a text does not read as the
 * migration writes it (then latest_reset has undone what the rows before
 * gave, and nothing is taken from latest_pack), -1 on error. Each record
 * is taken as it is read, from one buffer that holds one row at a time: a
 * first touch of fresh memory costs more here than the records' work. */
static int latest_packed(struct latest_ctx *c, struct err *e)
{
	struct facts_q *q = c->q;
	sqlite3_stmt *st;
	if (store_prepare(q->s, "SELECT kind, rows FROM latest_pack", &st, e) < 0)
		return -1;
	char *buf = NULL;
	size_t cap = 0;
	int rc, out = 0;
	while (out == 0 && (rc = sqlite3_step(st)) == SQLITE_ROW) {
		const char *kind = COL_TEXT(st, 0), *t = COL_TEXT(st, 1);
		int k = !kind ? -1 : strcmp(kind, "status") == 0 ? 0 : strcmp(kind, "progress") == 0 ? 1
			: strcmp(kind, "bench") == 0 ? 2 : strcmp(kind, "label") == 0 ? 3 : -1;
		if (k < 0)
			continue;
		size_t n = (size_t)sqlite3_column_bytes(st, 1);
		if (!t || memchr(t, '\0', n)) {
			out = 1;
			break;
		}
		xgrow(&buf, &cap, n + 1, 1);
		memcpy(buf, t, n);
		buf[n] = '\0';
		char *at = buf, *end = buf + n;
		while (at < end) {
			struct pack_rec r;
			if (pack_rec(&at, end, &r) < 0) {
				out = 1;
				break;
			}
			switch (k) {
			case 0:
				on_status(c, r.item, r.eff, r.id, r.value, r.run_a, r.run_b, (int)r.run_ok);
				break;
			case 1:
				on_progress(c, r.item, r.eff, r.id, r.value);
				break;
			case 2:
				on_bench(c, r.item, r.partner, r.eff, r.id, r.value);
				break;
			default:
				on_label(c, r.partner, r.eff, r.id, r.value);
				break;
			}
		}
	}
	if (out == 0 && rc != SQLITE_DONE)
		out = store_fail(q->s, rc, "read", e);
	if (out == 1)
		latest_reset(c);
	sqlite3_finalize(st);
	free(buf);
	return out;
}

static int latest_pass(struct facts_q *q, struct facts *f, struct need *nd, struct err *e)
{
	const struct project *p = q->p;
	const struct benchmark *b = &p->bench;
	struct latest_ctx c = {.q = q, .f = f, .nd = nd, .task = -1, .indicator = -1, .partner = -1,
	                     .kind = ITEM_NONE, .item = -1};
	c.rev_d = xcalloc((size_t)p->ndeliverables + 1, sizeof *c.rev_d);
	c.rev_m = xcalloc((size_t)p->nmilestones + 1, sizeof *c.rev_m);
	for (size_t r = 0; r < q->rv.n; r++) {
		const struct rev *x = &q->rv.v[r];
		struct rev_run *u = NULL;
		const char *const *run = NULL;
		int i;
		if (!x->found || x->k != REV_STATUS || !x->item)
			continue;
		if ((i = project_deliverable(p, x->item)) >= 0) {
			u = &c.rev_d[i];
			run = deliverable_done;
		} else if ((i = project_milestone(p, x->item)) >= 0) {
			u = &c.rev_m[i];
			run = milestone_done;
		} else {
			continue;
		}
		u->any = 1;
		/* A date that is not one (only a hand-made log has that) is
		 * greater than any: the run is then read from the log. */
		const char *d = x->effective && strlen(x->effective) == 10 ? x->effective : "9999-99-99";
		char *keep = x->value && in_set(x->value, run) ? u->done : u->other;
		if (strcmp(d, keep) > 0)
			memcpy(keep, d, 11);
	}
	c.cluster = xcalloc((size_t)p->npartners + 1, sizeof *c.cluster);
	for (int i = 0; i < p->npartners; i++)
		c.cluster[i] = -1;
	for (int cl = b->nclusters - 1; cl >= 0; cl--)
		if (b->clusters[cl].partner >= 0 && b->clusters[cl].partner < p->npartners)
			c.cluster[b->clusters[cl].partner] = cl;
	int r = q->s->version >= 12 ? latest_packed(&c, e) : 1;
	if (r == 1)
		r = latest_rows(&c, e);
	free(c.rev_d);
	free(c.rev_m);
	free(c.cluster);
	sqlite3_finalize(c.brk);
	return r;
}

static int facts_fill(struct facts_q *q, struct facts *f, struct err *e)
{
	const struct project *p = q->p;
	sqlite3_stmt *status = NULL, *progress = NULL, *bench = NULL, *label = NULL;
	struct reach_q rq;
	struct need nd;
	int r = -1;
	memset(&rq, 0, sizeof rq);
	need_init(&nd, p, q->s->version < 2);
	if (revs_read(q, e) < 0)
		goto out;
	if (q->s->version >= 2 && latest_pass(q, f, &nd, e) < 0)
		goto out;

	for (int i = 0; i < p->ntasks; i++) {
		if ((nd.tasks[i] & NEED_STATUS) &&
		    (facts_q_lazy(q, SQL_ITEM_ROWS("status"), &status, e) < 0 ||
		     fact_status(q, status, p->tasks[i].id, NULL, &f->tasks[i], e) < 0))
			goto out;
		if ((nd.tasks[i] & NEED_PROGRESS) &&
		    (facts_q_lazy(q, SQL_ITEM_ROWS("progress"), &progress, e) < 0 ||
		     fact_progress(q, progress, p->tasks[i].id, &f->tasks[i], e) < 0))
			goto out;
	}
	for (int i = 0; i < p->ndeliverables; i++)
		if (nd.deliverables[i] &&
		    (facts_q_lazy(q, SQL_ITEM_ROWS("status"), &status, e) < 0 ||
		     fact_status(q, status, p->deliverables[i].id, deliverable_done,
		                 &f->deliverables[i], e) < 0))
			goto out;
	for (int i = 0; i < p->nmilestones; i++)
		if (nd.milestones[i] &&
		    (facts_q_lazy(q, SQL_ITEM_ROWS("status"), &status, e) < 0 ||
		     fact_status(q, status, p->milestones[i].id, milestone_done,
		                 &f->milestones[i], e) < 0))
			goto out;
	for (int i = 0; i < p->ntargets; i++) {
		if (reach_fact(q, &rq, i, &f->targets[i], e) < 0)
			goto out;
	}
	const struct benchmark *b = &p->bench;
	for (int c = 0; c < b->nclusters; c++) {
		const char *pid = p->partners[b->clusters[c].partner].id;
		for (int k = 0; k < b->nindicators; k++) {
			size_t at = (size_t)c * (size_t)b->nindicators + (size_t)k;
			if (!nd.bench[at])
				continue;
			if (facts_q_lazy(q, SQL_BENCH_ROWS, &bench, e) < 0)
				goto out;
			if (undone_ids_read(q, "bench", b->indicators[k].id, pid, &q->walk, e) < 0)
				goto out;
			facts_q_rebind(bench, NULL, b->indicators[k].id, pid);
			int rc;
			while ((rc = sqlite3_step(bench)) == SQLITE_ROW) {
				double d;
				int64_t eid = sqlite3_column_int64(bench, 2);
				if (revs_has(&q->rv, eid) || undone_ids_has(&q->walk, eid) ||
				    parse_number((const char *)sqlite3_column_text(bench, 0), &d) < 0)
					continue;
				f->bench[at] = d;
				f->bench_has[at] = 1;
				break;
			}
			if (rc != SQLITE_ROW && rc != SQLITE_DONE) {
				store_fail(q->s, rc, "read", e);
				goto out;
			}
			sqlite3_reset(bench);
		}
		if (!nd.label[c])
			continue;
		if (facts_q_lazy(q, SQL_LABEL_ROWS, &label, e) < 0)
			goto out;
		if (undone_ids_read(q, "label", NULL, pid, &q->walk, e) < 0)
			goto out;
		facts_q_rebind(label, NULL, NULL, pid);
		int rc;
		while ((rc = sqlite3_step(label)) == SQLITE_ROW) {
			int64_t eid = sqlite3_column_int64(label, 2);
			if (revs_has(&q->rv, eid) || undone_ids_has(&q->walk, eid))
				continue;
			int li = project_label(p, (const char *)sqlite3_column_text(label, 0));
			if (li < 0)
				continue;
			f->label[c] = li;
			f->label_date[c] = col_date(label, 1);
			break;
		}
		if (rc != SQLITE_ROW && rc != SQLITE_DONE) {
			store_fail(q->s, rc, "read", e);
			goto out;
		}
		sqlite3_reset(label);
	}
	if (store_resources_fill(q, &f->res, e) < 0)
		goto out;
	r = store_summary(q->s, &f->entries, &f->last_recorded_ms, e);
out:
	need_free(&nd);
	sqlite3_finalize(status);
	sqlite3_finalize(progress);
	sqlite3_finalize(bench);
	sqlite3_finalize(label);
	reach_q_free(&rq);
	facts_q_end(q);
	return r;
}

int store_facts(struct store *s, const struct project *p, cdate asof,
                struct facts *out, struct err *e)
{
	return store_facts_opts(s, p, asof, 0, out, e);
}

int store_facts_opts(struct store *s, const struct project *p, cdate asof, unsigned flags,
                     struct facts *out, struct err *e)
{
	facts_init(out, p, asof, flags);
	struct facts_q q = { .s = s, .p = p, .flags = flags };
	date_format(asof, q.asof);
	date_to_ymd(p->start, &q.sy, &q.sm, NULL);
	/* One read transaction: every number comes from the same snapshot. */
	if (store_exec_retry(s, "BEGIN", "read", e) < 0) {
		facts_free(out);
		return -1;
	}
	int r = facts_fill(&q, out, e);
	sqlite3_exec(s->db, "COMMIT", NULL, NULL, NULL);
	store_rollback(s);
	if (r < 0)
		facts_free(out);
	else if (flags & STORE_FACTS_NO_MONTHS)
		for (int t = 0; t < out->ntargets; t++)
			for (int m = 0; m < p->nmonths; m++)
				out->targets[t].by_month[m] = -1;
	return r;
}

