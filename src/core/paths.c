/* paths: where the definition and the log are. Promises the lookup order of
 * paths.h: options, then CONSORT_PROJECT / CONSORT_DB, then ./consort.yaml
 * with ./consort.db, else the bundled definition with the demo log in the
 * user's data directory. A --db (or CONSORT_DB) given for the bundled
 * definition is an ordinary log, not the demo; db_given says that the log
 * was named rather than implied. Nothing here opens a file. */
#include "config.h"
#include "core/paths.h"

#include <errno.h>
#include <stdio.h>
#include <pwd.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <unistd.h>

#ifndef PKGDATADIR
#define PKGDATADIR "/usr/local/share/consort"
#endif

#define BUNDLED_NAME "5forexcellence.yaml"
/* Written by the build beside the program it links, never installed: one
 * line, the source tree's data directory. */
#define UNINSTALLED_MARK "consort-uninstalled-data"

static const char *env_nonempty(const char *name)
{
	const char *v = getenv(name);
	return v && *v ? v : NULL;
}

static int file_exists(const char *path)
{
	struct stat st;
	return stat(path, &st) == 0 && S_ISREG(st.st_mode);
}

/* The log beside a definition: ".yaml"/".yml" replaced by ".db", else
 * ".db" appended. */
static char *paths_db_beside(const char *project)
{
	size_t n = strlen(project);
	const char *slash = strrchr(project, '/');
	const char *base = slash ? slash + 1 : project;
	static const char *const exts[] = {".yaml", ".yml"};
	for (size_t i = 0; i < sizeof exts / sizeof exts[0]; i++) {
		size_t k = strlen(exts[i]);
		if (n > k && (size_t)(project + n - base) > k && strcmp(project + n - k, exts[i]) == 0)
			return xasprintf("%.*s.db", (int)(n - k), project);
	}
	return xasprintf("%s.db", project);
}

/* The bundled definition of a program run from its build tree: the data
 * directory named by the mark the build leaves beside the executable. An
 * installed program has no mark beside it, so it never reads a build tree,
 * and no path of the build is compiled in. NULL when there is no mark. */
static char *build_tree_project(void)
{
	char exe[4096];
	ssize_t n = readlink("/proc/self/exe", exe, sizeof exe - 1);
	if (n <= 0)
		return NULL;
	exe[n] = '\0';
	char *slash = strrchr(exe, '/');
	if (!slash)
		return NULL;
	*slash = '\0';
	char *mark = xasprintf("%s/%s", exe, UNINSTALLED_MARK);
	FILE *f = fopen(mark, "r");
	free(mark);
	if (!f)
		return NULL;
	char dir[4096];
	char *p = NULL;
	if (fgets(dir, sizeof dir, f)) {
		dir[strcspn(dir, "\n")] = '\0';
		if (dir[0] == '/') {
			p = xasprintf("%s/%s", dir, BUNDLED_NAME);
			if (!file_exists(p)) {
				free(p);
				p = NULL;
			}
		}
	}
	fclose(f);
	return p;
}

char *paths_bundled_project(void)
{
	const char *data = env_nonempty("CONSORT_DATA");
	if (data)
		return xasprintf("%s/%s", data, BUNDLED_NAME);
	char *p = build_tree_project();
	if (p)
		return p;
	p = xasprintf("%s/%s", PKGDATADIR, BUNDLED_NAME);
	if (file_exists(p))
		return p;
	free(p);
	return NULL;
}

char *paths_demo_db(void)
{
	const char *xdg = env_nonempty("XDG_DATA_HOME");
	if (xdg && xdg[0] == '/')
		return xasprintf("%s/consort/demo.db", xdg);
	const char *home = env_nonempty("HOME");
	if (!home) {
		struct passwd *pw = getpwuid(getuid());
		home = pw && pw->pw_dir && *pw->pw_dir ? pw->pw_dir : "/tmp";
	}
	return xasprintf("%s/.local/share/consort/demo.db", home);
}

int paths_mkdirs_for(const char *path, struct err *e)
{
	char *dir = xstrdup(path);
	char *slash = strrchr(dir, '/');
	if (!slash || slash == dir) {
		free(dir);
		return 0;
	}
	*slash = '\0';
	for (char *p = dir + 1; ; p++) {
		if (*p != '/' && *p != '\0')
			continue;
		char saved = *p;
		*p = '\0';
		if (mkdir(dir, 0700) != 0 && errno != EEXIST) {
			int code = errno == EACCES || errno == EPERM || errno == EROFS ? EXIT_NOPERM : EXIT_IOERR;
			err_set(e, code, "cannot create directory %s: %s", dir, strerror(errno));
			free(dir);
			return -1;
		}
		*p = saved;
		if (saved == '\0')
			break;
	}
	struct stat st, lst;
	if (stat(dir, &st) != 0 || !S_ISDIR(st.st_mode)) {
		err_set(e, EXIT_IOERR, "%s is not a directory", dir);
		free(dir);
		return -1;
	}
	/* A directory (or a link to one) another user made there is his to
	 * swap files in: nothing is written into it. */
	if ((lstat(dir, &lst) == 0 && lst.st_uid != getuid() && lst.st_uid != 0) ||
	    (st.st_uid != getuid() && st.st_uid != 0)) {
		err_set(e, EXIT_NOPERM, "%s belongs to another user; nothing is written there", dir);
		free(dir);
		return -1;
	}
	free(dir);
	return 0;
}

int paths_resolve(const char *opt_project, const char *opt_db, struct paths *out, struct err *e)
{
	memset(out, 0, sizeof *out);
	const char *project = opt_project && *opt_project ? opt_project : env_nonempty("CONSORT_PROJECT");
	const char *db = opt_db && *opt_db ? opt_db : env_nonempty("CONSORT_DB");

	if (project) {
		out->project = xstrdup(project);
	} else if (file_exists("consort.yaml")) {
		out->project = xstrdup("consort.yaml");
	} else {
		out->project = paths_bundled_project();
		if (!out->project)
			return err_set(e, EXIT_NOINPUT,
			               "no definition: give --project FILE, set CONSORT_PROJECT, "
			               "or put consort.yaml in this directory (the bundled %s is not installed)",
			               BUNDLED_NAME);
		out->bundled = 1;
	}
	if (db) {
		out->db = xstrdup(db);
		out->db_given = 1;
	} else if (out->bundled) {
		out->db = paths_demo_db();
		out->demo = 1;
	} else {
		out->db = paths_db_beside(out->project);
	}
	return 0;
}

void paths_free(struct paths *p)
{
	if (!p)
		return;
	free(p->project);
	free(p->db);
	memset(p, 0, sizeof *p);
}
