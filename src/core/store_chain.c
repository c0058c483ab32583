/* store_chain: the chain's SQL (chain.h): the hash of every append, the
 * migration that chains a log's older entries, the full walk of verify
 * with the summary tables rebuilt beside the log, and the cheap check of
 * the newest links. */
#include "config.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <sqlite3.h>

#include "core/chain.h"
#include "core/plan.h"
#include "core/rebuild.h"
#include "core/store_int.h"

/* Room for the text of a row's integer fields. */
struct field_nums {
	char n[CHAIN_NFIELDS][24];
};

/* v as SQLite writes an integer as text, at the end of buf; its start. */
static char *int_text(int64_t v, char buf[24], int *len)
{
	char *o = buf + 23;
	uint64_t u = v < 0 ? 0 - (uint64_t)v : (uint64_t)v;
	*o = '\0';
	do
		*--o = (char)('0' + u % 10);
	while ((u /= 10) > 0);
	if (v < 0)
		*--o = '-';
	*len = (int)(buf + 23 - o);
	return o;
}

/* The fields of an entry from columns 0..9 of st (as chain.h orders them);
 * an integer's text is written into nums (SQLite's own would be made and
 * freed for every row). */
static void fields_of(sqlite3_stmt *st, struct chain_field *f, struct field_nums *nums)
{
	for (int i = 0; i < CHAIN_NFIELDS; i++) {
		int t = sqlite3_column_type(st, i);
		if (t == SQLITE_NULL) {
			f[i].p = NULL;
			f[i].len = -1;
		} else if (t == SQLITE_INTEGER) {
			int len;
			f[i].p = int_text(sqlite3_column_int64(st, i), nums->n[i], &len);
			f[i].len = len;
		} else {
			f[i].p = (const char *)sqlite3_column_text(st, i);
			f[i].len = sqlite3_column_bytes(st, i);
		}
	}
}

#define CHAIN_COLUMNS "id, recorded_at, effective, login, uid, partner, item, kind, value, note"
/* verify's page cache for the TEMP tables it builds. */
#define VERIFY_TEMP_PAGES "32"

/* The storage class each column must have: 'i' integer, 't' text, 'n'
 * text or NULL. The hash reads every field as text, so a value stored
 * as another type (a BLOB of the same bytes) would keep it. */
static const char chain_types[CHAIN_NFIELDS + 1] = "iittinnttn";
static const char *const chain_names[CHAIN_NFIELDS] = {
	"id", "recorded_at", "effective", "login", "uid", "partner", "item", "kind", "value", "note",
};

/* NULL when columns 0..9 of st have their types, else the first column
 * that does not and, in *type, what it holds. Before any column is read. */
static const char *bad_type(sqlite3_stmt *st, const char **type)
{
	static const char *const names[] = {
		[SQLITE_INTEGER] = "an integer", [SQLITE_FLOAT] = "a real", [SQLITE_TEXT] = "a text",
		[SQLITE_BLOB] = "a BLOB", [SQLITE_NULL] = "NULL",
	};
	for (int i = 0; i < CHAIN_NFIELDS; i++) {
		int t = sqlite3_column_type(st, i), want = chain_types[i];
		if ((want == 'i' && t == SQLITE_INTEGER) || (want == 't' && t == SQLITE_TEXT) ||
		    (want == 'n' && (t == SQLITE_TEXT || t == SQLITE_NULL)))
			continue;
		*type = t >= SQLITE_INTEGER && t <= SQLITE_NULL ? names[t] : "?";
		return chain_names[i];
	}
	return NULL;
}

int store_chain_prepare(struct store *s, struct err *e)
{
	if (!s->chain_prev &&
	    store_prepare(s, "SELECT hash FROM chain ORDER BY id DESC LIMIT 1", &s->chain_prev, e) < 0)
		return -1;
	if (!s->chain_read &&
	    store_prepare(s, "SELECT " CHAIN_COLUMNS " FROM log WHERE id = ?1", &s->chain_read, e) < 0)
		return -1;
	if (!s->chain_insert &&
	    store_prepare(s, "INSERT INTO chain (id, hash) VALUES (?1, ?2)", &s->chain_insert, e) < 0)
		return -1;
	return 0;
}

