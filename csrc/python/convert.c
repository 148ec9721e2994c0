/*
 * convert.c -- the binding's ground: the module state a type finds, core errors raised as the
 * Python errors of essconv.errors, and amounts between cents and Decimal.  Every type file and
 * module.c call it; it calls none of them (module.c defines the module, and so the types, on
 * top of it).
 */
#include "binding.h"

#include <stdlib.h>
#include <string.h>

module_state *state_of_module(PyObject *module) { return (module_state *)PyModule_GetState(module); }

module_state *state_of_type(PyTypeObject *type)
{
    PyObject *module = PyType_GetModuleByDef(type, &essconv_core_module);
    return module ? state_of_module(module) : NULL;
}

/* The name of a file's kind a text reader refused (ESS_NOT_TEXT_*), as essconv.plan names a
 * plan's (its _NOT_TEXT_KINDS) and essconv.messages words it. */
static const char *not_text_kind(long kind)
{
    switch (kind) {
    case ESS_NOT_TEXT_ZIP: return "zip";
    case ESS_NOT_TEXT_XLS: return "xls";
    case ESS_NOT_TEXT_GZIP: return "gzip";
    case ESS_NOT_TEXT_BZIP2: return "bzip2";
    case ESS_NOT_TEXT_XZ: return "xz";
    case ESS_NOT_TEXT_PDF: return "pdf";
    case ESS_NOT_TEXT_HTML: return "html";
    case ESS_NOT_TEXT_XML: return "xml";
    case ESS_NOT_TEXT_UTF16LE: return "utf16le";
    case ESS_NOT_TEXT_UTF16BE: return "utf16be";
    default: return "";
    }
}

/* The names of the kinds of ess_bad_reason, in the order of ESS_BAD_*: Python words each in
 * its reader's language (messages.py), the message staying the English wording. */
static const char *const bad_kinds[] = {
    "other", "field-count", "amount", "amount-blank", "amount-dash", "amount-too-large", "date",
    "date-impossible", "date-order", "int", "int-too-large", "total-says", "total-sum",
    "header-repeated", "nul-cell", "header-reordered", "total-sum-below", "unit-column",
    "currency-column", "total-summary", "total-summary-above"};

PyObject *bad_reason_tuple(const ess_bad_reason *why)
{
    int kind = why->kind >= 0 && (size_t)why->kind < sizeof bad_kinds / sizeof *bad_kinds
                   ? why->kind : ESS_BAD_OTHER;
    /* (kind, column, value, count, expected, amount, detail, more): more, the other total
     * rows a refusal of one says, is last so that readers of the first seven keep them */
    return Py_BuildValue("(sssllssl)", bad_kinds[kind], why->field, why->value, why->count,
                         why->expected, why->amount, amount_detail_name(why->detail), why->more);
}

