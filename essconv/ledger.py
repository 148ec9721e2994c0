"""The ledger: millions of financing records, held in C, grouped exactly and fast.

    >>> import io, essconv
    >>> data = "annee;financeur;montant\\n2009;CDC;1 250,50\\n2009;CR;300\\n2010;CDC;99,50\\n"
    >>> ledger = essconv.Ledger.read_csv(io.BytesIO(data.encode()), amount="montant",
    ...                                  ints=["annee"])
    >>> len(ledger), ledger.total()
    (3, Decimal('1650'))
    >>> ledger.group_by("financeur").sum().to_dict()
    {'CDC': Decimal('1350'), 'CR': Decimal('300')}

Label columns are dictionary-encoded (int32 codes), integers int64, dates int32 days, amounts
int64 cents.  Results leave through the buffer protocol, the Arrow PyCapsule interface
(``pyarrow.table(ledger)``, ``polars.from_arrow``, duckdb -- amounts as decimal128) or
``to_pandas()``; Decimal objects only for single values and small dicts.
"""
from __future__ import annotations

import contextlib
import datetime as _dt
import os
import re
import sys
import threading
from array import array
from types import MappingProxyType
from decimal import Decimal
from typing import Any, Callable, Iterable, Mapping, NoReturn, Sequence

import essconv._core as _core
from .errors import (AmountError, AmountTypeError, ArgumentTypeError, ConditionError, Error,
                     close_name,
                     InvalidValueError, MissingExtraError, MoneyOverflowError, ParseError, ProducerError,
                     BadRow, Problem, ShareError, UnknownColumnError, names_listed, names_said,
                     refuse_lone_surrogate)
from .files import (ENCODINGS, CheckedReads, checked_delimiter, checked_target, bytes_in_place,
                    name_of, open_packed, plain_file_at_start, read_in_blocks, read_opened_in_blocks, read_source,
                    seekable_stream, warn_if_file_mixed, warn_if_mixed)
from .conditions import (Condition, DateDimension, Labels, as_condition, is_condition,
                         refuse_backward_range, refuse_label_pair,
                         refuse_numbers_spelt_otherwise, refuse_twin_spellings, without_accents)
from .money import (PERCENT_CONTEXT, from_cents, given_cents, to_cents,
                    total_for_repr)
from .keys import refuse_mixed_key_kinds
from .plan import PIVOT_MISSING_TEXT, Plan

KIND_NAMES = {_core.COL_LABEL: "label", _core.COL_INT: "int", _core.COL_DATE: "date",
              _core.COL_AMOUNT: "amount"}
_EPOCH = _dt.date(1970, 1, 1)
# how many labels a filter names that no row holds are each said with their close labels; the
# rest are counted in one warning (a close-label search scans the column's labels)
UNKNOWN_LABELS_SAID = 5
# what Ledger.to_pandas makes of amounts: Decimal objects, Arrow's decimal128, int64 cents
_PANDAS_AMOUNTS = ("decimal", "arrow", "cents")



from .messages import SHORT_ROW_HINT, short_rows_blank_said   # noqa: E402  (worded with the other messages)

def _short_row_hint(message: str, reason: tuple) -> str:
    """A bad row's message (the reader's), with the likely cause and the remedy when the row
    is short of the header's cells: told by its reason's counts (``("field-count", "", "",
    fields, header's fields, ...)``), never by the English message's words."""
    if reason[:1] == ("field-count",) and len(reason) > 4 and reason[3] < reason[4]:
        return message + SHORT_ROW_HINT
    return message
#: read_csv's date_order, as the core's orders of 04/05/2017: day first or month first
DATE_ORDERS = {"dmy": "d", "mdy": "m"}


class _Progress:
    """Adapts ``progress``: True (a tqdm bar when tqdm is installed), or a callable(done, total)."""

    def __init__(self, progress: Any, name: str | None) -> None:
        self.bar = None
        self.callback = None
        if callable(progress):
            self.callback = progress
        elif progress:
            try:
                from tqdm import tqdm
            except ImportError:
                self.callback = None
            else:
                self.bar = tqdm(unit="B", unit_scale=True, desc=name or "reading")

    def __call__(self, done: int, total: int) -> None:
        if self.bar is not None:
            self.bar.total = total or None   # 0: a stream of unknown size (a gzip file)
            self.bar.update(done - self.bar.n)
        elif self.callback is not None:
            self.callback(done, total)

    def close(self) -> None:
        if self.bar is not None:
            self.bar.update(self.bar.total - self.bar.n if self.bar.total else 0)
            self.bar.close()

    @property
    def active(self) -> bool:
        return self.bar is not None or self.callback is not None


class _Selection:
    """The rows a filter kept, counted and summed but not yet copied: the source's core, the
    conditions and the scope they were taken over (the rows and labels it held then), so that
    the copy made later is the one that would have been made then."""

    def __init__(self, source: Any, conditions: list, scope: tuple, count: int,
                 cents: int | None) -> None:
        self.source, self.conditions, self.scope = source, conditions, scope
        self.count = count
        self.cents = cents   # None: the sum does not fit int64 cents
        self.lock = threading.Lock()   # one copy, whichever thread asks first
        self.core: Any = None

    def gather(self, ledger: "Ledger") -> None:
        with self.lock:
            if self.core is None:
                self.core = self.source.filter(self.conditions, self.scope)
                self.source = None   # the source's columns may go
        ledger._held_core = self.core   # before the selection is dropped: never seen unset
        ledger._selection = None


