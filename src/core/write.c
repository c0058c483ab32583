/* write: the one write path. Identity comes from the real uid (never from
 * $USER or $LOGNAME); every request is checked (who may write it, and
 * whether its values fit the definition) before anything is written, and a
 * request that passes becomes its log rows in one store_append
 * transaction. A refused request writes nothing and says why in one line. */
#include "config.h"
#include "core/write.h"

#include <ctype.h>
#include <errno.h>
#include <math.h>
#include <pwd.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/types.h>
#include <unistd.h>

#include "core/plan.h"
#include "core/resources.h"
#include "core/text.h"

#define NOTE_MAX 4096
#define DISTINCT_MAX 64
#define COUNT_MAX 1000000L

/* ---- identity -------------------------------------------------------- */

void identity_for(const struct project *p, const char *login, long uid, struct identity *id)
{
	memset(id, 0, sizeof *id);
	snprintf(id->login, sizeof id->login, "%s", login ? login : "");
	id->uid = uid;
	id->partner = p ? project_user_partner(p, id->login) : -1;
	id->coordinator = id->partner >= 0 &&
		(id->partner == p->coordinator || p->partners[id->partner].coordinator);
}

int identity_current(const struct project *p, struct identity *id, struct err *e)
{
	uid_t uid = getuid();
	errno = 0;
	struct passwd *pw = getpwuid(uid);
	if (!pw || !pw->pw_name) {
		char login[32];
		snprintf(login, sizeof login, "uid%ld", (long)uid);
		identity_for(p, login, (long)uid, id);
		return err_set(e, EXIT_IOERR, "no passwd entry for uid %ld", (long)uid);
	}
	identity_for(p, pw->pw_name, (long)uid, id);
	return 0;
}

void identity_demo_grant(const struct project *p, struct identity *id, const char *demo_login)
{
	if (!p || !demo_login || strcmp(id->login, demo_login) != 0)
		return;
	if (p->coordinator < 0 || p->coordinator >= p->npartners)
		return;
	id->partner = p->coordinator;
	id->coordinator = 1;
}

const char *identity_role(const struct identity *id)
{
	if (id->partner >= 0 && id->coordinator)
		return "coordinator";
	if (id->partner >= 0)
		return "partner";
	return "read-only";
}

/* ---- statuses -------------------------------------------------------- */

const char *const *write_statuses(enum item_kind k)
{
	static const char *const task[] = { "planned", "in_progress", "done", "blocked", NULL };
	static const char *const deliverable[] = {
		"planned", "drafting", "submitted", "accepted", "rejected", NULL };
	static const char *const milestone[] = { "pending", "reached", NULL };
	static const char *const none[] = { NULL };
	switch (k) {
	case ITEM_TASK:
		return task;
	case ITEM_DELIVERABLE:
		return deliverable;
	case ITEM_MILESTONE:
		return milestone;
	case ITEM_WP:
	case ITEM_NONE:
		break;
	}
	return none;
}

static const char *kind_name(enum item_kind k)
{
	switch (k) {
	case ITEM_WP: return "work package";
	case ITEM_TASK: return "task";
	case ITEM_DELIVERABLE: return "deliverable";
	case ITEM_MILESTONE: return "milestone";
	case ITEM_NONE: break;
	}
	return "item";
}

/* ---- checking -------------------------------------------------------- */

/* What a checked request turns into. */
struct plan {
	enum item_kind kind;
	int index;              /* item, target or cluster index */
	int partner;            /* partner index written in the partner field */
	cdate effective;
	char value[80];         /* normalised value (RECORD, BENCH, LABEL, REVERT) */
	char pct[8];            /* UPDATE: the progress as text */
	struct entry reverted;  /* REVERT: the entry undone */
};

/* Untrusted text inside an error message: inert and at most 80 bytes,
 * written into buf (SHOWN_MAX bytes). */
#define SHOWN_MAX 96
static const char *shown_into(char *buf, const char *s)
{
	char *t = text_sanitize(s ? s : "", 0);
	size_t n = strlen(t);
	if (n > 80) {
		n = 77;
		while (n > 0 && ((unsigned char)t[n] & 0xC0) == 0x80)
			n--;
		snprintf(buf, SHOWN_MAX, "%.*s...", (int)n, t);
	} else {
		snprintf(buf, SHOWN_MAX, "%s", t);
	}
	free(t);
	return buf;
}
#define SHOWN(s) shown_into((char[SHOWN_MAX]){0}, (s))

/* "a, b, c": the first count words of w, or up to a NULL when count < 0. */
static void join_words(char *buf, size_t n, const char *const *w, int count)
{
	size_t at = 0;
	buf[0] = '\0';
	for (int i = 0; count < 0 ? w[i] != NULL : i < count; i++) {
		int k = snprintf(buf + at, n - at, "%s%s", i ? ", " : "", w[i]);
		if (k < 0 || (size_t)k >= n - at)
			break;
		at += (size_t)k;
	}
}

static const char *partner_id(const struct project *p, int pi)
{
	return pi >= 0 && pi < p->npartners ? p->partners[pi].id : "?";
}

/* The partner that leads an item, for messages. */
static int item_lead(const struct project *p, enum item_kind k, int i)
{
	switch (k) {
	case ITEM_TASK:
		return p->tasks[i].lead;
	case ITEM_DELIVERABLE:
		return p->deliverables[i].lead >= 0 ? p->deliverables[i].lead
			: p->wps[p->deliverables[i].wp].lead;
	case ITEM_MILESTONE:
		if (p->milestones[i].lead >= 0)
			return p->milestones[i].lead;
		return p->milestones[i].nwps > 0 ? p->wps[p->milestones[i].wps[0]].lead : -1;
	case ITEM_WP:
		return p->wps[i].lead;
	case ITEM_NONE:
		break;
	}
	return -1;
}

static int may_update(const struct project *p, const struct identity *id,
                      enum item_kind k, int i, const char *verb, const char *what, struct err *e)
{
	if (id->coordinator || project_partner_involved(p, k, i, id->partner))
		return 0;
	const char *mine = partner_id(p, id->partner);
	return err_set(e, EXIT_NOPERM, "%s (%s) may not %s %s: it is led by %s and %s takes no part in it",
	               id->login, mine, verb, what, partner_id(p, item_lead(p, k, i)), mine);
}

static int may_record(const struct project *p, const struct identity *id, int pi, struct err *e)
{
	if (id->coordinator || pi == id->partner)
		return 0;
	const char *mine = partner_id(p, id->partner);
	return err_set(e, EXIT_NOPERM, "%s (%s) may record reach only for %s, not for %s",
	               id->login, mine, mine, partner_id(p, pi));
}

