"""Grant records in a database: a Ledger read from an SQL query, aggregates written back, through
ADBC (Arrow end to end: no Python object per row).

A connection is a PostgreSQL URI (``postgresql://user@host:port/db``, with
``adbc-driver-postgresql``), anything else a SQLite file (``adbc-driver-sqlite``, embedded: no
server), or an open ADBC DB-API connection (left open).  The amount column must be exact:

- NUMERIC / decimal: read as is (a scale past two, NUMERIC(12,3), when every value is whole
  cents; a value with a digit past the cents is refused at its row);
- integers: euros, or cents with ``cents=True``;
- text (SQLite's usual way, or a cast): parsed by the same exact money parser as CSV files
  (``1 250,50``, ``1250.50``), an unreadable one being a bad row with its row and column;
- a binary float (REAL, DOUBLE PRECISION) is refused: :class:`essconv.AmountTypeError` names the
  column, its type and the cast to use; a REAL among a SQLite column's texts is a bad row, in
  an amount column or a label column alike, wherever its row stands (a SQLite result is read as
  one batch, however many its rows: its driver gave such a value as ``2.500000e+00`` in its first 1 024 rows and as
  ``2.5`` after them);
- NULL: a bad row.

An aggregate read back with one of its measures as the amount (``amount="sum"``) has its other
measures (``mean``, ``min``, ``max``, a report's ``share`` and ``cumulative``: text in SQLite)
read as amounts too, exactly, as its Parquet file gives them (``labels=["min"]`` keeps a column
of that name as text); the amount summed is the first, so one before it is refused.  A name
alone makes no measure: a text column so named is one when the table is laid out as essconv
writes an aggregate (``sum``, ``count``, ``mean``) and it comes after ``sum``, or when its values
are decimals as essconv writes them (``5.75``); a territory code column named ``min`` stays text.

A report written back with its Total line (``agg.with_total().to_sql(...)``: ``report_line``
'total') is read with that line set aside as a bad row: it is the sum of the other lines, and
read as a record every total would count them twice.

A driver may not say what a column holds: SQLite's (ADBC) ignores declared types, so a DATE column
comes back as text and a column of NULLs as integers (one declared TEXT, DATE or NUMERIC
is read as labels all missing, as a CSV file's blank column); a result of no row has each column typed
as its declared type says its values would be (TEXT and DATE text, INTEGER integers; a query with
``params`` alike, its parameters changing which rows, never a column's kind).  ``dates=[...]`` reads text dates with the
CSV reader's own date parser (``08/09/2017``, ``2017-09-08``, a time after the day being the day;
the order decided on the column's values as a CSV file's is, or given by ``date_order``, which
is also the order of a column the driver types as dates, PostgreSQL's DATE);
``ints=[...]`` reads text integers with its int parser; ``labels=[...]`` keeps a column as text
labels (a column of NULLs, integers printed); ``amounts=[...]`` reads text or NUMERIC columns as
amounts kept beside the one summed (a ledger's other amounts, written to SQLite as text).  A value that does not read is a bad row, as an
amount is.

Bad rows are kept aside in ``ledger.bad_rows`` (``bad_rows="collect"``, the default: a database
column's NULLs are common) or raise :class:`essconv.ParseError` (``bad_rows="raise"``); their
``line`` is the row of the result (1-based), their ``column`` the amount's position.  Writes run
in one transaction: on any error (a lost connection included) nothing is left half written and
:class:`essconv.DatabaseError` is raised.
"""
from __future__ import annotations

import difflib
import re
from typing import Any, Iterable, Sequence

from .errors import (AmountTypeError, InvalidValueError, MoneyOverflowError, ParseError, Problem,
                     UnknownColumnError)
from .messages import language
# the connection, the query's table and the writes are the floor below the ledger; these names
# are essconv.sql's too (essconv.sql.read_table, essconv.sql.write_table)
from .database import (REPORT_LINE, read_table, row_numbers, set_aside_report_totals,  # noqa: F401
                       source_name, write_table)


