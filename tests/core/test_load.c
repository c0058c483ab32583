/* Tests of the project model and the YAML loader: the bundled definition,
 * tests/data/defs (each bad-*.yaml and warn-*.yaml names its expected
 * diagnostic on its first line), several errors in one file, hostile input
 * and a large generated definition. */
#include "config.h"

#include <criterion/criterion.h>
#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "core/load.h"
#include "core/util.h"

/* A test file: from the directory env names, else under the source tree
 * (top_srcdir, as make check sets it), else under the current directory. */
static char *data_path(const char *env, const char *fallback, const char *name)
{
	const char *dir = getenv(env);
	if (dir && *dir)
		return xasprintf("%s/%s", dir, name);
	const char *top = getenv("top_srcdir");
	return xasprintf("%s/%s/%s", top && *top ? top : ".", fallback, name);
}

static int has_diag(const struct diags *d, enum diag_level lv, int line, int col,
                    const char *prefix)
{
	for (size_t i = 0; i < d->n; i++)
		if (d->v[i].level == lv && d->v[i].line == line && d->v[i].col == col &&
		    strncmp(d->v[i].msg, prefix, strlen(prefix)) == 0)
			return 1;
	return 0;
}

static int has_msg(const struct diags *d, const char *needle)
{
	for (size_t i = 0; i < d->n; i++)
		if (strstr(d->v[i].msg, needle))
			return 1;
	return 0;
}

static char *all_diags(const struct diags *d)
{
	struct sbuf b = {0};
	sbuf_puts(&b, "");
	for (size_t i = 0; i < d->n; i++) {
		char *s = diag_format(d, &d->v[i]);
		sbuf_printf(&b, "\n  %s", s);
		free(s);
	}
	return sbuf_take(&b);
}

/* ---- the bundled definition ---------------------------------------------- */

static struct project P;
static struct diags D;

static void load_bundled(void)
{
	char *path = data_path("CONSORT_DATA", "data", "5forexcellence.yaml");
	int io = -1;
	int rc = load_project_file(path, &P, &D, &io);
	char *txt = all_diags(&D);
	cr_assert_eq(rc, 0, "%s does not load:%s", path, txt);
	cr_assert_eq(io, 0);
	free(txt);
	free(path);
}

static void free_bundled(void)
{
	project_free(&P);
	diags_free(&D);
}

TestSuite(bundled, .init = load_bundled, .fini = free_bundled);

Test(bundled, clean_and_counted)
{
	cr_assert_eq(D.nerrors, 0);
	cr_assert_eq(D.nwarnings, 0);
	cr_assert_eq(D.n, 0);
	cr_assert_eq(P.format, 1);
	cr_assert_str_eq(P.acronym, "5FOREXCELLENCE");
	cr_assert_str_eq(P.programme, "COSME / Cluster Excellence / 1st call");
	cr_assert_eq(P.npartners, 5);
	cr_assert_eq(P.nwps, 5);
	cr_assert_eq(P.ntasks, 16);
	cr_assert_eq(P.ndeliverables, 13);
	cr_assert_eq(P.nmilestones, 6);
	cr_assert_eq(P.ntargets, 3);
	cr_assert_eq(P.nperiods, 2);
	cr_assert(P.bench.present);
	cr_assert_eq(P.bench.nindicators, 31);
	cr_assert_eq(P.bench.nclusters, 5);
	cr_assert_eq(P.bench.nlabels, 3);
	cr_assert_float_eq(P.bench.pass_score, 80.0, 1e-9);
	cr_assert_eq(P.nmonths, 21);
	cr_assert_eq(P.start, date_from_ymd(2016, 1, 1));
	cr_assert_eq(P.end, date_from_ymd(2017, 9, 30));
	cr_assert_not_null(P.path);
}

Test(bundled, partners_and_coordinator)
{
	int litc = project_partner(&P, "LITC");
	cr_assert_eq(litc, 0);
	cr_assert_eq(P.coordinator, litc);
	cr_assert(P.partners[litc].coordinator);
	cr_assert_str_eq(P.partners[litc].country, "LV");
	cr_assert_eq(P.partners[litc].joined, 1);
	cr_assert_eq(P.partners[litc].left, 21);
	int coords = 0;
	for (int i = 0; i < P.npartners; i++)
		coords += P.partners[i].coordinator;
	cr_assert_eq(coords, 1);
	cr_assert_eq(project_partner(&P, "litc"), -1, "ids are case-sensitive");
	cr_assert_eq(project_partner(&P, "NOPE"), -1);
	cr_assert_eq(project_partner(&P, NULL), -1);
	cr_assert_eq(project_user_partner(&P, "janis"), litc);
	cr_assert_eq(project_user_partner(&P, "anna"), project_partner(&P, "NETPORT"));
	cr_assert_eq(project_user_partner(&P, "liga"), project_partner(&P, "VIDZEME"));
	cr_assert_eq(project_user_partner(&P, "mallory"), -1);
}

Test(bundled, targets)
{
	int a = project_target(&P, "sme-members"), b = project_target(&P, "sme-partnering");
	int c = project_target(&P, "member-states");
	cr_assert(a >= 0 && b >= 0 && c >= 0);
	cr_assert_eq(P.targets[a].target, 227);
	cr_assert_eq(P.targets[a].kind, TARGET_COUNT);
	cr_assert_eq(P.targets[b].target, 1000);
	cr_assert_eq(P.targets[b].kind, TARGET_COUNT);
	cr_assert_eq(P.targets[c].target, 18);
	cr_assert_eq(P.targets[c].kind, TARGET_DISTINCT);
	cr_assert_str_eq(P.targets[c].unit, "Member States");
	cr_assert_eq(project_target(&P, "nope"), -1);
}

