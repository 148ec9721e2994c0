/*
 * group.c -- analyses of a ledger: group-by (sum, count, mean, min, max by key columns, each
 * measure one descriptor of ess_measures), the groups as a ledger, and the pivot that makes a financing plan of a ledger (lines by funders).
 *
 * Layer: analyses (calls ledger.c, derive.c, plan.c and the base; nothing in the core calls it).
 * Workload: group-by accumulates into a dense direct-indexed table when the product of the key
 * cardinalities is small (the common case: 10 funders x 5 years), each thread (C11 threads) a
 * slice of the rows with its own table, merged exactly afterwards; otherwise (a million
 * beneficiaries by funder) the rows are radix-partitioned by their key and each partition is
 * summed in a table that fits in cache, the phases shared by the threads (see "partitioned
 * kernel" below).  A key derived from a date (its year, quarter or month) is read from the
 * source column through derive.c's view, a table in cache: no key or amount column is copied.
 *
 * Invariants: every row lands in exactly one group (a missing key value is a group of its own);
 * sums are exact or ESS_EOVERFLOW (never a wrap), and do not depend on the number of threads or
 * the order of the rows: a sum adds modulo 2^64 and counts its wraps (ess_group_state's carry),
 * and a group whose wraps do not cancel out is the overflow;
 * groups come out in ascending composite key order (essconv.h says what that is), whatever the
 * kernel and the threads.
 */
#include "internal.h"

#include <assert.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <threads.h>
#include <time.h>

enum { DENSE_MAX = 1 << 22 };   /* direct-indexed table up to 4M key combinations */

typedef struct key_column {
    const int32_t *codes;     /* LABEL codes, a derived key's source values, or owned codes for
                               * INT/DATE */
    ess_key_view derived;     /* a derived key's view, read in place of a column (owned) */
    const ess_key_view *through;   /* &derived when row i's code is ess_key_view_at(through, i)
                                    * (a calendar part's table), else NULL: codes[i] */
    int32_t *owned;
    size_t card;              /* distinct codes + 1 for missing */
    uint64_t missing_slot;    /* the slot of a missing value: card - 1, or 0 for the pivot */
    uint64_t code_offset;     /* the slot of code c is c + code_offset (0, or 1 for the pivot) */
    int64_t *values;          /* INT/DATE: the distinct values by code (owned) */
    size_t nvalues;
    int kind;
} key_column;

/* Slot hash of a 64-bit key (an INT value, a composite of codes): the splitmix64 finalizer.
 * A bare multiply keeps the low bits of its input in the low bits of the product, so keys that
 * are multiples of a large power of two (2^44: amounts in sub-units, packed dates, strided
 * composites) all fell in one slot and the probe went quadratic; every input bit here reaches
 * every output bit. */
static inline uint64_t mix64(uint64_t x)
{
    x ^= x >> 30;
    x *= 0xBF58476D1CE4E5B9ULL;
    x ^= x >> 27;
    x *= 0x94D049BB133111EBULL;
    x ^= x >> 31;
    return x;
}

/* mix64 is invertible, so keys could still be crafted offline to share a slot; each table
 * therefore mixes in a seed of its own, from its address (randomised by the loader) and the
 * clock.  Only slots depend on it: codes follow the values' order and groups their key order. */
static uint64_t table_seed(const void *table)
{
    return mix64((uint64_t)(uintptr_t)table ^ ((uint64_t)time(NULL) << 20) ^ (uint64_t)clock());
}

typedef struct value_code {
    int64_t value;
    int32_t code;
} value_code;

static int value_order(const void *a, const void *b)
{
    int64_t x = ((const value_code *)a)->value, y = ((const value_code *)b)->value;
    return (x > y) - (x < y);
}

/* Renumbers an INT or DATE key's codes so that code order is the values' order: a committee
 * reads days as a calendar, as the years and months of derive.c come (their dictionaries are
 * in increasing order), and an int key (a year typed as an integer, an exercise number) in
 * ascending numeric order, as pandas' group-by sorts it; first sight followed the rows, whose
 * order a file does not promise.  A column already in order (most files) costs one look at
 * its distinct values, no pass over the rows. */
static int codes_in_value_order(key_column *k, size_t nrows)
{
    size_t n = k->nvalues, i;
    for (i = 1; i < n && k->values[i - 1] < k->values[i]; i++)
        ;
    if (i >= n)
        return ESS_OK;
    value_code *order = ess_malloc(n * sizeof *order);
    int32_t *renumber = ess_malloc(n * sizeof *renumber);
    if (order == NULL || renumber == NULL) {
        ess_free(order);
        ess_free(renumber);
        return ESS_ENOMEM;
    }
    for (i = 0; i < n; i++) {
        order[i].value = k->values[i];
        order[i].code = (int32_t)i;
    }
    qsort(order, n, sizeof *order, value_order);   /* values are distinct: no tie to keep stable */
    for (i = 0; i < n; i++) {
        renumber[order[i].code] = (int32_t)i;
        k->values[i] = order[i].value;
    }
    for (i = 0; i < nrows; i++)
        if (k->owned[i] >= 0)
            k->owned[i] = renumber[k->owned[i]];
    ess_free(order);
    ess_free(renumber);
    return ESS_OK;
}

/* Dictionary-encodes an INT or DATE column, or a derived key's days (view, when not NULL), on
 * the fly: value -> code in ascending order (an INT's numbers, a DATE's days as a calendar). */
static int encode_values(const ess_column *col, const ess_key_view *view, size_t nrows,
                         key_column *k)
{
    const int kind = view ? view->kind : col->kind;
    size_t nslots = 64, count = 0;
    const uint64_t seed = table_seed(k);
    int64_t *slot_value = NULL;
    int32_t *slot_code = NULL;
    k->owned = ess_malloc((nrows ? nrows : 1) * sizeof(int32_t));
    if (k->owned == NULL)
        return ESS_ENOMEM;
    for (;;) {   /* retried with a larger table when it fills past one half */
        ess_free(slot_value);
        ess_free(slot_code);
        ess_free(k->values);
        slot_value = ess_malloc(nslots * sizeof *slot_value);
        slot_code = ess_malloc(nslots * sizeof *slot_code);
        k->values = ess_malloc((nslots / 2 + 1) * sizeof(int64_t));
        if (!slot_value || !slot_code || !k->values) {
            ess_free(slot_value);
            ess_free(slot_code);
            return ESS_ENOMEM;
        }
        memset(slot_code, 0xff, nslots * sizeof *slot_code);
        count = 0;
        int full = 0;
        for (size_t i = 0; i < nrows && !full; i++) {
            int64_t v = view ? ess_key_view_at(view, i)
                        : kind == ESS_COL_DATE ? ((const int32_t *)col->data)[i]
                                               : ((const int64_t *)col->data)[i];
            int missing = kind == ESS_COL_DATE ? v == ESS_DATE_MISSING : v == ESS_INT_MISSING;
            if (missing) {
                k->owned[i] = -1;
                continue;
            }
            size_t s = (size_t)mix64((uint64_t)v ^ seed) & (nslots - 1);
            while (slot_code[s] >= 0 && slot_value[s] != v)
                s = (s + 1) & (nslots - 1);
            if (slot_code[s] < 0) {
                if ((count + 1) * 2 > nslots) {
                    full = 1;
                    break;
                }
                slot_code[s] = (int32_t)count;
                slot_value[s] = v;
                k->values[count++] = v;
            }
            k->owned[i] = slot_code[s];
        }
        if (!full)
            break;
        nslots *= 4;
    }
    ess_free(slot_value);
    ess_free(slot_code);
    k->nvalues = count;
    k->card = count + 1;
    k->codes = k->owned;
    return codes_in_value_order(k, nrows);
}

typedef struct accum {
    int64_t *sum, *count, *min, *max;
    int64_t *carry;   /* each slot's wraps (ess_group_state): allocated at the first, else NULL */
    size_t n;         /* slots */
} accum;

/* The key columns and how a row's codes make one 64-bit composite key: each key's slot (its
 * code, missing at one end) times the key's stride, summed.  The last key is the most
 * significant, so ascending composites are the groups' order, whatever the layout:
 * - mixed radix (strides the products of the cardinalities before): the dense table's index;
 * - packed (strides powers of two): the partitioned kernel's, decoded with a shift and a mask
 *   rather than two divisions a key; used whenever the slots fit 63 bits. */
