/*
 * rank.c -- analyses of an aggregate read as a report: its groups ordered by a column, the
 * first n kept with the rest as one "others" line, each line's share of the total (its exact
 * quota rounded on its own), running sums and a total line.
 *
 * Layer: analyses (on ledger.c and the base; on group.c for the measure table and the one rule
 * that merges two groups' states).  Nothing in the core calls it.
 * Workload: one row per group of a group-by (a handful of funders to a million beneficiaries):
 * an order is O(g log g), a report O(g).
 *
 * Invariants:
 *   - an order is stable (ties keep the rows' given order) and puts missing keys last in either
 *     direction; labels are in the order French readers expect: by their sort key (case and
 *     Latin accents folded, text.c), then byte by byte as UTF-8 (code point order);
 *   - every group of a report is in exactly one place: a shown line, the others line, or the
 *     rest not shown (top n without others); the total line merges every group, shown or not;
 *   - shares are integers of hundredths of a percent (ESS_SHARE_SCALE is 100.00 %), each its
 *     line's exact quota rounded half away from zero, whatever the other lines: equal sums,
 *     equal shares (their sum may miss ESS_SHARE_SCALE by rounding: the host's footnote says so);
 *   - every sum, running sum and share is checked (ESS_EOVERFLOW, never a wrap).
 */
#include "internal.h"

#include <assert.h>
#include <stdlib.h>
#include <string.h>

/* ------------------------------------------------------------------------------- orders */

static void swap_items(char *a, char *b, size_t size)
{
    char tmp[32];
    assert(size <= sizeof tmp);
    memcpy(tmp, a, size);
    memcpy(a, b, size);
    memcpy(b, tmp, size);
}

/* Puts the k first items under cmp (a total order: no two items equal) in base[0..k), in no
 * particular order: quickselect on a median of three, O(count) expected; past a depth budget
 * (an adversarial order) the rest is sorted, so never worse than O(count log count). */
static void select_first(void *base, size_t count, size_t size, size_t k,
                         int (*cmp)(const void *, const void *))
{
    char *v = base;
    size_t lo = 0, hi = count;   /* the boundary after item k - 1 lies inside [lo, hi) */
    int budget = 16;
    for (size_t c = count; c > 0; c >>= 1)
        budget += 2;
    while (k > lo && k < hi && hi - lo > 16 && budget-- > 0) {
        char *first = v + lo * size, *mid = v + (lo + (hi - lo) / 2) * size;
        char *pivot = v + (hi - 1) * size;
        if (cmp(mid, first) < 0)
            swap_items(mid, first, size);
        if (cmp(pivot, first) < 0)
            swap_items(pivot, first, size);
        if (cmp(mid, pivot) < 0)
            swap_items(mid, pivot, size);   /* the median of the three is the pivot, last */
        size_t store = lo;
        for (size_t i = lo; i < hi - 1; i++)
            if (cmp(v + i * size, pivot) < 0)
                swap_items(v + i * size, v + store++ * size, size);
        swap_items(v + store * size, pivot, size);   /* before store: smaller; after: larger */
        if (k <= store)
            hi = store;
        else
            lo = store + 1;
    }
    if (k > lo && k < hi)
        qsort(v + lo * size, hi - lo, size, cmp);
}

typedef struct rank_item {
    int64_t value;   /* the row's value, or its label's rank among the labels */
    size_t pos;      /* its place in the given order: the tie-break that makes the sort stable */
    size_t row;
    int missing;
} rank_item;

static int compare_present(const rank_item *a, const rank_item *b)
{
    if (a->missing != b->missing)   /* missing last, whatever the direction */
        return a->missing ? 1 : -1;
    return 0;
}

static int by_pos(const rank_item *a, const rank_item *b)
{
    return (a->pos > b->pos) - (a->pos < b->pos);
}

static int ascending(const void *pa, const void *pb)
{
    const rank_item *a = pa, *b = pb;
    int c = compare_present(a, b);
    if (c == 0 && !a->missing)
        c = (a->value > b->value) - (a->value < b->value);
    return c ? c : by_pos(a, b);
}

