/* store: the progress log, one SQLite file (WAL mode). Opens, creates and
 * migrates it (PRAGMA user_version), appends entries in BEGIN IMMEDIATE
 * transactions, and answers the queries derive and the log views need.
 * The log is append-only: triggers refuse UPDATE and DELETE. SQL lives here
 * and nowhere else.
 *
 * Schema (documented in consort(1)):
 *   log(id INTEGER PRIMARY KEY AUTOINCREMENT, recorded_at INTEGER -- ms UTC,
 *       effective TEXT -- YYYY-MM-DD, login TEXT, uid INTEGER,
 *       partner TEXT, item TEXT, kind TEXT, value TEXT, note TEXT,
 *       n INTEGER -- computed, not stored: the signed amount of "+N"/"-N"/"=N")
 * as src/core/schema/1.sql writes it; the derived tables and their
 * triggers are in 2.sql to 4.sql.
 * Kinds and their fields:
 *   status   item = task/deliverable/milestone id, value = status word
 *   progress item = task id, value = 0..100
 *   reach    item = target id, partner = partner credited,
 *            value = "+N" / "-N" / "=N" (count targets) or a value (distinct)
 *   bench    item = indicator id, partner = cluster's partner id, value = number
 *   label    partner = cluster's partner id, value = label, item NULL
 *   revert   value = id of the entry undone (as decimal text); item and
 *            partner copied from that entry
 *   plan     a version of the plan (plan.h): value = "N DIGEST", effective
 *            = when it takes effect, note = the amendment's note; its text
 *            and compiled form in the table plan (schema 5). Never reverted.
 * A table meta(key TEXT PRIMARY KEY, value TEXT) holds settings such as the
 * demo marker. "Latest" means greatest (effective, id). An entry is reverted from the
 * effective date of the revert entry that names it.
 * Schema 2 adds derived data, never written by hand: log_stats (entry count,
 * newest recorded_at), reach_month (count entries summed per target, partner
 * and calendar month), reach_value (first date of each distinct value per
 * partner) and latest (the latest entry per item, benchmark and label).
 * Triggers keep them current in the transaction of every append; the
 * migration from schema 1 builds them from the log. They ignore reverts,
 * which the queries correct for, so the log stays the only truth.
 * Schema 3 adds reach_total, derived and kept the same way (the migration
 * from schema 2, and from 1 through 2, builds it from the log): per target
 * and partner of the count entries, how many "=N" (nset), the latest "=N"
 * (set_eff, set_id, set_n), the sum of "+N"/"-N" after it (tail; all of
 * them when there is none) and the greatest effective date (last). It
 * gives a partner's current total without reading its months. */
#ifndef CONSORT_STORE_H
#define CONSORT_STORE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include "core/date.h"
#include "core/project.h"
#include "core/util.h"

#define STORE_SCHEMA_VERSION 5
#define STORE_BUSY_TIMEOUT_MS 5000

struct store;

enum store_mode {
	STORE_READ,     /* read only; the file must exist */
	STORE_WRITE,    /* read and write; the file must exist; migrates if old */
	STORE_CREATE,   /* create a new log; refuses when the file exists */
};

/* Errors: missing file 66; not a consort log / foreign schema / newer
 * version 65; permission 77; busy past the timeout 69; other I/O 74. */
int store_open(const char *path, enum store_mode mode, struct store **out, struct err *e);
void store_close(struct store *s);

/* Has the log's path been given another file since it was opened (a
 * backup moved over it, `consort demo` run elsewhere, the file removed)?
 * The connection still holds the old, unlinked file: what it reads is
 * stale and what it would write nobody sees. One stat; cheap enough for
 * every refresh. store_append refuses to write into a replaced file (74,
 * a message with the word "replaced", nothing written to either file). */
bool store_replaced(const struct store *s);
/* Open the path again in the same mode, in place: s then reads the file
 * the path names now. On failure s is left as it was. */
int store_reopen(struct store *s, struct err *e);

struct new_entry {
	cdate effective;
	const char *login;
	long uid;
	const char *partner, *item, *kind, *value, *note; /* partner/item/note may be NULL */
};

/* Append n entries in one BEGIN IMMEDIATE transaction; all or nothing.
 * *first_id (may be NULL) gets the id of the first one. Retries while the
 * database is busy up to the busy timeout, then fails with 69. Refuses
 * (74) when the file was replaced since it was opened (store_replaced). */
int store_append(struct store *s, const struct new_entry *v, size_t n,
                 int64_t *first_id, struct err *e);

/* One plan version (plan.h): the entry v (kind "plan") and, in the same
 * transaction, its row in the plan table: number `version`, the
 * definition's text and p in the definition cache's codec. 69 when that
 * number was taken meanwhile. store_plan.c. */
int store_append_plan(struct store *s, const struct new_entry *v, int version, const char *text,
                      size_t text_len, const struct project *p, int64_t *id, struct err *e);

/* The log at path as it stood when the moment until_ms (ms UTC) had
 * passed: only the entries recorded by then (plan versions included), in a
 * private temporary copy (the derived tables made again from them),
 * removed when it is closed. For reading; the file at path is only read.
 * store_plan.c. */
int store_open_as_recorded(const char *path, int64_t until_ms, struct store **out, struct err *e);