class Ledger:
    """Financing records in columns held by the C core.

    Example: ``essconv.Ledger.read_csv("grants.csv", amount="montant").total()``
    """

    #: a filter's rows not copied yet (see filter); None once they are, or for any other ledger
    _selection: "_Selection | None" = None
    #: "from_columns" for a ledger built so (and its filters): a message's remedy names the
    #: call that built it (from_columns(..., dates=...), never read_csv's); None otherwise
    built_by: str | None = None

    def __init__(self, core: Any, *, path: str | None = None,
                 bad_rows: Iterable[Problem] = ()) -> None:
        self._core = core
        self.path = path
        #: rows that could not be read, kept aside with their place (``bad_rows="collect"``)
        self.bad_rows: list[Problem] = list(bad_rows)
        cols = core.columns
        self._names = [n for n, _ in cols]
        self._kinds = [k for _, k in cols]
        self._index = {n: i for i, n in enumerate(self._names)}
        self._amount = next((i for i, k in enumerate(self._kinds) if k == _core.COL_AMOUNT), None)

    @property
    def _core(self) -> Any:
        """The core's ledger; a filter's result copies its rows here, the first time it is
        asked for anything but its length and total."""
        selection = self._selection
        if selection is not None:
            selection.gather(self)
        return self._held_core

    @_core.setter
    def _core(self, core: Any) -> None:
        self._held_core = core

    def _date_orders_code(self) -> str:
        """The core's date_orders ('d', 'm' or '-' a column), a filter's rows not copied for it:
        they are its source's columns, read in their orders."""
        selection = self._selection
        source = selection.source if selection is not None else None
        return (source if source is not None else self._core).date_orders

    def _date_order(self, i: int) -> str:
        return self._date_orders_code()[i] if self._kinds[i] == _core.COL_DATE else "-"

    @property
    def date_orders(self) -> dict[str, str]:
        """The order each date column's ``08/09/2017`` were read in: ``"dmy"`` (day first, as
        French files write them), ``"mdy"`` (month first), or ``"unknown"`` when it was never
        decided (a column of ISO dates, a ledger built from Python or Arrow columns).  A
        filter's ``04/03/2017`` on that column is read in that order, and refused, naming both
        readings, when it is unknown.

        Example: ``Ledger.read_csv("subventions.csv", amount="montant", dates=["date"]).date_orders``
        -> ``{'date': 'dmy'}``"""
        codes = self._date_orders_code()
        return {n: DATE_ORDER_NAMES[codes[i]] for i, n in enumerate(self._names)
                if self._kinds[i] == _core.COL_DATE}

    @classmethod
    def _selected(cls, source: "Ledger", selection: "_Selection") -> "Ledger":
        result = cls.__new__(cls)
        result.path = source.path
        result.built_by = source.built_by
        result.bad_rows = []
        result._names, result._kinds = list(source._names), list(source._kinds)
        result._index, result._amount = dict(source._index), source._amount
        result._selection = selection
        return result

    # ------------------------------------------------------------------ building
    @classmethod
    def read_csv(cls, source: Any, *, amount: str, dims: Sequence[str] | None = None,
                 dates: Sequence[str] = (), ints: Sequence[str] = (), delimiter: str | None = None,
                 encoding: str | None = None, decimal: str | None = None,
                 progress: bool | Callable[[int, int], Any] | None = None,
                 bad_rows: str = "raise", rename: Mapping[str, str] | None = None,
                 threads: int = 2, dash_is_zero: bool = False,
                 date_order: str | None = None, short_rows: str = "aside") -> "Ledger":
        """Read a delimited file in C with the GIL released.

        ``amount`` names the amount column (French or English amounts as the money parser reads
        them); ``dims`` the label columns to keep (None: every other column); ``dates`` and
        ``ints`` columns typed as such.  Delimiter, encoding and decimal separator are detected
        when not given; a ``decimal`` given is the only decimal mark (with ``decimal=","`` a
        point only groups thousands: ``1.234`` is 1 234 €, ``1.23`` a bad row).  A bad row raises :class:`essconv.ParseError` naming file, line and
        column; ``bad_rows="collect"`` keeps them aside in ``ledger.bad_rows`` instead.  Blank
        rows are skipped and counted (``ledger.blank_rows``).  ``progress=True`` shows a tqdm
        bar when tqdm is installed; a callable receives (bytes done, bytes in all): of the
        compressed file for a path naming one, the second 0 for a stream given decompressed
        (``gzip.open(path)``), whose size is not known.  ``rename`` maps a header's names to
        the names the ledger should use.  A large file (quoted or not) is parsed in chunks on
        ``threads`` threads (the result is the same).  ``dash_is_zero=True`` reads an amount
        printed "-", "–" or "—" alone as 0, as Excel's accounting format prints a zero (by
        default such a cell is a bad row: a dash may also stand for "not known").
        ``date_order`` says how ``04/05/2017`` reads: ``"dmy"`` (4 May) or ``"mdy"`` (5 April);
        by default each date column decides on its own values, as the decimal mark is decided
        on the amounts: month first when one of them can only be so (``03/25/2017``), else day
        first, the French way; a column holding both ``25/03/2017`` and ``03/25/2017`` raises
        ParseError naming one of each.  A value the order given cannot read (``03/25/2017``
        with ``"dmy"``) is a bad row at its line and column.  ISO dates (``2017-05-04``) read
        one way whatever the order.  A time after a date is its day, except a time in UTC
        (``2019-12-31T23:00:00.000Z``, ``+00:00``: a day kept at midnight in Paris exported
        by JavaScript or a JSON API), whose day is the day in Paris (1 January 2020).  A row with fewer cells than the header is a bad row
        (``short_rows="aside"``, the default): its cells may have shifted.  Excel writes such
        rows when a row's last cells are blank (no delimiter for them past a sheet's 16th
        line); ``short_rows="blank"`` reads every short row with its missing last cells blank,
        when you know the file is so (a row then missing its amount is still a bad row), and
        says how many rows it read so, and the first, by one :class:`essconv.ShortRowsWarning`.
        The unit of bare amounts is said once, in the amount's header (``"montant (k€)"``,
        ``"montant_keur"``, or glued in camel case: ``"MontantKEuros"``, or in one case after
        an amount word: ``"MONTANTKEUR"``, ``"SUBVENTIONM€"``, and after an amount word and its
        qualifier: ``"MONTANTHTKEUR"``, ``"TOTALSUBVKEUR"``), else euros.  A header ending in a
        unit glued to another word (``"JOCKEUR"``, ``"HUMEUR"``: the unit, or the word's own
        letters?) raises ParseError at its cell, as one naming a unit not read does
        (``"montant (KE)"``, ``"montant (ME)"``, ``"montant (000 €)"``): say the unit apart
        (``"montant (k€)"``, ``"montant (€)"``).  A unit printed on the line under the header
        (``"Montant"`` above ``"(k€)"``, a header on two rows) raises ParseError at that cell,
        ``bad_rows="collect"`` too: its amounts would be read as euros.  A column naming a row's unit (``unité``, ``unite``, ``unit``, ``devise``)
        is checked, not honoured: a row whose cell there names another unit than that one
        (``k€`` beside ``montant``, ``€`` beside ``montant (k€)``) is a bad row at that cell,
        its amount 1000 times off otherwise; a cell naming none (``DRH``) or the same passes.
        A cell there naming another currency than the euro (``USD``, ``$``, ``£``, ``CHF``,
        ``F CFP``) is a bad row at that cell too: amounts are euros, no rate is guessed.
        An amount header saying another currency as its unit (``"montant (USD)"``,
        ``"montant en $"``, ``"Montant en dollars"``: a currency in brackets or after « en » /
        "in") raises ParseError at the header's cell; a name holding a code (``"Total CHF"``,
        a funder ``"CAF"``) reads as before.

        ``source`` is a path, bytes, or a file object.  A path, ``open(path, "rb")`` and any
        seekable binary stream (``gzip.open(path)``, a zip member) are read in blocks as they
        are parsed, so that only the blocks in flight are held besides the ledger: a gzip file
        is decompressed on a thread of its own while the others parse and merge.  A path named
        ``.gz``, ``.bz2``, ``.xz`` or ``.zip`` (of one file) whose bytes are such a file is
        read decompressed.  A stream is read from where it stands and left at its end.  A
        ``BytesIO`` is read in place; text mode, pipes and sockets are read whole first.  A
        text-mode file object has decoded its text itself (``open(path, encoding="cp1252")``):
        ``encoding`` is then not applied a second time.
        """
        if bad_rows not in ("raise", "collect"):
            raise InvalidValueError("bad_rows is 'raise' or 'collect'")
        if short_rows not in ("aside", "blank"):
            raise InvalidValueError(f"short_rows is 'aside' (a row short of cells is a bad row) "
                                    f"or 'blank' (its missing last cells are blank), not "
                                    f"{short_rows!r}")
        rename = dict(rename or {})
        for argument, names in (("amount", [amount]), ("dates", dates), ("ints", ints),
                                ("dims", dims or ())):
            for name in names:
                refuse_lone_surrogate(name, argument)
        wanted = [amount] + list(dates) + list(ints)
        kinds = ([_core.COL_AMOUNT] + [_core.COL_DATE] * len(dates) + [_core.COL_INT] * len(ints))
        if dims is not None:
            wanted += [d for d in dims if d not in wanted]
            kinds += [_core.COL_LABEL] * (len(wanted) - len(kinds))
        enc = ENCODINGS.get((encoding or "auto").lower())
        if enc is None:
            raise InvalidValueError(f"unknown encoding {encoding!r}")
        path = os.fspath(source) if isinstance(source, (str, os.PathLike)) else None
        bar = _Progress(progress, path)
        kwargs: dict[str, Any] = {"encoding": enc, "collect_bad": bad_rows == "collect",
                                  "all_columns": dims is None, "threads": threads,
                                  "dash_is_zero": bool(dash_is_zero),
                                  "short_rows_blank": short_rows == "blank"}
        delimiter = checked_delimiter(delimiter)
        if delimiter:
            kwargs["delimiter"] = delimiter
        if decimal:
            kwargs["decimal"] = decimal
        if date_order is not None:
            if date_order not in DATE_ORDERS:
                raise InvalidValueError(f"date_order is 'dmy' (day first) or 'mdy' (month "
                                        f"first), not {date_order!r}")
            kwargs["date_order"] = DATE_ORDERS[date_order]
        if bar.active:
            kwargs["progress"] = bar
        taken: list[Any] = []   # the bytes read in memory, if any (a pipe is read once): for
                                # the warning

        def from_bytes(data: Any) -> tuple:
            taken.append(data)
            return _core.Ledger.read_csv(data, wanted, kinds, **kwargs)

        def from_fd(fd: int, size: int) -> tuple:
            return _core.Ledger.read_csv_fd(fd, size, wanted, kinds, **kwargs)

        # A file object is read in place when it can be: a plain file by its descriptor, any
        # other seekable binary stream (gzip, zip) by the core in blocks, a BytesIO's buffer
        # without a copy; only text mode, pipes and sockets are read whole by Python first.
        # A path naming a compressed file (grants.csv.gz) is opened as such a stream.
        opened = plain_file_at_start(source) if path is None else None
        stream = seekable_stream(source) if path is None and opened is None else None
        in_place = bytes_in_place(source) if path is None else None
        try:
            with contextlib.ExitStack() as closing:
                packed = closing.enter_context(open_packed(path)) if path is not None else None
                if packed is not None:
                    stream = packed.stream
                    if bar.active:   # how far into the compressed file: a total is known
                        kwargs["progress"] = lambda done, total: bar(packed.file.tell(),
                                                                     packed.size)
                elif stream is not None:
                    path = name_of(stream)
                if stream is not None:   # read on a thread of its own as the others parse
                    start = stream.tell()
                    core, bad, _ = _core.Ledger.read_csv_stream(CheckedReads(stream), wanted,
                                                                 kinds, **kwargs)
                    # left at its end, as stream.read() leaves it: the pass that made the
                    # result read to the end (a gzip file cannot seek from its end)
                elif path is not None:   # read by the core in blocks: never held whole
                    core, bad = read_in_blocks(path, from_fd, from_bytes)
                elif opened is not None:   # open(path, "rb"): the same, by its descriptor
                    path = name_of(opened)
                    core, bad = read_opened_in_blocks(opened, path, from_fd, from_bytes)
                    opened.seek(0, os.SEEK_END)   # read to its end, as fh.read() leaves it
                elif in_place is not None:   # a BytesIO: its own buffer
                    core, bad = from_bytes(in_place)
                else:
                    data, path, was_text = read_source(source)
                    if was_text:   # decoded by the file object, handed over as UTF-8: the
                        kwargs["encoding"] = _core.ENC_UTF8   # encoding asked is its, done
                    core, bad = from_bytes(data)
                if core.encoding == "utf-8 + cp1252":   # decided on the whole file: say where
                    if taken:
                        warn_if_mixed(taken[-1], path)
                    elif opened is not None:   # read again in pieces, never held whole
                        opened.seek(0)
                        warn_if_file_mixed(opened, path)
                    elif stream is not None:   # the same, from where the read began
                        stream.seek(start)
                        warn_if_file_mixed(stream, path)
                    else:
                        with open(path, "rb") as fh:
                            warn_if_file_mixed(fh, path)
        except (ParseError, MoneyOverflowError) as exc:
            raise exc.restated(_short_row_hint(Exception.__str__(exc),
                                               getattr(exc, "reason", ())),
                               path=path or exc.path, line=getattr(exc, "line", 0),
                               column=getattr(exc, "column", 0),
                               reason=getattr(exc, "reason", ())) from None
        finally:
            bar.close()
            taken.clear()
            if in_place is not None:   # left at its end, as read() leaves it, read or not
                in_place.release()   # the BytesIO may grow again
                source.seek(0, os.SEEK_END)
        for i, (name, _) in enumerate(core.columns):
            if rename.get(name, name) != name:
                core.rename(i, rename[name])
        filled, first = core.short_filled
        if filled:   # nothing dropped, but cells the file did not have were read blank: said
            from .errors import ShortRowsWarning, give_warning
            give_warning(ShortRowsWarning(
                f"{path or '<bytes>'}: " + short_rows_blank_said(filled, first)[0],
                path=path, line=first, reason=("short-rows-blank", filled, first)))
        return cls(core, path=path, bad_rows=[Problem(l, c, _short_row_hint(m, why), False, why)
                                              for l, c, m, why in bad])

    @classmethod
    def from_columns(cls, mapping: Any, *, amount: str, cents: bool = False,
                     decimal: str | None = None, bad_rows: str = "collect",
                     dates: Sequence[str] = (), ints: Sequence[str] = ()) -> "Ledger":
        """Build a ledger from Python sequences, buffers (numpy arrays) or any object with
        ``__arrow_c_stream__`` / ``__arrow_c_array__`` (pyarrow, polars, duckdb... read by the
        core through the Arrow C interfaces, no pyarrow needed): strings and dictionaries become
        labels, date32 dates, integers ints, the amount a decimal of any width (32 to 256 bits;
        a scale past two when every value is whole cents, below zero multiplied out) or
        integers; another decimal after the amount is an amount column kept beside it, not
        summed (an aggregate's mean read back).

        Amounts may be Decimal, int or printed str (euros), or with ``cents=True`` int cents
        (an int64 buffer is then copied as it is).  A float is refused.  The amount's name is
        read as :meth:`read_csv` reads its header: printed amounts under ``"montant (k€)"`` or
        ``"MontantMEuros"`` are in that unit (a cell's own ``"2 €"`` its own), a name saying a
        unit not read (``"montant (000 €)"``) or another currency (``"montant (USD)"``) raises
        :class:`ParseError`, and numbers (Decimal, int, cents, Arrow decimals or ints) under a
        name saying k€ or M€ raise :class:`AmountTypeError`: they carry no unit; rename the
        column to say their unit, or give them as text.  What essconv exported under such a
        name (``to_arrow``, ``to_pandas``, ``to_parquet``) holds its figures in the name's unit
        and says so (:data:`AMOUNT_UNIT_KEY`), read back to the cent.  Printed amounts are
        read as a CSV file's amount column is, on the evidence of the whole column: ``"12.500"``
        beside ``"3.25"`` is 12,5, beside ``"1 250,50"`` 12 500, and alone refused with how to
        say which (``decimal=","`` or ``decimal="."``).  Decimals beside the amount (after it)
        become an amount column kept, not summed, its name read by the same rule (numbers
        under ``"sub (k€)"`` refused unless essconv's export marked them).  Strings become label columns, trimmed
        and a blank one missing as a CSV cell is read (a bool among them is refused);
        ``datetime.date`` values a date column; ints an int column.  None, and pandas' missing
        values (a float NaN, ``pd.NA``, ``pd.NaT``), are missing values, never labels; a
        column of them alone (Arrow's null type, or a pandas category of no value) is a label
        column all missing, as a blank column of a CSV file; in a frame of no row, a column of
        Arrow's null type after the amount is an amount column (an aggregate's mean of no
        group, read back from pandas, has the kinds of one with groups).

        A report handed back with its Total line (``agg.with_total()`` itself, or through
        pyarrow, polars, duckdb or pandas: ``report_line`` 'total') has that line set aside in
        ``ledger.bad_rows``, as ``read_parquet`` and ``read_sql`` set it aside: it is the sum of
        the other lines, and read as a record every total counted them twice.
        ``bad_rows="raise"`` refuses it instead (:class:`ParseError` naming its row and column).
        An "others" line stays: it is the sum of groups no other line holds.

        ``dates=[...]`` and ``ints=[...]`` say a column's kind where its values cannot, as
        :meth:`read_csv`'s do: a column of None alone (records not dated yet) is then a date or
        an int column all missing, which ``extend()`` joins to a dated ledger, where it would
        be a label column.  Its values are ``datetime.date`` (ints), or missing; another value
        is refused naming its row.  Arrow sources say their columns' kinds in their schema.

        Example: ``essconv.Ledger.from_columns({"montant": [250], "dateConvention": [None]},
        amount="montant", dates=["dateConvention"])``
        """
        if bad_rows not in ("raise", "collect"):
            raise InvalidValueError("bad_rows is 'raise' or 'collect'")
        ledger = without_report_totals(cls._from_columns(mapping, amount=amount, cents=cents,
                                                         decimal=decimal, dates=dates, ints=ints),
                                       bad_rows)
        ledger.built_by = "from_columns"
        return ledger

    @classmethod
    def _from_columns(cls, mapping: Any, *, amount: str, cents: bool,
                      decimal: str | None, dates: Sequence[str] = (),
                      ints: Sequence[str] = (), read_unit: bool = True) -> "Ledger":
        # read_unit=False: amounts already in euros whatever the name says (a ledger's own
        # columns rebuilt, text amounts a reader already read in the name's unit)
        unit = _core.amount_header_unit(amount) if read_unit else 0   # refused as read_csv's
        if unit > UNIT_EUR and said_amount_unit(mapping, amount) is not None:
            # essconv's own export of a ledger read under a k€ header: its figures are in the
            # unit its mark says (the name's), which the core reads from the field's metadata
            unit = 0
        # every amount a pandas frame's attrs mark, the summed one and those beside it
        mapping = marked_arrow(mapping)
        arrow = hasattr(mapping, "__arrow_c_stream__") or hasattr(mapping, "__arrow_c_array__")
        if arrow and (dates or ints):
            # the core reads an Arrow source's kinds from its schema, never from the caller
            raise InvalidValueError(
                "dates= and ints= are for a mapping of Python values: an Arrow source says its "
                "columns' kinds in its schema (a column of nulls typed pyarrow.date32() or "
                "pyarrow.int64())")
        if arrow:
            mapping = _pandas_dates_typed(mapping)
            # read by the core through the Arrow C interfaces: no pyarrow needed, any producer
            # (a date column's order, said in its field's metadata, is read by the core)
            if unit > UNIT_EUR:   # an Arrow amount is a number (decimal or int), never text
                refuse_unit_over_numbers(amount, unit)
            kept: list[BaseException] = []
            source = _reader_checked(mapping, kept)
            try:
                ledger = cls(_core.Ledger.from_arrow(source, amount, cents))
            except ProducerError:
                if kept:
                    # the producer's Python code was interrupted (Ctrl-C, sys.exit, memory
                    # exhausted), or gave a batch of another schema: the stream carried it as
                    # text alone; the exception itself is what the caller must see, the ledger
                    # read so far already freed
                    raise kept[0] from None
                raise
            except Exception as exc:
                # a pandas frame is exported by pyarrow, whose ArrowTypeError ("Expected
                # bytes, got a 'int' object") named no row: one essconv error, as for lists.
                # It raises Python's own ValueError for two columns of one name and
                # OverflowError for an int past int64: the core raises essconv errors alone,
                # so any other of those came from the producer's export
                if isinstance(exc, Error) or not (
                        type(exc).__module__.startswith("pyarrow")
                        or type(exc) in (ValueError, OverflowError, TypeError)):
                    raise
                raise _export_refusal(mapping, exc) from None
            refuse_amounts_beside_their_names(ledger, mapping, amount)
            return ledger
        if not callable(getattr(mapping, "items", None)):
            # a list of Arrow batches, a generator, None: Python's bare AttributeError
            # ("'list' object has no attribute 'items'") said nothing of what is taken
            batches = isinstance(mapping, (list, tuple)) and mapping and all(
                hasattr(b, "__arrow_c_array__") for b in mapping)
            raise ArgumentTypeError(
                f"from_columns takes a mapping of column names to values, or an object with "
                f"__arrow_c_stream__ or __arrow_c_array__ (a pyarrow table, a polars frame...), "
                f"not {type(mapping).__name__}"
                + ("; Arrow batches read as one: pyarrow.RecordBatchReader.from_batches(schema, "
                   "batches) or pyarrow.Table.from_batches(batches)" if batches else ""))
        said = _said_kinds(list(mapping.keys()), amount, dates, ints)
        _refuse_series_of_other_indexes(mapping)
        names, kinds, arrays, dicts = [], [], [], []
        for name, values in mapping.items():
            _refuse_not_one_dimension(name, values)
            names.append(name)
            if name == amount:
                kinds.append(_core.COL_AMOUNT)
                arrays.append(_amount_array(values, cents, name, decimal, unit))
                dicts.append(None)
                continue
            kind, arr, dictionary = _column_array(name, values, said.get(name))
            if kind == _core.COL_AMOUNT and amount not in names:
                # the core sums its first amount column: this one would be summed in its place
                raise AmountTypeError(
                    f"the column {name!r} holds amounts (Decimal) and comes before the amount "
                    f"{amount!r}: the amount summed is the first; give the amount first")
            kinds.append(kind)
            arrays.append(arr)
            dicts.append(dictionary)
        if amount not in names:
            raise InvalidValueError(f"no column {amount!r} for the amount")
        try:
            core = _core.Ledger.from_arrays(names, kinds, arrays, dicts)
        except UnicodeEncodeError:
            # a label holding a lone surrogate, which no UTF-8 holds: named, not Python's
            # bare "surrogates not allowed" naming neither column nor row
            for name, values in zip(names, arrays):
                if isinstance(values, list):
                    for row, v in enumerate(values, 1):
                        refuse_lone_surrogate(v, f"column {name!r}, row {row}")
            raise
        except ValueError as exc:   # columns of different lengths: the core's bare ValueError
            if isinstance(exc, Error):
                raise
            raise InvalidValueError(str(exc)) from None
        ledger = cls(core)
        refuse_amounts_beside_their_names(ledger, mapping, amount)
        return ledger

    @classmethod
    def read_parquet(cls, path_or_dataset: Any, *, amount: str,
                     columns: Sequence[str] | None = None, cents: bool = False) -> "Ledger":
        """A Parquet file, a directory of them or a ``pyarrow.dataset.Dataset``, through Arrow:
        hive directories (``annee=2017/``) become columns, strings and dictionaries labels,
        decimal amounts exact (integers are euros, or cents with ``cents=True``); a float
        amount is refused.  ``columns`` keeps only those (the amount is always kept).  The
        amount's name is read as :meth:`from_columns` reads it: numbers under a name saying k€
        or M€ (``"montant (k€)"``) are refused, as is a name :meth:`read_csv` refuses.

        Example: ``essconv.Ledger.read_parquet("grants/", amount="montant").group_by("annee")``
        """
        dataset = parquet_dataset(path_or_dataset)
        path = os.fspath(path_or_dataset) if isinstance(path_or_dataset, (str, os.PathLike)) else None
        return parquet_ledger(dataset, amount, columns, cents, path)

    @classmethod
    def read_sql(cls, query: str, connection: Any, *, amount: str, cents: bool = False,
                 bad_rows: str = "collect", params: Sequence[Any] | None = None,
                 dates: Sequence[str] = (), ints: Sequence[str] = (),
                 labels: Sequence[str] = (), date_order: str | None = None,
                 amounts: Sequence[str] = ()) -> "Ledger":
        """The result of an SQL query, through ADBC (Arrow end to end): ``connection`` is a
        SQLite file (no server), a ``postgresql://`` URI or an open ADBC connection.  NUMERIC
        amounts are exact, text amounts go through the CSV money parser, in the unit the amount's
        name says as :meth:`read_csv`'s header (``"montant (k€)"``), integers are euros
        (cents with ``cents=True``; numbers under a name saying k€ or M€ are refused, as by
        :meth:`from_columns`: rename them in the SELECT); a float amount is refused (:class:`AmountTypeError`, with
        the cast to use); NULL or unreadable amounts are bad rows (see :mod:`essconv.sql`).

        SQLite's driver ignores declared types: its dates come back as text, a column of NULLs
        as integers.  ``dates=[...]`` reads such columns as dates with :meth:`read_csv`'s own
        parser (``date_order`` as there: by default each column decides on its values, and
        :attr:`date_orders` records it), ``ints=[...]`` as integers, ``labels=[...]`` as text
        labels (a column of NULLs, or integers printed), ``amounts=[...]`` as amounts kept beside
        the one summed (after it in the SELECT; an aggregate's mean, min and max are read so
        when the amount is its sum).  A value that does not read is a bad
        row at its row and column, as an amount is; a column the query does not return, or
        asked for twice, is refused.

        Example: ``essconv.Ledger.read_sql("SELECT * FROM subventions", "grants.db", amount="montant",
        dates=["dateConvention"])``
        """
        from .database import read_table, source_name
        table = read_table(query, connection, params)
        return _ledger_from_query_table(table, amount=amount, cents=cents, bad_rows=bad_rows,
                                        source=source_name(connection), dates=dates, ints=ints,
                                        labels=labels, date_order=date_order, amounts=amounts)

    def to_sql(self, table: str, connection: Any, *, mode: str = "create") -> int:
        """Write the records as a database table in one transaction (``mode``: create,
        append, replace); returns the rows written.  See :func:`essconv.sql.write_table`.

        Example: ``ledger.to_sql("subventions", "grants.db")``
        """
        from .database import write_table
        return write_table(self, table, connection, mode=mode)

    def to_parquet(self, path: str | os.PathLike[str], *,
                   partition_by: Sequence[str] | None = None, overwrite: bool = False) -> None:
        """Write the records as Parquet: labels dictionary-encoded, amounts decimal128(38, 2)
        (read back to the cent); ``partition_by=["annee"]`` writes a hive dataset
        (``path/annee=2017/...``) that :meth:`read_parquet` reads back with the same columns
        and kinds (a label ``01`` stays the label ``'01'``, a date a date: the kinds are kept in
        the files' schema metadata).

        Without ``partition_by`` the file at ``path`` is replaced, as any file write.  With it,
        ``path`` must be absent or an empty directory: a dataset's files are never mixed with
        those of an earlier write (its stale partitions would be read back with the new ones).
        ``overwrite=True`` replaces a dataset essconv wrote there (listed in its
        ``_essconv.json``): the new one is written beside it, then the old one's files removed;
        a directory holding any other file is refused (:class:`InvalidValueError`) and nothing
        is deleted.

        Example: ``ledger.to_parquet("grants/", partition_by=["annee"], overwrite=True)``
        """
        write_parquet(self, checked_target(path, "to_parquet"), partition_by, overwrite=overwrite)

    # ------------------------------------------------------------------ shape
    def __len__(self) -> int:
        selection = self._selection
        return selection.count if selection is not None else self._core.nrows

    @property
    def columns(self) -> list[str]:
        """The column names, in order.

        Example: ``ledger.columns`` -> ``['montant', 'annee', 'financeur']``"""
        return list(self._names)

    @property
    def kinds(self) -> dict[str, str]:
        """Each column's kind: label, int, date or amount.

        Example: ``ledger.kinds['montant']`` -> ``'amount'``"""
        return {n: KIND_NAMES[k] for n, k in zip(self._names, self._kinds)}

    @property
    def amount(self) -> str | None:
        """The name of the amount column.

        Example: ``ledger.amount`` -> ``'montant'``"""
        return self._names[self._amount] if self._amount is not None else None

    @property
    def blank_rows(self) -> int:
        """Blank records the reader skipped (counted, not lost).

        Example: ``essconv.read_scdl("lot-2017-subventions.csv").blank_rows`` -> ``21``"""
        return self._core.blank_rows

    def _col(self, name: str) -> int:
        if not isinstance(name, str):   # a list was "unhashable type: 'list'", 3 "no column 3"
            raise ArgumentTypeError(f"a column is named by its text ('{self._names[0]}'), not "
                                    f"{type(name).__name__} {name!r:.60}; the ledger's "
                                    f"columns: {names_listed(self._names)}")
        if name not in self._index:
            near = close_name(name, self._names)   # a typo: the one meant, named
            raise UnknownColumnError(f"no column {name!r}"
                                     + (f" (did you mean {near!r}?)" if near else "")
                                     + f"; the ledger's columns: {names_listed(self._names)}",
                                     column=name, columns=self._names)
        return self._index[name]

    def _label_col(self, name: str) -> int:
        """The index of a label column; another kind refused, where its "labels" were none
        (``labels("montant")`` answered ``[]``, as if no row held any)."""
        i = self._col(name)
        if self._kinds[i] != _core.COL_LABEL:
            held = [n for n, k in zip(self._names, self._kinds) if k == _core.COL_LABEL]
            raise ArgumentTypeError(f"column {name!r} holds {KIND_NAMES[self._kinds[i]]}s, not "
                                    f"labels; the label columns: {names_listed(held)}")
        return i

    def labels(self, name: str) -> list[str]:
        """The distinct labels the rows of a label column hold, in the order of their codes
        (first seen first in the file read, as the group-bys list them).

        A label only a row set aside held (``bad_rows="collect"``: its amount unreadable) or
        only rows a filter left out held is not listed; :meth:`dictionary` lists those too.

        The scan of the rows is made once per ledger and column and kept: asked again (in a
        loop, or by each ``filter`` checking its labels), the answer costs a list copy; an
        ``extend`` (the only change a ledger's rows know: rows appended) makes the next call
        scan again.

        Example: ``ledger.labels("financeur")`` -> ``['CDC', 'CR']``
        """
        return list(self._held(self._label_col(name))[0])

    def _held(self, column: int) -> tuple[list[str], frozenset[str]]:
        """The labels the rows of ``column`` hold, in code order and as a set: the core's scan of
        every row (10 ms for 10 million rows holding a label only set-aside rows had), kept
        for this core and this number of rows.  Rows are only ever appended (``extend``), and
        the number is read before the scan: an extend meanwhile makes the next call scan
        again, never keeps a stale answer under the new count."""
        core = self._core
        rows = core.nrows
        cache = self.__dict__.setdefault("_held_cache", {})
        hit = cache.get(column)
        if hit is not None and hit[0] is core and hit[1] == rows:
            return hit[2], hit[3]
        labels = core.held_labels(column)
        held = frozenset(labels)
        cache[column] = (core, rows, labels, held)
        return labels, held

    def dictionary(self, name: str) -> list[str]:
        """Every label of a label column's dictionary, by code: the labels of :meth:`labels`
        and those of rows set aside by the reader or left out by a filter, which the dictionary
        keeps so that codes (``column(name)``, Arrow's dictionary indices) stay the same.

        Example: ``ledger.dictionary("financeur")[code]`` is the label of a code.
        """
        return self._core.dictionary(self._label_col(name))

    def has_label(self, column: str, label: str) -> bool:
        """Whether a row of the label column holds ``label`` (exactly: case, accents and inner
        spaces count): whether :meth:`labels` lists it.  A label only rows set aside by the
        reader or left out by a filter held is in the :meth:`dictionary`, not held: a filter
        on it keeps no row.  One dictionary look-up, then the held labels :meth:`labels` keeps.

        Example: ``ledger.has_label("nomAttribuant", "Département du Lot")`` -> ``True``
        """
        i = self._label_col(column)
        refuse_lone_surrogate(label, f"a label of {column!r}")   # filter(k='\ud800'), one_of
        if self._core.label_code(i, label) < 0:   # never read: no scan of the rows needed
            return False
        return label in self._held(i)[1]

    def close_labels(self, column: str, label: str, n: int = 3) -> list[str]:
        """The labels of ``column`` closest to ``label``, the one equal but for case, accents
        and surrounding spaces first; none for a column of more than 20 000 labels (a column
        of a million names is not scanned for a hint).

        Example: ``ledger.close_labels("nomAttribuant", "departement du lot")`` ->
        ``['Département du Lot']``
        """
        i = self._label_col(column)
        size = self._core.dictionary_size(i)
        if not 0 < size <= 20_000:
            return []
        # the labels rows hold: a hint naming a label only a row set aside held selects nothing
        return closest_labels(label, self._held(i)[0], n)

    def _label_read(self, name: str, label: str) -> bool:
        """Whether the file held ``label`` in column ``name`` at all: the dictionary keeps the
        labels of rows set aside when read or left out by a filter, which :meth:`has_label`
        does not count (a warning then says it was read, not that it is unknown)."""
        return self._core.label_code(self._col(name), label) >= 0

    def _warn_unknown_labels(self, name: str, column: int, values: Any,
                             effect: str = "it selects no row") -> None:
        """UnknownLabelWarning for each label written out (a str; an int on a label column is
        given as its text, "2017") that no row holds: it selected nothing, where a sum of zero
        said nothing either.  A label the dictionary keeps from rows set aside or left out by a filter is
        said too (it selects nothing just the same), in words that say it was read.

        The first UNKNOWN_LABELS_SAID are said with their close labels, the others counted in
        one warning (:func:`unknown_labels_said`): a set of 5 000 names from another year's
        file, 2 000 of them absent, took 44 s of close-label searches and gave 2 000
        warnings."""
        from .errors import give_warning
        unknown = [v for v in dict.fromkeys(v for v in values if isinstance(v, str))
                   if not self.has_label(name, v)]
        said = [unknown_label_warning(name, v, self.close_labels(name, v)
                                      if k < UNKNOWN_LABELS_SAID else (),
                                      self._label_read(name, v), effect)
                for k, v in enumerate(unknown)]
        for w in unknown_labels_said(said):
            give_warning(w)

    def _warn_unknown_range(self, name: str, years: range) -> None:
        """UnknownLabelWarning for a range of ints on a label column (years read as text) of
        which no row holds any label: it selected nothing, where ``range(2019, 2021)`` on an
        int column, or each of its years written out, was said.  A range some row matches
        says nothing: a year missing inside a span is no typo."""
        from .errors import give_warning
        if len(years) == 1:   # range(2019, 2020) is the label "2019"
            self._warn_unknown_labels(name, self._col(name), [str(years[0])])
            return
        if any(self.has_label(name, str(v)) for v in years):
            return
        give_warning(unknown_label_warning(name, years, (), any(self._label_read(name, str(v))
                                                                 for v in years),
                                           "it selects no row"))

    def similar_labels(self, column: str, *, siret: str | bool | None = None) -> Any:
        """Groups of labels of ``column`` that are probably one entity -- one SIRET written
        with several names, or names equal once case, accents, punctuation, spacing and
        legal-form words are folded -- each label with its records and exact sum
        (:mod:`essconv.names`).  ``siret``: the SIRET column (by default the SCDL id column of a name column).

        Example: ``ledger.similar_labels("nomBeneficiaire").mapping()``
        """
        from .names import similar_labels
        return similar_labels(self, column, siret=siret)

    def relabel(self, column: str, mapping: Mapping[str, str], *,
                absent: str = "raise") -> "Ledger":
        """A new ledger whose ``column`` has the labels of ``mapping`` replaced by their values
        (merged when several get one): the dictionary is rewritten and the codes remapped in
        C, the amounts untouched; this ledger is unchanged (:mod:`essconv.names`).  A label of
        ``mapping`` no row holds (a typo) is refused naming the close ones, unless
        ``absent="ignore"`` (a mapping kept for several years' files).

        Example: ``ledger.relabel("nomBeneficiaire", {"Departement du Lot": "Département du Lot"})``
        """
        from .names import relabel
        return relabel(self, column, mapping, absent=absent)

    def column(self, name: str) -> memoryview:
        """A read-only view of a column's storage: int32 codes or days, int64 ints or cents.
        While a view is alive the ledger refuses to change (BufferError).  A missing value is
        held as a value of the kind: an int as -2**63, a date as -2**31 (days), a label as the
        code -1 (an amount is never missing), so a numpy sum of an int column with missing
        values is not its sum: mask them out, or use :meth:`values` (None) or Arrow (nulls).

        Example: ``numpy.frombuffer(ledger.column("montant"), dtype=numpy.int64)``
        """
        return memoryview(self._core.column(self._col(name)))

    def values(self, name: str) -> list[Any]:
        """A column as Python values (labels, ints, dates, Decimal): for small ledgers.

        Example: ``ledger.values("montant")[:2]`` -> ``[Decimal('1250.5'), Decimal('300')]``
        """
        return self._values(name, 0, len(self))

    def _values(self, name: str, start: int, stop: int) -> list[Any]:
        """Rows start..stop of a column as Python values: only those rows are converted."""
        i = self._col(name)
        kind = self._kinds[i]
        # a copy, not a buffer export: an extend from another thread meanwhile neither fails
        # nor waits; the dictionary read after it holds every code it has (it only grows)
        raw = memoryview(self._core.copy_column(i, start, stop)).cast(
            "i" if kind in (_core.COL_LABEL, _core.COL_DATE) else "q").tolist()
        if kind == _core.COL_LABEL:
            # a few rows beside the dictionary: never the whole dictionary.  Weighed against
            # the dictionary, not the rows: a filter keeps its source's dictionary, and its two
            # rows converted a million labels each time they were shown
            if stop - start < self._core.dictionary_size(i) // 2:
                return self._core.labels_of(i, raw)
            labels = self._core.dictionary(i)
            return [labels[c] if c >= 0 else None for c in raw]
        if kind == _core.COL_DATE:
            return [None if d == _core.DATE_MISSING else _date_of(d, name, start + k + 1)
                    for k, d in enumerate(raw)]
        if kind == _core.COL_INT:
            return [None if v == -(2**63) else v for v in raw]
        return [from_cents(v) for v in raw]

    # ------------------------------------------------------------------ queries
    def total(self) -> Decimal:
        """The sum of the amounts, exact (OverflowError past int64 cents).

        Example: ``ledger.total()`` -> ``Decimal('1650')``
        """
        selection = self._selection
        if selection is not None and selection.cents is not None:
            return from_cents(selection.cents)
        if self.amount is None:   # the groups of a sum past int64 (Aggregate.to_ledger): 0 was said
            raise InvalidValueError("the ledger has no amount column: no total")
        return from_cents(self._core.total())   # past int64: the core's error, with its words

    def group_by(self, *dims: str | DateDimension) -> "GroupBy":
        """Group by one or more columns: ``.sum()``, ``.count()``, ``.min()``, ``.max()``.
        A dimension may be a date's ``essconv.year(col)``, ``quarter`` or ``month``, or a
        payment period's ``period_start``/``period_end``: its key column is named as written
        (``"year(dateConvention)"``).  A key given twice is refused (InvalidValueError).

        Example: ``ledger.group_by(essconv.year("dateConvention"), "nomAttribuant").sum()``
        """
        if not dims:
            raise InvalidValueError("group_by needs at least one column")
        calendar = [k for k, d in enumerate(dims) if _is_calendar_part(d)]
        if calendar:
            return _CalendarGroupBy(self, list(dims), calendar)
        return GroupBy(self, list(dims))

    def _key(self, dim: str | DateDimension) -> int | tuple[int, int, int, str]:
        """A dimension as the core takes it: a column's index, or (column, part, side, name) for
        a date dimension, which the core reads from its source column through a table built
        once per distinct date or label (derive.c), never copying a column."""
        if isinstance(dim, str):
            i = self._col(dim)
            if self._kinds[i] == _core.COL_AMOUNT:   # the core said "not a column of the ledger"
                raise InvalidValueError(f"the column {dim!r} holds amounts, which group_by and "
                                        f"pivot sum, never group by: group by a label, int or "
                                        f"date column (the ledger's columns: {names_listed(self._names)})",
                                        reason=("group-by-amount", dim, tuple(self._names)))
            return i
        if not isinstance(dim, DateDimension):
            raise ArgumentTypeError(f"a dimension is a column name or essconv.year/quarter/month/"
                                    f"period_start/period_end of one, not {dim!r}")
        i = self._col(dim.column)
        kind = self._kinds[i]
        if kind not in (_core.COL_DATE, _core.COL_LABEL):
            raise ConditionError(f"{dim.name}: column {dim.column!r} holds "
                                 f"{KIND_NAMES[kind]}s, not dates",
                                 reason=("not-dates", dim.name, dim.column, KIND_NAMES[kind]))
        # a date is the period of one day: its start and end are itself
        side = _core.SIDE_DATE if kind == _core.COL_DATE else dim.side
        return (i, dim.part, side, dim.name)

    def _keyed(self, call: Callable[..., Any], *args: Any, **kwargs: Any) -> Any:
        """A core call on keys that may be derived: a label that is no date or period fails
        naming its row (the core's words) and the ledger's file."""
        try:
            return call(*args, **kwargs)
        except ParseError as exc:
            # its reason too: a listing words the refusal in its language from it
            raise ParseError(Exception.__str__(exc), path=self.path,
                             reason=getattr(exc, "reason", ())) from None

    def filter(self, **conditions: Any) -> "Ledger":
        """Rows meeting every condition: ``funder="CDC"``, ``funder={"CDC", "CR"}``,
        ``annee=range(2010, 2013)``, ``date=(date(2017, 1, 1), date(2017, 12, 31))`` (inclusive;
        None for an open end), ``montant=(Decimal(0), None)``.

        A single value is accepted wherever a set is, and a value of another kind than its
        column is converted when that is unambiguous: ``annee=2017`` or
        ``annee=range(2016, 2018)`` on a column read as text match the labels ``"2017"``...;
        ``an="2017"`` on an int column is 2017, ``date="2017-03-04"`` a date, and so is
        ``date="25/03/2017"`` as the grant files and a committee write it (``-`` or ``.``
        between the parts too; ``2017/03/25`` year first, as the reader takes it), day first unless it can only be month first (``03/25/2017``);
        one both orders read (``04/03/2017``: 4 March or 3 April?), a year of two digits or a
        day the calendar has not (``31/02/2017``) raises ConditionError: write such a date
        ``2017-03-04`` or ``date(2017, 3, 4)``.  Anything else
        (a float, a date for a text column...) raises :class:`essconv.ConditionError` (a
        TypeError) naming the column and its kind.

        A filter that keeps no row says why when a condition selects no row by itself: a
        label no row holds (:class:`essconv.UnknownLabelWarning`; an int on a label column as
        its label, a range when no row holds any of its years), an int, date or amount no
        row holds, with the column's range, or an empty set, ``one_of([])`` included
        (:class:`essconv.NothingMatchedWarning`).  Conditions each met by rows and by none
        together say nothing.  A column the ledger lacks raises
        :class:`essconv.UnknownColumnError`, naming the close one.

        None is a missing value on every kind of column, alone or in a set: ``annee=None``
        keeps the rows with no year, ``annee={2017, None}`` those of 2017 and those with none
        (an amount is never missing: ``montant=None`` keeps no row).  Only inside a pair is
        None an open end: ``annee=(2017, None)``.

        A label column also takes a label condition: ``nomBeneficiaire=essconv.contains(
        "insertion", ignore_case=True, ignore_accents=True)``, ``startswith``, ``regex``,
        ``one_of``, any callable taking a label and returning a bool, and their combinations
        with ``&``, ``|``, ``~`` (see :mod:`essconv.conditions`): each is evaluated once per
        distinct label, then the rows are selected in one pass over their codes.

        That pass also counts the kept rows and sums their amounts: ``len()`` and ``total()``
        of the result cost nothing more.  The kept rows of every column are copied only when
        the result is first asked for anything else, from the rows and labels the ledger held
        when ``filter`` ran (an ``extend`` since changes nothing); until then the result keeps
        the source's columns alive.
        """
        conds = []
        tests: dict[int, tuple[int, Condition]] = {}   # position in conds -> (column, condition)
        valued: list[tuple[int, str]] = []   # the int, date and amount conditions: (position, name)
        for name, cond in conditions.items():
            i = self._col(name)
            kind = self._kinds[i]
            if is_condition(cond):
                if kind != _core.COL_LABEL:
                    raise ConditionError(f"column {name!r} holds {KIND_NAMES[kind]}s: contains, "
                                         f"startswith, regex, one_of and callables test labels")
                cond = as_condition(cond)
                if cond.empty:   # one_of([]) kept no row without a word, where col=[] says so
                    _say_empty_set(self, name, "set")
                # one_of([1]) on months spelt "01" kept nothing, silently, as mois=1 did
                refuse_numbers_spelt_otherwise(self, name, cond.numbers)
                # one_of(["Caisse des depots"]) matched nothing without a word, where the
                # same label written alone was said
                self._warn_unknown_labels(name, i, cond.labels, "one_of() matches no row for it")
                refuse_twin_spellings(self, name, cond.labels)
                tests[len(conds)] = (i, cond)
                conds.append(None)   # its mask is made below, from the dictionary
                continue
            if isinstance(cond, (range, set, frozenset, list)) and not cond:
                # a list computed upstream and found empty: it selects no row, said (on an int
                # or a date column it was refused as no range of consecutive values, on a
                # label column it summed 0 without a word)
                _say_empty_set(self, name, "range" if isinstance(cond, range) else "set")
                conds.append((i, (), False, 0, 0) if kind == _core.COL_LABEL
                             else (i, None, False, 1, 0))   # 1 > 0: no value
                continue
            if kind == _core.COL_LABEL:   # the core finds the codes, under the ledger's lock
                refuse_label_pair(name, cond)   # (2010, 2013): a range, or those two labels?
                many = isinstance(cond, (range, set, frozenset, list, tuple))
                wanted = {_as_kind(name, kind, v) for v in (cond if many else [cond])}
                conds.append((i, tuple(w for w in wanted if w is not None), None in wanted, 0, 0))
                # 1 where the column spells "01": refused before any word of a label not held
                refuse_numbers_spelt_otherwise(self, name, cond if many else [cond])
                if isinstance(cond, range):
                    self._warn_unknown_range(name, cond)
                else:   # an int is its label ("2017"): one no row holds is said as that label
                    self._warn_unknown_labels(name, i, [v if isinstance(v, str) else str(v)
                                                        for v in (cond if many else [cond])
                                                        if v is not None])
                refuse_twin_spellings(self, name, cond if many else [cond])   # "é" and "e\u0301"
                continue
            # None means "no value" on every column kind, alone or in a set, as on a label
            # column: read as an open range it kept every row that HAS a value (a silent
            # opposite); an amount is never missing, so montant=None keeps no row
            many = isinstance(cond, (set, frozenset, list))
            if cond is None or (many and None in cond):
                rest = [v for v in cond if v is not None] if many else []
                lo, hi = (_bounds(name, set(rest), kind, self._date_order(i)) if rest
                          else (1, 0))   # 1 > 0: no value
                if rest:
                    valued.append((len(conds), name))
                conds.append((i, None, kind != _core.COL_AMOUNT, lo, hi))
                continue
            lo, hi = _bounds(name, cond, kind, self._date_order(i))
            refuse_backward_range(name, cond, lo, hi)   # (2013, 2010) kept nothing, silently
            valued.append((len(conds), name))
            conds.append((i, None, False, lo, hi))
        # each condition is evaluated once per distinct label, then the core makes one pass over
        # the codes; if another thread's extend adds labels meanwhile, the core says so (None)
        # and only the new labels are evaluated before the next try
        masks = {k: (0, 0) for k in tests}   # mask, labels it covers
        while True:
            for k, (i, test) in tests.items():
                mask, done = masks[k]
                count = self._core.dictionary_size(i)
                if count > done:
                    mask |= test.mask(Labels(self._core, i, done, count)) << (8 * done)
                masks[k] = mask, count
                conds[k] = (i, mask.to_bytes(count, "little"), test.missing, 0, 0)
            if self._amount is None:   # nothing to sum: the rows are copied at once
                core = self._core.filter(conds)
                if core is not None:
                    result = Ledger(core, path=self.path)
                    result.built_by = self.built_by
                    if not core.nrows:
                        self._say_values_no_row_holds(conds, valued)
                    return result
                continue
            source = self._core
            summary = source.filter_sum(conds)
            if summary is not None:
                count, cents, rows, labels = summary
                if not count:
                    self._say_values_no_row_holds(conds, valued)
                return Ledger._selected(self, _Selection(source, conds, (rows, labels), count, cents))

    def _say_values_no_row_holds(self, conds: list, valued: list[tuple[int, str]]) -> None:
        """NothingMatchedWarning for each int, date or amount condition of a filter that kept
        no row which selects no row by itself: ``annee=2011`` on the years 2009 and 2010
        totalled 0 without a word, where a label no row holds is said, and a typo (2901) read
        as "nothing that year".  It names the value and the column's range, as a label's
        warning names the close labels.  Looked at only once the filter kept nothing: a filter
        that keeps rows costs nothing more; conditions each met by rows and not together are
        an answer, not a typo, and say nothing."""
        from .errors import give_warning
        for k, name in valued:
            i, _, missing, lo, hi = conds[k]
            kind = self._kinds[i]
            if kind == _core.COL_AMOUNT:
                cents = memoryview(self._core.copy_column(i, 0, self._core.nrows)).cast("q")
                held = (min(cents), max(cents)) if len(cents) else None
                if held is not None and any(lo <= c <= hi for c in (held[0], held[1])):
                    continue
                alone = self._core.filter_sum([conds[k]])
                if alone is None or alone[0]:
                    continue   # rows meet it (or the ledger grew meanwhile: not said)
            else:
                units_held = self._units_held(i)
                keys = [units for units in units_held if units is not None]
                if missing and len(keys) < len(units_held):
                    continue   # a missing value was asked for, and rows have one
                if any(lo <= u <= hi for u in keys):
                    continue
                held = (min(keys), max(keys)) if keys else None
            open_end = (-(2**63), 2**63 - 1)
            give_warning(no_row_holds_warning(
                name, *(None if u in open_end else column_value(self, name, u) for u in (lo, hi)),
                None if held is None else tuple(column_value(self, name, u) for u in held),
                self.path))

    def _units_held(self, i: int) -> list[int | None]:
        """The distinct values of an int or date column, in its units (None: missing): the
        core's grouping of the column, one key per value."""
        name = self._names[i]
        keys = self.group_by(name).count().to_dict()
        return [None if key is None else
                (key - _EPOCH).days if isinstance(key, _dt.date) else key for key in keys]

    def pivot(self, rows: str | DateDimension | tuple[str | DateDimension, str | DateDimension],
              columns: str | DateDimension, *, threads: int = 2) -> Plan:
        """A matrix of sums (rows x columns) with the same API as a financing plan: totals,
        ``by_funder()``, ``pivot()`` margins, display.  ``rows=("axis", "line")`` groups the
        lines under a first key, like a plan's axes.  Amounts in €.  Its margins are always
        there, as sums (``by_line()``, ``by_funder()``, ``pivot()``): it states no printed
        Total row or column, having been printed by no one.

        Rows and columns may be date dimensions: ``rows=essconv.year("dateConvention")``.

        Example: ``ledger.pivot("nomAttribuant", "nature").by_funder()``
        """
        if isinstance(rows, tuple) and len(rows) != 2:   # Python's "too many values to unpack"
            raise InvalidValueError(f"pivot rows: one column, or a pair (group, row) as a plan's "
                                    f"axes and lines, not {len(rows)} columns {rows!r}")
        group, row = rows if isinstance(rows, tuple) else (None, rows)
        core = self._keyed(self._core.pivot, None if group is None else self._key(group),
                           self._key(row), self._key(columns), threads)
        plan = Plan(core, path=self.path)
        plan.dimensions = (tuple(_dim_name(d) for d in (rows if isinstance(rows, tuple) else (rows,))),
                           _dim_name(columns))

        def missing_said(dim: str | DateDimension | None) -> bool:
            # the core names a missing key's line or funder "(missing)", and refuses a column
            # whose dictionary holds that label beside a missing key: the text is the missing
            # key unless the column's dictionary holds it as a label
            if dim is None:
                return False
            if not isinstance(dim, str) or self._kinds[self._col(dim)] != _core.COL_LABEL:
                return True
            return self._core.label_code(self._col(dim), PIVOT_MISSING_TEXT) < 0
        plan.missing_keys = (missing_said(group), missing_said(row), missing_said(columns))

        def key_kind(dim: str | DateDimension | None) -> str | None:
            # the core writes every key as text, a day as ISO "2015-07-07": the displays and
            # exports need to know which are days to write them their language's way
            # (07/07/2015 in French), as every other French output does
            if dim is None:
                return None
            if isinstance(dim, DateDimension):
                return "date" if dim.part == _core.PART_DAY else "int"
            return KIND_NAMES[self._kinds[self._col(dim)]]
        plan.key_kinds = (key_kind(group), key_kind(row), key_kind(columns))
        return plan

    def extend(self, other: "Ledger") -> None:
        """Append another ledger's rows (the same columns); refused while a buffer is out.

        The rows ``other``'s reader set aside (``bad_rows``) and its blank rows come along:
        the accounting of what was read (``conv.execution(...).accounting.set_aside``) counts
        both files.  Rows set aside from another file than this ledger's are kept as
        :class:`essconv.BadRow`, naming their file (a line number means nothing alone).

        Example: ``ledger_2017.extend(ledger_2018)``
        """
        if not isinstance(other, Ledger):   # a path or a DataFrame was a bare AttributeError
            raise ArgumentTypeError(f"extend() takes an essconv.Ledger (read one with "
                                    f"essconv.Ledger.read_csv(path, amount=...)), not "
                                    f"{type(other).__name__} {other!r:.60}")
        if other is self:   # as list.extend(itself): its rows twice, read before any is added
            other = _restore_ledger(*self.__reduce_ex__(2)[1])
        self._core.extend(other._core)   # refused before anything changes, or done
        if not other.bad_rows:
            return
        if other.path == self.path:
            self.bad_rows.extend(other.bad_rows)
            return
        self.bad_rows = [_with_file(b, self.path) for b in self.bad_rows]
        self.bad_rows.extend(_with_file(b, other.path) for b in other.bad_rows)

    # ------------------------------------------------------------------ interop
    def __arrow_c_stream__(self, requested_schema: Any = None) -> Any:
        return self._core.__arrow_c_stream__(requested_schema)

    def __arrow_c_array__(self, requested_schema: Any = None) -> Any:
        return self._core.__arrow_c_array__(requested_schema)

    def to_arrow(self) -> Any:
        """A pyarrow Table (labels dictionary-encoded, amounts decimal128(38, 2)).  An amount
        whose name says k€ or M€ (``"montant (k€)"``, the header it was read under) holds its
        figures in that unit, as its name promises every tool: decimal128(38, 5) in k€
        (1 500,00 € is 1.50000), decimal128(38, 8) in M€, exactly, its field's metadata
        ``essconv.amount_unit`` saying ``kEUR`` or ``MEUR`` (read back by essconv to the cent).

        Example: ``ledger.to_arrow().schema.field("montant").type`` -> ``decimal128(38, 2)``
        """
        try:
            import pyarrow as pa
        except ImportError as exc:
            raise MissingExtraError("to_arrow needs pyarrow: pip install 'essconv[arrow]'") from exc
        # the core says each date column's order and each amount's unit (a name saying k€:
        # its figures in k€, decimal128(38, 5)) in the fields' metadata
        return pa.table(self._core)

    def to_pandas(self, *, amounts: str = "decimal") -> Any:
        """A DataFrame through Arrow: labels categorical, an int column with a missing value as
        pandas' nullable ``Int64`` (the others ``int64``), amounts exact whichever ``amounts``:

        - ``"decimal"`` (the default): Decimal objects, which every pandas operation takes, at
          the cost of a Python object per row (seconds for ten million rows);
        - ``"arrow"``: pandas' ``ArrowDtype`` of ``decimal128(38, 2)``, the column Arrow already
          holds, no object made: ``sum()`` and a groupby's sums are still exact Decimals;
        - ``"cents"``: ``int64`` cents, for numpy (a sum past int64 wraps there: add with
          Decimal, or in essconv); refused for an amount whose name says k€ or M€, where
          cents of euros would be read in that unit.

        An amount named in k€ or M€ (``"montant (k€)"``) holds its figures in that unit
        (``Decimal("1.50000")`` for 1 500 €), as :meth:`to_arrow` gives them; the frame's
        ``attrs`` say so, and :meth:`from_columns` reads it back to the cent.

        Never a float.

        Example: ``ledger.to_pandas(amounts="arrow")["montant"].sum()``
        """
        if amounts not in _PANDAS_AMOUNTS:
            raise InvalidValueError(f"amounts={amounts!r}: one of {', '.join(_PANDAS_AMOUNTS)}")
        if amounts == "cents":
            # int cents of euros under a name saying k€ would be read as k€ by whoever reads
            # the frame (a hundred thousand times too large): refused, never a name that lies
            for name, kind in zip(self._names, self._kinds):
                if kind == _core.COL_AMOUNT and said_unit(name) > UNIT_EUR:
                    raise InvalidValueError(
                        f"to_pandas(amounts='cents'): the amount column {name!r} names its unit "
                        f"({'k€' if said_unit(name) == 100_000 else 'M€'}), and int cents of euros under "
                        f"that name would be read in it; take amounts='decimal' or 'arrow' (its "
                        f"figures in that unit, exact), or the cents themselves with "
                        f"ledger.column({name!r})")
        table = self.to_arrow()
        if amounts == "decimal":
            frame = table.to_pandas()
        else:
            import pandas as pd
            import pyarrow as pa
            # only the amounts change: a label stays categorical, an int int64 or Int64
            frame = table.to_pandas(types_mapper=lambda t: pd.ArrowDtype(t)
                                    if pa.types.is_decimal(t) else None)
        if amounts == "cents":
            import numpy as np
            for name, kind in zip(self._names, self._kinds):
                if kind == _core.COL_AMOUNT:   # the ledger's own cents, copied (no view kept)
                    frame[name] = np.frombuffer(self.column(name), dtype=np.int64).copy()
        # pandas holds a missing int as NaN in a float64 column: 2017 became 2017.0 in every
        # file written from the frame, and an int past 2**53 (a 17-digit reference) another
        # number, silently; such a column goes to pandas' nullable integers instead
        for name in table.column_names:
            column = table.column(name)
            if column.null_count and str(column.type) == "int64":
                import pandas as pd
                frame[name] = column.to_pandas(types_mapper={column.type: pd.Int64Dtype()}.get)
        # pyarrow gives dates as datetime.date objects: with no row that is an object column of
        # no value, which pandas hands back to Arrow as its null type, read as labels; typed
        # as Arrow's date32 instead, a ledger of no row keeps its date columns through pandas
        # (with rows the column stays datetime.date objects, as users' code expects)
        if not len(frame):
            import pandas as pd
            for name, kind in zip(self._names, self._kinds):
                if kind == _core.COL_DATE:
                    frame[name] = table.column(name).to_pandas(types_mapper=pd.ArrowDtype)
        # and with rows, filtered in pandas down to none, the frame still says which are dates
        # (pandas keeps ``attrs`` through its selections): read back by from_columns
        frame.attrs[_PANDAS_DATES] = [n for n, k in zip(self._names, self._kinds)
                                      if k == _core.COL_DATE]
        # an amount named in k€ ("montant (k€)", a file's header) holds k€ figures (1.50000):
        # said as its field says it, so that from_columns reads the frame back in that unit
        # (pandas hands the frame to Arrow without any field's metadata)
        units = {field.name: field.metadata[AMOUNT_UNIT_KEY].decode() for field in table.schema
                 if AMOUNT_UNIT_KEY in (field.metadata or {})}
        if units:
            frame.attrs[_PANDAS_UNITS] = units
        # the categories come from the dictionary, which keeps the labels of rows set aside or
        # filtered out: pandas' groupby (observed=False) showed them as empty groups
        # (the labels the rows hold, from the core's one pass over the codes: pandas'
        # remove_unused_categories sorted every code, 1.7 s of a 2 s conversion of ten million
        # rows; nothing is recoded when every label is held, the common case)
        for name, kind in zip(self._names, self._kinds):
            if kind == _core.COL_LABEL and hasattr(frame[name], "cat"):
                held = self._held(self._col(name))[0]
                if len(held) < len(frame[name].cat.categories):
                    frame[name] = frame[name].cat.set_categories(held)
        return frame

    # ------------------------------------------------------------------ pickling, copies
    def __reduce_ex__(self, protocol: int) -> tuple:
        """Pickles the columns as they are held (int32 codes, int64 cents...), never row by
        row.  With protocol 5 each column is a :class:`pickle.PickleBuffer`: given a
        ``buffer_callback`` the columns leave out of band, without a copy, so a large ledger
        crosses a process boundary at memory speed.  While such a buffer is alive the ledger
        refuses ``extend`` (BufferError), as for any buffer export.  ``copy.copy`` and
        ``copy.deepcopy`` give an independent ledger.

        Example: ``pickle.loads(pickle.dumps(ledger, protocol=5)).total() == ledger.total()``
        """
        return (_restore_ledger, (_core_state(self._core, protocol), self.path, self.bad_rows,
                                  self._core.date_orders))

    # ------------------------------------------------------------------ display
    def head(self, n: int = 5, *, columns: Sequence[str] | None = None) -> list[dict[str, Any]]:
        """The first rows as dicts (only those rows are converted, whatever the ledger's size);
        ``columns`` keeps only those columns (only they are converted: a display of a ledger
        of 10 000 columns converts the few it shows).

        Example: ``ledger.head(2)`` -> ``[{'financeur': 'CDC', 'montant': Decimal('1250.5'), ...}, ...]``
        """
        return self._rows(0, min(_row_count(n, "head"), len(self)), columns)

    def tail(self, n: int = 5, *, columns: Sequence[str] | None = None) -> list[dict[str, Any]]:
        """The last rows as dicts (only those rows are converted, whatever the ledger's size);
        ``columns`` as for :meth:`head`.

        Example: ``ledger.tail(1)`` -> ``[{'financeur': 'CDC', 'montant': Decimal('99.5'), ...}]``
        """
        return self._rows(max(0, len(self) - _row_count(n, "tail")), len(self), columns)

    def _rows(self, start: int, stop: int,
              columns: Sequence[str] | None = None) -> list[dict[str, Any]]:
        # one name given as text is that column, not its letters ("no column 'f'")
        names = (self._names if columns is None else
                 [columns] if isinstance(columns, str) else list(columns))
        cols = {name: self._values(name, start, stop) for name in names}
        return [{k: v[r] for k, v in cols.items()} for r in range(stop - start)]

    #: a repr names a ledger's first and last 10 columns: one of 10 000 columns stays a line
    _REPR_EDGE_COLUMNS = 10

    def __repr__(self) -> str:
        named = [f"{n}:{KIND_NAMES[k]}" for n, k in zip(self._names, self._kinds)]
        edge = self._REPR_EDGE_COLUMNS
        if len(named) > 2 * edge + 1:
            named = named[:edge] + [f"… {len(named) - 2 * edge} more columns"] + named[-edge:]
        cols = ", ".join(named)
        # rows set aside are outside the total: said beside it, as the HTML view says them
        # (read_scdl collects them by default, and a repr's total read as the file's)
        aside = (f", {len(self.bad_rows)} bad row{'s' if len(self.bad_rows) > 1 else ''} kept "
                 f"aside (not in the total)" if self.bad_rows else "")
        return (f"<Ledger {len(self)} row{'' if len(self) == 1 else 's'} [{cols}], "
                f"{total_for_repr(lambda: f'{self.total()} €')}{aside}>")

    def _repr_html_(self) -> str:
        from .display import ledger_html
        return ledger_html(self)


