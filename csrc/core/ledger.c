/*
 * ledger.c -- columnar financing records: the columns, the one builder that writes a row's
 * values from their text, totals, filter and extend.
 *
 * Layer: tables (calls the base: dict.c, date.c, money.c, text.c, error.c).  The CSV reader
 * (ledger_read.c) writes every row through ess_ledger_put_text; columns of values (the
 * binding's Python columns and buffers, arrow.c's batches) are staged past the rows
 * (ess_ledger_stage_values / _room / _labels / _label) and shown by ess_ledger_commit_rows,
 * which checks what they hold.  Group-by and the pivot that makes a plan of a ledger are analyses, in group.c.
 *
 * Workload: millions of grant records (SCDL files of every signatory, year after year), read
 * once, then grouped many times: label columns are dictionary-encoded (int32 codes in order of
 * first sight), amounts are int64 cents, dates int32 days: 24 bytes a row for four labels and an
 * amount.
 *
 * Invariants: every column has nrows values and room for cap; a LABEL code is -1 (missing) or
 * < dict.count; the amount column is never missing; every sum is checked (ESS_EOVERFLOW, never a
 * wrap); no column changes while exports > 0 (a buffer or an Arrow array points into it).
 */
#include "internal.h"

#include <assert.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void ess_bad_rows_clear(ess_bad_rows *b)
{
    if (b == NULL)
        return;
    ess_free(b->items);
    b->items = NULL;
    b->count = b->cap = 0;
}

ess_ledger *ess_ledger_new(void)
{
    ess_ledger *l = ess_calloc(1, sizeof *l);
    if (l) {
        l->amount = -1;
        l->encoding = ESS_ENC_AUTO;
    }
    return l;
}

void ess_ledger_free(ess_ledger *l)
{
    if (l == NULL)
        return;
    for (size_t c = 0; c < l->ncolumns; c++) {
        ess_free(l->columns[c].name);
        ess_free(l->columns[c].data);
        ess_dict_clear(&l->columns[c].dict);
    }
    ess_free(l->columns);
    ess_dict_clear(&l->names);
    ess_free(l);
}

size_t ess_column_width(int kind) { return (kind == ESS_COL_LABEL || kind == ESS_COL_DATE) ? 4 : 8; }

int ess_ledger_find_column(const ess_ledger *l, const char *name)
{
    return ess_dict_find(&l->names, name, strlen(name));   /* codes are column indexes */
}

int ess_ledger_reindex_names(ess_ledger *l)
{
    ess_dict_clear(&l->names);
    for (size_t c = 0; c < l->ncolumns; c++)
        if (ess_dict_intern(&l->names, l->columns[c].name, strlen(l->columns[c].name)) != (int32_t)c)
            return ESS_ENOMEM;
    return ESS_OK;
}

int ess_ledger_add_column(ess_ledger *l, const char *name, int kind)
{
    if (l->nrows != 0 || ess_ledger_find_column(l, name) >= 0 || kind < ESS_COL_LABEL ||
        kind > ESS_COL_AMOUNT)
        return -1;
    if (l->ncolumns == l->columns_cap) {
        size_t cap = l->columns_cap ? l->columns_cap * 2 : 8;
        ess_column *cols = ess_realloc(l->columns, cap * sizeof *cols);
        if (cols == NULL)
            return -2;
        l->columns = cols;
        l->columns_cap = cap;
    }
    ess_column *col = &l->columns[l->ncolumns];
    memset(col, 0, sizeof *col);
    if ((col->name = ess_strndup(name, strlen(name))) == NULL)
        return -2;
    if (ess_dict_intern(&l->names, name, strlen(name)) != (int32_t)l->ncolumns) {
        ess_free(col->name);
        return -2;   /* the name is new (checked above): only memory can fail here */
    }
    col->kind = kind;
    if (l->cap && (col->data = ess_malloc(l->cap * ess_column_width(kind))) == NULL) {
        ess_free(col->name);
        ess_ledger_reindex_names(l);   /* forget the name interned above */
        return -2;
    }
    if (kind == ESS_COL_AMOUNT && l->amount < 0)
        l->amount = (int)l->ncolumns;   /* the first amount column is the one summed */
    return (int)l->ncolumns++;
}