Test(bundled, work_packages_and_tasks)
{
	int wp3 = project_wp(&P, "WP3");
	cr_assert_eq(wp3, 2);
	cr_assert_str_eq(P.wps[wp3].title, "Training");
	cr_assert_eq(P.wps[wp3].lead, project_partner(&P, "NETPORT"));
	cr_assert_eq(P.wps[wp3].start, 4);
	cr_assert_eq(P.wps[wp3].end, 18);
	cr_assert_eq(P.wps[wp3].ntasks, 4);
	cr_assert_str_eq(P.tasks[P.wps[wp3].first_task].id, "T3.1");
	/* tasks are grouped by work package, in order */
	int n = 0;
	for (int w = 0; w < P.nwps; w++) {
		cr_assert_eq(P.wps[w].first_task, n);
		for (int t = P.wps[w].first_task; t < P.wps[w].first_task + P.wps[w].ntasks; t++)
			cr_assert_eq(P.tasks[t].wp, w);
		n += P.wps[w].ntasks;
	}
	cr_assert_eq(n, P.ntasks);
	int t11 = project_task(&P, "T1.1");
	cr_assert_eq(t11, 0);
	cr_assert_eq(P.tasks[t11].nparticipants, 4);
	cr_assert_eq(P.tasks[t11].participants[0], project_partner(&P, "NETPORT"));
	cr_assert_null(P.tasks[t11].description);
	cr_assert_not_null(P.wps[0].objective);
}

Test(bundled, deliverables_milestones_benchmark)
{
	int d = project_deliverable(&P, "D2.1");
	cr_assert(d >= 0);
	cr_assert_eq(P.deliverables[d].wp, project_wp(&P, "WP2"));
	cr_assert_eq(P.deliverables[d].lead, project_partner(&P, "ITL"));
	cr_assert_str_eq(P.deliverables[d].type, "R");
	cr_assert_str_eq(P.deliverables[d].dissemination, "CO");
	cr_assert_eq(P.deliverables[d].due, 8);
	int m = project_milestone(&P, "MS6");
	cr_assert(m >= 0);
	cr_assert_eq(P.milestones[m].nwps, 2);
	cr_assert_eq(P.milestones[m].wps[0], project_wp(&P, "WP4"));
	cr_assert_eq(P.milestones[m].wps[1], project_wp(&P, "WP5"));
	cr_assert_eq(P.milestones[m].lead, project_partner(&P, "LITC"));
	cr_assert_eq(project_indicator(&P, "G1"), 6);
	cr_assert_float_eq(P.bench.indicators[6].threshold, 3.0, 1e-9);
	cr_assert_eq(project_label(&P, "gold"), 2);
	cr_assert_eq(project_label(&P, "platinum"), -1);
	int c = project_cluster(&P, "ITL");
	cr_assert_eq(c, 2);
	cr_assert_str_eq(P.bench.clusters[c].name, "Estonian ICT Cluster");
	cr_assert_eq(P.bench.clusters[c].target_label, 2);
	cr_assert_eq(project_cluster(&P, "NOPE"), -1);
	cr_assert_eq(project_period(&P, "RP2"), 1);
	cr_assert_eq(P.periods[1].from, 13);
	cr_assert_eq(P.periods[1].to, 21);
}

Test(bundled, items_by_id)
{
	int i = -2;
	cr_assert_eq(project_item(&P, "WP2", &i), ITEM_WP);
	cr_assert_eq(i, 1);
	cr_assert_eq(project_item(&P, "T4.3", &i), ITEM_TASK);
	cr_assert_str_eq(P.tasks[i].id, "T4.3");
	cr_assert_eq(project_item(&P, "D5.3", &i), ITEM_DELIVERABLE);
	cr_assert_str_eq(P.deliverables[i].id, "D5.3");
	cr_assert_eq(project_item(&P, "MS3", &i), ITEM_MILESTONE);
	cr_assert_str_eq(P.milestones[i].id, "MS3");
	cr_assert_eq(project_item(&P, "D2.4", &i), ITEM_NONE);
	cr_assert_eq(i, -1);
	cr_assert_eq(project_item(&P, "LITC", NULL), ITEM_NONE);
}

Test(bundled, months)
{
	char buf[24];
	cr_assert_str_eq(project_month_label(&P, 6, buf), "M6 (2016-06-30)");
	cr_assert_str_eq(project_month_label(&P, 21, buf), "M21 (2017-09-30)");
	cr_assert_str_eq(project_month_label(&P, 14, buf), "M14 (2017-02-28)");
	cr_assert_eq(project_month_of(&P, date_from_ymd(2017, 3, 31)), 15);
	cr_assert_eq(project_month_of(&P, date_from_ymd(2015, 12, 31)), 0);
	cr_assert_eq(project_month_of(&P, date_from_ymd(2017, 10, 1)), 22);
	cr_assert_eq(project_month_start(&P, 13), date_from_ymd(2017, 1, 1));
	cr_assert_eq(project_month_end(&P, 12), date_from_ymd(2016, 12, 31));
	cr_assert_eq(project_month_end(&P, 2), date_from_ymd(2016, 2, 29));
}

