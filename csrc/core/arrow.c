/*
 * arrow.c -- a ledger as Arrow C data: the standard way to hand columns to pyarrow, polars,
 * duckdb and pandas.  Money leaves as decimal128(38, 2): 16-byte little-endian two's complement
 * of the cents, exact in every consumer.
 *
 * Each exported array owns its buffers (copies of the ledger's): the export outlives the ledger
 * and its release callback, which a consumer may call from any thread, touches nothing else.
 * "Released" is explicit: release == NULL, as the specification says.
 *
 * Layer: tables, above ledger.c (a source and an export of a ledger; calls ledger.c, dict.c,
 * error.c).  An import converts each batch into the rows ledger.c stages for it
 * (ess_ledger_stage_room / _label, then ess_ledger_commit_rows): it never sets the ledger's
 * rows or writes its dictionaries itself.
 */
#include "internal.h"

#include <stdio.h>
#include <string.h>

typedef struct array_private {
    void *buffers[3];              /* owned */
    struct ArrowArray **children;  /* owned, each owned */
    int64_t nchildren;
    struct ArrowArray *dictionary; /* owned */
} array_private;

typedef struct schema_private {
    char *format, *name;           /* owned */
    char *metadata;                /* owned, NULL when the field says nothing more */
    struct ArrowSchema **children; /* owned, each owned */
    int64_t nchildren;
    struct ArrowSchema *dictionary;
} schema_private;

/* Releases and frees an owned child or dictionary (of either struct: both have release). */
#define RELEASE_OWNED(held)                                                                       \
    do {                                                                                           \
        if ((held) != NULL && (held)->release != NULL)                                             \
            (held)->release(held);                                                                 \
        ess_free(held);                                                                            \
    } while (0)

static void release_array(struct ArrowArray *a)
{
    if (a == NULL || a->release == NULL)
        return;
    array_private *p = a->private_data;
    if (p) {
        for (int64_t c = 0; c < p->nchildren; c++)
            RELEASE_OWNED(p->children[c]);
        ess_free(p->children);
        RELEASE_OWNED(p->dictionary);
        for (int k = 0; k < 3; k++)
            ess_free(p->buffers[k]);
        ess_free((void *)a->buffers);
        ess_free(p);
    }
    a->release = NULL;
}

static void release_schema(struct ArrowSchema *s)
{
    if (s == NULL || s->release == NULL)
        return;
    schema_private *p = s->private_data;
    if (p) {
        for (int64_t c = 0; c < p->nchildren; c++)
            RELEASE_OWNED(p->children[c]);
        ess_free(p->children);
        RELEASE_OWNED(p->dictionary);
        ess_free(p->format);
        ess_free(p->name);
        ess_free(p->metadata);
        ess_free(p);
    }
    s->release = NULL;
}

static int init_schema(struct ArrowSchema *s, const char *format, const char *name,
                       int64_t nchildren, int nullable)
{
    memset(s, 0, sizeof *s);
    schema_private *p = ess_calloc(1, sizeof *p);
    if (p == NULL)
        return ESS_ENOMEM;
    s->private_data = p;
    s->release = release_schema;
    p->format = ess_strndup(format, strlen(format));
    p->name = ess_strndup(name, strlen(name));
    p->children = ess_calloc((size_t)nchildren + 1, sizeof *p->children);
    if (!p->format || !p->name || !p->children)
        return ESS_ENOMEM;
    p->nchildren = nchildren;
    for (int64_t c = 0; c < nchildren; c++)
        if ((p->children[c] = ess_calloc(1, sizeof(struct ArrowSchema))) == NULL)
            return ESS_ENOMEM;
    s->format = p->format;
    s->name = p->name;
    s->flags = nullable ? ARROW_FLAG_NULLABLE : 0;
    s->n_children = nchildren;
    s->children = p->children;
    return ESS_OK;
}

static int init_array(struct ArrowArray *a, int64_t length, int nbuffers, int64_t nchildren)
{
    memset(a, 0, sizeof *a);
    array_private *p = ess_calloc(1, sizeof *p);
    if (p == NULL)
        return ESS_ENOMEM;
    a->private_data = p;
    a->release = release_array;
    a->buffers = ess_calloc(3, sizeof(void *));
    p->children = ess_calloc((size_t)nchildren + 1, sizeof *p->children);
    if (!a->buffers || !p->children)
        return ESS_ENOMEM;
    p->nchildren = nchildren;
    for (int64_t c = 0; c < nchildren; c++)
        if ((p->children[c] = ess_calloc(1, sizeof(struct ArrowArray))) == NULL)
            return ESS_ENOMEM;
    a->length = length;
    a->n_buffers = nbuffers;
    a->n_children = nchildren;
    a->children = p->children;
    return ESS_OK;
}

/* The length in bytes of Arrow C metadata: an int32 count of pairs, then for each pair an int32
 * length and the key's bytes, an int32 length and the value's bytes (native byte order, as the
 * C data interface lays it out). */
static size_t metadata_length(const char *metadata)
{
    if (metadata == NULL)
        return 0;
    int32_t pairs, len;
    size_t at = sizeof pairs;
    memcpy(&pairs, metadata, sizeof pairs);
    for (int32_t k = 0; k < 2 * pairs; k++) {
        memcpy(&len, metadata + at, sizeof len);
        at += sizeof len + (size_t)(len > 0 ? len : 0);
    }
    return at;
}

/* Gives the schema the metadata of one pair key=value (owned from now on). */
static int set_metadata_pair(struct ArrowSchema *s, const char *key, const char *value)
{
    int32_t pairs = 1, klen = (int32_t)strlen(key), vlen = (int32_t)strlen(value);
    size_t total = 3 * sizeof(int32_t) + (size_t)klen + (size_t)vlen;
    char *meta = ess_malloc(total), *at = meta;
    if (meta == NULL)
        return ESS_ENOMEM;
    memcpy(at, &pairs, sizeof pairs);
    at += sizeof pairs;
    memcpy(at, &klen, sizeof klen);
    at += sizeof klen;
    memcpy(at, key, (size_t)klen);
    at += klen;
    memcpy(at, &vlen, sizeof vlen);
    at += sizeof vlen;
    memcpy(at, value, (size_t)vlen);
    schema_private *p = s->private_data;
    ess_free(p->metadata);
    p->metadata = meta;
    s->metadata = meta;
    return ESS_OK;
}

/* A copy of src's metadata given to dst (owned), none when src has none. */
static int copy_metadata(const struct ArrowSchema *src, struct ArrowSchema *dst)
{
    size_t n = metadata_length(src->metadata);
    if (n == 0)
        return ESS_OK;
    char *meta = ess_malloc(n);
    if (meta == NULL)
        return ESS_ENOMEM;
    memcpy(meta, src->metadata, n);
    ((schema_private *)dst->private_data)->metadata = meta;
    dst->metadata = meta;
    return ESS_OK;
}

