/* record TARGET VALUE: reach (+N, -N, =N for a count target, a value for a
 * distinct one) for the user's partner or --partner, through cli_apply. */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "cli/cli.h"

static int cmd_record(struct cli *c, int argc, char **argv);

const struct cli_command cli_cmd_record = {
	"record", cmd_record,
	"record TARGET VALUE [--partner ID] [--note TEXT] [--date DATE]\n"
	"       consort record --from FILE [--dry-run]   (CSV: target,value,partner,date,note)",
	"record reach: +N, -N, =N, or a value for a distinct target",
	1,
};

/* One row of record --from. */
static const char *const record_cols[] = {"target", "value", "partner", "date", "note"};

static int record_row(char *const *f, struct write_req *r, struct err *e)
{
	if (!f[0] || !f[1])
		return err_set(e, EXIT_DATAERR, "a row needs a target and a value");
	r->op = W_RECORD;
	r->item = f[0];
	r->value = f[1];
	r->partner = f[2];
	r->date = f[3];
	r->note = f[4];
	return 0;
}

static int cmd_record(struct cli *c, int argc, char **argv)
{
	const char *partner = NULL, *note = NULL, *date = NULL, *from = NULL;
	int dry_run = 0;
	char *pos[2];
	int npos = 0;
	const struct cli_opt opts[] = {
		{"partner", &partner, NULL},
		{"note", &note, NULL},
		{"date", &date, NULL},
		{"from", &from, NULL},
		{"dry-run", NULL, &dry_run},
		{NULL, NULL, NULL},
	};
	int rc = cli_parse(c, &cli_cmd_record, argc, argv, opts, pos, 2, &npos);
	if (rc)
		return rc;
	if (from) {
		if (npos || partner || note || date)
			return cli_error(EXIT_USAGE, "record: --from takes its targets, values, partners, dates and notes from the file");
		return cli_apply_from(c, "record", from, record_cols, 5, record_row, dry_run);
	}
	if (dry_run)
		return cli_error(EXIT_USAGE, "record: --dry-run goes with --from");
	if ((rc = cli_need("record", npos, 2, "TARGET VALUE")))
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
	if ((rc = cli_open(c, STORE_CHECK)) != 0)
		return rc;
	const char *who = cli_partner_shown(c, partner);
	return cli_apply(c, "record", &r, "%s %s for %s", pos[0], pos[1], who);
}
