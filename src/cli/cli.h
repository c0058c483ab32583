/* cli: one file a command, cmd_NAME.c, with its usage beside its option
 * table; each parses its options (cli_parse, getopt_long) and calls core.
 * common.c holds what every command needs (the definition, the log, option
 * parsing, cli_finish for the end of the output), apply.c the path the four
 * write commands share, state_json.c the state as JSON that status and
 * export share. Text and JSON are renderings of derive's state. Only main()
 * decides how to exit. No SQL and no YAML here: core does that. */
#ifndef CONSORT_CLI_H
#define CONSORT_CLI_H

#include <stdio.h>
#include "core/chain.h"
#include "core/date.h"
#include "core/derive.h"
#include "core/paths.h"
#include "core/plan.h"
#include "core/project.h"
#include "core/store.h"
#include "core/write.h"

struct cli {
	const char *opt_project, *opt_db, *opt_asof; /* global options, NULL when absent */
	int help, version;    /* --help, --version seen (cli_parse) */
	cdate today;
	cdate asof;           /* --as-of, else the demo's date for the demo, else today */
	int asof_given;
	cdate write_date;     /* a write's effective date when none is given (cli_open) */
	struct paths paths;
	int paths_done;
	struct project proj;
	int proj_loaded;
	struct store *store;
	struct chain_tip tip; /* the log's head and whether its newest links hold (cli_open) */
	int demo;             /* the log is the bundled demo */
	char *demo_login;
	struct identity id;
	int ascii;            /* output ASCII only: stdout is a terminal in a non-UTF-8
	                       * locale (cli_ascii), or the dashboard in one */
	unsigned facts_flags; /* for store_facts_opts in cli_state (STORE_FACTS_*) */
	int scope;            /* partner index status narrows to (--mine, --partner),
	                       * -1 for everything (main sets it) */
	int warnings;         /* print the definition's warnings, not only its errors
	                       * (init and the dashboard; check prints its own) */
	int nwarned;          /* the definition's warnings printed, and the first */
	char first_warning[240];
	struct plan_version *plans; /* the log's plan versions (plan.c), oldest first */
	size_t nplans;        /* 0: a log without a stored plan (proj is the file's) */
	int plans_read;       /* the dashboard's last plan_at read plans from the log */
	int plan_version;     /* the version proj holds, 0 when from a file */
	int plan_said;        /* the file's difference from the plan was reported */
	char plan_said_digest[PLAN_DIGEST_SIZE]; /* the digest the file was compared
	                       * with then ("" when it was not read), and whether
	                       * it matched (the dashboard's first look needs no
	                       * second reading) */
	int plan_said_same;
	const char *opt_asrec; /* --as-recorded DATE, NULL when absent */
	cdate asrec;          /* that date, or CDATE_NONE */
	int64_t recorded_until_ms; /* --as-recorded: entries recorded up to then; 0 all */
};

/* Load the definition the lookup order finds (errors to stderr, and
 * warnings when c->warnings is set: a status run from cron stays quiet). Returns
 * 0, or an exit code after printing the errors. */
int cli_load_project(struct cli *c);
/* Load the definition and open the log (mode as in store_open); for the
 * bundled demo, create the demo log when it is missing; any other missing
 * log is 66, with one line saying how to create it. Sets c->id,
 * c->asof and c->tip, and warns (stderr) when the log's newest entries do
 * not link to their predecessors. Returns 0 or an exit code after printing one line. */
int cli_open(struct cli *c, enum store_mode mode);
/* For reading commands (status, export): like cli_open(STORE_READ), but a
 * definition whose implied log (beside it) does not exist yet is shown with
 * no progress (one note on stderr) and c->store stays NULL. A log named by
 * --db or CONSORT_DB must exist (66). Returns 0 or an exit code. */
int cli_open_read(struct cli *c);
/* Facts and state as of c->asof (empty facts when c->store is NULL).
 * Returns 0 or an exit code. */
int cli_state(struct cli *c, struct facts *f, struct state *st);
/* --mine and --partner ID (status, log, due, export): *partner gets the
 * partner index the output is narrowed to, -1 for everything. --mine is
 * the user's own partner (65 for a user of none); both together are 64.
 * Needs the definition loaded. Returns 0 or an exit code after one line. */
