/*
 * module.c -- essconv._core: multi-phase initialisation and the functions that are not methods
 * of a type (amount parsing and formatting, decoding tables, the table of finding kinds).  The
 * top of the binding: it initialises the types; the state and conversions they share are in
 * convert.c, below them.
 */
#include "binding.h"

#include <stdlib.h>
#include <string.h>

/* ------------------------------------------------------------------ allocation failures */

/* For the tests only: the core's N-th allocation from now fails (as SQLite's harness does), so
 * every failure path can be shown to raise MemoryError and leak nothing.  Not thread-safe. */
static long fail_countdown = -1;

static void *failing_malloc(size_t n)
{
    if (fail_countdown == 0)
        return NULL;
    if (fail_countdown > 0)
        fail_countdown--;
    return malloc(n);
}

static void *failing_realloc(void *p, size_t n)
{
    if (fail_countdown == 0)
        return NULL;
    if (fail_countdown > 0)
        fail_countdown--;
    return realloc(p, n);
}

static PyObject *py_fail_allocation(PyObject *module, PyObject *arg)
{
    (void)module;
    long n = PyLong_AsLong(arg);
    if (n == -1 && PyErr_Occurred())
        return NULL;
    if (n < 0) {
        fail_countdown = -1;
        ess_set_allocator(NULL);
    } else {
        static const ess_allocator failing = {failing_malloc, failing_realloc, free};
        fail_countdown = n;
        ess_set_allocator(&failing);
    }
    Py_RETURN_NONE;
}

static PyObject *py_utf8_text(PyObject *module, PyObject *args)
{
    (void)module;
    Py_buffer data;
    if (!PyArg_ParseTuple(args, "y*", &data))
        return NULL;
    int kind = ess_utf8_text(data.buf, (size_t)data.len);
    PyBuffer_Release(&data);
    return PyLong_FromLong(kind);
}

static PyObject *py_release_memory(PyObject *module, PyObject *noargs)
{
    (void)module;
    (void)noargs;
    size_t given;
    Py_BEGIN_ALLOW_THREADS
    given = ess_release_memory();
    Py_END_ALLOW_THREADS
    return PyLong_FromSize_t(given);
}

static PyObject *py_kept_memory(PyObject *module, PyObject *noargs)
{
    (void)module;
    (void)noargs;
    return PyLong_FromSize_t(ess_kept_memory());
}

static PyObject *py_scan(PyObject *module, PyObject *args)
{
    (void)module;
    int which = -1;
    if (!PyArg_ParseTuple(args, "|i", &which))
        return NULL;
    return PyUnicode_FromString(ess_scan_force(which));
}

/* ------------------------------------------------------------------ functions */

PyDoc_STRVAR(parse_amount_doc,
             "parse_amount(text, decimal=None, unit='€', dash_is_zero=False) -> (cents, unit_seen)\n\n"
             "Parse an amount as printed into exact int cents.  Returns None for a blank text.\n"
             "decimal=None reads French, refusing '12.500' (12 500 or 12,5).");

static PyObject *py_parse_amount(PyObject *module, PyObject *args, PyObject *kw)
{
    static char *kwlist[] = {"text", "decimal", "unit", "dash_is_zero", NULL};
    const char *text;
    Py_ssize_t len;
    const char *decimal = NULL;   /* None: French, an ambiguous point refused */
    PyObject *unit_obj = NULL;
    int dash_is_zero = 0;
    if (!PyArg_ParseTupleAndKeywords(args, kw, "s#|zOp", kwlist, &text, &len, &decimal, &unit_obj,
                                     &dash_is_zero))
        return NULL;
    int said = decimal != NULL;
    if (!said)
        decimal = ",";
    module_state *st = state_of_module(module);
    ess_unit unit;
    if (unit_from_object(st, unit_obj, &unit) < 0)
        return NULL;
    /* quoted from the C string: decimal may have come as a keyword, and args then holds the
     * text alone (reading args[1] read past the tuple: a crash in essconv.parse_amount) */
    if (strcmp(decimal, ",") != 0 && strcmp(decimal, ".") != 0)
        return PyErr_Format(st->invalid_error, "decimal must be ',' or '.', not '%s'", decimal);
    if (!said && refuse_ambiguous_point(st, text, (size_t)len) < 0)
        return NULL;
    ess_money_style style = {decimal[0], unit, (dash_is_zero ? ESS_MONEY_DASH_IS_ZERO : 0u) |
                                                   (said ? ESS_MONEY_MARK_SAID : 0u)};
    ess_error err;
    ess_error_clear(&err);
    int64_t cents;
    ess_unit seen;
    int rc = ess_money_parse(text, (size_t)len, &style, &cents, &seen, &err);
    if (rc == ESS_BLANK)
        Py_RETURN_NONE;
    if (rc)
        return raise_core_error(st, &err);
    return Py_BuildValue("(Li)", (long long)cents, (int)seen);
}

