/* resources: person-months and money, planned against spent, in derive's
 * family. Fixed-point numbers with two decimals (money in cents,
 * person-months in hundredths): parsed from text and written back as text
 * without binary floating point, and the derived state of the plan's use
 * of resources as of a date.
 *
 * The rules (also in consort(1)):
 *   A work package's time gone, as of month M, is its months from its
 *   start to M (the current month counted whole), at most its length; the
 *   project's time gone is M of its months.
 *   expected  = planned * gone / length
 *   projected = spent * length / gone (spent itself while nothing is gone)
 *   deviation = (spent - expected) * 100 / expected, in whole percent
 *               (none when expected is 0)
 *   flag      "over" when spent passes expected by more than the
 *             definition's deviation percent (or anything is spent while
 *             nothing is expected), "under" when it falls short by more.
 *   Indirect costs are indirect_rate percent of the direct costs other than
 *   subcontracting. Every division rounds to the nearest, halves away from
 *   zero. Per reporting period: spent in the period's months against
 *   planned * (the period's months inside the WP, up to the as-of month) /
 *   length. */
#ifndef CONSORT_RESOURCES_H
#define CONSORT_RESOURCES_H

#include <stddef.h>

#include "core/date.h"

struct project;

/* The budget's categories of direct costs, in the definition's words. */
enum res_category { RES_PERSONNEL, RES_SUBCONTRACTING, RES_TRAVEL, RES_EQUIPMENT, RES_OTHER,
	RES_NCAT };
/* NULL-terminated, so that a form can offer them as a choice. */
extern const char *const res_category_words[RES_NCAT + 1];
/* The index of a category word, or -1. */
int res_category(const char *word);

/* The largest amount (in hundredths) a definition or an entry may hold:
 * a thousand billion in the currency. */
#define RES_MAX 100000000000000L

/* Parses "12", "12.5", "12.50", "-3.25" (a leading '-' only when neg_ok)
 * into hundredths. 0 on success; RES_BAD_NUMBER (not a decimal number),
 * RES_BAD_PLACES (more than two decimals), RES_BAD_NEGATIVE, RES_BAD_LARGE. */
enum { RES_OK = 0, RES_BAD_NUMBER = -1, RES_BAD_PLACES = -2, RES_BAD_NEGATIVE = -3,
       RES_BAD_LARGE = -4 };
int res_parse(const char *s, size_t len, int neg_ok, long *out);
/* What res_parse's result means, for a message ("more than two decimals"). */
const char *res_parse_problem(int rc);

/* Writes v hundredths as "1234.56" ("-0.05", "0.00"): at least 24 bytes. */
char *res_format(long v, char *buf);
/* The same with a thousands separator: "1,234.56" (at least 32 bytes). */
char *res_format_grouped(long v, char *buf);

/* a * b / c rounded to the nearest, halves away from zero (c > 0; the
 * product is computed without overflow for the sizes RES_MAX allows). */
long res_muldiv(long a, long b, long c);

/* The log's value of an effort entry, "YYYY-MM:PM" (calendar month,
 * person-months), and of a cost entry, "AMOUNT" or "AMOUNT:WP" (signed;
 * *wp points into value, NULL without one): 0, or -1 when malformed. */
int res_entry_effort(const char *value, int *y, int *m, long *pm);
int res_entry_cost(const char *value, long *cents, const char **wp);

/* ---- facts: what the log says (store_resources.c) ------------------------ */

struct res_facts {
	int npartners, nwps, nmonths;
	long *effort;       /* [npartners * nwps * nmonths]: hundredths of a PM spent in
	                       each project month, the latest entry of that month;
	                       NULL with the totals only */
	long *spent;        /* with the totals only (effort NULL): [npartners * nwps]
	                       hundredths spent in months 1 to the as-of month */
	long *cost;         /* [npartners * RES_NCAT]: cents spent */
	long *cost_wp;      /* [npartners * nwps]: cents of the costs that name the WP
	                       (counted in cost too) */
	char **effort_notes;/* [npartners * nwps * nmonths]: the note of the entry
	                       that counts for the month, NULL when none; untrusted;
	                       NULL with the totals only */
	long entries;       /* live effort and cost entries counted */
};
/* With totals_only, the totals (spent) without the months (effort,
 * effort_notes): what STORE_FACTS_RES_TOTALS reads. */
void res_facts_init(struct res_facts *f, const struct project *p, int totals_only);
/* Drops the months (effort, effort_notes) for the totals (spent), zero. */
void res_facts_totals_only(struct res_facts *f);
void res_facts_free(struct res_facts *f);

/* ---- the derived state ---------------------------------------------------- */

enum res_flag { RES_FLAG_NONE, RES_FLAG_OVER, RES_FLAG_UNDER };

/* The ints together: 64 bytes, not 72 with padding (status fills 6,000). */
struct res_row {
	int partner;        /* partner index */
	int key;            /* WP index (effort) or enum res_category (costs) */
	long planned, actual, expected, projected;
	long share;         /* actual * 100 / planned, whole percent; 0 with nothing planned */
	long deviation;     /* whole percent, signed */
	int has_deviation;  /* expected > 0 */
	enum res_flag flag;
};

