"""Financing plans: read as printed in every dress, exact sums, validation, reconciliation."""
from __future__ import annotations

import io
import random
from decimal import Decimal
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import essconv
from essconv import read_plan
from essconv.money import parse_amount

ANNEX_EXPECTED_CODES = ["row-total", "malformed-number", "column-total", "grand-total",
                        "cell-correction"]


def check_annex_findings(report, with_convention=False):
    codes = [f.code for f in report]
    expected = list(ANNEX_EXPECTED_CODES)
    if with_convention:
        expected.insert(4, "unknown-funder")
        expected.insert(4, "unknown-funder")
    assert codes == expected
    by_code = {f.code: f for f in report}
    row = by_code["row-total"]
    assert (row.line, row.funder, row.actual, row.expected) == (
        "Observatoire CRESS", None, Decimal(51), Decimal(41))
    assert "51" in row.message and "41" in row.message and "k€" in row.message
    col = by_code["column-total"]
    assert (col.line, col.funder, col.actual, col.expected) == (None, "CDC", Decimal(1250), Decimal(1240))
    grand = by_code["grand-total"]
    assert (grand.actual, grand.expected) == (Decimal(8115), Decimal(8105))
    mal = by_code["malformed-number"]
    assert (mal.line, mal.funder) == ("Structures accompagnement", "Total")
    assert (mal.source_line, mal.source_column) == (5, 51)
    assert "1 2618" in mal.message and mal.expected == Decimal(1261)
    fix = report.suggestions[0]
    assert fix.code == "cell-correction" and fix.rank == 1
    assert (fix.line, fix.funder, fix.expected, fix.actual) == (
        "Observatoire CRESS", "CDC", Decimal(10), None)
    assert (fix.source_line, fix.source_column) == (3, 30)
    assert not report.ok


def test_embedded_annex_findings_exactly():
    conv = essconv.default()
    check_annex_findings(conv.plan(2009).validate())


def test_annex_cut_from_the_source_text(annex_tsv):
    plan = read_plan(annex_tsv)
    assert plan.year == 2009 and plan.unit == "k€" and plan.delimiter == "\t"
    assert plan.funders == ["CR-NPDC", "DRTEFP", "DRASS", "CDC", "CG-59", "ESE", "CG-67", "Territoires"]
    assert plan.lines == ["Têtes de réseaux", "Observatoire CRESS", "PLDESS",
                          "Structures accompagnement", "Soutien aux structures", "Innovation", "DLA"]
    assert plan.axes == ["Promouvoir et diffuser les valeurs de l'ESS",
                         "Structurer le secteur de l'ESS", "Soutenir la création d'activité"]
    assert plan.axis_of("Observatoire CRESS") == "Promouvoir et diffuser les valeurs de l'ESS"
    assert plan.stated_line_totals["Structures accompagnement"] is None   # unreadable
    assert plan.stated_line_totals["DLA"] == Decimal(1228)
    assert plan.stated_funder_totals["CDC"] == Decimal(1250)
    assert plan.cell_text("Structures accompagnement", "CG-67") == "186"
    assert [p.line for p in plan.problems] == [5]
    report = plan.validate()
    check_annex_findings(report)
    assert str(report).splitlines()[0].startswith(f"{annex_tsv}:3:35: error[row-total]")


def test_annex_against_the_convention_names_unknown_funders(annex_tsv):
    conv = essconv.default()
    report = read_plan(annex_tsv).validate(convention=conv)
    check_annex_findings(report, with_convention=True)
    unknown = [f for f in report if f.code == "unknown-funder"]
    assert [f.funder for f in unknown] == ["ESE", "CG-67"]
    assert "CG-62" in unknown[1].message and "FSE" in unknown[0].message
    assert all(f.severity == "warning" for f in unknown)


@pytest.mark.parametrize("title", ["", "Plan de financement 2010\n"])
def test_an_unknown_funder_is_placed_at_its_header_cell(tmp_path, title):
    """An unknown-funder finding carried no line or column: the listing said 'plan.csv:' with
    no place, and a reader had to look for the column.  It is placed at the funder's header
    cell, through a pickled copy and a corrected one alike."""
    import pickle
    header = ["en k€", "CR-NPDC", "Etatt", "CDC", "Xyz (k€)", "Total"]
    path = tmp_path / "plan.csv"
    path.write_text(title + ";".join(header) + "\nDLA;10;20;3;4;37\nCAE;1;2;3;4;11\n"
                    "Total;11;22;6;8;47\n", "utf-8")
    line = 1 + title.count("\n")
    places = {name: (line, len(";".join(header[:c])) + 2) for c, name in
              enumerate(header) if c}
    conv = essconv.default()
    plan = read_plan(path)
    for copy in (plan, pickle.loads(pickle.dumps(plan)), plan.with_corrections([])):
        unknown = [f for f in copy.validate(conv) if f.code == "unknown-funder"]
        assert [f.funder for f in unknown] == ["Etatt", "Xyz"]
        assert [(f.source_line, f.source_column) for f in unknown] == [
            places["Etatt"], places["Xyz (k€)"]]
    listing = str(plan.validate(conv))
    assert f"{path}:{line}:{places['Etatt'][1]}: warning[unknown-funder]" in listing


def test_an_unknown_funder_at_its_header_cell_hides_no_problem_of_that_cell():
    """Placed at the header cell, the unknown-funder finding took the place of the problem
    said there (a unit assumed for the column), which validate() then left out."""
    header = ["Action", "CR-NPDC (k€)", "CDC (k€)", "Xyz"]
    plan = read_plan(io.BytesIO((";".join(header) + "\nDLA;10;20;3\n").encode()))
    at = (1, len(";".join(header[:3])) + 2)
    (assumed,) = [p for p in plan.problems if p.reason and p.reason[0] == "plan-unit-assumed"]
    assert (assumed.line, assumed.column) == at
    said = {f.code: (f.source_line, f.source_column) for f in plan.validate(essconv.default())
            if f.code in ("unknown-funder", "plan-problem")}
    assert said == {"unknown-funder": at, "plan-problem": at}


def test_a_plan_pickled_before_header_places_were_kept_still_validates(annex_tsv):
    """A pickle written before the plan kept its header places loads, and places nothing."""
    import pickle
    plan = read_plan(annex_tsv)
    restore, (state, attributes) = plan.__reduce__()
    del attributes["_funder_places"]
    old = pickle.loads(pickle.dumps(restore(state, attributes)))
    unknown = [f for f in old.validate(essconv.default()) if f.code == "unknown-funder"]
    assert [f.funder for f in unknown] == ["ESE", "CG-67"]
    assert all(f.source_line is None and f.source_column is None for f in unknown)


