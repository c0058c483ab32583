/* dialog: the small forms behind u (a task's status and progress, a
 * deliverable's or milestone's status), + (reach), b (a benchmark value),
 * B (a benchmark label), e (person-months) and $ (a cost), one per write_op. A text field that gets the focus with a prefilled
 * value shows it selected: the first character typed replaces it, Backspace
 * edits it.
 * Every change of a field runs write_check, so the form says at once what is
 * wrong (or who may not write); Enter writes through write_apply, the same
 * path and the same log rows as the command line; Esc cancels. */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "core/resources.h"
#include "core/load.h"
#include "core/text.h"
#include "tui/dialog.h"
#include "tui/keys.h"
#include "tui/app.h"

static void field_choice(struct field *f, const char *label, const char **choices, const char *cur)
{
	memset(f, 0, sizeof *f);
	f->label = label;
	f->type = F_CHOICE;
	f->choices = choices;
	while (choices[f->nchoices])
		f->nchoices++;
	for (int i = 0; i < f->nchoices; i++)
		if (cur && strcmp(choices[i], cur) == 0)
			f->choice = i;
}

static void field_text(struct field *f, const char *label, const char *init)
{
	memset(f, 0, sizeof *f);
	f->label = label;
	f->type = F_TEXT;
	snprintf(f->text, sizeof f->text, "%s", init ? init : "");
	f->len = strlen(f->text);
}

static const char *choice(const struct dialog *d, int i)
{
	const struct field *f = &d->f[i];
	return f->nchoices ? f->choices[f->choice] : "";
}

static const char *text_or_null(const struct dialog *d, int i)
{
	return d->f[i].len ? d->f[i].text : NULL;
}

/* Move the focus to field i; a prefilled text field starts selected. */
static void focus(struct dialog *d, int i)
{
	for (int k = 0; k < d->nf; k++)
		d->f[k].fresh = 0;
	d->cur = i;
	d->f[i].fresh = d->f[i].type == F_TEXT && d->f[i].len > 0;
}

/* Add bytes to a text field (replacing a selected prefilled value). */
static void field_add(struct field *f, const char *s, size_t n)
{
	if (f->fresh) {
		f->len = 0;
		f->text[0] = '\0';
		f->fresh = 0;
	}
	if (f->len + n + 1 > sizeof f->text)
		return;
	memcpy(f->text + f->len, s, n);
	f->len += n;
	f->text[f->len] = '\0';
}

static const char *ref_id(const struct app *a, struct ref r)
{
	const struct project *p = a->t->p;
	switch (r.kind) {
	case R_TASK: return p->tasks[r.index].id;
	case R_DELIV: return p->deliverables[r.index].id;
	case R_MS: return p->milestones[r.index].id;
	case R_WP: return p->wps[r.index].id;
	case R_TARGET: return p->targets[r.index].id;
	case R_CLUSTER: return p->partners[p->bench.clusters[r.index].partner].id;
	case R_ENTRY: return a->act[r.index].item ? a->act[r.index].item : "";
	default: return "";
	}
}

/* Build the request from the fields; returns -1 with d->error set when the
 * form itself cannot say what to write. */
