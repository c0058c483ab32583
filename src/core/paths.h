/* paths: where the definition and the log are. Order (consort(1), FILES AND LOOKUP ORDER):
 * command-line options; environment (CONSORT_PROJECT, CONSORT_DB);
 * ./consort.yaml with its log beside it (./consort.db); and where none
 * exists, the bundled 5FOREXCELLENCE definition with the demo log in the
 * user's data directory ($XDG_DATA_HOME/consort/demo.db, by default
 * ~/.local/share/consort/demo.db).
 * A definition given without a log uses the log beside it: the same name
 * with ".db" in place of ".yaml"/".yml". */
#ifndef CONSORT_PATHS_H
#define CONSORT_PATHS_H

#include "core/util.h"

struct paths {
	char *project;      /* the definition to load */
	char *db;           /* the log */
	int bundled;        /* project is the bundled definition */
	int demo;           /* db is the demo log in the user's data directory */
	int db_given;       /* db was named by --db or CONSORT_DB (not implied) */
};

int paths_resolve(const char *opt_project, const char *opt_db, struct paths *out, struct err *e);
void paths_free(struct paths *p);

/* The bundled definition: CONSORT_DATA/5forexcellence.yaml when set; for a
 * program run from its build tree, the source tree's data/ (found through a
 * mark the build writes beside the executable, src/consort-uninstalled-data,
 * never through a path compiled in); else the installed copy under the
 * package data directory. Newly allocated, or NULL. */
char *paths_bundled_project(void);
/* The demo log's path (directories are not created). Newly allocated. */
char *paths_demo_db(void);
/* Create the parent directories of path (mode 0700 for new ones). */
int paths_mkdirs_for(const char *path, struct err *e);

#endif
