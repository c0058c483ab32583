/* consort: a terminal dashboard for the consortium of an EU-funded project.
 * main parses the global options, finds the command and decides the exit. */
#include "config.h"

#include <locale.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cli.h"

struct command {
	const char *name;
	cli_cmd_fn fn;
	const char *usage;
	const char *summary;
};

static const struct command commands[] = {
	{"status", cmd_status, "status [--json] [--check]", "a one-screen summary; --check exits 1 when anything is late"},
	{"snapshot", cmd_snapshot, "snapshot [--size COLSxROWS] [--pane NAME]", "the dashboard rendered as plain text"},
	{"update", cmd_update, "update ITEM [--status S] [--progress PCT] [--note TEXT] [--date DATE]", "record a task's, deliverable's or milestone's progress"},
	{"record", cmd_record, "record TARGET VALUE [--partner ID] [--note TEXT] [--date DATE]", "record reach: +N, -N, =N, or a value for a distinct target"},
	{"bench", cmd_bench, "bench CLUSTER INDICATOR VALUE [--note TEXT] [--date DATE] | bench CLUSTER --label LABEL", "record a benchmark value or label"},
	{"log", cmd_log, "log [ITEM] [--since DATE] [--by LOGIN] [--limit N] [--json]", "the history, newest first"},
	{"revert", cmd_revert, "revert ID --note TEXT", "a new entry that undoes entry ID"},
	{"check", cmd_check, "check [FILE]", "validate a definition"},
	{"init", cmd_init, "init [--group NAME]", "create the log for a definition (--group: shared by a group)"},
	{"demo", cmd_demo, "demo [--db FILE]", "(re)create the bundled 5FOREXCELLENCE demo"},
	{"export", cmd_export, "export --format md|csv|json [--period ID] [--output FILE]", "a report for a period or the whole project"},
};

static void usage(FILE *f)
{
	fprintf(f, "usage: consort [--project FILE] [--db FILE] [--as-of DATE] [COMMAND [ARGS]]\n\n"
	           "With no command, consort opens the full-screen dashboard.\n\nCommands:\n");
	for (size_t i = 0; i < sizeof commands / sizeof commands[0]; i++)
		fprintf(f, "  %-10s %s\n", commands[i].name, commands[i].summary);
	fprintf(f, "\nGlobal options (before or after the command):\n"
	           "  --project FILE  the project definition (YAML)\n"
	           "  --db FILE       the progress log (SQLite)\n"
	           "  --as-of DATE    the project as it stood at the end of DATE (YYYY-MM-DD)\n"
	           "  --help          this help; with a command, that command's usage\n"
	           "  --version       the version\n\n"
	           "Exit codes: 0 ok, 1 late (status --check), 64 usage, 65 bad data,\n"
	           "66 missing input, 69 log busy, 74 I/O error, 77 permission denied.\n"
	           "See consort(1) and consort-project(5).\n");
}

/* Take a global option with a value, as "--opt VALUE" or "--opt=VALUE". */
static int take_value(int argc, char **argv, int *i, const char *opt, const char **out, int *bad)
{
	size_t n = strlen(opt);
	if (strncmp(argv[*i], opt, n) != 0)
		return 0;
	if (argv[*i][n] == '=') {
		*out = argv[*i] + n + 1;
		return 1;
	}
	if (argv[*i][n] != '\0')
		return 0;
	if (*i + 1 >= argc) {
		fprintf(stderr, "consort: %s needs a value\n", opt);
		*bad = 1;
		return 1;
	}
	*out = argv[++*i];
	return 1;
}

int main(int argc, char **argv)
{
	/* The character set is all consort takes from the locale (UTF-8 or
	 * not, character widths): numbers, dates and messages are written the
	 * same everywhere, and loading the other categories costs every
	 * command time. */
	setlocale(LC_CTYPE, "");

	struct cli c;
	memset(&c, 0, sizeof c);
	c.today = date_today();
	c.ascii = cli_ascii(stdout);

	char **rest = calloc((size_t)argc + 1, sizeof *rest);
	if (!rest)
		return EXIT_SOFTWARE;
	int nrest = 0, help = 0, version = 0, bad = 0, dashdash = 0;
	for (int i = 1; i < argc; i++) {
		if (dashdash) {
			rest[nrest++] = argv[i];
			continue;
		}
		if (strcmp(argv[i], "--") == 0) {
			dashdash = 1;
			rest[nrest++] = argv[i];
		} else if (take_value(argc, argv, &i, "--project", &c.opt_project, &bad) ||
		           take_value(argc, argv, &i, "--db", &c.opt_db, &bad) ||
		           take_value(argc, argv, &i, "--as-of", &c.opt_asof, &bad)) {
			;
		} else if (strcmp(argv[i], "--help") == 0 || strcmp(argv[i], "-h") == 0) {
			help = 1;
		} else if (strcmp(argv[i], "--version") == 0 || strcmp(argv[i], "-V") == 0) {
			version = 1;
		} else {
			rest[nrest++] = argv[i];
		}
	}
	int rc = 0;
	if (bad) {
		rc = EXIT_USAGE;
		goto out;
	}
	if (version) {
		printf("consort %s\n"
		       "Copyright (C) 2026 the consort authors\n"
		       "License GPL-2.0-or-later: GNU GPL version 2 or later <https://gnu.org/licenses/gpl.html>.\n"
		       "This is free software: you are free to change and redistribute it.\n"
		       "There is NO WARRANTY, to the extent permitted by law.\n",
		       PACKAGE_VERSION);
		rc = cli_finish(stdout, NULL, NULL);
		goto out;
	}
	if (c.opt_asof) {
		if (date_parse(c.opt_asof, &c.asof) != 0) {
			rc = cli_error(EXIT_USAGE, "--as-of: expected a date YYYY-MM-DD, found '%s'", c.opt_asof);
			goto out;
		}
		c.asof_given = 1;
	}

	const struct command *cmd = NULL;
	if (nrest > 0 && rest[0][0] != '-') {
		for (size_t i = 0; i < sizeof commands / sizeof commands[0]; i++)
			if (strcmp(rest[0], commands[i].name) == 0)
				cmd = &commands[i];
		if (!cmd) {
			rc = cli_error(EXIT_USAGE, "unknown command '%s' (see consort --help)", rest[0]);
			goto out;
		}
	} else if (nrest > 0) {
		rc = cli_error(EXIT_USAGE, "unknown option '%s' (see consort --help)", rest[0]);
		goto out;
	}
	if (help) {
		if (cmd)
			printf("usage: consort %s\n  %s\n", cmd->usage, cmd->summary);
		else
			usage(stdout);
		rc = cli_finish(stdout, NULL, NULL);
		goto out;
	}
	if (cmd)
		rc = cmd->fn(&c, nrest, rest);
	else
		rc = cmd_dashboard(&c, 0, rest);
out:
	cli_free(&c);
	free(rest);
	return rc;
}