/* The newest hash (zeros when the chain is empty). */
int store_chain_prev(struct store *s, unsigned char prev[CHAIN_HASH_LEN], struct err *e)
{
	memset(prev, 0, CHAIN_HASH_LEN);
	if (store_chain_prepare(s, e) < 0)
		return -1;
	int rc = sqlite3_step(s->chain_prev);
	if (rc == SQLITE_ROW && sqlite3_column_bytes(s->chain_prev, 0) == CHAIN_HASH_LEN)
		memcpy(prev, sqlite3_column_blob(s->chain_prev, 0), CHAIN_HASH_LEN);
	sqlite3_reset(s->chain_prev);
	if (rc != SQLITE_ROW && rc != SQLITE_DONE)
		return store_fail(s, rc, "write", e);
	return 0;
}

/* Hashes entry id (just inserted, in the caller's transaction) after prev,
 * stores the hash and leaves it in prev. */
int store_chain_link(struct store *s, int64_t id, unsigned char prev[CHAIN_HASH_LEN], struct err *e)
{
	if (store_chain_prepare(s, e) < 0)
		return -1;
	sqlite3_bind_int64(s->chain_read, 1, id);
	int rc = sqlite3_step(s->chain_read);
	if (rc != SQLITE_ROW) {
		sqlite3_reset(s->chain_read);
		return store_fail(s, rc == SQLITE_DONE ? SQLITE_CORRUPT : rc, "write", e);
	}
	const char *type, *col = bad_type(s->chain_read, &type);
	if (col) {
		sqlite3_reset(s->chain_read);
		return err_set(e, EXIT_DATAERR, "%s: entry #%lld would have %s as its %s; nothing was written",
		               s->path, (long long)id, type, col);
	}
	struct chain_field f[CHAIN_NFIELDS];
	struct field_nums nums;
	fields_of(s->chain_read, f, &nums);
	unsigned char h[CHAIN_HASH_LEN];
	chain_hash(prev, f, h);
	sqlite3_reset(s->chain_read);
	sqlite3_bind_int64(s->chain_insert, 1, id);
	sqlite3_bind_blob(s->chain_insert, 2, h, CHAIN_HASH_LEN, SQLITE_TRANSIENT);
	rc = sqlite3_step(s->chain_insert);
	sqlite3_reset(s->chain_insert);
	if (rc != SQLITE_DONE)
		return store_fail(s, rc, "write", e);
	memcpy(prev, h, CHAIN_HASH_LEN);
	return 0;
}

/* In the migration's transaction: hashes every entry after the newest
 * chained one, and when there were any records where the appends' chain
 * begins (meta chain_since) and when the older entries were chained
 * (chain_migrated, YYYY-MM-DD UTC). */
int store_chain_backfill(struct store *s, struct err *e)
{
	unsigned char prev[CHAIN_HASH_LEN];
	sqlite3_stmt *st;
	if (store_chain_prev(s, prev, e) < 0)
		return -1;
	if (store_prepare(s, "SELECT id FROM log WHERE id > COALESCE((SELECT MAX(id) FROM chain), 0) ORDER BY id",
	                  &st, e) < 0)
		return -1;
	int rc;
	int64_t last = 0, n = 0;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		last = sqlite3_column_int64(st, 0);
		if (store_chain_link(s, last, prev, e) < 0) {
			sqlite3_finalize(st);
			return -1;
		}
		n++;
	}
	sqlite3_finalize(st);
	if (rc != SQLITE_DONE)
		return store_fail(s, rc, "migrate", e);
	if (n == 0)
		return 0;
	char since[32], day[16];
	time_t now = time(NULL);
	struct tm tm;
	gmtime_r(&now, &tm);
	strftime(day, sizeof day, "%Y-%m-%d", &tm);
	snprintf(since, sizeof since, "%lld", (long long)last + 1);
	if (store_prepare(s, "INSERT OR IGNORE INTO meta (key, value) VALUES ('chain_since', ?1), ('chain_migrated', ?2)",
	                  &st, e) < 0)
		return -1;
	sqlite3_bind_text(st, 1, since, -1, SQLITE_TRANSIENT);
	sqlite3_bind_text(st, 2, day, -1, SQLITE_TRANSIENT);
	rc = sqlite3_step(st);
	sqlite3_finalize(st);
	return rc == SQLITE_DONE ? 0 : store_fail(s, rc, "migrate", e);
}

static void fault(struct chain_report *r, enum chain_fault f, int64_t id, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));
static void fault(struct chain_report *r, enum chain_fault f, int64_t id, const char *fmt, ...)
{
	if (r->fault != CHAIN_OK)
		return;
	r->fault = f;
	r->fault_id = id;
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(r->what, sizeof r->what, fmt, ap);
	va_end(ap);
}

