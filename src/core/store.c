/* store: the progress log in one SQLite file (WAL mode).
 *
 * Promises: a file it refuses (not SQLite, a foreign schema, a newer schema
 * version) is never modified; every append is one BEGIN IMMEDIATE
 * transaction, all or nothing; "database is locked" never reaches the user
 * (writers wait up to STORE_BUSY_TIMEOUT_MS in short randomised sleeps,
 * then fail with 69); an acknowledged append is on disk: it survives a
 * crash of the process and a power cut (WAL, synchronous=FULL: every
 * commit waits for the WAL's fsync; only store_bulk_load relaxes that,
 * for bench/generate); the log is
 * append-only (triggers refuse UPDATE and DELETE); every query uses bound
 * parameters; store_facts reads small derived tables that triggers keep
 * current (schema 2; schema 3 adds per-partner reach totals, schema 4 the
 * change of each target's total per month) and seeks through indexes for
 * the rest, so its cost
 * does not grow with the length of the log and it never reads the log into
 * memory (a schema 1 log opened read-only is still read, by aggregating
 * over it). All SQL of the program lives in the store's files: this one
 * opens, migrates, appends and reads entries; store_schema.c holds the
 * schema, store_facts.c the facts, store_reach.c the reach totals, and
 * store_int.h what they share. */
#include "config.h"
#include "core/store.h"

#include <errno.h>
#include <fcntl.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include <sqlite3.h>

#include "core/store_int.h"

static const char *const log_columns[] = {
	"id", "recorded_at", "effective", "login", "uid",
	"partner", "item", "kind", "value", "note",
};
#define NLOG_COLUMNS (sizeof log_columns / sizeof log_columns[0])

#define STRINGIFY_(x) #x
#define STRINGIFY(x) STRINGIFY_(x)
#ifndef STORE_CACHE_PAGES
#define STORE_CACHE_PAGES 32
#endif

/* ---- errors ---------------------------------------------------------- */

#define BUSY_MSG "the log is busy (another process holds it); try again"

static int is_busy(int rc)
{
	rc &= 0xff;
	return rc == SQLITE_BUSY || rc == SQLITE_LOCKED;
}

/* Map an SQLite result code to one clear line and an exit code. */
int store_fail(struct store *s, int rc, const char *what, struct err *e)
{
	const char *path = s && s->path ? s->path : "the log";
	const char *detail = s && s->db ? sqlite3_errmsg(s->db) : sqlite3_errstr(rc);
	switch (rc & 0xff) {
	case SQLITE_BUSY:
	case SQLITE_LOCKED:
		return err_set(e, EXIT_UNAVAILABLE, BUSY_MSG);
	case SQLITE_NOTADB:
		return err_set(e, EXIT_DATAERR, "%s is not a consort log (not an SQLite database)", path);
	case SQLITE_CORRUPT:
		return err_set(e, EXIT_DATAERR, "%s is damaged (%s)", path, detail);
	case SQLITE_READONLY:
	case SQLITE_PERM:
	case SQLITE_AUTH:
		return err_set(e, EXIT_NOPERM, "cannot %s %s: permission denied (%s)", what, path, detail);
	case SQLITE_CANTOPEN:
	case SQLITE_IOERR:
	case SQLITE_FULL:
		return err_set(e, EXIT_IOERR, "cannot %s %s: %s", what, path, detail);
	case SQLITE_CONSTRAINT:
		return err_set(e, EXIT_DATAERR, "cannot %s %s: %s", what, path, detail);
	default:
		return err_set(e, EXIT_SOFTWARE, "cannot %s %s: %s", what, path, detail);
	}
}

int store_prepare(struct store *s, const char *sql, sqlite3_stmt **st, struct err *e)
{
	int rc = sqlite3_prepare_v2(s->db, sql, -1, st, NULL);
	if (rc != SQLITE_OK) {
		*st = NULL;
		return store_fail(s, rc, "read", e);
	}
	return 0;
}

static void sleep_us(long us)
{
	struct timespec ts = { us / 1000000L, (us % 1000000L) * 1000L };
	while (nanosleep(&ts, &ts) == -1 && errno == EINTR)
		;
}

static int64_t mono_us(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000000 + ts.tv_nsec / 1000;
}

static uint64_t rng_next(struct store *s)
{
	uint64_t x = s->rng ? s->rng : 0x9e3779b97f4a7c15u;
	x ^= x << 13;
	x ^= x >> 7;
	x ^= x << 17;
	return s->rng = x;
}

/* A short randomised sleep, growing slowly with the number of tries n:
 * from 25..50 µs up to 250..500 µs. */
static void busy_nap(struct store *s, int n)
{
	long cap = 50 + 10L * n;
	if (cap > 500)
		cap = 500;
	sleep_us(cap / 2 + (long)(rng_next(s) % (uint64_t)(cap / 2 + 1)));
}

