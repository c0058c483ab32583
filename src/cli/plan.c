/* plan: the commands' plan comes from the log (core/plan.h): the version
 * in force on the as-of date. A definition file is only compared with it.
 * A log without a stored plan (made by an earlier release) is read with
 * the definition file, which becomes its version 1 the first time a
 * coordinator of that definition, or root, opens the log for writing. */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cli/cli.h"
#include "core/json.h"
#include "core/load.h"
#include "core/text.h"

int cli_read_def(struct cli *c, const char *file, struct project *p, char **text, size_t *len)
{
	memset(p, 0, sizeof *p);
	*text = NULL;
	*len = 0;
	int err = 0;
	char *buf = file_read_all(file, (size_t)LOAD_MAX_FILE, len, &err);
	if (!buf) {
		cli_error(0, "%s: %s", file, strerror(err));
		return err == ENOENT ? EXIT_NOINPUT : EXIT_IOERR;
	}
	struct diags d = {0};
	int rc = load_project_mem(file, buf, *len, p, &d);
	cli_diags(c, &d);
	diags_free(&d);
	if (rc != 0) {
		free(buf);
		*len = 0;
		return EXIT_DATAERR;
	}
	if (!p->path)
		p->path = xstrdup(file);
	*text = buf;
	return 0;
}

/* Identity and the demo's grant against the plan now loaded. */
static void plan_identity(struct cli *c)
{
	struct err e = {0};
	if (identity_current(&c->proj, &c->id, &e) != 0) {
		c->id.partner = -1;
		c->id.coordinator = 0;
	}
	if (c->demo_login)
		identity_demo_grant(&c->proj, &c->id, c->demo_login);
}

/* Say once when the definition file named differs from the plan in force. */
static void plan_compare(struct cli *c)
{
	if (c->plan_said || c->paths.bundled || !c->paths.project || c->nplans == 0)
		return;
	c->plan_said = 1;
	int now = plan_in_force(c->plans, c->nplans, c->today > c->asof ? c->today : c->asof);
	char day[11];
	const struct plan_version *v = &c->plans[now];
	int same = plan_digest_file_is(v->digest, c->paths.project, (size_t)LOAD_MAX_FILE);
	if (same >= 0) {
		snprintf(c->plan_said_digest, sizeof c->plan_said_digest, "%s", v->digest);
		c->plan_said_same = same;
	}
	if (same != 0)
		return;
	const char *base = strrchr(c->paths.project, '/');
	char *name = text_sanitize(base ? base + 1 : c->paths.project, TEXT_ASCII);
	char *who = text_sanitize(v->login ? v->login : "", TEXT_ASCII);
	fprintf(stderr, "consort: %s differs from the plan in the log, version %d of %s by %s; "
	                "the log's plan is used\n", name, v->number, cli_date(v->effective, day), who);
	free(name);
	free(who);
}

int cli_plan_at(struct cli *c, cdate asof)
{
	if (!c->store || c->nplans == 0)
		return 0;
	int i = plan_in_force(c->plans, c->nplans, asof);
	if (c->proj_loaded && c->plan_version == c->plans[i].number)
		return 0;
	struct project p;
	struct err e = {0};
	if (plan_load(c->store, c->plans[i].number, c->paths.db, &p, NULL, NULL, &e) != 0)
		return cli_fail(&e);
	if (c->proj_loaded)
		project_free(&c->proj);
	c->proj = p;
	c->proj_loaded = 1;
	c->plan_version = c->plans[i].number;
	plan_identity(c);
	return 0;
}

/* A log without a plan gets the definition as its version 1, from a
 * coordinator of that definition or root, when opened for writing. */
static int plan_adopt(struct cli *c)
{
	struct project p;
	char *text;
	size_t len;
	int rc = cli_read_def(c, c->paths.project, &p, &text, &len);
	if (rc)
		return rc;
	struct identity id;
	struct err e = {0};
	identity_current(&p, &id, NULL);
	if (!id.coordinator && id.uid != 0) {
		project_free(&p);
		free(text);
		return 0;
	}
	struct write_req r = {.op = W_AMEND, .plan = &p, .plan_text = text, .plan_len = len,
	                      .note = "the definition given when the log was first opened by this release"};
	int64_t first = 0;
	if (write_apply(c->store, &p, &id, &r, c->today, &first, &e) != 0) {
		project_free(&p);
		free(text);
		return cli_fail(&e);
	}
	char *db = text_sanitize(c->paths.db, TEXT_ASCII);
	char *def = text_sanitize(c->paths.project, TEXT_ASCII);
	fprintf(stderr, "consort: %s had no plan: recorded %s as its version 1 (#%lld)\n", db, def,
	        (long long)first);
	free(db);
	free(def);
	project_free(&p);
	free(text);
	return 0;
}

int cli_plan(struct cli *c, enum store_mode mode)
{
	struct err e = {0};
	plan_versions_free(c->plans, c->nplans);
	c->plans = NULL;
	c->nplans = 0;
	if (plan_versions(c->store, c->recorded_until_ms, &c->plans, &c->nplans, &e) != 0)
		return cli_fail(&e);
	if (c->nplans == 0 && mode == STORE_WRITE && !c->paths.demo && !c->paths.bundled) {
		int rc = plan_adopt(c);
		if (rc)
			return rc;
		if (plan_versions(c->store, c->recorded_until_ms, &c->plans, &c->nplans, &e) != 0)
			return cli_fail(&e);
	}
	if (c->nplans == 0) {
		/* An earlier release's log: the definition file, as before. */
		int rc = cli_load_project(c);
		if (rc)
			return rc;
		plan_identity(c);
		return 0;
	}
	int rc = cli_plan_at(c, c->asof);
	if (rc)
		return rc;
	plan_compare(c);
	return 0;
}

/* ---- showing a diff ---- */

static const char *change_word(enum plan_change ch)
{
	return ch == PLAN_ADDED ? "added" : ch == PLAN_REMOVED ? "removed" : "changed";
}

void cli_diff_text(FILE *f, const struct plan_diff *v, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		fprintf(f, "  %-8s %s ", change_word(v[i].change), v[i].kind);
		cli_put(f, v[i].id);
		if (v[i].change == PLAN_CHANGED) {
			fprintf(f, " %s: ", v[i].field);
			cli_put(f, v[i].old);
			fputs(" -> ", f);
			cli_put(f, v[i].new);
		}
		fputc('\n', f);
	}
}

void cli_diff_json(struct json *j, const struct plan_diff *v, size_t n)
{
	json_arr_begin(j);
	for (size_t i = 0; i < n; i++) {
		json_obj_begin(j);
		json_key(j, "change");
		json_str(j, change_word(v[i].change));
		json_key(j, "kind");
		json_str(j, v[i].kind);
		json_key(j, "id");
		json_str(j, v[i].id);
		if (v[i].change == PLAN_CHANGED) {
			json_key(j, "field");
			json_str(j, v[i].field);
			json_key(j, "old");
			json_str(j, v[i].old);
			json_key(j, "new");
			json_str(j, v[i].new);
		}
		json_obj_end(j);
	}
	json_arr_end(j);
}
