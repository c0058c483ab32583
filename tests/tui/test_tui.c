/* Unit tests of the dashboard: the key table that binds keys and feeds the
 * help and the footer, and off-screen rendering (tui_snapshot) of a small
 * definition without a log: every pane at several sizes, tiny sizes, hostile
 * and wide text shown inert and aligned. */
#include "config.h"

#include <criterion/criterion.h>
#include <locale.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "core/load.h"
#include "core/plan.h"
#include "core/text.h"
#include "tui/entry_words.h"
#include "tui/app.h"

/* The partners of the test definitions: alice the coordinator's, bob a
 * partner's. */
#define PARTNERS \
	"partners:\n" \
	"  - id: P1\n" \
	"    name: First\n" \
	"    role: coordinator\n" \
	"    users: [alice]\n" \
	"  - id: P2\n" \
	"    name: Second\n" \
	"    role: partner\n" \
	"    users: [bob]\n"

static const char defn[] =
	"consort: 1\n"
	"project:\n"
	"  acronym: TESTPROJ\n"
	"  title: A test project\n"
	"  start: 2016-01-01\n"
	"  end: 2016-12-31\n"
	PARTNERS
	"work_packages:\n"
	"  - id: WP1\n"
	"    title: \"J\\u0101nis T\\u00f5nu \\u00c5sa \\e[2J\\a\"\n"
	"    lead: P1\n"
	"    start: 1\n"
	"    end: 12\n"
	"    tasks:\n"
	"      - id: T1.1\n"
	"        title: Only task\n"
	"        lead: P2\n"
	"        start: 1\n"
	"        end: 6\n"
	"        description: A long description that cannot fit on one line of a narrow screen, so that the\n"
	"          details must wrap it onto further lines rather than cut it, down to its last word zanzibar.\n"
	"deliverables:\n"
	"  - id: D1.1\n"
	"    title: Report\n"
	"    wp: WP1\n"
	"    due: 3\n"
	"targets:\n"
	"  - id: smes\n"
	"    title: SMEs reached\n"
	"    kind: count\n"
	"    target: 100\n";

static struct project proj;
static struct identity ident;
static struct tui_ctx ctx;

static void setup(void)
{
	/* The harness runs tests under a UTF-8 locale; curses needs it set. */
	cr_assert_not_null(setlocale(LC_ALL, "C.UTF-8"), "the C.UTF-8 locale is needed");
	struct diags d;
	memset(&d, 0, sizeof d);
	memset(&proj, 0, sizeof proj);
	int rc = load_project_mem("test.yaml", defn, sizeof defn - 1, &proj, &d);
	for (size_t i = 0; i < d.n; i++) {
		char *line = diag_format(&d, &d.v[i]);
		fprintf(stderr, "%s\n", line);
		free(line);
	}
	diags_free(&d);
	cr_assert_eq(rc, 0, "the test definition must load");
	identity_for(&proj, "alice", 1000, &ident);
	memset(&ctx, 0, sizeof ctx);
	ctx.p = &proj;
	ctx.id = &ident;
	ctx.today = date_from_ymd(2016, 4, 15);
	ctx.asof = date_from_ymd(2016, 3, 31);
}

static void teardown(void)
{
	project_free(&proj);
}

/* Render into a string. */
static char *render(int cols, int rows, const char *pane, int *rc)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);
	cr_assert_not_null(f);
	struct err e = {0};
	*rc = tui_snapshot(&ctx, cols, rows, pane, f, &e);
	fclose(f);
	return buf;
}

static int count_lines(const char *s)
{
	int n = 0;
	for (; *s; s++)
		n += *s == '\n';
	return n;
}

TestSuite(keys);


