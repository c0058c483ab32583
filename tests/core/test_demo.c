/* Tests for demo: the bundled demo log is created from the bundled
 * definition, holds a plausible history up to DEMO_ASOF (labels, reach,
 * overdue and finished items as documented), is marked as the demo, and is
 * the same on every run. */
#include "config.h"

#include <criterion/criterion.h>
#include <locale.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "core/demo.h"
#include "core/derive.h"
#include "core/load.h"
#include "core/plan.h"
#include "core/store.h"

static struct project proj;
static char tmpdir[64];
static char dbpath[128];

static void setup(void)
{
	setlocale(LC_ALL, "C.UTF-8");
	const char *data = getenv("CONSORT_DATA");
	cr_assert_not_null(data, "CONSORT_DATA is not set");
	char *path = xasprintf("%s/5forexcellence.yaml", data);
	struct diags d = {0};
	int io = 0;
	int rc = load_project_file(path, &proj, &d, &io);
	if (rc < 0 && d.n > 0) {
		char *m = diag_format(&d, &d.v[0]);
		cr_log_error("%s", m);
		free(m);
	}
	diags_free(&d);
	free(path);
	cr_assert_eq(rc, 0, "the bundled definition does not load");
	strcpy(tmpdir, "/tmp/consort-demo-XXXXXX");
	cr_assert_not_null(mkdtemp(tmpdir));
	snprintf(dbpath, sizeof dbpath, "%s/demo.db", tmpdir);
}

static void teardown(void)
{
	const char *sfx[] = {"", "-wal", "-shm", "-journal"};
	for (size_t i = 0; i < sizeof sfx / sizeof sfx[0]; i++) {
		char p[160];
		snprintf(p, sizeof p, "%s%s", dbpath, sfx[i]);
		unlink(p);
	}
	rmdir(tmpdir);
	project_free(&proj);
}

TestSuite(demo, .init = setup, .fini = teardown);

static cdate asof_date(void)
{
	cdate d;
	cr_assert_eq(date_parse(DEMO_ASOF, &d), 0);
	return d;
}

static void create(void)
{
	struct err e = {0};
	int rc = demo_create(dbpath, &proj, "demo-user", 1000, &e);
	cr_assert_eq(rc, 0, "demo_create: %s", e.msg);
}

static struct store *open_read(void)
{
	struct store *s = NULL;
	struct err e = {0};
	cr_assert_eq(store_open(dbpath, STORE_READ, &s, &e), 0, "store_open: %s", e.msg);
	return s;
}

static void facts_at(struct store *s, cdate d, struct facts *f)
{
	struct err e = {0};
	cr_assert_eq(store_facts(s, &proj, d, f, &e), 0, "store_facts: %s", e.msg);
}

static int idx(int i, const char *what)
{
	cr_assert_geq(i, 0, "%s is missing from the definition", what);
	return i;
}

Test(demo, entry_count_in_range)
{
	create();
	struct store *s = open_read();
	struct facts f;
	facts_at(s, asof_date(), &f);
	cr_assert_geq(f.entries, 250, "only %lld entries", (long long)f.entries);
	cr_assert_leq(f.entries, 800, "%lld entries", (long long)f.entries);
	facts_free(&f);
	store_close(s);
}

Test(demo, labels)
{
	create();
	struct store *s = open_read();
	struct facts f;
	facts_at(s, asof_date(), &f);
	int silver = idx(project_label(&proj, "silver"), "silver");
	int bronze = idx(project_label(&proj, "bronze"), "bronze");
	const char *sil[] = {"LITC", "ITL"}, *bro[] = {"NETPORT", "LLA", "VIDZEME"};
	for (int i = 0; i < 2; i++)
		cr_assert_eq(f.label[idx(project_cluster(&proj, sil[i]), sil[i])], silver,
		             "%s should be silver", sil[i]);
	for (int i = 0; i < 3; i++)
		cr_assert_eq(f.label[idx(project_cluster(&proj, bro[i]), bro[i])], bronze,
		             "%s should be bronze", bro[i]);
	/* The labels were awarded in 2016. */
	cdate end2016 = date_from_ymd(2016, 12, 31);
	for (int c = 0; c < proj.bench.nclusters; c++) {
		cr_assert_neq(f.label_date[c], CDATE_NONE);
		cr_assert_leq(f.label_date[c], end2016);
	}
	facts_free(&f);
	store_close(s);
}

