/*
 * relabel.c -- one beneficiary, one name: the key under which two spellings of a label are
 * probably the same entity ("Département du Lot", "DEPARTEMENT DU LOT", "Departement  du Lot"),
 * and the rewrite of a label column that merges spellings into one label.
 *
 * Layer: tables (calls ledger.c and the base: dict.c, error.c).  Workload: a label column of a
 * grant file holds a few hundred to a million distinct names over millions of rows: keys are
 * computed once per distinct label (the dictionary), never per row; a relabel is one pass over
 * the column's int32 codes through a table of old code -> new code, the other columns copied
 * as they are (the amounts are never touched).
 *
 * The key of a label (ess_label_key) folds, in this order:
 *   - case and accents of the Latin script (text.c's ess_latin_fold: "é" -> "e", "Œ" -> "oe",
 *     "ß" -> "ss"), and a combining mark after a Latin letter is deleted (a decomposed "e" +
 *     U+0301 is "e" too); characters of other scripts are kept as they are (not folded);
 *   - a point is deleted ("S.A.R.L." -> "sarl", "Asso." -> "asso");
 *   - any other ASCII character that is neither a letter nor a digit, U+00A0..U+00BF, the
 *     multiplication and division signs, the General Punctuation block (U+2000..U+206F:
 *     typographic spaces, quotes, dashes, ellipsis) and a byte that is not UTF-8 separate
 *     words -- so a key is always valid UTF-8 and is its own key;
 *   - the words that only say a legal form (legal_forms below) are dropped, unless nothing
 *     else is left ("SA" alone stays "sa");
 *   - the words left are joined with nothing between them, so spacing does not count
 *     ("Art Eco" and "Arteco" have one key).
 * A label with no letter or digit has the empty key: it is like no other.
 *
 * Invariants: a key is never longer than its label (every rule shortens or keeps the bytes of
 * a character); keys are codes of a dictionary of their own, in order of first sight; a
 * relabelled ledger has the same rows, columns and amounts as its source, and each row's
 * label is the target of its old label (or the old label when it has none).
 */
#include "internal.h"

#include <assert.h>
#include <string.h>

/* Words that say only what legal form an organisation has, which files write or leave out
 * ("Association Les Amis" / "Les Amis", "SCOP SARL Atelier" / "Atelier"), folded.  Not
 * "fondation", "société", "groupement", "union" or "fédération": those words are part of names
 * ("Fondation de France", "Union régionale des Scop") and dropping them would merge entities. */
static const char *const legal_forms[] = {
    "association", "asso", "assoc", "sarl", "sas", "sasu", "sa", "scop", "scic", "eurl",
};

/* The code point at s (n > 0 bytes) and its byte length; an invalid byte is taken alone, as
 * code point -1. */
static size_t next_code_point(const unsigned char *s, size_t n, long *cp)
{
    unsigned char b = s[0];
    size_t len = b < 0x80 ? 1 : (b >> 5) == 0x6 ? 2 : (b >> 4) == 0xE ? 3 : (b >> 3) == 0x1E ? 4 : 0;
    if (len == 0 || len > n) {
        *cp = -1;
        return 1;
    }
    long v = len == 1 ? b : len == 2 ? (b & 0x1F) : len == 3 ? (b & 0x0F) : (b & 0x07);
    for (size_t k = 1; k < len; k++) {
        if ((s[k] & 0xC0) != 0x80) {
            *cp = -1;
            return 1;
        }
        v = (v << 6) | (s[k] & 0x3F);
    }
    *cp = v;
    return len;
}

static int is_legal_form(const char *word, size_t len)
{
    for (size_t k = 0; k < sizeof legal_forms / sizeof *legal_forms; k++)
        if (strlen(legal_forms[k]) == len && memcmp(legal_forms[k], word, len) == 0)
            return 1;
    return 0;
}

/* Is cp a combining diacritical mark (the Unicode blocks named so: what NFD leaves of the
 * accents of Latin letters)?  The same blocks conditions.py strips for ignore_accents. */
static int is_combining_mark(long cp)
{
    return (cp >= 0x300 && cp <= 0x36F) || (cp >= 0x1AB0 && cp <= 0x1AFF) ||
           (cp >= 0x1DC0 && cp <= 0x1DFF) || (cp >= 0x20D0 && cp <= 0x20FF) ||
           (cp >= 0xFE20 && cp <= 0xFE2F);
}

/* The label's words, folded, one space between them, into out (room for len + 1): returns
 * the length written. */
static size_t fold_words(const char *text, size_t len, char *out)
{
    const unsigned char *s = (const unsigned char *)text;
    size_t o = 0, i = 0;
    int in_word = 0;
    int after_latin = 0;               /* the last character kept was folded as Latin */
    while (i < len) {
        long cp;
        size_t w = next_code_point(s + i, len - i, &cp);
        const char *folded;            /* what the character becomes inside a word */
        char one[2] = {0, 0};
        if (cp == '.') {               /* deleted: abbreviations read as one word */
            i += w;
            continue;
        }
        if ((after_latin || !in_word) && is_combining_mark(cp)) {
            /* a decomposed accent ("e" + U+0301, as macOS writes names): deleted, as the
             * precomposed letter's accent is folded -- else the NFD and NFC spellings of one
             * name had two keys.  A mark starting a word combines with nothing and is deleted
             * too: kept, the words joined put it after the previous word's letter, and the key
             * of the key lost it (a key must be its own key: fuzz_names) */
            i += w;
            continue;
        }
        if (cp >= 0 && cp < 0x80) {
            if ((cp >= 'a' && cp <= 'z') || (cp >= '0' && cp <= '9'))
                one[0] = (char)cp;
            else if (cp >= 'A' && cp <= 'Z')
                one[0] = (char)(cp - 'A' + 'a');
            folded = one;              /* "" for a separator */
        } else if (cp >= 0xC0 && cp <= 0x17F) {
            folded = ess_latin_fold(cp);
        } else if (cp < 0 || (cp >= 0xA0 && cp <= 0xBF) || (cp >= 0x2000 && cp <= 0x206F)) {
            folded = "";               /* an invalid byte is no letter either */
        } else {
            folded = NULL;             /* another script: kept as it is */
        }
        after_latin = folded != NULL && folded[0] != '\0';
        if (folded != NULL && folded[0] == '\0') {
            in_word = 0;
        } else {
            if (!in_word && o > 0)
                out[o++] = ' ';
            in_word = 1;
            if (folded == NULL) {
                memcpy(out + o, s + i, w);
                o += w;
            } else {
                size_t f = strlen(folded);
                memcpy(out + o, folded, f);
                o += f;
            }
        }
        i += w;
        /* a key never outgrows its label: each character gives at most its own bytes, and a
         * space is written only in place of a separator or a point already read */
        assert(o <= i);
    }
    out[o] = '\0';
    return o;
}

