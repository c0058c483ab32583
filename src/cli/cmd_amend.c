/* amend: `consort amend FILE --note TEXT [--date DATE] [--dry-run]` records
 * FILE as the plan's next version, in force from DATE (default today). The
 * file is checked like check does (errors 65 with their file:line:col
 * lines); the write path refuses a file identical to the plan in force, one
 * that leaves no coordinator or takes the caller's own coordinator rights
 * away (65), and anyone but a coordinator of the plan in force (77). What
 * changes is printed before it is written; --dry-run only prints it. */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cli.h"

static int cmd_amend(struct cli *c, int argc, char **argv);
const struct cli_command cli_cmd_amend = {
	"amend", cmd_amend,
	"amend FILE --note TEXT [--date YYYY-MM-DD] [--dry-run]",
	"record FILE as the plan's next version (an amendment)",
	0,
};

static int cmd_amend(struct cli *c, int argc, char **argv)
{
	const char *note = NULL, *date = NULL;
	int dry = 0;
	char *pos[1];
	int npos = 0;
	const struct cli_opt opts[] = {
		{"note", &note, NULL},
		{"date", &date, NULL},
		{"dry-run", NULL, &dry},
		{NULL, NULL, NULL},
	};
	int rc = cli_parse(c, &cli_cmd_amend, argc, argv, opts, pos, 1, &npos);
	if (rc)
		return rc;
	if ((rc = cli_need("amend", npos, 1, "FILE")) != 0)
		return rc;
	if (!note || !note[0])
		return cli_error(EXIT_USAGE, "amend: --note TEXT is required (say what the amendment is)");
	cdate eff = c->today;
	if (date && date_parse(date, &eff) != 0)
		return cli_error(EXIT_DATAERR, "amend: '%s' is not a date (YYYY-MM-DD)", date);
	struct project np;
	char *text;
	size_t len;
	if ((rc = cli_read_def(c, pos[0], &np, &text, &len)) != 0)
		return rc;
	/* The plan in force on the amendment's date is what it amends. */
	if (!c->asof_given)
		c->asof = eff;
	struct write_req r = {.op = W_AMEND, .note = note, .date = date, .plan = &np,
	                      .plan_text = text, .plan_len = len};
	struct err e = {0};
	if ((rc = cli_open(c, STORE_READ)) != 0)
		goto out;
	if ((rc = cli_plan_at(c, eff)) != 0)
		goto out;
	if (c->nplans == 0) {
		rc = cli_error(EXIT_DATAERR, "amend: %s holds no plan yet (open it for writing once, "
		                             "as its coordinator, to record its definition)", c->paths.db);
		goto out;
	}
	if (write_check(c->store, &c->proj, &c->id, &r, c->today, &e) != 0) {
		rc = cli_error(e.code ? e.code : EXIT_SOFTWARE, "amend: %s", e.msg);
		goto out;
	}
	struct plan_diff *d;
	size_t nd;
	plan_diff_models(&c->proj, &np, &d, &nd);
	char day[11];
	printf("amendment of version %d: %zu %s, in force from %s\n", c->plan_version, nd,
	       nd == 1 ? "change" : "changes", cli_date(eff, day));
	cli_diff_text(stdout, d, nd);
	plan_diff_free(d, nd);
	if (dry) {
		fputs("nothing written (--dry-run)\n", stdout);
		rc = cli_finish(stdout, "amend", NULL);
		goto out;
	}
	fflush(stdout);
	store_close(c->store);
	c->store = NULL;
	int64_t id = 0;
	if (store_open(c->paths.db, STORE_WRITE, &c->store, &e) != 0 ||
	    write_apply(c->store, &c->proj, &c->id, &r, c->today, &id, &e) != 0) {
		rc = cli_error(e.code ? e.code : EXIT_SOFTWARE, "amend: %s", e.msg);
		goto out;
	}
	printf("recorded #%lld: plan version %zu (effective %s)\n", (long long)id, c->nplans + 1,
	       cli_date(eff, day));
	rc = cli_finish(stdout, "amend", NULL);
out:
	project_free(&np);
	free(text);
	return rc;
}
