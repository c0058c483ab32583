/* widgets: the dashboard's drawing vocabulary. Tones (colour with a
 * monochrome fallback: bold, underline, reverse), cells of untrusted text
 * fitted by display width through the one sanitizer, progress bars in eighth
 * blocks (or '#'), sparklines, rules and boxes (Unicode or +-|). Nothing is
 * drawn outside the screen, so no size can make curses wrap or fail. */
#include "config.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <wchar.h>

#include "core/text.h"
#include "tui/widgets.h"
#include "tui/app.h"

enum { PAIR_BASE = 1 };

static attr_t tone_attr[NTONES];

void ui_colors_init(struct app *a)
{
	static const attr_t mono[NTONES] = {
		[T_NORMAL] = A_NORMAL, [T_DIM] = A_DIM, [T_HEAD] = A_BOLD,
		[T_GOOD] = A_NORMAL, [T_WARN] = A_UNDERLINE, [T_BAD] = A_BOLD | A_UNDERLINE,
		[T_DONE] = A_NORMAL, [T_ACCENT] = A_BOLD, [T_TITLE] = A_BOLD,
		[T_SELECT] = A_REVERSE, [T_ASOF] = A_REVERSE | A_BOLD,
	};
	memcpy(tone_attr, mono, sizeof tone_attr);
	const char *nc = getenv("NO_COLOR");
	a->color = !a->snapshot && has_colors() && !(nc && *nc);
	if (!a->color)
		return;
	start_color();
	use_default_colors();
	static const struct { enum tone t; short fg, bg; attr_t extra; } pairs[] = {
		{T_DIM, COLOR_BLUE, -1, A_BOLD},
		{T_HEAD, COLOR_CYAN, -1, A_BOLD},
		{T_GOOD, COLOR_GREEN, -1, 0},
		{T_WARN, COLOR_YELLOW, -1, A_BOLD},
		{T_BAD, COLOR_RED, -1, A_BOLD},
		{T_DONE, COLOR_CYAN, -1, 0},
		{T_ACCENT, COLOR_MAGENTA, -1, A_BOLD},
		{T_ASOF, COLOR_BLACK, COLOR_YELLOW, A_BOLD},
	};
	for (size_t i = 0; i < sizeof pairs / sizeof pairs[0]; i++) {
		short n = (short)(PAIR_BASE + i);
		if (n >= COLOR_PAIRS)
			break;
		init_pair(n, pairs[i].fg, pairs[i].bg);
		tone_attr[pairs[i].t] = COLOR_PAIR(n) | pairs[i].extra;
	}
}

attr_t ui_attr(const struct app *a, enum tone t)
{
	(void)a;
	return tone_attr[t];
}

enum tone ui_state_tone(enum dstate s)
{
	switch (s) {
	case DS_DONE: return T_DONE;
	case DS_ON_TRACK: return T_GOOD;
	case DS_AT_RISK: return T_WARN;
	case DS_LATE: return T_BAD;
	default: return T_DIM;
	}
}

const char *ui_glyph(const struct app *a, const char *utf8, const char *ascii)
{
	return a->ascii ? ascii : utf8;
}

const char *ui_fmt(char *buf, size_t n, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(buf, n, fmt, ap);
	va_end(ap);
	return buf;
}

static WINDOW *target;       /* NULL: stdscr, whose size is LINES x COLS */
static int target_rows, target_cols;

void ui_target(WINDOW *w)
{
	target = w;
	target_rows = w ? getmaxy(w) : 0;
	target_cols = w ? getmaxx(w) : 0;
}

WINDOW *ui_window(void)
{
	return target ? target : stdscr;
}

int ui_rows(void)
{
	return target ? target_rows : LINES;
}

int ui_cols(void)
{
	return target ? target_cols : COLS;
}

/* Clip a span to the screen; returns the usable width (0: nothing). */
static int clip(int y, int x, int w)
{
	const int rows = ui_rows(), cols = ui_cols();
	if (y < 0 || y >= rows || x < 0 || x >= cols || w <= 0)
		return 0;
	return x + w > cols ? cols - x : w;
}

/* The most cells put writes in one piece; wider text goes through addstr. */
#define PUT_CELLS 1024

/* Is the multibyte text of the locale UTF-8 (as text_decode reads it)? */
static int locale_utf8(void)
{
	static int v = -1;
	if (v < 0)
		v = !text_locale_ascii();
	return v;
}

