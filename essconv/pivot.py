"""Pivot matrices with margins at every level: axis subtotals, party subtotals, grand total.

pandas' ``pivot_table(margins=True)`` gives one "All" margin; analysts of a convention need the
subtotal of each axis (rows) and of each party (columns: DRTEFP + DRASS under the State) too.
The sums are done by the C core on int64 cents (``ess_plan_pivot``).

    >>> import essconv
    >>> conv = essconv.default()
    >>> m = conv.plan(2009).pivot(conv)
    >>> m.get(("axis", "Soutenir la création d'activité"), ("party", "ETAT"))
    Decimal('554')
    >>> m.get("total", "total")
    Decimal('8105')
"""
from __future__ import annotations

from collections import Counter
from decimal import Decimal
from typing import Any, Iterator

from .errors import ArgumentTypeError, UnknownLabelError

# Below the plan and the convention: they are read, never imported (the floors above).

RowKey = Any   # ("line", label) | ("axis", label) | "total"


def _checked_key(key: Any, argument: str, kinds: str) -> None:
    """Refuses a row or column key of no kind the pivot has: None escaped as "'NoneType'
    object is not subscriptable", ("line",) as "tuple index out of range", a list as
    "unhashable type".  A key of the right form that names nothing is an UnknownLabelError."""
    if isinstance(key, str):
        return
    if isinstance(key, tuple) and len(key) == 2 and isinstance(key[0], str):
        try:
            hash(key)
            return
        except TypeError:
            pass
    import reprlib
    raise ArgumentTypeError(f"{argument} must be {kinds}, not {type(key).__name__} "
                            f"{reprlib.repr(key)}")


