/* app: the dashboard's event loop and layout. It loads the derived state for
 * the shown date, lays the panes out for the terminal's size (a grid when
 * wide, one pane under a tab bar otherwise, a clear notice when too small),
 * draws the header and the footer, dispatches keys through the key table,
 * waits for the log's changes while idle (told by an inotify watch, else a
 * look every half second; nothing is sent to the terminal when nothing
 * changed), and always gives the terminal back: on q, on errors, on
 * SIGINT/SIGTERM/SIGHUP (a flag checked by the loop) and on a crash (a reset
 * sequence saved at start, written with write(2) only). tui_snapshot draws
 * the same screens off-screen and prints them as text. */
#include "config.h"

#include <errno.h>
#include <limits.h>
#include <poll.h>
#include <signal.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <termios.h>
#include <time.h>
#include <unistd.h>
#include <wchar.h>
#include <wctype.h>
#ifdef __GLIBC__
#include <malloc.h>
#endif

#include "core/demo.h"
#include "core/derive.h"
#include "core/load.h"
#include "core/text.h"
#include "core/watch.h"
#include "tui/app.h"

#define MIN_COLS 60
#define MIN_ROWS 15
#define GRID_COLS 160
#define GRID_ROWS 45
#define POLL_MS 500
/* With a watch on the log's directory, a look at the log this often all
 * the same (a change the watch cannot see: a log on a network file system
 * written from another machine). */
#define WATCH_CHECK_MS 30000
#define ACTIVITY_LIMIT 500

static const struct pane_ops *const pane_table[NPANES] = {
	[PANE_WP] = &pane_wp_ops,
	[PANE_DELIV] = &pane_deliv_ops,
	[PANE_REACH] = &pane_reach_ops,
	[PANE_BENCH] = &pane_bench_ops,
	[PANE_TIMELINE] = &pane_timeline_ops,
	[PANE_ACTIVITY] = &pane_activity_ops,
	[PANE_RESOURCES] = &pane_resources_ops,
};

/* ---- signals ---------------------------------------------------------- */

static volatile sig_atomic_t stop_signal;
static char reset_seq[512];
static size_t reset_len;

static void on_stop(int sig)
{
	stop_signal = sig;
}

static struct termios saved_tio;
static int have_tio;

static void on_crash(int sig)
{
	/* Only async-signal-safe calls: tcsetattr and write. */
	if (have_tio)
		tcsetattr(STDIN_FILENO, TCSANOW, &saved_tio);
	if (reset_len) {
		ssize_t r = write(STDOUT_FILENO, reset_seq, reset_len);
		(void)r;
	}
	signal(sig, SIG_DFL);
	raise(sig);
}

static void reset_add(const char *cap)
{
	char *s = tigetstr((char *)cap);
	if (!s || s == (char *)-1)
		return;
	size_t n = strlen(s);
	if (reset_len + n < sizeof reset_seq) {
		memcpy(reset_seq + reset_len, s, n);
		reset_len += n;
	}
}

static void signals_install(void)
{
	reset_len = 0;
	static const char mouse_off[] = "\033[?1000l\033[?1002l\033[?1006l";
	memcpy(reset_seq, mouse_off, sizeof mouse_off - 1);
	reset_len = sizeof mouse_off - 1;
	reset_add("sgr0");
	reset_add("cnorm");
	reset_add("rmkx");
	reset_add("rmcup");

	struct sigaction sa;
	memset(&sa, 0, sizeof sa);
	sigemptyset(&sa.sa_mask);
	sa.sa_handler = on_stop;
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGHUP, &sa, NULL);
	sa.sa_handler = on_crash;
	sa.sa_flags = SA_RESETHAND;
	sigaction(SIGSEGV, &sa, NULL);
	sigaction(SIGABRT, &sa, NULL);
	sigaction(SIGBUS, &sa, NULL);
	sigaction(SIGFPE, &sa, NULL);
}

static void signals_restore(void)
{
	signal(SIGINT, SIG_DFL);
	signal(SIGTERM, SIG_DFL);
	signal(SIGHUP, SIG_DFL);
	signal(SIGSEGV, SIG_DFL);
	signal(SIGABRT, SIG_DFL);
	signal(SIGBUS, SIG_DFL);
	signal(SIGFPE, SIG_DFL);
}

/* ---- state ------------------------------------------------------------ */

void app_message(struct app *a, int bad, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(a->msg, sizeof a->msg, fmt, ap);
	va_end(ap);
	a->msg_bad = bad;
}

struct pane *app_pane(struct app *a)
{
	return &a->panes[a->cur];
}

int app_filter_mine(const struct app *a)
{
	return a->t->id->partner >= 0 && a->filter == a->t->p->npartners + a->t->p->nwps + 1;
}

int app_filter_partner(const struct app *a)
{
	int np = a->t->p->npartners;
	if (app_filter_mine(a))
		return a->t->id->partner;
	return a->filter >= 1 && a->filter <= np ? a->filter - 1 : -1;
}

/* The filter a dashboard opens with: mine for a partner's user, none for
 * the coordinator's and for read-only users. */
static int app_filter_default(const struct app *a)
{
	const struct identity *id = a->t->id;
	return id->partner >= 0 && !id->coordinator ? a->t->p->npartners + a->t->p->nwps + 1 : 0;
}

int app_filter_wp(const struct app *a)
{
	int np = a->t->p->npartners;
	return a->filter > np && a->filter <= np + a->t->p->nwps ? a->filter - np - 1 : -1;
}

int app_wp_visible(const struct app *a, int wp)
{
	int fp = app_filter_partner(a), fw = app_filter_wp(a);
	if (fw >= 0)
		return wp == fw;
	if (fp >= 0)
		return project_partner_involved(a->t->p, ITEM_WP, wp, fp);
	return 1;
}

int app_task_visible(const struct app *a, int task)
{
	int fp = app_filter_partner(a), fw = app_filter_wp(a);
	if (fw >= 0)
		return a->t->p->tasks[task].wp == fw;
	if (fp >= 0)
		return project_partner_involved(a->t->p, ITEM_TASK, task, fp);
	return 1;
}

int app_wp_rows(struct app *a, int all, struct ref *out, int max)
{
	const struct project *p = a->t->p;
	int n = 0;
	for (int w = 0; w < p->nwps; w++) {
		if (!app_wp_visible(a, w))
			continue;
		if (out && n < max)
			out[n] = (struct ref){R_WP, w, 0};
		n++;
		if (!a->expanded[w] && !all)
			continue;
		for (int k = 0; k < p->wps[w].ntasks; k++) {
			int ti = p->wps[w].first_task + k;
			if (!app_task_visible(a, ti))
				continue;
			if (out && n < max)
				out[n] = (struct ref){R_TASK, ti, 0};
			n++;
		}
	}
	return n;
}

int app_due_visible(const struct app *a, enum ref_kind k, int index)
{
	const struct project *p = a->t->p;
	int fp = app_filter_partner(a), fw = app_filter_wp(a);
	if (fw >= 0) {
		if (k == R_DELIV)
			return p->deliverables[index].wp == fw;
		for (int i = 0; i < p->milestones[index].nwps; i++)
			if (p->milestones[index].wps[i] == fw)
				return 1;
		return 0;
	}
	if (fp >= 0)
		return project_partner_involved(p, k == R_DELIV ? ITEM_DELIVERABLE : ITEM_MILESTONE, index, fp);
	return 1;
}