Test(keys, every_binding_is_described_and_unique)
{
	for (size_t i = 0; i < keys_count; i++) {
		cr_assert_neq(keys_table[i].act, ACT_NONE);
		cr_assert(actions[keys_table[i].act].help && actions[keys_table[i].act].help[0],
		          "key %s has no description", keys_table[i].name);
		for (size_t j = i + 1; j < keys_count; j++)
			cr_assert_neq(keys_table[i].key, keys_table[j].key, "key %s bound twice", keys_table[i].name);
	}
	cr_assert_eq(keys_action('q'), ACT_QUIT);
	cr_assert_eq(keys_action('?'), ACT_HELP);
	cr_assert_eq(keys_action(KEY_BTAB), ACT_PREV_PANE);
	cr_assert_eq(keys_action('['), ACT_MONTH_BACK);
	cr_assert_eq(keys_action('x'), ACT_NONE);
	cr_assert_eq(keys_action('B'), ACT_LABEL);
}

Test(keys, footer_fits_and_keeps_help_and_quit)
{
	struct app a;
	memset(&a, 0, sizeof a);
	for (int pane = 0; pane < NPANES; pane++)
		for (int w = 20; w <= 200; w += 30) {
			a.cur = pane;
			struct sbuf b = {0};
			keys_footer(&a, &b, w);
			cr_assert_leq((int)strlen(sbuf_str(&b)) - 8, w, "footer too wide at %d", w); /* arrows are 3 bytes */
			if (w >= 80) {
				cr_assert_not_null(strstr(sbuf_str(&b), "? help"), "pane %d width %d: %s", pane, w, sbuf_str(&b));
				cr_assert_not_null(strstr(sbuf_str(&b), "q quit"));
			}
			sbuf_free(&b);
		}
	a.cur = PANE_DELIV;
	struct sbuf b = {0};
	keys_footer(&a, &b, 200);
	cr_assert_not_null(strstr(sbuf_str(&b), "s sort"), "the sort hint shows in the deliverables pane");
	sbuf_free(&b);
	a.cur = PANE_WP;
	keys_footer(&a, &b, 200);
	cr_assert_null(strstr(sbuf_str(&b), "s sort"), "but not in the WP pane");
	sbuf_free(&b);
}

TestSuite(snapshot, .init = setup, .fini = teardown);

Test(snapshot, every_pane_at_every_size)
{
	const char *panes[] = {NULL, "wp", "deliverables", "reach", "benchmarks", "timeline", "activity",
	                       "resources", "help",
	                       "details:WP1", "details:T1.1", "details:D1.1", "details:smes"};
	const int sizes[][2] = {{80, 24}, {120, 40}, {200, 60}, {60, 15}};
	for (size_t s = 0; s < sizeof sizes / sizeof sizes[0]; s++)
		for (size_t i = 0; i < sizeof panes / sizeof panes[0]; i++) {
			int rc;
			char *out = render(sizes[s][0], sizes[s][1], panes[i], &rc);
			cr_assert_eq(rc, 0, "pane %s", panes[i] ? panes[i] : "layout");
			cr_assert_eq(count_lines(out), sizes[s][1]);
			cr_assert_not_null(strstr(out, "TESTPROJ"));
			cr_assert_not_null(strstr(out, "M3 of 12"), "%s", out);
			cr_assert_not_null(strstr(out, "AS OF 2016-03-31"));
			cr_assert_not_null(strstr(out, "alice"));
			cr_assert_not_null(strstr(out, "log empty"));
			cr_assert_null(strchr(out, '\033'), "no escape reaches the screen");
			cr_assert_null(strchr(out, '\a'));
			free(out);
		}
}

Test(snapshot, hostile_and_wide_text_is_inert_and_aligned)
{
	int rc;
	char *out = render(100, 30, "wp", &rc);
	cr_assert_eq(rc, 0);
	/* The title's escape shows as a control picture; the bell too. */
	cr_assert_not_null(strstr(out, "\xe2\x90\x9b[2J"), "%s", out);
	/* The lead column starts at the same display column on the WP and
	 * the task row, though the WP's title has multi-byte letters. */
	char *wp = strstr(out, "WP1");
	char *task = strstr(out, "T1.1");
	cr_assert(wp && task);
	char *wp_end = strchr(wp, '\n'), *lead_wp = strstr(wp, " P1 ");
	char *lead_t = strstr(task, " P2 ");
	cr_assert(lead_wp && lead_wp < wp_end && lead_t);
	char *wl = wp, *tl = task;
	while (wl > out && wl[-1] != '\n')
		wl--;
	while (tl > out && tl[-1] != '\n')
		tl--;
	char a[256], b[256];
	snprintf(a, sizeof a, "%.*s", (int)(lead_wp - wl), wl);
	snprintf(b, sizeof b, "%.*s", (int)(lead_t - tl), tl);
	cr_assert_eq(text_width(a), text_width(b), "columns differ: '%s' vs '%s'", a, b);
	free(out);
}

