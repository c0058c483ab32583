/* bench CLUSTER INDICATOR VALUE, or bench CLUSTER --label LABEL: a
 * benchmark value or label, through cli_apply. */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "cli/cli.h"

static int cmd_bench(struct cli *c, int argc, char **argv);

const struct cli_command cli_cmd_bench = {
	"bench", cmd_bench,
	"bench CLUSTER INDICATOR VALUE [--note TEXT] [--date DATE] | bench CLUSTER --label LABEL",
	"record a benchmark value or label",
	0,
};

static int cmd_bench(struct cli *c, int argc, char **argv)
{
	const char *label = NULL, *note = NULL, *date = NULL;
	char *pos[3];
	int npos = 0;
	const struct cli_opt opts[] = {
		{"label", &label, NULL},
		{"note", &note, NULL},
		{"date", &date, NULL},
		{NULL, NULL, NULL},
	};
	int rc = cli_parse(c, &cli_cmd_bench, argc, argv, opts, pos, 3, &npos);
	if (rc)
		return rc;
	struct write_req r;
	memset(&r, 0, sizeof r);
	r.progress = -1;
	r.note = note;
	r.date = date;
	if (label) {
		if (npos != 1)
			return cli_error(EXIT_USAGE, "bench: with --label, give only CLUSTER (see consort bench --help)");
		r.op = W_LABEL;
		r.partner = pos[0];
		r.value = label;
		return cli_apply(c, "bench", &r, "%s label %s", pos[0], label);
	}
	if ((rc = cli_need("bench", npos, 3, "CLUSTER INDICATOR VALUE")))
		return rc;
	r.op = W_BENCH;
	r.partner = pos[0];
	r.item = pos[1];
	r.value = pos[2];
	return cli_apply(c, "bench", &r, "%s %s = %s", pos[0], pos[1], pos[2]);
}
