"""A database connection: a query's result read as an Arrow table, and a ledger's or an
aggregate's records written back as a table in one transaction, through ADBC (see essconv.sql
for the connections taken and how a query's result becomes a ledger).

The floor below the ledger: ``Ledger.to_sql`` and ``Aggregate.to_sql`` write through
:func:`write_table`, which reads them through the Arrow PyCapsule interface only, and a Parquet
report read back sets its Total line aside with :func:`set_aside_report_totals`.  Reading a
query into a Ledger builds one, and so stands above the ledger, in essconv.sql.
"""
from __future__ import annotations

import contextlib
import os
import re
from typing import Any, Iterator, Sequence

from .errors import (ArgumentTypeError, DatabaseError, InvalidValueError, MissingExtraError,
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


def _is_sqlite(connection: Any) -> bool:
    """An open ADBC connection whose driver says it is SQLite (whose options it takes)."""
    try:
        vendor = connection.adbc_get_info().get("vendor_name", "")
    except Exception:   # not an ADBC connection, or a lost one: the query will say so
        return False
    return "sqlite" in str(vendor).lower()


@contextlib.contextmanager
def _connected(connection: Any, *, reading: bool = False) -> Iterator[Any]:
    """An ADBC DB-API connection: opened here (and closed) for a URI or a path, or the caller's.
    ``reading``: a SQLite file that is not there is refused, not created empty."""
    if not isinstance(connection, (str, os.PathLike)):
        # the standard library's sqlite3.connect(...) is what an analyst opens first: it has
        # cursors but no Arrow, and failed as "parameters are of unsupported type" mid-query
        if not (hasattr(connection, "cursor") and hasattr(connection, "adbc_get_info")):
            raise ArgumentTypeError(
                f"the connection is a {type(connection).__name__}, not an ADBC connection: "
                f"give the SQLite file's path ('grants.db'), a postgresql:// URI, or a "
                f"connection of adbc_driver_sqlite.dbapi or adbc_driver_postgresql.dbapi")
        yield connection
        return
    target = os.fspath(connection)
    if not _is_postgres(target):
        _check_sqlite_path(target, reading)
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


def _check_sqlite_path(target: str, reading: bool) -> None:
    """Refuses a SQLite path the driver would misread: a directory (its error was "failed to
    allocate memory"), and, to read from, a file that is not there, which SQLite creates as an
    empty database, the query then refused as "no such table" and the empty file left beside
    the one mistyped.  An in-memory database (``:memory:``, ``''``) and a ``file:`` URI are the
    driver's to open."""
    if target in ("", ":memory:") or target.startswith("file:"):
        return
    if os.path.isdir(target):
        raise DatabaseError(f"{target} is a directory, not a SQLite file: give the file's "
                            f"path ({os.path.join(target, 'subventions.db')})")
    if reading and not os.path.exists(target):
        raise DatabaseError(f"no SQLite file at {target}: check the path (nothing was created "
                            f"there; to_sql creates a database)")


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


#: SQLite's driver types each column on the result's first batch of rows (1 024 by default):
#: a column NULL in all of them (an idRAE left blank in the first records) is typed int64, and
#: its first text later failed the whole query ("Type mismatch"); and a REAL among a column's
#: texts came as printf's %e ('2.500000e+00', which the readers set aside as a float) in the
#: first batch but as its shortest digits ('2.5', read as 2,50 €) after it.  A SQLite query is
#: read as one batch, typed on every row (a column of ints and texts is then text), so that a
#: value reads the same wherever its row stands (as fast: 0.41 s against 0.40-0.49 s for
#: 500 000 rows of four columns).  The batch asked is :data:`_SQLITE_BATCH` rows, not the
#: driver's bound (2**31 - 2): the driver reserves room for a whole batch, and at that bound
#: each query asked for 86 GB of address space (refused where the system does not overcommit;
#: 32 s a query under ASan, which marks it all).  A result past it is read again as one batch
#: of exactly its rows (:func:`_sqlite_one_batch`), never as several batches.
_SQLITE_BATCH_ROWS = "adbc.sqlite.query.batch_rows"
_SQLITE_BATCH = 2**20


def read_table(query: str, connection: Any, params: Sequence[Any] | None = None) -> Any:
    """The query's result as a pyarrow Table (the driver's Arrow stream, read whole)."""
    if params is not None and not isinstance(params, (list, tuple)):
        # ADBC binds by position: a dict's names met "could not find parameter `b`" from the
        # driver, a str bound one character a marker, and a set in no order
        raise ArgumentTypeError(
            f"params are the query's values in the order of its markers (? or $1), a list or "
            f"a tuple: ADBC binds no names; not {type(params).__name__} {params!r:.60}")
    with _connected(connection, reading=True) as conn:
        try:
            table = (_sqlite_one_batch(conn, query, params) if _is_sqlite(conn)
                     else _fetched(conn, query, params))
            if (len(table) == 0 or _null_columns(table)) and not _is_postgres(conn):
                # a view holds no parameter: its types are read from the query with each one
                # NULL, which changes which rows, never a column's declared type
                table = _sqlite_declared_types(
                    conn, _parameters_as_null(query) if params else query, table)
            return table
        except Exception as exc:
            if isinstance(exc, (ParseError, MissingExtraError)):
                raise
            raise DatabaseError(f"the query failed ({query[:80]!r}): {exc}") from exc


#: what SQLite's tokenizer reads in a query: a string literal, a quoted name ("", [], ``), a
#: comment, a bare word (which may hold '$': "a$b"), a number -- passed as they are -- or a
#: parameter (?, ?1, :name, @name, $name), the one group taken
_SQL_TOKEN = re.compile(r"""'(?:[^']|'')*'?|"(?:[^"]|"")*"?|`(?:[^`]|``)*`?|\[[^\]]*\]?"""
                        r"|--[^\n]*|/\*.*?(?:\*/|\Z)|[0-9.][0-9A-Za-z_.]*"
                        r"|[^\W\d][\w$]*|(\?[0-9]*|[:@$][\w$]+(?:::[\w$]+)*(?:\([^)]*\))?)",
                        re.S)


def _parameters_as_null(query: str) -> str:
    """``query`` with each of its parameters written NULL, and nothing else changed: a ``?``
    inside a text ('?'), a quoted name or a comment is no parameter."""
    return _SQL_TOKEN.sub(lambda m: "NULL" if m.group(1) is not None else m.group(0), query)


def _sqlite_declared_kind(declared: str) -> Any:
    """The Arrow type SQLite's driver gives the values of a column declared so (SQLite's
    affinity rules, https://sqlite.org/datatype3.html): INTEGER an int64, TEXT and VARCHAR text,
    REAL a float; NUMERIC, DECIMAL and DATE text, as such a column's dates and printed amounts
    are kept; None when nothing is declared (an expression, a column with no type)."""
    import pyarrow as pa
    said = declared.upper()
    if "INT" in said or "BOOL" in said:
        return pa.int64()
    if "CHAR" in said or "CLOB" in said or "TEXT" in said:
        return pa.string()
    if not said or "BLOB" in said:
        return None
    if "REAL" in said or "FLOA" in said or "DOUB" in said:
        return pa.float64()
    return pa.string()


def _sqlite_declared_types(conn: Any, query: str, table: Any) -> Any:
    """A SQLite query's result of no row, each column typed as its declared type says its
    values are: the driver types a column on its values, and with none gave every column as
    int64, a funder an int column where the same query with rows gives labels.  A result with
    rows has its columns of NULLs alone typed so when their declared type is text.  The types are
    read from a temporary view of the query (dropped at once; nothing else is written), its
    parameters written NULL (:func:`_parameters_as_null`); a query no view holds (not a
    SELECT) keeps the driver's types."""
    import secrets

    import pyarrow as pa
    view = f"essconv_types_{secrets.token_hex(8)}"
    try:
        with contextlib.closing(conn.cursor()) as cur:
            cur.execute(f"CREATE TEMP VIEW {view} AS {query.strip().rstrip(';')}")
            try:
                cur.execute(f"PRAGMA temp.table_info({view})")
                declared = [row[2] or "" for row in cur.fetchall()]
            finally:
                cur.execute(f"DROP VIEW IF EXISTS temp.{view}")
    except Exception:   # the driver's error: the query was read, its types are the driver's
        return table
    if len(declared) != table.num_columns:
        return table
    if len(table):
        # rows: only a column of NULLs alone is the driver's int64 guess; it takes its declared
        # type when that is text (a TEXT column of no value is labels all missing, as a blank
        # CSV column: a ledger written with one read back with an int column).  An INTEGER
        # one is that already; a REAL one holding no float is no float column to refuse
        for i in _null_columns(table):
            if _sqlite_declared_kind(declared[i]) == pa.string():
                name = table.schema.field(i).name
                table = table.set_column(i, pa.field(name, pa.string()),
                                         pa.nulls(len(table), pa.string()))
        return table
    fields = []
    for field, said in zip(table.schema, declared):
        kind = _sqlite_declared_kind(said)
        fields.append(field if kind is None else pa.field(field.name, kind))
    schema = pa.schema(fields)
    return pa.table([pa.array([], f.type) for f in fields], schema=schema)


def _null_columns(table: Any) -> list[int]:
    """The positions of the columns SQLite's driver typed int64 for holding NULL alone (it
    types a column on its values)."""
    import pyarrow as pa
    return [i for i, field in enumerate(table.schema)
            if pa.types.is_int64(field.type) and len(table)
            and table.column(i).null_count == len(table)]


def _fetched(conn: Any, query: str, params: Sequence[Any] | None) -> Any:
    with contextlib.closing(conn.cursor()) as cur:
        cur.execute(query, params)
        return cur.fetch_arrow_table()


def _sqlite_one_batch(conn: Any, query: str, params: Sequence[Any] | None) -> Any:
    """A SQLite query's result read as one batch, typed on all its rows, however many.

    Past :data:`_SQLITE_BATCH` rows the driver gave several batches, each later one held to the
    types of the first: a REAL among texts after row 1 048 576 came as '2.5' (read as 2,50 €,
    where the same REAL in a smaller result is '2.500000e+00', a bad row), and a text or a REAL
    under a column of ints in the first batch failed the whole query ("Type mismatch") where a
    smaller result read it as text.  A result of more rows is counted and read again with a
    batch of exactly that many rows (the query run twice, only past that size): the room the
    driver reserves is then the result's own, never its bound's.  What must stay true: the
    table returned is one batch, so every row of a column is typed by one rule, the one a
    result of a few rows is read by."""
    import pyarrow as pa
    bound = _SQLITE_BATCH
    for _ in range(4):   # a result that grew between its count and its read is counted again
        with contextlib.closing(conn.cursor()) as cur:
            cur.adbc_statement.set_options(**{_SQLITE_BATCH_ROWS: str(bound)})
            cur.execute(query, params)
            reader = cur.fetch_record_batch()
            first = next(reader, None)
            # the driver fills a batch before it starts another: one not full is the last; a
            # full one is followed by more rows, or by their "Type mismatch" (left unread)
            if first is None or len(first) < bound:
                return pa.Table.from_batches([] if first is None else [first], reader.schema)
            try:
                more = next(reader, None) is not None
            except Exception:   # a later row's type refused: there are more rows
                more = True
            if not more:
                return pa.Table.from_batches([first], reader.schema)
        bound = max(_sqlite_rows(conn, query, params) or 4 * bound, bound + 1)
    raise DatabaseError(f"the query's result kept growing while it was read ({query[:80]!r}): "
                        f"past {_SQLITE_BATCH} rows a result is counted, then read as one batch; "
                        f"read it again")


def _sqlite_rows(conn: Any, query: str, params: Sequence[Any] | None) -> int:
    """How many rows a SQLite query returns, counted by SQLite (no value converted), or 0 when
    the query cannot be counted as a subquery (then the caller grows its batch instead)."""
    try:
        with contextlib.closing(conn.cursor()) as cur:
            # on lines of its own: a comment ending the query does not hide the parenthesis
            cur.execute(f"SELECT count(*) FROM (\n{query.strip().rstrip(';')}\n)", params)
            return int(cur.fetchone()[0])
    except Exception:   # the driver's error: the read itself will say what is wrong
        return 0


#: the column an aggregate's report writes to tell its lines apart (Aggregate.line_kinds):
#: "group", "others" (the groups a top leaves out) or "total" (the sum of the other lines)
REPORT_LINE = "report_line"

def set_aside_report_totals(table: Any, amount: str, bad_rows: str, source: str | None,
                             problems: list[Problem]) -> Any:
    """The Total line of a report written back (``with_total()``: ``report_line`` 'total')
    set aside as a bad row, or refused with ``bad_rows="raise"``: it is the sum of the lines
    above it, and read as a record every total of the ledger counted them twice, as a CSV
    file's total row would (it is set aside there too).  An "others" line stays: it is the
    sum of groups no other line holds."""
    import pyarrow as pa
    import pyarrow.compute as pc

    names = table.column_names
    if REPORT_LINE not in names or REPORT_LINE == amount:
        return table
    said = table.column(REPORT_LINE)
    if pa.types.is_dictionary(said.type):
        said = said.cast(said.type.value_type)
    if not (pa.types.is_string(said.type) or pa.types.is_large_string(said.type)):
        return table
    is_total = pc.fill_null(pc.equal(said, "total"), False)
    found = pc.indices_nonzero(is_total).to_pylist()
    if not found:
        return table
    column_no = names.index(REPORT_LINE) + 1
    rows = table.column("__essconv_row")
    amounts = table.column(amount)
    for i in found:
        report_total_said(amount, amounts[i].as_py(), rows[i].as_py() + 1, column_no,
                          bad_rows, source, problems)
    return table.filter(pc.invert(is_total))


def report_total_said(amount: str, value: Any, line: int, column_no: int, bad_rows: str,
                      source: str | None, problems: list[Problem]) -> None:
    """A report's Total line found at ``line`` (its ``report_line`` at ``column_no``): refused
    with ``bad_rows="raise"``, else added to ``problems``.  The one wording of that bad row,
    whichever way the table came (Parquet, SQL, Arrow data, Python columns)."""
    message = (f"the row is a report's Total line ({REPORT_LINE} 'total'): its {amount} "
               f"{value} is the sum of the other lines, not a record, and read as one every "
               f"total counts them twice; select the lines WHERE {REPORT_LINE} <> 'total'")
    if bad_rows == "raise":
        raise ParseError(message, path=source, line=line, column=column_no,
                         reason=("report-total", REPORT_LINE, "total", 0, 0, str(value)))
    # the reason words it in a French listing (messages.py), as the reader's bad rows are
    problems.append(Problem(line, column_no, message, False,
                            ("report-total", REPORT_LINE, "total", 0, 0, str(value))))


def row_numbers(n: int) -> Any:
    import pyarrow as pa
    try:
        import numpy as np
    except ImportError:  # pragma: no cover - numpy comes with pyarrow's usual installs
        return pa.array(range(n), pa.int64())
    return pa.array(np.arange(n, dtype=np.int64))


def write_table(data: Any, table_name: str, connection: Any, *, mode: str = "create") -> int:
    """Writes Arrow data (a ledger, an aggregate) as a table in one transaction; returns the rows
    written.  ``mode``: ``create`` (fails if the table exists), ``append``, ``replace``.
    PostgreSQL receives amounts as NUMERIC; SQLite, which has no exact decimal type, as TEXT
    (``1250.50``), which :func:`read_table` reads back to the cent; appending to a SQLite
    table whose column would turn that text into a number (declared DECIMAL, NUMERIC, REAL,
    INTEGER...) is refused, as is a label into such a column: nothing is written."""
    import pyarrow as pa
    import pyarrow.compute as pc

    if mode not in ("create", "append", "replace"):
        raise InvalidValueError("mode is 'create', 'append' or 'replace'")
    _check_table_name(table_name)
    table = pa.table(data)
    with _connected(connection) as conn:
        # SQLite has no exact decimal type (its drivers refuse decimal128): amounts go as text
        if not _is_postgres(conn):
            if mode == "create":
                _refuse_existing(conn, table_name)
            if mode == "append":
                _refuse_converting_columns(conn, table_name, table.schema)
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
            if mode == "create" and "already exists" in str(exc):   # PostgreSQL's relation
                raise DatabaseError(_exists_said(table_name, "table")) from exc
            raise DatabaseError(f"writing the table {table_name!r} failed, nothing was written: "
                                f"{exc}") from exc
    return written if isinstance(written, int) and written >= 0 else len(table)


def _check_table_name(table_name: Any) -> None:
    """Refuses a table name no write should go to, before the connection is opened: one that
    is no text, one of blanks alone, one holding a NUL.  The driver quotes any name (a space, a
    quote, a keyword is kept as it is), but SQLite reads a name up to its NUL: 'a\\x00b' wrote
    the table 'a', and with mode='replace' dropped it first, another table's rows lost."""
    if not isinstance(table_name, str):
        raise ArgumentTypeError(f"the table name is a text ('subventions'), not a "
                                f"{type(table_name).__name__} ({table_name!r})")
    if not table_name.strip():
        raise InvalidValueError(f"the table name {table_name!r} is empty: name the table "
                                f"to write ('subventions')")
    if "\x00" in table_name:
        raise InvalidValueError(f"the table name {table_name!r} holds a NUL byte (character "
                                f"{table_name.index(chr(0)) + 1}): SQLite would cut the name "
                                f"there and write another table; nothing was written")


def _exists_said(table_name: str, kind: str) -> str:
    """The refusal of mode='create' over a table or a view of that name, saying what to ask
    for instead (the driver's own said neither, and quoted its whole CREATE TABLE)."""
    if kind == "table":
        return (f"the table {table_name!r} already exists, nothing was written: "
                f"mode='replace' replaces it with these records, mode='append' adds them to it")
    return (f"the table {table_name!r} already exists as a {kind}, nothing was written: "
            f"a {kind} is no table essconv writes to; write to another name")


def _refuse_existing(conn: Any, table_name: str) -> None:
    """Refuses mode='create' where SQLite already holds a table or a view of that name, as
    SQLite compares names: without regard to ASCII case."""
    try:
        with contextlib.closing(conn.cursor()) as cur:
            cur.execute("SELECT type FROM sqlite_master WHERE lower(name) = lower(?) "
                        "AND type IN ('table', 'view')", (table_name,))
            found = cur.fetchall()
    except Exception:   # the write says what is wrong with the connection
        return
    if found:
        raise DatabaseError(_exists_said(table_name, found[0][0]))


def _sqlite_affinity(declared: str) -> str:
    """The affinity SQLite gives a column of that declared type (the rules of its "Datatypes"
    page, in their order): INTEGER, TEXT, BLOB, REAL or NUMERIC."""
    said = declared.upper()
    if "INT" in said:
        return "INTEGER"
    if any(word in said for word in ("CHAR", "CLOB", "TEXT")):
        return "TEXT"
    if "BLOB" in said or not said.strip():
        return "BLOB"
    if any(word in said for word in ("REAL", "FLOA", "DOUB")):
        return "REAL"
    return "NUMERIC"


def _refuse_converting_columns(conn: Any, table_name: str, schema: Any) -> None:
    """Refuses appending text that the existing SQLite table would convert: an amount (written
    as ``1250.50``) into a column SQLite stores as numbers (declared DECIMAL(14,2), NUMERIC,
    REAL, INTEGER...) would be kept as the binary float 1250.5, and a label into such a column
    would lose what makes it a label ('01' kept as 1).  Nothing is written."""
    import pyarrow as pa

    quoted = '"' + table_name.replace('"', '""') + '"'
    try:
        with contextlib.closing(conn.cursor()) as cur:
            cur.execute(f"PRAGMA table_info({quoted})")
            declared = {row[1]: row[2] or "" for row in cur.fetchall()}
    except Exception:   # the write says what is wrong with the table or the connection
        return
    for field in schema:
        kind = field.type.value_type if pa.types.is_dictionary(field.type) else field.type
        if pa.types.is_decimal(kind):
            what = "amounts"
        elif pa.types.is_string(kind) or pa.types.is_large_string(kind):
            what = "labels"
        else:
            continue
        affinity = _sqlite_affinity(declared.get(field.name, "TEXT"))
        if affinity in ("TEXT", "BLOB"):
            continue
        harm = ("the amount 1250.50 as the binary float 1250.5 (amounts are never floats)"
                if what == "amounts" else "the label '01' as the number 1")
        raise DatabaseError(
            f"writing the table {table_name!r} failed, nothing was written: its column "
            f"{field.name!r} is declared {declared[field.name]!r}, where SQLite would store "
            f"{harm}; {what} go to a TEXT column (mode='create' makes one)")
