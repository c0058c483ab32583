/* resources_json: the use of resources as JSON (status --json and export
 * json share it; the periods only in export json, derive's rows or made a
 * cell's months at a time):
 * every number from derive (res_derive), money and person-months written
 * from their integers as numbers of two decimals. */
#include "config.h"

#include "cli/cli.h"
#include "core/json.h"
#include "core/resources.h"

/* "deviation_pct" (null when nothing is expected) and "flag". */
static void deviation(struct json *j, int has, long pct, enum res_flag flag)
{
	json_key(j, "deviation_pct");
	if (has)
		json_int(j, pct);
	else
		json_null(j);
	json_key(j, "flag");
	json_str(j, res_flag_word(flag));
}

static void row(struct json *j, const struct project *p, const struct res_row *r, int effort)
{
	json_obj_begin(j);
	json_key(j, "partner");
	json_str(j, p->partners[r->partner].id);
	json_key(j, effort ? "wp" : "category");
	json_str(j, effort ? p->wps[r->key].id : res_category_words[r->key]);
	json_key(j, effort ? "planned_pm" : "planned");
	json_fixed(j, r->planned);
	json_key(j, effort ? "actual_pm" : "actual");
	json_fixed(j, r->actual);
	json_key(j, effort ? "expected_pm" : "expected");
	json_fixed(j, r->expected);
	json_key(j, effort ? "projected_pm" : "projected");
	json_fixed(j, r->projected);
	deviation(j, r->has_deviation, r->deviation, r->flag);
	json_obj_end(j);
}

/* {partner (unless pi < 0), wp (null for none), actual}, when not 0. */
static void wp_cost(struct json *j, const struct project *p, int pi, int wi, long cents)
{
	if (cents == 0)
		return;
	json_obj_begin(j);
	if (pi >= 0) {
		json_key(j, "partner");
		json_str(j, p->partners[pi].id);
	}
	json_key(j, "wp");
	json_str(j, wi >= 0 ? p->wps[wi].id : NULL);
	json_key(j, "actual");
	json_fixed(j, cents);
	json_obj_end(j);
}

struct period_json {
	struct json *j;
	const struct project *p;
};

static void period_row(const struct res_period_row *r, void *arg)
{
	const struct period_json *pj = arg;
	struct json *j = pj->j;
	json_obj_begin(j);
	json_key(j, "partner");
	json_str(j, pj->p->partners[r->partner].id);
	json_key(j, "wp");
	json_str(j, pj->p->wps[r->wp].id);
	json_key(j, "planned_pm");
	json_fixed(j, r->planned);
	json_key(j, "spent_pm");
	json_fixed(j, r->spent);
	json_key(j, "to_date_pm");
	json_fixed(j, r->to_date);
	deviation(j, r->has_deviation, r->deviation, r->flag);
	json_key(j, "explanation");
	json_str(j, r->notes);
	json_obj_end(j);
}

void cli_json_resources(struct json *j, const struct project *p, const struct res_state *rs)
{
	json_key(j, "resources");
	json_obj_begin(j);
	json_key(j, "currency");
	json_str(j, p->budget.currency);
	json_key(j, "deviation_limit_pct");
	json_fixed(j, rs->deviation_limit);
	json_key(j, "effort");
	json_arr_begin(j);
	for (int i = 0; i < rs->neffort; i++)
		row(j, p, &rs->effort[i], 1);
	json_arr_end(j);
	json_key(j, "costs");
	json_arr_begin(j);
	for (int i = 0; i < rs->ncosts; i++)
		row(j, p, &rs->costs[i], 0);
	json_arr_end(j);

	/* Costs per WP where some cost names one; the rest under "wp": null. */
	json_key(j, "costs_by_wp");
	json_arr_begin(j);
	for (int w = 0; rs->cost_wp_any && w <= p->nwps; w++)
		wp_cost(j, p, -1, w < p->nwps ? w : -1,
		        w < p->nwps ? rs->cost_by_wp[w] : rs->cost_no_wp_total);
	json_arr_end(j);
	json_key(j, "costs_by_partner_wp");
	json_arr_begin(j);
	for (int pi = 0; rs->cost_wp_any && pi < p->npartners; pi++)
		for (int w = 0; w <= p->nwps; w++)
			wp_cost(j, p, pi, w < p->nwps ? w : -1,
			        w < p->nwps ? rs->cost_wp[(size_t)pi * (size_t)p->nwps + (size_t)w]
			                    : rs->cost_no_wp[pi]);
	json_arr_end(j);

	json_key(j, "totals");
	json_obj_begin(j);
	struct { const char *key; long v; } t[] = {
		{"planned_pm", rs->planned_pm}, {"actual_pm", rs->actual_pm},
		{"expected_pm", rs->expected_pm},
		{"planned_direct", rs->planned_direct}, {"planned_indirect", rs->planned_indirect},
		{"planned_total", rs->planned_total}, {"actual_direct", rs->actual_direct},
		{"actual_indirect", rs->actual_indirect}, {"actual_total", rs->actual_total},
		{"expected_total", rs->expected_total}, {"budget_total", rs->budget_total},
		{"eu_contribution", rs->eu_contribution}, {"eu_share", rs->eu_share},
	};
	for (size_t i = 0; i < sizeof t / sizeof t[0]; i++) {
		json_key(j, t[i].key);
		json_fixed(j, t[i].v);
	}
	json_key(j, "time_gone_pct");
	json_int(j, rs->time_gone_pct);
	json_key(j, "over");
	json_int(j, rs->over);
	json_key(j, "under");
	json_int(j, rs->under);
	json_obj_end(j);

	/* Per reporting period (the export's: derive's rows, or made a cell's
	 * months at a time). */
	if (!rs->periods && !rs->months_src) {
		json_obj_end(j);
		return;
	}
	json_key(j, "periods");
	json_arr_begin(j);
	for (int k = 0; k < res_period_count(p, rs); k++) {
		const struct period *pe = &p->periods[rs->periods ? rs->periods[k].period : k];
		json_obj_begin(j);
		json_key(j, "id");
		json_str(j, pe->id);
		json_key(j, "from");
		json_int(j, pe->from);
		json_key(j, "to");
		json_int(j, pe->to);
		json_key(j, "effort");
		json_arr_begin(j);
		struct period_json pj = {j, p};
		res_period_each(p, rs, k, period_row, &pj);
		json_arr_end(j);
		json_obj_end(j);
	}
	json_arr_end(j);
	json_obj_end(j);
}
