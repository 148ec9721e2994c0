/*
 * ledger_read.c -- a CSV file into a ledger: the header matched to the spec's columns, each
 * record's cells written through the ledger's one builder, bad rows kept aside or refused with
 * their line and column.
 *
 * Layer: tables, above ledger.c and csv.c (calls them, scan.h and the base; nothing calls it but
 * hosts).
 *
 * Workload: files of millions of grant records in every dress analysts have (quoted or not,
 * ';' ',' or tab, CRLF, decimal commas and grouped thousands, CP1252 decoded first).  The
 * header is read first; the rest of the text is cut into chunks of a few MiB at places that look
 * like record boundaries (the first line ending after an even cut), and the chunks are parsed at
 * once on the spec's threads, each into a ledger of its own with its own label dictionaries
 * (the first straight into the result).  A chunk is speculative: it assumes its first byte
 * starts a record.  The caller's thread merges the chunks in file order as they are parsed: it
 * checks that the previous chunk's last record really ended where the chunk starts (a quoted cell
 * holding a line ending may have crossed the cut), parses a chunk again from the true boundary
 * when it did not, re-codes its labels into the result's dictionaries in one pass and frees it;
 * so the result, its label codes, its bad rows and every error's line:column are those of one
 * pass, and only the chunks in flight are held besides the result.
 * A named file is not held whole (ess_ledger_read_csv_source): its blocks of a few MiB, each
 * ending after a line ending, are the chunks, read on the caller's thread a few ahead of the
 * merge, checked as UTF-8 (or decoded from CP1252) and parsed on the threads, their buffers
 * reused once merged; a chunk whose last record crosses its block's end (a quoted cell holding
 * that line ending) is parsed again joined to the next block.  A file whose encoding is not
 * named and whose first byte past ASCII is not UTF-8 is read as found CP1252, one that mixes
 * UTF-8 and CP1252 as mixed, its blocks decoded on the threads (read again from its start when
 * a pass found it so late: read_again_as); any error is read again whole, so that the
 * decisions and the messages are the whole-file read's.
 * Capacity is estimated from a sample of the body (no count of the lines), grown if short and
 * given back at the end; a cell's character column is counted only when an error needs one.
 *
 * Invariants: a record is committed whole or not at all; records start only where the one-pass
 * tokenizer (ess_tokenize) would start them; lines count every line ending (CRLF, LF, lone CR,
 * also inside quotes), columns count characters from 1; label codes are in order of first sight
 * over the whole file.
 */
#include "internal.h"
#include "ledger_put.h"
#include "scan.h"

#include <assert.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <threads.h>

#define PROGRESS_STEP (1u << 20)   /* bytes between two calls of the progress callback */
#define MAX_CHUNKS 4096            /* a tiny chunk_bytes on a large text cannot make more */
#define MIN_CHUNK (1u << 20)       /* below this a thread costs more than it saves */
#define CHUNK_TARGET (4u << 20)    /* chunks in flight are all that is held besides the result */
#ifndef RESULT_TABLES_CACHED       /* the fuzzers: a few dozen labels, within reach */
#define RESULT_TABLES_CACHED ((size_t)1 << 20)   /* see dictionaries_cache_sized */
#endif
#ifndef DECIMAL_SNIFF   /* the fuzz build lowers it (tests/fuzz/run.sh): a streamed read's first
                        * read, which holds it, then ends within the fuzzers' inputs */
#define DECIMAL_SNIFF (1u << 20)   /* the decimal mark is decided on this much of the text */
#endif

/* The cell's function is inlined into the loop of every byte: measured 4-7 % of a read, one
 * thread, on the benchmark and SCDL files (when the header's path was in it too).  The
 * record's end too: 2.5 % of a quoted French read as a call, 0.96-0.97x the CPU time inlined. */
#if defined(__GNUC__)
#define CELL_INLINE inline __attribute__((always_inline))
#else
#define CELL_INLINE inline
#endif

/* What the chunks of one read share: the delimiter, and the things threads tell each other. */
typedef struct read_shared {
    char delimiter;
    atomic_int stop;            /* the progress callback asked to stop: every chunk stops */
    atomic_size_t done;         /* bytes of the chunks finished, for progress */
    size_t total;               /* bytes of the whole text (or file, when streamed), for progress */
    size_t offset;              /* bytes of the file before the text (a BOM, when streamed) */
    int heard_stop;             /* the progress callback said stop (set on the caller's thread) */
} read_shared;

/* The name a summary row at the bottom has in a field not kept ("moyenne" under "beneficiaire",
 * read with dims=["ville"]): the ledger keeps no text of such a field (its watch value says only
 * that it names a summary), so the reading that places the row reads it there -- else the row
 * was said "blank but for its amount", which it is not.  Empty when not found. */
typedef struct unkept_name {
    char value[64];             /* the cell, trimmed */
    char field[64];             /* its header's name */
} unkept_name;

/* The lines of some rows, looked for by a second reading of a file (see total_rows_found): the
 * reader keeps no line a row, and needs one only for a total row found in the middle. */
typedef struct line_search {
    const size_t *rows;         /* the rows, ascending */
    size_t count;
    long *lines;                /* their lines, as found */
    size_t next;                /* the first row not passed yet */
    /* the cell that says total of each row: its ledger column (-1 none; WATCHED_FIELD a field
     * not kept, the one whose watch value is watch[k]); its line and character column, as
     * found (columns[k] 0 until then) */
    const long *fields;
    const int32_t *watch;
    long *cell_lines, *columns;
    /* the cell found in the record being read, kept once its row is (a row set aside
     * before it had the same row number) */
    size_t try_row;
    long try_line, try_column;
    unkept_name *names;         /* a summary's name in a field not kept, as found */
    unkept_name try_name;
} line_search;

#define WATCHED_FIELD (-2L)

/* Set by the thread that reads a file again to find lines, for that reading only. */
static _Thread_local line_search *line_searching;

/* What the values of a date column whose order is decided on evidence say of it (see
 * ess_date_order_proof): counted over the whole column, whatever chunk read them, as the
 * amounts' point is. */
typedef struct date_proof {
    size_t day_first, month_first;   /* values that can only be read so */
    size_t day_month;                /* values written day and month with a year (08/09/2017,
                                      * 25/03/2017): the column's order was used */
    long day_line, day_column, month_line, month_column;   /* the first of each */
    char day_text[24], month_text[24];
} date_proof;

typedef struct csv_reader {
    ess_ledger *ledger;
    const ess_csv_spec *spec;
    read_shared *shared;
    const char *text;           /* the text this reader parses (borrowed): the whole decoded
                                 * text, or a chunk's block when the file is streamed */
    size_t len;
    ess_money_style style;
    ess_bad_rows *bad;
    ess_error *err;
    /* the header, owned by the main reader and only read by the chunks' copies */
    int *field_to_column;       /* header field -> ledger column, -1 ignored */
    long first_field_column;    /* the ledger column of the header's first field (-1 none): a
                                 * total row's word there is at column 1, kept past
                                 * reader_done, which frees field_to_column */
    ess_cell_writer *field_writer;   /* header field -> its column's writer, NULL ignored: chosen
                                      * once with the columns, not switched on per cell */
    size_t nheader;             /* fields of the header; 0 until it is read */
    size_t named_fields;        /* one past the header's last named field: the fields after it
                                 * are an empty column at the sheet's end (0 with
                                 * ESS_CSV_SHORT_ROWS_BLANK: a row may stop anywhere) */
    size_t header_named;        /* one past the header's last named field, whatever the flags */
    size_t header_cap;
    char **header_names;        /* the header's fields, trimmed */
    ess_dict spec_names;        /* the spec's names, lower-cased: code k is spec column k */
    ess_dict header_seen;       /* the header's non-blank names: a second one is refused */
    long *spec_field;           /* header field of each spec column, -1 until seen */
    long amount_header_column;  /* the amount's header cell's column, for a message on its unit */
    size_t unit_field;          /* 1 + the header field of a column that names the amounts'
                                 * unit a row ("unité", "devise"), 0 when none: each of its cells
                                 * is checked against the unit bare amounts are read in */
    /* the place: lines are counted from 1 at the reader's first byte (a chunk's lines are made
     * the file's when the chunks are merged) */
    long line;                  /* the line the parser is on */
    const char *line_start;     /* its first byte: columns are counted from it, when needed */
    const char *counted_line;   /* the line start of the last column counted, */
    const char *counted_at;     /* ... the byte counted to, */
    long counted_column;        /* ... and its column: a header of 200 000 cells stays linear */
    ess_text_buf scratch;       /* a quoted cell with "" or a CR in it, unescaped (owned) */
    /* the current record */
    int row_error;              /* the current record failed */
    ess_error row_err;          /* ... why */
    ess_bad_reason row_reason;  /* ... and its kind, for a host's wording */
    long row_err_line, row_err_column;
    int row_nonblank;           /* the current record has a non-blank cell */
    long row_extra_column;      /* column of the first cell beyond the header's, 0 if none */
    int row_filled;             /* the current record stopped before a named column, whose
                                 * cells were read blank (ESS_CSV_SHORT_ROWS_BLANK) */
    size_t filled_rows;         /* records kept so: said, never silent */
    long filled_line;           /* the first of them, 0 if none */
    long last_row_line;         /* line of the last record kept, 0 if none: where a total row
                                 * at the end of an export is said to stand (total_rows_found) */
    line_search *search;        /* NULL but in the reading that finds total rows' lines */
    /* how the reading ended, for a message the merge words with the file's line */
    int stopped;                /* the progress callback stopped it */
    int unclosed_quote;         /* err is a quote never closed */
    int reports_progress;       /* this reader runs on the caller's thread */
    size_t next_progress;       /* offset of the next progress call */
    size_t progress_from;       /* offset where this reader's bytes start */
    /* What the amounts say of the point when the decimal mark was not given: "12.500" alone
     * is 12 500 or 12,5, and only the rest of the column can tell (the reader's end decides) */
    int weigh_point;            /* count the evidence below (decimal mark not given) */
    size_t point_ambiguous, point_decimal, point_groups;
    long ambiguous_line, ambiguous_column;   /* the first ambiguous amount */
    char ambiguous_text[24];
    /* "1,500": 1,5, unless the column's point is decimal, which makes it 1 500 (counted only
     * up to the first: its place, for a message) */
    size_t comma_ambiguous;
    size_t failed_ambiguous;    /* "99786.575" not read with a decimal comma (see body_cell) */
    long comma_line, comma_column;
    char comma_text[24];
    /* one a ledger column, NULL when no date column's order is to be decided; a chunk's own */
    date_proof *date_proofs;
    size_t ndate_proofs;
} csv_reader;

/* The character column of the byte at `at` on the line that starts at line_start. */
static long char_column(const char *line_start, const char *at)
{
    long col = 1;
    for (const char *q = line_start; q < at; q++)
        col += ((unsigned char)*q & 0xC0) != 0x80;
    return col;
}

static int header_cell(csv_reader *r, const ess_cell_event *ev)
{
    if (r->nheader == r->header_cap) {
        size_t cap = r->header_cap ? r->header_cap * 2 : 32;
        int *m = ess_realloc(r->field_to_column, cap * sizeof *m);
        if (m == NULL)
            return ess_error_set(r->err, ESS_ENOMEM, ev->line, ev->column, "out of memory");
        r->field_to_column = m;
        char **names = ess_realloc(r->header_names, cap * sizeof *names);
        if (names == NULL)
            return ess_error_set(r->err, ESS_ENOMEM, ev->line, ev->column, "out of memory");
        r->header_names = names;
        r->header_cap = cap;
    }
    const char *t = ev->text;
    size_t n = ev->len;
    ess_text_trim(&t, &n);
    size_t f = r->nheader;
    r->field_to_column[f] = -1;
    if ((r->header_names[f] = ess_strndup(t, n)) == NULL)
        return ess_error_set(r->err, ESS_ENOMEM, ev->line, ev->column, "out of memory");
    r->nheader++;   /* owned from here: freed with the reader whatever happens next */
    if (n > 0) {
        /* a second column of the same name would shadow the first: which one holds the data
         * cannot be known, so the header is refused rather than one of them dropped */
        size_t before = r->header_seen.count;
        int32_t seen = ess_dict_intern(&r->header_seen, t, n);
        if (seen < 0)
            return ess_error_set(r->err, ESS_ENOMEM, ev->line, ev->column, "out of memory");
        if ((size_t)seen < before) {
            size_t first = 0;
            while (strcmp(r->header_names[first], r->header_names[f]) != 0)
                first++;
            ess_error_set(r->err, ESS_EFORMAT, ev->line, ev->column,
                          "the column '%.60s' appears twice in the header (fields %zu "
                          "and %zu): rename one", r->header_names[f], first + 1, f + 1);
            if (r->err != NULL)
                r->err->detail = ESS_HEADER_TWICE;
            return ESS_EFORMAT;
        }
    }
    char *lower = ess_text_folded_copy(t, n);
    if (lower == NULL)
        return ess_error_set(r->err, ESS_ENOMEM, ev->line, ev->column, "out of memory");
    int32_t k = ess_dict_find(&r->spec_names, lower, n);
    ess_free(lower);
    if (k >= 0) {
        if (r->spec_field[k] >= 0)
        {
            ess_error_set(r->err, ESS_EFORMAT, ev->line, ev->column,
                          "the column '%.60s' appears twice in the header "
                          "(fields %ld and %zu)", r->spec->names[k], r->spec_field[k] + 1,
                          f + 1);
            if (r->err != NULL)
                r->err->detail = ESS_HEADER_TWICE;
            return ESS_EFORMAT;
        }
        r->spec_field[k] = (long)f;
        r->field_to_column[f] = (int)k;
        if (r->spec->kinds[k] == ESS_COL_AMOUNT)
            r->amount_header_column = ev->column;
    }
    return 0;
}

/* Whether a word holds the byte '.': the zero-byte test on the word xor eight points (exact as
 * a yes/no: a borrow only travels above a zero byte). */
static inline int word_has_point(uint64_t w)
{
    const uint64_t ones = 0x0101010101010101ULL, points = ones * '.';
    w ^= points;
    return ((w - ones) & ~w & (ones << 7)) != 0;
}

/* Whether the n <= 16 bytes at t hold a '.': two loads that overlap, inside the n bytes. */
static inline int short_has_point(const char *t, size_t n)
{
    assert(n <= 16);
    if (n >= 8) {
        uint64_t a, b;
        memcpy(&a, t, 8);
        memcpy(&b, t + n - 8, 8);
        return word_has_point(a) || word_has_point(b);
    }
    if (n >= 4) {
        uint32_t a, b;
        memcpy(&a, t, 4);
        memcpy(&b, t + n - 4, 4);
        return word_has_point(a | (uint64_t)b << 32);
    }
    for (size_t k = 0; k < n; k++)
        if (t[k] == '.')
            return 1;
    return 0;
}

/* The common English amount, "277513.27" (also "1,234.56"): its only point has two digits
 * after it and ends the cell, so the point is decimal.  Looked for from the cell's end, its
 * digits tested a word at a time: a loop to the point ends where the cell's length says,
 * which no branch predictor knows (7 % of the instructions of a benchmark-file record). */
static inline int english_amount(const char *text, size_t len)
{
    return len >= 4 && len <= 19 && text[len - 3] == '.' && text[len - 2] >= '0' &&
           text[len - 2] <= '9' && text[len - 1] >= '0' && text[len - 1] <= '9' &&
           !short_has_point(text, len - 3);
}

/* Counts what an amount cell says of the point; column is computed by the caller only for
 * the first ambiguous cell (col_of is then called). */
static void weigh_point(csv_reader *r, const char *text, size_t len, long line,
                        long (*col_of)(const void *), const void *col_arg)
{
    if (english_amount(text, len)) {
        r->point_decimal++;
        return;
    }
    /* the common cell has no point: it can only say "a decimal comma" (the point groups),
     * which needs saying once */
    size_t k = 0;
    if (len <= 16 && !short_has_point(text, len))
        k = len;   /* the common French amount, "1 234,56", tested a word at a time too */
    while (k < len && text[k] != '.')   /* cells are short: a loop beats a call to memchr */
        k++;
    if (k == len) {
        /* the common French amount ("1 234,56") says "groups" at once; "1,500" is looked at
         * only until the first one, found cheaply: its comma is three digits before the last */
        size_t end = len;
        while (end > 0 && (text[end - 1] < '0' || text[end - 1] > '9'))
            end--;   /* a unit or a space after the digits */
        int comma_three = end >= 5 && text[end - 4] == ',' && text[end - 5] >= '0' &&
                          text[end - 5] <= '9' && text[end - 3] >= '0' && text[end - 2] >= '0';
        if (r->point_groups == 0 || (comma_three && r->comma_ambiguous == 0)) {
            ess_point_use use = ess_money_point_use(text, len);
            if (use == ESS_POINT_GROUPS)
                r->point_groups = 1;
            else if (use == ESS_POINT_COMMA_AMBIGUOUS && r->comma_ambiguous++ == 0) {
                r->comma_line = line;
                r->comma_column = col_of(col_arg);
                snprintf(r->comma_text, sizeof r->comma_text, "%.*s", (int)(len < 20 ? len : 20),
                         text);
            }
        }
        return;
    }
    /* the common English amount, "277513.27" (also "1,234.56"): its first point has two
     * digits after it and ends the cell, so the point is decimal -- said without a call (the
     * call on every cell was 9 % of reading the 1e7-row benchmark file) */
    if (k + 3 == len && text[k + 1] >= '0' && text[k + 1] <= '9' && text[k + 2] >= '0' &&
        text[k + 2] <= '9') {
        r->point_decimal++;
        return;
    }
    switch (ess_money_point_use(text, len)) {
    case ESS_POINT_AMBIGUOUS:
        if (r->point_ambiguous++ == 0) {
            r->ambiguous_line = line;
            r->ambiguous_column = col_of(col_arg);
            snprintf(r->ambiguous_text, sizeof r->ambiguous_text, "%.*s",
                     (int)(len < 20 ? len : 20), text);
        }
        break;
    case ESS_POINT_DECIMAL: r->point_decimal++; break;
    case ESS_POINT_GROUPS: r->point_groups++; break;
    default: break;
    }
}

static long reader_column(csv_reader *r, const char *line_start, const char *at);

/* Counts what a date says of its column's order (day or month first), keeping the first value
 * of each kind and its place for the message that refuses a column of both (its column counted
 * then only: counting every date cell's was a walk of its line each). */
static void weigh_date(csv_reader *r, int c, const char *text, size_t len, long line,
                       const char *line_start, const char *at)
{
    int proof = ess_date_order_proof(text, len);
    if (r->date_proofs == NULL)
        return;
    date_proof *p = &r->date_proofs[c];
    ess_text_trim(&text, &len);
    /* day and month before the year (the value was read, so it has a date's shape): not ISO */
    p->day_month += len >= 10 && (text[2] == '/' || text[2] == '-' || text[2] == '.');
    if (proof == 0)
        return;
    if (proof == ESS_DATES_DMY && p->day_first++ == 0) {
        p->day_line = line;
        p->day_column = reader_column(r, line_start, at);
        snprintf(p->day_text, sizeof p->day_text, "%.*s", (int)(len < 20 ? len : 20), text);
    } else if (proof == ESS_DATES_MDY && p->month_first++ == 0) {
        p->month_line = line;
        p->month_column = reader_column(r, line_start, at);
        snprintf(p->month_text, sizeof p->month_text, "%.*s", (int)(len < 20 ? len : 20), text);
    }
}

/* The same, counted on from the last column the reader counted when it is on the same line
 * and before at (the cells of a header, or of a row with many failing cells). */
static long reader_column(csv_reader *r, const char *line_start, const char *at)
{
    long col;
    if (r->counted_line == line_start && r->counted_at <= at)
        col = r->counted_column + char_column(r->counted_at, at) - 1;
    else
        col = char_column(line_start, at);
    r->counted_line = line_start;
    r->counted_at = at;
    r->counted_column = col;
    return col;
}

/* The character column of a cell, {line start, cell start}: weigh_point's callback. */
static long span_column(const void *arg)
{
    const char *const *span = arg;
    return char_column(span[0], span[1]);
}

/* text[0, len) into buf, cut if it must be before a character, never inside one: the host
 * reads it as UTF-8. */
static void whole_characters(char *buf, size_t cap, const char *text, size_t len)
{
    size_t n = len < cap ? len : cap - 1;
    if (n < len)
        while (n > 0 && ((unsigned char)text[n] & 0xC0) == 0x80)
            n--;
    memcpy(buf, text, n);
    buf[n] = '\0';
}

/* What kind of failure e is, the cell text[0, len) of col failing as write reads it: told by the
 * column's kind, the status and the text itself, never by the message's words. */
static void cell_reason(ess_bad_reason *why, const ess_column *col, const ess_error *e,
                        const char *text, size_t len, ess_cell_writer write)
{
    memset(why, 0, sizeof *why);
    const char *cell = text;
    size_t cell_len = len;
    ess_text_trim(&text, &len);
    whole_characters(why->field, sizeof why->field, col->name, strlen(col->name));
    whole_characters(why->value, sizeof why->value, text, len);
    if (col->kind == ESS_COL_AMOUNT) {
        int dash = (len == 1 && text[0] == '-') ||
                   (len == 3 && (unsigned char)text[0] == 0xE2 && (unsigned char)text[1] == 0x80 &&
                    ((unsigned char)text[2] == 0x93 || (unsigned char)text[2] == 0x94));
        why->kind = len == 0 ? ESS_BAD_AMOUNT_BLANK : dash ? ESS_BAD_AMOUNT_DASH
                    : e->status == ESS_EOVERFLOW ? ESS_BAD_AMOUNT_TOO_LARGE : ESS_BAD_AMOUNT;
        /* the parser's finding, for the host to say as precisely as the English message */
        why->detail = e->detail;
        /* its character (expected) is counted in the cell as the parser read it, spaces before
         * the number included: the cell is given so, or the host would quote "12x5" with the
         * 'x' of "   12x5" at character 6 */
        if (why->kind == ESS_BAD_AMOUNT)
            whole_characters(why->value, sizeof why->value, cell, cell_len);
        why->count = e->detail_n;
        why->expected = e->column;
    } else if (col->kind == ESS_COL_INT) {
        why->kind = e->status == ESS_EOVERFLOW ? ESS_BAD_INT_TOO_LARGE : ESS_BAD_INT;
    } else if (col->kind == ESS_COL_DATE) {
        int said = write == ess_put_date_dmy ? ESS_DATES_DMY
                   : write == ess_put_date_mdy ? ESS_DATES_MDY : ESS_DATES_DETECT;
        int proof = ess_date_order_proof(text, len), ok = ess_date_shape(text, len);
        why->kind = said && proof && proof != said ? ESS_BAD_DATE_ORDER
                    : ok ? ESS_BAD_DATE_IMPOSSIBLE : ESS_BAD_DATE;
        why->expected = said;
    }
}

/* The record fails at line:column for a reason of the reader's own (not a cell's reading):
 * its error and reason cleared, the file's format (ESS_EFORMAT) the status, `kind` the
 * reason; the caller writes the message and the reason's fields. */
static void row_refused_at(csv_reader *r, int kind, long line, long column)
{
    r->row_error = 1;
    memset(&r->row_err, 0, sizeof r->row_err);
    r->row_err.status = ESS_EFORMAT;
    r->row_err_line = line;
    r->row_err_column = column;
    memset(&r->row_reason, 0, sizeof r->row_reason);
    r->row_reason.kind = kind;
}

/* A cell of column c could not be read (why in e): the record fails with the cell's place and
 * the column's name.  Only an amount that cannot be read is an amount error (ESS_EPARSE); an
 * integer or a date that cannot is the file's format (ESS_EFORMAT), as a ragged row is. */
static void cell_failed(csv_reader *r, int c, const ess_error *e, long line, long column,
                        const char *text, size_t len, ess_cell_writer write)
{
    r->row_error = 1;
    r->row_err = *e;
    cell_reason(&r->row_reason, &r->ledger->columns[c], e, text, len, write);
    if (c != r->ledger->amount && e->status == ESS_EPARSE)
        r->row_err.status = ESS_EFORMAT;
    r->row_err_line = line;
    r->row_err_column = column;
    snprintf(r->row_err.message, sizeof r->row_err.message, "column '%.40s': %.260s",
             r->ledger->columns[c].name, e->message);
    ess_text_mend(r->row_err.message);
}

static int bad_row(csv_reader *r, long line, long column, int status, const char *message,
                   const ess_bad_reason *why)
{
    if (!(r->spec->flags & ESS_CSV_COLLECT_BAD) || r->bad == NULL) {
        ess_error_set(r->err, status, line, column, "%s", message);   /* err has the place */
        /* and why, as the row set aside says it: a host words the refusal in its reader's
         * language from it, never from the English message */
        if (r->err != NULL && why != NULL)
            r->err->row = *why;
        return status;
    }
    if (r->bad->count == r->bad->cap) {
        size_t cap = r->bad->cap ? r->bad->cap * 2 : 16;
        ess_bad_row *items = ess_realloc(r->bad->items, cap * sizeof *items);
        if (items == NULL)
            return ess_error_set(r->err, ESS_ENOMEM, line, column, "out of memory");
        r->bad->items = items;
        r->bad->cap = cap;
    }
    ess_bad_row *b = &r->bad->items[r->bad->count++];
    b->line = line;
    b->column = column;
    snprintf(b->message, sizeof b->message, "%s", message);
    ess_text_mend(b->message);
    if (why != NULL)
        b->reason = *why;
    else
        memset(&b->reason, 0, sizeof b->reason);
    return 0;
}

/* An amount header glued in camel case ("MontantKEuros", "montantKeur", "MontantEnMilliersEuros")
 * spaced at each step from a lower-case letter to a capital ("Montant KEuros"): its unit is
 * then a word of its own, read (or refused) as "montant (k€)" is.  Glued, it was no word, and
 * the bare cells were read as euros, a thousandth of the amount, silently.  Only a lower-case
 * letter (or a letter past ASCII, "VotéKEuros") before a capital splits: a run of capitals
 * ("KEuros", "KEUR") stays one word, "montantKept" gives "Kept", no unit, and "(kF)" (a
 * one-letter word before the capital: thousands of francs) stays whole.  The caller
 * frees it; NULL when memory runs out. */
static size_t glued_unit_at(const char *name, size_t len, size_t *end);