# ------------------------------------------------------------- Arrow and Parquet (dask, sql)
#: the schema metadata key of the Parquet files to_parquet(partition_by=...) writes: the kind
#: (label, int, date) of each partition column, whose values only the directory names hold
PARTITION_KINDS_KEY = b"essconv.partition_kinds"
#: the schema metadata key beside it: the order ("dmy", "mdy") of each date partition column
#: decided when read, which its field cannot say (the directory names hold its values)
PARTITION_DATE_ORDERS_KEY = b"essconv.partition_date_orders"
#: the file listing what to_parquet(partition_by=...) wrote in a dataset directory (a leading
#: "_" keeps it out of the dataset for pyarrow, Dask and Spark): overwrite=True removes those
#: files only, and refuses a directory holding any other
DATASET_MARK = "_essconv.json"


# Ledger.read_sql builds its ledger with essconv.sql.ledger_from_table, which makes ledgers and so
# stands above this module: sql.py lends it here when imported (essconv/__init__ imports sql,
# so it is lent before any ledger is read), and this module never imports it back.
_query_table_readers: list[Callable[..., "Ledger"]] = []


def lend_query_table_reader(reader: Callable[..., "Ledger"]) -> None:
    """Make ``reader`` (``essconv.sql.ledger_from_table``) what ``Ledger.read_sql`` builds its
    ledger with from the query's Arrow table; essconv.sql calls this when it is imported."""
    _query_table_readers[:] = [reader]


