/* watch: an inotify watch on the directory of a log (watch.h). The
 * directory, not the files: the -wal comes and goes with checkpoints, and a
 * log moved over the path is a new inode that a watch on the old file
 * would never see. Events for other names in the directory are read and
 * ignored. */
#include "config.h"

#include "core/watch.h"

#include <errno.h>
#include <limits.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#ifdef HAVE_SYS_INOTIFY_H
#include <sys/inotify.h>
#endif

#include "core/util.h"

struct watch {
	int fd;
	char *base;     /* the log's file name */
	size_t blen;
	int64_t settle_until;  /* monotonic ms: look often until then */
};

/* For a second after an event, look every WATCH_SETTLE_MS. A commit
 * becomes visible only after its fsync, which a loaded server can take
 * longer over: a writer that closes the log then raises an event of its
 * own (a command's write); one that keeps it open (another dashboard) is
 * found by the looks, or by the idle look at the latest. */
#define SETTLE_FOR_MS 1000

static int64_t mono_ms(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

#ifdef HAVE_SYS_INOTIFY_H

struct watch *watch_open(const char *path)
{
	/* The directory the file really lives in (a symbolic link's target's):
	 * writes happen there. */
	char *real = realpath(path, NULL);
	if (!real)
		return NULL;
	char *slash = strrchr(real, '/');
	if (!slash || !slash[1]) {
		free(real);
		return NULL;
	}
	struct watch *w = xcalloc(1, sizeof *w);
	w->base = xstrdup(slash + 1);
	w->blen = strlen(w->base);
	*slash = '\0';
	const char *dir = real[0] ? real : "/";
	w->fd = inotify_init1(IN_NONBLOCK | IN_CLOEXEC);
	if (w->fd < 0 ||
	    inotify_add_watch(w->fd, dir, IN_MODIFY | IN_CLOSE_WRITE | IN_CREATE | IN_DELETE | IN_MOVED_FROM |
	                      IN_MOVED_TO | IN_DELETE_SELF | IN_MOVE_SELF | IN_ONLYDIR) < 0) {
		free(real);
		watch_close(w);
		return NULL;
	}
	free(real);
	return w;
}

/* The log itself, its -wal or its rollback -journal. */
static int concerns(const struct watch *w, const char *name)
{
	if (strncmp(name, w->base, w->blen) != 0)
		return 0;
	const char *rest = name + w->blen;
	return !rest[0] || strcmp(rest, "-wal") == 0 || strcmp(rest, "-journal") == 0;
}

int watch_read(struct watch *w)
{
	_Alignas(struct inotify_event) char buf[4096];
	int hit = 0;
	for (;;) {
		ssize_t n = read(w->fd, buf, sizeof buf);
		if (n < 0) {
			if (errno == EINTR)
				continue;
			return errno == EAGAIN || errno == EWOULDBLOCK ? hit : -1;
		}
		if (n == 0)
			return -1;
		for (char *p = buf; p < buf + n;) {
			const struct inotify_event *ev = (const struct inotify_event *)(void *)p;
			if (ev->mask & (IN_DELETE_SELF | IN_MOVE_SELF | IN_IGNORED | IN_UNMOUNT))
				return -1;
			if ((ev->mask & IN_Q_OVERFLOW) || (ev->len && concerns(w, ev->name)))
				hit = 1;
			p += sizeof *ev + ev->len;
		}
		if (hit)
			w->settle_until = mono_ms() + SETTLE_FOR_MS;
	}
}

#else

struct watch *watch_open(const char *path)
{
	(void)path;
	return NULL;
}

int watch_read(struct watch *w)
{
	(void)w;
	return -1;
}

#endif

int watch_timeout(const struct watch *w, int idle_ms)
{
	int64_t left = w->settle_until - mono_ms();
	if (left <= 0)
		return idle_ms;
	return left < WATCH_SETTLE_MS ? (int)left : WATCH_SETTLE_MS;
}

int watch_fd(const struct watch *w)
{
	return w->fd;
}

void watch_close(struct watch *w)
{
	if (!w)
		return;
	if (w->fd >= 0)
		close(w->fd);
	free(w->base);
	free(w);
}
