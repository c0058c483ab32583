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
 * in the order the definition cache stores them. project_free and the
 * cache's writer and reader all walk these tables, so a new field of the
 * model is its member above and one line in its table (project.c). */
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
