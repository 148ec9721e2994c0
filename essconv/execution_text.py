"""An execution (planned versus paid) in words: the rows, notes, cells and accounting lines
every view of it prints -- the text report, the notebook's HTML (essconv.display), the dashboard
and the plot -- in the committee's language.

A view floor below the models: it reads an execution only through its attributes (``year``,
``table(dim)``, ``unplaced(dim)``, ``accounting``, ``unmapped``...) and never imports
essconv.execution, so that ``Execution.text`` and ``Execution._repr_html_`` reach down to it.
essconv.report re-exports these functions.
"""
from __future__ import annotations

import heapq
from decimal import Decimal
from operator import attrgetter, itemgetter
from typing import Any

from .messages import Language, view_label
from .money import format_amount


def execution_lines(ex: Any, t: Language) -> list[str]:
    """Planned versus paid, and where every grant record went (none ignored without a word),
    as lines of the text report."""
    out = [t.text("execution_table", year=ex.year), *execution_notes(ex, t)]
    undefined = not_significant = False
    for dim in ("party", "axis"):
        out.append(t.text("by_dim", dim=t.text(f"dim_{dim}")))
        # as the notebook's view: what the dimension cannot place, then the Total, so that the
        # rows printed add up to it (the axes' paid column read 0 where a party's grants were
        # on no line of the plan, with no line saying where the money went)
        # the Total row is every funder's: computed whatever the dimension
        rows = [(row_label(dim, k, t, ex), p, q, r, ex.computed(dim))
                for k, p, q, r in execution_rows(ex, dim, t)]
        rows.append(("Total", ex.total_planned, ex.total_paid, ex.total_rate, True))
        planned = amount_cells(t, [p for _l, p, _q, _r, _c in rows])
        paid = amount_cells(t, [q for _l, _p, q, _r, _c in rows])
        for (label, p, q, r, computed), p_cell, q_cell in zip(rows, planned, paid):
            label = view_label(label)   # a line of 10 000 characters pushed the figures away
            undefined |= r is None and computed and p >= 0
            not_significant |= r is None and computed and p < 0
            # a dimension not computed says so once, under paid: its rate column left blank,
            # where "non calculé non calculé" ran over the rate's 8 characters into one phrase
            rate = rate_cell(t, r, computed, p) if computed else ""
            out.append(f"  {label:<40} {p_cell:>14} {q_cell:>14} {rate:>8}".rstrip())
    out += rate_legends(t, undefined, not_significant)
    return out + accounting_lines(ex, t)


def execution_rows(ex: Any, dim: str, t: Language) -> list[tuple[Any, Decimal, Decimal | None,
                                                                  Decimal | None]]:
    """The rows of a view by ``dim``: the table, then what the dimension cannot place (a
    party's records on no line of the plan), labelled so, as every view shows it."""
    rows = list(ex.table(dim))
    rest = ex.unplaced(dim)
    if rest is not None:
        rows.append((_Unplaced(t.text("exec_unplaced")), *rest))
    return rows


class _Unplaced(str):
    """The label of the row of what a dimension cannot place: row_label shows it as is (a
    line of the plan could bear its words)."""


def execution_notes(ex: Any, t: Language) -> list[str]:
    """What a view of an execution says above its tables: that no column placed the payments
    on the plan's lines, when none did (every axis then read "0,0 %", under "matched")."""
    if ex.computed("line"):
        return []
    if ex.missing_line_column:
        return [t.text("exec_no_line_column", column=t.quote(ex.missing_line_column))]
    return [t.text("exec_no_line_column_asked")]


def amount_cells(t: Language, values: list[Decimal | None]) -> list[str]:
    """The euros of one column of an execution table, its Total row included, with one number
    of decimals: two as soon as one has cents ("1 234 567,89" over "0" and "5 000" read as
    two kinds of number); "non calculé" / "not computed" where no column placed a payment."""
    shown = iter(t.column([v for v in values if v is not None], with_unit=False))
    return [paid_cell(t, None) if v is None else next(shown) for v in values]


def paid_cell(t: Language, paid: Decimal | None) -> str:
    """A paid amount, or "non calculé" / "not computed" where no column placed it."""
    return t.text("not_computed") if paid is None else t.number(paid)