/* The value a field's metadata holds under key (its length in *vlen), NULL when it has none. */
static const char *metadata_value(const char *metadata, const char *wanted, int32_t *vlen)
{
    if (metadata == NULL)
        return NULL;
    int32_t pairs, klen;
    const char *at = metadata;
    size_t keylen = strlen(wanted);
    memcpy(&pairs, at, sizeof pairs);
    at += sizeof pairs;
    for (int32_t k = 0; k < pairs; k++) {
        memcpy(&klen, at, sizeof klen);
        at += sizeof klen;
        const char *key = at;
        at += klen > 0 ? klen : 0;
        memcpy(vlen, at, sizeof *vlen);
        at += sizeof *vlen;
        const char *value = at;
        at += *vlen > 0 ? *vlen : 0;
        if (klen == (int32_t)keylen && memcmp(key, wanted, keylen) == 0)
            return value;
    }
    return NULL;
}

/* The order a field's metadata says under ESS_ARROW_DATE_ORDER_KEY: ESS_DATES_DMY for "dmy",
 * ESS_DATES_MDY for "mdy", 0 (never decided) for anything else or no such key. */
static char date_order_said(const char *metadata)
{
    int32_t vlen = 0;
    const char *value = metadata_value(metadata, ESS_ARROW_DATE_ORDER_KEY, &vlen);
    if (value == NULL || vlen != 3)
        return 0;
    return memcmp(value, "dmy", 3) == 0 ? ESS_DATES_DMY : memcmp(value, "mdy", 3) == 0 ? ESS_DATES_MDY : 0;
}

/* The unit of an amount column's figures as essconv exports it: the unit its name says (k€,
 * M€), the decimals then written in that unit -- "montant (k€)" over euros was read as k€ by
 * every other tool, a thousand times too large -- or ESS_UNIT_EUR (a name saying none, or one
 * the rule refuses: never an amount essconv read under it). */
static int exported_amount_unit(const char *name, ess_unit *unit)
{
    ess_error e;
    ess_error_clear(&e);
    *unit = ESS_UNIT_NONE;
    if (ess_amount_header_unit(name, 0, 0, unit, &e) && e.status == ESS_ENOMEM)
        return ESS_ENOMEM;   /* never euros under a name saying k€ for want of memory */
    if (e.status != ESS_OK || *unit == ESS_UNIT_NONE)
        *unit = ESS_UNIT_EUR;
    return ESS_OK;
}

/* The powers of ten a marked amount's figures are above euros (ESS_ARROW_AMOUNT_UNIT_KEY: 3 for
 * "kEUR", 6 for "MEUR", 0 for "EUR" or no mark), or -1 for a mark of another value: its
 * figures' unit unknown, they are refused, never read as euros. */
static int amount_unit_shift(const char *metadata)
{
    int32_t vlen = 0;
    const char *value = metadata_value(metadata, ESS_ARROW_AMOUNT_UNIT_KEY, &vlen);
    if (value == NULL || (vlen == 3 && memcmp(value, "EUR", 3) == 0))
        return 0;
    if (vlen == 4 && memcmp(value, "kEUR", 4) == 0)
        return 3;
    if (vlen == 4 && memcmp(value, "MEUR", 4) == 0)
        return 6;
    return -1;
}

/* Gives buffer k of a to the array (owned from now on). */
static void set_buffer(struct ArrowArray *a, int k, void *mem)
{
    ((array_private *)a->private_data)->buffers[k] = mem;
    a->buffers[k] = mem;
}

/* A validity bitmap for the rows where missing(i) is false; NULL (all valid) when none is. */
static int validity(struct ArrowArray *a, size_t n, const void *data, int kind)
{
    int64_t nulls = 0;
    for (size_t i = 0; i < n; i++) {
        int missing = kind == ESS_COL_LABEL  ? ((const int32_t *)data)[i] < 0
                      : kind == ESS_COL_DATE ? ((const int32_t *)data)[i] == ESS_DATE_MISSING
                      : kind == ESS_COL_INT  ? ((const int64_t *)data)[i] == ESS_INT_MISSING
                                             : 0;
        nulls += missing;
    }
    a->null_count = nulls;
    if (nulls == 0)
        return ESS_OK;
    uint8_t *bits = ess_calloc((n + 7) / 8 + 1, 1);
    if (bits == NULL)
        return ESS_ENOMEM;
    for (size_t i = 0; i < n; i++) {
        int missing = kind == ESS_COL_LABEL  ? ((const int32_t *)data)[i] < 0
                      : kind == ESS_COL_DATE ? ((const int32_t *)data)[i] == ESS_DATE_MISSING
                      : kind == ESS_COL_INT  ? ((const int64_t *)data)[i] == ESS_INT_MISSING
                                             : 0;
        if (!missing)
            bits[i / 8] |= (uint8_t)(1u << (i % 8));
    }
    set_buffer(a, 0, bits);
    return ESS_OK;
}

static int export_column(const ess_ledger *l, const ess_column *col, struct ArrowSchema *s,
                         struct ArrowArray *a)
{
    size_t n = l->nrows;
    int rc;
    switch (col->kind) {
    case ESS_COL_LABEL: {
        if ((rc = init_schema(s, "i", col->name, 0, 1)) || (rc = init_array(a, (int64_t)n, 2, 0)))
            return rc;
        schema_private *sp = s->private_data;
        array_private *ap = a->private_data;
        if ((sp->dictionary = ess_calloc(1, sizeof *sp->dictionary)) == NULL ||
            (ap->dictionary = ess_calloc(1, sizeof *ap->dictionary)) == NULL)
            return ESS_ENOMEM;
        s->dictionary = sp->dictionary;
        a->dictionary = ap->dictionary;
        if ((rc = init_schema(s->dictionary, "u", "", 0, 0)))
            return rc;
        size_t count = col->dict.count;
        if ((rc = init_array(a->dictionary, (int64_t)count, 3, 0)))
            return rc;
        int32_t *offsets = ess_malloc((count + 1) * sizeof *offsets);
        char *bytes = ess_malloc(col->dict.arena_len + 1);
        if (!offsets || !bytes) {
            ess_free(offsets);
            ess_free(bytes);
            return ESS_ENOMEM;
        }
        if (col->dict.arena_len > (size_t)INT32_MAX) {
            ess_free(offsets);
            ess_free(bytes);
            return ESS_EOVERFLOW;
        }
        size_t at = 0;
        for (size_t k = 0; k < count; k++) {
            offsets[k] = (int32_t)at;
            memcpy(bytes + at, col->dict.arena + col->dict.offsets[k], col->dict.lengths[k]);
            at += col->dict.lengths[k];
        }
        offsets[count] = (int32_t)at;
        set_buffer(a->dictionary, 1, offsets);
        set_buffer(a->dictionary, 2, bytes);
        int32_t *codes = ess_malloc((n ? n : 1) * sizeof *codes);
        if (codes == NULL)
            return ESS_ENOMEM;
        for (size_t i = 0; i < n; i++) {
            int32_t c = ((const int32_t *)col->data)[i];
            codes[i] = c < 0 ? 0 : c;   /* a null's index must still be a valid one */
        }
        set_buffer(a, 1, codes);
        return validity(a, n, col->data, col->kind);
    }
    case ESS_COL_DATE:
    case ESS_COL_INT: {
        int date = col->kind == ESS_COL_DATE;
        if ((rc = init_schema(s, date ? "tdD" : "l", col->name, 0, 1)) ||
            (rc = init_array(a, (int64_t)n, 2, 0)))
            return rc;
        /* the order the column's 08/09/2017 were read in goes with the field, as to_arrow and
         * Parquet say it: a ledger built again from this export reads a filter's 04/03/2017 so */
        if (date && (col->date_order == ESS_DATES_DMY || col->date_order == ESS_DATES_MDY) &&
            (rc = set_metadata_pair(s, ESS_ARROW_DATE_ORDER_KEY,
                                    col->date_order == ESS_DATES_DMY ? "dmy" : "mdy")))
            return rc;
        size_t w = date ? 4 : 8;
        void *copy = ess_malloc((n ? n : 1) * w);
        if (copy == NULL)
            return ESS_ENOMEM;
        memcpy(copy, col->data, n * w);
        set_buffer(a, 1, copy);
        return validity(a, n, col->data, col->kind);
    }
    case ESS_COL_AMOUNT: {
        /* a column's name is a promise about its figures: under "montant (k€)" the same
         * integers (cents) as decimals of scale 5 are k€ (1 cent = 0,00001 k€), of scale 8 M€,
         * exactly; the field says so (ESS_ARROW_AMOUNT_UNIT_KEY), and an import reads them back
         * in that unit.  Exported as euros under such a name, they were summed a thousand
         * times too large by every tool reading the name (SQL, duckdb, a spreadsheet). */
        ess_unit unit;
        if ((rc = exported_amount_unit(col->name, &unit)) ||
            (rc = init_schema(s, unit == ESS_UNIT_KEUR   ? "d:38,5"
                                 : unit == ESS_UNIT_MEUR ? "d:38,8"
                                                         : "d:38,2",
                              col->name, 0, 0)) ||
            (rc = init_array(a, (int64_t)n, 2, 0)))
            return rc;
        if (unit != ESS_UNIT_EUR &&
            (rc = set_metadata_pair(s, ESS_ARROW_AMOUNT_UNIT_KEY,
                                    unit == ESS_UNIT_KEUR ? "kEUR" : "MEUR")))
            return rc;
        if (n > SIZE_MAX / 16)
            return ESS_ENOMEM;
        int64_t *wide = ess_malloc((n ? n : 1) * 16);
        if (wide == NULL)
            return ESS_ENOMEM;
        for (size_t i = 0; i < n; i++) {
            int64_t v = ((const int64_t *)col->data)[i];
            wide[2 * i] = v;                 /* low 64 bits (little-endian) */
            wide[2 * i + 1] = v < 0 ? -1 : 0; /* sign extension */
        }
        set_buffer(a, 1, wide);
        return ESS_OK;
    }
    }
    return ESS_EINVAL;
}

