/* demo: writes the bundled demo log. The history is generated from fixed
 * scripts and a pseudo-random generator with a fixed seed, so two runs give
 * the same entries; nothing depends on today's date. Ids are looked up in
 * the loaded definition and any the definition lacks are skipped. Entries
 * are sorted by effective date and appended through store_append in a few
 * large transactions; a failure leaves no half-written log behind. */
#include "config.h"
#include "core/demo.h"

#include <errno.h>
#include <stdio.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "core/chain.h"
#include "core/date.h"
#include "core/load.h"
#include "core/plan.h"
#include "core/resources.h"
#include "core/store.h"

#define DEMO_SEED 0x5F0E2016u
#define DEMO_BATCHES 4

/* One entry as generated, before it reaches the store. */
struct dent {
	cdate d;
	size_t seq;             /* order of generation: ties on d keep it */
	const char *login;
	long uid;
	const char *partner, *item, *kind;
	char *value;            /* owned */
	const char *note;
	long revert_of;         /* seq of the entry undone, or -1 */
};

struct gen {
	const struct project *p;
	cdate first, asof;      /* the history's first and last day */
	uint32_t rng;
	const char *login;      /* for partners that list no users */
	long uid;
	struct dent *v;
	size_t n, cap;
	/* The plan's versions, written among the entries in effective order:
	 * the text of version 1 and of the amendment (NULL when none), the
	 * amendment's date, and the next version to write (3: done). */
	char *plan1, *plan2;
	cdate plan2_eff;
	int plan_next;
};

/* ---- small helpers ------------------------------------------------------ */

static uint32_t demo_rand(struct gen *g)
{
	/* xorshift32: small, fixed and the same everywhere. */
	uint32_t x = g->rng;
	x ^= x << 13;
	x ^= x >> 17;
	x ^= x << 5;
	g->rng = x;
	return x;
}

/* A number in lo..hi inclusive. */
static int demo_range(struct gen *g, int lo, int hi)
{
	if (hi <= lo)
		return lo;
	return lo + (int)(demo_rand(g) % (uint32_t)(hi - lo + 1));
}

/* 0 Monday .. 6 Sunday (1970-01-01 was a Thursday). */
static int demo_weekday(cdate d)
{
	return (int)(((d % 7) + 7 + 3) % 7);
}

/* Day `day` of project month m, moved off a weekend, kept inside the month. */
static cdate demo_day(const struct gen *g, int m, int day)
{
	cdate first = project_month_start(g->p, m);
	cdate last = project_month_end(g->p, m);
	cdate d = first + (day > 0 ? day - 1 : 0);
	if (d > last)
		d = last;
	int wd = demo_weekday(d);
	if (wd >= 5) {
		cdate fwd = d + (7 - wd), back = d - (wd - 4);
		d = fwd <= last ? fwd : back >= first ? back : d;
	}
	return d;
}

/* A login for partner pi: `want` when the partner lists it, else one of its
 * users, else the demo's own login. */
static const char *demo_login(struct gen *g, int pi, const char *want, long *uid)
{
	*uid = 0;
	if (pi < 0 || pi >= g->p->npartners || g->p->partners[pi].nusers == 0) {
		*uid = g->uid;
		return g->login;
	}
	const struct partner *pt = &g->p->partners[pi];
	if (want)
		for (int i = 0; i < pt->nusers; i++)
			if (strcmp(pt->users[i], want) == 0)
				return pt->users[i];
	return pt->users[demo_rand(g) % (uint32_t)pt->nusers];
}

/* Add one entry; value is taken over. Entries outside the history are
 * dropped. Returns the entry's seq, or -1 when dropped. */
static long demo_add(struct gen *g, cdate d, int pi, const char *want,
                     const char *item, const char *kind, char *value, const char *note)
{
	if (d > g->asof) {
		free(value);
		return -1;
	}
	if (d < g->first)
		d = g->first;
	xgrow(&g->v, &g->cap, g->n + 1, sizeof *g->v);
	struct dent *en = &g->v[g->n];
	memset(en, 0, sizeof *en);
	en->d = d;
	en->seq = g->n;
	en->login = demo_login(g, pi, want, &en->uid);
	en->partner = pi >= 0 ? g->p->partners[pi].id : NULL;
	en->item = item;
	en->kind = kind;
	en->value = value;
	en->note = note;
	en->revert_of = -1;
	return (long)g->n++;
}

/* Labels are the coordinator's to award: entry seq (from demo_add, -1 when
 * dropped) is written by the coordinator's first user (janis when listed),
 * its partner field still the cluster's. No random draw, so the rest of
 * the history is the same. */
static void demo_by_coordinator(struct gen *g, long seq)
{
	int c = g->p->coordinator;
	if (seq < 0 || c < 0 || c >= g->p->npartners)
		return;
	const struct partner *pt = &g->p->partners[c];
	struct dent *en = &g->v[seq];
	en->uid = 0;
	if (pt->nusers == 0) {
		en->login = g->login;
		en->uid = g->uid;
		return;
	}
	en->login = pt->users[0];
	for (int i = 0; i < pt->nusers; i++)
		if (strcmp(pt->users[i], "janis") == 0)
			en->login = pt->users[i];
}

static int demo_partner_id(const struct project *p, const char *id)
{
	return id ? project_partner(p, id) : -1;
}

/* ---- tasks, deliverables, milestones ------------------------------------ */

/* One scripted change. `by` names the partner acting when it is not the
 * item's lead; `login` a preferred login. */
struct step {
	const char *item;
	int m, day;
	const char *kind, *value;
	const char *by, *login;
	const char *note;
};

static const char demo_first_note[] =
	"Illustrative demo history generated by consort: plausible, not the "
	"project's real records (kick-off of coordination)";

