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
	"update ITEM [--status S] [--progress PCT] [--note TEXT] [--date DATE] [--link URL|DOI]\n"
	"       consort update --from FILE [--dry-run]   (CSV: item,status,progress,date,note)",
	"record a task's, deliverable's or milestone's progress",
	1,
};

static int parse_progress(const char *s, int *out)
{
	char *end;
	errno = 0;
	long v = strtol(s, &end, 10);
	if (errno || end == s || *end != '\0' || v < 0 || v > 100)
		return -1;
	*out = (int)v;
	return 0;
}

/* One row of update --from: a status, a progress or both, or a note alone. */
static const char *const update_cols[] = {"item", "status", "progress", "date", "note"};

static int update_row(char *const *f, struct write_req *r, struct err *e)
{
	if (!f[0])
		return err_set(e, EXIT_DATAERR, "a row needs an item");
	if (!f[1] && !f[2] && !f[4])
		return err_set(e, EXIT_DATAERR, "%s: give a status, a progress or a note", f[0]);
	r->op = f[1] || f[2] ? W_UPDATE : W_NOTE;
	r->item = f[0];
	r->status = f[1];
	r->date = f[3];
	r->note = f[4];
	if (f[2] && parse_progress(f[2], &r->progress) < 0)
		return err_set(e, EXIT_DATAERR, "progress: expected a percentage 0-100, found '%.20s'", f[2]);
	return 0;
}

static int cmd_update(struct cli *c, int argc, char **argv)
{
	const char *status = NULL, *progress = NULL, *note = NULL, *date = NULL, *from = NULL, *link = NULL;
	int dry_run = 0;
	char *pos[1];
	int npos = 0;
	const struct cli_opt opts[] = {
		{"status", &status, NULL},
		{"progress", &progress, NULL},
		{"note", &note, NULL},
		{"date", &date, NULL},
		{"from", &from, NULL},
		{"dry-run", NULL, &dry_run},
		{"link", &link, NULL},
		{NULL, NULL, NULL},
	};
	int rc = cli_parse(c, &cli_cmd_update, argc, argv, opts, pos, 1, &npos);
	if (rc)
		return rc;
	if (from) {
		if (npos || status || progress || note || date || link)
			return cli_error(EXIT_USAGE, "update: --from takes its items, statuses, progress, dates and notes from the file");
		return cli_apply_from(c, "update", from, update_cols, 5, update_row, dry_run);
	}
	if (dry_run)
		return cli_error(EXIT_USAGE, "update: --dry-run goes with --from");
	if ((rc = cli_need("update", npos, 1, "ITEM")))
		return rc;
	if (!status && !progress && !note)
		return cli_error(EXIT_USAGE, "update: give --status, --progress or --note (see consort update --help)");
	if (!status && !progress && !link)
		return cli_note(c, "update", pos[0], note, date);
	struct write_req r;
	memset(&r, 0, sizeof r);
	r.op = W_UPDATE;
	r.item = pos[0];
	r.status = status;
	r.progress = -1;
	r.note = note;
	r.date = date;
	r.link = link;
	if (progress && parse_progress(progress, &r.progress) < 0)
		return cli_error(EXIT_DATAERR, "update: --progress: expected a percentage 0-100, found '%s'",
		                 progress);
	char pr[24] = "";
	if (progress)
		snprintf(pr, sizeof pr, "progress %d", r.progress);
	return cli_apply(c, "update", &r, "%s%s%s%s%s%s%s", pos[0], status ? " status " : "",
	                    status ? status : "", progress ? (status ? ", " : " ") : "", pr,
	                    link ? ", document " : "", link ? link : "");
}