int ess_ledger_to_arrow(const ess_ledger *l, struct ArrowSchema *schema, struct ArrowArray *array,
                        ess_error *err)
{
    memset(schema, 0, sizeof *schema);   /* released state until built: release is safe */
    memset(array, 0, sizeof *array);
    int rc = init_schema(schema, "+s", "", (int64_t)l->ncolumns, 0);
    if (rc == ESS_OK)
        rc = init_array(array, (int64_t)l->nrows, 1, (int64_t)l->ncolumns);
    for (size_t c = 0; rc == ESS_OK && c < l->ncolumns; c++)
        rc = export_column(l, &l->columns[c], schema->children[c], array->children[c]);
    if (rc) {
        release_schema(schema);
        release_array(array);
        return ess_error_set(err, rc, 0, 0,
                             rc == ESS_EOVERFLOW ? "a dictionary is too large for Arrow (2 GiB)"
                                                 : "out of memory exporting to Arrow");
    }
    return ESS_OK;
}

/* ------------------------------------------------------------------ a stream of one batch */

typedef struct stream_private {
    struct ArrowSchema schema;   /* released when the stream is */
    struct ArrowArray batch;     /* moved out by the first get_next */
    int given;
    char error[ESS_MESSAGE_MAX];
} stream_private;

static int copy_schema(const struct ArrowSchema *src, struct ArrowSchema *dst)
{
    int rc = init_schema(dst, src->format, src->name ? src->name : "", src->n_children,
                         (src->flags & ARROW_FLAG_NULLABLE) != 0);
    if (rc == ESS_OK)
        rc = copy_metadata(src, dst);
    for (int64_t c = 0; rc == ESS_OK && c < src->n_children; c++)
        rc = copy_schema(src->children[c], dst->children[c]);
    if (rc == ESS_OK && src->dictionary) {
        schema_private *p = dst->private_data;
        if ((p->dictionary = ess_calloc(1, sizeof *p->dictionary)) == NULL)
            return ESS_ENOMEM;
        dst->dictionary = p->dictionary;
        rc = copy_schema(src->dictionary, dst->dictionary);
    }
    return rc;
}

static int stream_get_schema(struct ArrowArrayStream *s, struct ArrowSchema *out)
{
    stream_private *p = s->private_data;
    int rc = copy_schema(&p->schema, out);
    if (rc) {
        release_schema(out);
        snprintf(p->error, sizeof p->error, "out of memory");
        return 12;   /* ENOMEM */
    }
    return 0;
}

static int stream_get_next(struct ArrowArrayStream *s, struct ArrowArray *out)
{
    stream_private *p = s->private_data;
    if (p->given) {
        memset(out, 0, sizeof *out);   /* the end of the stream: a released array */
        return 0;
    }
    *out = p->batch;                   /* moved: the consumer releases it */
    memset(&p->batch, 0, sizeof p->batch);
    p->given = 1;
    return 0;
}

static const char *stream_last_error(struct ArrowArrayStream *s)
{
    stream_private *p = s->private_data;
    return p->error[0] ? p->error : NULL;
}

static void stream_release(struct ArrowArrayStream *s)
{
    if (s == NULL || s->release == NULL)
        return;
    stream_private *p = s->private_data;
    release_schema(&p->schema);
    release_array(&p->batch);
    ess_free(p);
    s->release = NULL;
}

int ess_ledger_to_arrow_stream(const ess_ledger *l, struct ArrowArrayStream *stream,
                               ess_error *err)
{
    memset(stream, 0, sizeof *stream);
    stream_private *p = ess_calloc(1, sizeof *p);
    if (p == NULL)
        return ess_error_set(err, ESS_ENOMEM, 0, 0, "out of memory");
    int rc = ess_ledger_to_arrow(l, &p->schema, &p->batch, err);
    if (rc) {
        ess_free(p);
        return rc;
    }
    stream->get_schema = stream_get_schema;
    stream->get_next = stream_get_next;
    stream->get_last_error = stream_last_error;
    stream->release = stream_release;
    stream->private_data = p;
    return ESS_OK;
}

/* ------------------------------------------------------------------ import */

/* The k-th integer of a buffer of `width`-byte integers.  Producers should align their buffers
 * but nothing guarantees it (a buffer unpickled from a byte stream starts anywhere), so every
 * multi-byte load from an imported buffer goes through memcpy: never a misaligned access. */
