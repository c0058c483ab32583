/* export: a report for a reporting period (its months) or the whole project,
 * as Markdown, CSV (RFC 4180) or JSON. The state is derive's at the last
 * day of the period (or of the project), or at the as-of date when that is
 * earlier. Text from the definition and the log is sanitized (and escaped
 * for the format).
 *
 * CSV: one table with the header
 *   section,id,title,wp,lead,due_month,due_date,status,progress,state,value,target
 * section is wp, task, deliverable, milestone, reach or benchmark:
 *   wp/task:      due_month/due_date = end month and its last day, status =
 *                 recorded status (tasks), progress = percent, state = derive's word
 *   deliverable/milestone (due in the period): status, state = done, overdue,
 *                 due soon or open, value = days late (when late),
 *                 target = a deliverable's document (its latest link)
 *   reach:        value = total at the period's end, target = target,
 *                 progress = percent of the target
 *   benchmark:    id = the cluster's partner, status = label recorded,
 *                 value = indicators at threshold, target = target label
 *   note:         a comment dated in the period: id = the item, title = the
 *                 text, lead = the writer's partner, due_date = its date,
 *                 status = the login, value = the entry's id
 *   effort:       per reporting period in the report and beneficiary x WP:
 *                 id = the partner, wp = the WP, lead = the period, value =
 *                 person-months spent in the period, target = planned for
 *                 it (pro rata), progress = spent to date, status = the
 *                 deviation in percent, state = over, under or on plan,
 *                 title = the notes given with the entries (explanation)
 *   cost:         per beneficiary x category to date: id = the partner,
 *                 title = the category, value = spent, target = planned,
 *                 status = the deviation in percent, state as for effort
 *   cost_wp:      where some cost names a WP, per beneficiary x WP to date
 *                 (and what names none, wp empty), then the project's per
 *                 WP (id empty): value = spent */
#include "config.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli/cli.h"
#include "core/json.h"
#include "core/resources.h"
#include "core/text.h"

struct report {
	const struct cli *c;
	const struct project *p;
	const struct state *st;
	const struct facts *f;
	int period;          /* index, or -1 for the whole project */
	int from, to;        /* months */
	struct entry *notes; /* the period's comments (kind note), oldest first */
	size_t nnotes;
	char **documents;    /* [ndeliverables]: the latest link up to the state's date, or NULL */
};

/* A deliverable's latest link, its entries read newest first by id: the
 * latest by (effective, id) wins. */
struct latest_link {
	char effective[11];
	char *value;
};

static int link_step(const struct entry *en, void *arg)
{
	struct latest_link *l = arg;
	if (en->kind && strcmp(en->kind, "link") == 0 && !en->reverted_by && en->value &&
	    (!l->value || strcmp(en->effective, l->effective) > 0)) {
		free(l->value);
		l->value = xstrdup(en->value);
		memcpy(l->effective, en->effective, sizeof l->effective);
	}
	return 0;
}

/* Each deliverable's document: its latest link entry not reverted. */
static int report_documents(struct cli *c, struct report *r)
{
	r->documents = xcalloc((size_t)r->p->ndeliverables + 1, sizeof *r->documents);
	for (int i = 0; c->store && i < r->p->ndeliverables; i++) {
		struct entry_filter ef = ENTRY_FILTER_ALL;
		ef.item = r->p->deliverables[i].id;
		ef.until = c->asof;
		struct latest_link l = {{0}, NULL};
		struct err e = {0};
		if (store_entries_each(c->store, &ef, link_step, &l, &e) != 0) {
			free(l.value);
			return cli_error(e.code ? e.code : EXIT_SOFTWARE, "export: %s", e.msg);
		}
		r->documents[i] = l.value;
	}
	return 0;
}

/* The period's comments as they are read (newest first): only those kept. */
struct notes_in {
	struct cli *c;
	struct report *r;
	size_t cap;
};

static int note_step(const struct entry *en, void *arg)
{
	struct notes_in *in = arg;
	struct report *r = in->r;
	if (!en->kind || strcmp(en->kind, "note") != 0 || en->reverted_by)
		return 0;
	int idx;
	enum item_kind ik = en->item ? project_item(r->p, en->item, &idx) : ITEM_NONE;
	int mine = in->c->scope < 0 || (en->partner && strcmp(en->partner, r->p->partners[in->c->scope].id) == 0) ||
	           (ik != ITEM_NONE && cli_in_scope(in->c, ik, idx));
	if (mine) {
		xgrow(&r->notes, &in->cap, r->nnotes + 1, sizeof *r->notes);
		entry_copy(en, &r->notes[r->nnotes++]);
	}
	return 0;
}

/* The comments dated in the period up to the state's date, oldest first
 * (only they are held, not the period's other entries). */