size_t ess_label_key(const char *text, size_t len, char *out)
{
    size_t n = fold_words(text, len, out);
    /* joined in place: the write position never passes the word being read, and a pass that
     * kept nothing moved nothing, so the second pass (legal forms kept) reads the words intact */
    size_t o = 0, kept = 0;
    for (int keep_legal = 0; keep_legal < 2 && kept == 0; keep_legal++) {
        o = 0;
        for (size_t start = 0; start < n;) {
            size_t end = start;
            while (end < n && out[end] != ' ')
                end++;
            if (keep_legal || !is_legal_form(out + start, end - start)) {
                memmove(out + o, out + start, end - start);
                o += end - start;
                kept++;
            }
            start = end + 1;
        }
    }
    out[o] = '\0';
    return o;
}

int ess_dict_label_keys(const ess_dict *d, int32_t *key_of_code, size_t *nkeys, ess_error *err)
{
    ess_dict keys;
    memset(&keys, 0, sizeof keys);
    size_t longest = 0;
    for (size_t k = 0; k < d->count; k++)
        if (d->lengths[k] > longest)
            longest = d->lengths[k];
    char *scratch = ess_malloc(longest + 1);
    if (scratch == NULL)
        goto nomem;
    for (size_t k = 0; k < d->count; k++) {
        size_t n = ess_label_key(d->arena + d->offsets[k], d->lengths[k], scratch);
        key_of_code[k] = n ? ess_dict_intern(&keys, scratch, n) : -1;
        if (n && key_of_code[k] < 0)
            goto nomem;
    }
    *nkeys = keys.count;
    ess_free(scratch);
    ess_dict_clear(&keys);
    return ESS_OK;
nomem:
    ess_free(scratch);
    ess_dict_clear(&keys);
    return ess_error_set(err, ESS_ENOMEM, 0, 0, "out of memory folding the labels");
}

int ess_ledger_relabel(const ess_ledger *l, int column, const char *const *targets,
                       const size_t *target_lens, ess_ledger **out, ess_error *err)
{
    *out = NULL;
    if (column < 0 || (size_t)column >= l->ncolumns || l->columns[column].kind != ESS_COL_LABEL)
        return ess_error_set(err, ESS_EINVAL, 0, 0, "relabel needs a label column");
    const ess_dict *old = &l->columns[column].dict;
    int32_t *new_code = ess_malloc((old->count ? old->count : 1) * sizeof *new_code);
    ess_ledger *r = ess_ledger_new();
    if (new_code == NULL || r == NULL)
        goto nomem;
    for (size_t c = 0; c < l->ncolumns; c++) {
        const ess_column *src = &l->columns[c];
        if (ess_ledger_add_column(r, src->name, src->kind) < 0)
            goto nomem;   /* names and kinds are a ledger's own: only memory can fail */
        r->columns[c].date_order = src->date_order;   /* its dates unchanged */
        if (src->kind == ESS_COL_LABEL && (int)c != column &&
            ess_dict_copy(&r->columns[c].dict, &src->dict))
            goto nomem;
    }
    /* the new dictionary in the old one's order, each label replaced by its target: a target
     * that is another label of the column merges the two codes into one */
    ess_dict *merged = &r->columns[column].dict;
    for (size_t k = 0; k < old->count; k++) {
        const char *text = targets[k] ? targets[k] : old->arena + old->offsets[k];
        size_t len = targets[k] ? target_lens[k] : old->lengths[k];
        if ((new_code[k] = ess_dict_intern(merged, text, len)) < 0)
            goto nomem;
    }
    if (ess_ledger_reserve(r, l->nrows ? l->nrows : 1))
        goto nomem;
    for (size_t c = 0; c < l->ncolumns; c++)
        if ((int)c != column)
            memcpy(r->columns[c].data, l->columns[c].data,
                   l->nrows * ess_column_width(l->columns[c].kind));
    const int32_t *codes = l->columns[column].data;
    int32_t *recoded = r->columns[column].data;
    for (size_t i = 0; i < l->nrows; i++)
        recoded[i] = codes[i] < 0 ? codes[i] : new_code[codes[i]];
    r->nrows = l->nrows;
    r->blank_rows = l->blank_rows;
    r->encoding = l->encoding;
    ess_free(new_code);
    *out = r;
    return ESS_OK;
nomem:
    ess_free(new_code);
    ess_ledger_free(r);
    return ess_error_set(err, ESS_ENOMEM, 0, 0, "out of memory relabelling the ledger");
}