def ledger_from_table(table: Any, *, amount: str, cents: bool, bad_rows: str,
                      source: str | None, dates: Sequence[str] = (), ints: Sequence[str] = (),
                      labels: Sequence[str] = (), date_order: str | None = None,
                      amounts: Sequence[str] = ()) -> Any:
    """A Ledger from a query's Arrow table: the amount checked and made exact, NULL or
    unreadable amounts set aside as bad rows, the columns named in ``dates``, ``ints``,
    ``labels`` and ``amounts`` given that kind (see the module)."""
    import pyarrow as pa
    import pyarrow.compute as pc

    from .ledger import AMOUNT_UNIT_KEY, DATE_ORDER_KEY, DATE_ORDERS, from_arrow_located

    if bad_rows not in ("raise", "collect"):
        raise InvalidValueError("bad_rows is 'raise' or 'collect'")
    if date_order is not None and date_order not in DATE_ORDERS:
        raise InvalidValueError(f"date_order is 'dmy' (day first) or 'mdy' (month "
                                f"first), not {date_order!r}")
    table, numeric_text = _unwrap_extensions(table)
    names = table.column_names
    # a join's SELECT of two tables' columns of one name (g.nom, b.nom) returns that name
    # twice: a ledger's columns are found by name, so one must be named apart
    for k, name in enumerate(names):
        if name in names[:k]:
            raise ParseError(f"the query returns the column {name!r} twice (columns "
                             f"{names.index(name) + 1} and {k + 1}): name one apart in the "
                             f"SELECT ({name} AS {name}_2)", path=source, column=k + 1)
    if amount not in names:
        raise ParseError(f"the query returns no column {amount!r} for the amount "
                         f"(its columns: {', '.join(names)})", path=source)
    asked = _asked_kinds(names, amount, dates, ints, labels, amounts)
    position = names.index(amount)
    column_no = position + 1
    kind = table.schema.field(amount).type
    if pa.types.is_floating(kind):
        raise AmountTypeError(
            f"the amount column {amount!r} is a binary float ({kind}): amounts are never floats. "
            f"Select it exactly: CAST({amount} AS NUMERIC(14,2)) on PostgreSQL, or store it as "
            f"TEXT ('1250.50') or INTEGER cents (then cents=True) on SQLite",
            path=source, column=column_no)
    problems: list[Problem] = []
    # each row keeps its place in the result, so a bad row is named after rows are set aside
    table = table.append_column("__essconv_row", row_numbers(len(table)))
    missing = pc.is_null(table.column(amount))
    null_rows = pc.indices_nonzero(missing).to_pylist()   # the bad rows only, never every row
    if null_rows:
        message = f"the amount {amount!r} is NULL"
        if bad_rows == "raise":
            raise ParseError(message, path=source, line=null_rows[0] + 1, column=column_no)
        # the reason lets a French listing word it (messages.py), as the reader's bad rows are
        reason = ("amount-null", amount, "", 0, 0, "")
        problems.extend(Problem(r + 1, column_no, message, False, reason) for r in null_rows)
        table = table.filter(pc.invert(missing))
    table = _set_aside_beyond_cents(table, amount, kind, cents, column_no, bad_rows, source,
                                    problems)
    table = set_aside_report_totals(table, amount, bad_rows, source, problems)
    # text amounts are read as a CSV file's, in the unit the column's name says (k€ multiplied,
    # a unit not read refused); numbers under a name saying k€ or M€ are refused after
    text_read = pa.types.is_string(kind) or pa.types.is_large_string(kind)
    if text_read:
        table = _parse_text_amounts(table, amount, position, column_no, bad_rows, source, problems,
                                    decimal="." if amount in numeric_text else None)
        cents = True
    beside = (_aggregate_measures(table, amount, asked, kind, numeric_text)
              + _amounts_asked(table, asked, source))
    # read as the amount is: PostgreSQL's NUMERIC with its point, text as a CSV file's, in the
    # unit the column's name says ('1,5' under 'sub (k€)' is 1 500 €, a name the rule refuses
    # refused); the cents are then euros, and their field says so (AMOUNT_UNIT_KEY 'EUR'):
    # unmarked, numbers under a k€ name are refused beside the amount as they are as the amount
    for name in beside:
        i = table.column_names.index(name)
        table = _parse_text_amounts(table, name, i, names.index(name) + 1, bad_rows, source,
                                    problems, decimal="." if name in numeric_text else None)
        table = table.set_column(i, pa.field(name, pa.decimal128(38, 2), nullable=False,
                                             metadata={AMOUNT_UNIT_KEY: b"EUR"}),
                                 cents_as_decimals(table.column(i)))
    orders: dict[str, str] = {}
    if asked:
        table = _typed_columns(table, asked, bad_rows, source, problems, orders, date_order)
    table = _set_aside_missing_marker(table, names, amount, bad_rows, source, problems)
    # a label holding a NUL (an export's padding), which from_columns and a CSV file refuse: a
    # cell the reader sets aside at the query's row and column, as such an amount or date is
    labels = {field.name: "label" for field in table.schema
              if field.name in names and field.name != amount
              and (pa.types.is_string(field.type) or pa.types.is_large_string(field.type))}
    if labels:
        table = _set_aside_nul_cells(table, labels, bad_rows, source, problems,
                                     {name: names.index(name) + 1 for name in labels})
        table = _set_aside_float_labels(table, labels, bad_rows, source, problems,
                                        {name: names.index(name) + 1 for name in labels})
    kept_rows = table.column("__essconv_row")   # the query's row of each row kept
    table = table.drop_columns(["__essconv_row"])
    if date_order is not None:
        # a column the driver already types as dates (PostgreSQL's DATE) has no text to decide
        # on: the order given is the one a filter's 04/03/2017 is read in, as for text dates
        for field in table.schema:
            if pa.types.is_date(field.type):
                orders.setdefault(field.name, date_order)
    for name, order in orders.items():   # said in the field, as to_arrow says it: the core
        i = table.column_names.index(name)   # records it in the ledger's date_orders
        table = table.set_column(i, table.schema.field(i).with_metadata(
            {DATE_ORDER_KEY: order.encode()}), table.column(i))
    problems.sort(key=lambda p: p.line)
    # after the rows' own refusals (bad_rows="raise"), where the Arrow reader refused it
    _refuse_columns_no_ledger_holds(table, amount, asked, source)
    try:
        ledger = from_arrow_located(table, amount, cents, source, read_unit=not text_read)
    except (ParseError, MoneyOverflowError, InvalidValueError) as exc:
        # the core counts the rows it was given, the bad rows already set aside: its row is
        # said as the query's (an amount past int64 cents after NULL amounts)
        if not 0 < exc.line <= len(kept_rows):
            raise
        row = kept_rows[exc.line - 1].as_py() + 1
        message = re.sub(rf"\brow {exc.line}\b", f"row {row}", Exception.__str__(exc))
        moved = exc.restated(message, path=exc.path, line=row, column=exc.column,
                              reason=exc.reason)   # below kept
        raise moved from None
    ledger.bad_rows = problems
    return ledger


