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
 * Invariants: codes are 0..count-1 in order of first sight and never change; slots is a power
 * of two kept at most half full, so a probe always ends on an empty slot; a slot's key and tag
 * are those of its code's label (key_of, tag_of), hashes[k] is label k's hash with seed.
 */
#include "internal.h"

#include <assert.h>
#include <stdatomic.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

/* Eight or four bytes as a little-endian number, wherever they lie: the short-label key must be
 * the same word on every machine for the arithmetic of short_word to hold. */
static inline uint64_t load64(const char *p)
{
    uint64_t w;
    memcpy(&w, p, 8);
#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_BIG_ENDIAN__
    w = __builtin_bswap64(w);
#endif
    return w;
}

static inline uint32_t load32(const char *p)
{
    uint32_t w;
    memcpy(&w, p, 4);
#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_BIG_ENDIAN__
    w = __builtin_bswap32(w);
#endif
    return w;
}

/* The n <= 8 bytes at s as one word, byte k at bits 8k, zeros above: two loads that overlap
 * (the bytes they share land on the same bits), no loop, and never a byte past s + n (a cell
 * may end at the last byte of a buffer). */
static inline uint64_t short_word(const char *s, size_t n)
{
    assert(n <= 8);
    if (n >= 4)
        return load32(s) | (uint64_t)load32(s + n - 4) << (8 * (n - 4));
    if (n == 0)
        return 0;
    const unsigned char *b = (const unsigned char *)s;
    return b[0] | (uint64_t)b[n / 2] << (8 * (n / 2)) | (uint64_t)b[n - 1] << (8 * (n - 1));
}

/* The 128-bit product of a and b, its halves folded: the one mixing step of the hash. */
static inline uint64_t mum(uint64_t a, uint64_t b)
{
#ifdef __SIZEOF_INT128__
    __uint128_t r = (__uint128_t)a * b;
    return (uint64_t)r ^ (uint64_t)(r >> 64);
#else
    uint64_t al = (uint32_t)a, ah = a >> 32, bl = (uint32_t)b, bh = b >> 32;
    uint64_t ll = al * bl, lh = al * bh, hl = ah * bl, hh = ah * bh;
    uint64_t mid = (ll >> 32) + (uint32_t)lh + (uint32_t)hl;
    uint64_t lo = (mid << 32) | (uint32_t)ll, hi = hh + (lh >> 32) + (hl >> 32) + (mid >> 32);
    return lo ^ hi;
#endif
}

enum { SEED_NONE = 0 };
static const uint64_t MIX0 = 0xa0761d6478bd642fULL, MIX1 = 0xe7037ed1a0b428dbULL,
                      MIX2 = 0x8ebc6af09c88c6e3ULL;

/* The label's hash under seed, wyhash's shape: a label of up to 16 bytes (every territory,
 * line, funder and year) is one or two words and two multiplications; longer ones take 16
 * bytes a step, the last 16 read where they end.  The seed enters both sides of each product,
 * so no chosen word zeroes one without knowing it. */
static inline uint64_t label_hash(const char *s, size_t n, uint64_t seed)
{
    uint64_t a, b, h = seed;
    if (n <= 8) {
        a = short_word(s, n);
        b = 0;
    } else if (n <= 16) {
        a = load64(s);
        b = load64(s + n - 8);   /* overlapping a when n < 16: n, hashed too, tells them apart */
    } else {
        const char *p = s;
        for (size_t left = n; left > 16; left -= 16, p += 16)
            h = mum(load64(p) ^ seed ^ MIX1, load64(p + 8) ^ h);
        a = load64(s + n - 16);
        b = load64(s + n - 8);
    }
    return mum(MIX1 ^ n, mum(a ^ seed ^ MIX1, b ^ h ^ MIX2));
}

/* The process's seed: odd (so never SEED_NONE), chosen by the first dictionary that needs one. */
static uint64_t process_seed(void)
{
    static _Atomic uint64_t chosen = SEED_NONE;
    uint64_t seed = atomic_load_explicit(&chosen, memory_order_acquire);
    if (seed != SEED_NONE)
        return seed;
    struct timespec now = {0, 0};
    (void)timespec_get(&now, TIME_UTC);
    /* where the loader put this library and the stack (randomised), and when */
    seed = mum((uint64_t)(uintptr_t)&chosen ^ MIX0, (uint64_t)(uintptr_t)&now ^ MIX2) ^
           mum((uint64_t)now.tv_sec ^ MIX1, (uint64_t)now.tv_nsec ^ MIX0);
    seed |= 1;
    uint64_t none = SEED_NONE;
    if (!atomic_compare_exchange_strong(&chosen, &none, seed))
        seed = none;   /* another thread chose first: every dictionary keeps one seed */
    return seed;
}

static inline uint32_t tag_of(uint64_t h, size_t len)
{
    return ((uint32_t)(h >> 32) & 0xFFFFFF00u) | (uint32_t)(len < 255 ? len : 255);
}

