/*
 * derive.c -- key columns derived from dates, so that a ledger groups and pivots by the year,
 * quarter or month of a date, or by the start or end of a payment period, through the one
 * group-by entry point.
 *
 * Layer: tables (calls ledger.c, date.c, dict.c, error.c).
 *
 * Workload: a group-by "by year of dateConvention" over millions of rows.  The group-by and the
 * pivot read a derived key in place through its view (ess_key_view, internal.h): a table from
 * the source value (a day, or a label's code) to the derived code, built once per day of the
 * dates' span or once per distinct label (each parsed once), so no column is copied: the former
 * path wrote a new ledger of the keys and the amount first (16 bytes a row of fresh pages).
 * ess_ledger_derive_keys still materialises the same views, for a caller that wants columns.
 *
 * Invariants: a view gives, row for row, what the materialised column holds (the derived
 * ledger has the source's rows in the source's order); a derived
 * calendar part (year, quarter 1..4, month 1..12) is a LABEL column of its decimal values in
 * increasing order (code = value - smallest), a derived period side a DATE; a missing date, a
 * blank label or a blank side of a period is missing, never a made-up value;
 * a label that is neither a date nor a period fails with the first row that holds it (a label
 * no row holds, left in a filtered ledger's dictionary, fails nothing).
 */
#include "internal.h"

#include <assert.h>
#include <stdio.h>
#include <string.h>

/* Where a period's label cuts its start from its end: "start_end" (any date form on each side,
 * slashes inside included) or the schema's "2017-03-30/2017-05-24"; NULL for one date. */
static const char *period_cut(const char *text, size_t len)
{
    const char *cut = memchr(text, '_', len);
    if (cut == NULL && len > 10 && text[10] == '/' && text[4] == '-')
        cut = text + 10;
    return cut;
}

/* One side of a period in the column's order: day first is the reader's French default, read
 * as ess_date_parse reads it; month first when the column's evidence says so (column_order). */
static int side_parse(const char *text, size_t len, int order, int32_t *days, ess_error *err)
{
    return order == ESS_DATES_MDY ? ess_date_parse_in_order(text, len, order, days, err)
                                  : ess_date_parse(text, len, days, err);
}

static int period_parse_in_order(const char *text, size_t len, int order, int32_t *start,
                                 int32_t *end, ess_error *err)
{
    ess_text_trim(&text, &len);
    if (len == 0)
        return ESS_BLANK;
    const char *cut = period_cut(text, len);
    if (cut == NULL) {   /* one date: the period of one day */
        int rc = side_parse(text, len, order, start, err);
        *end = *start;
        return rc;
    }
    int rc = side_parse(text, (size_t)(cut - text), order, start, err);
    if (rc == ESS_BLANK)
        *start = ESS_DATE_MISSING;
    else if (rc)
        return rc;
    rc = side_parse(cut + 1, len - (size_t)(cut - text) - 1, order, end, err);
    if (rc == ESS_BLANK)
        *end = ESS_DATE_MISSING;
    else if (rc)
        return rc;
    return ESS_OK;
}

int ess_period_parse(const char *text, size_t len, int32_t *start, int32_t *end, ess_error *err)
{
    return period_parse_in_order(text, len, ESS_DATES_DMY, start, end, err);
}

/* The calendar part of a day number (ESS_PART_YEAR, _QUARTER or _MONTH). */
static int date_part(int32_t days, int part)
{
    ess_date d = ess_date_from_days(days);
    switch (part) {
    case ESS_PART_YEAR: return d.year;
    case ESS_PART_QUARTER: return (d.month + 2) / 3;
    default: return d.month;
    }
}

/* A calendar part is written as a LABEL column whose dictionary is every value from the
 * smallest to the largest the days can give, in increasing order ("2009", "2010"...), so that
 * code = value - smallest: the group-by's direct-indexed kernel runs on it (several times
 * faster than hashing int64 keys), its groups come out in calendar order, and the binding gives
 * the keys back as ints.  Values no row has make no group (a group-by skips empty groups). */