static int report_notes(struct cli *c, struct report *r)
{
	if (!c->store)
		return 0;
	struct entry_filter ef = ENTRY_FILTER_ALL;
	ef.since = project_month_start(r->p, r->from);
	ef.until = c->asof;
	struct notes_in in = {c, r, 0};
	struct err e = {0};
	if (store_entries_each(c->store, &ef, note_step, &in, &e) != 0)
		return cli_error(e.code ? e.code : EXIT_SOFTWARE, "export: %s", e.msg);
	struct entry *v = r->notes;
	size_t k = r->nnotes;
	for (size_t i = 0; i < k / 2; i++) {
		struct entry t = v[i];
		v[i] = v[k - 1 - i];
		v[k - 1 - i] = t;
	}
	return 0;
}

static const char *due_word(const struct due_state *ds)
{
	return ds->done ? "done" : ds->overdue ? "overdue" : ds->due_soon ? "due soon" : "open";
}

/* ---- Markdown ---- */

/* Sanitized, with the characters that would break a table escaped. */
static void md_put(FILE *f, const char *untrusted)
{
	char *s = text_sanitize(untrusted ? untrusted : "", cli_ascii(f) ? TEXT_ASCII : 0);
	for (const char *q = s; *q; q++) {
		if (strchr("|\\`*_[]<>", *q))
			fputc('\\', f);
		fputc(*q, f);
	}
	free(s);
}

static void md_due(FILE *f, const struct report *r, enum item_kind k)
{
	const struct project *p = r->p;
	int n = k == ITEM_DELIVERABLE ? p->ndeliverables : p->nmilestones;
	int shown = 0;
	for (int i = 0; i < n; i++) {
		int due = k == ITEM_DELIVERABLE ? p->deliverables[i].due : p->milestones[i].due;
		if (due < r->from || due > r->to || !cli_in_scope(r->c, k, i))
			continue;
		if (!shown++) {
			fprintf(f, "\n## %s due in the period\n\n", k == ITEM_DELIVERABLE ? "Deliverables" : "Milestones");
			fputs(k == ITEM_DELIVERABLE ? "| ID | Title | WP | Lead | Due | Status | Lateness | Document |\n"
			      "|----|-------|----|------|-----|--------|----------|----------|\n" :
			      "| ID | Title | WP | Lead | Due | Status | Lateness |\n"
			      "|----|-------|----|------|-----|--------|----------|\n", f);
		}
		const struct due_state *ds = k == ITEM_DELIVERABLE ? &r->st->deliverables[i] : &r->st->milestones[i];
		char label[32], dd[11];
		fputs("| ", f);
		md_put(f, k == ITEM_DELIVERABLE ? p->deliverables[i].id : p->milestones[i].id);
		fputs(" | ", f);
		md_put(f, k == ITEM_DELIVERABLE ? p->deliverables[i].title : p->milestones[i].title);
		fputs(" | ", f);
		if (k == ITEM_DELIVERABLE) {
			md_put(f, p->wps[p->deliverables[i].wp].id);
		} else {
			for (int w = 0; w < p->milestones[i].nwps; w++) {
				if (w)
					fputs(", ", f);
				md_put(f, p->wps[p->milestones[i].wps[w]].id);
			}
		}
		fputs(" | ", f);
		md_put(f, project_partner_id(p, project_due_lead(p, k, i), ""));
		fprintf(f, " | %s | ", project_month_label(p, due, label));
		md_put(f, ds->status);
		if (ds->done && ds->done_date != CDATE_NONE)
			fprintf(f, " (%s)", date_format(ds->done_date, dd));
		fputs(" | ", f);
		if (ds->overdue)
			fprintf(f, "overdue, %d day%s late", ds->days_late, ds->days_late == 1 ? "" : "s");
		else if (ds->done && ds->days_late > 0)
			fprintf(f, "%d day%s late", ds->days_late, ds->days_late == 1 ? "" : "s");
		else if (ds->done)
			fputs("on time", f);
		else if (ds->due_soon && ds->days_left == 0)
			fputs("due today", f);
		else if (ds->due_soon)
			fprintf(f, "due in %d day%s", ds->days_left, ds->days_left == 1 ? "" : "s");
		else
			fputs("-", f);
		if (k == ITEM_DELIVERABLE) {
			fputs(" | ", f);
			md_put(f, r->documents[i] ? r->documents[i] : "-");
		}
		fputs(" |\n", f);
	}
	if (!shown)
		fprintf(f, "\n## %s due in the period\n\nNone.\n", k == ITEM_DELIVERABLE ? "Deliverables" : "Milestones");
}

/* "version 2 of 2016-10-01" (the plan in force), or the file's words for
 * a log without a stored plan; buf: 64 bytes. */
static const char *export_plan_words(const struct cli *c, char *buf)
{
	char d[11];
	int i = plan_find(c->plans, c->nplans, c->plan_version);
	if (i < 0) {
		snprintf(buf, 64, "the definition file (no plan stored in the log)");
		return buf;
	}
	snprintf(buf, 64, "version %d of %s", c->plan_version, date_format(c->plans[i].effective, d));
	return buf;
}