int ess_ledger_reserve(ess_ledger *l, size_t rows)
{
    if (rows <= l->cap)
        return ESS_OK;
    for (size_t c = 0; c < l->ncolumns; c++) {
        size_t w = ess_column_width(l->columns[c].kind);
        if (rows > SIZE_MAX / w)
            return ESS_ENOMEM;
        void *p = ess_realloc(l->columns[c].data, rows * w);
        if (p == NULL)
            return ESS_ENOMEM;
        l->columns[c].data = p;
    }
    l->cap = rows;
    return ESS_OK;
}

int ess_ledger_ensure_row(ess_ledger *l)
{
    if (l->nrows < l->cap)
        return ESS_OK;
    size_t want = l->cap < 1024 ? 1024 : l->cap + l->cap / 2;
    return ess_ledger_reserve(l, want);
}

/* Staged rows sit past nrows, in the room reserve made; nothing reads there until the commit. */
void *ess_ledger_stage_room(ess_ledger *l, size_t column, size_t nrows, ess_error *err)
{
    if (column >= l->ncolumns) {
        ess_error_set(err, ESS_EINVAL, 0, 0, "no column %zu in the ledger", column);
        return NULL;
    }
    if (l->exports > 0) {   /* growing would move the columns an export points into */
        ess_error_set(err, ESS_EINVAL, 0, 0, "the ledger is exported: it cannot grow");
        return NULL;
    }
    if (column != l->staged_columns || (column > 0 && nrows != l->staged_rows)) {
        ess_error_set(err, ESS_EINVAL, 0, 0, "column %zu staged out of order or with %zu rows "
                      "where the first has %zu", column, nrows, l->staged_rows);
        return NULL;
    }
    if (nrows > SIZE_MAX - l->nrows - 1 || ess_ledger_reserve(l, l->nrows + nrows + 1)) {
        ess_error_set(err, ESS_ENOMEM, 0, 0, "out of memory for %zu rows", nrows);
        return NULL;
    }
    l->staged_rows = nrows;
    l->staged_columns++;
    ess_column *col = &l->columns[column];
    return (char *)col->data + ess_column_width(col->kind) * l->nrows;
}

int ess_ledger_stage_values(ess_ledger *l, size_t column, const void *values, size_t nrows,
                            ess_error *err)
{
    ess_error local;   /* the status, when the caller wants no error */
    ess_error *e = err ? err : &local;
    void *room = ess_ledger_stage_room(l, column, nrows, e);
    if (room == NULL)
        return e->status;
    if (nrows)
        memcpy(room, values, ess_column_width(l->columns[column].kind) * nrows);
    return ESS_OK;
}

int32_t ess_ledger_stage_label(ess_ledger *l, size_t column, const char *text, size_t len)
{
    assert(column < l->ncolumns && l->columns[column].kind == ESS_COL_LABEL);
    return ess_dict_intern(&l->columns[column].dict, text, len);
}

int ess_ledger_stage_labels(ess_ledger *l, size_t column, const char *const *texts,
                            const size_t *lens, size_t count, ess_error *err)
{
    if (column >= l->ncolumns || l->columns[column].kind != ESS_COL_LABEL)
        return ess_error_set(err, ESS_EINVAL, 0, 0, "column %zu holds no labels", column);
    ess_column *col = &l->columns[column];
    for (size_t k = 0; k < count; k++) {
        size_t code = col->dict.count;   /* a new label takes the next code */
        int32_t got = ess_dict_intern(&col->dict, texts[k], lens[k]);
        if (got < 0)
            return ess_error_set(err, ESS_ENOMEM, 0, 0, "out of memory interning a label");
        if ((size_t)got != code)
            return ess_error_set(err, ESS_EINVAL, 0, 0,
                                 "the dictionary of '%.60s' repeats '%.60s'", col->name,
                                 ess_dict_string(&col->dict, got));
    }
    return ESS_OK;
}