static int has_chain(struct store *s)
{
	sqlite3_stmt *st;
	if (sqlite3_prepare_v2(s->db, "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'chain'",
	                       -1, &st, NULL) != SQLITE_OK)
		return 0;
	int yes = sqlite3_step(st) == SQLITE_ROW;
	sqlite3_finalize(st);
	return yes;
}

/* Walks log and chain side by side, both in id order. */
static int walk(struct store *s, const unsigned char *want, struct chain_report *r, struct rebuild *b,
                struct err *e)
{
	sqlite3_stmt *lg, *ch;
	if (store_prepare(s, "SELECT " CHAIN_COLUMNS " FROM log ORDER BY id", &lg, e) < 0)
		return -1;
	if (store_prepare(s, "SELECT id, hash FROM chain ORDER BY id", &ch, e) < 0) {
		sqlite3_finalize(lg);
		return -1;
	}
	unsigned char prev[CHAIN_HASH_LEN] = {0};
	int64_t expect = 1;
	int rl = sqlite3_step(lg), rch = sqlite3_step(ch), ret = 0;
	while (rl == SQLITE_ROW && r->fault == CHAIN_OK) {
		int64_t id = sqlite3_column_int64(lg, 0);
		/* Hashes whose entries are gone. */
		if (rch == SQLITE_ROW && sqlite3_column_int64(ch, 0) < id) {
			fault(r, CHAIN_MISSING, sqlite3_column_int64(ch, 0),
			      "missing: entry #%lld is gone (its hash is still in the chain)",
			      (long long)sqlite3_column_int64(ch, 0));
			break;
		}
		if (id != expect) {
			if (id - 1 > expect)
				fault(r, CHAIN_MISSING, expect, "missing: entries #%lld to #%lld are gone (a gap in the ids)",
				      (long long)expect, (long long)id - 1);
			else if (id > expect)
				fault(r, CHAIN_MISSING, expect, "missing: entry #%lld is gone (a gap in the ids)",
				      (long long)expect);
			else
				fault(r, CHAIN_INSERTED, id, "inserted: entry #%lld is out of order", (long long)id);
			break;
		}
		if (rch != SQLITE_ROW || sqlite3_column_int64(ch, 0) != id) {
			fault(r, CHAIN_INSERTED, id, "inserted: entry #%lld has no hash (not written by consort)",
			      (long long)id);
			break;
		}
		const char *type, *col = bad_type(lg, &type);
		if (col) {
			fault(r, CHAIN_ALTERED, id, "altered: entry #%lld has %s as its %s", (long long)id, type, col);
			break;
		}
		struct chain_field f[CHAIN_NFIELDS];
		struct field_nums nums;
		fields_of(lg, f, &nums);
		unsigned char h[CHAIN_HASH_LEN];
		chain_hash(prev, f, h);
		if (sqlite3_column_bytes(ch, 1) != CHAIN_HASH_LEN ||
		    memcmp(h, sqlite3_column_blob(ch, 1), CHAIN_HASH_LEN) != 0) {
			fault(r, CHAIN_ALTERED, id, "altered: entry #%lld does not match its hash", (long long)id);
			break;
		}
		memcpy(prev, h, CHAIN_HASH_LEN);
		rebuild_add(b, f, id, sqlite3_column_int64(lg, 1));
		if (want && memcmp(want, h, CHAIN_HASH_LEN) == 0) {
			r->head_found = 1;
			r->head_id = id;
		}
		r->entries++;
		expect = id + 1;
		rl = sqlite3_step(lg);
		rch = sqlite3_step(ch);
	}
	if (r->fault == CHAIN_OK && rl != SQLITE_DONE)
		ret = store_fail(s, rl, "read", e);
	else if (r->fault == CHAIN_OK && rch == SQLITE_ROW)
		fault(r, CHAIN_MISSING, sqlite3_column_int64(ch, 0),
		      "missing: entry #%lld is gone (its hash is still in the chain)",
		      (long long)sqlite3_column_int64(ch, 0));
	if (r->entries > 0) {
		memcpy(r->head, prev, CHAIN_HASH_LEN);
		r->has_head = 1;
	}
	sqlite3_finalize(lg);
	sqlite3_finalize(ch);
	if (ret < 0 || r->fault != CHAIN_OK)
		return ret;
	/* The newest entries removed with their hashes: AUTOINCREMENT remembers. */
	sqlite3_stmt *st;
	if (sqlite3_prepare_v2(s->db, "SELECT seq FROM sqlite_sequence WHERE name = 'log'", -1, &st, NULL) == SQLITE_OK) {
		if (sqlite3_step(st) == SQLITE_ROW && sqlite3_column_int64(st, 0) >= expect)
			fault(r, CHAIN_MISSING, expect, "missing: entries from #%lld to #%lld are gone (the newest)",
			      (long long)expect, (long long)sqlite3_column_int64(st, 0));
		sqlite3_finalize(st);
	}
	return 0;
}