static int part_dictionary(ess_dict *dict, int part, int32_t lo_day, int32_t hi_day, int *smallest)
{
    int first = part == ESS_PART_YEAR ? date_part(lo_day, part) : 1;
    int last = part == ESS_PART_YEAR ? date_part(hi_day, part) : part == ESS_PART_QUARTER ? 4 : 12;
    for (int v = first; v <= last; v++) {
        char text[16];
        int len = snprintf(text, sizeof text, "%d", v);
        if (ess_dict_intern(dict, text, (size_t)len) != v - first)
            return ESS_ENOMEM;   /* the labels are new and in order: only memory can fail */
    }
    *smallest = first;
    return ESS_OK;
}

/* The largest span of days (about 180 years) whose parts are looked up in a table rather than
 * computed row by row: grant dates span a few years, so the table is small and in cache. */
enum { PART_TABLE_MAX_DAYS = 1 << 16 };

/* The smallest and largest day of a DATE column, missing ones aside (lo > hi: none).  The one
 * pass over the rows that a derived key costs before the group-by: branch-free and in eight
 * lanes, so that the compiler vectorises it (one chain of dependent compares ran at a third of
 * the group-by's speed).  A missing date (INT32_MIN) is no maximum already and counts as
 * INT32_MAX for the minimum. */
static void day_span(const int32_t *days, size_t n, int32_t *lo_out, int32_t *hi_out)
{
    enum { LANES = 8 };
    int32_t lo[LANES], hi[LANES];
    for (int k = 0; k < LANES; k++) {
        lo[k] = INT32_MAX;
        hi[k] = INT32_MIN;
    }
    size_t i = 0;
    for (; i + LANES <= n; i += LANES)
        for (int k = 0; k < LANES; k++) {
            int32_t day = days[i + (size_t)k], as_low = day == ESS_DATE_MISSING ? INT32_MAX : day;
            lo[k] = as_low < lo[k] ? as_low : lo[k];
            hi[k] = day > hi[k] ? day : hi[k];
        }
    for (; i < n; i++) {
        int32_t day = days[i], as_low = day == ESS_DATE_MISSING ? INT32_MAX : day;
        lo[0] = as_low < lo[0] ? as_low : lo[0];
        hi[0] = day > hi[0] ? day : hi[0];
    }
    for (int k = 1; k < LANES; k++) {
        lo[0] = lo[k] < lo[0] ? lo[k] : lo[0];
        hi[0] = hi[k] > hi[0] ? hi[k] : hi[0];
    }
    *lo_out = lo[0];
    *hi_out = hi[0];
}

/* A DATE column's calendar part: a first pass finds the days' span; when it is short each part
 * is computed once per day of the span (the view's table, by day - first day); centuries apart,
 * the codes are computed row by row into a column the view owns. */
static int view_date_part(const ess_column *src, size_t nrows, int part, ess_key_view *v)
{
    const int32_t *days = src->data;
    int32_t lo, hi;
    day_span(days, nrows, &lo, &hi);
    v->source = days;
    if (lo > hi)   /* no date at all: an empty table, every row missing */
        return (v->to = ess_malloc(sizeof *v->to)) ? ESS_OK : ESS_ENOMEM;
    int smallest;
    if (part_dictionary(&v->labels, part, lo, hi, &smallest) != ESS_OK)
        return ESS_ENOMEM;
    if ((int64_t)hi - lo >= PART_TABLE_MAX_DAYS) {   /* centuries apart: row by row */
        if ((v->rows = ess_malloc((nrows ? nrows : 1) * sizeof *v->rows)) == NULL)
            return ESS_ENOMEM;
        for (size_t i = 0; i < nrows; i++)
            v->rows[i] = days[i] == ESS_DATE_MISSING ? -1 : date_part(days[i], part) - smallest;
        v->source = v->rows;
        return ESS_OK;
    }
    /* ESS_DATE_MISSING (INT32_MIN) falls outside the table: its index, taken modulo 2^32, is
     * INT32_MAX - lo + 1 > hi - lo */
    v->len = (uint32_t)((int64_t)hi - lo) + 1;
    v->base = lo;
    if ((v->to = ess_malloc(v->len * sizeof *v->to)) == NULL)
        return ESS_ENOMEM;
    for (uint32_t d = 0; d < v->len; d++)
        v->to[d] = date_part((int32_t)(lo + (int64_t)d), part) - smallest;
    return ESS_OK;
}

