/* generate: the large project the benchmark measures. `generate DIR` writes
 * DIR/large.yaml (60 partners with about 200 users, 100 work packages with
 * 2,000 tasks, 500 deliverables, 100 milestones, 10 targets, a benchmark of
 * 50 clusters and 31 indicators; 2020-01-01 to 2023-12-31) and DIR/large.db,
 * a log of 1,000,000 entries spread over the 48 months, appended through the
 * store in large batches. The definition must load without errors before any
 * entry is written. The login running it is one of the coordinator's users,
 * so that the benchmark can write through the real write path. Output is
 * deterministic (a fixed seed); only recorded_at differs between runs. */
#include "config.h"

#include <errno.h>
#include <pwd.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "core/date.h"
#include "core/load.h"
#include "core/plan.h"
#include "core/project.h"
#include "core/store.h"
#include "core/util.h"

#define NPARTNERS 60
#define NWPS 100
#define TASKS_PER_WP 20
#define DELIVS_PER_WP 5
#define NCLUSTERS 50
#define NINDICATORS 31
#define NMONTHS 48
#ifndef BATCH
#define BATCH 50000L
#endif
#define NREVERTS_PER_BATCH 10

static const char *const countries[] = {
	"AT", "BE", "BG", "HR", "CY", "CZ", "DK", "EE", "FI", "FR", "DE", "GR", "HU", "IE",
	"IT", "LV", "LT", "LU", "MT", "NL", "PL", "PT", "RO", "SK", "SI", "ES", "SE",
};
#define NCOUNTRIES ((int)(sizeof countries / sizeof countries[0]))

static const char *const areas[] = {
	"Cluster management and governance", "Financial resources and services",
	"Strategy and partnerships", "Members and services", "Achievements and recognition",
};

static const char *const notes[] = {
	"Matchmaking event", "Regional workshop", "Site visit",
	"Webinar with partnering clusters", "Follow-up after the brokerage day",
	"Jānis met Tõnu and Åsa in Rīga", "Corrected after the partner meeting",
	"Survey returned", "Imported from \x1b[31mthe\x1b[0m old spreadsheet",
};
#define NNOTES ((int)(sizeof notes / sizeof notes[0]))

/* xorshift64*: deterministic and fast. */
static uint64_t gen_state = 0x9E3779B97F4A7C15ull;

static uint32_t gen_rand(void)
{
	gen_state ^= gen_state >> 12;
	gen_state ^= gen_state << 25;
	gen_state ^= gen_state >> 27;
	return (uint32_t)((gen_state * 0x2545F4914F6CDD1Dull) >> 32);
}

static int gen_below(int n)
{
	return (int)(gen_rand() % (uint32_t)n);
}

static double gen_seconds(const struct timespec *t0)
{
	struct timespec t1;
	clock_gettime(CLOCK_MONOTONIC, &t1);
	return (double)(t1.tv_sec - t0->tv_sec) + (double)(t1.tv_nsec - t0->tv_nsec) / 1e9;
}

/* Users of partner k (0-based): four for the first twenty, three for the
 * rest; the coordinator's first user is the login running the generator. */
static int gen_nusers(int k)
{
	return k < 20 ? 4 : 3;
}

static void gen_user(int k, int u, const char *self, char *buf, size_t n)
{
	if (k == 0 && u == 0)
		snprintf(buf, n, "%s", self);
	else
		snprintf(buf, n, "p%02du%d", k + 1, u + 1);
}

struct wp_plan {
	int start, end;
	int tstart[TASKS_PER_WP], tend[TASKS_PER_WP];
	int due[DELIVS_PER_WP];
};

static struct wp_plan plan[NWPS];
static long nentries = 1000000L;   /* -n to change, for quick checks */

