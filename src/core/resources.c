/* resources: fixed-point numbers of two decimals, and the plan's use of
 * resources (person-months and costs) derived from the definition and the
 * log's facts. Integer arithmetic only; the rules are in resources.h. */
#include "config.h"
#include "core/resources.h"

#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/project.h"
#include "core/util.h"

const char *const res_category_words[RES_NCAT + 1] = {
	"personnel", "subcontracting", "travel", "equipment", "other", NULL,
};

int res_category(const char *word)
{
	for (int i = 0; word && i < RES_NCAT; i++)
		if (strcmp(word, res_category_words[i]) == 0)
			return i;
	return -1;
}

/* ---- numbers --------------------------------------------------------------- */

int res_parse(const char *s, size_t len, int neg_ok, long *out)
{
	size_t i = 0;
	int neg = 0;
	if (!s || len == 0 || len > 40)
		return RES_BAD_NUMBER;
	if (s[0] == '-') {
		neg = 1;
		i++;
	}
	long whole = 0;
	size_t digits = 0, frac = 0;
	int big = 0;
	long cents = 0;
	for (; i < len && s[i] >= '0' && s[i] <= '9'; i++, digits++) {
		if (whole > RES_MAX / 100)
			big = 1;
		else
			whole = whole * 10 + (s[i] - '0');
	}
	if (i < len && s[i] == '.') {
		for (i++; i < len && s[i] >= '0' && s[i] <= '9'; i++, frac++)
			if (frac < 2)
				cents = cents * 10 + (s[i] - '0');
		if (frac == 0)
			return RES_BAD_NUMBER;
	}
	if (digits == 0 || i != len)
		return RES_BAD_NUMBER;
	if (frac > 2)
		return RES_BAD_PLACES;
	if (frac == 1)
		cents *= 10;
	if (neg && !neg_ok)
		return RES_BAD_NEGATIVE;
	if (big || whole > RES_MAX / 100)
		return RES_BAD_LARGE;
	long v = whole * 100 + cents;
	*out = neg ? -v : v;
	return RES_OK;
}

const char *res_parse_problem(int rc)
{
	switch (rc) {
	case RES_BAD_PLACES: return "more than two decimal places";
	case RES_BAD_NEGATIVE: return "negative";
	case RES_BAD_LARGE: return "too large";
	default: return "not a decimal number";
	}
}

char *res_format(long v, char *buf)
{
	/* Digits written backwards into a scratch buffer (status --json writes
	 * thousands of these: snprintf was a quarter of its time). */
	unsigned long a = v < 0 ? 0UL - (unsigned long)v : (unsigned long)v;
	char tmp[24], *t = tmp + sizeof tmp;
	*--t = (char)('0' + a % 10);
	a /= 10;
	*--t = (char)('0' + a % 10);
	a /= 10;
	*--t = '.';
	do {
		*--t = (char)('0' + a % 10);
		a /= 10;
	} while (a);
	char *o = buf;
	if (v < 0)
		*o++ = '-';
	size_t n = (size_t)(tmp + sizeof tmp - t);
	memcpy(o, t, n);
	o[n] = '\0';
	return buf;
}

char *res_format_grouped(long v, char *buf)
{
	char plain[24], *o = buf;
	res_format(v < 0 ? -v : v, plain);
	const char *dot = strchr(plain, '.');
	size_t n = (size_t)(dot - plain);
	if (v < 0)
		*o++ = '-';
	for (size_t i = 0; i < n; i++) {
		if (i > 0 && (n - i) % 3 == 0)
			*o++ = ',';
		*o++ = plain[i];
	}
	strcpy(o, dot);
	return buf;
}

