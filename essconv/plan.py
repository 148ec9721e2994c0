"""Financing plans: read them as printed, add them exactly, say which cell is wrong.

A plan is a matrix of action lines (grouped under axes) x funders, in a unit (k€ most often),
with the Total column and Total row the table printed.  The C core holds the cells as int64
cents and does every sum, every check and the reconciliation; this module gives them labels
and Decimals.

    >>> plan = read_plan("annexe1-2009.tsv")          # doctest: +SKIP
    >>> plan.cell("DLA", "CDC")                        # doctest: +SKIP
    Decimal('274')
    >>> report = plan.validate()                       # doctest: +SKIP
    >>> report.ok, [f.code for f in report]            # doctest: +SKIP
"""
from __future__ import annotations

import datetime as _dt
import functools
import io
import os
import re
from collections import Counter
from dataclasses import replace
from decimal import Decimal
from pathlib import Path
from typing import TYPE_CHECKING, Any, BinaryIO, Callable, Iterable, Iterator, TextIO, Union

import essconv._core as _core
from .errors import (ArgumentTypeError, InvalidValueError, MissingExtraError,
                     MoneyOverflowError, PlanFormatError, PositionError, Problem,
                     UnknownLabelError, names_listed, refuse_lone_surrogate)
from .files import ENCODINGS, checked_delimiter, checked_target, read_source, warn_if_mixed
from .findings import TOTAL, Finding, Report, amount_text
from .margin import CELL_SPACES, is_blank
from .messages import kept_off_search, language, plan_year_outside_term_said
from .money import from_cents, to_cents, total_for_repr, unit_cents, unit_symbol

if TYPE_CHECKING:  # pragma: no cover
    from .pivot import Pivot   # below: the convention above is named only in strings

Source = Union[str, "os.PathLike[str]", BinaryIO, TextIO, bytes]

#: what a ledger's pivot names a missing key's axis, line or funder (the core's group.c); a word
#: of the words floor, which export.py (below the models) shares
from .messages import PIVOT_MISSING_TEXT  # noqa: E402

#: the core's table of finding kinds: code -> (name, severity, scope, correctable)
_KINDS = {code: (name, severity, scope, correctable)
          for code, name, severity, scope, correctable in _core.finding_kinds()}
#: the kind of one edit of an explanation -> the code of the finding it would be alone (the
#: core's mapping)
_EDIT_CODES = _core.edit_kinds()
_STATE_BLANK, _STATE_VALUE, _STATE_MALFORMED = 0, 1, 2

def _in_file(method: Any) -> Any:
    """A sum past int64 cents names the cell at fault (the core's line and column); this adds
    the plan's file, so the error reads ``plan.tsv:3:5: ...`` as a read error does."""
    @functools.wraps(method)
    def named(self: "Plan", *args: Any, **kwargs: Any) -> Any:
        try:
            return method(self, *args, **kwargs)
        except MoneyOverflowError as exc:
            if exc.path is None and exc.line:
                exc.path = self.path
            raise
    return named


class _Cents(int):
    """An amount of :meth:`Plan.to_rows` in cents, printed once the table's decimals are known."""


