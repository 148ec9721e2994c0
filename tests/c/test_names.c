/*
 * test_names.c -- relabel.c's own unit tests: the key of a label against spellings written by
 * hand (every rule of the file's header, invalid UTF-8 among them), the dictionary's keys
 * against keying each label alone, and a relabel against the obvious twin (each row's label looked
 * up in the mapping, one by one).  Built and run by tests/test_c_core.py like every
 * tests/c/test_*.c.  Prints "N passed, N failed" and exits nonzero on any failure.
 */
#include "internal.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "check.h"

static int key_is(const char *label, const char *want)
{
    char out[256];
    size_t n = ess_label_key(label, strlen(label), out);
    if (n != strlen(want) || memcmp(out, want, n) != 0 || out[n] != '\0') {
        fprintf(stderr, "key of '%s' is '%.*s', not '%s'\n", label, (int)n, out, want);
        return 0;
    }
    return 1;
}

static void test_keys(void)
{
    CHECK(key_is("D\xc3\xa9partement du Lot", "departementdulot"));          /* é */
    CHECK(key_is("DEPARTEMENT  DU\xc2\xa0LOT", "departementdulot"));         /* NBSP separates */
    CHECK(key_is("S.A.R.L. Dupont", "dupont"));                             /* points deleted */
    CHECK(key_is("Asso. Les Amis", "lesamis"));
    CHECK(key_is("SCOP SA Atelier", "atelier"));
    CHECK(key_is("S.A.", "sa"));                                            /* only a legal form */
    CHECK(key_is("\xc5\x92uvre d\xe2\x80\x99Orient", "oeuvredorient"));     /* Œ, ’ */
    CHECK(key_is("Fondation de France", "fondationdefrance"));              /* not a legal form */
    CHECK(key_is("Stra\xc3\x9f" "e 3\xc3\x97" "4", "strasse34"));            /* ß, × separates */
    CHECK(key_is("\xce\x91\xce\x92 ab", "\xce\x91\xce\x92" "ab"));           /* Greek kept */
    CHECK(key_is("a\xff" "b", "ab"));                                        /* an invalid byte: */
    CHECK(key_is("\xc3", ""));                                               /* no letter */
    CHECK(key_is("\xc5 \x92", ""));                 /* two halves of Œ never join into one */
    CHECK(key_is("!!! ... ---", ""));
    CHECK(key_is("", ""));
}

/* The dictionary's keys equal keying each label alone, numbered by first sight. */
static void test_dictionary_keys(void)
{
    const char *labels[] = {"Lot", "LOT", "!!", "Cahors", "lot.", "cahors", "Figeac"};
    size_t n = sizeof labels / sizeof *labels;
    ess_dict d;
    memset(&d, 0, sizeof d);
    for (size_t k = 0; k < n; k++)
        CHECK(ess_dict_intern(&d, labels[k], strlen(labels[k])) == (int32_t)k);
    int32_t key_of[7];
    size_t nkeys = 0;
    ess_error err;
    CHECK(ess_dict_label_keys(&d, key_of, &nkeys, &err) == ESS_OK);
    CHECK(nkeys == 3);
    int32_t want[7] = {0, 0, -1, 1, 0, 1, 2};
    for (size_t k = 0; k < n; k++)
        CHECK(key_of[k] == want[k]);
    ess_dict_clear(&d);
}

static void test_relabel(void)
{
    ess_ledger *l = ess_ledger_new();
    CHECK(ess_ledger_add_column(l, "nom", ESS_COL_LABEL) == 0);
    CHECK(ess_ledger_add_column(l, "montant", ESS_COL_AMOUNT) == 1);
    const char *names[] = {"A", "a", NULL, "B", "A", "C"};
    int64_t cents[] = {150, 200, 300, 400, -1, INT64_MAX - 2000};
    size_t rows = sizeof cents / sizeof *cents;
    CHECK(ess_ledger_reserve(l, rows) == ESS_OK);
    int32_t *codes = l->columns[0].data;
    for (size_t i = 0; i < rows; i++) {
        codes[i] = names[i] ? ess_dict_intern(&l->columns[0].dict, names[i], 1) : -1;
        ((int64_t *)l->columns[1].data)[i] = cents[i];
    }
    l->nrows = rows;
    /* by code: A -> keep, a -> "A", B -> "Bee", C -> "A" */
    const char *targets[] = {NULL, "A", "Bee", "A"};
    size_t lens[] = {0, 1, 3, 1};
    ess_ledger *r = NULL;
    ess_error err;
    CHECK(ess_ledger_relabel(l, 0, targets, lens, &r, &err) == ESS_OK);
    CHECK(r != NULL && r->nrows == rows && r->columns[0].dict.count == 2);
    for (size_t i = 0; r && i < rows; i++) {
        /* the twin: the row's old label, then its target */
        const char *old = names[i];
        const char *want = old == NULL ? NULL : (strcmp(old, "a") == 0 || strcmp(old, "C") == 0) ? "A"
                                              : strcmp(old, "B") == 0 ? "Bee" : old;
        int32_t code = ((int32_t *)r->columns[0].data)[i];
        const char *got = ess_dict_string(&r->columns[0].dict, code);
        CHECK(want == NULL ? code == -1 : (got != NULL && strcmp(got, want) == 0));
        CHECK(((int64_t *)r->columns[1].data)[i] == cents[i]);   /* amounts untouched */
    }
    CHECK(l->columns[0].dict.count == 4);                         /* the source unchanged */
    ess_ledger_free(r);
    CHECK(ess_ledger_relabel(l, 1, targets, lens, &r, &err) == ESS_EINVAL && r == NULL);
    ess_ledger_free(l);
}

int main(void)
{
    test_keys();
    test_dictionary_keys();
    test_relabel();
    return check_report();
}