Test(demo, benchmark_values)
{
	create();
	struct store *s = open_read();
	struct facts f;
	facts_at(s, asof_date(), &f);
	int ni = proj.bench.nindicators;
	int at[16] = {0};
	cr_assert_leq(proj.bench.nclusters, 16);
	for (int c = 0; c < proj.bench.nclusters; c++)
		for (int i = 0; i < ni; i++) {
			cr_assert(f.bench_has[c * ni + i], "cluster %d indicator %d not measured", c, i);
			if (f.bench[c * ni + i] >= proj.bench.indicators[i].threshold)
				at[c]++;
		}
	int litc = idx(project_cluster(&proj, "LITC"), "LITC");
	int itl = idx(project_cluster(&proj, "ITL"), "ITL");
	cr_assert(at[litc] >= 22 && at[litc] <= 26, "LITC: %d at threshold", at[litc]);
	cr_assert(at[itl] >= 20 && at[itl] <= 24, "ITL: %d at threshold", at[itl]);
	for (int c = 0; c < proj.bench.nclusters; c++)
		if (c != litc && c != itl)
			cr_assert_lt(at[c], at[itl], "cluster %d: %d at threshold", c, at[c]);
	facts_free(&f);

	/* Measured first in the middle of 2016: nothing before May. */
	facts_at(s, date_from_ymd(2016, 4, 30), &f);
	for (int k = 0; k < proj.bench.nclusters * ni; k++)
		cr_assert_eq(f.bench_has[k], 0);
	facts_free(&f);
	store_close(s);
}

Test(demo, reach)
{
	create();
	struct store *s = open_read();
	struct facts f;
	facts_at(s, asof_date(), &f);
	int mem = idx(project_target(&proj, "sme-members"), "sme-members");
	int par = idx(project_target(&proj, "sme-partnering"), "sme-partnering");
	int ms = idx(project_target(&proj, "member-states"), "member-states");
	long tm = f.targets[mem].total, tp = f.targets[par].total, tc = f.targets[ms].total;
	cr_assert(tm >= 140 && tm <= 180, "sme-members %ld", tm);
	cr_assert(tp >= 350 && tp <= 470, "sme-partnering %ld", tp);
	cr_assert(tc >= 9 && tc <= 13, "member-states %ld", tc);

	/* Uneven by partner: LITC and ITL grow fastest. */
	long *bp = f.targets[mem].by_partner;
	int litc = project_partner(&proj, "LITC"), itl = project_partner(&proj, "ITL");
	long sum = 0;
	for (int i = 0; i < proj.npartners; i++) {
		sum += bp[i];
		if (i != litc && i != itl) {
			cr_assert_gt(bp[litc], bp[i]);
			cr_assert_gt(bp[itl], bp[i]);
		}
	}
	cr_assert_eq(sum, tm);
	/* The values recorded are country codes, several partners' each. */
	int have_lv = 0, have_se = 0;
	for (int i = 0; i < f.targets[ms].nvalues; i++) {
		have_lv |= strcmp(f.targets[ms].values[i], "LV") == 0;
		have_se |= strcmp(f.targets[ms].values[i], "SE") == 0;
	}
	cr_assert(have_lv && have_se);
	int recorders = 0;
	for (int i = 0; i < proj.npartners; i++)
		recorders += f.targets[ms].by_partner[i] > 0;
	cr_assert_geq(recorders, 4);
	/* Growth over time: less at M6 than at M15. */
	cr_assert_lt(f.targets[mem].by_month[5], f.targets[mem].by_month[14]);
	cr_assert_gt(f.targets[mem].by_month[14], 0);
	facts_free(&f);
	store_close(s);
}