static const struct step demo_steps[] = {
	/* WP1 Management: steady. */
	{"T1.1", 1, 4, "status", "in_progress", NULL, "janis", demo_first_note},
	{"T1.1", 1, 21, "progress", "10", NULL, "janis", "Projekta atklāšanas sanāksme Rīgā"},
	{"T1.1", 4, 15, "progress", "20", NULL, NULL, NULL},
	{"T1.1", 6, 17, "progress", "30", NULL, "janis", "Partneru sanāksme Tallinā"},
	{"T1.1", 9, 23, "progress", "45", NULL, NULL, NULL},
	{"T1.1", 12, 9, "progress", "55", NULL, "janis", "Gada sanāksme Karlshamnā, piedalījās visi partneri"},
	{"T1.1", 14, 17, "progress", "65", NULL, NULL, NULL},
	{"T1.1", 15, 24, "progress", "70", NULL, "ilze", "Partner meeting in Valmiera; minutes circulated"},
	{"T1.2", 1, 8, "status", "in_progress", NULL, "ilze", NULL},
	{"T1.2", 4, 29, "progress", "15", NULL, "ilze", "Finanšu vadlīnijas nosūtītas partneriem"},
	{"T1.2", 7, 29, "progress", "30", NULL, "ilze", NULL},
	{"T1.2", 12, 16, "progress", "45", NULL, "ilze", NULL},
	{"T1.2", 13, 27, "progress", "60", NULL, "ilze", "Finanšu pārskats par RP1 sagatavots"},
	{"T1.2", 15, 17, "progress", "65", NULL, "ilze", NULL},
	{"T1.3", 2, 8, "status", "in_progress", NULL, NULL, NULL},
	{"T1.3", 5, 20, "progress", "20", NULL, NULL, "Riski pārskatīti kopā ar ITL"},
	{"T1.3", 10, 14, "progress", "40", NULL, NULL, NULL},
	{"T1.3", 14, 10, "progress", "60", NULL, NULL, "Quality review of the interim report done"},
	/* WP2 Benchmarking: done within its months. */
	{"T2.1", 1, 11, "status", "in_progress", NULL, "tonu", "Võrdlusanalüüsi küsimustik saadetud kõigile klastritele"},
	{"T2.1", 2, 19, "progress", "30", NULL, NULL, NULL},
	{"T2.1", 3, 18, "progress", "70", NULL, NULL, NULL},
	{"T2.1", 4, 22, "progress", "100", NULL, "tonu", NULL},
	{"T2.1", 4, 22, "status", "done", NULL, "tonu", "Enesehindamine on tehtud kõigis viies klastris"},
	{"T2.2", 3, 14, "status", "in_progress", NULL, NULL, NULL},
	{"T2.2", 4, 29, "progress", "20", NULL, NULL, NULL},
	{"T2.2", 6, 10, "progress", "50", NULL, "kadri", "ESCA hindajad külastasid klastreid"},
	{"T2.2", 7, 15, "progress", "80", NULL, NULL, NULL},
	{"T2.2", 8, 26, "progress", "100", NULL, "kadri", NULL},
	{"T2.2", 8, 26, "status", "done", NULL, "kadri", "All five clusters benchmarked by ESCA"},
	{"T2.3", 7, 18, "status", "in_progress", NULL, NULL, NULL},
	{"T2.3", 9, 9, "progress", "30", NULL, "tonu", "Hindamise tulemused on kokku võetud"},
	{"T2.3", 10, 21, "progress", "60", NULL, NULL, NULL},
	{"T2.3", 12, 2, "progress", "90", NULL, NULL, NULL},
	{"T2.3", 12, 20, "progress", "100", NULL, "tonu", NULL},
	{"T2.3", 12, 20, "status", "done", NULL, "tonu", "Parendusplaanid on valmis"},
	/* WP3 Training: behind; the trainers' course was blocked for a while. */
	{"T3.1", 4, 6, "status", "in_progress", NULL, "anna", "Utbildningsbehoven kartlagda tillsammans med ITL"},
	{"T3.1", 5, 13, "progress", "50", NULL, NULL, NULL},
	{"T3.1", 6, 22, "progress", "80", NULL, NULL, NULL},
	{"T3.1", 7, 8, "progress", "100", NULL, "anna", NULL},
	{"T3.1", 7, 8, "status", "done", NULL, "anna", "Utbildningsprogrammet klart"},
	{"T3.2", 6, 13, "status", "in_progress", NULL, "erik", NULL},
	{"T3.2", 7, 12, "progress", "10", NULL, "erik", NULL},
	{"T3.2", 8, 16, "status", "blocked", NULL, "erik",
	 "Utbildaren är inte tillgänglig förrän i höst; utbildningen skjuts upp"},
	{"T3.2", 10, 10, "status", "in_progress", NULL, "erik", "Ny utbildare kontrakterad, utbildningen återupptas"},
	{"T3.2", 10, 24, "progress", "20", NULL, NULL, NULL},
	{"T3.2", 11, 18, "progress", "30", "ITL", "tonu", "Koolitus toimus Tallinnas, osales 14 ettevõtet"},
	{"T3.2", 13, 20, "progress", "45", "LITC", "ilze", "Apmācību semināra programma saskaņota ar partneriem"},
	{"T3.2", 15, 10, "progress", "55", NULL, "anna", NULL},
	{"T3.3", 9, 12, "status", "in_progress", NULL, NULL, NULL},
	{"T3.3", 10, 27, "progress", "15", "ITL", "kadri", "Töötuba Tartus, arutati klastri teenuseid"},
	{"T3.3", 12, 8, "progress", "25", NULL, NULL, NULL},
	{"T3.3", 14, 22, "progress", "35", "VIDZEME", "liga", "Pieredzes apmaiņas seminārs Valmierā"},
	{"T3.4", 13, 9, "status", "in_progress", NULL, "anna", "Kontakt med Packbridge etablerad"},
	{"T3.4", 14, 14, "progress", "40", NULL, NULL, NULL},
	{"T3.4", 14, 23, "progress", "100", NULL, "anna", NULL},
	{"T3.4", 14, 23, "status", "done", NULL, "anna", "Studiebesök hos Packbridge i Karlshamn genomfört"},
	/* WP4 Services: the needs analysis ran past its end. */
	{"T4.1", 6, 6, "status", "in_progress", NULL, NULL, "Biedru vajadzību aptauja izsūtīta"},
	{"T4.1", 8, 12, "progress", "40", NULL, NULL, NULL},
	{"T4.1", 10, 7, "progress", "70", NULL, NULL, NULL},
	{"T4.1", 12, 14, "progress", "85", NULL, NULL,
	 "Aptaujā atbildējuši tikai 60% biedru; termiņš pagarināts"},
	{"T4.1", 14, 3, "progress", "90", NULL, NULL, NULL},
	{"T4.2", 10, 17, "status", "in_progress", NULL, NULL, NULL},
	{"T4.2", 12, 12, "progress", "20", NULL, NULL, NULL},
	{"T4.2", 14, 8, "progress", "40", NULL, NULL, NULL},
	{"T4.2", 15, 16, "progress", "50", NULL, NULL, "Jaunu pakalpojumu saraksts apspriests ar partneriem"},
	{"T4.3", 14, 20, "status", "in_progress", NULL, "janis", NULL},
	{"T4.3", 15, 28, "progress", "10", NULL, "janis", "Stratēģijas struktūra saskaņota"},
	/* WP5 Dissemination: steady. */
	{"T5.1", 1, 15, "status", "in_progress", NULL, "liga", NULL},
	{"T5.1", 3, 10, "progress", "20", NULL, "liga", "Projekta tīmekļa vietne darbojas"},
	{"T5.1", 6, 14, "progress", "40", NULL, NULL, NULL},
	{"T5.1", 10, 19, "progress", "55", NULL, NULL, NULL},
	{"T5.1", 14, 15, "progress", "70", NULL, NULL, "Newsletter no. 3 sent to all cluster members"},
	{"T5.2", 4, 11, "status", "in_progress", NULL, NULL, NULL},
	{"T5.2", 6, 20, "progress", "15", NULL, NULL, NULL},
	{"T5.2", 9, 16, "progress", "30", NULL, NULL, NULL},
	{"T5.2", 12, 5, "progress", "45", NULL, NULL, NULL},
	{"T5.2", 15, 7, "progress", "55", NULL, NULL, NULL},

	/* Deliverables: some on time, D1.2, D2.1 and D3.1 late, D2.1 rejected
	 * once, D3.2 overdue and still being drafted. */
	{"D1.1", 1, 18, "status", "drafting", NULL, "janis", NULL},
	{"D1.1", 2, 26, "status", "submitted", NULL, "ilze", "Jānis: ziņojums iesniegts"},
	{"D1.1", 3, 22, "status", "accepted", NULL, "janis", NULL},
	{"D5.1", 2, 15, "status", "drafting", NULL, "liga", NULL},
	{"D5.1", 3, 24, "status", "submitted", NULL, "liga", "Tīmekļa vietne publicēta"},
	{"D5.1", 4, 14, "status", "accepted", "LITC", "janis", NULL},
	{"D3.1", 5, 16, "status", "drafting", NULL, "anna", NULL},
	{"D3.1", 7, 12, "status", "submitted", NULL, "anna", "Utbildningsprogrammet inskickat, två veckor sent"},
	{"D3.1", 8, 9, "status", "accepted", "LITC", "janis", NULL},
	{"D2.1", 7, 11, "status", "drafting", NULL, "tonu", NULL},
	{"D2.1", 8, 29, "status", "submitted", NULL, "tonu", "Aruanded esitatud"},
	{"D2.1", 9, 19, "status", "rejected", "LITC", "janis",
	 "Project officer: add the cluster-level results and resubmit"},
	{"D2.1", 9, 20, "status", "drafting", NULL, "kadri", NULL},
	{"D2.1", 10, 13, "status", "submitted", NULL, "kadri",
	 "Resubmitted with the project officer's comments addressed"},
	{"D2.1", 11, 8, "status", "accepted", "LITC", "janis", NULL},
	{"D1.2", 11, 21, "status", "drafting", NULL, "ilze", NULL},
	{"D2.2", 11, 14, "status", "drafting", NULL, "tonu", NULL},
	{"D2.2", 12, 21, "status", "submitted", NULL, "tonu", "Parendusplaanid esitatud"},
	{"D1.2", 13, 20, "status", "submitted", NULL, "janis",
	 "Starpposma ziņojums iesniegts pēc partneru finanšu datu saņemšanas"},
	{"D2.2", 14, 15, "status", "accepted", "LITC", "janis", NULL},
	{"D3.2", 14, 24, "status", "drafting", NULL, "erik", "Rapporten från studiebesöket skrivs"},
	{"D1.2", 15, 10, "status", "accepted", NULL, "janis", "Interim report accepted by EASME"},
	{"D4.1", 15, 13, "status", "drafting", NULL, "andris", NULL},
	{"D3.3", 15, 20, "status", "drafting", NULL, "anna", NULL},
	{"D3.2", 15, 27, "status", "drafting", NULL, "erik",
	 "Rapporten försenad: väntar på bidrag från LLA och VIDZEME"},

	/* Milestones: MS3 is overdue until the visit report is ready. */
	{"MS1", 1, 21, "status", "reached", NULL, "janis", "Projekta atklāšanas sanāksme Rīgā notikusi"},
	{"MS2", 8, 26, "status", "reached", NULL, "kadri", "Kõik viis klastrit on hinnatud"},
	{"MS3", 14, 27, "status", "pending", NULL, "anna", "Väntar på rapporten från studiebesöket (D3.2)"},
};