int ess_ledger_commit_rows(ess_ledger *l, size_t nrows, ess_error *err)
{
    if (l->staged_columns != l->ncolumns || nrows != l->staged_rows)
        return ess_error_set(err, ESS_EINVAL, 0, 0, "rows committed that were not staged in "
                             "every column");
    for (size_t c = 0; c < l->ncolumns; c++) {
        const ess_column *col = &l->columns[c];
        if (col->kind != ESS_COL_LABEL)
            continue;
        const int32_t *codes = (const int32_t *)col->data + l->nrows;
        for (size_t i = 0; i < nrows; i++)
            if (codes[i] < -1 || (size_t)(codes[i] + 1) > col->dict.count)
                return ess_error_set(err, ESS_EINVAL, 0, 0,
                                     "row %zu of '%.60s' has code %d outside its dictionary",
                                     l->nrows + i, col->name, (int)codes[i]);
    }
    l->nrows += nrows;
    l->staged_rows = l->staged_columns = 0;
    return ESS_OK;
}

void ess_ledger_set_blank_rows(ess_ledger *l, size_t blank_rows) { l->blank_rows = blank_rows; }

int ess_ledger_put_text(ess_ledger *l, size_t c, const char *text, size_t len,
                     const ess_money_style *style, ess_error *err)
{
    assert(c < l->ncolumns && l->nrows < l->cap);   /* the caller made room (ensure_row) */
    ess_column *col = &l->columns[c];
    size_t row = l->nrows;
    switch (col->kind) {
    case ESS_COL_LABEL: {
        /* labels are kept without surrounding spaces: "CDC " and "CDC" are one funder */
        ess_text_trim(&text, &len);
        int32_t code = -1;
        if (len && (code = ess_dict_intern(&col->dict, text, len)) < 0)
            return ess_error_set(err, ESS_ENOMEM, 0, 0, "out of memory interning a label");
        ((int32_t *)col->data)[row] = code;
        return ESS_OK;
    }
    case ESS_COL_DATE: {
        int32_t days = ESS_DATE_MISSING;
        int rc = ess_date_parse(text, len, &days, err);
        if (rc == ESS_BLANK)
            days = ESS_DATE_MISSING;
        else if (rc)
            return rc;
        ((int32_t *)col->data)[row] = days;
        return ESS_OK;
    }
    case ESS_COL_INT: {
        int64_t v = 0;
        const char *digits = text;
        size_t ndigits = len;
        ess_text_trim(&digits, &ndigits);   /* as a date or a label: "\t2017" is 2017 */
        size_t i = (size_t)(digits - text), n = i + ndigits;   /* columns stay the cell's */
        if (i == n) {
            ((int64_t *)col->data)[row] = ESS_INT_MISSING;
            return ESS_OK;
        }
        int neg = text[i] == '-';
        if (neg || text[i] == '+')
            i++;
        if (i == n)
            return ess_error_set(err, ESS_EPARSE, 0, 1, "'%.*s' is not an integer", (int)len, text);
        for (; i < n; i++) {
            if (text[i] < '0' || text[i] > '9')
                return ess_error_set(err, ESS_EPARSE, 0, (long)i + 1,
                                     "'%.*s' is not an integer", (int)(len > 40 ? 40 : len), text);
            if (__builtin_mul_overflow(v, 10, &v) || __builtin_add_overflow(v, text[i] - '0', &v))
                return ess_error_set(err, ESS_EOVERFLOW, 0, 1, "'%.*s' does not fit int64",
                                     (int)(len > 40 ? 40 : len), text);
        }
        ((int64_t *)col->data)[row] = neg ? -v : v;
        return ESS_OK;
    }
    case ESS_COL_AMOUNT: {
        int64_t cents;
        int rc = ess_money_parse(text, len, style, &cents, NULL, err);
        if (rc == ESS_BLANK)
            return ess_error_set(err, ESS_EPARSE, 0, 1, "the amount is blank");
        if (rc)
            return rc;
        ((int64_t *)col->data)[row] = cents;
        return ESS_OK;
    }
    }
    return ESS_EINVAL;
}

