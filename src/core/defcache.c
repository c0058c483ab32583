/* defcache: the parsed definition, kept between runs. Promises: a cache hit
 * yields exactly the project and warnings the loader gave for the same file,
 * allocated the way the loader allocates them (project_free frees it all);
 * anything unexpected in a cache file (a short read, a bad length, offset,
 * count or index, a checksum or header mismatch) means the definition is
 * parsed again; a cache that cannot be read or written is silently skipped.
 * Layout (native byte order, checked by the header): a fixed header, then a
 * body of fixed-width integers and length-prefixed NUL-terminated strings. */
#include "config.h"
#include "core/defcache.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stddef.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "core/hash.h"
#include "core/paths.h"
#include "core/text.h"
#include "core/util.h"

#define DC_MAGIC "CONSDEF\n"
#define DC_VERSION 2u            /* bump whenever the layout or the loader's output changes */
#define DC_ENDIAN 0x01020304u
#define DC_MAX_FILE (32u * 1024 * 1024)
#define DC_NULL_STR 0xFFFFFFFFu

static int last_hit;

int defcache_last_hit(void)
{
	return last_hit;
}

/* ---- the header -------------------------------------------------------- */

struct dc_file {                 /* what identifies a file's state */
	uint64_t dev, ino, size;
	int64_t mtime_s, mtime_ns, ctime_s, ctime_ns;
};

static void file_fill(struct dc_file *f, const struct stat *st)
{
	f->dev = (uint64_t)st->st_dev;
	f->ino = (uint64_t)st->st_ino;
	f->size = (uint64_t)st->st_size;
	f->mtime_s = (int64_t)st->st_mtim.tv_sec;
	f->mtime_ns = (int64_t)st->st_mtim.tv_nsec;
	f->ctime_s = (int64_t)st->st_ctim.tv_sec;
	f->ctime_ns = (int64_t)st->st_ctim.tv_nsec;
}

struct dc_stamp {                /* what identifies the definition and the build */
	struct dc_file file;
	uint64_t exe_ino, exe_size;
	int64_t exe_mtime_s, exe_mtime_ns;
};

struct dc_header {
	char magic[8];
	uint32_t version, endian;
	uint32_t sz_project, sz_int, sz_long, sz_double, sz_ptr, sz_pad;
	char package[32];
	struct dc_stamp stamp;
	uint64_t body_len, body_sum;
};

static void stamp_fill(struct dc_stamp *s, const struct stat *st)
{
	memset(s, 0, sizeof *s);
	file_fill(&s->file, st);
	/* The program itself: a rebuilt consort (whose loader may differ)
	 * never trusts an older build's entries. */
	struct stat ex;
	char exe[PATH_MAX];
	ssize_t n = readlink("/proc/self/exe", exe, sizeof exe - 1);
	if (n > 0) {
		exe[n] = '\0';
		if (stat(exe, &ex) != 0)
			n = -1;
	}
	if (n > 0) {
		s->exe_ino = (uint64_t)ex.st_ino;
		s->exe_size = (uint64_t)ex.st_size;
		s->exe_mtime_s = (int64_t)ex.st_mtim.tv_sec;
		s->exe_mtime_ns = (int64_t)ex.st_mtim.tv_nsec;
	}
}

static void header_fill(struct dc_header *h, const struct dc_stamp *s)
{
	memset(h, 0, sizeof *h);
	memcpy(h->magic, DC_MAGIC, sizeof h->magic);
	h->version = DC_VERSION;
	h->endian = DC_ENDIAN;
	h->sz_project = (uint32_t)sizeof(struct project);
	h->sz_int = (uint32_t)sizeof(int);
	h->sz_long = (uint32_t)sizeof(long);
	h->sz_double = (uint32_t)sizeof(double);
	h->sz_ptr = (uint32_t)sizeof(void *);
	snprintf(h->package, sizeof h->package, "%s", PACKAGE_VERSION);
	h->stamp = *s;
}

/* A 64-bit checksum of the body, eight bytes at a time. */
static uint64_t checksum(const unsigned char *b, size_t n)
{
	uint64_t h = 0x243F6A8885A308D3ull ^ (uint64_t)n;
	size_t i = 0;
	for (; i + 8 <= n; i += 8) {
		uint64_t w;
		memcpy(&w, b + i, 8);
		h = (h ^ w) * 0x9E3779B97F4A7C15ull;
		h ^= h >> 31;
	}
	for (; i < n; i++) {
		h = (h ^ b[i]) * 0x100000001B3ull;
		h ^= h >> 29;
	}
	h ^= h >> 33;
	h *= 0xFF51AFD7ED558CCDull;
	h ^= h >> 33;
	return h;
}