/* The partner acting for an item: its lead (a deliverable without one: its
 * WP's lead; a milestone without one: its first WP's lead). */
static int demo_item_partner(const struct project *p, const char *id)
{
	int i;
	switch (project_item(p, id, &i)) {
	case ITEM_TASK:
		return p->tasks[i].lead;
	case ITEM_DELIVERABLE:
		if (p->deliverables[i].lead >= 0)
			return p->deliverables[i].lead;
		return p->wps[p->deliverables[i].wp].lead;
	case ITEM_MILESTONE:
		if (p->milestones[i].lead >= 0)
			return p->milestones[i].lead;
		return p->milestones[i].nwps > 0 ? p->wps[p->milestones[i].wps[0]].lead : p->coordinator;
	case ITEM_WP:
		return p->wps[i].lead;
	default:
		return -2;
	}
}

/* The item's id as the definition spells it (a string that outlives us). */
static const char *demo_item_id(const struct project *p, const char *id)
{
	int i;
	switch (project_item(p, id, &i)) {
	case ITEM_TASK: return p->tasks[i].id;
	case ITEM_DELIVERABLE: return p->deliverables[i].id;
	case ITEM_MILESTONE: return p->milestones[i].id;
	case ITEM_WP: return p->wps[i].id;
	default: return NULL;
	}
}

static void demo_gen_steps(struct gen *g)
{
	for (size_t k = 0; k < sizeof demo_steps / sizeof demo_steps[0]; k++) {
		const struct step *st = &demo_steps[k];
		const char *item = demo_item_id(g->p, st->item);
		if (!item || st->m > g->p->nmonths)
			continue;
		int pi = st->by ? demo_partner_id(g->p, st->by) : -1;
		if (pi < 0)
			pi = demo_item_partner(g->p, item);
		if (pi < 0)
			pi = g->p->coordinator;
		/* The very first entry keeps its exact day. */
		cdate d = k == 0 ? g->first : demo_day(g, st->m, st->day);
		demo_add(g, d, pi, st->login, item, st->kind, xstrdup(st->value), st->note);
	}
}

/* ---- reach -------------------------------------------------------------- */