class Plan:
    """A financing plan: lines x funders in a unit, with what the table stated.

    Built by :func:`read_plan` or by a convention (``conv.plan(2009)``).  Lines can be named by
    label, by ``(axis, line)`` when a label repeats under two axes, or by position.
    """

    def __init__(self, core: Any, *, year: int | None = None, path: str | None = None,
                 encoding: str | None = None, delimiter: str | None = None,
                 problems: Iterable[Problem] = ()) -> None:
        self._core = core
        self.year = year
        self.path = path
        self.encoding = encoding
        self.delimiter = delimiter
        self.problems: list[Problem] = list(problems)
        #: the sheet of a workbook the plan was read from (``"Feuil1"``), None for a text
        #: plan: a listing names a finding's cell as Excel does (``Feuil1!C7``)
        self.sheet: str | None = None
        #: the texts of the plan's column of notes ("Commentaires", "Observations",
        #: "Remarques"), set aside from every sum: each row's note under the row's label as
        #: by_line() keys it (TOTAL for the Total row), {} when the plan prints none
        self.notes: dict[Any, str] = {}
        #: a spreadsheet's date and TRUE/FALSE cells by their place (line, column): a finding
        #: about one shows it as its language writes it
        self._typed: dict[tuple[int, int], Any] = {}
        self._lines: list[str] = core.lines
        self._funders: list[str] = core.funders
        self._groups: list[str] = core.groups
        self._line_groups: list[int] = core.line_groups
        self._cents_per_unit: int = core.unit
        # each funder's header cell (line, column), where a finding about its whole column is
        # placed; None for a plan built, not read (a ledger's pivot).  A Python attribute, so
        # the pickled core keeps its form: a plan pickled before it loads, placing nothing
        self._funder_places: list[tuple[int, int]] | None = core.funder_places
        #: the text printed above the table's header (a title such as "PLAN ... 2009")
        self.title: str = core.title
        #: where a convention's text gives this plan (an essconv.convention.Source), if known
        self.source: Any = None
        #: for a ledger's pivot, the columns it is by: ((row columns...), column); a display
        #: titles it so.  None for a plan read from a table
        self.dimensions: tuple[tuple[Any, ...], Any] | None = None
        #: for a ledger's pivot, whether the text "(missing)" (PIVOT_MISSING_TEXT) names a
        #: missing key among its (axes, lines, funders): the Arrow table gives such a key as
        #: null, as the ledger holds it, never as a label
        self.missing_keys: tuple[bool, bool, bool] = (False, False, False)
        #: for a ledger's pivot, the kind of each key ("label", "int", "date"; None where there
        #: is none) of its (axes, lines, funders): the core writes a day as ISO text, which its
        #: displays and exports write as their language writes a date.  None for a plan
        #: read from a table
        self.key_kinds: tuple[str | None, str | None, str | None] | None = None

    # ------------------------------------------------------------------ shape
    @property
    def unit(self) -> str:
        """'€', 'k€' or 'M€': the unit every amount of the plan is given in.

        Example: ``essconv.default().plan(2009).unit`` -> ``'k€'``
        """
        return unit_symbol(self._cents_per_unit)

    @property
    def funders(self) -> list[str]:
        """Funder column labels, in order, Total excluded.

        Example: ``plan.funders[:3]`` -> ``['CR-NPDC', 'DRTEFP', 'DRASS']``
        """
        return list(self._funders)

    @property
    def lines(self) -> list[str]:
        """Action line labels, in order, Total excluded.

        Example: ``plan.lines[-1]`` -> ``'DLA'``
        """
        return list(self._lines)

    @property
    def axes(self) -> list[str]:
        """The group (axis) labels as printed, in order.

        Example: ``plan.axes[0]`` -> ``"Promouvoir et diffuser les valeurs de l'ESS"``
        """
        return list(self._groups)

    def axis_of(self, line: str | int | tuple[str, str]) -> str | None:
        """The axis (group) label a line is printed under; None if the table has no groups.

        Example: ``plan.axis_of("DLA")`` -> ``"Soutenir la création d'activité"``
        """
        g = self._line_groups[self.line_index(line)]
        return self._groups[g] if g >= 0 else None

    def lines_of(self, axis: str) -> list[str]:
        """The lines printed under an axis.

        Example: ``plan.lines_of("Structurer le secteur de l'ESS")`` -> ``['PLDESS', 'Structures accompagnement']``
        """
        _checked_label(axis, "axis", "an axis label as a str")
        if axis not in self._groups:
            raise UnknownLabelError(f"no axis {axis!r} in this plan; it has "
                                    f"{names_listed(self._groups)}")
        g = self._groups.index(axis)
        return [l for l, lg in zip(self._lines, self._line_groups) if lg == g]

    def line_index(self, line: str | int | tuple[str, str]) -> int:
        """The index of a line named by label, by (axis, label) or by position: what the
        ``*_at`` accessors take.

        A position counts from 0; a negative one is refused, not counted from the end (the
        core's -1 is "no line", ``Plan.TOTAL_AT`` the Total row).

        Example: ``plan.line_index("DLA")`` -> ``6``
        """
        if not isinstance(line, (str, tuple)):
            return _checked_position(line, "line", len(self._lines), "lines",
                                     "a label as a str ('DLA'), an (axis, line) pair or a "
                                     "position as an int")
        if isinstance(line, tuple):
            if len(line) != 2:
                raise ArgumentTypeError(f"line as a tuple must be an (axis, line) pair, not a "
                                        f"tuple of {len(line)}: {line!r}")
            axis, label = line
            for i, (l, g) in enumerate(zip(self._lines, self._line_groups)):
                if l == label and g >= 0 and self._groups[g] == axis:
                    return i
            raise UnknownLabelError(f"no line {label!r} under {axis!r}")
        refuse_lone_surrogate(line, "line")
        matches = [i for i, l in enumerate(self._lines) if l == line]
        if len(matches) == 1:
            return matches[0]
        if not matches:
            near = _closest(line, self._lines)
            hint = f"; did you mean {near!r}?" if near else ""
            raise UnknownLabelError(f"no line {line!r} in this plan{hint}")
        raise UnknownLabelError(f"the line {line!r} appears under several axes: name it as "
                                f"(axis, line)")

    def funder_index(self, funder: str | int) -> int:
        """The index of a funder column named by label or by position.

        A position counts from 0; a negative one is refused, not counted from the end.

        Example: ``plan.funder_index("CDC")`` -> ``3``
        """
        if not isinstance(funder, str):
            return _checked_position(funder, "funder", len(self._funders), "funders",
                                     "a label as a str ('CDC') or a position as an int")
        refuse_lone_surrogate(funder, "funder")
        if funder in self._funders:
            return self._funders.index(funder)
        near = _closest(funder, self._funders)
        hint = f"; did you mean {near!r}?" if near else ""
        raise UnknownLabelError(f"no funder {funder!r} in this plan{hint}")

    #: what each position argument of the ``*_at`` accessors counts, and the way from a label
    #: to its position
    _AT_COUNTS = {"i": ("_lines", "lines", "plan.line_index('DLA')"),
                  "j": ("_funders", "funders", "plan.funder_index('CDC')"),
                  "g": ("_groups", "axes", "plan.axes.index(axis)")}

    def _at(self, value: Any, argument: str, *, total: bool = True) -> int:
        """``value`` as a position for the core, or refused naming ``argument``: the core's
        bare TypeError ("an integer is required") or IndexError escaped ``except
        essconv.Error``.  ``total``: ``Plan.TOTAL_AT`` is a position too (a stated Total)."""
        attribute, what, way = self._AT_COUNTS[argument]
        count = len(getattr(self, attribute))
        if type(value) is int and (0 <= value < count or (total and value == _core.AT_TOTAL)):
            return value   # the displays' path, cell by cell: nothing more to check
        if total and not isinstance(value, bool) and value == _core.AT_TOTAL:
            return _core.AT_TOTAL   # a numpy integer holding it
        return _checked_position(value, argument, count, what, "a position as an int",
                                 way=way, total=total)

    def _checked_groups(self, funder_groups: Any) -> list[int]:
        """``funder_groups`` as the core's pivot takes it: one group number a funder, from 0,
        or -1 for none (True was the group 1, a float a bare TypeError)."""
        said = (f"funder_groups must be a list of group numbers as ints, one a funder (-1: in "
                f"none)")
        if isinstance(funder_groups, (str, bytes)) or not hasattr(funder_groups, "__iter__"):
            raise ArgumentTypeError(f"{said}, not {type(funder_groups).__name__} "
                                    f"{_shown(funder_groups)}")
        groups = []
        for k, g in enumerate(funder_groups):
            number = _as_int(g)
            if number is None:
                raise ArgumentTypeError(f"{said}, not {type(g).__name__} {_shown(g)} at "
                                        f"{k}")
            if number < -1:
                raise InvalidValueError(f"funder_groups[{k}] is {number}: a group is a number "
                                        f"from 0, or -1 for none")
            groups.append(number)
        if len(groups) != len(self._funders):
            raise InvalidValueError(f"funder_groups must hold one group a funder "
                                    f"({len(self._funders)}), not {len(groups)}")
        return groups

    # ------------------------------------------------------------------ cells
    def _dec(self, cents: int) -> Decimal:
        return from_cents(cents, self.unit)

    def _stated(self, cell: tuple) -> Decimal | None:
        state, cents = cell[0], cell[1]
        return self._dec(cents) if state == _STATE_VALUE else None

    def cell(self, line: str | int | tuple[str, str], funder: str | int) -> Decimal | None:
        """The amount at (line, funder) in the plan's unit; None for a blank cell (and for an
        unreadable one: see :meth:`cell_text` and ``validate()``)."""
        return self._stated(self._core.cell(self.line_index(line), self.funder_index(funder)))

    def cell_text(self, line: str | int | tuple[str, str], funder: str | int) -> str | None:
        """The cell exactly as printed; None when blank.

        Example: ``plan.cell_text("DLA", "CDC")`` -> ``'274'``
        """
        return self._core.cell(self.line_index(line), self.funder_index(funder))[2]

    def cell_place(self, line: str | int | tuple[str, str], funder: str | int) -> tuple[int, int]:
        """(line, column) of the cell in the source file, 1-based.

        Example: ``plan.cell_place("Observatoire CRESS", "CDC")`` -> ``(3, 30)``
        """
        c = self._core.cell(self.line_index(line), self.funder_index(funder))
        return c[3], c[4]

    # ------------------------------------------------------------------ by index (displays)
    #: the index that stands for the stated Total row (as ``i``) or column (as ``j``)
    TOTAL_AT = _core.AT_TOTAL

    @property
    def line_axis_indices(self) -> list[int]:
        """For each line, the index in ``axes`` of the axis it is printed under, -1 for none.

        Example: ``plan.line_axis_indices[:3]`` -> ``[0, 0, 1]``
        """
        return list(self._line_groups)

    def amount_at(self, i: int, j: int) -> Decimal | None:
        """The amount at line index ``i`` and funder index ``j`` (either may be
        ``Plan.TOTAL_AT``), None for a blank or unreadable cell.  O(1): a display that shows
        a bounded part of a big plan reads it cell by cell without any label lookup.

        Example: ``plan.amount_at(plan.line_index("DLA"), plan.funder_index("CDC"))`` -> ``Decimal('274')``
        """
        return self._stated(self._core.cell(self._at(i, "i"), self._at(j, "j")))

    def text_at(self, i: int, j: int) -> str | None:
        """The cell at line index ``i`` and funder index ``j`` exactly as printed, None when
        blank (``Plan.TOTAL_AT`` names a stated Total).

        Example: ``plan.text_at(Plan.TOTAL_AT, Plan.TOTAL_AT)`` -> ``'8 115'``
        """
        return self._core.cell(self._at(i, "i"), self._at(j, "j"))[2]

    @_in_file
    def line_sum_at(self, i: int) -> Decimal:
        """The exact sum of the cells of line index ``i``.

        Example: ``plan.line_sum_at(plan.line_index("DLA"))`` -> ``Decimal('1228')``
        """
        return self._dec(self._core.line_sum(self._at(i, "i", total=False)))

    @_in_file
    def funder_sum_at(self, j: int) -> Decimal:
        """The exact sum of the cells of funder index ``j``.

        Example: ``plan.funder_sum_at(plan.funder_index("CDC"))`` -> ``Decimal('1240')``
        """
        return self._dec(self._core.funder_sum(self._at(j, "j", total=False)))

    @_in_file
    def axis_sum_at(self, g: int) -> Decimal:
        """The exact sum of the cells of the lines under axis index ``g``.

        Example: ``plan.axis_sum_at(0)`` -> ``Decimal('451')``
        """
        return self._dec(self._core.group_sum(self._at(g, "g", total=False)))

    @_in_file
    def margin_cents(self, funder_groups: list[int]) -> list[list[int]]:
        """The pivot's matrix in cents, exact, made by the core in one pass: rows are the lines,
        the axes, then the total; columns the funders, the groups ``funder_groups`` puts them
        in (-1: in none), then the total.  :class:`~essconv.pivot.Pivot` reads it.

        Example: ``plan.margin_cents([-1] * len(plan.funders))[0][:2]`` -> ``[19700000, 2000000]``
        """
        return self._core.pivot(self._checked_groups(funder_groups))

    def sum_at(self, places: Iterable[tuple[int, int]]) -> Decimal:
        """The exact sum of the readable cells at these (line index, funder index) places: an
        axis's subtotal for one funder, say.  Overflow raises MoneyOverflowError.

        Example: ``plan.sum_at([(0, 3), (1, 3)])`` -> ``Decimal('20')``
        """
        cells = (self._core.cell(self._at(i, "i"), self._at(j, "j"))
                 for i, j in _checked_places(places))
        return self._dec(_core.checked_sum([c[1] for c in cells if c[0] == _STATE_VALUE]))

    def __getitem__(self, key: tuple) -> Decimal | None:
        if not isinstance(key, tuple) or len(key) != 2:
            raise ArgumentTypeError(f"plan[line, funder] takes a pair (plan['DLA', 'CDC']), "
                                    f"not {type(key).__name__} {_shown(key)}")
        line, funder = key
        return self.cell(line, funder)

    def cells(self) -> Iterator[tuple[str, str, Decimal]]:
        """Every non-blank readable cell as (line, funder, amount).

        Example: ``next(plan.cells())`` -> ``('Têtes de réseaux', 'CR-NPDC', Decimal('197'))``
        """
        for _, line, funder, amount in self._indexed_cells():
            yield line, funder, amount

    def _indexed_cells(self) -> Iterator[tuple[int, str, str, Decimal]]:
        """cells() with each line's index (a label may repeat under several axes)."""
        for i, line in enumerate(self._lines):
            for j, funder in enumerate(self._funders):
                c = self._core.cell(i, j)
                if c[0] == _STATE_VALUE:
                    yield i, line, funder, self._dec(c[1])

    # ------------------------------------------------------------------ sums (exact, in C)
    @_in_file
    def total(self) -> Decimal:
        """The sum of every cell, exact.

        Example: ``essconv.default().plan(2009).total()`` -> ``Decimal('8105')``
        """
        return self._dec(self._core.total())

    @_in_file
    def by_funder(self) -> dict[str, Decimal]:
        """The sum of each funder's column.

        Example: ``plan.by_funder()["CDC"]`` -> ``Decimal('1240')``
        """
        return {f: self._dec(self._core.funder_sum(j)) for j, f in enumerate(self._funders)}

    @_in_file
    def by_line(self) -> dict[str, Decimal]:
        """The sum of each line (a repeated label is keyed by (axis, line)).

        Example: ``plan.by_line()["DLA"]`` -> ``Decimal('1228')``
        """
        out: dict[Any, Decimal] = {}
        repeated = {l for l, n in Counter(self._lines).items() if n > 1}   # one pass, not L²
        for i, line in enumerate(self._lines):
            key: Any = line
            if line in repeated:
                key = (self.axis_of(i), line)
            out[key] = self._dec(self._core.line_sum(i))
        return out

    @_in_file
    def by_axis(self) -> dict[str, Decimal]:
        """The sum of each axis (group) of lines.

        Example: ``plan.by_axis()["Structurer le secteur de l'ESS"]`` -> ``Decimal('1890')``
        """
        return {g: self._dec(self._core.group_sum(k)) for k, g in enumerate(self._groups)}

    def shares(self, by: str = "funder") -> dict[str, Decimal]:
        """Each funder's (or line's, or axis's) share of the total, in percent, exact to 0.01.

        Example: ``plan.shares()["CR-NPDC"]`` -> ``Decimal('50.29')``
        """
        from .money import percent_of
        if not isinstance(by, str):
            raise ArgumentTypeError(f"by must be 'funder', 'line' or 'axis', not "
                                    f"{type(by).__name__} {_shown(by)}")
        if by not in ("funder", "line", "axis"):
            # shares("CDC") was a bare KeyError: the one share asked for is a key of the answer
            hint = ""
            for kind, labels in (("funder", self._funders), ("line", self._lines),
                                 ("axis", self._groups)):
                if by in labels:
                    hint = f": a {kind}'s share is plan.shares({kind!r})[{by!r}]" \
                        if kind != "funder" else f": a funder's share is plan.shares()[{by!r}]"
                    break
            raise InvalidValueError(f"by must be 'funder', 'line' or 'axis', not {by!r}{hint}")
        parts = {"funder": self.by_funder, "line": self.by_line, "axis": self.by_axis}[by]()
        total = self.total()
        if total == 0:
            return {k: Decimal(0) for k in parts}
        # half-even in a decimal context of its own, as every percentage: the caller's (a
        # notebook's precision of 4, a ROUND_DOWN set for other work) changed the shares
        return {k: percent_of(v, total, Decimal("0.01")) for k, v in parts.items()}

    @_in_file
    def by_party(self, convention: "Convention") -> dict[str, Decimal]:
        """Funders rolled up to the convention's parties (DRTEFP + DRASS -> the State); a
        funder the convention does not know stays under its own code.

        Example: ``plan.by_party(conv)["ETAT"]`` -> ``Decimal('739')``
        """
        _checked_convention(convention)
        # the grouping is the pivot's (Convention.party_groups); only the column sums are
        # added, not the whole matrix the pivot would build (15x slower at 2 000 x 140)
        parties, groups = convention.party_groups(self._funders)
        cents: dict[str, list[int]] = {}
        for j, (f, g) in enumerate(zip(self._funders, groups)):
            cents.setdefault(parties[g] if g >= 0 else f, []).append(self._core.funder_sum(j))
        return {key: self._dec(_core.checked_sum(c)) for key, c in cents.items()}

    @property
    def plot(self) -> Any:
        """Pictures of the plan (matplotlib): ``plan.plot.by_axis()``, ``plan.plot.heatmap()``."""
        from .plot import PlanPlots
        return PlanPlots(self)

    def pivot(self, convention: "Convention | None" = None) -> "Pivot":
        """The cells with every margin: axis subtotals, party subtotals (with a convention:
        funders rolled up to their parties), grand total.  See :class:`essconv.pivot.Pivot`.

        Example: ``plan.pivot(conv).get("total", ("party", "ETAT"))`` -> ``Decimal('739')``
        """
        from .pivot import Pivot
        if convention is not None:
            _checked_convention(convention)
        return Pivot(self, convention)

    # ------------------------------------------------------------------ what the table stated
    @property
    def has_total_column(self) -> bool:
        """Did the table print a Total column?

        Example: ``plan.has_total_column`` -> ``True``"""
        return self._core.has_total_column

    @property
    def has_total_row(self) -> bool:
        """Did the table print a Total row?

        Example: ``plan.has_total_row`` -> ``True``"""
        return self._core.has_total_row

    @property
    def stated_total(self) -> Decimal | None:
        """The grand total as printed; None if missing or unreadable.

        Example: ``essconv.default().plan(2009).stated_total`` -> ``Decimal('8115')``
        """
        return self._stated(self._core.cell(_core.AT_TOTAL, _core.AT_TOTAL))

    @property
    def stated_line_totals(self) -> dict[Any, Decimal | None]:
        """Each line's total as printed; None when missing or unreadable.  A label printed
        under two axes is keyed by (axis, line), as :meth:`by_line` keys it (keyed by the label
        alone, the later line hid the earlier's total).

        Example: ``plan.stated_line_totals["Structures accompagnement"]`` -> ``None`` (printed "1 2618")"""
        repeated = {l for l, n in Counter(self._lines).items() if n > 1}
        return {((self.axis_of(i), l) if l in repeated else l):
                self._stated(self._core.cell(i, _core.AT_TOTAL)) for i, l in enumerate(self._lines)}

    @property
    def stated_funder_totals(self) -> dict[str, Decimal | None]:
        """Each funder's total as printed in the Total row; None when missing or unreadable.

        Example: ``plan.stated_funder_totals["CDC"]`` -> ``Decimal('1250')``"""
        return {f: self._stated(self._core.cell(_core.AT_TOTAL, j))
                for j, f in enumerate(self._funders)}

    # ------------------------------------------------------------------ validation
    @_in_file
    def validate(self, convention: "Convention | None" = None, *, max_faults: int = 3) -> Report:
        """Check every stated total against the cells; when they disagree, rank the smallest
        explanations: the fewest edits (up to ``max_faults``, 1 to 6) -- a blank or wrong cell,
        a value in the wrong column, a mistyped total -- that make every total agree, then the
        most plausible by their digits.  Several edits come as one ``correction-set``; when
        several explanations fit equally, an ``ambiguity`` (or ``too-many-explanations``)
        finding lists them instead of letting the first pass for the answer; when none that
        small exists, ``unexplained`` says how many edits it would take at least.
        With a convention, also report the funder columns it does not know, and a known year
        outside its term (``plan-year-outside-term``, an error).

        Example: ``[f.code for f in plan.validate()]`` -> ``['row-total', 'malformed-number', 'column-total', 'grand-total', 'cell-correction']``
        """
        # refused here, as an essconv.Error: the core's bare ValueError / OverflowError (past a
        # C int) escaped `except essconv.Error`
        if isinstance(max_faults, bool) or not isinstance(max_faults, int):
            raise ArgumentTypeError(f"max_faults is a whole number from 1 to 6, not "
                                    f"{type(max_faults).__name__} {max_faults!r}")
        if not 1 <= max_faults <= 6:
            raise InvalidValueError(f"max_faults is between 1 and 6, not {max_faults}")
        if convention is not None:
            _checked_convention(convention)
        raw = self._core.validate(max_faults=max_faults)
        # the message is English: its numbers too ("2.5 €", "1,250 k€"), as messages.py words
        # it; the core's printed them the French way inside English sentences
        english = language("en")
        findings = [self._finding(t) for t in raw]
        # the totals the search for explanations left out (cells or a gap past int64 cents):
        # each suggestion and verdict, and each of their edits, carries them, for its words to
        # say it reconciles every total but those -- "every total" while one stayed wrong
        off = tuple(f for f in findings if kept_off_search(f, self.unit))
        if off:
            findings = [replace(f, kept_off=off, corrections=tuple(
                            replace(e, kept_off=off) for e in f.corrections),
                            candidates=tuple(tuple(replace(e, kept_off=off) for e in s)
                                             for s in f.candidates))
                        if f.code in _KEPT_OFF_SAID else f for f in findings]
        findings = [replace(f, message=(english.finding(f, self, convention) or f.message)
                            .replace("\xa0", " "))
                    if f.code in _ENGLISH_WORDED or f.kept_off or (
                        f.code == "malformed-number" and
                        (f.source_line, f.source_column) in self._typed)
                    else f for f in findings]
        if convention is not None:
            for t in self._core.check_funders(convention._core):
                # the core looks a name up whole: a column joining one party's names ("Etat
                # (DRTEFP)") is that party's, as by_party and the pivot group it
                if convention.party_of(self._funders[t[3]]) is None:
                    findings.append(self._unknown_funder(t, convention))
            findings += self._year_outside_term(convention)
        findings += self._problem_findings(findings)
        order = {"error": 0, "warning": 1, "info": 2}
        findings.sort(key=lambda f: (order[f.severity], f.rank))
        return Report(findings, self)

    def _problem_findings(self, findings: list[Finding]) -> list[Finding]:
        """The problems of a plan that loads that no finding is about (an unreadable printed
        sub-total, a note row left alone under the last line...), each a ``plan-problem``
        finding at its place -- an unreadable figure an error, the others warnings -- so that a
        validation never says "ok" over what the reader could not use."""
        # an unknown-funder finding, at the funder's header cell, is about its name: a
        # problem of that cell (a unit assumed, amounts HT beside TTC) is still said
        placed = {(f.source_line, f.source_column) for f in findings
                  if f.code != "unknown-funder"}
        said = []
        for p in self.problems:
            if p.structural or (p.line, p.column) in placed:
                continue
            unreadable = bool(p.reason) and p.reason[0] == "plan-bad-amount"
            said.append(Finding(code="plan-problem", severity="error" if unreadable else "warning",
                                message=p.message, source_line=p.line or None,
                                source_column=p.column or None, path=self.path,
                                wording={"en": p.message, "fr": language("fr").problem(p)}))
        return said

    def _label(self, index: int, labels: list[str]) -> str | None:
        if index == _core.AT_TOTAL:
            return TOTAL
        if index == _core.AT_NONE or index < 0:
            return None
        return labels[index]

    def _edit(self, t: tuple) -> Finding:
        kind, _set, line, funder, target, expected, actual, evidence, sline, scol = t
        # a printed sub-total's edit is about its axis (group), not its first line; its
        # target is the sub-total's place in the core, no funder
        subtotal = _EDIT_CODES[kind] == "subtotal-correction"
        if subtotal:
            target = -1
        f = Finding(code=_EDIT_CODES[kind], severity="info", message="",
                    line=None if subtotal else self._label(line, self._lines),
                    funder=self._label(funder, self._funders),
                    expected=self._dec(expected), actual=None if actual is None else self._dec(actual),
                    source_line=sline or None, source_column=scol or None,
                    target=self._label(target, self._funders) if target >= 0 else None,
                    path=self.path, group=self.axis_of(line) if line >= 0 else None,
                    evidence=evidence)
        why = "moved" if f.code == "cell-move" else _EVIDENCE.get(evidence, "other")
        return replace(f, message=f"{f.suggestion} ({why})")

    def _finding(self, t: tuple) -> Finding:
        (code, _severity, line, funder, target, expected, actual, sline, scol, rank, message,
         edits, count, count_exact, faults, partial, fault) = t
        parts = [(e[1], self._edit(e)) for e in edits]
        sets: dict[int, list[Finding]] = {}
        for k, part in parts:
            sets.setdefault(k, []).append(part)
        name, severity_name, scope, _correctable = _KINDS[code]
        # a verdict counts explanations: its edits are candidates, not corrections
        verdict = scope == "explanations"
        # a total of a whole line or column is about that line or column, not a "Total" cell
        line_label = (self._label(line, self._lines) if scope in ("cell", "line")
                      and name != "subtotal-correction" else None)   # an axis's: its group
        funder_label = self._label(funder, self._funders) if scope in ("cell", "funder") else None
        return Finding(
            code=name, severity=severity_name, message=message,
            line=line_label, funder=funder_label,
            expected=None if expected is None else self._dec(expected),
            actual=None if actual is None else self._dec(actual),
            source_line=sline or None, source_column=scol or None,
            # a line's finding (uncounted-line) targets the line it repeats, a cell's a funder
            target=self._label(target, self._lines if scope == "line" else self._funders)
            if target >= 0 else None,
            rank=rank, path=self.path,
            group=self.axis_of(line) if line >= 0 else None,
            corrections=() if verdict else tuple(p for _, p in parts),
            candidates=tuple(tuple(v) for v in sets.values()) if verdict else (),
            count=count if verdict else None, count_exact=bool(count_exact) or not verdict,
            faults=faults or None, partial=bool(partial),
            # what the parser found in a malformed number and its stray character: the English
            # message says them, and a French listing dropped them
            # and a total's cells summing past int64 cents: ("too-large", side), the sum being
            # no figure to give as expected
            fault=fault if _KINDS[code][0] == "malformed-number" and (fault[0] or fault[3])
            or fault[0] == "too-large" else None)

    def _year_outside_term(self, convention: "Convention") -> list[Finding]:
        """An error when the plan's year is known and the convention's term does not cover
        it (a 2015 plan held to a 2009-2013 convention): the funder checks alone passed it,
        though its money cannot be that convention's.  A plan of no known year is not judged."""
        start, end = convention.start.year, convention.end.year
        if self.year is None or start <= self.year <= end:
            return []
        english, french = plan_year_outside_term_said(self.year, start, end)
        return [Finding(code="plan-year-outside-term", severity="error", message=english,
                        path=self.path, expected=Decimal(start), actual=Decimal(self.year),
                        wording={"en": english, "fr": french})]

    def _unknown_funder(self, t: tuple, convention: "Convention") -> Finding:
        """The core's finding (its kind's code and severity, the column) with the party one
        edit away as the model names it; its English words are messages.py's, the one place a
        finding is worded (with the party's name, or a known funder that is no party)."""
        code, _severity, _line, funder_index = t[:4]
        name, severity, _scope, _correctable = _KINDS[code]
        funder = self._funders[funder_index]
        near = convention.nearest_party(funder)
        places = self._header_places()
        line, column = places[funder_index] if places else (None, None)
        found = Finding(code=name, severity=severity, message="", funder=funder,
                        target=near.code if near else None, path=self.path,
                        source_line=line, source_column=column)
        return replace(found, message=language("en").finding(found, self, convention))

    # ------------------------------------------------------------------ corrections
    def with_corrections(self, findings: "Report | Iterable[Finding]") -> "Plan":
        """A corrected copy: applies each fix (``cell-correction``, ``cell-move``,
        ``total-correction``, ``subtotal-correction``, and ``malformed-number`` with a known
        value).  Given a Report,
        applies its :meth:`Report.best_corrections`.  Never silent: two fixes that disagree on
        a cell raise InvalidValueError (a ValueError), and findings without a fix are refused."""
        if isinstance(findings, Report):
            findings = findings.best_corrections()
        findings = _checked_findings(findings)
        findings = [c for f in findings
                    for c in (f.corrections if f.code == "correction-set" else (f,))]
        edits: dict[tuple[int, int], int | None] = {}
        subtotals: dict[tuple[int, int], int] = {}   # (axis, funder) -> its printed sub-total

        def put(i: int, j: int, cents: int | None, f: Finding) -> None:
            if (i, j) in edits and edits[(i, j)] != cents:
                raise InvalidValueError(f"two corrections disagree on {f.line} x {f.funder}")
            edits[(i, j)] = cents

        for f in findings:
            if f.code in ("cell-correction", "total-correction", "malformed-number"):
                if f.expected is None:
                    raise InvalidValueError(f"{f.code} on {f.line} x {f.funder} carries no value to apply")
                i = _core.AT_TOTAL if f.line in (None, TOTAL) else self.line_index(
                    (f.group, f.line) if f.group and self._lines.count(f.line) > 1 else f.line)
                j = _core.AT_TOTAL if f.funder in (None, TOTAL) else self.funder_index(f.funder)
                put(i, j, to_cents(f.expected, self.unit), f)
            elif f.code == "subtotal-correction":
                if f.expected is None or f.group not in self._groups:
                    raise InvalidValueError(f"{f.code} on {f.group} x {f.funder} carries no "
                                            f"value to apply")
                where = (self._groups.index(f.group),
                         _core.AT_TOTAL if f.funder in (None, TOTAL) else self.funder_index(f.funder))
                cents = to_cents(f.expected, self.unit)
                if subtotals.get(where, cents) != cents:
                    raise InvalidValueError(f"two corrections disagree on the sub-total of "
                                            f"{f.group} x {f.funder}")
                subtotals[where] = cents
            elif f.code == "cell-move":
                i = self.line_index((f.group, f.line) if f.group and self._lines.count(f.line) > 1
                                     else f.line)
                j, k = self.funder_index(f.funder), self.funder_index(f.target)
                existing = self._core.cell(i, k)
                put(i, j, None, f)
                put(i, k, _core.checked_sum([existing[1], to_cents(f.actual, self.unit)]), f)
            else:
                raise InvalidValueError(f"a {f.code} finding is not a correction")
        core = self._core.copy()
        for (i, j), cents in edits.items():
            core.set_cell(i, j, cents)
        if subtotals:
            core = self._corrected_subtotals(core, subtotals)
        corrected = Plan(core, year=self.year, path=self.path, encoding=self.encoding,
                         delimiter=self.delimiter)
        # a sub-total corrected rebuilds the core from its state, which holds no header places
        corrected._funder_places = self._header_places()
        corrected.notes = dict(self.notes)   # the committee's remarks stay beside the figures
        corrected.sheet = self.sheet
        corrected._typed = dict(self._typed)
        return corrected

    def _header_places(self) -> list[tuple[int, int]] | None:
        """Each funder's header cell (line, column), or None when not known (a plan built,
        or pickled before the places were kept)."""
        return getattr(self, "_funder_places", None)

    def _corrected_subtotals(self, core: Any, subtotals: dict[tuple[int, int], int]) -> Any:
        """A copy of core whose printed sub-totals (axis, funder) read the given cents, the
        text as essconv writes it; a sub-total the plan does not print is refused."""
        *head, printed = core.state()
        left = dict(subtotals)
        mended = []
        for first, end, group, funder, (state, cents, raw, sline, scol) in printed:
            if (group, funder) in left:
                cents = left.pop((group, funder))
                raw = _core.format_amount(cents, self._cents_per_unit, " ", ",", -1)
            mended.append((first, end, group, funder, (state, cents, raw, sline, scol)))
        if left:
            (group, funder), _ = next(iter(left.items()))
            raise InvalidValueError(f"{self._groups[group]} prints no sub-total under "
                                    f"{self._label(funder, self._funders)}")
        return _core.Plan.from_state((*head, mended))

    # ------------------------------------------------------------------ export
    def to_rows(self, *, totals: bool = True, as_printed: bool = False) -> list[list[str]]:
        """The plan as a table of strings (header first), French digits, in its unit.

        Example: ``plan.to_rows()[0][:3]`` -> ``['en k€', '', 'CR-NPDC']``
        """
        # "no" is true: to_rows(totals="no") kept the totals it was asked to leave out
        for flag, argument in ((totals, "totals"), (as_printed, "as_printed")):
            if not (isinstance(flag, bool) or type(flag).__name__ in ("bool_", "bool")):
                raise ArgumentTypeError(f"{argument} must be True or False, not "
                                        f"{type(flag).__name__} {_shown(flag)}")
        # the amounts are gathered as cents first, then printed with one number of decimals
        # for the whole table, as its display takes them: in euros both cent digits as soon as
        # one figure has cents ("1,50", never "1,5" for 1,50 €); in k€ or M€ each figure as
        # the plan prints it ("12,5")
        def text(cell: tuple) -> "str | _Cents":
            if as_printed:
                return cell[2] or ""
            return "" if cell[0] != _STATE_VALUE else _Cents(cell[1])

        def computed(cents: int) -> "_Cents":
            # a Total the table does not state (a ledger's pivot, a table printed without
            # one) is the sum its cells give, as its display shows it: written blank, an
            # export read "Total" over empty cells
            return _Cents(cents)
        stated_column, stated_row = self.has_total_column, self.has_total_row
        # a French table: a ledger pivot's missing key says "(vide)" as its exports and
        # displays do ("(missing)" is its API's word, by_line()...), every label as it is
        from .export import pivot_key_names
        axes_said, lines_said, funders_said = pivot_key_names(self, "fr")
        axis_said = dict(zip(self._groups, axes_said))

        grouped = bool(self._groups)
        header = [f"en {self.unit}"] + ([""] if grouped else []) + funders_said
        if totals:
            header.append(TOTAL)
        rows = [header]
        previous = None
        for i, line in enumerate(self._lines):
            row = []
            if grouped:
                g = self.axis_of(i) or ""
                row.append(axis_said.get(g, g) if g != previous else "")
                previous = g
            row.append(lines_said[i])
            row += [text(self._core.cell(i, j)) for j in range(len(self._funders))]
            if totals:
                stated = self._core.cell(i, _core.AT_TOTAL)
                row.append((text(stated) if stated[0] else "") if stated_column
                           else computed(self._core.line_sum(i)))
            rows.append(row)
        if totals:
            row = [TOTAL] + ([""] if grouped else [])
            row += [text(self._core.cell(_core.AT_TOTAL, j)) if stated_row
                    else computed(self._core.funder_sum(j)) for j in range(len(self._funders))]
            row.append(text(self._core.cell(_core.AT_TOTAL, _core.AT_TOTAL))
                       if stated_row and stated_column else computed(self._core.total()))
            rows.append(row)
        figures = [v for row in rows for v in row if isinstance(v, _Cents)]
        decimals = 2 if self.unit == "€" and any(v % self._cents_per_unit for v in figures) else -1
        return [[_core.format_amount(v, self._cents_per_unit, " ", ",", decimals)
                 if isinstance(v, _Cents) else v for v in row] for row in rows]

    def to_tsv(self, *, formula_guard: bool = True, **kw: Any) -> str:
        """The plan as TSV text (see :meth:`to_rows` for the options), a spreadsheet's to
        open: a label holding a tab, a line break or a quote is quoted (its row stays one
        row), and a text cell starting as a formula (``=``, ``+``, ``-``, ``@``) gets the
        apostrophe that keeps it text, as ``essconv convert --to tsv`` writes it;
        ``formula_guard=False`` writes every cell as it is, for programs.

        Example: ``open("plan.tsv", "w").write(plan.to_tsv())``
        """
        if not (isinstance(formula_guard, bool) or type(formula_guard).__name__ == "bool_"):
            raise ArgumentTypeError(f"formula_guard must be True or False, not "
                                    f"{type(formula_guard).__name__} {_shown(formula_guard)}")
        import csv
        from .export import guarded_plan_rows
        rows = self.to_rows(**kw)
        if formula_guard:
            # a pivot's labels come from whoever wrote the ledger: "=HYPERLINK(...)" ran
            rows = guarded_plan_rows(self, rows)
        buf = io.StringIO()
        csv.writer(buf, delimiter="\t", lineterminator="\n").writerows(rows)
        return buf.getvalue()

    def to_dict(self) -> dict[str, Any]:
        """A JSON-ready description: amounts as strings (exact), never floats.  A cell that
        prints something other than an amount ("n.c.", a dash, "p.m.") is null among the
        amounts, like a blank, and listed in ``not_amounts`` as printed, with its place in the
        file (``line`` null for the Total row, ``funder`` null for the Total column).

        Example: ``json.dumps(plan.to_dict())``
        """
        # what the amounts' null leaves out: "n.c." and a blank read alike, the cell's text
        # lost from every JSON export of a plan (convert --to json)
        not_amounts = []
        rows = [*range(len(self._lines)), _core.AT_TOTAL]
        columns = [*range(len(self._funders)), _core.AT_TOTAL]
        for i in rows:
            for j in columns:
                try:
                    c = self._core.cell(i, j)
                except (IndexError, ValueError):   # no Total row or column printed
                    continue
                if c[2] is not None and self._stated(c) is None:
                    not_amounts.append({
                        "line": None if i == _core.AT_TOTAL else self._lines[i],
                        "funder": None if j == _core.AT_TOTAL else self._funders[j],
                        "text": c[2], "source_line": c[3], "source_column": c[4]})
        return {
            "year": self.year, "unit": self.unit, "funders": self.funders, "lines": [
                {"axis": self.axis_of(i), "line": l,
                 "cells": {f: amount_text(self.cell(i, f)) for f in self._funders},
                 "stated_total": amount_text(self._stated(self._core.cell(i, _core.AT_TOTAL)))}
                for i, l in enumerate(self._lines)],
            "stated_funder_totals": {k: amount_text(v) for k, v in self.stated_funder_totals.items()},
            "stated_total": amount_text(self.stated_total),
            "total": str(self.total()),
            "not_amounts": not_amounts,
            # the column of remarks set aside from the sums: each row's note, its line and
            # axis (both null for the Total row; a note on another row: its text as the line)
            "notes": [{"axis": key[0] if isinstance(key, tuple) else
                       (self.axis_of(key) if key in self._lines else None),
                       "line": None if key == TOTAL else key[1] if isinstance(key, tuple) else key,
                       "text": text} for key, text in self.notes.items()],
        }

    def _typed_keys(self) -> tuple[Callable[[str | None], Any], ...]:
        """For the (axes, lines, funders): each key's value as a ledger's pivot was keyed by it.
        The core writes every key as text ("2017", a day as ISO "2016-02-29", a missing key
        "(missing)"); an export gives the ints as ints, the days as dates and a missing key as
        None, as the ledger and its Aggregate hold them.  A plan read from a table: its text."""
        def typed(kind: str | None, missing: bool) -> Callable[[str | None], Any]:
            def key(text: str | None) -> Any:
                if text is None or (missing and text == PIVOT_MISSING_TEXT):
                    return None
                if kind == "int":
                    return int(text)
                if kind == "date":
                    return _dt.date.fromisoformat(text)
                return text
            return key
        kinds = self.key_kinds or (None, None, None)
        return tuple(typed(kind, missing) for kind, missing in zip(kinds, self.missing_keys))

    def to_pandas(self) -> Any:
        """A DataFrame (lines x funders, object dtype of Decimal; blanks as None).

        Example: ``plan.to_pandas().loc[("Soutenir la création d'activité", "DLA"), "CDC"]`` -> ``Decimal('274')``
        """
        try:
            import pandas as pd
        except ImportError as exc:  # pragma: no cover - depends on the extra
            raise MissingExtraError("to_pandas needs pandas: pip install 'essconv[pandas]'") from exc
        # a ledger pivot's missing key is missing (NaN in the index and columns), as in its
        # Arrow table, never the label "(missing)"; its int keys are Int64 and its days
        # datetime.date, as in its Aggregate's frame
        axis_key, line_key, funder_key = self._typed_keys()

        def keys(values: list[Any], kind: str | None) -> Any:
            return pd.array(values, dtype="Int64") if kind == "int" else pd.array(values, dtype=object)
        axis_kind, line_kind, funder_kind = self.key_kinds or (None, None, None)
        index = pd.MultiIndex.from_arrays(
            [keys([axis_key(self.axis_of(i)) for i in range(len(self._lines))], axis_kind),
             keys([line_key(l) for l in self._lines], line_kind)], names=["axis", "line"])
        data = [[self.cell(i, f) for f in self._funders] for i in range(len(self._lines))]
        return pd.DataFrame(data, index=index, dtype=object,
                            columns=pd.Index(keys([funder_key(f) for f in self.funders], funder_kind)))

    def to_arrow(self) -> Any:
        """The matrix as a long pyarrow Table, one row per non-blank cell: axis, line, funder,
        amount, exact in the plan's unit (decimal128 with the unit's decimals: 2 for €, 5 for
        k€ -- "1,234 k€" is 1 234 € -- 8 for M€), the unit kept in the schema's metadata
        (``essconv.unit``).  Pivots of ledgers (in €) export this way too, a missing key (the
        "(missing)" of their lines and funders) as null.

        Example: ``essconv.default().plan(2009).to_arrow().schema.field("amount").type`` ->
        ``decimal128(38, 5)``
        """
        try:
            import pyarrow as pa
        except ImportError as exc:  # pragma: no cover - depends on the extra
            raise MissingExtraError("Arrow needs pyarrow: pip install 'essconv[arrow]'") from exc
        # the cells are whole cents of a euro: a unit of 10^k cents has k decimals, so that no
        # cent of a k€ or M€ plan is rounded away (decimal128(38, 2) refused "1,234 k€")
        scale = len(str(self._cents_per_unit)) - 1
        cells = list(self._indexed_cells())
        # a ledger's pivot names a missing key "(missing)": in the table it is null, as in the
        # ledger (as a string it came back from Arrow, pandas or Parquet as a label); its int
        # keys int64 and its days date32, as its Aggregate's table has them
        axis_key, line_key, funder_key = self._typed_keys()
        types = {"int": pa.int64(), "date": pa.date32()}
        axis_type, line_type, funder_type = (types.get(k, pa.string()) for k in
                                             self.key_kinds or (None, None, None))
        return pa.table({
            "axis": pa.array([axis_key(self.axis_of(i)) for i, _, _, _ in cells], axis_type),
            "line": pa.array([line_key(line) for _, line, _, _ in cells], line_type),
            "funder": pa.array([funder_key(funder) for _, _, funder, _ in cells], funder_type),
            "amount": pa.array([amount for _, _, _, amount in cells], pa.decimal128(38, scale)),
        }).replace_schema_metadata({"essconv.unit": self.unit})

    def __arrow_c_stream__(self, requested_schema: Any = None) -> Any:
        """The long table of :meth:`to_arrow` through the Arrow PyCapsule interface:
        ``polars.DataFrame(plan)``, ``pyarrow.table(plan)``, duckdb's ``FROM plan``."""
        return self.to_arrow().__arrow_c_stream__(requested_schema)

    def to_parquet(self, path: Any) -> None:
        """The long table of :meth:`to_arrow` as a Parquet file (amounts exact in the plan's
        unit, which the file's metadata keeps).  Pivots of ledgers export this way too.

        Example: ``ledger.pivot(rows="annee", columns="financeur").to_parquet("pivot.parquet")``
        """
        checked_target(path, "to_parquet")
        table = self.to_arrow()   # refuses first without pyarrow, naming the extra to install
        import pyarrow.parquet as pq
        pq.write_table(table, os.fspath(path))

    # ------------------------------------------------------------------ display
    def __repr__(self) -> str:
        year = f" {self.year}" if self.year else ""
        # a repr is the Python API, English: the total as Decimal text ("8105 k€"), as the
        # Ledger's repr prints it, never French grouping ("8 105", "1 234,50")
        total = total_for_repr(lambda: f"{self.total()} {self.unit}")
        lines, funders = len(self._lines), len(self._funders)
        return (f"<Plan{year}: {lines} line{'s' * (lines != 1)} x {funders} "
                f"funder{'s' * (funders != 1)}, {total}>")

    # ------------------------------------------------------------------ pickling, copies
    def __reduce__(self) -> tuple:
        """Pickles every cell as the core holds it (state, cents, text as printed, place in the
        source) with the Python attributes: the copy validates, displays and corrects alike.
        ``copy.copy`` and ``copy.deepcopy`` go through it too (a plan is small)."""
        attributes = {k: v for k, v in self.__dict__.items() if k != "_core"}
        return (_restore_plan, (self._core.state(), attributes))

    def format(self, amount: Decimal | None) -> str:
        """An amount of this plan printed the French way ('1 228').

        Example: ``plan.format(Decimal("8115"))`` -> ``'8 115'``
        """
        if amount is None:
            return ""
        cents = to_cents(amount, self.unit)
        # euros with cents in both cent digits ("1,50", not "1,5"); k€ and M€ as printed
        decimals = 2 if self.unit == "€" and cents % self._cents_per_unit else -1
        return _core.format_amount(cents, self._cents_per_unit, " ", ",", decimals)

    def __str__(self) -> str:
        from .display import plan_text
        return plan_text(self)

    def _repr_html_(self) -> str:
        from .display import plan_html
        return plan_html(self)


