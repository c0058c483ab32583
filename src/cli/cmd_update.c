/* update, record, bench, revert: each builds one struct write_req and hands
 * it to the one write path: write_check() with the log open read-only, then
 * write_apply() (identity, permission, validation, one transaction). A
 * refused write prints one line and leaves the file untouched; a written
 * one prints one confirmation line naming the entry's id. */
#include "config.h"

#include <errno.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cli.h"

/* Check, then write, and confirm. `what` is the confirmation text after
 * "recorded #N: ". The request is checked with the log open for reading
 * only: opening for writing may switch the file to WAL or migrate an older
 * schema, and a refused write must leave the file exactly as it was. Only a
 * request that passes reopens the log for writing (write_apply checks again
 * there, inside its transaction's view). */
static int update_apply(struct cli *c, const char *cmd, struct write_req *r, const char *what_fmt, ...)
	__attribute__((format(printf, 4, 5)));

static int update_apply(struct cli *c, const char *cmd, struct write_req *r, const char *what_fmt, ...)
{
	int rc = c->store ? 0 : cli_open(c, STORE_READ);
	if (rc)
		return rc;
	cdate today = c->write_date;
	struct err e = {0};
	int64_t id = 0;
	if (write_check(c->store, &c->proj, &c->id, r, today, &e) != 0)
		return cli_error(e.code ? e.code : EXIT_SOFTWARE, "%s: %s", cmd, e.msg);
	store_close(c->store);
	c->store = NULL;
	if (store_open(c->paths.db, STORE_WRITE, &c->store, &e) != 0)
		return cli_error(e.code ? e.code : EXIT_SOFTWARE, "%s: %s", cmd, e.msg);
	if (write_apply(c->store, &c->proj, &c->id, r, today, &id, &e) != 0)
		return cli_error(e.code ? e.code : EXIT_SOFTWARE, "%s: %s", cmd, e.msg);
	char what[1024], eff[11];
	va_list ap;
	va_start(ap, what_fmt);
	vsnprintf(what, sizeof what, what_fmt, ap);
	va_end(ap);
	int two = r->op == W_UPDATE && r->status && r->progress >= 0;
	printf("recorded #%lld", (long long)id);
	if (two)
		printf(" and #%lld", (long long)id + 1);
	fputs(": ", stdout);
	cli_put(stdout, what);
	/* The date the log stores, which the write path decides: a future
	 * CONSORT_TODAY is held to the real date, a revert takes the date of
	 * the entry it undoes. */
	struct entry en;
	memset(&en, 0, sizeof en);
	if (store_entry(c->store, id, &en, &e) == 0)
		printf(" (effective %s)\n", en.effective);
	else
		printf(" (effective %s)\n", r->date ? r->date : date_format(today, eff));
	entry_clear(&en);
	return cli_finish(stdout, cmd, NULL);
}

static int update_need(const char *cmd, int npos, int want, const char *what)
{
	if (npos < want)
		return cli_error(EXIT_USAGE, "%s: missing %s (see consort %s --help)", cmd, what, cmd);
	return 0;
}

int cmd_update(struct cli *c, int argc, char **argv)
{
	const char *status = NULL, *progress = NULL, *note = NULL, *date = NULL;
	char *pos[1];
	int npos = 0;
	const struct cli_opt opts[] = {
		{"status", &status, NULL},
		{"progress", &progress, NULL},
		{"note", &note, NULL},
		{"date", &date, NULL},
		{NULL, NULL, NULL},
	};
	int rc = cli_parse("update", argc, argv, opts, pos, 1, &npos);
	if (rc || (rc = update_need("update", npos, 1, "ITEM")))
		return rc;
	if (!status && !progress)
		return cli_error(EXIT_USAGE, "update: give --status or --progress (see consort update --help)");
	struct write_req r;
	memset(&r, 0, sizeof r);
	r.op = W_UPDATE;
	r.item = pos[0];
	r.status = status;
	r.progress = -1;
	r.note = note;
	r.date = date;
	if (progress) {
		char *end;
		errno = 0;
		long v = strtol(progress, &end, 10);
		if (errno || end == progress || *end != '\0' || v < 0 || v > 100)
			return cli_error(EXIT_DATAERR, "update: --progress: expected a percentage 0-100, found '%s'",
			                 progress);
		r.progress = (int)v;
	}
	char pr[24] = "";
	if (progress)
		snprintf(pr, sizeof pr, "progress %d", r.progress);
	return update_apply(c, "update", &r, "%s%s%s%s%s", pos[0], status ? " status " : "",
	                    status ? status : "", progress ? (status ? ", " : " ") : "", pr);
}

