/*
 * test_base.c -- the base layer's own unit tests (text.c, date.c, dict.c, findings.c and its
 * table of finding kinds), each
 * fast structure checked against a slow, obvious twin written here.
 * Built and run by tests/test_c_core.py like every tests/c/test_*.c.
 * Prints "N passed, N failed" and exits nonzero on any failure.
 */
#include "internal.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "check.h"

static int trims_to(const char *text, const char *want)
{
    const char *s = text;
    size_t n = strlen(text);
    ess_text_trim(&s, &n);
    return n == strlen(want) && memcmp(s, want, n) == 0;
}

static void test_text(void)
{
    CHECK(trims_to("  CDC\t\r\n", "CDC"));
    CHECK(trims_to("\t2017", "2017"));
    CHECK(trims_to("\xc2\xa0" "CDC" "\xe2\x80\xaf", "CDC"));   /* no-break, narrow no-break */
    CHECK(trims_to("1\xe2\x80\x89" "000", "1\xe2\x80\x89" "000"));   /* inner spaces stay */
    CHECK(trims_to("R\xc3\xa9gion ", "R\xc3\xa9gion"));   /* é is no space */
    CHECK(trims_to("", ""));
    CHECK(ess_text_is_blank("", 0) && ess_text_is_blank(" \t\r\n", 4));
    CHECK(ess_text_is_blank("\xc2\xa0", 2) && !ess_text_is_blank("\xc2", 1));
    CHECK(!ess_text_is_blank(" x ", 3));
    /* fold against the obvious twin over every byte */
    int same = 1;
    for (int c = 0; c < 256; c++)
        same &= ess_text_fold(c) == ((c >= 'A' && c <= 'Z') ? c - 'A' + 'a' : c);
    CHECK(same);
    char *folded = ess_text_folded_copy("Montant \xc3\x89", 10);
    CHECK(folded != NULL && strcmp(folded, "montant \xc3\xa9") == 0);   /* "É" is "é" */
    ess_free(folded);
    /* every character of U+0000..U+017F folded in its UTF-8 bytes, against the twin in code
     * points: ASCII and Latin-1 capitals (not the sign x) +32, OE -> oe, Y diaeresis -> U+00FF */
    int latin_ok = 1;
    for (unsigned cp = 1; cp < 0x180; cp++) {
        unsigned small = (cp >= 'A' && cp <= 'Z') || (cp >= 0xC0 && cp <= 0xDE && cp != 0xD7)
                             ? cp + 32
                         : cp == 0x152 ? 0x153
                         : cp == 0x178 ? 0xFF
                                       : cp;
        char text[3] = {0}, want[3] = {0};
        size_t n = cp < 0x80 ? 1 : 2;
        if (n == 1)
            text[0] = (char)cp;
        else
            text[0] = (char)(0xC0 | (cp >> 6)), text[1] = (char)(0x80 | (cp & 0x3F));
        if (small < 0x80)
            want[0] = (char)small;
        else
            want[0] = (char)(0xC0 | (small >> 6)), want[1] = (char)(0x80 | (small & 0x3F));
        char *got = ess_text_folded_copy(text, n);
        latin_ok &= got != NULL && strcmp(got, want) == 0;
        ess_free(got);
    }
    CHECK(latin_ok);
    char *upper = ess_text_folded_copy("R\xc3\x89GION \xc5\x92UVRE \xe2\x82\xac", 18);
    CHECK(upper != NULL && strcmp(upper, "r\xc3\xa9gion \xc5\x93uvre \xe2\x82\xac") == 0);
    ess_free(upper);
}