static int descending(const void *pa, const void *pb)
{
    const rank_item *a = pa, *b = pb;
    int c = compare_present(a, b);
    if (c == 0 && !a->missing)
        c = (a->value < b->value) - (a->value > b->value);
    return c ? c : by_pos(a, b);
}

/* A full order of many rows: a stable LSD radix sort on an order-preserving unsigned key, 8 bits
 * a pass, a pass skipped when every key has the same byte there (a year, a small sum); O(n)
 * where qsort's calls through a comparator cost O(n log n). */
typedef struct radix_item {
    uint64_t key;
    size_t row;
} radix_item;

static int radix_sort(radix_item *items, size_t n)
{
    radix_item *spare = ess_malloc((n ? n : 1) * sizeof *spare), *src = items, *dst = spare;
    if (spare == NULL)
        return ESS_ENOMEM;
    for (int shift = 0; shift < 64; shift += 8) {
        size_t start[257] = {0};
        for (size_t i = 0; i < n; i++)
            start[((src[i].key >> shift) & 0xff) + 1]++;
        if (n == 0 || start[((src[0].key >> shift) & 0xff) + 1] == n)
            continue;   /* one byte value for all: this pass would not move anything */
        for (int b = 0; b < 256; b++)
            start[b + 1] += start[b];
        for (size_t i = 0; i < n; i++)   /* in order: equal keys keep their order */
            dst[start[(src[i].key >> shift) & 0xff]++] = src[i];
        radix_item *t = src;
        src = dst;
        dst = t;
    }
    if (src != items)
        memcpy(items, src, n * sizeof *items);
    ess_free(spare);
    return ESS_OK;
}

/* The rows of items (given order in pos) fully ordered, missing last: by radix. */
static int radix_order(const rank_item *items, size_t nrows, int descending_order, size_t *rows)
{
    radix_item *present = ess_malloc((nrows ? nrows : 1) * sizeof *present);
    if (present == NULL)
        return ESS_ENOMEM;
    size_t n = 0;
    for (size_t k = 0; k < nrows; k++)
        if (!items[k].missing) {
            uint64_t key = (uint64_t)items[k].value ^ (UINT64_C(1) << 63);   /* signed order */
            present[n++] = (radix_item){descending_order ? ~key : key, items[k].row};
        }
    if (radix_sort(present, n) != ESS_OK) {
        ess_free(present);
        return ESS_ENOMEM;
    }
    size_t out = 0;
    for (size_t k = 0; k < n; k++)
        rows[out++] = present[k].row;
    for (size_t k = 0; k < nrows; k++)   /* then the missing ones, in their given order */
        if (items[k].missing)
            rows[out++] = items[k].row;
    ess_free(present);
    return ESS_OK;
}

typedef struct label_item {
    const char *key;            /* the French order's first level (ess_text_sort_key) */
    const char *text;           /* the label: its bytes settle what the key leaves equal */
    uint32_t key_len, len;
    int32_t code;
} label_item;

static int bytes_order(const char *a, size_t alen, const char *b, size_t blen)
{
    int c = memcmp(a, b, alen < blen ? alen : blen);
    return c ? c : (alen > blen) - (alen < blen);
}

static int label_order(const void *pa, const void *pb)
{
    const label_item *a = pa, *b = pb;
    int c = bytes_order(a->key, a->key_len, b->key, b->key_len);
    return c ? c : bytes_order(a->text, a->len, b->text, b->len);
}

/* rank[code] = the place of the label in the order French readers expect: by its sort key (case
 * and accents folded: "école" beside "Ecole", before "Zèbre"), labels with the same key in code
 * point order ("Ecole" before "école").  Labels are distinct, so no two tie. */
