"""What validation finds and how it is reported: :class:`Finding`, :class:`Report`, and the
fields their JSON exports carry.

One room for one concept: the text report, the CLI, the .xlsx export, the displays and the
convention checks all read findings from here; :mod:`essconv.plan` builds them from what the
core found, :mod:`essconv.checks` from a convention's own consistency, and
:mod:`essconv.messages` words them in the committee's language.  Amounts are Decimal, in the
plan's unit, and leave as exact text (never a float).
"""
from __future__ import annotations

from dataclasses import dataclass, field, replace
from decimal import Decimal
from typing import Any, Iterable, Iterator

from .errors import AmbiguityError
# the words floor is below this one: its Total and sub-total labels, and the report's wording
from .messages import SUBTOTAL, TOTAL, language



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
    ``unexplained`` says in ``faults`` how many edits it would take at least;
    ``uncounted-line`` (every total holds without ``line``: typed twice, or left out of the
    totals) gives in ``actual`` what the line adds and in ``target`` the line it repeats, if any.
    A suggestion or a verdict names in ``kept_off`` the totals the search left out (their cells
    or their gap past int64 cents): "every total" it reconciles is every total but those.
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
    #: a convention finding's message in each language ({"fr": ..., "en": ...}), so that a
    #: display in either speaks it: conv.check() showed English in a notebook where a plan's
    #: report shows French
    wording: Any = field(default=None, compare=False, repr=False)
    #: a ``malformed-number``'s fault as the amount parser found it, for a listing to word it
    #: in its language as the English message says it: (detail, n, at, stray) -- detail names
    #: what is wrong ("group-after-separator", "character"...: the reader's amount details),
    #: n its number, at its character, stray the one character whose removal makes the cell
    #: read as expected ("" when none); None for other findings
    fault: Any = field(default=None, compare=False, repr=False)
    #: a suggestion or a verdict (and each edit of it): the stated totals' findings the search
    #: for explanations left out -- their cells, or their gap to them, past int64 cents
    #: (messages.kept_off_search) -- which no correction reconciles: its words claim "every
    #: total" but these, named
    kept_off: tuple["Finding", ...] = field(default=(), compare=False, repr=False)

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
        if self.code == "subtotal-correction":
            return f"{self.group} (sub-total) x {self.funder} = {self.expected}"
        if self.code in ("cell-correction", "total-correction") or (
                self.code == "malformed-number" and self.expected is not None):
            return f"{self.line} x {self.funder} = {self.expected}"
        return None

    def to_dict(self, message: str | None = None) -> dict[str, Any]:
        """The finding as every JSON export writes it (``essconv validate --format json``, the
        report's JSON): its place, amounts as exact text, ``message`` (a worded one, else its
        own) and :meth:`explanation_fields`.

        Example: ``plan.validate()[0].to_dict()["code"]`` -> ``'row-total'``
        """
        # group: the axis -- all a sub-total's finding has to say which axis row it is about
        return {"code": self.code, "severity": self.severity, "line": self.line,
                "funder": self.funder, "group": self.group, "target": self.target,
                "expected": amount_text(self.expected), "actual": amount_text(self.actual),
                "rank": self.rank, "source_line": self.source_line,
                "source_column": self.source_column,
                "message": self.message if message is None else message,
                **self.explanation_fields()}

    def explanation_fields(self) -> dict[str, Any]:
        """The fields of a multi-cell suggestion or of an ambiguity, JSON-ready (amounts as
        strings); empty for any other finding.  What the JSON exports add to a finding.

        Example: ``report.suggestions[0].explanation_fields()["corrections"][0]["expected"]``"""
        def edit(e: Finding) -> dict[str, Any]:
            return {"code": e.code, "line": e.line, "funder": e.funder, "group": e.group,
                    "target": e.target,
                    "expected": amount_text(e.expected), "actual": amount_text(e.actual),
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
        if self.kept_off:   # the totals it leaves as they are, as its message names them
            out["kept_off"] = [{"code": t.code, "line": t.line, "funder": t.funder}
                               for t in self.kept_off]
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
                elif e.code == "subtotal-correction":
                    out[(e.group, e.funder)] = e.expected   # the axis row's figure
                else:
                    out[(e.line, e.funder)] = e.expected
            return out
        a, b = values(self.candidates[0]), values(self.candidates[1])
        return [cell for cell in dict.fromkeys([*a, *b]) if a.get(cell) != b.get(cell)]

    @property
    def marked_cells(self) -> list[tuple[str | None, str | None]]:
        """The cells of the table a view marks for this finding, (line, funder) with the Total
        row and column named "Total": a line's, a column's or the grand total's stated cell,
        both cells of a move, an axis row's printed sub-total (``subtotal``,
        ``subtotal-correction``) as (:data:`SUBTOTAL`, funder) of the finding's ``group``, the
        finding's own cell otherwise.  The display, the heatmap and the .xlsx export place their
        marks from here.

        Example: ``plan.validate()[0].marked_cells`` -> ``[('Observatoire CRESS', 'Total')]``
        """
        if self.code in ("row-total", "uncounted-line"):
            return [(self.line, TOTAL)]
        if self.code == "column-total":
            return [(TOTAL, self.funder)]
        if self.code == "grand-total":
            return [(TOTAL, TOTAL)]
        if self.code == "cell-move":
            return [(self.line, self.funder), (self.line, self.target)]
        if self.code in ("subtotal", "subtotal-correction"):
            return [(SUBTOTAL, self.funder)]
        return [(self.line, self.funder)]

    def where(self) -> str:
        """``file:line:column`` of the finding's cell, as far as it is known."""
        parts = [self.path or "<plan>"]
        if self.source_line:
            parts.append(str(self.source_line))
            if self.source_column:
                parts.append(str(self.source_column))
        return ":".join(parts)

    def __str__(self) -> str:
        """Like a compiler: ``file:line:column: error[row-total]: message``.  The severity is
        the English word (``"info"`` is said "suggestion"): the count under a listing, the
        README and ``repr(report)`` call them suggestions; ``.severity`` keeps the code."""
        return (f"{self.where()}: {language('en').severity(self.severity)}[{self.code}]: "
                f"{self.message}")


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
            if getattr(self.plan, "lines", None) == []:
                # no line, no total to hold: said empty, as the HTML view says it
                pivot = getattr(self.plan, "dimensions", None) is not None   # a ledger's
                return language("en").text("pivot_empty" if pivot else "plan_empty")
            return "no finding: every total holds"
        return "\n".join(str(f) for f in self.findings)

    def __repr__(self) -> str:
        e, w, s = len(self.errors), len(self.warnings), len(self.suggestions)
        return f"<Report ok={self.ok} errors={e} warnings={w} suggestions={s}>"

    def _repr_html_(self) -> str:
        from .html_page import report_html   # a view below the findings: it only reads them
        return report_html(self)


def _plausibility(edits: tuple[Finding, ...]) -> int:
    """The sum of the edits' evidence: what ranks explanations of the same size (lower first)."""
    return sum(e.evidence or 0 for e in edits)


def amount_text(value: Decimal | None) -> str | None:
    """An amount as exact text for a JSON field (None stays None): ``"274.50"``, never a float.

    Example: ``amount_text(Decimal("274.50"))`` -> ``'274.50'``
    """
    return None if value is None else str(value)


__all__ = ["TOTAL", "SUBTOTAL", "Finding", "Report", "amount_text"]
