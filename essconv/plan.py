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

import io
import os
import re
from collections import Counter
from dataclasses import dataclass, field, replace
from decimal import Decimal
from pathlib import Path
from typing import TYPE_CHECKING, Any, BinaryIO, Iterable, Iterator, TextIO, Union

from . import _core
from .errors import (AmbiguityError, MissingExtraError, MixedEncodingWarning, MoneyOverflowError, PlanFormatError,
                     Problem, UnknownLabelError)
from .files import read_path
from .money import from_cents, to_cents, unit_cents, unit_symbol

if TYPE_CHECKING:  # pragma: no cover
    from .convention import Convention
    from .pivot import Pivot

Source = Union[str, "os.PathLike[str]", BinaryIO, TextIO, bytes]

#: the core's table of finding kinds: code -> (name, severity, scope, correctable)
_KINDS = {code: (name, severity, scope, correctable)
          for code, name, severity, scope, correctable in _core.finding_kinds()}
#: the kind of one edit of an explanation -> the code of the finding it would be alone
_EDIT_CODES = {1: "cell-correction", 2: "cell-move", 3: "total-correction"}
_STATE_BLANK, _STATE_VALUE, _STATE_MALFORMED = 0, 1, 2

#: how users name encodings -> the core's
_ENCODINGS = {
    None: _core.ENC_AUTO, "auto": _core.ENC_AUTO, "utf-8": _core.ENC_UTF8, "utf8": _core.ENC_UTF8,
    "utf-8-sig": _core.ENC_UTF8, "cp1252": _core.ENC_CP1252, "windows-1252": _core.ENC_CP1252,
    "latin-1": _core.ENC_CP1252, "latin1": _core.ENC_CP1252, "iso-8859-1": _core.ENC_CP1252,
    "iso-8859-15": _core.ENC_CP1252, "utf-16": _core.ENC_UTF16LE, "utf-16-le": _core.ENC_UTF16LE,
}


def _warn_if_mixed(data: Any, path: str | None) -> None:
    """Says where a file mixing UTF-8 and CP1252 holds its odd bytes, and how each was read:
    the core decided on the whole file, but such a file was pasted together and its odd
    places deserve a look."""
    count, odd_are_cp1252, places = _core.mixed_places(data, 5)
    if not count:
        return
    import warnings
    if odd_are_cp1252:
        shown = ", ".join(f"0x{b:02X} at {line}:{col} read as {bytes([b]).decode('cp1252')!r}"
                          for line, col, b in places)
        what = f"mostly UTF-8, but {count} byte{'s are' if count > 1 else ' is'} not UTF-8 " \
               f"and {'were' if count > 1 else 'was'} read as CP1252"
    else:
        shown = ", ".join(f"0x{b:02X}... at {line}:{col}" for line, col, b in places)
        what = f"mostly CP1252, but {count} valid UTF-8 sequence{'s were' if count > 1 else ' was'}" \
               f" read as UTF-8"
    more = f" (and {count - len(places)} more)" if count > len(places) else ""
    warnings.warn(MixedEncodingWarning(f"{path or '<bytes>'}: {what}: {shown}{more}; say "
                                       f"encoding= to read the file otherwise"), stacklevel=3)

TOTAL = "Total"   # the label findings use for a Total row or column


