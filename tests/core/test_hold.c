/* Tests for the held connection of the setgid path (store_hold): what it
 * refuses and creates (nothing), that only the first writer's store_open
 * of the same path takes it, and that store_reopen opens without it. */
#include "config.h"
#include <criterion/criterion.h>

#include <ftw.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "core/store.h"

#include "fds.h"

static char dir[256];
static char db[300], other[300];

static int rm_one(const char *path, const struct stat *st, int flag, struct FTW *ftw)
{
	(void)st; (void)flag; (void)ftw;
	return remove(path);
}

static void setup(void)
{
	snprintf(dir, sizeof dir, "/tmp/consort-hold-XXXXXX");
	cr_assert_not_null(mkdtemp(dir));
	snprintf(db, sizeof db, "%s/progress.db", dir);
	snprintf(other, sizeof other, "%s/other.db", dir);
}

static void teardown(void)
{
	store_hold_release();
	nftw(dir, rm_one, 8, FTW_DEPTH | FTW_PHYS);
}

static void make_log(const char *path)
{
	struct store *s = NULL;
	struct err e = {0};
	cr_assert_eq(store_open(path, STORE_CREATE, &s, &e), 0, "create %s: %s", path, e.msg);
	store_close(s);
}

static struct store *open_as(const char *path, enum store_mode mode)
{
	struct store *s = NULL;
	struct err e = {0};
	cr_assert_eq(store_open(path, mode, &s, &e), 0, "open %s: %s", path, e.msg);
	return s;
}

TestSuite(hold, .init = setup, .fini = teardown);

Test(hold, refuses_a_link_and_creates_nothing)
{
	make_log(db);
	char link[320];
	snprintf(link, sizeof link, "%s/link.db", dir);
	cr_assert_eq(symlink(db, link), 0);
	struct err e = {0};
	cr_assert_eq(store_hold(link, &e), -1);
	cr_assert_eq(e.code, 77);
	cr_assert(strstr(e.msg, "symbolic link") != NULL, "message: %s", e.msg);
	/* The writer's open of that path says why; a reader opens as usual. */
	struct store *s = NULL;
	struct err w = {0};
	cr_assert_eq(store_open(link, STORE_WRITE, &s, &w), -1);
	cr_assert_eq(w.code, 77);
	cr_assert_str_eq(w.msg, e.msg);
	store_close(open_as(link, STORE_READ));

	char missing[320];
	snprintf(missing, sizeof missing, "%s/missing.db", dir);
	cr_assert_eq(store_hold(missing, &e), -1);
	cr_assert_eq(e.code, 66);
	struct stat st;
	cr_assert_neq(stat(missing, &st), 0, "store_hold created %s", missing);

	cr_assert_eq(store_hold(dir, &e), -1, "a directory is refused");
	char notdb[320];
	snprintf(notdb, sizeof notdb, "%s/notes.txt", dir);
	FILE *f = fopen(notdb, "w");
	fputs("not an SQLite file, just words here", f);
	fclose(f);
	cr_assert_eq(store_hold(notdb, &e), -1);
	cr_assert_eq(e.code, 65);
}

/* The held connection is the one opened at store_hold: a file moved over
 * the path afterwards shows as replaced in the store that took it. */
Test(hold, the_first_writer_takes_it_and_reopen_opens_without_it)
{
	make_log(db);
	make_log(other);
	struct err e = {0};
	cr_assert_eq(store_hold(db, &e), 0, "%s", e.msg);
	/* A reader does not take it. */
	struct store *r = open_as(db, STORE_READ);
	cr_assert_eq(rename(other, db), 0);
	cr_assert(store_replaced(r));
	struct store *w = open_as(db, STORE_WRITE);
	cr_assert(store_replaced(w), "the writer did not get the held connection");
	/* store_reopen opens the path now, without the held connection. */
	cr_assert_eq(store_reopen(w, &e), 0, "%s", e.msg);
	cr_assert_not(store_replaced(w));
	/* And a second writer opens as usual. */
	struct store *w2 = open_as(db, STORE_WRITE);
	cr_assert_not(store_replaced(w2));
	store_close(w2);
	store_close(w);
	store_close(r);
}

/* -wal and -shm that are not the log's own: nothing is held, and the
 * writer is refused with the reason. */
Test(hold, refuses_companions_that_are_not_the_logs_own)
{
	make_log(db);
	char wal[320];
	snprintf(wal, sizeof wal, "%s-wal", db);
	struct stat st;
	if (stat(wal, &st) != 0) {
		FILE *f = fopen(wal, "w");
		fclose(f);
	}
	cr_assert_eq(chmod(wal, 0666), 0);
	struct err e = {0};
	cr_assert_eq(store_hold(db, &e), -1);
	cr_assert_eq(e.code, 77);
	cr_assert(strstr(e.msg, "-wal") != NULL, "message: %s", e.msg);
	struct store *s = NULL;
	cr_assert_eq(store_open(db, STORE_WRITE, &s, &e), -1);
	cr_assert_eq(e.code, 77);
}

/* A partner's dashboard holds the group's connection and reads on its
 * own; the log is replaced under it again and again (a backup moved over
 * it): each reopen must leave no more descriptors behind than the one
 * before, whether the held connection is still there or not. */
Test(hold, replacements_under_a_reader_leave_no_descriptors)
{
	make_log(db);
	struct err e = {0};
	cr_assert_eq(store_hold(db, &e), 0, "%s", e.msg);
	struct store *r = open_as(db, STORE_READ);
	int first = -1;
	for (int i = 0; i < 12; i++) {
		char side[320];
		snprintf(side, sizeof side, "%s-wal", other);
		unlink(side);
		snprintf(side, sizeof side, "%s-shm", other);
		unlink(side);
		make_log(other);
		cr_assert_eq(rename(other, db), 0);
		cr_assert_eq(store_reopen(r, &e), 0, "%s", e.msg);
		if (i == 1)
			first = fds_on(db);
	}
	cr_assert_leq(fds_on(db), first, "descriptors grew from %d to %d over ten replacements", first,
	              fds_on(db));
	store_close(r);
}
