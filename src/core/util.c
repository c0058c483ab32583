#include "config.h"
#include "core/util.h"

#include <errno.h>
#include <fcntl.h>
#include <malloc.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

int err_set(struct err *e, int code, const char *fmt, ...)
{
	if (e) {
		va_list ap;
		va_start(ap, fmt);
		vsnprintf(e->msg, sizeof e->msg, fmt, ap);
		va_end(ap);
		e->code = code;
	}
	return -1;
}

static void oom(void)
{
	fputs("consort: out of memory\n", stderr);
	abort();
}

void *xmalloc(size_t n)
{
	void *p = malloc(n ? n : 1);
	if (!p)
		oom();
	return p;
}

void *xcalloc(size_t n, size_t size)
{
	void *p = calloc(n ? n : 1, size ? size : 1);
	if (!p)
		oom();
	return p;
}

void *xrealloc(void *p, size_t n)
{
	p = realloc(p, n ? n : 1);
	if (!p)
		oom();
	return p;
}

char *xstrdup(const char *s)
{
	return xstrndup(s, strlen(s));
}

char *xstrndup(const char *s, size_t n)
{
	char *p = xmalloc(n + 1);
	memcpy(p, s, n);
	p[n] = '\0';
	return p;
}

char *xasprintf(const char *fmt, ...)
{
	struct sbuf b = {0};
	va_list ap;
	va_start(ap, fmt);
	sbuf_vprintf(&b, fmt, ap);
	va_end(ap);
	return sbuf_take(&b);
}

void xpopulate(void *p, size_t n)
{
#ifdef MADV_POPULATE_WRITE
	long page = sysconf(_SC_PAGESIZE);
	if (page <= 0)
		page = 4096;
	uintptr_t a = ((uintptr_t)p + (uintptr_t)page - 1) & ~((uintptr_t)page - 1);
	uintptr_t e = ((uintptr_t)p + n) & ~((uintptr_t)page - 1);
	if (e > a)
		(void)madvise((void *)a, e - a, MADV_POPULATE_WRITE);
#else
	(void)p;
	(void)n;
#endif
}

struct arena_chunk {
	struct arena_chunk *next;
	size_t size, used;
	size_t ready;         /* bytes of data faulted in beforehand */
	max_align_t data[];
};

/* Blocks are carved in order: a chunk's pages are faulted in 64 KiB ahead
 * of them, a few system calls instead of a trap per page. */
#define ARENA_AHEAD ((size_t)64 * 1024)

#if defined(__SANITIZE_ADDRESS__)
#define ARENA_SEPARATE 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define ARENA_SEPARATE 1
#endif
#endif
#ifndef ARENA_SEPARATE
#define ARENA_SEPARATE 0
#endif

/* glibc's malloc: a block's header before it, and the size of a huge page
 * of x86-64 and arm64 (with 4 KiB pages). */
#define HEAP_HEADER ((uintptr_t)16)
#define HEAP_HUGE ((uintptr_t)2 << 20)

/* The spacer below: unused and never freed. The pointer is kept, so that
 * a leak check sees the block reachable, and volatile, or the compiler,
 * which knows malloc, drops the allocation of a block nothing reads. */
static void *volatile heap_spacer;

void heap_brief(void)
{
#if defined(MADV_HUGEPAGE) && defined(M_MMAP_THRESHOLD) && !ARENA_SEPARATE
	static int done;
	if (done++)
		return;
	/* Large blocks from the heap too (not a mapping each), and the heap
	 * never given back: the command ends soon. */
	mallopt(M_MMAP_THRESHOLD, 32 << 20);
	mallopt(M_TRIM_THRESHOLD, 64 << 20);
	/* A block of three huge pages from the top of the heap grows it past
	 * the next two whole huge pages; freed, it is the top again. */
	char *brk0 = sbrk(0);
	char *p = malloc(3 * HEAP_HUGE);
	if (!p)
		return;
	char *brk1 = sbrk(0);
	uintptr_t chunk = (uintptr_t)p - HEAP_HEADER;
	uintptr_t at = (chunk + HEAP_HUGE - 1) & ~(HEAP_HUGE - 1);
	/* Only where the block is the heap's own (malloc could have mapped it
	 * apart), and before anything of the two pages is touched: a page
	 * written first makes the rest of its 2 MiB small pages too. */
	uintptr_t end = (uintptr_t)p + 3 * HEAP_HUGE;
	int ours = end > (uintptr_t)brk0 && end <= (uintptr_t)brk1;
	if (ours)
		(void)madvise((void *)at, 2 * HEAP_HUGE, MADV_HUGEPAGE);
	free(p);
	/* The spacer takes the top up to the first huge page, so that the
	 * blocks after it begin there. */
	if (ours && at - chunk >= 4 * HEAP_HEADER)
		heap_spacer = malloc(at - chunk - HEAP_HEADER / 2);
#endif
}