static int may_bench(const struct project *p, const struct identity *id, int pi, struct err *e)
{
	if (id->coordinator || pi == id->partner)
		return 0;
	const char *mine = partner_id(p, id->partner);
	return err_set(e, EXIT_NOPERM, "%s (%s) may record benchmarks only for %s's cluster, not for %s",
	               id->login, mine, mine, partner_id(p, pi));
}

static int check_date(const struct project *p, const char *s, cdate today, cdate *out, struct err *e)
{
	cdate d;
	char a[16], b[16];
	if (date_parse(s, &d) < 0)
		return err_set(e, EXIT_DATAERR, "'%s' is not a date (YYYY-MM-DD)", SHOWN(s));
	if (d > today)
		return err_set(e, EXIT_DATAERR, "%s is in the future (today is %s)",
		               date_format(d, a), date_format(today, b));
	if (d < p->start)
		return err_set(e, EXIT_DATAERR, "%s is before %s starts (%s)",
		               date_format(d, a), p->acronym, date_format(p->start, b));
	*out = d;
	return 0;
}

static int suggests_countries(const struct target *t)
{
	static const char *const words[] = { "countr", "member state", "nation", NULL };
	const char *fields[] = { t->unit, t->title, t->id };
	for (size_t f = 0; f < sizeof fields / sizeof fields[0]; f++) {
		if (!fields[f])
			continue;
		for (int w = 0; words[w]; w++)
			for (const char *c = fields[f]; *c; c++)
				if (strncasecmp(c, words[w], strlen(words[w])) == 0)
					return 1;
	}
	return 0;
}

/* Printable text: valid UTF-8 without control characters. */
static int printable(const char *s)
{
	size_t n = strlen(s);
	if (!text_valid_utf8(s, n))
		return 0;
	while (n > 0) {
		long cp;
		int k = text_decode(s, n, &cp);
		if (cp < 0x20 || cp == 0x7F || (cp >= 0x80 && cp < 0xA0))
			return 0;
		s += k;
		n -= (size_t)k;
	}
	return 1;
}

/* A count: +N, -N or =N, N a decimal integer up to COUNT_MAX. */
static int parse_count(const char *v, char *out, size_t n)
{
	if (!v || (v[0] != '+' && v[0] != '-' && v[0] != '='))
		return -1;
	const char *d = v + 1;
	if (!*d || strlen(d) > 12)
		return -1;
	for (const char *c = d; *c; c++)
		if (*c < '0' || *c > '9')
			return -1;
	long num = strtol(d, NULL, 10);
	if (num > COUNT_MAX)
		return -1;
	snprintf(out, n, "%c%ld", v[0], num);
	return 0;
}

/* A finite decimal number: [+-]digits[.digits]. */
static int parse_decimal(const char *v)
{
	if (!v || strlen(v) > 40)
		return -1;
	const char *c = v;
	if (*c == '+' || *c == '-')
		c++;
	if (*c < '0' || *c > '9')
		return -1;
	while (*c >= '0' && *c <= '9')
		c++;
	if (*c == '.') {
		c++;
		if (*c < '0' || *c > '9')
			return -1;
		while (*c >= '0' && *c <= '9')
			c++;
	}
	if (*c)
		return -1;
	return isfinite(strtod(v, NULL)) ? 0 : -1;
}

/* A document's link: an http(s) URL with a host, or a DOI (10.NNNN/...,
 * four to nine digits of registrant), printable ASCII without spaces, at
 * most 2048 bytes. */
static int check_link(const char *v, struct err *e)
{
	size_t n = strlen(v);
	int ok = n > 0 && n <= 2048;
	for (size_t i = 0; ok && i < n; i++)
		if ((unsigned char)v[i] <= 0x20 || (unsigned char)v[i] >= 0x7F)
			ok = 0;
	if (ok) {
		const char *rest = NULL;
		if (strncasecmp(v, "https://", 8) == 0)
			rest = v + 8;
		else if (strncasecmp(v, "http://", 7) == 0)
			rest = v + 7;
		if (rest) {
			ok = *rest && *rest != '/' && *rest != '?' && *rest != '#';
		} else if (strncmp(v, "10.", 3) == 0) {
			size_t d = strspn(v + 3, "0123456789");
			ok = d >= 4 && d <= 9 && v[3 + d] == '/' && v[4 + d] != '\0';
		} else {
			ok = 0;
		}
	}
	if (ok)
		return 0;
	return err_set(e, EXIT_DATAERR,
	               "'%s' is not a document link: give an http(s) URL or a DOI such as 10.5281/zenodo.123",
	               SHOWN(v));
}

/* The coordinator's word on a deliverable: accepted or rejected. */
static int is_verdict(const char *status)
{
	return strcmp(status, "accepted") == 0 || strcmp(status, "rejected") == 0;
}

static int check_update(const struct project *p, const struct identity *id,
                        const struct write_req *r, struct plan *pl, struct err *e)
{
	if (!r->item || !*r->item)
		return err_set(e, EXIT_USAGE, "update needs an item (a task, deliverable or milestone id)");
	pl->kind = project_item(p, r->item, &pl->index);
	if (pl->kind == ITEM_NONE)
		return err_set(e, EXIT_DATAERR,
		               "unknown item '%s' (not a task, deliverable or milestone in %s)",
		               SHOWN(r->item), p->acronym);
	if (pl->kind == ITEM_WP)
		return err_set(e, EXIT_DATAERR,
		               "%s is a work package: its state comes from its tasks; update a task, deliverable or milestone",
		               p->wps[pl->index].id);
	if (!r->status && r->progress == -1)
		return err_set(e, EXIT_USAGE, "update %s needs --status or --progress", r->item);
	if (r->status) {
		const char *const *ok = write_statuses(pl->kind);
		int found = 0;
		for (int i = 0; ok[i]; i++)
			if (strcmp(ok[i], r->status) == 0)
				found = 1;
		if (!found) {
			char list[160];
			join_words(list, sizeof list, ok, -1);
			err_set(e, EXIT_DATAERR, "'%s' is not a status for %s %s (one of: %s)",
			        SHOWN(r->status), kind_name(pl->kind), r->item, list);
			return -1;
		}
	}
	if (r->progress != -1) {
		if (pl->kind != ITEM_TASK)
			return err_set(e, EXIT_DATAERR, "progress applies only to tasks; %s is a %s",
			               r->item, kind_name(pl->kind));
		if (r->progress < 0 || r->progress > 100)
			return err_set(e, EXIT_DATAERR, "progress must be a whole percent from 0 to 100, not %d",
			               r->progress);
	}
	if (r->link) {
		if (pl->kind != ITEM_DELIVERABLE || !r->status || strcmp(r->status, "submitted") != 0)
			return err_set(e, EXIT_USAGE, "a link goes with a deliverable's submission (--status submitted)");
		if (check_link(r->link, e) < 0)
			return -1;
	}
	if (may_update(p, id, pl->kind, pl->index, "update", r->item, e) < 0)
		return -1;
	if (pl->kind == ITEM_DELIVERABLE && r->status && is_verdict(r->status) && !id->coordinator)
		return err_set(e, EXIT_NOPERM,
		               "%s (%s) may not set %s %s: only the coordinator's users (%s) accept or reject deliverables",
		               id->login, partner_id(p, id->partner), r->item, r->status,
		               partner_id(p, p->coordinator));
	pl->partner = id->partner;
	return 0;
}