#: the largest whole euros int64 cents hold (92 233 720 368 547 758,07 € is the largest amount;
#: the floor, -92 233 720 368 547 758,08 €, holds as many whole euros below zero)
EUROS_IN_CENTS = (2**63 - 1) // 100


def _set_aside_beyond_cents(table: Any, amount: str, kind: Any, cents: bool, column_no: int,
                            bad_rows: str, source: str | None, problems: list[Problem]) -> Any:
    """``table`` without the rows whose INTEGER amount, in euros, no int64 cents hold
    (10**17 euros): each is a bad row at the query's row and the amount's column, as a text
    amount as large is (its reason "amount-too-large"), or refused with ``bad_rows="raise"``
    (:class:`MoneyOverflowError`, its side in ``below``).  Left to the core, one such cell
    refused the whole query, bad_rows="collect" or not.  Integer cents (``cents=True``) always
    fit; text amounts are the money parser's to set aside."""
    import pyarrow as pa
    import pyarrow.compute as pc

    # narrower integers never pass the bound; uint64 the core refuses as a type
    if cents or not pa.types.is_int64(kind):
        return table
    column = table.column(amount)
    beyond = pc.or_(pc.greater(column, pa.scalar(EUROS_IN_CENTS, kind)),
                    pc.less(column, pa.scalar(-EUROS_IN_CENTS, kind)))
    at = pc.indices_nonzero(pc.fill_null(beyond, False)).to_pylist()
    if not at:
        return table
    rows = table.column("__essconv_row")
    said = []
    for i in at:
        value = column[i].as_py()
        # its side and limit as a text amount's (the reason's count: the core's side, -1 under
        # the floor), never "too large" of a negative amount
        below = value < 0
        message = (f"column {amount!r}: {value} (euros, an integer) does not fit an amount in "
                   f"cents ({language('en').beyond_cents(below)})")
        said.append((Problem(rows[i].as_py() + 1, column_no, message, False,
                             ("amount-too-large", amount, str(value), -1 if below else 1, 0, "",
                              "too-large")),
                     below))
    if bad_rows == "raise":
        first, below = said[0]
        refused = MoneyOverflowError(first.message, path=source, line=first.line,
                                     column=first.column, reason=first.reason)
        refused.below = below
        raise refused
    problems.extend(p for p, _ in said)
    return table.filter(pc.invert(pc.fill_null(beyond, False)))


def _set_aside_missing_marker(table: Any, names: list[str], amount: str, bad_rows: str,
                              source: str | None, problems: list[Problem]) -> Any:
    """``table`` without the rows whose integer (beside the amount) is -2**63, the one value an
    int column keeps for a missing one (read as it is, a value lost): each a bad row at the
    query's row and the first such cell's column, or refused with ``bad_rows="raise"``
    (:class:`MoneyOverflowError`, as the core refuses it).  Left to the core, one such cell
    refused the whole query, bad_rows="collect" or not."""
    import pyarrow as pa
    import pyarrow.compute as pc

    marker = -2**63
    first: dict[int, str] = {}   # position in the table: the column of its first such cell
    for field in table.schema:
        if field.name in (amount, "__essconv_row") or not pa.types.is_int64(field.type):
            continue
        held = pc.fill_null(pc.equal(table.column(field.name), pa.scalar(marker)), False)
        for i in pc.indices_nonzero(held).to_pylist():
            first.setdefault(i, field.name)
    if not first:
        return table
    rows = table.column("__essconv_row")
    said = []
    for i in sorted(first, key=lambda i: rows[i].as_py()):
        name = first[i]
        message = (f"column {name!r}: {marker} is the one value an int column keeps for a "
                   f"missing one: no integer a ledger holds")
        said.append(Problem(rows[i].as_py() + 1, names.index(name) + 1, message, False,
                            ("int-missing-marker", name, str(marker), 0, 0, "")))
    if bad_rows == "raise":
        raise MoneyOverflowError(said[0].message, path=source, line=said[0].line,
                                 column=said[0].column, reason=said[0].reason)
    problems.extend(said)
    return _without_rows(table, first)