static int label_ranks(const ess_dict *d, int64_t **out)
{
    size_t n = d->count;
    label_item *items = ess_malloc((n ? n : 1) * sizeof *items);
    int64_t *rank = ess_malloc((n ? n : 1) * sizeof *rank);
    char *keys = ess_malloc(d->arena_len ? d->arena_len : 1);   /* a key is never longer */
    if (items == NULL || rank == NULL || keys == NULL) {
        ess_free(items);
        ess_free(rank);
        ess_free(keys);
        return ESS_ENOMEM;
    }
    size_t at = 0;
    for (size_t k = 0; k < n; k++) {
        const char *text = ess_dict_string(d, (int32_t)k);
        uint32_t key_len = (uint32_t)ess_text_sort_key(text, d->lengths[k], keys + at);
        items[k] = (label_item){keys + at, text, key_len, d->lengths[k], (int32_t)k};
        at += key_len;
    }
    qsort(items, n, sizeof *items, label_order);
    for (size_t k = 0; k < n; k++)
        rank[items[k].code] = (int64_t)k;
    ess_free(items);
    ess_free(keys);
    *out = rank;
    return ESS_OK;
}

int ess_rank_order(const ess_ledger *l, int column, int descending_order, size_t *rows,
                   size_t nrows, size_t first, ess_error *err)
{
    if (column < 0 || (size_t)column >= l->ncolumns)
        return ess_error_set(err, ESS_EINVAL, 0, 0, "no column %d to order by", column);
    const ess_column *col = &l->columns[column];
    int64_t *label_rank = NULL;
    rank_item *items = ess_malloc((nrows ? nrows : 1) * sizeof *items);
    if (items == NULL || (col->kind == ESS_COL_LABEL && label_ranks(&col->dict, &label_rank))) {
        ess_free(items);
        return ess_error_set(err, ESS_ENOMEM, 0, 0, "out of memory ordering %zu groups", nrows);
    }
    for (size_t k = 0; k < nrows; k++) {
        size_t r = rows[k];
        if (r >= l->nrows) {
            ess_free(items);
            ess_free(label_rank);
            return ess_error_set(err, ESS_EINVAL, 0, 0, "row %zu of %zu to order", r, l->nrows);
        }
        rank_item *it = &items[k];
        it->pos = k;
        it->row = r;
        if (col->kind == ESS_COL_LABEL || col->kind == ESS_COL_DATE) {
            int32_t v = ((const int32_t *)col->data)[r];
            it->missing = col->kind == ESS_COL_LABEL ? v < 0 : v == ESS_DATE_MISSING;
            it->value = it->missing ? 0 : col->kind == ESS_COL_LABEL ? label_rank[v] : v;
        } else {
            int64_t v = ((const int64_t *)col->data)[r];
            /* INT64_MIN is an int column's missing value, but a real amount in cents */
            it->missing = col->kind == ESS_COL_INT && v == ESS_INT_MISSING;
            it->value = v;
        }
    }
    int (*order)(const void *, const void *) = descending_order ? descending : ascending;
    int status = ESS_OK;
    if (first < nrows / 4) {   /* a top n of many groups: select them, then sort only them */
        select_first(items, nrows, sizeof *items, first, order);
        qsort(items, first, sizeof *items, order);
        for (size_t k = 0; k < first; k++)
            rows[k] = items[k].row;
    } else {
        status = radix_order(items, nrows, descending_order, rows);
    }
    ess_free(items);
    ess_free(label_rank);
    if (status != ESS_OK)
        return ess_error_set(err, status, 0, 0, "out of memory ordering %zu groups", nrows);
    return ESS_OK;
}

/* ------------------------------------------------------------------------------- shares */

/* m * ESS_SHARE_SCALE = *q * t + *r with 0 <= *r < t, for m < t <= 2^63, in uint64 alone:
 * Horner over the bits of the scale, the remainder kept below t, so that doubling it or adding
 * m stays below 2t <= 2^64. */
static void scale_divmod(uint64_t m, uint64_t t, uint64_t *q, uint64_t *r)
{
    uint64_t quotient = 0, rest = 0;
    for (int bit = 13; bit >= 0; bit--) {   /* ESS_SHARE_SCALE < 2^14 */
        quotient <<= 1;
        rest <<= 1;
        if (rest >= t) {
            rest -= t;
            quotient++;
        }
        if ((ESS_SHARE_SCALE >> bit) & 1) {
            rest += m;
            if (rest >= t) {
                rest -= t;
                quotient++;
            }
        }
    }
    *q = quotient;
    *r = rest;
}

static uint64_t magnitude(int64_t v) { return v < 0 ? (uint64_t)(-(v + 1)) + 1u : (uint64_t)v; }

