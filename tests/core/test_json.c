/* Tests for the JSON emitter: escaping, numbers, nesting, pretty output, and
 * that whatever goes in, what comes out parses (a small strict validator). */
#include "config.h"

#include <criterion/criterion.h>
#include <locale.h>
#include <string.h>

#include "core/json.h"
#include "core/text.h"

/* A strict RFC 8259 validator: returns 1 when s is one JSON value. */
static const char *v_ws(const char *s)
{
	while (*s == ' ' || *s == '\t' || *s == '\n' || *s == '\r')
		s++;
	return s;
}

static const char *v_value(const char *s, int depth);

static const char *v_string(const char *s)
{
	if (*s != '"')
		return NULL;
	s++;
	for (;;) {
		unsigned char c = (unsigned char)*s;
		if (c == '"')
			return s + 1;
		if (c < 0x20)
			return NULL; /* raw control character (or the end) */
		if (c == '\\') {
			s++;
			if (*s == 'u') {
				for (int i = 1; i <= 4; i++)
					if (!strchr("0123456789abcdefABCDEF", s[i]) || !s[i])
						return NULL;
				s += 5;
				continue;
			}
			if (!*s || !strchr("\"\\/bfnrt", *s))
				return NULL;
		}
		s++;
	}
}

static const char *v_number(const char *s)
{
	if (*s == '-')
		s++;
	if (*s == '0')
		s++;
	else if (*s >= '1' && *s <= '9')
		while (*s >= '0' && *s <= '9')
			s++;
	else
		return NULL;
	if (*s == '.') {
		s++;
		if (!(*s >= '0' && *s <= '9'))
			return NULL;
		while (*s >= '0' && *s <= '9')
			s++;
	}
	if (*s == 'e' || *s == 'E') {
		s++;
		if (*s == '+' || *s == '-')
			s++;
		if (!(*s >= '0' && *s <= '9'))
			return NULL;
		while (*s >= '0' && *s <= '9')
			s++;
	}
	return s;
}

static const char *v_value(const char *s, int depth)
{
	if (depth > 100)
		return NULL;
	s = v_ws(s);
	if (*s == '{' || *s == '[') {
		char close = *s == '{' ? '}' : ']';
		int obj = *s == '{';
		s = v_ws(s + 1);
		if (*s == close)
			return s + 1;
		for (;;) {
			if (obj) {
				s = v_string(v_ws(s));
				if (!s)
					return NULL;
				s = v_ws(s);
				if (*s != ':')
					return NULL;
				s++;
			}
			s = v_value(s, depth + 1);
			if (!s)
				return NULL;
			s = v_ws(s);
			if (*s == close)
				return s + 1;
			if (*s != ',')
				return NULL;
			s++;
		}
	}
	if (*s == '"')
		return v_string(s);
	if (!strncmp(s, "true", 4))
		return s + 4;
	if (!strncmp(s, "false", 5))
		return s + 5;
	if (!strncmp(s, "null", 4))
		return s + 4;
	return v_number(s);
}

static int valid_json(const char *s)
{
	const char *end = v_value(s, 0);
	return end && *v_ws(end) == '\0';
}

static char *str_json(const char *s)
{
	struct json j = {0};
	json_str(&j, s);
	char *out = strdup(json_text(&j));
	json_free(&j);
	return out;
}

Test(validator, rejects_broken)
{
	cr_assert(valid_json("{\"a\":[1,2.5,-0.25,true,null,\"x\"]}"));
	cr_assert(!valid_json("{\"a\":1,}"));
	cr_assert(!valid_json("[1 2]"));
	cr_assert(!valid_json("\"a\x01\""));
	cr_assert(!valid_json("{\"a\"}"));
}

Test(json, escapes_quote_and_backslash)
{
	char *s = str_json("say \"hi\" \\ there");
	cr_assert_str_eq(s, "\"say \\\"hi\\\" \\\\ there\"");
	free(s);
}

