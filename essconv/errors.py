"""The one exception hierarchy of essconv, rooted in :class:`Error`.

Each error is also the standard exception a Python programmer would catch for it: a malformed
amount or table is a :class:`ValueError`, an amount past int64 cents an :class:`OverflowError`,
a year with no plan a :class:`LookupError`.  Errors about input say where: ``.path`` (the file,
or None), ``.line`` and ``.column`` (1-based; 0 when not applicable).

This module imports nothing of essconv: the C core imports it while the package initialises.
"""
from __future__ import annotations

import datetime
import inspect
import os
import warnings
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass, field
from typing import Iterable, Iterator


class Error(Exception):
    """Base class of every error essconv raises on purpose.

    Example: ``except essconv.Error: ...`` catches every error essconv raises on purpose
    """

    #: why, for a listing to word in its language (``Language.refusal``): a kind and its values
    #: (``("outside-term", 1990, 2009, 2013)``), the message staying the English wording; ()
    #: when the message alone says it
    reason: tuple = ()

    def __init__(self, *args: object, reason: tuple = ()) -> None:
        super().__init__(*args)
        if reason:
            self.reason = reason


class _Located(Error):
    """An error about input: ``.path``, ``.line``, ``.column``, shown as ``file:line:column``."""

    path: str | None = None
    line: int = 0
    column: int = 0
    #: why, for a listing to word in its language (``Language.refusal``): the reader's
    #: ``("amount-ambiguous", why)`` for an amount such as "12.500" the column leaves undecided
    #: (why: 0 no other amount says which, 1 they disagree, 2 a ',' file says nothing), then
    #: the amount column and row (0: none) when converted outside a file (from_columns, SQL); a
    #: row a reader refused (``bad_rows="raise"``): the reason the same row set aside has (kind,
    #: column, value, count, expected, amount, detail, more: see :class:`Problem`), shaped so
    #: too for the header repeated in another order, never set aside ("header-reordered": the
    #: amount's column, the name there, its field and that name's in the first header), the
    #: message staying the English wording; () when the message alone says it
    reason: tuple = ()

    def __init__(self, message: str = "", *, path: str | None = None, line: int = 0,
                 column: int = 0, reason: tuple = ()) -> None:
        super().__init__(message)
        self.path, self.line, self.column = path, line, column
        self.reason = reason

    def __str__(self) -> str:
        message = super().__str__()
        place = self.where()
        return f"{place}: {message}" if place else message

    def restated(self, message: str, *, path: str | None = None, line: int = 0,
                 column: int = 0, reason: tuple = ()) -> "_Located":
        """An error of the same class said anew (its message given more context, its place
        moved), as ``type(self)(message, ...)`` makes it, keeping what the class adds to a
        place: a :class:`MoneyOverflowError`'s ``below`` (a copy that lost it said a huge
        negative amount beyond the ceiling)."""
        out = type(self)(message, path=path, line=line, column=column, reason=reason)
        if "below" in self.__dict__:
            out.below = self.below   # type: ignore[attr-defined]
        return out

    def where(self) -> str:
        """``file:line:column`` as far as it is known (what compilers print)."""
        parts = [self.path or ""]
        if self.line:
            parts.append(str(self.line))
            if self.column:
                parts.append(str(self.column))
        return ":".join(parts) if any(parts) else ""


class ParseError(_Located, ValueError):
    """Input that is not what it should be; says the file, line and column.

    Example: ``except essconv.ParseError as e: print(e.where())`` -> ``grants.csv:3:9``
    """


class AmountError(ParseError):
    """A text that is not an amount as documents print them (``12a``, ``1 2618``, ``12,,5``)."""


class MoneyOverflowError(_Located, OverflowError):
    """An amount or a sum beyond int64 cents (about ±92 233 billion euros): never a wrap.

    ``below`` is True when a sum left the range by its floor (−92 233 720 368 547 758,08 €),
    False when by its ceiling or when the side is not known: an exact sum (a ledger's total,
    an aggregate's total or others line) is above or below as a whole; a plan's running sum
    is said by the addition that left the range, even when its later figures would have
    brought the exact sum back (checked arithmetic refuses it then too).

    Example: ``essconv.money.to_cents("92233720368547758,08")`` raises it
    """

    #: the sum is below int64 cents' floor, not beyond its ceiling (see above)
    below: bool = False