Test(bundled, partner_involved)
{
	int litc = project_partner(&P, "LITC"), itl = project_partner(&P, "ITL");
	int lla = project_partner(&P, "LLA"), vid = project_partner(&P, "VIDZEME");
	int net = project_partner(&P, "NETPORT");
	/* WP: leads it, or leads or takes part in one of its tasks */
	cr_assert(project_partner_involved(&P, ITEM_WP, project_wp(&P, "WP2"), itl));
	cr_assert(project_partner_involved(&P, ITEM_WP, project_wp(&P, "WP2"), lla));
	cr_assert(project_partner_involved(&P, ITEM_WP, project_wp(&P, "WP4"), litc));
	/* task: lead or participant */
	cr_assert(project_partner_involved(&P, ITEM_TASK, project_task(&P, "T5.1"), vid));
	cr_assert_not(project_partner_involved(&P, ITEM_TASK, project_task(&P, "T5.1"), litc));
	cr_assert(project_partner_involved(&P, ITEM_TASK, project_task(&P, "T3.4"), lla));
	cr_assert_not(project_partner_involved(&P, ITEM_TASK, project_task(&P, "T3.4"), itl));
	/* deliverable: lead, or leads its WP (D4.2: WP4 led by LLA, lead LITC) */
	int d42 = project_deliverable(&P, "D4.2");
	cr_assert(project_partner_involved(&P, ITEM_DELIVERABLE, d42, litc));
	cr_assert(project_partner_involved(&P, ITEM_DELIVERABLE, d42, lla));
	cr_assert_not(project_partner_involved(&P, ITEM_DELIVERABLE, d42, net));
	/* milestone: lead, or leads one of its WPs (MS6: WP4, WP5; lead LITC) */
	int ms6 = project_milestone(&P, "MS6");
	cr_assert(project_partner_involved(&P, ITEM_MILESTONE, ms6, litc));
	cr_assert(project_partner_involved(&P, ITEM_MILESTONE, ms6, vid));
	cr_assert(project_partner_involved(&P, ITEM_MILESTONE, ms6, lla));
	cr_assert_not(project_partner_involved(&P, ITEM_MILESTONE, ms6, itl));
	/* out of range */
	cr_assert_not(project_partner_involved(&P, ITEM_TASK, 999, litc));
	cr_assert_not(project_partner_involved(&P, ITEM_TASK, 0, -1));
	cr_assert_not(project_partner_involved(&P, ITEM_NONE, 0, litc));
}

/* ---- the small shared definition ---------------------------------------- */

Test(mini, loads_clean)
{
	char *path = data_path("CONSORT_TESTDATA", "tests/data", "defs/mini.yaml");
	struct project p;
	struct diags d = {0};
	int rc = load_project_file(path, &p, &d, NULL);
	char *txt = all_diags(&d);
	cr_assert_eq(rc, 0, "mini.yaml:%s", txt);
	cr_assert_eq(d.nerrors + d.nwarnings, 0, "mini.yaml:%s", txt);
	cr_assert_eq(p.npartners, 3);
	cr_assert_eq(p.nwps, 2);
	cr_assert_eq(p.ntasks, 4);
	cr_assert_eq(p.ndeliverables, 3);
	cr_assert_eq(p.nmilestones, 2);
	cr_assert_eq(p.ntargets, 2);
	cr_assert_eq(p.bench.nindicators, 3);
	cr_assert_eq(p.bench.nclusters, 2);
	cr_assert_eq(p.nmonths, 12);
	int food = project_partner(&p, "FOOD");
	cr_assert_eq(p.partners[food].joined, 3);
	cr_assert_eq(p.partners[food].left, 12);
	cr_assert_not(p.partners[food].coordinator);
	cr_assert_eq(p.partners[food].nusers, 1);
	cr_assert_str_eq(p.partners[food].users[0], "dave");
	cr_assert_eq(p.deliverables[project_deliverable(&p, "D1.2")].lead, -1);
	cr_assert_eq(p.milestones[project_milestone(&p, "MS2")].lead, -1);
	cr_assert_float_eq(p.bench.indicators[1].threshold, 2.5, 1e-9);
	cr_assert_null(p.bench.indicators[2].unit);
	/* a cluster without a display name shows the partner's name */
	cr_assert_str_eq(p.bench.clusters[1].name, "Nord Logistics Cluster");
	cr_assert_eq(p.targets[1].kind, TARGET_DISTINCT);
	free(txt);
	free(path);
	project_free(&p);
	diags_free(&d);
}

/* ---- tests/data/defs: each file names its expected diagnostic ----------- */

/* Parse "# expect: LINE:COL: LEVEL: MESSAGE" from the first line. */
static int read_expect(const char *path, int *line, int *col, enum diag_level *lv, char *msg,
                       size_t n)
{
	FILE *f = fopen(path, "r");
	if (!f)
		return -1;
	char buf[512], level[16];
	int ok = fgets(buf, sizeof buf, f) != NULL;
	fclose(f);
	if (!ok)
		return -1;
	buf[strcspn(buf, "\n")] = '\0';
	int off = 0;
	if (sscanf(buf, "# expect: %d:%d: %15[a-z]: %n", line, col, level, &off) != 3 || off == 0)
		return -1;
	*lv = strcmp(level, "warning") == 0 ? DIAG_WARNING : DIAG_ERROR;
	snprintf(msg, n, "%s", buf + off);
	return msg[0] ? 0 : -1;
}

