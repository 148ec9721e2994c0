/*
 * text.c -- what every reader means by a blank cell, a trimmed cell and a case-folded name: one
 * definition, so a label, an integer, a date and a header name are trimmed alike ("\t2017" is
 * 2017 in an int column as in a date column).
 *
 * Layer: base (calls error.c only).  Bytes of UTF-8: besides ASCII white space, the no-break,
 * narrow, thin and figure spaces count as space; no byte of another sequence is a space or an
 * ASCII letter, so they pass through untouched.
 *
 * Invariants: trimming never grows a text and never moves its end past the start.  Folding a
 * text maps 'A'..'Z' to 'a'..'z' and the capitals of French and the other Latin-1 languages
 * (U+00C0..U+00DE but U+00D7, U+0152 and U+0178: "É" to "é", "Œ" to "œ", "Ÿ" to "ÿ") to their
 * small letters, each in the same number of bytes, so a folded text is exactly as long as the
 * text; every other byte is itself.  ess_text_fold alone is the ASCII part, for matching
 * ASCII words (units, "total") byte by byte.  The sort key of a label (ess_text_sort_key) folds
 * the accents away too, for the order names are listed in; it is never longer than the label.
 */
#include "internal.h"

#include <assert.h>
#include <string.h>

/* Bytes of the space that starts s (0: none): ASCII white space, or the spaces tables print
 * between digits and around cells -- U+00A0 no-break, U+202F narrow no-break, U+2009 thin,
 * U+2007 figure. */
static size_t space_at(const unsigned char *s, size_t n)
{
    if (n >= 1 && (s[0] == ' ' || s[0] == '\t' || s[0] == '\r' || s[0] == '\n'))
        return 1;
    if (n >= 2 && s[0] == 0xC2 && s[1] == 0xA0)
        return 2;
    if (n >= 3 && s[0] == 0xE2 && s[1] == 0x80 && (s[2] == 0xAF || s[2] == 0x89 || s[2] == 0x87))
        return 3;
    return 0;
}

/* Bytes of the space that ends s[0..n) (0: none).  Read from its last byte, so the common
 * case -- a cell that ends in a digit or a letter -- costs one test (every reader calls this
 * on every cell). */
static size_t space_before(const unsigned char *s, size_t n)
{
    if (n == 0)
        return 0;
    unsigned char last = s[n - 1];
    if (last == ' ' || last == '\t' || last == '\r' || last == '\n')
        return 1;
    if (last == 0xA0)
        return n >= 2 && s[n - 2] == 0xC2 ? 2 : 0;
    if (last == 0xAF || last == 0x89 || last == 0x87)
        return n >= 3 && s[n - 3] == 0xE2 && s[n - 2] == 0x80 ? 3 : 0;
    return 0;
}

size_t ess_text_trim_end(const char *text, size_t len)
{
    size_t w;
    while ((w = space_before((const unsigned char *)text, len)) > 0)
        len -= w;
    return len;
}

int ess_text_is_blank(const char *text, size_t len)
{
    const unsigned char *s = (const unsigned char *)text;
    size_t w;
    while (len > 0) {   /* ends at the first byte that is no space: a cell is seldom blank */
        if ((w = space_at(s, len)) == 0)
            return 0;
        s += w;
        len -= w;
    }
    return 1;
}

void ess_text_trim(const char **text, size_t *len)
{
    const unsigned char *s = (const unsigned char *)*text;
    size_t n = *len, w;
    assert(s != NULL || n == 0);
    while ((w = space_at(s, n)) > 0) {
        s += w;
        n -= w;
    }
    n = ess_text_trim_end((const char *)s, n);
    assert(n <= *len);
    *text = (const char *)s;
    *len = n;
}

int ess_text_excel_unwrap(const char **text, size_t *len)
{
    const char *s = *text;
    size_t n = *len;
    if (n < 3 || s[0] != '=' || s[1] != '"' || s[n - 1] != '"' ||
        memchr(s + 2, '"', n - 3) != NULL)
        return 0;
    s += 2;
    n -= 3;
    ess_text_trim(&s, &n);
    *text = s;
    *len = n;
    return 1;
}

int ess_text_fold(int c) { return (c >= 'A' && c <= 'Z') ? c + ('a' - 'A') : c; }

size_t ess_text_fold_at(const char *text, size_t len, char folded[2])
{
    const unsigned char *s = (const unsigned char *)text;
    assert(len > 0);
    if (len < 2 || s[0] < 0xC2 || s[0] > 0xDF || (s[1] & 0xC0) != 0x80) {
        folded[0] = (char)ess_text_fold(s[0]);   /* ASCII, or a byte of a longer sequence */
        return 1;
    }
    /* a two-byte character, read whole so that two texts fold in step */
    folded[0] = (char)s[0];
    folded[1] = (char)s[1];
    if (s[0] == 0xC3 && s[1] <= 0x9E && s[1] != 0x97)
        folded[1] = (char)(s[1] + 0x20);   /* U+00C0..U+00DE but the sign x: small is +0x20 */
    else if (s[0] == 0xC5 && s[1] == 0x92)
        folded[1] = (char)0x93;            /* the OE ligature */
    else if (s[0] == 0xC5 && s[1] == 0xB8)
        folded[0] = (char)0xC3, folded[1] = (char)0xBF;   /* Y with diaeresis -> U+00FF */
    return 2;
}

