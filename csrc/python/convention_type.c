/*
 * convention_type.c -- _core.Convention: the parties, term and governance rhythm held by the
 * core.  essconv.convention.Convention wraps it with the convention's prose and plans.
 */
#include "binding.h"

/* 1 with *d the date (year, month, day) obj gives; 0 with ArgumentTypeError or
 * InvalidValueError (a TypeError, a ValueError) otherwise */
static int date_arg(module_state *st, PyObject *obj, ess_date *d)
{
    if (st == NULL)
        return 0;
    if (!PyTuple_Check(obj)) {   /* PyArg_ParseTuple's SystemError, else */
        PyErr_Format(st->argument_type_error, "a date is a (year, month, day) tuple, not %.80s",
                     Py_TYPE(obj)->tp_name);
        return 0;
    }
    if (!PyArg_ParseTuple(obj, "iii", &d->year, &d->month, &d->day))
        return 0;
    if (!ess_date_valid(*d)) {
        PyErr_Format(st->invalid_error, "%R is not a valid date", obj);
        return 0;
    }
    return 1;
}

static PyObject *make_date(module_state *st, ess_date d)
{
    return PyObject_CallFunction(st->date_type, "iii", d.year, d.month, d.day);
}

static PyObject *convention_new(PyTypeObject *type, PyObject *args, PyObject *kw)
{
    static char *kwlist[] = {"start", "end", NULL};
    PyObject *start_obj, *end_obj;
    if (!PyArg_ParseTupleAndKeywords(args, kw, "OO", kwlist, &start_obj, &end_obj))
        return NULL;
    module_state *st = state_of_type(type);
    ess_date start, end;
    if (!date_arg(st, start_obj, &start) || !date_arg(st, end_obj, &end))
        return NULL;
    ess_error err;
    ess_error_clear(&err);
    ess_convention *c = ess_convention_new(start, end, &err);
    if (c == NULL)
        return raise_core_error(st, &err);
    ConventionObject *self = (ConventionObject *)type->tp_alloc(type, 0);
    if (self == NULL) {
        ess_convention_free(c);
        return NULL;
    }
    self->conv = c;
    return (PyObject *)self;
}

static void convention_dealloc(ConventionObject *self)
{
    PyTypeObject *tp = Py_TYPE(self);
    ess_convention_free(self->conv);
    tp->tp_free((PyObject *)self);
    Py_DECREF(tp);
}

static PyObject *conv_add_party(ConventionObject *self, PyObject *args)
{
    const char *code, *parent = NULL;
    int signatory = 0;
    if (!PyArg_ParseTuple(args, "sz|p", &code, &parent, &signatory))
        return NULL;
    ess_error err;
    ess_error_clear(&err);
    if (ess_convention_add_party(self->conv, code, parent, signatory, &err)) {
        module_state *st = state_of_type(Py_TYPE(self));
        return st ? raise_core_error(st, &err) : NULL;
    }
    Py_RETURN_NONE;
}

static PyObject *conv_add_body(ConventionObject *self, PyObject *args)
{
    const char *name;
    int per_year;
    if (!PyArg_ParseTuple(args, "si", &name, &per_year))
        return NULL;
    ess_error err;
    ess_error_clear(&err);
    if (ess_convention_add_body(self->conv, name, per_year, &err)) {
        module_state *st = state_of_type(Py_TYPE(self));
        return st ? raise_core_error(st, &err) : NULL;
    }
    Py_RETURN_NONE;
}

static PyObject *conv_party_of(ConventionObject *self, PyObject *arg)
{
    const char *code = PyUnicode_AsUTF8(arg);
    if (code == NULL)
        return NULL;
    return PyLong_FromLong(ess_convention_party_of(self->conv, code));
}

static PyObject *conv_find_party(ConventionObject *self, PyObject *arg)
{
    const char *code = PyUnicode_AsUTF8(arg);
    if (code == NULL)
        return NULL;
    return PyLong_FromLong(ess_convention_find_party(self->conv, code));
}

static PyObject *conv_nearest_code(ConventionObject *self, PyObject *args)
{
    const char *code;
    int max_edits = 1;
    if (!PyArg_ParseTuple(args, "s|i", &code, &max_edits))
        return NULL;
    return PyLong_FromLong(ess_convention_nearest_code(self->conv, code, max_edits));
}