Test(json, controls_become_u00xx)
{
	char *s = str_json("a\nb\tc\x1b[2J\x07\x7f");
	cr_assert_str_eq(s, "\"a\\u000ab\\u0009c\\u001b[2J\\u0007\\u007f\"");
	cr_assert_null(strchr(s, 0x1b));
	free(s);
}

Test(json, invalid_utf8_becomes_replacement)
{
	char *s = str_json("x\x9b" "y\xc3(\xed\xa0\x80z\xf0\x9f");
	cr_assert(valid_json(s), "not valid: %s", s);
	cr_assert_null(strchr(s, (char)0x9b));
	cr_assert_not_null(strstr(s, "x\\ufffdy\\ufffd("), "got %s", s);
	cr_assert(strstr(s, "z\\ufffd") != NULL, "got %s", s);
	free(s);
}

Test(json, valid_utf8_kept_c1_and_bidi_escaped)
{
	char *s = str_json("J\xc4\x81nis T\xc3\xb5nu \xc3\x85sa");
	cr_assert_str_eq(s, "\"J\xc4\x81nis T\xc3\xb5nu \xc3\x85sa\"");
	free(s);
	s = str_json("a\xc2\x9b" "b\xe2\x80\xae" "c\xe2\x80\xa8");
	cr_assert_str_eq(s, "\"a\\u009bb\\u202ec\\u2028\"");
	free(s);
}

Test(json, null_string_and_empty)
{
	char *s = str_json(NULL);
	cr_assert_str_eq(s, "null");
	free(s);
	s = str_json("");
	cr_assert_str_eq(s, "\"\"");
	free(s);
}

Test(json, numbers)
{
	struct json j = {0};
	json_arr_begin(&j);
	json_num(&j, 74.0);
	json_num(&j, 74.5);
	json_num(&j, 3.14159);
	json_num(&j, -0.004);
	json_num(&j, -2.25);
	json_num(&j, 0.1);
	json_num(&j, 1.0 / 0.0);
	json_num(&j, 0.0 / 0.0);
	json_int(&j, -9223372036854775807LL - 1);
	json_int(&j, 1227);
	json_num(&j, 1e16);
	json_arr_end(&j);
	cr_assert_str_eq(json_text(&j),
	                 "[74,74.5,3.14,0,-2.25,0.1,null,null,-9223372036854775808,1227,10000000000000000]");
	cr_assert(valid_json(json_text(&j)));
	json_free(&j);
}

Test(json, numbers_ignore_decimal_comma_locale)
{
	if (!setlocale(LC_NUMERIC, "de_DE.UTF-8") && !setlocale(LC_NUMERIC, "lv_LV.UTF-8"))
		cr_skip_test("no locale with a decimal comma installed");
	struct json j = {0};
	json_num(&j, 12.5);
	cr_assert_str_eq(json_text(&j), "12.5");
	json_free(&j);
	setlocale(LC_NUMERIC, "C");
}

Test(json, nesting_compact)
{
	struct json j = {0};
	json_obj_begin(&j);
	json_key(&j, "project");
	json_obj_begin(&j);
	json_key(&j, "acronym");
	json_str(&j, "MINI");
	json_key(&j, "months");
	json_int(&j, 12);
	json_obj_end(&j);
	json_key(&j, "demo");
	json_bool(&j, 0);
	json_key(&j, "empty");
	json_arr_begin(&j);
	json_arr_end(&j);
	json_key(&j, "list");
	json_arr_begin(&j);
	json_obj_begin(&j);
	json_obj_end(&j);
	json_arr_begin(&j);
	json_null(&j);
	json_bool(&j, 1);
	json_arr_end(&j);
	json_arr_end(&j);
	json_obj_end(&j);
	cr_assert_str_eq(json_text(&j),
	                 "{\"project\":{\"acronym\":\"MINI\",\"months\":12},\"demo\":false,"
	                 "\"empty\":[],\"list\":[{},[null,true]]}");
	cr_assert_eq(j.depth, 0);
	json_free(&j);
}

