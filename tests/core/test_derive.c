/* Tests for derive: every rule in derive.h checked on small projects built
 * by hand (no loader, no store), with the expected numbers worked out in
 * the comments. */
#include "config.h"
#include <criterion/criterion.h>
#include <stdlib.h>
#include <string.h>
#include "core/derive.h"

#define S(x) ((char *)(x))

static cdate D(int y, int m, int d)
{
	return date_from_ymd(y, m, d);
}

/* The test project, 2016-01-01 .. 2017-09-30 (21 months, 639 days:
 * 366 in 2016 + 273 in 2017 up to Sep 30).
 *   partners  LITC (coordinator), NETPORT, TALLINN
 *   WP1 1..21  tasks T1.1 1..2, T1.2 3..8
 *   WP2 1..6   no tasks
 *   WP3 4..12  task T3.1 4..12
 *   deliverables (in this order) D1.1 due 2, D3.1 due 6, D2.1 due 6, D3.2 due 12
 *   milestones   MS1 due 2, MS2 due 6
 *   targets  sme-members 227, sme-partnering 1000, member-states (distinct) 18,
 *            zero 0
 *   benchmark labels bronze/silver/gold, pass_score 80, indicators
 *            G1 Gov >=3, G2 Fin >=2.5, G3 Gov >=1, G4 Serv >=4;
 *            clusters LITC (target gold), NETPORT (no target) */
static struct project *proj_new(void)
{
	struct project *p = calloc(1, sizeof *p);
	p->acronym = S("TEST");
	p->start = D(2016, 1, 1);
	p->end = D(2017, 9, 30);
	p->nmonths = 21;

	p->npartners = 3;
	p->partners = calloc(3, sizeof *p->partners);
	p->partners[0] = (struct partner){.id = S("LITC"), .coordinator = 1, .joined = 1, .left = 21};
	p->partners[1] = (struct partner){.id = S("NETPORT"), .joined = 1, .left = 21};
	p->partners[2] = (struct partner){.id = S("TALLINN"), .joined = 1, .left = 21};

	p->nwps = 3;
	p->wps = calloc(3, sizeof *p->wps);
	p->wps[0] = (struct wp){.id = S("WP1"), .start = 1, .end = 21, .first_task = 0, .ntasks = 2};
	p->wps[1] = (struct wp){.id = S("WP2"), .start = 1, .end = 6, .first_task = 2, .ntasks = 0};
	p->wps[2] = (struct wp){.id = S("WP3"), .start = 4, .end = 12, .first_task = 2, .ntasks = 1};

	p->ntasks = 3;
	p->tasks = calloc(3, sizeof *p->tasks);
	p->tasks[0] = (struct task){.id = S("T1.1"), .wp = 0, .start = 1, .end = 2};
	p->tasks[1] = (struct task){.id = S("T1.2"), .wp = 0, .start = 3, .end = 8};
	p->tasks[2] = (struct task){.id = S("T3.1"), .wp = 2, .start = 4, .end = 12};

	p->ndeliverables = 4;
	p->deliverables = calloc(4, sizeof *p->deliverables);
	p->deliverables[0] = (struct deliverable){.id = S("D1.1"), .wp = 0, .lead = -1, .due = 2};
	p->deliverables[1] = (struct deliverable){.id = S("D3.1"), .wp = 2, .lead = -1, .due = 6};
	p->deliverables[2] = (struct deliverable){.id = S("D2.1"), .wp = 1, .lead = -1, .due = 6};
	p->deliverables[3] = (struct deliverable){.id = S("D3.2"), .wp = 2, .lead = -1, .due = 12};

	p->nmilestones = 2;
	p->milestones = calloc(2, sizeof *p->milestones);
	p->milestones[0] = (struct milestone){.id = S("MS1"), .lead = -1, .due = 2};
	p->milestones[1] = (struct milestone){.id = S("MS2"), .lead = -1, .due = 6};

	p->ntargets = 4;
	p->targets = calloc(4, sizeof *p->targets);
	p->targets[0] = (struct target){.id = S("sme-members"), .kind = TARGET_COUNT, .target = 227};
	p->targets[1] = (struct target){.id = S("sme-partnering"), .kind = TARGET_COUNT, .target = 1000};
	p->targets[2] = (struct target){.id = S("member-states"), .kind = TARGET_DISTINCT, .target = 18};
	p->targets[3] = (struct target){.id = S("zero"), .kind = TARGET_COUNT, .target = 0};

	static char *labels[] = {S("bronze"), S("silver"), S("gold")};
	p->bench.present = 1;
	p->bench.labels = labels;
	p->bench.nlabels = 3;
	p->bench.pass_score = 80;
	p->bench.nindicators = 4;
	p->bench.indicators = calloc(4, sizeof *p->bench.indicators);
	p->bench.indicators[0] = (struct indicator){.id = S("G1"), .area = S("Gov"), .threshold = 3};
	p->bench.indicators[1] = (struct indicator){.id = S("G2"), .area = S("Fin"), .threshold = 2.5};
	p->bench.indicators[2] = (struct indicator){.id = S("G3"), .area = S("Gov"), .threshold = 1};
	p->bench.indicators[3] = (struct indicator){.id = S("G4"), .area = S("Serv"), .threshold = 4};
	p->bench.nclusters = 2;
	p->bench.clusters = calloc(2, sizeof *p->bench.clusters);
	p->bench.clusters[0] = (struct bcluster){.partner = 0, .target_label = 2};
	p->bench.clusters[1] = (struct bcluster){.partner = 1, .target_label = -1};
	return p;
}

static void proj_release(struct project *p)
{
	free(p->partners);
	free(p->wps);
	free(p->tasks);
	free(p->deliverables);
	free(p->milestones);
	free(p->targets);
	free(p->bench.indicators);
	free(p->bench.clusters);
	free(p);
}

static void items_none(struct item_fact *v, int n)
{
	for (int i = 0; i < n; i++)
		v[i].status_date = v[i].progress_date = v[i].done_date = CDATE_NONE;
}

/* Facts with nothing recorded, sized for p. */
static struct facts *facts_new(const struct project *p, cdate asof)
{
	struct facts *f = calloc(1, sizeof *f);
	f->asof = asof;
	f->tasks = calloc((size_t)p->ntasks + 1, sizeof *f->tasks);
	f->deliverables = calloc((size_t)p->ndeliverables + 1, sizeof *f->deliverables);
	f->milestones = calloc((size_t)p->nmilestones + 1, sizeof *f->milestones);
	items_none(f->tasks, p->ntasks);
	items_none(f->deliverables, p->ndeliverables);
	items_none(f->milestones, p->nmilestones);
	f->targets = calloc((size_t)p->ntargets + 1, sizeof *f->targets);
	for (int i = 0; i < p->ntargets; i++) {
		f->targets[i].by_partner = calloc((size_t)p->npartners + 1, sizeof(long));
		f->targets[i].by_month = calloc((size_t)p->nmonths + 1, sizeof(long));
	}
	size_t nb = (size_t)p->bench.nclusters * (size_t)p->bench.nindicators;
	f->bench = calloc(nb + 1, sizeof *f->bench);
	f->bench_has = calloc(nb + 1, 1);
	f->label = calloc((size_t)p->bench.nclusters + 1, sizeof *f->label);
	f->label_date = calloc((size_t)p->bench.nclusters + 1, sizeof *f->label_date);
	for (int c = 0; c < p->bench.nclusters; c++) {
		f->label[c] = -1;
		f->label_date[c] = CDATE_NONE;
	}
	return f;
}

