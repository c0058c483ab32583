/* update ITEM: a task's, deliverable's or milestone's status or progress
 * (two entries when both are given), through cli_apply; --note alone is a
 * comment, as `consort note` writes it. */
#include "config.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cli.h"

static int cmd_update(struct cli *c, int argc, char **argv);

const struct cli_command cli_cmd_update = {
	"update", cmd_update,
	"update ITEM [--status S] [--progress PCT] [--note TEXT] [--date DATE]",
	"record a task's, deliverable's or milestone's progress",
};

static int cmd_update(struct cli *c, int argc, char **argv)
{
	const char *status = NULL, *progress = NULL, *note = NULL, *date = NULL;
	char *pos[1];
	int npos = 0;
	const struct cli_opt opts[] = {
		{"status", &status, NULL},
		{"progress", &progress, NULL},
		{"note", &note, NULL},
		{"date", &date, NULL},
		{NULL, NULL, NULL},
	};
	int rc = cli_parse(c, &cli_cmd_update, argc, argv, opts, pos, 1, &npos);
	if (rc || (rc = cli_need("update", npos, 1, "ITEM")))
		return rc;
	if (!status && !progress && !note)
		return cli_error(EXIT_USAGE, "update: give --status, --progress or --note (see consort update --help)");
	if (!status && !progress)
		return cli_note(c, "update", pos[0], note, date);
	struct write_req r;
	memset(&r, 0, sizeof r);
	r.op = W_UPDATE;
	r.item = pos[0];
	r.status = status;
	r.progress = -1;
	r.note = note;
	r.date = date;
	if (progress) {
		char *end;
		errno = 0;
		long v = strtol(progress, &end, 10);
		if (errno || end == progress || *end != '\0' || v < 0 || v > 100)
			return cli_error(EXIT_DATAERR, "update: --progress: expected a percentage 0-100, found '%s'",
			                 progress);
		r.progress = (int)v;
	}
	char pr[24] = "";
	if (progress)
		snprintf(pr, sizeof pr, "progress %d", r.progress);
	return cli_apply(c, "update", &r, "%s%s%s%s%s", pos[0], status ? " status " : "",
	                    status ? status : "", progress ? (status ? ", " : " ") : "", pr);
}