/* A correction may not take a partner's count below zero, on the day it
 * takes effect or on any later day: a total of -3 companies reached means
 * the log is wrong. A correction is a "-N", or a revert of a count entry
 * (undoing a "+N" or an "=N" can lower the total as a "-N" does). The
 * partner's count entries are replayed as the facts read them: latest
 * (effective, id) "=N" and the "+N"/"-N" after it, an entry left out from
 * the effective date of the revert that names it. */
/* The requests before this one in the same batch (write_apply_many): not
 * in the log yet, but written with it, so the totals count them. */
struct pending {
	const struct write_req *r;
	const struct plan *pl;
	size_t n;
};

struct count_row {
	cdate eff, undone;      /* undone: from this day on (CDATE_NONE: never) */
	int64_t id;
	char op;                /* '+', '-', '=' */
	long n;
};

static int cmp_cdate(const void *a, const void *b)
{
	cdate x = *(const cdate *)a, y = *(const cdate *)b;
	return x < y ? -1 : x > y;
}

static int cmp_count_row(const void *a, const void *b)
{
	const struct count_row *x = a, *y = b;
	if (x->eff != y->eff)
		return x->eff < y->eff ? -1 : 1;
	return x->id < y->id ? -1 : x->id > y->id;
}

/* The total on day t; skip is the id of a row left out (0 for none), or
 * undo an id also left out from day undo_from on. */
static long count_total_on(const struct count_row *v, size_t n, cdate t, int64_t skip,
                           int64_t undo, cdate undo_from)
{
	long total = 0;
	for (size_t i = 0; i < n && v[i].eff <= t; i++) {
		if (v[i].id == skip)
			continue;
		if (v[i].undone != CDATE_NONE && v[i].undone <= t)
			continue;
		if (v[i].id == undo && undo_from <= t)
			continue;
		total = v[i].op == '=' ? v[i].n : v[i].op == '+' ? total + v[i].n : total - v[i].n;
	}
	return total;
}

static int check_not_negative(struct store *s, const struct project *p, const struct plan *pl,
                              int64_t undo, const struct pending *pd, struct err *e)
{
	const char *target = p->targets[pl->index].id;
	const char *partner = p->partners[pl->partner].id;
	struct entry_filter flt = ENTRY_FILTER_ALL;
	flt.item = target;
	flt.partner = partner;
	struct entry *en = NULL;
	size_t nen = 0;
	if (store_entries(s, &flt, &en, &nen, e) < 0)
		return -1;
	size_t npd = pd ? pd->n : 0;
	struct count_row *v = xcalloc(nen + npd + 1, sizeof *v);
	size_t n = 0;
	for (size_t i = 0; i < nen; i++) {
		cdate eff;
		const char *kind = en[i].kind ? en[i].kind : "";
		const char *val = en[i].value ? en[i].value : "";
		if (strcmp(kind, "reach") != 0 || date_parse(en[i].effective, &eff) < 0)
			continue;
		if (val[0] != '+' && val[0] != '-' && val[0] != '=')
			continue;
		v[n++] = (struct count_row){eff, CDATE_NONE, en[i].id, val[0], strtol(val + 1, NULL, 10)};
	}
	for (size_t i = 0; i < nen; i++) {
		cdate eff;
		if (!en[i].kind || strcmp(en[i].kind, "revert") != 0 || !en[i].value ||
		    date_parse(en[i].effective, &eff) < 0)
			continue;
		int64_t named = strtoll(en[i].value, NULL, 10);
		for (size_t k = 0; k < n; k++)
			if (v[k].id == named && (v[k].undone == CDATE_NONE || eff < v[k].undone))
				v[k].undone = eff;
	}
	entries_free(en, nen);
	/* The batch's rows before this one, for the same target and partner:
	 * after the log's entries, in their order. */
	for (size_t k = 0; k < npd; k++) {
		const struct plan *q = &pd->pl[k];
		const char *val = q->value;
		if (pd->r[k].op == W_RECORD && q->index == pl->index && q->partner == pl->partner &&
		    (val[0] == '+' || val[0] == '-' || val[0] == '='))
			v[n++] = (struct count_row){q->effective, CDATE_NONE, INT64_MAX - 1 - (int64_t)(npd - k),
			                            val[0], strtol(val + 1, NULL, 10)};
	}
	/* The correction itself: a "-N" written after everything else, or the
	 * revert of entry undo from the effective date on. */
	int64_t mine = INT64_MAX;
	if (!undo)
		v[n++] = (struct count_row){pl->effective, CDATE_NONE, mine,
		                            '-', strtol(pl->value + 1, NULL, 10)};
	qsort(v, n, sizeof *v, cmp_count_row);

	/* The days on which the total can change, from the effective date on. */
	cdate *days = xcalloc(2 * n + 1, sizeof *days);
	size_t nd = 0;
	days[nd++] = pl->effective;
	for (size_t i = 0; i < n; i++) {
		if (v[i].eff > pl->effective)
			days[nd++] = v[i].eff;
		if (v[i].undone != CDATE_NONE && v[i].undone > pl->effective)
			days[nd++] = v[i].undone;
	}
	qsort(days, nd, sizeof *days, cmp_cdate);
	int rc = 0;
	for (size_t i = 0; i < nd && rc == 0; i++) {
		cdate t = days[i];
		if (i > 0 && t == days[i - 1])
			continue;
		long before = count_total_on(v, n, t, undo ? 0 : mine, 0, CDATE_NONE);
		long after = count_total_on(v, n, t, 0, undo, pl->effective);
		if (after >= 0 || after >= before)
			continue;
		char d[16], d2[16];
		date_format(t, d);
		if (undo) {
			const struct count_row *u = NULL;
			for (size_t k = 0; k < n; k++)
				if (v[k].id == undo)
					u = &v[k];
			rc = err_set(e, EXIT_DATAERR,
			             "%s's %s total on %s is %ld; undoing entry %lld (%c%ld) would make it %ld",
			             partner, target, d, before, (long long)undo, u ? u->op : '?',
			             u ? u->n : 0L, after);
		} else if (t == pl->effective) {
			rc = err_set(e, EXIT_DATAERR,
			             "%s's %s total on %s is %ld; a correction of -%ld would make it negative",
			             partner, target, d, before, before - after);
		} else {
			rc = err_set(e, EXIT_DATAERR,
			             "%s's %s total on %s is %ld; a correction of -%ld dated %s would make it negative",
			             partner, target, d, before, before - after,
			             date_format(pl->effective, d2));
		}
	}
	free(days);
	free(v);
	return rc;
}

