/*
 * csv.c -- bytes to cells: encoding detection, delimiter sniffing, quotes, and the line and
 * character column of every cell.
 *
 * The files analysts really have: CP1252 exports from Excel, ';' or tab separated, CRLF
 * records with bare LF inside quoted cells, a UTF-8 BOM (sometimes in front of a CP1252 body),
 * UTF-16LE "Unicode text" from Excel.  Everything is decoded to UTF-8 once, then tokenized in
 * one pass; nothing is dropped: a blank line is reported as a record with no field, and the
 * caller decides what it means.
 *
 * Layer: tables, the lowest (calls error.c, text.c and scan.h only): the cells every reader starts
 * from.
 *
 * Invariants: line numbers count every line ending of the decoded text (CRLF, LF or lone CR,
 * also inside quoted cells); columns count characters, not bytes, from 1.
 */
#include "internal.h"
#include "scan.h"

#include <string.h>

const char *ess_encoding_name(ess_encoding enc)
{
    switch (enc) {
    case ESS_ENC_UTF8: return "utf-8";
    case ESS_ENC_UTF8_BOM: return "utf-8-sig";
    case ESS_ENC_CP1252: return "cp1252";
    case ESS_ENC_CP1252_BOM: return "utf-8 BOM + cp1252";
    case ESS_ENC_UTF16LE: return "utf-16-le";
    case ESS_ENC_UTF16BE: return "utf-16-be";
    case ESS_ENC_MIXED: return "utf-8 + cp1252";
    default: return "auto";
    }
}

/* CP1252's 0x80..0x9F; 0 marks the five bytes it leaves undefined. */
static const uint16_t cp1252_high[32] = {
    0x20AC, 0,      0x201A, 0x0192, 0x201E, 0x2026, 0x2020, 0x2021, 0x02C6, 0x2030, 0x0160,
    0x2039, 0x0152, 0,      0x017D, 0,      0,      0x2018, 0x2019, 0x201C, 0x201D, 0x2022,
    0x2013, 0x2014, 0x02DC, 0x2122, 0x0161, 0x203A, 0x0153, 0,      0x017E, 0x0178};

static size_t put_utf8(char *out, uint32_t c)
{
    if (c < 0x80) {
        out[0] = (char)c;
        return 1;
    }
    if (c < 0x800) {
        out[0] = (char)(0xC0 | (c >> 6));
        out[1] = (char)(0x80 | (c & 0x3F));
        return 2;
    }
    if (c < 0x10000) {
        out[0] = (char)(0xE0 | (c >> 12));
        out[1] = (char)(0x80 | ((c >> 6) & 0x3F));
        out[2] = (char)(0x80 | (c & 0x3F));
        return 3;
    }
    out[0] = (char)(0xF0 | (c >> 18));
    out[1] = (char)(0x80 | ((c >> 12) & 0x3F));
    out[2] = (char)(0x80 | ((c >> 6) & 0x3F));
    out[3] = (char)(0x80 | (c & 0x3F));
    return 4;
}

/* Length of the valid UTF-8 sequence at s[0..len), 0 if invalid (overlongs and surrogates are
 * invalid, as Python's decoder says). */
static size_t utf8_seq(const unsigned char *s, size_t len)
{
    unsigned char c = s[0];
    if (c < 0x80)
        return 1;
    if (c >= 0xC2 && c <= 0xDF)
        return (len >= 2 && (s[1] & 0xC0) == 0x80) ? 2 : 0;
    if (c >= 0xE0 && c <= 0xEF) {
        if (len < 3 || (s[1] & 0xC0) != 0x80 || (s[2] & 0xC0) != 0x80)
            return 0;
        if (c == 0xE0 && s[1] < 0xA0)
            return 0;
        if (c == 0xED && s[1] >= 0xA0)
            return 0;
        return 3;
    }
    if (c >= 0xF0 && c <= 0xF4) {
        if (len < 4 || (s[1] & 0xC0) != 0x80 || (s[2] & 0xC0) != 0x80 || (s[3] & 0xC0) != 0x80)
            return 0;
        if (c == 0xF0 && s[1] < 0x90)
            return 0;
        if (c == 0xF4 && s[1] >= 0x90)
            return 0;
        return 4;
    }
    return 0;
}

/* What a file that is not text is, by its first bytes, when it is a kind an analyst renames
 * .csv by mistake (or a server sends under that name): said instead of its first NUL alone. */
static const char *binary_kind(const unsigned char *b, size_t len, int *kind)
{
    static const struct { const char *magic; size_t n; int kind; const char *what; } kinds[] = {
        {"PK\x03\x04", 4, ESS_NOT_TEXT_ZIP,
         "a zip file (an Excel .xlsx workbook is one): save the sheet as CSV "
         "(a zip of one CSV file named .zip is read as its content)"},
        {"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", 8, ESS_NOT_TEXT_XLS,
         "an old Excel .xls workbook: save the sheet as CSV"},
        {"\x1f\x8b", 2, ESS_NOT_TEXT_GZIP,
         "gzip-compressed: name it .gz (grants.csv.gz) and it is read as its content"},
        {"BZh", 3, ESS_NOT_TEXT_BZIP2,
         "bzip2-compressed: name it .bz2 and it is read as its content"},
        {"\xfd" "7zXZ", 5, ESS_NOT_TEXT_XZ,
         "xz-compressed: name it .xz and it is read as its content"},
        {"%PDF", 4, ESS_NOT_TEXT_PDF, "a PDF document, not CSV text"},
    };
    for (size_t k = 0; k < sizeof kinds / sizeof *kinds; k++)
        if (len >= kinds[k].n && memcmp(b, kinds[k].magic, kinds[k].n) == 0) {
            *kind = kinds[k].kind;
            return kinds[k].what;
        }
    return NULL;
}

/* UTF-16 without its BOM (Excel's "Unicode text" as some tools save it): in the first bytes,
 * every code unit holds one NUL byte, always on the same side, and most are ASCII (the other
 * byte not NUL).  ESS_NOT_TEXT_UTF16LE or ..._UTF16BE, else -1.  Only asked of a text holding a
 * NUL: it was "a NUL byte at line 1, column 2", which said nothing of what to do. */
