/* details: Enter on anything shows its full description, how it stands (from
 * derive's state) and its whole history from the log, newest first. The
 * text is laid out in lines for the width at hand and scrolls. Untrusted
 * text is sanitized; multi-line notes keep their lines, inert. */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "core/load.h"
#include "core/resources.h"
#include "core/text.h"
#include "tui/entry_words.h"
#include "tui/details.h"
#include "tui/app.h"

struct dline {
	enum tone tone;
	int indent;
	char *text;     /* sanitized */
};

struct dlines {
	struct dline *v;
	size_t n, cap;
};

static void add(struct dlines *L, enum tone t, int indent, const char *clean)
{
	xgrow(&L->v, &L->cap, L->n + 1, sizeof *L->v);
	L->v[L->n].tone = t;
	L->v[L->n].indent = indent;
	L->v[L->n].text = xstrdup(clean);
	L->n++;
}

/* Word-wrap untrusted text into lines of at most w columns. */
static void wrap(struct dlines *L, const struct app *a, enum tone t, int indent, const char *untrusted, int w, int keep_nl)
{
	char *clean = text_sanitize(untrusted ? untrusted : "", a->flags | (keep_nl ? TEXT_KEEP_NL : 0));
	if (w < 8)
		w = 8;
	char *save = NULL;
	for (char *para = strtok_r(clean, "\n", &save); para; para = strtok_r(NULL, "\n", &save)) {
		struct sbuf line = {0};
		int lw = 0;
		char *wsave = NULL;
		for (char *word = strtok_r(para, " ", &wsave); word; word = strtok_r(NULL, " ", &wsave)) {
			int ww = text_width(word);
			if (lw && lw + 1 + ww > w) {
				add(L, t, indent, sbuf_str(&line));
				sbuf_free(&line);
				lw = 0;
			}
			if (ww > w) {
				char *cut = text_fit(word, w, 'l', a->flags);
				add(L, t, indent, cut);
				free(cut);
				continue;
			}
			if (lw) {
				sbuf_putc(&line, ' ');
				lw++;
			}
			sbuf_puts(&line, word);
			lw += ww;
		}
		if (lw)
			add(L, t, indent, sbuf_str(&line));
		sbuf_free(&line);
	}
	free(clean);
}

static void addf(struct dlines *L, const struct app *a, enum tone t, int indent, const char *untrusted)
{
	char *clean = text_sanitize(untrusted, a->flags);
	add(L, t, indent, clean);
	free(clean);
}

static void lines_free(struct dlines *L)
{
	for (size_t i = 0; i < L->n; i++)
		free(L->v[i].text);
	free(L->v);
	memset(L, 0, sizeof *L);
}

static int cmp_entry_desc(const void *x, const void *y)
{
	const struct entry *a = x, *b = y;
	return a->id < b->id ? 1 : a->id > b->id ? -1 : 0;
}

static void hist_add(struct app *a, const char *item, const char *partner)
{
	struct entry_filter ef = ENTRY_FILTER_ALL;
	ef.item = item;
	ef.partner = partner;
	struct entry *v = NULL;
	size_t n = 0;
	struct err e = {0};
	if (!a->t->s || store_entries(a->t->s, &ef, &v, &n, &e) != 0)
		return;
	a->det.hist = xrealloc(a->det.hist, (a->det.nhist + n + 1) * sizeof *a->det.hist);
	for (size_t i = 0; i < n; i++)
		a->det.hist[a->det.nhist++] = v[i];
	free(v); /* the entries' strings now belong to det.hist */
}

/* Keep, of the history from index from on, the entries of kind k1 or k2
 * (k2 may be NULL); the others are freed. */
static void hist_keep(struct app *a, size_t from, const char *k1, const char *k2)
{
	size_t k = from;
	for (size_t i = from; i < a->det.nhist; i++) {
		const char *kind = a->det.hist[i].kind ? a->det.hist[i].kind : "";
		if (strcmp(kind, k1) == 0 || (k2 && strcmp(kind, k2) == 0))
			a->det.hist[k++] = a->det.hist[i];
		else
			entry_clear(&a->det.hist[i]);
	}
	a->det.nhist = k;
}

void details_close(struct app *a)
{
	entries_free(a->det.hist, a->det.nhist);
	a->det.hist = NULL;
	a->det.nhist = 0;
	a->det.open = 0;
}