int ess_rank_shares(const int64_t *amounts, size_t n, int64_t *shares, ess_error *err)
{
    if (n == 0)
        return ESS_OK;
    /* exact whatever the lines' order (wraps counted): a running total that passes int64
     * cents and comes back refused max, max, -max in one order and not in another; only the
     * total itself must fit */
    int64_t total = 0, carry = 0;
    for (size_t i = 0; i < n; i++)
        ess_add_counting_wraps(&total, amounts[i], &carry);
    if (carry != 0)
        return ess_error_set(err, ESS_EOVERFLOW, 0, 0, "the total of the shares does not "
                             "fit int64 cents");
    if (total == 0)
        return ess_error_set(err, ESS_EINVAL, 0, 0, "the lines add up to zero: a share of a "
                             "zero total is undefined");
    /* a_i / T = a'_i / t with t = |T| > 0 and a'_i = a_i times the total's sign */
    const uint64_t t = magnitude(total);
    for (size_t i = 0; i < n; i++) {
        const uint64_t m = magnitude(amounts[i]);
        const int negative = amounts[i] != 0 && ((amounts[i] < 0) != (total < 0));
        uint64_t q, r;
        scale_divmod(m % t, t, &q, &r);
        const uint64_t whole = m / t;   /* m * S / t = whole * S + q + r / t */
        /* half away from zero: up when r / t >= 1/2, r >= t - r (2r may pass uint64) */
        const uint64_t up = r >= t - r;
        if (whole > (uint64_t)(INT64_MAX - (int64_t)q - 1) / ESS_SHARE_SCALE) {
            return ess_error_set(err, ESS_EOVERFLOW, 0, 0, "line %zu's share does not fit: "
                                 "the lines nearly cancel out", i + 1);
        }
        int64_t units = (int64_t)(whole * ESS_SHARE_SCALE + q + up);
        if (units == 0 && m != 0)   /* 0.00 says nothing: a small part is one unit, not none */
            units = 1;
        int64_t share = negative ? -units : units;
        if (share == ESS_SHARE_SCALE && amounts[i] != total)   /* 100.00 says the whole alone */
            share += (total > 0) == (amounts[i] < total) ? -1 : 1;
        shares[i] = share;
    }
    return ESS_OK;
}

/* ------------------------------------------------------------------------------- reports */

/* Where a groups ledger keeps each measure: column index by ess_measures row (-1 if absent),
 * and the columns of the state every measure derives from. */
typedef struct measure_columns {
    int at[16];
    unsigned flags;                        /* ESS_AGG_MINMAX when min and max are there */
    const int64_t *sum, *count, *min, *max;   /* min, max NULL without ESS_AGG_MINMAX */
} measure_columns;

static const int64_t *measure_data(const ess_ledger *g, const measure_columns *mc,
                                   const char *name)
{
    for (size_t m = 0; m < ess_nmeasures; m++)
        if (!strcmp(ess_measures[m].name, name))
            return mc->at[m] < 0 ? NULL : (const int64_t *)g->columns[mc->at[m]].data;
    return NULL;
}

static int find_measures(const ess_ledger *g, size_t nkeys, measure_columns *mc, ess_error *err)
{
    assert(ess_nmeasures <= sizeof mc->at / sizeof mc->at[0]);
    for (size_t m = 0; m < ess_nmeasures; m++)
        mc->at[m] = -1;
    for (size_t c = nkeys; c < g->ncolumns; c++) {
        size_t m = 0;
        while (m < ess_nmeasures && strcmp(g->columns[c].name, ess_measures[m].name))
            m++;
        if (m == ess_nmeasures || g->columns[c].kind != ess_measures[m].kind)
            return ess_error_set(err, ESS_EINVAL, 0, 0, "column '%.60s' of the groups is no "
                                 "measure", g->columns[c].name);
        mc->at[m] = (int)c;
    }
    for (size_t m = 0; m < ess_nmeasures; m++)
        /* count always there; sum and mean unless a group's sum does not fit (see
         * ESS_AGG_KEEP_OVERFLOW): then a report only orders and picks the groups */
        if (mc->at[m] < 0 && ess_measures[m].needs == 0 && !ess_measures[m].of_sum)
            return ess_error_set(err, ESS_EINVAL, 0, 0, "the groups have no '%s' column",
                                 ess_measures[m].name);
    mc->sum = measure_data(g, mc, "sum");
    mc->count = measure_data(g, mc, "count");
    mc->min = measure_data(g, mc, "min");
    mc->max = measure_data(g, mc, "max");
    mc->flags = mc->min && mc->max ? ESS_AGG_MINMAX : 0;
    if (!mc->flags)
        mc->min = mc->max = NULL;
    return ESS_OK;
}