Test(snapshot, tiny_sizes_and_bad_arguments)
{
	int rc;
	char *out = render(1, 1, NULL, &rc);
	cr_assert_eq(rc, 0);
	cr_assert_eq(count_lines(out), 1);
	free(out);
	out = render(59, 20, NULL, &rc);
	cr_assert_eq(rc, 0);
	cr_assert_not_null(strstr(out, "terminal too small (need 60x15)"));
	free(out);
	out = render(80, 24, "nosuch", &rc);
	cr_assert_eq(rc, -1);
	free(out);
	out = render(0, 24, NULL, &rc);
	cr_assert_eq(rc, -1);
	free(out);
	out = render(80, 24, "details:NOPE", &rc);
	cr_assert_eq(rc, -1);
	free(out);
}

Test(snapshot, ascii_mode_draws_ascii_only)
{
	ctx.ascii = 1;
	int rc;
	char *out = render(120, 40, "timeline", &rc);
	cr_assert_eq(rc, 0);
	for (const char *s = out; *s; s++)
		cr_assert_lt((unsigned char)*s, 0x80, "non-ASCII byte in ASCII mode");
	cr_assert_not_null(strstr(out, "#"));
	free(out);
}

Test(snapshot, the_grid_shows_every_pane_at_once)
{
	int rc;
	char *out = render(200, 60, NULL, &rc);
	cr_assert_eq(rc, 0);
	const char *titles[] = {"1 Work packages", "2 Deliverables", "3 Reach", "4 Benchmarks", "5 Timeline",
	                        "6 Activity", "7 Resources"};
	for (size_t i = 0; i < 7; i++)
		cr_assert_not_null(strstr(out, titles[i]), "%s missing", titles[i]);
	free(out);
	out = render(120, 40, NULL, &rc);
	cr_assert_eq(rc, 0);
	cr_assert_not_null(strstr(out, "[1 Work packages]"), "below the grid size: tabs");
	free(out);
}

Test(keys, footer_at_80_columns_keeps_time_find_and_filter)
{
	struct app a;
	memset(&a, 0, sizeof a);
	/* The width the footer has on an 80-column screen. */
	for (int pane = 0; pane < NPANES; pane++) {
		a.cur = pane;
		struct sbuf b = {0};
		keys_footer(&a, &b, 78);
		const char *f = sbuf_str(&b);
		cr_assert_not_null(strstr(f, "[ ] month"), "pane %d: %s", pane, f);
		cr_assert_not_null(strstr(f, "t today"), "pane %d: %s", pane, f);
		cr_assert_not_null(strstr(f, "/ find"), "pane %d: %s", pane, f);
		cr_assert_not_null(strstr(f, "? help"), "pane %d: %s", pane, f);
		cr_assert_not_null(strstr(f, "q quit"), "pane %d: %s", pane, f);
		if (pane != PANE_BENCH && pane != PANE_DELIV && pane != PANE_RESOURCES)
			cr_assert_not_null(strstr(f, "f filter"), "pane %d: %s", pane, f);
		if (pane == PANE_BENCH)
			cr_assert_not_null(strstr(f, "B label"), "%s", f);
		if (pane == PANE_RESOURCES) {
			cr_assert_not_null(strstr(f, "e effort"), "%s", f);
			cr_assert_not_null(strstr(f, "$ cost"), "%s", f);
		}
		sbuf_free(&b);
	}
}

