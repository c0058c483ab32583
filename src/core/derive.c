/* derive: turns the plan (project), what the log says (facts) and an as-of
 * date into the state every view shows. Pure: no I/O, no SQL, no curses;
 * every array is sized from the project and freed by state_free. The rules
 * are written out in derive.h. */
#include "config.h"
#include "core/derive.h"
#include "core/text.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Average month length in days (365.25 / 12), for paces per month. */
#define DAYS_PER_MONTH 30.4375
/* Slack for comparisons of computed shares against whole numbers. */
#define EPS 1e-9

/* Rounding without libm: nearest (halves away from zero) and ceiling. */
static int round_int(double x)
{
	return x < 0 ? -(int)(-x + 0.5) : (int)(x + 0.5);
}

static int ceil_int(double x)
{
	int i = (int)x;
	return (double)i < x ? i + 1 : i;
}

static const struct item_fact no_fact = {.status_date = CDATE_NONE,
                                         .progress_date = CDATE_NONE,
                                         .done_date = CDATE_NONE};

const char *derive_word(enum dstate s)
{
	switch (s) {
	case DS_PLANNED: return "planned";
	case DS_ON_TRACK: return "on track";
	case DS_AT_RISK: return "at risk";
	case DS_LATE: return "late";
	case DS_DONE: return "done";
	}
	return "?";
}

int derive_anything_late(const struct state *st)
{
	return st->late_wps > 0 || st->late_tasks > 0 || st->noverdue > 0;
}

/* The share of the days from first to last (inclusive) gone by asof. */
static double share_gone(cdate first, cdate last, cdate asof)
{
	if (last < first || asof < first)
		return 0.0;
	if (asof >= last)
		return 1.0;
	return ((double)asof - first + 1) / ((double)last - first + 1);
}

double derive_expected(const struct project *p, int start, int end, cdate asof)
{
	return share_gone(date_month_first(p->start, start), date_month_last(p->start, end), asof);
}

/* The first and last days of the project's months, each computed once:
 * from the start date it is a conversion to a calendar date and back per
 * call, and every task and work package asks for several. Months outside
 * 1..n (none in a model that loaded) are computed as before. */
struct months {
	cdate start;
	int n;
	cdate *first, *last;          /* [1..n] */
};

static void months_init(struct months *t, const struct project *p)
{
	t->start = p->start;
	t->n = p->nmonths > 0 ? p->nmonths : 0;
	t->first = xcalloc(2 * ((size_t)t->n + 1), sizeof *t->first);
	t->last = t->first + t->n + 1;
	for (int k = 1; k <= t->n; k++) {
		t->first[k] = date_month_first(p->start, k);
		t->last[k] = date_month_last(p->start, k);
	}
}

static cdate month_first(const struct months *t, int mon)
{
	return mon >= 1 && mon <= t->n ? t->first[mon] : date_month_first(t->start, mon);
}

static cdate month_last(const struct months *t, int mon)
{
	return mon >= 1 && mon <= t->n ? t->last[mon] : date_month_last(t->start, mon);
}

/* derive_expected, from the table. */
static double expected(const struct months *t, int start, int end, cdate asof)
{
	return share_gone(month_first(t, start), month_last(t, end), asof);
}

static const struct item_fact *fact_of(const struct item_fact *v, int i)
{
	return v ? &v[i] : &no_fact;
}

static int status_is(const struct item_fact *f, const char *word)
{
	return f->has_status && strcmp(f->status, word) == 0;
}

/* More than the margin behind: behind (in points) > margin. */
static int behind(int progress, double expected)
{
	return expected * 100.0 - progress > DERIVE_RISK_MARGIN + EPS;
}

