"""A plan whose table is a header and no line: said empty wherever its state is said (the text
report, its JSON, the notebook's views), in French by default and in English, never « totaux
cohérents » -- there is no total to hold."""
from __future__ import annotations

import io
import json

import pytest

import essconv
from essconv.display import plan_html, report_html
from essconv.report import render_json, render_text

DESCRIPTION = """\
[convention]
title = "Convention ESS Nord 2020-2022"
territory = "Nord"
start = 2020-01-01
end = 2022-12-31

[[parties]]
code = "CR"
name = "Conseil régional"
kind = "region"
signatory = true

[[plans]]
year = 2021
unit = "k€"
table = \"\"\"
Ligne	CR	Total
%s\"\"\"
"""
ONE_LINE = "Amorçage\t20,5\t20,5\n"

WORDS = {"fr": ("le plan est vide", "totaux cohérents", "tous les totaux sont cohérents"),
         "en": ("the plan is empty", "totals consistent", "every total holds")}


@pytest.fixture(params=[("", True), (ONE_LINE, False)], ids=["header-only", "one-line"])
def plan_and_empty(request, tmp_path):
    rows, empty = request.param
    path = tmp_path / "conv.toml"
    path.write_text(DESCRIPTION % rows, encoding="utf-8")
    conv = essconv.load(path)
    assert (conv.plan(2021).lines == []) is empty   # the twin: the plan's own lines
    return conv, empty


@pytest.mark.parametrize("lang", ["fr", "en"])
def test_a_plan_without_lines_is_said_empty_not_consistent(plan_and_empty, lang):
    conv, empty = plan_and_empty
    said_empty, consistent, holds = WORDS[lang]
    plan = conv.plan(2021)
    text = render_text(conv, lang=lang)
    section = text[text.index("Plan 2021"):]
    assert (said_empty in section) is empty, section
    assert (holds in section) is not empty, section
    caption = plan_html(plan, convention=conv, lang=lang)
    assert (said_empty in caption) is empty and (consistent in caption) is not empty, caption
    listing = report_html(plan.validate(conv), convention=conv, lang=lang)
    assert (said_empty in listing) is empty and (holds in listing) is not empty, listing
    data = json.loads(render_json(conv, lang=lang))["plans"]["2021"]
    assert data["empty"] is empty


def test_the_other_language_is_not_used(plan_and_empty):
    conv, empty = plan_and_empty
    text = render_text(conv, lang="en")
    assert WORDS["fr"][0] not in text
    text = render_text(conv)
    assert WORDS["en"][0] not in text


# A template: the header and no line yet.  With no cell under "Ligne" to count, the reader took
# it for a funder; the header's own words decide: labels, then the funders, then the Total.
@pytest.mark.parametrize("labels, funders", [
    (["Axe", "Ligne"], ["CR"]),
    (["Axe", "Ligne"], ["CR", "CDC", "CG 59"]),
    (["Action", "Intitulé"], ["CR"]),
    (["Axe", "Action"], ["CR", "CG"]),
    (["N°", "Intitulé de l'action"], ["CR", "CDC"]),
    (["en k€", "Ligne"], ["CR"]),
    (["Action"], ["Action Logement", "CR"]),   # a funder that starts with a label word
])
@pytest.mark.parametrize("sep", ["\t", ";"])
def test_a_header_only_plan_takes_its_label_columns_from_the_header(labels, funders, sep):
    header = sep.join(labels + funders + ["Total"]) + "\n"
    plan = essconv.read_plan(io.BytesIO(header.encode()))
    assert plan.funders == funders
    assert plan.lines == [] and plan.total() == 0


@pytest.mark.parametrize("lang", ["fr", "en"])
def test_a_header_only_template_with_an_axis_column_is_said_empty_with_its_funders(tmp_path,
                                                                                   lang):
    description = DESCRIPTION.replace("Ligne\tCR\tTotal", "Axe\tLigne\tCR\tTotal") % ""
    path = tmp_path / "conv.toml"
    path.write_text(description, encoding="utf-8")
    conv = essconv.load(path)
    plan = conv.plan(2021)
    assert plan.funders == ["CR"] and plan.lines == []
    text = render_text(conv, lang=lang)
    assert WORDS[lang][0] in text[text.index("Plan 2021"):]
    assert "Ligne" not in text[text.index("Plan 2021"):]
    assert json.loads(render_json(conv, lang=lang))["plans"]["2021"]["empty"] is True