@dataclass(frozen=True)
class Finding:
    """One thing validation found.

    ``expected`` and ``actual`` are in the plan's unit.  For a total that disagrees with its
    cells, ``actual`` is what the table states and ``expected`` what the cells give; for a
    suggestion (``cell-correction``, ``cell-move``, ``total-correction``), ``expected`` is the
    suggested value and ``actual`` what the cell holds (None if blank).  ``rank`` orders the
    suggestions (1 = the most likely explanation); ``source_line`` and ``source_column`` are the
    1-based place of the cell in the file.  A ``correction-set`` (several edits that together
    reconcile every total) lists them in ``corrections``; ``ambiguity`` and
    ``too-many-explanations`` list the candidate sets in ``candidates`` with their ``count``;
    ``unexplained`` says in ``faults`` how many edits it would take at least.
    """

    code: str
    severity: str
    message: str
    line: str | None = None
    funder: str | None = None
    expected: Decimal | None = None
    actual: Decimal | None = None
    source_line: int | None = None
    source_column: int | None = None
    target: str | None = None
    rank: int = 0
    path: str | None = None
    group: str | None = None
    source: Any = None   # a convention finding: the words of the text it is about (a Source)
    #: a suggestion: its edits, each a single-edit finding (``cell-correction``, ``cell-move``,
    #: ``total-correction``); one for a single fix, several for a ``correction-set``
    corrections: tuple["Finding", ...] = ()
    #: ``ambiguity`` / ``too-many-explanations``: the candidate sets listed, each a tuple of edits
    candidates: tuple[tuple["Finding", ...], ...] = ()
    #: ``ambiguity``, ``too-many-explanations``, ``unexplained``: how many explanations were
    #: counted (complete ones, or with ``partial`` those that mend part of the totals)
    count: int | None = None
    #: False when ``count`` is a lower bound (the search stopped at its budget)
    count_exact: bool = True
    #: edits per explanation; for ``unexplained``, at least how many it would take
    faults: int | None = None
    partial: bool = False
    #: an edit's plausibility: 0 unreadable, 1 blank or a move to a blank neighbour,
    #: 2 transposed digits, 3 one digit changed / dropped / added, 5 nothing (lower is likelier)
    evidence: int | None = None

    @property
    def is_error(self) -> bool:
        """Does this finding make the report fail?

        Example: ``[f.code for f in report if f.is_error]``"""
        return self.severity == "error"

    @property
    def suggestion(self) -> str | None:
        """The fix in words, when the finding carries one.

        Example: ``report.suggestions[0].suggestion`` -> ``'Observatoire CRESS x CDC = 10'``
        """
        if self.code == "cell-move":
            return f"move {self.actual} from {self.funder} to {self.target}"
        if self.code == "correction-set":
            return "; ".join(str(c.suggestion) for c in self.corrections)
        if self.code in ("cell-correction", "total-correction") or (
                self.code == "malformed-number" and self.expected is not None):
            return f"{self.line} x {self.funder} = {self.expected}"
        return None

    def explanation_fields(self) -> dict[str, Any]:
        """The fields of a multi-cell suggestion or of an ambiguity, JSON-ready (amounts as
        strings); empty for any other finding.  What the JSON exports add to a finding.

        Example: ``report.suggestions[0].explanation_fields()["corrections"][0]["expected"]``"""
        def edit(e: Finding) -> dict[str, Any]:
            return {"code": e.code, "line": e.line, "funder": e.funder, "target": e.target,
                    "expected": _str(e.expected), "actual": _str(e.actual),
                    "source_line": e.source_line, "source_column": e.source_column}
        out: dict[str, Any] = {}
        if self.corrections:
            out["corrections"] = [edit(e) for e in self.corrections]
        if self.candidates:
            out["candidates"] = [[edit(e) for e in c] for c in self.candidates]
        if self.count is not None:
            out.update(count=self.count, count_exact=self.count_exact)
        if self.faults is not None and (self.corrections or self.candidates or self.count):
            out.update(faults=self.faults, partial=self.partial)
        return out

    @property
    def decisive(self) -> list[tuple[str | None, str | None]]:
        """``ambiguity`` / ``too-many-explanations``: the cells (line, funder) on which the first
        two candidate sets disagree -- the figures a sub-total or last year's plan would have to
        give to decide between them.

        Example: ``report.ambiguity.decisive`` -> ``[('L0', 'F0'), ('L0', 'F1'), ...]``"""
        if len(self.candidates) < 2:
            return []

        def values(edits: tuple["Finding", ...]) -> dict[tuple[Any, Any], Any]:
            out: dict[tuple[Any, Any], Any] = {}
            for e in edits:
                if e.code == "cell-move":   # the value leaves one cell for another
                    out[(e.line, e.funder)] = ("moved", e.target)
                    out[(e.line, e.target)] = ("moved in", e.actual)
                else:
                    out[(e.line, e.funder)] = e.expected
            return out
        a, b = values(self.candidates[0]), values(self.candidates[1])
        return [cell for cell in dict.fromkeys([*a, *b]) if a.get(cell) != b.get(cell)]

    def where(self) -> str:
        """``file:line:column`` of the finding's cell, as far as it is known."""
        parts = [self.path or "<plan>"]
        if self.source_line:
            parts.append(str(self.source_line))
            if self.source_column:
                parts.append(str(self.source_column))
        return ":".join(parts)

    def __str__(self) -> str:
        """Like a compiler: ``file:line:column: error[row-total]: message``."""
        return f"{self.where()}: {self.severity}[{self.code}]: {self.message}"


