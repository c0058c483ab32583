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
 * move another file over the log. Says the command that fixes it. */
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
	if (fd >= 0)
		close(fd);
	free(dir);
	return rc;
}

static int cmd_init(struct cli *c, int argc, char **argv);

const struct cli_command cli_cmd_init = {
	"init", cmd_init,
	"init [--shared GROUP]",
	"create the log for a definition (--shared: written through a setgid consort)",
};

static int cmd_init(struct cli *c, int argc, char **argv)
{
	const char *group = NULL;
	char *pos[1];
	int npos = 0;
	const struct cli_opt opts[] = {
		{"shared", &group, NULL},
		{"group", &group, NULL}, /* the former name of --shared */
		{NULL, NULL, NULL},
	};
	int rc = cli_parse(c, &cli_cmd_init, argc, argv, opts, pos, 0, &npos);
	if (rc)
		return rc;
	c->warnings = 1; /* the plan the log starts from: say what it warns of */
	if ((rc = cli_load_project(c)) != 0)
		return rc;
	if (c->paths.demo)
		return cli_error(EXIT_USAGE, "init: no definition given (use --project FILE or ./consort.yaml; "
		                             "the bundled demo is made by consort demo)");
	struct err e = {0};
	struct group *g = group ? getgrnam(group) : NULL;
	if (group && !g)
		return cli_error(EXIT_DATAERR, "init: no such group '%s'", group);
	if (g && (rc = init_dir_check(c->paths.db, g->gr_gid, group)) != 0)
		return rc;
	if ((g ? store_create_shared(c->paths.db, (long)g->gr_gid, &c->store, &e)
	       : store_open(c->paths.db, STORE_CREATE, &c->store, &e)) != 0)
		return cli_fail(&e);
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