def test_sums_equal_a_decimal_oracle(annex_tsv):
    plan = read_plan(annex_tsv)
    # the slow obvious twin: split the text, read digits, add Decimals
    rows = [l.split("\t") for l in annex_tsv.read_text("utf-8").splitlines()]
    header, body = rows[0], rows[1:-1]
    def dec(s):
        return Decimal(s.replace(" ", "")) if s.strip() else Decimal(0)
    by_funder = {f: sum(dec(r[k + 2]) for r in body) for k, f in enumerate(header[2:-1])}
    assert plan.by_funder() == by_funder
    assert plan.total() == sum(by_funder.values())
    assert plan.by_line() == {r[1]: sum(dec(c) for c in r[2:-1]) for r in body}
    assert sum(plan.by_axis().values()) == plan.total()
    assert plan.by_axis()["Structurer le secteur de l'ESS"] == Decimal(629 + 1261)


def test_by_party_rolls_services_up(annex_tsv):
    conv = essconv.default()
    parties = read_plan(annex_tsv).by_party(conv)
    assert parties["ETAT"] == Decimal(643 + 96)
    assert parties["ESE"] == Decimal(600)      # unknown stays under its own code
    assert sum(parties.values()) == Decimal(8105)


def test_with_corrections_gives_a_plan_that_validates(annex_tsv):
    plan = read_plan(annex_tsv)
    report = plan.validate()
    fixed = plan.with_corrections(report)
    assert fixed.validate().ok and len(fixed.validate()) == 0
    assert fixed.cell("Observatoire CRESS", "CDC") == Decimal(10)
    assert fixed.stated_line_totals["Structures accompagnement"] == Decimal(1261)
    assert fixed.total() == Decimal(8115)
    # the original is untouched: never applied silently
    assert plan.cell("Observatoire CRESS", "CDC") is None and not plan.validate().ok
    with pytest.raises(ValueError, match="not a correction"):
        plan.with_corrections([f for f in report if f.code == "row-total"])


# ---------------------------------------------------------------------------- other dresses
CLEAN = [
    ["Axe", "Ligne", "Région", "Etat", "CDC", "Total"],
    ["Axe 1", "Animation", "120", "30", "", "150"],
    ["", "Observatoire", "45", "", "15", "60"],
    ["Axe 2", "Création", "1 250", "400", "350", "2 000"],
    ["", "DLA", "300", "200", "100", "600"],
    ["Total", "", "1 715", "630", "465", "2 810"],
]


def dress(rows, sep="\t", group=" ", eol="\n", encoding="utf-8", bom=b"", decimal_cells=None):
    lines = []
    for r in rows:
        cells = [c.replace(" ", group) for c in r]
        lines.append(sep.join(cells))
    return bom + (eol.join(lines) + eol).encode(encoding)


def edit(rows, r, c, value):
    rows = [list(x) for x in rows]
    rows[r][c] = value
    return rows


def test_clean_plan_in_cp1252_semicolons_nbsp_crlf(tmp_path):
    p = tmp_path / "plan-2011.csv"
    p.write_bytes(dress(CLEAN, ";", "\u00a0", "\r\n", "cp1252"))
    plan = read_plan(p)
    assert (plan.encoding, plan.delimiter, plan.year) == ("cp1252", ";", 2011)
    assert plan.funders == ["Région", "Etat", "CDC"]
    assert plan.cell("Création", "Région") == Decimal(1250)
    # the one finding: CLEAN prints no unit, read in euros (said at its header)
    assert plan.validate().ok
    assert [(f.code, f.source_line) for f in plan.validate()] == [("plan-problem", 1)]
    assert "read in euros" in plan.validate()[0].message


def test_utf8_bom_tsv_and_bom_before_cp1252_body(tmp_path):
    a = tmp_path / "a.tsv"
    a.write_bytes(dress(CLEAN, bom=b"\xef\xbb\xbf"))
    assert read_plan(a).encoding == "utf-8-sig" and read_plan(a).funders[0] == "Région"
    b = tmp_path / "b.tsv"
    b.write_bytes(dress(CLEAN, encoding="cp1252", bom=b"\xef\xbb\xbf"))
    plan = read_plan(b)
    assert plan.encoding == "utf-8 BOM + cp1252" and plan.funders[0] == "Région"
    assert plan.validate().ok


@pytest.mark.parametrize("order, bom", [("utf-16-le", b"\xff\xfe"), ("utf-16-be", b"\xfe\xff")])
def test_utf16_unicode_text_in_either_byte_order(tmp_path, order, bom):
    """Excel writes little-endian; other tools' "Unicode" may be big-endian.  Named "utf-16",
    the BOM decides the order, as Python's codec does."""
    p = tmp_path / "u.txt"
    p.write_bytes(bom + dress(CLEAN, "\t", "\u202f", "\r\n", order))
    for named in (None, "utf-16", order):
        plan = read_plan(p, encoding=named)
        assert plan.encoding == order and plan.total() == Decimal(2810), named


def test_euros_with_decimal_commas_and_narrow_spaces(tmp_path):
    rows = [["en €", "Région", "Etat", "Total"],
            ["Animation", "120 000,50", "30 000,25", "150 000,75"],
            ["DLA", "1 000,10", "0,90", "1 001"],
            ["Total", "121 000,60", "30 001,15", "151 001,75"]]
    p = tmp_path / "p.csv"
    p.write_bytes(dress(rows, ";", "\u202f"))
    plan = read_plan(p)
    assert plan.unit == "€" and plan.axes == []
    assert plan.cell("Animation", "Région") == Decimal("120000.50")
    assert plan.total() == Decimal("151001.75") and plan.validate().ok


def test_unit_given_or_read_from_a_title(tmp_path):
    p = tmp_path / "p.tsv"
    p.write_bytes(("PLAN DE FINANCEMENT 2012 (en M€)\n" + dress(CLEAN).decode()).encode())
    plan = read_plan(p)
    assert plan.unit == "M€" and plan.year == 2012
    assert read_plan(p, unit="M€").unit == "M€"


@pytest.mark.parametrize("corner, unit", [
    ("en milliers d'euros", "k€"), ("en milliers €", "k€"), ("en milliers d'€", "k€"),
    ("en milliers d\u2019euros", "k€"), ("en K euros", "k€"), ("en Keuros", "k€"),
    ("en k euros", "k€"), ("en k €", "k€"), ("en millions €", "M€"),
    ("en millions d'euros", "M€"), ("en M euros", "M€"), ("en €", "€"), ("en euros", "€")])
def test_every_way_of_writing_the_unit_in_the_header(corner, unit):
    """"en milliers €" was read as euros (1000 times off): "milliers"/"millions" say it."""
    t = f"{corner};CR;CDC;Total\nDLA;327;274;601\nTotal;327;274;601\n"
    plan = read_plan(io.BytesIO(t.encode()))
    assert plan.unit == unit and plan.cell("DLA", "CDC") == Decimal(274)



@pytest.mark.parametrize("corner", ["en 1000 €", "en 1 000 €", "(en 1\u00a0000 €)",
                                    "en 1 000 euros", "en 1000 EUR", "en millier d'euros"])
