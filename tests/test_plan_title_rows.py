"""A plan's title rows above its header, however wide: "Convention ESS;Annexe 1;2010" above
"en k€;CR;CG-59;CDC;Total" was taken for the header when it had as many cells as the header --
the funders "Annexe 1" and "2010", the real header a line of the plan.  Plans as analysts print
them carry a title, a units line ("en k€", "Montants en milliers d'euros"), a blank line, then
the header: the header is the row of labels just above the first row of amounts.

Each plan is built here from Python values and compared with sums computed here, with
Decimal, from those values (never from essconv's answer), in every dress: ';', tab, ',',
CP1252, a BOM, and an .xlsx written by openpyxl."""
from __future__ import annotations

import io
from decimal import Decimal

import pytest

import essconv

D = Decimal
FUNDERS = ["CR", "CG-59", "CDC"]
#: line -> amounts in k€ (None: blank)
LINES = {"Têtes de réseaux": [D(197), D(20), None],
         "Observatoire": [D(13), None, D(10)],
         "DLA": [D(327), D(274), D(62)]}

#: what is printed above the header, row by row ([] a blank line); the corner of the header
TITLES = {
    "one-cell": ([["Convention ESS 2009-2013 : plan de financement"]], "en k€"),
    "two-cells": ([["Convention ESS", "Annexe 1"]], "en k€"),
    "three-cells": ([["Convention ESS", "Annexe 1", "Nord-Pas de Calais"]], "en k€"),
    "as-wide-as-the-header": ([["Convention ESS", "Annexe 1", "Plan de financement",
                                "Nord-Pas de Calais", "Région"]], "en k€"),
    "with-a-year": ([["Convention ESS", "Annexe 1", "2010"]], "en k€"),
    "as-wide-with-a-year": ([["Convention ESS", "Annexe 1", "Plan", "Nord-Pas de Calais",
                              "2010"]], "en k€"),
    "blank-line-between": ([["Convention ESS", "Annexe 1", "2010"], []], "en k€"),
    "units-line-between": ([["Convention ESS", "Annexe 1", "2010"], ["en k€"]], "Action"),
    "units-words-and-blank": ([["Convention ESS", "Annexe 1", "2010"],
                               ["Montants en milliers d'euros"], []], "Action"),
    "two-title-rows": ([["Convention ESS", "Annexe 1", "2010"],
                        ["Plan de financement", "Nord-Pas de Calais", "ESS"]], "en k€"),
    "no-corner-heading": ([["Convention ESS", "Annexe 1", "Plan", "Nord-Pas de Calais",
                            "2010"], ["en k€"]], ""),
}
DRESSES = ["semicolon", "tab", "comma", "cp1252", "bom", "xlsx"]


def _twin():
    """The slow twin: each funder's and each line's sum by Decimal, the grand total."""
    def value(v):
        return v if isinstance(v, Decimal) else D(0)
    by_funder = {f: sum((value(row[j]) for row in LINES.values()), D(0))
                 for j, f in enumerate(FUNDERS)}
    by_line = {line: sum((value(v) for v in row), D(0)) for line, row in LINES.items()}
    return by_funder, by_line, sum(by_line.values(), D(0))


def _rows(above, corner):
    by_funder, by_line, total = _twin()
    header = [corner] + FUNDERS + ["Total"]
    body = [[line] + cells + [by_line[line]] for line, cells in LINES.items()]
    body.append(["Total"] + [by_funder[f] for f in FUNDERS] + [total])
    return above + [header] + body


def _plan(rows, dress, tmp_path):
    if dress == "xlsx":
        openpyxl = pytest.importorskip("openpyxl")
        wb = openpyxl.Workbook()
        for row in rows:   # numbers as numbers, a title's year a number too
            wb.active.append([int(v) if isinstance(v, Decimal) or (isinstance(v, str) and
                                                                  v.isdigit()) else v
                              for v in row] if row else [None])
        path = tmp_path / "plan.xlsx"
        wb.save(path)
        return essconv.read_plan(path)
    sep = {"tab": "\t", "comma": ","}.get(dress, ";")
    text = "\r\n".join(sep.join("" if v is None else str(v) for v in row) for row in rows)
    data = (text + "\r\n").encode("cp1252" if dress == "cp1252" else "utf-8")
    path = tmp_path / "plan.csv"
    path.write_bytes((b"\xef\xbb\xbf" if dress == "bom" else b"") + data)
    return essconv.read_plan(path)


