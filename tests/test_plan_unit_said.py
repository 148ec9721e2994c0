"""A plan's unit, said: a table that prints no unit (no "k€" or "en milliers d'euros" in its
header or above it) and is given none is read in euros -- and says so, at its header, in the
listing's language, with the three ways to state the unit.  An annex in k€ copied without its
header's unit read a thousand times too small, silently."""
from __future__ import annotations

import io
from decimal import Decimal
from pathlib import Path

import pytest

import essconv
from essconv.cli import main
from essconv.messages import language

pytest_plugins = ["pytester"]

KIND = "plan-unit-assumed-euros"
# the convention's Annex 1 lines, in k€, copied without the header's unit
BARE = "Action;Région;CDC;Total\nDLA;274;120;394\nCRESS;51;10;61\nTotal;325;130;455\n"


def _read(text: str, **kw) -> essconv.Plan:
    return essconv.read_plan(io.BytesIO(text.encode()), **kw)


def _spaces(text: str) -> str:
    return text.replace("\u00a0", " ").replace("\u202f", " ")


def _assumed(plan: essconv.Plan) -> list:
    return [p for p in plan.problems if p.reason and p.reason[0] == KIND]


def test_a_table_printing_no_unit_is_read_in_euros_and_says_so_at_its_header():
    plan = _read("Titre libre\n" + BARE)   # a title above, printing no unit either
    assert plan.unit == "€" and plan.total() == Decimal(455)
    (said,) = _assumed(plan)
    assert (said.line, said.column, said.structural) == (2, 1, False)   # the header's line
    assert "read in euros" in said.message
    for way in ("header's first cell", "unit= to read_plan", "[[plans]]"):
        assert way in said.message
    french = _spaces(language("fr").problem(said))
    assert "lus en euros" in french
    for way in ("première cellule de l'en-tête", "unit= à read_plan", "[[plans]]"):
        assert way in french
    assert "read in euros" not in french


def test_validate_says_it_as_a_warning_naming_the_file_and_the_header_line(tmp_path):
    path = tmp_path / "plan-2010.csv"
    path.write_text(BARE, encoding="utf-8")
    report = essconv.read_plan(path).validate()
    (warning,) = [f for f in report.warnings if "euros" in f.message]
    assert (warning.severity, warning.path, warning.source_line) == ("warning", str(path), 1)
    assert report.ok   # a warning, not an error: the totals agree
    assert "lus en euros" in _spaces(warning.wording["fr"])


@pytest.mark.parametrize("text,kw", [
    ("en k€;Région;CDC;Total\nDLA;274;120;394\n", {}),
    ("en milliers d'euros;Région;CDC;Total\nDLA;274;120;394\n", {}),
    ("Action;Région (k€);CDC (k€);Total\nDLA;274;120;394\n", {}),
    ("Action;Région;CDC;Total (en €)\nDLA;274;120;394\n", {}),
    ("PLAN 2010 (en milliers d'euros)\nAction;Région;CDC;Total\nDLA;274;120;394\n", {}),
    ("en €;Région;CDC;Total\nDLA;274;120;394\n", {}),          # euros printed: nothing assumed
    ("Action;Région;CDC;Total\nDLA;274;120;394\n", {"unit": "k€"}),
    ("Action;Région;CDC;Total\nDLA;274;120;394\n", {"unit": "€"}),
])
def test_a_unit_printed_or_given_assumes_nothing(text, kw):
    assert _assumed(_read(text, **kw)) == []
    assert not [f for f in _read(text, **kw).validate() if "euros" in f.message]


@pytest.mark.parametrize("text, unit", [
    ("en keuro;Région;CDC;Total\nDLA;274;120;394\n", "k€"),
    ("Action;Région (keuro);CDC (keuro);Total (keuro)\nDLA;274;120;394\n", "k€"),
    ("PLAN 2010 (en keuro)\nAction;Région;CDC;Total\nDLA;274;120;394\n", "k€"),
    ("en meuro;Région;CDC;Total\nDLA;274;120;394\n", "M€")])
def test_a_unit_printed_as_keuro_in_the_singular_is_read(text, unit):
    """"en keuro" (k€ in the singular, as "en keuros" is read) was no unit: the plan was read
    in euros, its amounts a thousand times too small."""
    plan = _read(text)
    assert plan.unit == unit and _assumed(plan) == []


