/*
 * dict_probe.h -- dict.c's look-up, inline: the hash, the slot test and the probe loop, so that
 * the CSV reader's label writer (ledger_put.h's ess_put_label) finds a known label -- nearly
 * every label cell of a file -- without a call; only a new label goes out to dict.c.
 *
 * Layer: base (dict.c's part; dict.c and ledger_put.h include it).  The slot layout, the tag and
 * the hash are described in dict.c's header and struct ess_dict_slot (essconv.h).
 */
#ifndef ESSCONV_DICT_PROBE_H
#define ESSCONV_DICT_PROBE_H

#include "internal.h"

#include <assert.h>
#include <stdint.h>
#include <string.h>

/* The n <= 8 bytes at s as one word, byte k at bits 8k, zeros above: two loads that overlap
 * (the bytes they share land on the same bits), no loop, and never a byte past s + n (a cell
 * may end at the last byte of a buffer). */
static ESS_HOT uint64_t dict_short_word(const char *s, size_t n)
{
    assert(n <= 8);
    if (n >= 4)
        return ess_load32_le(s) | (uint64_t)ess_load32_le(s + n - 4) << (8 * (n - 4));
    if (n == 0)
        return 0;
    const unsigned char *b = (const unsigned char *)s;
    return b[0] | (uint64_t)b[n / 2] << (8 * (n / 2)) | (uint64_t)b[n - 1] << (8 * (n - 1));
}

/* The 128-bit product of a and b, its halves folded: the one mixing step of the hash. */
static inline uint64_t dict_mum(uint64_t a, uint64_t b)
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

#define DICT_SEED_NONE 0   /* a dictionary's seed before its table exists */
#define DICT_MIX0 0xa0761d6478bd642fULL   /* wyhash's constants: odd, bits spread */
#define DICT_MIX1 0xe7037ed1a0b428dbULL
#define DICT_MIX2 0x8ebc6af09c88c6e3ULL

/* The label's hash under seed, wyhash's shape: a label of up to 8 bytes (every territory,
 * line and year, most funders) is one word and one multiplication, its length in the
 * multiplier; one of up to 16 bytes two words and two multiplications; longer ones take 16
 * bytes a step, the last 16 read where they end.  The seed enters both sides of each product,
 * so no chosen word zeroes one without knowing it.  (The short label's second product, as
 * wyhash has it, cost 4 % of reading the 1e7-row benchmark file, whose cells are nearly all
 * such labels: 339-370 against 357-415 ms, in turns, 2026-11-29.) */
static inline uint64_t dict_short_hash(uint64_t word, size_t n, uint64_t seed)
{
    assert(n <= 8);
    return dict_mum(word ^ seed ^ DICT_MIX1, seed ^ DICT_MIX2 ^ n);
}

/* (dict_short_hash: the hash of a label of n <= 8 bytes from its word, dict_short_word(s, n), for
 * a caller that keeps the word for the probe too.) */
static ESS_HOT uint64_t ess_label_hash(const char *s, size_t n, uint64_t seed)
{
    uint64_t a, b, h = seed;
    if (n <= 8)
        return dict_short_hash(dict_short_word(s, n), n, seed);
    if (n <= 16) {
        a = ess_load64_le(s);
        b = ess_load64_le(s + n - 8);   /* overlaps a when n < 16: n, hashed too, tells them apart */
    } else {
        const char *p = s;
        for (size_t left = n; left > 16; left -= 16, p += 16)
            h = dict_mum(ess_load64_le(p) ^ seed ^ DICT_MIX1, ess_load64_le(p + 8) ^ h);
        a = ess_load64_le(s + n - 16);
        b = ess_load64_le(s + n - 8);
    }
    return dict_mum(DICT_MIX1 ^ n, dict_mum(a ^ seed ^ DICT_MIX1, b ^ h ^ DICT_MIX2));
}

/* A slot's tag: the hash's top 24 bits (the index takes the low ones) and the length, exact up
 * to 254 bytes, so that a label of up to 8 bytes is its tag and its word. */
static inline uint32_t dict_tag(uint64_t h, size_t len)
{
    return ((uint32_t)(h >> 32) & 0xFFFFFF00u) | (uint32_t)(len < 255 ? len : 255);
}

/* len > 8: eight bytes at a time, the last eight read where they end (never past either) */
static inline int dict_same_long(const char *a, const char *b, size_t n)
{
    for (size_t k = 0; k + 8 < n; k += 8)
        if (ess_load64_le(a + k) != ess_load64_le(b + k))
            return 0;
    return ess_load64_le(a + n - 8) == ess_load64_le(b + n - 8);
}

/* The code of text with hash h, or -1 with *empty the slot where it would go: the one probe
 * loop of the dictionary.  A label of up to 8 bytes is decided on its slot (the tag holds its
 * length, the key its bytes: ess_dict_probe_short, given that word by a caller that has it
 * already); a longer one reads its text only when the tag matches. */
static ESS_HOT int32_t ess_dict_probe_short(const ess_dict *d, uint64_t word, size_t len,
                                           uint64_t h, size_t *empty)
{
    assert(len <= 8);
    size_t mask = d->nslots - 1, i = h & mask;
    const uint32_t tag = dict_tag(h, len);
    for (;; i = (i + 1) & mask) {
        const ess_dict_slot *s = &d->slots[i];
        if (s->code < 0)
            break;
        if (s->tag == tag && s->key == word)
            return s->code;
    }
    *empty = i;
    return -1;
}

static ESS_HOT int32_t ess_dict_probe(const ess_dict *d, const char *text, size_t len, uint64_t h,
                                     size_t *empty)
{
    if (len <= 8)
        return ess_dict_probe_short(d, dict_short_word(text, len), len, h, empty);
    size_t mask = d->nslots - 1, i = h & mask;
    uint32_t tag = dict_tag(h, len);
    for (;; i = (i + 1) & mask) {
        const ess_dict_slot *s = &d->slots[i];
        if (s->code < 0)
            break;
        if (s->tag == tag && (len < 255 || d->lengths[s->code] == len) &&
            dict_same_long(d->arena + s->key, text, len))
            return s->code;
    }
    *empty = i;
    return -1;
}

/* Whether a table of nslots slots may hold count labels: at most three quarters full, so a probe
 * always ends on an empty slot, and a miss reads a few neighbouring slots (four to a line). */
static inline int ess_dict_fits(size_t count, size_t nslots)
{
    return count * 4 <= nslots * 3;
}

#endif
