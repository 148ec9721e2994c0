/*
 * plan_type.c -- _core.Plan: a financing matrix held by the core, addressed by index.  The
 * analyst's API (labels, Decimal, display) is essconv.plan.Plan, which wraps this.
 */
#include "binding.h"

#include <string.h>

static PyObject *cell_tuple(const ess_plan_cell *c)
{
    /* (state, cents, raw or None, line, column) */
    return Py_BuildValue("(iLzll)", (int)c->state, (long long)c->cents, c->raw, c->line,
                         c->column);
}

static PyObject *labels(char **items, size_t n)
{
    PyObject *list = PyList_New((Py_ssize_t)n);
    if (list == NULL)
        return NULL;
    for (size_t i = 0; i < n; i++) {
        PyObject *s = PyUnicode_FromString(items[i]);
        if (s == NULL) {
            Py_DECREF(list);
            return NULL;
        }
        PyList_SET_ITEM(list, (Py_ssize_t)i, s);
    }
    return list;
}

static PyObject *problems_list(const ess_problems *p)
{
    PyObject *list = PyList_New((Py_ssize_t)p->count);
    if (list == NULL)
        return NULL;
    for (size_t k = 0; k < p->count; k++) {
        const ess_problem *x = &p->items[k];
        /* (line, column, message, structural, reason): the reason as a reader's refusal
         * carries it (convert.c's raise_core_error), for Language.problem to word it */
        /* a structural problem's kind, numbers and texts (plan.c's tag_problem) likewise:
         * (name, n, m, text), and its other text when it has one (name, n, m, text, other);
         * an unreadable cell's ("plan-bad-amount") with its
         * ESS_AMOUNT_* detail by name instead of n: (name, detail, detail_n, text, "line\x1f
         * funder", character) */
        const char *kind = ess_plan_problem_name(x->kind);
        PyObject *t = x->detail == ESS_AMOUNT_AMBIGUOUS
            ? Py_BuildValue("(llsO(sl))", x->line, x->column, x->message,
                            x->structural ? Py_True : Py_False, "amount-ambiguous", x->detail_n)
            : x->kind == ESS_PLAN_BAD_AMOUNT
            ? Py_BuildValue("(llsO(sslssl))", x->line, x->column, x->message,
                            x->structural ? Py_True : Py_False, kind,
                            amount_detail_name((int)x->kind_n), x->kind_m, x->kind_text,
                            x->kind_other, x->kind_k)
            /* where the plan's unit came from (ESS_UNIT_FROM_*) after its other text: with
             * no line, the French names the unit given or the euros assumed by it */
            : x->kind == ESS_PLAN_UNIT_AGAIN
            ? Py_BuildValue("(llsO(sllssl))", x->line, x->column, x->message,
                            x->structural ? Py_True : Py_False, kind, x->kind_n, x->kind_m,
                            x->kind_text, x->kind_other, x->kind_k)
            : kind != NULL && x->kind_other[0] != '\0'
            ? Py_BuildValue("(llsO(sllss))", x->line, x->column, x->message,
                            x->structural ? Py_True : Py_False, kind, x->kind_n, x->kind_m,
                            x->kind_text, x->kind_other)
            : kind != NULL
            ? Py_BuildValue("(llsO(slls))", x->line, x->column, x->message,
                            x->structural ? Py_True : Py_False, kind, x->kind_n, x->kind_m,
                            x->kind_text)
            : Py_BuildValue("(llsO())", x->line, x->column, x->message,
                            x->structural ? Py_True : Py_False);
        if (t == NULL) {
            Py_DECREF(list);
            return NULL;
        }
        PyList_SET_ITEM(list, (Py_ssize_t)k, t);
    }
    return list;
}

PyObject *wrap_plan(module_state *st, ess_plan *plan)
{
    PlanObject *self = PyObject_New(PlanObject, st->plan_type);
    if (self == NULL) {
        ess_plan_free(plan);
        return NULL;
    }
    self->plan = plan;
    return (PyObject *)self;
}

/* Finishes a read: (plan or None, problems, error message or None, line, column). */
static PyObject *read_result(module_state *st, int rc, ess_plan *plan, ess_problems *probs,
                             const ess_error *err)
{
    PyObject *problems = problems_list(probs);
    ess_problems_clear(probs);
    if (problems == NULL) {
        ess_plan_free(plan);
        return NULL;
    }
    if (rc == ESS_ENOMEM) {
        Py_DECREF(problems);
        return PyErr_NoMemory();
    }
    if (rc) {
        return Py_BuildValue("(ONsll)", Py_None, problems, err->message, err->line, err->column);
    }
    PyObject *obj = wrap_plan(st, plan);
    if (obj == NULL) {
        Py_DECREF(problems);
        return NULL;
    }
    return Py_BuildValue("(NNOii)", obj, problems, Py_None, 0, 0);
}

