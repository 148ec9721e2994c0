"""A text plan (CSV, TSV) exported from a sheet whose table was placed at B2: column A blank,
a margin.  Read from column A, its corner was the blank margin and its unit cell ("en k€") a
funder printing a unit: the plan was refused with "no unit over 'CR'".  Beside its margin the
table reads as the same table, each finding at its own cell, as the .xlsx reader does."""
from __future__ import annotations

from decimal import Decimal

import pytest

import essconv

#: tables as a funding committee receives them, each written from column A
TABLES = {
    "simple": ["en k€;CR-NPDC;CDC;Total",
               "Têtes de réseaux;197;20;217",
               "DLA;327;445;773",                  # one more than 327 + 445
               "Total;524;465;989"],
    "title and axes": ["Plan de financement 2010",
                       "en k€;;CR;CDC;Total",
                       "Axe 1;Têtes de réseaux;197;20;217",
                       ";DLA;327;445;772",
                       "Axe 2;Fonds de garantie;10;x;10",   # an unreadable amount
                       "Total;;534;465;999"],
    "notes column": ["en k€;CR;CDC;Total;Observations",
                     "A;10;5;15;à revoir",
                     "B;1;2;4,5;",
                     "Total;11;7;19;"],
}


def _beside_margin(lines: list[str], delimiter: str, title_in_margin: bool) -> str:
    """The same table one column to the right: every row but a title alone keeps column A
    blank (a title alone stays in A when ``title_in_margin``)."""
    out = []
    for line in lines:
        alone = ";" not in line   # a title, in a cell of its own
        out.append(line if alone and title_in_margin else ";" + line)
    return "\n".join(out).replace(";", delimiter) + "\n"


def _said(plan: essconv.Plan, shift: int) -> tuple:
    """What a reader gets of a plan, each place moved ``shift`` characters to the left."""
    findings = [(f.code, f.severity, f.message, f.source_line,
                 None if f.source_column is None else f.source_column - shift)
                for f in plan.validate()]
    problems = [(p.line, p.column - shift, p.message) for p in plan.problems]
    cells = [(line, funder, plan.cell(line, funder)) for line in plan.lines
             for funder in plan.funders]
    return (plan.lines, plan.funders, plan.unit, plan.year, cells, findings, problems,
            getattr(plan, "notes", None))


@pytest.mark.parametrize("name", sorted(TABLES))
@pytest.mark.parametrize("delimiter", [";", "\t"])
@pytest.mark.parametrize("title_in_margin", [False, True])
def test_a_text_plan_beside_a_blank_margin_reads_as_the_same_table(name, delimiter,
                                                                   title_in_margin):
    lines = TABLES[name]
    twin = essconv.read_plan(("\n".join(lines).replace(";", delimiter) + "\n").encode())
    plan = essconv.read_plan(_beside_margin(lines, delimiter, title_in_margin).encode())
    # the margin's one delimiter moves every cell of the table one character to the right
    assert _said(plan, 1) == _said(twin, 0)
    assert plan.validate() and plan.lines


def test_the_findings_beside_a_margin_are_at_the_cells_printed():
    """The DLA total's finding names its own cell in the text with the margin: line 3, the
    character column where "773" starts, counted here from the text itself."""
    text = _beside_margin(TABLES["simple"], ";", False)
    row = text.splitlines()[2]
    plan = essconv.read_plan(text.encode())
    assert plan.total() == Decimal(197 + 20 + 327 + 445)
    [found] = [f for f in plan.validate() if f.code == "row-total"]
    assert (found.source_line, found.source_column) == (3, row.index("773") + 1)


@pytest.mark.parametrize("row", [0, 2])
def test_a_first_column_holding_anything_in_a_row_of_the_table_is_no_margin(row):
    """A mark in column A of a row of the table ("*" before the header, beside a line) makes
    the column part of the table: it is not set aside as a margin, the mark is not dropped,
    and the table is read from column A -- here refused at "en k€", read as a funder."""
    lines = _beside_margin(TABLES["simple"], ";", False).splitlines()
    lines[row] = "*" + lines[row]
    with pytest.raises(essconv.PlanFormatError) as info:
        essconv.read_plan(("\n".join(lines) + "\n").encode())
    assert (info.value.line, info.value.column) == (1, lines[0].index("en k€") + 1), info.value


# The margin's rule is written twice: in the core (ess_plan_table_drop_margin, which a text plan
# is read through) and in essconv.margin (a workbook's cells, which never pass through the
# core's table).  The two are held to one answer on the same cells.  The Python twin used
# str.strip(), wider than the core's spaces: a margin holding "\u3000" or "\x0b" was blank for
# one and printed for the other, so a plan with a column of notes (read through the twin) and
# the same plan without it (read through the core) did not see the same table.
from hypothesis import given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402

from essconv import _core  # noqa: E402
from essconv.margin import is_blank, margin_width, without_margin  # noqa: E402

_CELLS = st.sampled_from(["", " ", "\u00a0", "\u202f", "\u2009", "\u2007", "\u3000", "\x0b",
                          "\x0c", "\u2003", "x", "12", "en k€", "Total", "*"])


@settings(max_examples=300, deadline=None)
@given(st.lists(st.lists(_CELLS, min_size=1, max_size=5), min_size=1, max_size=6))
def test_the_margin_rule_of_the_core_and_of_its_python_twin_agree(table):
    text = "".join(";".join(row) + "\n" for row in table).encode()
    rows, _, _ = _core.read_table(text, delimiter=";")
    core, _, _ = _core.read_table(text, delimiter=";", margin=True)
    assert without_margin(rows, value=lambda cell: cell[0]) == core


def test_the_margin_twin_on_a_sheets_values():
    """A workbook's values (None, numbers, texts): the margin is counted on the table's rows,
    a title alone at the left and a mark printed in the margin stay where they are."""
    values = [["Plan 2010", None, None],
              [None, "en k€", "CR"],
              [None, "DLA", 12],
              [" ", "Total", 12.5],
              ["* à revoir", None, None]]
    assert margin_width(values) == 1
    assert without_margin(values) == [["Plan 2010", None, None], ["en k€", "CR"], ["DLA", 12],
                                      ["Total", 12.5], ["* à revoir", None, None]]
    values[2][0] = "*"   # a mark beside a line of the table: no margin, nothing moved
    assert margin_width(values) == 0 and without_margin(values) is values
    assert is_blank(None) and is_blank(" \u00a0") and not is_blank(0) and not is_blank("\u3000")
