/* json: the one JSON emitter. Promises valid RFC 8259 text once every
 * container is closed: strings escaped (quote, backslash, every control
 * character as \u00XX, C1 controls, bidirectional controls and U+2028/2029
 * escaped too, invalid UTF-8 as \ufffd), numbers written without the
 * locale's decimal comma, NaN and infinities as null. */
#include "config.h"
#include "core/json.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/text.h"

static int json_slot(int depth)
{
	return depth < JSON_MAX_DEPTH ? depth : JSON_MAX_DEPTH - 1;
}

static void json_indent(struct json *j)
{
	sbuf_putc(&j->out, '\n');
	for (int i = 0; i < j->depth; i++)
		sbuf_puts(&j->out, "  ");
}

/* Separator and indentation before a value or a key. */
static void json_before(struct json *j)
{
	if (j->after_key) {
		j->after_key = 0;
		return;
	}
	int k = json_slot(j->depth);
	if (j->depth > 0 && j->count[k] > 0)
		sbuf_putc(&j->out, ',');
	if (j->count[k] < 255)
		j->count[k]++;
	if (j->pretty && j->depth > 0)
		json_indent(j);
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
	if (j->pretty && had)
		json_indent(j);
	sbuf_putc(&j->out, c);
	j->after_key = 0;
}

void json_obj_begin(struct json *j) { json_open(j, '{'); }
void json_obj_end(struct json *j) { json_close(j, '}'); }
void json_arr_begin(struct json *j) { json_open(j, '['); }
void json_arr_end(struct json *j) { json_close(j, ']'); }

static void json_escape(struct sbuf *b, const char *s)
{
	size_t n = strlen(s), i = 0;
	sbuf_putc(b, '"');
	while (i < n) {
		long cp;
		int k = text_decode(s + i, n - i, &cp);
		if (cp < 0) {
			sbuf_puts(b, "\\ufffd");
		} else if (cp == '"') {
			sbuf_puts(b, "\\\"");
		} else if (cp == '\\') {
			sbuf_puts(b, "\\\\");
		} else if (cp < 0x20 || cp == 0x7F || (cp >= 0x80 && cp <= 0x9F) ||
		           (cp >= 0x202A && cp <= 0x202E) || (cp >= 0x2066 && cp <= 0x2069) ||
		           cp == 0x200E || cp == 0x200F || cp == 0x061C ||
		           cp == 0x2028 || cp == 0x2029 || cp == 0xFEFF) {
			sbuf_printf(b, "\\u%04lx", cp);
		} else {
			sbuf_add(b, s + i, (size_t)k);
		}
		i += (size_t)k;
	}
	sbuf_putc(b, '"');
}

void json_key(struct json *j, const char *key)
{
	json_before(j);
	json_escape(&j->out, key ? key : "");
	sbuf_puts(&j->out, j->pretty ? ": " : ":");
	j->after_key = 1;
}

void json_str(struct json *j, const char *s)
{
	if (!s) {
		json_null(j);
		return;
	}
	json_before(j);
	json_escape(&j->out, s);
}

void json_int(struct json *j, long long v)
{
	json_before(j);
	sbuf_printf(&j->out, "%lld", v);
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
	sbuf_printf(&j->out, "%llu", whole);
	if (frac) {
		if (frac % 10 == 0)
			sbuf_printf(&j->out, ".%llu", frac / 10);
		else
			sbuf_printf(&j->out, ".%02llu", frac);
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