static int64_t load_int(const void *buffer, int width, int is_unsigned, int64_t k)
{
    const unsigned char *p = (const unsigned char *)buffer + k * width;
    switch (width) {
    case 1: return is_unsigned ? (int64_t)*p : (int64_t)*(const signed char *)p;
    case 2: {
        uint16_t u; int16_t v;
        memcpy(&u, p, 2); memcpy(&v, p, 2);
        return is_unsigned ? (int64_t)u : (int64_t)v;
    }
    case 4: {
        uint32_t u; int32_t v;
        memcpy(&u, p, 4); memcpy(&v, p, 4);
        return is_unsigned ? (int64_t)u : (int64_t)v;
    }
    default: {
        int64_t v;   /* uint64 past INT64_MAX is refused by kind_of */
        memcpy(&v, p, 8);
        return v;
    }
    }
}

/* Is validity bit i set (or is there no bitmap)? */
static int valid_at(const struct ArrowArray *a, int64_t i)
{
    const uint8_t *bits = a->n_buffers > 0 ? a->buffers[0] : NULL;
    if (bits == NULL || a->null_count == 0)
        return 1;
    int64_t k = i + a->offset;
    return (bits[k / 8] >> (k % 8)) & 1;
}

/* The i-th string of a utf8 ("u", int32 offsets), large utf8 ("U", int64 offsets) or utf8
 * view ("vu": 16-byte views, short strings inline, longer ones in variadic buffers) array;
 * NULL when its offsets cannot be a text's.  The interface gives no buffer's size, so what is
 * checked is what a producer that skipped validation can break without it: offsets below
 * zero or going backwards, a length below zero, characters without a buffer.  Read as they
 * came, they took bytes from before the characters' buffer (a heap read out of bounds, a
 * segfault) or made a text empty, a label lost without a word. */
static const char *string_at(const struct ArrowArray *a, const char *format, int64_t i,
                             size_t *len)
{
    int64_t k = i + a->offset;
    *len = 0;
    if (format[0] == 'v') {
        const uint8_t *view = (const uint8_t *)a->buffers[1] + 16 * k;
        int32_t n, buffer, offset;
        memcpy(&n, view, 4);
        if (n < 0)
            return NULL;
        *len = (size_t)n;
        if (n <= 12)
            return (const char *)view + 4;
        memcpy(&buffer, view + 8, 4);
        memcpy(&offset, view + 12, 4);
        if (buffer < 0 || 2 + (int64_t)buffer >= a->n_buffers - 1 || offset < 0 ||
            a->buffers[2 + buffer] == NULL)
            return NULL;
        return (const char *)a->buffers[2 + buffer] + offset;
    }
    const char *data = a->buffers[2];
    int width = format[0] == 'U' ? 8 : 4;
    int64_t from = load_int(a->buffers[1], width, 0, k), to = load_int(a->buffers[1], width, 0, k + 1);
    if (from < 0 || to < from || (data == NULL && to > from))
        return NULL;
    *len = (size_t)(to - from);
    return data ? data + from : "";
}

/* ESS_OK when an imported text is valid UTF-8, else the refusal naming the column, the row as
 * Arrow counts it (index, from 0, over the whole table or stream; line is it from 1, as every
 * other refusal of an import places its row) and, for a dictionary, the entry.  Arrow's utf8,
 * large utf8 and utf8 view types promise UTF-8, but nothing makes a producer keep it (a binary
 * column cast with safe=False, buffers built by hand): read as they came, such bytes became a
 * label the Python side decoded with U+FFFD in its place, silently, and two different byte
 * strings the same label on screen. */
static int refuse_not_utf8(ess_error *err, const char *column, const char *text, size_t len,
                           int64_t index, int64_t entry)
{
    size_t bad;
    if (ess_utf8_valid(text, len, &bad))
        return ESS_OK;
    char entry_said[64] = "";
    if (entry >= 0)
        snprintf(entry_said, sizeof entry_said, " (its dictionary's entry %lld)",
                 (long long)entry);
    return ess_error_set(err, ESS_EFORMAT, (long)index + 1, 0,
                         "column '%.60s': the Arrow text at index %lld%s is not UTF-8: byte "
                         "0x%02X at its byte %zu, and Arrow's text types hold UTF-8 only: "
                         "decode the bytes from their encoding before handing them over",
                         column, (long long)index, entry_said,
                         (unsigned)(unsigned char)text[bad], bad + 1);
}

static int is_string_format(const char *f)
{
    return strcmp(f, "u") == 0 || strcmp(f, "U") == 0 || strcmp(f, "vu") == 0;
}

/* Arrow's null type ("n"): a column of missing values alone, with no buffer.  pandas gives a
 * column of None so, and a category of no value as a dictionary of it: beside the amount it is
 * a label column all missing, as from_columns([None, None]) and a blank CSV column make it.
 * As the amount it is pandas' column of Decimal objects with no row (a filter that kept none,
 * read back): an amount column of no row; with rows it is refused, every amount missing. */
static int is_null_format(const char *f) { return strcmp(f, "n") == 0; }

static int int_width(const char *format)
{
    switch (format[0]) {
    case 'c': case 'C': return 1;
    case 's': case 'S': return 2;
    case 'i': case 'I': return 4;
    case 'l': case 'L': return 8;
    default: return 0;
    }
}

static int64_t int_at(const struct ArrowArray *a, int width, int is_unsigned, int64_t i)
{
    return load_int(a->buffers[1], width, is_unsigned, i + a->offset);
}

/* Which kind of column an Arrow field becomes; 0 when it cannot. */
/* Returns status, err told the refused column is the amount (is_amount) for its type: the host
 * raises its amount-type error for it.  Called on what ess_error_set returns. */
static int amount_type(ess_error *err, int is_amount, int status)
{
    if (err != NULL && is_amount)
        err->detail = ESS_AMOUNT_TYPE;
    return status;
}

/* What an Arrow format a ledger refuses holds, in words, for its refusal ("" if no word). */
static const char *format_said(const char *f)
{
    if (f[0] == 't' && f[1] == 's')
        return " (timestamps)";
    if (f[0] == 't' && (f[1] == 't' || f[1] == 'D' || f[1] == 'i'))
        return f[1] == 'D' ? " (durations)" : f[1] == 'i' ? " (intervals)" : " (times of day)";
    if (strcmp(f, "tdm") == 0)
        return " (dates in milliseconds)";
    if (strcmp(f, "b") == 0)
        return " (booleans)";
    if (is_string_format(f))
        return " (texts)";
    if (strcmp(f, "L") == 0)
        return " (unsigned 64-bit integers)";
    return "";
}

static int kind_of(const struct ArrowSchema *s, int is_amount)
{
    const char *f = s->format;
    if (f[0] == 'g' || f[0] == 'f' || f[0] == 'e')
        return -1;   /* floats: refused */
    /* a dictionary's indices of any integer type, uint64 too: an index past the dictionary
     * (past INT64_MAX among them) is refused as out of range when read */
    if (!is_amount && s->dictionary != NULL && int_width(f) &&
        (is_string_format(s->dictionary->format) || is_null_format(s->dictionary->format)))
        return ESS_COL_LABEL;
    if (!is_amount && s->dictionary == NULL && is_null_format(f))
        return ESS_COL_LABEL;
    if (is_amount && s->dictionary == NULL && is_null_format(f))
        return ESS_COL_AMOUNT;
    if (strcmp(f, "L") == 0)
        return 0;   /* uint64 does not fit int64 */
    if (is_amount) {
        if ((f[0] == 'd' && f[1] == ':') || int_width(f))
            return ESS_COL_AMOUNT;
        return 0;
    }
    /* a decimal beside the amount is an amount too, kept and not summed: an aggregate's mean,
     * min and max read back from its Parquet file or a query (an integer stays an int: a
     * count, a year) */
    if (f[0] == 'd' && f[1] == ':')
        return ESS_COL_AMOUNT;
    if (is_string_format(f))
        return ESS_COL_LABEL;
    if (strcmp(f, "tdD") == 0)
        return ESS_COL_DATE;
    if (int_width(f))
        return ESS_COL_INT;
    return 0;
}