_EVIDENCE = {0: "unreadable", 1: "blank", 2: "digits transposed", 3: "one digit", 5: "other"}


def _restore_plan(state: tuple, attributes: dict[str, Any]) -> Plan:
    plan = Plan.__new__(Plan)
    plan.notes = {}   # a plan pickled before notes were kept printed none
    plan.sheet = None   # nor one pickled before its sheet was kept
    plan._typed = {}
    plan.__dict__.update(attributes)
    plan._core = _core.Plan.from_state(state)
    return plan


def _shown(value: Any) -> str:
    """A value as an error quotes it, cut short (a whole table given by a slip)."""
    import reprlib
    return reprlib.repr(value)


def _as_int(value: Any) -> int | None:
    """``value`` as an int (a numpy integer from a table too), or None: a bool is no position
    (True was the line 1), nor a float, a str or None."""
    import operator
    if isinstance(value, bool) or type(value).__name__ == "bool_":
        return None
    try:
        return operator.index(value)
    except TypeError:
        return None


def _checked_position(value: Any, argument: str, count: int, what: str, kinds: str, *,
                      way: str = "", total: bool = False) -> int:
    """``value`` as a position from 0 to ``count`` - 1, or refused naming ``argument``: an
    ArgumentTypeError when it is no int (with ``kinds``, what the argument takes, and ``way``,
    how to get a label's position), a PositionError past the plan.  A negative position is
    refused, never counted from the end as Python's sequences do: the core's -1 is "none" and
    ``Plan.TOTAL_AT`` (-2) the Total, so -1 read as the last line would sum another line than
    asked without a word."""
    number = _as_int(value)
    if number is None:
        hint = f": a label's position is {way}" if way and isinstance(value, str) else ""
        raise ArgumentTypeError(f"{argument} must be {kinds}, not {type(value).__name__} "
                                f"{_shown(value)}{hint}")
    if 0 <= number < count:
        return number
    positions = f"give 0 to {count - 1}" if count else "it has none"
    if total:
        positions += ", or Plan.TOTAL_AT for its Total"
    back = " (a position counts from 0, never from the end)" if number < 0 else ""
    raise PositionError(f"{argument} {number} is no position of this plan's {count} {what}: "
                        f"{positions}{back}")


