/* The derived state as JSON, the one rendering status --json and export
 * --format json share (consort(1) documents the keys). Every number comes
 * from derive's state; this file only formats. */
#include "config.h"

#include "cli/cli.h"
#include "core/json.h"

/* The value of a date key: the date, or null for none. */
static void json_date_value(struct json *j, cdate d)
{
	char buf[11];
	if (d == CDATE_NONE)
		json_null(j);
	else
		json_str(j, date_format(d, buf));
}

#define json_date(j, key, d) (json_key_lit((j), key), json_date_value((j), (d)))

/* The keys of a deliverable, in the order json_due writes them. */
static const char *const deliverable_keys[] = {
	"id", "title", "wp", "due_month", "lead", "due_date", "status",
	"done", "done_date", "overdue", "due_soon", "days_late", "days_left",
};

static struct json_val date_val(cdate d, char buf[11])
{
	return d == CDATE_NONE ? JSON_V_NULL : JSON_V_STR(date_format(d, buf));
}

/* A deliverable from the template t (hundreds of them). */
static void json_deliverable(struct json *j, struct json_row *t, const struct project *p, int i,
                             const struct due_state *ds)
{
	const struct deliverable *d = &p->deliverables[i];
	int lead = project_due_lead(p, ITEM_DELIVERABLE, i);
	char due[11], done[11];
	const struct json_val v[] = {
		JSON_V_STR(d->id), JSON_V_STR(d->title), JSON_V_STR(p->wps[d->wp].id),
		JSON_V_INT(d->due), JSON_V_STR(lead >= 0 ? p->partners[lead].id : NULL),
		date_val(ds->due_date, due), JSON_V_STR(ds->status), JSON_V_BOOL(ds->done),
		date_val(ds->done_date, done), JSON_V_BOOL(ds->overdue), JSON_V_BOOL(ds->due_soon),
		JSON_V_INT(ds->days_late), JSON_V_INT(ds->days_left),
	};
	json_row(j, t, v);
}

static void json_due(struct json *j, const struct project *p, enum item_kind k, int i,
                     const struct due_state *ds)
{
	json_obj_begin(j);
	json_key_lit(j, "id");
	if (k == ITEM_DELIVERABLE) {
		const struct deliverable *d = &p->deliverables[i];
		json_str(j, d->id);
		json_kv_str(j, "title", d->title);
		json_kv_str(j, "wp", p->wps[d->wp].id);
		json_kv_int(j, "due_month", d->due);
	} else {
		const struct milestone *m = &p->milestones[i];
		json_str(j, m->id);
		json_kv_str(j, "title", m->title);
		json_key_lit(j, "wps");
		json_arr_begin(j);
		for (int w = 0; w < m->nwps; w++)
			json_str(j, p->wps[m->wps[w]].id);
		json_arr_end(j);
		json_kv_int(j, "due_month", m->due);
	}
	json_key_lit(j, "lead");
	int lead = project_due_lead(p, k, i);
	json_str(j, lead >= 0 ? p->partners[lead].id : NULL);
	json_date(j, "due_date", ds->due_date);
	json_kv_str(j, "status", ds->status);
	json_kv_bool(j, "done", ds->done);
	json_date(j, "done_date", ds->done_date);
	json_kv_bool(j, "overdue", ds->overdue);
	json_kv_bool(j, "due_soon", ds->due_soon);
	json_kv_int(j, "days_late", ds->days_late);
	json_kv_int(j, "days_left", ds->days_left);
	json_obj_end(j);
}

int cli_in_scope(const struct cli *c, enum item_kind k, int i)
{
	return c->scope < 0 || project_partner_involved(&c->proj, k, i, c->scope);
}