/* ---- where ------------------------------------------------------------- */

char *defcache_file(const char *path)
{
	const char *xdg = getenv("XDG_CACHE_HOME");
	const char *home = getenv("HOME");
	char *dir;
	if (xdg && xdg[0] == '/')
		dir = xasprintf("%s/consort", xdg);
	else if (home && home[0] == '/')
		dir = xasprintf("%s/.cache/consort", home);
	else
		return NULL;
	char *abs = realpath(path, NULL);
	if (!abs) {
		free(dir);
		return NULL;
	}
	uint64_t h = hash_str(abs);
	free(abs);
	char *f = xasprintf("%s/%016llx.def", dir, (unsigned long long)h);
	free(dir);
	return f;
}

/* ---- writing ----------------------------------------------------------- */

struct wb {
	unsigned char *b;
	size_t len, cap;
};

static void w_raw(struct wb *w, const void *s, size_t n)
{
	if (w->len + n > w->cap) {
		size_t cap = w->cap ? w->cap : 4096;
		while (cap < w->len + n)
			cap *= 2;
		w->b = xrealloc(w->b, cap);
		w->cap = cap;
	}
	memcpy(w->b + w->len, s, n);
	w->len += n;
}

static void w_i32(struct wb *w, int v)
{
	int32_t x = (int32_t)v;
	w_raw(w, &x, 4);
}

static void w_i64(struct wb *w, int64_t v)
{
	w_raw(w, &v, 8);
}

static void w_dbl(struct wb *w, double v)
{
	w_raw(w, &v, 8);
}

static void w_str(struct wb *w, const char *s)
{
	uint32_t n = s ? (uint32_t)strlen(s) : DC_NULL_STR;
	w_raw(w, &n, 4);
	if (s)
		w_raw(w, s, (size_t)n + 1);
}

/* The fields of one part (or the project) in the order of its shape. */
static void w_shape(struct wb *w, const struct model_shape *sh, const char *base)
{
	for (int f = 0; f < sh->nfields; f++) {
		const struct model_field *fd = &sh->fields[f];
		const void *m = base + fd->off;
		int n = fd->count ? *(const int *)(base + fd->count) : 0;
		switch (fd->type) {
		case MF_STR:
		case MF_REQ:
			w_str(w, *(char *const *)m);
			break;
		case MF_INT:
		case MF_FLAG:
		case MF_MONTH:
		case MF_INDEX:
			w_i32(w, *(const int *)m);
			break;
		case MF_KIND:
			w_i32(w, (int)*(const enum target_kind *)m);
			break;
		case MF_LONG:
			w_i64(w, (int64_t)*(const long *)m);
			break;
		case MF_DOUBLE:
			w_dbl(w, *(const double *)m);
			break;
		case MF_STRV:
			w_i32(w, n);
			for (int i = 0; i < n; i++)
				w_str(w, (*(char **const *)m)[i]);
			break;
		case MF_INDEXV:
			w_i32(w, n);
			for (int i = 0; i < n; i++)
				w_i32(w, (*(int *const *)m)[i]);
			break;
		case MF_PARTS:
			w_i32(w, n);
			for (int i = 0; i < n; i++)
				w_shape(w, fd->parts, *(char *const *)m + (size_t)i * fd->parts->size);
			break;
		}
	}
}

static void w_project(struct wb *w, const struct project *p)
{
	w_shape(w, &project_shape, (const char *)p);
}

static void w_diags(struct wb *w, const struct diags *d, size_t first, int nwarnings)
{
	w_i32(w, nwarnings);
	w_i32(w, (int)(d->n - first));
	for (size_t i = first; i < d->n; i++) {
		w_i32(w, (int)d->v[i].level);
		w_i32(w, d->v[i].line);
		w_i32(w, d->v[i].col);
		w_str(w, d->v[i].msg);
	}
}

/* ---- reading ----------------------------------------------------------- */

struct rb {
	const unsigned char *b;
	size_t len, pos;
	int bad;
	int pool;             /* strings point into b instead of being copied */
	struct arena *arena;  /* where the arrays go; NULL: each allocated */
};

/* The readers check the bounds, not the failures before them: once one
 * read fails the fields read after it are thrown away with the model (the
 * loops stop at the next field or part, counts are refused), so a read
 * past a failure costs nothing but a wasted value, and the check is the
 * cost of every field. Each rule of the encoding is read in one place, on
 * a cursor (struct cur) that the parts' readers keep in registers; the
 * r_ readers below are the same reads on r, for the body's other fields. */