Test(demo, items)
{
	create();
	struct store *s = open_read();
	struct facts f;
	cdate asof = asof_date();
	facts_at(s, asof, &f);

	/* D3.2 is still being drafted, so overdue at the as-of date. */
	int d32 = idx(project_deliverable(&proj, "D3.2"), "D3.2");
	cr_assert(f.deliverables[d32].has_status);
	cr_assert_str_eq(f.deliverables[d32].status, "drafting");
	cr_assert_eq(f.deliverables[d32].done_date, CDATE_NONE);
	cr_assert_lt(project_month_end(&proj, proj.deliverables[d32].due), asof);

	/* WP2's tasks are done. */
	int wp2 = idx(project_wp(&proj, "WP2"), "WP2");
	cr_assert_gt(proj.wps[wp2].ntasks, 0);
	for (int t = proj.wps[wp2].first_task; t < proj.wps[wp2].first_task + proj.wps[wp2].ntasks; t++) {
		cr_assert_str_eq(f.tasks[t].status, "done", "%s", proj.tasks[t].id);
		cr_assert_eq(f.tasks[t].progress, 100);
	}

	/* At least one task late: past its end month and not done. */
	int late = 0;
	for (int t = 0; t < proj.ntasks; t++)
		if (project_month_end(&proj, proj.tasks[t].end) < asof &&
		    !(f.tasks[t].has_status && strcmp(f.tasks[t].status, "done") == 0))
			late++;
	cr_assert_geq(late, 1);

	/* Two or three deliverables done after their due month; D2.1 rejected
	 * then resubmitted, so it counts from the resubmission. */
	int done_late = 0;
	for (int i = 0; i < proj.ndeliverables; i++)
		if (f.deliverables[i].done_date != CDATE_NONE &&
		    f.deliverables[i].done_date > project_month_end(&proj, proj.deliverables[i].due))
			done_late++;
	cr_assert(done_late >= 2 && done_late <= 3, "%d done late", done_late);
	int d21 = idx(project_deliverable(&proj, "D2.1"), "D2.1");
	cr_assert_str_eq(f.deliverables[d21].status, "accepted");

	/* One milestone overdue and still pending. */
	int overdue = 0;
	for (int i = 0; i < proj.nmilestones; i++)
		if (f.milestones[i].done_date == CDATE_NONE &&
		    project_month_end(&proj, proj.milestones[i].due) < asof)
			overdue++;
	cr_assert_eq(overdue, 1);
	facts_free(&f);

	/* On 2016-09-30, after its rejection, D2.1 was being drafted again. */
	facts_at(s, date_from_ymd(2016, 9, 30), &f);
	cr_assert_str_eq(f.deliverables[d21].status, "drafting");
	cr_assert_eq(f.deliverables[d21].done_date, CDATE_NONE);
	facts_free(&f);
	store_close(s);
}

Test(demo, meta)
{
	create();
	struct store *s = open_read();
	struct err e = {0};
	char *v = NULL;
	cr_assert_eq(store_meta_get(s, "demo", &v, &e), 0, "%s", e.msg);
	cr_assert_str_eq(v, "1");
	free(v);
	cr_assert_eq(store_meta_get(s, "demo_asof", &v, &e), 0, "%s", e.msg);
	cr_assert_str_eq(v, DEMO_ASOF);
	free(v);
	cr_assert_eq(store_meta_get(s, "demo_login", &v, &e), 0, "%s", e.msg);
	cr_assert_str_eq(v, "demo-user");
	free(v);
	store_close(s);
}

