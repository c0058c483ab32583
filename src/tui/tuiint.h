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

/* keys.c: the actions, each once: its name, where it works, its help text,
 * its footer hint and how the footer ranks it. The enum, the help and the
 * footer all come from this list; the key table only binds keys to them.
 * ACTION(name, context, help, hint, ascii_hint, brief, hint_panes,
 *        alt_hint, alt_panes, rank, rank_panes, rank_else)
 *   hint        the footer's text, NULL none; ascii_hint in ASCII (NULL: hint)
 *   brief       the hint may shorten to its first word when room is short
 *   hint_panes  where the hint shows (0: every pane)
 *   alt_hint    the hint in alt_panes instead
 *   rank        which hints stay when not all fit, 1 first (0: never ranked),
 *               in rank_panes (0: every pane), and rank_else in every pane. */
#define ACTION_LIST(_) \
	_(NEXT_PANE, "anywhere", "next pane", "Tab pane", NULL, 1, 0, NULL, 0, 14, 0, 0) \
	_(PREV_PANE, "anywhere", "previous pane", NULL, NULL, 0, 0, NULL, 0, 0, 0, 0) \
	_(PANE1, "anywhere", "Work packages", "1-6 jump", NULL, 1, 0, NULL, 0, 17, 0, 0) \
	_(PANE2, "anywhere", "Deliverables and milestones", NULL, NULL, 0, 0, NULL, 0, 0, 0, 0) \
	_(PANE3, "anywhere", "Reach", NULL, NULL, 0, 0, NULL, 0, 0, 0, 0) \
	_(PANE4, "anywhere", "Benchmarks", NULL, NULL, 0, 0, NULL, 0, 0, 0, 0) \
	_(PANE5, "anywhere", "Timeline", NULL, NULL, 0, 0, NULL, 0, 0, 0, 0) \
	_(PANE6, "anywhere", "Activity", NULL, NULL, 0, 0, NULL, 0, 0, 0, 0) \
	_(UP, "lists", "previous row", "\u2191\u2193 move", "j/k move", 1, 0, NULL, 0, 15, 0, 0) \
	_(DOWN, "lists", "next row", NULL, NULL, 0, 0, NULL, 0, 0, 0, 0) \
	_(PGUP, "lists", "a page up", NULL, NULL, 0, 0, NULL, 0, 0, 0, 0) \
	_(PGDN, "lists", "a page down", NULL, NULL, 0, 0, NULL, 0, 0, 0, 0) \
	_(TOP, "lists", "first row", NULL, NULL, 0, 0, NULL, 0, 0, 0, 0) \
	_(BOTTOM, "lists", "last row", NULL, NULL, 0, 0, NULL, 0, 0, 0, 0) \
	_(LEFT, "timeline", "scroll the months left", "\u2190\u2192 scroll", "h/l scroll", 1, \
	  PANE_BIT(PANE_TIMELINE), NULL, 0, 13, 0, 0) \
	_(RIGHT, "timeline", "scroll the months right", NULL, NULL, 0, 0, NULL, 0, 0, 0, 0) \
	_(ENTER, "lists", "open/close a WP's tasks; details of anything else", "Enter details", NULL, 0, 0, \
	  "Enter open", PANE_BIT(PANE_WP) | PANE_BIT(PANE_TIMELINE), 1, 0, 0) \
	_(BACK, "anywhere", "close details, help or a dialog; clear the filter", NULL, NULL, 0, 0, NULL, 0, 0, 0, 0) \
	_(SEARCH, "lists", "find in the pane as you type (any letters; also inside closed WPs); " \
	  "Enter keeps the match, Esc goes back", "/ find", NULL, 0, 0, NULL, 0, 11, 0, 0) \
	_(NEXT_MATCH, "lists", "next match", NULL, NULL, 0, 0, NULL, 0, 0, 0, 0) \
	_(PREV_MATCH, "lists", "previous match", NULL, NULL, 0, 0, NULL, 0, 0, 0, 0) \
	_(FILTER, "anywhere", "filter: cycle through partners and WPs", "f filter", NULL, 0, 0, NULL, 0, 12, 0, 0) \
	_(SORT, "deliverables", "sort by due date / id", "s sort", NULL, 0, PANE_BIT(PANE_DELIV), NULL, 0, 3, 0, 0) \
	_(UPDATE, "panes 1 2 5", "update the selected task, deliverable or milestone", "u update", NULL, 0, \
	  PANE_BIT(PANE_WP) | PANE_BIT(PANE_DELIV) | PANE_BIT(PANE_TIMELINE), NULL, 0, 2, 0, 0) \
	_(RECORD, "anywhere", "record reach (target, value, partner)", "+ reach", NULL, 0, \
	  PANE_BIT(PANE_REACH) | PANE_BIT(PANE_WP) | PANE_BIT(PANE_ACTIVITY), NULL, 0, 4, PANE_BIT(PANE_REACH), 16) \
	_(BENCH, "anywhere", "record a benchmark value (cluster, indicator, value)", "b bench", NULL, 0, \
	  PANE_BIT(PANE_BENCH), NULL, 0, 5, 0, 0) \
	_(LABEL, "anywhere", "award a benchmark label to a cluster (cluster, label)", "B label", NULL, 0, \
	  PANE_BIT(PANE_BENCH), NULL, 0, 6, 0, 0) \
	_(MONTH_BACK, "anywhere", "the project as it stood a month earlier", "[ ] month", NULL, 0, 0, NULL, 0, 9, 0, 0) \
	_(MONTH_FWD, "anywhere", "a month later", NULL, NULL, 0, 0, NULL, 0, 0, 0, 0) \
	_(TODAY, "anywhere", "back to today", "t today", NULL, 0, 0, NULL, 0, 10, 0, 0) \
	_(RELOAD, "anywhere", "reload the definition", NULL, NULL, 0, 0, NULL, 0, 0, 0, 0) \
	_(HELP, "anywhere", "this help", "? help", NULL, 0, 0, NULL, 0, 7, 0, 0) \
	_(QUIT, "anywhere", "quit", "q quit", NULL, 0, 0, NULL, 0, 8, 0, 0)

#define PANE_BIT(x) (1u << (x))
#define ACTION_ENUM(name, ...) ACT_##name,
enum action { ACT_NONE, ACTION_LIST(ACTION_ENUM) NACTIONS };
#undef ACTION_ENUM
struct action_info {
	const char *context, *help;
	const char *hint, *ascii_hint;
	int brief;
	unsigned hint_panes;
	const char *alt_hint;
	unsigned alt_panes;
	int rank;
	unsigned rank_panes;
	int rank_else;
};
extern const struct action_info actions[NACTIONS];

/* A key bound to an action. */
struct keydef {
	int key;
	const char *name;        /* as shown in help: "Tab", "j", ... */
	enum action act;
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
