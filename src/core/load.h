/* load: read a project definition (YAML, format 1) with libyaml into the
 * model, enforcing every rule of consort-project(5).
 * Errors and warnings are collected like a compiler's, as many as can be found
 * in one run, each "FILE:LINE:COL: error: MESSAGE" (line and column 1-based),
 * saying what was expected and what was found. Hostile input is bounded:
 * aliases are refused, nesting depth, scalar size and file size are limited;
 * nothing crashes, hangs or exhausts memory. */
#ifndef CONSORT_LOAD_H
#define CONSORT_LOAD_H

#include <stddef.h>
#include "core/project.h"

#define LOAD_MAX_DEPTH 64
#define LOAD_MAX_SCALAR (64 * 1024)
#define LOAD_MAX_FILE (16 * 1024 * 1024)

enum diag_level { DIAG_WARNING, DIAG_ERROR };

struct diag {
	enum diag_level level;
	int line, col;       /* 1-based; 0 when the whole file is meant */
	char *msg;           /* without file, position or level */
};

struct diags {
	char *file;          /* as given to the loader, for messages */
	struct diag *v;
	size_t n, cap;
	int nerrors, nwarnings;
};

/* Load the file at path. Returns 0 and fills *p when there are no errors
 * (warnings may be present); returns -1 otherwise, with *p left empty.
 * A file that cannot be opened yields one error with line 0 and
 * *io_errno set to errno (so main can exit 66 for ENOENT, 74 otherwise);
 * io_errno may be NULL. */
int load_project_file(const char *path, struct project *p, struct diags *d, int *io_errno);

/* Load from memory (name is used in messages). */
int load_project_mem(const char *name, const char *buf, size_t len,
                     struct project *p, struct diags *d);

/* Format one diagnostic as "FILE:LINE:COL: error: MESSAGE" (no newline);
 * when line is 0, "FILE: error: MESSAGE". Newly allocated. */
char *diag_format(const struct diags *d, const struct diag *g);

void diags_free(struct diags *d);

#endif