def _ledger_from_query_table(table: Any, **options: Any) -> "Ledger":
    return _query_table_readers[0](table, **options)


def is_plain_int(text: str) -> bool:
    """Whether a hive directory value reads as an int with nothing lost: an exact decimal
    integer as ``str(int)`` writes it (no leading zero, no sign but a minus, no blank) that fits
    int64.  ``01``, ``+5``, ``--5``, ``1e3`` or ``2A`` are labels: read as ints they would lose
    a zero, a sign or fail."""
    if not (text.isascii() and (text.isdigit() or text[:1] == "-" and text[1:].isdigit())):
        return False
    return str(int(text)) == text and -2**63 < int(text) < 2**63


def parquet_dataset(path_or_dataset: Any) -> Any:
    """A Parquet file, a hive directory or a dataset as a ``pyarrow.dataset.Dataset``.

    Hive partition values are typed by what the files say (the kinds to_parquet kept in their
    metadata), else by the rule that loses nothing: a column is int when every directory value
    is a plain int (:func:`is_plain_int`), a label otherwise (pyarrow's own inference read
    ``dep=01`` as the int 1 and a date as a label)."""
    try:
        import pyarrow as pa
        import pyarrow.dataset as ds
    except ImportError as exc:
        raise MissingExtraError("Parquet needs pyarrow: pip install 'essconv[parquet]'") from exc
    if isinstance(path_or_dataset, ds.Dataset):
        return path_or_dataset
    listed = isinstance(path_or_dataset, (list, tuple)) and all(
        isinstance(p, (str, os.PathLike, ds.Dataset)) for p in path_or_dataset)
    if not (isinstance(path_or_dataset, (str, os.PathLike)) or listed):
        # pyarrow's TypeError ("Expected a path-like...") escaped, naming no essconv argument
        raise ArgumentTypeError(f"read_parquet reads a Parquet file's path, a folder's, a list "
                                f"of paths or a pyarrow dataset, not "
                                f"{type(path_or_dataset).__name__} {path_or_dataset!r:.40}")
    source = os.fspath(path_or_dataset) if isinstance(path_or_dataset, os.PathLike) \
        else path_or_dataset
    if not (isinstance(source, str) and os.path.isdir(source)):   # a file, a list of files
        return ds.dataset(source, format="parquet", partitioning="hive")
    try:
        return _directory_dataset(source)
    except pa.ArrowTypeError as exc:
        # pyarrow merges the folders' partition columns with the files' own: a file holding
        # a column a folder also names (dep=59/ over a column dep) fails there when their
        # types differ ("Unable to merge: Field dep has incompatible types")
        _refuse_partition_columns_in_files(source)
        raise ParseError(f"pyarrow cannot read this folder as one dataset: {exc}",
                         path=source) from None


def _directory_dataset(source: str) -> Any:
    """A folder of Parquet files as a dataset, typed as :func:`parquet_dataset` says."""
    import pyarrow as pa
    import pyarrow.dataset as ds
    try:
        found = ds.dataset(source, format="parquet", partitioning="hive")
    except pa.ArrowInvalid:
        # a partition column missing on every record (every directory name=__HIVE_DEFAULT_
        # PARTITION__) leaves pyarrow nothing to guess its type from, even as text: the
        # columns and their values are read from the directory names, typed as below
        named = _hive_directory_values(source)
        if not named:
            raise
        return _typed_hive_dataset(source, named, ds.dataset(
            source, format="parquet",
            partitioning=ds.HivePartitioning(pa.schema([(n, pa.string()) for n in named]))))
    partitioning = getattr(found, "partitioning", None)
    if partitioning is None or not len(partitioning.schema):
        return found
    # pyarrow (26) gives a folder holding no name=value folder a hive partitioning whose
    # schema is the files' own columns: asked to read those from folder names, the read
    # failed ("Requested schema has 2 fields, but only 0 were detected").  A partition column
    # is one a folder names; with none, the folder is its files, and its partitioning none
    # (read_parquet of Dask hands it to each file's read)
    named = _hive_directory_values(source)
    names = [n for n in partitioning.schema.names if n in named]
    if not names:
        return ds.dataset(source, format="parquet", partitioning=None)
    # the directory values as written (pyarrow's inference turns '01' into 1 even in its
    # dictionaries), to type each column by the kept kinds or the rule
    as_text = ds.HivePartitioning.discover(
        infer_dictionary=True, schema=pa.schema([(n, pa.string()) for n in names]))
    found = ds.dataset(source, format="parquet", partitioning=as_text)
    partitioning = found.partitioning
    if any(values is None for values in partitioning.dictionaries):
        return found
    return _typed_hive_dataset(source, {
        name: [v for v in values.to_pylist() if v is not None]
        for name, values in zip(partitioning.schema.names, partitioning.dictionaries)}, found)


def _refuse_partition_columns_in_files(root: str) -> None:
    """Refuses the first Parquet file under ``root`` (in the order the folders sort) that
    holds a column a folder above it names (``dep=59/a.parquet`` holding ``dep``), naming
    both; returns when there is none."""
    from urllib.parse import unquote

    import pyarrow as pa
    import pyarrow.parquet as pq
    for folder, subfolders, files in os.walk(root):
        subfolders[:] = sorted(d for d in subfolders if not d.startswith((".", "_")))
        parts = [] if folder == root else os.path.relpath(folder, root).split(os.sep)
        named = {unquote(p.partition("=")[0]): p for p in parts if "=" in p}
        for name in sorted(f for f in files if not f.startswith((".", "_"))):
            where = os.path.join(folder, name)
            try:
                held = pq.read_schema(where).names
            except (OSError, pa.ArrowException):   # not Parquet: pyarrow refuses it itself
                continue
            for column in held:
                if column in named:
                    raise _partition_column_in_a_file(where, column, named[column])


def _partition_column_in_a_file(where: str, column: str, folder: str) -> ParseError:
    """The refusal of a file holding a column its folder (``dep=59``) also names."""
    return ParseError(f"the column {column!r} is both a partition of the dataset "
                      f"(its folder {folder}) and a column of this file: read, the folder's "
                      f"value would stand for the file's without a word; rename one of them",
                      path=where)


def _typed_hive_dataset(source: str, named: dict[str, list[str]], found: Any) -> Any:
    """The hive dataset at ``source``, each partition column typed by the kind to_parquet
    kept in the files' metadata, else int when every value (``named``) is a plain int."""
    import json

    import pyarrow as pa
    import pyarrow.dataset as ds
    said = found.schema.metadata or {}
    kept = json.loads(said.get(PARTITION_KINDS_KEY, b"{}"))
    orders = json.loads(said.get(PARTITION_DATE_ORDERS_KEY, b"{}"))
    types = {"label": pa.string(), "int": pa.int64(), "date": pa.date32()}
    fields = []
    for name, values in named.items():
        kind = kept.get(name)
        if kind not in types:
            kind = "int" if values and all(is_plain_int(v) for v in values) else "label"
        order = orders.get(name) if kind == "date" else None
        fields.append(pa.field(name, types[kind], metadata={DATE_ORDER_KEY: order.encode()}
                               if order in ("dmy", "mdy") else None))
    return ds.dataset(source, format="parquet",
                      partitioning=ds.partitioning(pa.schema(fields), flavor="hive"))


def _hive_directory_values(root: str) -> dict[str, list[str]]:
    """The partition columns of a hive directory, outermost first, each with the values its
    directory names (``name=value``) hold, a missing one (HIVE_MISSING) left out; folders
    starting with ``.`` or ``_`` are no part of the dataset."""
    from urllib.parse import unquote
    named: dict[str, list[str]] = {}
    for folder, subfolders, _ in os.walk(root):
        subfolders[:] = sorted(d for d in subfolders if not d.startswith((".", "_")))
        depth = 0 if folder == root else os.path.relpath(folder, root).count(os.sep) + 1
        for sub in subfolders:
            name, equals, value = sub.partition("=")
            if not equals:
                continue
            name = unquote(name)
            if name not in named and depth == len(named):
                named[name] = []
            if name in named and unquote(value) != HIVE_MISSING:
                named[name].append(unquote(value))
    return named


def read_parquet_files(files: list[str], *, base_dir: str | None, partitioning: Any,
                       amount: str, columns: Sequence[str] | None = None,
                       cents: bool = False) -> "Ledger":
    """Some files of a partitioned dataset, with the partition columns the whole dataset
    has (what a Dask worker reads for one partition)."""
    import pyarrow.dataset as ds
    dataset = ds.dataset(files, format="parquet", partitioning=partitioning,
                         partition_base_dir=base_dir)
    return parquet_ledger(dataset, amount, columns, cents,
                          files[0] if len(files) == 1 else base_dir)


def parquet_ledger(dataset: Any, amount: str, columns: Sequence[str] | None, cents: bool,
                   path: str | None) -> "Ledger":
    """A Parquet dataset's rows as a ledger (``columns`` only, the amount always kept).  A
    report written with its Total line (``with_total().to_parquet(...)``: ``report_line``
    'total') has that line set aside as a bad row, as ``read_sql`` sets it aside: it is the
    sum of the other lines, and read as a record every total counted them twice.  The column
    is read for that even when ``columns`` leaves it out, then left out."""
    from .database import REPORT_LINE, row_numbers, set_aside_report_totals
    kept = None if columns is None else list(dict.fromkeys([amount, *columns]))
    told = REPORT_LINE in dataset.schema.names and REPORT_LINE != amount
    extra = told and kept is not None and REPORT_LINE not in kept
    dataset = _refuse_files_unlike_the_dataset(dataset, kept)
    table = dataset.to_table(columns=kept + [REPORT_LINE] if extra else kept)
    problems: list[Problem] = []
    if told:
        table = table.append_column("__essconv_row", row_numbers(len(table)))
        table = set_aside_report_totals(table, amount, "collect", path, problems)
        table = table.drop_columns(["__essconv_row"] + ([REPORT_LINE] if extra else []))
    ledger = from_arrow_located(table, amount, cents, path)
    if problems:
        ledger.bad_rows = problems
    return ledger


def _arrow_kind(kind: Any) -> str:
    """What a ledger makes of an Arrow type: a text (of any width, view or dictionary), an
    integer or a decimal of any width and scale, a date; another type as itself."""
    import pyarrow as pa
    if pa.types.is_dictionary(kind):
        kind = kind.value_type
    if (pa.types.is_string(kind) or pa.types.is_large_string(kind)
            or getattr(pa.types, "is_string_view", lambda _: False)(kind)):
        return "text"
    if pa.types.is_integer(kind):
        return "integers"
    if pa.types.is_decimal(kind):
        return "decimals"
    if pa.types.is_date(kind):
        return "dates"
    return str(kind)


def _refuse_files_unlike_the_dataset(dataset: Any, kept: list[str] | None) -> Any:
    """A dataset's schema is its first file's: the other files' columns were cast to it and a
    column the first file lacks left out, without a word -- a label '01' of one file read as
    the int 1 beside another's ints, int cents as decimal euros (100 times the amount), a
    column of names dropped.  A file whose column (among ``kept``, every one when None) is of
    another kind than the dataset's (:func:`_arrow_kind`: a text, an integer, a decimal, a
    date), or not in the dataset, is refused naming the file and the column; widths and
    encodings (int32 and int64, a dictionary and its texts) read as one.  A column that is
    also a partition (``dep=59/`` over files holding ``dep``) is refused too: pyarrow reads
    the folder's value over the file's.  Each file's footer is read, which the read does
    anyway.

    Returns the dataset to read: the same, or with the types that hold every file's values
    where the first file's could not -- a column all missing in the first file (Arrow's
    null type, to which pyarrow cannot cast a later file's names) takes a later file's
    type, and decimals the finest scale any file holds (a later file's 1.505 cast to the
    first's 1.5 was refused by pyarrow, naming no file; read at its scale, a sub-cent is
    refused at its row as any amount is)."""
    import pyarrow as pa
    fragments = getattr(dataset, "get_fragments", None)
    if fragments is None:
        return dataset
    schema = dataset.schema
    import pyarrow.dataset as ds
    widened: dict[str, Any] = {}
    for fragment in fragments():
        # the values this file's folders give it (dep=59/: {"dep": "59"}), none for a file
        # outside partition folders
        folders = ds.get_partition_keys(fragment.partition_expression)
        for field in fragment.physical_schema:
            if kept is not None and field.name not in kept:
                continue
            where = getattr(fragment, "path", "a file of the dataset")
            if field.name in folders:
                raise _partition_column_in_a_file(where, field.name,
                                                  f"{field.name}={folders[field.name]}")
            if field.name not in schema.names:
                raise ParseError(
                    f"the column {field.name!r} is in this file but not in the "
                    f"dataset's schema, its first file's: read, its values would be left out; "
                    f"give columns=[...] without it, or write it in every file",
                    path=where)
            said = widened.get(field.name, schema.field(field.name).type)
            if pa.types.is_null(field.type):
                continue   # a column all missing in one file takes any kind
            if pa.types.is_null(said):
                widened[field.name] = field.type
                continue
            if _arrow_kind(field.type) != _arrow_kind(said):
                raise ParseError(
                    f"the column {field.name!r} holds {_arrow_kind(field.type)} "
                    f"({field.type}) where the dataset's first file holds "
                    f"{_arrow_kind(said)} ({said}): read, one file's values would be cast to "
                    f"the other's kind; write the column of one kind in every file",
                    path=where, column=schema.names.index(field.name) + 1)
            if pa.types.is_decimal(said) and field.type != said:
                widened[field.name] = _decimal_holding_both(said, field.type)
    if not widened:
        return dataset
    # the same files (each fragment keeps its partition values), read to the wider types:
    # replace_schema refuses to change a type, and a user's dataset may hold no paths to
    # build it again from
    return ds.FileSystemDataset(list(fragments()), pa.schema([
        field.with_type(widened[field.name]) if field.name in widened else field
        for field in schema], metadata=schema.metadata), dataset.format, dataset.filesystem)


def _decimal_holding_both(one: Any, other: Any) -> Any:
    """The Arrow decimal type holding every value of both: the finest scale, the most digits
    before the point (decimal256 past 38 digits, which the amount's reader then refuses by
    its type, naming it)."""
    import pyarrow as pa
    scale = max(one.scale, other.scale)
    digits = max(one.precision - one.scale, other.precision - other.scale) + scale
    return pa.decimal128(digits, scale) if digits <= 38 else pa.decimal256(min(digits, 76), scale)


