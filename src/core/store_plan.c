/* store_plan: the plan's versions in the log (schema 7's plan table beside
 * the entries of kind "plan"), read and appended. plan.h is their API. */
#include "config.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "core/defcache.h"
#include "core/load.h"
#include "core/plan.h"
#include "core/store_int.h"

/* Does the log have the plan table (schema 7 or later)? */
static int has_plan(struct store *s)
{
	sqlite3_stmt *st;
	if (sqlite3_prepare_v2(s->db, "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'plan'",
	                       -1, &st, NULL) != SQLITE_OK)
		return 0;
	int yes = sqlite3_step(st) == SQLITE_ROW;
	sqlite3_finalize(st);
	return yes;
}

int plan_versions(struct store *s, int64_t recorded_until_ms, struct plan_version **out,
                  size_t *n, struct err *e)
{
	*out = NULL;
	*n = 0;
	if (!has_plan(s))
		return 0;
	sqlite3_stmt *st;
	if (store_prepare(s, "SELECT p.version, l.id, l.effective, l.recorded_at, l.login, l.note, l.value"
	                     " FROM plan p JOIN log l ON l.id = p.entry AND l.kind = 'plan'"
	                     " WHERE :until = 0 OR l.recorded_at <= :until ORDER BY p.version",
	                  &st, e) < 0)
		return -1;
	sqlite3_bind_int64(st, sqlite3_bind_parameter_index(st, ":until"), recorded_until_ms);
	struct plan_version *v = NULL;
	size_t cap = 0, k = 0;
	int rc;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		xgrow(&v, &cap, k + 1, sizeof *v);
		struct plan_version *pv = &v[k];
		memset(pv, 0, sizeof *pv);
		pv->number = sqlite3_column_int(st, 0);
		pv->entry = sqlite3_column_int64(st, 1);
		const char *eff = (const char *)sqlite3_column_text(st, 2);
		if (!eff || date_parse(eff, &pv->effective) != 0)
			pv->effective = CDATE_NONE;
		pv->recorded_at = sqlite3_column_int64(st, 3);
		pv->login = store_col_dup(st, 4);
		pv->note = store_col_dup(st, 5);
		const char *val = (const char *)sqlite3_column_text(st, 6);
		const char *sp = val ? strchr(val, ' ') : NULL;
		snprintf(pv->digest, sizeof pv->digest, "%s", sp ? sp + 1 : "");
		k++;
	}
	sqlite3_finalize(st);
	if (rc != SQLITE_DONE) {
		plan_versions_free(v, k);
		return store_fail(s, rc, "read", e);
	}
	*out = v;
	*n = k;
	return 0;
}

/* The compiled form of the version on the row st stands on (its entry in
 * column 0, whether it is a blob in 1, its length in 2), read straight
 * into a block of ours: a column read of a blob of hundreds of kilobytes
 * is a copy of it made by SQLite, which the model (whose strings point
 * into its block) would copy again. NULL when it is not a blob or cannot
 * be read so: the caller then reads the column. */
static unsigned char *read_compiled(struct store *s, sqlite3_stmt *st, size_t *len)
{
	int n = sqlite3_column_int(st, 2);
	if (!sqlite3_column_int(st, 1) || n < 1)
		return NULL;
	sqlite3_blob *bh = NULL;
	if (sqlite3_blob_open(s->db, "main", "plan", "compiled", sqlite3_column_int64(st, 0), 0, &bh) !=
	    SQLITE_OK) {
		sqlite3_blob_close(bh);
		return NULL;
	}
	unsigned char *b = NULL;
	if (sqlite3_blob_bytes(bh) == n) {
		b = xmalloc((size_t)n);
		xpopulate(b, (size_t)n);
		if (sqlite3_blob_read(bh, b, n, 0) != SQLITE_OK) {
			free(b);
			b = NULL;
		}
	}
	sqlite3_blob_close(bh);
	*len = (size_t)n;
	return b;
}