/* res_muldiv, inlined into the derivation's thousands of rows. */
static inline long muldiv(long a, long b, long c)
{
	if (c <= 0)
		return 0;
	/* a * c / c is a, exactly (a work package's months all gone). */
	if (b == c)
		return a;
	/* The product and its rounding in 64 bits when they fit (the same
	 * quotient; a 128-bit division is a library call of some 30 steps,
	 * and status makes thousands). */
	long y;
	if (!__builtin_mul_overflow(a, b, &y) && y > -LONG_MAX) {
		unsigned long u = y < 0 ? (unsigned long)-y : (unsigned long)y;
		if (u <= (unsigned long)LONG_MAX - (unsigned long)(c / 2)) {
			long q = (long)((u + (unsigned long)(c / 2)) / (unsigned long)c);
			return y < 0 ? -q : q;
		}
	}
	__int128 x = (__int128)a * b;
	int neg = x < 0;
	if (neg)
		x = -x;
	__int128 q = (x + c / 2) / c;   /* halves away from zero */
	return (long)(neg ? -q : q);
}

long res_muldiv(long a, long b, long c)
{
	return muldiv(a, b, c);
}

int res_entry_effort(const char *value, int *y, int *m, long *pm)
{
	if (!value || strlen(value) < 9 || value[4] != '-' || value[7] != ':')
		return -1;
	for (int i = 0; i < 7; i++)
		if (i != 4 && (value[i] < '0' || value[i] > '9'))
			return -1;
	*y = (value[0] - '0') * 1000 + (value[1] - '0') * 100 + (value[2] - '0') * 10 + (value[3] - '0');
	*m = (value[5] - '0') * 10 + (value[6] - '0');
	if (*m < 1 || *m > 12)
		return -1;
	return res_parse(value + 8, strlen(value + 8), 0, pm) == RES_OK ? 0 : -1;
}

int res_entry_cost(const char *value, long *cents, const char **wp)
{
	if (!value)
		return -1;
	const char *colon = strchr(value, ':');
	size_t n = colon ? (size_t)(colon - value) : strlen(value);
	if (wp)
		*wp = colon ? colon + 1 : NULL;
	return res_parse(value, n, 1, cents) == RES_OK ? 0 : -1;
}

/* ---- facts ------------------------------------------------------------------- */

static void res_facts_free_months(struct res_facts *f)
{
	size_t cells = (size_t)f->npartners * (size_t)f->nwps * (size_t)f->nmonths;
	if (f->effort_notes)
		for (size_t i = 0; i < cells; i++)
			free(f->effort_notes[i]);
	free(f->effort_notes);
	free(f->effort);
	f->effort_notes = NULL;
	f->effort = NULL;
}

void res_facts_init(struct res_facts *f, const struct project *p, int totals_only)
{
	memset(f, 0, sizeof *f);
	f->npartners = p->npartners;
	f->nwps = p->nwps;
	f->nmonths = p->nmonths > 0 ? p->nmonths : 1;
	size_t cells = (size_t)f->npartners * (size_t)f->nwps;
	f->cost = xcalloc((size_t)f->npartners * RES_NCAT + 1, sizeof *f->cost);
	f->cost_wp = xcalloc(cells + 1, sizeof *f->cost_wp);
	if (totals_only) {
		f->spent = xcalloc(cells + 1, sizeof *f->spent);
		return;
	}
	f->effort = xcalloc(cells * (size_t)f->nmonths + 1, sizeof *f->effort);
	f->effort_notes = xcalloc(cells * (size_t)f->nmonths + 1, sizeof *f->effort_notes);
}

void res_facts_totals_only(struct res_facts *f)
{
	if (f->spent)
		return;
	/* Before anything is read: no note to free. */
	free(f->effort_notes);
	free(f->effort);
	f->effort_notes = NULL;
	f->effort = NULL;
	f->spent = xcalloc((size_t)f->npartners * (size_t)f->nwps + 1, sizeof *f->spent);
}

void res_facts_free(struct res_facts *f)
{
	if (!f)
		return;
	res_facts_free_months(f);
	free(f->spent);
	free(f->cost);
	free(f->cost_wp);
	memset(f, 0, sizeof *f);
}

/* ---- derive -------------------------------------------------------------------- */

