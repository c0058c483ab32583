/* tuiint: what the dashboard's parts share. The app (derived state, the
 * panes, the layout), the pane interface every pane implements, the widgets
 * panes draw with, the key table, details and dialogs. Drawing goes to
 * stdscr inside a rectangle; every piece of untrusted text passes through
 * text_cell / text_sanitize before it reaches curses. */
#ifndef CONSORT_TUIINT_H
#define CONSORT_TUIINT_H

#include <curses.h>
#include <stddef.h>

#include "core/derive.h"
#include "core/store.h"
#include "tui/tui.h"

enum { PANE_WP, PANE_DELIV, PANE_REACH, PANE_BENCH, PANE_TIMELINE, PANE_ACTIVITY, NPANES };

/* What a row points at (for details, dialogs and search). */
enum ref_kind { R_NONE, R_WP, R_TASK, R_DELIV, R_MS, R_TARGET, R_CLUSTER, R_ENTRY };
struct ref {
	enum ref_kind kind;
	int index;          /* into the project's arrays, or the activity list */
	int64_t entry_id;   /* R_ENTRY */
};

/* Roles of text, each a colour pair (and a monochrome attribute). */
enum tone {
	T_NORMAL, T_DIM, T_HEAD, T_GOOD, T_WARN, T_BAD, T_DONE, T_ACCENT, T_TITLE,
	T_SELECT, T_ASOF, NTONES
};

struct rect { int y, x, h, w; };

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
	pane_bench_ops, pane_timeline_ops, pane_activity_ops;

/* A dialog (u, +, b, B): a small form for one write_op. */
enum field_type { F_CHOICE, F_TEXT };
struct field {
	const char *label;
	enum field_type type;
	const char **choices;   /* F_CHOICE: borrowed, NULL-terminated */
	int nchoices, choice;
	char text[128];         /* F_TEXT */
	size_t len;
	int fresh;              /* F_TEXT focused with its prefilled value: the first key typed replaces it */
};
#define DIALOG_MAX_FIELDS 6
struct dialog {
	int open;
	enum write_op op;       /* W_UPDATE, W_RECORD, W_BENCH (a value), W_LABEL */
	char title[160];
	struct ref ref;
	struct field f[DIALOG_MAX_FIELDS];
	int nf, cur;
	char error[1024];
	int ok;                 /* the last check passed */
	const char **owned;     /* arrays to free with the dialog */
	const char **owned2;
};

struct details {
	int open;
	struct ref ref;
	struct entry *hist;
	size_t nhist;
	int top;
	int nlines;             /* lines in the last drawing */
	int page;               /* lines a page scrolls (from the last drawing) */
};

struct app {
	struct tui_ctx *t;
	struct facts f;
	struct state st;
	int have_state;
	cdate asof;
	struct entry *act;      /* activity: newest first */
	size_t nact;
	int64_t data_version;
	int64_t last_recorded_ms;

	struct pane panes[NPANES];
	int cur;
	int only;               /* snapshot of one pane: its index, else -1 */
	int rows, cols;
	int grid;               /* the wide layout */
	int color;              /* colours in use */
	int ascii;
	int flags;              /* TEXT_ASCII when ascii */

	unsigned char *expanded;/* [nwps]: tasks shown (WP pane and timeline) */
	int filter;             /* 0 none, 1..np partner, np+1..np+nwps WP */

	int help, help_top;
	struct details det;
	struct dialog dlg;

	int searching;          /* the footer is a search line */
	char query[64];
	size_t qlen;
	int search_origin;
	struct ref search_ref;  /* the row the search started from */

	char msg[1100];          /* footer message */
	int msg_bad;
	int quit;
	int snapshot;
};