static char *header_spaced(const char *name)
{
    size_t len = strlen(name), n = 0;
    char *out = ess_malloc(2 * len + 1);
    if (out == NULL)
        return NULL;
    size_t end = len;   /* "MONTANTKEURHT": the unit ends before the tax basis */
    size_t glued = glued_unit_at(name, len, &end);   /* "MONTANTKEUR": no case step to split at */
    for (size_t i = 0; i < len; i++) {
        if ((i == glued || (glued > 0 && i == end)) && n > 0 && out[n - 1] != ' ')
            out[n++] = ' ';
        unsigned char c = (unsigned char)name[i], before = i > 0 ? (unsigned char)name[i - 1] : 0;
        unsigned char two = i > 1 ? (unsigned char)name[i - 2] : 0;
        int letter_two = two >= 0x80 || (ess_text_fold(two) >= 'a' && ess_text_fold(two) <= 'z');
        /* a word of two letters at least before it: "(kF)", thousands of francs, is one word;
         * a capital after a capital past ASCII ("MÉGA", "CRÉDIT": U+00C0..U+00DE, bytes C3 80
         * to C3 9E) is no case step -- split, "MÉGA" was "MÉ GA" and its multiplier passed
         * over, read as euros */
        int upper_before = two == 0xC3 && before >= 0x80 && before <= 0x9E;
        if (c >= 'A' && c <= 'Z' && ((before >= 'a' && before <= 'z') || before >= 0x80) &&
            letter_two && !upper_before)
            out[n++] = ' ';
        out[n++] = (char)c;
    }
    out[n] = '\0';
    return out;
}

/* Where a unit glued to an amount word at the end of a header starts ("MONTANTKEUR",
 * "montantkeur", "MONTANTENKEUROS", "SUBVENTIONM€"), 0 if none.  A header in one case has no
 * case step for header_spaced to split at, and its bare cells were read as euros, a thousandth
 * of the amount, silently.  The unit must end the header and follow, glued, one of a few words
 * that name an amount (optionally plural, optionally followed by "en"), or "en" alone.  A unit
 * that says k€ or M€ whole ("KEUR", "MEUROS", "K€") and "KE" may also follow an amount word and
 * its qualifiers ("MONTANTHTKEUR": hors taxes, "AIDEVERSEEKEUR", "TOTALSUBVKEUR"), nothing else
 * between them (glued_amount_word); after any other word ("JOCKEUR", "HUMEUR") or letters that
 * are no qualifier ("MONTANTPRIMEUR": a "montant primeur", or MONTANT + PRI + MEUR) it is the
 * unit or the word's own letters, and glued_unit_doubt refuses the header.  The short tails
 * ("ME", "K", "MD") follow an amount word only: "MONTANTPRIME" is a bonus, never millions.
 * The tails include the units refused once spaced ("KE", "ME", "K", "MD", "KILOEUROS",
 * "MDEUR", "MILLIERSEUROS"): "MONTANTKE" is then refused as "montant (KE)" is, never read as
 * euros.  Case and Latin accents are folded ("CRÉDITKEUR"). */
static const char *const glued_tails[] = {
    "kilo-euros", "kiloeuros", "keuros", "meuros", "keuro", "meuro", "keur", "meur",
    /* the plural of the abbreviation ("MONTANTKEURS"), and of the sign ("MONTANTK€S"): read
     * as euros glued, 1000 times off, where spaced they read k€ */
    "keurs", "meurs", "k\xe2\x82\xac" "s", "m\xe2\x82\xac" "s",
    /* milliards glued to the euro ("MONTANTMDEUR", "MONTANTMD€"): spaced, refused as not
     * read, never read as euros, a billionth of the amount */
    "mdseuros", "mdeuros", "mdseur", "mdeur", "mds\xe2\x82\xac", "md\xe2\x82\xac",
    /* thousands, millions or billions of euros in words ("MONTANTENMILLIERSEUROS"): spaced,
     * refused as not read, never read as euros */
    "milliersdeuros", "millierseuros", "millionsdeuros", "millionseuros", "milliardsdeuros",
    "milliardseuros",
    "k\xe2\x82\xac", "m\xe2\x82\xac", "ke",
    /* multipliers and cents glued to an amount word ("MONTANTCENTIMES", "MONTANTMDS",
     * "MONTANTKILO"): spaced, refused as not read (ess_unit_word_unread), never read as euros */
    "mds", "centimes", "centime", "cents", "kilos", "kilo", "mega", "giga", "centaines",
    "centaine", "dizaines", "dizaine", "mil",
    "me", "md", "k"};
#define GLUED_TAILS_WHOLE 27   /* the first ones (a unit whole, and "KE"): after a qualifier too */

/* The amount words an all-caps header's glued unit may follow, folded (ess_text_sort_key):
 * short on purpose, each a word a budget's amount column is named by */
static const char *const glued_amount_words[] = {
    "montant", "mt", "somme", "valeur", "aide", "subvention", "credit", "budget", "cout",
    "depense", "engagement", "paiement", "versement",
    /* only as the start of a longer word ("TOTALSUBVKEUR"), or followed by a whole unit */
    "total", "subv", "dotation", "financement"};
#define GLUED_WORDS_ALONE 13   /* the first ones: a word before any tail */

/* What may stand, glued, between an amount word and a whole unit ("MONTANT HT KEUR", "AIDE
 * VERSEE KEUR", "MONTANT SUBVENTION KEUR"), folded: these qualifiers and the amount words
 * themselves, each with its agreement ("VERSEE", "ATTRIBUES"), then "en" ("MONTANTHTENKEUR").
 * Only these: "MONTANTPRIMEUR" (PRI before MEUR) was read in M€, a million times too large,
 * when only the header's start was checked.  A word added here makes every header whose
 * letters it completes read in the unit: keep each one a word a budget qualifies an amount by,
 * never one that ends in a unit's letters. */
static const char *const glued_qualifiers[] = {
    "ht", "ttc", "net", "brut", "total", "global", "subv", "verse", "attribue", "accorde",
    "notifie", "vote", "demande", "engage", "mandate", "paye", "realise", "prevu", "eligible",
    "annuel"};

/* Whether the folded letters s (n of them) after an amount word or a qualifier are its
 * agreement ("", "e", "s", "es") then qualifiers or amount words, each with its own, then
 * "en" or nothing. */
static int glued_qualified(const char *s, size_t n, int depth)
{
    static const char *const endings[] = {"", "e", "s", "es"};
    for (size_t e = 0; e < sizeof endings / sizeof *endings; e++) {
        size_t m = strlen(endings[e]);
        if (m > n || memcmp(s, endings[e], m) != 0)
            continue;
        const char *r = s + m;
        size_t left = n - m;
        if (left == 0 || (left == 2 && memcmp(r, "en", 2) == 0))
            return 1;
        if (depth >= 6)
            continue;   /* no header qualifies its amount six times over */
        for (size_t q = 0; q < sizeof glued_qualifiers / sizeof *glued_qualifiers; q++) {
            size_t k = strlen(glued_qualifiers[q]);
            if (k <= left && memcmp(r, glued_qualifiers[q], k) == 0 &&
                glued_qualified(r + k, left - k, depth + 1))
                return 1;
        }
        for (size_t a = 0; a < sizeof glued_amount_words / sizeof *glued_amount_words; a++) {
            size_t k = strlen(glued_amount_words[a]);
            if (k <= left && memcmp(r, glued_amount_words[a], k) == 0 &&
                glued_qualified(r + k, left - k, depth + 1))
                return 1;
        }
    }
    return 0;
}

/* What the folded word a whole unit is glued to is: GLUED_AMOUNT an amount word and its
 * qualifiers ("montantht", "totalsubv", "aideversee"), GLUED_OTHER an amount word followed by
 * other letters ("montantpri", "montantfoo": the unit may be the name's own letters), 0 a word
 * that starts with no amount word ("jock", "demontant"). */
enum { GLUED_NONE, GLUED_AMOUNT, GLUED_OTHER };
static int glued_amount_word(const char *word, size_t w)
{
    int said = GLUED_NONE;
    for (size_t a = 0; a < sizeof glued_amount_words / sizeof *glued_amount_words; a++) {
        size_t m = strlen(glued_amount_words[a]);
        if (m > w || memcmp(word, glued_amount_words[a], m) != 0)
            continue;
        if (glued_qualified(word + m, w - m, 0))
            return GLUED_AMOUNT;
        said = GLUED_OTHER;
    }
    return said;
}

static size_t glued_unit_ending(const char *name, size_t len);

/* A letter of a header's word: ASCII letters, and bytes past ASCII ("É", the euro sign) */
static int header_letter(unsigned char c)
{
    return c >= 0x80 || (ess_text_fold(c) >= 'a' && ess_text_fold(c) <= 'z');
}

/* Where a glued unit starts (glued_unit_ending), 0 if none; *end where it ends.  It ends a word:
 * the header's last ("MONTANTKEUR"), or one that a space, a digit or a sign follows
 * ("MONTANTKEUR_2019", "MONTANTKEUR HT", "MONTANTKEUR(HT)"), the last such word that has one --
 * only the header's end was looked at, and those were read as euros, a thousandth of the
 * amount, where "MONTANT_KEUR_2019" reads k€.  Or it ends before the tax basis glued after it
 * ("MONTANTKEURHT": spaced, "MONTANT KEUR HT" reads k€), which hid it the same way; only "HT"
 * and "TTC" there: any other letters are the name's own. */
static size_t glued_unit_at(const char *name, size_t len, size_t *end)
{
    static const char *const bases[] = {"ht", "ttc"};
    for (size_t e = len; e > 0; e--) {
        if ((e < len && header_letter((unsigned char)name[e])) ||
            !header_letter((unsigned char)name[e - 1]))
            continue;   /* not a word's end */
        size_t at = glued_unit_ending(name, e);
        *end = e;
        for (size_t b = 0; at == 0 && b < sizeof bases / sizeof *bases; b++) {
            size_t n = strlen(bases[b]), k = 0;
            if (n >= e)
                continue;
            while (k < n &&
                   ess_text_fold((unsigned char)name[e - n + k]) == (unsigned char)bases[b][k])
                k++;
            if (k == n && (at = glued_unit_ending(name, e - n)) > 0)
                *end = e - n;
        }
        if (at > 0)
            return at;
    }
    *end = len;
    return 0;
}

/* glued_unit_at's rule for a unit that ends the first len bytes of name */
static size_t glued_unit_ending(const char *name, size_t len)
{
    for (size_t t = 0; t < sizeof glued_tails / sizeof *glued_tails; t++) {
        size_t n = strlen(glued_tails[t]);
        if (n >= len)
            continue;
        size_t at = len - n, k = 0;
        while (k < n &&
               ess_text_fold((unsigned char)name[at + k]) == (unsigned char)glued_tails[t][k])
            k++;
        unsigned char before = (unsigned char)name[at - 1];
        if (k < n ||
            !(before >= 0x80 || (ess_text_fold(before) >= 'a' && ess_text_fold(before) <= 'z')))
            continue;   /* not this tail, or not glued to a word ("montant_keur" is read as is) */
        size_t start = at;   /* the word the unit is glued to */
        while (start > 0) {
            unsigned char c = (unsigned char)name[start - 1];
            if (!(c >= 0x80 || (ess_text_fold(c) >= 'a' && ess_text_fold(c) <= 'z')))
                break;
            start--;
        }
        char word[64];
        if (at - start >= sizeof word)
            continue;
        size_t w = ess_text_sort_key(name + start, at - start, word);
        if (w == 2 && memcmp(word, "en", 2) == 0)
            return at;   /* "ENKEUR" */
        size_t whole = w;   /* the word as written, for an amount word and its qualifier */
        if (w > 2 && memcmp(word + w - 2, "en", 2) == 0)
            w -= 2;      /* "MONTANTENKEUR" */
        if (w > 1 && word[w - 1] == 's')
            w--;         /* "MONTANTSKEUR" */
        for (size_t a = 0; a < GLUED_WORDS_ALONE; a++) {
            size_t m = strlen(glued_amount_words[a]);
            if (m == w && memcmp(word, glued_amount_words[a], w) == 0)
                return at;
        }
        /* "MONTANTHT", "TOTALSUBV", "TOTAL": an amount word then its qualifiers, nothing else */
        if (t < GLUED_TAILS_WHOLE && glued_amount_word(word, whole) == GLUED_AMOUNT)
            return at;
    }
    return 0;
}

/* An amount header (spaced by header_spaced) whose last word ends in a unit said whole ("KEUR",
 * "KEUROS", "K€", "MEUR", "MEUROS", "M€") glued to letters that glued_unit_at did not take for
 * an amount word and its qualifiers ("JOCKEUR", "BENEFICIAIREKEUR", "HUMEUR", "jockeur",
 * "MONTANTPRIMEUR"), or "KE" after an amount word and other letters ("MONTANTSTOCKE"; "STOCKE"
 * alone is passed over, a word's own end far more often): the unit's length and
 * where it starts (*word), 0 if none.  Read as euros such a header was 1000 or a million times
 * off when the tail is its unit; read as the unit, as far off when the tail is the name's own
 * letters.  Neither is guessed: the header is refused, the unit to be said apart. */
static size_t glued_unit_doubt_ending(const char *spaced, size_t len, int amount_only,
                                      const char **word);

static size_t glued_unit_doubt(const char *spaced, size_t len, const char **word)
{
    /* the header's end; then a word's end inside it ("MONTANTPRIMEUR_2019", "MONTANTFOOKEUR
     * HT"), as glued_unit_at looks for a unit there, when the word starts with an amount word
     * only: "JOCKEUR 2019" names a person before its year, as "CHAUFFEUR 2019" does */
    for (size_t e = len; e > 0; e--) {
        if ((e < len && header_letter((unsigned char)spaced[e])) ||
            !header_letter((unsigned char)spaced[e - 1]))
            continue;
        size_t n = glued_unit_doubt_ending(spaced, e, e < len, word);
        if (n > 0)
            return n;
    }
    return 0;
}

/* glued_unit_doubt's rule for a unit that ends the first len bytes of spaced; with
 * amount_only, only after an amount word and other letters (GLUED_OTHER) */
static size_t glued_unit_doubt_ending(const char *spaced, size_t len, int amount_only,
                                      const char **word)
{
    for (size_t t = 0; t < GLUED_TAILS_WHOLE; t++) {
        size_t n = strlen(glued_tails[t]);
        if (n >= len)
            continue;
        size_t at = len - n, k = 0;
        while (k < n &&
               ess_text_fold((unsigned char)spaced[at + k]) == (unsigned char)glued_tails[t][k])
            k++;
        unsigned char before = (unsigned char)spaced[at - 1];
        if (k < n ||
            !(before >= 0x80 || (ess_text_fold(before) >= 'a' && ess_text_fold(before) <= 'z')))
            continue;
        /* the plurals "KEURS", "MEURS" read after an amount word and its qualifiers only:
         * after other letters they are a word's own end far more often ("MONTANTPRIMEURS",
         * "HUMEURS"), read as euros as before, never doubted */
        if (strcmp(glued_tails[t], "keurs") == 0 || strcmp(glued_tails[t], "meurs") == 0)
            continue;
        if (amount_only || strcmp(glued_tails[t], "ke") == 0) {
            /* "KE" after another word: "STOCKE", a word's end far more often -- unless the
             * word starts with an amount word ("MONTANTSTOCKE"): k€ typed without its sign
             * as likely, it was refused as "MONTANTKE" is before the qualifiers were checked,
             * and is still, never read as euros */
            size_t start = at;
            while (start > 0) {
                unsigned char c = (unsigned char)spaced[start - 1];
                if (!(c >= 0x80 || (ess_text_fold(c) >= 'a' && ess_text_fold(c) <= 'z')))
                    break;
                start--;
            }
            char folded[64];
            if (at - start >= sizeof folded ||
                glued_amount_word(folded, ess_text_sort_key(spaced + start, at - start,
                                                            folded)) != GLUED_OTHER)
                continue;
        }
        *word = spaced + at;
        return n;
    }
    return 0;
}

/* The order of spec column k's dates: as a reading again set it, or as the caller said. */
static int date_order_of(const ess_csv_spec *spec, size_t k)
{
    return spec->column_date_orders != NULL ? spec->column_date_orders[k] : spec->date_order;
}

/* The header lacks spec column k: said with the header's own names, as many as the message
 * holds, and the one that begins with the name asked, once both are folded ("montant (k€)" for
 * "montant": a unit or a note added to a header is the common reason), offered first. */
static int missing_column(csv_reader *r, size_t k, long line)
{
    /* a "header" that is a web page's first line ("<html>"): said so, not quoted as columns;
     * asked only here, when a column is missing, so a CSV's header never costs it */
    const char *first = r->nheader > 0 ? r->header_names[0] : "";
    ESS_RETURN_NOT_OK(ess_markup_refused(first, strlen(first), r->err));
    const char *asked = r->spec->names[k];
    size_t asked_len = strlen(asked);
    char *asked_folded = ess_text_folded_copy(asked, asked_len);
    if (asked_folded == NULL)
        return ess_error_set(r->err, ESS_ENOMEM, line, 1, "out of memory");
    const char *offered = NULL;
    for (size_t f = 0; f < r->nheader && offered == NULL; f++) {
        const char *name = r->header_names[f];
        size_t n = strlen(name);
        char *folded = n > asked_len ? ess_text_folded_copy(name, n) : NULL;
        if (folded != NULL && memcmp(folded, asked_folded, asked_len) == 0)
            offered = name;
        ess_free(folded);
    }
    ess_free(asked_folded);
    char names[160];
    size_t used = 0, shown = 0;
    names[0] = '\0';
    for (; shown < r->nheader; shown++) {
        int w = snprintf(names + used, sizeof names - used, "%s'%.40s'", shown ? ", " : "",
                         r->header_names[shown]);
        if (w < 0 || (size_t)w >= sizeof names - used - 8) {   /* room kept for ", ..." */
            names[used] = '\0';
            break;
        }
        used += (size_t)w;
    }
    if (shown < r->nheader)
        snprintf(names + used, sizeof names - used, "%s...", shown ? ", " : "");
    if (offered != NULL)
        ess_error_set(r->err, ESS_EFORMAT, line, 1,
                      "the header has no column '%.60s' (did you mean '%.60s'?); its "
                      "columns: %s", asked, offered, names);
    else
        ess_error_set(r->err, ESS_EFORMAT, line, 1,
                      "the header has no column '%.60s'; its columns: %s", asked, names);
    if (r->err != NULL)
        r->err->detail = ESS_HEADER_NO_COLUMN;   /* a host words it in its reader's language */
    return ESS_EFORMAT;
}

/* The fields a caller did not keep (Ledger.read_csv(dims=[...])) are still looked at for what
 * they say of a total: a "Total;;;1 234,56" whose "Total" stands in a column left out was
 * summed as a grant, silently.  Their one column (a DATE column: int32, ESS_DATE_MISSING when
 * no field of the row speaks of a total) holds, a row, the strongest total_words of its fields
 * and which word it was (said + 4 * word); total_rows_found reads it as a label column's
 * "Total", then the read drops it (drop_watch_column).  Only a file read with columns left
 * out pays for it. */
#define WATCH_NAME "\x1f essconv: what the fields not kept say of a total"
static int total_words(const char *text, size_t len, int *which);
#define TOTAL_WORD_SOMME 5      /* total_words' "somme" (a spreadsheet's SUM row, in French) */
#define TOTAL_WORD_ENSEMBLE 6   /* "ensemble": the total row of INSEE's and the ministries' tables */
#define TOTAL_WORD_CUMUL 7      /* "cumul": a running total's last line, "Cumul 2017" */

/* A field not kept that holds text (a dash alone is none): the row has a label there, so it
 * is no spreadsheet's SUM row "blank but for its amount" (with dims=["ville"], "x;;20,00"
 * whose "nom" says x was refused as a total with no label).  A bit of its own, above the
 * word's said + 4 * word. */
#define WATCH_TEXT 0x100
/* A field not kept that says a summary's name ("Moyenne", "Nb"), or holds a number alone: no
 * label either for a row at the bottom next to a SUM row (see summary_word, label_number) --
 * a number there is one total_rows_found cannot check against its column, it never vouches
 * for a SUM row. */
#define WATCH_SUMMARY 0x200
#define WATCH_NUMBER 0x400
/* ... and the sum of the whole numbers the row's fields not kept hold, above WATCH_SHIFT (the
 * SUM row's is the sum or the count of theirs above it), WATCH_UNSURE when one is no whole
 * number or they pass WATCH_NUMBER_MAX: that number is not checked then. */
#define WATCH_UNSURE 0x800
#define WATCH_SHIFT 12
#define WATCH_NUMBER_MAX 0x7FFFF
#define WATCH_VALUE(v) (((v) >> WATCH_SHIFT) & WATCH_NUMBER_MAX)
#define WATCH_WORD(v) ((v) & 0xFF)   /* said + 4 * word, 0 when none */
static int label_is_dash(const char *text, size_t len);
static int summary_word(const char *text, size_t len);
static int label_number(const char *text, size_t len, long long *value);

static int32_t watch_value(const char *text, size_t len)
{
    size_t k = 0;
    while (k < len && (text[k] == ' ' || text[k] == '\t'))
        k++;
    long long number = -1;
    int32_t text_bit = ess_text_is_blank(text, len) || label_is_dash(text, len) ? 0
                       : summary_word(text, len)                             ? WATCH_SUMMARY
                       : label_number(text, len, &number)                    ? WATCH_NUMBER
                                                                             : WATCH_TEXT;
    if (text_bit == WATCH_NUMBER)
        text_bit |= number >= 0 && number <= WATCH_NUMBER_MAX ? (int32_t)number << WATCH_SHIFT
                                                              : WATCH_UNSURE;
    if (len - k < 5)
        return text_bit ? text_bit : ESS_DATE_MISSING;   /* "total" at least */
    int first = ess_text_fold((unsigned char)text[k]), second = ess_text_fold((unsigned char)text[k + 1]);
    if (!((first == 't' || first == 's') && second == 'o') && !(first == 'g' && second == 'r') &&
        !(first == 'e' && second == 'n') && !(first == 'c' && second == 'u'))
        return text_bit ? text_bit : ESS_DATE_MISSING;   /* the common cell, at its first two letters */
    int which = 0, said = total_words(text, len, &which);
    return said > 0 ? (said + 4 * which) | text_bit : text_bit ? text_bit : ESS_DATE_MISSING;
}

/* The first field not kept of a record: its value replaces what a record set aside before at
 * this row left; the others keep the strongest. */
static int watch_first(ess_column *col, size_t row, const char *text, size_t len,
                       const ess_money_style *style, ess_error *err)
{
    (void)style;
    (void)err;
    ((int32_t *)col->data)[row] = watch_value(text, len);
    return ESS_OK;
}

static int watch_more(ess_column *col, size_t row, const char *text, size_t len,
                      const ess_money_style *style, ess_error *err)
{
    (void)style;
    (void)err;
    int32_t v = watch_value(text, len), *at = &((int32_t *)col->data)[row];
    if (v == ESS_DATE_MISSING)
        return ESS_OK;
    if (*at == ESS_DATE_MISSING) {
        *at = v;
        return ESS_OK;
    }
    /* the strongest word, and text (a summary's name, a number) if any field holds some */
    int32_t word = (v & 3) > (*at & 3) ? WATCH_WORD(v) : WATCH_WORD(*at);
    int32_t flags = (v | *at) & (WATCH_TEXT | WATCH_SUMMARY | WATCH_NUMBER | WATCH_UNSURE);
    int32_t number = WATCH_VALUE(v) + WATCH_VALUE(*at);
    if (number > WATCH_NUMBER_MAX)
        flags |= WATCH_UNSURE, number = 0;
    *at = word | flags | number << WATCH_SHIFT;
    return ESS_OK;
}

/* The read's result without its column of the fields not kept, if it has one. */
static int drop_watch_column(ess_ledger *l, ess_error *err)
{
    if (l->ncolumns == 0 || strcmp(l->columns[l->ncolumns - 1].name, WATCH_NAME) != 0)
        return ESS_OK;
    if (ess_ledger_drop_last_column(l))
        return ess_error_set(err, ESS_ENOMEM, 0, 0, "out of memory");
    return ESS_OK;
}

/* Whether a header's name is that of a column saying the unit of each row's amount:
 * "unité", "unite", "unités", "unit", "units", "devise", "devises", in any case. */
static int is_unit_column_name(const char *name)
{
    static const char *const names[] = {"unit\xc3\xa9", "unit\xc3\x89", "unite", "unit",
                                        "devise"};
    size_t len = strlen(name);
    if (len > 0 && (name[len - 1] | 32) == 's')
        len--;   /* the plural */
    for (size_t k = 0; k < sizeof names / sizeof *names; k++) {
        size_t n = strlen(names[k]), i = 0;
        while (i < n && i < len &&
               ess_text_fold((unsigned char)name[i]) == ess_text_fold((unsigned char)names[k][i]))
            i++;
        if (i == n && n == len)
            return 1;
    }
    return 0;
}

/* Whether header field f is the amount's. */
static int is_amount_field(const csv_reader *r, size_t f)
{
    for (size_t k = 0; k < r->spec->count; k++)
        if (r->spec->kinds[k] == ESS_COL_AMOUNT && r->spec_field[k] == (long)f)
            return 1;
    return 0;
}

/* The unit an amount column's name says ("montant en k€", "MontantKEuros": ESS_UNIT_KEUR;
 * ESS_UNIT_NONE when it says none), or the name refused at line and column (a unit not read,
 * a unit glued to a word, another currency): the one rule for every reader of named columns,
 * the CSV header's and a Parquet file's, a query's or a frame's column alike. */
