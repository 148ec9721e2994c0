/*
 * dict.c -- the label dictionary: strings interned to int32 codes in order of first sight.
 *
 * Layer: base (calls error.c only).  Workload: millions of labels of a few thousand distinct
 * values (funders, territories, lines: a few bytes each, the table in L1) interned while a file is
 * read, so a find is one hash and a probe or two, and every string lives in one arena (no
 * allocation per label); and files of a million distinct names, where the table is far bigger
 * than the caches and every look-up misses.  So a slot holds what decides a look-up: a hash tag
 * (a slot of another label is passed over without reading anything else), the label itself when
 * it is at most 8 bytes (such a label is found or not from its slot alone, compared as one
 * word), else where it lies in the arena (a found long label costs its slot's line and its text's).
 *
 * Files of a million distinct names are read in chunks, each with a dictionary of its own merged
 * into the result (ess_dict_merge: once per distinct label, with the hash the chunk computed);
 * a group-by copies its keys' dictionaries whole (ess_dict_copy: arrays, not labels).
 *
 * The hash is seeded with a value chosen once per process (where the loader put this library and
 * the stack, and the time): a file cannot be written in advance whose labels all share a slot.
 * Every dictionary of a process has that seed, so a merge reuses the hashes its source holds.
 *
 * A chunk's column of nearly all new labels (a million names: each chunk sees most of its names
 * once) stops indexing (ess_dict_append_unindexed): its later labels are appended, repeats
 * included, and only the merge reads it, looking each one up in the result.
 *
 * Invariants: codes are 0..count-1 in order of first sight and never change (unindexed: labels
 * past the table's in the order they came, repeats kept, none in the table); slots is a power
 * of two kept at most three quarters full (ess_dict_fits), so a probe always ends on an empty
 * slot; a slot's key and tag are its code's label's (key_of, dict_tag); hashes[k] is label k's
 * hash under seed.
 */
#include "dict_probe.h"

#include <assert.h>
#include <stdatomic.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