class Report:
    """The findings of a validation, errors first, then warnings, then ranked suggestions.

    Iterate over it, index it, or ask ``report.ok`` (True when no finding is an error).
    """

    def __init__(self, findings: Iterable[Finding], plan: "Plan | None" = None) -> None:
        self.findings: list[Finding] = list(findings)
        self.plan = plan

    def __iter__(self) -> Iterator[Finding]:
        return iter(self.findings)

    def __len__(self) -> int:
        return len(self.findings)

    def __getitem__(self, index: int) -> Finding:
        return self.findings[index]

    @property
    def ok(self) -> bool:
        """True when no finding is an error.

        Example: ``essconv.default().plan(2009).validate().ok`` -> ``False``"""
        return not any(f.is_error for f in self.findings)

    @property
    def errors(self) -> list[Finding]:
        """The error findings.

        Example: ``[f.code for f in report.errors]``"""
        return [f for f in self.findings if f.severity == "error"]

    @property
    def warnings(self) -> list[Finding]:
        """The warnings (unknown funders...).

        Example: ``[f.funder for f in plan.validate(conv).warnings]`` -> ``['ESE', 'CG-67']``"""
        return [f for f in self.findings if f.severity == "warning"]

    @property
    def suggestions(self) -> list[Finding]:
        """The ranked suggestions, most likely first.

        Example: ``report.suggestions[0].code`` -> ``'cell-correction'``"""
        return sorted((f for f in self.findings if f.rank), key=lambda f: f.rank)

    def codes(self) -> list[str]:
        """The findings' codes, in order: ``['row-total', 'malformed-number', ...]``."""
        return [f.code for f in self.findings]

    def best_corrections(self) -> list[Finding]:
        """The fixes of the most likely explanation: every unreadable number whose value is
        known, and the suggestion ranked first.  Raises :class:`essconv.AmbiguityError` when
        the first two candidates of an ambiguity are equally plausible: the table cannot
        decide, so nothing is picked silently.

        Example: ``plan.with_corrections(report.best_corrections()).validate().ok`` -> ``True``
        """
        fixes = [f for f in self.findings if f.code == "malformed-number" and f.expected is not None]
        ranked = self.suggestions
        for f in self.findings:
            if f.code in ("ambiguity", "too-many-explanations") and not f.partial and \
                    len(f.candidates) > 1 and _plausibility(f.candidates[0]) == \
                    _plausibility(f.candidates[1]):
                raise AmbiguityError(f"the table cannot decide between {f.count} explanations: "
                                     f"{f.message} Apply one of report.suggestions instead.")
        return fixes + ranked[:1]

    def itemized(self) -> list[Finding]:
        """The findings with each ``correction-set`` replaced by its edits, each ranked as the
        set: what a table display marks cell by cell.

        Example: ``[(f.line, f.funder) for f in report.itemized() if f.rank == 1]``"""
        return [replace(c, rank=f.rank) if f.code == "correction-set" else f
                for f in self.findings
                for c in (f.corrections if f.code == "correction-set" else (f,))]

    @property
    def ambiguity(self) -> Finding | None:
        """The finding that says several explanations fit (``ambiguity`` or
        ``too-many-explanations``), or None when the most likely one is the only one.

        Example: ``plan.validate().ambiguity.candidates`` -> the candidate sets"""
        return next((f for f in self.findings if f.code in ("ambiguity", "too-many-explanations")
                     and not f.partial), None)

    def __str__(self) -> str:
        if not self.findings:
            return "no finding: every total holds"
        return "\n".join(str(f) for f in self.findings)

    def __repr__(self) -> str:
        e, w, s = len(self.errors), len(self.warnings), len(self.suggestions)
        return f"<Report ok={self.ok} errors={e} warnings={w} suggestions={s}>"

    def _repr_html_(self) -> str:
        from .display import report_html
        return report_html(self)


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
        self._lines: list[str] = core.lines
        self._funders: list[str] = core.funders
        self._groups: list[str] = core.groups
        self._line_groups: list[int] = core.line_groups
        self._cents_per_unit: int = core.unit
        #: the text printed above the table's header (a title such as "PLAN ... 2009")
        self.title: str = core.title
        #: where a convention's text gives this plan (an essconv.convention.Source), if known
        self.source: Any = None

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
        g = self._line_groups[self._line_index(line)]
        return self._groups[g] if g >= 0 else None

    def lines_of(self, axis: str) -> list[str]:
        """The lines printed under an axis.

        Example: ``plan.lines_of("Structurer le secteur de l'ESS")`` -> ``['PLDESS', 'Structures accompagnement']``
        """
        if axis not in self._groups:
            raise UnknownLabelError(f"no axis {axis!r} in this plan; it has {self._groups}")
        g = self._groups.index(axis)
        return [l for l, lg in zip(self._lines, self._line_groups) if lg == g]

    def _line_index(self, line: str | int | tuple[str, str]) -> int:
        if isinstance(line, int):
            if not 0 <= line < len(self._lines):
                raise IndexError(f"line {line} out of range (0..{len(self._lines) - 1})")
            return line
        if isinstance(line, tuple):
            axis, label = line
            for i, (l, g) in enumerate(zip(self._lines, self._line_groups)):
                if l == label and g >= 0 and self._groups[g] == axis:
                    return i
            raise UnknownLabelError(f"no line {label!r} under {axis!r}")
        matches = [i for i, l in enumerate(self._lines) if l == line]
        if len(matches) == 1:
            return matches[0]
        if not matches:
            near = _closest(line, self._lines)
            hint = f"; did you mean {near!r}?" if near else ""
            raise UnknownLabelError(f"no line {line!r} in this plan{hint}")
        raise UnknownLabelError(f"the line {line!r} appears under several axes: name it as "
                                f"(axis, line)")

    def _funder_index(self, funder: str | int) -> int:
        if isinstance(funder, int):
            if not 0 <= funder < len(self._funders):
                raise IndexError(f"funder {funder} out of range")
            return funder
        if funder in self._funders:
            return self._funders.index(funder)
        near = _closest(funder, self._funders)
        hint = f"; did you mean {near!r}?" if near else ""
        raise UnknownLabelError(f"no funder {funder!r} in this plan{hint}")

    # ------------------------------------------------------------------ cells
    def _dec(self, cents: int) -> Decimal:
        return from_cents(cents, self.unit)

    def _stated(self, cell: tuple) -> Decimal | None:
        state, cents = cell[0], cell[1]
        return self._dec(cents) if state == _STATE_VALUE else None

    def cell(self, line: str | int | tuple[str, str], funder: str | int) -> Decimal | None:
        """The amount at (line, funder) in the plan's unit; None for a blank cell (and for an
        unreadable one: see :meth:`cell_text` and ``validate()``)."""
        return self._stated(self._core.cell(self._line_index(line), self._funder_index(funder)))

    def cell_text(self, line: str | int | tuple[str, str], funder: str | int) -> str | None:
        """The cell exactly as printed; None when blank.

        Example: ``plan.cell_text("DLA", "CDC")`` -> ``'274'``
        """
        return self._core.cell(self._line_index(line), self._funder_index(funder))[2]

    def cell_place(self, line: str | int | tuple[str, str], funder: str | int) -> tuple[int, int]:
        """(line, column) of the cell in the source file, 1-based.

        Example: ``plan.cell_place("Observatoire CRESS", "CDC")`` -> ``(3, 30)``
        """
        c = self._core.cell(self._line_index(line), self._funder_index(funder))
        return c[3], c[4]

    def __getitem__(self, key: tuple) -> Decimal | None:
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
    def total(self) -> Decimal:
        """The sum of every cell, exact.

        Example: ``essconv.default().plan(2009).total()`` -> ``Decimal('8105')``
        """
        return self._dec(self._core.total())

    def by_funder(self) -> dict[str, Decimal]:
        """The sum of each funder's column.

        Example: ``plan.by_funder()["CDC"]`` -> ``Decimal('1240')``
        """
        return {f: self._dec(self._core.funder_sum(j)) for j, f in enumerate(self._funders)}

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

    def by_axis(self) -> dict[str, Decimal]:
        """The sum of each axis (group) of lines.

        Example: ``plan.by_axis()["Structurer le secteur de l'ESS"]`` -> ``Decimal('1890')``
        """
        return {g: self._dec(self._core.group_sum(k)) for k, g in enumerate(self._groups)}

    def shares(self, by: str = "funder") -> dict[str, Decimal]:
        """Each funder's (or line's, or axis's) share of the total, in percent, exact to 0.01.

        Example: ``plan.shares()["CR-NPDC"]`` -> ``Decimal('50.29')``
        """
        parts = {"funder": self.by_funder, "line": self.by_line, "axis": self.by_axis}[by]()
        total = self.total()
        if total == 0:
            return {k: Decimal(0) for k in parts}
        return {k: (v * 100 / total).quantize(Decimal("0.01")) for k, v in parts.items()}

    def by_party(self, convention: "Convention") -> dict[str, Decimal]:
        """Funders rolled up to the convention's parties (DRTEFP + DRASS -> the State); a
        funder the convention does not know stays under its own code.

        Example: ``plan.by_party(conv)["ETAT"]`` -> ``Decimal('739')``
        """
        cents: dict[str, int] = {}
        for j, f in enumerate(self._funders):
            party = convention.party_of(f)
            key = party.code if party else f
            cents[key] = _core.checked_sum([cents.get(key, 0), self._core.funder_sum(j)])
        return {k: self._dec(v) for k, v in cents.items()}

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
    def stated_line_totals(self) -> dict[str, Decimal | None]:
        """Each line's total as printed; None when missing or unreadable.

        Example: ``plan.stated_line_totals["Structures accompagnement"]`` -> ``None`` (printed "1 2618")"""
        return {l: self._stated(self._core.cell(i, _core.AT_TOTAL))
                for i, l in enumerate(self._lines)}

    @property
    def stated_funder_totals(self) -> dict[str, Decimal | None]:
        """Each funder's total as printed in the Total row; None when missing or unreadable.

        Example: ``plan.stated_funder_totals["CDC"]`` -> ``Decimal('1250')``"""
        return {f: self._stated(self._core.cell(_core.AT_TOTAL, j))
                for j, f in enumerate(self._funders)}

    # ------------------------------------------------------------------ validation
    def validate(self, convention: "Convention | None" = None, *, max_faults: int = 3) -> Report:
        """Check every stated total against the cells; when they disagree, rank the smallest
        explanations: the fewest edits (up to ``max_faults``, 1 to 6) -- a blank or wrong cell,
        a value in the wrong column, a mistyped total -- that make every total agree, then the
        most plausible by their digits.  Several edits come as one ``correction-set``; when
        several explanations fit equally, an ``ambiguity`` (or ``too-many-explanations``)
        finding lists them instead of letting the first pass for the answer; when none that
        small exists, ``unexplained`` says how many edits it would take at least.
        With a convention, also report the funder columns it does not know.

        Example: ``[f.code for f in plan.validate()]`` -> ``['row-total', 'malformed-number', 'column-total', 'grand-total', 'cell-correction']``
        """
        raw = self._core.validate(max_faults=max_faults)
        findings = [self._finding(t) for t in raw]
        if convention is not None:
            for t in self._core.check_funders(convention._core):
                findings.append(self._unknown_funder(t, convention))
        order = {"error": 0, "warning": 1, "info": 2}
        findings.sort(key=lambda f: (order[f.severity], f.rank))
        return Report(findings, self)

    def _label(self, index: int, labels: list[str]) -> str | None:
        if index == _core.AT_TOTAL:
            return TOTAL
        if index == _core.AT_NONE or index < 0:
            return None
        return labels[index]

    def _edit(self, t: tuple) -> Finding:
        kind, _set, line, funder, target, expected, actual, evidence, sline, scol = t
        f = Finding(code=_EDIT_CODES[kind], severity="info", message="",
                    line=self._label(line, self._lines), funder=self._label(funder, self._funders),
                    expected=self._dec(expected), actual=None if actual is None else self._dec(actual),
                    source_line=sline or None, source_column=scol or None,
                    target=self._label(target, self._funders) if target >= 0 else None,
                    path=self.path, group=self.axis_of(line) if line >= 0 else None,
                    evidence=evidence)
        why = "moved" if kind == 2 else _EVIDENCE.get(evidence, "other")
        return replace(f, message=f"{f.suggestion} ({why})")

    def _finding(self, t: tuple) -> Finding:
        (code, _severity, line, funder, target, expected, actual, sline, scol, rank, message,
         edits, count, count_exact, faults, partial) = t
        parts = [(e[1], self._edit(e)) for e in edits]
        sets: dict[int, list[Finding]] = {}
        for k, part in parts:
            sets.setdefault(k, []).append(part)
        name, severity_name, scope, _correctable = _KINDS[code]
        # a verdict counts explanations: its edits are candidates, not corrections
        verdict = scope == "explanations"
        # a total of a whole line or column is about that line or column, not a "Total" cell
        line_label = self._label(line, self._lines) if scope in ("cell", "line") else None
        funder_label = self._label(funder, self._funders) if scope in ("cell", "funder") else None
        return Finding(
            code=name, severity=severity_name, message=message,
            line=line_label, funder=funder_label,
            expected=None if expected is None else self._dec(expected),
            actual=None if actual is None else self._dec(actual),
            source_line=sline or None, source_column=scol or None,
            target=self._label(target, self._funders) if target >= 0 else None,
            rank=rank, path=self.path,
            group=self.axis_of(line) if line >= 0 else None,
            corrections=() if verdict else tuple(p for _, p in parts),
            candidates=tuple(tuple(v) for v in sets.values()) if verdict else (),
            count=count if verdict else None, count_exact=bool(count_exact) or not verdict,
            faults=faults or None, partial=bool(partial))

    def _unknown_funder(self, t: tuple, convention: "Convention") -> Finding:
        funder = self._funders[t[3]]
        message = f"The column {funder!r} is not a party of the convention."
        near = convention.nearest_party(funder)
        if near is not None:
            message += (f" It is one edit away from {near.code!r} ({near.name}): a typo for it?")
        else:
            other = convention.other_funder(funder)
            if other is not None:
                message += f" It may be {other[0]!r} ({other[1]}), which is not a party."
        return Finding(code="unknown-funder", severity="warning", message=message, funder=funder,
                       target=near.code if near else None, path=self.path)

    # ------------------------------------------------------------------ corrections
    def with_corrections(self, findings: "Report | Iterable[Finding]") -> "Plan":
        """A corrected copy: applies each fix (``cell-correction``, ``cell-move``,
        ``total-correction``, and ``malformed-number`` with a known value).  Given a Report,
        applies its :meth:`Report.best_corrections`.  Never silent: two fixes that disagree on
        a cell raise ValueError, and findings without a fix are refused."""
        if isinstance(findings, Report):
            findings = findings.best_corrections()
        findings = [c for f in findings
                    for c in (f.corrections if f.code == "correction-set" else (f,))]
        edits: dict[tuple[int, int], int | None] = {}

        def put(i: int, j: int, cents: int | None, f: Finding) -> None:
            if (i, j) in edits and edits[(i, j)] != cents:
                raise ValueError(f"two corrections disagree on {f.line} x {f.funder}")
            edits[(i, j)] = cents

        for f in findings:
            if f.code in ("cell-correction", "total-correction", "malformed-number"):
                if f.expected is None:
                    raise ValueError(f"{f.code} on {f.line} x {f.funder} carries no value to apply")
                i = _core.AT_TOTAL if f.line in (None, TOTAL) else self._line_index(
                    (f.group, f.line) if f.group and self._lines.count(f.line) > 1 else f.line)
                j = _core.AT_TOTAL if f.funder in (None, TOTAL) else self._funder_index(f.funder)
                put(i, j, to_cents(f.expected, self.unit), f)
            elif f.code == "cell-move":
                i = self._line_index((f.group, f.line) if f.group and self._lines.count(f.line) > 1
                                     else f.line)
                j, k = self._funder_index(f.funder), self._funder_index(f.target)
                existing = self._core.cell(i, k)
                put(i, j, None, f)
                put(i, k, _core.checked_sum([existing[1], to_cents(f.actual, self.unit)]), f)
            else:
                raise ValueError(f"a {f.code} finding is not a correction")
        core = self._core.copy()
        for (i, j), cents in edits.items():
            core.set_cell(i, j, cents)
        return Plan(core, year=self.year, path=self.path, encoding=self.encoding,
                    delimiter=self.delimiter)

    # ------------------------------------------------------------------ export
    def to_rows(self, *, totals: bool = True, as_printed: bool = False) -> list[list[str]]:
        """The plan as a table of strings (header first), French digits, in its unit.

        Example: ``plan.to_rows()[0][:3]`` -> ``['en k€', '', 'CR-NPDC']``
        """
        def text(cell: tuple) -> str:
            if as_printed:
                return cell[2] or ""
            return "" if cell[0] != _STATE_VALUE else _core.format_amount(
                cell[1], self._cents_per_unit, " ", ",", -1)

        grouped = bool(self._groups)
        header = [f"en {self.unit}"] + ([""] if grouped else []) + self.funders
        if totals:
            header.append(TOTAL)
        rows = [header]
        previous = None
        for i, line in enumerate(self._lines):
            row = []
            if grouped:
                g = self.axis_of(i) or ""
                row.append(g if g != previous else "")
                previous = g
            row.append(line)
            row += [text(self._core.cell(i, j)) for j in range(len(self._funders))]
            if totals:
                stated = self._core.cell(i, _core.AT_TOTAL)
                row.append(text(stated) if stated[0] else "")
            rows.append(row)
        if totals:
            row = [TOTAL] + ([""] if grouped else [])
            row += [text(self._core.cell(_core.AT_TOTAL, j)) for j in range(len(self._funders))]
            row.append(text(self._core.cell(_core.AT_TOTAL, _core.AT_TOTAL)))
            rows.append(row)
        return rows

    def to_tsv(self, **kw: Any) -> str:
        """The plan as TSV text (see :meth:`to_rows` for the options).

        Example: ``open("plan.tsv", "w").write(plan.to_tsv())``
        """
        return "".join("\t".join(r) + "\n" for r in self.to_rows(**kw))

    def to_dict(self) -> dict[str, Any]:
        """A JSON-ready description: amounts as strings (exact), never floats.

        Example: ``json.dumps(plan.to_dict())``
        """
        return {
            "year": self.year, "unit": self.unit, "funders": self.funders, "lines": [
                {"axis": self.axis_of(i), "line": l,
                 "cells": {f: _str(self.cell(i, f)) for f in self._funders},
                 "stated_total": _str(self._stated(self._core.cell(i, _core.AT_TOTAL)))}
                for i, l in enumerate(self._lines)],
            "stated_funder_totals": {k: _str(v) for k, v in self.stated_funder_totals.items()},
            "stated_total": _str(self.stated_total),
            "total": str(self.total()),
        }

    def to_pandas(self) -> Any:
        """A DataFrame (lines x funders, object dtype of Decimal; blanks as None).

        Example: ``plan.to_pandas().loc[("Soutenir la création d'activité", "DLA"), "CDC"]`` -> ``Decimal('274')``
        """
        try:
            import pandas as pd
        except ImportError as exc:  # pragma: no cover - depends on the extra
            raise MissingExtraError("to_pandas needs pandas: pip install 'essconv[pandas]'") from exc
        index = pd.MultiIndex.from_tuples([(self.axis_of(i), l) for i, l in enumerate(self._lines)],
                                          names=["axis", "line"])
        data = [[self.cell(i, f) for f in self._funders] for i in range(len(self._lines))]
        return pd.DataFrame(data, index=index, columns=self.funders, dtype=object)

    def to_parquet(self, path: Any) -> None:
        """The matrix as a long Parquet table, one row per non-blank cell: axis, line, funder,
        amount (decimal128(38, 2), exact, in the plan's unit, which the file's metadata keeps).
        Pivots of ledgers export this way too.

        Example: ``ledger.pivot(rows="annee", columns="financeur").to_parquet("pivot.parquet")``
        """
        try:
            import pyarrow as pa
        except ImportError as exc:  # pragma: no cover - depends on the extra
            raise MissingExtraError("Parquet needs pyarrow: pip install 'essconv[parquet]'") from exc
        from .ledger import _write_parquet
        cells = list(self._indexed_cells())
        table = pa.table({
            "axis": pa.array([self.axis_of(i) for i, _, _, _ in cells], pa.string()),
            "line": pa.array([line for _, line, _, _ in cells], pa.string()),
            "funder": pa.array([funder for _, _, funder, _ in cells], pa.string()),
            "amount": pa.array([amount for _, _, _, amount in cells], pa.decimal128(38, 2)),
        }).replace_schema_metadata({"essconv.unit": self.unit})
        _write_parquet(table, path, None)

    # ------------------------------------------------------------------ display
    def __repr__(self) -> str:
        year = f" {self.year}" if self.year else ""
        try:
            total = f"total {self.format(self.total())} {self.unit}"
        except MoneyOverflowError:   # a repr shows what is there, the overflow included
            total = "total beyond int64 cents (overflow)"
        return f"<Plan{year}: {len(self._lines)} lines x {len(self._funders)} funders, {total}>"

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
        return _core.format_amount(to_cents(amount, self.unit), self._cents_per_unit, " ", ",", -1)

    def __str__(self) -> str:
        from .display import plan_text
        return plan_text(self)

    def _repr_html_(self) -> str:
        from .display import plan_html
        return plan_html(self)