/* Are the n bytes all ASCII and none NUL (then valid UTF-8 without NUL)?
 * Eight at a time: most of a model's strings are ids and English. */
static int plain_ascii(const char *s, size_t n)
{
	if (n < 8) {
		if (n < 4) {
			for (size_t i = 0; i < n; i++)
				if ((unsigned)(unsigned char)s[i] - 1u >= 0x7Fu)
					return 0;
			return 1;
		}
		/* Two words of four, overlapping when n < 8. */
		uint32_t a, b;
		memcpy(&a, s, 4);
		memcpy(&b, s + n - 4, 4);
		return !(((a | ((a - 0x01010101u) & ~a)) | (b | ((b - 0x01010101u) & ~b))) & 0x80808080u);
	}
	/* The last word overlaps the one before it. */
	for (size_t i = 0;; i += 8) {
		if (i + 8 > n)
			i = n - 8;
		uint64_t w;
		memcpy(&w, s + i, 8);
		/* a high bit, or a zero byte (exact once no high bit is set) */
		if ((w | ((w - 0x0101010101010101ull) & ~w)) & 0x8080808080808080ull)
			return 0;
		if (i + 8 == n)
			return 1;
	}
}

/* Allocate n zeroed elements (NULL for none): in the arena when there is
 * one, else the way the loader does. */
static void *r_array(struct rb *r, int n, size_t sz)
{
	if (n <= 0)
		return NULL;
	return r->arena ? arena_calloc(r->arena, (size_t)n, sz) : xcalloc((size_t)n, sz);
}

/* How many parts an index may point into. */
static int r_bound(const struct project *p, enum model_of of)
{
	switch (of) {
	case MF_OF_PARTNERS: return p->npartners;
	case MF_OF_WPS: return p->nwps;
	case MF_OF_LABELS: return p->bench.nlabels;
	default: return 0;
	}
}

/* A cursor over the body: its position and end, the project read so far
 * (the bounds of its months and indexes) and r (the pool, the arena). Each
 * read returns nonzero when its field does not read: too few bytes left,
 * or a value out of its range. */
struct cur {
	const unsigned char *at, *end;
	const struct project *p;
	struct rb *r;            /* the pool and the arena */
};

static inline int d_u32(struct cur *c, uint32_t *v)
{
	if (c->end - c->at < 4) {
		*v = 0;
		return 1;
	}
	memcpy(v, c->at, 4);
	c->at += 4;
	return 0;
}

static inline int d_64(struct cur *c, void *v)
{
	if (c->end - c->at < 8) {
		memset(v, 0, 8);
		return 1;
	}
	memcpy(v, c->at, 8);
	c->at += 8;
	return 0;
}

/* A string as r_str reads it; req: NULL does not read. */
static inline int d_str(struct cur *c, char **m, int req)
{
	uint32_t n;
	*m = NULL;
	if (d_u32(c, &n))
		return 1;
	if (n == DC_NULL_STR)
		return req;
	if ((size_t)n >= (size_t)(c->end - c->at))
		return 1;
	const char *s = (const char *)c->at;
	if (s[n] != '\0' || (!plain_ascii(s, n) && (memchr(s, '\0', n) || !text_valid_utf8(s, n))))
		return 1;
	c->at += (size_t)n + 1;
	*m = c->r->pool ? (char *)s : xstrndup(s, n);
	return 0;
}

static inline int d_MF_STR(struct cur *c, char **m)
{
	return d_str(c, m, 0);
}

static inline int d_MF_REQ(struct cur *c, char **m)
{
	return d_str(c, m, 1);
}

static inline int d_MF_INT(struct cur *c, int *m)
{
	uint32_t u;
	int bad = d_u32(c, &u);
	*m = (int32_t)u;
	return bad;
}

static inline int d_MF_FLAG(struct cur *c, int *m)
{
	uint32_t u;
	int bad = d_u32(c, &u) | (u > 1);
	*m = (int)u;
	return bad;
}

static inline int d_MF_MONTH(struct cur *c, int *m)
{
	uint32_t u;
	int bad = d_u32(c, &u);
	*m = (int32_t)u;
	return bad | (*m < 1) | (*m > c->p->nmonths);
}

static inline int d_MF_KIND(struct cur *c, enum target_kind *m)
{
	uint32_t u;
	int bad = d_u32(c, &u) | (u != TARGET_COUNT && u != TARGET_DISTINCT);
	*m = u == TARGET_DISTINCT ? TARGET_DISTINCT : TARGET_COUNT;
	return bad;
}