def rate_cell(t: Language, rate: Decimal | None, computed: bool = True,
              planned: Decimal | None = None) -> str:
    """A rate: "n.d." / "n/a" where nothing was planned (undefined -- a blank read as a rate
    left out, 0 % or 100 % as a verdict), "n.s." where the ``planned`` amount is negative (not
    significant: "-25,0 %" read as a verdict), "non calculé" / "not computed" where no column
    placed the payments."""
    if not computed:
        return t.text("not_computed")
    if rate is None:
        negative = planned is not None and planned < 0
        return t.text("rate_not_significant" if negative else "rate_undefined")
    return t.percent(rate)


def rate_mark(t: Language, rate: Decimal | None, planned: Decimal) -> str:
    """A rate as a chart's label says it: the % or, in words, why there is none."""
    if rate is not None:
        return t.percent(rate)
    return t.text("rate_not_significant_long" if planned < 0 else "rate_undefined_long")


def rate_legends(t: Language, undefined: bool, not_significant: bool) -> list[str]:
    """The legends of the marks a table printed in place of a rate ("n.d.", "n.s.")."""
    return ([t.text("rate_undefined_legend")] if undefined else []) + (
        [t.text("rate_not_significant_legend")] if not_significant else [])


#: the unmapped funders (and the records on no line) the account names one by one; the others
#: are counted on one line
SHOWN_FUNDERS = 5


def accounting_lines(ex: Any, t: Language) -> list[str]:
    """Every record accounted for: matched, outside the year, unmapped (who and how much).
    Counts grouped as the language groups figures ("20 000", "20,000"): a file's records run
    to millions, and "Enregistrements : 20000" was read digit by digit."""
    a = ex.accounting
    if a is None:
        return []
    # one line a funder: the groups are (funder, line), and a funder's first group printed
    # alone read as all it paid ("'Fondation X': 1 record(s), 100 €" of its 6 records, 450 €)
    groups = [u for u in ex.unmapped if u.reason == "no-party"]
    funders = {u.funder for u in groups}
    # only the 5 largest are shown: picked in one pass (heapq.nlargest keeps sorted()'s order,
    # ties in the order met), where sorting 200 000 funders foreign to the convention took
    # most of a second for five lines
    if len(funders) == len(groups):
        # a group a funder (the usual file of many unknown funders): nothing to merge
        no_party = [(u, u.records, u.amount) for u in
                    heapq.nlargest(SHOWN_FUNDERS, groups, key=attrgetter("amount"))]
    else:
        merged: dict[Any, list[Any]] = {}
        for u in groups:
            m = merged.get(u.funder)
            if m is None:
                merged[u.funder] = [u, u.records, u.amount]
            else:
                m[1] += u.records
                m[2] += u.amount
        no_party = heapq.nlargest(SHOWN_FUNDERS, merged.values(), key=itemgetter(2))
    said_no_line = bool(getattr(a, "no_line", 0))
    no_line = [u for u in ex.unmapped if u.reason == "no-line"] if said_no_line else []
    no_line_shown = heapq.nlargest(SHOWN_FUNDERS, no_line, key=lambda u: u.amount)
    # the amounts the account shows, in one format as a column's: two decimals for every one
    # as soon as one has cents ("1 (200 000 €)" read beside "618 000,50 €" and "0 €")
    shown = [a.amount, a.matched_amount, a.outside_amount, a.unmapped_amount,
             *([a.no_line_amount] if said_no_line else []), *(m[2] for m in no_party),
             *(u.amount for u in no_line_shown)]
    cents = any(Decimal(v) != Decimal(v).to_integral_value() for v in shown)

    def eur(value: Decimal) -> str:
        if not cents:
            return t.amount(value, "€")
        return f"{format_amount(value, group=t.group, decimal=t.decimal, decimals=2)}{t.unit_space}€"
    outside = t.counted("acc_outside", a.outside_year, year=ex.year, amount=eur(a.outside_amount))
    if a.years:
        outside += ", " + t.text("acc_dated", years=", ".join(map(str, a.years)))
    if a.undated:
        outside += ", " + t.counted("acc_undated", a.undated)
    matched = "acc_matched" if getattr(a, "on_lines", True) else "acc_matched_party"
    out = [t.counted("acc_records", a.records, amount=eur(a.amount)),
           "  " + t.counted(matched, a.matched, amount=eur(a.matched_amount)),
           "  " + outside,
           "  " + t.counted("acc_unmapped", a.unmapped, amount=eur(a.unmapped_amount))]
    for u, records, amount in no_party:
        who = t.quote(view_label(record_label(u.funder, t)))
        if getattr(u, "plan_column", False):   # Annex 1 prints it; no party bears it
            who += f" ({t.text('acc_plan_column')}"
            who += f"{t.say(' ; ', '; ')}{t.text('acc_probably', code=u.probably)})" if u.probably else ")"
        elif getattr(u, "could_be", ()):   # a name two parties share: which one is not guessed
            who += f" ({t.text('acc_could_be', codes=', '.join(u.could_be))})"
        out.append("    " + t.counted("acc_who", records, who=who, amount=eur(amount)))
    if len(funders) > SHOWN_FUNDERS:
        out.append("    " + t.counted("acc_more", len(funders) - SHOWN_FUNDERS))
    # a party's records on a line the plan does not have: said, with their lines and amounts
    # (they were counted as matched without a word)
    if said_no_line:
        out.insert(2, "  " + t.counted("acc_no_line", a.no_line, amount=eur(a.no_line_amount)))
        for j, u in enumerate(no_line_shown):
            out.insert(3 + j, "    " + t.counted("acc_line_who", u.records,
                                                 who=f"{view_label(record_label(u.funder, t))} / "
                                                     f"{t.quote(view_label(record_label(u.line, t)))}",
                                                 amount=eur(u.amount)))
        if len(no_line) > SHOWN_FUNDERS:
            out.insert(3 + SHOWN_FUNDERS, "    " + t.counted("acc_more", len(no_line) - SHOWN_FUNDERS))
    if a.set_aside:
        out.append("  " + t.counted("acc_set_aside", a.set_aside))
    if a.records and not a.matched:
        out.append("  " + t.text("nothing_matched", year=ex.year) + t.colon
                   + t.say(" ; ", "; ").join(nothing_matched_reasons(ex, t)) + ".")
    return out