Test(json, pretty)
{
	struct json j = {0};
	j.pretty = 1;
	json_obj_begin(&j);
	json_key(&j, "a");
	json_arr_begin(&j);
	json_int(&j, 1);
	json_int(&j, 2);
	json_arr_end(&j);
	json_key(&j, "b");
	json_obj_begin(&j);
	json_obj_end(&j);
	json_obj_end(&j);
	cr_assert_str_eq(json_text(&j), "{\n  \"a\": [\n    1,\n    2\n  ],\n  \"b\": {}\n}");
	cr_assert(valid_json(json_text(&j)));
	json_free(&j);
}

Test(json, keys_are_escaped)
{
	struct json j = {0};
	json_obj_begin(&j);
	json_key(&j, "k\"\x1b");
	json_int(&j, 1);
	json_obj_end(&j);
	cr_assert_str_eq(json_text(&j), "{\"k\\\"\\u001b\":1}");
	json_free(&j);
}

Test(json, every_byte_value_stays_valid)
{
	/* All 255 non-NUL bytes, and random-ish byte soup, always parse. */
	char buf[256];
	for (int i = 1; i < 256; i++)
		buf[i - 1] = (char)i;
	buf[255] = '\0';
	struct json j = {0};
	j.pretty = 1;
	json_obj_begin(&j);
	json_key(&j, buf);
	json_str(&j, buf);
	unsigned x = 12345;
	for (int k = 0; k < 200; k++) {
		char soup[33];
		for (int i = 0; i < 32; i++) {
			x = x * 1103515245u + 12345u;
			soup[i] = (char)((x >> 16) % 255 + 1);
		}
		soup[32] = '\0';
		json_key(&j, soup);
		json_str(&j, soup);
	}
	json_obj_end(&j);
	const char *t = json_text(&j);
	cr_assert(valid_json(t));
	for (const unsigned char *p = (const unsigned char *)t; *p; p++)
		cr_assert(*p >= 0x20 || *p == '\n', "raw control byte %02x", *p);
	json_free(&j);
}

Test(json, deep_nesting_balanced)
{
	struct json j = {0};
	for (int i = 0; i < 20; i++) {
		json_arr_begin(&j);
		json_int(&j, i);
	}
	for (int i = 0; i < 20; i++)
		json_arr_end(&j);
	cr_assert(valid_json(json_text(&j)));
	cr_assert_eq(j.depth, 0);
	json_free(&j);
}

Test(json, empty_text_before_writing)
{
	struct json j = {0};
	cr_assert_str_eq(json_text(&j), "");
	json_free(&j);
}

/* Written to a sink in pieces, the text is the same as built whole, and
 * no more than a piece of it is held at a time. */
static void big_document(struct json *j)
{
	json_arr_begin(j);
	for (int i = 0; i < 12000; i++) {
		json_obj_begin(j);
		json_key(j, "id");
		json_int(j, i);
		json_key(j, "note");
		json_str(j, i % 7 ? "plain text" : "a \"quoted\"\tnote \xe2\x80\xae");
		json_obj_end(j);
	}
	json_arr_end(j);
}

Test(json, sink_gets_the_same_text)
{
	struct json whole = {0};
	whole.pretty = 1;
	big_document(&whole);
	size_t n = strlen(json_text(&whole));
	cr_assert_gt(n, 500000, "the document is larger than a piece");

	FILE *f = tmpfile();
	cr_assert_not_null(f);
	struct json part = {0};
	part.pretty = 1;
	part.sink = f;
	big_document(&part);
	/* A piece (64 KiB) and what one value adds, far below the whole. */
	cr_assert_lt(part.out.cap, 262144, "held %zu bytes at most", part.out.cap);
	fputs(json_text(&part), f);
	cr_assert_eq((size_t)ftell(f), n);
	rewind(f);
	char *back = malloc(n + 1);
	cr_assert_not_null(back);
	cr_assert_eq(fread(back, 1, n + 1, f), n);
	back[n] = '\0';
	cr_assert_str_eq(back, json_text(&whole));
	free(back);
	fclose(f);
	json_free(&part);
	json_free(&whole);
}