def without_report_totals(ledger: "Ledger", bad_rows: str) -> "Ledger":
    """The ledger without a report's Total lines (a label column ``report_line`` saying
    'total'), each said as a bad row at its row (1 for the first) and that column, or refused
    with ``bad_rows="raise"`` (the wording of :func:`essconv.database.report_total_said`).
    No pyarrow needed: the rows are found by the label's code, and the others kept by the
    core's filter."""
    from .database import REPORT_LINE, report_total_said
    names = ledger.columns
    if REPORT_LINE not in names or REPORT_LINE == ledger.amount:
        return ledger
    i = names.index(REPORT_LINE)
    if ledger._kinds[i] != _core.COL_LABEL:
        return ledger
    code = ledger._core.label_code(i, "total")
    if code < 0:   # no Total line: nothing to scan (the usual case, whatever the rows)
        return ledger
    raw = ledger._core.copy_column(i)
    wanted = code.to_bytes(4, sys.byteorder, signed=True)
    rows, at = [], raw.find(wanted)
    while at >= 0:   # the codes are int32: a match counts only on a code's boundary
        if at % 4 == 0:
            rows.append(at // 4)
        at = raw.find(wanted, at + 1)
    if not rows:
        return ledger
    problems: list[Problem] = []
    for row in rows:
        report_total_said(ledger.amount or "", ledger._values(ledger.amount, row, row + 1)[0]
                          if ledger.amount else "", row + 1, i + 1, bad_rows, ledger.path,
                          problems)
    count = ledger._core.dictionary_size(i)
    kept = bytes(int(c != code) for c in range(count))
    core = ledger._core.filter([(i, kept, True, 0, 0)])   # a missing report_line stays
    result = Ledger(core, path=ledger.path, bad_rows=list(ledger.bad_rows) + problems)
    return result


#: the Arrow field metadata that keeps a date column's order (DATE_ORDER_NAMES) through a
#: pyarrow Table or a Parquet file essconv wrote: a filter's 04/03/2017 reads the same after
DATE_ORDER_KEY = b"essconv.date_order"


def with_date_orders(table: Any, ledger: "Ledger") -> Any:
    """A pyarrow Table of the ledger, each date column whose order was decided saying it in
    its field's metadata."""
    orders = ledger.date_orders
    for i, field in enumerate(table.schema):
        said = orders.get(field.name, "unknown")
        if said != "unknown":
            table = table.set_column(i, field.with_metadata(
                {**(field.metadata or {}), DATE_ORDER_KEY: said.encode()}), table.column(i))
    return table


def from_arrow_located(table: Any, amount: str, cents: bool, path: str | None, *,
                       read_unit: bool = True) -> "Ledger":
    """from_columns on Arrow data, its errors naming the file they came from.  ``read_unit=False``
    when the amounts are already euros whatever the column's name says (text a reader read in
    the name's unit, a ledger's own columns)."""
    try:
        ledger = without_report_totals(Ledger._from_columns(
            table, amount=amount, cents=cents, decimal=None, read_unit=read_unit), "collect")
        ledger.built_by = "from_columns"
    except (ParseError, MoneyOverflowError, InvalidValueError) as exc:
        raise exc.restated(Exception.__str__(exc), path=path, line=exc.line,
                           column=exc.column, reason=exc.reason) from None
    except TypeError as exc:   # the core refuses floats: say so as an essconv error
        # (a reason kept: a unit named over numbers is worded in French by it; and the place:
        # numbers beside the amount under a k€ name are refused at their column)
        raise AmountTypeError(Exception.__str__(exc), path=path, line=getattr(exc, "line", 0),
                              column=getattr(exc, "column", 0),
                              reason=getattr(exc, "reason", ())) from None
    ledger.path = path
    return ledger


def write_parquet(columns: Any, path: str | os.PathLike[str],
                  partition_by: Sequence[str] | None, *, overwrite: bool = False) -> None:
    """Anything with the Arrow PyCapsule interface (a ledger, an aggregate) as Parquet; with
    ``partition_by`` a hive dataset (see :meth:`Ledger.to_parquet` for what it replaces)."""
    try:
        import pyarrow as pa
        import pyarrow.dataset as ds
        import pyarrow.parquet as pq
    except ImportError as exc:
        raise MissingExtraError("Parquet needs pyarrow: pip install 'essconv[parquet]'") from exc
    table = pa.table(columns)
    if isinstance(columns, Ledger):   # its date orders, read by read_parquet (the core says
        table = with_date_orders(table, columns)   # an amount's unit in its field already)
    if not partition_by:
        pq.write_table(table, os.fspath(path))
        return
    import json
    import secrets
    import shutil
    target = os.fspath(path)
    partition_by = list(partition_by)
    kinds = {}
    for name in partition_by:
        if name not in table.column_names:
            raise UnknownColumnError(f"partition_by: no column {name!r}; the table's columns: "
                                     f"{names_listed(table.column_names)}")
        kind = table.schema.field(name).type
        kind = kind.value_type if pa.types.is_dictionary(kind) else kind
        kinds[name] = ("int" if pa.types.is_integer(kind) else "date" if pa.types.is_date(kind)
                       else "label" if pa.types.is_string(kind) or pa.types.is_large_string(kind)
                       else None)
        if kinds[name] == "label":
            _refuse_hive_missing_label(table.column(name), name)
    # the directory names hold the partition values as text: their kinds go in every file's
    # schema metadata, so that a label '01' is not read back as the int 1, nor a date as a label
    metadata = dict(table.schema.metadata or {})
    metadata[PARTITION_KINDS_KEY] = json.dumps({k: v for k, v in kinds.items() if v}).encode()
    # a date partition column's order, which its field (not written: the directories hold its
    # values) cannot say: a filter's 04/03/2017 reads the same after read_parquet
    orders = {k: (table.schema.field(k).metadata or {}).get(DATE_ORDER_KEY, b"").decode()
              for k, v in kinds.items() if v == "date"}
    metadata[PARTITION_DATE_ORDERS_KEY] = json.dumps({k: v for k, v in orders.items()
                                                      if v}).encode()
    table = table.replace_schema_metadata(metadata)
    old = _replaced_dataset_files(target, overwrite)
    # written beside the target then moved into place: a failed write leaves the old dataset
    # whole, and the old files are removed only once the new ones are all written
    parent = os.path.dirname(os.path.abspath(target))
    fresh = os.path.join(parent, f".{os.path.basename(os.path.abspath(target))}."
                                 f"essconv-{secrets.token_hex(6)}")
    written: list[str] = []
    try:
        ds.write_dataset(table, fresh, format="parquet", partitioning=partition_by,
                         partitioning_flavor="hive", existing_data_behavior="error",
                         file_visitor=lambda f: written.append(os.path.relpath(f.path, fresh)))
        os.makedirs(fresh, exist_ok=True)   # no row: no file, still a dataset of no record
        with open(os.path.join(fresh, DATASET_MARK), "w", encoding="utf-8") as fh:
            json.dump({"written_by": "essconv", "partition_by": partition_by,
                       "files": sorted(p.replace(os.sep, "/") for p in written)}, fh, indent=1)
    except BaseException:
        shutil.rmtree(fresh, ignore_errors=True)
        raise
    if old is not None:
        for rel in old:
            os.remove(os.path.join(target, rel))
        for folder, _, _ in sorted(os.walk(target), key=lambda w: -len(w[0])):
            os.rmdir(folder)   # empty now: every file in it was the old dataset's (or none was)
    os.replace(fresh, target)


#: the directory value Hive and pyarrow write for a missing partition value, read back as one
HIVE_MISSING = "__HIVE_DEFAULT_PARTITION__"


def _refuse_hive_missing_label(column: Any, name: str) -> None:
    """A partition label spelled as Hive spells a missing value: written as its directory, it
    would be read back as missing and merged with the missing keys, silently; refused."""
    import pyarrow as pa
    import pyarrow.compute as pc
    if column.null_count == len(column):
        return
    texts = column.cast(pa.string()) if pa.types.is_dictionary(column.type) else column
    held = pc.sum(pc.equal(texts, HIVE_MISSING)).as_py()
    if held:
        raise InvalidValueError(
            f"partition_by: the column {name!r} holds the label {HIVE_MISSING!r} ({held} "
            f"record{'s' if held > 1 else ''}), which names a missing value in a hive directory: "
            f"read back, it would be merged with the missing keys; relabel it first "
            f"(ledger.relabel({name!r}, {{{HIVE_MISSING!r}: '...'}}))")


def _replaced_dataset_files(target: str, overwrite: bool) -> list[str] | None:
    """The files (relative to ``target``) of the dataset to_parquet(partition_by=...) replaces
    at ``target``: None when the target is absent, none when it is an empty directory; refuses
    a target that is not a dataset essconv wrote, or holds anything more.  Deletes nothing."""
    import json
    if not os.path.lexists(target):
        return None
    if not os.path.isdir(target) or os.path.islink(target):
        raise InvalidValueError("to_parquet(partition_by=...) writes a directory of its own, "
                                "and this is a file or a link: nothing written", path=target)
    present = sorted(os.path.relpath(os.path.join(folder, n), target).replace(os.sep, "/")
                     for folder, _, names in os.walk(target) for n in names)
    if not present:
        return []
    if not overwrite:
        raise InvalidValueError(
            f"the directory is not empty ({len(present)} file(s)): a partitioned write would "
            f"mix its files with the new ones, and the old partitions would be read back with "
            f"them. Pass overwrite=True to replace a dataset essconv wrote there, or write to "
            f"an empty directory", path=target)
    try:
        with open(os.path.join(target, DATASET_MARK), encoding="utf-8") as fh:
            listed = json.load(fh)["files"]
    except (OSError, ValueError, KeyError, TypeError):
        raise InvalidValueError(
            f"overwrite=True replaces only a dataset essconv wrote (one with its "
            f"{DATASET_MARK}), and this directory holds none: nothing deleted, nothing "
            f"written", path=target) from None
    listed = set(listed) | {DATASET_MARK}
    strays = [p for p in present if p not in listed]
    if strays:
        raise InvalidValueError(
            f"overwrite=True: the directory holds {len(strays)} file(s) essconv did not write "
            f"there (first: {strays[0]!r}): nothing deleted, nothing written", path=target)
    return present


_INT_TEXT = re.compile(r"[+-]?[0-9]+")


def _int_bound(name: str, v: int) -> int:
    """An int condition's value, refused past int64 with an essconv error (the core's argument
    parsing raised a bare OverflowError), as an int cell past int64 is."""
    if not -(2**63) <= v < 2**63:
        raise MoneyOverflowError(f"column {name!r} holds int64s: the condition's {v} is past "
                                 f"int64 and cannot be compared")
    return v


def _fold(label: str) -> str:
    """A label without case, accents or surrounding spaces, as the conditions fold them:
    "Caisse des depots" finds "Caisse des Dépôts" as its close label."""
    return without_accents(label.strip()).casefold()


#: a date written with its day and month before the year in a filter: "25/03/2017"
#: ("25-03-2017", "25.03.2017", "25/3/2017"); a year of two digits is matched to be refused
_NUMERIC_DATE = re.compile(r"([0-9]{1,2})([/.-])([0-9]{1,2})\2([0-9]{4}|[0-9]{2})")
#: year first, as the reader takes it from a file too: "2017/03/25" (and "2017-3-25",
#: "2017.03.25": one reading)
_YEAR_FIRST_DATE = re.compile(r"([0-9]{4})([/.-])([0-9]{1,2})\2([0-9]{1,2})")


def _iso_date(text: str) -> _dt.date | None:
    try:
        return _dt.date.fromisoformat(text.strip())
    except ValueError:
        return None


#: the order a ledger keeps for each date column (``_core.Ledger.date_orders``), as said to users
DATE_ORDER_NAMES = {"d": "dmy", "m": "mdy", "-": "unknown"}


def _filter_date(name: str, text: str, order: str = "-") -> _dt.date | None:
    """A filter's date written as the grant files and a committee write it, ``25/03/2017``,
    ``2017-03-25T10:00``, or None when the text is not of such a shape.  A text the reader
    takes in a date cell is read by the reader's own rule (``_core.parse_date``): a time after
    the day is the day.  ``order`` is the order the ledger read its column in ('d' day first,
    'm' month first, '-' never decided): a value both orders read (``04/03/2017``: 4 March or
    3 April?) is read in the column's order, and refused naming both readings when the ledger
    never decided one (ISO dates only, or not read from text).  A value one order only reads
    (``03/25/2017``) is that day.  A year of two digits (which century?) and a day the
    calendar has not (``31/02/2017``) are refused, naming the column, never guessed (a filter
    on the wrong day keeps the wrong grants without a word)."""
    value = text.strip()
    head = f"column {name!r} holds dates: {value!r}"

    def ambiguous(one: str, other: str) -> ConditionError:
        return ConditionError(f"{head} reads day first as {one} and month first as {other}: "
                              f"write the one meant as such (year-month-day)",
                              reason=("filter-date-ambiguous", name, value, one, other))

    readings = {}
    for way in ("d", "m"):
        try:
            readings[way] = _core.parse_date(value, way)
        except ValueError:
            pass
    if readings:   # the reader reads it so: one reading, or two the column's order decides
        if order in readings:
            days = readings[order]
        elif len(set(readings.values())) == 1:
            days = next(iter(readings.values()))
        else:
            raise ambiguous(*(_date_of(readings[w], name, 0).isoformat() for w in ("d", "m")))
        return None if days is None else _EPOCH + _dt.timedelta(days=days)
    said = _YEAR_FIRST_DATE.fullmatch(value)
    if said is not None:   # year, month, day: one reading
        try:
            return _dt.date(int(said.group(1)), int(said.group(3)), int(said.group(4)))
        except ValueError:
            raise ConditionError(f"{head} is no day of the calendar",
                                 reason=("filter-date-impossible", name, value)) from None
    said = _NUMERIC_DATE.fullmatch(value)
    if said is None:
        return None
    first, second, year = int(said.group(1)), int(said.group(3)), said.group(4)
    if len(year) == 2:
        raise ConditionError(f"{head} has a year of two digits, which could be 19{year} or "
                             f"20{year}: write the year with four",
                             reason=("filter-date-year", name, value))
    if first <= 12 and second <= 12 and first != second and order not in ("d", "m"):
        raise ambiguous(f"{year}-{second:02d}-{first:02d}", f"{year}-{first:02d}-{second:02d}")
    month_first = order == "m" if first <= 12 and second <= 12 else first <= 12 < second
    day, month = (second, first) if month_first else (first, second)
    try:
        return _dt.date(int(year), month, day)
    except ValueError:
        raise ConditionError(f"{head} is no day of the calendar, day first or month first",
                             reason=("filter-date-impossible", name, value)) from None


def _as_kind(name: str, kind: int, v: Any, order: str = "-") -> Any:
    """A condition's value as its column holds it (a label, int, day number or cents),
    converted only when there is one way to read it; None stays None (a missing value)."""
    if v is None:
        return None
    def refuse() -> ConditionError:
        return ConditionError(f"column {name!r} holds {KIND_NAMES[kind]}s: {v!r} "
                              f"({type(v).__name__}) is not one, and cannot be read as one",
                              reason=("not-of-kind", name, KIND_NAMES[kind], str(v)))
    if isinstance(v, (bool, float)):
        raise refuse()
    if kind == _core.COL_LABEL:
        if isinstance(v, str):
            return v
        if isinstance(v, int):
            return str(v)              # a year or a code read as text: 2017 is "2017"
        raise refuse()
    if kind == _core.COL_INT:
        if isinstance(v, str) and _INT_TEXT.fullmatch(v.strip()):   # ASCII digits only: "²"
            v = int(v.strip())                                          # is a digit to isdigit()
        elif isinstance(v, Decimal) and v.is_finite() and v == v.to_integral_value():
            v = int(v)
        if not isinstance(v, int):
            raise refuse()
        return _int_bound(name, v)
    if kind == _core.COL_DATE:
        if isinstance(v, _dt.datetime):
            v = _EPOCH + _dt.timedelta(days=_day_of_datetime(name, 0, v))
        elif isinstance(v, str):
            day = _filter_date(name, v, order) or _iso_date(v)
            if day is None:   # naming the text given, and why the reader would refuse it too
                try:
                    _core.parse_date(v, "")
                    why, said = "", ()
                except ValueError as exc:
                    # the reader's reason ("date", "date-impossible"), worded in French as its
                    # bad rows are: the English is its message
                    why, said = f" ({exc})", getattr(exc, "reason", ())
                raise ConditionError(f"column {name!r} holds dates: {v!r} (str) is not one, and "
                                     f"cannot be read as one{why}",
                                     reason=("not-of-kind", name, KIND_NAMES[kind], str(v),
                                             *said))
            v = day
        if not isinstance(v, _dt.date):
            raise refuse()
        return (v - _EPOCH).days
    try:
        return to_cents(v)
    except (AmountError, MoneyOverflowError) as exc:
        if exc.reason:   # "12.500", undecided: its own reason says it, in either language
            raise
        # the parser's words alone ("'abc' is not an amount: ...") named no column, and had no
        # kind a listing could word in French: said as a date or an int that is none is, with
        # the reader's reason for it (what exactly is wrong, past int64 cents included), as
        # its bad rows say it
        raise type(exc)(f"column {name!r} holds amounts: {v!r} ({type(v).__name__}) is not "
                          f"one, and cannot be read as one: {exc}",
                          reason=("not-of-kind", name, KIND_NAMES[kind], str(v),
                                  *_amount_fault(v))) from None


def _amount_fault(v: Any) -> tuple:
    """Why the reader sets aside a row holding the amount ``v`` (a text to_cents refuses): its
    bad row's reason (kind, "", text, number, character, amount, the parser's detail), for a
    listing to word the fault in its language; () when the reader reads it after all."""
    import csv
    import io
    if not isinstance(v, str):
        return ()
    if not v.strip():
        return ("amount-blank", "", v, 0, 0, "", "")
    buffer = io.StringIO()
    # a blank line under the header: v is a value, not the units line a file may print
    # under its header (refused as such at the body's first line, see _text_amounts)
    csv.writer(buffer, delimiter="\t", lineterminator="\n").writerows([["montant"], [], [v]])
    try:
        read = Ledger.read_csv(buffer.getvalue().encode(), amount="montant", dims=[],
                               delimiter="\t", encoding="utf-8", bad_rows="collect", threads=1)
    except (ParseError, AmountError, MoneyOverflowError, InvalidValueError):
        return ()
    [bad] = read.bad_rows or [None]
    if bad is None or not getattr(bad, "reason", ()):
        return ()
    return (bad.reason[0], "") + tuple(bad.reason[2:])   # the column is the refusal's own


# the days from 1970-01-01 of the first and the last date Python holds (0001-01-01, 9999-12-31)
_FIRST_DAY, _LAST_DAY = (_dt.date.min - _dt.date(1970, 1, 1)).days, \
    (_dt.date.max - _dt.date(1970, 1, 1)).days


def _row_count(n: Any, verb: str, name: str = "n") -> int:
    """``n`` of head(n) or tail(n) (named ``name`` there): a count of rows, 0 or more (pandas
    reads head(-1) as all rows but the last; an empty list said nothing of it)."""
    if isinstance(n, bool) or not isinstance(n, int):
        raise ArgumentTypeError(f"{verb}({name}): {name} is a number of rows as an int (5), not "
                                f"{type(n).__name__} {n!r:.40}")
    if n < 0:
        raise InvalidValueError(f"{verb}({name}): {name} is a number of rows, 0 or more, not {n}")
    return n


def _with_file(bad: Any, path: str | None) -> Any:
    """A row set aside, naming the file it was read from (kept as it is if it names one)."""
    if isinstance(bad, BadRow):
        return bad
    return BadRow(path, bad.line, bad.column, bad.message, getattr(bad, "reason", ()))


def _date_of(days: int, column: str, row: int) -> _dt.date:
    """A date column's day number as a date; a number past the years 1-9999 (an Arrow date32
    holds ±5.8 million years) is refused naming its column and row: timedelta's bare
    OverflowError named neither, and the row could not be found among millions."""
    if not _FIRST_DAY <= days <= _LAST_DAY:
        raise InvalidValueError(
            f"the column {column!r}, row {row}, holds the day {days} from 1970-01-01, which is "
            f"no date of the years 1 to 9999 (a date32 out of range?)")
    return _EPOCH + _dt.timedelta(days=days)


_BUFFER_FORMAT = {_core.COL_LABEL: "i", _core.COL_DATE: "i", _core.COL_INT: "q",
                  _core.COL_AMOUNT: "q"}


def _core_state(core: Any, protocol: int) -> tuple:
    """(names, kinds, column buffers, dictionaries, blank rows) of a core ledger."""
    import pickle
    names, kinds = [n for n, _ in core.columns], [k for _, k in core.columns]
    buffers = [core.column(i) for i in range(len(names))]
    buffers = [pickle.PickleBuffer(b) if protocol >= 5 else memoryview(b).tobytes()
               for b in buffers]
    dictionaries = [core.dictionary(i) if k == _core.COL_LABEL else None
                    for i, k in enumerate(kinds)]
    return names, kinds, buffers, dictionaries, core.blank_rows


def _core_from_state(state: tuple) -> Any:
    names, kinds, buffers, dictionaries, blank_rows = state
    # a buffer comes back as bytes (in band) or as what the receiver handed pickle (out of
    # band): either way raw bytes, viewed again with the column's item format
    arrays = []
    for kind, buffer in zip(kinds, buffers):
        view = memoryview(buffer)
        arrays.append((view if view.format == "B" else view.cast("B")).cast(_BUFFER_FORMAT[kind]))
    core = _core.Ledger.from_arrays(list(names), list(kinds), arrays, list(dictionaries))
    core.blank_rows = blank_rows
    return core


def _restore_ledger(state: tuple, path: str | None, bad_rows: list[Problem],
                    date_orders: str | None = None) -> "Ledger":
    """A pickled ledger; its date columns' orders as read (None: pickled before a ledger kept
    them, none decided)."""
    core = _core_from_state(state)
    if date_orders is not None:
        core.date_orders = date_orders
    return Ledger(core, path=path, bad_rows=bad_rows)


def _restore_aggregate(state: tuple, dims: list[str], dense: bool, threads: int,
                       measure: str, rows: array | None = None, lines: int = 0,
                       overflow: tuple = (), date_orders: str | None = None,
                       overflow_below: tuple = ()) -> "Aggregate":
    """A pickled aggregate; its date keys' orders as read (None: pickled before an aggregate
    kept them, none decided); its overflowing groups below int64 cents' floor."""
    core = _core_from_state(state)
    if date_orders is not None:
        core.date_orders = date_orders
    return Aggregate(core, dims, dense=dense, threads=threads, measure=measure,
                     rows=rows, lines=lines, overflow=overflow, overflow_below=overflow_below)


def column_units(ledger: "Ledger", column: str, value: Any) -> int:
    """``value`` in an int, date or amount column's own units (the int, a day number, cents),
    read as ``Ledger.filter`` reads it (a date's text in the column's order, an amount's French
    or English spelling), refused with its errors: the command line's bounds, where
    ``montant>23000`` starts one cent past it."""
    i = ledger._col(column)
    assert ledger._kinds[i] != _core.COL_LABEL, "labels have no units"
    return _as_kind(column, ledger._kinds[i], value, ledger._date_order(i))


def column_value(ledger: "Ledger", column: str, units: int) -> Any:
    """The value ``Ledger.filter`` takes for ``units`` of the column (``column_units``'s
    inverse): an int, a date or a Decimal, exact (the date module's OverflowError past
    9999-12-31; the caller keeps ints and cents within int64)."""
    kind = ledger._kinds[ledger._col(column)]
    if kind == _core.COL_DATE:
        return _EPOCH + _dt.timedelta(days=units)
    return from_cents(units) if kind == _core.COL_AMOUNT else units


def _bounds(name: str, cond: Any, kind: int, order: str = "-") -> tuple[int, int]:
    """Inclusive bounds in the column's own units: a range, a (lo, hi) pair (None for an
    open end), a set of consecutive ints, or a single value (a date column's texts read in
    its ``order``, see _filter_date)."""
    # an open end spans all of int64: INT64_MIN cents is a real amount (an int column's missing
    # value shares that bit pattern, but the core tests missing before the range)
    lo_default, hi_default = -(2**63), 2**63 - 1
    if isinstance(cond, range):
        if cond.step != 1:
            raise InvalidValueError("a range condition needs step 1")
        if kind == _core.COL_INT:
            return _int_bound(name, cond.start), _int_bound(name, cond.stop - 1)
        # ints are no amounts nor dates: refused as it stands, never made a list first
        # (range(0, 10**9) on an amount column was a billion Decimals, then its repr whole)
        raise ConditionError(f"column {name!r} holds {KIND_NAMES[kind]}s: a range of ints "
                             f"filters an int column only; give the bounds as a pair of "
                             f"{KIND_NAMES[kind]}s, (lo, hi), not {cond!r}")
    if isinstance(cond, (set, frozenset, list)):
        # amounts are never a set of consecutive values (1 € and 2 € are 100 cents apart):
        # refused before each is read, the values shown in part when there are many
        values = [] if kind == _core.COL_AMOUNT else \
            sorted({_as_kind(name, kind, v, order) for v in cond} - {None})
        if not values or values[-1] - values[0] != len(values) - 1:
            import reprlib
            raise ConditionError(f"column {name!r} holds {KIND_NAMES[kind]}s: a set of them is "
                                 f"filtered as one range of consecutive values; "
                                 f"{reprlib.repr(cond)} is not")
        return values[0], values[-1]
    if isinstance(cond, tuple) and len(cond) == 2:
        lo, hi = cond
    else:
        lo = hi = cond
    lo, hi = _as_kind(name, kind, lo, order), _as_kind(name, kind, hi, order)
    return (lo_default if lo is None else lo), (hi_default if hi is None else hi)


def _dim_name(dim: str | DateDimension) -> str:
    """A dimension's key column name in an aggregate or a pivot: "year(dateConvention)"."""
    return dim.name if isinstance(dim, DateDimension) else dim


UNIT_EUR = 100   # the core's unit of a euro, in cents: a name's k€ is 100 000, M€ 100 000 000
# An Arrow field's metadata (the core's ESS_ARROW_AMOUNT_UNIT_KEY), a pandas frame's attrs
# ({name: unit}): the unit of the amount's figures, "kEUR" or "MEUR" where its name says k€ or
# M€ (its figures in that unit, as the name promises), "EUR" euros.  essconv's exports write
# it, and the core reads a marked column's figures in that unit: the name's unit applied once,
# never twice (k€ figures multiplied again) nor not at all (k€ figures read as euros).
AMOUNT_UNIT_KEY = b"essconv.amount_unit"
_AMOUNT_UNIT_MARKS = {b"EUR": 100, b"kEUR": 100_000, b"MEUR": 100_000_000}
_PANDAS_UNITS = "essconv.amount_units"


def said_unit(name: str | None) -> int:
    """The unit an amount's name says, in cents (0 none said, or no amount), for a name
    already accepted: a ledger's amount passed the rule when it was read."""
    if name is None:
        return 0
    try:
        return _core.amount_header_unit(name)
    except Error:
        return 0


def said_amount_unit(mapping: Any, amount: str) -> int | None:
    """The unit (in cents: 100 000 for k€) an Arrow table (or reader, batch) or a pandas frame
    essconv exported says its amount's figures are in (:data:`AMOUNT_UNIT_KEY`, ``to_pandas``'s
    attrs), None when it says none or a mark essconv never writes."""
    if isinstance(mapping, Ledger):   # its stream says it, as its core exports the amount
        return said_unit(amount) if amount in mapping._names else None
    attrs = getattr(mapping, "attrs", None)
    said = attrs.get(_PANDAS_UNITS) if isinstance(attrs, dict) else None
    if isinstance(said, dict) and isinstance(said.get(amount), str):
        return _AMOUNT_UNIT_MARKS.get(said[amount].encode())
    schema = getattr(mapping, "schema", None)
    if schema is None or not hasattr(schema, "get_field_index"):
        return None
    i = schema.get_field_index(amount)
    return _AMOUNT_UNIT_MARKS.get((schema.field(i).metadata or {}).get(AMOUNT_UNIT_KEY)) \
        if i >= 0 else None


def marked_arrow(mapping: Any) -> Any:
    """``mapping`` as the core is to read it: a pandas frame whose attrs say its amounts' units
    (``to_pandas`` of a ledger holding an amount named in k€, summed or beside the one summed)
    as a pyarrow Table whose amount fields say them, pandas' own export carrying no field's
    metadata (its k€ figures were read as euros, a thousand times too small, or refused as
    numbers under a k€ name).  Any other source is returned as it is."""
    attrs = getattr(mapping, "attrs", None)
    said = attrs.get(_PANDAS_UNITS) if isinstance(attrs, dict) else None
    if type(mapping).__module__.split(".")[0] != "pandas" or not isinstance(said, dict):
        return mapping
    import pyarrow as pa
    table = None
    for name, mark in said.items():
        if not isinstance(mark, str) or name not in getattr(mapping, "columns", ()):
            continue   # a column dropped in pandas since: nothing of it to mark
        if table is None:
            table = pa.table(mapping)   # as the core would read the frame itself
        i = table.schema.get_field_index(name)
        if i < 0:
            continue
        field = table.schema.field(i)
        table = table.set_column(i, field.with_metadata(
            {**(field.metadata or {}), AMOUNT_UNIT_KEY: mark.encode()}), table.column(i))
    return mapping if table is None else table


def refuse_amounts_beside_their_names(ledger: "Ledger", source: Any, amount: str) -> None:
    """The amounts kept beside the summed one (a Decimal column, an Arrow decimal after it, an
    aggregate's mean read back) held to the summed amount's rule on their names, the one rule
    (``_core.amount_header_unit``): a name it refuses ('sub (USD)', 'sub (000 €)') raises its
    :class:`ParseError`, and numbers under a name saying k€ or M€ that no mark of essconv's
    exports says the unit of (:func:`said_amount_unit` of ``source``) are refused as the summed
    amount's are (:func:`refuse_unit_over_numbers`).  Only the summed amount's name was read:
    a Decimal 1.5 under 'sub (k€)' was held as 1,50 €, its name saying 1 500 €, and exported as
    0.00150 k€.  A marked column was read by the core in its mark's unit; text read by a reader
    in the name's unit comes marked 'EUR'.  Each error is placed at the column."""
    for column, (name, kind) in enumerate(zip(ledger._names, ledger._kinds), 1):
        if kind != _core.COL_AMOUNT or name == amount:
            continue
        try:
            unit = _core.amount_header_unit(name)
        except ParseError as exc:
            raise exc.restated(Exception.__str__(exc), column=column, reason=exc.reason) from None
        if unit > UNIT_EUR and said_amount_unit(source, name) is None:
            refuse_unit_over_numbers(name, unit, column=column)


def refuse_unit_over_numbers(amount: str, unit: int, *, column: int = 0) -> NoReturn:
    """Numbers (Decimal, int, cents, Arrow decimals) under an amount column whose name says k€
    or M€, that no mark of essconv's exports says the unit of: refused.  They carry no unit of
    their own: read as euros a k€ file's numbers were a thousandth of themselves, and a tool
    that wrote euros under the name (as essconv's exports did) would be read a thousand times
    too large -- both silent.  Text is read in the name's unit, as a CSV file's cells are."""
    symbol = "k€" if unit == 100_000 else "M€"
    raise AmountTypeError(
        f"the amount column '{amount}' names its unit ('{symbol}') over numbers, which carry "
        f"none: read as euros or multiplied by the unit, they could be wrong either way "
        f"(essconv's own exports hold such a column's figures in its unit and mark it, and "
        f"read back); rename the column to "
        f"say its numbers' unit ('montant (€)' when they are euros, converted first if they are "
        f"not), or give them as text ('1,5'), read in the name's unit",
        column=column, reason=("unit-numbers",))


def _amount_array(values: Any, cents: bool, name: str = "amount",
                  decimal: str | None = None, unit: int = 0) -> Any:
    if type(values).__module__ == "numpy" and getattr(getattr(values, "dtype", None), "kind",
                                                      "") in ("M", "m"):
        # dates or durations given as the amount: numpy refused them a buffer with a bare
        # ValueError, and the ints of their tolist() (nanoseconds) would read as euros
        raise AmountTypeError(f"the amount {name!r} holds numpy {values.dtype} values, dates "
                              f"or durations: an amount is Decimal, int or str")
    _refuse_no_column(name, values)   # bytes are a buffer: of bytes as euros, one a byte
    try:
        view = memoryview(values)
    except TypeError:
        view = None
    if unit > UNIT_EUR and (cents or view is not None):
        refuse_unit_over_numbers(name, unit)
    if cents:
        if view is not None:
            if view.format not in ("q", "l", "<q", "<i8", "=q") or view.itemsize != 8:
                raise AmountTypeError(f"the amount {name!r} in cents needs an int64 buffer, "
                                      f"not one of format {view.format!r}")
            if not view.c_contiguous:   # a strided slice (a[::2]): the core reads one block,
                return array("q", view.tolist())   # and raised a bare BufferError for it
            return view
        return array("q", (given_cents(None if _missing_marker(v) else v, name, k + 1)
                            for k, v in enumerate(_sequence(name, values))))
    if view is not None and view.format in ("f", "d", "e", "<f8", "<f4"):
        raise AmountTypeError("amounts are never floats: pass Decimal, int or str (or cents=True)")
    items = _sequence(name, values)
    if unit > UNIT_EUR and any(not isinstance(v, str) and v is not None and not _missing_marker(v)
                                for v in items):
        refuse_unit_over_numbers(name, unit)
    texts = [(k, v) for k, v in enumerate(items) if isinstance(v, str)]
    read, why = _text_amounts(name, texts, decimal, unit) if texts else ({}, {})
    out = array("q")
    for k, v in enumerate(items):
        cents_of = read.get(k)
        if cents_of is None:
            # an amount that is no amount says its column and row, as a file's says its line:
            # a pandas column's missing amount (NaN) read "amounts are never floats", with
            # nothing to find it by among a million Decimals
            at = f"the amount column {name!r}, row {k + 1}"
            if v is None or _missing_marker(v):
                raise AmountTypeError(f"{at}: the amount is missing ({v!r})")
            try:
                cents_of = to_cents(v, decimal=decimal)   # the mark declared, as read
            except (AmountError, AmountTypeError, MoneyOverflowError) as exc:
                raise exc.restated(f"{at}: {Exception.__str__(exc)}",
                                   reason=exc.reason or _outside_file_reason(
                                       exc, name, k + 1, why.get(k))) from None
        out.append(cents_of)
    return out


def _outside_file_reason(exc: Exception, name: str, row: int, read: tuple | None) -> tuple:
    """The reason of an amount of ``from_columns`` refused (for ``Language.refusal`` to word it
    in French): a text's as the reader set its row aside (``read``), a number past int64 cents
    shaped as the reader's "amount-too-large", its column ``name`` and then its ``row`` (no
    line holds it).  () when nothing says why (the English message stays)."""
    if read is not None:
        return (read[0], name) + tuple(read[2:8]) + (0,) * (8 - len(read)) + (row,)
    if isinstance(exc, MoneyOverflowError):
        said = re.match(r"'(.*?)'", Exception.__str__(exc))
        value = said.group(1) if said else ""
        return ("amount-too-large", name, value, -1 if exc.below else 1, 0, "", "too-large", 0,
                row)
    return ()


_FIRST_LINE = 3   # the line of _text_amounts' first text: a header, a blank line, the texts


def _text_amounts(name: str, texts: list[tuple[int, str]], decimal: str | None,
                  unit: int = 0) -> tuple[dict[int, int], dict[int, tuple]]:
    """Printed amounts (their place in the column, their text) read by the CSV reader as one
    file's amount column: each alone, "12.500" was 12 500 beside "3.25" (whose point says the
    column's is decimal: 12,5), and 12 500 with nothing to say which, where a file is refused.
    Returns each readable one's cents by place, and each unreadable one's reason as the reader
    set it aside (left to to_cents, which words it as before, the reason for its French)."""
    import csv
    import io
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter="\t", lineterminator="\n")
    # the header names the unit the column's name said (read by the same rule), none else:
    # bare amounts in k€ or M€ multiplied exactly, a cell's own "2 €" still its own
    header = {100_000: "montant (k€)", 100_000_000: "montant (M€)"}.get(unit, "montant")
    writer.writerow(["place", header])
    # a blank line under the header: the texts are values, none of them the units line a
    # spreadsheet prints under a file's header ("k€" alone, refused there as such: the core's
    # units_line_refused asks it of the body's first line); blank lines are passed over.
    # What must stay true: texts[k] is on line k + _FIRST_LINE
    buffer.write("\n")
    writer.writerows(texts)
    try:
        parsed = Ledger.read_csv(buffer.getvalue().encode(), amount=header, ints=["place"],
                                 dims=[], delimiter="\t", encoding="utf-8", decimal=decimal,
                                 bad_rows="collect", threads=1)
    except ParseError as exc:   # the column says nothing of its point: line L is texts[L - 2]
        at = (texts[exc.line - _FIRST_LINE][0]
              if _FIRST_LINE <= exc.line < len(texts) + _FIRST_LINE else None)
        message = Exception.__str__(exc).replace(f"column '{header}': ", "")
        # its reason kept, with the column and row its message now names, for a listing to
        # word it in its language (Language.refusal)
        reason = exc.reason[:2] + (name, at + 1 if at is not None else 0) if exc.reason else ()
        raise exc.restated(f"the amount column {name!r}" + (f", row {at + 1}" if at is not None
                                                            else "") + f": {message}",
                           reason=reason) from None
    why = {texts[p.line - _FIRST_LINE][0]: p.reason for p in parsed.bad_rows
           if p.reason and _FIRST_LINE <= p.line < len(texts) + _FIRST_LINE}
    return dict(zip(parsed.values("place"),
                    (to_cents(v) for v in parsed.values(header)))), why