/* ---- the summary tables, rebuilt -------------------------------------- */

/* Is the name (n bytes) one of the tables store_derived_drop names? */
static int derived(const char *name, size_t n)
{
	const char *k = "DROP TABLE IF EXISTS ";
	for (const char *p = strstr(store_derived_drop, k); p; p = strstr(p + 1, k)) {
		const char *t = p + strlen(k);
		size_t m = strcspn(t, ";");
		if (m == n && strncmp(t, name, n) == 0)
			return 1;
	}
	return 0;
}

/* The table name after `kw` in stmt, when it is a derived table. */
static const char *derived_after(const char *stmt, const char *kw, size_t *n)
{
	const char *p = strstr(stmt, kw);
	if (!p)
		return NULL;
	p += strlen(kw);
	*n = strcspn(p, " (\n\t;");
	return derived(p, *n) ? p : NULL;
}

/* The query whether main's table name differs from temp's: as many rows,
 * and each of main's found by its primary key in temp with the same
 * columns (the key is unique in both; no sort, no table of the rows
 * seen, which EXCEPT would build). EXCEPT both ways for a table without
 * a primary key. */
static char *differs_sql(struct store *s, const char *name)
{
	struct sbuf key = {0}, cmp = {0};
	sqlite3_stmt *st;
	if (sqlite3_prepare_v2(s->db, "SELECT name, pk FROM pragma_table_info(?1, 'temp') ORDER BY cid", -1, &st,
	                       NULL) == SQLITE_OK) {
		sqlite3_bind_text(st, 1, name, -1, SQLITE_STATIC);
		while (sqlite3_step(st) == SQLITE_ROW) {
			const char *col = (const char *)sqlite3_column_text(st, 0);
			if (!col || strchr(col, '"'))
				continue;
			if (sqlite3_column_int(st, 1) > 0)
				sbuf_printf(&key, "%s\"%s\"", key.len ? ", " : "", col);
			sbuf_printf(&cmp, " OR m.\"%s\" IS NOT t.\"%s\"", col, col);
		}
		sqlite3_finalize(st);
	}
	char *sql = key.len
		? xasprintf("SELECT (SELECT COUNT(*) FROM main.%s) <> (SELECT COUNT(*) FROM temp.%s)"
		            " OR EXISTS (SELECT 1 FROM main.%s m LEFT JOIN temp.%s t USING (%s) WHERE 0%s)",
		            name, name, name, name, sbuf_str(&key), sbuf_str(&cmp))
		: xasprintf("SELECT EXISTS (SELECT * FROM main.%s EXCEPT SELECT * FROM temp.%s)"
		            " OR EXISTS (SELECT * FROM temp.%s EXCEPT SELECT * FROM main.%s)",
		            name, name, name, name);
	sbuf_free(&key);
	sbuf_free(&cmp);
	return sql;
}

/* The TEMP copies of the derived tables and what fills them. */
struct summaries {
	char *names[64];        /* the copies made */
	int nnames;
	char *later[64];        /* INSERTs left to rebuild_add, in case it gives up */
	int nlater;
};

/* Before the walk: the TEMP tables of the derived ones, as the
 * migrations define them (unqualified names find temp first, so that a
 * migration's statement fills the copy from the log), and those b does
 * not gather filled by the migrations' statements now, their sorts done
 * before b takes its memory rather than beside it. */