def test_thousands_of_euros_written_with_a_number_or_in_the_singular_are_keur(corner):
    """"en 1000 €" and "en millier d'euros" were read as euros by the "€" in them: a plan
    1000 times smaller than printed."""
    t = f"{corner};CR;CDC;Total\nDLA;327;274;601\nTotal;327;274;601\n"
    plan = read_plan(io.BytesIO(t.encode()))
    assert plan.unit == "k€" and plan.cell("DLA", "CDC") == Decimal(274)
    body = t.replace(corner, "Action", 1)
    titled = read_plan(io.BytesIO(f"Plan 2010 (unité : {corner})\n{body}".encode()))
    assert titled.unit == "k€"

@pytest.mark.parametrize("title", ["Aides de 1 000 € par structure", "Plafond : 1000 € par projet",
                                   "Subventions inférieures à 1000 euros"])
def test_an_amount_of_1000_euros_in_a_title_is_no_unit(title):
    """"en 1000 €" says k€; a title naming an amount of 1 000 € does not: read as k€, a plan
    in euros would come out 1000 times too large."""
    t = f"{title}\nAction;CR;CDC;Total\nDLA;327;274;601\nTotal;327;274;601\n"
    plan = read_plan(io.BytesIO(t.encode()))
    assert plan.unit == "€" and plan.cell("DLA", "CDC") == Decimal(274)


def test_a_unit_given_that_contradicts_the_header_is_refused_naming_both(tmp_path):
    t = "en €;ETAT;CR;Total\nAmorçage;10 000;5 000;15 000\nTotal;10 000;5 000;15 000\n"
    with pytest.raises(essconv.PlanFormatError, match="k€.*'en €'"):
        read_plan(io.BytesIO(t.encode()), unit="k€")
    assert read_plan(io.BytesIO(t.encode()), unit="€").cell("Amorçage", "ETAT") == 10000
    toml = tmp_path / "c.toml"
    toml.write_text('''[convention]
title = "T"
territory = "X"
start = 2020-01-01
end = 2022-12-31

[[parties]]
code = "ETAT"
name = "Etat"
kind = "state"

[[parties]]
code = "CR"
name = "Region"
kind = "region"

[[plans]]
year = 2022
unit = "€"
table = """
en K€	ETAT	CR	Total
Amorçage	10	5	15
Total	10	5	15
"""
''', encoding="utf-8")
    with pytest.raises(essconv.Error, match="€.*'en K€'"):
        essconv.load(toml)


@pytest.mark.parametrize("title, unit", [
    ("Montants en k€", "k€"), ("PLAN DE FINANCEMENT 2012 (en M€)", "M€"),
    ("Plan 2012 (unité : en 1 000 €)", "k€"), ("en milliers d'euros", "k€"), ("k€", "k€")])
def test_a_unit_given_that_the_title_above_the_table_contradicts_is_refused_at_its_cell(
        title, unit, tmp_path):
    """A title stating the amounts' unit ("Montants en k€") and a unit= given against it (a
    description's `unit = "€"`): the given unit won, every amount 1000 times off, silently."""
    p = tmp_path / "p.tsv"
    p.write_text(f"{title}\nAction\tETAT\tCR\tTotal\nDLA\t10\t5\t15\nTotal\t10\t5\t15\n",
                 encoding="utf-8")
    given = "€" if unit != "€" else "k€"
    with pytest.raises(essconv.PlanFormatError, match=f"{given}.*title.*{unit}") as caught:
        read_plan(p, unit=given)
    assert str(caught.value).startswith(f"{p}:1:1:")
    assert "titre" in essconv.messages.language("fr").refusal(caught.value)
    assert read_plan(p, unit=unit).cell("DLA", "ETAT") == 10   # the same unit: read


@pytest.mark.parametrize("title", ["Aides de 1 000 € par structure", "Budget total 3 M€",
                                   "Plafond : 1000 € par projet"])
def test_an_amount_named_in_a_title_does_not_contradict_a_unit_given(title):
    t = f"{title}\nAction;CR;CDC;Total\nDLA;327;274;601\nTotal;327;274;601\n"
    plan = read_plan(io.BytesIO(t.encode()), unit="k€")
    assert plan.unit == "k€" and plan.cell("DLA", "CDC") == 274


def test_a_described_plan_file_whose_title_says_another_unit_than_its_entry_is_refused(tmp_path):
    (tmp_path / "p21.tsv").write_text("Montants en k€\nAxe\tLigne\tETAT\tTotal\n"
                                      "Création\tAmorçage\t10\t10\nTotal\t\t10\t10\n",
                                      encoding="utf-8")
    toml = tmp_path / "c.toml"
    toml.write_text('''[convention]
title = "T"
territory = "X"
start = 2020-01-01
end = 2022-12-31

[[parties]]
code = "ETAT"
name = "Etat"
kind = "state"

[[plans]]
year = 2021
unit = "€"
file = "p21.tsv"
''', encoding="utf-8")
    with pytest.raises(essconv.Error, match="p21.tsv:1:1:.*€.*'Montants en k€'"):
        essconv.load(toml)


def test_transposed_digits_in_a_cell(tmp_path):
    p = tmp_path / "p.tsv"
    p.write_bytes(dress(edit(CLEAN, 3, 2, "1 520")))        # 1 250 typed 1 520
    report = read_plan(p).validate()
    assert [f.code for f in report.errors] == ["row-total", "column-total", "grand-total"]
    best = report.suggestions[0]
    assert (best.code, best.line, best.funder, best.expected, best.actual) == (
        "cell-correction", "Création", "Région", Decimal(1250), Decimal(1520))
    assert "transposed" in best.message
    assert read_plan(p).with_corrections(report).validate().ok


def test_a_value_in_the_wrong_column(tmp_path):
    p = tmp_path / "p.tsv"
    p.write_bytes(dress(edit(edit(CLEAN, 2, 4, ""), 2, 3, "15")))   # CDC's 15 typed under Etat
    report = read_plan(p).validate()
    assert [f.code for f in report.errors] == ["column-total", "column-total"]
    best = report.suggestions[0]
    assert (best.code, best.line, best.funder, best.target, best.actual) == (
        "cell-move", "Observatoire", "Etat", "CDC", Decimal(15))
    fixed = read_plan(p).with_corrections(report)
    assert fixed.validate().ok and fixed.cell("Observatoire", "CDC") == Decimal(15)


def test_a_missing_cell(tmp_path):
    p = tmp_path / "p.tsv"
    p.write_bytes(dress(edit(CLEAN, 4, 3, "")))
    best = read_plan(p).validate().suggestions[0]
    assert (best.code, best.line, best.funder, best.expected, best.actual) == (
        "cell-correction", "DLA", "Etat", Decimal(200), None)


def test_a_mistyped_total(tmp_path):
    p = tmp_path / "p.tsv"
    p.write_bytes(dress(edit(CLEAN, 3, 5, "2 200")))
    report = read_plan(p).validate()
    assert [f.code for f in report.errors] == ["row-total"]
    best = report.suggestions[0]
    assert (best.code, best.line, best.funder, best.expected, best.actual) == (
        "total-correction", "Création", "Total", Decimal(2000), Decimal(2200))


