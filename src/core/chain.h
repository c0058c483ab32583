/* chain: the log's hash chain. Every entry carries a hash (BLAKE2b-256,
 * libsodium's crypto_generichash) over the hash of the entry before it
 * (32 zero bytes for the first) and its own fields, as git's commits do:
 * changing, removing or inserting an entry breaks every hash after it, and
 * a head (the newest hash) copied elsewhere names the whole history.
 *
 * The encoding, fixed (consort(1) documents it): the 15 bytes
 * "consort-entry-1", the previous hash (32 bytes), then the fields id,
 * recorded_at, effective, login, uid, partner, item, kind, value, note in
 * this order, each as a 4-byte big-endian length and its bytes; integers
 * as their decimal text (as SQLite gives them as text); NULL as the length
 * 0xFFFFFFFF and no bytes (distinct from the empty text, length 0).
 *
 * The store writes the hash in the append's transaction (table chain, schema
 * 5); store_verify walks the chain and rebuilds the summary tables to
 * compare; store_chain_tip checks the newest few links only, cheap enough
 * for every command. */
#ifndef CONSORT_CHAIN_H
#define CONSORT_CHAIN_H

#include <stddef.h>
#include <stdint.h>
#include "core/store.h"
#include "core/util.h"

#define CHAIN_HASH_LEN 32
#define CHAIN_HEX_LEN 64
#define CHAIN_NFIELDS 10
#define CHAIN_DOMAIN "consort-entry-1"

/* One field's bytes; len < 0 for NULL. */
struct chain_field {
	const char *p;
	long len;
};

/* out = the hash of an entry with fields f[CHAIN_NFIELDS] after prev. */
void chain_hash(const unsigned char prev[CHAIN_HASH_LEN], const struct chain_field *f,
                unsigned char out[CHAIN_HASH_LEN]);
/* Lower-case hex, 64 digits and a NUL. */
void chain_hex(const unsigned char h[CHAIN_HASH_LEN], char out[CHAIN_HEX_LEN + 1]);
/* Parses 64 hex digits (either case); -1 when malformed. */
int chain_unhex(const char *hex, unsigned char out[CHAIN_HASH_LEN]);

enum chain_fault {
	CHAIN_OK,
	CHAIN_ALTERED,   /* an entry's hash does not match its fields */
	CHAIN_MISSING,   /* a gap in the ids, or a hash whose entry is gone */
	CHAIN_INSERTED,  /* an entry without a hash */
	CHAIN_SUMMARY,   /* a summary table differs from the one rebuilt from the log */
	CHAIN_UNCHAINED, /* the log predates the chain (schema 4 or older, read only) */
};

struct chain_report {
	int64_t entries;                      /* entries walked */
	unsigned char head[CHAIN_HASH_LEN];   /* the newest entry's hash */
	int has_head;                         /* 0 for an empty log */
	int64_t since;                        /* first entry hashed by its append (1 unless migrated) */
	char migrated[32];                    /* date the older entries were chained, or "" */
	enum chain_fault fault;
	int64_t fault_id;                     /* the first entry that does not match */
	char what[160];                       /* how, in words (a table's name for CHAIN_SUMMARY) */
	int head_found;                       /* --head: that hash is in the intact chain */
	int64_t head_id;                      /* ... at this entry */
};

/* Walks the whole chain (and, when it holds, the summary tables); want
 * (may be NULL) is a head to look for. 0 with r filled (r->fault says
 * whether the log matches), or -1 with e on a read error. */
int store_verify(struct store *s, const unsigned char *want, struct chain_report *r, struct err *e);

struct chain_tip {
	int64_t entries;                      /* the log's entry count */
	unsigned char head[CHAIN_HASH_LEN];
	int has_head;
	int chained;                          /* the log has a chain (schema 5) */
	int ok;                               /* the newest entries link to their predecessors */
};
/* The head and a check of the newest few links (a few page reads). */
int store_chain_tip(struct store *s, struct chain_tip *t, struct err *e);

#endif