const char *res_flag_word(enum res_flag f)
{
	return f == RES_FLAG_OVER ? "over" : f == RES_FLAG_UNDER ? "under" : NULL;
}

/* Deviation and flag of a row against its expected amount. */
static void judge(long actual, long expected, long limit, long *deviation, int *has,
                  enum res_flag *flag)
{
	*flag = RES_FLAG_NONE;
	*has = expected > 0;
	*deviation = 0;
	if (expected <= 0) {
		if (actual > 0)
			*flag = RES_FLAG_OVER;
		return;
	}
	long diff = actual - expected;
	*deviation = muldiv(diff, 100, expected);
	/* |diff| / expected > limit / 10000 */
	long l64, r64;
	int fits = diff > LONG_MIN && !__builtin_mul_overflow(diff < 0 ? -diff : diff, 10000L, &l64) &&
	           !__builtin_mul_overflow(limit, expected, &r64);
	__int128 lhs = fits ? l64 : (__int128)(diff < 0 ? -diff : diff) * 10000;
	__int128 rhs = fits ? r64 : (__int128)limit * expected;
	if (fits ? l64 > r64 : lhs > rhs)
		*flag = diff > 0 ? RES_FLAG_OVER : RES_FLAG_UNDER;
}

static void row_fill(struct res_row *r, long planned, long actual, long gone, long length,
                     long limit)
{
	r->planned = planned;
	r->actual = actual;
	r->expected = muldiv(planned, gone, length);
	r->projected = gone > 0 ? muldiv(actual, length, gone) : actual;
	judge(actual, r->expected, limit, &r->deviation, &r->has_deviation, &r->flag);
	r->share = muldiv(actual, 100, planned);
}

static long clampl(long x, long lo, long hi)
{
	return x < lo ? lo : x > hi ? hi : x;
}


/* Hundredths of a PM spent in months from..to of a cell's months m[nmonths]
 * (NULL: none). */
static long spent(const long *m, int nmonths, int from, int to)
{
	if (!m)
		return 0;
	long sum = 0;
	for (int k = from < 1 ? 1 : from; k <= to && k <= nmonths; k++)
		sum += m[k - 1];
	return sum;
}

/* Partner pi x WP wi's months in the facts, or NULL. */
static const long *cell_months(const struct res_facts *f, int pi, int wi)
{
	if (!f || !f->effort || pi >= f->npartners || wi >= f->nwps)
		return NULL;
	return f->effort + ((size_t)pi * (size_t)f->nwps + (size_t)wi) * (size_t)f->nmonths;
}

static long indirect(const struct project *p, long direct_nonsub)
{
	return muldiv(direct_nonsub, p->budget.indirect_rate, 10000);
}

/* Period pe's row of effort row er from that cell's months m[nmonths]
 * and their notes (NULL: none). */
static void period_row(const struct project *p, const struct res_state *st, const struct period *pe,
                       const struct res_row *er, const long *m, char *const *notes, int nmonths,
                       struct res_period_row *r)
{
	int last = pe->to < st->month ? pe->to : st->month;
	const struct wp *w = &p->wps[er->key];
	long length = w->end - w->start + 1;
	int a = pe->from > w->start ? pe->from : w->start;
	int b = last < w->end ? last : w->end;
	long inside = b >= a ? b - a + 1 : 0;
	r->partner = er->partner;
	r->wp = er->key;
	r->planned = muldiv(er->planned, inside, length);
	r->spent = spent(m, nmonths, pe->from, last);
	r->to_date = spent(m, nmonths, 1, last);
	judge(r->spent, r->planned, st->deviation_limit, &r->deviation, &r->has_deviation, &r->flag);
	r->notes = NULL;
	if (!notes)
		return;
	struct sbuf nb = {0};
	for (int k = pe->from; k <= last && k <= nmonths; k++) {
		const char *n = notes[k - 1];
		if (n && *n)
			sbuf_printf(&nb, "%s%s", nb.len ? "; " : "", n);
	}
	r->notes = nb.len ? xstrdup(sbuf_str(&nb)) : NULL;
	sbuf_free(&nb);
}