/* The line of out that holds needle, copied into buf. */
static const char *line_with(const char *out, const char *needle, char *buf, size_t n)
{
	const char *hit = strstr(out, needle);
	if (!hit)
		return NULL;
	const char *b = hit, *e = strchr(hit, '\n');
	while (b > out && b[-1] != '\n')
		b--;
	snprintf(buf, n, "%.*s", (int)((e ? e : hit + strlen(hit)) - b), b);
	return buf;
}

Test(snapshot, deliverables_keep_wp_and_lead_at_80_columns)
{
	int rc;
	char *out = render(80, 24, "deliverables", &rc);
	cr_assert_eq(rc, 0);
	char line[512];
	cr_assert_not_null(line_with(out, "Title (by due", line, sizeof line));
	cr_assert_not_null(strstr(line, " WP "), "%s", line);
	cr_assert_not_null(strstr(line, "Lead"), "%s", line);
	cr_assert_not_null(line_with(out, "D1.1", line, sizeof line));
	cr_assert_not_null(strstr(line, "WP1"), "%s", line);
	cr_assert_not_null(strstr(line, "P1"), "%s", line);
	free(out);
}

Test(snapshot, too_small_still_shows_each_wp)
{
	int rc;
	char *out = render(59, 20, NULL, &rc);
	cr_assert_eq(rc, 0);
	char line[256];
	cr_assert_not_null(line_with(out, "too small", line, sizeof line));
	cr_assert_not_null(strstr(line, "terminal too small (need 60x15)"));
	cr_assert_not_null(line_with(out, "WP1", line, sizeof line), "%s", out);
	cr_assert_not_null(strstr(line, "%"), "%s", line);
	cr_assert_not_null(strstr(line, "at risk"), "%s", line);
	free(out);
	/* Narrow: each line cut to the width, nothing wraps. */
	out = render(12, 3, NULL, &rc);
	cr_assert_eq(rc, 0);
	cr_assert_eq(count_lines(out), 3);
	for (const char *l = out; *l;) {
		const char *e = strchr(l, '\n');
		char buf[128];
		snprintf(buf, sizeof buf, "%.*s", (int)(e - l), l);
		cr_assert_leq(text_width(buf), 12, "'%s'", buf);
		l = e + 1;
	}
	cr_assert_not_null(strstr(out, "WP1"), "%s", out);
	free(out);
}

Test(snapshot, help_wraps_every_description_in_full)
{
	int rc;
	char *out = render(80, 120, "help", &rc);
	cr_assert_eq(rc, 0);
	for (int k = ACT_NONE + 1; k < NACTIONS; k++) {
		char words[256];
		snprintf(words, sizeof words, "%s", actions[k].help);
		char *save = NULL;
		for (char *w = strtok_r(words, " ", &save); w; w = strtok_r(NULL, " ", &save))
			cr_assert_not_null(strstr(out, w), "help at 80 columns lost '%s' of '%s'", w, actions[k].help);
	}
	cr_assert_not_null(strstr(out, "started)."), "the legend is whole");
	free(out);
	/* Short screens say how much there is. */
	out = render(80, 24, "help", &rc);
	cr_assert_eq(rc, 0);
	cr_assert_not_null(strstr(out, "lines 1-"), "%s", out);
	free(out);
}

Test(snapshot, the_asof_line_shows_over_bars)
{
	int rc;
	char line[512];
	/* Mid-month, where no deliverable mark sits: the WP1 bar (M1-M12)
	 * covers the date. */
	ctx.asof = date_from_ymd(2016, 3, 15);
	char *out = render(120, 40, "timeline", &rc);
	cr_assert_eq(rc, 0);
	cr_assert_not_null(line_with(out, "WP1 ", line, sizeof line));
	cr_assert_not_null(strstr(line, "\u2503"), "%s", line);
	free(out);
	ctx.ascii = 1;
	out = render(120, 40, "timeline", &rc);
	cr_assert_eq(rc, 0);
	cr_assert_not_null(line_with(out, "WP1 ", line, sizeof line));
	/* WP1 has no progress: its bar is all '-', and the line cuts it. */
	char *bar = strchr(line + 30, '-');
	cr_assert_not_null(bar, "%s", line);
	char *mark = strchr(bar, '|');
	cr_assert_not_null(mark, "the date line crosses the bar: %s", line);
	cr_assert(mark[-1] == '-' && (mark[1] == '-' || mark[1] == '^'), "%s", line);
	free(out);
}