def _checked_label(value: Any, argument: str, kinds: str) -> str:
    """``value`` as a label, or refused naming ``argument``."""
    if not isinstance(value, str):
        raise ArgumentTypeError(f"{argument} must be {kinds}, not {type(value).__name__} "
                                f"{_shown(value)}")
    refuse_lone_surrogate(value, argument)
    return value


def _checked_places(places: Any) -> list[tuple[Any, Any]]:
    """``places`` as (line index, funder index) pairs, or refused: a bare "not iterable" or
    "not enough values to unpack" escaped."""
    said = "places must be (line index, funder index) pairs ([(0, 3), (1, 3)])"
    if isinstance(places, (str, bytes)) or not hasattr(places, "__iter__"):
        raise ArgumentTypeError(f"{said}, not {type(places).__name__} {_shown(places)}")
    pairs = []
    for place in places:
        if isinstance(place, (str, bytes)) or not hasattr(place, "__len__") or len(place) != 2:
            raise ArgumentTypeError(f"{said}, not {type(place).__name__} {_shown(place)} "
                                    f"among them")
        pairs.append(tuple(place))
    return pairs


def _checked_convention(value: Any, argument: str = "convention") -> None:
    """Refuses what is no Convention: a code, a path or None escaped as AttributeError "'str'
    object has no attribute 'party_groups'".  The plan sits below the convention and never
    imports it: a convention is known by its core model."""
    if not isinstance(getattr(value, "_core", None), _core.Convention):
        raise ArgumentTypeError(f"{argument} must be a Convention, read with essconv.default() "
                                f"or essconv.load(path), not {type(value).__name__} "
                                f"{_shown(value)}")