int cmd_record(struct cli *c, int argc, char **argv)
{
	const char *partner = NULL, *note = NULL, *date = NULL;
	char *pos[2];
	int npos = 0;
	const struct cli_opt opts[] = {
		{"partner", &partner, NULL},
		{"note", &note, NULL},
		{"date", &date, NULL},
		{NULL, NULL, NULL},
	};
	int rc = cli_parse("record", argc, argv, opts, pos, 2, &npos);
	if (rc || (rc = update_need("record", npos, 2, "TARGET VALUE")))
		return rc;
	struct write_req r;
	memset(&r, 0, sizeof r);
	r.op = W_RECORD;
	r.item = pos[0];
	r.value = pos[1];
	r.partner = partner;
	r.progress = -1;
	r.note = note;
	r.date = date;
	if ((rc = cli_open(c, STORE_READ)) != 0)
		return rc;
	/* The partner named in the confirmation: the given one, else the user's. */
	const char *who = partner ? partner : c->id.partner >= 0 ? c->proj.partners[c->id.partner].id : "?";
	return update_apply(c, "record", &r, "%s %s for %s", pos[0], pos[1], who);
}

int cmd_bench(struct cli *c, int argc, char **argv)
{
	const char *label = NULL, *note = NULL, *date = NULL;
	char *pos[3];
	int npos = 0;
	const struct cli_opt opts[] = {
		{"label", &label, NULL},
		{"note", &note, NULL},
		{"date", &date, NULL},
		{NULL, NULL, NULL},
	};
	int rc = cli_parse("bench", argc, argv, opts, pos, 3, &npos);
	if (rc)
		return rc;
	struct write_req r;
	memset(&r, 0, sizeof r);
	r.progress = -1;
	r.note = note;
	r.date = date;
	if (label) {
		if (npos != 1)
			return cli_error(EXIT_USAGE, "bench: with --label, give only CLUSTER (see consort bench --help)");
		r.op = W_LABEL;
		r.partner = pos[0];
		r.value = label;
		return update_apply(c, "bench", &r, "%s label %s", pos[0], label);
	}
	if ((rc = update_need("bench", npos, 3, "CLUSTER INDICATOR VALUE")))
		return rc;
	r.op = W_BENCH;
	r.partner = pos[0];
	r.item = pos[1];
	r.value = pos[2];
	return update_apply(c, "bench", &r, "%s %s = %s", pos[0], pos[1], pos[2]);
}

int cmd_revert(struct cli *c, int argc, char **argv)
{
	const char *note = NULL, *date = NULL;
	char *pos[1];
	int npos = 0;
	const struct cli_opt opts[] = {
		{"note", &note, NULL},
		{"date", &date, NULL},
		{NULL, NULL, NULL},
	};
	int rc = cli_parse("revert", argc, argv, opts, pos, 1, &npos);
	if (rc || (rc = update_need("revert", npos, 1, "ID")))
		return rc;
	if (!note || !*note)
		return cli_error(EXIT_USAGE, "revert: --note TEXT is required: say why (see consort revert --help)");
	const char *s = pos[0][0] == '#' ? pos[0] + 1 : pos[0];
	char *end;
	errno = 0;
	long long id = strtoll(s, &end, 10);
	if (errno || end == s || *end != '\0' || id <= 0)
		return cli_error(EXIT_DATAERR, "revert: expected an entry id such as 42, found '%s'", pos[0]);
	struct write_req r;
	memset(&r, 0, sizeof r);
	r.op = W_REVERT;
	r.progress = -1;
	r.revert_id = (int64_t)id;
	r.note = note;
	r.date = date;
	return update_apply(c, "revert", &r, "revert of #%lld", id);
}
