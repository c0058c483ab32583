/* app: the dashboard's state (the definition's facts and derive's state for
 * the date shown, the activity, the panes, the layout, what is open) and the
 * event loop. Panes read it; they run no SQL and compute no numbers. */
#ifndef CONSORT_TUI_APP_H
#define CONSORT_TUI_APP_H

#include "core/chain.h"
#include "core/derive.h"
#include "core/store.h"
#include "tui/tui.h"
#include "tui/details.h"
#include "tui/dialog.h"
#include "tui/keys.h"
#include "tui/list.h"
#include "tui/plan_view.h"
#include "tui/widgets.h"

struct app {
	struct tui_ctx *t;
	struct facts f;
	struct state st;
	int have_state;
	cdate asof;
	struct entry *act;      /* activity: newest first */
	size_t nact;
	int64_t data_version;
	int reload_failed;      /* the last look's reading failed: its message is up */
	int64_t last_recorded_ms;
	struct chain_tip tip;     /* the log's head; whether its newest links hold */
	struct {                /* a partner x WP's months, read on request */
		int pi, wi, have;
		long *pm;
		char **notes;
	} cell;

	struct pane panes[NPANES];
	int cur;
	int only;               /* snapshot of one pane: its index, else -1 */
	int rows, cols;
	int grid;               /* the wide layout */
	int color;              /* colours in use */
	int ascii;
	int flags;              /* TEXT_ASCII when ascii */

	unsigned char *expanded;/* [nwps]: tasks shown (WP pane and timeline) */
	int filter;             /* 0 none, 1..np partner, np+1..np+nwps WP,
	                           np+nwps+1 mine (a partner's user: the default) */

	int help, help_top;
	struct details det;
	struct plan_view pv;    /* the plan's versions, the baseline view */
	int baseline_seen;      /* the start's baseline view was applied */
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
	int act_limit;    /* entries the activity pane reads; 0: ACTIVITY_LIMIT */
};

void app_message(struct app *a, int bad, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
int app_reload(struct app *a);     /* facts, state and activity for a->asof */
/* Partner pi x WP wi's person-months of each project month (hundredths,
 * nmonths of them) as of a->asof, and in *notes the note of the entry that
 * counts in each (NULL for none; untrusted): read from the log on the
 * first request after a reload, NULL when they cannot be read. */
const long *app_res_months(struct app *a, int pi, int wi, char *const **notes);
struct pane *app_pane(struct app *a);
int app_filter_partner(const struct app *a); /* partner index, or -1 (mine: the user's) */
int app_filter_mine(const struct app *a);    /* the filter is mine: the user's own partner */
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

#endif