static void facts_release(const struct project *p, struct facts *f)
{
	for (int i = 0; i < p->ntargets; i++) {
		free(f->targets[i].by_partner);
		free(f->targets[i].by_month);
	}
	free(f->targets);
	free(f->tasks);
	free(f->deliverables);
	free(f->milestones);
	free(f->bench);
	free(f->bench_has);
	free(f->label);
	free(f->label_date);
	free(f);
}

static void set_status(struct item_fact *it, const char *s, cdate when)
{
	it->has_status = 1;
	strncpy(it->status, s, sizeof it->status - 1);
	it->status_date = when;
}

static void set_progress(struct item_fact *it, int pct, cdate when)
{
	it->has_progress = 1;
	it->progress = pct;
	it->progress_date = when;
}

/* Derive p with f as of a date into st. */
static void run(const struct project *p, const struct facts *f, cdate asof, struct state *st)
{
	derive_state(p, f, asof, st);
}

/* ---- expected share ---------------------------------------------------- */

Test(expected, exact_dates)
{
	struct project *p = proj_new();
	/* M1..M2 = 2016-01-01..2016-02-29: 31 + 29 = 60 days. */
	cr_assert_float_eq(derive_expected(p, 1, 2, D(2016, 1, 31)), 31.0 / 60.0, 1e-12);
	cr_assert_float_eq(derive_expected(p, 1, 2, D(2016, 1, 1)), 1.0 / 60.0, 1e-12);
	cr_assert_float_eq(derive_expected(p, 1, 2, D(2016, 1, 30)), 0.5, 1e-12);
	/* Before the first day: 0; on and after the last day: 1. */
	cr_assert_eq(derive_expected(p, 1, 2, D(2015, 12, 31)), 0.0);
	cr_assert_eq(derive_expected(p, 1, 2, D(2016, 2, 29)), 1.0);
	cr_assert_eq(derive_expected(p, 1, 2, D(2016, 3, 1)), 1.0);
	/* M3..M8 = Mar..Aug 2016: 31+30+31+30+31+31 = 184 days; by Apr 30: 31+30 = 61. */
	cr_assert_float_eq(derive_expected(p, 3, 8, D(2016, 4, 30)), 61.0 / 184.0, 1e-12);
	cr_assert_eq(derive_expected(p, 3, 8, D(2016, 2, 29)), 0.0);
	proj_release(p);
}

/* ---- months and edges -------------------------------------------------- */

Test(month, clamping_and_edges)
{
	struct project *p = proj_new();
	struct state st;

	run(p, NULL, D(2015, 12, 31), &st);   /* month 0 -> 1 */
	cr_assert_eq(st.month, 1);
	cr_assert(st.before_start);
	cr_assert_not(st.after_end);
	cr_assert_eq(st.elapsed, 0.0);
	state_free(&st);

	run(p, NULL, D(2016, 1, 1), &st);     /* day 1 of 639 */
	cr_assert_eq(st.month, 1);
	cr_assert_not(st.before_start);
	cr_assert_not(st.after_end);
	cr_assert_float_eq(st.elapsed, 1.0 / 639.0, 1e-12);
	state_free(&st);

	run(p, NULL, D(2016, 12, 15), &st);   /* December 2016 is M12 */
	cr_assert_eq(st.month, 12);
	cr_assert_float_eq(st.elapsed, 350.0 / 639.0, 1e-12); /* 366 - 16 = 350 */
	state_free(&st);

	run(p, NULL, D(2017, 9, 30), &st);    /* last day: M21, all days passed */
	cr_assert_eq(st.month, 21);
	cr_assert_not(st.before_start);
	cr_assert_not(st.after_end);
	cr_assert_eq(st.elapsed, 1.0);
	state_free(&st);

	run(p, NULL, D(2017, 10, 1), &st);    /* month 22 -> 21 */
	cr_assert_eq(st.month, 21);
	cr_assert_not(st.before_start);
	cr_assert(st.after_end);
	cr_assert_eq(st.elapsed, 1.0);
	state_free(&st);
	proj_release(p);
}

/* ---- tasks ------------------------------------------------------------- */

Test(task, risk_margin_boundary)
{
	struct project *p = proj_new();
	struct facts *f = facts_new(p, D(2016, 1, 30));
	struct state st;

	/* T1.1 (M1..M2) on 2016-01-30: expected 30/60 = 50 points.
	 * progress 30: 50 - 30 = 20, exactly the margin -> on track. */
	set_progress(&f->tasks[0], 30, D(2016, 1, 20));
	run(p, f, D(2016, 1, 30), &st);
	cr_assert_float_eq(st.tasks[0].expected, 0.5, 1e-12);
	cr_assert_eq(st.tasks[0].progress, 30);
	cr_assert_eq(st.tasks[0].state, DS_ON_TRACK);
	state_free(&st);

	/* progress 29: 50 - 29 = 21 > 20 -> at risk. */
	f->tasks[0].progress = 29;
	run(p, f, D(2016, 1, 30), &st);
	cr_assert_eq(st.tasks[0].state, DS_AT_RISK);
	cr_assert_eq(st.wps[0].state, DS_AT_RISK); /* a task at risk puts its WP at risk */
	state_free(&st);

	/* On 2016-01-31: expected 31/60 = 51.67; progress 31 is 20.67 behind
	 * -> at risk; 32 is 19.67 behind -> on track. */
	f->tasks[0].progress = 31;
	run(p, f, D(2016, 1, 31), &st);
	cr_assert_eq(st.tasks[0].state, DS_AT_RISK);
	state_free(&st);
	f->tasks[0].progress = 32;
	run(p, f, D(2016, 1, 31), &st);
	cr_assert_eq(st.tasks[0].state, DS_ON_TRACK);
	state_free(&st);

	facts_release(p, f);
	proj_release(p);
}

Test(task, blocked)
{
	struct project *p = proj_new();
	struct facts *f = facts_new(p, D(2016, 1, 15));
	struct state st;

	/* Blocked at 90% on 2016-01-15 (expected 15/60 = 25): ahead of time,
	 * yet at risk because it is blocked. */
	set_status(&f->tasks[0], "blocked", D(2016, 1, 10));
	set_progress(&f->tasks[0], 90, D(2016, 1, 10));
	run(p, f, D(2016, 1, 15), &st);
	cr_assert_eq(st.tasks[0].state, DS_AT_RISK);
	cr_assert_str_eq(st.tasks[0].status, "blocked");
	cr_assert_eq(st.tasks[0].progress, 90);
	state_free(&st);

	/* Still blocked the day after its end month (2016-03-01): late. */
	run(p, f, D(2016, 3, 1), &st);
	cr_assert_eq(st.tasks[0].state, DS_LATE);
	state_free(&st);
	facts_release(p, f);
	proj_release(p);
}

