/* project: the model of a project definition (consort-project(5)), lookups
 * by id, and month <-> date arithmetic for this project.
 * References between parts are resolved to indexes by the loader, so every
 * index here is valid (or -1 where a field is optional and absent). */
#ifndef CONSORT_PROJECT_H
#define CONSORT_PROJECT_H

#include <stddef.h>

#include "core/date.h"
#include "core/resources.h"

struct partner {
	char *id, *name, *country, *sector; /* name/country/sector may be NULL */
	int coordinator;                    /* role: coordinator */
	char **users;
	int nusers;
	int joined, left;                   /* months; 1 and nmonths when absent */
	long budget[RES_NCAT];              /* planned direct costs, cents */
};

struct effort_plan {                /* a partner's planned effort on a WP */
	int partner;                        /* partner index */
	int wp;                             /* WP index */
	long pm;                            /* hundredths of a person-month */
};

struct task {
	char *id, *title, *description;     /* description may be NULL */
	int wp;                             /* index of its work package */
	int lead;                           /* partner index */
	int *participants;                  /* partner indexes */
	int nparticipants;
	int start, end;                     /* months */
};

struct wp {
	char *id, *title, *objective;       /* objective may be NULL */
	int lead;
	int start, end;
	int first_task, ntasks;             /* range in project.tasks */
};

struct deliverable {
	char *id, *title, *description;
	int wp, lead;                       /* lead: -1 when absent (then the WP's lead) */
	char *type, *dissemination;         /* may be NULL */
	int due;                            /* month */
};

struct milestone {
	char *id, *title, *description, *verification;
	int *wps;                           /* one or more WP indexes */
	int nwps;
	int lead;                           /* -1 when absent */
	int due;
};

enum target_kind { TARGET_COUNT, TARGET_DISTINCT };

struct target {
	char *id, *title, *unit;            /* unit may be NULL */
	enum target_kind kind;
	long target;
};

struct indicator {
	char *id, *area, *title, *unit;     /* unit may be NULL */
	double threshold;
};

struct bcluster {
	int partner;                        /* partner index */
	char *name;                         /* cluster display name; may be NULL */
	int target_label;                   /* index into benchmark labels, -1 */
};

struct benchmark {
	int present;
	char *scheme;
	char **labels;                      /* lowest first */
	int nlabels;
	double pass_score;                  /* percent; -1 when absent */
	struct indicator *indicators;
	int nindicators;
	struct bcluster *clusters;
	int nclusters;
};

struct budget {
	int present;
	char *currency;                     /* ISO 4217 code */
	long total, eu_contribution;        /* cents */
	long indirect_rate;                 /* hundredths of a percent; 0 when absent */
	long deviation;                     /* hundredths of a percent; 2000 when absent */
};

struct period {
	char *id;
	int from, to;                       /* months */
};

struct project {
	char *path;                         /* the file it was loaded from */
	int format;
	char *acronym, *title, *programme;  /* title/programme may be NULL */
	cdate start, end;
	int nmonths;                        /* months from start to end, inclusive */
	struct period *periods;
	int nperiods;
	struct partner *partners;
	int npartners;
	struct wp *wps;
	int nwps;
	struct task *tasks;                 /* all tasks, grouped by WP in order */
	int ntasks;
	struct deliverable *deliverables;
	int ndeliverables;
	struct milestone *milestones;
	int nmilestones;
	struct target *targets;
	int ntargets;
	struct benchmark bench;
	struct budget budget;
	struct effort_plan *effort;         /* by partner, then in the definition's order */
	int neffort;
	int coordinator;                    /* partner index of the coordinator */
	struct id_index *index;             /* lookups by id; NULL: linear search */
	/* A block some of the strings point into (the cached definition
	 * they were read from), freed with the project; NULL when every
	 * string is allocated on its own. */
	void *pool;
	size_t pool_len;
	/* When not NULL, where every array of the model lies (and every
	 * string lies in the pool): project_free frees the arena whole
	 * instead of walking the parts. */
	struct arena *arena;
};

/* The shape of the model: for each kind of part, its fields in one table,
 * in the order the definition cache stores them. project_free, the plan's
 * diff and the cache's writer walk these tables; the project's own table
 * is in project.c, and each kind of part's is expanded from its list of
 * fields below, as the cache's reader of that kind of part is (defcache.c):
 * a new field of the model is its member above and one line in its list
 * (or, for the project itself, its table). */
enum model_type {
	MF_STR,          /* char *, may be NULL */
	MF_REQ,          /* char *, never NULL */
	MF_INT,          /* int (a date, a count, a range start) */
	MF_FLAG,         /* int, 0 or 1 */
	MF_MONTH,        /* int, a month of the project (1..nmonths) */
	MF_INDEX,        /* int, an index into `of` (or -1 when optional) */
	MF_KIND,         /* enum target_kind */
	MF_LONG,         /* long */
	MF_DOUBLE,       /* double, finite */
	MF_STRV,         /* char **, never-NULL strings; its int count at `count` */
	MF_INDEXV,       /* int *, indexes into `of`; its int count at `count` */
	MF_PARTS,        /* an array of parts of shape `parts`; its int count at `count` */
};
enum model_of { MF_OF_NONE, MF_OF_PARTNERS, MF_OF_WPS, MF_OF_LABELS };

