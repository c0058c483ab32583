#include "config.h"
#include "core/text.h"

#include <langinfo.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <wchar.h>

#include "core/util.h"

int text_decode(const char *str, size_t n, long *cp)
{
	const unsigned char *s = (const unsigned char *)str;
	if (n == 0) {
		*cp = -1;
		return 1;
	}
	unsigned c = s[0];
	if (c < 0x80) {
		*cp = (long)c;
		return 1;
	}
	int len;
	long v, min;
	if (c >= 0xC2 && c <= 0xDF) {
		len = 2; v = c & 0x1F; min = 0x80;
	} else if (c >= 0xE0 && c <= 0xEF) {
		len = 3; v = c & 0x0F; min = 0x800;
	} else if (c >= 0xF0 && c <= 0xF4) {
		len = 4; v = c & 0x07; min = 0x10000;
	} else {
		*cp = -1;
		return 1;
	}
	if ((size_t)len > n) {
		*cp = -1;
		return 1;
	}
	for (int i = 1; i < len; i++) {
		if ((s[i] & 0xC0) != 0x80) {
			*cp = -1;
			return 1;
		}
		v = (v << 6) | (s[i] & 0x3F);
	}
	if (v < min || v > 0x10FFFF || (v >= 0xD800 && v <= 0xDFFF)) {
		*cp = -1;
		return 1;
	}
	*cp = v;
	return len;
}

int text_valid_utf8(const char *s, size_t len)
{
	size_t i = 0;
	while (i < len) {
		/* ASCII, eight bytes at a time. */
		while (i + 8 <= len) {
			uint64_t w;
			memcpy(&w, s + i, 8);
			if (w & 0x8080808080808080ull)
				break;
			i += 8;
		}
		if (i < len && (unsigned char)s[i] < 0x80) {
			i++;
			continue;
		}
		if (i >= len)
			break;
		long cp;
		int k = text_decode(s + i, len - i, &cp);
		if (cp < 0)
			return 0;
		i += (size_t)k;
	}
	return 1;
}

static void put_cp(struct sbuf *b, long cp)
{
	char u[4];
	int n;
	if (cp < 0x80) {
		u[0] = (char)cp; n = 1;
	} else if (cp < 0x800) {
		u[0] = (char)(0xC0 | (cp >> 6));
		u[1] = (char)(0x80 | (cp & 0x3F)); n = 2;
	} else if (cp < 0x10000) {
		u[0] = (char)(0xE0 | (cp >> 12));
		u[1] = (char)(0x80 | ((cp >> 6) & 0x3F));
		u[2] = (char)(0x80 | (cp & 0x3F)); n = 3;
	} else {
		u[0] = (char)(0xF0 | (cp >> 18));
		u[1] = (char)(0x80 | ((cp >> 12) & 0x3F));
		u[2] = (char)(0x80 | ((cp >> 6) & 0x3F));
		u[3] = (char)(0x80 | (cp & 0x3F)); n = 4;
	}
	sbuf_add(b, u, (size_t)n);
}

static int is_bidi_control(long cp)
{
	return (cp >= 0x202A && cp <= 0x202E) || (cp >= 0x2066 && cp <= 0x2069) ||
	       cp == 0x200E || cp == 0x200F || cp == 0x061C;
}

/* Length of the run of printable ASCII at s (at most len bytes): text
 * that passes through the sanitizer and measures one column a byte. */
static size_t ascii_run(const char *s, size_t len)
{
	size_t i = 0;
	while (i < len && (unsigned char)s[i] >= 0x20 && (unsigned char)s[i] < 0x7F)
		i++;
	return i;
}

char *text_sanitize_n(const char *s, size_t len, int flags)
{
	struct sbuf b = {0};
	size_t i = 0;
	xgrow(&b.s, &b.cap, len + 1, 1);
	sbuf_add(&b, "", 0);
	while (i < len) {
		size_t run = ascii_run(s + i, len - i);
		if (run) {
			sbuf_add(&b, s + i, run);
			i += run;
			continue;
		}
		long cp;
		int k = text_decode(s + i, len - i, &cp);
		i += (size_t)k;
		if (cp == '\n' && (flags & TEXT_KEEP_NL)) {
			sbuf_putc(&b, '\n');
		} else if (cp >= 0 && (cp < 0x20 || cp == 0x7F)) {
			if (flags & TEXT_ASCII) {
				sbuf_putc(&b, '^');
				sbuf_putc(&b, cp == 0x7F ? '?' : (char)('@' + cp));
			} else {
				put_cp(&b, cp == 0x7F ? 0x2421 : 0x2400 + cp);
			}
		} else if (cp < 0 || (cp >= 0x80 && cp <= 0x9F) || is_bidi_control(cp) ||
		           cp == 0xFEFF || (cp >= 0xFFF9 && cp <= 0xFFFB)) {
			if (flags & TEXT_ASCII)
				sbuf_putc(&b, '?');
			else
				put_cp(&b, 0xFFFD);
		} else if (cp >= 0x80 && (flags & TEXT_ASCII)) {
			sbuf_putc(&b, '?');
		} else {
			put_cp(&b, cp);
		}
	}
	return sbuf_take(&b);
}