int ess_amount_header_unit(const char *name, long line, long column, ess_unit *out,
                           ess_error *err)
{
    int rc = 0;
    /* "montant en k€": the name says the unit of the amounts that say none (a cell's
     * own "2 k€" or "2 €" still says its own); a bare 1,5 read in euros was a
     * thousandth of the amount, silently */
    char *spaced = header_spaced(name);   /* "MontantKEuros": "Montant KEuros" */
    if (spaced == NULL)
        return ess_error_set(err, ESS_ENOMEM, line, 1, "out of memory");
    ess_unit unit = ess_unit_in_text(spaced, strlen(spaced));
    const char *word = NULL;
    /* Every word of the name is looked at, whatever unit it reads: "montant (centaines de
     * milliers d'euros)" reads k€ from "milliers", and was 100 times off when the check ran
     * for a name read as euros only.  A name read in k€ or M€ spells its unit with the lone
     * letter "k" or "m" ("k €", "K EUR"): that letter is the unit read, not a word passed over
     * (ess_unit_word_unread, multiplied). */
    size_t n = ess_unit_word_unread(spaced, strlen(spaced), unit == ESS_UNIT_KEUR ||
                                unit == ESS_UNIT_MEUR, &word);
    if (n > 0)
        rc = ess_error_set(err, ESS_EFORMAT, line, column,
                           "the amount column '%.60s' names a unit essconv does not "
                           "read ('%.*s'): its bare amounts would be taken as euros; "
                           "say the unit as 'k€', 'M€' or '€' in the header (or in "
                           "each cell), or rename the column", name, (int)n, word);
    if (n > 0 && err != NULL)
        err->detail = ESS_HEADER_UNIT_UNREAD;   /* worded in the reader's language */
    size_t doubt = rc == 0 && (unit == ESS_UNIT_NONE || unit == ESS_UNIT_EUR)
                       ? glued_unit_doubt(spaced, strlen(spaced), &word) : 0;
    if (doubt > 0) {
        rc = ess_error_set(err, ESS_EFORMAT, line, column,
                           "the amount column '%.60s' ends in '%.*s' glued to a word "
                           "essconv does not know as an amount's: a unit, or the "
                           "word's own letters? Its bare amounts would be taken as "
                           "euros; say the unit apart in the header ('montant (k€)', "
                           "'montant (€)'), or rename the column",
                           name, (int)doubt, word);
        if (err != NULL)
            err->detail = ESS_HEADER_UNIT_GLUED;   /* worded in the reader's language */
    }
    ess_free(spaced);   /* word pointed into it: said above, no longer read */
    /* "montant (USD)", "montant en $": the cells were read as euros, silently.  No
     * rate is guessed; the header is refused at its cell (the rule that tells a
     * currency said as a unit from a name: ess_currency_in_header) */
    size_t c = rc == 0 ? ess_currency_in_header(name, strlen(name), &word) : 0;
    if (c > 0)
        rc = ess_error_set(err, ESS_EFORMAT, line, column,
                           "the amount column '%.60s' says its amounts are in another "
                           "currency than the euro ('%.*s'): they would be read as "
                           "euros, silently; convert them to euros, or rename the "
                           "column if the currency in its name is a mistake",
                           name, (int)c, word);
    if (c > 0 && err != NULL)
        err->detail = ESS_HEADER_CURRENCY;   /* worded in the reader's language */
    if (rc == 0)
        *out = unit;
    return rc;
}

static int make_columns(csv_reader *r, long line)
{
    /* every spec column must be in the header; with ESS_CSV_ALL_COLUMNS the others are kept
     * as labels too */
    ess_ledger *l = r->ledger;
    int *spec_to_ledger = ess_calloc(r->spec->count + 1, sizeof(int));
    if (spec_to_ledger == NULL)
        return ess_error_set(r->err, ESS_ENOMEM, line, 1, "out of memory");
    int rc = 0;
    for (size_t k = 0; k < r->spec->count && rc == 0; k++) {
        if (r->spec_field[k] < 0)
            rc = missing_column(r, k, line);
        else if ((spec_to_ledger[k] = ess_ledger_add_column(l, r->spec->names[k],
                                                            r->spec->kinds[k])) < 0)
            rc = spec_to_ledger[k] == -2
                     ? ess_error_set(r->err, ESS_ENOMEM, line, 1, "out of memory")
                     : ess_error_set(r->err, ESS_EINVAL, line, 1,
                                     "the column '%.60s' is asked for twice", r->spec->names[k]);
    }
    for (size_t k = 0; k < r->spec->count && rc == 0; k++)
        if (r->spec->kinds[k] == ESS_COL_AMOUNT) {
            ess_unit unit = ESS_UNIT_NONE;
            rc = ess_amount_header_unit(r->header_names[r->spec_field[k]], line,
                                        r->amount_header_column, &unit, r->err);
            if (rc == 0 && unit != ESS_UNIT_NONE)
                r->style.unit = unit;
        }
    /* "unité" beside bare amounts: k€ in it, read as euros, was every total 1000 times off,
     * without a word (see unit_cell_refused) */
    for (size_t f = 0; f < r->nheader && rc == 0; f++)
        if (is_unit_column_name(r->header_names[f]) && !is_amount_field(r, f)) {
            r->unit_field = f + 1;
            break;
        }
    for (size_t f = 0; f < r->nheader && rc == 0; f++) {
        if (r->field_to_column[f] >= 0) {
            r->field_to_column[f] = spec_to_ledger[r->field_to_column[f]];
        } else if ((r->spec->flags & ESS_CSV_ALL_COLUMNS) && r->header_names[f][0] &&
                   ess_ledger_find_column(l, r->header_names[f]) < 0) {
            int c = ess_ledger_add_column(l, r->header_names[f], ESS_COL_LABEL);
            if (c < 0)
                rc = ess_error_set(r->err, ESS_ENOMEM, line, 1, "out of memory");
            r->field_to_column[f] = c;
        }
    }
    r->named_fields = r->nheader;
    while (r->named_fields > 0 && r->header_names[r->named_fields - 1][0] == '\0')
        r->named_fields--;
    r->header_named = r->named_fields;
    if (r->spec->flags & ESS_CSV_SHORT_ROWS_BLANK)
        r->named_fields = 0;   /* asked: every short row's missing last cells are blank */
    if (rc == 0 && (r->field_writer = ess_calloc(r->nheader + 1, sizeof *r->field_writer)) == NULL)
        rc = ess_error_set(r->err, ESS_ENOMEM, line, 1, "out of memory");
    int weigh_dates = 0;
    for (size_t f = 0; f < r->nheader && rc == 0; f++) {
        int c = r->field_to_column[f];
        if (c < 0)
            continue;
        r->field_writer[f] = ess_cell_writer_of(l->columns[c].kind);
        if (l->columns[c].kind == ESS_COL_DATE) {   /* spec columns are the ledger's first */
            int order = date_order_of(r->spec, (size_t)c);
            r->field_writer[f] = order == ESS_DATES_DMY   ? ess_put_date_dmy
                                 : order == ESS_DATES_MDY ? ess_put_date_mdy : ess_put_date;
            weigh_dates |= order == ESS_DATES_DETECT;
        }
    }
    if (rc == 0 && weigh_dates) {
        r->ndate_proofs = l->ncolumns;
        if ((r->date_proofs = ess_calloc(l->ncolumns, sizeof *r->date_proofs)) == NULL)
            rc = ess_error_set(r->err, ESS_ENOMEM, line, 1, "out of memory");
    }
    size_t unkept = 0;   /* the first field not kept */
    while (unkept < r->nheader && r->field_to_column[unkept] >= 0)
        unkept++;
    if (rc == 0 && unkept < r->nheader && l->amount >= 0) {
        int c = ess_ledger_add_column(l, WATCH_NAME, ESS_COL_DATE);
        if (c == -2)
            rc = ess_error_set(r->err, ESS_ENOMEM, line, 1, "out of memory");
        for (size_t f = unkept; c >= 0 && f < r->nheader; f++)
            if (r->field_to_column[f] < 0) {
                r->field_to_column[f] = c;
                r->field_writer[f] = f == unkept ? watch_first : watch_more;
            }
    }
    r->first_field_column = r->nheader > 0 && r->field_writer != NULL &&
                                    r->field_writer[0] != watch_first
                                ? r->field_to_column[0] : -1;
    ess_free(spec_to_ledger);
    return rc;
}

static void search_note(csv_reader *r, long line);
static void search_cell(csv_reader *r, size_t field, const char *text, size_t len, long line,
                        const char *line_start, const char *at);

/* The end of a data record: counted blank, kept aside as bad, or committed. */
static CELL_INLINE int finish_record(csv_reader *r, size_t nfields, long line)
{
    if (!r->row_nonblank) {
        ess_ledger_count_blank(r->ledger, 1);
        return 0;
    }
    /* Too many fields is as bad as too few: "CDC,1234,56" in a comma file would otherwise be
     * 1 234 € with its cents lost.  Even blank cells past the header are refused: the blank
     * optional columns at the end of a grant file are where a split amount's shift hides. */
    if (nfields < r->nheader || r->row_extra_column) {
        char msg[120];
        snprintf(msg, sizeof msg, "this row has %zu field%s where the header has %zu", nfields,
                 nfields == 1 ? "" : "s", r->nheader);   /* "1 field", "0 fields", "2 fields" */
        ess_bad_reason why;
        memset(&why, 0, sizeof why);
        why.kind = ESS_BAD_FIELD_COUNT;
        why.count = (long)nfields;
        why.expected = (long)r->nheader;
        return bad_row(r, line, r->row_extra_column ? r->row_extra_column : 1, ESS_EFORMAT, msg,
                       &why);
    }
    if (r->row_error)
        return bad_row(r, r->row_err_line, r->row_err_column, r->row_err.status,
                       r->row_err.message, &r->row_reason);
    ess_ledger_commit_row(r->ledger);
    if (r->row_filled) {   /* kept with blank cells it did not have: counted, to be said */
        if (r->filled_rows++ == 0)
            r->filled_line = line;
    }
    r->last_row_line = line;   /* one store a row, never read on the way: the end's check */
    if (r->search != NULL)     /* only in the second reading of a file with total rows */
        search_note(r, line);
    return 0;
}

/* The header field named text (ASCII case folded, white space around it ignored), -1 if none:
 * asked only of an amount cell that failed, so a header repeated in the body is told. */
static long header_field_named(const csv_reader *r, const char *text, size_t len)
{
    ess_text_trim(&text, &len);
    if (len < 4 || len > 200)   /* "NC", "SEM": an amount cell's words, not a header's */
        return -1;
    for (size_t f = 0; f < r->nheader; f++) {
        const char *name = r->header_names[f];
        size_t k = 0;
        while (k < len && name[k] != '\0' &&
               ess_text_fold((unsigned char)name[k]) == ess_text_fold((unsigned char)text[k]))
            k++;
        if (k == len && name[k] == '\0')
            return (long)f;
    }
    return -1;
}

/* Whether a cell that failed is its own column's name in the header (ASCII case folded, white
 * space around it ignored): the header repeated in the body in its own order. */
static int own_name(const csv_reader *r, size_t field, const char *text, size_t len)
{
    const char *name = r->header_names[field];
    ess_text_trim(&text, &len);
    if (len == 0 || strlen(name) != len)
        return 0;
    for (size_t k = 0; k < len; k++)
        if (ess_text_fold((unsigned char)name[k]) != ess_text_fold((unsigned char)text[k]))
            return 0;
    return 1;
}

/* A cell its writer refused: a bad row (cell_failed), or the header again (exports joined one
 * after another) in another order -- its records are in its columns, not the first header's,
 * an amount read from another column, silently: refused; in the same order, a row that is not
 * a record, set aside as the header repeated.  Out of line: the cell loop that inlines body_cell stays small. */
#if defined(__GNUC__) || defined(__clang__)
__attribute__((noinline, cold))
#endif
static int cell_refused(csv_reader *r, int c, size_t field, const ess_error *e, int rc, long line,
                        long column, const char *text, size_t len, ess_cell_writer write)
{
    long named = rc == ESS_EPARSE && c == r->ledger->amount ? header_field_named(r, text, len)
                                                            : -1;
    if (named >= 0 && (size_t)named != field) {
        int status = ess_error_set(r->err, ESS_EFORMAT, line, column,
                                   "this row is the header again, in another order: where the "
                                   "first header has the amount '%.60s' (field %zu), it has "
                                   "'%.60s' (the first header's field %ld): the records below it "
                                   "are in other columns; split the file at this line, or put its "
                                   "columns in one order", r->header_names[field], field + 1,
                                   r->header_names[named], named + 1);
        /* and why, for a host to say it in its reader's language: the message is English */
        if (r->err != NULL) {
            ess_bad_reason *why = &r->err->row;
            memset(why, 0, sizeof *why);
            why->kind = ESS_BAD_HEADER_REORDERED;
            const char *amount = r->header_names[field], *there = r->header_names[named];
            whole_characters(why->field, sizeof why->field, amount, strlen(amount));
            whole_characters(why->value, sizeof why->value, there, strlen(there));
            why->count = (long)field + 1;
            why->expected = named + 1;
        }
        return status;
    }
    if (own_name(r, field, text, len)) {
        /* the header again in its own order: a row that is no record, said so (not "'montant'
         * is not an amount"); nothing of it is committed */
        row_refused_at(r, ESS_BAD_HEADER_REPEATED, line, column);
        snprintf(r->row_err.message, sizeof r->row_err.message,
                 "this row is the header again ('%.60s' in its column): files joined one after "
                 "the other? it is no record, nothing of it is counted", r->header_names[field]);
        ess_text_mend(r->row_err.message);
        const char *name = r->ledger->columns[c].name;
        whole_characters(r->row_reason.field, sizeof r->row_reason.field, name, strlen(name));
        ess_text_trim(&text, &len);
        whole_characters(r->row_reason.value, sizeof r->row_reason.value, text, len);
        return 0;
    }
    cell_failed(r, c, e, line, column, text, len, write);
    return 0;
}


/* The amount column's name, as the unit column's refusals quote it. */
static const char *amount_name(const csv_reader *r)
{
    const char *amount = "";
    for (size_t k = 0; k < r->spec->count; k++)
        if (r->spec->kinds[k] == ESS_COL_AMOUNT)
            amount = r->spec->names[k];
    return amount;
}

/* A unit column's refusal's reason: the column, the cell's text and the amount column, each
 * cut at a whole character for the messages' languages to word. */
static void unit_column_reason(csv_reader *r, const char *unit_name, const char *text,
                               size_t len, const char *amount)
{
    whole_characters(r->row_reason.field, sizeof r->row_reason.field, unit_name,
                     strlen(unit_name));
    whole_characters(r->row_reason.value, sizeof r->row_reason.value, text, len);
    whole_characters(r->row_reason.amount, sizeof r->row_reason.amount, amount, strlen(amount));
}
/* The cell of the unit column (see make_columns) of a record: a unit other than the one the
 * bare amounts are read in (the amount header's, else euros) refuses the row at that cell.
 * A unit column saying k€ beside "1,5" means 1 500 €: read as 1,50 €, every total was 1000
 * times off, silently.  It is not honoured a row: an amount's unit is said once, in its
 * header ("montant (k€)"), so that a file's rows never mix units unseen; a cell naming no unit
 * ("DRH", an organisation's unit) or the amounts' own says nothing against them. */
#if defined(__GNUC__) || defined(__clang__)
__attribute__((noinline, cold))
#endif
static void unit_cell_refused(csv_reader *r, const char *text, size_t len, ess_unit said,
                              long line, long column)
{
    ess_unit read = r->style.unit == ESS_UNIT_NONE ? ESS_UNIT_EUR : r->style.unit;
    const char *unit_name = r->header_names[r->unit_field - 1], *amount = amount_name(r);
    ess_text_trim(&text, &len);
    row_refused_at(r, ESS_BAD_UNIT_COLUMN, line, column);
    snprintf(r->row_err.message, sizeof r->row_err.message,
             "column '%.40s': '%.*s' says this row's amount is in %s, but the amount column "
             "'%.40s' is read in %s: it would be %ld times too %s, silently; say the unit in "
             "the amount column's header ('%.40s (%s)') if every row has it, or split the file "
             "by unit", unit_name, (int)(len < 40 ? len : 40), text, ess_unit_symbol(said),
             amount, ess_unit_symbol(read),
             said > read ? (long)said / (long)read : (long)read / (long)said,
             said > read ? "small" : "large", amount, ess_unit_symbol(said));
    ess_text_mend(r->row_err.message);
    unit_column_reason(r, unit_name, text, len, amount);
    r->row_reason.count = (long)said;      /* cents a unit: ESS_UNIT_* */
    r->row_reason.expected = (long)read;
}

/* The cell of the unit column (see make_columns) of a record naming another currency than the
 * euro ("USD", "$", "CHF", "F CFP"): the row is refused at that cell.  Its amount was read as
 * euros: "A;100;USD" beside "B;200;EUR" totalled 300 €, without a word.  Amounts are euros
 * only; no rate is guessed, the analyst converts them or sets the row aside. */
#if defined(__GNUC__) || defined(__clang__)
__attribute__((noinline, cold))
#endif
static void currency_cell_refused(csv_reader *r, const char *text, size_t len, long line,
                                  long column)
{
    const char *unit_name = r->header_names[r->unit_field - 1], *amount = amount_name(r);
    ess_text_trim(&text, &len);
    row_refused_at(r, ESS_BAD_CURRENCY_COLUMN, line, column);
    snprintf(r->row_err.message, sizeof r->row_err.message,
             "column '%.40s': '%.*s' says this row's amount is in another currency than the "
             "euro, but the amount column '%.40s' is read in euros: it would be counted as "
             "euros, silently; convert it to euros, or set the row aside with "
             "bad_rows=\"collect\"", unit_name, (int)(len < 40 ? len : 40), text, amount);
    ess_text_mend(r->row_err.message);
    unit_column_reason(r, unit_name, text, len, amount);
}

/* A cell of a record of the body, as the parser found it: its text (unescaped), its field, its
 * line and the bytes its column is counted over (only when an error needs it).  The parser
 * reset the record's state and made room for its row before its first cell. */
static CELL_INLINE int body_cell(csv_reader *r, const char *text, size_t len, size_t field,
                                 long line, const char *line_start, const char *at)
{
    if (!r->row_nonblank && !ess_text_is_blank(text, len))
        r->row_nonblank = 1;
    if (field >= r->nheader) {
        if (r->row_extra_column == 0)
            r->row_extra_column = reader_column(r, line_start, at);
        return 0;
    }
    if (field + 1 == r->unit_field && !r->row_error) {
        ess_unit said = ess_unit_in_text(text, len);
        ess_unit read = r->style.unit == ESS_UNIT_NONE ? ESS_UNIT_EUR : r->style.unit;
        if (said != ESS_UNIT_NONE && said != read)
            unit_cell_refused(r, text, len, said, line, reader_column(r, line_start, at));
        else if (said == ESS_UNIT_NONE && ess_currency_foreign(text, len))
            currency_cell_refused(r, text, len, line, reader_column(r, line_start, at));
    }
    if (r->search != NULL)   /* only in the reading that places total rows */
        search_cell(r, field, text, len, line, line_start, at);
    ess_cell_writer write = r->field_writer[field];
    if (r->row_error || write == NULL)
        return 0;
    int c = r->field_to_column[field];
    ess_error e;
    e.status = ESS_OK;   /* written in full only when a value fails */
    int rc = write(&r->ledger->columns[c], r->ledger->nrows, text, len, &r->style, &e);
    if (rc == ESS_ENOMEM)
        return ess_error_set(r->err, ESS_ENOMEM, line, reader_column(r, line_start, at),
                             "out of memory");
    if (rc == ESS_OK && r->weigh_point && c == r->ledger->amount) {
        const char *span[2] = {line_start, at};
        weigh_point(r, text, len, line, span_column, span);
    }
    if (rc == ESS_OK && write == ess_put_date)   /* its order is decided on its evidence */
        weigh_date(r, c, text, len, line, line_start, at);
    /* "99786.575" fails read with a decimal comma (a group of five digits): in a column whose
     * point is decimal it is an amount with three decimals, and the reading again with the
     * point words its bad row so */
    if (rc == ESS_EPARSE && r->weigh_point && c == r->ledger->amount &&
        ess_money_point_use(text, len) == ESS_POINT_AMBIGUOUS)
        r->failed_ambiguous++;
    if (rc)
        return cell_refused(r, c, field, &e, rc, line, reader_column(r, line_start, at), text, len,
                            write);
    return 0;
}

/* The end of a record of nfields cells (0: an empty line) that started on line. */
static CELL_INLINE int end_record(csv_reader *r, size_t nfields, long line)
{
    if (r->ledger->ncolumns > 0) {
        if (nfields == 0) {
            ess_ledger_count_blank(r->ledger, 1);
            return 0;
        }
        return finish_record(r, nfields, line);
    }
    if (nfields == 0)   /* an empty line before the header: nothing */
        return 0;
    int blank = 1;
    for (size_t f = 0; f < r->nheader && blank; f++)
        blank = r->header_names[f][0] == '\0';
    if (blank) {        /* a blank line before the header: forget it */
        for (size_t f = 0; f < r->nheader; f++)
            ess_free(r->header_names[f]);
        r->nheader = 0;
        return 0;
    }
    return make_columns(r, line);
}

/* The quoted cell whose opening quote is at *at: its text as ess_tokenize unescapes it ("" is
 * one quote, a line ending inside is kept as written -- CRLF, LF or a lone CR --, text after the
 * closing quote up to the delimiter stays in the cell).  The common cell points into the text;
 * only a cell with "" or text after its quote is copied into the scratch -- and none when cell is NULL: a cell of a column
 * not kept is only scanned past, its lines counted.  *at moves past the cell. */
static int read_quoted(csv_reader *r, size_t *at, const char **cell, size_t *cell_len)
{
    int keep = cell != NULL;
    const char *text = r->text;
    size_t len = r->len, open = *at, i = open + 1, run = i;
    long open_line = r->line;
    const char *open_line_start = r->line_start;
    int copied = 0;
    r->scratch.len = 0;
    for (;;) {
        i += ess_scan_quoted(text + i, len - i);
        if (i >= len) {
            r->unclosed_quote = 1;   /* the merge words it with the file's line */
            return ess_error_set(r->err, ESS_EFORMAT, open_line,
                                 char_column(open_line_start, text + open), "unclosed quote");
        }
        if (text[i] == '"') {
            if (i + 1 < len && text[i + 1] == '"') {   /* "" is one quote */
                if (keep && ess_text_buf_put(&r->scratch, text + run, i + 1 - run))
                    return ess_error_set(r->err, ESS_ENOMEM, r->line, 1, "out of memory");
                copied = 1;
                i += 2;
                run = i;
                continue;
            }
            break;
        }
        /* a line ending inside quotes (CRLF, LF or a lone CR) is the cell's text as the file
         * has it, in place: a label "a\r\nb" read back as "a\nb" was no longer the file's
         * label; it counts one line all the same */
        i += (text[i] == '\r' && i + 1 < len && text[i + 1] == '\n') ? 2 : 1;
        r->line++;
        r->line_start = text + i;
    }
    size_t close = i++;
    char delimiter = r->shared->delimiter;
    size_t after = i == len || text[i] == delimiter || text[i] == '\n' || text[i] == '\r'
                       ? 0   /* the common cell: its delimiter follows its quote */
                       : ess_scan_cell(text + i, len - i, delimiter);
    if (!keep) {
        /* nothing to hand on */
    } else if (copied || after > 0) {   /* "abc"def is abcdef, as Excel reads it */
        if (ess_text_buf_put(&r->scratch, text + run, close - run) ||
            ess_text_buf_put(&r->scratch, text + i, after))
            return ess_error_set(r->err, ESS_ENOMEM, r->line, 1, "out of memory");
        *cell = r->scratch.data;
        *cell_len = r->scratch.len;
    } else {
        *cell = text + open + 1;
        *cell_len = close - open - 1;
    }
    *at = i + after;
    return ESS_OK;
}

/* The progress callback told done bytes of total (never more; a total of 0 when the size is
 * not known, ESS_SIZE_UNKNOWN): nonzero when it says stop. */
static int say_progress(const ess_csv_spec *spec, size_t done, size_t total)
{
    if (total == ESS_SIZE_UNKNOWN)
        return spec->progress(spec->progress_user, done, 0);
    return spec->progress(spec->progress_user, done < total ? done : total, total);
}

/* Calls the progress callback (on the caller's thread only) and looks whether another thread
 * was told to stop.  Nonzero: stop reading. */
static int progress_says_stop(csv_reader *r, size_t at)
{
    if (atomic_load_explicit(&r->shared->stop, memory_order_relaxed)) {
        r->stopped = 1;
        return 1;
    }
    if (r->reports_progress && r->spec->progress) {
        size_t done = atomic_load(&r->shared->done) + (at - r->progress_from);
        if (say_progress(r->spec, done, r->shared->total)) {
            r->shared->heard_stop = 1;
            atomic_store(&r->shared->stop, 1);
            r->stopped = 1;
            return 1;
        }
    }
    return 0;
}

/* The index just past the line ending at text[i] (CRLF, LF or a lone CR), or len at the end. */
static inline size_t past_line_end(const char *text, size_t len, size_t i)
{
    if (i >= len)
        return len;
    return i + ((text[i] == '\r' && i + 1 < len && text[i + 1] == '\n') ? 2 : 1);
}

/* Past the delimiter at text[*i], if one is there: the record has another cell. */
static inline int past_delimiter(const char *text, size_t len, char delimiter, size_t *i)
{
    if (*i < len && text[*i] == delimiter) {
        (*i)++;
        return 1;
    }
    return 0;
}

/* The record of nfields cells that began on record_line ends at text[*i] (a line ending or the
 * end of the text): *i moves past the ending, the next line starts there, and the record is
 * committed (the header's and the body's loops end their records alike). */
static CELL_INLINE int next_record(csv_reader *r, size_t *i, size_t nfields, long record_line)
{
    *i = past_line_end(r->text, r->len, *i);
    r->line++;
    r->line_start = r->text + *i;
    return end_record(r, nfields, record_line);
}

static int straight_on = 1;   /* ess_read_straight: the tests' switch */

/* A header field as the straight path writes it, looked up once per text instead of through the
 * reader, the ledger and the column at every cell (a chain of loads each cell waited on). */
typedef struct {
    int column;                 /* the ledger column, -1 when the field is not kept */
    int kind;                   /* its kind (ess_column_kind) */
    ess_column *col;
    ess_cell_writer write;
} straight_field;

/* The fields a record may have for the straight path (a wider file takes the general loop). */
#define STRAIGHT_FIELDS 64

int ess_read_straight(int on)
{
    int was = straight_on;
    if (on >= 0)
        straight_on = on != 0;
    return was;
}

/* The most records a batch of the straight path takes, and the most cells it notes: the
 * batch's text and its cells' places (8 bytes each) stay in a core's first cache between the
 * pass that finds them and the passes that write them (256 records of the benchmark file:
 * 8 KiB of text, 10 KiB of places; 1 024 measured no faster, in turns, 2026-12-01). */