/* s as cells of one column each, at most max of them: the count, or -1
 * when some character is not a printable one of one column (a combining
 * or wide one, a control, bytes that are no character) or s is longer,
 * which addstr is left to place. */
static int put_cells(const char *s, cchar_t *cells, int max)
{
	static const cchar_t blank;
	size_t n = strlen(s);
	int k = 0;
	for (size_t i = 0; i < n;) {
		long cp;
		unsigned char c = (unsigned char)s[i];
		if (c >= 0x20 && c < 0x7F) {
			cp = c;
			i++;
		} else {
			if (c < 0x80 || !locale_utf8())
				return -1;
			i += (size_t)text_decode(s + i, n - i, &cp);
			if (cp < 0 || wcwidth((wchar_t)cp) != 1)
				return -1;
		}
		if (k == max)
			return -1;
		cells[k] = blank;
		cells[k].chars[0] = (wchar_t)cp;
		k++;
	}
	return k;
}

/* s at y, x in at, the cursor after it, as addstr would leave them: text
 * of one column a character as cells copied in at once (addstr goes
 * through it a byte at a time, a large part of drawing a screen). */
int ui_visible(int y, int x, int w)
{
	return clip(y, x, w) > 0;
}

static void put(int y, int x, attr_t at, const char *s)
{
	WINDOW *win = ui_window();
	const int rows = ui_rows(), cols = ui_cols();
	attr_t old;
	short pair;
	wattr_get(win, &old, &pair, NULL);
	wattrset(win, at);
	cchar_t cells[PUT_CELLS];
	int room = cols - x < PUT_CELLS ? cols - x : PUT_CELLS;
	int n = put_cells(s, cells, room);
	if (n < 0) {
		mvwaddstr(win, y, x, s);
	} else {
		if (n > 0)
			mvwadd_wchnstr(win, y, x, cells, n);
		if (x + n < cols)
			wmove(win, y, x + n);
		else if (y + 1 < rows)
			wmove(win, y + 1, 0);
		else
			wmove(win, y, cols - 1);
	}
	wattrset(win, old);
	(void)pair;
}

void ui_fill(int y, int x, int w, attr_t at)
{
	w = clip(y, x, w);
	if (!w)
		return;
	char *sp = xmalloc((size_t)w + 1);
	memset(sp, ' ', (size_t)w);
	sp[w] = '\0';
	put(y, x, at, sp);
	free(sp);
}

void ui_cella(const struct app *a, int y, int x, int w, char align, attr_t at, const char *s)
{
	w = clip(y, x, w);
	if (!w)
		return;
	char *c = text_cell(s ? s : "", w, align, a->flags);
	put(y, x, at, c);
	free(c);
}

void ui_cell(const struct app *a, int y, int x, int w, char align, enum tone t, const char *s)
{
	ui_cella(a, y, x, w, align, ui_attr(a, t), s);
}

int ui_texta(const struct app *a, int y, int x, int maxw, attr_t at, const char *s)
{
	maxw = clip(y, x, maxw);
	if (!maxw)
		return 0;
	char *clean = text_sanitize(s ? s : "", a->flags);
	int tw = text_width(clean);
	int w = tw < maxw ? tw : maxw;
	char *c = text_fit(clean, w, 'l', a->flags);
	put(y, x, at, c);
	free(c);
	free(clean);
	return w;
}

int ui_text(const struct app *a, int y, int x, int maxw, enum tone t, const char *s)
{
	return ui_texta(a, y, x, maxw, ui_attr(a, t), s);
}

int ui_wrap(const struct app *a, int y, int x, int w, int maxlines, enum tone t, const char *s, int draw)
{
	if (w < 1)
		return 0;
	char *clean = text_sanitize(s ? s : "", a->flags);
	struct sbuf line = {0};
	int lines = 0, lw = 0;
	char *save = NULL;
	for (char *word = strtok_r(clean, " ", &save);; word = strtok_r(NULL, " ", &save)) {
		int ww = word ? text_width(word) : 0;
		if (!word || (lw && lw + 1 + ww > w)) {
			if (draw && lines < maxlines)
				ui_text(a, y + lines, x, w, t, sbuf_str(&line));
			lines++;
			sbuf_free(&line);
			lw = 0;
			if (!word)
				break;
		}
		if (lw) {
			sbuf_putc(&line, ' ');
			lw++;
		}
		sbuf_puts(&line, word); /* a word wider than w is cut there, alone on its line */
		lw += ww;
	}
	free(clean);
	return lines;
}

