/* load: read a project definition (YAML, format 1) into the model.
 *
 * Two steps. First the size is checked and yamltree.c turns the bytes into
 * a small tree of mappings, lists and scalars (checking the bytes, refusing
 * anchors, aliases and tags, bounding depth, scalar size and node count),
 * its errors reported here like every other. Then the tree is checked against the format
 * (consort-project(5)) section by section, filling the model; every problem
 * becomes a diagnostic with the line and column of the offending node and
 * the checking goes on with the next item, so that one run reports as many
 * errors as it can. Ids are found through hash maps, never by scanning. */
#include "config.h"
#include "core/load.h"
#include "core/resources.h"

#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "core/hash.h"
#include "core/text.h"
#include "core/util.h"
#include "core/yamltree.h"

#define LOAD_MAX_DIAGS 500      /* kept; the rest are only counted */
#define ID_MAX 32
#define QUOTE_COLS 40

/* ---- id maps: keys borrowed from the tree, found through the id index -- */

struct ident {
	const char *key;
	int val;                /* index in the model */
	int line;               /* where it was first defined */
	const char *kind;       /* what it is ("task", ...) */
};

struct idmap {
	struct id_index ix;     /* value: 1 + the ident's place in v */
	struct ident *v;
	size_t n, cap;
};

static const char *ident_key(const void *ctx, uint32_t v)
{
	const struct idmap *m = ctx;
	return m->v[v - 1].key;
}

static const struct ident *idmap_find(const struct idmap *m, const char *key)
{
	if (!key)
		return NULL;
	uint32_t v = id_index_get(&m->ix, key, ident_key, m);
	return v ? &m->v[v - 1] : NULL;
}

/* Insert key; returns the earlier entry when the key is already there. */
static const struct ident *idmap_put(struct idmap *m, const char *key, int val, int line,
                                     const char *kind)
{
	const struct ident *old = idmap_find(m, key);
	if (old)
		return old;
	xgrow(&m->v, &m->cap, m->n + 1, sizeof *m->v);
	m->v[m->n++] = (struct ident){key, val, line, kind};
	id_index_add(&m->ix, (uint32_t)m->n, ident_key, m);
	return NULL;
}

static void idmap_free(struct idmap *m)
{
	id_index_free(&m->ix);
	free(m->v);
}

/* ---- loader state --------------------------------------------------------- */

struct ld {
	struct diags *d;
	struct project *p;
	struct yamltree tree;
	size_t dropped;         /* diagnostics beyond LOAD_MAX_DIAGS */
	char qbuf[8][256];      /* quoted values for messages */
	int qi;
	struct idmap partners, wps, items, periods, targets, labels, indicators,
		users, clusters;
	int no_partners, no_wps;  /* the section is missing: no reference errors */
	int *seen;              /* per partner: the last task that listed it */
	const struct node **effort;  /* per partner: its effort mapping, read after the WPs */
	const struct node *budget_total;  /* project.budget.total, for the sums' warning */
	int budget_bad;         /* a planned amount was refused: no sums' warning */
};

static void vdiag(struct ld *l, enum diag_level lv, int line, int col, const char *fmt, va_list ap)
{
	struct diags *d = l->d;
	if (lv == DIAG_ERROR)
		d->nerrors++;
	else
		d->nwarnings++;
	if (d->n >= LOAD_MAX_DIAGS) {
		l->dropped++;
		return;
	}
	struct sbuf b = {0};
	sbuf_vprintf(&b, fmt, ap);
	xgrow(&d->v, &d->cap, d->n + 1, sizeof *d->v);
	struct diag *g = &d->v[d->n++];
	g->level = lv;
	g->line = line;
	g->col = col;
	g->msg = sbuf_take(&b);
}

__attribute__((format(printf, 5, 6)))
static void diag_at(struct ld *l, enum diag_level lv, int line, int col, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	vdiag(l, lv, line, col, fmt, ap);
	va_end(ap);
}

__attribute__((format(printf, 3, 4)))
static void err_node(struct ld *l, const struct node *n, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	vdiag(l, DIAG_ERROR, n ? n->line : 0, n ? n->col : 0, fmt, ap);
	va_end(ap);
}

__attribute__((format(printf, 3, 4)))
static void warn_node(struct ld *l, const struct node *n, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	vdiag(l, DIAG_WARNING, n ? n->line : 0, n ? n->col : 0, fmt, ap);
	va_end(ap);
}

/* Untrusted text, made inert and cut to about QUOTE_COLS columns, in quotes.
 * The result lives in a small ring: at most a few per message. */
static const char *quote(struct ld *l, const char *s, size_t len)
{
	char *buf = l->qbuf[l->qi];
	l->qi = (l->qi + 1) % 8;
	char *clean = text_sanitize_n(s, len < 1024 ? len : 1024, 0);
	if (text_width(clean) > QUOTE_COLS) {
		char *fit = text_fit(clean, QUOTE_COLS, 'l', 0);
		free(clean);
		clean = fit;
	}
	/* Bound the bytes too (zero-width characters take no columns). */
	size_t n = strlen(clean), keep = 0, limit = sizeof l->qbuf[0] - 6;
	while (keep < n) {
		long cp;
		int k = text_decode(clean + keep, n - keep, &cp);
		if (keep + (size_t)k > limit)
			break;
		keep += (size_t)k;
	}
	buf[0] = '\'';
	memcpy(buf + 1, clean, keep);
	if (keep < n) {
		memcpy(buf + 1 + keep, "\xe2\x80\xa6", 3);
		keep += 3;
	}
	buf[1 + keep] = '\'';
	buf[2 + keep] = '\0';
	free(clean);
	return buf;
}

static const char *quote_s(struct ld *l, const char *s)
{
	return quote(l, s, strlen(s));
}

/* What a node is, for "found ..." */
static const char *found(struct ld *l, const struct node *n)
{
	if (!n)
		return "nothing";
	switch (n->type) {
	case N_SEQ:
		return "a list";
	case N_MAP:
		return "a mapping";
	case N_SCALAR:
		break;
	}
	if (n->null)
		return "nothing";
	return quote(l, n->s, n->len);
}

/* ---- step 1: bytes and YAML into a tree (yamltree.c) -------------------- */

static void tree_error(void *ctx, int line, int col, const char *msg)
{
	diag_at(ctx, DIAG_ERROR, line, col, "%s", msg);
}

static const char *tree_quote(void *ctx, const char *s)
{
	return quote_s(ctx, s);
}

/* ---- step 2: checking values -------------------------------------------- */

static int is_null(const struct node *n)
{
	return !n || (n->type == N_SCALAR && n->null);
}

/* Look at a mapping's keys. vals[i] is the value of keys[i] or NULL.
 * what names the mapping in messages ("deliverable D3.2"). */
