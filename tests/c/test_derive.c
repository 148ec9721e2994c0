/*
 * test_derive.c -- derived keys (derive.c) against obvious twins: the year, quarter and month of
 * every day number (labels of their values, in order) against ess_date_from_days, through the table path (a few years of days)
 * and the row-by-row path (days centuries apart); periods in every dress SCDL files print;
 * missing stays missing; a label that is no date fails with its row, a label no row holds
 * fails nothing.  The group-by and pivot on derived keys read in place (ess_ledger_group_by_keys,
 * ess_ledger_pivot_keys) give the groups of the keys materialised, then grouped.
 */
#include "essconv.h"

#include <stdlib.h>
#include <string.h>

#include "check.h"

/* A derived calendar part's value at row i: its label read as a number (INT64_MIN missing). */
static int64_t part_at(const ess_column *col, size_t i)
{
    int32_t code = ((const int32_t *)col->data)[i];
    return code < 0 ? ESS_INT_MISSING : atoll(ess_dict_string(&col->dict, code));
}

/* Its labels are every value from the smallest, in order: code = value - smallest. */
static int labels_in_order(const ess_column *col)
{
    for (size_t c = 1; c < col->dict.count; c++)
        if (atoll(ess_dict_string(&col->dict, (int32_t)c)) !=
            atoll(ess_dict_string(&col->dict, (int32_t)c - 1)) + 1)
            return 0;
    return col->kind == ESS_COL_LABEL;
}

static ess_ledger *date_ledger(const int32_t *days, size_t n)
{
    ess_ledger *l = ess_ledger_new();
    int64_t *cents = calloc(n + 1, sizeof *cents);
    ess_error e;
    for (size_t i = 0; i < n; i++)
        cents[i] = (int64_t)i;
    if (ess_ledger_add_column(l, "d", ESS_COL_DATE) != 0 ||
        ess_ledger_add_column(l, "montant", ESS_COL_AMOUNT) != 1 ||
        ess_ledger_stage_values(l, 0, days, n, &e) || ess_ledger_stage_values(l, 1, cents, n, &e) ||
        ess_ledger_commit_rows(l, n, &e))
        abort();
    free(cents);
    return l;
}

/* Grouping l by keys read in place equals grouping the materialised keys: the same groups in
 * the same order (codes, sums, counts), the same aggregate column names and labels, on one and
 * two threads; the pivot's totals and cells too. */
static void check_in_place(const ess_ledger *l, const ess_key *keys, size_t nkeys)
{
    ess_ledger *d = NULL, *agg = NULL;
    ess_groups *in_place = NULL, *copied = NULL;
    ess_error e;
    int columns[4] = {0, 1, 2, 3};
    CHECK(nkeys <= 4 && ess_ledger_derive_keys(l, keys, nkeys, &d, &e) == ESS_OK);
    for (int threads = 1; threads <= 2 && d; threads++) {
        CHECK(ess_ledger_group_by_keys(l, keys, nkeys, ESS_AGG_MINMAX, threads, &in_place, &e) ==
              ESS_OK);
        CHECK(ess_ledger_group_by(d, columns, nkeys, ESS_AGG_MINMAX, threads, &copied, &e) == ESS_OK);
        if (in_place == NULL || copied == NULL)
            break;
        size_t n = copied->ngroups;
        CHECK(in_place->ngroups == n &&
              !memcmp(in_place->keys, copied->keys, n * nkeys * sizeof *copied->keys) &&
              !memcmp(in_place->sum, copied->sum, n * sizeof *copied->sum) &&
              !memcmp(in_place->count, copied->count, n * sizeof *copied->count) &&
              !memcmp(in_place->min, copied->min, n * sizeof *copied->min));
        CHECK(ess_groups_to_ledger_keys(l, keys, in_place, &agg, &e) == ESS_OK);
        for (size_t k = 0; agg && k < nkeys; k++) {
            const ess_column *got = &agg->columns[k], *want = &d->columns[k];
            CHECK(!strcmp(got->name, want->name) && got->kind == want->kind);
            CHECK(got->dict.count == want->dict.count);
            for (size_t c = 0; c < got->dict.count && c < want->dict.count; c++)
                CHECK(!strcmp(ess_dict_string(&got->dict, (int32_t)c),
                              ess_dict_string(&want->dict, (int32_t)c)));
        }
        ess_ledger_free(agg);
        agg = NULL;
        ess_groups_free(in_place);
        ess_groups_free(copied);
        in_place = copied = NULL;
    }
    ess_groups_free(in_place);
    ess_groups_free(copied);
    if (d && nkeys >= 2) {   /* rows by the first key, columns by the second */
        ess_plan *a = NULL, *b = NULL;
        CHECK(ess_ledger_pivot_keys(l, NULL, &keys[0], &keys[1], 2, &a, &e) == ESS_OK);
        CHECK(ess_ledger_pivot(d, -1, 0, 1, 2, &b, &e) == ESS_OK);
        if (a && b) {
            CHECK(a->nlines == b->nlines && a->nfunders == b->nfunders);
            for (size_t i = 0; i < a->nlines && i < b->nlines; i++)
                CHECK(!strcmp(a->line_labels[i], b->line_labels[i]));
            for (size_t c = 0; c < a->nlines * a->nfunders && a->nlines == b->nlines &&
                               a->nfunders == b->nfunders; c++)
                CHECK(a->cells[c].state == b->cells[c].state && a->cells[c].cents == b->cells[c].cents);
        }
        ess_plan_free(a);
        ess_plan_free(b);
    }
    ess_ledger_free(d);
}

