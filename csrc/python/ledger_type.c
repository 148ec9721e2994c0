/*
 * ledger_type.c -- _core.Ledger (columnar records held by the core) and _core.ColumnBuffer (one
 * column exported through the buffer protocol).  essconv.ledger.Ledger wraps them.
 *
 * Parsing and aggregation run with the GIL released: no Python API between
 * Py_BEGIN_ALLOW_THREADS and Py_END_ALLOW_THREADS, except the progress callback, which takes
 * the GIL back itself.  A ledger with a live buffer export refuses to change (BufferError).
 *
 * Readers and writers of one ledger (a readers-writer lock that never waits holding the GIL):
 * - the columns and their dictionaries change only with the GIL held and no reader counted;
 * - a method that reads them with the GIL released (group_by, pivot, filter, the Arrow
 *   exports) is a reader: it counts itself in `readers` under the GIL before releasing it and
 *   uncounts itself once it holds the GIL again.  Methods that read with the GIL held (len,
 *   total, dictionary, copy_column, a buffer export) need nothing more: a writer cannot run
 *   meanwhile.  Whatever a reader derives from the ledger (filter's label codes) it derives
 *   once counted, or an extend could slip in between;
 * - a writer (extend, rename) closes `gate`, so that no new reader starts and a stream of
 *   readers cannot starve it, then waits for the counted readers to drain on `idle` (held by
 *   the readers as a group while they are more than zero), and changes the ledger with the GIL
 *   held before it opens the gate again;
 * - every wait on `gate` or `idle` happens with the GIL released, because the threads it waits
 *   for need the GIL to finish (a reader to uncount itself, a writer to write); a reader's C
 *   section never calls back into Python, so it cannot wait for anything while counted.
 * So `extend` from one thread while others group the same ledger waits for the groupings in
 * flight and is never seen half done: every result is the ledger before or after an extend.
 * A child process made by fork() inherits the locks as the parent's threads held them, without
 * those threads: each ledger forgets them the first time the child uses it.
 */
#include "binding.h"

#include <errno.h>
#include <string.h>
#include <unistd.h>   /* pread: a path is read by the core in blocks (read_csv_fd) */

#include "pythread.h"

typedef struct LedgerObject {
    PyObject_HEAD
    ess_ledger *ledger;       /* owned by self; never NULL once constructed */
    Py_ssize_t readers;       /* C sections reading the columns without the GIL (GIL-protected) */
    PyThread_type_lock idle;  /* held while readers > 0: a writer waits on it (owned) */
    PyThread_type_lock gate;  /* held by a writer while it waits and writes: new readers wait
                               * (owned) */
    unsigned long forks;      /* forks_seen when the locks were last known right */
} LedgerObject;   /* made only by wrap_ledger(), which sets up the lock */

/* Forks this process has come out of as the child (os.register_at_fork, under the GIL). */
static unsigned long forks_seen;

/* In a child of fork(), the readers counted and the lock holders were the parent's other
 * threads, which the child does not have: none of them will ever leave.  Under the GIL. */
static void forget_parent_threads(LedgerObject *self)
{
    if (self->forks == forks_seen)
        return;
    self->forks = forks_seen;
    self->readers = 0;
    /* free each lock: taken now if it was free, else held by a thread that is gone */
    PyThread_acquire_lock(self->idle, NOWAIT_LOCK);
    PyThread_release_lock(self->idle);
    PyThread_acquire_lock(self->gate, NOWAIT_LOCK);
    PyThread_release_lock(self->gate);
}

/* Takes the gate, under the GIL: when a writer holds it, waits with the GIL released (the
 * writer needs the GIL to finish).  Returns holding both; nobody waits for the gate holding
 * the GIL, so holding the gate while the GIL comes back cannot deadlock. */
static void take_gate(LedgerObject *self)
{
    forget_parent_threads(self);
    if (!PyThread_acquire_lock(self->gate, NOWAIT_LOCK)) {
        Py_BEGIN_ALLOW_THREADS
        PyThread_acquire_lock(self->gate, WAIT_LOCK);
        Py_END_ALLOW_THREADS
    }
}

/* Counts a reader in, under the GIL; after a writer that holds the gate has finished. */
static void reader_enter(LedgerObject *self)
{
    take_gate(self);
    PyThread_release_lock(self->gate);
    /* With no reader counted, only a writer could hold `idle`, and a writer takes it only while
     * it holds the gate, after it has seen readers > 0 under the GIL: it is free here. */
    if (self->readers++ == 0) {
        int free_now = PyThread_acquire_lock(self->idle, NOWAIT_LOCK);
        assert(free_now);
        (void)free_now;
    }
}

/* Counts a reader out, under the GIL: the last one out lets a waiting writer in. */
static void reader_exit(LedgerObject *self)
{
    assert(self->readers > 0);
    if (--self->readers == 0)
        PyThread_release_lock(self->idle);
}

/* Makes the calling writer the only user of the columns: called with the GIL held, returns
 * with the GIL held, the gate closed and no reader counted.  writer_exit() reopens the gate. */
static void writer_enter(LedgerObject *self)
{
    take_gate(self);
    /* the gate is closed: the readers counted can only leave, and the last one frees `idle` */
    if (self->readers > 0) {
        Py_BEGIN_ALLOW_THREADS
        PyThread_acquire_lock(self->idle, WAIT_LOCK);
        PyThread_release_lock(self->idle);
        Py_END_ALLOW_THREADS
    }
    assert(self->readers == 0);
}

static void writer_exit(LedgerObject *self)
{
    PyThread_release_lock(self->gate);
}

typedef struct ColumnObject {
    PyObject_HEAD
    LedgerObject *owner;  /* the ledger whose column this is (a strong reference) */
    int column;           /* index of the column */
    Py_ssize_t shape;     /* rows at the time of the export */
    Py_ssize_t stride;    /* bytes from one row to the next: the exports' strides point here,
                           * in this object (which every export holds), never into the caller's
                           * Py_buffer, which a consumer may copy and drop */
    Py_ssize_t views;     /* buffers given out and not yet released: the owner stays until 0 */
} ColumnObject;

PyObject *wrap_ledger(module_state *st, ess_ledger *l)
{
    LedgerObject *self = PyObject_New(LedgerObject, st->ledger_type);
    if (self == NULL) {
        ess_ledger_free(l);
        return NULL;
    }
    self->ledger = l;
    self->readers = 0;
    self->forks = forks_seen;
    self->idle = PyThread_allocate_lock();
    self->gate = PyThread_allocate_lock();
    if (self->idle == NULL || self->gate == NULL) {
        Py_DECREF(self);
        return PyErr_NoMemory();
    }
    return (PyObject *)self;
}

ess_ledger *ledger_of(module_state *st, PyObject *obj)
{
    if (!PyObject_TypeCheck(obj, st->ledger_type)) {
        PyErr_SetString(st->argument_type_error, "a _core.Ledger is expected");
        return NULL;
    }
    return ((LedgerObject *)obj)->ledger;
}

static void ledger_dealloc(LedgerObject *self)
{
    PyTypeObject *tp = Py_TYPE(self);
    /* no reader or writer can be running: each holds a reference to self */
    if (self->idle)
        PyThread_free_lock(self->idle);
    if (self->gate)
        PyThread_free_lock(self->gate);
    ess_ledger_free(self->ledger);
    tp->tp_free((PyObject *)self);
    Py_DECREF(tp);
}

/* Each bad row as (line, column, message, (kind, column name, value, count, expected, amount,
 * detail)): detail names ESS_AMOUNT_* ("" for none), count and expected then its number and
 * its character in the cell. */
static PyObject *bad_rows_list(const ess_bad_rows *b)
{
    PyObject *list = PyList_New((Py_ssize_t)b->count);
    for (size_t k = 0; list && k < b->count; k++) {
        PyObject *t = Py_BuildValue("(llsN)", b->items[k].line, b->items[k].column,
                                    b->items[k].message, bad_reason_tuple(&b->items[k].reason));
        if (t == NULL) {
            Py_CLEAR(list);
            break;
        }
        PyList_SET_ITEM(list, (Py_ssize_t)k, t);
    }
    return list;
}

/* ------------------------------------------------------------------ reading */

typedef struct progress_call {
    PyObject *callback;   /* borrowed: alive for the whole read */
    int failed;           /* the callback raised: its exception is kept for the caller */
} progress_call;

static int call_progress(void *user, size_t done, size_t total)
{
    progress_call *p = user;
    PyGILState_STATE g = PyGILState_Ensure();
    PyObject *r = PyObject_CallFunction(p->callback, "nn", (Py_ssize_t)done, (Py_ssize_t)total);
    int stop = 0;
    if (r == NULL) {
        p->failed = 1;   /* keep the exception set; the read stops (KeyboardInterrupt too) */
        stop = 1;
    } else {
        Py_DECREF(r);
    }
    PyGILState_Release(g);
    return stop;
}

/* A file descriptor as the core's byte source: pread at the offset asked, so that the
 * core's re-reads (the point as decimal mark, the whole-file read) start again without a seek;
 * the errno of a failure is kept for the OSError. */
typedef struct fd_source {
    int fd;
    int error;            /* errno of the read that failed, 0 if none */
} fd_source;

static int fd_read(void *user, size_t offset, char *buf, size_t cap, size_t *got)
{
    fd_source *src = user;
    size_t most = (size_t)1 << 30;   /* a read's count stays well within ssize_t */
    for (;;) {
        ssize_t n = pread(src->fd, buf, cap < most ? cap : most, (off_t)offset);
        if (n >= 0) {
            *got = (size_t)n;
            return 0;
        }
        if (errno != EINTR) {
            src->error = errno;
            return -1;
        }
    }
}

/* read_csv, read_csv_fd and read_csv_stream: the bytes given (data.buf), or the file behind
 * source read as it is parsed (*source_errno: why a descriptor's read failed; stream: the
 * stream source behind source, whose failure is its exception, freed here); the same spec,
 * the same result. */
