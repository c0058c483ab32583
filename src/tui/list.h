/* list: the panes and the one list loop they draw through. A pane (struct
 * pane_ops) says how many rows it has, draws its header and gives the loop
 * one row at a time; the loop owns scrolling, the selection glyph, the
 * reverse attribute, the lines the mouse maps to rows and "nothing matches".
 * Tables are columns of widths placed left to right. */
#ifndef CONSORT_TUI_LIST_H
#define CONSORT_TUI_LIST_H

#include "core/util.h"
#include "tui/widgets.h"

enum { PANE_WP, PANE_DELIV, PANE_REACH, PANE_BENCH, PANE_TIMELINE, PANE_ACTIVITY, PANE_RESOURCES,
       NPANES };
#define PANE_BIT(x) (1u << (x))

/* What a row points at (for details, dialogs and search). */
enum ref_kind { R_NONE, R_WP, R_TASK, R_DELIV, R_MS, R_TARGET, R_CLUSTER, R_ENTRY,
                R_PLAN /* the definition file against the plan in force */,
                R_RES /* a partner (index) x a WP (entry_id) in the resources pane */ };
struct ref {
	enum ref_kind kind;
	int index;          /* into the project's arrays, or the activity list */
	int64_t entry_id;   /* R_ENTRY */
};

struct pane {
	const struct pane_ops *ops;
	int sel, top;           /* selected row, first row shown */
	int hscroll;            /* timeline: first month shown */
	int sort;               /* deliverables: 0 due date, 1 id */
	struct rect r;          /* where it was last drawn (content area) */
	int *line_row;          /* [r.h]: row shown on each line, -1 none */
	int nline_row;
};

struct app;

struct pane_ops {
	const char *name;       /* snapshot name: "wp" */
	const char *title;      /* "Work packages" */
	int (*nrows)(struct app *a, struct pane *pn);
	void (*draw)(struct app *a, struct pane *pn, struct rect r);
	/* Pane-specific key; returns 1 when handled. May be NULL. */
	int (*key)(struct app *a, struct pane *pn, int action);
	/* Searchable text of a row into b. */
	void (*row_text)(struct app *a, struct pane *pn, int row, struct sbuf *b);
	/* What the row points at. */
	struct ref (*row_ref)(struct app *a, struct pane *pn, int row);
};

extern const struct pane_ops pane_wp_ops, pane_deliv_ops, pane_reach_ops,
	pane_bench_ops, pane_timeline_ops, pane_activity_ops, pane_resources_ops;

/* Keep sel visible in h lines. */
void pane_scroll_to(struct pane *pn, int nrows, int h);
void pane_mark(struct pane *pn, int line, int row);
void pane_marks_reset(struct pane *pn, struct rect r);
/* The row the list loop asks a pane to draw. */
struct list_row {
	int index;              /* the row */
	int y;                  /* its first line on the screen */
	int selected;           /* the selection is on it (the glyph is drawn) */
	int focus;              /* selected in the pane with the focus */
	attr_t sel;             /* A_REVERSE when focus: for the row's key cells */
};
struct list_view {
	int y, h;               /* the list's lines on the screen */
	int gap;                /* blank lines after each row */
	int scrolled;           /* the pane set pn->top itself (rows of many lines) */
	const char *empty;      /* shown when there are no rows; NULL: nothing */
	/* Draws one row in at most lines_left lines; returns the lines it used. */
	int (*draw_row)(struct app *a, struct pane *pn, void *ctx, const struct list_row *row, int lines_left);
	void *ctx;
};
/* Draws rows pn->top.. of n into v's lines. Returns the line after the last
 * one drawn (after the "empty" text when it was shown). */
int list_draw(struct app *a, struct pane *pn, struct rect r, int n, const struct list_view *v);
/* A column of a table: placed left to right, each w wide then gap blank. */
struct column {
	const char *head;       /* header text; NULL: none */
	int w;                  /* width; < 0: up to the right edge; 0: hidden */
	int gap;
	int x;                  /* set by columns_place */
};
/* The columns' widths and gaps (the ones that fill counting 0). */
int columns_width(const struct column *c, int n);
void columns_place(struct column *c, int n, int x, int x_end);
void columns_header(const struct app *a, int y, const struct column *c, int n);

#endif