Test(task, late_after_end_month)
{
	struct project *p = proj_new();
	struct facts *f = facts_new(p, D(2016, 2, 29));
	struct state st;

	/* T1.1 ends 2016-02-29. At 99% on that day: expected 100, 1 behind -> on track. */
	set_status(&f->tasks[0], "in_progress", D(2016, 1, 5));
	set_progress(&f->tasks[0], 99, D(2016, 2, 20));
	run(p, f, D(2016, 2, 29), &st);
	cr_assert_eq(st.tasks[0].state, DS_ON_TRACK);
	cr_assert_eq(st.late_tasks, 0);
	state_free(&st);

	/* The day after: late; WP1 is late because a task is. */
	run(p, f, D(2016, 3, 1), &st);
	cr_assert_eq(st.tasks[0].state, DS_LATE);
	cr_assert_eq(st.late_tasks, 1);
	cr_assert_eq(st.wps[0].state, DS_LATE);
	cr_assert_eq(st.late_wps, 1);
	cr_assert(derive_anything_late(&st));
	state_free(&st);
	facts_release(p, f);
	proj_release(p);
}

Test(task, done_by_status_and_by_progress)
{
	struct project *p = proj_new();
	struct facts *f = facts_new(p, D(2016, 6, 1));
	struct state st;

	/* T1.1 done by status with no progress recorded: progress 100, done
	 * even long after its end. */
	set_status(&f->tasks[0], "done", D(2016, 2, 10));
	/* T1.2 done by reaching 100% while its status says in_progress. */
	set_status(&f->tasks[1], "in_progress", D(2016, 3, 1));
	set_progress(&f->tasks[1], 100, D(2016, 5, 1));
	run(p, f, D(2016, 6, 1), &st);
	cr_assert_eq(st.tasks[0].progress, 100);
	cr_assert_eq(st.tasks[0].state, DS_DONE);
	cr_assert_str_eq(st.tasks[0].status, "done");
	cr_assert_eq(st.tasks[1].state, DS_DONE);
	cr_assert_str_eq(st.tasks[1].status, "in_progress");
	/* Both tasks done: WP1 done though it runs to M21. */
	cr_assert_eq(st.wps[0].tasks_done, 2);
	cr_assert_eq(st.wps[0].state, DS_DONE);
	cr_assert_eq(st.wps[0].progress, 100);
	state_free(&st);

	run(p, f, D(2017, 12, 31), &st); /* after the end: still done, not late */
	cr_assert_eq(st.tasks[0].state, DS_DONE);
	cr_assert_eq(st.wps[0].state, DS_DONE);
	state_free(&st);
	facts_release(p, f);
	proj_release(p);
}

Test(task, planned_before_start)
{
	struct project *p = proj_new();
	struct facts *f = facts_new(p, D(2016, 2, 15));
	struct state st;

	/* T1.2 starts in M3 (2016-03-01); nothing recorded on 2016-02-15. */
	run(p, f, D(2016, 2, 15), &st);
	cr_assert_eq(st.tasks[1].state, DS_PLANNED);
	cr_assert_str_eq(st.tasks[1].status, "planned");
	cr_assert_eq(st.tasks[1].progress, 0);
	cr_assert_eq(st.tasks[1].expected, 0.0);
	/* WP3 (M4..M12) with its task not started: planned. */
	cr_assert_eq(st.wps[2].state, DS_PLANNED);
	state_free(&st);

	/* An early start is recorded as progress alone: on track, "in_progress". */
	set_progress(&f->tasks[1], 10, D(2016, 2, 10));
	run(p, f, D(2016, 2, 15), &st);
	cr_assert_eq(st.tasks[1].state, DS_ON_TRACK);
	cr_assert_str_eq(st.tasks[1].status, "in_progress");
	cr_assert_eq(st.tasks[1].progress, 10);
	state_free(&st);

	/* Nothing recorded once the start has come: on track at first, not planned. */
	run(p, NULL, D(2016, 3, 1), &st);
	cr_assert_eq(st.tasks[1].state, DS_ON_TRACK);
	cr_assert_str_eq(st.tasks[1].status, "planned");
	state_free(&st);
	facts_release(p, f);
	proj_release(p);
}

/* ---- work packages ----------------------------------------------------- */

Test(wp, weighted_progress)
{
	struct project *p = proj_new();
	struct facts *f = facts_new(p, D(2016, 3, 15));
	struct state st;

	/* T1.1 (2 months) done = 100, T1.2 (6 months) 0:
	 * (2*100 + 6*0) / 8 = 25. */
	set_status(&f->tasks[0], "done", D(2016, 2, 20));
	run(p, f, D(2016, 3, 15), &st);
	cr_assert_eq(st.wps[0].progress, 25);
	cr_assert_eq(st.wps[0].tasks_done, 1);
	/* WP1 expected: Jan 1..Mar 15 = 31+29+15 = 75 of 639 days = 11.7 < 25;
	 * T1.2 expected 15/184 = 8.2 points, 0 done: 8.2 behind -> on track. */
	cr_assert_float_eq(st.wps[0].expected, 75.0 / 639.0, 1e-12);
	cr_assert_eq(st.tasks[1].state, DS_ON_TRACK);
	cr_assert_eq(st.wps[0].state, DS_ON_TRACK);
	state_free(&st);

	/* T1.1 50, T1.2 15: (2*50 + 6*15) / 8 = 190 / 8 = 23.75 -> 24. */
	set_status(&f->tasks[0], "in_progress", D(2016, 2, 20));
	set_progress(&f->tasks[0], 50, D(2016, 2, 20));
	set_progress(&f->tasks[1], 15, D(2016, 3, 10));
	run(p, f, D(2016, 3, 15), &st);
	cr_assert_eq(st.wps[0].progress, 24);
	cr_assert_eq(st.wps[0].tasks_done, 0);
	state_free(&st);
	facts_release(p, f);
	proj_release(p);
}

Test(wp, without_tasks_follows_time)
{
	struct project *p = proj_new();
	struct state st;

	/* WP2 M1..M6: Jan..Jun 2016 = 31+29+31+30+31+30 = 182 days;
	 * by 2016-03-31: 31+29+31 = 91 = half -> progress 50, on track. */
	run(p, NULL, D(2016, 3, 31), &st);
	cr_assert_float_eq(st.wps[1].expected, 0.5, 1e-12);
	cr_assert_eq(st.wps[1].progress, 50);
	cr_assert_eq(st.wps[1].state, DS_ON_TRACK);
	cr_assert_eq(st.wps[1].tasks_done, 0);
	state_free(&st);

	run(p, NULL, D(2015, 12, 31), &st); /* before its start: planned, 0 */
	cr_assert_eq(st.wps[1].state, DS_PLANNED);
	cr_assert_eq(st.wps[1].progress, 0);
	state_free(&st);

	run(p, NULL, D(2016, 7, 1), &st);   /* after its end: done, never late */
	cr_assert_eq(st.wps[1].state, DS_DONE);
	cr_assert_eq(st.wps[1].progress, 100);
	state_free(&st);
	proj_release(p);
}