/* The --as-recorded date, else today (every entry recorded by then). */
static const char *export_recorded(const struct cli *c, char *buf)
{
	return date_format(c->recorded_until_ms ? c->asrec : c->today, buf);
}

static void csv_row(FILE *f, const char *const v[12]);

/* The reporting periods a report covers: those that overlap its months. */
static int in_report(const struct report *r, const struct period *pe)
{
	return pe->to >= r->from && pe->from <= r->to;
}

static const char *res_word(enum res_flag fl, int has_plan)
{
	const char *w = res_flag_word(fl);
	return w ? w : has_plan ? "on plan" : "-";
}

/* The costs per WP, where some cost names one: each beneficiary's WPs and
 * what names none (wi -1), then the project's (pi -1); the sums not 0. */
static void each_wp_cost(FILE *f, const struct report *r,
                         void (*put)(FILE *, const struct project *, int, int, long))
{
	const struct project *p = r->p;
	const struct res_state *rs = &r->st->res;
	if (!rs->cost_wp_any)
		return;
	size_t nw = (size_t)p->nwps;
	for (int pi = 0; pi <= p->npartners; pi++) {
		int who = pi < p->npartners ? pi : -1;
		for (size_t w = 0; w <= nw; w++) {
			long v = who >= 0 ? (w < nw ? rs->cost_wp[(size_t)who * nw + w] : rs->cost_no_wp[who])
			                  : (w < nw ? rs->cost_by_wp[w] : rs->cost_no_wp_total);
			if (v != 0)
				put(f, p, who, w < nw ? (int)w : -1, v);
		}
	}
}

static void md_wp_cost(FILE *f, const struct project *p, int pi, int wi, long cents)
{
	char a[32];
	fputs("| ", f);
	md_put(f, pi >= 0 ? p->partners[pi].id : "All beneficiaries");
	fputs(" | ", f);
	md_put(f, wi >= 0 ? p->wps[wi].id : "no WP");
	fprintf(f, " | %s |\n", res_format_grouped(cents, a));
}

/* A reporting period's rows being written. */
struct period_out {
	FILE *f;
	const struct report *r;
	const struct period *pe;
};

static void md_period_row(const struct res_period_row *row, void *arg)
{
	const struct period_out *po = arg;
	const struct project *p = po->r->p;
	FILE *f = po->f;
	char a[32], b[32], c[32];
	fputs("| ", f);
	md_put(f, p->partners[row->partner].id);
	fputs(" | ", f);
	md_put(f, p->wps[row->wp].id);
	fprintf(f, " | %s | %s | %s | ", res_format(row->planned, a), res_format(row->spent, b),
	        res_format(row->to_date, c));
	if (row->has_deviation)
		fprintf(f, "%+ld%% ", row->deviation);
	fputs(res_word(row->flag, row->planned > 0), f);
	fputs(" | ", f);
	md_put(f, row->notes ? row->notes : "");
	fputs(" |\n", f);
}

static void csv_period_row(const struct res_period_row *row, void *arg)
{
	const struct period_out *po = arg;
	const struct project *p = po->r->p;
	char a[32], b[32], c[32], d[32];
	snprintf(d, sizeof d, "%ld", row->deviation);
	const char *v[12] = {"effort", p->partners[row->partner].id, row->notes,
	                     p->wps[row->wp].id, po->pe->id, NULL, NULL,
	                     row->has_deviation ? d : NULL, res_format(row->to_date, c),
	                     res_word(row->flag, row->planned > 0),
	                     res_format(row->spent, b), res_format(row->planned, a)};
	csv_row(po->f, v);
}

/* "Use of resources": per reporting period person-months per beneficiary
 * and WP, planned, spent in the period and to date, deviation and the
 * notes as the explanation; then costs per beneficiary and category. */
