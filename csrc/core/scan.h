/*
 * scan.h -- finding the next byte of interest in a CSV text: the end of an unquoted cell (the
 * delimiter, LF or CR), the end of a quoted run (a quote, LF or CR), and the end of a run of
 * ASCII (the first byte >= 0x80, where UTF-8 validation has work to do).
 *
 * Layer: base (no call out).  Workload: every byte of every ledger file passes here once, in
 * cells of a few to a few dozen bytes, so the scanners are inline (no call, no PLT) and look at
 * 16 bytes at a time with SSE2 where the compiler targets it (every x86-64), 8 at a time with
 * portable SWAR arithmetic elsewhere, and byte by byte for the tail.  A run longer than its
 * first 16 bytes goes on 32 bytes at a time with AVX2 when the CPU has it (chosen at run time,
 * in scan.c: one call, made only past the short cells that are most of a file).  ess_scan_with
 * says which is used; ess_scan_force (for the tests) lowers it to SSE2 or SWAR on any machine, so
 * all three are run.  The reader's straight path asks instead for the marks of a whole 64-byte
 * block at once (ess_block_marks: every delimiter, quote and line ending in it, a bit each), so
 * that each cell's end is a bit search in the block its records share.
 *
 * Invariant: each scanner returns the index of the first byte of interest in p[0, n), or n when
 * there is none; it never reads outside p[0, n) (a text's last block is copied before it is
 * read whole).
 */
#ifndef ESSCONV_SCAN_H
#define ESSCONV_SCAN_H

#include "essconv.h"

#include <stddef.h>
#include <stdint.h>
#include <string.h>

#if defined(__SSE2__)
#include <emmintrin.h>
#define ESS_SCAN_HAVE_SSE2 1
#if defined(__GNUC__) && defined(__x86_64__)   /* target attribute, __builtin_cpu_supports */
#define ESS_SCAN_HAVE_AVX2 1
#endif
#endif

/* The scanner in use, ESS_SCAN_SWAR .. ESS_SCAN_AVX2 (essconv.h): the best of the CPU and the
 * build, unless a test forced a lower one. */
extern int ess_scan_with;

#ifdef ESS_SCAN_HAVE_AVX2
/* ess_scan3 with AVX2 (scan.c): only called when the CPU has it. */
size_t ess_scan3_avx2(const char *p, size_t n, char a, char b, char c);
/* ess_scan_ascii with AVX2 (scan.c): only called when the CPU has it. */
size_t ess_scan_ascii_avx2(const unsigned char *p, size_t n);
/* Whether p[0, n) is UTF-8 as Python's decoder accepts it (and holds no NUL when refuse_nul),
 * 32 bytes a step with AVX2 (scan.c): only called when the CPU has it.  It says no
 * (ESS_TEXT_NOT_UTF8), or yes and whether a byte is past ASCII (ESS_TEXT_ASCII, ESS_TEXT_UTF8);
 * where invalid text goes wrong is the portable walk's to find (csv.c). */
int ess_utf8_valid_avx2(const unsigned char *p, size_t n, int refuse_nul);
#endif

#define ESS_SWAR_ONES 0x0101010101010101ULL
#define ESS_SWAR_HIGHS 0x8080808080808080ULL

/* 0x80 in each byte of w that equals the byte c (repeated), 0 elsewhere: exact, no false hit
 * (the carry of the classic "has zero byte" test is avoided by masking the high bits first). */
static inline uint64_t ess_swar_eq(uint64_t w, uint64_t c)
{
    uint64_t x = w ^ c;
    uint64_t t = (x & ~ESS_SWAR_HIGHS) + ~ESS_SWAR_HIGHS;
    return ~(t | x | ~ESS_SWAR_HIGHS);
}

/* The index of the first marked byte of a nonzero SWAR mask, in memory order. */
static inline size_t ess_swar_first(uint64_t mask)
{
#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_BIG_ENDIAN__
    return (size_t)__builtin_clzll(mask) / 8;
#else
    return (size_t)__builtin_ctzll(mask) / 8;
#endif
}