@pytest.mark.parametrize("dress", DRESSES)
@pytest.mark.parametrize("title", list(TITLES))
def test_a_title_above_the_header_is_a_title_never_the_funders(title, dress, tmp_path):
    above, corner = TITLES[title]
    rows = _rows(above, corner)
    plan = _plan(rows, dress, tmp_path)
    by_funder, by_line, total = _twin()
    assert plan.funders == FUNDERS
    assert plan.lines == list(LINES)
    assert plan.by_funder() == by_funder
    assert plan.by_line() == by_line
    assert plan.total() == total
    assert plan.unit == "k€"
    report = plan.validate()
    assert report.ok, [str(f) for f in report]
    # every word printed above the header is the title's, in its order
    words = [str(v) for row in above for v in row if str(v).strip()]
    assert plan.title.split() == " ".join(words).split()
    # the first line's cell is placed on the file's line below the header
    line, _ = plan.cell_place("Têtes de réseaux", "CR")
    assert line == len(above) + 2


@pytest.mark.parametrize("dress", DRESSES)
def test_a_table_whose_header_cannot_be_found_is_refused_naming_file_and_line(dress, tmp_path):
    """Titles and two-cell rows only: no row can be the header; refused, never read."""
    rows = [["Convention ESS 2010"], ["en k€", "CR"], ["DLA", D(10)], ["Formation", D(5)]]
    with pytest.raises(essconv.PlanFormatError) as info:
        _plan(rows, dress, tmp_path)
    assert info.value.line == 1
    assert "plan." in str(info.value)   # the file's name


@pytest.mark.parametrize("dress", ["semicolon", "xlsx"])
def test_a_first_line_of_unreadable_figures_is_a_line_under_its_header(dress, tmp_path):
    """A first line whose every figure is text sits between the header and the first row of
    amounts: it is the plan's line, said unreadable at its cells; the header stays the funders'."""
    rows = _rows([["Convention ESS", "Annexe 1", "Nord-Pas de Calais", "Plan", "2010"]],
                 "Action")
    rows[2] = ["Têtes de réseaux", "à définir", "à définir", "à définir", "à définir"]
    plan = _plan(rows, dress, tmp_path)
    assert plan.funders == FUNDERS
    assert plan.lines == list(LINES)
    bad = [f for f in plan.validate() if f.severity == "error"]
    assert {f.source_line for f in bad} >= {3}, [str(f) for f in bad]


@pytest.mark.parametrize("dress", DRESSES)
@pytest.mark.parametrize("notes", [False, True])
def test_the_header_printed_again_at_a_page_break_is_said_and_no_line(dress, notes, tmp_path):
    """A PDF pasted into Excel prints the header again on each page: that row is no line of
    the plan (its "Observations" no remark), and the reading says it passed over it, at its
    line, in English and in French."""
    rows = _rows([["Convention ESS", "Annexe 1", "Plan", "Nord-Pas de Calais", "2010"], []],
                 "en k€")
    if notes:
        rows = [row + (["Observations"] if k == 2 else ["vu"] if k == 3 else [""])
                for k, row in enumerate(rows)]
    header = rows[2]
    rows.insert(4, list(header))   # after the first line: lines 1-2 title and blank, 3 header
    plan = _plan(rows, dress, tmp_path)
    by_funder, by_line, total = _twin()
    assert plan.funders == FUNDERS and plan.lines == list(LINES)
    assert plan.by_funder() == by_funder and plan.total() == total
    assert plan.notes == ({"Têtes de réseaux": "vu"} if notes else {})
    report = plan.validate()
    assert report.ok, [str(f) for f in report]
    said = [f for f in report if f.source_line == 5]
    assert len(said) == 1 and said[0].severity == "warning", [str(f) for f in report]
    assert "printed again on line 5" in said[0].message
    french = essconv.messages.language("fr").finding(said[0], plan).replace("\u00a0", " ")
    assert "l'en-tête (ligne 3) est imprimé de nouveau à la ligne 5" in french, french