/* The partner a write's confirmation names: the one given, else the user's
 * own ("?" for a user of none). */
const char *cli_partner_shown(const struct cli *c, const char *given);
int cli_scope(struct cli *c, const char *cmd, int mine, const char *partner_id, int *partner);
/* The plan (plan.c). cli_open ends with cli_plan: c->proj becomes the
 * version in force on c->asof, read from the log, and c->id is computed
 * against it; a definition file named is only compared with it (one line
 * on stderr when it differs). A log without a stored plan is read with the
 * definition file, which becomes its version 1 when a coordinator of it
 * (or root) opens the log for writing. Returns 0 or an exit code. */
int cli_plan(struct cli *c, enum store_mode mode);
/* A definition's errors on stderr, one line each (its warnings too when
 * c->warnings is set). */
struct diags;
void cli_diags(struct cli *c, const struct diags *d);
/* Make c->proj the version in force on asof (when the log has a plan). */
int cli_plan_at(struct cli *c, cdate asof);
/* Read and load a definition file (its errors on stderr as file:line:col
 * lines): 0 with *p and its text (caller frees), or an exit code. */
int cli_read_def(struct cli *c, const char *file, struct project *p, char **text, size_t *len);
/* A plan diff as lines ("  changed deliverable D3.2 due: OLD -> NEW") or
 * as a JSON array of {change, kind, id, field, old, new}. */