static void gen_plan(void)
{
	for (int i = 0; i < NWPS; i++) {
		struct wp_plan *w = &plan[i];
		w->start = 1 + (i * 5) % 30;
		int len = 12 + (i * 7) % 19;
		w->end = w->start + len - 1;
		if (w->end > NMONTHS)
			w->end = NMONTHS;
		len = w->end - w->start + 1;
		for (int j = 0; j < TASKS_PER_WP; j++) {
			w->tstart[j] = w->start + j * len / TASKS_PER_WP;
			int tl = 2 + (j * 5 + i) % (len / 2 + 1);
			w->tend[j] = w->tstart[j] + tl;
			if (w->tend[j] > w->end)
				w->tend[j] = w->end;
		}
		for (int k = 0; k < DELIVS_PER_WP; k++)
			w->due[k] = w->start + (k + 1) * (len - 1) / DELIVS_PER_WP;
	}
}

static int gen_yaml(const char *path, const char *self, struct err *e)
{
	FILE *f = fopen(path, "w");
	if (!f)
		return err_set(e, EXIT_IOERR, "%s: %s", path, strerror(errno));
	char u[80];

	fprintf(f, "# A large synthetic project for the consort benchmark (bench/generate).\n"
	           "# Every name and number here is invented.\n"
	           "consort: 1\n\n"
	           "project:\n"
	           "  acronym: LARGE\n"
	           "  title: Large synthetic benchmark project\n"
	           "  programme: Benchmark\n"
	           "  start: 2020-01-01\n"
	           "  end: 2023-12-31\n"
	           "  reporting_periods:\n"
	           "    - {id: RP1, from: 1, to: 18}\n"
	           "    - {id: RP2, from: 19, to: 36}\n"
	           "    - {id: RP3, from: 37, to: 48}\n\n"
	           "partners:\n");
	for (int k = 0; k < NPARTNERS; k++) {
		fprintf(f, "  - id: P%02d\n    name: Partner %02d cluster organisation\n"
		           "    country: %s\n    sector: Sector %d\n    role: %s\n    users: [",
		        k + 1, k + 1, countries[k % NCOUNTRIES], k % 7 + 1,
		        k == 0 ? "coordinator" : "partner");
		for (int j = 0; j < gen_nusers(k); j++) {
			gen_user(k, j, self, u, sizeof u);
			fprintf(f, "%s\"%s\"", j ? ", " : "", u);
		}
		fprintf(f, "]\n");
	}

	fprintf(f, "\nwork_packages:\n");
	for (int i = 0; i < NWPS; i++) {
		const struct wp_plan *w = &plan[i];
		fprintf(f, "  - id: WP%d\n    title: Work package %d\n    lead: P%02d\n"
		           "    start: %d\n    end: %d\n"
		           "    objective: Deliver the results of work package %d.\n    tasks:\n",
		        i + 1, i + 1, i % NPARTNERS + 1, w->start, w->end, i + 1);
		for (int j = 0; j < TASKS_PER_WP; j++) {
			int lead = (i * 7 + j) % NPARTNERS;
			int p1 = (lead + 1 + j % 5) % NPARTNERS, p2 = (lead + 11 + i % 13) % NPARTNERS;
			fprintf(f, "      - id: T%d.%d\n        title: Task %d of work package %d\n"
			           "        lead: P%02d\n        participants: [P%02d, P%02d]\n"
			           "        start: %d\n        end: %d\n",
			        i + 1, j + 1, j + 1, i + 1, lead + 1, p1 + 1, p2 + 1,
			        w->tstart[j], w->tend[j]);
		}
	}

	fprintf(f, "\ndeliverables:\n");
	for (int i = 0; i < NWPS; i++)
		for (int k = 0; k < DELIVS_PER_WP; k++)
			fprintf(f, "  - id: D%d.%d\n    title: Report %d of work package %d\n"
			           "    wp: WP%d\n    lead: P%02d\n    type: %s\n    dissemination: %s\n"
			           "    due: %d\n",
			        i + 1, k + 1, k + 1, i + 1, i + 1, (i + k * 3) % NPARTNERS + 1,
			        k % 2 ? "R" : "OTHER", k % 3 ? "PU" : "SEN", plan[i].due[k]);

	fprintf(f, "\nmilestones:\n");
	for (int i = 0; i < NWPS; i++)
		fprintf(f, "  - id: MS%d\n    title: Work package %d complete\n    wp: WP%d\n"
		           "    lead: P%02d\n    due: %d\n    verification: Final report accepted\n",
		        i + 1, i + 1, i + 1, i % NPARTNERS + 1, plan[i].end);

	fprintf(f, "\ntargets:\n");
	for (int t = 0; t < 8; t++)
		fprintf(f, "  - id: reach-%d\n    title: SMEs reached through channel %d\n"
		           "    kind: count\n    target: %d\n    unit: SMEs\n",
		        t + 1, t + 1, 1000 * (t + 1));
	fprintf(f, "  - id: member-states\n    title: EU Member States reached\n"
	           "    kind: distinct\n    target: 27\n    unit: Member States\n"
	           "  - id: sectors\n    title: Industrial sectors reached\n"
	           "    kind: distinct\n    target: 40\n    unit: sectors\n");

	fprintf(f, "\nbenchmark:\n  scheme: Synthetic cluster benchmarking\n"
	           "  labels: [bronze, silver, gold]\n  pass_score: 80\n  indicators:\n");
	for (int n = 0; n < NINDICATORS; n++)
		fprintf(f, "    - id: I%02d\n      area: %s\n      title: Indicator %d\n"
		           "      threshold: %d\n      unit: level\n",
		        n + 1, areas[n % 5], n + 1, 2 + n % 3);
	fprintf(f, "  clusters:\n");
	for (int c = 0; c < NCLUSTERS; c++)
		fprintf(f, "    - partner: P%02d\n      cluster: Cluster %02d\n      target_label: %s\n",
		        c + 1, c + 1, c % 3 ? "gold" : "silver");

	if (ferror(f) || fclose(f) != 0)
		return err_set(e, EXIT_IOERR, "%s: write failed", path);
	return 0;
}