/* First of the bytes a, b, c in p[0, n), or n. */
static inline size_t ess_scan3(const char *p, size_t n, char a, char b, char c)
{
    size_t i = 0;
#ifdef ESS_SCAN_HAVE_SSE2
    if (ess_scan_with >= ESS_SCAN_SSE2) {
        const __m128i va = _mm_set1_epi8(a), vb = _mm_set1_epi8(b), vc = _mm_set1_epi8(c);
        for (; i + 16 <= n; i += 16) {
            __m128i v = _mm_loadu_si128((const __m128i *)(const void *)(p + i));
            __m128i hit = _mm_or_si128(_mm_or_si128(_mm_cmpeq_epi8(v, va), _mm_cmpeq_epi8(v, vb)),
                                       _mm_cmpeq_epi8(v, vc));
            unsigned mask = (unsigned)_mm_movemask_epi8(hit);
            if (mask)
                return i + (size_t)__builtin_ctz(mask);
#ifdef ESS_SCAN_HAVE_AVX2
            /* past the first 16 bytes a run is long: the rest 32 bytes at a time */
            if (ess_scan_with == ESS_SCAN_AVX2 && n - (i + 16) >= 32)
                return i + 16 + ess_scan3_avx2(p + i + 16, n - (i + 16), a, b, c);
#endif
        }
    }
#endif
    const uint64_t ra = ESS_SWAR_ONES * (unsigned char)a, rb = ESS_SWAR_ONES * (unsigned char)b,
                   rc = ESS_SWAR_ONES * (unsigned char)c;
    for (; i + 8 <= n; i += 8) {
        uint64_t w;
        memcpy(&w, p + i, 8);
        uint64_t mask = ess_swar_eq(w, ra) | ess_swar_eq(w, rb) | ess_swar_eq(w, rc);
        if (mask)
            return i + ess_swar_first(mask);
    }
    for (; i < n; i++)
        if (p[i] == a || p[i] == b || p[i] == c)
            return i;
    return n;
}

/* The end of an unquoted cell: its delimiter or the line ending after it. */
static inline size_t ess_scan_cell(const char *p, size_t n, char delimiter)
{
    return ess_scan3(p, n, delimiter, '\n', '\r');
}

/* The end of a run inside quotes: the next quote (closing or doubled) or a line ending. */
static inline size_t ess_scan_quoted(const char *p, size_t n)
{
    return ess_scan3(p, n, '"', '\n', '\r');
}

/* The marks of one 64-byte block of a text, for a loop that finds the end of every cell of a
 * record in turn (ledger_read.c's straight path): bit k of `cell` is set when byte base + k is
 * the delimiter, a quote, LF or CR (where an unquoted cell may end: its delimiter or line
 * ending, or a quote the general loop must read), bit k of `quoted` when it is a quote, LF or
 * CR (where a quoted run may end).  One block's marks serve the two records or so it holds:
 * each cell costs a bit search, not a scan of its own.  Bits past the text's end are clear.
 * base is SIZE_MAX before the first block. */
typedef struct {
    size_t base;
    uint64_t cell, quoted;
} ess_block_marks;

#define ESS_MARKS_NONE ((size_t)-1)

/* The 8 flags 0x80 of a SWAR mask as the low 8 bits of a number, byte k at bit k. */
static inline uint64_t ess_swar_bits(uint64_t mask)
{
#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_BIG_ENDIAN__
    mask = __builtin_bswap64(mask);
#endif
    return ((mask >> 7 & ESS_SWAR_ONES) * 0x0102040810204080ULL) >> 56;
}

/* A block's marks as its loaders return them: two words, returned in registers, so that a
 * caller's ess_block_marks (inline ess_marks_next) may live in registers too. */
typedef struct {
    uint64_t cell, quoted;
} ess_marks_pair;

#ifdef ESS_SCAN_HAVE_SSE2
/* The marks of the 16 bytes at p, bits 0-15 of *cell and *quoted. */
static inline void ess_marks16(const char *p, __m128i vd, unsigned *cell, unsigned *quoted)
{
    const __m128i v = _mm_loadu_si128((const __m128i *)(const void *)p);
    const __m128i q = _mm_or_si128(_mm_or_si128(_mm_cmpeq_epi8(v, _mm_set1_epi8('"')),
                                                _mm_cmpeq_epi8(v, _mm_set1_epi8('\n'))),
                                   _mm_cmpeq_epi8(v, _mm_set1_epi8('\r')));
    *quoted = (unsigned)_mm_movemask_epi8(q);
    *cell = (unsigned)_mm_movemask_epi8(_mm_or_si128(q, _mm_cmpeq_epi8(v, vd)));
}

/* m's marks for the 64 bytes at p, all inside the text, with SSE2: the common block, in a
 * function of its own that keeps every value in registers (no stack, no loop: the four steps
 * written out), so that its call costs the reader no saved register.  Its first form, one
 * function with the text's last block copied to the stack and the SWAR loop beside it, saved
 * six registers a call and ran its four steps as a loop: about 120 instructions a block. */
static inline __attribute__((always_inline)) ess_marks_pair ess_marks_load_sse2(const char *p,
                                                                                 char delimiter)
{
    const __m128i vd = _mm_set1_epi8(delimiter);
    unsigned c0, c1, c2, c3, q0, q1, q2, q3;
    ess_marks16(p, vd, &c0, &q0);
    ess_marks16(p + 16, vd, &c1, &q1);
    ess_marks16(p + 32, vd, &c2, &q2);
    ess_marks16(p + 48, vd, &c3, &q3);
    return (ess_marks_pair){
        (uint64_t)c0 | (uint64_t)c1 << 16 | (uint64_t)c2 << 32 | (uint64_t)c3 << 48,
        (uint64_t)q0 | (uint64_t)q1 << 16 | (uint64_t)q2 << 32 | (uint64_t)q3 << 48};
}
#endif

