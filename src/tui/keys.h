/* keys: the actions and the keys bound to them. One list (ACTION_LIST)
 * makes the enum, the help screen's text, the footer's hints and which of
 * them stay when room is short; the key table only binds keys to actions. */
#ifndef CONSORT_TUI_KEYS_H
#define CONSORT_TUI_KEYS_H

#include <stddef.h>
#include "core/util.h"
#include "tui/list.h"

/* Each action once: its name, where it works, its help text, its footer
 * hint and how the footer ranks it.
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
	_(PANE1, "anywhere", "Work packages", "1-7 jump", NULL, 1, 0, NULL, 0, 17, 0, 0) \
	_(PANE2, "anywhere", "Deliverables and milestones", NULL, NULL, 0, 0, NULL, 0, 0, 0, 0) \
	_(PANE3, "anywhere", "Reach", NULL, NULL, 0, 0, NULL, 0, 0, 0, 0) \
	_(PANE4, "anywhere", "Benchmarks", NULL, NULL, 0, 0, NULL, 0, 0, 0, 0) \
	_(PANE5, "anywhere", "Timeline", NULL, NULL, 0, 0, NULL, 0, 0, 0, 0) \
	_(PANE6, "anywhere", "Activity", NULL, NULL, 0, 0, NULL, 0, 0, 0, 0) \
	_(PANE7, "anywhere", "Resources", NULL, NULL, 0, 0, NULL, 0, 0, 0, 0) \
	_(UP, "lists", "previous row", "\u2191\u2193 move", "j/k move", 1, 0, NULL, 0, 15, 0, 0) \
	_(DOWN, "lists", "next row", NULL, NULL, 0, 0, NULL, 0, 0, 0, 0) \
	_(PGUP, "lists", "a page up", NULL, NULL, 0, 0, NULL, 0, 0, 0, 0) \
	_(PGDN, "lists", "a page down", NULL, NULL, 0, 0, NULL, 0, 0, 0, 0) \
	_(TOP, "lists", "first row", NULL, NULL, 0, 0, NULL, 0, 0, 0, 0) \
	_(BOTTOM, "lists", "last row", NULL, NULL, 0, 0, NULL, 0, 0, 0, 0) \
	_(LEFT, "panes 5 7", "scroll the months left; the WP to the left", "\u2190\u2192 scroll", \
	  "h/l scroll", 1, PANE_BIT(PANE_TIMELINE), "\u2190\u2192 WP", PANE_BIT(PANE_RESOURCES), 13, 0, 0) \
	_(RIGHT, "panes 5 7", "scroll the months right; the WP to the right", NULL, NULL, 0, 0, \
	  NULL, 0, 0, 0, 0) \
	_(ENTER, "lists", "open/close a WP's tasks; details of anything else", "Enter details", NULL, 0, 0, \
	  "Enter open", PANE_BIT(PANE_WP) | PANE_BIT(PANE_TIMELINE), 1, 0, 0) \
	_(BACK, "anywhere", "close details, help or a dialog; clear the filter", NULL, NULL, 0, 0, NULL, 0, 0, 0, 0) \
	_(SEARCH, "lists", "find in the pane as you type (any letters; also inside closed WPs); " \
	  "Enter keeps the match, Esc goes back", "/ find", NULL, 0, 0, NULL, 0, 11, 0, 0) \
	_(NEXT_MATCH, "lists", "next match", NULL, NULL, 0, 0, NULL, 0, 0, 0, 0) \
	_(PREV_MATCH, "lists", "previous match", NULL, NULL, 0, 0, NULL, 0, 0, 0, 0) \
	_(FILTER, "anywhere", "filter: cycle through mine (a partner's user's own items), partners and WPs", \
	  "f filter", NULL, 0, 0, NULL, 0, 12, 0, 0) \
	_(SORT, "deliverables", "sort by due date / id", "s sort", NULL, 0, PANE_BIT(PANE_DELIV), NULL, 0, 3, 0, 0) \
	_(UPDATE, "panes 1 2 5", "update the selected task, deliverable or milestone", "u update", NULL, 0, \
	  PANE_BIT(PANE_WP) | PANE_BIT(PANE_DELIV) | PANE_BIT(PANE_TIMELINE), NULL, 0, 2, 0, 0) \
	_(RECORD, "anywhere", "record reach (target, value, partner)", "+ reach", NULL, 0, \
	  PANE_BIT(PANE_REACH) | PANE_BIT(PANE_WP) | PANE_BIT(PANE_ACTIVITY), NULL, 0, 4, PANE_BIT(PANE_REACH), 16) \
	_(BENCH, "anywhere", "record a benchmark value (cluster, indicator, value)", "b bench", NULL, 0, \
	  PANE_BIT(PANE_BENCH), NULL, 0, 5, 0, 0) \
	_(LABEL, "anywhere", "award a benchmark label to a cluster (cluster, label)", "B label", NULL, 0, \
	  PANE_BIT(PANE_BENCH), NULL, 0, 6, 0, 0) \
	_(COMMENT, "anywhere", "comment on the selected item (a note that changes no state)", "c comment", NULL, 0, \
	  PANE_BIT(PANE_WP) | PANE_BIT(PANE_DELIV) | PANE_BIT(PANE_TIMELINE) | PANE_BIT(PANE_REACH) | \
	  PANE_BIT(PANE_BENCH) | PANE_BIT(PANE_ACTIVITY), NULL, 0, 18, 0, 0) \
	_(EFFORT, "anywhere", "record person-months spent (WP, person-months, partner, month)", "e effort", \
	  NULL, 0, PANE_BIT(PANE_RESOURCES), NULL, 0, 4, PANE_BIT(PANE_RESOURCES), 0) \
	_(COST, "anywhere", "record a cost (category, amount, WP, partner)", "$ cost", NULL, 0, \
	  PANE_BIT(PANE_RESOURCES), NULL, 0, 5, PANE_BIT(PANE_RESOURCES), 0) \
	_(MONTH_BACK, "anywhere", "the project as it stood a month earlier", "[ ] month", NULL, 0, 0, NULL, 0, 9, 0, 0) \
	_(MONTH_FWD, "anywhere", "a month later", NULL, NULL, 0, 0, NULL, 0, 0, 0, 0) \
	_(TODAY, "anywhere", "back to today", "t today", NULL, 0, 0, NULL, 0, 10, 0, 0) \
	_(RELOAD, "anywhere", "reload the definition", NULL, NULL, 0, 0, NULL, 0, 0, 0, 0) \
	_(BASELINE, "anywhere", "baseline view: the plan against the first version (the grant agreement " \
	  "as signed): earlier months, new and removed items", "p baseline", NULL, 0, \
	  PANE_BIT(PANE_DELIV) | PANE_BIT(PANE_TIMELINE) | PANE_BIT(PANE_WP), NULL, 0, 18, 0, 0) \
	_(BASELINE_NEXT, "anywhere", "baseline view against the next version", NULL, NULL, 0, 0, NULL, 0, 0, 0, 0) \
	_(AMEND, "anywhere", "coordinator: the definition file's changes to the plan, to record as an amendment",\
	  NULL, NULL, 0, 0, NULL, 0, 0, 0, 0) \
	_(HELP, "anywhere", "this help", "? help", NULL, 0, 0, NULL, 0, 7, 0, 0) \
	_(QUIT, "anywhere", "quit", "q quit", NULL, 0, 0, NULL, 0, 8, 0, 0)

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
/* May the user do what action k does (write keys: a listed partner's
 * user; a label the coordinator's; a benchmark value a cluster's)? Keys
 * the user may not use are left out of the footer. */
int keys_allowed(const struct app *a, enum action k);
/* "read-only: LOGIN is not listed in the plan", or NULL for a writer. */
const char *keys_readonly_why(const struct app *a, char *buf, size_t n);
/* The footer: the hints that matter in the current pane, fitted to w. */
void keys_footer(const struct app *a, struct sbuf *b, int w);
void keys_help_draw(struct app *a, struct rect r);
int keys_help_lines(void);

#endif