def test_text_in_a_cell_loads_and_is_reported(tmp_path):
    p = tmp_path / "p.tsv"
    p.write_bytes(dress(edit(CLEAN, 2, 2, "n.c.")))
    plan = read_plan(p)
    assert plan.cell("Observatoire", "Région") is None
    assert plan.cell_text("Observatoire", "Région") == "n.c."
    assert plan.cell("Observatoire", "CDC") == Decimal(15)      # nothing else is lost
    report = plan.validate()
    # and the warning that CLEAN prints no unit, read in euros
    assert [f.code for f in report] == ["malformed-number", "plan-problem"]
    assert "read in euros" in report[1].message
    f = report[0]
    assert (f.line, f.funder, f.source_line, f.source_column) == ("Observatoire", "Région", 3, 15)
    assert f.expected == Decimal(45)         # what its line and column leave for it
    assert plan.with_corrections(report).validate().ok


def test_ragged_rows_and_all_problems_listed(tmp_path):
    rows = [list(r) for r in CLEAN]
    rows[2] = rows[2][:-1]                 # a short row
    rows[4] = rows[4] + ["7", "8"]         # a long one
    rows[3][3] = "4OO"                     # and an unreadable cell
    p = tmp_path / "broken.tsv"
    p.write_bytes(dress(rows))
    with pytest.raises(essconv.PlanFormatError) as info:
        read_plan(p)
    err = info.value
    assert isinstance(err, ValueError) and str(p) in str(err)
    assert [(x.line, x.structural) for x in err.problems] == [(3, True), (4, False), (5, True)]
    assert "5 cells where the header has 6" in err.problems[0].message
    assert "4OO" in err.problems[1].message


def test_a_plan_row_of_one_cell_is_said_in_the_singular():
    # "this row has 1 cells": a row of its label alone, above the Total row
    import io
    with pytest.raises(essconv.PlanFormatError) as info:
        read_plan(io.StringIO("en k€;A;B;Total\nL1;1;2;3\nL2\nTotal;1;2;3\n"))
    assert [x.message for x in info.value.problems] == ["this row has 1 cell where the header has 4"]


def test_unterminated_quote_and_undecodable_bytes(tmp_path):
    p = tmp_path / "q.csv"
    p.write_bytes(b'en k\xe2\x82\xac;CDC;Total\nDLA;"274;274\n')
    with pytest.raises(essconv.PlanFormatError, match="never closed") as info:
        read_plan(p)
    assert (info.value.line, info.value.column) == (2, 5)
    p.write_bytes(b"en k;CDC;Total\nDLA;2\x8174;274\n")    # 0x81: neither UTF-8 nor CP1252
    with pytest.raises(essconv.PlanFormatError, match="neither UTF-8 nor CP1252") as info:
        read_plan(p)
    assert (info.value.line, info.value.column) == (2, 6)


def test_duplicate_funder_columns_are_structural(tmp_path):
    p = tmp_path / "d.tsv"
    p.write_bytes(b"en k\xe2\x82\xac\tCDC\tCDC\tTotal\nDLA\t1\t2\t3\n")
    with pytest.raises(essconv.PlanFormatError, match="heads two columns"):
        read_plan(p)


def test_no_total_row_or_column(tmp_path):
    p = tmp_path / "p.tsv"
    p.write_bytes(b"Ligne\tA\tB\nx\t1\t2\ny\t3\t4\n")
    plan = read_plan(p)
    assert not plan.has_total_row and not plan.has_total_column
    assert plan.stated_total is None and plan.total() == Decimal(10)
    assert plan.validate().ok


def test_sources_text_binary_and_bytes(annex_tsv):
    with open(annex_tsv, "rb") as fh:
        assert read_plan(fh).total() == Decimal(8105)
    with open(annex_tsv, encoding="utf-8") as fh:
        assert read_plan(fh).total() == Decimal(8105)
    assert read_plan(annex_tsv.read_bytes(), year=2009).year == 2009
    assert read_plan(str(annex_tsv)).total() == Decimal(8105)


def test_unknown_labels_say_what_they_might_be(annex_tsv):
    plan = read_plan(annex_tsv)
    with pytest.raises(essconv.UnknownLabelError, match="did you mean 'DLA'"):
        plan.cell("DLB", "CDC")
    with pytest.raises(KeyError):
        plan.cell("DLA", "XYZ-99")


def test_xlsx_round_trip_keeps_every_cent(tmp_path, annex_tsv):
    pytest.importorskip("openpyxl")
    from essconv.xlsx import write_plan_xlsx
    plan = read_plan(annex_tsv)
    out = tmp_path / "plan-2009.xlsx"
    write_plan_xlsx(plan, out, plan.validate())
    back = read_plan(out)
    assert back.year == 2009 and back.unit == "k€"
    assert back.by_funder() == plan.by_funder() and back.total() == plan.total()
    check_annex_findings(back.validate()) if False else None
    codes = [f.code for f in back.validate()]
    assert codes == ANNEX_EXPECTED_CODES
    import openpyxl
    wb = openpyxl.load_workbook(out)
    assert "Constats" in wb.sheetnames     # French by default; English: tests/test_language.py
    assert wb.worksheets[0].cell(row=3, column=11).comment is not None   # CRESS Total


def test_xlsx_export_of_whole_amounts_past_fifteen_digits_keeps_them_exact(tmp_path):
    # a whole amount was written as a Python int, which openpyxl prints through a float:
    # -9 007 199 254 740 993 € was saved as -9 007 199 254 740 992 and the plan read back
    # failed its own totals -- past 15 digits an amount is its exact text, as a Decimal's is
    openpyxl = pytest.importorskip("openpyxl")
    from essconv.xlsx import write_plan_xlsx
    rows = [["L1", "1234567890123456", "1"], ["L2", "-9007199254740993", "0"]]
    text = "en €\tA\tB\tTotal\n" + "".join(
        f"{l}\t{a}\t{b}\t{Decimal(a) + Decimal(b)}\n" for l, a, b in rows)
    text += "Total\t" + "\t".join(str(sum(Decimal(r[k]) for r in rows)) for k in (1, 2))
    text += f"\t{sum(Decimal(r[1]) + Decimal(r[2]) for r in rows)}\n"
    plan = read_plan(text.encode(), year=2015)
    assert plan.validate().ok
    out = tmp_path / "plan-2015.xlsx"
    write_plan_xlsx(plan, out, plan.validate())
    sheet = openpyxl.load_workbook(out).active
    for r, (line, a, b) in enumerate(rows, start=2):
        cell = sheet.cell(row=r, column=2)
        # the exact text, as the French sheet writes an amount: "1 234 567 890 123 456,00 €"
        assert cell.data_type == "s" and cell.value.endswith(",00\xa0€"), (line, cell.value)
        assert parse_amount(cell.value.removesuffix("\xa0€")) == Decimal(a), (line, cell.value)
        assert sheet.cell(row=r, column=3).value == int(b)      # a small amount stays a number
    back = read_plan(out)
    assert back.to_dict()["lines"] == plan.to_dict()["lines"] and back.total() == plan.total()
    assert back.validate().ok
    # an English sheet writes it the English way, "-9,007,199,254,740,993.00 €", and reads
    # back as an English plan does, its point decimal
    write_plan_xlsx(plan, out, plan.validate(), lang="en")
    assert openpyxl.load_workbook(out).active.cell(row=3, column=2).value == \
        "-9,007,199,254,740,993.00\xa0€"
    back = read_plan(out, decimal=".")
    assert back.to_dict()["lines"] == plan.to_dict()["lines"] and back.validate().ok