void ess_ledger_commit_row(ess_ledger *l)
{
    assert(l->nrows < l->cap);   /* put_text wrote every column of this row */
    l->nrows++;
}

void ess_ledger_count_blank(ess_ledger *l, size_t n) { l->blank_rows += n; }

void ess_ledger_set_encoding(ess_ledger *l, ess_encoding enc) { l->encoding = enc; }

/* A reader reserves capacity from an estimate of its rows; what it over-reserved goes back
 * (a failed shrink keeps the block, which is still valid). */
void ess_ledger_shrink_to_rows(ess_ledger *l)
{
    if (l->cap <= l->nrows + 1024 || l->nrows == 0)
        return;
    for (size_t c = 0; c < l->ncolumns; c++) {
        void *p = ess_realloc(l->columns[c].data, l->nrows * ess_column_width(l->columns[c].kind));
        if (p != NULL)
            l->columns[c].data = p;
    }
    l->cap = l->nrows;
}

int ess_ledger_total(const ess_ledger *l, int64_t *out)
{
    int64_t s = 0;
    if (l->amount < 0) {
        *out = 0;
        return ESS_OK;
    }
    const int64_t *a = l->columns[l->amount].data;
    for (size_t i = 0; i < l->nrows; i++)
        if (__builtin_add_overflow(s, a[i], &s))
            return ESS_EOVERFLOW;
    *out = s;
    return ESS_OK;
}

/* ------------------------------------------------------------------ filter, extend */

int ess_ledger_filter(const ess_ledger *l, const ess_condition *conds, size_t nconds,
                      ess_ledger **out, ess_error *err)
{
    *out = NULL;
    for (size_t k = 0; k < nconds; k++)
        if (conds[k].column < 0 || (size_t)conds[k].column >= l->ncolumns)
            return ess_error_set(err, ESS_EINVAL, 0, 0, "a condition names no column");
    uint8_t *keep = ess_malloc(l->nrows ? l->nrows : 1);
    if (keep == NULL)
        return ess_error_set(err, ESS_ENOMEM, 0, 0, "out of memory");
    memset(keep, 1, l->nrows);
    for (size_t k = 0; k < nconds; k++) {
        const ess_condition *c = &conds[k];
        const ess_column *col = &l->columns[c->column];
        for (size_t i = 0; i < l->nrows; i++) {
            if (!keep[i])
                continue;
            switch (col->kind) {
            case ESS_COL_LABEL: {
                int32_t code = ((const int32_t *)col->data)[i];
                keep[i] = code < 0 ? (uint8_t)c->keep_missing
                                   : (uint8_t)((size_t)code < c->ncodes && c->codes[code]);
                break;
            }
            case ESS_COL_DATE: {
                int32_t v = ((const int32_t *)col->data)[i];
                keep[i] = v == ESS_DATE_MISSING ? (uint8_t)c->keep_missing
                                                : (uint8_t)(v >= c->lo && v <= c->hi);
                break;
            }
            default: {
                int64_t v = ((const int64_t *)col->data)[i];
                keep[i] = (col->kind == ESS_COL_INT && v == ESS_INT_MISSING)
                              ? (uint8_t)c->keep_missing
                              : (uint8_t)(v >= c->lo && v <= c->hi);
            }
            }
        }
    }
    size_t n = 0;
    for (size_t i = 0; i < l->nrows; i++)
        n += keep[i];
    ess_ledger *f = ess_ledger_new();
    if (f == NULL)
        goto nomem;
    for (size_t c = 0; c < l->ncolumns; c++)
        if (ess_ledger_add_column(f, l->columns[c].name, l->columns[c].kind) < 0 ||
            (l->columns[c].kind == ESS_COL_LABEL &&
             ess_dict_copy(&f->columns[c].dict, &l->columns[c].dict)))
            goto nomem;
    if (ess_ledger_reserve(f, n ? n : 1))
        goto nomem;
    for (size_t c = 0; c < l->ncolumns; c++) {
        size_t w = ess_column_width(l->columns[c].kind), o = 0;
        const char *src = l->columns[c].data;
        char *dst = f->columns[c].data;
        for (size_t i = 0; i < l->nrows; i++)
            if (keep[i])
                memcpy(dst + w * o++, src + w * i, w);
    }
    f->nrows = n;
    ess_free(keep);
    *out = f;
    return ESS_OK;
nomem:
    ess_free(keep);
    ess_ledger_free(f);
    return ess_error_set(err, ESS_ENOMEM, 0, 0, "out of memory filtering the ledger");
}

