/* Tests for csv: RFC 4180 quoting (commas, line breaks and doubled quotes
 * inside quotes), CRLF and LF, a byte order mark, blank lines, and hostile
 * input (unclosed quotes, stray quotes, invalid UTF-8, NUL bytes, too many
 * fields, random bytes) refused with the right line and no crash. */
#include "config.h"

#include <criterion/criterion.h>
#include <stdlib.h>
#include <string.h>

#include "core/csv.h"

static int parse(const char *s, struct csv *c, long *line, struct err *e)
{
	return csv_parse(s, strlen(s), c, line, e);
}

Test(csv, plain_records)
{
	struct csv c;
	struct err e = {0};
	cr_assert_eq(parse("target,value\r\nsmes,+3\nsmes,=4\n", &c, NULL, &e), 0, "%s", e.msg);
	cr_assert_eq(c.nrecords, 3);
	cr_assert_eq(c.records[1].nfields, 2);
	cr_assert_str_eq(c.records[1].fields[0], "smes");
	cr_assert_str_eq(c.records[2].fields[1], "=4");
	cr_assert_eq(c.records[2].line, 3);
	csv_free(&c);
}

Test(csv, quoting)
{
	struct csv c;
	struct err e = {0};
	const char *s = "\xEF\xBB\xBFtarget,note\n\n"
	                "smes,\"fair, Riga\"\n"
	                "smes,\"two\r\nlines\"\n"
	                "smes,\"say \"\"hi\"\"\"\n"
	                "smes,\n"
	                "\"\",\"\"\n";
	cr_assert_eq(parse(s, &c, NULL, &e), 0, "%s", e.msg);
	cr_assert_eq(c.nrecords, 6);
	cr_assert_str_eq(c.records[0].fields[0], "target", "the byte order mark is skipped");
	cr_assert_str_eq(c.records[1].fields[1], "fair, Riga");
	cr_assert_eq(c.records[1].line, 3, "blank lines are counted");
	cr_assert_str_eq(c.records[2].fields[1], "two\r\nlines");
	cr_assert_eq(c.records[3].line, 6, "a quoted line break is counted");
	cr_assert_str_eq(c.records[3].fields[1], "say \"hi\"");
	cr_assert_eq(c.records[4].nfields, 2);
	cr_assert_str_eq(c.records[4].fields[1], "");
	cr_assert_str_eq(c.records[5].fields[0], "");
	csv_free(&c);
}

static void refused(const char *s, size_t n, long want_line, const char *word)
{
	struct csv c;
	struct err e = {0};
	long line = 0;
	cr_assert_eq(csv_parse(s, n, &c, &line, &e), -1, "accepted: %s", s);
	cr_assert_eq(e.code, 65);
	cr_assert_eq(line, want_line, "line %ld, not %ld, for %s", line, want_line, word);
	cr_assert_not_null(strstr(e.msg, word), "%s", e.msg);
	cr_assert_null(c.records);
	cr_assert_null(c.block);
}

Test(csv, hostile)
{
	refused("a,b\nc,\"open\nd\n", 14, 2, "not closed");
	refused("a,b\nc,\"x\"y\n", 11, 2, "after a closing quote");
	refused("a,b\nc,x\"y\n", 10, 2, "quote inside");
	refused("a,b\nc,\xff\n", 7, 2, "UTF-8");
	refused("a,b\nc,d\0e\n", 10, 2, "NUL");
	char many[400];
	size_t k = 0;
	for (int i = 0; i < 100; i++) {
		many[k++] = 'x';
		many[k++] = ',';
	}
	many[k++] = '\n';
	refused(many, k, 1, "more than 64 fields");
}

/* Random bytes and random mixes of the special characters: never a crash,
 * and either records or one error. */
Test(csv, random_input)
{
	static const char alphabet[] = "a,\"\r\n\xc3\xa9 ";
	srand(42);
	for (int round = 0; round < 5000; round++) {
		size_t n = (size_t)(rand() % 200);
		char *buf = malloc(n + 1);
		for (size_t i = 0; i < n; i++)
			buf[i] = round % 2 ? (char)(rand() % 256) : alphabet[rand() % (sizeof alphabet - 1)];
		buf[n] = '\0';
		struct csv c;
		struct err e = {0};
		long line = 0;
		int rc = csv_parse(buf, n, &c, &line, &e);
		if (rc == 0) {
			for (size_t r = 0; r < c.nrecords; r++)
				for (int f = 0; f < c.records[r].nfields; f++)
					cr_assert(strlen(c.records[r].fields[f]) <= n);
			csv_free(&c);
		} else {
			cr_assert_eq(e.code, 65);
			cr_assert(line >= 1);
		}
		free(buf);
	}
}