def test_xlsx_export_of_a_plan_printed_with_decimal_points_writes_its_amounts(tmp_path):
    # the workbook's numbers were the printed cells read again the French way: "12.500" in a
    # plan whose point is decimal ("3.25" beside it) is 12,5 k€, and the workbook said 12 500
    openpyxl = pytest.importorskip("openpyxl")
    from essconv.xlsx import write_plan_xlsx
    printed = {("Formation", "CR"): "12.500", ("Formation", "CDC"): "3.25",
               ("Conseil", "CR"): "1.5", ("Conseil", "CDC"): "2.000"}
    text = "Action;CR;CDC\n" + "".join(f"{line};{printed[line, 'CR']};{printed[line, 'CDC']}\n"
                                       for line in ("Formation", "Conseil"))
    plan = read_plan(text.encode(), year=2012, unit="k€")
    assert plan.amount_at(0, 0) == Decimal("12.5")   # the plan itself reads it right
    write_plan_xlsx(plan, tmp_path / "p.xlsx")
    sheet = openpyxl.load_workbook(tmp_path / "p.xlsx").active
    for r, line in enumerate(("Formation", "Conseil"), start=2):
        for c, funder in enumerate(("CR", "CDC"), start=2):
            # openpyxl gives a float back: its text is the number Excel shows
            assert Decimal(str(sheet.cell(row=r, column=c).value)) == Decimal(printed[line, funder])
    back = read_plan(tmp_path / "p.xlsx")
    assert back.total() == sum(Decimal(v) for v in printed.values())


def test_xlsx_export_shows_amounts_as_printed_not_in_general_format(tmp_path):
    """A € pivot's 1,50 showed as "1,5" (General format) and a k€ plan's 1 261 as "1261": each
    amount cell gets a number format, euros with their cents, k€ with the decimals it has."""
    openpyxl = pytest.importorskip("openpyxl")
    from essconv.xlsx import write_plan_xlsx
    ledger = essconv.Ledger.from_columns({"k": ["L1", "L1", "L2"], "c": ["A", "B", "A"],
                                          "m": [Decimal("1.50"), Decimal("2"), Decimal("1000")]},
                                         amount="m")
    pivot = ledger.pivot("k", "c")
    write_plan_xlsx(pivot, tmp_path / "p.xlsx")
    sheet = openpyxl.load_workbook(tmp_path / "p.xlsx").active
    amounts = [cell for row in sheet.iter_rows(min_row=2, min_col=2) for cell in row
               if cell.value is not None]
    assert len(amounts) == 8 and Decimal(str(sheet.cell(row=2, column=2).value)) == Decimal("1.5")
    assert {cell.number_format for cell in amounts} == {'#,##0.00\\ "€"'}   # "1,50 €"
    plan = read_plan("en k€;A;B;Total\nx;1,5;1 261;1 262,5\nTotal;1,5;1 261;1 262,5\n".encode(),
                     year=2012)
    write_plan_xlsx(plan, tmp_path / "k.xlsx", plan.validate())
    sheet = openpyxl.load_workbook(tmp_path / "k.xlsx").active
    assert [sheet.cell(row=2, column=c).number_format for c in (2, 3, 4)] == \
        ['#,##0.0\\ "k€"', '#,##0\\ "k€"', '#,##0.0\\ "k€"']
    assert read_plan(tmp_path / "k.xlsx").total() == plan.total()   # read back: the same amounts
    assert read_plan(tmp_path / "p.xlsx").total() == pivot.total()


def test_an_export_of_a_table_stating_no_total_writes_the_totals_its_cells_give(tmp_path):
    # a ledger's pivot states no Total: its CSV and .xlsx exports said "Total" over empty
    # cells (its display shows the sums); they hold the exact sums, checked against a twin
    from essconv.export import plan_delimited
    amounts = {("a", "x"): "12345678901234.56", ("b", "y"): "-0.01", ("a", "y"): "0",
               (None, "x"): "3.10"}
    ledger = essconv.Ledger.from_columns({"f": [k[0] for k in amounts], "g": [k[1] for k in amounts],
                                          "m": list(amounts.values())}, amount="m")
    pivot = ledger.pivot("f", "g")
    twin = lambda f=..., g=...: sum((Decimal(v) for (kf, kg), v in amounts.items()   # noqa: E731
                                    if f in (..., kf) and g in (..., kg)), Decimal(0))
    rows = [r.split(";") for r in plan_delimited(pivot).splitlines()]
    assert rows[0] == ["en €", "x", "y", "Total"]
    number = lambda t: Decimal(t.replace(" ", "").replace(",", "."))   # noqa: E731
    for r in rows[1:-1]:
        f = None if r[0] == "(vide)" else r[0]   # the missing key, as a French export says it
        assert number(r[3]) == twin(f=f)
    assert rows[-1][0] == "Total" and [number(t) for t in rows[-1][1:]] == [
        twin(g="x"), twin(g="y"), twin()]
    back = read_plan(plan_delimited(pivot).encode())
    assert back.validate().ok and back.total() == twin() == pivot.total()
    # a plan printed without Total row or column: the same sums, its cells as printed
    plan = read_plan("en k€\tA\tB\nx\t1,5\t2\ny\t-3\t\n".encode())
    assert plan_delimited(plan).splitlines() == ["en k€;A;B;Total", "x;1,5;2;3,5", "y;-3;;-3",
                                                 "Total;-1,5;2;0,5"]
    openpyxl = pytest.importorskip("openpyxl")
    from essconv.xlsx import write_plan_xlsx
    write_plan_xlsx(pivot, tmp_path / "pivot.xlsx")
    sheet = openpyxl.load_workbook(tmp_path / "pivot.xlsx").active
    last = [c.value for c in sheet[sheet.max_row]]
    assert last[0] == "Total" and last[3].endswith("\xa0€")       # past 15 digits: its text
    assert parse_amount(last[3].removesuffix("\xa0€")) == twin()
    assert Decimal(str(last[2])) == twin(g="y")


def test_xlsx_with_cents(tmp_path):
    openpyxl = pytest.importorskip("openpyxl")
    wb = openpyxl.Workbook()
    ws = wb.active
    for row in [["en €", "A", "B", "Total"], ["x", 0.1, 0.2, 0.3], ["y", 1234567.89, 0.01, 1234567.9],
                ["Total", 1234567.99, 0.21, 1234568.2]]:
        ws.append(row)
    p = tmp_path / "c.xlsx"
    wb.save(p)
    plan = read_plan(p)
    assert plan.cell("x", "A") + plan.cell("x", "B") == Decimal("0.3")
    assert plan.total() == Decimal("1234568.20") and plan.validate().ok