Test(demo, entries_in_range_and_order)
{
	create();
	struct store *s = open_read();
	struct err e = {0};
	struct entry *v = NULL;
	size_t n = 0;
	cdate asof = asof_date();

	struct entry_filter after = {.since = asof + 1, .until = CDATE_NONE};
	cr_assert_eq(store_entries(s, &after, &v, &n, &e), 0, "%s", e.msg);
	cr_assert_eq(n, 0, "%zu entries after %s", n, DEMO_ASOF);
	entries_free(v, n);

	struct entry_filter all = {.since = CDATE_NONE, .until = CDATE_NONE};
	cr_assert_eq(store_entries(s, &all, &v, &n, &e), 0, "%s", e.msg);
	cr_assert_gt(n, 0);
	/* Newest first by id: effective dates never increase along the list. */
	for (size_t i = 1; i < n; i++)
		cr_assert_geq(strcmp(v[i - 1].effective, v[i].effective), 0,
		              "entry %lld (%s) before %lld (%s)", (long long)v[i - 1].id,
		              v[i - 1].effective, (long long)v[i].id, v[i].effective);
	/* The very first entry is the demo's own; then the plan as signed,
	 * from the project's start, saying it is illustrative; the history
	 * begins 2016-01-04. */
	cr_assert_str_eq(v[n - 1].kind, "demo");
	cr_assert_str_eq(v[n - 1].effective, "2016-01-01");
	const struct entry *first = &v[n - 2];
	cr_assert_str_eq(first->kind, "plan");
	cr_assert_str_eq(first->effective, "2016-01-01");
	cr_assert_not_null(first->note);
	cr_assert_not_null(strstr(first->note, "llustrative"));
	cr_assert_str_eq(v[n - 3].effective, "2016-01-04");
	cr_assert_not_null(v[n - 3].note);
	cr_assert_not_null(strstr(v[n - 3].note, "llustrative"));

	int reverts = 0, reverted = 0, blocked = 0, minus = 0, set = 0;
	int lv = 0, ee = 0, se = 0;
	for (size_t i = 0; i < n; i++) {
		const struct entry *en = &v[i];
		cr_assert_not_null(en->login);
		/* Entry #1 makes the log the demo, in the name of who created it. */
		if (strcmp(en->kind, "demo") == 0) {
			cr_assert_eq(en->id, 1, "a demo entry other than #1");
			cr_assert_str_eq(en->login, "demo-user");
			continue;
		}
		cr_assert(project_user_partner(&proj, en->login) >= 0, "login %s", en->login);
		cr_assert_eq(en->uid, 0);
		if (strcmp(en->kind, "revert") == 0) {
			reverts++;
			struct entry t;
			cr_assert_eq(store_entry(s, strtoll(en->value, NULL, 10), &t, &e), 0, "%s", e.msg);
			cr_assert_str_eq(t.kind, "reach");
			cr_assert_eq(t.reverted_by, en->id);
			entry_clear(&t);
		}
		if (en->reverted_by)
			reverted++;
		if (strcmp(en->kind, "status") == 0 && strcmp(en->value, "blocked") == 0)
			blocked++;
		if (strcmp(en->kind, "reach") == 0 && en->value[0] == '-')
			minus++;
		if (strcmp(en->kind, "reach") == 0 && en->value[0] == '=')
			set++;
		if (en->note) {
			lv |= strstr(en->note, "ā") || strstr(en->note, "ņ") || strstr(en->note, "š");
			ee |= strstr(en->note, "õ") != NULL;
			se |= strstr(en->note, "ö") || strstr(en->note, "å");
		}
	}
	cr_assert_eq(reverts, 1);
	cr_assert_eq(reverted, 1);
	cr_assert_geq(blocked, 1);
	cr_assert_eq(minus, 1);
	cr_assert_eq(set, 1);
	cr_assert(lv && ee && se, "notes in Latvian %d, Estonian %d, Swedish %d", lv, ee, se);
	entries_free(v, n);
	store_close(s);
}

static void same_facts(const struct facts *a, const struct facts *b)
{
	cr_assert_eq(a->entries, b->entries);
	for (int i = 0; i < proj.ntasks; i++) {
		cr_assert_str_eq(a->tasks[i].status, b->tasks[i].status);
		cr_assert_eq(a->tasks[i].progress, b->tasks[i].progress);
		cr_assert_eq(a->tasks[i].status_date, b->tasks[i].status_date);
	}
	for (int i = 0; i < proj.ndeliverables; i++) {
		cr_assert_str_eq(a->deliverables[i].status, b->deliverables[i].status);
		cr_assert_eq(a->deliverables[i].done_date, b->deliverables[i].done_date);
	}
	for (int i = 0; i < proj.nmilestones; i++)
		cr_assert_eq(a->milestones[i].done_date, b->milestones[i].done_date);
	for (int i = 0; i < proj.ntargets; i++) {
		cr_assert_eq(a->targets[i].total, b->targets[i].total);
		for (int k = 0; k < proj.npartners; k++)
			cr_assert_eq(a->targets[i].by_partner[k], b->targets[i].by_partner[k]);
		for (int m = 0; m < proj.nmonths; m++)
			cr_assert_eq(a->targets[i].by_month[m], b->targets[i].by_month[m]);
	}
	int nb = proj.bench.nclusters * proj.bench.nindicators;
	for (int k = 0; k < nb; k++) {
		cr_assert_eq(a->bench_has[k], b->bench_has[k]);
		cr_assert_float_eq(a->bench[k], b->bench[k], 1e-9);
	}
	for (int c = 0; c < proj.bench.nclusters; c++) {
		cr_assert_eq(a->label[c], b->label[c]);
		cr_assert_eq(a->label_date[c], b->label_date[c]);
	}
}

