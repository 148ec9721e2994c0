/*
 * money_plain.h -- the fast path of ess_money_parse (money.c), inline: the ledger reader calls it
 * on every amount cell straight from the file's bytes (no copy, no NUL, no call), and falls back
 * to ess_money_parse -- which starts with the same function -- only for the cells it declines.
 *
 * Layer: base.  Invariant: every text accepted here gets from ess_money_parse the cents given
 * here (tests/test_chunked_read.py checks the two against each other on every short text of
 * digits, gaps and marks, and fuzz_money on any input).
 */
#ifndef ESSCONV_MONEY_PLAIN_H
#define ESSCONV_MONEY_PLAIN_H

#include "internal.h"   /* ESS_HOT */

#include <stddef.h>
#include <stdint.h>
#include <string.h>

/* Digits after the mark a unit has room for: cents of euros, of k€, of M€. */
static inline int ess_unit_decimals(ess_unit unit)
{
    switch (unit) {
    case ESS_UNIT_KEUR: return 5;
    case ESS_UNIT_MEUR: return 8;
    default: return 2;
    }
}

/* The width of a thousands separator French exports print at text[i] -- a space, NBSP (C2 A0)
 * or U+202F (E2 80 AF) -- or 0. */
static ESS_HOT size_t ess_money_plain_gap(const char *text, size_t len, size_t i)
{
    const unsigned char *u = (const unsigned char *)text;
    if (u[i] == ' ')
        return 1;
    if (u[i] == 0xC2 && i + 1 < len && u[i + 1] == 0xA0)
        return 2;
    if (u[i] == 0xE2 && i + 2 < len && u[i + 1] == 0x80 && u[i + 2] == 0xAF)
        return 3;
    return 0;
}

/* The cents of an amount ending in a mark and two digits ("...,27"), 0-99, or -1: the mark
 * read as ess_money_parse_plain reads it, two decimals after a point being decimals even where
 * the comma is the mark.  Read once for both word-at-a-time paths below. */
static inline int ess_money_two_decimals(const char *text, size_t len, char decimal_mark)
{
    char mark = text[len - 3];
    if (mark != decimal_mark && !(mark == '.' && decimal_mark == ','))
        return -1;
    unsigned tenths = (unsigned char)text[len - 2] - '0';
    unsigned hundredths = (unsigned char)text[len - 1] - '0';
    return tenths > 9 || hundredths > 9 ? -1 : (int)(tenths * 10 + hundredths);
}

/* The commonest amount of all, read straight: [-]digits before the text's last three bytes
 * (its mark and `decimals`, read by ess_money_two_decimals), in euros ("277513.27").  At most
 * 16 digits fit the text's 19 bytes, so the cents (< 10^18) cannot overflow and no digit needs
 * a check of it.  Returns 1 with *cents set, 0 for any other text (left to
 * ess_money_parse_plain's loop, which reads this shape alike). */
static ESS_HOT int ess_money_whole_straight(const char *text, size_t len, int decimals,
                                           int64_t *cents)
{
    int neg = text[0] == '-';
    size_t i = (size_t)neg, end = len - 3;
    if (i == end)
        return 0;
    uint64_t whole = 0;
    size_t ndigits = end - i;
    if (ndigits <= 8 && i + 8 <= len) {
        /* up to 8 digits, eight bytes at once (the cell holds them: its mark and decimals
         * follow): the bytes past the digits shifted out, each byte's digit, then the eight
         * combined by three multiplications (fast_float's eight-digit parse) */
        uint64_t w = ess_load64_le(text + i);
        w <<= 8 * (8 - ndigits);   /* the digits in the top bytes, ... */
        if (ndigits < 8)
            w |= 0x3030303030303030ULL >> (8 * ndigits);   /* ... '0's below them */
        /* every byte a digit: its high nibble 3, and still 3 with 6 added */
        if (((w & 0xF0F0F0F0F0F0F0F0ULL) |
             (((w + 0x0606060606060606ULL) & 0xF0F0F0F0F0F0F0F0ULL) >> 4)) !=
            0x3333333333333333ULL)
            return 0;
        w -= 0x3030303030303030ULL;
        w = w * 10 + (w >> 8);   /* pairs */
        w = ((w & 0x000000FF000000FFULL) * (100 + (1000000ULL << 32)) +
             ((w >> 16 & 0x000000FF000000FFULL) * (1 + (10000ULL << 32)))) >> 32;
        whole = w;
    } else {
        for (; i < end; i++) {
            unsigned digit = (unsigned char)text[i] - '0';
            if (digit > 9)
                return 0;
            whole = whole * 10 + digit;
        }
    }
    int64_t value = (int64_t)(whole * 100 + (unsigned)decimals);
    *cents = neg ? -value : value;
    return 1;
}