# ---------------------------------------------------------------------------- properties
def _french(cents_k: int) -> str:
    """An independent formatter: k€ with up to 2 decimals, spaces between groups."""
    sign = "-" if cents_k < 0 else ""
    whole, frac = divmod(abs(cents_k), 100)
    s = f"{whole:,}".replace(",", " ")
    return sign + s + (f",{frac:02d}".rstrip("0") if frac else "")


@settings(max_examples=40, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.data())
def test_random_plans_sum_and_reconcile(data):
    nlines = data.draw(st.integers(2, 8))
    nfund = data.draw(st.integers(2, 7))
    values = [[data.draw(st.integers(1, 10**9)) for _ in range(nfund)] for _ in range(nlines)]
    header = ["en k€"] + [f"F{j}" for j in range(nfund)] + ["Total"]
    rows = [header]
    for i, row in enumerate(values):
        rows.append([f"L{i}"] + [_french(v) for v in row] + [_french(sum(row))])
    rows.append(["Total"] + [_french(sum(v[j] for v in values)) for j in range(nfund)]
                + [_french(sum(map(sum, values)))])
    text = "\n".join(";".join(r) for r in rows).encode("cp1252")
    plan = read_plan(io.BytesIO(text))
    oracle = sum((Decimal(v) / 100 for row in values for v in row), Decimal(0))
    assert plan.total() == oracle and plan.validate().ok
    # plant one wrong cell: the most likely explanation must be that cell
    i, j = data.draw(st.integers(0, nlines - 1)), data.draw(st.integers(0, nfund - 1))
    wrong = data.draw(st.integers(1, 10**9).filter(lambda w: w != values[i][j]))
    rows[i + 1][j + 1] = _french(wrong)
    bad = read_plan(io.BytesIO("\n".join(";".join(r) for r in rows).encode("cp1252")))
    report = bad.validate()
    best = report.suggestions[0]
    assert (best.code, best.line, best.funder) == ("cell-correction", f"L{i}", f"F{j}")
    assert best.expected == Decimal(values[i][j]) / 100
    assert bad.with_corrections(report).validate().ok


def test_pivot_margins_at_every_level_equal_an_oracle(annex_tsv):
    conv = essconv.default()
    plan = read_plan(annex_tsv)
    m = plan.pivot(conv)
    cells = list(plan.cells())
    def oracle(lines=None, funders=None):
        return sum((v for l, f, v in cells if (lines is None or l in lines)
                    and (funders is None or f in funders)), Decimal(0))
    for axis in plan.axes:
        lines = plan.lines_of(axis)
        assert m.get(("axis", axis), "total") == oracle(lines=lines) == plan.by_axis()[axis]
        for party in m.parties:
            funders = [f for f in plan.funders if conv.party_of(f) and conv.party_of(f).code == party]
            assert m.get(("axis", axis), ("party", party)) == oracle(lines, funders)
    assert m.get(("axis", "Soutenir la création d'activité"), ("party", "ETAT")) == Decimal(554)
    assert m.get("total", ("party", "ETAT")) == Decimal(739)
    assert m.get("total", "total") == plan.total() == oracle()
    assert m.get("DLA", "CDC") == Decimal(274)
    assert "ESE" not in m.parties and m.get("total", "ESE") == Decimal(600)
    text = str(m)
    assert "Σ ETAT" in text and "= Structurer le secteur de l'ESS" in text
    with pytest.raises(KeyError):
        m.get("nope", "total")


def test_a_line_label_under_two_axes_keeps_its_own_amounts_in_the_pivot(tmp_path):
    # "Fonctionnement" under each axis: the pivot keyed both lines by their label, so both
    # rows showed the second one's amounts (Axe 1's 3 | 4 read 30 | 40) -- silently
    p = tmp_path / "plan-2010.tsv"
    p.write_bytes("en k€\t\tA\tB\nAxe 1\tFonctionnement\t3\t4\n\tÉtudes\t1\t\n"
                  "Axe 2\tFonctionnement\t30\t40\n".encode())
    plan = read_plan(p)
    m = plan.pivot()
    shown = [r for r in m.to_rows() if r[0].strip() == "Fonctionnement"]
    assert [r[1:] for r in shown] == [["3", "4", "7"], ["30", "40", "70"]]
    # the pivot's own rows add up to its margins, and each cell equals the plan's
    cells = {}
    for i, line in enumerate(plan.lines):
        for f in plan.funders:
            key = (plan.axis_of(i), line) if plan.lines.count(line) > 1 else line
            cells[key, f] = plan.cell(i, f) or Decimal(0)
    for (key, f), v in cells.items():
        assert m.get(("line", key), f) == v
    assert m.get(("line", ("Axe 1", "Fonctionnement")), "total") == 7
    assert m.get(("axis", "Axe 1"), "total") == 8 == plan.by_axis()["Axe 1"]
    with pytest.raises(essconv.UnknownLabelError, match="several axes"):
        m.get("Fonctionnement", "A")
    assert m.get("Études", "A") == 1
    assert "Fonctionnement" in str(m) and "('Axe 1'" not in str(m)


def test_a_line_above_the_first_axis_is_a_row_of_the_pivot(tmp_path):
    # a line printed before any axis belongs to none: the pivot left it out, so its rows
    # added up to 9 under a Total of 12
    p = tmp_path / "plan-2012.tsv"
    p.write_bytes("en k€\t\tA\tB\tTotal\n\tL0\t1\t2\t3\nAxe 1\tL1\t4\t5\t9\n"
                  "Total\t\t5\t7\t12\n".encode())
    plan = read_plan(p)
    assert plan.axes == ["Axe 1"] and plan.axis_of("L0") is None
    m = plan.pivot()
    rows = m.to_rows()
    assert [r[0] for r in rows] == ["en k€", "  L0", "  L1", "= Axe 1", "Total"]
    assert rows[1][1:] == ["1", "2", "3"] and rows[-1][1:] == ["5", "7", "12"]
    lines = [k for k in m.ordered_rows() if k != "total" and k[0] == "line"]
    assert sum(m.get(k, "total") for k in lines) == m.get("total", "total") == plan.total()


def test_dash_as_zero_only_when_asked(tmp_path):
    p = tmp_path / "p.tsv"
    p.write_bytes("en k€\tA\tB\tTotal\nx\t-\t2\t2\nTotal\t—\t2\t2\n".encode())
    assert [f.code for f in read_plan(p).validate()] == ["malformed-number", "malformed-number"]
    plan = read_plan(p, dash_is_zero=True)
    assert plan.cell("x", "A") == 0 and plan.validate().ok


