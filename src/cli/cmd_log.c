/* log: the history, newest first, each entry with its id; filtered by item
 * (or partner), date and login. An id that is neither in the definition nor
 * in the log is an error (65); no match says which filters found nothing. Text is sanitized and aligned by display
 * width; the note is cut to the terminal's width only when stdout is a
 * terminal. --json gives an array of entries via the one JSON emitter.
 * The entries go from the log to stdout one at a time, none held: a log
 * of millions of entries takes no more memory than one of ten. */
#include "config.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>

#include "cli/cli.h"
#include "core/json.h"
#include "core/text.h"

static int log_term_cols(void)
{
	struct winsize ws;
	if (ioctl(STDOUT_FILENO, TIOCGWINSZ, &ws) == 0 && ws.ws_col > 0)
		return ws.ws_col;
	const char *s = getenv("COLUMNS");
	int n = s ? atoi(s) : 0;
	return n > 0 ? n : 80;
}

static const char *log_value(const struct entry *en, char *buf, size_t n)
{
	if (en->kind && strcmp(en->kind, "revert") == 0 && en->value) {
		snprintf(buf, n, "#%s", en->value);
		return buf;
	}
	return en->value ? en->value : "";
}

static int log_width(const char *s, int cap)
{
	char *t = text_sanitize(s ? s : "", 0);
	int w = text_width(t);
	free(t);
	return w > cap ? cap : w;
}

/* 1 when the log has any entry for item id, 0 when none, -1 on error. */
static int log_has_item(struct cli *c, const char *id, struct err *e)
{
	struct entry_filter any = ENTRY_FILTER_ALL;
	any.item = id;
	any.limit = 1;
	struct entry *v = NULL;
	size_t n = 0;
	if (store_entries(c->store, &any, &v, &n, e) != 0)
		return -1;
	entries_free(v, n);
	return n > 0;
}

/* "no entries", saying which filters found none. */
static void log_none(FILE *f, const struct entry_filter *flt, int until_given)
{
	char d[11];
	fputs("no entries", f);
	if (flt->item) {
		fputs(" for ", f);
		cli_put(f, flt->item);
	} else if (flt->partner) {
		fputs(" for partner ", f);
		cli_put(f, flt->partner);
	}
	if (flt->by) {
		fputs(" by ", f);
		cli_put(f, flt->by);
	}
	if (flt->since != CDATE_NONE)
		fprintf(f, " since %s", date_format(flt->since, d));
	if (until_given && flt->until != CDATE_NONE)
		fprintf(f, " up to %s", date_format(flt->until, d));
	fputc('\n', f);
}

/* The rows log shows, one at a time: the store's entries under the filter,
 * those of the scope only (the first keep of them, 0 for all). */
struct log_walk {
	struct cli *c;
	int scope;            /* partner index, or -1 */
	size_t keep, kept;
	int (*row)(const struct entry *en, struct log_walk *w);
	/* text: the columns' widths (first pass), then the rows */
	int wid, wlogin, wpartner, witem, wkind, wvalue, weff;
	int tty, ascii, cols, used;
	struct json j;
};

static int log_step(const struct entry *en, void *arg)
{
	struct log_walk *w = arg;
	if (w->scope >= 0) {
		if (w->keep && w->kept >= w->keep)
			return 1;
		if (!derive_entry_concerns(&w->c->proj, en, w->scope))
			return 0;
	}
	w->kept++;
	return w->row(en, w);
}

static int log_measure(const struct entry *en, struct log_walk *w)
{
	char buf[40], rec[11];
	/* A back-dated entry: "2017-03-01 (recorded 2017-03-20)". */
	if (date_recorded_apart(en->effective, en->recorded_at, rec))
		w->weff = 32;
	snprintf(buf, sizeof buf, "#%lld", (long long)en->id);
	if ((int)strlen(buf) > w->wid)
		w->wid = (int)strlen(buf);
	int k;
	if ((k = log_width(en->login, 16)) > w->wlogin) w->wlogin = k;
	if ((k = log_width(en->partner, 12)) > w->wpartner) w->wpartner = k;
	if ((k = log_width(en->item, 16)) > w->witem) w->witem = k;
	if ((k = log_width(en->kind, 8)) > w->wkind) w->wkind = k;
	if ((k = log_width(log_value(en, buf, sizeof buf), 14)) > w->wvalue) w->wvalue = k;
	return 0;
}