/* m's marks for the block of text[base, base + 64), the bytes past len read as none: the
 * text's last block, or any block when SSE2 is not used. */
static __attribute__((noinline)) ess_marks_pair ess_marks_load_other(const char *text, size_t len,
                                                                    size_t base, char delimiter)
{
    const char *p = text + base;
    char tail[64];
    if (len - base < 64) {   /* the text's last block: copied, NULs after (never a mark) */
        memset(tail, 0, sizeof tail);
        memcpy(tail, p, len - base);
        p = tail;
    }
#ifdef ESS_SCAN_HAVE_SSE2
    if (ess_scan_with >= ESS_SCAN_SSE2)
        return ess_marks_load_sse2(p, delimiter);
#endif
    uint64_t cell = 0, quoted = 0;
    const uint64_t rd = ESS_SWAR_ONES * (unsigned char)delimiter, rq = ESS_SWAR_ONES * '"',
                   rn = ESS_SWAR_ONES * '\n', rr = ESS_SWAR_ONES * '\r';
    for (int k = 0; k < 8; k++) {
        uint64_t w;
        memcpy(&w, p + 8 * k, 8);
        uint64_t q = ess_swar_eq(w, rq) | ess_swar_eq(w, rn) | ess_swar_eq(w, rr);
        quoted |= ess_swar_bits(q) << (8 * k);
        cell |= ess_swar_bits(q | ess_swar_eq(w, rd)) << (8 * k);
    }
    return (ess_marks_pair){cell, quoted};
}

/* m's marks for the block of text[base, base + 64), the bytes past len read as none. */
static inline void ess_marks_load(ess_block_marks *m, const char *text, size_t len, size_t base,
                                  char delimiter)
{
#ifdef ESS_SCAN_HAVE_SSE2
    ess_marks_pair marks = len - base >= 64 && ess_scan_with >= ESS_SCAN_SSE2
                               ? ess_marks_load_sse2(text + base, delimiter)
                               : ess_marks_load_other(text, len, base, delimiter);
#else
    ess_marks_pair marks = ess_marks_load_other(text, len, base, delimiter);
#endif
    m->base = base;
    m->cell = marks.cell;
    m->quoted = marks.quoted;
}

/* The first byte at or after text[i] that is a mark of the kind asked (quoted: a quote, LF or
 * CR; else those and the delimiter), or len when there is none: ess_scan_cell or
 * ess_scan_quoted, with a quote ending an unquoted cell too, from the block marks in m (loaded
 * as i moves past them; m stays valid for the same text and delimiter). */
static inline size_t ess_marks_next(ess_block_marks *m, const char *text, size_t len, size_t i,
                                    char delimiter, int quoted)
{
    if (i >= len)
        return len;
    size_t base = i & ~(size_t)63;
    if (base != m->base)
        ess_marks_load(m, text, len, base, delimiter);
    uint64_t bits = (quoted ? m->quoted : m->cell) & (~(uint64_t)0 << (i - base));
    while (bits == 0) {
        base += 64;
        if (base >= len)
            return len;
        ess_marks_load(m, text, len, base, delimiter);
        bits = quoted ? m->quoted : m->cell;
    }
    return base + (size_t)__builtin_ctzll(bits);
}

/* The first byte >= 0x80 in p[0, n), or n: the ASCII run UTF-8 validation skips.  A run longer
 * than 16 bytes goes on 32 at a time with AVX2, as in ess_scan3. */
static inline size_t ess_scan_ascii(const unsigned char *p, size_t n)
{
    size_t i = 0;
#ifdef ESS_SCAN_HAVE_SSE2
    if (ess_scan_with >= ESS_SCAN_SSE2) {
        for (; i + 16 <= n; i += 16) {
            /* the high bit of each byte is its mark: no compare needed */
            unsigned mask = (unsigned)_mm_movemask_epi8(
                _mm_loadu_si128((const __m128i *)(const void *)(p + i)));
            if (mask)
                return i + (size_t)__builtin_ctz(mask);
#ifdef ESS_SCAN_HAVE_AVX2
            if (ess_scan_with == ESS_SCAN_AVX2 && n - (i + 16) >= 32)
                return i + 16 + ess_scan_ascii_avx2(p + i + 16, n - (i + 16));
#endif
        }
    }
#endif
    for (; i + 8 <= n; i += 8) {
        uint64_t w;
        memcpy(&w, p + i, 8);
        if (w & ESS_SWAR_HIGHS)
            return i + ess_swar_first(w & ESS_SWAR_HIGHS);
    }
    for (; i < n; i++)
        if (p[i] >= 0x80)
            return i;
    return n;
}

#endif
