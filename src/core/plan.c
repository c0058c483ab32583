/* plan: the version in force and the diff between two versions' models
 * (no SQL: store_plan.c reads and writes the versions). */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <sodium.h>

#include "core/defcache.h"
#include "core/hash.h"
#include "core/plan.h"

void plan_versions_free(struct plan_version *v, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		free(v[i].login);
		free(v[i].note);
	}
	free(v);
}

struct plan_version *plan_versions_dup(const struct plan_version *v, size_t n)
{
	struct plan_version *c = xcalloc(n ? n : 1, sizeof *c);
	for (size_t i = 0; i < n; i++) {
		c[i] = v[i];
		c[i].login = v[i].login ? xstrdup(v[i].login) : NULL;
		c[i].note = v[i].note ? xstrdup(v[i].note) : NULL;
	}
	return c;
}

int plan_in_force(const struct plan_version *v, size_t n, cdate asof)
{
	if (n == 0)
		return -1;
	int best = -1;
	for (size_t i = 0; i < n; i++) {
		if (v[i].effective > asof)
			continue;
		/* Recorded later (a greater entry id) wins among equal dates. */
		if (best < 0 || v[i].effective > v[best].effective ||
		    (v[i].effective == v[best].effective && v[i].entry > v[best].entry))
			best = (int)i;
	}
	return best >= 0 ? best : 0;
}

int plan_find(const struct plan_version *v, size_t n, int number)
{
	for (size_t i = 0; i < n; i++)
		if (v[i].number == number)
			return (int)i;
	return -1;
}

const char *plan_digest(const char *text, size_t len, char *buf)
{
	snprintf(buf, 17, "%016" PRIx64, hash_bytes(text, len));
	return buf;
}

const char *plan_digest_b2(const char *text, size_t len, char *buf)
{
	unsigned char h[32];
	crypto_generichash(h, sizeof h, (const unsigned char *)text, (unsigned long long)len, NULL, 0);
	sodium_bin2hex(buf, PLAN_DIGEST_SIZE, h, sizeof h);
	return buf;
}

int plan_digest_is(const char *digest, const char *text, size_t len)
{
	char dg[PLAN_DIGEST_SIZE];
	if (strlen(digest) == PLAN_DIGEST_SIZE - 1)
		return strcmp(digest, plan_digest_b2(text, len, dg)) == 0;
	return strlen(digest) == 16 && strcmp(digest, plan_digest(text, len, dg)) == 0;
}

static int same_state(const struct stat *a, const struct stat *b)
{
	return a->st_dev == b->st_dev && a->st_ino == b->st_ino && a->st_size == b->st_size &&
	       a->st_mtim.tv_sec == b->st_mtim.tv_sec && a->st_mtim.tv_nsec == b->st_mtim.tv_nsec &&
	       a->st_ctim.tv_sec == b->st_ctim.tv_sec && a->st_ctim.tv_nsec == b->st_ctim.tv_nsec;
}

/* The file is read and hashed only when no digest is recorded for its
 * present state (defcache.h): a definition of half a megabyte is otherwise
 * hashed by every command that compares it with the log's plan. */
int plan_digest_file_is(const char *digest, const char *path, size_t max)
{
	int b2 = strlen(digest) == PLAN_DIGEST_SIZE - 1;
	if (!b2 && strlen(digest) != 16)
		return 0;
	int fd = open(path, O_RDONLY | O_CLOEXEC | O_NOCTTY);
	if (fd < 0)
		return -1;
	char dg[PLAN_DIGEST_SIZE];
	struct stat st0, st1;
	int known = fstat(fd, &st0) == 0;
	if (known && S_ISREG(st0.st_mode) && (uint64_t)st0.st_size <= (uint64_t)max &&
	    defcache_digest_get(path, &st0, b2 ? PLAN_DIGEST_SIZE - 1 : 16, dg) == 0) {
		close(fd);
		return strcmp(digest, dg) == 0;
	}
	crypto_generichash_state st;
	crypto_generichash_init(&st, NULL, 0, 32);
	uint64_t h = hash_bytes(NULL, 0);
	size_t total = 0;
	unsigned char chunk[65536];
	for (;;) {
		ssize_t r = read(fd, chunk, sizeof chunk);
		if (r < 0 && errno == EINTR)
			continue;
		if (r < 0 || total + (size_t)(r > 0 ? r : 0) > max) {
			close(fd);
			return -1;
		}
		if (r == 0)
			break;
		total += (size_t)r;
		if (b2)
			crypto_generichash_update(&st, chunk, (unsigned long long)r);
		else
			h = hash_more(h, chunk, (size_t)r);
	}
	/* Recorded only when the file did not change while it was read. */
	known = known && fstat(fd, &st1) == 0 && same_state(&st0, &st1) &&
	        (uint64_t)st0.st_size == (uint64_t)total;
	close(fd);
	if (b2) {
		unsigned char out[32];
		crypto_generichash_final(&st, out, sizeof out);
		sodium_bin2hex(dg, sizeof dg, out, sizeof out);
	} else {
		snprintf(dg, 17, "%016" PRIx64, h);
	}
	if (known)
		defcache_digest_put(path, &st0, dg);
	return strcmp(digest, dg) == 0;
}