typedef struct key_set {
    key_column keys[16];
    size_t nkeys;
    uint64_t strides[16];
    uint64_t masks[16];       /* packed: key k's slot is (composite >> shifts[k]) & masks[k] */
    unsigned shifts[16];
    int packed;
    uint64_t product;         /* key combinations (the mixed radix): the dense table's cells */
    unsigned bits;            /* every composite of the layout fits this many bits */
} key_set;

static inline uint64_t composite(const key_set *ks, size_t i)
{
    uint64_t key = 0;
    for (size_t k = 0; k < ks->nkeys; k++) {
        const key_column *kc = &ks->keys[k];
        int32_t c = kc->through ? ess_key_view_at(kc->through, i) : kc->codes[i];
        key += (c < 0 ? kc->missing_slot : (uint64_t)c + kc->code_offset) * ks->strides[k];
    }
    return key;
}

/* Key k's code in a composite: -1 for missing. */
static inline int32_t code_of(const key_set *ks, size_t k, uint64_t key)
{
    const key_column *kc = &ks->keys[k];
    uint64_t slot = ks->packed ? (key >> ks->shifts[k]) & ks->masks[k]
                               : (key / ks->strides[k]) % kc->card;
    return slot == kc->missing_slot ? -1 : (int32_t)(slot - kc->code_offset);
}

static unsigned bits_for(uint64_t x) { return x ? 64u - (unsigned)__builtin_clzll(x) : 0u; }

/* Packs the slots into bit fields when they fit 63 bits (UINT64_MAX stays free as the hash
 * tables' empty mark); else keeps the mixed radix, whose largest composite is product - 1. */
static void pack_keys(key_set *ks)
{
    unsigned total = 0;
    for (size_t k = 0; k < ks->nkeys; k++) {
        unsigned width = bits_for(ks->keys[k].card - 1);
        ks->shifts[k] = total;
        ks->masks[k] = width ? UINT64_MAX >> (64 - width) : 0;
        total += width;
    }
    if (total <= 63) {
        for (size_t k = 0; k < ks->nkeys; k++)
            ks->strides[k] = (uint64_t)1 << ks->shifts[k];
        ks->packed = 1;
        ks->bits = total;
    } else {
        ks->bits = bits_for(ks->product - 1);
    }
}

static int accum_alloc(accum *a, size_t n, unsigned flags)
{
    a->n = n;
    a->carry = NULL;
    a->sum = ess_calloc(n, sizeof(int64_t));
    a->count = ess_calloc(n, sizeof(int64_t));
    if (flags & ESS_AGG_MINMAX) {
        a->min = ess_malloc(n * sizeof(int64_t));
        a->max = ess_malloc(n * sizeof(int64_t));
        if (a->min && a->max)
            for (size_t i = 0; i < n; i++) {
                a->min[i] = INT64_MAX;
                a->max[i] = INT64_MIN;
            }
    }
    return (a->sum && a->count && (!(flags & ESS_AGG_MINMAX) || (a->min && a->max))) ? ESS_OK
                                                                                     : ESS_ENOMEM;
}

static void accum_free(accum *a)
{
    ess_free(a->sum);
    ess_free(a->count);
    ess_free(a->min);
    ess_free(a->max);
    ess_free(a->carry);
    memset(a, 0, sizeof *a);
}

/* The slots' carries, made zero at the first need. */
static int accum_carries(accum *a)
{
    if (a->carry == NULL && (a->carry = ess_calloc(a->n, sizeof(int64_t))) == NULL)
        return ESS_ENOMEM;
    return ESS_OK;
}

/* A slot's sum wrapped adding v: counted (the slots' carries made at the first wrap: a real
 * ledger never wraps, so its tables stay as they were). */
#if defined(__GNUC__)
__attribute__((noinline, cold))
#endif
static int accum_wrapped(accum *a, size_t slot, int64_t v)
{
    if (accum_carries(a))
        return ESS_ENOMEM;
    a->carry[slot] += v < 0 ? -1 : 1;
    return ESS_OK;
}

/* A slot's state, and back: how every merge (threads, partitions) moves a group. */
static inline ess_group_state state_at(const accum *a, size_t slot, unsigned flags)
{
    ess_group_state s = {a->sum[slot], a->count[slot], 0, 0, a->carry ? a->carry[slot] : 0};
    if (flags & ESS_AGG_MINMAX) {
        s.min = a->min[slot];
        s.max = a->max[slot];
    }
    return s;
}

static inline int state_put(accum *a, size_t slot, const ess_group_state *s, unsigned flags)
{
    if (s->carry != 0 && accum_carries(a))
        return ESS_ENOMEM;
    if (a->carry != NULL)
        a->carry[slot] = s->carry;
    a->sum[slot] = s->sum;
    a->count[slot] = s->count;
    if (flags & ESS_AGG_MINMAX) {
        a->min[slot] = s->min;
        a->max[slot] = s->max;
    }
    return ESS_OK;
}

/* An empty slot: what accum_alloc leaves, so a table is reused without clearing it whole. */
static inline void slot_clear(accum *a, size_t slot, unsigned flags)
{
    a->sum[slot] = a->count[slot] = 0;
    if (a->carry != NULL)
        a->carry[slot] = 0;
    if (flags & ESS_AGG_MINMAX) {
        a->min[slot] = INT64_MAX;
        a->max[slot] = INT64_MIN;
    }
}

static inline int add_to(accum *a, size_t slot, int64_t v, unsigned flags)
{
    if (__builtin_add_overflow(a->sum[slot], v, &a->sum[slot]) && accum_wrapped(a, slot, v))
        return ESS_ENOMEM;
    a->count[slot]++;
    if (flags & ESS_AGG_MINMAX) {
        if (v < a->min[slot])
            a->min[slot] = v;
        if (v > a->max[slot])
            a->max[slot] = v;
    }
    return ESS_OK;
}

/* Runs fn on each of the jobs (an array of threads elements of size bytes): job 0 here, each
 * other on a thread of its own (here if it cannot start).  Each job reports in its status. */
static void run_parallel(thrd_start_t fn, void *jobs, size_t size, int threads)
{
    thrd_t tids[8];
    int started = 0;
    for (int t = 1; t < threads; t++) {
        if (thrd_create(&tids[t], fn, (char *)jobs + (size_t)t * size) != thrd_success)
            break;
        started = t;
    }
    for (int t = started + 1; t < threads; t++)
        fn((char *)jobs + (size_t)t * size);   /* a thread that could not start: its job runs here */
    fn(jobs);
    for (int t = 1; t <= started; t++)
        thrd_join(tids[t], NULL);
}

void ess_groups_free(ess_groups *g)
{
    if (g == NULL)
        return;
    ess_free(g->keys);
    if (g->key_values)
        for (size_t k = 0; k < g->nkeys; k++)
            ess_free(g->key_values[k]);
    ess_free(g->key_values);
    if (g->key_labels)
        for (size_t k = 0; k < g->nkeys; k++)
            ess_dict_clear(&g->key_labels[k]);
    ess_free(g->key_labels);
    ess_free(g->nkey_values);
    ess_free(g->sum);
    ess_free(g->count);
    ess_free(g->overflow);
    ess_free(g->min);
    ess_free(g->max);
    ess_free(g);
}

static ess_groups *groups_new(size_t ngroups, size_t nkeys, unsigned flags)
{
    ess_groups *g = ess_calloc(1, sizeof *g);
    if (g == NULL)
        return NULL;
    g->ngroups = ngroups;
    g->nkeys = nkeys;
    g->keys = ess_malloc((ngroups * nkeys + 1) * sizeof(int32_t));
    g->key_values = ess_calloc(nkeys + 1, sizeof(int64_t *));
    g->nkey_values = ess_calloc(nkeys + 1, sizeof(size_t));
    g->key_labels = ess_calloc(nkeys + 1, sizeof(ess_dict));
    g->sum = ess_malloc((ngroups + 1) * sizeof(int64_t));
    g->count = ess_malloc((ngroups + 1) * sizeof(int64_t));
    if (flags & ESS_AGG_MINMAX) {
        g->min = ess_malloc((ngroups + 1) * sizeof(int64_t));
        g->max = ess_malloc((ngroups + 1) * sizeof(int64_t));
    }
    if (flags & ESS_AGG_KEEP_OVERFLOW)
        g->overflow = ess_calloc(ngroups + 1, 1);
    if (!g->keys || !g->key_values || !g->nkey_values || !g->key_labels || !g->sum || !g->count ||
        ((flags & ESS_AGG_MINMAX) && (!g->min || !g->max)) ||
        ((flags & ESS_AGG_KEEP_OVERFLOW) && !g->overflow)) {
        ess_groups_free(g);
        return NULL;
    }
    return g;
}