def test_the_text_display_and_the_xlsx_export_mark_the_cells_a_finding_names(tmp_path, annex_tsv):
    """Where a finding's mark goes is said once (Finding.marked_cells): the .xlsx export puts
    a comment on exactly the cells the findings name, the Total row and column included, and
    the text display marks each of them."""
    openpyxl = pytest.importorskip("openpyxl")
    from essconv.xlsx import write_plan_xlsx
    plan = read_plan(annex_tsv)
    report = plan.validate()
    out = tmp_path / "plan-2009.xlsx"
    write_plan_xlsx(plan, out, report)
    sheet = openpyxl.load_workbook(out).worksheets[0]
    header = [c.value for c in sheet[1]]
    labels = [sheet.cell(row=r, column=2).value or sheet.cell(row=r, column=1).value
              for r in range(1, sheet.max_row + 1)]   # the Total row says so in column 1
    commented = {(labels[c.row - 1], header[c.column - 1])
                 for row in sheet.iter_rows() for c in row if c.comment is not None}
    named = {cell for f in report for cell in f.marked_cells[:1]
             if None not in cell}   # a verdict (an ambiguity...) names no cell
    assert commented == named
    assert ("Observatoire CRESS", "Total") in named and ("Total", "Total") in named
    shown = str(plan)
    for line, funder in named:
        row = next(l for l in shown.splitlines()
                   if l.startswith(("  " + line) if line != "Total" else "Total (indiqué)"))
        assert "!" in row or "*" in row, (line, funder, row)


def test_a_finding_about_a_repeated_line_label_marks_that_line_only(tmp_path):
    # "Fonct" under each axis, Axe 2's total wrong (75 for 70): the displays marked Axe 1's
    # correct 7 as wrong too ("7!"), and the .xlsx put the finding's red comment on Axe 1's 7
    text = ("en k€\t\tA\tB\tTotal\nAxe 1\tFonct\t3\t4\t7\n\tÉtudes\t1\t\t1\n"
            "Axe 2\tFonct\t30\t40\t75\nTotal\t\t34\t44\t83\n")
    plan = read_plan(text.encode(), year=2010)
    report = plan.validate()
    row = next(f for f in report if f.code == "row-total")
    assert (row.group, row.line, row.actual, row.expected) == ("Axe 2", "Fonct", 75, 70)
    shown = [l.split() for l in str(plan).splitlines() if l.startswith("  Fonct")]
    assert shown[0] == ["Fonct", "3", "4", "7", "7"]                # Axe 1's: nothing marked
    assert shown[1][:4] == ["Fonct", "30*", "40", "75!"]
    html = plan._repr_html_()
    first = html.split("<td>Fonct</td>")[1].split("</tr>")[0]
    assert "bad" not in first and "fix" not in first
    openpyxl = pytest.importorskip("openpyxl")
    from essconv.xlsx import write_plan_xlsx
    write_plan_xlsx(plan, tmp_path / "plan-2010.xlsx", report)
    sheet = openpyxl.load_workbook(tmp_path / "plan-2010.xlsx").active
    commented = {c.coordinate: c.value for r in sheet.iter_rows() for c in r if c.comment}
    assert commented == {"E4": 75, "E5": 83}


@pytest.mark.parametrize("call", [
    lambda conv: conv.party("CG-67"),
    lambda conv: conv.axis(9),
    lambda conv: conv.funded_in_plans("NOPE"),
    lambda conv: conv.plan(1999),
    lambda conv: essconv.money.unit_cents("$"),
    lambda conv: essconv.read_plan(b"x;A\nl;1\n", encoding="latin-9"),
    lambda conv: essconv.read_plan(b"x;A\nl;1\n", delimiter=";;"),
    lambda conv: conv.plan(2009).with_corrections([conv.plan(2009).validate(conv).errors[0]]),
], ids=["party", "axis", "instrument", "year", "unit", "encoding", "delimiter", "no correction"])
def test_a_refused_argument_is_an_essconv_error_of_the_standard_type(call):
    """Every error raised on purpose derives from essconv.Error and stays the standard type a
    caller catches (KeyError for a code the convention lacks, ValueError for a bad value)."""
    conv = essconv.default()
    with pytest.raises(essconv.Error) as caught:
        call(conv)
    assert isinstance(caught.value, (KeyError, ValueError, LookupError))


@pytest.mark.parametrize("label", ["Sous-total Axe 1", "Sous total", "S/total axe 1",
                                   "Total axe 1", "Total de l'axe 1", "Subtotal"])
def test_a_sub_total_row_is_refused_by_name_never_read_as_a_line(label):
    """Read as an action line, a sub-total row doubled every column and the correct Total row
    was "corrected" to the doubled sums (and "Total axe 1" was taken for the Total row)."""
    t = (f"en K€;;CR-NPDC;CDC;Total\nAxe 1;Têtes de réseaux;197;20;217\n;Observatoire;13;10;23\n"
         f";{label};210;30;240\nAxe 2;DLA;327;274;601\nTotal;;537;304;841\n")
    with pytest.raises(essconv.PlanFormatError, match="sub-total row") as info:
        read_plan(io.BytesIO(t.encode()))
    assert [p.line for p in info.value.problems] == [4]
    assert label in str(info.value)
    ok = t.replace(f";{label};210;30;240\n", "")
    assert read_plan(io.BytesIO(ok.encode())).validate().ok


def test_a_title_line_above_a_semicolon_table_leaves_the_delimiter_to_the_table():
    # the sniffer took the first line's count of each delimiter: a title with none made every
    # delimiter count nothing, and the plan was refused ("no row has three cells or more")
    data = ("PLAN DE FINANCEMENT 2010\nen K€;;CR-NPDC;CDC;Total\nAxe 1;DLA;327;274;601\n"
            "Total;;327;274;601\n").encode()
    plan = essconv.read_plan(io.BytesIO(data))
    assert plan.funders == ["CR-NPDC", "CDC"] and plan.total() == Decimal(601)
    assert plan.validate().ok


def test_a_note_under_the_total_row_is_no_line():
    # "Source : Région;;;;" as Excel pads it was refused as "this row has amounts but no line
    # label": it has neither amounts nor a line; a row with amounts stays a problem
    table = "en K€;;CR-NPDC;CDC;Total\nAxe 1;DLA;327;274;601\nTotal;;327;274;601\n"
    plan = essconv.read_plan(io.BytesIO((table + "Source : Région;;;;\n").encode()))
    assert plan.lines == ["DLA"] and plan.validate().ok
    with pytest.raises(essconv.PlanFormatError, match="amounts but no line label"):
        essconv.read_plan(io.BytesIO((table + "Source : Région;;5;;\n").encode()))


def test_a_line_label_under_two_axes_keeps_both_stated_totals():
    # stated_line_totals was keyed by the label: Axe 2's DLA hid Axe 1's, and the correction
    # suggested for Axe 1's DLA said it reconciled "its line total (300)" -- the other line's
    from essconv.messages import language
    table = ("en K€;;CR;CDC;Total\nAxe 1;DLA;10;;30\nAxe 2;DLA;100;200;300\n"
             "Total;;110;220;330\n")
    plan = essconv.read_plan(io.BytesIO(table.encode()))
    assert plan.stated_line_totals == {("Axe 1", "DLA"): Decimal(30), ("Axe 2", "DLA"): Decimal(300)}
    fix = plan.validate().suggestions[0]
    assert (fix.group, fix.line, fix.funder, fix.expected) == ("Axe 1", "DLA", "CDC", Decimal(20))
    assert "le total de sa ligne (30\u00a0k€)" in language("fr").finding(fix, plan, None)
    assert "its line total 30\u00a0k€," in language("en").finding(fix, plan, None)