static PyObject *plan_from_bytes(PyObject *cls, PyObject *args, PyObject *kw)
{
    static char *kwlist[] = {"data", "encoding", "delimiter", "unit", "decimal", "dash_is_zero",
                             NULL};
    Py_buffer data;
    int encoding = ESS_ENC_AUTO, delimiter = 0, decimal = 0, dash_is_zero = 0;   /* 0: weighed */
    PyObject *unit_obj = NULL;
    if (!PyArg_ParseTupleAndKeywords(args, kw, "y*|iCOCp", kwlist, &data, &encoding, &delimiter,
                                     &unit_obj, &decimal, &dash_is_zero))
        return NULL;
    module_state *st = state_of_type((PyTypeObject *)cls);
    ess_unit unit;
    if (st == NULL || unit_from_object(st, unit_obj, &unit) < 0 ||
        delimiter_mark(st, delimiter) || ascii_mark(st, decimal, "decimal mark")) {
        PyBuffer_Release(&data);
        return NULL;
    }
    ess_table *t = NULL;
    ess_plan *plan = NULL;
    ess_problems probs = {0};
    ess_error err;
    ess_error_clear(&err);
    /* a mark given is the only one, as the ledger's reader holds it: under decimal=',' a point
     * only groups thousands by three ("1.23" refused at its cell, not read 1,23) */
    ess_money_style style = {(char)decimal, unit,
                             (dash_is_zero ? ESS_MONEY_DASH_IS_ZERO : 0u) |
                                 (decimal ? ESS_MONEY_MARK_SAID : 0u)};
    int rc;
    char used_delimiter = 0;
    ess_encoding used_encoding = ESS_ENC_AUTO;
    Py_BEGIN_ALLOW_THREADS
    rc = ess_table_salvage(data.buf, (size_t)data.len, (ess_encoding)encoding, (char)delimiter, &t,
                           &err);
    if (rc == ESS_OK) {
        used_delimiter = t->delimiter;
        used_encoding = t->encoding;
        ess_plan_table_drop_margin(t);   /* a table exported from B2: its corner is at B */
        rc = ess_plan_from_table(t, &style, &plan, &probs, &err);
    }
    ess_table_free(t);
    Py_END_ALLOW_THREADS
    PyBuffer_Release(&data);
    PyObject *res = read_result(st, rc, plan, &probs, &err);
    if (res == NULL)
        return NULL;
    PyObject *out = Py_BuildValue("(NsC)", res, ess_encoding_name(used_encoding),
                                  used_delimiter ? used_delimiter : '?');
    return out;
}

/* The table of rows: a sequence of sequences of (text or None, line, column) -- a
 * spreadsheet's cells.  NULL with an exception set. */
static ess_table *table_of_rows(module_state *st, PyObject *rows)
{
    /* Tuples, copies of the lists: reading a row (a sequence's __iter__) or a cell's place (an
     * __index__) runs Python code, which may empty the lists while they are indexed (past their
     * end) or free the cell being parsed, and its text (a crash).  What must stay true: what
     * is indexed, and the texts lent to the table, belong to tuples of ours. */
    PyObject *seq = PySequence_Tuple(rows);
    if (seq == NULL)
        return NULL;
    ess_table *t = ess_table_new();
    if (t == NULL) {
        Py_DECREF(seq);
        PyErr_NoMemory();
        return NULL;
    }
    Py_ssize_t nrows = PyTuple_GET_SIZE(seq);
    for (Py_ssize_t r = 0; r < nrows; r++) {
        PyObject *row = PySequence_Tuple(PyTuple_GET_ITEM(seq, r));
        if (row == NULL)
            goto fail;
        Py_ssize_t n = PyTuple_GET_SIZE(row);
        if (ess_table_append(t, (size_t)r, NULL, 0, r + 1, 1)) {
            Py_DECREF(row);
            PyErr_NoMemory();
            goto fail;
        }
        for (Py_ssize_t c = 0; c < n; c++) {
            PyObject *text;
            long line, column;
            if (!PyTuple_Check(PyTuple_GET_ITEM(row, c))) {   /* PyArg_ParseTuple's SystemError */
                PyErr_Format(st->argument_type_error, "from_rows()'s rows: row %zd, cell %zd is "
                             "a (text or None, line, column) tuple, not %.80s", r, c,
                             Py_TYPE(PyTuple_GET_ITEM(row, c))->tp_name);
                Py_DECREF(row);
                goto fail;
            }
            if (!PyArg_ParseTuple(PyTuple_GET_ITEM(row, c), "Oll", &text, &line, &column)) {
                Py_DECREF(row);
                goto fail;
            }
            const char *s = "";
            Py_ssize_t len = 0;
            if (text != Py_None && (s = PyUnicode_AsUTF8AndSize(text, &len)) == NULL) {
                Py_DECREF(row);
                goto fail;
            }
            if (ess_table_append(t, (size_t)r, s, (size_t)len, line, column)) {
                Py_DECREF(row);
                PyErr_NoMemory();
                goto fail;
            }
        }
        Py_DECREF(row);
    }
    Py_DECREF(seq);
    return t;
fail:
    Py_XDECREF(seq);
    ess_table_free(t);
    return NULL;
}

static PyObject *plan_from_rows(PyObject *cls, PyObject *args, PyObject *kw)
{
    /* rows: a sequence of sequences of (text or None, line, column) -- a spreadsheet's cells;
     * header: the header row found on the rows as printed (note_columns), -1 to search */
    static char *kwlist[] = {"rows", "unit", "decimal", "dash_is_zero", "header", NULL};
    PyObject *rows, *unit_obj = NULL;
    int decimal = ',', dash_is_zero = 0;
    Py_ssize_t header = -1;
    if (!PyArg_ParseTupleAndKeywords(args, kw, "O|OCpn", kwlist, &rows, &unit_obj, &decimal,
                                     &dash_is_zero, &header))
        return NULL;
    module_state *st = state_of_type((PyTypeObject *)cls);
    ess_unit unit;
    if (st == NULL || unit_from_object(st, unit_obj, &unit) < 0 ||
        ascii_mark(st, decimal, "decimal mark"))
        return NULL;
    ess_table *t = table_of_rows(st, rows);
    if (t == NULL)
        return NULL;
    ess_plan *plan = NULL;
    ess_problems probs = {0};
    ess_error err;
    ess_error_clear(&err);
    ess_money_style style = {(char)decimal, unit, dash_is_zero ? ESS_MONEY_DASH_IS_ZERO : 0};
    int rc = ess_plan_from_table_at(t, &style, header < 0 ? (size_t)-1 : (size_t)header, &plan,
                                    &probs, &err);
    ess_table_free(t);
    return read_result(st, rc, plan, &probs, &err);
}