/* Group r: its composite split back into codes, and its state. */
static inline void group_put(ess_groups *g, size_t r, const key_set *ks, uint64_t key,
                             const ess_group_state *s, unsigned flags)
{
    for (size_t k = 0; k < ks->nkeys; k++)
        g->keys[r * ks->nkeys + k] = code_of(ks, k, key);
    g->sum[r] = s->sum;
    g->count[r] = s->count;
    if (flags & ESS_AGG_MINMAX) {
        g->min[r] = s->min;
        g->max[r] = s->max;
    }
}

/* The key columns as codes (a derived key read through its view, never copied), their slots
 * (missing last, or first for the pivot, whose lines read "(missing)" first) and mixed-radix
 * strides.  Sets err. */
static int encode_keys(const ess_ledger *l, const ess_key *keys, size_t nkeys, int missing_first,
                       key_set *ks, ess_error *err)
{
    ks->nkeys = nkeys;
    ks->product = 1;
    for (size_t k = 0; k < nkeys; k++) {
        int c = keys[k].column;
        if (c < 0 || (size_t)c >= l->ncolumns || (keys[k].part == ESS_PART_COPY && c == l->amount))
            return ess_error_set(err, ESS_EINVAL, 0, 0, "a key is not a column of the ledger");
        const ess_column *col = &l->columns[c];
        key_column *kc = &ks->keys[k];
        kc->kind = ess_key_kind(l, &keys[k]);
        if (keys[k].part != ESS_PART_COPY) {
            ESS_RETURN_NOT_OK(ess_key_view_build(l, &keys[k], &kc->derived, err));
            if (kc->kind == ESS_COL_LABEL) {   /* a calendar part: its codes through the table */
                kc->codes = kc->derived.source;   /* codes already when it has no table */
                kc->through = kc->derived.to ? &kc->derived : NULL;
                kc->card = kc->derived.labels.count + 1;
            } else if (encode_values(NULL, &kc->derived, l->nrows, kc)) {   /* days */
                return ess_error_set(err, ESS_ENOMEM, 0, 0, "out of memory");
            }
        } else if (col->kind == ESS_COL_LABEL) {
            kc->codes = col->data;
            kc->card = col->dict.count + 1;
        } else if (encode_values(col, NULL, l->nrows, kc)) {
            return ess_error_set(err, ESS_ENOMEM, 0, 0, "out of memory");
        }
        kc->missing_slot = missing_first ? 0 : kc->card - 1;
        kc->code_offset = missing_first ? 1 : 0;
        ks->strides[k] = ks->product;
        if (__builtin_mul_overflow(ks->product, (uint64_t)kc->card, &ks->product) ||
            ks->product == UINT64_MAX)
            return ess_error_set(err, ESS_EINVAL, 0, 0, "too many key combinations to group by");
    }
    ks->bits = bits_for(ks->product - 1);
    return ESS_OK;
}

/* ------------------------------------------------------------------ dense kernel */

/* How the dense kernel reads key k of row i: the cell-index term of its slot (slot x stride),
 * looked up by the source value, cells[(uint32_t)source[i] - base] when below len, else the
 * missing slot's term.  One table per key, built once per group-by (a column's codes: base -1,
 * so code -1 is entry 0, missing; a derived calendar part: its view's table composed with the
 * slots), so each row costs a load and a compare a key: no branch on the kind of key, no
 * multiplication.  Cell indexes fit 32 bits: the dense table has at most DENSE_MAX cells. */
typedef struct dense_key {
    const int32_t *source;
    uint32_t base, len;
    uint32_t *cells;          /* len terms (owned by group_dense) */
    uint32_t missing_cell;
} dense_key;

static int dense_keys_build(const key_set *ks, dense_key *dk)
{
    for (size_t k = 0; k < ks->nkeys; k++) {
        const key_column *kc = &ks->keys[k];
        const ess_key_view *view = kc->through;
        const uint32_t stride = (uint32_t)ks->strides[k];
        dk[k].source = kc->codes;
        dk[k].missing_cell = (uint32_t)kc->missing_slot * stride;
        if (view) {   /* a derived calendar part: the view's table, each entry a code or -1 */
            dk[k].base = (uint32_t)view->base;
            dk[k].len = view->len;
        } else {      /* codes -1 .. card - 2 */
            dk[k].base = UINT32_MAX;   /* (uint32_t)-1 */
            dk[k].len = (uint32_t)kc->card;
        }
        if ((dk[k].cells = ess_malloc(((size_t)dk[k].len + 1) * sizeof *dk[k].cells)) == NULL)
            return ESS_ENOMEM;
        for (uint32_t at = 0; at < dk[k].len; at++) {
            int32_t code = view ? view->to[at] : (int32_t)at - 1;
            dk[k].cells[at] = code < 0 ? dk[k].missing_cell
                                       : (uint32_t)((uint64_t)code + kc->code_offset) * stride;
        }
    }
    return ESS_OK;
}

/* Row i's cell in the dense table: composite() for the dense kernel's mixed radix. */
static inline size_t dense_cell(const dense_key *dk, size_t nkeys, size_t i)
{
    uint32_t cell = 0;
    for (size_t k = 0; k < nkeys; k++) {
        uint32_t at = (uint32_t)dk[k].source[i] - dk[k].base;
        cell += at < dk[k].len ? dk[k].cells[at] : dk[k].missing_cell;
    }
    return cell;
}

/* A slice of the rows summed into a direct-indexed table of every key combination. */
typedef struct dense_job {
    const key_set *ks;
    const dense_key *keys;    /* ks's keys as the dense kernel reads them */
    const int64_t *amount;
    size_t from, to;
    unsigned flags;
    accum acc;                /* ks->product cells (owned) */
    int status;
} dense_job;

static int run_dense(void *arg)
{
    dense_job *j = arg;
    const key_set *ks = j->ks;
    if ((j->status = accum_alloc(&j->acc, (size_t)ks->product, j->flags)) != ESS_OK)
        return 0;
    if (ks->nkeys == 1 && ks->keys[0].through == NULL && !(j->flags & ESS_AGG_MINMAX)) {
        /* the most common case, kept tight: one key, sum and count */
        const int32_t *codes = ks->keys[0].codes;
        int32_t missing = (int32_t)ks->keys[0].missing_slot, offset = (int32_t)ks->keys[0].code_offset;
        int64_t *sum = j->acc.sum, *count = j->acc.count;
        const int64_t *amount = j->amount;
        for (size_t i = j->from, to = j->to; i < to; i++) {
            int32_t c = codes[i] < 0 ? missing : codes[i] + offset;
            if (__builtin_add_overflow(sum[c], amount[i], &sum[c]) &&
                accum_wrapped(&j->acc, (size_t)c, amount[i])) {
                j->status = ESS_ENOMEM;
                return 0;
            }
            count[c]++;
        }
        return 0;
    }
    const dense_key *dk = j->keys;
    const size_t nkeys = ks->nkeys;
    if (nkeys == 2 && !(j->flags & ESS_AGG_MINMAX)) {
        /* two keys (funder by year), sum and count: the key loop unrolled, and what it reads
         * on every row held in locals.  The call the rare wrap makes may write any memory the
         * job can reach, so the compiler read the keys' fields again on every row while they
         * stayed in the job and its keys: 1.45x the time of a 2-key group-by of 1e7 rows
         * (17.4 against 12.0 ms, 2026-12-01). */
        int64_t *sum = j->acc.sum, *count = j->acc.count;
        const int64_t *amount = j->amount;
        const int32_t *src0 = dk[0].source, *src1 = dk[1].source;
        const uint32_t base0 = dk[0].base, len0 = dk[0].len, miss0 = dk[0].missing_cell;
        const uint32_t base1 = dk[1].base, len1 = dk[1].len, miss1 = dk[1].missing_cell;
        const uint32_t *cells0 = dk[0].cells, *cells1 = dk[1].cells;
        for (size_t i = j->from, to = j->to; i < to; i++) {
            uint32_t at0 = (uint32_t)src0[i] - base0, at1 = (uint32_t)src1[i] - base1;
            size_t c = (size_t)(at0 < len0 ? cells0[at0] : miss0) +
                       (at1 < len1 ? cells1[at1] : miss1);   /* dense_cell(dk, 2, i) */
            if (__builtin_add_overflow(sum[c], amount[i], &sum[c]) &&
                accum_wrapped(&j->acc, c, amount[i])) {
                j->status = ESS_ENOMEM;
                return 0;
            }
            count[c]++;
        }
        return 0;
    }
    /* any other: add_to's work, with what it reads on every row in locals, as above (the keys
     * copied: the job's own may be written by the wrap's call, for all the compiler knows;
     * 1.17x the time of a 1-key group-by with min and max of 1e7 rows, 14.2 against 12.1 ms) */
    dense_key keys[16];   /* group_dense's bound on the keys */
    memcpy(keys, dk, nkeys * sizeof *keys);
    int64_t *sum = j->acc.sum, *count = j->acc.count, *min = j->acc.min, *max = j->acc.max;
    const int64_t *amount = j->amount;
    const int minmax = (j->flags & ESS_AGG_MINMAX) != 0;
    for (size_t i = j->from, to = j->to; i < to; i++) {
        size_t c = dense_cell(keys, nkeys, i);
        int64_t v = amount[i];
        if (__builtin_add_overflow(sum[c], v, &sum[c]) && accum_wrapped(&j->acc, c, v)) {
            j->status = ESS_ENOMEM;
            return 0;
        }
        count[c]++;
        if (minmax) {
            if (v < min[c])
                min[c] = v;
            if (v > max[c])
                max[c] = v;
        }
    }
    return 0;
}