static int check_record(const struct project *p, const struct identity *id,
                        const struct write_req *r, struct plan *pl, struct err *e)
{
	if (!r->item || !*r->item)
		return err_set(e, EXIT_USAGE, "record needs a target id");
	pl->index = project_target(p, r->item);
	if (pl->index < 0)
		return err_set(e, EXIT_DATAERR, "unknown target '%s' (not a target in %s)",
		               SHOWN(r->item), p->acronym);
	if (!r->value || !*r->value)
		return err_set(e, EXIT_USAGE, "record %s needs a value", r->item);
	const struct target *t = &p->targets[pl->index];
	if (t->kind == TARGET_COUNT) {
		if (parse_count(r->value, pl->value, sizeof pl->value) < 0)
			return err_set(e, EXIT_DATAERR,
			               "'%s' is not a count: use +N, -N (a correction) or =N (the total), "
			               "N a whole number up to 1000000", SHOWN(r->value));
	} else if (suggests_countries(t)) {
		const char *v = r->value;
		char up[3] = {0};
		if (strlen(v) == 2 && !((unsigned char)v[0] & 0x80) && !((unsigned char)v[1] & 0x80)) {
			up[0] = (char)toupper((unsigned char)v[0]);
			up[1] = (char)toupper((unsigned char)v[1]);
		}
		if (!project_country_code(up))
			return err_set(e, EXIT_DATAERR,
			               "'%s' is not an ISO 3166-1 country code (such as LT or DE)", SHOWN(v));
		memcpy(pl->value, up, 3);
	} else {
		if (strlen(r->value) > DISTINCT_MAX)
			return err_set(e, EXIT_DATAERR, "a value for %s is at most %d bytes", t->id, DISTINCT_MAX);
		if (!printable(r->value))
			return err_set(e, EXIT_DATAERR,
			               "a value for %s must be printable UTF-8 text (no control characters)", t->id);
		snprintf(pl->value, sizeof pl->value, "%s", r->value);
	}
	if (r->partner) {
		pl->partner = project_partner(p, r->partner);
		if (pl->partner < 0)
			return err_set(e, EXIT_DATAERR, "unknown partner '%s'", SHOWN(r->partner));
	} else {
		pl->partner = id->partner;
	}
	return may_record(p, id, pl->partner, e);
}

/* BENCH and LABEL: the cluster. */
static int check_cluster(const struct project *p, const struct write_req *r, const char *cmd,
                         struct plan *pl, struct err *e)
{
	if (!p->bench.present)
		return err_set(e, EXIT_DATAERR, "%s defines no benchmark", p->acronym);
	if (!r->partner || !*r->partner)
		return err_set(e, EXIT_USAGE, "%s needs a cluster (its partner id)", cmd);
	pl->index = project_cluster(p, r->partner);
	if (pl->index < 0)
		return err_set(e, EXIT_DATAERR, "unknown cluster '%s' (not a benchmarked partner in %s)",
		               SHOWN(r->partner), p->acronym);
	pl->partner = p->bench.clusters[pl->index].partner;
	return 0;
}

static int check_bench(const struct project *p, const struct identity *id,
                       const struct write_req *r, struct plan *pl, struct err *e)
{
	if (check_cluster(p, r, "bench", pl, e) < 0)
		return -1;
	if (!r->item || !*r->item)
		return err_set(e, EXIT_USAGE, "bench needs an indicator id");
	if (project_indicator(p, r->item) < 0)
		return err_set(e, EXIT_DATAERR, "unknown indicator '%s' (not in the benchmark of %s)",
		               SHOWN(r->item), p->acronym);
	if (!r->value || !*r->value)
		return err_set(e, EXIT_USAGE, "bench %s %s needs a value", r->partner, r->item);
	if (parse_decimal(r->value) < 0)
		return err_set(e, EXIT_DATAERR, "'%s' is not a number (such as 3 or 2.5)", SHOWN(r->value));
	snprintf(pl->value, sizeof pl->value, "%s", r->value);
	return may_bench(p, id, pl->partner, e);
}

static int check_label(const struct project *p, const struct identity *id,
                       const struct write_req *r, struct plan *pl, struct err *e)
{
	if (check_cluster(p, r, "bench --label", pl, e) < 0)
		return -1;
	if (!r->value || !*r->value)
		return err_set(e, EXIT_USAGE, "bench %s --label needs a label", r->partner);
	if (project_label(p, r->value) < 0) {
		char list[160];
		join_words(list, sizeof list, (const char *const *)p->bench.labels, p->bench.nlabels);
		err_set(e, EXIT_DATAERR, "'%s' is not a label (one of: %s)", SHOWN(r->value), list);
		return -1;
	}
	snprintf(pl->value, sizeof pl->value, "%s", r->value);
	if (id->coordinator)
		return 0;
	return err_set(e, EXIT_NOPERM,
	               "%s (%s) may not record a label: only the coordinator's users (%s) award labels",
	               id->login, partner_id(p, id->partner), partner_id(p, p->coordinator));
}

