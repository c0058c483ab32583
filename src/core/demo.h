/* demo: the bundled 5FOREXCELLENCE demo log. An illustrative, plausible
 * history over the project's months up to M15 (2017-03-31): tasks moving,
 * deliverables submitted (some late), reach growing unevenly per partner,
 * benchmark values and the labels the clusters received in 2016 (silver for
 * the Latvian and Estonian IT clusters, bronze for the other three), written
 * by several partners' logins with notes in Latvian, Estonian and Swedish.
 * Its first entry, of kind "demo", marks it as the demo (store_demo_entry),
 * and its login, who created it, acts as the coordinator in the demo; the
 * meta table holds its as-of date. */
#ifndef CONSORT_DEMO_H
#define CONSORT_DEMO_H

#include "core/project.h"
#include "core/store.h"
#include "core/util.h"

#define DEMO_ASOF "2017-03-31"

/* Create a new demo log at db_path (replacing any file there) for project p
 * (the bundled definition), with `login` as the demo's coordinator.
 * Entries are written through store_append in a few large transactions. */
int demo_create(const char *db_path, const struct project *p, const char *login,
                long uid, struct err *e);

/* The demo's date rule. The demo is a world frozen at its date (the log's
 * meta demo_asof, DEMO_ASOF): that date is its today. A write without a
 * date is dated it, from a command or a dashboard's dialog, whatever date
 * is being viewed; the dashboard opens at it and its "today" key (t) goes
 * back to it, not to the real clock's today. Outside the demo, and when the
 * given today is earlier than the demo's date (a moved CONSORT_TODAY), the
 * world's today is today. demo_today(s, today) reads the log's meta (a log
 * that is not the demo, or a meta it cannot read: today). */
cdate demo_today(struct store *s, cdate today);
/* The same for a log already known to be the demo (demo 1: its chain's tip
 * says so, store_chain_tip) or not (0), without reading the tip again. */
cdate demo_today_of(struct store *s, int demo, cdate today);

#endif
