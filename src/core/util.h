/* util: errors, allocation that never returns NULL, a growable string.
 * Functions that can fail return 0 on success and -1 on failure, filling a
 * struct err with one line of text and the sysexits(3) code main exits with. */
#ifndef CONSORT_UTIL_H
#define CONSORT_UTIL_H

#include <stddef.h>
#include <stdarg.h>

/* Exit codes (consort(1), EXIT STATUS): 0 ok, 1 status --check found lateness, then sysexits. */
enum {
	EXIT_LATE = 1,
	EXIT_USAGE = 64,
	EXIT_DATAERR = 65,
	EXIT_NOINPUT = 66,
	EXIT_UNAVAILABLE = 69,
	EXIT_SOFTWARE = 70,
	EXIT_IOERR = 74,
	EXIT_NOPERM = 77,
};

struct err {
	int code;          /* exit code to use; 0 when no error */
	char msg[1024];    /* one line, no trailing newline, no "consort: " prefix */
};

/* Fill e (if not NULL) and return -1. */
int err_set(struct err *e, int code, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

void *xmalloc(size_t n);
void *xcalloc(size_t n, size_t size);
void *xrealloc(void *p, size_t n);
char *xstrdup(const char *s);
char *xstrndup(const char *s, size_t n);
char *xasprintf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* An arena: zeroed blocks carved from a few large chunks, all freed at
 * once by arena_free (a decoded model of thousands of parts then costs a
 * few allocations and no walk to free it). hint is the size of the first
 * chunk; later ones double; a chunk's pages are faulted in ahead of the
 * blocks carved from it (xpopulate). Blocks are aligned for any type. Under
 * AddressSanitizer each block is a chunk of its own, so that an overrun of
 * one is still caught. Zero-initialise a struct arena to use it. */
struct arena_chunk;
struct arena {
	struct arena_chunk *head;
	size_t hint;
};
void *arena_calloc(struct arena *a, size_t n, size_t size);
void arena_free(struct arena *a);

/* The whole pages of the n bytes at p, which are about to be written,
 * faulted in by one system call (MADV_POPULATE_WRITE) instead of a trap
 * each on first touch; nothing where the kernel has no such advice. */
void xpopulate(void *p, size_t n);

/* For a command that runs briefly and exits, before it allocates much:
 * its heap's next blocks on a transparent huge page (2 MiB) where the
 * kernel offers them for the asking (madvise), instead of some 300 pages
 * of 4 KiB, each a trap, an allocation and a clearing of its own: a
 * status on the large project spent a sixth of its time so. Large blocks
 * then come from the heap (not a mapping each) and freed memory stays
 * there. Costs up to 4 MiB of memory where the pages are huge; nothing
 * changes elsewhere, or under AddressSanitizer. The layout of glibc's
 * heap it counts on only decides where the blocks go, never whether they
 * work. Once per process. */
void heap_brief(void);

/* Grow *arr (of *cap elements of size sz) so that it holds at least n. */
void xgrow(void *arrp, size_t *cap, size_t n, size_t sz);

/* A growable NUL-terminated byte string. Zero-initialise to use. */
struct sbuf {
	char *s;
	size_t len, cap;
};
void sbuf_add(struct sbuf *b, const char *s, size_t n);
void sbuf_puts(struct sbuf *b, const char *s);
void sbuf_putc(struct sbuf *b, char c);
void sbuf_printf(struct sbuf *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
void sbuf_vprintf(struct sbuf *b, const char *fmt, va_list ap);
const char *sbuf_str(const struct sbuf *b); /* "" when empty */
char *sbuf_take(struct sbuf *b);            /* caller frees; b is reset */
void sbuf_free(struct sbuf *b);

/* A file written for the user, never through a link: the new content goes
 * to a temporary beside path (O_EXCL: nothing taken over), which replaces
 * path by rename once it is complete. A path that is a symbolic link or
 * not a regular file is refused (77 / 74), as is one in a directory the
 * caller cannot write; a device or a pipe is written in place (no tmp), a
 * pipe only when it is the caller's, a device when the caller's or root's. The temporary gets the replaced file's mode, or
 * 0666 less the umask, on its descriptor. file_replace_end renames when ok
 * (after the caller closed fd) and removes the temporary otherwise. */
struct file_new {
	int fd;
	char *tmp;
	char *path;
};
int file_replace_begin(const char *path, struct file_new *f, struct err *e);
int file_replace_end(struct file_new *f, int ok, struct err *e);
/* The directories a shared log's path goes through, from dir (absolute,
 * no symbolic link: realpath's) up to /: each must be a directory (not a
 * link) owned by root or owner, writable by no one else (a root-owned
 * sticky directory such as /tmp above dir excepted: nobody there replaces
 * another's entry), by its group only when that group is gid (the log's), and, when
 * caller_check, not writable by the real user unless that is root or
 * owner. 0 when all are so; else the reason below, with *bad (to free) the
 * first directory that is not. Whoever could write one of them could put
 * another file, or directory, in the log's place. */
enum { DIR_OK, DIR_NOTDIR, DIR_OWNER, DIR_OTHERS, DIR_GROUP, DIR_CALLER };
int dir_chain_check(const char *dir, unsigned owner, unsigned gid, int caller_check, char **bad);

/* A whole file of at most max bytes, NUL-terminated (*len gets its size):
 * newly allocated, or NULL with *err set to errno (EFBIG when larger). */
char *file_read_all(const char *path, size_t max, size_t *len, int *err);

#endif
