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
  column, its type and the cast to use;
- NULL: a bad row.

Bad rows are kept aside in ``ledger.bad_rows`` (``bad_rows="collect"``, the default: a database
column's NULLs are common) or raise :class:`essconv.ParseError` (``bad_rows="raise"``); their
``line`` is the row of the result (1-based), their ``column`` the amount's position.  Writes run
in one transaction: on any error (a lost connection included) nothing is left half written and
:class:`essconv.DatabaseError` is raised.
"""
from __future__ import annotations

import contextlib
import os
from typing import Any, Iterator, Sequence

from .errors import (AmountTypeError, DatabaseError, InvalidValueError, MissingExtraError,
                     ParseError, Problem)

_POSTGRES_SCHEMES = ("postgresql://", "postgres://")


def _is_postgres(connection: Any) -> bool:
    """A URI, or an open ADBC connection whose driver says it is PostgreSQL."""
    if isinstance(connection, str):
        return connection.startswith(_POSTGRES_SCHEMES)
    try:
        vendor = connection.adbc_get_info().get("vendor_name", "")
    except Exception:   # not an ADBC connection, or a lost one: the write will say so
        return False
    return "postgres" in str(vendor).lower()


@contextlib.contextmanager
def _connected(connection: Any) -> Iterator[Any]:
    """An ADBC DB-API connection: opened here (and closed) for a URI or a path, or the caller's."""
    if not isinstance(connection, (str, os.PathLike)):
        yield connection
        return
    target = os.fspath(connection)
    try:
        if _is_postgres(target):
            import adbc_driver_postgresql.dbapi as driver
        else:
            import adbc_driver_sqlite.dbapi as driver
    except ImportError as exc:
        raise MissingExtraError("SQL needs ADBC drivers: pip install 'essconv[sql]'") from exc
    try:
        conn = driver.connect(target)
    except Exception as exc:  # the driver's own hierarchy: one essconv error for the caller
        raise DatabaseError(f"cannot connect to {_redacted(target)}: {exc}") from exc
    try:
        yield conn
    finally:
        with contextlib.suppress(Exception):   # a connection already lost cannot close cleanly
            conn.close()


def source_name(connection: Any) -> str:
    """How errors name a connection: the SQLite file, or the URI without its password."""
    if isinstance(connection, (str, os.PathLike)):
        return _redacted(os.fspath(connection))
    return "<connection>"


def _redacted(target: str) -> str:
    """A URI without its password, for messages."""
    if "://" in target and "@" in target:
        scheme, rest = target.split("://", 1)
        auth, host = rest.rsplit("@", 1)
        return f"{scheme}://{auth.split(':', 1)[0]}@{host}"
    return target


def read_table(query: str, connection: Any, params: Sequence[Any] | None = None) -> Any:
    """The query's result as a pyarrow Table (the driver's Arrow stream, read whole)."""
    with _connected(connection) as conn:
        try:
            with contextlib.closing(conn.cursor()) as cur:
                cur.execute(query, params)
                return cur.fetch_arrow_table()
        except Exception as exc:
            if isinstance(exc, (ParseError, MissingExtraError)):
                raise
            raise DatabaseError(f"the query failed ({query[:80]!r}): {exc}") from exc


def ledger_from_table(table: Any, *, amount: str, cents: bool, bad_rows: str,
                      source: str | None) -> Any:
    """A Ledger from a query's Arrow table: the amount checked and made exact, NULL or
    unreadable amounts set aside as bad rows (see the module)."""
    import pyarrow as pa
    import pyarrow.compute as pc

    from .ledger import from_arrow_located

    if bad_rows not in ("raise", "collect"):
        raise InvalidValueError("bad_rows is 'raise' or 'collect'")
    table, numeric_text = _unwrap_extensions(table)
    names = table.column_names
    if amount not in names:
        raise ParseError(f"the query returns no column {amount!r} for the amount "
                         f"(its columns: {', '.join(names)})", path=source)
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
    table = table.append_column("__essconv_row", _row_numbers(len(table)))
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
    if pa.types.is_string(kind) or pa.types.is_large_string(kind):
        table = _parse_text_amounts(table, amount, position, column_no, bad_rows, source, problems,
                                    decimal="." if amount in numeric_text else None)
        cents = True
    table = table.drop_columns(["__essconv_row"])
    problems.sort(key=lambda p: p.line)
    ledger = from_arrow_located(table, amount, cents, source)
    ledger.bad_rows = problems
    return ledger


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


def _row_numbers(n: int) -> Any:
    import pyarrow as pa
    try:
        import numpy as np
    except ImportError:  # pragma: no cover - numpy comes with pyarrow's usual installs
        return pa.array(range(n), pa.int64())
    return pa.array(np.arange(n, dtype=np.int64))


def _parse_text_amounts(table: Any, amount: str, position: int, column_no: int, bad_rows: str,
                        source: str | None, problems: list[Problem], *,
                        decimal: str | None) -> Any:
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
    pair = pa.table({row_name: table.column(row_name), amount: table.column(amount)})
    buffer = io.BytesIO()
    pacsv.write_csv(pair, buffer, pacsv.WriteOptions(delimiter="\t", quoting_style="needed"))
    try:
        parsed = Ledger.read_csv(buffer.getvalue(), amount=amount, ints=[row_name], dims=[],
                                 delimiter="\t", encoding="utf-8", decimal=decimal,
                                 bad_rows="collect")
    except ParseError as exc:   # the whole column unreadable as one file would be
        # its reason kept, with the column its message now names, for a listing to word it
        # in its language (Language.refusal)
        raise ParseError(f"the amount column {amount!r}: {Exception.__str__(exc)}",
                         path=source, column=column_no,
                         reason=exc.reason[:2] + (amount, 0) if exc.reason else ()) from None
    if parsed.bad_rows:
        # the file's line L holds pair's row L - 2 (line 1 is the header), whose first cell is
        # the row of the query's result it came from
        rows = pair.column(row_name)
        unreadable = [(rows[p.line - 2].as_py() + 1, p.message, p.reason)
                      for p in parsed.bad_rows]
        if bad_rows == "raise":
            raise ParseError(unreadable[0][1], path=source, line=unreadable[0][0],
                             column=column_no)
        # the reader's reason kept: it words the row in a French listing
        problems.extend(Problem(row, column_no, message, False, reason)
                        for row, message, reason in unreadable)
    kept, cents = (pa.Array.from_buffers(pa.int64(), len(parsed),
                                         [None, pa.py_buffer(bytes(parsed.column(name)))])
                   for name in (row_name, amount))
    # the rows that parsed, in order, with their amount in cents in the amount's place
    positions = _positions_of(table.column(row_name), kept)
    table = table.take(positions)
    return table.set_column(position, pa.field(amount, pa.int64(), nullable=False), cents)


def _positions_of(row_numbers: Any, wanted: Any) -> Any:
    import pyarrow.compute as pc
    return pc.index_in(wanted, value_set=row_numbers)


def write_table(data: Any, table_name: str, connection: Any, *, mode: str = "create") -> int:
    """Writes Arrow data (a ledger, an aggregate) as a table in one transaction; returns the rows
    written.  ``mode``: ``create`` (fails if the table exists), ``append``, ``replace``.
    PostgreSQL receives amounts as NUMERIC; SQLite, which has no exact decimal type, as TEXT
    (``1250.50``), which :func:`read_table` reads back to the cent."""
    import pyarrow as pa
    import pyarrow.compute as pc

    if mode not in ("create", "append", "replace"):
        raise InvalidValueError("mode is 'create', 'append' or 'replace'")
    table = pa.table(data)
    with _connected(connection) as conn:
        # SQLite has no exact decimal type (its drivers refuse decimal128): amounts go as text
        if not _is_postgres(conn):
            for i, field in enumerate(table.schema):
                if pa.types.is_decimal(field.type):
                    table = table.set_column(i, pa.field(field.name, pa.string(), field.nullable),
                                             pc.cast(table.column(i), pa.string()))
                elif pa.types.is_dictionary(field.type):
                    table = table.set_column(i, field.name, pc.cast(table.column(i),
                                                                    field.type.value_type))
        try:
            with contextlib.closing(conn.cursor()) as cur:
                written = cur.adbc_ingest(table_name, table, mode=mode)
            conn.commit()
        except Exception as exc:
            with contextlib.suppress(Exception):   # a lost connection has nothing to roll back
                conn.rollback()
            raise DatabaseError(f"writing the table {table_name!r} failed, nothing was written: "
                                f"{exc}") from exc
    return written if isinstance(written, int) and written >= 0 else len(table)
