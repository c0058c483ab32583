/* date: calendar dates as whole days since 1970-01-01 (proleptic Gregorian),
 * and the grant-agreement month arithmetic: month 1 is the month in which the
 * project starts; "due: N" means the last day of month N. */
#ifndef CONSORT_DATE_H
#define CONSORT_DATE_H

#include <stdint.h>

typedef int32_t cdate;  /* days since 1970-01-01 */
#define CDATE_NONE INT32_MIN

cdate date_from_ymd(int y, int m, int d);
void date_to_ymd(cdate d, int *y, int *m, int *day);
int date_valid_ymd(int y, int m, int d);
int date_days_in_month(int y, int m);

/* Parse exactly YYYY-MM-DD (a real calendar date, years 1900..9999).
 * Returns 0 and sets *out, or -1. */
int date_parse(const char *s, cdate *out);
/* Writes "YYYY-MM-DD" into buf (at least 11 bytes); returns buf. */
char *date_format(cdate d, char *buf);
/* Today in UTC. CONSORT_TODAY=YYYY-MM-DD overrides it (for tests and demos). */
cdate date_today(void);
/* Today in UTC from the clock, never overridden: the write path's limit. */
cdate date_today_real(void);
/* Current time in ms since the epoch (UTC). */
int64_t date_now_ms(void);
/* The UTC day of a time in ms since the epoch (an entry's recorded_at). */
cdate date_of_ms(int64_t ms);
/* Was an entry recorded on another day than its effective date (YYYY-MM-DD;
 * a back-dated entry)? Then 1, and buf (11 bytes) gets the day recorded. */
int date_recorded_apart(const char *effective, int64_t recorded_ms, char *buf);

/* Month arithmetic relative to a project start date. */
/* The project month (1-based) in which date d falls: 0 or less before the
 * start month, more than the project's length after it. */
int date_month_of(cdate start, cdate d);
/* The first and last day of project month m (m may be <1 or past the end). */
cdate date_month_first(cdate start, int m);
cdate date_month_last(cdate start, int m);
/* Number of months from start's month to end's month inclusive. */
int date_months_between(cdate start, cdate end);
/* Same day-of-month n months later (clamped to the month's last day). */
cdate date_add_months(cdate d, int n);

#endif