#ifndef BATCH_RECORDS
#define BATCH_RECORDS 256
#endif
#ifndef BATCH_CELLS
#define BATCH_CELLS 2048
#endif
/* A batch's text stays under 2^31 bytes from its first record, so that its places fit 32 bits */
#define BATCH_BYTES ((size_t)1 << 31)

/* A cell of a batch: its text at base + start, len bytes (inside its quotes, if it has them). */
typedef struct {
    uint32_t start, len;
} batch_cell;

/* Where a cell of a batch starts as its columns are counted: at its opening quote, if it has
 * one (the byte before its text, which is otherwise its delimiter or its line's start). */
static inline const char *batch_cell_at(const char *base_text, const batch_cell *cell,
                                        uint32_t record_start)
{
    const char *t = base_text + cell->start;
    return cell->start > record_start && t[-1] == '"' ? t - 1 : t;
}

/* The labels of one column of a batch, rows row0 .. row0 + n - 1 (n <= BATCH_RECORDS), from
 * the cells cell[0], cell[stride], ...: the plain ones hashed first, all of them, then each
 * found or added -- the hashes are independent, so the processor overlaps them, and each
 * probe waits on its slot only, not on its hash too; anything else is ess_put_label's, as is
 * the row where a column may stop indexing.  Returns n, or the row (from 0) where memory ran
 * out.  Not inlined: called a few times a batch, and compiled alone its loops keep their values
 * in registers (inlined, the register allocation of straight_batch around it moved with every
 * change to it, by up to 20 instructions a record). */
static __attribute__((noinline)) size_t batch_labels(ess_column *col, size_t row0,
                                                    const char *text, const batch_cell *cell,
                                                    size_t stride, size_t n,
                                                    const ess_money_style *style)
{
    ess_dict *d = &col->dict;
    int32_t *codes = (int32_t *)col->data + row0;
    ess_error e;
    e.status = ESS_OK;
    size_t k = 0;
    /* a table's first label seeds it (the hashes below need the seed); a column that stopped
     * indexing appends, hashing as it goes */
    for (; k < n && (d->nslots == 0 || d->unindexed); k++, cell += stride)
        if (ess_put_label(col, row0 + k, text + cell->start, cell->len, style, &e) != ESS_OK)
            return k;
    if (k == n)
        return n;
    const uint64_t seed = d->seed;   /* one a process: no later table changes it */
    /* a plain label's hash, 0 for any other: the probe below takes 0 for "not plain", so a plain
     * label whose hash is 0 (one in 2^64) goes through ess_put_label, which reads it the same */
    uint64_t hashes[BATCH_RECORDS], words[BATCH_RECORDS];   /* words: of labels of <= 8 bytes */
    const batch_cell *c = cell;
    for (size_t j = k; j < n; j++, c += stride) {
        const char *t = text + c->start;
        const size_t len = c->len;
        words[j] = len <= 8 ? dict_short_word(t, len) : 0;
        hashes[j] = !plain_label(t, len) ? 0
                    : len <= 8       ? dict_short_hash(words[j], len, seed)
                                     : ess_label_hash(t, len, seed);
    }
    const size_t unindex_k = DICT_UNINDEX_AT >= row0 ? DICT_UNINDEX_AT - row0 : n;
    /* held in a local: each code written could be d->unindexed for all the compiler knows, which
     * only ess_put_label changes (at unindex_k) */
    int indexed = !d->unindexed;
    for (; k < n; k++, cell += stride) {
        const char *t = text + cell->start;
        size_t len = cell->len;
        if (indexed && k != unindex_k && hashes[k] != 0) {
            size_t empty = 0;
            int32_t code = len <= 8 ? ess_dict_probe_short(d, words[k], len, hashes[k], &empty)
                                    : ess_dict_probe(d, t, len, hashes[k], &empty);
            if (code < 0 && (code = ess_dict_add_missed(d, t, len, hashes[k], empty)) < 0)
                return k;
            codes[k] = code;
        } else if (ess_put_label(col, row0 + k, t, len, style, &e) != ESS_OK) {
            return k;
        } else {
            indexed = !d->unindexed;
        }
    }
    return n;
}

/* The places of the cells of up to `most` plain records from text[base] (straight_batch's
 * first pass): cells[] record after record, record_start[] their records' starts, counted from
 * base.  Returns the records found and *at the place past the last one's line ending; sets
 * *ended_early when a record not plain stopped them.  A function of its own, not inlined: the
 * loop's place, bound and block marks then live in registers (inside straight_batch, with the
 * writers' values beside them, they were read from the stack at every cell). */
static __attribute__((noinline)) size_t batch_places(const char *text, size_t len, size_t base,
                                                    size_t stop, char delimiter, size_t nheader,
                                                    size_t most, ess_block_marks *marks,
                                                    batch_cell *cells, uint32_t *record_start,
                                                    size_t *at_end, int *ended_early)
{
    size_t i = base, n = 0;
    ess_block_marks m = *marks;   /* in registers while the loop runs: nothing else sees it */
    const size_t last = nheader - 1;
    while (n < most) {
        if (i >= len || i >= stop || i - base >= BATCH_BYTES - 1 || text[i] == '\n' ||
            text[i] == '\r')
            break;   /* the end, the next chunk's, a long batch, or a blank line */
        size_t at = i;
        batch_cell *cell = &cells[n * nheader];
        size_t field = 0;
        for (;; field++) {
            /* a cell's end is its first mark, and the byte there says the rest: the
             * delimiter (a cell follows), a line ending or the text's end (the record's
             * last), or a quote (the general loop's) -- one byte read a cell */
            size_t start, end;
            char c;
            if (i < len && text[i] == '"') {
                /* the common quoted cell, decided before it is written: a cell with "", a
                 * line ending or text after its quote is the general loop's */
                size_t close = ess_marks_next(&m, text, len, i + 1, delimiter, 1);
                if (close >= len || text[close] != '"')
                    goto not_plain;
                c = close + 1 < len ? text[close + 1] : '\n';
                if (c != delimiter && c != '\n' && c != '\r')
                    goto not_plain;
                start = i + 1;
                end = close;
                i = close + 1;
            } else {
                end = ess_marks_next(&m, text, len, i, delimiter, 0);
                c = end < len ? text[end] : '\n';
                if (c == '"')
                    goto not_plain;   /* a quote inside an unquoted cell */
                start = i;
                i = end;
            }
            cell[field] = (batch_cell){(uint32_t)(start - base), (uint32_t)(end - start)};
            if (c != delimiter)
                break;            /* the line's end: LF, CR or the text's end */
            if (field == last)
                goto not_plain;   /* more cells than the header */
            i++;
        }
        if (field != last)
            goto not_plain;       /* fewer cells than the header */
        if (i - base >= BATCH_BYTES)
            goto not_plain;       /* a record of gigabytes: its places would not fit */
        record_start[n++] = (uint32_t)(at - base);
        i = past_line_end(text, len, i);
        continue;
not_plain:
        i = at;
        *ended_early = 1;
        break;
    }
    *marks = m;
    *at_end = i;
    return n;
}

/* The common records -- as many cells as the header, each unquoted or "quoted" with nothing to
 * unescape, every kept one read, each on one line -- taken in batches on a straight path: one
 * pass finds every cell of up to `want` records (a bit search each, from the block marks of
 * scan.h), then each kept column writes its cells in one loop of its own (no switch on the
 * kind per cell, the same writer on every turn), then the amounts' point and the dates' order
 * are weighed, and the rows committed.  The batch ends before the first record that is not
 * plain (a blank line, a quote inside or after a cell, too few or too many cells, a record
 * starting at or past stop).
 *
 * Returns the records taken (their rows committed, the place moved past the last one's line
 * ending to *next), 0 when the first is not taken -- the general loop then reads it from its
 * start, and says what is wrong with it -- and -1 when memory ran out (r->err says where, as
 * the general loop would: never retried, so that a failed allocation is always the read's
 * status).  *ended_early is set when a record of the batch stopped it (not its size).
 *
 * What must stay true: a record taken here is one the general loop would commit with the same
 * values, and nothing the general loop sees differs for a record not taken.  So the columns
 * that may refuse a cell (ints, amounts, dates) write first, each up to the first row any of
 * them refused; labels, which refuse none, are interned only for the rows before it (a label
 * of a later row interned first would take a code before the refused row's own new label);
 * rows past it were written where the next rows go, and are written again. */
static int straight_batch(csv_reader *r, size_t i, size_t stop, size_t want, size_t *next,
                          int *ended_early, ess_block_marks *marks, const straight_field *fields)
{
    const char *text = r->text;
    const size_t len = r->len, nheader = r->nheader, base = i;
    const char delimiter = r->shared->delimiter;
    ess_ledger *l = r->ledger;
    batch_cell cells[BATCH_CELLS];
    uint32_t record_start[BATCH_RECORDS + 1];   /* and, last, where the record after them starts */
    size_t most = BATCH_CELLS / nheader, n = 0;
    if (want < most)
        most = want;
    if (most > BATCH_RECORDS)
        most = BATCH_RECORDS;
    *ended_early = 0;
    /* the cells' places, record after record */
    n = batch_places(text, len, base, stop, delimiter, nheader, most, marks, cells, record_start,
                     &i, ended_early);
    if (n == 0)
        return 0;
    record_start[n] = (uint32_t)(i - base);
    /* room for the rows, grown as ess_ledger_ensure_row grows it */
    const size_t row0 = l->nrows;
    if (ess_ledger_ensure_rows(l, n)) {
        ess_error_set(r->err, ESS_ENOMEM, r->line, reader_column(r, r->line_start, text + base),
                      "out of memory");
        return -1;
    }
    /* the columns that may refuse a cell, each up to the first row refused */
    size_t taken = n;
    int amount_field = -1;
    for (size_t field = 0; field < nheader; field++) {
        const straight_field *sf = &fields[field];
        if (sf->column < 0 || sf->kind == ESS_COL_LABEL)
            continue;
        ess_column *col = sf->col;
        ess_error e;
        e.status = ESS_OK;
        int rc = ESS_OK;
        size_t k = 0;
        const batch_cell *cell = &cells[field];
        switch (sf->kind) {   /* one loop per kind: the writer inline, the same on every turn */
        case ESS_COL_AMOUNT:
            amount_field = (int)field;
            for (; k < taken; k++, cell += nheader)
                if ((rc = ess_put_amount(col, row0 + k, text + base + cell->start, cell->len,
                                         &r->style, &e)) != ESS_OK)
                    break;
            break;
        case ESS_COL_INT:
            for (; k < taken; k++, cell += nheader)
                if ((rc = ess_put_int(col, row0 + k, text + base + cell->start, cell->len,
                                      &r->style, &e)) != ESS_OK)
                    break;
            break;
        default:   /* a date (its order's writer), or the watch of the fields not kept */
            for (; k < taken; k++, cell += nheader)
                if ((rc = sf->write(col, row0 + k, text + base + cell->start, cell->len,
                                    &r->style, &e)) != ESS_OK)
                    break;
            break;
        }
        if (rc == ESS_ENOMEM) {
            const char *line_start = text + base + record_start[k];
            ess_error_set(r->err, ESS_ENOMEM, r->line + (long)k,
                          reader_column(r, line_start,
                                        batch_cell_at(text + base, cell, record_start[k])),
                          "out of memory");
            return -1;
        }
        if (rc != ESS_OK)
            taken = k;   /* the general loop reads row k again, and says why */
    }
    /* the amount column is always kept (its cell, read, makes no record blank) */
    assert(amount_field >= 0);
    if (taken == 0) {
        *ended_early = 1;
        return 0;
    }
    /* the labels, for the rows taken only */
    for (size_t field = 0; field < nheader; field++) {
        const straight_field *sf = &fields[field];
        if (sf->column < 0 || sf->kind != ESS_COL_LABEL)
            continue;
        size_t k = batch_labels(sf->col, row0, text + base, &cells[field], nheader, taken,
                                &r->style);
        if (k < taken) {
            ess_error_set(r->err, ESS_ENOMEM, r->line + (long)k,
                          reader_column(r, text + base + record_start[k],
                                        batch_cell_at(text + base, &cells[k * nheader + field],
                                                      record_start[k])),
                          "out of memory");
            return -1;
        }
    }
    /* what the rows taken say of the amounts' point and the dates' order, row after row as
     * the general loop weighs them; a cell's column is counted from its quote, if it has one */
    if (r->weigh_point) {
        const batch_cell *cell = &cells[amount_field];
        size_t decimal = 0;   /* the common English amounts, counted here without a call */
        for (size_t k = 0; k < taken; k++, cell += nheader) {
            const char *cell_text = text + base + cell->start;
            if (english_amount(cell_text, cell->len)) {
                decimal++;
                continue;
            }
            const char *span[2] = {text + base + record_start[k],
                                   batch_cell_at(text + base, cell, record_start[k])};
            weigh_point(r, cell_text, cell->len, r->line + (long)k, span_column, span);
        }
        r->point_decimal += decimal;
    }
    if (r->date_proofs != NULL)
        for (size_t field = 0; field < nheader; field++) {
            const straight_field *sf = &fields[field];
            if (sf->column < 0 || sf->write != ess_put_date)
                continue;
            const batch_cell *cell = &cells[field];
            for (size_t k = 0; k < taken; k++, cell += nheader) {
                weigh_date(r, sf->column, text + base + cell->start, cell->len,
                           r->line + (long)k, text + base + record_start[k],
                           batch_cell_at(text + base, cell, record_start[k]));
            }
        }
    l->nrows = row0 + taken;
    r->line += (long)taken;
    r->last_row_line = r->line - 1;
    *next = base + record_start[taken];
    r->line_start = text + *next;
    if (taken < n)
        *ended_early = 1;
    return (int)taken;
}

/* The records from text[*at] up to the end of the header (blank lines before it forgotten):
 * a few lines read once, so every cell takes the general path.  *at moves past them. */
static int parse_header(csv_reader *r, size_t *at)
{
    const char *text = r->text;
    size_t len = r->len, i = *at;
    char delimiter = r->shared->delimiter;
    int rc = ESS_OK;
    while (i < len && r->ledger->ncolumns == 0) {
        if (i >= r->next_progress)   /* progress is said from the body on */
            r->next_progress = i + PROGRESS_STEP;
        long record_line = r->line;
        size_t field = 0;
        if (text[i] != '\n' && text[i] != '\r') {
            for (;;) {
                const char *cell = NULL, *line_start = r->line_start;
                size_t start = i, cell_len = 0;
                long line = r->line;
                int quoted = i < len && text[i] == '"';
                if (quoted) {
                    if ((rc = read_quoted(r, &i, &cell, &cell_len)) != ESS_OK)
                        goto out;
                } else {
                    cell_len = ess_scan_cell(text + i, len - i, delimiter);
                    cell = text + i;
                    i += cell_len;
                }
                ess_cell_event ev = {cell, cell_len, 0, field, line,
                                     reader_column(r, line_start, text + start), quoted};
                if ((rc = header_cell(r, &ev)) != ESS_OK)
                    goto out;
                field++;
                if (!past_delimiter(text, len, delimiter, &i))
                    break;   /* a line ending or the end of the text */
            }
        }
        if ((rc = next_record(r, &i, field, record_line)) != ESS_OK)
            break;
    }
out:
    *at = i;
    return rc;
}

/* Parses the records that start in text[i, stop) -- the last may end past stop -- or, while
 * the ledger has no column, the records up to the end of the header.  *next is where the
 * record after them starts.  One function on purpose: the place (i, line) lives in locals of
 * the loop every byte of the body goes through; the header's few lines take their own loop, so
 * that the body's cells are not asked at every cell whether the header is read. */
static int parse_records(csv_reader *r, size_t i, size_t stop, size_t *next)
{
    const char *text = r->text;
    size_t len = r->len;
    char delimiter = r->shared->delimiter;
    int rc = ESS_OK;
    if (r->ledger->ncolumns == 0) {   /* the header is read first, alone */
        rc = parse_header(r, &i);
        goto out;
    }
    size_t nheader = r->nheader;
    /* the straight path, unless each record is to be noted (the second reading of a file with
     * total rows) */
    const int straight = straight_on && r->search == NULL && nheader <= STRAIGHT_FIELDS &&
                         r->unit_field == 0;   /* its cells are checked by body_cell */
    ess_block_marks marks = {ESS_MARKS_NONE, 0, 0};   /* the straight path's, for this text */
    size_t batch_want = 16;   /* the records the straight path's next batch may take */
    /* the header's fields for the straight path: the ledger's columns do not change while the
     * body is read (a column is added with the header, dropped after the read) */
    straight_field fields[STRAIGHT_FIELDS];
    for (size_t f = 0; straight && f < nheader; f++) {
        int c = r->field_to_column[f];
        ess_column *col = c >= 0 ? &r->ledger->columns[c] : NULL;
        fields[f] = (straight_field){c, col ? col->kind : 0, col, r->field_writer[f]};
    }
    while (i < len && i < stop) {
        if (i >= r->next_progress) {
            r->next_progress = i + PROGRESS_STEP;
            if (progress_says_stop(r, i)) {
                rc = ess_error_set(r->err, ESS_EINVAL, r->line, 1, "reading stopped");
                break;
            }
        }
        if (straight && text[i] != '\n' && text[i] != '\r') {
            int ended_early;
            int taken = straight_batch(r, i, stop, batch_want, &i, &ended_early, &marks, fields);
            if (taken < 0) {
                rc = ESS_ENOMEM;
                goto out;
            }
            /* a batch grows while its records are plain, and starts again small after one
             * that is not: a file of many records the general loop must read pays for a few
             * plain ones read twice, not for a whole batch each time */
            if (ended_early)
                batch_want = taken > 1 ? (size_t)taken : 1;
            else if (batch_want < BATCH_RECORDS)
                batch_want *= 2;
            if (taken > 0)
                continue;
        }
        long record_line = r->line;
        size_t field = 0;
        if (text[i] != '\n' && text[i] != '\r') {
            r->row_error = 0;
            r->row_nonblank = 0;
            r->row_extra_column = 0;
            r->row_filled = 0;
            if (ess_ledger_ensure_row(r->ledger)) {
                rc = ess_error_set(r->err, ESS_ENOMEM, r->line,
                                   reader_column(r, r->line_start, text + i), "out of memory");
                goto out;
            }
            for (;;) {
                const char *cell = NULL, *line_start = r->line_start;
                size_t at = i, cell_len = 0;
                long line = r->line;
                ess_cell_writer write = field < nheader ? r->field_writer[field] : NULL;
                /* a cell of a column not kept, in a row already known not blank, says nothing:
                 * it is only scanned past (its quotes' lines counted) */
                int skip = write == NULL && field < nheader && r->row_nonblank &&
                           field + 1 != r->unit_field;
                if (i < len && text[i] == '"') {
                    /* the common quoted cell, "text" and its delimiter or line ending, points
                     * into the text at once; one with "", a line ending or text after its
                     * closing quote is read_quoted's */
                    size_t close = i + 1 + ess_scan_quoted(text + i + 1, len - i - 1);
                    if (close < len && text[close] == '"' &&
                        (close + 1 == len || text[close + 1] == delimiter ||
                         text[close + 1] == '\n' || text[close + 1] == '\r')) {
                        cell = text + i + 1;
                        cell_len = close - i - 1;
                        i = close + 1;
                    } else {
                        rc = read_quoted(r, &i, skip ? NULL : &cell, &cell_len);
                        if (rc != ESS_OK)
                            goto out;
                    }
                } else {
                    cell_len = ess_scan_cell(text + i, len - i, delimiter);
                    cell = text + i;
                    i += cell_len;
                }
                if (!skip && (rc = body_cell(r, cell, cell_len, field, line, line_start,
                                             text + at)) != ESS_OK)
                    goto out;
                field++;
                if (!past_delimiter(text, len, delimiter, &i))
                    break;   /* a line ending or the end of the text */
            }
            /* Excel leaves out the delimiters of blank cells at a row's end (past a sheet's
             * 16th row): a row short only of the header's unnamed columns at its end lacks
             * nothing, its missing cells are blank.  A row short of a named column is still
             * set aside: its cells may have shifted.  Short of a named one, read so only when
             * asked (ESS_CSV_SHORT_ROWS_BLANK), and counted. */
            r->row_filled = field < r->header_named && field >= r->named_fields;
            for (; field < nheader && field >= r->named_fields; field++)
                if ((rc = body_cell(r, text + i, 0, field, r->line, r->line_start,
                                    text + i)) != ESS_OK)
                    goto out;
        }
        if ((rc = next_record(r, &i, field, record_line)) != ESS_OK)
            break;
    }
out:
    *next = i;
    return rc;
}

/* Whether c may stand next to an amount that is a whole cell: a line's end, a quote, a
 * delimiter (any of those the sniffer knows), or a space before a unit ("1,234.56 EUR"). */
static int cell_edge(char c)
{
    return c == '\n' || c == '\r' || c == '"' || c == ';' || c == '\t' || c == ',' ||
           c == '|';
}

/* ',' unless the amounts read English: a cell that is an amount "1,234.56" (a comma before the
 * point), its sign and a unit after it aside.  A whole cell only: "achat 2,345.50 USD" in a
 * label says nothing of the amounts (it once made a file's "1.500" read 1,5).  The reader then
 * weighs each amount (weigh_point) when the decimal mark was not given. */
static char detect_decimal(const char *text, size_t len)
{
    size_t n = len < DECIMAL_SNIFF ? len : DECIMAL_SNIFF;
    for (size_t i = 0; i + 4 < n; i++)
        if (text[i] >= '0' && text[i] <= '9' && text[i + 1] == ',' && text[i + 2] >= '0' &&
            text[i + 2] <= '9') {
            size_t k = i + 2;
            while (k < n && text[k] >= '0' && text[k] <= '9')
                k++;
            if (!(k < n && text[k] == '.' && k - (i + 2) == 3 && k + 1 < n &&
                  text[k + 1] >= '0' && text[k + 1] <= '9'))
                continue;
            size_t start = i;   /* the number's first byte: digits and grouping commas */
            while (start > 0 && ((text[start - 1] >= '0' && text[start - 1] <= '9') ||
                                 text[start - 1] == ','))
                start--;
            if (start > 0 && (text[start - 1] == '-' || text[start - 1] == '+'))
                start--;
            else if (start > 0 && text[start - 1] == '(')   /* "(1,234.56)": a negative */
                start--;
            size_t end = k + 1;
            while (end < n && text[end] >= '0' && text[end] <= '9')
                end++;
            if (end < n && text[end] == (text[start] == '(' ? ')' : '-'))
                end++;   /* its closing parenthesis, or a trailing minus "1,234.56-" */
            int whole_before = start == 0 || cell_edge(text[start - 1]);
            int whole_after = end == n || cell_edge(text[end]) ||
                              (text[end] == ' ' && (end + 1 == n || !(text[end + 1] >= '0' &&
                                                                      text[end + 1] <= '9')));
            if (whole_before && whole_after)
                return '.';
        }
    return ',';
}

static void reader_init(csv_reader *r, ess_ledger *l, const ess_csv_spec *spec, char decimal_mark,
                        ess_bad_rows *bad, ess_error *err, read_shared *shared,
                        const char *text, size_t len)
{
    memset(r, 0, sizeof *r);
    r->first_field_column = -1;   /* until the header is read */
    r->ledger = l;
    r->spec = spec;
    r->bad = bad;
    r->err = err;
    r->shared = shared;
    r->text = text;
    r->len = len;
    r->line = 1;
    r->line_start = text;
    r->style.decimal_mark = decimal_mark;
    r->style.unit = ESS_UNIT_EUR;
    r->style.flags = spec->flags & ESS_CSV_DASH_IS_ZERO ? ESS_MONEY_DASH_IS_ZERO : 0u;
    /* the caller's mark, not a guess: "1.23" under a declared comma is no amount */
    if (spec->decimal_mark != 0 && !(spec->flags & ESS_CSV_MARK_SNIFFED))
        r->style.flags |= ESS_MONEY_MARK_SAID;
    r->search = line_searching;
    for (size_t j = 0; r->search != NULL && j < r->search->count; j++)
        r->search->lines[j] = 0;   /* a reading again from the start finds them again */
    if (r->search != NULL)
        r->search->next = 0;
}

/* The spec's names, lower-cased, in a dictionary: a header is matched in linear time. */
static int reader_index_spec(csv_reader *r)
{
    const ess_csv_spec *spec = r->spec;
    if ((r->spec_field = ess_malloc((spec->count + 1) * sizeof *r->spec_field)) == NULL)
        return ess_error_set(r->err, ESS_ENOMEM, 0, 0, "out of memory");
    for (size_t k = 0; k < spec->count; k++) {
        r->spec_field[k] = -1;
        size_t n = strlen(spec->names[k]);
        char *lower = ess_text_folded_copy(spec->names[k], n);
        if (lower == NULL)
            return ess_error_set(r->err, ESS_ENOMEM, 0, 0, "out of memory");
        size_t before = r->spec_names.count;
        int32_t code = ess_dict_intern(&r->spec_names, lower, n);
        ess_free(lower);
        if (code < 0)
            return ess_error_set(r->err, ESS_ENOMEM, 0, 0, "out of memory");
        if ((size_t)code < before)
            return ess_error_set(r->err, ESS_EINVAL, 0, 0, "the column '%.60s' is asked for twice",
                                 spec->names[k]);
    }
    return ESS_OK;
}

static void reader_done(csv_reader *r)
{
    ess_dict_clear(&r->spec_names);
    ess_dict_clear(&r->header_seen);
    ess_free(r->spec_field);
    for (size_t f = 0; f < r->nheader; f++)
        ess_free(r->header_names[f]);
    ess_free(r->header_names);
    ess_free(r->field_to_column);
    ess_free(r->field_writer);
    ess_free(r->scratch.data);
    ess_free(r->date_proofs);
    r->date_proofs = NULL;
}

/* ------------------------------------------------------------------ chunks */