/* The codes of n rows of a dictionary-encoded label column (rows from `offset` in the batch),
 * written into the column's staged room.  Each dictionary entry is interned once, when a row first
 * uses it, so the codes stay in first-seen order (as the CSV reader gives them) and a batch
 * costs one hash per distinct label rather than one per row. */
static int import_dictionary_labels(ess_ledger *l, size_t column, int32_t *room,
                                    const struct ArrowSchema *s, const struct ArrowArray *a,
                                    int64_t offset, int64_t n, ess_error *err)
{
    const ess_column *col = &l->columns[column];
    const char *f = s->format;
    int64_t entries = a->dictionary != NULL ? a->dictionary->length : 0;
    int32_t *codes = NULL;   /* owned: per entry, its code, -1 for a null entry, -2 not yet seen */
    int rc = ESS_OK;
    if (entries > 0) {
        codes = ess_calloc((size_t)entries, sizeof *codes);
        if (codes == NULL)
            return ess_error_set(err, ESS_ENOMEM, 0, 0, "out of memory");
        for (int64_t k = 0; k < entries; k++)
            codes[k] = -2;
    }
    for (int64_t r = 0; r < n; r++) {
        int64_t i = r + offset;
        int32_t code = -1;
        if (valid_at(a, i)) {
            int64_t idx = int_at(a, int_width(f), f[0] >= 'A' && f[0] <= 'Z', i);
            if (idx < 0 || idx >= entries) {
                rc = ess_error_set(err, ESS_EINVAL, 0, 0,
                                   "a dictionary index out of range in '%.60s'", col->name);
                break;
            }
            if (codes[idx] == -2) {
                size_t len;
                const char *text;
                if (is_null_format(s->dictionary->format) || !valid_at(a->dictionary, idx)) {
                    codes[idx] = -1;   /* a null type's entry has no validity bitmap */
                } else {
                    text = string_at(a->dictionary, s->dictionary->format, idx, &len);
                    if (text == NULL) {
                        codes[idx] = -2;
                        rc = ess_error_set(err, ESS_EINVAL, 0, 0,
                                           "the Arrow column '%.60s' has invalid text offsets "
                                           "at its dictionary's entry %lld", col->name,
                                           (long long)idx + 1);
                        break;
                    }
                    rc = refuse_not_utf8(err, col->name, text, len,
                                         (int64_t)l->nrows + r, idx);
                    if (rc == ESS_OK)
                        rc = ess_label_refuse_nul(err, col->name, (long)column + 1, text, len,
                                                  (long)(l->nrows + (size_t)r) + 1);
                    if (rc) {
                        codes[idx] = -2;
                        break;
                    }
                    /* trimmed, a blank entry missing: two entries of one label once
                     * trimmed ("CDC", "CDC ") take its one code, the rows remapped */
                    if ((codes[idx] = ess_ledger_stage_text(l, column, text, len)) < -1) {
                        codes[idx] = -2;
                        rc = ess_error_set(err, ESS_ENOMEM, 0, 0, "out of memory");
                        break;
                    }
                }
            }
            code = codes[idx];
        }
        room[r] = code;
    }
    ess_free(codes);
    return rc;
}

/* An amount past int64 cents at row (0-based), with the side it leaves by (negative: under the
 * floor), as the text parser says it (ESS_AMOUNT_TOO_LARGE): a huge negative amount is never
 * said beyond the ceiling. */
static int beyond_cents(ess_error *err, size_t row, int negative)
{
    int rc = ess_error_set(err, ESS_EOVERFLOW, (long)row + 1, 0,
                           "an amount beyond int64 cents at row %zu", row + 1);
    if (err != NULL) {
        err->detail = ESS_AMOUNT_TOO_LARGE;
        err->detail_n = negative ? ESS_BELOW_INT64 : ESS_ABOVE_INT64;
    }
    return rc;
}

/* Appends the rows of one struct batch to l, whose columns match the schema's children. */
/* The cents of a decimal128 of scale > 2 (its low and high words w): the value divided by
 * 10^(scale - 2), refused when a digit past the cents is not zero (cents cannot hold it; never
 * rounded) or when the cents do not fit int64. */
static int cents_of_finer_decimal(const int64_t w[2], int scale, size_t row, int64_t *cents,
                                  ess_error *err)
{
#ifdef __SIZEOF_INT128__
    __int128_t v = (__int128_t)(((__uint128_t)(uint64_t)w[1] << 64) | (uint64_t)w[0]);
    int sub_cent = 0;
    for (int k = 2; k < scale; k++) {
        sub_cent |= v % 10 != 0;
        v /= 10;
    }
    int fits = v >= INT64_MIN && v <= INT64_MAX;
#else   /* no 128-bit integer: the raw value must fit int64 already */
    int fits = w[1] == (w[0] < 0 ? -1 : 0);
    int64_t v = w[0];
    int sub_cent = 0;
    for (int k = 2; fits && k < scale; k++) {
        sub_cent |= v % 10 != 0;
        v /= 10;
    }
#endif
    if (sub_cent) {
        if (w[1] == (w[0] < 0 ? -1 : 0)) {   /* shown with its point where it fits int64 */
            char digits[32], shown[48];
            uint64_t mag = w[0] < 0 ? (uint64_t)(-(w[0] + 1)) + 1u : (uint64_t)w[0];
            int n = snprintf(digits, sizeof digits, "%0*llu", scale + 1, (unsigned long long)mag);
            snprintf(shown, sizeof shown, "%s%.*s.%s", w[0] < 0 ? "-" : "", n - scale, digits,
                     digits + n - scale);
            return ess_error_set(err, ESS_EPARSE, (long)row + 1, 0,
                                 "the amount %s of row %zu has more than two decimals: cents "
                                 "cannot hold it", shown, row + 1);
        }
        return ess_error_set(err, ESS_EPARSE, (long)row + 1, 0,
                             "the amount of row %zu has more than two decimals: cents cannot "
                             "hold it", row + 1);
    }
    if (!fits)
        return beyond_cents(err, row, w[1] < 0);
    *cents = (int64_t)v;
    return ESS_OK;
}

/* The k-th value of a buffer of decimals of `bits` bits as the low and high words of a
 * 128-bit two's complement integer (little-endian, as Arrow lays every width out); 0 when a
 * decimal256 does not fit 128 bits, far beyond any int64 cents. */