static int build_req(struct app *a, struct write_req *r)
{
	struct dialog *d = &a->dlg;
	memset(r, 0, sizeof *r);
	r->progress = -1;
	if (d->op == W_UPDATE) {
		r->op = W_UPDATE;
		r->item = ref_id(a, d->ref);
		const char *cur_status = d->ref.kind == R_TASK ? a->st.tasks[d->ref.index].status
		                         : d->ref.kind == R_DELIV ? a->st.deliverables[d->ref.index].status
		                                                  : a->st.milestones[d->ref.index].status;
		if (strcmp(choice(d, 0), cur_status ? cur_status : "") != 0)
			r->status = choice(d, 0);
		int k = 1;
		if (d->ref.kind == R_TASK) {
			const char *t = d->f[1].text;
			char *end = NULL;
			long v = strtol(t, &end, 10);
			if (!d->f[1].len || *end != '\0' || end == t) {
				snprintf(d->error, sizeof d->error, "progress: a whole number 0-100, found '%s'", t);
				return -1;
			}
			if (v < 0) {
				snprintf(d->error, sizeof d->error, "progress: a whole number 0-100, found '%s'", t);
				return -1;
			}
			if (v != a->st.tasks[d->ref.index].progress)
				r->progress = (int)(v > 1000 ? 1000 : v);
			k = 2;
		}
		r->note = text_or_null(d, k);
		r->date = text_or_null(d, k + 1);
		cdate dd;
		if (r->date && date_parse(r->date, &dd) != 0) {
			snprintf(d->error, sizeof d->error, "date: a date YYYY-MM-DD, found '%s'", r->date);
			return -1;
		}
		if (!r->status && r->progress < 0) {
			/* What to change, said for the field the cursor is on. */
			if (d->cur == 0)
				snprintf(d->error, sizeof d->error, "choose a new status (\u2190\u2192)%s",
				         d->ref.kind == R_TASK ? " or type a new progress" : "");
			else if (d->ref.kind == R_TASK && d->cur == 1)
				snprintf(d->error, sizeof d->error, "type a new progress (0-100) or choose a new status");
			else
				snprintf(d->error, sizeof d->error, "nothing changes yet: a new status%s first",
				         d->ref.kind == R_TASK ? " or a new progress" : "");
			return -1;
		}
	} else if (d->op == W_NOTE) {
		r->op = W_NOTE;
		r->item = d->item;
		r->note = d->f[0].text;
		r->date = text_or_null(d, 1);
		if (!d->f[0].len) {
			snprintf(d->error, sizeof d->error, "type the comment");
			return -1;
		}
	} else if (d->op == W_AMEND) {
		/* The definition file as the plan's next version. */
		r->op = W_AMEND;
		r->plan = d->plan;
		r->plan_text = a->pv.file_text;
		r->plan_len = a->pv.file_len;
		r->note = text_or_null(d, 0);
		r->date = text_or_null(d, 1);
		if (!r->note) {
			snprintf(d->error, sizeof d->error, "say what the amendment is (its note)");
			return -1;
		}
	} else if (d->op == W_RECORD) {
		r->op = W_RECORD;
		r->item = choice(d, 0);
		r->value = d->f[1].text;
		r->partner = choice(d, 2);
		r->note = text_or_null(d, 3);
		r->date = text_or_null(d, 4);
	} else if (d->op == W_EFFORT) {
		r->op = W_EFFORT;
		r->item = choice(d, 0);
		r->value = d->f[1].text;
		r->partner = choice(d, 2);
		r->month = text_or_null(d, 3);
		r->note = text_or_null(d, 4);
		r->date = text_or_null(d, 5);
	} else if (d->op == W_COST) {
		r->op = W_COST;
		r->item = choice(d, 0);
		r->value = d->f[1].text;
		r->wp = d->f[2].choice > 0 ? choice(d, 2) : NULL;
		r->partner = choice(d, 3);
		r->note = text_or_null(d, 4);
		r->date = text_or_null(d, 5);
	} else if (d->op == W_LABEL) {
		r->op = W_LABEL;
		r->partner = choice(d, 0);
		r->value = choice(d, 1);
		r->note = text_or_null(d, 2);
		r->date = text_or_null(d, 3);
	} else {
		r->op = W_BENCH;
		r->partner = choice(d, 0);
		r->item = choice(d, 1);
		r->value = d->f[2].text;
		r->note = text_or_null(d, 3);
		r->date = text_or_null(d, 4);
	}
	return 0;
}

static void recheck(struct app *a)
{
	struct dialog *d = &a->dlg;
	struct write_req r;
	d->error[0] = '\0';
	d->ok = 0;
	if (build_req(a, &r) != 0)
		return;
	struct err e = {0};
	if (write_check(a->t->s, a->t->p, a->t->id, &r, a->t->today, &e) != 0) {
		snprintf(d->error, sizeof d->error, "%s", e.msg);
		return;
	}
	d->ok = 1;
}

void dialog_close(struct app *a)
{
	free(a->dlg.owned);
	free(a->dlg.owned2);
	if (a->dlg.plan) {
		project_free(a->dlg.plan);
		free(a->dlg.plan);
	}
	memset(&a->dlg, 0, sizeof a->dlg);
}


