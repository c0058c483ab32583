/* complete KIND [PREFIX]: the words the shell's completion offers, one a
 * line, in the definition's order, those starting with PREFIX. items:
 * work packages, tasks, deliverables, milestones and targets; updatable:
 * tasks, deliverables and milestones; the others by their names. Hidden
 * (not in the command list): data/completion/consort calls it. It loads
 * the definition only (through the same lookup and cache as every
 * command) and never opens the log, so that it answers at once; any
 * error prints nothing and exits 0, for a completion stays quiet. */
#include "config.h"

#include <string.h>

#include "cli/cli.h"

static int cmd_complete(struct cli *c, int argc, char **argv);

const struct cli_command cli_cmd_complete = {
	"complete", cmd_complete,
	"complete items|updatable|targets|partners|clusters|periods|indicators|labels [PREFIX]",
	"words for the shell's completion (used by data/completion/consort)",
	0,
};

static void word(const char *w, const char *prefix)
{
	if (w && strncmp(w, prefix, strlen(prefix)) == 0 && !strpbrk(w, " \t\n\r\033"))
		puts(w);
}

static int cmd_complete(struct cli *c, int argc, char **argv)
{
	char *pos[2];
	int npos = 0;
	const struct cli_opt opts[] = {{NULL, NULL, NULL}};
	int rc = cli_parse(c, &cli_cmd_complete, argc, argv, opts, pos, 2, &npos);
	if (rc || npos < 1)
		return rc ? rc : 0;
	const char *kind = pos[0], *prefix = npos > 1 ? pos[1] : "";
	/* Quiet: a completion must not print errors into the command line. */
	if (!freopen("/dev/null", "w", stderr))
		return 0;
	if (cli_load_project(c) != 0)
		return 0;
	const struct project *p = &c->proj;
	int all = strcmp(kind, "items") == 0, upd = strcmp(kind, "updatable") == 0;
	if (all)
		for (int i = 0; i < p->nwps; i++)
			word(p->wps[i].id, prefix);
	if (all || upd) {
		for (int i = 0; i < p->ntasks; i++)
			word(p->tasks[i].id, prefix);
		for (int i = 0; i < p->ndeliverables; i++)
			word(p->deliverables[i].id, prefix);
		for (int i = 0; i < p->nmilestones; i++)
			word(p->milestones[i].id, prefix);
	}
	if (all || strcmp(kind, "targets") == 0)
		for (int i = 0; i < p->ntargets; i++)
			word(p->targets[i].id, prefix);
	if (strcmp(kind, "partners") == 0)
		for (int i = 0; i < p->npartners; i++)
			word(p->partners[i].id, prefix);
	if (strcmp(kind, "clusters") == 0)
		for (int i = 0; p->bench.present && i < p->bench.nclusters; i++)
			word(project_partner_id(p, p->bench.clusters[i].partner, NULL), prefix);
	if (strcmp(kind, "periods") == 0)
		for (int i = 0; i < p->nperiods; i++)
			word(p->periods[i].id, prefix);
	if (strcmp(kind, "indicators") == 0)
		for (int i = 0; p->bench.present && i < p->bench.nindicators; i++)
			word(p->bench.indicators[i].id, prefix);
	if (strcmp(kind, "labels") == 0)
		for (int i = 0; p->bench.present && i < p->bench.nlabels; i++)
			word(p->bench.labels[i], prefix);
	return cli_finish(stdout, "complete", NULL);
}