@pytest.mark.parametrize("table, warned", [
    (b"ligne\tA\tB\nx\t1\t2\ny\t3\t4\n", True),                    # no Total row, column or cell
    (b"ligne\tA\tB\tTotal\nx\t1\t2\t\ny\t3\t4\t\n", True),          # a Total column left blank
    (b"ligne\tA\tB\tTotal\nx\t1\t2\t3\ny\t3\t4\t\n", False),        # one line total: checked
    (b"ligne\tA\tB\nx\t1\t2\ny\t3\t4\nTotal\t\t6\n", False),         # one funder total: checked
])
def test_a_table_that_states_no_total_is_said_to_check_nothing(table, warned):
    # a clean report on a table with no total would pass for "the totals agree": a warning
    # says nothing was checked, in both languages (ok stays True: nothing is wrong)
    plan = read_plan(io.BytesIO(table))
    report = plan.validate()
    assert report.ok
    said = [f for f in report if f.code == "no-total"]
    assert bool(said) == warned
    if warned:
        [f] = said
        assert f.severity == "warning" and "no total" in f.message
        assert "aucun total" in essconv.messages.language("fr").finding(f, plan)
    # the notebook's view lists it under the table, and says no "totals consistent"
    assert ("aucun total" in plan._repr_html_()) == warned
    assert ("cohérents" in plan._repr_html_()) != warned


def test_python_code_that_empties_the_lists_given_to_the_plan_core_cannot_crash_it():
    # Plan.from_rows, Plan.from_state (what unpickling calls) and pivot indexed the lists they
    # were given by a length taken before running a row's __iter__ or a cell's __index__, which
    # could empty them or free the cell and the text being read (segfaults)
    from conftest import run_isolated
    done = run_isolated("""
        import gc
        from essconv import _core

        class Emptying:
            def __init__(self, *lists, value=1):
                self.lists, self.value = lists, value
            def __index__(self):
                for each in self.lists:
                    each.clear()
                gc.collect()
                return self.value

        rows = [[("x", 1, 1), ("A", 1, 2), ("B", 1, 3)], [("l" * 40, 2, 1), ("1", 2, 2), ("2", 2, 3)]]
        rows[1][0] = ("l" * 40, Emptying(rows[1], rows), 1)
        plan = _core.Plan.from_rows(rows)[0]
        assert plan.lines == ["l" * 40] and plan.total() == 300, plan.lines

        class Row:   # a row that is a sequence but no list: read through its __getitem__
            def __len__(self):
                return 3
            def __getitem__(self, k):
                if k == 0:
                    rows.clear()
                    gc.collect()
                if k > 2:
                    raise IndexError
                return ("x", "A", "B")[k], 1, k + 1
        rows = [Row(), [("l", 2, 1), ("1", 2, 2), ("2", 2, 3)]]
        assert _core.Plan.from_rows(rows)[0].total() == 300

        state = list(plan.state())
        state[6] = [("l" * 40).upper()]
        cells = list(state[10])
        cells[0] = cells[0][:3] + (Emptying(state[6], cells, state[9]), 1)
        state[10] = cells
        again = _core.Plan.from_state(tuple(state))
        assert again.lines == ["L" * 40] and again.total() == 300, again.lines

        groups = [0, 0]
        groups[0] = Emptying(groups, value=0)
        assert len(plan.pivot(groups)) == 2
        print("survived")
    """)
    assert done.returncode == 0 and "survived" in done.stdout, done.stderr


@pytest.mark.parametrize("prec, rounding", [(4, "ROUND_DOWN"), (3, "ROUND_HALF_UP"),
                                            (28, "ROUND_CEILING")])
@pytest.mark.parametrize("by", ["funder", "line", "axis"])
def test_plan_shares_round_half_even_whatever_the_callers_decimal_context(prec, rounding, by):
    # a notebook's decimal.getcontext().prec = 4 (or a rounding set for other work) made
    # plan.shares() give other shares: 50.28 % for 50.29 %, 1.0E+2 for 100
    import decimal
    from fractions import Fraction
    plan = essconv.default().plan(2009)
    parts = {"funder": plan.by_funder, "line": plan.by_line, "axis": plan.by_axis}[by]()
    total = Fraction(plan.total())
    # the exact share, rounded half-even to 0.01 (Fraction's round is half-even)
    want = {k: Decimal(round(Fraction(v) * 100 / total * 100)) / 100 for k, v in parts.items()}
    with decimal.localcontext() as ctx:
        ctx.prec, ctx.rounding = prec, getattr(decimal, rounding)
        got = plan.shares(by)
    assert got == want
    assert all(str(s) == f"{s:.2f}" for s in got.values())   # never 1.0E+2: two places, plain


def test_a_plans_json_keeps_the_cells_that_print_no_amount_as_printed(tmp_path, capsys):
    """`to_dict()` (and `convert --to json`) gave null for a cell printing "n.c.", a dash or
    "p.m." as for a blank one, and for a stated total printing "n.c.": what the cell said was
    lost from the export. The amounts stay null; each such cell is listed as printed, at its
    line and column in the file (a CP1252 plan with a title row and a trailing ";")."""
    import json
    from essconv.cli import main
    rows = [["Plan de financement 2010", "", "", "", ""],
            ["en K€", "Région", "CDC", "Total", ""],
            ["Têtes de réseaux", "1\u00a0250,5", "n.c.", "1\u00a0250,5", ""],
            ["Observatoire", "—", "p.m.", "n.c.", ""],
            ["DLA", "300", "1\u00a0000", "1\u00a0300", ""],
            ["Total", "n.c.", "1\u00a0000", "2\u00a0550,5", ""]]
    path = tmp_path / "plan-2010.csv"
    path.write_bytes("\r\n".join(";".join(r) for r in rows).encode("cp1252"))
    header = rows[1]

    def amount(text):   # the slow twin of a plain French amount; None for no amount
        try:
            return Decimal(text.replace("\u00a0", "").replace(",", "."))
        except ArithmeticError:
            return None
    want = []
    for number, row in enumerate(rows[2:], 3):
        for j in range(1, 4):
            if row[j] and amount(row[j]) is None:
                want.append({"line": None if row[0] == "Total" else row[0],
                             "funder": None if header[j] == "Total" else header[j],
                             "text": row[j], "source_line": number,
                             "source_column": 1 + sum(len(c) + 1 for c in row[:j])})
    assert len(want) == 5
    data = essconv.read_plan(path).to_dict()
    assert data["not_amounts"] == want
    for line in data["lines"]:   # the amounts themselves: null where no amount is printed
        row = next(r for r in rows if r[0] == line["line"])
        assert line["cells"] == {f: (None if amount(row[j]) is None else str(amount(row[j])))
                                 for j, f in ((1, "Région"), (2, "CDC"))}
    assert main(["convert", str(path), "--to", "json"]) == 0
    assert json.loads(capsys.readouterr().out)["not_amounts"] == want
