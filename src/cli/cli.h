/* cli: one small file per command. Each parses its own options and calls
 * core; text and JSON are renderings of derive's state. Only main() decides
 * how to exit. No SQL and no YAML here: core does that. */
#ifndef CONSORT_CLI_H
#define CONSORT_CLI_H

#include <stdio.h>
#include "core/date.h"
#include "core/derive.h"
#include "core/paths.h"
#include "core/project.h"
#include "core/store.h"
#include "core/write.h"

struct cli {
	const char *opt_project, *opt_db, *opt_asof; /* global options, NULL when absent */
	cdate today;
	cdate asof;           /* --as-of, else the demo's date for the demo, else today */
	int asof_given;
	struct paths paths;
	int paths_done;
	struct project proj;
	int proj_loaded;
	struct store *store;
	int demo;             /* the log is the bundled demo */
	char *demo_login;
	struct identity id;
	int ascii;            /* output ASCII only (non-UTF-8 locale) */
};

/* Load the definition the lookup order finds (warnings to stderr). Returns
 * 0, or an exit code after printing the errors. */
int cli_load_project(struct cli *c);
/* Load the definition and open the log (mode as in store_open); for the
 * bundled demo, create the demo log when it is missing. Sets c->id and
 * c->asof. Returns 0 or an exit code after printing one line. */
int cli_open(struct cli *c, enum store_mode mode);
/* Facts and state as of c->asof. Returns 0 or an exit code. */
int cli_state(struct cli *c, struct facts *f, struct state *st);
/* Print "consort: MSG" to stderr and return e->code. */
int cli_fail(const struct err *e);
/* Print "consort: fmt..." to stderr and return code. */
int cli_error(int code, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
void cli_free(struct cli *c);

/* Write untrusted text to f, sanitized (the one sanitizer). */
void cli_put(FILE *f, const char *untrusted);
/* Sanitize, fit to cols (display width) and write. */
void cli_cell(FILE *f, const char *untrusted, int cols, char align);

typedef int (*cli_cmd_fn)(struct cli *c, int argc, char **argv);

/* Commands: argv[0] is the command name; global options are removed. */
int cmd_status(struct cli *c, int argc, char **argv);
int cmd_snapshot(struct cli *c, int argc, char **argv);
int cmd_update(struct cli *c, int argc, char **argv);
int cmd_record(struct cli *c, int argc, char **argv);
int cmd_bench(struct cli *c, int argc, char **argv);
int cmd_log(struct cli *c, int argc, char **argv);
int cmd_revert(struct cli *c, int argc, char **argv);
int cmd_check(struct cli *c, int argc, char **argv);
int cmd_init(struct cli *c, int argc, char **argv);
int cmd_demo(struct cli *c, int argc, char **argv);
int cmd_export(struct cli *c, int argc, char **argv);
int cmd_dashboard(struct cli *c, int argc, char **argv);

#endif