static void test_dates(void)
{
    /* day numbers against a slow twin: count the days one by one from 1970-01-01 */
    ess_date d = {1970, 1, 1};
    int ok = 1;
    for (int32_t days = 0; days < 20000; days++) {
        ok &= ess_days_from_date(d) == days && ess_date_cmp(ess_date_from_days(days), d) == 0;
        if (++d.day > ess_date_last_day(d.year, d.month)) {
            d.day = 1;
            if (++d.month > 12) {
                d.month = 1;
                d.year++;
            }
        }
    }
    CHECK(ok);
    CHECK(ess_date_last_day(2012, 2) == 29 && ess_date_last_day(2100, 2) == 28);
    CHECK(!ess_date_valid((ess_date){2013, 2, 29}) && ess_date_valid((ess_date){2000, 2, 29}));
    int32_t days = 0;
    ess_error e;
    ess_error_clear(&e);
    CHECK(ess_date_parse("\t08/09/2017 ", 12, &days, &e) == ESS_OK &&
          ess_date_cmp(ess_date_from_days(days), (ess_date){2017, 9, 8}) == 0);
    CHECK(ess_date_parse(" \t", 2, &days, &e) == ESS_BLANK);
    CHECK(ess_date_parse("2017-30-05", 10, &days, &e) == ESS_EPARSE);
}

static void test_dict(void)
{
    /* codes in order of first sight, against a linear search of the strings seen so far */
    ess_dict d;
    memset(&d, 0, sizeof d);
    char seen[300][8];
    size_t nseen = 0;
    int ok = 1;
    for (int i = 0; i < 3000; i++) {
        char label[8];
        snprintf(label, sizeof label, "f%d", (i * 7919) % 300);
        size_t want = 0;
        while (want < nseen && strcmp(seen[want], label) != 0)
            want++;
        if (want == nseen)
            strcpy(seen[nseen++], label);
        int32_t code = ess_dict_intern(&d, label, strlen(label));
        ok &= code == (int32_t)want && strcmp(ess_dict_string(&d, code), label) == 0;
    }
    CHECK(ok && d.count == nseen);
    ess_dict copy;
    memset(&copy, 0, sizeof copy);
    CHECK(ess_dict_copy(&copy, &d) == ESS_OK && copy.count == d.count &&
          ess_dict_find(&copy, "f7", 2) == ess_dict_find(&d, "f7", 2));
    CHECK(ess_dict_find(&d, "absent", 6) == -1);
    ess_dict_clear(&copy);
    ess_dict_clear(&d);
}

/* The index of label in the twin's list, appended if absent: first sight by linear search. */
static size_t twin_code(char (*list)[12], size_t *n, const char *label)
{
    size_t k = 0;
    while (k < *n && strcmp(list[k], label) != 0)
        k++;
    if (k == *n)
        strcpy(list[(*n)++], label);
    return k;
}