/* Each ASCII byte between two plain runs: as it is when printable and
 * neither '"' nor '\\', escaped otherwise (the run copied whole must stop
 * at exactly those). */
Test(json, every_ascii_byte_between_runs)
{
	for (int c = 1; c < 0x80; c++) {
		char in[16], want[32];
		snprintf(in, sizeof in, "ab%cd", c);
		if (c == '"' || c == '\\')
			snprintf(want, sizeof want, "\"ab\\%cd\"", c);
		else if (c < 0x20 || c == 0x7f)
			snprintf(want, sizeof want, "\"ab\\u%04xd\"", c);
		else
			snprintf(want, sizeof want, "\"ab%cd\"", c);
		char *s = str_json(in);
		cr_assert_str_eq(s, want, "byte 0x%02x", c);
		free(s);
	}
}

/* A key written with its value at once (json_kv_*) and from a literal
 * (json_key_lit) gives the text of json_key and the value written apart,
 * pretty or not, nested deep (the indentation goes eight spaces at a time)
 * and for the values written otherwise than the plain case: null for a
 * missing string, a number too large for two decimals, not a number,
 * negative hundredths and the extremes of an integer. */
static void kv_document(struct json *j, int fused)
{
	static const long fixed[] = {0, 5, -5, 50, -100, 123456, -123456, 2147483647L, -2147483647L - 1};
	static const double nums[] = {0, 0.5, -0.004, 12.345, -99.999, 1e15, -3e17, 1.0 / 0.0, 0.0 / 0.0};
	json_obj_begin(j);
	for (int d = 0; d < 7; d++) {
		json_key(j, "n");
		json_obj_begin(j);
	}
	for (size_t i = 0; i < sizeof fixed / sizeof fixed[0]; i++) {
		if (fused) {
			json_kv_fixed(j, "fixed", fixed[i]);
			json_kv_int(j, "int", i % 2 ? -9223372036854775807LL - 1 : 9223372036854775807LL);
			json_kv_str(j, "str", i % 3 ? "a \"b\" \xe2\x80\xae c" : NULL);
			json_kv_bool(j, "bool", (int)(i % 2));
			json_key_lit(j, "lit");
			json_int(j, (long long)i);
		} else {
			json_key(j, "fixed");
			json_fixed(j, fixed[i]);
			json_key(j, "int");
			json_int(j, i % 2 ? -9223372036854775807LL - 1 : 9223372036854775807LL);
			json_key(j, "str");
			json_str(j, i % 3 ? "a \"b\" \xe2\x80\xae c" : NULL);
			json_key(j, "bool");
			json_bool(j, (int)(i % 2));
			json_key(j, "lit");
			json_int(j, (long long)i);
		}
	}
	for (size_t i = 0; i < sizeof nums / sizeof nums[0]; i++) {
		if (fused) {
			json_kv_num(j, "num", nums[i]);
		} else {
			json_key(j, "num");
			json_num(j, nums[i]);
		}
	}
	for (int d = 0; d < 7; d++)
		json_obj_end(j);
	json_obj_end(j);
}

Test(json, key_with_value_same_text)
{
	for (int pretty = 0; pretty <= 1; pretty++) {
		struct json a = {0}, b = {0};
		a.pretty = b.pretty = pretty;
		kv_document(&a, 0);
		kv_document(&b, 1);
		cr_assert_str_eq(json_text(&b), json_text(&a), "pretty %d", pretty);
		cr_assert_not_null(strstr(json_text(&b), pretty ? "\"fixed\": -1234.56," : "\"fixed\":-1234.56,"));
		cr_assert_not_null(strstr(json_text(&b), pretty ? "\"str\": null," : "\"str\":null,"));
		cr_assert_not_null(strstr(json_text(&b), pretty ? "\"num\": -300000000000000000," : "\"num\":-300000000000000000,"));
		cr_assert_not_null(strstr(json_text(&b), pretty ? "\n                \"lit\": 0," : "\"lit\":0,"));
		json_free(&a);
		json_free(&b);
	}
}

