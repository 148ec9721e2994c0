"""What an analyst asks of a label column and of a date: label conditions for
``Ledger.filter`` and date dimensions for ``group_by`` and ``pivot``.

    >>> import essconv
    >>> wanted = essconv.contains("insertion", ignore_case=True) | essconv.startswith("Asso")
    >>> # ledger.filter(nomBeneficiaire=wanted & ~essconv.one_of(["Association X"]))
    >>> essconv.year("dateConvention").name
    'year(dateConvention)'

**Label conditions** are evaluated once per distinct label of the column's dictionary, never per
row: the result is a mask over the codes, and the core then makes one pass over the int32 codes
of the rows.  So a callable is called once per label, whatever the number of rows, and a filter
over 10 million rows costs what a filter over their few thousand names costs, plus that pass.

A row with no label (a blank cell) is no text: ``contains``, ``startswith``, ``regex`` and a
callable never keep it (a callable is never called with None); ``one_of`` keeps it when its
values hold None.  ``~`` is the plain negation, so ``~contains("x")`` keeps the blank rows.

**Date dimensions** (``year``, ``quarter``, ``month``; ``period_start``, ``period_end`` for the
payment periods of SCDL files, ``datesPeriodeVersement``) are key columns computed in C from the
int32 day numbers, named as written (``"year(dateConvention)"``), with int values (a quarter is
1..4, a month 1..12: group by ``year(d), month(d)`` for calendar months).
"""
from __future__ import annotations

import datetime as _dt
import re
import unicodedata
from typing import Any, Callable, Iterable

import essconv._core as _core
from .errors import ConditionError

__all__ = ["Condition", "DateDimension", "Labels", "contains", "one_of", "period_end", "period_start",
           "quarter", "regex", "startswith", "year", "month"]


# ----------------------------------------------------------------------------- label conditions
# A mask is an int whose byte k is 1 when the k-th label evaluated is kept, 0 otherwise: & and |
# of two masks are then the int's own & and |, and ~ an exclusive or with the all-ones mask, each
# done at C speed on the whole dictionary at once.

def _mask_of(flags: Iterable[Any]) -> int:
    return int.from_bytes(bytes(1 if f else 0 for f in flags), "little")


class Labels:
    """Codes [start, stop) of a ledger column's dictionary, as a condition evaluates them: an
    exact text test runs in the core on the labels as they are held; the labels become Python
    strings only when a test needs them (``texts``), and then once for all the tests."""

    def __init__(self, core: Any, column: int, start: int, stop: int) -> None:
        self._core, self._column = core, column
        self.start, self.stop = start, stop
        self._texts: list[str] | None = None

    def __len__(self) -> int:
        return self.stop - self.start

    @property
    def texts(self) -> list[str]:
        if self._texts is None:
            self._texts = self._core.dictionary(self._column)[self.start:self.stop]
        return self._texts

    def core_mask(self, test: int, text: str) -> int:
        """The mask of an exact text test (``_core.LABEL_*``), computed by the core."""
        return int.from_bytes(self._core.label_mask(self._column, self.start, self.stop, test,
                                                    text), "little")


def _ones(n: int) -> int:
    return int.from_bytes(b"\x01" * n, "little")


#: letters that are no accent for Unicode but are for a French reader: "Œuvres" is "Oeuvres"
_LIGATURES = (("œ", "oe"), ("Œ", "OE"), ("æ", "ae"), ("Æ", "AE"), ("ß", "ss"))


#: the combining diacritical marks (the Unicode blocks named so), what NFKD leaves of the
#: accents of Latin, Greek and Cyrillic letters; one small class the regex engine strips in C
_MARKS = re.compile("[\u0300-\u036f\u1ab0-\u1aff\u1dc0-\u1dff\u20d0-\u20ff\ufe20-\ufe2f]")


def _without_accents(text: str) -> str:
    """The text's compatibility decomposition without its combining diacritical marks ("é" is
    "e", "ﬁ" is "fi"), the French ligatures written out ("œ" is "oe")."""
    if text.isascii():
        return text
    for ligature, letters in _LIGATURES:
        text = text.replace(ligature, letters)
    return _MARKS.sub("", unicodedata.normalize("NFKD", text))


def without_accents(text: str) -> str:
    """The text without its accents ("Dépôts" is "Depots", "œ" is "oe"): how the convention
    compares the names of its parties.

    Example: ``without_accents("Caisse des Dépôts")`` -> ``'Caisse des Depots'``"""
    return _without_accents(text)