/* The unit an amount column's name says, as read_csv reads its header's: 0 when it says none,
 * else its cents (100 000 for k€); a name saying a unit not read or another currency raises the
 * reader's own error, its reason worded in the reader's language. */
static PyObject *py_amount_header_unit(PyObject *module, PyObject *arg)
{
    const char *name = PyUnicode_AsUTF8(arg);
    if (name == NULL)
        return NULL;
    ess_error err;
    ess_error_clear(&err);
    ess_unit unit = ESS_UNIT_NONE;
    if (ess_amount_header_unit(name, 0, 0, &unit, &err))
        return raise_core_error(state_of_module(module), &err);
    return PyLong_FromLong((long)unit);
}

static PyObject *py_format_amount(PyObject *module, PyObject *args, PyObject *kw)
{
    static char *kwlist[] = {"cents", "unit", "group", "decimal", "decimals", NULL};
    long long cents;
    PyObject *unit_obj = NULL;
    const char *group = " ";
    const char *decimal = ",";
    int decimals = -1;
    if (!PyArg_ParseTupleAndKeywords(args, kw, "L|Ossi", kwlist, &cents, &unit_obj, &group,
                                     &decimal, &decimals))
        return NULL;
    module_state *st = state_of_module(module);
    ess_unit unit;
    if (unit_from_object(st, unit_obj, &unit) < 0)
        return NULL;
    char buf[128];
    if (strlen(group) > 8)
        return PyErr_Format(st->invalid_error, "the group separator is at most 8 bytes, not "
                            "'%s'", group);
    /* the core writes one byte for the mark: a character past ASCII made invalid UTF-8 */
    if (strlen(decimal) > 1)
        return PyErr_Format(st->invalid_error, "the decimal mark must be one ASCII character, "
                            "not '%s'", decimal);
    ess_money_format((int64_t)cents, unit, group, decimal[0] ? decimal[0] : ',', decimals, buf,
                     sizeof buf);
    return PyUnicode_FromString(buf);
}

static PyObject *py_to_decimal(PyObject *module, PyObject *args)
{
    long long cents;
    PyObject *unit_obj = NULL;
    if (!PyArg_ParseTuple(args, "L|O", &cents, &unit_obj))
        return NULL;
    ess_unit unit;
    if (unit_from_object(state_of_module(module), unit_obj, &unit) < 0)
        return NULL;
    return cents_to_decimal(state_of_module(module), (int64_t)cents, unit);
}

static PyObject *py_to_cents(PyObject *module, PyObject *args)
{
    PyObject *obj, *unit_obj = NULL;
    if (!PyArg_ParseTuple(args, "O|O", &obj, &unit_obj))
        return NULL;
    ess_unit unit;
    if (unit_from_object(state_of_module(module), unit_obj, &unit) < 0)
        return NULL;
    int64_t cents;
    if (object_to_cents(state_of_module(module), obj, unit, &cents) < 0)
        return NULL;
    return PyLong_FromLongLong((long long)cents);
}

/* ------------------------------------------------------------------ measures of an aggregate */

/* The core's measures table as a tuple of (name, kind, needs min/max): Python builds its
 * aggregates' columns from it rather than naming them again. */
static PyObject *measures_tuple(void)
{
    PyObject *t = PyTuple_New((Py_ssize_t)ess_nmeasures);
    if (t == NULL)
        return NULL;
    for (size_t m = 0; m < ess_nmeasures; m++) {
        PyObject *row = Py_BuildValue("(siO)", ess_measures[m].name, ess_measures[m].kind,
                                      (ess_measures[m].needs & ESS_AGG_MINMAX) ? Py_True
                                                                               : Py_False);
        if (row == NULL) {
            Py_DECREF(t);
            return NULL;
        }
        PyTuple_SET_ITEM(t, (Py_ssize_t)m, row);
    }
    return t;
}

static PyObject *py_measure_value(PyObject *module, PyObject *args)
{
    /* one measure of one group, from its state (as the core's group-by computes it) */
    module_state *st = state_of_module(module);
    const char *name;
    long long sum, count, min = 0, max = 0;
    if (!PyArg_ParseTuple(args, "sLL|LL", &name, &sum, &count, &min, &max))
        return NULL;
    if (count <= 0) {
        PyErr_SetString(st->invalid_error, "a group holds at least one row");
        return NULL;
    }
    ess_group_state state = {sum, count, min, max, 0};
    for (size_t m = 0; m < ess_nmeasures; m++)
        if (!strcmp(name, ess_measures[m].name))
            return PyLong_FromLongLong((long long)ess_measures[m].value(&state));
    return PyErr_Format(st->invalid_error, "no measure named %.60s", name);
}

/* A state (sum, count, min, max) from Python, min and max None when not computed; 1 when they
 * are, 0 when not, -1 with an error. */
