/* cmd_snapshot: `consort snapshot [--size COLSxROWS] [--pane NAME]
 * [--baseline N|FILE]` prints the dashboard rendered off-screen as plain
 * text (for mail, reports and tests). The size defaults to the terminal's
 * when stdout is one, else 80x24. --baseline turns the baseline view on
 * against plan version N, or against a definition FILE taken as the first
 * plan. */
#include "config.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>

#include "cli/cli.h"
#include "core/load.h"
#include "tui/tui.h"

static int parse_size(const char *s, int *cols, int *rows)
{
	char *end = NULL;
	long c = strtol(s, &end, 10);
	if (end == s || (*end != 'x' && *end != 'X'))
		return -1;
	const char *r0 = end + 1;
	long r = strtol(r0, &end, 10);
	if (end == r0 || *end != '\0' || c < 1 || r < 1 || c > 1000 || r > 1000)
		return -1;
	*cols = (int)c;
	*rows = (int)r;
	return 0;
}

static int cmd_snapshot(struct cli *c, int argc, char **argv);

/* --baseline: a plan version's number, or a definition file. */
static int baseline_arg(const char *arg, struct tui_ctx *t, struct project *base)
{
	char *end = NULL;
	long n = strtol(arg, &end, 10);
	if (end != arg && *end == '\0') {
		if (n < 1 || n > 1000000)
			return cli_error(EXIT_USAGE, "snapshot: --baseline: no plan version %s", arg);
		t->baseline = (int)n;
		return 0;
	}
	struct diags d;
	memset(&d, 0, sizeof d);
	int io = 0;
	if (load_project_file(arg, base, &d, &io) != 0) {
		char *line = d.n ? diag_format(&d, &d.v[0]) : xasprintf("%s: %s", arg, strerror(io));
		int code = io == ENOENT ? EXIT_NOINPUT : io ? EXIT_IOERR : EXIT_DATAERR;
		diags_free(&d);
		cli_error(code, "snapshot: --baseline: %s", line);
		free(line);
		return code;
	}
	diags_free(&d);
	t->baseline_def = base;
	t->baseline = 1;
	return 0;
}

const struct cli_command cli_cmd_snapshot = {
	"snapshot", cmd_snapshot,
	"snapshot [--size COLSxROWS] [--pane NAME] [--baseline N|FILE]",
	"the dashboard rendered as plain text",
	1,
};

static int cmd_snapshot(struct cli *c, int argc, char **argv)
{
	const char *size = NULL, *pane = NULL, *baseline = NULL;
	char *pos[1];
	int npos = 0;
	const struct cli_opt opts[] = {
		{"size", &size, NULL},
		{"pane", &pane, NULL},
		{"baseline", &baseline, NULL},
		{NULL, NULL, NULL},
	};
	int rc = cli_parse(c, &cli_cmd_snapshot, argc, argv, opts, pos, 0, &npos);
	if (rc)
		return rc;
	int cols = 80, rows = 24;
	if (size) {
		if (parse_size(size, &cols, &rows) != 0)
			return cli_error(EXIT_USAGE, "snapshot: --size: expected COLSxROWS such as 80x24 (1 to 1000 each), found '%s'", size);
	} else if (isatty(STDOUT_FILENO)) {
		struct winsize ws;
		if (ioctl(STDOUT_FILENO, TIOCGWINSZ, &ws) == 0 && ws.ws_col > 0 && ws.ws_row > 0) {
			cols = ws.ws_col;
			rows = ws.ws_row;
		}
	}
	if ((rc = cli_open(c, STORE_READ)) != 0)
		return rc;
	struct tui_ctx t = tui_ctx_from_cli(c);
	struct project base;
	memset(&base, 0, sizeof base);
	if (baseline && (rc = baseline_arg(baseline, &t, &base)) != 0)
		return rc;
	struct err e = {0};
	rc = tui_snapshot(&t, cols, rows, pane, stdout, &e);
	project_free(&base);
	if (rc != 0)
		return cli_fail(&e);
	return cli_finish(stdout, "snapshot", NULL);
}