/* why a label gives no date; a period that ends before it starts (SCDL validation's
 * "period-order" error) was grouped by whichever end was asked, a year or two off the other */
enum { BAD_NOT_A_DATE = 1, BAD_A_PERIOD = 2, BAD_BACKWARD = 3 };

/* Each code's day (the start or end of its period), parsed once per distinct label; bad[code]
 * says why a label gives none (no date, or a period where one date is wanted). */
static void label_days(const ess_column *col, const ess_key *key, int order,
                       int32_t *day_by_code, uint8_t *bad)
{
    for (size_t code = 0; code < col->dict.count; code++) {
        int32_t start, end;
        ess_error ignored;
        int rc = period_parse_in_order(col->dict.arena + col->dict.offsets[code],
                                       col->dict.lengths[code], order, &start, &end, &ignored);
        day_by_code[code] = key->side == ESS_SIDE_END ? end : start;
        if (rc == ESS_BLANK)
            day_by_code[code] = ESS_DATE_MISSING;
        else if (rc)
            bad[code] = BAD_NOT_A_DATE;
        else if (key->side == ESS_SIDE_DATE && start != end)
            bad[code] = BAD_A_PERIOD;
        else if (start != ESS_DATE_MISSING && end != ESS_DATE_MISSING && start > end)
            bad[code] = BAD_BACKWARD;
        if (bad[code])
            day_by_code[code] = ESS_DATE_MISSING;
    }
}

/* The first row whose label gives no date, named with the date parser's own words (its label
 * parsed again); only called when some label of the dictionary is bad, so the search over the
 * rows costs nothing on good data.  ESS_OK when no row holds a bad label (a filtered ledger's
 * dictionary keeps labels no row uses). */
static int first_bad_row(const ess_ledger *l, const ess_column *src, int order,
                         const uint8_t *bad, ess_error *err)
{
    const int32_t *codes = src->data;
    for (size_t i = 0; i < l->nrows; i++) {
        int32_t code = codes[i];
        if (code < 0 || !bad[code])
            continue;
        const char *text = ess_dict_string(&src->dict, code);
        ess_error why;
        int32_t start, end;
        ess_error_clear(&why);
        period_parse_in_order(text, src->dict.lengths[code], order, &start, &end, &why);
        int rc;
        if (bad[code] == BAD_BACKWARD)
            rc = ess_error_set(err, ESS_EPARSE, 0, 0,
                               "row %zu of '%.60s': the period '%.60s' ends before it starts: "
                               "neither end can be taken for it (swap them in the file)",
                               i + 1, src->name, text);
        else
            rc = ess_error_set(err, ESS_EPARSE, 0, 0,
                               bad[code] == BAD_A_PERIOD
                                   ? "row %zu of '%.60s': '%.60s' is a period, not one date "
                                     "(say which end: period_start or period_end)"
                                   : "row %zu of '%.60s': '%.60s' is neither a date nor a period "
                                     "(start_end or start/end): %s",
                               i + 1, src->name, text, why.message);
        if (err != NULL) {   /* why, for a host to word it in its reader's language */
            err->detail = bad[code] == BAD_BACKWARD ? ESS_DERIVE_BACKWARD
                        : bad[code] == BAD_A_PERIOD ? ESS_DERIVE_A_PERIOD : ESS_DERIVE_NOT_A_DATE;
            err->detail_n = (long)(i + 1);
        }
        return rc;
    }
    return ESS_OK;
}