static int map_keys(struct ld *l, const struct node *m, const char *what,
                    const char *const *keys, int nkeys, const struct node **vals)
{
	const struct node *knode[32];
	for (int i = 0; i < nkeys; i++)
		vals[i] = knode[i] = NULL;
	if (!m || m->type != N_MAP) {
		err_node(l, m, "expected a mapping for %s, found %s", what, found(l, m));
		return -1;
	}
	for (size_t i = 0; i + 1 < m->nkid; i += 2) {
		const struct node *k = m->kid[i], *v = m->kid[i + 1];
		if (k->type != N_SCALAR) {
			err_node(l, k, "expected a key name in %s, found %s", what, found(l, k));
			continue;
		}
		int j;
		for (j = 0; j < nkeys; j++)
			if (strcmp(k->s, keys[j]) == 0)
				break;
		if (j == nkeys) {
			struct sbuf b = {0};
			for (int x = 0; x < nkeys; x++)
				sbuf_printf(&b, "%s%s", x ? ", " : "", keys[x]);
			err_node(l, k, "unknown key %s in %s (expected one of: %s)",
			         found(l, k), what, sbuf_str(&b));
			sbuf_free(&b);
			continue;
		}
		if (knode[j]) {
			err_node(l, k, "duplicate key '%s' in %s (first at line %d)", keys[j], what,
			         knode[j]->line);
			continue;
		}
		knode[j] = k;
		vals[j] = v;
	}
	return 0;
}

static void missing(struct ld *l, const struct node *m, const char *key, const char *what)
{
	err_node(l, m, "missing required key '%s' in %s", key, what);
}

/* A string value: NULL when absent (and an error when required). */
static char *get_str(struct ld *l, const struct node *m, const struct node *v,
                     const char *key, const char *what, int required)
{
	if (is_null(v)) {
		if (required)
			missing(l, v ? v : m, key, what);
		return NULL;
	}
	if (v->type != N_SCALAR) {
		err_node(l, v, "expected a string, found %s", found(l, v));
		return NULL;
	}
	return xstrndup(v->s, v->len);
}

static int id_syntax(const char *s, size_t len)
{
	if (len < 1 || len > ID_MAX)
		return 0;
	for (size_t i = 0; i < len; i++) {
		unsigned char c = (unsigned char)s[i];
		if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
		      c == '-' || c == '_' || c == '.'))
			return 0;
	}
	return 1;
}

/* An id: the tree's own text (borrowed), or NULL. */
static const char *get_id(struct ld *l, const struct node *m, const struct node *v,
                          const char *key, const char *what, int required)
{
	if (is_null(v)) {
		if (required)
			missing(l, v ? v : m, key, what);
		return NULL;
	}
	if (v->type != N_SCALAR || !id_syntax(v->s, v->len)) {
		err_node(l, v, "expected an id (1 to %d letters, digits, '-', '_' or '.'), found %s",
		         ID_MAX, found(l, v));
		return NULL;
	}
	return v->s;
}

/* A plain unsigned decimal integer; -1 when it is not one. */
static long parse_uint(const struct node *v)
{
	if (!v || v->type != N_SCALAR || v->len == 0 || v->len > 9)
		return -1;
	long x = 0;
	for (size_t i = 0; i < v->len; i++) {
		if (v->s[i] < '0' || v->s[i] > '9')
			return -1;
		x = x * 10 + (v->s[i] - '0');
	}
	return x;
}

/* A month within the project. Returns 0 and sets *out, or -1. */
static int get_month(struct ld *l, const struct node *m, const struct node *v,
                     const char *key, const char *what, int required, int *out)
{
	*out = 0;
	if (is_null(v)) {
		if (required)
			missing(l, v ? v : m, key, what);
		return -1;
	}
	long x = parse_uint(v);
	if (x < 0) {
		err_node(l, v, "expected an integer month, found %s", found(l, v));
		return -1;
	}
	int nm = l->p->nmonths;
	if (nm > 0 && (x < 1 || x > nm)) {
		err_node(l, v, "month %ld is outside the project (1..%d)", x, nm);
		return -1;
	}
	if (nm <= 0 && x < 1) {
		err_node(l, v, "month %ld is outside the project (months count from 1)", x);
		return -1;
	}
	*out = (int)x;
	return 0;
}

/* A decimal number: digits, an optional fraction, an optional leading '-'. */
static int get_number(struct ld *l, const struct node *m, const struct node *v,
                      const char *key, const char *what, int required, double *out)
{
	if (is_null(v)) {
		if (required)
			missing(l, v ? v : m, key, what);
		return -1;
	}
	int ok = v->type == N_SCALAR && v->len > 0 && v->len < 32;
	if (ok) {
		size_t i = v->s[0] == '-' ? 1 : 0, digits = 0, frac = 0;
		for (; i < v->len && v->s[i] >= '0' && v->s[i] <= '9'; i++)
			digits++;
		if (i < v->len && v->s[i] == '.')
			for (i++; i < v->len && v->s[i] >= '0' && v->s[i] <= '9'; i++)
				frac++;
		ok = digits > 0 && i == v->len && (frac > 0 || v->s[v->len - 1] != '.');
	}
	if (!ok) {
		err_node(l, v, "expected a number, found %s", found(l, v));
		return -1;
	}
	*out = strtod(v->s, NULL);
	return 0;
}

/* One of a fixed set of words: its index, or -1. */
static int get_enum(struct ld *l, const struct node *m, const struct node *v, const char *key,
                    const char *what, int required, const char *const *words, int nwords)
{
	if (is_null(v)) {
		if (required)
			missing(l, v ? v : m, key, what);
		return -1;
	}
	if (v->type == N_SCALAR)
		for (int i = 0; i < nwords; i++)
			if (strcmp(v->s, words[i]) == 0)
				return i;
	struct sbuf b = {0};
	for (int i = 0; i < nwords; i++)
		sbuf_printf(&b, "%s%s", i ? (i == nwords - 1 ? " or " : ", ") : "", words[i]);
	err_node(l, v, "expected %s, found %s", sbuf_str(&b), found(l, v));
	sbuf_free(&b);
	return -2;
}

static int get_date(struct ld *l, const struct node *m, const struct node *v,
                    const char *key, const char *what, cdate *out)
{
	if (is_null(v)) {
		missing(l, v ? v : m, key, what);
		return -1;
	}
	if (v->type != N_SCALAR || date_parse(v->s, out) != 0) {
		err_node(l, v, "expected a date YYYY-MM-DD, found %s", found(l, v));
		return -1;
	}
	return 0;
}

/* A list (possibly absent or empty). Returns the node, or NULL. */
static const struct node *get_list(struct ld *l, const struct node *m, const struct node *v,
                                   const char *key, const char *what, int required,
                                   const char *item)
{
	if (is_null(v)) {
		if (required)
			missing(l, v ? v : m, key, what);
		return NULL;
	}
	if (v->type != N_SEQ) {
		err_node(l, v, "expected a list of %s, found %s", item, found(l, v));
		return NULL;
	}
	if (required && v->nkid == 0) {
		err_node(l, v, "expected at least one item in '%s', found an empty list", key);
		return NULL;
	}
	return v;
}

static int country_ok(const char *s, size_t len)
{
	return len == 2 && project_country_code(s);
}

/* "kind ID" for messages, with the id made inert. */
static void name_item(char *buf, size_t n, const char *kind, const struct node *m)
{
	const char *id = NULL;
	if (m && m->type == N_MAP)
		for (size_t i = 0; i + 1 < m->nkid; i += 2)
			if (m->kid[i]->type == N_SCALAR && strcmp(m->kid[i]->s, "id") == 0 &&
			    m->kid[i + 1]->type == N_SCALAR &&
			    id_syntax(m->kid[i + 1]->s, m->kid[i + 1]->len))
				id = m->kid[i + 1]->s;
	if (id)
		snprintf(buf, n, "%s %s", kind, id);
	else
		snprintf(buf, n, "%s", kind);
}

