/*
 * derive.c -- key columns derived from dates, so that a ledger groups and pivots by the year,
 * quarter or month of a date, or by the start or end of a payment period, through the one
 * group-by entry point.
 *
 * Layer: tables (calls ledger.c, date.c, dict.c, error.c).
 *
 * Workload: a group-by "by year of dateConvention" over millions of rows: the derived column is
 * materialised in one pass over the int32 days (or over the int32 codes of a label column of
 * periods, each distinct label parsed once), into a new ledger holding only the keys and the
 * amount; the group-by then runs on it unchanged.
 *
 * Invariants: the derived ledger has the source's rows in the source's order; a derived
 * calendar part is an INT (year, quarter 1..4, month 1..12), a derived period side a DATE; a
 * missing date, a blank label or a blank side of a period is missing, never a made-up value;
 * a label that is neither a date nor a period fails with the first row that holds it (a label
 * no row holds, left in a filtered ledger's dictionary, fails nothing).
 */
#include "internal.h"

#include <string.h>

int ess_period_parse(const char *text, size_t len, int32_t *start, int32_t *end, ess_error *err)
{
    ess_text_trim(&text, &len);
    if (len == 0)
        return ESS_BLANK;
    /* "start_end" (any date form on each side, slashes inside included) or the schema's
     * "2017-03-30/2017-05-24"; else one date, the period of one day */
    const char *cut = memchr(text, '_', len);
    if (cut == NULL && len > 10 && text[10] == '/' && text[4] == '-')
        cut = text + 10;
    if (cut == NULL) {
        int rc = ess_date_parse(text, len, start, err);
        *end = *start;
        return rc;
    }
    int rc = ess_date_parse(text, (size_t)(cut - text), start, err);
    if (rc == ESS_BLANK)
        *start = ESS_DATE_MISSING;
    else if (rc)
        return rc;
    rc = ess_date_parse(cut + 1, len - (size_t)(cut - text) - 1, end, err);
    if (rc == ESS_BLANK)
        *end = ESS_DATE_MISSING;
    else if (rc)
        return rc;
    return ESS_OK;
}

/* The calendar part of a day number (the day itself for ESS_PART_DAY). */
static int64_t date_part(int32_t days, int part)
{
    if (part == ESS_PART_DAY)
        return days;
    ess_date d = ess_date_from_days(days);
    switch (part) {
    case ESS_PART_YEAR: return d.year;
    case ESS_PART_QUARTER: return (d.month + 2) / 3;
    default: return d.month;
    }
}

enum { BAD_NOT_A_DATE = 1, BAD_A_PERIOD = 2 };   /* why a label gives no date */

/* Each code's derived value, parsed once per distinct label; bad[code] says why a label gives
 * none (no date, or a period where one date is wanted). */
static int label_values(const ess_column *col, const ess_key *key, int64_t *by_code,
                        uint8_t *bad)
{
    for (size_t code = 0; code < col->dict.count; code++) {
        int32_t start, end;
        ess_error ignored;
        int rc = ess_period_parse(col->dict.arena + col->dict.offsets[code], col->dict.lengths[code],
                                  &start, &end, &ignored);
        int32_t days = key->side == ESS_SIDE_END ? end : start;
        if (rc == ESS_BLANK)
            days = ESS_DATE_MISSING;
        else if (rc)
            bad[code] = BAD_NOT_A_DATE;
        else if (key->side == ESS_SIDE_DATE && start != end)
            bad[code] = BAD_A_PERIOD;
        by_code[code] = days == ESS_DATE_MISSING
                            ? (key->part == ESS_PART_DAY ? ESS_DATE_MISSING : ESS_INT_MISSING)
                            : date_part(days, key->part);
    }
    return ESS_OK;
}

/* The largest span of days (about 180 years) whose parts are looked up in a table rather than
 * computed row by row: grant dates span a few years, so the table is small and in cache. */
enum { PART_TABLE_MAX_DAYS = 1 << 16 };

/* The calendar part of every day of a DATE column, as INT values (ESS_INT_MISSING where the
 * date is): a first pass finds the days' span, and when it is short each part is computed once
 * per day of the span, then looked up per row. */
static int derive_date_part(const ess_column *src, size_t nrows, int part, int64_t *out)
{
    const int32_t *days = src->data;
    int32_t lo = INT32_MAX, hi = INT32_MIN;
    for (size_t i = 0; i < nrows; i++)
        if (days[i] != ESS_DATE_MISSING) {
            lo = days[i] < lo ? days[i] : lo;
            hi = days[i] > hi ? days[i] : hi;
        }
    if (lo > hi || (int64_t)hi - lo >= PART_TABLE_MAX_DAYS) {   /* no date, or centuries */
        for (size_t i = 0; i < nrows; i++)
            out[i] = days[i] == ESS_DATE_MISSING ? ESS_INT_MISSING : date_part(days[i], part);
        return ESS_OK;
    }
    size_t span = (size_t)((int64_t)hi - lo) + 1;
    int16_t *by_day = ess_malloc(span * sizeof *by_day);   /* years <= 9999 fit */
    if (by_day == NULL)
        return ESS_ENOMEM;
    for (size_t d = 0; d < span; d++)
        by_day[d] = (int16_t)date_part((int32_t)(lo + (int64_t)d), part);
    for (size_t i = 0; i < nrows; i++)
        out[i] = days[i] == ESS_DATE_MISSING ? ESS_INT_MISSING
                                             : by_day[(int64_t)days[i] - lo];
    ess_free(by_day);
    return ESS_OK;
}