static int check_revert(struct store *s, const struct project *p, const struct identity *id,
                        const struct write_req *r, struct plan *pl, struct err *e)
{
	if (r->revert_id <= 0)
		return err_set(e, EXIT_USAGE, "revert needs the id of an entry");
	if (!r->note || !*r->note)
		return err_set(e, EXIT_USAGE, "revert needs a note saying why");
	if (!s)
		return err_set(e, EXIT_SOFTWARE, "revert needs the log");
	if (store_entry(s, r->revert_id, &pl->reverted, e) < 0)
		return -1;
	const struct entry *en = &pl->reverted;
	long long rid = (long long)en->id;
	if (en->kind && strcmp(en->kind, "revert") == 0)
		return err_set(e, EXIT_DATAERR, "entry %lld is itself a revert; record the change again instead", rid);
	if (en->reverted_by)
		return err_set(e, EXIT_DATAERR, "entry %lld was already reverted by entry %lld",
		               rid, (long long)en->reverted_by);
	snprintf(pl->value, sizeof pl->value, "%lld", rid);
	if (date_parse(en->effective, &pl->effective) < 0)
		pl->effective = CDATE_NONE;
	pl->partner = project_partner(p, en->partner);
	if (id->coordinator)
		return 0;

	const char *mine = partner_id(p, id->partner);
	const char *kind = en->kind ? en->kind : "";
	int idx0;
	if (strcmp(kind, "label") == 0 ||
	    (strcmp(kind, "status") == 0 && en->value && is_verdict(en->value) &&
	     project_item(p, en->item, &idx0) == ITEM_DELIVERABLE))
		return err_set(e, EXIT_NOPERM,
		               "%s (%s) may not revert entry %lld: only the coordinator's users (%s) accept or reject deliverables and award labels",
		               id->login, mine, rid, partner_id(p, p->coordinator));
	if (strcmp(kind, "status") == 0 || strcmp(kind, "progress") == 0) {
		int idx;
		enum item_kind k = project_item(p, en->item, &idx);
		char what[48];
		snprintf(what, sizeof what, "entry %lld", rid);
		if (k != ITEM_NONE)
			return may_update(p, id, k, idx, "revert", what, e);
	} else if (strcmp(kind, "reach") == 0) {
		if (pl->partner >= 0 && pl->partner == id->partner)
			return 0;
	} else if (strcmp(kind, "bench") == 0 || strcmp(kind, "effort") == 0 ||
	           strcmp(kind, "cost") == 0) {
		if (pl->partner >= 0 && pl->partner == id->partner)
			return 0;
	}
	return err_set(e, EXIT_NOPERM, "%s (%s) may not revert entry %lld: it is not %s's to change",
	               id->login, mine, rid, mine);
}

/* A comment: on any item a listed partner's user can name (check_all
 * has refused users of no partner). */
static int check_note(const struct project *p, const struct identity *id,
                      const struct write_req *r, struct plan *pl, struct err *e)
{
	if (!r->item || !*r->item)
		return err_set(e, EXIT_USAGE, "note needs an item (a task, deliverable, milestone, work package, target or cluster)");
	if (!r->note || !*r->note || strspn(r->note, " \t\r\n") == strlen(r->note))
		return err_set(e, EXIT_USAGE, "note %s needs a text", SHOWN(r->item));
	int idx;
	if (project_item(p, r->item, &idx) == ITEM_NONE && project_target(p, r->item) < 0 &&
	    (!p->bench.present || project_cluster(p, r->item) < 0))
		return err_set(e, EXIT_DATAERR,
		               "unknown item '%s' (not a task, deliverable, milestone, work package, target or cluster in %s)",
		               SHOWN(r->item), p->acronym);
	pl->partner = id->partner;
	return 0;
}

/* ---- effort and costs -------------------------------------------------- */

#define EFFORT_MAX 10000L   /* hundredths: 100 person-months in one month */

static int may_spend(const struct project *p, const struct identity *id, int pi,
                     const char *what, struct err *e)
{
	if (id->coordinator || pi == id->partner)
		return 0;
	const char *mine = partner_id(p, id->partner);
	return err_set(e, EXIT_NOPERM, "%s (%s) may record %s only for %s, not for %s",
	               id->login, mine, what, mine, partner_id(p, pi));
}

static int spend_partner(const struct project *p, const struct identity *id,
                         const struct write_req *r, struct plan *pl, struct err *e)
{
	if (!r->partner) {
		pl->partner = id->partner;
		return 0;
	}
	pl->partner = project_partner(p, r->partner);
	if (pl->partner < 0)
		return err_set(e, EXIT_DATAERR, "unknown partner '%s'", SHOWN(r->partner));
	return 0;
}

static int check_effort(const struct project *p, const struct identity *id,
                        const struct write_req *r, struct plan *pl, struct err *e)
{
	if (!r->item || !*r->item)
		return err_set(e, EXIT_USAGE, "effort needs a work package id");
	pl->index = project_wp(p, r->item);
	if (pl->index < 0)
		return err_set(e, EXIT_DATAERR, "unknown work package '%s' (not a work package in %s)",
		               SHOWN(r->item), p->acronym);
	if (!r->value || !*r->value)
		return err_set(e, EXIT_USAGE, "effort %s needs the person-months spent", r->item);
	long pm;
	int rc = res_parse(r->value, strlen(r->value), 0, &pm);
	if (rc != RES_OK || pm > EFFORT_MAX)
		return err_set(e, EXIT_DATAERR,
		               "'%s' is not a number of person-months (%s): use 0 to 100 with at most "
		               "two decimals, such as 1.25", SHOWN(r->value),
		               rc != RES_OK ? res_parse_problem(rc) : "too large");
	char num[24];
	res_format(pm, num);
	snprintf(pl->value, sizeof pl->value, "%s", num);   /* the month goes in front later */
	if (spend_partner(p, id, r, pl, e) < 0)
		return -1;
	return may_spend(p, id, pl->partner, "effort", e);
}

/* The month an effort entry is for, once its date is known: inside the
 * project, the WP and the partner's months, and not after the date. */
static int check_effort_month(const struct project *p, const struct write_req *r,
                              struct plan *pl, struct err *e)
{
	int y, m, ey, em;
	date_to_ymd(pl->effective, &ey, &em, NULL);
	if (r->month) {
		const char *s = r->month;
		int ok = strlen(s) == 7 && s[4] == '-';
		for (int i = 0; ok && i < 7; i++)
			ok = i == 4 || (s[i] >= '0' && s[i] <= '9');
		if (!ok || (m = atoi(s + 5)) < 1 || m > 12)
			return err_set(e, EXIT_DATAERR, "'%s' is not a month (YYYY-MM)", SHOWN(s));
		y = atoi(s);
	} else {
		y = ey;
		m = em;
	}
	int sy, sm;
	date_to_ymd(p->start, &sy, &sm, NULL);
	int month = (y - sy) * 12 + (m - sm) + 1;
	const struct wp *w = &p->wps[pl->index];
	const struct partner *pa = &p->partners[pl->partner];
	char ym[16];
	snprintf(ym, sizeof ym, "%04d-%02d", y, m);
	if (y * 12 + m > ey * 12 + em)
		return err_set(e, EXIT_DATAERR, "%s is after the entry's date: effort is recorded for "
		               "a month begun", ym);
	if (month < w->start || month > w->end)
		return err_set(e, EXIT_DATAERR, "%s (M%d) is outside %s's months (M%d to M%d)",
		               ym, month, w->id, w->start, w->end);
	if (month < pa->joined || month > pa->left)
		return err_set(e, EXIT_DATAERR, "%s (M%d) is outside %s's membership (M%d to M%d)",
		               ym, month, pa->id, pa->joined, pa->left);
	char num[24];
	snprintf(num, sizeof num, "%.23s", pl->value);
	snprintf(pl->value, sizeof pl->value, "%s:%s", ym, num);
	return 0;
}