/* Every part of every day of l's column d, derived in one call, against the date itself. */
static void check_parts(const int32_t *days, size_t n)
{
    ess_ledger *l = date_ledger(days, n), *d = NULL;
    ess_key keys[4] = {{0, ESS_PART_YEAR, ESS_SIDE_DATE, "y"}, {0, ESS_PART_QUARTER, ESS_SIDE_DATE, "q"},
                       {0, ESS_PART_MONTH, ESS_SIDE_DATE, "m"}, {0, ESS_PART_DAY, ESS_SIDE_DATE, "d"}};
    ess_error e;
    check_in_place(l, keys, 1);
    check_in_place(l, &keys[1], 2);   /* quarter by month */
    ess_key by_month_year[2] = {keys[2], keys[0]};
    check_in_place(l, by_month_year, 2);
    CHECK(ess_ledger_derive_keys(l, keys, 4, &d, &e) == ESS_OK);
    CHECK(d->nrows == n && d->ncolumns == 5 && d->amount == 4);
    size_t wrong = 0;
    for (size_t i = 0; i < n; i++) {
        int64_t y = part_at(&d->columns[0], i), q = part_at(&d->columns[1], i),
                m = part_at(&d->columns[2], i);
        const int32_t *same = d->columns[3].data;
        const int64_t *cents = d->columns[4].data;
        if (days[i] == ESS_DATE_MISSING) {
            wrong += y != ESS_INT_MISSING || q != ESS_INT_MISSING || m != ESS_INT_MISSING ||
                     same[i] != ESS_DATE_MISSING;
            continue;
        }
        ess_date date = ess_date_from_days(days[i]);
        wrong += y != date.year || m != date.month || q != (date.month - 1) / 3 + 1 ||
                 same[i] != days[i] || cents[i] != (int64_t)i;
    }
    CHECK(wrong == 0);
    CHECK(labels_in_order(&d->columns[0]) && labels_in_order(&d->columns[1]) &&
          labels_in_order(&d->columns[2]));
    ess_ledger_free(d);
    ess_ledger_free(l);
}

static ess_ledger *period_ledger(const char *const *labels, size_t n)
{
    ess_ledger *l = ess_ledger_new();
    int32_t *codes = calloc(n + 1, sizeof *codes);
    int64_t *cents = calloc(n + 1, sizeof *cents);
    ess_error e;
    if (ess_ledger_add_column(l, "p", ESS_COL_LABEL) != 0 ||
        ess_ledger_add_column(l, "montant", ESS_COL_AMOUNT) != 1)
        abort();
    for (size_t i = 0; i < n; i++)
        codes[i] = labels[i] ? ess_ledger_stage_label(l, 0, labels[i], strlen(labels[i])) : -1;
    if (ess_ledger_stage_values(l, 0, codes, n, &e) || ess_ledger_stage_values(l, 1, cents, n, &e) ||
        ess_ledger_commit_rows(l, n, &e))
        abort();
    free(codes);
    free(cents);
    return l;
}

static int32_t day(int y, int m, int d)
{
    ess_date date = {y, m, d};
    return ess_days_from_date(date);
}