static void test_dict_copy_and_merge(void)
{
    /* a copy made of the arrays answers like the source, code for code, and grows on its own */
    ess_dict d, copy;
    memset(&d, 0, sizeof d);
    char label[12];
    for (int i = 0; i < 1000; i++) {
        snprintf(label, sizeof label, "n%d", i * 13);
        ess_dict_intern(&d, label, strlen(label));
    }
    CHECK(ess_dict_copy(&copy, &d) == ESS_OK && copy.count == d.count);
    int same = 1;
    for (size_t k = 0; k < d.count; k++) {
        const char *s = ess_dict_string(&d, (int32_t)k);
        same &= strcmp(ess_dict_string(&copy, (int32_t)k), s) == 0 &&
                ess_dict_find(&copy, s, strlen(s)) == (int32_t)k;
    }
    CHECK(same);
    CHECK(ess_dict_intern(&copy, "new", 3) == 1000 && ess_dict_find(&d, "new", 3) == -1);
    ess_dict_clear(&d);   /* the copy owns its own arrays */
    CHECK(ess_dict_find(&copy, "n13", 3) == 1 && strcmp(ess_dict_string(&copy, 1000), "new") == 0);
    ess_dict empty, empty_copy;
    memset(&empty, 0, sizeof empty);
    CHECK(ess_dict_copy(&empty_copy, &empty) == ESS_OK && empty_copy.count == 0 &&
          ess_dict_intern(&empty_copy, "x", 1) == 0);
    ess_dict_clear(&empty_copy);
    ess_dict_clear(&copy);

    /* 40 chunk dictionaries of overlapping labels merged one after another (as the chunked
     * reader does) against a linear twin: every recode is the twin's first-sight code */
    static char twin[4000][12];
    size_t ntwin = 0;
    ess_dict result;
    memset(&result, 0, sizeof result);
    int ok = 1;
    for (int chunk = 0; chunk < 40; chunk++) {
        ess_dict part;
        memset(&part, 0, sizeof part);
        for (int i = 0; i < 150; i++) {   /* repeats inside a chunk and across chunks */
            snprintf(label, sizeof label, "b%d", (chunk * 97 + i * 31) % 3000);
            ess_dict_intern(&part, label, strlen(label));
        }
        int32_t recode[150];
        ok &= ess_dict_merge(&result, &part, recode) == ESS_OK;
        for (size_t k = 0; k < part.count; k++) {
            const char *s = ess_dict_string(&part, (int32_t)k);
            ok &= recode[k] == (int32_t)twin_code(twin, &ntwin, s) &&
                  strcmp(ess_dict_string(&result, recode[k]), s) == 0;
        }
        ess_dict_clear(&part);
    }
    CHECK(ok && result.count == ntwin);
    int found = 1;
    for (size_t k = 0; k < ntwin; k++)
        found &= ess_dict_find(&result, twin[k], strlen(twin[k])) == (int32_t)k;
    CHECK(found);
    ess_dict_clear(&result);
}

static void test_findings(void)
{
    ess_findings f;
    memset(&f, 0, sizeof f);
    for (int i = 0; i < 40; i++) {
        ess_finding *x = ess_findings_add(&f, ESS_F_ROW_TOTAL, i, ESS_AT_TOTAL);
        CHECK(x != NULL && x->target == -1 && x->line == i);
    }
    CHECK(f.count == 40 && f.cap >= 40);
    CHECK(f.items[3].severity == ess_finding_kind_of(ESS_F_ROW_TOTAL)->severity);
    /* the table of kinds: one row per code, in code order, names unique, every field named */
    size_t nkinds;
    const ess_finding_kind *kinds = ess_finding_kinds(&nkinds);
    CHECK(nkinds == ESS_F_END - 1 && ess_finding_kind_of(ESS_F_END) == NULL &&
          ess_finding_kind_of(0) == NULL);
    int table_ok = 1;
    for (size_t k = 0; k < nkinds; k++) {
        table_ok &= kinds[k].code == (int)k + 1 && ess_finding_kind_of((int)k + 1) == &kinds[k];
        table_ok &= strcmp(ess_severity_name(kinds[k].severity), "?") != 0 &&
                    strcmp(ess_scope_name(kinds[k].scope), "?") != 0;
        for (size_t j = 0; j < k; j++)
            table_ok &= strcmp(kinds[j].name, kinds[k].name) != 0;
    }
    CHECK(table_ok);
    /* each kind of edit is a correctable kind of finding of a cell, and nothing else is one */
    int edits_ok = ess_edit_finding_code(0) == ESS_F_NONE &&
                   ess_edit_finding_code(ESS_EDIT_END) == ESS_F_NONE;
    for (int kind = ESS_EDIT_CELL; kind < ESS_EDIT_END; kind++) {
        const ess_finding_kind *alone = ess_finding_kind_of(ess_edit_finding_code(kind));
        edits_ok &= alone != NULL && alone->correctable && alone->scope == ESS_SCOPE_CELL;
    }
    CHECK(edits_ok && ess_edit_finding_code(ESS_EDIT_MOVE) == ESS_F_CELL_MOVE);
    ess_findings_clear(&f);
    CHECK(f.count == 0 && f.items == NULL);
}

int main(void)
{
    test_text();
    test_dates();
    test_dict();
    test_dict_copy_and_merge();
    test_findings();
    return check_report();
}
