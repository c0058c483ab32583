/* Tests for text: the sanitizer makes hostile text inert (no ESC, BEL, C1,
 * invalid UTF-8 or bidi overrides reach the terminal), and width and fitting
 * work by terminal columns, never splitting a UTF-8 sequence. */
#include "config.h"

#include <criterion/criterion.h>
#include <locale.h>
#include <stdlib.h>
#include <string.h>

#include "core/text.h"

static void setup(void)
{
	cr_assert_not_null(setlocale(LC_ALL, "C.UTF-8"), "C.UTF-8 locale is missing");
}

TestSuite(sanitize, .init = setup);
TestSuite(valid, .init = setup);
TestSuite(width, .init = setup);
TestSuite(fit, .init = setup);
TestSuite(cell, .init = setup);

/* Does the sanitized string s hold code point cp? */
static int has_cp(const char *s, long cp)
{
	size_t n = strlen(s), i = 0;
	while (i < n) {
		long c;
		i += (size_t)text_decode(s + i, n - i, &c);
		if (c == cp)
			return 1;
	}
	return 0;
}

/* No C0 control (other than those allowed), DEL or C1 code point. */
static int inert(const char *s, int allow_nl)
{
	size_t n = strlen(s), i = 0;
	if (!text_valid_utf8(s, n))
		return 0;
	while (i < n) {
		long c;
		i += (size_t)text_decode(s + i, n - i, &c);
		if (c == '\n' && allow_nl)
			continue;
		if (c < 0x20 || c == 0x7F || (c >= 0x80 && c <= 0x9F))
			return 0;
		if ((c >= 0x202A && c <= 0x202E) || (c >= 0x2066 && c <= 0x2069))
			return 0;
	}
	return 1;
}

/* ---- text_sanitize ------------------------------------------------------ */

Test(sanitize, plain_text_unchanged)
{
	const char *in = "Jānis: ziņojums iesniegts; Tõnu; Åsa; WP2 100%";
	char *out = text_sanitize(in, 0);
	cr_assert_str_eq(out, in);
	free(out);
}

Test(sanitize, null_gives_empty)
{
	char *out = text_sanitize(NULL, 0);
	cr_assert_str_eq(out, "");
	free(out);
}

Test(sanitize, escape_sequences_inert)
{
	const char *in = "a\x1b[2J\x1b]0;pwned\x07" "b\x1b[31mred";
	char *out = text_sanitize(in, 0);
	cr_assert_null(strchr(out, 0x1b), "ESC byte survived: %s", out);
	cr_assert_null(strchr(out, 0x07), "BEL byte survived");
	cr_assert(has_cp(out, 0x241B), "ESC should show as U+241B");
	cr_assert(has_cp(out, 0x2407), "BEL should show as U+2407");
	cr_assert(inert(out, 0));
	/* The printable parts are kept as they were. */
	cr_assert_not_null(strstr(out, "[2J"));
	cr_assert_not_null(strstr(out, "red"));
	cr_assert_str_eq(out, "a\xe2\x90\x9b[2J\xe2\x90\x9b]0;pwned\xe2\x90\x87" "b\xe2\x90\x9b[31mred");
	free(out);
}

Test(sanitize, other_c0_and_del)
{
	char *out = text_sanitize("x\ty\rz\x7f\x08", 0);
	cr_assert_str_eq(out, "x\xe2\x90\x89y\xe2\x90\x8dz\xe2\x90\xa1\xe2\x90\x88");
	cr_assert(inert(out, 0));
	free(out);
}

Test(sanitize, c1_csi_as_utf8)
{
	/* U+009B (CSI) encoded as UTF-8: C2 9B. */
	char *out = text_sanitize("a\xc2\x9b" "31mb", 0);
	cr_assert(!has_cp(out, 0x9B), "U+009B survived");
	cr_assert_null(strstr(out, "\xc2\x9b"));
	cr_assert(has_cp(out, 0xFFFD));
	cr_assert(inert(out, 0));
	cr_assert_str_eq(out, "a\xef\xbf\xbd" "31mb");
	free(out);
}