int details_open(struct app *a, struct ref ref)
{
	const struct project *p = a->t->p;
	int keep_top = a->det.open && a->det.ref.kind == ref.kind && a->det.ref.index == ref.index ? a->det.top : 0;
	details_close(a);
	if (ref.kind == R_ENTRY) {
		ref.index = -1;
		for (size_t i = 0; i < a->nact; i++)
			if (a->act[i].id == ref.entry_id)
				ref.index = (int)i;
		if (ref.index < 0)
			return -1;
	}
	a->det.ref = ref;
	a->det.top = keep_top;
	switch (ref.kind) {
	case R_WP: {
		const struct wp *w = &p->wps[ref.index];
		for (int k = 0; k < w->ntasks; k++)
			hist_add(a, p->tasks[w->first_task + k].id, NULL);
		for (int k = 0; k < p->ndeliverables; k++)
			if (p->deliverables[k].wp == ref.index)
				hist_add(a, p->deliverables[k].id, NULL);
		break;
	}
	case R_TASK: hist_add(a, p->tasks[ref.index].id, NULL); break;
	case R_DELIV: hist_add(a, p->deliverables[ref.index].id, NULL); break;
	case R_MS: hist_add(a, p->milestones[ref.index].id, NULL); break;
	case R_TARGET: hist_add(a, p->targets[ref.index].id, NULL); break;
	case R_CLUSTER: {
		/* Comments on the cluster (its partner id as the item), then
		 * its benchmarks and labels. */
		const char *pid = ui_partner_id(a, p->bench.clusters[ref.index].partner);
		hist_add(a, pid, NULL);
		hist_keep(a, 0, "note", NULL);
		size_t k = a->det.nhist;
		hist_add(a, NULL, pid);
		hist_keep(a, k, "bench", "label");
		break;
	}
	case R_ENTRY: {
		const struct entry *en = &a->act[ref.index];
		if (en->item)
			hist_add(a, en->item, NULL);
		break;
	}
	case R_RES: {
		/* The partner's effort entries on the WP and its costs. */
		const char *wid = p->wps[ref.entry_id].id;
		hist_add(a, NULL, p->partners[ref.index].id);
		hist_keep(a, 0, "effort", "cost");
		size_t k = 0;
		for (size_t i = 0; i < a->det.nhist; i++) {
			const struct entry *en = &a->det.hist[i];
			if (strcmp(en->kind, "cost") == 0 || (en->item && strcmp(en->item, wid) == 0))
				a->det.hist[k++] = a->det.hist[i];
			else
				entry_clear(&a->det.hist[i]);
		}
		a->det.nhist = k;
		break;
	}
	case R_PLAN: break;
	default: return -1;
	}
	if (a->det.nhist > 1)
		qsort(a->det.hist, a->det.nhist, sizeof *a->det.hist, cmp_entry_desc);
	a->det.open = 1;
	return 0;
}

int details_find(struct app *a, const char *id, struct ref *out)
{
	const struct project *p = a->t->p;
	int idx;
	const char *num = id[0] == '#' ? id + 1 : id;
	char *end = NULL;
	long long eid = strtoll(num, &end, 10);
	if (*num && end && *end == '\0') {
		*out = (struct ref){R_ENTRY, -1, (int64_t)eid};
		for (size_t i = 0; i < a->nact; i++)
			if (a->act[i].id == eid)
				return 0;
		return -1;
	}
	switch (project_item(p, id, &idx)) {
	case ITEM_WP: *out = (struct ref){R_WP, idx, 0}; return 0;
	case ITEM_TASK: *out = (struct ref){R_TASK, idx, 0}; return 0;
	case ITEM_DELIVERABLE: *out = (struct ref){R_DELIV, idx, 0}; return 0;
	case ITEM_MILESTONE: *out = (struct ref){R_MS, idx, 0}; return 0;
	default: break;
	}
	if ((idx = project_target(p, id)) >= 0) {
		*out = (struct ref){R_TARGET, idx, 0};
		return 0;
	}
	if ((idx = project_cluster(p, id)) >= 0) {
		*out = (struct ref){R_CLUSTER, idx, 0};
		return 0;
	}
	return -1;
}

static const char *sep(const struct app *a)
{
	return a->ascii ? " - " : " \xc2\xb7 ";
}

static void due_lines(struct dlines *L, struct app *a, int due, const struct due_state *ds,
                      const struct baseline_mark *m)
{
	char buf[256], d[16], dw[32];
	struct sbuf b = {0};
	sbuf_printf(&b, "Due %s (%s)%sstatus %s%s", derive_due_words(due, m, dw, sizeof dw),
	            date_format(ds->due_date, d), sep(a), ds->status, sep(a));
	if (ds->overdue)
		sbuf_printf(&b, "%d days late", ds->days_late);
	else if (ds->done)
		sbuf_puts(&b, ds->days_late > 0 ? ui_fmt(buf, sizeof buf, "done %d days late", ds->days_late) : "done on time");
	else
		sbuf_printf(&b, "due in %d days", ds->days_left);
	addf(L, a, ds->overdue ? T_BAD : ds->due_soon ? T_WARN : T_NORMAL, 0, sbuf_str(&b));
	sbuf_free(&b);
}