static void md_resources(FILE *f, const struct report *r)
{
	const struct project *p = r->p;
	const struct res_state *rs = &r->st->res;
	if (!rs->present)
		return;
	char a[32], b[32], c[32];
	fputs("\n## Use of resources\n", f);
	for (int k = 0; k < res_period_count(p, rs); k++) {
		const struct period *pe = &p->periods[rs->periods ? rs->periods[k].period : k];
		if (!in_report(r, pe))
			continue;
		fputs("\n### Person-months, ", f);
		md_put(f, pe->id);
		fprintf(f, " (M%d-M%d)\n\n| Beneficiary | WP | Planned | Spent in period | Spent to date "
		        "| Deviation | Explanation |\n|---|---|---:|---:|---:|---|---|\n", pe->from, pe->to);
		struct period_out po = {f, r, pe};
		res_period_each(p, rs, k, md_period_row, &po);
	}
	fputs("\n### Costs to date", f);
	if (p->budget.currency) {
		fputs(" (", f);
		md_put(f, p->budget.currency);
		fputc(')', f);
	}
	fputs("\n\n| Beneficiary | Category | Planned | Spent | Projected | Deviation |\n"
	      "|---|---|---:|---:|---:|---|\n", f);
	for (int i = 0; i < rs->ncosts; i++) {
		const struct res_row *row = &rs->costs[i];
		fputs("| ", f);
		md_put(f, p->partners[row->partner].id);
		fprintf(f, " | %s | %s | %s | %s | ", res_category_words[row->key],
		        res_format_grouped(row->planned, a), res_format_grouped(row->actual, b),
		        res_format_grouped(row->projected, c));
		if (row->has_deviation)
			fprintf(f, "%+ld%% ", row->deviation);
		fprintf(f, "%s |\n", res_word(row->flag, row->planned > 0));
	}
	if (rs->cost_wp_any) {
		fputs("\n### Costs to date per work package", f);
		if (p->budget.currency) {
			fputs(" (", f);
			md_put(f, p->budget.currency);
			fputc(')', f);
		}
		fputs("\n\n| Beneficiary | WP | Spent |\n|---|---|---:|\n", f);
		each_wp_cost(f, r, md_wp_cost);
	}
	fprintf(f, "\nDirect costs %s, indirect %s, total %s", res_format_grouped(rs->actual_direct, a),
	        res_format_grouped(rs->actual_indirect, b), res_format_grouped(rs->actual_total, c));
	fprintf(f, " of %s (%ld%%, time gone %ld%%)", res_format_grouped(rs->basis_total, a),
	        rs->spent_pct, rs->time_gone_pct);
	if (rs->eu_contribution > 0)
		fprintf(f, "; EU contribution %s, its share of the costs %s",
		        res_format_grouped(rs->eu_contribution, a), res_format_grouped(rs->eu_share, b));
	fputs(".\n", f);
}

static void csv_wp_cost(FILE *f, const struct project *p, int pi, int wi, long cents)
{
	char a[32];
	const char *v[12] = {"cost_wp", pi >= 0 ? p->partners[pi].id : NULL, NULL,
	                     wi >= 0 ? p->wps[wi].id : NULL, NULL, NULL, NULL, NULL, NULL, NULL,
	                     res_format(cents, a), NULL};
	csv_row(f, v);
}

static void csv_resources(FILE *f, const struct report *r)
{
	const struct project *p = r->p;
	const struct res_state *rs = &r->st->res;
	char a[32], b[32], d[32];
	for (int k = 0; k < res_period_count(p, rs); k++) {
		const struct period *pe = &p->periods[rs->periods ? rs->periods[k].period : k];
		if (!in_report(r, pe))
			continue;
		struct period_out po = {f, r, pe};
		res_period_each(p, rs, k, csv_period_row, &po);
	}
	for (int i = 0; i < rs->ncosts; i++) {
		const struct res_row *row = &rs->costs[i];
		snprintf(d, sizeof d, "%ld", row->deviation);
		const char *v[12] = {"cost", p->partners[row->partner].id, res_category_words[row->key],
		                     NULL, NULL, NULL, NULL, row->has_deviation ? d : NULL, NULL,
		                     res_word(row->flag, row->planned > 0), res_format(row->actual, b),
		                     res_format(row->planned, a)};
		csv_row(f, v);
	}
	each_wp_cost(f, r, csv_wp_cost);
}

