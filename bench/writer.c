/* writer: one of the benchmark's concurrent writers. Loads the definition
 * once, opens the log once, then appends N count entries through the write
 * path (write_apply: identity, permission, validation, one transaction
 * each), as `consort record` would, without a process per write.
 *
 *   writer PROJECT DB N TAG
 *
 * Each acknowledged write's note ("TAG-I") goes to stdout, one a line, so
 * that the caller can check every one of them is in the log; the last line
 * on stderr is "writer TAG: OK ERRORS" with the first error before it. */
#include "config.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/date.h"
#include "core/load.h"
#include "core/project.h"
#include "core/store.h"
#include "core/util.h"
#include "core/write.h"

int main(int argc, char **argv)
{
	if (argc != 5) {
		fputs("usage: writer PROJECT DB N TAG\n", stderr);
		return 64;
	}
	char *end;
	errno = 0;
	long n = strtol(argv[3], &end, 10);
	if (end == argv[3] || *end || errno || n < 1 || n > 10000000L) {
		fputs("writer: N must be a positive number\n", stderr);
		return 64;
	}
	const char *tag = argv[4];

	struct project p;
	struct diags d = {0};
	int ioe = 0;
	if (load_project_file(argv[1], &p, &d, &ioe) < 0) {
		for (size_t i = 0; i < d.n; i++) {
			char *msg = diag_format(&d, &d.v[i]);
			fprintf(stderr, "%s\n", msg);
			free(msg);
		}
		diags_free(&d);
		return 65;
	}
	diags_free(&d);

	struct err e = {0};
	struct store *s;
	struct identity id;
	if (store_open(argv[2], STORE_WRITE, &s, &e) < 0) {
		fprintf(stderr, "writer: %s\n", e.msg);
		project_free(&p);
		return e.code ? e.code : 74;
	}
	if (identity_current(&p, &id, &e) < 0) {
		fprintf(stderr, "writer: %s\n", e.msg);
		store_close(s);
		project_free(&p);
		return e.code ? e.code : 74;
	}

	long ok = 0, bad = 0;
	char note[128], first_err[sizeof e.msg] = "";
	cdate today = date_today();
	for (long i = 1; i <= n; i++) {
		snprintf(note, sizeof note, "%s-%ld", tag, i);
		struct write_req r = {
			.op = W_RECORD, .item = "reach-1", .partner = "P01", .value = "+1",
			.progress = -1, .note = note, .date = "2023-12-15",
		};
		if (write_apply(s, &p, &id, &r, today, NULL, &e) == 0) {
			ok++;
			printf("%s\n", note);
		} else {
			if (!bad)
				snprintf(first_err, sizeof first_err, "%s", e.msg);
			bad++;
		}
	}
	fflush(stdout);
	if (bad)
		fprintf(stderr, "writer %s: first error: %s\n", tag, first_err);
	fprintf(stderr, "writer %s: %ld %ld\n", tag, ok, bad);
	store_close(s);
	project_free(&p);
	return 0;
}
