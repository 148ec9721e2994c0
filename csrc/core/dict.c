/*
 * dict.c -- the label dictionary: strings interned to int32 codes in order of first sight.
 *
 * Layer: base (calls error.c only).  Workload: millions of labels of a few thousand distinct
 * values (funders, territories, lines) interned while a file is read, so a find is one hash and
 * a probe or two, and every string lives in one arena (no allocation per label).
 *
 * Files of a million distinct names are read in chunks, each with a dictionary of its own merged
 * into the result (ess_dict_merge: once per distinct label, with the hash the chunk computed);
 * a group-by copies its keys' dictionaries whole (ess_dict_copy: arrays, not labels).
 *
 * Invariants: codes are 0..count-1 in order of first sight and never change; slots is a power
 * of two kept at most half full, so a probe always ends on an empty slot.
 */
#include "internal.h"

#include <assert.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

static inline int same_bytes(const char *a, const char *b, size_t n)
{
    /* labels are short: a loop beats a call to memcmp */
    for (size_t k = 0; k < n; k++)
        if (a[k] != b[k])
            return 0;
    return 1;
}

static uint64_t hash_bytes(const char *s, size_t n)
{
    /* eight bytes at a time, multiplied and folded: labels are short, and this is on the
     * path of every label cell of every file */
    uint64_t h = 0x9E3779B97F4A7C15ULL ^ (uint64_t)n;
    while (n >= 8) {
        uint64_t w;
        memcpy(&w, s, 8);
        h = (h ^ w) * 0xff51afd7ed558ccdULL;
        h ^= h >> 32;
        s += 8;
        n -= 8;
    }
    if (n) {
        uint64_t w = 0;   /* the tail, byte by byte: a variable-length memcpy costs more */
        for (size_t k = 0; k < n; k++)
            w |= (uint64_t)(unsigned char)s[k] << (8 * k);
        h = (h ^ w) * 0xc4ceb9fe1a85ec53ULL;
    }
    h ^= h >> 33;
    h *= 0xff51afd7ed558ccdULL;
    h ^= h >> 33;
    return h;
}

void ess_dict_clear(ess_dict *d)
{
    ess_free(d->arena);
    ess_free(d->offsets);
    ess_free(d->lengths);
    ess_free(d->hashes);
    ess_free(d->slots);
    memset(d, 0, sizeof *d);
}

static int dict_rehash(ess_dict *d, size_t nslots)
{
    assert((nslots & (nslots - 1)) == 0 && d->count * 2 < nslots);
    int32_t *slots = ess_malloc(nslots * sizeof *slots);
    if (slots == NULL)
        return ESS_ENOMEM;
    memset(slots, 0xff, nslots * sizeof *slots);
    for (size_t k = 0; k < d->count; k++) {
        size_t i = d->hashes[k] & (nslots - 1);
        while (slots[i] >= 0)
            i = (i + 1) & (nslots - 1);
        slots[i] = (int32_t)k;
    }
    ess_free(d->slots);
    d->slots = slots;
    d->nslots = nslots;
    return ESS_OK;
}

/* The code of text with hash h, or -1: the one probe loop of the dictionary. */
static int32_t dict_probe(const ess_dict *d, const char *text, size_t len, uint64_t h)
{
    if (d->nslots == 0)
        return -1;
    size_t i = h & (d->nslots - 1);
    while (d->slots[i] >= 0) {
        int32_t k = d->slots[i];
        if (d->hashes[k] == h && d->lengths[k] == len &&
            same_bytes(d->arena + d->offsets[k], text, len))
            return k;
        i = (i + 1) & (d->nslots - 1);
    }
    return -1;
}

int32_t ess_dict_find(const ess_dict *d, const char *text, size_t len)
{
    return dict_probe(d, text, len, hash_bytes(text, len));
}

int32_t ess_dict_intern(ess_dict *d, const char *text, size_t len)
{
    return ess_dict_intern_hashed(d, text, len, hash_bytes(text, len));
}