/* Every slice of the rows into its own table, merged exactly into the first; the non-empty
 * cells in index order are the groups. */
static int group_dense(const ess_ledger *l, const key_set *ks, unsigned flags, int threads,
                       ess_groups **out)
{
    dense_job jobs[8];
    dense_key keys[16];
    memset(jobs, 0, sizeof jobs);
    memset(keys, 0, sizeof keys);
    if (dense_keys_build(ks, keys) != ESS_OK) {
        for (size_t k = 0; k < ks->nkeys; k++)
            ess_free(keys[k].cells);
        return ESS_ENOMEM;
    }
    for (int t = 0; t < threads; t++) {
        jobs[t].ks = ks;
        jobs[t].keys = keys;
        jobs[t].amount = l->columns[l->amount].data;
        jobs[t].from = l->nrows * (size_t)t / (size_t)threads;
        jobs[t].to = l->nrows * (size_t)(t + 1) / (size_t)threads;
        jobs[t].flags = flags;
    }
    run_parallel(run_dense, jobs, sizeof jobs[0], threads);
    int rc = ESS_OK;
    for (int t = 0; t < threads && rc == ESS_OK; t++)
        rc = jobs[t].status;
    size_t ncells = (size_t)ks->product, n = 0;
    accum *a = &jobs[0].acc;
    for (int t = 1; t < threads && rc == ESS_OK; t++)
        for (size_t s = 0; s < ncells && rc == ESS_OK; s++) {
            if (jobs[t].acc.count[s] == 0)
                continue;
            ess_group_state into = state_at(a, s, flags), part = state_at(&jobs[t].acc, s, flags);
            rc = ess_group_state_merge(&into, &part, flags);
            if (rc == ESS_OK)
                rc = state_put(a, s, &into, flags);
        }
    if (rc == ESS_OK) {
        for (size_t s = 0; s < ncells; s++)
            n += a->count[s] != 0;
        if ((*out = groups_new(n, ks->nkeys, flags)) == NULL)
            rc = ESS_ENOMEM;
    }
    for (size_t s = 0, r = 0; rc == ESS_OK && s < ncells; s++)
        if (a->count[s]) {
            ess_group_state st = state_at(a, s, flags);
            if (st.carry != 0 && !(flags & ESS_AGG_KEEP_OVERFLOW)) {
                rc = ESS_EOVERFLOW;   /* its wraps do not cancel out: the sum is past int64 */
            } else {
                if (st.carry != 0)   /* kept, marked by its side: its count, min, max stand */
                    (*out)->overflow[r] = st.carry < 0 ? ESS_BELOW_INT64 : ESS_ABOVE_INT64;
                group_put(*out, r++, ks, s, &st, flags);
            }
        }
    for (int t = 0; t < threads; t++)
        accum_free(&jobs[t].acc);
    for (size_t k = 0; k < ks->nkeys; k++)
        ess_free(keys[k].cells);
    return rc;
}

/* ------------------------------------------------------------------ partitioned kernel */

/* Many key combinations (a million beneficiaries by twenty funders): one table of every group
 * would miss cache on every row, and a hash table per thread needed a global sort to merge.
 * Instead the rows are scattered by the top bits of their composite (radix partitions: ranges
 * of keys, so concatenating the partitions in order keeps the key order), then each partition
 * is summed in a table that fits in cache: direct-indexed by the key's low bits when the keys
 * are compact, else hashed and its groups sorted by a radix sort that stays in cache.
 * Phases, each on every thread: count rows by partition over a slice of the rows; scatter them
 * (each thread at its own positions, so a partition keeps its rows in row order and its sums do
 * not depend on the threads); sum a run of partitions, writing the groups back over their
 * rows; place them into the result. */
enum {
    PART_FANOUT_BITS = 10,    /* at most 1024 partitions: the scatter's write streams stay few */
    PART_DIRECT_BITS = 15,    /* a direct partition table: 32k slots, 512 KB of sums and counts */
    PART_DIRECT_SCAN = 16,    /* direct tables when all of them hold at most 16 slots a row */
    PART_ROWS_BITS = 13,      /* hashed: about 8k rows a partition, its table in L2 */
};

typedef struct keyed_slot {
    uint64_t key;
    size_t slot;
} keyed_slot;

typedef struct partitions {
    const key_set *ks;
    const int64_t *amount;    /* the ledger's amounts, by row */
    unsigned flags;
    unsigned shift;           /* a composite's partition: key >> shift */
    size_t nparts;
    int direct;               /* partition tables indexed by key's low shift bits */
    size_t *position;         /* threads x nparts: each thread's rows of each partition, then
                               * where it writes them (owned) */
    size_t *start;            /* nparts + 1: each partition's first scattered row (owned) */
    size_t *ngroups;          /* nparts: the groups of each partition (owned) */
    uint64_t *key;            /* nrows: composites by partition, then the groups' (owned) */
    int64_t *sum;             /* nrows: their amounts, then the groups' sums (owned) */
    int64_t *count, *min, *max;   /* nrows: the groups' (min, max under ESS_AGG_MINMAX) (owned) */
    ess_groups *g;            /* the result, filled by the last phase */
} partitions;

typedef struct part_job {
    partitions *pt;
    size_t thread;
    size_t from, to;          /* the rows it counts and scatters */
    size_t pfrom, pto;        /* the partitions it sums and places */
    size_t placed_at;         /* the result's index of the first group of pfrom */
    int status;
} part_job;

static int part_count(void *arg)
{
    part_job *j = arg;
    const partitions *pt = j->pt;
    size_t *rows = pt->position + j->thread * pt->nparts;
    for (size_t i = j->from; i < j->to; i++)
        rows[composite(pt->ks, i) >> pt->shift]++;
    return 0;
}

static int part_scatter(void *arg)
{
    part_job *j = arg;
    partitions *pt = j->pt;
    size_t *position = pt->position + j->thread * pt->nparts;
    for (size_t i = j->from; i < j->to; i++) {
        uint64_t key = composite(pt->ks, i);
        size_t at = position[key >> pt->shift]++;
        pt->key[at] = key;
        pt->sum[at] = pt->amount[i];
    }
    return 0;
}

/* Group o of the partitions' output: the state in slot s of a table, which holds the whole
 * group (a key is in one partition); ESS_EOVERFLOW when its wraps do not cancel out, unless
 * ESS_AGG_KEEP_OVERFLOW: then its count is written negated (a group counts >= 1 row), which
 * part_place reads as the mark. */
static inline int part_emit(partitions *pt, size_t o, uint64_t key, const accum *a, size_t s)
{
    int over = a->carry != NULL && a->carry[s] != 0;
    if (over && !(pt->flags & ESS_AGG_KEEP_OVERFLOW))
        return ESS_EOVERFLOW;
    pt->key[o] = key;
    /* an overflowing group's sum is meaningless: its slot carries the side instead (the wraps'
     * sign), which a negated count alone lost -- a huge negative sum was said "past +/-" */
    pt->sum[o] = !over ? a->sum[s] : a->carry[s] < 0 ? ESS_BELOW_INT64 : ESS_ABOVE_INT64;
    pt->count[o] = over ? -a->count[s] : a->count[s];
    if (pt->flags & ESS_AGG_MINMAX) {
        pt->min[o] = a->min[s];
        pt->max[o] = a->max[s];
    }
    return ESS_OK;
}

