/* store: the progress log in one SQLite file (WAL mode).
 *
 * Promises: a file it refuses (not SQLite, a foreign schema, a newer schema
 * version) is never modified; every append is one BEGIN IMMEDIATE
 * transaction, all or nothing; "database is locked" never reaches the user
 * (writers queue behind each other on a kernel lock, then wait for
 * SQLite's in short randomised sleeps, up to STORE_BUSY_TIMEOUT_MS in all,
 * then fail with 69); an acknowledged append is on disk: it survives a
 * crash of the process and a power cut (WAL, synchronous=FULL: every
 * commit waits for the WAL's fsync; only store_bulk_load relaxes that,
 * for bench/generate); the log is
 * append-only (triggers refuse UPDATE and DELETE); every query uses bound
 * parameters; store_facts reads small derived tables that the append
 * keeps current (store_steps.c; the log's triggers did until schema 14):
 * schema 2, schema 3 adds per-partner reach totals, schema 4 the change
 * of each target's total per month; it seeks through indexes for the
 * rest, so its cost grows little with the length of the log (except for
 * what the reverts touch: the summaries ignore them, so the reverts are
 * read and the items, pairs and cells they undo entries of are read from
 * their months or entries), and it never reads the log into memory (a schema 1 log
 * opened read-only is still read, by aggregating over it). All SQL of the program lives in the store's files: this one
 * opens, migrates, appends and reads entries; store_schema.c holds the
 * schema, store_facts.c the facts, store_reach.c the reach totals, and
 * store_int.h what they share. */
#include "config.h"
#include "core/store.h"

#include <errno.h>
#include <fcntl.h>
#include <dirent.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <signal.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <sys/time.h>
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
		s->busy_since = s->queued_at ? s->queued_at : now; /* the queue's wait counts */
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
	int64_t deadline = (s->queued_at ? s->queued_at : mono_us()) + (int64_t)STORE_BUSY_TIMEOUT_MS * 1000;
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
	/* It wrote: closing may now checkpoint, as a writer's does. */
	if (s->ckpt_deferred) {
		sqlite3_db_config(s->db, SQLITE_DBCONFIG_NO_CKPT_ON_CLOSE, 0, (int *)NULL);
		s->ckpt_deferred = 0;
	}
	return 0;
}

/* ---- the writers' queue -------------------------------------------- */

/* Writers waiting for SQLite's write lock poll it (busy_wait): between
 * two tries a waiter sleeps, the lock is free while every waiter sleeps,
 * and each try costs system calls; eight writers spent more time in the
 * kernel than writing. Writers of this program first queue on a lock of
 * the kernel's, which wakes the next one as soon as the one before
 * leaves: flock on a descriptor of their own of the -wal, a file SQLite
 * takes no lock on (a POSIX lock on the log or its -shm would be dropped
 * with SQLite's own when the descriptor closes). It only orders them:
 * SQLite's lock still decides, and a writer that cannot queue (no -wal,
 * not readable) goes straight to it. The wait in the queue counts in the
 * busy timeout, and it is cut short at STORE_QUEUE_WAIT_MS: a ring of
 * SIGALRM then, and every 10 ms after it, ends the wait, and the writer
 * goes to SQLite's lock for the rest of the busy timeout, so that a writer
 * stopped in its transaction makes the others fail in time (69) as
 * before, not hang, and a partner who holds the queue's lock alone (any
 * reader of the -wal may take it) delays each write by that second at
 * most, never stops it. Eight writers in turn wait some milliseconds. */
static void queue_open(struct store *s)
{
	if (s->queue_fd1 || s->readonly)
		return;
	char *wal = xasprintf("%s-wal", s->path);
	int fd = open(wal, O_RDONLY | O_CLOEXEC | O_NOFOLLOW | O_NOCTTY | O_NONBLOCK);
	free(wal);
	struct stat st;
	if (fd >= 0 && fstat(fd, &st) == 0 && S_ISREG(st.st_mode))
		s->queue_fd1 = fd + 1;
	else if (fd >= 0)
		close(fd);
}

static void queue_ring(int sig)
{
	(void)sig;
}

/* Waits for the queue's lock for STORE_QUEUE_WAIT_MS from s->queued_at. */
static void queue_wait(struct store *s, int fd)
{
	int64_t limit = (int64_t)STORE_QUEUE_WAIT_MS * 1000, left = s->queued_at + limit - mono_us();
	if (left <= 0)
		return;
	struct sigaction sa, old;
	memset(&sa, 0, sizeof sa);
	sa.sa_handler = queue_ring; /* no SA_RESTART: flock returns EINTR */
	sigemptyset(&sa.sa_mask);
	struct itimerval ring = {{0, 10000}, {(time_t)(left / 1000000), (suseconds_t)(left % 1000000)}}, none;
	memset(&none, 0, sizeof none);
	if (sigaction(SIGALRM, &sa, &old) != 0)
		return;
	if (setitimer(ITIMER_REAL, &ring, NULL) == 0) {
		while (flock(fd, LOCK_EX) != 0 && errno == EINTR && mono_us() - s->queued_at < limit)
			;
		/* Disarmed before the handler goes: a ring already due is
		 * delivered as setitimer returns, to queue_ring. */
		setitimer(ITIMER_REAL, &none, NULL);
	}
	sigaction(SIGALRM, &old, NULL);
}

