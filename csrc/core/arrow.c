/*
 * arrow.c -- a ledger as Arrow C data: the standard way to hand columns to pyarrow, polars,
 * duckdb and pandas.  Money leaves as decimal128(38, 2): 16-byte little-endian two's complement
 * of the cents, exact in every consumer.
 *
 * Each exported array owns its buffers (copies of the ledger's): the export outlives the ledger
 * and its release callback, which a consumer may call from any thread, touches nothing else.
 * "Released" is explicit: release == NULL, as the specification says.
 */
#include "essconv.h"

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
    struct ArrowSchema **children; /* owned, each owned */
    int64_t nchildren;
    struct ArrowSchema *dictionary;
} schema_private;

static void release_array(struct ArrowArray *a)
{
    if (a == NULL || a->release == NULL)
        return;
    array_private *p = a->private_data;
    if (p) {
        for (int64_t c = 0; c < p->nchildren; c++) {
            if (p->children[c] && p->children[c]->release)
                p->children[c]->release(p->children[c]);
            ess_free(p->children[c]);
        }
        ess_free(p->children);
        if (p->dictionary) {
            if (p->dictionary->release)
                p->dictionary->release(p->dictionary);
            ess_free(p->dictionary);
        }
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
        for (int64_t c = 0; c < p->nchildren; c++) {
            if (p->children[c] && p->children[c]->release)
                p->children[c]->release(p->children[c]);
            ess_free(p->children[c]);
        }
        ess_free(p->children);
        if (p->dictionary) {
            if (p->dictionary->release)
                p->dictionary->release(p->dictionary);
            ess_free(p->dictionary);
        }
        ess_free(p->format);
        ess_free(p->name);
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
        size_t w = date ? 4 : 8;
        void *copy = ess_malloc((n ? n : 1) * w);
        if (copy == NULL)
            return ESS_ENOMEM;
        memcpy(copy, col->data, n * w);
        set_buffer(a, 1, copy);
        return validity(a, n, col->data, col->kind);
    }
    case ESS_COL_AMOUNT: {
        if ((rc = init_schema(s, "d:38,2", col->name, 0, 0)) ||
            (rc = init_array(a, (int64_t)n, 2, 0)))
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
