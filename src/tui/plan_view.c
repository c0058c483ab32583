/* plan_view: the plan's versions as the dashboard shows them (plan_view.h).
 * Every "was" month comes from derive_baseline; this file only chooses
 * which two models are compared and keeps the result for the panes. */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/load.h"
#include "tui/app.h"

void plan_view_free(struct plan_view *pv)
{
	for (size_t i = 0; i < pv->nv; i++) {
		if (pv->owned[i])
			project_free(&pv->own[i]);
		plan_diff_free(pv->steps[i].d, pv->steps[i].n);
	}
	free(pv->models);
	free(pv->own);
	free(pv->owned);
	free(pv->steps);
	plan_versions_free(pv->v, pv->nv);
	baseline_free(&pv->marks);
	baseline_free(&pv->vmarks);
	free(pv->file_text);
	int view = pv->view;
	memset(pv, 0, sizeof *pv);
	pv->view = view;
}

static const char *base_name(const char *path)
{
	const char *s = strrchr(path, '/');
	return s ? s + 1 : path;
}

/* The model a version number names: the definition named for comparison
 * stands for version 1 when given. */
static const struct project *version_model(const struct app *a, int number)
{
	const struct plan_view *pv = &a->pv;
	if (number == 1 && a->t->baseline_def)
		return a->t->baseline_def;
	int i = plan_find(pv->v, pv->nv, number);
	return i >= 0 ? pv->models[i] : NULL;
}

static void view_compare(struct app *a)
{
	struct plan_view *pv = &a->pv;
	baseline_free(&pv->vmarks);
	pv->vmodel = pv->view ? version_model(a, pv->view) : NULL;
	if (!pv->vmodel)
		pv->view = 0;
	else
		derive_baseline(pv->vmodel, a->t->p, pv->view, &pv->vmarks);
}

void plan_view_load(struct app *a)
{
	struct plan_view *pv = &a->pv;
	int first_load = !a->baseline_seen;
	plan_view_free(pv);
	struct err e = {0};
	/* The versions plan_at read just before (app_reload), else the log's. */
	if (a->t->s && !(a->t->plan_list && a->t->plan_list(a->t->plan_ctx, &pv->v, &pv->nv) == 0) &&
	    plan_versions(a->t->s, 0, &pv->v, &pv->nv, &e) != 0) {
		pv->v = NULL;
		pv->nv = 0;
	}
	size_t nalloc = pv->nv ? pv->nv : 1;
	pv->models = xcalloc(nalloc, sizeof *pv->models);
	pv->own = xcalloc(nalloc, sizeof *pv->own);
	pv->owned = xcalloc(nalloc, 1);
	pv->steps = xcalloc(nalloc, sizeof *pv->steps);
	for (size_t i = 0; i < pv->nv; i++) {
		/* The plan in force is in memory already: the same model. */
		const struct project *m = a->t->plan_model ? a->t->plan_model(a->t->plan_ctx, pv->v[i].number) : NULL;
		if (m) {
			pv->models[i] = m;
		} else if (plan_load(a->t->s, pv->v[i].number, "plan", &pv->own[i], NULL, NULL, &e) == 0) {
			pv->models[i] = &pv->own[i];
			pv->owned[i] = 1;
		} else {
			for (size_t k = 0; k < i; k++) {
				if (pv->owned[k])
					project_free(&pv->own[k]);
				plan_diff_free(pv->steps[k].d, pv->steps[k].n);
			}
			memset(pv->owned, 0, nalloc);
			memset(pv->steps, 0, nalloc * sizeof *pv->steps);
			plan_versions_free(pv->v, pv->nv);
			pv->v = NULL;
			pv->nv = 0;
			break;
		}
		if (i > 0)
			plan_diff_models(pv->models[i - 1], pv->models[i], &pv->steps[i].d, &pv->steps[i].n);
	}
	pv->first = version_model(a, 1);
	if (pv->first)
		derive_baseline(pv->first, a->t->p, 1, &pv->marks);
	if (a->t->baseline && !pv->view && !a->baseline_seen)
		pv->view = a->t->baseline;
	a->baseline_seen = 1;
	view_compare(a);
	/* Does the definition file differ from the plan in force? */
	int in = plan_in_force(pv->v, pv->nv, a->t->today);
	const char *path = a->t->project_path ? a->t->project_path : a->t->p->path;
	if (in >= 0 && path) {
		int err;
		pv->file_text = file_read_all(path, (size_t)LOAD_MAX_FILE, &pv->file_len, &err);
		/* The file compared with this version at start: that answer. */
		const char *said = a->t->file_digest;
		int same;
		if (!pv->file_text)
			same = 1;
		else if (first_load && said && *said && a->t->project_path && strcmp(said, pv->v[in].digest) == 0)
			same = a->t->file_digest_same;
		else
			same = plan_digest_is(pv->v[in].digest, pv->file_text, pv->file_len);
		if (!same)
			snprintf(pv->differs, sizeof pv->differs, "%s differs from the plan (v%d)", base_name(path),
			         pv->v[in].number);
	}
}

const struct baseline_mark *plan_mark(const struct app *a, enum ref_kind k, int index, int view)
{
	const struct baseline *b = view ? &a->pv.vmarks : &a->pv.marks;
	if (view ? !a->pv.view : !a->pv.first)
		return NULL;
	switch (k) {
	case R_WP: return &b->wps[index];
	case R_TASK: return &b->tasks[index];
	case R_DELIV: return &b->deliverables[index];
	case R_MS: return &b->milestones[index];
	default: return NULL;
	}
}

const char *plan_view_label(const struct app *a, char *buf, size_t n)
{
	const struct plan_view *pv = &a->pv;
	if (pv->view == 1 && a->t->baseline_def && a->t->baseline_def->path)
		snprintf(buf, n, "%s", base_name(a->t->baseline_def->path));
	else
		snprintf(buf, n, "v%d%s", pv->view, pv->view == 1 ? " (as signed)" : "");
	return buf;
}

static void view_said(struct app *a)
{
	char l[128];
	const struct baseline *b = &a->pv.vmarks;
	app_message(a, 0, "baseline %s: %d moved, %d new, %d removed", plan_view_label(a, l, sizeof l), b->nmoved,
	            b->nadded, b->nremoved);
}

void plan_view_toggle(struct app *a)
{
	struct plan_view *pv = &a->pv;
	if (pv->view) {
		pv->view = 0;
		view_compare(a);
		app_message(a, 0, "baseline view off");
		return;
	}
	if (!pv->first) {
		app_message(a, 1, "no plan in the log to compare with");
		return;
	}
	pv->view = 1;
	view_compare(a);
	view_said(a);
}

void plan_view_next(struct app *a)
{
	struct plan_view *pv = &a->pv;
	int n = (int)pv->nv > 0 ? (int)pv->nv : pv->first ? 1 : 0;
	if (n == 0) {
		app_message(a, 1, "no plan in the log to compare with");
		return;
	}
	pv->view = pv->view % n + 1;
	view_compare(a);
	view_said(a);
}

void plan_view_amend(struct app *a)
{
	struct plan_view *pv = &a->pv;
	if (!pv->differs[0]) {
		app_message(a, 0, pv->nv ? "the definition file is the plan in force" : "no plan in the log to amend");
		return;
	}
	if (!a->t->id->coordinator) {
		app_message(a, 1, "%s; only a coordinator amends the plan", pv->differs);
		return;
	}
	details_open(a, (struct ref){R_PLAN, -1, 0});
}