/* The Cluster field of the benchmark dialogs (its choices owned by d);
 * returns the preselected cluster: the selected one, else the user's own. */
static const char *cluster_field(struct dialog *d, const struct project *p, struct ref r,
                                 const struct identity *id)
{
	const char **cl = xcalloc((size_t)p->bench.nclusters + 1, sizeof *cl);
	for (int i = 0; i < p->bench.nclusters; i++)
		cl[i] = p->partners[p->bench.clusters[i].partner].id;
	d->owned = cl;
	const char *own = r.kind == R_CLUSTER ? cl[r.index] : p->partners[id->partner].id;
	field_choice(&d->f[d->nf++], "Cluster", cl, own);
	return own;
}

int dialog_open(struct app *a, enum write_op op, struct ref r, char *why, size_t whyn)
{
	const struct project *p = a->t->p;
	const struct identity *id = a->t->id;
	if (id->partner < 0) {
		char ro[160];
		snprintf(why, whyn, "%s", keys_readonly_why(a, ro, sizeof ro));
		return -1;
	}
	if (!a->t->s) {
		snprintf(why, whyn, "no log is open: nothing can be recorded");
		return -1;
	}
	dialog_close(a);
	struct dialog *d = &a->dlg;
	/* The same default as the command line (cli_open's write_date). */
	char today[16];
	date_format(a->t->write_date ? a->t->write_date : a->t->today, today);
	d->op = op;
	if (op == W_UPDATE) {
		if (r.kind == R_ENTRY) {
			const struct entry *en = &a->act[r.index];
			int idx;
			enum item_kind k = en->item ? project_item(p, en->item, &idx) : ITEM_NONE;
			r.kind = k == ITEM_TASK ? R_TASK : k == ITEM_DELIVERABLE ? R_DELIV : k == ITEM_MILESTONE ? R_MS : R_NONE;
			r.index = idx;
		}
		if (r.kind == R_WP) {
			snprintf(why, whyn, "a work package moves with its tasks: Enter opens it, then u on a task");
			return -1;
		}
		if (r.kind != R_TASK && r.kind != R_DELIV && r.kind != R_MS) {
			snprintf(why, whyn, "u updates a task, deliverable or milestone (panes 1, 2 and 5)");
			return -1;
		}
		d->ref = r;
		enum item_kind ik = r.kind == R_TASK ? ITEM_TASK : r.kind == R_DELIV ? ITEM_DELIVERABLE : ITEM_MILESTONE;
		/* The permission first: no form for an item the user may not change. */
		struct write_req probe = {.op = W_UPDATE, .item = ref_id(a, r), .progress = -1,
		                          .status = write_statuses(ik)[0]};
		struct err pe = {0};
		if (write_check(NULL, p, id, &probe, a->t->today, &pe) != 0 && pe.code == EXIT_NOPERM) {
			snprintf(why, whyn, "%s", pe.msg);
			return -1;
		}
		const char *title = r.kind == R_TASK ? p->tasks[r.index].title
		                    : r.kind == R_DELIV ? p->deliverables[r.index].title : p->milestones[r.index].title;
		char *ct = text_cell(title, 48, 'l', a->flags);
		char *cid = text_sanitize(ref_id(a, r), a->flags);
		snprintf(d->title, sizeof d->title, "Update %s %s", cid, ct);
		free(ct);
		free(cid);
		const char *cur = r.kind == R_TASK ? a->st.tasks[r.index].status
		                  : r.kind == R_DELIV ? a->st.deliverables[r.index].status : a->st.milestones[r.index].status;
		field_choice(&d->f[d->nf++], "Status", (const char **)write_statuses(ik), cur);
		if (r.kind == R_TASK) {
			char pb[16];
			snprintf(pb, sizeof pb, "%d", a->st.tasks[r.index].progress);
			field_text(&d->f[d->nf++], "Progress %", pb);
		}
	} else if (op == W_AMEND) {
		struct diags dg;
		memset(&dg, 0, sizeof dg);
		d->plan = xcalloc(1, sizeof *d->plan);
		if (!a->pv.file_text ||
		    load_project_mem("definition", a->pv.file_text, a->pv.file_len, d->plan, &dg) != 0) {
			char *line = dg.n ? diag_format(&dg, &dg.v[0]) : xstrdup("the definition file does not load");
			snprintf(why, whyn, "%s", line);
			free(line);
			diags_free(&dg);
			dialog_close(a);
			return -1;
		}
		diags_free(&dg);
		snprintf(d->title, sizeof d->title, "Record the definition file as an amendment of the plan");
	} else if (op == W_RECORD) {
		if (p->ntargets == 0) {
			snprintf(why, whyn, "the definition has no reach targets");
			return -1;
		}
		snprintf(d->title, sizeof d->title, "Record reach");
		const char **ids = xcalloc((size_t)p->ntargets + 1, sizeof *ids);
		for (int i = 0; i < p->ntargets; i++)
			ids[i] = p->targets[i].id;
		d->owned = ids;
		field_choice(&d->f[d->nf++], "Target", ids, r.kind == R_TARGET ? p->targets[r.index].id : NULL);
		field_text(&d->f[d->nf++], "Value", "");
		const char **pids = xcalloc((size_t)p->npartners + 1, sizeof *pids);
		for (int i = 0; i < p->npartners; i++)
			pids[i] = p->partners[i].id;
		d->owned2 = pids;
		field_choice(&d->f[d->nf++], "Partner", pids, p->partners[id->partner].id);
	} else if (op == W_NOTE) {
		const char *item = ref_id(a, r);
		if (!item[0]) {
			snprintf(why, whyn, "c comments on the selected task, deliverable, milestone, WP, target or cluster");
			return -1;
		}
		snprintf(d->item, sizeof d->item, "%s", item);
		char *cid = text_sanitize(item, a->flags);
		snprintf(d->title, sizeof d->title, "Comment on %s", cid);
		free(cid);
		field_text(&d->f[d->nf++], "Note", "");
		field_text(&d->f[d->nf++], "Date", today);
		d->cur = 0;
		focus(d, 0);
		d->open = 1;
		recheck(a);
		return 0;
	} else if (op == W_EFFORT || op == W_COST) {
		/* In the resources pane: the selected partner and WP. */
		int res = a->cur == PANE_RESOURCES;
		const struct pane *rp = &a->panes[PANE_RESOURCES];
		/* With a partner filter the pane's one row is that partner's. */
		int fp = app_filter_partner(a), row = res && rp->sel >= 0 && rp->sel < p->npartners ? rp->sel : -1;
		int pi = row < 0 ? id->partner : fp >= 0 ? fp : row;
		int wi = res && rp->hscroll >= 0 && rp->hscroll < p->nwps ? rp->hscroll : 0;
		int lead = op == W_COST;  /* the cost's WP may be none: "-" first */
		const char **wps = xcalloc((size_t)p->nwps + 2, sizeof *wps);
		if (lead)
			wps[0] = "-";
		for (int i = 0; i < p->nwps; i++)
			wps[i + lead] = p->wps[i].id;
		d->owned = wps;
		const char **pids = xcalloc((size_t)p->npartners + 1, sizeof *pids);
		for (int i = 0; i < p->npartners; i++)
			pids[i] = p->partners[i].id;
		d->owned2 = pids;
		if (op == W_EFFORT) {
			snprintf(d->title, sizeof d->title, "Record person-months spent");
			field_choice(&d->f[d->nf++], "WP", wps, p->nwps ? p->wps[wi].id : NULL);
			field_text(&d->f[d->nf++], "Person-months", "");
			field_choice(&d->f[d->nf++], "Partner", pids, p->partners[pi].id);
			char month[16];
			snprintf(month, sizeof month, "%.7s", today);
			field_text(&d->f[d->nf++], "Month", month);
		} else {
			snprintf(d->title, sizeof d->title, "Record a cost%s%s", p->budget.currency ? " in " : "",
			         p->budget.currency ? p->budget.currency : "");
			field_choice(&d->f[d->nf++], "Category", (const char **)res_category_words, NULL);
			field_text(&d->f[d->nf++], "Amount", "");
			field_choice(&d->f[d->nf++], "WP", wps, res ? p->wps[wi].id : "-");
			field_choice(&d->f[d->nf++], "Partner", pids, p->partners[pi].id);
		}
	} else if (op == W_LABEL) {
		if (!p->bench.present || p->bench.nclusters == 0 || p->bench.nlabels == 0) {
			snprintf(why, whyn, "the definition has no benchmark labels");
			return -1;
		}
		snprintf(d->title, sizeof d->title, "Award a benchmark label");
		const char *own = cluster_field(d, p, r, id);
		const char **labs = xcalloc((size_t)p->bench.nlabels + 1, sizeof *labs);
		for (int i = 0; i < p->bench.nlabels; i++)
			labs[i] = p->bench.labels[i];
		d->owned2 = labs;
		/* Start at the label after the one recorded: the usual award. */
		int ci = project_cluster(p, own);
		int cur = ci >= 0 ? a->st.bench[ci].label + 1 : 0;
		field_choice(&d->f[d->nf++], "Label", labs, labs[cur >= 0 && cur < p->bench.nlabels ? cur : 0]);
	} else {
		if (!p->bench.present || p->bench.nclusters == 0 || p->bench.nindicators == 0) {
			snprintf(why, whyn, "the definition has no benchmark");
			return -1;
		}
		snprintf(d->title, sizeof d->title, "Record a benchmark value");
		cluster_field(d, p, r, id);
		const char **ind = xcalloc((size_t)p->bench.nindicators + 1, sizeof *ind);
		for (int i = 0; i < p->bench.nindicators; i++)
			ind[i] = p->bench.indicators[i].id;
		d->owned2 = ind;
		field_choice(&d->f[d->nf++], "Indicator", ind, NULL);
		field_text(&d->f[d->nf++], "Value", "");
	}
	field_text(&d->f[d->nf++], "Note", "");
	field_text(&d->f[d->nf++], "Date", today);
	/* The focus starts on the field most likely to change. */
	d->cur = op == W_AMEND ? 0 : op == W_RECORD || op == W_LABEL || op == W_EFFORT || op == W_COST ? 1 : op == W_BENCH ? 2 : op == W_UPDATE && r.kind == R_TASK ? 1 : 0;
	focus(d, d->cur);
	d->open = 1;
	recheck(a);
	return 0;
}