/* The busy handler. SQLite's own (sqlite3_busy_timeout) sleeps 1, 2, 5,
 * 10 .. 100 ms, far longer than a write holds the lock, so under
 * contention the lock sat idle while writers slept; short randomised
 * sleeps let the next writer in within a fraction of a millisecond. The
 * total wait is still STORE_BUSY_TIMEOUT_MS. */
static int busy_wait(void *arg, int count)
{
	struct store *s = arg;
	int64_t now = mono_us();
	if (count == 0)
		s->busy_since = now;
	else if (now - s->busy_since >= (int64_t)STORE_BUSY_TIMEOUT_MS * 1000)
		return 0;
	busy_nap(s, count);
	return 1;
}

/* Run sql (no results), retrying while busy up to the busy timeout. The
 * busy handler does most of the waiting; this loop covers the cases where
 * SQLite reports busy without calling it. */
int store_exec_retry(struct store *s, const char *sql, const char *what, struct err *e)
{
	int64_t deadline = mono_us() + (int64_t)STORE_BUSY_TIMEOUT_MS * 1000;
	for (int n = 0;; n++) {
		int rc = sqlite3_exec(s->db, sql, NULL, NULL, NULL);
		if (rc == SQLITE_OK)
			return 0;
		if (!is_busy(rc) || mono_us() >= deadline)
			return store_fail(s, rc, what, e);
		busy_nap(s, n);
	}
}

void store_rollback(struct store *s)
{
	if (!sqlite3_get_autocommit(s->db))
		sqlite3_exec(s->db, "ROLLBACK", NULL, NULL, NULL);
}

static int commit(struct store *s, const char *what, struct err *e)
{
	if (store_exec_retry(s, "COMMIT", what, e) < 0) {
		store_rollback(s);
		return -1;
	}
	s->own_commits++;
	return 0;
}

/* ---- opening --------------------------------------------------------- */

static char *dir_of(const char *path)
{
	const char *slash = strrchr(path, '/');
	if (!slash)
		return xstrdup(".");
	if (slash == path)
		return xstrdup("/");
	return xstrndup(path, (size_t)(slash - path));
}

static void unlink_all(const char *path)
{
	char *w = xasprintf("%s-wal", path), *m = xasprintf("%s-shm", path),
	     *j = xasprintf("%s-journal", path);
	unlink(path);
	unlink(w);
	unlink(m);
	unlink(j);
	free(w);
	free(m);
	free(j);
}

/* Reads the first bytes: 1 when it starts like SQLite, 0 when it is empty,
 * -1 (with e) when it is something else or unreadable. */
static int check_magic(const char *path, struct err *e)
{
	static const char magic[16] = "SQLite format 3";
	char buf[16];
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0) {
		if (errno == EACCES || errno == EPERM)
			return err_set(e, EXIT_NOPERM, "cannot read %s: permission denied", path);
		if (errno == ENOENT)
			return err_set(e, EXIT_NOINPUT, "cannot open %s: no such file", path);
		return err_set(e, EXIT_IOERR, "cannot read %s: %s", path, strerror(errno));
	}
	ssize_t n;
	do
		n = read(fd, buf, sizeof buf);
	while (n < 0 && errno == EINTR);
	int saved = errno;
	close(fd);
	if (n < 0)
		return err_set(e, EXIT_IOERR, "cannot read %s: %s", path, strerror(saved));
	if (n == 0)
		return 0;
	if (n < (ssize_t)sizeof buf || memcmp(buf, magic, sizeof buf) != 0)
		return err_set(e, EXIT_DATAERR, "%s is not a consort log (not an SQLite database)", path);
	return 1;
}

/* Checks the schema of an open log: *version gets user_version. */
static int check_schema(struct store *s, int *version, struct err *e)
{
	sqlite3_stmt *st;
	int rc;
	if (store_prepare(s, "PRAGMA user_version", &st, e) < 0)
		return -1;
	rc = sqlite3_step(st);
	if (rc != SQLITE_ROW) {
		sqlite3_finalize(st);
		return store_fail(s, rc, "read", e);
	}
	int v = sqlite3_column_int(st, 0);
	sqlite3_finalize(st);

	if (v > STORE_SCHEMA_VERSION)
		return err_set(e, EXIT_DATAERR,
		               "%s was written by a newer consort (schema %d, this one reads up to %d); not touched",
		               s->path, v, STORE_SCHEMA_VERSION);

	if (store_prepare(s, "SELECT name FROM pragma_table_info('log')", &st, e) < 0)
		return -1;
	unsigned found = 0;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		const char *name = (const char *)sqlite3_column_text(st, 0);
		for (size_t i = 0; name && i < NLOG_COLUMNS; i++)
			if (strcmp(name, log_columns[i]) == 0)
				found |= 1u << i;
	}
	sqlite3_finalize(st);
	if (rc != SQLITE_DONE)
		return store_fail(s, rc, "read", e);
	if (v < 1 || found != (1u << NLOG_COLUMNS) - 1)
		return err_set(e, EXIT_DATAERR, "%s is not a consort log", s->path);
	*version = v;
	return 0;
}

