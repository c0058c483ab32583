/* csv: RFC 4180 text into records, for bulk entry (record --from,
 * update --from). Fields are separated by commas and records by CRLF or
 * LF; a field may be quoted ("..."), and then holds commas, line breaks
 * and doubled quotes (""). A UTF-8 byte order mark at the start is
 * skipped; the text must be valid UTF-8 without NUL bytes. Blank lines
 * are skipped. Memory is bounded by the input: one copy of the text and
 * a pointer a field, with at most CSV_MAX_FIELDS fields a record and
 * CSV_MAX_RECORDS records; the caller bounds the text (CSV_MAX_BYTES). */
#ifndef CONSORT_CSV_H
#define CONSORT_CSV_H

#include <stddef.h>
#include "core/util.h"

#define CSV_MAX_BYTES (16u << 20)
#define CSV_MAX_FIELDS 64
#define CSV_MAX_RECORDS 200000

struct csv_record {
	long line;        /* the line the record starts on (1-based) */
	int nfields;
	char **fields;    /* into csv.block; never NULL, "" when empty */
};

struct csv {
	struct csv_record *records;
	size_t nrecords;
	char *block;      /* the unquoted text the fields point into */
	char **ptrs;      /* every record's field pointers */
};

/* Parse len bytes of text. Returns 0, or -1 with e->code 65 and *line
 * (may be NULL) the line the error is on; e->msg has no line number.
 * On failure out is empty. */
int csv_parse(const char *text, size_t len, struct csv *out, long *line, struct err *e);
void csv_free(struct csv *c);

#endif
