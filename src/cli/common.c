/* common: what every command needs: find and load the definition, open the
 * log (creating the demo on first use), who the user is, the state, option
 * parsing, and the few formatting helpers the commands share. */
#include "config.h"

#include <errno.h>
#include <getopt.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "cli/cli.h"
#include "core/defcache.h"
#include "core/demo.h"
#include "core/load.h"
#include "core/text.h"

int cli_fail(const struct err *e)
{
	char *clean = text_sanitize(e->msg, 0);
	fprintf(stderr, "consort: %s\n", clean);
	free(clean);
	return e->code ? e->code : EXIT_SOFTWARE;
}

int cli_error(int code, const char *fmt, ...)
{
	struct err e = {0};
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(e.msg, sizeof e.msg, fmt, ap);
	va_end(ap);
	e.code = code;
	return cli_fail(&e);
}

int cli_scope(struct cli *c, const char *cmd, int mine, const char *partner_id, int *partner)
{
	*partner = -1;
	if (mine && partner_id)
		return cli_error(EXIT_USAGE, "%s: give --mine or --partner, not both", cmd);
	if (mine) {
		if (c->id.partner < 0)
			return cli_error(EXIT_DATAERR, "%s: --mine: %s is not listed as a user of any partner in %s",
			                 cmd, c->id.login, c->proj.acronym);
		*partner = c->id.partner;
	} else if (partner_id) {
		*partner = project_partner(&c->proj, partner_id);
		if (*partner < 0)
			return cli_error(EXIT_DATAERR, "%s: --partner: unknown partner '%.40s'", cmd, partner_id);
	}
	return 0;
}

int cli_finish(FILE *f, const char *cmd, const char *name)
{
	int bad = fflush(f) != 0 || ferror(f);
	int err = errno;
	if (f != stdout && fclose(f) != 0 && !bad) {
		bad = 1;
		err = errno;
	}
	if (!bad)
		return 0;
	if (name)
		return cli_error(EXIT_IOERR, "%s%scannot write %s: %s", cmd ? cmd : "", cmd ? ": " : "", name,
		                 strerror(err));
	return cli_error(EXIT_IOERR, "%s%scannot write the output", cmd ? cmd : "", cmd ? ": " : "");
}

int cli_ascii(FILE *f)
{
	return text_locale_ascii() && isatty(fileno(f));
}

void cli_put(FILE *f, const char *untrusted)
{
	char *clean = text_sanitize(untrusted, cli_ascii(f) ? TEXT_ASCII : 0);
	fputs(clean, f);
	free(clean);
}

void cli_cell(FILE *f, const char *untrusted, int cols, char align)
{
	char *cell = text_cell(untrusted, cols, align, cli_ascii(f) ? TEXT_ASCII : 0);
	fputs(cell, f);
	free(cell);
}

static int resolve(struct cli *c)
{
	if (c->paths_done)
		return 0;
	struct err e = {0};
	if (paths_resolve(c->opt_project, c->opt_db, &c->paths, &e) != 0)
		return cli_fail(&e);
	c->paths_done = 1;
	return 0;
}

void cli_diags(struct cli *c, const struct diags *d)
{
	for (size_t i = 0; i < d->n; i++) {
		if (d->v[i].level != DIAG_ERROR && !c->warnings)
			continue;
		char *line = diag_format(d, &d->v[i]);
		cli_error(0, "%s", line);
		if (d->v[i].level != DIAG_ERROR && c->nwarned++ == 0)
			snprintf(c->first_warning, sizeof c->first_warning, "%s", line);
		free(line);
	}
}

int cli_load_project(struct cli *c)
{
	if (c->proj_loaded)
		return 0;
	int rc = resolve(c);
	if (rc)
		return rc;
	struct diags d = {0};
	int io = 0;
	rc = defcache_load(c->paths.project, &c->proj, &d, &io);
	cli_diags(c, &d);
	diags_free(&d);
	if (rc != 0)
		return io == ENOENT ? EXIT_NOINPUT : io ? EXIT_IOERR : EXIT_DATAERR;
	c->proj_loaded = 1;
	return 0;
}