static int state_from(PyObject *t, ess_group_state *s)
{
    PyObject *lo, *hi;
    long long sum, count;
    if (!PyArg_ParseTuple(t, "LLOO", &sum, &count, &lo, &hi))
        return -1;
    s->sum = sum;
    s->count = count;
    if (lo == Py_None || hi == Py_None)
        return 0;
    if ((s->min = PyLong_AsLongLong(lo)) == -1 && PyErr_Occurred())
        return -1;
    if ((s->max = PyLong_AsLongLong(hi)) == -1 && PyErr_Occurred())
        return -1;
    return 1;
}

static PyObject *py_merge_state(PyObject *module, PyObject *args)
{
    /* two partials of one group merged by the core's rule (ess_group_state_merge) */
    PyObject *a_obj, *b_obj;
    if (!PyArg_ParseTuple(args, "O!O!", &PyTuple_Type, &a_obj, &PyTuple_Type, &b_obj))
        return NULL;
    ess_group_state a = {0}, b = {0};
    int a_minmax = state_from(a_obj, &a), b_minmax = state_from(b_obj, &b);
    if (a_minmax < 0 || b_minmax < 0)
        return NULL;
    unsigned flags = (a_minmax && b_minmax) ? ESS_AGG_MINMAX : 0;
    /* the partials come as their sums (no carry): the merged one must fit as it is */
    if (ess_group_state_merge(&a, &b, flags) || a.carry != 0) {
        return raise_sum_overflow(state_of_module(module), "the sum does not fit int64 cents",
                                  "sum", a.carry < 0 || (a.carry == 0 && b.sum < 0)
                                             ? ESS_BELOW_INT64 : ESS_ABOVE_INT64);
    }
    if (!flags)
        return Py_BuildValue("(LLOO)", (long long)a.sum, (long long)a.count, Py_None, Py_None);
    return Py_BuildValue("(LLLL)", (long long)a.sum, (long long)a.count, (long long)a.min,
                         (long long)a.max);
}

static PyObject *py_checked_sum(PyObject *module, PyObject *iterable)
{
    /* the exact sum of an iterable of int cents, OverflowError past int64: added modulo 2^64,
     * the wraps counted, so that a partial sum may pass int64 and come back (the core's rule,
     * ess_group_state) */
    module_state *st = state_of_module(module);
    PyObject *it = PyObject_GetIter(iterable);
    if (it == NULL)
        return NULL;
    int64_t total = 0, carry = 0;
    PyObject *item;
    while ((item = PyIter_Next(it)) != NULL) {
        int overflow = 0;
        long long v = PyLong_AsLongLongAndOverflow(item, &overflow);
        Py_DECREF(item);
        if (v == -1 && PyErr_Occurred()) {
            Py_DECREF(it);
            return NULL;
        }
        if (overflow) {   /* an int past int64 itself: the side is its sign */
            Py_DECREF(it);
            return raise_sum_overflow(st, "the sum does not fit int64 cents", "sum",
                                      overflow < 0 ? ESS_BELOW_INT64 : ESS_ABOVE_INT64);
        }
        ess_add_counting_wraps(&total, (int64_t)v, &carry);
    }
    Py_DECREF(it);
    if (PyErr_Occurred())
        return NULL;
    if (carry != 0) {
        return raise_sum_overflow(st, "the sum does not fit int64 cents", "sum",
                                  carry < 0 ? ESS_BELOW_INT64 : ESS_ABOVE_INT64);
    }
    return PyLong_FromLongLong((long long)total);
}

/* The cells of (data, encoding, delimiter) as the core's table reads them, for read_table and
 * read_table_flat, a plan's blank margin columns set aside when margin is true (as the plan
 * reader sets them aside: ess_plan_table_drop_margin, whose twin is essconv.margin); NULL with
 * an exception set. */
static ess_table *table_of_args(PyObject *module, PyObject *args, PyObject *kw)
{
    static char *kwlist[] = {"data", "encoding", "delimiter", "margin", NULL};
    Py_buffer data;
    int encoding = ESS_ENC_AUTO;
    int delimiter = 0;
    int margin = 0;
    if (!PyArg_ParseTupleAndKeywords(args, kw, "y*|iCp", kwlist, &data, &encoding, &delimiter,
                                     &margin))
        return NULL;
    module_state *st = state_of_module(module);
    if (delimiter_mark(st, delimiter)) {
        PyBuffer_Release(&data);
        return NULL;
    }
    ess_table *t = NULL;
    ess_error err;
    ess_error_clear(&err);
    int rc;
    Py_BEGIN_ALLOW_THREADS
    rc = ess_table_read(data.buf, (size_t)data.len, (ess_encoding)encoding, (char)delimiter, &t,
                        &err);
    if (rc == ESS_OK && margin)
        ess_plan_table_drop_margin(t);
    Py_END_ALLOW_THREADS
    PyBuffer_Release(&data);
    if (rc) {
        raise_core_error(st, &err);
        return NULL;
    }
    return t;
}