/* A part of the body parsed on its own: the records that start in [start, stop) of its text. */
typedef struct chunk {
    csv_reader r;               /* the main reader's header, its own ledger and evidence */
    ess_bad_rows bad;           /* lines counted from the chunk's first (owned) */
    ess_error err;
    const char *text;           /* what it parses: the whole text (borrowed), or its block */
    size_t len;
    char *block;                /* a block read from the file (owned), NULL for a text in memory */
    size_t block_cap;           /* its allocated size */
    size_t raw_len;             /* bytes of the file its text came from (a block, or blocks
                                 * joined): streamed chunks are placed by these */
    int raw_cp1252;             /* its text is still the file's CP1252 bytes (decoded by the
                                 * thread that parses it): a file_cp1252 */
    size_t text_at;             /* offset of text[0] in the whole text (streamed: in the file's
                                 * bytes after its BOM) */
    size_t start, stop;         /* in text; start is speculative until the merge checks it */
    size_t next;                /* where the record after the chunk's last one starts */
    size_t rows_hint;           /* capacity to reserve: an estimate */
    int rc;
    int into_result;            /* it writes straight into the result's ledger (the first chunk
                                 * of a text in memory: no copy of the largest part) */
    int not_text;               /* a block that is not text in the file's encoding (UTF-8, or
                                 * CP1252 when named): left unparsed */
    int past_ascii;             /* its block is UTF-8 with a byte past ASCII (a file not found
                                 * CP1252 on its first read may still be one if none is) */
    int absorbed;               /* its block was joined to the chunk before it: nothing left */
    date_proof *date_proofs;    /* its dates' evidence (owned), when the main reader weighs */
} chunk;

/* How a streamed file is CP1252: not at all, named so (every byte is a CP1252 character), found
 * so, its encoding not named: its first read was not UTF-8 and held no valid UTF-8 sequence, as
 * every block must -- or found mixed: a byte that is not UTF-8 and a valid UTF-8 sequence were
 * both met (ESS_ENC_MIXED, as the whole text would be found), each block decoded as the whole
 * text would be, its sequences kept. */
enum file_cp1252 { NOT_CP1252, CP1252_NAMED, CP1252_FOUND, CP1252_MIXED };

static ess_cp1252_way cp1252_way(int cp1252)
{
    return cp1252 == CP1252_FOUND ? ESS_CP1252_FOUND
           : cp1252 == CP1252_MIXED ? ESS_CP1252_MIXED : ESS_CP1252_NAMED;
}

/* A ledger with the columns of the main one and no row, room reserved for rows. */
static ess_ledger *empty_like(const ess_ledger *model, size_t rows)
{
    ess_ledger *l = ess_ledger_new();
    if (l == NULL)
        return NULL;
    for (size_t c = 0; c < model->ncolumns; c++) {
        if (ess_ledger_add_column(l, model->columns[c].name, model->columns[c].kind) != (int)c) {
            ess_ledger_free(l);
            return NULL;
        }
        l->columns[c].dict.may_stop_indexing = 1;   /* a chunk's: only ever merged */
    }
    if (ess_ledger_reserve(l, rows)) {
        ess_ledger_free(l);
        return NULL;
    }
    return l;
}

/* A streamed chunk's CP1252 block, decoded to UTF-8 in its place (on the parsing thread: the
 * blocks are decoded in parallel).  ESS_EFORMAT: a NUL or an undefined byte, or in a file found
 * CP1252, a valid UTF-8 sequence. */
static int decode_block(chunk *k)
{
    char *text;
    size_t len;
    int rc = ess_cp1252_text(k->text, k->len, cp1252_way(k->raw_cp1252), &text, &len);
    if (rc != ESS_OK)
        return rc;
    ess_free(k->block);
    k->block = text;
    k->block_cap = 3 * k->len + 1;
    k->text = text;
    k->len = k->stop = len;
    k->raw_cp1252 = 0;
    return ESS_OK;
}

/* Parses chunk k into its own ledger, or into the result's when it is the one to. */
static void parse_chunk(chunk *k, const csv_reader *main, int on_callers_thread)
{
    /* A block is checked (or decoded) before a byte of it is parsed: the parser only reads text
     * the decoder would have accepted (the merge then leaves the file to the whole-file path). */
    int kind = k->block == NULL || k->raw_cp1252 ? ESS_TEXT_ASCII : ess_utf8_text(k->text, k->len);
    int text_rc = k->block != NULL && k->raw_cp1252 ? decode_block(k)
                  : kind == ESS_TEXT_NOT_UTF8        ? ESS_EFORMAT : ESS_OK;
    k->past_ascii = kind == ESS_TEXT_UTF8;
    ess_ledger *own = k->r.ledger;   /* the result's for into_result, a merged chunk's, or none */
    k->r = *main;   /* the header's arrays are borrowed: only the main reader frees them */
    k->r.ledger = own;
    k->r.text = k->text;
    k->r.len = k->len;
    k->r.bad = &k->bad;
    k->r.err = &k->err;
    k->r.scratch = (ess_text_buf){NULL, 0, 0};
    k->r.line = 1;
    k->r.line_start = k->text + k->start;
    k->r.stopped = k->r.unclosed_quote = 0;
    k->r.point_ambiguous = k->r.point_decimal = k->r.point_groups = k->r.comma_ambiguous = 0;
    k->r.failed_ambiguous = 0;
    k->r.last_row_line = 0;
    k->r.filled_rows = 0;
    k->r.filled_line = 0;
    k->r.date_proofs = NULL;   /* the main reader's are the merged ones: never written here */
    if (main->date_proofs != NULL) {
        if (k->date_proofs == NULL &&
            (k->date_proofs = ess_calloc(main->ndate_proofs, sizeof *k->date_proofs)) == NULL) {
            k->rc = ess_error_set(&k->err, ESS_ENOMEM, 1, 1, "out of memory");
            return;
        }
        memset(k->date_proofs, 0, main->ndate_proofs * sizeof *k->date_proofs);
        k->r.date_proofs = k->date_proofs;
    }
    k->r.reports_progress = on_callers_thread;
    k->r.progress_from = k->r.next_progress = k->start;
    memset(&k->bad, 0, sizeof k->bad);
    ess_error_clear(&k->err);
    k->next = k->start;
    if (text_rc != ESS_OK) {
        k->not_text = text_rc == ESS_EFORMAT;
        k->rc = ess_error_set(&k->err, text_rc, 1, 1, "%s",
                              text_rc == ESS_EFORMAT ? "not text" : "out of memory");
        return;
    }
    if (k->r.ledger != NULL && !k->into_result)
        ess_ledger_forget_rows(k->r.ledger);   /* a merged chunk's, read into again */
    if (k->r.ledger == NULL && (k->r.ledger = empty_like(main->ledger, k->rows_hint)) == NULL) {
        k->rc = ess_error_set(&k->err, ESS_ENOMEM, 1, 1, "out of memory");
        return;
    }
    if (ess_ledger_reserve(k->r.ledger, k->r.ledger->nrows + k->rows_hint)) {
        k->rc = ess_error_set(&k->err, ESS_ENOMEM, 1, 1, "out of memory");
        return;
    }
    k->rc = parse_records(&k->r, k->start, k->stop, &k->next);
    atomic_fetch_add(&main->shared->done, k->next - k->start);
}

/* Forgets what a chunk read, to read it again from another start (its text stays). */
static void chunk_reset(chunk *k)
{
    if (!k->into_result)
        ess_ledger_free(k->r.ledger);   /* the result's ledger is the caller's to free */
    k->r.ledger = k->into_result ? k->r.ledger : NULL;
    ess_bad_rows_clear(&k->bad);
    ess_free(k->r.scratch.data);
    k->r.scratch = (ess_text_buf){NULL, 0, 0};
    k->rc = ESS_OK;
    k->not_text = 0;
}

/* Frees all a chunk holds: once merged, only its rows (now the result's) stay. */
static void chunk_release(chunk *k)
{
    chunk_reset(k);
    k->r.ledger = NULL;
    ess_free(k->date_proofs);
    k->date_proofs = NULL;
    ess_free(k->block);
    k->block = NULL;
    k->text = NULL;
    k->len = 0;
}

/* Rows a chunk of len bytes may hold, from the records of a sample of the body (no count of the
 * whole): the estimate may be short (the ledger grows) or long (it is given back). */
static size_t estimate_rows(const char *sample, size_t sample_len, size_t len, size_t nheader)
{
    size_t endings = 0;
    for (const char *p = sample, *end = sample + sample_len;
         (p = memchr(p, '\n', (size_t)(end - p))) != NULL; p++)
        endings++;
    size_t per_record = endings ? sample_len / endings : sample_len + 1;
    size_t rows = len / (per_record ? per_record : 1);
    rows += rows / 16 + 64;
    size_t most = len / (nheader > 2 ? nheader : 2) + 1;   /* a row has nheader - 1 delimiters */
    return rows < most ? rows : most;
}

#define SAMPLE_BYTES (64u << 10)   /* the part of a text the row estimate looks at */
#define READ_MIN (64u << 10)       /* the least a read asks the file for */

/* Where the chunks' texts come from, in file order: even cuts of a text in memory (each chunk
 * sees the whole text, its last record may end past its cut), or blocks read from a file as the
 * read goes, each ending after a line ending (a record may still cross: a quoted cell holding
 * that line ending), of which only the blocks in flight are held. */
typedef struct chunk_feed {
    size_t nheader;             /* the header's fields, for the row estimates */
    /* a text in memory */
    const char *text;           /* NULL when the chunks are read from a source */
    size_t len, body, count;    /* text[body, len) is cut in count chunks at most */
    size_t cut, cut_index;      /* where the next chunk starts; the next even cut to try */
    /* a file */
    const ess_byte_source *source;
    size_t block;               /* bytes a block aims at */
    char *pending;              /* read and not yet handed out: pending[head, filled) (owned) */
    size_t head, filled, cap;
    size_t read_at;             /* bytes read from the source so far */
    size_t text_at;             /* offset in the whole text of pending[head] */
    int eof;                    /* the source said its end */
    int failed;                 /* the source could not be read */
    int not_text;               /* a block is not text: the streamed read gives up */
    int past_ascii;             /* the text before that block, from the file's start, held a
                                 * byte past ASCII (valid UTF-8, so the file is not CP1252) */
    int cp1252;                 /* a file_cp1252: its blocks are decoded */
    size_t made;                /* chunks made so far */
    /* Blocks merged and given back, reused for the next reads: fresh memory costs a page fault
     * every 4 KiB, as much as the read itself (owned) */
    struct { char *data; size_t cap; } spare[2];
    size_t nspare;
} chunk_feed;

/* A buffer of at least cap bytes for a read: a block given back, or a new one. */
static char *feed_buffer(chunk_feed *f, size_t *cap)
{
    for (size_t s = 0; s < f->nspare; s++)
        if (f->spare[s].cap >= *cap) {
            char *data = f->spare[s].data;
            *cap = f->spare[s].cap;
            f->spare[s] = f->spare[--f->nspare];
            return data;
        }
    return ess_malloc(*cap);
}

/* A merged (or joined) chunk's block, kept for a later read when there is room, else freed. */
static void feed_give_back(chunk_feed *f, chunk *k)
{
    if (k->block != NULL && f->nspare < sizeof f->spare / sizeof f->spare[0]) {
        f->spare[f->nspare].data = k->block;
        f->spare[f->nspare++].cap = k->block_cap;
        k->block = NULL;
    }
}

static void feed_free(chunk_feed *f)
{
    while (f->nspare > 0)
        ess_free(f->spare[--f->nspare].data);
    ess_free(f->pending);
    f->pending = NULL;
}

/* Reads until pending holds want bytes, or the file ends. */
static int feed_fill(chunk_feed *f, size_t want, ess_error *err)
{
    while (!f->eof && f->filled - f->head < want) {
        if (f->head > 0) {   /* only a partial line, or small blocks cut from a large read */
            memmove(f->pending, f->pending + f->head, f->filled - f->head);
            f->filled -= f->head;
            f->head = 0;
        }
        if (f->cap < want || f->cap == f->filled) {
            size_t cap = want > 2 * f->cap ? want : 2 * f->cap;
            cap = cap > READ_MIN ? cap : READ_MIN;
            char *grown = ess_realloc(f->pending, cap);
            if (grown == NULL)
                return ess_error_set(err, ESS_ENOMEM, 0, 0, "out of memory");
            f->pending = grown;
            f->cap = cap;
        }
        size_t got = 0;
        if (f->source->read(f->source->user, f->read_at, f->pending + f->filled,
                            f->cap - f->filled, &got)) {
            f->failed = 1;
            return ess_error_set(err, ESS_EINVAL, 0, 0, "the file could not be read");
        }
        f->eof = got == 0;
        f->filled += got;
        f->read_at += got;
    }
    return ESS_OK;
}

/* The end of the last line ending in p[0, look) that is known whole (a CR whose next byte is
 * not yet read may be half a CRLF); 0 if none.  avail bytes of p are read. */
static size_t last_line_end(const char *p, size_t look, size_t avail, int eof)
{
    for (size_t i = look; i-- > 0;) {
        if (p[i] == '\n')
            return i + 1;
        if (p[i] == '\r' && (i + 1 < avail ? p[i + 1] != '\n' : eof))
            return i + 1;
    }
    return 0;
}

/* The next block of the file as chunk k's text: about f->block bytes up to a line ending (more
 * when a line is longer), the rest of the file at its end.  *made is 0 when none is left. */
static int feed_block(chunk_feed *f, chunk *k, int *made, ess_error *err)
{
    ESS_RETURN_NOT_OK(feed_fill(f, f->block, err));
    size_t look = f->block, avail, cut;
    for (;;) {
        avail = f->filled - f->head;
        if (f->eof && avail <= look) {
            cut = avail;   /* the end of the file */
            break;
        }
        if ((cut = last_line_end(f->pending + f->head, look < avail ? look : avail, avail,
                                 f->eof)) > 0)
            break;
        look = 2 * avail;   /* no line ending in the block: a longer block */
        ESS_RETURN_NOT_OK(feed_fill(f, look, err));
    }
    /* Ctrl-Z (0x1A) as the file's very last byte is its end, as a text in memory has it
     * (ess_decode_borrow_found): the last block, or a block of that byte alone after the last
     * line ending, stops before it */
    if (f->eof && cut == avail && cut > 0 && f->pending[f->head + cut - 1] == 0x1A)
        cut--;
    *made = cut > 0;
    if (cut == 0)
        return ESS_OK;
    char *block;
    if (f->head == 0 && 2 * cut >= f->filled) {
        /* the common block is most of the buffer read: handed over whole, its tail (part of a
         * line) copied to a new buffer for the next */
        size_t rest = f->filled - cut, cap = f->block > READ_MIN ? f->block : READ_MIN;
        cap = rest > cap ? rest : cap;
        char *fresh = feed_buffer(f, &cap);
        if (fresh == NULL)
            return ess_error_set(err, ESS_ENOMEM, 0, 0, "out of memory");
        memcpy(fresh, f->pending + cut, rest);
        block = f->pending;
        k->block_cap = f->cap;
        f->pending = fresh;
        f->cap = cap;
        f->filled = rest;
    } else {   /* small blocks out of a large read (the first, or a tiny block size) */
        k->block_cap = cut;
        if ((block = feed_buffer(f, &k->block_cap)) == NULL)
            return ess_error_set(err, ESS_ENOMEM, 0, 0, "out of memory");
        memcpy(block, f->pending + f->head, cut);
        f->head += cut;
    }
    k->block = block;
    k->text = block;
    k->len = k->raw_len = cut;
    k->raw_cp1252 = f->cp1252;
    k->text_at = f->text_at;
    f->text_at += cut;
    k->start = 0;
    k->stop = cut;
    k->rows_hint = estimate_rows(block, cut < SAMPLE_BYTES ? cut : SAMPLE_BYTES, cut, f->nheader);
    return ESS_OK;
}

/* The next even cut of a text in memory as chunk k: it starts after the line ending that
 * follows its cut (a guess: the merge checks it) and sees the whole text. */
static void feed_slice(chunk_feed *f, chunk *k, int *made)
{
    const char *text = f->text;
    size_t len = f->len, start = f->cut, stop = len;
    *made = f->made == 0 || start < len;   /* the first chunk even when the body is empty */
    if (!*made)
        return;
    while (f->cut_index < f->count) {
        size_t cut = f->body + (len - f->body) / f->count * f->cut_index++;
        size_t at = cut + ess_scan3(text + cut, len - cut, '\n', '\r', '\n');
        if (at < len)
            at += (text[at] == '\r' && at + 1 < len && text[at + 1] == '\n') ? 2 : 1;
        if (at < len && at > start) {
            stop = at;
            break;
        }
    }
    f->cut = stop;
    k->into_result = f->made == 0;
    k->text = text;
    k->len = len;
    k->text_at = 0;
    k->start = start;
    k->stop = stop;
    size_t sample = len - f->body < SAMPLE_BYTES ? len - f->body : SAMPLE_BYTES;
    /* the first chunk writes into the result, with room for the whole body's estimate */
    k->rows_hint = estimate_rows(text + f->body, sample,
                                 f->made == 0 ? len - f->body : stop - start, f->nheader);
}

static int feed_next(chunk_feed *f, chunk *k, int *made, ess_error *err)
{
    *made = 0;
    if (f->text != NULL)
        feed_slice(f, k, made);
    else
        ESS_RETURN_NOT_OK(feed_block(f, k, made, err));
    f->made += (size_t)*made;
    return ESS_OK;
}

/* The chunks of a read and who is doing what: the caller's thread makes chunks (reading the
 * file's blocks) at most `window` ahead of the merge, threads take them in file order, and the
 * caller's thread merges each as soon as it is parsed (taking chunks itself while the next to
 * merge is not ready), so only the chunks in flight are held besides the result.  Chunk k
 * lives in slots[k % window]. */
typedef struct chunk_work {
    chunk *slots;
    unsigned char *parsed;      /* parsed[k % window]: chunk k is parsed (under lock) */
    size_t window;
    const csv_reader *main;
    int synced;                 /* lock and cond exist: threads run */
    mtx_t lock;
    cnd_t changed;              /* a chunk was made, parsed or merged, or the read stops */
    size_t made;                /* chunks made (under lock) */
    int all_made;               /* the feed has no more (under lock) */
    size_t next;                /* the next chunk nobody has taken (under lock) */
    /* Ledgers of merged chunks, handed to the next chunks parsed (under lock): freed, their
     * memory went back to the system, and 27 000 of the 118 000 page faults of reading the
     * 1e7-row benchmark file were chunks' columns faulting in again (2e6 rows on one thread:
     * 110-116 against 115-117 ms).  Handed when a chunk is parsed, not made, so that no more
     * are held than before (owned) */
    ess_ledger **spare;
    size_t nspare;
    /* a file's: the body's bytes, and the rows they may hold, estimated on its first block when
     * it is made (a thread decoding a CP1252 block frees its bytes: nothing reads them after) */
    size_t body_bytes, body_rows;
} chunk_work;

static void work_lock(chunk_work *w)
{
    if (w->synced)
        mtx_lock(&w->lock);
}

static void work_unlock_telling(chunk_work *w)
{
    if (w->synced) {
        cnd_broadcast(&w->changed);
        mtx_unlock(&w->lock);
    }
}

static chunk *slot_of(chunk_work *w, size_t k) { return &w->slots[k % w->window]; }

/* A merged chunk's ledger for chunk c, about to be parsed, if one is spare (under lock: the
 * parsing thread empties it). */
static void take_spare_ledger(chunk_work *w, chunk *c)
{
    if (!c->into_result && c->r.ledger == NULL && w->nspare > 0)
        c->r.ledger = w->spare[--w->nspare];
}

/* Parses chunk `take`, which the calling thread took, and says so. */
static void parse_taken(chunk_work *w, size_t take, int on_callers_thread)
{
    take_spare_ledger(w, slot_of(w, take));
    mtx_unlock(&w->lock);
    parse_chunk(slot_of(w, take), w->main, on_callers_thread);
    mtx_lock(&w->lock);
    w->parsed[take % w->window] = 1;
    cnd_broadcast(&w->changed);
}

static int chunk_worker(void *arg)
{
    chunk_work *w = arg;
    mtx_lock(&w->lock);
    for (;;) {
        while (!atomic_load(&w->main->shared->stop) && w->next >= w->made && !w->all_made)
            cnd_wait(&w->changed, &w->lock);
        if (atomic_load(&w->main->shared->stop) || w->next >= w->made)
            break;   /* stopped, or every chunk made and taken */
        parse_taken(w, w->next++, 0);
    }
    mtx_unlock(&w->lock);
    return 0;
}

/* Until chunk k (made) is parsed, the caller's thread parses chunks nobody has taken, then
 * waits.  Progress is heard at merges, in file order, whoever parsed. */
static void wait_for_chunk(chunk_work *w, size_t k)
{
    mtx_lock(&w->lock);
    while (!w->parsed[k % w->window]) {
        if (w->next < w->made)
            parse_taken(w, w->next++, 0);
        else
            cnd_wait(&w->changed, &w->lock);
    }
    mtx_unlock(&w->lock);
}

/* Whether a chunk read alone from a text in memory may write straight into the result: while
 * the result's label tables fit in a core's cache (2 MiB here), a cell found there costs what it
 * would cost in a chunk's own table, and the chunk's copy into the result is saved (a tenth of
 * reading the benchmark file's few hundred labels).  Past that, every cell of a column of a
 * million beneficiaries probed the result's table from memory: 8.7 s of CPU for the 1e7-row
 * names file read on one thread, against 3.1 s in chunks, each with a table of its own merged
 * once, its look-ups fetched ahead (2026-11-30). */
static int dictionaries_cache_sized(const ess_ledger *l)
{
    size_t table_bytes = 0;
    for (size_t c = 0; c < l->ncolumns; c++)
        if (l->columns[c].kind == ESS_COL_LABEL)
            table_bytes += l->columns[c].dict.nslots * sizeof(ess_dict_slot) +
                           l->columns[c].dict.arena_len;
    return table_bytes <= RESULT_TABLES_CACHED;
}

/* Makes chunks until `window` are ahead of the merge (merged of them merged) or none is left. */
static int make_chunks(chunk_work *w, chunk_feed *f, size_t merged, ess_error *err)
{
    while (!w->all_made && w->made < merged + w->window) {
        chunk *c = slot_of(w, w->made);
        memset(c, 0, sizeof *c);
        int made;
        ESS_RETURN_NOT_OK(feed_next(f, c, &made, err));
        if (made && !c->into_result && !w->synced && f->text != NULL &&
            dictionaries_cache_sized(w->main->ledger))
            c->into_result = 1;   /* alone, in order: see dictionaries_cache_sized */
        if (made && c->into_result)
            c->r.ledger = w->main->ledger;
        if (made && w->made == 0 && f->text == NULL)
            w->body_rows = estimate_rows(c->text, c->len < SAMPLE_BYTES ? c->len : SAMPLE_BYTES,
                                         w->body_bytes, f->nheader);
        work_lock(w);
        if (made) {
            w->parsed[w->made % w->window] = 0;
            w->made++;
        } else {
            w->all_made = 1;
        }
        work_unlock_telling(w);
    }
    return ESS_OK;
}

/* A streamed chunk whose last record crosses its block's end (a quoted cell holding the line
 * ending it was cut after) takes the next block into its own: the next chunk's block, that
 * chunk left with nothing (absorbed), or a block not yet made.  *joined is 0 at the file's end:
 * the quote is then truly never closed. */
static int absorb_next(chunk_work *w, chunk_feed *f, size_t k, int threads_run, int *joined,
                       ess_error *err)
{
    chunk *c = slot_of(w, k), spare, *from = &spare;
    size_t j = k + 1;
    while (j < w->made && slot_of(w, j)->absorbed)
        j++;
    *joined = 0;
    memset(&spare, 0, sizeof spare);
    if (j < w->made) {
        if (threads_run)
            wait_for_chunk(w, j);
        from = slot_of(w, j);
    } else {
        int made;
        ESS_RETURN_NOT_OK(feed_next(f, &spare, &made, err));
        if (!made)
            return ESS_OK;
    }
    int text_rc = from->raw_cp1252 ? decode_block(from) : ESS_OK;   /* the text joined is text */
    if (text_rc != ESS_OK) {
        c->not_text = text_rc == ESS_EFORMAT;
        if (from == &spare)
            chunk_release(&spare);
        return text_rc == ESS_EFORMAT ? ESS_OK
                                      : ess_error_set(err, ESS_ENOMEM, 0, 0, "out of memory");
    }
    size_t need = c->len + from->len;
    char *grown = need <= c->block_cap ? c->block : ess_realloc(c->block, need);
    if (grown == NULL) {
        if (from == &spare)
            chunk_release(&spare);
        return ess_error_set(err, ESS_ENOMEM, 0, 0, "out of memory");
    }
    memcpy(grown + c->len, from->text, from->len);
    c->block_cap = need > c->block_cap ? need : c->block_cap;
    c->block = grown;
    c->text = grown;
    c->len += from->len;
    c->raw_len += from->raw_len;
    c->stop = c->len;
    feed_give_back(f, from);
    chunk_release(from);
    from->absorbed = 1;
    *joined = 1;
    return ESS_OK;
}

/* Makes a chunk's lines, places and messages the file's (line_offset lines precede it). */
static void rebase_chunk(chunk *k, long line_offset)
{
    for (size_t b = 0; b < k->bad.count; b++)
        k->bad.items[b].line += line_offset;
    if (k->rc) {
        long line = k->err.line + line_offset, column = k->err.column;
        if (k->r.stopped)
            ess_error_set(&k->err, ESS_EINVAL, line, column, "reading stopped at line %ld", line);
        else if (k->r.unclosed_quote) {
            ess_error_set(&k->err, ESS_EFORMAT, line, column,
                          "the quote opened at line %ld, column %ld is never closed", line,
                          column);
            k->err.detail = ESS_QUOTE_UNCLOSED;
        }
        else
            k->err.line = line;
    }
    k->r.ambiguous_line += line_offset;
    k->r.comma_line += line_offset;
    for (size_t c = 0; k->r.date_proofs != NULL && c < k->r.ndate_proofs; c++) {
        k->r.date_proofs[c].day_line += line_offset;
        k->r.date_proofs[c].month_line += line_offset;
    }
    if (k->r.last_row_line > 0)
        k->r.last_row_line += line_offset;
    if (k->r.filled_line > 0)
        k->r.filled_line += line_offset;
    for (size_t j = 0; k->r.search != NULL && j < k->r.search->count; j++)
        if (k->r.search->lines[j] > 0) {   /* one chunk in that reading: rebased once */
            k->r.search->lines[j] += line_offset;
            if (k->r.search->cell_lines[j] > 0)   /* the line of the cell that says total */
                k->r.search->cell_lines[j] += line_offset;
        }
}

/* Adds chunk k, checked and placed, to the main reader's result: its rows (labels re-coded
 * into the main dictionaries in one pass), blank and bad rows, and its evidence on the point. */