/* [-]digits, a mark, two digits ("277513.27", "95240,48"), in euros: the two paths above, for
 * a caller with the text alone (tests/c/test_money_fast.c). */
static ESS_HOT int ess_money_parse_cents(const char *text, size_t len, char decimal_mark,
                                        ess_unit unit, int64_t *cents)
{
    if (unit != ESS_UNIT_EUR || len < 4 || len > 19)
        return 0;
    int decimals = ess_money_two_decimals(text, len, decimal_mark);
    return decimals >= 0 && ess_money_whole_straight(text, len, decimals, cents);
}

/* The flags 0x80 of the bytes of t (a word of bytes XOR '0') that are not digits 0-9: a byte
 * over 9 gets bit 7 from adding 0x76, a byte past 0x7F has it already.  A carry out of a byte
 * past 0x89 reaches only the bytes above it: the lowest flag is always the first non-digit. */
static inline uint32_t ess_money_not_digits(uint32_t t)
{
    return ((t + 0x76767676u) | t) & 0x80808080u;
}

/* Three digit bytes (XOR '0', in the low three bytes of t) as their number. */
static inline uint32_t ess_money_three(uint32_t t)
{
    return (t & 0xFF) * 100 + (t >> 8 & 0xFF) * 10 + (t >> 16 & 0xFF);
}

/* The French amount of a quoted export read straight: [-]1-3 digits, then one or two groups
 * of three each after the same gap (a space, NBSP or U+202F), a mark, two digits ("277 513,27",
 * "1 234 567,89"), in euros, before the text's last three bytes (its mark and `decimals`) --
 * the shape ess_money_parse_plain's loop reads digit by digit, at two or three mispredicted
 * branches an amount (its group lengths and gaps), here read a word at a time: the first gap found in one load, each group checked and worth its three digits in
 * one more.  Returns 1 with *cents set, 0 for any other text (the loop's, which reads every
 * text accepted here to the same cents: tests/test_chunked_read.py's twins, fuzz_money). */
static ESS_HOT int ess_money_whole_grouped(const char *text, size_t len, int decimals,
                                          int64_t *cents)
{
    const int neg = text[0] == '-';
    const char *s = text + neg;
    /* digits and gaps: the shortest "1 234" (,56); the longest "-123 456 789" with U+202F gaps */
    const size_t whole_len = len - 3 - (size_t)neg;
    if (whole_len < 5 || whole_len > 19)
        return 0;
    /* the first group: the digits before the first byte that is not one (s holds 4 bytes) */
    const uint32_t head = ess_load32_le(s) ^ 0x30303030u;
    const uint32_t stops = ess_money_not_digits(head);
    const unsigned first = stops ? (unsigned)__builtin_ctz(stops) / 8 : 4;
    if (first == 0 || first > 3)
        return 0;
    /* the gap there: its width from its first byte, then all its bytes in one compare */
    static const unsigned char gap_width[16] = {[0x2] = 1, [0xC] = 2, [0xE] = 3};
    static const uint32_t gap_bytes[4] = {0, 0x20, 0xA0C2, 0xAF80E2};
    static const uint32_t gap_mask[4] = {0, 0xFF, 0xFFFF, 0xFFFFFF};
    const unsigned char lead = (unsigned char)s[first];
    const unsigned width = gap_width[lead >> 4];
    const size_t step = 3 + width;   /* a gap and its group */
    /* one or two groups after the first: compared, not divided (a division waits ~30 cycles) */
    const size_t rest = whole_len - first;
    const size_t groups = rest == step ? 1 : rest == 2 * step ? 2 : 0;
    if (width == 0 || lead != (gap_bytes[width] & 0xFF) || groups == 0)
        return 0;
    const uint32_t g0 = ess_money_three(head << (8 * (3 - first)) & 0xFFFFFF);
    if (g0 == 0)
        return 0;   /* "0 123,45": the loop leaves a first group worth nothing to the full reading */
    uint64_t whole = g0;
    for (size_t k = 0; k < groups; k++) {
        const char *gap = s + first + k * step;
        const uint32_t digits = ess_load32_le(gap + width) ^ 0x30303030u;
        if ((ess_load32_le(gap) & gap_mask[width]) != gap_bytes[width] ||
            ess_money_not_digits(digits & 0xFFFFFF) != 0)
            return 0;
        whole = whole * 1000 + ess_money_three(digits);
    }
    int64_t value = (int64_t)(whole * 100 + (unsigned)decimals);
    *cents = neg ? -value : value;
    return 1;
}