/* What a label says of its column's order: PROOF_DMY when a date of it can only be day first
 * (25/03/2017), PROOF_MDY when one can only be month first (03/25/2017), both or neither. */
enum { PROOF_DMY = 1, PROOF_MDY = 2 };

static int label_proof(const char *text, size_t len)
{
    ess_text_trim(&text, &len);
    const char *cut = period_cut(text, len);
    size_t first = cut ? (size_t)(cut - text) : len;
    int proofs[2] = {ess_date_order_proof(text, first),
                     cut ? ess_date_order_proof(cut + 1, len - first - 1) : 0};
    int mask = 0;
    for (int k = 0; k < 2; k++)
        mask |= proofs[k] == ESS_DATES_DMY ? PROOF_DMY : proofs[k] == ESS_DATES_MDY ? PROOF_MDY : 0;
    return mask;
}

/* The order of a label column's dates, decided as the CSV reader decides a date column's: on
 * the evidence of the whole column, day first (the French default) unless a label can only be
 * month first (03/25/2017).  The evidence is the column's dictionary, every label read, so a
 * filtered ledger (whose dictionary keeps the labels its rows no longer hold) reads 04/02/2018
 * as the whole one does.  A column with labels of both kinds is refused when its rows hold
 * both, naming one of each (which one 04/05/2017 is cannot be known); the rows are read only
 * then. */
static int column_order(const ess_ledger *l, const ess_column *src, int *order, ess_error *err)
{
    size_t count = src->dict.count;
    *order = ESS_DATES_DMY;
    uint8_t *proof = ess_calloc(count + 1, 1);
    if (proof == NULL)
        return ess_error_set(err, ESS_ENOMEM, 0, 0, "out of memory deriving from '%.60s'",
                             src->name);
    int kinds = 0;
    for (size_t c = 0; c < count; c++) {
        proof[c] = (uint8_t)label_proof(ess_dict_string(&src->dict, (int32_t)c),
                                        src->dict.lengths[c]);
        kinds |= proof[c];
    }
    size_t day_row = 0, month_row = 0;   /* the first row of each kind, from 1; 0: none */
    int32_t day_code = -1, month_code = -1;
    const int32_t *codes = src->data;
    for (size_t i = 0; kinds == (PROOF_DMY | PROOF_MDY) && i < l->nrows && !(day_row && month_row);
         i++) {
        int32_t code = codes[i];
        if (code < 0)
            continue;
        if ((proof[code] & PROOF_DMY) && day_row == 0)
            day_row = i + 1, day_code = code;
        if ((proof[code] & PROOF_MDY) && month_row == 0)
            month_row = i + 1, month_code = code;
    }
    if (kinds == PROOF_MDY || (kinds == (PROOF_DMY | PROOF_MDY) && month_row && !day_row))
        *order = ESS_DATES_MDY;
    ess_free(proof);
    if (month_row && day_row) {
        int month_later = month_row >= day_row;   /* the later of the two is refused */
        size_t row = month_later ? month_row : day_row, other = month_later ? day_row : month_row;
        int32_t code = month_later ? month_code : day_code;
        int32_t other_code = month_later ? day_code : month_code;
        int rc = ess_error_set(err, ESS_EPARSE, 0, 0,
                               "row %zu of '%.60s': '%.60s' can only be %s first, and '%.60s' "
                               "(row %zu) only %s first, so which one 04/05/2017 is cannot be "
                               "known: put the column in one order",
                               row, src->name, ess_dict_string(&src->dict, code),
                               month_later ? "month" : "day",
                               ess_dict_string(&src->dict, other_code), other,
                               month_later ? "day" : "month");
        if (err != NULL) {   /* why, for a host to word it in its reader's language */
            err->detail = ESS_DERIVE_MIXED_ORDERS;
            err->detail_n = (long)row;
        }
        return rc;
    }
    return ESS_OK;
}