static PyObject *read_csv_with(PyTypeObject *cls, const Py_buffer *data,
                               ess_byte_source *source, const int *source_errno,
                               stream_source *stream,
                               PyObject *names_obj, PyObject *kinds_obj,
                               int delimiter, int encoding, int decimal, int collect_bad,
                               int all_columns, PyObject *progress, int threads,
                               Py_ssize_t chunk_bytes, int dash_is_zero, int date_order,
                               int short_rows_blank)
{
    module_state *st = state_of_type(cls);
    PyObject *names = NULL, *kinds = NULL, *result = NULL;
    const char **cnames = NULL;
    int *ckinds = NULL;
    if (st == NULL || delimiter_mark(st, delimiter) ||
        ascii_mark(st, decimal, "decimal mark"))
        goto done;
    if (date_order != ESS_DATES_DETECT && date_order != ESS_DATES_DMY &&
        date_order != ESS_DATES_MDY) {
        PyErr_SetString(st->invalid_error, "date_order is 'd' (day first) or 'm' (month first)");
        goto done;
    }
    /* Tuples, copies of lists: a kind's __index__ runs Python code, which may empty the list
     * of names indexed (past its end) or free the names whose UTF-8 the core reads, and so
     * may a progress callback during the read.  What must stay true: the names lent to the
     * core belong to a tuple held until the read is over. */
    names = PySequence_Tuple(names_obj);
    kinds = names ? PySequence_Tuple(kinds_obj) : NULL;
    if (kinds == NULL)
        goto done;
    Py_ssize_t n = PyTuple_GET_SIZE(names);
    if (PyTuple_GET_SIZE(kinds) != n) {
        PyErr_SetString(st->invalid_error, "names and kinds differ in length");
        goto done;
    }
    cnames = PyMem_Calloc((size_t)n + 1, sizeof *cnames);
    ckinds = PyMem_Calloc((size_t)n + 1, sizeof *ckinds);
    if (!cnames || !ckinds) {
        PyErr_NoMemory();
        goto done;
    }
    for (Py_ssize_t k = 0; k < n; k++) {
        Py_ssize_t len;
        cnames[k] = PyUnicode_AsUTF8AndSize(PyTuple_GET_ITEM(names, k), &len);
        ckinds[k] = (int)PyLong_AsLong(PyTuple_GET_ITEM(kinds, k));
        if (cnames[k] == NULL || PyErr_Occurred())
            goto done;
        /* the core reads a name up to its NUL: 'm\0x' read the column 'm' without a word */
        if (strlen(cnames[k]) != (size_t)len) {
            PyErr_Format(st->invalid_error, "no column name holds a NUL character: %R",
                         PyTuple_GET_ITEM(names, k));
            goto done;
        }
    }
    progress_call pc = {progress, 0};
    ess_csv_spec spec = {cnames, ckinds, (size_t)n, (char)delimiter, (ess_encoding)encoding,
                         (char)decimal, (collect_bad ? ESS_CSV_COLLECT_BAD : 0u) |
                                            (all_columns ? ESS_CSV_ALL_COLUMNS : 0u) |
                                            (dash_is_zero ? ESS_CSV_DASH_IS_ZERO : 0u) |
                                            (short_rows_blank ? ESS_CSV_SHORT_ROWS_BLANK : 0u),
                         progress != Py_None ? call_progress : NULL, &pc, threads,
                         chunk_bytes > 0 ? (size_t)chunk_bytes : 0, (char)date_order, NULL};
    ess_ledger *l = NULL;
    ess_bad_rows bad = {0};
    ess_error err;
    ess_error_clear(&err);
    size_t bytes_read = 0;
    int rc;
    Py_BEGIN_ALLOW_THREADS
    if (source != NULL) {
        rc = ess_ledger_read_csv_source(source, &spec, &l, &bad, &err, &bytes_read);
        if (stream != NULL)
            stream_source_stop(stream);   /* its reader may need the GIL to finish */
    } else {
        rc = ess_ledger_read_csv(data->buf, (size_t)data->len, &spec, &l, &bad, &err);
    }
    Py_END_ALLOW_THREADS
    /* the progress callback's exception first: the read stopped for it */
    int stream_raised = stream != NULL && stream_source_end(stream, !pc.failed);
    stream = NULL;
    if (pc.failed || stream_raised) {
        /* the progress callback or the stream raised: that is the error to see */
        ess_ledger_free(l);
        ess_bad_rows_clear(&bad);
        goto done;
    }
    if (rc) {
        ess_bad_rows_clear(&bad);
        if (source_errno != NULL && *source_errno != 0) {
            errno = *source_errno;
            PyErr_SetFromErrno(PyExc_OSError);
        } else {
            raise_core_error(st, &err);
        }
        goto done;
    }
    PyObject *bad_list = bad_rows_list(&bad);
    ess_bad_rows_clear(&bad);
    if (bad_list == NULL) {
        ess_ledger_free(l);
        goto done;
    }
    PyObject *obj = wrap_ledger(st, l);
    if (obj == NULL) {
        Py_DECREF(bad_list);
        goto done;
    }
    result = source != NULL ? Py_BuildValue("(NNn)", obj, bad_list, (Py_ssize_t)bytes_read)
                         : Py_BuildValue("(NN)", obj, bad_list);
done:
    if (stream != NULL)   /* failed before the read: no reader thread was started */
        stream_source_end(stream, 0);
    Py_XDECREF(names);
    Py_XDECREF(kinds);
    PyMem_Free(cnames);
    PyMem_Free(ckinds);
    return result;
}

static PyObject *ledger_read_csv(PyObject *cls, PyObject *args, PyObject *kw)
{
    static char *kwlist[] = {"data",    "names",       "kinds",       "delimiter", "encoding",
                             "decimal", "collect_bad", "all_columns", "progress",  "threads",
                             "chunk_bytes", "dash_is_zero", "date_order", "short_rows_blank", NULL};
    Py_buffer data;
    PyObject *names_obj, *kinds_obj, *progress = Py_None;
    int delimiter = 0, encoding = ESS_ENC_AUTO, decimal = 0, collect_bad = 0, all_columns = 0;
    int threads = 2, dash_is_zero = 0, date_order = ESS_DATES_DETECT, short_rows_blank = 0;
    Py_ssize_t chunk_bytes = 0;   /* 0: the core sizes its chunks (tests force tiny ones) */
    if (!PyArg_ParseTupleAndKeywords(args, kw, "y*OO|CiCppOinpCp", kwlist, &data, &names_obj,
                                     &kinds_obj, &delimiter, &encoding, &decimal, &collect_bad,
                                     &all_columns, &progress, &threads, &chunk_bytes,
                                     &dash_is_zero, &date_order, &short_rows_blank))
        return NULL;
    PyObject *result = read_csv_with((PyTypeObject *)cls, &data, NULL, NULL, NULL, names_obj,
                                     kinds_obj, delimiter, encoding, decimal, collect_bad,
                                     all_columns, progress, threads, chunk_bytes, dash_is_zero,
                                     date_order, short_rows_blank);
    PyBuffer_Release(&data);
    return result;
}

static PyObject *ledger_read_csv_fd(PyObject *cls, PyObject *args, PyObject *kw)
{
    static char *kwlist[] = {"fd",       "size",        "names",       "kinds",
                             "delimiter", "encoding",   "decimal",     "collect_bad",
                             "all_columns", "progress", "threads",     "chunk_bytes",
                             "dash_is_zero", "date_order", "short_rows_blank", NULL};
    fd_source src = {-1, 0};
    Py_ssize_t size;
    PyObject *names_obj, *kinds_obj, *progress = Py_None;
    int delimiter = 0, encoding = ESS_ENC_AUTO, decimal = 0, collect_bad = 0, all_columns = 0;
    int threads = 2, dash_is_zero = 0, date_order = ESS_DATES_DETECT, short_rows_blank = 0;
    Py_ssize_t chunk_bytes = 0;   /* 0: blocks of the core's size (tests force tiny ones) */
    if (!PyArg_ParseTupleAndKeywords(args, kw, "inOO|CiCppOinpCp", kwlist, &src.fd, &size,
                                     &names_obj, &kinds_obj, &delimiter, &encoding, &decimal,
                                     &collect_bad, &all_columns, &progress, &threads,
                                     &chunk_bytes, &dash_is_zero, &date_order, &short_rows_blank))
        return NULL;
    if (size < 0) {
        module_state *st = state_of_type((PyTypeObject *)cls);
        if (st != NULL)
            PyErr_SetString(st->invalid_error, "size must be >= 0");
        return NULL;
    }
    ess_byte_source source = {fd_read, &src, (size_t)size};
    return read_csv_with((PyTypeObject *)cls, NULL, &source, &src.error, NULL, names_obj,
                         kinds_obj, delimiter, encoding, decimal, collect_bad, all_columns,
                         progress, threads, chunk_bytes, dash_is_zero, date_order, short_rows_blank);
}

static PyObject *ledger_read_csv_stream(PyObject *cls, PyObject *args, PyObject *kw)
{
    static char *kwlist[] = {"stream",    "names",    "kinds",       "delimiter",
                             "encoding",  "decimal",  "collect_bad", "all_columns",
                             "progress",  "threads",  "chunk_bytes", "dash_is_zero",
                             "date_order", "short_rows_blank", NULL};
    PyObject *stream_obj, *names_obj, *kinds_obj, *progress = Py_None;
    int delimiter = 0, encoding = ESS_ENC_AUTO, decimal = 0, collect_bad = 0, all_columns = 0;
    int threads = 2, dash_is_zero = 0, date_order = ESS_DATES_DETECT, short_rows_blank = 0;
    Py_ssize_t chunk_bytes = 0;   /* 0: blocks of the core's size (tests force tiny ones) */
    if (!PyArg_ParseTupleAndKeywords(args, kw, "OOO|CiCppOinpCp", kwlist, &stream_obj, &names_obj,
                                     &kinds_obj, &delimiter, &encoding, &decimal, &collect_bad,
                                     &all_columns, &progress, &threads, &chunk_bytes,
                                     &dash_is_zero, &date_order, &short_rows_blank))
        return NULL;
    stream_source *stream = stream_source_new(stream_obj, threads > 1);
    if (stream == NULL)
        return NULL;
    ess_byte_source source = stream_source_bytes(stream);
    return read_csv_with((PyTypeObject *)cls, NULL, &source, NULL, stream, names_obj, kinds_obj,
                         delimiter, encoding, decimal, collect_bad, all_columns, progress,
                         threads, chunk_bytes, dash_is_zero, date_order, short_rows_blank);
}

/* A label column's dictionary (a sequence of str, code k the k-th) staged into the core: a
 * status of the core (err set), or -1 with a Python error. */
static int stage_dictionary(ess_ledger *l, size_t column, PyObject *dict, ess_error *err)
{
    PyObject *seq = PySequence_Fast(dict, "a label column needs its dictionary");
    if (seq == NULL)
        return -1;
    Py_ssize_t count = PySequence_Fast_GET_SIZE(seq);
    const char **texts = PyMem_Malloc((size_t)(count ? count : 1) * sizeof *texts);
    size_t *lens = PyMem_Malloc((size_t)(count ? count : 1) * sizeof *lens);
    int rc = -1;
    if (texts == NULL || lens == NULL) {
        PyErr_NoMemory();
        goto done;
    }
    for (Py_ssize_t k = 0; k < count; k++) {
        Py_ssize_t len;
        /* the UTF-8 stays with its str, which seq holds until the core has copied it */
        if ((texts[k] = PyUnicode_AsUTF8AndSize(PySequence_Fast_GET_ITEM(seq, k), &len)) == NULL)
            goto done;
        lens[k] = (size_t)len;
    }
    rc = ess_ledger_stage_labels(l, column, texts, lens, (size_t)count, err);
done:
    PyMem_Free(texts);
    PyMem_Free(lens);
    Py_DECREF(seq);
    return rc;
}

/* A label column given as a sequence of texts (str() of each item, None missing), encoded
 * by the core as it stages them; *rows is the first column's length (-1 before it).  A status
 * of the core (err set), or -1 with a Python error. */
static int stage_texts(module_state *st, ess_ledger *l, size_t column, PyObject *values,
                       Py_ssize_t *rows, ess_error *err)
{
    /* A tuple of the values, a copy of a list: str() of an item runs Python code, which may
     * empty the list given while we index it (PySequence_Fast would lend the list itself, and
     * its length taken before would index past the end: a crash).  What must stay true: the
     * sequence iterated is one no Python code can change. */
    PyObject *seq = PySequence_Tuple(values);
    if (seq == NULL)
        return -1;
    Py_ssize_t len = PyTuple_GET_SIZE(seq);
    int rc = -1;
    if (*rows >= 0 && len != *rows) {
        PyErr_Format(st->invalid_error, "column %s has %zd values where the first has %zd",
                     l->columns[column].name, len, *rows);
        goto done;
    }
    *rows = len;
    int32_t *room = ess_ledger_stage_room(l, column, (size_t)len, err);
    if (room == NULL) {
        rc = err->status;
        goto done;
    }
    for (Py_ssize_t i = 0; i < len; i++) {
        PyObject *item = PyTuple_GET_ITEM(seq, i);
        if (item == Py_None) {
            room[i] = -1;
            continue;
        }
        PyObject *text = PyUnicode_Check(item) ? Py_NewRef(item) : PyObject_Str(item);
        Py_ssize_t n;
        const char *utf8 = text ? PyUnicode_AsUTF8AndSize(text, &n) : NULL;
        if (utf8 == NULL) {
            Py_XDECREF(text);
            room[i] = -1;   /* staged rows stay unseen: the ledger is discarded */
            goto done;
        }
        int refused = ess_label_refuse_nul(err, l->columns[column].name, (long)column + 1,
                                           utf8, (size_t)n, (long)i + 1);
        if (refused) {
            Py_DECREF(text);
            room[i] = -1;
            rc = refused;
            goto done;
        }
        /* trimmed, a blank text missing: the label a CSV cell of the same text gives */
        room[i] = ess_ledger_stage_text(l, column, utf8, (size_t)n);
        Py_DECREF(text);
        if (room[i] < -1) {
            PyErr_NoMemory();
            goto done;
        }
    }
    rc = ESS_OK;
done:
    Py_DECREF(seq);
    return rc;
}

