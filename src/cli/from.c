/* --from FILE: bulk entry for the write commands. The file is CSV (core's
 * csv.c) with a header naming the command's columns in any order; each
 * row becomes one struct write_req through the command's row function,
 * every row is checked by the write path (write_check, the log open
 * read-only) and then all are written in one transaction
 * (write_apply_many), or none. An error names the file and the line
 * ("reach.csv:3: ..."); --dry-run stops after the checks. "-" reads
 * standard input. A command adds --from with its columns and a row
 * function, and one call. */
#include "config.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "cli/cli.h"
#include "core/csv.h"

/* The whole file, at most CSV_MAX_BYTES (and a little to notice more). */
static int read_all(const char *cmd, const char *file, char **out, size_t *len)
{
	FILE *f = strcmp(file, "-") == 0 ? stdin : fopen(file, "rb");
	if (!f) {
		int code = errno == ENOENT ? EXIT_NOINPUT : errno == EACCES ? EXIT_NOPERM : EXIT_IOERR;
		return cli_error(code, "%s: cannot read %s: %s", cmd, file, strerror(errno));
	}
	size_t cap = 65536, n = 0;
	char *buf = xmalloc(cap);
	for (;;) {
		if (n == cap) {
			if (cap > CSV_MAX_BYTES)
				break;
			cap *= 2;
			buf = xrealloc(buf, cap);
		}
		size_t k = fread(buf + n, 1, cap - n, f);
		n += k;
		if (k == 0)
			break;
	}
	int bad = ferror(f);
	if (f != stdin)
		fclose(f);
	if (bad) {
		free(buf);
		return cli_error(EXIT_IOERR, "%s: cannot read %s", cmd, file);
	}
	if (n > CSV_MAX_BYTES + 3) {
		free(buf);
		return cli_error(EXIT_DATAERR, "%s: %s: larger than 16 MiB; split it", cmd, file);
	}
	*out = buf;
	*len = n;
	return 0;
}

int cli_apply_from(struct cli *c, const char *cmd, const char *file, const char *const *cols,
                   int ncols, cli_from_row row, int dry_run)
{
	const char *name = strcmp(file, "-") == 0 ? "stdin" : file;
	char *text = NULL;
	size_t len = 0;
	int rc = read_all(cmd, file, &text, &len);
	if (rc)
		return rc;
	struct csv csv;
	struct err e = {0};
	long line = 0;
	if (csv_parse(text, len, &csv, &line, &e) != 0) {
		free(text);
		return cli_error(EXIT_DATAERR, "%s: %s:%ld: %s", cmd, name, line, e.msg);
	}
	free(text);
	struct write_req *reqs = NULL;
	long *lines = NULL;
	size_t nreq = 0;
	int at[CSV_MAX_FIELDS];   /* header column -> the command's column */
	char expected[256] = "";
	for (int k = 0; k < ncols; k++)
		snprintf(expected + strlen(expected), sizeof expected - strlen(expected), "%s%s",
		         k ? "," : "", cols[k]);
	if (csv.nrecords == 0) {
		rc = cli_error(EXIT_DATAERR, "%s: %s:1: empty; the first line names the columns (%s)", cmd,
		               name, expected);
		goto out;
	}
	const struct csv_record *h = &csv.records[0];
	for (int i = 0; i < h->nfields; i++) {
		at[i] = -1;
		for (int k = 0; k < ncols; k++)
			if (strcasecmp(h->fields[i], cols[k]) == 0)
				at[i] = k;
		for (int j = 0; j < i && at[i] >= 0; j++)
			if (at[j] == at[i]) {
				rc = cli_error(EXIT_DATAERR, "%s: %s:%ld: column '%s' twice", cmd, name, h->line,
				               cols[at[i]]);
				goto out;
			}
		if (at[i] < 0) {
			rc = cli_error(EXIT_DATAERR, "%s: %s:%ld: unknown column '%.40s' (the columns are %s)", cmd,
			               name, h->line, h->fields[i], expected);
			goto out;
		}
	}
	if (csv.nrecords == 1) {
		rc = cli_error(EXIT_DATAERR, "%s: %s: no rows after the header", cmd, name);
		goto out;
	}
	reqs = xcalloc(csv.nrecords, sizeof *reqs);
	lines = xcalloc(csv.nrecords, sizeof *lines);
	for (size_t r = 1; r < csv.nrecords; r++) {
		const struct csv_record *rec = &csv.records[r];
		if (rec->nfields != h->nfields) {
			rc = cli_error(EXIT_DATAERR, "%s: %s:%ld: %d fields, the header has %d", cmd, name,
			               rec->line, rec->nfields, h->nfields);
			goto out;
		}
		char *f[CSV_MAX_FIELDS] = {0};
		for (int i = 0; i < rec->nfields; i++)
			f[at[i]] = rec->fields[i][0] ? rec->fields[i] : NULL;
		memset(&reqs[nreq], 0, sizeof reqs[nreq]);
		reqs[nreq].progress = -1;
		if (row(f, &reqs[nreq], &e) != 0) {
			rc = cli_error(e.code ? e.code : EXIT_DATAERR, "%s: %s:%ld: %s", cmd, name, rec->line, e.msg);
			goto out;
		}
		lines[nreq++] = rec->line;
	}
	if ((rc = c->store ? 0 : cli_open(c, STORE_CHECK)) != 0)
		goto out;
	size_t bad = 0;
	if (write_check_many(c->store, &c->proj, &c->id, reqs, nreq, c->write_date, &bad, &e) != 0) {
		rc = cli_error(e.code ? e.code : EXIT_SOFTWARE, "%s: %s:%ld: %s", cmd, name, lines[bad], e.msg);
		goto out;
	}
	if (dry_run) {
		printf("checked %zu %s of %s: all would be written\n", nreq, nreq == 1 ? "row" : "rows", name);
		rc = cli_finish(stdout, cmd, NULL);
		goto out;
	}
	if (!store_writable(c->store)) {
		store_close(c->store);
		c->store = NULL;
		if (store_open(c->paths.db, STORE_WRITE, &c->store, &e) != 0) {
			rc = cli_error(e.code ? e.code : EXIT_SOFTWARE, "%s: %s", cmd, e.msg);
			goto out;
		}
	}
	int64_t first = 0, nentries = 0;
	/* The entries of one transaction have consecutive ids. */
	for (size_t i = 0; i < nreq; i++)
		nentries += reqs[i].op != W_UPDATE ? 1 : !!reqs[i].status + (reqs[i].progress >= 0) + !!reqs[i].link;
	if (write_apply_many(c->store, &c->proj, &c->id, reqs, nreq, c->write_date, &first, &bad, &e) != 0) {
		if (e.code == EXIT_DATAERR || e.code == EXIT_NOPERM || e.code == EXIT_USAGE)
			rc = cli_error(e.code, "%s: %s:%ld: %s", cmd, name, lines[bad], e.msg);
		else
			rc = cli_error(e.code ? e.code : EXIT_SOFTWARE, "%s: %s", cmd, e.msg);
		goto out;
	}
	printf("recorded #%lld to #%lld: %zu %s of ", (long long)first, (long long)(first + nentries - 1), nreq,
	       nreq == 1 ? "row" : "rows");
	cli_put(stdout, name);
	putchar('\n');
	rc = cli_finish(stdout, cmd, NULL);
out:
	free(reqs);
	free(lines);
	csv_free(&csv);
	return rc;
}
