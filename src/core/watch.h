/* watch: being told when a log file may have changed, instead of asking
 * every half second. On Linux an inotify watch on the log's directory
 * reports writes to the log and its -wal, and a file moved over, created
 * or removed under its name; the caller then asks the store what changed
 * (PRAGMA data_version, store_replaced). Where there is no inotify, or the
 * directory cannot be watched, watch_open fails and the caller polls. */
#ifndef CONSORT_WATCH_H
#define CONSORT_WATCH_H

struct watch;

/* A watch on the log at path, or NULL (no inotify, no permission, no
 * memory): then poll. */
struct watch *watch_open(const char *path);
/* The descriptor to wait on (readable when something happened). */
int watch_fd(const struct watch *w);
/* Reads what is pending without blocking: 1 when an event concerned the
 * log (or events were lost), 0 when none did, -1 when the watch broke (the
 * directory went away: poll from then on). */
int watch_read(struct watch *w);
/* How long to wait for the descriptor before looking at the log anyway:
 * idle_ms while nothing happens; for a second after an event,
 * WATCH_SETTLE_MS at a time. A writer's last write to the -wal comes before
 * its commit is visible to readers (SQLite marks it in the -shm, which is
 * mapped memory and raises no event, after the fsync), so the look that an
 * event prompts can be too early: the looks that follow it find the commit,
 * and so does the look a writer's closing of the -wal or the log prompts
 * (a command's write closes them when it is done). */
#define WATCH_SETTLE_MS 50
int watch_timeout(const struct watch *w, int idle_ms);
void watch_close(struct watch *w);

#endif
