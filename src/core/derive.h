/* derive: the one place numbers come from. Pure functions of (project,
 * facts, as-of date) to the state that every pane, `status`, JSON and
 * exports show. No I/O, no SQL, no curses.
 *
 * The state rule (also in consort(1)):
 *   expected(as-of) of an item spanning months S..E is the share of its days,
 *   from the first day of S to the last day of E, that have passed by the end
 *   of the as-of day (0..1).
 *   A task's progress is its latest recorded progress (100 when its status is
 *   done, 0 when nothing was recorded). Its status word is the recorded
 *   status; with none recorded, "planned" (or "in_progress" when progress
 *   alone was recorded, "done" at 100).
 *   A task is, the first rule that applies:
 *   done      status done, or progress 100;
 *   late      not done and the as-of date is after the end of its last month;
 *   at risk   blocked;
 *   planned   not started (before its first month, and nothing recorded);
 *   at risk   progress more than DERIVE_RISK_MARGIN points behind expected
 *             (expected * 100 - progress > margin: exactly the margin behind
 *             is still on track);
 *   on track  otherwise.
 *   A work package's progress is the mean of its tasks' progress weighted by
 *   their length in months, rounded; it is done when all its tasks are done,
 *   late when any task is late or its end has passed, at risk when any task
 *   is at risk or its own progress is more than the margin behind, planned
 *   before its start while all its tasks are planned, on track otherwise.
 *   A WP without tasks follows time alone: its progress is its expected
 *   share; planned before its start, done after its end, on track between.
 *   A deliverable counts as done when submitted or accepted; a milestone when
 *   reached. Not done after the last day of its due month: overdue by whole
 *   days. Not done, not overdue and due within DERIVE_DUE_SOON_DAYS days
 *   (inclusive): due soon. Done after the due date: days_late is done date
 *   minus due date.
 *   Reach pace: elapsed months = days from the start to as-of (inclusive,
 *   counting no further than the end) / 30.4375; remaining months = days
 *   after as-of up to the end / 30.4375 (the whole project before the start,
 *   0 from the last day on). per_month = total / elapsed (0 before the
 *   start); projection = total + per_month * remaining.
 *   What is still needed (gap = target - total, 0 when met), by the days
 *   left after the as-of day up to the end (days_left):
 *   REACH_NEED_NONE       the target is met: nothing needed.
 *   REACH_NEED_PER_MONTH  a month or more left (remaining >= 1):
 *                         needed_per_month = gap / remaining
 *                         ("behind: N a month needed").
 *   REACH_NEED_LAST_DAYS  less than a month left, at least one day: no
 *                         monthly figure from less than a month;
 *                         needed_per_month = gap, all of it in the days left
 *                         ("N more needed in the last D days", "in the last
 *                         day" for one).
 *   REACH_NEED_SHORT      no day left (the as-of day is the last day or
 *                         after it): no pace, only the shortfall;
 *                         needed_per_month = 0, on_pace 0 ("ended N short of
 *                         the target"; on the last day itself "N short of
 *                         the target at the end"). */
/* Benchmark labels: the format gives pass_score (percent of indicators at
 * or over threshold) for the top label only. The ladder rises in equal
 * steps: with L labels, label k (0 the lowest) needs pass_score * (k + 1) / L
 * percent of the indicators, rounded up to whole indicators (without
 * pass_score the top label needs all of them, so label k needs
 * (k + 1) / L of them). With bronze/silver/gold, pass_score 80 and 30
 * indicators: bronze 26.7% = 8, silver 53.3% = 16, gold 80% = 24.
 * A cluster's goal is its target_label, or with none the label above its
 * current one. Its details show each indicator's latest value against the
 * indicator's threshold (values/has; at or over passes). */
#ifndef CONSORT_DERIVE_H
#define CONSORT_DERIVE_H

#include "core/project.h"
#include "core/store.h"

#define DERIVE_RISK_MARGIN 20
#define DERIVE_DUE_SOON_DAYS 30

enum dstate { DS_PLANNED, DS_ON_TRACK, DS_AT_RISK, DS_LATE, DS_DONE };

struct task_state {
	int progress;          /* 0..100 */
	double expected;       /* 0..1 */
	enum dstate state;
	const char *status;    /* recorded status, or "planned" */
};

struct wp_state {
	int progress;
	double expected;
	enum dstate state;
	int tasks_done;
};