char *ess_text_folded_copy(const char *text, size_t len)
{
    char *folded = ess_strndup(text, len);
    if (folded != NULL)
        for (size_t i = 0; i < len;)
            i += ess_text_fold_at(text + i, len - i, folded + i);
    return folded;
}

int ess_text_buf_put(ess_text_buf *b, const char *p, size_t n)
{
    if (b->len + n + 1 > b->cap) {
        size_t cap = b->cap ? b->cap : 256;
        while (cap < b->len + n + 1) {
            if (cap > SIZE_MAX / 2)
                return ESS_ENOMEM;
            cap *= 2;
        }
        char *grown = ess_realloc(b->data, cap);
        if (grown == NULL)
            return ESS_ENOMEM;
        b->data = grown;
        b->cap = cap;
    }
    memcpy(b->data + b->len, p, n);
    b->len += n;
    return ESS_OK;
}

/* U+00C0..U+017F folded to ASCII: NFKD without its combining marks, in lower case; the letters
 * Unicode does not decompose spelt as French writes them out (æ ae, œ oe, ß ss, ø o, ł l, đ d).
 * "" for × and ÷ (no letter: a name key reads them as separating words). */
static const char *const latin_fold[0x180 - 0xC0] = {
    /* U+00C0 */ "a", "a", "a", "a", "a", "a", "ae", "c", "e", "e", "e", "e", "i", "i", "i", "i",
    /* U+00D0 */ "d", "n", "o", "o", "o", "o", "o", "", "o", "u", "u", "u", "u", "y", "th", "ss",
    /* U+00E0 */ "a", "a", "a", "a", "a", "a", "ae", "c", "e", "e", "e", "e", "i", "i", "i", "i",
    /* U+00F0 */ "d", "n", "o", "o", "o", "o", "o", "", "o", "u", "u", "u", "u", "y", "th", "y",
    /* U+0100 */ "a", "a", "a", "a", "a", "a", "c", "c", "c", "c", "c", "c", "c", "c", "d", "d",
    /* U+0110 */ "d", "d", "e", "e", "e", "e", "e", "e", "e", "e", "e", "e", "g", "g", "g", "g",
    /* U+0120 */ "g", "g", "g", "g", "h", "h", "h", "h", "i", "i", "i", "i", "i", "i", "i", "i",
    /* U+0130 */ "i", "i", "ij", "ij", "j", "j", "k", "k", "k", "l", "l", "l", "l", "l", "l", "l",
    /* U+0140 */ "l", "l", "l", "n", "n", "n", "n", "n", "n", "n", "ng", "ng", "o", "o", "o", "o",
    /* U+0150 */ "o", "o", "oe", "oe", "r", "r", "r", "r", "r", "r", "s", "s", "s", "s", "s", "s",
    /* U+0160 */ "s", "s", "t", "t", "t", "t", "t", "t", "u", "u", "u", "u", "u", "u", "u", "u",
    /* U+0170 */ "u", "u", "u", "u", "w", "w", "y", "y", "y", "z", "z", "z", "z", "z", "z", "s",
};

const char *ess_latin_fold(long cp)
{
    return cp >= 0xC0 && cp < 0x180 ? latin_fold[cp - 0xC0] : NULL;
}

/* The first level of the order French readers expect of names: the text with the case and the
 * accents of the Latin script folded (ess_latin_fold), every other byte kept -- spaces,
 * punctuation, digits, other scripts, bytes that are not UTF-8 -- so "école" sorts with "Ecole",
 * before "Zèbre"; combining marks (a decomposed accent) are dropped.  Never longer than the text (each character folds into at most its bytes). */
size_t ess_text_sort_key(const char *text, size_t len, char *out)
{
    const unsigned char *s = (const unsigned char *)text;
    size_t o = 0;
    for (size_t i = 0; i < len;) {
        if (s[i] < 0x80) {
            out[o++] = (char)ess_text_fold(s[i++]);
            continue;
        }
        /* a two-byte sequence C3 80..C5 BF is U+00C0..U+017F */
        if (i + 1 < len && s[i] >= 0xC3 && s[i] <= 0xC5 && (s[i + 1] & 0xC0) == 0x80) {
            const char *folded = ess_latin_fold(((long)(s[i] & 0x1F) << 6) | (s[i + 1] & 0x3F));
            size_t f = strlen(folded);
            memcpy(out + o, folded, f);
            o += f;
            i += 2;
            continue;
        }
        /* a combining mark, U+0300..U+036F (CC 80..CD AF): a decomposed accent ("e" and
         * U+0301, as macOS writes "é") weighs nothing at this level, as the precomposed one */
        if (i + 1 < len && (s[i] == 0xCC || (s[i] == 0xCD && s[i + 1] <= 0xAF)) &&
            (s[i + 1] & 0xC0) == 0x80) {
            i += 2;
            continue;
        }
        out[o++] = (char)s[i++];
    }
    assert(o <= len);
    return o;
}
