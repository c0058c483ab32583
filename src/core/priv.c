/* priv: open the shared log with the setgid group's right, then drop it. */
#include "config.h"
#include "core/priv.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "core/store.h"

/* The log's path as the command line or the environment names it: the
 * last --db FILE or --db=FILE before "--", else CONSORT_DB. A path another
 * reading of the line would give differently is simply not held. */
static const char *priv_db(int argc, char **argv)
{
	const char *db = NULL;
	for (int i = 1; i < argc; i++) {
		if (strcmp(argv[i], "--") == 0)
			break;
		if (strcmp(argv[i], "--db") == 0 && i + 1 < argc)
			db = argv[++i];
		else if (strncmp(argv[i], "--db=", 5) == 0)
			db = argv[i] + 5;
		else if ((strcmp(argv[i], "--project") == 0 || strcmp(argv[i], "--as-of") == 0) && i + 1 < argc)
			i++;
	}
	if (!db || !*db)
		db = getenv("CONSORT_DB");
	return db && *db ? db : NULL;
}

/* Does the command line name a command that may write the log? The
 * command is the first word that is not a global option or its value;
 * none is the dashboard, which may. A read command (status, log, export,
 * verify...) is given no descriptor opened with the group's right. */
static int priv_writes(int argc, char **argv)
{
	static const char *const valued[] = {"--project", "--db", "--as-of", "--as-recorded"};
	static const char *const writers[] = {"update", "record", "bench", "revert", "note", "amend",
	                                      "effort", "cost", "init", "dashboard"};
	for (int i = 1; i < argc; i++) {
		const char *a = argv[i];
		if (strcmp(a, "--") == 0)
			return i + 1 >= argc;
		if (a[0] != '-' || !a[1]) {
			for (size_t k = 0; k < sizeof writers / sizeof writers[0]; k++)
				if (strcmp(a, writers[k]) == 0)
					return 1;
			return 0;
		}
		if (strncmp(a, "--", 2) != 0 || strchr(a, '='))
			continue;
		/* getopt_long takes an unambiguous prefix of an option's name. */
		size_t n = strlen(a);
		for (size_t k = 0; n > 2 && k < sizeof valued / sizeof valued[0]; k++)
			if (strncmp(valued[k], a, n) == 0) {
				i++;
				break;
			}
	}
	return 1;
}

void priv_start(int argc, char **argv)
{
	gid_t real = getgid(), group = getegid();
	if (real == group)
		return;
	const char *db = priv_db(argc, argv);
	if (db && priv_writes(argc, argv))
		store_hold(db, NULL); /* a refusal is reported by the write it stops */
	if (setresgid(real, real, real) != 0 || (geteuid() != 0 && setegid(group) == 0)) {
		fputs("consort: cannot give up the log group's right; stopping\n", stderr);
		_exit(EXIT_SOFTWARE);
	}
}
