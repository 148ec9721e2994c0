/*
 * error.c -- the one place errors are written, and the hookable allocator.
 *
 * Every allocation of the core goes through ess_malloc / ess_realloc / ess_free so that a host
 * can account for memory and a test can make the N-th allocation fail (as SQLite's test
 * harness does) to prove every failure path frees what it took and reports ESS_ENOMEM.
 *
 * Layer: the ground (calls libc only; every other file calls it).  Invariant: a message is
 * always NUL-terminated within ESS_MESSAGE_MAX.
 */
#define _DEFAULT_SOURCE   /* madvise's MADV_HUGEPAGE (Linux) */
#include "internal.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#if defined(__linux__)
#include <sys/mman.h>
#endif

static ess_allocator current = {malloc, realloc, free};

void ess_set_allocator(const ess_allocator *allocator)
{
    if (allocator == NULL) {
        current.malloc_fn = malloc;
        current.realloc_fn = realloc;
        current.free_fn = free;
    } else {
        current = *allocator;
    }
}

void *ess_malloc(size_t size) { return current.malloc_fn(size ? size : 1); }

void *ess_calloc(size_t count, size_t size)
{
    if (size != 0 && count > SIZE_MAX / size)
        return NULL;
    void *p = ess_malloc(count * size);
    if (p != NULL)
        memset(p, 0, count * size);
    return p;
}

void *ess_realloc(void *ptr, size_t size) { return current.realloc_fn(ptr, size ? size : 1); }

void ess_free(void *ptr)
{
    if (ptr != NULL)
        current.free_fn(ptr);
}

void ess_advise_huge_pages(void *data, size_t bytes)
{
#if defined(__linux__) && defined(MADV_HUGEPAGE)
    uintptr_t start = ((uintptr_t)data + 4095u) & ~(uintptr_t)4095u;   /* whole pages inside */
    uintptr_t end = ((uintptr_t)data + bytes) & ~(uintptr_t)4095u;
    if (end > start && bytes >= ((size_t)1 << 22))
        madvise((void *)start, end - start, MADV_HUGEPAGE);   /* advice only: failure is fine */
#else
    (void)data;
    (void)bytes;
#endif
}

char *ess_strndup(const char *text, size_t len)
{
    char *copy = ess_malloc(len + 1);
    if (copy == NULL)
        return NULL;
    memcpy(copy, text, len);
    copy[len] = '\0';
    return copy;
}

int ess_error_set(ess_error *err, int status, long line, long column, const char *fmt, ...)
{
    if (err != NULL) {
        va_list ap;
        err->status = status;
        err->line = line;
        err->column = column;
        err->detail = 0;   /* a detail is the parser's to add after it, never a former error's */
        err->detail_n = 0;
        va_start(ap, fmt);
        vsnprintf(err->message, sizeof err->message, fmt, ap);
        va_end(ap);
    }
    return status;
}

void ess_error_clear(ess_error *err)
{
    if (err != NULL) {
        err->status = ESS_OK;
        err->line = err->column = 0;
        err->message[0] = '\0';
        err->detail = 0;
        err->detail_n = 0;
    }
}