int32_t ess_dict_intern_hashed(ess_dict *d, const char *text, size_t len, uint64_t h)
{
    int32_t found = dict_probe(d, text, len, h);
    if (found >= 0)
        return found;
    if (d->count >= (size_t)INT32_MAX || len > UINT32_MAX)
        return -1;
    if (d->count == d->cap) {
        size_t cap = d->cap ? d->cap * 2 : 64;
        size_t *o = ess_realloc(d->offsets, cap * sizeof *o);
        if (o == NULL)
            return -1;
        d->offsets = o;
        uint32_t *ln = ess_realloc(d->lengths, cap * sizeof *ln);
        if (ln == NULL)
            return -1;
        d->lengths = ln;
        uint64_t *hs = ess_realloc(d->hashes, cap * sizeof *hs);
        if (hs == NULL)
            return -1;
        d->hashes = hs;
        d->cap = cap;
    }
    if (d->arena_len + len + 1 > d->arena_cap) {
        size_t cap = d->arena_cap ? d->arena_cap : 1024;
        while (cap < d->arena_len + len + 1)
            cap *= 2;
        char *a = ess_realloc(d->arena, cap);
        if (a == NULL)
            return -1;
        d->arena = a;
        d->arena_cap = cap;
    }
    if ((d->count + 1) * 2 > d->nslots && dict_rehash(d, d->nslots ? d->nslots * 2 : 128))
        return -1;
    int32_t k = (int32_t)d->count;
    memcpy(d->arena + d->arena_len, text, len);
    d->arena[d->arena_len + len] = '\0';
    d->offsets[k] = d->arena_len;
    d->lengths[k] = (uint32_t)len;
    d->hashes[k] = h;
    d->arena_len += len + 1;
    d->count++;
    size_t i = h & (d->nslots - 1);
    while (d->slots[i] >= 0)
        i = (i + 1) & (d->nslots - 1);
    d->slots[i] = k;
    assert((d->nslots & (d->nslots - 1)) == 0 && d->count * 2 <= d->nslots);
    return k;
}

const char *ess_dict_string(const ess_dict *d, int32_t code)
{
    if (code < 0 || (size_t)code >= d->count)
        return NULL;
    return d->arena + d->offsets[code];
}

/* Room for `more` labels of `more_bytes` bytes in all (NULs not counted) past those held, so
 * that interning them moves no array and never rehashes: a merge of a chunk's dictionary sizes
 * the result once from the chunk's counts. */
int ess_dict_reserve(ess_dict *d, size_t more, size_t more_bytes)
{
    if (more == 0)
        return ESS_OK;
    size_t total = d->count + more;
    if (total > (size_t)INT32_MAX)
        total = (size_t)INT32_MAX;   /* past it, intern refuses anyway */
    if (total > d->cap) {
        /* geometric: merge after merge stays linear */
        size_t want = total > d->cap * 2 ? total : d->cap * 2;
        size_t *o = ess_realloc(d->offsets, want * sizeof *o);
        if (o == NULL)
            return ESS_ENOMEM;
        d->offsets = o;
        uint32_t *ln = ess_realloc(d->lengths, want * sizeof *ln);
        if (ln == NULL)
            return ESS_ENOMEM;
        d->lengths = ln;
        uint64_t *hs = ess_realloc(d->hashes, want * sizeof *hs);
        if (hs == NULL)
            return ESS_ENOMEM;
        d->hashes = hs;
        d->cap = want;
    }
    size_t bytes = d->arena_len + more_bytes + more;
    if (bytes > d->arena_cap) {
        if (bytes < d->arena_cap * 2)
            bytes = d->arena_cap * 2;
        char *a = ess_realloc(d->arena, bytes);
        if (a == NULL)
            return ESS_ENOMEM;
        d->arena = a;
        d->arena_cap = bytes;
    }
    size_t nslots = d->nslots ? d->nslots : 128;
    while (nslots < 2 * total + 2)   /* intern keeps (count + 1) * 2 <= nslots */
        nslots *= 2;
    return nslots > d->nslots ? dict_rehash(d, nslots) : ESS_OK;
}

