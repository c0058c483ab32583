/* json: the one JSON emitter. Promises valid RFC 8259 text once every
 * container is closed: strings escaped (quote, backslash, every control
 * character as \u00XX, C1 controls, bidirectional controls and U+2028/2029
 * escaped too, invalid UTF-8 as \ufffd), numbers written without the
 * locale's decimal comma, NaN and infinities as null. */
#include "config.h"
#include "core/json.h"

#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/text.h"

static int json_slot(int depth)
{
	return depth < JSON_MAX_DEPTH ? depth : JSON_MAX_DEPTH - 1;
}

/* What piles up before it goes to the sink. */
#define JSON_SPILL 16384

static void json_flush(struct json *j)
{
	fwrite(j->out.s, 1, j->out.len, j->sink);
	j->out.len = 0;
	j->out.s[0] = '\0';
}

/* Sends what has piled up to the sink. */
static inline void json_spill(struct json *j)
{
	if (j->sink && j->out.len >= JSON_SPILL)
		json_flush(j);
}

static void json_grow(struct json *j, size_t n)
{
	xgrow(&j->out.s, &j->out.cap, j->out.len + n + 1, 1);
}

/* Room for n more bytes and the NUL; where they go. */
static inline char *json_room(struct json *j, size_t n)
{
	if (j->out.len + n + 1 > j->out.cap)
		json_grow(j, n);
	return j->out.s + j->out.len;
}

/* Spaces copied eight at a time: indentation may write up to
 * JSON_INDENT_SLACK bytes past its end (json_sep_max counts them). */
#define JSON_INDENT_SLACK 8

/* A newline and two spaces a level at o; returns the end. */
static inline char *json_indent_at(const struct json *j, char *o)
{
	static const char spaces[8] = "        ";
	size_t n = 2 * (size_t)j->depth;
	*o++ = '\n';
	for (size_t i = 0; i < n; i += 8)
		memcpy(o + i, spaces, 8);
	return o + n;
}

/* The most json_sep writes (and the indentation's slack). */
static inline size_t json_sep_max(const struct json *j)
{
	return 2 + 2 * (size_t)j->depth + JSON_INDENT_SLACK;
}

/* Separator and indentation before a value or a key, written at o (room
 * for json_sep_max bytes); returns the end. */
static inline __attribute__((always_inline)) char *json_sep(struct json *j, char *o)
{
	if (j->after_key) {
		j->after_key = 0;
		return o;
	}
	int k = json_slot(j->depth);
	if (j->depth > 0 && j->count[k] > 0)
		*o++ = ',';
	if (j->count[k] < 255)
		j->count[k]++;
	if (j->pretty && j->depth > 0)
		o = json_indent_at(j, o);
	return o;
}

/* Ends what was written up to o. */
static inline void json_done(struct json *j, char *o)
{
	*o = '\0';
	j->out.len = (size_t)(o - j->out.s);
}

/* The separator before a value of at most n bytes, with room for the
 * value; where the value goes (json_done ends it). */
static inline char *json_value_at(struct json *j, size_t n)
{
	json_spill(j);
	return json_sep(j, json_room(j, json_sep_max(j) + n));
}

static void json_before(struct json *j)
{
	json_done(j, json_value_at(j, 0));
}

static void json_open(struct json *j, char c)
{
	char *o = json_value_at(j, 1);
	*o++ = c;
	json_done(j, o);
	j->depth++;
	j->count[json_slot(j->depth)] = 0;
}

static void json_close(struct json *j, char c)
{
	int had = j->depth > 0 && j->count[json_slot(j->depth)] > 0;
	if (j->depth > 0)
		j->depth--;
	char *o = json_room(j, json_sep_max(j) + 1);
	if (j->pretty && had)
		o = json_indent_at(j, o);
	*o++ = c;
	json_done(j, o);
	j->after_key = 0;
}

void json_obj_begin(struct json *j) { json_open(j, '{'); }
void json_obj_end(struct json *j) { json_close(j, '}'); }
void json_arr_begin(struct json *j) { json_open(j, '['); }
void json_arr_end(struct json *j) { json_close(j, ']'); }

/* Must a code point be written as \uXXXX? */
static int json_must_escape(long cp)
{
	return cp < 0x20 || cp == 0x7F || (cp >= 0x80 && cp <= 0x9F) ||
	       (cp >= 0x202A && cp <= 0x202E) || (cp >= 0x2066 && cp <= 0x2069) ||
	       cp == 0x200E || cp == 0x200F || cp == 0x061C ||
	       cp == 0x2028 || cp == 0x2029 || cp == 0xFEFF;
}

/* n bytes from q to o, for the short copies that make most of the text
 * (keys, ids, words): overlapping words instead of a call to memcpy,
 * reading and writing only inside the n bytes. */