static void app_drop_cell(struct app *a)
{
	int nm = a->t->p->nmonths > 0 ? a->t->p->nmonths : 1;
	for (int k = 0; a->cell.notes && k < nm; k++)
		free(a->cell.notes[k]);
	free(a->cell.notes);
	free(a->cell.pm);
	memset(&a->cell, 0, sizeof a->cell);
}

const long *app_res_months(struct app *a, int pi, int wi, char *const **notes)
{
	const struct project *p = a->t->p;
	const struct res_state *rs = &a->st.res;
	*notes = NULL;
	if (!a->have_state || pi < 0 || pi >= p->npartners || wi < 0 || wi >= p->nwps)
		return NULL;
	if (rs->months) {
		/* The facts have every month (no log). */
		size_t at = ((size_t)pi * (size_t)p->nwps + (size_t)wi) * (size_t)rs->nmonths;
		*notes = rs->month_notes ? rs->month_notes + at : NULL;
		return rs->months + at;
	}
	if (!a->t->s)
		return NULL;
	if (!a->cell.have || a->cell.pi != pi || a->cell.wi != wi) {
		app_drop_cell(a);
		int nm = p->nmonths > 0 ? p->nmonths : 1;
		struct err e = {0};
		long *pm = xcalloc((size_t)nm + 1, sizeof *pm);
		char **nv = xcalloc((size_t)nm + 1, sizeof *nv);
		if (store_res_months(a->t->s, p, a->asof, pi, wi, pm, nv, &e) != 0) {
			free(pm);
			free(nv);
			app_message(a, 1, "%s", e.msg);
			return NULL;
		}
		a->cell.pi = pi;
		a->cell.wi = wi;
		a->cell.have = 1;
		a->cell.pm = pm;
		a->cell.notes = nv;
	}
	*notes = a->cell.notes;
	return a->cell.pm;
}

static void app_drop_state(struct app *a)
{
	app_drop_cell(a);
	if (a->have_state) {
		state_free(&a->st);
		facts_free(&a->f);
		a->have_state = 0;
	}
	entries_free(a->act, a->nact);
	a->act = NULL;
	a->nact = 0;
}

int app_reload(struct app *a)
{
	struct err e = {0};
	struct facts f;
	memset(&f, 0, sizeof f);
	if (a->t->plan_at && a->t->plan_at(a->t->plan_ctx, a->asof) != 0) {
		app_message(a, 1, "the plan in force on that date cannot be read");
		return -1;
	}
	/* The log's version before it is read: a write that lands while it is
	 * read (after the facts, say, and before the activity) then differs
	 * from it, and the next look reads again. Taken after, that write
	 * would count as shown, and wait for the next one. */
	int64_t version = 0;
	int have_version = a->t->s && store_data_version(a->t->s, &version, &e) == 0;
	if (a->t->s) {
		/* The selected cell's months are read on request (app_res_months). */
		if (store_facts_opts(a->t->s, a->t->p, a->asof, STORE_FACTS_RES_TOTALS, &f, &e) != 0) {
			app_message(a, 1, "%s", e.msg);
			return -1;
		}
	} else {
		facts_init_empty(&f, a->t->p, a->asof);
	}
	struct entry *act = NULL;
	size_t nact = 0;
	if (a->t->s) {
		struct entry_filter ef = ENTRY_FILTER_ALL;
		ef.limit = a->act_limit > 0 ? a->act_limit : ACTIVITY_LIMIT;
		if (store_entries(a->t->s, &ef, &act, &nact, &e) != 0) {
			facts_free(&f);
			app_message(a, 1, "%s", e.msg);
			return -1;
		}
		if (have_version)
			a->data_version = version;
		/* The cheap check of the newest links, on every refresh. */
		if (store_chain_tip(a->t->s, &a->tip, &e) != 0)
			memset(&a->tip, 0, sizeof a->tip);
	}
	app_drop_state(a);
	a->f = f;
	derive_state(a->t->p, &a->f, a->asof, &a->st);
	a->have_state = 1;
	plan_view_load(a);
	a->act = act;
	a->nact = nact;
	a->last_recorded_ms = a->st.last_recorded_ms;
	if (a->det.open)
		details_open(a, a->det.ref);
	return 0;
}

static void app_init(struct app *a, struct tui_ctx *t)
{
	memset(a, 0, sizeof *a);
	a->t = t;
	a->asof = t->asof ? t->asof : t->today;
	a->ascii = t->ascii;
	a->flags = t->ascii ? TEXT_ASCII : 0;
	a->only = -1;
	for (int i = 0; i < NPANES; i++)
		a->panes[i].ops = pane_table[i];
	a->expanded = xcalloc((size_t)(t->p->nwps > 0 ? t->p->nwps : 1), 1);
	a->filter = app_filter_default(a);
}

static void app_free(struct app *a)
{
	app_drop_state(a);
	details_close(a);
	dialog_close(a);
	plan_view_free(&a->pv);
	for (int i = 0; i < NPANES; i++)
		free(a->panes[i].line_row);
	free(a->expanded);
}

/* ---- drawing ----------------------------------------------------------- */

static int tab_x[NPANES + 1];

/* Who the user is and when the log last changed (an absolute time, so an
 * idle screen never changes). Newly allocated, sanitized. */
static char *header_right(struct app *a)
{
	struct sbuf r = {0};
	const struct identity *id = a->t->id;
	const char *dot = a->ascii ? " - " : " \xc2\xb7 ";
	if (id->partner >= 0)
		sbuf_printf(&r, "%s%s%s%s%s%s", id->login, dot, ui_partner_id(a, id->partner), dot, identity_role(id),
		            app_filter_mine(a) ? ", mine" : "");
	else
		sbuf_printf(&r, "%s%sread-only", id->login, dot);
	if (a->last_recorded_ms > 0) {
		time_t secs = (time_t)(a->last_recorded_ms / 1000);
		struct tm tm, tn;
		localtime_r(&secs, &tm);
		time_t now = time(NULL);
		localtime_r(&now, &tn);
		char tb[32];
		if (tm.tm_year == tn.tm_year && tm.tm_yday == tn.tm_yday)
			strftime(tb, sizeof tb, "%H:%M", &tm);
		else
			strftime(tb, sizeof tb, "%Y-%m-%d", &tm);
		sbuf_printf(&r, "  log %s", tb);
	} else {
		sbuf_puts(&r, "  log empty");
	}
	sbuf_putc(&r, ' ');
	char *right = text_sanitize(sbuf_str(&r), a->flags);
	sbuf_free(&r);
	return right;
}

/* The header; returns 1 when who/log did not fit and the caller should show
 * it on the next line. */