def _checked_findings(findings: Any) -> list[Finding]:
    """``findings`` as a list of Findings, or refused: a str was read letter by letter and
    escaped as AttributeError "'str' object has no attribute 'code'"."""
    said = "findings must be a Report or a list of Findings (plan.validate())"
    if isinstance(findings, (str, bytes)) or not hasattr(findings, "__iter__"):
        raise ArgumentTypeError(f"{said}, not {type(findings).__name__} {_shown(findings)}")
    listed = list(findings)
    for f in listed:
        if not isinstance(f, Finding):
            raise ArgumentTypeError(f"{said}, not {type(f).__name__} {_shown(f)} among them")
    return listed


def _closest(word: str, choices: list[str]) -> str | None:
    best, best_d = None, 3
    for c in choices:
        d = _core.Convention.edit_distance(word.lower(), c.lower(), 3)
        if d < best_d:
            best, best_d = c, d
    return best


_YEAR = re.compile(r"(?<!\d)(19[5-9]\d|20\d\d)(?!\d)")


def read_plan(source: Source, *, year: int | None = None, unit: str | None = None,
              encoding: str | None = None, delimiter: str | None = None,
              decimal: str | None = None, dash_is_zero: bool = False,
              sheet: str | None = None, convention: "Convention | None" = None) -> Plan:
    """Read a financing plan as printed: TSV/CSV (any of ``;``, tab, ``,``, ``|``; UTF-8 with or
    without BOM, CP1252, UTF-16) or ``.xlsx`` (with the ``xlsx`` extra).

    Encoding, delimiter and unit ("en K€", "en milliers d'euros", "en millions €" in the header)
    are detected when not given; a ``unit`` given that the header contradicts raises
    :class:`essconv.PlanFormatError` naming both.  A blank axis cell carries the axis above it
    down; an axis printed on a row of its own ("Axe 1 : Structurer") heads the lines under it,
    and figures printed on that row are checked as their sub-totals, never added; so does a
    heading numbered otherwise ("I. Structurer", "A) Former", "Axe stratégique : ...") or in
    capitals, when its cells are blank or its lines' sums (a line in mixed case with blank
    cells, or "A) ..." above "B) ...", stays a line).  A heading over headings ("I. STRUCTURER"
    above "A) Former") printing the sums of the lines under it is a checked sub-total, never
    added; printing other figures above headings that print sub-totals, it is refused naming
    both readings (a heading with a wrong sub-total, an action line).  A "N°" / "Code" column
    before the line labels is passed over (the lines are named by their labels).  The Total row and column are
    recognised by their label and may be absent; a row "Total des actions …" with lines under
    it whose figures are not the sums of the lines above is an action line when a Total row
    follows, and refused otherwise (saying both readings); one whose figures are the sums of the
    lines above it (all, or those since the last such row) is a partial total, checked and
    never added, when a Total row follows, and refused otherwise.  The year comes from ``year``, else
    from the file name, else from a title above the table.  ``decimal='.'`` reads English
    amounts, ``decimal=','`` French ones; when it is not given, a point followed by three digits
    ("12.500") is read as the table's other amounts say (a decimal point elsewhere, or points
    grouping thousands), and a table where nothing says which is refused.  A mark given is the
    only one: under ``decimal=','`` a point only groups thousands by three, and "1.23" is a bad
    cell naming the declared mark (the ledger's reader holds the same rule).
    ``dash_is_zero=True`` reads a lone dash ("-", "—") as 0 instead of reporting it; "p.m."
    (pour mémoire) or "néant" alone in a cell holds no amount, like a blank, shown as printed.
    A unit over a funder's column ("CDC (M€)") is the plan's, not part of the funder's name;
    over no more funders' columns than print none, with nothing else giving the table's unit
    (the header's first cell, a title, the Total column, ``unit``), it is refused at its cell.
    A table printing no unit and given none is read in euros, and says so at its header (a
    ``plan-unit-assumed-euros`` problem, a warning of ``validate()``).
    A title or header cell saying another currency than the euro as the amounts' unit
    ("Plan 2010 — montants en USD", "CDC (USD)": in brackets or after « en ») is refused at its
    cell (a ``plan-unit-currency`` problem); a funder named "CAF" reads as before.

    An ``.xlsx`` plan is read from its active sheet (the first visible one when the active
    sheet is hidden), or from the sheet named ``sheet=``; its number cells are read as Excel
    shows them (15 significant digits) whatever ``decimal`` says, and a formula with no saved
    value raises :class:`essconv.PlanFormatError` naming its cells.

    Two funders, two lines of one axis or two axes whose labels differ only in case, spaces or
    accents ("Formation", "formation") are one typed twice, and refused naming both.

    With ``convention=``, two funder columns naming one of its parties -- each is the party's
    code, an alias or its name, or starts with one at a word boundary ("Région" beside "Région
    Nord-Pas de Calais"), accents and case aside -- are refused naming both header cells: a
    column of percentages as that party's share column, a column of amounts as its second
    column (counted twice in every total).  Without one, names alone decide ("CG 59" and "CG 62"
    are two funders).

    A table broken in structure raises :class:`essconv.PlanFormatError` listing every problem
    of the file; unreadable amounts do not stop the read (``validate()`` reports them).

        >>> plan = read_plan(io.BytesIO("en k€;CDC;Total\\nDLA;274;274\\n".encode()))
        >>> plan.cell("DLA", "CDC"), plan.unit
        (Decimal('274'), 'k€')
    """
    if convention is not None:
        # what a plan reads of a convention (its parties, their roll-up), not its class: the
        # convention module stands above this one (it builds plans) and is never imported here
        if not (isinstance(getattr(convention, "parties", None), (list, tuple))
                and callable(getattr(convention, "party_groups", None))):
            raise ArgumentTypeError(f"convention must be an essconv.Convention "
                                    f"(essconv.default(), essconv.load(path)), not "
                                    f"{type(convention).__name__} {convention!r}")
        plan = read_plan(source, year=year, unit=unit, encoding=encoding, delimiter=delimiter,
                         decimal=decimal, dash_is_zero=dash_is_zero, sheet=sheet)
        return refuse_party_twice(plan, convention.parties)
    data, path, was_text = read_source(source)
    if year is None and path:
        m = _YEAR.search(Path(path).name)
        year = int(m.group(1)) if m else None
    if path and path.lower().endswith((".xlsx", ".xlsm")):
        from .xlsx import read_plan_xlsx
        return read_plan_xlsx(path, plan_from_rows, year=year, unit=unit, decimal=decimal or ",",
                              dash_is_zero=dash_is_zero, sheet=sheet)
    if data[:4] == b"PK\x03\x04":
        from .xlsx import read_plan_xlsx
        return read_plan_xlsx(io.BytesIO(data), plan_from_rows, year=year, unit=unit, decimal=decimal or ",",
                              path=path, sheet=sheet,
                              dash_is_zero=dash_is_zero)
    if sheet is not None:
        raise InvalidValueError(f"sheet={sheet!r} is for an .xlsx plan; this one is text")
    enc_key = (encoding or "auto").lower() if not was_text else "utf-8"
    if enc_key not in ENCODINGS:
        raise InvalidValueError(f"unknown encoding {encoding!r}: expected one of "
                                f"{names_listed(sorted(k for k in ENCODINGS if k))}")
    delimiter = checked_delimiter(delimiter)
    base = unit_cents(unit) if unit else None
    kwargs: dict[str, Any] = {"encoding": ENCODINGS[enc_key], "dash_is_zero": dash_is_zero}
    if decimal:   # else the table's amounts decide what a point means ("12.500")
        kwargs["decimal"] = decimal
    if delimiter:
        kwargs["delimiter"] = delimiter
    if base:
        kwargs["unit"] = base
    if _MAY_HOLD_NOTES.search(data) or b"\x00" in data[:4096]:
        # a column of notes beside the figures: read from the table's cells without it
        noted = _read_noted_text(data, kwargs, path=path, year=year)
        if noted is not None:
            return noted
    try:
        (core, problems, error, eline, ecol), used_enc, used_delim = _core.Plan.from_bytes(
            data, **kwargs)
    except ValueError as exc:   # undecodable bytes, NUL: the core names line and column
        raise PlanFormatError(str(exc), path=path,
                              line=getattr(exc, "line", 0), column=getattr(exc, "column", 0),
                              problems=[Problem(getattr(exc, "line", 0), getattr(exc, "column", 0),
                                                str(exc), True)]) from None
    if used_enc == "utf-8 + cp1252":
        warn_if_mixed(data, path)
    return _finish(core, problems, error, eline, ecol, path=path, year=year, encoding=used_enc,
                   delimiter=used_delim)