int plan_load(struct store *s, int number, const char *label, struct project *p, char **text,
              size_t *text_len, struct err *e)
{
	memset(p, 0, sizeof *p);
	if (text)
		*text = NULL;
	if (!has_plan(s))
		return err_set(e, EXIT_USAGE, "%s holds no plan", s->path);
	sqlite3_stmt *st;
	/* The text only when asked for: a column read is a copy of it. Of
	 * the compiled form only its type and length are read with the row
	 * (typeof() and length() of a blob read no more than its header). */
	if (store_prepare(s, text ? "SELECT entry, typeof(compiled) = 'blob', length(compiled), text"
	                            " FROM plan WHERE version = :v"
	                          : "SELECT entry, typeof(compiled) = 'blob', length(compiled)"
	                            " FROM plan WHERE version = :v", &st, e) < 0)
		return -1;
	sqlite3_bind_int(st, sqlite3_bind_parameter_index(st, ":v"), number);
	int rc = sqlite3_step(st);
	if (rc != SQLITE_ROW) {
		sqlite3_finalize(st);
		if (rc == SQLITE_DONE)
			return err_set(e, EXIT_USAGE, "the plan has no version %d", number);
		return store_fail(s, rc, "read", e);
	}
	size_t blen = 0;
	unsigned char *b = read_compiled(s, st, &blen);
	if (!b) {
		/* Whatever the column holds, as a column read gives it. */
		sqlite3_stmt *cs;
		if (store_prepare(s, "SELECT compiled FROM plan WHERE version = :v", &cs, e) < 0) {
			sqlite3_finalize(st);
			return -1;
		}
		sqlite3_bind_int(cs, 1, number);
		rc = sqlite3_step(cs);
		if (rc == SQLITE_ROW) {
			const unsigned char *c = sqlite3_column_blob(cs, 0);
			blen = (size_t)sqlite3_column_bytes(cs, 0);
			b = xmalloc(blen ? blen : 1);
			if (blen)
				memcpy(b, c, blen);
		}
		sqlite3_finalize(cs);
		if (!b) {
			sqlite3_finalize(st);
			if (rc == SQLITE_DONE)
				return err_set(e, EXIT_USAGE, "the plan has no version %d", number);
			return store_fail(s, rc, "read", e);
		}
	}
	if (defcache_decode_take(b, blen, p) != 0) {
		sqlite3_finalize(st);
		return err_set(e, EXIT_DATAERR, "%s: the plan's version %d does not read", s->path, number);
	}
	if (text) {
		size_t tl = (size_t)sqlite3_column_bytes(st, 3);
		const void *t = sqlite3_column_blob(st, 3);
		*text = xmalloc(tl + 1);
		if (tl)
			memcpy(*text, t, tl);
		(*text)[tl] = '\0';
		if (text_len)
			*text_len = tl;
	}
	sqlite3_finalize(st);
	p->path = xstrdup(label ? label : s->path);
	return 0;
}

struct plan_row {
	int version;
	const char *text;
	size_t text_len;
	const unsigned char *blob;
	size_t blob_len;
};

static int attach_plan(struct store *s, int64_t first, struct err *e)
{
	const struct plan_row *r = s->attach_ctx;
	sqlite3_stmt *st;
	if (store_prepare(s, "INSERT INTO plan (entry, version, text, compiled) VALUES (:e, :v, :t, :c)",
	                  &st, e) < 0)
		return -1;
	sqlite3_bind_int64(st, 1, first);
	sqlite3_bind_int(st, 2, r->version);
	sqlite3_bind_blob(st, 3, r->text, (int)r->text_len, SQLITE_STATIC);
	sqlite3_bind_blob(st, 4, r->blob, (int)r->blob_len, SQLITE_STATIC);
	int rc = sqlite3_step(st);
	sqlite3_finalize(st);
	if ((rc & 0xff) == SQLITE_CONSTRAINT)
		return err_set(e, EXIT_UNAVAILABLE, "%s: another plan version %d was recorded meanwhile; "
		                                 "nothing was written", s->path, r->version);
	if (rc != SQLITE_DONE)
		return store_fail(s, rc, "write", e);
	return 0;
}

int store_append_plan(struct store *s, const struct new_entry *v, int version, const char *text,
                      size_t text_len, const struct project *p, int64_t *id, struct err *e)
{
	if (!has_plan(s))
		return err_set(e, EXIT_SOFTWARE, "%s: the log's schema has no plan", s->path);
	size_t blen = 0;
	unsigned char *blob = defcache_encode(p, &blen);
	struct plan_row r = {version, text, text_len, blob, blen};
	s->attach = attach_plan;
	s->attach_ctx = &r;
	int rc = store_append(s, v, 1, id, e);
	s->attach = NULL;
	s->attach_ctx = NULL;
	free(blob);
	return rc;
}

/* One plan row against its entry: 0 when they match, else 1 with what
 * (-1 when the compiled form cannot be read). Its compiled form is read
 * through cmp once the text is compiled (the text and its compiled form
 * were held together, beside the text's tree). */