static int summaries_begin(struct store *s, struct rebuild *b, struct summaries *sm, struct err *e)
{
	int ret = 0;
	/* Up to the log's own version: a log not migrated yet (verify opens
	 * it read-only) is compared with what its own schema kept. */
	for (int v = 1; v < s->version && v < STORE_SCHEMA_VERSION && ret == 0; v++) {
		const char *p = store_migrations[v];
		char *stmt;
		while (ret == 0 && (stmt = store_sql_next(&p))) {
			size_t n;
			const char *name;
			char *run = NULL;
			if (strncmp(stmt, "CREATE TABLE ", 13) == 0 &&
			    (name = derived_after(stmt, "CREATE TABLE ", &n))) {
				run = xasprintf("CREATE TEMP TABLE %s", stmt + 13);
				if (sm->nnames < 64)
					sm->names[sm->nnames++] = xstrndup(name, n);
			} else if (strncmp(stmt, "ALTER TABLE ", 12) == 0 &&
			           (name = derived_after(stmt, "ALTER TABLE ", &n))) {
				run = xasprintf("ALTER TABLE temp.%s", stmt + 12);
			} else if (strncmp(stmt, "DELETE FROM ", 12) == 0 &&
			           (name = derived_after(stmt, "DELETE FROM ", &n))) {
				/* A later migration's rebuild (17.sql) of a table
				 * the walk does not gather. */
				if (!rebuild_gathers(b, name, n))
					run = xstrdup(stmt);
			} else if (strncmp(stmt, "CREATE ", 7) != 0 && (name = derived_after(stmt, "INSERT INTO ", &n))) {
				if (!rebuild_gathers(b, name, n))
					run = xstrdup(stmt);
				else if (sm->nlater < 64)
					sm->later[sm->nlater++] = xstrdup(stmt);
			}
			if (run) {
				char *msg = NULL;
				if (sqlite3_exec(s->db, run, NULL, NULL, &msg) != SQLITE_OK)
					ret = err_set(e, EXIT_SOFTWARE, "verify: cannot rebuild the summaries: %s",
					              msg ? msg : "?");
				sqlite3_free(msg);
				free(run);
			}
			free(stmt);
		}
	}
	return ret;
}

/* After the walk: the tables b gave up gathering filled by the
 * migrations' statements (in their order), the others from b; then each
 * copy compared with the log's. */
static int summaries_end(struct store *s, struct rebuild *b, struct summaries *sm, struct chain_report *r,
                         struct err *e)
{
	int ret = 0;
	for (int i = 0; i < sm->nlater && ret == 0; i++) {
		size_t n;
		const char *name = derived_after(sm->later[i], "INSERT INTO ", &n);
		if (!name || rebuild_gathers(b, name, n))
			continue;
		char *msg = NULL;
		if (sqlite3_exec(s->db, sm->later[i], NULL, NULL, &msg) != SQLITE_OK)
			ret = err_set(e, EXIT_SOFTWARE, "verify: cannot rebuild the summaries: %s", msg ? msg : "?");
		sqlite3_free(msg);
	}
	if (ret == 0)
		ret = rebuild_write(s, b, e);
	for (int i = 0; i < sm->nnames && ret == 0 && r->fault == CHAIN_OK; i++) {
		/* latest's runs are exact only where its run_ok says so (always,
		 * from schema 15 on, with the entries before them). */
		char *sql = strcmp(sm->names[i], "latest") == 0
			? xasprintf("SELECT (SELECT COUNT(*) FROM main.latest) <> (SELECT COUNT(*) FROM temp.latest)"
			            " OR EXISTS (SELECT 1 FROM main.latest m LEFT JOIN temp.latest t"
			            " USING (kind, item, partner) WHERE t.id IS NULL OR m.effective IS NOT t.effective"
			            " OR m.id IS NOT t.id OR m.value IS NOT t.value"
			            " OR (m.run_ok AND (m.run_a IS NOT t.run_a OR m.run_b IS NOT t.run_b))%s)",
			            s->version >= 15 ? " OR m.run_ok IS NOT 1 OR m.brk_a IS NOT t.brk_a"
			                               " OR m.brk_b IS NOT t.brk_b" : "")
			: differs_sql(s, sm->names[i]);
		sqlite3_stmt *st;
		int rc = sqlite3_prepare_v2(s->db, sql, -1, &st, NULL);
		if (rc == SQLITE_OK && sqlite3_step(st) == SQLITE_ROW) {
			if (sqlite3_column_int(st, 0))
				fault(r, CHAIN_SUMMARY, 0, "summary differs: table %s is not what the log gives",
				      sm->names[i]);
		} else {
			fault(r, CHAIN_SUMMARY, 0, "summary differs: table %s cannot be read", sm->names[i]);
		}
		sqlite3_finalize(st);
		free(sql);
	}
	return ret;
}

/* The copies dropped. */
static void summaries_free(struct store *s, struct summaries *sm)
{
	for (int i = 0; i < sm->nnames; i++) {
		char *drop = xasprintf("DROP TABLE IF EXISTS temp.%s", sm->names[i]);
		sqlite3_exec(s->db, drop, NULL, NULL, NULL);
		free(drop);
		free(sm->names[i]);
	}
	for (int i = 0; i < sm->nlater; i++)
		free(sm->later[i]);
	memset(sm, 0, sizeof *sm);
}