static void export_md(FILE *f, const struct report *r)
{
	const struct project *p = r->p;
	const struct state *st = r->st;
	char a[11], b[11], d[11];
	fputs("# ", f);
	md_put(f, p->acronym);
	if (r->period >= 0) {
		fputs(": report for ", f);
		md_put(f, p->periods[r->period].id);
	} else {
		fputs(": project report", f);
	}
	fputs("\n\n", f);
	if (p->title) {
		md_put(f, p->title);
		fputs("\n\n", f);
	}
	fprintf(f, "- Period: M%d-M%d (%s to %s)\n", r->from, r->to,
	        date_format(project_month_start(p, r->from), a), date_format(project_month_end(p, r->to), b));
	fprintf(f, "- State as of: %s (M%d of %d)\n", date_format(st->asof, d), st->month, p->nmonths);
	if (r->c->store && r->c->tip.has_head) {
		char hex[CHAIN_HEX_LEN + 1];
		chain_hex(r->c->tip.head, hex);
		fprintf(f, "- Log: %lld entr%s, head %s (check it with consort verify --head)\n",
		        (long long)r->st->entries, r->st->entries == 1 ? "y" : "ies", hex);
	}
	char pw[64];
	fprintf(f, "- Plan: %s\n", export_plan_words(r->c, pw));
	fprintf(f, "- As recorded: %s\n", export_recorded(r->c, b));
	if (r->c->demo)
		fputs("- Demo: illustrative history, not the project's real progress\n", f);
	if (r->c->scope >= 0) {
		fputs("- Partner: ", f);
		md_put(f, p->partners[r->c->scope].id);
		fputs(" (what it leads or takes part in, its reach and its cluster)\n", f);
	}

	fputs("\n## Work packages\n\n| WP | Title | Lead | Months | Progress | Expected | State |\n"
	      "|----|-------|------|--------|---------:|---------:|-------|\n", f);
	for (int i = 0; i < p->nwps; i++) {
		if (!cli_in_scope(r->c, ITEM_WP, i))
			continue;
		fputs("| ", f);
		md_put(f, p->wps[i].id);
		fputs(" | ", f);
		md_put(f, p->wps[i].title);
		fputs(" | ", f);
		md_put(f, project_partner_id(p, p->wps[i].lead, ""));
		fprintf(f, " | M%d-M%d | %d%% | %.0f%% | %s |\n", p->wps[i].start, p->wps[i].end,
		        st->wps[i].progress, st->wps[i].expected * 100.0, derive_word(st->wps[i].state));
	}
	md_due(f, r, ITEM_DELIVERABLE);
	md_due(f, r, ITEM_MILESTONE);

	if (p->ntargets > 0) {
		fprintf(f, "\n## Reach at %s\n\n| Target | Title | Total | Target | %% | Pace |\n"
		           "|--------|-------|------:|-------:|--:|------|\n", date_format(st->asof, d));
		for (int i = 0; i < p->ntargets; i++) {
			const struct reach_state *rs = &st->reach[i];
			fputs("| ", f);
			md_put(f, p->targets[i].id);
			fputs(" | ", f);
			md_put(f, p->targets[i].title);
			fprintf(f, " | %ld | %ld | %.0f%% | ", rs->total, rs->target, rs->pct);
			char pace[96];
			fputs(derive_pace_words(st, i, pace, sizeof pace), f);
			if (p->targets[i].kind == TARGET_DISTINCT && r->f->targets[i].nvalues > 0) {
				fputs("; reached:", f);
				for (int k = 0; k < r->f->targets[i].nvalues; k++) {
					fputc(' ', f);
					md_put(f, r->f->targets[i].values[k]);
				}
			}
			fputs(" |\n", f);
		}
	}
	const struct benchmark *bm = &p->bench;
	if (bm->present && bm->nclusters > 0) {
		fputs("\n## Benchmark", f);
		if (bm->scheme) {
			fputs(" (", f);
			md_put(f, bm->scheme);
			fputc(')', f);
		}
		fputs("\n\n| Cluster | Partner | Label | Target label | At threshold | Measured |\n"
		      "|---------|---------|-------|--------------|-------------:|---------:|\n", f);
		for (int i = 0; i < bm->nclusters; i++) {
			const struct bench_state *bs = &st->bench[i];
			if (r->c->scope >= 0 && bm->clusters[i].partner != r->c->scope)
				continue;
			fputs("| ", f);
			md_put(f, bm->clusters[i].name ? bm->clusters[i].name : project_partner_id(p, bm->clusters[i].partner, ""));
			fputs(" | ", f);
			md_put(f, project_partner_id(p, bm->clusters[i].partner, ""));
			fputs(" | ", f);
			md_put(f, bs->label >= 0 ? bm->labels[bs->label] : "-");
			fputs(" | ", f);
			md_put(f, bs->target_label >= 0 ? bm->labels[bs->target_label] : "-");
			fprintf(f, " | %d/%d | %d |\n", bs->at_threshold, bm->nindicators, bs->measured);
		}
	}
	if (r->nnotes > 0) {
		fputs("\n## Notes\n\n| Date | Item | By | Note |\n|------|------|----|------|\n", f);
		for (size_t i = 0; i < r->nnotes; i++) {
			const struct entry *en = &r->notes[i];
			fprintf(f, "| %s | ", en->effective);
			md_put(f, en->item ? en->item : "");
			fputs(" | ", f);
			md_put(f, en->login ? en->login : "");
			fputs(" (", f);
			md_put(f, en->partner ? en->partner : "-");
			fputs(") | ", f);
			md_put(f, en->note ? en->note : "");
			fputs(" |\n", f);
		}
	}
	md_resources(f, r);
}

/* ---- CSV (RFC 4180) ---- */

static void csv_field(struct sbuf *b, const char *untrusted, int first, int flags)
{
	if (!first)
		sbuf_putc(b, ',');
	char *s = text_sanitize(untrusted ? untrusted : "", flags);
	if (strpbrk(s, ",\"\r\n")) {
		sbuf_putc(b, '"');
		for (const char *q = s; *q; q++) {
			if (*q == '"')
				sbuf_putc(b, '"');
			sbuf_putc(b, *q);
		}
		sbuf_putc(b, '"');
	} else {
		sbuf_puts(b, s);
	}
	free(s);
}

/* One row of the twelve columns; NULL is an empty field. */
static void csv_row(FILE *f, const char *const v[12])
{
	struct sbuf b = {0};
	int flags = cli_ascii(f) ? TEXT_ASCII : 0;
	for (int i = 0; i < 12; i++)
		csv_field(&b, v[i], i == 0, flags);
	sbuf_puts(&b, "\r\n");
	fputs(sbuf_str(&b), f);
	sbuf_free(&b);
}

