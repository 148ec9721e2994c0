/*
 * check.h -- what every tests/c/test_*.c unit-test program shares: a CHECK that counts, and
 * the closing line "N passed, N failed" that tests/test_c_core.py (and CI) read.
 * Included once per program: the counters are the program's own.
 */
#ifndef ESS_TESTS_CHECK_H
#define ESS_TESTS_CHECK_H

#include <stdio.h>

static int passed, failed;

#define CHECK(cond)                                                                              \
    do {                                                                                         \
        if (cond)                                                                                \
            passed++;                                                                            \
        else {                                                                                   \
            failed++;                                                                            \
            fprintf(stderr, "%s:%d: CHECK failed: %s\n", __FILE__, __LINE__, #cond);             \
        }                                                                                        \
    } while (0)

/* main's last words: the tally, and nonzero on any failure */
static int check_report(void)
{
    printf("%d passed, %d failed\n", passed, failed);
    return failed != 0;
}

#endif