static int merge_chunk(csv_reader *main, chunk *k)
{
    if (!k->into_result && ess_ledger_extend(main->ledger, k->r.ledger, main->err))
        return main->err->status;
    for (size_t b = 0; b < k->bad.count; b++) {
        const ess_bad_row *row = &k->bad.items[b];
        ESS_RETURN_NOT_OK(bad_row(main, row->line, row->column, ESS_EFORMAT, row->message,
                                  &row->reason));
    }
    if (main->point_ambiguous == 0 && k->r.point_ambiguous > 0) {
        main->ambiguous_line = k->r.ambiguous_line;
        main->ambiguous_column = k->r.ambiguous_column;
        memcpy(main->ambiguous_text, k->r.ambiguous_text, sizeof main->ambiguous_text);
    }
    if (main->comma_ambiguous == 0 && k->r.comma_ambiguous > 0) {
        main->comma_line = k->r.comma_line;
        main->comma_column = k->r.comma_column;
        memcpy(main->comma_text, k->r.comma_text, sizeof main->comma_text);
    }
    if (k->r.last_row_line > 0)   /* chunks merge in file order: the last one with rows wins */
        main->last_row_line = k->r.last_row_line;
    if (main->filled_rows == 0)   /* in file order too: the first one with such rows */
        main->filled_line = k->r.filled_line;
    main->filled_rows += k->r.filled_rows;
    main->point_ambiguous += k->r.point_ambiguous;
    main->point_decimal += k->r.point_decimal;
    main->point_groups += k->r.point_groups;
    main->comma_ambiguous += k->r.comma_ambiguous;
    main->failed_ambiguous += k->r.failed_ambiguous;
    for (size_t c = 0; k->r.date_proofs != NULL && c < main->ndate_proofs; c++) {
        date_proof *into = &main->date_proofs[c];
        const date_proof *from = &k->r.date_proofs[c];
        if (into->day_first == 0 && from->day_first > 0) {   /* chunks merge in file order */
            into->day_line = from->day_line;
            into->day_column = from->day_column;
            memcpy(into->day_text, from->day_text, sizeof into->day_text);
        }
        if (into->month_first == 0 && from->month_first > 0) {
            into->month_line = from->month_line;
            into->month_column = from->month_column;
            memcpy(into->month_text, from->month_text, sizeof into->month_text);
        }
        into->day_first += from->day_first;
        into->month_first += from->month_first;
        into->day_month += from->day_month;
    }
    return ESS_OK;
}

/* Room for more rows in the result before a chunk is appended: geometric, so that appending
 * chunk after chunk does not move the columns each time when the estimate was short. */
static int reserve_for(ess_ledger *l, size_t more)
{
    if (l->nrows + more <= l->cap)
        return ESS_OK;
    size_t grown = l->cap + l->cap / 2;
    return ess_ledger_reserve(l, l->nrows + more > grown ? l->nrows + more : grown);
}

/* A header on two rows, as a spreadsheet prints a title over its units ("Montant" above
 * "(k€)", "en milliers d'euros"): the units line was a bad row ("'(k€)' is not an amount") and,
 * where bad rows are kept aside (bad_rows="collect", read_scdl always), the amounts under it
 * were read in the header's unit -- euros, a thousandth of what the file says -- without a word
 * but that bad row.  Refused at its cell when the first line of the body is a bad row whose
 * amount cell names a unit alone (no digit) other than the one the amounts are read in; one
 * naming that unit ("(€)" under "montant") changes no figure and stays a bad row.  Without
 * bad_rows="collect" the bad row itself stops the reading first, at the same cell.  Asked once,
 * of the merged bad rows (file lines), whatever chunk or thread read them. */
static int units_line_refused(csv_reader *r, long body_line)
{
    if (r->bad == NULL || r->bad->count == 0 || r->bad->items[0].line != body_line)
        return ESS_OK;
    const ess_bad_row *row = &r->bad->items[0];
    if (row->reason.kind != ESS_BAD_AMOUNT)
        return ESS_OK;
    const char *value = row->reason.value;
    size_t len = strlen(value);
    for (size_t i = 0; i < len; i++)
        if (value[i] >= '0' && value[i] <= '9')
            return ESS_OK;   /* "12 €" refused for another reason is no units line */
    ess_unit said = ess_unit_in_text(value, len);
    ess_unit read = r->style.unit == ESS_UNIT_NONE ? ESS_UNIT_EUR : r->style.unit;
    if (said == ESS_UNIT_NONE || said == read)
        return ESS_OK;
    const char *amount = amount_name(r);
    int rc = ess_error_set(r->err, ESS_EFORMAT, row->line, row->column,
                           "the amount column '%.60s' has its unit ('%.60s') on the line under "
                           "it: the header takes two rows, as a spreadsheet prints a title over "
                           "its units, and its bare amounts would be read as %s, not %s; say "
                           "the unit in the header ('%.60s (%s)')", amount, value,
                           ess_unit_symbol(read), ess_unit_symbol(said), amount,
                           ess_unit_symbol(said));
    if (r->err != NULL)
        r->err->detail = ESS_HEADER_UNIT_BELOW;   /* worded in the reader's language */
    return rc;
}

/* Reads the body (from text offset body, on line body_line) into the main reader's ledger: the
 * feed's chunks parsed on the spec's threads, merged in file order as they are parsed; a chunk
 * whose guessed start was not a record's start is parsed again from the true one, a streamed
 * chunk whose last record crosses its block's end again over its block and the next. */
static int read_body(csv_reader *main, chunk_feed *feed, size_t body, long body_line)
{
    int threads = main->spec->threads > 1 ? main->spec->threads : 1;
    /* what the chunks copy: a snapshot, as the merge changes the main reader while they run */
    const csv_reader model = *main;
    chunk_work work;
    memset(&work, 0, sizeof work);
    work.main = &model;
    int parallel = threads > 1 && (feed->text != NULL
                                       ? feed->count > 1
                                       : feed->source->size > feed->text_at + feed->block);
    if (parallel && mtx_init(&work.lock, mtx_plain) == thrd_success) {
        if (cnd_init(&work.changed) == thrd_success)
            work.synced = 1;
        else
            mtx_destroy(&work.lock);
    }
    /* Alone, the caller's thread makes a chunk and parses it.  With threads, chunks are made
     * ahead so that a merging thread kept off the CPU leaves the others work; a streamed chunk
     * holds its block too (threads + 2 measured 8 MB less at the peak at 2e6 rows; its time
     * under load could not be told from noise, so the slack stays). */
    work.window = work.synced ? 2 * (size_t)threads + 2 : 1;
    if ((work.slots = ess_calloc(work.window, sizeof *work.slots)) == NULL ||
        (work.parsed = ess_calloc(work.window, 1)) == NULL ||
        (work.spare = ess_calloc(work.window, sizeof *work.spare)) == NULL) {
        ess_free(work.slots);
        ess_free(work.parsed);
        if (work.synced) {
            cnd_destroy(&work.changed);
            mtx_destroy(&work.lock);
        }
        return ess_error_set(main->err, ESS_ENOMEM, body_line, 1, "out of memory");
    }

    enum { MAX_WORKERS = 64 };
    thrd_t tids[MAX_WORKERS];
    int started = 0;
    while (work.synced && started + 1 < threads && started < MAX_WORKERS &&
           thrd_create(&tids[started], chunk_worker, &work) == thrd_success)
        started++;   /* a thread that cannot start leaves its share to the others */

    int rc = ESS_OK;
    size_t expected = body;   /* where the next record truly starts, in the whole text */
    long line_offset = body_line - 1;
    size_t total = main->shared->total, shift = main->shared->offset;
    /* a stream of unknown size: the rows are not estimated, the result grows as chunks come */
    work.body_bytes = total > body && total != ESS_SIZE_UNKNOWN ? total - body : 0;
    for (size_t k = 0; rc == ESS_OK; k++) {
        if ((rc = make_chunks(&work, feed, k, main->err)) != ESS_OK || k >= work.made)
            break;   /* a read failed, or every chunk is merged */
        chunk *c = slot_of(&work, k);
        if (k == 0 && feed->text == NULL && ess_ledger_reserve(main->ledger, work.body_rows))
            rc = ess_error_set(main->err, ESS_ENOMEM, body_line, 1, "out of memory");
        if (started > 0)
            wait_for_chunk(&work, k);
        else if (!c->absorbed) {
            if (feed->text != NULL && c->text_at + c->start != expected) {
                /* alone, the chunk before is merged: its true start is known, no guess is read
                 * (a chunk writing into the result could not forget rows read from a guess) */
                c->start = expected - c->text_at;
                c->stop = c->start > c->stop ? c->start : c->stop;
            }
            take_spare_ledger(&work, c);   /* alone: no lock needed */
            parse_chunk(c, &model, 1);     /* alone: in order */
        }
        if (c->absorbed || rc) {
            /* its block is in the chunk before */
        } else {
            if (c->text_at + c->start != expected) {   /* a guess cut a record: read it again */
                chunk_reset(c);
                c->start = expected - c->text_at;
                c->stop = c->start > c->stop ? c->start : c->stop;
                parse_chunk(c, &model, started == 0);
            }
            int joined = 1;
            while (rc == ESS_OK && c->rc && c->r.unclosed_quote && c->block != NULL && joined &&
                   !c->not_text &&
                   (rc = absorb_next(&work, feed, k, started > 0, &joined, main->err)) == ESS_OK &&
                   joined) {
                chunk_reset(c);
                parse_chunk(c, &model, started == 0);
            }
            rebase_chunk(c, line_offset);
            if (rc) {
                /* the next block could not be read */
            } else if (c->not_text) {
                feed->not_text = 1;
                rc = ess_error_set(main->err, ESS_EFORMAT, line_offset + 1, 1, "not UTF-8 text");
            } else if (c->rc) {
                rc = c->rc;
                *main->err = c->err;
            } else if (!c->into_result && reserve_for(main->ledger, c->r.ledger->nrows)) {
                rc = ess_error_set(main->err, ESS_ENOMEM, c->r.line + line_offset, 1,
                                   "out of memory");
            } else {
                rc = merge_chunk(main, c);
                feed->past_ascii |= c->past_ascii;
            }
            line_offset += c->r.line - 1;
            /* a streamed chunk, merged, read its blocks to their end (a record that crossed it
             * joined the next): the next starts after its bytes in the file */
            expected = c->block != NULL ? c->text_at + c->raw_len : c->text_at + c->next;
            /* Progress after every merge, on the caller's thread: whoever parsed the chunks,
             * the callback hears of each one in file order, up to the whole file (and may stop
             * it). */
            if (rc == ESS_OK && main->spec->progress &&
                say_progress(main->spec, expected + shift, total)) {
                main->shared->heard_stop = 1;
                rc = ess_error_set(main->err, ESS_EINVAL, line_offset + 1, 1, "reading stopped");
            }
        }
        feed_give_back(feed, c);
        ess_ledger *spare = NULL;   /* its ledger, for a chunk to come */
        if (rc == ESS_OK && !c->into_result) {
            spare = c->r.ledger;
            c->r.ledger = NULL;
        }
        chunk_release(c);   /* its rows are the result's now: only they stay */
        if (rc)
            atomic_store(&main->shared->stop, 1);   /* the threads stop at their next look */
        work_lock(&work);
        /* kept while a chunk may still want it: spares held past the last chunk's parse would
         * all be held beside the whole result, the peak of the read */
        if (spare != NULL && work.nspare < work.window &&
            (!work.all_made || work.nspare < work.made - (started > 0 ? work.next : k + 1))) {
            work.spare[work.nspare++] = spare;
            spare = NULL;
        }
        work_unlock_telling(&work);   /* the threads may take chunks further on, or stop */
        ess_ledger_free(spare);       /* not wanted, or no room left for it */
    }
    work_lock(&work);
    work.all_made = 1;   /* whatever is left unmade stays so */
    work_unlock_telling(&work);
    for (int t = 0; t < started; t++)
        thrd_join(tids[t], NULL);
    if (work.synced) {
        cnd_destroy(&work.changed);
        mtx_destroy(&work.lock);
    }
    for (size_t s = 0; s < work.window; s++)
        chunk_release(&work.slots[s]);   /* those a failure left unmerged */
    while (work.nspare > 0)
        ess_ledger_free(work.spare[--work.nspare]);
    ess_free(work.spare);
    ess_free(work.parsed);
    ess_free(work.slots);
    if (rc == ESS_OK)
        rc = units_line_refused(main, body_line);
    return rc;
}

/* ------------------------------------------------------------------ the two entries */

/* What both entries refuse before reading a byte: a spec with no amount column or two, and a
 * delimiter that is a quote or a line ending -- marks with meanings of their own (what must
 * stay true for the straight path's block marks, which hold the delimiter and those marks in
 * one word: the delimiter is none of them). */
static int spec_refused(const ess_csv_spec *spec, ess_error *err)
{
    size_t amounts = 0;
    for (size_t k = 0; k < spec->count; k++)
        amounts += spec->kinds[k] == ESS_COL_AMOUNT;
    if (amounts != 1)
        return ess_error_set(err, ESS_EINVAL, 0, 0, "a ledger needs exactly one amount column");
    if (spec->delimiter == '"' || spec->delimiter == '\n' || spec->delimiter == '\r')
        return ess_error_set(err, ESS_EINVAL, 0, 0,
                             "a delimiter cannot be a quote or a line ending, which mean their "
                             "own thing in a CSV file");
    return ESS_OK;
}

enum { READ_AGAIN_WITH_POINT = -1, READ_AGAIN_MONTH_FIRST = -2 };

/* What each date column decided on its evidence said of its order once the whole file is read:
 * day first (as read: ESS_OK), month first -- a value could only be so, 03/25/2017, and the
 * column's 04/05/2017 were read day first: the file is read again with *orders (owned by the
 * caller), one order a spec column -- or both, refused naming a value of each kind. */
static int date_verdict(const csv_reader *r, char **orders, ess_error *err)
{
    *orders = NULL;
    int again = 0;
    for (size_t c = 0; r->date_proofs != NULL && c < r->ndate_proofs; c++) {
        const date_proof *p = &r->date_proofs[c];
        if (p->day_first > 0 && p->month_first > 0) {
            int month_later = p->month_line > p->day_line ||
                              (p->month_line == p->day_line && p->month_column > p->day_column);
            return ess_error_set(
                err, ESS_EFORMAT, month_later ? p->month_line : p->day_line,
                month_later ? p->month_column : p->day_column,
                "column '%.40s': the dates mix two orders: '%s' (line %ld, column %ld) can only "
                "be day first and '%s' (line %ld, column %ld) only month first, so which one "
                "04/05/2017 is cannot be known; put the column in one order",
                r->ledger->columns[c].name, p->day_text, p->day_line, p->day_column,
                p->month_text, p->month_line, p->month_column);
        }
        again |= p->month_first > 0;
    }
    if (!again) {
        /* the order each date column was read in, kept by the ledger: said by the caller, or
         * day first on the evidence of values written so -- a column of ISO dates only never
         * decided one (a filter's 04/03/2017 is then refused, not guessed) */
        for (size_t k = 0; k < r->spec->count && k < r->ledger->ncolumns; k++) {
            ess_column *col = &r->ledger->columns[k];
            int order = date_order_of(r->spec, k);
            if (col->kind != ESS_COL_DATE)
                continue;
            col->date_order = (char)(order != ESS_DATES_DETECT ? order
                                     : k < r->ndate_proofs && r->date_proofs != NULL &&
                                               r->date_proofs[k].day_month > 0
                                         ? ESS_DATES_DMY : 0);
        }
        return ESS_OK;
    }
    size_t n = r->spec->count;
    if ((*orders = ess_malloc(n + 1)) == NULL)
        return ess_error_set(err, ESS_ENOMEM, 0, 0, "out of memory");
    for (size_t k = 0; k < n; k++) {
        int order = date_order_of(r->spec, k);
        (*orders)[k] = (char)(order == ESS_DATES_DETECT && k < r->ndate_proofs &&
                                      r->date_proofs[k].month_first > 0
                                  ? ESS_DATES_MDY : order);
    }
    return READ_AGAIN_MONTH_FIRST;
}

/* The refusal of an amount the column leaves undecided, set by ess_error_set just before:
 * its kind and why (ESS_AMBIGUOUS_*), for a host to word it in its reader's language. */
static int ambiguous(ess_error *err, long why)
{
    if (err != NULL) {
        err->detail = ESS_AMOUNT_AMBIGUOUS;
        err->detail_n = why;
    }
    return ESS_EPARSE;
}

/* What the amounts said of the point once the whole file is read: "12.500" was read with the
 * point grouping thousands; the column decides whether that stands (ESS_OK), or whether the
 * file is read again with the point as decimal mark, or an error names the first ambiguous
 * amount. */
static int point_verdict(const csv_reader *r, ess_error *err)
{
    if (r->point_ambiguous == 0 && r->comma_ambiguous == 0) {
        /* only amounts that failed as French: a decimal point says how to word them */
        return r->failed_ambiguous > 0 && r->point_decimal > 0 && r->point_groups == 0
                   ? READ_AGAIN_WITH_POINT : ESS_OK;
    }
    /* "250.75" and no decimal comma: the point is decimal, so "12.500" is 12,5 and "1,500"
     * 1 500 (read with a comma, it was 1,5: a thousandth of it, silently) */
    if (r->point_decimal > 0 && r->point_groups == 0)
        return READ_AGAIN_WITH_POINT;
    /* "1,500" and nothing else to go by, in a ',' file: there French writers must quote every
     * decimal comma and English ones every thousands comma, so the delimiter says nothing of
     * the language; a column of "1,500", "12,000", "250,000" read French was a thousandth of
     * each amount, without a word.  (In a ';' or tab file French stands, as below.) */
    if (r->comma_ambiguous > 0 && r->point_decimal == 0 && r->point_groups == 0 &&
        r->point_ambiguous == 0 && r->shared->delimiter == ',') {
        char grouped[24], decimal[24];
        ess_point_readings(r->comma_text, ',', grouped, decimal, sizeof grouped);
        ess_error_set(err, ESS_EPARSE, r->comma_line, r->comma_column,
                      "the amount '%s' could be %s or %s, and no other amount of this "
                      "',' file says which; say which with decimal='.' (the comma groups "
                      "thousands) or decimal=',' (the comma is the decimal mark)",
                      r->comma_text, grouped, decimal);
        return ambiguous(err, ESS_AMBIGUOUS_COMMA_FILE);   /* for a host to word it */
    }
    /* nothing says the point is decimal: French, "12.500" grouped once a decimal comma is
     * seen, "1,500" a decimal comma as read */
    if (r->point_decimal == 0 && (r->point_groups > 0 || r->point_ambiguous == 0))
        return ESS_OK;
    char why[300];
    if (r->point_ambiguous > 0) {
        ess_point_ambiguity(why, sizeof why, r->ambiguous_text, r->point_groups > 0);
        ess_error_set(err, ESS_EPARSE, r->ambiguous_line, r->ambiguous_column, "%s", why);
        return ambiguous(err, r->point_groups > 0 ? ESS_AMBIGUOUS_OTHERS_DISAGREE
                                                  : ESS_AMBIGUOUS_NO_OTHER);
    }
    ess_point_ambiguity(why, sizeof why, r->comma_text, 1);   /* the amounts point both ways */
    ess_error_set(err, ESS_EPARSE, r->comma_line, r->comma_column, "%s", why);
    return ambiguous(err, ESS_AMBIGUOUS_OTHERS_DISAGREE);
}


/* Whether a label holds only a dash ("-", "–", "—"): a cell a spreadsheet fills to say
 * "nothing here", as blank as an empty one for the SUM row rule. */
static int label_is_dash(const char *text, size_t len)
{
    ess_text_trim(&text, &len);
    return (len == 1 && text[0] == '-') ||
           (len == 3 && (unsigned char)text[0] == 0xE2 && (unsigned char)text[1] == 0x80 &&
            ((unsigned char)text[2] == 0x93 || (unsigned char)text[2] == 0x94));
}

/* Whether a label is the name of a summary a spreadsheet prints beside its SUM row at the
 * bottom of a table ("Moyenne", "Nb :", "Écart-type", "Max."): the whole label, case and
 * accents aside, a colon or a point after it.  Only next to a total at the bottom does it make
 * a row no record: a beneficiary may be called "Moyenne" (total_rows_found). */
static int summary_word(const char *text, size_t len)
{
    static const char *const words[] = {"moyenne", "moy", "average", "mean", "nombre", "nb",
                                        "count", "effectif", "mediane", "median", "min",
                                        "minimum", "max", "maximum", "ecart-type", "ecart type",
                                        "std"};
    ess_text_trim(&text, &len);
    int first = len > 0 ? ess_text_fold((unsigned char)text[0]) : 0;
    if (len > 16 || !(first == 'm' || first == 'a' || first == 'n' || first == 'c' ||
                      first == 'e' || first == 's' || first == 0xC3))
        return 0;   /* the common cell, at its first letter (a field not kept: every row's) */
    while (len > 0 && (text[len - 1] == ':' || text[len - 1] == ' '))
        len--;   /* "Moyenne :" */
    if (len > 0 && text[len - 1] == '.')
        len--;   /* "Moy.", "Nb." */
    char folded[16];
    size_t n = 0;
    for (size_t k = 0; k < len; k++) {
        unsigned char c = (unsigned char)text[k];
        if (n == sizeof folded)
            return 0;   /* longer than any of the words */
        if (c == 0xC3 && k + 1 < len &&
            (((unsigned char)text[k + 1] >= 0xA8 && (unsigned char)text[k + 1] <= 0xAB) ||
             ((unsigned char)text[k + 1] >= 0x88 && (unsigned char)text[k + 1] <= 0x8B)))
            c = 'e', k++;   /* "é", "É", "è"...: the words' only accents */
        else if (c >= 0x80)
            return 0;
        folded[n++] = (char)ess_text_fold(c);
    }
    for (size_t w = 0; w < sizeof words / sizeof *words; w++)
        if (strlen(words[w]) == n && memcmp(words[w], folded, n) == 0)
            return 1;
    return 0;
}

/* Whether a label holds a number alone ("4", "1 250", "3,5", "-2"): 1 a whole number, its value
 * in *value (when not NULL, and it fits: -1 else), 2 another number ("3,5": an average of the
 * column), 0 no number. */
static int label_number(const char *text, size_t len, long long *value)
{
    ess_text_trim(&text, &len);
    size_t k = len > 0 && (text[0] == '-' || text[0] == '+') ? 1 : 0;
    int digits = 0, marks = 0;
    long long v = 0;
    for (; k < len; k++) {
        char c = text[k];
        if (c >= '0' && c <= '9') {
            digits++;
            v = v < 100000000000000LL ? 10 * v + (c - '0') : -1;
        } else if (c == ',' || c == '.' || c == ' ') {
            marks++;
        } else {
            return 0;
        }
    }
    if (digits == 0)
        return 0;
    if (value != NULL)
        *value = text[0] == '-' || text[0] == '+' ? -1 : v;   /* a count, a sum of counts */
    return marks == 0 ? 1 : 2;
}

/* "Somme" adding up one row is more likely the département beside an equal grant
 * ("Aisne;1000 / Somme;1000") than a SUM row, "Ensemble" or "Cumul" an association so named:
 * 1 when the total word starting at w is one of those three. */
static int total_word_may_name_one_row(const char *w)
{
    int a = ess_text_fold((unsigned char)w[0]), b = ess_text_fold((unsigned char)w[1]);
    return (a == 's' && b == 'o' && ess_text_fold((unsigned char)w[2]) == 'm') ||
           (a == 'e' && b == 'n' && ess_text_fold((unsigned char)w[2]) == 's') ||
           (a == 'c' && b == 'u');
}

/* How a label cell speaks of a total: 2 it is one ("Total", "TOTAL GÉNÉRAL", "Sous-total :"),
 * 1 it starts like one ("Total Axe 1", "Total des subventions 2017"), 0 it does not
 * ("TotalEnergies", "Association Totem").  "Ensemble" alone is the total row of the public
 * statistician's tables; many associations are named "Ensemble ..." ("Ensemble vocal"), so
 * it is 1 alone (a total only where it adds up rows) and 0 followed by anything.  "Cumul"
 * ("Cumul 2017", a running total's last line) is 1, as "Somme" is: "Cumulus" is no word of it. */
static int total_words(const char *text, size_t len, int *which)
{
    static const char *const words[] = {"sous-total", "sous total", "grand total", "total",
                                        "totaux", "somme", "ensemble", "cumul"};
    ess_text_trim(&text, &len);
    for (size_t w = 0; w < sizeof words / sizeof *words; w++) {
        size_t n = strlen(words[w]), k = 0;
        while (k < n && k < len && ess_text_fold((unsigned char)text[k]) == words[w][k])
            k++;
        unsigned char next = len > n ? (unsigned char)text[n] : ' ';
        if (k < n || next >= 0x80 || (next >= '0' && next <= '9') ||
            (ess_text_fold(next) >= 'a' && ess_text_fold(next) <= 'z'))
            continue;   /* another word, or a word that goes on ("Totalement") */
        const char *rest = text + n;
        size_t left = len - n;
        ess_text_trim(&rest, &left);
        while (left > 0 && (rest[left - 1] == ':' || rest[left - 1] == '.'))
            left--;   /* "Total :" */
        ess_text_trim(&rest, &left);
        /* "général", "générale", "GENERAL": one word after it, beginning with g */
        int general = left >= 7 && left <= 10 && ess_text_fold((unsigned char)rest[0]) == 'g' &&
                      memchr(rest, ' ', left) == NULL;
        *which = (int)w;
        if (w == TOTAL_WORD_ENSEMBLE)
            return left == 0 ? 1 : 0;
        if (w == TOTAL_WORD_SOMME || w == TOTAL_WORD_CUMUL)
            return 1;   /* "Somme" is also a département, "Cumul" may start a name: a total
                         * only where it adds up rows */
        return left == 0 || general ? 2 : 1;
    }
    return 0;
}