int cli_open(struct cli *c, enum store_mode mode)
{
	/* The plan comes from the log (cli_plan, at the end); the definition
	 * file is read first only to create a log. */
	int rc = resolve(c);
	if (!rc && mode == STORE_CREATE)
		rc = cli_load_project(c);
	if (rc)
		return rc;
	struct err e = {0};
	if (c->paths.demo && access(c->paths.db, F_OK) != 0) {
		if ((rc = cli_load_project(c)) != 0)
			return rc;
		if (paths_mkdirs_for(c->paths.db, &e) != 0)
			return cli_fail(&e);
		identity_current(&c->proj, &c->id, NULL);
		if (demo_create(c->paths.db, &c->proj, c->id.login, c->id.uid, &e) != 0)
			return cli_fail(&e);
		fprintf(stderr, "consort: created the 5FOREXCELLENCE demo log (illustrative history) at %s\n",
		        c->paths.db);
	}
	/* A log that is not there: one line saying how to make it (the store
	 * would say only "no such file"). */
	struct stat st;
	if (mode != STORE_CREATE && stat(c->paths.db, &st) != 0 && (errno == ENOENT || errno == ENOTDIR)) {
		if (c->paths.bundled)
			return cli_error(EXIT_NOINPUT, "%s: no such progress log (create the demo there with "
			                               "consort --db %s demo)", c->paths.db, c->paths.db);
		return cli_error(EXIT_NOINPUT, "%s: no such progress log (create it with consort init)",
		                 c->paths.db);
	}
	/* A write is refused with its command's name (cli_apply). */
	if (c->recorded_until_ms && mode == STORE_CHECK)
		mode = STORE_READ;
	if (c->recorded_until_ms && mode != STORE_READ)
		return cli_error(EXIT_USAGE, "--as-recorded shows the log as it was: it does not write");
	if (c->recorded_until_ms
	        ? store_open_as_recorded(c->paths.db, c->recorded_until_ms, &c->store, &e) != 0
	        : store_open(c->paths.db, mode, &c->store, &e) != 0)
		return cli_fail(&e);
	/* The cheap check: the newest links only (verify walks them all). */
	int tip_read = store_chain_tip(c->store, &c->tip, &e) == 0;
	if (!tip_read)
		e.code = 0;
	else if (c->tip.chained && !c->tip.ok)
		fprintf(stderr, "consort: warning: the log was altered: its newest entries do not link to "
		                "their predecessors (run consort verify)\n");
	if (identity_current(&c->proj, &c->id, &e) != 0) {
		/* No passwd entry for the uid (a directory service down, a
		 * container): an unknown user, who reads and never writes, even if
		 * the definition happened to list the placeholder login. */
		c->id.partner = -1;
		c->id.coordinator = 0;
		e.code = 0;
	}
	char *v = NULL;
	/* The demo is the log whose first, chained entry says so: a row in
	 * meta grants nothing. */
	if (c->tip.demo) {
		c->demo = 1;
		identity_demo_grant(&c->proj, &c->id, c->tip.demo_login);
		c->demo_login = xstrdup(c->tip.demo_login);
		if (!c->asof_given && store_meta_get(c->store, "demo_asof", &v, &e) == 0 && v) {
			cdate d;
			if (date_parse(v, &d) == 0)
				c->asof = d;
		}
	}
	free(v);
	/* The demo's place holds a log this version does not take for the
	 * demo (an earlier release's): say how to make it again. */
	if (c->paths.demo && !c->demo)
		fprintf(stderr, "consort: %s is not a demo log of this version (an earlier release's?); "
		                "consort demo makes it again and keeps the old one beside it\n", c->paths.db);
	if (!c->asof_given && !c->demo)
		c->asof = c->today;
	else if (!c->asof_given && c->asof == 0)
		c->asof = c->today;
	/* The demo lives at its own date (demo.h's date rule). */
	c->write_date = demo_today_of(c->store, tip_read && c->tip.demo, c->today);
	return cli_plan(c, mode);
}

int cli_open_read(struct cli *c)
{
	int rc = resolve(c);
	if (rc)
		return rc;
	/* Only the log implied beside a definition may be missing: a log named
	 * by --db or CONSORT_DB that is not there is an error (cli_open). */
	if (!c->paths.demo && !c->paths.db_given && access(c->paths.db, F_OK) != 0 && errno == ENOENT) {
		char *db = text_sanitize(c->paths.db, c->ascii ? TEXT_ASCII : 0);
		fprintf(stderr, "consort: no progress log at %s yet: showing the plan only "
		                "(create the log with consort init)\n", db);
		free(db);
		if ((rc = cli_load_project(c)) != 0)
			return rc;
		identity_current(&c->proj, &c->id, NULL);
		if (!c->asof_given)
			c->asof = c->today;
		return 0;
	}
	return cli_open(c, STORE_READ);
}

int cli_state(struct cli *c, struct facts *f, struct state *st)
{
	struct err e = {0};
	if (!c->store)
		facts_init_empty(f, &c->proj, c->asof);
	else if (store_facts_opts(c->store, &c->proj, c->asof, c->facts_flags, f, &e) != 0)
		return cli_fail(&e);
	derive_state(&c->proj, f, c->asof, st);
	return 0;
}

/* What cli_free leaves to the process's exit, where it is still reachable
 * (not static: a store into a static object nothing reads is dropped). */
struct cli cli_at_exit;