static int utf16_without_bom(const unsigned char *b, size_t len)
{
    size_t units = (len < 512 ? len : 512) / 2, odd = 0, even = 0;
    if (units < 2)
        return -1;
    for (size_t k = 0; k < units; k++) {
        if (b[2 * k] == 0 && b[2 * k + 1] == 0)
            return -1;   /* a zero code unit: no text */
        odd += b[2 * k + 1] == 0;
        even += b[2 * k] == 0;
    }
    if (even == 0 && odd * 4 >= units * 3)
        return ESS_NOT_TEXT_UTF16LE;
    if (odd == 0 && even * 4 >= units * 3)
        return ESS_NOT_TEXT_UTF16BE;
    return -1;
}

/* A NUL at line:col of the file b[0, len): refused, saying what the file is when its first
 * bytes tell (its kind in detail_n, for a host to word in its reader's language). */
static int nul_refused(const unsigned char *b, size_t len, long line, long col, ess_error *err)
{
    int kind = utf16_without_bom(b, len);
    if (kind >= 0) {
        int rc = ess_error_set(err, ESS_EFORMAT, 1, 1,
                               "this file is UTF-16 text without its byte order mark (every "
                               "other byte is NUL, as Excel's 'Unicode text' saves it), not "
                               "UTF-8: save the sheet as 'CSV UTF-8' in Excel (File > Save As), "
                               "or read it with encoding='%s'",
                               kind == ESS_NOT_TEXT_UTF16LE ? "utf-16-le" : "utf-16-be");
        if (err != NULL) {
            err->detail = ESS_NOT_TEXT_FILE;
            err->detail_n = kind;
        }
        return rc;
    }
    const char *what = binary_kind(b, len, &kind);
    if (what != NULL) {
        int rc = ess_error_set(err, ESS_EFORMAT, 1, 1, "this is not a text file but %s", what);
        if (err != NULL) {
            err->detail = ESS_NOT_TEXT_FILE;
            err->detail_n = kind;
        }
        return rc;
    }
    int rc = ess_error_set(err, ESS_EFORMAT, line, col,
                           "a NUL byte at line %ld, column %ld: this is not a text file", line, col);
    if (err != NULL)
        err->detail = ESS_NUL_BYTE;
    return rc;
}

/* Where is byte offset `at` of bytes?  1-based line and character column, counted as UTF-8
 * (or one character a byte when single_byte). */
static void locate(const unsigned char *b, size_t at, int single_byte, long *line, long *col)
{
    long l = 1, c = 1;
    for (size_t i = 0; i < at; i++) {
        if (b[i] == '\n' || (b[i] == '\r' && (i + 1 >= at || b[i + 1] != '\n'))) {
            l++;
            c = 1;
        } else if (b[i] == '\r') {
            /* CR of CRLF: the LF ends the line */
        } else if (single_byte || (b[i] & 0xC0) != 0x80) {
            c++;
        }
    }
    *line = l;
    *col = c;
}

/* internal.h: the byte order a UTF-16 BOM says, or ESS_ENC_AUTO */
ess_encoding ess_utf16_bom(const unsigned char *b, size_t len)
{
    if (len >= 2 && b[0] == 0xFF && b[1] == 0xFE)
        return ESS_ENC_UTF16LE;
    if (len >= 2 && b[0] == 0xFE && b[1] == 0xFF)
        return ESS_ENC_UTF16BE;
    return ESS_ENC_AUTO;
}

/* internal.h: the bytes of the UTF-8 BOMs b starts with -- 3 for one, more when each program
 * that saved the file put its own -- or 0 */
size_t ess_utf8_boms(const unsigned char *b, size_t len)
{
    size_t n = 0;
    while (len - n >= 3 && b[n] == 0xEF && b[n + 1] == 0xBB && b[n + 2] == 0xBF)
        n += 3;
    return n;
}

static int utf8_valid_prefix(const unsigned char *b, size_t len, size_t *bad_at)
{
#ifdef ESS_SCAN_HAVE_AVX2
    /* valid text -- nearly every text read -- is decided 32 bytes a step, whatever its accents;
     * invalid text is walked below, to find where */
    if (ess_scan_with == ESS_SCAN_AVX2 && ess_utf8_valid_avx2(b, len, 0))
        return 1;
#endif
    size_t i = 0;
    while (i < len) {
        /* ASCII runs, 16 or 32 bytes at a time (scan.h): most of a CSV file */
        i += ess_scan_ascii(b + i, len - i);
        if (i >= len)
            break;
        /* the accents of French names (é, è, à, ç: two bytes) without a call; as utf8_seq */
        if (b[i] >= 0xC2 && b[i] <= 0xDF && i + 1 < len && (b[i + 1] & 0xC0) == 0x80) {
            i += 2;
            continue;
        }
        size_t n = utf8_seq(b + i, len - i);
        if (n == 0) {
            *bad_at = i;
            return 0;
        }
        i += n;
    }
    return 1;
}

int ess_utf8_valid(const char *bytes, size_t len, size_t *bad_at)
{
    *bad_at = 0;
    return utf8_valid_prefix((const unsigned char *)bytes, len, bad_at);
}

/* The evidence of the whole text: its valid multi-byte UTF-8 sequences and its bytes that
 * are not UTF-8.  One stray CP1252 byte among 60 000 "Région" is a UTF-8 file with one odd
 * byte, not a CP1252 file. */
static void utf8_evidence(const unsigned char *b, size_t len, size_t *sequences, size_t *odd)
{
    size_t i = 0;
    *sequences = *odd = 0;
    while (i < len) {
        if (b[i] < 0x80) {   /* an ASCII run, 16 or 32 bytes a step (scan.h) */
            i += ess_scan_ascii(b + i, len - i);
            continue;
        }
        size_t n = utf8_seq(b + i, len - i);
        if (n == 0) {
            (*odd)++;
            i++;
        } else {
            (*sequences)++;
            i += n;
        }
    }
}