/* Brings a log of schema `from` up to date, in one transaction. */
/* The log table's statement as the schema's files write it (schema_1's
 * first statement, without its ';'), in a buffer of n bytes. */
static const char *log_statement(char *buf, size_t n)
{
	const char *a = strstr(store_migrations[0], "CREATE TABLE log ");
	const char *b = a ? strstr(a, ");\n") : NULL;
	if (!a || !b || (size_t)(b + 1 - a) >= n)
		return NULL;
	memcpy(buf, a, (size_t)(b + 1 - a));
	buf[b + 1 - a] = '\0';
	return buf;
}

/* Does the log hold its schema in another text than the files' (made by
 * a release before them: one line a statement, some thousands of
 * characters long)? The log table's statement tells: a log made or
 * rewritten from the files has theirs. */
static int schema_stale(struct store *s)
{
	char want[2048];
	sqlite3_stmt *st;
	if (!log_statement(want, sizeof want) ||
	    sqlite3_prepare_v2(s->db, "SELECT sql FROM sqlite_master WHERE type = 'table' AND name = 'log'",
	                       -1, &st, NULL) != SQLITE_OK)
		return 0;
	int stale = 0;
	if (sqlite3_step(st) == SQLITE_ROW) {
		const char *have = (const char *)sqlite3_column_text(st, 0);
		stale = have && strcmp(have, want) != 0;
	}
	sqlite3_finalize(st);
	return stale;
}

/* Gives a stale log the files' text, in the caller's transaction: the log
 * table's statement is rewritten in place (it differs in white space only,
 * which SQLite allows through writable_schema), and what steps 2 to 4
 * derive is dropped, for them to make again from the log. No entry
 * changes. */
static int schema_rewrite(struct store *s, struct err *e)
{
	char want[2048];
	sqlite3_stmt *st = NULL;
	int schema_version = 0, rc;
	if (!log_statement(want, sizeof want))
		return err_set(e, EXIT_SOFTWARE, "the schema's log statement is missing");
	if ((rc = sqlite3_exec(s->db, store_derived_drop, NULL, NULL, NULL)) != SQLITE_OK)
		return store_fail(s, rc, "migrate", e);
	/* The computed column n, as the files define it, added first: SQLite
	 * checks it; the text is then the files' to the byte. */
	int has_n = 0;
	if (store_prepare(s, "SELECT 1 FROM pragma_table_xinfo('log') WHERE name = 'n'", &st, e) < 0)
		return -1;
	has_n = sqlite3_step(st) == SQLITE_ROW;
	sqlite3_finalize(st);
	const char *col = strstr(want, "\n\tn INTEGER GENERATED");
	if (!has_n && col) {
		const char *end = strchr(col + 1, '\n');
		char *add = xasprintf("ALTER TABLE log ADD COLUMN %.*s", (int)(end - col - 2), col + 2);
		rc = sqlite3_exec(s->db, add, NULL, NULL, NULL);
		free(add);
		if (rc != SQLITE_OK)
			return store_fail(s, rc, "migrate", e);
	}
	if (store_prepare(s, "PRAGMA schema_version", &st, e) < 0)
		return -1;
	if (sqlite3_step(st) == SQLITE_ROW)
		schema_version = sqlite3_column_int(st, 0);
	sqlite3_finalize(st);
	if ((rc = sqlite3_exec(s->db, "PRAGMA writable_schema = ON", NULL, NULL, NULL)) != SQLITE_OK)
		return store_fail(s, rc, "migrate", e);
	if (store_prepare(s, "UPDATE sqlite_master SET sql = :sql WHERE type = 'table' AND name = 'log'",
	                  &st, e) < 0) {
		sqlite3_exec(s->db, "PRAGMA writable_schema = OFF", NULL, NULL, NULL);
		return -1;
	}
	sqlite3_bind_text(st, sqlite3_bind_parameter_index(st, ":sql"), want, -1, SQLITE_STATIC);
	rc = sqlite3_step(st);
	sqlite3_finalize(st);
	char *bump = xasprintf("PRAGMA schema_version = %d", schema_version + 1);
	if (rc == SQLITE_DONE)
		rc = sqlite3_exec(s->db, bump, NULL, NULL, NULL);
	free(bump);
	sqlite3_exec(s->db, "PRAGMA writable_schema = OFF", NULL, NULL, NULL);
	if (rc != SQLITE_OK && rc != SQLITE_DONE)
		return store_fail(s, rc, "migrate", e);
	return 0;
}

