/* status: the one-screen summary (period and month, each WP, reach,
 * benchmark, overdue and next due), or the same facts as JSON. Every number
 * comes from derive's state; this file only formats. --check exits 1 when
 * anything is late or overdue, after printing as usual. */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "cli/cli.h"
#include "core/json.h"
#include "core/resources.h"
#include "core/text.h"

#define STATUS_TITLE_COLS 34
#define STATUS_NEXT_DUE 5

/* Width of the widest sanitized string among n, capped at cap. */
static int col_width(const char *const *v, int n, int cap)
{
	int w = 0;
	for (int i = 0; i < n; i++) {
		char *s = text_sanitize(v[i], 0);
		int k = text_width(s);
		free(s);
		if (k > w)
			w = k;
	}
	return w > cap ? cap : w;
}

static int partner_width(const struct project *p)
{
	int w = 4;
	for (int i = 0; i < p->npartners; i++) {
		char *s = text_sanitize(p->partners[i].id, 0);
		int k = text_width(s);
		free(s);
		if (k > w)
			w = k;
	}
	return w > 16 ? 16 : w;
}

/* A 10-cell bar: filled cells are progress rounded to tens. */
static void status_bar(FILE *f, int progress, int ascii)
{
	int fill = (progress + 5) / 10;
	if (fill < 0)
		fill = 0;
	if (fill > 10)
		fill = 10;
	for (int i = 0; i < 10; i++)
		fputs(i < fill ? (ascii ? "#" : "\xe2\x96\x88") : (ascii ? "." : "\xe2\x96\x91"), f);
}

static void status_header(FILE *f, const struct cli *c, const struct state *st)
{
	const struct project *p = &c->proj;
	char a[11], b[11], d[11];
	cli_put(f, p->acronym);
	if (p->title) {
		fputs("  ", f);
		cli_put(f, p->title);
	}
	fputc('\n', f);
	if (st->before_start)
		fprintf(f, "not started: starts %s (M1)", date_format(p->start, a));
	else
		fprintf(f, "M%d of %d%s", st->month, p->nmonths, st->after_end ? " (ended)" : "");
	fprintf(f, "   %s to %s   as of %s", date_format(p->start, a), date_format(p->end, b),
	        date_format(st->asof, d));
	if (c->demo)
		fputs("  (demo: illustrative history)", f);
	fputc('\n', f);
}

static void status_wps(FILE *f, const struct cli *c, const struct state *st)
{
	const struct project *p = &c->proj;
	if (p->nwps == 0)
		return;
	const char **ids = xcalloc((size_t)p->nwps, sizeof *ids);
	const char **titles = xcalloc((size_t)p->nwps, sizeof *titles);
	for (int i = 0; i < p->nwps; i++) {
		ids[i] = p->wps[i].id;
		titles[i] = p->wps[i].title;
	}
	int wid = col_width(ids, p->nwps, 12), wtitle = col_width(titles, p->nwps, STATUS_TITLE_COLS);
	int wlead = partner_width(p);
	free(ids);
	free(titles);
	fputs("\nWork packages\n", f);
	for (int i = 0; i < p->nwps; i++) {
		if (c->scope >= 0 && !project_partner_involved(p, ITEM_WP, i, c->scope))
			continue;
		const struct wp *w = &p->wps[i];
		const struct wp_state *ws = &st->wps[i];
		char months[24];
		snprintf(months, sizeof months, "%d-%d", w->start, w->end);
		fputs("  ", f);
		cli_cell(f, w->id, wid, 'l');
		fputs("  ", f);
		cli_cell(f, w->title, wtitle, 'l');
		fputs("  ", f);
		cli_cell(f, project_partner_id(p, w->lead, ""), wlead, 'l');
		fprintf(f, "  %-5s  ", months);
		status_bar(f, ws->progress, c->ascii);
		fprintf(f, " %3d%%  %s\n", ws->progress, derive_word(ws->state));
	}
}

