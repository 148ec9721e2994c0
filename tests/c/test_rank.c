/*
 * test_rank.c -- rank.c's own unit tests: shares, each rounded on its own, against a slow,
 * obvious twin in 128-bit arithmetic, the order against an insertion sort, and shares at the
 * int64 edges.
 * Built and run by tests/test_c_core.py like every tests/c/test_*.c.
 * Prints "N passed, N failed" and exits nonzero on any failure.
 */
#include "internal.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "check.h"

typedef __int128 wide;

/* The twin: quota_i = a_i * S / T in 128 bits, rounded half away from zero on its own; 0 only
 * for a_i = 0 (else one unit with the quota's sign), S only for a_i = T (else one unit nearer
 * the quota).  Obviously right. */
static void twin_shares(const int64_t *a, size_t n, int64_t *out)
{
    wide total = 0;
    for (size_t i = 0; i < n; i++)
        total += a[i];
    for (size_t i = 0; i < n; i++) {
        wide num = (wide)a[i] * ESS_SHARE_SCALE, den = total;
        int negative = (num < 0) != (den < 0) && num != 0;
        wide mn = num < 0 ? -num : num, md = den < 0 ? -den : den;
        wide units = mn / md + (2 * (mn % md) >= md);
        if (units == 0 && a[i] != 0)
            units = 1;
        wide share = negative ? -units : units;
        if (share == ESS_SHARE_SCALE && (wide)a[i] != total)
            share += (total > 0) == ((wide)a[i] < total) ? -1 : 1;
        out[i] = (int64_t)share;
    }
}

static uint64_t seed = 88172645463325252ULL;
static uint64_t next_random(void)
{
    seed ^= seed << 13;
    seed ^= seed >> 7;
    seed ^= seed << 17;
    return seed;
}

static void test_shares_against_twin(void)
{
    int64_t a[200], got[200], want[200];
    int agree = 1, runs = 0;
    for (int run = 0; run < 4000; run++) {
        size_t n = 1 + next_random() % (run % 2 ? 40 : 200);   /* past 16: the quickselect */
        int64_t scale = run % 4 == 0 ? 3 : run % 4 == 1 ? 1000 : run % 4 == 2 ? 1000000000
                                                                                : INT64_MAX / 64;
        wide total = 0;
        for (size_t i = 0; i < n; i++) {
            a[i] = (int64_t)(next_random() % (uint64_t)scale);
            if (run % 3 == 0 && next_random() % 4 == 0)
                a[i] = -a[i];   /* refunds: negative sums */
            if (run % 5 == 0)
                a[i] = a[0];    /* many equal amounts: ties */
            total += a[i];
        }
        if (total == 0)
            continue;
        ess_error err = {0};
        if (ess_rank_shares(a, n, got, &err) != ESS_OK)
            continue;   /* a share past int64 (cancellation): the overflow test below */
        runs++;
        twin_shares(a, n, want);
        for (size_t i = 0; i < n; i++) {
            agree &= got[i] == want[i];
            agree &= a[i] != a[0] || got[i] == got[0];   /* equal amounts, equal shares */
        }
    }
    CHECK(runs > 3000);
    CHECK(agree);
}