void cli_free(struct cli *c)
{
	if (c->store)
		store_close(c->store);
	c->store = NULL;
	/* The command is done and the process exits: the model of a large
	 * plan is some 40,000 allocations, whose freeing one by one cost a
	 * write on the large project more than its chain (1.4e6 instructions);
	 * the exit returns them at once. */
	cli_at_exit = *c;
	memset(c, 0, sizeof *c);
}

/* ---- options ---- */

enum { OPT_PROJECT = 256, OPT_DB, OPT_ASOF, OPT_ASREC, OPT_FIRST = 512 };

static const struct option global_opts[] = {
	{"project", required_argument, NULL, OPT_PROJECT},
	{"db", required_argument, NULL, OPT_DB},
	{"as-of", required_argument, NULL, OPT_ASOF},
	{"as-recorded", required_argument, NULL, OPT_ASREC},
	{"help", no_argument, NULL, 'h'},
	{"version", no_argument, NULL, 'V'},
};
#define NGLOBAL (sizeof global_opts / sizeof global_opts[0])

/* A negative number ("-3", "-+") is a value, never an option: getopt is
 * shown it without its sign, and unmask gives the whole argument back. */
struct masked {
	char **argv;
	char **shown;
	int argc;
};

static char *unmask(const struct masked *m, char *arg)
{
	for (int i = 1; i < m->argc; i++)
		if (m->shown[i] != m->argv[i] && arg == m->shown[i])
			return m->argv[i];
	return arg;
}

static const char *opt_name(const struct option *lo, int val)
{
	for (const struct option *o = lo; o->name; o++)
		if (o->val == val)
			return o->name;
	return "?";
}

/* The line for an option getopt_long refused: bad is the argument it was
 * in, optopt_ the option's value (0 for an unknown long option). */
static int opt_refused(const char *cmd, const struct option *lo, const char *bad, int optopt_)
{
	const char *pre = cmd ? cmd : "", *sep = cmd ? ": " : "", *see = cmd ? cmd : "";
	const char *sp = cmd ? " " : "";
	if (optopt_ >= OPT_PROJECT || optopt_ == 'h' || optopt_ == 'V')
		return cli_error(EXIT_USAGE, "%s%s--%s takes no value (see consort%s%s --help)", pre, sep,
		                 opt_name(lo, optopt_), sp, see);
	if (optopt_ || !bad || strncmp(bad, "--", 2) != 0)
		return cli_error(EXIT_USAGE, "%s%sunknown option '-%c' (see consort%s%s --help)", pre, sep,
		                 optopt_ ? optopt_ : '?', sp, see);
	size_t n = strcspn(bad + 2, "=");
	int matches = 0;
	for (const struct option *o = lo; o->name; o++)
		matches += strncmp(o->name, bad + 2, n) == 0;
	return cli_error(EXIT_USAGE, "%s%s%s option '%.*s' (see consort%s%s --help)", pre, sep,
	                 matches > 1 ? "ambiguous" : "unknown", (int)(n + 2), bad, sp, see);
}

int cli_asof(struct cli *c)
{
	if (c->opt_asrec) {
		if (date_parse(c->opt_asrec, &c->asrec) != 0)
			return cli_error(EXIT_USAGE, "--as-recorded: expected a date YYYY-MM-DD, found '%s'",
			                 c->opt_asrec);
		/* Recorded by the end of that day (UTC). */
		c->recorded_until_ms = ((int64_t)c->asrec + 1) * 86400000 - 1;
	}
	if (!c->opt_asof)
		return 0;
	if (date_parse(c->opt_asof, &c->asof) != 0)
		return cli_error(EXIT_USAGE, "--as-of: expected a date YYYY-MM-DD, found '%s'", c->opt_asof);
	c->asof_given = 1;
	return 0;
}

void cli_usage(FILE *f, const struct cli_command *cmd)
{
	fprintf(f, "usage: consort %s\n  %s\n", cmd->usage, cmd->summary);
}

void cli_version(FILE *f)
{
	fprintf(f, "consort %s\n"
	           "Copyright (C) 2026 the consort authors\n"
	           "License GPL-2.0-or-later: GNU GPL version 2 or later <https://gnu.org/licenses/gpl.html>.\n"
	           "This is free software: you are free to change and redistribute it.\n"
	           "There is NO WARRANTY, to the extent permitted by law.\n",
	           PACKAGE_VERSION);
}