static void history_lines(struct dlines *L, struct app *a, int w)
{
	char buf[64];
	add(L, T_NORMAL, 0, "");
	if (a->det.nhist == 0) {
		add(L, T_DIM, 0, "History: nothing recorded yet");
		return;
	}
	/* With the log's head, which a report quoting it can be checked by. */
	char hex[CHAIN_HEX_LEN + 1] = "";
	if (a->tip.has_head)
		chain_hex(a->tip.head, hex);
	snprintf(buf, sizeof buf, "History (%zu %s, newest first)%s%.8s%s", a->det.nhist,
	         a->det.nhist == 1 ? "entry" : "entries", hex[0] ? "  log head " : "", hex,
	         hex[0] ? (a->flags & TEXT_ASCII ? "..." : "\xe2\x80\xa6") : "");
	add(L, T_HEAD, 0, buf);
	for (size_t i = 0; i < a->det.nhist; i++) {
		const struct entry *en = &a->det.hist[i];
		struct sbuf who = {0}, what = {0}, line = {0};
		sbuf_printf(&who, "%s (%s)", en->login ? en->login : "?", en->partner ? en->partner : "-");
		int ww = 13;
		if (en->item && a->det.ref.kind != R_TASK && a->det.ref.kind != R_DELIV && a->det.ref.kind != R_MS &&
		    a->det.ref.kind != R_TARGET) {
			sbuf_printf(&what, "%s ", en->item);
			ww = 19;
		}
		activity_what(en, &what);
		char *c1 = text_cell(sbuf_str(&who), 16, 'l', a->flags);
		char *c2 = text_cell(sbuf_str(&what), ww, 'l', a->flags);
		char idb[32];
		snprintf(idb, sizeof idb, "#%lld", (long long)en->id);
		char *c3 = text_cell(idb, 6, 'l', a->flags);
		struct sbuf note = {0};
		if (en->reverted_by)
			sbuf_printf(&note, "(undone by #%lld) ", (long long)en->reverted_by);
		if (en->note)
			sbuf_printf(&note, "\"%s\"", en->note);
		char rec[11];
		if (date_recorded_apart(en->effective, en->recorded_at, rec))
			sbuf_printf(&line, "%s (recorded %s)  %s %s %s", en->effective, rec, c1, c2, c3);
		else
			sbuf_printf(&line, "%s  %s %s %s", en->effective, c1, c2, c3);
		char *clean = text_sanitize(sbuf_str(&line), a->flags);
		enum tone tone = en->reverted_by ? T_DIM : T_NORMAL;
		/* The whole note: beside the entry when there is room, wrapped
		 * on continuation lines under its start (or indented under the
		 * entry on a narrow screen). */
		int ncol = text_width(clean) + 1, nw = w - ncol;
		struct dlines N = {0};
		if (note.len) {
			if (nw >= 20)
				wrap(&N, a, tone, 0, sbuf_str(&note), nw, 1);
			else
				wrap(&N, a, tone, 0, sbuf_str(&note), w - 4, 1);
		}
		if (N.n && nw >= 20) {
			struct sbuf first = {0};
			sbuf_printf(&first, "%s %s", clean, N.v[0].text);
			add(L, tone, 0, sbuf_str(&first));
			sbuf_free(&first);
			for (size_t k = 1; k < N.n; k++)
				add(L, tone, ncol, N.v[k].text);
		} else {
			add(L, tone, 0, clean);
			for (size_t k = 0; k < N.n; k++)
				add(L, tone, 4, N.v[k].text);
		}
		lines_free(&N);
		free(clean);
		free(c1);
		free(c2);
		free(c3);
		sbuf_free(&who);
		sbuf_free(&what);
		sbuf_free(&note);
		sbuf_free(&line);
	}
}

/* Untrusted text on one line when it fits (its spacing kept), else wrapped. */
static void line_or_wrap(struct dlines *L, const struct app *a, enum tone t, int indent, const char *untrusted, int w)
{
	char *clean = text_sanitize(untrusted, a->flags);
	if (text_width(clean) <= w)
		add(L, t, indent, clean);
	else
		wrap(L, a, t, indent, untrusted, w, 0);
	free(clean);
}

/* The item's id and the plan's word for its kind, for its plan changes. */
static const char *plan_kind(enum ref_kind k)
{
	switch (k) {
	case R_WP: return "work package";
	case R_TASK: return "task";
	case R_DELIV: return "deliverable";
	case R_MS: return "milestone";
	case R_TARGET: return "target";
	default: return NULL;
	}
}

/* One change of the plan in words: "due M12 (...) -> M14 (...)", "added". */
static void diff_words(struct sbuf *b, const struct plan_diff *d, int with_item)
{
	if (with_item)
		sbuf_printf(b, "%s %s  ", d->kind, d->id);
	if (d->change == PLAN_ADDED)
		sbuf_puts(b, "added");
	else if (d->change == PLAN_REMOVED)
		sbuf_puts(b, "removed");
	else
		sbuf_printf(b, "%s %s -> %s", d->field, d->old ? d->old : "-", d->new ? d->new : "-");
}

/* The item's plan changes, version by version, oldest first:
 * "2016-10-15  plan v2 by ilze  due M12 -> M14  "note"". */