static PyObject *py_read_table(PyObject *module, PyObject *args, PyObject *kw)
{
    /* bytes -> (rows, encoding, delimiter); each row a list of (text, line, column) */
    ess_table *t = table_of_args(module, args, kw);
    if (t == NULL)
        return NULL;
    PyObject *rows = PyList_New((Py_ssize_t)t->nrows);
    if (rows == NULL)
        goto fail;
    for (size_t r = 0; r < t->nrows; r++) {
        size_t n = ess_table_row_len(t, r);
        PyObject *row = PyList_New((Py_ssize_t)n);
        if (row == NULL)
            goto fail;
        PyList_SET_ITEM(rows, (Py_ssize_t)r, row);
        for (size_t c = 0; c < n; c++) {
            size_t k = t->row_first[r] + c;
            PyObject *cell = Py_BuildValue("(sll)", t->strings + t->cell_offset[k],
                                           t->cell_line[k], t->cell_column[k]);
            if (cell == NULL)
                goto fail;
            PyList_SET_ITEM(row, (Py_ssize_t)c, cell);
        }
    }
    PyObject *result = Py_BuildValue("(NsC)", rows, ess_encoding_name(t->encoding), t->delimiter);
    ess_table_free(t);
    return result;
fail:
    Py_XDECREF(rows);
    ess_table_free(t);
    return NULL;
}

static PyObject *py_read_table_flat(PyObject *module, PyObject *args, PyObject *kw)
{
    /* bytes -> (rows, places, encoding, delimiter): the rows of read_table, each a list of its
     * cells' texts alone, and places the cells' (line, column) as native int64 pairs, cell
     * after cell, row after row.  A file of millions of cells makes here no tuple per cell
     * (nor two ints): str is not tracked by the garbage collector, whose passes over the
     * cells' tuples cost a validation of a large file as much as making them. */
    ess_table *t = table_of_args(module, args, kw);
    if (t == NULL)
        return NULL;
    PyObject *places = NULL, *rows = PyList_New((Py_ssize_t)t->nrows);
    if (rows == NULL)
        goto fail;
    size_t ncells = t->nrows ? t->row_first[t->nrows] : 0;
    if (ncells > (size_t)PY_SSIZE_T_MAX / (2 * sizeof(int64_t))) {
        PyErr_NoMemory();
        goto fail;
    }
    places = PyBytes_FromStringAndSize(NULL, (Py_ssize_t)(ncells * 2 * sizeof(int64_t)));
    if (places == NULL)
        goto fail;
    int64_t *at = (int64_t *)(void *)PyBytes_AS_STRING(places);
    for (size_t r = 0; r < t->nrows; r++) {
        size_t n = ess_table_row_len(t, r);
        PyObject *row = PyList_New((Py_ssize_t)n);
        if (row == NULL)
            goto fail;
        PyList_SET_ITEM(rows, (Py_ssize_t)r, row);
        for (size_t c = 0; c < n; c++) {
            size_t k = t->row_first[r] + c;
            PyObject *text = PyUnicode_FromString(t->strings + t->cell_offset[k]);
            if (text == NULL)
                goto fail;
            PyList_SET_ITEM(row, (Py_ssize_t)c, text);
            *at++ = (int64_t)t->cell_line[k];
            *at++ = (int64_t)t->cell_column[k];
        }
    }
    PyObject *result = Py_BuildValue("(NNsC)", rows, places, ess_encoding_name(t->encoding),
                                     t->delimiter);
    ess_table_free(t);
    return result;
fail:
    Py_XDECREF(rows);
    Py_XDECREF(places);
    ess_table_free(t);
    return NULL;
}

/* (line, column, byte) tuples of places[0, n), or NULL with an exception set. */
static PyObject *odd_places_list(const ess_odd_place *places, size_t n)
{
    PyObject *list = PyList_New((Py_ssize_t)n);
    for (size_t k = 0; list != NULL && k < n; k++) {
        PyObject *item = Py_BuildValue("(lli)", places[k].line, places[k].column,
                                       (int)places[k].byte);
        if (item == NULL)
            Py_CLEAR(list);
        else
            PyList_SET_ITEM(list, (Py_ssize_t)k, item);
    }
    return list;
}

/* The (data, max=10) of mixed_places and mixed_tally: data's buffer, max (0 to its length) and room
 * for `lists` lists of max places; NULL with an exception set and nothing held. */
static ess_odd_place *places_for(PyObject *args, Py_buffer *data, Py_ssize_t *max, size_t lists)
{
    *max = 10;
    if (!PyArg_ParseTuple(args, "y*|n", data, max))
        return NULL;
    if (*max < 0)
        *max = 0;
    /* no more places than bytes: a max past that (2**61) sized the room by a product that
     * wrapped around (a few bytes, the core writing past them) or asked for terabytes */
    if (*max > data->len)
        *max = data->len;
    ess_odd_place *places = PyMem_Malloc((lists * (size_t)*max + 1) * sizeof *places);
    if (places == NULL) {
        PyBuffer_Release(data);
        PyErr_NoMemory();
    }
    return places;
}