int main(void)
{
    /* the table path: five years of days, some missing */
    size_t n = 5 * 366;
    int32_t *days = malloc(n * sizeof *days);
    for (size_t i = 0; i < n; i++)
        days[i] = i % 17 == 0 ? ESS_DATE_MISSING : day(2009, 1, 1) + (int32_t)i;
    check_parts(days, n);
    /* the row-by-row path: days from year 1 to 9999 */
    int32_t first = day(1, 1, 1), last = day(9999, 12, 31);
    for (size_t i = 0; i < n; i++)
        days[i] = first + (int32_t)((int64_t)(last - first) * (int64_t)i / (int64_t)(n - 1));
    check_parts(days, n);
    int32_t none = ESS_DATE_MISSING;
    check_parts(&none, 1);   /* no date at all */
    free(days);

    int32_t start, end;
    ess_error e;
    CHECK(ess_period_parse("2018-01-01_2018-03-31", 21, &start, &end, &e) == ESS_OK &&
          start == day(2018, 1, 1) && end == day(2018, 3, 31));
    CHECK(ess_period_parse("2017-03-30/2017-05-24", 21, &start, &end, &e) == ESS_OK &&
          start == day(2017, 3, 30) && end == day(2017, 5, 24));
    CHECK(ess_period_parse("2017/09/08_2021/09/07", 21, &start, &end, &e) == ESS_OK &&
          start == day(2017, 9, 8) && end == day(2021, 9, 7));
    CHECK(ess_period_parse(" 08/02/2016 ", 12, &start, &end, &e) == ESS_OK &&
          start == day(2016, 2, 8) && end == start);
    CHECK(ess_period_parse("2016-06-30_", 11, &start, &end, &e) == ESS_OK &&
          start == day(2016, 6, 30) && end == ESS_DATE_MISSING);
    CHECK(ess_period_parse("  ", 2, &start, &end, &e) == ESS_BLANK);
    CHECK(ess_period_parse("2017-03-02/2017-30-05", 21, &start, &end, &e) == ESS_EPARSE &&
          strstr(e.message, "impossible") != NULL);
    CHECK(ess_period_parse("bientot", 7, &start, &end, &e) == ESS_EPARSE);

    const char *labels[] = {"2018-01-01_2018-03-31", NULL, "2019-02-02", "bientot"};
    ess_ledger *l = period_ledger(labels, 4), *d = NULL;
    ess_key ends[2] = {{0, ESS_PART_YEAR, ESS_SIDE_END, "year(end)"},
                       {0, ESS_PART_DAY, ESS_SIDE_START, "start"}};
    CHECK(ess_ledger_derive_keys(l, ends, 2, &d, &e) == ESS_EPARSE && d == NULL &&
          strstr(e.message, "row 4 of 'p'") != NULL && strstr(e.message, "bientot") != NULL);
    ess_groups *g = NULL;   /* read in place, the same refusal */
    CHECK(ess_ledger_group_by_keys(l, ends, 2, 0, 2, &g, &e) == ESS_EPARSE && g == NULL &&
          strstr(e.message, "row 4 of 'p'") != NULL && strstr(e.message, "bientot") != NULL);
    ess_ledger_free(l);
    l = period_ledger(labels, 3);   /* "bientot" is in no row of this one */
    check_in_place(l, ends, 2);
    CHECK(ess_ledger_derive_keys(l, ends, 2, &d, &e) == ESS_OK && d->nrows == 3);
    if (d) {
        const int32_t *s = d->columns[1].data;
        CHECK(part_at(&d->columns[0], 0) == 2018 && part_at(&d->columns[0], 1) == ESS_INT_MISSING &&
              part_at(&d->columns[0], 2) == 2019);
        CHECK(s[0] == day(2018, 1, 1) && s[1] == ESS_DATE_MISSING && s[2] == day(2019, 2, 2));
        CHECK(d->columns[1].kind == ESS_COL_DATE && labels_in_order(&d->columns[0]));
    }
    ess_ledger_free(d);
    d = NULL;
    ess_key one_date = {0, ESS_PART_YEAR, ESS_SIDE_DATE, "year(p)"};
    CHECK(ess_ledger_derive_keys(l, &one_date, 1, &d, &e) == ESS_EPARSE &&
          strstr(e.message, "is a period") != NULL);
    ess_key twice[2] = {one_date, one_date};
    CHECK(ess_ledger_derive_keys(l, twice, 2, &d, &e) == ESS_EINVAL);
    ess_key on_amount = {1, ESS_PART_YEAR, ESS_SIDE_DATE, "year(montant)"};
    CHECK(ess_ledger_derive_keys(l, &on_amount, 1, &d, &e) == ESS_EINVAL);
    ess_ledger_free(l);
    return check_report();
}