#: what a funder's share column prints before or after the funder: "Part de la Région",
#: "CDC share", "CDC's part" (as the core's "Part CDC" reading strips it)
_PART_BEFORE = re.compile(r"^part\s+(?:(?:de\s+la|de\s+l['’]|du|des|de|d['’])\s*)?", re.I)
#: a French article before a party's name, as _name_words splits it ("l'" is the word "l")
_ARTICLE_WORDS = ("le", "la", "les", "l")
_PART_AFTER = re.compile(r"(?:['’]s)?\s+(?:share|part)\b.*$", re.I)
_AMOUNT_WORD = re.compile(r"\b(?:montants?|amounts?)\b", re.I)
_UNIT_WORD = re.compile(r"€|\beur\b|euros?\b", re.I)


def _name_words(text: str) -> tuple[str, ...]:
    """A name's words, accents and case aside ("Région Nord-Pas de Calais" ->
    ('region', 'nord', 'pas', 'de', 'calais')): how a funder column names a party."""
    from .conditions import without_accents
    return tuple(re.findall(r"[0-9a-z]+", without_accents(text).casefold()))


def _party_names(parties: Iterable[Any]) -> list[tuple[str, list[tuple[str, ...]]]]:
    """Each party's code with the names a plan's column may give it: its code, its aliases,
    its name and the name it signs as (each also without its parenthesis)."""
    out = []
    for party in parties:
        names: list[str] = [party.code, *party.aliases]
        for name in (party.name, party.signs_as):
            if name:
                names += [name, name.split(" (")[0]]
        words = [w for w in dict.fromkeys(_name_words(n) for n in names) if w]
        out.append((party.code, words))
    return out


def _party_of_column(label: str, parties: list[tuple[str, list[tuple[str, ...]]]]
                     ) -> tuple[str, bool] | None:
    """The code of the party a funder column names -- the column's name equals one of the
    party's names (separators aside: "CRNPDC" is "CR-NPDC") or starts with one at a word
    boundary ("Région Nord-Pas de Calais" is the Région's) -- and whether the column prints a
    share word around it ("Part Région", "CDC share").  The longest name wins; a column two
    parties name as long is neither's (it decides nothing)."""
    bare = _PART_AFTER.sub("", _PART_BEFORE.sub("", label.strip())).strip()
    part = bare != label.strip()
    words = _name_words(bare)
    if not words:
        return None
    # the name as written, then without its French article ("La Région" is the Région's, as
    # Convention.party_of reads it: else its amounts rolled up beside a "Région" column)
    tries = [words] + ([words[1:]] if len(words) > 1 and words[0] in _ARTICLE_WORDS else [])
    for tried in tries:
        best: tuple[int, set[str]] = (0, set())
        for code, names in parties:
            for name in names:
                if tried[:len(name)] == name or "".join(tried) == "".join(name):
                    size = len(name)
                    if size > best[0]:
                        best = (size, {code})
                    elif size == best[0]:
                        best[1].add(code)
        if len(best[1]) == 1:
            return next(iter(best[1])), part
        if best[1]:
            return None   # two parties as long: neither's, with or without an article
    return None