def _refuse_columns_no_ledger_holds(table: Any, amount: str, asked: dict[str, str],
                                    source: str | None) -> None:
    """Refuses a column of the query a ledger cannot hold, at its place, in the database's
    words and with the cast to write: a binary float beside the amount (SQLite's REAL, an SCDL
    table's pourcentageSubvention) or a BLOB anywhere.  Left to the Arrow reader, the refusal
    named the column by its Arrow format ('g', 'z') at no column, and told to "give it as
    ints or texts", no SQL.  The amount's float, and the columns named in dates/ints/labels/
    amounts, have their own refusals."""
    import pyarrow as pa

    for k, field in enumerate(table.schema):
        name, kind = field.name, field.type
        if name in asked:
            continue
        if pa.types.is_dictionary(kind):
            kind = kind.value_type
        if pa.types.is_floating(kind) and name != amount:
            said = (f"the column {name!r} is a binary float ({kind}), beside the amount "
                    f"{amount!r}: a ledger's other columns are labels, ints or dates, never "
                    f"floats (a rate 0.05 is not exactly one). Select it as text, "
                    f"CAST({name} AS TEXT) AS {name}, or leave it out of the SELECT")
        elif (pa.types.is_binary(kind) or pa.types.is_large_binary(kind)
              or pa.types.is_fixed_size_binary(kind)):
            said = (f"the column {name!r} is binary data (a BLOB, {kind}), which "
                    + (f"no amount is: store the amount as TEXT ('1250.50'), or select it as "
                       f"CAST({name} AS TEXT) AS {name}" if name == amount else
                       f"no label is: select it as text, CAST({name} AS TEXT) AS {name}, or "
                       f"leave it out of the SELECT"))
        else:
            continue
        raise AmountTypeError(said, path=source, column=k + 1)


#: the decimal columns a report adds beside an aggregate's measures (Aggregate.share, .cumulative)
REPORT_DECIMALS = ("share", "cumulative")
#: a typed argument's kind in a sentence, with its article ("which is not read as a label")
_KIND_SAID = {"labels": "a label", "ints": "an int", "dates": "a date"}


def _aggregate_measures(table: Any, amount: str, asked: dict[str, str], amount_kind: Any,
                        numeric_text: set[str]) -> list[str]:
    """The text columns of an aggregate essconv wrote (its ``sum``, ``mean``, ``min``,
    ``max``, a report's ``share`` and ``cumulative``) other than the amount, when the amount is
    one of them: SQLite keeps them as the text its decimals were written as (``5.75``), and
    read as labels a mean came back as the label '5.75', no amount.  They are read as the
    exact decimals they were, as the aggregate holds them and its Parquet file gives them.

    A name alone proves nothing (a territory code column named ``min``): a column so named is
    taken for a measure when the driver declares it NUMERIC (PostgreSQL), or when the driver
    keeps no types (the amount itself came as text) and either the table is laid out as essconv
    writes an aggregate (``sum``, its integer ``count``, ``mean``: the measures from ``sum`` on,
    the keys before it) and the column comes after ``sum``, or each of its values is written as
    essconv writes a decimal to such a driver (``5.75``, ``-0.75``: digits, a point, digits).
    Any other text column stays a label, as it was read."""
    import pyarrow as pa
    import pyarrow.compute as pc

    import essconv._core as _core

    def is_text(kind: Any) -> bool:
        return pa.types.is_string(kind) or pa.types.is_large_string(kind)

    def written_as_decimals(name: str) -> bool:
        column = table.column(name)
        if column.null_count == len(column):   # no value says what it holds: a label
            return False
        return bool(pc.all(pc.match_substring_regex(column, DECIMAL_WRITTEN)).as_py())

    names = table.column_names
    measures = [name for name, kind, _ in _core.MEASURES if kind == _core.COL_AMOUNT]
    measures += list(REPORT_DECIMALS)
    if amount not in measures:
        return []
    untyped = is_text(amount_kind) and amount not in numeric_text
    start = names.index("sum") if "sum" in names else len(names)
    laid_out = (names[start + 1:start + 3] == ["count", "mean"]
                and pa.types.is_integer(table.schema.field("count").type))
    return [name for name in measures
            if name in names and name != amount
            and name not in asked
            and is_text(table.schema.field(name).type)
            and (name in numeric_text
                 or (untyped and ((laid_out and names.index(name) >= start)
                                  or written_as_decimals(name))))]


#: how a decimal is written to a database that keeps no decimal type (SQLite: Arrow's cast of
#: a decimal to text), the evidence that a text column named as a measure holds one
DECIMAL_WRITTEN = r"^-?[0-9]+\.[0-9]+$"