static int draw_header(struct app *a, int allow_move)
{
	const struct project *p = a->t->p;
	const struct state *st = &a->st;
	char buf[256], d[16];
	int W = a->cols;
	ui_fill(0, 0, W, ui_attr(a, T_NORMAL));
	char *right = header_right(a);
	int rw = text_width(right);

	if (st->before_start)
		ui_fmt(buf, sizeof buf, "before M1 (of %d)", p->nmonths);
	else if (st->after_end)
		ui_fmt(buf, sizeof buf, "ended (M%d)", p->nmonths);
	else
		ui_fmt(buf, sizeof buf, "M%d of %d", st->month, p->nmonths);
	char asof[64];
	int today = a->asof == a->t->today;
	if (today)
		ui_fmt(asof, sizeof asof, "%s today", date_format(a->asof, d));
	else
		ui_fmt(asof, sizeof asof, " AS OF %s ", date_format(a->asof, d));
	char *acr = text_sanitize(p->acronym, a->flags);
	/* A log whose newest entries do not link: said in words, first. */
	static const char altered[] = "log altered: run consort verify";
	int bad = a->tip.chained && !a->tip.ok;
	int need = 1 + text_width(acr) + 2 + (int)strlen(buf) + 2 + (int)strlen(asof) + (a->t->demo ? 7 : 0) +
	           (bad ? (int)sizeof altered : 0) + 2;
	free(acr);
	char bl[128], blw[160];
	blw[0] = '\0';
	if (a->pv.view)
		ui_fmt(blw, sizeof blw, "baseline %s", plan_view_label(a, bl, sizeof bl));
	if (blw[0])
		need += 2 + text_width(blw);
	if (a->pv.differs[0])
		need += 2 + text_width(a->pv.differs);
	int moved = allow_move && need + rw > W;
	int room = moved ? W : W - rw;
	int x = 1;
	x += ui_texta(a, 0, x, room - x, ui_attr(a, T_TITLE) | A_BOLD, p->acronym);
	x += 2;
	/* The title only when everything else still fits. */
	if (p->title && room - need - 2 >= text_width(p->title) && text_width(p->title) > 0) {
		int tw = text_width(p->title);
		ui_cell(a, 0, x, tw, 'l', T_NORMAL, p->title);
		x += tw + 2;
	}
	x += ui_text(a, 0, x, room - x, T_HEAD, buf);
	x += today ? 2 : 1;
	x += ui_texta(a, 0, x, room - x, today ? ui_attr(a, T_NORMAL) : ui_attr(a, T_ASOF), asof);
	if (a->t->demo)
		x += 1 + ui_text(a, 0, x + 1, room - x - 1, T_WARN, "(demo)");
	if (bad)
		ui_texta(a, 0, x + 1, room - x - 1, ui_attr(a, T_BAD) | A_BOLD, altered);
	/* The baseline view in words, and a definition file that is not the
	 * plan in force (everyone sees it; the coordinator's A shows how). */
	if (blw[0])
		x += 2 + ui_text(a, 0, x + 2, room - x - 2, T_ACCENT, blw);
	if (a->pv.differs[0])
		ui_text(a, 0, x + 2, room - x - 2, T_WARN, a->pv.differs);
	if (!moved && rw < W)
		ui_texta(a, 0, W - rw, rw, ui_attr(a, T_DIM), right);
	free(right);
	return moved;
}

/* Who/log right-aligned on line y (over the rule under the tabs). */
static void draw_who(struct app *a, int y)
{
	char *right = header_right(a);
	int rw = text_width(right) + 1;
	if (rw < a->cols) {
		ui_texta(a, y, a->cols - rw - 1, 1, ui_attr(a, T_DIM), " ");
		ui_texta(a, y, a->cols - rw, rw, ui_attr(a, T_DIM), right);
	}
	free(right);
}

static void draw_tabs(struct app *a, int y)
{
	ui_fill(y, 0, a->cols, ui_attr(a, T_NORMAL));
	int x = 0;
	int total = 0;
	for (int i = 0; i < NPANES; i++)
		total += 4 + (int)strlen(pane_table[i]->title);
	int shortn = total > a->cols;
	/* Shorter still when "WPs" alone does not make them fit. */
	int shorter = shortn && total - (int)strlen(pane_table[PANE_WP]->title) + 3 > a->cols;
	for (int i = 0; i < NPANES; i++) {
		char buf[64];
		const char *title = pane_table[i]->title;
		if (shortn && i == PANE_WP)
			title = "WPs";
		else if (shorter && i == PANE_DELIV)
			title = "Deliv.";
		else if (shortn && i == PANE_DELIV)
			title = "Deliverables";
		if (i == a->cur)
			ui_fmt(buf, sizeof buf, "[%d %s]", i + 1, title);
		else
			ui_fmt(buf, sizeof buf, " %d %s ", i + 1, title);
		tab_x[i] = x;
		x += ui_texta(a, y, x, a->cols - x, i == a->cur ? (ui_attr(a, T_HEAD) | A_REVERSE) : ui_attr(a, T_NORMAL), buf);
	}
	tab_x[NPANES] = x;
}

static void draw_footer(struct app *a)
{
	int y = a->rows - 1;
	ui_fill(y, 0, a->cols, ui_attr(a, T_NORMAL));
	int x = 1;
	char buf[128];
	if (a->searching) {
		ui_fmt(buf, sizeof buf, "/%s_", a->query);
		char *q = text_sanitize(buf, a->flags);
		int qw = text_width(q);
		free(q);
		if (qw > a->cols - x)
			qw = a->cols - x;
		ui_cell(a, y, x, qw, 'l', T_ACCENT, buf);
		x += qw;
		ui_text(a, y, x + 2, a->cols - x - 2, T_DIM, "Enter keep  Esc cancel");
		return;
	}
	int fp = app_filter_partner(a), fw = app_filter_wp(a);
	if (app_filter_mine(a)) {
		ui_fmt(buf, sizeof buf, "[mine: %s]", a->t->p->partners[fp].id);
		x += ui_text(a, y, x, a->cols - x, T_ACCENT, buf) + 1;
	} else if (fp >= 0 || fw >= 0) {
		ui_fmt(buf, sizeof buf, "[filter %s]", fp >= 0 ? a->t->p->partners[fp].id : a->t->p->wps[fw].id);
		x += ui_text(a, y, x, a->cols - x, T_ACCENT, buf) + 1;
	}
	char ro[160];
	const char *msg = a->msg[0] ? a->msg : keys_readonly_why(a, ro, sizeof ro);
	int bad = a->msg[0] ? a->msg_bad : 0;
	if (msg) {
		/* A message wider than the line is shown whole, wrapped on the
		 * rows above the footer, never cut inside a word. */
		char *clean = text_sanitize(msg, a->flags);
		int mw = text_width(clean);
		free(clean);
		if (mw > a->cols - x - 1 && a->rows > 3) {
			int n = ui_wrap(a, 0, 0, a->cols - 2, 0, T_BAD, msg, 0);
			if (n > a->rows - 2)
				n = a->rows - 2;
			for (int i = 0; i < n; i++)
				ui_fill(y - n + i, 0, a->cols, ui_attr(a, T_NORMAL));
			ui_wrap(a, y - n, 1, a->cols - 2, n, bad ? T_BAD : T_GOOD, msg, 1);
		} else {
			x += ui_text(a, y, x, a->cols - x, bad ? T_BAD : a->msg[0] ? T_GOOD : T_DIM, msg) + 1;
		}
	}
	struct sbuf b = {0};
	if (a->det.open)
		sbuf_puts(&b, a->ascii ? "Esc back  j/k scroll  u update  q quit" : "Esc back  \u2191\u2193 scroll  u update  q quit");
	else if (a->help)
		sbuf_puts(&b, a->ascii ? "Esc back  j/k scroll  q quit" : "Esc back  \u2191\u2193 scroll  q quit");
	else
		keys_footer(a, &b, a->cols - x - (x > 1 ? 1 : 0) - 1);
	ui_text(a, y, x + (x > 1 ? 1 : 0), a->cols - x - (x > 1 ? 1 : 0), T_DIM, sbuf_str(&b));
	sbuf_free(&b);
}