def _share_column(plan: "Plan", j: int, first: int, part: bool) -> bool:
    """Whether a second column of a party holds its shares (percentages) rather than its
    amounts, as the core reads a "Part CDC" column's cells: a cell printing '%' is a share;
    a money unit or the word "montant" in the header, the first column's cells copied line by
    line, a figure over 100 or printed in a money unit are amounts; else a share.  A column
    printing no share word ("Région" beside "Conseil Régional") is amounts unless a cell says
    '%'."""
    rows = [*range(len(plan._lines)), Plan.TOTAL_AT]
    texts = [((plan.text_at(i, j) or "").strip(), (plan.text_at(i, first) or "").strip())
             for i in rows]
    if any("%" in mine for mine, _ in texts):
        return True
    if not part:
        return False
    header = plan._funders[j]
    if _UNIT_WORD.search(header) or _AMOUNT_WORD.search(header):
        return False
    pairs = [(mine, theirs) for mine, theirs in texts if mine or theirs]
    copied = bool(pairs) and all(mine == theirs for mine, theirs in pairs)
    big = any(a is not None and (abs(a) > 100 or _UNIT_WORD.search(t or ""))
              for a, t in ((plan.amount_at(i, j), plan.text_at(i, j)) for i in rows))
    return not ((copied and any(m for m, _ in pairs)) or big)


def refuse_party_twice(plan: "Plan", parties: Iterable[Any]) -> "Plan":
    """A plan whose two funder columns are one party's under two of its names ("Région" beside
    "Région Nord-Pas de Calais") counted that party twice in every total -- silently when the
    table printed no Total.  Refused as the core refuses "Part CDC" beside "CDC": percentages
    are that party's share column, amounts its second column; both header cells named.
    Without a convention nothing says which names are one party's ("CG 59" and "CG 62" share
    a prefix and are two parties), so only ``read_plan(convention=...)``, ``add_plan`` and a
    description's plans check this."""
    names = _party_names(parties)
    seen: dict[str, int] = {}
    found: list[Problem] = []
    places = plan._funder_places or [(0, 0)] * len(plan._funders)
    for j, label in enumerate(plan._funders):
        owner = _party_of_column(label, names)
        if owner is None:
            continue
        code, part = owner
        if code not in seen:
            seen[code] = j
            continue
        first = seen[code]
        (line, column), (fline, fcolumn) = places[j], places[first]
        other = plan._funders[first]
        if _share_column(plan, j, first, part):
            message = (f"'{label}' holds percentages: the share of {code}, whose amounts are "
                       f"in '{other}' ({fline}:{fcolumn}); read as a funder it would be added "
                       f"to every total; remove it (plan.shares() computes them)")
            kind = "plan-party-share"
        else:
            message = (f"'{label}' and '{other}' ({fline}:{fcolumn}) are two columns of one "
                       f"party, {code} (its code, an alias or its name): its amounts would be "
                       f"added twice to every total; keep one column per funder")
            kind = "plan-party-twice"
        found.append(Problem(line, column, message, True,
                             (kind, fline, fcolumn, label, other, code)))
    if not found:
        return plan
    probs = sorted([*plan.problems, *found], key=lambda p: (p.line, p.column))
    count = len(probs)
    first_found = min(found, key=lambda p: (p.line, p.column))
    raise PlanFormatError(f"the table is broken in structure ({count} problem"
                          f"{'s' if count > 1 else ''})", path=plan.path,
                          line=first_found.line, column=first_found.column, problems=probs,
                          reason=("plan-broken", count))


def move_places(plan: Plan, where: Any) -> None:
    """Moves every place of a plan -- its cells', its header cells', its problems' -- by
    ``where(line, column) -> (line, column)``: a plan written inside another file (a table in
    a TOML description) then names the line and column that file shows, in its findings and
    refusals alike.  A place the reader gave none (0) stays none."""
    import dataclasses
    state = list(plan._core.state())

    def moved(cell: tuple) -> tuple:
        # a cell: (state, cents, text, line, column)
        return (*cell[:3], *where(cell[3], cell[4])) if cell[3] else cell
    state[10] = [moved(c) for c in state[10]]                  # cells, then the stated totals
    state[11] = [(*s[:4], moved(s[4])) for s in state[11]]     # the axes' stated sub-totals
    plan._core = _core.Plan.from_state(tuple(state))
    if plan._funder_places is not None:
        plan._funder_places = [where(l, c) if l else (l, c) for l, c in plan._funder_places]
    plan.problems = [dataclasses.replace(p, line=l, column=c) if p.line else p
                     for p in plan.problems for l, c in [where(p.line, p.column)]]


_NOT_TEXT_BYTE = re.compile(r"byte 0x([0-9A-F]{2}) at line \d+, column \d+ is neither UTF-8 nor "
                            r"CP1252")


# a text file refused as another kind of file (csv.c's binary_kind): the start of the core's
# words for each, and its name as the binding's reason gives it (ESS_NOT_TEXT_*)
_NOT_TEXT_FILE = "this is not a text file but "
_NOT_TEXT_KINDS = (("a zip file", "zip"), ("an old Excel .xls", "xls"), ("gzip-", "gzip"),
                   ("bzip2-", "bzip2"), ("xz-", "xz"), ("a PDF", "pdf"))
# ... and text that is no CSV: a web page, an XML document (csv.c's ess_markup_refused)
_NOT_CSV_TEXT = "this is not CSV text but "
# ... and UTF-16 without its byte order mark (csv.c's utf16_without_bom)
_UTF16_NO_BOM = re.compile(r"this file is UTF-16 text without its byte order mark .*"
                           r"encoding='utf-16-(le|be)'")
_NOT_CSV_KINDS = (("a web page", "html"), ("an XML document", "xml"))


def _refusal_kind(message: str, line: int, column: int) -> tuple:
    """The kind of a refusal the core words in English alone, for a listing to word it in its
    language (Language.refusal, Language.problem): a quote never closed, a byte neither UTF-8
    nor CP1252 (its value, line and column), a NUL byte (its line and column).  The byte's two
    were said in English under a French listing (the pytest plugin's essconv_lang = fr)."""
    if message.startswith("the quote opened at line "):
        return ("quote-unclosed",)
    said = _NOT_TEXT_BYTE.match(message)
    if said is not None:
        return ("byte-not-text", int(said.group(1), 16), line, column)
    if message.startswith("a NUL byte at line "):
        return ("nul-byte", line, column)
    said = _UTF16_NO_BOM.match(message)
    if said is not None:   # UTF-16 without its BOM: which byte order, as the binding names it
        return ("not-text-file", "utf16" + said.group(1))
    if message.startswith(_NOT_TEXT_FILE):   # another kind of file: which, as the binding names it
        said = message[len(_NOT_TEXT_FILE):]
        for start, kind in _NOT_TEXT_KINDS:
            if said.startswith(start):
                return ("not-text-file", kind)
    if message.startswith(_NOT_CSV_TEXT):
        said = message[len(_NOT_CSV_TEXT):]
        for start, kind in _NOT_CSV_KINDS:
            if said.startswith(start):
                return ("not-text-file", kind)
    return ()


def _finish(core: Any, problems: list, error: str | None, eline: int, ecol: int, *,
            path: str | None, year: int | None, encoding: str | None,
            delimiter: str | None) -> Plan:
    # a quote never closed, a byte no text has: their kind for a listing to word it (the core
    # gives none)
    probs = sorted((Problem(l, c, m, s, r or _refusal_kind(m, l, c))
                    for (l, c, m, s, r) in problems),
                   key=lambda p: (p.line, p.column))
    if core is None:
        # the count of structural problems the core's head gives, for a listing to word it in
        # its language (Language.refusal), as each problem's reason words it
        structural = sum(p.structural for p in probs)
        broken: tuple = ()
        if structural and error == (f"the table is broken in structure ({structural} problem"
                                    f"{'s' if structural > 1 else ''})"):
            # the head counts what is listed under it: every problem, an unreadable cell as
            # well as a ragged row ("(1 problem)" stood over two)
            count = len(probs)
            error = f"the table is broken in structure ({count} problem{'s' if count > 1 else ''})"
            broken = ("plan-broken", count)
        elif (len(probs) == 1 and probs[0].message == error and probs[0].reason
              and str(probs[0].reason[0]).startswith("plan-")):
            # the one problem the core stopped at (two units in the header): its kind, for a
            # listing to word the head in its language too
            broken = probs[0].reason
        elif error == "the file is empty":   # the file refused whole, in a listing's language
            broken = ("file-empty",)
        elif error and error.startswith("no header row: "):
            broken = ("no-header-row",)
        elif error and error.startswith("the quote opened at line "):
            broken = ("quote-unclosed",)
        elif error:
            broken = _refusal_kind(error, eline, ecol)
        raise PlanFormatError(error or "unreadable table", path=path, line=eline, column=ecol,
                              problems=probs or [Problem(eline, ecol, error or "", True)],
                              reason=broken)
    if year is None:
        m = _YEAR.search(core.corner + " " + core.title)
        year = int(m.group(1)) if m else None
    return Plan(core, year=year, path=path, encoding=encoding, delimiter=delimiter,
                problems=probs)


def plan_from_rows(rows: list[list[Any]], *, year: int | None = None, unit: str | None = None,
                   decimal: str = ",", path: str | None = None,
                   dash_is_zero: bool = False) -> Plan:
    """A plan from cells that come from elsewhere (a spreadsheet): each row a list of values,
    or of (value, line, column).  Numbers must be int, Decimal or str — never float."""
    cells = []
    typed: dict[tuple[int, int], Any] = {}
    for r, row in enumerate(rows, start=1):
        out = []
        for c, value in enumerate(row, start=1):
            if isinstance(value, tuple):
                value, line, column = value
            else:
                line, column = r, c
            if isinstance(value, (bool, _dt.date, _dt.time)):
                typed[(line, column)] = value
            out.append((_cell_text(value, decimal), line, column))
        cells.append(out)
    base = unit_cents(unit) if unit else None
    kwargs: dict[str, Any] = {"decimal": decimal, "dash_is_zero": dash_is_zero}
    if base:
        kwargs["unit"] = base
    return _plan_of_cells(cells, kwargs, path=path, year=year, encoding=None, delimiter=None,
                          typed=typed)