static inline int d_MF_LONG(struct cur *c, long *m)
{
	int64_t x;
	int bad = d_64(c, &x) | (x < LONG_MIN) | (x > LONG_MAX);
	*m = (long)x;
	return bad;
}

static inline int d_MF_DOUBLE(struct cur *c, double *m)
{
	double x;
	int bad = d_64(c, &x);
	*m = x;
	return bad | isnan(x) | isinf(x);
}

/* An index into `bound` parts, or -1 when optional. */
static inline int d_index(struct cur *c, int *m, int bound, int optional)
{
	uint32_t u;
	int bad = d_u32(c, &u);
	*m = (int32_t)u;
	return bad | ((unsigned)*m >= (unsigned)bound && !(optional && *m == -1));
}

/* A count of elements each taking at least `min` bytes of what is left. */
static inline int d_count(struct cur *c, size_t min, int *n)
{
	uint32_t u;
	if (d_u32(c, &u) || (int32_t)u < 0 || (size_t)u > (size_t)(c->end - c->at) / min) {
		*n = 0;
		return 1;
	}
	*n = (int)u;
	return 0;
}

static inline int d_MF_STRV(struct cur *c, char ***m, int *count, enum model_of of, int least)
{
	(void)of;
	(void)least;
	int n, bad = d_count(c, 5, &n);
	char **v = r_array(c->r, n, sizeof *v);
	*m = v;
	*count = n;
	for (int i = 0; i < n && !bad; i++)
		bad = d_str(c, &v[i], 1);
	return bad;
}

static inline int d_MF_INDEXV(struct cur *c, int **m, int *count, enum model_of of, int least)
{
	int n, bad = d_count(c, 4, &n);
	int *v = r_array(c->r, n, sizeof *v);
	*m = v;
	*count = n;
	const int bound = r_bound(c->p, of);
	for (int i = 0; i < n && !bad; i++)
		bad = d_index(c, &v[i], bound, 0);
	return bad | (n < least);
}

/* The cursor's reads on r itself, a failure kept in r->bad. */
static struct cur r_cur(struct rb *r, const struct project *p)
{
	return (struct cur){r->b + r->pos, r->b + r->len, p, r};
}

static void r_back(struct rb *r, const struct cur *c, int bad)
{
	r->pos = (size_t)(c->at - r->b);
	if (bad)
		r->bad = 1;
}

static int r_i32(struct rb *r)
{
	struct cur c = r_cur(r, NULL);
	int v;
	r_back(r, &c, d_MF_INT(&c, &v));
	return v;
}

static char *r_req(struct rb *r)   /* a string that may not be NULL */
{
	struct cur c = r_cur(r, NULL);
	char *s;
	r_back(r, &c, d_MF_REQ(&c, &s));
	return s;
}

/* A count of elements each taking at least `min` bytes of what is left: a
 * huge count is refused before anything is allocated. */
static int r_count(struct rb *r, size_t min)
{
	struct cur c = r_cur(r, NULL);
	int n;
	r_back(r, &c, d_count(&c, min, &n));
	return n;
}

/* The least bytes a part of this shape takes in the body: a count of
 * parts larger than what is left could hold is refused before anything is
 * allocated. */
static size_t r_least(const struct model_shape *sh)
{
	size_t n = 0;
	for (int f = 0; f < sh->nfields; f++) {
		enum model_type t = sh->fields[f].type;
		n += t == MF_REQ ? 5 : t == MF_LONG || t == MF_DOUBLE ? 8 : 4;
	}
	return n ? n : 1;
}

/* The checks of what a project field (an int or the parts) says about the
 * fields read before:
 * dates as date_parse gives them (years 1900..9999) before any month is
 * read, one coordinator among the partners, each work package's tasks a
 * range of tasks that belong to it. */
static void r_after(struct rb *r, struct project *p, size_t off)
{
	if (off == offsetof(struct project, coordinator)) {
		cdate lo = date_from_ymd(1900, 1, 1), hi = date_from_ymd(9999, 12, 31);
		if (p->start < lo || p->start > hi || p->end < p->start || p->end > hi ||
		    p->nmonths < 1 || project_month_of(p, p->end) != p->nmonths)
			r->bad = 1;
	} else if (off == offsetof(struct project, partners)) {
		if (p->coordinator < 0 || p->coordinator >= p->npartners)
			r->bad = 1;
	} else if (off == offsetof(struct project, tasks)) {
		for (int i = 0; i < p->nwps && !r->bad; i++) {
			const struct wp *x = &p->wps[i];
			if (x->first_task < 0 || x->ntasks < 0 || x->first_task > p->ntasks ||
			    x->ntasks > p->ntasks - x->first_task) {
				r->bad = 1;
				break;
			}
			for (int k = x->first_task; k < x->first_task + x->ntasks && !r->bad; k++)
				if (p->tasks[k].wp != i)
					r->bad = 1;
		}
	}
}