static void plan_lines(struct dlines *L, struct app *a, const char *id, enum ref_kind k, int w)
{
	const struct plan_view *pv = &a->pv;
	const char *kind = plan_kind(k);
	int shown = 0;
	for (size_t v = 1; kind && v < pv->nv; v++)
		for (size_t i = 0; i < pv->steps[v].n; i++) {
			const struct plan_diff *d = &pv->steps[v].d[i];
			if (strcmp(d->kind, kind) != 0 || strcmp(d->id, id) != 0)
				continue;
			if (!shown++) {
				add(L, T_NORMAL, 0, "");
				add(L, T_HEAD, 0, "Plan changes (oldest first)");
			}
			char d1[16];
			struct sbuf b = {0};
			sbuf_printf(&b, "%s  plan v%d by %s  ", date_format(pv->v[v].effective, d1), pv->v[v].number,
			            pv->v[v].login ? pv->v[v].login : "?");
			diff_words(&b, d, 0);
			if (pv->v[v].note)
				sbuf_printf(&b, "  \"%s\"", pv->v[v].note);
			line_or_wrap(L, a, T_WARN, 0, sbuf_str(&b), w);
			sbuf_free(&b);
		}
}

/* The definition file against the plan in force: what an amendment
 * would record. */
static void amend_lines(struct dlines *L, struct app *a, int w)
{
	const struct plan_view *pv = &a->pv;
	int in = plan_in_force(pv->v, pv->nv, a->t->today);
	wrap(L, a, T_HEAD, 0, pv->differs, w, 0);
	struct project fp;
	struct diags dg;
	memset(&fp, 0, sizeof fp);
	memset(&dg, 0, sizeof dg);
	if (in < 0 || !pv->file_text ||
	    load_project_mem("definition", pv->file_text, pv->file_len, &fp, &dg) != 0) {
		char *line = dg.n ? diag_format(&dg, &dg.v[0]) : xstrdup("the definition file does not load");
		wrap(L, a, T_BAD, 0, line, w, 0);
		free(line);
		diags_free(&dg);
		return;
	}
	diags_free(&dg);
	struct plan_diff *d = NULL;
	size_t n = 0;
	plan_diff_models(pv->models[in], &fp, &d, &n);
	char buf[96];
	snprintf(buf, sizeof buf, "%zu %s against the plan in force (v%d)", n, n == 1 ? "change" : "changes",
	         pv->v[in].number);
	add(L, T_NORMAL, 0, buf);
	add(L, T_NORMAL, 0, "");
	for (size_t i = 0; i < n; i++) {
		struct sbuf b = {0};
		diff_words(&b, &d[i], 1);
		line_or_wrap(L, a, d[i].change == PLAN_CHANGED ? T_WARN : d[i].change == PLAN_ADDED ? T_GOOD : T_DIM, 2,
		             sbuf_str(&b), w - 2);
		sbuf_free(&b);
	}
	plan_diff_free(d, n);
	project_free(&fp);
	add(L, T_NORMAL, 0, "");
	wrap(L, a, T_DIM, 0, "A again records it as an amendment (its note and the date it takes effect); Esc closes",
	     w, 0);
}

/* A partner x a WP in the resources pane: derive's row in words, the
 * person-months of each month with the note of the entry that counts, and
 * the partner's costs by category. */
/* The partner's costs on the WP (where costs name WPs) and its budget,
 * direct plus indirect, against what it spent. */
static void res_cost_lines(struct dlines *L, struct app *a, int pi, int wi)
{
	const struct project *p = a->t->p;
	const struct res_state *rs = &a->st.res;
	char s1[32], s2[32], s3[32];
	struct sbuf b = {0};
	if (rs->cost_wp_any) {
		long here = rs->cost_wp[(size_t)pi * (size_t)p->nwps + (size_t)wi], other = 0;
		for (int k = 0; k < p->nwps; k++)
			other += k == wi ? 0 : rs->cost_wp[(size_t)pi * (size_t)p->nwps + (size_t)k];
		sbuf_printf(&b, "Costs on %s %s%son other WPs %s%snaming no WP %s", p->wps[wi].id,
		            res_format_grouped(here, s1), sep(a), res_format_grouped(other, s2), sep(a),
		            res_format_grouped(rs->cost_no_wp[pi], s3));
		add(L, T_NORMAL, 2, sbuf_str(&b));
		sbuf_free(&b);
	}
	const struct res_row *r = &rs->cost_by_partner[pi];
	if (r->planned == 0 && r->actual == 0)
		return;
	sbuf_printf(&b, "%s's budget %s (with indirect costs)%sspent %s (%ld%%)%s%s",
	            p->partners[pi].id, res_format_grouped(r->planned, s1), sep(a),
	            res_format_grouped(r->actual, s2), r->share, sep(a),
	            r->flag == RES_FLAG_NONE ? "on plan" : res_flag_word(r->flag));
	add(L, r->flag == RES_FLAG_OVER ? T_BAD : r->flag == RES_FLAG_UNDER ? T_WARN : T_NORMAL, 2,
	    sbuf_str(&b));
	sbuf_free(&b);
}