/* Past the ASCII run at b[i] (16 or 32 bytes a step), a line ending at a time: its lines as the
 * tokenizer counts them -- CRLF, LF or a lone CR, the CR of a CRLF neither a line nor a column
 * -- and the columns of the last one counted into *line and *col. */
static size_t past_ascii_run(const unsigned char *b, size_t len, size_t i, long *line, long *col)
{
    size_t end = i + ess_scan_ascii(b + i, len - i);
    while (i < end) {
        size_t plain = ess_scan3((const char *)b + i, end - i, '\n', '\r', '\n');
        *col += (long)plain;
        i += plain;
        if (i == end)
            break;
        if (b[i] == '\n' || i + 1 >= len || b[i + 1] != '\n') {
            (*line)++;
            *col = 1;
        }
        i++;
    }
    return i;
}

size_t ess_mixed_places(const char *bytes, size_t len, ess_odd_place *places, size_t max,
                        int *odd_are_cp1252)
{
    const unsigned char *b = (const unsigned char *)bytes;
    size_t skip = ess_utf8_boms(b, len);
    size_t sequences, odd;
    *odd_are_cp1252 = 1;
    size_t bad;
    if (ess_utf16_bom(b, len) != ESS_ENC_AUTO || utf8_valid_prefix(b + skip, len - skip, &bad))
        return 0;   /* UTF-16, or UTF-8 throughout (checked eight bytes at a time) */
    utf8_evidence(b + skip, len - skip, &sequences, &odd);
    if (sequences == 0 || odd == 0)
        return 0;
    *odd_are_cp1252 = odd <= sequences;
    /* The evidence's walk steps as this one: the minority's count is known, and the walk stops
     * at the max-th place.  It goes over ASCII 16 or 32 bytes a step, and over a line to its
     * ending (a 2e6-row French export, half in each encoding: 82-91 ms a byte at a time over
     * the whole file before, 29-39 ms now, 2026-11-29). */
    long line = 1, col = 1;
    size_t found = 0;
    for (size_t i = skip; i < len && found < max;) {
        if (b[i] < 0x80) {
            i = past_ascii_run(b, len, i, &line, &col);
            continue;
        }
        size_t n = utf8_seq(b + i, len - i);
        if ((n == 0) == *odd_are_cp1252) {
            places[found].line = line;
            places[found].column = col;
            places[found].byte = b[i];
            found++;
        }
        col++;
        i += n == 0 ? 1 : n;
    }
    return *odd_are_cp1252 ? odd : sequences;
}

void ess_mixed_tally_piece(const char *bytes, size_t len, ess_odd_place *cp1252_at,
                           ess_odd_place *utf8_at, size_t max, ess_mixed_tally *tally)
{
    const unsigned char *b = (const unsigned char *)bytes;
    memset(tally, 0, sizeof *tally);
    long line = 1, col = 1;
    for (size_t i = 0; i < len;) {
        if (b[i] < 0x80) {
            i = past_ascii_run(b, len, i, &line, &col);
            continue;
        }
        size_t n = utf8_seq(b + i, len - i);
        size_t *count = n == 0 ? &tally->cp1252 : &tally->utf8;
        size_t *placed = n == 0 ? &tally->cp1252_placed : &tally->utf8_placed;
        ess_odd_place *at = n == 0 ? cp1252_at : utf8_at;
        if (*placed < max) {
            at[*placed].line = line;
            at[*placed].column = col;
            at[*placed].byte = b[i];
            (*placed)++;
        }
        (*count)++;
        col++;
        i += n == 0 ? 1 : n;
    }
    tally->lines = line - 1;
}

int ess_decode(const char *bytes, size_t len, ess_encoding enc, char **out, size_t *out_len,
               ess_encoding *used, ess_error *err)
{
    const char *text;
    int rc = ess_decode_borrow(bytes, len, enc, &text, out_len, out, used, err);
    if (rc == ESS_OK && *out == NULL) {
        /* valid UTF-8: the caller wants its own copy */
        if ((*out = ess_strndup(text, *out_len)) == NULL)
            return ess_error_set(err, ESS_ENOMEM, 0, 0, "out of memory decoding the text");
    }
    return rc;
}

/* Code unit u of UTF-16 text at b, in either byte order. */
static inline uint32_t utf16_unit(const unsigned char *b, size_t u, int big_endian)
{
    return big_endian ? (uint32_t)b[2 * u] << 8 | b[2 * u + 1]
                      : (uint32_t)b[2 * u] | (uint32_t)b[2 * u + 1] << 8;
}

/* UTF-16 (after its BOM, if any; big_endian as the BOM or the caller says) decoded into an
 * owned UTF-8 copy; an unpaired surrogate or a NUL is refused with its line and column. */
static int decode_utf16(const unsigned char *b, size_t len, int big_endian, char **owned,
                        const char **text, size_t *text_len, ess_error *err)
{
    size_t skip = ess_utf16_bom(b, len) != ESS_ENC_AUTO ? 2 : 0;
    if ((len - skip) % 2)
        return ess_error_set(err, ESS_EFORMAT, 0, 0,
                             "an odd number of bytes cannot be UTF-16 text");
    size_t units = (len - skip) / 2;
    if (units > SIZE_MAX / 3 - 1)
        return ess_error_set(err, ESS_ENOMEM, 0, 0, "text too large");
    char *dst = ess_malloc(units * 3 + 1);
    if (dst == NULL)
        return ess_error_set(err, ESS_ENOMEM, 0, 0, "out of memory decoding the text");
    size_t o = 0;
    long line = 1, col = 1;
    for (size_t u = 0; u < units; u++) {
        uint32_t c = utf16_unit(b + skip, u, big_endian);
        if (c >= 0xD800 && c <= 0xDBFF && u + 1 < units) {
            uint32_t d = utf16_unit(b + skip, u + 1, big_endian);
            if (d >= 0xDC00 && d <= 0xDFFF) {
                c = 0x10000 + ((c - 0xD800) << 10) + (d - 0xDC00);
                u++;
            }
        }
        if ((c >= 0xD800 && c <= 0xDFFF) || c == 0) {
            ess_free(dst);
            return ess_error_set(err, ESS_EFORMAT, line, col,
                                 c ? "an unpaired UTF-16 surrogate at line %ld, column %ld"
                                   : "a NUL character at line %ld, column %ld",
                                 line, col);
        }
        if (c == '\n') {
            line++;
            col = 1;
        } else {
            col++;
        }
        o += put_utf8(dst + o, c);
    }
    dst[o] = '\0';
    *owned = dst;
    *text_len = o;
    *text = dst;
    return ESS_OK;
}