static int migrate(struct store *s, int from, struct err *e)
{
	if (store_exec_retry(s, "BEGIN IMMEDIATE", "write", e) < 0)
		return -1;
	/* Re-read inside the transaction: another process may have migrated. */
	sqlite3_stmt *st;
	if (store_prepare(s, "PRAGMA user_version", &st, e) < 0) {
		store_rollback(s);
		return -1;
	}
	if (sqlite3_step(st) == SQLITE_ROW)
		from = sqlite3_column_int(st, 0);
	sqlite3_finalize(st);
	if (from > STORE_SCHEMA_VERSION) {
		store_rollback(s);
		return err_set(e, EXIT_DATAERR,
		               "%s was written by a newer consort (schema %d, this one reads up to %d); not touched",
		               s->path, from, STORE_SCHEMA_VERSION);
	}
	int stale = from > 0 && schema_stale(s);
	if (from == STORE_SCHEMA_VERSION && !stale) {
		store_rollback(s);
		return 0;
	}
	if (stale) {
		if (schema_rewrite(s, e) < 0) {
			store_rollback(s);
			return -1;
		}
		from = 1;
	}
	for (int v = from; v < STORE_SCHEMA_VERSION; v++) {
		int rc = sqlite3_exec(s->db, store_migrations[v], NULL, NULL, NULL);
		if (rc != SQLITE_OK) {
			store_fail(s, rc, "migrate", e);
			store_rollback(s);
			return -1;
		}
	}
	char *sql = xasprintf("PRAGMA user_version = %d", STORE_SCHEMA_VERSION);
	int rc = sqlite3_exec(s->db, sql, NULL, NULL, NULL);
	free(sql);
	if (rc != SQLITE_OK) {
		store_fail(s, rc, "migrate", e);
		store_rollback(s);
		return -1;
	}
	return commit(s, "migrate", e);
}

static int open_db(struct store *s, const char *name, int flags, struct err *e)
{
	int rc = sqlite3_open_v2(name, &s->db, flags | SQLITE_OPEN_NOMUTEX, NULL);
	if (rc != SQLITE_OK) {
		store_fail(s, rc, "open", e);
		sqlite3_close(s->db);
		s->db = NULL;
		return -1;
	}
	sqlite3_extended_result_codes(s->db, 1);
	/* A small page cache whose buffers are reused: on a virtual machine a
	 * first touch of a fresh page of memory costs about ten microseconds,
	 * far more than reading a page again from the operating system's cache,
	 * and a command reads each page of the summaries about once. */
	sqlite3_exec(s->db, "PRAGMA cache_size = " STRINGIFY(STORE_CACHE_PAGES), NULL, NULL, NULL);
	s->rng = ((uint64_t)getpid() << 32) ^ (uint64_t)mono_us() ^ (uint64_t)(uintptr_t)s;
	sqlite3_busy_handler(s->db, busy_wait, s);
	return 0;
}

static void close_db(struct store *s)
{
	sqlite3_finalize(s->insert);
	s->insert = NULL;
	if (s->db)
		sqlite3_close(s->db);
	s->db = NULL;
}

/* Opens read-only and checks the schema. When the directory is not
 * writable SQLite cannot create the -shm file a WAL log needs; then the
 * file is read as immutable, which is exact as long as no -wal file holds
 * changes not yet in the main file. */
static int open_read(struct store *s, int *version, struct err *e)
{
	if (open_db(s, s->path, SQLITE_OPEN_READONLY, e) < 0)
		return -1;
	if (check_schema(s, version, e) == 0) {
		s->version = *version;
		return 0;
	}
	int code = e ? e->code : 0;
	close_db(s);
	if (code != EXIT_IOERR && code != EXIT_NOPERM)
		return -1;

	char *dir = dir_of(s->path), *wal = xasprintf("%s-wal", s->path);
	struct stat st;
	int wal_has_data = stat(wal, &st) == 0 && st.st_size > 0;
	int dir_writable = access(dir, W_OK) == 0;
	int r = -1;
	if (dir_writable) {
		/* Not the directory: keep the first error. */
	} else if (wal_has_data) {
		err_set(e, EXIT_NOPERM,
		        "cannot read %s: its directory %s is not writable and %s holds recent changes "
		        "(make the directory writable for the log's group)", s->path, dir, wal);
	} else {
		/* A URI needs '%' '?' '#' escaped. */
		struct sbuf b = {0};
		sbuf_puts(&b, "file:");
		for (const char *c = s->path; *c; c++) {
			if (*c == '%' || *c == '?' || *c == '#')
				sbuf_printf(&b, "%%%02X", (unsigned char)*c);
			else
				sbuf_putc(&b, *c);
		}
		sbuf_puts(&b, "?immutable=1");
		if (open_db(s, sbuf_str(&b), SQLITE_OPEN_READONLY | SQLITE_OPEN_URI, e) == 0) {
			r = check_schema(s, version, e);
			if (r < 0)
				close_db(s);
			else
				s->version = *version;
		}
		sbuf_free(&b);
	}
	free(dir);
	free(wal);
	return r;
}

/* Every commit of a writer is synced before it returns: under NORMAL a
 * WAL commit may roll back after a power loss. */
