/*
 * scan.c -- the one switch of the scanners in scan.h: the best the CPU and the build have
 * (AVX2 found at run time, SSE2 where the compiler targets it, else the portable SWAR path),
 * chosen when the library is loaded, or a lower one when a test forces it (all give the same
 * indexes; the tests read the same files every way).
 */
#include "internal.h"
#include "scan.h"

#ifdef ESS_SCAN_HAVE_AVX2
#include <immintrin.h>
#endif

#ifdef ESS_SCAN_HAVE_SSE2
#define ESS_SCAN_BUILT ESS_SCAN_SSE2
#else
#define ESS_SCAN_BUILT ESS_SCAN_SWAR
#endif

int ess_scan_with = ESS_SCAN_BUILT;

static int scan_best(void)
{
#ifdef ESS_SCAN_HAVE_AVX2
    __builtin_cpu_init();   /* needed before __builtin_cpu_supports in a constructor */
    if (__builtin_cpu_supports("avx2"))
        return ESS_SCAN_AVX2;
#endif
    return ESS_SCAN_BUILT;
}

#if defined(__GNUC__)
/* chosen once, before any read: the scanners read ess_scan_with on every cell */
__attribute__((constructor)) static void scan_choose(void) { ess_scan_with = scan_best(); }
#endif

const char *ess_scan_force(int which)
{
    int best = scan_best();
    if (which >= 0)
        ess_scan_with = which == ESS_SCAN_BEST || which > best ? best : which;
    switch (ess_scan_with) {
    case ESS_SCAN_AVX2: return "avx2";
    case ESS_SCAN_SSE2: return "sse2";
    default: return "swar";
    }
}

#ifdef ESS_SCAN_HAVE_AVX2
__attribute__((target("avx2"))) size_t ess_scan3_avx2(const char *p, size_t n, char a, char b,
                                                      char c)
{
    const __m256i va = _mm256_set1_epi8(a), vb = _mm256_set1_epi8(b), vc = _mm256_set1_epi8(c);
    size_t i = 0;
    for (; i + 32 <= n; i += 32) {
        __m256i v = _mm256_loadu_si256((const __m256i *)(const void *)(p + i));
        __m256i hit = _mm256_or_si256(
            _mm256_or_si256(_mm256_cmpeq_epi8(v, va), _mm256_cmpeq_epi8(v, vb)),
            _mm256_cmpeq_epi8(v, vc));
        unsigned mask = (unsigned)_mm256_movemask_epi8(hit);
        if (mask)
            return i + (size_t)__builtin_ctz(mask);
    }
    return i + ess_scan3(p + i, n - i, a, b, c);   /* under 32 bytes left: no call back here */
}
#endif

#ifdef ESS_SCAN_HAVE_AVX2
__attribute__((target("avx2"))) size_t ess_scan_ascii_avx2(const unsigned char *p, size_t n)
{
    size_t i = 0;
    for (; i + 32 <= n; i += 32) {
        unsigned mask = (unsigned)_mm256_movemask_epi8(
            _mm256_loadu_si256((const __m256i *)(const void *)(p + i)));
        if (mask)
            return i + (size_t)__builtin_ctz(mask);
    }
    return i + ess_scan_ascii(p + i, n - i);   /* under 32 bytes left: no call back here */
}
#endif

#ifdef ESS_SCAN_HAVE_AVX2
/* ------------------------------------------------------------------ UTF-8, 32 bytes a step
 *
 * Keiser and Lemire's validation ("Validating UTF-8 in less than one instruction per byte",
 * 2021), as simdjson has it: each byte and the one before it are looked up in three 16-entry
 * tables (the high nibble of the byte before, its low nibble, the byte's high nibble) whose
 * entries are bit sets of the errors that pair could be; a pair is wrong when the three agree
 * on one.  The second and third continuation bytes of a long sequence are checked apart, from
 * the bytes two and three before.  Every rule is Python's decoder's (utf8_seq in csv.c): no
 * overlong form, no surrogate, nothing past U+10FFFF. */

enum {
    U8_TOO_SHORT = 1 << 0,      /* a lead byte, then no continuation */
    U8_TOO_LONG = 1 << 1,       /* ASCII, then a continuation */
    U8_OVERLONG_3 = 1 << 2,     /* E0 80..9F */
    U8_TOO_LARGE = 1 << 3,      /* F4 90..BF, or F5..FF */
    U8_SURROGATE = 1 << 4,      /* ED A0..BF */
    U8_OVERLONG_2 = 1 << 5,     /* C0, C1 */
    U8_TOO_LARGE_1000 = 1 << 6, /* F5..FF 80..8F */
    U8_OVERLONG_4 = 1 << 6,     /* F0 80..8F */
    U8_TWO_CONTS = 1 << 7,      /* a continuation after a continuation (right only inside a
                                 * three- or four-byte sequence: checked apart) */
    U8_CARRY = U8_TOO_SHORT | U8_TOO_LONG | U8_TWO_CONTS
};