int cli_parse(struct cli *c, const struct cli_command *cmd, int argc, char **argv,
              const struct cli_opt *opts, char **pos, int maxpos, int *npos)
{
	const char *name = cmd ? cmd->name : NULL;
	size_t nopts = 0;
	while (opts && opts[nopts].name)
		nopts++;
	struct option *lo = xcalloc(nopts + NGLOBAL + 1, sizeof *lo);
	for (size_t i = 0; i < nopts; i++)
		lo[i] = (struct option){opts[i].name, opts[i].value ? required_argument : no_argument, NULL,
		                        OPT_FIRST + (int)i};
	memcpy(lo + nopts, global_opts, sizeof global_opts);
	struct masked m = {argv, xcalloc((size_t)argc + 1, sizeof *m.shown), argc};
	for (int i = 0; i < argc; i++) {
		const char *a = argv[i];
		int negative = cmd && i > 0 && a[0] == '-' && ((a[1] >= '0' && a[1] <= '9') || a[1] == '+');
		m.shown[i] = negative ? argv[i] + 1 : argv[i];
	}
	/* A command's arguments come back in order ("-"), so POSIXLY_CORRECT
	 * changes nothing; before the command, scanning stops at its name ("+"). */
	const char *shortopts = cmd ? "-:hV" : "+:hV";
	int rc = 0, ch, help = 0, version = 0;
	*npos = 0;
	optind = 0;
	opterr = 0;
	while ((ch = getopt_long(argc, m.shown, shortopts, lo, NULL)) != -1) {
		char *val = optarg ? unmask(&m, optarg) : NULL;
		if (rc && ch != 'h' && ch != 'V')
			continue;
		switch (ch) {
		case 1:
			if (*npos >= maxpos)
				rc = cli_error(EXIT_USAGE, "%s: unexpected argument '%s' (see consort %s --help)", name,
				               val, name);
			else
				pos[(*npos)++] = val;
			break;
		case 'h': help = 1; break;
		case 'V': version = 1; break;
		case OPT_PROJECT: c->opt_project = val; break;
		case OPT_DB: c->opt_db = val; break;
		case OPT_ASOF: c->opt_asof = val; break;
		case OPT_ASREC: c->opt_asrec = val; break;
		case ':':
			rc = cli_error(EXIT_USAGE, "%s%s--%s needs a value (see consort%s%s --help)", name ? name : "",
			               name ? ": " : "", opt_name(lo, optopt), name ? " " : "", name ? name : "");
			break;
		case '?':
			rc = opt_refused(name, lo, optind > 0 && optind <= argc ? m.shown[optind - 1] : NULL, optopt);
			break;
		default:
			if (opts[ch - OPT_FIRST].flag)
				*opts[ch - OPT_FIRST].flag = 1;
			else
				*opts[ch - OPT_FIRST].value = val;
			break;
		}
	}
	if (!cmd) {
		*npos = optind; /* where the command's name is */
	} else {
		for (int i = optind; !rc && i < argc; i++) {
			if (*npos >= maxpos)
				rc = cli_error(EXIT_USAGE, "%s: unexpected argument '%s' (see consort %s --help)", name,
				               argv[i], name);
			else
				pos[(*npos)++] = unmask(&m, m.shown[i]);
		}
	}
	free(lo);
	free(m.shown);
	c->help |= help;
	c->version |= version;
	if (cmd && (c->version || c->help)) {
		/* Help and version win over the rest, as they do before a command. */
		if (c->version)
			cli_version(stdout);
		else
			cli_usage(stdout, cmd);
		rc = cli_finish(stdout, NULL, NULL);
		return rc ? rc : CLI_DONE;
	}
	return rc ? rc : cli_asof(c);
}

void cli_due_item(const struct project *p, const struct due_ref *r, const char **id,
                  const char **title, int *due)
{
	if (r->kind == ITEM_DELIVERABLE) {
		*id = p->deliverables[r->index].id;
		*title = p->deliverables[r->index].title;
		*due = p->deliverables[r->index].due;
	} else {
		*id = p->milestones[r->index].id;
		*title = p->milestones[r->index].title;
		*due = p->milestones[r->index].due;
	}
}

const char *cli_date(cdate d, char *buf)
{
	if (d == CDATE_NONE) {
		buf[0] = '\0';
		return buf;
	}
	return date_format(d, buf);
}

const char *cli_iso_ms(int64_t ms, char *buf)
{
	time_t t = (time_t)(ms / 1000);
	int frac = (int)(ms % 1000);
	if (frac < 0) {
		frac += 1000;
		t--;
	}
	struct tm tm;
	if (!gmtime_r(&t, &tm)) {
		strcpy(buf, "1970-01-01T00:00:00.000Z");
		return buf;
	}
	char tmp[96];
	snprintf(tmp, sizeof tmp, "%04d-%02d-%02dT%02d:%02d:%02d.%03dZ", tm.tm_year + 1900,
	         tm.tm_mon + 1, tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec, frac);
	snprintf(buf, 32, "%.31s", tmp);
	return buf;
}

const char *cli_rate(double v, char *buf)
{
	return text_rate(v, buf);
}


const char *cli_partner_shown(const struct cli *c, const char *given)
{
	if (given)
		return given;
	return c->id.partner >= 0 ? c->proj.partners[c->id.partner].id : "?";
}