static void status_reach(FILE *f, const struct cli *c, const struct state *st, const struct facts *fa)
{
	const struct project *p = &c->proj;
	if (p->ntargets == 0)
		return;
	const char **ids = xcalloc((size_t)p->ntargets, sizeof *ids);
	for (int i = 0; i < p->ntargets; i++)
		ids[i] = p->targets[i].id;
	int wid = col_width(ids, p->ntargets, 20);
	free(ids);
	int wtot = 1, wtgt = 1;
	for (int i = 0; i < p->ntargets; i++) {
		char n[32];
		int k = snprintf(n, sizeof n, "%ld", st->reach[i].total);
		if (k > wtot)
			wtot = k;
		k = snprintf(n, sizeof n, "%ld", st->reach[i].target);
		if (k > wtgt)
			wtgt = k;
	}
	fputs("\nReach\n", f);
	for (int i = 0; i < p->ntargets; i++) {
		const struct target *t = &p->targets[i];
		const struct reach_state *r = &st->reach[i];
		char pace[96];
		fputs("  ", f);
		cli_cell(f, t->id, wid, 'l');
		fprintf(f, "  %*ld / %-*ld", wtot, r->total, wtgt, r->target);
		fprintf(f, "  %3.0f%%  ", r->pct);
		fputs(derive_pace_words(st, i, pace, sizeof pace), f);
		if (c->scope >= 0 && r->by_partner) {
			fputs("  ", f);
			cli_put(f, p->partners[c->scope].id);
			fprintf(f, " %ld", r->by_partner[c->scope]);
		}
		fputs("  (", f);
		if (t->kind != TARGET_DISTINCT) {
			cli_put(f, t->title);
			fputs(")\n", f);
			continue;
		}
		/* A distinct target: its unit and the values reached. */
		const struct reach_fact *rf = &fa->targets[i];
		cli_put(f, t->unit ? t->unit : t->title);
		if (rf->nvalues > 0)
			fputc(':', f);
		for (int k = 0; k < rf->nvalues && k < REACH_FEW_VALUES; k++) {
			fputc(' ', f);
			cli_put(f, rf->values[k]);
		}
		if (rf->nvalues > REACH_FEW_VALUES)
			fputs(" ...", f);
		fputs(")\n", f);
	}
}

static void status_bench(FILE *f, const struct cli *c, const struct state *st)
{
	const struct project *p = &c->proj;
	const struct benchmark *b = &p->bench;
	if (!b->present || b->nclusters == 0)
		return;
	int wlead = partner_width(p);
	int wlabel = 8;
	for (int i = 0; i < b->nlabels; i++) {
		char *s = text_sanitize(b->labels[i], 0);
		int k = text_width(s);
		free(s);
		if (k > wlabel)
			wlabel = k > 16 ? 16 : k;
	}
	fputs("\nBenchmark", f);
	if (b->scheme) {
		fputs(" (", f);
		cli_put(f, b->scheme);
		fputc(')', f);
	}
	fputc('\n', f);
	for (int i = 0; i < b->nclusters; i++) {
		if (c->scope >= 0 && b->clusters[i].partner != c->scope)
			continue;
		const struct bench_state *bs = &st->bench[i];
		fputs("  ", f);
		cli_cell(f, project_partner_id(p, b->clusters[i].partner, ""), wlead, 'l');
		fputs("  ", f);
		cli_cell(f, bs->label >= 0 ? b->labels[bs->label] : "no label", wlabel, 'l');
		fputs("  target ", f);
		cli_cell(f, bs->target_label >= 0 ? b->labels[bs->target_label] : "-", wlabel, 'l');
		/* "12/31 at threshold (39%); silver needs 16 at threshold: 4 more":
		 * what the cluster's goal label (its target, or the next one up)
		 * needs. */
		fprintf(f, "  %d/%d at threshold (%.0f%%)", bs->at_threshold, b->nindicators, bs->share);
		char goal[160];
		if (bs->goal_label >= 0) {
			fputs("; ", f);
			cli_put(f, derive_goal_words(b, bs, goal, sizeof goal));
		}
		fputc('\n', f);
	}
}