_EVIDENCE = {0: "unreadable", 1: "blank", 2: "digits transposed", 3: "one digit", 5: "other"}


def _plausibility(edits: tuple[Finding, ...]) -> int:
    """The sum of the edits' evidence: what ranks explanations of the same size (lower first)."""
    return sum(e.evidence or 0 for e in edits)


def _restore_plan(state: tuple, attributes: dict[str, Any]) -> Plan:
    plan = Plan.__new__(Plan)
    plan.__dict__.update(attributes)
    plan._core = _core.Plan.from_state(state)
    return plan


def _str(value: Decimal | None) -> str | None:
    return None if value is None else str(value)


def _closest(word: str, choices: list[str]) -> str | None:
    best, best_d = None, 3
    for c in choices:
        d = _core.Convention.edit_distance(word.lower(), c.lower(), 3)
        if d < best_d:
            best, best_d = c, d
    return best


_YEAR = re.compile(r"(?<!\d)(19[5-9]\d|20\d\d)(?!\d)")


def _read_source(source: Source) -> tuple[bytes, str | None, bool]:
    """(bytes, path or None, text_was_given)"""
    if isinstance(source, (str, os.PathLike)):
        path = os.fspath(source)
        return read_path(path), path, False
    if isinstance(source, bytes):
        return source, None, False
    name = getattr(source, "name", None)
    data = source.read()
    if isinstance(data, str):
        return data.encode("utf-8"), name if isinstance(name, str) else None, True
    return bytes(data), name if isinstance(name, str) else None, False