static const char *const demo_notes_lv[] = {
	"Jauni biedri pievienojušies klasterim", "Tikšanās ar uzņēmumiem Rīgā",
	"Biedru informatīvā diena", "Seminārs biedriem, jauni dalībnieki",
};
static const char *const demo_notes_ee[] = {
	"Uued liikmed liitusid klastriga", "Infopäev ettevõtetele Tallinnas",
	"Ettevõtete kohtumine Tartus", "Klastri liikmete üldkoosolek",
};
static const char *const demo_notes_se[] = {
	"Nya medlemsföretag i klustret", "Företagsfrukost i Karlshamn",
	"Nätverksträff för logistikföretag", "Medlemsmöte på NetPort",
};
static const char *const demo_notes_en[] = {
	"New member companies", "Company visits", "Matchmaking event", "Members' day",
};
static const char *const demo_outreach_lv[] = {
	"Kontakti ar partnerklasteru uzņēmumiem", "B2B tikšanās ar Lietuvas uzņēmumiem",
	"Informācija izsūtīta partnerklasteru MVU", "Tīklošanās pasākums Rīgā",
};
static const char *const demo_outreach_ee[] = {
	"Partnerklastrite ettevõtetega kohtutud", "B2B kohtumised Helsingis",
	"Uudiskiri saadetud partnerklastrite VKE-dele", "Veebiseminar partnerklastritele",
};
static const char *const demo_outreach_se[] = {
	"Kontakt med SMF i partnerkluster", "B2B-möten i Hamburg",
	"Nyhetsbrev till partnerklustrens SMF", "Webbinarium för partnerkluster",
};
static const char *const demo_outreach_en[] = {
	"SMEs of partnering clusters reached", "B2B meetings", "Newsletter to partnering SMEs",
	"Webinar for partnering clusters",
};

/* A note in the partner's language, or none (one time in three). */
static const char *demo_note(struct gen *g, int pi, int outreach)
{
	const char *c = g->p->partners[pi].country;
	const char *const *pool = outreach ? demo_outreach_en : demo_notes_en;
	if (c && strcmp(c, "LV") == 0)
		pool = outreach ? demo_outreach_lv : demo_notes_lv;
	else if (c && strcmp(c, "EE") == 0)
		pool = outreach ? demo_outreach_ee : demo_notes_ee;
	else if (c && strcmp(c, "SE") == 0)
		pool = outreach ? demo_outreach_se : demo_notes_se;
	uint32_t r = demo_rand(g) % 6;
	return r < 4 ? pool[r] : NULL;
}

/* How each partner's count grows: its total, number of increments, and the
 * first month of growth. */
struct growth {
	const char *partner;
	int total, steps, from;
};

static const struct growth demo_members[] = {
	{"LITC", 50, 9, 2}, {"ITL", 44, 8, 2}, {"NETPORT", 26, 6, 3},
	{"LLA", 23, 5, 3}, {"VIDZEME", 19, 5, 3},
};
static const struct growth demo_partnering[] = {
	{"LITC", 105, 7, 4}, {"ITL", 95, 7, 4}, {"NETPORT", 90, 6, 5},
	{"LLA", 55, 5, 5}, {"VIDZEME", 65, 5, 6},
};

/* Spread `total` over `steps` increments in distinct months from..last,
 * unevenly. Writes months, days and amounts; returns the number of steps. */
static int demo_spread(struct gen *g, int total, int steps, int from, int last,
                       int *mon, int *day, int *amt)
{
	int span = last - from + 1;
	if (span <= 0)
		return 0;
	if (steps > span)
		steps = span;
	/* Pick distinct months by a partial shuffle of from..last. */
	int pool[64];
	if (span > 64)
		span = 64;
	for (int i = 0; i < span; i++)
		pool[i] = from + i;
	for (int i = 0; i < steps; i++) {
		int j = demo_range(g, i, span - 1);
		int t = pool[i];
		pool[i] = pool[j];
		pool[j] = t;
	}
	for (int i = 1; i < steps; i++)          /* sort the chosen months */
		for (int j = i; j > 0 && pool[j - 1] > pool[j]; j--) {
			int t = pool[j];
			pool[j] = pool[j - 1];
			pool[j - 1] = t;
		}
	int w[64], wsum = 0;
	for (int i = 0; i < steps; i++) {
		w[i] = demo_range(g, 2, 10);
		wsum += w[i];
	}
	int given = 0;
	for (int i = 0; i < steps; i++) {
		mon[i] = pool[i];
		day[i] = demo_range(g, 3, 27);
		amt[i] = i == steps - 1 ? total - given : total * w[i] / wsum;
		if (amt[i] < 1 && i < steps - 1)
			amt[i] = 1;
		given += amt[i];
	}
	return steps;
}

static void demo_gen_growth(struct gen *g, const char *target, const struct growth *gr,
                            size_t ngr, int outreach)
{
	int ti = project_target(g->p, target);
	if (ti < 0 || g->p->targets[ti].kind != TARGET_COUNT)
		return;
	const char *tid = g->p->targets[ti].id;
	int last = project_month_of(g->p, g->asof);
	if (last > g->p->nmonths)
		last = g->p->nmonths;
	for (size_t k = 0; k < ngr; k++) {
		int pi = project_partner(g->p, gr[k].partner);
		if (pi < 0)
			continue;
		int mon[64], day[64], amt[64];
		int n = demo_spread(g, gr[k].total, gr[k].steps, gr[k].from, last, mon, day, amt);
		for (int i = 0; i < n; i++) {
			if (amt[i] <= 0)
				continue;
			demo_add(g, demo_day(g, mon[i], day[i]), pi, NULL, tid, "reach",
			         xasprintf("+%d", amt[i]), demo_note(g, pi, outreach));
		}
	}
}

/* The corrections: a "-N" for companies counted twice, an "=N" after a
 * recount, and a mistaken increment undone by a revert. */
