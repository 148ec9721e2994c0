/*
 * essconv.h -- the one public header of the essconv core.
 *
 * The core is plain C11 with no dependency beyond the C standard library: it could be linked
 * into R, a command-line tool or a server as well as into the CPython binding.  It knows:
 *   - money:       exact amounts as int64 counts of euro cents, parsed as French documents
 *                  print them, formatted back, added and scaled with overflow checks;
 *   - text:        bytes to cells (encoding detection, delimiters, quotes), with the line
 *                  and character column of every cell;
 *   - plans:       financing matrices (action lines x funders) with their stated totals,
 *                  computed sums, validation findings and the smallest explanation of a
 *                  mismatch (reconciliation);
 *   - conventions: the parties of a convention and how funder codes roll up to them, the
 *                  term, and the governance rhythm.
 *
 * Conventions kept everywhere:
 *   - every function that can fail returns an int status (ESS_OK == 0) and fills an
 *     ess_error when one is given; the error says where (line, column) and what;
 *   - every X_free(NULL) does nothing;
 *   - every allocation goes through ess_malloc/ess_realloc/ess_free, which a host (or a
 *     test) can redirect with ess_set_allocator;
 *   - the core never builds a host object: it reports cells, amounts and findings.
 */
#ifndef ESSCONV_H
#define ESSCONV_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/* ---------------------------------------------------------------- status and errors */

enum {
    ESS_OK = 0,
    ESS_ENOMEM = 1,     /* an allocation failed */
    ESS_EOVERFLOW = 2,  /* an amount does not fit int64 cents */
    ESS_EPARSE = 3,     /* text that is not what it should be (an amount, a date...) */
    ESS_EFORMAT = 4,    /* a table broken in structure (ragged rows, open quote...) */
    ESS_EINVAL = 5,     /* a caller's argument out of its domain */
    ESS_ENOTFOUND = 6,  /* a label, code or year the object does not know */
    ESS_BLANK = 7       /* not an error: the text holds no amount (blank cell) */
};

/* an error's message: the longest, a plan's overflow naming its side, its largest figure, its
 * place and the bound that makes it the likeliest, is about 370 bytes */
#define ESS_MESSAGE_MAX 400
/* a finding's message: an ambiguity lists its candidate sets and a correction-set its edits,
 * each with the labels of its cells, which 320 bytes cut in the middle of an edit */
#define ESS_FINDING_MESSAGE_MAX 1024
/* a plan problem's message: one naming both readings of a row ("Total des formations" as a
 * partial total or as a line) and what to do for each, which 320 bytes cut mid-sentence */
#define ESS_PROBLEM_MESSAGE_MAX 640

/* Why a row was set aside, for a host to word in its reader's language (the message is the
 * English wording): the kind and what the wording needs. */
enum {
    ESS_BAD_OTHER = 0,           /* the message alone says it */
    ESS_BAD_FIELD_COUNT,         /* count fields where the header has expected */
    ESS_BAD_AMOUNT,              /* field's value is not an amount */
    ESS_BAD_AMOUNT_BLANK,        /* field's amount is blank */
    ESS_BAD_AMOUNT_DASH,         /* field's value is a dash alone (dash_is_zero reads it 0) */
    ESS_BAD_AMOUNT_TOO_LARGE,    /* field's value is beyond int64 cents */
    ESS_BAD_DATE,                /* field's value is not a date */
    ESS_BAD_DATE_IMPOSSIBLE,     /* field's value names no day (31/02/2017) */
    ESS_BAD_DATE_ORDER,          /* field's value can only be read in the other order than said
                                  * (expected: ESS_DATES_DMY or ESS_DATES_MDY, the order said) */
    ESS_BAD_INT,                 /* field's value is not an integer */
    ESS_BAD_INT_TOO_LARGE,       /* field's value does not fit int64 */
    ESS_BAD_TOTAL_SAYS,          /* a row labelled value, a total: its amount is not the sum
                                  * of the rows above */
    ESS_BAD_TOTAL_SUM,           /* a total row: amount is the sum of the count records above
                                  * (summaries and sub-totals between not counted; value: its
                                  * label, empty when none) */
    ESS_BAD_HEADER_REPEATED,     /* the header again, in its own order (exports joined one
                                  * after the other): field's value is its own name */
    ESS_BAD_NUL_CELL,            /* field's value (escaped: \x00) holds a NUL character, at
                                  * its character expected: no text is written so */
    ESS_BAD_HEADER_REORDERED,    /* the header again, in another order (a refusal, never set
                                  * aside): field is the first header's amount column, value
                                  * the name this row has there, count its field (1-based) and
                                  * expected that name's field in the first header */
    ESS_BAD_TOTAL_SUM_BELOW,     /* the first row, a total: amount is the sum of the count rows
                                  * below (value: its label) */
    ESS_BAD_UNIT_COLUMN,         /* field, a column naming a row's unit ("unité"), says value:
                                  * a unit of count cents, where the amount column (amount: its
                                  * name) is read in units of expected cents */
    ESS_BAD_CURRENCY_COLUMN,     /* field, a column naming a row's unit ("devise"), says value:
                                  * another currency than the euro, where the amount column
                                  * (amount: its name) is read in euros */
    ESS_BAD_TOTAL_SUMMARY,       /* a row blank but for its amount (or naming a summary: value,
                                  * "Moyenne") after a SUM row at the bottom (an average, a
                                  * count): count is that SUM row's line; field, when set, the
                                  * column left out of the read (dims) whose cell value is */
    ESS_BAD_TOTAL_SUMMARY_ABOVE  /* such a row just before the SUM row at the bottom ("Moyenne"
                                  * above "Total"): count is that SUM row's line */
};

typedef struct ess_bad_reason {
    int kind;                    /* ESS_BAD_* */
    long count, expected;
    char field[64];              /* the column's name */
    char value[64];              /* the cell, trimmed (an unreadable amount: as read,
                                  * its character counted in it), or a total row's label */
    char amount[64];             /* a total row's amount, printed the French way */
    int detail;                  /* ESS_BAD_AMOUNT: ESS_AMOUNT_*, the parser's finding (count:
                                  * its number, expected: its character), 0 when unknown */
    long more;                   /* ESS_BAD_TOTAL_*, refused (not collected): how many other
                                  * total rows the file has, which the refusal says too (the
                                  * first one alone stops the reading) */
} ess_bad_reason;

typedef struct ess_error {
    int status;                      /* ESS_OK when nothing went wrong */
    long line;                       /* 1-based line in the input, 0 when not applicable */
    long column;                     /* 1-based character column, 0 when not applicable */
    char message[ESS_MESSAGE_MAX];   /* one sentence, NUL-terminated */
    int detail;                      /* what exactly is wrong, for a host to word in its
                                      * reader's language (ESS_AMOUNT_*: ess_money_parse) or to
                                      * raise (ESS_AMOUNT_TYPE: arrow.c); 0 when the message
                                      * alone says it.  ess_error_set resets it */
    long detail_n;                   /* the number the detail needs (a group's digits, the
                                      * decimals cents hold, a stray character's code point) */
    long detail_m;                   /* a second number, when the detail needs one
                                      * (ESS_ARROW_PRODUCER: the rows read before) */
    ess_bad_reason row;              /* a row a reader refused (it sets none aside when not
                                      * asked to): why, as the same row set aside would say
                                      * it, for a host to word the refusal in its reader's
                                      * language; kind ESS_BAD_OTHER when the error is no such
                                      * row's.  ess_error_set resets it */
} ess_error;

/* What ess_money_parse found wrong in an amount (ess_error.detail), the place being the error's
 * column (a character of the text): the message says it in English, a host words it from these
 * in its reader's language. */
enum {
    ESS_AMOUNT_OK = 0,
    ESS_AMOUNT_CHARACTER,            /* a character no amount has (detail_n: its code point) */
    ESS_AMOUNT_SECOND_MARK,          /* a second decimal mark */
    ESS_AMOUNT_AFTER_DECIMALS,       /* a ',' or '.' after the decimals (detail_n: it) */
    ESS_AMOUNT_GROUP_AFTER_SEPARATOR,/* a group of detail_n digits after a thousands separator */
    ESS_AMOUNT_GROUP_SIZE,           /* a group of detail_n digits where three are expected */
    ESS_AMOUNT_POINT_GROUPS,         /* the same, its point read as a thousands separator (the
                                      * decimal mark being the comma): decimal='.' reads it */
    ESS_AMOUNT_NO_DIGIT_AFTER_MARK,  /* the decimal mark ends the number */
    ESS_AMOUNT_SEPARATOR_AFTER_ZERO, /* a thousands separator after a leading zero */
    ESS_AMOUNT_TWO_SEPARATORS,       /* two kinds of thousands separator */
    ESS_AMOUNT_SEPARATOR_NO_DIGIT,   /* a thousands separator not followed by a digit */
    ESS_AMOUNT_SUB_CENT,             /* more decimals than cents hold (detail_n: how many do) */
    ESS_AMOUNT_TOO_LONG,             /* longer than any printed amount */
    ESS_AMOUNT_UNIT_ONLY,            /* a unit with no amount */
    ESS_AMOUNT_PERCENT,              /* a percentage */
    ESS_AMOUNT_DASH,                 /* a dash alone (dash_is_zero reads it as zero) */
    ESS_AMOUNT_PAREN_OPEN,           /* '(' never closed */
    ESS_AMOUNT_PAREN_CLOSE,          /* ')' closing nothing */
    ESS_AMOUNT_MINUS_IN_PARENS,      /* a sign (- or +) inside parentheses */
    ESS_AMOUNT_DIGIT_EXPECTED,       /* no digit where the number starts */
    ESS_AMOUNT_TOO_LARGE,            /* beyond int64 cents (too many digits); detail_n is
                                      * the side: ESS_ABOVE_INT64 or ESS_BELOW_INT64 */
    ESS_AMOUNT_COMMA_GROUPS,         /* "1,234,567" read with a decimal comma: its commas
                                      * group thousands, as a point-decimal column writes them
                                      * (decimal='.' reads it) */
    ESS_AMOUNT_COMMA_MAY_GROUP,      /* "1,234" in euros: more decimals than cents hold, or its
                                      * comma groups thousands (decimal='.' reads it so) */
    ESS_AMOUNT_UNIT_TWICE,           /* a unit both before and after the amount ("€ 45 €") */
    ESS_AMOUNT_AMBIGUOUS,            /* a reader's refusal, not the parser's: "12.500" (or "1,500")
                                      * could be either, the column's other amounts not saying
                                      * which (detail_n: ESS_AMBIGUOUS_*); the message quotes it */
    ESS_AMOUNT_MARK_SAID,            /* the other mark than the one declared (detail_n: it, '.'
                                      * under a declared ',') where it groups no thousands */
    ESS_AMOUNT_CURRENCY              /* another currency than the euro named before or after
                                      * the number ("100 USD", "$100"); the column its start,
                                      * detail_n its length in characters, negative before the
                                      * number (the trimmed cell's start, else its end) */
};

/* Why nothing decides an ESS_AMOUNT_AMBIGUOUS amount (its detail_n). */
enum {
    ESS_AMBIGUOUS_NO_OTHER = 0,      /* no other amount says which */
    ESS_AMBIGUOUS_OTHERS_DISAGREE,   /* the other amounts disagree on the point */
    ESS_AMBIGUOUS_COMMA_FILE         /* "1,500" alone in a ',' file: the delimiter says nothing */
};

/* An Arrow import refused the amount column for its type (ess_error.detail with ESS_EINVAL):
 * the host raises its amount-type error, not the one for other columns. */
#define ESS_AMOUNT_TYPE 100

/* A reader's header lacks a column asked for (ess_error.detail with ESS_EFORMAT): the message
 * names it, the one it may be and those the header has, for a host to word in its reader's
 * language. */
#define ESS_HEADER_NO_COLUMN 101

/* A date key derived from a label column refused (ess_error.detail with ESS_EPARSE, detail_n
 * the row, 1-based): the label is no date, a period where one date is wanted, or a period that
 * ends before it starts.  The message quotes the column and the label, for a host to word them
 * in its reader's language. */
#define ESS_DERIVE_NOT_A_DATE 102
#define ESS_DERIVE_A_PERIOD 103
#define ESS_DERIVE_BACKWARD 104
/* ... or a column whose rows hold a date that can only be day first and one that can only be
 * month first (detail_n the later's row): which one 04/05/2017 is cannot be known. */
#define ESS_DERIVE_MIXED_ORDERS 114