static void res_lines(struct dlines *L, struct app *a, int pi, int wi, int w)
{
	const struct project *p = a->t->p;
	const struct res_state *rs = &a->st.res;
	const struct wp *x = &p->wps[wi];
	char s1[32], s2[32], s3[32], s4[32];
	struct sbuf b = {0};
	sbuf_printf(&b, "%s on %s  %s", p->partners[pi].id, x->id, x->title);
	wrap(L, a, T_HEAD, 0, sbuf_str(&b), w, 0);
	sbuf_free(&b);
	const struct res_row *r = res_effort_row(rs, pi, wi);
	if (!r) {
		add(L, T_DIM, 0, "no person-months planned or spent");
	} else {
		sbuf_printf(&b, "Person-months: planned %s%sspent to date %s (%ld%%)%sexpected %s%sprojected %s",
		            res_format(r->planned, s1), sep(a), res_format(r->actual, s2), r->share, sep(a),
		            res_format(r->expected, s3), sep(a), res_format(r->projected, s4));
		wrap(L, a, T_NORMAL, 0, sbuf_str(&b), w, 0);
		sbuf_free(&b);
		if (r->has_deviation)
			sbuf_printf(&b, "deviation %+ld%% against expected: ", r->deviation);
		if (r->flag == RES_FLAG_NONE)
			sbuf_puts(&b, "on plan");
		else
			sbuf_printf(&b, "%s (beyond %s%%)", res_flag_word(r->flag), res_format(rs->deviation_limit, s1));
		add(L, r->flag == RES_FLAG_OVER ? T_BAD : r->flag == RES_FLAG_UNDER ? T_WARN : T_NORMAL, 0,
		    sbuf_str(&b));
		sbuf_free(&b);
	}
	add(L, T_NORMAL, 0, "");
	add(L, T_HEAD, 0, "By month (the entry that counts)");
	int any = 0;
	char *const *notes;
	const long *months = app_res_months(a, pi, wi, &notes);
	for (int m = x->start; months && m <= x->end && m <= rs->month && m <= p->nmonths; m++) {
		const char *note = notes ? notes[m - 1] : NULL;
		char head[64];
		snprintf(head, sizeof head, "M%-3d %.7s %6s", m, date_format(project_month_start(p, m), s1),
		         res_format(months[m - 1], s2));
		sbuf_printf(&b, "%s  \"%s\"", head, note ? note : "");
		char *clean = text_sanitize(sbuf_str(&b), a->flags);
		if (!note) {
			add(L, T_NORMAL, 2, head);
		} else if (text_width(clean) <= w - 2) {
			add(L, T_NORMAL, 2, clean);
		} else {
			/* The whole note, wrapped under its start. */
			int nx = 2 + (int)strlen(head) + 2;
			add(L, T_NORMAL, 2, head);
			wrap(L, a, T_NORMAL, nx, sbuf_str(&b) + strlen(head) + 2, w - nx, 1);
		}
		free(clean);
		sbuf_free(&b);
		any = 1;
	}
	if (!any)
		add(L, T_DIM, 2, "no month of the WP has begun");
	add(L, T_NORMAL, 0, "");
	add(L, T_HEAD, 0, "Costs by category      planned       spent  share     projected");
	int nc = 0;
	for (int i = 0; i < rs->ncosts; i++) {
		const struct res_row *c = &rs->costs[i];
		if (c->partner != pi)
			continue;
		sbuf_printf(&b, "%-16s %12s %11s %5ld%% %13s  %s", res_category_words[c->key],
		            res_format_grouped(c->planned, s1), res_format_grouped(c->actual, s2), c->share,
		            res_format_grouped(c->projected, s3), c->flag == RES_FLAG_NONE ? "on plan" : res_flag_word(c->flag));
		add(L, c->flag == RES_FLAG_OVER ? T_BAD : c->flag == RES_FLAG_UNDER ? T_WARN : T_NORMAL, 2, sbuf_str(&b));
		sbuf_free(&b);
		nc++;
	}
	if (!nc)
		add(L, T_DIM, 2, "no costs planned or spent");
	res_cost_lines(L, a, pi, wi);
}

