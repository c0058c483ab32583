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

static void json_due(struct json *j, const struct project *p, enum item_kind k, int i,
                     const struct due_state *ds)
{
	json_obj_begin(j);
	json_key_lit(j, "id");
	if (k == ITEM_DELIVERABLE) {
		const struct deliverable *d = &p->deliverables[i];
		json_str(j, d->id);
		json_key_lit(j, "title");
		json_str(j, d->title);
		json_key_lit(j, "wp");
		json_str(j, p->wps[d->wp].id);
		json_key_lit(j, "due_month");
		json_int(j, d->due);
	} else {
		const struct milestone *m = &p->milestones[i];
		json_str(j, m->id);
		json_key_lit(j, "title");
		json_str(j, m->title);
		json_key_lit(j, "wps");
		json_arr_begin(j);
		for (int w = 0; w < m->nwps; w++)
			json_str(j, p->wps[m->wps[w]].id);
		json_arr_end(j);
		json_key_lit(j, "due_month");
		json_int(j, m->due);
	}
	json_key_lit(j, "lead");
	int lead = project_due_lead(p, k, i);
	json_str(j, lead >= 0 ? p->partners[lead].id : NULL);
	json_date(j, "due_date", ds->due_date);
	json_key_lit(j, "status");
	json_str(j, ds->status);
	json_key_lit(j, "done");
	json_bool(j, ds->done);
	json_date(j, "done_date", ds->done_date);
	json_key_lit(j, "overdue");
	json_bool(j, ds->overdue);
	json_key_lit(j, "due_soon");
	json_bool(j, ds->due_soon);
	json_key_lit(j, "days_late");
	json_int(j, ds->days_late);
	json_key_lit(j, "days_left");
	json_int(j, ds->days_left);
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
	json_key_lit(j, "acronym");
	json_str(j, p->acronym);
	json_key_lit(j, "title");
	json_str(j, p->title);
	json_date(j, "start", p->start);
	json_date(j, "end", p->end);
	json_key_lit(j, "months");
	json_int(j, p->nmonths);
	json_obj_end(j);
	json_date(j, "as_of", st->asof);
	/* The project month only within the project's months; phase says
	 * which side of them the as-of date is on otherwise. */
	json_key_lit(j, "month");
	if (st->before_start || st->after_end)
		json_null(j);
	else
		json_int(j, st->month);
	json_key_lit(j, "phase");
	json_str(j, st->before_start ? "before" : st->after_end ? "after" : "during");
	json_key_lit(j, "demo");
	json_bool(j, c->demo);
	json_key_lit(j, "partner");
	json_str(j, c->scope >= 0 ? p->partners[c->scope].id : NULL);

	json_key_lit(j, "work_packages");
	json_arr_begin(j);
	for (int i = 0; i < p->nwps; i++) {
		const struct wp *w = &p->wps[i];
		if (!cli_in_scope(c, ITEM_WP, i))
			continue;
		json_obj_begin(j);
		json_key_lit(j, "id");
		json_str(j, w->id);
		json_key_lit(j, "title");
		json_str(j, w->title);
		json_key_lit(j, "lead");
		json_str(j, project_partner_id(p, w->lead, ""));
		json_key_lit(j, "start");
		json_int(j, w->start);
		json_key_lit(j, "end");
		json_int(j, w->end);
		json_key_lit(j, "progress");
		json_int(j, st->wps[i].progress);
		json_key_lit(j, "expected");
		json_num(j, st->wps[i].expected * 100.0);
		json_key_lit(j, "state");
		json_str(j, derive_word(st->wps[i].state));
		json_key_lit(j, "tasks");
		json_arr_begin(j);
		for (int t = w->first_task; t < w->first_task + w->ntasks; t++) {
			const struct task *tk = &p->tasks[t];
			json_obj_begin(j);
			json_key_lit(j, "id");
			json_str(j, tk->id);
			json_key_lit(j, "title");
			json_str(j, tk->title);
			json_key_lit(j, "lead");
			json_str(j, project_partner_id(p, tk->lead, ""));
			json_key_lit(j, "start");
			json_int(j, tk->start);
			json_key_lit(j, "end");
			json_int(j, tk->end);
			json_key_lit(j, "status");
			json_str(j, st->tasks[t].status);
			json_key_lit(j, "progress");
			json_int(j, st->tasks[t].progress);
			json_key_lit(j, "expected");
			json_num(j, st->tasks[t].expected * 100.0);
			json_key_lit(j, "state");
			json_str(j, derive_word(st->tasks[t].state));
			json_obj_end(j);
		}
		json_arr_end(j);
		json_obj_end(j);
	}
	json_arr_end(j);

	json_key_lit(j, "deliverables");
	json_arr_begin(j);
	for (int i = 0; i < p->ndeliverables; i++)
		if (p->deliverables[i].due >= from && p->deliverables[i].due <= to &&
		    cli_in_scope(c, ITEM_DELIVERABLE, i))
			json_due(j, p, ITEM_DELIVERABLE, i, &st->deliverables[i]);
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
		json_key_lit(j, "id");
		json_str(j, t->id);
		json_key_lit(j, "title");
		json_str(j, t->title);
		json_key_lit(j, "kind");
		json_str(j, t->kind == TARGET_DISTINCT ? "distinct" : "count");
		json_key_lit(j, "unit");
		json_str(j, t->unit);
		json_key_lit(j, "target");
		json_int(j, r->target);
		json_key_lit(j, "total");
		json_int(j, r->total);
		json_key_lit(j, "pct");
		json_num(j, r->pct);
		json_key_lit(j, "per_month");
		json_num(j, r->per_month);
		json_key_lit(j, "projection");
		json_num(j, r->projection);
		/* What is still needed: a monthly rate only with a month or more
		 * left, else null (in the last days the whole gap is needed in
		 * days_left days: no rate); gap and days_left in any case. */
		static const char *const need[] = {
			[REACH_NEED_NONE] = "met", [REACH_NEED_PER_MONTH] = "per_month",
			[REACH_NEED_LAST_DAYS] = "last_days", [REACH_NEED_SHORT] = "short"};
		json_key_lit(j, "need");
		json_str(j, need[r->need]);
		json_key_lit(j, "needed_per_month");
		if (r->need == REACH_NEED_PER_MONTH)
			json_num(j, r->needed_per_month);
		else
			json_null(j);
		json_key_lit(j, "gap");
		json_int(j, r->gap);
		json_key_lit(j, "days_left");
		json_int(j, r->days_left);
		json_key_lit(j, "on_pace");
		json_bool(j, r->on_pace);
		json_key_lit(j, "met");
		json_bool(j, r->met);
		json_key_lit(j, "split_excess");
		json_int(j, r->split_excess);
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

	json_key_lit(j, "benchmark");
	json_arr_begin(j);
	const struct benchmark *b = &p->bench;
	for (int i = 0; b->present && i < b->nclusters; i++) {
		const struct bench_state *bs = &st->bench[i];
		if (c->scope >= 0 && b->clusters[i].partner != c->scope)
			continue;
		json_obj_begin(j);
		json_key_lit(j, "cluster");
		json_str(j, b->clusters[i].name ? b->clusters[i].name : project_partner_id(p, b->clusters[i].partner, ""));
		json_key_lit(j, "partner");
		json_str(j, project_partner_id(p, b->clusters[i].partner, ""));
		json_key_lit(j, "label");
		json_str(j, bs->label >= 0 ? b->labels[bs->label] : NULL);
		json_key_lit(j, "target_label");
		json_str(j, bs->target_label >= 0 ? b->labels[bs->target_label] : NULL);
		json_key_lit(j, "indicators");
		json_int(j, b->nindicators);
		json_key_lit(j, "measured");
		json_int(j, bs->measured);
		json_key_lit(j, "at_threshold");
		json_int(j, bs->at_threshold);
		json_key_lit(j, "share");
		json_num(j, bs->share);
		json_key_lit(j, "top_needs");
		json_int(j, bs->top_needs);
		json_key_lit(j, "goal_label");
		json_str(j, bs->goal_label >= 0 ? b->labels[bs->goal_label] : NULL);
		json_key_lit(j, "goal_at");
		json_int(j, bs->goal_at);
		json_key_lit(j, "goal_needs");
		json_int(j, bs->goal_needs);
		json_key_lit(j, "by_indicator");
		json_arr_begin(j);
		for (int k = 0; k < b->nindicators; k++) {
			json_obj_begin(j);
			json_key_lit(j, "id");
			json_str(j, b->indicators[k].id);
			int pass = derive_indicator_passes(b, bs, k);
			json_key_lit(j, "value");
			if (pass >= 0)
				json_num(j, bs->values[k]);
			else
				json_null(j);
			json_key_lit(j, "threshold");
			json_num(j, b->indicators[k].threshold);
			json_key_lit(j, "passes");
			json_bool(j, pass == 1);
			json_obj_end(j);
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
	json_key_lit(j, "late_work_packages");
	json_int(j, st->late_wps);
	json_key_lit(j, "late_tasks");
	json_int(j, st->late_tasks);
	if (st->res.present)
		cli_json_resources(j, p, &st->res);

	json_key_lit(j, "log");
	json_obj_begin(j);
	json_key_lit(j, "entries");
	json_int(j, st->entries);
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
	json_key_lit(j, "entries");
	json_int(j, st->entries);
	json_key_lit(j, "head");
	if (c->store && c->tip.has_head) {
		char hex[CHAIN_HEX_LEN + 1];
		chain_hex(c->tip.head, hex);
		json_str(j, hex);
	} else {
		json_null(j);
	}
	json_key_lit(j, "ok");
	json_bool(j, !c->store || c->tip.ok);
	json_obj_end(j);
}