/* A sum past int64 cents (ess_error.detail with ESS_EOVERFLOW): which sum, for a host to word it
 * in its reader's language -- a group's, a ledger's total, the total of an aggregate's groups,
 * a plan's (the message names its largest figure). */
#define ESS_OVERFLOW_GROUP_SUM 105
#define ESS_OVERFLOW_TOTAL 106
#define ESS_OVERFLOW_GROUPS_TOTAL 107
#define ESS_OVERFLOW_PLAN 108
#define ESS_OVERFLOW_OTHERS 109   /* the sum of the groups an aggregate's top leaves out */
#define ESS_OVERFLOW_CUMULATIVE 120   /* a report's running sum, each group's sum fitting */
/* With an ESS_OVERFLOW_* detail, ess_error.detail_n is the side the sum left int64 cents by:
 * ESS_ABOVE_INT64 past INT64_MAX, ESS_BELOW_INT64 under INT64_MIN (a committee must not read a
 * huge negative total as a huge positive one).  An exact sum (wraps counted) is above or below;
 * a checked running sum (ess_add) is said by the addition that left the range, even when the
 * later figures would have brought the exact sum back. */
#define ESS_ABOVE_INT64 1
#define ESS_BELOW_INT64 (-1)

/* A reader's file refused whole (ess_error.detail with ESS_EFORMAT), for a host to word in its
 * reader's language: empty, a column named twice in the header (the message quotes it and its
 * fields), a quote never closed (the message gives its line and column). */
#define ESS_FILE_EMPTY 110
#define ESS_HEADER_TWICE 111
#define ESS_QUOTE_UNCLOSED 112

/* A bulk import (an Arrow date32, a from_arrays buffer) staged a day outside the years 1 to
 * 9999 a date column keeps (ess_error.detail with ESS_EINVAL, detail_n the row, 1-based): a
 * value refused, not a type, so the host raises its invalid-value error. */
#define ESS_DATE_OUT_OF_RANGE 113

/* The producer of an Arrow stream failed (ess_error.detail with ESS_EINVAL): its get_schema or
 * get_next returned an error, the stream's own message quoted (cut to the message's room; the
 * host may read it whole from get_last_error before releasing the stream).  detail_n is the
 * batch that failed (0-based; -1: the schema), detail_m the rows read before it.  Not the
 * caller's argument's fault: the host raises its error for a failed data source. */
#define ESS_ARROW_PRODUCER 115

/* A text reader's bytes refused as no text (ess_error.detail with ESS_EFORMAT), for a host to
 * word in its reader's language, the error's line and column its place: a byte neither UTF-8
 * nor CP1252 (detail_n: the byte), a NUL byte. */
#define ESS_BYTE_NOT_TEXT 116
#define ESS_NUL_BYTE 117

/* A text reader's file refused whole as another kind of file its first bytes tell
 * (ess_error.detail with ESS_EFORMAT, at 1:1), detail_n saying which (ESS_NOT_TEXT_*), for a
 * host to word in its reader's language what it is and what to do instead. */
#define ESS_NOT_TEXT_FILE 118

/* A reader's amount column whose name says a unit it does not read ("montant (K)", "en
 * centimes": ess_error.detail with ESS_EFORMAT, at the header's cell), for a host to word in
 * its reader's language: the message quotes the column and the word. */
#define ESS_HEADER_UNIT_UNREAD 119
/* A reader's amount column whose name says another currency than the euro ("montant (USD)",
 * "montant en $": ess_error.detail with ESS_EFORMAT, at the header's cell): the message quotes
 * the column and the currency. */
#define ESS_HEADER_CURRENCY 121
/* A reader's amount column whose name ends in a unit said whole glued to a word that names no
 * amount ("JOCKEUR", "HUMEUR": k€ / M€, or the word's own letters?), ess_error.detail with
 * ESS_EFORMAT at the header's cell: the message quotes the column and the unit. */
#define ESS_HEADER_UNIT_GLUED 122
/* A reader's amount column whose unit is printed on the line under its header ("Montant"
 * above "(k€)"), another than the one its bare amounts are read in: ess_error.detail with
 * ESS_EFORMAT at that cell; the message quotes the column, the cell and both units. */
#define ESS_HEADER_UNIT_BELOW 123
enum {
    ESS_NOT_TEXT_ZIP,    /* a zip file (an .xlsx workbook is one) */
    ESS_NOT_TEXT_XLS,    /* an old Excel .xls workbook */
    ESS_NOT_TEXT_GZIP,
    ESS_NOT_TEXT_BZIP2,
    ESS_NOT_TEXT_XZ,
    ESS_NOT_TEXT_PDF,
    ESS_NOT_TEXT_HTML,   /* a web page (Excel's "Page Web" saves one): text, but no CSV */
    ESS_NOT_TEXT_XML,    /* an XML document (Excel's "XML Spreadsheet 2003" saves one) */
    ESS_NOT_TEXT_UTF16LE, /* UTF-16 without its BOM, little-endian (every odd byte NUL) */
    ESS_NOT_TEXT_UTF16BE  /* ... big-endian (every even byte NUL) */
};

/* Sets err (when not NULL) and returns status.  The one place errors are written. */
int ess_error_set(ess_error *err, int status, long line, long column, const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 5, 6)))
#endif
    ;
void ess_error_clear(ess_error *err);

/* ---------------------------------------------------------------- allocation */

typedef struct ess_allocator {
    void *(*malloc_fn)(size_t size);
    void *(*realloc_fn)(void *ptr, size_t size);
    void (*free_fn)(void *ptr);
} ess_allocator;

/* NULL restores the C library's allocator.  Not thread-safe: set it before any work. */
void ess_set_allocator(const ess_allocator *allocator);
void *ess_malloc(size_t size);
void *ess_calloc(size_t count, size_t size);   /* checks count*size for overflow */
void *ess_realloc(void *ptr, size_t size);
void ess_free(void *ptr);
char *ess_strndup(const char *text, size_t len);
/* Gives the C library back the large blocks freed and kept for the next allocations (see
 * error.c); returns the bytes given back. */
size_t ess_release_memory(void);
/* The bytes of the large blocks freed and kept now. */
size_t ess_kept_memory(void);

/* ---------------------------------------------------------------- money */

/* The unit a document prints its amounts in.  The value is the number of cents in one unit. */
typedef enum ess_unit {
    ESS_UNIT_NONE = 0,          /* unknown / not said */
    ESS_UNIT_EUR = 100,
    ESS_UNIT_KEUR = 100000,
    ESS_UNIT_MEUR = 100000000
} ess_unit;

/* Flags of ess_money_style.flags */
#define ESS_MONEY_DASH_IS_ZERO 0x1u   /* "-", "–", "—" alone read as 0 (tables print them so) */
#define ESS_MONEY_MARK_SAID 0x2u      /* decimal_mark was declared, not guessed: the other mark
                                       * only groups thousands (a ',' declared, "1.23" is
                                       * refused, not read 1,23) */

typedef struct ess_money_style {
    char decimal_mark;   /* ',' French (the default when 0) or '.' English */
    ess_unit unit;       /* unit of a bare number; ESS_UNIT_NONE means euros */
    unsigned flags;      /* ESS_MONEY_* */
} ess_money_style;

/* Checked arithmetic: ESS_OK, or ESS_EOVERFLOW and *out untouched. */
int ess_add(int64_t a, int64_t b, int64_t *out);
int ess_sub(int64_t a, int64_t b, int64_t *out);
int ess_mul(int64_t a, int64_t b, int64_t *out);
/* *sum += v modulo 2^64, the wrap counted in *carry (+1 up, -1 down): the exact sum is
 * *sum + *carry * 2^64, which fits int64 exactly when *carry is 0 once every value is added.
 * A partial sum may so pass int64 cents and come back (the order of the rows, the threads'
 * slices, decide which partial sums there are; the answer must not depend on them). */
static inline void ess_add_counting_wraps(int64_t *sum, int64_t v, int64_t *carry)
{
    if (__builtin_add_overflow(*sum, v, sum))
        *carry += v < 0 ? -1 : 1;
}
/* *sum -= v the same way (v may be INT64_MIN, which has no negation). */
static inline void ess_sub_counting_wraps(int64_t *sum, int64_t v, int64_t *carry)
{
    if (__builtin_sub_overflow(*sum, v, sum))
        *carry += v < 0 ? 1 : -1;
}

/* Parses an amount as printed ("1 228", "1\u202f228,50 €", "(12)", "12,5 k€", "1,234.56" in
 * English style) into cents.  Returns ESS_OK, ESS_BLANK for an empty or blank text (and for
 * a dash unless ESS_MONEY_DASH_IS_ZERO), ESS_EPARSE for malformed text (the message quotes
 * it and err->column is the 1-based character where it breaks) or ESS_EOVERFLOW.
 * unit_seen (optional) receives the unit written after the number, ESS_UNIT_NONE if none. */
int ess_money_parse(const char *text, size_t len, const ess_money_style *style,
                    int64_t *cents, ess_unit *unit_seen, ess_error *err);

/* What a printed amount's marks say about the point, for a French reader (decimal ','): */
typedef enum ess_point_use {
    ESS_POINT_SILENT = 0,   /* nothing: no point, or a text that is no amount */
    ESS_POINT_AMBIGUOUS,    /* "12.500": 12 500 with the point grouping, or 12,5 */
    ESS_POINT_DECIMAL,      /* "12.50", "0.500", ".5", "1,234.56": the point is decimal */
    ESS_POINT_GROUPS,       /* "1.234.567", "1.234,56", "12,50": the point groups thousands
                               (a decimal comma leaves the point nothing else to be) */
    ESS_POINT_COMMA_AMBIGUOUS   /* "1,500": 1,5 with a decimal comma, or 1 500 with the comma
                                   grouping -- a column whose point is decimal says the latter */
} ess_point_use;
ess_point_use ess_money_point_use(const char *text, size_t len);
/* The message for an amount whose point nothing decides: both readings, why, and how to say
 * which.  others_disagree: the other amounts point both ways (else none says anything). */
void ess_point_ambiguity(char *buf, size_t cap, const char *amount, int others_disagree);
/* The two readings of an amount whose mark ('.' or ',') may group thousands or mark decimals,
 * each one number in any language: grouped without the mark ("12500"), decimal with a point
 * and without trailing zeros ("12.5"); each buffer holds cap bytes. */
void ess_point_readings(const char *amount, char mark, char *grouped, char *decimal, size_t cap);

/* Writes cents expressed in unit into buf as a plain decimal ("1228", "-12.5", "0.01"): no
 * grouping, '.' as the mark, no trailing zeros.  This is the text Python's Decimal is built
 * from.  Returns the length written (buf needs 32 bytes). */
size_t ess_money_plain(int64_t cents, ess_unit unit, char *buf, size_t cap);

/* Writes cents in unit as a French document prints it: groups of three separated by
 * group_sep (UTF-8, e.g. " " or "\u202f"), decimal_mark, exactly `decimals` decimals (-1: as
 * many as needed, none for whole numbers; fewer than the unit holds: rounded half to even,
 * never cut).  Returns the length written (needs 64 bytes). */
size_t ess_money_format(int64_t cents, ess_unit unit, const char *group_sep, char decimal_mark,
                        int decimals, char *buf, size_t cap);
/* The decimals an amount of unit is shown with, alone: euros with cents both cent digits
 * ("1,50", never "1,5"), whole euros none; k€ and M€ as many as needed ("12,5"): -1. */
int ess_money_shown_decimals(int64_t cents, ess_unit unit);

/* Recognises a unit written in a label or header ("en K€", "k€", "€", "M€", "keur", "euros").
 * Returns ESS_UNIT_NONE when the text names none. */
ess_unit ess_unit_in_text(const char *text, size_t len);

/* A word of a header that says a multiplier or a unit ess_unit_in_text does not read ("(K)",
 * "Md€", "centaines d'euros", "mil €", "x 100", "c€"): its length (0: none) and where it starts
 * (*word).  The text's first word is a name, never looked at; with multiplied (the text reads
 * k€ or M€), the lone letters "k" and "m" are that unit's. */
size_t ess_unit_word_unread(const char *text, size_t len, int multiplied, const char **word);
const char *ess_unit_symbol(ess_unit unit);   /* "€", "k€", "M€", "" */
/* Whether a cell of a currency column names another currency than the euro ("USD", "$", "£",
 * "CHF", "F CFP"...): 1, else 0 (the euro, a unit of it, a blank, any other text). */
int ess_currency_foreign(const char *text, size_t len);
/* Whether an amount header (or a plan's title or header cell) says its amounts are in another
 * currency than the euro: "montant (USD)", "montant en $", "Montant en dollars", "CDC (en
 * CHF)".  Returns the currency word's length (0: none) and where it starts. */