class AmountTypeError(_Located, TypeError):
    """An amount column of a type that cannot hold money exactly (a binary float): names the
    column, its type and what to give instead.

    Example: ``Ledger.read_sql("SELECT montant_real AS montant ...", "grants.db", amount="montant")``
    """


class DatabaseError(Error, OSError):
    """The database refused a query or a write, or the connection was lost; whatever was being
    written is rolled back (one transaction).

    Example: ``except essconv.DatabaseError as e: print(e)``
    """


@dataclass(frozen=True)
class Problem:
    """One problem of a file: where it is and what it is.

    Example: ``[str(p) for p in essconv.read_plan("annexe1-2009.tsv").problems]`` -> ``['5:51: ...']``
    """

    line: int
    column: int
    message: str
    structural: bool = False
    #: why, for a listing to word in its language (``Language.problem``): a ledger's reader
    #: gives (kind, column, value, count, expected, amount, detail, more) -- kind "field-count",
    #: "amount", "date"... (see essconv/_core's bad_kinds); for an "amount", detail names what
    #: the parser found ("second-mark", "sub-cent"...: amount_details there), count its number
    #: and expected its character; for a total row refused, more counts the file's other total
    #: rows -- ``message`` staying the English wording; a plan's
    #: structural problem gives (kind, n, m, text) -- kind "plan-row-width" (n cells where the
    #: header has m), "plan-second-total-row", "plan-subtotal-row"... (plan.c's ESS_PLAN_*),
    #: with the other label of two after text ("plan-funder-similar": 'Région' / 'REGION');
    #: an unreadable plan cell gives ("plan-bad-amount", detail, n, value, "line\x1ffunder",
    #: character) -- or ("amount-ambiguous", why); a refusal of the header's units gives its
    #: units in cents ("plan-unit-two", 100000, 100000000, 'en K€', 'CDC (M€)'), and so does
    #: the PlanFormatError's own reason; () when the message alone says it
    reason: tuple = field(default=(), compare=False, repr=False)

    def __str__(self) -> str:
        return f"{self.line}:{self.column}: {self.message}"


@dataclass(frozen=True)
class BadRow:
    """A record set aside with its file: ``grants-07.csv:12:30: message`` -- a Dask partition's,
    or one of a ledger extended by another file's rows (a line number means nothing alone)."""

    path: str | None
    line: int
    column: int
    message: str
    #: the reader's reason (see :class:`essconv.Problem`), for a listing to word in its
    #: language (``Language.problem``): without it a French listing showed the English message
    reason: tuple = field(default=(), compare=False, repr=False)

    def __str__(self) -> str:
        return f"{self.path or '<partition>'}:{self.line}:{self.column}: {self.message}"


class PlanFormatError(ParseError):
    """A plan table broken in structure.  ``.problems`` lists every problem of the file —
    structural ones and unreadable cells alike — not just the first."""

    def __init__(self, message: str = "", *, path: str | None = None, line: int = 0,
                 column: int = 0, problems: list[Problem] | None = None,
                 reason: tuple = ()) -> None:
        super().__init__(message, path=path, line=line, column=column, reason=reason)
        self.problems: list[Problem] = list(problems or [])

    def __str__(self) -> str:
        head = super().__str__()
        where = self.path or "<table>"
        lines = [head] + [f"  {where}:{p.line}:{p.column}: {p.message}"
                          for p in self.listed_problems()]
        return "\n".join(lines)

    def listed_problems(self) -> list[Problem]:
        """The problems to list under the head: all but one that only repeats it (an empty
        file refused for its one problem printed "f.csv:1:1: the file is empty" twice).

        Example: ``for p in exc.listed_problems(): print(p.line, p.column, p.message)``"""
        head = (self.line, self.column, Exception.__str__(self))
        return [p for p in self.problems if (p.line, p.column, p.message) != head]


class DescriptionError(ParseError):
    """A convention description (TOML) that says something wrong: names the file and the key.

    Example: ``except essconv.DescriptionError as e: print(e.path, e.key)``
    """

    key: str = ""

    def __init__(self, message: str = "", *, path: str | None = None, key: str = "",
                 line: int = 0, column: int = 0, reason: tuple = ()) -> None:
        super().__init__(message, path=path, line=line, column=column, reason=reason)
        self.key = key

    def __str__(self) -> str:
        message = Exception.__str__(self)
        place = self.where()
        key = f" [{self.key}]" if self.key else ""
        return f"{place}{key}: {message}" if place or key else message