static int decimal_words(const void *buffer, int bits, int64_t k, int64_t w[2])
{
    if (bits == 32 || bits == 64) {   /* sign-extended by load_int */
        w[0] = load_int(buffer, bits / 8, 0, k);
        w[1] = w[0] < 0 ? -1 : 0;
        return 1;
    }
    int64_t words = bits / 64;   /* 2 or 4 */
    w[0] = load_int(buffer, 8, 0, words * k);
    w[1] = load_int(buffer, 8, 0, words * k + 1);
    for (int64_t h = 2; h < words; h++)
        if (load_int(buffer, 8, 0, words * k + h) != (w[1] < 0 ? -1 : 0)) {
            w[1] = load_int(buffer, 8, 0, words * k + words - 1);   /* the top word: its sign is
                                                                      * the value's, the side */
            return 0;
        }
    return 1;
}

/* Does an imported array have the buffers its field's format promises?  The C interface carries
 * no type with an array: a stream's batches are read on the word of the stream's schema, and a
 * producer that breaks it (a generator's batch of another type passed on unchecked) handed a
 * null or struct column where texts were promised; reading the buffers the format names then
 * read pointers past the array's own (a segfault).  Counts and the data buffer are what can be
 * checked without trusting the data. */
static int buffers_fit(const struct ArrowArray *a, const char *format, int dictionary)
{
    if (a == NULL || a->length < 0 || a->offset < 0 || a->n_buffers < 0 ||
        (a->n_buffers > 0 && a->buffers == NULL))
        return 0;
    if (dictionary && a->dictionary == NULL)
        return 0;
    if (!dictionary && is_null_format(format))
        return 1;                                /* the null type has no buffer */
    int64_t wanted = 2;                          /* validity and values (or indices) */
    if (!dictionary && (strcmp(format, "u") == 0 || strcmp(format, "U") == 0))
        wanted = 3;                              /* validity, offsets and characters */
    else if (!dictionary && strcmp(format, "vu") == 0)
        wanted = 3;                              /* validity, views, ..., the buffers' sizes */
    if (a->n_buffers < wanted || (!dictionary && strcmp(format, "vu") != 0 && wanted == 3 &&
                                  a->n_buffers != 3))
        return 0;
    /* a non-empty array reads its values (offsets, views) from buffer 1 */
    return a->length == 0 || a->buffers[1] != NULL;
}

static int import_columns(ess_ledger *l, const struct ArrowSchema *schema,
                          const struct ArrowArray *batch, int cents, int64_t *at, ess_error *err)
{
    int64_t n = batch->length;
    if (n < 0 || batch->n_children != schema->n_children ||
        (batch->n_children > 0 && batch->children == NULL))
        return ess_error_set(err, ESS_EINVAL, 0, 0, "an Arrow batch that does not match its schema");
    /* A struct array (handed as __arrow_c_array__, or a stream of them) may mark whole rows
     * null in its own validity bitmap, whatever its children hold there: read through, such a
     * row came in as a record (the children's values, a name and an amount pyarrow shows as
     * None), a row added without a word.  A ledger has no missing record: refused, at the
     * first, as Arrow counts it (from 0 over the whole stream).  A table's batches carry no
     * such bitmap. */
    if (batch->null_count != 0 && batch->n_buffers > 0 && batch->buffers != NULL &&
        batch->buffers[0] != NULL)
        for (int64_t r = 0; r < n; r++)
            if (!valid_at(batch, r)) {
                size_t index = l->nrows + (size_t)r;
                return ess_error_set(err, ESS_EFORMAT, (long)index + 1, 0,
                                     "the Arrow record at index %zu is null (its struct array "
                                     "marks the whole row missing), and a ledger has no "
                                     "missing record: filter such rows out first "
                                     "(array.filter(array.is_valid()))", index);
            }
    for (int64_t c = 0; c < schema->n_children; c++) {
        *at = c;
        const struct ArrowSchema *s = schema->children[c];
        const struct ArrowArray *a = batch->children[c];
        const ess_column *col = &l->columns[c];
        if (!buffers_fit(a, s->format, s->dictionary != NULL) ||
            (s->dictionary != NULL && !buffers_fit(a->dictionary, s->dictionary->format, 0)))
            return ess_error_set(err, ESS_EINVAL, 0, 0,
                                 "the Arrow column '%.60s' does not match its schema's type "
                                 "'%s': its batch has other buffers", col->name, s->format);
        if (a->length < n + batch->offset)
            return ess_error_set(err, ESS_EINVAL, 0, 0, "the Arrow column '%.60s' is too short",
                                 col->name);
        ess_error staged;   /* err may be NULL: the status is read here */
        void *room = ess_ledger_stage_room(l, (size_t)c, (size_t)n, &staged);
        if (room == NULL) {
            if (err)
                *err = staged;
            return staged.status;
        }
        const char *f = s->format;
        if (col->kind == ESS_COL_LABEL && s->dictionary != NULL) {
            int rc = import_dictionary_labels(l, (size_t)c, room, s, a, batch->offset, n, err);
            if (rc)
                return rc;
            continue;
        }
        if (col->kind == ESS_COL_LABEL && is_null_format(f)) {   /* every row missing */
            for (int64_t r = 0; r < n; r++)
                ((int32_t *)room)[r] = -1;
            continue;
        }
        if (col->kind == ESS_COL_AMOUNT && is_null_format(f)) {   /* no buffer to read */
            if (n > 0)   /* no value at all: the column's type is refused, as before rows came */
                return amount_type(err, 1, ess_error_set(err, ESS_EINVAL, 0, 0,
                                     "the column '%.60s' has the Arrow format 'n' (no value at "
                                     "all), which a ledger cannot hold with rows: an amount is "
                                     "a decimal or integers (euros, or cents with cents=True)",
                                     col->name));
            continue;
        }
        /* the powers of ten a marked amount's figures are above euros: "montant (k€)" as
         * essconv exports it, decimals of scale 5 that are k€, read back to the same cents */
        int unit_shift = col->kind == ESS_COL_AMOUNT ? amount_unit_shift(s->metadata) : 0;
        int decimal_scale = 0;     /* a decimal amount's scale, read once from its format */
        int decimal_bits = 128;    /* and its width: decimal32, 64, 128 or 256 */
        if (col->kind == ESS_COL_AMOUNT && f[0] == 'd') {
            int precision = 0;
            /* a scale past 2 (a NUMERIC(12,3) column, pandas' Decimals as pyarrow infers them)
             * is read when each value is whole cents, and refused at the first that is not; a
             * scale below 0 (hundreds) is multiplied out, checked.  Every width holds the
             * same exact values: a decimal256 (pyarrow's type past 38 digits, a NUMERIC(40,2))
             * and Arrow's decimal32/64 were refused as if they were no money. */
            if (sscanf(f, "d:%d,%d,%d", &precision, &decimal_scale, &decimal_bits) < 2 ||
                (decimal_bits != 32 && decimal_bits != 64 && decimal_bits != 128 &&
                 decimal_bits != 256) ||
                decimal_scale < -38 || decimal_scale > 2 + 18)
                return amount_type(err, 1, ess_error_set(err, ESS_EINVAL, 0, 0,
                                     "the amount '%.60s' is %s: a decimal (of 32, 64, 128 or "
                                     "256 bits) with at most 20 decimals is expected",
                                     col->name, f));
            decimal_scale -= unit_shift;   /* 1.50000 k€: 1.50 scaled up 3 places, 1 500 € */
        }
        for (int64_t r = 0; r < n; r++) {
            int64_t i = r + batch->offset;
            size_t row = l->nrows + (size_t)r;
            int ok = valid_at(a, i);
            switch (col->kind) {
            case ESS_COL_LABEL: {
                int32_t code = -1;
                if (ok) {
                    size_t len;
                    const char *text;
                    text = string_at(a, f, i, &len);
                    if (text == NULL)
                        return ess_error_set(err, ESS_EINVAL, (long)row + 1, 0,
                                             "the Arrow column '%.60s' has invalid text "
                                             "offsets at row %zu", col->name, row + 1);
                    /* checked once per distinct label, when first interned: the bytes of a
                     * label seen before are those of a checked one (checking every row cost a
                     * 2e6-row import 2.5x its time) */
                    size_t known = col->dict.count;
                    /* trimmed, a blank text missing, as a CSV cell of the same text */
                    if ((code = ess_ledger_stage_text(l, (size_t)c, text, len)) < -1)
                        return ess_error_set(err, ESS_ENOMEM, 0, 0, "out of memory");
                    if (code >= 0 && (size_t)code >= known) {
                        int rc = refuse_not_utf8(err, col->name, text, len, (int64_t)row, -1);
                        if (rc == ESS_OK)
                            rc = ess_label_refuse_nul(err, col->name, (long)c + 1, text, len,
                                                      (long)row + 1);
                        if (rc)
                            return rc;
                    }
                }
                ((int32_t *)room)[r] = code;
                break;
            }
            case ESS_COL_DATE:
                ((int32_t *)room)[r] =
                    ok ? (int32_t)load_int(a->buffers[1], 4, 0, i + a->offset) : ESS_DATE_MISSING;
                break;
            case ESS_COL_INT: {
                int64_t v = ok ? int_at(a, int_width(f), f[0] >= 'A' && f[0] <= 'Z', i)
                               : ESS_INT_MISSING;
                if (ok && v == ESS_INT_MISSING)   /* else read back as a null: a value lost */
                    return ess_error_set(err, ESS_EOVERFLOW, (long)row + 1, 0,
                                         "the integer of row %zu is -2^63, the one value an "
                                         "int column keeps for a missing one", row + 1);
                ((int64_t *)room)[r] = v;
                break;
            }
            case ESS_COL_AMOUNT: {
                if (!ok)
                    return ess_error_set(err, ESS_EPARSE, (long)(l->nrows + (size_t)r) + 1, 1,
                                         "the amount of row %lld is missing",
                                         (long long)(l->nrows + (size_t)r) + 1);
                int64_t cents_value;
                if (f[0] == 'd') {
                    int64_t w[2];   /* the low and high words (little-endian) */
                    if (!decimal_words(a->buffers[1], decimal_bits, i + a->offset, w))
                        return beyond_cents(err, row, w[1] < 0);
                    if (decimal_scale > 2) {
                        int rc = cents_of_finer_decimal(w, decimal_scale, row, &cents_value, err);
                        if (rc)
                            return rc;
                        ((int64_t *)room)[r] = cents_value;
                        break;
                    }
                    if (w[1] != (w[0] < 0 ? -1 : 0))
                        return beyond_cents(err, row, w[1] < 0);
                    cents_value = w[0];
                    for (int k = decimal_scale; k < 2; k++)
                        if (ess_mul(cents_value, 10, &cents_value))
                            return beyond_cents(err, row, cents_value < 0);
                } else {
                    cents_value = int_at(a, int_width(f), f[0] >= 'A' && f[0] <= 'Z', i);
                    if (!cents && ess_mul(cents_value, 100, &cents_value))
                        return beyond_cents(err, row, cents_value < 0);
                    for (int k = 0; k < unit_shift; k++)   /* integers marked in k€, M€ */
                        if (ess_mul(cents_value, 10, &cents_value))
                            return beyond_cents(err, row, cents_value < 0);
                }
                ((int64_t *)room)[r] = cents_value;
                break;
            }
            }
        }
    }
    *at = -1;   /* the rows' commit is no column's */
    return ess_ledger_commit_rows(l, (size_t)n, err);
}