def _folder(ignore_case: bool, ignore_accents: bool) -> Callable[[str], str]:
    """The function that makes two labels equal when they differ only as the caller allows."""
    def fold(text: str) -> str:
        if ignore_accents:
            text = _without_accents(text)
        return text.casefold() if ignore_case else text
    return fold


class Condition:
    """A test on a label, evaluated once per distinct label; combine with ``&``, ``|``, ``~``
    (a plain callable on either side of ``&``/``|`` is taken as a condition too).

    Example: ``ledger.filter(nomBeneficiaire=essconv.contains("insertion") & ~essconv.regex("^SCI "))``
    """

    def __init__(self, describe: str, evaluate: Callable[[Labels], int], missing: bool,
                 numbers: tuple[int, ...] = (), labels: tuple[str, ...] = (),
                 empty: bool = False) -> None:
        self._describe = describe
        self._evaluate = evaluate
        #: whether a row with no label is kept
        self.missing = missing
        #: the ints written as values (``one_of([1])``), in it and the conditions it combines:
        #: ``filter`` refuses one the column spells otherwise ("01"), as it refuses ``mois=1``
        self.numbers = numbers
        #: the labels written out to be matched exactly (``one_of(["CDC"])``, no case or accent
        #: folded), in it and the conditions it combines: ``filter`` says one no row holds (a
        #: typo) and refuses one spelt with accents both composed and decomposed, as for
        #: ``financeur="CDC"``
        self.labels = labels
        #: whether it selects no row whatever the labels, for asking no value (``one_of([])``,
        #: or that '&' another): ``filter`` says so, as it says ``filter(col=[])``.  Its
        #: negation, or an '|' with a condition that is not, selects rows: never marked
        self.empty = empty

    def mask(self, labels: Labels) -> int:
        """The mask of ``labels`` (byte k is 1 when the k-th is kept)."""
        return self._evaluate(labels)

    def __and__(self, other: Any) -> "Condition":
        other = as_condition(other)
        return Condition(f"({self._describe} & {other._describe})",
                         lambda labels: self.mask(labels) & other.mask(labels),
                         self.missing and other.missing, self.numbers + other.numbers,
                         self.labels + other.labels, self.empty or other.empty)

    def __or__(self, other: Any) -> "Condition":
        other = as_condition(other)
        return Condition(f"({self._describe} | {other._describe})",
                         lambda labels: self.mask(labels) | other.mask(labels),
                         self.missing or other.missing, self.numbers + other.numbers,
                         self.labels + other.labels, self.empty and other.empty)

    __rand__ = __and__
    __ror__ = __or__

    def __invert__(self) -> "Condition":
        return Condition(f"~{self._describe}",
                         lambda labels: self.mask(labels) ^ _ones(len(labels)), not self.missing,
                         self.numbers, self.labels)

    def __repr__(self) -> str:
        return self._describe


def as_condition(test: Any) -> Condition:
    """A condition, or a callable taking a label and returning a bool made one."""
    if isinstance(test, Condition):
        return test
    if callable(test):
        name = getattr(test, "__name__", type(test).__name__)
        return Condition(name, lambda labels: _mask_of(test(label) for label in labels.texts),
                         False)
    raise ConditionError(f"{test!r} is not a condition (essconv.contains, startswith, regex, one_of "
                    f"or a callable taking a label)")


def is_condition(test: Any) -> bool:
    """Is this filter value a label condition (rather than a label, a set or a range)?"""
    return isinstance(test, Condition) or (callable(test) and not isinstance(test, type))


def _text(word: str, text: Any) -> str:
    """The text of a condition, refused with an essconv error when it is no text a label can
    hold: not a str (``contains(2017)`` reached the core as a TypeError, or ``.casefold`` as an
    AttributeError) or a str UTF-8 cannot encode (a lone surrogate: UnicodeEncodeError)."""
    if not isinstance(text, str):
        raise ConditionError(f"{word}() takes a text, not {text!r} ({type(text).__name__})"
                             + (f": write {word}({str(text)!r})" if isinstance(text, int)
                                and not isinstance(text, bool) else ""))
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        raise ConditionError(f"{word}({text!r}): a lone surrogate is no character, and no "
                             f"label holds one") from None
    return text


def _label_value(v: Any) -> str | None:
    """A value of ``one_of`` as a plain ``filter(col=v)`` reads it on a label column: a str, an
    int read as its digits (2017 is "2017": a year or a code read as text), None the missing
    label; a float, a bool or anything else is refused, as there."""
    if v is None:
        return None
    if isinstance(v, int) and not isinstance(v, bool):
        return str(v)
    if not isinstance(v, str):
        raise ConditionError(f"one_of() compares labels: {v!r} ({type(v).__name__}) is not one, "
                             f"and cannot be read as one")
    return _text("one_of", v)


