/* write: the one write path. Every change, from a dialog or a command,
 * comes through write_apply(): identity (from the real uid), permission,
 * validation against the definition, then one store_append transaction.
 * A refused write writes nothing.
 *
 * Permissions: the coordinator's users may do everything; a partner's users
 * may update items their partner leads or takes part in
 * (project_partner_involved), record reach for their own partner and
 * benchmark values for their own cluster; anyone else reads. Accepting or
 * rejecting a deliverable and recording a label (and reverting either) is
 * the coordinator's alone: leads set planned, drafting and submitted.
 * Any listed partner's user may comment on any item (NOTE: an entry that
 * changes no state).
 * Effort and costs: a partner records its own, the coordinator anyone's;
 * effort only in a month of the WP and of the partner (joined..left), not
 * after the entry's date; a negative cost may not take the partner's
 * category below zero, nor may reverting a cost.
 * An entry is dated inside its partner's months (joined..left; after the
 * end only for a partner that stays to the last month): for an update the
 * writer's partner, for reach and benchmarks the partner named. */
#ifndef CONSORT_WRITE_H
#define CONSORT_WRITE_H

#include <stdint.h>
#include "core/project.h"
#include "core/store.h"
#include "core/util.h"

struct identity {
	char login[64];   /* from getpwuid(getuid()), never $USER */
	long uid;
	int partner;      /* partner index, -1 when the login is not in the definition */
	int coordinator;  /* the partner is the coordinator */
};

/* Who runs this process. Fails (74) only when the uid has no passwd entry;
 * then login is "uid<N>". */
int identity_current(const struct project *p, struct identity *id, struct err *e);
/* For a given login/uid (tests, demo). */
void identity_for(const struct project *p, const char *login, long uid, struct identity *id);
/* In the demo log, the login that created it acts for the coordinator. */
void identity_demo_grant(const struct project *p, struct identity *id, const char *demo_login);
/* "coordinator", "partner" or "read-only". */
const char *identity_role(const struct identity *id);

enum write_op { W_UPDATE, W_RECORD, W_BENCH, W_LABEL, W_REVERT, W_NOTE, W_AMEND, W_EFFORT, W_COST };

struct write_req {
	enum write_op op;
	const char *item;      /* UPDATE: task/deliverable/milestone id; RECORD: target id;
	                          BENCH: indicator id; NOTE: a task, deliverable,
	                          milestone, work package or target id, or a
	                          cluster's partner id; EFFORT: WP id; COST: category */
	const char *status;    /* UPDATE: new status or NULL */
	int progress;          /* UPDATE: 0..100, or -1 when not given (tasks only) */
	const char *partner;   /* RECORD, EFFORT, COST: partner id, NULL for the user's own;
	                          BENCH/LABEL: the cluster's partner id */
	const char *value;     /* RECORD: "+N" "-N" "=N" or a distinct value;
	                          BENCH: a number; LABEL: a label;
	                          EFFORT: person-months (0 to 31 with two decimals);
	                          COST: an amount (two decimals; negative corrects) */
	const char *month;     /* EFFORT: YYYY-MM, NULL for the month of the entry's date */
	const char *wp;        /* COST: the WP it was spent on, or NULL */
	int64_t revert_id;     /* REVERT */
	const char *note;      /* may be NULL; REVERT and NOTE require one */
	const char *date;      /* effective date YYYY-MM-DD, NULL for today */
	const char *link;      /* UPDATE of a deliverable to submitted: its document,
	                          an http(s) URL or a DOI (10.NNNN/...), or NULL;
	                          written as a second entry, kind "link" */
	/* AMEND: a new version of the plan (plan.h), the model `plan` loaded
	 * from `plan_text` (plan_len bytes). The log's first version (none
	 * recorded yet) may be recorded by a coordinator of that plan or by
	 * root; every later one only by a coordinator of the plan in force
	 * (the project given to write_check), and not one identical to it,
	 * nor one whose coordinator has no user or that takes the caller's
	 * own coordinator rights away (65). Its date, any day from the plan's
	 * start (the first version: its start when NULL). */
	const struct project *plan;
	const char *plan_text;
	size_t plan_len;
};

/* Validate and check permission without writing (for dialogs' in-place
 * checks and for write_apply). 65 bad value, 64 missing argument,
 * 77 not permitted. The store is needed only for REVERT (may be NULL else). */
int write_check(struct store *s, const struct project *p, const struct identity *id,
                const struct write_req *r, cdate today, struct err *e);
/* write_check of n requests to be written together (write_apply_many): a
 * total is checked with the requests before it counted, so two
 * corrections that each fit but together would not are refused. *bad
 * (may be NULL) gets the index of the request refused. */
int write_check_many(struct store *s, const struct project *p, const struct identity *id,
                     const struct write_req *r, size_t n, cdate today, size_t *bad,
                     struct err *e);

/* Check, then append in one transaction. *first_id (may be NULL) gets the
 * id of the first entry written. */
int write_apply(struct store *s, const struct project *p, const struct identity *id,
                const struct write_req *r, cdate today, int64_t *first_id, struct err *e);

/* Check n requests, then append all their entries in one transaction, or
 * none: a refused request writes nothing of any, and *bad (may be NULL)
 * gets its index. Each is checked against the log before the batch (a
 * correction's "-N" cannot lean on a "+N" of the same batch). */
int write_apply_many(struct store *s, const struct project *p, const struct identity *id,
                     const struct write_req *r, size_t n, cdate today, int64_t *first_id,
                     size_t *bad, struct err *e);

/* Valid status words for an item kind (NULL-terminated). */
const char *const *write_statuses(enum item_kind k);

#endif
