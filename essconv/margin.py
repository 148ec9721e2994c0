"""A printed table's blank margin: the columns at its left that a table laid out from B2 (or
further right) leaves blank in every one of its rows.

The rule, one for every plan reader: the table's corner is its first filled column, counted on
the rows of two filled cells or more (the table's own); a title or a note alone at the left
keeps its place, and a cell printed in the margin stays -- only the margin's blank cells are
set aside, every other cell keeping its own place (line, column) for the findings to name it.
Read from column A, a margin made the corner "" and the unit cell ("en k€") a funder printing
a unit: the plan was refused.

The core applies it to a text table (``ess_plan_table_drop_margin`` in plan.c:
``_core.read_table(..., margin=True)``), the fast path; this module is its twin, for a
workbook's cells (xlsx.py), which never pass through the core's table, and for the tests that
hold the two to the same answer on the same cells.
"""
from __future__ import annotations

from typing import Any, Callable, Sequence, TypeVar

Cell = TypeVar("Cell")

#: what the core takes for white space in a cell (text.c: ASCII space, tab, CR and LF, and the
#: no-break, narrow no-break, thin and figure spaces): not str.strip()'s wider set, so that both
#: twins read a cell of "\u3000" or "\x0b" as the same thing (printed, not blank)
CELL_SPACES = " \t\r\n\u00a0\u202f\u2009\u2007"


def is_blank(value: Any) -> bool:
    """A cell that holds nothing: None, or a text of :data:`CELL_SPACES` alone (a number, a
    date or a bool is always printed)."""
    return value is None or (isinstance(value, str) and not value.strip(CELL_SPACES))


def margin_width(rows: Sequence[Sequence[Any]]) -> int:
    """How many columns at the table's left are its blank margin: the first filled column of
    the rows of two filled cells or more, the leftmost of them (0: none, or no such row)."""
    firsts = []
    for row in rows:
        filled = [c for c, value in enumerate(row) if not is_blank(value)]
        if len(filled) >= 2:
            firsts.append(filled[0])
    return min(firsts, default=0)


def without_margin(rows: list[list[Cell]],
                   value: Callable[[Cell], Any] = lambda cell: cell) -> list[list[Cell]]:
    """``rows`` with their margin's blank cells set aside, every other cell kept as it is (with
    its place, when ``value`` reads the value out of a cell such as ``(text, line, column)``);
    ``rows`` itself when the table has no margin."""
    values = [[value(cell) for cell in row] for row in rows]
    margin = margin_width(values)
    if not margin:
        return rows
    return [[cell for c, (cell, v) in enumerate(zip(row, vals)) if c >= margin or not is_blank(v)]
            for row, vals in zip(rows, values)]


__all__ = ["CELL_SPACES", "is_blank", "margin_width", "without_margin"]