static int run_defs(const char *prefix, int want_rc)
{
	char *dir = data_path("CONSORT_TESTDATA", "tests/data", "defs");
	DIR *dh = opendir(dir);
	cr_assert_not_null(dh, "cannot open %s", dir);
	struct dirent *e;
	int count = 0;
	while ((e = readdir(dh)) != NULL) {
		size_t len = strlen(e->d_name);
		if (strncmp(e->d_name, prefix, strlen(prefix)) != 0 || len < 5 ||
		    strcmp(e->d_name + len - 5, ".yaml") != 0)
			continue;
		char *path = xasprintf("%s/%s", dir, e->d_name);
		int line, col;
		enum diag_level lv;
		char msg[400];
		cr_assert_eq(read_expect(path, &line, &col, &lv, msg, sizeof msg), 0,
		             "%s: no '# expect: LINE:COL: LEVEL: MESSAGE' on its first line", path);
		struct project p;
		struct diags d = {0};
		int rc = load_project_file(path, &p, &d, NULL);
		char *txt = all_diags(&d);
		cr_expect_eq(rc, want_rc, "%s: returned %d:%s", e->d_name, rc, txt);
		cr_expect(has_diag(&d, lv, line, col, msg), "%s: expected %d:%d: %s: %s among:%s",
		          e->d_name, line, col, lv == DIAG_ERROR ? "error" : "warning", msg, txt);
		if (want_rc == 0) {
			cr_expect_eq(d.nerrors, 0, "%s:%s", e->d_name, txt);
			project_free(&p);
		} else {
			cr_expect_eq(p.npartners, 0, "%s: the model is left empty", e->d_name);
			cr_expect_null(p.partners);
		}
		/* every diagnostic has a position or names the whole file */
		for (size_t i = 0; i < d.n; i++)
			cr_expect((d.v[i].line > 0 && d.v[i].col > 0) ||
			          (d.v[i].line == 0 && d.v[i].col == 0), "%s", e->d_name);
		free(txt);
		diags_free(&d);
		free(path);
		count++;
	}
	closedir(dh);
	free(dir);
	return count;
}

Test(defs, bad_files_report_expected_error)
{
	int n = run_defs("bad-", -1);
	cr_assert_geq(n, 25, "only %d bad-*.yaml files", n);
}

Test(defs, warn_files_load_with_expected_warning)
{
	int n = run_defs("warn-", 0);
	cr_assert_geq(n, 4, "only %d warn-*.yaml files", n);
}

/* ---- from memory ---------------------------------------------------------- */

static const char *const MINIMAL =
	"consort: 1\n"
	"project:\n"
	"  acronym: X\n"
	"  start: 2020-03-15\n"
	"  end: 2021-02-01\n"
	"partners:\n"
	"  - id: A\n"
	"    name: Alpha\n"
	"    role: coordinator\n"
	"work_packages:\n"
	"  - id: WP1\n"
	"    title: All\n"
	"    lead: A\n"
	"    start: 1\n"
	"    end: 12\n";

static int load_str(const char *s, struct project *p, struct diags *d)
{
	return load_project_mem("mem.yaml", s, strlen(s), p, d);
}

Test(mem, minimal_with_defaults)
{
	struct project p;
	struct diags d = {0};
	cr_assert_eq(load_str(MINIMAL, &p, &d), 0);
	cr_assert_eq(d.n, 0);
	cr_assert_eq(p.nmonths, 12, "March to February is 12 months");
	cr_assert_eq(p.coordinator, 0);
	cr_assert_null(p.title);
	cr_assert_null(p.partners[0].country);
	cr_assert_eq(p.partners[0].nusers, 0);
	cr_assert_eq(p.partners[0].joined, 1);
	cr_assert_eq(p.partners[0].left, 12);
	cr_assert_eq(p.ndeliverables + p.nmilestones + p.ntargets, 0);
	cr_assert_not(p.bench.present);
	cr_assert_str_eq(p.path, "mem.yaml");
	char buf[24];
	cr_assert_str_eq(project_month_label(&p, 1, buf), "M1 (2020-03-31)");
	cr_assert_str_eq(project_month_label(&p, 12, buf), "M12 (2021-02-28)");
	project_free(&p);
	diags_free(&d);
}

Test(mem, values_read_as_written)
{
	/* NO (Norway) is a country, not false; 'on' is a name; keys are quoted freely */
	const char *s =
		"consort: 1\n"
		"project: {acronym: 'NO', start: 2020-01-01, end: 2020-12-31, title: yes}\n"
		"partners:\n"
		"  - {id: A, name: on, country: NO, role: coordinator, users: [off, 'null', '~']}\n"
		"work_packages:\n"
		"  - {id: '007', title: 1.5, lead: A, start: 01, end: 12}\n";
	struct project p;
	struct diags d = {0};
	int rc = load_str(s, &p, &d);
	char *txt = all_diags(&d);
	cr_assert_eq(rc, 0, "%s", txt);
	cr_assert_str_eq(p.acronym, "NO");
	cr_assert_str_eq(p.title, "yes");
	cr_assert_str_eq(p.partners[0].name, "on");
	cr_assert_str_eq(p.partners[0].country, "NO");
	cr_assert_eq(p.partners[0].nusers, 3);
	cr_assert_str_eq(p.partners[0].users[1], "null");
	cr_assert_str_eq(p.wps[0].id, "007");
	cr_assert_str_eq(p.wps[0].title, "1.5");
	cr_assert_eq(p.wps[0].start, 1);
	free(txt);
	project_free(&p);
	diags_free(&d);
}