/* Register an id of a kind; duplicates are errors. Returns 0 when new. */
static int define_id(struct ld *l, struct idmap *map, const char *kind, const char *id,
                     const struct node *v, int index)
{
	if (!id)
		return -1;
	const struct ident *old = idmap_put(map, id, index, v->line, kind);
	if (old) {
		err_node(l, v, "duplicate %s id '%s' (first defined at line %d)", kind, id, old->line);
		return -1;
	}
	return 0;
}

/* Tasks, deliverables and milestones (and work packages) share one set of
 * ids, since commands name an item by its id alone. */
static void define_item(struct ld *l, const char *kind, const char *id, const struct node *v,
                        int index)
{
	if (!id)
		return;
	const struct ident *old = idmap_put(&l->items, id, index, v->line, kind);
	if (!old)
		return;
	if (strcmp(old->kind, kind) == 0)
		err_node(l, v, "duplicate %s id '%s' (first defined at line %d)", kind, id, old->line);
	else
		err_node(l, v, "id '%s' is already used by a %s (line %d); work packages, tasks, "
		         "deliverables and milestones share one set of ids", id, old->kind, old->line);
}

static int ref_partner(struct ld *l, const struct node *v)
{
	if (l->no_partners)
		return -1;
	if (v->type != N_SCALAR || v->null) {
		err_node(l, v, "expected a partner id, found %s", found(l, v));
		return -1;
	}
	const struct ident *e = idmap_find(&l->partners, v->s);
	if (!e) {
		err_node(l, v, "partner %s is not defined", found(l, v));
		return -1;
	}
	return e->val;
}

static int ref_wp(struct ld *l, const struct node *v)
{
	if (l->no_wps)
		return -1;
	if (v->type != N_SCALAR || v->null) {
		err_node(l, v, "expected a work package id, found %s", found(l, v));
		return -1;
	}
	const struct ident *e = idmap_find(&l->wps, v->s);
	if (!e) {
		err_node(l, v, "work package %s is not defined", found(l, v));
		return -1;
	}
	return e->val;
}

/* ---- step 2: the sections ------------------------------------------------- */

enum { P_ACRONYM, P_TITLE, P_PROGRAMME, P_START, P_END, P_PERIODS, P_BUDGET, P_N };
static const char *const project_keys[] = {"acronym", "title", "programme", "start", "end",
                                           "reporting_periods", "budget"};

/* An amount of two decimals at most (money, person-months, percent) into
 * hundredths, from the YAML text itself: no binary floating point. */
static int get_amount(struct ld *l, const struct node *v, const char *key, const char *what,
                      long *out)
{
	int rc = v && v->type == N_SCALAR && !v->null ? res_parse(v->s, v->len, 0, out)
	                                              : RES_BAD_NUMBER;
	if (rc == RES_OK)
		return 0;
	l->budget_bad = 1;
	if (rc == RES_BAD_NUMBER)
		err_node(l, v, "expected a number with at most two decimals for %s in %s, found %s",
		         key, what, found(l, v));
	else
		err_node(l, v, "%s in %s is %s (%s); expected a number, not negative, with at "
		         "most two decimals", key, what, found(l, v), res_parse_problem(rc));
	return -1;
}

enum { BU_CURRENCY, BU_TOTAL, BU_EU, BU_RATE, BU_DEVIATION, BU_N };
static const char *const budget_keys[] = {"currency", "total", "eu_contribution",
                                          "indirect_rate", "deviation"};

static void load_budget(struct ld *l, const struct node *m)
{
	struct budget *b = &l->p->budget;
	const struct node *v[BU_N];
	const char *what = "project.budget";
	b->deviation = 2000;
	if (map_keys(l, m, what, budget_keys, BU_N, v) != 0)
		return;
	b->present = 1;
	const struct node *c = v[BU_CURRENCY];
	if (is_null(c))
		missing(l, c ? c : m, "currency", what);
	else if (c->type != N_SCALAR || c->len != 3 || !(c->s[0] >= 'A' && c->s[0] <= 'Z') ||
	         !(c->s[1] >= 'A' && c->s[1] <= 'Z') || !(c->s[2] >= 'A' && c->s[2] <= 'Z'))
		err_node(l, c, "expected an ISO 4217 currency code (such as EUR), found %s", found(l, c));
	else
		b->currency = xstrdup(c->s);
	if (is_null(v[BU_TOTAL]))
		missing(l, v[BU_TOTAL] ? v[BU_TOTAL] : m, "total", what);
	else if (get_amount(l, v[BU_TOTAL], "total", what, &b->total) == 0)
		l->budget_total = v[BU_TOTAL];
	if (!is_null(v[BU_EU]) &&
	    get_amount(l, v[BU_EU], "eu_contribution", what, &b->eu_contribution) == 0 &&
	    b->total && b->eu_contribution > b->total)
		warn_node(l, v[BU_EU], "eu_contribution is more than the total eligible costs");
	if (!is_null(v[BU_RATE]) &&
	    get_amount(l, v[BU_RATE], "indirect_rate", what, &b->indirect_rate) == 0 &&
	    b->indirect_rate > 10000)
		err_node(l, v[BU_RATE], "indirect_rate is a percent of 0 to 100, found %s",
		         found(l, v[BU_RATE]));
	if (!is_null(v[BU_DEVIATION]) &&
	    get_amount(l, v[BU_DEVIATION], "deviation", what, &b->deviation) == 0 &&
	    b->deviation == 0)
		err_node(l, v[BU_DEVIATION], "deviation is a percent above 0, found %s",
		         found(l, v[BU_DEVIATION]));
}

static void load_periods(struct ld *l, const struct node *list)
{
	static const char *const keys[] = {"id", "from", "to"};
	struct project *p = l->p;
	p->periods = xcalloc(list->nkid, sizeof *p->periods);
	for (size_t i = 0; i < list->nkid; i++) {
		const struct node *m = list->kid[i], *v[3];
		char what[64];
		name_item(what, sizeof what, "reporting period", m);
		struct period *pe = &p->periods[p->nperiods++];
		if (map_keys(l, m, what, keys, 3, v) != 0)
			continue;
		const char *id = get_id(l, m, v[0], "id", what, 1);
		if (id) {
			pe->id = xstrdup(id);
			define_id(l, &l->periods, "reporting period", id, v[0], p->nperiods - 1);
		}
		int a = get_month(l, m, v[1], "from", what, 1, &pe->from);
		int b = get_month(l, m, v[2], "to", what, 1, &pe->to);
		if (a == 0 && b == 0 && pe->to < pe->from)
			err_node(l, v[2], "to (%d) is before from (%d)", pe->to, pe->from);
	}
}

static void load_project_section(struct ld *l, const struct node *top, const struct node *m)
{
	struct project *p = l->p;
	const struct node *v[P_N];
	if (is_null(m)) {
		missing(l, m ? m : top, "project", "the definition");
		return;
	}
	if (map_keys(l, m, "project", project_keys, P_N, v) != 0)
		return;
	p->acronym = get_str(l, m, v[P_ACRONYM], "acronym", "project", 1);
	p->title = get_str(l, m, v[P_TITLE], "title", "project", 0);
	p->programme = get_str(l, m, v[P_PROGRAMME], "programme", "project", 0);
	int a = get_date(l, m, v[P_START], "start", "project", &p->start);
	int b = get_date(l, m, v[P_END], "end", "project", &p->end);
	if (a == 0 && b == 0) {
		if (p->end < p->start) {
			char s1[11], s2[11];
			err_node(l, v[P_END], "end date %s is before start date %s",
			         date_format(p->end, s1), date_format(p->start, s2));
		} else {
			p->nmonths = date_months_between(p->start, p->end);
		}
	}
	const struct node *periods = get_list(l, m, v[P_PERIODS], "reporting_periods", "project", 0,
	                                      "reporting periods");
	if (periods)
		load_periods(l, periods);
	l->p->budget.deviation = 2000;
	if (!is_null(v[P_BUDGET]))
		load_budget(l, v[P_BUDGET]);
}