Test(snapshot, details_wrap_the_description_in_full)
{
	int rc;
	char *out = render(80, 24, "details:T1.1", &rc);
	cr_assert_eq(rc, 0);
	cr_assert_not_null(strstr(out, "zanzibar."), "%s", out);
	cr_assert_not_null(strstr(out, "A long description"), "%s", out);
	free(out);
}

Test(snapshot, reloading_the_definition_finds_the_login_again)
{
	/* bob was in P1 under the old definition; the new one lists him in P2,
	 * a partner without the coordinator's role. */
	identity_for(&proj, "bob", 1001, &ident);
	ident.partner = 0;
	ident.coordinator = 1;
	app_identity_renew(&ctx, app_identity_granted(&ctx));
	cr_assert_eq(ident.partner, 1, "bob is in P2 now, found partner %d", ident.partner);
	cr_assert_eq(ident.coordinator, 0, "P2 is not the coordinator");
	/* The demo's grant survives a reload. */
	ctx.demo = 1;
	ident.coordinator = 1;
	app_identity_renew(&ctx, app_identity_granted(&ctx));
	cr_assert_eq(ident.partner, proj.coordinator);
	cr_assert_eq(ident.coordinator, 1);
	ctx.demo = 0;
}

Test(keys, an_entry_in_words)
{
	static const struct { const char *kind, *value, *words; } cases[] = {
		{"progress", "40", "40%"}, {"label", "gold", "label gold"},
		{"revert", "12", "undo #12"}, {"bench", "3", "= 3"}, {"status", "drafting", "drafting"},
		{"effort", "2017-03:1.25", "1.25 PM in 2017-03"}, {"cost", "120.50:WP3", "120.50 on WP3"},
		{"cost", "-3.00", "-3.00"},
	};
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		struct entry en;
		memset(&en, 0, sizeof en);
		en.kind = (char *)cases[i].kind;
		en.value = (char *)cases[i].value;
		struct sbuf b = {0};
		activity_what(&en, &b);
		cr_assert_str_eq(sbuf_str(&b), cases[i].words);
		sbuf_free(&b);
	}
}

Test(snapshot, a_form_that_cannot_open_says_why_and_stays_closed)
{
	struct app a;
	memset(&a, 0, sizeof a);
	a.t = &ctx;
	char why[256] = "";
	struct ref r = {R_TASK, 0, 0};
	cr_assert_eq(dialog_open(&a, W_UPDATE, r, why, sizeof why), -1);
	cr_assert(strstr(why, "no log is open"), "found '%s'", why);
	cr_assert_eq(a.dlg.open, 0);
	ident.partner = -1;
	cr_assert_eq(dialog_open(&a, W_RECORD, r, why, sizeof why), -1);
	cr_assert(strstr(why, "read-only: alice is not listed in the plan"), "found '%s'", why);
	cr_assert_eq(a.dlg.open, 0);
}

/* A read-only user is offered no write key: the footer leaves them out and
 * says why; a partner's user gets no form for an item its partner has no
 * part in, and a refusal wider than a line wraps between words. */