class NoPlanError(Error, LookupError):
    """A year for which the convention has no financing plan.

    Example: ``essconv.default().plan(2010)`` raises it: the source gives the 2009 plan only
    """


class UnknownLabelError(Error, KeyError):
    """A line, funder or axis label the plan does not have.

    Example: ``plan.cell("DLB", "CDC")`` raises it: ``no line 'DLB' in this plan; did you mean 'DLA'?``
    """

    def __str__(self) -> str:  # KeyError would quote the whole message
        return str(self.args[0]) if self.args else ""


class MissingExtraError(Error, ImportError):
    """An optional dependency (pandas, pyarrow, matplotlib, openpyxl) is not installed.

    Example: ``plan.plot.by_axis()`` without matplotlib raises it, saying ``pip install 'essconv[plot]'``
    """


class AmbiguityError(Error, ValueError):
    """Asked for "the" fix of a table that cannot decide between several equally plausible ones.

    Example: ``plan.with_corrections(report)`` raises it when ``report`` holds an ``ambiguity``
    whose first candidates are equally plausible: pick one of ``report.suggestions`` instead
    """


class ConditionError(Error, TypeError):
    """A filter condition whose value is of another kind than its column and cannot be read
    as one; the message names the column and its kind.

    Example: ``ledger.filter(annee=2017.0)`` on a text column raises it (a float is no label).
    """


class ShareError(Error, ZeroDivisionError):
    """Shares asked of groups whose sums add up to zero: no percentage of nothing.

    Example: ``ledger.group_by("f").sum().share()`` raises it when the amounts cancel out
    """

    #: why, for a listing to word in its language (``Language.refusal``)
    reason: tuple = ("share-of-zero",)


class RelabelError(Error, ValueError):
    """A relabel that cannot be applied as written: a label that is not text, a column that
    holds no labels, or a chain (a label renamed to one that is itself renamed).

    Example: ``ledger.relabel("nomBeneficiaire", {"A": "B", "B": "C"})`` -- say ``"A": "C"``
    """


class EssconvWarning(UserWarning):
    """Base class of the warnings essconv gives: the input was read, but something in it
    deserves a look.  ``warnings.simplefilter("error", essconv.EssconvWarning)`` makes them
    errors.

    Example: ``warnings.simplefilter("error", essconv.EssconvWarning)``
    """

    #: the file the warning is about (None: bytes, or no file), and the first place it names
    #: (1-based; 0 when it names none), for a listing to say ``file:line:column``
    path: "str | None" = None
    line: int = 0
    column: int = 0
    #: why, for a listing to word in its language (``Language.warning``): a kind and its
    #: values (``("mixed-cp1252", 1, ((3, 5, 0xE9),))``), the message staying the English
    #: wording; () when the message alone says it
    reason: tuple = ()

    def __init__(self, *args: object, path: "str | None" = None, line: int = 0, column: int = 0,
                 reason: tuple = ()) -> None:
        super().__init__(*args)
        self.path, self.line, self.column = path, line, column
        if reason:
            self.reason = reason


class MixedEncodingWarning(EssconvWarning, UnicodeWarning):
    """A file mixes UTF-8 and CP1252 (two exports pasted together).  The encoding was decided
    on the whole file; the message names the place of each odd byte and how it was read.

    Example: ``MixedEncodingWarning: plan.csv: mostly UTF-8; byte 0xE9 at 3:5 is not UTF-8,
    read as CP1252 'é'``
    """


class NothingMatchedWarning(EssconvWarning):
    """Something asked for matched no record.  Planned versus paid found no record to compare:
    every record is dated outside the year or has a funder that maps to no party; the message
    says which, with the years and names.  A filter kept no row and one of its int, date or
    amount conditions selects no row by itself (a year the file does not hold, a typo such as
    2901), or was an empty set: the message names the column, the value and the column's
    range.

    Example: ``conv.execution(2009, read_scdl("lot-2017.csv"))`` warns ``no record of the 13
    matched the plan of 2009: 13 are dated outside 2009 (dated 2017)``;
    ``ledger.filter(annee=2011)`` warns ``annee: no row holds 2011 (the column holds
    2009–2010); it selects no row``
    """


class NoLineColumnWarning(EssconvWarning):
    """Planned versus paid found no column placing the payments on the plan's lines (the
    ledger has no ``dispositifAide`` and no ``line=`` names another): the paid amounts by
    funder and party are compared, but by line and by axis the rates are not computed -- not
    0 %, which would read as nothing paid.

    Example: ``conv.execution(2009, ledger)`` warns ``the ledger has no column
    'dispositifAide' placing its payments on the lines of the 2009 plan: ...``
    """


