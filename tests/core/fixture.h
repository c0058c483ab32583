/* The small project the store and write-path tests share, built by hand so
 * that those tests do not depend on the loader: three partners (LITC the
 * coordinator with user janis, NETPORT with anna, LLA with liene), two WPs
 * with a task each, two deliverables, a milestone, targets sme (count),
 * member-states and events (distinct), a benchmark of two indicators and
 * two clusters, 2016-01-01 to 2017-09-30. Include it once per test file. */
#ifndef CONSORT_TEST_FIXTURE_H
#define CONSORT_TEST_FIXTURE_H

#include "core/project.h"


static char *users_litc[] = { "janis" };
static char *users_net[] = { "anna" };
static char *users_lla[] = { "liene" };
static struct partner partners[] = {
	{ .id = "LITC", .coordinator = 1, .users = users_litc, .nusers = 1, .joined = 1, .left = 21 },
	{ .id = "NETPORT", .users = users_net, .nusers = 1, .joined = 1, .left = 21 },
	{ .id = "LLA", .users = users_lla, .nusers = 1, .joined = 1, .left = 21 },
};
static int t11_participants[] = { 1 };
static struct task tasks[] = {
	{ .id = "T1.1", .title = "Coordination", .wp = 0, .lead = 0,
	  .participants = t11_participants, .nparticipants = 1, .start = 1, .end = 21 },
	{ .id = "T4.1", .title = "Logistics", .wp = 1, .lead = 2, .start = 3, .end = 12 },
};
static struct wp wps[] = {
	{ .id = "WP1", .title = "Management", .lead = 0, .start = 1, .end = 21, .first_task = 0, .ntasks = 1 },
	{ .id = "WP4", .title = "Logistics", .lead = 2, .start = 3, .end = 12, .first_task = 1, .ntasks = 1 },
};
static struct deliverable deliverables[] = {
	{ .id = "D1.1", .title = "Plan", .wp = 0, .lead = -1, .due = 3 },
	{ .id = "D4.1", .title = "Report", .wp = 1, .lead = 2, .due = 12 },
};
static int ms1_wps[] = { 1 };
static struct milestone milestones[] = {
	{ .id = "MS1", .title = "Benchmarked", .wps = ms1_wps, .nwps = 1, .lead = -1, .due = 6 },
};
static struct target targets[] = {
	{ .id = "sme", .title = "SMEs reached", .unit = "companies", .kind = TARGET_COUNT, .target = 227 },
	{ .id = "member-states", .title = "EU Member States reached", .unit = "Member States",
	  .kind = TARGET_DISTINCT, .target = 18 },
	{ .id = "events", .title = "Events held", .kind = TARGET_DISTINCT, .target = 5 },
};
static char *labels[] = { "bronze", "silver", "gold" };
static struct indicator indicators[] = {
	{ .id = "G1", .area = "Governance", .title = "Team", .threshold = 3 },
	{ .id = "G2", .area = "Governance", .title = "Strategy", .threshold = 3 },
};
static struct bcluster clusters[] = {
	{ .partner = 0, .target_label = 2 },
	{ .partner = 1, .target_label = 1 },
};

/* The fixture with its first ntargets targets (1 to 3). */
static inline struct project fixture_project(int ntargets)
{
	return (struct project){
		.path = "test.yaml", .format = 1, .acronym = "TESTPROJ",
		.start = date_from_ymd(2016, 1, 1), .end = date_from_ymd(2017, 9, 30), .nmonths = 21,
		.partners = partners, .npartners = 3,
		.wps = wps, .nwps = 2, .tasks = tasks, .ntasks = 2,
		.deliverables = deliverables, .ndeliverables = 2,
		.milestones = milestones, .nmilestones = 1,
		.targets = targets, .ntargets = ntargets,
		.bench = { .present = 1, .scheme = "ESCA", .labels = labels, .nlabels = 3,
		           .pass_score = -1, .indicators = indicators, .nindicators = 2,
		           .clusters = clusters, .nclusters = 2 },
		.coordinator = 0,
	};
}

#endif