class Pivot:
    """A plan's cells with every margin.  Rows are keyed ``("line", label)``, ``("axis",
    label)`` or ``"total"``; columns ``("funder", code)``, ``("party", code)`` or ``"total"``."""

    def __init__(self, plan: "Plan", convention: "Convention | None" = None) -> None:
        self.plan = plan
        self.unit = plan.unit
        funders = plan.funders
        party_codes, groups = (convention.party_groups(funders) if convention is not None
                               else ([], [-1] * len(funders)))
        self.parties = party_codes
        self._funder_party = {f: (party_codes[g] if g >= 0 else None) for f, g in zip(funders, groups)}
        cents = plan.margin_cents(groups)
        # a label that several axes print (a "Fonctionnement" line under each) is keyed by its
        # axis too, as by_line() keys it: keyed by its label alone, every such line showed the
        # last one's amounts
        repeated = {l for l, n in Counter(plan.lines).items() if n > 1}
        self._line_keys: list[RowKey] = [("line", (plan.axis_of(i), l) if l in repeated else l)
                                         for i, l in enumerate(plan.lines)]
        self.row_keys: list[RowKey] = (self._line_keys
                                       + [("axis", a) for a in plan.axes] + ["total"])
        self.column_keys: list[Any] = ([("funder", f) for f in funders]
                                       + [("party", p) for p in party_codes] + ["total"])
        self._cents = cents
        self._row_index = {k: i for i, k in enumerate(self.row_keys)}
        self._col_index = {k: j for j, k in enumerate(self.column_keys)}

    def get(self, row: RowKey, column: Any) -> Decimal:
        """The amount at a row and a column (either may be a margin), in the plan's unit."""
        from .money import from_cents
        _checked_key(row, "row", "a line label as a str, a ('line', label) or ('axis', label) "
                     "pair or 'total'")
        _checked_key(column, "column", "a funder label as a str, a ('funder', code) or "
                     "('party', code) pair or 'total'")
        row = ("line", row) if isinstance(row, str) and row != "total" else row
        column = ("funder", column) if isinstance(column, str) and column != "total" else column
        try:
            return from_cents(self._cents[self._row_index[row]][self._col_index[column]], self.unit)
        except KeyError as exc:
            if row not in self._row_index and row[0] == "line" and row[1] in self.plan.lines:
                keys = [k for k in self._line_keys if isinstance(k[1], tuple) and k[1][1] == row[1]]
                raise UnknownLabelError(f"the line {row[1]!r} is under several axes: say which, "
                                        f"{keys[0]!r}") from None
            raise UnknownLabelError(f"no row or column {exc.args[0]!r} in this pivot") from None

    def __iter__(self) -> Iterator[tuple[RowKey, Any, Decimal]]:
        for r in self.row_keys:
            for c in self.column_keys:
                yield r, c, self.get(r, c)

    def ordered_rows(self) -> list[RowKey]:
        """Rows as a reader expects them: each axis's lines, then that axis's subtotal."""
        plan = self.plan
        if not plan.axes:
            return self._line_keys + ["total"]
        by_axis: dict[int, list[RowKey]] = {}     # one pass: lines_of() per axis was O(lines)
        for key, g in zip(self._line_keys, plan.line_axis_indices):
            by_axis.setdefault(g, []).append(key)
        # lines printed above the first axis belong to none: shown first, as printed (they
        # were left out, and the rows shown no longer added up to the Total row)
        out: list[RowKey] = by_axis.get(-1, [])
        for g, axis in enumerate(plan.axes):
            out += by_axis.get(g, []) + [("axis", axis)]
        return out + ["total"]

    def ordered_columns(self) -> list[Any]:
        """Columns grouped by party: each party's funders, then the party subtotal."""
        members: dict[str | None, list[Any]] = {p: [] for p in self.parties}
        members[None] = []
        for f, q in self._funder_party.items():
            members[q].append(("funder", f))
        out: list[Any] = []
        for p in self.parties:
            out += members[p]
            if members[p] != [("funder", p)]:   # a party that is its only funder needs no subtotal
                out.append(("party", p))
        return out + members[None] + ["total"]

    def to_rows(self, lang: str = "fr") -> list[list[str]]:
        """A printable table in ``lang`` (French digits by default, ``lang="en"``: English),
        with the margins in reading order."""
        return self.table(self.ordered_rows(), self.ordered_columns(), lang=lang)

    def table(self, rows: list[Any], cols: list[Any], lang: str = "fr") -> list[list[str]]:
        """The printable table of these rows and columns (keys as in ``ordered_rows()`` and
        ``ordered_columns()``) in ``lang``: its unit heading ("en k€" / "in k€") and its
        figures ("1 261" / "1,261"); None stands for those a display leaves out."""
        from .messages import language
        from .money import format_amount
        for argument, keys, which in (("rows", rows, "row"), ("cols", cols, "column")):
            if isinstance(keys, (str, bytes)) or not hasattr(keys, "__iter__"):
                raise ArgumentTypeError(f"{argument} must be a list of {which} keys "
                                        f"(pivot.ordered_{which}s()), not "
                                        f"{type(keys).__name__} {keys!r}")
        rows, cols = list(rows), list(cols)
        words = language(lang)
        shown = {(r, c): self.get(r, c) for r in rows if r is not None
                 for c in cols if c is not None}   # each figure asked of the core once
        # one number of decimals for the whole table, as the plan's display takes them
        # (display._Layout.decimals): euros with cents in both cent digits ("1,50" over "3,00",
        # not "1,5" over "3"), k€ and M€ each as printed
        decimals = 2 if self.unit == "€" and any(
            v is not None and v != v.to_integral_value() for v in shown.values()) else -1
        group = " " if words.code == "fr" else words.group   # French: plain spaces, as the plan
        from .export import pivot_key_names, total_words
        plan = self.plan
        # a ledger pivot's missing key as the output's language says it ("(vide)")
        axes, lines, funders = pivot_key_names(plan, lang)
        said = {"axis": dict(zip(plan.axes, axes)), "line": dict(zip(plan.lines, lines)),
                "funder": dict(zip(plan.funders, funders))}
        total_row, total_column = total_words(
            list(plan.lines) + list(plan.axes), list(plan.funders) + list(self.parties),
            len(plan.lines), len(plan.funders), lang)

        def figure(value: Decimal | None) -> str:
            return "" if value is None else format_amount(
                value, unit=self.unit, group=group, decimal=words.decimal, decimals=decimals)
        def label(k: Any, total: str) -> str:
            if k is None:
                return "…"
            if k == "total":   # "Total (3 colonnes)" beside a column itself named "Total"
                return total
            kind, name = k
            if isinstance(name, tuple):   # (axis, line): the line shows under its axis
                name = name[1]
            name = said.get(kind, {}).get(name, name)
            return {"line": "  ", "axis": "= ", "funder": "", "party": "Σ "}[kind] + name
        out = [[words.text("in_unit", unit=self.unit)] + [label(c, total_column) for c in cols]]
        for r in rows:
            out.append([label(r, total_row)] + ["…" if r is None or c is None else
                                     figure(shown[r, c]) for c in cols])
        return out

    def text(self, lang: str = "fr") -> str:
        """The pivot as aligned text in ``lang`` (what ``str()`` gives in French).

        Example: ``print(conv.plan(2009).pivot(conv).text("en"))``"""
        from .display import pivot_text
        return pivot_text(self, lang=lang)

    def __str__(self) -> str:
        return self.text("fr")

    def __repr__(self) -> str:
        # what a terminal shows of plan.pivot(): the shape and the total, as a Plan's repr
        from .money import total_for_repr
        year = f" {self.plan.year}" if self.plan.year else ""
        # Decimal text, as every repr prints a total (the Python API is English)
        total = total_for_repr(lambda: f"{self.get('total', 'total')} {self.unit}")
        def many(count: int, one: str, more: str) -> str:   # "1 line", never "1 lines"
            return f"{count} {one if count == 1 else more}"
        axes = f" in {many(len(self.plan.axes), 'axis', 'axes')}" if self.plan.axes else ""
        parties = f" of {many(len(self.parties), 'party', 'parties')}" if self.parties else ""
        return (f"<Pivot{year}: {many(len(self._line_keys), 'line', 'lines')}{axes} x "
                f"{many(len(self.plan.funders), 'funder', 'funders')}{parties}, {total}>")

    def _repr_html_(self) -> str:
        from .display import pivot_html
        return pivot_html(self)