static void derive_task(const struct project *p, const struct months *mt, const struct item_fact *f,
                        int ti, cdate asof, struct task_state *ts)
{
	const struct task *t = &p->tasks[ti];
	ts->expected = expected(mt, t->start, t->end, asof);
	if (status_is(f, "done"))
		ts->progress = 100;
	else if (f->has_progress)
		ts->progress = f->progress < 0 ? 0 : f->progress > 100 ? 100 : f->progress;
	else
		ts->progress = 0;

	if (f->has_status)
		ts->status = f->status;
	else if (ts->progress >= 100)
		ts->status = "done";
	else if (f->has_progress && ts->progress > 0)
		ts->status = "in_progress";
	else
		ts->status = "planned";

	int recorded = f->has_status || f->has_progress;
	if (ts->progress >= 100)
		ts->state = DS_DONE;
	else if (asof > month_last(mt, t->end))
		ts->state = DS_LATE;
	else if (status_is(f, "blocked"))
		ts->state = DS_AT_RISK;
	else if (asof < month_first(mt, t->start) && !recorded)
		ts->state = DS_PLANNED;
	else if (behind(ts->progress, ts->expected))
		ts->state = DS_AT_RISK;
	else
		ts->state = DS_ON_TRACK;
}

static void derive_wp(const struct project *p, const struct months *mt, const struct state *st,
                      int wi, cdate asof, struct wp_state *ws)
{
	const struct wp *w = &p->wps[wi];
	ws->expected = expected(mt, w->start, w->end, asof);
	cdate first = month_first(mt, w->start);
	cdate last = month_last(mt, w->end);

	if (w->ntasks <= 0) {
		ws->progress = round_int(ws->expected * 100.0);
		ws->tasks_done = 0;
		if (asof > last)
			ws->state = DS_DONE;
		else if (asof < first)
			ws->state = DS_PLANNED;
		else
			ws->state = DS_ON_TRACK;
		return;
	}

	double sum = 0, weight = 0;
	int any_late = 0, any_risk = 0, all_planned = 1;
	ws->tasks_done = 0;
	for (int k = 0; k < w->ntasks; k++) {
		int ti = w->first_task + k;
		const struct task *t = &p->tasks[ti];
		const struct task_state *ts = &st->tasks[ti];
		double len = t->end - t->start + 1;
		if (len < 1)
			len = 1;
		sum += len * ts->progress;
		weight += len;
		if (ts->state == DS_DONE)
			ws->tasks_done++;
		if (ts->state == DS_LATE)
			any_late = 1;
		if (ts->state == DS_AT_RISK)
			any_risk = 1;
		if (ts->state != DS_PLANNED)
			all_planned = 0;
	}
	ws->progress = round_int(sum / weight);

	if (ws->tasks_done == w->ntasks)
		ws->state = DS_DONE;
	else if (any_late || asof > last)
		ws->state = DS_LATE;
	else if (any_risk || behind(ws->progress, ws->expected))
		ws->state = DS_AT_RISK;
	else if (asof < first && all_planned)
		ws->state = DS_PLANNED;
	else
		ws->state = DS_ON_TRACK;
}

static void derive_due(const struct months *mt, const struct item_fact *f,
                       int due, int done, const char *none_word, cdate asof,
                       struct due_state *ds)
{
	ds->status = f->has_status ? f->status : none_word;
	ds->due_date = month_last(mt, due);
	ds->done = done;
	ds->overdue = 0;
	ds->due_soon = 0;
	ds->days_late = 0;
	ds->days_left = 0;
	ds->done_date = CDATE_NONE;
	if (done) {
		ds->done_date = f->done_date != CDATE_NONE ? f->done_date : f->status_date;
		if (ds->done_date != CDATE_NONE && ds->done_date > ds->due_date)
			ds->days_late = ds->done_date - ds->due_date;
	} else if (asof > ds->due_date) {
		ds->overdue = 1;
		ds->days_late = asof - ds->due_date;
	} else {
		ds->days_left = ds->due_date - asof;
		ds->due_soon = ds->days_left <= DERIVE_DUE_SOON_DAYS;
	}
}

static const char *due_id(const struct project *p, const struct due_ref *r)
{
	return r->kind == ITEM_DELIVERABLE ? p->deliverables[r->index].id
	                                   : p->milestones[r->index].id;
}