static ess_group_state state_of(const measure_columns *mc, size_t row)
{
    /* no sum (ESS_REPORT_NO_SUM, or a group's sum past int64): the merged lines merge the
     * counts, mins and maxes, which need none */
    return (ess_group_state){mc->sum ? mc->sum[row] : 0, mc->count[row],
                             mc->min ? mc->min[row] : 0, mc->max ? mc->max[row] : 0, 0};
}

/* A line that merges groups: its state, and whether any group is in it yet. */
typedef struct merged_line {
    ess_group_state state;
    size_t groups;
} merged_line;

static void merge_group(merged_line *line, const ess_group_state *s, unsigned flags)
{
    if (line->groups++ == 0)
        line->state = *s;
    else
        (void)ess_group_state_merge(&line->state, s, flags);   /* exact: wraps in carry */
}

/* What each line of the report is, in order: a group's row, or one of the merged lines. */
enum { LINE_OTHERS = -1, LINE_TOTAL = -2 };

static int64_t line_measure(const ess_ledger *g, const measure_columns *mc, size_t m,
                            const ptrdiff_t *lines, size_t k, const merged_line *others,
                            const merged_line *total)
{
    if (lines[k] >= 0)
        return ((const int64_t *)g->columns[mc->at[m]].data)[lines[k]];
    return ess_measures[m].value(lines[k] == LINE_OTHERS ? &others->state : &total->state);
}

