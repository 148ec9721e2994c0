/*
 * test_alloc.c -- every allocation of the main paths fails once, in turn (as SQLite's test
 * harness does): each failure must come back as ESS_ENOMEM, free what was taken (LeakSanitizer
 * checks at exit) and leave nothing half-built.  Then the same path succeeds.
 * Prints "N passed, N failed"; the number of failure sites covered goes to stdout too.
 */
#include "essconv.h"
#include "memory_source.h"   /* bytes in memory as the streamed reader's file */

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static long fail_at = -1;   /* the allocation number that fails; -1 none */
static long count;

static void *t_malloc(size_t n) { return count++ == fail_at ? NULL : malloc(n); }
static void *t_realloc(void *p, size_t n) { return count++ == fail_at ? NULL : realloc(p, n); }
static void t_free(void *p) { free(p); }

static int passed, failed;
static long sites;

#define CHECK(cond, what, n)                                                                     \
    do {                                                                                         \
        if (cond)                                                                                \
            passed++;                                                                            \
        else {                                                                                   \
            failed++;                                                                            \
            fprintf(stderr, "%s: allocation %ld: %s\n", what, (long)(n), #cond);                 \
        }                                                                                        \
    } while (0)

static const char annex[] =
    "en K\xe2\x82\xac\t\tCR-NPDC\tDRTEFP\tDRASS\tCDC\tCG-59\tESE\tCG-67\tTerritoires\tTotal\n"
    "Promouvoir\tT\xc3\xaates de r\xc3\xa9seaux\t197\t20\t32\t20\t56\t\t37\t48\t410\n"
    "\tObservatoire CRESS\t13\t10\t18\t\t\t\t\t\t51\n"
    "Structurer\tPLDESS\t609\t\t\t\t\t\t\t20\t629\n"
    "\tStructures accompagnement\t610\t59\t46\t\t325\t\t186\t35\t1 2618\n"
    "Soutenir\tSoutien aux structures\t1747\t109\t\t946\t354\t600\t102\t105\t3 963\n"
    "\tInnovation\t573\t\t\t\t\t\t\t\t573\n"
    "\tDLA\t327\t445\t\t274\t70\t\t50\t62\t1 228\n"
    "Total\t\t4 076\t643\t96\t1 250\t805\t600\t375\t270\t8 115\n";

/* One run of the plan path; returns the status of the first failing step. */
static int plan_path(void)
{
    ess_table *t = NULL;
    ess_plan *p = NULL, *copy = NULL;
    ess_problems probs = {0};
    ess_findings f = {0};
    ess_error e;
    ess_money_style style = {',', ESS_UNIT_NONE, 0};
    int rc = ess_table_read(annex, sizeof annex - 1, ESS_ENC_AUTO, 0, &t, &e);
    if (rc == ESS_OK)
        rc = ess_plan_from_table(t, &style, &p, &probs, &e);
    if (rc == ESS_OK)
        rc = ess_plan_validate(p, &f, &e);
    if (rc == ESS_OK && (copy = ess_plan_copy(p)) == NULL)
        rc = ESS_ENOMEM;
    if (rc == ESS_OK)
        rc = ess_plan_set_cell(copy, 1, 3, ESS_CELL_VALUE, 1000000);
    ess_findings_clear(&f);
    ess_problems_clear(&probs);
    ess_plan_free(copy);
    ess_plan_free(p);
    ess_table_free(t);
    return rc;
}

/* "Part ..." headers: "Part usagers" names no funder of the header (a funder), "Part CDC (k€)"
 * is CDC's second column (refused), "Part CG" CG's share (refused).  An allocation failing
 * while telling them apart must come back as ESS_ENOMEM, never as "not a share": the column
 * would be read as a funder and added to every total. */
static const char *const part_plans[] = {
    "en k\xe2\x82\xac\tCR\tCDC\tPart usagers\tTotal\nDLA\t10\t5\t1\t16\n",
    "en k\xe2\x82\xac\tCR\tCDC\tPart CDC (k\xe2\x82\xac)\nDLA\t10\t5\t5\n",
    "Action\tCR (k\xe2\x82\xac)\tCG (k\xe2\x82\xac)\tPart CG\nDLA\t10\t5\t33\n",
    "Line\tCR\tCDC\tCDC's share\nDLA\t10\t5\t33\n"};

static int part_path(void)
{
    int rc = ESS_OK;
    for (size_t k = 0; k < sizeof part_plans / sizeof *part_plans && rc == ESS_OK; k++) {
        ess_money_style style = {',', ESS_UNIT_NONE, 0};
        ess_table *t = NULL;
        ess_plan *p = NULL;
        ess_problems probs = {0};
        ess_error e;
        rc = ess_table_read(part_plans[k], strlen(part_plans[k]), ESS_ENC_AUTO, 0, &t, &e);
        if (rc == ESS_OK)
            rc = ess_plan_from_table(t, &style, &p, &probs, &e);
        if (k > 0 && rc == ESS_EFORMAT) {
            /* the refusal expected, for the share's own cause */
            int said = 0;
            for (size_t i = 0; i < probs.count; i++)
                said |= probs.items[i].kind == ESS_PLAN_FUNDER_TWICE ||
                        probs.items[i].kind == ESS_PLAN_SHARE_COLUMN;
            rc = said ? ESS_OK : ESS_EFORMAT;
        } else if (k > 0 && rc == ESS_OK) {
            rc = ESS_EFORMAT;   /* the share read as a funder */
        } else if (k == 0 && rc == ESS_OK && p->nfunders != 3) {
            rc = ESS_EFORMAT;
        }
        ess_problems_clear(&probs);
        ess_plan_free(p);
        ess_table_free(t);
    }
    return rc;
}

static const char grants[] =
    "\xef\xbb\xbf" "annee;territoire;financeur;montant;date\r\n"
    "2009;Lille;CDC;1 250,50;2009-03-01\r\n"
    "2010;Arras;CR;300;05/12/2010\r\n"
    ";;;;\r\n"
    "2009;Lille;CR;-7,25;\r\n"
    "2011;Douai;\"CDC\";12;2011-01-01\r\n";

static int ledger_path(void)
{
    const char *names[] = {"montant", "annee", "date", "territoire", "financeur"};
    int kinds[] = {ESS_COL_AMOUNT, ESS_COL_INT, ESS_COL_DATE, ESS_COL_LABEL, ESS_COL_LABEL};
    ess_csv_spec spec = {names, kinds, 5, 0, ESS_ENC_AUTO, 0, ESS_CSV_COLLECT_BAD, NULL, NULL, 1,
                         0, ESS_DATES_DETECT, NULL};
    ess_ledger *l = NULL, *f = NULL, *agg = NULL, *copy = NULL;
    ess_groups *g = NULL, *g2 = NULL;
    ess_plan *pivot = NULL;
    ess_bad_rows bad = {0};
    ess_error e;
    struct ArrowSchema schema;
    struct ArrowArray array;
    struct ArrowArrayStream stream;
    memset(&schema, 0, sizeof schema);
    memset(&array, 0, sizeof array);
    memset(&stream, 0, sizeof stream);
    int rc = ess_ledger_read_csv(grants, sizeof grants - 1, &spec, &l, &bad, &e);
    int keys[2] = {4, 1};
    if (rc == ESS_OK)
        rc = ess_ledger_group_by(l, keys, 2, ESS_AGG_MINMAX, 1, &g, &e);
    if (rc == ESS_OK)
        rc = ess_groups_to_ledger(l, keys, g, &agg, &e);
    /* the partitioned kernel, forced (direct, then hashed tables) on two threads: the same groups */
    ess_groups *parts[2] = {NULL, NULL};
    const unsigned forced[2] = {ESS_AGG_PARTITIONED_DIRECT, ESS_AGG_PARTITIONED_HASHED};
    for (int k = 0; k < 2 && rc == ESS_OK; k++) {
        rc = ess_ledger_group_by(l, keys, 2, ESS_AGG_MINMAX | forced[k], 2, &parts[k], &e);
        if (rc == ESS_OK && (parts[k]->ngroups != g->ngroups ||
                             memcmp(parts[k]->sum, g->sum, g->ngroups * sizeof *g->sum) ||
                             memcmp(parts[k]->keys, g->keys, g->ngroups * 2 * sizeof *g->keys)))
            rc = ESS_EINVAL;
    }
    int key_date = 2;
    if (rc == ESS_OK)
        rc = ess_ledger_group_by(l, &key_date, 1, 0, 1, &g2, &e);
    if (rc == ESS_OK)
        rc = ess_ledger_pivot(l, -1, 3, 4, 1, &pivot, &e);
    uint8_t codes[2] = {1, 0};
    ess_condition cond = {4, codes, 2, 0, 0, 0};
    if (rc == ESS_OK)
        rc = ess_ledger_filter(l, &cond, 1, &f, &e);
    if (rc == ESS_OK)
        rc = ess_ledger_filter(l, NULL, 0, &copy, &e);
    if (rc == ESS_OK) {   /* counted and summed without a copy, then copied over a scope */
        size_t kept_rows, labels_then[8] = {0};
        int64_t kept_total;
        rc = ess_ledger_filter_sum(l, &cond, 1, &kept_rows, &kept_total, &e);
        for (size_t c = 0; c < l->ncolumns && c < 8; c++)
            labels_then[c] = l->columns[c].dict.count;
        ess_ledger *scoped = NULL;
        if (rc == ESS_OK)
            rc = ess_ledger_filter_upto(l, &cond, 1, l->nrows, labels_then, &scoped, &e);
        if (rc == ESS_OK && scoped->nrows != kept_rows)
            rc = ESS_EINVAL;
        ess_ledger_free(scoped);
    }
    if (rc == ESS_OK)
        rc = ess_ledger_extend(copy, f, &e);
    ess_key derived_keys[2] = {{2, ESS_PART_YEAR, ESS_SIDE_DATE, "year(date)"},
                               {3, ESS_PART_COPY, ESS_SIDE_DATE, "territoire"}};
    if (rc == ESS_OK) {
        ess_ledger *derived = NULL;
        rc = ess_ledger_derive_keys(l, derived_keys, 2, &derived, &e);
        ess_ledger_free(derived);
    }
    if (rc == ESS_OK) {   /* the same keys read in place by the group-by and the pivot */
        ess_groups *in_place = NULL;
        ess_ledger *keyed = NULL;
        ess_plan *keyed_pivot = NULL;
        rc = ess_ledger_group_by_keys(l, derived_keys, 2, ESS_AGG_MINMAX, 2, &in_place, &e);
        if (rc == ESS_OK)
            rc = ess_groups_to_ledger_keys(l, derived_keys, in_place, &keyed, &e);
        if (rc == ESS_OK)
            rc = ess_ledger_pivot_keys(l, NULL, &derived_keys[0], &derived_keys[1], 1, &keyed_pivot,
                                       &e);
        ess_groups_free(in_place);
        ess_ledger_free(keyed);
        ess_plan_free(keyed_pivot);
    }
    if (rc == ESS_OK)
        rc = ess_ledger_to_arrow(l, &schema, &array, &e);
    if (rc == ESS_OK) {
        ess_ledger *back = NULL;   /* and read back through the Arrow C interface */
        rc = ess_ledger_from_arrow(&schema, &array, "montant", 0, &back, &e);
        if (rc == ESS_OK && back->nrows != l->nrows)
            rc = ESS_EINVAL;
        ess_ledger_free(back);
    }
    if (rc == ESS_OK) {
        ess_ledger *built = ess_ledger_new();   /* and built from columns of values */
        const int32_t funders[3] = {0, 1, 0};
        const int64_t cents[3] = {100, 250, -5};
        const char *labels[2] = {"CDC", "CR"};
        const size_t lens[2] = {3, 2};
        if (built == NULL || ess_ledger_add_column(built, "financeur", ESS_COL_LABEL) != 0 ||
            ess_ledger_add_column(built, "montant", ESS_COL_AMOUNT) != 1)
            rc = ESS_ENOMEM;
        if (rc == ESS_OK)
            rc = ess_ledger_stage_values(built, 0, funders, 3, &e);
        if (rc == ESS_OK)
            rc = ess_ledger_stage_labels(built, 0, labels, lens, 2, &e);
        if (rc == ESS_OK)
            rc = ess_ledger_stage_values(built, 1, cents, 3, &e);
        if (rc == ESS_OK)
            rc = ess_ledger_commit_rows(built, 3, &e);
        if (rc == ESS_OK && built->nrows != 3)
            rc = ESS_EINVAL;
        ess_ledger_free(built);
    }
    if (rc == ESS_OK)
        rc = ess_ledger_to_arrow_stream(agg, &stream, &e);
    if (stream.release) {
        struct ArrowSchema s2;
        struct ArrowArray a2;
        if (stream.get_schema(&stream, &s2) == 0)
            s2.release(&s2);
        else
            rc = ESS_ENOMEM;
        if (stream.get_next(&stream, &a2) == 0 && a2.release)
            a2.release(&a2);
        stream.release(&stream);
    }
    if (schema.release)
        schema.release(&schema);
    if (array.release)
        array.release(&array);
    ess_plan_free(pivot);
    ess_groups_free(g);
    ess_groups_free(g2);
    ess_groups_free(parts[0]);
    ess_groups_free(parts[1]);
    ess_ledger_free(agg);
    ess_ledger_free(f);
    ess_ledger_free(copy);
    ess_ledger_free(l);
    ess_bad_rows_clear(&bad);
    return rc;
}

/* Reconciliation beyond one fault: two crossing slips of one amount (an ambiguity, with an
 * unreadable cell to fill), and a table no three edits explain (partial edits, counted). */
static const char *const reconcile_plans[] = {
    "en k\xe2\x82\xac;A;B;C;Total\nx;1077;555;300;1855\ny;400;677;700;1700\n"
    "z;250;8x50;999;2099\nTotal;1650;2005;1999;5654\n",
    "en \xe2\x82\xac;F0;F1;F2;F3;F4;F5;F6;F7;Total\na;1;1;1;1;1;1;1;1;8\nb;1;1;1;1;1;1;1;1;8\n"
    "c;1;1;1;1;1;1;1;1;8\nd;1;1;1;1;1;1;1;1;8\nTotal;3;5;3;5;3;5;3;5;32\n",
};

/* The reader in chunks of a few bytes (one thread: the sweep's counter is not atomic): every
 * chunk's ledger, its re-read from a true record start and the merge fail in turn. */
static int chunked_ledger_path(void)
{
    const char *names[] = {"montant", "annee", "date", "territoire", "financeur"};
    int kinds[] = {ESS_COL_AMOUNT, ESS_COL_INT, ESS_COL_DATE, ESS_COL_LABEL, ESS_COL_LABEL};
    ess_csv_spec spec = {names, kinds, 5, 0, ESS_ENC_AUTO, 0, ESS_CSV_COLLECT_BAD, NULL, NULL, 1,
                         24, ESS_DATES_DETECT, NULL};
    ess_ledger *l = NULL;
    ess_bad_rows bad = {0};
    ess_error e;
    int rc = ess_ledger_read_csv(grants, sizeof grants - 1, &spec, &l, &bad, &e);
    if (rc == ESS_OK && (l->nrows != 4 || l->blank_rows != 1 || bad.count != 0))
        rc = ESS_EINVAL;
    ess_bad_rows_clear(&bad);
    ess_ledger_free(l);
    return rc;
}


/* The streamed reader in blocks of a few bytes (one thread, as above), a quoted cell holding a
 * line ending across a block's end, in UTF-8 then named CP1252 (each block decoded): every
 * block, its decoding, its join to the next, the header's first read and the merge fail in
 * turn. */
static int streamed_ledger_read(ess_encoding encoding)
{
    static const char quoted[] = "montant;territoire;financeur\r\n"
                                 "1 250,50;Lille;CDC\r\n"
                                 "300;\"Arras\r\nPas-de-Calais\xe9\";CR\r\n"
                                 ";;\r\n"
                                 "-7,25;Lille;\"CR\"\r\n";
    const char *names[] = {"montant", "territoire", "financeur"};
    int kinds[] = {ESS_COL_AMOUNT, ESS_COL_LABEL, ESS_COL_LABEL};
    ess_csv_spec spec = {names, kinds, 3, 0, encoding, 0, ESS_CSV_COLLECT_BAD, NULL, NULL, 1,
                         24, ESS_DATES_DETECT, NULL};
    memory_file file = {quoted, sizeof quoted - 1};
    ess_byte_source source = {memory_read, &file, file.size};
    ess_ledger *l = NULL;
    ess_bad_rows bad = {0};
    ess_error e;
    size_t bytes_read = 0;
    int rc = ess_ledger_read_csv_source(&source, &spec, &l, &bad, &e, &bytes_read);
    if (rc == ESS_OK && (l->nrows != 3 || l->blank_rows != 1 || bad.count != 0 ||
                         bytes_read != file.size))
        rc = ESS_EINVAL;
    ess_bad_rows_clear(&bad);
    ess_ledger_free(l);
    return rc;
}

/* A chunk's label column that stops indexing (built with DICT_UNINDEX_AT=2 by test_c_core.py,
 * the switch comes at a chunk's third row): its appends, and the merge of its repeated labels,
 * fail in turn.  Chunks of 90 bytes hold five or six rows of mostly new names, a repeat among
 * those appended. */
static int unindexed_chunk_path(void)
{
    static const char names_file[] = "montant;beneficiaire\n"
                                     "1;Association A\n2;Association B\n3;Association C\n"
                                     "4;Association D\n5;Association E\n6;Association A\n"
                                     "7;Association F\n8;Association G\n9;Association H\n"
                                     "10;Association I\n11;Association B\n12;Association J\n";
    const char *names[] = {"montant", "beneficiaire"};
    int kinds[] = {ESS_COL_AMOUNT, ESS_COL_LABEL};
    ess_csv_spec spec = {names, kinds, 2, 0, ESS_ENC_AUTO, 0, ESS_CSV_COLLECT_BAD, NULL, NULL, 1,
                         90, ESS_DATES_DETECT, NULL};
    ess_ledger *l = NULL;
    ess_bad_rows bad = {0};
    ess_error e;
    int rc = ess_ledger_read_csv(names_file, sizeof names_file - 1, &spec, &l, &bad, &e);
    if (rc == ESS_OK && (l->nrows != 12 || l->columns[1].dict.count != 10 || bad.count != 0))
        rc = ESS_EINVAL;
    ess_bad_rows_clear(&bad);
    ess_ledger_free(l);
    return rc;
}

static int streamed_ledger_path(void)
{
    /* auto: the \xe9 makes it CP1252, found by the whole-file read the streamed pass gives way to */
    int rc = streamed_ledger_read(ESS_ENC_AUTO);
    return rc == ESS_OK ? streamed_ledger_read(ESS_ENC_CP1252) : rc;
}

static int reconcile_path(void)
{
    int rc = ESS_OK;
    for (size_t k = 0; k < sizeof reconcile_plans / sizeof *reconcile_plans && rc == ESS_OK; k++) {
        const char *text = reconcile_plans[k];
        ess_money_style style = {',', ESS_UNIT_NONE, 0};
        ess_table *t = NULL;
        ess_plan *p = NULL;
        ess_problems probs = {0};
        ess_findings f = {0};
        ess_error e;
        rc = ess_table_read(text, strlen(text), ESS_ENC_AUTO, 0, &t, &e);
        if (rc == ESS_OK)
            rc = ess_plan_from_table(t, &style, &p, &probs, &e);
        if (rc == ESS_OK)
            rc = ess_plan_validate(p, &f, &e);
        ess_findings_clear(&f);
        ess_problems_clear(&probs);
        ess_plan_free(p);
        ess_table_free(t);
    }
    return rc;
}

static int convention_path(void)
{
    ess_error e;
    ess_convention *c = ess_convention_new((ess_date){2009, 1, 1}, (ess_date){2013, 12, 31}, &e);
    if (c == NULL)
        return e.status;
    int rc = ess_convention_add_party(c, "ETAT", NULL, 1, &e);
    if (rc == ESS_OK)
        rc = ess_convention_add_party(c, "DRTEFP", "ETAT", 0, &e);
    if (rc == ESS_OK)
        rc = ess_convention_add_body(c, "Comite", 4, &e);
    ess_meeting *m = NULL;
    size_t n;
    if (rc == ESS_OK)
        rc = ess_convention_meetings(c, 2010, &m, &n, &e);
    ess_free(m);
    ess_convention_free(c);
    return rc;
}

static void sweep(const char *what, int (*path)(void))
{
    ess_allocator a = {t_malloc, t_realloc, t_free};
    ess_set_allocator(&a);
    for (long n = 0;; n++) {
        fail_at = n;
        count = 0;
        int rc = path();
        if (count <= n) {   /* no allocation failed: the path is done */
            CHECK(rc == ESS_OK, what, n);
            break;
        }
        sites++;
        CHECK(rc == ESS_ENOMEM, what, n);
        if (rc != ESS_ENOMEM)
            fprintf(stderr, "  (status %d)\n", rc);
    }
    fail_at = -1;
    /* and it still works */
    CHECK(path() == ESS_OK, what, -1L);
    ess_set_allocator(NULL);
}

int main(void)
{
    sweep("plan", plan_path);
    sweep("plan with Part columns", part_path);
    sweep("ledger", ledger_path);
    sweep("chunked ledger", chunked_ledger_path);
    sweep("chunk that stops indexing", unindexed_chunk_path);
    sweep("streamed ledger", streamed_ledger_path);
    sweep("convention", convention_path);
    sweep("reconcile", reconcile_path);
    printf("allocation failure sites covered: %ld\n", sites);
    printf("%d passed, %d failed\n", passed, failed);
    return failed != 0;
}
