/* tui: the full-screen dashboard. The event loop (keys, mouse, resize, live
 * refresh), the layout, one file per pane behind struct pane_ops, widgets.
 * Panes draw derive's state; they run no SQL and compute no numbers. Writes
 * go through write_apply. */
#ifndef CONSORT_TUI_H
#define CONSORT_TUI_H

#include <stdio.h>
#include "core/date.h"
#include "core/project.h"
#include "core/store.h"
#include "core/util.h"
#include "core/write.h"

struct plan_version; /* core/plan.h */

struct tui_ctx {
	struct project *p;        /* reloaded in place by 'r' */
	const char *project_path;
	struct store *s;
	struct identity *id;
	cdate today;
	cdate asof;               /* the date shown at start */
	cdate write_date;         /* a dialog's default effective date (0: today) */
	int demo;                 /* the bundled demo log */
	int ascii;                /* non-UTF-8 locale: ASCII drawing */
	int baseline;             /* the baseline view at start: a plan version, 0 off */
	const struct project *baseline_def; /* compared with as the first plan
	                             instead of the log's (--baseline FILE) */
	/* When set, called before every reload with the date shown: makes *p
	 * the plan in force on it (the plan in the log); 0, or an exit code. */
	int (*plan_at)(void *ctx, cdate asof);
	/* When set, 'r' calls it first: reads the log's plan versions again
	 * and makes *p the one in force on asof; 0 done, 1 when the log holds
	 * no plan (then the definition file is reloaded), else an exit code.
	 * With a plan in the log the file is never loaded. */
	int (*plan_reload)(void *ctx, cdate asof);
	/* When set: the model of the log's plan version number as plan_load
	 * reads it, when *p is that version (so the plan view need not read
	 * it again), else NULL. It stays valid, and *p that version, until the
	 * next plan_at or plan_reload. */
	const struct project *(*plan_model)(void *ctx, int number);
	/* When set: a copy of the plan versions the last plan_at read from
	 * the log (0), so that the plan view need not read them again, or -1
	 * when it did not read them (then the view does). */
	int (*plan_list)(void *ctx, struct plan_version **out, size_t *n);
	/* When not NULL nor "": a plan digest the definition file at
	 * project_path was compared with just before, and whether its text
	 * matched it (1) or not (0); the first reload takes that answer
	 * instead of reading the file's digest again. */
	const char *file_digest;
	int file_digest_same;
	void *plan_ctx;
	/* The definition's warnings (shown at start, as check words them). */
	int nwarnings;
	const char *first_warning;
};

/* The dashboard on the terminal. Returns 0, or fills e. */
int tui_run(struct tui_ctx *t, struct err *e);
/* Render off-screen at cols x rows and write the screen as plain text.
 * pane: NULL for the layout the size gives, else a pane name
 * (wp, deliverables, reach, benchmarks, timeline, activity, help). */
int tui_snapshot(struct tui_ctx *t, int cols, int rows, const char *pane, FILE *out, struct err *e);

#endif