Test(demo, deterministic_and_replaces)
{
	cdate asof = asof_date();
	create();
	struct store *s = open_read();
	struct facts f1, f2;
	facts_at(s, asof, &f1);
	struct entry *v1 = NULL, *v2 = NULL;
	size_t n1 = 0, n2 = 0;
	struct err e = {0};
	struct entry_filter all = {.since = CDATE_NONE, .until = CDATE_NONE};
	cr_assert_eq(store_entries(s, &all, &v1, &n1, &e), 0, "%s", e.msg);
	store_close(s);

	create();   /* over the existing file */
	s = open_read();
	facts_at(s, asof, &f2);
	cr_assert_eq(store_entries(s, &all, &v2, &n2, &e), 0, "%s", e.msg);
	store_close(s);

	cr_assert_eq(n1, n2);
	cr_assert_eq(f2.entries, (int64_t)n2, "the old log was not replaced");
	same_facts(&f1, &f2);
	for (size_t i = 0; i < n1; i++) {
		cr_assert_eq(v1[i].id, v2[i].id);
		cr_assert_str_eq(v1[i].effective, v2[i].effective);
		cr_assert_str_eq(v1[i].login, v2[i].login);
		cr_assert_str_eq(v1[i].kind, v2[i].kind);
		cr_assert_str_eq(v1[i].value, v2[i].value);
		cr_assert_str_eq(v1[i].item ? v1[i].item : "", v2[i].item ? v2[i].item : "");
		cr_assert_str_eq(v1[i].partner ? v1[i].partner : "", v2[i].partner ? v2[i].partner : "");
		cr_assert_str_eq(v1[i].note ? v1[i].note : "", v2[i].note ? v2[i].note : "");
	}
	entries_free(v1, n1);
	entries_free(v2, n2);
	facts_free(&f1);
	facts_free(&f2);
}

Test(demo, replaces_foreign_file)
{
	FILE *fp = fopen(dbpath, "w");
	cr_assert_not_null(fp);
	fputs("not a database\n", fp);
	fclose(fp);
	char wal[160];
	snprintf(wal, sizeof wal, "%s-wal", dbpath);
	fp = fopen(wal, "w");  /* a stale WAL beside it */
	cr_assert_not_null(fp);
	fputs("junk", fp);
	fclose(fp);
	create();
	struct store *s = open_read();
	int64_t n = 0, last = 0;
	struct err e = {0};
	cr_assert_eq(store_summary(s, &n, &last, &e), 0, "%s", e.msg);
	cr_assert_geq(n, 250);
	store_close(s);
}

Test(demo, fails_cleanly_in_missing_directory)
{
	struct err e = {0};
	char bad[200];
	snprintf(bad, sizeof bad, "%s/no/such/dir/demo.db", tmpdir);
	cr_assert_eq(demo_create(bad, &proj, "demo-user", 1000, &e), -1);
	cr_assert_neq(e.code, 0);
	cr_assert_neq(e.msg[0], '\0');
	struct stat st;
	cr_assert_neq(stat(bad, &st), 0);
}

/* The demo's history keeps the write path's rules: deliverables are
 * accepted or rejected, and labels awarded, by the coordinator's users. */
Test(demo, verdicts_by_the_coordinator)
{
	create();
	struct store *s = open_read();
	struct err e = {0};
	struct entry *v = NULL;
	size_t n = 0;
	struct entry_filter all = ENTRY_FILTER_ALL;
	cr_assert_eq(store_entries(s, &all, &v, &n, &e), 0, "%s", e.msg);
	int verdicts = 0, labels = 0;
	for (size_t i = 0; i < n; i++) {
		int k;
		int label = v[i].kind && strcmp(v[i].kind, "label") == 0;
		int verdict = v[i].kind && strcmp(v[i].kind, "status") == 0 && v[i].value &&
			(strcmp(v[i].value, "accepted") == 0 || strcmp(v[i].value, "rejected") == 0) &&
			project_item(&proj, v[i].item, &k) == ITEM_DELIVERABLE;
		if (!label && !verdict)
			continue;
		labels += label;
		verdicts += verdict;
		int pi = project_user_partner(&proj, v[i].login);
		cr_assert_eq(pi, proj.coordinator, "entry %lld (%s %s) is by %s",
		             (long long)v[i].id, v[i].kind, v[i].value, v[i].login);
	}
	cr_assert_gt(verdicts, 5);
	cr_assert_gt(labels, 4);
	entries_free(v, n);
	store_close(s);
}

