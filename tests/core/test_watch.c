/* Tests for watch: the inotify watch on a log's directory reports writes
 * to the log and its -wal and a file moved over its name, ignores the
 * directory's other files, gives up (-1) when the directory goes away, and
 * refuses a path that does not exist. Skipped where there is no inotify. */
#include "config.h"

#include <criterion/criterion.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "core/watch.h"

static char dir[64];

static void make_dir(void)
{
	snprintf(dir, sizeof dir, "/tmp/consort-watch.XXXXXX");
	cr_assert(mkdtemp(dir) != NULL);
}

static void put(const char *name, const char *text)
{
	char p[128];
	snprintf(p, sizeof p, "%s/%s", dir, name);
	int fd = open(p, O_WRONLY | O_CREAT | O_APPEND | O_NOFOLLOW, 0600);
	cr_assert(fd >= 0, "%s", p);
	cr_assert_eq(write(fd, text, strlen(text)), (ssize_t)strlen(text));
	close(fd);
}

static struct watch *open_log(void)
{
#ifndef HAVE_SYS_INOTIFY_H
	cr_skip_test("no inotify on this system");
#endif
	make_dir();
	put("log.db", "x");
	char p[128];
	snprintf(p, sizeof p, "%s/log.db", dir);
	struct watch *w = watch_open(p);
	cr_assert(w != NULL);
	cr_assert_eq(watch_read(w), 0, "nothing happened yet");
	return w;
}

static void clean(void)
{
	char cmd[256];
	snprintf(cmd, sizeof cmd, "rm -rf '%s' '%s.moved'", dir, dir);
	cr_assert_eq(system(cmd), 0);
}

Test(watch, writes_to_the_log_and_its_wal)
{
	struct watch *w = open_log();
	cr_assert_eq(watch_timeout(w, 30000), 30000, "idle: the long wait");
	put("log.db", "y");
	cr_assert_eq(watch_read(w), 1);
	int t = watch_timeout(w, 30000);
	cr_assert(t > 0 && t <= WATCH_SETTLE_MS, "after an event: short looks (%d ms)", t);
	cr_assert_eq(watch_read(w), 0, "read once, reported once");
	put("log.db-wal", "frame");
	cr_assert_eq(watch_read(w), 1);
	watch_close(w);
	clean();
}

/* A writer done with the log closes it after its commit is visible: that
 * is an event too, however long after its last write. */
Test(watch, a_writer_closing_the_wal)
{
	struct watch *w = open_log();
	char p[128];
	snprintf(p, sizeof p, "%s/log.db-wal", dir);
	int fd = open(p, O_RDWR | O_CREAT | O_NOFOLLOW, 0600);
	cr_assert(fd >= 0);
	cr_assert_eq(watch_read(w), 1, "the -wal made");
	cr_assert_eq(watch_read(w), 0, "nothing since");
	close(fd);
	cr_assert_eq(watch_read(w), 1, "the -wal closed by its writer");
	watch_close(w);
	clean();
}

Test(watch, other_files_ignored)
{
	struct watch *w = open_log();
	put("notes.txt", "a");
	put("log.db-walrus", "b");
	put("log.dbx", "c");
	cr_assert_eq(watch_read(w), 0);
	watch_close(w);
	clean();
}

Test(watch, a_file_moved_over_the_log)
{
	struct watch *w = open_log();
	put("backup.db", "old");
	cr_assert_eq(watch_read(w), 0);
	char a[128], b[128];
	snprintf(a, sizeof a, "%s/backup.db", dir);
	snprintf(b, sizeof b, "%s/log.db", dir);
	cr_assert_eq(rename(a, b), 0);
	cr_assert_eq(watch_read(w), 1);
	cr_assert_eq(unlink(b), 0);
	cr_assert_eq(watch_read(w), 1, "the log removed");
	watch_close(w);
	clean();
}

Test(watch, the_directory_moved_away)
{
	struct watch *w = open_log();
	char moved[80];
	snprintf(moved, sizeof moved, "%s.moved", dir);
	cr_assert_eq(rename(dir, moved), 0);
	cr_assert_eq(watch_read(w), -1);
	watch_close(w);
	clean();
}

Test(watch, a_missing_log)
{
#ifndef HAVE_SYS_INOTIFY_H
	cr_skip_test("no inotify on this system");
#endif
	cr_assert_null(watch_open("/nonexistent-consort-dir/log.db"));
}