/* A LABEL column of dates or periods: each label's day, then its part's code, once per
 * distinct label: the view's table is indexed by the label's code (a missing code, -1, falls
 * outside it).  The rows are read only when a label of the dictionary is bad. */
static int view_labels(const ess_ledger *l, const ess_key *key, ess_key_view *v, ess_error *err)
{
    const ess_column *src = &l->columns[key->column];
    size_t count = src->dict.count;
    uint8_t *bad = ess_calloc(count + 1, 1);
    int rc = ESS_OK, any_bad = 0;
    v->to = ess_calloc(count + 1, sizeof *v->to);   /* a day, then a code */
    if (v->to == NULL || bad == NULL)
        goto nomem;
    v->source = src->data;
    v->len = (uint32_t)count;
    int order;
    if ((rc = column_order(l, src, &order, err)) != ESS_OK)
        goto done;
    label_days(src, key, order, v->to, bad);
    for (size_t c = 0; c < count; c++)
        any_bad |= bad[c];
    if (any_bad && (rc = first_bad_row(l, src, order, bad, err)) != ESS_OK)
        goto done;
    if (key->part != ESS_PART_DAY) {
        int32_t lo = INT32_MAX, hi = INT32_MIN;
        for (size_t c = 0; c < count; c++)
            if (v->to[c] != ESS_DATE_MISSING) {
                lo = v->to[c] < lo ? v->to[c] : lo;
                hi = v->to[c] > hi ? v->to[c] : hi;
            }
        int smallest = 0;
        if (lo <= hi && part_dictionary(&v->labels, key->part, lo, hi, &smallest) != ESS_OK)
            goto nomem;
        for (size_t c = 0; c < count; c++)
            v->to[c] = v->to[c] == ESS_DATE_MISSING ? -1 : date_part(v->to[c], key->part) - smallest;
    }
    goto done;
nomem:
    rc = ess_error_set(err, ESS_ENOMEM, 0, 0, "out of memory deriving '%.60s'", key->name);
done:
    ess_free(bad);
    return rc;
}

int ess_key_date_order(const ess_ledger *l, const ess_key *key)
{
    const ess_column *src = &l->columns[key->column];
    if (ess_key_kind(l, key) != ESS_COL_DATE)
        return 0;
    if (src->kind == ESS_COL_DATE)
        return src->date_order;
    if (src->kind != ESS_COL_LABEL)
        return 0;
    /* a label column's labels read as its view reads them (column_order): one order proven
     * by a label is the column's; none proven (ISO dates, 04/05/2017 alone) or both proven
     * (the rows holding one kind only) say nothing, and a filter then asks which */
    int kinds = 0;
    for (size_t c = 0; c < src->dict.count; c++)
        kinds |= label_proof(ess_dict_string(&src->dict, (int32_t)c), src->dict.lengths[c]);
    return kinds == PROOF_MDY ? ESS_DATES_MDY : kinds == PROOF_DMY ? ESS_DATES_DMY : 0;
}

int ess_key_kind(const ess_ledger *l, const ess_key *key)
{
    if (key->part == ESS_PART_COPY)
        return l->columns[key->column].kind;
    return key->part == ESS_PART_DAY ? ESS_COL_DATE : ESS_COL_LABEL;
}

const char *ess_key_name(const ess_ledger *l, const ess_key *key)
{
    return key->part == ESS_PART_COPY ? l->columns[key->column].name : key->name;
}

