/*
 * ledger_put.h -- ledger.c's writers of one cell, one per column kind, inline: the CSV reader
 * (ledger_read.c) picks one per header field when it reads the header and calls it on every cell
 * of that field, straight from the file's bytes (no copy, no NUL, no switch on the kind per cell,
 * no call through the PLT for the common cell).
 *
 * Layer: tables (ledger.c's part; only the reader includes it).  Each writer reads text[0, len)
 * -- a cell as the file has it, white space around it ignored as ess_text_trim ignores it -- and
 * writes the value at row `row` of its column, or returns the status with err set (its column
 * counted from the cell's first byte).  A blank label, int or date is missing; a blank amount is
 * an error (ESS_EPARSE).
 */
#ifndef ESSCONV_LEDGER_PUT_H
#define ESSCONV_LEDGER_PUT_H

#include "dict_probe.h"
#include "internal.h"
#include "money_plain.h"

typedef int (*ess_cell_writer)(ess_column *col, size_t row, const char *text, size_t len,
                               const ess_money_style *style, ess_error *err);

/* ess_text_trim, with the common cell -- an ASCII letter, digit or mark at both ends, which no
 * space starts or ends -- decided here without a call. */
static ESS_HOT void ess_text_trim_inline(const char **text, size_t *len)
{
    if (*len > 0) {
        unsigned char first = (unsigned char)(*text)[0], last = (unsigned char)(*text)[*len - 1];
        if (first > ' ' && first < 0x80 && last > ' ' && last < 0x80)
            return;
    }
    ess_text_trim(text, len);
}

/* When a chunk's column decides to stop indexing: as it writes its row DICT_UNINDEX_AT (counted
 * from 0), if its table holds more labels than 3 in 4 of DICT_UNINDEX_AT by then.  A column of a
 * million names then costs its chunk one append a cell instead of a look-up that misses the
 * cache, a rehash now and then, and the append; the merge looks up every cell instead of every distinct label, which for such a
 * column is nearly the same count.  A column of fewer than about 6 000 labels drawn evenly stays
 * indexed (5 000: some 2 800 distinct in 4 096 rows); one of 10 000 switches, and its merge's
 * extra look-ups hit a table in the cache.  7 in 8 measured the same on the names file and
 * 1.05x slower on the SCDL-shaped one (2e6 rows: its names are 85 % new at 4 096 rows). */
#ifndef DICT_UNINDEX_AT
#define DICT_UNINDEX_AT 4096   /* the fuzz build lowers it (tests/fuzz/run.sh): small inputs switch */
#endif

/* A label's code: a known one found here without a call (the hash and the probe of
 * dict_probe.h), a new one added by dict.c at the slot the probe left (a table's first label
 * seeds the table there too). */
static ESS_HOT int32_t ess_label_code(ess_dict *d, const char *text, size_t len)
{
    if (d->nslots == 0)
        return ess_dict_intern(d, text, len);
    uint64_t h = ess_label_hash(text, len, d->seed);
    size_t empty = 0;
    int32_t found = ess_dict_probe(d, text, len, h, &empty);
    return found >= 0 ? found : ess_dict_add_missed(d, text, len, h, empty);
}

/* Whether a label cell is the common one kept as it is: an ASCII letter, digit or mark at both
 * ends (no space to trim), not Excel's ="..." -- one test of its first and last bytes. */
static inline int plain_label(const char *t, size_t len)
{
    if (len == 0)
        return 0;
    unsigned first = (unsigned char)t[0], last = (unsigned char)t[len - 1];
    /* 0x21-0x7F at both ends, '=' not first: the tests combined without a branch each (the
     * reader asks this of every label cell, and each && was a branch of its own) */
    return (first - 0x21u < 0x5Fu) & (first != '=') & (last - 0x21u < 0x5Fu);
}

/* Labels are kept without surrounding spaces: "CDC " and "CDC" are one funder.  A chunk's
 * column of nearly all new labels stops indexing at its DICT_UNINDEX_AT-th row (above). */