def read_plan(source: Source, *, year: int | None = None, unit: str | None = None,
              encoding: str | None = None, delimiter: str | None = None,
              decimal: str | None = None, dash_is_zero: bool = False) -> Plan:
    """Read a financing plan as printed: TSV/CSV (any of ``;``, tab, ``,``, ``|``; UTF-8 with or
    without BOM, CP1252, UTF-16) or ``.xlsx`` (with the ``xlsx`` extra).

    Encoding, delimiter and unit ("en K€" in the header) are detected when not given.  A blank
    axis cell carries the axis above it down.  The Total row and column are recognised by their
    label and may be absent.  The year comes from ``year``, else from the file name, else from
    a title above the table.  ``decimal='.'`` reads English amounts, ``decimal=','`` French ones;
    when it is not given, a point followed by three digits ("12.500") is read as the table's
    other amounts say (a decimal point elsewhere, or points grouping thousands), and a table
    where nothing says which is refused.  ``dash_is_zero=True`` reads a lone dash ("-", "—")
    as 0 instead of reporting it.

    A table broken in structure raises :class:`essconv.PlanFormatError` listing every problem
    of the file; unreadable amounts do not stop the read (``validate()`` reports them).

        >>> plan = read_plan(io.BytesIO("en k€;CDC;Total\\nDLA;274;274\\n".encode()))
        >>> plan.cell("DLA", "CDC"), plan.unit
        (Decimal('274'), 'k€')
    """
    data, path, was_text = _read_source(source)
    if year is None and path:
        m = _YEAR.search(Path(path).name)
        year = int(m.group(1)) if m else None
    if path and path.lower().endswith((".xlsx", ".xlsm")):
        from .xlsx import read_plan_xlsx
        return read_plan_xlsx(path, year=year, unit=unit, decimal=decimal or ",",
                              dash_is_zero=dash_is_zero)
    if data[:4] == b"PK\x03\x04":
        from .xlsx import read_plan_xlsx
        return read_plan_xlsx(io.BytesIO(data), year=year, unit=unit, decimal=decimal or ",",
                              path=path,
                              dash_is_zero=dash_is_zero)
    enc_key = (encoding or "auto").lower() if not was_text else "utf-8"
    if enc_key not in _ENCODINGS:
        raise ValueError(f"unknown encoding {encoding!r}: expected one of "
                         f"{sorted(k for k in _ENCODINGS if k)}")
    if delimiter is not None and len(delimiter) != 1:
        raise ValueError(f"a delimiter is one character, not {delimiter!r}")
    base = unit_cents(unit) if unit else None
    kwargs: dict[str, Any] = {"encoding": _ENCODINGS[enc_key], "dash_is_zero": dash_is_zero}
    if decimal:   # else the table's amounts decide what a point means ("12.500")
        kwargs["decimal"] = decimal
    if delimiter:
        kwargs["delimiter"] = delimiter
    if base:
        kwargs["unit"] = base
    try:
        (core, problems, error, eline, ecol), used_enc, used_delim = _core.Plan.from_bytes(
            data, **kwargs)
    except ValueError as exc:   # undecodable bytes, NUL: the core names line and column
        raise PlanFormatError(str(exc), path=path,
                              line=getattr(exc, "line", 0), column=getattr(exc, "column", 0),
                              problems=[Problem(getattr(exc, "line", 0), getattr(exc, "column", 0),
                                                str(exc), True)]) from None
    if used_enc == "utf-8 + cp1252":
        _warn_if_mixed(data, path)
    return _finish(core, problems, error, eline, ecol, path=path, year=year, encoding=used_enc,
                   delimiter=used_delim)