PyObject *raise_core_error(module_state *st, const ess_error *err)
{
    PyObject *cls;
    switch (err->status) {
    case ESS_ENOMEM: return PyErr_NoMemory();
    case ESS_EOVERFLOW: cls = st->overflow_error; break;
    case ESS_EPARSE: cls = st->amount_error; break;
    case ESS_EFORMAT: cls = st->format_error; break;
    case ESS_ENOTFOUND: cls = st->not_found_error; break;
    default: cls = st->invalid_error; break;   /* ESS_EINVAL: every core error is an essconv.Error */
    }
    PyObject *exc = PyObject_CallFunction(cls, "s", err->message);
    if (exc == NULL)
        return NULL;
    /* the place, for readers that add the file name and the cell's own position */
    PyObject *line = PyLong_FromLong(err->line), *column = PyLong_FromLong(err->column);
    /* an amount the column leaves undecided: its kind and why, for a listing to word it in its
     * reader's language (essconv.messages: Language.refusal), the message staying English */
    /* a header without a column asked for: the same, the message naming the columns */
    /* a date key derived from a label that gives none: ("date-key", why, row); a sum past
     * int64 cents: ("overflow", which sum) -- the message, quoting the rest, staying English */
    static const char *const overflows[] = {"group-sum", "total", "groups-total", "plan",
                                            "others"};
    PyObject *reason =
        /* a row a reader refused: why, as the same row set aside says it (bad_reason_tuple) */
        err->row.kind > ESS_BAD_OTHER ? bad_reason_tuple(&err->row)
        : err->detail == ESS_AMOUNT_AMBIGUOUS
            ? Py_BuildValue("(sl)", "amount-ambiguous", err->detail_n)
        : err->detail == ESS_HEADER_NO_COLUMN ? Py_BuildValue("(s)", "no-column")
        : (err->detail >= ESS_DERIVE_NOT_A_DATE && err->detail <= ESS_DERIVE_BACKWARD) ||
                err->detail == ESS_DERIVE_MIXED_ORDERS
            ? Py_BuildValue("(ssl)", "date-key",
                            err->detail == ESS_DERIVE_NOT_A_DATE ? "not-a-date"
                            : err->detail == ESS_DERIVE_A_PERIOD ? "a-period"
                            : err->detail == ESS_DERIVE_MIXED_ORDERS ? "mixed-orders"
                                                                 : "backward",
                            err->detail_n)
        : err->status == ESS_EOVERFLOW && err->detail >= ESS_OVERFLOW_GROUP_SUM &&
                  err->detail <= ESS_OVERFLOW_OTHERS
            ? Py_BuildValue("(ss)", "overflow", overflows[err->detail - ESS_OVERFLOW_GROUP_SUM])
        : err->status == ESS_EOVERFLOW && err->detail == ESS_OVERFLOW_CUMULATIVE
            ? Py_BuildValue("(ss)", "overflow", "cumulative")
        : err->detail == ESS_DATE_OUT_OF_RANGE ? Py_BuildValue("(sl)", "date-range", err->detail_n)
        : err->detail == ESS_FILE_EMPTY ? Py_BuildValue("(s)", "file-empty")
        : err->detail == ESS_HEADER_TWICE ? Py_BuildValue("(s)", "column-twice")
        : err->detail == ESS_QUOTE_UNCLOSED ? Py_BuildValue("(s)", "quote-unclosed")
        : err->detail == ESS_HEADER_UNIT_UNREAD ? Py_BuildValue("(s)", "unit-unread")
        : err->detail == ESS_HEADER_CURRENCY ? Py_BuildValue("(s)", "currency-header")
        : err->detail == ESS_HEADER_UNIT_GLUED ? Py_BuildValue("(s)", "unit-glued")
        : err->detail == ESS_HEADER_UNIT_BELOW ? Py_BuildValue("(s)", "unit-below")
        /* bytes no text has: the byte and the place carried, as essconv.plan gives a plan's */
        : err->detail == ESS_BYTE_NOT_TEXT
            ? Py_BuildValue("(slll)", "byte-not-text", err->detail_n, err->line, err->column)
        : err->detail == ESS_NUL_BYTE
            ? Py_BuildValue("(sll)", "nul-byte", err->line, err->column)
        /* another kind of file (a workbook, a compressed file, a PDF): which, by name */
        : err->detail == ESS_NOT_TEXT_FILE
            ? Py_BuildValue("(ss)", "not-text-file", not_text_kind(err->detail_n))
            : PyTuple_New(0);
    /* a sum past int64 cents: the side it left by, for a page to say "below" of a huge
     * negative total rather than "beyond" its opposite; an amount read past them (a text, an
     * Arrow decimal, a row a reader refused) says its side the same way */
    const int below =
        err->status == ESS_EOVERFLOW &&
        (((err->detail >= ESS_OVERFLOW_GROUP_SUM && err->detail <= ESS_OVERFLOW_OTHERS) ||
          err->detail == ESS_OVERFLOW_CUMULATIVE || err->detail == ESS_AMOUNT_TOO_LARGE)
             ? err->detail_n == ESS_BELOW_INT64
             : err->row.kind == ESS_BAD_AMOUNT_TOO_LARGE && err->row.count == ESS_BELOW_INT64);
    if (line && column && reason && PyObject_SetAttrString(exc, "line", line) == 0 &&
        PyObject_SetAttrString(exc, "column", column) == 0 &&
        PyObject_SetAttrString(exc, "reason", reason) == 0 &&
        (!below || PyObject_SetAttrString(exc, "below", Py_True) == 0))
        PyErr_SetObject((PyObject *)Py_TYPE(exc), exc);
    Py_XDECREF(line);
    Py_XDECREF(column);
    Py_XDECREF(reason);
    Py_DECREF(exc);
    return NULL;
}

