/*
 * internal.h -- what one core file lends another and no host may call: the helpers a layer
 * above uses from a layer below (never the reverse; the layers are listed in README's Layout).
 * Not installed, not part of the API in essconv.h.
 */
#ifndef ESSCONV_INTERNAL_H
#define ESSCONV_INTERNAL_H

#include "essconv.h"

#include <stdint.h>
#include <string.h>

/* Propagates a nonzero status to the caller (nanoarrow's NANOARROW_RETURN_NOT_OK): for the
 * functions that own nothing at that point; a function that owns resources jumps to its one
 * cleanup exit instead. */
#define ESS_RETURN_NOT_OK(expr)                                                                    \
    do {                                                                                           \
        int ess_status_ = (expr);                                                                  \
        if (ess_status_ != ESS_OK)                                                                 \
            return ess_status_;                                                                    \
    } while (0)

/* A function of the CSV reader's straight path (the writers of a cell, the label look-up, the
 * plain amount) that is inlined wherever it is called: left to GCC, the writers stayed calls
 * from the straight path, each saving registers and passing six arguments -- 18 % more
 * instructions a record of the benchmark file, 15 % more CPU time (2026-11-30). */
#if defined(__GNUC__)
#define ESS_HOT inline __attribute__((always_inline))
#else
#define ESS_HOT inline
#endif

/* Eight or four bytes as a little-endian number, wherever they lie (no alignment asked): the
 * words the label hash, the short-label key and the amounts read a word at a time compute on
 * must be the same on every machine. */
static inline uint64_t ess_load64_le(const char *p)
{
    uint64_t w;
    memcpy(&w, p, 8);
#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_BIG_ENDIAN__
    w = __builtin_bswap64(w);
#endif
    return w;
}

static inline uint32_t ess_load32_le(const char *p)
{
    uint32_t w;
    memcpy(&w, p, 4);
#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_BIG_ENDIAN__
    w = __builtin_bswap32(w);
#endif
    return w;
}

/* ground: error.c -- asks for huge pages over a fresh block of at least 4 MB before it is first
 * written (Linux; elsewhere nothing): a large new column written into 4 KB pages costs a page
 * fault each, several times the writing itself. */
void ess_advise_huge_pages(void *data, size_t bytes);

/* ground: error.c -- the tests' switch: holds the pool's lock (on = 1) as a thread taking a kept
 * block holds it, or lets it go (on = 0, from the thread that held it); 1 when it did, 0 where
 * there is no pool.  A fork while it is held leaves the child a lock none of its threads will
 * release: the child's allocations must work on without the pool, not wait. */
int ess_pool_hold(int on);

/* ground: error.c -- the tests' switch for how many times (0.1 ms apart) a release or a count
 * tries the pool's lock before giving up (200: 20 ms); returns the number before.  A test of
 * "a lock held a moment is waited for" sets it far above the moment, so that a loaded machine
 * (or valgrind) scheduling the holder late does not make it give up: what it tests is the
 * waiting, not the bound. */
int ess_pool_patience(int tries);

/* ground: error.c -- a message made valid UTF-8 in place (the bytes of a character its buffer
 * or a "%.60s" cut are dropped): every writer of a message calls it, or ess_error_set does. */
void ess_text_mend(char *s);

/* base: text.c -- the one definition of blank, trim and case folding for every reader */
int ess_text_is_blank(const char *text, size_t len);   /* only white space (or empty) */
void ess_text_trim(const char **text, size_t *len);    /* drops the white space around it */
size_t ess_text_trim_end(const char *text, size_t len);   /* its length without trailing space */
/* A text that is a web page or an XML document, not CSV (a sheet saved from Excel as "Page
 * Web" or "XML Spreadsheet 2003", then named .csv), by its start: refused at 1:1 as
 * ESS_NOT_TEXT_FILE of kind ESS_NOT_TEXT_HTML / _XML, with how to get a CSV; else ESS_OK. */
int ess_markup_refused(const char *text, size_t len, ess_error *err);
int ess_text_fold(int c);                              /* ASCII lower case; other bytes as they are */
/* Excel's text-forcing cell ="00123" (a formula a script writes so that Excel keeps a SIRET's or
 * a code's leading zeros) as the text it stands for, 00123, trimmed: 1 when text was one (text
 * and len then moved to its inside), 0 otherwise, nothing changed.  A formula holding a quote
 * inside or anything else (=A1+B1) is no such cell. */