_INT_MISSING = -(2**63)   # the core's int64 for a missing int: no value may be it


def _int_cell(name: str, value: Any) -> int:
    if value is None:
        return _INT_MISSING
    if isinstance(value, bool) or not isinstance(value, int):   # "a" among ints: no int
        raise ArgumentTypeError(f"column {name!r} holds ints and {value!r} "
                                f"({type(value).__name__}): pass one kind of value a column")
    if not _INT_MISSING < value < 2**63:
        why = " (-2**63 is kept for a missing value)" if value == _INT_MISSING else ""
        raise MoneyOverflowError(f"column {name!r}: {value} does not fit int64{why}")
    return value


def _date_cell(name: str, row: int, value: Any, values: Any) -> int:
    """A date column's cell as its day from 1970-01-01.  A datetime is its day, the time of day
    set aside as the CSV reader sets it aside (a pandas Timestamp column, dates at midnight);
    anything else is refused naming the column and the row: ``date - date`` raised Python's
    bare TypeError on a str, an int or a datetime among dates."""
    if value is None:
        return _core.DATE_MISSING
    if isinstance(value, _dt.datetime):
        return _day_of_datetime(name, row, value)
    if isinstance(value, _dt.date):
        return (value - _EPOCH).days
    if getattr(getattr(values, "dtype", None), "kind", "") == "M":
        # numpy's tolist() gives a datetime64 past the years datetime.date holds as a bare int
        raise InvalidValueError(
            f"the date column {name!r}, row {row}, holds {values[row - 1]}, which is no date "
            f"of the years 1 to 9999")
    raise ArgumentTypeError(f"column {name!r} holds dates and, at row {row}, {value!r} "
                            f"({type(value).__name__}): pass one kind of value a column")


def _day_of_datetime(name: str, row: int, value: _dt.datetime) -> int:
    """A datetime's day from 1970-01-01, as the CSV reader takes a date and a time in a cell:
    the day it prints, except an instant in UTC (an aware datetime of offset zero: pandas'
    ``to_datetime(..., utc=True)``, ``datetime.now(timezone.utc)``), whose day is the day in
    Paris -- 2019-12-31 23:00 UTC is 1 January 2020, as the core reads
    ``2019-12-31T23:00:00Z`` (the same function reads both, so they cannot disagree).  ``row``
    0 for a filter's value."""
    if value.tzinfo is None or value.utcoffset() != _dt.timedelta(0):
        return (value.date() - _EPOCH).days
    try:
        return _core.parse_date(value.replace(tzinfo=None).isoformat(timespec="seconds") + "Z", "")
    except ValueError as exc:   # 31 December 9999 at 23:00 UTC: a day past the years held
        where = f", row {row}" if row else ""
        raise InvalidValueError(f"the date column {name!r}{where}: {exc}") from None


def _refuse_no_column(name: str, values: Any) -> None:
    """A text, bytes, a set or a mapping given as a column is iterable, but none is a column's
    values in its rows' order: ``{"montant": "125", "nom": "abc"}`` (one record written as a
    mapping of its cells) read three records of 1, 2 and 5 euros named 'a', 'b', 'c'; bytes
    their byte values; a set its hash order, rows paired with another column's at random; a
    mapping its keys, its values dropped."""
    if isinstance(values, (str, bytes, bytearray, set, frozenset, Mapping)):
        import reprlib
        what = ("one text" if isinstance(values, str) else
                "bytes" if isinstance(values, (bytes, bytearray)) else
                "a set, which has no order" if isinstance(values, (set, frozenset)) else
                "a mapping")
        raise ArgumentTypeError(f"column {name!r} is {what} ({type(values).__name__}), not a "
                                f"sequence of its rows' values: give a list (one record: "
                                f"[{reprlib.repr(values)}])")


def _refuse_series_of_other_indexes(mapping: Any) -> None:
    """The columns are paired by position, row k with row k: pandas pairs Series by their
    index labels.  Two Series whose indexes differ (one sorted, the other not; a selection of
    each) paired so gave a record the amount pandas gives another, without a word; refused,
    naming the first two.  Series of one index (a frame's columns) pair alike either way."""
    first = None
    for name, values in mapping.items():
        if type(values).__module__.split(".")[0] != "pandas" or getattr(values, "ndim", 0) != 1:
            continue
        index = getattr(values, "index", None)
        if index is None:
            continue
        if first is None:
            first = (name, index)
        elif not first[1].equals(index):
            raise InvalidValueError(
                f"the pandas Series given as columns {first[0]!r} and {name!r} have different "
                f"indexes: from_columns pairs rows by position, pandas by index label, so the "
                f"records would differ from pandas'; pass a DataFrame "
                f"(pd.DataFrame({{...}}) aligns them), align them (a, b = a.align(b)), or "
                f"give each .reset_index(drop=True) if their positions are the pairing meant")


def _refuse_not_one_dimension(name: str, values: Any) -> None:
    """A column is one dimension, its rows' values: a 2-D numpy array (or a buffer of 2-D)
    was flattened into rows without a word, ``[[1, 2], [3, 4]]`` four records where two rows
    of two values were given; a 0-D array, one value, raised a bare TypeError or read as one
    row.  ``ndim`` is numpy's, a memoryview's, pandas' and most array libraries' own word."""
    ndim = getattr(values, "ndim", 1)
    if type(ndim) is not int or ndim == 1:
        return
    shape = getattr(values, "shape", None)
    said = f" (shape {tuple(shape)})" if isinstance(shape, tuple) else ""
    raise ArgumentTypeError(
        f"column {name!r} is an array of {ndim} dimensions{said}, not one value a row: "
        + ("give one column of it (a[:, 0]), or a.ravel() if its values are the rows in order"
           if ndim > 1 else "give a sequence of its rows' values ([value] for one record)"))


def _sequence(name: str, values: Any) -> list[Any]:
    """A column's values as a list; a value that is no sequence (a column given one number) is
    the caller's argument of the wrong kind, said as the project's error."""
    _refuse_no_column(name, values)
    if hasattr(values, "tolist"):
        return values.tolist()
    try:
        return list(values)
    except TypeError:
        raise ArgumentTypeError(f"column {name!r} is {type(values).__name__}, not a sequence "
                                f"of values") from None


def closest_labels(label: str, labels: Iterable[str], n: int = 3) -> list[str]:
    """The ``labels`` closest to ``label`` once case, accents and surrounding spaces are
    folded, best first (what :meth:`Ledger.close_labels` and a filter's warning name)."""
    import difflib
    folded = {_fold(l): l for l in labels}
    return [folded[f] for f in difflib.get_close_matches(_fold(label), list(folded), n=n,
                                                         cutoff=0.75)]


#: the key of a DataFrame's ``attrs`` under which ``Ledger.to_pandas`` names its date columns
_PANDAS_DATES = "essconv.date_columns"


def _pandas_dates_typed(frame: Any) -> Any:
    """A pandas frame of no row whose ``attrs`` (from :meth:`Ledger.to_pandas`) name date
    columns, those columns typed as Arrow's date32 where they are objects of no value: pandas
    hands such a column on as Arrow's null type, which reads as labels.  Any other source, or
    a frame with rows (whose values say their kind), is returned as it is."""
    if type(frame).__module__.split(".")[0] != "pandas" or len(frame):
        return frame
    named = getattr(frame, "attrs", {}).get(_PANDAS_DATES)
    if not isinstance(named, list) or not frame.columns.is_unique:
        return frame
    import pandas as pd
    import pyarrow as pa
    typed = {n: pd.Series([], dtype=pd.ArrowDtype(pa.date32()), index=frame.index)
             for n in named if n in frame.columns and frame[n].dtype == object}
    return frame.assign(**typed) if typed else frame


def unknown_label_warning(column: str, label: str | range, close: Sequence[str], read: bool,
                          effect: str) -> Any:
    """The UnknownLabelWarning of a filter's ``label`` no row of ``column`` holds, with the
    ``close`` labels the rows hold; ``read``: rows set aside or left out by a filter held it.
    ``label`` may be a range of ints (years read as text) of which no row holds any label.
    What it says is kept in ``.unknown`` (column, label, close, read, effect), so that a Dask
    ledger gives it once every partition has said it."""
    from .errors import UnknownLabelWarning
    hint = (" (close: " + ", ".join(repr(c) for c in close) + ")") if close else ""
    if isinstance(label, range):
        named = (f"a label from {str(label[0])!r} to {str(label[-1])!r}" if label.step == 1
                 else f"a label of {label!r}")
        what = (f"no row holds {named} (only rows set aside when read or left out by a filter "
                f"did)" if read else f"no {named[2:]}")
    else:
        what = (f"no row holds the label {label!r} (only rows set aside when read or left out "
                f"by a filter did)" if read else f"no label {label!r}")
    warning = UnknownLabelWarning(f"{column}: {what}{hint}; {effect}")
    warning.unknown = (column, label, tuple(close), read, effect)
    return warning


def no_row_holds_warning(column: str, lo: Any, hi: Any, held: tuple[Any, Any] | None,
                         path: str | None = None) -> Any:
    """The NothingMatchedWarning of a filter's int, date or amount condition no row of
    ``column`` meets: its bounds ``lo`` and ``hi`` (an int, a date or a Decimal; None for an
    open end), ``held`` the column's least and greatest values, None when it holds none.
    Its reason keeps them for a listing to word them in its language, and ``.nothing`` too,
    so that a Dask ledger gives it once every partition has said it, with the range of them
    all."""
    from .errors import NothingMatchedWarning
    from .messages import language
    reason = ("filter-no-row-holds", column, lo, hi, held)
    # worded where the listings word it (an amount in euros, grouped): written here too, the
    # two had parted
    warning = NothingMatchedWarning(language("en").filter_said(reason), path=path,
                                    reason=reason)
    warning.nothing = (column, lo, hi, held)
    return warning


# a filter's effect on one unknown label, said of several (unknown_labels_said)
_EFFECT_OF_SEVERAL = {"it selects no row": "they select no row",
                      "one_of() matches no row for it": "one_of() matches no row for them"}


def _say_empty_set(ledger: Any, column: str, what: str) -> None:
    """The NothingMatchedWarning of a filter's condition asking no value (``col=[]``,
    ``col=range(0)``, ``col=one_of([])``): a list computed upstream and found empty selects no
    row, said in one wording whatever wrote it (``what``: "set" or "range")."""
    from .errors import NothingMatchedWarning, give_warning
    from .messages import language
    # a range says so after the column (a set's reason stays (kind, column), as it was)
    reason = ("filter-empty-set", column) + (("range",) if what == "range" else ())
    give_warning(NothingMatchedWarning(language("en").filter_said(reason), path=ledger.path,
                                       reason=reason))


def unknown_labels_said(said: list[Any]) -> list[Any]:
    """``said`` with each filter column's unknown-label warnings (those of
    :func:`unknown_label_warning`) past its first UNKNOWN_LABELS_SAID counted in one warning,
    where the first of them stood, naming three; the others as they are.  The counted ones
    stay in its ``.counted``: a Dask partition sends them on one by one, since another
    partition may hold them."""
    from .errors import UnknownLabelWarning
    seen: dict[tuple[str, str], int] = {}
    rest: dict[tuple[str, str], list[Any]] = {}
    placed: list[Any] = []
    for w in said:
        unknown = getattr(w, "unknown", None)
        if unknown is None:
            placed.append(w)
            continue
        key = (unknown[0], unknown[4])   # column, effect
        seen[key] = seen.get(key, 0) + 1
        if seen[key] <= UNKNOWN_LABELS_SAID:
            placed.append(w)
            continue
        if key not in rest:
            rest[key] = []
            placed.append(key)   # the count goes where the first counted one stood
        rest[key].append(w)
    given = []
    for item in placed:
        if not isinstance(item, tuple):
            given.append(item)
            continue
        column, effect = item
        counted = rest[item]
        shown = ", ".join(repr(w.unknown[1]) for w in counted[:3]) + \
            (", ..." if len(counted) > 3 else "")
        summary = UnknownLabelWarning(f"{column}: {len(counted):,} more labels no row holds "
                                      f"({shown}); {_EFFECT_OF_SEVERAL.get(effect, effect)}")
        summary.counted = tuple(counted)
        given.append(summary)
    return given


#: what a producer's Python code may raise that is no failure of the data: kept as it is, never
#: worded as a ProducerError (an interrupt must interrupt, a lack of memory stay one)
_NOT_PRODUCER_FAILURES = (KeyboardInterrupt, SystemExit, MemoryError)


