/* project: the model of a project definition. Frees it, finds its parts by
 * id (exact, case-sensitive; -1 when absent), turns project months into
 * dates and back (month 1 is the month of project.start, "due: N" is the
 * last day of month N), and answers whether a partner is involved in an item. */
#include "config.h"
#include "core/project.h"

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/hash.h"
#include "core/util.h"

/* Frees x unless it lies in the project's pool. */
static void pfree(const struct project *p, void *x)
{
	const char *c = x, *pool = p->pool;
	if (pool && c >= pool && c < pool + p->pool_len)
		return;
	free(x);
}

static void strv_free(const struct project *p, char **v, int n)
{
	for (int i = 0; i < n; i++)
		pfree(p, v[i]);
	free(v);
}

/* ---- the id index over (kind, id) ------------------------------------ */

enum { IX_PARTNER, IX_WP, IX_TASK, IX_DELIVERABLE, IX_MILESTONE, IX_TARGET,
       IX_INDICATOR, IX_PERIOD };

/* A value is kind << 24 | (index + 1), the id itself read from the record.
 * Every kind of an id shares its probe sequence, so that project_item finds
 * an item of any kind in one pass. */
#define IX_SHIFT 24
#define IX_MAX ((1 << IX_SHIFT) - 1)

/* The id of record i of a kind. */
static const char *id_of(const struct project *p, int kind, int i)
{
	switch (kind) {
	case IX_PARTNER: return p->partners[i].id;
	case IX_WP: return p->wps[i].id;
	case IX_TASK: return p->tasks[i].id;
	case IX_DELIVERABLE: return p->deliverables[i].id;
	case IX_MILESTONE: return p->milestones[i].id;
	case IX_TARGET: return p->targets[i].id;
	case IX_INDICATOR: return p->bench.indicators[i].id;
	default: return p->periods[i].id;
	}
}

static const char *value_id(const void *ctx, uint32_t v)
{
	return id_of(ctx, (int)(v >> IX_SHIFT), (int)(v & IX_MAX) - 1);
}

/* The index of the record of a kind with this id, or -1: the first value
 * of the kind with the id on the id's probe sequence (as a walk with
 * id_index_next finds it), its slots read here so that only the values of
 * the kind have their ids compared. */
static int id_get(const struct project *p, int kind, const char *id)
{
	const struct id_index *x = p->index;
	if (!x->slots)
		return -1;
	for (size_t at = id_index_start(x, id);; at = (at + 1) & x->mask) {
		uint32_t v = x->slots[at];
		if (!v)
			return -1;
		if ((int)(v >> IX_SHIFT) == kind) {
			int i = (int)(v & IX_MAX) - 1;
			if (strcmp(id_of(p, kind, i), id) == 0)
				return i;
		}
	}
}

/* Keeps the first record of an id, as the linear search finds it. */
static void id_put(struct project *p, int kind, const char *id, int i)
{
	const struct id_index *x = p->index;
	if (!id)
		return;
	size_t at = id_index_start(x, id);
	if (x->slots)
		for (uint32_t v; (v = x->slots[at]) != 0; at = (at + 1) & x->mask)
			if ((int)(v >> IX_SHIFT) == kind && strcmp(id_of(p, kind, (int)(v & IX_MAX) - 1), id) == 0)
				return;
	id_index_add_at(p->index, at, (uint32_t)kind << IX_SHIFT | (uint32_t)(i + 1), value_id, p);
}

static void index_free(struct id_index *x)
{
	if (x) {
		id_index_free(x);
		free(x);
	}
}

void project_index(struct project *p)
{
	index_free(p->index);
	p->index = NULL;
	size_t n = (size_t)p->npartners + (size_t)p->nwps + (size_t)p->ntasks +
	           (size_t)p->ndeliverables + (size_t)p->nmilestones + (size_t)p->ntargets +
	           (size_t)p->bench.nindicators + (size_t)p->nperiods;
	if (p->npartners > IX_MAX || p->nwps > IX_MAX || p->ntasks > IX_MAX ||
	    p->ndeliverables > IX_MAX || p->nmilestones > IX_MAX || p->ntargets > IX_MAX ||
	    p->bench.nindicators > IX_MAX || p->nperiods > IX_MAX)
		return;   /* beyond what a slot holds: the linear search */
	struct id_index *x = xcalloc(1, sizeof *x);
	id_index_init(x, n);
	p->index = x;
	for (int i = 0; i < p->npartners; i++)
		id_put(p, IX_PARTNER, p->partners[i].id, i);
	for (int i = 0; i < p->nwps; i++)
		id_put(p, IX_WP, p->wps[i].id, i);
	for (int i = 0; i < p->ntasks; i++)
		id_put(p, IX_TASK, p->tasks[i].id, i);
	for (int i = 0; i < p->ndeliverables; i++)
		id_put(p, IX_DELIVERABLE, p->deliverables[i].id, i);
	for (int i = 0; i < p->nmilestones; i++)
		id_put(p, IX_MILESTONE, p->milestones[i].id, i);
	for (int i = 0; i < p->ntargets; i++)
		id_put(p, IX_TARGET, p->targets[i].id, i);
	for (int i = 0; i < p->bench.nindicators; i++)
		id_put(p, IX_INDICATOR, p->bench.indicators[i].id, i);
	for (int i = 0; i < p->nperiods; i++)
		id_put(p, IX_PERIOD, p->periods[i].id, i);
}