static ESS_HOT int ess_put_label(ess_column *col, size_t row, const char *text, size_t len,
                                const ess_money_style *style, ess_error *err)
{
    (void)style;
    /* trimmed, and ="00123", Excel's text-forcing cell, read as 00123 (a SIRET keeps its leading
     * zero and is one label with the same SIRET written plainly), never the formula: one test
     * of the first and last bytes passes the common label by both */
    if (!plain_label(text, len)) {
        ess_text_trim(&text, &len);
        /* a UTF-8 BOM opening a label is where a second file was joined (cat part1.csv
         * part2.csv, the second's header row deleted in Excel, which kept its BOM): no letter
         * of it.  Kept, '\ufeffCité' printed as 'Cité' and was grouped apart from it, its
         * grants out of Cité's total, silently.  A BOM is never a label's text; the file's own
         * BOMs are passed over where its encoding is read (csv.c) */
        size_t boms = len >= 3 && (unsigned char)text[0] == 0xEF
                          ? ess_utf8_boms((const unsigned char *)text, len) : 0;
        if (boms) {
            text += boms;
            len -= boms;
            ess_text_trim(&text, &len);
        }
        if (len && text[0] == '=')
            ess_text_excel_unwrap(&text, &len);
    }
    int32_t code = -1;
    ess_dict *d = &col->dict;
    if (len && d->unindexed)
        code = ess_dict_append_unindexed(d, text, len);
    else if (len && (code = ess_label_code(d, text, len)) >= 0 && row == DICT_UNINDEX_AT &&
             d->may_stop_indexing && d->count * 4 > (size_t)DICT_UNINDEX_AT * 3)
        d->unindexed = 1;
    if (len && code < 0)
        return ess_error_set(err, ESS_ENOMEM, 0, 0, "out of memory interning a label");
    ((int32_t *)col->data)[row] = code;
    return ESS_OK;
}

static inline int put_date_in_order(ess_column *col, size_t row, const char *text, size_t len,
                                    int order, ess_error *err)
{
    int32_t days = ESS_DATE_MISSING;
    int rc = ess_date_parse_in_order(text, len, order, &days, err);
    if (rc == ESS_BLANK)
        days = ESS_DATE_MISSING;
    else if (rc)
        return rc;
    ((int32_t *)col->data)[row] = days;
    return ESS_OK;
}

/* A date column whose order is decided on its evidence: 08/09/2017 read day first, 03/25/2017
 * month first; the reader weighs each value and reads the file again month first when the
 * column says so (ledger_read.c, date_verdict). */
static inline int ess_put_date(ess_column *col, size_t row, const char *text, size_t len,
                               const ess_money_style *style, ess_error *err)
{
    (void)style;
    return put_date_in_order(col, row, text, len, ESS_DATES_DETECT, err);
}

/* The order said (or decided on a first reading): a value of the other order is refused. */
static inline int ess_put_date_dmy(ess_column *col, size_t row, const char *text, size_t len,
                                   const ess_money_style *style, ess_error *err)
{
    (void)style;
    return put_date_in_order(col, row, text, len, ESS_DATES_DMY, err);
}

static inline int ess_put_date_mdy(ess_column *col, size_t row, const char *text, size_t len,
                                   const ess_money_style *style, ess_error *err)
{
    (void)style;
    return put_date_in_order(col, row, text, len, ESS_DATES_MDY, err);
}

