/*
 * memory_source.h -- bytes in memory as the file the streamed reader (ess_byte_source) reads at
 * offsets: shared by the C tests (test_alloc.c) and the fuzz harness (fuzz_ledger.c).  Safe to
 * call from several threads at once, as the reader may.
 */
#ifndef ESSCONV_TESTS_MEMORY_SOURCE_H
#define ESSCONV_TESTS_MEMORY_SOURCE_H

#include <stddef.h>
#include <string.h>

typedef struct memory_file {
    const void *data;
    size_t size;
} memory_file;

static int memory_read(void *user, size_t offset, char *buf, size_t cap, size_t *got)
{
    const memory_file *f = user;
    size_t left = offset < f->size ? f->size - offset : 0;
    *got = cap < left ? cap : left;
    if (*got > 0)
        memcpy(buf, (const char *)f->data + offset, *got);
    return 0;
}

#endif
