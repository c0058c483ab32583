/* json: one small emitter for every JSON output. Strings are escaped per
 * RFC 8259; control characters become \u00XX and invalid UTF-8 becomes
 * U+FFFD, so untrusted text is always inert and the output always valid. */
#ifndef CONSORT_JSON_H
#define CONSORT_JSON_H

#include <stdio.h>

#include "core/util.h"

#define JSON_MAX_DEPTH 32

struct json {
	struct sbuf out;
	int depth;
	int pretty;                         /* indent with two spaces */
	unsigned char count[JSON_MAX_DEPTH]; /* items written at each depth (capped) */
	int after_key;
	/* When set, the text goes to sink in pieces as it grows (a large
	 * report never sits whole in memory) and json_text gives the rest. */
	FILE *sink;
};

void json_obj_begin(struct json *j);
void json_obj_end(struct json *j);
void json_arr_begin(struct json *j);
void json_arr_end(struct json *j);
void json_key(struct json *j, const char *key);
/* A key given as a C string literal of printable ASCII with neither '"'
 * nor '\\' (every fixed key of the outputs): written as it is, without
 * measuring or escaping it. */
#define json_key_lit(j, lit) json_key_quoted((j), JSON_QUOTED(lit))
/* q: the key quoted and its colon (n bytes), then a space for pretty:
 * JSON_QUOTED(lit) gives both arguments for a literal as above. */
void json_key_quoted(struct json *j, const char *q, size_t n);
#define JSON_QUOTED(lit) "\"" lit "\": ", sizeof(lit) + 2
/* A key as json_key_lit takes it and its value, in one step: the same
 * text as json_key_lit followed by json_str, json_int, ... */
#define json_kv_str(j, lit, s) json_qstr((j), JSON_QUOTED(lit), (s))
#define json_kv_int(j, lit, v) json_qint((j), JSON_QUOTED(lit), (v))
#define json_kv_fixed(j, lit, v) json_qfixed((j), JSON_QUOTED(lit), (v))
#define json_kv_num(j, lit, v) json_qnum((j), JSON_QUOTED(lit), (v))
#define json_kv_bool(j, lit, v) json_qbool((j), JSON_QUOTED(lit), (v))
void json_qstr(struct json *j, const char *q, size_t n, const char *s);
void json_qint(struct json *j, const char *q, size_t n, long long v);
void json_qfixed(struct json *j, const char *q, size_t n, long hundredths);
void json_qnum(struct json *j, const char *q, size_t n, double v);
void json_qbool(struct json *j, const char *q, size_t n, int v);
void json_str(struct json *j, const char *s);    /* NULL writes null */
void json_int(struct json *j, long long v);
void json_num(struct json *j, double v);
/* A number of two decimals from hundredths (cents, person-months): 1234.56,
 * written from the integer, exact. */
void json_fixed(struct json *j, long hundredths);          /* up to 2 decimals, no trailing zeros */
void json_bool(struct json *j, int v);
void json_null(struct json *j);
/* ---- objects of the same keys, one after another ----
 * The rows of a table (the effort of each partner in each WP, the tasks,
 * the indicators) are objects of the same keys in the same order: a
 * template holds the keys with their quotes, colons, commas and
 * indentation, made once for the depth the rows are written at, and a row
 * is that text copied around its values. The text is exactly that of
 * json_obj_begin, json_key and a value for each key, json_obj_end; where
 * no template applies (too deep, a number too large for the short form)
 * the row is written that way. */
#define JSON_ROW_MAX 16
enum json_kind { JSON_NULL, JSON_STR, JSON_INT, JSON_FIXED, JSON_NUM, JSON_BOOL };
struct json_val {
	enum json_kind kind;
	union {
		const char *s; /* JSON_STR: NULL writes null */
		long long i;   /* JSON_INT, JSON_BOOL */
		long fixed;    /* JSON_FIXED: hundredths, as json_fixed */
		double num;    /* JSON_NUM: as json_num */
	} u;
};
#define JSON_V_NULL ((struct json_val){.kind = JSON_NULL})
#define JSON_V_STR(x) ((struct json_val){.kind = JSON_STR, .u.s = (x)})
#define JSON_V_INT(x) ((struct json_val){.kind = JSON_INT, .u.i = (x)})
#define JSON_V_FIXED(x) ((struct json_val){.kind = JSON_FIXED, .u.fixed = (x)})
#define JSON_V_NUM(x) ((struct json_val){.kind = JSON_NUM, .u.num = (x)})
#define JSON_V_BOOL(x) ((struct json_val){.kind = JSON_BOOL, .u.i = !!(x)})
struct json_row {
	const char *const *keys;
	int nkeys;
	int depth, pretty, ok; /* what the template was made for (depth -1: not yet) */
	unsigned short at[JSON_ROW_MAX + 2]; /* piece k before value k, then the close */
	char text[2048];
};
/* keys: nkeys (1 to JSON_ROW_MAX) keys, kept by pointer. */
void json_row_init(struct json_row *r, const char *const *keys, int nkeys);
/* One object: a value for each key, in order. */
void json_row(struct json *j, struct json_row *r, const struct json_val *v);
/* The same left open for more keys (json_obj_end closes it). */
void json_row_open(struct json *j, struct json_row *r, const struct json_val *v);
/* Text written so far and not yet sent to the sink (valid JSON once every
 * container is closed, when there is no sink). */
const char *json_text(const struct json *j);
void json_free(struct json *j);

#endif