static int plan_row_check(sqlite3_stmt *st, sqlite3_stmt *cmp, char *what, size_t n)
{
	int64_t entry = sqlite3_column_int64(st, 0);
	int version = sqlite3_column_int(st, 2);
	const char *value = (const char *)sqlite3_column_text(st, 1);
	if (sqlite3_column_type(st, 2) == SQLITE_NULL) {
		snprintf(what, n, "plan differs: entry #%lld records a version whose text is gone", (long long)entry);
		return 1;
	}
	if (!value) {
		snprintf(what, n, "plan differs: version %d has no entry of kind plan", version);
		return 1;
	}
	int number = 0, used = 0;
	if (sscanf(value, "%d %n", &number, &used) != 1 || number != version || used == 0) {
		snprintf(what, n, "plan differs: version %d (its entry #%lld names another version)", version,
		         (long long)entry);
		return 1;
	}
	const char *text = sqlite3_column_blob(st, 3);
	size_t len = (size_t)sqlite3_column_bytes(st, 3);
	if (!plan_digest_is(value + used, text ? text : "", len)) {
		snprintf(what, n, "plan differs: version %d (its text is not the one its entry names)", version);
		return 1;
	}
	struct project p;
	struct diags d = {0};
	int bad = load_project_mem("plan", text ? text : "", len, &p, &d) != 0;
	diags_free(&d);
	if (!bad) {
		size_t blen = 0;
		unsigned char *blob = defcache_encode(&p, &blen);
		project_free(&p);
		sqlite3_bind_int(cmp, 1, version);
		int rc = sqlite3_step(cmp);
		if (rc != SQLITE_ROW) {
			free(blob);
			sqlite3_reset(cmp);
			return rc == SQLITE_DONE ? -SQLITE_CORRUPT : -rc;
		}
		bad = blen != (size_t)sqlite3_column_bytes(cmp, 0) ||
		      (blen && memcmp(blob, sqlite3_column_blob(cmp, 0), blen) != 0);
		sqlite3_reset(cmp);
		free(blob);
	}
	if (bad)
		snprintf(what, n, "plan differs: version %d (its compiled form is not what its text compiles to)",
		         version);
	return bad;
}

int store_plan_check(struct store *s, char *what, size_t n, struct err *e)
{
	if (!has_plan(s))
		return 0;
	sqlite3_stmt *st, *cmp;
	if (store_prepare(s, "SELECT l.id, l.value, p.version, p.text FROM log l"
	                     " LEFT JOIN plan p ON p.entry = l.id WHERE l.kind = 'plan'"
	                     " UNION ALL SELECT p.entry, NULL, p.version, p.text FROM plan p"
	                     " WHERE NOT EXISTS (SELECT 1 FROM log l WHERE l.id = p.entry AND l.kind = 'plan')",
	                  &st, e) < 0)
		return -1;
	if (store_prepare(s, "SELECT compiled FROM plan WHERE version = ?1", &cmp, e) < 0) {
		sqlite3_finalize(st);
		return -1;
	}
	int rc, bad = 0;
	while (!bad && (rc = sqlite3_step(st)) == SQLITE_ROW)
		bad = plan_row_check(st, cmp, what, n);
	sqlite3_finalize(st);
	sqlite3_finalize(cmp);
	if (bad < 0)
		return store_fail(s, -bad, "read", e);
	if (!bad && rc != SQLITE_DONE)
		return store_fail(s, rc, "read", e);
	return bad;
}

void store_tmp_remove(struct store *s)
{
	static const char *const sfx[] = {"", "-wal", "-shm", "-journal"};
	for (size_t i = 0; i < sizeof sfx / sizeof sfx[0]; i++) {
		char *f = xasprintf("%s/log.db%s", s->tmpdir, sfx[i]);
		unlink(f);
		free(f);
	}
	rmdir(s->tmpdir);
	free(s->tmpdir);
	s->tmpdir = NULL;
}

/* Does the attached log src have the table? */
static int src_has(struct store *s, const char *table)
{
	sqlite3_stmt *st;
	if (sqlite3_prepare_v2(s->db, "SELECT 1 FROM src.sqlite_master WHERE type = 'table' AND name = ?1",
	                       -1, &st, NULL) != SQLITE_OK)
		return 0;
	sqlite3_bind_text(st, 1, table, -1, SQLITE_STATIC);
	int yes = sqlite3_step(st) == SQLITE_ROW;
	sqlite3_finalize(st);
	return yes;
}