static PyObject *plan_note_columns(PyObject *cls, PyObject *args, PyObject *kw)
{
    /* The header row the core reads in rows as printed, and the indices (0-based, within that
     * row) of its cells naming a column of notes: (-1, []) when no header is found. */
    static char *kwlist[] = {"rows", NULL};
    PyObject *rows;
    if (!PyArg_ParseTupleAndKeywords(args, kw, "O", kwlist, &rows))
        return NULL;
    module_state *st = state_of_type((PyTypeObject *)cls);
    if (st == NULL)
        return NULL;
    ess_table *t = table_of_rows(st, rows);
    if (t == NULL)
        return NULL;
    long header = ess_plan_header(t);
    PyObject *columns = PyList_New(0);
    /* the labels' column is never a note: c from 1 */
    for (size_t c = 1; columns != NULL && header >= 0 &&
                       c < ess_table_row_len(t, (size_t)header); c++) {
        if (!ess_plan_is_note_header(ess_table_cell(t, (size_t)header, c)))
            continue;
        PyObject *k = PyLong_FromSize_t(c);
        if (k == NULL || PyList_Append(columns, k) < 0)
            Py_CLEAR(columns);
        Py_XDECREF(k);
    }
    ess_table_free(t);
    if (columns == NULL)
        return NULL;
    return Py_BuildValue("(lN)", header, columns);
}

static void plan_dealloc(PlanObject *self)
{
    PyTypeObject *tp = Py_TYPE(self);
    ess_plan_free(self->plan);
    tp->tp_free((PyObject *)self);
    Py_DECREF(tp);
}

/* 0 if i is one of n positions (or the total's, when allowed); -1 with PositionError (an
 * IndexError) otherwise -- the module state looked up on that path only, plan.cell() being hot */
static int check_index(PlanObject *self, Py_ssize_t i, size_t n, int allow_total,
                       const char *what)
{
    if ((i >= 0 && (size_t)i < n) || (allow_total && i == ESS_AT_TOTAL))
        return 0;
    module_state *st = state_of_type(Py_TYPE(self));
    if (st != NULL)
        PyErr_Format(st->position_error, "%s index %zd out of range", what, i);
    return -1;
}

static PyObject *plan_cell(PlanObject *self, PyObject *args)
{
    Py_ssize_t i, j;
    if (!PyArg_ParseTuple(args, "nn", &i, &j))
        return NULL;
    ess_plan *p = self->plan;
    if (check_index(self, i, p->nlines, 1, "line") ||
        check_index(self, j, p->nfunders, 1, "funder"))
        return NULL;
    if (i == ESS_AT_TOTAL && j == ESS_AT_TOTAL)
        return cell_tuple(&p->grand_total);
    if (i == ESS_AT_TOTAL)
        return cell_tuple(&p->funder_totals[j]);
    if (j == ESS_AT_TOTAL)
        return cell_tuple(&p->line_totals[i]);
    return cell_tuple(&p->cells[(size_t)i * p->nfunders + (size_t)j]);
}

/* A sum past int64 cents: the error names the figure most likely at fault, with its place, and
 * the side the sum left by (side: the core's ESS_ABOVE_INT64, ESS_BELOW_INT64). */
static PyObject *overflow(PlanObject *self, int64_t side)
{
    module_state *st = state_of_type(Py_TYPE(self));
    ess_error err;
    ess_error_clear(&err);
    ess_plan_overflow_error(self->plan, side, &err);
    return st ? raise_core_error(st, &err) : NULL;
}

static PyObject *plan_line_sum(PlanObject *self, PyObject *arg)
{
    Py_ssize_t i = PyLong_AsSsize_t(arg);
    if (i == -1 && PyErr_Occurred())
        return NULL;
    if (check_index(self, i, self->plan->nlines, 0, "line"))
        return NULL;
    int64_t s;
    if (ess_plan_line_sum(self->plan, (size_t)i, &s))
        return overflow(self, s);
    return PyLong_FromLongLong((long long)s);
}

static PyObject *plan_funder_sum(PlanObject *self, PyObject *arg)
{
    Py_ssize_t j = PyLong_AsSsize_t(arg);
    if (j == -1 && PyErr_Occurred())
        return NULL;
    if (check_index(self, j, self->plan->nfunders, 0, "funder"))
        return NULL;
    int64_t s;
    if (ess_plan_funder_sum(self->plan, (size_t)j, &s))
        return overflow(self, s);
    return PyLong_FromLongLong((long long)s);
}

static PyObject *plan_group_sum(PlanObject *self, PyObject *arg)
{
    Py_ssize_t g = PyLong_AsSsize_t(arg);
    if (g == -1 && PyErr_Occurred())
        return NULL;
    if (check_index(self, g, self->plan->ngroups, 0, "group"))
        return NULL;
    int64_t s;
    if (ess_plan_group_sum(self->plan, (size_t)g, &s))
        return overflow(self, s);
    return PyLong_FromLongLong((long long)s);
}

