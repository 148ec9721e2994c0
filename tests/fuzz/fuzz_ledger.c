/* libFuzzer harness: the ledger reader and group-by.  Oracles: the groups' sums add up to the
 * ledger's total (an independent __int128 sum of the amount column), and their counts to the
 * rows; the Arrow export builds and releases; the reader in chunks of a few bytes on one or two
 * threads (guessed record starts cut inside quotes, merged, re-read) gives the one-pass reading
 * exactly: status, error place and message, rows, codes, dictionaries, blank and bad rows; and
 * so does the streamed reader (ess_ledger_read_csv_source) over the same bytes in blocks of a few
 * bytes, which cut quoted cells, CRLFs and the sniffers' window, its size told or not; and the
 * group-by on keys derived in place (the year, quarter or month of d, f read as periods) gives
 * the group-by of the same keys materialised as columns. */
#include "essconv.h"
#include "../c/memory_source.h"   /* the fuzzer's bytes as a file read at offsets */

#include <stdlib.h>
#include <string.h>


/* The chunked reading (in memory, or streamed in blocks) is the one-pass reading exactly. */
/* Two readings set a row aside for the same reason, worded alike in every language. */
static int same_reason(const ess_bad_reason *a, const ess_bad_reason *b)
{
    return a->kind == b->kind && a->count == b->count && a->expected == b->expected &&
           strcmp(a->field, b->field) == 0 && strcmp(a->value, b->value) == 0 &&
           strcmp(a->amount, b->amount) == 0;
}

static void same_reading(const uint8_t *data, size_t size, const ess_csv_spec *one_pass, int rc,
                         const ess_ledger *l, const ess_bad_rows *bad, const ess_error *err,
                         int streamed)
{
    ess_csv_spec chunked = *one_pass;
    /* one thread, in memory as streamed: chunks in order, written into the result while its
     * label tables are small, then into their own (RESULT_TABLES_CACHED) */
    chunked.threads = size > 1 && (data[1] & 1) ? 1 : 2;
    chunked.chunk_bytes = 1 + (size > 0 ? data[0] % 23 : 0);
    ess_ledger *c = NULL;
    ess_bad_rows cbad = {0};
    ess_error cerr;
    int crc;
    if (streamed) {
        memory_file file = {data, size};
        /* half the time a stream that cannot tell its size (a gzip member): the same reading */
        ess_byte_source source = {memory_read, &file,
                                  size > 1 && (data[1] & 2) ? ESS_SIZE_UNKNOWN : size};
        size_t bytes_read = 0;
        crc = ess_ledger_read_csv_source(&source, &chunked, &c, &cbad, &cerr, &bytes_read);
        if (crc == ESS_OK && bytes_read != size)
            abort();
    } else {
        crc = ess_ledger_read_csv((const char *)data, size, &chunked, &c, &cbad, &cerr);
    }
    if (crc != rc)
        abort();
    if (rc != ESS_OK) {
        if (crc != ESS_ENOMEM && (cerr.line != err->line || cerr.column != err->column ||
                                  strcmp(cerr.message, err->message) != 0))
            abort();
    } else {
        if (c->nrows != l->nrows || c->blank_rows != l->blank_rows || c->ncolumns != l->ncolumns ||
            cbad.count != bad->count)
            abort();
        for (size_t b = 0; b < bad->count; b++)
            if (cbad.items[b].line != bad->items[b].line ||
                cbad.items[b].column != bad->items[b].column ||
                strcmp(cbad.items[b].message, bad->items[b].message) != 0 ||
                !same_reason(&cbad.items[b].reason, &bad->items[b].reason))
                abort();
        for (size_t k = 0; k < l->ncolumns; k++) {
            size_t width = l->columns[k].kind == ESS_COL_LABEL || l->columns[k].kind == ESS_COL_DATE
                               ? 4 : 8;
            if (l->nrows && memcmp(c->columns[k].data, l->columns[k].data, width * l->nrows) != 0)
                abort();
            const ess_dict *d = &l->columns[k].dict, *cd = &c->columns[k].dict;
            if (cd->count != d->count)
                abort();
            for (size_t s = 0; s < d->count; s++)
                if (strcmp(ess_dict_string(cd, (int32_t)s), ess_dict_string(d, (int32_t)s)) != 0)
                    abort();
        }
    }
    ess_bad_rows_clear(&cbad);
    ess_ledger_free(c);
}

/* Two groupings that must be one: the same groups in the same order, sums, counts and extremes. */
static void same_groups(const ess_groups *a, const ess_groups *b)
{
    if (a->ngroups != b->ngroups || a->nkeys != b->nkeys ||
        memcmp(a->keys, b->keys, a->ngroups * a->nkeys * sizeof *a->keys) != 0)
        abort();
    for (size_t k = 0; k < a->ngroups; k++)
        if (a->sum[k] != b->sum[k] || a->count[k] != b->count[k] || a->min[k] != b->min[k] ||
            a->max[k] != b->max[k])
            abort();
}