/* Takes the queue's lock for a write, or waits for it until the busy
 * timeout. */
static void queue_enter(struct store *s)
{
	s->queued_at = mono_us();
	if (!s->queue_fd1)
		queue_open(s);
	if (!s->queue_fd1)
		return;
	int fd = s->queue_fd1 - 1;
	if (flock(fd, LOCK_EX | LOCK_NB) == 0)
		return;
	if (errno == EWOULDBLOCK || errno == EINTR)
		queue_wait(s, fd);
}

static void queue_leave(struct store *s)
{
	s->queued_at = 0;
	if (s->queue_fd1)
		flock(s->queue_fd1 - 1, LOCK_UN);
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

/* SQLite's POSIX locks on a file are the whole process's, and closing any
 * descriptor of the file drops every one of them (fcntl(2)): a second
 * store opened on a log this process already holds, its header read by
 * open() and close(), left the first connection without its shared lock,
 * and another process closing its own connection then took itself for
 * the last one and checkpointed and cut the -wal under the first. So a
 * descriptor this file opens on a log or its -wal or -shm, once SQLite
 * may hold that file, is never closed: it is kept, one per file, and
 * given again to whoever asks for the same file (read with pread, its
 * offset is no one's). extra: more open flags (O_NOFOLLOW); the
 * descriptor is read-only and opened without blocking (a FIFO put in
 * the log's place does not hang the open). -1 with errno when it cannot be opened.
 * A file's is closed once no connection of this process is on that file
 * (conns, kept_sweep), so that a command's descriptors, or a replaced
 * log's, do not outlast the connections. */
static struct kept_fd {
	dev_t dev;
	ino_t ino;
	int fd;
	int shared;     /* given again to whoever asks (not one opened with the group's right) */
} *kept;
static size_t nkept, capkept;

/* The file of each connection open in this process (one entry each; a
 * connection whose close failed stays, so that its file's locks do). */
static struct conn_file {
	dev_t dev;
	ino_t ino;
} *conns;
static size_t nconns, capconns;

static void conn_add(dev_t dev, ino_t ino)
{
	xgrow(&conns, &capconns, nconns + 1, sizeof *conns);
	conns[nconns++] = (struct conn_file){dev, ino};
}

static void conn_del(dev_t dev, ino_t ino)
{
	for (size_t i = 0; i < nconns; i++)
		if (conns[i].dev == dev && conns[i].ino == ino) {
			conns[i] = conns[--nconns];
			return;
		}
}

static void kept_sweep(void)
{
	size_t k = 0;
	for (size_t i = 0; i < nkept; i++) {
		int used = 0;
		for (size_t c = 0; c < nconns && !used; c++)
			used = conns[c].dev == kept[i].dev && conns[c].ino == kept[i].ino;
		if (used)
			kept[k++] = kept[i];
		else
			close(kept[i].fd);
	}
	nkept = k;
	if (nkept == 0) {
		free(kept);
		kept = NULL;
		capkept = 0;
	}
}

static int kept_find(const struct stat *st)
{
	for (size_t i = 0; i < nkept; i++)
		if (kept[i].shared && kept[i].dev == st->st_dev && kept[i].ino == st->st_ino)
			return kept[i].fd;
	return -1;
}

static void kept_add(int fd, int shared)
{
	struct stat st;
	if (fstat(fd, &st) != 0)
		st.st_dev = 0, st.st_ino = 0;
	xgrow(&kept, &capkept, nkept + 1, sizeof *kept);
	kept[nkept++] = (struct kept_fd){st.st_dev, st.st_ino, fd, shared};
}

/* shared: 0 for a descriptor opened with the group's right, which no
 * one is given again once the right is dropped. */
static int kept_open(const char *path, int extra, int shared)
{
	struct stat st;
	int fd;
	if (shared && ((extra & O_NOFOLLOW) ? lstat(path, &st) : stat(path, &st)) == 0 &&
	    (fd = kept_find(&st)) >= 0)
		return fd;
	fd = open(path, O_RDONLY | O_CLOEXEC | O_NOCTTY | O_NONBLOCK | extra);
	if (fd >= 0)
		kept_add(fd, shared);
	return fd;
}

/* Reads the first bytes: 1 when it starts like SQLite, 0 when it is empty,
 * -1 (with e) when it is something else or unreadable. */
static int check_magic(const char *path, struct err *e)
{
	static const char magic[16] = "SQLite format 3";
	char buf[16];
	int fd = kept_open(path, 0, 1);
	if (fd < 0) {
		if (errno == EACCES || errno == EPERM)
			return err_set(e, EXIT_NOPERM, "cannot read %s: permission denied", path);
		if (errno == ENOENT)
			return err_set(e, EXIT_NOINPUT, "cannot open %s: no such file", path);
		return err_set(e, EXIT_IOERR, "cannot read %s: %s", path, strerror(errno));
	}
	ssize_t n;
	do
		n = pread(fd, buf, sizeof buf, 0);
	while (n < 0 && errno == EINTR);
	int saved = errno;
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
		int rc = store_migrate_step(s->db, v);
		if (rc != SQLITE_OK) {
			store_fail(s, rc, "migrate", e);
			store_rollback(s);
			return -1;
		}
	}
	/* Schema 5: the entries already there are chained now. */
	if (store_chain_backfill(s, e) < 0) {
		store_rollback(s);
		return -1;
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

/* The -wal and -shm files stay when the last connection closes: on a
 * shared server they are made once, with the log's owner and group, and a
 * partner's consort (setgid, see priv.c) must find them there, not create
 * files of its own, and partners read them with sqlite3 -readonly. */
static void persist_wal(sqlite3 *db)
{
	int one = 1;
	sqlite3_file_control(db, "main", SQLITE_FCNTL_PERSIST_WAL, &one);
	/* With a size limit SQLite empties the -wal when the last connection
	 * closes, so that no old frames wait there for a file moved over the
	 * log; the limit itself is above what a checkpoint leaves. */
	sqlite3_exec(db, "PRAGMA journal_size_limit = 67108864", NULL, NULL, NULL);
}

static void setup_db(struct store *s)
{
	sqlite3_extended_result_codes(s->db, 1);
	persist_wal(s->db);
	/* A small page cache whose buffers are reused: on a virtual machine a
	 * first touch of a fresh page of memory costs about ten microseconds,
	 * far more than reading a page again from the operating system's cache,
	 * and a command reads each page of the summaries about once. */
	sqlite3_exec(s->db, "PRAGMA cache_size = " STRINGIFY(STORE_CACHE_PAGES), NULL, NULL, NULL);
	s->rng = ((uint64_t)getpid() << 32) ^ (uint64_t)mono_us() ^ (uint64_t)(uintptr_t)s;
	sqlite3_busy_handler(s->db, busy_wait, s);
}

/* Before SQLite's first use: one thread (no locks around its every
 * call), no memory statistics (no lock around every allocation) and its
 * small allocations from lists by size (store_mem.c). */
static void sqlite_config_once(void)
{
	static int done;
	if (done++)
		return;
	sqlite3_config(SQLITE_CONFIG_SINGLETHREAD);
	sqlite3_config(SQLITE_CONFIG_MEMSTATUS, 0);
	store_mem_config();
}

static int open_db(struct store *s, const char *name, int flags, struct err *e)
{
	sqlite_config_once();
	int rc = sqlite3_open_v2(name, &s->db, flags | SQLITE_OPEN_NOMUTEX, NULL);
	if (rc != SQLITE_OK) {
		store_fail(s, rc, "open", e);
		sqlite3_close(s->db);
		s->db = NULL;
		return -1;
	}
	/* The file the path names now: SQLite's, bar a replacement in
	 * between (which the store finds out: store_replaced). */
	struct stat st;
	if (stat(s->path, &st) != 0)
		st.st_dev = 0, st.st_ino = 0;
	s->conn_dev = st.st_dev;
	s->conn_ino = st.st_ino;
	s->conn_on = 1;
	conn_add(st.st_dev, st.st_ino);
	setup_db(s);
	return 0;
}

static void close_db(struct store *s)
{
	sqlite3_finalize(s->insert);
	s->insert = NULL;
	store_steps_finalize(s);
	sqlite3_finalize(s->chain_prev);
	sqlite3_finalize(s->chain_read);
	sqlite3_finalize(s->chain_insert);
	s->chain_prev = s->chain_read = s->chain_insert = NULL;
	if (s->db && sqlite3_close(s->db) == SQLITE_OK && s->conn_on)
		conn_del(s->conn_dev, s->conn_ino);
	s->conn_on = 0;
	s->db = NULL;
	if (s->queue_fd1)
		close(s->queue_fd1 - 1);
	s->queue_fd1 = 0;
	kept_sweep();
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

/* Gives a companion SQLite made beside a new shared log the log's group
 * and mode, on its descriptor (it must be a regular file, not a link). */
static int share_companion(struct store *s, const char *sfx, gid_t gid, struct err *e)
{
	char *p = xasprintf("%s%s", s->path, sfx);
	int fd = kept_open(p, O_NOFOLLOW, 1);
	struct stat st;
	int r = 0;
	if (fd < 0 || fstat(fd, &st) != 0 || !S_ISREG(st.st_mode) || st.st_nlink != 1 ||
	    fchown(fd, (uid_t)-1, gid) != 0 || fchmod(fd, 0664) != 0)
		r = err_set(e, EXIT_IOERR, "cannot share %s: %s", p, strerror(errno ? errno : EINVAL));
	free(p);
	return r;
}

/* The new file is made here, never followed through a link and never
 * taken over (O_EXCL); SQLite then opens it by its path, and the file it
 * opened must be this one. With gid >= 0 (a shared log) the file, and then
 * the -wal and -shm SQLite makes, get that group and mode 0664 on their
 * descriptors. */
static int open_create(struct store *s, long gid, struct err *e)
{
	static const char *const sfx[] = {"-wal", "-shm", "-journal"};
	struct stat old;
	if (lstat(s->path, &old) == 0)
		return err_set(e, EXIT_IOERR, "%s already exists; refusing to overwrite", s->path);
	for (size_t i = 0; i < sizeof sfx / sizeof sfx[0]; i++) {
		char *p = xasprintf("%s%s", s->path, sfx[i]);
		struct stat st;
		int there = lstat(p, &st) == 0;
		free(p);
		if (there)
			return err_set(e, EXIT_IOERR, "%s%s already exists (left by another log?); refusing "
			               "to create %s beside it", s->path, sfx[i], s->path);
	}
	int fd = open(s->path, O_RDWR | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, gid >= 0 ? 0600 : 0666);
	if (fd < 0) {
		if (errno == EEXIST)
			return err_set(e, EXIT_IOERR, "%s already exists; refusing to overwrite", s->path);
		if (errno == EACCES || errno == EPERM || errno == EROFS)
			return err_set(e, EXIT_NOPERM, "cannot create %s: %s", s->path, strerror(errno));
		if (errno == ENOENT || errno == ENOTDIR)
			return err_set(e, EXIT_NOINPUT, "cannot create %s: no such directory", s->path);
		return err_set(e, EXIT_IOERR, "cannot create %s: %s", s->path, strerror(errno));
	}
	struct stat mine, now;
	int r = fstat(fd, &mine);
	if (r == 0 && gid >= 0 && (fchown(fd, (uid_t)-1, (gid_t)gid) != 0 || fchmod(fd, 0664) != 0)) {
		err_set(e, errno == EPERM ? EXIT_NOPERM : EXIT_IOERR, "cannot give %s its group: %s%s", s->path,
		        strerror(errno), errno == EPERM ? " (you must be root or in the group)" : "");
		r = -1;
	} else if (r != 0) {
		err_set(e, EXIT_IOERR, "cannot create %s: %s", s->path, strerror(errno));
	}
	int ours = r == 0;
	if (r == 0 && open_db(s, s->path, SQLITE_OPEN_READWRITE, e) < 0)
		r = -1;
	if (r == 0 && (stat(s->path, &now) != 0 || now.st_dev != mine.st_dev || now.st_ino != mine.st_ino))
		r = err_set(e, EXIT_IOERR, "%s was replaced while it was created; nothing was written", s->path);
	if (r == 0 && (set_wal(s, e) < 0 || migrate(s, 0, e) < 0))
		r = -1;
	if (r == 0 && gid >= 0 &&
	    (share_companion(s, "-wal", (gid_t)gid, e) < 0 || share_companion(s, "-shm", (gid_t)gid, e) < 0))
		r = -1;
	kept_add(fd, 1); /* SQLite holds the file now: see kept_open */
	if (r < 0) {
		close_db(s);
		/* Only what is still ours: the path may name another file now. */
		if (ours && stat(s->path, &now) == 0 && now.st_dev == mine.st_dev && now.st_ino == mine.st_ino)
			unlink_all(s->path);
		return -1;
	}
	s->version = STORE_SCHEMA_VERSION;
	return 0;
}

/* Is the log ready to be opened for writing with nothing to do first: in
 * WAL mode (bytes 18 and 19 of its header are 2: the main file's header
 * says so once the switch has committed), its -wal and -shm there and
 * writable by us, and no rollback journal beside it (nothing for SQLite
 * to roll back when it opens)? */
static int wal_ready(const char *path)
{
	unsigned char h[20];
	int fd = kept_open(path, 0, 1);
	if (fd < 0)
		return 0;
	ssize_t n;
	do
		n = pread(fd, h, sizeof h, 0);
	while (n < 0 && errno == EINTR);
	if (n != (ssize_t)sizeof h || h[18] != 2 || h[19] != 2)
		return 0;
	char *wal = xasprintf("%s-wal", path), *shm = xasprintf("%s-shm", path),
	     *jr = xasprintf("%s-journal", path);
	struct stat st;
	int ok = access(path, W_OK) == 0 && stat(wal, &st) == 0 && S_ISREG(st.st_mode) &&
	         access(wal, W_OK) == 0 && stat(shm, &st) == 0 && S_ISREG(st.st_mode) &&
	         access(shm, W_OK) == 0 && lstat(jr, &st) != 0 && errno == ENOENT;
	free(wal);
	free(shm);
	free(jr);
	return ok;
}

/* Opens read-write, in one connection, a log that needs nothing done
 * before it is written: in WAL mode (wal_ready), of this schema version
 * and in the schema files' text. The connection does not checkpoint when
 * it closes, and SQLite writes nothing else while it reads a WAL log, so
 * that a log found otherwise here is left exactly as it was: then it is
 * closed and 0 returned, for the long way (open_read first). 1 when open,
 * with the checkpoint on close still deferred. */
static int open_current(struct store *s)
{
	int version;
	struct err ignored = {0};
	if (!wal_ready(s->path) || open_db(s, s->path, SQLITE_OPEN_READWRITE, &ignored) < 0)
		return 0;
	sqlite3_db_config(s->db, SQLITE_DBCONFIG_NO_CKPT_ON_CLOSE, 1, (int *)NULL);
	s->ckpt_deferred = 1;
	int ok = 0;
	if (sqlite3_db_readonly(s->db, "main") == 0 && check_schema(s, &version, &ignored) == 0 &&
	    version == STORE_SCHEMA_VERSION && !schema_stale(s)) {
		sqlite3_stmt *st;
		if (sqlite3_prepare_v2(s->db, "PRAGMA journal_mode", -1, &st, NULL) == SQLITE_OK) {
			const unsigned char *m = sqlite3_step(st) == SQLITE_ROW ? sqlite3_column_text(st, 0) : NULL;
			ok = m && strcmp((const char *)m, "wal") == 0;
			sqlite3_finalize(st);
		}
	}
	/* Every commit is synced before it returns (set_wal). */
	if (ok && sqlite3_exec(s->db, "PRAGMA synchronous=FULL", NULL, NULL, NULL) != SQLITE_OK)
		ok = 0;
	if (!ok) {
		close_db(s);
		s->ckpt_deferred = 0;
		return 0;
	}
	s->version = STORE_SCHEMA_VERSION;
	return 1;
}

static int open_write(struct store *s, struct err *e)
{
	int version;
	/* A log of this schema in WAL mode: one connection, checked before it
	 * may write anything (open_current). */
	if (open_current(s)) {
		sqlite3_db_config(s->db, SQLITE_DBCONFIG_NO_CKPT_ON_CLOSE, 0, (int *)NULL);
		s->ckpt_deferred = 0;
		return 0;
	}
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

/* ---- the held connection (setgid, see priv.c) ------------------------ */

static struct {
	sqlite3 *db;        /* opened with the log group's right, not yet taken */
	char *path;         /* the path it was opened for (or refused for) */
	dev_t dev;          /* the file it opened */
	ino_t ino;
	struct err why;     /* when nothing is held: why (a write is refused so) */
} held;

/* A companion (-wal, -shm) SQLite would open with the group's right must
 * be the log's own: a file a partner made or owns would be his to change.
 * 0 when it is (*st: it), 1 when it is missing, -1 when it is another's. */
static int companion_ok(const char *path, const char *sfx, const struct stat *log, struct stat *st,
                        struct err *e)
{
	char *p = xasprintf("%s%s", path, sfx);
	int r = 0;
	if (lstat(p, st) != 0) {
		err_set(e, EXIT_NOPERM, "cannot write %s: %s is missing (the log's owner makes it "
		        "again by opening the log once, e.g. consort --db %s status)", path, p, path);
		r = 1;
	}
	else if (!S_ISREG(st->st_mode) || st->st_uid != log->st_uid || st->st_gid != log->st_gid ||
	         (st->st_mode & S_IWOTH))
		r = err_set(e, EXIT_NOPERM, "cannot write %s: %s does not have the log's owner, group "
		            "and mode", path, p);
	free(p);
	return r;
}

static int same_file(const struct stat *a, const struct stat *b)
{
	return a->st_dev == b->st_dev && a->st_ino == b->st_ino;
}

/* After SQLite opened the log with the group's right: every file it holds
 * open under the log's name is one checked before (want[0..2]: the log,
 * its -wal, its -shm), and the names still give those files. A companion
 * SQLite made itself (one was removed in between) is the caller's: it is
 * removed, while the right still allows it. */
static int held_files_ok(const char *canon, const struct stat want[3])
{
	static const char *const sfx[] = {"", "-wal", "-shm"};
	int ok = 1;
	for (int i = 0; i < 3; i++) {
		char *p = xasprintf("%s%s", canon, sfx[i]);
		struct stat now;
		if (lstat(p, &now) != 0 || !same_file(&now, &want[i])) {
			ok = 0;
			if (i > 0 && lstat(p, &now) == 0 && S_ISREG(now.st_mode) && now.st_uid == getuid() &&
			    now.st_uid != want[0].st_uid)
				unlink(p);
		}
		free(p);
	}
	DIR *d = opendir("/proc/self/fd");
	if (!d)
		return 0; /* what SQLite opened cannot be seen: not held */
	size_t n = strlen(canon);
	struct dirent *de;
	while ((de = readdir(d)) != NULL) {
		char link[300], target[4096];
		snprintf(link, sizeof link, "/proc/self/fd/%s", de->d_name);
		ssize_t len = readlink(link, target, sizeof target - 1);
		if (len <= 0)
			continue;
		target[len] = '\0';
		if (strncmp(target, canon, n) != 0)
			continue;
		struct stat st;
		int fd = atoi(de->d_name);
		if (fd == dirfd(d) || fstat(fd, &st) != 0)
			continue;
		if (!same_file(&st, &want[0]) && !same_file(&st, &want[1]) && !same_file(&st, &want[2]))
			ok = 0;
	}
	closedir(d);
	return ok;
}

int store_hold(const char *path, struct err *e)
{
	static const char magic[16] = "SQLite format 3";
	free(held.path);
	held.path = xstrdup(path);
	struct err *w = &held.why;
	struct stat st, now, want[3];
	char buf[16];
	sqlite3 *db = NULL;
	int r = -1, fd = -1;
	char *canon = NULL, *dir = NULL, *bad = NULL;
	/* The path is resolved once; SQLite opens what it resolved to, never
	 * through a link, and only when no one but root and the log's owner
	 * can change a directory on the way (below). */
	if (lstat(path, &st) == 0 && S_ISLNK(st.st_mode)) {
		err_set(w, EXIT_NOPERM, "cannot open %s: a symbolic link (a shared log is named by its own path)",
		        path);
		goto out;
	}
	canon = realpath(path, NULL);
	if (canon)
		fd = kept_open(canon, O_NOFOLLOW, 0);
	if (fd < 0) {
		err_set(w, errno == ENOENT ? EXIT_NOINPUT : errno == ELOOP ? EXIT_NOPERM : EXIT_IOERR,
		        "cannot open %s: %s", path, strerror(errno));
		goto out;
	}
	if (fstat(fd, &st) != 0 || !S_ISREG(st.st_mode)) {
		err_set(w, EXIT_NOINPUT, "cannot open %s: not a regular file", path);
		goto out;
	}
	if (pread(fd, buf, sizeof buf, 0) != (ssize_t)sizeof buf || memcmp(buf, magic, sizeof buf) != 0) {
		err_set(w, EXIT_DATAERR, "%s is not a consort log (not an SQLite database)", path);
		goto out;
	}
	if (st.st_mode & S_IWOTH) {
		err_set(w, EXIT_NOPERM, "cannot write %s: anyone may write it (chmod o-w %s)", path, path);
		goto out;
	}
	dir = dir_of(canon);
	if (dir_chain_check(dir, st.st_uid, st.st_gid, 1, &bad) != DIR_OK) {
		err_set(w, EXIT_NOPERM, "cannot write %s: %s may be changed by others than root and the log's "
		        "owner (the whole path to a shared log must be theirs)", path, bad);
		goto out;
	}
	want[0] = st;
	int cw = companion_ok(canon, "-wal", &st, &want[1], w),
	    cs = cw < 0 ? 0 : companion_ok(canon, "-shm", &st, &want[2], w);
	if (cw || cs) {
		/* A missing one the owner makes, without the group's right. */
		if (cw >= 0 && cs >= 0 && getuid() == st.st_uid)
			w->code = 0;
		goto out;
	}
	int rc = sqlite3_open_v2(canon, &db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_NOMUTEX | SQLITE_OPEN_NOFOLLOW,
	                         NULL);
	if (db)
		conn_add(st.st_dev, st.st_ino);
	if (rc == SQLITE_OK) {
		persist_wal(db);
		/* Nothing this connection read is written back into the log
		 * unless the files it read prove to be the ones checked. */
		sqlite3_db_config(db, SQLITE_DBCONFIG_NO_CKPT_ON_CLOSE, 1, (int *)NULL);
		sqlite3_busy_timeout(db, STORE_BUSY_TIMEOUT_MS);
		/* A read opens the -wal and -shm files, which SQLite then keeps. */
		rc = sqlite3_exec(db, "BEGIN; SELECT count(*) FROM sqlite_master; COMMIT", NULL, NULL, NULL);
		sqlite3_busy_timeout(db, 0);
	}
	if (rc != SQLITE_OK) {
		err_set(w, EXIT_IOERR, "cannot open %s: %s", path, db ? sqlite3_errmsg(db) : sqlite3_errstr(rc));
		goto out;
	}
	if (!held_files_ok(canon, want)) {
		err_set(w, EXIT_IOERR, "%s or its -wal or -shm was replaced while it was opened; nothing was "
		        "written", path);
		goto out;
	}
	if (stat(path, &now) != 0 || !same_file(&now, &st)) {
		err_set(w, EXIT_IOERR, "%s was replaced while it was opened; nothing was written", path);
		goto out;
	}
	sqlite3_db_config(db, SQLITE_DBCONFIG_NO_CKPT_ON_CLOSE, 0, (int *)NULL);
	held.db = db;
	held.dev = st.st_dev;
	held.ino = st.st_ino;
	db = NULL;
	w->code = 0;
	r = 0;
out:
	if (db && sqlite3_close(db) == SQLITE_OK)
		conn_del(st.st_dev, st.st_ino);
	kept_sweep();
	free(canon);
	free(dir);
	free(bad);
	if (r < 0 && e && w->code)
		*e = *w;
	return r;
}

void store_hold_release(void)
{
	if (held.db && sqlite3_close(held.db) == SQLITE_OK)
		conn_del(held.dev, held.ino);
	held.db = NULL;
	kept_sweep();
	free(held.path);
	held.path = NULL;
	held.why.code = 0;
}

/* The held connection as s's, checked and migrated like any writer's. */
static int open_held(struct store *s, struct err *e)
{
	int version;
	s->db = held.db;
	s->dev = held.dev;
	s->ino = held.ino;
	/* Its entry in conns goes with it. */
	s->conn_dev = held.dev;
	s->conn_ino = held.ino;
	s->conn_on = 1;
	held.db = NULL;
	setup_db(s);
	if (check_schema(s, &version, e) < 0 || set_wal(s, e) < 0)
		return -1;
	if ((version < STORE_SCHEMA_VERSION || schema_stale(s)) && migrate(s, version, e) < 0)
		return -1;
	s->version = STORE_SCHEMA_VERSION;
	return 0;
}

/* A shared log (group-writable) whose -wal or -shm is gone (root's own
 * sqlite3 shell removes them when it closes) gets them back, empty, when
 * its owner opens it: made here (O_EXCL, no link followed) with the log's
 * group and mode, for a partner's setgid consort to find (store_hold). */
static void keep_companions(const char *path, const struct stat *log)
{
	static const char *const sfx[] = {"-wal", "-shm"};
	if (log->st_uid != getuid() || !(log->st_mode & S_IWGRP))
		return;
	for (size_t i = 0; i < sizeof sfx / sizeof sfx[0]; i++) {
		char *p = xasprintf("%s%s", path, sfx[i]);
		int fd = open(p, O_RDWR | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0600);
		if (fd >= 0) {
			if (fchown(fd, (uid_t)-1, log->st_gid) != 0 || fchmod(fd, log->st_mode & 0777) != 0)
				unlink(p);
			close(fd);
		}
		free(p);
	}
}

int store_open(const char *path, enum store_mode mode, struct store **out, struct err *e)
{
	*out = NULL;
	struct store *s = xcalloc(1, sizeof *s);
	s->path = xstrdup(path);
	s->readonly = mode == STORE_READ;
	int r;
	/* To check a write and then write it: the held connection (setgid)
	 * only ever to write, after the check read as the user; otherwise one
	 * connection for both when opening to write changes nothing. */
	int check = mode == STORE_CHECK;
	if (check)
		mode = held.path && strcmp(held.path, path) == 0 ? STORE_READ : STORE_WRITE;

	struct stat st;
	/* A reader needs no right of the group's: the held connection is the
	 * writer's (apply reads first, then opens to write). */
	int is_held = held.path && mode == STORE_WRITE && strcmp(held.path, path) == 0;
	int took = is_held && held.db;
	if (took) {
		r = open_held(s, e);
	} else if (is_held && held.why.code) {
		if (e)
			*e = held.why;
		r = -1;
	} else if (mode == STORE_CREATE) {
		r = open_create(s, -1, e);
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
		keep_companions(path, &st);
		if (check && mode == STORE_WRITE && open_current(s))
			r = 0;
		else if (check || mode == STORE_READ) {
			s->readonly = 1;
			r = open_read(s, &version, e);
		} else
			r = open_write(s, e);
	}
	/* The file as the path names it now that SQLite holds it open (the
	 * held one: as it was when it was opened). */
	if (r == 0 && !took && stat(path, &st) == 0) {
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

int store_create_shared(const char *path, long gid, struct store **out, struct err *e)
{
	struct store *s = xcalloc(1, sizeof *s);
	s->path = xstrdup(path);
	*out = NULL;
	if (open_create(s, gid, e) < 0) {
		store_close(s);
		return -1;
	}
	struct stat st;
	if (stat(path, &st) == 0) {
		s->dev = st.st_dev;
		s->ino = st.st_ino;
	}
	*out = s;
	return 0;
}

int store_unwal(struct store *s, struct err *e)
{
	/* A persistent -wal (and its -shm) would stay behind under the old
	 * name. */
	int zero = 0;
	sqlite3_file_control(s->db, "main", SQLITE_FCNTL_PERSIST_WAL, &zero);
	return store_exec_retry(s, "PRAGMA journal_mode=DELETE", "write", e);
}

bool store_writable(const struct store *s)
{
	return s && !s->readonly;
}

bool store_replaced(const struct store *s)
{
	struct stat st;
	return stat(s->path, &st) != 0 || st.st_dev != s->dev || st.st_ino != s->ino;
}

int store_reopen(struct store *s, struct err *e)
{
	struct store *n;
	/* The old connection goes first. SQLite finds a log's -wal and -shm by
	 * name, and those names now sit beside the new file: closed first, the
	 * old connection checkpoints its own -wal into the file it had open
	 * and removes it, so the new connection never reads the old file's
	 * frames. Should the open fail, the store stays closed (SQLite refuses
	 * every call on it as misuse, so every query fails cleanly) and the
	 * path is tried again at the next reopen. */
	close_db(s);
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
	return store_append_checked(s, v, n, NULL, NULL, first_id, e);
}

static int append(struct store *s, const struct new_entry *v, size_t n,
                  store_recheck_fn recheck, const void *ctx, int64_t *first_id,
                  struct err *e)
{
	sqlite3_stmt *st = s->insert; /* prepared by store_append_checked */
	if (refuse_replaced(s, e) < 0 || store_exec_retry(s, "BEGIN IMMEDIATE", "write", e) < 0)
		return -1;
	s->queued_at = 0; /* the wait is over: COMMIT has a timeout of its own */
	int64_t now = date_now_ms(), first = 0;
	unsigned char prev[32];
	if (store_chain_prev(s, prev, e) < 0 || (recheck && recheck(s, ctx, e) < 0)) {
		store_rollback(s);
		return -1;
	}
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
		sqlite3_bind_int64(st, 1, v[i].recorded_at ? v[i].recorded_at : now);
		sqlite3_bind_text(st, 2, eff, -1, SQLITE_TRANSIENT);
		store_bind_text(st, 3, v[i].login ? v[i].login : "");
		sqlite3_bind_int64(st, 4, v[i].uid);
		store_bind_text(st, 5, v[i].partner);
		store_bind_text(st, 6, v[i].item);
		store_bind_text(st, 7, v[i].kind);
		store_bind_text(st, 8, v[i].value);
		store_bind_text(st, 9, v[i].note);
		/* RETURNING gives the row's id and n, for the summaries' steps. */
		int rc = sqlite3_step(st);
		struct step_row row = {.effective = eff};
		if (rc == SQLITE_ROW) {
			row.id = sqlite3_column_int64(st, 0);
			row.n = sqlite3_column_int64(st, 1);
			row.recorded_at = sqlite3_column_int64(st, 2);
			rc = sqlite3_step(st);
		}
		if (rc != SQLITE_DONE) {
			store_fail(s, rc, "write", e);
			sqlite3_reset(st);
			store_rollback(s);
			return -1;
		}
		int64_t id = row.id;
		if (i == 0)
			first = id;
		if (store_steps_run(s, &v[i], &row, e) < 0 || store_chain_link(s, id, prev, e) < 0) {
			sqlite3_reset(st);
			store_rollback(s);
			return -1;
		}
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

int store_append_checked(struct store *s, const struct new_entry *v, size_t n,
                         store_recheck_fn recheck, const void *ctx, int64_t *first_id,
                         struct err *e)
{
	if (s->readonly)
		return err_set(e, EXIT_NOPERM, "%s is open read-only", s->path);
	if (n == 0)
		return err_set(e, EXIT_SOFTWARE, "nothing to append");
	/* What the transaction runs is compiled before it waits: the INSERT
	 * (with every trigger on the log, on a log older than schema 14) and
	 * the summaries' statements these entries need. */
	if (!s->insert &&
	    store_prepare(s, "INSERT INTO log (recorded_at, effective, login, uid, partner, item, kind, value, note)"
	               " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id, n, recorded_at", &s->insert, e) < 0)
		return -1;
	if (store_steps_prepare(s, v, n, e) < 0)
		return -1;
	if (store_chain_prepare(s, e) < 0)
		return -1;
	queue_enter(s);
	int r = append(s, v, n, recheck, ctx, first_id, e);
	queue_leave(s);
	return r;
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

/* The entry in st's row, its strings SQLite's (valid until the next step). */
static void entry_view(sqlite3_stmt *st, struct entry *en)
{
	memset(en, 0, sizeof *en);
	en->id = sqlite3_column_int64(st, 0);
	en->recorded_at = sqlite3_column_int64(st, 1);
	const unsigned char *eff = sqlite3_column_text(st, 2);
	snprintf(en->effective, sizeof en->effective, "%s", eff ? (const char *)eff : "");
	en->login = (char *)sqlite3_column_text(st, 3);
	en->uid = (long)sqlite3_column_int64(st, 4);
	en->partner = (char *)sqlite3_column_text(st, 5);
	en->item = (char *)sqlite3_column_text(st, 6);
	en->kind = (char *)sqlite3_column_text(st, 7);
	en->value = (char *)sqlite3_column_text(st, 8);
	en->note = (char *)sqlite3_column_text(st, 9);
	en->reverted_by = sqlite3_column_int64(st, 10);
}

static char *dup_or_null(const char *s)
{
	return s ? xstrdup(s) : NULL;
}

void entry_copy(const struct entry *en, struct entry *out)
{
	*out = *en;
	out->login = dup_or_null(en->login);
	out->partner = dup_or_null(en->partner);
	out->item = dup_or_null(en->item);
	out->kind = dup_or_null(en->kind);
	out->value = dup_or_null(en->value);
	out->note = dup_or_null(en->note);
}

static void entry_read(sqlite3_stmt *st, struct entry *en)
{
	struct entry v;
	entry_view(st, &v);
	entry_copy(&v, en);
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

/* store_entries' query, prepared and bound. */
static int entries_query(struct store *s, const struct entry_filter *f, sqlite3_stmt **out, struct err *e)
{
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
	*out = st;
	return 0;
}

int store_entries_each(struct store *s, const struct entry_filter *f,
                       int (*fn)(const struct entry *en, void *arg), void *arg, struct err *e)
{
	sqlite3_stmt *st;
	if (entries_query(s, f, &st, e) < 0)
		return -1;
	int rc, stop = 0;
	while (!stop && (rc = sqlite3_step(st)) == SQLITE_ROW) {
		struct entry en;
		entry_view(st, &en);
		stop = fn(&en, arg);
	}
	sqlite3_finalize(st);
	if (stop)
		return stop < 0 ? -1 : 0;
	return rc == SQLITE_DONE ? 0 : store_fail(s, rc, "read", e);
}

struct entries_out {
	struct entry *v;
	size_t n, cap;
};

static int entries_keep(const struct entry *en, void *arg)
{
	struct entries_out *o = arg;
	xgrow(&o->v, &o->cap, o->n + 1, sizeof *o->v);
	entry_copy(en, &o->v[o->n++]);
	return 0;
}

int store_entries(struct store *s, const struct entry_filter *f,
                  struct entry **out, size_t *n, struct err *e)
{
	struct entries_out o = {0};
	*out = NULL;
	*n = 0;
	if (store_entries_each(s, f, entries_keep, &o, e) < 0) {
		entries_free(o.v, o.n);
		return -1;
	}
	*out = o.v;
	*n = o.n;
	return 0;
}

int store_read_begin(struct store *s, struct err *e)
{
	return store_exec_retry(s, "BEGIN", "read", e) < 0 ? -1 : 0;
}

void store_read_end(struct store *s)
{
	sqlite3_exec(s->db, "COMMIT", NULL, NULL, NULL);
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

int store_entry_effective(struct store *s, int64_t id, char *buf, size_t n)
{
	sqlite3_stmt *st;
	if (sqlite3_prepare_v2(s->db, "SELECT effective FROM log WHERE id = ?1", -1, &st, NULL) != SQLITE_OK)
		return -1;
	sqlite3_bind_int64(st, 1, id);
	int r = -1;
	if (sqlite3_step(st) == SQLITE_ROW && sqlite3_column_type(st, 0) == SQLITE_TEXT) {
		snprintf(buf, n, "%s", (const char *)sqlite3_column_text(st, 0));
		r = 0;
	}
	sqlite3_finalize(st);
	return r;
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
		/* log_stats lost its row: nobody writes it but the append. */
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