/* ---- the schema, compared with the one this program makes ------------- */

/* The statement's text with comments dropped and white space kept only
 * between two word characters (a release's one-line text and the files'
 * read alike); quoted parts as they are. */
static char *sql_norm(const char *q)
{
	struct sbuf b = {0};
	int space = 0;
	char last = 0;
	sbuf_add(&b, "", 0);
	for (const char *p = q ? q : ""; *p;) {
		if (*p == ' ' || *p == '\t' || *p == '\n' || *p == '\r' || *p == '\f' || *p == '\v') {
			space = 1;
			p++;
		} else if (p[0] == '-' && p[1] == '-') {
			space = 1;
			p += strcspn(p, "\n");
		} else if (p[0] == '/' && p[1] == '*') {
			const char *c = strstr(p + 2, "*/");
			space = 1;
			p = c ? c + 2 : p + strlen(p);
		} else {
			int word = (*p >= '0' && *p <= '9') || (*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') ||
			           *p == '_' || (unsigned char)*p >= 0x80;
			int lw = (last >= '0' && last <= '9') || (last >= 'a' && last <= 'z') ||
			         (last >= 'A' && last <= 'Z') || last == '_' || (unsigned char)last >= 0x80;
			if (space && word && lw)
				sbuf_add(&b, " ", 1);
			space = 0;
			size_t n = 1;
			if (*p == '\'' || *p == '"' || *p == '`' || *p == '[') {
				char close = *p == '[' ? ']' : *p;
				while (p[n] && p[n] != close)
					n++;
				if (p[n])
					n++;
			}
			sbuf_add(&b, p, n);
			last = p[n - 1];
			p += n;
		}
	}
	char *out = xstrdup(sbuf_str(&b));
	sbuf_free(&b);
	return out;
}

/* The schema's rows ("type name" and the statement, normalised), in
 * order of type and name. sqlite_stat tables (ANALYZE's) are not the
 * schema's. */
struct schema_rows {
	char **key, **sql;
	size_t n, cap;
};

static int schema_read(sqlite3 *db, struct schema_rows *w)
{
	sqlite3_stmt *st;
	int rc = sqlite3_prepare_v2(db, "SELECT type, name, tbl_name, sql FROM sqlite_master"
	                                " WHERE name NOT LIKE 'sqlite\\_stat%' ESCAPE '\\' ORDER BY type, name",
	                            -1, &st, NULL);
	if (rc != SQLITE_OK)
		return rc;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		if (w->n == w->cap) {
			w->cap = w->cap ? 2 * w->cap : 64;
			w->key = xrealloc(w->key, w->cap * sizeof *w->key);
			w->sql = xrealloc(w->sql, w->cap * sizeof *w->sql);
		}
		const char *t = (const char *)sqlite3_column_text(st, 0);
		const char *n = (const char *)sqlite3_column_text(st, 1);
		const char *tb = (const char *)sqlite3_column_text(st, 2);
		w->key[w->n] = xasprintf("%s %s", t ? t : "", n ? n : "");
		char *q = sql_norm((const char *)sqlite3_column_text(st, 3));
		w->sql[w->n] = xasprintf("%s\n%s", tb ? tb : "", q);
		free(q);
		w->n++;
	}
	sqlite3_finalize(st);
	return rc == SQLITE_DONE ? SQLITE_OK : rc;
}

static void schema_free(struct schema_rows *w)
{
	for (size_t i = 0; i < w->n; i++) {
		free(w->key[i]);
		free(w->sql[i]);
	}
	free(w->key);
	free(w->sql);
}

/* Compares the log's sqlite_master with that of an empty log of its
 * schema version made by this program's migrations, in memory. */