enum { PA_ID, PA_NAME, PA_COUNTRY, PA_SECTOR, PA_ROLE, PA_USERS, PA_JOINED, PA_LEFT,
       PA_EFFORT, PA_BUDGET, PA_N };
static const char *const partner_keys[] = {"id", "name", "country", "sector", "role",
                                           "users", "joined", "left", "effort", "budget"};

/* A partner's planned direct costs by category. */
static void load_partner_budget(struct ld *l, struct partner *pa, const struct node *m,
                                const char *what)
{
	char where[96];
	snprintf(where, sizeof where, "the budget of %s", what);
	if (!m || m->type != N_MAP) {
		err_node(l, m, "expected a mapping of cost categories (personnel, subcontracting, "
		         "travel, equipment, other) for %s, found %s", where, found(l, m));
		return;
	}
	map_keys(l, m, where, res_category_words, RES_NCAT, (const struct node *[RES_NCAT]){0});
	for (size_t i = 0; i + 1 < m->nkid; i += 2) {
		int c = m->kid[i]->type == N_SCALAR ? res_category(m->kid[i]->s) : -1;
		if (c >= 0 && !is_null(m->kid[i + 1]))
			get_amount(l, m->kid[i + 1], res_category_words[c], where, &pa->budget[c]);
	}
}
static const char *const roles[] = {"coordinator", "partner"};

static int login_syntax(const struct node *u)
{
	if (u->type != N_SCALAR || u->len == 0 || u->len > 64)
		return 0;
	for (size_t i = 0; i < u->len; i++) {
		unsigned char c = (unsigned char)u->s[i];
		if (c <= ' ' || c == 0x7F || c == ':' || c == '/')
			return 0;
	}
	return 1;
}

static void load_partners(struct ld *l, const struct node *top, const struct node *v)
{
	struct project *p = l->p;
	const struct node *list = get_list(l, top, v, "partners", "the definition", 1, "partners");
	p->coordinator = -1;
	if (!list) {
		l->no_partners = 1;
		return;
	}
	/* Ids first, so that the order of the list does not matter elsewhere. */
	p->partners = xcalloc(list->nkid, sizeof *p->partners);
	l->effort = xcalloc(list->nkid, sizeof *l->effort);
	const struct node *coord_node = NULL;
	for (size_t i = 0; i < list->nkid; i++) {
		const struct node *m = list->kid[i], *f[PA_N];
		char what[64];
		name_item(what, sizeof what, "partner", m);
		int pi = p->npartners++;
		struct partner *pa = &p->partners[pi];
		pa->joined = 1;
		pa->left = p->nmonths;
		if (map_keys(l, m, what, partner_keys, PA_N, f) != 0)
			continue;
		const char *id = get_id(l, m, f[PA_ID], "id", what, 1);
		if (id) {
			pa->id = xstrdup(id);
			define_id(l, &l->partners, "partner", id, f[PA_ID], pi);
		}
		pa->name = get_str(l, m, f[PA_NAME], "name", what, 1);
		if (!is_null(f[PA_COUNTRY])) {
			if (f[PA_COUNTRY]->type == N_SCALAR &&
			    country_ok(f[PA_COUNTRY]->s, f[PA_COUNTRY]->len))
				pa->country = xstrdup(f[PA_COUNTRY]->s);
			else
				err_node(l, f[PA_COUNTRY], "expected an ISO 3166-1 alpha-2 country code "
				         "in upper case (such as LV or SE), found %s",
				         found(l, f[PA_COUNTRY]));
		}
		pa->sector = get_str(l, m, f[PA_SECTOR], "sector", what, 0);
		int r = get_enum(l, m, f[PA_ROLE], "role", what, 0, roles, 2);
		if (r == 0) {
			pa->coordinator = 1;
			if (coord_node) {
				err_node(l, f[PA_ROLE], "a second coordinator, %s; expected exactly one "
				         "(the first is %s at line %d)", what,
				         p->partners[p->coordinator].id ? p->partners[p->coordinator].id
				                                        : "a partner",
				         coord_node->line);
			} else {
				coord_node = f[PA_ROLE];
				p->coordinator = pi;
			}
		}
		const struct node *users = get_list(l, m, f[PA_USERS], "users", what, 0, "logins");
		if (users) {
			pa->users = xcalloc(users->nkid, sizeof *pa->users);
			for (size_t u = 0; u < users->nkid; u++) {
				const struct node *un = users->kid[u];
				if (!login_syntax(un)) {
					err_node(l, un, "expected a login name, found %s", found(l, un));
					continue;
				}
				const struct ident *old = idmap_put(&l->users, un->s, pi, un->line, "login");
				if (old) {
					const char *owner = p->partners[old->val].id;
					if (old->val == pi)
						err_node(l, un, "login '%s' is listed twice for %s (first at line %d)",
						         un->s, what, old->line);
					else
						err_node(l, un, "login '%s' is already listed under partner %s "
						         "(line %d); a login acts for one partner only",
						         un->s, owner ? owner : "?", old->line);
					continue;
				}
				pa->users[pa->nusers++] = xstrdup(un->s);
			}
		}
		int dflt_left = pa->left, a = -1, b = -1;
		if (!is_null(f[PA_JOINED]) &&
		    (a = get_month(l, m, f[PA_JOINED], "joined", what, 0, &pa->joined)) != 0)
			pa->joined = 1;
		if (!is_null(f[PA_LEFT]) &&
		    (b = get_month(l, m, f[PA_LEFT], "left", what, 0, &pa->left)) != 0)
			pa->left = dflt_left;
		if (!is_null(f[PA_BUDGET]))
			load_partner_budget(l, pa, f[PA_BUDGET], what);
		if (!is_null(f[PA_EFFORT]))
			l->effort[pi] = f[PA_EFFORT];
		if (a == 0 && b == 0 && pa->left < pa->joined) {
			err_node(l, f[PA_LEFT], "left (%d) is before joined (%d)", pa->left, pa->joined);
			pa->joined = 1;
			pa->left = dflt_left;
		}
	}
	if (!coord_node)
		err_node(l, list, "no partner has role: coordinator; expected exactly one");
}

/* Warn when a partner leads something outside its joined..left months. */
static void check_active(struct ld *l, int pi, const struct node *at, const char *what,
                         int from, int to)
{
	struct project *p = l->p;
	if (pi < 0 || from <= 0 || to <= 0 || p->nmonths <= 0)
		return;
	const struct partner *pa = &p->partners[pi];
	if (from >= pa->joined && to <= pa->left)
		return;
	char span[32];
	if (from == to)
		snprintf(span, sizeof span, "due M%d", from);
	else
		snprintf(span, sizeof span, "M%d..M%d", from, to);
	warn_node(l, at, "%s (%s) is led by %s, a member only in M%d..M%d", what, span,
	          pa->id ? pa->id : "a partner", pa->joined, pa->left);
}