struct due_state {             /* a deliverable or a milestone */
	const char *status;    /* recorded status, or "planned" / "pending" */
	cdate due_date;        /* last day of the due month */
	int done;
	int overdue;           /* not done and past due */
	int due_soon;          /* not done, due within DERIVE_DUE_SOON_DAYS */
	int days_late;         /* overdue: days past due; done: days late when done (0 on time) */
	int days_left;         /* not done and not overdue: days until due */
	cdate done_date;       /* CDATE_NONE when not done */
};

enum reach_need {
	REACH_NEED_NONE,       /* met */
	REACH_NEED_PER_MONTH,  /* a month or more left: needed_per_month */
	REACH_NEED_LAST_DAYS,  /* under a month left: gap more in days_left days */
	REACH_NEED_SHORT,      /* no day left: gap short of the target */
};

struct reach_state {
	long total, target;
	double pct;            /* total / target * 100 (0 when target is 0) */
	const long *by_partner;/* [npartners], from the facts */
	const long *by_month;  /* [nmonths], -1 past as-of */
	double per_month;      /* pace so far: total per elapsed month */
	double projection;     /* total expected at the end date at that pace */
	double needed_per_month; /* see need: per month from as-of to reach the target;
	                            0 when met or when no day is left */
	enum reach_need need;  /* which of the rules above applies */
	long gap;              /* target - total; 0 when met (the shortfall after the end) */
	int days_left;         /* days after the as-of day up to the end; 0 from the last day */
	long split_excess;     /* distinct targets: how much the split by partner adds
	                          up to more than the total, a value credited to k
	                          partners counting k - 1 (sum of by_partner - total);
	                          0 for counts and when no value is shared */
	int on_pace;           /* projection >= target, or target met */
	int met;
};

struct bench_state {
	int label;             /* index into labels, -1 none recorded */
	int target_label;      /* from the definition, -1 */
	int measured;          /* indicators with a recorded value */
	int at_threshold;      /* indicators at or over their threshold */
	double share;          /* at_threshold / nindicators * 100 */
	int top_needs;         /* indicators still needed to reach pass_score; 0 when met */
	int goal_label;        /* the label aimed at: target_label, or with none the
	                          next label above the current one (the lowest with
	                          none recorded, the top when at the top); -1 when
	                          the benchmark has no labels */
	int goal_at;           /* indicators at or over threshold goal_label needs
	                          (derive_label_needs) */
	int goal_needs;        /* how many more than at_threshold; 0 when met */
	const double *values;  /* [nindicators]: latest value (borrowed from the facts) */
	const unsigned char *has; /* [nindicators]: 1 when measured (borrowed), or NULL */
	int *area_at, *area_total; /* [nareas] */
	double *area_share;    /* [nareas]: area_at / area_total * 100 (0 for an empty area) */
};

struct due_ref {
	enum item_kind kind;   /* ITEM_DELIVERABLE or ITEM_MILESTONE */
	int index;
	cdate due_date;
};

struct state {
	const struct project *p;
	cdate asof;
	int month;             /* current project month clamped to 1..nmonths */
	int before_start, after_end;
	double elapsed;        /* share of the project's days passed, 0..1 */
	struct task_state *tasks;      /* [ntasks] */
	struct wp_state *wps;          /* [nwps] */
	struct due_state *deliverables;/* [ndeliverables] */
	struct due_state *milestones;  /* [nmilestones] */
	struct reach_state *reach;     /* [ntargets] */
	struct bench_state *bench;     /* [nclusters] */
	char **areas;                  /* benchmark areas in first-seen order (borrowed) */
	int nareas;
	int *indicator_area;           /* [nindicators]: area index */
	struct due_ref *overdue;       /* overdue deliverables and milestones, most late first */
	int noverdue;
	struct due_ref *upcoming;      /* not done, not overdue, soonest first */
	int nupcoming;
	int late_wps, late_tasks;      /* counts in state late */
	int64_t entries, last_recorded_ms;
	struct res_state res;          /* the use of resources (resources.h) */
};

/* Whether a log entry concerns partner pi: credited to it (its updates,
 * its reach, its cluster), about an item it leads or takes part in, or a
 * comment on its cluster. What "mine" and a partner's filter keep. */
int derive_entry_concerns(const struct project *p, const struct entry *en, int pi);