struct model_shape;
struct model_field {
	enum model_type type;
	size_t off;                 /* offsetof the member */
	size_t count;               /* MF_STRV, MF_INDEXV, MF_PARTS: offsetof the count */
	enum model_of of;           /* MF_INDEX, MF_INDEXV */
	int optional;               /* MF_INDEX: -1 allowed */
	int min;                    /* MF_INDEXV: the least count */
	const struct model_shape *parts;  /* MF_PARTS */
	const char *name;           /* the member's name ("due", "bench.labels"):
	                               what the plan's diff calls the field */
};
struct model_shape {
	size_t size;                /* of one part */
	int nfields;
	const struct model_field *fields;
};
/* The fields of each kind of part, in order: FIELD(type, struct, member),
 * INDEX(struct, member, of, optional) and VEC(type, struct, member, count,
 * of, least) are what each expansion makes of a field. */
#define PERIOD_FIELDS(FIELD, INDEX, VEC) \
	FIELD(MF_REQ, struct period, id) \
	FIELD(MF_MONTH, struct period, from) \
	FIELD(MF_MONTH, struct period, to)

#define EFFORT_PLAN_FIELDS(FIELD, INDEX, VEC) \
	INDEX(struct effort_plan, partner, MF_OF_PARTNERS, 0) \
	INDEX(struct effort_plan, wp, MF_OF_WPS, 0) \
	FIELD(MF_LONG, struct effort_plan, pm)

#define PARTNER_FIELDS(FIELD, INDEX, VEC) \
	FIELD(MF_REQ, struct partner, id) \
	FIELD(MF_STR, struct partner, name) \
	FIELD(MF_STR, struct partner, country) \
	FIELD(MF_STR, struct partner, sector) \
	FIELD(MF_FLAG, struct partner, coordinator) \
	FIELD(MF_MONTH, struct partner, joined) \
	FIELD(MF_MONTH, struct partner, left) \
	VEC(MF_STRV, struct partner, users, nusers, MF_OF_NONE, 0) \
	FIELD(MF_LONG, struct partner, budget[RES_PERSONNEL]) \
	FIELD(MF_LONG, struct partner, budget[RES_SUBCONTRACTING]) \
	FIELD(MF_LONG, struct partner, budget[RES_TRAVEL]) \
	FIELD(MF_LONG, struct partner, budget[RES_EQUIPMENT]) \
	FIELD(MF_LONG, struct partner, budget[RES_OTHER])

#define WP_FIELDS(FIELD, INDEX, VEC) \
	FIELD(MF_REQ, struct wp, id) \
	FIELD(MF_REQ, struct wp, title) \
	FIELD(MF_STR, struct wp, objective) \
	INDEX(struct wp, lead, MF_OF_PARTNERS, 0) \
	FIELD(MF_MONTH, struct wp, start) \
	FIELD(MF_MONTH, struct wp, end) \
	FIELD(MF_INT, struct wp, first_task) \
	FIELD(MF_INT, struct wp, ntasks)

#define TASK_FIELDS(FIELD, INDEX, VEC) \
	FIELD(MF_REQ, struct task, id) \
	FIELD(MF_REQ, struct task, title) \
	FIELD(MF_STR, struct task, description) \
	INDEX(struct task, wp, MF_OF_WPS, 0) \
	INDEX(struct task, lead, MF_OF_PARTNERS, 0) \
	FIELD(MF_MONTH, struct task, start) \
	FIELD(MF_MONTH, struct task, end) \
	VEC(MF_INDEXV, struct task, participants, nparticipants, MF_OF_PARTNERS, 0)

#define DELIVERABLE_FIELDS(FIELD, INDEX, VEC) \
	FIELD(MF_REQ, struct deliverable, id) \
	FIELD(MF_REQ, struct deliverable, title) \
	FIELD(MF_STR, struct deliverable, description) \
	FIELD(MF_STR, struct deliverable, type) \
	FIELD(MF_STR, struct deliverable, dissemination) \
	INDEX(struct deliverable, wp, MF_OF_WPS, 0) \
	INDEX(struct deliverable, lead, MF_OF_PARTNERS, 1) \
	FIELD(MF_MONTH, struct deliverable, due)