static PyObject *ledger_from_arrays(PyObject *cls, PyObject *args)
{
    /* (names, kinds, arrays, dictionaries): arrays are buffers of int32 (labels, dates) or
     * int64 (ints, amounts in cents); dictionaries a list of str lists (None for non-labels).
     * A label column whose dictionary is None is a sequence of texts the core encodes. */
    PyObject *names, *kinds, *arrays, *dicts;
    if (!PyArg_ParseTuple(args, "O!O!O!O!", &PyList_Type, &names, &PyList_Type, &kinds,
                          &PyList_Type, &arrays, &PyList_Type, &dicts))
        return NULL;
    module_state *st = state_of_type((PyTypeObject *)cls);
    if (st == NULL)
        return NULL;
    Py_ssize_t n = PyList_GET_SIZE(names);
    if (PyList_GET_SIZE(kinds) != n || PyList_GET_SIZE(arrays) != n || PyList_GET_SIZE(dicts) != n)
        return PyErr_Format(st->invalid_error, "names, kinds, arrays and dictionaries differ");
    /* Tuples, copies of the lists: a kind's __index__ or a label's __str__ runs Python code,
     * which may empty the lists while they are indexed (past their end: a crash).  What must
     * stay true: no list given is indexed after Python code may have run. */
    PyObject *held = Py_BuildValue("(NNNN)", PyList_AsTuple(names), PyList_AsTuple(kinds),
                                   PyList_AsTuple(arrays), PyList_AsTuple(dicts));
    if (held == NULL)
        return NULL;
    names = PyTuple_GET_ITEM(held, 0);
    kinds = PyTuple_GET_ITEM(held, 1);
    arrays = PyTuple_GET_ITEM(held, 2);
    dicts = PyTuple_GET_ITEM(held, 3);
    ess_ledger *l = ess_ledger_new();
    if (l == NULL) {
        Py_DECREF(held);
        return PyErr_NoMemory();
    }
    Py_ssize_t rows = -1;
    for (Py_ssize_t c = 0; c < n; c++) {
        Py_ssize_t len;
        const char *name = PyUnicode_AsUTF8AndSize(PyTuple_GET_ITEM(names, c), &len);
        long kind = PyLong_AsLong(PyTuple_GET_ITEM(kinds, c));
        if (name == NULL || (kind == -1 && PyErr_Occurred()))
            goto fail;
        /* the core keeps a name up to its NUL: {"f\0x": ...} made a column "f" without a word */
        if (strlen(name) != (size_t)len) {
            PyErr_Format(st->invalid_error, "no column name holds a NUL character: %R",
                         PyTuple_GET_ITEM(names, c));
            goto fail;
        }
        int added = ess_ledger_add_column(l, name, (int)kind);
        if (added == -2) {
            PyErr_NoMemory();
            goto fail;
        }
        if (added < 0) {
            PyErr_Format(st->invalid_error, "cannot add the column %R (a duplicate?)",
                         PyTuple_GET_ITEM(names, c));
            goto fail;
        }
    }
    ess_error err;
    ess_error_clear(&err);
    for (Py_ssize_t c = 0; c < n; c++) {
        int kind = l->columns[c].kind;
        if (kind == ESS_COL_LABEL && PyTuple_GET_ITEM(dicts, c) == Py_None) {
            /* labels as texts: the core encodes them (codes in order of first sight) */
            int rc = stage_texts(st, l, (size_t)c, PyTuple_GET_ITEM(arrays, c), &rows, &err);
            if (rc == -1)
                goto fail;
            if (rc)
                goto core_error;
            continue;
        }
        Py_buffer view;
        if (PyObject_GetBuffer(PyTuple_GET_ITEM(arrays, c), &view, PyBUF_C_CONTIGUOUS | PyBUF_FORMAT) < 0)
            goto fail;
        Py_ssize_t width = (kind == ESS_COL_LABEL || kind == ESS_COL_DATE) ? 4 : 8;
        if (view.itemsize != width) {
            PyErr_Format(st->argument_type_error,
                         "column %R needs %zd-byte integers, not %zd-byte items",
                         PyTuple_GET_ITEM(names, c), width, view.itemsize);
            PyBuffer_Release(&view);
            goto fail;
        }
        Py_ssize_t len = view.len / width;
        if (rows < 0) {
            rows = len;
        } else if (len != rows) {
            PyErr_Format(st->invalid_error, "column %R has %zd values where the first has %zd",
                         PyTuple_GET_ITEM(names, c), len, rows);
            PyBuffer_Release(&view);
            goto fail;
        }
        int rc = ess_ledger_stage_values(l, (size_t)c, view.buf, (size_t)rows, &err);
        PyBuffer_Release(&view);
        if (rc == ESS_OK && kind == ESS_COL_LABEL)
            rc = stage_dictionary(l, (size_t)c, PyTuple_GET_ITEM(dicts, c), &err);
        if (rc == -1)
            goto fail;   /* a Python error is set */
        if (rc)
            goto core_error;
    }
    if (ess_ledger_commit_rows(l, rows > 0 ? (size_t)rows : 0, &err))
        goto core_error;
    Py_DECREF(held);
    return wrap_ledger(st, l);
core_error:
    raise_core_error(st, &err);
fail:
    Py_DECREF(held);
    ess_ledger_free(l);
    return NULL;
}

/* The pointer in a foreign export's capsule of the kind `name`; NULL with the project's
 * ArgumentTypeError naming the export (`method`) when it gave no such capsule: PyCapsule's own
 * ValueError ("called with invalid PyCapsule object") escaped `except essconv.Error` and named
 * neither the export nor what it should give. */
static void *foreign_capsule(module_state *st, PyObject *cap, const char *name,
                             const char *method)
{
    if (!PyCapsule_IsValid(cap, name)) {
        const char *held = PyCapsule_CheckExact(cap) ? PyCapsule_GetName(cap) : NULL;
        PyErr_Clear();
        PyErr_Format(st->argument_type_error, "%s() returned %.80s%s%.60s%s, not a capsule "
                     "'%s'", method, Py_TYPE(cap)->tp_name, held ? " '" : "",
                     held ? held : "", held ? "'" : "", name);
        return NULL;
    }
    return PyCapsule_GetPointer(cap, name);
}

/* The largest part of a producer's message quoted: a Python traceback fits, a runaway one is
 * cut (and said so) rather than filling the analyst's screen. */
#define PRODUCER_SAID_MAX 4000

/* An Arrow stream whose producer failed: essconv's ProducerError, with the batch that failed,
 * the rows read before it and the producer's message (why: NULL when it gave none).  A Ctrl-C
 * that interrupted the producer's own Python code (a generator inside pyarrow) reaches here as
 * the producer's text alone: the Arrow C interface carries no exception, and a message that
 * merely names KeyboardInterrupt is no proof of one, so it stays a ProducerError here.  A
 * pyarrow reader's is kept as the exception itself by Ledger.from_columns (ledger.py,
 * _interrupt_kept), which raises it in place of this error.  One still pending is raised by the
 * interpreter as soon as this returns. */
static PyObject *raise_producer_error(module_state *st, const ess_error *err, const char *why)
{
    PyObject *text = PyUnicode_DecodeUTF8(why ? why : "(no reason given)",
                                          (Py_ssize_t)strlen(why ? why : "(no reason given)"),
                                          "replace");
    if (text == NULL)
        return NULL;
    Py_ssize_t length = PyUnicode_GET_LENGTH(text);
    if (length > PRODUCER_SAID_MAX) {
        PyObject *cut = PyUnicode_Substring(text, 0, PRODUCER_SAID_MAX);
        Py_DECREF(text);
        if (cut == NULL)
            return NULL;
        text = PyUnicode_FromFormat("%U... (%zd more characters)", cut,
                                    length - PRODUCER_SAID_MAX);
        Py_DECREF(cut);
        if (text == NULL)
            return NULL;
    }
    long rows = err->detail_m;
    PyObject *message =
        err->detail_n < 0
            ? PyUnicode_FromFormat("the Arrow stream gave no schema: %U", text)
            : PyUnicode_FromFormat("the Arrow stream failed at batch %ld (0-based), after %ld "
                                   "row%s read: %U", err->detail_n, rows,
                                   rows == 1 ? " was" : "s were", text);
    if (message == NULL) {
        Py_DECREF(text);
        return NULL;
    }
    PyObject *batch = err->detail_n < 0 ? Py_NewRef(Py_None) : PyLong_FromLong(err->detail_n);
    PyObject *args = batch ? PyTuple_Pack(1, message) : NULL;
    /* the producer's words apart too: a French listing says the rest in French around them */
    PyObject *kwargs = args ? Py_BuildValue("{s:O,s:l,s:O}", "batch", batch, "rows", rows,
                                            "said", text) : NULL;
    Py_DECREF(text);
    PyObject *exc = kwargs ? PyObject_Call(st->producer_error, args, kwargs) : NULL;
    Py_XDECREF(kwargs);
    Py_XDECREF(args);
    Py_XDECREF(batch);
    Py_DECREF(message);
    if (exc != NULL) {
        PyErr_SetObject(st->producer_error, exc);
        Py_DECREF(exc);
    }
    return NULL;
}

