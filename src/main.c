/* consort: a terminal dashboard for the consortium of an EU-funded project.
 * main parses the global options, finds the command and decides the exit. */
#include "config.h"

#include <locale.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cli.h"
#include "core/priv.h"
#include "core/util.h"

static const struct cli_command *const commands[] = {
	&cli_cmd_status, &cli_cmd_snapshot, &cli_cmd_update, &cli_cmd_record, &cli_cmd_bench,
	&cli_cmd_log, &cli_cmd_revert, &cli_cmd_check, &cli_cmd_init, &cli_cmd_demo, &cli_cmd_export,
	&cli_cmd_verify, &cli_cmd_note, &cli_cmd_due,
	&cli_cmd_amend, &cli_cmd_plan, &cli_cmd_diff,
	&cli_cmd_effort, &cli_cmd_cost,
};

static void usage(FILE *f)
{
	fprintf(f, "usage: consort [--project FILE] [--db FILE] [--as-of DATE] [--as-recorded DATE] [COMMAND [ARGS]]\n\n"
	           "With no command, consort opens the full-screen dashboard.\n\nCommands:\n");
	for (size_t i = 0; i < sizeof commands / sizeof commands[0]; i++)
		fprintf(f, "  %-10s %s\n", commands[i]->name, commands[i]->summary);
	fprintf(f, "\nGlobal options (before or after the command):\n"
	           "  --project FILE  the project definition (YAML)\n"
	           "  --db FILE       the progress log (SQLite)\n"
	           "  --as-of DATE    the project as it stood at the end of DATE (YYYY-MM-DD)\n"
	           "  --as-recorded DATE  only the entries recorded by the end of DATE\n"
	           "  --help          this help; with a command, that command's usage\n"
	           "  --version       the version\n\n"
	           "Exit codes: 0 ok, 1 late (status --check), 64 usage, 65 bad data,\n"
	           "66 missing input, 69 log busy, 74 I/O error, 77 permission denied.\n"
	           "See consort(1) and consort-project(5).\n");
}

int main(int argc, char **argv)
{
	/* First of all: a setgid consort opens the shared log with its group's
	 * right and gives the right up (priv.h). */
	priv_start(argc, argv);

	/* The character set is all consort takes from the locale (UTF-8 or
	 * not, character widths): numbers, dates and messages are written the
	 * same everywhere, and loading the other categories costs every
	 * command time. */
	setlocale(LC_CTYPE, "");

	struct cli c;
	memset(&c, 0, sizeof c);
	c.scope = -1;
	c.today = date_today();
	c.ascii = cli_ascii(stdout);

	/* The global options before the command; the command reads its own
	 * and the global ones after it (cli_parse). */
	int first = argc;
	int rc = cli_parse(&c, NULL, argc, argv, NULL, NULL, 0, &first);
	if (rc)
		goto out;
	if (c.version) {
		cli_version(stdout);
		rc = cli_finish(stdout, NULL, NULL);
		goto out;
	}
	const struct cli_command *cmd = NULL;
	if (first < argc) {
		for (size_t i = 0; i < sizeof commands / sizeof commands[0]; i++)
			if (strcmp(argv[first], commands[i]->name) == 0)
				cmd = commands[i];
		if (!cmd && strcmp(argv[first], cli_cmd_complete.name) == 0)
			cmd = &cli_cmd_complete; /* hidden: for the shell's completion */
		if (!cmd) {
			rc = cli_error(EXIT_USAGE, "unknown command '%s' (see consort --help)", argv[first]);
			goto out;
		}
	}
	if (c.help) {
		if (cmd)
			cli_usage(stdout, cmd);
		else
			usage(stdout);
		rc = cli_finish(stdout, NULL, NULL);
		goto out;
	}
	if (cmd && cmd->brief)
		heap_brief();
	if (cmd)
		rc = cmd->run(&c, argc - first, argv + first);
	else
		rc = cmd_dashboard(&c, 0, argv + first);
	if (rc == CLI_DONE)
		rc = 0;
out:
	cli_free(&c);
	return rc;
}