Test(mem, many_errors_in_one_run)
{
	const char *s =
		"consort: 1\n"                         /* 1 */
		"project:\n"                           /* 2 */
		"  acronym: X\n"                       /* 3 */
		"  start: 2016-01-01\n"                /* 4 */
		"  end: 2017-09-30\n"                  /* 5 */
		"partners:\n"                          /* 6 */
		"  - id: A\n"                          /* 7 */
		"    name: Alpha\n"                    /* 8 */
		"    role: coordinator\n"              /* 9 */
		"    country: ZZ\n"                    /* 10 */
		"work_packages:\n"                     /* 11 */
		"  - id: WP1\n"                        /* 12 */
		"    title: One\n"                     /* 13 */
		"    lead: NOBODY\n"                   /* 14 */
		"    start: 5\n"                       /* 15 */
		"    end: 3\n"                         /* 16 */
		"deliverables:\n"                      /* 17 */
		"  - id: D1\n"                         /* 18 */
		"    title: A\n"                       /* 19 */
		"    wp: WP9\n"                        /* 20 */
		"    dead: 4\n"                        /* 21 */
		"    due: 25\n"                        /* 22 */
		"  - id: D2\n"                         /* 23 */
		"    title: B\n"                       /* 24 */
		"    wp: WP1\n"                        /* 25 */
		"    due: soon\n"                      /* 26 */
		"    due: 2\n";                        /* 27 */
	struct project p;
	struct diags d = {0};
	cr_assert_eq(load_str(s, &p, &d), -1);
	char *txt = all_diags(&d);
	cr_expect(has_diag(&d, DIAG_ERROR, 10, 14, "expected an ISO 3166-1"), "%s", txt);
	cr_expect(has_diag(&d, DIAG_ERROR, 14, 11, "partner 'NOBODY' is not defined"), "%s", txt);
	cr_expect(has_diag(&d, DIAG_ERROR, 16, 10, "end (3) is before start (5)"), "%s", txt);
	cr_expect(has_diag(&d, DIAG_ERROR, 20, 9, "work package 'WP9' is not defined"), "%s", txt);
	cr_expect(has_diag(&d, DIAG_ERROR, 21, 5, "unknown key 'dead' in deliverable D1 (expected one of: id, title, wp, lead, type, dissemination, due, description)"), "%s", txt);
	cr_expect(has_diag(&d, DIAG_ERROR, 22, 10, "month 25 is outside the project (1..21)"), "%s", txt);
	cr_expect(has_diag(&d, DIAG_ERROR, 26, 10, "expected an integer month, found 'soon'"), "%s", txt);
	cr_expect(has_diag(&d, DIAG_ERROR, 27, 5, "duplicate key 'due'"), "%s", txt);
	cr_expect_eq(d.nerrors, 8, "%s", txt);
	/* sorted by position */
	for (size_t i = 1; i < d.n; i++)
		cr_expect(d.v[i - 1].line <= d.v[i].line, "%s", txt);
	free(txt);
	diags_free(&d);
}

Test(mem, diag_format_lines)
{
	struct diags d = {0};
	struct project p;
	cr_assert_eq(load_str("consort: 1\nproject: 3\n", &p, &d), -1);
	cr_assert_eq(d.n, 3, "project, partners, work_packages");
	char *s = diag_format(&d, &d.v[0]);
	cr_assert_str_eq(s, "mem.yaml:1:1: error: missing required key 'partners' in the definition");
	free(s);
	s = diag_format(&d, &d.v[2]);
	cr_assert_str_eq(s, "mem.yaml:2:10: error: expected a mapping for project, found '3'");
	free(s);
	struct diag w = {DIAG_WARNING, 0, 0, (char *)"whole file"};
	s = diag_format(&d, &w);
	cr_assert_str_eq(s, "mem.yaml: warning: whole file");
	free(s);
	struct diag w2 = {DIAG_WARNING, 3, 7, (char *)"x"};
	s = diag_format(&d, &w2);
	cr_assert_str_eq(s, "mem.yaml:3:7: warning: x");
	free(s);
	diags_free(&d);
	cr_assert_null(d.v);
}

Test(mem, hostile_text_in_messages_is_inert)
{
	/* An escape sequence in a key and a very long value reach the messages
	 * made inert and cut short. */
	struct sbuf b = {0};
	sbuf_puts(&b, "consort: 1\n\"\\e[2J\\e]0;pwned\\a\": 1\nproject:\n  acronym: X\n"
	              "  start: ");
	for (int i = 0; i < 500; i++)
		sbuf_puts(&b, "long");
	sbuf_puts(&b, "\n");
	struct project p;
	struct diags d = {0};
	cr_assert_eq(load_str(sbuf_str(&b), &p, &d), -1);
	cr_assert(has_msg(&d, "unknown key '\xe2\x90\x9b[2J"), "ESC shown as a control picture");
	for (size_t i = 0; i < d.n; i++) {
		char *s = diag_format(&d, &d.v[i]);
		for (const unsigned char *c = (const unsigned char *)s; *c; c++)
			cr_assert(*c >= 0x20 && *c != 0x7F, "control byte in: %s", s);
		cr_assert_lt(strlen(s), 400, "long value not cut: %s", s);
		free(s);
	}
	cr_assert(has_msg(&d, "expected a date YYYY-MM-DD, found 'longlong"));
	sbuf_free(&b);
	diags_free(&d);
}

Test(mem, shared_id_space_and_references)
{
	struct sbuf b = {0};
	sbuf_puts(&b, MINIMAL);
	sbuf_puts(&b, "    tasks:\n      - {id: X1, title: t, lead: A, start: 1, end: 2}\n"
	              "deliverables:\n  - {id: X1, title: d, wp: WP1, due: 3}\n"
	              "milestones:\n  - {id: WP1, title: m, wp: WP1, due: 3}\n");
	struct project p;
	struct diags d = {0};
	cr_assert_eq(load_str(sbuf_str(&b), &p, &d), -1);
	char *txt = all_diags(&d);
	cr_expect(has_msg(&d, "id 'X1' is already used by a task"), "%s", txt);
	cr_expect(has_msg(&d, "id 'WP1' is already used by a work package"), "%s", txt);
	cr_expect_eq(d.nerrors, 2, "%s", txt);
	free(txt);
	sbuf_free(&b);
	diags_free(&d);
}

/* ---- hostile input: an error, never a crash, a hang or a blow-up -------- */