static PyObject *ledger_from_arrow(PyObject *cls, PyObject *args)
{
    /* (obj, amount name, cents): obj has __arrow_c_stream__ or __arrow_c_array__ */
    PyObject *obj;
    const char *amount;
    int cents = 0;
    if (!PyArg_ParseTuple(args, "Os|p", &obj, &amount, &cents))
        return NULL;
    module_state *st = state_of_type((PyTypeObject *)cls);
    if (st == NULL)
        return NULL;
    ess_ledger *l = NULL;
    ess_error err;
    ess_error_clear(&err);
    int rc;
    if (PyObject_HasAttrString(obj, "__arrow_c_stream__")) {
        PyObject *cap = PyObject_CallMethod(obj, "__arrow_c_stream__", NULL);
        if (cap == NULL)
            return NULL;
        struct ArrowArrayStream *stream = foreign_capsule(st, cap, "arrow_array_stream",
                                                          "__arrow_c_stream__");
        if (stream == NULL) {
            Py_DECREF(cap);
            return NULL;
        }
        /* What must stay true: a released struct is never read.  A capsule a consumer has
         * already taken (release == NULL: moved out, its private data now another's and maybe
         * freed) may come back from a producer that caches it: reading its callbacks is a use
         * after free. */
        if (stream->release == NULL) {
            Py_DECREF(cap);
            return PyErr_Format(st->invalid_error,   /* a ValueError, as before */
                                "the Arrow stream capsule was already consumed (released)");
        }
        /* consumed as the interface says: moved out of the capsule (which marks it released),
         * released here once read, so a cached capsule offered again is refused above */
        struct ArrowArrayStream taken = *stream;
        stream->release = NULL;
        Py_DECREF(cap);
        Py_BEGIN_ALLOW_THREADS
        rc = ess_ledger_from_arrow_stream(&taken, amount, cents, &l, &err);
        Py_END_ALLOW_THREADS
        if (rc && err.detail == ESS_ARROW_PRODUCER) {
            /* the producer's own message, read whole while the stream still holds it (the
             * core's is cut to its room) */
            const char *why = taken.get_last_error ? taken.get_last_error(&taken) : NULL;
            PyObject *raised = raise_producer_error(st, &err, why);
            taken.release(&taken);
            return raised;
        }
        taken.release(&taken);   /* with the GIL, as the capsule's destructor would have */
    } else {
        PyObject *pair = PyObject_CallMethod(obj, "__arrow_c_array__", NULL);
        if (pair == NULL)
            return NULL;
        PyObject *sc, *ac;
        if (!PyTuple_Check(pair)) {   /* PyArg_ParseTuple's SystemError, else */
            PyErr_Format(st->argument_type_error, "__arrow_c_array__() returned %.80s, not a "
                         "(schema, array) tuple of capsules", Py_TYPE(pair)->tp_name);
            Py_DECREF(pair);
            return NULL;
        }
        if (PyTuple_GET_SIZE(pair) != 2) {
            PyErr_Format(st->argument_type_error, "__arrow_c_array__() returned a tuple of "
                         "%zd, not a (schema, array) pair of capsules", PyTuple_GET_SIZE(pair));
            Py_DECREF(pair);
            return NULL;
        }
        sc = PyTuple_GET_ITEM(pair, 0);
        ac = PyTuple_GET_ITEM(pair, 1);
        struct ArrowSchema *schema = foreign_capsule(st, sc, "arrow_schema",
                                                     "__arrow_c_array__");
        struct ArrowArray *array = schema ? foreign_capsule(st, ac, "arrow_array",
                                                            "__arrow_c_array__") : NULL;
        if (array == NULL) {
            Py_DECREF(pair);
            return NULL;
        }
        if (schema->release == NULL || array->release == NULL) {   /* moved out: as above */
            Py_DECREF(pair);
            return PyErr_Format(st->invalid_error,   /* a ValueError, as before */
                                "the Arrow array capsules were already consumed (released)");
        }
        /* the array moved out as the stream is (the schema stays with its capsule) */
        struct ArrowArray taken = *array;
        array->release = NULL;
        Py_BEGIN_ALLOW_THREADS
        rc = ess_ledger_from_arrow(schema, &taken, amount, cents, &l, &err);
        Py_END_ALLOW_THREADS
        taken.release(&taken);
        Py_DECREF(pair);
    }
    if (rc) {
        /* data of a type a ledger cannot hold: the project's type errors (TypeErrors still),
         * the amount's own when the amount column is the one refused */
        if (rc == ESS_EINVAL && err.detail != ESS_DATE_OUT_OF_RANGE)   /* a value, no type */
            return PyErr_Format(err.detail == ESS_AMOUNT_TYPE ? st->amount_type_error
                                                              : st->argument_type_error,
                                "%s", err.message);
        return raise_core_error(st, &err);
    }
    return wrap_ledger(st, l);
}

/* ------------------------------------------------------------------ queries */

static PyObject *get_nrows(LedgerObject *self, void *c)
{
    (void)c;
    return PyLong_FromSize_t(self->ledger->nrows);
}

static PyObject *get_blank_rows(LedgerObject *self, void *c)
{
    (void)c;
    return PyLong_FromSize_t(self->ledger->blank_rows);
}

/* (count, first line) of the rows read with their missing last cells blank (short_rows_blank):
 * what the reading did, for the host to say; (0, 0) when none or not read from text. */
static PyObject *get_short_filled(LedgerObject *self, void *c)
{
    (void)c;
    return Py_BuildValue("(nl)", (Py_ssize_t)self->ledger->short_filled_rows,
                         self->ledger->short_filled_line);
}

static PyObject *get_encoding(LedgerObject *self, void *c)
{
    (void)c;
    return PyUnicode_FromString(ess_encoding_name(self->ledger->encoding));
}

/* Only a ledger being restored from a pickle sets it: a count, no column touched. */
static int set_blank_rows(LedgerObject *self, PyObject *value, void *c)
{
    (void)c;
    size_t n = value ? PyLong_AsSize_t(value) : (size_t)-1;
    if (n == (size_t)-1) {
        module_state *st = PyErr_Occurred() ? NULL : state_of_type(Py_TYPE(self));
        if (st != NULL)
            PyErr_SetString(st->argument_type_error, "blank_rows is a count");
        return -1;
    }
    ess_ledger_set_blank_rows(self->ledger, n);
    return 0;
}

/* One character a column: 'd' or 'm', the order a date column's 08/09/2017 were read in (day or
 * month first), '-' when never decided or not a date column. */
static PyObject *get_date_orders(LedgerObject *self, void *c)
{
    (void)c;
    size_t n = self->ledger->ncolumns;
    PyObject *text = PyUnicode_New((Py_ssize_t)n, 127);
    for (size_t k = 0; text && k < n; k++) {
        char order = self->ledger->columns[k].date_order;
        PyUnicode_WRITE(PyUnicode_1BYTE_KIND, PyUnicode_DATA(text), (Py_ssize_t)k,
                        order == ESS_DATES_DMY || order == ESS_DATES_MDY ? order : '-');
    }
    return text;
}

/* A ledger restored (a pickle, an Arrow table that says it) sets them as date_orders gave them. */
static int set_date_orders(LedgerObject *self, PyObject *value, void *c)
{
    (void)c;
    module_state *st = state_of_type(Py_TYPE(self));
    if (st == NULL)
        return -1;
    size_t n = self->ledger->ncolumns;
    Py_ssize_t len = 0;
    const char *text = value && PyUnicode_Check(value) ? PyUnicode_AsUTF8AndSize(value, &len) : NULL;
    if (text == NULL || (size_t)len != n) {
        if (!PyErr_Occurred())
            PyErr_Format(st->invalid_error, "date_orders is a str of %zu characters", n);
        return -1;
    }
    for (size_t k = 0; k < n; k++)
        if (text[k] != '-' && ((text[k] != ESS_DATES_DMY && text[k] != ESS_DATES_MDY) ||
                               self->ledger->columns[k].kind != ESS_COL_DATE)) {
            PyErr_Format(st->invalid_error, "date_orders: '%c' for the column '%s' (a date "
                         "column is 'd' or 'm', any column '-')", text[k],
                         self->ledger->columns[k].name);
            return -1;
        }
    for (size_t k = 0; k < n; k++)   /* each checked above: the core takes it */
        (void)ess_ledger_set_date_order(self->ledger, k, text[k] == '-' ? 0 : text[k]);
    return 0;
}

static PyObject *get_columns(LedgerObject *self, void *c)
{
    (void)c;
    PyObject *list = PyList_New((Py_ssize_t)self->ledger->ncolumns);
    for (size_t k = 0; list && k < self->ledger->ncolumns; k++) {
        PyObject *t = Py_BuildValue("(si)", self->ledger->columns[k].name,
                                    self->ledger->columns[k].kind);
        if (t == NULL) {
            Py_CLEAR(list);
            break;
        }
        PyList_SET_ITEM(list, (Py_ssize_t)k, t);
    }
    return list;
}

static PyObject *get_exports(LedgerObject *self, void *c)
{
    (void)c;
    return PyLong_FromLong(self->ledger->exports);
}

static int column_arg(LedgerObject *self, PyObject *arg)
{
    long c = PyLong_AsLong(arg);
    if (c == -1 && PyErr_Occurred())
        return -1;
    if (c < 0 || (size_t)c >= self->ledger->ncolumns) {
        module_state *st = state_of_type(Py_TYPE(self));
        if (st != NULL)
            PyErr_Format(st->position_error, "column %ld out of range", c);
        return -1;
    }
    return (int)c;
}

/* The labels of the codes in seq (a tuple of ints; None for -1, missing), or of every
 * code of d when seq is NULL. */
static PyObject *labels_list(module_state *st, const ess_dict *d, PyObject *seq)
{
    Py_ssize_t n = seq ? PySequence_Fast_GET_SIZE(seq) : (Py_ssize_t)d->count;
    PyObject *list = PyList_New(n);
    for (Py_ssize_t k = 0; list && k < n; k++) {
        long code = seq ? PyLong_AsLong(PySequence_Fast_GET_ITEM(seq, k)) : (long)k;
        PyObject *s = NULL;
        if (code == -1 && !PyErr_Occurred())
            s = Py_NewRef(Py_None);
        else if (code >= 0 && (size_t)code < d->count)
            s = PyUnicode_DecodeUTF8(d->arena + d->offsets[code], d->lengths[code], "replace");
        else if (!PyErr_Occurred())
            PyErr_Format(st->position_error, "no label %ld in a dictionary of %zu", code, d->count);
        if (s == NULL) {
            Py_CLEAR(list);
            break;
        }
        PyList_SET_ITEM(list, k, s);
    }
    return list;
}

static PyObject *ledger_dictionary(LedgerObject *self, PyObject *arg)
{
    module_state *st = state_of_type(Py_TYPE(self));
    int c = st ? column_arg(self, arg) : -1;
    return c < 0 ? NULL : labels_list(st, &self->ledger->columns[c].dict, NULL);
}

/* held_labels(column) -> the labels some row holds, by code.  The dictionary keeps every label
 * the reader interned, those of rows it then set aside (a bad amount) and those of rows a
 * filter left out, so that codes stay places; what a user asks for is what the rows hold.
 * Under the GIL throughout: the columns change only with it held. */
static PyObject *ledger_held_labels(LedgerObject *self, PyObject *arg)
{
    module_state *st = state_of_type(Py_TYPE(self));
    int c = st ? column_arg(self, arg) : -1;
    if (c < 0)
        return NULL;
    const ess_column *col = &self->ledger->columns[c];
    if (col->kind != ESS_COL_LABEL)
        return PyErr_Format(st->argument_type_error, "column %d holds no labels", c);
    const ess_dict *d = &col->dict;
    unsigned char *held = PyMem_Calloc(d->count ? d->count : 1, 1);
    if (held == NULL)
        return PyErr_NoMemory();
    const int32_t *codes = col->data;
    size_t nheld = 0;
    for (size_t r = 0; r < self->ledger->nrows && nheld < d->count; r++) {
        int32_t code = codes[r];
        if (code >= 0 && (size_t)code < d->count && !held[code]) {
            held[code] = 1;
            nheld++;
        }
    }
    PyObject *list = PyList_New((Py_ssize_t)nheld);
    for (size_t k = 0, i = 0; list && k < d->count; k++) {
        if (!held[k])
            continue;
        PyObject *s = PyUnicode_DecodeUTF8(d->arena + d->offsets[k], d->lengths[k], "replace");
        if (s == NULL) {
            Py_CLEAR(list);
            break;
        }
        PyList_SET_ITEM(list, (Py_ssize_t)i++, s);
    }
    PyMem_Free(held);
    return list;
}

/* The labels of a few codes: a display shows ten rows of a ledger whose dictionary may hold
 * millions of labels, so it must not convert them all. */
static PyObject *ledger_labels_of(LedgerObject *self, PyObject *args)
{
    PyObject *column, *codes;
    if (!PyArg_ParseTuple(args, "OO", &column, &codes))
        return NULL;
    module_state *st = state_of_type(Py_TYPE(self));
    int c = st ? column_arg(self, column) : -1;
    if (c < 0)
        return NULL;
    /* a tuple, a copy of a list: a code's __index__ runs Python code, which may empty the list
     * while labels_list indexes it (past its end: a crash) */
    PyObject *seq = PySequence_Tuple(codes);
    if (seq == NULL)
        return NULL;
    PyObject *list = labels_list(st, &self->ledger->columns[c].dict, seq);
    Py_DECREF(seq);
    return list;
}