#if defined(__GNUC__) || defined(__clang__)
#define PREFETCH(p) __builtin_prefetch(p)
#else
#define PREFETCH(p) ((void)(p))
#endif

/* How far ahead a merge touches the slot, the label's entry, then its text, of the labels it
 * will look up (each stage reads what the one before fetched): far enough for a miss to main
 * memory to land first, near enough for the lines to stay cached. */
enum { AHEAD_SLOT = 16, AHEAD_LABEL = 8, AHEAD_TEXT = 4 };

int ess_dict_merge(ess_dict *into, const ess_dict *from, int32_t *recode)
{
    assert(into != from);
    if (ess_dict_reserve(into, from->count, from->arena_len - from->count))
        return ESS_ENOMEM;
    /* every hash is known before the first look-up: a batch whose misses on a large table (a
     * million names) are fetched in parallel ahead of the probes instead of one after another.
     * The table does not move from here on (reserved), and a prefetch is only a hint, so a slot
     * filled by a label interned in between makes no look-up wrong, just its hint stale. */
    size_t mask = into->nslots - 1;
    for (size_t k = 0; k < from->count; k++) {
        if (k + AHEAD_SLOT < from->count)
            PREFETCH(&into->slots[from->hashes[k + AHEAD_SLOT] & mask]);
        if (k + AHEAD_LABEL < from->count) {
            int32_t seen = into->slots[from->hashes[k + AHEAD_LABEL] & mask];
            if (seen >= 0) {
                PREFETCH(&into->hashes[seen]);
                PREFETCH(&into->lengths[seen]);
                PREFETCH(&into->offsets[seen]);
            }
        }
        if (k + AHEAD_TEXT < from->count) {
            int32_t seen = into->slots[from->hashes[k + AHEAD_TEXT] & mask];
            if (seen >= 0)
                PREFETCH(into->arena + into->offsets[seen]);
        }
        recode[k] = ess_dict_intern_hashed(into, from->arena + from->offsets[k], from->lengths[k],
                                           from->hashes[k]);
        if (recode[k] < 0)
            return ESS_ENOMEM;
    }
    return ESS_OK;
}

/* The arrays copied whole: same hash function, same table size, so the slots stay valid and
 * nothing is hashed or probed again (a group-by copies each key's dictionary into its result). */
int ess_dict_copy(ess_dict *dst, const ess_dict *src)
{
    memset(dst, 0, sizeof *dst);
    if (src->count == 0)
        return ESS_OK;
    dst->offsets = ess_malloc(src->count * sizeof *dst->offsets);
    dst->lengths = ess_malloc(src->count * sizeof *dst->lengths);
    dst->hashes = ess_malloc(src->count * sizeof *dst->hashes);
    dst->arena = ess_malloc(src->arena_len);
    dst->slots = ess_malloc(src->nslots * sizeof *dst->slots);
    if (dst->offsets == NULL || dst->lengths == NULL || dst->hashes == NULL ||
        dst->arena == NULL || dst->slots == NULL) {
        ess_dict_clear(dst);
        return ESS_ENOMEM;
    }
    memcpy(dst->offsets, src->offsets, src->count * sizeof *dst->offsets);
    memcpy(dst->lengths, src->lengths, src->count * sizeof *dst->lengths);
    memcpy(dst->hashes, src->hashes, src->count * sizeof *dst->hashes);
    memcpy(dst->arena, src->arena, src->arena_len);
    memcpy(dst->slots, src->slots, src->nslots * sizeof *dst->slots);
    dst->count = dst->cap = src->count;
    dst->arena_len = dst->arena_cap = src->arena_len;
    dst->nslots = src->nslots;
    return ESS_OK;
}