def _finish(core: Any, problems: list, error: str | None, eline: int, ecol: int, *,
            path: str | None, year: int | None, encoding: str | None,
            delimiter: str | None) -> Plan:
    probs = sorted((Problem(l, c, m, s) for (l, c, m, s) in problems),
                   key=lambda p: (p.line, p.column))
    if core is None:
        raise PlanFormatError(error or "unreadable table", path=path, line=eline, column=ecol,
                              problems=probs or [Problem(eline, ecol, error or "", True)])
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
    for r, row in enumerate(rows, start=1):
        out = []
        for c, value in enumerate(row, start=1):
            if isinstance(value, tuple):
                value, line, column = value
            else:
                line, column = r, c
            out.append((_cell_text(value), line, column))
        cells.append(out)
    base = unit_cents(unit) if unit else None
    kwargs: dict[str, Any] = {"decimal": decimal, "dash_is_zero": dash_is_zero}
    if base:
        kwargs["unit"] = base
    core, problems, error, eline, ecol = _core.Plan.from_rows(cells, **kwargs)
    return _finish(core, problems, error, eline, ecol, path=path, year=year, encoding=None,
                   delimiter=None)


def _cell_text(value: Any) -> str | None:
    if value is None:
        return None
    if isinstance(value, float):
        # a spreadsheet stores numbers as binary floats; its displayed value is what the
        # partners read.  repr() gives the shortest text that reads back to the same float,
        # which is the printed figure for any amount with at most 15 significant digits.
        text = repr(value)
        if "e" in text or "E" in text:
            text = format(Decimal(text), "f")
        return text.replace(".", ",")
    if isinstance(value, Decimal):
        return format(value, "f").replace(".", ",")
    return str(value)


__all__ = ["Finding", "Plan", "Report", "read_plan", "plan_from_rows", "TOTAL"]