def contains(text: str, *, ignore_case: bool = False, ignore_accents: bool = False) -> Condition:
    """Labels that contain ``text`` (anywhere); ``ignore_case`` and ``ignore_accents`` make
    "DEPARTEMENT" find "Département".

    Example: ``ledger.filter(nomBeneficiaire=essconv.contains("insertion", ignore_case=True))``
    """
    text = _text("contains", text)
    if not (ignore_case or ignore_accents):   # the bytes as they are: the core scans them
        return Condition(f"contains({text!r})",
                         lambda labels: labels.core_mask(_core.LABEL_CONTAINS, text), False)
    fold = _folder(ignore_case, ignore_accents)
    needle = fold(text)
    return Condition(f"contains({text!r})",
                     lambda labels: _mask_of(needle in fold(s) for s in labels.texts), False)


def startswith(text: str, *, ignore_case: bool = False, ignore_accents: bool = False) -> Condition:
    """Labels that begin with ``text``.

    Example: ``ledger.filter(nomAttribuant=essconv.startswith("Commune", ignore_case=True))``
    """
    text = _text("startswith", text)
    if not (ignore_case or ignore_accents):
        return Condition(f"startswith({text!r})",
                         lambda labels: labels.core_mask(_core.LABEL_STARTSWITH, text), False)
    fold = _folder(ignore_case, ignore_accents)
    prefix = fold(text)
    return Condition(f"startswith({text!r})",
                     lambda labels: _mask_of(fold(s).startswith(prefix) for s in labels.texts),
                     False)


def regex(pattern: str | re.Pattern[str], flags: int = 0) -> Condition:
    """Labels in which the regular expression matches somewhere (``re.search``; anchor it with
    ``^``/``$`` for a whole label).

    Example: ``ledger.filter(nomBeneficiaire=essconv.regex(r"\\bSCI\\b", re.I))``
    """
    if not isinstance(pattern, re.Pattern):
        pattern = _text("regex", pattern)
    try:
        compiled = re.compile(pattern, flags)
    except (re.error, TypeError, ValueError) as exc:   # a bad pattern or flags: say which
        raise ConditionError(f"regex({pattern!r}): {exc}") from None
    return Condition(f"regex({compiled.pattern!r})",
                     lambda labels: _mask_of(compiled.search(s) is not None
                                             for s in labels.texts), False)


def one_of(values: Iterable[str | None], *, ignore_case: bool = False,
           ignore_accents: bool = False) -> Condition:
    """Labels equal to one of ``values`` (None among them keeps the rows with no label).
    A bare string is one label (``one_of("xx")`` is ``one_of(["xx"])``, not its characters);
    each value is read as a plain ``filter(col=value)`` reads it: an int is its digits
    (``one_of([2017])`` keeps the label "2017"), a float or a bool is refused, and an int the
    column does not hold but spells otherwise (1 where months are "01") is refused by the
    filter, naming the spelling, as ``filter(mois=1)`` is.  A label written out that no row
    holds is said (``UnknownLabelWarning``, with the close ones) unless case or accents are
    ignored, and one the column spells with accents both composed and decomposed is refused.

    Example: ``ledger.filter(nature=essconv.one_of(["aide en numéraire"], ignore_case=True))``
    """
    if values is None or isinstance(values, (str, int)):   # one label, not its characters
        values = [values]
    elif isinstance(values, (bytes, bytearray)):
        raise ConditionError(f"one_of() compares labels (str), not bytes: {values!r}")
    try:
        values = list(values)   # read twice below: a generator only once
    except TypeError:   # not iterable
        raise ConditionError(f"one_of() takes labels (a list, a set or one label), not "
                             f"{values!r}") from None
    # the ints as written, before they are read as their digits: filter checks the spelling
    numbers = tuple(v for v in values if isinstance(v, int) and not isinstance(v, bool))
    values = [_label_value(v) for v in values]
    fold = _folder(ignore_case, ignore_accents)
    wanted = {fold(v) for v in values if v is not None}
    shown = ", ".join(repr(v) for v in values[:3]) + (", ..." if len(values) > 3 else "")
    return Condition(f"one_of([{shown}])",
                     lambda labels: _mask_of(fold(s) in wanted for s in labels.texts),
                     None in values, numbers,
                     () if ignore_case or ignore_accents else
                     tuple(v for v in values if isinstance(v, str)), not values)