/* qsort has no context argument; derive_state sets these around its sorts. */
static const struct state *sort_st;

static int ref_days_late(const struct due_ref *r)
{
	return r->kind == ITEM_DELIVERABLE ? sort_st->deliverables[r->index].days_late
	                                   : sort_st->milestones[r->index].days_late;
}

static int cmp_overdue(const void *a, const void *b)
{
	const struct due_ref *x = a, *y = b;
	int lx = ref_days_late(x), ly = ref_days_late(y);
	if (lx != ly)
		return lx > ly ? -1 : 1;
	if (x->due_date != y->due_date)
		return x->due_date < y->due_date ? -1 : 1;
	int c = strcmp(due_id(sort_st->p, x), due_id(sort_st->p, y));
	if (c)
		return c;
	if (x->kind != y->kind)
		return x->kind < y->kind ? -1 : 1;
	return x->index - y->index;
}

static int cmp_upcoming(const void *a, const void *b)
{
	const struct due_ref *x = a, *y = b;
	if (x->due_date != y->due_date)
		return x->due_date < y->due_date ? -1 : 1;
	if (x->kind != y->kind) /* deliverables before milestones */
		return x->kind == ITEM_DELIVERABLE ? -1 : 1;
	return x->index - y->index;
}

static void derive_lists(const struct project *p, struct state *st)
{
	int n = p->ndeliverables + p->nmilestones;
	st->overdue = xcalloc((size_t)n, sizeof *st->overdue);
	st->upcoming = xcalloc((size_t)n, sizeof *st->upcoming);
	st->noverdue = st->nupcoming = 0;
	for (int k = 0; k < 2; k++) {
		enum item_kind kind = k == 0 ? ITEM_DELIVERABLE : ITEM_MILESTONE;
		int cnt = k == 0 ? p->ndeliverables : p->nmilestones;
		const struct due_state *v = k == 0 ? st->deliverables : st->milestones;
		for (int i = 0; i < cnt; i++) {
			struct due_ref r = {kind, i, v[i].due_date};
			if (v[i].overdue)
				st->overdue[st->noverdue++] = r;
			else if (!v[i].done)
				st->upcoming[st->nupcoming++] = r;
		}
	}
	sort_st = st;
	qsort(st->overdue, (size_t)st->noverdue, sizeof *st->overdue, cmp_overdue);
	qsort(st->upcoming, (size_t)st->nupcoming, sizeof *st->upcoming, cmp_upcoming);
	sort_st = NULL;
}

static void derive_reach(const struct project *p, const struct facts *f, cdate asof,
                         int nmonths, struct state *st)
{
	static const struct reach_fact none;
	/* Elapsed months: days from the start to as-of (inclusive), counting no
	 * further than the end; remaining: days after as-of up to the end. */
	double elapsed = 0, remaining;
	int days_left;
	if (asof >= p->start) {
		cdate upto = asof < p->end ? asof : p->end;
		elapsed = ((double)upto - p->start + 1) / DAYS_PER_MONTH;
		if (elapsed < 1.0 / DAYS_PER_MONTH)
			elapsed = 1.0 / DAYS_PER_MONTH;
		if (elapsed > nmonths)
			elapsed = nmonths;
	}
	if (asof >= p->end)
		days_left = 0;
	else if (asof < p->start)
		days_left = p->end - p->start + 1;
	else
		days_left = p->end - asof;
	remaining = days_left / DAYS_PER_MONTH;

	for (int i = 0; i < p->ntargets; i++) {
		const struct reach_fact *rf = f && f->targets ? &f->targets[i] : &none;
		struct reach_state *rs = &st->reach[i];
		rs->total = rf->total;
		rs->target = p->targets[i].target;
		rs->pct = rs->target > 0 ? (double)rs->total / (double)rs->target * 100.0 : 0.0;
		rs->by_partner = rf->by_partner;
		rs->by_month = rf->by_month;
		rs->split_excess = 0;
		if (p->targets[i].kind == TARGET_DISTINCT && rf->by_partner) {
			long sum = 0;
			for (int k = 0; k < p->npartners; k++)
				sum += rf->by_partner[k];
			rs->split_excess = sum > rs->total ? sum - rs->total : 0;
		}
		rs->per_month = elapsed > 0 ? (double)rs->total / elapsed : 0.0;
		rs->projection = (double)rs->total + rs->per_month * remaining;
		rs->met = rs->total >= rs->target;
		rs->gap = rs->met ? 0 : rs->target - rs->total;
		rs->days_left = days_left;
		if (rs->met) {
			rs->need = REACH_NEED_NONE;
			rs->needed_per_month = 0;
		} else if (remaining >= 1.0) {
			rs->need = REACH_NEED_PER_MONTH;
			rs->needed_per_month = (double)rs->gap / remaining;
		} else if (days_left > 0) {
			rs->need = REACH_NEED_LAST_DAYS;
			rs->needed_per_month = (double)rs->gap;
		} else {
			rs->need = REACH_NEED_SHORT;
			rs->needed_per_month = 0;
		}
		rs->on_pace = rs->met || (rs->need != REACH_NEED_SHORT &&
		                          rs->projection + EPS >= (double)rs->target);
	}
}