static void derive_periods(const struct project *p, const struct res_facts *f,
                           struct res_state *st)
{
	st->nperiods = p->nperiods;
	st->periods = xcalloc((size_t)p->nperiods + 1, sizeof *st->periods);
	for (int k = 0; k < p->nperiods; k++) {
		struct res_period *rp = &st->periods[k];
		rp->period = k;
		rp->rows = xcalloc((size_t)st->neffort + 1, sizeof *rp->rows);
		for (int i = 0; i < st->neffort; i++) {
			const struct res_row *er = &st->effort[i];
			char *const *notes = NULL;
			if (f && f->effort_notes)
				notes = f->effort_notes + ((size_t)er->partner * (size_t)f->nwps + (size_t)er->key) *
				                          (size_t)f->nmonths;
			period_row(p, st, &p->periods[k], er, cell_months(f, er->partner, er->key), notes,
			           f ? f->nmonths : 0, &rp->rows[rp->nrows++]);
		}
	}
}

int res_period_count(const struct project *p, const struct res_state *st)
{
	return st->periods ? st->nperiods : st->months_src ? p->nperiods : 0;
}

int res_period_each(const struct project *p, const struct res_state *st, int k,
                    void (*put)(const struct res_period_row *, void *), void *arg)
{
	if (st->periods) {
		for (int i = 0; i < st->periods[k].nrows; i++)
			put(&st->periods[k].rows[i], arg);
		return 0;
	}
	struct res_months_src *src = st->months_src;
	if (!src)
		return 0;
	if (src->failed)
		return -1;
	int nm = p->nmonths > 0 ? p->nmonths : 1;
	long *pm = xcalloc((size_t)nm + 1, sizeof *pm);
	char **notes = xcalloc((size_t)nm + 1, sizeof *notes);
	int rc = 0;
	for (int i = 0; i < st->neffort; i++) {
		const struct res_row *er = &st->effort[i];
		if (src->read(src->arg, er->partner, er->key, pm, notes) < 0) {
			src->failed = 1;
			rc = -1;
			break;
		}
		struct res_period_row row;
		period_row(p, st, &p->periods[k], er, pm, notes, nm, &row);
		for (int m = 0; m < nm; m++) {
			free(notes[m]);
			notes[m] = NULL;
		}
		put(&row, arg);
		free(row.notes);
	}
	free(notes);
	free(pm);
	return rc;
}

static void sum_into(struct res_row *s, const struct res_row *r)
{
	s->planned += r->planned;
	s->actual += r->actual;
	s->expected += r->expected;
	s->projected += r->projected;
}

static void sum_judge(struct res_row *s, long limit)
{
	judge(s->actual, s->expected, limit, &s->deviation, &s->has_deviation, &s->flag);
	s->share = muldiv(s->actual, 100, s->planned);
}

static void derive_sums(const struct project *p, struct res_state *st)
{
	st->by_partner = xcalloc((size_t)p->npartners + 1, sizeof *st->by_partner);
	st->by_wp = xcalloc((size_t)p->nwps + 1, sizeof *st->by_wp);
	for (int i = 0; i < p->npartners; i++)
		st->by_partner[i] = (struct res_row){.partner = i, .key = -1};
	for (int i = 0; i < p->nwps; i++)
		st->by_wp[i] = (struct res_row){.partner = -1, .key = i};
	for (int c = 0; c < RES_NCAT; c++)
		st->by_category[c] = (struct res_row){.partner = -1, .key = c};
	for (int i = 0; i < st->neffort; i++) {
		sum_into(&st->by_partner[st->effort[i].partner], &st->effort[i]);
		sum_into(&st->by_wp[st->effort[i].key], &st->effort[i]);
	}
	for (int i = 0; i < st->ncosts; i++)
		sum_into(&st->by_category[st->costs[i].key], &st->costs[i]);
	for (int i = 0; i < p->npartners; i++)
		sum_judge(&st->by_partner[i], st->deviation_limit);
	for (int i = 0; i < p->nwps; i++)
		sum_judge(&st->by_wp[i], st->deviation_limit);
	for (int c = 0; c < RES_NCAT; c++)
		sum_judge(&st->by_category[c], st->deviation_limit);
}

