/*
 * ledger_read.c -- a CSV file into a ledger: the header matched to the spec's columns, each
 * record's cells written through the ledger's one builder, bad rows kept aside or refused with
 * their line and column.
 *
 * Layer: tables, above ledger.c and csv.c (calls them and the base; nothing calls it but hosts).
 * Workload: one pass over the decoded text, interning labels as it goes, with capacity reserved
 * from a count of line endings (no doubling: memory stays near the raw columnar size); on large
 * files two threads (C11 threads) read a half each and the second half is appended.
 *
 * Invariants: a record is committed whole or not at all (a bad row leaves nrows unchanged); the
 * line and column of every error are those of the file, the header's line included.
 */
#include "internal.h"

#include <assert.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <threads.h>

typedef struct csv_reader {
    ess_ledger *ledger;
    const ess_csv_spec *spec;
    ess_money_style style;
    ess_bad_rows *bad;
    ess_error *err;
    int *field_to_column;       /* header field -> ledger column, -1 ignored (owned) */
    size_t nheader;             /* fields of the header; 0 until it is read */
    size_t header_cap;
    char **header_names;        /* the header's fields, trimmed (owned) */
    int row_error;              /* the current record failed */
    ess_error row_err;          /* ... why */
    long row_err_line, row_err_column;
    int row_nonblank;           /* the current record has a non-blank cell */
    long row_extra_column;      /* column of the first cell beyond the header's, 0 if none */
    const char *base;           /* the text, for progress */
    size_t text_len;
    size_t next_progress;
    int stopped;
    size_t expected_rows;       /* line endings in the text: rows cannot be more */
    ess_dict spec_names;        /* the spec's names, lower-cased: code k is spec column k */
    ess_dict header_seen;       /* the header's non-blank names: a second one is refused */
    long *spec_field;           /* header field of each spec column, -1 until seen (owned) */
    long line_offset;           /* lines before the text this reader sees (a later half) */
    /* What the amounts say of the point when the decimal mark was not given: "12.500" alone
     * is 12 500 or 12,5, and only the rest of the column can tell (the reader's end decides) */
    int weigh_point;            /* count the evidence below (decimal mark not given) */
    size_t point_ambiguous, point_decimal, point_groups;
    long ambiguous_line, ambiguous_column;   /* the first ambiguous amount */
    char ambiguous_text[24];
    int no_progress;            /* a second half: the first reports progress */
} csv_reader;

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
            return ess_error_set(r->err, ESS_EFORMAT, ev->line, ev->column,
                                 "the column '%.60s' appears twice in the header (fields %zu "
                                 "and %zu): rename one", r->header_names[f], first + 1, f + 1);
        }
    }
    char *lower = ess_text_folded_copy(t, n);
    if (lower == NULL)
        return ess_error_set(r->err, ESS_ENOMEM, ev->line, ev->column, "out of memory");
    int32_t k = ess_dict_find(&r->spec_names, lower, n);
    ess_free(lower);
    if (k >= 0) {
        if (r->spec_field[k] >= 0)
            return ess_error_set(r->err, ESS_EFORMAT, ev->line, ev->column,
                                 "the column '%.60s' appears twice in the header "
                                 "(fields %ld and %zu)", r->spec->names[k], r->spec_field[k] + 1,
                                 f + 1);
        r->spec_field[k] = (long)f;
        r->field_to_column[f] = (int)k;
    }
    return 0;
}

/* Counts what an amount cell says of the point; column is computed by the caller only for
 * the first ambiguous cell (col_of is then called). */