Test(sanitize, c1_csi_raw_byte)
{
	char *out = text_sanitize("a\x9b" "31mb", 0);
	for (const char *c = out; *c; c++)
		cr_assert_neq((unsigned char)*c, 0x9B);
	cr_assert_str_eq(out, "a\xef\xbf\xbd" "31mb");
	free(out);
}

Test(sanitize, invalid_overlong)
{
	/* "/" as a 2-byte overlong and NUL as a 3-byte overlong. */
	char *out = text_sanitize("<\xc0\xaf>\xe0\x80\x80|", 0);
	cr_assert(text_valid_utf8(out, strlen(out)));
	cr_assert_null(strchr(out, '/'), "overlong decoded as '/'");
	cr_assert(has_cp(out, 0xFFFD));
	cr_assert_eq(out[0], '<');
	cr_assert_eq(out[strlen(out) - 1], '|');
	free(out);
}

Test(sanitize, invalid_surrogate)
{
	char *out = text_sanitize("a\xed\xa0\x80z", 0);
	cr_assert(text_valid_utf8(out, strlen(out)));
	cr_assert(!has_cp(out, 0xD800));
	cr_assert(has_cp(out, 0xFFFD));
	cr_assert_eq(out[0], 'a');
	cr_assert_eq(out[strlen(out) - 1], 'z');
	free(out);
}

Test(sanitize, invalid_truncated)
{
	/* A 3-byte sequence cut at the end, and one cut before an ASCII byte. */
	char *out = text_sanitize("ok\xe2\x82", 0);
	cr_assert(text_valid_utf8(out, strlen(out)));
	cr_assert_eq(strncmp(out, "ok", 2), 0);
	cr_assert(has_cp(out, 0xFFFD));
	free(out);
	out = text_sanitize("\xe2\x82" "A", 0);
	cr_assert(text_valid_utf8(out, strlen(out)));
	cr_assert_eq(out[strlen(out) - 1], 'A', "the ASCII byte after a cut sequence is kept");
	free(out);
}

Test(sanitize, beyond_unicode)
{
	char *out = text_sanitize("\xf4\x90\x80\x80\xf8\x88\x80\x80\x80", 0);
	cr_assert(text_valid_utf8(out, strlen(out)));
	cr_assert(has_cp(out, 0xFFFD));
	free(out);
}

Test(sanitize, bidi_override)
{
	/* U+202E RIGHT-TO-LEFT OVERRIDE, U+2066 LRI, U+200F RLM. */
	char *out = text_sanitize("file\xe2\x80\xaetxt.exe \xe2\x81\xa6x\xe2\x80\x8f", 0);
	cr_assert(!has_cp(out, 0x202E));
	cr_assert(!has_cp(out, 0x2066));
	cr_assert(!has_cp(out, 0x200F));
	cr_assert(has_cp(out, 0xFFFD));
	cr_assert_not_null(strstr(out, "txt.exe"));
	free(out);
}

Test(sanitize, nul_via_sanitize_n)
{
	const char in[] = {'a', '\0', 'b', '\x1b', 'c'};
	char *out = text_sanitize_n(in, sizeof in, 0);
	cr_assert_str_eq(out, "a\xe2\x90\x80" "b\xe2\x90\x9b" "c");
	cr_assert(has_cp(out, 0x2400));
	free(out);
}

Test(sanitize, newline_default_and_keep)
{
	char *out = text_sanitize("line1\nline2\r\n", 0);
	cr_assert_null(strchr(out, '\n'));
	cr_assert(has_cp(out, 0x240A));
	free(out);
	out = text_sanitize("line1\nline2\r\n", TEXT_KEEP_NL);
	cr_assert_str_eq(out, "line1\nline2\xe2\x90\x8d\n");
	cr_assert(inert(out, 1));
	free(out);
}

Test(sanitize, ascii_mode)
{
	char *out = text_sanitize("J\xc4\x81nis\x1b[2J\x7f\x01\xc2\x9b\xe2\x80\xae\xff", TEXT_ASCII);
	for (const char *c = out; *c; c++) {
		unsigned char u = (unsigned char)*c;
		cr_assert(u >= 0x20 && u < 0x7f, "byte 0x%02x in ASCII output", u);
	}
	cr_assert_str_eq(out, "J?nis^[[2J^?^A???");
	free(out);
	out = text_sanitize("a\nb", TEXT_ASCII | TEXT_KEEP_NL);
	cr_assert_str_eq(out, "a\nb");
	free(out);
}

