/* defcache: a cache of the parsed project definition, so that commands run
 * on a large definition do not parse its YAML again while it is unchanged.
 * An entry lives in $XDG_CACHE_HOME/consort/ (by default ~/.cache/consort/),
 * named after a hash of the definition's absolute path. It is used only when
 * its header matches the definition's device, inode, size, modification and
 * change times, this build of consort, and a checksum of its body; the body
 * is then read with every length, offset, count and index checked. On any
 * doubt the definition is parsed again (load_project_file) and, when it
 * loaded without errors, the entry is rewritten atomically (mode 0600, in a
 * directory created with mode 0700); a definition modified less than two
 * seconds ago is not cached yet, as a further change within the same
 * timestamp tick could go unseen. Entries are per build of consort. A cache that cannot be read or written
 * never makes a command fail: it is then simply not used.
 * Setting CONSORT_NO_CACHE=1 (any non-empty value but "0") bypasses the
 * cache entirely. */
#ifndef CONSORT_DEFCACHE_H
#define CONSORT_DEFCACHE_H

#include "core/load.h"

/* The contract of load_project_file (load.h): returns 0 and fills *p (which
 * project_free frees) with the same project and the same warnings appended
 * to *d as the loader gives; -1 with the loader's errors otherwise. */
int defcache_load(const char *path, struct project *p, struct diags *d, int *io_errno);

/* Did the last defcache_load in this process come from the cache (1) or
 * from parsing (0)? For tests and measurement. */
int defcache_last_hit(void);

/* The cache file used for the definition at path (newly allocated), or NULL
 * when there is none (no home directory, the path cannot be resolved). */
char *defcache_file(const char *path);

/* Recompute the checksum of the entry file in place, whatever its body
 * holds: lets the reader's own checks be tested on damaged bodies.
 * Returns 0, or -1 when the file cannot be read or written. */
int defcache_reseal(const char *file);

/* A definition's digest (plan.h), kept beside its entry so that a command
 * comparing the definition with the log's plan need not read and hash the
 * whole file on every run. An entry holds one digest and the device,
 * inode, size, modification and change times of the file it was taken
 * of: defcache_digest_get gives it (dlen characters, into out) only while
 * st, the file's present state, matches them all (0; -1 otherwise), and
 * defcache_digest_put records it for st, a state the digest was read in,
 * unless the file was modified, or its times changed, less than two
 * seconds ago (a further change within the same tick of the clock could
 * go unseen). CONSORT_NO_CACHE bypasses both. */
struct stat;
int defcache_digest_get(const char *path, const struct stat *st, size_t dlen, char *out);
void defcache_digest_put(const char *path, const struct stat *st, const char *digest);

/* The codec alone (the log's plan stores its versions in it): a model as
 * bytes, newly allocated (*len gets their count), and back: 0 and *p
 * filled (every length, offset, count and index checked; project_free
 * frees it), or -1 when the bytes do not read as a whole model. */
unsigned char *defcache_encode(const struct project *p, size_t *len);
int defcache_decode(const unsigned char *b, size_t len, struct project *p);
/* The same for bytes in a block of xmalloc's, which the model takes (its
 * strings point into it): freed with it, or at once when they do not read. */
int defcache_decode_take(unsigned char *b, size_t len, struct project *p);

#endif