/* The process's seed: odd (so never DICT_SEED_NONE), chosen by the first dictionary needing one. */
static uint64_t process_seed(void)
{
    static _Atomic uint64_t chosen = DICT_SEED_NONE;
    uint64_t seed = atomic_load_explicit(&chosen, memory_order_acquire);
    if (seed != DICT_SEED_NONE)
        return seed;
    struct timespec now = {0, 0};
    (void)timespec_get(&now, TIME_UTC);
    /* where the loader put this library and the stack (randomised), and when */
    seed = dict_mum((uint64_t)(uintptr_t)&chosen ^ DICT_MIX0,
                    (uint64_t)(uintptr_t)&now ^ DICT_MIX2) ^
           dict_mum((uint64_t)now.tv_sec ^ DICT_MIX1, (uint64_t)now.tv_nsec ^ DICT_MIX0);
    seed |= 1;
    uint64_t none = DICT_SEED_NONE;
    if (!atomic_compare_exchange_strong(&chosen, &none, seed))
        seed = none;   /* another thread chose first: every dictionary keeps one seed */
    return seed;
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

/* Every label forgotten, the arrays and table kept at their size (a chunk's ledger read again:
 * its memory is already the process's, no page of it faults a second time). */
void ess_dict_forget(ess_dict *d)
{
    if (d->slots != NULL)
        memset(d->slots, 0xff, d->nslots * sizeof *d->slots);   /* code -1 everywhere */
    d->count = 0;
    d->arena_len = 0;
    d->unindexed = 0;
}

static inline uint64_t key_of(const ess_dict *d, size_t k)
{
    return d->lengths[k] <= 8 ? dict_short_word(d->arena + d->offsets[k], d->lengths[k])
                              : (uint64_t)d->offsets[k];
}

#if (defined(__GNUC__) || defined(__clang__)) && (defined(__x86_64__) || defined(__i386__))
/* The instruction itself, not __builtin_prefetch: GCC 12's dead-code pass deleted the builtin in
 * prefetch_text (its address comes from loads used for nothing else), so a merge fetched no text
 * ahead at all; an asm volatile stays where it is written.  A merge of a million names' chunk
 * dictionaries then measured 1.6-1.8x faster (40-52 ns a look-up, 23-35 with the text fetched). */
#define PREFETCH(p) __asm__ volatile("prefetcht0 %0" : : "m"(*(const char *)(p)))
#define PREFETCH_WRITE(p) __builtin_prefetch(p, 1)
#elif defined(__GNUC__) || defined(__clang__)
#define PREFETCH(p) __builtin_prefetch(p)
#define PREFETCH_WRITE(p) __builtin_prefetch(p, 1)
#else
#define PREFETCH(p) ((void)(p))
#define PREFETCH_WRITE(p) ((void)(p))
#endif

/* How far ahead a merge touches the slot, then the text, of the labels it will look up (the
 * second stage reads the slot the first fetched), and a rehash the slot it will fill: far enough
 * for a miss to main memory to land first, near enough for the lines to stay cached.  At 32/16
 * the text stage still waited on its slot (perf: a quarter of the merge's samples there); the
 * 1e7-row names file read in turns, quiet, best of 2 reads in 3 rounds: 32/16 716-721 ms,
 * 48/16 686-707, 64/32 665-682, 96/32 693, 128/64 692 (2026-12-01). */
enum { AHEAD_SLOT = 64, AHEAD_TEXT = 32 };

static int dict_rehash(ess_dict *d, size_t nslots)
{
    assert((nslots & (nslots - 1)) == 0 && ess_dict_fits(d->count + 1, nslots));
    ess_dict_slot *slots = ess_malloc(nslots * sizeof *slots);
    if (slots == NULL)
        return ESS_ENOMEM;
    memset(slots, 0xff, nslots * sizeof *slots);   /* code -1 everywhere */
    if (d->seed == DICT_SEED_NONE)
        d->seed = process_seed();   /* count is 0: no hash was computed with another */
    for (size_t k = 0; k < d->count; k++) {
        if (k + AHEAD_SLOT < d->count)   /* a table past the caches: its misses overlap */
            PREFETCH_WRITE(&slots[d->hashes[k + AHEAD_SLOT] & (nslots - 1)]);
        size_t i = d->hashes[k] & (nslots - 1);
        while (slots[i].code >= 0)
            i = (i + 1) & (nslots - 1);
        slots[i] = (ess_dict_slot){key_of(d, k), dict_tag(d->hashes[k], d->lengths[k]), (int32_t)k};
    }
    ess_free(d->slots);
    d->slots = slots;
    d->nslots = nslots;
    return ESS_OK;
}

int32_t ess_dict_find(const ess_dict *d, const char *text, size_t len)
{
    size_t empty = 0;
    if (d->nslots == 0)
        return -1;
    return ess_dict_probe(d, text, len, ess_label_hash(text, len, d->seed), &empty);
}

/* Room for `labels` labels in the per-label arrays and `bytes` bytes in the arena, grown at
 * least twice over (interning and merge after merge stay linear).  No huge-page advice: it
 * measured 1.5x slower on the 1e6-names read (a fault may compact memory first). */
static int dict_grow(ess_dict *d, size_t labels, size_t bytes)
{
    if (labels > d->cap) {
        size_t cap = labels > d->cap * 2 ? labels : d->cap * 2;
        cap = cap < 64 ? 64 : cap;
        size_t *o = ess_realloc(d->offsets, cap * sizeof *o);
        if (o == NULL)
            return ESS_ENOMEM;
        d->offsets = o;
        uint32_t *ln = ess_realloc(d->lengths, cap * sizeof *ln);
        if (ln == NULL)
            return ESS_ENOMEM;
        d->lengths = ln;
        uint64_t *hs = ess_realloc(d->hashes, cap * sizeof *hs);
        if (hs == NULL)
            return ESS_ENOMEM;
        d->hashes = hs;
        d->cap = cap;
    }
    if (bytes > d->arena_cap) {
        size_t cap = bytes > d->arena_cap * 2 ? bytes : d->arena_cap * 2;
        cap = cap < 1024 ? 1024 : cap;
        char *a = ess_realloc(d->arena, cap);
        if (a == NULL)
            return ESS_ENOMEM;
        d->arena = a;
        d->arena_cap = cap;
    }
    return ESS_OK;
}

/* Text with hash h as code count in the arrays (grown here), not in the table; -1: no room. */
static int32_t append_to_arrays(ess_dict *d, const char *text, size_t len, uint64_t h)
{
    if (d->count >= (size_t)INT32_MAX || len > UINT32_MAX ||
        dict_grow(d, d->count + 1, d->arena_len + len + 1))
        return -1;
    int32_t k = (int32_t)d->count;
    memcpy(d->arena + d->arena_len, text, len);
    d->arena[d->arena_len + len] = '\0';
    d->offsets[k] = d->arena_len;
    d->lengths[k] = (uint32_t)len;
    d->hashes[k] = h;
    d->arena_len += len + 1;
    d->count++;
    return k;
}

/* The table was grown before the probe that found the slot; the arrays are grown here. */
int32_t ess_dict_append(ess_dict *d, const char *text, size_t len, uint64_t h, size_t empty)
{
    int32_t k = append_to_arrays(d, text, len, h);
    if (k < 0)
        return -1;
    d->slots[empty] = (ess_dict_slot){key_of(d, (size_t)k), dict_tag(h, len), k};
    assert((d->nslots & (d->nslots - 1)) == 0 && ess_dict_fits(d->count, d->nslots));
    return k;
}

/* The merge's look-up uses the hash kept here. */
int32_t ess_dict_append_unindexed(ess_dict *d, const char *text, size_t len)
{
    assert(d->unindexed && d->seed != DICT_SEED_NONE);   /* it indexed labels first */
    return append_to_arrays(d, text, len, ess_label_hash(text, len, d->seed));
}

/* Called when the table is full: a probe that misses always has its empty slot to fill. */
int ess_dict_room_for_one(ess_dict *d)
{
    assert(!ess_dict_fits(d->count + 1, d->nslots));
    return dict_rehash(d, d->nslots ? d->nslots * 2 : 128);
}

int32_t ess_dict_add_missed(ess_dict *d, const char *text, size_t len, uint64_t h, size_t empty)
{
    assert(d->nslots > 0);
    if (!ess_dict_fits(d->count + 1, d->nslots)) {
        if (ess_dict_room_for_one(d))
            return -1;
        ess_dict_probe(d, text, len, h, &empty);   /* a miss again: its slot in the new table */
    }
    return ess_dict_append(d, text, len, h, empty);
}

int32_t ess_dict_intern(ess_dict *d, const char *text, size_t len)
{
    if (d->nslots == 0 && ess_dict_room_for_one(d))   /* the seed comes with the first table */
        return -1;
    size_t empty = 0;
    uint64_t h = ess_label_hash(text, len, d->seed);
    int32_t found = ess_dict_probe(d, text, len, h, &empty);
    return found >= 0 ? found : ess_dict_add_missed(d, text, len, h, empty);
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
    if (dict_grow(d, total, d->arena_len + more_bytes + more))
        return ESS_ENOMEM;
    size_t nslots = d->nslots ? d->nslots : 128;
    while (!ess_dict_fits(total + 1, nslots))   /* as intern keeps it */
        nslots *= 2;
    return nslots > d->nslots ? dict_rehash(d, nslots) : ESS_OK;
}

/* The text a look-up of a label of len > 8 bytes with hash h will compare, fetched ahead: that
 * of the first slot of its run whose tag is the label's, among the few slots of its cache line
 * or the next (the label's own slot is its home one only about half the time at 3/4 full). */
static inline void prefetch_text(const ess_dict *d, uint64_t h, size_t len)
{
    const size_t mask = d->nslots - 1;
    const uint32_t tag = dict_tag(h, len);
    size_t i = h & mask;
    for (int step = 0; step < 4; step++, i = (i + 1) & mask) {
        const ess_dict_slot *s = &d->slots[i];
        if (s->code < 0)
            return;
        if (s->tag == tag) {
            PREFETCH(d->arena + s->key);
            PREFETCH(d->arena + s->key + len - 1);   /* a label may cross into the next line */
            return;
        }
    }
}

int ess_dict_merge(ess_dict *into, const ess_dict *from, int32_t *recode)
{
    assert(into != from);
    if (from->count == 0)
        return ESS_OK;
    if (ess_dict_reserve(into, from->count, from->arena_len - from->count))
        return ESS_ENOMEM;
    /* every hash is known before the first look-up (when the seeds agree, as they do within a
     * process): a batch whose misses on a large table (a million names) are fetched in parallel
     * ahead of the probes instead of one after another.  The table does not move from here on
     * (reserved), and a prefetch is only a hint, so a slot filled by a label interned in between
     * makes no look-up wrong, just its hint stale. */
    const int same_seed = into->seed == from->seed;
    const size_t mask = into->nslots - 1;
    for (size_t k = 0; k < from->count; k++) {
        if (same_seed && k + AHEAD_SLOT < from->count)
            PREFETCH(&into->slots[from->hashes[k + AHEAD_SLOT] & mask]);
        if (same_seed && k + AHEAD_TEXT < from->count && from->lengths[k + AHEAD_TEXT] > 8)
            prefetch_text(into, from->hashes[k + AHEAD_TEXT], from->lengths[k + AHEAD_TEXT]);
        const char *text = from->arena + from->offsets[k];
        size_t len = from->lengths[k], empty = 0;
        uint64_t h = same_seed ? from->hashes[k] : ess_label_hash(text, len, into->seed);
        int32_t code = ess_dict_probe(into, text, len, h, &empty);
        if (code < 0 && (code = ess_dict_append(into, text, len, h, empty)) < 0)
            return ESS_ENOMEM;
        recode[k] = code;
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
    dst->seed = src->seed;
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