static PyObject *plan_total(PlanObject *self, PyObject *Py_UNUSED(ignored))
{
    int64_t s;
    if (ess_plan_total(self->plan, &s))
        return overflow(self, s);
    return PyLong_FromLongLong((long long)s);
}

static PyObject *plan_pivot(PlanObject *self, PyObject *arg)
{
    /* arg: a sequence giving each funder's group index (or -1); returns a list of row lists */
    ess_plan *p = self->plan;
    /* a tuple, a copy of a list: a group's __index__ may empty the list while it is indexed */
    PyObject *seq = PySequence_Tuple(arg);
    if (seq == NULL)
        return NULL;
    if ((size_t)PyTuple_GET_SIZE(seq) != p->nfunders) {
        Py_DECREF(seq);
        module_state *st = state_of_type(Py_TYPE(self));
        return st ? PyErr_Format(st->invalid_error, "expected %zu funder groups", p->nfunders)
                  : NULL;
    }
    int32_t *groups = PyMem_Calloc(p->nfunders + 1, sizeof(int32_t));
    if (groups == NULL) {
        Py_DECREF(seq);
        return PyErr_NoMemory();
    }
    long ngroups = 0;
    for (size_t j = 0; j < p->nfunders; j++) {
        long g = PyLong_AsLong(PyTuple_GET_ITEM(seq, (Py_ssize_t)j));
        if (g == -1 && PyErr_Occurred()) {
            Py_DECREF(seq);
            PyMem_Free(groups);
            return NULL;
        }
        if (g < -1 || g > (long)p->nfunders) {
            Py_DECREF(seq);
            PyMem_Free(groups);
            module_state *st = state_of_type(Py_TYPE(self));
            return st ? PyErr_Format(st->invalid_error, "funder group %ld out of range", g) : NULL;
        }
        groups[j] = (int32_t)g;
        if (g + 1 > ngroups)
            ngroups = g + 1;
    }
    Py_DECREF(seq);
    size_t nrows = p->nlines + p->ngroups + 1, ncols = p->nfunders + (size_t)ngroups + 1;
    int64_t *out = PyMem_Calloc(nrows * ncols, sizeof(int64_t));
    if (out == NULL) {
        PyMem_Free(groups);
        return PyErr_NoMemory();
    }
    int rc = ess_plan_pivot(p, groups, (size_t)ngroups, out);
    PyMem_Free(groups);
    if (rc == ESS_ENOMEM) {
        PyMem_Free(out);
        return PyErr_NoMemory();
    }
    if (rc) {
        int64_t side = out[0];
        PyMem_Free(out);
        return overflow(self, side);
    }
    PyObject *rows = PyList_New((Py_ssize_t)nrows);
    for (size_t r = 0; rows && r < nrows; r++) {
        PyObject *row = PyList_New((Py_ssize_t)ncols);
        if (row == NULL) {
            Py_CLEAR(rows);
            break;
        }
        PyList_SET_ITEM(rows, (Py_ssize_t)r, row);
        for (size_t c = 0; c < ncols; c++) {
            PyObject *v = PyLong_FromLongLong((long long)out[r * ncols + c]);
            if (v == NULL) {
                Py_CLEAR(rows);
                break;
            }
            PyList_SET_ITEM(row, (Py_ssize_t)c, v);
        }
    }
    PyMem_Free(out);
    return rows;
}

/* The edits of a finding as tuples (kind, set, line, funder, target, expected, actual or None,
 * evidence, source line, source column). */
static PyObject *edits_to_list(const ess_finding *x)
{
    PyObject *list = PyList_New((Py_ssize_t)x->nedits);
    if (list == NULL)
        return NULL;
    for (size_t k = 0; k < x->nedits; k++) {
        const ess_edit *e = &x->edits[k];
        PyObject *actual = e->has_actual ? PyLong_FromLongLong((long long)e->actual)
                                         : Py_NewRef(Py_None);
        PyObject *t = actual == NULL ? NULL
                      : Py_BuildValue("(iiiiiLNill)", e->kind, e->set, e->line, e->funder,
                                      e->target, (long long)e->expected, actual, e->evidence,
                                      e->source_line, e->source_column);
        if (t == NULL) {
            Py_DECREF(list);
            return NULL;
        }
        PyList_SET_ITEM(list, (Py_ssize_t)k, t);
    }
    return list;
}

PyObject *findings_to_list(module_state *st, const ess_plan *plan, const ess_findings *f)
{
    (void)st;
    (void)plan;
    PyObject *list = PyList_New((Py_ssize_t)f->count);
    if (list == NULL)
        return NULL;
    for (size_t k = 0; k < f->count; k++) {
        const ess_finding *x = &f->items[k];
        PyObject *expected = x->has_expected ? PyLong_FromLongLong((long long)x->expected)
                                             : Py_NewRef(Py_None);
        PyObject *actual = x->has_actual ? PyLong_FromLongLong((long long)x->actual)
                                         : Py_NewRef(Py_None);
        PyObject *edits = edits_to_list(x);
        if (expected == NULL || actual == NULL || edits == NULL) {
            Py_XDECREF(expected);
            Py_XDECREF(actual);
            Py_XDECREF(edits);
            Py_DECREF(list);
            return NULL;
        }
        /* a malformed number's fault as the parser found it, by name, and its stray character */
        PyObject *t = Py_BuildValue("(iiiiiNNllisNKiii(slls))", x->code, x->severity, x->line,
                                    x->funder, x->target, expected, actual, x->source_line,
                                    x->source_column, x->rank, x->message, edits,
                                    (unsigned long long)x->count, x->count_exact, x->faults,
                                    x->partial, amount_detail_name(x->detail), x->detail_n,
                                    x->detail_at, x->stray);
        if (t == NULL) {
            Py_DECREF(list);
            return NULL;
        }
        PyList_SET_ITEM(list, (Py_ssize_t)k, t);
    }
    return list;
}