PyObject *raise_sum_overflow(module_state *st, const char *message, const char *which,
                             int64_t side)
{
    /* a sum the binding adds past int64 cents, with its reason ("overflow", which) and its side
     * (ESS_BELOW_INT64: below) as the core's (raise_core_error) for a listing to word in its
     * reader's language */
    const int said = side < 0 ? ESS_BELOW_INT64 : ESS_ABOVE_INT64;   /* its limit, in its words */
    PyObject *exc = PyObject_CallFunction(st->overflow_error, "N",
                                          PyUnicode_FromFormat("%s%s", message,
                                                               ess_int64_limit_said(said)));
    if (exc == NULL)
        return NULL;
    PyObject *reason = Py_BuildValue("(ss)", "overflow", which);
    if (reason != NULL && PyObject_SetAttrString(exc, "reason", reason) == 0 &&
        (side != ESS_BELOW_INT64 || PyObject_SetAttrString(exc, "below", Py_True) == 0))
        PyErr_SetObject((PyObject *)Py_TYPE(exc), exc);
    Py_XDECREF(reason);
    Py_DECREF(exc);
    return NULL;
}

PyObject *cents_to_decimal(module_state *st, int64_t cents, ess_unit unit)
{
    char buf[64];
    ess_money_plain(cents, unit, buf, sizeof buf);
    return PyObject_CallFunction(st->decimal_type, "s", buf);
}

int ascii_mark(module_state *st, int c, const char *what)
{
    if (c >= 0 && c < 128)
        return 0;
    PyErr_Format(st->invalid_error, "the %s must be an ASCII character, not %c", what, c);
    return -1;
}

int delimiter_mark(module_state *st, int c)
{
    if (ascii_mark(st, c, "delimiter"))
        return -1;
    if (c != '"' && c != '\n' && c != '\r')
        return 0;
    PyErr_SetString(st->invalid_error, "a delimiter cannot be a quote or a line ending, which "
                                       "mean their own thing in a CSV file");
    return -1;
}

int unit_from_object(module_state *st, PyObject *obj, ess_unit *unit)
{
    if (obj == NULL || obj == Py_None) {
        *unit = ESS_UNIT_NONE;
        return 0;
    }
    if (PyLong_Check(obj)) {
        long v = PyLong_AsLong(obj);
        if (v == ESS_UNIT_EUR || v == ESS_UNIT_KEUR || v == ESS_UNIT_MEUR) {
            *unit = (ess_unit)v;
            return 0;
        }
    } else if (PyUnicode_Check(obj)) {
        Py_ssize_t n;
        const char *s = PyUnicode_AsUTF8AndSize(obj, &n);
        if (s == NULL)
            return -1;
        ess_unit u = ess_unit_in_text(s, (size_t)n);
        if (u != ESS_UNIT_NONE) {
            *unit = u;
            return 0;
        }
    }
    /* the symbols as arguments: PyErr_Format's format string must be ASCII (with them inside
     * it, every unknown unit raised a ValueError about the format string instead) */
    PyErr_Format(st->invalid_error, "unknown unit %R: expected %s, %s or %s", obj, "€", "k€",
                 "M€");
    return -1;
}

/* Raises MoneyOverflowError with message (a new reference, NULL when making it failed) for an
 * amount given past int64 cents, its side said as a sum's (below: under the floor).  Returns -1. */
static int raise_amount_beyond(module_state *st, PyObject *message, int below)
{
    if (message == NULL)
        return -1;
    /* the limit of its side ended with, in the words every sum past int64 cents has */
    PyObject *said = PyUnicode_FromFormat(
        "%U%s", message, ess_int64_limit_said(below ? ESS_BELOW_INT64 : ESS_ABOVE_INT64));
    Py_DECREF(message);
    if (said == NULL)
        return -1;
    PyObject *exc = PyObject_CallOneArg(st->overflow_error, said);
    Py_DECREF(said);
    if (exc == NULL)
        return -1;
    if (!below || PyObject_SetAttrString(exc, "below", Py_True) == 0)
        PyErr_SetObject((PyObject *)Py_TYPE(exc), exc);
    Py_DECREF(exc);
    return -1;
}