enum { CP1252_PLAIN, CP1252_MIXED, CP1252_UNMIXED };   /* how decode_cp1252 takes UTF-8 */

/* CP1252 bytes into UTF-8 at dst, which holds 3 bytes a byte: 1 and *out_len, or 0 and *bad_at
 * the offset of a NUL or of a byte CP1252 leaves undefined.  A valid UTF-8 sequence among them
 * is decoded byte by byte (CP1252_PLAIN), kept as it is (CP1252_MIXED), or refused with its
 * offset (CP1252_UNMIXED: up to the first one, this walk and utf8_evidence's step alike, so it
 * finds one exactly when the evidence counts one). */
static int decode_cp1252(const unsigned char *b, size_t len, int mixed, char *dst,
                         size_t *out_len, size_t *bad_at)
{
    size_t o = 0;
    /* A text without NUL (every text read) copies its ASCII runs whole, found 16 or 32 bytes a
     * step: in a French export they are most of it, between the accents and the NBSP of each
     * amount.  A NUL is left to the byte walk, which gives its place. */
    int runs = memchr(b, 0, len) == NULL;
    for (size_t i = 0; i < len; i++) {
        if (runs) {
            size_t run = ess_scan_ascii(b + i, len - i);
            memcpy(dst + o, b + i, run);
            o += run;
            i += run;
            if (i == len)
                break;
        }
        uint32_t c = b[i];
        size_t seq = (mixed != CP1252_PLAIN && c >= 0x80) ? utf8_seq(b + i, len - i) : 0;
        if (seq > 0 && mixed == CP1252_UNMIXED) {
            *bad_at = i;
            return 0;
        }
        if (seq > 0) {   /* a mixed text's valid UTF-8 sequence: kept as it is */
            memcpy(dst + o, b + i, seq);
            o += seq;
            i += seq - 1;
            continue;
        }
        if (c >= 0x80 && c < 0xA0)
            c = cp1252_high[c - 0x80];
        if (c == 0) {
            *bad_at = i;
            return 0;
        }
        o += put_utf8(dst + o, c);
    }
    *out_len = o;
    return 1;
}

static int decode_way(ess_cp1252_way way)
{
    return way == ESS_CP1252_FOUND ? CP1252_UNMIXED : way == ESS_CP1252_MIXED ? CP1252_MIXED
                                                                              : CP1252_PLAIN;
}

int ess_cp1252_text(const char *bytes, size_t len, ess_cp1252_way way, char **out,
                    size_t *out_len)
{
    size_t bad;
    *out = len < SIZE_MAX / 3 ? ess_malloc(3 * len + 1) : NULL;
    if (*out == NULL)
        return ESS_ENOMEM;
    if (!decode_cp1252((const unsigned char *)bytes, len, decode_way(way), *out, out_len, &bad)) {
        ess_free(*out);
        *out = NULL;
        return ESS_EFORMAT;
    }
    return ESS_OK;
}

/* decode_cp1252's walk, counting what it writes: a kept sequence is itself, any other byte its
 * CP1252 character (a text it decoded has no undefined byte) */
size_t ess_cp1252_bytes_before(const char *bytes, size_t len, ess_cp1252_way way, size_t decoded)
{
    const unsigned char *b = (const unsigned char *)bytes;
    char scratch[4];
    size_t i = 0, o = 0;
    while (i < len && o < decoded) {
        uint32_t c = b[i];
        size_t seq = way == ESS_CP1252_MIXED && c >= 0x80 ? utf8_seq(b + i, len - i) : 0;
        if (seq > 0) {
            o += seq;
            i += seq;
            continue;
        }
        if (c >= 0x80 && c < 0xA0)
            c = cp1252_high[c - 0x80];
        o += put_utf8(scratch, c);
        i++;
    }
    return i;
}

/* The encoding of a text not named: UTF-16 by its BOM, else UTF-8 when every byte sequence is
 * valid, else CP1252, or MIXED when valid UTF-8 sequences sit among CP1252 bytes.
 * *utf8_checked says the whole text was found valid UTF-8 (no second check needed). */
static ess_encoding detect_encoding(const unsigned char *b, size_t len, size_t boms,
                                    int *utf8_checked)
{
    ess_encoding utf16 = ess_utf16_bom(b, len);
    if (utf16 != ESS_ENC_AUTO)
        return utf16;
    size_t skip = boms, bad;
    int valid = utf8_valid_prefix(b + skip, len - skip, &bad);
    *utf8_checked = valid;
    if (valid)
        return boms ? ESS_ENC_UTF8_BOM : ESS_ENC_UTF8;
    size_t sequences, odd;
    utf8_evidence(b + skip, len - skip, &sequences, &odd);
    if (sequences > 0)
        return ESS_ENC_MIXED;
    return boms ? ESS_ENC_CP1252_BOM : ESS_ENC_CP1252;
}

ess_encoding ess_detect_encoding(const char *bytes, size_t len, int *utf8_checked)
{
    const unsigned char *b = (const unsigned char *)bytes;
    return detect_encoding(b, len, ess_utf8_boms(b, len), utf8_checked);
}

int ess_decode_borrow(const char *bytes, size_t len, ess_encoding enc, const char **text,
                      size_t *text_len, char **owned, ess_encoding *used, ess_error *err)
{
    int utf8_checked = 0;
    if (enc == ESS_ENC_AUTO)
        enc = ess_detect_encoding(bytes, len, &utf8_checked);
    return ess_decode_borrow_found(bytes, len, enc, utf8_checked, text, text_len, owned, used,
                                   err);
}

