#include "config.h"
#include "core/date.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/time.h>
#include <time.h>

/* days_from_civil / civil_from_days: H. Hinnant's public-domain algorithms. */
cdate date_from_ymd(int y, int m, int d)
{
	y -= m <= 2;
	int era = (y >= 0 ? y : y - 399) / 400;
	unsigned yoe = (unsigned)(y - era * 400);
	unsigned doy = (unsigned)((153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1);
	unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
	return (cdate)(era * 146097 + (int)doe - 719468);
}

void date_to_ymd(cdate z0, int *y, int *m, int *d)
{
	int z = z0 + 719468;
	int era = (z >= 0 ? z : z - 146096) / 146097;
	unsigned doe = (unsigned)(z - era * 146097);
	unsigned yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
	int yy = (int)yoe + era * 400;
	unsigned doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
	unsigned mp = (5 * doy + 2) / 153;
	unsigned dd = doy - (153 * mp + 2) / 5 + 1;
	int mm = (int)(mp < 10 ? mp + 3 : mp - 9);
	if (y)
		*y = yy + (mm <= 2);
	if (m)
		*m = mm;
	if (d)
		*d = (int)dd;
}

int date_days_in_month(int y, int m)
{
	static const int dim[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
	if (m < 1 || m > 12)
		return 0;
	if (m == 2 && ((y % 4 == 0 && y % 100 != 0) || y % 400 == 0))
		return 29;
	return dim[m - 1];
}

int date_valid_ymd(int y, int m, int d)
{
	return y >= 1900 && y <= 9999 && m >= 1 && m <= 12 && d >= 1 &&
	       d <= date_days_in_month(y, m);
}

/* Is c a decimal digit? (a NUL is not: the tests below stop at the end) */
#define DIGIT(c) ((unsigned)(unsigned char)(c) - '0' <= 9u)

int date_parse(const char *s, cdate *out)
{
	/* Byte by byte in order, so that nothing past a shorter string's NUL
	 * is read; then the end (the log's dates are parsed by the thousand). */
	if (!s || !DIGIT(s[0]) || !DIGIT(s[1]) || !DIGIT(s[2]) || !DIGIT(s[3]) || s[4] != '-' ||
	    !DIGIT(s[5]) || !DIGIT(s[6]) || s[7] != '-' || !DIGIT(s[8]) || !DIGIT(s[9]) || s[10] != '\0')
		return -1;
	int y = (s[0] - '0') * 1000 + (s[1] - '0') * 100 + (s[2] - '0') * 10 + (s[3] - '0');
	int m = (s[5] - '0') * 10 + (s[6] - '0');
	int d = (s[8] - '0') * 10 + (s[9] - '0');
	if (!date_valid_ymd(y, m, d))
		return -1;
	*out = date_from_ymd(y, m, d);
	return 0;
}

char *date_format(cdate d, char *buf)
{
	int y, m, dd;
	date_to_ymd(d, &y, &m, &dd);
	unsigned yy = (unsigned)(y < 0 ? 0 : y % 10000);
	buf[0] = (char)('0' + yy / 1000);
	buf[1] = (char)('0' + yy / 100 % 10);
	buf[2] = (char)('0' + yy / 10 % 10);
	buf[3] = (char)('0' + yy % 10);
	buf[4] = '-';
	buf[5] = (char)('0' + m / 10);
	buf[6] = (char)('0' + m % 10);
	buf[7] = '-';
	buf[8] = (char)('0' + dd / 10);
	buf[9] = (char)('0' + dd % 10);
	buf[10] = '\0';
	return buf;
}

cdate date_today(void)
{
	const char *o = getenv("CONSORT_TODAY");
	cdate d;
	if (o && date_parse(o, &d) == 0)
		return d;
	return date_today_real();
}

cdate date_today_real(void)
{
	time_t t = time(NULL);
	return (cdate)(t / 86400);
}

int64_t date_now_ms(void)
{
	struct timeval tv;
	gettimeofday(&tv, NULL);
	return (int64_t)tv.tv_sec * 1000 + tv.tv_usec / 1000;
}

cdate date_of_ms(int64_t ms)
{
	int64_t d = ms / 86400000;
	if (ms < 0 && ms % 86400000)
		d--;
	return (cdate)d;
}

int date_recorded_apart(const char *effective, int64_t recorded_ms, char *buf)
{
	cdate eff, rec = date_of_ms(recorded_ms);
	if (!effective || date_parse(effective, &eff) != 0 || eff == rec)
		return 0;
	date_format(rec, buf);
	return 1;
}

int date_month_of(cdate start, cdate d)
{
	int sy, sm, y, m;
	date_to_ymd(start, &sy, &sm, NULL);
	date_to_ymd(d, &y, &m, NULL);
	return (y - sy) * 12 + (m - sm) + 1;
}

static void month_ym(cdate start, int mon, int *y, int *m)
{
	int sy, sm;
	date_to_ymd(start, &sy, &sm, NULL);
	int idx = sy * 12 + (sm - 1) + (mon - 1);
	/* floor division for negative offsets */
	int yy = idx >= 0 ? idx / 12 : -((-idx + 11) / 12);
	*y = yy;
	*m = idx - yy * 12 + 1;
}

cdate date_month_first(cdate start, int mon)
{
	int y, m;
	month_ym(start, mon, &y, &m);
	return date_from_ymd(y, m, 1);
}

cdate date_month_last(cdate start, int mon)
{
	int y, m;
	month_ym(start, mon, &y, &m);
	return date_from_ymd(y, m, date_days_in_month(y, m));
}

int date_months_between(cdate start, cdate end)
{
	return date_month_of(start, end);
}

cdate date_add_months(cdate d, int n)
{
	int y, m, dd;
	date_to_ymd(d, &y, &m, &dd);
	int y2, m2;
	month_ym(date_from_ymd(y, m, 1), n + 1, &y2, &m2);
	int dim = date_days_in_month(y2, m2);
	return date_from_ymd(y2, m2, dd > dim ? dim : dd);
}