static int check_cost(const struct project *p, const struct identity *id,
                      const struct write_req *r, struct plan *pl, struct err *e)
{
	char list[96];
	join_words(list, sizeof list, res_category_words, RES_NCAT);
	if (!r->item || !*r->item)
		return err_set(e, EXIT_USAGE, "cost needs a category (one of: %s)", list);
	pl->index = res_category(r->item);
	if (pl->index < 0)
		return err_set(e, EXIT_DATAERR, "'%s' is not a cost category (one of: %s)",
		               SHOWN(r->item), list);
	if (!r->value || !*r->value)
		return err_set(e, EXIT_USAGE, "cost %s needs an amount", r->item);
	long cents;
	int rc = res_parse(r->value, strlen(r->value), 1, &cents);
	if (rc != RES_OK || cents == 0)
		return err_set(e, EXIT_DATAERR,
		               "'%s' is not an amount (%s): use a number with at most two decimals, "
		               "such as 1250.50, negative for a correction", SHOWN(r->value),
		               rc != RES_OK ? res_parse_problem(rc) : "zero");
	if (r->wp && project_wp(p, r->wp) < 0)
		return err_set(e, EXIT_DATAERR, "unknown work package '%s' (not a work package in %s)",
		               SHOWN(r->wp), p->acronym);
	char num[24];
	snprintf(pl->value, sizeof pl->value, "%s%s%s", res_format(cents, num), r->wp ? ":" : "",
	         r->wp ? r->wp : "");
	if (spend_partner(p, id, r, pl, e) < 0)
		return -1;
	return may_spend(p, id, pl->partner, "costs", e);
}

/* A correction (or the revert of a cost) may not take the category below zero. */
static int check_cost_total(struct store *s, const struct project *p, const char *partner,
                            const char *category, long change, int64_t skip,
                            const struct pending *pd, struct err *e)
{
	long total;
	if (change >= 0 || !s)
		return 0;
	if (store_cost_total(s, partner, category, skip, &total, e) < 0)
		return -1;
	for (size_t k = 0; pd && k < pd->n; k++) {
		long cents;
		const struct plan *q = &pd->pl[k];
		if (pd->r[k].op == W_COST && q->partner >= 0 && strcmp(p->partners[q->partner].id, partner) == 0 &&
		    pd->r[k].item && strcmp(pd->r[k].item, category) == 0 &&
		    res_entry_cost(q->value, &cents, NULL) == 0)
			total += cents;
	}
	if (total + (skip ? 0 : change) >= 0 && (!skip || total >= 0))
		return 0;
	char a[32], b[32], c[32];
	if (skip)
		return err_set(e, EXIT_DATAERR, "%s's %s costs are %s; undoing entry %lld would make "
		               "them %s", partner, category, res_format(total - change, a),
		               (long long)skip, res_format(total, b));
	return err_set(e, EXIT_DATAERR, "%s's %s costs are %s; a correction of %s would make them %s",
	               partner, category, res_format(total, a), res_format(change, b),
	               res_format(total + change, c));
}

/* An entry for a partner is dated inside the months it takes part in
 * (joined..left). A partner that stays to the last month may still write
 * after the end (a late report), one that joined in month 1 before it is
 * refused by the start rule already. */
static int check_months(const struct project *p, int pi, cdate d, struct err *e)
{
	if (pi < 0 || pi >= p->npartners)
		return 0;
	const struct partner *pa = &p->partners[pi];
	cdate first = date_month_first(p->start, pa->joined);
	cdate last = date_month_last(p->start, pa->left);
	int early = pa->joined > 1 && d < first;
	int late = pa->left < p->nmonths && d > last;
	if (!early && !late)
		return 0;
	char a[16], b[16], c[16];
	return err_set(e, EXIT_DATAERR, "%s takes part from M%d to M%d (%s to %s); %s is outside",
	               pa->id, pa->joined, pa->left, date_format(first, a), date_format(last, b),
	               date_format(d, c));
}

/* A revert of a count entry ("+N", "-N", "=N") of a known target and partner. */
static int reverts_count(const struct project *p, struct plan *pl)
{
	const struct entry *en = &pl->reverted;
	if (!en->kind || strcmp(en->kind, "reach") != 0 || !en->item || !en->value)
		return 0;
	if (en->value[0] != '+' && en->value[0] != '=')
		return 0; /* undoing a "-N" only raises the total */
	int t = project_target(p, en->item);
	if (t < 0 || p->targets[t].kind != TARGET_COUNT || pl->partner < 0)
		return 0;
	pl->index = t;
	return 1;
}

/* An amendment (or the log's first version): who may, and what it may
 * be. pl->index gets the new version's number. */