Test(wp, late_when_end_passed)
{
	struct project *p = proj_new();
	struct facts *f = facts_new(p, D(2017, 1, 1));
	struct state st;

	/* WP3 ends with M12 (2016-12-31); its task T3.1 at 100 makes it done,
	 * at 95 the WP is late on 2017-01-01 as the task is. */
	set_progress(&f->tasks[2], 95, D(2016, 12, 1));
	run(p, f, D(2016, 12, 31), &st);
	cr_assert_eq(st.wps[2].state, DS_ON_TRACK); /* 100 - 95 = 5 behind */
	cr_assert_eq(st.wps[2].progress, 95);
	state_free(&st);
	run(p, f, D(2017, 1, 1), &st);
	cr_assert_eq(st.wps[2].state, DS_LATE);
	state_free(&st);
	f->tasks[2].progress = 100;
	run(p, f, D(2017, 1, 1), &st);
	cr_assert_eq(st.wps[2].state, DS_DONE);
	state_free(&st);
	facts_release(p, f);
	proj_release(p);
}

/* ---- deliverables and milestones --------------------------------------- */

Test(due, overdue_across_month_boundary)
{
	struct project *p = proj_new();
	struct state st;

	/* D1.1 due M2 = 2016-02-29 (leap year). */
	run(p, NULL, D(2016, 2, 29), &st);
	cr_assert_eq(st.deliverables[0].due_date, D(2016, 2, 29));
	cr_assert_not(st.deliverables[0].overdue);
	cr_assert_eq(st.deliverables[0].days_left, 0);
	cr_assert(st.deliverables[0].due_soon);
	cr_assert_str_eq(st.deliverables[0].status, "planned");
	cr_assert_str_eq(st.milestones[0].status, "pending");
	state_free(&st);

	/* 2016-03-05: Mar 1..5 = 5 days late. */
	run(p, NULL, D(2016, 3, 5), &st);
	cr_assert(st.deliverables[0].overdue);
	cr_assert_eq(st.deliverables[0].days_late, 5);
	cr_assert_eq(st.deliverables[0].days_left, 0);
	cr_assert_not(st.deliverables[0].due_soon);
	cr_assert_eq(st.deliverables[0].done_date, CDATE_NONE);
	cr_assert(st.milestones[0].overdue);
	cr_assert_eq(st.milestones[0].days_late, 5);
	cr_assert(derive_anything_late(&st));
	state_free(&st);
	proj_release(p);
}

Test(due, due_soon_window)
{
	struct project *p = proj_new();
	struct state st;

	/* D2.1 due 2016-06-30. On 2016-05-31: 30 days left -> due soon. */
	run(p, NULL, D(2016, 5, 31), &st);
	cr_assert_eq(st.deliverables[2].days_left, 30);
	cr_assert(st.deliverables[2].due_soon);
	state_free(&st);
	/* On 2016-05-30: 31 days left -> not yet. */
	run(p, NULL, D(2016, 5, 30), &st);
	cr_assert_eq(st.deliverables[2].days_left, 31);
	cr_assert_not(st.deliverables[2].due_soon);
	cr_assert_not(st.deliverables[2].overdue);
	state_free(&st);
	proj_release(p);
}

Test(due, done_on_time_and_late)
{
	struct project *p = proj_new();
	struct facts *f = facts_new(p, D(2016, 4, 1));
	struct state st;

	/* D1.1 (due 2016-02-29) submitted 2016-03-10: Mar 1..10 = 10 days late. */
	set_status(&f->deliverables[0], "submitted", D(2016, 3, 10));
	f->deliverables[0].done_date = D(2016, 3, 10);
	/* D3.1 accepted on time (2016-06-20, due 06-30). */
	set_status(&f->deliverables[1], "accepted", D(2016, 6, 25));
	f->deliverables[1].done_date = D(2016, 6, 20);
	/* D2.1 drafting: not done. */
	set_status(&f->deliverables[2], "drafting", D(2016, 3, 1));
	/* MS1 reached 2016-03-02: 2 days late. */
	set_status(&f->milestones[0], "reached", D(2016, 3, 2));
	f->milestones[0].done_date = D(2016, 3, 2);
	run(p, f, D(2016, 7, 1), &st);

	cr_assert(st.deliverables[0].done);
	cr_assert_not(st.deliverables[0].overdue);
	cr_assert_eq(st.deliverables[0].days_late, 10);
	cr_assert_eq(st.deliverables[0].done_date, D(2016, 3, 10));
	cr_assert_str_eq(st.deliverables[0].status, "submitted");
	cr_assert(st.deliverables[1].done);
	cr_assert_eq(st.deliverables[1].days_late, 0);
	cr_assert_eq(st.deliverables[1].done_date, D(2016, 6, 20));
	cr_assert_not(st.deliverables[2].done);
	cr_assert(st.deliverables[2].overdue);          /* 2016-07-01: 1 day */
	cr_assert_eq(st.deliverables[2].days_late, 1);
	cr_assert_str_eq(st.deliverables[2].status, "drafting");
	cr_assert(st.milestones[0].done);
	cr_assert_eq(st.milestones[0].days_late, 2);
	cr_assert_str_eq(st.milestones[0].status, "reached");
	cr_assert_not(st.milestones[1].done);
	state_free(&st);
	facts_release(p, f);
	proj_release(p);
}

Test(due, overdue_order)
{
	struct project *p = proj_new();
	struct state st;

	/* On 2016-07-10: D1.1 and MS1 (due 02-29) are 31+30+31+30+10 = 132 days
	 * late; D3.1, D2.1, MS2 (due 06-30) 10 days. Most late first, ties by
	 * due date then id: D1.1, MS1, D2.1, D3.1, MS2. D3.2 (due 12) is upcoming. */
	run(p, NULL, D(2016, 7, 10), &st);
	cr_assert_eq(st.noverdue, 5);
	const char *want[] = {"D1.1", "MS1", "D2.1", "D3.1", "MS2"};
	int wantlate[] = {132, 132, 10, 10, 10};
	for (int i = 0; i < 5; i++) {
		const struct due_ref *r = &st.overdue[i];
		const char *id = r->kind == ITEM_DELIVERABLE ? p->deliverables[r->index].id
		                                             : p->milestones[r->index].id;
		cr_assert_str_eq(id, want[i], "overdue[%d] is %s", i, id);
		const struct due_state *ds = r->kind == ITEM_DELIVERABLE
		                                 ? &st.deliverables[r->index]
		                                 : &st.milestones[r->index];
		cr_assert_eq(ds->days_late, wantlate[i]);
		cr_assert_eq(r->due_date, ds->due_date);
	}
	cr_assert_eq(st.nupcoming, 1);
	cr_assert_eq(st.upcoming[0].kind, ITEM_DELIVERABLE);
	cr_assert_eq(st.upcoming[0].index, 3);
	state_free(&st);
	proj_release(p);
}

Test(due, upcoming_order)
{
	struct project *p = proj_new();
	struct facts *f = facts_new(p, D(2016, 1, 15));
	struct state st;

	/* On 2016-01-15 nothing is due yet. Soonest first, milestones after
	 * deliverables on the same date, then order of definition:
	 * 02-29: D1.1, MS1; 06-30: D3.1, D2.1 (defined in that order), MS2;
	 * 12-31: D3.2. */
	run(p, f, D(2016, 1, 15), &st);
	cr_assert_eq(st.noverdue, 0);
	cr_assert_eq(st.nupcoming, 6);
	const char *want[] = {"D1.1", "MS1", "D3.1", "D2.1", "MS2", "D3.2"};
	for (int i = 0; i < 6; i++) {
		const struct due_ref *r = &st.upcoming[i];
		const char *id = r->kind == ITEM_DELIVERABLE ? p->deliverables[r->index].id
		                                             : p->milestones[r->index].id;
		cr_assert_str_eq(id, want[i], "upcoming[%d] is %s", i, id);
	}
	cr_assert_not(derive_anything_late(&st));
	state_free(&st);

	/* Done items leave the list. */
	set_status(&f->deliverables[0], "submitted", D(2016, 1, 10));
	f->deliverables[0].done_date = D(2016, 1, 10);
	run(p, f, D(2016, 1, 15), &st);
	cr_assert_eq(st.nupcoming, 5);
	cr_assert_eq(st.upcoming[0].kind, ITEM_MILESTONE);
	cr_assert_eq(st.upcoming[0].index, 0);
	state_free(&st);
	facts_release(p, f);
	proj_release(p);
}

