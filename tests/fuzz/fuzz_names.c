/* libFuzzer harness: the label key and the relabel (relabel.c).  Oracles: a key is never
 * longer than its label, holds no ASCII capital, space or punctuation, and is its own key
 * (folding twice changes nothing); the dictionary's keys equal each label's key alone; a
 * relabel sending every label to its key keeps every row, every amount and the total, and each
 * row's new label is its old label's key. */
#include "essconv.h"

#include <stdlib.h>
#include <string.h>

static void check_key(const char *text, size_t len, char *out, char *again)
{
    size_t n = ess_label_key(text, len, out);
    if (n > len || out[n] != '\0')
        abort();
    for (size_t i = 0; i < n; i++) {
        unsigned char c = (unsigned char)out[i];
        if (c < 0x80 && !((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9')) && c != 0)
            abort();
    }
    if (ess_label_key(out, n, again) != n || memcmp(out, again, n) != 0)
        abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char *out = malloc(size + 1), *again = malloc(size + 1);
    if (!out || !again)
        abort();
    check_key((const char *)data, size, out, again);
    /* the input's lines are a label column; amounts are the line numbers */
    ess_ledger *l = ess_ledger_new();
    if (l == NULL || ess_ledger_add_column(l, "nom", ESS_COL_LABEL) != 0 ||
        ess_ledger_add_column(l, "montant", ESS_COL_AMOUNT) != 1)
        abort();
    size_t rows = 0;
    for (size_t i = 0; i <= size; i++)
        rows += i == size || data[i] == '\n';
    if (ess_ledger_reserve(l, rows))
        abort();
    int64_t total = 0;
    for (size_t i = 0, start = 0, row = 0; i <= size; i++) {
        if (i < size && data[i] != '\n')
            continue;
        int32_t code = ess_dict_intern(&l->columns[0].dict, (const char *)data + start, i - start);
        if (code < 0)
            abort();
        ((int32_t *)l->columns[0].data)[row] = i == start ? -1 : code;   /* empty: missing */
        ((int64_t *)l->columns[1].data)[row] = (int64_t)row;
        total += (int64_t)row;
        row++;
        start = i + 1;
    }
    l->nrows = rows;
    const ess_dict *d = &l->columns[0].dict;
    int32_t *key_of = malloc((d->count + 1) * sizeof *key_of);
    const char **targets = calloc(d->count + 1, sizeof *targets);
    size_t *lens = calloc(d->count + 1, sizeof *lens);
    char *keys = malloc(size + d->count + 1);   /* every label's key, one after the other */
    if (!key_of || !targets || !lens || !keys)
        abort();
    size_t nkeys, used = 0;
    ess_error err;
    if (ess_dict_label_keys(d, key_of, &nkeys, &err) != ESS_OK)
        abort();
    for (size_t k = 0; k < d->count; k++) {
        /* labels may hold NUL bytes: their lengths are the dictionary's, never strlen's */
        size_t n = ess_label_key(ess_dict_string(d, (int32_t)k), d->lengths[k], keys + used);
        if ((n == 0) != (key_of[k] < 0))
            abort();
        for (size_t j = 0; n && j < k; j++)   /* the same key code exactly when the same key */
            if (targets[j] && key_of[j] >= 0 &&
                (key_of[j] == key_of[k]) != (lens[j] == n && memcmp(targets[j], keys + used, n) == 0))
                abort();
        targets[k] = n ? keys + used : NULL;
        lens[k] = n;
        used += n + 1;
    }
    ess_ledger *r = NULL;
    if (ess_ledger_relabel(l, 0, targets, lens, &r, &err) != ESS_OK || r->nrows != rows)
        abort();
    int64_t again_total = 0;
    if (ess_ledger_total(r, &again_total) != ESS_OK || again_total != total)
        abort();
    for (size_t i = 0; i < rows; i++) {
        int32_t old = ((int32_t *)l->columns[0].data)[i], now = ((int32_t *)r->columns[0].data)[i];
        if ((old < 0) != (now < 0))
            abort();
        if (old < 0)
            continue;
        const char *want = targets[old] ? targets[old] : ess_dict_string(d, old);
        size_t want_len = targets[old] ? lens[old] : d->lengths[old];
        const char *got = ess_dict_string(&r->columns[0].dict, now);
        if (r->columns[0].dict.lengths[now] != want_len || memcmp(got, want, want_len) != 0)
            abort();
    }
    ess_ledger_free(r);
    ess_ledger_free(l);
    free(key_of);
    free(targets);
    free(lens);
    free(keys);
    free(out);
    free(again);
    return 0;
}