size_t ess_currency_in_header(const char *text, size_t len, const char **word);
/* " (beyond 92,233,720,368,547,758.07 €)" or " (below -92,233,720,368,547,758.08 €)": the limit
 * a sum left int64 cents by, side ESS_ABOVE_INT64 or ESS_BELOW_INT64, as every English message
 * of an overflowing sum ends with it; "" for another side (not known) */
const char *ess_int64_limit_said(int side);

/* ---------------------------------------------------------------- text: bytes to cells */

typedef enum ess_encoding {
    ESS_ENC_UTF8 = 0,
    ESS_ENC_UTF8_BOM,           /* UTF-8 with its byte order mark */
    ESS_ENC_CP1252,
    ESS_ENC_CP1252_BOM,         /* a UTF-8 BOM in front of a CP1252 body (seen in the wild) */
    ESS_ENC_UTF16LE,            /* Excel's "Unicode text" export */
    ESS_ENC_MIXED,              /* UTF-8 and CP1252 bytes in one file (pasted together): each
                                   valid UTF-8 sequence read as UTF-8, each other byte as CP1252 */
    ESS_ENC_UTF16BE,            /* UTF-16 big-endian (its BOM FE FF): Unicode text saved by tools
                                   other than Excel */
    ESS_ENC_AUTO = 99           /* detect */
} ess_encoding;

const char *ess_encoding_name(ess_encoding enc);

/* Decodes bytes to UTF-8.  With ESS_ENC_AUTO: a UTF-16 BOM means UTF-16; otherwise valid
 * UTF-8 (after an optional BOM) is UTF-8; a text with no valid multi-byte UTF-8 sequence is
 * CP1252; a text with both is ESS_ENC_MIXED, decided on the whole file and never on its first
 * odd byte (ess_mixed_places says where the odd bytes are).  *out is allocated with
 * ess_malloc (NUL-terminated), *used receives the encoding read.  A NUL byte in a UTF-8 or
 * CP1252 text is an error naming its line and column: no CSV producer writes one. */
int ess_decode(const char *bytes, size_t len, ess_encoding enc, char **out, size_t *out_len,
               ess_encoding *used, ess_error *err);

/* The same without a copy when the bytes are valid UTF-8 already: *text points into bytes
 * (after its BOM) and *owned is NULL; otherwise *text == *owned, to be freed by the caller. */
int ess_decode_borrow(const char *bytes, size_t len, ess_encoding enc, const char **text,
                      size_t *text_len, char **owned, ess_encoding *used, ess_error *err);

/* What bytes are as text: not UTF-8 (or holding a NUL byte), or valid UTF-8 with no NUL --
 * what ess_decode_borrow reads in place -- either all ASCII or with a byte past it (a valid
 * sequence, which a CP1252 file cannot hold: see ess_cp1252_text's unmixed). */
enum { ESS_TEXT_NOT_UTF8 = 0, ESS_TEXT_ASCII = 1, ESS_TEXT_UTF8 = 2 };
int ess_utf8_text(const char *bytes, size_t len);
/* How ess_cp1252_text takes a valid UTF-8 sequence of two bytes or more among CP1252 bytes:
 * byte by byte as CP1252 (the encoding named), refused (the encoding found: text whose encoding
 * was not named is CP1252 only when it holds none), or kept as UTF-8 (a text found mixed,
 * ESS_ENC_MIXED, decoded as ess_decode decodes it). */
typedef enum ess_cp1252_way { ESS_CP1252_NAMED, ESS_CP1252_FOUND, ESS_CP1252_MIXED } ess_cp1252_way;
/* CP1252 bytes decoded to UTF-8 into *out (3 bytes a byte allocated, *out_len used): ESS_OK,
 * ESS_ENOMEM, or ESS_EFORMAT for a NUL or a byte CP1252 leaves undefined (*out NULL; no message:
 * ess_decode_borrow words that error with its place) -- or, found, for a valid UTF-8 sequence.
 * Cut after a line ending, the text decodes as its two parts do (no sequence holds one). */
int ess_cp1252_text(const char *bytes, size_t len, ess_cp1252_way way, char **out,
                    size_t *out_len);
/* How many of bytes[0, len) ess_cp1252_text decodes into the first decoded bytes of its text
 * (decoded ending a character, at most the whole text's length). */
size_t ess_cp1252_bytes_before(const char *bytes, size_t len, ess_cp1252_way way, size_t decoded);

/* Where a mixed text (ESS_ENC_MIXED) holds bytes of its minority encoding: the CP1252 bytes
 * of a mostly UTF-8 text, or the UTF-8 sequences of a mostly CP1252 one (*odd_are_cp1252 says
 * which).  Fills up to max places (line and character column of the decoded text, as the
 * tokenizer counts them, and the first byte) and returns how many there are in all; 0 when the
 * text is not mixed. */
typedef struct ess_odd_place {
    long line, column;    /* 1-based, in the decoded text */
    unsigned char byte;   /* the odd byte (the first of a UTF-8 sequence) */
} ess_odd_place;
size_t ess_mixed_places(const char *bytes, size_t len, ess_odd_place *places, size_t max,
                        int *odd_are_cp1252);
/* ess_mixed_places for a file read in pieces, each cut after a LF (no CRLF, no sequence split;
 * the first without its UTF-8 BOM): a piece's bytes that are not UTF-8 (read as CP1252) and its
 * valid UTF-8 sequences of two bytes or more, counted, the places of the first max of each
 * (lines from the piece's first), and its line endings as the tokenizer counts them.  The
 * pieces' sums decide as ess_mixed_places decides on the whole text: mixed when both counts
 * are nonzero, the smaller one's places named. */
typedef struct ess_mixed_tally {
    size_t cp1252, utf8;              /* counts in the piece */
    size_t cp1252_placed, utf8_placed;   /* places filled, at most max each */
    long lines;                       /* line endings in the piece */
} ess_mixed_tally;
void ess_mixed_tally_piece(const char *bytes, size_t len, ess_odd_place *cp1252_at,
                           ess_odd_place *utf8_at, size_t max, ess_mixed_tally *tally);

/* Picks the delimiter of a delimited text from its first lines: the one of ';', '\t', ',',
 * '|' that splits most lines into the same number (> 1) of fields, quotes respected.
 * Returns 0 when none splits anything. */
char ess_sniff_delimiter(const char *text, size_t len);
/* 1 when ess_sniff_delimiter gives the same answer on text[0, len) as on any longer text that
 * starts with it (its first lines end within len): a streamed read sniffs its first block. */
int ess_sniff_delimiter_sure(const char *text, size_t len);

/* One cell as the tokenizer reports it.  text is NOT NUL-terminated; it is valid only
 * during the callback (quoted cells are unescaped into a scratch buffer). */
typedef struct ess_cell_event {
    const char *text;
    size_t len;
    size_t record;     /* 0-based record number, blank lines included */
    size_t field;      /* 0-based field number within the record */
    long line;         /* 1-based line where the cell starts */
    long column;       /* 1-based character column where the cell starts */
    int quoted;        /* the cell was quoted */
} ess_cell_event;

/* Called for every cell; end_of_record after the last cell of a record.  Return nonzero to
 * stop the tokenizer (which then returns that value). */
typedef int (*ess_cell_fn)(void *user, const ess_cell_event *cell);
typedef int (*ess_record_fn)(void *user, size_t record, size_t nfields, long line);

/* Tokenizes UTF-8 text.  CRLF, LF and lone CR all end a record; inside quotes they belong to
 * the cell.  An unterminated quote is ESS_EFORMAT naming where the quote opened. */
int ess_tokenize(const char *text, size_t len, char delimiter, ess_cell_fn on_cell,
                 ess_record_fn on_record, void *user, ess_error *err);

/* A whole table in memory: every cell's text and place.  For plans, descriptions and
 * small files; the ledger reader tokenizes without it. */
typedef struct ess_table {
    char *strings;         /* all cell texts, each NUL-terminated (owned) */
    size_t strings_len, strings_cap;
    size_t *cell_offset;   /* offset of each cell's text in strings (owned) */
    long *cell_line;       /* 1-based line of each cell (owned) */
    long *cell_column;     /* 1-based character column of each cell (owned) */
    size_t ncells, cells_cap;
    size_t *row_first;     /* index of each row's first cell; row_first[nrows] == ncells */
    long *row_line;        /* 1-based line where each row starts */
    size_t nrows, rows_cap;
    char delimiter;        /* the delimiter used */
    ess_encoding encoding; /* the encoding read */
    ess_error broken;      /* ess_table_salvage only: why the rows stop before the text does
                              (an unclosed quote), status ESS_OK when they do not */
} ess_table;

/* Reads bytes into a table; delimiter 0 means detect. */
int ess_table_read(const char *bytes, size_t len, ess_encoding enc, char delimiter,
                   ess_table **out, ess_error *err);
/* The same, but a text broken in structure (an unclosed quote) still gives the table of the
 * records before the break, with the break in table->broken: a reader that lists every
 * problem of a file can list the ragged rows before it too. */
int ess_table_salvage(const char *bytes, size_t len, ess_encoding enc, char delimiter,
                      ess_table **out, ess_error *err);
/* Builds a table cell by cell (for cells that come from elsewhere, e.g. a spreadsheet). */
ess_table *ess_table_new(void);
int ess_table_append(ess_table *t, size_t row, const char *text, size_t len, long line,
                     long column);
void ess_table_free(ess_table *t);
size_t ess_table_row_len(const ess_table *t, size_t row);
const char *ess_table_cell(const ess_table *t, size_t row, size_t col);   /* NULL if none */

/* ---------------------------------------------------------------- plans */

typedef enum ess_cell_state {
    ESS_CELL_BLANK = 0,       /* nothing printed */
    ESS_CELL_VALUE = 1,       /* an amount */
    ESS_CELL_MALFORMED = 2    /* something printed that is not an amount */
} ess_cell_state;

typedef struct ess_plan_cell {
    int64_t cents;            /* the amount, 0 unless state == ESS_CELL_VALUE */
    uint8_t state;            /* ess_cell_state */
    long line, column;        /* where the cell is in the source, 0 if built */
    char *raw;                /* the text as printed, NULL when blank (owned) */
} ess_plan_cell;

/* A sub-total printed on an axis row ("Axe 1 : Structurer;15;35;50"): the sum of the cells of
 * lines [first, end) under one funder (or, funder == ESS_AT_TOTAL, under every funder, as the
 * Total column prints it).  Never added: validation checks it as it checks a stated total. */
typedef struct ess_plan_subtotal {
    size_t first, end;             /* the lines it covers */
    int32_t group;                 /* the axis (group index) whose row prints it */
    int32_t funder;                /* funder index, or ESS_AT_TOTAL: the Total column */
    ess_plan_cell stated;          /* the figure printed (a VALUE) */
} ess_plan_subtotal;

typedef struct ess_plan {
    ess_unit unit;                 /* the unit the plan prints its amounts in */
    int year;                      /* 0 when not known */
    size_t nlines, nfunders, ngroups;
    char **line_labels;            /* nlines labels (owned) */
    char **funder_labels;          /* nfunders labels (owned) */
    char **group_labels;           /* ngroups axis/group labels, in order (owned) */
    int32_t *line_group;           /* group index of each line, -1 when none (owned) */
    ess_plan_cell *cells;          /* nlines x nfunders, row-major (owned) */
    ess_plan_cell *line_totals;    /* stated total of each line; all blank if no column */
    ess_plan_cell *funder_totals;  /* stated total of each funder; all blank if no row */
    ess_plan_cell grand_total;     /* stated grand total */
    int has_total_column;          /* the table has a Total column */
    int has_total_row;             /* the table has a Total row */
    char *corner;                  /* the top-left header text ("en K€") (owned) */
    char *title;                   /* the text of the rows above the header, "" if none (owned) */
    size_t nsubtotals;             /* axis rows' printed sub-totals, checked by validation */
    ess_plan_subtotal *subtotals;  /* (owned; NULL when none) */
    long *funder_places;           /* each funder's header cell in the source: line, column
                                    * (2 x nfunders), for a finding about a whole column;
                                    * NULL when built, not read (owned) */
    char decimal_mark;             /* the mark its cells were read with, 0 when built: ',' */
    unsigned money_flags;          /* and the reading's ESS_MONEY_* flags (a declared mark's
                                    * ESS_MONEY_MARK_SAID): a finding reads a refused cell
                                    * again as the reader did, to say why */
} ess_plan;