static PyObject *ledger_total(LedgerObject *self, PyObject *Py_UNUSED(ignored))
{
    int64_t total;
    if (ess_ledger_total(self->ledger, &total)) {
        module_state *st = state_of_type(Py_TYPE(self));
        return st ? raise_sum_overflow(st, "the total does not fit int64 cents", "total", total)
                  : NULL;   /* total: the side it is past int64 cents by */
    }
    return PyLong_FromLongLong((long long)total);
}

/* A key: a column index, or (column, part, side, name), a key derived from a date column or a
 * label column of periods (essconv.year(...): see derive.c).  The name is borrowed from the
 * tuple: the caller keeps the tuple alive while the key is used. */
static int key_arg(LedgerObject *self, PyObject *obj, ess_key *key)
{
    if (PyLong_Check(obj)) {
        int c = column_arg(self, obj);
        if (c < 0)
            return -1;
        ess_key copy = {c, ESS_PART_COPY, ESS_SIDE_DATE, NULL};
        *key = copy;
        return 0;
    }
    module_state *st = state_of_type(Py_TYPE(self));
    if (st == NULL)
        return -1;
    if (!PyTuple_Check(obj)) {
        PyErr_SetString(st->argument_type_error,
                        "a key is a column index or (column, part, side, name)");
        return -1;
    }
    if (!PyArg_ParseTuple(obj, "iiis", &key->column, &key->part, &key->side, &key->name))
        return -1;
    if (key->column < 0 || (size_t)key->column >= self->ledger->ncolumns) {
        PyErr_SetString(st->position_error, "a key's column is out of range");
        return -1;
    }
    return 0;
}

/* The keys of a sequence (see key_arg), at most 16.  Returns a new tuple of them, which holds
 * their names alive (a list could be emptied by another thread while the GIL is released):
 * release it after the core's call. */
static PyObject *keys_arg(LedgerObject *self, PyObject *obj, ess_key *keys, size_t *nkeys)
{
    PyObject *items = PySequence_Tuple(obj);
    if (items == NULL)
        return NULL;
    Py_ssize_t n = PyTuple_GET_SIZE(items);
    if (n > 16) {
        Py_DECREF(items);
        /* the project's one hierarchy (a ValueError still): a bare ValueError escaped
         * `except essconv.Error` and named neither the limit's unit nor the count given */
        module_state *st = state_of_type(Py_TYPE(self));
        if (st != NULL)
            PyErr_Format(st->invalid_error, "a group-by or a pivot takes at most 16 columns, "
                         "not %zd", n);
        return NULL;
    }
    for (Py_ssize_t k = 0; k < n; k++)
        if (key_arg(self, PyTuple_GET_ITEM(items, k), &keys[k]) < 0) {
            Py_DECREF(items);
            return NULL;
        }
    *nkeys = (size_t)n;
    return items;
}

static PyObject *ledger_group_by(LedgerObject *self, PyObject *args, PyObject *kw)
{
    /* _partitioned (tests only): 1 forces the partitioned kernel with direct tables, 2 hashed */
    /* keep_overflow: a group whose sum does not fit is kept (the aggregate then has no sum or
     * mean column) and its row is in a 4th item, a tuple; else the group-by fails */
    static char *kwlist[] = {"keys", "minmax", "threads", "_partitioned", "keep_overflow", NULL};
    PyObject *keys_obj;
    int minmax = 0, threads = 2, partitioned = 0, keep_overflow = 0;
    if (!PyArg_ParseTupleAndKeywords(args, kw, "O|piip", kwlist, &keys_obj, &minmax, &threads,
                                     &partitioned, &keep_overflow))
        return NULL;
    unsigned flags = (minmax ? ESS_AGG_MINMAX : 0) | (keep_overflow ? ESS_AGG_KEEP_OVERFLOW : 0) |
                     (partitioned == 1 ? ESS_AGG_PARTITIONED_DIRECT : 0) |
                     (partitioned == 2 ? ESS_AGG_PARTITIONED_HASHED : 0);
    module_state *st = state_of_type(Py_TYPE(self));
    ess_key keys[16];
    size_t nkeys;
    PyObject *held = st ? keys_arg(self, keys_obj, keys, &nkeys) : NULL;
    if (held == NULL)
        return NULL;
    ess_groups *g = NULL;
    ess_ledger *agg = NULL;
    ess_error err;
    ess_error_clear(&err);
    int rc;
    reader_enter(self);
    Py_BEGIN_ALLOW_THREADS
    rc = ess_ledger_group_by_keys(self->ledger, keys, nkeys, flags, threads, &g, &err);
    if (rc == ESS_OK)
        rc = ess_groups_to_ledger_keys(self->ledger, keys, g, &agg, &err);
    Py_END_ALLOW_THREADS
    reader_exit(self);
    Py_DECREF(held);
    int dense = g ? g->dense : 0, used = g ? g->threads : 0;
    /* the overflowing groups' rows, and those of them whose sum is below int64 cents' floor
     * (the rest are above its ceiling): a refusal says which end a group's sum left by */
    PyObject *overflowed = NULL, *below = NULL;
    if (rc == ESS_OK && keep_overflow) {
        overflowed = PyList_New(0);
        below = PyList_New(0);
        for (size_t r = 0; overflowed != NULL && below != NULL && r < g->ngroups; r++)
            if (g->overflow[r]) {
                PyObject *row = PyLong_FromSize_t(r);
                if (row == NULL || PyList_Append(overflowed, row) ||
                    (g->overflow[r] == ESS_BELOW_INT64 && PyList_Append(below, row))) {
                    Py_CLEAR(overflowed);
                    Py_CLEAR(below);
                }
                Py_XDECREF(row);
            }
        if (overflowed == NULL || below == NULL) {
            Py_CLEAR(overflowed);
            Py_CLEAR(below);
        } else {
            Py_SETREF(overflowed, PyList_AsTuple(overflowed));
            Py_SETREF(below, PyList_AsTuple(below));
            if (overflowed == NULL || below == NULL) {
                Py_CLEAR(overflowed);
                Py_CLEAR(below);
            }
        }
    }
    ess_groups_free(g);
    if (rc)
        return raise_core_error(st, &err);
    PyObject *obj = overflowed || !keep_overflow ? wrap_ledger(st, agg) : NULL;
    if (obj == NULL) {
        if (overflowed == NULL && keep_overflow)
            ess_ledger_free(agg);
        Py_XDECREF(overflowed);
        Py_XDECREF(below);
        return NULL;
    }
    if (keep_overflow)
        return Py_BuildValue("(NOiNN)", obj, dense ? Py_True : Py_False, used, overflowed, below);
    return Py_BuildValue("(NOi)", obj, dense ? Py_True : Py_False, used);
}

/* pivot(group or None, row, column, threads): each a key of key_arg; args holds their names. */
static PyObject *ledger_pivot(LedgerObject *self, PyObject *args)
{
    PyObject *group_obj, *row_obj, *col_obj;
    int threads = 2;
    if (!PyArg_ParseTuple(args, "OOO|i", &group_obj, &row_obj, &col_obj, &threads))
        return NULL;
    module_state *st = state_of_type(Py_TYPE(self));
    if (st == NULL)
        return NULL;
    ess_key group, row, col;
    int grouped = group_obj != Py_None;
    if ((grouped && key_arg(self, group_obj, &group) < 0) || key_arg(self, row_obj, &row) < 0 ||
        key_arg(self, col_obj, &col) < 0)
        return NULL;
    ess_plan *plan = NULL;
    ess_error err;
    ess_error_clear(&err);
    int rc;
    reader_enter(self);
    Py_BEGIN_ALLOW_THREADS
    rc = ess_ledger_pivot_keys(self->ledger, grouped ? &group : NULL, &row, &col, threads, &plan,
                               &err);
    Py_END_ALLOW_THREADS
    reader_exit(self);
    if (rc)
        return raise_core_error(st, &err);
    return wrap_plan(st, plan);
}

/* filter(conditions, scope=None) and filter_sum(conditions): the rows meeting every condition,
 * as a new ledger, or only their count and total (with the scope they were taken over: the rows
 * and each column's labels at that moment, for a later filter(conditions, scope) that gives the
 * same rows whatever extends ran meanwhile).  sum: which one. */