int ess_decode_borrow_found(const char *bytes, size_t len, ess_encoding enc, int utf8_checked,
                            const char **text, size_t *text_len, char **owned, ess_encoding *used,
                            ess_error *err)
{
    const unsigned char *b = (const unsigned char *)bytes;
    size_t skip = 0;
    const size_t boms = ess_utf8_boms(b, len);
    char **out = owned;
    size_t *out_len = text_len;
    *owned = NULL;
    *text = NULL;
    *text_len = 0;
    if (enc == ESS_ENC_UTF8 && boms)
        enc = ESS_ENC_UTF8_BOM;
    if (enc == ESS_ENC_CP1252 && boms)
        enc = ESS_ENC_CP1252_BOM;
    ess_encoding utf16 = ess_utf16_bom(b, len);
    /* Ctrl-Z (0x1A), DOS's end-of-file mark, as the very last byte (old exports append it): the
     * end of the file, not a row of its own nor a character of the last cell.  Anywhere else
     * it stays a character no cell has. */
    if (len > 0 && b[len - 1] == 0x1A && enc != ESS_ENC_UTF16LE && enc != ESS_ENC_UTF16BE &&
        utf16 == ESS_ENC_AUTO)
        len--;
    if ((enc == ESS_ENC_UTF16LE || enc == ESS_ENC_UTF16BE) && utf16 != ESS_ENC_AUTO)
        enc = utf16;   /* "utf-16" named, the BOM tells the order (as Python's) */
    if (enc == ESS_ENC_UTF8_BOM || enc == ESS_ENC_CP1252_BOM || enc == ESS_ENC_MIXED)
        skip = boms;
    *used = enc;

    if (enc == ESS_ENC_UTF8 || enc == ESS_ENC_UTF8_BOM) {
        size_t bad;
        if (!utf8_checked && !utf8_valid_prefix(b + skip, len - skip, &bad)) {
            long line, col;
            locate(b, skip + bad, 0, &line, &col);
            return ess_error_set(err, ESS_EFORMAT, line, col,
                                 "byte 0x%02X at line %ld, column %ld is not UTF-8",
                                 b[skip + bad], line, col);
        }
        const void *nul = memchr(b + skip, 0, len - skip);
        if (nul != NULL) {
            long line, col;
            locate(b, (size_t)((const unsigned char *)nul - b), 0, &line, &col);
            return nul_refused(b, len, line, col, err);
        }
        *text = bytes + skip;   /* borrowed: no copy of a large file */
        *text_len = len - skip;
        return ESS_OK;
    }

    if (enc == ESS_ENC_UTF16LE || enc == ESS_ENC_UTF16BE)
        return decode_utf16(b, len, enc == ESS_ENC_UTF16BE, owned, text, text_len, err);

    if (enc == ESS_ENC_CP1252 || enc == ESS_ENC_CP1252_BOM || enc == ESS_ENC_MIXED) {
        size_t n = len - skip;
        if (n > SIZE_MAX / 3 - 1)
            return ess_error_set(err, ESS_ENOMEM, 0, 0, "text too large");
        char *dst = ess_malloc(n * 3 + 1);
        if (dst == NULL)
            return ess_error_set(err, ESS_ENOMEM, 0, 0, "out of memory decoding the text");
        size_t o, i;
        if (!decode_cp1252(b + skip, n, enc == ESS_ENC_MIXED ? CP1252_MIXED : CP1252_PLAIN, dst,
                           &o, &i)) {
            long line, col;
            locate(b + skip, i, enc != ESS_ENC_MIXED, &line, &col);
            ess_free(dst);
            if (b[skip + i] == 0)
                return nul_refused(b, len, line, col, err);
            int rc = ess_error_set(err, ESS_EFORMAT, line, col,
                                   "byte 0x%02X at line %ld, column %ld is neither UTF-8 nor "
                                   "CP1252", b[skip + i], line, col);
            if (err != NULL) {
                err->detail = ESS_BYTE_NOT_TEXT;
                err->detail_n = b[skip + i];
            }
            return rc;
        }
        dst[o] = '\0';
        *out = dst;
        *out_len = o;
        *text = dst;
        return ESS_OK;
    }
    return ess_error_set(err, ESS_EINVAL, 0, 0, "unknown encoding %d", (int)enc);
}

/* Whether bytes are UTF-8 text as the decoder accepts it unchanged: every sequence valid, no
 * NUL.  A streaming reader checks each block with it (blocks end after a line ending, so no
 * sequence is cut) and leaves any other file to ess_decode_borrow, which words the errors. */
int ess_utf8_text(const char *bytes, size_t len)
{
#ifdef ESS_SCAN_HAVE_AVX2
    if (ess_scan_with == ESS_SCAN_AVX2)   /* one pass, the NUL looked for in it */
        return ess_utf8_valid_avx2((const unsigned char *)bytes, len, 1);
#endif
    size_t bad;
    if (!utf8_valid_prefix((const unsigned char *)bytes, len, &bad) || memchr(bytes, 0, len))
        return ESS_TEXT_NOT_UTF8;
    return ess_scan_ascii((const unsigned char *)bytes, len) < len ? ESS_TEXT_UTF8 : ESS_TEXT_ASCII;
}

/* ------------------------------------------------------------------ delimiter sniffing */

enum { SNIFF_LINES = 30 };   /* the delimiter is decided on this many first lines */

/* Where the first line with something on it starts: the empty lines (or lines of spaces) an
 * export may put before its header say nothing of the delimiter, and taking the first of them
 * as the header's count gave ',' to every ';' file that starts with one.  A line of tabs or
 * of ';' is not skipped: it is a row of blank cells, and its delimiters count. */
static size_t blank_lines_before(const char *text, size_t len)
{
    size_t start = 0;
    for (size_t i = 0; i < len; i++) {
        if (text[i] == '\n' || text[i] == '\r')
            start = i + 1;
        else if (text[i] != ' ')
            break;
    }
    return start;
}

