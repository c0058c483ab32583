/* rebuild: the summary tables gathered from the log in verify's one pass
 * (store_rebuild.c says how). Core only; the store's files use it. */
#ifndef CONSORT_REBUILD_H
#define CONSORT_REBUILD_H

#include <stdint.h>
#include "core/chain.h"

struct rebuild;

struct rebuild *rebuild_new(void);
void rebuild_free(struct rebuild *b);
/* One entry (fields as chain.h orders them). */
void rebuild_add(struct rebuild *b, const struct chain_field *f, int64_t id, int64_t recorded_at);
/* The tables this gathers (NULL-terminated): rebuild_write fills their
 * TEMP copies, which must exist. */
extern const char *const rebuild_tables[];
int rebuild_write(struct store *s, struct rebuild *b, struct err *e);

#endif