enum { W_ID, W_TITLE, W_LEAD, W_START, W_END, W_OBJECTIVE, W_TASKS, W_N };
static const char *const wp_keys[] = {"id", "title", "lead", "start", "end", "objective", "tasks"};
enum { T_ID, T_TITLE, T_LEAD, T_PART, T_START, T_END, T_DESC, T_N };
static const char *const task_keys[] = {"id", "title", "lead", "participants", "start", "end",
                                        "description"};

static void load_task(struct ld *l, const struct node *m, int wi)
{
	struct project *p = l->p;
	const struct wp *w = &p->wps[wi];
	const struct node *f[T_N];
	char what[64];
	name_item(what, sizeof what, "task", m);
	int ti = p->ntasks++;
	struct task *t = &p->tasks[ti];
	t->wp = wi;
	t->lead = -1;
	if (map_keys(l, m, what, task_keys, T_N, f) != 0)
		return;
	const char *id = get_id(l, m, f[T_ID], "id", what, 1);
	if (id) {
		t->id = xstrdup(id);
		define_item(l, "task", id, f[T_ID], ti);
	}
	t->title = get_str(l, m, f[T_TITLE], "title", what, 1);
	t->description = get_str(l, m, f[T_DESC], "description", what, 0);
	if (is_null(f[T_LEAD]))
		missing(l, f[T_LEAD] ? f[T_LEAD] : m, "lead", what);
	else
		t->lead = ref_partner(l, f[T_LEAD]);
	const struct node *parts = get_list(l, m, f[T_PART], "participants", what, 0, "partner ids");
	if (parts) {
		t->participants = xcalloc(parts->nkid, sizeof *t->participants);
		for (size_t i = 0; i < parts->nkid; i++) {
			int pi = ref_partner(l, parts->kid[i]);
			if (pi < 0)
				continue;
			if (l->seen[pi] == ti + 1) {
				err_node(l, parts->kid[i], "partner '%s' is listed twice in participants",
				         p->partners[pi].id);
				continue;
			}
			l->seen[pi] = ti + 1;
			t->participants[t->nparticipants++] = pi;
		}
	}
	int a = get_month(l, m, f[T_START], "start", what, 1, &t->start);
	int b = get_month(l, m, f[T_END], "end", what, 1, &t->end);
	if (a == 0 && b == 0 && t->end < t->start) {
		err_node(l, f[T_END], "end (%d) is before start (%d)", t->end, t->start);
		return;
	}
	const char *wid = w->id ? w->id : "its work package";
	if (a == 0 && w->start > 0 && t->start < w->start)
		warn_node(l, f[T_START], "%s starts in M%d, before %s (M%d)", what, t->start, wid,
		          w->start);
	if (b == 0 && w->end > 0 && t->end > w->end)
		warn_node(l, f[T_END], "%s ends in M%d, after %s (M%d)", what, t->end, wid, w->end);
	if (a == 0 && b == 0)
		check_active(l, t->lead, f[T_LEAD], what, t->start, t->end);
}

static void load_wps(struct ld *l, const struct node *top, const struct node *v)
{
	struct project *p = l->p;
	const struct node *list = get_list(l, top, v, "work_packages", "the definition", 1,
	                                   "work packages");
	if (!list) {
		l->no_wps = 1;
		return;
	}
	/* Work package ids first: tasks are defined inside them, but
	 * deliverables and milestones refer to any of them. */
	size_t ntasks = 0;
	for (size_t i = 0; i < list->nkid; i++) {
		const struct node *m = list->kid[i];
		if (m->type != N_MAP)
			continue;
		for (size_t k = 0; k + 1 < m->nkid; k += 2)
			if (m->kid[k]->type == N_SCALAR && strcmp(m->kid[k]->s, "tasks") == 0 &&
			    m->kid[k + 1]->type == N_SEQ)
				ntasks += m->kid[k + 1]->nkid;
	}
	p->wps = xcalloc(list->nkid, sizeof *p->wps);
	p->tasks = xcalloc(ntasks, sizeof *p->tasks);
	l->seen = xcalloc((size_t)p->npartners + 1, sizeof *l->seen);
	for (size_t i = 0; i < list->nkid; i++) {
		const struct node *m = list->kid[i], *f[W_N];
		char what[64];
		name_item(what, sizeof what, "work package", m);
		int wi = p->nwps++;
		struct wp *w = &p->wps[wi];
		w->lead = -1;
		w->first_task = p->ntasks;
		if (map_keys(l, m, what, wp_keys, W_N, f) != 0)
			continue;
		const char *id = get_id(l, m, f[W_ID], "id", what, 1);
		if (id) {
			w->id = xstrdup(id);
			if (define_id(l, &l->wps, "work package", id, f[W_ID], wi) == 0)
				define_item(l, "work package", id, f[W_ID], wi);
		}
		w->title = get_str(l, m, f[W_TITLE], "title", what, 1);
		w->objective = get_str(l, m, f[W_OBJECTIVE], "objective", what, 0);
		if (is_null(f[W_LEAD]))
			missing(l, f[W_LEAD] ? f[W_LEAD] : m, "lead", what);
		else
			w->lead = ref_partner(l, f[W_LEAD]);
		int a = get_month(l, m, f[W_START], "start", what, 1, &w->start);
		int b = get_month(l, m, f[W_END], "end", what, 1, &w->end);
		if (a == 0 && b == 0 && w->end < w->start) {
			err_node(l, f[W_END], "end (%d) is before start (%d)", w->end, w->start);
			w->start = w->end = 0; /* no warnings against a broken span */
		} else if (a == 0 && b == 0) {
			check_active(l, w->lead, f[W_LEAD], what, w->start, w->end);
		} else {
			w->start = w->end = 0;
		}
		const struct node *tasks = get_list(l, m, f[W_TASKS], "tasks", what, 0, "tasks");
		if (tasks)
			for (size_t k = 0; k < tasks->nkid; k++)
				load_task(l, tasks->kid[k], wi);
		w->ntasks = p->ntasks - w->first_task;
	}
}

enum { D_ID, D_TITLE, D_WP, D_LEAD, D_TYPE, D_DISS, D_DUE, D_DESC, D_N };
static const char *const del_keys[] = {"id", "title", "wp", "lead", "type", "dissemination",
                                       "due", "description"};
static const char *const del_types[] = {"R", "DEM", "DEC", "DATA", "DMP", "ORDP", "ETHICS", "OTHER"};
static const char *const del_diss[] = {"PU", "CO", "SEN", "EU-RES", "EU-CON", "EU-SEC"};