/* A batch's rows added to the ledger.  An error of an amount column kept beside the one summed
 * (an aggregate's mean, min, max) names that column and is placed at it: the amount's own
 * messages name none, the amount being the one summed. */
static int import_batch(ess_ledger *l, const struct ArrowSchema *schema,
                        const struct ArrowArray *batch, int cents, ess_error *err)
{
    int64_t at = -1;
    int rc = import_columns(l, schema, batch, cents, &at, err);
    if (rc && err != NULL && err->line > 0 && at >= 0 && (size_t)at < l->ncolumns &&
        (int)at != l->amount && l->columns[at].kind == ESS_COL_AMOUNT) {   /* a row's error */
        char said[ESS_MESSAGE_MAX];
        memcpy(said, err->message, sizeof said);
        if (snprintf(err->message, sizeof err->message, "the column '%.60s': %s",
                     l->columns[at].name, said) < 0)
            memcpy(err->message, said, sizeof said);
        err->column = (long)at + 1;
    } else if (rc && err != NULL && err->line > 0 && at >= 0) {
        /* any other row's error is placed at its field too, as the SQL reader places it: the
         * summed amount's missing value was said at column 1 whatever its place (the label
         * beside it, in a table of labels first), its other refusals at none */
        err->column = (long)at + 1;
    }
    return rc;
}

