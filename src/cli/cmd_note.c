/* note ITEM TEXT: a comment on a task, deliverable, milestone, work
 * package, target or cluster, an entry that changes no state (kind
 * "note"), through cli_apply. Any listed partner's user may comment. */
#include "config.h"

#include <string.h>

#include "cli/cli.h"

static int cmd_note(struct cli *c, int argc, char **argv);

const struct cli_command cli_cmd_note = {
	"note", cmd_note,
	"note ITEM TEXT [--date DATE]",
	"comment on an item without changing its state",
	1,
};

int cli_note(struct cli *c, const char *cmd, const char *item, const char *text, const char *date)
{
	struct write_req r;
	memset(&r, 0, sizeof r);
	r.op = W_NOTE;
	r.item = item;
	r.progress = -1;
	r.note = text;
	r.date = date;
	return cli_apply(c, cmd, &r, "note on %s", item);
}

static int cmd_note(struct cli *c, int argc, char **argv)
{
	const char *date = NULL;
	char *pos[2];
	int npos = 0;
	const struct cli_opt opts[] = {
		{"date", &date, NULL},
		{NULL, NULL, NULL},
	};
	int rc = cli_parse(c, &cli_cmd_note, argc, argv, opts, pos, 2, &npos);
	if (rc || (rc = cli_need("note", npos, 2, "ITEM TEXT")))
		return rc;
	return cli_note(c, "note", pos[0], pos[1], date);
}