static int set_wal(struct store *s, struct err *e)
{
	return store_exec_retry(s, "PRAGMA journal_mode=WAL; PRAGMA synchronous=FULL;", "write", e);
}

static int open_create(struct store *s, struct err *e)
{
	int fd = open(s->path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0666);
	if (fd < 0) {
		if (errno == EEXIST)
			return err_set(e, EXIT_IOERR, "%s already exists; refusing to overwrite", s->path);
		if (errno == EACCES || errno == EPERM || errno == EROFS)
			return err_set(e, EXIT_NOPERM, "cannot create %s: %s", s->path, strerror(errno));
		if (errno == ENOENT || errno == ENOTDIR)
			return err_set(e, EXIT_NOINPUT, "cannot create %s: no such directory", s->path);
		return err_set(e, EXIT_IOERR, "cannot create %s: %s", s->path, strerror(errno));
	}
	close(fd);
	if (open_db(s, s->path, SQLITE_OPEN_READWRITE, e) < 0 || set_wal(s, e) < 0 ||
	    migrate(s, 0, e) < 0) {
		close_db(s);
		unlink_all(s->path);
		return -1;
	}
	s->version = STORE_SCHEMA_VERSION;
	return 0;
}

static int open_write(struct store *s, struct err *e)
{
	int version;
	/* Validate through a read-only connection first, so that a file we
	 * refuse is never opened for writing. */
	if (open_read(s, &version, e) < 0)
		return -1;
	close_db(s);
	if (access(s->path, W_OK) != 0)
		return err_set(e, errno == EACCES || errno == EPERM || errno == EROFS ? EXIT_NOPERM : EXIT_IOERR,
		               "cannot write %s: %s", s->path, strerror(errno));
	char *dir = dir_of(s->path);
	if (access(dir, W_OK) != 0) {
		char *wal = xasprintf("%s-wal", s->path), *shm = xasprintf("%s-shm", s->path);
		int ok = access(wal, W_OK) == 0 && access(shm, W_OK) == 0;
		free(wal);
		free(shm);
		if (!ok) {
			err_set(e, EXIT_NOPERM,
			        "cannot write %s: its directory %s is not writable "
			        "(SQLite creates the -wal and -shm files beside the log)", s->path, dir);
			free(dir);
			return -1;
		}
	}
	free(dir);
	if (open_db(s, s->path, SQLITE_OPEN_READWRITE, e) < 0)
		return -1;
	if (set_wal(s, e) < 0)
		return -1;
	if ((version < STORE_SCHEMA_VERSION || schema_stale(s)) && migrate(s, version, e) < 0)
		return -1;
	s->version = STORE_SCHEMA_VERSION;
	return 0;
}

int store_open(const char *path, enum store_mode mode, struct store **out, struct err *e)
{
	*out = NULL;
	struct store *s = xcalloc(1, sizeof *s);
	s->path = xstrdup(path);
	s->readonly = mode == STORE_READ;
	int r;

	struct stat st;
	if (mode == STORE_CREATE) {
		r = open_create(s, e);
	} else if (stat(path, &st) != 0) {
		if (errno == ENOENT || errno == ENOTDIR)
			r = err_set(e, EXIT_NOINPUT, "cannot open %s: no such file", path);
		else if (errno == EACCES)
			r = err_set(e, EXIT_NOPERM, "cannot open %s: permission denied", path);
		else
			r = err_set(e, EXIT_IOERR, "cannot open %s: %s", path, strerror(errno));
	} else if (!S_ISREG(st.st_mode)) {
		r = err_set(e, EXIT_NOINPUT, "cannot open %s: not a regular file", path);
	} else if ((r = check_magic(path, e)) == 0) {
		r = err_set(e, EXIT_DATAERR, "%s is not a consort log (an empty file)", path);
	} else if (r > 0) {
		int version;
		r = mode == STORE_READ ? open_read(s, &version, e) : open_write(s, e);
	}
	/* The file as the path names it now that SQLite holds it open. */
	if (r == 0 && stat(path, &st) == 0) {
		s->dev = st.st_dev;
		s->ino = st.st_ino;
	}
	if (r < 0) {
		store_close(s);
		return -1;
	}
	*out = s;
	return 0;
}

bool store_replaced(const struct store *s)
{
	struct stat st;
	return stat(s->path, &st) != 0 || st.st_dev != s->dev || st.st_ino != s->ino;
}

int store_reopen(struct store *s, struct err *e)
{
	struct store *n;
	if (store_open(s->path, s->readonly ? STORE_READ : STORE_WRITE, &n, e) < 0)
		return -1;
	struct store old = *s;
	*s = *n;
	*n = old;
	store_close(n);
	return 0;
}

/* A write into a file the path no longer names would be acknowledged and
 * seen by nobody: refuse it. */
static int refuse_replaced(struct store *s, struct err *e)
{
	if (!store_replaced(s))
		return 0;
	return err_set(e, EXIT_IOERR,
	               "%s was replaced (moved over, removed or recreated) since it was opened; "
	               "nothing was written: open it again", s->path);
}