/* ---- text_valid_utf8 / text_decode -------------------------------------- */

Test(valid, utf8)
{
	cr_assert(text_valid_utf8("", 0));
	cr_assert(text_valid_utf8("Tõnu Åsa Jānis 日本", strlen("Tõnu Åsa Jānis 日本")));
	cr_assert(text_valid_utf8("\xf0\x9f\x98\x80", 4));          /* U+1F600 */
	cr_assert(text_valid_utf8("\xf4\x8f\xbf\xbf", 4));          /* U+10FFFF */
	cr_assert(!text_valid_utf8("\xc0\x80", 2));                 /* overlong NUL */
	cr_assert(!text_valid_utf8("\xe0\x9f\xbf", 3));             /* overlong U+07FF */
	cr_assert(!text_valid_utf8("\xf0\x8f\xbf\xbf", 4));         /* overlong U+FFFF */
	cr_assert(!text_valid_utf8("\xed\xbf\xbf", 3));             /* surrogate */
	cr_assert(!text_valid_utf8("\xf4\x90\x80\x80", 4));         /* > U+10FFFF */
	cr_assert(!text_valid_utf8("\xc3", 1));                     /* truncated */
	cr_assert(!text_valid_utf8("\xe2\x82", 2));
	cr_assert(!text_valid_utf8("\x80", 1));                     /* lone continuation */
	cr_assert(!text_valid_utf8("\xff", 1));
	/* The length counts: an invalid byte past len is not looked at. */
	cr_assert(text_valid_utf8("ab\xff", 2));
}

Test(valid, decode)
{
	long cp;
	cr_assert_eq(text_decode("\xc4\x81", 2, &cp), 2);
	cr_assert_eq(cp, 0x101);
	cr_assert_eq(text_decode("\xe2\x82\xac", 3, &cp), 3);
	cr_assert_eq(cp, 0x20AC);
	cr_assert_eq(text_decode("\xe2\x82\xac", 2, &cp), 1);
	cr_assert_eq(cp, -1);
	cr_assert_eq(text_decode("", 0, &cp), 1);
	cr_assert_eq(cp, -1);
}

/* ---- text_width --------------------------------------------------------- */

Test(width, ascii_and_latin)
{
	cr_assert_eq(text_width(""), 0);
	cr_assert_eq(text_width("janis"), 5);
	cr_assert_eq(text_width("J\xc4\x81nis"), 5);        /* Jānis, 6 bytes */
	cr_assert_eq(text_width("T\xc3\xb5nu"), 4);         /* Tõnu */
	cr_assert_eq(text_width("\xc3\x85sa"), 3);          /* Åsa */
	cr_assert_eq(text_width("Studiebes\xc3\xb6k"), 11);
}

Test(width, combining_marks)
{
	/* e + U+0301 COMBINING ACUTE ACCENT is one column. */
	cr_assert_eq(text_width("e\xcc\x81"), 1);
	cr_assert_eq(text_width("Jose\xcc\x81!"), 5);
}

Test(width, cjk_wide)
{
	cr_assert_eq(text_width("\xe6\x97\xa5"), 2);                      /* 日 */
	cr_assert_eq(text_width("\xe6\x97\xa5\xe6\x9c\xac\xe8\xaa\x9e"), 6); /* 日本語 */
	cr_assert_eq(text_width("a\xe6\x97\xa5" "b"), 4);
}

Test(width, control_pictures)
{
	char *out = text_sanitize("\x1b", 0);
	cr_assert_eq(text_width(out), 1);
	free(out);
}

/* ---- text_fit ----------------------------------------------------------- */