struct res_period_row {
	int partner, wp;
	long planned;       /* pro rata for the period's months gone (to its end,
	                       or to the as-of month while it runs) */
	long spent;         /* in the period's months */
	long to_date;       /* to the period's end (or the as-of month, if earlier) */
	long deviation;     /* whole percent against planned; has_deviation */
	int has_deviation;
	enum res_flag flag;
	char *notes;        /* the notes of the period's months, "; "-joined in
	                       month order; NULL when none; untrusted */
};

struct res_period {
	int period;         /* index into project.periods */
	struct res_period_row *rows;
	int nrows;
};

struct res_state {
	int present;        /* the definition plans resources or the log has some */
	int month;          /* the as-of month, 0 before the start, clamped to nmonths */
	long deviation_limit;   /* hundredths of a percent */
	struct res_row *effort; /* partner x WP where planned or spent; partner order, WP order */
	int neffort;
	struct res_row *costs;  /* partner x category where planned or spent */
	int ncosts;
	/* Totals, in hundredths. */
	long planned_pm, actual_pm, expected_pm;
	long planned_direct, planned_indirect, planned_total;
	long actual_direct, actual_indirect, actual_total;
	long expected_total;    /* planned_total * time gone */
	long budget_total, eu_contribution;  /* the definition's; 0 when absent */
	long eu_share;          /* actual_total * eu_contribution / budget_total */
	long basis_total;       /* budget_total, or planned_total without one */
	long spent_pct;         /* actual_total / basis_total, whole percent */
	long time_gone_pct;     /* whole percent of the project's months */
	/* Sums of the rows above (partner or key -1 where summed over), judged
	 * by the same rule on the sums. */
	struct res_row *by_partner;  /* [npartners]: person-months per partner */
	struct res_row *by_wp;       /* [nwps]: person-months per WP */
	struct res_row by_category[RES_NCAT];  /* costs per category */
	/* The months behind the rows (borrowed from the facts, NULL without
	 * them or with the totals only: then store_res_months reads a cell's):
	 * hundredths of a PM of partner x WP x month, as res_facts. */
	const long *months;
	char *const *month_notes; /* the same cells' notes (res_facts.effort_notes) */
	int nmonths;
	/* Costs by work package, from the cost entries that name one (each is
	 * in its partner's category above too): cents of partner x WP, of each
	 * WP, and of what names no WP, per partner and in all; cost_wp_any
	 * when some partner x WP is not 0. */
	long *cost_wp;          /* [npartners * nwps] */
	long *cost_by_wp;       /* [nwps] */
	long *cost_no_wp;       /* [npartners] */
	long cost_no_wp_total;
	int cost_wp_any;
	/* Each partner's costs, direct plus indirect, against its budget
	 * (key -1; judged like the categories). */
	struct res_row *cost_by_partner;  /* [npartners] */
	struct res_period *periods;  /* [nperiods]; NULL (0) from the totals only */
	int nperiods;
	/* Without periods: where the periods' rows are made from, a cell's
	 * months at a time (res_period_each); NULL for none. Not derive's:
	 * the reader of the state sets it. */
	struct res_months_src *months_src;
	int over, under;        /* rows of either table flagged */
};

/* The months of one partner x WP read on request, for the periods' rows
 * of a state derived from the totals only. */
struct res_months_src {
	/* Partner pi x WP wi's months into pm[nmonths] and their notes into
	 * notes[nmonths] (NULL for none; res_period_each frees them), nmonths
	 * as res_facts has them: 0, or -1 when they cannot be read (the
	 * reader keeps why). */
	int (*read)(void *arg, int pi, int wi, long *pm, char **notes);
	void *arg;
	int failed;         /* a read failed: no more rows are made */
};

/* Fills *st from the project's plan and the facts (f may be NULL: nothing
 * spent) as of the month of asof. */
void res_derive(const struct project *p, const struct res_facts *f, cdate asof,
                struct res_state *st);
void res_state_free(struct res_state *st);
/* How many reporting periods st has rows for: st->periods', or with a
 * months_src every period of the project (period k is p->periods[k]). */
int res_period_count(const struct project *p, const struct res_state *st);
/* Each row of st's period k to put, in st->effort's order: st->periods[k]'s,
 * or made from each cell's months read through st->months_src (each row
 * what derive would have made from the same months; the row and its notes
 * are freed after put). 0, or -1 when a read failed (then, and from then
 * on, the rows stop). */
int res_period_each(const struct project *p, const struct res_state *st, int k,
                    void (*put)(const struct res_period_row *row, void *arg), void *arg);
/* "over", "under" or NULL. */
const char *res_flag_word(enum res_flag f);
/* The row of partner pi x WP wi in st->effort, or NULL. */
const struct res_row *res_effort_row(const struct res_state *st, int pi, int wi);

#endif