int ess_sniff_delimiter_sure(const char *text, size_t len)
{
    size_t skip = blank_lines_before(text, len);
    text += skip;
    len -= skip;
    /* the sniffer's lines: line endings outside quotes, a CRLF one (split or not, the count is
     * the same); its answer depends on nothing past the last of them */
    size_t nlines = 0;
    int quoted = 0;
    for (size_t i = 0; i < len && nlines < SNIFF_LINES; i++) {
        if (text[i] == '"')
            quoted = !quoted;
        else if (!quoted && (text[i] == '\n' || text[i] == '\r')) {
            if (text[i] == '\r' && i + 1 < len && text[i + 1] == '\n')
                i++;
            nlines++;
        }
    }
    return nlines >= SNIFF_LINES;
}

char ess_sniff_delimiter(const char *text, size_t len)
{
    size_t skip = blank_lines_before(text, len);
    text += skip;
    len -= skip;
    static const char candidates[] = {';', '\t', ',', '|'};
    enum { LINES = SNIFF_LINES };
    char best = 0;
    long best_score = 0;
    for (size_t c = 0; c < sizeof candidates; c++) {
        char d = candidates[c];
        size_t counts[LINES], runs[LINES];   /* delimiters on each line; those ending it */
        size_t nlines = 0, count = 0, empty = 0;   /* empty: lines of nothing but spaces */
        size_t run = 0, trail = 0;   /* delimiters ending the line; those ending the first */
        int quoted = 0, something = 0;
        for (size_t i = 0; i < len && nlines < LINES; i++) {
            char ch = text[i];
            if (ch == '"')
                quoted = !quoted;
            else if (!quoted && ch == d)
                count++;
            else if (!quoted && (ch == '\n' || ch == '\r')) {
                if (ch == '\r' && i + 1 < len && text[i + 1] == '\n')
                    i++;
                empty += !something && count == 0;
                if (nlines == 0)
                    trail = run;
                runs[nlines] = run;
                counts[nlines++] = count;
                count = 0;
                something = 0;
                run = 0;
                continue;
            }
            run = !quoted && ch == d ? run + 1 : 0;
            something |= ch != ' ' && ch != '\t';
        }
        if (nlines < LINES && count > 0) {
            runs[nlines] = run;
            counts[nlines++] = count;
        }
        /* score: lines that agree with the table's count, times that count being > 0; a
         * delimiter inside amounts ("1,5") gives counts that disagree between lines.  The
         * table's count is the header's, or, when the first line has none (a title above the
         * table: "PLAN DE FINANCEMENT 2010"), the count most lines share */
        size_t table_count = nlines > 0 ? counts[0] : 0;
        if (table_count == 0) {
            size_t most = 0;
            for (size_t a = 0; a < nlines; a++) {
                size_t same = 0;
                for (size_t b = 0; b < nlines && counts[a] > 0; b++)
                    same += counts[b] == counts[a];
                if (same > most) {
                    most = same;
                    table_count = counts[a];
                }
            }
        }
        if (table_count == 0)
            continue;
        if (counts[0] != table_count || trail >= table_count)
            trail = 0;   /* a title's, or a first line of nothing but delimiters */
        /* a row longer than the header only by empty cells at its end (a stray delimiter
         * after its last cell) holds the header's cells: counted as the header's length */
        for (size_t l = 1; l < nlines && counts[0] > 0; l++)
            if (counts[l] > table_count && counts[l] - runs[l] <= table_count)
                counts[l] = table_count;
        /* a table under its header whose rows are never longer than it, only some shorter:
         * rows cut at their end, as Excel writes no delimiter for the blank cells that end a
         * row past a sheet's 16th row (a grant file's blank optional last columns).  Those
         * rows agree with the header; a delimiter hidden in amounts ("1,5") makes rows longer
         * than a header holding it, never only shorter. */
        /* A row longer than the header by a cell that holds something (a note past the last
         * column) is one row; a delimiter hidden in amounts makes most rows longer.  So the
         * rows may be cut when at most one in ten of the others is longer than the header. */
        size_t longer = 0, body = 0;
        for (size_t l = 1; l < nlines; l++) {
            body += counts[l] > 0;
            longer += counts[l] > table_count;
        }
        int cut_rows = counts[0] > 0 && longer * 10 <= body;
        long agree = 0, nonblank = 0;
        for (size_t l = 0; l < nlines; l++) {
            if (counts[l] == 0)
                continue;
            nonblank++;
            /* a header ending in an empty column (";" last) over rows that leave its delimiter
             * out, as Excel does past a sheet's 16th row: those rows agree too */
            if (counts[l] <= table_count && (counts[l] + trail >= table_count || cut_rows))
                agree++;
        }
        /* with a title, the count must be most lines' (every line counts): a delimiter the
         * header lacks and a few cells hold ("; " in a comment) is no table's */
        /* an empty line (between the title and the header, before a note) says nothing of
         * any delimiter: counted, it sank a short table under two title rows */
        long lines = counts[0] == 0 ? (long)(nlines - empty) : nonblank;
        if (counts[0] == 0 && agree * 2 <= lines)
            continue;   /* not most lines' count: no table of this delimiter under a title */
        long score = agree * 1000 / (lines ? lines : 1) * 100 + (long)table_count;
        if (score > best_score) {
            best_score = score;
            best = d;
        }
    }
    return best;
}

/* ------------------------------------------------------------------ tokenizer */

/* The run of text from *i up to `stop`, a line ending or the end, appended to the cell; *i and
 * *col (UTF-8 lead bytes) moved past it. */
static int copy_run(ess_text_buf *s, const char *text, size_t len, size_t *i, char stop, long line,
                    long *col, ess_error *err)
{
    size_t run = *i;
    while (run < len && text[run] != stop && text[run] != '\n' && text[run] != '\r')
        run++;
    if (run == *i)
        return ESS_OK;
    if (ess_text_buf_put(s, text + *i, run - *i))
        return ess_error_set(err, ESS_ENOMEM, line, *col, "out of memory");
    for (size_t k = *i; k < run; k++)
        *col += ((unsigned char)text[k] & 0xC0) != 0x80;
    *i = run;
    return ESS_OK;
}