/* The three tables, 16 entries each (the same in both lanes of a register when looked up). */
static const unsigned char U8_BYTE_1_HIGH[16] = {
    U8_TOO_LONG, U8_TOO_LONG, U8_TOO_LONG, U8_TOO_LONG, U8_TOO_LONG, U8_TOO_LONG, U8_TOO_LONG,
    U8_TOO_LONG,                                                /* 0___ ASCII */
    U8_TWO_CONTS, U8_TWO_CONTS, U8_TWO_CONTS, U8_TWO_CONTS,     /* 10__ continuation */
    U8_TOO_SHORT | U8_OVERLONG_2,                               /* 1100 */
    U8_TOO_SHORT,                                               /* 1101 */
    U8_TOO_SHORT | U8_OVERLONG_3 | U8_SURROGATE,                /* 1110 */
    U8_TOO_SHORT | U8_TOO_LARGE | U8_TOO_LARGE_1000 | U8_OVERLONG_4};   /* 1111 */
static const unsigned char U8_BYTE_1_LOW[16] = {
    U8_CARRY | U8_OVERLONG_3 | U8_OVERLONG_2 | U8_OVERLONG_4,   /* ____0000 */
    U8_CARRY | U8_OVERLONG_2,                                   /* ____0001 */
    U8_CARRY, U8_CARRY,                                         /* ____001_ */
    U8_CARRY | U8_TOO_LARGE,                                    /* ____0100 */
    U8_CARRY | U8_TOO_LARGE | U8_TOO_LARGE_1000,                /* ____0101 */
    U8_CARRY | U8_TOO_LARGE | U8_TOO_LARGE_1000,
    U8_CARRY | U8_TOO_LARGE | U8_TOO_LARGE_1000,                /* ____011_ */
    U8_CARRY | U8_TOO_LARGE | U8_TOO_LARGE_1000,
    U8_CARRY | U8_TOO_LARGE | U8_TOO_LARGE_1000,
    U8_CARRY | U8_TOO_LARGE | U8_TOO_LARGE_1000,
    U8_CARRY | U8_TOO_LARGE | U8_TOO_LARGE_1000,
    U8_CARRY | U8_TOO_LARGE | U8_TOO_LARGE_1000,                /* ____1000 .. 1100 */
    U8_CARRY | U8_TOO_LARGE | U8_TOO_LARGE_1000 | U8_SURROGATE, /* ____1101 */
    U8_CARRY | U8_TOO_LARGE | U8_TOO_LARGE_1000,
    U8_CARRY | U8_TOO_LARGE | U8_TOO_LARGE_1000};               /* ____111_ */
static const unsigned char U8_BYTE_2_HIGH[16] = {
    U8_TOO_SHORT, U8_TOO_SHORT, U8_TOO_SHORT, U8_TOO_SHORT, U8_TOO_SHORT, U8_TOO_SHORT,
    U8_TOO_SHORT, U8_TOO_SHORT,                                 /* 0___ ASCII */
    U8_TOO_LONG | U8_OVERLONG_2 | U8_TWO_CONTS | U8_OVERLONG_3 | U8_TOO_LARGE_1000 |
        U8_OVERLONG_4,                                          /* 1000 */
    U8_TOO_LONG | U8_OVERLONG_2 | U8_TWO_CONTS | U8_OVERLONG_3 | U8_TOO_LARGE,   /* 1001 */
    U8_TOO_LONG | U8_OVERLONG_2 | U8_TWO_CONTS | U8_SURROGATE | U8_TOO_LARGE,
    U8_TOO_LONG | U8_OVERLONG_2 | U8_TWO_CONTS | U8_SURROGATE | U8_TOO_LARGE,    /* 101_ */
    U8_TOO_SHORT, U8_TOO_SHORT, U8_TOO_SHORT, U8_TOO_SHORT};    /* 11__ a lead */

/* The 32 bytes of the text that end n (1 to 3) bytes before input's end: prev holds the 32
 * before input. */
#define U8_BEFORE(input, prev, n) \
    _mm256_alignr_epi8((input), _mm256_permute2x128_si256((prev), (input), 0x21), 16 - (n))

/* Each byte of v (its high or low nibble) looked up in a 16-entry table. */
__attribute__((target("avx2"))) static inline __m256i u8_lookup(const unsigned char table[16],
                                                                 __m256i v, int high)
{
    __m256i t = _mm256_broadcastsi128_si256(_mm_loadu_si128((const __m128i *)(const void *)table));
    __m256i nibble = _mm256_and_si256(high ? _mm256_srli_epi16(v, 4) : v, _mm256_set1_epi8(0x0F));
    return _mm256_shuffle_epi8(t, nibble);
}