static void expect_refused(const char *what, const char *buf, size_t len, const char *needle)
{
	struct project p;
	struct diags d = {0};
	int rc = load_project_mem(what, buf, len, &p, &d);
	char *txt = all_diags(&d);
	cr_assert_eq(rc, -1, "%s: accepted", what);
	cr_assert_geq(d.nerrors, 1, "%s", what);
	cr_assert_eq(p.npartners, 0);
	if (needle)
		cr_assert(has_msg(&d, needle), "%s: no '%s' among:%s", what, needle, txt);
	free(txt);
	diags_free(&d);
}

Test(hostile, empty, .timeout = 10)
{
	expect_refused("empty", "", 0, "empty");
	expect_refused("comments only", "# nothing\n", 10, "empty");
	expect_refused("empty document", "---\n", 4, "empty");
}

Test(hostile, binary, .timeout = 10)
{
	char buf[4096];
	unsigned x = 12345;
	for (size_t i = 0; i < sizeof buf; i++) {
		x = x * 1103515245u + 12345u;
		buf[i] = (char)(x >> 16);
	}
	expect_refused("binary", buf, sizeof buf, NULL);
}

Test(hostile, invalid_utf8, .timeout = 10)
{
	const char s[] = "consort: 1\nproject:\n  acronym: A\xff\xfe\n";
	struct project p;
	struct diags d = {0};
	cr_assert_eq(load_project_mem("u.yaml", s, sizeof s - 1, &p, &d), -1);
	cr_assert(has_diag(&d, DIAG_ERROR, 3, 13, "invalid UTF-8"));
	diags_free(&d);
	expect_refused("overlong", "a: \xc0\xaf\n", 6, "invalid UTF-8");
	expect_refused("surrogate", "a: \xed\xa0\x80\n", 7, "invalid UTF-8");
	expect_refused("utf16 bom", "\xff\xfe" "c\0o\0", 6, NULL);
}

Test(hostile, nul_and_controls, .timeout = 10)
{
	const char s[] = "consort: 1\0\nproject: x\n";
	expect_refused("nul", s, sizeof s - 1, "NUL");
	expect_refused("escaped nul", "consort: \"1\\0\"\n", 15, "NUL");
	expect_refused("control", "consort: 1\x1b[2J\n", 15, "control character");
}

Test(hostile, top_level_not_a_mapping, .timeout = 10)
{
	expect_refused("list", "- consort: 1\n- project: x\n", 26, "expected a mapping at the top level");
	expect_refused("scalar", "consort\n", 8, "expected a mapping at the top level");
	expect_refused("flow list", "[1, 2, 3]", 9, "found a list");
}

static void nested(const char *open, const char *close, int depth, const char *needle)
{
	struct sbuf b = {0};
	for (int i = 0; i < depth; i++)
		sbuf_puts(&b, open);
	for (int i = 0; i < depth; i++)
		sbuf_puts(&b, close);
	expect_refused("deep", b.s, b.len, needle);
	sbuf_free(&b);
}

Test(hostile, deep_nesting, .timeout = 20)
{
	nested("[", "]", 10000, "nesting deeper than 64 levels");
	nested("{a: ", "}", 10000, "nesting deeper than 64 levels");
	struct sbuf b = {0};
	for (int i = 0; i < 10000; i++)
		sbuf_puts(&b, "- ");
	sbuf_puts(&b, "x\n");
	expect_refused("block", b.s, b.len, "nesting deeper than 64 levels");
	sbuf_free(&b);
	/* 64 levels are fine as YAML (and then wrong as a definition) */
	nested("[", "]", LOAD_MAX_DEPTH, "expected a mapping at the top level");
}

Test(hostile, billion_laughs, .timeout = 10)
{
	const char *s =
		"a: &a [\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\"]\n"
		"b: &b [*a,*a,*a,*a,*a,*a,*a,*a,*a]\n"
		"c: &c [*b,*b,*b,*b,*b,*b,*b,*b,*b]\n"
		"d: &d [*c,*c,*c,*c,*c,*c,*c,*c,*c]\n"
		"e: &e [*d,*d,*d,*d,*d,*d,*d,*d,*d]\n"
		"f: &f [*e,*e,*e,*e,*e,*e,*e,*e,*e]\n"
		"g: &g [*f,*f,*f,*f,*f,*f,*f,*f,*f]\n"
		"h: &h [*g,*g,*g,*g,*g,*g,*g,*g,*g]\n"
		"i: &i [*h,*h,*h,*h,*h,*h,*h,*h,*h]\n";
	expect_refused("laughs", s, strlen(s), "anchor 'a' is not allowed");
	expect_refused("laughs", s, strlen(s), "alias 'a' is not allowed");
	expect_refused("alias", "consort: 1\nx: *nope\n", 20, "alias 'nope'");
}

Test(hostile, huge_scalar, .timeout = 20)
{
	size_t n = 5u << 20;
	char *buf = xmalloc(n + 64);
	int k = snprintf(buf, 64, "consort: 1\nproject:\n  title: ");
	memset(buf + k, 'a', n);
	buf[k + n] = '\n';
	expect_refused("scalar", buf, (size_t)k + n + 1, "at most 65536 bytes");
	free(buf);
}

Test(hostile, huge_file, .timeout = 30)
{
	size_t n = 20u << 20;
	char *buf = xmalloc(n);
	for (size_t i = 0; i < n; i++)
		buf[i] = (i % 64 == 63) ? '\n' : '#';
	expect_refused("big", buf, n, "16 MiB");

	char dir[] = "/tmp/consort-test-XXXXXX";
	cr_assert_not_null(mkdtemp(dir));
	char *path = xasprintf("%s/big.yaml", dir);
	FILE *f = fopen(path, "wb");
	cr_assert_not_null(f);
	cr_assert_eq(fwrite(buf, 1, n, f), n);
	fclose(f);
	struct project p;
	struct diags d = {0};
	int io = -1;
	cr_assert_eq(load_project_file(path, &p, &d, &io), -1);
	cr_assert_eq(io, 0, "too big is bad data, not an I/O error");
	cr_assert(has_msg(&d, "16 MiB"));
	diags_free(&d);
	unlink(path);
	rmdir(dir);
	free(path);
	free(buf);
}

