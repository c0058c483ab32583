/* revert ID --note TEXT: a new entry that undoes entry ID (at its date
 * unless --date is given), through cli_apply. */
#include "config.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cli.h"

static int cmd_revert(struct cli *c, int argc, char **argv);

const struct cli_command cli_cmd_revert = {
	"revert", cmd_revert,
	"revert ID --note TEXT [--date DATE]",
	"a new entry that undoes entry ID",
	1,
};

static int cmd_revert(struct cli *c, int argc, char **argv)
{
	const char *note = NULL, *date = NULL;
	char *pos[1];
	int npos = 0;
	const struct cli_opt opts[] = {
		{"note", &note, NULL},
		{"date", &date, NULL},
		{NULL, NULL, NULL},
	};
	int rc = cli_parse(c, &cli_cmd_revert, argc, argv, opts, pos, 1, &npos);
	if (rc || (rc = cli_need("revert", npos, 1, "ID")))
		return rc;
	if (!note || !*note)
		return cli_error(EXIT_USAGE, "revert: --note TEXT is required: say why (see consort revert --help)");
	const char *s = pos[0][0] == '#' ? pos[0] + 1 : pos[0];
	char *end;
	errno = 0;
	long long id = strtoll(s, &end, 10);
	if (errno || end == s || *end != '\0' || id <= 0)
		return cli_error(EXIT_DATAERR, "revert: expected an entry id such as 42, found '%s'", pos[0]);
	struct write_req r;
	memset(&r, 0, sizeof r);
	r.op = W_REVERT;
	r.progress = -1;
	r.revert_id = (int64_t)id;
	r.note = note;
	r.date = date;
	return cli_apply(c, "revert", &r, "revert of #%lld", id);
}