@pytest.mark.parametrize("text, unit", [
    ("en keurs;Région;CDC;Total\nDLA;274;120;394\n", "k€"),
    ("PLAN 2010 (en KEURS)\nAction;Région;CDC;Total\nDLA;274;120;394\n", "k€"),
    ("Action;Région (Meurs);CDC (Meurs);Total (Meurs)\nDLA;274;120;394\n", "M€")])
def test_a_unit_printed_as_keurs_in_the_plural_is_read(text, unit):
    """"en keurs" (the plural of "keur") was no unit: the plan was read in euros, its amounts a
    thousand times too small, said only as "no unit printed"."""
    plan = _read(text)
    assert plan.unit == unit and _assumed(plan) == []
    assert plan.total() == Decimal(394)   # in the plan's unit


@pytest.mark.parametrize("text, place, word", [
    ("PLAN 2010 (en centaines d'euros)\nAction;Région;CDC;Total\nDLA;274;120;394\n", (1, 1),
     "centaines"),
    ("Action (en centaines d'euros);Région;CDC;Total\nDLA;274;120;394\n", (1, 1), "centaines"),
    ("Plan 2010 (en mil €)\nAction;Région;CDC;Total\nDLA;274;120;394\n", (1, 1), "mil"),
    ("Plan (en centaines de milliers d'euros)\nAction;Région;CDC;Total\nDLA;274;120;394\n",
     (1, 1), "centaines"),
    ("Action;Région (en dizaines d'euros);CDC;Total\nDLA;274;120;394\n",
     (1, len("Action;") + 1), "dizaines")])
def test_a_plan_printing_a_multiplier_not_read_as_its_unit_is_refused_at_its_cell(text, place,
                                                                                  word):
    """"en centaines d'euros" read in euros from its "euros" (100 times too small), "en
    centaines de milliers d'euros" in k€ from its "milliers" (100 times too small): silently.
    Refused at the cell that says it, in the listing's language."""
    with pytest.raises(essconv.PlanFormatError) as caught:
        _read(text)
    error = caught.value
    assert (error.line, error.column) == place
    (problem,) = [p for p in error.problems if p.reason and p.reason[0] == "plan-unit-unread"]
    assert f"a unit essconv does not read ('{word}')" in problem.message
    french = _spaces(language("fr").problem(problem))
    assert f"un multiple qu'essconv ne lit pas (« {word} »)" in french, french


def test_a_plan_naming_a_multiplier_outside_its_unit_reads_as_before():
    plan = _read("Aides aux centaines d'associations (en k€)\nAction;Région;CDC;Total\n"
                 "DLA;274;120;394\n")
    assert plan.unit == "k€" and plan.total() == Decimal(394) and _assumed(plan) == []
    assert _read("PLAN 2010 (en 1 000 €)\nAction;Région;CDC;Total\nDLA;274;120;394\n").unit == "k€"


def test_the_same_table_with_and_without_its_unit_differs_by_the_warning_alone():
    bare, printed = _read(BARE), _read(BARE.replace("Action", "en k€", 1))
    assert [p.reason[0] for p in bare.problems] == [KIND] and printed.problems == []
    assert bare.total() == printed.total() and (bare.unit, printed.unit) == ("€", "k€")


def test_an_xlsx_plan_printing_no_unit_says_it_too(tmp_path):
    openpyxl = pytest.importorskip("openpyxl")
    book = openpyxl.Workbook()
    for row in [["Action", "Région", "CDC", "Total"], ["DLA", 274, 120, 394]]:
        book.active.append(row)
    path = tmp_path / "plan-2010.xlsx"
    book.save(path)
    (said,) = _assumed(essconv.read_plan(path))
    assert said.line == 1


def test_a_refused_table_lists_what_breaks_it_and_only_that():
    with pytest.raises(essconv.PlanFormatError) as info:
        _read("Action;Région;CDC;Total\nDLA;274;120;394\nObs;1;2;3;4;5\n")
    assert not [p for p in info.value.problems if p.reason and p.reason[0] == KIND]


def test_the_embedded_convention_whose_plans_print_k_euros_assumes_nothing():
    conv = essconv.default()
    assert conv.years
    for year in conv.years:
        try:
            plan = conv.plan(year)
        except (KeyError, essconv.Error):
            continue
        assert plan.unit == "k€" and _assumed(plan) == []


