/*
 * stream_source.c -- a seekable binary Python stream (a gzip or zip member, any object with
 * readinto, seek and tell) as the core's byte source, read ahead on a thread of its own.
 *
 * The core reads its source on the calling thread, which also merges the parsed chunks; a
 * stream that decompresses as it is read (zlib: about 1 s for 400 MB on one core) would then
 * add its whole time to the merges'.  So a reader thread calls the stream's readinto, taking the
 * GIL for each call (into a bytearray of that call, copied into the ring: see read_stream_once),
 * into a ring of blocks the core's reads copy from, while the calling thread merges and the
 * others parse.  The core's offsets follow each other, but for a pass read again
 * from 0: the reader thread is then stopped, and started again from there (the stream is
 * seeked back to where it stood when the read began plus that offset).
 *
 * What must stay true: the reader thread touches the stream only with the GIL held, and the
 * calling thread only waits for it with the GIL released (the read runs inside
 * Py_BEGIN_ALLOW_THREADS, and the reader is stopped before it ends); an exception the stream
 * raises is fetched on the thread it was raised on (a thread state made for one call is
 * gone after it) and restored on the calling thread by stream_source_end; once one is raised,
 * nothing more is asked of the stream.  A calling thread that waits for a block looks for
 * Ctrl-C every 50 ms (the read of a large gzip file takes seconds, and a notebook's interrupt
 * must stop it as it stopped the stream read on that thread).  If the reader thread cannot
 * start, or the read is to run on one thread (threads=1: a Dask worker's share), the calling
 * thread reads the stream itself.
 */
#include "binding.h"

#include <string.h>
#include <threads.h>
#include <time.h>

#define RING 2                       /* blocks read ahead */
#define RING_BLOCK ((size_t)4 << 20) /* the core's own block size (CHUNK_TARGET) */

struct stream_source {
    PyObject *stream;       /* borrowed: the caller holds it for the whole read */
    Py_ssize_t start;       /* its position when the read began */
    size_t at;              /* bytes of it given since start (the reader's side) */
    PyObject *exc_type, *exc_value, *exc_tb;   /* what it raised, fetched (owned) */
    PyObject *int_type, *int_value, *int_tb;   /* a signal's exception (Ctrl-C) raised on the
                                                * calling thread while it waited (owned) */

    /* the ring, under lock: blocks [head, tail) are full; the reader fills tail, the core's
     * reads copy from head (its first `taken` bytes already given) */
    mtx_t lock;
    cnd_t changed;
    int synced;             /* lock and changed exist */
    thrd_t thread;
    int running;            /* the reader thread was started and not yet joined */
    int stop;               /* the reader must stop at its next look */
    int eof, failed;        /* the stream gave 0 bytes, or raised */
    char *blocks[RING];
    size_t lens[RING];
    size_t head, tail, taken;
    size_t read_at;         /* the offset the reader reads next */
    size_t given;           /* the offset the core's next read should ask for */
    long long looked;       /* when the calling thread last looked for Ctrl-C (ns), 0: never */
    PyObject *scratch;      /* the bytearray each readinto call fills (read_stream_once), made
                             * once: one of RING_BLOCK bytes made and zeroed a call cost a
                             * stream of short reads (7 bytes a call) 4 MiB of memset each */
};

/* One call of the stream's readinto at offset (seeked to first when not where it stands),
 * with the GIL taken for it; an exception it raises is fetched into src. */