static PyObject *run_filter(LedgerObject *self, PyObject *arg, PyObject *scope, int sum)
{
    /* arg: list of (column, labels kept (a sequence of str) or a mask or None, keep_missing,
     * lo, hi).  The labels become a mask of codes only once this call counts as a reader: a
     * mask taken before could miss the codes that an extend from another thread adds in
     * between, and keep that extend's rows of the old labels but not of the new ones.  A mask
     * (bytes, one per code: what essconv.conditions computed from the dictionary, in Python)
     * was made before, so it is checked once counted: if the dictionary has grown meanwhile
     * (past the scope's labels, given one) the call returns None and the caller evaluates the
     * new labels and calls again. */
    module_state *st = state_of_type(Py_TYPE(self));
    if (st == NULL)
        return NULL;
    /* a tuple, a copy of a list: parsing a condition runs Python code (__index__, __bool__),
     * which may empty the list while it is indexed (past its end) or free the condition being
     * parsed (a crash) */
    PyObject *seq = PySequence_Tuple(arg);
    if (seq == NULL)
        return NULL;
    Py_ssize_t n = PyTuple_GET_SIZE(seq);
    size_t ncolumns = self->ledger->ncolumns;   /* fixed once built: only rows are appended */
    ess_condition *conds = PyMem_Calloc((size_t)n + 1, sizeof *conds);
    PyObject **labels = PyMem_Calloc((size_t)n + 1, sizeof *labels);   /* owned, or NULL */
    uint8_t **masks = PyMem_Calloc((size_t)n + 1, sizeof *masks);      /* owned, or NULL */
    size_t *scope_counts = PyMem_Calloc(ncolumns + 1, sizeof *scope_counts);
    Py_ssize_t scope_rows = -1;   /* none: the ledger as it is */
    PyObject *result = NULL;
    int counted = 0;
    if (!conds || !labels || !masks || !scope_counts) {
        PyErr_NoMemory();
        goto done;
    }
    if (scope != NULL && scope != Py_None) {
        PyObject *counts;
        if (!PyTuple_Check(scope)) {   /* PyArg_ParseTuple's SystemError, else */
            PyErr_Format(st->argument_type_error, "filter()'s scope is a (rows, counts) tuple "
                         "or None, not %.80s", Py_TYPE(scope)->tp_name);
            goto done;
        }
        if (!PyArg_ParseTuple(scope, "nO!", &scope_rows, &PyTuple_Type, &counts))
            goto done;
        if (scope_rows < 0 || (size_t)PyTuple_GET_SIZE(counts) != ncolumns) {
            PyErr_SetString(st->invalid_error, "a scope is (rows, a count of labels by column)");
            goto done;
        }
        for (size_t c = 0; c < ncolumns; c++)
            if ((scope_counts[c] = PyLong_AsSize_t(PyTuple_GET_ITEM(counts, c))) == (size_t)-1 &&
                PyErr_Occurred())
                goto done;
    }
    for (Py_ssize_t k = 0; k < n; k++) {
        PyObject *wanted;
        int keep_missing;
        long long lo, hi;
        if (!PyTuple_Check(PyTuple_GET_ITEM(seq, k))) {   /* PyArg_ParseTuple's SystemError */
            PyErr_Format(st->argument_type_error, "%s()'s condition %zd is a (column, labels, "
                         "keep_missing, lo, hi) tuple, not %.80s", sum ? "filter_sum" : "filter",
                         k, Py_TYPE(PyTuple_GET_ITEM(seq, k))->tp_name);
            goto done;
        }
        if (!PyArg_ParseTuple(PyTuple_GET_ITEM(seq, k), "iOpLL", &conds[k].column,
                              &wanted, &keep_missing, &lo, &hi))
            goto done;
        if (conds[k].column < 0 || (size_t)conds[k].column >= self->ledger->ncolumns) {
            PyErr_SetString(st->position_error, "a condition's column is out of range");
            goto done;
        }
        conds[k].keep_missing = keep_missing;
        conds[k].lo = lo;
        conds[k].hi = hi;
        if (wanted == Py_None)
            continue;
        if (self->ledger->columns[conds[k].column].kind != ESS_COL_LABEL) {
            PyErr_SetString(st->invalid_error, "labels given for a column that holds none");
            goto done;
        }
        /* made a list or tuple now: iterating it later runs no Python code while counted; a
         * mask is kept as bytes (immutable: nothing can change it while counted) */
        labels[k] = PyBytes_Check(wanted)
                        ? Py_NewRef(wanted)
                        : PySequence_Fast(wanted, "a label condition needs a sequence of labels");
        if (labels[k] == NULL)
            goto done;
    }
    reader_enter(self);
    counted = 1;
    for (Py_ssize_t k = 0; k < n; k++) {
        if (labels[k] == NULL)
            continue;
        const ess_dict *dict = &self->ledger->columns[conds[k].column].dict;
        if (PyBytes_Check(labels[k])) {
            size_t covers = scope_rows >= 0 ? scope_counts[conds[k].column] : dict->count;
            if ((size_t)PyBytes_GET_SIZE(labels[k]) != covers) {
                result = Py_NewRef(Py_None);   /* the dictionary grew: evaluate again */
                goto done;
            }
            conds[k].codes = (const uint8_t *)PyBytes_AS_STRING(labels[k]);
            conds[k].ncodes = covers;
            continue;
        }
        masks[k] = PyMem_Calloc(dict->count + 1, 1);
        if (masks[k] == NULL) {
            PyErr_NoMemory();
            goto done;
        }
        for (Py_ssize_t j = 0; j < PySequence_Fast_GET_SIZE(labels[k]); j++) {
            PyObject *label = PySequence_Fast_GET_ITEM(labels[k], j);
            if (!PyUnicode_Check(label))
                continue;   /* equal to no label, as in a Python comparison */
            Py_ssize_t len;
            const char *text = PyUnicode_AsUTF8AndSize(label, &len);
            if (text == NULL) {   /* a lone surrogate: no label of the ledger can equal it */
                if (!PyErr_ExceptionMatches(PyExc_UnicodeEncodeError))
                    goto done;
                PyErr_Clear();
                continue;
            }
            int32_t code = ess_dict_find(dict, text, (size_t)len);
            if (code >= 0)
                masks[k][code] = 1;
        }
        conds[k].codes = masks[k];
        conds[k].ncodes = dict->count;
    }
    ess_ledger *out = NULL;
    ess_error err;
    ess_error_clear(&err);
    int rc;
    if (sum) {
        size_t count, rows = self->ledger->nrows;
        int64_t total;
        PyObject *counts = PyTuple_New((Py_ssize_t)ncolumns);
        if (counts == NULL)
            goto done;
        for (size_t c = 0; c < ncolumns; c++) {   /* the scope: what this reader sees */
            PyObject *count_obj = PyLong_FromSize_t(self->ledger->columns[c].dict.count);
            if (count_obj == NULL) {
                Py_DECREF(counts);
                goto done;
            }
            PyTuple_SET_ITEM(counts, (Py_ssize_t)c, count_obj);
        }
        Py_BEGIN_ALLOW_THREADS
        rc = ess_ledger_filter_sum(self->ledger, conds, (size_t)n, &count, &total, &err);
        Py_END_ALLOW_THREADS
        if (rc == ESS_OK)
            result = Py_BuildValue("(nLnN)", (Py_ssize_t)count, (long long)total, (Py_ssize_t)rows,
                                   counts);
        else if (rc == ESS_EOVERFLOW)   /* the count stands; the total is said when asked for */
            result = Py_BuildValue("(nOnN)", (Py_ssize_t)count, Py_None, (Py_ssize_t)rows, counts);
        else {
            Py_DECREF(counts);
            raise_core_error(st, &err);
        }
        goto done;
    }
    Py_BEGIN_ALLOW_THREADS
    rc = scope_rows >= 0 ? ess_ledger_filter_upto(self->ledger, conds, (size_t)n,
                                                  (size_t)scope_rows, scope_counts, &out, &err)
                         : ess_ledger_filter(self->ledger, conds, (size_t)n, &out, &err);
    Py_END_ALLOW_THREADS
    if (rc)
        raise_core_error(st, &err);
    else
        result = wrap_ledger(st, out);
done:
    if (counted)
        reader_exit(self);
    for (Py_ssize_t k = 0; labels && masks && k < n; k++) {
        Py_XDECREF(labels[k]);
        PyMem_Free(masks[k]);
    }
    PyMem_Free(conds);
    PyMem_Free(labels);
    PyMem_Free(masks);
    PyMem_Free(scope_counts);
    Py_DECREF(seq);
    return result;
}

static PyObject *ledger_filter(LedgerObject *self, PyObject *args)
{
    PyObject *conditions, *scope = Py_None;
    if (!PyArg_ParseTuple(args, "O|O", &conditions, &scope))
        return NULL;
    return run_filter(self, conditions, scope, 0);
}

static PyObject *ledger_filter_sum(LedgerObject *self, PyObject *conditions)
{
    return run_filter(self, conditions, NULL, 1);
}

/* label_mask(column, start, stop, test, text) -> bytes: the core's exact text test on codes
 * [start, stop) of a column's dictionary (what essconv.contains evaluates without converting
 * the labels).  Under the GIL, as the dictionary is read: no writer can run meanwhile. */
static PyObject *ledger_label_mask(LedgerObject *self, PyObject *args)
{
    int column, test;
    Py_ssize_t start, stop, len;
    const char *text;
    if (!PyArg_ParseTuple(args, "innis#", &column, &start, &stop, &test, &text, &len))
        return NULL;
    module_state *st = state_of_type(Py_TYPE(self));
    if (st == NULL)
        return NULL;
    if (start < 0 || stop < start)
        return PyErr_Format(st->invalid_error, "codes %zd..%zd", start, stop);
    PyObject *mask = PyBytes_FromStringAndSize(NULL, stop - start);
    if (mask == NULL)
        return NULL;
    ess_error err;
    ess_error_clear(&err);
    if (ess_ledger_label_mask(self->ledger, column, (size_t)start, (size_t)stop, test, text,
                              (size_t)len, (uint8_t *)PyBytes_AS_STRING(mask), &err)) {
        Py_DECREF(mask);
        return raise_core_error(st, &err);
    }
    return mask;
}

/* label_code(column, text) -> the label's code in the column's dictionary, or -1 when the
 * column never held it: a filter on a label mistyped ("Caisse des depots") is said, where it
 * summed to zero without a word.  Under the GIL, as the dictionary is read. */
static PyObject *ledger_label_code(LedgerObject *self, PyObject *args)
{
    PyObject *column;
    const char *text;
    Py_ssize_t len;
    if (!PyArg_ParseTuple(args, "Os#", &column, &text, &len))
        return NULL;
    module_state *st = state_of_type(Py_TYPE(self));
    int c = st ? column_arg(self, column) : -1;
    if (c < 0)
        return NULL;
    if (self->ledger->columns[c].kind != ESS_COL_LABEL)
        return PyErr_Format(st->argument_type_error, "column %d holds no labels", c);
    return PyLong_FromLong((long)ess_dict_find(&self->ledger->columns[c].dict, text, (size_t)len));
}

/* dictionary_size(column) -> how many labels the column's dictionary holds. */
static PyObject *ledger_dictionary_size(LedgerObject *self, PyObject *arg)
{
    int c = column_arg(self, arg);
    if (c < 0)
        return NULL;
    return PyLong_FromSize_t(self->ledger->columns[c].dict.count);
}

/* derive_keys([(column, part, side, name)]) -> a ledger of those keys and the amount: what
 * essconv.year(...) and the other date dimensions group and pivot on (see derive.c). */
static PyObject *ledger_derive_keys(LedgerObject *self, PyObject *arg)
{
    module_state *st = state_of_type(Py_TYPE(self));
    ess_key keys[16];
    size_t nkeys;
    PyObject *held = st ? keys_arg(self, arg, keys, &nkeys) : NULL;
    if (held == NULL)
        return NULL;
    ess_ledger *out = NULL;
    ess_error err;
    ess_error_clear(&err);
    int rc;
    reader_enter(self);
    Py_BEGIN_ALLOW_THREADS
    rc = ess_ledger_derive_keys(self->ledger, keys, nkeys, &out, &err);
    Py_END_ALLOW_THREADS
    reader_exit(self);
    Py_DECREF(held);
    return rc ? raise_core_error(st, &err) : wrap_ledger(st, out);
}

static PyObject *ledger_extend(LedgerObject *self, PyObject *other)
{
    module_state *st = state_of_type(Py_TYPE(self));
    if (st == NULL)
        return NULL;
    if (!PyObject_TypeCheck(other, st->ledger_type))
        return PyErr_Format(st->argument_type_error, "extend() takes a ledger");
    if (other == (PyObject *)self)
        return PyErr_Format(st->invalid_error, "a ledger cannot extend itself");
    /* `other` is read with the GIL held: none of its writers can run meanwhile */
    writer_enter(self);
    if (self->ledger->exports > 0) {   /* checked once alone: an export may start while we wait */
        writer_exit(self);
        return PyErr_Format(PyExc_BufferError,
                            "this ledger has %ld live buffer export(s): it cannot change until "
                            "they are released", self->ledger->exports);
    }
    ess_error err;
    ess_error_clear(&err);
    int rc = ess_ledger_extend(self->ledger, ((LedgerObject *)other)->ledger, &err);
    writer_exit(self);
    if (rc)
        return raise_core_error(st, &err);
    Py_RETURN_NONE;
}

static PyObject *ledger_rename(LedgerObject *self, PyObject *args)
{
    /* names are metadata: renaming is allowed while buffers are exported; it is a writer all
     * the same, because the Arrow exports read the names without the GIL */
    int c;
    const char *name;
    if (!PyArg_ParseTuple(args, "is", &c, &name))
        return NULL;
    module_state *st = state_of_type(Py_TYPE(self));
    if (st == NULL)
        return NULL;
    if (c < 0)
        return PyErr_Format(st->position_error, "column %d out of range", c);
    ess_error err;
    ess_error_clear(&err);
    writer_enter(self);   /* first: another rename may run while this one waits */
    int rc = ess_ledger_rename_column(self->ledger, (size_t)c, name, &err);
    writer_exit(self);
    if (rc)
        return raise_core_error(st, &err);
    Py_RETURN_NONE;
}

static PyObject *ledger_column(LedgerObject *self, PyObject *arg)
{
    module_state *st = state_of_type(Py_TYPE(self));
    int c = column_arg(self, arg);
    if (st == NULL || c < 0)
        return NULL;
    ColumnObject *col = PyObject_GC_New(ColumnObject, st->column_type);
    if (col == NULL)
        return NULL;
    col->owner = (LedgerObject *)Py_NewRef(self);
    col->column = c;
    col->shape = (Py_ssize_t)self->ledger->nrows;
    col->stride = 0;   /* set by each export */
    col->views = 0;
    PyObject_GC_Track(col);
    return (PyObject *)col;
}