/* Rows [from, to) of partition p summed by the key's low bits; the table is empty before and
 * after (each slot cleared as it is emitted). */
static int sum_direct(partitions *pt, size_t p, size_t from, size_t to, accum *table)
{
    const uint64_t low = ((uint64_t)1 << pt->shift) - 1;
    for (size_t r = from; r < to; r++)
        if (add_to(table, (size_t)(pt->key[r] & low), pt->sum[r], pt->flags))
            return ESS_ENOMEM;
    const uint64_t base = (uint64_t)p << pt->shift;
    size_t o = from;   /* groups overwrite the rows already summed: there are no more of them */
    for (size_t s = 0; s <= low; s++)
        if (table->count[s]) {
            if (part_emit(pt, o++, base | s, table, s))
                return ESS_EOVERFLOW;
            slot_clear(table, s, pt->flags);
        }
    pt->ngroups[p] = o - from;
    return ESS_OK;
}

/* Stable LSD radix sort on the key's low `bits` bits, 8 at a time; a digit every item shares
 * moves nothing and is skipped.  The sorted items end in items. */
static void sort_by_key(keyed_slot *items, keyed_slot *spare, size_t n, unsigned bits)
{
    keyed_slot *from = items, *to = spare;
    for (unsigned shift = 0; shift < bits; shift += 8) {
        size_t count[256] = {0};
        for (size_t i = 0; i < n; i++)
            count[(from[i].key >> shift) & 255]++;
        if (count[(from[0].key >> shift) & 255] == n)
            continue;
        size_t at = 0;
        for (size_t d = 0; d < 256; d++) {
            size_t c = count[d];
            count[d] = at;
            at += c;
        }
        for (size_t i = 0; i < n; i++)
            to[count[(from[i].key >> shift) & 255]++] = from[i];
        keyed_slot *swap = from;
        from = to;
        to = swap;
    }
    if (from != items)
        memcpy(items, from, n * sizeof *items);
}

/* A thread's hash table, reused from partition to partition. */
typedef struct hashed_table {
    uint64_t *keys;           /* UINT64_MAX: empty (never a composite: they fit 63 bits or
                               * stay below product - 1) */
    accum acc;
    keyed_slot *found, *spare;   /* the groups in order of first sight, and room to sort them */
    size_t nslots, nfound_cap;
    size_t used;              /* the slots the current partition uses (a prefix): 2 x its rows */
    uint64_t seed;
} hashed_table;

static int hashed_reserve(hashed_table *h, size_t rows, unsigned flags)
{
    size_t nslots = 16;
    while (nslots < 2 * rows)
        nslots *= 2;
    h->used = nslots;
    if (nslots > h->nslots) {
        ess_free(h->keys);
        accum_free(&h->acc);
        h->nslots = 0;
        if ((h->keys = ess_malloc(nslots * sizeof *h->keys)) == NULL ||
            accum_alloc(&h->acc, nslots, flags))
            return ESS_ENOMEM;
        h->nslots = nslots;
    }
    if (rows > h->nfound_cap) {
        ess_free(h->found);
        ess_free(h->spare);
        h->nfound_cap = 0;
        h->found = ess_malloc(rows * sizeof *h->found);
        h->spare = ess_malloc(rows * sizeof *h->spare);
        if (h->found == NULL || h->spare == NULL)
            return ESS_ENOMEM;
        h->nfound_cap = rows;
    }
    return ESS_OK;
}

/* Rows [from, to) of partition p summed in a hash table, the groups sorted by key. */
static int sum_hashed(partitions *pt, size_t p, size_t from, size_t to, hashed_table *h)
{
    size_t rows = to - from, nfound = 0;
    if (hashed_reserve(h, rows, pt->flags))
        return ESS_ENOMEM;
    const size_t mask = h->used - 1;
    memset(h->keys, 0xff, h->used * sizeof *h->keys);
    for (size_t r = from; r < to; r++) {
        uint64_t key = pt->key[r];
        size_t t = (size_t)mix64(key ^ h->seed) & mask;
        while (h->keys[t] != UINT64_MAX && h->keys[t] != key)
            t = (t + 1) & mask;
        if (h->keys[t] == UINT64_MAX) {
            h->keys[t] = key;
            slot_clear(&h->acc, t, pt->flags);
            h->found[nfound].key = key;
            h->found[nfound++].slot = t;
        }
        if (add_to(&h->acc, t, pt->sum[r], pt->flags))
            return ESS_ENOMEM;
    }
    sort_by_key(h->found, h->spare, nfound, pt->shift);   /* the bits above are p's */
    for (size_t k = 0; k < nfound; k++)
        if (part_emit(pt, from + k, h->found[k].key, &h->acc, h->found[k].slot))
            return ESS_EOVERFLOW;
    pt->ngroups[p] = nfound;
    return ESS_OK;
}

static int part_sum(void *arg)
{
    part_job *j = arg;
    partitions *pt = j->pt;
    accum direct = {0};
    hashed_table hashed;
    memset(&hashed, 0, sizeof hashed);
    hashed.seed = table_seed(&hashed);
    if (pt->direct)
        j->status = accum_alloc(&direct, (size_t)1 << pt->shift, pt->flags);
    for (size_t p = j->pfrom; p < j->pto && j->status == ESS_OK; p++) {
        size_t from = pt->start[p], to = pt->start[p + 1];
        pt->ngroups[p] = 0;
        if (from < to)
            j->status = pt->direct ? sum_direct(pt, p, from, to, &direct)
                                   : sum_hashed(pt, p, from, to, &hashed);
    }
    accum_free(&direct);
    ess_free(hashed.keys);
    accum_free(&hashed.acc);
    ess_free(hashed.found);
    ess_free(hashed.spare);
    return 0;
}

static int part_place(void *arg)
{
    part_job *j = arg;
    const partitions *pt = j->pt;
    size_t r = j->placed_at;
    for (size_t p = j->pfrom; p < j->pto; p++)
        for (size_t o = pt->start[p]; o < pt->start[p] + pt->ngroups[p]; o++) {
            ess_group_state s = {pt->sum[o], pt->count[o], 0, 0, 0};
            if (pt->flags & ESS_AGG_MINMAX) {
                s.min = pt->min[o];
                s.max = pt->max[o];
            }
            if (s.count < 0) {   /* part_emit's mark: the sum does not fit, its side in sum */
                s.count = -s.count;
                pt->g->overflow[r] = s.sum < 0 ? ESS_BELOW_INT64 : ESS_ABOVE_INT64;
            }
            group_put(pt->g, r++, pt->ks, pt->key[o], &s, pt->flags);
        }
    return 0;
}

/* How many partitions, and which tables: direct ones when all of them together hold at most
 * PART_DIRECT_SCAN slots a row (scanning a slot in cache costs far less than hashing a row);
 * else hashed ones of about 2^PART_ROWS_BITS rows.  The test flags force a kernel and eight
 * partitions on any input. */
static void part_layout(partitions *pt, size_t nrows, unsigned flags)
{
    unsigned bits = pt->ks->bits, pbits;
    if (flags & (ESS_AGG_PARTITIONED_DIRECT | ESS_AGG_PARTITIONED_HASHED)) {
        pbits = bits < 3 ? bits : 3;
        pt->direct = (flags & ESS_AGG_PARTITIONED_DIRECT) && bits - pbits <= 20;
    } else if (bits <= 40 && ((uint64_t)1 << bits) / PART_DIRECT_SCAN <= (uint64_t)nrows) {
        pt->direct = 1;
        pbits = bits > PART_DIRECT_BITS ? bits - PART_DIRECT_BITS : 0;
        if (pbits > PART_FANOUT_BITS)
            pbits = PART_FANOUT_BITS;   /* larger tables rather than a scatter that thrashes */
    } else {
        pt->direct = 0;
        unsigned rows_bits = bits_for(nrows);
        pbits = rows_bits > PART_ROWS_BITS ? rows_bits - PART_ROWS_BITS : 0;
        if (pbits > PART_FANOUT_BITS)
            pbits = PART_FANOUT_BITS;
        if (pbits > bits)
            pbits = bits;
    }
    if (bits - pbits > 63)
        pbits = bits - 63;   /* a shift of 64 is undefined: the top bit is one partition's */
    pt->shift = bits - pbits;
    pt->nparts = (size_t)1 << pbits;
}