/* Problems met while reading a plan; the plan still loads when they are all cell-level. */
typedef struct ess_problem {
    long line, column;
    int structural;                /* 1: the table's shape is broken; 0: one unreadable cell */
    int detail;                    /* what kind, for a host to word it in its reader's language
                                    * (as ess_error.detail): ESS_AMOUNT_AMBIGUOUS, else 0 */
    long detail_n;                 /* its why: ESS_AMBIGUOUS_* */
    int kind;                      /* a structural problem's kind (ESS_PLAN_*), for a host to
                                    * word it in its reader's language; 0: the message alone */
    long kind_n, kind_m, kind_k;   /* its numbers (ESS_PLAN_* says which), 0 when none */
    char kind_text[128];           /* its text (a label, a header), "" when none */
    char kind_other[128];          /* its second text (the other label), "" when none */
    char message[ESS_PROBLEM_MESSAGE_MAX];
} ess_problem;

/* The kinds of a plan's structural problems (ess_problem.kind), with what kind_n, kind_m and
 * kind_text hold; ess_plan_problem_name gives each its name for a host ("plan-row-width"). */
enum {
    ESS_PLAN_PROBLEM_NONE = 0,
    ESS_PLAN_ROW_WIDTH,            /* a row of n cells where the header has m */
    ESS_PLAN_ROW_WIDTH_COMMA,      /* the same in a ',' file of French amounts: a decimal comma */
    ESS_PLAN_SECOND_TOTAL_COLUMN,  /* a second Total column (n: its column) */
    ESS_PLAN_COLUMN_NO_FUNDER,     /* column n has amounts but no funder in the header */
    ESS_PLAN_FUNDER_TWICE,         /* the funder text heads columns n and m */
    ESS_PLAN_SECOND_TOTAL_ROW,     /* a second Total row (n: its line) */
    ESS_PLAN_HEADER_TWO_ROWS,      /* the header over lines n and m (merged cells) */
    ESS_PLAN_DETAIL_ROW,           /* a 'dont' line (text: its label) */
    ESS_PLAN_SUBTOTAL_ROW,         /* a sub-total row (text: its label) */
    ESS_PLAN_NO_LABEL,             /* a row with amounts and no line label */
    ESS_PLAN_NO_LABEL_NO_LINE,     /* the same on an axis row (text) with no line under it */
    ESS_PLAN_LINE_TWICE,           /* the line text twice in its group (lines n and m) */
    ESS_PLAN_SUBTOTAL_COLUMN,      /* a sub-total column (text: its header) */
    ESS_PLAN_DETAIL_COLUMN,        /* a 'dont' column (text) */
    ESS_PLAN_SHARE_COLUMN,         /* a percentage column (text) */
    ESS_PLAN_CODE_COLUMN,          /* a column of codes or numbers after the labels (text) */
    ESS_PLAN_FUNDER_SIMILAR,       /* funders text (column n) and other (column m) differ only
                                    * in case, spaces or accents */
    ESS_PLAN_LINE_SIMILAR,         /* lines text (line n) and other (line m): the same */
    ESS_PLAN_AXIS_SIMILAR,         /* axes text (line n) and other (line m): the same */
    ESS_PLAN_CAPITALS_UNDECIDED,   /* text, in capitals with blank cells above lines (line n
                                    * on): their heading or a line at 0 (other: the axis it
                                    * would replace, "" when none) */
    ESS_PLAN_BAD_AMOUNT,           /* a cell that is not an amount (a cell-level problem):
                                    * text its text, other its line and funder joined by a
                                    * '\x1f', n the parser's ESS_AMOUNT_* detail, m its
                                    * detail_n, k the character where it goes wrong */
    ESS_PLAN_NOTE_MARK_CELL,       /* a cell holding a note's mark (a cell-level problem):
                                    * text the cell, other its line and funder joined by a
                                    * '\x1f', n the note's line, m 1 when the mark is alone */
    ESS_PLAN_NOTE_ROW,             /* a note row under the last line (cell-level), no cell
                                    * carrying its mark: text the row, other the mark */
    ESS_PLAN_PARTIAL_TOTAL_COUNTED,/* a "Total des ..." row printing the sums of the lines
                                    * above, which the Total row (line n) counts (text) */
    ESS_PLAN_PARTIAL_TOTAL_LAST,   /* the same with lines after it and no Total row (text) */
    ESS_PLAN_TOTAL_MISPLACED,      /* a "Total des ..." row (text) read as the Total row,
                                    * lines after it, its figures not the lines' sums */
    ESS_PLAN_OUTER_HEADING,        /* text, with figures, above headings printing sub-totals */
    ESS_PLAN_SUBTOTAL_MISMATCH,    /* an axis row or a heading, text, whose figure differs
                                    * from its lines' (lines n to m): other the figure, its
                                    * column, the lines' sum ("+" / "-": past int64 cents,
                                    * above / below) and 1 for a heading, 0 for an axis row,
                                    * joined by '\x1f' */
    ESS_PLAN_UNIT_TWO,             /* the header prints two units: text and other the two
                                    * headers, n and m their units (cents in one: ess_unit) */
    ESS_PLAN_UNIT_TITLE,           /* the title's unit (n) against the header's (m) printed
                                    * over text only: other a column with no unit */
    ESS_PLAN_UNIT_GIVEN,           /* the unit given (n) contradicts the header's (m), printed
                                    * in text; other set (to text): a title's above it */
    ESS_PLAN_UNIT_ONE_COLUMN,      /* a unit (n) printed over text, a funder's column, none
                                    * over other (m funders' columns print none), nothing
                                    * for the whole table */
    ESS_PLAN_UNIT_ASSUMED,         /* a funder's column, text, printing no unit beside m
                                    * funders' columns printing n (cents in one), nothing for
                                    * the whole table: read in n (a cell-level problem);
                                    * other the first column printing it */
    ESS_PLAN_CELL_UNIT,            /* a cell printing its own unit (n), not the plan's (m)
                                    * (a cell-level problem): text the cell, other its line,
                                    * its funder and the cents read, joined by '\x1f' */
    ESS_PLAN_TAX_MIX,              /* the header prints amounts HT (text, a header cell) and
                                    * TTC (other) (a cell-level problem); n and m the line
                                    * and column of a title printing one of the two, 0 when
                                    * both are the header's */
    ESS_PLAN_HEADER_REPEATED,      /* the header printed again on line m (a page break), the
                                    * header's line n: passed over, no line of the plan (a
                                    * row-level problem); text the header's first cell */
    ESS_PLAN_UNIT_ASSUMED_EUROS,   /* no unit printed (header, title) nor given: the amounts
                                    * read in euros, said at the header's first cell of a plan
                                    * that loads */
    ESS_PLAN_UNIT_CURRENCY,        /* a title or header cell, text, says the amounts are in
                                    * another currency than the euro, other its currency */
    ESS_PLAN_HEADER_UNITS_REPEATED, /* the header and its units line printed again on lines n
                                    * and m (a page break), in the plan's unit: passed over,
                                    * no lines of the plan (a row-level problem); text the
                                    * header's first cell */
    ESS_PLAN_UNIT_AGAIN,           /* a units line under the header printed again says a unit,
                                    * text its cell, other than the plan's (n): other the
                                    * cell printing the plan's unit on line m (the header's,
                                    * its units line's or the title's), none (m 0) when given
                                    * or assumed; k where the plan's unit came from
                                    * (ESS_UNIT_FROM_*) */
    ESS_PLAN_UNIT_UNREAD           /* a title or header cell, text, says the amounts' unit with
                                    * a multiplier essconv does not read, other that word
                                    * ("centaines", "mil"); n 1 for the header, 0 a title */
};

/* Where a plan's unit came from, for ESS_PLAN_UNIT_AGAIN's k: a host names it in its reader's
 * language, as the core's English message does */
enum {
    ESS_UNIT_FROM_HEADER = 0,   /* a cell of the header or of its units line */
    ESS_UNIT_FROM_GIVEN = 1,    /* the unit the caller gave */
    ESS_UNIT_FROM_TITLE = 2,    /* a title above the table */
    ESS_UNIT_FROM_NONE = 3      /* no unit printed: euros assumed */
};

/* The name of a plan problem's kind ("plan-row-width"), NULL for ESS_PLAN_PROBLEM_NONE or
 * an unknown kind. */
const char *ess_plan_problem_name(int kind);

typedef struct ess_problems {
    ess_problem *items;
    size_t count, cap;
} ess_problems;

void ess_problems_clear(ess_problems *p);

/* Recognises a financing plan in a table: a header row of funders, one or two label columns
 * (group/axis, line), a Total column and row recognised by their label.  Every problem (ragged
 * row, unreadable amount) is appended to problems; the call fails with ESS_EFORMAT when one is
 * structural.  style->unit: ESS_UNIT_NONE to detect from the header ("en K€"), else forced;
 * style->decimal_mark and style->flags (a dash as zero) apply to every cell. */
int ess_plan_from_table(const ess_table *table, const ess_money_style *style, ess_plan **out,
                        ess_problems *problems, ess_error *err);
/* The same, its header row given (a host found it with ess_plan_header on the table as printed,
 * then set its columns of notes aside); (size_t)-1 searches for it as ess_plan_from_table. */
int ess_plan_from_table_at(const ess_table *table, const ess_money_style *style, size_t header,
                           ess_plan **out, ess_problems *problems, ess_error *err);
/* The row ess_plan_from_table reads as the table's header, -1 if none. */
long ess_plan_header(const ess_table *table);
/* Sets aside the blank columns a text table leaves at its left, as a spreadsheet exported from
 * a table placed at B2 does (";en k\u20ac;CR;..."): the columns before the first filled cell
 * of every row of two filled cells or more (the table's rows) lose their blank cells, a title
 * or a note alone at the left keeps its place.  Every cell kept keeps its line and column, so
 * a finding names the cell as printed.  Returns the number of columns set aside. */
size_t ess_plan_table_drop_margin(ess_table *table);
/* Whether a header cell names a column of notes ("Commentaires", "Observations du comité",
 * "Remarques éventuelles", "Précisions"): remarks beside the figures, no funder. */
int ess_plan_is_note_header(const char *header);
ess_plan *ess_plan_copy(const ess_plan *plan);
/* A plan restored from the image a host kept of it (a pickle): every array and string of image
 * is lent, read only, and copied into *out.  ESS_EINVAL (with err) when the image breaks what
 * a plan keeps (a unit of ESS_UNIT_*, no missing label, each line's group -1 or a group, each
 * cell's state an ess_cell_state), ESS_ENOMEM. */
int ess_plan_restore(const ess_plan *image, ess_plan **out, ess_error *err);
void ess_plan_free(ess_plan *plan);
int ess_plan_set_cell(ess_plan *plan, size_t line, size_t funder, int state, int64_t cents);

/* Sums of the cells (VALUE cells only), exact whatever the order of addition (a running sum
 * may pass int64 cents and come back; a group's and the total add the cells, never the lines'
 * sums): ESS_EOVERFLOW, with *out the side (ESS_ABOVE_INT64 or ESS_BELOW_INT64), only when the
 * sum itself is past int64 cents; never a wrap. */
int ess_plan_line_sum(const ess_plan *plan, size_t line, int64_t *out);
int ess_plan_funder_sum(const ess_plan *plan, size_t funder, int64_t *out);
int ess_plan_group_sum(const ess_plan *plan, size_t group, int64_t *out);
int ess_plan_total(const ess_plan *plan, int64_t *out);
/* Sets err to ESS_EOVERFLOW for a sum of the plan that overflowed, at the place of the plan's
 * largest figure (stated totals included), which the message names with its line and funder,
 * and the side the sum left int64 cents by (side: ESS_ABOVE_INT64, ESS_BELOW_INT64; 0 when the
 * caller does not know it: found from the plan's sums), in err->detail_n and in the message;
 * returns ESS_EOVERFLOW.  The message's figures are English ("1,234.5"), as its words. */
int ess_plan_overflow_error(const ess_plan *plan, int64_t side, ess_error *err);

/* A pivot with margins at every level, which a spreadsheet pivot or pandas' pivot_table (one
 * "All" margin) cannot give.  Rows: the lines, then one subtotal per line group (axis), then the
 * grand total.  Columns: the funders, then one subtotal per funder group (funder_group[j] in
 * [0, ncolgroups), or -1 for none; e.g. the party a funder rolls up to), then the grand total.
 * out holds (nlines + ngroups + 1) x (nfunders + ncolgroups + 1) cents, row-major.  Every
 * margin is exact as ess_plan_total; ESS_EOVERFLOW when one is past int64 cents, out[0] then
 * holding its side (ESS_ABOVE_INT64, ESS_BELOW_INT64); ESS_ENOMEM. */