/* "'100000000000000000000' does not fit an amount in cents": a number past int64 cents (an
 * int, a Decimal) worded as the money parser words a text past them (money.c's past_cents), so
 * that one refusal reads one way whatever the type of the value -- the number as str() prints
 * it ("1E+25", never "Decimal('1E+25')"), its unit after it when not euros. */
static PyObject *past_cents_said(PyObject *obj, ess_unit unit)
{
    return unit == ESS_UNIT_EUR
               ? PyUnicode_FromFormat("'%S' does not fit an amount in cents", obj)
               : PyUnicode_FromFormat("'%S' %s does not fit an amount in cents", obj,
                                      ess_unit_symbol(unit));
}

/* Decides a Decimal on its exponent alone when printing it in full would be absurd:
 * Decimal('1E+999999999') printed with format 'f' is a 1 GB string of zeros (and
 * '0E-999999999' one of decimals) before the parser could refuse it.  A zero is 0 cents at any
 * exponent; a non-zero value of 10^21 or more overflows int64 cents whatever its unit; one below
 * 10^-20 has more decimals than cents.  Returns 0 (decided: *cents set), -1 (error raised) or
 * 1 (within reach: parse its text). */
static int decimal_out_of_reach(module_state *st, PyObject *obj, ess_unit unit, int64_t *cents)
{
    PyObject *finite = PyObject_CallMethod(obj, "is_finite", NULL);
    if (finite == NULL)
        return -1;
    int is_finite = PyObject_IsTrue(finite);
    Py_DECREF(finite);
    if (is_finite != 1)
        return is_finite < 0 ? -1 : 1;   /* NaN, Infinity: the parser names them */
    PyObject *zero = PyObject_CallMethod(obj, "is_zero", NULL);
    if (zero == NULL)
        return -1;
    int is_zero = PyObject_IsTrue(zero);
    Py_DECREF(zero);
    if (is_zero) {
        if (is_zero < 0)
            return -1;
        *cents = 0;
        return 0;
    }
    PyObject *adjusted = PyObject_CallMethod(obj, "adjusted", NULL);
    if (adjusted == NULL)
        return -1;
    long long magnitude = PyLong_AsLongLong(adjusted);   /* the exponent of the leading digit */
    Py_DECREF(adjusted);
    if (magnitude == -1 && PyErr_Occurred())
        return -1;
    if (magnitude > 20) {
        PyObject *negative = PyObject_CallMethod(obj, "is_signed", NULL);
        int below = negative != NULL ? PyObject_IsTrue(negative) : -1;
        Py_XDECREF(negative);
        if (below < 0)
            return -1;
        /* its exponent alone decides (magnitude, the 10^ of its leading digit, past 20) */
        return raise_amount_beyond(st, past_cents_said(obj, unit), below);
    }
    if (magnitude < -20) {
        PyErr_Format(st->amount_error, "%R has more than 2 decimals of %s: cents cannot hold it",
                     obj, ess_unit_symbol(unit));
        return -1;
    }
    return 1;
}

int refuse_ambiguous_point(module_state *st, const char *text, size_t len)
{
    if (ess_money_point_use(text, len) != ESS_POINT_AMBIGUOUS)
        return 0;
    char grouped[24], decimal[24], shown[24];
    snprintf(shown, sizeof shown, "%.*s", (int)(len < 20 ? len : 20), text);
    ess_point_readings(shown, '.', grouped, decimal, sizeof grouped);
    PyObject *message = PyUnicode_FromFormat(
        "the amount '%s' could be %s or %s; say which with decimal=',' (the point groups "
        "thousands) or decimal='.' (the point is the decimal mark)",
        shown, grouped, decimal);
    if (message == NULL)
        return -1;
    /* with its kind and why, as the reader's refusal (raise_core_error), for a listing to word
     * it in its reader's language (Language.refusal): nothing else says which */
    PyObject *exc = PyObject_CallOneArg(st->amount_error, message);
    Py_DECREF(message);
    if (exc == NULL)
        return -1;
    PyObject *reason = Py_BuildValue("(sl)", "amount-ambiguous", (long)ESS_AMBIGUOUS_NO_OTHER);
    if (reason != NULL && PyObject_SetAttrString(exc, "reason", reason) == 0)
        PyErr_SetObject((PyObject *)Py_TYPE(exc), exc);
    Py_XDECREF(reason);
    Py_DECREF(exc);
    return -1;
}