/* One function on purpose (longer than the others): the tokenizer's state -- in quotes, the
 * cell's start, line and column -- lives in locals of one loop over every byte of the file, the
 * hottest loop of the core; split into calls it would be passed and reloaded byte by byte. */
int ess_tokenize(const char *text, size_t len, char delimiter, ess_cell_fn on_cell,
                 ess_record_fn on_record, void *user, ess_error *err)
{
    size_t i = 0;
    long line = 1, col = 1;
    size_t record = 0;
    ess_text_buf sc = {NULL, 0, 0};
    int rc = ESS_OK;

    if (delimiter == 0)
        delimiter = ',';
    while (i < len) {
        size_t field = 0;
        long record_line = line;
        /* a blank line is a record with no field */
        if (text[i] == '\n' || text[i] == '\r') {
            i += (text[i] == '\r' && i + 1 < len && text[i + 1] == '\n') ? 2 : 1;
            if (on_record && (rc = on_record(user, record, 0, record_line)) != 0)
                goto done;
            record++;
            line++;
            col = 1;
            continue;
        }
        for (;;) {
            ess_cell_event ev;
            ev.record = record;
            ev.field = field;
            ev.line = line;
            ev.column = col;
            ev.quoted = 0;
            if (i < len && text[i] == '"') {
                long qline = line, qcol = col;
                sc.len = 0;
                i++;
                col++;
                for (;;) {
                    if (i >= len) {
                        rc = ess_error_set(err, ESS_EFORMAT, qline, qcol,
                                           "the quote opened at line %ld, column %ld is never "
                                           "closed", qline, qcol);
                        goto done;
                    }
                    /* copy a run of ordinary characters at once */
                    size_t from = i;
                    if ((rc = copy_run(&sc, text, len, &i, '"', line, &col, err)) != ESS_OK)
                        goto done;
                    if (i > from)
                        continue;
                    char ch = text[i];
                    if (ch == '"') {
                        if (i + 1 < len && text[i + 1] == '"') {
                            if (ess_text_buf_put(&sc, "\"", 1)) {
                                rc = ess_error_set(err, ESS_ENOMEM, line, col, "out of memory");
                                goto done;
                            }
                            i += 2;
                            col += 2;
                            continue;
                        }
                        i++;
                        col++;
                        break;
                    }
                    /* a line ending inside quotes belongs to the cell as the file writes it
                     * (CRLF, LF or a lone CR: "a\r\nb" read as "a\nb" was not the file's
                     * text); it counts one line */
                    size_t ending = (ch == '\r' && i + 1 < len && text[i + 1] == '\n') ? 2 : 1;
                    if (ess_text_buf_put(&sc, text + i, ending)) {
                        rc = ess_error_set(err, ESS_ENOMEM, line, col, "out of memory");
                        goto done;
                    }
                    i += ending;
                    line++;
                    col = 1;
                }
                /* text after the closing quote ("abc"def) stays in the cell, as Excel does */
                if ((rc = copy_run(&sc, text, len, &i, delimiter, line, &col, err)) != ESS_OK)
                    goto done;
                ev.text = sc.data ? sc.data : "";
                ev.len = sc.len;
                ev.quoted = 1;
            } else {
                size_t start = i;
                while (i < len && text[i] != delimiter && text[i] != '\n' && text[i] != '\r') {
                    col += ((unsigned char)text[i] & 0xC0) != 0x80;
                    i++;
                }
                ev.text = text + start;
                ev.len = i - start;
            }
            if (on_cell && (rc = on_cell(user, &ev)) != 0)
                goto done;
            field++;
            if (i < len && text[i] == delimiter) {
                i++;
                col++;
                continue;
            }
            break;   /* end of line or of text */
        }
        if (i < len)
            i += (text[i] == '\r' && i + 1 < len && text[i + 1] == '\n') ? 2 : 1;
        if (on_record && (rc = on_record(user, record, field, record_line)) != 0)
            goto done;
        record++;
        line++;
        col = 1;
    }
done:
    ess_free(sc.data);
    return rc;
}

/* ------------------------------------------------------------------ table */

ess_table *ess_table_new(void) { return ess_calloc(1, sizeof(ess_table)); }

void ess_table_free(ess_table *t)
{
    if (t == NULL)
        return;
    ess_free(t->strings);
    ess_free(t->cell_offset);
    ess_free(t->cell_line);
    ess_free(t->cell_column);
    ess_free(t->row_first);
    ess_free(t->row_line);
    ess_free(t);
}

static int grow(void **p, size_t *cap, size_t need, size_t elem)
{
    if (need <= *cap)
        return ESS_OK;
    size_t ncap = *cap ? *cap : 16;
    while (ncap < need) {
        if (ncap > SIZE_MAX / 2 / elem)
            return ESS_ENOMEM;
        ncap *= 2;
    }
    void *np = ess_realloc(*p, ncap * elem);
    if (np == NULL)
        return ESS_ENOMEM;
    *p = np;
    *cap = ncap;
    return ESS_OK;
}

/* Rows are appended in order; a row index beyond the last one opens the rows up to it. */
int ess_table_append(ess_table *t, size_t row, const char *text, size_t len, long line,
                     long column)
{
    while (t->nrows <= row) {
        size_t cap = t->rows_cap;
        if (grow((void **)&t->row_first, &cap, t->nrows + 2, sizeof(size_t)))
            return ESS_ENOMEM;
        size_t cap2 = t->rows_cap;
        if (grow((void **)&t->row_line, &cap2, t->nrows + 2, sizeof(long)))
            return ESS_ENOMEM;
        t->rows_cap = cap < cap2 ? cap : cap2;
        t->row_first[t->nrows] = t->ncells;
        t->row_line[t->nrows] = line;
        t->nrows++;
        t->row_first[t->nrows] = t->ncells;
    }
    if (text == NULL)
        return ESS_OK;   /* opens the row only (a blank line) */
    size_t c1 = t->cells_cap, c2 = t->cells_cap, c3 = t->cells_cap;
    if (grow((void **)&t->cell_offset, &c1, t->ncells + 1, sizeof(size_t)) ||
        grow((void **)&t->cell_line, &c2, t->ncells + 1, sizeof(long)) ||
        grow((void **)&t->cell_column, &c3, t->ncells + 1, sizeof(long)))
        return ESS_ENOMEM;
    t->cells_cap = c1 < c2 ? (c1 < c3 ? c1 : c3) : (c2 < c3 ? c2 : c3);
    if (len > SIZE_MAX - t->strings_len - 1 ||
        grow((void **)&t->strings, &t->strings_cap, t->strings_len + len + 1, 1))
        return ESS_ENOMEM;
    memcpy(t->strings + t->strings_len, text, len);
    t->cell_offset[t->ncells] = t->strings_len;
    t->cell_line[t->ncells] = line;
    t->cell_column[t->ncells] = column;
    t->strings_len += len;
    t->strings[t->strings_len++] = '\0';
    t->ncells++;
    t->row_first[t->nrows] = t->ncells;
    return ESS_OK;
}