static void demo_gen_corrections(struct gen *g)
{
	int ti = project_target(g->p, "sme-members");
	if (ti < 0 || g->p->targets[ti].kind != TARGET_COUNT)
		return;
	const char *tid = g->p->targets[ti].id;
	int lla = project_partner(g->p, "LLA");
	if (lla >= 0 && g->p->nmonths >= 10)
		demo_add(g, demo_day(g, 10, 12), lla, "andris", tid, "reach", xstrdup("-3"),
		         "Labojums: trīs uzņēmumi bija ieskaitīti divreiz");

	int vid = project_partner(g->p, "VIDZEME");
	if (vid >= 0 && g->p->nmonths >= 12) {
		/* Set the partner's total to two more than recorded so far. */
		cdate d = demo_day(g, 12, 16);
		long sum = 0;
		for (size_t i = 0; i < g->n; i++) {
			const struct dent *en = &g->v[i];
			if (en->d <= d && en->partner == g->p->partners[vid].id &&
			    en->item == tid && strcmp(en->kind, "reach") == 0)
				sum += strtol(en->value, NULL, 10);
		}
		demo_add(g, d, vid, "liga", tid, "reach", xasprintf("=%ld", sum + 2),
		         "Biedru saraksts pārskatīts, kopskaits precizēts");
	}

	int net = project_partner(g->p, "NETPORT");
	if (net >= 0 && g->p->nmonths >= 11) {
		long bad = demo_add(g, demo_day(g, 11, 7), net, "erik", tid, "reach", xstrdup("+40"),
		                    "Företagsträff i Karlshamn");
		cdate d = demo_day(g, 11, 9);
		long rv = bad < 0 ? -1 : demo_add(g, d, net, "anna", tid, "revert", xstrdup(""),
		                                  "Fel: 40 i stället för 4 registrerat");
		if (rv >= 0)
			g->v[rv].revert_of = bad;
		demo_add(g, d, net, "anna", tid, "reach", xstrdup("+4"),
		         "Företagsträff i Karlshamn (rättat)");
	}
}

struct country_step {
	const char *value, *partner;
	int m, day;
	const char *login, *note;
};

static const struct country_step demo_countries[] = {
	{"LV", "LITC", 1, 25, NULL, NULL},
	{"EE", "ITL", 1, 27, NULL, NULL},
	{"SE", "NETPORT", 2, 3, NULL, NULL},
	{"LV", "VIDZEME", 3, 9, NULL, NULL},
	{"LT", "LLA", 5, 11, "andris", "Sadarbība ar Lietuvas loģistikas klasteri"},
	{"FI", "ITL", 6, 8, "tonu", "Kohtumine Soome IKT klastriga Helsingis"},
	{"DE", "NETPORT", 7, 6, "erik", "Mässa i Hamburg, kontakter med tyska kluster"},
	{"PL", "LITC", 9, 14, NULL, "IT klasteru forums Varšavā"},
	{"DK", "NETPORT", 10, 5, "anna", "Möte med danska logistikklustret i Århus"},
	{"NL", "LITC", 11, 16, NULL, "Matchmaking with Dutch IT companies in Eindhoven"},
	{"BE", "VIDZEME", 13, 15, "liga", "Pārtikas klasteru tikšanās Briselē"},
	{"SK", "LLA", 14, 9, "andris", "Tikšanās ar Slovākijas loģistikas uzņēmumiem"},
};

static void demo_gen_countries(struct gen *g)
{
	int ti = project_target(g->p, "member-states");
	if (ti < 0 || g->p->targets[ti].kind != TARGET_DISTINCT)
		return;
	for (size_t k = 0; k < sizeof demo_countries / sizeof demo_countries[0]; k++) {
		const struct country_step *c = &demo_countries[k];
		int pi = project_partner(g->p, c->partner);
		if (pi < 0 || c->m > g->p->nmonths)
			continue;
		demo_add(g, demo_day(g, c->m, c->day), pi, c->login, g->p->targets[ti].id,
		         "reach", xstrdup(c->value), c->note);
	}
}

/* ---- benchmark ---------------------------------------------------------- */

/* Per cluster: the first round (month, day), indicators at threshold then,
 * the second round's month and how many more reach the threshold, and the
 * label(s) recorded. */
struct bench_plan {
	const char *partner;
	int m1, d1, pass;
	int m2, d2, gain;
	int bronze_m, bronze_d, silver_m, silver_d;  /* silver_m 0: none */
	const char *note1, *note2, *bronze_note, *silver_note;
};

static const struct bench_plan demo_bench[] = {
	{"LITC", 5, 10, 22, 10, 12, 2, 8, 5, 11, 25,
	 "ESCA salīdzinošā novērtēšana, pirmā kārta", "Otrā novērtēšana: uzlabojumi dokumentēti",
	 "ESCA bronzas marķējums saņemts", "ESCA sudraba marķējums saņemts"},
	{"ITL", 5, 24, 20, 10, 20, 2, 8, 3, 12, 9,
	 "ESCA võrdlusanalüüs, esimene voor", "Teine hindamine: parendused dokumenteeritud",
	 "ESCA pronksmärgis saadud", "ESCA hõbemärgis saadud"},
	{"NETPORT", 6, 14, 14, 13, 14, 2, 8, 17, 0, 0,
	 "ESCA-benchmarking, första omgången", "Förbättringar mätta på nytt",
	 "ESCA bronsmärkning erhållen", NULL},
	{"LLA", 6, 28, 12, 14, 7, 1, 8, 24, 0, 0,
	 "ESCA salīdzinošā novērtēšana, pirmā kārta", "Uzlabojumi izmērīti atkārtoti",
	 "ESCA bronzas marķējums saņemts", NULL},
	{"VIDZEME", 7, 7, 10, 14, 16, 2, 8, 26, 0, 0,
	 "ESCA salīdzinošā novērtēšana, pirmā kārta", "Uzlabojumi izmērīti atkārtoti",
	 "ESCA bronzas marķējums saņemts", NULL},
};

/* A measured value at or over the threshold (pass) or under it; a value
 * measured again is higher than `prev` (a negative prev: none). Small
 * thresholds get one decimal, larger ones whole numbers. */
static double demo_value(struct gen *g, double thr, int pass, double prev)
{
	double r = (double)demo_range(g, 0, 1000) / 1000.0;
	double v = pass ? thr * (1.0 + 0.5 * r) : thr * (0.45 + 0.45 * r);
	double step = thr >= 10 ? 1.0 : 0.1;
	if (prev >= 0 && v <= prev)
		v = prev + step * demo_range(g, 1, 5);
	v = (double)(long)(v / step + 0.5) * step;
	if (pass && v < thr)
		v = thr;
	if (!pass && v >= thr)
		v = thr - step;
	if (v < 0)
		v = 0;
	return v;
}

static char *demo_value_text(double thr, double v)
{
	return xasprintf(thr >= 10 ? "%.0f" : "%.1f", v);
}

/* ---- effort and costs ------------------------------------------------ */

static char *demo_effort_value(const struct gen *g, int m, long pm)
{
	int y, mo;
	char num[24];
	date_to_ymd(project_month_start(g->p, m), &y, &mo, NULL);
	return xasprintf("%04d-%02d:%s", y, mo, res_format(pm, num));
}