static void draw_overlay(struct app *a, struct rect r)
{
	if (a->det.open) {
		details_draw(a, r);
	} else if (a->help) {
		keys_help_draw(a, r);
	}
}

static void draw_pane(struct app *a, int i, struct rect r)
{
	struct pane *pn = &a->panes[i];
	pane_marks_reset(pn, r);
	if (r.h <= 0 || r.w <= 0)
		return;
	pn->ops->draw(a, pn, r);
}

static void draw_single(struct app *a)
{
	int moved = draw_header(a, 1);
	draw_tabs(a, 1);
	ui_hline(a, 2, 0, a->cols, ui_attr(a, T_DIM));
	if (moved)
		draw_who(a, 2);
	struct rect r = {3, 0, a->rows - 5, a->cols};
	ui_hline(a, a->rows - 2, 0, a->cols, ui_attr(a, T_DIM));
	if (a->det.open || a->help)
		draw_overlay(a, r);
	else
		draw_pane(a, a->cur, r);
	draw_footer(a);
}

static struct rect inner(struct rect r)
{
	struct rect in = {r.y + 1, r.x + 1, r.h - 2, r.w - 2};
	return in;
}

static void draw_grid(struct app *a)
{
	draw_header(a, 0);
	int H = a->rows - 2, W = a->cols;
	/* Four rows: the resources get a row of their own, the whole width. */
	int htop = H * 24 / 100, hmid = H * 22 / 100, hres = H * 26 / 100;
	int hbot = H - htop - hmid - hres;
	int lw = W / 2;
	int tw = W * (W >= 200 ? 62 : 56) / 100;
	struct rect box[NPANES] = {
		[PANE_WP] = {1, 0, htop, lw},
		[PANE_DELIV] = {1, lw, htop, W - lw},
		[PANE_REACH] = {1 + htop, 0, hmid, lw},
		[PANE_BENCH] = {1 + htop, lw, hmid, W - lw},
		[PANE_RESOURCES] = {1 + htop + hmid, 0, hres, W},
		[PANE_TIMELINE] = {1 + htop + hmid + hres, 0, hbot, tw},
		[PANE_ACTIVITY] = {1 + htop + hmid + hres, tw, hbot, W - tw},
	};
	if (a->det.open || a->help) {
		struct rect r = {1, 0, H, W};
		ui_box(a, r, a->help ? "Help" : "Details", 1);
		draw_overlay(a, inner(r));
	} else {
		for (int i = 0; i < NPANES; i++) {
			char title[64];
			ui_fmt(title, sizeof title, "%d %s", i + 1, pane_table[i]->title);
			ui_box(a, box[i], title, i == a->cur);
			draw_pane(a, i, inner(box[i]));
		}
	}
	draw_footer(a);
}

/* Below the minimum: say so on the first line and, on the lines that are
 * left, the least worth knowing: each WP's progress and state. */
static void draw_small(struct app *a)
{
	const struct project *p = a->t->p;
	char buf[96];
	ui_fmt(buf, sizeof buf, "terminal too small (need %dx%d), now %dx%d", MIN_COLS, MIN_ROWS, a->cols, a->rows);
	if ((int)strlen(buf) > a->cols)
		ui_fmt(buf, sizeof buf, "terminal too small (need %dx%d)", MIN_COLS, MIN_ROWS);
	ui_text(a, 0, 0, a->cols, T_BAD, buf);
	for (int w = 0, y = 1; w < p->nwps && y < a->rows; w++, y++) {
		const struct wp_state *ws = &a->st.wps[w];
		char *id = text_sanitize(p->wps[w].id, a->flags);
		int iw = text_width(id);
		free(id);
		ui_cell(a, y, 0, iw < a->cols ? iw : a->cols, 'l', T_HEAD, p->wps[w].id);
		if (iw + 1 < a->cols) {
			ui_fmt(buf, sizeof buf, "%3d%% %s", ws->progress, derive_word(ws->state));
			ui_text(a, y, iw + 1, a->cols - iw - 1, ui_state_tone(ws->state), buf);
		}
	}
}

static void app_draw(struct app *a)
{
	a->rows = ui_rows();
	a->cols = ui_cols();
	werase(ui_window());
	if (a->cols < MIN_COLS || a->rows < MIN_ROWS) {
		a->grid = 0;
		draw_small(a);
	} else if (a->only < 0 && a->cols >= GRID_COLS && a->rows >= GRID_ROWS) {
		a->grid = 1;
		draw_grid(a);
	} else {
		a->grid = 0;
		draw_single(a);
	}
	if (a->dlg.open)
		dialog_draw(a);
}

/* ---- keys -------------------------------------------------------------- */

static void pane_move(struct app *a, struct pane *pn, int delta, int abs_pos)
{
	int n = pn->ops->nrows(a, pn);
	if (n <= 0)
		return;
	if (abs_pos >= 0)
		pn->sel = abs_pos == 0 ? 0 : n - 1;
	else
		pn->sel += delta;
	if (pn->sel < 0)
		pn->sel = 0;
	if (pn->sel >= n)
		pn->sel = n - 1;
}

/* Text folded for a search that ignores case in any script: one lower-case
 * wide character per character. Caller frees. */
static wchar_t *search_fold(const char *s, size_t *n)
{
	size_t len = strlen(s), k = 0;
	wchar_t *w = xcalloc(len + 1, sizeof *w);
	while (*s) {
		long cp;
		int used = text_decode(s, strlen(s), &cp);
		w[k++] = cp < 0 ? (wchar_t)0xFFFD : (wchar_t)towlower((wint_t)cp);
		s += used;
	}
	*n = k;
	return w;
}

static int search_match(struct app *a, struct pane *pn, int row)
{
	if (!a->query[0])
		return 1;
	struct sbuf b = {0};
	pn->ops->row_text(a, pn, row, &b);
	size_t nt, nq;
	wchar_t *t = search_fold(sbuf_str(&b), &nt), *q = search_fold(a->query, &nq);
	int hit = 0;
	for (size_t i = 0; !hit && i + nq <= nt; i++)
		hit = wmemcmp(t + i, q, nq) == 0;
	free(t);
	free(q);
	sbuf_free(&b);
	return hit;
}

static int ref_same(struct ref x, struct ref y)
{
	return x.kind == y.kind && x.index == y.index && x.entry_id == y.entry_id;
}

/* The row that shows ref in the pane, or -1. */
static int pane_find_ref(struct app *a, struct pane *pn, struct ref r)
{
	int n = pn->ops->nrows(a, pn);
	for (int i = 0; i < n; i++)
		if (ref_same(pn->ops->row_ref(a, pn, i), r))
			return i;
	return -1;
}

/* Find the query from the row showing `from` (after it when skip), in
 * direction dir, wrapping. Every row counts, the tasks of closed WPs too:
 * a match inside a closed WP opens it. Returns 1 and selects the match. */