/* validate(max_faults=3): the findings as tuples; max_faults bounds the explanations searched. */
static PyObject *plan_validate(PlanObject *self, PyObject *args, PyObject *kwargs)
{
    static char *keywords[] = {"max_faults", NULL};
    int max_faults = 3;
    module_state *st = state_of_type(Py_TYPE(self));
    if (st == NULL || !PyArg_ParseTupleAndKeywords(args, kwargs, "|i", keywords, &max_faults))
        return NULL;
    if (max_faults < 1 || max_faults > 6)
        return PyErr_Format(st->invalid_error, "max_faults is between 1 and 6, not %d",
                            max_faults);
    ess_reconcile_limits limits = {max_faults, 0, 0};
    ess_findings f = {0};
    ess_error err;
    ess_error_clear(&err);
    int rc = ess_plan_validate_with(self->plan, &limits, &f, &err);
    if (rc) {
        ess_findings_clear(&f);
        if (rc == ESS_EOVERFLOW)   /* named by the figure at fault and its side, as the sums are */
            ess_plan_overflow_error(self->plan, 0, &err);
        return raise_core_error(st, &err);
    }
    PyObject *list = findings_to_list(st, self->plan, &f);
    ess_findings_clear(&f);
    return list;
}

static PyObject *plan_check_funders(PlanObject *self, PyObject *conv)
{
    module_state *st = state_of_type(Py_TYPE(self));
    if (st == NULL)
        return NULL;
    if (!PyObject_TypeCheck(conv, st->convention_type))
        return PyErr_Format(st->argument_type_error, "expected a _core.Convention, not %.80s",
                            Py_TYPE(conv)->tp_name);
    ess_findings f = {0};
    ess_error err;
    ess_error_clear(&err);
    if (ess_plan_check_funders(self->plan, ((ConventionObject *)conv)->conv, &f, &err)) {
        ess_findings_clear(&f);
        return raise_core_error(st, &err);
    }
    PyObject *list = findings_to_list(st, self->plan, &f);
    ess_findings_clear(&f);
    return list;
}

static PyObject *plan_copy(PlanObject *self, PyObject *Py_UNUSED(ignored))
{
    module_state *st = state_of_type(Py_TYPE(self));
    if (st == NULL)
        return NULL;
    ess_plan *p = ess_plan_copy(self->plan);
    if (p == NULL)
        return PyErr_NoMemory();
    return wrap_plan(st, p);
}

static PyObject *plan_set_cell(PlanObject *self, PyObject *args)
{
    Py_ssize_t i, j;
    PyObject *value;
    if (!PyArg_ParseTuple(args, "nnO", &i, &j, &value))
        return NULL;
    ess_plan *p = self->plan;
    if (check_index(self, i, p->nlines, 1, "line") ||
        check_index(self, j, p->nfunders, 1, "funder"))
        return NULL;
    int rc;
    if (value == Py_None) {
        rc = ess_plan_set_cell(p, (size_t)i, (size_t)j, ESS_CELL_BLANK, 0);
    } else {
        long long cents = PyLong_AsLongLong(value);
        if (cents == -1 && PyErr_Occurred())
            return NULL;
        rc = ess_plan_set_cell(p, (size_t)i, (size_t)j, ESS_CELL_VALUE, (int64_t)cents);
    }
    if (rc == ESS_ENOMEM)
        return PyErr_NoMemory();
    if (rc) {
        module_state *st = state_of_type(Py_TYPE(self));
        return st ? PyErr_Format(st->invalid_error, "cannot set that cell") : NULL;
    }
    Py_RETURN_NONE;
}

/* ------------------------------------------------------------------ pickling */

/* Every cell in one order: the L x F cells, the L stated line totals, the F stated funder
 * totals, the stated grand total.  state() and from_state() agree on it. */
static ess_plan_cell *cell_at(ess_plan *p, size_t k)
{
    size_t ncells = p->nlines * p->nfunders;
    if (k < ncells)
        return &p->cells[k];
    k -= ncells;
    if (k < p->nlines)
        return &p->line_totals[k];
    k -= p->nlines;
    return k < p->nfunders ? &p->funder_totals[k] : &p->grand_total;
}

static PyObject *plan_state(PlanObject *self, PyObject *Py_UNUSED(ignored))
{
    ess_plan *p = self->plan;
    size_t ncells = p->nlines * p->nfunders + p->nlines + p->nfunders + 1;
    PyObject *cells = PyList_New((Py_ssize_t)ncells), *line_groups = NULL, *subtotals = NULL;
    if (cells == NULL)
        return NULL;
    for (size_t k = 0; k < ncells; k++) {
        PyObject *t = cell_tuple(cell_at(p, k));
        if (t == NULL)
            goto error;
        PyList_SET_ITEM(cells, (Py_ssize_t)k, t);
    }
    if ((line_groups = PyList_New((Py_ssize_t)p->nlines)) == NULL)
        goto error;
    for (size_t i = 0; i < p->nlines; i++) {
        PyObject *g = PyLong_FromLong(p->line_group[i]);
        if (g == NULL)
            goto error;
        PyList_SET_ITEM(line_groups, (Py_ssize_t)i, g);
    }
    /* the axis rows' sub-totals: (first, end, group, funder, cell), which validate() checks */
    if ((subtotals = PyList_New((Py_ssize_t)p->nsubtotals)) == NULL)
        goto error;
    for (size_t k = 0; k < p->nsubtotals; k++) {
        const ess_plan_subtotal *u = &p->subtotals[k];
        PyObject *t = Py_BuildValue("(nniiN)", (Py_ssize_t)u->first, (Py_ssize_t)u->end,
                                    (int)u->group, (int)u->funder, cell_tuple(&u->stated));
        if (t == NULL)
            goto error;
        PyList_SET_ITEM(subtotals, (Py_ssize_t)k, t);
    }
    return Py_BuildValue("(iizziiNNNNNN)", (int)p->unit, p->year, p->corner, p->title,
                         p->has_total_column, p->has_total_row,
                         labels(p->line_labels, p->nlines),
                         labels(p->funder_labels, p->nfunders),
                         labels(p->group_labels, p->ngroups), line_groups, cells, subtotals);
error:
    Py_DECREF(cells);
    Py_XDECREF(line_groups);
    Py_XDECREF(subtotals);
    return NULL;
}

