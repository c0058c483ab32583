/* cost CATEGORY AMOUNT: money a partner spent, in the project's currency
 * (the user's partner or --partner, optionally on --wp), through
 * cli_apply. A negative amount is a correction. */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "cli/cli.h"

static int cmd_cost(struct cli *c, int argc, char **argv);

const struct cli_command cli_cmd_cost = {
	"cost", cmd_cost,
	"cost CATEGORY AMOUNT [--wp WP] [--partner ID] [--date DATE] [--note TEXT]",
	"record money spent: personnel, subcontracting, travel, equipment or other",
	1,
};

static int cmd_cost(struct cli *c, int argc, char **argv)
{
	const char *partner = NULL, *note = NULL, *date = NULL, *wp = NULL;
	char *pos[2];
	int npos = 0;
	const struct cli_opt opts[] = {
		{"wp", &wp, NULL},
		{"partner", &partner, NULL},
		{"date", &date, NULL},
		{"note", &note, NULL},
		{NULL, NULL, NULL},
	};
	int rc = cli_parse(c, &cli_cmd_cost, argc, argv, opts, pos, 2, &npos);
	if (rc || (rc = cli_need("cost", npos, 2, "CATEGORY AMOUNT")))
		return rc;
	struct write_req r;
	memset(&r, 0, sizeof r);
	r.op = W_COST;
	r.item = pos[0];
	r.value = pos[1];
	r.partner = partner;
	r.wp = wp;
	r.progress = -1;
	r.note = note;
	r.date = date;
	if ((rc = cli_open(c, STORE_CHECK)) != 0)
		return rc;
	const char *who = cli_partner_shown(c, partner);
	return cli_apply(c, "cost", &r, "%s %s for %s%s%s", pos[0], pos[1], who,
	                 wp ? " on " : "", wp ? wp : "");
}