Test(snapshot, only_what_the_user_may_do)
{
	struct app a;
	memset(&a, 0, sizeof a);
	a.t = &ctx;
	int saved = ident.partner, coord = ident.coordinator;
	ident.partner = -1;
	ident.coordinator = 0;
	cr_assert_eq(keys_allowed(&a, ACT_UPDATE), 0);
	cr_assert_eq(keys_allowed(&a, ACT_COMMENT), 0);
	cr_assert_eq(keys_allowed(&a, ACT_HELP), 1);
	struct sbuf b = {0};
	a.cur = PANE_WP;
	keys_footer(&a, &b, 200);
	cr_assert_null(strstr(sbuf_str(&b), "u update"), "%s", sbuf_str(&b));
	cr_assert_null(strstr(sbuf_str(&b), "+ reach"), "%s", sbuf_str(&b));
	cr_assert_not_null(strstr(sbuf_str(&b), "q quit"));
	sbuf_free(&b);
	char ro[160];
	cr_assert_str_eq(keys_readonly_why(&a, ro, sizeof ro), "read-only: alice is not listed in the plan");
	/* A partner's user (P2 leads T1.1, not D1.1's WP): a label is not
	 * offered, and D1.1's form does not open. */
	ident.partner = 1;
	cr_assert_eq(keys_allowed(&a, ACT_LABEL), 0);
	cr_assert_eq(keys_allowed(&a, ACT_UPDATE), 1);
	struct store *s0 = ctx.s;
	char why[512] = "";
	struct ref r = {R_DELIV, 0, 0};
	ctx.s = (struct store *)1; /* any log: the permission comes first */
	cr_assert_eq(dialog_open(&a, W_UPDATE, r, why, sizeof why), -1);
	ctx.s = s0;
	cr_assert(strstr(why, "may not update D1.1"), "found '%s'", why);
	cr_assert_eq(a.dlg.open, 0);
	/* c opens a comment form on the selected item, the WP included. */
	ctx.s = (struct store *)1;
	struct ref wp = {R_WP, 0, 0};
	cr_assert_eq(dialog_open(&a, W_NOTE, wp, why, sizeof why), 0, "%s", why);
	ctx.s = s0;
	cr_assert_str_eq(a.dlg.title, "Comment on WP1");
	cr_assert_eq(a.dlg.op, W_NOTE);
	dialog_close(&a);
	/* Wrapped at 20 columns: no line longer, no word cut. */
	int n = ui_wrap(&a, 0, 0, 20, 0, T_BAD, why, 0);
	cr_assert_gt(n, 1);
	ident.partner = saved;
	ident.coordinator = coord;
}

Test(keys, columns_are_placed_left_to_right)
{
	struct column c[] = {
		{"Id", 5, 1, 0}, {"Hidden", 0, 0, 0}, {"Title", 10, 2, 0}, {"Rest", -1, 0, 0},
	};
	cr_assert_eq(columns_width(c, 4), 18);
	columns_place(c, 4, 4, 40);
	cr_assert_eq(c[0].x, 4);
	cr_assert_eq(c[1].x, 10);
	cr_assert_eq(c[2].x, 10);
	cr_assert_eq(c[3].x, 22);
	cr_assert_eq(c[3].w, 18, "the last column fills to the edge, found %d", c[3].w);
}

Test(keys, every_action_has_a_key_and_words)
{
	for (int k = ACT_NONE + 1; k < NACTIONS; k++) {
		size_t j = 0;
		while (j < keys_count && keys_table[j].act != (enum action)k)
			j++;
		cr_assert_lt(j, keys_count, "action %d has no key", k);
		cr_assert(actions[k].context && actions[k].help && actions[k].help[0], "action %d has no help", k);
		cr_assert(!actions[k].rank || actions[k].hint, "action %d ranks a hint it does not have", k);
	}
}

/* The first plan the test definition was amended from: D1.1 due in M2, T1.1
 * in M1-M4, and a task and a deliverable the amendment removed. */
static const char first_defn[] =
	"consort: 1\n"
	"project:\n"
	"  acronym: TESTPROJ\n"
	"  start: 2016-01-01\n"
	"  end: 2016-12-31\n"
	PARTNERS
	"work_packages:\n"
	"  - id: WP1\n"
	"    title: Only WP\n"
	"    lead: P1\n"
	"    start: 1\n"
	"    end: 12\n"
	"    tasks:\n"
	"      - id: T1.1\n"
	"        title: Only task\n"
	"        lead: P2\n"
	"        start: 1\n"
	"        end: 4\n"
	"      - id: T1.0\n"
	"        title: Dropped task\n"
	"        lead: P1\n"
	"        start: 2\n"
	"        end: 5\n"
	"deliverables:\n"
	"  - id: D1.1\n"
	"    title: Report\n"
	"    wp: WP1\n"
	"    due: 2\n"
	"  - id: D1.9\n"
	"    title: Dropped report\n"
	"    wp: WP1\n"
	"    due: 6\n";