/* ---- reach ------------------------------------------------------------- */

Test(reach, pace_projection_needed)
{
	struct project *p = proj_new();
	struct facts *f = facts_new(p, D(2016, 12, 31));
	struct state st;

	f->targets[0].total = 120;
	f->targets[1].total = 600;
	f->targets[2].total = 5;
	run(p, f, D(2016, 12, 31), &st);
	/* Elapsed: 2016-01-01..2016-12-31 = 366 days = 366/30.4375 = 12.0246 months.
	 * Remaining: 2017-01-01..2017-09-30 = 273 days = 273/30.4375 = 8.9692 months. */
	const struct reach_state *r = &st.reach[0];
	cr_assert_eq(r->total, 120);
	cr_assert_eq(r->target, 227);
	cr_assert_float_eq(r->pct, 120.0 / 227.0 * 100.0, 1e-9);       /* 52.86 */
	cr_assert_float_eq(r->per_month, 120.0 * 30.4375 / 366.0, 1e-9); /* 9.98 */
	/* 120 + 120 * 273/366 = 120 + 89.51 = 209.51 < 227: not on pace. */
	cr_assert_float_eq(r->projection, 120.0 + 120.0 * 273.0 / 366.0, 1e-9);
	/* (227 - 120) / 8.9692 = 107 * 30.4375 / 273 = 11.93 a month. */
	cr_assert_float_eq(r->needed_per_month, 107.0 * 30.4375 / 273.0, 1e-9);
	cr_assert_not(r->on_pace);
	cr_assert_not(r->met);
	cr_assert_eq(r->by_partner, f->targets[0].by_partner);
	cr_assert_eq(r->by_month, f->targets[0].by_month);

	/* 600 of 1000: 600 + 600 * 273/366 = 1047.54 >= 1000: on pace, not met;
	 * needed 400 * 30.4375 / 273 = 44.60. */
	r = &st.reach[1];
	cr_assert_float_eq(r->projection, 600.0 + 600.0 * 273.0 / 366.0, 1e-9);
	cr_assert(r->on_pace);
	cr_assert_not(r->met);
	cr_assert_float_eq(r->needed_per_month, 400.0 * 30.4375 / 273.0, 1e-9);

	/* Distinct target, 5 of 18: the same arithmetic on the count of values. */
	r = &st.reach[2];
	cr_assert_float_eq(r->pct, 5.0 / 18.0 * 100.0, 1e-9);
	cr_assert_float_eq(r->projection, 5.0 + 5.0 * 273.0 / 366.0, 1e-9);
	cr_assert_float_eq(r->needed_per_month, 13.0 * 30.4375 / 273.0, 1e-9);
	cr_assert_not(r->met);
	state_free(&st);
	facts_release(p, f);
	proj_release(p);
}

Test(reach, met_and_zero_target)
{
	struct project *p = proj_new();
	struct facts *f = facts_new(p, D(2016, 6, 30));
	struct state st;

	f->targets[0].total = 230;
	run(p, f, D(2016, 6, 30), &st);
	cr_assert(st.reach[0].met);          /* 230 >= 227 */
	cr_assert(st.reach[0].on_pace);
	cr_assert_eq(st.reach[0].needed_per_month, 0.0);
	cr_assert_float_eq(st.reach[0].pct, 230.0 / 227.0 * 100.0, 1e-9);
	/* Target 0: met from the start, pct 0, nothing needed. */
	cr_assert(st.reach[3].met);
	cr_assert(st.reach[3].on_pace);
	cr_assert_eq(st.reach[3].pct, 0.0);
	cr_assert_eq(st.reach[3].needed_per_month, 0.0);
	cr_assert_eq(st.reach[3].projection, 0.0);
	state_free(&st);
	facts_release(p, f);
	proj_release(p);
}

Test(reach, edges_of_time)
{
	struct project *p = proj_new();
	struct facts *f = facts_new(p, D(2016, 1, 1));
	struct state st;

	/* Before the start: no pace; the whole project (639 days) remains:
	 * needed 227 * 30.4375 / 639 = 10.81. */
	run(p, f, D(2015, 12, 31), &st);
	cr_assert_eq(st.reach[0].per_month, 0.0);
	cr_assert_eq(st.reach[0].projection, 0.0);
	cr_assert_float_eq(st.reach[0].needed_per_month, 227.0 * 30.4375 / 639.0, 1e-9);
	state_free(&st);

	/* First day, 3 reached: one day elapsed = 1/30.4375 month -> 91.3125 a
	 * month; remaining 638 days. */
	f->targets[0].total = 3;
	run(p, f, D(2016, 1, 1), &st);
	cr_assert_float_eq(st.reach[0].per_month, 3.0 * 30.4375, 1e-9);
	cr_assert_float_eq(st.reach[0].projection, 3.0 + 3.0 * 638.0, 1e-6);
	state_free(&st);

	/* Last day and after the end: no time remains; the projection is the
	 * total, there is no pace, only the shortfall (227 - 200 = 27). Elapsed
	 * is the project's 639 days. */
	f->targets[0].total = 200;
	run(p, f, D(2017, 9, 30), &st);
	cr_assert_eq(st.reach[0].projection, 200.0);
	cr_assert_eq(st.reach[0].need, REACH_NEED_SHORT);
	cr_assert_eq(st.reach[0].gap, 27);
	cr_assert_eq(st.reach[0].needed_per_month, 0.0);
	cr_assert_float_eq(st.reach[0].per_month, 200.0 * 30.4375 / 639.0, 1e-9);
	state_free(&st);
	run(p, f, D(2018, 3, 1), &st);
	cr_assert_eq(st.reach[0].projection, 200.0);
	cr_assert_eq(st.reach[0].need, REACH_NEED_SHORT);
	cr_assert_eq(st.reach[0].gap, 27);
	cr_assert_eq(st.reach[0].needed_per_month, 0.0);
	cr_assert_float_eq(st.reach[0].per_month, 200.0 * 30.4375 / 639.0, 1e-9);
	cr_assert_not(st.reach[0].on_pace);
	state_free(&st);
	facts_release(p, f);
	proj_release(p);
}

/* The last days and after the end, for a count (sme-members, 200 of 227:
 * gap 27) and a distinct target (member-states, 10 of 18: gap 8). The end
 * is 2017-09-30. */
