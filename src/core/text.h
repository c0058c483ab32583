/* text: the one sanitizer every output path uses, and measuring and fitting
 * text by terminal columns (never by bytes).
 *
 * Text from the log or a definition is untrusted. text_sanitize() makes it
 * inert: control characters (C0, DEL, C1) become visible symbols (U+2400
 * "control pictures", e.g. ESC shows as U+241B), invalid UTF-8 becomes U+FFFD,
 * bidirectional overrides and isolates (U+202A-202E, U+2066-2069, U+200E/F,
 * U+061C) become U+FFFD, so nothing can move the cursor, change the terminal
 * or reorder what is shown. In ASCII mode every non-ASCII character becomes
 * '?' and controls become '^X'. */
#ifndef CONSORT_TEXT_H
#define CONSORT_TEXT_H

#include <stddef.h>

enum {
	TEXT_ASCII = 1 << 0,    /* output plain ASCII only (non-UTF-8 locale) */
	TEXT_KEEP_NL = 1 << 1,  /* keep '\n' (multi-line notes in details) */
};

/* Returns a newly allocated, inert, valid (UTF-8 or ASCII) string. */
char *text_sanitize(const char *s, int flags);
/* Same, for len bytes that may hold NULs. */
char *text_sanitize_n(const char *s, size_t len, int flags);

/* Is the whole string valid UTF-8 (no overlongs, no surrogates)? */
int text_valid_utf8(const char *s, size_t len);

/* Decode one UTF-8 character at s (at most n bytes). Returns its length
 * (1..4) and sets *cp, or returns 1 with *cp = -1 for an invalid byte. */
int text_decode(const char *s, size_t n, long *cp);

/* Display width in columns of sanitized text (combining marks are 0, East
 * Asian wide characters 2). */
int text_width(const char *s);

/* Fit sanitized text into exactly `cols` columns: truncated with an ellipsis
 * ("…", or "~" in ASCII mode) when longer, padded with spaces when shorter.
 * align: 'l' (left) or 'r' (right). Newly allocated. */
char *text_fit(const char *s, int cols, char align, int flags);

/* Sanitize then fit: the usual call for a table cell. */
char *text_cell(const char *untrusted, int cols, char align, int flags);

/* A rate such as "a month needed", the same way everywhere: one decimal
 * below 10, a whole number (rounded half up) from 10, decided on the value
 * rounded to tenths (9.96 reads "10"). buf holds at least 32 bytes. */
const char *text_rate(double v, char *buf);

/* Is the locale's codeset other than UTF-8? (A terminal in it gets ASCII;
 * files and pipes are UTF-8 whatever the locale.)
 * Needs setlocale(LC_ALL, "") to have been called. */
int text_locale_ascii(void);

#endif