/* len > 8: eight bytes at a time, the last eight read where they end (never past either) */
static inline int same_long(const char *a, const char *b, size_t n)
{
    for (size_t k = 0; k + 8 < n; k += 8)
        if (load64(a + k) != load64(b + k))
            return 0;
    return load64(a + n - 8) == load64(b + n - 8);
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

static inline uint64_t key_of(const ess_dict *d, size_t k)
{
    return d->lengths[k] <= 8 ? short_word(d->arena + d->offsets[k], d->lengths[k])
                              : (uint64_t)d->offsets[k];
}

static int dict_rehash(ess_dict *d, size_t nslots)
{
    assert((nslots & (nslots - 1)) == 0 && d->count * 2 < nslots);
    ess_dict_slot *slots = ess_malloc(nslots * sizeof *slots);
    if (slots == NULL)
        return ESS_ENOMEM;
    memset(slots, 0xff, nslots * sizeof *slots);   /* code -1 everywhere */
    if (d->seed == SEED_NONE)
        d->seed = process_seed();   /* count is 0: no hash was computed with another */
    for (size_t k = 0; k < d->count; k++) {
        size_t i = d->hashes[k] & (nslots - 1);
        while (slots[i].code >= 0)
            i = (i + 1) & (nslots - 1);
        slots[i] = (ess_dict_slot){key_of(d, k), tag_of(d->hashes[k], d->lengths[k]), (int32_t)k};
    }
    ess_free(d->slots);
    d->slots = slots;
    d->nslots = nslots;
    return ESS_OK;
}

/* The code of text with hash h, or -1 with *empty the slot where it would go: the one probe
 * loop of the dictionary.  A label of up to 8 bytes is decided on its slot (the tag holds its
 * length, the key its bytes); a longer one reads its text only when the tag matches. */
static inline int32_t dict_probe(const ess_dict *d, const char *text, size_t len, uint64_t h,
                                 size_t *empty)
{
    size_t mask = d->nslots - 1, i = h & mask;
    uint32_t tag = tag_of(h, len);
    if (len <= 8) {
        uint64_t word = short_word(text, len);
        for (;; i = (i + 1) & mask) {
            const ess_dict_slot *s = &d->slots[i];
            if (s->code < 0)
                break;
            if (s->tag == tag && s->key == word)
                return s->code;
        }
    } else {
        for (;; i = (i + 1) & mask) {
            const ess_dict_slot *s = &d->slots[i];
            if (s->code < 0)
                break;
            if (s->tag == tag && (len < 255 || d->lengths[s->code] == len) &&
                same_long(d->arena + s->key, text, len))
                return s->code;
        }
    }
    *empty = i;
    return -1;
}

int32_t ess_dict_find(const ess_dict *d, const char *text, size_t len)
{
    size_t empty = 0;
    if (d->nslots == 0)
        return -1;
    return dict_probe(d, text, len, label_hash(text, len, d->seed), &empty);
}

/* Label text, with hash h under d->seed, appended as code count at slot `empty`.  The arrays are
 * grown here; the table was before the probe that found the slot. */
static int32_t dict_append(ess_dict *d, const char *text, size_t len, uint64_t h, size_t empty)
{
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
    int32_t k = (int32_t)d->count;
    memcpy(d->arena + d->arena_len, text, len);
    d->arena[d->arena_len + len] = '\0';
    d->offsets[k] = d->arena_len;
    d->lengths[k] = (uint32_t)len;
    d->hashes[k] = h;
    d->arena_len += len + 1;
    d->count++;
    d->slots[empty] = (ess_dict_slot){key_of(d, (size_t)k), tag_of(h, len), k};
    assert((d->nslots & (d->nslots - 1)) == 0 && d->count * 2 <= d->nslots);
    return k;
}

/* Room in the table for one label more (so a probe that misses has its empty slot to fill). */
static inline int dict_room_for_one(ess_dict *d)
{
    if ((d->count + 1) * 2 <= d->nslots)
        return ESS_OK;
    return dict_rehash(d, d->nslots ? d->nslots * 2 : 128);
}

int32_t ess_dict_intern(ess_dict *d, const char *text, size_t len)
{
    if (dict_room_for_one(d))
        return -1;
    uint64_t h = label_hash(text, len, d->seed);
    size_t empty = 0;
    int32_t found = dict_probe(d, text, len, h, &empty);
    return found >= 0 ? found : dict_append(d, text, len, h, empty);
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

/* How far ahead a merge touches the slot, then the text, of the labels it will look up (the
 * second stage reads the slot the first fetched): far enough for a miss to main memory to land
 * first, near enough for the lines to stay cached. */
enum { AHEAD_SLOT = 16, AHEAD_TEXT = 6 };

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
        if (same_seed && k + AHEAD_TEXT < from->count && from->lengths[k + AHEAD_TEXT] > 8) {
            uint64_t ahead = from->hashes[k + AHEAD_TEXT];
            const ess_dict_slot *s = &into->slots[ahead & mask];
            if (s->code >= 0 && s->tag == tag_of(ahead, from->lengths[k + AHEAD_TEXT]))
                PREFETCH(into->arena + s->key);
        }
        const char *text = from->arena + from->offsets[k];
        size_t len = from->lengths[k], empty = 0;
        uint64_t h = same_seed ? from->hashes[k] : label_hash(text, len, into->seed);
        int32_t code = dict_probe(into, text, len, h, &empty);
        if (code < 0 && (code = dict_append(into, text, len, h, empty)) < 0)
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
