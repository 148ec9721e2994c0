/*
 * binding.h -- what the files of the CPython binding share: the module state and the helpers
 * that turn core results into Python objects.  The binding converts; it decides nothing.
 */
#ifndef ESSCONV_BINDING_H
#define ESSCONV_BINDING_H

#define PY_SSIZE_T_CLEAN
#include <Python.h>

#include "essconv.h"

typedef struct module_state {
    PyObject *decimal_type;        /* decimal.Decimal (owned) */
    PyObject *date_type;           /* datetime.date (owned) */
    PyObject *error;               /* essconv.errors.Error (owned) */
    PyObject *amount_error;        /* essconv.errors.AmountError: a ValueError (owned) */
    PyObject *overflow_error;      /* essconv.errors.MoneyOverflowError: an OverflowError (owned) */
    PyObject *format_error;        /* essconv.errors.ParseError: a ValueError (owned) */
    PyObject *invalid_error;       /* essconv.errors.InvalidValueError: a ValueError (owned) */
    PyObject *not_found_error;     /* essconv.errors.NotFoundError: a LookupError (owned) */
    PyObject *amount_type_error;   /* essconv.errors.AmountTypeError: a TypeError (owned) */
    PyObject *argument_type_error; /* essconv.errors.ArgumentTypeError: a TypeError (owned) */
    PyObject *position_error;      /* essconv.errors.PositionError: an IndexError (owned) */
    PyObject *producer_error;      /* essconv.errors.ProducerError: a RuntimeError (owned) */
    PyTypeObject *plan_type;       /* _core.Plan (owned) */
    PyTypeObject *convention_type; /* _core.Convention (owned) */
    PyTypeObject *ledger_type;     /* _core.Ledger (owned) */
    PyTypeObject *column_type;     /* _core.ColumnBuffer (owned) */
} module_state;

extern struct PyModuleDef essconv_core_module;

/* The module state of the module that defined `type` (heap types know their module). */
module_state *state_of_type(PyTypeObject *type);
module_state *state_of_module(PyObject *module);

/* Raises the Python error that matches a core status, with the core's message and place. */
PyObject *raise_core_error(module_state *st, const ess_error *err);
/* side: ESS_ABOVE_INT64 or ESS_BELOW_INT64, the end of int64 cents the sum left by */
PyObject *raise_sum_overflow(module_state *st, const char *message, const char *which,
                             int64_t side);
/* Refuses (AmountError, -1) a text amount whose point may group thousands or mark decimals
 * ("12.500", "1.500") when nothing beside it says which; 0 for any other text. */
int refuse_ambiguous_point(module_state *st, const char *text, size_t len);

/* cents -> decimal.Decimal in unit (exact: built from the core's plain text) */
PyObject *cents_to_decimal(module_state *st, int64_t cents, ess_unit unit);
/* int or decimal.Decimal or str -> cents in unit; -1 with an exception set on failure */
int object_to_cents(module_state *st, PyObject *obj, ess_unit unit, int64_t *cents);

/* "€", "k€", "M€", 100, None; -1 with InvalidValueError naming the unit otherwise */
int unit_from_object(module_state *st, PyObject *obj, ess_unit *unit);

/* 0 if c (a delimiter or a decimal mark, from a "C" argument: a code point) is one ASCII
 * character, the one byte the core compares; -1 with InvalidValueError (a ValueError) naming
 * `what` otherwise (the core would have compared the code point's low byte: '€' split on byte
 * 0xAC). */
int ascii_mark(module_state *st, int c, const char *what);
/* ascii_mark's test of a delimiter, which also refuses a quote, LF or CR (0, or -1 with
 * InvalidValueError set) */
int delimiter_mark(module_state *st, int c);
/* The name of an ESS_AMOUNT_* detail ("second-mark"), "" for none or an unknown one. */
const char *amount_detail_name(int detail);
/* A bad row's reason as Python holds it: (kind, column name, value, count, expected, amount,
 * detail), detail naming ESS_AMOUNT_* ("" for none) -- a row set aside's and a row refused's */
PyObject *bad_reason_tuple(const ess_bad_reason *why);

/* per-type initialisation, called by the module's exec slot */
int plan_type_init(PyObject *module, module_state *st);
int convention_type_init(PyObject *module, module_state *st);
int ledger_type_init(PyObject *module, module_state *st);

/* A seekable binary Python stream as the core's byte source (stream_source.c), read ahead on a
 * thread of its own when read_ahead: made with the GIL (NULL with an exception); its source
 * for the core; the
 * reader thread stopped, called without the GIL before the read section ends; then, with the
 * GIL, freed, the exception the stream raised restored when restore is nonzero (-1 if it
 * raised one, else 0). */
typedef struct stream_source stream_source;
stream_source *stream_source_new(PyObject *stream, int read_ahead);
ess_byte_source stream_source_bytes(stream_source *src);
void stream_source_stop(stream_source *src);
int stream_source_end(stream_source *src, int restore);

/* Ledger objects, for functions outside ledger_type.c (rank_binding.c): the core ledger of a
 * _core.Ledger (NULL with TypeError if obj is none), and a core ledger wrapped (taken over:
 * freed on failure).  A caller that reads the ledger keeps the GIL, so no writer runs. */
ess_ledger *ledger_of(module_state *st, PyObject *obj);
PyObject *wrap_ledger(module_state *st, ess_ledger *l);
int rank_functions_init(PyObject *module);

/* Plan objects, for the convention type */
typedef struct PlanObject {
    PyObject_HEAD
    ess_plan *plan;   /* owned by self; never NULL once constructed */
} PlanObject;

typedef struct ConventionObject {
    PyObject_HEAD
    ess_convention *conv;   /* owned by self */
} ConventionObject;

/* Takes ownership of plan (freed on failure). */
PyObject *wrap_plan(module_state *st, ess_plan *plan);

PyObject *findings_to_list(module_state *st, const ess_plan *plan, const ess_findings *f);

#endif
