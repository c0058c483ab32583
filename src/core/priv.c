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

void priv_start(int argc, char **argv)
{
	gid_t real = getgid(), group = getegid();
	if (real == group)
		return;
	const char *db = priv_db(argc, argv);
	if (db)
		store_hold(db, NULL); /* a refusal is reported by the write it stops */
	if (setresgid(real, real, real) != 0 || (geteuid() != 0 && setegid(group) == 0)) {
		fputs("consort: cannot give up the log group's right; stopping\n", stderr);
		_exit(EXIT_SOFTWARE);
	}
}