/* ---- rows from a template ---- */

/* The strings a row is tried with: plain ones of every length around the
 * word sizes, and ones that need escaping at the start, in the middle and
 * in the last bytes (the copy of eight at a time must stop there). */
static const char *const row_strs[] = {
	"", "P", "P0", "P07", "WP59", "WP100", "T1.2.3", "abcdefg", "abcdefgh", "abcdefghi",
	"Task 1 of work package 1", "0123456789abcdef", "0123456789abcdefg",
	"\"", "a\"", "abcdefgh\"", "abcdefghijklmno\\", "abc\tdefghijklmnopq",
	"caf\xc3\xa9 cr\xc3\xa8me br\xc3\xbbl\xc3\xa9\x65", "\xff\xfe", "ab\xe2\x80\xae" "cdefghijkl",
	"abcdefghijklmnopqrstuvwxyz01234\x7f", "x\x01y", NULL,
};
#define NSTRS (sizeof row_strs / sizeof row_strs[0])

static const char *const row_keys_t[] = {"s", "int", "fixed", "num", "bool", "null", "a \"key\"", "t"};

static struct json_val row_val(int k, int i)
{
	static const long long ints[] = {0, 7, -7, 99, 100, -100, 12345, 9223372036854775807LL,
	                                 -9223372036854775807LL - 1};
	static const long fixed[] = {0, 5, -5, 99, 100, -12345, 2147483647L, -2147483647L - 1};
	static const double nums[] = {0, 0.5, -0.004, 12.345, -99.999, 100, 1e15, -3e17, 1.0 / 0.0, 0.0 / 0.0};
	switch (k) {
	case 0: return JSON_V_STR(row_strs[(size_t)i % NSTRS]);
	case 1: return JSON_V_INT(ints[(size_t)i % (sizeof ints / sizeof ints[0])]);
	case 2: return JSON_V_FIXED(fixed[(size_t)i % (sizeof fixed / sizeof fixed[0])]);
	case 3: return JSON_V_NUM(nums[(size_t)i % (sizeof nums / sizeof nums[0])]);
	case 4: return JSON_V_BOOL(i % 2);
	case 5: return JSON_V_NULL;
	case 6: return JSON_V_STR(row_strs[(size_t)(i * 7 + 3) % NSTRS]);
	default: return JSON_V_STR(row_strs[(size_t)(i * 5 + 1) % NSTRS]);
	}
}

/* An object of the row's keys and values the long way, left open. */
static void row_long(struct json *j, const struct json_val *v)
{
	json_obj_begin(j);
	for (int k = 0; k < 8; k++) {
		json_key(j, row_keys_t[k]);
		switch (v[k].kind) {
		case JSON_STR: json_str(j, v[k].u.s); break;
		case JSON_INT: json_int(j, v[k].u.i); break;
		case JSON_FIXED: json_fixed(j, v[k].u.fixed); break;
		case JSON_NUM: json_num(j, v[k].u.num); break;
		case JSON_BOOL: json_bool(j, (int)v[k].u.i); break;
		default: json_null(j); break;
		}
	}
}

/* Rows inside depth containers (arrays, the last an object when in_obj:
 * the rows are then keys' values), whole or left open for one more key,
 * from the template (fused) or the long way; then the same template at
 * another depth. */