static void test_shares_cases(void)
{
    ess_error err = {0};
    int64_t got[4];
    const int64_t thirds[3] = {1, 1, 1};
    CHECK(ess_rank_shares(thirds, 3, got, &err) == ESS_OK);
    CHECK(got[0] == 3333 && got[1] == 3333 && got[2] == 3333);   /* equal: 99.99 in all */
    const int64_t sixths[3] = {1, 2, 3};   /* 16.666, 33.333, 50: each rounded alone */
    CHECK(ess_rank_shares(sixths, 3, got, &err) == ESS_OK);
    CHECK(got[0] == 1667 && got[1] == 3333 && got[2] == 5000);
    const int64_t half[2] = {1, 7};   /* 12.5 %: exact, 87.5 % */
    CHECK(ess_rank_shares(half, 2, got, &err) == ESS_OK);
    CHECK(got[0] == 1250 && got[1] == 8750);
    const int64_t halves[2] = {1, 19999};   /* 0.005 % and 99.995 %: half away from zero */
    CHECK(ess_rank_shares(halves, 2, got, &err) == ESS_OK);
    CHECK(got[0] == 1 && got[1] == 9999);   /* 0.01 (never 0.00), 99.99 (never 100.00) */
    const int64_t tiny[2] = {1, 100000000};   /* 0.000001 %: one unit, not 0.00 */
    CHECK(ess_rank_shares(tiny, 2, got, &err) == ESS_OK);
    CHECK(got[0] == 1 && got[1] == 9999);
    const int64_t tiny_refund[2] = {-1, 100000001};
    CHECK(ess_rank_shares(tiny_refund, 2, got, &err) == ESS_OK);
    CHECK(got[0] == -1 && got[1] == 10001);   /* past the whole: 100.01, never 100.00 */
    const int64_t alone[2] = {5, 0};
    CHECK(ess_rank_shares(alone, 2, got, &err) == ESS_OK);
    CHECK(got[0] == 10000 && got[1] == 0);   /* the whole 100.00, nothing 0.00 */
    const int64_t refund[2] = {300, -100};   /* 150 % and -50 % of 200 */
    CHECK(ess_rank_shares(refund, 2, got, &err) == ESS_OK);
    CHECK(got[0] == 15000 && got[1] == -5000);
    const int64_t negative_total[2] = {-300, -100};
    CHECK(ess_rank_shares(negative_total, 2, got, &err) == ESS_OK);
    CHECK(got[0] == 7500 && got[1] == 2500);
    const int64_t zero[2] = {5, -5};
    CHECK(ess_rank_shares(zero, 2, got, &err) == ESS_EINVAL);
    /* a running total that passes int64 and comes back: the same shares in every order */
    const int64_t back[3][3] = {{INT64_MAX, INT64_MAX, -INT64_MAX},
                                {INT64_MAX, -INT64_MAX, INT64_MAX},
                                {-INT64_MAX, INT64_MAX, INT64_MAX}};
    for (int o = 0; o < 3; o++) {
        CHECK(ess_rank_shares(back[o], 3, got, &err) == ESS_OK);
        for (int i = 0; i < 3; i++)
            CHECK(got[i] == (back[o][i] < 0 ? -10000 : 10000));
    }
    const int64_t huge[2] = {INT64_MAX, 1};   /* the total passes int64 */
    CHECK(ess_rank_shares(huge, 2, got, &err) == ESS_EOVERFLOW);
    const int64_t cancel[2] = {INT64_MAX - 1, -(INT64_MAX - 2)};   /* a share of 10^22 % */
    CHECK(ess_rank_shares(cancel, 2, got, &err) == ESS_EOVERFLOW);
    const int64_t edges[3] = {INT64_MIN + 2, INT64_MIN / 2, INT64_MIN / 2};
    int64_t want[3];
    CHECK(ess_rank_shares(edges, 3, got, &err) == ESS_EOVERFLOW);   /* the total leaves int64 */
    const int64_t big[3] = {INT64_MAX / 2, INT64_MAX / 4, INT64_MAX / 8};
    CHECK(ess_rank_shares(big, 3, got, &err) == ESS_OK);
    twin_shares(big, 3, want);
    CHECK(memcmp(got, want, sizeof want) == 0 && got[0] == 5714 && got[1] == 2857 &&
          got[2] == 1429);   /* 4/7, 2/7, 1/7: 100.00 */
    CHECK(ess_rank_shares(NULL, 0, got, &err) == ESS_OK);   /* no line, no share */
}

static void test_order_against_insertion_sort(void)
{
    ess_ledger *l = ess_ledger_new();
    int ok = l != NULL && ess_ledger_add_column(l, "k", ESS_COL_INT) == 0 &&
             ess_ledger_add_column(l, "sum", ESS_COL_AMOUNT) == 1;
    enum { N = 300 };
    int64_t keys[N], sums[N];
    for (size_t i = 0; i < N; i++) {
        keys[i] = i % 17 == 0 ? ESS_INT_MISSING : (int64_t)(next_random() % 20);
        sums[i] = (int64_t)(next_random() % 7) - 3;
    }
    ess_error err = {0};
    ok = ok && ess_ledger_stage_values(l, 0, keys, N, &err) == ESS_OK &&
         ess_ledger_stage_values(l, 1, sums, N, &err) == ESS_OK &&
         ess_ledger_commit_rows(l, N, &err) == ESS_OK;
    CHECK(ok);
    for (int column = 0; column < 2; column++)
        for (int descending = 0; descending < 2; descending++) {
            const int64_t *v = column == 0 ? keys : sums;
            size_t rows[N], twin[N];
            for (size_t i = 0; i < N; i++)
                rows[i] = twin[i] = N - 1 - i;   /* a given order, not the rows' */
            CHECK(ess_rank_order(l, column, descending, rows, N, SIZE_MAX, &err) == ESS_OK);
            for (size_t i = 1; i < N; i++) {   /* stable insertion sort, missing last */
                size_t x = twin[i], j = i;
                for (; j > 0; j--) {
                    size_t y = twin[j - 1];
                    int xm = column == 0 && v[x] == ESS_INT_MISSING;
                    int ym = column == 0 && v[y] == ESS_INT_MISSING;
                    int before = !xm && (ym || (descending ? v[x] > v[y] : v[x] < v[y]));
                    if (!before)
                        break;
                    twin[j] = y;
                }
                twin[j] = x;
            }
            CHECK(memcmp(rows, twin, sizeof rows) == 0);
            /* a top n: the same first n, in the same order, whatever n */
            int same_top = 1;
            for (size_t first = 0; first <= N; first += 1 + first / 3) {
                for (size_t i = 0; i < N; i++)
                    rows[i] = N - 1 - i;
                same_top &= ess_rank_order(l, column, descending, rows, N, first, &err) == ESS_OK &&
                            memcmp(rows, twin, first * sizeof *rows) == 0;
            }
            CHECK(same_top);
        }
    size_t bad = N;
    CHECK(ess_rank_order(l, 0, 0, &bad, 1, SIZE_MAX, &err) == ESS_EINVAL);
    CHECK(ess_rank_order(l, 5, 0, &bad, 0, SIZE_MAX, &err) == ESS_EINVAL);
    ess_ledger_free(l);
}

int main(void)
{
    test_shares_against_twin();
    test_shares_cases();
    test_order_against_insertion_sort();
    return check_report();
}
