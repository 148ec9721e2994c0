/*
 * test_money_fast.c -- the reader's fastest amount path (money_plain.h's ess_money_parse_cents,
 * which reads nearly every amount cell of a file straight from its bytes) against a slow,
 * obvious twin written here: the shape "[-]digits, a mark, two digits" read a byte at a time.
 *
 * On millions of random cells (digits, marks, signs, spaces, letters, any byte; lengths 0-22,
 * each cell in a buffer of its exact length so that ASan sees any read past it): the fast path
 * accepts exactly the cells of that shape, and gives the twin's cents.  Also checked: what it
 * accepts, the full reading (ess_money_parse) reads alike.
 * Built and run by tests/test_c_core.py (ASan + UBSan in CI).
 */
#include "money_plain.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "check.h"

/* The twin: 1 with *cents when text is [-]d{1,16}Md d (M the mark: the decimal mark, or a point
 * where the comma is the mark, as ess_money_parse_plain reads two decimals after a point). */
static int twin_cents(const char *text, size_t len, char decimal_mark, int64_t *cents)
{
    size_t i = 0;
    int neg = 0;
    if (len > 0 && text[0] == '-') {
        neg = 1;
        i = 1;
    }
    if (len < i + 4 || len > 19)
        return 0;
    size_t digits = len - 3 - i;
    if (digits < 1 || digits > 16)
        return 0;
    char mark = text[len - 3];
    if (mark != decimal_mark && !(mark == '.' && decimal_mark == ','))
        return 0;
    int64_t value = 0;
    for (size_t k = i; k < len; k++) {
        if (k == len - 3)
            continue;
        if (text[k] < '0' || text[k] > '9')
            return 0;
        value = value * 10 + (text[k] - '0');
    }
    *cents = neg ? -value : value;
    return 1;
}

static uint64_t state = 0x9E3779B97F4A7C15ULL;

static uint64_t next(void)
{
    state ^= state << 13;
    state ^= state >> 7;
    state ^= state << 17;
    return state;
}

static void check_cell(const char *cell, size_t len)
{
    char *text = malloc(len ? len : 1);   /* exactly its length: ASan sees a read past it */
    if (text == NULL) {
        failed++;
        return;
    }
    memcpy(text, cell, len);
    for (int m = 0; m < 2; m++) {
        char mark = m ? ',' : '.';
        int64_t fast = -1, slow = -1;
        int took = ess_money_parse_cents(text, len, mark, ESS_UNIT_EUR, &fast);
        int shaped = twin_cents(text, len, mark, &slow);
        if (took != shaped || (took && fast != slow)) {
            failed++;
            if (failed < 10)
                fprintf(stderr, "'%.*s' mark %c: fast %d %lld, twin %d %lld\n", (int)len, cell,
                        mark, took, (long long)fast, shaped, (long long)slow);
            continue;
        }
        if (took) {
            /* what the fast path takes, the full reading reads alike */
            ess_money_style style = {mark, ESS_UNIT_EUR, 0};
            ess_error e;
            ess_error_clear(&e);
            int64_t full = -1;
            if (ess_money_parse(text, len, &style, &full, NULL, &e) != ESS_OK || full != fast) {
                failed++;
                if (failed < 10)
                    fprintf(stderr, "'%.*s' mark %c: fast %lld, full %lld\n", (int)len, cell,
                            mark, (long long)fast, (long long)full);
                continue;
            }
        }
        passed++;
    }
    free(text);
}

int main(void)
{
    static const char alphabet[] = "01234567890123456789012345678901234567890123456789.,- x/:";
    const size_t letters = sizeof alphabet - 1;
    char cell[32];
    long shaped_cells = 0;
    for (long it = 0; it < 2000000; it++) {
        uint64_t r = next();
        size_t len = r % 23;
        int any_byte = (r >> 40) % 8 == 0;
        for (size_t k = 0; k < len; k++) {
            uint64_t b = next();
            cell[k] = any_byte ? (char)(b >> 24) : alphabet[b % letters];
        }
        /* most cells given the shape's mark, some a sign: the accepted side is exercised too */
        if (len >= 3 && (r >> 50) % 4 != 0)
            cell[len - 3] = (r >> 53) & 1 ? '.' : ',';
        if (len >= 1 && (r >> 56) % 5 == 0)
            cell[0] = '-';
        int64_t ignored;
        shaped_cells += twin_cents(cell, len, ',', &ignored);
        check_cell(cell, len);
    }
    /* the edges: every length of digits from 1 to 16, the largest, zeros, a lone sign */
    char digits[24];
    for (size_t n = 1; n <= 16; n++) {
        for (size_t k = 0; k < n; k++)
            digits[k] = (char)('9' - (char)(k % 10));
        memcpy(digits + n, ".99", 3);
        check_cell(digits, n + 3);
        digits[n] = ',';
        check_cell(digits, n + 3);
    }
    check_cell("9999999999999999.99", 19);
    check_cell("-9999999999999999.99", 20);
    check_cell("0000000000000000,00", 19);
    check_cell("-.12", 4);
    check_cell("-0.00", 5);
    if (shaped_cells < 100000) {   /* the accepted side was reached, not only refusals */
        failed++;
        fprintf(stderr, "only %ld cells of the shape\n", shaped_cells);
    }
    return check_report();
}