/* ---- the parts' readers ------------------------------------------------ */

/* A reader for each kind of part, expanded from its list of fields
 * (project.h) as its shape's table is, so that the two read and write
 * the same fields in the same order: a walk of the table that dispatched
 * on each field's type, for the tens of thousands of fields of a large
 * definition, cost more than the reading itself. */
#define READ_FIELD(ft, type, member) bad |= d_##ft(&c, &x->member);
#define READ_INDEX(type, member, of, opt) bad |= d_index(&c, &x->member, r_bound(c.p, of), opt);
#define READ_VEC(ft, type, member, n, of, least) bad |= d_##ft(&c, &x->member, &x->n, of, least);
#define PART_READER(name, type, LIST)                                                   \
	static int read_##name(struct rb *r, const struct project *p, void *parts, int n) \
	{                                                                               \
		struct cur c = {r->b + r->pos, r->b + r->len, p, r};                    \
		int bad = 0;                                                            \
		for (type *x = parts, *xe = x + n; x < xe && !bad; x++) {               \
			LIST(READ_FIELD, READ_INDEX, READ_VEC)                          \
		}                                                                       \
		r->pos = (size_t)(c.at - r->b);                                         \
		return bad;                                                             \
	}
MODEL_PARTS(PART_READER)

#define PART_READER_ENTRY(name, type, LIST) {&name##_shape, read_##name},
static const struct {
	const struct model_shape *shape;
	int (*read)(struct rb *r, const struct project *p, void *parts, int n);
} part_readers[] = {MODEL_PARTS(PART_READER_ENTRY)};

/* Read n parts of shape sh into parts: 0, or nonzero when they do not read. */
static int r_parts(struct rb *r, const struct project *p, const struct model_shape *sh, void *parts, int n)
{
	for (size_t i = 0; i < sizeof part_readers / sizeof part_readers[0]; i++)
		if (part_readers[i].shape == sh)
			return n > 0 ? part_readers[i].read(r, p, parts, n) : 0;
	return 1;
}

/* Fill the project from the body, in the order of its shape (the same
 * reads as a part's, through the table: the project's few fields have
 * r_after's checks between them); its parts by their readers. Counts are
 * set as soon as the arrays exist, so project_free frees whatever was
 * read when a check fails midway. An index points only into parts read
 * before it. */
static void r_shape(struct rb *r, struct project *p)
{
	char *base = (char *)p;
	const struct model_shape *sh = &project_shape;
	for (const struct model_field *fd = sh->fields, *end = fd + sh->nfields; fd < end && !r->bad; fd++) {
		void *m = base + fd->off;
		int *count = (int *)(base + fd->count);   /* used by the counted types only */
		struct cur c = r_cur(r, p);
		int bad = 0;
		switch (fd->type) {
		case MF_STR: bad = d_MF_STR(&c, m); break;
		case MF_REQ: bad = d_MF_REQ(&c, m); break;
		case MF_INT: bad = d_MF_INT(&c, m); break;
		case MF_FLAG: bad = d_MF_FLAG(&c, m); break;
		case MF_MONTH: bad = d_MF_MONTH(&c, m); break;
		case MF_INDEX: bad = d_index(&c, m, r_bound(p, fd->of), fd->optional); break;
		case MF_KIND: bad = d_MF_KIND(&c, m); break;
		case MF_LONG: bad = d_MF_LONG(&c, m); break;
		case MF_DOUBLE: bad = d_MF_DOUBLE(&c, m); break;
		case MF_STRV: bad = d_MF_STRV(&c, m, count, fd->of, fd->min); break;
		case MF_INDEXV: bad = d_MF_INDEXV(&c, m, count, fd->of, fd->min); break;
		case MF_PARTS: {
			int n;
			bad = d_count(&c, r_least(fd->parts), &n);
			char *parts = r_array(r, n, fd->parts->size);
			*(char **)m = parts;
			*count = n;
			r_back(r, &c, bad);
			if (!r->bad && r_parts(r, p, fd->parts, parts, n) != 0)
				r->bad = 1;
			if (fd->parts == &period_shape)
				for (int i = 0; i < n && !r->bad; i++)
					if (p->periods[i].to < p->periods[i].from)
						r->bad = 1;
			if (!r->bad)
				r_after(r, p, fd->off);
			continue;
		}
		}
		r_back(r, &c, bad);
		if (!r->bad && fd->type == MF_INT)
			r_after(r, p, fd->off);
	}
}