static int check_amend(struct store *s, const struct project *p, const struct identity *id,
                       const struct write_req *r, cdate today, struct plan *pl, struct err *e)
{
	const struct project *np = r->plan;
	if (!s || !np || !r->plan_text)
		return err_set(e, EXIT_SOFTWARE, "an amendment needs the log and the new plan");
	struct plan_version *v;
	size_t n;
	if (plan_versions(s, 0, &v, &n, e) < 0)
		return -1;
	plan_versions_free(v, n);
	struct identity nid;
	identity_for(np, id->login, id->uid, &nid);
	if (n > 0 && !id->coordinator)
		return err_set(e, EXIT_NOPERM, "only a coordinator of the plan in force (%s) amends it; "
		                               "%s is %s", p->coordinator >= 0 ? p->partners[p->coordinator].id : "?",
		               SHOWN(id->login), identity_role(id));
	if (n == 0 && !nid.coordinator && id->uid != 0)
		return err_set(e, EXIT_NOPERM, "the log's first plan is recorded by a coordinator of that "
		                               "plan or by root; %s is not", SHOWN(id->login));
	if (np->coordinator < 0 || np->partners[np->coordinator].nusers == 0)
		return err_set(e, EXIT_DATAERR, "the new plan leaves no coordinator: its coordinator "
		                                "partner lists no user");
	if ((n > 0 || id->uid != 0) && !nid.coordinator)
		return err_set(e, EXIT_DATAERR, "the new plan takes %s's own coordinator rights away; "
		                                "nothing was written", SHOWN(id->login));
	if (n > 0) {
		struct plan_diff *d;
		size_t nd;
		plan_diff_models(p, np, &d, &nd);
		plan_diff_free(d, nd);
		if (nd == 0)
			return err_set(e, EXIT_DATAERR, "the new plan is identical to the plan in force; "
			                                "nothing to amend");
	}
	pl->effective = n == 0 ? np->start : today;
	if (r->date) {
		cdate d;
		char a[16], b[16];
		if (date_parse(r->date, &d) < 0)
			return err_set(e, EXIT_DATAERR, "'%s' is not a date (YYYY-MM-DD)", SHOWN(r->date));
		if (d < np->start)
			return err_set(e, EXIT_DATAERR, "%s is before %s starts (%s)", date_format(d, a),
			               np->acronym, date_format(np->start, b));
		pl->effective = d;
	}
	pl->partner = nid.partner;
	pl->index = (int)n + 1;
	char dg[PLAN_DIGEST_SIZE];
	snprintf(pl->value, sizeof pl->value, "%d %s", pl->index,
	         plan_digest_b2(r->plan_text, r->plan_len, dg));
	return 0;
}

static int check_totals(struct store *s, const struct project *p, const struct write_req *r,
                        struct plan *pl, const struct pending *pd, struct err *e);

/* Everything about one request but the totals it may lower (check_totals):
 * its shape, values, dates and the writer's rights. */
static int check_request(struct store *s, const struct project *p, const struct identity *id,
                         const struct write_req *r, cdate today, struct plan *pl, struct err *e)
{
	memset(pl, 0, sizeof *pl);
	/* A date override (CONSORT_TODAY) may move what is shown, never where a
	 * write may land: nothing is dated after the real clock's today, or a
	 * future-dated entry would silently win over every later correction. */
	cdate real = date_today_real();
	if (today > real)
		today = real;
	pl->effective = today;
	pl->partner = -1;
	if (r->op == W_AMEND) {
		if (r->note && strlen(r->note) > NOTE_MAX)
			return err_set(e, EXIT_DATAERR, "a note is at most %d bytes", NOTE_MAX);
		if (r->note && !text_valid_utf8(r->note, strlen(r->note)))
			return err_set(e, EXIT_DATAERR, "a note must be valid UTF-8 text");
		return check_amend(s, p, id, r, today, pl, e);
	}
	if (id->partner < 0)
		return err_set(e, EXIT_NOPERM,
		               "%s is not listed as a user of any partner in %s; the log is read-only for you",
		               SHOWN(id->login), p->acronym);
	if (r->note) {
		if (strlen(r->note) > NOTE_MAX)
			return err_set(e, EXIT_DATAERR, "a note is at most %d bytes", NOTE_MAX);
		if (!text_valid_utf8(r->note, strlen(r->note)))
			return err_set(e, EXIT_DATAERR, "a note must be valid UTF-8 text");
	}
	int rc;
	switch (r->op) {
	case W_UPDATE: rc = check_update(p, id, r, pl, e); break;
	case W_RECORD: rc = check_record(p, id, r, pl, e); break;
	case W_BENCH:  rc = check_bench(p, id, r, pl, e); break;
	case W_LABEL:  rc = check_label(p, id, r, pl, e); break;
	case W_REVERT: rc = check_revert(s, p, id, r, pl, e); break;
	case W_NOTE:   rc = check_note(p, id, r, pl, e); break;
	case W_EFFORT: rc = check_effort(p, id, r, pl, e); break;
	case W_COST:   rc = check_cost(p, id, r, pl, e); break;
	default:       rc = err_set(e, EXIT_SOFTWARE, "unknown write operation %d", (int)r->op); break;
	}
	if (rc < 0)
		return -1;
	if (r->date) {
		if (check_date(p, r->date, today, &pl->effective, e) < 0)
			return -1;
	} else if (r->op == W_REVERT && pl->effective == CDATE_NONE) {
		pl->effective = today;
	} else if (r->op != W_REVERT) {
		pl->effective = today;
	}
	int writer = r->op == W_UPDATE || r->op == W_NOTE;
	if (r->op != W_REVERT && check_months(p, writer ? id->partner : pl->partner,
	                                      pl->effective, e) < 0)
		return -1;
	if (r->op == W_EFFORT && check_effort_month(p, r, pl, e) < 0)
		return -1;
	return 0;
}

/* One request written alone: check_request, then its totals against the
 * log. */
static int check_all(struct store *s, const struct project *p, const struct identity *id,
                     const struct write_req *r, cdate today, struct plan *pl, struct err *e)
{
	if (check_request(s, p, id, r, today, pl, e) < 0)
		return -1;
	return check_totals(s, p, r, pl, NULL, e);
}

/* The checks that read totals from the log: a cost or a correction may
 * not take a partner's category or count below zero, nor may a revert.
 * check_all runs them for one request; write_apply_many runs them again
 * under the write lock (recheck_totals), where another partner's write
 * since then is seen, and for a batch with its earlier rows counted (pd),
 * as write_check_many does. */
static int check_totals(struct store *s, const struct project *p, const struct write_req *r,
                        struct plan *pl, const struct pending *pd, struct err *e)
{
	if (r->op == W_COST) {
		long cents;
		res_entry_cost(pl->value, &cents, NULL);
		return check_cost_total(s, p, p->partners[pl->partner].id, r->item, cents, 0, pd, e);
	}
	if (r->op == W_REVERT && pl->reverted.kind && strcmp(pl->reverted.kind, "cost") == 0 &&
	    pl->reverted.partner && pl->reverted.item) {
		long cents;
		if (res_entry_cost(pl->reverted.value, &cents, NULL) == 0)
			return check_cost_total(s, p, pl->reverted.partner, pl->reverted.item, -cents,
			                        pl->reverted.id, pd, e);
	}
	if (r->op == W_RECORD && pl->value[0] == '-' && s)
		return check_not_negative(s, p, pl, 0, pd, e);
	if (r->op == W_REVERT && reverts_count(p, pl))
		return check_not_negative(s, p, pl, pl->reverted.id, pd, e);
	return 0;
}

int write_check(struct store *s, const struct project *p, const struct identity *id,
                const struct write_req *r, cdate today, struct err *e)
{
	struct plan pl;
	int rc = check_all(s, p, id, r, today, &pl, e);
	entry_clear(&pl.reverted);
	return rc;
}

