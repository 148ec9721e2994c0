/*
 * dict.c -- the label dictionary: strings interned to int32 codes in order of first sight.
 *
 * Layer: base (calls error.c only).  Workload: millions of labels of a few thousand distinct
 * values (funders, territories, lines) interned while a file is read, so a find is one hash and
 * a probe or two, and every string lives in one arena (no allocation per label).
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
    uint64_t h = hash_bytes(text, len);
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

int ess_dict_copy(ess_dict *dst, const ess_dict *src)
{
    memset(dst, 0, sizeof *dst);
    for (size_t k = 0; k < src->count; k++)
        if (ess_dict_intern(dst, src->arena + src->offsets[k], src->lengths[k]) != (int32_t)k)
            return ESS_ENOMEM;
    return ESS_OK;
}