/* One login of partner k. */
static const char *gen_login(const struct project *p, int k)
{
	const struct partner *pa = &p->partners[k];
	return pa->users[gen_below(pa->nusers)];
}

/* An entry remembered from an earlier batch, to be reverted later. */
struct undo {
	int64_t id;
	const char *item, *partner, *kind;
	cdate effective;
};

struct batch {
	struct new_entry *v;
	char (*val)[24];
	long n;
};

/* Fill one entry effective on day d (project month m). */
static void gen_entry(const struct project *p, struct new_entry *en, char *val, size_t valn,
                      cdate d, int m)
{
	int r = gen_below(1000);
	en->effective = d;
	en->note = gen_below(4) == 0 ? notes[gen_below(NNOTES)] : NULL;
	en->value = val;
	if (r < 330) {              /* task progress */
		int t = gen_below(p->ntasks);
		const struct task *tk = &p->tasks[t];
		int span = tk->end - tk->start + 1;
		int pct = m < tk->start ? 0 : (m - tk->start + 1) * 100 / span;
		pct += gen_below(21) - 10;
		pct = pct < 0 ? 0 : pct > 100 ? 100 : pct;
		en->kind = "progress";
		en->item = tk->id;
		en->partner = p->partners[tk->lead].id;
		en->login = gen_login(p, tk->lead);
		snprintf(val, valn, "%d", pct);
	} else if (r < 430) {       /* task status */
		int t = gen_below(p->ntasks);
		const struct task *tk = &p->tasks[t];
		const char *s = m < tk->start ? "planned" : m > tk->end ? "done"
		              : gen_below(20) == 0 ? "blocked" : "in_progress";
		en->kind = "status";
		en->item = tk->id;
		en->partner = p->partners[tk->lead].id;
		en->login = gen_login(p, tk->lead);
		snprintf(val, valn, "%s", s);
	} else if (r < 480) {       /* deliverable status */
		int k = gen_below(p->ndeliverables);
		const struct deliverable *dv = &p->deliverables[k];
		int lead = dv->lead >= 0 ? dv->lead : p->wps[dv->wp].lead;
		const char *s = m < dv->due - 2 ? "planned" : m < dv->due ? "drafting"
		              : m == dv->due ? "submitted" : gen_below(30) == 0 ? "rejected" : "accepted";
		en->kind = "status";
		en->item = dv->id;
		en->partner = p->partners[lead].id;
		en->login = gen_login(p, lead);
		snprintf(val, valn, "%s", s);
	} else if (r < 495) {       /* milestone status */
		int k = gen_below(p->nmilestones);
		const struct milestone *ms = &p->milestones[k];
		int lead = ms->lead >= 0 ? ms->lead : p->wps[ms->wps[0]].lead;
		en->kind = "status";
		en->item = ms->id;
		en->partner = p->partners[lead].id;
		en->login = gen_login(p, lead);
		snprintf(val, valn, "%s", m >= ms->due ? "reached" : "pending");
	} else if (r < 800) {       /* reach, count targets */
		int t = gen_below(8);
		int k = gen_below(p->npartners);
		int q = gen_below(100);
		en->kind = "reach";
		en->item = p->targets[t].id;
		en->partner = p->partners[k].id;
		en->login = gen_below(10) == 0 ? gen_login(p, p->coordinator) : gen_login(p, k);
		if (q < 95)
			snprintf(val, valn, "+%d", 1 + gen_below(5));
		else if (q < 99)
			snprintf(val, valn, "-%d", 1 + gen_below(2));
		else
			snprintf(val, valn, "=%d", 20 + gen_below(200));
	} else if (r < 850) {       /* reach, distinct targets */
		int k = gen_below(p->npartners);
		en->kind = "reach";
		en->partner = p->partners[k].id;
		en->login = gen_login(p, k);
		if (gen_below(2)) {
			en->item = "member-states";
			snprintf(val, valn, "%s", countries[gen_below(NCOUNTRIES)]);
		} else {
			en->item = "sectors";
			snprintf(val, valn, "S%02d", 1 + gen_below(40));
		}
	} else if (r < 985) {       /* benchmark value */
		int c = gen_below(p->bench.nclusters);
		int n = gen_below(p->bench.nindicators);
		int pk = p->bench.clusters[c].partner;
		en->kind = "bench";
		en->item = p->bench.indicators[n].id;
		en->partner = p->partners[pk].id;
		en->login = gen_login(p, pk);
		int lvl = 1 + (m * 4 / NMONTHS) + gen_below(2);
		if (gen_below(4) == 0)
			snprintf(val, valn, "%d.5", lvl);
		else
			snprintf(val, valn, "%d", lvl);
	} else {                    /* benchmark label */
		int c = gen_below(p->bench.nclusters);
		int pk = p->bench.clusters[c].partner;
		int lab = m < 16 ? 0 : m < 32 ? gen_below(2) : gen_below(3);
		en->kind = "label";
		en->item = NULL;
		en->partner = p->partners[pk].id;
		en->login = gen_login(p, p->coordinator);
		snprintf(val, valn, "%s", p->bench.labels[lab]);
	}
	/* Uids are illustrative: the same for every login of a partner is fine. */
	en->uid = 10000 + (long)(en->partner ? en->partner[1] * 10 + en->partner[2] : 0);
}