static PyObject *py_mixed_places(PyObject *module, PyObject *args)
{
    /* bytes -> (count, odd_are_cp1252, [(line, column, byte), ...] for the first max) */
    Py_buffer data;
    Py_ssize_t max;
    (void)module;
    ess_odd_place *places = places_for(args, &data, &max, 1);
    if (places == NULL)
        return NULL;
    size_t count;
    int odd_are_cp1252;
    Py_BEGIN_ALLOW_THREADS
    count = ess_mixed_places(data.buf, (size_t)data.len, places, (size_t)max, &odd_are_cp1252);
    Py_END_ALLOW_THREADS
    PyBuffer_Release(&data);
    size_t shown = count < (size_t)max ? count : (size_t)max;
    PyObject *list = odd_places_list(places, shown);
    PyMem_Free(places);
    if (list == NULL)
        return NULL;
    return Py_BuildValue("(nON)", (Py_ssize_t)count, odd_are_cp1252 ? Py_True : Py_False, list);
}

static PyObject *py_mixed_tally(PyObject *module, PyObject *args)
{
    /* a piece -> (cp1252 count, utf8 count, lines, cp1252 places, utf8 places) */
    Py_buffer data;
    Py_ssize_t max;
    (void)module;
    ess_odd_place *places = places_for(args, &data, &max, 2);
    if (places == NULL)
        return NULL;
    ess_mixed_tally tally;
    Py_BEGIN_ALLOW_THREADS
    ess_mixed_tally_piece(data.buf, (size_t)data.len, places, places + max, (size_t)max, &tally);
    Py_END_ALLOW_THREADS
    PyBuffer_Release(&data);
    PyObject *cp1252 = odd_places_list(places, tally.cp1252_placed);
    PyObject *utf8 = cp1252 == NULL ? NULL : odd_places_list(places + max, tally.utf8_placed);
    PyMem_Free(places);
    if (utf8 == NULL) {
        Py_XDECREF(cp1252);
        return NULL;
    }
    return Py_BuildValue("(nnlNN)", (Py_ssize_t)tally.cp1252, (Py_ssize_t)tally.utf8, tally.lines,
                         cp1252, utf8);
}

/* The core's table of finding kinds, converted row by row: hosts build their codes from it. */
static PyObject *py_finding_kinds(PyObject *module, PyObject *unused)
{
    (void)module;
    (void)unused;
    size_t count;
    const ess_finding_kind *kinds = ess_finding_kinds(&count);
    PyObject *rows = PyTuple_New((Py_ssize_t)count);
    for (size_t k = 0; rows != NULL && k < count; k++) {
        PyObject *row = Py_BuildValue("(isssO)", kinds[k].code, kinds[k].name,
                                      ess_severity_name(kinds[k].severity),
                                      ess_scope_name(kinds[k].scope),
                                      kinds[k].correctable ? Py_True : Py_False);
        if (row == NULL)
            Py_CLEAR(rows);
        else
            PyTuple_SET_ITEM(rows, (Py_ssize_t)k, row);
    }
    return rows;
}

/* sniff_delimiter_sure(data) -> whether the delimiter sniffed on data is the one any longer
 * text starting with it gives: what lets a reader that parses a file in blocks sniff the first
 * block alone and pass the delimiter to the others.  Quotes and line ends are ASCII, so the
 * bytes of a UTF-8 or CP1252 text (its BOM left out) answer as its decoded text does. */
static PyObject *py_sniff_delimiter_sure(PyObject *module, PyObject *arg)
{
    (void)module;
    Py_buffer data;
    if (PyObject_GetBuffer(arg, &data, PyBUF_SIMPLE) < 0)
        return NULL;
    int sure = ess_sniff_delimiter_sure(data.buf, (size_t)data.len);
    PyBuffer_Release(&data);
    return PyBool_FromLong(sure);
}

/* label_key(text) -> the key under which labels are probably one entity (relabel.c's rules) */
static PyObject *py_label_key(PyObject *module, PyObject *arg)
{
    Py_ssize_t len;
    const char *text = PyUnicode_Check(arg) ? PyUnicode_AsUTF8AndSize(arg, &len) : NULL;
    if (text == NULL) {
        if (!PyErr_Occurred())
            PyErr_SetString(state_of_module(module)->argument_type_error, "label_key needs a str");
        return NULL;
    }
    char *key = PyMem_Malloc((size_t)len + 1);
    if (key == NULL)
        return PyErr_NoMemory();
    size_t n = ess_label_key(text, (size_t)len, key);
    PyObject *result = PyUnicode_DecodeUTF8(key, (Py_ssize_t)n, "replace");
    PyMem_Free(key);
    return result;
}

/* A date as the reader reads a cell of a date column (ess_date_parse_in_order): a filter's
 * text takes the same rule, never a second parser's. */