int store_open_as_recorded(const char *path, int64_t until_ms, struct store **out, struct err *e)
{
	*out = NULL;
	/* The log itself must open as any log does (its errors are its own). */
	struct store *src = NULL;
	if (store_open(path, STORE_READ, &src, e) != 0)
		return -1;
	store_close(src);
	const char *tmp = getenv("TMPDIR");
	char *dir = xasprintf("%s/consort-recorded-XXXXXX", tmp && tmp[0] == '/' ? tmp : "/tmp");
	if (!mkdtemp(dir)) {
		int err = errno;
		free(dir);
		return err_set(e, EXIT_IOERR, "cannot make a private copy of the log: %s", strerror(err));
	}
	char *copy = xasprintf("%s/log.db", dir);
	struct store *s = NULL;
	int rc = store_open(copy, STORE_CREATE, &s, e);
	free(copy);
	if (rc != 0) {
		rmdir(dir);
		free(dir);
		return -1;
	}
	s->tmpdir = dir;
	sqlite3_stmt *st = NULL;
	if (store_prepare(s, "ATTACH DATABASE :p AS src", &st, e) < 0)
		goto fail;
	sqlite3_bind_text(st, 1, path, -1, SQLITE_TRANSIENT);
	rc = sqlite3_step(st);
	sqlite3_finalize(st);
	if (rc != SQLITE_DONE) {
		store_fail(s, rc, "read", e);
		goto fail;
	}
	if (store_exec_retry(s, "BEGIN IMMEDIATE", "write", e) < 0)
		goto fail;
	if (store_prepare(s, "INSERT INTO main.log (id, recorded_at, effective, login, uid, partner, item, kind,"
	                     " value, note) SELECT id, recorded_at, effective, login, uid, partner, item, kind,"
	                     " value, note FROM src.log WHERE recorded_at <= :u ORDER BY id", &st, e) < 0) {
		store_rollback(s);
		goto fail;
	}
	sqlite3_bind_int64(st, 1, until_ms);
	rc = sqlite3_step(st);
	sqlite3_finalize(st);
	/* By the columns' names: the log's order may be schema 7's (the text
	 * before the compiled form). */
	if (rc == SQLITE_DONE && src_has(s, "plan"))
		rc = sqlite3_exec(s->db, "INSERT INTO main.plan (entry, version, compiled, text)"
		                         " SELECT p.entry, p.version, p.compiled, p.text FROM src.plan p"
		                         " JOIN main.log l ON l.id = p.entry", NULL, NULL, NULL) == SQLITE_OK
		             ? SQLITE_DONE : SQLITE_ERROR;
	if (rc == SQLITE_DONE)
		rc = sqlite3_exec(s->db, "INSERT INTO main.meta SELECT * FROM src.meta", NULL, NULL, NULL) == SQLITE_OK
		             ? SQLITE_DONE : SQLITE_ERROR;
	/* The chain's links of the entries copied: the tip check and the
	 * demo's first entry read them. */
	if (rc == SQLITE_DONE && src_has(s, "chain"))
		rc = sqlite3_exec(s->db, "INSERT INTO main.chain (id, hash) SELECT c.id, c.hash FROM src.chain c"
		                         " JOIN main.log l ON l.id = c.id ORDER BY c.id", NULL, NULL, NULL) == SQLITE_OK
		             ? SQLITE_DONE : SQLITE_ERROR;
	if (rc != SQLITE_DONE) {
		store_fail(s, rc, "read", e);
		store_rollback(s);
		goto fail;
	}
	if (sqlite3_exec(s->db, "COMMIT", NULL, NULL, NULL) != SQLITE_OK ||
	    sqlite3_exec(s->db, "DETACH DATABASE src", NULL, NULL, NULL) != SQLITE_OK) {
		store_fail(s, SQLITE_ERROR, "read", e);
		goto fail;
	}
	/* The rows came in by plain INSERT, past the append's steps: what the
	 * steps keep (counts, latest entries, reach, effort and cost, undone
	 * entries) is made again from the copied rows by the migrations'
	 * statements, as for a log whose schema is rewritten. Only once the
	 * log is detached: the statements name their tables unqualified, and
	 * one that main lacks would be the log's. */
	if (store_exec_retry(s, "BEGIN IMMEDIATE", "write", e) < 0)
		goto fail;
	rc = sqlite3_exec(s->db, store_derived_drop, NULL, NULL, NULL);
	for (int v = 1; rc == SQLITE_OK && v < STORE_SCHEMA_VERSION; v++)
		rc = store_migrate_step(s->db, v);
	if (rc != SQLITE_OK || (rc = sqlite3_exec(s->db, "COMMIT", NULL, NULL, NULL)) != SQLITE_OK) {
		store_fail(s, rc, "read", e);
		store_rollback(s);
		goto fail;
	}
	/* Messages name the log, not its copy. */
	free(s->path);
	s->path = xstrdup(path);
	s->readonly = 1;
	struct stat sb;
	if (stat(path, &sb) == 0) {
		s->dev = sb.st_dev;
		s->ino = sb.st_ino;
	}
	*out = s;
	return 0;
fail:
	store_close(s);
	return -1;
}