/* Lends the UTF-8 of a tuple of n str (alive as long as the tuple) as labels; 0 or -1 with an
 * exception set. */
static int lend_labels(module_state *st, PyObject *list, char **out, size_t n, const char *what)
{
    if ((size_t)PyTuple_GET_SIZE(list) != n) {
        PyErr_Format(st->invalid_error, "a plan's state needs %zu %s labels", n, what);
        return -1;
    }
    for (size_t i = 0; i < n; i++) {
        const char *label = PyUnicode_AsUTF8(PyTuple_GET_ITEM(list, (Py_ssize_t)i));
        if (label == NULL)
            return -1;
        out[i] = (char *)label;   /* read only: the core copies it */
    }
    return 0;
}

/* The inverse of state(): the state's lists are converted into an image of the plan that lends
 * Python's strings; the core checks the image and copies it (ess_plan_restore). */
static PyObject *plan_from_state(PyObject *cls, PyObject *state)
{
    int unit, year, has_total_column, has_total_row;
    const char *corner, *title;
    PyObject *lines, *funders, *groups, *line_groups, *cells, *subtotals = NULL;
    /* an altered pickle may hold anything where a tuple was: PyArg_ParseTuple given no tuple
     * raises SystemError ("new style getargs format"), an interpreter bug's error */
    module_state *st = state_of_type((PyTypeObject *)cls);
    if (st == NULL)
        return NULL;
    if (!PyTuple_Check(state))
        return PyErr_Format(st->invalid_error, "not the state of a plan: a tuple, not %.80s",
                            Py_TYPE(state)->tp_name);
    if (!PyArg_ParseTuple(state, "iizzppO!O!O!O!O!|O!", &unit, &year, &corner, &title,
                          &has_total_column, &has_total_row, &PyList_Type, &lines, &PyList_Type,
                          &funders, &PyList_Type, &groups, &PyList_Type, &line_groups,
                          &PyList_Type, &cells, &PyList_Type, &subtotals))
        return NULL;
    /* Tuples, copies of the lists: a line group's or a cell's __index__ runs Python code, which
     * may empty the lists while they are indexed or free the labels lent to the image (a
     * crash).  What must stay true: what is indexed and lent belongs to tuples of ours. */
    PyObject *held = Py_BuildValue("(NNNNNN)", PyList_AsTuple(lines), PyList_AsTuple(funders),
                                   PyList_AsTuple(groups), PyList_AsTuple(line_groups),
                                   PyList_AsTuple(cells),
                                   subtotals ? PyList_AsTuple(subtotals) : PyTuple_New(0));
    if (held == NULL)
        return NULL;
    lines = PyTuple_GET_ITEM(held, 0);
    funders = PyTuple_GET_ITEM(held, 1);
    groups = PyTuple_GET_ITEM(held, 2);
    line_groups = PyTuple_GET_ITEM(held, 3);
    cells = PyTuple_GET_ITEM(held, 4);
    subtotals = PyTuple_GET_ITEM(held, 5);
    PyObject *result = NULL;
    ess_plan_subtotal *sub = NULL;
    size_t nsub = (size_t)PyTuple_GET_SIZE(subtotals);
    char **labels = NULL;
    int32_t *line_group = NULL;
    ess_plan_cell *all = NULL;
    size_t nlines = (size_t)PyTuple_GET_SIZE(lines), nfunders = (size_t)PyTuple_GET_SIZE(funders);
    size_t ngroups = (size_t)PyTuple_GET_SIZE(groups);
    if (nfunders && nlines > (SIZE_MAX / sizeof(ess_plan_cell) - nlines - nfunders - 1) / nfunders) {
        PyErr_NoMemory();
        goto done;
    }
    size_t ncells = nlines * nfunders + nlines + nfunders + 1;   /* in cell_at's order */
    if ((size_t)PyTuple_GET_SIZE(cells) != ncells || (size_t)PyTuple_GET_SIZE(line_groups) != nlines) {
        PyErr_Format(st->invalid_error, "not the state of a plan");
        goto done;
    }
    ess_plan image = {.unit = (ess_unit)unit, .year = year, .nlines = nlines,
                      .nfunders = nfunders, .ngroups = ngroups,
                      .has_total_column = has_total_column, .has_total_row = has_total_row,
                      .corner = (char *)corner, .title = (char *)title};
    labels = PyMem_Calloc(nlines + nfunders + ngroups + 1, sizeof *labels);
    line_group = PyMem_Calloc(nlines + 1, sizeof *line_group);
    all = PyMem_Calloc(ncells, sizeof *all);
    if (labels == NULL || line_group == NULL || all == NULL) {
        PyErr_NoMemory();
        goto done;
    }
    image.line_labels = labels;
    image.funder_labels = labels + nlines;
    image.group_labels = labels + nlines + nfunders;
    image.line_group = line_group;
    image.cells = all;
    image.line_totals = all + nlines * nfunders;
    image.funder_totals = image.line_totals + nlines;
    if (lend_labels(st, lines, image.line_labels, nlines, "line") ||
        lend_labels(st, funders, image.funder_labels, nfunders, "funder") ||
        lend_labels(st, groups, image.group_labels, ngroups, "group"))
        goto done;
    for (size_t i = 0; i < nlines; i++) {
        long g = PyLong_AsLong(PyTuple_GET_ITEM(line_groups, (Py_ssize_t)i));
        if (g == -1 && PyErr_Occurred())
            goto done;
        line_group[i] = g < -1 || g > INT32_MAX ? -2 : (int32_t)g;   /* -2: no group, refused */
    }
    for (size_t k = 0; k < ncells; k++) {
        int cell_state;
        long long cents;
        const char *raw;
        if (!PyTuple_Check(PyTuple_GET_ITEM(cells, (Py_ssize_t)k))) {
            PyErr_Format(st->invalid_error, "not the state of a plan: cell %zu is no tuple", k);
            goto done;
        }
        if (!PyArg_ParseTuple(PyTuple_GET_ITEM(cells, (Py_ssize_t)k), "iLzll;a plan cell",
                              &cell_state, &cents, &raw, &all[k].line, &all[k].column))
            goto done;
        all[k].state = (uint8_t)(cell_state < 0 || cell_state > UINT8_MAX ? UINT8_MAX : cell_state);
        all[k].cents = (int64_t)cents;
        all[k].raw = (char *)raw;   /* read only: the core copies it */
    }
    image.grand_total = all[ncells - 1];
    if ((sub = PyMem_Calloc(nsub + 1, sizeof *sub)) == NULL) {
        PyErr_NoMemory();
        goto done;
    }
    for (size_t k = 0; k < nsub; k++) {
        Py_ssize_t first, end;
        int group, funder, cell_state;
        long long cents;
        const char *raw;
        if (!PyTuple_Check(PyTuple_GET_ITEM(subtotals, (Py_ssize_t)k))) {
            PyErr_Format(st->invalid_error, "not the state of a plan: sub-total %zu is no tuple",
                         k);
            goto done;
        }
        if (!PyArg_ParseTuple(PyTuple_GET_ITEM(subtotals, (Py_ssize_t)k),
                              "nnii(iLzll);a plan sub-total", &first, &end, &group, &funder,
                              &cell_state, &cents, &raw, &sub[k].stated.line,
                              &sub[k].stated.column))
            goto done;
        sub[k].first = first < 0 ? SIZE_MAX : (size_t)first;   /* refused by the core */
        sub[k].end = end < 0 ? 0 : (size_t)end;
        sub[k].group = group;
        sub[k].funder = funder;
        sub[k].stated.state = (uint8_t)(cell_state < 0 || cell_state > UINT8_MAX ? UINT8_MAX
                                                                                 : cell_state);
        sub[k].stated.cents = (int64_t)cents;
        sub[k].stated.raw = (char *)raw;   /* read only: the core copies it */
    }
    image.subtotals = sub;
    image.nsubtotals = nsub;
    ess_error err;
    ess_error_clear(&err);
    ess_plan *plan;
    if (ess_plan_restore(&image, &plan, &err))
        raise_core_error(st, &err);
    else
        result = wrap_plan(st, plan);
done:
    Py_DECREF(held);
    PyMem_Free(labels);
    PyMem_Free(line_group);
    PyMem_Free(all);
    PyMem_Free(sub);
    return result;
}