static int columns_from_schema(ess_ledger *l, const struct ArrowSchema *schema,
                               const char *amount, int *amount_child, ess_error *err)
{
    if (strcmp(schema->format, "+s") != 0)
        return ess_error_set(err, ESS_EINVAL, 0, 0,
                             "Arrow data of format '%s': a struct (a table) is expected",
                             schema->format);
    *amount_child = -1;
    for (int64_t c = 0; c < schema->n_children; c++) {
        const struct ArrowSchema *s = schema->children[c];
        const char *name = s->name ? s->name : "";
        int is_amount = strcmp(name, amount) == 0;
        int kind = kind_of(s, is_amount);
        /* A dictionary-encoded field has its index type as its format: anything but a label
         * column of a text dictionary would read the indices as the values (a pandas category
         * of amounts summed as 0, 1, 2...). */
        if (s->dictionary != NULL && kind != ESS_COL_LABEL)
            return amount_type(err, is_amount, ess_error_set(err, ESS_EINVAL, 0, 0,
                                 "the column '%.60s' is dictionary-encoded over values of the "
                                 "Arrow format '%s': only a dictionary of texts is read (a "
                                 "label column); decode it first", name, s->dictionary->format));
        /* a column beside the amount said "amounts are never floats", as if it were the
         * amount: each refusal says what that column may hold instead */
        if (kind < 0 && is_amount)
            return amount_type(err, is_amount, ess_error_set(err, ESS_EINVAL, 0, 0,
                                 "the column '%.60s' holds floats (%s): amounts are never floats",
                                 name, s->format));
        if (kind < 0)
            return ess_error_set(err, ESS_EINVAL, 0, 0,
                                 "the column '%.60s' holds floats (%s): a column beside the "
                                 "amount holds labels (texts), ints or dates, never floats; "
                                 "give it as ints or texts", name, s->format);
        /* the first amount column is the one summed (ess_ledger_add_column): a decimal
         * before the named amount would be summed in its place */
        if (kind == ESS_COL_AMOUNT && !is_amount && *amount_child < 0)
            return amount_type(err, 1, ess_error_set(err, ESS_EINVAL, 0, 0,
                                 "the column '%.60s' holds amounts (%s) and comes before the "
                                 "amount '%.60s': the amount summed is the first; select the "
                                 "amount first (columns=['%.60s', ...] or SELECT %.60s, ...)",
                                 name, s->format, amount, amount, amount));
        if (kind == 0)
            return amount_type(err, is_amount, ess_error_set(err, ESS_EINVAL, 0, 0,
                                 "the column '%.60s' has the Arrow format '%s'%s, which a ledger "
                                 "cannot hold: %s", name, s->format, format_said(s->format),
                                 is_amount ? "an amount is a decimal or integers (euros, or "
                                             "cents with cents=True)"
                                           : "a column beside the amount holds labels (texts), "
                                             "ints or dates (of a timestamp, give its day)"));
        /* a mark of a unit not known: its figures read as euros could be a thousand times
         * off; refused, never guessed */
        if (kind == ESS_COL_AMOUNT && amount_unit_shift(s->metadata) < 0)
            return amount_type(err, is_amount, ess_error_set(err, ESS_EINVAL, 0, 0,
                                 "the amount column '%.60s' says its figures are in a unit "
                                 "essconv does not know (its field's metadata '%s'): only "
                                 "'EUR', 'kEUR' and 'MEUR' are read; drop the mark or convert "
                                 "the figures", name, ESS_ARROW_AMOUNT_UNIT_KEY));
        int added = ess_ledger_add_column(l, name, kind);
        if (added == -2)
            return ess_error_set(err, ESS_ENOMEM, 0, 0, "out of memory");
        if (added < 0)   /* the one refusal left: the name was added before */
            return ess_error_set(err, ESS_EINVAL, 0, 0,
                                 "the Arrow data has two columns named '%.60s', and a ledger "
                                 "names each column once: rename or drop one", name);
        if (kind == ESS_COL_DATE)   /* the order an essconv export says (none from others) */
            l->columns[added].date_order = date_order_said(s->metadata);
        if (is_amount)
            *amount_child = (int)c;
    }
    if (*amount_child < 0)
        return ess_error_set(err, ESS_EINVAL, 0, 0, "no column '%.60s' for the amount", amount);
    return ESS_OK;
}

/* A column of Arrow's null type after the amount, in data of no row, is an amount column kept
 * (as a decimal there is).  pandas gives an aggregate's mean, min or max of no group -- Decimal
 * objects, none of them -- that type, where with groups the same column is a decimal: read as
 * labels all missing, the two aggregates had different columns and extend() refused to join
 * them.  A label column of pandas is a category (a dictionary), never this.  Before the amount
 * it stays labels (the first amount is the one summed), and with rows too: every value
 * missing, as a blank CSV column. */
static int settle_null_columns_of_no_row(ess_ledger *l, const struct ArrowSchema *schema,
                                         int amount_child, ess_error *err)
{
    if (l->nrows != 0)
        return ESS_OK;
    for (int64_t c = (int64_t)amount_child + 1; c < schema->n_children; c++) {
        const struct ArrowSchema *s = schema->children[c];
        ess_column *col = &l->columns[c];   /* one column a field, in the schema's order */
        if (col->kind != ESS_COL_LABEL || s->dictionary != NULL || !is_null_format(s->format))
            continue;
        if (l->cap) {   /* room for rows never read, at an amount's width */
            void *p = ess_realloc(col->data, l->cap * ess_column_width(ESS_COL_AMOUNT));
            if (p == NULL)
                return ess_error_set(err, ESS_ENOMEM, 0, 0, "out of memory");
            col->data = p;
        }
        ess_dict_clear(&col->dict);   /* no label was ever interned: an amount keeps none */
        col->kind = ESS_COL_AMOUNT;
    }
    return ESS_OK;
}

int ess_ledger_from_arrow(const struct ArrowSchema *schema, const struct ArrowArray *array,
                          const char *amount, int cents, ess_ledger **out, ess_error *err)
{
    *out = NULL;
    ess_ledger *l = ess_ledger_new();
    if (l == NULL)
        return ess_error_set(err, ESS_ENOMEM, 0, 0, "out of memory");
    int amount_child;
    int rc = columns_from_schema(l, schema, amount, &amount_child, err);
    if (rc == ESS_OK)
        rc = import_batch(l, schema, array, cents, err);
    if (rc == ESS_OK)
        rc = settle_null_columns_of_no_row(l, schema, amount_child, err);
    if (rc) {
        ess_ledger_free(l);
        return rc;
    }
    *out = l;
    return ESS_OK;
}

int ess_ledger_from_arrow_stream(struct ArrowArrayStream *stream, const char *amount, int cents,
                                 ess_ledger **out, ess_error *err)
{
    *out = NULL;
    struct ArrowSchema schema;
    memset(&schema, 0, sizeof schema);
    if (stream->get_schema(stream, &schema) != 0) {
        const char *why = stream->get_last_error ? stream->get_last_error(stream) : NULL;
        ess_error_set(err, ESS_EINVAL, 0, 0, "the Arrow stream gave no schema: %s",
                      why ? why : "(no reason given)");
        if (err != NULL) {   /* the producer's failure, not the caller's argument */
            err->detail = ESS_ARROW_PRODUCER;
            err->detail_n = -1;
        }
        return ESS_EINVAL;
    }
    ess_ledger *l = ess_ledger_new();
    int amount_child = -1;
    int rc = l ? columns_from_schema(l, &schema, amount, &amount_child, err)
               : ess_error_set(err, ESS_ENOMEM, 0, 0, "out of memory");
    long batches = 0;   /* received so far: the index of the next */
    while (rc == ESS_OK) {
        struct ArrowArray batch;
        memset(&batch, 0, sizeof batch);
        if (stream->get_next(stream, &batch) != 0) {
            /* a producer failing partway (a generator raising, a connection lost): said with
             * the batch and the rows read before, which tell how far the data went */
            const char *why = stream->get_last_error ? stream->get_last_error(stream) : NULL;
            rc = ess_error_set(err, ESS_EINVAL, 0, 0, "the Arrow stream failed at batch %ld "
                               "(0-based), after %zu row%s read: %s", batches, l->nrows,
                               l->nrows == 1 ? " was" : "s were", why ? why : "(no reason given)");
            if (err != NULL) {
                err->detail = ESS_ARROW_PRODUCER;
                err->detail_n = batches;
                err->detail_m = (long)l->nrows;
            }
            break;
        }
        if (batch.release == NULL)
            break;   /* the end of the stream */
        batches++;
        rc = import_batch(l, &schema, &batch, cents, err);
        batch.release(&batch);
    }
    if (rc == ESS_OK)
        rc = settle_null_columns_of_no_row(l, &schema, amount_child, err);
    if (schema.release)
        schema.release(&schema);
    if (rc) {
        ess_ledger_free(l);
        return rc;
    }
    *out = l;
    return ESS_OK;
}
