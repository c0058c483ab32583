/* record TARGET VALUE: reach (+N, -N, =N for a count target, a value for a
 * distinct one) for the user's partner or --partner, through cli_apply. */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "cli/cli.h"

static int cmd_record(struct cli *c, int argc, char **argv);

const struct cli_command cli_cmd_record = {
	"record", cmd_record,
	"record TARGET VALUE [--partner ID] [--note TEXT] [--date DATE]",
	"record reach: +N, -N, =N, or a value for a distinct target",
};

static int cmd_record(struct cli *c, int argc, char **argv)
{
	const char *partner = NULL, *note = NULL, *date = NULL;
	char *pos[2];
	int npos = 0;
	const struct cli_opt opts[] = {
		{"partner", &partner, NULL},
		{"note", &note, NULL},
		{"date", &date, NULL},
		{NULL, NULL, NULL},
	};
	int rc = cli_parse(c, &cli_cmd_record, argc, argv, opts, pos, 2, &npos);
	if (rc || (rc = cli_need("record", npos, 2, "TARGET VALUE")))
		return rc;
	struct write_req r;
	memset(&r, 0, sizeof r);
	r.op = W_RECORD;
	r.item = pos[0];
	r.value = pos[1];
	r.partner = partner;
	r.progress = -1;
	r.note = note;
	r.date = date;
	if ((rc = cli_open(c, STORE_READ)) != 0)
		return rc;
	/* The partner named in the confirmation: the given one, else the user's. */
	const char *who = partner ? partner : c->id.partner >= 0 ? c->proj.partners[c->id.partner].id : "?";
	return cli_apply(c, "record", &r, "%s %s for %s", pos[0], pos[1], who);
}