static void status_due(FILE *f, const struct cli *c, const struct state *st,
                       const struct due_ref *v, int n, const char *heading)
{
	const struct project *p = &c->proj;
	fprintf(f, "\n%s\n", heading);
	if (n == 0) {
		fputs("  none\n", f);
		return;
	}
	int wid = 4, wtitle = 8;
	for (int i = 0; i < n; i++) {
		const char *id, *title;
		int due;
		cli_due_item(p, &v[i], &id, &title, &due);
		const char *w[2] = {id, title};
		int a = col_width(w, 1, 12), b = col_width(w + 1, 1, STATUS_TITLE_COLS);
		if (a > wid)
			wid = a;
		if (b > wtitle)
			wtitle = b;
	}
	int wlead = partner_width(p);
	for (int i = 0; i < n; i++) {
		const char *id, *title;
		int due;
		cli_due_item(p, &v[i], &id, &title, &due);
		const struct due_state *ds = v[i].kind == ITEM_DELIVERABLE ? &st->deliverables[v[i].index]
		                                                           : &st->milestones[v[i].index];
		char label[32];
		fputs("  ", f);
		cli_cell(f, id, wid, 'l');
		fputs("  ", f);
		cli_cell(f, title, wtitle, 'l');
		fputs("  ", f);
		cli_cell(f, project_partner_id(p, project_due_lead(p, v[i].kind, v[i].index), ""), wlead, 'l');
		fprintf(f, "  due %s  ", project_month_label(p, due, label));
		if (ds->overdue)
			fprintf(f, "%d day%s late", ds->days_late, ds->days_late == 1 ? "" : "s");
		else if (ds->days_left == 0)
			fputs("due today", f);
		else
			fprintf(f, "in %d day%s", ds->days_left, ds->days_left == 1 ? "" : "s");
		fputs("  ", f);
		cli_put(f, ds->status);
		fputc('\n', f);
	}
}

/* The due items of the scope's partner (all without one) into a copy. */
static int status_scoped(const struct cli *c, const struct due_ref *v, int n, struct due_ref **out)
{
	*out = xcalloc((size_t)n + 1, sizeof **out);
	int k = 0;
	for (int i = 0; i < n; i++)
		if (c->scope < 0 || project_partner_involved(&c->proj, v[i].kind, v[i].index, c->scope))
			(*out)[k++] = v[i];
	return k;
}

/* One line: person-months and money spent against the plan, and what is
 * flagged ("over: NETPORT WP3"). */
static void status_resources(FILE *f, const struct cli *c, const struct state *st)
{
	const struct project *p = &c->proj;
	const struct res_state *rs = &st->res;
	if (!rs->present)
		return;
	char a[32], b[32];
	fprintf(f, "\nResources: %s / %s PM", res_format(rs->actual_pm, a), res_format(rs->planned_pm, b));
	fputs(" · ", f);
	cli_put(f, p->budget.currency ? p->budget.currency : "");
	fprintf(f, "%s%s / %s spent", p->budget.currency ? " " : "",
	        res_format_grouped(rs->actual_total, a), res_format_grouped(rs->basis_total, b));
	if (rs->basis_total > 0)
		fprintf(f, " (%ld%%, ", rs->spent_pct);
	else
		fputs(" (", f);
	fprintf(f, "time gone %ld%%)", rs->time_gone_pct);
	int shown = 0;
	for (int i = 0; i < rs->neffort; i++) {
		const struct res_row *r = &rs->effort[i];
		if (r->flag != RES_FLAG_OVER)
			continue;
		if (shown++ == 3) {
			fputs(", ...", f);
			break;
		}
		fputs(shown == 1 ? " · over: " : ", ", f);
		cli_put(f, p->partners[r->partner].id);
		fputc(' ', f);
		cli_put(f, p->wps[r->key].id);
	}
	if (rs->over + rs->under > 0)
		fprintf(f, " · %d over, %d under plan", rs->over, rs->under);
	fputc('\n', f);
}