void *arena_calloc(struct arena *a, size_t n, size_t size)
{
	const size_t align = _Alignof(max_align_t);
	if (size && n > (SIZE_MAX - align - sizeof(struct arena_chunk)) / size)
		oom();
	size_t want = n * size;
	want = want ? (want + align - 1) / align * align : align;
	struct arena_chunk *c = a->head;
	if (ARENA_SEPARATE || !c || c->size - c->used < want) {
		size_t sz = want;
		if (!ARENA_SEPARATE) {
			size_t grow = c ? 2 * c->size : a->hint > 4096 ? a->hint : 4096;
			if (sz < grow)
				sz = grow;
		}
		struct arena_chunk *nc = xcalloc(1, sizeof *nc + sz);
		nc->size = sz;
		nc->next = c;
		a->head = c = nc;
	}
	void *x = (char *)c->data + c->used;
	c->used += want;
	if (!ARENA_SEPARATE && c->used > c->ready) {
		size_t to = c->used + ARENA_AHEAD < c->size ? c->used + ARENA_AHEAD : c->size;
		xpopulate((char *)c->data + c->ready, to - c->ready);
		c->ready = to;
	}
	return x;
}

void arena_free(struct arena *a)
{
	for (struct arena_chunk *c = a->head, *next; c; c = next) {
		next = c->next;
		free(c);
	}
	a->head = NULL;
}

void xgrow(void *arrp, size_t *cap, size_t n, size_t sz)
{
	void **arr = arrp;
	if (n <= *cap)
		return;
	size_t c = *cap ? *cap : 8;
	while (c < n)
		c *= 2;
	*arr = xrealloc(*arr, c * sz);
	*cap = c;
}

void sbuf_add(struct sbuf *b, const char *s, size_t n)
{
	if (b->len + n + 1 > b->cap)
		xgrow(&b->s, &b->cap, b->len + n + 1, 1);
	memcpy(b->s + b->len, s, n);
	b->len += n;
	b->s[b->len] = '\0';
}

void sbuf_puts(struct sbuf *b, const char *s)
{
	sbuf_add(b, s, strlen(s));
}

void sbuf_putc(struct sbuf *b, char c)
{
	if (b->len + 2 > b->cap)
		xgrow(&b->s, &b->cap, b->len + 2, 1);
	b->s[b->len++] = c;
	b->s[b->len] = '\0';
}

void sbuf_vprintf(struct sbuf *b, const char *fmt, va_list ap)
{
	va_list ap2;
	va_copy(ap2, ap);
	int n = vsnprintf(NULL, 0, fmt, ap2);
	va_end(ap2);
	if (n < 0)
		return;
	xgrow(&b->s, &b->cap, b->len + (size_t)n + 1, 1);
	vsnprintf(b->s + b->len, (size_t)n + 1, fmt, ap);
	b->len += (size_t)n;
}

void sbuf_printf(struct sbuf *b, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	sbuf_vprintf(b, fmt, ap);
	va_end(ap);
}

const char *sbuf_str(const struct sbuf *b)
{
	return b->s ? b->s : "";
}

char *sbuf_take(struct sbuf *b)
{
	char *s = b->s ? b->s : xstrdup("");
	b->s = NULL;
	b->len = b->cap = 0;
	return s;
}

void sbuf_free(struct sbuf *b)
{
	free(b->s);
	b->s = NULL;
	b->len = b->cap = 0;
}

int file_replace_begin(const char *path, struct file_new *f, struct err *e)
{
	struct stat st;
	mode_t mode;
	f->fd = -1;
	f->tmp = f->path = NULL;
	if (lstat(path, &st) == 0) {
		if (S_ISLNK(st.st_mode))
			return err_set(e, EXIT_NOPERM, "%s is a symbolic link; not written through it", path);
		if (S_ISCHR(st.st_mode) || S_ISFIFO(st.st_mode)) {
			/* A device or a pipe is written, not replaced; a pipe only
			 * when it is the caller's (another's pipe is his reader's to
			 * be fed, or to hang the writer), a device when it is the
			 * caller's or root's (/dev/null, not another's terminal),
			 * opened without waiting for a reader, and only if it is
			 * still the file looked at. */
			struct stat now;
			if (S_ISFIFO(st.st_mode) && st.st_uid != getuid())
				return err_set(e, EXIT_NOPERM, "%s is another user's pipe; not written", path);
			if (S_ISCHR(st.st_mode) && st.st_uid != getuid() && st.st_uid != 0)
				return err_set(e, EXIT_NOPERM, "%s is another user's device (a terminal?); not written",
				               path);
			f->fd = open(path, O_WRONLY | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC);
			if (f->fd < 0)
				return err_set(e, errno == EACCES ? EXIT_NOPERM : EXIT_IOERR, "cannot write %s: %s",
				               path, errno == ENXIO ? "a pipe nobody reads" : strerror(errno));
			int fl = fcntl(f->fd, F_GETFL);
			if (fstat(f->fd, &now) != 0 || now.st_dev != st.st_dev || now.st_ino != st.st_ino ||
			    fl < 0 || fcntl(f->fd, F_SETFL, fl & ~O_NONBLOCK) != 0) {
				close(f->fd);
				f->fd = -1;
				return err_set(e, EXIT_IOERR, "%s was replaced while it was opened; not written", path);
			}
			return 0;
		}
		if (!S_ISREG(st.st_mode))
			return err_set(e, EXIT_IOERR, "%s is not a regular file; not replaced", path);
		mode = st.st_mode & 0777;
	} else if (errno != ENOENT) {
		return err_set(e, errno == EACCES ? EXIT_NOPERM : EXIT_IOERR, "cannot write %s: %s", path,
		               strerror(errno));
	} else {
		mode_t mask = umask(077);
		umask(mask);
		mode = 0666 & ~mask;
	}
	f->tmp = xasprintf("%s.tmp-XXXXXX", path);
	f->fd = mkostemp(f->tmp, O_CLOEXEC);
	if (f->fd < 0) {
		int saved = errno;
		free(f->tmp);
		f->tmp = NULL;
		return err_set(e, saved == EACCES || saved == EPERM || saved == EROFS ? EXIT_NOPERM : EXIT_IOERR,
		               "cannot write %s: %s", path, strerror(saved));
	}
	if (fchmod(f->fd, mode) != 0) {
		int saved = errno;
		close(f->fd);
		file_replace_end(f, 0, NULL);
		return err_set(e, EXIT_IOERR, "cannot write %s: %s", path, strerror(saved));
	}
	f->path = xstrdup(path);
	return 0;
}