int object_to_cents(module_state *st, PyObject *obj, ess_unit unit, int64_t *cents)
{
    if (unit == ESS_UNIT_NONE)
        unit = ESS_UNIT_EUR;
    if (PyFloat_Check(obj)) {
        /* the project's one hierarchy: an essconv.Error, a TypeError still for callers of old */
        PyErr_SetString(st->amount_type_error,
                        "amounts are never floats: pass a decimal.Decimal, an int or a string");
        return -1;
    }
    if (PyLong_Check(obj) && !PyBool_Check(obj)) {
        int overflow = 0;
        long long v = PyLong_AsLongLongAndOverflow(obj, &overflow);
        if (v == -1 && PyErr_Occurred())
            return -1;
        int64_t r;
        if (overflow || ess_mul((int64_t)v, (int64_t)unit, &r)) {
            /* its side: -10**20 is under the floor, never said beyond the ceiling */
            return raise_amount_beyond(st, past_cents_said(obj, unit),
                                       overflow < 0 || (overflow == 0 && v < 0));
        }
        *cents = r;
        return 0;
    }
    PyObject *text = NULL;
    char mark = ',';
    if (PyObject_IsInstance(obj, st->decimal_type) == 1) {
        int refused = decimal_out_of_reach(st, obj, unit, cents);
        if (refused != 1)
            return refused;
        text = PyObject_Str(obj);   /* "12.50", "1E+3": parsed below in English style */
        mark = '.';
        if (text != NULL) {
            PyObject *fixed = PyObject_CallMethod(obj, "__format__", "s", "f");
            Py_DECREF(text);
            text = fixed;
        }
    } else if (PyUnicode_Check(obj)) {
        text = Py_NewRef(obj);
    } else {
        PyErr_Format(st->amount_type_error,
                     "an amount must be a Decimal, an int or a str, not %.80s",
                     Py_TYPE(obj)->tp_name);
        return -1;
    }
    if (text == NULL)
        return -1;
    Py_ssize_t n;
    const char *s = PyUnicode_AsUTF8AndSize(text, &n);
    if (s == NULL) {
        Py_DECREF(text);
        return -1;
    }
    /* a text alone has no other amount to say what its point is: "12.500" is refused rather
     * than read 12 500 the French way when "12.5" is read 12,5 (a Decimal's own text, written
     * with a point, is never ambiguous) */
    if (mark == ',' && refuse_ambiguous_point(st, s, (size_t)n) < 0) {
        Py_DECREF(text);
        return -1;
    }
    ess_money_style style = {mark, unit, 0};
    ess_error err;
    ess_error_clear(&err);
    /* the unit it names asked for: "€" alone is "a unit with no amount", as parse_amount and
     * the reader say it, not a blank (the parser tells them apart only when asked) */
    ess_unit seen = ESS_UNIT_NONE;
    int rc = ess_money_parse(s, (size_t)n, &style, cents, &seen, &err);
    Py_DECREF(text);
    if (rc == ESS_BLANK) {
        PyErr_SetString(st->amount_error, "a blank text is not an amount");
        return -1;
    }
    if (rc) {
        raise_core_error(st, &err);
        return -1;
    }
    return 0;
}

/* The names of ESS_AMOUNT_*, in their order: what exactly an unreadable amount gets wrong. */
static const char *const amount_details[] = {
    "", "character", "second-mark", "after-decimals", "group-after-separator", "group-size",
    "point-groups", "no-digit-after-mark", "separator-after-zero", "two-separators",
    "separator-no-digit", "sub-cent", "too-long", "unit-only", "percent", "dash", "paren-open",
    "paren-close", "minus-in-parens", "digit-expected", "too-large", "comma-groups", "comma-may-group",
    "unit-twice", "", "mark-said", "currency"};   /* the reader's "ambiguous" has a reason of its own */

const char *amount_detail_name(int detail)
{
    return detail > 0 && (size_t)detail < sizeof amount_details / sizeof *amount_details
               ? amount_details[detail] : "";
}
