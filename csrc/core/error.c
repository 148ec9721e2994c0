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
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#if defined(__linux__)
#include <sys/mman.h>
#endif

static ess_allocator current = {malloc, realloc, free};

/* Large blocks freed, kept for the next allocations of their size.  A ledger's columns are
 * blocks of tens or hundreds of megabytes; each new one costs a page fault every 4 KiB when it
 * is first written -- a quarter of the CPU of reading the 1e7-row benchmark file (80 000
 * faults, 200 ms of the kernel's 850 ms in all).  A notebook reads file after file, and a
 * block freed by one reading serves the next without a fault: read again in one process, the
 * benchmark file took 660 ms of CPU instead of 830 (2026-12-01).
 *
 * A kept block is handed to the kernel to take back lazily (MADV_FREE): it stays mapped, and
 * costs nothing to reuse while the machine has memory to spare; under pressure the kernel
 * takes its pages as it would any free page, and a reuse then faults them in again, zeroed.
 * At most POOL_BLOCKS blocks and POOL_BYTES bytes are kept; ess_release_memory gives them all
 * back at once.  Only with the C library's own allocator on glibc (malloc_usable_size tells a
 * block's size at free); a host's allocator sees every allocation, as before.
 *
 * The pool's lock is only ever tried, never waited for without bound: a thread that finds it
 * busy allocates or frees as if there were no pool, and a release or a count tries again for up
 * to 20 ms, so a child forked while another thread held it (the lock held forever there) works
 * on without the pool rather than hanging.
 *
 * What must stay true: a kept block is never handed out twice, and one handed out holds
 * whatever it held: no caller may count on fresh memory being zero (ess_calloc clears its own;
 * the sanitizer build fills a reused block with 0xA5 so that such a reliance fails its tests). */
#if defined(__GLIBC__) && !defined(ESS_NO_POOL)
#define ESS_POOL 1
#include <malloc.h>
#include <threads.h>
#define POOL_MIN ((size_t)4 << 20)      /* a block smaller than 4 MiB is malloc's to keep */
#define POOL_BLOCKS 32
#define POOL_BYTES ((size_t)1 << 30)
static struct {
    void *block;
    size_t bytes;               /* its usable size */
} pool[POOL_BLOCKS];
static size_t pool_count, pool_bytes;
static mtx_t pool_lock;
static once_flag pool_once = ONCE_FLAG_INIT;

static void pool_init(void) { mtx_init(&pool_lock, mtx_plain); }

static int pool_on(void) { return current.malloc_fn == malloc && current.free_fn == free; }

/* A kept block for size bytes (the largest of half to twice size), taken out of the pool; NULL
 * when none is there. */
static void *pool_take(size_t size, size_t *bytes)
{
    call_once(&pool_once, pool_init);
    if (mtx_trylock(&pool_lock) != thrd_success)
        return NULL;   /* busy (or held by a thread a fork left behind): malloc's */
    size_t best = pool_count;
    for (size_t k = 0; k < pool_count; k++)
        if (pool[k].bytes >= size / 2 && pool[k].bytes / 2 <= size &&
            (best == pool_count || pool[k].bytes > pool[best].bytes))
            best = k;
    void *block = NULL;
    if (best < pool_count) {
        block = pool[best].block;
        *bytes = pool[best].bytes;
        pool_bytes -= pool[best].bytes;
        pool[best] = pool[--pool_count];
    }
    mtx_unlock(&pool_lock);
    return block;
}

/* Keeps a block freed, if it is large and there is room; says whether it did. */
static int pool_keep(void *block)
{
    size_t bytes = malloc_usable_size(block);
    if (bytes < POOL_MIN)
        return 0;
#if defined(__linux__) && defined(MADV_FREE)
    /* the kernel may take its pages back while it waits (advice: may fail).  Advised before it
     * is in the pool, never after: another thread may take it from there and write into it at
     * once, and pages advised after that write could be taken back with what it wrote */
    uintptr_t start = ((uintptr_t)block + 4095u) & ~(uintptr_t)4095u;
    uintptr_t end = ((uintptr_t)block + bytes) & ~(uintptr_t)4095u;
    if (end > start)
        madvise((void *)start, end - start, MADV_FREE);
#endif
    call_once(&pool_once, pool_init);
    if (mtx_trylock(&pool_lock) != thrd_success)
        return 0;   /* busy (or held by a thread a fork left behind): given back to malloc */
    int kept = pool_count < POOL_BLOCKS && bytes <= POOL_BYTES - pool_bytes;
    if (kept) {
        pool[pool_count].block = block;
        pool[pool_count++].bytes = bytes;
        pool_bytes += bytes;
    }
    mtx_unlock(&pool_lock);
    return kept;
}
#endif