static int group_partitioned(const ess_ledger *l, key_set *ks, unsigned flags, int threads,
                             ess_groups **out)
{
    pack_keys(ks);
    partitions pt;
    memset(&pt, 0, sizeof pt);
    pt.ks = ks;
    pt.amount = l->columns[l->amount].data;
    pt.flags = flags;
    part_layout(&pt, l->nrows, flags);
    size_t n = l->nrows, nparts = pt.nparts, T = (size_t)threads;
    part_job jobs[8];
    memset(jobs, 0, sizeof jobs);
    int rc = ESS_ENOMEM;
    pt.position = ess_calloc(T * nparts, sizeof *pt.position);
    pt.start = ess_malloc((nparts + 1) * sizeof *pt.start);
    pt.ngroups = ess_calloc(nparts, sizeof *pt.ngroups);
    pt.key = ess_malloc((n + 1) * sizeof *pt.key);
    pt.sum = ess_malloc((n + 1) * sizeof *pt.sum);
    pt.count = ess_malloc((n + 1) * sizeof *pt.count);
    if (flags & ESS_AGG_MINMAX) {
        pt.min = ess_malloc((n + 1) * sizeof *pt.min);
        pt.max = ess_malloc((n + 1) * sizeof *pt.max);
    }
    if (!pt.position || !pt.start || !pt.ngroups || !pt.key || !pt.sum || !pt.count ||
        ((flags & ESS_AGG_MINMAX) && (!pt.min || !pt.max)))
        goto done;
    for (size_t t = 0; t < T; t++) {
        jobs[t].pt = &pt;
        jobs[t].thread = t;
        jobs[t].from = n * t / T;
        jobs[t].to = n * (t + 1) / T;
    }
    run_parallel(part_count, jobs, sizeof jobs[0], threads);
    /* partition-major, thread-minor: partition p holds thread 0's rows of p, then thread 1's */
    size_t at = 0;
    for (size_t p = 0; p < nparts; p++) {
        pt.start[p] = at;
        for (size_t t = 0; t < T; t++) {
            size_t rows = pt.position[t * nparts + p];
            pt.position[t * nparts + p] = at;
            at += rows;
        }
    }
    pt.start[nparts] = at;
    assert(at == n);
    run_parallel(part_scatter, jobs, sizeof jobs[0], threads);
    /* each thread sums a run of partitions holding about its share of the rows: a partition
     * goes to the thread whose share holds its middle row */
    for (size_t t = 0, p = 0; t < T; t++) {
        jobs[t].pfrom = p;
        while (p < nparts && (t + 1 == T || (pt.start[p] + pt.start[p + 1]) / 2 < n * (t + 1) / T))
            p++;
        jobs[t].pto = p;
    }
    run_parallel(part_sum, jobs, sizeof jobs[0], threads);
    rc = ESS_OK;
    for (size_t t = 0; t < T && rc == ESS_OK; t++)
        rc = jobs[t].status;
    if (rc != ESS_OK)
        goto done;
    size_t ngroups = 0;
    for (size_t t = 0; t < T; t++) {
        jobs[t].placed_at = ngroups;
        for (size_t p = jobs[t].pfrom; p < jobs[t].pto; p++)
            ngroups += pt.ngroups[p];
    }
    if ((pt.g = groups_new(ngroups, ks->nkeys, flags)) == NULL) {
        rc = ESS_ENOMEM;
        goto done;
    }
    run_parallel(part_place, jobs, sizeof jobs[0], threads);
    *out = pt.g;
done:
    ess_free(pt.position);
    ess_free(pt.start);
    ess_free(pt.ngroups);
    ess_free(pt.key);
    ess_free(pt.sum);
    ess_free(pt.count);
    ess_free(pt.min);
    ess_free(pt.max);
    return rc;
}

/* ------------------------------------------------------------------ group-by */

/* Encode the keys, then the dense kernel (few key combinations) or the partitioned one; one exit
 * frees the encoded keys.  Groups come out in ascending composite order, the same whatever the
 * kernel and the threads. */
static int group_rows(const ess_ledger *l, const ess_key *keys, size_t nkeys, unsigned flags,
                      int threads, int missing_first, ess_groups **out, ess_error *err)
{
    *out = NULL;
    if (l->amount < 0)
        return ess_error_set(err, ESS_EINVAL, 0, 0, "the ledger has no amount column");
    if (nkeys > 16)
        return ess_error_set(err, ESS_EINVAL, 0, 0, "at most 16 keys");
    key_set ks;
    memset(&ks, 0, sizeof ks);
    int forced = (flags & (ESS_AGG_PARTITIONED_DIRECT | ESS_AGG_PARTITIONED_HASHED)) != 0;
    int rc = encode_keys(l, keys, nkeys, missing_first, &ks, err);
    if (rc != ESS_OK)
        goto done;
    /* direct indexing pays when the table is small and not much sparser than the rows */
    int dense = !forced && ks.product <= DENSE_MAX && ks.product <= 2 * (uint64_t)l->nrows + 65536;
    threads = threads < 1 ? 1 : threads > 8 ? 8 : threads;
    if (l->nrows < (1u << 18) && !forced)
        threads = 1;   /* below ~250k rows a thread costs more than it saves */
    /* the kernels always keep an overflowing group, marked by its side: a refusal then says
     * which end the sum left int64 cents by, as a ledger's total does (the kernels' own
     * ESS_EOVERFLOW knew no side: a huge negative sum was said "past +/-") */
    rc = dense ? group_dense(l, &ks, flags | ESS_AGG_KEEP_OVERFLOW, threads, out)
               : group_partitioned(l, &ks, flags | ESS_AGG_KEEP_OVERFLOW, threads, out);
    if (rc != ESS_OK) {
        ess_error_set(err, rc, 0, 0, "out of memory grouping the ledger");
        goto done;
    }
    ess_groups *g = *out;
    g->dense = dense;
    g->threads = threads;
    int side = 0;   /* the first overflowing group's, in key order */
    for (size_t r = 0; r < g->ngroups; r++) {
        g->noverflow += g->overflow[r] != 0;
        if (side == 0)
            side = g->overflow[r];
    }
    if (!(flags & ESS_AGG_KEEP_OVERFLOW)) {
        if (g->noverflow) {
            ess_groups_free(g);
            *out = NULL;
            rc = ess_error_set(err, ESS_EOVERFLOW, 0, 0, "a group's sum does not fit int64 cents");
            if (err != NULL) {
                err->detail = ESS_OVERFLOW_GROUP_SUM;
                err->detail_n = side;
            }
            goto done;
        }
        ess_free(g->overflow);   /* not asked for: the groups read as they did without it */
        g->overflow = NULL;
        g->noverflow = 0;
    }
    for (size_t k = 0; k < nkeys; k++) {
        g->key_values[k] = ks.keys[k].values;   /* moved: NULL for labels */
        g->nkey_values[k] = ks.keys[k].nvalues;
        ks.keys[k].values = NULL;
        g->key_labels[k] = ks.keys[k].derived.labels;   /* moved: empty but for calendar parts */
        memset(&ks.keys[k].derived.labels, 0, sizeof(ess_dict));
    }
#ifndef NDEBUG
    int64_t grouped = 0;   /* every row lands in exactly one group */
    for (size_t r = 0; r < g->ngroups; r++)
        grouped += g->count[r];
    assert(grouped == (int64_t)l->nrows);
#endif
done:
    for (size_t k = 0; k < nkeys && k < 16; k++) {
        ess_free(ks.keys[k].owned);
        ess_free(ks.keys[k].values);
        ess_key_view_free(&ks.keys[k].derived);
    }
    return rc;
}

int ess_ledger_group_by_keys(const ess_ledger *l, const ess_key *keys, size_t nkeys,
                             unsigned flags, int threads, ess_groups **out, ess_error *err)
{
    return group_rows(l, keys, nkeys, flags, threads, 0, out, err);
}

/* Columns as they are: the keys of ess_ledger_group_by's callers by column index. */
static size_t column_keys(const int *columns, size_t n, ess_key *keys)
{
    for (size_t k = 0; k < n && k < 16; k++) {
        ess_key key = {columns[k], ESS_PART_COPY, ESS_SIDE_DATE, NULL};
        keys[k] = key;
    }
    return n;
}

int ess_ledger_group_by(const ess_ledger *l, const int *key_cols, size_t nkeys, unsigned flags,
                        int threads, ess_groups **out, ess_error *err)
{
    ess_key keys[16];
    if (nkeys > 16) {
        *out = NULL;
        return ess_error_set(err, ESS_EINVAL, 0, 0, "at most 16 keys");
    }
    return group_rows(l, keys, column_keys(key_cols, nkeys, keys), flags, threads, 0, out, err);
}