static int gen_cmp_str(const char *a, const char *b)
{
	return strcmp(a ? a : "", b ? b : "");
}

/* Batch order: by kind and item, then date. Index inserts then touch
 * neighbouring pages, which keeps generation well under a minute; ids still
 * rise with time from one batch to the next. */
static int gen_cmp_entry(const void *pa, const void *pb)
{
	const struct new_entry *a = pa, *b = pb;
	int c = strcmp(a->kind, b->kind);
	if (!c)
		c = gen_cmp_str(a->item, b->item);
	if (!c)
		c = gen_cmp_str(a->partner, b->partner);
	if (!c)
		c = (a->effective > b->effective) - (a->effective < b->effective);
	return c;
}

static int gen_log(const char *path, const struct project *p, struct err *e)
{
	struct store *s;
	if (store_open(path, STORE_CREATE, &s, e) < 0)
		return -1;
	/* The plan first, as init records it: version 1 from the start. */
	size_t tlen = 0;
	int terr = 0;
	char *text = p->path ? file_read_all(p->path, (size_t)LOAD_MAX_FILE, &tlen, &terr) : NULL;
	if (!text) {
		store_close(s);
		return err_set(e, EXIT_IOERR, "generate: cannot read the definition again");
	}
	char dg[17], val[32];
	snprintf(val, sizeof val, "1 %s", plan_digest(text, tlen, dg));
	struct new_entry pe = {.effective = p->start, .login = p->partners[p->coordinator].users[0],
	                       .uid = 1000, .partner = p->partners[p->coordinator].id, .kind = "plan",
	                       .value = val, .note = "the plan as the log was created"};
	int prc = store_append_plan(s, &pe, 1, text, tlen, p, NULL, e);
	free(text);
	if (prc < 0) {
		store_close(s);
		return -1;
	}
	/* A generated log can be generated again: no waiting for the disk,
	 * and a cache that holds the whole file (about 200 MB). */
	if (store_bulk_load(s, 256, e) < 0) {
		store_close(s);
		return -1;
	}
	struct batch b;
	b.v = xcalloc((size_t)BATCH, sizeof *b.v);
	b.val = xcalloc((size_t)BATCH, sizeof *b.val);
	struct undo undo[NREVERTS_PER_BATCH];
	int nundo = 0;
	char revert_vals[NREVERTS_PER_BATCH][24];
	cdate first = p->start, last = p->end;
	long days = (long)(last - first) + 1;
	int rc = 0;

	for (long done = 0; done < nentries && rc == 0; ) {
		long n = nentries - done < BATCH ? nentries - done : BATCH;
		b.n = 0;
		for (long i = 0; i < n; i++) {
			long g = done + i;
			/* Chronological, with a little back-dating. */
			cdate d = first + (cdate)(g * days / nentries);
			d -= gen_below(8);
			if (d < first)
				d = first;
			int m = project_month_of(p, d);
			struct new_entry *en = &b.v[b.n];
			/* A few reverts of entries from the batch before. */
			if (nundo > 0 && i % (BATCH / NREVERTS_PER_BATCH) == 7) {
				struct undo *u = &undo[--nundo];
				snprintf(revert_vals[nundo], sizeof revert_vals[nundo], "%lld",
				         (long long)u->id);
				en->effective = d > u->effective ? d : u->effective;
				en->login = p->partners[p->coordinator].users[0];
				en->uid = 10000;
				en->partner = u->partner;
				en->item = u->item;
				en->kind = "revert";
				en->value = revert_vals[nundo];
				en->note = "Recorded by mistake";
			} else {
				gen_entry(p, en, b.val[b.n], sizeof b.val[b.n], d, m);
			}
			b.n++;
		}
		qsort(b.v, (size_t)b.n, sizeof *b.v, gen_cmp_entry);
		int64_t first_id = 0;
		if (store_append(s, b.v, (size_t)b.n, &first_id, e) < 0) {
			rc = -1;
			break;
		}
		/* Remember some entries of this batch (not reverts) to undo later. */
		nundo = 0;
		for (long i = 100; i < b.n && nundo < NREVERTS_PER_BATCH; i += b.n / NREVERTS_PER_BATCH) {
			if (strcmp(b.v[i].kind, "revert") == 0)
				continue;
			undo[nundo].id = first_id + i;
			undo[nundo].item = b.v[i].item;
			undo[nundo].partner = b.v[i].partner;
			undo[nundo].kind = b.v[i].kind;
			undo[nundo].effective = b.v[i].effective;
			nundo++;
		}
		done += b.n;
	}
	free(b.v);
	free(b.val);
	store_close(s);
	return rc;
}