static int schema_check(struct store *s, struct chain_report *r, struct err *e)
{
	sqlite3 *ref = NULL;
	struct schema_rows want = {0}, have = {0};
	int rc = sqlite3_open_v2(":memory:", &ref, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE, NULL);
	for (int v = 0; rc == SQLITE_OK && v < s->version && v < STORE_SCHEMA_VERSION; v++)
		rc = sqlite3_exec(ref, store_migrations[v], NULL, NULL, NULL);
	if (rc == SQLITE_OK)
		rc = schema_read(ref, &want);
	int ret = 0;
	if (rc != SQLITE_OK)
		ret = err_set(e, EXIT_SOFTWARE, "verify: cannot make the schema to compare: %s", sqlite3_errmsg(ref));
	else if ((rc = schema_read(s->db, &have)) != SQLITE_OK)
		ret = store_fail(s, rc, "read", e);
	sqlite3_close(ref);
	for (size_t i = 0, j = 0; ret == 0 && (i < want.n || j < have.n);) {
		int c = i == want.n ? 1 : j == have.n ? -1 : strcmp(want.key[i], have.key[j]);
		const char *name = c <= 0 ? want.key[i] : have.key[j];
		name = strchr(name, ' ') + 1;
		if (c < 0)
			fault(r, CHAIN_SCHEMA, 0, "schema differs: %s (missing)", name);
		else if (c > 0)
			fault(r, CHAIN_SCHEMA, 0, "schema differs: %s (not made by consort)", name);
		else if (strcmp(want.sql[i], have.sql[j]) != 0)
			fault(r, CHAIN_SCHEMA, 0, "schema differs: %s", name);
		if (r->fault != CHAIN_OK)
			break;
		i += c <= 0;
		j += c >= 0;
	}
	schema_free(&want);
	schema_free(&have);
	return ret;
}

static void meta_into(struct store *s, const char *key, char *buf, size_t n)
{
	char *v = NULL;
	buf[0] = '\0';
	if (store_meta_get(s, key, &v, NULL) == 0 && v)
		snprintf(buf, n, "%s", v);
	free(v);
}

int store_verify(struct store *s, const unsigned char *want, struct chain_report *r, struct err *e)
{
	memset(r, 0, sizeof *r);
	r->since = 1;
	if (!has_chain(s)) {
		fault(r, CHAIN_UNCHAINED, 0, "the log has no chain yet (schema %d): the next write chains it",
		      s->version);
		return 0;
	}
	char since[32];
	meta_into(s, "chain_since", since, sizeof since);
	if (since[0])
		r->since = strtoll(since, NULL, 10);
	meta_into(s, "chain_migrated", r->migrated, sizeof r->migrated);
	chain_fast();
	/* The summaries' copies are TEMP tables (some rebuilt by the
	 * migrations' sorts): a page cache as small as the log's, not SQLite's
	 * 2 MB default, so that their pages go to the temporary file (the
	 * operating system's cache) rather than the process's memory. */
	sqlite3_exec(s->db, "PRAGMA temp.cache_size = " VERIFY_TEMP_PAGES, NULL, NULL, NULL);
	/* One read transaction: the walk and the summaries see one state. */
	if (store_exec_retry(s, "BEGIN", "read", e) < 0)
		return -1;
	/* The schema first: the walk and the rebuild read through it. */
	int rc = schema_check(s, r, e);
	/* The plan versions first, before the walk's summaries take their
	 * memory: each phase's is given back before the next, so the peak is
	 * the larger one, not their sum. Its verdict counts after theirs. */
	char plan_what[sizeof r->what];
	int plan = 0;
	if (rc == 0 && r->fault == CHAIN_OK && (plan = store_plan_check(s, plan_what, sizeof plan_what, e)) < 0)
		rc = -1;
	struct rebuild *b = rebuild_new(s);
	struct summaries sm = {{0}, 0, {0}, 0};
	if (rc == 0 && r->fault == CHAIN_OK && s->version >= 2)
		rc = summaries_begin(s, b, &sm, e);
	if (rc == 0)
		rc = walk(s, want, r, b, e);
	if (rc == 0 && r->fault == CHAIN_OK && s->version >= 2)
		rc = summaries_end(s, b, &sm, r, e);
	if (rc == 0 && r->fault == CHAIN_OK && plan > 0) {
		memcpy(r->what, plan_what, sizeof r->what);
		r->fault = CHAIN_PLAN;
		r->fault_id = 0;
	}
	summaries_free(s, &sm);
	rebuild_free(b);
	sqlite3_exec(s->db, "COMMIT", NULL, NULL, NULL);
	return rc;
}

int store_demo_entry(struct store *s, char **login, int64_t *count, struct err *e)
{
	struct chain_tip t;
	if (login)
		*login = NULL;
	if (count)
		*count = 0;
	if (store_chain_tip(s, &t, e) < 0)
		return -1;
	if (t.demo && login)
		*login = xstrdup(t.demo_login);
	if (t.demo && count)
		*count = t.demo_count;
	return t.demo;
}