def cents_as_decimals(cents: Any) -> Any:
    """int64 cents as Arrow decimal128(38, 2), exactly: the same integer, its scale saying
    cents (the 16-byte little-endian words: the cents, then their sign extended)."""
    import numpy as np
    import pyarrow as pa

    low = np.asarray(pa.chunked_array(cents).combine_chunks().to_numpy(), dtype=np.int64)
    words = np.empty(2 * len(low), dtype=np.int64)
    words[0::2] = low
    words[1::2] = np.where(low < 0, -1, 0)
    return pa.Array.from_buffers(pa.decimal128(38, 2), len(low),
                                 [None, pa.py_buffer(words.tobytes())])


def _amounts_asked(table: Any, asked: dict[str, str], source: str | None) -> list[str]:
    """The text columns named in ``amounts=`` (taken out of ``asked``), to be read as amounts
    beside the one summed: SQLite hands a ledger's other amounts back as the text they were
    written as.  A decimal column is read as it is; any other type is refused, a float as
    never an amount."""
    import pyarrow as pa

    texts = []
    for name in [n for n, a in asked.items() if a == "amounts"]:
        del asked[name]
        i = table.column_names.index(name)
        kind = table.schema.field(i).type
        if pa.types.is_dictionary(kind):
            kind = kind.value_type
        if pa.types.is_string(kind) or pa.types.is_large_string(kind):
            texts.append(name)
        elif pa.types.is_floating(kind):
            raise AmountTypeError(
                f"amounts=[{name!r}]: the column {name!r} is a binary float ({kind}): amounts "
                f"are never floats; select it as text or NUMERIC(14,2)", path=source,
                column=i + 1)
        elif not pa.types.is_decimal(kind) and table.column(i).null_count != len(table):
            raise InvalidValueError(
                f"amounts=[{name!r}]: the query returns the column {name!r} as {kind}, "
                f"which is not read as an amount; select it as text "
                f"(CAST({name} AS TEXT)) or NUMERIC", path=source, column=i + 1)
        elif not pa.types.is_decimal(kind):   # a column of NULLs: each row's amount missing
            texts.append(name)
    return texts


def _asked_kinds(names: list[str], amount: str, dates: Sequence[str], ints: Sequence[str],
                 labels: Sequence[str], amounts: Sequence[str] = ()) -> dict[str, str]:
    """The kind asked for each column named in ``dates``, ``ints``, ``labels`` and
    ``amounts``, checked as
    read_csv checks its own: a column the query does not return is refused naming the one it
    may be, a column asked for twice (or the amount) refused."""
    asked: dict[str, str] = {}
    seen = {amount}
    for argument, columns in (("dates", dates), ("ints", ints), ("labels", labels),
                              ("amounts", amounts)):
        if isinstance(columns, str):   # dates="d" would be the columns 'd' alone, or 'd','a'...
            raise InvalidValueError(f"{argument} is a list of column names: "
                                    f"{argument}=[{columns!r}]")
        for name in columns:
            if name not in names:
                near = difflib.get_close_matches(name, names, n=1, cutoff=0.6)
                raise UnknownColumnError(
                    f"{argument}=: the query returns no column {name!r}"
                    + (f" (did you mean {near[0]!r}?)" if near else "")
                    + f"; its columns: {', '.join(map(repr, names))}",
                    column=name, columns=names)
            if name in seen:
                raise InvalidValueError(f"the column {name!r} is asked for twice")
            seen.add(name)
            asked[name] = argument
    return asked