class UnknownLabelWarning(EssconvWarning):
    """A filter named a label no row of its column holds -- a typo, a missing accent, another
    spelling, or a label only rows set aside when read or left out by an earlier filter held
    (said so) -- so it selects nothing for it; the message names the column and the closest
    labels the rows do hold.  An int on a label column (a year read as text) is its label,
    ``2019`` is ``"2019"``, said so when no row holds it; a range of them is said when no row
    holds any of its years (``annee: no label from '2019' to '2020'``), a year missing inside
    the span being no typo.

    Example: ``ledger.filter(financeur="Caisse des depots")`` warns ``financeur: no label
    'Caisse des depots' (close: 'Caisse des Dépôts'); it selects no row``
    """


class RepairedRowsWarning(EssconvWarning):
    """Rows longer than the header were read by putting their cells back where they belong:
    the delimiter appeared unquoted inside values (``25 000,00`` in a ``,`` file splits the
    amount in two).  Done only when every such row of the file fits the header one way alone;
    the message names the file, how many rows, and the first one.  Rows longer than the header
    only by blank cells at their end (a stray delimiter there) are read without them and said
    by one such warning too (``reason`` ``("blank-past-header", count, line, width)``).

    Example: ``RepairedRowsWarning: vendee.csv: 47 row(s) ... (first: line 2, montant '25 000' + '00')``
    """


class ShortRowsWarning(EssconvWarning):
    """Grant rows that stop before the header's last columns, all of which the schema marks
    optional (``idRAE``, ``dispositifAide``...), were read with those cells blank: Excel writes
    no delimiter for the blank cells that end a row past a sheet's 16th line.  Said once a
    file: how many rows, the first one, and the columns.  A row short of a required column is
    still set aside at its line.  ``Ledger.read_csv(short_rows="blank")``, which knows no
    schema, says by it how many rows it read with their missing last cells blank, and the first
    (``reason`` ``("short-rows-blank", count, line)``).

    Example: ``ShortRowsWarning: antibes.csv: 14 rows stop before the optional last column
    dispositifAide (first: line 17) ...``
    """


class HalfPeriodWarning(EssconvWarning):
    """Grant records of the older layout (SUB_DATE_DEBUT, SUB_DATE_FIN) that give one end of
    the payment period alone: joined, the date would read as one payment day, so their
    ``datesPeriodeVersement`` is left missing.  The message names the file, how many records,
    and the first one.

    Example: ``HalfPeriodWarning: nievre.csv: 3 record(s) give one end of the payment period
    alone (first: line 4, SUB_DATE_DEBUT = '2016-03-01', SUB_DATE_FIN blank) ...``
    """


#: the warnings of essconv kept aside in this thread (or task) rather than given, while a
#: :func:`warnings_kept_aside` block runs; None: given as usual.  A context variable, one per
#: thread: ``warnings.catch_warnings`` swaps the warnings module's one state for the whole
#: process, so partitions read side by side by Dask's threads took each other's warnings and
#: could leave a finished partition's recorder in place
_KEPT_ASIDE: ContextVar[list[Warning] | None] = ContextVar("essconv_warnings_kept_aside",
                                                            default=None)


#: the package's folder: a frame of a file under it is essconv's own
_PACKAGE = os.path.dirname(os.path.abspath(__file__)) + os.sep


def give_warning(warning: Warning) -> None:
    """``warnings.warn(warning)``, placed at the analyst's line (the first frame outside
    essconv), unless a :func:`warnings_kept_aside` block of this thread keeps it: every
    warning essconv gives goes through here.  A fixed ``stacklevel`` counted from each call
    placed it inside essconv whenever the call came through one more of its functions
    (``validate_scdl``'s, the Dask ledger's verbs: ``essconv/dask.py:608``), where a filter on
    the analyst's module does not see it and a listing points at no line of theirs."""
    kept = _KEPT_ASIDE.get()
    if kept is not None:
        kept.append(warning)
        return
    here = inspect.currentframe()
    frame, level = (here.f_back if here else None), 2   # level 2: give_warning's caller
    while frame is not None and os.path.abspath(frame.f_code.co_filename).startswith(_PACKAGE):
        frame, level = frame.f_back, level + 1
    warnings.warn(warning, stacklevel=level if frame is not None else 2)