/* Monthly timesheets for every partner and WP planned, each on the last
 * working days of its month, within 15% of the planned pace; NETPORT
 * spends more on WP3 from the study visit on (M9), and says why; LLA
 * corrects one timesheet (the later entry replaces the month). Then the
 * costs: personnel each quarter, travel around the events, the rest once
 * or twice. Drawn after everything else, so the rest of the history stays
 * as it was. */
static void demo_gen_resources(struct gen *g)
{
	const struct project *p = g->p;
	int last = project_month_of(p, g->asof);
	int net = demo_partner_id(p, "NETPORT"), lla = demo_partner_id(p, "LLA");
	int wp3 = project_wp(p, "WP3"), wp4 = project_wp(p, "WP4");
	for (int k = 0; k < p->neffort; k++) {
		const struct effort_plan *ep = &p->effort[k];
		const struct wp *w = &p->wps[ep->wp];
		const struct partner *pa = &p->partners[ep->partner];
		long length = w->end - w->start + 1;
		for (int m = w->start; m <= w->end && m <= last; m++) {
			if (m < pa->joined || m > pa->left)
				continue;
			int pct = demo_range(g, 85, 115);
			const char *note = NULL;
			if (ep->partner == net && ep->wp == wp3 && m >= 9) {
				pct = 175;
				if (m == 9)
					note = "Study visit to Karlshamn: hosting the four clusters and the "
					       "follow-up workshops took more days than planned";
				else if (m == 12)
					note = "WP3 work brought forward after the study visit; WP4 days "
					       "moved to the training modules";
				else if (m == 14)
					note = "Training modules built on the study visit's material: "
					       "more WP3 days than planned, within NETPORT's budget";
			}
			long pm = res_muldiv(ep->pm, pct, length * 100);
			cdate d = demo_day(g, m, 27);
			demo_add(g, d, ep->partner, NULL, w->id, "effort", demo_effort_value(g, m, pm),
			         note);
			if (ep->partner == lla && ep->wp == wp4 && m == 10)
				demo_add(g, d + 5, ep->partner, "andris", w->id, "effort",
				         demo_effort_value(g, m, pm + 25),
				         "October timesheet corrected: two days of the Riga "
				         "seminar were missing");
		}
	}
	for (int pi = 0; pi < p->npartners; pi++) {
		const long *b = p->partners[pi].budget;
		long nm = p->nmonths > 0 ? p->nmonths : 1;
		for (int m = 3; m <= last; m += 3) {
			long amount = res_muldiv(b[RES_PERSONNEL], 3 * demo_range(g, 90, 110), nm * 100);
			char num[24];
			if (amount > 0)
				demo_add(g, demo_day(g, m, 28), pi, NULL, res_category_words[RES_PERSONNEL],
				         "cost", xstrdup(res_format(amount, num)),
				         m == 3 ? "Salaries for the quarter, from the payroll" : NULL);
		}
		static const int travel_months[] = {4, 9, 13};
		for (size_t t = 0; t < sizeof travel_months / sizeof travel_months[0]; t++) {
			int m = travel_months[t];
			long share = pi == net && m == 9 ? 30 : 24;
			long amount = res_muldiv(b[RES_TRAVEL], share * demo_range(g, 90, 110), 10000);
			char num[24];
			if (amount > 0 && m <= last)
				demo_add(g, demo_day(g, m, 20), pi, NULL, res_category_words[RES_TRAVEL],
				         "cost", xasprintf("%s%s%s", res_format(amount, num),
				                           wp3 >= 0 && m == 9 ? ":" : "",
				                           wp3 >= 0 && m == 9 ? p->wps[wp3].id : ""),
				         m == 9 ? "Study visit: travel and accommodation" : NULL);
		}
		for (int c = RES_SUBCONTRACTING; c < RES_NCAT; c++) {
			if (c == RES_TRAVEL || b[c] == 0)
				continue;
			long amount = res_muldiv(b[c], demo_range(g, 64, 78), 100);
			char num[24];
			demo_add(g, demo_day(g, c == RES_SUBCONTRACTING ? 13 : 6, 15), pi, NULL,
			         res_category_words[c], "cost", xstrdup(res_format(amount, num)),
			         c == RES_SUBCONTRACTING ? "Audit certificate for the first period" : NULL);
		}
	}
}

static void demo_gen_bench(struct gen *g)
{
	const struct benchmark *b = &g->p->bench;
	if (!b->present || b->nindicators <= 0)
		return;
	int ni = b->nindicators;
	int *order = xcalloc((size_t)ni, sizeof *order);
	int *passing = xcalloc((size_t)ni, sizeof *passing);  /* by definition order */
	double *val = xcalloc((size_t)ni, sizeof *val);
	int bronze = project_label(g->p, "bronze"), silver = project_label(g->p, "silver");
	for (size_t k = 0; k < sizeof demo_bench / sizeof demo_bench[0]; k++) {
		const struct bench_plan *bp = &demo_bench[k];
		if (project_cluster(g->p, bp->partner) < 0)
			continue;
		int pi = project_partner(g->p, bp->partner);
		if (pi < 0)
			continue;
		for (int i = 0; i < ni; i++)
			order[i] = i;
		for (int i = ni - 1; i > 0; i--) {
			int j = demo_range(g, 0, i);
			int t = order[i];
			order[i] = order[j];
			order[j] = t;
		}
		int pass = bp->pass < ni ? bp->pass : ni;
		for (int i = 0; i < ni; i++)
			passing[order[i]] = i < pass;
		/* First round: every indicator, over a few days, in the
		 * definition's order. */
		for (int i = 0; i < ni; i++) {
			const struct indicator *ind = &b->indicators[i];
			val[i] = demo_value(g, ind->threshold, passing[i], -1);
			demo_add(g, demo_day(g, bp->m1, bp->d1 + i / 8), pi, NULL, ind->id, "bench",
			         demo_value_text(ind->threshold, val[i]), i == 0 ? bp->note1 : NULL);
		}
		/* Second round: some that were under now pass, and two that
		 * passed are better. */
		if (bp->m2 <= g->p->nmonths) {
			int first = 1;
			for (int j = 0; j < ni; j++) {
				int idx = order[j];
				if (!(j < 2 || (j >= pass && j < pass + bp->gain)))
					continue;
				const struct indicator *ind = &b->indicators[idx];
				double v = demo_value(g, ind->threshold, 1, val[idx]);
				demo_add(g, demo_day(g, bp->m2, bp->d2), pi, NULL, ind->id, "bench",
				         demo_value_text(ind->threshold, v), first ? bp->note2 : NULL);
				first = 0;
			}
		}
		if (bronze >= 0 && bp->bronze_m <= g->p->nmonths)
			demo_by_coordinator(g, demo_add(g, demo_day(g, bp->bronze_m, bp->bronze_d), pi,
			                                NULL, NULL, "label", xstrdup(b->labels[bronze]),
			                                bp->bronze_note));
		if (silver >= 0 && bp->silver_m > 0 && bp->silver_m <= g->p->nmonths)
			demo_by_coordinator(g, demo_add(g, demo_day(g, bp->silver_m, bp->silver_d), pi,
			                                NULL, NULL, "label", xstrdup(b->labels[silver]),
			                                bp->silver_note));
	}
	free(val);
	free(passing);
	free(order);
}

