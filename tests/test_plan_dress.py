"""Plans as analysts dress them in Excel and Word: cost columns, sub-total and share columns,
"dont" sub-lines, spacer columns, title rows, percentage-formatted cells.

Each test builds the table from Python values and compares what essconv gives with sums
computed here, with Decimal, from those same values (never from essconv's answer)."""
from __future__ import annotations

import io
from decimal import Decimal

import pytest

import essconv

D = Decimal


def _text(value):
    """A value as a French table prints it ("1 234,5"), or '' for None."""
    if value is None:
        return ""
    if isinstance(value, str):
        return value
    whole, _, frac = format(value, "f").partition(".")
    sign = "-" if whole.startswith("-") else ""
    whole = whole.lstrip("-")
    groups = []
    while len(whole) > 3:
        groups.insert(0, whole[-3:])
        whole = whole[:-3]
    groups.insert(0, whole)
    return sign + " ".join(groups) + ("," + frac if frac.strip("0") else "")


def _table(header, rows, sep=";"):
    return ("\n".join(sep.join(_text(v) for v in row) for row in [header] + rows) + "\n").encode()


def _read(data, **kw):
    return essconv.read_plan(io.BytesIO(data), **kw)


# the cells of a small plan: line -> funder amounts (None: blank)
FUNDERS = ["CR", "CG-59", "CDC"]
CELLS = {"Têtes de réseaux": [D(197), D(20), None],
         "Observatoire": [D(13), None, D("10.5")],
         "DLA": [D(327), D(274), D(62)]}


def _oracle():
    by_funder = {f: sum((row[j] for row in CELLS.values() if row[j] is not None), D(0))
                 for j, f in enumerate(FUNDERS)}
    by_line = {line: sum((v for v in row if v is not None), D(0)) for line, row in CELLS.items()}
    return by_funder, by_line, sum(by_line.values(), D(0))


def _assert_sums(plan):
    by_funder, by_line, total = _oracle()
    assert plan.funders == FUNDERS
    assert plan.lines == list(CELLS)
    assert plan.by_funder() == by_funder
    assert plan.by_line() == by_line
    assert plan.total() == total


# ---------------------------------------------------------------- typographic apostrophes

def test_an_axis_sub_total_with_a_typographic_apostrophe_is_refused_as_a_sub_total():
    """Word prints "Total de l’axe 1" with U+2019.  The core's word lists compared a signed
    char with an unsigned byte, so no word holding a non-ASCII byte ever matched: the row was
    taken for THE Total row, and validate() 'corrected' the real column totals to its sums."""
    header = ["Axe", "Action", "CR", "CG"]
    rows = [["A1", "L1", D(10), D(20)], ["", "L2", D(1), D(2)],
            ["Total de l\u2019axe 1", "", D(11), D(22)], ["A2", "L3", D(5), D(5)]]
    with pytest.raises(essconv.PlanFormatError) as info:
        _read(_table(header, rows))
    (problem,) = info.value.problems
    assert (problem.line, problem.column) == (4, 1) and "sub-total row" in problem.message