@contextmanager
def warnings_kept_aside() -> Iterator[list[Warning]]:
    """The warnings essconv gives in this thread inside the block, in a list, in order, none
    given (every one kept, whatever the filters: whoever reads the list gives them).  Blocks
    nest; other threads' warnings are not touched.

    Example: ``with warnings_kept_aside() as said: ledger = Ledger.read_csv(path, amount="m")``
    """
    kept: list[Warning] = []
    token = _KEPT_ASIDE.set(kept)
    try:
        yield kept
    finally:
        _KEPT_ASIDE.reset(token)


class InvalidValueError(_Located, ValueError):
    """A value outside what the operation accepts, refused with what was wrong: by the C core,
    or by the Python API before it (an option of a closed set, a count below zero).

    Example: ``ledger.extend(other)`` where ``other`` lacks one of the ledger's columns;
    ``Ledger.read_csv(path, amount="montant", bad_rows="skip")`` (it is "raise" or "collect")
    """


class NotFoundError(_Located, LookupError):
    """A code, label or year the object does not know, refused by the C core.

    Example: a party whose ``parent`` names no party (yet) in the convention's C model
    """


class UnknownColumnError(Error, KeyError):
    """A column the ledger, or the table at hand, does not have; the message lists those it has.

    Example: ``ledger["montnat"]`` raises it: ``no column 'montnat'; the ledger's columns: 'montant', ...``
    """

    #: why, for a listing to word in its language (``Language.refusal``): ``("no-column",
    #: name, columns)``, the column asked for and those there are; () when the message alone
    #: says it
    reason: tuple = ()

    def __init__(self, message: str = "", *, column: str | None = None,
                 columns: "tuple[str, ...] | list[str]" = (), reason: tuple = ()) -> None:
        super().__init__(message)
        # reason, when given: ("no-order", name, columns), an aggregate ordered by a column its
        # groups do not have
        self.reason = reason or (("no-column", column, tuple(columns)) if column is not None
                                 else ())

    def __str__(self) -> str:  # KeyError would quote the whole message
        return str(self.args[0]) if self.args else ""


class ArgumentTypeError(Error, TypeError):
    """An argument of a kind the function does not take (a float where a dimension or an
    amount is expected, a function returning something other than a ledger).

    Example: ``ledger.group_by(3.5)`` -- a dimension is a column name or essconv.year(...)
    """


class ProducerError(Error, RuntimeError):
    """The producer of the data being read failed partway -- an Arrow stream's
    (``pyarrow.RecordBatchReader.from_batches(schema, batches)`` whose generator raised, a
    database cursor whose connection was lost): no fault of the argument, which was of the
    right kind.  The message quotes the producer's own (its first 4 000 characters), with the
    batch that failed and the rows read before it; nothing read is kept.  ``.batch`` is that
    batch (0-based; None: the stream gave no schema), ``.rows`` the rows read before it;
    ``.reason`` (``("producer-failed", batch, rows, said)``) lets a listing word it in its
    language around the producer's own words (``Language.refusal``).

    Example: ``except essconv.ProducerError as e: print(e.batch, e.rows)`` -> ``2 30000``
    """

    batch: "int | None" = None
    rows: int = 0

    def __init__(self, message: str = "", *, batch: "int | None" = None, rows: int = 0,
                 said: "str | None" = None) -> None:
        # said: the producer's own message (as quoted): with it, a listing words the failure
        # in its language (Language.refusal), the producer's words kept as they are
        super().__init__(message, reason=() if said is None
                         else ("producer-failed", batch, rows, said))
        self.batch, self.rows = batch, rows


class PositionError(Error, IndexError):
    """A line or funder given by a position past the plan's.

    Example: ``plan.line_index(99)`` on a plan of 23 lines
    """


class FileChangedError(_Located, OSError):
    """A file that another process truncated, extended or rewrote while essconv read it.

    Example: ``except essconv.FileChangedError: ...`` -- read the file again once it is complete
    """


class InputClosedError(_Located, OSError):
    """FILE ``-`` read from a standard input that is closed (a job started with ``<&-``).

    Example: ``essconv validate - <&-`` -> ``-: standard input closed``, exit 2
    """


class OutputClosedError(_Located, OSError):
    """The command line started with its standard output closed (``>&-``): nowhere to write.

    Example: ``essconv aggregate plan.csv --by funder >&-`` -> ``-: standard output closed``,
    exit 2
    """