static PyObject *ledger_copy_column(LedgerObject *self, PyObject *args)
{
    /* A copy taken with the GIL held, so atomic against writers; unlike a buffer export it
     * leaves nothing alive that would make a concurrent extend refuse (values(), displays). */
    int c;
    Py_ssize_t start = 0, stop = PY_SSIZE_T_MAX;
    if (!PyArg_ParseTuple(args, "i|nn", &c, &start, &stop))
        return NULL;
    ess_ledger *l = self->ledger;
    if (c < 0 || (size_t)c >= l->ncolumns) {
        module_state *st = state_of_type(Py_TYPE(self));
        return st ? PyErr_Format(st->position_error, "column %d out of range", c) : NULL;
    }
    Py_ssize_t rows = (Py_ssize_t)l->nrows;
    start = start < 0 ? 0 : start > rows ? rows : start;
    stop = stop < start ? start : stop > rows ? rows : stop;
    const ess_column *col = &l->columns[c];
    Py_ssize_t width = (col->kind == ESS_COL_LABEL || col->kind == ESS_COL_DATE) ? 4 : 8;
    return PyBytes_FromStringAndSize((const char *)col->data + start * width,
                                     (stop - start) * width);
}

/* ------------------------------------------------------------------ Arrow PyCapsules */

/* A capsule's destructor: releases what it holds unless a consumer took it (release == NULL
 * once moved, as the Arrow C data interface says).  One per capsule name and struct. */
#define ARROW_CAPSULE_FREE(function, type, name)                                                 \
    static void function(PyObject *capsule)                                                    \
    {                                                                                          \
        type *held = PyCapsule_GetPointer(capsule, name);                                      \
        if (held == NULL)                                                                      \
            PyErr_Clear();                                                                     \
        else if (held->release)                                                                \
            held->release(held);                                                               \
        PyMem_RawFree(held);                                                                   \
    }

ARROW_CAPSULE_FREE(schema_capsule_free, struct ArrowSchema, "arrow_schema")
ARROW_CAPSULE_FREE(array_capsule_free, struct ArrowArray, "arrow_array")
ARROW_CAPSULE_FREE(stream_capsule_free, struct ArrowArrayStream, "arrow_array_stream")

/* The module state for an __arrow_c_*__ call, NULL with an exception set.  The requested schema
 * is accepted and not followed: a ledger exports its own types (the interface lets a consumer
 * cast). */
static module_state *arrow_call_state(LedgerObject *self, PyObject *args, PyObject *kw)
{
    static char *kwlist[] = {"requested_schema", NULL};
    PyObject *requested = Py_None;
    if (!PyArg_ParseTupleAndKeywords(args, kw, "|O", kwlist, &requested))
        return NULL;
    return state_of_type(Py_TYPE(self));
}

/* Exports the ledger as one array (schema and array) or as a stream (stream non-NULL), as a
 * reader: with the GIL released, never beside an extend.  Nonzero with an exception set. */
static int export_arrow(LedgerObject *self, module_state *st, struct ArrowSchema *schema,
                        struct ArrowArray *array, struct ArrowArrayStream *stream)
{
    ess_error err;
    ess_error_clear(&err);
    int rc;
    reader_enter(self);
    Py_BEGIN_ALLOW_THREADS
    rc = stream ? ess_ledger_to_arrow_stream(self->ledger, stream, &err)
                : ess_ledger_to_arrow(self->ledger, schema, array, &err);
    Py_END_ALLOW_THREADS
    reader_exit(self);
    if (rc)
        raise_core_error(st, &err);
    return rc;
}

static PyObject *ledger_arrow_c_array(LedgerObject *self, PyObject *args, PyObject *kw)
{
    module_state *st = arrow_call_state(self, args, kw);
    if (st == NULL)
        return NULL;
    struct ArrowSchema *schema = PyMem_RawCalloc(1, sizeof *schema);
    struct ArrowArray *array = PyMem_RawCalloc(1, sizeof *array);
    if (!schema || !array) {
        PyMem_RawFree(schema);
        PyMem_RawFree(array);
        return PyErr_NoMemory();
    }
    if (export_arrow(self, st, schema, array, NULL)) {
        PyMem_RawFree(schema);
        PyMem_RawFree(array);
        return NULL;
    }
    PyObject *sc = PyCapsule_New(schema, "arrow_schema", schema_capsule_free);
    if (sc == NULL) {
        schema->release(schema);
        PyMem_RawFree(schema);
        array->release(array);
        PyMem_RawFree(array);
        return NULL;
    }
    PyObject *ac = PyCapsule_New(array, "arrow_array", array_capsule_free);
    if (ac == NULL) {
        Py_DECREF(sc);
        array->release(array);
        PyMem_RawFree(array);
        return NULL;
    }
    return Py_BuildValue("(NN)", sc, ac);
}

static PyObject *ledger_arrow_c_stream(LedgerObject *self, PyObject *args, PyObject *kw)
{
    module_state *st = arrow_call_state(self, args, kw);
    if (st == NULL)
        return NULL;
    struct ArrowArrayStream *stream = PyMem_RawCalloc(1, sizeof *stream);
    if (stream == NULL)
        return PyErr_NoMemory();
    if (export_arrow(self, st, NULL, NULL, stream)) {
        PyMem_RawFree(stream);
        return NULL;
    }
    PyObject *cap = PyCapsule_New(stream, "arrow_array_stream", stream_capsule_free);
    if (cap == NULL) {
        stream->release(stream);
        PyMem_RawFree(stream);
    }
    return cap;
}

/* ------------------------------------------------------------------ names (relabel.c) */

/* label_keys(column) -> (bytes of int32: the key code of each label code, -1 for none, number of
 * keys): the probable-same-entity key of every distinct label, computed once per label. */
static PyObject *ledger_label_keys(LedgerObject *self, PyObject *arg)
{
    module_state *st = state_of_type(Py_TYPE(self));
    int c = st ? column_arg(self, arg) : -1;
    if (c < 0)
        return NULL;
    if (self->ledger->columns[c].kind != ESS_COL_LABEL)
        return PyErr_Format(st->invalid_error, "column %d holds no labels", c);
    reader_enter(self);   /* the dictionary grows with an extend from another thread */
    const ess_dict *d = &self->ledger->columns[c].dict;
    PyObject *codes = PyBytes_FromStringAndSize(NULL, (Py_ssize_t)(d->count * sizeof(int32_t)));
    size_t nkeys = 0;
    ess_error err;
    ess_error_clear(&err);
    int rc = ESS_ENOMEM;
    if (codes != NULL) {
        int32_t *key_of = (int32_t *)(void *)PyBytes_AS_STRING(codes);
        Py_BEGIN_ALLOW_THREADS
        rc = ess_dict_label_keys(d, key_of, &nkeys, &err);
        Py_END_ALLOW_THREADS
    }
    reader_exit(self);
    if (codes == NULL)
        return NULL;
    if (rc) {
        Py_DECREF(codes);
        return raise_core_error(st, &err);
    }
    return Py_BuildValue("(Nn)", codes, (Py_ssize_t)nkeys);
}

/* relabel(column, {old label: new label}, absent_ok=False) -> a new ledger: each old label
 * becomes its new one.  An old label the column's dictionary lacks (a typo: the label meant
 * left as it was) is refused naming it, unless absent_ok (a mapping kept for several years'
 * files names labels of other years).  Python's Ledger.relabel refuses first, and more: a
 * label no row holds, with the close ones. */
static PyObject *ledger_relabel(LedgerObject *self, PyObject *args)
{
    PyObject *column, *mapping;
    int absent_ok = 0;
    if (!PyArg_ParseTuple(args, "OO!|p", &column, &PyDict_Type, &mapping, &absent_ok))
        return NULL;
    module_state *st = state_of_type(Py_TYPE(self));
    int c = st ? column_arg(self, column) : -1;
    if (c < 0)
        return NULL;
    if (self->ledger->columns[c].kind != ESS_COL_LABEL)
        return PyErr_Format(st->invalid_error, "column %d holds no labels", c);
    /* every text read as UTF-8 before the lock: nothing below runs Python code while counted.
     * Read from a copy of the mapping: reader_enter may wait for a writer with the GIL
     * released, and another thread may then empty the caller's dict, freeing the texts whose
     * UTF-8 is lent to the core (a use after free).  What must stay true: the lent UTF-8
     * belongs to a dict no other code can reach until the core is done. */
    mapping = PyDict_Copy(mapping);
    if (mapping == NULL)
        return NULL;
    Py_ssize_t n = PyDict_Size(mapping), pos = 0, k = 0;
    const char **old = PyMem_Calloc((size_t)n + 1, sizeof *old);
    const char **new = PyMem_Calloc((size_t)n + 1, sizeof *new);
    Py_ssize_t *old_len = PyMem_Calloc((size_t)n + 1, sizeof *old_len);
    Py_ssize_t *new_len = PyMem_Calloc((size_t)n + 1, sizeof *new_len);
    const char **targets = NULL;
    size_t *target_lens = NULL;
    PyObject *key, *value, *result = NULL;
    if (!old || !new || !old_len || !new_len) {
        PyErr_NoMemory();
        goto done;
    }
    while (PyDict_Next(mapping, &pos, &key, &value)) {
        if (!PyUnicode_Check(key) || !PyUnicode_Check(value)) {
            PyErr_SetString(st->argument_type_error,
                            "a relabel mapping maps labels (str) to labels (str)");
            goto done;
        }
        /* the dict holds key and value alive, and with them their UTF-8 */
        if ((old[k] = PyUnicode_AsUTF8AndSize(key, &old_len[k])) == NULL ||
            (new[k] = PyUnicode_AsUTF8AndSize(value, &new_len[k])) == NULL)
            goto done;
        k++;
    }
    reader_enter(self);
    const ess_dict *d = &self->ledger->columns[c].dict;
    targets = PyMem_Calloc(d->count + 1, sizeof *targets);
    target_lens = PyMem_Calloc(d->count + 1, sizeof *target_lens);
    ess_ledger *out = NULL;
    ess_error err;
    ess_error_clear(&err);
    int rc = ESS_ENOMEM;
    Py_ssize_t absent = -1;            /* the first old label the dictionary lacks */
    if (targets && target_lens) {
        for (Py_ssize_t j = 0; j < n; j++) {
            int32_t code = ess_dict_find(d, old[j], (size_t)old_len[j]);
            if (code >= 0) {
                targets[code] = new[j];
                target_lens[code] = (size_t)new_len[j];
            } else if (!absent_ok && absent < 0) {
                absent = j;
            }
        }
        if (absent < 0) {
            Py_BEGIN_ALLOW_THREADS
            rc = ess_ledger_relabel(self->ledger, c, targets, target_lens, &out, &err);
            Py_END_ALLOW_THREADS
        }
    }
    reader_exit(self);
    if (absent >= 0)   /* the text is the copied dict's: alive until done */
        PyErr_Format(st->invalid_error, "relabel: column %d has no label '%s' (pass "
                     "absent_ok=True for a mapping naming other files' labels)", c, old[absent]);
    else if (rc == ESS_ENOMEM && !(targets && target_lens))
        PyErr_NoMemory();
    else if (rc)
        raise_core_error(st, &err);
    else
        result = wrap_ledger(st, out);
done:
    Py_DECREF(mapping);
    PyMem_Free(old);
    PyMem_Free(new);
    PyMem_Free(old_len);
    PyMem_Free(new_len);
    PyMem_Free(targets);
    PyMem_Free(target_lens);
    return result;
}