# ------------------------------------------------------------------------------ pairs
#: a label that reads as a whole number (a year, a code): the one a pair could mean a range of
_WHOLE_NUMBER = re.compile(r"[+-]?[0-9]+")


def refuse_label_pair(column: str, value: Any) -> None:
    """A pair ``(lo, hi)`` is an inclusive range on an int, date or amount column, and on a
    label column was taken as the two labels alone: ``annee=(2010, 2013)`` on years read as
    text summed 2010 and 2013 and left 2011 and 2012 out, silently, where the same words on
    an int column summed the four years.  A pair with a number, digits or None in it could
    mean either, so it is refused, saying how to write each; two names (``("CDC", "CR")``)
    have no range between them and stay the two labels."""
    if not (isinstance(value, tuple) and len(value) == 2):
        return
    if any(_is_day(v) for v in value):
        # ("2017-10-01", "2017-12-31") on dates kept as text (a SQL table's, a column not
        # read as dates) selected those two days alone: a quarter's total of 0,00
        lo, hi = value
        raise ConditionError(
            f"column {column!r} holds labels, not dates: {value!r} reads as the days "
            f"{'up to ' + repr(hi) if lo is None else f'from {lo!r} on' if hi is None else f'from {lo!r} to {hi!r}'}"
            f" (as a pair means on a date column) or as those two labels "
            f"alone; read the column as dates (read_csv's or read_sql's dates=[{column!r}]) "
            f"to keep every "
            f"day between, or write a set {{...}} for the labels alone")
    if not any(v is None or (isinstance(v, int) and not isinstance(v, bool))
               or (isinstance(v, str) and _WHOLE_NUMBER.fullmatch(v.strip())) for v in value):
        return
    lo, hi = value
    raise ConditionError(
        f"column {column!r} holds labels: {value!r} reads as a range (from {lo!r} to {hi!r}, "
        f"as a pair means on an int or date column) or as those two labels alone; write "
        f"range(first, last + 1) for every year between, or a set {{...}} for the labels "
        f"alone (None in a set is a missing label)")


def _is_day(value: Any) -> bool:
    """A date, or a text the reader reads as one (its own rule: ``2017-10-01``, ``25/03/2017``)."""
    if isinstance(value, _dt.date):
        return True
    if not isinstance(value, str):
        return False
    try:
        _core.parse_date(value.strip(), "")
    except ValueError:
        return False
    return True


def refuse_backward_range(column: str, value: Any, lo: int, hi: int) -> None:
    """A pair whose start comes after its end (``(2013, 2010)``, the 31st of December before
    the 1st of January) selected no row, and its total of 0,00 read as "nothing then": refused,
    ``lo`` and ``hi`` being its ends in the column's own units."""
    if isinstance(value, tuple) and len(value) == 2 and lo > hi:
        raise ConditionError(f"column {column!r}: the range {value!r} ends before it starts; "
                             f"write ({value[1]!r}, {value[0]!r})")


def refuse_numbers_spelt_otherwise(ledger: Any, column: str, values: Iterable[Any]) -> None:
    """An int is read on a label column as its digits (2017 is "2017"), and one no label is
    kept no row, silently, even where the column spells that number otherwise: ``mois=1`` or
    ``mois=range(1, 4)`` on months written "01", "02"... summed to zero.  Whether 1 is "01"
    (a month, a code) or not (a reference whose zeros count) is the analyst's to say, so such
    an int is refused, naming the labels that read as it.  An int no label reads as (a year
    absent from this file) is an empty selection, said as its label is (UnknownLabelWarning,
    by ``Ledger.filter``).  Columns of more than 20 000 labels
    are not scanned (as for the close labels an unknown one gets)."""
    missing = [v for v in values if isinstance(v, int) and not isinstance(v, bool)
               and not ledger.has_label(column, str(v))]
    if not missing or not 0 < ledger._core.dictionary_size(ledger.columns.index(column)) <= 20_000:
        return
    spelt: dict[int, list[str]] = {}
    for label in ledger.labels(column):
        if _WHOLE_NUMBER.fullmatch(label.strip()):
            spelt.setdefault(int(label), []).append(label)
    for v in missing:
        if v in spelt:
            shown = ", ".join(repr(l) for l in spelt[v][:3])
            raise ConditionError(
                f"column {column!r} holds labels: {v!r} is read as the label {str(v)!r}, which it "
                f"never holds, and {shown} reads as {v}; write the label as the column spells it "
                f"({spelt[v][0]!r}), or a set of labels")


