/* cmd_snapshot: `consort snapshot [--size COLSxROWS] [--pane NAME]` prints
 * the dashboard rendered off-screen as plain text (for mail, reports and
 * tests). The size defaults to the terminal's when stdout is one, else
 * 80x24. */
#include "config.h"

#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>

#include "cli/cli.h"
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

int cmd_snapshot(struct cli *c, int argc, char **argv)
{
	const char *size = NULL, *pane = NULL;
	for (int i = 1; i < argc; i++) {
		const char **slot = NULL;
		const char *opt = argv[i];
		if (strncmp(opt, "--size", 6) == 0)
			slot = &size;
		else if (strncmp(opt, "--pane", 6) == 0)
			slot = &pane;
		if (!slot)
			return cli_error(EXIT_USAGE, "snapshot: unknown argument '%s' (usage: consort snapshot [--size COLSxROWS] [--pane NAME])", opt);
		if (opt[6] == '=')
			*slot = opt + 7;
		else if (opt[6] == '\0' && i + 1 < argc)
			*slot = argv[++i];
		else
			return cli_error(EXIT_USAGE, "snapshot: %.6s needs a value", opt);
	}
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
	int rc = cli_open(c, STORE_READ);
	if (rc)
		return rc;
	struct tui_ctx t = tui_ctx_from_cli(c);
	struct err e = {0};
	if (tui_snapshot(&t, cols, rows, pane, stdout, &e) != 0)
		return cli_fail(&e);
	return cli_finish(stdout, "snapshot", NULL);
}