static PyObject *conv_is_active(ConventionObject *self, PyObject *arg)
{
    ess_date d;
    if (!date_arg(state_of_type(Py_TYPE(self)), arg, &d))
        return NULL;
    return PyBool_FromLong(ess_convention_is_active(self->conv, d));
}

static PyObject *conv_set_bodies_from(ConventionObject *self, PyObject *arg)
{
    module_state *st = state_of_type(Py_TYPE(self));
    ess_date d;
    if (!date_arg(st, arg, &d))
        return NULL;
    ess_error err;
    ess_error_clear(&err);
    if (ess_convention_set_bodies_from(self->conv, d, &err))
        return raise_core_error(st, &err);
    Py_RETURN_NONE;
}

static PyObject *conv_meetings(ConventionObject *self, PyObject *arg)
{
    long year = PyLong_AsLong(arg);
    if (year == -1 && PyErr_Occurred())
        return NULL;
    module_state *st = state_of_type(Py_TYPE(self));
    if (st == NULL)
        return NULL;
    ess_meeting *m = NULL;
    size_t n = 0;
    ess_error err;
    ess_error_clear(&err);
    if (ess_convention_meetings(self->conv, (int)year, &m, &n, &err))
        return raise_core_error(st, &err);
    PyObject *list = PyList_New((Py_ssize_t)n);
    for (size_t k = 0; list && k < n; k++) {
        PyObject *from = make_date(st, m[k].from), *to = make_date(st, m[k].to);
        PyObject *t = (from && to) ? Py_BuildValue("(iiNN)", m[k].body, m[k].index, from, to)
                                   : NULL;
        if (t == NULL) {
            if (!(from && to)) {
                Py_XDECREF(from);
                Py_XDECREF(to);
            }
            Py_CLEAR(list);
            break;
        }
        PyList_SET_ITEM(list, (Py_ssize_t)k, t);
    }
    ess_free(m);
    return list;
}

static PyObject *conv_edit_distance(PyObject *cls, PyObject *args)
{
    const char *a, *b;
    int cap = 8;
    (void)cls;
    if (!PyArg_ParseTuple(args, "ss|i", &a, &b, &cap))
        return NULL;
    return PyLong_FromLong(ess_edit_distance(a, b, cap));
}

static PyMethodDef convention_methods[] = {
    {"add_party", (PyCFunction)conv_add_party, METH_VARARGS,
     "add_party(code, parent_code or None, signatory=False)"},
    {"add_body", (PyCFunction)conv_add_body, METH_VARARGS, "add_body(name, meetings_per_year)"},
    {"party_of", (PyCFunction)conv_party_of, METH_O,
     "index of the top party a funder code rolls up to, -1 if unknown"},
    {"find_party", (PyCFunction)conv_find_party, METH_O, "index of the party with that code, -1"},
    {"nearest_code", (PyCFunction)conv_nearest_code, METH_VARARGS,
     "nearest_code(code, max_edits=1) -> party index or -1"},
    {"is_active", (PyCFunction)conv_is_active, METH_O, "is_active((y, m, d)) -> bool"},
    {"set_bodies_from", (PyCFunction)conv_set_bodies_from, METH_O,
     "set_bodies_from((y, m, d)): no meeting is owed before that day"},
    {"meetings", (PyCFunction)conv_meetings, METH_O,
     "meetings(year) -> [(body index, number, from date, to date)]"},
    {"edit_distance", (PyCFunction)conv_edit_distance, METH_VARARGS | METH_STATIC,
     "edit_distance(a, b, cap=8) -> int"},
    {NULL, NULL, 0, NULL},
};

static PyType_Slot convention_slots[] = {
    {Py_tp_new, convention_new},
    {Py_tp_dealloc, convention_dealloc},
    {Py_tp_methods, convention_methods},
    {Py_tp_doc, "Convention((y, m, d), (y, m, d)): parties, term and rhythm held by the core."},
    {0, NULL},
};

static PyType_Spec convention_spec = {
    .name = "essconv._core.Convention",
    .basicsize = sizeof(ConventionObject),
    .flags = Py_TPFLAGS_DEFAULT | Py_TPFLAGS_IMMUTABLETYPE,
    .slots = convention_slots,
};

int convention_type_init(PyObject *module, module_state *st)
{
    st->convention_type = (PyTypeObject *)PyType_FromModuleAndSpec(module, &convention_spec, NULL);
    if (st->convention_type == NULL)
        return -1;
    return PyModule_AddType(module, st->convention_type);
}