int ess_text_excel_unwrap(const char **text, size_t *len);
/* The character at text[0..len) (len > 0) in lower case, accented capitals included: writes
 * into folded as many bytes as it reads (1, or 2 for a two-byte UTF-8 character, read whole so
 * that two texts fold in step) and returns that count. */
size_t ess_text_fold_at(const char *text, size_t len, char folded[2]);
char *ess_text_folded_copy(const char *text, size_t len);   /* NUL-ended, owned; NULL: no memory */
/* U+00C0..U+017F as ASCII in lower case, accents dropped ("É" "e", "Œ" "oe", "ß" "ss"; "" for the
 * multiplication and division signs); NULL for any other code point. */
const char *ess_latin_fold(long cp);
/* The first level of the French order of labels: case and Latin accents folded, every other
 * byte kept; out needs len bytes; returns the key's length (<= len). */
size_t ess_text_sort_key(const char *text, size_t len, char *out);
/* A growing text (a quoted cell being unescaped): data[0..len), with room for a NUL after it. */
typedef struct ess_text_buf {
    char *data;   /* owned (ess_free); NULL until the first put */
    size_t len, cap;
} ess_text_buf;
int ess_text_buf_put(ess_text_buf *b, const char *p, size_t n);   /* ESS_OK or ESS_ENOMEM */

/* base: csv.c -- the UTF-16 byte order a text's BOM says (FF FE little-endian, Excel's;
 * FE FF big-endian), or ESS_ENC_AUTO when it starts with neither. */
ess_encoding ess_utf16_bom(const unsigned char *b, size_t len);
/* base: csv.c -- the bytes of the UTF-8 BOMs b starts with (3 each; a file saved twice may
 * hold two), 0 for none */
size_t ess_utf8_boms(const unsigned char *b, size_t len);
/* base: csv.c -- whether bytes are valid UTF-8 (overlongs and surrogates invalid, as Python's
 * decoder says; a NUL is valid here); when not, *bad_at receives the offset of the first byte
 * of the first invalid sequence.  Texts that arrive already decoded (Arrow's utf8 columns)
 * are checked with it: the format promises UTF-8, and a producer may not keep the promise. */
int ess_utf8_valid(const char *bytes, size_t len, size_t *bad_at);
/* The encoding ESS_ENC_AUTO finds for bytes (UTF-16 by its BOM, UTF-8, CP1252, mixed, a UTF-8
 * BOM told apart), the whole text looked at once; *utf8_checked says the text was found valid
 * UTF-8 (NUL bytes not looked for).  ess_decode_borrow_found decodes it with what was found,
 * without looking again: ess_decode_borrow's detection and decoding, done apart. */
ess_encoding ess_detect_encoding(const char *bytes, size_t len, int *utf8_checked);
int ess_decode_borrow_found(const char *bytes, size_t len, ess_encoding found, int utf8_checked,
                            const char **text, size_t *text_len, char **owned, ess_encoding *used,
                            ess_error *err);

/* base: dict.c */
int ess_dict_copy(ess_dict *dst, const ess_dict *src);   /* dst empty; same codes after */
/* Room for more labels of more_bytes bytes without moving an array or rehashing. */
int ess_dict_reserve(ess_dict *d, size_t more, size_t more_bytes);
/* Interns every label of from into into, in from's code order (so codes new to into follow
 * from's first sight): recode[k] (from->count entries) is into's code of from's label k.  Each
 * label of from is looked up once with the hash from holds (the seeds of one process agree),
 * into sized once beforehand; from may be unindexed (its labels may repeat). */
int ess_dict_merge(ess_dict *into, const ess_dict *from, int32_t *recode);
void ess_dict_forget(ess_dict *d);   /* no label left, its arrays and table kept */
/* A table with room for one label more (the first seeds it); label text with hash h appended
 * as code count at slot `empty` (what ess_dict_probe left there); and the same for a label the
 * probe of a table missed, the table grown first when full (ledger_put.h's inline look-up). */