void cli_diff_text(FILE *f, const struct plan_diff *v, size_t n);
struct json;
void cli_diff_json(struct json *j, const struct plan_diff *v, size_t n);
/* Print "consort: MSG" to stderr and return e->code. */
int cli_fail(const struct err *e);
/* Print "consort: fmt..." to stderr and return code. */
int cli_error(int code, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* At the end of the process: closes the log; the rest is the exit's. */
void cli_free(struct cli *c);

/* Finish the output of cmd (NULL for consort itself) to f: flush it, check
 * it for a write error and close it unless it is stdout. name is the file
 * written, NULL for stdout. Returns 0, or 74 after one line on stderr; every
 * command ends its output with it. */
int cli_finish(FILE *f, const char *cmd, const char *name);

/* Should what goes to f be ASCII? Only a terminal in a locale whose
 * character set is not UTF-8 (it could not draw UTF-8); files and pipes are
 * UTF-8 whatever the locale. */
int cli_ascii(FILE *f);
/* Write untrusted text to f, sanitized (the one sanitizer; ASCII when
 * cli_ascii(f)). */
void cli_put(FILE *f, const char *untrusted);
/* Sanitize, fit to cols (display width) and write. */
void cli_cell(FILE *f, const char *untrusted, int cols, char align);

/* A command: its name, what runs it, its usage (after "consort ") and a
 * one-line summary; brief when it runs briefly and exits and its memory
 * stays well within the goal with 4 MiB more (main then calls heap_brief;
 * not the dashboard's, nor verify's). Each cmd_*.c defines its own beside
 * its option table; main lists them. */
typedef int (*cli_cmd_fn)(struct cli *c, int argc, char **argv);
struct cli_command {
	const char *name;
	cli_cmd_fn run;
	const char *usage;
	const char *summary;
	int brief;
};

/* A command's options, read by getopt_long: "--name VALUE" and
 * "--name=VALUE" when value is set, a bare "--name" when flag is set
 * (unambiguous abbreviations too). */
struct cli_opt {
	const char *name;     /* without the leading "--" */
	const char **value;
	int *flag;
};
#define CLI_DONE (-1) /* cli_parse printed the help or the version: exit 0 */
/* Parse a command's arguments (argv[0] is its name): its options and the
 * global ones (--project, --db, --as-of, --help/-h, --version/-V), which
 * may come after the command too. An option's value is the next argument,
 * whatever it looks like ("--note --help" is the note "--help"); arguments
 * that are not options, and negative numbers ("-3"), are positional, in
 * order; "--" ends the options. With cmd NULL (main, before the command)
 * only the global options are read, up to the first argument that is not
 * one, whose index *npos gets. --as-of is checked (cli_asof). Returns 0,
 * CLI_DONE after printing the help or version, or 64 after one line
 * naming the command and the option. */
int cli_parse(struct cli *c, const struct cli_command *cmd, int argc, char **argv,
              const struct cli_opt *opts, char **pos, int maxpos, int *npos);
/* Check --as-of and set c->asof from it. Returns 0 or 64 after one line. */
int cli_asof(struct cli *c);
/* "usage: consort USAGE" and the summary; the version in the GNU format. */
void cli_usage(FILE *f, const struct cli_command *cmd);
void cli_version(FILE *f);

/* The derived state as JSON keys of an object the caller has opened (state_json.c):
 * project, as_of, month, demo, work_packages, deliverables, milestones,
 * targets, benchmark, overdue, log (consort(1) documents them). Deliverables
 * and milestones (and the overdue ones) are those due in months from..to:
 * export's period, the whole project for status. */
struct json;
void cli_json_state(struct json *j, const struct cli *c, const struct state *st,
                    const struct facts *f, int from, int to);
/* Is an item in the scope of --mine / --partner (c->scope; all when -1)? */
int cli_in_scope(const struct cli *c, enum item_kind k, int i);
/* The "resources" key (only when the definition plans resources or the
 * log has some): effort and cost rows, totals and, where derive made them
 * from the months (export; status reads the totals only), the reporting
 * periods, money and person-months as numbers of two decimals
 * (resources_json.c). */
struct res_state;
void cli_json_resources(struct json *j, const struct project *p, const struct res_state *rs);
/* The id, title and due month of a deliverable or milestone. */
void cli_due_item(const struct project *p, const struct due_ref *r, const char **id,
                  const char **title, int *due);
/* A date as "YYYY-MM-DD" into buf (11 bytes); "" for CDATE_NONE. */
const char *cli_date(cdate d, char *buf);
/* recorded_at (ms UTC) as ISO 8601 with milliseconds into buf (32 bytes). */
const char *cli_iso_ms(int64_t ms, char *buf);
/* A rate (such as reach needed per month) as every text output shows it:
 * one decimal below 10 ("9.4"), whole numbers, rounded, from 10 up ("98"),
 * into buf (32 bytes). JSON keeps the number itself. */
const char *cli_rate(double v, char *buf);

/* The write commands' one way to the log (apply.c): check, then write, then
 * confirm "recorded #N: WHAT (effective DATE)", WHAT from what_fmt. Returns
 * 0 or an exit code after one line. */
int cli_apply(struct cli *c, const char *cmd, struct write_req *r, const char *what_fmt, ...)
	__attribute__((format(printf, 4, 5)));
/* --from FILE (from.c): bulk entry from CSV. cols are the command's
 * columns (the header names them, in any order); row turns one row's
 * fields, in cols' order and NULL when empty, into a request (progress is
 * -1 before it) or fails with e (65, no file or line: they are added).
 * Every row is checked, then all are written in one transaction or none;
 * dry_run only checks. Returns 0 or an exit code after one line. */
typedef int (*cli_from_row)(char *const *fields, struct write_req *r, struct err *e);
int cli_apply_from(struct cli *c, const char *cmd, const char *file, const char *const *cols,
                   int ncols, cli_from_row row, int dry_run);
/* A comment on item (cmd_note.c): note and update --note alone. */
int cli_note(struct cli *c, const char *cmd, const char *item, const char *text, const char *date);
/* 64 with one line when fewer than want positional arguments were given. */
int cli_need(const char *cmd, int npos, int want, const char *what);

/* The commands (argv[0] is the command's name). */
extern const struct cli_command cli_cmd_status, cli_cmd_snapshot, cli_cmd_update, cli_cmd_record,
	cli_cmd_bench, cli_cmd_log, cli_cmd_revert, cli_cmd_check, cli_cmd_init, cli_cmd_demo,
	cli_cmd_export, cli_cmd_verify, cli_cmd_note, cli_cmd_due, cli_cmd_complete,
	cli_cmd_amend, cli_cmd_plan, cli_cmd_diff, cli_cmd_effort, cli_cmd_cost;
/* The full-screen dashboard: consort with no command. */
int cmd_dashboard(struct cli *c, int argc, char **argv);

/* The dashboard's context for an opened struct cli (dashboard and snapshot). */
struct tui_ctx;
struct tui_ctx tui_ctx_from_cli(struct cli *c);

#endif