/* Enter: write the form through write_apply. Returns 1 when written (the
 * dialog closed, *done filled), 0 when the form stays with its error. */
static int submit(struct app *a, struct dialog_done *done)
{
	struct dialog *d = &a->dlg;
	struct write_req r;
	if (build_req(a, &r) != 0)
		return 0;
	struct err e = {0};
	int64_t first = 0;
	if (write_apply(a->t->s, a->t->p, a->t->id, &r, a->t->today, &first, &e) != 0) {
		snprintf(d->error, sizeof d->error, "%s", e.msg);
		d->ok = 0;
		return 0;
	}
	done->first = first;
	done->effective = a->t->today;
	if (r.date)
		date_parse(r.date, &done->effective);
	dialog_close(a);
	return 1;
}

enum dialog_result dialog_key(struct app *a, int ch, struct dialog_done *done)
{
	struct dialog *d = &a->dlg;
	struct field *f = &d->f[d->cur];
	switch (ch) {
	case 27:
		dialog_close(a);
		return DIALOG_CLOSED;
	case '\n':
	case '\r':
	case KEY_ENTER:
		return submit(a, done) ? DIALOG_WROTE : DIALOG_STAY;
	case '\t':
	case KEY_DOWN:
		focus(d, (d->cur + 1) % d->nf);
		recheck(a);
		return DIALOG_STAY;
	case KEY_BTAB:
	case KEY_UP:
		focus(d, (d->cur + d->nf - 1) % d->nf);
		recheck(a);
		return DIALOG_STAY;
	case KEY_LEFT:
	case KEY_RIGHT:
	case ' ':
		if (f->type == F_CHOICE && f->nchoices) {
			f->choice = (f->choice + (ch == KEY_LEFT ? f->nchoices - 1 : 1)) % f->nchoices;
			recheck(a);
			return DIALOG_STAY;
		}
		if (ch != ' ')
			return DIALOG_STAY;
		break;
	case KEY_BACKSPACE:
	case 127:
	case 8:
		f->fresh = 0;
		if (f->type == F_TEXT && f->len) {
			do
				f->len--;
			while (f->len && ((unsigned char)f->text[f->len] & 0xC0) == 0x80);
			f->text[f->len] = '\0';
			recheck(a);
		}
		return DIALOG_STAY;
	default:
		break;
	}
	if (f->type == F_TEXT && ch >= 32 && ch < 127) {
		char c = (char)ch;
		field_add(f, &c, 1);
		recheck(a);
	} else if (f->type == F_CHOICE && ch >= 32 && ch < 127) {
		/* Jump to the next choice starting with the typed letter. */
		for (int k = 1; k <= f->nchoices; k++) {
			int i = (f->choice + k) % f->nchoices;
			if (f->choices[i][0] == ch) {
				f->choice = i;
				recheck(a);
				break;
			}
		}
	}
	return DIALOG_STAY;
}

