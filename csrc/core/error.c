/*
 * error.c -- the one place errors are written, and the hookable allocator.
 *
 * Every allocation of the core goes through ess_malloc / ess_realloc / ess_free so that a host
 * can account for memory and a test can make the N-th allocation fail (as SQLite's test
 * harness does) to prove every failure path frees what it took and reports ESS_ENOMEM.
 *
 * A message is cut to its buffer, and a name or a cell inside it to a precision ("%.60s"):
 * either may end inside a UTF-8 character, which the Python binding cannot decode (the analyst
 * would get a UnicodeDecodeError instead of the error).  So every message written is mended
 * (ess_text_mend): the bytes of a cut character are dropped.
 *
 * Layer: the ground (calls libc only; every other file calls it).  Invariant: a message is
 * always NUL-terminated within ESS_MESSAGE_MAX, and valid UTF-8.
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

/* The length of the well-formed UTF-8 character at s (NUL-terminated), or 0: an ASCII byte is
 * one; a lead byte needs its continuation bytes, none of them the NUL, and no overlong form,
 * surrogate or code point past U+10FFFF. */
static size_t utf8_char_len(const unsigned char *s)
{
    if (s[0] < 0x80)
        return 1;
    size_t n = s[0] >= 0xC2 && s[0] <= 0xDF ? 2 : s[0] >= 0xE0 && s[0] <= 0xEF ? 3
                                                 : s[0] >= 0xF0 && s[0] <= 0xF4 ? 4 : 0;
    for (size_t k = 1; k < n; k++)
        if ((s[k] & 0xC0) != 0x80)
            return 0;   /* the NUL included: a character cut by the end of the message */
    if ((s[0] == 0xE0 && s[1] < 0xA0) || (s[0] == 0xED && s[1] > 0x9F) ||
        (s[0] == 0xF0 && s[1] < 0x90) || (s[0] == 0xF4 && s[1] > 0x8F))
        return 0;
    return n;
}

void ess_text_mend(char *s)
{
    unsigned char *in = (unsigned char *)s, *out = in;
    while (*in != '\0') {
        size_t n = utf8_char_len(in);
        if (n == 0) {
            in++;   /* a byte of a cut character, or of none: dropped */
            continue;
        }
        memmove(out, in, n);
        out += n;
        in += n;
    }
    *out = '\0';
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
        ess_text_mend(err->message);
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