void store_close(struct store *s)
{
	if (!s)
		return;
	close_db(s);
	if (s->tmpdir)
		store_tmp_remove(s);
	free(s->path);
	free(s);
}

int store_bulk_load(struct store *s, int cache_mib, struct err *e)
{
	if (s->readonly)
		return err_set(e, EXIT_NOPERM, "%s is open read-only", s->path);
	if (cache_mib < 2)
		cache_mib = 2;
	char *sql = xasprintf("PRAGMA synchronous=OFF; PRAGMA temp_store=MEMORY;"
	                      " PRAGMA cache_size=-%ld;",
	                      (long)cache_mib * 1024);
	int r = store_exec_retry(s, sql, "write", e);
	free(sql);
	return r;
}

const char *store_path(const struct store *s)
{
	return s ? s->path : NULL;
}

/* ---- appending ------------------------------------------------------- */

void store_bind_text(sqlite3_stmt *st, int i, const char *v)
{
	if (v)
		sqlite3_bind_text(st, i, v, -1, SQLITE_TRANSIENT);
	else
		sqlite3_bind_null(st, i);
}

void store_bind_named(sqlite3_stmt *st, const char *name, const char *v, int n)
{
	int i = sqlite3_bind_parameter_index(st, name);
	if (i > 0 && v)
		sqlite3_bind_text(st, i, v, n, SQLITE_TRANSIENT);
	else if (i > 0)
		sqlite3_bind_null(st, i);
}

/* Inside the append's transaction (the write lock is held, so no other
 * process can slip in between): the entry a revert names exists, is not
 * itself a revert, and has not been reverted already. Checked here as well
 * as in the write path, so two partners reverting the same entry at once
 * cannot both succeed. */
static int revert_allowed(struct store *s, const char *value, struct err *e)
{
	sqlite3_stmt *st;
	int64_t id = 0;
	if (value)
		for (const char *c = value; *c >= '0' && *c <= '9' && id < INT64_MAX / 10; c++)
			id = id * 10 + (*c - '0');
	if (store_prepare(s, "SELECT kind, (SELECT id FROM log r WHERE r.kind = 'revert' AND r.value = ?1 LIMIT 1)"
	               " FROM log WHERE id = ?2", &st, e) < 0)
		return -1;
	sqlite3_bind_text(st, 1, value ? value : "", -1, SQLITE_TRANSIENT);
	sqlite3_bind_int64(st, 2, id);
	int rc = sqlite3_step(st), ok = -1;
	if (rc == SQLITE_ROW) {
		const unsigned char *k = sqlite3_column_text(st, 0);
		int64_t by = sqlite3_column_int64(st, 1);
		if (k && strcmp((const char *)k, "revert") == 0)
			err_set(e, EXIT_DATAERR, "entry #%lld is itself a revert; it cannot be reverted",
			        (long long)id);
		else if (k && strcmp((const char *)k, "plan") == 0)
			err_set(e, EXIT_DATAERR, "entry #%lld is a plan version; amend the plan instead",
			        (long long)id);
		else if (by)
			err_set(e, EXIT_DATAERR, "entry #%lld was already reverted by #%lld",
			        (long long)id, (long long)by);
		else
			ok = 0;
	} else if (rc == SQLITE_DONE) {
		err_set(e, EXIT_DATAERR, "no entry #%lld", (long long)id);
	} else {
		store_fail(s, rc, "write", e);
	}
	sqlite3_finalize(st);
	return ok;
}

int store_append(struct store *s, const struct new_entry *v, size_t n,
                 int64_t *first_id, struct err *e)
{
	if (s->readonly)
		return err_set(e, EXIT_NOPERM, "%s is open read-only", s->path);
	if (n == 0)
		return err_set(e, EXIT_SOFTWARE, "nothing to append");
	if (!s->insert &&
	    store_prepare(s, "INSERT INTO log (recorded_at, effective, login, uid, partner, item, kind, value, note)"
	               " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)", &s->insert, e) < 0)
		return -1;
	sqlite3_stmt *st = s->insert;
	if (refuse_replaced(s, e) < 0 || store_exec_retry(s, "BEGIN IMMEDIATE", "write", e) < 0)
		return -1;
	int64_t now = date_now_ms(), first = 0;
	for (size_t i = 0; i < n; i++) {
		if (v[i].kind && strcmp(v[i].kind, "revert") == 0 &&
		    revert_allowed(s, v[i].value, e) < 0) {
			sqlite3_reset(st);
			store_rollback(s);
			return -1;
		}
		char eff[16];
		date_format(v[i].effective, eff);
		sqlite3_reset(st);
		sqlite3_bind_int64(st, 1, now);
		sqlite3_bind_text(st, 2, eff, -1, SQLITE_TRANSIENT);
		store_bind_text(st, 3, v[i].login ? v[i].login : "");
		sqlite3_bind_int64(st, 4, v[i].uid);
		store_bind_text(st, 5, v[i].partner);
		store_bind_text(st, 6, v[i].item);
		store_bind_text(st, 7, v[i].kind);
		store_bind_text(st, 8, v[i].value);
		store_bind_text(st, 9, v[i].note);
		int rc = sqlite3_step(st);
		if (rc != SQLITE_DONE) {
			store_fail(s, rc, "write", e);
			sqlite3_reset(st);
			store_rollback(s);
			return -1;
		}
		if (i == 0)
			first = sqlite3_last_insert_rowid(s->db);
	}
	sqlite3_reset(st);
	sqlite3_clear_bindings(st);
	if (s->attach && s->attach(s, first, e) < 0) {
		store_rollback(s);
		return -1;
	}
	/* Once more under the write lock, just before the commit. */
	if (refuse_replaced(s, e) < 0) {
		store_rollback(s);
		return -1;
	}
	if (commit(s, "write", e) < 0)
		return -1;
	if (first_id)
		*first_id = first;
	return 0;
}