static int read_stream_once(stream_source *src, size_t offset, char *buf, size_t cap,
                            size_t *got)
{
    PyGILState_STATE g = PyGILState_Ensure();
    int rc = -1;
    *got = 0;
    if (src->exc_type != NULL)   /* raised before: nothing more is asked of it */
        goto done;
    if (offset != src->at) {
        if (offset > (size_t)(PY_SSIZE_T_MAX - src->start)) {
            PyErr_SetString(PyExc_OverflowError, "the stream's offset is too large");
            goto failed;
        }
        PyObject *r = PyObject_CallMethod(src->stream, "seek", "n",
                                          src->start + (Py_ssize_t)offset);
        if (r == NULL)
            goto failed;
        Py_DECREF(r);
        src->at = offset;
    }
    /* A call's bytes: at most a block (a short read is a read; the next call goes on). */
    Py_ssize_t want = (Py_ssize_t)(cap < RING_BLOCK ? cap : RING_BLOCK);
    /* What must stay true: the stream never sees memory of ours.  It writes into a bytearray
     * of this source (src->scratch, a Python object), copied into buf once it has returned.  A
     * view of buf itself could outlive the call: release() revokes the memoryview given, not a
     * slice of it (b[:]) or a numpy array over it, which the stream may keep and write into (or
     * read) after the block was handed to the core or freed.  A view kept now pins the
     * bytearray, which only this stream's own reads use: what it writes there later can only
     * spoil its own bytes, and is copied nowhere once its call has returned. */
    if (src->scratch != NULL && PyByteArray_GET_SIZE(src->scratch) != (Py_ssize_t)RING_BLOCK)
        Py_CLEAR(src->scratch);   /* the stream resized it (a view's .obj): a new one */
    if (src->scratch == NULL) {
        src->scratch = PyByteArray_FromStringAndSize(NULL, (Py_ssize_t)RING_BLOCK);
        if (src->scratch == NULL)
            goto failed;
        memset(PyByteArray_AS_STRING(src->scratch), 0, RING_BLOCK);   /* no stale heap bytes */
    }
    PyObject *chunk = Py_NewRef(src->scratch);
    PyObject *whole = PyMemoryView_FromObject(chunk);   /* the bytearray cannot resize under it */
    PyObject *view = whole == NULL ? NULL : PySequence_GetSlice(whole, 0, want);
    if (view == NULL) {
        if (whole != NULL) {
            PyObject *r = PyObject_CallMethod(whole, "release", NULL);
            Py_XDECREF(r);
            Py_DECREF(whole);
        }
        Py_DECREF(chunk);
        goto failed;
    }
    PyObject *n = PyObject_CallMethod(src->stream, "readinto", "O", view);
    /* released if it can be, whether readinto raised or not (its exception, if any, is the
     * one kept): a stream that took a buffer of it (np.frombuffer) keeps that buffer, over a
     * bytearray that is its alone now, so its BufferError is no failure of the read */
    PyObject *type, *value, *tb;
    PyErr_Fetch(&type, &value, &tb);
    PyObject *released = PyObject_CallMethod(view, "release", NULL);
    Py_XDECREF(released);
    Py_DECREF(view);
    PyErr_Clear();
    released = PyObject_CallMethod(whole, "release", NULL);   /* the slice's base */
    Py_XDECREF(released);
    Py_DECREF(whole);
    PyErr_Clear();
    PyErr_Restore(type, value, tb);
    if (n == NULL) {
        Py_DECREF(chunk);
        goto failed;
    }
    Py_ssize_t count = n == Py_None ? -1 : PyLong_AsSsize_t(n);
    Py_DECREF(n);
    if (count == -1 && PyErr_Occurred()) {
        Py_DECREF(chunk);
        goto failed;
    }
    /* the bytearray's own size too: a view kept by the stream pins it, but once that view is
     * gone the stream could have resized it (PyLong_AsSsize_t may run its __index__) */
    if (count < 0 || count > want || count > PyByteArray_GET_SIZE(chunk)) {
        Py_DECREF(chunk);
        PyErr_Format(PyExc_OSError, "the stream's readinto gave %zd bytes for %zd", count, want);
        goto failed;
    }
    memcpy(buf, PyByteArray_AS_STRING(chunk), (size_t)count);
    Py_DECREF(chunk);
    src->at += (size_t)count;
    *got = (size_t)count;
    rc = 0;
    goto done;
failed:
    PyErr_Fetch(&src->exc_type, &src->exc_value, &src->exc_tb);
done:
    PyGILState_Release(g);
    return rc;
}

static int reader_main(void *arg)
{
    stream_source *src = arg;
    mtx_lock(&src->lock);
    for (;;) {
        while (!src->stop && src->tail - src->head == RING)
            cnd_wait(&src->changed, &src->lock);
        if (src->stop || src->eof || src->failed)
            break;
        size_t slot = src->tail % RING, offset = src->read_at, got = 0;
        mtx_unlock(&src->lock);   /* the slot is the reader's until tail moves past it */
        int rc = read_stream_once(src, offset, src->blocks[slot], RING_BLOCK, &got);
        mtx_lock(&src->lock);
        if (rc)
            src->failed = 1;
        else if (got == 0)
            src->eof = 1;
        else {
            src->lens[slot] = got;
            src->read_at += got;
            src->tail++;
        }
        cnd_broadcast(&src->changed);
    }
    mtx_unlock(&src->lock);
    return 0;
}

/* Stops the reader thread and waits for it (called without the GIL, which it may need to
 * finish its call). */
static void stop_reader(stream_source *src)
{
    if (!src->running)
        return;
    mtx_lock(&src->lock);
    src->stop = 1;
    cnd_broadcast(&src->changed);
    mtx_unlock(&src->lock);
    thrd_join(src->thread, NULL);
    src->running = 0;
}

/* The reader thread started at offset, the ring empty; 0 if it could not start. */
static int start_reader(stream_source *src, size_t offset)
{
    src->head = src->tail = src->taken = 0;
    src->stop = src->eof = src->failed = 0;
    src->read_at = src->given = offset;
    src->running = thrd_create(&src->thread, reader_main, src) == thrd_success;
    return src->running;
}

#define SIGNAL_LOOK_NS 50000000L   /* how often a waiting read looks for Ctrl-C */

/* While the calling thread waits for a block: whether a signal's handler raised (Ctrl-C in a
 * notebook: KeyboardInterrupt), kept for stream_source_end.  Called without src->lock, which
 * the reader may want while it holds the GIL. */
static int interrupted(stream_source *src)
{
    PyGILState_STATE g = PyGILState_Ensure();
    int raised = PyErr_CheckSignals() < 0;   /* only the main thread runs the handlers */
    if (raised)
        PyErr_Fetch(&src->int_type, &src->int_value, &src->int_tb);
    PyGILState_Release(g);
    return raised;
}

