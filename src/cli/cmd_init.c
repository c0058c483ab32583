/* init and demo. init creates the progress log for a definition and never
 * overwrites one; with --group it prepares the log for a shared server
 * (group ownership, group-writable file and setgid directory, so SQLite's
 * -wal and -shm files keep the group) and warns about what would still
 * stop a group member from writing. demo (re)creates the bundled demo log. */
#include "config.h"

#include <errno.h>
#include <grp.h>
#include <libgen.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cli/cli.h"
#include "core/demo.h"
#include "core/text.h"

static char *init_dirname(const char *path)
{
	char *tmp = xstrdup(path);
	char *d = xstrdup(dirname(tmp));
	free(tmp);
	return d;
}

static int init_chgrp(const char *path, gid_t gid, const char *group, struct err *e)
{
	struct stat st;
	if (stat(path, &st) != 0)
		return err_set(e, EXIT_IOERR, "init: %s: %s", path, strerror(errno));
	if (st.st_gid == gid)
		return 0;
	if (chown(path, (uid_t)-1, gid) != 0) {
		if (errno == EPERM || errno == EACCES)
			return err_set(e, EXIT_NOPERM,
			               "init: cannot give %s to group %s: not permitted "
			               "(you must own it and be a member of %s)", path, group, group);
		return err_set(e, EXIT_IOERR, "init: chgrp %s %s: %s", group, path, strerror(errno));
	}
	return 0;
}

static int init_chmod_add(const char *path, mode_t add, struct err *e)
{
	struct stat st;
	if (stat(path, &st) != 0)
		return err_set(e, EXIT_IOERR, "init: %s: %s", path, strerror(errno));
	if ((st.st_mode & add) == add)
		return 0;
	if (chmod(path, (st.st_mode & 07777) | add) != 0)
		return err_set(e, errno == EPERM || errno == EACCES ? EXIT_NOPERM : EXIT_IOERR,
		               "init: chmod %s: %s", path, strerror(errno));
	return 0;
}

/* Warn (stderr) about what would stop another member of the group writing. */
static int init_group_check(const char *db, const char *dir, gid_t gid, const char *group)
{
	int warnings = 0;
	struct stat st;
	if (stat(db, &st) == 0) {
		if (st.st_gid != gid) {
			cli_error(0, "warning: %s is not in group %s", db, group);
			warnings++;
		}
		if ((st.st_mode & (S_IRGRP | S_IWGRP)) != (S_IRGRP | S_IWGRP)) {
			cli_error(0, "warning: %s is not readable and writable by its group", db);
			warnings++;
		}
	}
	if (stat(dir, &st) == 0) {
		if (st.st_gid != gid) {
			cli_error(0, "warning: directory %s is not in group %s: SQLite's -wal and -shm files "
			             "would not be shared", dir, group);
			warnings++;
		}
		if ((st.st_mode & (S_IWGRP | S_IXGRP)) != (S_IWGRP | S_IXGRP)) {
			cli_error(0, "warning: directory %s is not group-writable: others cannot create "
			             "the log's -wal and -shm files", dir);
			warnings++;
		}
		if (!(st.st_mode & S_ISGID)) {
			cli_error(0, "warning: directory %s is not setgid: files created in it would not "
			             "keep group %s", dir, group);
			warnings++;
		}
	}
	return warnings;
}

static int init_group(const char *db, const char *group)
{
	struct group *g = getgrnam(group);
	if (!g)
		return cli_error(EXIT_DATAERR, "init: no such group '%s'", group);
	gid_t gid = g->gr_gid;
	struct err e = {0};
	char *dir = init_dirname(db);
	int rc = 0;
	if (init_chgrp(db, gid, group, &e) != 0 || init_chmod_add(db, S_IRGRP | S_IWGRP, &e) != 0) {
		rc = cli_fail(&e);
		goto out;
	}
	/* The companions SQLite may have left (they need the group too). */
	static const char *const sfx[] = {"-wal", "-shm", "-journal"};
	for (size_t i = 0; i < sizeof sfx / sizeof sfx[0]; i++) {
		char *p = xasprintf("%s%s", db, sfx[i]);
		if (access(p, F_OK) == 0) {
			init_chgrp(p, gid, group, NULL);
			init_chmod_add(p, S_IRGRP | S_IWGRP, NULL);
		}
		free(p);
	}
	if (init_chgrp(dir, gid, group, &e) != 0 ||
	    init_chmod_add(dir, S_IRGRP | S_IWGRP | S_IXGRP | S_ISGID, &e) != 0) {
		/* The log itself is ready; say what is missing on the directory. */
		cli_fail(&e);
	}
	init_group_check(db, dir, gid, group);
out:
	free(dir);
	return rc;
}

int cmd_init(struct cli *c, int argc, char **argv)
{
	const char *group = NULL;
	char *pos[1];
	int npos = 0;
	const struct cli_opt opts[] = {
		{"group", &group, NULL},
		{NULL, NULL, NULL},
	};
	int rc = cli_parse("init", argc, argv, opts, pos, 0, &npos);
	if (rc)
		return rc;
	c->warnings = 1; /* the plan the log starts from: say what it warns of */
	if ((rc = cli_load_project(c)) != 0)
		return rc;
	if (c->paths.demo)
		return cli_error(EXIT_USAGE, "init: no definition given (use --project FILE or ./consort.yaml; "
		                             "the bundled demo is made by consort demo)");
	struct err e = {0};
	if (group && !getgrnam(group))
		return cli_error(EXIT_DATAERR, "init: no such group '%s'", group);
	if (store_open(c->paths.db, STORE_CREATE, &c->store, &e) != 0)
		return cli_fail(&e);
	store_close(c->store);
	c->store = NULL;
	if (group && (rc = init_group(c->paths.db, group)) != 0)
		return rc;
	fputs("created the progress log ", stdout);
	cli_put(stdout, c->paths.db);
	fputs(" for ", stdout);
	cli_put(stdout, c->proj.acronym);
	if (group) {
		fputs(" (group ", stdout);
		cli_put(stdout, group);
		fputc(')', stdout);
	}
	fputc('\n', stdout);
	return cli_finish(stdout, "init", NULL);
}

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

int cmd_demo(struct cli *c, int argc, char **argv)
{
	char *pos[1];
	int npos = 0;
	const struct cli_opt opts[] = {{NULL, NULL, NULL}};
	int rc = cli_parse("demo", argc, argv, opts, pos, 0, &npos);
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
	/* Replace only a demo log: never someone's real history. */
	if (access(c->paths.db, F_OK) == 0) {
		struct store *s = NULL;
		char *v = NULL;
		int is_demo = store_open(c->paths.db, STORE_READ, &s, &e) == 0 &&
		              store_meta_get(s, "demo", &v, &e) == 0 && v && strcmp(v, "1") == 0;
		free(v);
		if (s)
			store_close(s);
		if (!is_demo)
			return cli_error(EXIT_IOERR, "demo: %s exists and is not a demo log; not replacing it",
			                 c->paths.db);
	}
	if (paths_mkdirs_for(c->paths.db, &e) != 0)
		return cli_fail(&e);
	struct identity id;
	identity_current(&c->proj, &id, NULL);
	if (demo_create(c->paths.db, &c->proj, id.login, id.uid, &e) != 0)
		return cli_fail(&e);
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
