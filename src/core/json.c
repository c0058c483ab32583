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
#define JSON_SPILL 65536

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

#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
#define JSON_SWAR 1
#define JSON_B(c) (0x0101010101010101ULL * (uint64_t)(c))
/* A mark in the high bit of each of the eight bytes of x (the first in
 * memory lowest) that json_plain does not pass: below 0x20, '"', '\\',
 * 0x7F and above. Each test marks its first byte exactly (a borrow runs
 * only upwards, from a byte already marked), so the lowest mark is the
 * first such byte. */
static inline uint64_t json_unplain8(uint64_t x)
{
	const uint64_t hi = JSON_B(0x80), one = JSON_B(0x01);
	uint64_t q = x ^ JSON_B('"'), b = x ^ JSON_B('\\'), d = x ^ JSON_B(0x7F);
	uint64_t m = (x - JSON_B(0x20)) & ~x;
	m |= (q - one) & ~q;
	m |= (b - one) & ~b;
	m |= (d - one) & ~d;
	return (m | x) & hi;
}
#endif

/* s (n bytes) as a JSON string at o, which has room for 6 * n + 2 bytes
 * (at most six bytes out for each byte in, and the quotes); returns the
 * end. */
static char *json_escape_long(char *o, const char *s, size_t n)
{
	static const char hex[] = "0123456789abcdef";
	size_t i = 0, run = 0; /* s[run..i) plain, written as it is */
	*o++ = '"';
	while (i < n) {
		/* A run of printable ASCII other than '"' and '\\' as it is:
		 * most of what is written (keys, ids, dates, titles). Eight
		 * bytes are copied at a time and then looked at; room for them
		 * is there, as each byte in has six out. */
#ifdef JSON_SWAR
		if (i + 8 <= n || (n >= 8 && n - 8 >= run)) {
			/* The last eight bytes, when fewer are left: those
			 * before i are plain (from run on) and are copied
			 * again as they are. */
			size_t at = i + 8 <= n ? i : n - 8;
			char *w = o - (i - at);
			uint64_t x;
			memcpy(&x, s + at, 8);
			memcpy(w, &x, 8);
			uint64_t m = json_unplain8(x);
			if (!m) {
				o = w + 8;
				i = at + 8;
				continue;
			}
			size_t r = (size_t)__builtin_ctzll(m) >> 3;
			o = w + r;
			i = at + r;
		} else
#endif
		{
			while (i < n && json_plain[(unsigned char)s[i]])
				*o++ = s[i++];
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
		run = i;
	}
	*o++ = '"';
	return o;
}

/* Is all of s (n bytes, at most 16) written as it is? Read in words that
 * overlap, never past s + n. */
static inline __attribute__((always_inline)) int json_short_plain(const char *s, size_t n)
{
#ifdef JSON_SWAR
	uint64_t x, y = 0;
	if (n >= 8) {
		memcpy(&x, s, 8);
		memcpy(&y, s + n - 8, 8);
		return !(json_unplain8(x) | json_unplain8(y));
	}
	if (n >= 4) {
		uint32_t a, b;
		memcpy(&a, s, 4);
		memcpy(&b, s + n - 4, 4);
		x = a | (uint64_t)b << 32;
	} else if (n > 0) {
		/* One to three bytes: the first, the middle and the last, and
		 * plain filling. */
		x = (uint64_t)(unsigned char)s[0] | (uint64_t)(unsigned char)s[n / 2] << 8 |
		    (uint64_t)(unsigned char)s[n - 1] << 16 | (JSON_B('a') << 24);
	} else {
		return 1;
	}
	return !json_unplain8(x);
#else
	(void)s;
	(void)n;
	return 0;
#endif
}

static inline __attribute__((always_inline)) char *json_escape_at(char *o, const char *s, size_t n)
{
	/* Ids, dates, words: short and plain, copied whole. */
	if (n <= 16 && json_short_plain(s, n)) {
		*o++ = '"';
		if (n >= 4) {
			json_copy(o, s, n);
		} else if (n > 0) {
			o[0] = s[0];
			o[n / 2] = s[n / 2];
			o[n - 1] = s[n - 1];
		}
		o += n;
		*o++ = '"';
		return o;
	}
	return json_escape_long(o, s, n);
}

/* The most bytes a long long takes in decimal, with its sign. */
#define JSON_LL_MAX 20

/* "00" to "99". */
static const char json_digits2[201] =
	"00010203040506070809101112131415161718192021222324252627282930313233343536373839"
	"40414243444546474849505152535455565758596061626364656667686970717273747576777879"
	"8081828384858687888990919293949596979899";

/* Decimal digits of v at o, without printf; returns the end. Most
 * numbers written have one to three digits; longer ones are counted
 * first and written in place from the last, two at a time. */
static inline char *json_put_ull(char *o, unsigned long long v)
{
	if (v < 10) {
		*o = (char)('0' + v);
		return o + 1;
	}
	if (v < 100) {
		memcpy(o, json_digits2 + 2 * v, 2);
		return o + 2;
	}
	int n = 3;
	for (unsigned long long p = 1000; n < 20 && v >= p; p *= 10)
		n++;
	char *end = o + n;
	while (v >= 100) {
		end -= 2;
		memcpy(end, json_digits2 + 2 * (v % 100), 2);
		v /= 100;
	}
	if (v >= 10) {
		end -= 2;
		memcpy(end, json_digits2 + 2 * v, 2);
	} else {
		*--end = (char)('0' + v);
	}
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
	o[0] = '.';
	memcpy(o + 1, json_digits2 + 2 * (a % 100), 2);
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

/* ---- rows of the same keys ---- */

void json_row_init(struct json_row *r, const char *const *keys, int nkeys)
{
	memset(r, 0, sizeof *r);
	r->keys = keys;
	r->nkeys = nkeys;
	r->depth = -1;
}

/* The template for rows written as values at j's depth: piece k (the
 * separator and indentation, the key and its colon; "{" first) before
 * value k, then the close. ok stays 0 where none applies. */
static void json_row_make(struct json_row *r, const struct json *j)
{
	r->depth = j->depth;
	r->pretty = j->pretty;
	r->ok = 0;
	/* The row's own count must have a slot apart from its parent's. */
	if (r->nkeys < 1 || r->nkeys > JSON_ROW_MAX || j->depth < 0 || j->depth + 1 >= JSON_MAX_DEPTH)
		return;
	size_t inner = j->pretty ? 2 * (size_t)(j->depth + 1) : 0;
	size_t need = 2 * (size_t)j->depth + 3;
	for (int k = 0; k < r->nkeys; k++)
		need += 6 * strlen(r->keys[k]) + inner + 6;
	if (need > sizeof r->text)
		return;
	char *o = r->text;
	for (int k = 0; k < r->nkeys; k++) {
		r->at[k] = (unsigned short)(o - r->text);
		*o++ = k ? ',' : '{';
		if (j->pretty) {
			*o++ = '\n';
			memset(o, ' ', inner);
			o += inner;
		}
		o = json_escape_at(o, r->keys[k], strlen(r->keys[k]));
		*o++ = ':';
		if (j->pretty)
			*o++ = ' ';
	}
	r->at[r->nkeys] = (unsigned short)(o - r->text);
	if (j->pretty) {
		*o++ = '\n';
		memset(o, ' ', 2 * (size_t)j->depth);
		o += 2 * (size_t)j->depth;
	}
	*o++ = '}';
	r->at[r->nkeys + 1] = (unsigned short)(o - r->text);
	r->ok = 1;
}

/* The row the long way: what the template stands for. */
static void json_row_slow(struct json *j, const struct json_row *r, const struct json_val *v, int close)
{
	json_obj_begin(j);
	for (int k = 0; k < r->nkeys; k++) {
		json_key(j, r->keys[k]);
		switch (v[k].kind) {
		case JSON_STR: json_str(j, v[k].u.s); break;
		case JSON_INT: json_int(j, v[k].u.i); break;
		case JSON_FIXED: json_fixed(j, v[k].u.fixed); break;
		case JSON_NUM: json_num(j, v[k].u.num); break;
		case JSON_BOOL: json_bool(j, (int)v[k].u.i); break;
		default: json_null(j); break;
		}
	}
	if (close)
		json_obj_end(j);
}

static void json_row_write(struct json *j, struct json_row *r, const struct json_val *v, int close)
{
	if (r->depth != j->depth || r->pretty != j->pretty)
		json_row_make(r, j);
	int n = r->nkeys;
	size_t len[JSON_ROW_MAX];
	size_t need = r->at[n + 1];
	int fast = r->ok;
	for (int k = 0; fast && k < n; k++) {
		if (v[k].kind == JSON_STR && v[k].u.s) {
			len[k] = strlen(v[k].u.s);
			need += 6 * len[k] + 2;
		} else {
			need += JSON_LL_MAX + 4;
			if (v[k].kind == JSON_NUM && isfinite(v[k].u.num) && !json_num_small(v[k].u.num))
				fast = 0;
		}
	}
	if (!fast) {
		json_row_slow(j, r, v, close);
		return;
	}
	char *o = json_value_at(j, need);
	const char *t = r->text;
	for (int k = 0; k < n; k++) {
		size_t m = (size_t)(r->at[k + 1] - r->at[k]);
		json_copy(o, t + r->at[k], m);
		o += m;
		switch (v[k].kind) {
		case JSON_STR:
			if (v[k].u.s) {
				o = json_escape_at(o, v[k].u.s, len[k]);
				break;
			}
			memcpy(o, "null", 4);
			o += 4;
			break;
		case JSON_INT: o = json_put_ll(o, v[k].u.i); break;
		case JSON_FIXED: o = json_put_fixed(o, v[k].u.fixed); break;
		case JSON_NUM:
			if (isfinite(v[k].u.num)) {
				o = json_put_num(o, v[k].u.num);
				break;
			}
			memcpy(o, "null", 4);
			o += 4;
			break;
		case JSON_BOOL:
			memcpy(o, v[k].u.i ? "true" : "false", 5);
			o += v[k].u.i ? 4 : 5;
			break;
		default:
			memcpy(o, "null", 4);
			o += 4;
			break;
		}
	}
	j->count[j->depth + 1] = (unsigned char)(n < 255 ? n : 255);
	j->after_key = 0;
	if (close) {
		size_t m = (size_t)(r->at[n + 1] - r->at[n]);
		json_copy(o, t + r->at[n], m);
		o += m;
	} else {
		j->depth++;
	}
	json_done(j, o);
}

void json_row(struct json *j, struct json_row *r, const struct json_val *v)
{
	json_row_write(j, r, v, 1);
}

void json_row_open(struct json *j, struct json_row *r, const struct json_val *v)
{
	json_row_write(j, r, v, 0);
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