/* ---- writing ------------------------------------------------------------ */

static int demo_cmp(const void *a, const void *b)
{
	const struct dent *x = a, *y = b;
	if (x->d != y->d)
		return x->d < y->d ? -1 : 1;
	return x->seq < y->seq ? -1 : x->seq > y->seq;
}

static void demo_free(struct gen *g)
{
	for (size_t i = 0; i < g->n; i++)
		free(g->v[i].value);
	free(g->v);
	g->v = NULL;
	g->n = g->cap = 0;
	free(g->plan1);
	free(g->plan2);
	g->plan1 = g->plan2 = NULL;
}

static int demo_unlink(const char *path, struct err *e)
{
	if (unlink(path) == 0 || errno == ENOENT)
		return 0;
	int code = errno == EACCES || errno == EPERM ? EXIT_NOPERM : EXIT_IOERR;
	return err_set(e, code, "%s: cannot remove: %s", path, strerror(errno));
}

static int demo_remove(const char *db_path, struct err *e)
{
	static const char *const sfx[] = {"", "-wal", "-shm", "-journal"};
	for (size_t i = 0; i < sizeof sfx / sizeof sfx[0]; i++) {
		char *f = xasprintf("%s%s", db_path, sfx[i]);
		int rc = demo_unlink(f, e);
		free(f);
		if (rc < 0)
			return -1;
	}
	return 0;
}

/* Append the sorted entries in DEMO_BATCHES transactions, cutting a batch
 * early where a revert names an entry of the same batch (its id is known
 * once that batch is in). */
static int demo_plan_step(struct store *s, struct gen *g, size_t next, struct err *e);

static int demo_write(struct store *s, struct gen *g, struct err *e)
{
	size_t n = g->n;
	int64_t *ids = xcalloc(n, sizeof *ids);
	size_t *pos = xcalloc(n, sizeof *pos);   /* seq -> sorted position */
	struct new_entry *ne = xcalloc(n, sizeof *ne);
	char **rvals = xcalloc(n, sizeof *rvals);
	int rc = 0;
	for (size_t i = 0; i < n; i++)
		pos[g->v[i].seq] = i;
	size_t chunk = (n + DEMO_BATCHES - 1) / DEMO_BATCHES;
	size_t start = 0;
	while (start < n && rc == 0) {
		/* Entry #1 is the demo's own (g->v[0]); the plan follows it. */
		if (start > 0 && demo_plan_step(s, g, start, e) < 0) {
			rc = -1;
			break;
		}
		size_t end = start;
		while (end < n && end - start < chunk) {
			const struct dent *en = &g->v[end];
			if (end > start && (g->plan_next == 1 || (g->plan_next == 2 && en->d >= g->plan2_eff)))
				break;
			if (en->revert_of >= 0 && pos[en->revert_of] >= start && end > start)
				break;
			end++;
		}
		for (size_t i = start; i < end; i++) {
			const struct dent *en = &g->v[i];
			const char *value = en->value;
			if (en->revert_of >= 0) {
				rvals[i] = xasprintf("%lld", (long long)ids[pos[en->revert_of]]);
				value = rvals[i];
			}
			/* Recorded on its day (at noon UTC): an illustrative history
			 * has no back-dated entries but those it means to have. */
			ne[i - start] = (struct new_entry){
				.effective = en->d, .login = en->login, .uid = en->uid,
				.partner = en->partner, .item = en->item, .kind = en->kind,
				.value = value, .note = en->note,
				.recorded_at = (int64_t)en->d * 86400000 + 43200000,
			};
		}
		int64_t first = 0;
		if (store_append(s, ne, end - start, &first, e) < 0) {
			rc = -1;
			break;
		}
		for (size_t i = start; i < end; i++)
			ids[i] = first + (int64_t)(i - start);
		start = end;
	}
	if (rc == 0 && demo_plan_step(s, g, n, e) < 0)
		rc = -1;
	for (size_t i = 0; i < n; i++)
		free(rvals[i]);
	free(rvals);
	free(ne);
	free(pos);
	free(ids);
	return rc;
}

/* The plan as the grant agreement was signed, from the bundled text: the
 * study visit (T3.4) not yet a task, its report (D3.2) due in M12. NULL
 * when the text does not have them as the bundled definition does. */
static char *demo_signed_plan(const char *text)
{
	const char *t = strstr(text, "      - id: T3.4\n");
	const char *t_end = t ? strstr(t, "\n\n") : NULL;
	const char *d = strstr(text, "  - id: D3.2\n");
	const char *due = d ? strstr(d, "    due: 14\n") : NULL;
	const char *d_end = d ? strstr(d, "\n\n") : NULL;
	if (!t || !t_end || !due || !d_end || due > d_end || t > d)
		return NULL;
	struct sbuf b = {0};
	sbuf_add(&b, text, (size_t)(t - text));
	sbuf_add(&b, t_end + 1, (size_t)(due - (t_end + 1)));
	sbuf_puts(&b, "    due: 12\n");
	sbuf_puts(&b, due + strlen("    due: 14\n"));
	return sbuf_take(&b);
}

/* One version of the demo's plan, from its text. */
static int demo_plan_version(struct store *s, int version, const char *text, cdate eff,
                             const char *login, long uid, const char *note, struct err *e)
{
	struct project p;
	struct diags d = {0};
	int rc = load_project_mem("5forexcellence.yaml", text, strlen(text), &p, &d);
	diags_free(&d);
	if (rc != 0)
		return err_set(e, EXIT_SOFTWARE, "demo: the plan's version %d does not load", version);
	char dg[PLAN_DIGEST_SIZE], val[PLAN_DIGEST_SIZE + 16];
	snprintf(val, sizeof val, "%d %s", version, plan_digest_b2(text, strlen(text), dg));
	struct new_entry en = {.effective = eff, .login = login, .uid = uid,
	                       .partner = p.partners[p.coordinator].id, .kind = "plan",
	                       .value = val, .note = note};
	rc = store_append_plan(s, &en, version, text, strlen(text), &p, NULL, e);
	project_free(&p);
	return rc;
}