int ess_plan_pivot(const ess_plan *plan, const int32_t *funder_group, size_t ncolgroups,
                   int64_t *out);

/* ---------------------------------------------------------------- findings */

typedef enum ess_severity { ESS_SEV_ERROR = 0, ESS_SEV_WARNING = 1, ESS_SEV_INFO = 2 } ess_severity;

/* What a finding is about: which of its line and funder name its place. */
typedef enum ess_finding_scope {
    ESS_SCOPE_CELL = 0,        /* a cell or a stated total: its line and its funder */
    ESS_SCOPE_LINE,            /* a whole line (its stated total): the line only */
    ESS_SCOPE_FUNDER,          /* a whole column (its total, its name): the funder only */
    ESS_SCOPE_PLAN,            /* the plan as a whole (the grand total, a set of edits) */
    ESS_SCOPE_EXPLANATIONS     /* how many explanations fit the totals: a verdict whose edits
                                * are candidates, not corrections */
} ess_finding_scope;

/* The kinds of finding, one row each: code, the name hosts show and key their messages by, the
 * severity every finding of the kind has, its scope, and whether it proposes values that mend
 * the plan (correctable).  The one place a kind is described: the enum below and the table of
 * findings.c (ess_finding_kinds, which hosts read) are generated from it.  A new kind = a row
 * here + the check that emits it (+ its message in the host). */
#define ESS_FINDING_KINDS(X)                                                                       \
    /* a line's stated total differs from its cells */                                             \
    X(ESS_F_ROW_TOTAL, "row-total", ESS_SEV_ERROR, ESS_SCOPE_LINE, 0)                              \
    /* a funder's stated total differs from its cells */                                           \
    X(ESS_F_COLUMN_TOTAL, "column-total", ESS_SEV_ERROR, ESS_SCOPE_FUNDER, 0)                      \
    /* the stated grand total differs from all the cells */                                        \
    X(ESS_F_GRAND_TOTAL, "grand-total", ESS_SEV_ERROR, ESS_SCOPE_PLAN, 0)                          \
    /* a cell or total that is not a number */                                                     \
    X(ESS_F_MALFORMED_NUMBER, "malformed-number", ESS_SEV_ERROR, ESS_SCOPE_CELL, 0)                \
    /* a column the convention does not know */                                                    \
    X(ESS_F_UNKNOWN_FUNDER, "unknown-funder", ESS_SEV_WARNING, ESS_SCOPE_FUNDER, 0)                \
    /* a value for one cell that reconciles its totals */                                          \
    X(ESS_F_CELL_CORRECTION, "cell-correction", ESS_SEV_INFO, ESS_SCOPE_CELL, 1)                   \
    /* a value typed in the wrong column of its line */                                            \
    X(ESS_F_CELL_MOVE, "cell-move", ESS_SEV_INFO, ESS_SCOPE_CELL, 1)                               \
    /* a stated total that is the one thing wrong */                                               \
    X(ESS_F_TOTAL_CORRECTION, "total-correction", ESS_SEV_INFO, ESS_SCOPE_CELL, 1)                 \
    /* several edits that together reconcile every total (.edits) */                               \
    X(ESS_F_CORRECTION_SET, "correction-set", ESS_SEV_INFO, ESS_SCOPE_PLAN, 1)                     \
    /* several explanations of the same size fit: .edits holds the candidate sets (edit.set),      \
     * .count how many there are */                                                                \
    X(ESS_F_AMBIGUITY, "ambiguity", ESS_SEV_WARNING, ESS_SCOPE_EXPLANATIONS, 0)                    \
    /* more equivalent explanations than are worth listing (.count) */                             \
    X(ESS_F_TOO_MANY, "too-many-explanations", ESS_SEV_WARNING, ESS_SCOPE_EXPLANATIONS, 0)         \
    /* no set of at most max_faults edits reconciles every total; .faults is a lower bound on     \
     * how many it would take */                                                                   \
    X(ESS_F_UNEXPLAINED, "unexplained", ESS_SEV_WARNING, ESS_SCOPE_EXPLANATIONS, 0)              \
    /* the table states no total at all: its cells were checked against nothing */                \
    X(ESS_F_NO_TOTAL, "no-total", ESS_SEV_WARNING, ESS_SCOPE_PLAN, 0)                              \
    /* every total holds without this line (a line typed twice, or one the totals leave out):  \
     * .actual is what it adds, .target the line whose figures it repeats (-1: none) */           \
    X(ESS_F_UNCOUNTED_LINE, "uncounted-line", ESS_SEV_WARNING, ESS_SCOPE_LINE, 0)                 \
    /* an axis row's printed sub-total differs from its lines' cells: .funder its column         \
     * (ESS_AT_TOTAL: the Total column), .line the axis's first line (the axis: its group) */    \
    X(ESS_F_SUBTOTAL, "subtotal", ESS_SEV_ERROR, ESS_SCOPE_FUNDER, 0)                           \
    /* an axis row's printed sub-total is itself mistyped (a stated total's cell): .expected    \
     * what its lines give, .funder its column (ESS_AT_TOTAL: the Total column), .line the      \
     * axis's first line (hosts name the axis, its group, not the line) */                       \
    X(ESS_F_SUBTOTAL_CORRECTION, "subtotal-correction", ESS_SEV_INFO, ESS_SCOPE_CELL, 1)

#define ESS_FINDING_CODE_(code, name, severity, scope, correctable) code,
typedef enum ess_finding_code {
    ESS_F_NONE = 0,            /* not a finding: codes start at 1 */
    ESS_FINDING_KINDS(ESS_FINDING_CODE_)
    ESS_F_END                  /* one past the last code */
} ess_finding_code;
#undef ESS_FINDING_CODE_

/* One edit of an explanation: a cell given a new value, a value moved to another column of its
 * line, or a stated total corrected. */
typedef enum ess_edit_kind {
    ESS_EDIT_CELL = 1,
    ESS_EDIT_MOVE,
    ESS_EDIT_TOTAL,
    ESS_EDIT_SUBTOTAL,         /* an axis row's printed sub-total corrected: .target its index
                                * in plan->subtotals, .line the axis's first line, .funder its
                                * funder (ESS_AT_TOTAL: the Total column) */
    ESS_EDIT_END               /* one past the last kind */
} ess_edit_kind;

/* Why an edit is plausible, most plausible first: what ranks explanations of the same size.
 * A move scores 1 into a blank cell of the next column, one more when the cell it lands in
 * holds a value, one more when the column is not adjacent. */
typedef enum ess_evidence {
    ESS_EV_UNREADABLE = 0,     /* the cell is not a number: it must be fixed anyway */
    ESS_EV_BLANK = 1,          /* a blank cell given the value its totals leave for it */
    ESS_EV_TRANSPOSITION = 2,  /* two adjacent digits swapped (1 250 typed 1 520) */
    ESS_EV_DIGIT = 3,          /* one digit changed, dropped or added (1 250 typed 125) */
    ESS_EV_OTHER = 5           /* nothing in the digits points at it */
} ess_evidence;

typedef struct ess_edit {
    int kind;                  /* ess_edit_kind */
    int set;                   /* ambiguity: which candidate set (0-based) it belongs to */
    int line, funder;          /* the cell, or the total (ESS_AT_TOTAL as line or funder) */
    int target;                /* move: the funder index the value belongs to, else -1 */
    int has_actual;            /* the cell or total holds a readable value */
    int64_t expected, actual;  /* the new value and the old one, cents (move: the value moved) */
    int evidence;              /* ess_evidence */
    long source_line, source_column;   /* where the cell or total is in the file */
} ess_edit;


/* The place a finding is about: a cell, a stated total, or none. */
#define ESS_AT_NONE (-1)
#define ESS_AT_TOTAL (-2)     /* as line: the Total row; as funder: the Total column */

typedef struct ess_finding {
    int code;                  /* ess_finding_code */
    int severity;              /* ess_severity */
    int line;                  /* line index, ESS_AT_TOTAL, or ESS_AT_NONE */
    int funder;                /* funder index, ESS_AT_TOTAL, or ESS_AT_NONE */
    int target;                /* cell-move: the funder index the value belongs to;
                                * uncounted-line: the line it repeats; else -1 */
    int has_expected, has_actual;
    int64_t expected, actual;  /* cents */
    long source_line, source_column;   /* where in the file, 0 if unknown */
    int rank;                  /* suggestions: 1 = the most likely explanation; 0 otherwise */
    char message[ESS_FINDING_MESSAGE_MAX];
    ess_edit *edits;           /* correction-set, ambiguity: the edits (owned, freed with the
                                * findings) */
    size_t nedits;
    uint64_t count;            /* ambiguity, too-many, unexplained: explanations counted */
    int count_exact;           /* 1: count is exact; 0: a lower bound (the search was cut) */
    int faults;                /* edits per explanation; unexplained: at least this many */
    int partial;               /* a suggestion, or the explanations a too-many / unexplained
                                * finding counts, reconcile only part of the totals */
    /* malformed-number: what the amount parser found wrong (ESS_AMOUNT_*, its number and the
     * character where, as ess_error gives them: 0 when none) and the one stray character whose
     * removal makes the cell read as expected (UTF-8, "" when none), for a host to word the
     * finding in its language as precisely as the message */
    int detail;
    long detail_n, detail_at;
    char stray[8];
} ess_finding;

typedef struct ess_findings {
    ess_finding *items;
    size_t count, cap;
} ess_findings;


/* One row of the table of finding kinds (findings.c): a new kind is a code above, a row there
 * and the check that emits it; hosts build their codes, severities and places from the table. */
typedef struct ess_finding_kind {
    int code;                  /* ess_finding_code */
    const char *name;          /* the code hosts show and key their messages by: "row-total" */
    int severity;              /* ess_severity: every finding of the kind has it */
    int scope;                 /* ess_finding_scope */
    int correctable;           /* it proposes values that mend the plan (edits a user applies) */
} ess_finding_kind;

/* The table, in code order from ESS_F_ROW_TOTAL; *count is set to its rows. */
const ess_finding_kind *ess_finding_kinds(size_t *count);
/* The row of a code; NULL for a code no kind has. */
const ess_finding_kind *ess_finding_kind_of(int code);
/* The finding an edit of this kind is when it alone explains a plan: cell-correction,
 * cell-move, total-correction; ESS_F_NONE for no kind.  Hosts read it (a correction-set lists
 * edits by the kind of finding each would be). */
int ess_edit_finding_code(int edit_kind);
const char *ess_severity_name(int severity);   /* "error", "warning", "info" */
const char *ess_scope_name(int scope);         /* "cell", "line", "funder", "plan", "explanations" */

void ess_findings_clear(ess_findings *f);
/* Appends a zeroed finding of a kind of the table (target -1, the kind's severity) and returns
 * it; NULL when out of memory. */
ess_finding *ess_findings_add(ess_findings *f, int code, int line, int funder);

/* Checks stated totals against the cells and reports malformed cells; then, when totals
 * disagree, searches for the smallest explanation (reconcile.c) and appends ranked
 * suggestions.  Findings come out in a stable order: errors as met (lines, then funders,
 * then the grand total), then suggestions by rank. */
int ess_plan_validate(const ess_plan *plan, ess_findings *out, ess_error *err);

/* How far reconciliation searches.  Zeros mean the defaults. */
typedef struct ess_reconcile_limits {
    int max_faults;            /* the largest explanation looked for (default 3, at most 6) */
    size_t max_listed;         /* explanations listed as ranked suggestions (default 5) */
    uint64_t max_work;         /* search steps before it stops and says so (default 4e6) */
} ess_reconcile_limits;

/* ess_plan_validate with explicit limits (NULL: the defaults). */
int ess_plan_validate_with(const ess_plan *plan, const ess_reconcile_limits *limits,
                           ess_findings *out, ess_error *err);

/* ---------------------------------------------------------------- conventions */

typedef struct ess_date { int year, month, day; } ess_date;

int ess_date_valid(ess_date d);
int ess_date_cmp(ess_date a, ess_date b);

typedef struct ess_party {
    char *code;          /* as funders print it ("CR-NPDC"), unique (owned) */
    int parent;          /* index of the party this one is a service of, -1 if none */
    int signatory;       /* signed the convention */
} ess_party;

typedef struct ess_body {
    char *name;              /* "Comité stratégique" (owned) */
    int meetings_per_year;   /* its rhythm: 2 = each half-year, 4 = each quarter */
} ess_body;