#: a cheap test before reading a text plan's cells a second time: the words of a column of
#: notes' header (the core's ess_plan_is_note_header decides), "précision" in UTF-8 or CP1252
_MAY_HOLD_NOTES = re.compile(rb"(?i)comment|observation|remarque|remark|pr(?:\xc3\xa9|\xc3\x89|\xe9|\xc9|e)cision")
#: a cell printing a figure ("1 250,5", "-12.5 k\u20ac"): a note that is one is said, by its cell
_FIGURE = re.compile(r"^\s*[-\u2212+]?\s*\d[\d\s.,\u00a0\u202f]*\s*(?:[kKM]?\u20ac)?\s*$")


def _notes_aside(cells: list[list[tuple]]
                 ) -> tuple[list[list[tuple]], list[tuple], list[tuple], int, list[list[tuple]]]:
    """The cells without the plan's columns of notes, the notes' cells (text, line, column),
    the notes' header cells, the header row (-1: none found), and under each header the notes
    that print a figure (text, line, column, their row's label).  A column of remarks
    ("Commentaires", "Observations", "Remarques", "Précisions"), after the Total or between
    funders, was read as a funder: each remark an unreadable amount, the column a funder at 0
    in by_funder(), and a number typed in it added to every total.  The core finds the
    header row and its notes' cells, as it reads the table: one search, whatever the dress."""
    # blank and trimmed by the readers' one rule (essconv.margin, the core's ess_text_trim), as
    # a label is: str.strip() dropped a note of an em space alone the label rule keeps
    def blank(cell: tuple) -> bool:
        return cell[0] is None or is_blank(str(cell[0]))
    header, columns = _core.Plan.note_columns(cells)
    if not columns:
        return cells, [], [], -1, []
    heads = [cells[header][c] for c in columns]

    def texts(row: list[tuple]) -> list[str]:
        said = ["" if blank(cell) else str(cell[0]).strip(CELL_SPACES) for cell in row]
        while said and not said[-1]:
            said.pop()
        return said
    # the header printed again at a page break (a PDF pasted into Excel) is no line: its
    # "Observations" no remark (the core passes over the row, and says it)
    printed = texts(cells[header])
    below = [row for row in cells[header + 1:] if texts(row) != printed]
    notes = [row[c] for row in below for c in columns
             if c < len(row) and not blank(row[c])]
    # a figure among the remarks (an amount typed in the wrong column?) is kept as a note,
    # never added: said by its cell, for the reader to move it if it is a funder's
    figures = [[(str(row[c][0]).strip(CELL_SPACES), row[c][1], row[c][2],
                 next((str(x[0]).strip(CELL_SPACES) for x in row if not blank(x)), ""))
                for row in below
                if c < len(row) and not blank(row[c]) and _FIGURE.match(str(row[c][0]))]
               for c in columns]
    kept = cells[:header] + [[cell for c, cell in enumerate(row) if c not in columns]
                             for row in cells[header:]]
    return kept, notes, heads, header, figures


def _plan_of_cells(cells: list[list[tuple]], kwargs: dict[str, Any], *, path: str | None,
                   year: int | None, encoding: str | None, delimiter: str | None,
                   typed: dict[tuple[int, int], Any] | None = None) -> Plan:
    """The plan of cells (text, line, column), its columns of notes set aside: their texts in
    ``plan.notes``, each column said once, at its header cell, as a warning naming it.
    ``typed``: the spreadsheet's date and TRUE/FALSE cells by their place, said as such."""
    cells, notes, heads, header, figures = _notes_aside(cells)
    # read at the header found with its notes: "Ligne;Région;Observations" without them has
    # too few cells for the core's own search to take it for the header
    core, problems, error, eline, ecol = _core.Plan.from_rows(cells, header=header, **kwargs)
    if typed:
        problems = [_typed_problem(p, typed) for p in problems]
    said = [(line, column, f"'{text.strip()[:60]}' is a column of notes, no funder's amounts: "
                           f"its texts are kept (plan.notes), out of every sum"
                           + _figures_among_notes(found), False,
             ("plan-note-column", 0, 0, text.strip()[:60], "", "", tuple(found)))
            for (text, line, column), found in zip(heads, figures)]
    # said of a plan that loads: a table refused lists what breaks it, and only that
    plan = _finish(core, problems + (said if core is not None else []), error, eline, ecol,
                   path=path, year=year,
                   encoding=encoding, delimiter=delimiter)
    if notes:
        plan.notes = _notes_by_row(plan, cells, notes)
    if typed:
        plan._typed = typed
    return plan


def _figures_among_notes(figures: list[tuple]) -> str:
    """The figures a column of notes prints, each by its cell: "; '12' (Formation, line 3,
    column 14) is a figure: kept as a note, out of every sum"."""
    if not figures:
        return ""
    cells = ", ".join(f"'{text[:30]}' ({label[:40]}, line {line}, column {column})"
                      for text, line, column, label in figures[:5])
    more = f" and {len(figures) - 5} more" if len(figures) > 5 else ""
    return (f"; {cells}{more} " + ("is a figure: kept as a note, out of every sum"
                                   if len(figures) == 1 else
                                   "are figures: kept as notes, out of every sum"))


def _typed_problem(problem: tuple, typed: dict[tuple[int, int], Any]) -> tuple:
    """A spreadsheet's date or TRUE/FALSE cell read where an amount is expected, said as what it
    is: the parser's reason ("'-' at character 5" of '2010-03-04 00:00:00') told nothing.  Its
    reason carries the value for a listing to show it as its language writes it."""
    line, column, message, structural, reason = problem
    value = typed.get((line, column))
    if value is None or not reason or reason[0] != "plan-bad-amount":
        return problem
    where = str(reason[4]) if len(reason) > 4 else ""
    label, _, funder = where.partition("\x1f")
    kind = typed_kind(value)
    shown = typed_text(value)
    said = {"date": "a date", "time": "a time of day", "bool": "a TRUE/FALSE value"}[kind]
    return (line, column, f"{label} x {funder}: '{shown}' is {said}, not an amount", structural,
            ("plan-typed-cell", kind, shown, where))


def typed_kind(value: Any) -> str:
    """What a spreadsheet's typed cell holds: "bool", "date" (a datetime too) or "time"."""
    return "bool" if isinstance(value, bool) else "time" if isinstance(value, _dt.time) \
        else "date"


def typed_text(value: Any) -> str:
    """A date, TRUE/FALSE or time cell as English writes it: 2010-03-04 (its time only when
    it has one), TRUE, 10:30.  ``Language.typed`` writes it in a listing's language."""
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, _dt.datetime):
        if value.time() == _dt.time(0):
            return value.date().isoformat()
        return value.isoformat(sep=" ", timespec="minutes" if not value.second else "seconds")
    if isinstance(value, _dt.time):
        return value.isoformat(timespec="minutes" if not value.second else "seconds")
    return value.isoformat()


def _notes_by_row(plan: Plan, cells: list[list[tuple]], notes: list[tuple]) -> dict[Any, str]:
    """Each note under its row's label as by_line() keys it, TOTAL for the Total row; a note
    on another row (an axis heading, a row under the table) under that row's first text."""
    rows: dict[int, Any] = {}
    keys = list(plan.by_line())   # a repeated label is keyed by (axis, line), as there
    for i, key in enumerate(keys):
        for j in [*range(len(plan.funders)), _core.AT_TOTAL]:
            try:
                line = plan._core.cell(i, j)[3]
            except (IndexError, ValueError):
                continue
            if line:
                rows.setdefault(line, key)
                break
    for j in [*range(len(plan.funders)), _core.AT_TOTAL]:
        try:
            line = plan._core.cell(_core.AT_TOTAL, j)[3]
        except (IndexError, ValueError):
            continue
        if line:
            rows.setdefault(line, TOTAL)
    # blank and trimmed by the readers' one rule (essconv.margin), as _notes_aside judged them
    labels = {row[0][1]: next((str(c[0]).strip(CELL_SPACES) for c in row
                               if c[0] is not None and not is_blank(str(c[0]))), None)
              for row in cells if row}
    out: dict[Any, str] = {}
    for text, line, _column in notes:
        key = rows.get(line) or labels.get(line) or f"line {line}"
        note = str(text).strip(CELL_SPACES)
        out[key] = out[key] + "\n" + note if key in out else note
    return out


def _read_noted_text(data: bytes, kwargs: dict[str, Any], *, path: str | None,
                     year: int | None) -> Plan | None:
    """A text plan read from its cells when its header prints a column of notes, else None
    (the plan is read from its bytes, as before)."""
    try:
        # a blank margin column set aside by the core, as when the plan is read from its bytes
        rows, used_enc, used_delim = _core.read_table(
            data, kwargs["encoding"], kwargs.get("delimiter", "\x00"), margin=True)
    except ValueError:   # broken text: the reading from the bytes says where
        return None
    if not _notes_aside(rows)[2]:
        return None
    if used_enc == "utf-8 + cp1252":
        warn_if_mixed(data, path)
    options = {k: v for k, v in kwargs.items() if k not in ("encoding", "delimiter")}
    options.setdefault("decimal", "\x00")   # the table's amounts decide, as from the bytes
    return _plan_of_cells(rows, options, path=path, year=year, encoding=used_enc,
                          delimiter=used_delim)


def _cell_text(value: Any, decimal: str = ",") -> str | None:
    """A cell's text; a number's is written with the decimal mark the table is read with
    (a number cell has no separator of its own: with ``decimal='.'``, '1234,5' was refused)."""
    if value is None:
        return None
    if isinstance(value, (bool, _dt.date, _dt.time)):   # as a spreadsheet shows it, not Python
        return typed_text(value)
    mark = "." if decimal == "." else ","
    if isinstance(value, float):
        # a spreadsheet stores numbers as binary floats; its displayed value is what the
        # partners read: Excel shows 15 significant digits, so a formula's float noise
        # (0.1 + 0.2 = 0.30000000000000004) reads as the 0,3 it shows, not as a typo.
        if value != value or value in (float("inf"), float("-inf")):
            return repr(value)
        text = format(Decimal(format(value, ".15g")).normalize(), "f")
        return text.replace(".", mark)
    if isinstance(value, Decimal):
        return format(value, "f").replace(".", mark)
    return str(value)


__all__ = ["Finding", "Plan", "Report", "read_plan", "plan_from_rows", "TOTAL"]


#: the findings whose English message messages.py words as fully as the core (numbers the
#: English way); the others' builders drop what the core says (the transposed digits, the
#: stray digit), so they keep the core's message
# the core's message cuts a long label ("Conseil Régional Nord-Pas de ") and a long sentence
# (an ambiguity's second candidate set) at its fixed size: a set of edits, and a single cell's
# edit, are worded here whole
#: the findings whose words claim "every total" (a suggestion, a verdict, a line every total
#: holds without): told the totals the search left out (Finding.kept_off)
_KEPT_OFF_SAID = frozenset({"cell-correction", "cell-move", "total-correction", "correction-set",
                            "subtotal-correction", "ambiguity", "too-many-explanations",
                            "unexplained", "uncounted-line"})
_ENGLISH_WORDED = frozenset({"row-total", "column-total", "grand-total", "total-correction",
                             "correction-set", "ambiguity", "too-many-explanations",
                             "cell-correction", "cell-move", "subtotal", "subtotal-correction"})