/* The demo's plan: the grant agreement as signed (version 1, from the
 * start, its entry the log's first) and the amendment of M10 (version 2:
 * the bundled definition, D3.2 moved from M12 to M14 and T3.4 added),
 * among the entries of its date. A definition without those items is
 * stored as its only version. */
static int demo_plan_prepare(struct gen *g, struct err *e)
{
	size_t len = 0;
	int err = 0;
	char *text = g->p->path ? file_read_all(g->p->path, (size_t)LOAD_MAX_FILE, &len, &err) : NULL;
	if (!text)
		return err_set(e, EXIT_IOERR, "demo: cannot read %s",
		               g->p->path ? g->p->path : "the definition");
	g->plan1 = demo_signed_plan(text);
	if (g->plan1) {
		g->plan2 = text;
	} else {
		g->plan1 = text;
		g->plan2 = NULL;
	}
	g->plan2_eff = project_month_start(g->p, 10);
	g->plan_next = 1;
	return 0;
}

/* Before the entry at `next` (n: after the last), the versions due,
 * recorded by the coordinator's first user as the demo's other entries. */
static int demo_plan_step(struct store *s, struct gen *g, size_t next, struct err *e)
{
	const struct partner *co = &g->p->partners[g->p->coordinator];
	const char *login = co->nusers > 0 ? co->users[0] : g->login;
	if (g->plan_next == 1) {
		if (demo_plan_version(s, 1, g->plan1, g->p->start, login, 0,
		                      "Illustrative demo history generated by consort: plausible, not the "
		                      "project's real records (the grant agreement as signed)", e) < 0)
			return -1;
		g->plan_next = g->plan2 ? 2 : 3;
	}
	if (g->plan_next == 2 && (next >= g->n || g->v[next].d >= g->plan2_eff)) {
		if (demo_plan_version(s, 2, g->plan2, g->plan2_eff, login, 0,
		                      "Amendment 1: study visit added (T3.4), its report D3.2 "
		                      "moved from M12 to M14", e) < 0)
			return -1;
		g->plan_next = 3;
	}
	return 0;
}

int demo_create(const char *db_path, const struct project *p, const char *login,
                long uid, struct err *e)
{
	if (!db_path || !p || !login)
		return err_set(e, EXIT_SOFTWARE, "demo: missing argument");
	struct gen g = {.p = p, .rng = DEMO_SEED, .login = login, .uid = uid};
	if (date_parse(DEMO_ASOF, &g.asof) < 0)
		return err_set(e, EXIT_SOFTWARE, "demo: bad as-of date");
	/* The history starts on the first Monday of the project. */
	g.first = project_month_start(p, 1);
	while (demo_weekday(g.first) != 0)
		g.first++;

	demo_gen_steps(&g);
	demo_gen_growth(&g, "sme-members", demo_members,
	                sizeof demo_members / sizeof demo_members[0], 0);
	demo_gen_corrections(&g);
	demo_gen_growth(&g, "sme-partnering", demo_partnering,
	                sizeof demo_partnering / sizeof demo_partnering[0], 1);
	demo_gen_countries(&g);
	demo_gen_bench(&g);
	demo_gen_resources(&g);
	if (g.n == 0) {
		demo_free(&g);
		return err_set(e, EXIT_DATAERR, "demo: the definition has none of the demo's items");
	}
	qsort(g.v, g.n, sizeof *g.v, demo_cmp);
	/* The history's first entry says what this log is. */
	g.v[0].note = demo_first_note;
	if (demo_plan_prepare(&g, e) < 0) {
		demo_free(&g);
		return -1;
	}
	/* Entry #1 makes the log the demo (store_demo_entry): its kind says
	 * so, and its value how many entries the demo writes, the plan's
	 * versions (entries #2 and, later, the amendment) counted. Dated the
	 * project's start, as the plan as signed that follows it. */
	g.v = xrealloc(g.v, (g.n + 1) * sizeof *g.v);
	memmove(g.v + 1, g.v, g.n * sizeof *g.v);
	g.v[0] = (struct dent){
		.d = p->start, .seq = g.n, .login = login, .uid = uid, .kind = "demo",
		.value = xasprintf(DEMO_ENTRY_VALUE, (long long)g.n + 1 + (g.plan2 ? 2 : 1)),
		.note = "Illustrative history of the bundled 5FOREXCELLENCE demo, generated by consort demo", .revert_of = -1,
	};
	g.n++;
	g.cap = g.n;

	/* Made beside the log under another name (O_EXCL, no link followed)
	 * and renamed over it once complete. */
	char *tmp = xasprintf("%s.new-%ld", db_path, (long)getpid());
	struct store *s = NULL;
	if (demo_remove(tmp, e) < 0 || store_open(tmp, STORE_CREATE, &s, e) < 0) {
		free(tmp);
		demo_free(&g);
		return -1;
	}
	int rc = demo_write(s, &g, e);
	if (rc == 0)
		rc = store_meta_set(s, "demo", "1", e);
	if (rc == 0)
		rc = store_meta_set(s, "demo_asof", DEMO_ASOF, e);
	if (rc == 0)
		rc = store_meta_set(s, "demo_login", login, e);
	/* One file to rename: the -wal's pages go into it. */
	if (rc == 0)
		rc = store_unwal(s, e);
	store_close(s);
	demo_free(&g);
	/* The old log's -wal and -shm must not meet the new file. */
	if (rc == 0 && (rc = demo_remove(db_path, e)) == 0 && rename(tmp, db_path) != 0)
		rc = err_set(e, errno == EACCES || errno == EPERM ? EXIT_NOPERM : EXIT_IOERR,
		             "%s: cannot replace: %s", db_path, strerror(errno));
	/* Renamed or not, nothing is left under the other name: SQLite may
	 * leave that name's -wal and -shm behind when it closes. */
	struct err ignored = {0};
	demo_remove(tmp, &ignored);
	free(tmp);
	if (rc < 0)
		return -1;
	return 0;
}

cdate demo_today(struct store *s, cdate today)
{
	struct err e = {0};
	return demo_today_of(s, s && store_demo_entry(s, NULL, NULL, &e) == 1, today);
}

cdate demo_today_of(struct store *s, int demo, cdate today)
{
	struct err e = {0};
	char *v = NULL;
	cdate d = today;
	if (!s || !demo)
		return today;
	cdate at;
	if (store_meta_get(s, "demo_asof", &v, &e) == 0 && v && date_parse(v, &at) == 0 && at < today)
		d = at;
	free(v);
	return d;
}