void ui_bar(const struct app *a, int y, int x, int w, double pct, enum tone t)
{
	w = clip(y, x, w);
	if (!w)
		return;
	if (pct < 0)
		pct = 0;
	if (pct > 100)
		pct = 100;
	struct sbuf fill = {0}, rest = {0};
	if (a->ascii) {
		int n = (int)(pct / 100.0 * w + 0.5);
		for (int i = 0; i < w; i++)
			sbuf_putc(i < n ? &fill : &rest, i < n ? '#' : '.');
	} else {
		static const char *const part[] = {"", "\u258f", "\u258e", "\u258d", "\u258c",
		                                   "\u258b", "\u258a", "\u2589"};
		int eighths = (int)(pct / 100.0 * w * 8 + 0.5);
		int full = eighths / 8, rem = eighths % 8, used = 0;
		for (int i = 0; i < full && used < w; i++, used++)
			sbuf_puts(&fill, "\u2588");
		if (rem && used < w) {
			sbuf_puts(&fill, part[rem]);
			used++;
		}
		for (; used < w; used++)
			sbuf_puts(&rest, "\u2591");
	}
	int nfill = text_width(sbuf_str(&fill));
	if (fill.len)
		put(y, x, ui_attr(a, t), sbuf_str(&fill));
	if (rest.len)
		put(y, x + nfill, ui_attr(a, T_DIM), sbuf_str(&rest));
	sbuf_free(&fill);
	sbuf_free(&rest);
}

void ui_spark(const struct app *a, int y, int x, int w, const long *v, int n, long max, enum tone t)
{
	static const char *const lv[] = {"\u2581", "\u2582", "\u2583", "\u2584",
	                                 "\u2585", "\u2586", "\u2587", "\u2588"};
	static const char asc[] = "_.-=+*#@";
	w = clip(y, x, w);
	if (!w || !v)
		return;
	struct sbuf b = {0};
	sbuf_add(&b, "", 0);
	for (int i = 0; i < n && i < w; i++) {
		if (v[i] < 0) {
			sbuf_putc(&b, ' ');
			continue;
		}
		int k = max > 0 ? (int)((double)v[i] * 7.0 / (double)max + 0.5) : 0;
		if (k > 7)
			k = 7;
		if (k < 0)
			k = 0;
		if (a->ascii)
			sbuf_putc(&b, asc[k]);
		else
			sbuf_puts(&b, lv[k]);
	}
	put(y, x, ui_attr(a, t), sbuf_str(&b));
	sbuf_free(&b);
}

void ui_hline(const struct app *a, int y, int x, int w, attr_t at)
{
	w = clip(y, x, w);
	if (!w)
		return;
	struct sbuf b = {0};
	for (int i = 0; i < w; i++)
		sbuf_puts(&b, a->ascii ? "-" : "\u2500");
	put(y, x, at, sbuf_str(&b));
	sbuf_free(&b);
}

void ui_box(const struct app *a, struct rect r, const char *title, int focus)
{
	if (r.h < 2 || r.w < 2)
		return;
	attr_t at = focus ? ui_attr(a, T_HEAD) : ui_attr(a, T_DIM);
	const char *v = a->ascii ? "|" : "\u2502";
	ui_hline(a, r.y, r.x + 1, r.w - 2, at);
	ui_hline(a, r.y + r.h - 1, r.x + 1, r.w - 2, at);
	for (int i = 1; i < r.h - 1; i++) {
		ui_texta(a, r.y + i, r.x, 1, at, v);
		ui_texta(a, r.y + i, r.x + r.w - 1, 1, at, v);
	}
	ui_texta(a, r.y, r.x, 1, at, a->ascii ? "+" : "\u250c");
	ui_texta(a, r.y, r.x + r.w - 1, 1, at, a->ascii ? "+" : "\u2510");
	ui_texta(a, r.y + r.h - 1, r.x, 1, at, a->ascii ? "+" : "\u2514");
	ui_texta(a, r.y + r.h - 1, r.x + r.w - 1, 1, at, a->ascii ? "+" : "\u2518");
	if (title && r.w > 6) {
		char buf[160];
		ui_fmt(buf, sizeof buf, focus ? "[ %s ]" : " %s ", title);
		ui_texta(a, r.y, r.x + 1, r.w - 3, focus ? (ui_attr(a, T_HEAD) | A_REVERSE) : ui_attr(a, T_TITLE), buf);
	}
}

const char *ui_partner_id(const struct app *a, int pi)
{
	return project_partner_id(a->t->p, pi, "-");
}
