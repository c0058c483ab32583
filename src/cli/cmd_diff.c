/* diff: `consort diff [V1 [V2]] [--json]` says what changed between two
 * versions of the plan (default: version 1 against the one in force on
 * the as-of date): items added and removed, and each changed field of the
 * items in both, old -> new. A version that does not exist is 64. */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>

#include "cli/cli.h"
#include "core/json.h"

static int cmd_diff(struct cli *c, int argc, char **argv);
const struct cli_command cli_cmd_diff = {
	"diff", cmd_diff,
	"diff [V1 [V2]] [--json]",
	"what changed between two versions of the plan",
	0,
};

static int version_arg(const struct cli *c, const char *s, int *out)
{
	char *end;
	long v = strtol(s, &end, 10);
	if (!*s || *end || v < 1 || plan_find(c->plans, c->nplans, (int)v) < 0)
		return cli_error(EXIT_USAGE, "diff: no plan version '%s' (the log holds 1 to %zu)", s,
		                 c->nplans);
	*out = (int)v;
	return 0;
}

static int cmd_diff(struct cli *c, int argc, char **argv)
{
	int as_json = 0;
	char *pos[2];
	int npos = 0;
	const struct cli_opt opts[] = {
		{"json", NULL, &as_json},
		{NULL, NULL, NULL},
	};
	int rc = cli_parse(c, &cli_cmd_diff, argc, argv, opts, pos, 2, &npos);
	if (rc)
		return rc;
	if ((rc = cli_open(c, STORE_READ)) != 0)
		return rc;
	if (c->nplans == 0)
		return cli_error(EXIT_USAGE, "diff: %s holds no plan versions", c->paths.db);
	int a = 1, b = c->plans[plan_in_force(c->plans, c->nplans, c->asof)].number;
	if (npos >= 1 && (rc = version_arg(c, pos[0], &a)) != 0)
		return rc;
	if (npos >= 2 && (rc = version_arg(c, pos[1], &b)) != 0)
		return rc;
	struct project pa, pb;
	struct err e = {0};
	if (plan_load(c->store, a, c->paths.db, &pa, NULL, NULL, &e) != 0)
		return cli_fail(&e);
	if (plan_load(c->store, b, c->paths.db, &pb, NULL, NULL, &e) != 0) {
		project_free(&pa);
		return cli_fail(&e);
	}
	struct plan_diff *d;
	size_t nd;
	plan_diff_models(&pa, &pb, &d, &nd);
	if (as_json) {
		struct json j = {0};
		j.pretty = 1;
		json_obj_begin(&j);
		json_key(&j, "from");
		json_int(&j, a);
		json_key(&j, "to");
		json_int(&j, b);
		json_key(&j, "changes");
		cli_diff_json(&j, d, nd);
		json_obj_end(&j);
		fputs(json_text(&j), stdout);
		fputc('\n', stdout);
		json_free(&j);
	} else {
		printf("version %d -> version %d: %zu %s\n", a, b, nd, nd == 1 ? "change" : "changes");
		cli_diff_text(stdout, d, nd);
	}
	plan_diff_free(d, nd);
	project_free(&pa);
	project_free(&pb);
	return cli_finish(stdout, "diff", NULL);
}
