/* demo (re)creates the bundled 5FOREXCELLENCE demo log (illustrative
 * history) in the user's data directory or at --db, and says when the
 * lookup would find another project before it. */
#include "config.h"

#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli/cli.h"
#include "core/demo.h"
#include "core/text.h"

/* A path quoted for a POSIX shell when it needs it. Newly allocated. */
static char *demo_quote(const char *path)
{
	if (*path && strspn(path, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"
	                          "0123456789_./-+:,@%=") == strlen(path))
		return xstrdup(path);
	struct sbuf b = {0};
	sbuf_putc(&b, '\'');
	for (const char *q = path; *q; q++) {
		if (*q == '\'')
			sbuf_puts(&b, "'\\''");
		else
			sbuf_putc(&b, *q);
	}
	sbuf_putc(&b, '\'');
	return sbuf_take(&b);
}

/* What the lookup would find before this demo when the user types
 * "consort [--db FILE] status" here, or NULL when it finds the demo. */
static const char *demo_shadowed(const struct cli *c)
{
	struct paths found;
	struct err e = {0};
	const char *why = NULL;
	if (paths_resolve(NULL, c->opt_db, &found, &e) != 0)
		return NULL;
	const char *env_project = getenv("CONSORT_PROJECT");
	if (!found.bundled)
		why = env_project && *env_project ? "CONSORT_PROJECT" : "./consort.yaml";
	else if (strcmp(found.db, c->paths.db) != 0)
		why = "CONSORT_DB";
	paths_free(&found);
	return why;
}

static int cmd_demo(struct cli *c, int argc, char **argv);

const struct cli_command cli_cmd_demo = {
	"demo", cmd_demo,
	"demo [--db FILE]",
	"(re)create the bundled 5FOREXCELLENCE demo",
	0,
};

static int cmd_demo(struct cli *c, int argc, char **argv)
{
	char *pos[1];
	int npos = 0;
	const struct cli_opt opts[] = {{NULL, NULL, NULL}};
	int rc = cli_parse(c, &cli_cmd_demo, argc, argv, opts, pos, 0, &npos);
	if (rc)
		return rc;
	if (c->opt_project)
		return cli_error(EXIT_USAGE, "demo: the demo is always the bundled definition; "
		                             "--project is not used here");
	struct err e = {0};
	char *project = paths_bundled_project();
	if (!project)
		return cli_error(EXIT_NOINPUT, "demo: the bundled definition 5forexcellence.yaml is not installed");
	memset(&c->paths, 0, sizeof c->paths);
	c->paths.project = project;
	c->paths.bundled = 1;
	c->paths.db = c->opt_db ? xstrdup(c->opt_db) : paths_demo_db();
	c->paths.demo = !c->opt_db;
	c->paths_done = 1;
	if ((rc = cli_load_project(c)) != 0)
		return rc;
	/* Replace only a demo log (its first, chained entry is the demo's),
	 * never someone's real history; a demo log that holds entries the
	 * demo did not write is moved aside first, not lost. */
	char *moved = NULL;
	int64_t theirs = 0;
	int legacy = 0;
	if (access(c->paths.db, F_OK) == 0) {
		struct store *s = NULL;
		int64_t wrote = 0, entries = 0;
		int is_demo = store_open(c->paths.db, STORE_READ, &s, &e) == 0 &&
		              store_demo_entry(s, NULL, &wrote, &e) == 1 &&
		              store_summary(s, &entries, NULL, &e) == 0;
		if (s)
			store_close(s);
		/* At the demo's own place in the user's data directory a log that is
		 * not a demo of this version (one an earlier release made) is moved
		 * aside like a tried demo; named with --db, it is never touched. */
		if (!is_demo && !c->paths.demo)
			return cli_error(EXIT_IOERR, "demo: %s exists and is not a demo log; not replacing it",
			                 c->paths.db);
		legacy = !is_demo;
		if (legacy || entries > wrote) {
			theirs = entries - wrote;
			char day[11];
			date_format(date_today_real(), day);
			for (int k = 1; !moved && k < 100; k++) {
				char *to = k == 1 ? xasprintf("%s.%s.bak", c->paths.db, day)
				                  : xasprintf("%s.%s-%d.bak", c->paths.db, day, k);
				if (access(to, F_OK) != 0 && link(c->paths.db, to) == 0) {
					/* Its -wal too: entries not yet in the main file. */
					char *w = xasprintf("%s-wal", c->paths.db), *tw = xasprintf("%s-wal", to);
					if (access(w, F_OK) == 0 && rename(w, tw) != 0) {
						unlink(to);
						free(w);
						free(tw);
						free(to);
						break;
					}
					free(w);
					free(tw);
					moved = to;
				} else {
					free(to);
				}
			}
			if (!moved)
				return cli_error(EXIT_IOERR, "demo: %s holds %lld entries the demo did not write, and "
				                             "it cannot be moved aside; not replacing it",
				                 c->paths.db, (long long)theirs);
		}
	}
	if (paths_mkdirs_for(c->paths.db, &e) != 0)
		return cli_fail(&e);
	struct identity id;
	identity_current(&c->proj, &id, NULL);
	if (demo_create(c->paths.db, &c->proj, id.login, id.uid, &e) != 0)
		return cli_fail(&e);
	if (moved && legacy) {
		fputs("moved the old log, not a demo of this version (an earlier release's?), to ", stdout);
		cli_put(stdout, moved);
		fputc('\n', stdout);
		free(moved);
	} else if (moved) {
		fprintf(stdout, "moved the old demo log, with %lld entr%s the demo did not write, to ",
		        (long long)theirs, theirs == 1 ? "y" : "ies");
		cli_put(stdout, moved);
		fputc('\n', stdout);
		free(moved);
	}
	fputs("created the 5FOREXCELLENCE demo log at ", stdout);
	cli_put(stdout, c->paths.db);
	fputs("\nIts history is illustrative (generated, not the project's real progress); "
	      "it opens as of " DEMO_ASOF " (M15).\n", stdout);
	fputs("You (", stdout);
	cli_put(stdout, id.login);
	fputs(") act as the coordinator in it.", stdout);
	const char *why = demo_shadowed(c);
	if (why) {
		/* The plain lookup would open something else: give the exact command. */
		char *proj = realpath(c->paths.project, NULL), *db = realpath(c->paths.db, NULL);
		char *qp = demo_quote(proj ? proj : c->paths.project), *qd = demo_quote(db ? db : c->paths.db);
		fputs("\nHere ", stdout);
		cli_put(stdout, why);
		fputs(" comes first in the lookup; open the demo with:\n  consort --project ", stdout);
		cli_put(stdout, qp);
		fputs(" --db ", stdout);
		cli_put(stdout, qd);
		fputs(" status\n", stdout);
		free(proj);
		free(db);
		free(qp);
		free(qd);
	} else {
		fputs(" Try: consort", stdout);
		if (c->opt_db) {
			char *qd = demo_quote(c->opt_db);
			fputs(" --db ", stdout);
			cli_put(stdout, qd);
			free(qd);
		}
		fputs(" status\n", stdout);
	}
	return cli_finish(stdout, "demo", NULL);
}
