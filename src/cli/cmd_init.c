/* init creates the progress log for a definition and never overwrites one;
 * with --shared GROUP it makes the log of a shared server: it refuses a
 * directory anyone but root, the caller and GROUP may write (saying the
 * command that fixes it), and the log, its -wal and -shm get group GROUP
 * and mode 0664 on their descriptors (the store), for the setgid consort
 * to write and partners to read. */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
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

/* A shared log's directory may be written by root, the one running init
 * and the log's group, nobody else: whoever else could write it could
 * move another file over the log; and so for every directory above it
 * (whoever could write one could move the whole directory away and put
 * his own in its place; a root-owned sticky one such as /tmp excepted).
 * Says the command that fixes it. */
static int init_dir_check(const char *db, gid_t gid, const char *group)
{
	char *dir = init_dirname(db);
	int rc = 0;
	struct stat st;
	int fd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (fd < 0 || fstat(fd, &st) != 0) {
		rc = cli_error(errno == ENOENT || errno == ENOTDIR ? EXIT_NOINPUT : EXIT_IOERR,
		               "init: %s: %s", dir, strerror(errno));
	} else if (st.st_uid != 0 && st.st_uid != getuid()) {
		rc = cli_error(EXIT_NOPERM, "init: %s belongs to another user, who could replace the log "
		               "(fix: chown root %s)", dir, dir);
	} else if (st.st_mode & S_IWOTH) {
		rc = cli_error(EXIT_NOPERM, "init: anyone may write %s (fix: chmod o-w %s)", dir, dir);
	} else if ((st.st_mode & S_IWGRP) && st.st_gid != gid) {
		struct group *g = getgrgid(st.st_gid);
		char gname[32];
		snprintf(gname, sizeof gname, "%ld", (long)st.st_gid);
		rc = cli_error(EXIT_NOPERM, "init: group %s may write %s (fix: chgrp %s %s && chmod 2775 %s)",
		               g ? g->gr_name : gname, dir, group, dir, dir);
	}
	char *canon = rc ? NULL : realpath(dir, NULL), *bad = NULL;
	int why = canon ? dir_chain_check(canon, getuid(), gid, 0, &bad) : DIR_OK;
	if (!rc && !canon)
		rc = cli_error(EXIT_IOERR, "init: %s: %s", dir, strerror(errno));
	else if (why == DIR_NOTDIR)
		rc = cli_error(EXIT_IOERR, "init: %s is not a directory", bad);
	else if (why == DIR_OWNER)
		rc = cli_error(EXIT_NOPERM, "init: %s, above the log, belongs to another user, who could "
		               "replace the log's directory (fix: chown root %s)", bad, bad);
	else if (why == DIR_OTHERS || why == DIR_GROUP)
		rc = cli_error(EXIT_NOPERM, "init: %s, above the log, may be written by others, who could "
		               "replace the log's directory (fix: chmod go-w %s)", bad, bad);
	free(canon);
	free(bad);
	if (fd >= 0)
		close(fd);
	free(dir);
	return rc;
}

static int cmd_init(struct cli *c, int argc, char **argv);

const struct cli_command cli_cmd_init = {
	"init", cmd_init,
	"init [--shared GROUP] [--date YYYY-MM-DD]",
	"create the log for a definition, its plan's first version (--shared: written through a setgid consort)",
	0,
};

static int cmd_init(struct cli *c, int argc, char **argv)
{
	const char *group = NULL, *date = NULL;
	char *pos[1];
	int npos = 0;
	const struct cli_opt opts[] = {
		{"shared", &group, NULL},
		{"group", &group, NULL}, /* the former name of --shared */
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
	struct group *g = group ? getgrnam(group) : NULL;
	if (group && !g) {
		free(text);
		return cli_error(EXIT_DATAERR, "init: no such group '%s'", group);
	}
	if (g && (rc = init_dir_check(c->paths.db, g->gr_gid, group)) != 0) {
		free(text);
		return rc;
	}
	if ((g ? store_create_shared(c->paths.db, (long)g->gr_gid, &c->store, &e)
	       : store_open(c->paths.db, STORE_CREATE, &c->store, &e)) != 0) {
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