static ESS_HOT int ess_put_int(ess_column *col, size_t row, const char *text, size_t len,
                              const ess_money_style *style, ess_error *err)
{
    (void)style;
    /* the common cell, a year ("2011"): up to 18 digits and nothing else, read straight --
     * 10^18 - 1 < INT64_MAX, so no digit needs an overflow check */
    if (len == 4) {   /* a year, its four digits in one load (no loop to leave) */
        const uint32_t t = ess_load32_le(text) ^ 0x30303030u;
        if (ess_money_not_digits(t) == 0) {
            ((int64_t *)col->data)[row] = (int64_t)((t & 0xFF) * 1000 + (t >> 8 & 0xFF) * 100 +
                                                    (t >> 16 & 0xFF) * 10 + (t >> 24));
            return ESS_OK;
        }
    }
    if (len - 1 < 18) {   /* 1 to 18 bytes */
        uint64_t plain = 0;
        size_t k = 0;
        for (; k < len; k++) {
            unsigned digit = (unsigned char)text[k] - '0';
            if (digit > 9)
                break;
            plain = plain * 10 + digit;
        }
        if (k == len) {
            ((int64_t *)col->data)[row] = (int64_t)plain;
            return ESS_OK;
        }
    }
    int64_t v = 0;   /* any other text: signs, spaces around, 19 digits, or not an integer */
    const char *digits = text;
    size_t ndigits = len;
    ess_text_trim_inline(&digits, &ndigits);   /* as a date or a label: "\t2017" is 2017 */
    size_t i = (size_t)(digits - text), n = i + ndigits;   /* columns stay the cell's */
    if (i == n) {
        ((int64_t *)col->data)[row] = ESS_INT_MISSING;
        return ESS_OK;
    }
    int neg = text[i] == '-';
    if (neg || text[i] == '+')
        i++;
    if (i == n)
        return ess_error_set(err, ESS_EPARSE, 0, 1, "'%.*s' is not an integer", (int)len, text);
    for (; i < n; i++) {
        if (text[i] < '0' || text[i] > '9')
            return ess_error_set(err, ESS_EPARSE, 0, (long)i + 1, "'%.*s' is not an integer",
                                 (int)(len > 40 ? 40 : len), text);
        if (__builtin_mul_overflow(v, 10, &v) || __builtin_add_overflow(v, text[i] - '0', &v))
            return ess_error_set(err, ESS_EOVERFLOW, 0, 1, "'%.*s' does not fit int64",
                                 (int)(len > 40 ? 40 : len), text);
    }
    ((int64_t *)col->data)[row] = neg ? -v : v;
    return ESS_OK;
}

/* The plain amount ("1234.56", "12 345,67") inline; anything else through the full parser,
 * which reads the plain ones alike (it starts with the same function). */
static ESS_HOT int ess_put_amount(ess_column *col, size_t row, const char *text, size_t len,
                                 const ess_money_style *style, ess_error *err)
{
    int64_t cents;
    char mark = style->decimal_mark ? style->decimal_mark : ',';   /* as ess_money_parse */
    ess_unit unit = style->unit ? style->unit : ESS_UNIT_EUR;
    /* under a declared comma the fast path's point before two decimals is no decimal mark:
     * such a cell is left to the full reading, which refuses it */
    if ((style->flags & ESS_MONEY_MARK_SAID && mark == ',' && memchr(text, '.', len) != NULL) ||
        !ess_money_parse_plain(text, len, mark, unit, &cents)) {
        /* the unit asked for: a cell of "€" alone is "a unit with no amount", as
         * parse_amount says it, not "blank" (the parser tells them apart only when asked) */
        ess_unit seen = ESS_UNIT_NONE;
        int rc = ess_money_parse(text, len, style, &cents, &seen, err);
        if (rc == ESS_BLANK)
            return ess_error_set(err, ESS_EPARSE, 0, 1, "the amount is blank");
        if (rc)
            return rc;
    }
    ((int64_t *)col->data)[row] = cents;
    return ESS_OK;
}

/* The writer of a column of this kind (ess_column_kind). */
static inline ess_cell_writer ess_cell_writer_of(int kind)
{
    switch (kind) {
    case ESS_COL_LABEL: return ess_put_label;
    case ESS_COL_DATE: return ess_put_date;
    case ESS_COL_INT: return ess_put_int;
    case ESS_COL_AMOUNT: return ess_put_amount;
    }
    return NULL;
}

#endif
