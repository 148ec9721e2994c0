"""Exports a spreadsheet opens: every text cell stays text, never a live formula.

A label comes from whoever wrote the file (a partner, a colleague's email, a public SCDL
download).  A spreadsheet opening a CSV/TSV runs a cell that begins with ``=``, ``+``, ``-`` or
``@`` as a formula (``=HYPERLINK(...)``, ``+cmd|' /C calc'!A0``, ``@SUM(...)``), and a leading
tab or carriage return can hide such a start.  So, following OWASP's rule for CSV injection,
a text cell starting with one of ``= + - @ TAB CR`` is written with a leading apostrophe, which
spreadsheets show as text.  Amounts are numbers, not text: a cell that reads as an amount
(``-12,50``) is written as it is.  ``formula_guard=False`` (``essconv convert --no-formula-guard``)
writes every cell verbatim, for files read by programs rather than people.
"""
from __future__ import annotations

import csv
import io
from typing import TYPE_CHECKING

from .errors import Error

if TYPE_CHECKING:  # pragma: no cover
    from .plan import Plan

#: what makes a spreadsheet read a cell as a formula (OWASP: CSV injection)
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def guard_formula(text: str) -> str:
    """A text cell a spreadsheet will show as text: ``'`` before a formula's first character.

    Example: ``guard_formula("=1+2")`` -> ``"'=1+2"``; ``guard_formula("DLA")`` -> ``'DLA'``
    """
    return "'" + text if text.startswith(FORMULA_STARTS) else text


def _is_amount(plan: "Plan", text: str) -> bool:
    from .money import parse_amount
    try:
        return parse_amount(text, unit=plan.unit) is not None
    except (Error, ValueError):
        return False


def plan_rows(plan: "Plan", *, formula_guard: bool = True) -> list[list[str]]:
    """The plan's rows as printed (header first), each text cell guarded unless told not to;
    the amounts, as numbers, untouched.

    Example: ``plan_rows(plan)[0][:2]`` -> ``['en k€', '']``
    """
    rows = plan.to_rows(as_printed=True)
    if not formula_guard:
        return rows
    first_amount = 2 if plan.axes else 1
    return [[text if r > 0 and c >= first_amount and _is_amount(plan, text) else guard_formula(text)
             for c, text in enumerate(row)] for r, row in enumerate(rows)]


def plan_delimited(plan: "Plan", delimiter: str = ";", *, formula_guard: bool = True) -> str:
    """The plan as CSV (``;``, the French spreadsheet default) or TSV (``\\t``) text.

    Example: ``open("plan.csv", "w").write(plan_delimited(plan))``
    """
    buf = io.StringIO()
    writer = csv.writer(buf, delimiter=delimiter, lineterminator="\n")
    writer.writerows(plan_rows(plan, formula_guard=formula_guard))
    return buf.getvalue()


__all__ = ["FORMULA_STARTS", "guard_formula", "plan_delimited", "plan_rows"]