/* The errors of the 32 bytes of input, prev the 32 before them (zeros at the text's start). */
__attribute__((target("avx2"))) static inline __m256i u8_block_errors(__m256i input, __m256i prev)
{
    __m256i prev1 = U8_BEFORE(input, prev, 1);
    __m256i special = _mm256_and_si256(
        _mm256_and_si256(u8_lookup(U8_BYTE_1_HIGH, prev1, 1), u8_lookup(U8_BYTE_1_LOW, prev1, 0)),
        u8_lookup(U8_BYTE_2_HIGH, input, 1));
    /* a second or third continuation is wanted where the byte two before is a three- or
     * four-byte lead (E0..FF), or the byte three before a four-byte one (F0..FF) */
    __m256i third = _mm256_subs_epu8(U8_BEFORE(input, prev, 2), _mm256_set1_epi8(0xE0 - 0x80));
    __m256i fourth = _mm256_subs_epu8(U8_BEFORE(input, prev, 3), _mm256_set1_epi8(0xF0 - 0x80));
    __m256i wanted = _mm256_and_si256(_mm256_or_si256(third, fourth), _mm256_set1_epi8((char)0x80));
    return _mm256_xor_si256(wanted, special);
}

/* Nonzero bytes where a sequence begun in the last three bytes of input would go on past them. */
__attribute__((target("avx2"))) static inline __m256i u8_incomplete_end(__m256i input)
{
    const __m256i most = _mm256_setr_epi8(-1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1,
                                          -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1,
                                          -1, (char)(0xF0 - 1), (char)(0xE0 - 1), (char)(0xC0 - 1));
    return _mm256_subs_epu8(input, most);
}

/* One block of 32 bytes of text: its errors added, what it leaves open carried on. */
__attribute__((target("avx2"))) static inline void u8_block(__m256i input, __m256i *prev,
                                                            __m256i *prev_incomplete,
                                                            __m256i *errors, int *past_ascii)
{
    if (_mm256_movemask_epi8(input) == 0) {
        /* all ASCII: it cannot end a sequence the block before left open */
        *errors = _mm256_or_si256(*errors, *prev_incomplete);
        *prev_incomplete = _mm256_setzero_si256();
    } else {
        *past_ascii = 1;
        *errors = _mm256_or_si256(*errors, u8_block_errors(input, *prev));
        *prev_incomplete = u8_incomplete_end(input);
    }
    *prev = input;
}

__attribute__((target("avx2"))) int ess_utf8_valid_avx2(const unsigned char *p, size_t n,
                                                        int refuse_nul)
{
    __m256i errors = _mm256_setzero_si256(), prev = _mm256_setzero_si256(),
            prev_incomplete = _mm256_setzero_si256(), nul = _mm256_setzero_si256();
    const __m256i zero = _mm256_setzero_si256();
    unsigned char tail[32];
    int past_ascii = 0;
    size_t i = 0;
    /* 64 bytes a step: a step of ASCII alone -- most of a French file -- is two loads, one
     * test of their high bits and one of their NULs (the smaller byte of each pair is 0 where
     * either is); in cache, 1.4-1.8x faster than 32 bytes a step (4 MiB of ASCII, 2026-11-29). */
    for (; i + 64 <= n; i += 64) {
        __m256i a = _mm256_loadu_si256((const __m256i *)(const void *)(p + i));
        __m256i b = _mm256_loadu_si256((const __m256i *)(const void *)(p + i + 32));
        if (refuse_nul)
            nul = _mm256_or_si256(nul, _mm256_cmpeq_epi8(_mm256_min_epu8(a, b), zero));
        if (_mm256_movemask_epi8(_mm256_or_si256(a, b)) == 0) {
            errors = _mm256_or_si256(errors, prev_incomplete);
            prev_incomplete = zero;
            prev = b;
        } else {
            u8_block(a, &prev, &prev_incomplete, &errors, &past_ascii);
            u8_block(b, &prev, &prev_incomplete, &errors, &past_ascii);
        }
        __m256i wrong = _mm256_or_si256(errors, nul);
        if ((i & 4095) == 4032 && !_mm256_testz_si256(wrong, wrong))
            return 0;   /* every 4 KiB: a CP1252 file is told within its first accent's page */
    }
    for (; i < n; i += 32) {
        __m256i input;
        if (n - i >= 32) {
            input = _mm256_loadu_si256((const __m256i *)(const void *)(p + i));
        } else {   /* the last bytes, padded with spaces: ASCII, not NUL, ending no sequence */
            memset(tail, ' ', sizeof tail);
            memcpy(tail, p + i, n - i);
            input = _mm256_loadu_si256((const __m256i *)(const void *)tail);
        }
        if (refuse_nul)
            nul = _mm256_or_si256(nul, _mm256_cmpeq_epi8(input, zero));
        u8_block(input, &prev, &prev_incomplete, &errors, &past_ascii);
    }
    errors = _mm256_or_si256(_mm256_or_si256(errors, prev_incomplete), nul);
    if (!_mm256_testz_si256(errors, errors))
        return ESS_TEXT_NOT_UTF8;
    return past_ascii ? ESS_TEXT_UTF8 : ESS_TEXT_ASCII;
}
#endif