/* Rows an export adds that are totals, not records: a total row at its end ("Total;;;1 234
 * 567,89", or a row blank but for its amount, where a spreadsheet put its SUM), and the
 * sub-total rows of a spreadsheet's "Sous-total" command or of a hand-made ledger ("Total
 * CDC", "Total Axe 1") above it.  Read as records they double every total, silently.
 *
 * Once the whole file is read, the label dictionaries are looked at (a label, not a row: the
 * common file, none of whose labels begins with "total" or "sous-total", pays for a look at
 * each distinct label and at its last row).  A row is a total when a label cell of it says
 * "Total" or "Sous-total" (total_words 2) and it is the last row (inside the file, such a row
 * must add up the rows above, as below: a beneficiary may be named "TOTAL"); or a label of it
 * says or begins so and its amount is the sum of the records
 * since the last such row or of every record above (sub-totals left out); or, for the last row
 * only, every other kept cell is blank, as in no other row, and its amount is the sum of every
 * record above (four records at least: in a few small amounts, 0 + 1 + 2 = 3 is a coincidence);
 * or, for the first row only, a label of it says or begins so and its amount is the sum of the
 * records below (two at least), the rows that speak of a total left out: the grand total some
 * exports print above the records (TOTAL_BELOW).  Such rows are refused with their line, or
 * set aside as bad rows when the caller collects them.  A row's line is known for the last row
 * only (the reader keeps no line a row): for the others the file is read again, whole, on one
 * thread, to find them (line_search) -- only for such a file. */
enum { TOTAL_SAYS = 1, TOTAL_SUM = 2, TOTAL_BLANK = 3, TOTAL_BELOW = 4, TOTAL_SUMMARY = 5,
       TOTAL_SUMMARY_ABOVE = 6 };

typedef struct total_rows {
    size_t count, cap;
    size_t *rows;               /* ascending */
    long *lines;                /* 0 until found */
    int *kinds;                 /* TOTAL_* */
    size_t *summed;             /* how many records its amount is the sum of (TOTAL_SUMMARY:
                                 * the index here of the SUM row it follows) */
    const char **words;         /* the label that says total (in the ledger's dictionary), or NULL */
    long *fields;               /* the ledger column of the cell that says it (-1 none,
                                 * WATCHED_FIELD a field not kept: line_search's) */
    int32_t *watch;             /* its watch value, when that field is not kept */
    long *cell_lines, *columns; /* that cell's line and character column; 0 until found */
    unkept_name *names;         /* a summary's name in a field not kept (fields: WATCHED_FIELD,
                                 * watch without a word), as the line search found it */
} total_rows;

static void total_rows_free(total_rows *t)
{
    ess_free(t->rows);
    ess_free(t->lines);
    ess_free(t->kinds);
    ess_free(t->summed);
    ess_free((void *)t->words);
    ess_free(t->fields);
    ess_free(t->watch);
    ess_free(t->cell_lines);
    ess_free(t->columns);
    ess_free(t->names);
    memset(t, 0, sizeof *t);
}

static int total_rows_add(total_rows *t, size_t row, int kind, size_t summed, const char *word,
                          long from, int32_t watch, int first_field)
{
    if (t->count == t->cap) {
        /* parallel arrays, as their readers want them: rows for ess_ledger_drop_rows, rows
         * and lines for the line search; each grown to cap, or the add fails (the ones grown
         * already are kept: total_rows_free frees them) */
        size_t cap = t->cap ? 2 * t->cap : 8;
#define GROW(field)                                                                            \
    do {                                                                                       \
        void *grown = ess_realloc((void *)t->field, cap * sizeof *t->field);                   \
        if (grown == NULL)                                                                     \
            return ESS_ENOMEM;                                                                 \
        t->field = grown;                                                                      \
    } while (0)
        GROW(rows);
        GROW(lines);
        GROW(kinds);
        GROW(summed);
        GROW(words);
        GROW(fields);
        GROW(watch);
        GROW(cell_lines);
        GROW(columns);
        GROW(names);
#undef GROW
        t->cap = cap;
    }
    t->rows[t->count] = row;
    t->lines[t->count] = 0;
    t->kinds[t->count] = kind;
    t->summed[t->count] = summed;
    t->words[t->count] = word;
    t->fields[t->count] = from;
    t->watch[t->count] = watch;
    t->cell_lines[t->count] = 0;
    memset(&t->names[t->count], 0, sizeof t->names[t->count]);
    /* the first field's cell starts its line: column 1 without a search, as a row no word
     * places (a blank row's sum) */
    t->columns[t->count] = first_field || from == -1 ? 1 : 0;
    t->count++;
    return ESS_OK;
}

/* The fields not kept: their column's value says a row's word (see watch_value). */
static const char *const watch_words[] = {"Sous-total", "Sous total", "Grand total", "Total",
                                          "Totaux", "Somme", "Ensemble", "Cumul"};

/* How row i speaks of a total (total_words' 0, 1 or 2), the strongest of its labels (says: a
 * column's, a label's) and of the fields not kept (watched, or NULL); its word in *word, the
 * ledger column that holds it in *from (-1 none, WATCHED_FIELD a field not kept). */
static int row_says_total(const ess_ledger *l, uint8_t *const *says, const int32_t *watched,
                          size_t i, const char **word, long *from)
{
    int said = 0;
    *word = NULL;
    *from = -1;
    for (size_t c = 0; c < l->ncolumns; c++) {
        int32_t code = says[c] != NULL ? ((const int32_t *)l->columns[c].data)[i] : -1;
        if (code >= 0 && says[c][code] > said) {
            said = says[c][code];
            *word = ess_dict_string(&l->columns[c].dict, code);
            *from = (long)c;
        }
    }
    if (watched != NULL && watched[i] != ESS_DATE_MISSING && (watched[i] & 3) > said) {
        said = watched[i] & 3;
        *word = watch_words[WATCH_WORD(watched[i]) >> 2];
        *from = WATCHED_FIELD;
    }
    return said;
}



/* How row i looks at the bottom of a table, its labels aside from a total's word: ROW_BLANK
 * every other kept cell is blank, a dash alone ("-", "–": a spreadsheet's "nothing here") or a
 * number (the count or the sum of its column, beside a SUM row: ";4;20,00"), a whole number in
 * an int column, every field not kept so; ROW_SUMMARY so, but for a label naming a summary
 * ("Moyenne;10": summary_word), the first such label's text in *word and its column in *from
 * (-1 when a field not kept says it); ROW_TEXT it has a label. */
enum { ROW_TEXT = 0, ROW_BLANK = 1, ROW_SUMMARY = 2 };

static int row_shape(const ess_ledger *l, const int32_t *watched, size_t i, const char **word,
                     long *from)
{
    int summary = 0, labels = watched != NULL;
    *word = NULL;
    *from = -1;
    for (size_t c = 0; c < l->ncolumns; c++)
        labels |= l->columns[c].kind == ESS_COL_LABEL;
    for (size_t c = 0; c < l->ncolumns; c++) {
        const ess_column *col = &l->columns[c];
        if ((int)c == l->amount)
            continue;
        if (col->kind == ESS_COL_INT) {
            /* a number beside a SUM row where records have labels; where none has, the int
             * cells are what tells a record ("2017;10" above ";40") */
            if (!labels && ((const int64_t *)col->data)[i] != ESS_INT_MISSING)
                return ROW_TEXT;
        } else if (watched != NULL && col->data == (const void *)watched) {
            int32_t v = watched[i];
            if (v == ESS_DATE_MISSING)
                continue;
            if (v & WATCH_TEXT)
                return ROW_TEXT;
            summary |= (v & WATCH_SUMMARY) != 0;
        } else if (col->kind == ESS_COL_LABEL) {
            int32_t code = ((const int32_t *)col->data)[i];
            if (code < 0)
                continue;
            const char *text = ess_dict_string(&col->dict, code);
            size_t len = col->dict.lengths[code];
            if (label_is_dash(text, len) || label_number(text, len, NULL))
                continue;
            if (!summary_word(text, len))
                return ROW_TEXT;
            if (*word == NULL)
                *word = text, *from = (long)c;
            summary = 1;
        } else if (col->kind == ESS_COL_DATE) {
            if (((const int32_t *)col->data)[i] != ESS_DATE_MISSING)
                return ROW_TEXT;
        }
    }
    return summary ? ROW_SUMMARY : ROW_BLANK;
}

/* Whether row k of [from, to) is one of the total rows t holds (their rows ascending, *next
 * the first not passed yet). */
static int in_total_rows(const total_rows *t, size_t *next, size_t k)
{
    while (*next < t->count && t->rows[*next] < k)
        (*next)++;
    return *next < t->count && t->rows[*next] == k;
}

/* Whether the numbers of row i (a SUM row's candidate: its label numbers, its int cells, the
 * whole numbers of its fields not kept) are each the count of the summed records or the sum of
 * its column over them: the records of [from, to) that t does not hold.  *vouched says one
 * number was so (a second sign, beside the amount, of a SUM row); 0 when one is neither (the
 * row is a record then: ";3;20,00" under four records). */
static int row_numbers_agree(const ess_ledger *l, const int32_t *watched, const total_rows *t,
                             size_t i, size_t from, size_t to, size_t summed, int *vouched)
{
    *vouched = 0;
    for (size_t c = 0; c < l->ncolumns; c++) {
        const ess_column *col = &l->columns[c];
        long long mine = -1;
        int unsure = 0;
        if ((int)c == l->amount)
            continue;
        if (watched != NULL && col->data == (const void *)watched) {
            if (watched[i] == ESS_DATE_MISSING || !(watched[i] & WATCH_NUMBER))
                continue;
            if (watched[i] & WATCH_UNSURE)
                continue;   /* not checked, vouching for nothing */
            mine = WATCH_VALUE(watched[i]);
        } else if (col->kind == ESS_COL_LABEL) {
            int32_t code = ((const int32_t *)col->data)[i];
            if (code < 0)
                continue;
            const char *text = ess_dict_string(&col->dict, code);
            size_t len = col->dict.lengths[code];
            int number = label_number(text, len, &mine);
            if (number == 0)
                continue;   /* a dash */
            if (number != 1 || mine < 0)
                return 0;   /* "3,5": an average is no SUM row's */
        } else if (col->kind == ESS_COL_INT) {
            mine = ((const int64_t *)col->data)[i];
            if (mine == ESS_INT_MISSING)
                continue;
        } else {
            continue;
        }
        if (mine == (long long)summed) {
            *vouched = 1;
            continue;
        }
        /* the sum of the column over the summed records (a blank cell nothing) */
        long long sum = 0;
        size_t next = 0;
        for (size_t k = from; k < to && !unsure; k++) {
            if (in_total_rows(t, &next, k))
                continue;
            long long v = 0;
            if (watched != NULL && col->data == (const void *)watched) {
                int32_t w = watched[k];
                if (w != ESS_DATE_MISSING && (w & WATCH_UNSURE))
                    unsure = 1;
                else if (w != ESS_DATE_MISSING)
                    v = WATCH_VALUE(w);
            } else if (col->kind == ESS_COL_LABEL) {
                int32_t code = ((const int32_t *)col->data)[k];
                if (code >= 0 && !label_is_dash(ess_dict_string(&col->dict, code),
                                                col->dict.lengths[code]) &&
                    (label_number(ess_dict_string(&col->dict, code), col->dict.lengths[code],
                                  &v) != 1 || v < 0))
                    unsure = 1;   /* a name, not a count: no column sum */
            } else {
                v = ((const int64_t *)col->data)[k];
                if (v == ESS_INT_MISSING)
                    v = 0;
                else if (v < -1000000000000000LL || v > 1000000000000000LL)
                    unsure = 1;   /* summed without a wrap */
            }
            sum += v;
        }
        if (unsure && watched != NULL && col->data == (const void *)watched)
            continue;   /* the fields not kept: not checked */
        if (unsure || sum != mine)
            return 0;
        *vouched = 1;
    }
    return 1;
}

/* The total rows of the ledger r read (none in the pass that finds their lines). */
static int total_rows_found(const csv_reader *r, total_rows *t)
{
    ess_ledger *l = r->ledger;
    if (r->search != NULL || l->nrows < 2 || l->amount < 0)
        return ESS_OK;
    size_t n = l->nrows;
    /* which labels of which columns speak of a total: one look at each distinct label */
    uint8_t **says = ess_calloc(l->ncolumns + 1, sizeof *says);
    if (says == NULL)
        return ESS_ENOMEM;
    int any = 0, rc = ESS_OK;
    for (size_t c = 0; c < l->ncolumns && rc == ESS_OK; c++) {
        const ess_column *col = &l->columns[c];
        if (col->kind != ESS_COL_LABEL)
            continue;
        for (size_t code = 0; code < col->dict.count; code++) {
            const char *text = ess_dict_string(&col->dict, (int32_t)code);
            size_t len = col->dict.lengths[code], k = 0;
            while (k < len && (text[k] == ' ' || text[k] == '\t'))
                k++;
            int first = k + 1 < len ? ess_text_fold((unsigned char)text[k]) : 0;
            int second = k + 1 < len ? ess_text_fold((unsigned char)text[k + 1]) : 0;
            if (!((first == 't' || first == 's') && second == 'o') &&
                !(first == 'g' && second == 'r') && !(first == 'e' && second == 'n') &&
                !(first == 'c' && second == 'u'))
                continue;   /* the common label, at its first two letters: "to", "so", "gr",
                             * "en", "cu" */
            int which, w = total_words(text, len, &which);
            if (w == 0)
                continue;
            if (says[c] == NULL && (says[c] = ess_calloc(col->dict.count, 1)) == NULL) {
                rc = ESS_ENOMEM;
                break;
            }
            says[c][code] = (uint8_t)w;
            any = 1;
        }
    }
    const int32_t *watched = NULL;
    if (l->ncolumns > 0 && strcmp(l->columns[l->ncolumns - 1].name, WATCH_NAME) == 0)
        watched = l->columns[l->ncolumns - 1].data, any = 1;
    /* The block at the bottom: the rows after the records a spreadsheet adds -- its SUM row
     * (blank but for its amount, or a dash, or numbers: row_shape; or a label saying total)
     * and the summaries beside it, before or after it (blank but for their amounts, or naming
     * themselves: "Moyenne", "Nb"), one row saying total at most ("Total Axe 2" above "Total"
     * is a sub-total, its own rows' sum).  Where one of its rows adds up the records above the
     * block, every other row of it is a summary, each said, none counted. */
    size_t block_from = n;
    int block_said = 0, block_summary = 0;
    while (block_from > 1 && rc == ESS_OK) {
        const char *word;
        long from;
        size_t i = block_from - 1;
        if (any && row_says_total(l, says, watched, i, &word, &from) > 0) {
            if (block_said)
                break;
            block_said = 1;
        } else {
            int shape = row_shape(l, watched, i, &word, &from);
            if (shape == ROW_TEXT)
                break;
            block_summary |= shape == ROW_SUMMARY;
        }
        block_from--;
    }
    size_t block_sum = (size_t)-1, block_summed = 0, block_at = 0;   /* its SUM row, once found */
    if (rc == ESS_OK && (any || block_from < n)) {
        const int64_t *cents = l->columns[l->amount].data;
        int64_t since = 0, since_carry = 0, all = 0, all_carry = 0;
        size_t since_rows = 0, all_rows = 0;
        for (size_t i = 0; i < n && rc == ESS_OK; i++) {
            const char *word = NULL;
            long from = -1;
            int said = any ? row_says_total(l, says, watched, i, &word, &from) : 0;
            int kind = 0;
            size_t summed = 0;
            if (i == block_from) {
                /* the block's SUM row: the first of its rows that adds up the rows above it */
                size_t since_from = t->count > 0 ? t->rows[t->count - 1] + 1 : 0;
                int blank_above = -1;   /* whether a record above is blank too: looked at once */
                for (size_t j = block_from; j < n && block_sum == (size_t)-1; j++) {
                    const char *other;
                    long other_from;
                    int other_said = any ? row_says_total(l, says, watched, j, &other,
                                                          &other_from) : 0;
                    int shape = other_said > 0 ? ROW_TEXT
                                               : row_shape(l, watched, j, &other, &other_from);
                    if (other_said == 0 && shape != ROW_BLANK)
                        continue;   /* a summary's name */
                    size_t rows = 0, base = 0;
                    if (since_carry == 0 && since == cents[j] && since_rows > 0)
                        rows = since_rows, base = since_from;
                    else if (all_carry == 0 && all == cents[j] && all_rows > 0)
                        rows = all_rows;
                    if (rows == 0)
                        continue;
                    if (other_said > 0) {
                        if (rows < 2 && other_said == 1 && total_word_may_name_one_row(other))
                            continue;
                    } else {
                        /* no label: the sum of four records at least (in a few small amounts,
                         * 0 + 1 + 2 = 3 is a coincidence), or of two where a second sign says
                         * so (a summary named beside it, the count of the rows or the sum of
                         * a column beside its amount); and where every record leaves its
                         * labels blank, the last is one more of them, not a spreadsheet's SUM */
                        int vouched = 0;
                        if (l->ncolumns < 2 ||
                            !row_numbers_agree(l, watched, t, j, base, block_from, rows,
                                               &vouched) ||
                            !(block_from >= 4 || ((vouched || block_summary) && rows >= 2)))
                            continue;
                        if (blank_above < 0) {
                            blank_above = 0;
                            for (size_t k = 0; k < block_from && !blank_above; k++) {
                                const char *w2;
                                long f2;
                                blank_above = row_shape(l, watched, k, &w2, &f2) != ROW_TEXT &&
                                              !(any && row_says_total(l, says, watched, k, &w2,
                                                                      &f2) > 0);
                            }
                        }
                        if (blank_above)
                            continue;
                    }
                    block_sum = j, block_summed = rows;
                    block_at = t->count + (j - block_from);   /* every row of the block is one */
                }
            }
            if (i == 0 && said > 0) {
                /* the first row: the sum of the records below, those speaking of a total
                 * (sub-totals, a total at the end too) left out */
                int64_t below = 0, below_carry = 0;
                size_t below_rows = 0;
                for (size_t j = 1; j < n; j++) {
                    const char *other;
                    long other_from;
                    if (row_says_total(l, says, watched, j, &other, &other_from) > 0)
                        continue;
                    ess_add_counting_wraps(&below, cents[j], &below_carry);
                    below_rows++;
                }
                if (below_carry == 0 && below == cents[0] && below_rows >= 2)
                    kind = TOTAL_BELOW, summed = below_rows;
            } else if (block_sum != (size_t)-1 && i == block_sum) {
                kind = said > 0 ? TOTAL_SUM : TOTAL_BLANK, summed = block_summed;
            } else if (block_sum != (size_t)-1 && i >= block_from) {
                /* a summary beside the SUM row: said with its name, when it has one */
                kind = i > block_sum ? TOTAL_SUMMARY : TOTAL_SUMMARY_ABOVE, summed = block_at;
                /* named in a field not kept (row_shape gives no word then): that field is
                 * the cell the line search looks for, and reads the name from */
                if (said == 0 && row_shape(l, watched, i, &word, &from) == ROW_SUMMARY &&
                    word == NULL)
                    from = WATCHED_FIELD;
            } else if (said > 0) {
                if (since_carry == 0 && since == cents[i] && since_rows > 0)
                    kind = TOTAL_SUM, summed = since_rows;
                else if (all_carry == 0 && all == cents[i] && all_rows > 0)
                    kind = TOTAL_SUM, summed = all_rows;
                else if (said == 2 && i == n - 1)   /* inside, a "TOTAL" that adds up nothing */
                    kind = TOTAL_SAYS;                  /* is more likely a name than a total */
                if (kind == TOTAL_SUM && summed < 2 && word != NULL && said == 1 &&
                    total_word_may_name_one_row(word))
                    kind = 0;
            }
            if (kind) {
                rc = total_rows_add(t, i, kind, summed, word,
                                    word != NULL || from == WATCHED_FIELD ? from : -1,
                                    from == WATCHED_FIELD ? watched[i] : ESS_DATE_MISSING,
                                    from >= 0 && from == r->first_field_column);
                since = since_carry = 0;
                since_rows = 0;
                continue;
            }
            ess_add_counting_wraps(&since, cents[i], &since_carry);
            ess_add_counting_wraps(&all, cents[i], &all_carry);
            since_rows++;
            all_rows++;
        }
    }
    for (size_t c = 0; c < l->ncolumns; c++)
        ess_free(says[c]);
    ess_free(says);
    if (rc == ESS_OK && t->count > 0 && t->rows[t->count - 1] == n - 1)
        t->lines[t->count - 1] = r->last_row_line;   /* the last row's line is known */
    return rc;
}

/* The rows of t refused, at their lines: the first an error, or all set aside as bad rows (in
 * line order among the others) and taken out of the ledger when the caller collects them. */
static int total_rows_refused(csv_reader *r, const total_rows *t)
{
    const int64_t *cents = r->ledger->columns[r->ledger->amount].data;
    size_t before = r->bad != NULL ? r->bad->count : 0;
    for (size_t k = 0; k < t->count; k++) {
        char amount[64], amount_en[64], message[2 * ESS_MESSAGE_MAX], more[64] = "",
            where[48] = "";
        if (t->lines[k] == 0)   /* the second reading could not place it: its rank says */
            snprintf(where, sizeof where, "record %zu of the file: ", t->rows[k] + 1);
        /* the reason carries the French figure the French wording says ("2 234,75"); the
         * message is English and says it the English way ("2,234.75"): an English reader
         * took "2 234,75" for two numbers, or for 2.23475 */
        int shown = ess_money_shown_decimals(cents[t->rows[k]], ESS_UNIT_EUR);
        ess_money_format(cents[t->rows[k]], ESS_UNIT_EUR, " ", ',', shown, amount,
                         sizeof amount);
        ess_money_format(cents[t->rows[k]], ESS_UNIT_EUR, ",", '.', shown, amount_en,
                         sizeof amount_en);
        if (!(r->spec->flags & ESS_CSV_COLLECT_BAD) && t->count > 1)
            snprintf(more, sizeof more, " (and %zu more such row%s)", t->count - 1,
                     t->count > 2 ? "s" : "");
        int below = t->kinds[k] == TOTAL_BELOW;
        int summary = t->kinds[k] == TOTAL_SUMMARY || t->kinds[k] == TOTAL_SUMMARY_ABOVE;
        long sum_line = summary ? t->lines[t->summed[k]] : 0;
        char head[256];   /* room for the word, its column and the amount whole */
        const unkept_name *unkept = &t->names[k];
        if (summary && t->words[k] != NULL)   /* "Moyenne", or a second "Total" */
            snprintf(head, sizeof head, "this row says '%.40s' (its amount %s) and", t->words[k],
                     amount_en);
        else if (summary && unkept->value[0]) {   /* in a column the read leaves out */
            char name[41], column[41];   /* cut at a whole character: the message fits whole */
            whole_characters(name, sizeof name, unkept->value, strlen(unkept->value));
            whole_characters(column, sizeof column, unkept->field, strlen(unkept->field));
            snprintf(head, sizeof head,
                     "this row says '%s' in column '%s', which the read leaves out (its amount "
                     "%s), and", name, column, amount_en);
        } else
            snprintf(head, sizeof head, "this row, blank but for its amount %s,", amount_en);
        if (summary)
            snprintf(message, sizeof message,
                     "%s%s %s the total row at line %ld: a summary of the rows above (an "
                     "average, a count?), not a record; delete it from the file, or every total "
                     "counts it%s", where, head,
                     t->kinds[k] == TOTAL_SUMMARY ? "follows" : "comes just before", sum_line,
                     more);
        else if (t->kinds[k] == TOTAL_SAYS)
            snprintf(message, sizeof message,
                     "%sthis row says '%.40s': a total, not a record (its amount %s is not the "
                     "sum of the rows above: a total of other rows?); delete it from the file, "
                     "or rename the label if it truly is a grant%s", where, t->words[k], amount_en,
                     more);
        else
            snprintf(message, sizeof message,
                     "%sthis row is a total, not a record: its amount %s is the sum of the %zu "
                     "record%s %s%s%.40s%s; delete it from the file, or every total counts them "
                     "twice%s", where, amount_en, t->summed[k], t->summed[k] == 1 ? "" : "s",
                     below ? "below" : "above",
                     t->words[k] ? " and it says '" : "", t->words[k] ? t->words[k] : "",
                     t->words[k] ? "'" : " and it has no label", more);
        ess_bad_reason why;
        memset(&why, 0, sizeof why);
        why.kind = t->kinds[k] == TOTAL_SAYS      ? ESS_BAD_TOTAL_SAYS
                   : t->kinds[k] == TOTAL_SUMMARY ? ESS_BAD_TOTAL_SUMMARY
                   : t->kinds[k] == TOTAL_SUMMARY_ABOVE ? ESS_BAD_TOTAL_SUMMARY_ABOVE
                   : below                        ? ESS_BAD_TOTAL_SUM_BELOW
                                                  : ESS_BAD_TOTAL_SUM;
        why.count = summary ? sum_line : (long)t->summed[k];
        why.expected = t->lines[k] == 0 ? (long)t->rows[k] + 1 : 0;   /* its rank, unplaced */
        if (t->words[k] != NULL)
            whole_characters(why.value, sizeof why.value, t->words[k], strlen(t->words[k]));
        else if (summary && unkept->value[0]) {   /* the name, and the column left out */
            memcpy(why.value, unkept->value, sizeof why.value);
            memcpy(why.field, unkept->field, sizeof why.field);
        }
        snprintf(why.amount, sizeof why.amount, "%s", amount);
        if (!(r->spec->flags & ESS_CSV_COLLECT_BAD))   /* the "(and N more...)" said above */
            why.more = (long)t->count - 1;
        /* at the cell that says total (a "Total" in the third column is looked for there,
         * not in the first); the row's line and column 1 when it has none */
        ESS_RETURN_NOT_OK(bad_row(r, t->cell_lines[k] > 0 ? t->cell_lines[k] : t->lines[k],
                                  t->columns[k], ESS_EFORMAT, message, &why));
    }
    /* collected: each in its place by line among the rows set aside before (in line order) */
    ess_bad_row *items = r->bad->items;
    for (size_t k = before; k < r->bad->count; k++) {
        ess_bad_row moved = items[k];
        size_t at = k;
        while (at > 0 && items[at - 1].line > moved.line)
            at--;
        memmove(&items[at + 1], &items[at], (k - at) * sizeof *items);
        items[at] = moved;
    }
    ess_ledger_drop_rows(r->ledger, t->rows, t->count);
    return ESS_OK;
}

static int read_whole(const ess_byte_source *source, const ess_csv_spec *spec, ess_ledger **out,
                      ess_bad_rows *bad, ess_error *err, size_t *bytes_read);
static int read_in_memory(const char *bytes, size_t len, const ess_csv_spec *spec,
                          ess_encoding found, int utf8_checked, ess_ledger **out,
                          ess_bad_rows *bad, ess_error *err);

/* The total rows of what r read refused (see total_rows_found), their lines found by reading
 * the file again whole on one thread when one is not the last row: from source when the file
 * was streamed, else from bytes (found and utf8_checked as the first reading had them). */