/* What is due (consort due): deliverables and milestones not done that are
 * overdue or due within `within` days of the as-of date (0: the as-of day
 * only), and tasks not done that ended before it (overdue) or end within
 * the window. With partner >= 0 only what that partner leads or takes part
 * in (project_partner_involved). Ordered per lead (the partners' order,
 * items without a lead last), in each lead the newest deadline first, then
 * deliverables, milestones, tasks, then the definition's order: the same
 * state gives the same list. */
struct deadline {
	enum item_kind kind;   /* ITEM_DELIVERABLE, ITEM_MILESTONE or ITEM_TASK */
	int index;
	int lead;              /* partner index, -1 none */
	cdate date;            /* the due date, or the task's last day */
	int overdue;
	int days;              /* overdue: days past it; else days left (0 today) */
};
/* Returns how many; *out (caller frees) gets them. */
int derive_deadlines(const struct project *p, const struct state *st, int within, int partner,
                     struct deadline **out);

/* Fill *st. It borrows p and f (keep them alive while st is used). */
void derive_state(const struct project *p, const struct facts *f, cdate asof, struct state *st);
void state_free(struct state *st);

/* "planned", "on track", "at risk", "late", "done". */
const char *derive_word(enum dstate s);
/* Anything late or overdue (for status --check). */
int derive_anything_late(const struct state *st);
/* expected share for months S..E at the end of day asof, 0..1. */
double derive_expected(const struct project *p, int start, int end, cdate asof);
/* Indicators at or over threshold that label (0 the lowest) needs, by the
 * rule above; 0 for a label out of range. */
int derive_label_needs(const struct benchmark *b, int label);
/* What target i still needs, in the words every output uses (see need):
 * "met", "on pace", "behind: N a month needed", "behind: G more needed in
 * the last D days" ("in the last day" for one), "G short of the target at
 * the end" (on the last day), "ended G short of the target" (after it).
 * Written into buf (n bytes), which is returned. */
const char *derive_pace_words(const struct state *st, int i, char *buf, size_t n);
/* What cluster c's goal label needs, in the words every output uses:
 * "silver needs 16 at threshold: 3 more", or "has what silver needs"
 * ("" without labels). The label is the definition's text: sanitize it on
 * the way out. Written into buf (n bytes), which is returned. */
/* What a distinct target's split by partner counts twice (split_excess),
 * in the words every output uses: "the split counts N value(s) for more
 * than one partner; the total counts each once", or with short set "N
 * value(s) counted for more than one partner"; "" when nothing is. */
const char *derive_split_words(const struct reach_state *r, int shorter, char *buf, size_t n);
/* Indicator k of a cluster: 1 at or over its threshold, 0 below, -1 not
 * measured. */
int derive_indicator_passes(const struct benchmark *b, const struct bench_state *bs, int k);
const char *derive_goal_words(const struct benchmark *b, const struct bench_state *bs, char *buf, size_t n);

/* A baseline: how the current plan's work packages, tasks, deliverables
 * and milestones stand against an earlier plan's (matched by id). For each
 * current item: new (absent from the baseline), and the baseline's months
 * (0 when new); was_due etc. equal the current ones when unchanged. The
 * baseline's items absent from the current plan are listed as removed. */
struct baseline_mark {
	int added;             /* not in the baseline */
	int moved;             /* its months differ from the baseline's */
	int was_start, was_end;/* WPs and tasks */
	int was_due;           /* deliverables and milestones */
};
struct baseline_removed {
	enum item_kind kind;
	const char *id, *title;/* borrowed from the baseline's model */
	int wp;                /* the WP's index in the baseline, -1 none */
	int start, end, due;   /* its months in the baseline */
};
struct baseline {
	int version;           /* the baseline's plan version, 0 none */
	struct baseline_mark *wps, *tasks, *deliverables, *milestones;
	struct baseline_removed *removed;
	int nremoved;
	int nadded, nmoved;
};
/* Compare cur with base (both borrowed; base must outlive b for the
 * removed items' ids). */
void derive_baseline(const struct project *base, const struct project *cur, int version,
                     struct baseline *b);
void baseline_free(struct baseline *b);
/* "M14 (was M12)" when a due month moved, else "M14"; into buf. */
const char *derive_due_words(int due, const struct baseline_mark *m, char *buf, size_t n);
/* "was M4-M12" when a range moved, "new" when added, else "". */
const char *derive_range_words(const struct baseline_mark *m, char *buf, size_t n);

#endif
