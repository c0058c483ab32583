/* entry_words: what a log entry did, in a few words. */
#include "config.h"

#include <string.h>

#include "tui/entry_words.h"

void activity_what(const struct entry *en, struct sbuf *b)
{
	const char *k = en->kind ? en->kind : "";
	const char *v = en->value ? en->value : "";
	if (strcmp(k, "progress") == 0)
		sbuf_printf(b, "%s%%", v);
	else if (strcmp(k, "label") == 0)
		sbuf_printf(b, "label %s", v);
	else if (strcmp(k, "revert") == 0)
		sbuf_printf(b, "undo #%s", v);
	else if (strcmp(k, "note") == 0)
		sbuf_puts(b, "note");
	else if (strcmp(k, "link") == 0)
		sbuf_printf(b, "link %s", v);
	else if (strcmp(k, "bench") == 0)
		sbuf_printf(b, "= %s", v);
	else if (strcmp(k, "effort") == 0 && strchr(v, ':'))
		sbuf_printf(b, "%s PM in %.*s", strchr(v, ':') + 1, (int)(strchr(v, ':') - v), v);
	else if (strcmp(k, "cost") == 0 && strchr(v, ':'))
		sbuf_printf(b, "%.*s on %s", (int)(strchr(v, ':') - v), v, strchr(v, ':') + 1);
	else
		sbuf_puts(b, v);
}