int ess_report_build(const ess_ledger *g, size_t nkeys, const size_t *rows, size_t nrows,
                     unsigned flags, ess_ledger **out, ess_error *err)
{
    ess_ledger *r = NULL;
    uint8_t *shown = NULL;
    ptrdiff_t *lines = NULL;
    int64_t *amounts = NULL, *shares = NULL;
    measure_columns mc = {0};
    merged_line others = {{0}, 0}, total = {{0}, 0};
    int status;
    *out = NULL;
    if (nkeys > g->ncolumns)
        return ess_error_set(err, ESS_EINVAL, 0, 0, "%zu keys of %zu columns", nkeys,
                             g->ncolumns);
    ESS_RETURN_NOT_OK(find_measures(g, nkeys, &mc, err));
    const int no_sum = (flags & ESS_REPORT_NO_SUM) != 0;
    if (no_sum)
        mc.sum = NULL;   /* the sum and mean columns are left out below */
    if (mc.sum == NULL && (flags & (ESS_REPORT_SHARE | ESS_REPORT_CUMULATIVE)))
        return ess_error_set(err, ESS_EINVAL, 0, 0, "the report has no sum (a sum does not fit "
                             "int64 cents): no share or running sum");
    shown = ess_calloc(g->nrows ? g->nrows : 1, 1);
    lines = ess_malloc((nrows + 2) * sizeof *lines);
    if (shown == NULL || lines == NULL)
        goto nomem;
    for (size_t k = 0; k < nrows; k++) {
        if (rows[k] >= g->nrows || shown[rows[k]]) {
            status = ess_error_set(err, ESS_EINVAL, 0, 0, "group row %zu out of range or shown "
                                   "twice", rows[k]);
            goto fail;
        }
        shown[rows[k]] = 1;
        lines[k] = (ptrdiff_t)rows[k];
    }
    for (size_t i = 0; i < g->nrows; i++) {   /* each group: shown or not, and in the total */
        const ess_group_state s = state_of(&mc, i);
        if (!shown[i])
            merge_group(&others, &s, mc.flags);
        if (flags & ESS_REPORT_TOTAL)
            merge_group(&total, &s, mc.flags);
    }
    /* whatever order the groups came in: only a sum whose wraps do not cancel is past int64;
     * the groups not shown are summed only for their line or their share -- a top n without
     * either shows no figure of theirs, and was refused for one */
    if (others.state.carry != 0 && (flags & (ESS_REPORT_OTHERS | ESS_REPORT_SHARE))) {
        const int side = others.state.carry < 0 ? ESS_BELOW_INT64 : ESS_ABOVE_INT64;
        status = ess_error_set(err, ESS_EOVERFLOW, 0, 0, "the sum of the groups not shown does "
                               "not fit int64 cents%s", ess_int64_limit_said(side));
        if (err != NULL) {
            err->detail = ESS_OVERFLOW_OTHERS;
            err->detail_n = side;
        }
        goto fail;
    }
    if (total.state.carry != 0) {
        const int side = total.state.carry < 0 ? ESS_BELOW_INT64 : ESS_ABOVE_INT64;
        status = ess_error_set(err, ESS_EOVERFLOW, 0, 0, "the total of the groups does not fit "
                               "int64 cents%s", ess_int64_limit_said(side));
        if (err != NULL) {
            err->detail = ESS_OVERFLOW_GROUPS_TOTAL;
            err->detail_n = side;
        }
        goto fail;
    }
    size_t nlines = nrows;
    if ((flags & ESS_REPORT_OTHERS) && others.groups > 0)
        lines[nlines++] = LINE_OTHERS;
    if ((flags & ESS_REPORT_TOTAL) && total.groups > 0)
        lines[nlines++] = LINE_TOTAL;

    /* the shares: of the shown lines and of every group not shown (as the others line, or
     * hidden), so that what a top n shows is the same with or without its others line */
    if (flags & ESS_REPORT_SHARE) {
        const size_t nshares = nrows + (others.groups > 0);
        amounts = ess_malloc((nshares ? nshares : 1) * sizeof *amounts);
        shares = ess_malloc((nshares ? nshares : 1) * sizeof *shares);
        if (amounts == NULL || shares == NULL)
            goto nomem;
        for (size_t k = 0; k < nrows; k++)
            amounts[k] = mc.sum[rows[k]];
        if (others.groups > 0)
            amounts[nrows] = others.state.sum;
        if ((status = ess_rank_shares(amounts, nshares, shares, err)) != ESS_OK)
            goto fail;
    }

    if ((r = ess_ledger_new()) == NULL)
        goto nomem;
    size_t nkept = 0;   /* the groups' columns the report keeps: keys, then measures */
    for (size_t c = 0; c < g->ncolumns; c++) {
        if (no_sum && c >= nkeys &&
            (!strcmp(g->columns[c].name, "sum") || !strcmp(g->columns[c].name, "mean")))
            continue;
        nkept++;
        int added = ess_ledger_add_column(r, g->columns[c].name, g->columns[c].kind);
        if (added == -2)
            goto nomem;
        if (added >= 0)   /* a date key keeps the order its 08/09/2017 were read in */
            r->columns[added].date_order = g->columns[c].date_order;
    }
    const char *extra[3] = {0};
    size_t nextra = 0;
    if (flags & ESS_REPORT_SHARE)
        extra[nextra++] = "share";
    if (flags & ESS_REPORT_CUMULATIVE)
        extra[nextra++] = "cumulative";
    if (flags & (ESS_REPORT_OTHERS | ESS_REPORT_TOTAL))
        extra[nextra++] = "report_line";
    for (size_t e = 0; e < nextra; e++) {
        int kind = strcmp(extra[e], "report_line") ? ESS_COL_AMOUNT : ESS_COL_LABEL;
        int added = ess_ledger_add_column(r, extra[e], kind);
        if (added == -2)
            goto nomem;
        if (added < 0) {
            status = ess_error_set(err, ESS_EINVAL, 0, 0, "a key column is named '%s', the "
                                   "name of the report's own column", extra[e]);
            goto fail;
        }
    }

    for (size_t c = 0; c < r->ncolumns; c++) {
        const ess_column *col = &r->columns[c];
        void *room = ess_ledger_stage_room(r, c, nlines, err);
        if (room == NULL) {
            status = err ? err->status : ESS_ENOMEM;
            goto fail;
        }
        int32_t *codes = room;
        int64_t *values = room;
        if (c < nkeys) {   /* a key: the group's, missing on a merged line */
            const size_t w = ess_column_width(col->kind);
            const ess_dict *labels = &g->columns[c].dict;
            /* a report of most groups copies the dictionary whole, in one go, and keeps the
             * codes; a top 10 of a million names interns the ten it shows */
            const int whole = col->kind == ESS_COL_LABEL && nrows * 2 >= labels->count;
            if (whole && ess_dict_copy(&r->columns[c].dict, labels))
                goto nomem;
            for (size_t k = 0; k < nlines; k++) {
                if (lines[k] >= 0 && col->kind == ESS_COL_LABEL && !whole) {
                    int32_t code = ((const int32_t *)g->columns[c].data)[lines[k]];
                    codes[k] = code < 0 ? -1 : ess_ledger_stage_label(r, c,
                                   ess_dict_string(labels, code), labels->lengths[code]);
                    if (code >= 0 && codes[k] < 0)
                        goto nomem;
                } else if (lines[k] >= 0)
                    memcpy((char *)room + w * k,
                           (const char *)g->columns[c].data + w * (size_t)lines[k], w);
                else if (col->kind == ESS_COL_LABEL)
                    codes[k] = -1;
                else if (col->kind == ESS_COL_DATE)
                    codes[k] = ESS_DATE_MISSING;
                else
                    values[k] = ESS_INT_MISSING;
            }
        } else if (c < nkept) {   /* a measure: the group's, or the merged state's */
            size_t m = 0;
            while (strcmp(ess_measures[m].name, col->name))
                m++;
            for (size_t k = 0; k < nlines; k++)
                values[k] = line_measure(g, &mc, m, lines, k, &others, &total);
        } else if (!strcmp(col->name, "share")) {
            for (size_t k = 0; k < nlines; k++)
                values[k] = lines[k] == LINE_TOTAL ? ESS_SHARE_SCALE
                            : shares[lines[k] == LINE_OTHERS ? nrows : k];
        } else if (!strcmp(col->name, "cumulative")) {
            int64_t running = 0;
            for (size_t k = 0; k < nlines; k++) {
                int64_t sum = lines[k] >= 0 ? mc.sum[lines[k]]
                                            : lines[k] == LINE_OTHERS ? others.state.sum : 0;
                if (lines[k] == LINE_TOTAL) {   /* every group's, shown or not */
                    values[k] = total.state.sum;
                    continue;
                }
                if (ess_add(running, sum, &running)) {
                    const int side = sum < 0 ? ESS_BELOW_INT64 : ESS_ABOVE_INT64;
                    status = ess_error_set(err, ESS_EOVERFLOW, 0, 0, "the running sum does not "
                                           "fit int64 cents%s", ess_int64_limit_said(side));
                    if (err != NULL) {   /* which sum and its side, for a host's wording */
                        err->detail = ESS_OVERFLOW_CUMULATIVE;
                        err->detail_n = side;
                    }
                    goto fail;
                }
                values[k] = running;
            }
        } else {   /* report_line: what each line is, for exports and displays */
            static const char *const kinds[] = {"group", "others", "total"};
            for (int32_t code = 0; code < 3; code++)
                if (ess_ledger_stage_label(r, c, kinds[code], strlen(kinds[code])) != code)
                    goto nomem;
            for (size_t k = 0; k < nlines; k++)
                codes[k] = lines[k] >= 0 ? 0 : lines[k] == LINE_OTHERS ? 1 : 2;
        }
    }
    if ((status = ess_ledger_commit_rows(r, nlines, err)) != ESS_OK)
        goto fail;
    *out = r;
    r = NULL;   /* the caller's now */
    status = ESS_OK;
    goto done;
nomem:
    status = ess_error_set(err, ESS_ENOMEM, 0, 0, "out of memory building the report");
fail:
done:
    ess_free(shown);
    ess_free(lines);
    ess_free(amounts);
    ess_free(shares);
    ess_ledger_free(r);
    return status;
}