static void row_document(struct json *j, int depth, int in_obj, int fused)
{
	struct json_row t;
	json_row_init(&t, row_keys_t, 8);
	for (int d = 0; d < depth; d++) {
		if (in_obj && d == depth - 1)
			json_obj_begin(j);
		else
			json_arr_begin(j);
	}
	for (int i = 0; i < 60; i++) {
		struct json_val v[8];
		for (int k = 0; k < 8; k++)
			v[k] = row_val(k, i);
		if (in_obj)
			json_key(j, "row");
		int open = i % 3 == 2;
		if (!fused)
			row_long(j, v);
		else if (open)
			json_row_open(j, &t, v);
		else
			json_row(j, &t, v);
		if (open) {
			json_key(j, "more");
			json_int(j, i);
		}
		if (!fused || open)
			json_obj_end(j);
	}
	if (in_obj)
		json_key(j, "deeper");
	json_arr_begin(j);
	struct json_val v[8];
	for (int k = 0; k < 8; k++)
		v[k] = row_val(k, 1);
	if (fused) {
		json_row(j, &t, v);
	} else {
		row_long(j, v);
		json_obj_end(j);
	}
	json_arr_end(j);
	for (int d = 0; d < depth; d++) {
		if (in_obj && d == 0)
			json_obj_end(j);
		else
			json_arr_end(j);
	}
}

/* A row from its template is the text of the long way, pretty or not, at
 * any depth (the deepest ones past the counts' slots written the long way
 * too), for every kind of value and string. */
Test(json, row_same_text)
{
	static const int depths[] = {0, 1, 2, 3, 9, 29, 30, 31, 32, 40};
	for (int pretty = 0; pretty <= 1; pretty++)
		for (size_t di = 0; di < sizeof depths / sizeof depths[0]; di++)
			for (int in_obj = 0; in_obj <= (depths[di] > 0); in_obj++) {
				struct json a = {0}, b = {0};
				a.pretty = b.pretty = pretty;
				row_document(&a, depths[di], in_obj, 0);
				row_document(&b, depths[di], in_obj, 1);
				cr_assert_str_eq(json_text(&b), json_text(&a), "pretty %d depth %d in_obj %d",
				                 pretty, depths[di], in_obj);
				cr_assert(depths[di] == 0 || depths[di] > 30 || valid_json(json_text(&b)), "valid at depth %d", depths[di]);
				json_free(&a);
				json_free(&b);
			}
}

/* Escaping as the byte at a time did it, for strings of every length up to
 * 40 made of plain bytes with one or two others anywhere (the words of
 * eight, the last word overlapping what was copied, the short strings
 * read whole). */
Test(json, escape_every_position)
{
	static const char *const odd[] = {"\"", "\\", "\x01", "\x7f", "\xc3\xa9", "\xe2\x80\xae", "\xff", "\xc2\x85"};
	for (size_t n = 0; n <= 40; n++)
		for (size_t at = 0; at <= n; at++)
			for (size_t o = 0; o < sizeof odd / sizeof odd[0]; o++) {
				char in[64], want[512];
				size_t m = 0, w = 0;
				for (size_t i = 0; i < n; i++) {
					if (i == at) {
						m += (size_t)snprintf(in + m, sizeof in - m, "%s", odd[o]);
						continue;
					}
					in[m++] = (char)('a' + i % 26);
				}
				in[m] = '\0';
				/* the reference: one code point at a time */
				want[w++] = '"';
				for (size_t i = 0; i < m;) {
					long cp;
					int k = text_decode(in + i, m - i, &cp);
					if (cp < 0)
						w += (size_t)snprintf(want + w, sizeof want - w, "\\ufffd");
					else if (cp == '"' || cp == '\\')
						w += (size_t)snprintf(want + w, sizeof want - w, "\\%c", (int)cp);
					else if (cp < 0x20 || cp == 0x7f || (cp >= 0x80 && cp <= 0x9f) ||
					         (cp >= 0x202a && cp <= 0x202e))
						w += (size_t)snprintf(want + w, sizeof want - w, "\\u%04lx", cp);
					else {
						memcpy(want + w, in + i, (size_t)k);
						w += (size_t)k;
					}
					i += (size_t)k;
				}
				want[w++] = '"';
				want[w] = '\0';
				char *s = str_json(in);
				cr_assert_str_eq(s, want, "length %zu, odd %zu at %zu", n, o, at);
				free(s);
			}
}