static PyObject *py_parse_date(PyObject *module, PyObject *args)
{
    module_state *st = state_of_module(module);
    const char *text, *order;
    Py_ssize_t len, order_len;
    if (!PyArg_ParseTuple(args, "s#s#:parse_date", &text, &len, &order, &order_len))
        return NULL;
    if (order_len > 1 || (order_len == 1 && *order != ESS_DATES_DMY && *order != ESS_DATES_MDY)) {
        PyErr_SetString(st->invalid_error, "parse_date: the order is 'd', 'm' or ''");
        return NULL;
    }
    int32_t days = 0;
    ess_error err;
    memset(&err, 0, sizeof err);
    int rc = ess_date_parse_in_order(text, (size_t)len, order_len ? *order : ESS_DATES_DETECT,
                                     &days, &err);
    if (rc == ESS_BLANK)
        Py_RETURN_NONE;
    if (rc != ESS_OK) {
        /* the reader's reason as its bad rows say it ("date", "date-impossible"), so that a
         * host words it in its own language: the message is the English wording */
        PyObject *exc = PyObject_CallFunction(st->invalid_error, "s", err.message);
        if (exc == NULL)
            return NULL;
        PyObject *reason = Py_BuildValue("(s)", ess_date_shape(text, (size_t)len)
                                                    ? "date-impossible" : "date");
        if (reason == NULL || PyObject_SetAttrString(exc, "reason", reason) < 0) {
            Py_XDECREF(reason);
            Py_DECREF(exc);
            return NULL;
        }
        Py_DECREF(reason);
        PyErr_SetObject(st->invalid_error, exc);
        Py_DECREF(exc);
        return NULL;
    }
    return PyLong_FromLong(days);
}

/* (edit kind, the name of the finding it is alone): how a host names each edit of an
 * explanation, read from the core rather than copied. */
static PyObject *py_edit_kinds(PyObject *module, PyObject *unused)
{
    (void)module;
    (void)unused;
    PyObject *kinds = PyDict_New();
    for (int kind = ESS_EDIT_CELL; kinds != NULL && kind < ESS_EDIT_END; kind++) {
        const ess_finding_kind *finding = ess_finding_kind_of(ess_edit_finding_code(kind));
        PyObject *key = PyLong_FromLong(kind), *name = PyUnicode_FromString(finding->name);
        if (key == NULL || name == NULL || PyDict_SetItem(kinds, key, name) < 0)
            Py_CLEAR(kinds);
        Py_XDECREF(key);
        Py_XDECREF(name);
    }
    return kinds;
}

static PyMethodDef module_methods[] = {
    {"finding_kinds", py_finding_kinds, METH_NOARGS,
     "finding_kinds() -> ((code, name, severity, scope, correctable), ...): the core's table of "
     "finding kinds; severity 'error'|'warning'|'info', scope 'cell'|'line'|'funder'|'plan'|"
     "'explanations'"},
    {"edit_kinds", py_edit_kinds, METH_NOARGS,
     "edit_kinds() -> {edit kind: the name of the finding it is alone}, e.g. "
     "{1: 'cell-correction', 2: 'cell-move', 3: 'total-correction'}"},
    {"mixed_places", py_mixed_places, METH_VARARGS,
     "mixed_places(data, max=10) -> (count, odd_are_cp1252, [(line, column, byte)]): where a "
     "text mixing UTF-8 and CP1252 holds bytes of its minority encoding; count 0 if unmixed"},
    {"mixed_tally", py_mixed_tally, METH_VARARGS,
     "mixed_tally(piece, max=10) -> (cp1252, utf8, lines, cp1252_places, utf8_places): a piece "
     "of a file cut after a LF, for mixed_places in pieces: bytes not UTF-8 and valid UTF-8 "
     "sequences counted, the first max places of each (lines from the piece's first), and its "
     "line endings"},
    {"_fail_allocation", py_fail_allocation, METH_O,
     "_fail_allocation(n): tests only -- the core's n-th allocation from now fails; -1 stops"},
    {"release_memory", py_release_memory, METH_NOARGS,
     "release_memory() -> int: gives back to the system the large blocks freed ledgers left "
     "for the next reads (see essconv.release_memory); returns their bytes"},
    {"kept_memory", py_kept_memory, METH_NOARGS,
     "kept_memory() -> int: the bytes of the large blocks freed and kept for the next reads"},
    {"_scan", py_scan, METH_VARARGS,
     "_scan(which=-1) -> 'avx2' | 'sse2' | 'swar': tests only -- the reader's scanners; 1 forces "
     "the portable one, 2 SSE2 at most, 0 gives back the fastest (never during a read)"},
    {"_utf8_text", py_utf8_text, METH_VARARGS,
     "_utf8_text(data) -> int: tests only -- whether the streamed reader takes data for UTF-8 "
     "text (valid as Python decodes it, no NUL), with the scanners _scan chose: 0 no, 1 yes "
     "and all ASCII, 2 yes with a byte past ASCII"},
    {"parse_amount", (PyCFunction)(void (*)(void))py_parse_amount, METH_VARARGS | METH_KEYWORDS,
     parse_amount_doc},
    {"amount_header_unit", py_amount_header_unit, METH_O,
     "amount_header_unit(name) -> int: the unit an amount column's name says (0: none; 100 000: "
     "k€), as read_csv reads a header's; a unit not read or another currency is refused"},
    {"format_amount", (PyCFunction)(void (*)(void))py_format_amount,
     METH_VARARGS | METH_KEYWORDS,
     "format_amount(cents, unit='€', group=' ', decimal=',', decimals=-1) -> str"},
    {"to_decimal", py_to_decimal, METH_VARARGS,
     "to_decimal(cents, unit='€') -> Decimal, exactly"},
    {"to_cents", py_to_cents, METH_VARARGS,
     "to_cents(amount, unit='€') -> int cents; amount is a Decimal, int or printed str"},
    {"measure_value", py_measure_value, METH_VARARGS,
     "measure_value(name, sum, count, min=0, max=0) -> int: one measure of a group's state"},
    {"merge_state", py_merge_state, METH_VARARGS,
     "merge_state((sum, count, min, max), (sum, count, min, max)) -> the merged state; min and "
     "max None unless both have them; MoneyOverflowError past int64"},
    {"checked_sum", py_checked_sum, METH_O,
     "checked_sum(iterable of int cents) -> int; OverflowError past int64"},
    {"read_table", (PyCFunction)(void (*)(void))py_read_table, METH_VARARGS | METH_KEYWORDS,
     "read_table(data, encoding=AUTO, delimiter=0, margin=False) -> (rows, encoding, "
     "delimiter): margin=True sets a plan's blank margin columns aside"},
    {"read_table_flat", (PyCFunction)(void (*)(void))py_read_table_flat,
     METH_VARARGS | METH_KEYWORDS,
     "read_table_flat(data, encoding=AUTO, delimiter=0) -> (rows, places, encoding, delimiter): "
     "each row a list of texts, places the cells' (line, column) as native int64 pairs"},
    {"sniff_delimiter_sure", py_sniff_delimiter_sure, METH_O,
     "sniff_delimiter_sure(data) -> bool: the delimiter read_table sniffs on data is the whole "
     "file's"},
    {"parse_date", py_parse_date, METH_VARARGS,
     "parse_date(text, order) -> days from 1970-01-01 as the reader reads a date cell, order "
     "'d' or 'm' (day or month first) or '' (day first unless only month first can be); None "
     "for a blank; ValueError saying why for a text that is no date"},
    {"label_key", py_label_key, METH_O,
     "label_key(text) -> str: the key under which two labels are probably one entity"},
    {NULL, NULL, 0, NULL},
};

