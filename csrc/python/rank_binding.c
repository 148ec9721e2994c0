/*
 * rank_binding.c -- the module functions over an aggregate's groups (core: rank.c): an order of
 * its rows, and a report built from rows in an order.  Glue only: essconv.ledger.Aggregate
 * decides which rows and which lines.
 *
 * The groups are read with the GIL held (one row per group, O(g log g) at most), so no writer
 * of that ledger can run meanwhile (ledger_type.c: writers change a ledger under the GIL).
 */
#include "binding.h"

/* The groups a call reads (*l, from ledger_obj) and its rows: obj None (every row of *l, in
 * order) or a buffer of int64 row indices; a new size_t array (*nrows of them), or NULL with an
 * exception. */
static size_t *groups_and_rows(module_state *st, PyObject *ledger_obj, PyObject *obj,
                               const ess_ledger **groups, size_t *nrows)
{
    const ess_ledger *l = *groups = ledger_of(st, ledger_obj);
    if (l == NULL)
        return NULL;
    size_t *rows;
    if (obj == Py_None) {
        *nrows = l->nrows;
        rows = PyMem_Malloc((l->nrows ? l->nrows : 1) * sizeof *rows);
        if (rows == NULL)
            return (size_t *)PyErr_NoMemory();
        for (size_t i = 0; i < l->nrows; i++)
            rows[i] = i;
        return rows;
    }
    Py_buffer view;
    if (PyObject_GetBuffer(obj, &view, PyBUF_FORMAT | PyBUF_C_CONTIGUOUS) < 0)
        return NULL;
    if (view.itemsize != 8 || view.format == NULL || (strcmp(view.format, "q") &&
                                                       strcmp(view.format, "l"))) {
        PyBuffer_Release(&view);
        PyErr_SetString(st->argument_type_error, "rows are an int64 buffer (array('q'))");
        return NULL;
    }
    *nrows = (size_t)(view.len / 8);
    rows = PyMem_Malloc((*nrows ? *nrows : 1) * sizeof *rows);
    if (rows == NULL) {
        PyBuffer_Release(&view);
        return (size_t *)PyErr_NoMemory();
    }
    const int64_t *given = view.buf;
    for (size_t k = 0; k < *nrows; k++) {
        if (given[k] < 0) {
            PyBuffer_Release(&view);
            PyMem_Free(rows);
            PyErr_Format(st->invalid_error, "row %lld is negative", (long long)given[k]);
            return NULL;
        }
        rows[k] = (size_t)given[k];
    }
    PyBuffer_Release(&view);
    return rows;
}

static PyObject *py_rank_order(PyObject *module, PyObject *args)
{
    module_state *st = state_of_module(module);
    PyObject *ledger_obj, *rows_obj;
    int column, descending;
    Py_ssize_t first = -1;
    ess_error err = {0};
    if (!PyArg_ParseTuple(args, "OipO|n", &ledger_obj, &column, &descending, &rows_obj, &first))
        return NULL;
    const ess_ledger *l;
    size_t nrows;
    size_t *rows = groups_and_rows(st, ledger_obj, rows_obj, &l, &nrows);
    if (rows == NULL)
        return NULL;
    PyObject *result = NULL;
    if (ess_rank_order(l, column, descending, rows, nrows, first < 0 ? SIZE_MAX : (size_t)first,
                       &err) != ESS_OK) {
        raise_core_error(st, &err);
        goto done;
    }
    if (first >= 0 && (size_t)first < nrows)
        nrows = (size_t)first;   /* only those are in order */
    result = PyBytes_FromStringAndSize(NULL, (Py_ssize_t)(nrows * 8));
    if (result != NULL) {
        int64_t *out = (int64_t *)PyBytes_AS_STRING(result);
        for (size_t k = 0; k < nrows; k++)
            out[k] = (int64_t)rows[k];
    }
done:
    PyMem_Free(rows);
    return result;
}

static PyObject *py_report(PyObject *module, PyObject *args)
{
    module_state *st = state_of_module(module);
    PyObject *ledger_obj, *rows_obj;
    Py_ssize_t nkeys;
    unsigned int flags;
    ess_error err = {0};
    if (!PyArg_ParseTuple(args, "OnOI", &ledger_obj, &nkeys, &rows_obj, &flags))
        return NULL;
    if (nkeys < 0)
        return PyErr_Format(st->invalid_error, "nkeys is %zd", nkeys);
    const ess_ledger *l;
    size_t nrows;
    size_t *rows = groups_and_rows(st, ledger_obj, rows_obj, &l, &nrows);
    if (rows == NULL)
        return NULL;
    ess_ledger *report = NULL;
    int status = ess_report_build(l, (size_t)nkeys, rows, nrows, flags, &report, &err);
    PyMem_Free(rows);
    if (status != ESS_OK)
        return raise_core_error(st, &err);
    return wrap_ledger(st, report);
}

static PyMethodDef rank_functions[] = {
    {"rank_order", py_rank_order, METH_VARARGS,
     "rank_order(ledger, column, descending, rows, first=-1) -> bytes of int64 row indices: rows "
     "(None: all) ordered by the column, stably, missing keys last, labels in French order (accents and case folded, then code point); "
     "only the first `first` of them when first >= 0"},
    {"report", py_report, METH_VARARGS,
     "report(groups, nkeys, rows, flags) -> Ledger: the group rows in that order, then the "
     "lines REPORT_OTHERS and REPORT_TOTAL ask for, with the columns REPORT_SHARE and "
     "REPORT_CUMULATIVE ask for"},
    {NULL, NULL, 0, NULL},
};

int rank_functions_init(PyObject *module)
{
    if (PyModule_AddFunctions(module, rank_functions) < 0 ||
        PyModule_AddIntConstant(module, "REPORT_OTHERS", ESS_REPORT_OTHERS) ||
        PyModule_AddIntConstant(module, "REPORT_SHARE", ESS_REPORT_SHARE) ||
        PyModule_AddIntConstant(module, "REPORT_CUMULATIVE", ESS_REPORT_CUMULATIVE) ||
        PyModule_AddIntConstant(module, "REPORT_TOTAL", ESS_REPORT_TOTAL) ||
        PyModule_AddIntConstant(module, "REPORT_NO_SUM", ESS_REPORT_NO_SUM))
        return -1;
    return 0;
}