/* A key names a column, and a derived one a part of a date or of a period's side. */
static int check_key(const ess_ledger *l, const ess_key *key, ess_error *err)
{
    if (key->column < 0 || (size_t)key->column >= l->ncolumns)
        return ess_error_set(err, ESS_EINVAL, 0, 0, "a key names no column");
    if (key->part == ESS_PART_COPY)
        return ESS_OK;
    int kind = l->columns[key->column].kind;
    if (key->part < ESS_PART_DAY || key->part > ESS_PART_MONTH || key->side < ESS_SIDE_DATE ||
        key->side > ESS_SIDE_END)
        return ess_error_set(err, ESS_EINVAL, 0, 0, "'%.60s' is no date part", key->name);
    if (kind == ESS_COL_DATE ? key->side != ESS_SIDE_DATE : kind != ESS_COL_LABEL)
        return ess_error_set(err, ESS_EINVAL, 0, 0,
                             kind == ESS_COL_DATE
                                 ? "'%.60s': '%.60s' holds dates, not periods"
                                 : "'%.60s': '%.60s' holds neither dates nor periods",
                             key->name, l->columns[key->column].name);
    return ESS_OK;
}

int ess_key_view_build(const ess_ledger *l, const ess_key *key, ess_key_view *v, ess_error *err)
{
    memset(v, 0, sizeof *v);
    ESS_RETURN_NOT_OK(check_key(l, key, err));
    assert(key->part != ESS_PART_COPY);
    const ess_column *src = &l->columns[key->column];
    v->kind = ess_key_kind(l, key);
    v->missing = v->kind == ESS_COL_DATE ? ESS_DATE_MISSING : -1;
    int rc;
    if (src->kind == ESS_COL_LABEL)
        rc = view_labels(l, key, v, err);
    else if (key->part == ESS_PART_DAY) {   /* a date column's own days */
        v->source = src->data;
        rc = ESS_OK;
    } else if ((rc = view_date_part(src, l->nrows, key->part, v)) != ESS_OK)
        rc = ess_error_set(err, ESS_ENOMEM, 0, 0, "out of memory deriving '%.60s'", key->name);
    if (rc != ESS_OK)
        ess_key_view_free(v);
    return rc;
}

void ess_key_view_free(ess_key_view *v)
{
    ess_free(v->to);
    ess_free(v->rows);
    ess_dict_clear(&v->labels);
    memset(v, 0, sizeof *v);
}

/* A derived key written out row by row through its view (the group-by reads the view instead),
 * its labels moved into the column. */
static int materialise(const ess_ledger *l, const ess_key *key, ess_column *dst, ess_error *err)
{
    ess_key_view v;
    ESS_RETURN_NOT_OK(ess_key_view_build(l, key, &v, err));
    int32_t *out = dst->data;
    for (size_t i = 0; i < l->nrows; i++)
        out[i] = ess_key_view_at(&v, i);
    ess_dict_clear(&dst->dict);
    dst->dict = v.labels;
    memset(&v.labels, 0, sizeof v.labels);
    ess_key_view_free(&v);
    return ESS_OK;
}

int ess_ledger_derive_keys(const ess_ledger *l, const ess_key *keys, size_t nkeys,
                           ess_ledger **out, ess_error *err)
{
    *out = NULL;
    if (l->amount < 0)
        return ess_error_set(err, ESS_EINVAL, 0, 0, "the ledger has no amount column");
    for (size_t k = 0; k < nkeys; k++)
        ESS_RETURN_NOT_OK(check_key(l, &keys[k], err));
    ess_ledger *d = ess_ledger_new();
    if (d == NULL)
        return ess_error_set(err, ESS_ENOMEM, 0, 0, "out of memory deriving keys");
    int rc = ESS_OK;
    for (size_t k = 0; k <= nkeys; k++) {   /* the keys, then the amount */
        const ess_column *src = &l->columns[k < nkeys ? keys[k].column : l->amount];
        int part = k < nkeys ? keys[k].part : ESS_PART_COPY;
        int kind = part == ESS_PART_COPY ? src->kind
                                         : part == ESS_PART_DAY ? ESS_COL_DATE : ESS_COL_LABEL;
        const char *name = k < nkeys ? ess_key_name(l, &keys[k]) : src->name;
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
        else if ((rc = materialise(l, &keys[k], &d->columns[k], err)) != ESS_OK)
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