void cli_json_state(struct json *j, const struct cli *c, const struct state *st, const struct facts *f,
                    int from, int to)
{
	const struct project *p = &c->proj;
	json_key_lit(j, "project");
	json_obj_begin(j);
	json_kv_str(j, "acronym", p->acronym);
	json_kv_str(j, "title", p->title);
	json_date(j, "start", p->start);
	json_date(j, "end", p->end);
	json_kv_int(j, "months", p->nmonths);
	json_obj_end(j);
	json_date(j, "as_of", st->asof);
	/* The project month only within the project's months; phase says
	 * which side of them the as-of date is on otherwise. */
	json_key_lit(j, "month");
	if (st->before_start || st->after_end)
		json_null(j);
	else
		json_int(j, st->month);
	json_kv_str(j, "phase", st->before_start ? "before" : st->after_end ? "after" : "during");
	json_kv_bool(j, "demo", c->demo);
	json_kv_str(j, "partner", c->scope >= 0 ? p->partners[c->scope].id : NULL);

	/* The work packages, their tasks and the benchmark's indicators are
	 * written from templates: thousands of objects of the same keys. */
	static const char *const wp_keys[] = {"id", "title", "lead", "start", "end",
	                                      "progress", "expected", "state"};
	static const char *const task_keys[] = {"id", "title", "lead", "start", "end",
	                                        "status", "progress", "expected", "state"};
	struct json_row rt, tt;
	json_key_lit(j, "work_packages");
	json_arr_begin(j);
	json_row_init(&rt, wp_keys, 8);
	json_row_init(&tt, task_keys, 9);
	for (int i = 0; i < p->nwps; i++) {
		const struct wp *w = &p->wps[i];
		if (!cli_in_scope(c, ITEM_WP, i))
			continue;
		const struct json_val wv[] = {
			JSON_V_STR(w->id), JSON_V_STR(w->title), JSON_V_STR(project_partner_id(p, w->lead, "")),
			JSON_V_INT(w->start), JSON_V_INT(w->end), JSON_V_INT(st->wps[i].progress),
			JSON_V_NUM(st->wps[i].expected * 100.0), JSON_V_STR(derive_word(st->wps[i].state)),
		};
		json_row_open(j, &rt, wv);
		json_key_lit(j, "tasks");
		json_arr_begin(j);
		for (int k = w->first_task; k < w->first_task + w->ntasks; k++) {
			const struct task *tk = &p->tasks[k];
			const struct json_val tv[] = {
				JSON_V_STR(tk->id), JSON_V_STR(tk->title),
				JSON_V_STR(project_partner_id(p, tk->lead, "")), JSON_V_INT(tk->start),
				JSON_V_INT(tk->end), JSON_V_STR(st->tasks[k].status),
				JSON_V_INT(st->tasks[k].progress), JSON_V_NUM(st->tasks[k].expected * 100.0),
				JSON_V_STR(derive_word(st->tasks[k].state)),
			};
			json_row(j, &tt, tv);
		}
		json_arr_end(j);
		json_obj_end(j);
	}
	json_arr_end(j);

	json_key_lit(j, "deliverables");
	json_arr_begin(j);
	json_row_init(&rt, deliverable_keys, (int)(sizeof deliverable_keys / sizeof deliverable_keys[0]));
	for (int i = 0; i < p->ndeliverables; i++)
		if (p->deliverables[i].due >= from && p->deliverables[i].due <= to &&
		    cli_in_scope(c, ITEM_DELIVERABLE, i))
			json_deliverable(j, &rt, p, i, &st->deliverables[i]);
	json_arr_end(j);
	json_key_lit(j, "milestones");
	json_arr_begin(j);
	for (int i = 0; i < p->nmilestones; i++)
		if (p->milestones[i].due >= from && p->milestones[i].due <= to &&
		    cli_in_scope(c, ITEM_MILESTONE, i))
			json_due(j, p, ITEM_MILESTONE, i, &st->milestones[i]);
	json_arr_end(j);

	json_key_lit(j, "targets");
	json_arr_begin(j);
	for (int i = 0; i < p->ntargets; i++) {
		const struct target *t = &p->targets[i];
		const struct reach_state *r = &st->reach[i];
		json_obj_begin(j);
		json_kv_str(j, "id", t->id);
		json_kv_str(j, "title", t->title);
		json_kv_str(j, "kind", t->kind == TARGET_DISTINCT ? "distinct" : "count");
		json_kv_str(j, "unit", t->unit);
		json_kv_int(j, "target", r->target);
		json_kv_int(j, "total", r->total);
		json_kv_num(j, "pct", r->pct);
		json_kv_num(j, "per_month", r->per_month);
		json_kv_num(j, "projection", r->projection);
		/* What is still needed: a monthly rate only with a month or more
		 * left, else null (in the last days the whole gap is needed in
		 * days_left days: no rate); gap and days_left in any case. */
		static const char *const need[] = {
			[REACH_NEED_NONE] = "met", [REACH_NEED_PER_MONTH] = "per_month",
			[REACH_NEED_LAST_DAYS] = "last_days", [REACH_NEED_SHORT] = "short"};
		json_kv_str(j, "need", need[r->need]);
		json_key_lit(j, "needed_per_month");
		if (r->need == REACH_NEED_PER_MONTH)
			json_num(j, r->needed_per_month);
		else
			json_null(j);
		json_kv_int(j, "gap", r->gap);
		json_kv_int(j, "days_left", r->days_left);
		json_kv_bool(j, "on_pace", r->on_pace);
		json_kv_bool(j, "met", r->met);
		json_kv_int(j, "split_excess", r->split_excess);
		json_key_lit(j, "by_partner");
		json_obj_begin(j);
		for (int k = 0; k < p->npartners; k++) {
			json_key(j, p->partners[k].id);
			json_int(j, r->by_partner ? r->by_partner[k] : 0);
		}
		json_obj_end(j);
		json_key_lit(j, "values");
		json_arr_begin(j);
		for (int k = 0; k < f->targets[i].nvalues; k++)
			json_str(j, f->targets[i].values[k]);
		json_arr_end(j);
		json_obj_end(j);
	}
	json_arr_end(j);

	static const char *const indicator_keys[] = {"id", "value", "threshold", "passes"};
	json_row_init(&tt, indicator_keys, 4);
	json_key_lit(j, "benchmark");
	json_arr_begin(j);
	const struct benchmark *b = &p->bench;
	for (int i = 0; b->present && i < b->nclusters; i++) {
		const struct bench_state *bs = &st->bench[i];
		if (c->scope >= 0 && b->clusters[i].partner != c->scope)
			continue;
		json_obj_begin(j);
		json_kv_str(j, "cluster", b->clusters[i].name ? b->clusters[i].name : project_partner_id(p, b->clusters[i].partner, ""));
		json_kv_str(j, "partner", project_partner_id(p, b->clusters[i].partner, ""));
		json_kv_str(j, "label", bs->label >= 0 ? b->labels[bs->label] : NULL);
		json_kv_str(j, "target_label", bs->target_label >= 0 ? b->labels[bs->target_label] : NULL);
		json_kv_int(j, "indicators", b->nindicators);
		json_kv_int(j, "measured", bs->measured);
		json_kv_int(j, "at_threshold", bs->at_threshold);
		json_kv_num(j, "share", bs->share);
		json_kv_int(j, "top_needs", bs->top_needs);
		json_kv_str(j, "goal_label", bs->goal_label >= 0 ? b->labels[bs->goal_label] : NULL);
		json_kv_int(j, "goal_at", bs->goal_at);
		json_kv_int(j, "goal_needs", bs->goal_needs);
		json_key_lit(j, "by_indicator");
		json_arr_begin(j);
		for (int k = 0; k < b->nindicators; k++) {
			int pass = derive_indicator_passes(b, bs, k);
			const struct json_val iv[] = {
				JSON_V_STR(b->indicators[k].id),
				pass >= 0 ? JSON_V_NUM(bs->values[k]) : JSON_V_NULL,
				JSON_V_NUM(b->indicators[k].threshold), JSON_V_BOOL(pass == 1),
			};
			json_row(j, &tt, iv);
		}
		json_arr_end(j);
		json_obj_end(j);
	}
	json_arr_end(j);

	json_key_lit(j, "overdue");
	json_arr_begin(j);
	for (int i = 0; i < st->noverdue; i++) {
		const char *id, *title;
		int due;
		cli_due_item(p, &st->overdue[i], &id, &title, &due);
		if (due >= from && due <= to && cli_in_scope(c, st->overdue[i].kind, st->overdue[i].index))
			json_str(j, id);
	}
	json_arr_end(j);
	json_kv_int(j, "late_work_packages", st->late_wps);
	json_kv_int(j, "late_tasks", st->late_tasks);
	if (st->res.present)
		cli_json_resources(j, p, &st->res);

	json_key_lit(j, "log");
	json_obj_begin(j);
	json_kv_int(j, "entries", st->entries);
	json_key_lit(j, "last_recorded");
	if (st->last_recorded_ms > 0) {
		char iso[32];
		json_str(j, cli_iso_ms(st->last_recorded_ms, iso));
	} else {
		json_null(j);
	}
	json_obj_end(j);

	/* The hash chain's head: a report that quotes it can be checked
	 * against the log later (consort verify --head). */
	json_key_lit(j, "chain");
	json_obj_begin(j);
	json_kv_int(j, "entries", st->entries);
	json_key_lit(j, "head");
	if (c->store && c->tip.has_head) {
		char hex[CHAIN_HEX_LEN + 1];
		chain_hex(c->tip.head, hex);
		json_str(j, hex);
	} else {
		json_null(j);
	}
	json_kv_bool(j, "ok", !c->store || c->tip.ok);
	json_obj_end(j);
}