Test(fit, pad_left_and_right)
{
	char *out = text_fit("ab", 5, 'l', 0);
	cr_assert_str_eq(out, "ab   ");
	free(out);
	out = text_fit("ab", 5, 'r', 0);
	cr_assert_str_eq(out, "   ab");
	free(out);
	/* Padding counts columns: Jānis is 5 columns in 6 bytes. */
	out = text_fit("J\xc4\x81nis", 7, 'l', 0);
	cr_assert_str_eq(out, "J\xc4\x81nis  ");
	cr_assert_eq(text_width(out), 7);
	free(out);
	out = text_fit("T\xc3\xb5nu", 6, 'r', 0);
	cr_assert_str_eq(out, "  T\xc3\xb5nu");
	free(out);
}

Test(fit, exact_fit_unchanged)
{
	char *out = text_fit("\xc3\x85sa", 3, 'l', 0);
	cr_assert_str_eq(out, "\xc3\x85sa");
	free(out);
}

Test(fit, truncate_with_ellipsis)
{
	char *out = text_fit("Koolitus toimus", 8, 'l', 0);
	cr_assert_str_eq(out, "Koolitu\xe2\x80\xa6");
	cr_assert_eq(text_width(out), 8);
	free(out);
	/* Right alignment does not change truncation. */
	out = text_fit("Koolitus toimus", 8, 'r', 0);
	cr_assert_eq(text_width(out), 8);
	cr_assert(text_valid_utf8(out, strlen(out)));
	free(out);
	out = text_fit("Koolitus toimus", 8, 'l', TEXT_ASCII);
	cr_assert_str_eq(out, "Koolitu~");
	free(out);
}

Test(fit, never_splits_utf8)
{
	/* Truncating "āāāāāā" (2 bytes each) at every width keeps whole
	 * characters and exact widths. */
	const char *s = "\xc4\x81\xc4\x81\xc4\x81\xc4\x81\xc4\x81\xc4\x81";
	for (int cols = 1; cols <= 8; cols++) {
		char *out = text_fit(s, cols, 'l', 0);
		cr_assert(text_valid_utf8(out, strlen(out)), "cols %d: invalid UTF-8", cols);
		cr_assert_eq(text_width(out), cols, "cols %d: width %d", cols, text_width(out));
		free(out);
	}
	char *out = text_fit("J\xc4\x81nis Ozoli\xc5\x86\xc5\xa1", 3, 'l', 0);
	cr_assert_str_eq(out, "J\xc4\x81\xe2\x80\xa6");
	free(out);
}

Test(fit, wide_characters_by_columns)
{
	/* 日本語 is 6 columns: in 4, keep 日 (2), the ellipsis (1), a space. */
	char *out = text_fit("\xe6\x97\xa5\xe6\x9c\xac\xe8\xaa\x9e", 4, 'l', 0);
	cr_assert_str_eq(out, "\xe6\x97\xa5\xe2\x80\xa6 ");
	cr_assert_eq(text_width(out), 4);
	free(out);
	out = text_fit("\xe6\x97\xa5\xe6\x9c\xac\xe8\xaa\x9e", 5, 'l', 0);
	cr_assert_str_eq(out, "\xe6\x97\xa5\xe6\x9c\xac\xe2\x80\xa6");
	free(out);
}

Test(fit, keeps_combining_mark_with_its_base)
{
	/* "e\u0301e\u0301e\u0301" is 3 columns; in 2 the first é stays whole. */
	char *out = text_fit("e\xcc\x81" "e\xcc\x81" "e\xcc\x81", 2, 'l', 0);
	cr_assert_str_eq(out, "e\xcc\x81\xe2\x80\xa6");
	cr_assert_eq(text_width(out), 2);
	free(out);
}

Test(fit, zero_and_one_columns)
{
	char *out = text_fit("anything", 0, 'l', 0);
	cr_assert_str_eq(out, "");
	free(out);
	out = text_fit("anything", -3, 'r', 0);
	cr_assert_str_eq(out, "");
	free(out);
	out = text_fit("anything", 1, 'l', 0);
	cr_assert_str_eq(out, "\xe2\x80\xa6");
	free(out);
	out = text_fit("x", 1, 'l', 0);
	cr_assert_str_eq(out, "x");
	free(out);
	out = text_fit("", 1, 'r', 0);
	cr_assert_str_eq(out, " ");
	free(out);
	out = text_fit("\xe6\x97\xa5", 1, 'l', 0);
	cr_assert_str_eq(out, "\xe2\x80\xa6", "a wide character never overflows one column");
	free(out);
	out = text_fit("anything", 1, 'l', TEXT_ASCII);
	cr_assert_str_eq(out, "~");
	free(out);
}

