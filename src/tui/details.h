/* details: everything about one item (a WP, task, deliverable, milestone,
 * target, cluster or log entry) over the pane, with its history from the
 * log, scrolled by the keys. */
#ifndef CONSORT_TUI_DETAILS_H
#define CONSORT_TUI_DETAILS_H

#include <stddef.h>
#include "core/store.h"
#include "tui/list.h"

struct details {
	int open;
	struct ref ref;
	struct entry *hist;
	size_t nhist;
	int top;
	int nlines;             /* lines in the last drawing */
	int page;               /* lines a page scrolls (from the last drawing) */
};

int details_open(struct app *a, struct ref ref);
void details_close(struct app *a);
void details_draw(struct app *a, struct rect r);
int details_key(struct app *a, int action);
int details_find(struct app *a, const char *id, struct ref *out);

#endif