static PyMethodDef ledger_methods[] = {
    {"read_csv", (PyCFunction)(void (*)(void))ledger_read_csv,
     METH_CLASS | METH_VARARGS | METH_KEYWORDS,
     "read_csv(data, names, kinds, delimiter, encoding, decimal, collect_bad, all_columns, "
     "progress) -> (ledger, bad rows)"},
    {"read_csv_fd", (PyCFunction)(void (*)(void))ledger_read_csv_fd,
     METH_CLASS | METH_VARARGS | METH_KEYWORDS,
     "read_csv_fd(fd, size, names, kinds, ...) -> (ledger, bad rows, bytes read): the open "
     "regular file read in blocks as it is parsed (read_csv's options)"},
    {"read_csv_stream", (PyCFunction)(void (*)(void))ledger_read_csv_stream,
     METH_CLASS | METH_VARARGS | METH_KEYWORDS,
     "read_csv_stream(stream, names, kinds, ...) -> (ledger, bad rows, bytes read): a seekable "
     "binary stream (readinto, seek, tell) read in blocks from where it stands as it is parsed"},
    {"from_arrow", (PyCFunction)ledger_from_arrow, METH_CLASS | METH_VARARGS,
     "from_arrow(obj, amount, cents=False) -> ledger: any __arrow_c_stream__/__arrow_c_array__"},
    {"from_arrays", (PyCFunction)ledger_from_arrays, METH_CLASS | METH_VARARGS,
     "from_arrays(names, kinds, buffers, dictionaries) -> ledger (data copied)"},
    {"dictionary", (PyCFunction)ledger_dictionary, METH_O, "the labels of a column, by code"},
    {"held_labels", (PyCFunction)ledger_held_labels, METH_O,
     "the labels some row holds, by code"},
    {"labels_of", (PyCFunction)ledger_labels_of, METH_VARARGS,
     "labels_of(column, codes) -> the labels of those codes (None for -1)"},
    {"label_keys", (PyCFunction)ledger_label_keys, METH_O,
     "label_keys(column) -> (int32 bytes: each label's key code or -1, number of keys)"},
    {"relabel", (PyCFunction)ledger_relabel, METH_VARARGS,
     "relabel(column, {old: new}, absent_ok=False) -> a new ledger, the column's labels "
     "rewritten; an old label the dictionary lacks is refused unless absent_ok"},
    {"total", (PyCFunction)ledger_total, METH_NOARGS, "the sum of the amounts, in cents"},
    {"group_by", (PyCFunction)(void (*)(void))ledger_group_by, METH_VARARGS | METH_KEYWORDS,
     "group_by(keys, minmax=False, threads=2) -> (aggregate ledger, dense, threads used); a key "
     "is a column index or (column, part, side, name)"},
    {"pivot", (PyCFunction)ledger_pivot, METH_VARARGS,
     "pivot(group or None, row, column, threads=2) -> Plan; keys as group_by's"},
    {"filter", (PyCFunction)ledger_filter, METH_VARARGS,
     "filter([(column, labels kept or a mask by code or None, keep_missing, lo, hi)], "
     "scope=None) -> ledger, or None when a mask no longer covers its column's dictionary "
     "(or the scope's labels); scope: (rows, labels by column) as filter_sum gave it"},
    {"filter_sum", (PyCFunction)ledger_filter_sum, METH_O,
     "filter_sum(conditions) -> (rows kept, their total in cents or None past int64, rows and "
     "(labels by column) seen: the scope), "
     "or None as filter; no row copied"},
    {"label_mask", (PyCFunction)ledger_label_mask, METH_VARARGS,
     "label_mask(column, start, stop, test, text) -> bytes: an exact text test by code"},
    {"label_code", (PyCFunction)ledger_label_code, METH_VARARGS,
     "label_code(column, text) -> the label's code, or -1 when the column never held it"},
    {"dictionary_size", (PyCFunction)ledger_dictionary_size, METH_O,
     "the number of labels of a column"},
    {"derive_keys", (PyCFunction)ledger_derive_keys, METH_O,
     "derive_keys([(column, part, side, name)]) -> ledger of those keys and the amount"},
    {"extend", (PyCFunction)ledger_extend, METH_O, "append another ledger's rows"},
    {"column", (PyCFunction)ledger_column, METH_O, "a buffer over one column"},
    {"copy_column", (PyCFunction)ledger_copy_column, METH_VARARGS,
     "copy_column(column, start=0, stop=nrows) -> bytes: rows [start, stop) of a column"},
    {"rename", (PyCFunction)ledger_rename, METH_VARARGS, "rename(column, name)"},
    {"__arrow_c_array__", (PyCFunction)(void (*)(void))ledger_arrow_c_array,
     METH_VARARGS | METH_KEYWORDS, "Arrow PyCapsule interface: (schema, array) capsules"},
    {"__arrow_c_stream__", (PyCFunction)(void (*)(void))ledger_arrow_c_stream,
     METH_VARARGS | METH_KEYWORDS, "Arrow PyCapsule interface: a stream capsule"},
    {NULL, NULL, 0, NULL},
};

static PyGetSetDef ledger_getset[] = {
    {"nrows", (getter)get_nrows, NULL, "rows held", NULL},
    {"blank_rows", (getter)get_blank_rows, (setter)set_blank_rows,
     "blank records skipped when reading", NULL},
    {"short_filled", (getter)get_short_filled, NULL,
     "(rows read with their missing last cells blank, the first one's line)", NULL},
    {"encoding", (getter)get_encoding, NULL, "the encoding read ('auto' if not read)", NULL},
    {"date_orders", (getter)get_date_orders, (setter)set_date_orders,
     "one character a column: 'd'/'m', the day-month order its dates were read in, '-' when "
     "undecided or not a date column", NULL},
    {"columns", (getter)get_columns, NULL, "[(name, kind)]", NULL},
    {"exports", (getter)get_exports, NULL, "live buffer exports", NULL},
    {NULL, NULL, NULL, NULL, NULL},
};

static PyType_Slot ledger_slots[] = {
    {Py_tp_dealloc, ledger_dealloc},
    {Py_tp_methods, ledger_methods},
    {Py_tp_getset, ledger_getset},
    {Py_tp_doc, "Columnar records held by the C core (see essconv.Ledger for the API)."},
    {0, NULL},
};

static PyType_Spec ledger_spec = {
    .name = "essconv._core.Ledger",
    .basicsize = sizeof(LedgerObject),
    .flags = Py_TPFLAGS_DEFAULT | Py_TPFLAGS_IMMUTABLETYPE | Py_TPFLAGS_DISALLOW_INSTANTIATION,
    .slots = ledger_slots,
};

/* ------------------------------------------------------------------ ColumnBuffer */

static int column_getbuffer(ColumnObject *self, Py_buffer *view, int flags)
{
    ess_ledger *l = self->owner->ledger;
    if ((size_t)self->column >= l->ncolumns || (size_t)self->shape > l->nrows) {
        PyErr_SetString(PyExc_BufferError, "the ledger changed since this column was taken");
        return -1;
    }
    ess_column *col = &l->columns[self->column];
    int narrow = col->kind == ESS_COL_LABEL || col->kind == ESS_COL_DATE;
    view->obj = Py_NewRef(self);
    view->buf = col->data;
    view->itemsize = narrow ? 4 : 8;
    view->len = self->shape * view->itemsize;
    view->readonly = 1;
    if ((flags & PyBUF_WRITABLE) == PyBUF_WRITABLE) {
        Py_CLEAR(view->obj);
        PyErr_SetString(PyExc_BufferError, "a ledger's columns are read-only");
        return -1;
    }
    view->format = (flags & PyBUF_FORMAT) ? (narrow ? "i" : "q") : NULL;
    view->ndim = 1;
    view->shape = (flags & PyBUF_ND) ? &self->shape : NULL;
    self->stride = view->itemsize;
    view->strides = (flags & PyBUF_STRIDES) == PyBUF_STRIDES ? &self->stride : NULL;
    view->suboffsets = NULL;
    view->internal = NULL;
    ess_ledger_export_begin(l);   /* the ledger refuses to change until this is released */
    self->views++;
    return 0;
}

static void column_releasebuffer(ColumnObject *self, Py_buffer *view)
{
    (void)view;
    self->views--;
    ess_ledger_export_end(self->owner->ledger);
}

static int column_traverse(ColumnObject *self, visitproc visit, void *arg)
{
    Py_VISIT(self->owner);
    Py_VISIT(Py_TYPE(self));
    return 0;
}

/* The collector breaking a cycle may clear this object before the memoryview that holds one of
 * its buffers releases it, and the release still needs the owner: while a buffer is out, the
 * owner stays (the view holds this object, so the cycle is broken at the view instead). */
static int column_clear(ColumnObject *self)
{
    if (self->views == 0)
        Py_CLEAR(self->owner);
    return 0;
}

static void column_dealloc(ColumnObject *self)
{
    PyTypeObject *tp = Py_TYPE(self);
    PyObject_GC_UnTrack(self);
    assert(self->views == 0);   /* every view holds this object: none outlives it */
    Py_CLEAR(self->owner);
    tp->tp_free((PyObject *)self);
    Py_DECREF(tp);
}

static PyObject *column_len(ColumnObject *self, void *c)
{
    (void)c;
    return PyLong_FromSsize_t(self->shape);
}

static PyGetSetDef column_getset[] = {
    {"length", (getter)column_len, NULL, "values in the column", NULL},
    {NULL, NULL, NULL, NULL, NULL},
};

static PyType_Slot column_slots[] = {
    {Py_bf_getbuffer, column_getbuffer},
    {Py_bf_releasebuffer, column_releasebuffer},
    {Py_tp_traverse, column_traverse},
    {Py_tp_clear, column_clear},
    {Py_tp_dealloc, column_dealloc},
    {Py_tp_getset, column_getset},
    {Py_tp_doc, "One ledger column through the buffer protocol: int32 codes/days or int64."},
    {0, NULL},
};

static PyType_Spec column_spec = {
    .name = "essconv._core.ColumnBuffer",
    .basicsize = sizeof(ColumnObject),
    .flags = Py_TPFLAGS_DEFAULT | Py_TPFLAGS_IMMUTABLETYPE | Py_TPFLAGS_HAVE_GC |
             Py_TPFLAGS_DISALLOW_INSTANTIATION,
    .slots = column_slots,
};

static PyObject *count_fork(PyObject *unused, PyObject *Py_UNUSED(ignored))
{
    (void)unused;
    forks_seen++;
    Py_RETURN_NONE;
}

static PyMethodDef count_fork_def = {"_count_fork", count_fork, METH_NOARGS,
                                     "after fork(), in the child: ledgers forget the parent's threads"};

/* Registers count_fork to run in the child after each os.fork() (multiprocessing's default on
 * Linux).  Nothing to do where there is no fork. */
static int watch_forks(void)
{
#ifdef HAVE_FORK
    PyObject *os = PyImport_ImportModule("os");
    PyObject *reg = os ? PyObject_GetAttrString(os, "register_at_fork") : NULL;
    PyObject *hook = reg ? PyCFunction_New(&count_fork_def, NULL) : NULL;
    PyObject *kwargs = hook ? Py_BuildValue("{sO}", "after_in_child", hook) : NULL;
    PyObject *empty = kwargs ? PyTuple_New(0) : NULL;
    PyObject *done = empty ? PyObject_Call(reg, empty, kwargs) : NULL;
    int rc = done ? 0 : -1;
    Py_XDECREF(done);
    Py_XDECREF(empty);
    Py_XDECREF(kwargs);
    Py_XDECREF(hook);
    Py_XDECREF(reg);
    Py_XDECREF(os);
    return rc;
#else
    return 0;
#endif
}

int ledger_type_init(PyObject *module, module_state *st)
{
    st->ledger_type = (PyTypeObject *)PyType_FromModuleAndSpec(module, &ledger_spec, NULL);
    if (st->ledger_type == NULL || PyModule_AddType(module, st->ledger_type) < 0)
        return -1;
    st->column_type = (PyTypeObject *)PyType_FromModuleAndSpec(module, &column_spec, NULL);
    if (st->column_type == NULL || PyModule_AddType(module, st->column_type) < 0)
        return -1;
    return watch_forks();
}
