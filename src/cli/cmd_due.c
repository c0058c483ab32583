/* due: overdue and due-soon deliverables, milestones and tasks ending,
 * per lead, newest deadline first (derive_deadlines), as plain text fit
 * for a mail (no terminal codes, a stable order, nothing else) or JSON.
 * Exits 1 when one of them is overdue, 0 otherwise, so that cron can mail
 * a partner its list. */
#include "config.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cli.h"
#include "core/json.h"

static int cmd_due(struct cli *c, int argc, char **argv);

const struct cli_command cli_cmd_due = {
	"due", cmd_due,
	"due [--within DAYS] [--mine | --partner ID] [--json]",
	"what is overdue or due soon, per lead",
	1,
};

static const char *kind_word(enum item_kind k)
{
	return k == ITEM_DELIVERABLE ? "deliverable" : k == ITEM_MILESTONE ? "milestone" : "task";
}

static void item_of(const struct project *p, const struct deadline *d, const char **id, const char **title)
{
	if (d->kind == ITEM_TASK) {
		*id = p->tasks[d->index].id;
		*title = p->tasks[d->index].title;
	} else if (d->kind == ITEM_DELIVERABLE) {
		*id = p->deliverables[d->index].id;
		*title = p->deliverables[d->index].title;
	} else {
		*id = p->milestones[d->index].id;
		*title = p->milestones[d->index].title;
	}
}

static void due_text(FILE *f, const struct cli *c, const struct deadline *v, int n, int within, int partner)
{
	const struct project *p = &c->proj;
	char a[11];
	cli_put(f, p->acronym);
	fprintf(f, ": due as of %s, within %d %s", date_format(c->asof, a), within, within == 1 ? "day" : "days");
	if (partner >= 0) {
		fputs(", for ", f);
		cli_put(f, p->partners[partner].id);
	}
	fputc('\n', f);
	if (n == 0) {
		fputs("\nnothing overdue or due\n", f);
		return;
	}
	int lead = -2;
	for (int i = 0; i < n; i++) {
		const struct deadline *d = &v[i];
		if (d->lead != lead) {
			lead = d->lead;
			fputc('\n', f);
			cli_put(f, lead >= 0 ? p->partners[lead].id : "(no lead)");
			fputc('\n', f);
		}
		const char *id, *title;
		item_of(p, d, &id, &title);
		fprintf(f, "  %-8s ", d->overdue ? "overdue" : "due");
		cli_put(f, id);
		fprintf(f, " %s %s %s", kind_word(d->kind), d->kind == ITEM_TASK ? "ends" : "due",
		        date_format(d->date, a));
		if (d->overdue)
			fprintf(f, " (%d %s late)", d->days, d->days == 1 ? "day" : "days");
		else if (d->days == 0)
			fputs(" (today)", f);
		else
			fprintf(f, " (in %d %s)", d->days, d->days == 1 ? "day" : "days");
		fputs(": ", f);
		cli_put(f, title ? title : "");
		fputc('\n', f);
	}
}

static void due_json(FILE *f, const struct cli *c, const struct deadline *v, int n, int within, int partner)
{
	const struct project *p = &c->proj;
	char a[11];
	struct json j = {0};
	j.pretty = 1;
	j.sink = f;
	json_obj_begin(&j);
	json_key(&j, "as_of");
	json_str(&j, date_format(c->asof, a));
	json_key(&j, "within");
	json_int(&j, within);
	json_key(&j, "partner");
	json_str(&j, partner >= 0 ? p->partners[partner].id : NULL);
	json_key(&j, "due");
	json_arr_begin(&j);
	for (int i = 0; i < n; i++) {
		const char *id, *title;
		item_of(p, &v[i], &id, &title);
		json_obj_begin(&j);
		json_key(&j, "id");
		json_str(&j, id);
		json_key(&j, "kind");
		json_str(&j, kind_word(v[i].kind));
		json_key(&j, "title");
		json_str(&j, title);
		json_key(&j, "lead");
		json_str(&j, v[i].lead >= 0 ? p->partners[v[i].lead].id : NULL);
		json_key(&j, "date");
		json_str(&j, date_format(v[i].date, a));
		json_key(&j, "overdue");
		json_bool(&j, v[i].overdue);
		json_key(&j, v[i].overdue ? "days_late" : "days_left");
		json_int(&j, v[i].days);
		json_obj_end(&j);
	}
	json_arr_end(&j);
	json_obj_end(&j);
	fputs(json_text(&j), f);
	fputc('\n', f);
	json_free(&j);
}

static int cmd_due(struct cli *c, int argc, char **argv)
{
	const char *within_s = NULL, *partner_s = NULL;
	int mine = 0, as_json = 0;
	char *pos[1];
	int npos = 0;
	const struct cli_opt opts[] = {
		{"within", &within_s, NULL},
		{"mine", NULL, &mine},
		{"partner", &partner_s, NULL},
		{"json", NULL, &as_json},
		{NULL, NULL, NULL},
	};
	int rc = cli_parse(c, &cli_cmd_due, argc, argv, opts, pos, 0, &npos);
	if (rc)
		return rc;
	int within = DERIVE_DUE_SOON_DAYS;
	if (within_s) {
		char *end;
		errno = 0;
		long w = strtol(within_s, &end, 10);
		if (errno || end == within_s || *end || w < 0 || w > 3660)
			return cli_error(EXIT_USAGE, "due: --within: expected a number of days 0-3660, found '%s'",
			                 within_s);
		within = (int)w;
	}
	if ((rc = cli_open_read(c)) != 0)
		return rc;
	int partner = -1;
	if ((rc = cli_scope(c, "due", mine, partner_s, &partner)) != 0)
		return rc;
	struct facts f;
	struct state st;
	memset(&f, 0, sizeof f);
	memset(&st, 0, sizeof st);
	c->facts_flags = STORE_FACTS_NO_MONTHS | STORE_FACTS_RES_TOTALS;
	if ((rc = cli_state(c, &f, &st)) != 0)
		return rc;
	struct deadline *v = NULL;
	int n = derive_deadlines(&c->proj, &st, within, partner, &v);
	int late = 0;
	for (int i = 0; i < n; i++)
		late |= v[i].overdue;
	if (as_json)
		due_json(stdout, c, v, n, within, partner);
	else
		due_text(stdout, c, v, n, within, partner);
	free(v);
	state_free(&st);
	facts_free(&f);
	rc = cli_finish(stdout, "due", NULL);
	return rc ? rc : late ? EXIT_LATE : 0;
}