def row_label(dim: str, key: Any, t: Language, ex: Any = None) -> str:
    """A row of an execution view as the committee reads it: the lines under no axis (keyed
    "—") "hors axe" / "under no axis", as the plan's report says -- the records on no line of
    the plan are another row, "sur aucune ligne du plan"; an axis essconv keyed "Axe 2" is
    "Axis 2" in English (``ex.axis_numbers``; a plan's own group label stays as printed); a
    line printed under two axes "Divers (Axe 1)", not a Python tuple."""
    if isinstance(key, _Unplaced):
        return str(key)
    if dim == "axis" and key == "—":
        return t.text("no_axis")
    numbers = getattr(ex, "axis_numbers", None) or {}
    if dim == "axis" and key in numbers:
        return f"{t.text('axis')} {numbers[key]}"
    if isinstance(key, tuple) and len(key) == 2:
        return f"{key[1]} ({key[0]})"
    return str(key)


def record_label(value: Any, t: Language) -> str:
    """A record's funder or line as the account prints it: a blank one is "(vide)" /
    "(blank)", not Python's "None" read as a funder's name."""
    return t.text("agg_blank") if value is None else str(value)


def nothing_matched_reasons(ex: Any, t: Language) -> list[str]:
    a, why = ex.accounting, []
    if a.outside_year:
        why.append(t.counted("nm_outside", a.outside_year, year=ex.year)
                   + (f" ({', '.join(map(str, a.years))})" if a.years else ""))
    if a.unmapped:
        # the first three names in order, without sorting every one of them
        funders = {u.funder for u in ex.unmapped if u.reason == "no-party"}
        who = ", ".join(heapq.nsmallest(3, {record_label(f, t) for f in funders}))
        why.append(t.counted("nm_unmapped", a.unmapped, who=who))
    if getattr(a, "no_line", 0):
        why.append(t.counted("nm_no_line", a.no_line))
    return why
