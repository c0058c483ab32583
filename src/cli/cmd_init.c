/* init creates the progress log for a definition and never overwrites one;
 * with --group it prepares the log for a shared server (group ownership,
 * group-writable file and setgid directory, so SQLite's -wal and -shm files
 * keep the group) and warns about what would still stop a group member from
 * writing. */
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

static int cmd_init(struct cli *c, int argc, char **argv);

const struct cli_command cli_cmd_init = {
	"init", cmd_init,
	"init [--group NAME] [--date YYYY-MM-DD]",
	"create the log for a definition (--group: shared by a group)",
};

static int cmd_init(struct cli *c, int argc, char **argv)
{
	const char *group = NULL, *date = NULL;
	char *pos[1];
	int npos = 0;
	const struct cli_opt opts[] = {
		{"group", &group, NULL},
		{"date", &date, NULL},
		{NULL, NULL, NULL},
	};
	int rc = cli_parse(c, &cli_cmd_init, argc, argv, opts, pos, 0, &npos);
	if (rc)
		return rc;
	c->warnings = 1; /* the plan the log starts from: say what it warns of */
	struct err e = {0};
	if (!c->paths_done) {
		if (paths_resolve(c->opt_project, c->opt_db, &c->paths, &e) != 0)
			return cli_fail(&e);
		c->paths_done = 1;
	}
	if (c->paths.demo)
		return cli_error(EXIT_USAGE, "init: no definition given (use --project FILE or ./consort.yaml; "
		                             "the bundled demo is made by consort demo)");
	/* The definition becomes the plan's version 1, text and model as read
	 * once, by a coordinator of it (or root). */
	char *text;
	size_t len;
	if ((rc = cli_read_def(c, c->paths.project, &c->proj, &text, &len)) != 0)
		return rc;
	c->proj_loaded = 1;
	identity_current(&c->proj, &c->id, NULL);
	struct write_req r = {.op = W_AMEND, .date = date, .note = "the plan as the log was created",
	                      .plan = &c->proj, .plan_text = text, .plan_len = len};
	if (!c->id.coordinator && c->id.uid != 0) {
		free(text);
		return cli_error(EXIT_NOPERM, "init: only a coordinator of %s (or root) creates its log; "
		                              "you are not listed under its coordinator", c->proj.acronym);
	}
	if (group && !getgrnam(group)) {
		free(text);
		return cli_error(EXIT_DATAERR, "init: no such group '%s'", group);
	}
	if (store_open(c->paths.db, STORE_CREATE, &c->store, &e) != 0) {
		free(text);
		return cli_fail(&e);
	}
	rc = write_apply(c->store, &c->proj, &c->id, &r, c->today, NULL, &e);
	free(text);
	if (rc != 0) {
		store_close(c->store);
		c->store = NULL;
		unlink(c->paths.db);
		return cli_fail(&e);
	}
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