static void export_csv(FILE *f, const struct report *r)
{
	const struct project *p = r->p;
	const struct state *st = r->st;
	static const char *const head[12] = {"section", "id", "title", "wp", "lead", "due_month",
	                                     "due_date", "status", "progress", "state", "value", "target"};
	csv_row(f, head);
	char pv[64], rec[16];
	const char *plan_row[12] = {"report", "plan", export_plan_words(r->c, pv), NULL, NULL, NULL,
	                            NULL, NULL, NULL, NULL, NULL, NULL};
	csv_row(f, plan_row);
	const char *rec_row[12] = {"report", "as_recorded", NULL, NULL, NULL, NULL,
	                           export_recorded(r->c, rec), NULL, NULL, NULL, NULL, NULL};
	csv_row(f, rec_row);
	char n1[32], n2[32], n3[32], dd[11];
	if (r->c->store && r->c->tip.has_head) {
		char hex[CHAIN_HEX_LEN + 1];
		chain_hex(r->c->tip.head, hex);
		snprintf(n1, sizeof n1, "%lld", (long long)r->st->entries);
		const char *row[12] = {"log", hex, "the log's head", NULL, NULL, NULL, NULL, NULL, NULL,
		                       r->c->tip.ok ? "ok" : "altered", n1, NULL};
		csv_row(f, row);
	}
	for (int i = 0; i < p->nwps; i++) {
		const struct wp *w = &p->wps[i];
		if (!cli_in_scope(r->c, ITEM_WP, i))
			continue;
		snprintf(n1, sizeof n1, "%d", w->end);
		snprintf(n2, sizeof n2, "%d", st->wps[i].progress);
		const char *row[12] = {"wp", w->id, w->title, w->id, project_partner_id(p, w->lead, ""), n1,
		                       date_format(project_month_end(p, w->end), dd), NULL, n2,
		                       derive_word(st->wps[i].state), NULL, NULL};
		csv_row(f, row);
		for (int t = w->first_task; t < w->first_task + w->ntasks; t++) {
			const struct task *tk = &p->tasks[t];
			snprintf(n1, sizeof n1, "%d", tk->end);
			snprintf(n2, sizeof n2, "%d", st->tasks[t].progress);
			const char *trow[12] = {"task", tk->id, tk->title, w->id, project_partner_id(p, tk->lead, ""), n1,
			                        date_format(project_month_end(p, tk->end), dd), st->tasks[t].status,
			                        n2, derive_word(st->tasks[t].state), NULL, NULL};
			csv_row(f, trow);
		}
	}
	for (int k = 0; k < 2; k++) {
		enum item_kind kind = k == 0 ? ITEM_DELIVERABLE : ITEM_MILESTONE;
		int n = k == 0 ? p->ndeliverables : p->nmilestones;
		for (int i = 0; i < n; i++) {
			int due = k == 0 ? p->deliverables[i].due : p->milestones[i].due;
			if (due < r->from || due > r->to || !cli_in_scope(r->c, kind, i))
				continue;
			const struct due_state *ds = k == 0 ? &st->deliverables[i] : &st->milestones[i];
			snprintf(n1, sizeof n1, "%d", due);
			snprintf(n3, sizeof n3, "%d", ds->days_late);
			const char *wp = k == 0 ? p->wps[p->deliverables[i].wp].id
			                        : (p->milestones[i].nwps > 0 ? p->wps[p->milestones[i].wps[0]].id : NULL);
			const char *row[12] = {k == 0 ? "deliverable" : "milestone",
			                       k == 0 ? p->deliverables[i].id : p->milestones[i].id,
			                       k == 0 ? p->deliverables[i].title : p->milestones[i].title, wp,
			                       project_partner_id(p, project_due_lead(p, kind, i), ""), n1, date_format(ds->due_date, dd),
			                       ds->status, NULL, due_word(ds), ds->days_late > 0 ? n3 : NULL,
			                       k == 0 ? r->documents[i] : NULL};
			csv_row(f, row);
		}
	}
	for (int i = 0; i < p->ntargets; i++) {
		const struct reach_state *rs = &st->reach[i];
		snprintf(n1, sizeof n1, "%ld", rs->total);
		snprintf(n2, sizeof n2, "%ld", rs->target);
		snprintf(n3, sizeof n3, "%.0f", rs->pct);
		const char *row[12] = {"reach", p->targets[i].id, p->targets[i].title, NULL, NULL, NULL,
		                       date_format(st->asof, dd), NULL, n3,
		                       rs->met ? "met" : rs->need == REACH_NEED_SHORT ? "short"
		                       : rs->on_pace ? "on pace" : "behind", n1, n2};
		csv_row(f, row);
	}
	const struct benchmark *bm = &p->bench;
	for (int i = 0; bm->present && i < bm->nclusters; i++) {
		const struct bench_state *bs = &st->bench[i];
		if (r->c->scope >= 0 && bm->clusters[i].partner != r->c->scope)
			continue;
		snprintf(n1, sizeof n1, "%d", bs->at_threshold);
		const char *row[12] = {"benchmark", project_partner_id(p, bm->clusters[i].partner, ""),
		                       bm->clusters[i].name ? bm->clusters[i].name : project_partner_id(p, bm->clusters[i].partner, ""),
		                       NULL, project_partner_id(p, bm->clusters[i].partner, ""), NULL, NULL,
		                       bs->label >= 0 ? bm->labels[bs->label] : NULL, NULL, NULL, n1,
		                       bs->target_label >= 0 ? bm->labels[bs->target_label] : NULL};
		csv_row(f, row);
	}
	for (size_t i = 0; i < r->nnotes; i++) {
		const struct entry *en = &r->notes[i];
		snprintf(n1, sizeof n1, "%lld", (long long)en->id);
		const char *row[12] = {"note", en->item, en->note, NULL, en->partner, NULL, en->effective,
		                       en->login, NULL, NULL, n1, NULL};
		csv_row(f, row);
	}
	csv_resources(f, r);
}