static int same_area(const char *a, const char *b)
{
	if (!a || !b)
		return a == b;
	return strcmp(a, b) == 0;
}

static void derive_bench(const struct project *p, const struct facts *f, struct state *st)
{
	const struct benchmark *b = &p->bench;
	int ni = b->nindicators > 0 ? b->nindicators : 0;
	int nc = b->nclusters > 0 ? b->nclusters : 0;

	st->areas = xcalloc((size_t)ni, sizeof *st->areas);
	st->indicator_area = xcalloc((size_t)ni, sizeof *st->indicator_area);
	st->nareas = 0;
	for (int k = 0; k < ni; k++) {
		int a = 0;
		while (a < st->nareas && !same_area(st->areas[a], b->indicators[k].area))
			a++;
		if (a == st->nareas)
			st->areas[st->nareas++] = b->indicators[k].area;
		st->indicator_area[k] = a;
	}

	/* One block holds every cluster's area_at and area_total (freed through
	 * bench[0].area_at), so state_free needs no count from the project. */
	int na = st->nareas;
	st->bench = xcalloc((size_t)nc, sizeof *st->bench);
	int *blk = nc > 0 && na > 0 ? xcalloc((size_t)nc * 2 * (size_t)na, sizeof *blk) : NULL;
	double *sblk = blk ? xcalloc((size_t)nc * (size_t)na, sizeof *sblk) : NULL;
	for (int c = 0; c < nc; c++) {
		struct bench_state *bs = &st->bench[c];
		bs->area_at = blk ? blk + (size_t)c * 2 * na : NULL;
		bs->area_total = blk ? blk + (size_t)c * 2 * na + na : NULL;
		bs->area_share = sblk ? sblk + (size_t)c * na : NULL;
		bs->label = f && f->label ? f->label[c] : -1;
		bs->target_label = b->clusters[c].target_label;
		bs->measured = bs->at_threshold = 0;
		for (int k = 0; k < ni; k++) {
			size_t at = (size_t)c * (size_t)ni + (size_t)k;
			int has = f && f->bench_has && f->bench_has[at];
			int pass = has && f->bench && f->bench[at] >= b->indicators[k].threshold;
			bs->measured += has;
			bs->at_threshold += pass;
			if (blk) {
				bs->area_total[st->indicator_area[k]]++;
				bs->area_at[st->indicator_area[k]] += pass;
			}
		}
		bs->share = ni > 0 ? (double)bs->at_threshold / ni * 100.0 : 0.0;
		for (int k = 0; sblk && k < na; k++)
			bs->area_share[k] = bs->area_total[k] > 0 ? (double)bs->area_at[k] / bs->area_total[k] * 100.0 : 0.0;
		int need = derive_label_needs(b, b->nlabels - 1);
		if (b->nlabels <= 0)
			need = b->pass_score < 0 ? ni : ceil_int(b->pass_score * ni / 100.0 - EPS);
		bs->top_needs = need - bs->at_threshold > 0 ? need - bs->at_threshold : 0;

		bs->goal_label = bs->target_label >= 0 ? bs->target_label
			: bs->label + 1 < b->nlabels ? bs->label + 1 : b->nlabels - 1;
		bs->goal_at = bs->goal_label >= 0 ? derive_label_needs(b, bs->goal_label) : 0;
		bs->goal_needs = bs->goal_at > bs->at_threshold ? bs->goal_at - bs->at_threshold : 0;
		bs->values = f && f->bench ? f->bench + (size_t)c * (size_t)ni : NULL;
		bs->has = f && f->bench_has ? f->bench_has + (size_t)c * (size_t)ni : NULL;
	}
}