void dialog_text(struct app *a, const char *utf8)
{
	struct field *f = &a->dlg.f[a->dlg.cur];
	if (!a->dlg.open || f->type != F_TEXT)
		return;
	field_add(f, utf8, strlen(utf8));
	recheck(a);
}

void dialog_draw(struct app *a)
{
	struct dialog *d = &a->dlg;
	int w = a->cols - 4 < 72 ? a->cols - 4 : 72;
	/* The error is shown whole, wrapped, however long. */
	int elines = d->error[0] ? ui_wrap(a, 0, 0, w - 4, 0, T_BAD, d->error, 0) : 1;
	if (elines < 1)
		elines = 1;
	int h = d->nf + 6 + elines;
	if (w < 20 || h > a->rows)
		return;
	struct rect r = {(a->rows - h) / 2, (a->cols - w) / 2, h, w};
	for (int i = 0; i < h; i++)
		ui_fill(r.y + i, r.x, w, ui_attr(a, T_NORMAL));
	ui_box(a, r, d->title, 1);
	int y = r.y + 2, lx = r.x + 2, fx = r.x + 14, fw = w - 16;
	for (int i = 0; i < d->nf; i++, y++) {
		const struct field *f = &d->f[i];
		int cur = i == d->cur;
		ui_cell(a, y, lx, 11, 'l', cur ? T_ACCENT : T_NORMAL, f->label);
		char buf[200];
		if (f->type == F_CHOICE)
			snprintf(buf, sizeof buf, "%s %s %s", a->ascii ? "<" : "\u25c2",
			         f->nchoices ? f->choices[f->choice] : "", a->ascii ? ">" : "\u25b8");
		else
			snprintf(buf, sizeof buf, "%s%s", f->text, cur && !f->fresh ? "_" : "");
		attr_t at = ui_attr(a, T_NORMAL) | (cur ? A_REVERSE : A_UNDERLINE);
		if (cur && f->fresh) {
			/* Selected: the value in the accent colour, then what a key does. */
			int tw = text_width(f->text);
			ui_cella(a, y, fx, fw, 'l', at, "");
			ui_cella(a, y, fx, tw < fw ? tw : fw, 'l', ui_attr(a, T_ACCENT) | A_REVERSE | A_BOLD, f->text);
			if (tw + 2 < fw)
				ui_cella(a, y, fx + tw + 2, fw - tw - 2, 'l', at | A_DIM, "(type to replace)");
			continue;
		}
		ui_cella(a, y, fx, fw, 'l', at, buf);
	}
	y++;
	if (d->error[0])
		ui_wrap(a, y, lx, w - 4, elines, T_BAD, d->error, 1);
	else
		ui_cell(a, y, lx, w - 4, 'l', T_GOOD, "ok: Enter writes it to the log");
	y += elines;
	/* The keys of the field the cursor is on: arrows choose only in a
	 * choice; in a text field one types. */
	int choice = d->cur >= 0 && d->cur < d->nf && d->f[d->cur].type == F_CHOICE;
	ui_cell(a, y, lx, w - 4, 'l', T_DIM,
	        choice ? (a->ascii ? "Tab next field  <-/-> choose  Enter write  Esc cancel"
	                           : "Tab next field  \u2190\u2192 choose  Enter write  Esc cancel")
	               : "Tab next field  type to change  Enter write  Esc cancel");
}