static void export_json(FILE *f, const struct report *r)
{
	const struct project *p = r->p;
	char a[11];
	struct json j = {0};
	j.pretty = 1;
	j.sink = f;
	json_obj_begin(&j);
	json_key(&j, "period");
	json_obj_begin(&j);
	json_key(&j, "id");
	json_str(&j, r->period >= 0 ? p->periods[r->period].id : NULL);
	json_key(&j, "from");
	json_int(&j, r->from);
	json_key(&j, "to");
	json_int(&j, r->to);
	json_key(&j, "start");
	json_str(&j, date_format(project_month_start(p, r->from), a));
	json_key(&j, "end");
	json_str(&j, date_format(project_month_end(p, r->to), a));
	json_obj_end(&j);
	cli_json_state(&j, r->c, r->st, r->f, r->from, r->to);
	json_key(&j, "documents");
	json_obj_begin(&j);
	for (int i = 0; i < p->ndeliverables; i++)
		if (r->documents[i]) {
			json_key(&j, p->deliverables[i].id);
			json_str(&j, r->documents[i]);
		}
	json_obj_end(&j);
	json_key(&j, "notes");
	json_arr_begin(&j);
	for (size_t i = 0; i < r->nnotes; i++) {
		const struct entry *en = &r->notes[i];
		json_obj_begin(&j);
		json_key(&j, "id");
		json_int(&j, en->id);
		json_key(&j, "effective");
		json_str(&j, en->effective);
		json_key(&j, "item");
		json_str(&j, en->item);
		json_key(&j, "login");
		json_str(&j, en->login);
		json_key(&j, "partner");
		json_str(&j, en->partner);
		json_key(&j, "note");
		json_str(&j, en->note);
		json_obj_end(&j);
	}
	json_arr_end(&j);
	json_key(&j, "plan_version");
	if (r->c->plan_version)
		json_int(&j, r->c->plan_version);
	else
		json_null(&j);
	json_key(&j, "as_recorded");
	json_str(&j, export_recorded(r->c, a));
	json_obj_end(&j);
	fputs(json_text(&j), f);
	fputc('\n', f);
	json_free(&j);
}

/* The notes and documents a report holds. */
static void report_free(struct report *r)
{
	entries_free(r->notes, r->nnotes);
	for (int i = 0; r->documents && i < r->p->ndeliverables; i++)
		free(r->documents[i]);
	free(r->documents);
	r->notes = NULL;
	r->nnotes = 0;
	r->documents = NULL;
}

/* The periods' months, a cell at a time from the report's snapshot. */
struct cells_src {
	struct store_res_cells *cells;
	struct err e;       /* why a read failed */
};

static int cells_read(void *arg, int pi, int wi, long *pm, char **notes)
{
	struct cells_src *cs = arg;
	return store_res_cells_read(cs->cells, pi, wi, pm, notes, &cs->e) < 0 ? -1 : 0;
}

static int cmd_export(struct cli *c, int argc, char **argv);

const struct cli_command cli_cmd_export = {
	"export", cmd_export,
	"export --format md|csv|json [--period ID] [--output FILE] [--mine | --partner ID]",
	"a report for a period or the whole project",
	0,
};