static void gen_unlink_db(const char *path)
{
	static const char *const sfx[] = {"", "-wal", "-shm", "-journal"};
	for (size_t i = 0; i < sizeof sfx / sizeof sfx[0]; i++) {
		char *q = xasprintf("%s%s", path, sfx[i]);
		unlink(q);
		free(q);
	}
}

/* Move the finished log into place, with its -wal and -shm when the store
 * left them behind (SQLite finds them by name). */
static int gen_rename_db(const char *from, const char *to, struct err *e)
{
	static const char *const sfx[] = {"-wal", "-shm", ""};
	for (size_t i = 0; i < sizeof sfx / sizeof sfx[0]; i++) {
		char *a = xasprintf("%s%s", from, sfx[i]), *b = xasprintf("%s%s", to, sfx[i]);
		int r = rename(a, b), er = errno;
		free(a);
		free(b);
		if (r < 0 && (er != ENOENT || !*sfx[i]))
			return err_set(e, EXIT_IOERR, "%s%s: %s", to, sfx[i], strerror(er));
	}
	return 0;
}

int main(int argc, char **argv)
{
	int a = 1;
	if (argc == 4 && strcmp(argv[1], "-n") == 0) {
		char *end;
		errno = 0;
		nentries = strtol(argv[2], &end, 10);
		if (end == argv[2] || *end || errno || nentries < 1 || nentries > 100000000L)
			nentries = -1;
		a = 3;
	}
	if (argc != a + 1 || argv[a][0] == '-' || nentries < 1) {
		fprintf(stderr, "usage: generate [-n ENTRIES] DIR\n"
		                "Writes DIR/large.yaml and DIR/large.db (1,000,000 log entries by default).\n");
		return EXIT_USAGE;
	}
	const char *dir = argv[a];
	struct timespec t0;
	clock_gettime(CLOCK_MONOTONIC, &t0);
	struct err e = {0};

	if (mkdir(dir, 0777) < 0 && errno != EEXIST) {
		fprintf(stderr, "generate: %s: %s\n", dir, strerror(errno));
		return EXIT_IOERR;
	}
	struct passwd *pw = getpwuid(getuid());
	if (!pw) {
		fprintf(stderr, "generate: uid %ld has no passwd entry\n", (long)getuid());
		return EXIT_IOERR;
	}
	char *self = xstrdup(pw->pw_name);
	char *yaml = xasprintf("%s/large.yaml", dir);
	char *db = xasprintf("%s/large.db", dir);
	char *part = xasprintf("%s/large.db.part", dir);
	int rc = 0;

	gen_plan();
	if (gen_yaml(yaml, self, &e) < 0)
		goto fail;

	struct project p;
	struct diags d;
	memset(&p, 0, sizeof p);
	memset(&d, 0, sizeof d);
	int ioerr = 0;
	if (load_project_file(yaml, &p, &d, &ioerr) < 0 || d.nerrors > 0) {
		for (size_t i = 0; i < d.n && i < 20; i++) {
			char *m = diag_format(&d, &d.v[i]);
			fprintf(stderr, "%s\n", m);
			free(m);
		}
		fprintf(stderr, "generate: %s does not load (%d errors)\n", yaml, d.nerrors);
		diags_free(&d);
		rc = EXIT_SOFTWARE;
		goto out;
	}
	printf("generate: %s: %d partners, %d work packages, %d tasks, %d deliverables, "
	       "%d milestones, %d targets, %d clusters x %d indicators; %d warnings (%.2f s)\n",
	       yaml, p.npartners, p.nwps, p.ntasks, p.ndeliverables, p.nmilestones, p.ntargets,
	       p.bench.nclusters, p.bench.nindicators, d.nwarnings, gen_seconds(&t0));
	diags_free(&d);
	fflush(stdout);

	gen_unlink_db(part);
	if (gen_log(part, &p, &e) < 0) {
		project_free(&p);
		gen_unlink_db(part);
		goto fail;
	}
	project_free(&p);
	gen_unlink_db(db);
	if (gen_rename_db(part, db, &e) < 0)
		goto fail;
	printf("generate: %s: %ld entries by the users of %d partners (%.2f s)\n",
	       db, nentries, NPARTNERS, gen_seconds(&t0));
	goto out;
fail:
	fprintf(stderr, "generate: %s\n", e.msg);
	rc = e.code ? e.code : EXIT_SOFTWARE;
out:
	free(self);
	free(yaml);
	free(db);
	free(part);
	return rc;
}