static int search_step(struct app *a, struct ref from, int skip, int dir)
{
	struct pane *pn = app_pane(a);
	if (!a->query[0])
		return 0;
	size_t nw = (size_t)(a->t->p->nwps > 0 ? a->t->p->nwps : 1);
	unsigned char *saved = xmalloc(nw);
	memcpy(saved, a->expanded, nw);
	memset(a->expanded, 1, nw);
	int n = pn->ops->nrows(a, pn);
	int start = pane_find_ref(a, pn, from);
	if (start < 0)
		start = 0;
	struct ref found = {R_NONE, -1, 0};
	for (int k = skip ? 1 : 0; n > 0 && k <= n; k++) {
		int row = ((start + dir * k) % n + n) % n;
		if (search_match(a, pn, row)) {
			found = pn->ops->row_ref(a, pn, row);
			break;
		}
	}
	memcpy(a->expanded, saved, nw);
	free(saved);
	if (found.kind == R_NONE)
		return 0;
	if (found.kind == R_TASK)
		a->expanded[a->t->p->tasks[found.index].wp] = 1;
	int row = pane_find_ref(a, pn, found);
	if (row >= 0)
		pn->sel = row;
	return row >= 0;
}

/* A character typed that is not ASCII: into the dialog or the search. */
static void app_char(struct app *a, wint_t wc)
{
	char u[8];
	unsigned long c = (unsigned long)wc;
	size_t n;
	if (c < 0xA0 || c > 0x10FFFF || (c >= 0xD800 && c <= 0xDFFF))
		return;
	if (c < 0x800) {
		u[0] = (char)(0xC0 | (c >> 6));
		u[1] = (char)(0x80 | (c & 0x3F));
		n = 2;
	} else if (c < 0x10000) {
		u[0] = (char)(0xE0 | (c >> 12));
		u[1] = (char)(0x80 | ((c >> 6) & 0x3F));
		u[2] = (char)(0x80 | (c & 0x3F));
		n = 3;
	} else {
		u[0] = (char)(0xF0 | (c >> 18));
		u[1] = (char)(0x80 | ((c >> 12) & 0x3F));
		u[2] = (char)(0x80 | ((c >> 6) & 0x3F));
		u[3] = (char)(0x80 | (c & 0x3F));
		n = 4;
	}
	u[n] = '\0';
	if (a->dlg.open) {
		dialog_text(a, u);
	} else if (a->searching && a->qlen + n < sizeof a->query) {
		memcpy(a->query + a->qlen, u, n + 1);
		a->qlen += n;
		search_step(a, a->search_ref, 0, 1);
	}
}

static void step_month(struct app *a, int dir)
{
	const struct project *p = a->t->p;
	int m = project_month_of(p, a->asof);
	cdate next;
	if (dir < 0)
		next = project_month_end(p, m - 1);
	else
		next = a->asof < project_month_end(p, m) ? project_month_end(p, m) : project_month_end(p, m + 1);
	if (dir < 0 && m - 1 < 0)
		return;
	if (dir > 0 && project_month_of(p, next) > p->nmonths + 1)
		return;
	a->asof = next;
	if (app_reload(a) == 0) {
		char d[16];
		app_message(a, 0, "as of %s", date_format(a->asof, d));
	}
}

/* Whether the identity holds the coordinator's role by the demo's grant
 * rather than by the definition. */
int app_identity_granted(const struct tui_ctx *t)
{
	return t->demo && t->id->coordinator;
}

/* The identity again from the login, under a definition just loaded: core's
 * rule, and the demo's grant kept when it was held. */
void app_identity_renew(struct tui_ctx *t, int granted)
{
	char login[sizeof t->id->login];
	snprintf(login, sizeof login, "%s", t->id->login);
	identity_for(t->p, login, t->id->uid, t->id);
	if (granted)
		identity_demo_grant(t->p, t->id, login);
}

/* After a new plan: no WP expanded, no filter, every pane at its top. */
static void app_reset_view(struct app *a)
{
	free(a->expanded);
	a->expanded = xcalloc((size_t)(a->t->p->nwps > 0 ? a->t->p->nwps : 1), 1);
	a->filter = app_filter_default(a);
	for (int i = 0; i < NPANES; i++)
		a->panes[i].sel = a->panes[i].top = a->panes[i].hscroll = 0;
}

static void reload_definition(struct app *a)
{
	struct project np;
	struct diags d;
	memset(&np, 0, sizeof np);
	memset(&d, 0, sizeof d);
	int pr = a->t->plan_reload ? a->t->plan_reload(a->t->plan_ctx, a->asof) : 1;
	if (pr != 1) {
		if (pr != 0) {
			app_message(a, 1, "the plan in the log cannot be read");
			return;
		}
		app_drop_state(a);
		details_close(a);
		app_reset_view(a);
		if (app_reload(a) == 0)
			app_message(a, 0, "plan reloaded from the log");
		return;
	}
	const char *path = a->t->project_path ? a->t->project_path : a->t->p->path;
	if (!path) {
		app_message(a, 1, "no definition file to reload");
		return;
	}
	if (load_project_file(path, &np, &d, NULL) != 0) {
		char *line = d.n ? diag_format(&d, &d.v[0]) : xstrdup("the definition has errors");
		app_message(a, 1, "kept the old definition: %s", line);
		free(line);
		diags_free(&d);
		return;
	}
	diags_free(&d);
	int granted = app_identity_granted(a->t);
	app_drop_state(a);
	details_close(a);
	project_free(a->t->p);
	*a->t->p = np;
	app_identity_renew(a->t, granted);
	app_reset_view(a);
	if (app_reload(a) == 0)
		app_message(a, 0, "definition reloaded%s", d.nwarnings ? " (with warnings)" : "");
}

static void switch_pane(struct app *a, int i)
{
	a->cur = ((i % NPANES) + NPANES) % NPANES;
	a->help = 0;
	if (a->det.open)
		details_close(a);
}

static void handle_mouse(struct app *a)
{
	MEVENT me;
	if (getmouse(&me) != OK)
		return;
	if (me.bstate & (BUTTON4_PRESSED | BUTTON5_PRESSED)) {
		int d = (me.bstate & BUTTON4_PRESSED) ? -3 : 3;
		if (a->det.open) {
			details_key(a, d < 0 ? ACT_UP : ACT_DOWN);
			return;
		}
		if (a->grid)
			for (int i = 0; i < NPANES; i++) {
				struct rect r = a->panes[i].r;
				if (me.y >= r.y - 1 && me.y <= r.y + r.h && me.x >= r.x - 1 && me.x <= r.x + r.w)
					a->cur = i;
			}
		pane_move(a, app_pane(a), d, -1);
		return;
	}
	if (!(me.bstate & (BUTTON1_CLICKED | BUTTON1_PRESSED | BUTTON1_RELEASED)))
		return;
	if (!a->grid && me.y == 1) {
		for (int i = 0; i < NPANES; i++)
			if (me.x >= tab_x[i] && me.x < tab_x[i + 1])
				switch_pane(a, i);
		return;
	}
	if (a->det.open || a->help)
		return;
	for (int i = 0; i < NPANES; i++) {
		if (!a->grid && i != a->cur)
			continue;
		struct pane *pn = &a->panes[i];
		struct rect r = pn->r;
		int b = a->grid ? 1 : 0;
		if (me.y >= r.y - b && me.y < r.y + r.h + b && me.x >= r.x - b && me.x < r.x + r.w + b) {
			a->cur = i;
			int line = me.y - r.y;
			if (line >= 0 && line < r.h && line < pn->nline_row && pn->line_row[line] >= 0)
				pn->sel = pn->line_row[line];
		}
	}
}