/* ------------------------------------------------------------------ module life */

static int module_exec(PyObject *module)
{
    module_state *st = state_of_module(module);
    PyObject *decimal = PyImport_ImportModule("decimal");
    if (decimal == NULL)
        return -1;
    st->decimal_type = PyObject_GetAttrString(decimal, "Decimal");
    Py_DECREF(decimal);
    PyObject *datetime = PyImport_ImportModule("datetime");
    if (datetime == NULL)
        return -1;
    st->date_type = PyObject_GetAttrString(datetime, "date");
    Py_DECREF(datetime);
    /* the one exception hierarchy lives in Python (essconv.errors); it imports nothing of
     * ours, so importing it while the package initialises is safe */
    PyObject *errors = PyImport_ImportModule("essconv.errors");
    if (errors == NULL)
        return -1;
    st->error = PyObject_GetAttrString(errors, "Error");
    st->amount_error = PyObject_GetAttrString(errors, "AmountError");
    st->overflow_error = PyObject_GetAttrString(errors, "MoneyOverflowError");
    st->format_error = PyObject_GetAttrString(errors, "ParseError");
    st->invalid_error = PyObject_GetAttrString(errors, "InvalidValueError");
    st->not_found_error = PyObject_GetAttrString(errors, "NotFoundError");
    st->amount_type_error = PyObject_GetAttrString(errors, "AmountTypeError");
    st->argument_type_error = PyObject_GetAttrString(errors, "ArgumentTypeError");
    st->position_error = PyObject_GetAttrString(errors, "PositionError");
    st->producer_error = PyObject_GetAttrString(errors, "ProducerError");
    Py_DECREF(errors);
    if (!st->decimal_type || !st->date_type || !st->error || !st->amount_error ||
        !st->overflow_error || !st->format_error || !st->invalid_error || !st->not_found_error ||
        !st->amount_type_error || !st->argument_type_error || !st->position_error ||
        !st->producer_error)
        return -1;
    if (PyModule_AddIntConstant(module, "UNIT_EUR", ESS_UNIT_EUR) ||
        PyModule_AddIntConstant(module, "UNIT_KEUR", ESS_UNIT_KEUR) ||
        PyModule_AddIntConstant(module, "UNIT_MEUR", ESS_UNIT_MEUR) ||
        PyModule_AddIntConstant(module, "ENC_AUTO", ESS_ENC_AUTO) ||
        PyModule_AddIntConstant(module, "ENC_UTF8", ESS_ENC_UTF8) ||
        PyModule_AddIntConstant(module, "ENC_CP1252", ESS_ENC_CP1252) ||
        PyModule_AddIntConstant(module, "ENC_UTF16LE", ESS_ENC_UTF16LE) ||
        PyModule_AddIntConstant(module, "ENC_UTF16BE", ESS_ENC_UTF16BE) ||
        PyModule_AddIntConstant(module, "AT_TOTAL", ESS_AT_TOTAL) ||
        PyModule_AddIntConstant(module, "AT_NONE", ESS_AT_NONE) ||
        PyModule_AddIntConstant(module, "COL_LABEL", ESS_COL_LABEL) ||
        PyModule_AddIntConstant(module, "COL_INT", ESS_COL_INT) ||
        PyModule_AddIntConstant(module, "COL_DATE", ESS_COL_DATE) ||
        PyModule_AddIntConstant(module, "COL_AMOUNT", ESS_COL_AMOUNT) ||
        PyModule_AddIntConstant(module, "DATE_MISSING", ESS_DATE_MISSING))
        return -1;
    /* the date parts and period sides of derived keys (derive.c) */
    if (PyModule_AddIntConstant(module, "PART_COPY", ESS_PART_COPY) ||
        PyModule_AddIntConstant(module, "PART_DAY", ESS_PART_DAY) ||
        PyModule_AddIntConstant(module, "PART_YEAR", ESS_PART_YEAR) ||
        PyModule_AddIntConstant(module, "PART_QUARTER", ESS_PART_QUARTER) ||
        PyModule_AddIntConstant(module, "PART_MONTH", ESS_PART_MONTH) ||
        PyModule_AddIntConstant(module, "SIDE_DATE", ESS_SIDE_DATE) ||
        PyModule_AddIntConstant(module, "SIDE_START", ESS_SIDE_START) ||
        PyModule_AddIntConstant(module, "SIDE_END", ESS_SIDE_END) ||
        PyModule_AddIntConstant(module, "LABEL_CONTAINS", ESS_LABEL_CONTAINS) ||
        PyModule_AddIntConstant(module, "LABEL_STARTSWITH", ESS_LABEL_STARTSWITH))
        return -1;
    PyObject *measures = measures_tuple();
    int added = measures ? PyModule_AddObjectRef(module, "MEASURES", measures) : -1;
    Py_XDECREF(measures);
    if (added < 0)
        return -1;
    if (plan_type_init(module, st) < 0 || convention_type_init(module, st) < 0 ||
        ledger_type_init(module, st) < 0 || rank_functions_init(module) < 0)
        return -1;
    return 0;
}

