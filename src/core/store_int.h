/* store_int.h: what the store's files share, and nothing else includes.
 * store.c opens, migrates and appends; store_schema.c holds the schema
 * and its migrations; store_facts.c answers store_facts; store_reach.c the
 * reach targets' running totals and month by month series. */
#ifndef CONSORT_STORE_INT_H
#define CONSORT_STORE_INT_H

#include <sys/types.h>

#include <sqlite3.h>
#include "core/store.h"

/* How long a writer waits in the writers' queue (store.c) before it
 * goes to SQLite's lock: a lock anyone who reads the -wal can hold. */
#define STORE_QUEUE_WAIT_MS 1000

/* The statements the append runs beside an entry (store_steps.c), and the
 * schema since which it runs them (before it, the log's triggers did). */
#define STORE_NSTEPS 23
#define STORE_STEPS_SINCE 14

struct store {
	sqlite3 *db;
	char *path;
	int readonly;
	int ckpt_deferred;     /* no checkpoint on close until a commit (STORE_CHECK) */
	int queue_fd1;         /* 1 + the descriptor writers queue on (store.c), or 0 */
	int64_t queued_at;     /* monotonic µs when this write began to wait, or 0 */
	int version;           /* schema version as opened (1 has no summaries) */
	int64_t own_commits;   /* commits made through this connection */
	int64_t busy_since;    /* monotonic µs when the current wait began */
	uint64_t rng;          /* xorshift state for the busy handler's sleeps */
	sqlite3_stmt *insert;  /* the append's INSERT, prepared once */
	sqlite3_stmt *chain_prev, *chain_read, *chain_insert; /* the chain's (store_chain.c) */
	sqlite3_stmt *step[STORE_NSTEPS]; /* the summaries' statements (store_steps.c), as needed */
	dev_t dev;             /* the file opened, as the path named it then */
	ino_t ino;
	int conn_on;           /* db is in store.c's list of connections, on this file: */
	dev_t conn_dev;
	ino_t conn_ino;
	/* When set, store_append calls it inside its transaction after the
	 * entries (first: the first one's id), to write beside them
	 * (store_plan.c's plan rows); failing rolls everything back. */
	int (*attach)(struct store *s, int64_t first, struct err *e);
	const void *attach_ctx;
	char *tmpdir;          /* a private copy's directory, removed on close */
};

/* Signed amount of a count entry ("+N", "-N", "=N") named X. */
#define REACH_N(X) "(CAST(substr(" X ".value, 2) AS INTEGER)" \
	" * (CASE substr(" X ".value, 1, 1) WHEN '-' THEN -1 ELSE 1 END))"

/* Not reverted as of :asof (the entry's alias is l). */
#define LIVE " NOT EXISTS (SELECT 1 FROM log r WHERE r.kind = 'revert'" \
	" AND r.value = CAST(l.id AS TEXT) AND r.effective <= :asof)"

/* The kinds of entry an undone one may be (REV_OTHER: any other, or none). */
enum rev_kind { REV_OTHER, REV_STATUS, REV_PROGRESS, REV_REACH, REV_BENCH, REV_LABEL, REV_EFFORT,
	REV_COST };

/* An entry undone by a revert effective by asof. */
struct rev {
	int64_t id;
	char reff[11];        /* effective date of the (earliest) revert naming it */
	int found;            /* the entry exists; the fields below are its */
	char *kind, *item, *partner, *effective, *value; /* in mem or in revs' bufs */
	char *mem;            /* one allocation for the texts above, or NULL */
	char month[8];        /* a reach entry's: the effective date's first 7 bytes */
	enum rev_kind k;      /* kind, as a number */
	int reach;            /* a reach entry with its item, partner, month and value */
	int superseded;       /* an effort entry with a later one of its month before
	                         the revert (undone_pack): not effort_month's */
	int op;               /* 0 not a count entry, 1 "+N"/"-N", 2 "=N" */
	long n;               /* signed amount of a count entry */
	int pi, ci;           /* an effort or cost entry's cell: the indexes of its
	                         partner and of its WP or category, or -1 */
};

/* The undone entries, by id; reach: the reach entries among them
 * (revs_read makes it; NULL in a copy, whose readers go through v). */