static void log_head(FILE *f, struct log_walk *w)
{
	w->cols = w->tty ? log_term_cols() : 0;
	w->used = w->wid + 2 + w->weff + 2 + w->wlogin + 2 + w->wpartner + 2 + w->witem + 2 + w->wkind + 2 +
	          w->wvalue + 2;
	fprintf(f, "%-*s  %-*s  ", w->wid, "id", w->weff, "effective");
	cli_cell(f, "login", w->wlogin, 'l');
	fputs("  ", f);
	cli_cell(f, "partner", w->wpartner, 'l');
	fputs("  ", f);
	cli_cell(f, "item", w->witem, 'l');
	fputs("  ", f);
	cli_cell(f, "kind", w->wkind, 'l');
	fputs("  ", f);
	cli_cell(f, "value", w->wvalue, 'l');
	fputs("  note\n", f);
}

static int log_line(const struct entry *en, struct log_walk *w)
{
	FILE *f = stdout;
	char buf[40], rec[11];
	snprintf(buf, sizeof buf, "#%lld", (long long)en->id);
	char eff[40];
	if (date_recorded_apart(en->effective, en->recorded_at, rec))
		snprintf(eff, sizeof eff, "%s (recorded %s)", en->effective, rec);
	else
		snprintf(eff, sizeof eff, "%s", en->effective);
	fprintf(f, "%-*s  %-*s  ", w->wid, buf, w->weff, eff);
	cli_cell(f, en->login ? en->login : "", w->wlogin, 'l');
	fputs("  ", f);
	cli_cell(f, en->partner ? en->partner : "", w->wpartner, 'l');
	fputs("  ", f);
	cli_cell(f, en->item ? en->item : "", w->witem, 'l');
	fputs("  ", f);
	cli_cell(f, en->kind ? en->kind : "", w->wkind, 'l');
	fputs("  ", f);
	cli_cell(f, log_value(en, buf, sizeof buf), w->wvalue, 'l');
	fputs("  ", f);
	struct sbuf note = {0};
	if (en->reverted_by)
		sbuf_printf(&note, "(reverted by #%lld)%s", (long long)en->reverted_by,
		            en->note && *en->note ? " " : "");
	if (en->note)
		sbuf_puts(&note, en->note);
	char *clean = text_sanitize(sbuf_str(&note), w->ascii ? TEXT_ASCII : 0);
	int room = w->cols - w->used;
	if (w->tty && room > 0 && text_width(clean) > room) {
		char *cut = text_fit(clean, room, 'l', w->ascii ? TEXT_ASCII : 0);
		fputs(cut, f);
		free(cut);
	} else {
		fputs(clean, f);
	}
	free(clean);
	sbuf_free(&note);
	fputc('\n', f);
	return 0;
}

static int log_json_row(const struct entry *en, struct log_walk *w)
{
	struct json *j = &w->j;
	char iso[32];
	json_obj_begin(j);
	json_key(j, "id");
	json_int(j, en->id);
	json_key(j, "recorded_at");
	json_str(j, cli_iso_ms(en->recorded_at, iso));
	json_key(j, "effective");
	json_str(j, en->effective);
	/* The day it was recorded, when that is not its effective date. */
	char rec[11];
	json_key(j, "back_dated");
	int apart = date_recorded_apart(en->effective, en->recorded_at, rec);
	json_bool(j, apart);
	json_key(j, "recorded_on");
	json_str(j, date_format(date_of_ms(en->recorded_at), rec));
	json_key(j, "login");
	json_str(j, en->login);
	json_key(j, "uid");
	json_int(j, en->uid);
	json_key(j, "partner");
	json_str(j, en->partner);
	json_key(j, "item");
	json_str(j, en->item);
	json_key(j, "kind");
	json_str(j, en->kind);
	json_key(j, "value");
	json_str(j, en->value);
	json_key(j, "note");
	json_str(j, en->note);
	if (en->reverted_by) {
		json_key(j, "reverted_by");
		json_int(j, en->reverted_by);
	}
	json_obj_end(j);
	return 0;
}

/* The entries under flt through w->row, from the first again. */
static int log_pass(struct log_walk *w, const struct entry_filter *flt, int (*row)(const struct entry *,
                    struct log_walk *), struct err *e)
{
	w->row = row;
	w->kept = 0;
	return store_entries_each(w->c->store, flt, log_step, w, e);
}