/* The core's read: from the ring, the reader thread started (again) when the offset is not the
 * one it reads; the stream read on this thread when no thread can start. */
static int stream_source_read(void *user, size_t offset, char *buf, size_t cap, size_t *got)
{
    stream_source *src = user;
    *got = 0;
    if (src->int_type != NULL)   /* interrupted: the core is stopping */
        return -1;
    if (!src->synced)
        return read_stream_once(src, offset, buf, cap, got);
    if (!src->running || offset != src->given) {
        stop_reader(src);
        if (!start_reader(src, offset))
            return read_stream_once(src, offset, buf, cap, got);
    }
    mtx_lock(&src->lock);
    while (src->head == src->tail && !src->eof && !src->failed) {
        /* waiting: every SIGNAL_LOOK_NS of it, whether blocks came meanwhile or not (a slow
         * stream gives small ones often), a look for Ctrl-C */
        struct timespec now;
        timespec_get(&now, TIME_UTC);
        long long at = (long long)now.tv_sec * 1000000000LL + now.tv_nsec;
        if (src->looked == 0)
            src->looked = at;
        if (at - src->looked >= SIGNAL_LOOK_NS) {
            src->looked = at;
            mtx_unlock(&src->lock);
            if (interrupted(src))
                return -1;   /* the core stops; stream_source_stop stops the reader */
            mtx_lock(&src->lock);
            continue;
        }
        struct timespec until = now;
        until.tv_nsec += SIGNAL_LOOK_NS;
        if (until.tv_nsec >= 1000000000L) {
            until.tv_sec++;
            until.tv_nsec -= 1000000000L;
        }
        cnd_timedwait(&src->changed, &src->lock, &until);
    }
    int empty = src->head == src->tail, failed = src->failed;
    mtx_unlock(&src->lock);
    *got = 0;
    if (empty)   /* every block read before the end or the failure is given first */
        return failed ? -1 : 0;
    /* the head block is this thread's until head moves past it */
    size_t slot = src->head % RING, n = src->lens[slot] - src->taken;
    n = n < cap ? n : cap;
    memcpy(buf, src->blocks[slot] + src->taken, n);
    src->taken += n;
    src->given += n;
    *got = n;
    if (src->taken == src->lens[slot]) {
        mtx_lock(&src->lock);
        src->head++;
        src->taken = 0;
        cnd_broadcast(&src->changed);
        mtx_unlock(&src->lock);
    }
    return 0;
}

stream_source *stream_source_new(PyObject *stream, int read_ahead)
{
    PyObject *at = PyObject_CallMethod(stream, "tell", NULL);
    if (at == NULL)
        return NULL;
    Py_ssize_t start = PyLong_AsSsize_t(at);
    Py_DECREF(at);
    if (start == -1 && PyErr_Occurred())
        return NULL;
    stream_source *src = PyMem_RawCalloc(1, sizeof *src);
    if (src == NULL)
        return (stream_source *)PyErr_NoMemory();
    src->stream = stream;
    src->start = start;
    int blocks = read_ahead;   /* else: read on the calling thread, no ring */
    for (int k = 0; k < RING && blocks; k++)
        blocks &= (src->blocks[k] = PyMem_RawMalloc(RING_BLOCK)) != NULL;
    if (blocks && mtx_init(&src->lock, mtx_plain) == thrd_success) {
        if (cnd_init(&src->changed) == thrd_success)
            src->synced = 1;   /* else: read on the calling thread, no ring */
        else
            mtx_destroy(&src->lock);
    }
    return src;
}

ess_byte_source stream_source_bytes(stream_source *src)
{
    return (ess_byte_source){stream_source_read, src, ESS_SIZE_UNKNOWN};
}

void stream_source_stop(stream_source *src)
{
    stop_reader(src);
}

int stream_source_end(stream_source *src, int restore)
{
    int raised = src->exc_type != NULL || src->int_type != NULL;
    if (src->int_type != NULL) {   /* Ctrl-C first: the stream may have failed after it */
        Py_XDECREF(src->exc_type);
        Py_XDECREF(src->exc_value);
        Py_XDECREF(src->exc_tb);
        src->exc_type = src->int_type;
        src->exc_value = src->int_value;
        src->exc_tb = src->int_tb;
    }
    if (raised && restore) {
        PyErr_Restore(src->exc_type, src->exc_value, src->exc_tb);
    } else {
        Py_XDECREF(src->exc_type);
        Py_XDECREF(src->exc_value);
        Py_XDECREF(src->exc_tb);
    }
    Py_CLEAR(src->scratch);   /* the GIL is held here; a view the stream kept pins its own */
    for (int k = 0; k < RING; k++)
        PyMem_RawFree(src->blocks[k]);
    if (src->synced) {
        cnd_destroy(&src->changed);
        mtx_destroy(&src->lock);
    }
    PyMem_RawFree(src);
    return raised ? -1 : 0;
}