int dir_chain_check(const char *dir, unsigned owner, unsigned gid, int caller_check, char **bad)
{
	char *d = xstrdup(dir);
	uid_t me = getuid();
	int r = DIR_OK, above = 0;
	*bad = NULL;
	for (;; above = 1) {
		struct stat st;
		if (lstat(*d ? d : "/", &st) != 0 || !S_ISDIR(st.st_mode))
			r = DIR_NOTDIR;
		else if (st.st_uid != 0 && st.st_uid != (uid_t)owner)
			r = DIR_OWNER;
		else if (above && (st.st_mode & S_ISVTX) && st.st_uid == 0)
			; /* /tmp: the entry below is root's or the owner's, and stays */
		else if (st.st_mode & S_IWOTH)
			r = DIR_OTHERS;
		else if ((st.st_mode & S_IWGRP) && st.st_gid != (gid_t)gid)
			r = DIR_GROUP;
		else if (caller_check && me != 0 && me != (uid_t)owner &&
		         access(*d ? d : "/", W_OK) == 0)
			r = DIR_CALLER;
		if (r != DIR_OK) {
			*bad = xstrdup(*d ? d : "/");
			break;
		}
		char *slash = strrchr(d, '/');
		if (!slash || !*d)
			break;
		*slash = '\0';
	}
	free(d);
	return r;
}

int file_replace_end(struct file_new *f, int ok, struct err *e)
{
	int r = 0;
	if (!f->tmp)
		return 0;
	if (ok && rename(f->tmp, f->path) != 0) {
		r = err_set(e, errno == EACCES || errno == EPERM ? EXIT_NOPERM : EXIT_IOERR,
		            "cannot write %s: %s", f->path, strerror(errno));
		ok = 0;
	}
	if (!ok)
		unlink(f->tmp);
	free(f->tmp);
	free(f->path);
	f->tmp = f->path = NULL;
	f->fd = -1;
	return r;
}

/* Read straight into one buffer of the size fstat gives (and a byte
 * more, to see the end in the same read): no chunk copied and no buffer
 * regrown, which on a large definition touched twice its pages. A file
 * that grows while it is read, or one whose size fstat does not know (a
 * pipe), grows the buffer as it comes. */
char *file_read_all(const char *path, size_t max, size_t *len, int *err)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC | O_NOCTTY);
	if (fd < 0) {
		*err = errno;
		return NULL;
	}
	struct stat st;
	size_t cap = 4096;
	if (fstat(fd, &st) == 0 && S_ISREG(st.st_mode) && st.st_size >= 0 &&
	    (uint64_t)st.st_size <= (uint64_t)max)
		cap = (size_t)st.st_size + 2;
	char *buf = xmalloc(cap);
	size_t n = 0;
	for (;;) {
		if (cap - n < 2) {
			size_t lim = max < SIZE_MAX - 2 ? max + 2 : SIZE_MAX;
			size_t want = cap > lim / 2 ? lim : cap * 2;
			buf = xrealloc(buf, want);
			cap = want;
		}
		ssize_t r = read(fd, buf + n, cap - n - 1);
		if (r < 0 && errno == EINTR)
			continue;
		if (r < 0 || n + (size_t)(r > 0 ? r : 0) > max) {
			*err = r < 0 ? errno : EFBIG;
			close(fd);
			free(buf);
			return NULL;
		}
		if (r == 0)
			break;
		n += (size_t)r;
	}
	close(fd);
	buf[n] = '\0';
	*len = n;
	*err = 0;
	return buf;
}