static int derive_column(const ess_ledger *l, const ess_key *key, ess_column *dst, ess_error *err)
{
    const ess_column *src = &l->columns[key->column];
    int day_out = key->part == ESS_PART_DAY;   /* a DATE column out, else an INT one */
    if (src->kind == ESS_COL_DATE) {
        if (day_out) {
            memcpy(dst->data, src->data, sizeof(int32_t) * l->nrows);
            return ESS_OK;
        }
        if (derive_date_part(src, l->nrows, key->part, dst->data) != ESS_OK)
            return ess_error_set(err, ESS_ENOMEM, 0, 0, "out of memory deriving '%.60s'", key->name);
        return ESS_OK;
    }
    int64_t *by_code = ess_calloc(src->dict.count + 1, sizeof *by_code);
    uint8_t *bad = ess_calloc(src->dict.count + 1, 1);
    int rc = ESS_OK;
    if (by_code == NULL || bad == NULL) {
        rc = ess_error_set(err, ESS_ENOMEM, 0, 0, "out of memory deriving '%.60s'", key->name);
        goto done;
    }
    label_values(src, key, by_code, bad);
    const int32_t *codes = src->data;
    for (size_t i = 0; i < l->nrows; i++) {
        int32_t code = codes[i];
        int64_t v = code < 0 ? (day_out ? ESS_DATE_MISSING : ESS_INT_MISSING) : by_code[code];
        if (code >= 0 && bad[code]) {
            const char *text = ess_dict_string(&src->dict, code);
            size_t len = src->dict.lengths[code];
            ess_error why;   /* the date parser's own words, parsed again for this one label */
            int32_t start, end;
            ess_error_clear(&why);
            ess_period_parse(text, len, &start, &end, &why);
            rc = ess_error_set(err, ESS_EPARSE, 0, 0,
                               bad[code] == BAD_A_PERIOD
                                   ? "row %zu of '%.60s': '%.60s' is a period, not one date "
                                     "(say which end: period_start or period_end)"
                                   : "row %zu of '%.60s': '%.60s' is neither a date nor a period "
                                     "(start_end or start/end): %s",
                               i + 1, src->name, text, why.message);
            goto done;
        }
        if (day_out)
            ((int32_t *)dst->data)[i] = (int32_t)v;
        else
            ((int64_t *)dst->data)[i] = v;
    }
done:
    ess_free(by_code);
    ess_free(bad);
    return rc;
}

int ess_ledger_derive_keys(const ess_ledger *l, const ess_key *keys, size_t nkeys,
                           ess_ledger **out, ess_error *err)
{
    *out = NULL;
    if (l->amount < 0)
        return ess_error_set(err, ESS_EINVAL, 0, 0, "the ledger has no amount column");
    for (size_t k = 0; k < nkeys; k++) {
        const ess_key *key = &keys[k];
        if (key->column < 0 || (size_t)key->column >= l->ncolumns)
            return ess_error_set(err, ESS_EINVAL, 0, 0, "a key names no column");
        int kind = l->columns[key->column].kind;
        if (key->part == ESS_PART_COPY)
            continue;
        if (key->part < ESS_PART_DAY || key->part > ESS_PART_MONTH || key->side < ESS_SIDE_DATE ||
            key->side > ESS_SIDE_END)
            return ess_error_set(err, ESS_EINVAL, 0, 0, "'%.60s' is no date part", key->name);
        if (kind == ESS_COL_DATE ? key->side != ESS_SIDE_DATE : kind != ESS_COL_LABEL)
            return ess_error_set(err, ESS_EINVAL, 0, 0,
                                 kind == ESS_COL_DATE
                                     ? "'%.60s': '%.60s' holds dates, not periods"
                                     : "'%.60s': '%.60s' holds neither dates nor periods",
                                 key->name, l->columns[key->column].name);
    }
    ess_ledger *d = ess_ledger_new();
    if (d == NULL)
        return ess_error_set(err, ESS_ENOMEM, 0, 0, "out of memory deriving keys");
    int rc = ESS_OK;
    for (size_t k = 0; k <= nkeys; k++) {   /* the keys, then the amount */
        const ess_column *src = &l->columns[k < nkeys ? keys[k].column : l->amount];
        int part = k < nkeys ? keys[k].part : ESS_PART_COPY;
        int kind = part == ESS_PART_COPY ? src->kind
                                         : part == ESS_PART_DAY ? ESS_COL_DATE : ESS_COL_INT;
        const char *name = k < nkeys ? keys[k].name : src->name;
        int added = ess_ledger_add_column(d, name, kind);
        if (added == -1) {
            rc = ess_error_set(err, ESS_EINVAL, 0, 0, "'%.60s' is asked for twice", name);
            goto fail;
        }
        if (added < 0 || (part == ESS_PART_COPY && kind == ESS_COL_LABEL &&
                          ess_dict_copy(&d->columns[added].dict, &src->dict)))
            goto nomem;
    }
    d->amount = (int)nkeys;   /* the source's amount, even when a key copies another amount */
    if (ess_ledger_reserve(d, l->nrows ? l->nrows : 1))
        goto nomem;
    for (size_t k = 0; k <= nkeys; k++) {
        const ess_column *src = &l->columns[k < nkeys ? keys[k].column : l->amount];
        ess_advise_huge_pages(d->columns[k].data, ess_column_width(d->columns[k].kind) * l->nrows);
        if (k == nkeys || keys[k].part == ESS_PART_COPY)
            memcpy(d->columns[k].data, src->data, ess_column_width(src->kind) * l->nrows);
        else if ((rc = derive_column(l, &keys[k], &d->columns[k], err)) != ESS_OK)
            goto fail;
    }
    d->nrows = l->nrows;
    *out = d;
    return ESS_OK;
nomem:
    rc = ess_error_set(err, ESS_ENOMEM, 0, 0, "out of memory deriving keys");
fail:
    ess_ledger_free(d);
    return rc;
}