int derive_label_needs(const struct benchmark *b, int label)
{
	int ni = b->nindicators > 0 ? b->nindicators : 0;
	if (label < 0 || label >= b->nlabels)
		return 0;
	double top = b->pass_score < 0 ? 100.0 : b->pass_score;
	double pct = top * (label + 1) / b->nlabels;
	return ceil_int(pct * ni / 100.0 - EPS);
}

void derive_state(const struct project *p, const struct facts *f, cdate asof, struct state *st)
{
	memset(st, 0, sizeof *st);
	st->p = p;
	st->asof = asof;
	int nmonths = p->nmonths > 0 ? p->nmonths : date_months_between(p->start, p->end);
	if (nmonths < 1)
		nmonths = 1;

	int m = date_month_of(p->start, asof);
	st->month = m < 1 ? 1 : m > nmonths ? nmonths : m;
	st->before_start = asof < p->start;
	st->after_end = asof > p->end;
	double days = (double)p->end - p->start + 1;
	double passed = (double)asof - p->start + 1;
	st->elapsed = days <= 0 || passed <= 0 ? 0.0 : passed >= days ? 1.0 : passed / days;

	struct months mt;
	months_init(&mt, p);
	st->tasks = xcalloc((size_t)p->ntasks, sizeof *st->tasks);
	for (int i = 0; i < p->ntasks; i++) {
		derive_task(p, &mt, fact_of(f ? f->tasks : NULL, i), i, asof, &st->tasks[i]);
		st->late_tasks += st->tasks[i].state == DS_LATE;
	}
	st->wps = xcalloc((size_t)p->nwps, sizeof *st->wps);
	for (int i = 0; i < p->nwps; i++) {
		derive_wp(p, &mt, st, i, asof, &st->wps[i]);
		st->late_wps += st->wps[i].state == DS_LATE;
	}

	st->deliverables = xcalloc((size_t)p->ndeliverables, sizeof *st->deliverables);
	for (int i = 0; i < p->ndeliverables; i++) {
		const struct item_fact *df = fact_of(f ? f->deliverables : NULL, i);
		int done = status_is(df, "submitted") || status_is(df, "accepted");
		derive_due(&mt, df, p->deliverables[i].due, done, "planned", asof,
		           &st->deliverables[i]);
	}
	st->milestones = xcalloc((size_t)p->nmilestones, sizeof *st->milestones);
	for (int i = 0; i < p->nmilestones; i++) {
		const struct item_fact *mf = fact_of(f ? f->milestones : NULL, i);
		derive_due(&mt, mf, p->milestones[i].due, status_is(mf, "reached"), "pending",
		           asof, &st->milestones[i]);
	}
	free(mt.first);
	derive_lists(p, st);

	st->reach = xcalloc((size_t)p->ntargets, sizeof *st->reach);
	derive_reach(p, f, asof, nmonths, st);
	derive_bench(p, f, st);
	res_derive(p, f ? &f->res : NULL, asof, &st->res);

	if (f) {
		st->entries = f->entries;
		st->last_recorded_ms = f->last_recorded_ms;
	}
}