static int total_rows_verdict(csv_reader *r, const char *bytes, size_t len,
                              const ess_byte_source *source, const ess_csv_spec *spec,
                              ess_encoding found, int utf8_checked)
{
    total_rows t;
    memset(&t, 0, sizeof t);
    int rc = total_rows_found(r, &t), placed = 1;
    /* a row is placed by its line and the column of its word: a word past the first field
     * (";;TOTAL;42 500,50") is found by the reading again, its cell's column counted there */
    for (size_t k = 0; k < t.count; k++)
        placed &= t.lines[k] > 0 && t.columns[k] > 0;
    if (rc == ESS_OK && !placed) {
        line_search search = {t.rows, t.count, t.lines, 0, t.fields, t.watch, t.cell_lines,
                              t.columns, (size_t)-1, 0, 0, t.names, {"", ""}};
        ess_csv_spec one = *spec;
        one.threads = 1;          /* one chunk: rows and lines in the file's order */
        one.chunk_bytes = 0;
        one.progress = NULL;      /* the caller heard of the whole file already */
        one.progress_user = NULL;
        one.flags |= ESS_CSV_COLLECT_BAD;   /* the same rows: none failed, or these */
        ess_ledger *again = NULL;
        ess_bad_rows bad = {NULL, 0, 0};
        ess_error e;
        ess_error_clear(&e);
        size_t read = 0;
        line_searching = &search;
        int rc2 = source != NULL ? read_whole(source, &one, &again, &bad, &e, &read)
                                 : read_in_memory(bytes, len, &one, found, utf8_checked, &again,
                                                  &bad, &e);
        line_searching = NULL;
        ess_ledger_free(again);
        ess_bad_rows_clear(&bad);
        if (rc2 == ESS_ENOMEM)
            rc = ESS_ENOMEM;
    }
    for (size_t k = 0; k < t.count; k++) {   /* placed without its cell: the row, column 1 */
        if (t.cell_lines[k] == 0)
            t.cell_lines[k] = t.lines[k];
        if (t.columns[k] == 0)
            t.columns[k] = 1;
    }
    if (rc == ESS_OK && t.count > 0)
        rc = total_rows_refused(r, &t);
    else if (rc == ESS_ENOMEM)
        rc = ess_error_set(r->err, ESS_ENOMEM, 0, 0, "out of memory");
    total_rows_free(&t);
    return rc;
}

/* Notes the line of the row just kept, when it is one whose line the search wants (the pass
 * that finds them reads the file whole, in one chunk: its rows are the file's in order, its
 * lines the chunk's, made the file's by rebase_chunk). */
static void search_note(csv_reader *r, long line)
{
    line_search *s = r->search;
    size_t row = r->ledger->nrows - 1;
    while (s->next < s->count && s->rows[s->next] < row)
        s->next++;
    if (s->next < s->count && s->rows[s->next] == row) {
        s->lines[s->next] = line;
        if (s->columns[s->next] == 0 && s->try_row == row) {
            s->cell_lines[s->next] = s->try_line;
            s->columns[s->next] = s->try_column;
            s->names[s->next] = s->try_name;
        } else {
            s->cell_lines[s->next] = line;   /* its column 1, or the cell's not found */
        }
    }
}

/* Notes where the cell of a row the search wants says total (its field, or for a field not
 * kept the one whose words are the row's): kept by search_note once the row is. */
static void search_cell(csv_reader *r, size_t field, const char *text, size_t len, long line,
                        const char *line_start, const char *at)
{
    line_search *s = r->search;
    size_t row = r->ledger->nrows, k = s->next;   /* the row this cell fills */
    while (k < s->count && s->rows[k] < row)
        k++;
    if (k >= s->count || s->rows[k] != row || s->fields[k] == -1)
        return;
    if (s->fields[k] == WATCHED_FIELD ? r->field_writer[field] != watch_first &&
                                            r->field_writer[field] != watch_more
                                      : (long)r->field_to_column[field] != s->fields[k])
        return;
    /* a field not kept: the one saying the row's word, or for a summary (a watch value with
     * no word) the one naming it ("moyenne") */
    int named = s->fields[k] == WATCHED_FIELD && WATCH_WORD(s->watch[k]) == 0;
    if (s->fields[k] == WATCHED_FIELD &&
        (watch_value(text, len) == ESS_DATE_MISSING ||
         (named ? !(watch_value(text, len) & WATCH_SUMMARY)
                : WATCH_WORD(watch_value(text, len)) != WATCH_WORD(s->watch[k]))))
        return;
    if (s->try_row == row && s->fields[k] == WATCHED_FIELD && s->try_line == line)
        return;   /* the first field not kept that says it (a later one may say it again) */
    s->try_row = row;
    s->try_line = line;
    s->try_column = reader_column(r, line_start, at);
    memset(&s->try_name, 0, sizeof s->try_name);
    if (named) {   /* its text and its column's name: the ledger has neither */
        const char *name = r->header_names[field];
        ess_text_trim(&text, &len);
        whole_characters(s->try_name.value, sizeof s->try_name.value, text, len);
        whole_characters(s->try_name.field, sizeof s->try_name.field, name, strlen(name));
    }
}

static int read_streamed(const ess_byte_source *source, const ess_csv_spec *spec, int assumed,
                         ess_ledger **out, ess_bad_rows *bad, ess_error *err,
                         size_t *bytes_read, int *whole);

/* Bytes in memory as a source the streamed reader reads from (a copy a block, as pread's). */
typedef struct memory_source {
    const char *bytes;
    size_t len;
} memory_source;

static int memory_read(void *user, size_t offset, char *buf, size_t cap, size_t *got)
{
    const memory_source *m = user;
    size_t left = offset < m->len ? m->len - offset : 0;
    *got = cap < left ? cap : left;
    memcpy(buf, m->bytes + offset, *got);
    return 0;
}

/* Whether bytes in memory are better read as a file is, their blocks decoded on the threads,
 * than decoded whole first on one, and as what (*assumed, a file_cp1252): named CP1252; no
 * encoding named and a first MiB that is not UTF-8 (NOT_CP1252 assumed: the streamed reader
 * finds the rest); or the whole text found CP1252 or mixed.  *found and *utf8_checked keep that
 * detection (ESS_ENC_AUTO: none made), not made again if the bytes are read in memory after
 * all.  UTF-8 is read in place, and one thread has nobody to share the decoding with. */
static int cp1252_streams(const char *bytes, size_t len, const ess_csv_spec *spec, int *assumed,
                          ess_encoding *found, int *utf8_checked)
{
    *found = ESS_ENC_AUTO;
    *utf8_checked = 0;
    if (spec->threads < 2 || len < 2 * (size_t)MIN_CHUNK)
        return 0;
    *assumed = NOT_CP1252;
    if (spec->encoding == ESS_ENC_CP1252 || spec->encoding == ESS_ENC_CP1252_BOM)
        return 1;
    const unsigned char *b = (const unsigned char *)bytes;
    if (spec->encoding != ESS_ENC_AUTO || ess_utf16_bom(b, len) != ESS_ENC_AUTO)
        return 0;
    size_t skip = ess_utf8_boms(b, len);
    size_t lines = last_line_end(bytes + skip, MIN_CHUNK, len - skip, 0);   /* no cut character */
    if (!ess_utf8_text(bytes + skip, lines ? lines : MIN_CHUNK))
        return 1;
    /* A first MiB of UTF-8 (or ASCII): the whole text's detection, the pass its decoding would
     * begin with anyway -- a CP1252 file whose accents come late, or a mixed one, is streamed
     * as what it was found to be, from its first byte. */
    *found = ess_detect_encoding(bytes, len, utf8_checked);
    *assumed = *found == ESS_ENC_MIXED ? CP1252_MIXED
               : *found == ESS_ENC_CP1252 || *found == ESS_ENC_CP1252_BOM ? CP1252_FOUND
                                                                            : NOT_CP1252;
    return *assumed != NOT_CP1252;
}

static int read_in_memory(const char *bytes, size_t len, const ess_csv_spec *spec,
                          ess_encoding found, int utf8_checked, ess_ledger **out,
                          ess_bad_rows *bad, ess_error *err);

int ess_ledger_read_csv(const char *bytes, size_t len, const ess_csv_spec *spec,
                        ess_ledger **out, ess_bad_rows *bad, ess_error *err)
{
    *out = NULL;
    ESS_RETURN_NOT_OK(spec_refused(spec, err));
    ess_encoding found;
    int assumed, utf8_checked;
    if (cp1252_streams(bytes, len, spec, &assumed, &found, &utf8_checked)) {
        memory_source m = {bytes, len};
        ess_byte_source source = {memory_read, &m, len};
        size_t bytes_read;
        int whole, rc = read_streamed(&source, spec, assumed, out, bad, err, &bytes_read, &whole);
        if (!whole)
            return rc;
        ess_bad_rows_clear(bad);   /* what the streamed pass set aside is found again */
        ess_error_clear(err);
    }
    return read_in_memory(bytes, len, spec, found, utf8_checked, out, bad, err);
}

/* The bytes read whole: decoded first unless UTF-8, then cut in chunks parsed on the threads.
 * found: the encoding the whole text was found in, with utf8_checked, when its encoding was
 * not named and it was looked at already (ESS_ENC_AUTO: not yet). */
static int read_in_memory(const char *bytes, size_t len, const ess_csv_spec *spec,
                          ess_encoding found, int utf8_checked, ess_ledger **out,
                          ess_bad_rows *bad, ess_error *err)
{
    *out = NULL;
    /* UTF-8 is read in place; other encodings are decoded to UTF-8 first */
    const char *text = NULL;
    size_t text_len = 0;
    char *decoded = NULL;
    ess_encoding enc = spec->encoding;
    int rc = found == ESS_ENC_AUTO
                 ? ess_decode_borrow(bytes, len, spec->encoding, &text, &text_len, &decoded, &enc,
                                     err)
                 : ess_decode_borrow_found(bytes, len, found, utf8_checked, &text, &text_len,
                                           &decoded, &enc, err);
    if (rc)
        return rc;

    ess_ledger *l = ess_ledger_new();
    if (l == NULL) {
        ess_free(decoded);
        return ess_error_set(err, ESS_ENOMEM, 0, 0, "out of memory");
    }
    char decimal_mark = spec->decimal_mark ? spec->decimal_mark : detect_decimal(text, text_len);
    char delimiter = spec->delimiter ? spec->delimiter : ess_sniff_delimiter(text, text_len);
    if (delimiter == 0)
        delimiter = ',';
    read_shared shared = {delimiter, 0, 0, text_len, 0, 0};
    csv_reader r;
    reader_init(&r, l, spec, decimal_mark, bad, err, &shared, text, text_len);
    r.weigh_point = spec->decimal_mark == 0 && decimal_mark == ',';
    if ((rc = reader_index_spec(&r)) != ESS_OK) {
        reader_done(&r);
        ess_ledger_free(l);
        ess_free(decoded);
        return rc;
    }

    size_t body = 0;
    rc = parse_records(&r, 0, text_len, &body);   /* the header, and what precedes it */
    atomic_store(&shared.done, body);   /* progress counts the file's bytes, the header's too */
    if (rc && r.unclosed_quote) {
        ess_error_set(err, ESS_EFORMAT, err->line, err->column,
                      "the quote opened at line %ld, column %ld is never closed", err->line,
                      err->column);
        err->detail = ESS_QUOTE_UNCLOSED;
    }
    if (rc == ESS_OK && l->ncolumns == 0) {
        rc = ess_error_set(err, ESS_EFORMAT, 1, 1, "the file is empty: no header");
        if (err != NULL)
            err->detail = ESS_FILE_EMPTY;
    }
    if (rc == ESS_OK) {
        chunk_feed feed;
        memset(&feed, 0, sizeof feed);
        feed.nheader = r.nheader;
        feed.text = text;
        feed.len = text_len;
        feed.body = feed.cut = body;
        feed.cut_index = 1;
        int threads = spec->threads > 1 ? spec->threads : 1;
        feed.count = 1;
        if (spec->chunk_bytes > 0)
            feed.count = (text_len - body) / spec->chunk_bytes + 1;
        else if (text_len - body >= 2 * (size_t)MIN_CHUNK && (threads > 1 || r.search == NULL))
            /* one thread reads in chunks too (dictionaries_cache_sized says when they copy);
             * the reading that finds total rows' lines stays one chunk, its rows in order */
            feed.count = (text_len - body) / CHUNK_TARGET > (size_t)threads
                             ? (text_len - body) / CHUNK_TARGET : (size_t)threads;
        feed.count = feed.count < MAX_CHUNKS ? feed.count : MAX_CHUNKS;
        rc = read_body(&r, &feed, body, r.line);
    }
    ess_free(decoded);
    char *orders = NULL;
    if (rc == ESS_OK)
        rc = point_verdict(&r, err);
    if (rc == ESS_OK)
        rc = date_verdict(&r, &orders, err);
    reader_done(&r);
    if (rc == READ_AGAIN_MONTH_FIRST) {
        ess_ledger_free(l);
        ess_bad_rows_clear(bad);
        ess_csv_spec month_first = *spec;
        month_first.column_date_orders = orders;
        rc = read_in_memory(bytes, len, &month_first, found, utf8_checked, out, bad, err);
        ess_free(orders);
        return rc;
    }
    if (rc == ESS_OK)
        rc = total_rows_verdict(&r, bytes, len, NULL, spec, found, utf8_checked);
    if (rc == READ_AGAIN_WITH_POINT) {
        ess_ledger_free(l);
        ess_bad_rows_clear(bad);
        ess_csv_spec decimal_point = *spec;
        decimal_point.decimal_mark = '.';
        decimal_point.flags |= ESS_CSV_MARK_SNIFFED;
        return read_in_memory(bytes, len, &decimal_point, found, utf8_checked, out, bad, err);
    }
    if (rc) {
        ess_ledger_free(l);
        return rc;
    }
    if ((rc = drop_watch_column(l, err)) != ESS_OK) {
        ess_ledger_free(l);
        return rc;
    }
    ess_ledger_shrink_to_rows(l);
    ess_ledger_set_encoding(l, enc);
    l->short_filled_rows = r.filled_rows;
    l->short_filled_line = r.filled_line;
    *out = l;
    return ESS_OK;
}

/* The source read whole into memory, then read as bytes: the path of every file the stream
 * leaves (not UTF-8, or an error to word exactly as the whole-file read words it). */
static int read_whole(const ess_byte_source *source, const ess_csv_spec *spec, ess_ledger **out,
                      ess_bad_rows *bad, ess_error *err, size_t *bytes_read)
{
    size_t cap = source->size != ESS_SIZE_UNKNOWN && source->size + 1 > READ_MIN
                     ? source->size + 1 : READ_MIN, len = 0, got;
    char *bytes = ess_malloc(cap);
    if (bytes == NULL)
        return ess_error_set(err, ESS_ENOMEM, 0, 0, "out of memory");
    for (;;) {
        if (len == cap) {   /* the file grew: the host will say it changed */
            char *grown = cap <= SIZE_MAX / 2 ? ess_realloc(bytes, 2 * cap) : NULL;
            if (grown == NULL) {
                ess_free(bytes);
                return ess_error_set(err, ESS_ENOMEM, 0, 0, "out of memory");
            }
            bytes = grown;
            cap *= 2;
        }
        if (source->read(source->user, len, bytes + len, cap - len, &got)) {
            ess_free(bytes);
            return ess_error_set(err, ESS_EINVAL, 0, 0, "the file could not be read");
        }
        if (got == 0)
            break;
        len += got;
    }
    *bytes_read = len;
    int rc = read_in_memory(bytes, len, spec, ESS_ENC_AUTO, 0, out, bad, err);   /* not streamed again */
    ess_free(bytes);
    return rc;
}

/* How a file whose encoding is not named is read again, streamed, after a pass read as cp1252
 * (a file_cp1252) met text it could not take: a block not UTF-8, or not CP1252 as found; or
 * NOT_CP1252: read whole, which decides and words any error.  Each pass is one the whole text's
 * detection would agree with, up to where it failed:
 *   - a byte not UTF-8 after ASCII alone (past_ascii 0): an Excel export whose first accent
 *     comes past its first read, CP1252 unless a valid UTF-8 sequence comes later -- read as
 *     found, and a block holding one fails in its turn;
 *   - a byte not UTF-8 after UTF-8 accents, or a valid UTF-8 sequence in a file found CP1252:
 *     both kinds of bytes are there, the whole text would be found mixed (ESS_ENC_MIXED) --
 *     read so, each block decoded as the whole text would be (no sequence crosses a line
 *     ending, where blocks end);
 *   - a mixed pass failing, or a NUL or an undefined byte met on the way: that is an error, read
 *     whole to be worded at its place (a NUL makes the mixed pass fail too).
 * So a file is read at most four times over, each pass but the last only up to where it failed
 * (and the last whole only to word an error). */
static int read_again_as(int cp1252, int past_ascii)
{
    if (cp1252 == NOT_CP1252)
        return past_ascii ? CP1252_MIXED : CP1252_FOUND;
    return cp1252 == CP1252_FOUND ? CP1252_MIXED : NOT_CP1252;
}

/* The streamed reading (see ess_ledger_read_csv_source) of a file in UTF-8 or CP1252, named or
 * found, or mixing both (its blocks decoded in parallel); *whole says the file is to be read
 * whole instead: it is UTF-16, or the streamed passes failed otherwise than by memory, by the
 * source or by the progress callback (the whole-file read then words the error exactly).
 * assumed: how the file is CP1252 from its first byte when its encoding is not named (a
 * file_cp1252: NOT_CP1252 until a pass finds otherwise, see read_again_as). */
static int read_streamed(const ess_byte_source *source, const ess_csv_spec *spec, int assumed,
                         ess_ledger **out, ess_bad_rows *bad, ess_error *err,
                         size_t *bytes_read, int *whole)
{
    *whole = 1;
    int cp1252 = spec->encoding == ESS_ENC_CP1252 || spec->encoding == ESS_ENC_CP1252_BOM
                     ? CP1252_NAMED : spec->encoding == ESS_ENC_AUTO ? assumed : NOT_CP1252;
    int again = NOT_CP1252;   /* a pass found how to read the file again streamed */
    if (spec->encoding != ESS_ENC_AUTO && spec->encoding != ESS_ENC_UTF8 &&
        spec->encoding != ESS_ENC_UTF8_BOM && !cp1252)
        return ESS_OK;
    chunk_feed feed;
    memset(&feed, 0, sizeof feed);
    feed.source = source;
    feed.cp1252 = cp1252;
    char *decoded = NULL;   /* the first read's text, when the file is CP1252 (owned) */
    feed.block = spec->chunk_bytes > 0 ? spec->chunk_bytes : CHUNK_TARGET;
    /* The first read holds what the sniffers look at (the decimal mark's first MiB, the
     * delimiter's first lines) and the header whole, so that they decide as on the whole text. */
    size_t want = feed.block > DECIMAL_SNIFF + 3 ? feed.block : DECIMAL_SNIFF + 3, skip = 0;
    if (source->size != ESS_SIZE_UNKNOWN && source->size < want)
        want = source->size + 1;   /* a small file: no more */
    size_t body = 0;
    ess_ledger *l = NULL;
    csv_reader r;
    read_shared shared = {',', 0, 0, 0, 0, 0};
    int rc, have_reader = 0;
    for (;;) {
        if ((rc = feed_fill(&feed, want, err)) != ESS_OK) {
            *whole = 0;
            goto done;
        }
        const unsigned char *b = (const unsigned char *)feed.pending;
        size_t avail = feed.filled;
        if (ess_utf16_bom(b, avail) != ESS_ENC_AUTO && spec->encoding == ESS_ENC_AUTO)
            goto done;   /* UTF-16, either byte order: read whole */
        skip = ess_utf8_boms(b, avail);
        const char *text = feed.pending + skip;
        size_t text_len = avail - skip;
        size_t safe = feed.eof ? text_len : last_line_end(text, text_len, text_len, 0);
        ess_free(decoded);
        decoded = NULL;
        int kind = cp1252 ? ESS_TEXT_NOT_UTF8 : ess_utf8_text(text, safe);   /* checked once */
        if (cp1252 == NOT_CP1252 && kind == ESS_TEXT_NOT_UTF8) {
            if (spec->encoding != ESS_ENC_AUTO)
                goto done;   /* named UTF-8, and not: the whole read words the error */
            cp1252 = feed.cp1252 = CP1252_FOUND;   /* an Excel export: read as if named */
        }
        feed.past_ascii = kind == ESS_TEXT_UTF8;
        if (cp1252 &&
            (rc = ess_cp1252_text(text, safe, cp1252_way(cp1252), &decoded, &safe)) != ESS_OK) {
            *whole = rc == ESS_EFORMAT;
            rc = *whole ? ESS_OK : ess_error_set(err, rc, 0, 0, "out of memory");
            if (*whole && spec->encoding == ESS_ENC_AUTO)
                again = read_again_as(cp1252, 0);
            goto done;
        }
        if (cp1252)
            text = decoded;
        /* text[0, safe): whole lines of text, all the sniffers and the header need unless the
         * file goes on and they may need more */
        if (!feed.eof && (safe < DECIMAL_SNIFF ||
                          (spec->delimiter == 0 && !ess_sniff_delimiter_sure(text, safe)))) {
            want = 2 * avail;
            continue;
        }
        char decimal_mark = spec->decimal_mark ? spec->decimal_mark : detect_decimal(text, safe);
        char delimiter = spec->delimiter ? spec->delimiter : ess_sniff_delimiter(text, safe);
        shared = (read_shared){delimiter ? delimiter : ',', 0, 0, source->size, skip, 0};
        if ((l = ess_ledger_new()) == NULL) {
            *whole = 0;
            rc = ess_error_set(err, ESS_ENOMEM, 0, 0, "out of memory");
            goto done;
        }
        reader_init(&r, l, spec, decimal_mark, bad, err, &shared, text, safe);
        r.weigh_point = spec->decimal_mark == 0 && decimal_mark == ',';
        have_reader = 1;
        if ((rc = reader_index_spec(&r)) == ESS_OK)
            rc = parse_records(&r, 0, safe, &body);   /* the header, and what precedes it */
        if (feed.eof || !(l->ncolumns == 0 || (rc && r.unclosed_quote)))
            break;
        reader_done(&r);   /* the header goes on past what was read: read more */
        have_reader = 0;
        ess_ledger_free(l);
        l = NULL;
        ess_error_clear(err);
        want = 2 * avail;
    }
    if (rc == ESS_OK && l->ncolumns > 0) {
        /* the body's place in the file */
        size_t raw_body = cp1252 ? ess_cp1252_bytes_before(feed.pending + skip, feed.filled - skip,
                                                           cp1252_way(cp1252), body)
                                 : body;
        atomic_store(&shared.done, skip + raw_body);
        feed.nheader = r.nheader;
        feed.head = skip + raw_body;
        feed.text_at = raw_body;
        rc = read_body(&r, &feed, raw_body, r.line);
    } else if (rc == ESS_OK) {
        rc = ESS_EFORMAT;   /* no header: the whole-file read says so */
    }
    if (rc == ESS_EFORMAT && feed.not_text && spec->encoding == ESS_ENC_AUTO)
        again = read_again_as(cp1252, feed.past_ascii);
    char *orders = NULL;
    if (rc == ESS_OK)
        rc = point_verdict(&r, err);
    if (rc == ESS_OK)   /* a streamed read cannot know a later month-first date: read again */
        rc = date_verdict(&r, &orders, err);
    /* a verdict that asks for another reading: month-first dates, or a decimal point */
    ess_csv_spec again_spec = *spec;
    if (rc == READ_AGAIN_MONTH_FIRST) {
        again_spec.column_date_orders = orders;
    } else {
        if (rc == ESS_OK)
            rc = total_rows_verdict(&r, NULL, 0, source, spec, ESS_ENC_AUTO, 0);
        if (rc == READ_AGAIN_WITH_POINT) {
            again_spec.decimal_mark = '.';
            again_spec.flags |= ESS_CSV_MARK_SNIFFED;
        }
    }
    if (rc == READ_AGAIN_MONTH_FIRST || rc == READ_AGAIN_WITH_POINT) {
        reader_done(&r);
        have_reader = 0;
        ess_ledger_free(l);
        l = NULL;
        ess_bad_rows_clear(bad);
        feed_free(&feed);
        ess_free(decoded);
        *whole = 0;
        rc = ess_ledger_read_csv_source(source, &again_spec, out, bad, err, bytes_read);
        ess_free(orders);
        return rc;
    }
    if (rc == ESS_OK)
        rc = drop_watch_column(l, err);
    if (rc == ESS_OK) {
        *whole = 0;
        ess_ledger_shrink_to_rows(l);
        ess_ledger_set_encoding(l, cp1252 == CP1252_MIXED ? ESS_ENC_MIXED
                                   : cp1252 ? (skip ? ESS_ENC_CP1252_BOM : ESS_ENC_CP1252)
                                            : (skip ? ESS_ENC_UTF8_BOM : ESS_ENC_UTF8));
        l->short_filled_rows = r.filled_rows;
        l->short_filled_line = r.filled_line;
        *out = l;
        l = NULL;
        *bytes_read = feed.read_at;
    } else if (rc == ESS_ENOMEM || feed.failed || shared.heard_stop) {
        *whole = 0;
    }
done:
    if (have_reader)
        reader_done(&r);
    ess_ledger_free(l);
    feed_free(&feed);
    ess_free(decoded);
    if (again != NOT_CP1252) {
        ess_bad_rows_clear(bad);   /* what this pass set aside is found again */
        ess_error_clear(err);
        return read_streamed(source, spec, again, out, bad, err, bytes_read, whole);
    }
    return rc;
}

int ess_ledger_read_csv_source(const ess_byte_source *source, const ess_csv_spec *spec,
                               ess_ledger **out, ess_bad_rows *bad, ess_error *err,
                               size_t *bytes_read)
{
    *out = NULL;
    *bytes_read = 0;
    ESS_RETURN_NOT_OK(spec_refused(spec, err));
    int whole;
    int rc = read_streamed(source, spec, NOT_CP1252, out, bad, err, bytes_read, &whole);
    if (!whole)
        return rc;
    ess_bad_rows_clear(bad);   /* what the streamed pass set aside is found again */
    ess_error_clear(err);
    return read_whole(source, spec, out, bad, err, bytes_read);
}
