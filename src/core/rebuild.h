/* rebuild: the summary tables gathered from the log in verify's one pass
 * (store_rebuild.c says how). Core only; the store's files use it. */
#ifndef CONSORT_REBUILD_H
#define CONSORT_REBUILD_H

#include <stddef.h>
#include <stdint.h>
#include "core/chain.h"

struct rebuild;

/* For the log of s (a month's entries may be read again from it). */
struct rebuild *rebuild_new(struct store *s);
void rebuild_free(struct rebuild *b);
/* One entry (fields as chain.h orders them). */
void rebuild_add(struct rebuild *b, const struct chain_field *f, int64_t id, int64_t recorded_at);
/* Does b gather the table name (n bytes)? rebuild_write fills the TEMP
 * copies of those it gathers, which must exist. */
int rebuild_gathers(const struct rebuild *b, const char *name, size_t n);
int rebuild_write(struct store *s, struct rebuild *b, struct err *e);

#endif