typedef struct ess_convention {
    ess_date start, end;     /* the term, both days included */
    ess_date bodies_from;    /* the day the bodies exist (the signature): no meeting is owed
                                before it; start unless set, always within the term */
    ess_party *parties; size_t nparties, parties_cap;
    ess_body *bodies; size_t nbodies, bodies_cap;
} ess_convention;

ess_convention *ess_convention_new(ess_date start, ess_date end, ess_error *err);
void ess_convention_free(ess_convention *conv);
/* parent_code NULL or "" for a top-level party; the parent must be added first. */
int ess_convention_add_party(ess_convention *conv, const char *code, const char *parent_code,
                             int signatory, ess_error *err);
int ess_convention_add_body(ess_convention *conv, const char *name, int meetings_per_year,
                            ess_error *err);
int ess_convention_find_party(const ess_convention *conv, const char *code);  /* -1 if none */
/* The party a funder code stands for, rolled up to its top (DRTEFP -> the State); -1 when the
 * convention does not know the code.  Codes compare ignoring case, spaces and dashes. */
int ess_convention_party_of(const ess_convention *conv, const char *code);
/* The known party code nearest to code, if within max_edits edits; -1 otherwise. */
int ess_convention_nearest_code(const ess_convention *conv, const char *code, int max_edits);
int ess_convention_is_active(const ess_convention *conv, ess_date d);
/* The day from which the bodies owe meetings (a term backdated before the signature creates
 * no meeting before the bodies exist); ESS_EINVAL outside the term. */
int ess_convention_set_bodies_from(ess_convention *conv, ess_date d, ess_error *err);

/* One meeting a body owes in a period of the year (each half-year for two meetings a year,
 * each quarter for four, each month for twelve; a single yearly meeting spans the year). */
typedef struct ess_meeting {
    int body;                /* index in conv->bodies */
    int index;               /* 1-based number of the meeting in the year */
    ess_date from, to;       /* the period it is due in, clipped to the term and to the day
                                the bodies exist (bodies_from) */
} ess_meeting;

/* The meetings due in year, in date order; *count 0 outside the term.  A period that ends
 * before bodies_from is owed by nobody and left out.  *out is allocated.  ESS_EINVAL when a
 * body meets more times a year than the year has days (366 in a year of 365). */
int ess_convention_meetings(const ess_convention *conv, int year, ess_meeting **out,
                            size_t *count, ess_error *err);

/* Levenshtein distance between two UTF-8 strings, counted in characters folded as party codes
 * compare (case, accented capitals included: "Region" is one edit from "Région"); capped at
 * cap+1, and cap+1 for a text of more than 64 characters. */
int ess_edit_distance(const char *a, const char *b, int cap);

/* Validation that needs a convention: unknown-funder findings for the plan's columns. */
int ess_plan_check_funders(const ess_plan *plan, const ess_convention *conv, ess_findings *out,
                           ess_error *err);

/* ---------------------------------------------------------------- ledgers */

/* One slot of a dictionary's table, 16 bytes (four to a cache line): a look-up decides a slot of
 * another label from the slot alone, and a label of up to 8 bytes without reading anything else. */
typedef struct ess_dict_slot {
    uint64_t key;                /* a label of up to 8 bytes: its bytes, little-endian, zeros
                                  * above; a longer one: its offset in arena */
    uint32_t tag;                /* the hash's top 24 bits, then the length (255: 255 or more) */
    int32_t code;                /* the label's code; -1: the slot is empty */
} ess_dict_slot;

/* A label dictionary: strings interned to dense int32 codes, in order of first sight. */
typedef struct ess_dict {
    char *arena;                 /* the strings, each NUL-terminated (owned) */
    size_t arena_len, arena_cap;
    size_t *offsets;             /* offset of string k in arena (owned) */
    uint32_t *lengths;           /* byte length of string k (owned) */
    uint64_t *hashes;            /* hash of string k, kept for rehashing and merges (owned) */
    size_t count, cap;
    ess_dict_slot *slots;        /* open addressing table, linear probing (owned) */
    size_t nslots;               /* a power of two, count at most 3/4 of it */
    uint64_t seed;               /* of the hash: the process's, chosen at its start (dict.c);
                                  * 0 until the table exists */
    int may_stop_indexing;       /* a chunk's column, only ever merged (the CSV reader): it may
                                  * turn unindexed when nearly every label is new to it */
    int unindexed;               /* labels past the table's are appended, not looked up: codes
                                  * are places, a label may repeat; only ess_dict_merge reads
                                  * such a dictionary (dict.c) */
} ess_dict;

/* The code of text, interned if new; -1 when out of memory or past INT32_MAX labels. */
int32_t ess_dict_intern(ess_dict *d, const char *text, size_t len);
int32_t ess_dict_find(const ess_dict *d, const char *text, size_t len);   /* -1 if absent */
const char *ess_dict_string(const ess_dict *d, int32_t code);
void ess_dict_clear(ess_dict *d);

typedef enum ess_column_kind {
    ESS_COL_LABEL = 1,     /* int32 codes into a dictionary; -1 is missing */
    ESS_COL_INT = 2,       /* int64; ESS_INT_MISSING is missing */
    ESS_COL_DATE = 3,      /* int32 days since 1970-01-01; ESS_DATE_MISSING is missing */
    ESS_COL_AMOUNT = 4     /* int64 cents; never missing (a blank amount is a bad row) */
} ess_column_kind;

#define ESS_INT_MISSING INT64_MIN
#define ESS_DATE_MISSING INT32_MIN

typedef struct ess_column {
    char *name;             /* as the caller names it (owned) */
    int kind;               /* ess_column_kind */
    void *data;             /* nrows values: int32_t for LABEL and DATE, int64_t else (owned) */
    ess_dict dict;          /* LABEL only */
    char date_order;        /* DATE only: the order its 08/09/2017 were read in, ESS_DATES_DMY
                             * or ESS_DATES_MDY as the reader decided it (said by the caller or
                             * on the column's evidence), 0 when never decided (ISO dates, or
                             * not read from text): a filter's 04/03/2017 is read so */
} ess_column;

typedef struct ess_ledger {
    ess_column *columns;    /* (owned) */
    size_t ncolumns, columns_cap;
    int amount;             /* index of the amount column, -1 if none yet */
    size_t nrows, cap;      /* rows held, rows allocated */
    size_t staged_rows;     /* ess_ledger_stage_*: the rows staged past nrows, */
    size_t staged_columns;  /* and how many columns (in order) hold them */
    size_t blank_rows;      /* blank records skipped by the reader, counted not lost */
    size_t short_filled_rows;   /* rows kept with their missing last cells read blank
                                 * (ESS_CSV_SHORT_ROWS_BLANK): counted, so that it is said */
    long short_filled_line;     /* the first of them, 0 if none */
    ess_encoding encoding;  /* what the reader decoded; ESS_ENC_AUTO when not read from text */
    long exports;           /* live buffer or Arrow exports: mutation is refused while > 0 */
    ess_dict names;         /* column names: code k is column k (a header of 200 000 names
                             * stays linear to read) */
} ess_ledger;

/* A row that could not be read, kept aside with its place when the caller asks. */
typedef struct ess_bad_row {
    long line, column;
    char message[ESS_MESSAGE_MAX];
    ess_bad_reason reason;
} ess_bad_row;

typedef struct ess_bad_rows {
    ess_bad_row *items;
    size_t count, cap;
} ess_bad_rows;

void ess_bad_rows_clear(ess_bad_rows *b);

ess_ledger *ess_ledger_new(void);
void ess_ledger_free(ess_ledger *l);
/* Adds an empty column (before any row); returns its index, -1 for a duplicate name or a bad
 * kind, -2 when out of memory. */
int ess_ledger_add_column(ess_ledger *l, const char *name, int kind);
int ess_ledger_find_column(const ess_ledger *l, const char *name);
int ess_ledger_reserve(ess_ledger *l, size_t rows);

/* Columns of values into a ledger, the path of every source that is not text (Python columns
 * and buffers, an aggregate rebuilt, a pickle): after ess_ledger_add_column, each column's
 * values are staged past the last row with ess_ledger_stage_values (int32 for LABEL and DATE,
 * int64 else; every column once, in column order, the same number of rows), a LABEL column's new labels interned in code order with ess_ledger_stage_labels,
 * then ess_ledger_commit_rows checks every staged label code against its dictionary and makes
 * the rows visible.  The ledger is unchanged in rows until the commit; a failed commit leaves
 * the staged rows unseen.  ESS_EINVAL (with err) for bad input, ESS_ENOMEM. */
int ess_ledger_stage_values(ess_ledger *l, size_t column, const void *values, size_t nrows,
                            ess_error *err);
/* The same, for a source that converts as it goes (Arrow): the room of the column's nrows staged
 * values, to be written by the caller before the commit; NULL with err set. */
void *ess_ledger_stage_room(ess_ledger *l, size_t column, size_t nrows, ess_error *err);
/* The code of a label of a LABEL column, interned (first seen, next code) if new; -1 when out
 * of memory or past INT32_MAX labels. */
int32_t ess_ledger_stage_label(ess_ledger *l, size_t column, const char *text, size_t len);
/* The code of a label as a source gives it (Python texts, Arrow strings: what a database or a
 * Parquet file holds), read by the CSV reader's rule: the spaces around it trimmed as
 * ess_text_trim trims a cell ("CDC " and "CDC" one funder), a blank text missing.  -1 for a
 * blank text (the code of a missing label), -2 when out of memory or past INT32_MAX labels.
 * ess_ledger_stage_label stays exact: a ledger's own labels copied (a pickle, a report) are
 * kept as they were. */
int32_t ess_ledger_stage_text(ess_ledger *l, size_t column, const char *text, size_t len);
/* ESS_OK when a label's text holds no NUL; else ESS_EFORMAT placed at `row` and `column_no`
 * (1-based: the column's position), naming the column, err->row saying it as the cell set
 * aside would (ESS_BAD_NUL_CELL).  `text` is valid UTF-8 (its character is counted). */
int ess_label_refuse_nul(ess_error *err, const char *column, long column_no, const char *text,
                         size_t len, long row);
int ess_ledger_stage_labels(ess_ledger *l, size_t column, const char *const *texts,
                            const size_t *lens, size_t count, ess_error *err);
int ess_ledger_commit_rows(ess_ledger *l, size_t nrows, ess_error *err);
/* The order a DATE column's 08/09/2017 were read in (ESS_DATES_DMY or ESS_DATES_MDY; 0: never
 * decided), as a source that is not text says it (a pickle, an Arrow table essconv wrote);
 * ESS_EINVAL for another column or order. */
int ess_ledger_set_date_order(ess_ledger *l, size_t column, int order);
/* The blank records a source skipped (a pickle carries its count): counted, not rows. */
void ess_ledger_set_blank_rows(ess_ledger *l, size_t blank_rows);
/* Parses a date as producers print it: 2017-09-08, 2017/09/08, 08/09/2017 (day first).
 * Returns ESS_OK and the days since 1970-01-01, ESS_BLANK, or ESS_EPARSE for an impossible
 * date (2017-30-05) or another shape. */
int ess_date_parse(const char *text, size_t len, int32_t *days, ess_error *err);
/* The order of a date's day and month when a year ends it (08/09/2017): said by the caller, or
 * decided on the evidence of the whole column (ESS_DATES_DETECT).  ISO dates have one order. */
enum { ESS_DATES_DETECT = 0, ESS_DATES_DMY = 'd', ESS_DATES_MDY = 'm' };
/* The Arrow field metadata key an exported DATE column says its order under ("dmy" or "mdy"),
 * as essconv.ledger.DATE_ORDER_KEY: absent when the order was never decided. */
#define ESS_ARROW_DATE_ORDER_KEY "essconv.date_order"
/* The Arrow field metadata key an exported AMOUNT column says the unit of its figures under:
 * "kEUR" or "MEUR" when its name says k€ or M€ (its decimals then in that unit: a column's
 * name is a promise about its figures), as essconv.ledger.AMOUNT_UNIT_KEY; "EUR" read as euros.
 * An import reads a marked column's figures in that unit, whatever the column is named. */
#define ESS_ARROW_AMOUNT_UNIT_KEY "essconv.amount_unit"
/* What a value says of the order: ESS_DATES_DMY when its first field cannot be a month
 * (25/03/2017), ESS_DATES_MDY when its second cannot (03/25/2017), 0 when it says nothing. */
int ess_date_order_proof(const char *text, size_t len);
/* Whether the text has a date's shape (digits where ess_date_parse reads them), be the day
 * possible or not. */
