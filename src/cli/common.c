/* common: what every command needs: find and load the definition, open the
 * log (creating the demo on first use), who the user is, the state, option
 * parsing, and the few formatting helpers the commands share. */
#include "config.h"

#include <errno.h>
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
	for (size_t i = 0; i < d.n; i++) {
		if (d.v[i].level != DIAG_ERROR && !c->warnings)
			continue;
		char *line = diag_format(&d, &d.v[i]);
		cli_error(0, "%s", line);
		free(line);
	}
	diags_free(&d);
	if (rc != 0)
		return io == ENOENT ? EXIT_NOINPUT : io ? EXIT_IOERR : EXIT_DATAERR;
	c->proj_loaded = 1;
	return 0;
}

int cli_open(struct cli *c, enum store_mode mode)
{
	int rc = cli_load_project(c);
	if (rc)
		return rc;
	struct err e = {0};
	if (c->paths.demo && access(c->paths.db, F_OK) != 0) {
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
	if (store_open(c->paths.db, mode, &c->store, &e) != 0)
		return cli_fail(&e);
	if (identity_current(&c->proj, &c->id, &e) != 0) {
		/* No passwd entry for the uid (a directory service down, a
		 * container): an unknown user, who reads and never writes, even if
		 * the definition happened to list the placeholder login. */
		c->id.partner = -1;
		c->id.coordinator = 0;
		e.code = 0;
	}
	char *v = NULL;
	if (store_meta_get(c->store, "demo", &v, &e) == 0 && v && strcmp(v, "1") == 0) {
		c->demo = 1;
		free(v);
		v = NULL;
		if (store_meta_get(c->store, "demo_login", &v, &e) == 0 && v) {
			identity_demo_grant(&c->proj, &c->id, v);
			c->demo_login = v;
			v = NULL;
		}
		if (!c->asof_given && store_meta_get(c->store, "demo_asof", &v, &e) == 0 && v) {
			cdate d;
			if (date_parse(v, &d) == 0)
				c->asof = d;
		}
	}
	free(v);
	if (!c->asof_given && !c->demo)
		c->asof = c->today;
	else if (!c->asof_given && c->asof == 0)
		c->asof = c->today;
	/* The demo lives at its own date: what is written there takes effect
	 * on the day it is viewed at, so that it shows at once. */
	c->write_date = c->demo && c->asof < c->today ? c->asof : c->today;
	return 0;
}

int cli_open_read(struct cli *c)
{
	int rc = cli_load_project(c);
	if (rc)
		return rc;
	/* Only the log implied beside a definition may be missing: a log named
	 * by --db or CONSORT_DB that is not there is an error (cli_open). */
	if (!c->paths.demo && !c->paths.db_given && access(c->paths.db, F_OK) != 0 && errno == ENOENT) {
		char *db = text_sanitize(c->paths.db, c->ascii ? TEXT_ASCII : 0);
		fprintf(stderr, "consort: no progress log at %s yet: showing the plan only "
		                "(create the log with consort init)\n", db);
		free(db);
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

void cli_free(struct cli *c)
{
	if (c->store)
		store_close(c->store);
	if (c->proj_loaded)
		project_free(&c->proj);
	if (c->paths_done)
		paths_free(&c->paths);
	free(c->demo_login);
	memset(c, 0, sizeof *c);
}

static const struct cli_opt *opt_find(const struct cli_opt *opts, const char *name, size_t n)
{
	for (const struct cli_opt *o = opts; o && o->name; o++)
		if (strlen(o->name) == n && strncmp(o->name, name, n) == 0)
			return o;
	return NULL;
}

int cli_parse(const char *cmd, int argc, char **argv, const struct cli_opt *opts,
              char **pos, int maxpos, int *npos)
{
	int dashdash = 0;
	*npos = 0;
	for (int i = 1; i < argc; i++) {
		const char *a = argv[i];
		if (!dashdash && strcmp(a, "--") == 0) {
			dashdash = 1;
			continue;
		}
		int positional = dashdash || a[0] != '-' || a[1] == '\0' ||
		                 (a[1] >= '0' && a[1] <= '9') || (a[1] == '+');
		if (positional) {
			if (*npos >= maxpos)
				return cli_error(EXIT_USAGE, "%s: unexpected argument '%s' (see consort %s --help)",
				                 cmd, a, cmd);
			pos[(*npos)++] = argv[i];
			continue;
		}
		const char *name = a[1] == '-' ? a + 2 : a + 1;
		const char *eq = strchr(name, '=');
		size_t n = eq ? (size_t)(eq - name) : strlen(name);
		const struct cli_opt *o = a[1] == '-' ? opt_find(opts, name, n) : NULL;
		if (!o)
			return cli_error(EXIT_USAGE, "%s: unknown option '%.*s' (see consort %s --help)",
			                 cmd, (int)(name + n - a), a, cmd);
		if (o->flag) {
			if (eq)
				return cli_error(EXIT_USAGE, "%s: --%s takes no value (see consort %s --help)",
				                 cmd, o->name, cmd);
			*o->flag = 1;
		} else if (eq) {
			*o->value = eq + 1;
		} else if (i + 1 < argc) {
			*o->value = argv[++i];
		} else {
			return cli_error(EXIT_USAGE, "%s: --%s needs a value (see consort %s --help)",
			                 cmd, o->name, cmd);
		}
	}
	return 0;
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

