/* widgets: what panes draw with, on their window (stdscr, or the
 * snapshot's pad: ui_target). Text roles (tones) and their
 * colours, cells of exactly w columns, bars, sparklines, rules and boxes.
 * Every piece of untrusted text goes through text_cell / text_sanitize here
 * before it reaches curses; trusted text (our own words) through ui_text. */
#ifndef CONSORT_TUI_WIDGETS_H
#define CONSORT_TUI_WIDGETS_H

#include <curses.h>
#include <stddef.h>
#include "core/derive.h"

/* Roles of text, each a colour pair (and a monochrome attribute). */
enum tone {
	T_NORMAL, T_DIM, T_HEAD, T_GOOD, T_WARN, T_BAD, T_DONE, T_ACCENT, T_TITLE,
	T_SELECT, T_ASOF, NTONES
};

struct rect { int y, x, h, w; };

struct app;

/* The window everything is drawn on: stdscr (NULL), or a window of its own
 * size such as the snapshot's pad, which spares the snapshot a screen of
 * its size (curses keeps two more copies of a screen for its updates).
 * ui_window, ui_rows and ui_cols are that window and its size. */
void ui_target(WINDOW *w);
WINDOW *ui_window(void);
int ui_rows(void);
int ui_cols(void);

void ui_colors_init(struct app *a);
attr_t ui_attr(const struct app *a, enum tone t);
void ui_fill(int y, int x, int w, attr_t at);
/* Would a span of w cells at y, x show anything? (Every ui_ call draws
 * only what is on the screen: a caller may skip working out text for a
 * span that is not.) */
int ui_visible(int y, int x, int w);
/* Untrusted text at y,x fitted to exactly w columns. */
void ui_cell(const struct app *a, int y, int x, int w, char align, enum tone t, const char *s);
void ui_cella(const struct app *a, int y, int x, int w, char align, attr_t at, const char *s);
/* Trusted text (no fitting beyond the right edge x+maxw); returns columns written. */
int ui_text(const struct app *a, int y, int x, int maxw, enum tone t, const char *s);
/* s sanitized and wrapped at spaces into lines of w columns, never cut
 * inside a word that fits a line; drawn from row y (at most maxlines) when
 * draw is set. Returns the number of lines it takes. */
int ui_wrap(const struct app *a, int y, int x, int w, int maxlines, enum tone t, const char *s, int draw);
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

#endif