/* LV is credited to LITC and VIDZEME: the split by partner adds up to one
 * more than the total, and derive says so. */
Test(demo, shared_value_in_the_split)
{
	create();
	struct store *s = open_read();
	struct facts f;
	facts_at(s, asof_date(), &f);
	struct state st;
	derive_state(&proj, &f, asof_date(), &st);
	int ms = idx(project_target(&proj, "member-states"), "member-states");
	cr_assert_eq(st.reach[ms].split_excess, 1);
	state_free(&st);
	facts_free(&f);
	store_close(s);
}

/* The demo's today is its date, whatever the real clock says: a write
 * without a date and the dashboard's "today" both use it. Outside the demo
 * it is today. */
Test(demo, today_is_the_demos_date)
{
	create();
	struct store *s = open_read();
	cdate real = date_today_real();
	cr_assert_eq(demo_today(s, real), asof_date());
	/* A today moved before the demo's date wins: nothing is dated later. */
	cr_assert_eq(demo_today(s, date_from_ymd(2017, 1, 1)), date_from_ymd(2017, 1, 1));
	cr_assert_eq(demo_today(NULL, real), real);
	store_close(s);

	char plain[160];
	snprintf(plain, sizeof plain, "%s/plain.db", tmpdir);
	struct err e = {0};
	cr_assert_eq(store_open(plain, STORE_CREATE, &s, &e), 0, "%s", e.msg);
	cr_assert_eq(demo_today(s, real), real);
	store_close(s);
	const char *sfx[] = {"", "-wal", "-shm"};
	for (size_t i = 0; i < 3; i++) {
		char q[200];
		snprintf(q, sizeof q, "%s%s", plain, sfx[i]);
		unlink(q);
	}
}

/* The demo's plan: the grant agreement as signed and one amendment in M10
 * that moved D3.2 from M12 to M14 and added T3.4, so that versions and a
 * diff show at once. */
Test(demo, plan_with_one_amendment)
{
	create();
	struct store *s = open_read();
	struct err e = {0};
	struct plan_version *v;
	size_t n;
	cr_assert_eq(plan_versions(s, 0, &v, &n, &e), 0, "%s", e.msg);
	cr_assert_eq(n, 2);
	char d[11];
	cr_assert_str_eq(date_format(v[0].effective, d), "2016-01-01");
	cr_assert_str_eq(date_format(v[1].effective, d), "2016-10-01");
	cdate jun;
	cr_assert_eq(date_parse("2016-06-30", &jun), 0);
	cr_assert_eq(plan_in_force(v, n, jun), 0);
	cr_assert_eq(plan_in_force(v, n, asof_date()), 1);
	struct project a, b;
	cr_assert_eq(plan_load(s, 1, "demo", &a, NULL, NULL, &e), 0, "%s", e.msg);
	cr_assert_eq(plan_load(s, 2, "demo", &b, NULL, NULL, &e), 0, "%s", e.msg);
	cr_assert_eq(a.deliverables[project_deliverable(&a, "D3.2")].due, 12);
	cr_assert_eq(b.deliverables[project_deliverable(&b, "D3.2")].due, 14);
	cr_assert_lt(project_task(&a, "T3.4"), 0);
	cr_assert_geq(project_task(&b, "T3.4"), 0);
	struct plan_diff *df;
	size_t nd;
	plan_diff_models(&a, &b, &df, &nd);
	cr_assert_eq(nd, 2, "%zu changes", nd);
	plan_diff_free(df, nd);
	project_free(&a);
	project_free(&b);
	plan_versions_free(v, n);
	store_close(s);
}
