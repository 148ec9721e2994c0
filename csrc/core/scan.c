/*
 * scan.c -- the one switch of the scanners in scan.h: SSE2 where the compiler targets it, or
 * the portable SWAR path when a test forces it (both give the same indexes; the tests read the
 * same files both ways).
 */
#include "internal.h"
#include "scan.h"

int ess_scan_portable = 0;

void ess_scan_set_portable(int portable) { ess_scan_portable = portable != 0; }

const char *ess_scan_kind(void)
{
#ifdef ESS_SCAN_HAVE_SSE2
    if (!ess_scan_portable)
        return "sse2";
#endif
    return "swar";
}