int ess_date_shape(const char *text, size_t len);
/* ess_date_parse in that order; ESS_DATES_DETECT reads day first unless the value can only be
 * month first.  A value that can only be read in the other order than the one said is refused
 * (ESS_EPARSE), not read as an impossible date. */
int ess_date_parse_in_order(const char *text, size_t len, int order, int32_t *days,
                            ess_error *err);
ess_date ess_date_from_days(int32_t days);
int32_t ess_days_from_date(ess_date d);

typedef struct ess_csv_spec {
    const char *const *names;   /* the columns to keep, by header name (exact, after trimming) */
    const int *kinds;           /* their kinds; exactly one ESS_COL_AMOUNT */
    size_t count;
    char delimiter;             /* 0: detect */
    ess_encoding encoding;      /* ESS_ENC_AUTO: detect */
    char decimal_mark;          /* 0: detect from the amounts (',' unless they read English) */
    unsigned flags;             /* ESS_CSV_* */
    /* called about every megabyte with (bytes done, bytes in all); nonzero stops the read */
    int (*progress)(void *user, size_t done, size_t total);
    void *progress_user;
    int threads;                /* > 1: the records are parsed in chunks on this many threads */
    size_t chunk_bytes;         /* 0: the reader sizes its chunks; else at most this many bytes
                                   a chunk (tiny values make small files take the parallel path,
                                   for the tests) */
    /* the order of day and month in 08/09/2017 (ESS_DATES_*): DETECT decides it on each date
     * column's evidence -- month first when a value of the column can only be so (03/25/2017),
     * else day first, the French way; a column with values of both is refused */
    char date_order;
    const char *column_date_orders;   /* NULL, or one order a spec column, in place of
                                         date_order (a read again after the evidence sets it) */
} ess_csv_spec;

#define ESS_CSV_COLLECT_BAD 0x1u   /* keep bad rows aside instead of failing on the first */
#define ESS_CSV_ALL_COLUMNS 0x2u   /* keep every other column of the header as a label */
#define ESS_CSV_DASH_IS_ZERO 0x4u  /* an amount cell "-", "–" or "—" alone is 0 (Excel's
                                    * accounting format prints a zero so, and a CSV saved
                                    * from it keeps the dash) */
#define ESS_CSV_MARK_SNIFFED 0x10u /* decimal_mark was the reader's own finding (a reading
                                    * again with the point), not the caller's: see
                                    * ESS_MONEY_MARK_SAID */
#define ESS_CSV_SHORT_ROWS_BLANK 0x8u   /* a row short of the header's last columns has them
                                         * blank (Excel writes no delimiter for the blank
                                         * cells ending a row past a sheet's 16th line): the
                                         * reader's choice, by default such a row is bad */

/* The scanners under the reader: the best the CPU has is chosen when the library is loaded;
 * ess_scan_force(ESS_SCAN_SWAR or ESS_SCAN_SSE2) lowers it, ESS_SCAN_BEST gives it back, -1
 * changes nothing (the tests read every file every way).  Returns the one in use: "avx2",
 * "sse2" or "swar" (portable).  Not to be called during a read. */
enum { ESS_SCAN_BEST = 0, ESS_SCAN_SWAR = 1, ESS_SCAN_SSE2 = 2, ESS_SCAN_AVX2 = 3 };
const char *ess_scan_force(int which);

/* The reader's straight path for the common record (ledger_read.c), on by default: 0 turns it
 * off (every record through the general loop), 1 on, -1 changes nothing.  Returns whether it
 * was on.  For the tests, which read inputs both ways; not to be called during a read. */
int ess_read_straight(int on);

/* Reads a delimited file into a new ledger.  Blank records (",,,," included) are skipped and
 * counted; a bad record (wrong field count, unreadable amount or date) fails the read with its
 * line and column, or with ESS_CSV_COLLECT_BAD is appended to bad and the read goes on.  CP1252
 * or mixed bytes of 2 MiB or more on several threads are read as ess_ledger_read_csv_source
 * reads a file (their blocks decoded on the threads); on one thread they are decoded whole
 * first. */
int ess_ledger_read_csv(const char *bytes, size_t len, const ess_csv_spec *spec,
                        ess_ledger **out, ess_bad_rows *bad, ess_error *err);

/* A file read as it is parsed: read(user, offset, buf, cap, &got) puts up to cap bytes of the
 * file from offset into buf (*got == 0 at its end) and returns nonzero when it cannot (the host
 * keeps why); size is the file's size when opened (progress counts against it), or
 * ESS_SIZE_UNKNOWN for a stream that cannot tell it (a gzip member): progress then says a total
 * of 0.  The offsets asked follow each other, except that a pass read again starts at 0. */
#define ESS_SIZE_UNKNOWN SIZE_MAX
typedef struct ess_byte_source {
    int (*read)(void *user, size_t offset, char *buf, size_t cap, size_t *got);
    void *user;
    size_t size;
} ess_byte_source;

/* The same reading as ess_ledger_read_csv over the source's bytes (rows, codes, bad rows,
 * every error's place and message), with only the blocks in flight held besides the result:
 * the file is read in blocks of about 4 MiB (spec->chunk_bytes when set), each parsed on the
 * spec's threads as it arrives and freed once merged.  UTF-8, CP1252 and a text mixing them are
 * streamed (CP1252 named, or found: not UTF-8 and no valid UTF-8 sequence in any block; mixed:
 * both met, each block decoded as the whole text is -- what the whole text's detection would
 * decide, the file read again from its start when a later block tells); UTF-16 and any error
 * of the streamed passes read the file again whole through ess_ledger_read_csv, so that
 * encoding decisions and errors stay that function's.  *bytes_read: the bytes the
 * source gave in the pass that made the result (a host compares it with the file's size). */
int ess_ledger_read_csv_source(const ess_byte_source *source, const ess_csv_spec *spec,
                               ess_ledger **out, ess_bad_rows *bad, ess_error *err,
                               size_t *bytes_read);

/* The exact sum of the amounts (wraps counted): ESS_EOVERFLOW with *out the side it is past
 * int64 cents by (ESS_ABOVE_INT64, ESS_BELOW_INT64). */
int ess_ledger_total(const ess_ledger *l, int64_t *out);

/* A row selection: the conjunction of conditions on columns. */
typedef struct ess_condition {
    int column;
    const uint8_t *codes;    /* LABEL: codes[code] != 0 keeps the row (length = dict count) */
    size_t ncodes;
    int keep_missing;        /* keep rows where the column is missing */
    int64_t lo, hi;          /* INT, DATE, AMOUNT: lo <= value <= hi */
} ess_condition;

/* Which labels of codes [from, to) of a LABEL column pass an exact text test (bytes as they are:
 * case and accents count), as mask[code - from] = 0 or 1: a label condition evaluated on the
 * dictionary without converting a label for a host.  ESS_EINVAL for a column without labels or
 * codes past the dictionary. */
enum { ESS_LABEL_CONTAINS, ESS_LABEL_STARTSWITH, ESS_LABEL_EQUALS };
int ess_ledger_label_mask(const ess_ledger *l, int column, size_t from, size_t to, int test,
                          const char *text, size_t len, uint8_t *mask, ess_error *err);

/* A new ledger with the rows that meet every condition (dictionaries are copied whole, so codes
 * keep their meaning). */
int ess_ledger_filter(const ess_ledger *l, const ess_condition *conds, size_t nconds,
                      ess_ledger **out, ess_error *err);
/* The same, over the ledger as it was when it had nrows rows and dict_counts[c] labels in each
 * column c (NULL: as it is): rows are only ever appended and labels never taken back, so a
 * filter taken later over that scope is the one taken then, whatever extends ran meanwhile. */
int ess_ledger_filter_upto(const ess_ledger *l, const ess_condition *conds, size_t nconds,
                           size_t nrows, const size_t *dict_counts, ess_ledger **out,
                           ess_error *err);
/* How many rows meet every condition and the sum of their amounts, in one pass over the tested
 * columns and the kept amounts, without copying a row: ESS_EOVERFLOW (count still set) when the
 * sum does not fit int64 cents. */
int ess_ledger_filter_sum(const ess_ledger *l, const ess_condition *conds, size_t nconds,
                          size_t *count, int64_t *total, ess_error *err);

/* ---------------------------------------------------------------- derived keys (derive.c) */
/* Keys derived from dates, for group-by and pivot: the year, quarter or month of a DATE
 * column, or of the start or end of the periods a LABEL column holds (SCDL's
 * datesPeriodeVersement: "2018-01-01_2018-03-31", "2017-03-30/2017-05-24", or one date). */
enum { ESS_PART_COPY = -1,   /* the column as it is */
       ESS_PART_DAY = 0,     /* the date itself (a DATE column) */
       ESS_PART_YEAR, ESS_PART_QUARTER /* 1..4 */, ESS_PART_MONTH /* 1..12 */ };
enum { ESS_SIDE_DATE = 0,    /* a LABEL holds one date (a period is an error) */
       ESS_SIDE_START, ESS_SIDE_END };   /* a LABEL holds a period: which end (one date: both) */

typedef struct ess_key {
    int column;          /* the source column */
    int part;            /* ESS_PART_* */
    int side;            /* ESS_SIDE_*: DATE for a DATE column */
    const char *name;    /* the key column's name in the derived ledger */
} ess_key;

/* Parses a period as SCDL files print it: "start_end" (each side any form of ess_date_parse, a
 * blank side ESS_DATE_MISSING), "start/end" in ISO dates, or one date (start = end).  ESS_OK,
 * ESS_BLANK, or ESS_EPARSE. */
int ess_period_parse(const char *text, size_t len, int32_t *start, int32_t *end, ess_error *err);

/* The group-by and the pivot read derived keys in place (ess_ledger_group_by_keys); this
 * materialises them, for a caller that wants them as columns.
 * A new ledger of the rows of l with one column per key (copied, or derived: a period's side
 * as DATE; year, quarter and month as LABEL columns whose labels are the values' decimals from
 * the smallest to the largest the days give, in order, so code = value - smallest: the
 * group-by's direct-indexed kernel runs on them; missing where the source is), then l's amount.
 * ESS_EPARSE naming the first row whose label is no date or period; ESS_EINVAL for a key on a
 * column of another kind; ESS_ENOMEM. */
int ess_ledger_derive_keys(const ess_ledger *l, const ess_key *keys, size_t nkeys,
                           ess_ledger **out, ess_error *err);

/* Appends other's rows (same columns by name and kind); labels are re-coded into l's
 * dictionaries.  Refused (ESS_EINVAL) while l has live exports. */
int ess_ledger_extend(ess_ledger *l, const ess_ledger *other, ess_error *err);

/* A host's buffer over a column begins and ends: while any is alive (l->exports > 0) the ledger
 * refuses to grow, since growing would move the memory the buffer points into.  Every begin is
 * ended once. */
void ess_ledger_export_begin(ess_ledger *l);
void ess_ledger_export_end(ess_ledger *l);

/* Gives column a new name (metadata: allowed while exported); ESS_EINVAL when another column
 * has it, ESS_ENOMEM. */
int ess_ledger_rename_column(ess_ledger *l, size_t column, const char *name, ess_error *err);

#define ESS_AGG_MINMAX 0x1u   /* also compute min and max (sum and count always) */
/* A group whose sum does not fit int64 cents is kept, marked in ess_groups.overflow (its sum
 * meaningless; its count, min and max exact), rather than the whole group-by failing with
 * ESS_EOVERFLOW: a count needs no sum.  ess_groups_to_ledger then writes no measure of the sum
 * (sum, mean), so no wrong sum can be read or exported from it. */
#define ESS_AGG_KEEP_OVERFLOW 0x2u
/* For tests only: the partitioned kernel on any input, in eight partitions, with the threads
 * asked whatever the rows, its partition tables direct-indexed (when the keys allow) or hashed. */
#define ESS_AGG_PARTITIONED_DIRECT 0x100u
#define ESS_AGG_PARTITIONED_HASHED 0x200u

typedef struct ess_groups {
    size_t ngroups, nkeys;
    int32_t *keys;           /* ngroups x nkeys codes, row-major: for a LABEL key the dictionary
                              * code (-1 missing), else an index into key_values (owned) */
    int64_t **key_values;    /* per key: the distinct INT/DATE values, NULL for LABEL (owned) */
    ess_dict *key_labels;    /* per key: a derived calendar part's labels ("2009"...), empty for
                              * a column's own (owned) */
    size_t *nkey_values;
    int64_t *sum, *count, *min, *max;   /* per group; min/max NULL unless asked (owned) */
    signed char *overflow;   /* per group under ESS_AGG_KEEP_OVERFLOW: the side its sum left
                              * int64 cents by (ESS_ABOVE_INT64, ESS_BELOW_INT64; its sum
                              * meaningless), 0 when it fits; else NULL (owned) */
    size_t noverflow;        /* how many groups overflow says */
    int dense;               /* which kernel ran: 1 dense table, 0 partitioned */
    int threads;             /* how many threads it used */
} ess_groups;

void ess_groups_free(ess_groups *g);
/* Sums (and counts, mins, maxes) the amount by the key columns.  Dense direct-indexed
 * accumulation when the product of key cardinalities is small; otherwise the rows are
 * radix-partitioned by their key and each partition summed in a table that fits in cache.
 * threads > 1 splits the work (results exact and identical whatever the threads).  Groups come
 * out in order of their key codes (a LABEL key's dictionary order, first seen first; an INT key's
 * numbers ascending and a DATE key's days in calendar order; missing after every code), the last
 * key the most significant: by (funder, year) come first the groups of the earliest year, in
 * funder order, then those of the next year... */
int ess_ledger_group_by(const ess_ledger *l, const int *keys, size_t nkeys, unsigned flags,
                        int threads, ess_groups **out, ess_error *err);
/* The same with keys that may be derived (ess_key: a date's year, quarter or month, a period's
 * side), each read from its source column through a table built once per distinct value
 * (derive.c's view): no key, amount or derived column is copied.  A derived calendar part is a
 * LABEL key whose labels (g->key_labels) are its values in increasing order; a period's side a
 * DATE key.  Fails as ess_ledger_derive_keys does (ESS_EPARSE naming the first row whose label is
 * no date or period, ESS_EINVAL for a column of another kind). */
int ess_ledger_group_by_keys(const ess_ledger *l, const ess_key *keys, size_t nkeys,
                             unsigned flags, int threads, ess_groups **out, ess_error *err);

/* A pivot as a financing plan: rows by row_key (grouped by group_key when >= 0), columns by
 * col_key, cells the sums, totals stated as computed (so the plan validates and every margin of
 * ess_plan_pivot is there). */
int ess_ledger_pivot(const ess_ledger *l, int group_key, int row_key, int col_key, int threads,
                     ess_plan **out, ess_error *err);
/* The same with keys that may be derived (see ess_ledger_group_by_keys); group_key NULL: none. */
int ess_ledger_pivot_keys(const ess_ledger *l, const ess_key *group_key, const ess_key *row_key,
                          const ess_key *col_key, int threads, ess_plan **out, ess_error *err);

/* What a group accumulates: the state every measure is computed from.  Two states of the same
 * key (threads, partitions, Dask) merge exactly: sums add, counts add, min and max.  A sum adds
 * modulo 2^64 and counts its wraps in carry (+1 past INT64_MAX, -1 past INT64_MIN): the exact
 * sum is sum + carry * 2^64, so it fits int64 cents exactly when carry is 0 once every row is
 * in -- whatever the order the rows came in and the threads that added them. */
typedef struct ess_group_state {
    int64_t sum, count, min, max;   /* min/max meaningful only under ESS_AGG_MINMAX */
    int64_t carry;                  /* a final state with carry != 0 does not fit: overflow */
} ess_group_state;

/* The measures of an aggregate, one descriptor each: its column (name, kind), the group-by flags
 * it needs, and its value from a group's state.  ess_groups_to_ledger writes one column per
 * measure whose flags were computed, in this order; the binding publishes the table, so Python
 * builds its methods' columns from it.  A new measure is one row here (group.c) and one Python
 * method. */
typedef struct ess_measure {
    const char *name;
    int kind;                  /* ESS_COL_AMOUNT (cents) or ESS_COL_INT */
    unsigned needs;            /* ESS_AGG_* flags the group-by must compute; 0: always there */
    int of_sum;                /* computed from the sum: not written when a group's sum does
                                * not fit (ess_groups.noverflow) */
    int64_t (*value)(const ess_group_state *s);
} ess_measure;
extern const ess_measure ess_measures[];
extern const size_t ess_nmeasures;

/* Merges b into a (the same key's partials): exact, the sum's wraps counted in carry, so a
 * merged state whose carry is not 0 once every partial is in is the overflow.  ESS_OK. */
int ess_group_state_merge(ess_group_state *a, const ess_group_state *b, unsigned flags);

/* An aggregate as a ledger: one LABEL (or INT/DATE) column per key, named as the key, then
 * one column per measure of ess_measures computed (sum, count, mean; min and max under
 * ESS_AGG_MINMAX).  So an aggregate is displayed, exported and combined like any ledger. */
int ess_groups_to_ledger(const ess_ledger *src, const int *keys, const ess_groups *g,
                         ess_ledger **out, ess_error *err);
/* The same for the keys g was grouped by with ess_ledger_group_by_keys: a derived key's column
 * is named as the key and holds its labels or days. */
int ess_groups_to_ledger_keys(const ess_ledger *src, const ess_key *keys, const ess_groups *g,
                              ess_ledger **out, ess_error *err);

/* ---------------------------------------------------------------- an aggregate as a report (rank.c) */

/* A share in hundredths of a percent: ESS_SHARE_SCALE is 100.00 %. */
#define ESS_SHARE_SCALE 10000

/* Orders rows[0..nrows) (row indices of l) by one column, in place: stable (ties keep the given
 * order), missing keys last in either direction, labels in French order (case and Latin accents
 * folded first: "école" beside "Ecole", before "Zèbre"; then code point order).
 * Only the first `first` rows of the order are wanted (a top n; SIZE_MAX: all): they are
 * rows[0..first) in order, the others after them in no order. */
int ess_rank_order(const ess_ledger *l, int column, int descending, size_t *rows, size_t nrows,
                   size_t first, ess_error *err);

/* Each amount's share of their total, each rounded on its own: shares[i] hundredths of a
 * percent, its exact quota rounded half away from zero, so that equal amounts have equal
 * shares (they may then not add up to exactly ESS_SHARE_SCALE: the host says so); 0 only for
 * an amount of zero (a smaller share is one unit, with its sign), ESS_SHARE_SCALE only for the
 * amount that is the total (one unit less, or more).  Signed amounts are allowed (a negative
 * total divides every quota's sign); ESS_EINVAL when they add up to zero, ESS_EOVERFLOW when
 * the total or a share leaves int64. */
int ess_rank_shares(const int64_t *amounts, size_t n, int64_t *shares, ess_error *err);

/* What a report adds to its group lines (flags of ess_report_build). */
#define ESS_REPORT_OTHERS 0x1u      /* a line merging every group not shown (none if none is) */
#define ESS_REPORT_SHARE 0x2u       /* column "share": each line's sum, ess_rank_shares of the
                                     * shown lines and the groups not shown; the total 100.00 % */
#define ESS_REPORT_CUMULATIVE 0x4u  /* column "cumulative": the running sum down the lines */
#define ESS_REPORT_TOTAL 0x8u       /* a last line merging every group, shown or not */
#define ESS_REPORT_NO_SUM 0x10u     /* no "sum" nor "mean" column: a report of counts, mins or maxes
                                     * needs no sum, and its others or total line stands when the
                                     * merged groups' sum does not fit int64 cents (no share nor
                                     * running sum then) */