static inline void json_copy(char *o, const char *q, size_t n)
{
	if (n >= 8 && n <= 16) {
		uint64_t a, b;
		memcpy(&a, q, 8);
		memcpy(&b, q + n - 8, 8);
		memcpy(o, &a, 8);
		memcpy(o + n - 8, &b, 8);
	} else if (n >= 4 && n < 8) {
		uint32_t a, b;
		memcpy(&a, q, 4);
		memcpy(&b, q + n - 4, 4);
		memcpy(o, &a, 4);
		memcpy(o + n - 4, &b, 4);
	} else if (n > 16 && n <= 32) {
		uint64_t a, b, c, d;
		memcpy(&a, q, 8);
		memcpy(&b, q + 8, 8);
		memcpy(&c, q + n - 16, 8);
		memcpy(&d, q + n - 8, 8);
		memcpy(o, &a, 8);
		memcpy(o + 8, &b, 8);
		memcpy(o + n - 16, &c, 8);
		memcpy(o + n - 8, &d, 8);
	} else {
		memcpy(o, q, n);
	}
}

/* 1 for the bytes written as they are: printable ASCII but '"' and '\\'. */
#define P16 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1
static const unsigned char json_plain[256] = {
	[0x20] = 1, 1, 0, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, /* 0x22 '"' */
	[0x30] = P16,
	[0x40] = P16,
	[0x50] = 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 0, 1, 1, 1, /* 0x5C '\\' */
	[0x60] = P16,
	[0x70] = 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 0, /* 0x7F DEL */
};
#undef P16

/* s (n bytes) as a JSON string at o, which has room for 6 * n + 2 bytes
 * (at most six bytes out for each byte in, and the quotes); returns the
 * end. */
static char *json_escape_at(char *o, const char *s, size_t n)
{
	static const char hex[] = "0123456789abcdef";
	size_t i = 0;
	*o++ = '"';
	while (i < n) {
		/* A run of printable ASCII other than '"' and '\\' as it is, in
		 * one copy: most of what is written (keys, ids, dates). */
		size_t r = i;
		while (r < n && json_plain[(unsigned char)s[r]])
			r++;
		if (r > i) {
			json_copy(o, s + i, r - i);
			o += r - i;
			i = r;
			if (i == n)
				break;
		}
		long cp;
		int k = text_decode(s + i, n - i, &cp);
		if (cp < 0) {
			memcpy(o, "\\ufffd", 6);
			o += 6;
		} else if (cp == '"' || cp == '\\') {
			*o++ = '\\';
			*o++ = (char)cp;
		} else if (json_must_escape(cp)) {
			*o++ = '\\';
			*o++ = 'u';
			*o++ = hex[(cp >> 12) & 15];
			*o++ = hex[(cp >> 8) & 15];
			*o++ = hex[(cp >> 4) & 15];
			*o++ = hex[cp & 15];
		} else {
			memcpy(o, s + i, (size_t)k);
			o += k;
		}
		i += (size_t)k;
	}
	*o++ = '"';
	return o;
}

/* The most bytes a long long takes in decimal, with its sign. */
#define JSON_LL_MAX 20

/* Decimal digits of v at o, without printf; returns the end. The digits
 * are counted first and written in place from the last (most numbers
 * written have one to three). */
static inline char *json_put_ull(char *o, unsigned long long v)
{
	int n = 1;
	for (unsigned long long p = 10; n < 20 && v >= p; p *= 10)
		n++;
	char *end = o + n;
	do {
		*--end = (char)('0' + v % 10);
		v /= 10;
	} while (v);
	return o + n;
}

static inline char *json_put_ll(char *o, long long v)
{
	if (v < 0) {
		*o++ = '-';
		return json_put_ull(o, (unsigned long long)(-(v + 1)) + 1);
	}
	return json_put_ull(o, (unsigned long long)v);
}

/* A key or a string value: separator, the escaped text, and for a key the
 * colon, in one reservation. */
static void json_text_item(struct json *j, const char *s, int key)
{
	size_t n = strlen(s);
	char *o = json_escape_at(json_value_at(j, 6 * n + 4), s, n);
	if (key) {
		*o++ = ':';
		if (j->pretty)
			*o++ = ' ';
	}
	json_done(j, o);
	j->after_key = key;
}

void json_key(struct json *j, const char *key)
{
	json_text_item(j, key ? key : "", 1);
}

void json_key_quoted(struct json *j, const char *q, size_t n)
{
	char *o = json_value_at(j, n + 1);
	size_t m = n + (j->pretty ? 1 : 0);
	json_copy(o, q, m);
	json_done(j, o + m);
	j->after_key = 1;
}

void json_str(struct json *j, const char *s)
{
	if (!s) {
		json_null(j);
		return;
	}
	json_text_item(j, s, 0);
}