static int r_project(struct rb *r, struct project *p)
{
	r_shape(r, p);
	return r->bad ? -1 : 0;
}

/* The warnings, appended to d only when all of them read well. */
static int r_diags(struct rb *r, struct diags *d, int *nwarnings)
{
	*nwarnings = r_i32(r);
	int n = r_count(r, 16);
	if (r->bad || *nwarnings < n || *nwarnings > LOAD_MAX_FILE)
		return -1;
	struct diag *v = n > 0 ? xcalloc((size_t)n, sizeof *v) : NULL;
	for (int i = 0; i < n && !r->bad; i++) {
		int lv = r_i32(r);
		v[i].level = lv == DIAG_ERROR ? DIAG_ERROR : DIAG_WARNING;
		v[i].line = r_i32(r);
		v[i].col = r_i32(r);
		v[i].msg = r_req(r);
		if ((lv != DIAG_WARNING && lv != DIAG_ERROR) || v[i].line < 0 || v[i].col < 0)
			r->bad = 1;
	}
	if (r->bad || r->pos != r->len) {
		for (int i = 0; i < n; i++)
			free(v[i].msg);
		free(v);
		return -1;
	}
	if (d) {
		xgrow(&d->v, &d->cap, d->n + (size_t)n, sizeof *d->v);
		for (int i = 0; i < n; i++)
			d->v[d->n++] = v[i];
	} else {
		for (int i = 0; i < n; i++)
			free(v[i].msg);
	}
	free(v);
	return 0;
}

/* The body: the absolute path it was made for, the project, the warnings.
 * It takes base, the block b lies in: the project's strings point into it
 * (a cached definition of thousands of items then costs no copy and no
 * allocation per string), and it is freed with the project, or at once
 * when the body does not read well. With base NULL the strings are
 * copied and b stays the caller's. */
static int r_body(void *base, size_t base_len, const unsigned char *b, size_t len,
                  const char *abs, struct project *p, struct diags *d, int *nwarnings)
{
	struct rb r = {b, len, 0, 0, 0, NULL};
	memset(p, 0, sizeof *p);
	char *who = r_req(&r);
	int same = who && strcmp(who, abs) == 0;
	free(who);
	if (!same) {
		free(base);
		return -1;
	}
	p->pool = base;
	p->pool_len = base ? base_len : 0;
	r.pool = base != NULL;
	if (base) {
		p->arena = xcalloc(1, sizeof *p->arena);
		p->arena->hint = len;
		r.arena = p->arena;
	}
	int ok = r_project(&r, p) == 0;
	r.pool = 0;
	r.arena = NULL;
	if (!ok || r_diags(&r, d, nwarnings) != 0) {
		project_free(p);
		return -1;
	}
	return 0;
}

unsigned char *defcache_encode(const struct project *p, size_t *len)
{
	struct wb w = {0};
	w_project(&w, p);
	*len = w.len;
	return w.b;
}

int defcache_decode(const unsigned char *b, size_t len, struct project *p)
{
	unsigned char *base = xmalloc(len ? len : 1);
	memcpy(base, b, len);
	return defcache_decode_take(base, len, p);
}

int defcache_decode_take(unsigned char *base, size_t len, struct project *p)
{
	struct rb r = {base, len, 0, 0, 1, NULL};
	memset(p, 0, sizeof *p);
	p->pool = base;
	p->pool_len = len;
	p->arena = xcalloc(1, sizeof *p->arena);
	p->arena->hint = len;
	r.arena = p->arena;
	if (r_project(&r, p) != 0 || r.pos != r.len) {
		project_free(p);
		return -1;
	}
	project_index(p);
	return 0;
}

/* ---- the entry points -------------------------------------------------- */

static int no_cache(void)
{
	const char *v = getenv("CONSORT_NO_CACHE");
	return v && v[0] && strcmp(v, "0") != 0;
}

static int same_stat(const struct stat *a, const struct stat *b)
{
	return a->st_dev == b->st_dev && a->st_ino == b->st_ino && a->st_size == b->st_size &&
	       a->st_mtim.tv_sec == b->st_mtim.tv_sec && a->st_mtim.tv_nsec == b->st_mtim.tv_nsec &&
	       a->st_ctim.tv_sec == b->st_ctim.tv_sec && a->st_ctim.tv_nsec == b->st_ctim.tv_nsec;
}