static int cmd_export(struct cli *c, int argc, char **argv)
{
	const char *format = NULL, *period = NULL, *output = NULL, *partner_s = NULL;
	char *pos[1];
	int npos = 0, mine = 0;
	const struct cli_opt opts[] = {
		{"mine", NULL, &mine},
		{"partner", &partner_s, NULL},
		{"format", &format, NULL},
		{"period", &period, NULL},
		{"output", &output, NULL},
		{NULL, NULL, NULL},
	};
	int rc = cli_parse(c, &cli_cmd_export, argc, argv, opts, pos, 0, &npos);
	if (rc)
		return rc;
	if (!format)
		return cli_error(EXIT_USAGE, "export: --format md|csv|json is required (see consort export --help)");
	void (*emit)(FILE *, const struct report *) = NULL;
	if (strcmp(format, "md") == 0 || strcmp(format, "markdown") == 0)
		emit = export_md;
	else if (strcmp(format, "csv") == 0)
		emit = export_csv;
	else if (strcmp(format, "json") == 0)
		emit = export_json;
	else
		return cli_error(EXIT_USAGE, "export: --format: expected md, csv or json, found '%s'", format);
	if ((rc = cli_open_read(c)) != 0)
		return rc;
	if ((rc = cli_scope(c, "export", mine, partner_s, &c->scope)) != 0)
		return rc;
	struct report r;
	memset(&r, 0, sizeof r);
	r.c = c;
	r.p = &c->proj;
	r.period = -1;
	r.from = 1;
	r.to = c->proj.nmonths;
	if (period) {
		r.period = project_period(&c->proj, period);
		if (r.period < 0) {
			struct sbuf ids = {0};
			for (int i = 0; i < c->proj.nperiods; i++)
				sbuf_printf(&ids, "%s%s", i ? ", " : "", c->proj.periods[i].id);
			rc = cli_error(EXIT_DATAERR, "export: no reporting period '%s' (the definition has: %s)", period,
			               c->proj.nperiods ? sbuf_str(&ids) : "none");
			sbuf_free(&ids);
			return rc;
		}
		r.from = c->proj.periods[r.period].from;
		r.to = c->proj.periods[r.period].to;
	}
	/* The state stops at the last day of the period or of the project,
	 * with the plan in force then. */
	cdate end = project_month_end(&c->proj, r.to);
	if (end < c->asof) {
		c->asof = end;
		if ((rc = cli_plan_at(c, c->asof)) != 0)
			return rc;
		if (period && (r.period = project_period(&c->proj, period)) < 0)
			return cli_error(EXIT_DATAERR, "export: no reporting period '%s' in the plan in force on "
			                               "its last day", period);
		if (period) {
			r.from = c->proj.periods[r.period].from;
			r.to = c->proj.periods[r.period].to;
		} else {
			r.to = c->proj.nmonths;
		}
	}
	struct facts f;
	struct state st;
	memset(&f, 0, sizeof f);
	memset(&st, 0, sizeof st);
	/* by_month is never shown here; the periods' months are read a cell
	 * at a time as their rows are written (every cell's months at once
	 * took more memory than the rest of the report). */
	c->facts_flags = STORE_FACTS_NO_MONTHS | STORE_FACTS_RES_TOTALS;
	struct cells_src cs = {NULL, {0}};
	struct res_months_src src = {cells_read, &cs, 0};
	for (int tries = 0;; tries++) {
		if ((rc = cli_state(c, &f, &st)) != 0)
			return rc;
		r.st = &st;
		r.f = &f;
		if ((rc = report_notes(c, &r)) != 0 || (rc = report_documents(c, &r)) != 0)
			goto out;
		if (!c->store)
			break;
		/* The months from the snapshot the rest was read from: the same
		 * entries (the log only grows), else everything again. */
		struct err e = {0};
		int b = store_res_cells_begin(c->store, &c->proj, c->asof, f.entries, &cs.cells, &e);
		if (b < 0) {
			rc = cli_fail(&e);
			goto out;
		}
		if (b == 0) {
			st.res.months_src = &src;
			break;
		}
		if (tries == 9) {
			rc = cli_error(EXIT_UNAVAILABLE, "export: the log keeps changing while it is read; try again");
			goto out;
		}
		report_free(&r);
		state_free(&st);
		facts_free(&f);
	}
	FILE *out = stdout;
	/* Written beside the file and renamed over it, never through a link. */
	struct file_new fnew = {-1, NULL, NULL};
	if (output && strcmp(output, "-") != 0) {
		struct err e = {0};
		if (file_replace_begin(output, &fnew, &e) != 0) {
			rc = cli_error(e.code, "export: %s", e.msg);
			goto out;
		}
		if (!(out = fdopen(fnew.fd, "w"))) {
			rc = cli_error(EXIT_IOERR, "export: cannot write %s: %s", output, strerror(errno));
			close(fnew.fd);
			file_replace_end(&fnew, 0, NULL);
			goto out;
		}
	}
	emit(out, &r);
	rc = cli_finish(out, "export", out != stdout ? output : NULL);
	if (src.failed) {
		int rc2 = cli_fail(&cs.e);
		if (rc == 0)
			rc = rc2;
	}
	if (fnew.tmp) {
		struct err e = {0};
		if (file_replace_end(&fnew, rc == 0, &e) != 0)
			rc = cli_error(e.code, "export: %s", e.msg);
	}
out:
	store_res_cells_end(cs.cells);
	report_free(&r);
	state_free(&st);
	facts_free(&f);
	return rc;
}