def _typed_columns(table: Any, asked: dict[str, str], bad_rows: str, source: str | None,
                   problems: list[Problem], orders: dict[str, str],
                   date_order: str | None) -> Any:
    """The columns named in dates/ints/labels given their kind.  Text dates and ints are read
    by the CSV reader itself (the row numbers and the texts written as a tab-separated file by
    Arrow, and read back by the core), so that they mean what they mean in a CSV file; a value
    that does not read is a bad row with the query's row and the column's position."""
    import io

    import pyarrow as pa
    import pyarrow.csv as pacsv

    from .ledger import Ledger

    names = table.column_names
    texts: dict[str, str] = {}   # the columns to read as text, and their kind
    for name, argument in asked.items():
        i = names.index(name)
        column = table.column(i)
        kind = column.type
        if pa.types.is_dictionary(kind):
            column = column.cast(kind.value_type)
            kind = kind.value_type
        textual = pa.types.is_string(kind) or pa.types.is_large_string(kind)
        wanted = {"dates": pa.date32(), "ints": pa.int64(), "labels": pa.string()}[argument]
        if column.null_count == len(column):
            # a column of NULLs (the driver's int64, which casts to no date) is a column of
            # missing values of its kind
            table = table.set_column(i, pa.field(name, wanted), pa.nulls(len(column), wanted))
        elif (argument == "labels" and (textual or pa.types.is_integer(kind)
                                          or pa.types.is_date(kind))) or (
                argument == "dates" and pa.types.is_date(kind)) or (
                argument == "ints" and pa.types.is_integer(kind)):
            # an integer label is printed as the driver read it (SQLite stores '01' in an
            # INTEGER column as 1: the zero is gone before it is read).  A boolean is refused
            # below, as from_columns refuses a bool among labels: PostgreSQL's 'true' would be
            # a label Python's True and SQLite's 1 never meet; a CAST says the text wanted
            table = table.set_column(i, pa.field(name, wanted), column.cast(wanted))
        elif textual:
            texts[name] = argument
        else:
            raise InvalidValueError(
                f"{argument}=[{name!r}]: the query returns the column {name!r} as {kind}, "
                f"which is not read as {_KIND_SAID[argument]}; "
                f"select it as text (CAST({name} AS TEXT))", path=source,
                column=i + 1)
    if not texts:
        return table
    table = _set_aside_nul_cells(table, {n: a[:-1] for n, a in texts.items()}, bad_rows, source,
                                 problems, {n: names.index(n) + 1 for n in texts})
    row_name, zero = "__essconv_row", "__essconv_zero"
    rows = table.column(row_name)
    parts = {row_name: rows, zero: pa.repeat(pa.scalar("0"), len(rows))}
    parts.update((name, table.column(name)) for name in texts)
    buffer = io.BytesIO()
    pacsv.write_csv(pa.table(parts), buffer,
                    pacsv.WriteOptions(delimiter="\t", quoting_style="needed"))
    dates = [n for n, a in texts.items() if a == "dates"]
    try:
        parsed = Ledger.read_csv(buffer.getvalue(), amount=zero, ints=[row_name] + [
                                     n for n, a in texts.items() if a == "ints"],
                                 dates=dates, dims=[], delimiter="\t", encoding="utf-8",
                                 bad_rows="collect", date_order=date_order)
    except ParseError as exc:   # a date column holding both orders (25/03 and 03/25)
        raise ParseError(Exception.__str__(exc), path=source, reason=exc.reason) from None
    if parsed.bad_rows:
        # the row is found from the bad row's line (_rows_at_lines); the column the
        # reader's reason names is the one the bad row is placed at (its own column is a
        # character of the file written here, no place in the query's result)
        at = _rows_at_lines([parts[n] for n in texts], rows,
                            [p.line for p in parsed.bad_rows])
        unreadable = []
        for p, row in zip(parsed.bad_rows, at):
            said = p.reason[1] if len(p.reason) > 1 and p.reason[1] in texts else None
            column_no = names.index(said) + 1 if said is not None else 0
            unreadable.append((row + 1, column_no, p.message, p.reason))
        if bad_rows == "raise":
            row, column_no, message, reason = unreadable[0]
            raise ParseError(message, path=source, line=row, column=column_no, reason=reason)
        problems.extend(Problem(row, column_no, message, False, reason)
                        for row, column_no, message, reason in unreadable)
    kept = pa.table(parsed)
    positions = _positions_of(rows, kept.column(row_name))
    table = table.take(positions)
    said_orders = parsed.date_orders
    for name in texts:
        i = names.index(name)
        table = table.set_column(i, pa.field(name, kept.schema.field(name).type),
                                 kept.column(name))
        if said_orders.get(name, "unknown") != "unknown":
            orders[name] = said_orders[name]
    return table


def _set_aside_nul_cells(table: Any, kinds: dict[str, str], bad_rows: str, source: str | None,
                         problems: list[Problem], column_of: dict[str, int]) -> Any:
    """``table`` without the rows whose text cell in one of ``kinds``' columns (name: "amount",
    "date", "int", read through the CSV reader) holds a NUL byte: each is a bad row at the
    query's row and the first such cell's column (``column_of``), or refused with
    ``bad_rows="raise"``.  Written into the tab-separated text the reader reads, a NUL refused
    the whole result as "not a text file", at a line and column of that text, which are no
    row and column of the query."""
    import pyarrow.compute as pc

    def said(name: str, text: str) -> tuple[str, tuple]:
        at = text.index("\x00") + 1
        shown = text[:40].replace("\x00", "\\x00") + ("..." if len(text) > 40 else "")
        return (f"column {name!r}: '{shown}' holds a NUL byte at character {at}: "
                f"no {kinds[name]} is written so, the cell is not text",
                ("nul-cell", name, shown, 0, at, ""))

    return _set_aside_cells(
        table, kinds, lambda column: pc.match_substring(column, "\x00"), said,
        bad_rows, source, problems, column_of)


def _set_aside_float_labels(table: Any, labels: Iterable[str], bad_rows: str,
                            source: str | None, problems: list[Problem],
                            column_of: dict[str, int]) -> Any:
    """``table`` without the rows whose label is SQLite's driver giving a REAL that column
    holds among its texts (``3.000000e-01``, :data:`SQLITE_REAL_AS_TEXT`): a text no one
    wrote, which was grouped and exported as a funder's name, where ``from_columns`` refuses a
    float in a label column and a column of REALs alone is refused.  Each is a bad row at the
    query's row and the column, as such an amount is, or refused with ``bad_rows="raise"``."""
    import pyarrow.compute as pc

    def said(name: str, value: str) -> tuple[str, tuple]:
        return (f"column {name!r}: the database holds a binary float here (a REAL among "
                f"texts, which SQLite's driver gives as {value!r}): a float is no label; "
                f"store it as text, as the column's other labels",
                ("label-float-stored", name, value, 0, 0, ""))

    return _set_aside_cells(
        table, labels,
        lambda column: pc.match_substring_regex(column, SQLITE_REAL_AS_TEXT.pattern), said,
        bad_rows, source, problems, column_of)