int ess_dict_room_for_one(ess_dict *d);
int32_t ess_dict_append(ess_dict *d, const char *text, size_t len, uint64_t h, size_t empty);
int32_t ess_dict_add_missed(ess_dict *d, const char *text, size_t len, uint64_t h, size_t empty);

/* Text appended as code count to an unindexed dictionary, with its hash, no look-up. */
int32_t ess_dict_append_unindexed(ess_dict *d, const char *text, size_t len);

/* base: date.c */
int ess_date_last_day(int year, int month);   /* 28..31 */

/* tables: ledger.c -- the one place that writes a ledger's rows */
size_t ess_column_width(int kind);   /* bytes of one value of a column of this kind */
int ess_ledger_ensure_row(ess_ledger *l);   /* room for row l->nrows; ESS_ENOMEM */
int ess_ledger_ensure_rows(ess_ledger *l, size_t n);   /* room for rows nrows .. nrows + n - 1 */
/* The writers of one cell at row l->nrows are in ledger_put.h (inline, for the reader); the
 * caller commits the row (l->nrows++) once every column has one. */
void ess_ledger_commit_row(ess_ledger *l);              /* the row the writers wrote is kept */
void ess_ledger_drop_rows(ess_ledger *l, const size_t *rows, size_t count);   /* totals, not records */
void ess_ledger_count_blank(ess_ledger *l, size_t n);    /* n blank records skipped */
void ess_ledger_set_encoding(ess_ledger *l, ess_encoding enc);   /* what the text was read as */
void ess_ledger_shrink_to_rows(ess_ledger *l);   /* gives back an over-estimated capacity */
void ess_ledger_forget_rows(ess_ledger *l);   /* no row left, its columns' room kept */
int ess_ledger_drop_last_column(ess_ledger *l);   /* the reader's own; ESS_ENOMEM */

/* tables: derive.c -- how the group-by reads a derived key (the year, quarter or month of a
 * date, a period's side) without a column of its own: the source column's int32 values (LABEL
 * codes or DATE days) through a small table built once per distinct value.  Row i's key is
 * to[source[i] - base] when that index (modulo 2^32) is below len, else missing: a missing date
 * or code always falls outside.  With no table the source values are the key's own: a DATE
 * column's days, or codes computed row by row (rows) when dates lie centuries apart. */
typedef struct ess_key_view {
    const int32_t *source;   /* by row: the source column's values, or rows (not owned) */
    int32_t *to;             /* a derived code, or a day for kind DATE, by source value - base;
                              * NULL: none (owned) */
    int32_t base;            /* the source value of to[0] */
    uint32_t len;            /* entries of to */
    int32_t *rows;           /* codes by row when a table would be too large, else NULL (owned) */
    int kind;                /* of the key's values: ESS_COL_LABEL codes into labels, or
                              * ESS_COL_DATE days */
    int32_t missing;         /* the key's missing value: -1, or ESS_DATE_MISSING */
    ess_dict labels;         /* a calendar part's labels ("2009"...: code = value - smallest),
                              * empty for days (owned) */
} ess_key_view;

/* Checks key (ESS_EINVAL for a column of another kind; ESS_EPARSE naming the first row whose
 * label is no date or period) and builds its view; key->part is not ESS_PART_COPY.  v is empty
 * after a failure.  The ledger must not change while v is used. */
int ess_key_view_build(const ess_ledger *l, const ess_key *key, ess_key_view *v, ess_error *err);
void ess_key_view_free(ess_key_view *v);
int ess_key_kind(const ess_ledger *l, const ess_key *key);   /* of its values: ESS_COL_* */
const char *ess_key_name(const ess_ledger *l, const ess_key *key);
/* The order a DATE key's days were read in (ESS_DATES_DMY, ESS_DATES_MDY; 0: never decided): a
 * date column's own, or a label column's when its labels prove one (derive.c). */
int ess_key_date_order(const ess_ledger *l, const ess_key *key);

static inline int32_t ess_key_view_at(const ess_key_view *v, size_t i)
{
    int32_t value = v->source[i];
    if (v->to == NULL)
        return value;
    uint32_t at = (uint32_t)value - (uint32_t)v->base;
    return at < v->len ? v->to[at] : v->missing;
}

#endif
