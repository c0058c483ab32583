/* json: the one JSON emitter. Promises valid RFC 8259 text once every
 * container is closed: strings escaped (quote, backslash, every control
 * character as \u00XX, C1 controls, bidirectional controls and U+2028/2029
 * escaped too, invalid UTF-8 as \ufffd), numbers written without the
 * locale's decimal comma, NaN and infinities as null. */
#include "config.h"
#include "core/json.h"
#include "core/resources.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/text.h"

static int json_slot(int depth)
{
	return depth < JSON_MAX_DEPTH ? depth : JSON_MAX_DEPTH - 1;
}

/* Sends what has piled up to the sink. */
static void json_spill(struct json *j)
{
	if (j->sink && j->out.len >= 16384) {
		fwrite(j->out.s, 1, j->out.len, j->sink);
		j->out.len = 0;
		j->out.s[0] = '\0';
	}
}

/* Room for n more bytes and the NUL; where they go. */
static char *json_room(struct json *j, size_t n)
{
	if (j->out.len + n + 1 > j->out.cap)
		xgrow(&j->out.s, &j->out.cap, j->out.len + n + 1, 1);
	return j->out.s + j->out.len;
}

/* A newline and two spaces a level at o; returns the end. */
static char *json_indent_at(const struct json *j, char *o)
{
	*o++ = '\n';
	memset(o, ' ', 2 * (size_t)j->depth);
	return o + 2 * (size_t)j->depth;
}

/* The most json_sep writes. */
static size_t json_sep_max(const struct json *j)
{
	return 2 + 2 * (size_t)j->depth;
}

/* Separator and indentation before a value or a key, written at o (room
 * for json_sep_max bytes); returns the end. */
static char *json_sep(struct json *j, char *o)
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
static void json_done(struct json *j, char *o)
{
	*o = '\0';
	j->out.len = (size_t)(o - j->out.s);
}

static void json_before(struct json *j)
{
	json_spill(j);
	json_done(j, json_sep(j, json_room(j, json_sep_max(j))));
}

static void json_open(struct json *j, char c)
{
	json_before(j);
	sbuf_putc(&j->out, c);
	j->depth++;
	j->count[json_slot(j->depth)] = 0;
}

static void json_close(struct json *j, char c)
{
	int had = j->depth > 0 && j->count[json_slot(j->depth)] > 0;
	if (j->depth > 0)
		j->depth--;
	char *o = json_room(j, json_sep_max(j));
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
			memcpy(o, s + i, r - i);
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

/* Decimal digits of v, without printf. */
static void json_put_ull(struct sbuf *b, unsigned long long v)
{
	char d[24];
	int at = (int)sizeof d;
	do {
		d[--at] = (char)('0' + v % 10);
		v /= 10;
	} while (v);
	sbuf_add(b, d + at, sizeof d - (size_t)at);
}

static void json_put_ll(struct sbuf *b, long long v)
{
	if (v < 0) {
		sbuf_putc(b, '-');
		json_put_ull(b, (unsigned long long)(-(v + 1)) + 1);
	} else {
		json_put_ull(b, (unsigned long long)v);
	}
}

/* A key or a string value: separator, the escaped text, and for a key the
 * colon, in one reservation. */
static void json_text_item(struct json *j, const char *s, int key)
{
	size_t n = strlen(s);
	json_spill(j);
	char *o = json_room(j, json_sep_max(j) + 6 * n + 4);
	o = json_escape_at(json_sep(j, o), s, n);
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
	json_before(j);
	json_put_ll(&j->out, v);
}

void json_fixed(struct json *j, long hundredths)
{
	char buf[24];
	json_before(j);
	sbuf_puts(&j->out, res_format(hundredths, buf));
}

void json_num(struct json *j, double v)
{
	if (!isfinite(v)) {
		json_null(j);
		return;
	}
	json_before(j);
	if (v >= 1e15 || v <= -1e15) {
		/* Integral at this magnitude; %.0f has no decimal separator. */
		sbuf_printf(&j->out, "%.0f", v);
		return;
	}
	double scaled = v * 100.0;
	long long c = (long long)(scaled < 0 ? scaled - 0.5 : scaled + 0.5);
	int neg = c < 0;
	unsigned long long a = neg ? (unsigned long long)(-(c + 1)) + 1 : (unsigned long long)c;
	unsigned long long whole = a / 100, frac = a % 100;
	if (neg && a != 0)
		sbuf_putc(&j->out, '-');
	json_put_ull(&j->out, whole);
	if (frac) {
		char f[3] = { '.', (char)('0' + frac / 10), (char)('0' + frac % 10) };
		sbuf_add(&j->out, f, frac % 10 == 0 ? 2 : 3);
	}
}

void json_bool(struct json *j, int v)
{
	json_before(j);
	sbuf_puts(&j->out, v ? "true" : "false");
}

void json_null(struct json *j)
{
	json_before(j);
	sbuf_puts(&j->out, "null");
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