def _reader_checked(mapping: Any, kept: list) -> Any:
    """A pyarrow RecordBatchReader read through a generator of its own, which keeps in ``kept``
    the exception to raise as it is: a KeyboardInterrupt, SystemExit or MemoryError the reader
    raised, or an ArgumentTypeError for a batch whose types are not the schema's.  The Arrow C
    stream interface carries a producer's failure as an errno and a text alone, so the core
    sees an interrupted generator as any failing producer; and a batch carries no types of its
    own there, so a decimal(14, 3) batch under a decimal(12, 2) schema is read ten times its
    amounts (1.000 as 10.00), which only the reader's own schemas can show.  Any other object is
    given back as it is (its producer runs no Python code of the caller's, or is no pyarrow
    reader)."""
    if type(mapping).__module__.split(".")[0] != "pyarrow" or not hasattr(mapping,
                                                                           "read_next_batch"):
        return mapping
    import pyarrow as pa

    schema = mapping.schema

    def batches() -> Any:
        index = rows = 0
        while True:
            try:
                batch = mapping.read_next_batch()
            except StopIteration:
                return
            except _NOT_PRODUCER_FAILURES as exc:
                kept.append(exc)
                raise
            for field, said in zip(batch.schema, schema):
                if field.type != said.type:
                    kept.append(ArgumentTypeError(
                        f"an Arrow batch that does not match its schema: batch {index} "
                        f"(0-based, after {rows} row{'s were' if rows != 1 else ' was'} read) "
                        f"gives the column {said.name!r} as {field.type}, where the stream's "
                        f"schema says {said.type}"))
                    raise kept[-1]
            if batch.num_columns != len(schema):
                kept.append(ArgumentTypeError(
                    f"an Arrow batch that does not match its schema: batch {index} (0-based) "
                    f"has {batch.num_columns} columns, where the stream's schema has "
                    f"{len(schema)}"))
                raise kept[-1]
            index, rows = index + 1, rows + batch.num_rows
            yield batch

    return pa.RecordBatchReader.from_batches(schema, batches())


def _export_refusal(mapping: Any, exc: Exception) -> Error:
    """The refusal of a frame its producer could not export to Arrow: the first column that
    does not convert alone, its first value of another kind than the column's first one (a
    department's number among funders' names), with its row; else the producer's words."""
    import pyarrow as pa
    items = getattr(mapping, "items", None)
    for name, values in (items() if callable(items) else ()):
        try:
            pa.array(values, from_pandas=True)
            continue
        except Exception:
            pass   # this column is the one: find its odd value below
        seq = list(values)
        # the shortest head of the column that fails ends at the odd value (ints among
        # Decimals convert: the first value of another type need not be the odd one)
        lo, hi = 1, len(seq)
        while lo < hi:
            mid = (lo + hi) // 2
            try:
                pa.array(seq[:mid], from_pandas=True)
                lo = mid + 1
            except Exception:
                hi = mid
        value = seq[lo - 1]
        if isinstance(value, int) and not isinstance(value, bool) and not \
                -2**63 <= value < 2**64:
            # an int no Arrow integer holds (an amount in cents of a wrong unit, an id)
            return MoneyOverflowError(f"column {name!r}, row {lo}: {value} does not fit int64")
        first = next((v for v in seq if v is not None and not _missing_marker(v)), value)
        return ArgumentTypeError(
            f"column {name!r} holds {type(first).__name__} values and, at row {lo}, "
            f"{value!r} ({type(value).__name__}): pass one kind of value a column")
    return ArgumentTypeError(f"the {type(mapping).__name__} does not convert to Arrow: {exc}")


def _missing_marker(value: Any) -> bool:
    """Whether a value is a missing-value marker of pandas or numpy: a float NaN (what a
    pandas object or categorical column holds for a blank cell), ``pd.NA`` or ``pd.NaT``."""
    if isinstance(value, float):
        return value != value
    return type(value).__name__ in ("NAType", "NaTType")


def _said_kinds(names: list[Any], amount: str, dates: Sequence[str],
                ints: Sequence[str]) -> dict[str, str]:
    """from_columns' ``dates`` and ``ints``: {column: "dates" | "ints"}, checked as read_sql
    checks its own (a column the mapping has not, one said twice or the amount, refused)."""
    said: dict[str, str] = {}
    for argument, columns in (("dates", dates), ("ints", ints)):
        if isinstance(columns, (str, bytes)) or not hasattr(columns, "__iter__"):
            # dates="d" would be the columns 'd' alone, or 'd','a'...
            raise ArgumentTypeError(f"{argument} is a list of column names: "
                                    f"{argument}=[{columns!r}], not {type(columns).__name__}")
        for name in columns:
            if name not in names:
                raise UnknownColumnError(f"{argument}=: no column {name!r} among the columns "
                                         f"given ({names_listed(names)})")
            if name == amount:
                raise InvalidValueError(f"{argument}=: {name!r} is the amount column")
            if name in said:
                raise InvalidValueError(f"the column {name!r} is said in {said[name]}= and "
                                        f"{argument}=: one kind a column")
            said[name] = argument
    return said


def _numpy_days(name: str, values: Any) -> Any:
    """A numpy ``datetime64`` array of any unit as ``datetime64[D]``, its days: ``tolist()``
    gives a unit finer than the microsecond (``ns``, what a pandas frame's ``to_numpy()``
    gives) as bare ints, which made an int column of nanoseconds where dates were given.
    numpy's cast to days floors (one nanosecond before 1970 is 31 December 1969), as a
    timestamp's day is taken elsewhere.  A ``timedelta64`` (a duration: its ints or its
    ``timedelta`` objects became ints or labels) is refused.  Anything else as it is."""
    if type(values).__module__ != "numpy" or not hasattr(values, "dtype"):
        return values
    kind = getattr(values.dtype, "kind", "")
    if kind == "m":
        raise ArgumentTypeError(f"column {name!r} holds durations (numpy {values.dtype}): a "
                                f"column beside the amount holds labels, ints or dates; give "
                                f"the durations as ints of a unit said in the column's name")
    return values.astype("datetime64[D]") if kind == "M" else values


def _column_array(name: str, values: Any,
                  said: str | None = None) -> tuple[int, Any, list[str] | None]:
    """A column's kind and values, as its values say, or as ``said`` ("dates", "ints"):
    from_columns' dates= and ints=, for a column whose values cannot say it (None alone)."""
    values = _numpy_days(name, values)
    # a pandas column's missing values are NaN, pd.NA or pd.NaT, never None: as labels they
    # became the labels "nan" and "<NA>" (a missing key grouped as a label, silently), a
    # missing int refused and a missing date a TypeError -- each is a missing value
    seq = [v if type(v) is str or not _missing_marker(v) else None
           for v in _sequence(name, values)]
    sample = next((v for v in seq if v is not None), None)
    if said == "ints":
        return _core.COL_INT, array("q", (_int_cell(name, v) for v in seq)), None
    if said == "dates" or isinstance(sample, _dt.date):
        return _core.COL_DATE, array("i", (_date_cell(name, row, v, values)
                                           for row, v in enumerate(seq, 1))), None
    if isinstance(sample, int) and not isinstance(sample, bool):
        return _core.COL_INT, array("q", (_int_cell(name, v) for v in seq)), None
    if isinstance(sample, Decimal):
        # an amount kept beside the one summed, as a decimal128 column from Arrow is (an
        # aggregate's mean): its Decimals were the labels '2.5', text where money was given
        return _core.COL_AMOUNT, _amount_array(seq, False, name), None
    if isinstance(sample, float):
        row = next(r for r, v in enumerate(seq, 1) if v is not None)
        raise ArgumentTypeError(f"column {name!r} holds floats ({sample!r} at row {row}): "
                                f"pass ints, str or dates")
    # labels go as texts: the core dictionary-encodes them (str() of each, None missing).  A
    # float after texts became the label "1.5", where one before them was refused: a float is
    # no label (an amount rounded in binary, a code a spreadsheet read as a number)
    for row, v in enumerate(seq, 1):
        # a bool is no label either: a flag Python prints 'True', PostgreSQL 'true' and SQLite
        # 1, one fact three labels; an Arrow boolean column and read_sql's labels= refuse it too
        if isinstance(v, bool):
            raise ArgumentTypeError(f"column {name!r} holds labels and, at row {row}, {v!r} "
                                    f"(bool): a yes/no flag is no label; pass the text it "
                                    f"stands for")
        if isinstance(v, float):
            raise ArgumentTypeError(f"column {name!r} holds labels and, at row {row}, {v!r} "
                                    f"(float): a float is no label; pass it as text")
        # bytes (a numpy 'S' column, a file's raw cells) became the label "b'R\\xe9gion'",
        # their repr, without a word: their encoding is the caller's to say
        if isinstance(v, (bytes, bytearray, memoryview)):
            raise ArgumentTypeError(f"column {name!r} holds bytes at row {row} "
                                    f"({bytes(v)[:40]!r}), not text: decode them with their "
                                    f"encoding first")
        # a list or tuple (a frame's cell holding several values, a record given where a
        # column was) became the label "[1]", its repr: one label no one wrote
        if isinstance(v, (list, tuple, dict, set, frozenset)):
            raise ArgumentTypeError(f"column {name!r} holds a {type(v).__name__} at row {row} "
                                    f"({str(v)[:40]}), not a label: give one text per row")
    return _core.COL_LABEL, seq, None


class GroupBy:
    """A pending group-by; its methods run the C kernel."""

    def __init__(self, ledger: Ledger, dims: list[str | DateDimension], threads: int = 2) -> None:
        self.ledger = ledger
        self.dims = [_dim_name(d) for d in dims]   # the aggregate's key columns
        for k, name in enumerate(self.dims):
            if name in self.dims[:k]:
                # the aggregate's two key columns would share a name: the core refused it once
                # summed, in English alone and with a measure's name ("named like a measure
                # ... or given twice"); refused here, where it is given, with a reason
                first = self.dims.index(name) + 1
                raise InvalidValueError(f"the key {name!r} is given twice (keys {first} and "
                                        f"{k + 1}): give each key once",
                                        reason=("group-key-twice", name, first, k + 1))
        self.threads = threads
        self._keys = [ledger._key(d) for d in dims]

    def __repr__(self) -> str:
        # a group-by left pending in a notebook cell showed "<essconv.ledger.GroupBy object at
        # 0x...>": its keys, its rows and what runs it
        rows = len(self.ledger)
        return (f"<GroupBy {', '.join(self.dims)} over {rows} row{'s' if rows != 1 else ''}: "
                f".sum(), .count(), .mean(), .min(), .max() or .agg()>")

    def _run(self, minmax: bool, measure: str = "sum") -> "Aggregate":
        # a group whose sum does not fit int64 cents is kept by the core, which then writes no
        # sum or mean column: a count, a min or a max needs no sum (they raised the overflow);
        # the sum is refused, naming the group, where it is asked for (see Aggregate)
        core, dense, threads, overflow, below = self.ledger._keyed(
            self.ledger._core.group_by, self._keys, minmax=minmax, threads=self.threads,
            keep_overflow=True)
        return Aggregate(core, self.dims, dense=dense, threads=threads, measure=measure,
                         overflow=overflow, overflow_below=below)

    def sum(self) -> "Aggregate":
        return self._run(False, "sum")

    def count(self) -> "Aggregate":
        return self._run(False, "count")

    def min(self) -> "Aggregate":
        return self._run(True, "min")

    def max(self) -> "Aggregate":
        return self._run(True, "max")

    def mean(self) -> "Aggregate":
        """Each group's mean amount: its exact sum divided by its count, rounded half to even
        to the cent (Decimal's default rounding), as Decimal."""
        return self._run(False, "mean")

    def agg(self) -> "Aggregate":
        """sum, count, mean, min and max at once."""
        return self._run(True)


class _Line:
    """The key of a line that merges groups (the others line, the total line) in
    :meth:`Aggregate.to_dict`: a sentinel, so that no label can be taken for it."""

    def __init__(self, name: str) -> None:
        self.name = name

    def __repr__(self) -> str:
        return f"Aggregate.{self.name.upper()}"

    def __reduce__(self) -> str:
        return f"_{self.name.upper()}"


_OTHERS, _TOTAL = _Line("others"), _Line("total")
_HUNDREDTH = Decimal("0.01")


def _is_calendar_part(dim: Any) -> bool:
    """A year, quarter or month: a key the core writes as labels of its values (see derive.c)."""
    return isinstance(dim, DateDimension) and dim.part != _core.PART_DAY


class _CalendarGroupBy(GroupBy):
    """A group-by on keys computed from dates: the core writes a year, quarter or month as the
    labels of its values ("2017"), so that its fast direct-indexed kernel groups them; the
    aggregate gives them back as the ints they are."""

    def __init__(self, ledger: Ledger, dims: list[str | DateDimension], calendar: list[int]) -> None:
        super().__init__(ledger, dims)
        self._calendar = calendar   # positions of the year/quarter/month keys in dims

    def _run(self, minmax: bool, measure: str = "sum") -> "Aggregate":
        agg = super()._run(minmax, "count")   # the measure asked is checked on the result
        names, kinds, buffers, dictionaries, blank_rows = _core_state(agg._core, 4)
        for k in self._calendar:
            labels = dictionaries[k]
            codes = memoryview(buffers[k]).cast("i")
            buffers[k] = array("q", (-(2**63) if c < 0 else int(labels[c]) for c in codes))
            kinds[k], dictionaries[k] = _core.COL_INT, None
        core = _core_from_state((names, kinds, buffers, dictionaries, blank_rows))
        core.date_orders = agg._core.date_orders   # a day key keeps its column's order
        result = Aggregate(core, self.dims, dense=agg.dense, threads=agg.threads, measure=measure,
                           overflow=agg._overflow, overflow_below=agg._overflow_below)
        result._calendar = frozenset(self._calendar)   # kept in calendar order by +
        return result


#: the measures a report's others or total line gives without a sum: a count's total is a count
_MEASURES_OF_NO_SUM = ("count", "min", "max")


def _checked_flag(value: Any, argument: str) -> None:
    """Refuses a flag that is no bool (numpy's bool_ from a table is one): "no" or "False" is
    true, and the report answered the opposite of what was written, without a word."""
    if not (isinstance(value, bool) or type(value).__name__ in ("bool_", "bool")):
        raise ArgumentTypeError(f"{argument} must be True or False, not "
                                f"{type(value).__name__} {value!r}")


def _not_an_aggregate(other: Any) -> ArgumentTypeError:
    return ArgumentTypeError(f"an aggregate adds an aggregate of the same columns "
                             f"(ledger.group_by(...).agg()), not {type(other).__name__} "
                             f"{other!r:.40}")