/* ---- reading entries ------------------------------------------------- */

#define ENTRY_COLUMNS \
	"l.id, l.recorded_at, l.effective, l.login, l.uid, l.partner, l.item, l.kind, l.value, l.note," \
	" COALESCE((SELECT MIN(r.id) FROM log r INDEXED BY log_revert WHERE r.kind = 'revert'" \
	" AND r.value = CAST(l.id AS TEXT)), 0)"

char *store_col_dup(sqlite3_stmt *st, int i)
{
	const unsigned char *t = sqlite3_column_text(st, i);
	if (!t)
		return NULL;
	return xstrndup((const char *)t, (size_t)sqlite3_column_bytes(st, i));
}

static void entry_read(sqlite3_stmt *st, struct entry *en)
{
	memset(en, 0, sizeof *en);
	en->id = sqlite3_column_int64(st, 0);
	en->recorded_at = sqlite3_column_int64(st, 1);
	const unsigned char *eff = sqlite3_column_text(st, 2);
	snprintf(en->effective, sizeof en->effective, "%s", eff ? (const char *)eff : "");
	en->login = store_col_dup(st, 3);
	en->uid = (long)sqlite3_column_int64(st, 4);
	en->partner = store_col_dup(st, 5);
	en->item = store_col_dup(st, 6);
	en->kind = store_col_dup(st, 7);
	en->value = store_col_dup(st, 8);
	en->note = store_col_dup(st, 9);
	en->reverted_by = sqlite3_column_int64(st, 10);
}

void entry_clear(struct entry *en)
{
	if (!en)
		return;
	free(en->login);
	free(en->partner);
	free(en->item);
	free(en->kind);
	free(en->value);
	free(en->note);
	memset(en, 0, sizeof *en);
}

void entries_free(struct entry *v, size_t n)
{
	if (!v)
		return;
	for (size_t i = 0; i < n; i++)
		entry_clear(&v[i]);
	free(v);
}

int store_entries(struct store *s, const struct entry_filter *f,
                  struct entry **out, size_t *n, struct err *e)
{
	*out = NULL;
	*n = 0;
	struct sbuf q = {0};
	char since[16], until[16];
	sbuf_puts(&q, "SELECT " ENTRY_COLUMNS " FROM log l WHERE 1");
	if (f && f->item)
		sbuf_puts(&q, " AND l.item = ?1");
	if (f && f->partner)
		sbuf_puts(&q, " AND l.partner = ?2");
	if (f && f->by)
		sbuf_puts(&q, " AND l.login = ?3");
	if (f && f->since != CDATE_NONE)
		sbuf_puts(&q, " AND l.effective >= ?4");
	if (f && f->until != CDATE_NONE)
		sbuf_puts(&q, " AND l.effective <= ?5");
	sbuf_puts(&q, " ORDER BY l.id DESC");
	if (f && f->limit)
		sbuf_puts(&q, " LIMIT ?6");

	sqlite3_stmt *st;
	int r = store_prepare(s, sbuf_str(&q), &st, e);
	sbuf_free(&q);
	if (r < 0)
		return -1;
	if (f) {
		if (f->item)
			sqlite3_bind_text(st, 1, f->item, -1, SQLITE_TRANSIENT);
		if (f->partner)
			sqlite3_bind_text(st, 2, f->partner, -1, SQLITE_TRANSIENT);
		if (f->by)
			sqlite3_bind_text(st, 3, f->by, -1, SQLITE_TRANSIENT);
		if (f->since != CDATE_NONE)
			sqlite3_bind_text(st, 4, date_format(f->since, since), -1, SQLITE_TRANSIENT);
		if (f->until != CDATE_NONE)
			sqlite3_bind_text(st, 5, date_format(f->until, until), -1, SQLITE_TRANSIENT);
		if (f->limit)
			sqlite3_bind_int64(st, 6, f->limit > INT64_MAX ? INT64_MAX : (sqlite3_int64)f->limit);
	}