def names_listed(names: Iterable[str]) -> str:
    """Column names as an English message lists them, each quoted, in words: ``'montant',
    'nom'`` (a message printed a Python list, "the ledger has ['montant', 'nom']").

    Example: ``names_listed(["montant", "nom"])`` -> ``"'montant', 'nom'"``"""
    return ", ".join(repr(str(n)) for n in names) or "none"


def close_name(name: str, names: Iterable[str]) -> "str | None":
    """The one of ``names`` closest to ``name`` once case is folded (a typo: ``'anne'`` for
    ``'annee'``), or None when none is close: what a refusal of an unknown column offers, in
    either language.

    Example: ``close_name("Annee", ["nom", "annee"])`` -> ``'annee'``"""
    import difflib
    folded = {str(n).casefold(): str(n) for n in names}
    near = difflib.get_close_matches(str(name).casefold(), list(folded), n=1, cutoff=0.75)
    return folded[near[0]] if near else None


def names_said(names: Iterable[object]) -> str:
    """Names as an English sentence says them, each quoted, the last after "and": "the groups'
    columns are 'nom', 'sum' and 'count'" (a list read as a Python list, or cut short, where
    commas alone joined them in running text; after a colon or "one of", :func:`names_listed`).

    Example: ``names_said(["nom", "sum", "count"])`` -> ``"'nom', 'sum' and 'count'"``"""
    quoted = [repr(str(n)) for n in names]
    return (", ".join(quoted[:-1]) + " and " + quoted[-1]) if len(quoted) > 1 else \
        "".join(quoted) or "none"


def refuse_lone_surrogate(value: object, argument: str) -> None:
    """A str holding a lone surrogate (``'\\ud800'``: half of a pair, what a bad decode or
    ``errors="surrogateescape"`` leaves) is no text UTF-8 can hold, nor any file or label:
    refused as an :class:`InvalidValueError` naming ``argument`` -- it escaped as a bare
    ``UnicodeEncodeError`` when the core was handed it.

    Example: ``refuse_lone_surrogate(amount, "amount")``"""
    if not isinstance(value, str):
        return
    try:
        value.encode("utf-8")
    except UnicodeEncodeError as exc:
        raise InvalidValueError(
            f"{argument}: {value!r} holds a lone surrogate ({value[exc.start]!r}, character "
            f"{exc.start + 1}), which no UTF-8 text holds: decode its bytes again") from None


def checked_year(value: object, argument: str = "year") -> int:
    """``value`` as a calendar year, or refused naming ``argument``: an int (a numpy integer
    from a table too) from 1 to 9999, the years a date holds.  A bool is no year (``True`` was
    read as the year 1), nor a float, a str or None; a year past a C long escaped the core as a
    bare OverflowError.

    Example: ``checked_year(2010)`` -> ``2010``; ``checked_year(True)`` raises ArgumentTypeError
    """
    import operator
    if isinstance(value, bool) or type(value).__name__ in ("bool_", "bool"):
        year = None   # numpy's bool_ too: True is no year, whatever int() makes of it
    else:
        try:
            year = operator.index(value)
        except TypeError:
            year = None
    if year is None:
        raise ArgumentTypeError(f"{argument} must be a year as an int (2010), not "
                                f"{type(value).__name__} {value!r}",
                                reason=("year-type", argument, type(value).__name__, repr(value)))
    if not datetime.MINYEAR <= year <= datetime.MAXYEAR:
        raise InvalidValueError(f"{argument} must be a year from {datetime.MINYEAR} to {datetime.MAXYEAR}, "
                                f"not {year}", reason=("year-range", argument, year))
    return year


__all__ = [
    "Error", "ParseError", "AmountError", "MoneyOverflowError", "Problem", "PlanFormatError",
    "DescriptionError", "NoPlanError", "UnknownLabelError", "MissingExtraError",
    "AmbiguityError",
    "AmountTypeError", "DatabaseError",
    "EssconvWarning", "MixedEncodingWarning", "NothingMatchedWarning", "ConditionError",
    "FileChangedError", "HalfPeriodWarning", "RepairedRowsWarning", "ShortRowsWarning", "ShareError", "UnknownLabelWarning",
    "RelabelError", "InvalidValueError", "NotFoundError", "UnknownColumnError",
    "ArgumentTypeError", "PositionError", "ProducerError",
]