static int cmp_deadline(const void *a, const void *b)
{
	const struct deadline *x = a, *y = b;
	int lx = x->lead < 0 ? INT32_MAX : x->lead, ly = y->lead < 0 ? INT32_MAX : y->lead;
	if (lx != ly)
		return lx < ly ? -1 : 1;
	if (x->date != y->date)
		return x->date > y->date ? -1 : 1;
	static const int rank[] = {[ITEM_DELIVERABLE] = 0, [ITEM_MILESTONE] = 1, [ITEM_TASK] = 2};
	if (x->kind != y->kind)
		return rank[x->kind] < rank[y->kind] ? -1 : 1;
	return x->index < y->index ? -1 : x->index > y->index;
}

int derive_deadlines(const struct project *p, const struct state *st, int within, int partner,
                     struct deadline **out)
{
	size_t cap = (size_t)p->ndeliverables + (size_t)p->nmilestones + (size_t)p->ntasks + 1;
	struct deadline *v = xcalloc(cap, sizeof *v);
	int n = 0;
	for (int k = 0; k < 3; k++) {
		enum item_kind kind = k == 0 ? ITEM_DELIVERABLE : k == 1 ? ITEM_MILESTONE : ITEM_TASK;
		int count = k == 0 ? p->ndeliverables : k == 1 ? p->nmilestones : p->ntasks;
		for (int i = 0; i < count; i++) {
			struct deadline d = {kind, i, -1, CDATE_NONE, 0, 0};
			if (kind == ITEM_TASK) {
				if (st->tasks[i].state == DS_DONE)
					continue;
				d.lead = p->tasks[i].lead;
				d.date = project_month_end(p, p->tasks[i].end);
			} else {
				const struct due_state *ds = k == 0 ? &st->deliverables[i] : &st->milestones[i];
				if (ds->done)
					continue;
				d.lead = project_due_lead(p, kind, i);
				d.date = ds->due_date;
			}
			d.overdue = st->asof > d.date;
			d.days = d.overdue ? st->asof - d.date : d.date - st->asof;
			if (!d.overdue && d.days > within)
				continue;
			if (partner >= 0 && !project_partner_involved(p, kind, i, partner))
				continue;
			v[n++] = d;
		}
	}
	qsort(v, (size_t)n, sizeof *v, cmp_deadline);
	*out = v;
	return n;
}

void state_free(struct state *st)
{
	if (!st)
		return;
	free(st->tasks);
	free(st->wps);
	free(st->deliverables);
	free(st->milestones);
	free(st->reach);
	if (st->bench) {
		free(st->bench[0].area_at);
		free(st->bench[0].area_share);
	}
	free(st->bench);
	free(st->areas);
	free(st->indicator_area);
	free(st->overdue);
	free(st->upcoming);
	res_state_free(&st->res);
	memset(st, 0, sizeof *st);
}

const char *derive_pace_words(const struct state *st, int i, char *buf, size_t n)
{
	const struct reach_state *r = &st->reach[i];
	char rate[32];
	if (r->need == REACH_NEED_NONE)
		snprintf(buf, n, "met");
	else if (r->need == REACH_NEED_SHORT)
		snprintf(buf, n, st->after_end ? "ended %ld short of the target"
		                               : "%ld short of the target at the end", r->gap);
	else if (r->on_pace)
		snprintf(buf, n, "on pace");
	else if (r->need == REACH_NEED_LAST_DAYS && r->days_left == 1)
		snprintf(buf, n, "behind: %ld more needed in the last day", r->gap);
	else if (r->need == REACH_NEED_LAST_DAYS)
		snprintf(buf, n, "behind: %ld more needed in the last %d days", r->gap, r->days_left);
	else
		snprintf(buf, n, "behind: %s a month needed", text_rate(r->needed_per_month, rate));
	return buf;
}