def _set_aside_cells(table: Any, names: Iterable[str], holds: Any, said: Any, bad_rows: str,
                     source: str | None, problems: list[Problem],
                     column_of: dict[str, int]) -> Any:
    """``table`` without the rows where ``holds(column)`` marks a cell of one of ``names``:
    each such row a bad row at the query's row and its leftmost such column, worded by
    ``said(name, cell)`` as (message, reason), in the query's row order; or the first refused
    with ``bad_rows="raise"``.  A row is said once, at its leftmost such cell."""
    import pyarrow.compute as pc

    first: dict[int, str] = {}   # position in the table: the column of its first such cell
    for name in sorted(names, key=column_of.__getitem__):
        for i in pc.indices_nonzero(pc.fill_null(holds(table.column(name)), False)).to_pylist():
            first.setdefault(i, name)
    if not first:
        return table
    rows = table.column("__essconv_row")
    found = []
    for i in sorted(first, key=lambda i: rows[i].as_py()):
        name = first[i]
        message, reason = said(name, table.column(name)[i].as_py())
        found.append(Problem(rows[i].as_py() + 1, column_of[name], message, False, reason))
    if bad_rows == "raise":
        raise ParseError(found[0].message, path=source, line=found[0].line,
                         column=found[0].column, reason=found[0].reason)
    problems.extend(found)
    return _without_rows(table, first)


def _without_rows(table: Any, rows: Iterable[int]) -> Any:
    """``table`` without the rows at those indices (the query's rows set aside as bad ones)."""
    import numpy as np
    import pyarrow as pa
    kept = np.ones(len(table), dtype=bool)
    kept[list(rows)] = False
    return table.filter(pa.array(kept))


def _unwrap_extensions(table: Any) -> tuple[Any, set[str]]:
    """Columns a driver hands as extension types, as their storage: PostgreSQL's NUMERIC arrives
    as text in an opaque extension (exact digits, ``.`` as the decimal point).  Returns the
    table and the names of the columns that were NUMERIC."""
    import pyarrow as pa
    numeric = set()
    for i, field in enumerate(table.schema):
        if isinstance(field.type, pa.BaseExtensionType):
            if getattr(field.type, "type_name", "") == "numeric":
                numeric.add(field.name)
            storage = pa.chunked_array([chunk.storage for chunk in table.column(i).chunks],
                                       field.type.storage_type)
            table = table.set_column(i, pa.field(field.name, storage.type, field.nullable), storage)
    return table, numeric


def _parse_text_amounts(table: Any, amount: str, position: int, column_no: int, bad_rows: str,
                        source: str | None, problems: list[Problem], *,
                        decimal: str | None, in_euros: bool = False) -> Any:
    """Text amounts through the CSV reader's exact money parser: the row numbers and the texts
    are written as a two-column tab-separated file (by Arrow, not row by row in Python) and read
    back by the core, so a text amount means what it means in a CSV file, and an unreadable one
    is a bad row with its row number."""
    import io

    import pyarrow as pa
    import pyarrow.csv as pacsv

    from .ledger import Ledger

    # the amount keeps its name so the parser's messages name it; the row number is the result's
    row_name = "__essconv_row"
    table = _set_aside_nul_cells(table, {amount: "amount"}, bad_rows, source, problems,
                                 {amount: column_no})
    # in euros: written under a header naming no unit, not the name's own ("montant (k€)"),
    # whose unit the reader would apply; its messages then name the column by its name
    header = "__essconv_amount" if in_euros else amount
    pair = pa.table({row_name: table.column(row_name), header: table.column(amount)})
    buffer = io.BytesIO()
    pacsv.write_csv(pair, buffer, pacsv.WriteOptions(delimiter="\t", quoting_style="needed"))
    # a blank line under the header: the first row's amount is a value, never the units line
    # a file may print under its header ("k€" alone, refused as such at the body's first line)
    written = buffer.getvalue()
    cut = written.index(b"\n") + 1
    buffer = io.BytesIO(written[:cut] + b"\n" + written[cut:])

    def named(message: str) -> str:
        return message.replace(repr(header), repr(amount))
    try:
        parsed = Ledger.read_csv(buffer.getvalue(), amount=header, ints=[row_name], dims=[],
                                 delimiter="\t", encoding="utf-8", decimal=decimal,
                                 bad_rows="collect")
    except ParseError as exc:   # the whole column unreadable as one file would be
        # its reason kept, with the column its message now names, for a listing to word it
        # in its language (Language.refusal)
        raise ParseError(f"the amount column {amount!r}: {named(Exception.__str__(exc))}",
                         path=source, column=column_no,
                         reason=exc.reason[:2] + (amount, 0) if exc.reason else ()) from None
    if parsed.bad_rows:
        # the row of the query's result each bad row came from (_rows_at_lines)
        rows = pair.column(row_name)
        at = _rows_at_lines([pair.column(amount)], rows, [p.line for p in parsed.bad_rows],
                            first=3)
        unreadable = [(row + 1,) + _float_stored(amount, named(p.message), p.reason, decimal)
                      for p, row in zip(parsed.bad_rows, at)]
        if bad_rows == "raise":
            raise ParseError(unreadable[0][1], path=source, line=unreadable[0][0],
                             column=column_no, reason=unreadable[0][2])
        # the reader's reason kept: it words the row in a French listing
        problems.extend(Problem(row, column_no, message, False, reason)
                        for row, message, reason in unreadable)
    kept, cents = (pa.Array.from_buffers(pa.int64(), len(parsed),
                                         [None, pa.py_buffer(bytes(parsed.column(name)))])
                   for name in (row_name, header))
    # the rows that parsed, in order, with their amount in cents in the amount's place
    positions = _positions_of(table.column(row_name), kept)
    table = table.take(positions)
    return table.set_column(position, pa.field(amount, pa.int64(), nullable=False), cents)