/* What key k's codes stand for: its column's labels, or a derived calendar part's. */
static const ess_dict *key_labels(const ess_ledger *l, const ess_key *key, const ess_groups *g,
                                  size_t k)
{
    return key->part == ESS_PART_COPY ? &l->columns[key->column].dict : &g->key_labels[k];
}

/* ------------------------------------------------------------------ pivot as a plan */

#define MISSING_TEXT "(missing)"   /* a missing key's line or funder in a pivot */

/* The text a key code stands for, written into buf. */
static const char *key_text(const ess_ledger *l, const ess_key *key, const ess_groups *g, size_t k,
                            int32_t code, char *buf, size_t cap)
{
    int kind = ess_key_kind(l, key);
    if (code < 0)
        return MISSING_TEXT;
    if (kind == ESS_COL_LABEL)
        return ess_dict_string(key_labels(l, key, g, k), code);
    int64_t v = g->key_values[k][code];
    if (kind == ESS_COL_DATE) {
        ess_date d = ess_date_from_days((int32_t)v);
        snprintf(buf, cap, "%04d-%02d-%02d", d.year, d.month, d.day);
    } else {
        snprintf(buf, cap, "%lld", (long long)v);
    }
    return buf;
}

/* Whether key k of the groups has a label written as the missing key's text beside missing
 * codes: a pivot keys its lines and funders by their text, so the two would be one line. */
static int missing_text_is_ambiguous(const ess_ledger *l, const ess_key *key,
                                     const ess_groups *g, size_t k, size_t nkeys)
{
    if (ess_key_kind(l, key) != ESS_COL_LABEL ||
        ess_dict_find(key_labels(l, key, g, k), MISSING_TEXT, strlen(MISSING_TEXT)) < 0)
        return 0;
    for (size_t r = 0; r < g->ngroups; r++)
        if (g->keys[r * nkeys + k] < 0)
            return 1;
    return 0;
}

/* The code of a label some group of key k holds with a NUL character inside, -1 when none: a
 * plan's lines and funders are C strings, so "Oise\0x" and "Oise\0y" became two lines "Oise"
 * whose sums by_line() then merged. */
static int32_t label_with_nul(const ess_ledger *l, const ess_key *key, const ess_groups *g,
                              size_t k, size_t nkeys)
{
    if (ess_key_kind(l, key) != ESS_COL_LABEL)
        return -1;
    const ess_dict *d = key_labels(l, key, g, k);
    for (size_t r = 0; r < g->ngroups; r++) {
        int32_t code = g->keys[r * nkeys + k];
        if (code >= 0 && memchr(ess_dict_string(d, code), '\0', d->lengths[code]) != NULL)
            return code;
    }
    return -1;
}

/* Lines are the distinct (group, row) pairs and funders the distinct column codes, both in code
 * order with "(missing)" first (the plan reads in dictionary order).  The group-by runs on the
 * keys reversed (column, row, group) with missing slots first, so its groups already come in
 * line order: one pass places them, whatever the number of row labels (a pivot of 160 000 of
 * them once took 16 s with linear searches, then a sort of the groups). */
int ess_ledger_pivot_keys(const ess_ledger *l, const ess_key *group_key, const ess_key *row_key,
                          const ess_key *col_key, int threads, ess_plan **out, ess_error *err)
{
    *out = NULL;
    ess_key keys[3];
    size_t nkeys = 0;
    keys[nkeys++] = *col_key;
    keys[nkeys++] = *row_key;
    if (group_key != NULL)
        keys[nkeys++] = *group_key;
    enum { COL, ROW, GROUP };   /* a group's key codes, by their place in keys */
    ess_groups *g = NULL;
    int rc = group_rows(l, keys, nkeys, 0, threads, 1, &g, err);
    if (rc)
        return rc;
    for (size_t k = 0; k < nkeys; k++)
        if (missing_text_is_ambiguous(l, &keys[k], g, k, nkeys)) {
            ess_groups_free(g);
            return ess_error_set(err, ESS_EINVAL, 0, 0,
                                 "the column %.60s has both missing values and the label "
                                 "'" MISSING_TEXT "', which a pivot would show as one line: "
                                 "relabel one of them first", ess_key_name(l, &keys[k]));
        }
    for (size_t k = 0; k < nkeys; k++) {
        int32_t code = label_with_nul(l, &keys[k], g, k, nkeys);
        if (code >= 0) {
            /* refused, never cut: the label is named up to its NUL */
            const char *label = ess_dict_string(key_labels(l, &keys[k], g, k), code);
            ess_error_set(err, ESS_EINVAL, 0, 0,
                          "the column %.60s holds the label '%.60s\\0...' with a NUL character "
                          "inside, which a pivot's lines and funders cannot hold (it would be cut "
                          "there, two labels made one): relabel it first",
                          ess_key_name(l, &keys[k]), label);
            ess_groups_free(g);
            return ESS_EINVAL;
        }
    }
    size_t N = g->ngroups, G = 0, L = 0, F = 0;
    /* funder_column[code + 1]: the plan column of a column code, -1 when no group has it */
    size_t ncodes = ess_key_kind(l, col_key) == ESS_COL_LABEL
                        ? key_labels(l, col_key, g, COL)->count : g->nkey_values[COL];
    int32_t *funder_column = ess_malloc((ncodes + 1) * sizeof *funder_column);
    ess_plan *p = NULL;
    char buf[64];
    if (funder_column == NULL)
        goto nomem;
    memset(funder_column, 0xff, (ncodes + 1) * sizeof *funder_column);
    for (size_t r = 0; r < N; r++)
        funder_column[g->keys[r * nkeys + COL] + 1] = 0;
    for (size_t c = 0; c < ncodes + 1; c++)
        if (funder_column[c] == 0)
            funder_column[c] = (int32_t)F++;
    for (size_t r = 0; r < N; r++) {
        const int32_t *k = &g->keys[r * nkeys], *prev = r ? k - nkeys : k;
        int new_group = group_key != NULL && (r == 0 || k[GROUP] != prev[GROUP]);
        L += r == 0 || new_group || k[ROW] != prev[ROW];
        G += new_group;
    }
    p = ess_calloc(1, sizeof *p);
    if (p == NULL)
        goto nomem;
    p->unit = ESS_UNIT_EUR;
    p->nlines = L;
    p->nfunders = F;
    p->ngroups = G;
    if (F && L > (SIZE_MAX / sizeof(ess_plan_cell) - 1) / F)
        goto nomem;
    p->line_labels = ess_calloc(L + 1, sizeof(char *));
    p->funder_labels = ess_calloc(F + 1, sizeof(char *));
    p->group_labels = ess_calloc(G + 1, sizeof(char *));
    p->line_group = ess_calloc(L + 1, sizeof(int32_t));
    p->cells = ess_calloc(L * F + 1, sizeof(ess_plan_cell));
    p->line_totals = ess_calloc(L + 1, sizeof(ess_plan_cell));
    p->funder_totals = ess_calloc(F + 1, sizeof(ess_plan_cell));
    p->corner = ess_strndup("en \xe2\x82\xac", 6);
    p->title = ess_strndup("", 0);
    if (!p->line_labels || !p->funder_labels || !p->group_labels || !p->line_group ||
        !p->cells || !p->line_totals || !p->funder_totals || !p->corner || !p->title)
        goto nomem;
    for (size_t c = 0; c < ncodes + 1; c++)
        if (funder_column[c] >= 0) {
            const char *t = key_text(l, col_key, g, COL, (int32_t)c - 1, buf, sizeof buf);
            if ((p->funder_labels[funder_column[c]] = ess_strndup(t, strlen(t))) == NULL)
                goto nomem;
        }
    /* one pass over the groups: a new (group, row) opens a line, a new group a group */
    size_t line = 0, group = 0;
    for (size_t r = 0; r < N; r++) {
        const int32_t *k = &g->keys[r * nkeys], *prev = r ? k - nkeys : k;
        int new_group = group_key != NULL && (r == 0 || k[GROUP] != prev[GROUP]);
        int new_line = r == 0 || new_group || k[ROW] != prev[ROW];
        if (r > 0) {
            line += new_line;
            group += new_group;
        }
        if (new_line) {
            const char *t = key_text(l, row_key, g, ROW, k[ROW], buf, sizeof buf);
            if ((p->line_labels[line] = ess_strndup(t, strlen(t))) == NULL)
                goto nomem;
            p->line_group[line] = group_key != NULL ? (int32_t)group : -1;
        }
        if (new_group) {
            const char *t = key_text(l, group_key, g, GROUP, k[GROUP], buf, sizeof buf);
            if ((p->group_labels[group] = ess_strndup(t, strlen(t))) == NULL)
                goto nomem;
        }
        ess_plan_cell *c = &p->cells[line * F + (size_t)funder_column[k[COL] + 1]];
        c->state = ESS_CELL_VALUE;
        c->cents = g->sum[r];
        ess_money_format(c->cents, ESS_UNIT_EUR, " ", ',',
                         ess_money_shown_decimals(c->cents, ESS_UNIT_EUR), buf, sizeof buf);
        if ((c->raw = ess_strndup(buf, strlen(buf))) == NULL)
            goto nomem;
    }
    ess_free(funder_column);
    ess_groups_free(g);
    *out = p;
    return ESS_OK;
nomem:
    ess_free(funder_column);
    ess_groups_free(g);
    ess_plan_free(p);
    return ess_error_set(err, ESS_ENOMEM, 0, 0, "out of memory building the pivot");
}