const char *derive_goal_words(const struct benchmark *b, const struct bench_state *bs, char *buf, size_t n)
{
	if (bs->goal_label < 0 || bs->goal_label >= b->nlabels)
		snprintf(buf, n, "%s", "");
	else if (bs->goal_needs > 0)
		snprintf(buf, n, "%s needs %d at threshold: %d more", b->labels[bs->goal_label], bs->goal_at,
		         bs->goal_needs);
	else
		snprintf(buf, n, "has what %s needs", b->labels[bs->goal_label]);
	return buf;
}

int derive_indicator_passes(const struct benchmark *b, const struct bench_state *bs, int k)
{
	if (!bs->has || !bs->values || k < 0 || k >= b->nindicators || !bs->has[k])
		return -1;
	return bs->values[k] >= b->indicators[k].threshold;
}

const char *derive_split_words(const struct reach_state *r, int shorter, char *buf, size_t n)
{
	const char *values = r->split_excess == 1 ? "value" : "values";
	if (r->split_excess <= 0)
		snprintf(buf, n, "%s", "");
	else if (shorter)
		snprintf(buf, n, "%ld %s counted for more than one partner", r->split_excess, values);
	else
		snprintf(buf, n, "the split counts %ld %s for more than one partner; the total counts each once",
		         r->split_excess, values);
	return buf;
}

int derive_entry_concerns(const struct project *p, const struct entry *en, int pi)
{
	const char *pid = p->partners[pi].id;
	if (en->partner && strcmp(en->partner, pid) == 0)
		return 1;
	/* A partner's effort on a WP, or its money spent, is that partner's
	 * own: the other partners of the WP are not concerned. */
	if (!en->item || (en->kind && (strcmp(en->kind, "effort") == 0 || strcmp(en->kind, "cost") == 0)))
		return 0;
	if (strcmp(en->item, pid) == 0)
		return 1;
	int idx;
	enum item_kind k = project_item(p, en->item, &idx);
	return k != ITEM_NONE && project_partner_involved(p, k, idx, pi);
}

/* ---- baselines ---------------------------------------------------------- */

static void removed_add(struct baseline *b, enum item_kind k, const char *id, const char *title, int wp,
                        int start, int end, int due)
{
	b->removed = xrealloc(b->removed, (size_t)(b->nremoved + 1) * sizeof *b->removed);
	b->removed[b->nremoved++] = (struct baseline_removed){k, id, title, wp, start, end, due};
}

/* The index of item id of kind k in p, whose item at `at` is tried first
 * (a version mostly keeps the order of the one before, and the baseline
 * is often the plan in force itself); -1 when p has none. */
static int same_item(const struct project *p, enum item_kind k, const char *id, int at)
{
	int n = k == ITEM_WP ? p->nwps : k == ITEM_TASK ? p->ntasks
		: k == ITEM_DELIVERABLE ? p->ndeliverables : p->nmilestones;
	if (at >= 0 && at < n) {
		const char *have = k == ITEM_WP ? p->wps[at].id : k == ITEM_TASK ? p->tasks[at].id
			: k == ITEM_DELIVERABLE ? p->deliverables[at].id : p->milestones[at].id;
		if (have && strcmp(have, id) == 0)
			return at;
	}
	int i;
	return project_item(p, id, &i) == k ? i : -1;
}

/* One current item (at index at) against the baseline's item of the same
 * id and kind. */
static void mark_range(const struct project *base, enum item_kind k, const char *id, int at, int start,
                       int end, struct baseline_mark *m, struct baseline *b)
{
	int i = same_item(base, k, id, at);
	if (i < 0) {
		*m = (struct baseline_mark){.added = 1};
		b->nadded++;
		return;
	}
	m->was_start = k == ITEM_WP ? base->wps[i].start : base->tasks[i].start;
	m->was_end = k == ITEM_WP ? base->wps[i].end : base->tasks[i].end;
	m->moved = m->was_start != start || m->was_end != end;
	b->nmoved += m->moved;
}

