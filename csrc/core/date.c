/*
 * date.c -- calendar days: validity, order, the last day of a month, and day numbers (int32
 * days since 1970-01-01, proleptic Gregorian) read from the dates printed in grant files.
 *
 * Layer: base (calls error.c and text.c only).
 *
 * Invariants: a date the core keeps is valid (year 1..9999, a day its month has); a day number
 * and its date convert both ways without loss; a date column holds day numbers or
 * ESS_DATE_MISSING, never an impossible day.
 */
#include "internal.h"

#include <assert.h>
#include <stdint.h>

int ess_date_valid(ess_date d)
{
    static const int days[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    if (d.year < 1 || d.year > 9999 || d.month < 1 || d.month > 12 || d.day < 1)
        return 0;
    int leap = (d.year % 4 == 0 && d.year % 100 != 0) || d.year % 400 == 0;
    return d.day <= days[d.month - 1] + (d.month == 2 && leap);
}

int ess_date_cmp(ess_date a, ess_date b)
{
    if (a.year != b.year)
        return a.year < b.year ? -1 : 1;
    if (a.month != b.month)
        return a.month < b.month ? -1 : 1;
    if (a.day != b.day)
        return a.day < b.day ? -1 : 1;
    return 0;
}

int ess_date_last_day(int year, int month)
{
    assert(month >= 1 && month <= 12);
    ess_date d = {year, month, 31};
    while (!ess_date_valid(d))
        d.day--;
    return d.day;
}

int32_t ess_days_from_date(ess_date d)
{
    /* days from civil (H. Hinnant): proleptic Gregorian */
    int y = d.year - (d.month <= 2);
    int era = (y >= 0 ? y : y - 399) / 400;
    unsigned yoe = (unsigned)(y - era * 400);
    unsigned doy = (153u * (unsigned)(d.month + (d.month > 2 ? -3 : 9)) + 2u) / 5u + (unsigned)d.day - 1u;
    unsigned doe = yoe * 365u + yoe / 4u - yoe / 100u + doy;
    return (int32_t)(era * 146097 + (int)doe - 719468);
}

ess_date ess_date_from_days(int32_t z)
{
    int64_t zz = (int64_t)z + 719468;
    int64_t era = (zz >= 0 ? zz : zz - 146096) / 146097;
    unsigned doe = (unsigned)(zz - era * 146097);
    unsigned yoe = (doe - doe / 1460u + doe / 36524u - doe / 146096u) / 365u;
    int64_t y = (int64_t)yoe + era * 400;
    unsigned doy = doe - (365u * yoe + yoe / 4u - yoe / 100u);
    unsigned mp = (5u * doy + 2u) / 153u;
    unsigned d = doy - (153u * mp + 2u) / 5u + 1u;
    unsigned m = mp < 10 ? mp + 3 : mp - 9;
    ess_date out = {(int)(y + (m <= 2)), (int)m, (int)d};
    return out;
}

static int digits(const char *s, int n, int *out)
{
    int v = 0;
    for (int i = 0; i < n; i++) {
        if (s[i] < '0' || s[i] > '9')
            return 0;
        v = v * 10 + (s[i] - '0');
    }
    *out = v;
    return 1;
}

/* Whether t[0, n) is a time of day as exports write it after a date: HH:MM, HH:MM:SS and a
 * fraction of a second, then a zone (Z, +01:00, +0100, -05).  Nothing else may follow a date:
 * "2017-01-01 au 2017-12-31" is a period written out, not the day 2017-01-01.  *minutes gets
 * HH * 60 + MM and *utc whether the zone is UTC (Z, +00, +00:00, -0000); either may be NULL. */
static int time_of_day(const char *t, size_t n, int *minutes, int *utc)
{
    int hh, mm, ss, zero_zone = 0;
    size_t i = 0;
    if (n < 5 || !digits(t, 2, &hh) || t[2] != ':' || !digits(t + 3, 2, &mm) || hh > 24 ||
        mm > 59)
        return 0;
    i = 5;
    if (i < n && t[i] == ':') {
        if (i + 3 > n || !digits(t + i + 1, 2, &ss) || ss > 60)
            return 0;
        i += 3;
        if (i < n && (t[i] == '.' || t[i] == ',')) {
            size_t f = ++i;
            while (i < n && t[i] >= '0' && t[i] <= '9')
                i++;
            if (i == f)
                return 0;
        }
    }
    if (i < n && t[i] == 'Z') {
        i++;
        zero_zone = 1;
    } else if (i < n && (t[i] == '+' || t[i] == '-')) {
        int zh, zm = 0;
        if (i + 3 > n || !digits(t + i + 1, 2, &zh) || zh > 14)
            return 0;
        i += 3;
        if (i < n && t[i] == ':')
            i++;
        if (i < n) {
            if (i + 2 > n || !digits(t + i, 2, &zm) || zm > 59)
                return 0;
            i += 2;
        }
        zero_zone = zh == 0 && zm == 0;
    }
    if (minutes)
        *minutes = hh * 60 + mm;
    if (utc)
        *utc = zero_zone;
    return i == n;
}

static int is_time_of_day(const char *t, size_t n)
{
    return time_of_day(t, n, NULL, NULL);
}

/* The last Sunday of a month, as its day number (1970-01-01, a Thursday, is day 0). */
static int32_t last_sunday(int year, int month)
{
    ess_date d = {year, month, ess_date_last_day(year, month)};
    int32_t z = ess_days_from_date(d);
    return z - (int32_t)(((z + 4) % 7 + 7) % 7);
}

/* The day in Paris of the instant `minutes` past midnight UTC of day z (0 <= minutes <= 1500).
 *
 * Why: a date a grant system keeps at midnight in Paris, exported in UTC (JavaScript's
 * toISOString, a JSON API turned to CSV), prints the day before: 1 January 2020 is
 * "2019-12-31T23:00:00.000Z".  Read as its first ten characters, the grant fell in 2019's
 * total.  A time in UTC is no one's civil day in France: its day is the day in Paris, CET
 * (+1) and, in summer, CEST (+2) from the last Sunday of March at 01:00 UTC to the last Sunday
 * of October (of September before 1996) at 01:00 UTC, the rule since 1981; before 1981 CET
 * alone (France's summer times of 1976-1980 had other dates).  A time with another offset
 * (+01:00, -05:00) is a local time printed with its zone: its day is the one printed.
 * What must stay true: equal to the tz database's Europe/Paris from 1981 on
 * (test_date_dims.py::test_the_paris_day_of_any_utc_instant_equals_the_tz_database). */
static int32_t paris_day_of_utc(int32_t z, int minutes)
{
    int offset = 60;
    ess_date d = ess_date_from_days(z);
    if (d.year >= 1981) {
        int32_t from = last_sunday(d.year, 3), to = last_sunday(d.year, d.year >= 1996 ? 10 : 9);
        /* in minutes since day `from` 00:00 UTC: summer from 01:00 UTC to 01:00 UTC */
        int64_t at = (int64_t)(z - from) * 1440 + minutes;
        if (at >= 60 && at < (int64_t)(to - from) * 1440 + 60)
            offset = 120;
    }
    return z + (minutes + offset) / 1440;
}

/* Whether text[0, len) (trimmed) holds a day and a month before a four-digit year, "08/09/2017"
 * or "08-09-2017" (a time of day after it allowed): their two fields in *first and *second. */
static int numeric_fields(const char *text, size_t len, int *first, int *second)
{
    return len >= 10 &&
           (len == 10 || ((text[10] == 'T' || text[10] == ' ') &&
                          is_time_of_day(text + 11, len - 11))) &&
           (text[2] == '/' || text[2] == '-' || text[2] == '.') && text[5] == text[2] &&
           digits(text, 2, first) && digits(text + 3, 2, second);
}

int ess_date_shape(const char *text, size_t len)
{
    int a, b, year;
    ess_text_trim(&text, &len);
    if (len >= 10 && (len == 10 || ((text[10] == 'T' || text[10] == ' ') &&
                                    is_time_of_day(text + 11, len - 11))) &&
        (text[4] == '-' || text[4] == '/') && text[7] == text[4])
        return digits(text, 4, &year) && digits(text + 5, 2, &a) && digits(text + 8, 2, &b);
    return numeric_fields(text, len, &a, &b) && digits(text + 6, 4, &year);
}

int ess_date_order_proof(const char *text, size_t len)
{
    int first, second;
    ess_text_trim(&text, &len);
    if (!numeric_fields(text, len, &first, &second))
        return 0;
    if (first > 12 && second >= 1 && second <= 12)
        return ESS_DATES_DMY;
    if (second > 12 && first >= 1 && first <= 12)
        return ESS_DATES_MDY;
    return 0;
}

/* order: ESS_DATES_DMY or ESS_DATES_MDY, said (by the caller: a value proving the other order
 * is refused as contradicting it), or ESS_DATES_DETECT: day first unless the value can only be
 * month first (03/25/2017) -- the column's evidence decides the rest (ledger_read.c). */
static int parse_in_order(const char *text, size_t len, int order, int said, int32_t *days,
                          ess_error *err)
{
    ess_text_trim(&text, &len);
    if (len == 0)
        return ESS_BLANK;
    ess_date d = {0, 0, 0};
    int ok = 0, month_first = 0, minutes = 0, utc = 0;
    /* a local time after the date ("2017-09-08T00:00:00", "2017-09-08 00:00", "...+01:00") is
     * ignored, a time in UTC makes the day Paris's (paris_day_of_utc); any other text after
     * it makes it no date (it was dropped: a period read as its first day) */
    if (len >= 10 && (len == 10 || ((text[10] == 'T' || text[10] == ' ') &&
                                    time_of_day(text + 11, len - 11, &minutes, &utc)))) {
        if ((text[4] == '-' || text[4] == '/') && text[7] == text[4]) {
            ok = digits(text, 4, &d.year) && digits(text + 5, 2, &d.month) &&
                 digits(text + 8, 2, &d.day);
        } else if ((text[2] == '/' || text[2] == '-' || text[2] == '.') && text[5] == text[2]) {
            int first = 0, second = 0;
            ok = digits(text, 2, &first) && digits(text + 3, 2, &second) &&
                 digits(text + 6, 4, &d.year);
            int proof = ess_date_order_proof(text, len);
            month_first = order == ESS_DATES_MDY || (order == ESS_DATES_DETECT &&
                                                      proof == ESS_DATES_MDY);
            d.day = month_first ? second : first;
            d.month = month_first ? first : second;
            if (ok && said && proof && proof != order)
                return ess_error_set(err, ESS_EPARSE, 0, 1,
                                     "'%.*s' can only be %s first (%d is no month), but the "
                                     "dates were said to be %s first (date_order='%s')",
                                     (int)(len > 40 ? 40 : len), text,
                                     proof == ESS_DATES_MDY ? "month" : "day",
                                     proof == ESS_DATES_MDY ? second : first,
                                     order == ESS_DATES_MDY ? "month" : "day",
                                     order == ESS_DATES_MDY ? "mdy" : "dmy");
        }
    }
    if (!ok)
        return ess_error_set(err, ESS_EPARSE, 0, 1,
                             "'%.*s' is not a date (expected 2017-09-08, 2017/09/08 or %s)",
                             (int)(len > 40 ? 40 : len), text,
                             order == ESS_DATES_MDY ? "09/08/2017" : "08/09/2017");
    if (!ess_date_valid(d))
        return ess_error_set(err, ESS_EPARSE, 0, 1,
                             "'%.*s' is an impossible date (year %d, month %d, day %d)", (int)len,
                             text, d.year, d.month, d.day);
    *days = ess_days_from_date(d);
    if (utc) {
        int32_t day = paris_day_of_utc(*days, minutes);
        if (!ess_date_valid(ess_date_from_days(day)))   /* 9999-12-31T23:00Z: year 10000 */
            return ess_error_set(err, ESS_EPARSE, 0, 1,
                                 "'%.*s' is a time in UTC that is in the year 10000 in "
                                 "Paris, past the dates a column holds", (int)(len > 40 ? 40 : len), text);
        *days = day;
    }
    return ESS_OK;
}

int ess_date_parse(const char *text, size_t len, int32_t *days, ess_error *err)
{
    return parse_in_order(text, len, ESS_DATES_DMY, 0, days, err);
}

int ess_date_parse_in_order(const char *text, size_t len, int order, int32_t *days,
                            ess_error *err)
{
    return parse_in_order(text, len, order, order != ESS_DATES_DETECT, days, err);
}