struct revs {
	struct rev *v;
	size_t n, cap;
	const struct rev **reach;
	size_t nreach;
	char **bufs;          /* the texts of undone_pack's rows, which v points into */
	size_t nbufs, capbufs;
	uint32_t *slot;       /* v's ids by hash: index + 1, 0 for none (mask + 1 slots);
	                         NULL in a copy, searched by halves instead */
	size_t mask;
	int partial;          /* read from undone_pack of schema 17, which leaves out
	                         superseded progress, bench and label entries (17.sql),
	                         or of 18, effort and status entries too (18.sql):
	                         enough for the summaries' rows; a walk of the log
	                         reads its key's as well (undone_ids_read) */
};

/* Ids of undone entries, sorted (undone_ids_read). */
struct undone_ids {
	int64_t *v;
	size_t n, cap;
};

struct facts_q {
	struct store *s;
	const struct project *p;
	char asof[16];
	int sy, sm;
	unsigned flags;       /* STORE_FACTS_* */
	struct revs rv;
	struct undone_ids walk;  /* a walk's undone entries (undone_ids_read) */
	sqlite3_stmt *walk_st[4];/* its statements, one a shape of the question */
};
/* The statements the reach facts use; NULL where the schema lacks them. */
struct reach_q {
	sqlite3_stmt *count, *distinct;             /* the whole log (schema 1) */
	sqlite3_stmt *months, *first, *values;
	sqlite3_stmt *totals, *months_partner;      /* schema 3 */
	sqlite3_stmt *months_from;                  /* a pair's months from one on */
	sqlite3_stmt *deltas;                       /* schema 4 */
	sqlite3_stmt *bucket_all;                   /* a pair's month read from the log */
	sqlite3_stmt *value_pairs, *pair_all;       /* the months before a revert */
	sqlite3_stmt *pair_totals, *first_total, *first_values; /* schema 9 */
};

/* store.c */
int store_fail(struct store *s, int rc, const char *what, struct err *e);

/* The summaries' upkeep (store_steps.c). store_steps_prepare compiles the
 * statements entries v[0..n) need, before the write waits for its lock;
 * store_steps_run runs those of entry v, just appended as row, inside the
 * append's transaction. Both do nothing on a log older than schema 14. */
struct step_row {
	int64_t id, recorded_at;
	int64_t n;              /* the log's n column: a count entry's amount */
	const char *effective;  /* as written, YYYY-MM-DD */
};
int store_steps_prepare(struct store *s, const struct new_entry *v, size_t n, struct err *e);
int store_steps_run(struct store *s, const struct new_entry *v, const struct step_row *row, struct err *e);
void store_steps_finalize(struct store *s);
int store_prepare(struct store *s, const char *sql, sqlite3_stmt **st, struct err *e);
int store_exec_retry(struct store *s, const char *sql, const char *what, struct err *e);
void store_rollback(struct store *s);
void store_bind_text(sqlite3_stmt *st, int i, const char *v);
/* Binds text v (n bytes, -1 to its NUL; NULL binds NULL) to the named
 * parameter, when the statement has it. */
void store_bind_named(sqlite3_stmt *st, const char *name, const char *v, int n);
char *store_col_dup(sqlite3_stmt *st, int i);
/* store_plan.c: remove a private copy's files and directory (s->tmpdir). */
void store_tmp_remove(struct store *s);

/* store_mem.c: SQLite's allocator, set before its first use. */
void store_mem_config(void);

/* store_schema.c: steps[i] takes a log from schema i to schema i + 1;
 * steps[0] creates it. */
extern const char *const store_migrations[STORE_SCHEMA_VERSION];
/* Drops what steps 2 to 4 make (tables and triggers derived from the log). */
extern const char store_derived_drop[];
/* The next statement of sql (comments and space before it skipped),
 * allocated, with *sql moved past it; NULL at the end. */
char *store_sql_next(const char **sql);
/* Runs steps[v] on db statement by statement, where a column it adds
 * (ALTER TABLE ... ADD COLUMN) is already there, as in a log given an
 * older version number by hand, without that statement. An SQLite code. */
int store_migrate_step(sqlite3 *db, int v);

/* store_chain.c: the newest hash (zeros for none); the hash of entry id
 * after prev, stored, left in prev; the migration's chaining of the
 * entries not chained yet. In the caller's transaction. */
/* The chain's statements, prepared once (before a transaction: a prepare
 * reads the schema and compiles, which need not hold the write lock). */
int store_chain_prepare(struct store *s, struct err *e);
int store_chain_prev(struct store *s, unsigned char prev[32], struct err *e);
int store_chain_link(struct store *s, int64_t id, unsigned char prev[32], struct err *e);
int store_chain_backfill(struct store *s, struct err *e);