static void build(struct dlines *L, struct app *a, int w)
{
	const struct project *p = a->t->p;
	struct ref r = a->det.ref;
	char buf[512], d1[16], d2[16];
	struct sbuf b = {0};
	switch (r.kind) {
	case R_WP: {
		const struct wp *x = &p->wps[r.index];
		const struct wp_state *s = &a->st.wps[r.index];
		sbuf_printf(&b, "%s  %s", x->id, x->title);
		wrap(L, a, T_HEAD, 0, sbuf_str(&b), w, 0);
		sbuf_free(&b);
		sbuf_printf(&b, "Work package%slead %s%sM%d-M%d (%s to %s)", sep(a), ui_partner_id(a, x->lead), sep(a),
		            x->start, x->end, date_format(project_month_start(p, x->start), d1),
		            date_format(project_month_end(p, x->end), d2));
		addf(L, a, T_NORMAL, 0, sbuf_str(&b));
		sbuf_free(&b);
		sbuf_printf(&b, "%d%% done (%.0f%% of its time passed)%s%s%s%d of %d tasks done", s->progress,
		            s->expected * 100, sep(a), derive_word(s->state), sep(a), s->tasks_done, x->ntasks);
		addf(L, a, ui_state_tone(s->state), 0, sbuf_str(&b));
		sbuf_free(&b);
		if (x->objective) {
			add(L, T_NORMAL, 0, "");
			wrap(L, a, T_NORMAL, 0, x->objective, w, 0);
		}
		add(L, T_NORMAL, 0, "");
		for (int k = 0; k < x->ntasks; k++) {
			int ti = x->first_task + k;
			const struct task_state *ts = &a->st.tasks[ti];
			char months[32];
			snprintf(months, sizeof months, "M%d-M%d", p->tasks[ti].start, p->tasks[ti].end);
			char *tid = text_cell(p->tasks[ti].id, 6, 'l', a->flags);
			sbuf_printf(&b, "%s %3d%%  %-9s %-8s", tid, ts->progress, derive_word(ts->state), months);
			free(tid);
			/* The title in full, wrapped under itself. */
			int tx = text_width(sbuf_str(&b)) + 1;
			struct dlines T = {0};
			wrap(&T, a, ui_state_tone(ts->state), 0, p->tasks[ti].title, w - 2 - tx, 0);
			if (T.n)
				sbuf_printf(&b, " %s", T.v[0].text);
			add(L, ui_state_tone(ts->state), 2, sbuf_str(&b));
			for (size_t j = 1; j < T.n; j++)
				add(L, ui_state_tone(ts->state), 2 + tx, T.v[j].text);
			lines_free(&T);
			sbuf_free(&b);
		}
		break;
	}
	case R_TASK: {
		const struct task *x = &p->tasks[r.index];
		const struct task_state *s = &a->st.tasks[r.index];
		sbuf_printf(&b, "%s  %s", x->id, x->title);
		wrap(L, a, T_HEAD, 0, sbuf_str(&b), w, 0);
		sbuf_free(&b);
		sbuf_printf(&b, "Task of %s%slead %s%sM%d-M%d (%s to %s)", p->wps[x->wp].id, sep(a),
		            ui_partner_id(a, x->lead), sep(a), x->start, x->end,
		            date_format(project_month_start(p, x->start), d1), date_format(project_month_end(p, x->end), d2));
		addf(L, a, T_NORMAL, 0, sbuf_str(&b));
		sbuf_free(&b);
		if (x->nparticipants) {
			sbuf_puts(&b, "with");
			for (int k = 0; k < x->nparticipants; k++)
				sbuf_printf(&b, " %s", ui_partner_id(a, x->participants[k]));
			addf(L, a, T_NORMAL, 0, sbuf_str(&b));
			sbuf_free(&b);
		}
		sbuf_printf(&b, "status %s%s%d%% done (%.0f%% of its time passed)%s%s", s->status, sep(a), s->progress,
		            s->expected * 100, sep(a), derive_word(s->state));
		addf(L, a, ui_state_tone(s->state), 0, sbuf_str(&b));
		sbuf_free(&b);
		if (x->description) {
			add(L, T_NORMAL, 0, "");
			wrap(L, a, T_NORMAL, 0, x->description, w, 0);
		}
		break;
	}
	case R_DELIV: {
		const struct deliverable *x = &p->deliverables[r.index];
		sbuf_printf(&b, "%s  %s", x->id, x->title);
		wrap(L, a, T_HEAD, 0, sbuf_str(&b), w, 0);
		sbuf_free(&b);
		sbuf_printf(&b, "Deliverable of %s%slead %s", p->wps[x->wp].id, sep(a),
		            ui_partner_id(a, project_due_lead(p, ITEM_DELIVERABLE, r.index)));
		if (x->type)
			sbuf_printf(&b, "%stype %s", sep(a), x->type);
		if (x->dissemination)
			sbuf_printf(&b, "%s%s", sep(a), x->dissemination);
		addf(L, a, T_NORMAL, 0, sbuf_str(&b));
		sbuf_free(&b);
		due_lines(L, a, x->due, &a->st.deliverables[r.index], plan_mark(a, R_DELIV, r.index, 0));
		/* The document of its latest submission (history is newest first). */
		for (size_t i = 0; i < a->det.nhist; i++) {
			const struct entry *en = &a->det.hist[i];
			if (en->kind && strcmp(en->kind, "link") == 0 && !en->reverted_by && en->value) {
				sbuf_printf(&b, "Document: %s", en->value);
				wrap(L, a, T_NORMAL, 0, sbuf_str(&b), w, 0);
				sbuf_free(&b);
				break;
			}
		}
		if (x->description) {
			add(L, T_NORMAL, 0, "");
			wrap(L, a, T_NORMAL, 0, x->description, w, 0);
		}
		break;
	}
	case R_MS: {
		const struct milestone *x = &p->milestones[r.index];
		sbuf_printf(&b, "%s  %s", x->id, x->title);
		wrap(L, a, T_HEAD, 0, sbuf_str(&b), w, 0);
		sbuf_free(&b);
		sbuf_puts(&b, "Milestone of");
		for (int k = 0; k < x->nwps; k++)
			sbuf_printf(&b, " %s", p->wps[x->wps[k]].id);
		if (x->lead >= 0)
			sbuf_printf(&b, "%slead %s", sep(a), ui_partner_id(a, x->lead));
		addf(L, a, T_NORMAL, 0, sbuf_str(&b));
		sbuf_free(&b);
		due_lines(L, a, x->due, &a->st.milestones[r.index], plan_mark(a, R_MS, r.index, 0));
		if (x->verification) {
			sbuf_printf(&b, "Verified by: %s", x->verification);
			wrap(L, a, T_NORMAL, 0, sbuf_str(&b), w, 0);
			sbuf_free(&b);
		}
		if (x->description) {
			add(L, T_NORMAL, 0, "");
			wrap(L, a, T_NORMAL, 0, x->description, w, 0);
		}
		break;
	}
	case R_TARGET: {
		const struct target *x = &p->targets[r.index];
		const struct reach_state *s = &a->st.reach[r.index];
		char pw[96];
		wrap(L, a, T_HEAD, 0, x->title, w, 0);
		sbuf_printf(&b, "%s%s%s target%s%ld / %ld %s (%.0f%%)", x->id, sep(a),
		            x->kind == TARGET_COUNT ? "count" : "distinct", sep(a), s->total, s->target,
		            x->unit ? x->unit : "", s->pct);
		addf(L, a, T_NORMAL, 0, sbuf_str(&b));
		sbuf_free(&b);
		if (s->met)
			sbuf_puts(&b, "target met");
		else if (s->need == REACH_NEED_SHORT)
			sbuf_puts(&b, derive_pace_words(&a->st, r.index, pw, sizeof pw));
		else {
			char r1[32];
			sbuf_printf(&b, "%s a month so far, about %.0f by M%d; %s",
			            text_rate(s->per_month, r1), s->projection, p->nmonths,
			            derive_pace_words(&a->st, r.index, pw, sizeof pw));
		}
		addf(L, a, s->met ? T_DONE : s->on_pace ? T_GOOD : T_WARN, 0, sbuf_str(&b));
		sbuf_free(&b);
		sbuf_puts(&b, "by partner:");
		for (int k = 0; k < p->npartners; k++)
			sbuf_printf(&b, " %s %ld", p->partners[k].id, s->by_partner[k]);
		addf(L, a, T_NORMAL, 0, sbuf_str(&b));
		sbuf_free(&b);
		if (s->split_excess > 0) {
			char split[128];
			wrap(L, a, T_DIM, 0, derive_split_words(s, 0, split, sizeof split), w, 0);
		}
		if (x->kind == TARGET_DISTINCT) {
			const struct reach_fact *rf = &a->f.targets[r.index];
			sbuf_puts(&b, "values:");
			for (int k = 0; k < rf->nvalues; k++)
				sbuf_printf(&b, " %s", rf->values[k]);
			wrap(L, a, T_NORMAL, 0, sbuf_str(&b), w, 0);
			sbuf_free(&b);
		}
		break;
	}
	case R_CLUSTER: {
		const struct bcluster *x = &p->bench.clusters[r.index];
		const struct bench_state *s = &a->st.bench[r.index];
		sbuf_printf(&b, "%s  %s", ui_partner_id(a, x->partner), x->name ? x->name : p->partners[x->partner].name);
		wrap(L, a, T_HEAD, 0, sbuf_str(&b), w, 0);
		sbuf_free(&b);
		sbuf_printf(&b, "label %s%starget %s%s%d of %d indicators at or over threshold (%.0f%%), %d measured",
		            s->label >= 0 ? p->bench.labels[s->label] : "none", sep(a),
		            s->target_label >= 0 ? p->bench.labels[s->target_label] : "none", sep(a), s->at_threshold,
		            p->bench.nindicators, s->share, s->measured);
		wrap(L, a, T_NORMAL, 0, sbuf_str(&b), w, 0);
		sbuf_free(&b);
		if (s->goal_label >= 0) {
			char goal[160];
			wrap(L, a, s->goal_needs ? T_WARN : T_DONE, 0, derive_goal_words(&p->bench, s, goal, sizeof goal), w, 0);
		}
		for (int k = 0; k < a->st.nareas; k++) {
			sbuf_printf(&b, "%d/%d  %s", s->area_at ? s->area_at[k] : 0, s->area_total ? s->area_total[k] : 0,
			            a->st.areas[k]);
			addf(L, a, T_NORMAL, 2, sbuf_str(&b));
			sbuf_free(&b);
		}
		/* Each indicator's latest value against its threshold, in words
		 * beside the colour. */
		if (p->bench.nindicators > 0) {
			add(L, T_NORMAL, 0, "");
			add(L, T_DIM, 0, "Indicators: latest value / threshold");
		}
		for (int k = 0; k < p->bench.nindicators; k++) {
			const struct indicator *in = &p->bench.indicators[k];
			int pass = derive_indicator_passes(&p->bench, s, k);
			sbuf_printf(&b, "%s %s  ", in->id, in->title);
			if (pass < 0)
				sbuf_printf(&b, "- / %g  not measured", in->threshold);
			else
				sbuf_printf(&b, "%g / %g  %s", s->values[k], in->threshold,
				            pass ? (a->ascii ? "+ passes" : "\u2713 passes")
				                 : (a->ascii ? "x below" : "\u2717 below"));
			enum tone tone = pass < 0 ? T_DIM : pass ? T_DONE : T_WARN;
			char *clean = text_sanitize(sbuf_str(&b), a->flags);
			if (text_width(clean) <= w - 2)
				addf(L, a, tone, 2, sbuf_str(&b));
			else
				wrap(L, a, tone, 2, sbuf_str(&b), w - 2, 0);
			free(clean);
			sbuf_free(&b);
		}
		break;
	}
	case R_ENTRY: {
		const struct entry *en = &a->act[r.index];
		sbuf_printf(&b, "Entry #%lld%s%s %s", (long long)en->id, sep(a), en->kind ? en->kind : "",
		            en->item ? en->item : "");
		addf(L, a, T_HEAD, 0, sbuf_str(&b));
		sbuf_free(&b);
		struct sbuf what = {0};
		activity_what(en, &what);
		sbuf_printf(&b, "effective %s%sby %s for %s%s%s", en->effective, sep(a), en->login ? en->login : "?",
		            en->partner ? en->partner : "-", sep(a), sbuf_str(&what));
		sbuf_free(&what);
		addf(L, a, T_NORMAL, 0, sbuf_str(&b));
		sbuf_free(&b);
		if (en->reverted_by) {
			snprintf(buf, sizeof buf, "undone by entry #%lld", (long long)en->reverted_by);
			add(L, T_WARN, 0, buf);
		}
		if (en->note && en->note[0]) {
			add(L, T_NORMAL, 0, "");
			wrap(L, a, T_NORMAL, 2, en->note, w - 2, 1);
		}
		break;
	}
	case R_RES:
		res_lines(L, a, r.index, (int)r.entry_id, w);
		break;
	case R_PLAN:
		amend_lines(L, a, w);
		break;
	default:
		break;
	}
	if (r.kind == R_PLAN)
		return;
	const char *pid = r.kind == R_WP ? p->wps[r.index].id : r.kind == R_TASK ? p->tasks[r.index].id :
	                  r.kind == R_DELIV ? p->deliverables[r.index].id : r.kind == R_MS ? p->milestones[r.index].id :
	                  r.kind == R_TARGET ? p->targets[r.index].id : NULL;
	if (pid)
		plan_lines(L, a, pid, r.kind, w);
	history_lines(L, a, w);
}