void json_int(struct json *j, long long v)
{
	json_done(j, json_put_ll(json_value_at(j, JSON_LL_MAX), v));
}

/* As res_format, at o: the sign, the whole units and exactly two
 * decimals; returns the end. */
#define JSON_FIXED_MAX (JSON_LL_MAX + 3)
static inline char *json_put_fixed(char *o, long hundredths)
{
	unsigned long a = hundredths < 0 ? 0UL - (unsigned long)hundredths : (unsigned long)hundredths;
	if (hundredths < 0)
		*o++ = '-';
	o = json_put_ull(o, a / 100);
	unsigned long c = a % 100;
	o[0] = '.';
	o[1] = (char)('0' + c / 10);
	o[2] = (char)('0' + c % 10);
	return o + 3;
}

/* Is v written by json_put_num (finite, below 1e15 in magnitude)? */
static inline int json_num_small(double v)
{
	return isfinite(v) && v < 1e15 && v > -1e15;
}

/* A small v (json_num_small) at o, to two decimals without trailing
 * zeros; returns the end. */
#define JSON_NUM_MAX (JSON_LL_MAX + 4)
static inline char *json_put_num(char *o, double v)
{
	double scaled = v * 100.0;
	long long c = (long long)(scaled < 0 ? scaled - 0.5 : scaled + 0.5);
	int neg = c < 0;
	unsigned long long a = neg ? (unsigned long long)(-(c + 1)) + 1 : (unsigned long long)c;
	unsigned long long whole = a / 100, frac = a % 100;
	if (neg && a != 0)
		*o++ = '-';
	o = json_put_ull(o, whole);
	if (frac) {
		o[0] = '.';
		o[1] = (char)('0' + frac / 10);
		o[2] = (char)('0' + frac % 10);
		o += frac % 10 == 0 ? 2 : 3;
	}
	return o;
}

void json_fixed(struct json *j, long hundredths)
{
	json_done(j, json_put_fixed(json_value_at(j, JSON_FIXED_MAX), hundredths));
}

void json_num(struct json *j, double v)
{
	if (!isfinite(v)) {
		json_null(j);
		return;
	}
	if (!json_num_small(v)) {
		/* Integral at this magnitude; %.0f has no decimal separator. */
		json_before(j);
		sbuf_printf(&j->out, "%.0f", v);
		return;
	}
	json_done(j, json_put_num(json_value_at(j, JSON_NUM_MAX), v));
}

void json_bool(struct json *j, int v)
{
	char *o = json_value_at(j, 5);
	memcpy(o, v ? "true" : "false", 5);
	json_done(j, o + (v ? 4 : 5));
}

void json_null(struct json *j)
{
	char *o = json_value_at(j, 4);
	memcpy(o, "null", 4);
	json_done(j, o + 4);
}

/* ---- a key and its value at once ---- */

/* The separator and the key q (n bytes, then the space for pretty), with
 * room for a value of at most vmax bytes; where the value goes. */
static inline char *json_field_at(struct json *j, const char *q, size_t n, size_t vmax)
{
	char *o = json_value_at(j, n + 1 + vmax);
	size_t m = n + (j->pretty ? 1 : 0);
	json_copy(o, q, m);
	return o + m;
}

static void json_qnull(struct json *j, const char *q, size_t n)
{
	char *o = json_field_at(j, q, n, 4);
	memcpy(o, "null", 4);
	json_done(j, o + 4);
}

void json_qstr(struct json *j, const char *q, size_t n, const char *s)
{
	if (!s) {
		json_qnull(j, q, n);
		return;
	}
	size_t len = strlen(s);
	json_done(j, json_escape_at(json_field_at(j, q, n, 6 * len + 2), s, len));
}

void json_qint(struct json *j, const char *q, size_t n, long long v)
{
	json_done(j, json_put_ll(json_field_at(j, q, n, JSON_LL_MAX), v));
}

void json_qfixed(struct json *j, const char *q, size_t n, long hundredths)
{
	json_done(j, json_put_fixed(json_field_at(j, q, n, JSON_FIXED_MAX), hundredths));
}

void json_qnum(struct json *j, const char *q, size_t n, double v)
{
	if (!json_num_small(v)) {
		json_key_quoted(j, q, n);
		json_num(j, v);
		return;
	}
	json_done(j, json_put_num(json_field_at(j, q, n, JSON_NUM_MAX), v));
}

void json_qbool(struct json *j, const char *q, size_t n, int v)
{
	char *o = json_field_at(j, q, n, 5);
	memcpy(o, v ? "true" : "false", 5);
	json_done(j, o + (v ? 4 : 5));
}

const char *json_text(const struct json *j)
{
	return sbuf_str(&j->out);
}

void json_free(struct json *j)
{
	sbuf_free(&j->out);
	memset(j, 0, sizeof *j);
}
