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
 *                 due soon or open, value = days late (when late)
 *   reach:        value = total at the period's end, target = target,
 *                 progress = percent of the target
 *   benchmark:    id = the cluster's partner, status = label recorded,
 *                 value = indicators at threshold, target = target label */
#include "config.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cli.h"
#include "core/json.h"
#include "core/text.h"

struct report {
	const struct cli *c;
	const struct project *p;
	const struct state *st;
	const struct facts *f;
	int period;          /* index, or -1 for the whole project */
	int from, to;        /* months */
};

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
		if (due < r->from || due > r->to)
			continue;
		if (!shown++) {
			fprintf(f, "\n## %s due in the period\n\n", k == ITEM_DELIVERABLE ? "Deliverables" : "Milestones");
			fputs("| ID | Title | WP | Lead | Due | Status | Lateness |\n"
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
	char pw[64];
	fprintf(f, "- Plan: %s\n", export_plan_words(r->c, pw));
	fprintf(f, "- As recorded: %s\n", export_recorded(r->c, b));
	if (r->c->demo)
		fputs("- Demo: illustrative history, not the project's real progress\n", f);

	fputs("\n## Work packages\n\n| WP | Title | Lead | Months | Progress | Expected | State |\n"
	      "|----|-------|------|--------|---------:|---------:|-------|\n", f);
	for (int i = 0; i < p->nwps; i++) {
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
			if (p->targets[i].kind == TARGET_DISTINCT) {
				for (int k = 0; k < r->f->targets[i].nvalues; k++) {
					if (k)
						fputc(' ', f);
					md_put(f, r->f->targets[i].values[k]);
				}
			} else if (rs->met) {
				fputs("met", f);
			} else if (rs->on_pace) {
				fputs("on pace", f);
			} else {
				char rate[32];
				fprintf(f, "behind: %s a month needed", cli_rate(rs->needed_per_month, rate));
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
	for (int i = 0; i < p->nwps; i++) {
		const struct wp *w = &p->wps[i];
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
			if (due < r->from || due > r->to)
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
			                       ds->status, NULL, due_word(ds), ds->days_late > 0 ? n3 : NULL, NULL};
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
		                       rs->met ? "met" : rs->on_pace ? "on pace" : "behind", n1, n2};
		csv_row(f, row);
	}
	const struct benchmark *bm = &p->bench;
	for (int i = 0; bm->present && i < bm->nclusters; i++) {
		const struct bench_state *bs = &st->bench[i];
		snprintf(n1, sizeof n1, "%d", bs->at_threshold);
		const char *row[12] = {"benchmark", project_partner_id(p, bm->clusters[i].partner, ""),
		                       bm->clusters[i].name ? bm->clusters[i].name : project_partner_id(p, bm->clusters[i].partner, ""),
		                       NULL, project_partner_id(p, bm->clusters[i].partner, ""), NULL, NULL,
		                       bs->label >= 0 ? bm->labels[bs->label] : NULL, NULL, NULL, n1,
		                       bs->target_label >= 0 ? bm->labels[bs->target_label] : NULL};
		csv_row(f, row);
	}
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

static int cmd_export(struct cli *c, int argc, char **argv);

const struct cli_command cli_cmd_export = {
	"export", cmd_export,
	"export --format md|csv|json [--period ID] [--output FILE]",
	"a report for a period or the whole project",
};

static int cmd_export(struct cli *c, int argc, char **argv)
{
	const char *format = NULL, *period = NULL, *output = NULL;
	char *pos[1];
	int npos = 0;
	const struct cli_opt opts[] = {
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
	c->facts_flags = STORE_FACTS_NO_MONTHS; /* by_month is never shown here */
	if ((rc = cli_state(c, &f, &st)) != 0)
		return rc;
	r.st = &st;
	r.f = &f;
	FILE *out = stdout;
	if (output && strcmp(output, "-") != 0) {
		out = fopen(output, "w");
		if (!out) {
			int code = errno == EACCES || errno == EPERM ? EXIT_NOPERM : EXIT_IOERR;
			rc = cli_error(code, "export: cannot write %s: %s", output, strerror(errno));
			goto out;
		}
	}
	emit(out, &r);
	rc = cli_finish(out, "export", out != stdout ? output : NULL);
out:
	state_free(&st);
	facts_free(&f);
	return rc;
}