void details_draw(struct app *a, struct rect r)
{
	struct dlines L = {0};
	build(&L, a, r.w - 2);
	a->det.nlines = (int)L.n;
	int more = (int)L.n > r.h;
	int h = more ? r.h - 1 : r.h;
	a->det.page = h > 1 ? h - 1 : 1;
	if (a->det.top > (int)L.n - h)
		a->det.top = (int)L.n - h > 0 ? (int)L.n - h : 0;
	size_t nhead = 0; /* the title, however many lines it wrapped onto */
	while (nhead < L.n && L.v[nhead].tone == T_HEAD)
		nhead++;
	int y = r.y;
	for (size_t i = (size_t)a->det.top; i < L.n && y < r.y + h; i++, y++) {
		int x = r.x + 1 + L.v[i].indent;
		ui_texta(a, y, x, r.x + r.w - x, ui_attr(a, L.v[i].tone) | (i < nhead ? A_BOLD : 0), L.v[i].text);
	}
	if (more && r.h > 1) {
		char buf[64];
		ui_fmt(buf, sizeof buf, "lines %d-%d of %d", a->det.top + 1, a->det.top + h, (int)L.n);
		ui_text(a, r.y + r.h - 1, r.x + 1, r.w - 1, T_DIM, buf);
	}
	lines_free(&L);
}

int details_key(struct app *a, int action)
{
	switch (action) {
	case ACT_BACK:
	case ACT_ENTER:
		details_close(a);
		return 1;
	case ACT_UP: a->det.top--; break;
	case ACT_DOWN: a->det.top++; break;
	case ACT_PGUP: a->det.top -= a->det.page > 0 ? a->det.page : 10; break;
	case ACT_PGDN: a->det.top += a->det.page > 0 ? a->det.page : 10; break;
	case ACT_TOP: a->det.top = 0; break;
	case ACT_BOTTOM: a->det.top = a->det.nlines; break;
	default: return 0;
	}
	if (a->det.top < 0)
		a->det.top = 0;
	if (a->det.top > a->det.nlines)
		a->det.top = a->det.nlines;
	return 1;
}