/* ---- the shape of the model ------------------------------------------- */

#define FIELD(ft, type, member) {ft, offsetof(type, member), 0, MF_OF_NONE, 0, 0, NULL, #member}
#define INDEX(type, member, of_, opt) {MF_INDEX, offsetof(type, member), 0, of_, opt, 0, NULL, #member}
#define VEC(ft, type, member, n, of_, least) \
	{ft, offsetof(type, member), offsetof(type, n), of_, 0, least, NULL, #member}
#define PARTS(type, member, n, shape) \
	{MF_PARTS, offsetof(type, member), offsetof(type, n), MF_OF_NONE, 0, 0, &shape, #member}
#define SHAPE(name, type, table) \
	const struct model_shape name = {sizeof(type), (int)(sizeof table / sizeof table[0]), table}

/* Each kind of part's table, from its list of fields (project.h). */
#define TABLE_FIELD(ft, type, member) FIELD(ft, type, member),
#define TABLE_INDEX(type, member, of_, opt) INDEX(type, member, of_, opt),
#define TABLE_VEC(ft, type, member, n, of_, least) VEC(ft, type, member, n, of_, least),
#define PART_SHAPE(name, type, LIST) \
	static const struct model_field name##_fields[] = {LIST(TABLE_FIELD, TABLE_INDEX, TABLE_VEC)}; \
	SHAPE(name##_shape, type, name##_fields);
MODEL_PARTS(PART_SHAPE)

/* The path, the id index and the pool are not part of the shape: the
 * loaders set them, the cache does not store them. */
static const struct model_field project_fields[] = {
	FIELD(MF_INT, struct project, format),
	FIELD(MF_REQ, struct project, acronym),
	FIELD(MF_STR, struct project, title),
	FIELD(MF_STR, struct project, programme),
	FIELD(MF_INT, struct project, start),
	FIELD(MF_INT, struct project, end),
	FIELD(MF_INT, struct project, nmonths),
	FIELD(MF_INT, struct project, coordinator),
	PARTS(struct project, periods, nperiods, period_shape),
	PARTS(struct project, partners, npartners, partner_shape),
	PARTS(struct project, wps, nwps, wp_shape),
	PARTS(struct project, tasks, ntasks, task_shape),
	PARTS(struct project, deliverables, ndeliverables, deliverable_shape),
	PARTS(struct project, milestones, nmilestones, milestone_shape),
	PARTS(struct project, targets, ntargets, target_shape),
	FIELD(MF_FLAG, struct project, bench.present),
	FIELD(MF_STR, struct project, bench.scheme),
	FIELD(MF_DOUBLE, struct project, bench.pass_score),
	VEC(MF_STRV, struct project, bench.labels, bench.nlabels, MF_OF_NONE, 0),
	PARTS(struct project, bench.indicators, bench.nindicators, indicator_shape),
	PARTS(struct project, bench.clusters, bench.nclusters, bcluster_shape),
	FIELD(MF_FLAG, struct project, budget.present),
	FIELD(MF_STR, struct project, budget.currency),
	FIELD(MF_LONG, struct project, budget.total),
	FIELD(MF_LONG, struct project, budget.eu_contribution),
	FIELD(MF_LONG, struct project, budget.indirect_rate),
	FIELD(MF_LONG, struct project, budget.deviation),
	PARTS(struct project, effort, neffort, effort_plan_shape),
};
SHAPE(project_shape, struct project, project_fields);

/* Frees what the fields of one part (or the project) own. */
static void shape_free(const struct project *p, const struct model_shape *sh, char *base)
{
	for (int f = 0; f < sh->nfields; f++) {
		const struct model_field *fd = &sh->fields[f];
		void *m = base + fd->off;
		switch (fd->type) {
		case MF_STR:
		case MF_REQ:
		case MF_INDEXV:
			pfree(p, *(void **)m);
			break;
		case MF_STRV:
			strv_free(p, *(char ***)m, *(int *)(base + fd->count));
			break;
		case MF_PARTS: {
			char *parts = *(char **)m;
			int n = *(int *)(base + fd->count);
			for (int i = 0; i < n; i++)
				shape_free(p, fd->parts, parts + (size_t)i * fd->parts->size);
			pfree(p, parts);
			break;
		}
		default:
			break;
		}
	}
}

void project_free(struct project *p)
{
	if (!p)
		return;
	index_free(p->index);
	pfree(p, p->path);
	if (p->arena) {
		arena_free(p->arena);
		free(p->arena);
	} else {
		shape_free(p, &project_shape, (char *)p);
	}
	free(p->pool);
	memset(p, 0, sizeof *p);
}

/* The index of the record whose `field` equals key: from the id index
 * when there is one, else by linear search. */
#define FIND(arr, n, field, key, kind)                            \
	do {                                                      \
		if (!(key))                                       \
			return -1;                                \
		if (p->index)                                     \
			return id_get(p, (kind), (key));          \
		for (int i_ = 0; i_ < (n); i_++)                  \
			if ((arr)[i_].field && strcmp((arr)[i_].field, (key)) == 0) \
				return i_;                        \
		return -1;                                        \
	} while (0)

int project_partner(const struct project *p, const char *id)
{
	FIND(p->partners, p->npartners, id, id, IX_PARTNER);
}

int project_wp(const struct project *p, const char *id)
{
	FIND(p->wps, p->nwps, id, id, IX_WP);
}

int project_task(const struct project *p, const char *id)
{
	FIND(p->tasks, p->ntasks, id, id, IX_TASK);
}

int project_deliverable(const struct project *p, const char *id)
{
	FIND(p->deliverables, p->ndeliverables, id, id, IX_DELIVERABLE);
}

int project_milestone(const struct project *p, const char *id)
{
	FIND(p->milestones, p->nmilestones, id, id, IX_MILESTONE);
}

int project_target(const struct project *p, const char *id)
{
	FIND(p->targets, p->ntargets, id, id, IX_TARGET);
}

int project_indicator(const struct project *p, const char *id)
{
	FIND(p->bench.indicators, p->bench.nindicators, id, id, IX_INDICATOR);
}

int project_period(const struct project *p, const char *id)
{
	FIND(p->periods, p->nperiods, id, id, IX_PERIOD);
}

int project_cluster(const struct project *p, const char *partner_id)
{
	int pi = project_partner(p, partner_id);
	if (pi < 0)
		return -1;
	for (int i = 0; i < p->bench.nclusters; i++)
		if (p->bench.clusters[i].partner == pi)
			return i;
	return -1;
}

int project_label(const struct project *p, const char *label)
{
	if (!label)
		return -1;
	for (int i = 0; i < p->bench.nlabels; i++)
		if (strcmp(p->bench.labels[i], label) == 0)
			return i;
	return -1;
}

int project_user_partner(const struct project *p, const char *login)
{
	if (!login)
		return -1;
	for (int i = 0; i < p->npartners; i++)
		for (int u = 0; u < p->partners[i].nusers; u++)
			if (strcmp(p->partners[i].users[u], login) == 0)
				return i;
	return -1;
}

enum item_kind project_item(const struct project *p, const char *id, int *index)
{
	int i;
	enum item_kind k = ITEM_NONE;
	if (p->index && id) {
		/* Work packages, tasks, deliverables and milestones share one id
		 * space (the loader refuses an id used twice): the first of
		 * them on the id's probe sequence is the item. */
		size_t at = id_index_start(p->index, id);
		for (uint32_t v; (v = id_index_next(p->index, id, value_id, p, &at)) != 0;) {
			int kind = (int)(v >> IX_SHIFT);
			i = (int)(v & IX_MAX) - 1;
			if (kind < IX_WP || kind > IX_MILESTONE)
				continue;
			if (index)
				*index = i;
			return kind == IX_WP ? ITEM_WP : kind == IX_TASK ? ITEM_TASK
			       : kind == IX_DELIVERABLE ? ITEM_DELIVERABLE : ITEM_MILESTONE;
		}
		if (index)
			*index = -1;
		return ITEM_NONE;
	}
	if ((i = project_wp(p, id)) >= 0)
		k = ITEM_WP;
	else if ((i = project_task(p, id)) >= 0)
		k = ITEM_TASK;
	else if ((i = project_deliverable(p, id)) >= 0)
		k = ITEM_DELIVERABLE;
	else if ((i = project_milestone(p, id)) >= 0)
		k = ITEM_MILESTONE;
	if (index)
		*index = i;
	return k;
}

int project_month_of(const struct project *p, cdate d)
{
	return date_month_of(p->start, d);
}

cdate project_month_end(const struct project *p, int month)
{
	return date_month_last(p->start, month);
}

cdate project_month_start(const struct project *p, int month)
{
	return date_month_first(p->start, month);
}

char *project_month_label(const struct project *p, int month, char *buf)
{
	char d[11];
	date_format(project_month_end(p, month), d);
	snprintf(buf, 24, "M%d (%s)", month, d);
	return buf;
}

static int task_involved(const struct task *t, int pi)
{
	if (t->lead == pi)
		return 1;
	for (int i = 0; i < t->nparticipants; i++)
		if (t->participants[i] == pi)
			return 1;
	return 0;
}

int project_partner_involved(const struct project *p, enum item_kind k, int index, int pi)
{
	if (pi < 0 || pi >= p->npartners || index < 0)
		return 0;
	switch (k) {
	case ITEM_WP: {
		if (index >= p->nwps)
			return 0;
		const struct wp *w = &p->wps[index];
		if (w->lead == pi)
			return 1;
		for (int i = w->first_task; i < w->first_task + w->ntasks && i < p->ntasks; i++)
			if (task_involved(&p->tasks[i], pi))
				return 1;
		return 0;
	}
	case ITEM_TASK:
		return index < p->ntasks && task_involved(&p->tasks[index], pi);
	case ITEM_DELIVERABLE: {
		if (index >= p->ndeliverables)
			return 0;
		const struct deliverable *d = &p->deliverables[index];
		if (d->lead == pi)
			return 1;
		return d->wp >= 0 && d->wp < p->nwps && p->wps[d->wp].lead == pi;
	}
	case ITEM_MILESTONE: {
		if (index >= p->nmilestones)
			return 0;
		const struct milestone *m = &p->milestones[index];
		if (m->lead == pi)
			return 1;
		for (int i = 0; i < m->nwps; i++)
			if (m->wps[i] >= 0 && m->wps[i] < p->nwps && p->wps[m->wps[i]].lead == pi)
				return 1;
		return 0;
	}
	case ITEM_NONE:
		break;
	}
	return 0;
}

static const char *const countries =
	"AD AE AF AG AI AL AM AO AQ AR AS AT AU AW AX AZ BA BB BD BE BF BG BH BI BJ BL "
	"BM BN BO BQ BR BS BT BV BW BY BZ CA CC CD CF CG CH CI CK CL CM CN CO CR CU CV "
	"CW CX CY CZ DE DJ DK DM DO DZ EC EE EG EH ER ES ET FI FJ FK FM FO FR GA GB GD "
	"GE GF GG GH GI GL GM GN GP GQ GR GS GT GU GW GY HK HM HN HR HT HU ID IE IL IM "
	"IN IO IQ IR IS IT JE JM JO JP KE KG KH KI KM KN KP KR KW KY KZ LA LB LC LI LK "
	"LR LS LT LU LV LY MA MC MD ME MF MG MH MK ML MM MN MO MP MQ MR MS MT MU MV MW "
	"MX MY MZ NA NC NE NF NG NI NL NO NP NR NU NZ OM PA PE PF PG PH PK PL PM PN PR "
	"PS PT PW PY QA RE RO RS RU RW SA SB SC SD SE SG SH SI SJ SK SL SM SN SO SR SS "
	"ST SV SX SY SZ TC TD TF TG TH TJ TK TL TM TN TO TR TT TV TW TZ UA UG UM US UY "
	"UZ VA VC VE VG VI VN VU WF WS YE YT ZA ZM ZW "
	"EL UK XK "; /* EU usage: Greece, United Kingdom, Kosovo */

int project_country_code(const char *s)
{
	if (!s || !s[0] || !s[1] || s[2])
		return 0;
	for (const char *c = countries; *c; c += 3)
		if (c[0] == s[0] && c[1] == s[1])
			return 1;
	return 0;
}

const char *project_partner_id(const struct project *p, int i, const char *none)
{
	return i >= 0 && i < p->npartners ? p->partners[i].id : none;
}

int project_due_lead(const struct project *p, enum item_kind k, int index)
{
	if (k == ITEM_DELIVERABLE) {
		const struct deliverable *d = &p->deliverables[index];
		return d->lead >= 0 ? d->lead : p->wps[d->wp].lead;
	}
	const struct milestone *m = &p->milestones[index];
	if (m->lead >= 0)
		return m->lead;
	return m->nwps > 0 ? p->wps[m->wps[0]].lead : -1;
}