#: how SQLite's driver gives a REAL value among the texts of a column (SQLite keeps each value's
#: own type: a column declared NUMERIC, or with no type, holds '1.00' beside 2.5 inserted
#: unquoted): printf's %e, a text no one wrote, which no amount reads
SQLITE_REAL_AS_TEXT = re.compile(r"^-?[0-9]\.[0-9]{6}e[+-][0-9]{2,3}$")


def _float_stored(amount: str, message: str, reason: tuple,
                  decimal: str | None) -> tuple[str, tuple]:
    """The message and reason of an unreadable text amount: the reader's own, unless the text
    is SQLite's driver giving a binary float it holds there (``2.500000e+00``), which is said
    to be one (the reader said "'e' at character 9", of a text in no row of the table).  A
    NUMERIC column's text (``decimal``: PostgreSQL's exact digits) is never one."""
    value = reason[2] if len(reason) > 2 and reason[0] == "amount" else ""
    if decimal is not None or not SQLITE_REAL_AS_TEXT.match(str(value)):
        return message, reason
    said = (f"column {amount!r}: the database holds a binary float here (a REAL among texts, "
            f"which SQLite's driver gives as {value!r}): amounts are never floats; store it as "
            f"text ('1250.50'), as the column's other amounts")
    return said, ("amount-float-stored", amount, value, 0, 0, "")


def text_amounts_in_cents(table: Any, amount: str, *, decimal: str | None = None,
                          in_euros: bool = False) -> Any:
    """``table`` (Arrow) with its text ``amount`` column read by the CSV money parser as int64
    cents (in the unit the column's name says, or euros with ``in_euros``: numbers printed by
    a tool, not an analyst's cells; ``decimal`` as :meth:`Ledger.read_csv` takes it); a text no
    amount reads, or a missing one, is refused at its row (:class:`essconv.ParseError`),
    naming the column."""
    position = table.column_names.index(amount)
    table = table.append_column("__essconv_row", row_numbers(len(table)))
    table = _parse_text_amounts(table, amount, position, position + 1, "raise", None, [],
                                decimal=decimal, in_euros=in_euros)
    return table.drop_columns(["__essconv_row"])


def _rows_at_lines(texts: list[Any], rows: Any, lines: list[int], first: int = 2) -> list[int]:
    """The query's rows (the first cells, ``rows``, of the tab-separated file written from
    ``texts``) at these lines of that file, as its reader counts them.  Line 1 is the header,
    ``first`` the first row's line (3 under a blank line);
    a row is one line, unless a cell holds line endings (a text written over several lines in
    a SQL column): it is then quoted, and the rows after it start that many lines further."""
    import pyarrow as pa
    import pyarrow.compute as pc

    breaks = None
    for text in texts:
        # a line ending as the reader counts them: CRLF once, a lone CR or LF once
        counted = pc.fill_null(pc.count_substring_regex(text, r"\r\n|\r|\n"), 0)
        breaks = counted if breaks is None else pc.add(breaks, counted)
    if breaks is None or not pc.sum(breaks).as_py():
        return [rows[line - first].as_py() for line in lines]
    import numpy as np
    extra = np.asarray(pa.chunked_array(breaks).to_numpy(), dtype=np.int64)
    starts = first + np.arange(len(extra), dtype=np.int64) + np.concatenate(
        ([0], np.cumsum(extra)[:-1]))   # the line each row starts on
    found = np.searchsorted(starts, np.asarray(lines, dtype=np.int64), side="right") - 1
    return [rows[int(i)].as_py() for i in found]


def _positions_of(row_numbers: Any, wanted: Any) -> Any:
    import pyarrow.compute as pc
    return pc.index_in(wanted, value_set=row_numbers)


# Ledger.read_sql builds its ledger with ledger_from_table: lent to the ledger module below, which
# does not import this one (essconv/__init__ imports this module, so it is lent at once)
from .ledger import lend_query_table_reader  # noqa: E402

lend_query_table_reader(ledger_from_table)