/* The common case, kept cheap: [-]digits[mark digits] with nothing else, the digits grouped by
 * thousands or not ("12 345,67", NBSP, U+202F: one kind of gap, a first group of 1-3 digits
 * worth something, then groups of three), the mark read the same in both styles (a ',' in
 * French or a '.' that cannot be a thousands separator).  Returns 1 with *cents set, 0 when the
 * text needs the full reading -- which gives the same cents for every text accepted here, and
 * says why for the others. */
static ESS_HOT int ess_money_parse_plain(const char *text, size_t len, char decimal_mark,
                                        ess_unit unit, int64_t *cents)
{
    if (unit == ESS_UNIT_EUR && len >= 4 && len <= 23) {   /* a mark and two decimals last */
        const int decimals = ess_money_two_decimals(text, len, decimal_mark);
        if (decimals >= 0 && ((len <= 19 && ess_money_whole_straight(text, len, decimals, cents)) ||
                              ess_money_whole_grouped(text, len, decimals, cents)))
            return 1;
    }
    size_t i = 0, nint = 0, nfrac = 0, group_len = 0, gap = 0, groups = 0;
    int neg = 0, max_frac = ess_unit_decimals(unit);
    uint64_t whole = 0, frac = 0;
    if (len > 0 && text[0] == '-') {
        neg = 1;
        i = 1;
    }
    for (;;) {
        while (i < len && text[i] >= '0' && text[i] <= '9' && nint < 18)
            whole = whole * 10 + (uint64_t)(text[i++] - '0'), nint++, group_len++;
        size_t g = i < len ? ess_money_plain_gap(text, len, i) : 0;
        if (g == 0)
            break;
        /* a gap the full reading would question (or refuse) is left to it */
        if ((groups == 0 ? group_len == 0 || group_len > 3 || whole == 0 : group_len != 3) ||
            (gap != 0 && g != gap) || i + g >= len || text[i + g] < '0' || text[i + g] > '9')
            return 0;
        gap = g;
        groups++;
        group_len = 0;
        i += g;
    }
    int simple = nint > 0 && (groups == 0 || group_len == 3);
    if (simple && i < len && (text[i] == ',' || text[i] == '.')) {
        char mark = text[i++];
        while (i < len && text[i] >= '0' && text[i] <= '9' && (int)nfrac < max_frac)
            frac = frac * 10 + (uint64_t)(text[i++] - '0'), nfrac++;
        simple = nfrac > 0 &&
                 (mark == decimal_mark || (mark == '.' && decimal_mark == ',' && nfrac != 3));
    }
    if (!simple || i != len)
        return 0;
    for (size_t d = nfrac; d < (size_t)max_frac; d++)
        frac *= 10;
    uint64_t value;
    if (__builtin_mul_overflow(whole, (uint64_t)unit, &value) ||
        __builtin_add_overflow(value, frac, &value) || value > (uint64_t)INT64_MAX)
        return 0;
    *cents = neg ? -(int64_t)value : (int64_t)value;
    return 1;
}

#endif