/* store_facts.c: prepare (binding :asof), rebind :kind, :item and
 * :partner, prepare on first use. Statements share these names. */
int facts_q_prepare(struct facts_q *q, const char *sql, sqlite3_stmt **st, struct err *e);
void facts_q_rebind(sqlite3_stmt *st, const char *kind, const char *item, const char *partner);
int facts_q_lazy(struct facts_q *q, const char *sql, sqlite3_stmt **st, struct err *e);
/* Frees what r holds and zeroes it. */
void reach_fact_clear(struct reach_fact *r);

/* store_facts.c: is entry id undone as of the facts' date? The undone
 * entries as of q->asof into q->rv, and freeing them. */
int revs_has(const struct revs *rv, int64_t id);
int revs_read(struct facts_q *q, struct err *e);
void revs_free(struct revs *rv);
/* For a walk through a key's entries in the log, which meets the entries
 * whose reverts undone_pack leaves out (17.sql, 18.sql): the ids of the
 * undone entries of kind by q->asof, of item and partner (either NULL for
 * any), read from undone, sorted, into k; none when q->rv holds every
 * revert (not partial). 0, or -1 on error. facts_q_end finalizes the
 * statements and frees q->rv and q->walk. */
int undone_ids_read(struct facts_q *q, const char *kind, const char *item, const char *partner,
                    struct undone_ids *k, struct err *e);
void facts_q_end(struct facts_q *q);
int undone_ids_has(const struct undone_ids *k, int64_t id);
/* store_resources.c: the effort and cost facts into f. */
int store_resources_fill(struct facts_q *q, struct res_facts *f, struct err *e);

/* store_reach.c: the facts of target ti into r (reach_fact; the other two
 * apply the reverts effective by asof to every month). */
void reach_q_free(struct reach_q *rq);
int reach_fact(struct facts_q *q, struct reach_q *rq, int ti, struct reach_fact *r,
               struct err *e);
int reach_fact_count(struct facts_q *q, struct reach_q *rq, int ti, struct reach_fact *r,
                     struct err *e);
int reach_fact_distinct(struct facts_q *q, struct reach_q *rq, int ti, struct reach_fact *r,
                        struct err *e);

/* A text field of the packed summaries (schema 12: effort_pack,
 * latest_pack) at *at before end: its length in bytes (up to 9 digits),
 * ':' and the bytes. *v and *n get the bytes, *at moves past them; -1
 * when *at holds no such field. */
static inline int store_pack_text(const char **at, const char *end, const char **v, size_t *n)
{
	const char *c = *at;
	size_t len = 0;
	int digits = 0;
	/* Most lengths have one or two digits. */
	if (end - c >= 3 && c[0] >= '0' && c[0] <= '9') {
		if (c[1] == ':') {
			len = (size_t)(c[0] - '0');
			c += 2;
			goto have;
		}
		if (c[1] >= '0' && c[1] <= '9' && c[2] == ':') {
			len = (size_t)(c[0] - '0') * 10 + (size_t)(c[1] - '0');
			c += 3;
			goto have;
		}
	}
	while (c < end && *c >= '0' && *c <= '9' && digits < 9) {
		len = len * 10 + (size_t)(*c++ - '0');
		digits++;
	}
	if (!digits || c >= end || *c++ != ':')
		return -1;
have:
	if ((size_t)(end - c) < len)
		return -1;
	*v = c;
	*n = len;
	*at = c + len;
	return 0;
}

/* A number field of the same: an optional '-', 1 to 18 digits and ','.
 * *v gets it, *at moves past the ','; -1 when *at holds no such field. */
static inline int store_pack_int(const char **at, const char *end, int64_t *v)
{
	const char *c = *at;
	int neg = c < end && *c == '-';
	c += neg;
	const char *d = c;
	uint64_t x = 0;
	if (end - c > 19) /* the digits' ends need no bound check */
		while ((unsigned)(*c - '0') <= 9u && c - d < 18)
			x = x * 10 + (uint64_t)(*c++ - '0');
	else
		while (c < end && (unsigned)(*c - '0') <= 9u && c - d < 18)
			x = x * 10 + (uint64_t)(*c++ - '0');
	if (c == d || c >= end || *c++ != ',')
		return -1;
	*v = neg ? -(int64_t)x : (int64_t)x;
	*at = c;
	return 0;
}

#endif
