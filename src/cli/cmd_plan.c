/* plan: `consort plan [--json]` lists the plan's versions as the log
 * records them: number, effective date, when and by whom recorded, note;
 * the one in force on the as-of date is marked. */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>

#include "cli/cli.h"
#include "core/json.h"

static int cmd_plan(struct cli *c, int argc, char **argv);
const struct cli_command cli_cmd_plan = {
	"plan", cmd_plan,
	"plan [--json]",
	"list the plan's versions (the definition and its amendments)",
	0,
};

static int cmd_plan(struct cli *c, int argc, char **argv)
{
	int as_json = 0;
	char *pos[1];
	int npos = 0;
	const struct cli_opt opts[] = {
		{"json", NULL, &as_json},
		{NULL, NULL, NULL},
	};
	int rc = cli_parse(c, &cli_cmd_plan, argc, argv, opts, pos, 0, &npos);
	if (rc)
		return rc;
	if ((rc = cli_open(c, STORE_READ)) != 0)
		return rc;
	int now = plan_in_force(c->plans, c->nplans, c->asof);
	char day[11], iso[32];
	if (as_json) {
		struct json j = {0};
		j.pretty = 1;
		json_arr_begin(&j);
		for (size_t i = 0; i < c->nplans; i++) {
			const struct plan_version *v = &c->plans[i];
			json_obj_begin(&j);
			json_key(&j, "version");
			json_int(&j, v->number);
			json_key(&j, "effective");
			json_str(&j, cli_date(v->effective, day));
			json_key(&j, "recorded_at");
			json_str(&j, cli_iso_ms(v->recorded_at, iso));
			json_key(&j, "login");
			json_str(&j, v->login);
			json_key(&j, "note");
			json_str(&j, v->note);
			json_key(&j, "entry");
			json_int(&j, v->entry);
			json_key(&j, "digest");
			json_str(&j, v->digest);
			json_key(&j, "in_force");
			json_bool(&j, (int)i == now);
			json_obj_end(&j);
		}
		json_arr_end(&j);
		fputs(json_text(&j), stdout);
		fputc('\n', stdout);
		json_free(&j);
		return cli_finish(stdout, "plan", NULL);
	}
	if (c->nplans == 0) {
		fputs("no plan stored in ", stdout);
		cli_put(stdout, c->paths.db);
		fputs(" (a log made by an earlier release: the definition file is used)\n", stdout);
		return cli_finish(stdout, "plan", NULL);
	}
	for (size_t i = 0; i < c->nplans; i++) {
		const struct plan_version *v = &c->plans[i];
		printf("%c version %d  effective %s  recorded %s by ", (int)i == now ? '*' : ' ',
		       v->number, cli_date(v->effective, day), cli_iso_ms(v->recorded_at, iso));
		cli_put(stdout, v->login ? v->login : "");
		if (v->note) {
			fputs("  ", stdout);
			cli_put(stdout, v->note);
		}
		fputc('\n', stdout);
	}
	printf("* in force on %s\n", cli_date(c->asof, day));
	return cli_finish(stdout, "plan", NULL);
}