/* ---- the diff --------------------------------------------------------- */

struct dl {
	struct plan_diff *v;
	size_t n, cap;
};

static void add(struct dl *d, enum plan_change c, const char *kind, const char *id,
                const char *field, char *old, char *new_)
{
	xgrow(&d->v, &d->cap, d->n + 1, sizeof *d->v);
	d->v[d->n++] = (struct plan_diff){c, kind, xstrdup(id ? id : ""), field, old, new_};
}

static const char *kind_of(const struct model_field *fd)
{
	const struct model_shape *sh = fd->parts;
	if (sh == &period_shape) return "period";
	if (sh == &partner_shape) return "partner";
	if (sh == &wp_shape) return "work package";
	if (sh == &task_shape) return "task";
	if (sh == &deliverable_shape) return "deliverable";
	if (sh == &milestone_shape) return "milestone";
	if (sh == &target_shape) return "target";
	if (sh == &indicator_shape) return "indicator";
	if (sh == &bcluster_shape) return "cluster";
	return fd->name;
}

/* Fields that are the model's bookkeeping, not the plan. */
static int skipped(const struct model_field *fd)
{
	return strcmp(fd->name, "first_task") == 0 || strcmp(fd->name, "ntasks") == 0 ||
	       strcmp(fd->name, "nmonths") == 0 ||
	       (strcmp(fd->name, "coordinator") == 0 && fd->type == MF_INT);
}

static const char *ref_name(const struct project *p, enum model_of of, int i)
{
	if (i < 0)
		return "(none)";
	switch (of) {
	case MF_OF_PARTNERS: return i < p->npartners ? p->partners[i].id : "?";
	case MF_OF_WPS: return i < p->nwps ? p->wps[i].id : "?";
	case MF_OF_LABELS: return i < p->bench.nlabels ? p->bench.labels[i] : "?";
	case MF_OF_NONE: break;
	}
	return "?";
}

struct sb {
	char *b;
	size_t len, cap;
};

static void sb_add(struct sb *s, const char *t)
{
	size_t n = strlen(t);
	xgrow(&s->b, &s->cap, s->len + n + 1, 1);
	memcpy(s->b + s->len, t, n + 1);
	s->len += n;
}

/* A field's value as text; *key gets what is compared (for months the
 * number alone, so that a moved project start is not a change of every
 * month). */
static char *render(const struct project *p, const struct model_shape *sh,
                    const struct model_field *fd, const char *base, char **key)
{
	const void *m = base + fd->off;
	int n = fd->count ? *(const int *)(base + fd->count) : 0;
	char buf[64];
	struct sb s = {0};
	*key = NULL;
	switch (fd->type) {
	case MF_STR:
	case MF_REQ: {
		const char *v = *(char *const *)m;
		sb_add(&s, v ? v : "(none)");
		break;
	}
	case MF_INT:
		if (sh == &project_shape && (strcmp(fd->name, "start") == 0 || strcmp(fd->name, "end") == 0))
			date_format(*(const int *)m, buf);
		else
			snprintf(buf, sizeof buf, "%d", *(const int *)m);
		sb_add(&s, buf);
		break;
	case MF_FLAG:
		sb_add(&s, *(const int *)m ? "yes" : "no");
		break;
	case MF_MONTH: {
		int mo = *(const int *)m;
		project_month_label(p, mo, buf);
		sb_add(&s, buf);
		*key = xasprintf("M%d", mo);
		break;
	}
	case MF_INDEX:
		sb_add(&s, ref_name(p, fd->of, *(const int *)m));
		break;
	case MF_KIND:
		sb_add(&s, *(const enum target_kind *)m == TARGET_DISTINCT ? "distinct" : "count");
		break;
	case MF_LONG:
		snprintf(buf, sizeof buf, "%ld", *(const long *)m);
		sb_add(&s, buf);
		break;
	case MF_DOUBLE:
		snprintf(buf, sizeof buf, "%g", *(const double *)m);
		sb_add(&s, buf);
		break;
	case MF_STRV:
	case MF_INDEXV:
		for (int i = 0; i < n; i++) {
			if (i)
				sb_add(&s, ", ");
			if (fd->type == MF_STRV)
				sb_add(&s, (*(char **const *)m)[i]);
			else
				sb_add(&s, ref_name(p, fd->of, (*(int *const *)m)[i]));
		}
		if (n == 0)
			sb_add(&s, "(none)");
		break;
	case MF_PARTS:
		snprintf(buf, sizeof buf, "%d", n);
		sb_add(&s, buf);
		break;
	}
	return s.b;
}