/* The form for op on the row shown: the details' item, else the selection. */
static void open_dialog(struct app *a, enum write_op op)
{
	struct pane *pn = app_pane(a);
	struct ref r = a->det.open ? a->det.ref : pn->ops->row_ref(a, pn, pn->sel);
	char why[sizeof a->msg];
	if (dialog_open(a, op, r, why, sizeof why) != 0)
		app_message(a, 1, "%s", why);
}

static void app_key(struct app *a, int ch)
{
	if (a->dlg.open) {
		struct dialog_done done;
		enum write_op op = a->dlg.op;
		switch (dialog_key(a, ch, &done)) {
		case DIALOG_STAY:
			break;
		case DIALOG_CLOSED:
			app_message(a, 0, "cancelled");
			break;
		case DIALOG_WROTE: {
			if (op == W_AMEND) {
				/* The file is now the plan (from its date on): the
				 * log's plan when the dashboard reads it from there. */
				details_close(a);
				if (!a->t->plan_at && done.effective <= a->asof)
					reload_definition(a);
				else
					app_reload(a);
				app_message(a, 0, "recorded the amendment #%lld", (long long)done.first);
				break;
			}
			app_reload(a);
			char ds[16];
			if (done.effective > a->asof)
				app_message(a, 0, "recorded #%lld (effective %s, after the date shown: t shows today)",
				            (long long)done.first, date_format(done.effective, ds));
			else
				app_message(a, 0, "recorded #%lld", (long long)done.first);
			break;
		}
		}
		return;
	}
	if (a->searching) {
		struct pane *pn = app_pane(a);
		if (ch == 27) {
			a->searching = 0;
			int row = pane_find_ref(a, pn, a->search_ref);
			pn->sel = row >= 0 ? row : a->search_origin;
			a->query[0] = '\0';
			a->qlen = 0;
		} else if (ch == '\n' || ch == '\r' || ch == KEY_ENTER) {
			a->searching = 0;
			if (a->query[0] && !search_match(a, pn, pn->sel))
				app_message(a, 1, "no match for \"%s\"", a->query);
		} else if (ch == KEY_BACKSPACE || ch == 127 || ch == 8) {
			/* One character, however many bytes. */
			while (a->qlen && ((unsigned char)a->query[--a->qlen] & 0xC0) == 0x80)
				;
			a->query[a->qlen] = '\0';
			int row = pane_find_ref(a, pn, a->search_ref);
			if (row >= 0)
				pn->sel = row;
			search_step(a, a->search_ref, 0, 1);
		} else if (ch >= 32 && ch < 127 && a->qlen + 1 < sizeof a->query) {
			a->query[a->qlen++] = (char)ch;
			a->query[a->qlen] = '\0';
			search_step(a, a->search_ref, 0, 1);
		}
		return;
	}
	if (ch == KEY_MOUSE) {
		handle_mouse(a);
		return;
	}
	enum action act = keys_action(ch);
	a->msg[0] = '\0';
	if (act == ACT_NONE)
		return;
	if (a->help) {
		if (act == ACT_BACK || act == ACT_HELP || act == ACT_ENTER) {
			a->help = 0;
			return;
		}
		int hpage = a->rows > 8 ? a->rows - 7 : 1;
		if (act == ACT_DOWN || act == ACT_PGDN) {
			if (a->help_top + 1 < keys_help_lines())
				a->help_top += act == ACT_DOWN ? 1 : hpage;
			return;
		}
		if (act == ACT_TOP || act == ACT_BOTTOM) {
			a->help_top = act == ACT_TOP ? 0 : keys_help_lines();
			return;
		}
		if (act == ACT_UP || act == ACT_PGUP) {
			a->help_top -= act == ACT_UP ? 1 : hpage;
			if (a->help_top < 0)
				a->help_top = 0;
			return;
		}
		if (act != ACT_QUIT && !(act >= ACT_NEXT_PANE && act <= ACT_PANE7))
			return;
	}
	if (a->det.open && details_key(a, act))
		return;
	struct pane *pn = app_pane(a);
	if (pn->ops->key && pn->ops->key(a, pn, act))
		return;
	int page = pn->r.h > 2 ? pn->r.h - 1 : 1;
	switch (act) {
	case ACT_QUIT: a->quit = 1; break;
	case ACT_HELP: a->help = 1; a->help_top = 0; break;
	case ACT_NEXT_PANE: switch_pane(a, a->cur + 1); break;
	case ACT_PREV_PANE: switch_pane(a, a->cur - 1); break;
	case ACT_PANE1: case ACT_PANE2: case ACT_PANE3: case ACT_PANE4: case ACT_PANE5: case ACT_PANE6:
	case ACT_PANE7:
		switch_pane(a, (int)(act - ACT_PANE1));
		break;
	case ACT_UP: pane_move(a, pn, -1, -1); break;
	case ACT_DOWN: pane_move(a, pn, 1, -1); break;
	case ACT_PGUP: pane_move(a, pn, -page, -1); break;
	case ACT_PGDN: pane_move(a, pn, page, -1); break;
	case ACT_TOP: pane_move(a, pn, 0, 0); break;
	case ACT_BOTTOM: pane_move(a, pn, 0, 1); break;
	case ACT_ENTER: {
		struct ref r = pn->ops->row_ref(a, pn, pn->sel);
		if (r.kind != R_NONE)
			details_open(a, r);
		break;
	}
	case ACT_BACK:
		if (a->filter) {
			a->filter = 0;
			app_message(a, 0, "filter cleared");
		}
		break;
	case ACT_SEARCH:
		a->searching = 1;
		a->query[0] = '\0';
		a->qlen = 0;
		a->search_origin = pn->sel;
		a->search_ref = pn->ops->row_ref(a, pn, pn->sel);
		break;
	case ACT_NEXT_MATCH:
	case ACT_PREV_MATCH:
		if (!a->query[0])
			app_message(a, 1, "no search yet: / searches");
		else if (!search_step(a, pn->ops->row_ref(a, pn, pn->sel), 1, act == ACT_NEXT_MATCH ? 1 : -1))
			app_message(a, 1, "no match for \"%s\"", a->query);
		break;
	case ACT_FILTER: {
		/* none, each partner, each WP, and mine for a partner's user */
		int n = 1 + a->t->p->npartners + a->t->p->nwps + (a->t->id->partner >= 0);
		a->filter = (a->filter + 1) % n;
		for (int i = 0; i < NPANES; i++)
			a->panes[i].sel = a->panes[i].top = 0;
		if (!a->filter)
			app_message(a, 0, "filter off");
		break;
	}
	case ACT_UPDATE: open_dialog(a, W_UPDATE); break;
	case ACT_COMMENT: open_dialog(a, W_NOTE); break;
	case ACT_RECORD: open_dialog(a, W_RECORD); break;
	case ACT_BENCH: open_dialog(a, W_BENCH); break;
	case ACT_EFFORT: open_dialog(a, W_EFFORT); break;
	case ACT_COST: open_dialog(a, W_COST); break;
	case ACT_LABEL: open_dialog(a, W_LABEL); break;
	case ACT_MONTH_BACK: step_month(a, -1); break;
	case ACT_MONTH_FWD: step_month(a, 1); break;
	case ACT_TODAY: {
		/* The demo's today is its date (demo.h's date rule). */
		cdate today = a->t->s ? demo_today(a->t->s, a->t->today) : a->t->today;
		char ds[16];
		a->asof = today;
		if (app_reload(a) == 0) {
			if (today != a->t->today)
				app_message(a, 0, "today (the demo's date, %s)", date_format(today, ds));
			else
				app_message(a, 0, "today");
		}
		break;
	}
	case ACT_RELOAD: reload_definition(a); break;
	case ACT_BASELINE: plan_view_toggle(a); break;
	case ACT_BASELINE_NEXT: plan_view_next(a); break;
	case ACT_AMEND:
		/* A second A on the changes asks for the amendment's note. */
		if (a->det.open && a->det.ref.kind == R_PLAN && a->t->id->coordinator && a->pv.differs[0])
			open_dialog(a, W_AMEND);
		else
			plan_view_amend(a);
		break;
	case ACT_SORT:
		app_message(a, 0, "s sorts the deliverables (pane 2)");
		break;
	default: break;
	}
}