/* app.c */
void app_message(struct app *a, int bad, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
int app_reload(struct app *a);     /* facts, state and activity for a->asof */
struct pane *app_pane(struct app *a);
int app_filter_partner(const struct app *a); /* partner index, or -1 */
int app_filter_wp(const struct app *a);      /* WP index, or -1 */
int app_wp_visible(const struct app *a, int wp);
int app_task_visible(const struct app *a, int task);
/* The rows of the WP and timeline panes: visible WPs, each followed by its
 * visible tasks when expanded (or when all is set). Fills out[0..max) and
 * returns the number of rows. */
int app_wp_rows(struct app *a, int all, struct ref *out, int max);
int app_due_visible(const struct app *a, enum ref_kind k, int index);
/* After the definition is reloaded: who the login is in it (core's
 * identity_for), keeping the demo's grant when granted. */
int app_identity_granted(const struct tui_ctx *t);
void app_identity_renew(struct tui_ctx *t, int granted);

/* widgets.c */
void ui_colors_init(struct app *a);
attr_t ui_attr(const struct app *a, enum tone t);
void ui_fill(int y, int x, int w, attr_t at);
/* Untrusted text at y,x fitted to exactly w columns. */
void ui_cell(const struct app *a, int y, int x, int w, char align, enum tone t, const char *s);
void ui_cella(const struct app *a, int y, int x, int w, char align, attr_t at, const char *s);
/* Trusted text (no fitting beyond the right edge x+maxw); returns columns written. */
int ui_text(const struct app *a, int y, int x, int maxw, enum tone t, const char *s);
int ui_texta(const struct app *a, int y, int x, int maxw, attr_t at, const char *s);
/* A progress bar of w columns for pct 0..100 (eighth blocks, or '#'). */
void ui_bar(const struct app *a, int y, int x, int w, double pct, enum tone t);
/* A sparkline of n values (negatives are gaps) scaled to max. */
void ui_spark(const struct app *a, int y, int x, int w, const long *v, int n, long max, enum tone t);
void ui_hline(const struct app *a, int y, int x, int w, attr_t at);
void ui_box(const struct app *a, struct rect r, const char *title, int focus);
enum tone ui_state_tone(enum dstate s);
const char *ui_glyph(const struct app *a, const char *utf8, const char *ascii);
/* Printf into a static-ish buffer. */
const char *ui_fmt(char *buf, size_t n, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
const char *ui_partner_id(const struct app *a, int pi);

/* list.c: the one list loop and column tables. */
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

/* keys.c */
enum action {
	ACT_NONE, ACT_QUIT, ACT_HELP, ACT_NEXT_PANE, ACT_PREV_PANE, ACT_PANE1, ACT_PANE2, ACT_PANE3,
	ACT_PANE4, ACT_PANE5, ACT_PANE6, ACT_UP, ACT_DOWN, ACT_PGUP, ACT_PGDN, ACT_TOP, ACT_BOTTOM,
	ACT_LEFT, ACT_RIGHT, ACT_ENTER, ACT_BACK, ACT_SEARCH, ACT_NEXT_MATCH, ACT_PREV_MATCH,
	ACT_FILTER, ACT_SORT, ACT_UPDATE, ACT_RECORD, ACT_BENCH, ACT_MONTH_BACK, ACT_MONTH_FWD,
	ACT_TODAY, ACT_RELOAD, ACT_LABEL,
};
struct keydef {
	int key;
	const char *name;        /* as shown in help: "Tab", "j", ... */
	enum action act;
	const char *desc;        /* help text */
	const char *context;     /* "any pane", a pane name, ... */
	const char *hint;        /* footer text or NULL; shown once per action */
	unsigned panes;          /* bitmask of panes where the hint shows; 0 all */
};
extern const struct keydef keys_table[];
extern const size_t keys_count;
enum action keys_action(int key);
/* The footer: the hints that matter in the current pane, fitted to w. */
void keys_footer(const struct app *a, struct sbuf *b, int w);
void keys_help_draw(struct app *a, struct rect r);
int keys_help_lines(void);

/* details.c */
int details_open(struct app *a, struct ref ref);
void details_close(struct app *a);
void details_draw(struct app *a, struct rect r);
int details_key(struct app *a, int action);
int details_find(struct app *a, const char *id, struct ref *out);

/* dialog.c: the forms. They check as they are filled and write through
 * write_apply; what to show and reload afterwards is the app's. */
enum dialog_result {
	DIALOG_STAY,    /* the form is still open */
	DIALOG_CLOSED,  /* cancelled: nothing written */
	DIALOG_WROTE,   /* written and closed: the app reloads */
};
struct dialog_done {
	int64_t first;          /* the first log row written */
	cdate effective;        /* its effective date */
};
/* The form for op on the row r; returns 0, or -1 with why it cannot open. */
int dialog_open(struct app *a, enum write_op op, struct ref r, char *why, size_t whyn);
void dialog_close(struct app *a);
void dialog_draw(struct app *a);
enum dialog_result dialog_key(struct app *a, int ch, struct dialog_done *done);
/* Typed text that is not ASCII (UTF-8 bytes of one character). */
void dialog_text(struct app *a, const char *utf8);

#endif