/* The whole cache file, or NULL. Only a regular file of ours is read. */
static unsigned char *read_entry(const char *file, size_t *len)
{
	int fd = open(file, O_RDONLY | O_CLOEXEC | O_NOFOLLOW | O_NOCTTY);
	if (fd < 0)
		return NULL;
	struct stat st;
	if (fstat(fd, &st) != 0 || !S_ISREG(st.st_mode) || st.st_uid != geteuid() ||
	    st.st_size < (off_t)sizeof(struct dc_header) || st.st_size > (off_t)DC_MAX_FILE) {
		close(fd);
		return NULL;
	}
	size_t want = (size_t)st.st_size, got = 0;
	unsigned char *buf = xmalloc(want);
	while (got < want) {
		ssize_t r = read(fd, buf + got, want - got);
		if (r < 0 && errno == EINTR)
			continue;
		if (r <= 0)
			break;
		got += (size_t)r;
	}
	close(fd);
	if (got != want) {
		free(buf);
		return NULL;
	}
	*len = got;
	return buf;
}

static int try_hit(const char *file, const char *abs, const struct dc_stamp *stamp,
                   struct project *p, struct diags *d, int *nwarnings)
{
	size_t len = 0;
	unsigned char *buf = read_entry(file, &len);
	if (!buf)
		return -1;
	struct dc_header want, got;
	header_fill(&want, stamp);
	memcpy(&got, buf, sizeof got);
	if (memcmp(&want, &got, offsetof(struct dc_header, body_len)) == 0 &&
	    got.body_len == len - sizeof got &&
	    got.body_sum == checksum(buf + sizeof got, (size_t)got.body_len))
		return r_body(buf, len, buf + sizeof got, (size_t)got.body_len, abs, p, d, nwarnings);
	free(buf);
	return -1;
}

/* file made anew with the n bytes at b, readable by its owner only: written
 * under a name of its own (mkstemp: never through a link) and renamed over
 * it, so that a reader finds the old entry or the new one, never a part;
 * nothing is left behind when a step fails. */
static void put_file(const char *file, const void *b, size_t n)
{
	struct err e = {0};
	char *tmp = xasprintf("%s.XXXXXX", file);
	int fd = -1;
	if (paths_mkdirs_for(file, &e) == 0)
		fd = mkstemp(tmp);
	if (fd >= 0) {
		size_t off = 0;
		int ok = fchmod(fd, 0600) == 0;
		while (ok && off < n) {
			ssize_t r = write(fd, (const char *)b + off, n - off);
			if (r < 0 && errno == EINTR)
				continue;
			if (r <= 0)
				ok = 0;
			else
				off += (size_t)r;
		}
		if (close(fd) != 0)
			ok = 0;
		if (!ok || rename(tmp, file) != 0)
			unlink(tmp);
	}
	free(tmp);
}

/* Write the entry for a freshly loaded project, atomically; quietly give up
 * on any failure. */
static void write_entry(const char *file, const char *abs, const struct dc_stamp *stamp,
                        const struct project *p, const struct diags *d, size_t first,
                        int nwarnings)
{
	struct wb w = {0};
	struct dc_header h;
	header_fill(&h, stamp);
	w_raw(&w, &h, sizeof h);
	w_str(&w, abs);
	w_project(&w, p);
	w_diags(&w, d, first, nwarnings);
	size_t body = w.len - sizeof h;
	if (w.len > DC_MAX_FILE) {
		free(w.b);
		return;
	}
	/* Only what reads back is written: an entry that would be refused
	 * would only cost a write on every run. */
	struct project chk;
	int nw;
	if (r_body(NULL, 0, w.b + sizeof h, body, abs, &chk, NULL, &nw) != 0) {
		free(w.b);
		return;
	}
	project_free(&chk);
	h.body_len = body;
	h.body_sum = checksum(w.b + sizeof h, body);
	memcpy(w.b, &h, sizeof h);

	put_file(file, w.b, w.len);
	free(w.b);
}

int defcache_reseal(const char *file)
{
	size_t len = 0;
	unsigned char *buf = read_entry(file, &len);
	if (!buf)
		return -1;
	struct dc_header h;
	memcpy(&h, buf, sizeof h);
	h.body_len = len - sizeof h;
	h.body_sum = checksum(buf + sizeof h, len - sizeof h);
	memcpy(buf, &h, sizeof h);
	FILE *f = fopen(file, "wb");
	int rc = f && fwrite(buf, 1, len, f) == len ? 0 : -1;
	if (f && fclose(f) != 0)
		rc = -1;
	free(buf);
	return rc;
}

/* ---- a definition's digest ------------------------------------------- */

#define DG_MAGIC "CONSDIG\n"
#define DG_VERSION 1u