char *text_sanitize(const char *s, int flags)
{
	if (!s)
		return xstrdup("");
	return text_sanitize_n(s, strlen(s), flags);
}

static int cp_width(long cp)
{
	if (cp < 0x20 || cp == 0x7F)
		return 0;
	if (cp < 0x7F)
		return 1;
	int w = wcwidth((wchar_t)cp);
	if (w >= 0)
		return w;
	/* Not known to this locale's tables: count a printable character as one. */
	return 1;
}

int text_width(const char *s)
{
	int w = 0;
	size_t n = strlen(s), i = 0;
	while (i < n) {
		size_t run = ascii_run(s + i, n - i);
		if (run) {
			w += (int)run;
			i += run;
			continue;
		}
		long cp;
		i += (size_t)text_decode(s + i, n - i, &cp);
		w += cp < 0 ? 1 : cp_width(cp);
	}
	return w;
}

char *text_fit(const char *s, int cols, char align, int flags)
{
	struct sbuf b = {0};
	if (cols <= 0)
		return xstrdup("");
	static const char spaces[] = "                                ";
	int total = text_width(s);
	size_t n = strlen(s);
	if (total <= cols) {
		xgrow(&b.s, &b.cap, n + (size_t)(cols - total) + 1, 1);
		int pad = cols - total;
		if (align == 'r')
			for (int k = pad; k > 0; k -= (int)sizeof spaces - 1)
				sbuf_add(&b, spaces, k < (int)sizeof spaces - 1 ? (size_t)k : sizeof spaces - 1);
		sbuf_add(&b, s, n);
		if (align != 'r')
			for (int k = pad; k > 0; k -= (int)sizeof spaces - 1)
				sbuf_add(&b, spaces, k < (int)sizeof spaces - 1 ? (size_t)k : sizeof spaces - 1);
		return sbuf_take(&b);
	}
	/* Truncate: keep characters up to cols-1 columns, then the ellipsis. */
	int w = 0;
	size_t i = 0;
	sbuf_add(&b, "", 0);
	while (i < n) {
		long cp;
		int k = text_decode(s + i, n - i, &cp);
		int cw = cp < 0 ? 1 : cp_width(cp);
		if (w + cw > cols - 1)
			break;
		sbuf_add(&b, s + i, (size_t)k);
		w += cw;
		i += (size_t)k;
	}
	/* Keep combining marks that belong to the last character kept. */
	while (i < n) {
		long cp;
		int k = text_decode(s + i, n - i, &cp);
		if (cp < 0 || cp_width(cp) != 0)
			break;
		sbuf_add(&b, s + i, (size_t)k);
		i += (size_t)k;
	}
	sbuf_puts(&b, (flags & TEXT_ASCII) ? "~" : "\xe2\x80\xa6");
	w++;
	for (; w < cols; w++)
		sbuf_putc(&b, ' ');
	return sbuf_take(&b);
}

char *text_cell(const char *untrusted, int cols, char align, int flags)
{
	/* Printable ASCII (most cells): sanitizing keeps it as it is and each
	 * byte is one column, so it is fitted here in one allocation. */
	if (untrusted && cols > 0) {
		size_t n = 0;
		while ((unsigned char)untrusted[n] >= 0x20 && (unsigned char)untrusted[n] < 0x7F)
			n++;
		if (untrusted[n] == '\0') {
			size_t c = (size_t)cols;
			if (n <= c) {
				char *out = xmalloc(c + 1);
				size_t pad = c - n;
				if (align == 'r') {
					memset(out, ' ', pad);
					memcpy(out + pad, untrusted, n);
				} else {
					memcpy(out, untrusted, n);
					memset(out + n, ' ', pad);
				}
				out[c] = '\0';
				return out;
			}
			const char *dots = (flags & TEXT_ASCII) ? "~" : "\xe2\x80\xa6";
			size_t dn = strlen(dots);
			char *out = xmalloc(c - 1 + dn + 1);
			memcpy(out, untrusted, c - 1);
			memcpy(out + c - 1, dots, dn + 1);
			return out;
		}
	}
	char *clean = text_sanitize(untrusted, flags & ~TEXT_KEEP_NL);
	char *out = text_fit(clean, cols, align, flags);
	free(clean);
	return out;
}

int text_locale_ascii(void)
{
	const char *cs = nl_langinfo(CODESET);
	return !(cs && (strcmp(cs, "UTF-8") == 0 || strcmp(cs, "utf8") == 0));
}

const char *text_rate(double v, char *buf)
{
	double a = v < 0 ? -v : v;
	if (!(a < 1e15)) {
		snprintf(buf, 32, "%.0f", v);
		return buf;
	}
	/* Decide on the rounded value, so that 9.96 reads 10, not 10.0. */
	long long tenths = (long long)(a * 10.0 + 0.5);
	const char *sign = v < 0 && tenths > 0 ? "-" : "";
	if (tenths < 100)
		snprintf(buf, 32, "%s%lld.%lld", sign, tenths / 10, tenths % 10);
	else
		snprintf(buf, 32, "%s%lld", sign, (long long)(a + 0.5));
	return buf;
}