static void weigh_point(csv_reader *r, const char *text, size_t len, long line,
                        long (*col_of)(const void *), const void *col_arg)
{
    /* the common cell has no point: it can only say "a decimal comma" (the point groups),
     * which needs saying once */
    size_t k = 0;
    while (k < len && text[k] != '.')   /* cells are short: a loop beats a call to memchr */
        k++;
    if (k == len) {
        if (r->point_groups == 0 && ess_money_point_use(text, len) == ESS_POINT_GROUPS)
            r->point_groups = 1;
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

static long event_column(const void *ev) { return ((const ess_cell_event *)ev)->column; }

/* The character column of a cell in an unquoted line: {line start, cell start}. */
static long unquoted_column(const void *arg)
{
    const char *const *span = arg;
    long col = 1;
    for (const char *q = span[0]; q < span[1]; q++)
        col += ((unsigned char)*q & 0xC0) != 0x80;
    return col;
}

/* A cell of column c could not be read (why in e): the record fails with the cell's place and
 * the column's name.  Only an amount that cannot be read is an amount error (ESS_EPARSE); an
 * integer or a date that cannot is the file's format (ESS_EFORMAT), as a ragged row is. */
static void cell_failed(csv_reader *r, int c, const ess_error *e, long line, long column)
{
    r->row_error = 1;
    r->row_err = *e;
    if (c != r->ledger->amount && e->status == ESS_EPARSE)
        r->row_err.status = ESS_EFORMAT;
    r->row_err_line = line;
    r->row_err_column = column;
    snprintf(r->row_err.message, sizeof r->row_err.message, "column '%.40s': %.260s",
             r->ledger->columns[c].name, e->message);
}

static int reader_on_cell(void *user, const ess_cell_event *ev)
{
    csv_reader *r = user;
    if (r->ledger->ncolumns == 0)   /* the header record: the columns are made at its end */
        return header_cell(r, ev);
    if (ev->field == 0) {
        r->row_error = 0;
        r->row_nonblank = 0;
        r->row_extra_column = 0;
        if (ess_ledger_ensure_row(r->ledger))
            return ess_error_set(r->err, ESS_ENOMEM, ev->line, ev->column,
                                 "out of memory at line %ld", ev->line);
        if (r->spec->progress && !r->no_progress && !ev->quoted && ev->text >= r->base &&
            (size_t)(ev->text - r->base) >= r->next_progress) {
            size_t done = (size_t)(ev->text - r->base);
            r->next_progress = done + (1u << 20);
            if (r->spec->progress(r->spec->progress_user, done, r->text_len)) {
                r->stopped = 1;
                return ess_error_set(r->err, ESS_EINVAL, ev->line, ev->column,
                                     "reading stopped at line %ld", ev->line);
            }
        }
    }
    if (!ess_text_is_blank(ev->text, ev->len))
        r->row_nonblank = 1;
    if (ev->field >= r->nheader && r->row_extra_column == 0)
        r->row_extra_column = ev->column;
    if (r->row_error || ev->field >= r->nheader)
        return 0;
    int c = r->field_to_column[ev->field];
    if (c < 0)
        return 0;
    ess_error e;
    e.status = ESS_OK;   /* written in full only when a value fails */
    int rc = ess_ledger_put_text(r->ledger, (size_t)c, ev->text, ev->len, &r->style, &e);
    if (rc == ESS_ENOMEM)
        return ess_error_set(r->err, ESS_ENOMEM, ev->line, ev->column, "out of memory");
    if (rc == ESS_OK && r->weigh_point && c == r->ledger->amount)
        weigh_point(r, ev->text, ev->len, ev->line + r->line_offset, event_column, ev);
    if (rc)
        cell_failed(r, c, &e, ev->line + r->line_offset, ev->column);
    return 0;
}

static int bad_row(csv_reader *r, long line, long column, int status, const char *message)
{
    if (!(r->spec->flags & ESS_CSV_COLLECT_BAD) || r->bad == NULL)
        return ess_error_set(r->err, status, line, column, "%s", message);   /* err has the place */
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
    return 0;
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
            rc = ess_error_set(r->err, ESS_EFORMAT, line, 1,
                               "the header has no column '%.60s'", r->spec->names[k]);
        else if ((spec_to_ledger[k] = ess_ledger_add_column(l, r->spec->names[k],
                                                            r->spec->kinds[k])) < 0)
            rc = spec_to_ledger[k] == -2
                     ? ess_error_set(r->err, ESS_ENOMEM, line, 1, "out of memory")
                     : ess_error_set(r->err, ESS_EINVAL, line, 1,
                                     "the column '%.60s' is asked for twice", r->spec->names[k]);
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
    ess_free(spec_to_ledger);
    return rc;
}

/* The end of a data record: counted blank, kept aside as bad, or committed. */
static int finish_record(csv_reader *r, size_t nfields, long line)
{
    if (!r->row_nonblank) {
        r->ledger->blank_rows++;
        return 0;
    }
    /* Too many fields is as bad as too few: "CDC,1234,56" in a comma file would otherwise be
     * 1 234 € with its cents lost.  Even blank cells past the header are refused: the blank
     * optional columns at the end of a grant file are where a split amount's shift hides. */
    if (nfields < r->nheader || r->row_extra_column) {
        char msg[120];
        snprintf(msg, sizeof msg, "this row has %zu fields where the header has %zu", nfields,
                 r->nheader);
        return bad_row(r, line + r->line_offset, r->row_extra_column ? r->row_extra_column : 1,
                       ESS_EFORMAT, msg);
    }
    if (r->row_error)
        return bad_row(r, r->row_err_line, r->row_err_column, r->row_err.status,
                       r->row_err.message);
    r->ledger->nrows++;
    return 0;
}

static int reader_on_record(void *user, size_t record, size_t nfields, long line)
{
    csv_reader *r = user;
    (void)record;
    if (nfields == 0) {               /* an empty line */
        if (r->nheader)
            r->ledger->blank_rows++;
        return 0;
    }
    if (r->ledger->ncolumns == 0) {   /* the end of the header */
        int blank = 1;
        for (size_t f = 0; f < r->nheader && blank; f++)
            blank = r->header_names[f][0] == '\0';
        if (blank) {                  /* a blank line before the header: forget it */
            for (size_t f = 0; f < r->nheader; f++)
                ess_free(r->header_names[f]);
            r->nheader = 0;
            return 0;
        }
        int rc = make_columns(r, line);
        /* one allocation for all the rows the line endings promise: no doubling */
        if (rc == 0 && ess_ledger_reserve(r->ledger, r->expected_rows))
            rc = ess_error_set(r->err, ESS_ENOMEM, line, 1, "out of memory for %zu rows",
                               r->expected_rows);
        return rc;
    }
    return finish_record(r, nfields, line);
}

/* ',' unless the amounts read English ("1,234.56": a comma before the point). */
static char detect_decimal(const char *text, size_t len)
{
    size_t n = len < (1u << 20) ? len : (1u << 20);
    for (size_t i = 0; i + 4 < n; i++)
        if (text[i] >= '0' && text[i] <= '9' && text[i + 1] == ',' && text[i + 2] >= '0' &&
            text[i + 2] <= '9') {
            size_t k = i + 2;
            while (k < n && text[k] >= '0' && text[k] <= '9')
                k++;
            if (k < n && text[k] == '.' && k - (i + 2) == 3 && k + 1 < n && text[k + 1] >= '0' &&
                text[k + 1] <= '9')
                return '.';
        }
    return ',';
}

static size_t count_lines(const char *text, size_t len)
{
    size_t n = 1;
    const char *p = text, *end = text + len;
    while ((p = memchr(p, '\n', (size_t)(end - p))) != NULL) {
        n++;
        p++;
    }
    return n;
}

static void reader_init(csv_reader *r, ess_ledger *l, const ess_csv_spec *spec, char decimal_mark,
                        ess_bad_rows *bad, ess_error *err, const char *text, size_t text_len)
{
    memset(r, 0, sizeof *r);
    r->ledger = l;
    r->spec = spec;
    r->bad = bad;
    r->err = err;
    r->base = text;
    r->text_len = text_len;
    r->style.decimal_mark = decimal_mark;
    r->style.unit = ESS_UNIT_EUR;
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
}

/* Can the text be read line by line without the general tokenizer?  Yes when no quote is
 * anywhere (so every line ending ends a record and every delimiter ends a cell), every CR is
 * part of a CRLF, and the first line is a header with something in it. */
static int unquoted_eligible(const char *text, size_t len, char delimiter)
{
    if (len == 0 || memchr(text, '"', len) != NULL)
        return 0;
    for (const char *p = text; (p = memchr(p, '\r', len - (size_t)(p - text))) != NULL; p++)
        if (p + 1 >= text + len || p[1] != '\n')
            return 0;
    for (size_t i = 0; i < len && text[i] != '\n'; i++)
        if (text[i] != delimiter && text[i] != ' ' && text[i] != '\t' && text[i] != '\r')
            return 1;
    return 0;
}

/* The fast path: the records of an unquoted text, line by line with memchr.  Same results as
 * the tokenizer (blank rows, bad rows, places); a cell's column is counted only when its value
 * fails.  line is the tokenizer-relative number of the text's first line. */
static int read_unquoted(csv_reader *r, const char *text, size_t len, char delim, long line)
{
    size_t i = 0;
    while (i < len) {
        const char *nl = memchr(text + i, '\n', len - i);
        size_t end = nl ? (size_t)(nl - text) : len, stop = end;
        if (stop > i && text[stop - 1] == '\r')
            stop--;
        if (r->spec->progress && !r->no_progress && i >= r->next_progress) {
            r->next_progress = i + (1u << 20);
            if (r->spec->progress(r->spec->progress_user, (size_t)(text + i - r->base),
                                  r->text_len)) {
                r->stopped = 1;
                return ess_error_set(r->err, ESS_EINVAL, line + r->line_offset, 1,
                                     "reading stopped at line %ld", line + r->line_offset);
            }
        }
        if (stop == i) {
            r->ledger->blank_rows++;   /* an empty line */
        } else {
            if (ess_ledger_ensure_row(r->ledger))
                return ess_error_set(r->err, ESS_ENOMEM, line + r->line_offset, 1,
                                     "out of memory at line %ld", line + r->line_offset);
            r->row_error = 0;
            r->row_nonblank = 0;
            r->row_extra_column = 0;
            size_t field = 0, p = i;
            for (;;) {
                const char *fs = text + p;
                size_t fe = p;   /* cells are short: a loop beats a call to memchr */
                while (fe < stop && text[fe] != delim)
                    fe++;
                const char *d = fe < stop ? text + fe : NULL;
                size_t flen = fe - p;
                if (!r->row_nonblank && !ess_text_is_blank(fs, flen))
                    r->row_nonblank = 1;
                if (field == r->nheader) {
                    const char *span[2] = {text + i, fs};
                    r->row_extra_column = unquoted_column(span);
                }
                int c = (!r->row_error && field < r->nheader) ? r->field_to_column[field] : -1;
                if (c >= 0) {
                    ess_error e;
                    e.status = ESS_OK;
                    int rc = ess_ledger_put_text(r->ledger, (size_t)c, fs, flen, &r->style, &e);
                    if (rc == ESS_ENOMEM)
                        return ess_error_set(r->err, ESS_ENOMEM, line + r->line_offset, 1,
                                             "out of memory");
                    if (rc == ESS_OK && r->weigh_point && c == r->ledger->amount) {
                        const char *span[2] = {text + i, fs};
                        weigh_point(r, fs, flen, line + r->line_offset, unquoted_column, span);
                    }
                    if (rc) {
                        long col = 1;
                        for (const char *q = text + i; q < fs; q++)
                            col += ((unsigned char)*q & 0xC0) != 0x80;
                        cell_failed(r, c, &e, line + r->line_offset, col);
                    }
                }
                field++;
                if (d == NULL)
                    break;
                p = fe + 1;
            }
            int rc = finish_record(r, field, line);
            if (rc)
                return rc;
        }
        line++;
        if (nl == NULL)
            break;
        i = end + 1;
    }
    return ESS_OK;
}

/* The second half of a file read on another thread: the header, then its own rows. */
typedef struct half_job {
    csv_reader r;
    ess_ledger *ledger;
    ess_bad_rows bad;
    ess_error err;
    const char *header;
    size_t header_len;
    const char *text;
    size_t len;
    char delimiter;
    int rc;
} half_job;

static int read_half(void *arg)
{
    half_job *j = arg;
    j->rc = ess_tokenize(j->header, j->header_len, j->delimiter, reader_on_cell, reader_on_record,
                         &j->r, &j->err);
    if (j->rc == 0)
        j->rc = read_unquoted(&j->r, j->text, j->len, j->delimiter, 1);
    return 0;
}

static size_t count_newlines(const char *text, size_t len)
{
    return count_lines(text, len) - 1;
}

/* Where a second half of the file starts, 0 for a single pass.  Two halves are read at once
 * when the file is large and has no quote (so a line ending always ends a record) and its
 * header is its first line; they are merged in order, so codes, rows and bad rows come out as
 * a single pass would give them. */
static size_t half_split(const char *text, size_t text_len, size_t header_end)
{
    if (text_len < (8u << 20) || memchr(text, '\n', text_len) == NULL)
        return 0;
    const char *mid = memchr(text + header_end + (text_len - header_end) / 2, '\n',
                             text_len - header_end - (text_len - header_end) / 2);
    return mid != NULL && (size_t)(mid - text) + 1 < text_len ? (size_t)(mid - text) + 1 : 0;
}

static void half_free(half_job *job)
{
    if (job == NULL)
        return;
    reader_done(&job->r);
    ess_bad_rows_clear(&job->bad);
    ess_ledger_free(job->ledger);
    ess_free(job);
}

/* Starts reading text[split..) on a thread of its own, into a ledger of its own, as the first
 * reader r would.  NULL when it cannot start (memory, a thread): the caller reads it all. */
static half_job *start_second_half(const csv_reader *r, const char *text, size_t text_len,
                                   size_t header_end, size_t split, char delimiter,
                                   char decimal_mark, thrd_t *tid)
{
    half_job *job = ess_calloc(1, sizeof *job);
    if (job == NULL || (job->ledger = ess_ledger_new()) == NULL) {
        ess_free(job);
        return NULL;
    }
    reader_init(&job->r, job->ledger, r->spec, decimal_mark, &job->bad, &job->err, text + split,
                text_len - split);
    job->r.weigh_point = r->weigh_point;
    if (reader_index_spec(&job->r) != ESS_OK) {
        half_free(job);
        return NULL;
    }
    job->r.expected_rows = count_lines(text + split, text_len - split);
    job->r.line_offset = (long)count_newlines(text, split);
    job->header = text;
    job->header_len = header_end;
    job->text = text + split;
    job->len = text_len - split;
    job->delimiter = delimiter;
    job->r.no_progress = 1;   /* the first half's progress covers the whole */
    if (thrd_create(tid, read_half, job) != thrd_success) {
        half_free(job);
        return NULL;
    }
    return job;
}

/* Waits for the second half and appends it to the first reader's ledger: its rows, its bad
 * rows, its evidence on the decimal point.  rc is the first half's status; returns the whole's.
 * Frees the job. */
static int join_second_half(csv_reader *r, half_job *job, thrd_t tid, int rc, ess_error *err)
{
    thrd_join(tid, NULL);
    if (rc == 0 && job->rc) {
        rc = job->rc;
        if (err)
            *err = job->err;
    }
    if (rc == 0)
        rc = ess_ledger_extend(r->ledger, job->ledger, err);
    for (size_t k = 0; rc == 0 && k < job->bad.count; k++) {
        const ess_bad_row *b = &job->bad.items[k];
        rc = bad_row(r, b->line, b->column, ESS_EFORMAT, b->message);
    }
    if (r->point_ambiguous == 0 && job->r.point_ambiguous > 0) {
        r->ambiguous_line = job->r.ambiguous_line;
        r->ambiguous_column = job->r.ambiguous_column;
        memcpy(r->ambiguous_text, job->r.ambiguous_text, sizeof r->ambiguous_text);
    }
    r->point_ambiguous += job->r.point_ambiguous;
    r->point_decimal += job->r.point_decimal;
    r->point_groups += job->r.point_groups;
    half_free(job);
    return rc;
}

/* Gives back what the capacity estimate over-reserved (a failed shrink keeps the block). */
static void shrink_to_rows(ess_ledger *l)
{
    if (l->cap <= l->nrows + 1024 || l->nrows == 0)
        return;
    for (size_t c = 0; c < l->ncolumns; c++) {
        void *p = ess_realloc(l->columns[c].data, l->nrows * ess_column_width(l->columns[c].kind));
        if (p != NULL)
            l->columns[c].data = p;
    }
    l->cap = l->nrows;
}

int ess_ledger_read_csv(const char *bytes, size_t len, const ess_csv_spec *spec,
                        ess_ledger **out, ess_bad_rows *bad, ess_error *err)
{
    *out = NULL;
    size_t amounts = 0;
    for (size_t k = 0; k < spec->count; k++)
        amounts += spec->kinds[k] == ESS_COL_AMOUNT;
    if (amounts != 1)
        return ess_error_set(err, ESS_EINVAL, 0, 0, "a ledger needs exactly one amount column");

    /* UTF-8 is read in place; other encodings are decoded to UTF-8 first */
    const char *text = NULL;
    size_t text_len = 0;
    char *decoded = NULL;
    ess_encoding enc = spec->encoding;
    int rc = ess_decode_borrow(bytes, len, spec->encoding, &text, &text_len, &decoded, &enc, err);
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
    csv_reader r;
    reader_init(&r, l, spec, decimal_mark, bad, err, text, text_len);
    r.weigh_point = spec->decimal_mark == 0 && decimal_mark == ',';
    r.expected_rows = count_lines(text, text_len);
    if ((rc = reader_index_spec(&r)) != ESS_OK) {
        reader_done(&r);
        ess_ledger_free(l);
        ess_free(decoded);
        return rc;
    }

    size_t header_end = 0;
    int fast = unquoted_eligible(text, text_len, delimiter);
    if (fast) {
        const char *nl = memchr(text, '\n', text_len);
        header_end = nl ? (size_t)(nl - text) + 1 : text_len;
    }
    size_t split = fast && spec->threads > 1 ? half_split(text, text_len, header_end) : 0;
    thrd_t tid;
    half_job *job = split ? start_second_half(&r, text, text_len, header_end, split, delimiter,
                                              decimal_mark, &tid)
                          : NULL;
    if (job == NULL)
        split = 0;   /* no second half (none worth it, or it could not start): one pass */
    if (fast) {
        rc = ess_tokenize(text, header_end, delimiter, reader_on_cell, reader_on_record, &r, err);
        if (rc == 0 && l->ncolumns == 0 && r.nheader > 0)
            rc = make_columns(&r, 1);   /* a header with no line ending after it */
        if (rc == 0 && l->ncolumns > 0)
            rc = read_unquoted(&r, text + header_end, (split ? split : text_len) - header_end,
                               delimiter, 2);
    } else {
        rc = ess_tokenize(text, text_len, delimiter, reader_on_cell, reader_on_record, &r, err);
    }
    if (rc == 0 && l->ncolumns == 0 && r.nheader > 0)
        rc = make_columns(&r, 1);   /* a header with no line ending after it */
    if (rc == 0 && l->ncolumns == 0)
        rc = ess_error_set(err, ESS_EFORMAT, 1, 1, "the file is empty: no header");
    if (job)
        rc = join_second_half(&r, job, tid, rc, err);
    reader_done(&r);
    ess_free(decoded);
    if (rc == 0 && r.point_ambiguous > 0) {
        /* "12.500" was read with the point grouping thousands; the column decides whether
         * that stands, or whether the file is read again with the point as decimal mark */
        if (r.point_decimal > 0 && r.point_groups == 0) {
            ess_ledger_free(l);
            ess_bad_rows_clear(bad);
            ess_csv_spec decimal_point = *spec;
            decimal_point.decimal_mark = '.';
            return ess_ledger_read_csv(bytes, len, &decimal_point, out, bad, err);
        }
        if (r.point_groups == 0 || r.point_decimal > 0) {
            char why[300];
            ess_point_ambiguity(why, sizeof why, r.ambiguous_text, r.point_groups > 0);
            rc = ess_error_set(err, ESS_EPARSE, r.ambiguous_line, r.ambiguous_column, "%s", why);
        }
    }
    if (rc) {
        ess_ledger_free(l);
        return rc;
    }
    shrink_to_rows(l);
    l->encoding = enc;
    *out = l;
    return ESS_OK;
}
