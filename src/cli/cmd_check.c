/* check: `consort check [FILE]` validates a definition like a compiler.
 * Every diagnostic goes to stderr as "consort: FILE:LINE:COL: error: ..."
 * (one line each), then a summary to stdout. Exit 0 without errors
 * (warnings allowed), 65 with errors, 66 when the file is missing, 74 when it
 * cannot be read, 64 on a usage error. Without FILE, it checks the
 * definition the usual lookup finds. */
#include "config.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli/cli.h"
#include "core/load.h"

static const char *plural(int n, const char *one, const char *many)
{
	return n == 1 ? one : many;
}

/* With a log that holds a plan (--db, or the log beside the definition),
 * what an amendment to file would change. 0, or an exit code. */
static int check_against_plan(struct cli *c, const char *file)
{
	if (!c->paths_done) {
		struct err e = {0};
		if (paths_resolve(c->opt_project, c->opt_db, &c->paths, &e) != 0)
			return 0;
		c->paths_done = 1;
	}
	if (c->paths.demo || access(c->paths.db, F_OK) != 0)
		return 0;
	struct project np;
	char *text;
	size_t len;
	int rc = cli_read_def(c, file, &np, &text, &len);
	if (rc)
		return rc;
	free(text);
	c->plan_said = 1; /* the difference is the answer here, not a warning */
	if ((rc = cli_open(c, STORE_READ)) != 0 || c->nplans == 0 ||
	    (rc = cli_plan_at(c, c->today > c->asof ? c->today : c->asof)) != 0) {
		project_free(&np);
		return rc;
	}
	struct plan_diff *v;
	size_t n;
	plan_diff_models(&c->proj, &np, &v, &n);
	if (n == 0)
		printf("identical to the plan in force (version %d)\n", c->plan_version);
	else
		printf("an amendment of version %d would make %zu %s:\n", c->plan_version, n,
		       n == 1 ? "change" : "changes");
	cli_diff_text(stdout, v, n);
	plan_diff_free(v, n);
	project_free(&np);
	return 0;
}

static int cmd_check(struct cli *c, int argc, char **argv);

const struct cli_command cli_cmd_check = {
	"check", cmd_check,
	"check [FILE]",
	"validate a definition",
	0,
};

static int cmd_check(struct cli *c, int argc, char **argv)
{
	const char *file = NULL;
	char *pos[1];
	int npos = 0;
	const struct cli_opt opts[] = {{NULL, NULL, NULL}};
	int rc = cli_parse(c, &cli_cmd_check, argc, argv, opts, pos, 1, &npos);
	if (rc)
		return rc;
	if (npos)
		file = pos[0];
	if (!file) {
		if (!c->paths_done) {
			struct err e = {0};
			if (paths_resolve(c->opt_project, c->opt_db, &c->paths, &e) != 0)
				return cli_fail(&e);
			c->paths_done = 1;
		}
		file = c->paths.project;
	}

	struct project p;
	struct diags d = {0};
	int io = 0;
	rc = load_project_file(file, &p, &d, &io);
	for (size_t i = 0; i < d.n; i++) {
		char *line = diag_format(&d, &d.v[i]);
		cli_error(0, "%s", line);
		free(line);
	}
	if (rc != 0 && io) {
		diags_free(&d);
		return io == ENOENT ? EXIT_NOINPUT : EXIT_IOERR;
	}
	cli_put(stdout, file);
	if (rc == 0) {
		printf(": %d %s, %d %s, %d %s, %d %s, %d %s, %d %s, %d %s;",
		       p.npartners, plural(p.npartners, "partner", "partners"),
		       p.nwps, plural(p.nwps, "work package", "work packages"),
		       p.ntasks, plural(p.ntasks, "task", "tasks"),
		       p.ndeliverables, plural(p.ndeliverables, "deliverable", "deliverables"),
		       p.nmilestones, plural(p.nmilestones, "milestone", "milestones"),
		       p.ntargets, plural(p.ntargets, "target", "targets"),
		       p.bench.nindicators, plural(p.bench.nindicators, "indicator", "indicators"));
		project_free(&p);
	} else {
		fputs(":", stdout);
	}
	printf(" %d %s, %d %s\n", d.nerrors, plural(d.nerrors, "error", "errors"),
	       d.nwarnings, plural(d.nwarnings, "warning", "warnings"));
	diags_free(&d);
	if (rc == 0 && (rc = check_against_plan(c, file)) != 0)
		return rc;
	int w = cli_finish(stdout, "check", NULL);
	if (w)
		return w;
	return rc == 0 ? 0 : EXIT_DATAERR;
}