Test(reach, last_days_and_after_the_end)
{
	struct project *p = proj_new();
	struct facts *f = facts_new(p, D(2017, 9, 1));
	struct state st;
	f->targets[0].total = 200;
	f->targets[2].total = 10;

	/* 2017-08-30: 31 days left = 1.018 months, still a monthly pace:
	 * 27 / (31 / 30.4375) = 26.51. */
	run(p, f, D(2017, 8, 30), &st);
	cr_assert_eq(st.reach[0].need, REACH_NEED_PER_MONTH);
	cr_assert_eq(st.reach[0].days_left, 31);
	cr_assert_float_eq(st.reach[0].needed_per_month, 27.0 * 30.4375 / 31.0, 1e-9);
	state_free(&st);

	/* 2017-08-31: 30 days left, under a month: all of the gap in them, never
	 * more than the gap as a monthly figure. */
	run(p, f, D(2017, 8, 31), &st);
	cr_assert_eq(st.reach[0].need, REACH_NEED_LAST_DAYS);
	cr_assert_eq(st.reach[0].days_left, 30);
	cr_assert_eq(st.reach[0].needed_per_month, 27.0);
	state_free(&st);

	/* 09-28: 2 days left (29, 30); 09-29: 1. Before, 27 / (2 / 30.4375) =
	 * 411 and 27 / (1 / 30.4375) = 822 a month. */
	int left[] = {2, 1};
	for (int k = 0; k < 2; k++) {
		run(p, f, D(2017, 9, 28 + k), &st);
		for (int t = 0; t < 3; t += 2) {
			const struct reach_state *r = &st.reach[t];
			long gap = t == 0 ? 27 : 8;
			cr_assert_eq(r->need, REACH_NEED_LAST_DAYS, "09-%d target %d", 28 + k, t);
			cr_assert_eq(r->gap, gap);
			cr_assert_eq(r->days_left, left[k]);
			cr_assert_eq(r->needed_per_month, (double)gap);
			cr_assert_not(r->on_pace);
		}
		state_free(&st);
	}

	/* 09-30 (the last day) and 10-31 (after the end): the shortfall alone. */
	cdate when[] = {D(2017, 9, 30), D(2017, 10, 31)};
	for (int k = 0; k < 2; k++) {
		run(p, f, when[k], &st);
		for (int t = 0; t < 3; t += 2) {
			const struct reach_state *r = &st.reach[t];
			cr_assert_eq(r->need, REACH_NEED_SHORT, "k %d target %d", k, t);
			cr_assert_eq(r->gap, t == 0 ? 27 : 8);
			cr_assert_eq(r->days_left, 0);
			cr_assert_eq(r->needed_per_month, 0.0);
			cr_assert_not(r->on_pace);
			cr_assert_not(r->met);
		}
		state_free(&st);
	}

	/* Met: nothing needed whenever. */
	f->targets[0].total = 227;
	run(p, f, D(2017, 10, 31), &st);
	cr_assert_eq(st.reach[0].need, REACH_NEED_NONE);
	cr_assert_eq(st.reach[0].gap, 0);
	cr_assert(st.reach[0].on_pace);
	state_free(&st);
	facts_release(p, f);
	proj_release(p);
}

/* A distinct value credited to two partners: the split adds up to more
 * than the total, and derive says by how much. member-states: LV for LITC
 * and NETPORT, EE for NETPORT, LT for LITC and TALLINN and NETPORT: 3
 * values, split 2 + 3 + 1 = 6, excess 3 (LV once, LT twice). */
Test(reach, distinct_split_excess)
{
	struct project *p = proj_new();
	struct facts *f = facts_new(p, D(2016, 6, 1));
	struct state st;
	f->targets[2].total = 3;
	f->targets[2].by_partner[0] = 2;
	f->targets[2].by_partner[1] = 3;
	f->targets[2].by_partner[2] = 1;
	f->targets[0].total = 10;
	f->targets[0].by_partner[0] = 10;
	run(p, f, D(2016, 6, 1), &st);
	cr_assert_eq(st.reach[2].split_excess, 3);
	cr_assert_eq(st.reach[0].split_excess, 0);
	state_free(&st);
	f->targets[2].by_partner[1] = 0;
	f->targets[2].by_partner[2] = 1;
	f->targets[2].total = 3;
	run(p, f, D(2016, 6, 1), &st);
	cr_assert_eq(st.reach[2].split_excess, 0); /* 2 + 0 + 1 = 3: none shared */
	state_free(&st);
	facts_release(p, f);
	proj_release(p);
}

/* ---- benchmark --------------------------------------------------------- */

Test(bench, thresholds_and_areas)
{
	struct project *p = proj_new();
	struct facts *f = facts_new(p, D(2016, 6, 1));
	struct state st;

	/* LITC: G1 = 3 (exactly the threshold: passes), G2 = 2.4 (< 2.5),
	 * G3 not measured, G4 = 5 (>= 4). Measured 3, at threshold 2,
	 * share 2/4 = 50; pass_score 80: ceil(0.8 * 4 = 3.2) = 4, needs 4 - 2 = 2. */
	f->bench[0] = 3;   f->bench_has[0] = 1;
	f->bench[1] = 2.4; f->bench_has[1] = 1;
	f->bench[3] = 5;   f->bench_has[3] = 1;
	f->label[0] = 1;
	f->label_date[0] = D(2016, 5, 1);
	run(p, f, D(2016, 6, 1), &st);

	/* Areas in first-seen order: Gov (G1, G3), Fin (G2), Serv (G4). */
	cr_assert_eq(st.nareas, 3);
	cr_assert_str_eq(st.areas[0], "Gov");
	cr_assert_str_eq(st.areas[1], "Fin");
	cr_assert_str_eq(st.areas[2], "Serv");
	cr_assert_eq(st.areas[0], p->bench.indicators[0].area); /* borrowed */
	cr_assert_eq(st.indicator_area[0], 0);
	cr_assert_eq(st.indicator_area[1], 1);
	cr_assert_eq(st.indicator_area[2], 0);
	cr_assert_eq(st.indicator_area[3], 2);

	const struct bench_state *b = &st.bench[0];
	cr_assert_eq(b->label, 1);
	cr_assert_eq(b->target_label, 2);
	cr_assert_eq(b->measured, 3);
	cr_assert_eq(b->at_threshold, 2);
	cr_assert_float_eq(b->share, 50.0, 1e-12);
	cr_assert_eq(b->top_needs, 2);
	cr_assert_eq(b->area_at[0], 1);    /* Gov: G1 passes, G3 unmeasured */
	cr_assert_eq(b->area_total[0], 2);
	cr_assert_eq(b->area_at[1], 0);    /* Fin: G2 below */
	cr_assert_eq(b->area_total[1], 1);
	cr_assert_eq(b->area_at[2], 1);    /* Serv: G4 passes */
	cr_assert_eq(b->area_total[2], 1);
	cr_assert_float_eq(b->area_share[0], 50.0, 1e-12);  /* Gov: 1 of 2 */
	cr_assert_float_eq(b->area_share[1], 0.0, 1e-12);   /* Fin: 0 of 1 */
	cr_assert_float_eq(b->area_share[2], 100.0, 1e-12); /* Serv: 1 of 1 */

	/* NETPORT: nothing measured, no label: needs all 4. */
	b = &st.bench[1];
	cr_assert_eq(b->label, -1);
	cr_assert_eq(b->target_label, -1);
	cr_assert_eq(b->measured, 0);
	cr_assert_eq(b->at_threshold, 0);
	cr_assert_eq(b->share, 0.0);
	cr_assert_eq(b->top_needs, 4);
	cr_assert_eq(b->area_total[0], 2);
	cr_assert_eq(b->area_at[0], 0);
	state_free(&st);
	facts_release(p, f);
	proj_release(p);
}

