/* effort WP PM: the person-months a partner spent on a work package in a
 * month (the user's partner or --partner; the month of the entry's date or
 * --month), through cli_apply. A later entry for the same partner, WP and
 * month replaces the earlier one. */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "cli/cli.h"

static int cmd_effort(struct cli *c, int argc, char **argv);

const struct cli_command cli_cmd_effort = {
	"effort", cmd_effort,
	"effort WP PM [--partner ID] [--month YYYY-MM] [--note TEXT] [--date DATE]",
	"record the person-months spent on a work package in a month",
	1,
};

static int cmd_effort(struct cli *c, int argc, char **argv)
{
	const char *partner = NULL, *note = NULL, *date = NULL, *month = NULL;
	char *pos[2];
	int npos = 0;
	const struct cli_opt opts[] = {
		{"partner", &partner, NULL},
		{"month", &month, NULL},
		{"note", &note, NULL},
		{"date", &date, NULL},
		{NULL, NULL, NULL},
	};
	int rc = cli_parse(c, &cli_cmd_effort, argc, argv, opts, pos, 2, &npos);
	if (rc || (rc = cli_need("effort", npos, 2, "WP PM")))
		return rc;
	struct write_req r;
	memset(&r, 0, sizeof r);
	r.op = W_EFFORT;
	r.item = pos[0];
	r.value = pos[1];
	r.partner = partner;
	r.month = month;
	r.progress = -1;
	r.note = note;
	r.date = date;
	if ((rc = cli_open(c, STORE_CHECK)) != 0)
		return rc;
	const char *who = cli_partner_shown(c, partner);
	return cli_apply(c, "effort", &r, "%s %s person-months for %s%s%s", pos[0], pos[1], who,
	                 month ? " in " : "", month ? month : "");
}
