/* cmd_dashboard: `consort` with no command opens the full-screen dashboard.
 * The log is opened for writing when this user may write it and is a user
 * of a partner (so the dialogs can record), else read-only. */
#include "config.h"

#include <libgen.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli/cli.h"
#include "core/text.h"
#include "tui/tui.h"

/* Can this process write the log and create its -wal/-shm files beside it? */
static int writable(const char *db)
{
	if (access(db, F_OK) != 0)
		return 1; /* created on open (the demo) */
	if (access(db, W_OK) != 0)
		return 0;
	char *copy = xstrdup(db);
	int ok = access(dirname(copy), W_OK) == 0;
	free(copy);
	return ok;
}

/* The dashboard's time travel takes the plan of the date it shows, among
 * the versions the log holds now (an amendment recorded meanwhile, by its
 * own A or by another process, counts at once). */
static int dashboard_plan_at(void *ctx, cdate asof)
{
	struct cli *c = ctx;
	struct plan_version *v;
	size_t n;
	struct err e = {0};
	c->plans_read = 0;
	if (c->store && plan_versions(c->store, c->recorded_until_ms, &v, &n, &e) == 0) {
		plan_versions_free(c->plans, c->nplans);
		c->plans = v;
		c->nplans = n;
		c->plans_read = 1;
	}
	return cli_plan_at(c, asof);
}

/* The versions dashboard_plan_at has just read, for the plan view. */
static int dashboard_plan_list(void *ctx, struct plan_version **out, size_t *n)
{
	struct cli *c = ctx;
	if (!c->plans_read)
		return -1;
	*out = plan_versions_dup(c->plans, c->nplans);
	*n = c->nplans;
	return 0;
}

/* 'r' in the dashboard: the log's plan again, amendments included. */
static int dashboard_plan_reload(void *ctx, cdate asof)
{
	struct cli *c = ctx;
	if (!c->store || c->nplans == 0)
		return 1;
	struct err e = {0};
	struct plan_version *v;
	size_t n;
	if (plan_versions(c->store, c->recorded_until_ms, &v, &n, &e) != 0)
		return EXIT_IOERR;
	plan_versions_free(c->plans, c->nplans);
	c->plans = v;
	c->nplans = n;
	c->plan_version = 0; /* load it again whatever was shown */
	return cli_plan_at(c, asof);
}

/* The plan in force, loaded by cli_plan_at, when it is version number. */
static const struct project *dashboard_plan_model(void *ctx, int number)
{
	struct cli *c = ctx;
	return c->store && c->proj_loaded && c->plan_version > 0 && c->plan_version == number ? &c->proj : NULL;
}

struct tui_ctx tui_ctx_from_cli(struct cli *c)
{
	return (struct tui_ctx){
		.p = &c->proj,
		.project_path = c->paths.project,
		.s = c->store,
		.id = &c->id,
		.today = c->today,
		.asof = c->asof,
		.write_date = c->write_date,
		.demo = c->demo,
		.ascii = c->ascii,
		.plan_at = dashboard_plan_at,
		.plan_reload = dashboard_plan_reload,
		.plan_model = dashboard_plan_model,
		.plan_list = dashboard_plan_list,
		.file_digest = c->plan_said_digest,
		.file_digest_same = c->plan_said_same,
		.plan_ctx = c,
		.nwarnings = c->nwarned,
		.first_warning = c->first_warning,
	};
}

int cmd_dashboard(struct cli *c, int argc, char **argv)
{
	if (argc > 1)
		return cli_error(EXIT_USAGE, "the dashboard takes no arguments, found '%s'", argv[1]);
	c->warnings = 1;
	/* The dashboard draws on the terminal: ASCII when its locale is not
	 * UTF-8, wherever stdout goes. */
	c->ascii = text_locale_ascii();
	int rc = cli_load_project(c);
	if (rc)
		return rc;
	/* A user the definition does not list only reads: never open the log
	 * for writing for them (that could switch it to WAL or migrate it). The
	 * demo in the user's own data directory grants its creator the
	 * coordinator's role, so it opens for writing. */
	struct identity who;
	identity_current(&c->proj, &who, NULL);
	int may_write = writable(c->paths.db) && (who.partner >= 0 || c->paths.demo);
	rc = cli_open(c, may_write ? STORE_WRITE : STORE_READ);
	if (rc)
		return rc;
	struct tui_ctx t = tui_ctx_from_cli(c);
	struct err e = {0};
	if (tui_run(&t, &e) != 0)
		return cli_fail(&e);
	return 0;
}