/* The group-by on derived keys, read in place through derive.c's tables, is the group-by of
 * the same keys materialised as columns (ess_ledger_derive_keys): a date's year, quarter and
 * month beside the label f, and f read as periods (an error naming the same row, mostly). */
static void same_derived_groups(const ess_ledger *l)
{
    const ess_key tries[][2] = {
        {{3, ESS_PART_YEAR, ESS_SIDE_DATE, "k"}, {1, ESS_PART_COPY, ESS_SIDE_DATE, "f"}},
        {{1, ESS_PART_COPY, ESS_SIDE_DATE, "f"}, {3, ESS_PART_QUARTER, ESS_SIDE_DATE, "k"}},
        {{3, ESS_PART_MONTH, ESS_SIDE_DATE, "k"}, {2, ESS_PART_COPY, ESS_SIDE_DATE, "a"}},
        {{1, ESS_PART_YEAR, ESS_SIDE_START, "k"}, {1, ESS_PART_DAY, ESS_SIDE_END, "e"}},
    };
    for (size_t t = 0; t < sizeof tries / sizeof tries[0]; t++) {
        ess_ledger *m = NULL;
        ess_groups *direct = NULL, *materialised = NULL;
        ess_error e1, e2;
        int rd = ess_ledger_group_by_keys(l, tries[t], 2, ESS_AGG_MINMAX, 2, &direct, &e1);
        int rm = ess_ledger_derive_keys(l, tries[t], 2, &m, &e2);
        if (rm == ESS_OK) {
            const int idx[2] = {0, 1};
            rm = ess_ledger_group_by(m, idx, 2, ESS_AGG_MINMAX, 2, &materialised, &e2);
        }
        if (rd != rm || (rd != ESS_OK && rd != ESS_ENOMEM && e1.line != e2.line))
            abort();
        if (rd == ESS_OK)
            same_groups(direct, materialised);
        ess_groups_free(direct);
        ess_groups_free(materialised);
        ess_ledger_free(m);
    }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const char *names[] = {"montant", "f", "annee", "d"};
    int kinds[] = {ESS_COL_AMOUNT, ESS_COL_LABEL, ESS_COL_INT, ESS_COL_DATE};
    /* a quarter of the inputs named CP1252: the streamed reader decodes them block by block */
    ess_encoding encoding = (size & 4) && (data[0] & 0x40) ? ESS_ENC_CP1252 : ESS_ENC_AUTO;
    ess_csv_spec spec = {names, kinds, 4, 0, encoding, 0,
                         size & 2 ? ESS_CSV_COLLECT_BAD : 0u, NULL, NULL, 1, 0,
                         ESS_DATES_DETECT, NULL};
    ess_ledger *l = NULL;
    ess_bad_rows bad = {0};
    ess_error err;
    int rc = ess_ledger_read_csv((const char *)data, size, &spec, &l, &bad, &err);
    same_reading(data, size, &spec, rc, l, &bad, &err, 0);
    same_reading(data, size, &spec, rc, l, &bad, &err, 1);
    /* the general loop alone, in chunks: every record the straight path took, it reads alike */
    ess_read_straight(0);
    same_reading(data, size, &spec, rc, l, &bad, &err, 0);
    ess_read_straight(1);
    if (rc == ESS_OK) {
        __int128 all = 0;
        const int64_t *a = l->columns[l->amount].data;
        for (size_t i = 0; i < l->nrows; i++)
            all += a[i];
        int keys[3] = {1, 2, 3};
        for (size_t nk = 1; nk <= 3; nk++) {
            ess_groups *g = NULL;
            if (ess_ledger_group_by(l, keys, nk, ESS_AGG_MINMAX, 2, &g, &err) == ESS_OK) {
                __int128 s = 0;
                int64_t c = 0;
                for (size_t k = 0; k < g->ngroups; k++) {
                    s += g->sum[k];
                    c += g->count[k];
                    if (g->min[k] > g->max[k])
                        abort();
                }
                if (s != all || (size_t)c != l->nrows)
                    abort();
            } else if (err.status != ESS_EOVERFLOW) {
                abort();
            }
            ess_groups_free(g);
        }
        same_derived_groups(l);
        struct ArrowSchema schema;
        struct ArrowArray array;
        if (ess_ledger_to_arrow(l, &schema, &array, &err) == ESS_OK) {
            if (array.length != (int64_t)l->nrows)
                abort();
            schema.release(&schema);
            array.release(&array);
        }
    }
    ess_bad_rows_clear(&bad);
    ess_ledger_free(l);
    return 0;
}
