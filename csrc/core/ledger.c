/*
 * ledger.c -- columnar financing records: the columns, the one builder that writes a row's
 * values from their text, totals, filter and extend.
 *
 * Layer: tables (calls the base: dict.c, date.c, money.c, text.c, error.c).  The CSV reader
 * (ledger_read.c) writes every row through the cell writers of ledger_put.h; columns of values (the
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

static int ess_ledger_reindex_names(ess_ledger *l)
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
        /* no huge-page advice here: with defrag=madvise a fault may compact memory first.  In a
         * fresh process, on a quiet machine, the 1e7-row benchmark and French files read in
         * 0.86-0.88x the time with it; inside bench_peers (peers' memory held and freed in the
         * same process), in 1.19-1.22x, 2026-11-29.  A notebook has loaded other tables too.
         * Advising only when /proc/buddyinfo showed twice the bytes free in 2 MB blocks (no
         * compaction wanted) still cost the first read of a fresh process 250-400 ms more in
         * the kernel (1e7 rows; later reads 60-90 ms less), 2026-11-29. */
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

int ess_ledger_ensure_rows(ess_ledger *l, size_t n)
{
    if (n <= l->cap - l->nrows)
        return ESS_OK;
    if (n > SIZE_MAX - l->nrows)
        return ESS_ENOMEM;
    size_t want = l->cap < 1024 ? 1024 : l->cap + l->cap / 2;   /* as ess_ledger_ensure_row */
    return ess_ledger_reserve(l, want > l->nrows + n ? want : l->nrows + n);
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

/* A label is text: a CSV file holding a NUL is refused whole (no text file), and C reads a text
 * up to its NUL, so a label holding one given as Python or Arrow columns was cut there wherever
 * C read it (a party's code, a pivot's line).  The same text is refused whatever brings it. */
int ess_label_refuse_nul(ess_error *err, const char *column, long column_no, const char *text,
                         size_t len, long row)
{
    const char *nul = len ? memchr(text, 0, len) : NULL;
    if (nul == NULL)
        return ESS_OK;
    size_t at = 1;   /* the NUL's character: the UTF-8 lead bytes before it, plus one */
    for (const char *p = text; p < nul; p++)
        at += ((unsigned char)*p & 0xC0) != 0x80;
    /* the text as said: whole characters, each NUL as \x00, "..." when cut; what must stay
     * true: k + 4 (the widest piece) + 3 ("...") + 1 never passes the 64 bytes of shown */
    char shown[sizeof err->row.value];
    size_t k = 0, i = 0;
    while (i < len) {
        unsigned char b = (unsigned char)text[i];
        size_t n = b == 0 ? 4 : b < 0x80 ? 1 : b >= 0xF0 ? 4 : b >= 0xE0 ? 3 : 2;
        if (k + n + 4 > sizeof shown || (b != 0 && i + n > len))
            break;
        if (b == 0)
            memcpy(shown + k, "\\x00", 4);
        else
            memcpy(shown + k, text + i, n);
        k += n;
        i += b == 0 ? 1 : n;
    }
    if (i < len) {
        memcpy(shown + k, "...", 3);
        k += 3;
    }
    shown[k] = '\0';
    int rc = ess_error_set(err, ESS_EFORMAT, row, column_no,
                           "column '%.60s', row %ld: the label '%s' holds a NUL character at "
                           "character %zu: no label is written so (a text file holding one is "
                           "no text file); take it out of the text", column, row, shown, at);
    if (err != NULL) {
        err->row.kind = ESS_BAD_NUL_CELL;
        snprintf(err->row.field, sizeof err->row.field, "%s", column);
        memcpy(err->row.value, shown, k + 1);
        err->row.expected = (long)at;
    }
    return rc;
}

int32_t ess_ledger_stage_label(ess_ledger *l, size_t column, const char *text, size_t len)
{
    assert(column < l->ncolumns && l->columns[column].kind == ESS_COL_LABEL);
    return ess_dict_intern(&l->columns[column].dict, text, len);
}

int32_t ess_ledger_stage_text(ess_ledger *l, size_t column, const char *text, size_t len)
{
    /* the CSV reader's own trim (text.c), so every source reads the same characters as space;
     * the common label, a letter or a digit at both ends, costs two byte tests and no call */
    if (len == 0 || (unsigned char)text[0] <= ' ' || (unsigned char)text[0] >= 0x80 ||
        (unsigned char)text[len - 1] <= ' ' || (unsigned char)text[len - 1] >= 0x80)
        ess_text_trim(&text, &len);
    if (len == 0)
        return -1;   /* blank: missing, as a blank CSV cell */
    assert(column < l->ncolumns && l->columns[column].kind == ESS_COL_LABEL);
    int32_t code = ess_dict_intern(&l->columns[column].dict, text, len);
    return code < 0 ? -2 : code;
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

/* A date column keeps days of the years 1 to 9999 (date.c's invariant, the days every reader
 * and Python's datetime.date hold); an Arrow date32 or a buffer handed to from_arrays holds any
 * int32, +-5.8 million years.  Refused here, where every bulk import commits its rows, naming
 * the column and the row (from 1), so that no year 0 or 10000 reaches a group, an export or
 * to_pandas.  Checked as the codes below are: one unsigned compare, no early exit. */
static int check_staged_dates(const ess_ledger *l, const ess_column *col, size_t nrows,
                              ess_error *err)
{
    const ess_date first_date = {1, 1, 1}, last_date = {9999, 12, 31};
    const uint32_t first = (uint32_t)ess_days_from_date(first_date);
    const uint32_t span = (uint32_t)ess_days_from_date(last_date) - first;
    const int32_t *days = (const int32_t *)col->data + l->nrows;
    uint32_t bad = 0;
    for (size_t i = 0; i < nrows; i++)
        bad |= ((uint32_t)days[i] - first > span) & (days[i] != ESS_DATE_MISSING);
    for (size_t i = 0; bad && i < nrows; i++)
        if ((uint32_t)days[i] - first > span && days[i] != ESS_DATE_MISSING) {
            ess_error_set(err, ESS_EINVAL, 0, 0,
                          "the date column '%.60s', row %zu, holds the day %d from "
                          "1970-01-01, which is no date of the years 1 to 9999 (a "
                          "date32 out of range?)",
                          col->name, l->nrows + i + 1, (int)days[i]);
            if (err) {
                err->detail = ESS_DATE_OUT_OF_RANGE;
                err->detail_n = (long)(l->nrows + i + 1);
            }
            return ESS_EINVAL;
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
        if (col->kind == ESS_COL_DATE) {
            int rc = check_staged_dates(l, col, nrows, err);
            if (rc)
                return rc;
            continue;
        }
        if (col->kind != ESS_COL_LABEL)
            continue;
        const int32_t *codes = (const int32_t *)col->data + l->nrows;
        /* -1 (missing) .. count - 1, as one unsigned compare of code + 1, with no early exit
         * and in blocks of a known length so that -O2 vectorises it (extend, from_columns and
         * the Arrow import check every code here); a bad code's place is looked for after */
        uint32_t past = (uint32_t)col->dict.count, bad = 0;
        size_t i = 0;
        for (; i + 16 <= nrows; i += 16)
            for (size_t k = 0; k < 16; k++)
                bad |= (uint32_t)codes[i + k] + 1u > past;
        for (; i < nrows; i++)
            bad |= (uint32_t)codes[i] + 1u > past;
        for (i = 0; bad && i < nrows; i++)
            if ((uint32_t)codes[i] + 1u > past)
                return ess_error_set(err, ESS_EINVAL, 0, 0,
                                     "row %zu of '%.60s' has code %d outside its dictionary",
                                     l->nrows + i, col->name, (int)codes[i]);
    }
    l->nrows += nrows;
    l->staged_rows = l->staged_columns = 0;
    return ESS_OK;
}

void ess_ledger_set_blank_rows(ess_ledger *l, size_t blank_rows) { l->blank_rows = blank_rows; }

void ess_ledger_commit_row(ess_ledger *l)
{
    assert(l->nrows < l->cap);   /* the writers wrote every column of this row */
    l->nrows++;
}

void ess_ledger_count_blank(ess_ledger *l, size_t n) { l->blank_rows += n; }

/* The reader found rows that were totals of the others (ledger_read.c): they go, in one pass
 * over each column; their labels stay in the dictionaries (a dictionary may hold labels no row
 * holds, as a filter's).  rows: ascending, distinct, each < nrows. */
void ess_ledger_drop_rows(ess_ledger *l, const size_t *rows, size_t count)
{
    assert(l->exports == 0 && l->staged_rows == 0);
    if (count == 0)
        return;
    for (size_t c = 0; c < l->ncolumns; c++) {
        ess_column *col = &l->columns[c];
        size_t width = col->kind == ESS_COL_LABEL || col->kind == ESS_COL_DATE ? 4 : 8;
        char *data = col->data;
        size_t to = rows[0], k = 0;
        for (size_t from = rows[0]; from < l->nrows; from++) {
            if (k < count && rows[k] == from) {
                k++;
                continue;
            }
            memmove(data + to * width, data + from * width, width);
            to++;
        }
    }
    l->nrows -= count;
}

void ess_ledger_set_encoding(ess_ledger *l, ess_encoding enc) { l->encoding = enc; }

/* The reader's last column goes once read (its column of what the fields not kept say of a
 * total, ledger_read.c): never one the caller asked for, never the amount. */
int ess_ledger_drop_last_column(ess_ledger *l)
{
    assert(l->exports == 0 && l->staged_rows == 0 && l->ncolumns > 0 &&
           l->amount != (int)l->ncolumns - 1);
    ess_column *col = &l->columns[--l->ncolumns];
    ess_free(col->name);
    ess_free(col->data);
    ess_dict_clear(&col->dict);
    memset(col, 0, sizeof *col);
    return ess_ledger_reindex_names(l);   /* its name forgotten */
}

/* The reader's chunk ledgers are read into again: rows and labels forgotten, every column's
 * memory and capacity kept (a freed one went back to the system, and its next chunk faulted its
 * pages in again). */
void ess_ledger_forget_rows(ess_ledger *l)
{
    assert(l->exports == 0 && l->staged_rows == 0);
    for (size_t c = 0; c < l->ncolumns; c++)
        ess_dict_forget(&l->columns[c].dict);
    l->nrows = 0;
    l->blank_rows = 0;
}

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
    int64_t s = 0, carry = 0;
    if (l->amount < 0) {
        *out = 0;
        return ESS_OK;
    }
    const int64_t *a = l->columns[l->amount].data;
    for (size_t i = 0; i < l->nrows; i++)
        ess_add_counting_wraps(&s, a[i], &carry);
    if (carry != 0) {
        *out = carry < 0 ? ESS_BELOW_INT64 : ESS_ABOVE_INT64;
        return ESS_EOVERFLOW;
    }
    *out = s;
    return ESS_OK;
}

/* ------------------------------------------------------------------ filter, extend */

/* The filter reads the rows in blocks.  In each block the conditions narrow one selection
 * (the 16-bit offsets of the rows that pass so far): the first condition reads every row of the
 * block, each later one only the rows still selected.  The selections of all blocks are kept
 * (two bytes a kept row), so the result's columns are allocated once at their size and the kept
 * rows then copied column by column straight from them: grown as they filled, the columns were
 * copied and their fresh pages faulted several times over (a third of a 5-in-100 filter).  A label condition is a table indexed by code + 1 (slot 0:
 * missing), built once from the condition's mask over the dictionary, so a row costs one load
 * and no branch: a 1e7-row label filter is one pass over int32 codes.
 *
 * Copying the kept rows of every column is most of a filter's time (a 5-in-100 filter of 1e7
 * rows x 6 columns: 80 %, as the kept rows are scattered over nearly every cache line of every
 * column), and filter(...).total() needs none of it: ess_ledger_filter_sum counts the kept rows
 * and sums their amounts in the pass over the codes, and the binding's caller copies the rows
 * only when asked for them, by ess_ledger_filter_upto over the rows and labels the ledger held
 * when it counted them (rows are only appended, labels never taken back: the same copy). */
enum { FILTER_BLOCK = 4096 };
_Static_assert(FILTER_BLOCK < 65536, "an offset in a filter block fits uint16_t");
/* The kept rows are scattered (a few territories out of a hundred: one row in twenty), a
 * stride the hardware prefetcher does not follow: each is asked for this many rows ahead, which
 * made a 5-in-100 filter of 1e7 rows about 2x faster on this project's machine. */
enum { FILTER_PREFETCH = 16 };

/* What a condition keeps, ready for the row loops: kind-specific, never switched on per row. */
typedef struct filter_test {
    const ess_column *col;
    uint8_t *keep_by_code;   /* LABEL: [code + 1], [0] for missing (owned) */
    int keep_missing;        /* INT, DATE: what a missing value gives */
    int empty;               /* lo > hi: no value is in the range */
    uint64_t lo, span;       /* in range: (uint64)v - lo <= span (unsigned, so no overflow) */
} filter_test;

static int in_range(const filter_test *t, int64_t v)
{
    return !t->empty && (uint64_t)v - t->lo <= t->span;
}

/* Narrows the selection by KEEPS(i), a branch-free 0/1 test of row begin + i: over the whole
 * block the first time (all: sel not yet written), else over the rows sel still holds.  Two
 * loops, so that the row loop itself tests nothing but the condition. */
#define FILTER_NARROW(KEEPS)                                                                       \
    do {                                                                                           \
        if (all)                                                                                   \
            for (uint16_t i = 0; i < (uint16_t)n; i++) {                                           \
                sel[kept] = i;                                                                     \
                kept += (KEEPS);                                                                   \
            }                                                                                      \
        else                                                                                       \
            for (size_t j = 0; j < n; j++) {                                                       \
                uint16_t i = sel[j];                                                               \
                sel[kept] = i;                                                                     \
                kept += (KEEPS);                                                                   \
            }                                                                                      \
    } while (0)

/* Narrows sel[0..n) (all of begin..begin+n when all is set) to the rows t keeps; returns how
 * many are left.  Offsets are relative to begin. */
static size_t filter_narrow(const filter_test *t, size_t begin, uint16_t *sel, size_t n, int all)
{
    size_t kept = 0;
    switch (t->col->kind) {
    case ESS_COL_LABEL: {
        const int32_t *codes = (const int32_t *)t->col->data + begin;
        const uint8_t *keep = t->keep_by_code;
        FILTER_NARROW(keep[(size_t)((int64_t)codes[i] + 1)]);
        break;
    }
    case ESS_COL_DATE: {
        const int32_t *days = (const int32_t *)t->col->data + begin;
        FILTER_NARROW(days[i] == ESS_DATE_MISSING ? t->keep_missing : in_range(t, days[i]));
        break;
    }
    case ESS_COL_INT: {
        const int64_t *v = (const int64_t *)t->col->data + begin;
        FILTER_NARROW(v[i] == ESS_INT_MISSING ? t->keep_missing : in_range(t, v[i]));
        break;
    }
    default: {   /* AMOUNT: never missing (INT64_MIN cents is an amount) */
        const int64_t *v = (const int64_t *)t->col->data + begin;
        FILTER_NARROW(in_range(t, v[i]));
    }
    }
    return kept;
}
#undef FILTER_NARROW

/* Does the UTF-8 text hold needle?  (Whole characters match whole characters: a UTF-8
 * sequence never starts inside another.) */
static int holds_text(const char *text, size_t len, const char *needle, size_t nlen)
{
    if (nlen == 0)
        return 1;
    for (const char *at = text, *end = text + len; (size_t)(end - at) >= nlen; at++) {
        at = memchr(at, needle[0], (size_t)(end - at) - nlen + 1);
        if (at == NULL)
            return 0;
        if (memcmp(at, needle, nlen) == 0)
            return 1;
    }
    return 0;
}

int ess_ledger_label_mask(const ess_ledger *l, int column, size_t from, size_t to, int test,
                          const char *text, size_t len, uint8_t *mask, ess_error *err)
{
    if (column < 0 || (size_t)column >= l->ncolumns || l->columns[column].kind != ESS_COL_LABEL)
        return ess_error_set(err, ESS_EINVAL, 0, 0, "column %d holds no labels", column);
    const ess_dict *d = &l->columns[column].dict;
    if (from > to || to > d->count)
        return ess_error_set(err, ESS_EINVAL, 0, 0, "codes %zu..%zu are not in the dictionary "
                             "(%zu labels)", from, to, d->count);
    for (size_t code = from; code < to; code++) {
        const char *label = ess_dict_string(d, (int32_t)code);
        size_t n = d->lengths[code];
        mask[code - from] = (uint8_t)(test == ESS_LABEL_CONTAINS ? holds_text(label, n, text, len)
                                      : test == ESS_LABEL_STARTSWITH
                                          ? n >= len && memcmp(label, text, len) == 0
                                          : n == len && memcmp(label, text, len) == 0);
    }
    return ESS_OK;
}

/* The tests of the conditions, ready for the row loops (tests[k].keep_by_code owned): NULL when
 * memory runs out. */
static filter_test *filter_tests_new(const ess_ledger *l, const ess_condition *conds, size_t nconds)
{
    filter_test *tests = ess_calloc(nconds + 1, sizeof *tests);
    if (tests == NULL)
        return NULL;
    for (size_t k = 0; k < nconds; k++) {
        const ess_condition *c = &conds[k];
        filter_test *t = &tests[k];
        t->col = &l->columns[c->column];
        t->keep_missing = c->keep_missing != 0;
        t->empty = c->lo > c->hi;
        t->lo = (uint64_t)c->lo;
        t->span = (uint64_t)c->hi - (uint64_t)c->lo;
        if (t->col->kind != ESS_COL_LABEL)
            continue;
        size_t count = t->col->dict.count;
        if ((t->keep_by_code = ess_calloc(count + 1, 1)) == NULL) {
            while (k-- > 0)
                ess_free(tests[k].keep_by_code);
            ess_free(tests);
            return NULL;
        }
        t->keep_by_code[0] = (uint8_t)t->keep_missing;
        /* a code past the mask (a label the mask was not made for) is not kept */
        for (size_t code = 0; code < count && code < c->ncodes; code++)
            t->keep_by_code[code + 1] = c->codes[code] != 0;
    }
    return tests;
}

static void filter_tests_free(filter_test *tests, size_t nconds)
{
    for (size_t k = 0; tests && k < nconds; k++)
        ess_free(tests[k].keep_by_code);
    ess_free(tests);
}

/* Selects the rows of block b (of nrows) that pass every test, as offsets into sel; returns how
 * many (nconds > 0). */
static size_t filter_block(const filter_test *tests, size_t nconds, size_t b, size_t nrows,
                           uint16_t *sel)
{
    size_t begin = b * FILTER_BLOCK;
    size_t n = nrows - begin < FILTER_BLOCK ? nrows - begin : FILTER_BLOCK;
    int all = 1;   /* no condition yet: every row of the block, its selection not written */
    for (size_t k = 0; k < nconds && n; k++, all = 0)
        n = filter_narrow(&tests[k], begin, sel, n, all);
    return n;
}

static int check_conditions(const ess_ledger *l, const ess_condition *conds, size_t nconds,
                            ess_error *err)
{
    for (size_t k = 0; k < nconds; k++)
        if (conds[k].column < 0 || (size_t)conds[k].column >= l->ncolumns)
            return ess_error_set(err, ESS_EINVAL, 0, 0, "a condition names no column");
    return ESS_OK;
}

/* A total past int64 cents, said so with its kind (ESS_OVERFLOW_TOTAL) and its side for a host
 * to word. */
static int total_overflow(ess_error *err, int64_t side)
{
    const int said = side < 0 ? ESS_BELOW_INT64 : ESS_ABOVE_INT64;
    int rc = ess_error_set(err, ESS_EOVERFLOW, 0, 0, "the total does not fit int64 cents%s",
                           ess_int64_limit_said(said));
    if (err != NULL) {
        err->detail = ESS_OVERFLOW_TOTAL;
        err->detail_n = said;
    }
    return rc;
}

int ess_ledger_filter_sum(const ess_ledger *l, const ess_condition *conds, size_t nconds,
                          size_t *count, int64_t *total, ess_error *err)
{
    *count = 0;
    *total = 0;
    ESS_RETURN_NOT_OK(check_conditions(l, conds, nconds, err));
    if (l->amount < 0)
        return ess_error_set(err, ESS_EINVAL, 0, 0, "the ledger has no amount column");
    if (nconds == 0) {
        *count = l->nrows;
        return ess_ledger_total(l, total) ? total_overflow(err, *total) : ESS_OK;
    }
    uint16_t *sel = ess_malloc(FILTER_BLOCK * sizeof *sel);
    filter_test *tests = filter_tests_new(l, conds, nconds);
    if (sel == NULL || tests == NULL) {
        ess_free(sel);
        filter_tests_free(tests, nconds);
        return ess_error_set(err, ESS_ENOMEM, 0, 0, "out of memory filtering the ledger");
    }
    const int64_t *cents = l->columns[l->amount].data;
    int64_t sum = 0, carry = 0;
    for (size_t b = 0; b * FILTER_BLOCK < l->nrows; b++) {
        size_t n = filter_block(tests, nconds, b, l->nrows, sel);
        const int64_t *block = cents + b * FILTER_BLOCK;
        for (size_t j = 0; j < n; j++)
            ess_add_counting_wraps(&sum, block[sel[j]], &carry);
        *count += n;
    }
    ess_free(sel);
    filter_tests_free(tests, nconds);
    if (carry != 0) {
        *total = 0;
        return total_overflow(err, carry);
    }
    *total = sum;
    return ESS_OK;
}

/* The result's dictionary of column c: the source's, or its first upto labels (the codes of
 * rows before the scope's end are below it: labels added since are not the result's). */
static int filter_copy_dict(ess_dict *dst, const ess_dict *src, size_t upto)
{
    if (upto >= src->count)
        return ess_dict_copy(dst, src);
    for (size_t code = 0; code < upto; code++)
        if (ess_dict_intern(dst, ess_dict_string(src, (int32_t)code), src->lengths[code]) !=
            (int32_t)code)
            return ESS_ENOMEM;   /* the labels are distinct: only memory can fail here */
    return ESS_OK;
}

int ess_ledger_filter(const ess_ledger *l, const ess_condition *conds, size_t nconds,
                      ess_ledger **out, ess_error *err)
{
    return ess_ledger_filter_upto(l, conds, nconds, l->nrows, NULL, out, err);
}

int ess_ledger_filter_upto(const ess_ledger *l, const ess_condition *conds, size_t nconds,
                           size_t nrows, const size_t *dict_counts, ess_ledger **out,
                           ess_error *err)
{
    *out = NULL;
    ESS_RETURN_NOT_OK(check_conditions(l, conds, nconds, err));
    if (nrows > l->nrows)
        return ess_error_set(err, ESS_EINVAL, 0, 0, "the ledger has %zu rows, not %zu", l->nrows,
                             nrows);
    for (size_t c = 0; dict_counts && c < l->ncolumns; c++)
        if (dict_counts[c] > l->columns[c].dict.count)
            return ess_error_set(err, ESS_EINVAL, 0, 0, "the column %zu has %zu labels, not %zu",
                                 c, l->columns[c].dict.count, dict_counts[c]);
    int rc;
    ess_ledger *f = NULL;
    uint16_t *sel = NULL;        /* every block's selection, one after the other */
    size_t sel_cap = 0, kept = 0;
    size_t nblocks = (nrows + FILTER_BLOCK - 1) / FILTER_BLOCK;
    size_t *block_kept = ess_calloc(nblocks + 1, sizeof *block_kept);
    filter_test *tests = filter_tests_new(l, conds, nconds);
    if (tests == NULL || block_kept == NULL)
        goto nomem;
    for (size_t b = 0; b < nblocks && nconds > 0; b++) {
        if (kept + FILTER_BLOCK > sel_cap) {
            size_t cap = sel_cap + sel_cap / 2 + FILTER_BLOCK;
            uint16_t *grown = ess_realloc(sel, cap * sizeof *sel);
            if (grown == NULL)
                goto nomem;
            sel = grown;
            sel_cap = cap;
        }
        block_kept[b] = filter_block(tests, nconds, b, nrows, sel + kept);
        kept += block_kept[b];
    }
    if (nconds == 0)
        kept = nrows;
    if ((f = ess_ledger_new()) == NULL)
        goto nomem;
    for (size_t c = 0; c < l->ncolumns; c++)
        if (ess_ledger_add_column(f, l->columns[c].name, l->columns[c].kind) < 0 ||
            (l->columns[c].kind == ESS_COL_LABEL &&
             filter_copy_dict(&f->columns[c].dict, &l->columns[c].dict,
                              dict_counts ? dict_counts[c] : SIZE_MAX)))
            goto nomem;
    for (size_t c = 0; c < l->ncolumns; c++)   /* the rows kept were read in that order */
        f->columns[c].date_order = l->columns[c].date_order;
    if (ess_ledger_reserve(f, kept ? kept : 1))
        goto nomem;
    for (size_t c = 0; c < l->ncolumns; c++) {
        const ess_column *src = &l->columns[c];
        size_t w = ess_column_width(src->kind);
        char *dst = f->columns[c].data;
        ess_advise_huge_pages(dst, w * kept);
        if (nconds == 0) {   /* no condition: every row */
            memcpy(dst, src->data, w * kept);
            continue;
        }
        const uint16_t *block_sel = sel;
        for (size_t b = 0, o = 0; b < nblocks; block_sel += block_kept[b], o += block_kept[b], b++) {
            size_t n = block_kept[b];
            if (w == 4) {
                const int32_t *s = (const int32_t *)src->data + b * FILTER_BLOCK;
                int32_t *d = (int32_t *)dst + o;
                for (size_t j = 0; j < n; j++) {
                    if (j + FILTER_PREFETCH < n)
                        __builtin_prefetch(&s[block_sel[j + FILTER_PREFETCH]]);
                    d[j] = s[block_sel[j]];
                }
            } else {
                const int64_t *s = (const int64_t *)src->data + b * FILTER_BLOCK;
                int64_t *d = (int64_t *)dst + o;
                for (size_t j = 0; j < n; j++) {
                    if (j + FILTER_PREFETCH < n)
                        __builtin_prefetch(&s[block_sel[j + FILTER_PREFETCH]]);
                    d[j] = s[block_sel[j]];
                }
            }
        }
    }
    f->nrows = kept;
    /* a scope that names fewer labels than its rows use (it comes from the host, which may be
     * wrong) is refused: never a code past the result's dictionary */
    for (size_t c = 0; dict_counts && c < l->ncolumns; c++) {
        if (l->columns[c].kind != ESS_COL_LABEL || dict_counts[c] >= l->columns[c].dict.count)
            continue;
        const int32_t *codes = f->columns[c].data;
        for (size_t i = 0; i < kept; i++)
            if (codes[i] >= (int32_t)dict_counts[c]) {
                rc = ess_error_set(err, ESS_EINVAL, 0, 0, "the scope names %zu labels of the "
                                   "column %zu: its rows use more", dict_counts[c], c);
                goto fail;
            }
    }
    *out = f;
    f = NULL;   /* the caller's now */
    rc = ESS_OK;
    goto done;
nomem:
    rc = ess_error_set(err, ESS_ENOMEM, 0, 0, "out of memory filtering the ledger");
fail:
done:
    filter_tests_free(tests, nconds);
    ess_free(sel);
    ess_free(block_kept);
    ess_ledger_free(f);
    return rc;
}

/* Through the builder, as every other source: each column of other is staged past our rows
 * (labels re-coded into our dictionaries), then one commit checks and shows them.  A failure
 * leaves the rows as they were (labels interned on the way stay, unused: codes are never
 * taken back). */
int ess_ledger_extend(ess_ledger *l, const ess_ledger *other, ess_error *err)
{
    ess_error local;   /* the status, when the caller wants no error */
    ess_error *e = err ? err : &local;
    assert(l != other);   /* staging may move the columns other would be read from */
    if (l->exports > 0)
        return ess_error_set(e, ESS_EINVAL, 0, 0,
                             "the ledger is exported (a buffer or an Arrow array is alive): it "
                             "cannot change until that export is released");
    if (l->ncolumns != other->ncolumns)
        return ess_error_set(e, ESS_EINVAL, 0, 0, "the ledgers have different columns");
    int rc = ESS_OK;
    int32_t *recode = NULL;
    int *map = ess_calloc(l->ncolumns + 1, sizeof(int));
    if (map == NULL) {
        rc = ess_error_set(e, ESS_ENOMEM, 0, 0, "out of memory");
        goto done;
    }
    for (size_t c = 0; c < l->ncolumns; c++) {
        map[c] = ess_ledger_find_column(other, l->columns[c].name);
        if (map[c] < 0 || other->columns[map[c]].kind != l->columns[c].kind) {
            rc = ess_error_set(e, ESS_EINVAL, 0, 0,
                               "the column '%.60s' is not in the other ledger with the same kind",
                               l->columns[c].name);
            goto done;
        }
    }
    for (size_t c = 0; c < l->ncolumns; c++) {
        const ess_column *src = &other->columns[map[c]];
        void *room = ess_ledger_stage_room(l, c, other->nrows, e);
        if (room == NULL) {
            rc = e->status;
            goto done;
        }
        if (src->kind != ESS_COL_LABEL) {
            memcpy(room, src->data, ess_column_width(src->kind) * other->nrows);
            continue;
        }
        recode = ess_malloc((src->dict.count + 1) * sizeof *recode);
        if (recode == NULL) {
            rc = ess_error_set(e, ESS_ENOMEM, 0, 0, "out of memory");
            goto done;
        }
        /* once per distinct label in other's first-sight order, not once per row (the
         * chunked reader's merge of a file of a million names) */
        if (ess_dict_merge(&l->columns[c].dict, &src->dict, recode)) {
            rc = ess_error_set(e, ESS_ENOMEM, 0, 0, "out of memory");
            goto done;
        }
        const int32_t *codes = src->data;
        int32_t *staged = room;
        for (size_t i = 0; i < other->nrows; i++)
            staged[i] = codes[i] < 0 ? -1 : recode[codes[i]];
        ess_free(recode);
        recode = NULL;
    }
    size_t had_rows = l->nrows;
    rc = ess_ledger_commit_rows(l, other->nrows, e);
    if (rc == ESS_OK)
        l->blank_rows += other->blank_rows;
    /* a date column's order holds for all its rows only when both were read in it: rows of
     * another order, or of none decided, leave it undecided (a filter's 04/03/2017 refused) */
    for (size_t c = 0; rc == ESS_OK && c < l->ncolumns; c++) {
        char theirs = other->columns[map[c]].date_order;
        if (had_rows == 0)
            l->columns[c].date_order = theirs;
        else if (other->nrows > 0 && theirs != l->columns[c].date_order)
            l->columns[c].date_order = 0;
    }
done:
    if (rc != ESS_OK)
        l->staged_rows = l->staged_columns = 0;   /* nothing staged outlives a failed extend */
    ess_free(recode);
    ess_free(map);
    return rc;
}

int ess_ledger_set_date_order(ess_ledger *l, size_t column, int order)
{
    if (column >= l->ncolumns || (order != 0 && (l->columns[column].kind != ESS_COL_DATE ||
                                                 (order != ESS_DATES_DMY &&
                                                  order != ESS_DATES_MDY))))
        return ESS_EINVAL;
    l->columns[column].date_order = (char)order;
    return ESS_OK;
}

/* A buffer of the binding points into a column: the ledger refuses to grow until it ends. */
void ess_ledger_export_begin(ess_ledger *l) { l->exports++; }

void ess_ledger_export_end(ess_ledger *l)
{
    assert(l->exports > 0);
    l->exports--;
}

int ess_ledger_rename_column(ess_ledger *l, size_t column, const char *name, ess_error *err)
{
    if (column >= l->ncolumns)
        return ess_error_set(err, ESS_EINVAL, 0, 0, "no column %zu in the ledger", column);
    int other = ess_ledger_find_column(l, name);
    if (other >= 0 && (size_t)other != column)
        return ess_error_set(err, ESS_EINVAL, 0, 0, "the ledger already has a column %.60s",
                             name);
    char *copy = ess_strndup(name, strlen(name));
    if (copy == NULL)
        return ess_error_set(err, ESS_ENOMEM, 0, 0, "out of memory renaming a column");
    ess_free(l->columns[column].name);
    l->columns[column].name = copy;
    if (ess_ledger_reindex_names(l))
        return ess_error_set(err, ESS_ENOMEM, 0, 0, "out of memory renaming a column");
    return ESS_OK;
}