@pytest.mark.parametrize("lang,words", [("fr", "lus en euros"), ("en", "read in euros")])
def test_the_validate_command_says_it_in_the_listing_s_language(tmp_path, capsys, lang, words):
    path = tmp_path / "plan-2010.csv"
    path.write_text(BARE, encoding="utf-8")
    assert main(["validate", str(path), "--lang", lang]) == 0
    out = _spaces(capsys.readouterr().out)
    assert f"{path}:1:1: " in out and words in out


DESCRIPTION = """
[convention]
title = "Convention-cadre ESS Bretagne 2020-2022"
territory = "Bretagne"
start = 2020-01-01
end = 2022-12-31
signed_on = 2020-03-15

[[parties]]
code = "CR"
name = "Conseil régional de Bretagne"
kind = "region"
signatory = true

[[bodies]]
name = "Comité des financeurs"
meetings_per_year = 3

[[plans]]
year = 2020
file = "plan-2020.csv"
{unit}
"""


@pytest.mark.parametrize("unit,said", [("", True), ('unit = "k€"', False)])
def test_a_described_plan_says_it_unless_its_entry_gives_the_unit(tmp_path, unit, said):
    (tmp_path / "plan-2020.csv").write_text("Action;CR;Total\nDLA;274;274\n", encoding="utf-8")
    path = tmp_path / "bretagne.toml"
    path.write_text(DESCRIPTION.replace("{unit}", unit), encoding="utf-8")
    plan = essconv.load(path).plan(2020)
    assert bool(_assumed(plan)) is said
    assert plan.unit == ("€" if said else "k€")


def test_the_dashboard_shows_it_in_french(tmp_path, capsys):
    (tmp_path / "plan-2020.csv").write_text("Action;CR;Total\nDLA;274;274\n", encoding="utf-8")
    path = tmp_path / "bretagne.toml"
    path.write_text(DESCRIPTION.replace("{unit}", ""), encoding="utf-8")
    out = tmp_path / "board.html"
    assert main(["report", "--convention", str(path), "--html", str(out)]) == 0
    html = _spaces(out.read_text(encoding="utf-8"))
    assert "lus en euros" in html and "read in euros" not in html


def test_the_pytest_plugin_shows_it_and_fails_it_strict(pytester):
    pytester.makefile(".csv", **{"plans/plan-2010": BARE})
    result = pytester.runpytest("plans", "-rA")
    result.assert_outcomes(passed=1)
    result.stdout.fnmatch_lines(["*plan-2010.csv:1:1: warning*read in euros*"])
    pytester.runpytest("plans", "--essconv-strict").assert_outcomes(failed=1)


@pytest.mark.parametrize("lang,words", [("fr", "lus en euros"), ("en", "read in euros")])
def test_the_aggregate_command_says_its_sums_are_in_euros(tmp_path, capsys, lang, words):
    path = tmp_path / "plan-2010.csv"
    path.write_text(BARE, encoding="utf-8")
    assert main(["aggregate", str(path), "--by", "funder", "--lang", lang]) == 0
    captured = capsys.readouterr()
    assert f"(€)\nRégion\t{274 + 51}\n" in captured.out   # the cells, added by hand
    err = _spaces(captured.err)
    assert f"{path}:1:1" in err and words in err and "counted as nothing" not in err
    printed = tmp_path / "plan-2011.csv"
    printed.write_text(BARE.replace("Action", "en k€", 1), encoding="utf-8")
    assert main(["aggregate", str(printed), "--by", "funder", "--lang", lang]) == 0
    assert "euros" not in capsys.readouterr().err


def test_a_table_stating_no_total_is_not_called_consistent_beside_the_unit_warning():
    """The notebook's view left a table stating no total unsaid only when its one finding was
    `no-total`: the unit's warning beside it made it say "totaux cohérents" of no total."""
    plan = _read("Action;Région;CDC\nDLA;274;120\nCRESS;51;10\n")
    codes = sorted(f.code for f in plan.validate())
    assert codes == ["no-total", "plan-problem"]
    html = plan._repr_html_()
    assert "aucun total" in html and "lus en euros" in _spaces(html) and "cohérents" not in html
    printed = _read("en k€;Région;CDC;Total\nDLA;274;120;394\n")
    assert "cohérents" in printed._repr_html_()   # a total stated, and holding