/* ---- entry points -------------------------------------------------------- */

static int poll_log(struct app *a)
{
	if (!a->t->s)
		return 0;
	int64_t v = 0;
	struct err e = {0};
	/* A log replaced under the dashboard (a backup moved over it, the demo
	 * made again elsewhere): read the file the path names now, or say why
	 * not (and writes stay refused: store_append checks the same). */
	if (store_replaced(a->t->s)) {
		if (store_reopen(a->t->s, &e) != 0) {
			if (strcmp(a->msg, e.msg) == 0)
				return 0;
			app_message(a, 1, "%s", e.msg);
			return 1;
		}
		if (store_data_version(a->t->s, &v, &e) == 0)
			a->data_version = v;
		if (app_reload(a) == 0)
			app_message(a, 0, "the log was replaced: showing the file its path names now");
		return 1;
	}
	if (store_data_version(a->t->s, &v, &e) != 0 || v == a->data_version)
		return 0;
	/* app_reload takes the version with what it reads: one that fails
	 * (its message is drawn) leaves it, and the next look tries again;
	 * the one that then succeeds takes the message down. */
	if (app_reload(a) != 0) {
		a->reload_failed = 1;
	} else if (a->reload_failed) {
		a->reload_failed = 0;
		a->msg[0] = '\0';
	}
	return 1;
}

/* Waits for a key or for the log to change (with a watch: no wake-ups
 * while nothing happens). 1 when the log may have changed, 0 for a key, a
 * signal or a resize (get_wch reports them). */
static int wait_event(struct watch **w)
{
	struct pollfd fds[2] = {{.fd = STDIN_FILENO, .events = POLLIN}, {.fd = watch_fd(*w), .events = POLLIN}};
	int n = poll(fds, 2, watch_timeout(*w, WATCH_CHECK_MS));
	if (n == 0)
		return 1;
	if (n < 0 || !(fds[1].revents & (POLLIN | POLLERR | POLLHUP)))
		return 0;
	int r = watch_read(*w);
	if (r < 0) {
		/* The directory went away or was moved: poll from now on. */
		watch_close(*w);
		*w = NULL;
		timeout(POLL_MS);
		return 1;
	}
	return r;
}

int tui_run(struct tui_ctx *t, struct err *e)
{
	if (!isatty(STDIN_FILENO) || !isatty(STDOUT_FILENO))
		return err_set(e, EXIT_USAGE, "the dashboard needs a terminal (try consort status or consort snapshot)");
#if defined(__GLIBC__) && defined(M_MMAP_THRESHOLD)
	/* The dashboard reads the log again on every change: its large blocks
	 * (a reload's grids and lists) are mapped and given back whole when
	 * freed. Left to itself glibc raises the threshold to the largest
	 * block freed (the reading makes and drops month grids of megabytes),
	 * and what follows stays in the heap: a peak 2.5 MiB higher on the
	 * large project. */
	mallopt(M_MMAP_THRESHOLD, 128 * 1024);
#endif
	struct app a;
	app_init(&a, t);
	if (app_reload(&a) != 0) {
		err_set(e, EXIT_IOERR, "%s", a.msg);
		app_free(&a);
		return -1;
	}
	a.msg[0] = '\0';
	have_tio = 0;
	struct termios tio;
	int got_tio = tcgetattr(STDIN_FILENO, &tio) == 0;
	SCREEN *scr = newterm(NULL, stdout, stdin);
	if (!scr) {
		const char *term = getenv("TERM");
		app_free(&a);
		return err_set(e, EXIT_IOERR, "cannot use the terminal (TERM=%s)", term ? term : "unset");
	}
	set_term(scr);
	stop_signal = 0;
	if (got_tio) {
		saved_tio = tio;
		have_tio = 1;
	}
	signals_install();
	cbreak();
	noecho();
	nonl();
	keypad(stdscr, TRUE);
	set_escdelay(25);
	curs_set(0);
	mousemask(BUTTON1_CLICKED | BUTTON4_PRESSED | BUTTON5_PRESSED, NULL);
	ui_colors_init(&a);
	/* Told of the log's changes where the system can (then get_wch only
	 * looks for pending keys), else a look every POLL_MS. */
	struct watch *w = a.t->s ? watch_open(store_path(a.t->s)) : NULL;
	timeout(w ? 0 : POLL_MS);
	char ro[160];
	if (keys_readonly_why(&a, ro, sizeof ro))
		app_message(&a, 0, "%s", ro);
	/* The definition's warnings were printed before the screen took the
	 * terminal: say so where they can be seen. */
	if (t->nwarnings > 0 && t->first_warning)
		app_message(&a, 1, t->nwarnings == 1 ? "%s" : "%s (and %d more warnings: consort check)",
		            t->first_warning, t->nwarnings - 1);

	int dirty = 1;
	while (!a.quit && !stop_signal) {
		if (dirty) {
			app_draw(&a);
			refresh();
			dirty = 0;
		}
		/* Wide reads, so that any letter can be typed into a search or a
		 * dialog ("/J\u0101nis"). */
		wint_t wc = 0;
		int got = get_wch(&wc);
		if (stop_signal)
			break;
		if (got == ERR) {
			if ((!w || wait_event(&w)) && poll_log(&a))
				dirty = 1;
			continue;
		}
		if (got == OK && wc >= 0x80) {
			if (a.cols >= MIN_COLS && a.rows >= MIN_ROWS) {
				app_char(&a, wc);
				dirty = 1;
			}
			continue;
		}
		int ch = (int)wc;
		if (ch == KEY_RESIZE) {
			dirty = 1;
			continue;
		}
		if ((a.cols < MIN_COLS || a.rows < MIN_ROWS) && ch != 'q')
			continue;
		app_key(&a, ch);
		dirty = 1;
	}
	watch_close(w);
	mousemask(0, NULL);
	endwin();
	delscreen(scr);
	signals_restore();
	int sig = stop_signal;
	app_free(&a);
	if (sig && sig != SIGINT)
		return err_set(e, 128 + sig > 255 ? EXIT_SOFTWARE : 128 + sig, "stopped by signal %d", sig);
	return 0;
}