static void load_first(struct project *p)
{
	struct diags d;
	memset(&d, 0, sizeof d);
	memset(p, 0, sizeof *p);
	cr_assert_eq(load_project_mem("first.yaml", first_defn, sizeof first_defn - 1, p, &d), 0);
	diags_free(&d);
}

Test(snapshot, derive_compares_the_plan_with_its_first_version)
{
	struct project first;
	load_first(&first);
	struct baseline b;
	derive_baseline(&first, &proj, 1, &b);
	cr_assert_eq(b.version, 1);
	cr_assert(b.deliverables[0].moved);
	cr_assert_eq(b.deliverables[0].was_due, 2);
	cr_assert(!b.wps[0].moved, "WP1 keeps its months");
	cr_assert(b.tasks[0].moved);
	cr_assert_eq(b.tasks[0].was_start, 1);
	cr_assert_eq(b.tasks[0].was_end, 4);
	cr_assert_eq(b.nmoved, 2);
	cr_assert_eq(b.nadded, 0);
	cr_assert_eq(b.nremoved, 2);
	cr_assert_str_eq(b.removed[0].id, "T1.0");
	cr_assert_eq(b.removed[0].start, 2);
	cr_assert_str_eq(b.removed[1].id, "D1.9");
	cr_assert_eq(b.removed[1].due, 6);
	char buf[64];
	cr_assert_str_eq(derive_due_words(3, &b.deliverables[0], buf, sizeof buf), "M3 (was M2)");
	cr_assert_str_eq(derive_range_words(&b.tasks[0], buf, sizeof buf), "was M1-M4");
	baseline_free(&b);
	/* The other way round the task and deliverable are new. */
	derive_baseline(&proj, &first, 2, &b);
	cr_assert_eq(b.nadded, 2);
	cr_assert(b.tasks[1].added);
	cr_assert_str_eq(derive_range_words(&b.tasks[1], buf, sizeof buf), "new");
	cr_assert_str_eq(derive_due_words(6, &b.deliverables[1], buf, sizeof buf), "M6");
	baseline_free(&b);
	project_free(&first);
}

Test(snapshot, a_moved_due_month_says_was_with_the_view_on_or_off)
{
	struct project first;
	load_first(&first);
	ctx.baseline_def = &first;
	char buf[512];
	int rc;
	char *out = render(120, 30, "deliverables", &rc);
	cr_assert_eq(rc, 0);
	cr_assert_not_null(line_with(out, "D1.1", buf, sizeof buf));
	cr_assert(strstr(buf, "M3 (was M2)"), "always marked: %s", buf);
	cr_assert_null(strstr(out, "D1.9"), "removed items only in the baseline view");
	free(out);
	ctx.baseline = 1;
	out = render(120, 30, "deliverables", &rc);
	cr_assert_not_null(line_with(out, "D1.9", buf, sizeof buf));
	cr_assert(strstr(buf, "removed"), "%s", buf);
	cr_assert(strstr(out, "baseline first.yaml"), "the header says the view is on");
	free(out);
	out = render(120, 30, "timeline", &rc);
	cr_assert(strstr(out, "was M1-M4"), "the ghost of T1.1 in words:\n%s", out);
	cr_assert_not_null(line_with(out, "T1.0", buf, sizeof buf));
	cr_assert(strstr(buf, "removed (was M2-M5)"), "%s", buf);
	free(out);
	out = render(120, 30, "details:D1.1", &rc);
	cr_assert(strstr(out, "Due M3 (was M2)"), "%s", out);
	free(out);
	ctx.baseline = 0;
	ctx.baseline_def = NULL;
	project_free(&first);
}