static PyObject *get_lines(PlanObject *self, void *c)
{
    (void)c;
    return labels(self->plan->line_labels, self->plan->nlines);
}
static PyObject *get_funders(PlanObject *self, void *c)
{
    (void)c;
    return labels(self->plan->funder_labels, self->plan->nfunders);
}
static PyObject *get_groups(PlanObject *self, void *c)
{
    (void)c;
    return labels(self->plan->group_labels, self->plan->ngroups);
}
static PyObject *get_line_groups(PlanObject *self, void *c)
{
    (void)c;
    PyObject *list = PyList_New((Py_ssize_t)self->plan->nlines);
    if (list == NULL)
        return NULL;
    for (size_t i = 0; i < self->plan->nlines; i++) {
        PyObject *v = PyLong_FromLong(self->plan->line_group[i]);
        if (v == NULL) {
            Py_DECREF(list);
            return NULL;
        }
        PyList_SET_ITEM(list, (Py_ssize_t)i, v);
    }
    return list;
}
static PyObject *get_unit(PlanObject *self, void *c)
{
    (void)c;
    return PyLong_FromLong((long)self->plan->unit);
}
static PyObject *get_corner(PlanObject *self, void *c)
{
    (void)c;
    return PyUnicode_FromString(self->plan->corner ? self->plan->corner : "");
}
/* each funder's header cell, (line, column), or None for a plan built rather than read */
static PyObject *get_funder_places(PlanObject *self, void *c)
{
    (void)c;
    const ess_plan *p = self->plan;
    if (p->funder_places == NULL)
        Py_RETURN_NONE;
    PyObject *list = PyList_New((Py_ssize_t)p->nfunders);
    if (list == NULL)
        return NULL;
    for (size_t j = 0; j < p->nfunders; j++) {
        PyObject *place = Py_BuildValue("(ll)", p->funder_places[2 * j],
                                        p->funder_places[2 * j + 1]);
        if (place == NULL) {
            Py_DECREF(list);
            return NULL;
        }
        PyList_SET_ITEM(list, (Py_ssize_t)j, place);
    }
    return list;
}
static PyObject *get_title(PlanObject *self, void *c)
{
    (void)c;
    return PyUnicode_FromString(self->plan->title ? self->plan->title : "");
}
static PyObject *get_has_total_column(PlanObject *self, void *c)
{
    (void)c;
    return PyBool_FromLong(self->plan->has_total_column);
}
static PyObject *get_has_total_row(PlanObject *self, void *c)
{
    (void)c;
    return PyBool_FromLong(self->plan->has_total_row);
}