/* ---- text_cell ---------------------------------------------------------- */

Test(cell, sanitizes_then_fits)
{
	char *out = text_cell("\x1b[2Jhi", 6, 'l', 0);
	cr_assert_null(strchr(out, 0x1b));
	cr_assert(has_cp(out, 0x241B));
	cr_assert_eq(text_width(out), 6);
	cr_assert_str_eq(out, "\xe2\x90\x9b[2Jhi");
	free(out);
	/* Newlines never stay in a cell, even when asked to keep them. */
	out = text_cell("a\nb", 5, 'r', TEXT_KEEP_NL);
	cr_assert_null(strchr(out, '\n'));
	cr_assert_str_eq(out, "  a\xe2\x90\x8a" "b");
	free(out);
	out = text_cell(NULL, 3, 'l', 0);
	cr_assert_str_eq(out, "   ");
	free(out);
}

Test(cell, truncates_hostile_text)
{
	char *out = text_cell("\xe2\x80\xae" "evil\x9b" "31m long text", 6, 'l', 0);
	cr_assert(inert(out, 0));
	cr_assert_eq(text_width(out), 6);
	cr_assert(has_cp(out, 0x2026));
	free(out);
}

Test(cell, ascii_cell)
{
	char *out = text_cell("J\xc4\x81nis B\xc4\x93rzi\xc5\x86\xc5\xa1", 8, 'l', TEXT_ASCII);
	cr_assert_str_eq(out, "J?nis B~");
	free(out);
}

/* A cell of printable ASCII is what sanitizing and fitting give, for every
 * width from 0 past the text's length, both alignments and both ellipses;
 * the same near ASCII (a control or a non-ASCII byte at the end). */
Test(cell, ascii_is_sanitized_and_fitted)
{
	const char *texts[] = {"", "a", "WP1", "Task 3 of work package 12", " lead and trail ", "~!@#$%^&*()",
	                       "tab\there", "del\x7f", "caf\xc3\xa9", "x\x1b"};
	const char aligns[] = {'l', 'r'};
	const int flags[] = {0, TEXT_ASCII};
	for (size_t t = 0; t < sizeof texts / sizeof texts[0]; t++)
		for (int cols = -1; cols <= (int)strlen(texts[t]) + 3; cols++)
			for (size_t a = 0; a < 2; a++)
				for (size_t f = 0; f < 2; f++) {
					char *clean = text_sanitize(texts[t], flags[f]);
					char *want = text_fit(clean, cols, aligns[a], flags[f]);
					char *got = text_cell(texts[t], cols, aligns[a], flags[f]);
					cr_assert_str_eq(got, want, "'%s' in %d columns, '%c', flags %d", texts[t], cols,
					                 aligns[a], flags[f]);
					free(got);
					free(want);
					free(clean);
				}
}

/* ---- text_locale_ascii -------------------------------------------------- */

Test(cell, locale_ascii)
{
	cr_assert_eq(text_locale_ascii(), 0, "C.UTF-8 is a UTF-8 locale");
	cr_assert_not_null(setlocale(LC_ALL, "C"));
	cr_assert_neq(text_locale_ascii(), 0, "the C locale is not UTF-8");
	setlocale(LC_ALL, "C.UTF-8");
}

Test(text, rate_reads_the_same_everywhere)
{
	char b[32];
	cr_assert_str_eq(text_rate(0, b), "0.0");
	cr_assert_str_eq(text_rate(0.74, b), "0.7");
	cr_assert_str_eq(text_rate(9.94, b), "9.9");
	cr_assert_str_eq(text_rate(9.96, b), "10", "decided on the value rounded to tenths");
	cr_assert_str_eq(text_rate(27.4, b), "27");
	cr_assert_str_eq(text_rate(98.13, b), "98");
	cr_assert_str_eq(text_rate(10.5, b), "11", "half up, not up");
	cr_assert_str_eq(text_rate(-2.25, b), "-2.3");
}