def test_a_reports_text_says_an_empty_plan_empty_as_its_html_does(plan_and_empty):
    """``print(report)`` in a terminal said "no finding: every total holds" of a plan with no
    line, where the notebook's view of the same report says it is empty."""
    conv, empty = plan_and_empty
    report = conv.plan(2021).validate(conv)
    assert not report.findings
    said_empty, _consistent, holds = WORDS["en"]   # the text of findings is English
    assert (said_empty in str(report)) is empty, str(report)
    assert (holds in str(report)) is not empty, str(report)
    assert (WORDS["fr"][0] in report_html(report, convention=conv)) is empty


ZERO_LINE = "Amorçage\t0\t0\n"
SAID = {"fr": ("aucune ligne : rien à répartir par axe", "— en part : le total du plan est nul"),
        "en": ("no line: nothing to break down by axis", "— as a share: the plan's total is zero")}


@pytest.mark.parametrize("lang", ["fr", "en"])
@pytest.mark.parametrize("rows", ["", ZERO_LINE, ONE_LINE], ids=["empty", "zero", "one-line"])
def test_the_sections_by_axis_say_an_empty_or_a_zero_plan_and_its_dashes(rows, lang, tmp_path):
    """An empty plan printed « Totaux par axe » over nothing, where a zero plan printed
    « Total 0 — », and the « — » of a share of a zero total had no legend: the empty section
    now says there is no line, and a dash in a share column is said once under the shares."""
    path = tmp_path / "conv.toml"
    path.write_text(DESCRIPTION % rows, encoding="utf-8")
    text = render_text(essconv.load(path), lang=lang).replace("\u00a0", " ").replace("\u202f", " ")
    lines = text[text.index("Plan 2021"):].split("\n")
    heading = next(i for i, line in enumerate(lines)
                   if line.startswith(("Totaux par axe", "Totals by axis")))
    no_line, no_share = SAID[lang]
    assert lines[heading + 1].strip(), lines[heading:heading + 3]   # never an empty section
    assert (lines[heading + 1].strip() == no_line) is (rows == ""), lines[heading + 1]
    # a total of zero (empty or zero plan) shows its shares "—": said once, after the shares
    assert text.count(no_share) == (0 if rows == ONE_LINE else 1), text
    if rows != ONE_LINE:
        said = lines.index("  " + no_share)
        assert said > heading and lines[said + 1] == "", lines[heading:said + 2]


STATED_NONE = {"fr": "— en indiqué : pas de total lisible dans la ligne Total (absente, vide ou illisible)",
               "en": "— as stated: no readable total in the Total row (none, blank or unreadable)"}
TABLES = {"no-total-row": "Ligne\tCR\tA\nL1\t10\t20\nL2\t5\t5\n",
          "unreadable": "Ligne\tCR\tA\tTotal\nL1\t10\t20\t30\nTotal\t1 2x\t20\t30\n",
          "dash": "Ligne\tCR\tA\tTotal\nL1\t10\t20\t30\nTotal\t—\t20\t30\n",
          "all-stated": "Ligne\tCR\tA\tTotal\nL1\t10\t20\t30\nTotal\t10\t20\t30\n"}


@pytest.mark.parametrize("lang", ["fr", "en"])
@pytest.mark.parametrize("table", list(TABLES))
def test_a_dash_in_the_stated_column_has_its_legend(table, lang, tmp_path):
    """The « — » printed under « indiqués » ("stated") for a funder whose Total row gives no
    readable figure had no legend, where a zero total's share dash had one: it is said once,
    under the table's Total line, and only when a dash is printed there."""
    path = tmp_path / "conv.toml"
    path.write_text(DESCRIPTION.replace("Ligne\tCR\tTotal\n%s", TABLES[table]), encoding="utf-8")
    text = render_text(essconv.load(path), lang=lang).replace("\u00a0", " ").replace("\u202f", " ")
    lines = text[text.index("Plan 2021"):].split("\n")
    heading = next(i for i, line in enumerate(lines)
                   if line.startswith(("Totaux par financeur", "Totals by funder")))
    block = lines[heading:lines.index("", heading)]
    dashes = [line for line in block[1:] if line.split("/")[-1].split()[:1] == ["—"]]
    assert bool(dashes) is (table != "all-stated"), block
    assert text.count(STATED_NONE[lang]) == (table != "all-stated"), block
    if dashes:
        total = next(i for i, line in enumerate(block) if line.split()[0] == "Total")
        assert block[total + 1] == "  " + STATED_NONE[lang], block