/* The costs per WP and per partner (direct plus indirect). */
static void derive_partner_costs(const struct project *p, const struct res_facts *f,
                                 struct res_state *st)
{
	size_t nw = (size_t)p->nwps;
	int nm = p->nmonths > 0 ? p->nmonths : 1;
	st->cost_wp = xcalloc((size_t)p->npartners * nw + 1, sizeof *st->cost_wp);
	st->cost_by_wp = xcalloc(nw + 1, sizeof *st->cost_by_wp);
	st->cost_no_wp = xcalloc((size_t)p->npartners + 1, sizeof *st->cost_no_wp);
	st->cost_by_partner = xcalloc((size_t)p->npartners + 1, sizeof *st->cost_by_partner);
	for (int pi = 0; pi < p->npartners; pi++) {
		long planned = 0, planned_sub = 0, actual = 0, actual_sub = 0;
		for (int c = 0; c < RES_NCAT; c++) {
			long a = f ? f->cost[(size_t)pi * RES_NCAT + (size_t)c] : 0;
			planned += p->partners[pi].budget[c];
			actual += a;
			if (c == RES_SUBCONTRACTING) {
				planned_sub += p->partners[pi].budget[c];
				actual_sub += a;
			}
		}
		st->cost_no_wp[pi] = actual;
		for (size_t wi = 0; f && f->cost_wp && wi < nw; wi++) {
			long v = f->cost_wp[(size_t)pi * nw + wi];
			st->cost_wp[(size_t)pi * nw + wi] = v;
			st->cost_by_wp[wi] += v;
			st->cost_no_wp[pi] -= v;
			st->cost_wp_any |= v != 0;
		}
		st->cost_no_wp_total += st->cost_no_wp[pi];
		struct res_row *r = &st->cost_by_partner[pi];
		*r = (struct res_row){.partner = pi, .key = -1};
		row_fill(r, planned + indirect(p, planned - planned_sub), actual + indirect(p, actual - actual_sub),
		         st->month, nm, st->deviation_limit);
	}
}

void res_derive(const struct project *p, const struct res_facts *f, cdate asof,
                struct res_state *st)
{
	memset(st, 0, sizeof *st);
	int nm = p->nmonths > 0 ? p->nmonths : 1;
	st->month = (int)clampl(date_month_of(p->start, asof), 0, nm);
	st->deviation_limit = p->budget.present ? p->budget.deviation : 2000;
	st->budget_total = p->budget.total;
	st->eu_contribution = p->budget.eu_contribution;
	st->time_gone_pct = muldiv(st->month, 100, nm);
	if (f && (f->npartners != p->npartners || f->nwps != p->nwps))
		f = NULL;

	/* Person-months: every partner x WP planned or spent. */
	size_t cells = (size_t)p->npartners * (size_t)p->nwps;
	long *plan = xcalloc(cells + 1, sizeof *plan);
	for (int k = 0; k < p->neffort; k++)
		plan[(size_t)p->effort[k].partner * (size_t)p->nwps + (size_t)p->effort[k].wp] +=
			p->effort[k].pm;
	st->effort = xcalloc(cells + 1, sizeof *st->effort);
	for (int pi = 0; pi < p->npartners; pi++)
		for (int wi = 0; wi < p->nwps; wi++) {
			const struct wp *w = &p->wps[wi];
			long planned = plan[(size_t)pi * (size_t)p->nwps + (size_t)wi];
			long actual = f && !f->effort && f->spent
				? f->spent[(size_t)pi * (size_t)p->nwps + (size_t)wi]
				: spent(cell_months(f, pi, wi), f ? f->nmonths : 0, 1, st->month);
			if (planned == 0 && actual == 0)
				continue;
			long length = w->end - w->start + 1;
			long gone = clampl(st->month - w->start + 1, 0, length);
			struct res_row *r = &st->effort[st->neffort++];
			r->partner = pi;
			r->key = wi;
			row_fill(r, planned, actual, gone, length, st->deviation_limit);
			st->planned_pm += r->planned;
			st->actual_pm += r->actual;
			st->expected_pm += r->expected;
			st->over += r->flag == RES_FLAG_OVER;
			st->under += r->flag == RES_FLAG_UNDER;
		}