Test(hostile, multiple_documents, .timeout = 10)
{
	const char *s = "consort: 1\n---\nconsort: 1\n";
	struct project p;
	struct diags d = {0};
	cr_assert_eq(load_str(s, &p, &d), -1);
	cr_assert(has_diag(&d, DIAG_ERROR, 2, 1, "a second YAML document"));
	diags_free(&d);
	expect_refused("docs", "--- a\n--- b\n", 12, "a second YAML document");
}

Test(hostile, syntax_error_has_position, .timeout = 10)
{
	struct project p;
	struct diags d = {0};
	cr_assert_eq(load_str("consort: 1\nproject: {a: [\n", &p, &d), -1);
	cr_assert_eq(d.nerrors, 1);
	cr_assert_gt(d.v[0].line, 0);
	cr_assert(strncmp(d.v[0].msg, "invalid YAML: ", 14) == 0, "%s", d.v[0].msg);
	diags_free(&d);
	expect_refused("tab indent", "consort: 1\nproject:\n\tacronym: x\n", 31, "invalid YAML");
}

Test(io, missing_and_unreadable)
{
	struct project p;
	struct diags d = {0};
	int io = 0;
	cr_assert_eq(load_project_file("/nonexistent/consort.yaml", &p, &d, &io), -1);
	cr_assert_eq(io, ENOENT);
	cr_assert_eq(d.n, 1);
	cr_assert_eq(d.v[0].line, 0);
	char *s = diag_format(&d, &d.v[0]);
	cr_assert(strncmp(s, "/nonexistent/consort.yaml: error: ", 34) == 0, "%s", s);
	free(s);
	diags_free(&d);

	char dir[] = "/tmp/consort-test-XXXXXX";
	cr_assert_not_null(mkdtemp(dir));
	cr_assert_eq(load_project_file(dir, &p, &d, &io), -1);
	cr_assert_eq(io, EISDIR);
	diags_free(&d);
	cr_assert_eq(load_project_file(dir, &p, &d, NULL), -1, "io_errno may be NULL");
	diags_free(&d);
	rmdir(dir);
}

/* ---- a large generated definition --------------------------------------- */