static void load_deliverables(struct ld *l, const struct node *top, const struct node *v)
{
	struct project *p = l->p;
	const struct node *list = get_list(l, top, v, "deliverables", "the definition", 0,
	                                   "deliverables");
	if (!list)
		return;
	p->deliverables = xcalloc(list->nkid, sizeof *p->deliverables);
	for (size_t i = 0; i < list->nkid; i++) {
		const struct node *m = list->kid[i], *f[D_N];
		char what[64];
		name_item(what, sizeof what, "deliverable", m);
		int di = p->ndeliverables++;
		struct deliverable *d = &p->deliverables[di];
		d->wp = d->lead = -1;
		if (map_keys(l, m, what, del_keys, D_N, f) != 0)
			continue;
		const char *id = get_id(l, m, f[D_ID], "id", what, 1);
		if (id) {
			d->id = xstrdup(id);
			define_item(l, "deliverable", id, f[D_ID], di);
		}
		d->title = get_str(l, m, f[D_TITLE], "title", what, 1);
		d->description = get_str(l, m, f[D_DESC], "description", what, 0);
		if (is_null(f[D_WP]))
			missing(l, f[D_WP] ? f[D_WP] : m, "wp", what);
		else
			d->wp = ref_wp(l, f[D_WP]);
		if (!is_null(f[D_LEAD]))
			d->lead = ref_partner(l, f[D_LEAD]);
		int t = get_enum(l, m, f[D_TYPE], "type", what, 0, del_types, 8);
		if (t >= 0)
			d->type = xstrdup(del_types[t]);
		int s = get_enum(l, m, f[D_DISS], "dissemination", what, 0, del_diss, 6);
		if (s >= 0)
			d->dissemination = xstrdup(del_diss[s]);
		if (get_month(l, m, f[D_DUE], "due", what, 1, &d->due) != 0 || d->wp < 0)
			continue;
		const struct wp *w = &p->wps[d->wp];
		if (w->end > 0 && d->due > w->end)
			warn_node(l, f[D_DUE], "%s is due in M%d, after %s ends (M%d)", what, d->due,
			          w->id, w->end);
		int lead = d->lead >= 0 ? d->lead : w->lead;
		check_active(l, lead, f[D_LEAD] ? f[D_LEAD] : f[D_DUE], what, d->due, d->due);
	}
}

enum { M_ID, M_TITLE, M_WP, M_LEAD, M_DUE, M_VERIF, M_DESC, M_N };
static const char *const ms_keys[] = {"id", "title", "wp", "lead", "due", "verification",
                                      "description"};

static void load_milestones(struct ld *l, const struct node *top, const struct node *v)
{
	struct project *p = l->p;
	const struct node *list = get_list(l, top, v, "milestones", "the definition", 0,
	                                   "milestones");
	if (!list)
		return;
	p->milestones = xcalloc(list->nkid, sizeof *p->milestones);
	for (size_t i = 0; i < list->nkid; i++) {
		const struct node *m = list->kid[i], *f[M_N];
		char what[64];
		name_item(what, sizeof what, "milestone", m);
		int mi = p->nmilestones++;
		struct milestone *ms = &p->milestones[mi];
		ms->lead = -1;
		if (map_keys(l, m, what, ms_keys, M_N, f) != 0)
			continue;
		const char *id = get_id(l, m, f[M_ID], "id", what, 1);
		if (id) {
			ms->id = xstrdup(id);
			define_item(l, "milestone", id, f[M_ID], mi);
		}
		ms->title = get_str(l, m, f[M_TITLE], "title", what, 1);
		ms->verification = get_str(l, m, f[M_VERIF], "verification", what, 0);
		ms->description = get_str(l, m, f[M_DESC], "description", what, 0);
		const struct node *wv = f[M_WP];
		int wps_ok = 1;
		if (is_null(wv)) {
			missing(l, wv ? wv : m, "wp", what);
			wps_ok = 0;
		} else if (wv->type == N_SEQ) {
			if (wv->nkid == 0) {
				err_node(l, wv, "expected at least one work package id, found an empty list");
				wps_ok = 0;
			}
			ms->wps = xcalloc(wv->nkid, sizeof *ms->wps);
			for (size_t k = 0; k < wv->nkid; k++) {
				int wi = ref_wp(l, wv->kid[k]);
				if (wi < 0) {
					wps_ok = 0;
					continue;
				}
				ms->wps[ms->nwps++] = wi;
			}
		} else {
			ms->wps = xcalloc(1, sizeof *ms->wps);
			int wi = ref_wp(l, wv);
			if (wi >= 0)
				ms->wps[ms->nwps++] = wi;
			else
				wps_ok = 0;
		}
		if (!is_null(f[M_LEAD]))
			ms->lead = ref_partner(l, f[M_LEAD]);
		if (get_month(l, m, f[M_DUE], "due", what, 1, &ms->due) != 0 || !wps_ok)
			continue;
		for (int k = 0; k < ms->nwps; k++) {
			const struct wp *w = &p->wps[ms->wps[k]];
			if (w->end > 0 && ms->due > w->end) {
				warn_node(l, f[M_DUE], "%s is due in M%d, after %s ends (M%d)", what,
				          ms->due, w->id, w->end);
				break;
			}
		}
		check_active(l, ms->lead, f[M_LEAD], what, ms->due, ms->due);
	}
}

enum { TG_ID, TG_TITLE, TG_KIND, TG_TARGET, TG_UNIT, TG_N };
static const char *const target_keys[] = {"id", "title", "kind", "target", "unit"};
static const char *const target_kinds[] = {"count", "distinct"};

static void load_targets(struct ld *l, const struct node *top, const struct node *v)
{
	struct project *p = l->p;
	const struct node *list = get_list(l, top, v, "targets", "the definition", 0, "targets");
	if (!list)
		return;
	p->targets = xcalloc(list->nkid, sizeof *p->targets);
	for (size_t i = 0; i < list->nkid; i++) {
		const struct node *m = list->kid[i], *f[TG_N];
		char what[64];
		name_item(what, sizeof what, "target", m);
		int ti = p->ntargets++;
		struct target *t = &p->targets[ti];
		if (map_keys(l, m, what, target_keys, TG_N, f) != 0)
			continue;
		const char *id = get_id(l, m, f[TG_ID], "id", what, 1);
		if (id) {
			t->id = xstrdup(id);
			define_id(l, &l->targets, "target", id, f[TG_ID], ti);
		}
		t->title = get_str(l, m, f[TG_TITLE], "title", what, 1);
		t->unit = get_str(l, m, f[TG_UNIT], "unit", what, 0);
		int k = get_enum(l, m, f[TG_KIND], "kind", what, 1, target_kinds, 2);
		t->kind = k == 1 ? TARGET_DISTINCT : TARGET_COUNT;
		if (is_null(f[TG_TARGET])) {
			missing(l, f[TG_TARGET] ? f[TG_TARGET] : m, "target", what);
		} else {
			long x = parse_uint(f[TG_TARGET]);
			if (x <= 0)
				err_node(l, f[TG_TARGET], "expected an integer greater than 0, found %s",
				         found(l, f[TG_TARGET]));
			else
				t->target = x;
		}
	}
}

enum { B_SCHEME, B_LABELS, B_PASS, B_INDICATORS, B_CLUSTERS, B_N };
static const char *const bench_keys[] = {"scheme", "labels", "pass_score", "indicators",
                                         "clusters"};
enum { I_ID, I_AREA, I_TITLE, I_THRESHOLD, I_UNIT, I_N };
static const char *const ind_keys[] = {"id", "area", "title", "threshold", "unit"};
enum { C_PARTNER, C_CLUSTER, C_LABEL, C_N };
static const char *const cluster_keys[] = {"partner", "cluster", "target_label"};

static void load_indicators(struct ld *l, const struct node *list)
{
	struct benchmark *b = &l->p->bench;
	b->indicators = xcalloc(list->nkid, sizeof *b->indicators);
	for (size_t i = 0; i < list->nkid; i++) {
		const struct node *m = list->kid[i], *f[I_N];
		char what[64];
		name_item(what, sizeof what, "indicator", m);
		int ii = b->nindicators++;
		struct indicator *in = &b->indicators[ii];
		if (map_keys(l, m, what, ind_keys, I_N, f) != 0)
			continue;
		const char *id = get_id(l, m, f[I_ID], "id", what, 1);
		if (id) {
			in->id = xstrdup(id);
			define_id(l, &l->indicators, "indicator", id, f[I_ID], ii);
		}
		in->area = get_str(l, m, f[I_AREA], "area", what, 1);
		in->title = get_str(l, m, f[I_TITLE], "title", what, 1);
		in->unit = get_str(l, m, f[I_UNIT], "unit", what, 0);
		get_number(l, m, f[I_THRESHOLD], "threshold", what, 1, &in->threshold);
	}
}