/* The history as JSON, or as text (a pass for the columns' widths, then
 * one for the rows, in one read transaction): the entries stream from the
 * log to stdout, none held. */
static int log_show(struct log_walk *w, const struct entry_filter *flt, int as_json, int until_given,
                    struct err *e)
{
	if (as_json) {
		w->j.pretty = 1;
		w->j.sink = stdout;
		json_arr_begin(&w->j);
		int rc = log_pass(w, flt, log_json_row, e);
		json_arr_end(&w->j);
		fputs(json_text(&w->j), stdout);
		fputc('\n', stdout);
		json_free(&w->j);
		return rc;
	}
	w->wid = 2, w->wlogin = 5, w->wpartner = 7, w->witem = 4, w->wkind = 4, w->wvalue = 5, w->weff = 10;
	if (store_read_begin(w->c->store, e) < 0)
		return -1;
	int rc = log_pass(w, flt, log_measure, e);
	if (rc == 0 && w->kept == 0) {
		log_none(stdout, flt, until_given);
	} else if (rc == 0) {
		log_head(stdout, w);
		rc = log_pass(w, flt, log_line, e);
	}
	store_read_end(w->c->store);
	return rc;
}

static int cmd_log(struct cli *c, int argc, char **argv);

const struct cli_command cli_cmd_log = {
	"log", cmd_log,
	"log [ITEM] [--since DATE] [--by LOGIN] [--limit N] [--mine | --partner ID] [--json]",
	"the history, newest first",
	1,
};

static int cmd_log(struct cli *c, int argc, char **argv)
{
	const char *since = NULL, *by = NULL, *limit = NULL, *partner_s = NULL;
	int as_json = 0, npos = 0, mine = 0;
	char *pos[1];
	const struct cli_opt opts[] = {
		{"since", &since, NULL},
		{"by", &by, NULL},
		{"limit", &limit, NULL},
		{"json", NULL, &as_json},
		{"mine", NULL, &mine},
		{"partner", &partner_s, NULL},
		{NULL, NULL, NULL},
	};
	int rc = cli_parse(c, &cli_cmd_log, argc, argv, opts, pos, 1, &npos);
	if (rc)
		return rc;
	struct entry_filter flt = ENTRY_FILTER_ALL;
	flt.by = by;
	if (since && date_parse(since, &flt.since) != 0)
		return cli_error(EXIT_USAGE, "log: --since: expected a date YYYY-MM-DD, found '%s'", since);
	if (limit) {
		char *end;
		errno = 0;
		long long n = strtoll(limit, &end, 10);
		if (errno || end == limit || *end || n <= 0)
			return cli_error(EXIT_USAGE, "log: --limit: expected a positive number, found '%s'", limit);
		flt.limit = (size_t)n;
	}
	if ((rc = cli_open(c, STORE_READ)) != 0)
		return rc;
	int scope = -1;
	if ((rc = cli_scope(c, "log", mine, partner_s, &scope)) != 0)
		return rc;
	size_t keep = flt.limit;
	if (scope >= 0)
		flt.limit = 0; /* the limit counts what the scope keeps */
	if (c->asof_given)
		flt.until = c->asof;
	struct err e = {0};
	if (npos == 1) {
		int idx;
		/* An item, target or indicator id; else a partner (cluster) id. */
		int known = project_item(&c->proj, pos[0], &idx) != ITEM_NONE ||
		            project_target(&c->proj, pos[0]) >= 0 || project_indicator(&c->proj, pos[0]) >= 0;
		if (!known && project_partner(&c->proj, pos[0]) >= 0)
			flt.partner = pos[0];
		else
			flt.item = pos[0];
		if (!known && !flt.partner) {
			/* Not in the definition: still the history of an id the log
			 * holds (an item since removed), else a typo. */
			int rc2 = log_has_item(c, pos[0], &e);
			if (rc2 < 0)
				return cli_fail(&e);
			if (rc2 == 0)
				return cli_error(EXIT_DATAERR, "log: unknown item '%s' (not a task, deliverable, milestone, "
				                               "target, indicator or partner id, and not in the log)",
				                 pos[0]);
		}
	}
	struct log_walk w = {0};
	w.c = c;
	w.scope = scope;
	w.keep = keep;
	w.tty = isatty(STDOUT_FILENO);
	w.ascii = c->ascii;
	if (log_show(&w, &flt, as_json, c->asof_given, &e) != 0)
		return cli_fail(&e);
	return cli_finish(stdout, "log", NULL);
}
