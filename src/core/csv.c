/* csv: an RFC 4180 reader over a buffer (csv.h). One pass: the unquoted
 * fields go into a copy of the text, never longer than it; the field
 * pointers grow in one array, bounded by CSV_MAX_FIELDS a record and
 * CSV_MAX_RECORDS records. */
#include "config.h"
#include "core/csv.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "core/text.h"

void csv_free(struct csv *c)
{
	free(c->records);
	free(c->block);
	free(c->ptrs);
	memset(c, 0, sizeof *c);
}

/* The line of byte at (1-based), counting LF, CRLF and a bare CR. */
static long line_of(const char *s, size_t at)
{
	long line = 1;
	for (size_t i = 0; i < at; i++)
		if (s[i] == '\n' || (s[i] == '\r' && s[i + 1] != '\n'))
			line++;
	return line;
}

static int fail(struct csv *out, long *line, long at, struct err *e, const char *msg)
{
	csv_free(out);
	if (line)
		*line = at;
	return err_set(e, EXIT_DATAERR, "%s", msg);
}

int csv_parse(const char *text, size_t len, struct csv *out, long *line, struct err *e)
{
	memset(out, 0, sizeof *out);
	if (len >= 3 && memcmp(text, "\xEF\xBB\xBF", 3) == 0) {
		text += 3;
		len -= 3;
	}
	if (len > CSV_MAX_BYTES)
		return fail(out, line, 1, e, "the file is larger than 16 MiB");
	const char *nul = memchr(text, '\0', len);
	if (nul)
		return fail(out, line, line_of(text, (size_t)(nul - text)), e, "a NUL byte");
	if (!text_valid_utf8(text, len)) {
		/* Find the line: the longest valid prefix, by lines. */
		size_t start = 0;
		for (size_t i = 0; i <= len; i++) {
			if (i == len || text[i] == '\n') {
				if (!text_valid_utf8(text + start, i - start))
					return fail(out, line, line_of(text, start), e, "not valid UTF-8 text");
				start = i + 1;
			}
		}
		return fail(out, line, 1, e, "not valid UTF-8 text");
	}
	out->block = xmalloc(len + 1);
	size_t nptr = 0, capptr = 0, caprec = 0;
	size_t w = 0;      /* write position in block */
	size_t i = 0;
	long cur = 1;      /* current line */
	while (i < len) {
		/* A blank line is no record. */
		if (text[i] == '\n' || text[i] == '\r') {
			i += text[i] == '\r' && i + 1 < len && text[i + 1] == '\n' ? 2 : 1;
			cur++;
			continue;
		}
		if (out->nrecords >= CSV_MAX_RECORDS)
			return fail(out, line, cur, e, "more than 200000 records");
		size_t first = nptr;
		long rec_line = cur;
		int nf = 0;
		for (;;) {
			/* One field, starting at i. */
			if (nf >= CSV_MAX_FIELDS)
				return fail(out, line, rec_line, e, "more than 64 fields in a record");
			xgrow(&out->ptrs, &capptr, nptr + 1, sizeof *out->ptrs);
			size_t fstart = w;
			if (i < len && text[i] == '"') {
				long open_line = cur;
				i++;
				for (;;) {
					if (i >= len)
						return fail(out, line, open_line, e, "a quoted field is not closed");
					char ch = text[i];
					if (ch == '"') {
						if (i + 1 < len && text[i + 1] == '"') {
							out->block[w++] = '"';
							i += 2;
							continue;
						}
						i++;
						break;
					}
					if (ch == '\n' || (ch == '\r' && !(i + 1 < len && text[i + 1] == '\n')))
						cur++;
					out->block[w++] = ch;
					i++;
				}
				if (i < len && text[i] != ',' && text[i] != '\n' && text[i] != '\r')
					return fail(out, line, cur, e, "text after a closing quote");
			} else {
				while (i < len && text[i] != ',' && text[i] != '\n' && text[i] != '\r') {
					if (text[i] == '"')
						return fail(out, line, cur, e,
						            "a quote inside an unquoted field (quote the field and double the quote)");
					out->block[w++] = text[i++];
				}
			}
			out->block[w++] = '\0';
			/* Pointers are offsets until the block is complete. */
			out->ptrs[nptr++] = (char *)(uintptr_t)fstart;
			nf++;
			if (i < len && text[i] == ',') {
				i++;
				continue;
			}
			break;
		}
		if (i < len) { /* the record's line break */
			i += text[i] == '\r' && i + 1 < len && text[i + 1] == '\n' ? 2 : 1;
			cur++;
		}
		xgrow(&out->records, &caprec, out->nrecords + 1, sizeof *out->records);
		out->records[out->nrecords].line = rec_line;
		out->records[out->nrecords].nfields = nf;
		out->records[out->nrecords].fields = (char **)(uintptr_t)first;
		out->nrecords++;
	}
	for (size_t k = 0; k < nptr; k++)
		out->ptrs[k] = out->block + (uintptr_t)out->ptrs[k];
	for (size_t r = 0; r < out->nrecords; r++)
		out->records[r].fields = out->ptrs + (uintptr_t)out->records[r].fields;
	return 0;
}
