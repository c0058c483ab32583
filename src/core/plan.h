/* plan: the project's plan as the log records it. The definition a
 * coordinator gives (init, amend) is stored in the log as a version: an
 * entry of kind "plan" (effective = the date the version takes effect,
 * value = "N DIGEST", DIGEST the BLAKE2b-256 of the definition's text in
 * 64 hex digits (16 hex digits of a 64-bit FNV-1a in logs of earlier
 * releases, still read), note = the amendment's note) and, in the side table
 * plan (schema 7, append-only like the log), the definition's text and its
 * compiled form (the definition cache's codec, defcache_encode). Every
 * command reads the plan from the log; a definition file is only compared
 * with it.
 * The version in force on a date: among the versions effective on or
 * before it, the one recorded last among those of the greatest effective
 * date; before the first version's date, the first version. */
#ifndef CONSORT_PLAN_H
#define CONSORT_PLAN_H

#include <stddef.h>
#include <stdint.h>
#include "core/date.h"
#include "core/project.h"
#include "core/store.h"
#include "core/util.h"

#define PLAN_DIGEST_SIZE 65 /* 64 hex digits and a NUL */

struct plan_version {
	int number;             /* 1, 2, ... in the order recorded */
	int64_t entry;          /* the log entry's id */
	cdate effective;        /* when it takes effect */
	int64_t recorded_at;    /* ms UTC */
	char *login;            /* who recorded it; untrusted */
	char *note;             /* NULL when none; untrusted */
	char digest[PLAN_DIGEST_SIZE]; /* the entry's DIGEST */
};

/* The versions recorded up to recorded_until_ms (ms UTC; 0 for all),
 * oldest first. *n is 0 for a log without a stored plan (made by an
 * earlier release, or schema below 5). Caller frees with
 * plan_versions_free. */
int plan_versions(struct store *s, int64_t recorded_until_ms, struct plan_version **out,
                  size_t *n, struct err *e);
void plan_versions_free(struct plan_version *v, size_t n);
/* A copy of the n versions v, to be freed with plan_versions_free. */
struct plan_version *plan_versions_dup(const struct plan_version *v, size_t n);

/* The index into v (as plan_versions gives it) of the version in force on
 * asof, or -1 when n is 0. */
int plan_in_force(const struct plan_version *v, size_t n, cdate asof);
/* The index of version number `number`, or -1. */
int plan_find(const struct plan_version *v, size_t n, int number);

/* Load version `number`: its model into *p (project_free frees it; path
 * is set to `label`, e.g. the log's path) and, when text is not NULL, its
 * definition text (caller frees). 64 when there is no such version, 65
 * when its compiled form does not read. */
int plan_load(struct store *s, int number, const char *label, struct project *p, char **text,
              size_t *text_len, struct err *e);

/* The digest a new version's entry records for a definition text:
 * BLAKE2b-256 (libsodium's crypto_generichash), 64 lower-case hex digits.
 * buf: PLAN_DIGEST_SIZE bytes. */
const char *plan_digest_b2(const char *text, size_t len, char *buf);
/* The 64-bit FNV-1a digest of earlier releases' entries. buf: 17 bytes. */
const char *plan_digest(const char *text, size_t len, char *buf);
/* Does an entry's DIGEST name this text (either form)? */
int plan_digest_is(const char *digest, const char *text, size_t len);
/* The same for the file at path, read a piece at a time (the text is not
 * kept): 1 it does, 0 it does not, -1 the file does not read or is larger
 * than max bytes. */
int plan_digest_file_is(const char *digest, const char *path, size_t max);
/* For verify: does every plan row match its entry (the text's digest is
 * the entry's, the compiled form is what the text compiles to), and has
 * every entry of kind plan its row? 0 when so, 1 with `what` (n bytes)
 * saying the first that does not, -1 with e on a read error. */
int store_plan_check(struct store *s, char *what, size_t n, struct err *e);

/* What differs between two versions' models, item by item: */
enum plan_change { PLAN_ADDED, PLAN_REMOVED, PLAN_CHANGED };
struct plan_diff {
	enum plan_change change;
	const char *kind;       /* "project", "period", "partner", "work package",
	                           "task", "deliverable", "milestone", "target",
	                           "indicator", "cluster" (static) */
	char *id;               /* the item's id (untrusted) */
	const char *field;      /* PLAN_CHANGED: the field's name in the shape
	                           table (static); NULL otherwise */
	char *old, *new;        /* PLAN_CHANGED: the values as text ("M12
	                           (2016-12-31)" for a month, ids for indexes,
	                           a comma-separated list for lists); NULL else */
};
/* Items of a absent from b are removed, those of b absent from a added,
 * and for each item in both each field that differs (walking the model's
 * shape table, so every field of the model is compared). Caller frees with
 * plan_diff_free. */
void plan_diff_models(const struct project *a, const struct project *b, struct plan_diff **out,
                      size_t *n);
void plan_diff_free(struct plan_diff *v, size_t n);

#endif