/* The id of a part: its field "id", else the items it belongs to, its
 * required references joined (a benchmark cluster's partner, a planned
 * effort's partner and work package), else its position. */
static char *part_id(const struct project *p, const struct model_shape *sh, const char *base, int i)
{
	for (int f = 0; f < sh->nfields; f++) {
		const struct model_field *fd = &sh->fields[f];
		if ((fd->type == MF_REQ || fd->type == MF_STR) && strcmp(fd->name, "id") == 0)
			return xstrdup(*(char *const *)(base + fd->off) ? *(char *const *)(base + fd->off) : "");
	}
	struct sb s = {0};
	for (int f = 0; f < sh->nfields; f++) {
		const struct model_field *fd = &sh->fields[f];
		if (fd->type != MF_INDEX || fd->optional)
			continue;
		if (s.len)
			sb_add(&s, " ");
		sb_add(&s, ref_name(p, fd->of, *(const int *)(base + fd->off)));
	}
	return s.b ? s.b : xasprintf("#%d", i + 1);
}

/* Each non-part field of the shape that differs between a and b. */
static void diff_fields(struct dl *d, const struct model_shape *sh, const char *kind, const char *id,
                        const struct project *pa, const char *a, const struct project *pb,
                        const char *b)
{
	for (int f = 0; f < sh->nfields; f++) {
		const struct model_field *fd = &sh->fields[f];
		if (fd->type == MF_PARTS || skipped(fd))
			continue;
		char *ka, *kb;
		char *va = render(pa, sh, fd, a, &ka), *vb = render(pb, sh, fd, b, &kb);
		int same = strcmp(ka ? ka : va, kb ? kb : vb) == 0;
		free(ka);
		free(kb);
		if (same) {
			free(va);
			free(vb);
		} else {
			add(d, PLAN_CHANGED, kind, id, fd->name, va, vb);
		}
	}
}

static int find_part(const struct project *p, const struct model_shape *sh, const char *parts, int n,
                     const char *id)
{
	for (int i = 0; i < n; i++) {
		char *x = part_id(p, sh, parts + (size_t)i * sh->size, i);
		int same = strcmp(x, id) == 0;
		free(x);
		if (same)
			return i;
	}
	return -1;
}

void plan_diff_models(const struct project *a, const struct project *b, struct plan_diff **out,
                      size_t *n)
{
	struct dl d = {0};
	diff_fields(&d, &project_shape, "project", b->acronym, a, (const char *)a, b, (const char *)b);
	for (int f = 0; f < project_shape.nfields; f++) {
		const struct model_field *fd = &project_shape.fields[f];
		if (fd->type != MF_PARTS)
			continue;
		const struct model_shape *sh = fd->parts;
		const char *kind = kind_of(fd);
		const char *pa = *(char *const *)((const char *)a + fd->off);
		const char *pb = *(char *const *)((const char *)b + fd->off);
		int na = *(const int *)((const char *)a + fd->count);
		int nb = *(const int *)((const char *)b + fd->count);
		for (int i = 0; i < na; i++) {
			const char *pi = pa + (size_t)i * sh->size;
			char *id = part_id(a, sh, pi, i);
			int j = find_part(b, sh, pb, nb, id);
			if (j < 0)
				add(&d, PLAN_REMOVED, kind, id, NULL, NULL, NULL);
			else
				diff_fields(&d, sh, kind, id, a, pi, b, pb + (size_t)j * sh->size);
			free(id);
		}
		for (int j = 0; j < nb; j++) {
			char *id = part_id(b, sh, pb + (size_t)j * sh->size, j);
			if (find_part(a, sh, pa, na, id) < 0)
				add(&d, PLAN_ADDED, kind, id, NULL, NULL, NULL);
			free(id);
		}
	}
	*out = d.v;
	*n = d.n;
}

void plan_diff_free(struct plan_diff *v, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		free(v[i].id);
		free(v[i].old);
		free(v[i].new);
	}
	free(v);
}