static void load_clusters(struct ld *l, const struct node *list)
{
	struct project *p = l->p;
	struct benchmark *b = &p->bench;
	b->clusters = xcalloc(list->nkid, sizeof *b->clusters);
	for (size_t i = 0; i < list->nkid; i++) {
		const struct node *m = list->kid[i], *f[C_N];
		int ci = b->nclusters++;
		struct bcluster *c = &b->clusters[ci];
		c->partner = c->target_label = -1;
		if (map_keys(l, m, "cluster", cluster_keys, C_N, f) != 0)
			continue;
		if (is_null(f[C_PARTNER])) {
			missing(l, f[C_PARTNER] ? f[C_PARTNER] : m, "partner", "cluster");
		} else if ((c->partner = ref_partner(l, f[C_PARTNER])) >= 0) {
			const struct ident *old = idmap_put(&l->clusters, f[C_PARTNER]->s, ci,
			                                    f[C_PARTNER]->line, "cluster");
			if (old)
				err_node(l, f[C_PARTNER], "partner '%s' already has a cluster (line %d); "
				         "a partner has at most one", f[C_PARTNER]->s, old->line);
		}
		c->name = get_str(l, m, f[C_CLUSTER], "cluster", "cluster", 0);
		if (!c->name && c->partner >= 0 && p->partners[c->partner].name)
			c->name = xstrdup(p->partners[c->partner].name);
		const struct node *lv = f[C_LABEL];
		if (!is_null(lv)) {
			const struct ident *e = lv->type == N_SCALAR ? idmap_find(&l->labels, lv->s) : NULL;
			if (e) {
				c->target_label = e->val;
			} else {
				struct sbuf s = {0};
				for (int k = 0; k < b->nlabels && k < 10; k++)
					sbuf_printf(&s, "%s%s", k ? ", " : "", b->labels[k]);
				if (b->nlabels > 10)
					sbuf_puts(&s, ", ...");
				if (b->nlabels > 0)
					err_node(l, lv, "label %s is not defined (expected one of: %s)",
					         found(l, lv), sbuf_str(&s));
				else
					err_node(l, lv, "label %s is not defined", found(l, lv));
				sbuf_free(&s);
			}
		}
	}
}

static void load_benchmark(struct ld *l, const struct node *m)
{
	struct benchmark *b = &l->p->bench;
	const struct node *f[B_N];
	b->pass_score = -1;
	if (is_null(m))
		return;
	b->present = 1;
	if (map_keys(l, m, "benchmark", bench_keys, B_N, f) != 0)
		return;
	b->scheme = get_str(l, m, f[B_SCHEME], "scheme", "benchmark", 1);
	const struct node *labels = get_list(l, m, f[B_LABELS], "labels", "benchmark", 1, "label");
	if (labels) {
		b->labels = xcalloc(labels->nkid, sizeof *b->labels);
		for (size_t i = 0; i < labels->nkid; i++) {
			const struct node *lv = labels->kid[i];
			const char *id = get_id(l, m, lv, "labels", "benchmark", 1);
			if (!id)
				continue;
			if (define_id(l, &l->labels, "label", id, lv, b->nlabels) == 0)
				b->labels[b->nlabels++] = xstrdup(id);
		}
	}
	double ps;
	if (!is_null(f[B_PASS]) && get_number(l, m, f[B_PASS], "pass_score", "benchmark", 0, &ps) == 0) {
		if (ps < 0 || ps > 100)
			err_node(l, f[B_PASS], "expected a percentage from 0 to 100, found %s",
			         found(l, f[B_PASS]));
		else
			b->pass_score = ps;
	}
	const struct node *ind = get_list(l, m, f[B_INDICATORS], "indicators", "benchmark", 0,
	                                  "indicators");
	if (ind)
		load_indicators(l, ind);
	if (is_null(f[B_CLUSTERS])) {
		missing(l, m, "clusters", "benchmark");
	} else {
		const struct node *cl = get_list(l, m, f[B_CLUSTERS], "clusters", "benchmark", 0,
		                                 "clusters");
		if (cl)
			load_clusters(l, cl);
	}
}

enum { K_CONSORT, K_PROJECT, K_PARTNERS, K_WPS, K_DELS, K_MS, K_TARGETS, K_BENCH, K_N };
/* The partners' planned person-months (their WPs are known now), and the
 * warning when the partners' budgets and indirect costs do not add up to
 * project.budget.total. */
static void load_resources(struct ld *l)
{
	struct project *p = l->p;
	for (int pi = 0; l->effort && pi < p->npartners; pi++) {
		const struct node *m = l->effort[pi];
		struct partner *pa = &p->partners[pi];
		char what[96];
		snprintf(what, sizeof what, "the effort of partner %s", pa->id ? pa->id : "?");
		if (!m)
			continue;
		if (m->type != N_MAP) {
			err_node(l, m, "expected a mapping of work packages to person-months "
			         "(such as {WP1: 8.5}) for %s, found %s", what, found(l, m));
			continue;
		}
		p->effort = xrealloc(p->effort, ((size_t)p->neffort + m->nkid / 2 + 1) * sizeof *p->effort);
		int first = p->neffort;
		for (size_t i = 0; i + 1 < m->nkid; i += 2) {
			const struct node *k = m->kid[i], *v = m->kid[i + 1];
			int wi = ref_wp(l, k);
			long pm;
			if (wi < 0 || get_amount(l, v, k->s, what, &pm) < 0)
				continue;
			int dup = 0;
			for (int j = first; j < p->neffort; j++)
				dup |= p->effort[j].wp == wi;
			if (dup) {
				err_node(l, k, "work package %s is listed twice in %s", k->s, what);
				continue;
			}
			p->effort[p->neffort++] = (struct effort_plan){pi, wi, pm};
		}
	}
	const struct budget *b = &p->budget;
	if (!b->present || !l->budget_total || l->budget_bad)
		return;
	long direct = 0, sub = 0;
	for (int pi = 0; pi < p->npartners; pi++) {
		for (int c = 0; c < RES_NCAT; c++)
			direct += p->partners[pi].budget[c];
		sub += p->partners[pi].budget[RES_SUBCONTRACTING];
	}
	if (direct == 0)
		return;
	long sum = direct + res_muldiv(direct - sub, b->indirect_rate, 10000);
	if (sum != b->total) {
		char a1[32], a2[32], a3[32];
		warn_node(l, l->budget_total, "the partners' budgets add up to %s (%s direct and "
		          "the indirect costs), not the total %s",
		          res_format(sum, a1), res_format(direct, a2), res_format(b->total, a3));
	}
}

static const char *const top_keys[] = {"consort", "project", "partners", "work_packages",
                                       "deliverables", "milestones", "targets", "benchmark"};