/* A report of groups (a ledger from ess_groups_to_ledger: nkeys key columns, then measures): the
 * group rows[0..nrows) in that order, then the others and total lines asked (keys missing;
 * measures from the merged states, as ess_measures computes them), with the "share" and
 * "cumulative" columns asked (amount columns: hundredths of a percent, cents) and, when the
 * report has merged lines, a label column "report_line" saying group, others or total. */
int ess_report_build(const ess_ledger *groups, size_t nkeys, const size_t *rows, size_t nrows,
                     unsigned flags, ess_ledger **out, ess_error *err);

/* ---------------------------------------------------------------- names (relabel.c) */

/* The key under which two labels are probably the same entity: case and Latin accents folded,
 * points deleted, punctuation, typographic spaces and bytes that are not UTF-8 separating words
 * (a key is valid UTF-8 and its own key), the words of a legal form (association, asso, assoc,
 * sarl, sas, sasu, sa, scop, scic, eurl) dropped unless nothing else is left, the words joined
 * with nothing between them.  out needs len + 1 bytes; returns the key's length (0: no letter
 * or digit, a key like no other).  relabel.c says each rule. */
size_t ess_label_key(const char *text, size_t len, char *out);
/* The key of every label of a dictionary: key_of_code[k] (d->count entries) is the key's code
 * (keys numbered from 0 in order of first sight), -1 for an empty key; *nkeys how many keys. */
int ess_dict_label_keys(const ess_dict *d, int32_t *key_of_code, size_t *nkeys, ess_error *err);
/* A new ledger whose label column `column` has each label k replaced by targets[k] (target_lens[k]
 * bytes; NULL keeps the label): labels given the same target become one code.  The new
 * dictionary keeps the old one's order; the codes are rewritten in one pass; every other column
 * is copied as it is, the amounts untouched. */
int ess_ledger_relabel(const ess_ledger *l, int column, const char *const *targets,
                       const size_t *target_lens, ess_ledger **out, ess_error *err);

/* ---------------------------------------------------------------- Arrow C data interface */
/* The standard ABI (https://arrow.apache.org/docs/format/CDataInterface.html), copied as the
 * specification asks, so that any Arrow consumer (pyarrow, polars, duckdb) reads a ledger. */
#ifndef ARROW_C_DATA_INTERFACE
#define ARROW_C_DATA_INTERFACE
#define ARROW_FLAG_DICTIONARY_ORDERED 1
#define ARROW_FLAG_NULLABLE 2
#define ARROW_FLAG_MAP_KEYS_SORTED 4
struct ArrowSchema {
    const char *format;
    const char *name;
    const char *metadata;
    int64_t flags;
    int64_t n_children;
    struct ArrowSchema **children;
    struct ArrowSchema *dictionary;
    void (*release)(struct ArrowSchema *);
    void *private_data;
};
struct ArrowArray {
    int64_t length;
    int64_t null_count;
    int64_t offset;
    int64_t n_buffers;
    int64_t n_children;
    const void **buffers;
    struct ArrowArray **children;
    struct ArrowArray *dictionary;
    void (*release)(struct ArrowArray *);
    void *private_data;
};
#endif
#ifndef ARROW_C_STREAM_INTERFACE
#define ARROW_C_STREAM_INTERFACE
struct ArrowArrayStream {
    int (*get_schema)(struct ArrowArrayStream *, struct ArrowSchema *out);
    int (*get_next)(struct ArrowArrayStream *, struct ArrowArray *out);
    const char *(*get_last_error)(struct ArrowArrayStream *);
    void (*release)(struct ArrowArrayStream *);
    void *private_data;
};
#endif

/* The ledger as one Arrow record batch (a struct array): labels as dictionary<int32, utf8>,
 * dates as date32, integers as int64, amounts as decimal128(38, 2) -- exact, never float.  The
 * export owns copies of the data, so it outlives the ledger and releases without a host lock. */
int ess_ledger_to_arrow(const ess_ledger *l, struct ArrowSchema *schema, struct ArrowArray *array,
                        ess_error *err);
/* The same as a stream of one batch. */
int ess_ledger_to_arrow_stream(const ess_ledger *l, struct ArrowArrayStream *stream,
                               ess_error *err);

/* The unit an amount column's name says ("montant (k€)": ESS_UNIT_KEUR; ESS_UNIT_NONE when it
 * says none), as a CSV header's is read; a name saying a unit not read, a unit glued to a word or
 * another currency is refused (ESS_EFORMAT, placed at line and column, err->detail saying why). */
int ess_amount_header_unit(const char *name, long line, long column, ess_unit *unit,
                           ess_error *err);

/* A ledger from Arrow data (a struct array, or a stream of them), copied: strings and
 * dictionary<int, utf8> become labels, date32 dates, integers ints; the column named amount is
 * the amount (decimal128 of scale 0 to 20, each value whole cents, or integers: euros, or cents
 * when cents is nonzero).  Floats are refused; a missing amount is an error.  The caller keeps ownership of
 * the Arrow structures (and releases them). */
int ess_ledger_from_arrow(const struct ArrowSchema *schema, const struct ArrowArray *array,
                          const char *amount, int cents, ess_ledger **out, ess_error *err);
int ess_ledger_from_arrow_stream(struct ArrowArrayStream *stream, const char *amount, int cents,
                                 ess_ledger **out, ess_error *err);

#ifdef __cplusplus
}
#endif
#endif /* ESSCONV_H */