struct dg_entry {
	char magic[8];
	uint32_t version, endian;
	struct dc_file file;
	char digest[72];
	uint64_t sum;
};

/* The entry for st, its checksum left 0. */
static void dg_fill(struct dg_entry *g, const struct stat *st, const char *digest)
{
	memset(g, 0, sizeof *g);
	memcpy(g->magic, DG_MAGIC, sizeof g->magic);
	g->version = DG_VERSION;
	g->endian = DC_ENDIAN;
	file_fill(&g->file, st);
	snprintf(g->digest, sizeof g->digest, "%s", digest);
}

static char *dg_file(const char *path)
{
	char *f = defcache_file(path);
	if (f)
		memcpy(f + strlen(f) - 4, ".dig", 4);   /* beside the .def entry */
	return f;
}

int defcache_digest_get(const char *path, const struct stat *st, size_t dlen, char *out)
{
	if (no_cache() || !S_ISREG(st->st_mode) || dlen >= sizeof ((struct dg_entry *)0)->digest)
		return -1;
	char *file = dg_file(path);
	if (!file)
		return -1;
	int fd = open(file, O_RDONLY | O_CLOEXEC | O_NOFOLLOW | O_NOCTTY);
	free(file);
	if (fd < 0)
		return -1;
	struct stat fst;
	struct dg_entry g, want;
	ssize_t r = -1;
	if (fstat(fd, &fst) == 0 && S_ISREG(fst.st_mode) && fst.st_uid == geteuid() &&
	    fst.st_size == (off_t)sizeof g)
		do
			r = read(fd, &g, sizeof g);
		while (r < 0 && errno == EINTR);
	close(fd);
	if (r != (ssize_t)sizeof g)
		return -1;
	dg_fill(&want, st, "");
	if (memcmp(&g, &want, offsetof(struct dg_entry, digest)) != 0 ||
	    g.sum != checksum((const unsigned char *)&g, offsetof(struct dg_entry, sum)) ||
	    memchr(g.digest, '\0', sizeof g.digest) == NULL || strlen(g.digest) != dlen)
		return -1;
	memcpy(out, g.digest, dlen + 1);
	return 0;
}

void defcache_digest_put(const char *path, const struct stat *st, const char *digest)
{
	/* Not within two seconds of a change of its times either (ctime
	 * moves with every change, at the granularity of the clock). */
	int64_t now = (int64_t)time(NULL);
	if (no_cache() || !S_ISREG(st->st_mode) || strlen(digest) >= sizeof ((struct dg_entry *)0)->digest ||
	    now - (int64_t)st->st_mtim.tv_sec < 2 || now - (int64_t)st->st_ctim.tv_sec < 2)
		return;
	char *file = dg_file(path);
	if (!file)
		return;
	struct dg_entry g;
	dg_fill(&g, st, digest);
	g.sum = checksum((const unsigned char *)&g, offsetof(struct dg_entry, sum));
	put_file(file, &g, sizeof g);
	free(file);
}

int defcache_load(const char *path, struct project *p, struct diags *d, int *io_errno)
{
	last_hit = 0;
	struct stat st0;
	char *file = NULL, *abs = NULL;
	struct dc_stamp stamp;
	if (!no_cache() && stat(path, &st0) == 0 && S_ISREG(st0.st_mode) &&
	    (file = defcache_file(path)) != NULL && (abs = realpath(path, NULL)) != NULL) {
		stamp_fill(&stamp, &st0);
		int nw = 0;
		if (try_hit(file, abs, &stamp, p, d, &nw) == 0) {
			p->path = xstrdup(path);
			project_index(p);
			if (!d->file)
				d->file = xstrdup(path);
			d->nwarnings += nw;
			if (io_errno)
				*io_errno = 0;
			last_hit = 1;
			free(file);
			free(abs);
			return 0;
		}
	} else {
		free(file);
		file = NULL;
	}
	size_t first = d->n;
	int warn0 = d->nwarnings, err0 = d->nerrors;
	int rc = load_project_file(path, p, d, io_errno);
	struct stat st1;
	/* A definition modified within the last two seconds may be modified
	 * again without its times moving on (their granularity): it is cached
	 * on a later run. */
	if (rc == 0 && file && abs && d->nerrors == err0 && stat(path, &st1) == 0 &&
	    same_stat(&st0, &st1) && (int64_t)time(NULL) - (int64_t)st1.st_mtim.tv_sec >= 2)
		write_entry(file, abs, &stamp, p, d, first, d->nwarnings - warn0);
	free(file);
	free(abs);
	return rc;
}