static void status_text(FILE *f, const struct cli *c, const struct state *st, const struct facts *fa)
{
	status_header(f, c, st);
	if (c->scope >= 0) {
		fputs("for ", f);
		cli_put(f, c->proj.partners[c->scope].id);
		fputs(": what it leads or takes part in, its reach and its cluster\n", f);
	}
	status_wps(f, c, st);
	status_reach(f, c, st, fa);
	status_bench(f, c, st);
	status_resources(f, c, st);
	struct due_ref *over, *next;
	int nover = status_scoped(c, st->overdue, st->noverdue, &over);
	int nnext = status_scoped(c, st->upcoming, st->nupcoming, &next);
	status_due(f, c, st, over, nover, "Overdue");
	status_due(f, c, st, next, nnext < STATUS_NEXT_DUE ? nnext : STATUS_NEXT_DUE, "Next due");
	free(over);
	free(next);
	if (!c->store) {
		fputs("\nLog: none yet\n", f);
	} else {
		char iso[32];
		fprintf(f, "\nLog: %lld entr%s", (long long)st->entries, st->entries == 1 ? "y" : "ies");
		if (st->last_recorded_ms > 0) {
			cli_iso_ms(st->last_recorded_ms, iso);
			fprintf(f, ", last change %.10s %.5s UTC", iso, iso + 11);
		}
		if (c->tip.has_head) {
			char hex[CHAIN_HEX_LEN + 1];
			chain_hex(c->tip.head, hex);
			fprintf(f, ", head %.8s%s", hex, c->ascii ? "..." : "\xe2\x80\xa6");
		}
		fputc('\n', f);
	}
}

static int cmd_status(struct cli *c, int argc, char **argv);

const struct cli_command cli_cmd_status = {
	"status", cmd_status,
	"status [--json] [--check] [--mine | --partner ID]",
	"a one-screen summary; --check exits 1 when anything is late",
	1,
};

static int cmd_status(struct cli *c, int argc, char **argv)
{
	int as_json = 0, check = 0, npos = 0, mine = 0;
	const char *partner_s = NULL;
	char *pos[1];
	const struct cli_opt opts[] = {
		{"json", NULL, &as_json},
		{"check", NULL, &check},
		{"mine", NULL, &mine},
		{"partner", &partner_s, NULL},
		{NULL, NULL, NULL},
	};
	int rc = cli_parse(c, &cli_cmd_status, argc, argv, opts, pos, 0, &npos);
	if (rc)
		return rc;
	if ((rc = cli_open_read(c)) != 0)
		return rc;
	if ((rc = cli_scope(c, "status", mine, partner_s, &c->scope)) != 0)
		return rc;
	struct facts f;
	struct state st;
	memset(&f, 0, sizeof f);
	memset(&st, 0, sizeof st);
	/* by_month is never shown here, nor the months of the effort, nor more
	 * than the first values. */
	c->facts_flags = STORE_FACTS_NO_MONTHS | STORE_FACTS_RES_TOTALS |
	                 (as_json ? 0 : STORE_FACTS_FEW_VALUES);
	if ((rc = cli_state(c, &f, &st)) != 0)
		return rc;
	if (as_json) {
		struct json j = {0};
		j.pretty = 1;
		j.sink = stdout;
		json_obj_begin(&j);
		cli_json_state(&j, c, &st, &f, 1, c->proj.nmonths);
		json_obj_end(&j);
		puts(json_text(&j));
		json_free(&j);
	} else {
		status_text(stdout, c, &st, &f);
	}
	int late = derive_anything_late(&st);
	state_free(&st);
	facts_free(&f);
	if ((rc = cli_finish(stdout, "status", NULL)) != 0)
		return rc;
	return check && late ? EXIT_LATE : 0;
}