int ess_ledger_extend(ess_ledger *l, const ess_ledger *other, ess_error *err)
{
    if (l->exports > 0)
        return ess_error_set(err, ESS_EINVAL, 0, 0,
                             "the ledger is exported (a buffer or an Arrow array is alive): it "
                             "cannot change until that export is released");
    if (l->ncolumns != other->ncolumns)
        return ess_error_set(err, ESS_EINVAL, 0, 0, "the ledgers have different columns");
    int *map = ess_calloc(l->ncolumns + 1, sizeof(int));
    if (map == NULL)
        return ess_error_set(err, ESS_ENOMEM, 0, 0, "out of memory");
    for (size_t c = 0; c < l->ncolumns; c++) {
        map[c] = ess_ledger_find_column(other, l->columns[c].name);
        if (map[c] < 0 || other->columns[map[c]].kind != l->columns[c].kind) {
            ess_free(map);
            return ess_error_set(err, ESS_EINVAL, 0, 0,
                                 "the column '%.60s' is not in the other ledger with the same kind",
                                 l->columns[c].name);
        }
    }
    if (other->nrows > SIZE_MAX - l->nrows || ess_ledger_reserve(l, l->nrows + other->nrows)) {
        ess_free(map);
        return ess_error_set(err, ESS_ENOMEM, 0, 0, "out of memory");
    }
    for (size_t c = 0; c < l->ncolumns; c++) {
        const ess_column *src = &other->columns[map[c]];
        ess_column *dst = &l->columns[c];
        size_t w = ess_column_width(dst->kind);
        if (dst->kind != ESS_COL_LABEL) {
            memcpy((char *)dst->data + w * l->nrows, src->data, w * other->nrows);
            continue;
        }
        /* re-code the other's labels into ours */
        int32_t *recode = ess_malloc((src->dict.count + 1) * sizeof *recode);
        if (recode == NULL) {
            ess_free(map);
            return ess_error_set(err, ESS_ENOMEM, 0, 0, "out of memory");
        }
        for (size_t k = 0; k < src->dict.count; k++)
            if ((recode[k] = ess_dict_intern(&dst->dict, src->dict.arena + src->dict.offsets[k],
                                             src->dict.lengths[k])) < 0) {
                ess_free(recode);
                ess_free(map);
                return ess_error_set(err, ESS_ENOMEM, 0, 0, "out of memory");
            }
        const int32_t *s = src->data;
        int32_t *d = (int32_t *)dst->data + l->nrows;
        for (size_t i = 0; i < other->nrows; i++)
            d[i] = s[i] < 0 ? -1 : recode[s[i]];
        ess_free(recode);
    }
    l->nrows += other->nrows;
    l->blank_rows += other->blank_rows;
    ess_free(map);
    return ESS_OK;
}