int ess_ledger_pivot(const ess_ledger *l, int group_key, int row_key, int col_key, int threads,
                     ess_plan **out, ess_error *err)
{
    ess_key keys[3];
    int columns[3] = {group_key, row_key, col_key};
    column_keys(columns, 3, keys);
    return ess_ledger_pivot_keys(l, group_key >= 0 ? &keys[0] : NULL, &keys[1], &keys[2], threads,
                                 out, err);
}

/* ------------------------------------------------------------------ measures */

static int64_t measure_sum(const ess_group_state *s) { return s->sum; }
static int64_t measure_count(const ess_group_state *s) { return s->count; }
static int64_t measure_min(const ess_group_state *s) { return s->min; }
static int64_t measure_max(const ess_group_state *s) { return s->max; }

/* The mean in cents: the exact sum divided by the count, rounded half to even (banker's
 * rounding, the Decimal default: 0.5 cent goes to the even cent, so rounding errors do not
 * drift one way over many groups).  It cannot overflow: |mean| <= |sum|.  Computed from the
 * state, never accumulated, so it merges exactly through its sum and count. */
static int64_t measure_mean(const ess_group_state *s)
{
    assert(s->count > 0);   /* a group holds at least one row */
    int64_t q = s->sum / s->count, r = s->sum % s->count;   /* truncated toward zero */
    uint64_t twice = 2 * (uint64_t)(r < 0 ? -r : r);         /* |r| < count: no overflow */
    if (twice > (uint64_t)s->count || (twice == (uint64_t)s->count && (q & 1)))
        q += s->sum < 0 ? -1 : 1;
    return q;
}

const ess_measure ess_measures[] = {
    {"sum", ESS_COL_AMOUNT, 0, 1, measure_sum},
    {"count", ESS_COL_INT, 0, 0, measure_count},
    {"mean", ESS_COL_AMOUNT, 0, 1, measure_mean},
    {"min", ESS_COL_AMOUNT, ESS_AGG_MINMAX, 0, measure_min},
    {"max", ESS_COL_AMOUNT, ESS_AGG_MINMAX, 0, measure_max},
};
const size_t ess_nmeasures = sizeof ess_measures / sizeof ess_measures[0];

int ess_group_state_merge(ess_group_state *a, const ess_group_state *b, unsigned flags)
{
    ess_add_counting_wraps(&a->sum, b->sum, &a->carry);
    a->carry += b->carry;
    a->count += b->count;
    if (flags & ESS_AGG_MINMAX) {
        if (b->min < a->min)
            a->min = b->min;
        if (b->max > a->max)
            a->max = b->max;
    }
    return ESS_OK;
}

static int is_measure_name(const char *name)
{
    for (size_t m = 0; m < ess_nmeasures; m++)
        if (!strcmp(name, ess_measures[m].name))
            return 1;
    return 0;
}

/* The aggregate's rows go through the ledger's builder (stage every column, then commit), as
 * every source of values does; the key dictionaries are copied whole so codes keep meaning. */
int ess_groups_to_ledger_keys(const ess_ledger *src, const ess_key *keys, const ess_groups *g,
                              ess_ledger **out, ess_error *err)
{
    *out = NULL;
    unsigned computed = g->min ? ESS_AGG_MINMAX : 0;
    size_t n = g->ngroups;
    int rc = ESS_ENOMEM;
    ess_ledger *a = ess_ledger_new();
    if (a == NULL)
        goto fail;
    for (size_t k = 0; k < g->nkeys; k++) {
        const char *name = ess_key_name(src, &keys[k]);
        int kind = ess_key_kind(src, &keys[k]);
        int added = ess_ledger_add_column(a, name, kind);
        if (added == -1 || is_measure_name(name)) {
            ess_ledger_free(a);
            return ess_error_set(err, ESS_EINVAL, 0, 0,
                                 "the key '%.60s' is named like a measure (sum, count, mean, "
                                 "min, max) or given twice: rename it", name);
        }
        if (added < 0 || (kind == ESS_COL_LABEL &&
                          ess_dict_copy(&a->columns[k].dict, key_labels(src, &keys[k], g, k))))
            goto fail;
        /* a key of days keeps the order its 08/09/2017 were read in (a date column's, or a
         * label column's of periods), as a filter of the aggregate reads its 04/03/2017 */
        if (kind == ESS_COL_DATE)
            a->columns[k].date_order = (char)ess_key_date_order(src, &keys[k]);
    }
    /* a group whose sum does not fit (kept under ESS_AGG_KEEP_OVERFLOW): no measure of the sum
     * is written, so none can be read or exported wrong */
#define MEASURE_WRITTEN(m) ((ess_measures[m].needs & ~computed) == 0 && \
                            !(ess_measures[m].of_sum && g->noverflow))
    for (size_t m = 0; m < ess_nmeasures; m++)
        if (MEASURE_WRITTEN(m) &&
            ess_ledger_add_column(a, ess_measures[m].name, ess_measures[m].kind) < 0)
            goto fail;
    for (size_t k = 0; k < g->nkeys; k++) {
        void *room = ess_ledger_stage_room(a, k, n, err);
        if (room == NULL) {
            rc = err ? err->status : ESS_ENOMEM;
            goto fail;
        }
        const int32_t *codes = g->keys + k;   /* every nkeys-th: the groups' codes of key k */
        int kind = ess_key_kind(src, &keys[k]);
        for (size_t r = 0; r < n; r++) {
            int32_t code = codes[r * g->nkeys];
            if (kind == ESS_COL_LABEL)
                ((int32_t *)room)[r] = code;
            else if (kind == ESS_COL_DATE)
                ((int32_t *)room)[r] = code < 0 ? ESS_DATE_MISSING : (int32_t)g->key_values[k][code];
            else
                ((int64_t *)room)[r] = code < 0 ? ESS_INT_MISSING : g->key_values[k][code];
        }
    }
    for (size_t m = 0, col = g->nkeys; m < ess_nmeasures; m++) {
        if (!MEASURE_WRITTEN(m))
            continue;
        int64_t *room = ess_ledger_stage_room(a, col++, n, err);
        if (room == NULL) {
            rc = err ? err->status : ESS_ENOMEM;
            goto fail;
        }
        for (size_t r = 0; r < n; r++) {
            ess_group_state state = {g->sum[r], g->count[r], g->min ? g->min[r] : 0,
                                     g->max ? g->max[r] : 0, 0};
            room[r] = ess_measures[m].value(&state);
        }
    }
#undef MEASURE_WRITTEN
    if ((rc = ess_ledger_commit_rows(a, n, err)) != ESS_OK)
        goto fail;
    *out = a;
    return ESS_OK;
fail:
    ess_ledger_free(a);
    return rc == ESS_ENOMEM ? ess_error_set(err, ESS_ENOMEM, 0, 0, "out of memory") : rc;
}

int ess_groups_to_ledger(const ess_ledger *src, const int *keys, const ess_groups *g,
                         ess_ledger **out, ess_error *err)
{
    ess_key columns[16];
    if (g->nkeys > 16) {
        *out = NULL;
        return ess_error_set(err, ESS_EINVAL, 0, 0, "at most 16 keys");
    }
    column_keys(keys, g->nkeys, columns);
    return ess_groups_to_ledger_keys(src, columns, g, out, err);
}