/* A benchmark of n indicators in one area, one cluster. */
static struct project *bench_proj(int n, double pass_score)
{
	struct project *p = proj_new();
	free(p->bench.indicators);
	p->bench.nindicators = n;
	p->bench.indicators = calloc((size_t)n, sizeof *p->bench.indicators);
	for (int i = 0; i < n; i++)
		p->bench.indicators[i] = (struct indicator){.id = S("X"), .area = S("All"), .threshold = 1};
	p->bench.nclusters = 1;
	p->bench.pass_score = pass_score;
	return p;
}

static int top_needs_with(struct project *p, int passing)
{
	struct facts *f = facts_new(p, D(2016, 6, 1));
	for (int i = 0; i < passing; i++) {
		f->bench[i] = 1;
		f->bench_has[i] = 1;
	}
	struct state st;
	run(p, f, D(2016, 6, 1), &st);
	int r = st.bench[0].top_needs;
	cr_assert_eq(st.bench[0].at_threshold, passing);
	cr_assert_eq(st.bench[0].area_at[0], passing);
	state_free(&st);
	facts_release(p, f);
	return r;
}

Test(bench, top_needs)
{
	/* 31 indicators, pass_score 80: ceil(0.8 * 31 = 24.8) = 25. */
	struct project *p = bench_proj(31, 80);
	cr_assert_eq(top_needs_with(p, 10), 15);  /* 25 - 10 */
	cr_assert_eq(top_needs_with(p, 24), 1);
	cr_assert_eq(top_needs_with(p, 25), 0);
	cr_assert_eq(top_needs_with(p, 31), 0);   /* never negative */
	/* No pass_score: the top label needs every indicator: 31 - 10 = 21. */
	p->bench.pass_score = -1;
	cr_assert_eq(top_needs_with(p, 10), 21);
	proj_release(p);

	/* 5 indicators at 80: 0.8 * 5 = 4 exactly, so 4 (not 5) are needed. */
	p = bench_proj(5, 80);
	cr_assert_eq(top_needs_with(p, 0), 4);
	cr_assert_eq(top_needs_with(p, 4), 0);
	proj_release(p);
}

/* Lower labels rise in equal steps to pass_score: with bronze/silver/gold
 * at 80 and 30 indicators, bronze needs 26.7% = 8, silver 53.3% = 16, gold
 * 80% = 24; without pass_score, 10, 20 and 30. */
Test(bench, label_ladder)
{
	struct project *p = bench_proj(30, 80);
	cr_assert_eq(derive_label_needs(&p->bench, 0), 8);
	cr_assert_eq(derive_label_needs(&p->bench, 1), 16);
	cr_assert_eq(derive_label_needs(&p->bench, 2), 24);
	cr_assert_eq(derive_label_needs(&p->bench, 3), 0);
	cr_assert_eq(derive_label_needs(&p->bench, -1), 0);
	p->bench.pass_score = -1;
	cr_assert_eq(derive_label_needs(&p->bench, 0), 10);
	cr_assert_eq(derive_label_needs(&p->bench, 1), 20);
	cr_assert_eq(derive_label_needs(&p->bench, 2), 30);
	proj_release(p);
}

/* What the cluster's own goal needs, and each indicator's value. In the
 * test project (4 indicators, 80): bronze ceil(1.07) = 2, silver
 * ceil(2.13) = 3, gold ceil(3.2) = 4. */
Test(bench, goal_of_each_cluster)
{
	struct project *p = proj_new();
	struct facts *f = facts_new(p, D(2016, 6, 1));
	struct state st;
	/* LITC (target gold) at 2 of 4, holding silver; NETPORT (no target,
	 * no label) at 1. */
	f->bench[0] = 3;   f->bench_has[0] = 1;
	f->bench[1] = 2.4; f->bench_has[1] = 1;
	f->bench[3] = 5;   f->bench_has[3] = 1;
	f->label[0] = 1;
	f->bench[4 + 2] = 1; f->bench_has[4 + 2] = 1;
	run(p, f, D(2016, 6, 1), &st);
	const struct bench_state *b = &st.bench[0];
	cr_assert_eq(b->goal_label, 2);
	cr_assert_eq(b->goal_at, 4);
	cr_assert_eq(b->goal_needs, 2);
	cr_assert_eq(b->values[1], 2.4);
	cr_assert(b->has[1]);
	cr_assert_not(b->has[2]);
	b = &st.bench[1];
	cr_assert_eq(b->goal_label, 0);   /* none yet: the lowest */
	cr_assert_eq(b->goal_at, 2);
	cr_assert_eq(b->goal_needs, 1);
	cr_assert_eq(b->values[2], 1.0);
	state_free(&st);

	/* A silver target: silver's 3, not gold's 4. NETPORT holding bronze
	 * aims at silver. */
	p->bench.clusters[0].target_label = 1;
	f->label[1] = 0;
	run(p, f, D(2016, 6, 1), &st);
	cr_assert_eq(st.bench[0].goal_label, 1);
	cr_assert_eq(st.bench[0].goal_at, 3);
	cr_assert_eq(st.bench[0].goal_needs, 1);
	cr_assert_eq(st.bench[0].top_needs, 2);
	cr_assert_eq(st.bench[1].goal_label, 1);
	cr_assert_eq(st.bench[1].goal_needs, 2);
	state_free(&st);
	/* At the top with no target: keep the top label. */
	f->label[1] = 2;
	run(p, f, D(2016, 6, 1), &st);
	cr_assert_eq(st.bench[1].goal_label, 2);
	cr_assert_eq(st.bench[1].goal_needs, 3);
	state_free(&st);
	facts_release(p, f);
	proj_release(p);
}

/* ---- small and empty projects ----------------------------------------- */