class Aggregate:
    """The result of a group-by: one row per group, key columns then sum/count/mean/min/max.

    ``to_dict()`` (keys are scalars for one dim, tuples for several; values Decimal, or int
    for counts), ``to_pandas()``, the Arrow PyCapsule interface, and ``+`` to combine the
    aggregates of separate ledgers (files, years, partitions) exactly.

    Read as a report, computed by the core on cents: :meth:`sort`, :meth:`top` (with the rest
    as one others line on request), :meth:`share`, :meth:`cumulative`, :meth:`with_total`; each
    returns a new aggregate, so they chain in any order
    (``agg.top(10, others=True).share().with_total()``); :meth:`to_csv` and :meth:`to_xlsx`
    write it for the committee (French by default)."""

    #: the key of the others line and of the total line in :meth:`to_dict`
    OTHERS = _OTHERS
    TOTAL = _TOTAL
    #: the positions of the keys that are a year, quarter or month (see _CalendarGroupBy)
    _calendar: frozenset = frozenset()

    def __init__(self, core: Any, dims: list[str], *, dense: bool = False, threads: int = 1,
                 measure: str = "sum", rows: array | None = None, lines: int = 0,
                 overflow: tuple = (), overflow_below: tuple = ()) -> None:
        #: the groups as the group-by made them; a report is built from them, never changes them
        self._groups = core
        self.dims = dims
        self.dense = dense
        self.threads = threads
        self.measure = measure
        # the rows of the groups whose sum does not fit int64 cents: the core wrote no sum or
        # mean column; their counts, mins and maxes are exact
        self._overflow = tuple(overflow)
        # those of them whose sum is below the floor, not above the ceiling: the refusal says
        # which ("below -92,233,720,368,547,758.08 €"), a huge negative sum never read as positive
        self._overflow_below = tuple(overflow_below)
        if measure in ("sum", "mean"):
            self._need_sum(f"{measure}()")
        # the report: the group rows shown, in order (array('q'); None: all, as grouped),
        # and the _core.REPORT_* lines and columns added
        self._rows = rows
        self._lines = lines
        # the others or total line of counts, mins or maxes needs no sum: it stands when the
        # merged groups' sum (or a group's) does not fit, the report then without sum or mean
        summed = _core.REPORT_SHARE | _core.REPORT_CUMULATIVE
        sumless = bool(lines) and measure in _MEASURES_OF_NO_SUM and not lines & summed
        #: the others or total line's sum past int64 cents, refused where a sum is asked
        self._merged_overflow: MoneyOverflowError | None = None
        if lines and not sumless:
            self._need_sum("an others, total, share or cumulative line")
        if rows is not None or lines:
            if lines & _core.REPORT_SHARE and core.nrows:
                with Ledger(core).column("sum") as sums:
                    if _core.checked_sum(sums) == 0:
                        raise ShareError("the groups add up to 0: a share of a zero total is "
                                         "undefined")
            try:
                core = _core.report(core, len(dims), rows, lines)
            except MoneyOverflowError as exc:
                if not sumless:
                    raise
                self._merged_overflow = exc
                core = _core.report(core, len(dims), rows, lines | _core.REPORT_NO_SUM)
        self._core = core
        self._ledger = Ledger(core)

    def _report(self, rows: array | None, lines: int, measure: str | None = None) -> "Aggregate":
        return Aggregate(self._groups, self.dims, dense=self.dense, threads=self.threads,
                         measure=measure or self.measure, rows=rows, lines=lines,
                         overflow=self._overflow, overflow_below=self._overflow_below)

    def _need_sum(self, what: str) -> None:
        """Refuses what needs the sums (``what``) when a group's sum does not fit int64 cents,
        naming the group: its count, min and max stand, its sum is no number essconv holds.
        Or, in a report of counts, mins or maxes, the others or total line whose sum does not
        fit: refused as its sum was when the line was added."""
        merged = getattr(self, "_merged_overflow", None)
        if merged is not None and not self._overflow:
            refused = MoneyOverflowError(f"{merged.args[0]}; {what} needs it",
                                         reason=merged.reason)
            refused.below = merged.below
            raise refused
        if not self._overflow:
            return
        keys = Ledger(self._groups)._rows(self._overflow[0], self._overflow[0] + 1)[0]
        key = tuple(keys[d] for d in self.dims)
        more = len(self._overflow) - 1
        below = self._overflow[0] in self._overflow_below   # the side of the group named
        # the group in words ("the group 'Région', 'Axe 1'"), as the table shows its keys: a
        # tuple's repr read as Python; the key travels in the reason for the French wording
        from .messages import language
        refused = MoneyOverflowError(
            f"a group's sum does not fit int64 cents: the sum of the group "
            f"{language('en').group_in_words(key)}"
            + (f" (and of {more} other group{'s' if more > 1 else ''})" if more else "")
            + f" is {language('en').beyond_cents(below)}; {what} needs it (its count, min and "
            f"max are exact: group_by(...).count(), .min(), .max())",
            reason=("overflow", "group-sum", key, more))
        refused.below = below
        raise refused

    def select(self, measure: str) -> "Aggregate":
        """The same groups showing another measure: ``agg.select("count").to_dict()``."""
        # "x" was kept as the measure shown, a column no display nor export could write, and
        # None or "" kept the measure as it was, as if a measure had been named
        if not isinstance(measure, str):
            raise ArgumentTypeError(f"measure must be a measure's name as a str ('count'), not "
                                    f"{type(measure).__name__} {measure!r}")
        held = [c for c in self._ledger.columns[len(self.dims):] if c != "report_line"]
        # a sum past int64 cents has no column: asked for, it is refused naming its group
        unsummed = bool(self._overflow) or self._merged_overflow is not None
        if measure not in held and not (unsummed and measure in ("sum", "mean")):
            # its reason: a listing in French says it as it says an order by a column the
            # groups lack ("no-order")
            raise InvalidValueError(f"measure {measure!r} is none of this aggregate's: "
                                    f"{names_said(held)}",
                                    reason=("no-measure", measure, tuple(held)))
        return self._report(self._rows, self._lines, measure)

    # ------------------------------------------------------------------ the report's verbs
    def _ordered(self, by: str, descending: bool, first: int = -1) -> array:
        names = [n for n, _ in self._groups.columns]
        if by in ("sum", "mean", "share", "cumulative"):
            self._need_sum(f"ordering by {by}")
        if by == "share":   # shares follow the sums, reversed when the total is negative
            with Ledger(self._groups).column("sum") as sums:
                descending = descending != (_core.checked_sum(sums) < 0)
            by = "sum"
        if by not in names:
            raise UnknownColumnError(f"cannot order by {by!r}: the groups' columns are "
                                     f"{names_said(names)}"
                           + (" (a running sum follows the order)" if by == "cumulative" else ""),
                           reason=("no-order", by, tuple(names)))
        rows = array("q")
        rows.frombytes(_core.rank_order(self._groups, names.index(by), bool(descending),
                                        self._rows, first))
        return rows

    def _by(self, by: str | None) -> str:
        """What sort and top order by when not told: the measure the aggregate shows (a
        ``count()``'s top 10 are the 10 largest counts; ranked by sum, they were the 10 largest
        amounts shown with their counts, a list the caller never asked for, without a word)."""
        if by is not None:
            # a column is named by its text: by=3 read as a column misspelt (UnknownColumnError)
            if not isinstance(by, str):
                raise ArgumentTypeError(f"by must be a column's name as a str ('sum'), not "
                                        f"{type(by).__name__} {by!r:.40}")
            return by
        return self.measure if self.measure in ("sum", "count", "mean", "min", "max",
                                                "share") else "sum"

    def sort(self, by: str | None = None, descending: bool = True) -> "Aggregate":
        """The lines ordered by a measure (sum, count, mean, min, max, share) or a key column
        (by default the measure the aggregate shows: ``count().sort()`` by count): stable
        (equal values keep the groups' order), missing keys last, labels in French
        order (case and accents folded first: "école" beside "Ecole", before "Zèbre"; then code
        point order); the others and total lines stay last.

        Example: ``ledger.group_by("nomBeneficiaire").sum().sort()`` -- the largest first
        """
        _checked_flag(descending, "descending")
        return self._report(self._ordered(self._by(by), descending), self._lines)

    def top(self, n: int, *, by: str | None = None, others: bool = False) -> "Aggregate":
        """The ``n`` groups with the largest ``by`` (by default the measure the aggregate shows:
        ``count().top(10)`` the 10 largest counts, ``sum()`` or ``agg()`` the sums; ties: in
        the groups' order), largest first; with
        ``others=True`` one more line merges every group left out (their exact sum, count,
        mean...; no such line when none is).  Shares and the total line always count every
        group, shown or not: a top 10 shows the same shares with or without its others line.

        Example: ``agg.top(10, others=True).share()``
        """
        if isinstance(n, bool) or not isinstance(n, int):
            # a wrong type, refused as every verb refuses one (top("x") said a wrong value)
            raise ArgumentTypeError(f"top needs a number of groups (an int >= 0), not "
                                    f"{type(n).__name__} {n!r}")
        if n < 0:
            raise InvalidValueError(f"top needs a number of groups >= 0, not {n!r}")
        _checked_flag(others, "others")
        # more than any count of groups keeps them all: the core takes a C size, and 10**30
        # escaped from its argument parsing as a bare OverflowError (a traceback in the CLI)
        rows = self._ordered(self._by(by), True, min(n, sys.maxsize))
        return self._report(rows, self._lines | (_core.REPORT_OTHERS if others else 0))

    def share(self) -> "Aggregate":
        """Adds a ``share`` column: each line's sum as a percentage of the total of every group
        (shown, merged in the others line or left out by :meth:`top`), Decimal with 2 places,
        each its exact quota rounded on its own, half away from zero: equal sums always show
        equal shares, and the shares may then not add up to exactly 100.00 (the HTML view, the
        exports and the command line then carry the footnote « Parts arrondies une à une : leur
        somme peut différer de 100 % », :func:`essconv.export.shares_footnote`); 0.00 only for a
        sum of zero (a smaller share is 0.01), 100.00 only for the whole; the total line says
        100.00.  Negative sums are allowed: with a positive total
        their shares are negative and others pass 100; a negative total divides every sign.  A
        total of zero has no shares: :class:`essconv.errors.ShareError`.

        Example: ``agg.share().to_dict("share")`` -> ``{'CDC': Decimal('66.67'), 'CR': Decimal('33.33')}``
        """
        return self._report(self._rows, self._lines | _core.REPORT_SHARE)

    def cumulative(self) -> "Aggregate":
        """Adds a ``cumulative`` column: the running sum down the lines in their order (the
        others line included); on the total line, the total.

        Example: ``agg.sort().cumulative()``
        """
        return self._report(self._rows, self._lines | _core.REPORT_CUMULATIVE)

    def with_total(self) -> "Aggregate":
        """Adds a last line merging every group (shown or left out by :meth:`top`): its sum,
        count, mean, min and max, exact.

        Example: ``agg.top(5, others=True).with_total()``
        """
        return self._report(self._rows, self._lines | _core.REPORT_TOTAL)

    @property
    def asks_total(self) -> bool:
        """Whether :meth:`with_total` was asked for: the exports write a Total line then, of
        0 over 0 records when no group is there to merge.

        Example: ``agg.with_total().asks_total`` -> ``True``"""
        return bool(self._lines & _core.REPORT_TOTAL)

    #: the Total line of a report of no group (a filter keeping nothing): the core merges no
    #: line, yet the report says its total, 0,00 € over 0 records; a mean, a min, a max or a
    #: share of nothing is no number (None, an empty cell).  ``to_dict``, the exports and the
    #: notebook's table all give this line.
    TOTAL_OF_NO_GROUP = MappingProxyType({"sum": Decimal("0.00"), "cumulative": Decimal("0.00"),
                                          "count": 0})

    def total_of_no_group(self) -> dict[str, Any] | None:
        """The Total line :meth:`with_total` asks for when there is no group to merge, as
        ``{column: value}`` over :attr:`report_columns` (keys None); None when the core made
        the total line or none was asked.

        Example: ``ledger.filter(nom="x").group_by("nom").sum().with_total().total_of_no_group()``"""
        if not self.asks_total or "total" in self.line_kinds():
            return None
        return {c: self.TOTAL_OF_NO_GROUP.get(c) for c in self.report_columns}

    @property
    def group_count(self) -> int:
        """How many groups the group-by made, whatever a :meth:`top` shows of them.

        Example: ``agg.top(3).group_count`` -> ``12``"""
        return self._groups.nrows

    @property
    def report_columns(self) -> list[str]:
        """What a display or an export shows: the keys, the measure, the count (beside a sum),
        after :meth:`GroupBy.agg` its mean, min and max too (they showed the sum and count
        alone), and the share and cumulative columns when asked (with the sums they are
        of, beside another measure).

        Example: ``agg.share().report_columns`` -> ``['financeur', 'sum', 'count', 'share']``
        """
        shown = [*self.dims, self.measure]
        added = [c for c in ("share", "cumulative") if c in self._ledger.columns]
        if added and self.measure in ("count", "mean", "min", "max"):
            # shares and running sums are of the sums: beside counts or means alone, "A: 3,
            # 2,91 %" read as 3 grants being 2,91 % of them; the sums they come from are shown
            shown.insert(len(self.dims), "sum")
        if self.measure in ("sum", "mean", "min", "max"):
            shown.append("count")
        if self.measure == "sum" and "min" in self._ledger.columns:   # agg(): every measure
            shown += ["mean", "min", "max"]
        return shown + [c for c in added if c not in shown]

    def line_kinds(self) -> list[str]:
        """What each line is: ``"group"``, ``"others"`` or ``"total"``.

        Example: ``agg.top(1, others=True).line_kinds()`` -> ``['group', 'others']``
        """
        if "report_line" not in self._ledger.columns:
            return ["group"] * len(self)
        # the lines past the groups shown (all of them, or those a sort or top kept) are the
        # ones report_line tells apart
        groups = self._groups.nrows if self._rows is None else len(self._rows)
        return ["group"] * groups + self._ledger._values("report_line", groups, len(self))

    # ------------------------------------------------------------------ reading it
    def __len__(self) -> int:
        return self._core.nrows

    def head(self, rows: int = 5) -> list[dict[str, Any]]:
        """The first ``rows`` lines as dicts (keys, then the measures): converted alone,
        whatever the number of groups.

        Example: ``ledger.group_by("annee").sum().head(2)``
        """
        return self._ledger.head(_row_count(rows, "head", "rows"))

    def _keys(self) -> list[Any]:
        cols = [self._ledger.values(d) for d in self.dims]
        keys = [c[0] if len(c) == 1 else c for c in zip(*cols)] if len(cols) > 1 else cols[0]
        merged = {"others": _OTHERS, "total": _TOTAL}
        kinds = self.line_kinds()
        return [merged.get(kinds[i], k) for i, k in enumerate(keys)]

    def to_dict(self, measure: str | None = None) -> dict[Any, Any]:
        """``{key: value}``: keys are scalars for one dim, tuples for several (the others and
        total lines: ``Aggregate.OTHERS``, ``Aggregate.TOTAL``); sums, means, mins, maxes and
        shares are Decimal, counts int; a :meth:`with_total` of no group has its TOTAL too, as
        the exports write it (0 for a sum or a count, None for a mean, min or max of nothing).
        ``ledger.group_by("f").sum().to_dict()``."""
        measure = measure or self.measure
        if measure in ("sum", "mean"):
            self._need_sum(f"to_dict({measure!r})")
        values = self._ledger.values(measure)
        if measure == "share":   # percentages at their two places: 5.90, 100.00
            values = [v.quantize(_HUNDREDTH, context=PERCENT_CONTEXT) for v in values]
        out = dict(zip(self._keys(), values))
        # with_total() of no group: the exports and the table end with a Total of 0 over 0
        # records, which the dict left out (a grouped report's had its TOTAL key)
        if self.total_of_no_group() is not None:
            out[_TOTAL] = self.TOTAL_OF_NO_GROUP.get(measure)
        return out

    def __add__(self, other: "Aggregate") -> "Aggregate":
        """Combine two aggregates of the same dims exactly (sums add, counts add, min/max; a
        mean is computed again from the merged sum and count, never averaged)."""
        if not isinstance(other, Aggregate):   # agg + 1 escaped as a bare AttributeError
            raise _not_an_aggregate(other)
        if other.dims != self.dims:
            raise InvalidValueError("aggregates over different dims do not combine")
        if self._rows is not None or self._lines or other._rows is not None or other._lines:
            raise InvalidValueError("combine aggregates before sort, top, share, cumulative or "
                             "with_total: a report's lines are not groups")
        return aggregate_of_groups(merged_groups([exact_groups(self), exact_groups(other)]))

    def __radd__(self, other: Any) -> "Aggregate":
        """``0 + agg`` is the aggregate itself, so that ``sum(aggregates)`` (which starts from
        0) combines them as ``+`` does; anything else is refused naming what it is."""
        if isinstance(other, int) and not isinstance(other, bool) and other == 0:
            return self
        raise _not_an_aggregate(other)

    def to_ledger(self) -> "Ledger":
        """The groups as a ledger: key columns, then the measures, its amount the sum.  A
        report's Total line (:meth:`with_total`) is set aside in its ``bad_rows``, as
        :meth:`Ledger.from_columns` sets it aside: it is the sum of the other lines, and held
        as a row its total, pivots and group-bys counted every group twice.  An others line
        stays (the groups no other line holds); :meth:`report_lines` has every line.

        Example: ``ledger.group_by("annee", "financeur").sum().to_ledger().pivot("annee", "financeur")``
        """
        return without_report_totals(self._ledger, "collect")

    def report_lines(self) -> "Ledger":
        """Every line of the report as a ledger, as it is shown and exported: the groups, the
        others line and the Total line, :meth:`line_kinds` saying which is which.  For reading
        them, never for adding them up (the Total line holds the others' sum): see
        :meth:`to_ledger`.

        Example: ``agg.top(3, others=True).with_total().report_lines().values("sum")``
        """
        return self._ledger   # without a sum or mean column when a group's sum does not fit

    def cents_by_key(self) -> dict[Any, tuple[int, int, int | None, int | None]]:
        """``{key: (sum, count, min, max)}``, amounts in exact integer cents (min and max None
        when not computed): what ``+`` and the Dask partials combine.

        Example: ``ledger.group_by("annee").agg().cents_by_key()`` -> ``{'2019': (150000, 2, 70000, 80000)}``
        """
        self._need_sum("cents_by_key() (and +)")
        keys = self._keys()
        with self._ledger.column("sum") as sums, self._ledger.column("count") as counts:
            s, c = sums.tolist(), counts.tolist()
        lo = hi = [None] * len(keys)
        if "min" in self._ledger.columns:
            with self._ledger.column("min") as mn, self._ledger.column("max") as mx:
                lo, hi = mn.tolist(), mx.tolist()
        return {k: (s[i], c[i], lo[i], hi[i]) for i, k in enumerate(keys)}

    def __arrow_c_stream__(self, requested_schema: Any = None) -> Any:
        return self._core.__arrow_c_stream__(requested_schema)

    def __arrow_c_array__(self, requested_schema: Any = None) -> Any:
        return self._core.__arrow_c_array__(requested_schema)

    def to_sql(self, table: str, connection: Any, *, mode: str = "create") -> int:
        """Write the groups back to a database in one transaction: keys, sums/mins/maxes exact
        (NUMERIC on PostgreSQL, TEXT on SQLite), counts as integers; returns the rows written.

        Example: ``ledger.group_by("annee").agg().to_sql("totaux", "grants.db", mode="replace")``
        """
        from .database import write_table
        return write_table(self, table, connection, mode=mode)

    def to_parquet(self, path: str | os.PathLike[str]) -> None:
        """Write the groups as one Parquet file: keys, then sums/mins/maxes as decimal128 and
        counts as int64 (exact).

        Example: ``ledger.group_by("annee", "financeur").agg().to_parquet("sums.parquet")``
        """
        write_parquet(self, checked_target(path, "to_parquet"), None)

    def __reduce_ex__(self, protocol: int) -> tuple:
        """Pickles like a ledger: its columns as buffers (out of band with protocol 5)."""
        return (_restore_aggregate, (_core_state(self._groups, protocol), self.dims, self.dense,
                                     self.threads, self.measure, self._rows, self._lines,
                                     self._overflow, self._groups.date_orders,
                                     self._overflow_below))

    def to_pandas(self, *, amounts: str = "decimal") -> Any:
        """A DataFrame of the groups (through Arrow: sums as exact Decimal objects, or as
        ``Ledger.to_pandas``'s ``amounts`` says).

        Example: ``ledger.group_by("f").sum().to_pandas()``
        """
        return self._ledger.to_pandas(amounts=amounts)

    def __repr__(self) -> str:
        kernel = "dense" if self.dense else "hashed"
        report = []
        if self._rows is not None:
            groups = self._groups.nrows   # "1 of 1 group shown", not "1 of 1 groups"
            report.append(f"{len(self._rows)} of {groups} group{'s' * (groups != 1)} shown")
        flags = [("others", _core.REPORT_OTHERS), ("share", _core.REPORT_SHARE),
                 ("cumulative", _core.REPORT_CUMULATIVE), ("total", _core.REPORT_TOTAL)]
        report += [name for name, flag in flags if self._lines & flag]
        noun = "line" if report else "group"   # "1 group", not "1 groups"
        return (f"<Aggregate {self.measure} by {', '.join(self.dims)}: {len(self)} "
                f"{noun}{'s' if len(self) != 1 else ''} ({kernel}, {self.threads} "
                f"thread{'s' if self.threads > 1 else ''}){': ' + ', '.join(report) if report else ''}>")

    def _repr_html_(self) -> str:
        from .display import aggregate_html
        return aggregate_html(self)

    def to_csv(self, path: str | os.PathLike[str] | None = None, *, lang: str = "fr",
               formula_guard: bool = True) -> str:
        """The report as CSV for a spreadsheet, in ``lang``: French ``;`` and decimal commas
        (``1250,50``), English ``,`` and points; amounts and shares as plain numbers (no
        grouping, no unit: the spreadsheet reads them as numbers), labels guarded against
        formulas (see :mod:`essconv.export`).  Written to ``path`` when given; returned.

        Example: ``agg.top(10, others=True).share().to_csv("top10.csv")``
        """
        from .export import aggregate_delimited
        if path is not None:
            checked_target(path, "to_csv")
        text = aggregate_delimited(self, lang=lang, formula_guard=formula_guard)
        if path is not None:
            with open(path, "w", encoding="utf-8-sig", newline="") as fh:   # BOM: Excel reads UTF-8
                fh.write(text)
        return text

    def to_xlsx(self, path: Any, *, lang: str = "fr") -> None:
        """The report as an Excel sheet (openpyxl, ``essconv[xlsx]``): headings in ``lang``,
        amounts as numbers with a euro format, counts as integers, shares as percentages
        (``0.4706`` shown ``47,06 %``), labels as text cells, never formulas.

        Example: ``agg.top(10, others=True).share().with_total().to_xlsx("top10.xlsx")``
        """
        from .xlsx import write_aggregate_xlsx
        write_aggregate_xlsx(self, checked_target(path, "to_xlsx", streams=True), lang=lang)


class ExactGroups:
    """An aggregate's groups as exact states, ``{key: [sum, count, min, max]}`` in integer cents
    (min and max None when not computed), with what a combination needs to list them as one
    group-by of every source would: each label key's labels in their codes' order (first
    sight; None for a key of another kind), the positions of the calendar keys, and the date
    columns' orders (``{}`` for groups of no row, which say nothing of them), and whether the
    aggregates merged kept min and max (groups of no row have none to say it).

    The sums are Python ints, never checked on the way: the core's group-by adds modulo 2^64
    and counts its wraps, so a running sum may pass int64 cents and come back; partials added
    in any order must give what it gives.  Only :func:`aggregate_of_groups` refuses a sum that
    does not fit, once every partial is in."""

    def __init__(self, dims: list[str], measure: str, states: dict[Any, list],
                 dictionaries: "list[list[str] | None]", calendar: frozenset,
                 orders: dict[str, str], minmax: bool = False) -> None:
        self.dims, self.measure, self.states = dims, measure, states
        self.dictionaries, self.calendar, self.orders = dictionaries, calendar, orders
        self.minmax = minmax


def exact_groups(agg: Aggregate) -> ExactGroups:
    """The groups of an aggregate (refused, naming the group, when a group's sum is past int64
    cents: the core keeps no exact sum of it)."""
    if agg._rows is not None or agg._lines:
        raise InvalidValueError("combine aggregates before sort, top, share, cumulative or "
                                "with_total: a report's lines are not groups")
    states = {key: list(state) for key, state in agg.cents_by_key().items()}
    ledger = agg._ledger
    dictionaries = [ledger.dictionary(d) if ledger.kinds[d] == "label" else None
                    for d in agg.dims]
    groups = agg._groups
    orders = dict(zip((n for n, _ in groups.columns), groups.date_orders)) if groups.nrows else {}
    return ExactGroups(list(agg.dims), agg.measure, states, dictionaries, agg._calendar, orders,
                       "min" in ledger.columns)


def merged_groups(parts: "Sequence[ExactGroups]") -> ExactGroups:
    """The groups of ``parts`` merged exactly by the core's rule (sums and counts add, min and
    max kept when every part has them), in the order one group-by of all their rows gives
    (see :func:`_in_key_order`); associative, so that a reduction tree of partials of any
    shape gives what one group-by gives."""
    first = parts[0]
    for part in parts[1:]:
        if part.dims != first.dims:
            raise InvalidValueError("aggregates over different dims do not combine")
    merged: dict[Any, list] = {}
    for part in parts:
        for key, (total, count, lo, hi) in part.states.items():
            state = merged.get(key)
            if state is None:
                merged[key] = [total, count, lo, hi]
            elif state[2] is None or lo is None:
                merged[key] = [state[0] + total, state[1] + count, None, None]
            else:
                merged[key] = [state[0] + total, state[1] + count, min(state[2], lo),
                               max(state[3], hi)]
    # 2017 and "2017" refused before they are ordered: the sort would compare an int with a str
    refuse_mixed_key_kinds(first.dims, merged)
    # a label key's codes: the first part's dictionary (its file's first sight), then the labels
    # only the next parts have; a key of another kind in any part has none
    codes: list[dict[Any, int] | None] = []
    for k in range(len(first.dims)):
        if any(part.dictionaries[k] is None for part in parts):
            codes.append(None)
            continue
        seen: dict[Any, int] = {}
        for part in parts:
            for label in part.dictionaries[k]:
                seen.setdefault(label, len(seen))
        codes.append(seen)
    calendar = frozenset().union(*(part.calendar for part in parts))
    # a date column's order: the one every part with rows read it in, '-' when two differ
    said = [part.orders for part in parts if part.orders]
    names = {name for o in said for name in o}
    orders = {}
    for name in names:
        read = {o.get(name, "-") for o in said}
        orders[name] = read.pop() if len(read) == 1 else "-"
    # each label key keeps its codes (first sight across the parts, in order) as its
    # dictionary: written in the groups' order instead, a part added after would order these
    # labels by where their groups fell, not by first sight
    return ExactGroups(first.dims, first.measure,
                       _in_key_order(merged, len(first.dims), calendar, codes),
                       [None if c is None else list(c) for c in codes], calendar, orders,
                       all(part.minmax for part in parts))


def aggregate_of_groups(groups: ExactGroups) -> Aggregate:
    """The aggregate of merged groups; a sum past int64 cents is refused here, when every
    partial is in (MoneyOverflowError, saying which end it passes), never wrapped."""
    for total, *_ in groups.states.values():
        if not -(2**63) <= total < 2**63:
            _core.checked_sum([total])   # raises, with the side, as the core says it
    combined = aggregate_from(groups.dims, groups.states, groups.measure, groups.dictionaries,
                              minmax=groups.minmax)
    combined._calendar = groups.calendar
    combined._groups.date_orders = "".join(
        groups.orders.get(name, "-") if kind == _core.COL_DATE else "-"
        for name, kind in combined._groups.columns)
    return combined


def _in_key_order(merged: dict[Any, Any], ndims: int, calendar: frozenset,
                  label_codes: list[dict[Any, int] | None]) -> dict[Any, Any]:
    """Combined groups in the group-by's order: a combined (or Dask) aggregate by year, day or
    int column listed the first aggregate's groups, then the other's (2017 above 2015), where
    one group-by of both lists them in ascending order.  The keys that are days, years,
    quarters, months or ints (an ``ints=["annee"]`` column, an exercise number) are sorted,
    missing after every value; a label key by its codes (``label_codes``); the last key is
    the most significant, as in the group-by."""
    keys = list(merged)
    parts = [key if ndims > 1 else (key,) for key in keys]
    # a value's type says its key's kind: a label is a str, the core's int and date keys
    # (and a calendar part given back as an int) are sorted by the core as numbers and days
    ordered = set(calendar) | {k for k in range(ndims)
                               if any(isinstance(p[k], (int, _dt.date)) for p in parts)}
    # label keys alone are sorted too: with two or more, the first aggregate's groups then
    # the other's is not the group-by's order (the last key the most significant)
    sights: list[dict[Any, int]] = [dict(codes or {}) for codes in label_codes]
    for p in parts:
        for k in range(ndims):
            sights[k].setdefault(p[k], len(sights[k]))

    def place(i: int) -> list[tuple[int, Any]]:
        p = parts[i]
        return [(1, 0) if p[k] is None else (0, p[k]) if k in ordered else (0, sights[k][p[k]])
                for k in reversed(range(ndims))]
    return {keys[i]: merged[keys[i]] for i in sorted(range(len(keys)), key=place)}


def aggregate_from(dims: list[str], merged: dict[Any, Any], measure: str,
                   dictionaries: "list[list[str] | None] | None" = None, *,
                   minmax: bool = False) -> Aggregate:
    """An aggregate from each key's state ``[sum, count, min, max]`` in cents (min and max None
    when not computed): the measures' columns are the core's table (``_core.MEASURES``), their
    values computed by the core, as its group-by writes them.  ``dictionaries`` gives a label
    key's labels in their codes' order (first sight), which the next ``+`` orders by; without
    it a label key's codes follow the order its labels appear in the groups.  ``minmax``: the
    aggregates merged kept min and max, so the result has their columns even with no group
    (two min() of no row added were refused as having no min column, where each part had it);
    a group without them (an aggregate of sums merged in) leaves them out."""
    keys = list(merged)
    refuse_mixed_key_kinds(dims, keys)   # 2017 and "2017": two lines read as one year
    minmax = minmax and all(merged[k][2] is not None for k in keys)
    names, kinds, arrays, dicts = [], [], [], []
    for k, d in enumerate(dims):
        column = [key[k] if len(dims) > 1 else key for key in keys]
        labels = dictionaries[k] if dictionaries else None
        if labels is not None and all(v is None or type(v) is str for v in column):
            code_of = {label: i for i, label in enumerate(labels)}
            for v in column:   # a label the dictionary lacks goes after its labels
                if v is not None and v not in code_of:
                    code_of[v] = len(code_of)
            names.append(d)
            kinds.append(_core.COL_LABEL)
            arrays.append(array("i", (-1 if v is None else code_of[v] for v in column)))
            dicts.append(list(code_of))
            continue
        kind, arr, dictionary = _column_array(d, column)
        names.append(d)
        kinds.append(kind)
        arrays.append(arr)
        dicts.append(dictionary)
    for name, kind, needs_minmax in _core.MEASURES:
        if needs_minmax and not minmax:
            continue
        names.append(name)
        kinds.append(kind)
        arrays.append(array("q", (_core.measure_value(name, *merged[k][:4 if minmax else 2])
                                  for k in keys)))
        dicts.append(None)
    core = _core.Ledger.from_arrays(names, kinds, arrays, dicts)
    return Aggregate(core, dims, measure=measure)


__all__ = ["Aggregate", "GroupBy", "Ledger"]