struct entry {
	int64_t id;
	int64_t recorded_at;  /* ms UTC */
	char effective[11];   /* YYYY-MM-DD */
	char *login;
	long uid;
	char *partner, *item, *kind, *value, *note; /* NULL when absent; untrusted */
	int64_t reverted_by;  /* id of the revert entry that undoes it, or 0 */
};

struct entry_filter {
	const char *item;     /* only entries for this item (or target/indicator) id */
	const char *partner;  /* only entries for this partner */
	const char *by;       /* only entries by this login */
	cdate since;          /* effective on or after; CDATE_NONE for all */
	cdate until;          /* effective on or before; CDATE_NONE for all */
	size_t limit;         /* 0 for no limit */
};
/* Every entry: start from this and narrow. */
#define ENTRY_FILTER_ALL { NULL, NULL, NULL, CDATE_NONE, CDATE_NONE, 0 }

/* Entries newest first (by id). Caller frees with entries_free. */
int store_entries(struct store *s, const struct entry_filter *f,
                  struct entry **out, size_t *n, struct err *e);
/* One entry by id: returns 0 and fills *out, or -1 (65 when there is none). */
int store_entry(struct store *s, int64_t id, struct entry *out, struct err *e);
void entry_clear(struct entry *en);
void entries_free(struct entry *v, size_t n);

/* What derive needs, as the log stood at the end of day `asof`.
 * Entries for ids that are not in the definition are ignored. */
struct item_fact {
	int has_status;
	char status[24];
	cdate status_date;      /* effective date of the latest status */
	int has_progress;
	int progress;           /* 0..100 */
	cdate progress_date;
	cdate done_date;        /* deliverables: first effective date of the
	                           current run of submitted/accepted; milestones:
	                           first date reached; CDATE_NONE otherwise */
};

struct reach_fact {
	long total;             /* count: sum; distinct: number of distinct values */
	long *by_partner;       /* [npartners]: count total, or distinct values recorded */
	long *by_month;         /* [nmonths]: cumulative total at the end of each
	                           project month; -1 for months after asof's month.
	                           Entries before month 1 count in month 1, after the
	                           end in the last month. */
	char **values;          /* distinct targets: the values, sorted; untrusted */
	char *values_block;     /* when set, the values point into it */
	int nvalues;
};

struct facts {
	cdate asof;
	struct item_fact *tasks;        /* [ntasks] */
	struct item_fact *deliverables; /* [ndeliverables] */
	struct item_fact *milestones;   /* [nmilestones] */
	struct reach_fact *targets;     /* [ntargets] */
	double *bench;                  /* [nclusters * nindicators]: latest value */
	unsigned char *bench_has;       /* [nclusters * nindicators]: 1 if measured */
	int *label;                     /* [nclusters]: latest label index, -1 none */
	cdate *label_date;              /* [nclusters] */
	int64_t entries;                /* all entries in the log */
	int64_t last_recorded_ms;       /* newest recorded_at, 0 when empty */
	int ntargets;                   /* size of targets (facts_free frees them) */
};

int store_facts(struct store *s, const struct project *p, cdate asof,
                struct facts *out, struct err *e);

/* Flags for store_facts_opts. */
enum {
	/* The caller does not read reach_fact.by_month: it is left -1 in
	 * every month, and the monthly changes (reach_delta, schema 4) are
	 * not read. Totals come from reach_total where that is exact (asof on
	 * or after the newest count entry of a partner; without the flag no
	 * revert touching the partner, with it the undone "+N"/"-N" taken
	 * off and only an undone "=N" sending the partner to its months), on
	 * schema 4 with or without the flag, on schema 3 only with it. Every
	 * other fact is the same as without the flag. */
	STORE_FACTS_NO_MONTHS = 1u << 0,
};
/* store_facts with flags; store_facts(...) is store_facts_opts(..., 0, ...). */
int store_facts_opts(struct store *s, const struct project *p, cdate asof, unsigned flags,
                     struct facts *out, struct err *e);
/* An empty set of facts (no log), sized for p. */
void facts_init_empty(struct facts *f, const struct project *p, cdate asof);
void facts_free(struct facts *f);

/* Changes when any connection commits to the file (PRAGMA data_version):
 * poll it to refresh a live view. Cheap; never blocks writers. */
int store_data_version(struct store *s, int64_t *v, struct err *e);
/* Entry count and newest recorded_at. */
int store_summary(struct store *s, int64_t *entries, int64_t *last_recorded_ms, struct err *e);

const char *store_path(const struct store *s);

/* Bulk loading, for generating large logs only (bench/generate): on this
 * connection, commits no longer wait for the disk (synchronous=OFF; a
 * crash may lose or damage what was loaded), statement journals stay in
 * memory (temp_store=MEMORY) and the page cache grows to cache_mib MiB,
 * so that big store_append batches stay in memory. The
 * triggers stay on: the summaries are exactly what appends keep. Never
 * for the program's own writes. */
int store_bulk_load(struct store *s, int cache_mib, struct err *e);

/* A small key/value table beside the log (not part of the history):
 * "demo" = "1" and "demo_asof" / "demo_login" for the bundled demo.
 * *value is NULL when the key is absent; caller frees. */
int store_meta_get(struct store *s, const char *key, char **value, struct err *e);
int store_meta_set(struct store *s, const char *key, const char *value, struct err *e);

#endif