static PyGetSetDef plan_getset[] = {
    {"lines", (getter)get_lines, NULL, "line labels, in order", NULL},
    {"funders", (getter)get_funders, NULL, "funder labels, in order", NULL},
    {"groups", (getter)get_groups, NULL, "group (axis) labels, in order", NULL},
    {"line_groups", (getter)get_line_groups, NULL, "group index of each line, -1 if none", NULL},
    {"unit", (getter)get_unit, NULL, "cents in one unit of the plan (100, 100000, 100000000)", NULL},
    {"corner", (getter)get_corner, NULL, "the header's top-left text", NULL},
    {"title", (getter)get_title, NULL, "the text of the rows above the header", NULL},
    {"funder_places", (getter)get_funder_places, NULL,
     "each funder's header cell, (line, column); None for a plan built, not read", NULL},
    {"has_total_column", (getter)get_has_total_column, NULL, NULL, NULL},
    {"has_total_row", (getter)get_has_total_row, NULL, NULL, NULL},
    {NULL, NULL, NULL, NULL, NULL},
};

static PyMethodDef plan_methods[] = {
    {"from_bytes", (PyCFunction)(void (*)(void))plan_from_bytes,
     METH_CLASS | METH_VARARGS | METH_KEYWORDS,
     "from_bytes(data, encoding, delimiter, unit, decimal) -> ((plan|None, problems, error, line, "
     "column), encoding, delimiter)"},
    {"from_rows", (PyCFunction)(void (*)(void))plan_from_rows,
     METH_CLASS | METH_VARARGS | METH_KEYWORDS,
     "from_rows(rows, unit, decimal) -> (plan|None, problems, error, line, column)"},
    {"note_columns", (PyCFunction)(void (*)(void))plan_note_columns,
     METH_CLASS | METH_VARARGS | METH_KEYWORDS,
     "note_columns(rows) -> (header row or -1, [columns of notes in it])"},
    {"cell", (PyCFunction)plan_cell, METH_VARARGS,
     "cell(line, funder) -> (state, cents, raw, line, column); AT_TOTAL addresses totals"},
    {"line_sum", (PyCFunction)plan_line_sum, METH_O, "sum of a line's cells, in cents"},
    {"funder_sum", (PyCFunction)plan_funder_sum, METH_O, "sum of a funder's cells, in cents"},
    {"group_sum", (PyCFunction)plan_group_sum, METH_O, "sum of a group's cells, in cents"},
    {"total", (PyCFunction)plan_total, METH_NOARGS, "sum of all cells, in cents"},
    {"validate", (PyCFunction)(void (*)(void))plan_validate, METH_VARARGS | METH_KEYWORDS,
     "findings as tuples; validate(max_faults=3)"},
    {"pivot", (PyCFunction)plan_pivot, METH_O,
     "pivot(funder_groups) -> rows of cents: lines, group subtotals, total x funders, funder "
     "group subtotals, total"},
    {"check_funders", (PyCFunction)plan_check_funders, METH_O,
     "unknown-funder findings against a _core.Convention"},
    {"copy", (PyCFunction)plan_copy, METH_NOARGS, "a deep copy"},
    {"state", (PyCFunction)plan_state, METH_NOARGS,
     "(unit, year, corner, title, has_total_column, has_total_row, lines, funders, groups, "
     "line_groups, cells): all a plan holds, for pickling"},
    {"from_state", (PyCFunction)plan_from_state, METH_CLASS | METH_O,
     "from_state(state) -> plan: the inverse of state()"},
    {"set_cell", (PyCFunction)plan_set_cell, METH_VARARGS,
     "set_cell(line, funder, cents or None)"},
    {NULL, NULL, 0, NULL},
};

static PyType_Slot plan_slots[] = {
    {Py_tp_dealloc, plan_dealloc},
    {Py_tp_methods, plan_methods},
    {Py_tp_getset, plan_getset},
    {Py_tp_doc, "A financing matrix held by the C core (see essconv.Plan for the API)."},
    {0, NULL},
};

static PyType_Spec plan_spec = {
    .name = "essconv._core.Plan",
    .basicsize = sizeof(PlanObject),
    .flags = Py_TPFLAGS_DEFAULT | Py_TPFLAGS_IMMUTABLETYPE | Py_TPFLAGS_DISALLOW_INSTANTIATION,
    .slots = plan_slots,
};

int plan_type_init(PyObject *module, module_state *st)
{
    st->plan_type = (PyTypeObject *)PyType_FromModuleAndSpec(module, &plan_spec, NULL);
    if (st->plan_type == NULL)
        return -1;
    return PyModule_AddType(module, st->plan_type);
}