static int module_traverse(PyObject *module, visitproc visit, void *arg)
{
    module_state *st = state_of_module(module);
    Py_VISIT(st->decimal_type);
    Py_VISIT(st->date_type);
    Py_VISIT(st->error);
    Py_VISIT(st->amount_error);
    Py_VISIT(st->overflow_error);
    Py_VISIT(st->format_error);
    Py_VISIT(st->invalid_error);
    Py_VISIT(st->not_found_error);
    Py_VISIT(st->amount_type_error);
    Py_VISIT(st->argument_type_error);
    Py_VISIT(st->position_error);
    Py_VISIT(st->producer_error);
    Py_VISIT(st->plan_type);
    Py_VISIT(st->convention_type);
    Py_VISIT(st->ledger_type);
    Py_VISIT(st->column_type);
    return 0;
}

static int module_clear(PyObject *module)
{
    module_state *st = state_of_module(module);
    Py_CLEAR(st->decimal_type);
    Py_CLEAR(st->date_type);
    Py_CLEAR(st->error);
    Py_CLEAR(st->amount_error);
    Py_CLEAR(st->overflow_error);
    Py_CLEAR(st->format_error);
    Py_CLEAR(st->invalid_error);
    Py_CLEAR(st->not_found_error);
    Py_CLEAR(st->amount_type_error);
    Py_CLEAR(st->argument_type_error);
    Py_CLEAR(st->position_error);
    Py_CLEAR(st->producer_error);
    Py_CLEAR(st->plan_type);
    Py_CLEAR(st->convention_type);
    Py_CLEAR(st->ledger_type);
    Py_CLEAR(st->column_type);
    return 0;
}

static void module_free(void *module) { module_clear((PyObject *)module); }

static PyModuleDef_Slot module_slots[] = {
    {Py_mod_exec, module_exec},
    {0, NULL},
};

struct PyModuleDef essconv_core_module = {
    PyModuleDef_HEAD_INIT,
    .m_name = "essconv._core",
    .m_doc = "The C core of essconv: exact money, tables, financing plans, conventions, ledgers.",
    .m_size = sizeof(module_state),
    .m_methods = module_methods,
    .m_slots = module_slots,
    .m_traverse = module_traverse,
    .m_clear = module_clear,
    .m_free = module_free,
};

PyMODINIT_FUNC PyInit__core(void) { return PyModuleDef_Init(&essconv_core_module); }
