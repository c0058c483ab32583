/* plan_view: the dashboard's view of the plan's history. The versions the
 * log records, the first plan (the grant agreement as signed) and the
 * marks derive gives against it (always drawn beside a moved due date), the
 * baseline view against a chosen version (ghost ranges, "new" and
 * "removed"), each item's plan changes for its details, and whether the
 * definition file differs from the plan in force. */
#ifndef CONSORT_TUI_PLAN_VIEW_H
#define CONSORT_TUI_PLAN_VIEW_H

#include "core/derive.h"
#include "core/plan.h"
#include "tui/list.h"

struct plan_step {              /* what version k changed against k-1 */
	struct plan_diff *d;
	size_t n;
};

struct plan_view {
	struct plan_version *v;     /* the log's versions, oldest first */
	size_t nv;
	const struct project **models; /* [nv]: each version's model */
	struct project *own;        /* [nv]: the models read here (the plan in
	                               force is borrowed: tui_ctx.plan_model) */
	unsigned char *owned;       /* [nv]: models[i] is &own[i] */
	struct plan_step *steps;    /* [nv]: steps[0] is empty */
	const struct project *first;/* the first plan (or the definition named
	                               for comparison), NULL when none */
	struct baseline marks;      /* the current plan against the first */
	int view;                   /* the baseline view: its version, 0 off */
	const struct project *vmodel;
	struct baseline vmarks;     /* against the view's version */
	char differs[200];          /* "consort.yaml differs from the plan (v2)", "" */
	char *file_text;            /* the definition file's text (for the diff) */
	size_t file_len;
};

struct app;
/* Read the versions and compare (after each reload). */
void plan_view_load(struct app *a);
void plan_view_free(struct plan_view *pv);
/* The mark of an item against the first plan (always), or against the
 * baseline view's version (view: NULL when the view is off). */
const struct baseline_mark *plan_mark(const struct app *a, enum ref_kind k, int index, int view);
/* Keys: toggle the baseline view; choose the next version to compare with. */
void plan_view_toggle(struct app *a);
void plan_view_next(struct app *a);
/* The amend key: for a coordinator, the file's diff against the plan in
 * force; for anyone else a message. */
void plan_view_amend(struct app *a);
/* The version label of the baseline view ("v1 (as signed)"). */
const char *plan_view_label(const struct app *a, char *buf, size_t n);

#endif
