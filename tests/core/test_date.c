/* Tests of calendar dates and grant-agreement month arithmetic. */
#include "config.h"

#include <criterion/criterion.h>
#include <stdlib.h>
#include <string.h>

#include "core/date.h"

static cdate ymd(int y, int m, int d)
{
	return date_from_ymd(y, m, d);
}

Test(date, epoch_and_round_trip)
{
	cr_assert_eq(ymd(1970, 1, 1), 0);
	cr_assert_eq(ymd(1970, 1, 2), 1);
	cr_assert_eq(ymd(1969, 12, 31), -1);
	cr_assert_eq(ymd(2000, 3, 1) - ymd(2000, 2, 28), 2, "2000 is a leap year");
	for (cdate d = ymd(1999, 12, 1); d < ymd(2001, 3, 1); d++) {
		int y, m, dd;
		date_to_ymd(d, &y, &m, &dd);
		cr_assert(date_valid_ymd(y, m, dd));
		cr_assert_eq(ymd(y, m, dd), d);
	}
}

Test(date, leap_years)
{
	cr_assert_eq(date_days_in_month(2016, 2), 29);
	cr_assert_eq(date_days_in_month(2017, 2), 28);
	cr_assert_eq(date_days_in_month(1900, 2), 28, "century not divisible by 400");
	cr_assert_eq(date_days_in_month(2000, 2), 29);
	cr_assert_eq(date_days_in_month(2017, 9), 30);
	cr_assert_eq(date_days_in_month(2017, 12), 31);
	cr_assert_eq(date_days_in_month(2017, 13), 0);
	cr_assert_eq(date_days_in_month(2017, 0), 0);
}

Test(date, parse_valid)
{
	cdate d = 0;
	cr_assert_eq(date_parse("2016-01-01", &d), 0);
	cr_assert_eq(d, ymd(2016, 1, 1));
	cr_assert_eq(date_parse("2016-02-29", &d), 0);
	cr_assert_eq(d, ymd(2016, 2, 29));
	cr_assert_eq(date_parse("2000-02-29", &d), 0);
	cr_assert_eq(date_parse("1900-01-01", &d), 0);
	cr_assert_eq(date_parse("9999-12-31", &d), 0);
	cr_assert_eq(d, ymd(9999, 12, 31));
}

Test(date, parse_invalid)
{
	const char *bad[] = {
		"2016-13-01", "2016-00-10", "2016-01-00", "2016-01-32", "2017-02-29",
		"1900-02-29", "2016-04-31", "1899-12-31", "2016-1-01", "2016-01-1",
		"16-01-01", "2016/01/01", "2016-01-01 ", " 2016-01-01", "2016-01-01T00",
		"20a6-01-01", "", "soon", "+016-01-01", "2016--1-01",
	};
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		cdate d = 42;
		cr_expect_eq(date_parse(bad[i], &d), -1, "accepted '%s'", bad[i]);
		cr_expect_eq(d, 42, "'%s' changed the output", bad[i]);
	}
	cdate d;
	cr_assert_eq(date_parse(NULL, &d), -1);
}

Test(date, format)
{
	char buf[11];
	cr_assert_str_eq(date_format(ymd(2016, 1, 1), buf), "2016-01-01");
	cr_assert_str_eq(date_format(ymd(2017, 9, 30), buf), "2017-09-30");
	cr_assert_str_eq(date_format(ymd(2016, 2, 29), buf), "2016-02-29");
	cr_assert_str_eq(date_format(0, buf), "1970-01-01");
	cdate d;
	cr_assert_eq(date_parse("2024-12-31", &d), 0);
	cr_assert_str_eq(date_format(d, buf), "2024-12-31");
}

Test(date, month_of)
{
	cdate s = ymd(2016, 1, 1);
	cr_assert_eq(date_month_of(s, s), 1);
	cr_assert_eq(date_month_of(s, ymd(2016, 1, 31)), 1);
	cr_assert_eq(date_month_of(s, ymd(2016, 2, 1)), 2);
	cr_assert_eq(date_month_of(s, ymd(2016, 12, 31)), 12);
	cr_assert_eq(date_month_of(s, ymd(2017, 1, 1)), 13);
	cr_assert_eq(date_month_of(s, ymd(2017, 9, 30)), 21);
	cr_assert_eq(date_month_of(s, ymd(2017, 10, 1)), 22, "past the end");
	cr_assert_eq(date_month_of(s, ymd(2015, 12, 31)), 0, "before the start");
	cr_assert_eq(date_month_of(s, ymd(2015, 1, 15)), -11);
	/* month 1 is the month of the start, whatever its day */
	cdate mid = ymd(2016, 1, 20);
	cr_assert_eq(date_month_of(mid, ymd(2016, 1, 2)), 1);
	cr_assert_eq(date_month_of(mid, ymd(2016, 2, 1)), 2);
}