#define MILESTONE_FIELDS(FIELD, INDEX, VEC) \
	FIELD(MF_REQ, struct milestone, id) \
	FIELD(MF_REQ, struct milestone, title) \
	FIELD(MF_STR, struct milestone, description) \
	FIELD(MF_STR, struct milestone, verification) \
	INDEX(struct milestone, lead, MF_OF_PARTNERS, 1) \
	FIELD(MF_MONTH, struct milestone, due) \
	VEC(MF_INDEXV, struct milestone, wps, nwps, MF_OF_WPS, 1)

#define TARGET_FIELDS(FIELD, INDEX, VEC) \
	FIELD(MF_REQ, struct target, id) \
	FIELD(MF_REQ, struct target, title) \
	FIELD(MF_STR, struct target, unit) \
	FIELD(MF_KIND, struct target, kind) \
	FIELD(MF_LONG, struct target, target)

#define INDICATOR_FIELDS(FIELD, INDEX, VEC) \
	FIELD(MF_REQ, struct indicator, id) \
	FIELD(MF_REQ, struct indicator, area) \
	FIELD(MF_REQ, struct indicator, title) \
	FIELD(MF_STR, struct indicator, unit) \
	FIELD(MF_DOUBLE, struct indicator, threshold)

#define BCLUSTER_FIELDS(FIELD, INDEX, VEC) \
	INDEX(struct bcluster, partner, MF_OF_PARTNERS, 0) \
	FIELD(MF_STR, struct bcluster, name) \
	INDEX(struct bcluster, target_label, MF_OF_LABELS, 1)

/* Every kind of part: X(name, struct, fields) for name_shape. */
#define MODEL_PARTS(X) \
	X(period, struct period, PERIOD_FIELDS) \
	X(effort_plan, struct effort_plan, EFFORT_PLAN_FIELDS) \
	X(partner, struct partner, PARTNER_FIELDS) \
	X(wp, struct wp, WP_FIELDS) \
	X(task, struct task, TASK_FIELDS) \
	X(deliverable, struct deliverable, DELIVERABLE_FIELDS) \
	X(milestone, struct milestone, MILESTONE_FIELDS) \
	X(target, struct target, TARGET_FIELDS) \
	X(indicator, struct indicator, INDICATOR_FIELDS) \
	X(bcluster, struct bcluster, BCLUSTER_FIELDS)

/* The project itself; its parts' shapes hang off its MF_PARTS fields. */
extern const struct model_shape project_shape;
extern const struct model_shape period_shape, partner_shape, wp_shape, task_shape,
	deliverable_shape, milestone_shape, target_shape, indicator_shape, bcluster_shape,
	effort_plan_shape;

/* The things a user can update, by kind. */
enum item_kind { ITEM_NONE, ITEM_WP, ITEM_TASK, ITEM_DELIVERABLE, ITEM_MILESTONE };

void project_free(struct project *p);

/* Builds the index that makes the lookups by id below constant-time. The
 * loaders call it once a project is complete; a project built by hand
 * works without it (the lookups then search linearly). Call it again
 * after changing ids. */
void project_index(struct project *p);

/* Lookups by id (exact, case-sensitive): index, or -1. */
int project_partner(const struct project *p, const char *id);
int project_wp(const struct project *p, const char *id);
int project_task(const struct project *p, const char *id);
int project_deliverable(const struct project *p, const char *id);
int project_milestone(const struct project *p, const char *id);
int project_target(const struct project *p, const char *id);
int project_indicator(const struct project *p, const char *id);
int project_cluster(const struct project *p, const char *partner_id); /* bench cluster index */
int project_label(const struct project *p, const char *label);        /* label index */
int project_period(const struct project *p, const char *id);
/* A partner's id by index, or `none` when the index is -1 or out of range. */
const char *project_partner_id(const struct project *p, int i, const char *none);
/* Who leads a deliverable (its lead, else its WP's) or a milestone (its
 * lead, else its first WP's): partner index, or -1. */
int project_due_lead(const struct project *p, enum item_kind k, int index);
/* Which partner a login acts for: partner index, or -1. */
int project_user_partner(const struct project *p, const char *login);
/* Any updatable item (WP, task, deliverable, milestone) by id. */
enum item_kind project_item(const struct project *p, const char *id, int *index);

/* Is s an ISO 3166-1 alpha-2 code (uppercase; EL, UK and XK as the EU uses
 * them)? */
int project_country_code(const char *s);

/* Month arithmetic for this project. */
int project_month_of(const struct project *p, cdate d);   /* 1-based, may be out of range */
cdate project_month_end(const struct project *p, int month);   /* last day of month */
cdate project_month_start(const struct project *p, int month); /* first day of month */

/* "M6 (2016-06-30)" into buf (at least 24 bytes); returns buf. */
char *project_month_label(const struct project *p, int month, char *buf);

/* Does partner `pi` lead or take part in the item? (WP: leads it or any of its
 * tasks or takes part in one; task: lead or participant; deliverable: lead or
 * leads its WP; milestone: lead or leads one of its WPs.) */
int project_partner_involved(const struct project *p, enum item_kind k, int index, int pi);

#endif