static void load_tree(struct ld *l, const struct node *root)
{
	struct project *p = l->p;
	const struct node *f[K_N];
	if (!root || is_null(root)) {
		diag_at(l, DIAG_ERROR, root ? root->line : 0, root ? root->col : 0,
		        "the file is empty; expected a project definition starting with 'consort: 1'");
		return;
	}
	if (root->type != N_MAP) {
		err_node(l, root, "expected a mapping at the top level (consort: 1, project: ...), "
		         "found %s", found(l, root));
		return;
	}
	map_keys(l, root, "the definition", top_keys, K_N, f);
	const struct node *cv = f[K_CONSORT];
	if (is_null(cv))
		err_node(l, cv ? cv : root, "missing required key 'consort' (expected 'consort: 1', "
		         "the format version)");
	else if (parse_uint(cv) != 1)
		err_node(l, cv, "unsupported format version %s; expected 1", found(l, cv));
	else
		p->format = 1;
	load_project_section(l, root, f[K_PROJECT]);
	load_partners(l, root, f[K_PARTNERS]);
	load_wps(l, root, f[K_WPS]);
	load_resources(l);
	load_deliverables(l, root, f[K_DELS]);
	load_milestones(l, root, f[K_MS]);
	load_targets(l, root, f[K_TARGETS]);
	load_benchmark(l, f[K_BENCH]);
}

/* ---- entry points ------------------------------------------------------- */

struct sorted {
	struct diag g;
	size_t seq;
};

static int diag_cmp(const void *a, const void *b)
{
	const struct sorted *x = a, *y = b;
	if (x->g.line != y->g.line)
		return x->g.line < y->g.line ? -1 : 1;
	if (x->g.col != y->g.col)
		return x->g.col < y->g.col ? -1 : 1;
	return x->seq < y->seq ? -1 : x->seq > y->seq;
}

/* Sort by position, keeping the order found among equal positions. */
static void diags_sort(struct diags *d, size_t from)
{
	size_t n = d->n - from;
	if (n < 2)
		return;
	struct sorted *tmp = xcalloc(n, sizeof *tmp);
	for (size_t i = 0; i < n; i++) {
		tmp[i].g = d->v[from + i];
		tmp[i].seq = i;
	}
	qsort(tmp, n, sizeof *tmp, diag_cmp);
	for (size_t i = 0; i < n; i++)
		d->v[from + i] = tmp[i].g;
	free(tmp);
}

static void ld_free(struct ld *l)
{
	idmap_free(&l->partners);
	idmap_free(&l->wps);
	idmap_free(&l->items);
	idmap_free(&l->periods);
	idmap_free(&l->targets);
	idmap_free(&l->labels);
	idmap_free(&l->indicators);
	idmap_free(&l->users);
	idmap_free(&l->clusters);
	free(l->seen);
	free(l->effort);
}

int load_project_mem(const char *name, const char *buf, size_t len, struct project *p,
                     struct diags *d)
{
	struct ld l;
	memset(&l, 0, sizeof l);
	memset(p, 0, sizeof *p);
	if (!d->file)
		d->file = xstrdup(name ? name : "-");
	l.d = d;
	l.p = p;
	size_t first = d->n;
	int errors0 = d->nerrors;
	struct node *root = NULL;

	if (len > LOAD_MAX_FILE) {
		diag_at(&l, DIAG_ERROR, 0, 0,
		        "the file is %zu bytes; at most %d bytes (16 MiB) are allowed",
		        len, LOAD_MAX_FILE);
	} else {
		l.tree.error = tree_error;
		l.tree.quote = tree_quote;
		l.tree.ctx = &l;
		if (yamltree_build(&l.tree, buf, len, &root) == 0)
			load_tree(&l, root);
	}
	yamltree_free(&l.tree);
	ld_free(&l);
	diags_sort(d, first);
	if (l.dropped) {
		xgrow(&d->v, &d->cap, d->n + 1, sizeof *d->v);
		struct diag *g = &d->v[d->n++];
		g->level = DIAG_ERROR;
		g->line = g->col = 0;
		g->msg = xasprintf("%zu more errors and warnings not shown", l.dropped);
	}
	if (d->nerrors > errors0) {
		project_free(p);
		return -1;
	}
	p->path = xstrdup(name ? name : "-");
	project_index(p);
	return 0;
}

static int io_fail(struct diags *d, const char *path, int *io_errno, int e, const char *what)
{
	if (!d->file)
		d->file = xstrdup(path);
	xgrow(&d->v, &d->cap, d->n + 1, sizeof *d->v);
	struct diag *g = &d->v[d->n++];
	g->level = DIAG_ERROR;
	g->line = g->col = 0;
	g->msg = xasprintf("%s: %s", what, strerror(e));
	d->nerrors++;
	if (io_errno)
		*io_errno = e;
	return -1;
}

int load_project_file(const char *path, struct project *p, struct diags *d, int *io_errno)
{
	memset(p, 0, sizeof *p);
	if (io_errno)
		*io_errno = 0;
	int fd = open(path, O_RDONLY | O_CLOEXEC | O_NOCTTY);
	if (fd < 0)
		return io_fail(d, path, io_errno, errno, "cannot open the definition");
	struct stat st;
	if (fstat(fd, &st) != 0) {
		int e = errno;
		close(fd);
		return io_fail(d, path, io_errno, e, "cannot read the definition");
	}
	if (S_ISDIR(st.st_mode)) {
		close(fd);
		return io_fail(d, path, io_errno, EISDIR, "cannot read the definition");
	}
	/* Read at most one byte past the limit: enough to know it is too big. */
	size_t cap = S_ISREG(st.st_mode) && st.st_size >= 0 && st.st_size < LOAD_MAX_FILE
	             ? (size_t)st.st_size + 1 : (size_t)LOAD_MAX_FILE + 1;
	if (cap < 4096)
		cap = 4096;
	char *buf = xmalloc(cap);
	size_t len = 0;
	for (;;) {
		if (len == cap) {
			if (cap > (size_t)LOAD_MAX_FILE)
				break;
			cap = cap * 2 > (size_t)LOAD_MAX_FILE + 1 ? (size_t)LOAD_MAX_FILE + 1 : cap * 2;
			buf = xrealloc(buf, cap);
		}
		ssize_t r = read(fd, buf + len, cap - len);
		if (r < 0) {
			if (errno == EINTR)
				continue;
			int e = errno;
			free(buf);
			close(fd);
			return io_fail(d, path, io_errno, e, "cannot read the definition");
		}
		if (r == 0)
			break;
		len += (size_t)r;
	}
	close(fd);
	int rc;
	if (len > (size_t)LOAD_MAX_FILE) {
		struct ld l;
		memset(&l, 0, sizeof l);
		l.d = d;
		if (!d->file)
			d->file = xstrdup(path);
		diag_at(&l, DIAG_ERROR, 0, 0, "the file is larger than %d bytes (16 MiB), the limit",
		        LOAD_MAX_FILE);
		rc = -1;
	} else {
		rc = load_project_mem(path, buf, len, p, d);
	}
	free(buf);
	return rc;
}

char *diag_format(const struct diags *d, const struct diag *g)
{
	char *file = text_sanitize(d->file ? d->file : "-", 0);
	char *msg = text_sanitize(g->msg ? g->msg : "", 0);
	const char *lv = g->level == DIAG_ERROR ? "error" : "warning";
	char *out = g->line > 0 ? xasprintf("%s:%d:%d: %s: %s", file, g->line, g->col, lv, msg)
	                        : xasprintf("%s: %s: %s", file, lv, msg);
	free(file);
	free(msg);
	return out;
}

void diags_free(struct diags *d)
{
	if (!d)
		return;
	for (size_t i = 0; i < d->n; i++)
		free(d->v[i].msg);
	free(d->v);
	free(d->file);
	memset(d, 0, sizeof *d);
}