static void mark_due(const struct project *base, enum item_kind k, const char *id, int at, int due,
                     struct baseline_mark *m, struct baseline *b)
{
	int i = same_item(base, k, id, at);
	if (i < 0) {
		*m = (struct baseline_mark){.added = 1};
		b->nadded++;
		return;
	}
	m->was_due = k == ITEM_DELIVERABLE ? base->deliverables[i].due : base->milestones[i].due;
	m->moved = m->was_due != due;
	b->nmoved += m->moved;
}

static void *marks(int n)
{
	return xcalloc((size_t)(n > 0 ? n : 1), sizeof(struct baseline_mark));
}

void derive_baseline(const struct project *base, const struct project *cur, int version, struct baseline *b)
{
	memset(b, 0, sizeof *b);
	b->version = version;
	b->wps = marks(cur->nwps);
	b->tasks = marks(cur->ntasks);
	b->deliverables = marks(cur->ndeliverables);
	b->milestones = marks(cur->nmilestones);
	for (int i = 0; i < cur->nwps; i++)
		mark_range(base, ITEM_WP, cur->wps[i].id, i, cur->wps[i].start, cur->wps[i].end, &b->wps[i], b);
	for (int i = 0; i < cur->ntasks; i++)
		mark_range(base, ITEM_TASK, cur->tasks[i].id, i, cur->tasks[i].start, cur->tasks[i].end,
		           &b->tasks[i], b);
	for (int i = 0; i < cur->ndeliverables; i++)
		mark_due(base, ITEM_DELIVERABLE, cur->deliverables[i].id, i, cur->deliverables[i].due,
		         &b->deliverables[i], b);
	for (int i = 0; i < cur->nmilestones; i++)
		mark_due(base, ITEM_MILESTONE, cur->milestones[i].id, i, cur->milestones[i].due,
		         &b->milestones[i], b);
	for (int i = 0; i < base->nwps; i++)
		if (same_item(cur, ITEM_WP, base->wps[i].id, i) < 0)
			removed_add(b, ITEM_WP, base->wps[i].id, base->wps[i].title, i, base->wps[i].start,
			            base->wps[i].end, 0);
	for (int i = 0; i < base->ntasks; i++)
		if (same_item(cur, ITEM_TASK, base->tasks[i].id, i) < 0)
			removed_add(b, ITEM_TASK, base->tasks[i].id, base->tasks[i].title, base->tasks[i].wp,
			            base->tasks[i].start, base->tasks[i].end, 0);
	for (int i = 0; i < base->ndeliverables; i++)
		if (same_item(cur, ITEM_DELIVERABLE, base->deliverables[i].id, i) < 0)
			removed_add(b, ITEM_DELIVERABLE, base->deliverables[i].id, base->deliverables[i].title,
			            base->deliverables[i].wp, 0, 0, base->deliverables[i].due);
	for (int i = 0; i < base->nmilestones; i++)
		if (same_item(cur, ITEM_MILESTONE, base->milestones[i].id, i) < 0)
			removed_add(b, ITEM_MILESTONE, base->milestones[i].id, base->milestones[i].title,
			            base->milestones[i].nwps ? base->milestones[i].wps[0] : -1, 0, 0,
			            base->milestones[i].due);
}

void baseline_free(struct baseline *b)
{
	free(b->wps);
	free(b->tasks);
	free(b->deliverables);
	free(b->milestones);
	free(b->removed);
	memset(b, 0, sizeof *b);
}

const char *derive_due_words(int due, const struct baseline_mark *m, char *buf, size_t n)
{
	if (m && m->moved)
		snprintf(buf, n, "M%d (was M%d)", due, m->was_due);
	else
		snprintf(buf, n, "M%d", due);
	return buf;
}

const char *derive_range_words(const struct baseline_mark *m, char *buf, size_t n)
{
	if (m && m->added)
		snprintf(buf, n, "new");
	else if (m && m->moved)
		snprintf(buf, n, "was M%d-M%d", m->was_start, m->was_end);
	else if (n)
		buf[0] = '\0';
	return buf;
}
