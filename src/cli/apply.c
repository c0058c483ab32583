/* What update, record, bench and revert share: each builds one struct
 * write_req and hands it to cli_apply, which goes through the one write
 * path: write_check() with the log open read-only, then write_apply()
 * (identity, permission, validation, one transaction). A refused write
 * prints one line and leaves the file untouched; a written one prints one
 * confirmation line naming the entry's id. */
#include "config.h"

#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cli.h"

/* Check, then write, and confirm. `what` is the confirmation text after
 * "recorded #N: ". The request is checked before the log is opened in any
 * way that could change it: opening for writing may switch the file to WAL
 * or migrate an older schema, and a refused write must leave the file
 * exactly as it was. A log of this schema in WAL mode is opened for both
 * at once (STORE_CHECK: nothing is written until write_apply commits);
 * any other is checked read only, and only a request that passes reopens
 * it for writing. write_apply checks again inside its transaction's view. */
int cli_apply(struct cli *c, const char *cmd, struct write_req *r, const char *what_fmt, ...)
{
	if (c->recorded_until_ms)
		return cli_error(EXIT_USAGE, "%s: --as-recorded shows the log as it was: it does not write", cmd);
	int rc = c->store ? 0 : cli_open(c, STORE_CHECK);
	if (rc)
		return rc;
	cdate today = c->write_date;
	struct err e = {0};
	int64_t id = 0;
	if (write_check(c->store, &c->proj, &c->id, r, today, &e) != 0)
		return cli_error(e.code ? e.code : EXIT_SOFTWARE, "%s: %s", cmd, e.msg);
	if (!store_writable(c->store)) {
		store_close(c->store);
		c->store = NULL;
		if (store_open(c->paths.db, STORE_WRITE, &c->store, &e) != 0)
			return cli_error(e.code ? e.code : EXIT_SOFTWARE, "%s: %s", cmd, e.msg);
	}
	/* A log without a plan may take the definition as its first version. */
	if (c->nplans == 0 && (rc = cli_plan(c, STORE_WRITE)) != 0)
		return rc;
	if (write_apply(c->store, &c->proj, &c->id, r, today, &id, &e) != 0)
		return cli_error(e.code ? e.code : EXIT_SOFTWARE, "%s: %s", cmd, e.msg);
	char what[1024], eff[11];
	va_list ap;
	va_start(ap, what_fmt);
	vsnprintf(what, sizeof what, what_fmt, ap);
	va_end(ap);
	int two = r->op == W_UPDATE && r->status && (r->progress >= 0 || r->link);
	printf("recorded #%lld", (long long)id);
	if (two)
		printf(" and #%lld", (long long)id + 1);
	fputs(": ", stdout);
	cli_put(stdout, what);
	/* The date the log stores, which the write path decides: a future
	 * CONSORT_TODAY is held to the real date, a revert takes the date of
	 * the entry it undoes. */
	char effective[11]; /* as struct entry keeps it */
	if (store_entry_effective(c->store, id, effective, sizeof effective) == 0)
		printf(" (effective %s)\n", effective);
	else
		printf(" (effective %s)\n", r->date ? r->date : date_format(today, eff));
	return cli_finish(stdout, cmd, NULL);
}

int cli_need(const char *cmd, int npos, int want, const char *what)
{
	if (npos < want)
		return cli_error(EXIT_USAGE, "%s: missing %s (see consort %s --help)", cmd, what, cmd);
	return 0;
}