	free(plan);
	/* Costs: every partner x category planned or spent. */
	st->costs = xcalloc((size_t)p->npartners * RES_NCAT + 1, sizeof *st->costs);
	long planned_sub = 0, actual_sub = 0;
	for (int pi = 0; pi < p->npartners; pi++)
		for (int c = 0; c < RES_NCAT; c++) {
			long planned = p->partners[pi].budget[c];
			long actual = f ? f->cost[(size_t)pi * RES_NCAT + (size_t)c] : 0;
			if (planned == 0 && actual == 0)
				continue;
			struct res_row *r = &st->costs[st->ncosts++];
			r->partner = pi;
			r->key = c;
			row_fill(r, planned, actual, st->month, nm, st->deviation_limit);
			st->planned_direct += planned;
			st->actual_direct += actual;
			if (c == RES_SUBCONTRACTING) {
				planned_sub += planned;
				actual_sub += actual;
			}
			st->over += r->flag == RES_FLAG_OVER;
			st->under += r->flag == RES_FLAG_UNDER;
		}
	st->planned_indirect = indirect(p, st->planned_direct - planned_sub);
	st->actual_indirect = indirect(p, st->actual_direct - actual_sub);
	st->planned_total = st->planned_direct + st->planned_indirect;
	st->actual_total = st->actual_direct + st->actual_indirect;
	long basis = st->budget_total > 0 ? st->budget_total : st->planned_total;
	st->basis_total = basis;
	st->spent_pct = muldiv(st->actual_total, 100, basis);
	st->expected_total = muldiv(basis, st->month, nm);
	st->eu_share = st->budget_total > 0
		? muldiv(st->actual_total, st->eu_contribution, st->budget_total) : 0;
	st->present = p->budget.present || st->neffort > 0 || st->ncosts > 0;
	derive_sums(p, st);
	derive_partner_costs(p, f, st);
	if (f) {
		st->months = f->effort;
		st->month_notes = f->effort_notes;
		st->nmonths = f->nmonths;
	}
	if (!f || f->effort)
		derive_periods(p, f, st);
}

void res_state_free(struct res_state *st)
{
	if (!st)
		return;
	for (int k = 0; k < st->nperiods; k++) {
		for (int i = 0; i < st->periods[k].nrows; i++)
			free(st->periods[k].rows[i].notes);
		free(st->periods[k].rows);
	}
	free(st->periods);
	free(st->effort);
	free(st->costs);
	free(st->by_partner);
	free(st->by_wp);
	free(st->cost_wp);
	free(st->cost_by_wp);
	free(st->cost_no_wp);
	free(st->cost_by_partner);
	memset(st, 0, sizeof *st);
}

const struct res_row *res_effort_row(const struct res_state *st, int pi, int wi)
{
	/* The rows are in partner, then WP order. */
	int lo = 0, hi = st->neffort;
	while (lo < hi) {
		int mid = lo + (hi - lo) / 2;
		const struct res_row *r = &st->effort[mid];
		if (r->partner < pi || (r->partner == pi && r->key < wi))
			lo = mid + 1;
		else
			hi = mid;
	}
	if (lo < st->neffort && st->effort[lo].partner == pi && st->effort[lo].key == wi)
		return &st->effort[lo];
	return NULL;
}