/* A log whose plan has two versions: the first plan, then the test
 * definition as an amendment of 2016-03-15 by alice; the dashboard reads
 * them from the log. */
static void record_plan(struct store *s, const char *text, size_t len, int version, const char *eff,
                        const char *note)
{
	struct project p;
	struct diags d;
	memset(&d, 0, sizeof d);
	cr_assert_eq(load_project_mem("v.yaml", text, len, &p, &d), 0);
	diags_free(&d);
	char dg[17], val[40];
	snprintf(val, sizeof val, "%d %s", version, plan_digest(text, len, dg));
	cdate day;
	cr_assert_eq(date_parse(eff, &day), 0);
	struct new_entry en = {day, "alice", 1000, "P1", NULL, "plan", val, note, 0};
	struct err e = {0};
	int64_t id;
	cr_assert_eq(store_append_plan(s, &en, version, text, len, &p, &id, &e), 0, "%s", e.msg);
	project_free(&p);
}

Test(snapshot, the_plan_in_the_log_marks_moves_lists_changes_and_sees_an_edited_file)
{
	char dir[] = "/tmp/consort-tui-plan-XXXXXX", db[64], yaml[64];
	cr_assert_not_null(mkdtemp(dir));
	snprintf(db, sizeof db, "%s/consort.db", dir);
	snprintf(yaml, sizeof yaml, "%s/consort.yaml", dir);
	struct store *s;
	struct err e = {0};
	cr_assert_eq(store_open(db, STORE_CREATE, &s, &e), 0, "%s", e.msg);
	record_plan(s, first_defn, sizeof first_defn - 1, 1, "2016-01-01", NULL);
	record_plan(s, defn, sizeof defn - 1, 2, "2016-03-15", "Report moved after the review");
	FILE *f = fopen(yaml, "w");
	cr_assert_not_null(f);
	fwrite(defn, 1, sizeof defn - 1, f);
	fclose(f);
	ctx.s = s;
	ctx.project_path = yaml;
	char buf[512];
	int rc;
	/* The file is the plan in force: no word of it; the move is marked
	 * with the view off. */
	char *out = render(120, 30, "deliverables", &rc);
	cr_assert_eq(rc, 0);
	cr_assert_null(strstr(out, "differs from the plan"), "%s", out);
	cr_assert_not_null(line_with(out, "D1.1", buf, sizeof buf));
	cr_assert(strstr(buf, "M3 (was M2)"), "%s", buf);
	free(out);
	out = render(200, 40, "details:D1.1", &rc);
	cr_assert_not_null(line_with(out, "plan v2 by alice", buf, sizeof buf), "%s", out);
	cr_assert(strstr(buf, "2016-03-15"), "%s", buf);
	cr_assert(strstr(buf, "due M2 (2016-02-29) -> M3 (2016-03-31)"), "%s", buf);
	cr_assert(strstr(buf, "\"Report moved after the review\""), "%s", buf);
	free(out);
	/* The baseline view against version 1 from the log. */
	ctx.baseline = 1;
	out = render(120, 30, "timeline", &rc);
	cr_assert(strstr(out, "baseline v1 (as signed)"), "%s", out);
	cr_assert(strstr(out, "was M1-M4"), "%s", out);
	free(out);
	ctx.baseline = 0;
	/* An edited file: the header says so. */
	f = fopen(yaml, "a");
	fputs("  - id: more\n    title: More\n    kind: count\n    target: 5\n", f);
	fclose(f);
	out = render(120, 30, "deliverables", &rc);
	cr_assert(strstr(out, "consort.yaml differs from the plan (v2)"), "%s", out);
	free(out);
	ctx.s = NULL;
	ctx.project_path = NULL;
	store_close(s);
	unlink(yaml);
	unlink(db);
	char side[80];
	snprintf(side, sizeof side, "%s-wal", db);
	unlink(side);
	snprintf(side, sizeof side, "%s-shm", db);
	unlink(side);
	cr_assert_eq(rmdir(dir), 0);
}