Test(date, month_first_and_last)
{
	cdate s = ymd(2016, 1, 1);
	cr_assert_eq(date_month_first(s, 1), ymd(2016, 1, 1));
	cr_assert_eq(date_month_last(s, 1), ymd(2016, 1, 31));
	cr_assert_eq(date_month_last(s, 2), ymd(2016, 2, 29));
	cr_assert_eq(date_month_last(s, 6), ymd(2016, 6, 30), "due: 6 is 2016-06-30");
	cr_assert_eq(date_month_last(s, 12), ymd(2016, 12, 31));
	cr_assert_eq(date_month_first(s, 13), ymd(2017, 1, 1), "December to January");
	cr_assert_eq(date_month_last(s, 14), ymd(2017, 2, 28));
	cr_assert_eq(date_month_last(s, 21), ymd(2017, 9, 30));
	cr_assert_eq(date_month_first(s, 22), ymd(2017, 10, 1), "past the end");
	cr_assert_eq(date_month_first(s, 0), ymd(2015, 12, 1), "month 0 is the one before");
	cr_assert_eq(date_month_last(s, 0), ymd(2015, 12, 31));
	cr_assert_eq(date_month_first(s, -1), ymd(2015, 11, 1));
	cr_assert_eq(date_month_first(s, -12), ymd(2014, 12, 1));
	cr_assert_eq(date_month_last(s, -13), ymd(2014, 11, 30));
	/* a start in December and in the middle of a month */
	cdate dec = ymd(2019, 12, 15);
	cr_assert_eq(date_month_first(dec, 1), ymd(2019, 12, 1));
	cr_assert_eq(date_month_last(dec, 2), ymd(2020, 1, 31));
	cr_assert_eq(date_month_last(dec, 3), ymd(2020, 2, 29));
	/* first and last agree with month_of for a range of months */
	for (int m = -30; m <= 60; m++) {
		cr_assert_eq(date_month_of(s, date_month_first(s, m)), m);
		cr_assert_eq(date_month_of(s, date_month_last(s, m)), m);
		cr_assert_eq(date_month_last(s, m) + 1, date_month_first(s, m + 1));
	}
}

Test(date, months_between)
{
	cr_assert_eq(date_months_between(ymd(2016, 1, 1), ymd(2017, 9, 30)), 21);
	cr_assert_eq(date_months_between(ymd(2020, 1, 1), ymd(2020, 12, 31)), 12);
	cr_assert_eq(date_months_between(ymd(2020, 1, 1), ymd(2020, 1, 1)), 1);
	cr_assert_eq(date_months_between(ymd(2020, 1, 31), ymd(2020, 2, 1)), 2);
	cr_assert_eq(date_months_between(ymd(2020, 3, 15), ymd(2021, 2, 1)), 12);
}

Test(date, add_months)
{
	cr_assert_eq(date_add_months(ymd(2016, 1, 31), 1), ymd(2016, 2, 29), "clamped");
	cr_assert_eq(date_add_months(ymd(2017, 1, 31), 1), ymd(2017, 2, 28));
	cr_assert_eq(date_add_months(ymd(2016, 12, 15), 1), ymd(2017, 1, 15));
	cr_assert_eq(date_add_months(ymd(2016, 1, 15), -1), ymd(2015, 12, 15));
	cr_assert_eq(date_add_months(ymd(2016, 3, 31), -1), ymd(2016, 2, 29));
	cr_assert_eq(date_add_months(ymd(2016, 5, 10), 0), ymd(2016, 5, 10));
	cr_assert_eq(date_add_months(ymd(2016, 5, 10), 24), ymd(2018, 5, 10));
}

Test(date, today_override)
{
	setenv("CONSORT_TODAY", "2017-03-31", 1);
	cr_assert_eq(date_today(), ymd(2017, 3, 31));
	setenv("CONSORT_TODAY", "not a date", 1);
	cr_assert_gt(date_today(), ymd(2020, 1, 1), "a bad override is ignored");
	unsetenv("CONSORT_TODAY");
	cr_assert_gt(date_today(), ymd(2020, 1, 1));
	cr_assert_gt(date_now_ms(), (int64_t)ymd(2020, 1, 1) * 86400000);
}

/* Every byte of a date is checked, and its end: each prefix of a valid
 * date (in a buffer that ends there, so that a read past its NUL would be
 * seen by the memory checkers), the date with any byte replaced by one
 * that is not its kind, and the date with a byte more, are refused. */
Test(date, parse_checks_every_byte_and_the_end)
{
	const char *good = "2016-02-29";
	for (size_t n = 0; n < 10; n++) {
		char *pre = malloc(n + 1);
		memcpy(pre, good, n);
		pre[n] = '\0';
		cdate d = 42;
		cr_expect_eq(date_parse(pre, &d), -1, "accepted '%s'", pre);
		cr_expect_eq(d, 42);
		free(pre);
	}
	const char subst[] = {'/', ':', '0' - 1, '9' + 1, 'a', ' ', '-', '5', (char)0xB2};
	for (size_t i = 0; i < 10; i++)
		for (size_t k = 0; k < sizeof subst; k++) {
			char s[11];
			memcpy(s, good, 11);
			int digit = i != 4 && i != 7;
			int fits = digit ? subst[k] >= '0' && subst[k] <= '9' : subst[k] == '-';
			if (fits)
				continue;
			s[i] = subst[k];
			cdate d;
			cr_expect_eq(date_parse(s, &d), -1, "accepted '%s'", s);
		}
	for (size_t k = 0; k < sizeof subst; k++) {
		char s[12];
		memcpy(s, good, 10);
		s[10] = subst[k];
		s[11] = '\0';
		cdate d;
		cr_expect_eq(date_parse(s, &d), -1, "accepted '%s'", s);
	}
	cdate d;
	cr_assert_eq(date_parse(good, &d), 0);
	cr_assert_eq(d, ymd(2016, 2, 29));
}
