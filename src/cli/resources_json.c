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
	if (has) {
		json_kv_int(j, "deviation_pct", pct);
	} else {
		json_key_lit(j, "deviation_pct");
		json_null(j);
	}
	json_kv_str(j, "flag", res_flag_word(flag));
}

/* The keys of a row of costs and of effort. */
static const char *const row_keys[2][8] = {
	{"partner", "category", "planned", "actual", "expected", "projected", "deviation_pct", "flag"},
	{"partner", "wp", "planned_pm", "actual_pm", "expected_pm", "projected_pm", "deviation_pct", "flag"},
};

/* The rows of one table (thousands of them: one for each partner in each
 * WP) from one template. */
static void rows(struct json *j, const struct project *p, const struct res_row *r, int n, int effort)
{
	struct json_row t;
	json_row_init(&t, row_keys[effort], 8);
	for (int i = 0; i < n; i++, r++) {
		const struct json_val v[8] = {
			JSON_V_STR(p->partners[r->partner].id),
			JSON_V_STR(effort ? p->wps[r->key].id : res_category_words[r->key]),
			JSON_V_FIXED(r->planned),
			JSON_V_FIXED(r->actual),
			JSON_V_FIXED(r->expected),
			JSON_V_FIXED(r->projected),
			r->has_deviation ? JSON_V_INT(r->deviation) : JSON_V_NULL,
			JSON_V_STR(res_flag_word(r->flag)),
		};
		json_row(j, &t, v);
	}
}

/* {partner (unless pi < 0), wp (null for none), actual}, when not 0. */
static void wp_cost(struct json *j, const struct project *p, int pi, int wi, long cents)
{
	if (cents == 0)
		return;
	json_obj_begin(j);
	if (pi >= 0) {
		json_kv_str(j, "partner", p->partners[pi].id);
	}
	json_kv_str(j, "wp", wi >= 0 ? p->wps[wi].id : NULL);
	json_kv_fixed(j, "actual", cents);
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
	json_kv_str(j, "partner", pj->p->partners[r->partner].id);
	json_kv_str(j, "wp", pj->p->wps[r->wp].id);
	json_kv_fixed(j, "planned_pm", r->planned);
	json_kv_fixed(j, "spent_pm", r->spent);
	json_kv_fixed(j, "to_date_pm", r->to_date);
	deviation(j, r->has_deviation, r->deviation, r->flag);
	json_kv_str(j, "explanation", r->notes);
	json_obj_end(j);
}

void cli_json_resources(struct json *j, const struct project *p, const struct res_state *rs)
{
	json_key_lit(j, "resources");
	json_obj_begin(j);
	json_kv_str(j, "currency", p->budget.currency);
	json_kv_fixed(j, "deviation_limit_pct", rs->deviation_limit);
	json_key_lit(j, "effort");
	json_arr_begin(j);
	rows(j, p, rs->effort, rs->neffort, 1);
	json_arr_end(j);
	json_key_lit(j, "costs");
	json_arr_begin(j);
	rows(j, p, rs->costs, rs->ncosts, 0);
	json_arr_end(j);

	/* Costs per WP where some cost names one; the rest under "wp": null. */
	json_key_lit(j, "costs_by_wp");
	json_arr_begin(j);
	for (int w = 0; rs->cost_wp_any && w <= p->nwps; w++)
		wp_cost(j, p, -1, w < p->nwps ? w : -1,
		        w < p->nwps ? rs->cost_by_wp[w] : rs->cost_no_wp_total);
	json_arr_end(j);
	json_key_lit(j, "costs_by_partner_wp");
	json_arr_begin(j);
	for (int pi = 0; rs->cost_wp_any && pi < p->npartners; pi++)
		for (int w = 0; w <= p->nwps; w++)
			wp_cost(j, p, pi, w < p->nwps ? w : -1,
			        w < p->nwps ? rs->cost_wp[(size_t)pi * (size_t)p->nwps + (size_t)w]
			                    : rs->cost_no_wp[pi]);
	json_arr_end(j);

	json_key_lit(j, "totals");
	json_obj_begin(j);
#define K(lit) JSON_QUOTED(lit)
	struct { const char *key; size_t n; long v; } t[] = {
		{K("planned_pm"), rs->planned_pm}, {K("actual_pm"), rs->actual_pm},
		{K("expected_pm"), rs->expected_pm},
		{K("planned_direct"), rs->planned_direct}, {K("planned_indirect"), rs->planned_indirect},
		{K("planned_total"), rs->planned_total}, {K("actual_direct"), rs->actual_direct},
		{K("actual_indirect"), rs->actual_indirect}, {K("actual_total"), rs->actual_total},
		{K("expected_total"), rs->expected_total}, {K("budget_total"), rs->budget_total},
		{K("eu_contribution"), rs->eu_contribution}, {K("eu_share"), rs->eu_share},
	};
#undef K
	for (size_t i = 0; i < sizeof t / sizeof t[0]; i++)
		json_qfixed(j, t[i].key, t[i].n, t[i].v);
	json_kv_int(j, "time_gone_pct", rs->time_gone_pct);
	json_kv_int(j, "over", rs->over);
	json_kv_int(j, "under", rs->under);
	json_obj_end(j);

	/* Per reporting period (the export's: derive's rows, or made a cell's
	 * months at a time). */
	if (!rs->periods && !rs->months_src) {
		json_obj_end(j);
		return;
	}
	json_key_lit(j, "periods");
	json_arr_begin(j);
	for (int k = 0; k < res_period_count(p, rs); k++) {
		const struct period *pe = &p->periods[rs->periods ? rs->periods[k].period : k];
		json_obj_begin(j);
		json_kv_str(j, "id", pe->id);
		json_kv_int(j, "from", pe->from);
		json_kv_int(j, "to", pe->to);
		json_key_lit(j, "effort");
		json_arr_begin(j);
		struct period_json pj = {j, p};
		res_period_each(p, rs, k, period_row, &pj);
		json_arr_end(j);
		json_obj_end(j);
	}
	json_arr_end(j);
	json_obj_end(j);
}
