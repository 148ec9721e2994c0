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