size_t ess_table_row_len(const ess_table *t, size_t row)
{
    return row < t->nrows ? t->row_first[row + 1] - t->row_first[row] : 0;
}

const char *ess_table_cell(const ess_table *t, size_t row, size_t col)
{
    if (row >= t->nrows || col >= ess_table_row_len(t, row))
        return NULL;
    return t->strings + t->cell_offset[t->row_first[row] + col];
}

typedef struct table_builder {
    ess_table *table;
    ess_error *err;
    size_t complete;   /* records ended so far: a broken text keeps these */
} table_builder;

static int table_on_cell(void *user, const ess_cell_event *ev)
{
    table_builder *b = user;
    if (ess_table_append(b->table, ev->record, ev->text, ev->len, ev->line, ev->column))
        return ess_error_set(b->err, ESS_ENOMEM, ev->line, ev->column, "out of memory");
    return 0;
}

static int table_on_record(void *user, size_t record, size_t nfields, long line)
{
    table_builder *b = user;
    (void)nfields;
    if (ess_table_append(b->table, record, NULL, 0, line, 1))
        return ess_error_set(b->err, ESS_ENOMEM, line, 1, "out of memory");
    b->complete = record + 1;
    return 0;
}

int ess_markup_refused(const char *text, size_t len, ess_error *err)
{
    static const struct { const char *start; int kind; const char *what; } kinds[] = {
        {"<html", ESS_NOT_TEXT_HTML, "a web page (HTML)"},
        {"<!doctype html", ESS_NOT_TEXT_HTML, "a web page (HTML)"},
        {"<?xml", ESS_NOT_TEXT_XML, "an XML document (Excel's 'XML Spreadsheet 2003' is one)"},
    };
    size_t i = ess_utf8_boms((const unsigned char *)text, len);   /* any the decoder left */
    while (i < len && (text[i] == ' ' || text[i] == '\t' || text[i] == '\r' || text[i] == '\n'))
        i++;
    for (size_t k = 0; k < sizeof kinds / sizeof *kinds; k++) {
        size_t n = strlen(kinds[k].start), j = 0;
        while (j < n && i + j < len &&
               ess_text_fold((unsigned char)text[i + j]) == kinds[k].start[j])
            j++;
        if (j < n)
            continue;
        int rc = ess_error_set(err, ESS_EFORMAT, 1, 1,
                               "this is not CSV text but %s: open it in Excel and save it "
                               "again as 'CSV (semicolon delimited)' (File > Save As)",
                               kinds[k].what);
        if (err != NULL) {
            err->detail = ESS_NOT_TEXT_FILE;
            err->detail_n = kinds[k].kind;
        }
        return rc;
    }
    return ESS_OK;
}

int ess_table_read(const char *bytes, size_t len, ess_encoding enc, char delimiter,
                   ess_table **out, ess_error *err)
{
    int rc = ess_table_salvage(bytes, len, enc, delimiter, out, err);
    if (rc == ESS_OK && (*out)->broken.status != ESS_OK) {
        if (err)
            *err = (*out)->broken;
        rc = (*out)->broken.status;
        ess_table_free(*out);
        *out = NULL;
    }
    return rc;
}

int ess_table_salvage(const char *bytes, size_t len, ess_encoding enc, char delimiter,
                      ess_table **out, ess_error *err)
{
    char *text = NULL;
    size_t text_len = 0;
    ess_encoding used;
    *out = NULL;
    if (delimiter == '"' || delimiter == '\n' || delimiter == '\r')   /* as the ledger's reader */
        return ess_error_set(err, ESS_EINVAL, 0, 0,
                             "a delimiter cannot be a quote or a line ending, which mean their "
                             "own thing in a CSV file");
    int rc = ess_decode(bytes, len, enc, &text, &text_len, &used, err);
    if (rc)
        return rc;
    if ((rc = ess_markup_refused(text, text_len, err)) != ESS_OK) {
        ess_free(text);
        return rc;
    }
    if (delimiter == 0)
        delimiter = ess_sniff_delimiter(text, text_len);
    ess_table *t = ess_table_new();
    if (t == NULL) {
        ess_free(text);
        return ess_error_set(err, ESS_ENOMEM, 0, 0, "out of memory");
    }
    t->delimiter = delimiter ? delimiter : '\t';
    t->encoding = used;
    table_builder b = {t, &t->broken, 0};
    ess_error_clear(&t->broken);
    rc = ess_tokenize(text, text_len, t->delimiter, table_on_cell, table_on_record, &b,
                      &t->broken);
    ess_free(text);
    if (rc == ESS_EFORMAT) {
        /* the record the break cut is dropped: only whole records before it stay */
        t->nrows = b.complete < t->nrows ? b.complete : t->nrows;
        t->ncells = t->nrows ? t->row_first[t->nrows] : 0;
        if (t->row_first)
            t->row_first[t->nrows] = t->ncells;
        rc = ESS_OK;
    }
    if (rc) {
        if (err)
            *err = t->broken;
        ess_table_free(t);
        return rc;
    }
    *out = t;
    return ESS_OK;
}