/* The newest four rows of log (or chain), newest first, then entry #1
 * (again, in a short log). */
#define TIP_ROWS(COLS, T) "SELECT * FROM (SELECT " COLS " FROM " T " ORDER BY id DESC LIMIT 4)" \
	" UNION ALL SELECT " COLS " FROM " T " WHERE id = 1"

struct tip_hash {
	int64_t id;
	unsigned char hash[CHAIN_HASH_LEN];
};

/* The hash stored for entry id among the n read, or NULL. */
static const unsigned char *hash_of(const struct tip_hash *hs, int n, int64_t id)
{
	for (int k = 0; k < n; k++)
		if (hs[k].id == id)
			return hs[k].hash;
	return NULL;
}

/* Does entry id (fields f) link to its predecessor's hash in hs? */
static int links(const struct tip_hash *hs, int nh, int64_t id, const struct chain_field *f)
{
	unsigned char prev[CHAIN_HASH_LEN] = {0}, h[CHAIN_HASH_LEN];
	const unsigned char *mine = hash_of(hs, nh, id), *before = id > 1 ? hash_of(hs, nh, id - 1) : prev;
	if (!mine || !before)
		return 0;
	memcpy(prev, before, CHAIN_HASH_LEN);
	chain_hash(prev, f, h);
	return memcmp(h, mine, CHAIN_HASH_LEN) == 0;
}

int store_chain_tip(struct store *s, struct chain_tip *t, struct err *e)
{
	memset(t, 0, sizeof *t);
	t->ok = 1;
	if (s->version < 5)
		return 0;
	t->chained = 1;
	/* Two plain statements (their prepare is the cost that counts, more
	 * than the few rows they read): the newest entries and entry #1, and
	 * their hashes. */
	sqlite3_stmt *lg, *ch;
	if (store_prepare(s, TIP_ROWS(CHAIN_COLUMNS, "log"), &lg, e) < 0)
		return -1;
	if (store_prepare(s, TIP_ROWS("id, hash", "chain"), &ch, e) < 0) {
		sqlite3_finalize(lg);
		return -1;
	}
	struct tip_hash hs[5];
	int nh = 0, rc;
	while (nh < 5 && (rc = sqlite3_step(ch)) == SQLITE_ROW) {
		hs[nh].id = sqlite3_column_int64(ch, 0);
		if (sqlite3_column_bytes(ch, 1) == CHAIN_HASH_LEN)
			memcpy(hs[nh].hash, sqlite3_column_blob(ch, 1), CHAIN_HASH_LEN);
		else
			hs[nh].id = -1;
		nh++;
	}
	sqlite3_finalize(ch);
	int n = 0;
	int64_t newer = 0;
	while ((rc = sqlite3_step(lg)) == SQLITE_ROW) {
		struct chain_field f[CHAIN_NFIELDS];
		const char *type;
		if (bad_type(lg, &type))
			t->ok = 0;
		int64_t id = sqlite3_column_int64(lg, 0);
		struct field_nums nums;
		fields_of(lg, f, &nums);
		int first_again = n > 0 && id >= newer; /* entry #1 after the newest */
		if (n == 0) {
			/* The newest entry's hash is the head, and the newest hash. */
			const unsigned char *mine = hash_of(hs, nh, id);
			t->has_head = mine != NULL;
			if (mine)
				memcpy(t->head, mine, CHAIN_HASH_LEN);
			if (!mine || hs[0].id != id)
				t->ok = 0;
		}
		/* The newest three: consecutive, each linked to the one before. */
		if (!first_again && n < 3 && ((n > 0 && id != newer - 1) || !links(hs, nh, id, f)))
			t->ok = 0;
		if (id == 1 && f[7].len == 4 && memcmp(f[7].p, "demo", 4) == 0 && links(hs, nh, 1, f) &&
		    f[3].len >= 0 && (size_t)f[3].len < sizeof t->demo_login) {
			/* The demo's entry: the chain's first link, by its creator. */
			long long cnt = 0;
			t->demo = 1;
			memcpy(t->demo_login, f[3].p, (size_t)f[3].len);
			t->demo_login[f[3].len] = '\0';
			if (f[8].len > 0 && sscanf(f[8].p, DEMO_ENTRY_VALUE, &cnt) == 1)
				t->demo_count = cnt;
		}
		if (!first_again) {
			newer = id;
			n++;
		}
	}
	sqlite3_finalize(lg);
	if (rc != SQLITE_DONE)
		return store_fail(s, rc, "read", e);
	return 0;
}