	struct entry *v = NULL;
	size_t cap = 0, cnt = 0;
	int rc;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		xgrow(&v, &cap, cnt + 1, sizeof *v);
		entry_read(st, &v[cnt++]);
	}
	sqlite3_finalize(st);
	if (rc != SQLITE_DONE) {
		entries_free(v, cnt);
		return store_fail(s, rc, "read", e);
	}
	*out = v;
	*n = cnt;
	return 0;
}

int store_entry(struct store *s, int64_t id, struct entry *out, struct err *e)
{
	memset(out, 0, sizeof *out);
	sqlite3_stmt *st;
	if (store_prepare(s, "SELECT " ENTRY_COLUMNS " FROM log l WHERE l.id = ?1", &st, e) < 0)
		return -1;
	sqlite3_bind_int64(st, 1, id);
	int rc = sqlite3_step(st);
	if (rc == SQLITE_ROW) {
		entry_read(st, out);
		sqlite3_finalize(st);
		return 0;
	}
	sqlite3_finalize(st);
	if (rc == SQLITE_DONE)
		return err_set(e, EXIT_DATAERR, "no entry %lld", (long long)id);
	return store_fail(s, rc, "read", e);
}

/* ---- summary, version, meta ------------------------------------------ */

static int summary(struct store *s, int64_t *entries, int64_t *last, struct err *e)
{
	sqlite3_stmt *st;
	/* Schema 2 counts in log_stats: COUNT(*) would read the whole log. */
	const char *sql = s->version >= 2
		? "SELECT entries, last_recorded FROM log_stats"
		: "SELECT (SELECT COUNT(*) FROM log),"
		  " COALESCE((SELECT recorded_at FROM log ORDER BY id DESC LIMIT 1), 0)";
	if (store_prepare(s, sql, &st, e) < 0)
		return -1;
	int rc = sqlite3_step(st);
	if (rc == SQLITE_DONE) {
		/* log_stats lost its row: nobody writes it but the triggers. */
		sqlite3_finalize(st);
		return err_set(e, EXIT_DATAERR, "%s is damaged (log_stats is empty)", s->path);
	}
	if (rc != SQLITE_ROW) {
		sqlite3_finalize(st);
		return store_fail(s, rc, "read", e);
	}
	if (entries)
		*entries = sqlite3_column_int64(st, 0);
	if (last)
		*last = sqlite3_column_int64(st, 1);
	sqlite3_finalize(st);
	return 0;
}

int store_summary(struct store *s, int64_t *entries, int64_t *last_recorded_ms, struct err *e)
{
	return summary(s, entries, last_recorded_ms, e);
}

/* PRAGMA data_version changes when another connection commits; commits
 * through this connection are counted beside it, so the sum changes on
 * any commit to the file. */
int store_data_version(struct store *s, int64_t *v, struct err *e)
{
	sqlite3_stmt *st;
	if (store_prepare(s, "PRAGMA data_version", &st, e) < 0)
		return -1;
	int rc = sqlite3_step(st);
	if (rc != SQLITE_ROW) {
		sqlite3_finalize(st);
		return store_fail(s, rc, "read", e);
	}
	*v = sqlite3_column_int64(st, 0) + s->own_commits;
	sqlite3_finalize(st);
	return 0;
}

int store_meta_get(struct store *s, const char *key, char **value, struct err *e)
{
	*value = NULL;
	sqlite3_stmt *st;
	if (store_prepare(s, "SELECT value FROM meta WHERE key = ?1", &st, e) < 0)
		return -1;
	sqlite3_bind_text(st, 1, key, -1, SQLITE_TRANSIENT);
	int rc = sqlite3_step(st);
	if (rc == SQLITE_ROW)
		*value = store_col_dup(st, 0);
	sqlite3_finalize(st);
	if (rc != SQLITE_ROW && rc != SQLITE_DONE)
		return store_fail(s, rc, "read", e);
	return 0;
}

int store_meta_set(struct store *s, const char *key, const char *value, struct err *e)
{
	if (s->readonly)
		return err_set(e, EXIT_NOPERM, "%s is open read-only", s->path);
	sqlite3_stmt *st;
	if (store_prepare(s, "INSERT OR REPLACE INTO meta (key, value) VALUES (?1, ?2)", &st, e) < 0)
		return -1;
	if (store_exec_retry(s, "BEGIN IMMEDIATE", "write", e) < 0) {
		sqlite3_finalize(st);
		return -1;
	}
	sqlite3_bind_text(st, 1, key, -1, SQLITE_TRANSIENT);
	store_bind_text(st, 2, value);
	int rc = sqlite3_step(st);
	sqlite3_finalize(st);
	if (rc != SQLITE_DONE) {
		store_fail(s, rc, "write", e);
		store_rollback(s);
		return -1;
	}
	return commit(s, "write", e);
}