static int pane_by_name(const char *name)
{
	for (int i = 0; i < NPANES; i++)
		if (strcmp(name, pane_table[i]->name) == 0)
			return i;
	return -1;
}

/* Read the virtual screen back as UTF-8 lines, trailing spaces trimmed. */
/* The most bytes one cell can take in the dump. */
#define DUMP_CELL_MAX (CCHARW_MAX * MB_LEN_MAX)

/* The screen as text, a line a row without its trailing blanks: ASCII
 * written as it is (what wcrtomb makes of it in any locale), other
 * characters through wcrtomb, a line in one write. */
static void screen_dump(FILE *out, int rows, int cols)
{
	char *line = xmalloc((size_t)cols * DUMP_CELL_MAX + 2);
	for (int y = 0; y < rows; y++) {
		size_t len = 0;
		for (int x = 0; x < cols; x++) {
			cchar_t cc;
			wchar_t wch[CCHARW_MAX + 1];
			attr_t at;
			short pair;
			if (mvwin_wch(ui_window(), y, x, &cc) == ERR)
				break;
			memset(wch, 0, sizeof wch);
#ifdef NCURSES_VERSION
			/* What getcchar gives, read in place: it fails only on
			 * a colour pair too large for a short, and the snapshot
			 * has no colours. */
			(void)at;
			(void)pair;
			for (int k = 0; k < CCHARW_MAX && cc.chars[k]; k++)
				wch[k] = cc.chars[k];
			if (wch[0] == 0) {
#else
			if (getcchar(&cc, wch, &at, &pair, NULL) == ERR || wch[0] == 0) {
#endif
				line[len++] = ' ';
				continue;
			}
			if (wch[0] > 0 && wch[0] < 0x80 && wch[1] == 0) {
				/* wcwidth of ASCII is at most 1: nothing to skip. */
				line[len++] = (char)wch[0];
				continue;
			}
			int w = wcwidth(wch[0]);
			for (int k = 0; k < CCHARW_MAX && wch[k]; k++) {
				mbstate_t ms;
				memset(&ms, 0, sizeof ms);
				size_t m = wcrtomb(line + len, wch[k], &ms);
				if (m == (size_t)-1)
					line[len++] = '?';
				else
					len += m;
			}
			if (w > 1)
				x += w - 1;
		}
		while (len && line[len - 1] == ' ')
			len--;
		line[len++] = '\n';
		fwrite(line, 1, len, out);
	}
	free(line);
}

int tui_snapshot(struct tui_ctx *t, int cols, int rows, const char *pane, FILE *out, struct err *e)
{
	if (cols < 1 || rows < 1 || cols > 1000 || rows > 1000)
		return err_set(e, EXIT_USAGE, "snapshot size %dx%d is out of range (1x1 to 1000x1000)", cols, rows);
	struct app a;
	app_init(&a, t);
	a.snapshot = 1;
	const char *detail_id = NULL;
	if (pane) {
		if (strcmp(pane, "help") == 0) {
			a.help = 1;
		} else if (strncmp(pane, "details:", 8) == 0) {
			detail_id = pane + 8;
		} else if ((a.cur = pane_by_name(pane)) < 0) {
			app_free(&a);
			return err_set(e, EXIT_USAGE, "unknown pane '%s' (wp, deliverables, reach, benchmarks, timeline, activity, help, details:ID)", pane);
		}
		if (a.cur < 0)
			a.cur = 0;
		a.only = a.cur;
	}
	/* The activity pane shows the newest entries, every one of them when
	 * nothing filters them: no more than a screen's rows can show, unless
	 * an entry's details are asked for (by its number, among those read). */
	if (!detail_id && a.filter == 0)
		a.act_limit = rows < ACTIVITY_LIMIT ? rows : ACTIVITY_LIMIT;
	if (app_reload(&a) != 0) {
		err_set(e, EXIT_IOERR, "%s", a.msg);
		app_free(&a);
		return -1;
	}
	a.msg[0] = '\0';
	if (detail_id) {
		struct ref r;
		if (details_find(&a, detail_id, &r) != 0) {
			app_free(&a);
			return err_set(e, EXIT_USAGE, "details: no item, target, cluster or entry '%s'", detail_id);
		}
		details_open(&a, r);
		if (r.kind == R_DELIV || r.kind == R_MS)
			a.cur = PANE_DELIV;
		else if (r.kind == R_TARGET)
			a.cur = PANE_REACH;
		else if (r.kind == R_CLUSTER)
			a.cur = PANE_BENCH;
		else if (r.kind == R_ENTRY)
			a.cur = PANE_ACTIVITY;
	}
	FILE *devnull = fopen("/dev/null", "w");
	FILE *in = fopen("/dev/null", "r");
	if (!devnull || !in) {
		if (devnull)
			fclose(devnull);
		if (in)
			fclose(in);
		app_free(&a);
		return err_set(e, EXIT_IOERR, "cannot open /dev/null: %s", strerror(errno));
	}
	/* The screen is made as small as curses allows and the dashboard is
	 * drawn on a pad of the snapshot's size: curses keeps two more copies
	 * of a screen for its updates, which a snapshot never makes, and each
	 * is fresh memory to touch (a third of its page faults at 200x60).
	 * curses takes LINES and COLUMNS from the environment when the output
	 * is no terminal. */
	char *old_lines = getenv("LINES") ? xstrdup(getenv("LINES")) : NULL;
	char *old_cols = getenv("COLUMNS") ? xstrdup(getenv("COLUMNS")) : NULL;
	setenv("LINES", "1", 1);
	setenv("COLUMNS", "1", 1);
	SCREEN *scr = newterm("xterm-256color", devnull, in);
	if (!scr)
		scr = newterm("xterm", devnull, in);
	if (!scr)
		scr = newterm("vt100", devnull, in);
	if (old_lines)
		setenv("LINES", old_lines, 1);
	else
		unsetenv("LINES");
	if (old_cols)
		setenv("COLUMNS", old_cols, 1);
	else
		unsetenv("COLUMNS");
	free(old_lines);
	free(old_cols);
	if (!scr) {
		fclose(devnull);
		fclose(in);
		app_free(&a);
		return err_set(e, EXIT_SOFTWARE, "no terminal description for the snapshot (install ncurses-base)");
	}
	set_term(scr);
	WINDOW *pad = newpad(rows, cols);
	if (!pad) {
		endwin();
		delscreen(scr);
		fclose(devnull);
		fclose(in);
		app_free(&a);
		return err_set(e, EXIT_SOFTWARE, "no memory for a snapshot of %dx%d", cols, rows);
	}
	ui_target(pad);
	ui_colors_init(&a);
	app_draw(&a);
	screen_dump(out, rows, cols);
	ui_target(NULL);
	delwin(pad);
	endwin();
	delscreen(scr);
	fclose(devnull);
	fclose(in);
	app_free(&a);
	return 0;
}