#ifdef ESS_POOL
/* The pool's lock for a caller that may wait a little (a release, a count, asked for by the
 * user): tried again every 0.1 ms for up to 20 ms, where a thread taking or keeping a block holds
 * it for microseconds, so that a read running beside the release does not make it give back
 * nothing.  Never waited for without bound: in a child forked while another thread held it, no
 * thread will ever let it go. */
static _Atomic int pool_patience_tries = 200;   /* 20 ms; ess_pool_patience sets it (tests) */

static int pool_lock_patiently(void)
{
    call_once(&pool_once, pool_init);
    const int patience = atomic_load(&pool_patience_tries);
    for (int tries = 0; tries < patience; tries++) {
        if (mtx_trylock(&pool_lock) == thrd_success)
            return 1;
        thrd_sleep(&(struct timespec){.tv_sec = 0, .tv_nsec = 100000}, NULL);
    }
    return 0;
}
#endif

size_t ess_release_memory(void)
{
    size_t given = 0;
#ifdef ESS_POOL
    if (!pool_lock_patiently())
        return 0;   /* held past 20 ms: by a thread a fork left behind */
    while (pool_count > 0) {
        pool_count--;
        given += pool[pool_count].bytes;
        free(pool[pool_count].block);   /* kept only from malloc (pool_on) */
    }
    pool_bytes = 0;
    mtx_unlock(&pool_lock);
#endif
    return given;
}

size_t ess_kept_memory(void)
{
    size_t kept = 0;
#ifdef ESS_POOL
    if (!pool_lock_patiently())
        return 0;
    kept = pool_bytes;
    mtx_unlock(&pool_lock);
#endif
    return kept;
}

int ess_pool_patience(int tries)
{
    int before = 0;
#ifdef ESS_POOL
    before = atomic_exchange(&pool_patience_tries, tries);
#else
    (void)tries;
#endif
    return before;
}

int ess_pool_hold(int on)
{
#ifdef ESS_POOL
    call_once(&pool_once, pool_init);
    return (on ? mtx_lock(&pool_lock) : mtx_unlock(&pool_lock)) == thrd_success;
#else
    (void)on;
    return 0;
#endif
}

void ess_set_allocator(const ess_allocator *allocator)
{
    ess_release_memory();   /* the kept blocks are the C library's: given back before a switch */
    if (allocator == NULL) {
        current.malloc_fn = malloc;
        current.realloc_fn = realloc;
        current.free_fn = free;
    } else {
        current = *allocator;
    }
}

void *ess_malloc(size_t size)
{
#ifdef ESS_POOL
    if (size >= POOL_MIN && pool_on()) {
        size_t bytes = 0;
        void *block = pool_take(size, &bytes);
        if (block != NULL) {
            /* a block much larger than asked is cut to size (its tail given back: no copy), a
             * smaller one grown (its pages kept, the new ones faulted in as they are written) */
            if (bytes < size || bytes - size > bytes / 8) {
                void *fitted = realloc(block, size);
                if (fitted == NULL) {
                    free(block);
                    return NULL;
                }
                block = fitted;
            }
#ifdef ESS_POOL_POISON
            memset(block, 0xA5, size);   /* the sanitizer build: no reliance on zeros */
#endif
            return block;
        }
    }
#endif
    return current.malloc_fn(size ? size : 1);
}

void *ess_calloc(size_t count, size_t size)
{
    if (size != 0 && count > SIZE_MAX / size)
        return NULL;
    void *p = ess_malloc(count * size);
    if (p != NULL)
        memset(p, 0, count * size);
    return p;
}

void *ess_realloc(void *ptr, size_t size)
{
    if (ptr == NULL)
        return ess_malloc(size);   /* a column's first block may be a kept one */
    return current.realloc_fn(ptr, size ? size : 1);
}

void ess_free(void *ptr)
{
    if (ptr == NULL)
        return;
#ifdef ESS_POOL
    if (pool_on() && pool_keep(ptr))
        return;
#endif
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
        err->detail_m = 0;
        err->row.kind = ESS_BAD_OTHER;   /* a refused row's reason is its reader's to add */
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
        err->detail_m = 0;
        memset(&err->row, 0, sizeof err->row);
    }
}