/* ---- applying -------------------------------------------------------- */

/* The entries of one checked request into v (at most WRITE_MAX_ENTRIES);
 * returns how many. They point into r, pl and id. */
#define WRITE_MAX_ENTRIES 2
static size_t entries_of(const struct project *p, const struct identity *id,
                         const struct write_req *r, struct plan *pl, struct new_entry *v)
{
	size_t n = 0;
	struct new_entry base = {
		.effective = pl->effective,
		.login = id->login,
		.uid = id->uid,
		.partner = pl->partner >= 0 ? p->partners[pl->partner].id : NULL,
		.note = r->note,
	};
	switch (r->op) {
	case W_UPDATE:
		if (r->status) {
			v[n] = base;
			v[n].item = r->item;
			v[n].kind = "status";
			v[n].value = r->status;
			n++;
		}
		if (r->link) {
			v[n] = base;
			v[n].item = r->item;
			v[n].kind = "link";
			v[n].value = r->link;
			v[n].note = NULL;
			n++;
		}
		if (r->progress != -1) {
			snprintf(pl->pct, sizeof pl->pct, "%d", r->progress);
			v[n] = base;
			v[n].item = r->item;
			v[n].kind = "progress";
			v[n].value = pl->pct;
			n++;
		}
		break;
	case W_RECORD:
	case W_BENCH:
		v[n] = base;
		v[n].item = r->item;
		v[n].kind = r->op == W_RECORD ? "reach" : "bench";
		v[n].value = pl->value;
		n++;
		break;
	case W_LABEL:
		v[n] = base;
		v[n].item = NULL;
		v[n].kind = "label";
		v[n].value = pl->value;
		n++;
		break;
	case W_AMEND:
		break;
	case W_EFFORT:
	case W_COST:
		v[n] = base;
		v[n].item = r->op == W_EFFORT ? p->wps[pl->index].id : res_category_words[pl->index];
		v[n].kind = r->op == W_EFFORT ? "effort" : "cost";
		v[n].value = pl->value;
		n++;
		break;
	case W_REVERT:
		v[n] = base;
		/* item and partner exactly as in the entry undone */
		v[n].item = pl->reverted.item;
		v[n].partner = pl->reverted.partner;
		v[n].kind = "revert";
		v[n].value = pl->value;
		n++;
		break;
	case W_NOTE:
		v[n] = base;
		v[n].item = r->item;
		v[n].kind = "note";
		v[n].value = "";
		n++;
		break;
	}
	return n;
}

struct recheck {
	const struct project *p;
	const struct write_req *r;
	struct plan *pl;
	size_t n;
	size_t *bad;
};

static int recheck_totals(struct store *s, const void *ctx, struct err *e)
{
	const struct recheck *c = ctx;
	for (size_t i = 0; i < c->n; i++) {
		struct pending before = {c->r, c->pl, i};
		if (check_totals(s, c->p, &c->r[i], &c->pl[i], &before, e) < 0) {
			if (c->bad)
				*c->bad = i;
			return -1;
		}
	}
	return 0;
}

int write_check_many(struct store *s, const struct project *p, const struct identity *id,
                     const struct write_req *r, size_t n, cdate today, size_t *bad,
                     struct err *e)
{
	struct plan *pl = xcalloc(n ? n : 1, sizeof *pl);
	size_t i, done = 0;
	int rc = 0;
	for (i = 0; i < n && rc == 0; i++, done++)
		rc = check_request(s, p, id, &r[i], today, &pl[i], e);
	if (rc == 0) {
		struct recheck c = {p, r, pl, n, bad};
		rc = recheck_totals(s, &c, e);
	} else if (bad) {
		*bad = i - 1;
	}
	for (size_t k = 0; k < done; k++)
		entry_clear(&pl[k].reverted);
	free(pl);
	return rc;
}

int write_apply_many(struct store *s, const struct project *p, const struct identity *id,
                     const struct write_req *r, size_t n, cdate today, int64_t *first_id,
                     size_t *bad, struct err *e)
{
	if (!s)
		return err_set(e, EXIT_SOFTWARE, "no log to write to");
	struct plan *pl = xcalloc(n ? n : 1, sizeof *pl);
	struct new_entry *v = xcalloc(n * WRITE_MAX_ENTRIES + 1, sizeof *v);
	size_t nv = 0, i;
	int rc = 0;
	for (i = 0; i < n; i++) {
		if (r[i].op == W_AMEND) {
			/* A plan version is written alone, with its text (write_apply). */
			rc = err_set(e, EXIT_SOFTWARE, "an amendment is not written with other entries");
			if (bad)
				*bad = i;
			break;
		}
		/* The totals are checked under the write lock, with the rows
		 * before each counted (recheck_totals). */
		if (check_request(s, p, id, &r[i], today, &pl[i], e) < 0) {
			if (bad)
				*bad = i;
			rc = -1;
			i++;
			break;
		}
		nv += entries_of(p, id, &r[i], &pl[i], v + nv);
	}
	struct recheck rc_ctx = {p, r, pl, n, bad};
	if (rc == 0)
		rc = store_append_checked(s, v, nv, recheck_totals, &rc_ctx, first_id, e);
	for (size_t k = 0; k < i; k++)
		entry_clear(&pl[k].reverted);
	free(v);
	free(pl);
	return rc;
}

/* A new version of the plan: its entry and, in the same transaction, its
 * text and compiled form (store_append_plan). */
static int apply_amend(struct store *s, const struct project *p, const struct identity *id,
                       const struct write_req *r, cdate today, int64_t *first_id, struct err *e)
{
	struct plan pl;
	if (!s)
		return err_set(e, EXIT_SOFTWARE, "no log to write to");
	if (check_all(s, p, id, r, today, &pl, e) < 0) {
		entry_clear(&pl.reverted);
		return -1;
	}
	struct new_entry a = {
		.effective = pl.effective,
		.login = id->login,
		.uid = id->uid,
		.partner = pl.partner >= 0 ? r->plan->partners[pl.partner].id : NULL,
		.kind = "plan",
		.value = pl.value,
		.note = r->note,
	};
	int rc = store_append_plan(s, &a, pl.index, r->plan_text, r->plan_len, r->plan, first_id, e);
	entry_clear(&pl.reverted);
	return rc;
}

int write_apply(struct store *s, const struct project *p, const struct identity *id,
                const struct write_req *r, cdate today, int64_t *first_id, struct err *e)
{
	if (r->op == W_AMEND)
		return apply_amend(s, p, id, r, today, first_id, e);
	return write_apply_many(s, p, id, r, 1, today, first_id, NULL, e);
}