Test(large, thousands_of_items, .timeout = 30)
{
	struct sbuf b = {0};
	sbuf_puts(&b, "consort: 1\nproject:\n  acronym: BIG\n  start: 2020-01-01\n"
	              "  end: 2024-12-31\npartners:\n");
	for (int i = 0; i < 60; i++)
		sbuf_printf(&b, "  - id: P%d\n    name: Partner %d\n    country: DE\n"
		                "    role: %s\n    users: [u%da, u%db]\n",
		            i, i, i == 0 ? "coordinator" : "partner", i, i);
	sbuf_puts(&b, "work_packages:\n");
	for (int w = 0; w < 100; w++) {
		sbuf_printf(&b, "  - id: WP%d\n    title: Work package %d\n    lead: P%d\n"
		                "    start: 1\n    end: 60\n    tasks:\n", w, w, w % 60);
		for (int t = 0; t < 20; t++)
			sbuf_printf(&b, "      - id: T%d.%d\n        title: Task %d.%d\n"
			                "        lead: P%d\n        participants: [P%d, P%d]\n"
			                "        start: %d\n        end: %d\n",
			            w, t, w, t, (w + t) % 60, (w + t + 1) % 60, (w + t + 2) % 60,
			            1 + t, 40 + t);
	}
	sbuf_puts(&b, "deliverables:\n");
	for (int i = 0; i < 500; i++)
		sbuf_printf(&b, "  - id: D%d.%d\n    title: Deliverable %d\n    wp: WP%d\n"
		                "    lead: P%d\n    type: R\n    dissemination: PU\n    due: %d\n",
		            i / 5, i % 5, i, i / 5, i % 60, 1 + i % 60);
	sbuf_puts(&b, "milestones:\n");
	for (int i = 0; i < 200; i++)
		sbuf_printf(&b, "  - {id: MS%d, title: M, wp: [WP%d, WP%d], due: %d}\n", i, i % 100,
		            (i + 1) % 100, 1 + i % 60);
	struct project p;
	struct diags d = {0};
	int rc = load_project_mem("big.yaml", b.s, b.len, &p, &d);
	char *txt = d.n ? all_diags(&d) : xstrdup("");
	cr_assert_eq(rc, 0, "%.2000s", txt);
	cr_assert_eq(d.n, 0, "%.2000s", txt);
	cr_assert_eq(p.npartners, 60);
	cr_assert_eq(p.nwps, 100);
	cr_assert_eq(p.ntasks, 2000);
	cr_assert_eq(p.ndeliverables, 500);
	cr_assert_eq(p.nmilestones, 200);
	cr_assert_eq(p.nmonths, 60);
	cr_assert_eq(project_task(&p, "T99.19"), 1999);
	cr_assert_eq(p.tasks[1999].wp, 99);
	cr_assert_eq(project_user_partner(&p, "u59b"), 59);

	/* The id index the loader builds answers as the linear search does:
	 * every id of every kind, ids of another kind, ids that are absent. */
	cr_assert_not_null(p.index);
	char **probe = xcalloc(2000 + 500 + 200 + 60 + 100 + 8, sizeof *probe);
	int np = 0;
	for (int i = 0; i < p.ntasks; i++)
		probe[np++] = xstrdup(p.tasks[i].id);
	for (int i = 0; i < p.ndeliverables; i++)
		probe[np++] = xstrdup(p.deliverables[i].id);
	for (int i = 0; i < p.nmilestones; i++)
		probe[np++] = xstrdup(p.milestones[i].id);
	for (int i = 0; i < p.npartners; i++)
		probe[np++] = xstrdup(p.partners[i].id);
	for (int i = 0; i < p.nwps; i++)
		probe[np++] = xstrdup(p.wps[i].id);
	const char *absent[] = { "", "T100.0", "t1.1", "P60", "WP", "D99.5", "MS200", "T1.1 " };
	for (size_t i = 0; i < sizeof absent / sizeof *absent; i++)
		probe[np++] = xstrdup(absent[i]);
	int (*const look[])(const struct project *, const char *) = {
		project_partner, project_wp, project_task, project_deliverable, project_milestone,
	};
	const int nlook = (int)(sizeof look / sizeof *look);
	int *indexed = xcalloc((size_t)np * (size_t)nlook, sizeof *indexed);
	for (int k = 0; k < np; k++)
		for (int f = 0; f < nlook; f++)
			indexed[k * nlook + f] = look[f](&p, probe[k]);
	cr_assert_eq(indexed[(2000 - 1) * nlook + 2], 1999, "T99.19 as a task");
	cr_assert_eq(indexed[(2000 - 1) * nlook + 3], -1, "T99.19 as a deliverable");
	cr_assert_eq(indexed[(np - 1) * nlook + 2], -1, "an absent id");
	int *item_at = xcalloc((size_t)np, sizeof *item_at);
	enum item_kind *item_kind = xcalloc((size_t)np, sizeof *item_kind);
	for (int k = 0; k < np; k++)
		item_kind[k] = project_item(&p, probe[k], &item_at[k]);
	cr_assert_eq(item_kind[0], ITEM_TASK);
	cr_assert_eq(item_kind[np - 1], ITEM_NONE);
	struct id_index *ix = p.index;
	p.index = NULL;   /* the linear search */
	for (int k = 0; k < np; k++) {
		for (int f = 0; f < nlook; f++)
			cr_assert_eq(look[f](&p, probe[k]), indexed[k * nlook + f],
			             "lookup %d of '%s': %d with the index, %d without", f, probe[k],
			             indexed[k * nlook + f], look[f](&p, probe[k]));
		int at;
		cr_assert_eq(project_item(&p, probe[k], &at), item_kind[k], "project_item of '%s'",
		             probe[k]);
		cr_assert_eq(at, item_at[k], "project_item of '%s': index", probe[k]);
	}
	p.index = ix;
	free(item_at);
	free(item_kind);
	cr_assert_eq(project_partner(&p, NULL), -1);
	for (int k = 0; k < np; k++)
		free(probe[k]);
	free(probe);
	free(indexed);
	free(txt);
	project_free(&p);
	diags_free(&d);

	/* and the same with every task id duplicated: errors, still quick */
	struct sbuf b2 = {0};
	sbuf_puts(&b2, b.s);
	sbuf_puts(&b2, "targets:\n");
	for (int i = 0; i < 2000; i++)
		sbuf_printf(&b2, "  - {id: t%d, title: T, kind: count, target: 0}\n", i);
	cr_assert_eq(load_project_mem("big2.yaml", b2.s, b2.len, &p, &d), -1);
	cr_assert_eq(d.nerrors, 2000);
	cr_assert_leq(d.n, 501, "diagnostics kept are bounded");
	sbuf_free(&b2);
	diags_free(&d);
	sbuf_free(&b);
}

/* Who leads a deliverable or milestone: its own lead, else its (first) WP's. */
Test(model, due_lead_and_partner_id)
{
	static const char def[] =
		"consort: 1\n"
		"project: {acronym: X, start: 2020-01-01, end: 2020-12-31}\n"
		"partners:\n"
		"  - {id: A, name: A, role: coordinator}\n"
		"  - {id: B, name: B}\n"
		"work_packages:\n"
		"  - {id: WP1, title: T, lead: B, start: 1, end: 12}\n"
		"deliverables:\n"
		"  - {id: D1, title: T, wp: WP1, due: 3}\n"
		"  - {id: D2, title: T, wp: WP1, lead: A, due: 3}\n"
		"milestones:\n"
		"  - {id: M1, title: T, wp: WP1, due: 3}\n"
		"  - {id: M2, title: T, wp: WP1, lead: A, due: 3}\n";
	struct project p = {0};
	struct diags d = {0};
	cr_assert_eq(load_project_mem("x.yaml", def, sizeof def - 1, &p, &d), 0);
	int a = project_partner(&p, "A"), b = project_partner(&p, "B");
	cr_assert_eq(project_due_lead(&p, ITEM_DELIVERABLE, project_deliverable(&p, "D1")), b);
	cr_assert_eq(project_due_lead(&p, ITEM_DELIVERABLE, project_deliverable(&p, "D2")), a);
	cr_assert_eq(project_due_lead(&p, ITEM_MILESTONE, project_milestone(&p, "M1")), b);
	cr_assert_eq(project_due_lead(&p, ITEM_MILESTONE, project_milestone(&p, "M2")), a);
	cr_assert_str_eq(project_partner_id(&p, b, "-"), "B");
	cr_assert_str_eq(project_partner_id(&p, -1, "-"), "-");
	cr_assert_str_eq(project_partner_id(&p, 2, ""), "");
	project_free(&p);
	diags_free(&d);
}