def refuse_twin_spellings(ledger: Any, column: str, values: Iterable[Any]) -> None:
    """A label whose accents a file wrote composed ("é") and another decomposed ("e" and a
    combining accent, as macOS exports write it) is two labels that look one: a filter on the
    one typed kept the rows of that spelling alone, and the total read as the name's missed
    the others'.  Such a label is refused, naming both spellings and how to make them one
    (``ledger.relabel``); a label held one way only costs two dictionary look-ups."""
    for v in values:
        if not isinstance(v, str) or v.isascii():
            continue
        held = sorted({f for f in (v, unicodedata.normalize("NFC", v),
                                   unicodedata.normalize("NFD", v)) if ledger.has_label(column, f)})
        if len(held) > 1:
            nfc = unicodedata.normalize("NFC", v)
            raise ConditionError(
                f"column {column!r} holds {v!r} spelt {len(held)} ways, its accents composed "
                f"and decomposed ({', '.join(ascii(h) for h in held)}), each its own label: "
                f"make them one first, ledger.relabel({column!r}, {{"
                + ", ".join(f"{ascii(h)}: {ascii(nfc)}" for h in held if h != nfc) + "})")


# ------------------------------------------------------------------------------ date dimensions
class DateDimension:
    """A key computed from a date column: what ``year``, ``quarter``, ``month``, ``period_start``
    and ``period_end`` return, usable wherever ``group_by`` and ``pivot`` take a column name.

    Example: ``ledger.group_by(essconv.year("dateConvention"), "nomAttribuant").sum()``
    """

    def __init__(self, column: str, part: int, side: int, name: str) -> None:
        self.column = column   # the source column
        self.part = part       # _core.PART_*
        self.side = side       # _core.SIDE_*: which end of a period a label column holds
        #: the key column's name in the result, e.g. "year(dateConvention)"
        self.name = name

    def __repr__(self) -> str:
        return self.name

    def __eq__(self, other: Any) -> bool:
        return isinstance(other, DateDimension) and self.name == other.name

    def __hash__(self) -> int:
        return hash(self.name)


def _calendar_part(part: int, word: str, column: str | DateDimension) -> DateDimension:
    if isinstance(column, DateDimension):
        if column.part != _core.PART_DAY:
            raise ConditionError(f"{word}() takes a date column or a period's start or end, "
                            f"not {column.name}")
        return DateDimension(column.column, part, column.side, f"{word}({column.name})")
    if not isinstance(column, str):
        raise ConditionError(f"{word}() takes a column name, not {column!r}")
    return DateDimension(column, part, _core.SIDE_DATE, f"{word}({column})")


def year(column: str | DateDimension) -> DateDimension:
    """The year of a date column (or of ``period_start``/``period_end``), as an int key.

    Example: ``ledger.group_by(essconv.year("dateConvention")).sum().to_dict()`` -> ``{2017: ...}``
    """
    return _calendar_part(_core.PART_YEAR, "year", column)


def quarter(column: str | DateDimension) -> DateDimension:
    """The quarter (1..4) of a date column, as an int key.

    Example: ``ledger.group_by(essconv.year("d"), essconv.quarter("d")).sum()``
    """
    return _calendar_part(_core.PART_QUARTER, "quarter", column)


def month(column: str | DateDimension) -> DateDimension:
    """The month (1..12) of a date column, as an int key.

    Example: ``ledger.pivot(rows=essconv.month("dateConvention"), columns="nomAttribuant")``
    """
    return _calendar_part(_core.PART_MONTH, "month", column)


def period_start(column: str) -> DateDimension:
    """The first day of the payment periods a label column holds (``datesPeriodeVersement``:
    ``2018-01-01_2018-03-31``, ``2017-03-30/2017-05-24``, or one date), as a date key; wrap it
    in ``year``/``quarter``/``month`` for those.

    Example: ``ledger.group_by(essconv.year(essconv.period_start("datesPeriodeVersement")))``
    """
    return DateDimension(column, _core.PART_DAY, _core.SIDE_START, f"period_start({column})")


def period_end(column: str) -> DateDimension:
    """The last day of the payment periods a label column holds (see :func:`period_start`).

    Example: ``ledger.group_by(essconv.period_end("datesPeriodeVersement")).sum()``
    """
    return DateDimension(column, _core.PART_DAY, _core.SIDE_END, f"period_end({column})")