Test(project, one_month)
{
	struct project *p = calloc(1, sizeof *p);
	p->start = D(2016, 3, 1);
	p->end = D(2016, 3, 31);
	p->nmonths = 1;
	struct wp w = {.id = S("WP1"), .start = 1, .end = 1, .first_task = 0, .ntasks = 1};
	struct task t = {.id = S("T1"), .start = 1, .end = 1};
	struct deliverable d = {.id = S("D1"), .lead = -1, .due = 1};
	struct target tg = {.id = S("n"), .target = 10};
	p->wps = &w;
	p->nwps = 1;
	p->tasks = &t;
	p->ntasks = 1;
	p->deliverables = &d;
	p->ndeliverables = 1;
	p->targets = &tg;
	p->ntargets = 1;
	p->bench.pass_score = -1;
	struct state st;

	run(p, NULL, D(2016, 2, 29), &st);
	cr_assert_eq(st.month, 1);
	cr_assert(st.before_start);
	cr_assert_eq(st.tasks[0].state, DS_PLANNED);
	cr_assert_eq(st.wps[0].state, DS_PLANNED);
	cr_assert_eq(st.deliverables[0].days_left, 31); /* due 2016-03-31 */
	state_free(&st);

	/* 2016-03-16: 16 of 31 days. */
	run(p, NULL, D(2016, 3, 16), &st);
	cr_assert_eq(st.month, 1);
	cr_assert_float_eq(st.tasks[0].expected, 16.0 / 31.0, 1e-12);
	cr_assert_float_eq(st.elapsed, 16.0 / 31.0, 1e-12);
	cr_assert_eq(st.tasks[0].state, DS_AT_RISK); /* 51.6 behind */
	cr_assert(st.deliverables[0].due_soon);
	/* Remaining 15 days, under a month: the whole gap in them, not
	 * 10 * 30.4375 / 15 = 20.3 a month. */
	cr_assert_eq(st.reach[0].need, REACH_NEED_LAST_DAYS);
	cr_assert_eq(st.reach[0].days_left, 15);
	cr_assert_eq(st.reach[0].needed_per_month, 10.0);
	state_free(&st);

	run(p, NULL, D(2016, 4, 1), &st);
	cr_assert_eq(st.month, 1);
	cr_assert(st.after_end);
	cr_assert_eq(st.tasks[0].state, DS_LATE);
	cr_assert_eq(st.wps[0].state, DS_LATE);
	cr_assert_eq(st.deliverables[0].days_late, 1);
	cr_assert_eq(st.noverdue, 1);
	cr_assert_eq(st.reach[0].need, REACH_NEED_SHORT); /* ended 10 short */
	cr_assert_eq(st.reach[0].gap, 10);
	cr_assert_eq(st.reach[0].needed_per_month, 0.0);
	cr_assert(derive_anything_late(&st));
	state_free(&st);
	free(p);
}

Test(project, empty_and_free)
{
	struct project *p = calloc(1, sizeof *p);
	p->start = D(2016, 1, 1);
	p->end = D(2016, 12, 31);
	p->nmonths = 12;
	p->bench.pass_score = -1;
	struct state st;
	run(p, NULL, D(2016, 6, 1), &st);
	cr_assert_eq(st.month, 6);
	cr_assert_eq(st.nareas, 0);
	cr_assert_eq(st.noverdue, 0);
	cr_assert_eq(st.nupcoming, 0);
	cr_assert_not(derive_anything_late(&st));
	state_free(&st);
	cr_assert_null(st.tasks);
	state_free(&st);              /* twice: harmless */

	struct state z;
	memset(&z, 0, sizeof z);
	state_free(&z);               /* zeroed: harmless */
	cr_assert_null(z.bench);
	free(p);
}

Test(state, counters_and_words)
{
	struct project *p = proj_new();
	struct facts *f = facts_new(p, D(2016, 1, 10));
	f->entries = 42;
	f->last_recorded_ms = 1453000000000LL;
	struct state st;
	run(p, f, D(2016, 1, 10), &st);
	cr_assert_eq(st.entries, 42);
	cr_assert_eq(st.last_recorded_ms, 1453000000000LL);
	cr_assert_eq(st.p, p);
	cr_assert_eq(st.asof, D(2016, 1, 10));
	state_free(&st);
	facts_release(p, f);
	proj_release(p);

	cr_assert_str_eq(derive_word(DS_PLANNED), "planned");
	cr_assert_str_eq(derive_word(DS_ON_TRACK), "on track");
	cr_assert_str_eq(derive_word(DS_AT_RISK), "at risk");
	cr_assert_str_eq(derive_word(DS_LATE), "late");
	cr_assert_str_eq(derive_word(DS_DONE), "done");
}

/* The words every output uses for what a target or a cluster still needs. */
Test(words, pace_split_and_goal)
{
	struct reach_state r = {0};
	struct state st = {0};
	char buf[160];
	st.reach = &r;
	r.need = REACH_NEED_NONE;
	cr_assert_str_eq(derive_pace_words(&st, 0, buf, sizeof buf), "met");
	r.need = REACH_NEED_PER_MONTH;
	r.needed_per_month = 9.96;
	cr_assert_str_eq(derive_pace_words(&st, 0, buf, sizeof buf), "behind: 10 a month needed");
	r.on_pace = 1;
	cr_assert_str_eq(derive_pace_words(&st, 0, buf, sizeof buf), "on pace");
	r.on_pace = 0;
	r.need = REACH_NEED_LAST_DAYS;
	r.gap = 62;
	r.days_left = 2;
	cr_assert_str_eq(derive_pace_words(&st, 0, buf, sizeof buf), "behind: 62 more needed in the last 2 days");
	r.days_left = 1;
	cr_assert_str_eq(derive_pace_words(&st, 0, buf, sizeof buf), "behind: 62 more needed in the last day");
	r.need = REACH_NEED_SHORT;
	r.days_left = 0;
	cr_assert_str_eq(derive_pace_words(&st, 0, buf, sizeof buf), "62 short of the target at the end");
	st.after_end = 1;
	cr_assert_str_eq(derive_pace_words(&st, 0, buf, sizeof buf), "ended 62 short of the target");

	r.split_excess = 0;
	cr_assert_str_eq(derive_split_words(&r, 0, buf, sizeof buf), "");
	r.split_excess = 1;
	cr_assert_str_eq(derive_split_words(&r, 0, buf, sizeof buf),
	                 "the split counts 1 value for more than one partner; the total counts each once");
	r.split_excess = 2;
	cr_assert_str_eq(derive_split_words(&r, 1, buf, sizeof buf), "2 values counted for more than one partner");

	char *labels[] = {"bronze", "silver", "gold"};
	struct benchmark b = {.present = 1, .labels = labels, .nlabels = 3};
	struct bench_state bs = {.goal_label = 1, .goal_at = 16, .goal_needs = 3};
	cr_assert_str_eq(derive_goal_words(&b, &bs, buf, sizeof buf), "silver needs 16 at threshold: 3 more");
	bs.goal_needs = 0;
	cr_assert_str_eq(derive_goal_words(&b, &bs, buf, sizeof buf), "has what silver needs");
	bs.goal_label = -1;
	cr_assert_str_eq(derive_goal_words(&b, &bs, buf, sizeof buf), "");
}

/* The state's expected shares and due dates are derive_expected's and the
 * months' last days on every day around the project, for a project that
 * starts in the middle of a month too (its months are then the calendar
 * months it touches). */
Test(expected, the_state_agrees_with_derive_expected_every_day)
{
	struct project *p = proj_new();
	for (int shifted = 0; shifted < 2; shifted++) {
		if (shifted)
			p->start = D(2016, 1, 17);
		for (cdate asof = p->start - 40; asof <= p->end + 40; asof++) {
			struct facts *f = facts_new(p, asof);
			struct state st;
			run(p, f, asof, &st);
			for (int i = 0; i < p->ntasks; i++)
				cr_assert_eq(st.tasks[i].expected,
				             derive_expected(p, p->tasks[i].start, p->tasks[i].end, asof));
			for (int i = 0; i < p->nwps; i++)
				cr_assert_eq(st.wps[i].expected,
				             derive_expected(p, p->wps[i].start, p->wps[i].end, asof));
			for (int i = 0; i < p->ndeliverables; i++)
				cr_assert_eq(st.deliverables[i].due_date, project_month_end(p, p->deliverables[i].due));
			for (int i = 0; i < p->nmilestones; i++)
				cr_assert_eq(st.milestones[i].due_date, project_month_end(p, p->milestones[i].due));
			state_free(&st);
			facts_release(p, f);
		}
	}
	proj_release(p);
}
