"""What the funding committee reads speaks one language: French by default, English on request.

The text report, the dashboard and a plan's display: their words, their amounts (French
`8 105 k€`, `12,5 %` with narrow no-break spaces; English `8,105 k€`, `12.5%`) and the findings'
messages, which essconv.messages builds from the findings' fields in either language.
"""
from __future__ import annotations

import contextlib
import datetime as _dt
import html
import io
import re
import subprocess
import sys
from decimal import Decimal
from pathlib import Path

import pytest

import essconv
from essconv.cli import main
from essconv.dashboard import render
from essconv.display import plan_html, plan_text
from essconv.messages import language
from essconv.report import render_text

NNBSP, NBSP = "\u202f", "\u00a0"
TODAY = _dt.date(2010, 6, 1)
ROOT = Path(__file__).resolve().parents[1]

# words that only one of the two languages uses in these outputs (the convention's own texts —
# titles, axis and body names, milestone labels — are French in both and contain none of them)
ENGLISH_WORDS = ["Totals", "Findings", "error", "warning", "signatory", "differs", "cells give",
                 "meetings a year", "Strategic axes", "Governance", "Milestones", "amounts in",
                 "(cells)", "stated", "subtotal", "Territory", "In force", "each funder",
                 "is not a party", "the grand total", "Signatories", "Key figures", "wrong or"]
FRENCH_WORDS = ["Totaux", "Constats", "erreur", "avertissement", "signataire", "diffère",
                "cellules", "réunions par an", "Axes stratégiques", "Gouvernance (", "Jalons",
                "montants", "sous-total", "Territoire\u00a0:", "En vigueur", "chaque financeur",
                "n'est pas", "total général", "Signataires", "Chiffres clés", "faux ou"]


def _visible(page: str) -> str:
    """The text a reader of the HTML sees (tooltips included)."""
    page = re.sub(r"<style>.*?</style>", "", page, flags=re.S)
    # a source citation quotes the signed text verbatim ("219 200 emplois"): the document's, not ours
    page = re.sub(r'<small class="source">.*?</small>', "", page, flags=re.S)
    page = re.sub(r'title="([^"]*)"', r"> \1 <", page)
    return html.unescape(re.sub(r"<[^>]+>", " ", page))


def _without_printed_cells(text: str) -> str:
    # an unreadable cell is shown as printed ('1 2618' in Annex 1): it is the file's, not ours
    return text.replace("1 2618", "")


def _assert_french(text: str) -> None:
    for word in ENGLISH_WORDS:
        assert word not in text, word
    text = _without_printed_cells(text)
    assert not re.search(r"\d[ ,]\d{3}(?!\d)", text)            # 8 105 only with U+202F
    assert not re.search(r"\d\.\d", text)                        # decimal comma
    assert not re.search(r"\d ?%", text)                         # 12,5 % with U+202F
    assert not re.search(r"\d ?k€", text) and not re.search(r"\d ?€", text)   # NBSP before units


def _assert_english(text: str) -> None:
    for word in FRENCH_WORDS:
        assert word not in text, word
    text = _without_printed_cells(text)
    assert NNBSP not in text
    assert not re.search(r"\d \d{3}(?!\d)", text)                # 8,105
    assert not re.search(r"\d,\d(?!\d\d)", text)                 # decimal point
    assert not re.search(r"\d\s%", text)                         # 12.5%


def test_the_text_report_is_french_by_default():
    text = render_text(essconv.default(), TODAY)
    _assert_french(text)
    assert "Totaux par financeur (k€)" in text and f"Constats{NBSP}: 4 erreurs, 2 avertissements" in text
    total = next(l for l in text.splitlines() if l.strip().startswith("Total ") and "/" in l)
    assert f"8{NNBSP}105" in total and f"8{NNBSP}115" in total and "← diffère" in total
    assert f"50,3{NNBSP}%" in text                               # CR-NPDC: 4 076 of 8 105
    assert f"Comité stratégique{NBSP}: 4 réunions par an" in text
    assert f"le total indiqué, 51{NBSP}k€, diffère de la somme de ses cellules, 41{NBSP}k€" in text
    assert "[ligne 3, colonne 35]" in text and "du 01/01/2009 au 31/12/2013" in text


def test_the_text_report_in_english_on_request():
    text = render_text(essconv.default(), TODAY, lang="en")
    _assert_english(text)
    total = next(l for l in text.splitlines() if l.strip().startswith("Total ") and "/" in l)
    assert "8,105" in total and "8,115" in total and "← differs" in total
    assert "50.3%" in text and "Strategic Committee (Comité stratégique): 4 meetings a year" in text
    assert f"The stated grand total 8,115{NBSP}k€ differs from the sum of all cells, 8,105{NBSP}k€" in text
    assert "[line 3, column 35]" in text


@pytest.mark.parametrize("lang", ["fr", "en"])
def test_the_dashboard_speaks_one_language(lang):
    ledger = essconv.Ledger.read_csv(io.BytesIO(
        "nomAttribuant;dispositifAide;montant;dateConvention\n"
        "CDC;DLA;200 000,50;2009-03-01\nRégion;Innovation;573 000,00;2009-06-01\n".encode()),
        amount="montant", dates=["dateConvention"])
    conv = essconv.default()
    page = render(conv, executions=[conv.execution(2009, ledger)], today=TODAY, lang=lang)
    assert f'<html lang="{lang}">' in page
    text = _visible(page)
    if lang == "fr":
        _assert_french(text)
        for heading in ("La convention en un coup d'œil", "Exécution 2009", "Calendrier de la gouvernance",
                        "contribution de chaque financeur par axe", "Prévu et versé 2009, par partie",
                        "réunion 1 sur 2", f"incohérences{NBSP}: 4"):
            assert heading in text, heading
        assert f"25{NNBSP}600 établissements (14{NNBSP}%)" in text
        assert f"8{NNBSP}115" in text and f"200{NNBSP}000,5" in text
    else:
        _assert_english(text)
        for heading in ("The convention at a glance", "Execution 2009", "Governance calendar",
                        "each funder's contribution by axis", "Planned versus paid 2009, by party",
                        "meeting 1 of 2", "inconsistencies: 4"):
            assert heading in text, heading
        assert "25,600 establishments (14%)" in text
        assert "8,115" in text and "200,000.5" in text


def test_findings_name_files_as_the_user_gave_them(tmp_path, monkeypatch):
    page = render(essconv.default(), today=TODAY)
    assert "essconv/data/annexe1-2009.tsv:3:35" in page
    assert str(ROOT) not in page and str(Path(essconv.__file__).parent) not in page
    assert str(essconv.default().plan(2009).validate()[0]).startswith("essconv/data/annexe1-2009.tsv:3:35:")
    (tmp_path / "plans").mkdir()
    (tmp_path / "plans" / "plan-2010.csv").write_text("en k€;A;Total\nx;1;2\n", encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    plan = essconv.read_plan("plans/plan-2010.csv")
    page = plan_html(plan)
    assert "(plans/plan-2010.csv:2:" in page and str(tmp_path) not in page


def test_a_clean_plan_shows_no_legend_of_marks():
    plan = essconv.default().plan(2009)
    fixed = plan.with_corrections(plan.validate())
    assert fixed.validate().ok
    for lang in ("fr", "en"):
        text = plan_text(fixed, lang=lang)
        assert "!" not in text and "*" not in text, text
        faulty = plan_text(plan, lang=lang)
        assert faulty.splitlines()[-1].startswith("! ") and "* " in faulty.splitlines()[-1]


def test_a_legend_shows_only_the_marks_the_table_uses():
    # a wrong line total and no suggestion: '!' is used, '*' is not
    plan = essconv.read_plan(io.BytesIO("en k€;A;B;Total\nx;1;2;4\ny;4;5;9\n".encode()), year=2010)
    last = plan_text(plan, lang="en").splitlines()[-1]
    assert last.startswith("! ") and "*" not in last


def _findings(table: str) -> list:
    plan = essconv.read_plan(io.BytesIO(table.encode()), year=2010)
    return [(f, plan) for f in plan.validate()]


SMALL_PLANS = {   # every finding code, amounts below 1 000 (printed alike in both groupings)
    "row-total": "en k€;A;B;Total\nx;1;2;4\ny;4;5;9\nTotal;5;7;13\n",
    "grand-total": "en k€;A;B;Total\nx;1;2;3\ny;4;5;9\nTotal;5;7;21\n",
    "cell-move": "en k€;A;B;Total\nx;1;;1\ny;4;5;9\nTotal;4;6;10\n",
    "malformed-number": "en k€;A;B;Total\nx;1;2a;3\ny;4;5;9\nTotal;5;7;12\n",
}


def test_each_finding_code_speaks_french_from_its_fields():
    seen = {}
    for table in SMALL_PLANS.values():
        for f, plan in _findings(table):
            seen[f.code] = language("fr").finding(f, plan)
            _assert_french(seen[f.code])
    assert set(seen) >= {"row-total", "column-total", "grand-total", "total-correction",
                         "cell-move", "malformed-number"}
    assert seen["grand-total"] == (f"Le total général indiqué, 21{NBSP}k€, diffère de la somme de "
                                   f"toutes les cellules, 12{NBSP}k€ (écart de 9{NBSP}k€).")
    assert seen["cell-move"].startswith(f"x{NBSP}: 1{NBSP}k€ figure sous A mais relève de B")
    assert f"«{NBSP}2a{NBSP}» n'est pas un nombre" in seen["malformed-number"]
    conv = essconv.default()
    plan = conv.plan(2009)
    unknown = [language("fr").finding(f, plan, conv) for f in plan.validate(conv) if f.code == "unknown-funder"]
    assert unknown == [
        f"La colonne «{NBSP}ESE{NBSP}» n'est pas une partie de la convention. Ce pourrait être "
        f"«{NBSP}FSE{NBSP}» (Fonds social européen), qui n'est pas une partie.",
        f"La colonne «{NBSP}CG-67{NBSP}» n'est pas une partie de la convention. Elle est à une lettre "
        f"de «{NBSP}CG-62{NBSP}» (Conseil Général du Pas-de-Calais (Département du Pas-de-Calais)){NBSP}: "
        f"une faute de frappe{NNBSP}?"]
    fix = [language("fr").finding(f, plan, conv) for f in plan.validate(conv) if f.code == "cell-correction"]
    assert fix == [f"Observatoire CRESS × CDC est vide{NNBSP}; 10{NBSP}k€ à cet endroit concilierait le total "
                   f"de sa ligne (51{NBSP}k€), le total CDC (1{NNBSP}250{NBSP}k€) et le total général "
                   f"(8{NNBSP}115{NBSP}k€)."]


def test_english_findings_read_as_the_cores_messages():
    # the twin: where the core's message says nothing the fields do not hold, the English built
    # from the fields is the core's message, but for the no-break space before the unit
    for table in SMALL_PLANS.values():
        for f, plan in _findings(table):
            if f.code in ("row-total", "column-total", "grand-total"):
                assert language("en").finding(f, plan).replace(NBSP, " ") == f.message
    conv = essconv.default()
    plan = conv.plan(2009)
    for f in plan.validate(conv):
        if f.code == "unknown-funder":
            assert language("en").finding(f, plan, conv) == f.message
        assert f.message == f.message.strip() and "×" not in f.message   # Finding.message unchanged


def test_the_cli_speaks_french_by_default_and_english_with_lang_en(tmp_path, capsys):
    assert main([]) == 0
    french = capsys.readouterr().out
    assert f"Constats{NBSP}: 4 erreurs" in french
    assert main(["--lang", "en"]) == 0
    assert "Findings: 4 errors" in capsys.readouterr().out
    assert main(["report", "--lang", "en", "--format", "json"]) == 0
    assert "the stated total 51" in capsys.readouterr().out
    out = tmp_path / "dashboard.html"
    assert main(["report", "--html", str(out), "--lang", "en"]) == 0
    assert '<html lang="en">' in out.read_text(encoding="utf-8")
    done = subprocess.run([sys.executable, "-m", "essconv", "--lang", "de"], capture_output=True,
                          text=True, timeout=120)
    assert done.returncode == 2 and "invalid choice: 'de'" in done.stderr


def test_an_unknown_language_is_refused():
    with pytest.raises(ValueError, match="unknown language 'de'"):
        render_text(essconv.default(), TODAY, lang="de")


def test_numbers_shares_and_counts_are_printed_one_way_per_language():
    fr, en = language("fr"), language("en")
    assert fr.share(Decimal("4076"), Decimal("8105")) == f"50,3{NNBSP}%"
    assert en.share(Decimal("4076"), Decimal("8105")) == "50.3%"
    assert fr.share(Decimal(1), Decimal(0)) == en.share(Decimal(1), Decimal(0)) == "—"
    assert [fr.count(n, "error") for n in (0, 1, 2)] == ["0 erreur", "1 erreur", "2 erreurs"]
    assert [en.count(n, "error") for n in (0, 1, 2)] == ["0 errors", "1 error", "2 errors"]
    # euros with cents show both digits (a review found "-1 000,5")
    assert fr.amount(Decimal("-1234567.5"), "€") == f"-1{NNBSP}234{NNBSP}567,50{NBSP}€"
    assert en.amount(Decimal("-1234567.5"), "€") == f"-1,234,567.50{NBSP}€"


def test_the_calendar_listing_speaks_one_language(capsys):
    assert main(["calendar", "--year", "2011"]) == 0
    french = capsys.readouterr().out.splitlines()
    assert f"01/01/2011 – 31/03/2011{NBSP}: Comité stratégique (réunion 1 sur 4)" in french
    assert len(french) == 9 and not any("between" in l or "meeting" in l for l in french)
    assert main(["calendar", "--year", "2011", "--lang", "en"]) == 0
    english = capsys.readouterr().out.splitlines()
    assert "2011-01-01 – 2011-03-31: Strategic Committee (meeting 1 of 4)" in english
    assert len(english) == 9 and not any("réunion" in l for l in english)


@pytest.mark.parametrize("lang", ["fr", "en"])
def test_an_xlsx_export_writes_its_findings_in_one_language(tmp_path, lang):
    openpyxl = pytest.importorskip("openpyxl")
    out = tmp_path / "plan-2009.xlsx"
    annex = ROOT / "essconv" / "data" / "annexe1-2009.tsv"
    assert main(["convert", str(annex), "--to", "xlsx", "-o", str(out), "--lang", lang]) == 0
    wb = openpyxl.load_workbook(out)
    sheet = wb["Constats" if lang == "fr" else "Findings"]
    rows = list(sheet.iter_rows(values_only=True))
    comment = wb.worksheets[0].cell(row=3, column=11).comment.text    # CRESS's Total
    text = " ".join(str(v) for row in rows for v in row if v is not None) + " " + comment
    if lang == "fr":
        assert rows[0][:4] == ("gravité", "code", "ligne", "financeur")
        assert "erreur" in [r[0] for r in rows[1:]]
        assert f"le total indiqué, 51{NBSP}k€" in comment
        _assert_french(text)
    else:
        assert rows[0][:4] == ("severity", "code", "line", "funder")
        assert f"the stated total 51{NBSP}k€" in comment
        _assert_english(text)


def test_essconvs_own_meetings_note_speaks_the_calendars_language(capsys):
    """The note essconv adds (meetings due from the signature) was French in English output."""
    assert main(["calendar", "--year", "2009", "--lang", "en"]) == 0
    english = capsys.readouterr().out
    assert "Meetings due from this day" in english and "Réunions dues" not in english
    assert "2009-01-01" in english.split("Meetings due")[1].splitlines()[0]
    assert main(["calendar", "--year", "2009"]) == 0
    assert "Réunions dues à compter de ce jour" in capsys.readouterr().out
    html = render(essconv.default(), lang="en")
    assert "Meetings due from this day" in html and "Réunions dues" not in html


def test_a_plans_aggregate_prints_its_figures_in_the_language_asked(tmp_path, capsys):
    plan = tmp_path / "agg.csv"
    plan.write_text("en K€;CR-NPDC;CDC;Total\nDLA;1 327,5;274,25;1 601,75\n"
                    "Total;1 327,5;274,25;1 601,75\n", encoding="utf-8")
    assert main(["aggregate", str(plan), "--by", "funder", "--lang", "en"]) == 0
    assert capsys.readouterr().out.splitlines() == [
        "# by funder (k€)", "CR-NPDC\t1,327.5", "CDC\t274.25"]
    assert main(["aggregate", str(plan), "--by", "funder"]) == 0
    out = capsys.readouterr().out.splitlines()
    assert out == ["# par financeur (k€)", "CR-NPDC\t1 327,5", "CDC\t274,25"]


@pytest.mark.parametrize("lang", ["fr", "en"])
def test_the_xlsx_findings_sheet_holds_expected_and_found_as_numbers(tmp_path, lang):
    """'1601.75' as text (a point, in a French workbook) was neither French nor a number."""
    openpyxl = pytest.importorskip("openpyxl")
    src = tmp_path / "plan-2010.csv"
    src.write_text("en K€;CR-NPDC;CDC;Total\nDLA;1 327,5;284,25;1 601,75\n"
                   "Total;1 327,5;274,25;1 601,75\n", encoding="utf-8")
    out = tmp_path / "plan.xlsx"
    assert main(["convert", str(src), "--to", "xlsx", "-o", str(out), "--lang", lang]) == 0
    rows = list(openpyxl.load_workbook(out).worksheets[1].iter_rows(values_only=True))[1:]
    figures = [v for r in rows for v in r[4:6] if v is not None]
    assert figures and not any(isinstance(v, str) for v in figures)
    assert 1601.75 in figures or 1611.75 in figures


def test_the_conventions_check_displays_in_the_language_of_a_plans_report():
    """conv.check() showed English in a notebook where a plan's report shows French."""
    report = essconv.default().check()
    assert report.findings and report.findings[0].message.startswith("The table of contents")
    shown = report._repr_html_()
    assert "Le sommaire" in shown and "The table of contents" not in shown
    from essconv.display import report_html
    assert "The table of contents" in report_html(report, lang="en")
    assert [f.code for f in essconv.default().check("fr")] == [f.code for f in report]


def test_validate_prints_english_numbers_in_its_english_sentences(tmp_path):
    """The validator speaks English: "2.5 €" and "1,250 k€", not "2,5 €" and "1 250 k€"."""
    import essconv
    path = tmp_path / "plan-2012.tsv"
    path.write_text("en €\tLigne\tCDC\tTotal\nA\tX\t1,50\t1,50\nTotal\t\t1,50\t2,50\n", encoding="utf-8")
    messages = [f.message for f in essconv.read_plan(path).validate()]
    assert "The stated grand total 2.50 € differs from the sum of all cells, 1.50 € (a gap of 1 €)." in messages
    assert any("the stated total 2.50 € is probably mistyped for 1.50 €" in m for m in messages)
    annex = essconv.default().plan(2009).validate()
    assert any(m.message.startswith("CDC: the stated total 1,250 k€ differs") for m in annex)


def test_a_source_speaks_the_language_of_its_output():
    import json
    import essconv
    from essconv.dashboard import render
    from essconv.report import render_json
    conv = essconv.default()
    source = conv.party("CG-62").source
    assert "[added by essconv: " in source.text("en") and "«" not in source.text("en")
    assert str(source) == source.text("fr") and "[ajout d'essconv : " in str(source)
    assert "ajout d" not in render(conv, lang="en")
    data = json.loads(render_json(conv, lang="en"))
    sources = [f["source"] for f in data["document_findings"] if f["source"]]
    assert sources and not any("ajout d'essconv" in s or "«" in s for s in sources)


# the words that place a fact in the text, as the French description gives them: none belongs
# in an English output outside the quotes of the text's own words
FRENCH_PLACE_WORDS = ["Sommaire", "Corps du texte", "Annexe", "Préambule", "Titre", "colonne",
                      "axe ", " ; ", "ajout d"]


def _outside_quotes(text: str) -> str:
    """A source's own words, the quoted ones (the text's, verbatim, or a part's title) left out."""
    # an English quote opens and closes where no letter touches it: "plan d'actions" inside
    # one, "the department's" outside
    return re.sub(r"(?<!\w)'.*?'(?!\w)", "", text)


def _every_source_article() -> list[str]:
    import tomllib
    data = tomllib.loads((ROOT / "essconv" / "data" / "nord-pas-de-calais-2009-2013.toml")
                        .read_text(encoding="utf-8"))
    found: list[str] = []

    def walk(value):
        if isinstance(value, dict):
            if isinstance(value.get("article"), str):
                found.append(value["article"])
            for v in value.values():
                walk(v)
        elif isinstance(value, list):
            for v in value:
                walk(v)
    walk(data)
    return sorted(set(found))


def test_an_english_source_places_its_words_in_english():
    from essconv.convention import Source
    articles = _every_source_article()
    assert len(articles) > 20
    for article in articles:
        english = Source(article=article, quotes=("les mots du texte",)).text("en")
        outside = _outside_quotes(english)
        for word in FRENCH_PLACE_WORDS:
            assert word not in outside, (article, english)
        assert not re.search(r"[àâçéèêëîïôûùüœ]", outside, re.I), (article, english)
        assert "'les mots du texte'" in english                      # the text's words, verbatim
        # a part's own title is the text's name for it: quoted, word for word
        title = re.split(r" – | : ", article, maxsplit=1)
        if len(title) == 2 and title[1] and not re.fullmatch(r"axe \d+", title[1]):
            assert f"'{title[1].strip()}'" in english, (article, english)
        assert Source(article=article).text("fr") == article           # French: as the text says


def test_the_english_dashboard_and_report_cite_the_text_in_english():
    import json
    from essconv.report import render_json
    conv = essconv.default()
    page = render(conv, today=TODAY, lang="en")
    sources = [html.unescape(s) for s in re.findall(r'<small class="source">(.*?)</small>', page, re.S)]
    data = json.loads(render_json(conv, TODAY, lang="en"))
    sources += [f["source"] for f in data["document_findings"] if f["source"]]
    assert len(sources) > 10
    for source in sources:
        outside = _outside_quotes(source)
        for word in FRENCH_PLACE_WORDS:
            assert word not in outside, source
        assert not re.search(r"[àâçéèêëîïôûùüœ]", outside, re.I), source
    french = render(conv, today=TODAY)
    assert "Sommaire «" in french and "Table of contents" not in french


def _scdl_with(column_name: str, value: str) -> bytes:
    """The schema's valid example with one cell of its first record rewritten."""
    import csv
    source = ROOT / "tests" / "data" / "scdl" / "scdl-subventions-exemple-valide.csv"
    rows = list(csv.reader(io.StringIO(source.read_text(encoding="utf-8"))))
    rows[1][rows[0].index(column_name)] = value
    out = io.StringIO()
    csv.writer(out, lineterminator="\n").writerows(rows)
    return out.getvalue().encode()


def _french_own_words(message: str) -> str:
    """A French message less what it quotes (« … »): the file's cells, as the file writes them."""
    return re.sub(r"«[^»]*»", "", message)


@pytest.mark.parametrize("percentage", ["80", "1.5", "0.005", "250"])
def test_an_scdl_range_is_bounded_in_the_findings_language(percentage):
    """The schema's bounds are essconv's words: French writes them 0,01; the cell is quoted
    as the file writes it."""
    report = essconv.validate_scdl(_scdl_with("pourcentageSubvention", percentage))
    found = [f for f in report.findings if f.code == "range" and f.row == 2]
    assert len(found) == 1, [f.line() for f in report.findings]
    finding = found[0]
    from essconv.scdl import schema
    bounds = next(f for f in schema()["fields"] if f["name"] == "pourcentageSubvention")["constraints"]
    french = finding.text("fr")
    english = finding.text("en")
    for bound in (bounds["minimum"], bounds["maximum"]):
        written = str(bound)
        assert written in english
        assert written.replace(".", ",") in french, (written, french)
    # what French writes of its own has no decimal point: only the cell, quoted as the file has it
    assert f"«{NBSP}{percentage}{NBSP}»" in french
    assert not re.search(r"\d\.\d", _french_own_words(french)), french
    assert not re.search(r"\d,\d", english), english


@pytest.mark.parametrize("amount", ["-12.50", "-0.01", "-1234567.89"])
def test_a_negative_scdl_amount_is_quoted_as_the_file_writes_it_in_french(amount):
    report = essconv.validate_scdl(_scdl_with("montant", amount))
    found = [f for f in report.findings if f.code == "negative-amount" and f.row == 2]
    assert len(found) == 1, [f.line() for f in report.findings]
    french = found[0].text("fr")
    assert f"«{NBSP}{amount}{NBSP}»" in french
    assert not re.search(r"\d\.\d", _french_own_words(french)), french
    assert amount in found[0].text("en")


def test_an_english_shares_finding_quotes_the_texts_french_words(tmp_path):
    """The families of the key figures and a description's own label are the text's words:
    an English sentence gives them quoted ('coopératives'), French as the text writes them."""
    conv = essconv.default()
    families = conv.key_figures.jobs_by_family_percent
    said = {lang: next(f.message for f in conv.check(lang=lang) if f.code == "shares-sum")
            for lang in ("fr", "en")}
    for family in families:
        assert f"('{family}')" in said["en"], said["en"]
        assert f"({family})" in said["fr"], said["fr"]
    assert not re.search(r"[àâçéèêëîïôûùüœ]", re.sub(r"'[^']*'", "", said["en"])), said["en"]
    from test_description import MINIMAL, PLAN_2020
    (tmp_path / "plan-2020.tsv").write_text(PLAN_2020, encoding="utf-8")
    path = tmp_path / "shares.toml"
    path.write_text(MINIMAL + '[[shares]]\nlabel = "subventions par département"\n'
                    'percent = { "Côtes-d\'Armor" = "60", "Morbihan" = "30" }\n', encoding="utf-8")
    described = essconv.load(path)
    said = {lang: next(f.message for f in described.check(lang=lang) if f.code == "shares-sum")
            for lang in ("fr", "en")}
    assert "The shares of 'subventions par département' add up to 90%" in said["en"], said["en"]
    assert "('Côtes-d'Armor')" in said["en"] and "('Morbihan')" in said["en"]
    assert not re.search(r"[àâçéèêëîïôûùüœ]", re.sub(r"'[^']*'", "", said["en"].replace("d'A", "d_A")))
    assert "subventions par département totalisent 90" in said["fr"]      # French: the text's words


def test_amounts_with_cents_keep_both_digits_and_no_negative_zero():
    from decimal import Decimal
    from essconv.messages import language
    fr, en = language("fr"), language("en")
    assert fr.amount(Decimal("-1000.5"), "€").replace(NNBSP, " ").replace(NBSP, " ") == "-1 000,50 €"
    assert en.amount(Decimal("272999.5"), "€").replace(NBSP, " ") == "272,999.50 €"
    assert fr.amount(Decimal("12.5"), "k€").replace(NBSP, " ") == "12,5 k€"   # a plan's figure as printed
    assert fr.percent(Decimal("-0.0")) == f"0,0{NNBSP}%" and en.percent(Decimal("-0.0")) == "0.0%"


def test_the_french_json_report_says_why_in_french(tmp_path, capsys):
    import json
    from essconv.cli import main
    grants = tmp_path / "paid.csv"
    grants.write_text(
        "nomAttribuant;idAttribuant;dateConvention;referenceDecision;nomBeneficiaire;"
        "idBeneficiaire;rnaBeneficiaire;objet;montant;nature;conditionsVersement;"
        "datesPeriodeVersement;idRAE;notificationUE;pourcentageSubvention;dispositifAide\n"
        "Fondation X;21590001700017;2009-03-01;;Asso X;21590001700017;;obj;100.00;"
        "aide en numéraire;Unique;;;Non;;DLA\n", encoding="utf-8")
    import warnings
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        assert main(["report", "--format", "json", "--grants", str(grants)]) == 0
    (ex,) = json.loads(capsys.readouterr().out)["executions"]
    assert ex["unmapped"][0]["why"] == "le financeur ne correspond à aucune partie de la convention"
    assert ex["warning"].startswith("Aucun enregistrement rapproché du plan 2009")


def test_a_milestone_of_a_month_is_dated_the_outputs_way():
    """A month-precise milestone printed "03/2011" in English outputs too (its days are
    2011-03-01 there)."""
    import datetime as dt
    from essconv.convention import Milestone
    m = Milestone(date=dt.date(2011, 3, 1), until=dt.date(2011, 3, 31), label="x", precision="month")
    assert language("fr").when(m) == "03/2011" and language("en").when(m) == "2011-03"
    year = Milestone(date=dt.date(2011, 1, 1), label="x", precision="year")
    assert language("fr").when(year) == language("en").when(year) == "2011"
    day = Milestone(date=dt.date(2011, 3, 4), label="x")
    assert language("fr").when(day) == "04/03/2011" and language("en").when(day) == "2011-03-04"


@pytest.mark.parametrize("lang", ["fr", "en"])
def test_each_share_of_the_report_is_rounded_on_its_own_and_a_table_missing_100_says_so(lang):
    # rounded by largest remainders so that each breakdown added up to 100,0 %, CG-59's 805 k€
    # showed 9,9 % by funder and 10,0 % by party: two equal amounts, two shares, one read as
    # wrong.  Each share is now its own quota rounded half away from zero, and a breakdown whose
    # shares miss 100,0 % (by funder and by party here, 99,9 %) carries the footnote
    from fractions import Fraction
    from essconv.report import build
    conv = essconv.default()
    words = essconv.messages.language(lang)
    plan = conv.plan(2009)
    total = plan.total()
    note = words.text("shares_rounded_alone")

    def percent(text):
        return Decimal(text.replace(words.decimal, ".").rstrip("%").replace(words.percent_space, ""))

    report = build(conv, TODAY, lang=lang)["plans"]["2009"]
    sums = {}
    for part in ("by_funder", "by_party", "by_axis"):
        shares = [percent(r["share_percent"]) for r in report[part]]
        for r, share in zip(report[part], shares):   # the quota's own rounding, half away
            quota = Fraction(Decimal(r["computed"])) * 100 / Fraction(total)
            assert abs(Fraction(share) - quota) <= Fraction(1, 20), (part, r, share)
        sums[part] = sum(shares)
        assert report["shares_footnotes"][part] == (None if sums[part] == 100 else note), part
    assert sums == {"by_funder": Decimal("99.9"), "by_party": Decimal("99.9"),
                    "by_axis": Decimal("100.0")}
    cg59 = [r["share_percent"] for part in ("by_funder", "by_party") for r in report[part]
            if r.get("funder", r.get("party")) == "CG-59"]
    assert cg59 == [f"9{words.decimal}9{words.percent_space}%"] * 2   # one amount, one share
    text = render_text(conv, TODAY, lang=lang)
    section = text[text.index(words.text("by_funder", unit=plan.unit)):]
    blocks = section.split("\n\n")[:3]   # by funder, by party, by axis
    assert [block.count(note) for block in blocks] == [1, 1, 0], blocks
    assert [block.splitlines()[-1].strip() == note for block in blocks[:2]] == [True, True]
    printed = [percent(re.search(r"(-?[\d.,]+)\s?%", line).group(0))
               for line in blocks[0].splitlines()[1:] if line.split()[0] != "Total"
               and line.strip() != note]
    assert len(printed) == len(plan.by_funder()) and sum(printed) == Decimal("99.9")
    assert f"7{words.decimal}9" in blocks[0].splitlines()[2]   # DRTEFP: 643 of 8 105 k€, 7,93 %


@pytest.mark.parametrize("lang", ["fr", "en"])
@pytest.mark.parametrize("cells, shares, noted", [
    (("40", "40", "20"), ("40,0", "40,0", "20,0"), False),       # add up to 100,0 %: no footnote
    (("1", "1", "4"), ("16,7", "16,7", "66,7"), True),           # 100,1 %
    (("1", "1", "1"), ("33,3", "33,3", "33,3"), True),           # 99,9 %
    (("805", "805", "6495"), ("9,9", "9,9", "80,1"), True),      # equal amounts, equal shares
], ids=["100,0", "100,1", "99,9", "equal-amounts"])
def test_equal_amounts_show_equal_shares_and_a_footnote_says_a_sum_off_100(cells, shares, noted,
                                                                            lang, tmp_path):
    from essconv.report import build
    path = tmp_path / "conv.toml"
    row = "\t".join(["Ligne", *cells, str(sum(int(c) for c in cells))])
    path.write_text(SHARES_DESCRIPTION % row, encoding="utf-8")
    conv = essconv.load(path)
    words = essconv.messages.language(lang)
    note = words.text("shares_rounded_alone")
    want = [s.replace(",", words.decimal) + words.percent_space + "%" for s in shares]
    parts = [Decimal(c) for c in cells]
    assert words.shares(parts, sum(parts)) == want
    assert words.shares_footnote(parts, sum(parts)) == (note if noted else None)
    report = build(conv, TODAY, lang=lang)["plans"]["2021"]
    assert [r["share_percent"] for r in report["by_funder"]] == want
    assert [r["share_percent"] for r in report["by_party"]] == want
    assert report["shares_footnotes"] == {"by_funder": note if noted else None,
                                          "by_party": note if noted else None, "by_axis": None}
    text = render_text(conv, TODAY, lang=lang)
    section = text[text.index(words.text("by_funder", unit="k€")):]
    by_funder, by_party, by_axis = section.split("\n\n")[:3]
    for block in (by_funder, by_party):
        assert block.count(note) == int(noted), block
        assert (block.splitlines()[-1].strip() == note) is noted, block
        assert [words.percent(Decimal(s.replace(",", "."))) in line
                for s, line in zip(shares, block.splitlines()[1:4])] == [True] * 3, block
    assert note not in by_axis and "100" in by_axis, by_axis   # one line: 100,0 %


SHARES_DESCRIPTION = """\
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
Ligne	CR	A	B	Total
%s
\"\"\"
"""


def test_the_command_lines_status_lines_speak_the_language_of_their_output(tmp_path, capsys):
    # "written out.xlsx" and "dashboard written to ..." were English under a French output
    annex = Path(essconv.__file__).parent / "data" / "annexe1-2009.tsv"
    for lang, said in (("fr", "écrit\u00a0: "), ("en", "written ")):
        out = tmp_path / f"plan-{lang}.xlsx"
        assert main(["convert", str(annex), "--to", "xlsx", "-o", str(out), "--lang", lang]) == 0
        assert capsys.readouterr().out == f"{said}{out}\n"
    page = tmp_path / "d.html"
    assert main(["report", "--html", str(page)]) == 0
    assert capsys.readouterr().out == f"tableau de bord écrit\u00a0: {page}\n"
    assert main(["report", "--html", str(page), "--lang", "en"]) == 0
    assert capsys.readouterr().out == f"dashboard written to {page}\n"


def test_french_outputs_set_a_narrow_space_before_each_semicolon_they_write():
    # "[État; signataire]", "2 réunions par an; secrétariat" read as English typography in a
    # French report; English keeps "; "
    french = render_text(essconv.default(), TODAY)
    english = render_text(essconv.default(), TODAY, lang="en")
    assert "[État\u202f; signataire]" in french and "par an\u202f; secrétariat\u00a0: CR-NPDC" in french
    assert "[state; signatory]" in english and "a year; secretariat: CR-NPDC" in english
    assert "2009\u00a0: CR-NPDC, DRTEFP" in french and "2009: CR-NPDC, DRTEFP" in english


def test_a_french_listing_words_each_suggested_fix_in_french():
    """assert_plan_ok / the pytest plugin with lang="fr" printed each fix in the core's English
    under French findings: "suggestion : move 12.5 from A to B", "CRESS x CDC = 10"."""
    from essconv.testing import format_findings
    raw = "en k€;A;B;Total\nL1;12,5;;12,5\nL2;3;4;7\nTotal;3;16,5;19,5\n"
    plan = essconv.read_plan(io.BytesIO(raw.encode()), year=2010)
    french = format_findings(plan.validate(), lang="fr", plan=plan)
    assert french.splitlines()[-1] == "    suggestion\u00a0: L1\u00a0: déplacer 12,5 de A vers B"
    assert "move 12" not in french and "12.5" not in french
    english = format_findings(plan.validate(), lang="en", plan=plan)
    assert english.splitlines()[-1] == "    suggestion: move 12.5 from A to B"   # unchanged
    conv = essconv.default()
    annex = conv.plan(2009)
    listing = format_findings(annex.validate(conv), lang="fr", plan=annex, convention=conv)
    assert listing.splitlines()[-1] == "    suggestion\u00a0: Observatoire CRESS × CDC = 10"


# the convention's governance bodies, as the text names them (French) and as essconv says them
# in English (the description's name_en / short_name_en)
BODIES_FR = ("Conférence permanente du SRDE", "Conférence des financeurs", "Comité stratégique")
BODIES_EN = ("SRDE Standing Conference", "Funders' Conference", "Strategic Committee")


@pytest.mark.parametrize("lang, said, other", [("fr", BODIES_FR, BODIES_EN),
                                               ("en", BODIES_EN, BODIES_FR)])
def test_the_governance_bodies_are_named_in_the_outputs_language(lang, said, other, capsys):
    # English outputs named the bodies in French ("Comité stratégique: 4 meetings a year")
    import html
    import json as _json
    from essconv.calendar import agenda, to_ics
    from essconv.report import render_json
    conv = essconv.default()
    page = html.unescape(_visible(render(conv, today=TODAY, lang=lang)))
    outputs = {"text": render_text(conv, TODAY, lang=lang), "dashboard": page,
               "agenda": "\n".join(item.what for item in agenda(conv, 2011, lang=lang)),
               "ics": to_ics(conv, 2011, lang=lang).replace("\r\n ", "")}
    for where, text in outputs.items():
        for name in said:
            assert name in text, (where, name)
        if lang == "en":
            # the text's French name stands only beside its English one, "Strategic Committee
            # (Comité stratégique)", where the report and the dashboard introduce the bodies
            for english, french in zip(BODIES_EN, BODIES_FR):
                if where in ("text", "dashboard"):
                    assert f"{english} ({french})" in text, (where, english)
                text = text.replace(f"{english} ({french})", english)
        for name in other:
            assert name not in text, (where, name)
    data = _json.loads(render_json(conv, today=TODAY, lang=lang))
    assert [b["name"] for b in data["bodies"]] == [b.name_in(lang) for b in conv.bodies]
    assert [b["as_printed"] for b in data["bodies"]] == [b.name for b in conv.bodies]
    # the body the text relies on but never defines: the English finding glosses the text's words
    finding = next(f for f in conv.check(lang=lang) if f.code == "undefined-body")
    if lang == "en":
        assert "'steering committee' ('comité de pilotage' in the text)" in finding.message
        assert all(name in finding.message for name in BODIES_EN)
    else:
        assert f"«{NBSP}comité de pilotage{NBSP}»" in finding.message and "steering" not in finding.message


def test_a_bodys_english_names_are_optional_and_the_french_stay_the_texts():
    conv = essconv.default()
    assert [b.short_name for b in conv.bodies] == list(BODIES_FR)     # the source's words
    assert [b.short_name_in("fr") for b in conv.bodies] == list(BODIES_FR)
    body = conv.bodies[0]
    import dataclasses
    bare = dataclasses.replace(body, name_en=None, short_name_en=None)
    assert bare.short_name_in("en") == body.short_name and bare.name_in("en") == body.name
    assert dataclasses.replace(body, short_name_en=None).short_name_in("en") == body.name_en


# An amount such as "12.500" the column leaves undecided is refused by the reader as a whole
# (not a bad row): its refusal stayed English in French outputs while the other amount
# reasons were French.  The reader gives it a reason, ("amount-ambiguous", why), to word it.


def _french_whole(reading: str) -> str:
    """A reading as French prints it: the digits before any point grouped by threes with a
    narrow no-break space, the point a comma ("12500" -> "12 500", "-1.5" -> "-1,5")."""
    def grouped(digits: re.Match) -> str:
        text, out = digits.group(), ""
        while len(text) > 3:
            text, out = text[:-3], NNBSP + text[-3:] + out
        return text + out
    return re.sub(r"(?<![\d.])\d+", grouped, reading).replace(".", ",")


# "12500 ou 12,5": the French refusal's readings of "12.500", thousands grouped
READINGS_FR = f"{_french_whole('12500')} ou {_french_whole('12.5')}"


def test_the_french_readings_group_by_threes_as_the_rule_says():
    assert READINGS_FR == f"12{NNBSP}500 ou 12,5"
    assert _french_whole("-1250000 k€") == f"-1{NNBSP}250{NNBSP}000 k€"
    assert _french_whole("(7.125)") == "(7,125)" and _french_whole("500") == "500"

AMBIGUOUS_FILES = [
    # (file, its delimiter's text, why, the amount, its readings as the core prints them)
    ("n;montant\na;12.500\nb;7\n", 0, "12.500", "12500", "12.5"),
    ("n;montant\na;12.500\nb;3.25\nc;1.234,50\n", 1, "12.500", "12500", "12.5"),
    ('nom,montant\nA,"1,500"\nB,200\n', 2, "1,500", "1500", "1.5"),
    ("n;montant\na;-1.000 €\nb;7\n", 0, "-1.000 €", "-1000 €", "-1 €"),
    ("n;montant\na;250.000\nb;7\n", 0, "250.000", "250000", "250"),
]


@pytest.mark.parametrize("data, why, amount, grouped, decimal", AMBIGUOUS_FILES)
@pytest.mark.parametrize("threads", [1, 2])
def test_an_undecided_amount_is_refused_in_the_outputs_language(data, why, amount, grouped,
                                                                 decimal, threads, tmp_path):
    path = tmp_path / "grants.csv"
    path.write_text(data, encoding="utf-8")
    with pytest.raises(essconv.ParseError) as info:
        essconv.Ledger.read_csv(path, amount="montant", threads=threads)
    error = info.value
    assert error.reason == ("amount-ambiguous", why)
    english = language("en").refusal(error)
    assert english == str(error) and f"'{amount}' could be" in english
    french = language("fr").refusal(error)
    assert french.startswith(f"{path}:2:{error.column}: ")
    # the core's readings, French: thousands grouped ("12 500"), the decimal comma ("12,5")
    assert (f"le montant «{NBSP}{amount}{NBSP}» peut valoir {_french_whole(grouped)} ou "
            f"{_french_whole(decimal)}, et ") in french
    assert "decimal=" in french and "could" not in french and "say which" not in french
    # the readings are the core's (its English message), ungrouped
    core = re.search(r"could be (.+?) or (.+?), and ", str(error))
    assert (core.group(1), core.group(2)) == (grouped, decimal)


def test_the_cli_words_an_undecided_amount_in_its_language(tmp_path, capsys):
    path = tmp_path / "grants.csv"
    path.write_text("n;montant\na;12.500\nb;7\n", encoding="utf-8")
    argv = ["aggregate", str(path), "--amount", "montant", "--by", "n"]
    assert main(argv) == 2                     # French by default
    said = capsys.readouterr().err
    assert f"le montant «{NBSP}12.500{NBSP}» peut valoir {READINGS_FR}" in said
    assert "could be" not in said
    assert main(argv + ["--lang", "en"]) == 2
    said = capsys.readouterr().err
    assert "the amount '12.500' could be 12500 or 12.5" in said and "peut valoir" not in said
    assert main(argv + ["--decimal", ","]) == 0   # the hint's answer reads it


# The same undecided amount in a plan ("12.500" where no other amount says what the point is)
# is a structural problem of the table: its listing (validate, report) stayed English in French
# outputs.  The core's problem carries the kind, as the reader's refusal does.
AMBIGUOUS_PLANS = [
    # (the plan's amounts, why)
    ("12.500\t3\t15", 0),
    ("12.500\t3.25\t1.234,75", 1),
]


@pytest.mark.parametrize("cells, why", AMBIGUOUS_PLANS)
def test_an_undecided_plan_amount_is_listed_in_the_outputs_language(cells, why, tmp_path,
                                                                    capsys):
    path = tmp_path / "plan-2009.tsv"
    path.write_text(f"en k€\tEtat\tRégion\tTotal\nAxe 1\t\t\t\nFormation\t{cells}\n",
                    encoding="utf-8")
    with pytest.raises(essconv.PlanFormatError) as info:
        essconv.read_plan(path)
    error = info.value
    (problem,) = [p for p in error.problems if p.reason]
    assert problem.reason == ("amount-ambiguous", why) and problem.structural
    assert "'12.500' could be 12500 or 12.5" in problem.message
    assert language("en").problem(problem) == problem.message
    assert language("en").refusal(error) == str(error)
    said = language("fr").problem(problem)
    assert said.startswith(f"le montant «{NBSP}12.500{NBSP}» peut valoir {READINGS_FR}, et ")
    assert "could" not in said
    french = language("fr").refusal(error)
    assert french.splitlines()[0].startswith(f"{path}:3:")
    assert "structure du tableau" in french and "broken" not in french
    assert f"  {path}:{problem.line}:{problem.column}: {said}" in french.splitlines()
    # the command line: French on request, English by default (validate's listing)
    assert main(["validate", "--lang", "fr", str(path)]) == 2
    err = capsys.readouterr().err
    assert f"peut valoir {READINGS_FR}" in err and "could be" not in err
    assert main(["validate", str(path)]) == 2
    err = capsys.readouterr().err
    assert "could be 12500 or 12.5" in err and "peut valoir" not in err
    assert main(["report", "--plan", str(path)]) == 2   # a report: French by default
    err = capsys.readouterr().err
    assert f"peut valoir {READINGS_FR}" in err and "broken" not in err


# The plan's other structural problems (a ragged row, a row wider than the header, a second
# Total row, a sub-total row...) carried no reason: their English text sat under the French
# head of `validate --lang fr` and the report.  Each now has its kind, numbers and text.
STRUCTURAL_PLANS = [
    # (the plan, the problem's reason, words of its French wording)
    ("Ligne;CDC;Région;Total\nDLA;10;5;15\nCRESS;3;2\nTotal;13;7;20\n",
     ("plan-row-width", 3, 4, ""), "cette ligne a 3 cellules là où l'en-tête en a 4"),
    ("Ligne;CDC;Région;Total\nDLA;10;5;15;4\nTotal;10;5;15\n",
     ("plan-row-width", 5, 4, ""), "cette ligne a 5 cellules là où l'en-tête en a 4"),
    ("Ligne;CDC;Région;Total;Total\nDLA;10;5;15;15\nTotal;10;5;15;15\n",
     ("plan-second-total-column", 5, 0, ""), "une deuxième colonne Total (colonne 5)"),
    ("Ligne;CDC;;Total\nDLA;10;5;15\nTotal;10;5;15\n",
     ("plan-column-no-funder", 3, 0, ""), "la colonne 3 a des montants mais aucun financeur"),
    ("Ligne;CDC;CDC;Total\nDLA;10;5;15\nTotal;10;5;15\n",
     ("plan-funder-twice", 2, 3, "CDC"), "le financeur «\u00a0CDC\u00a0» est en tête"),
    ("Ligne;CDC;Région;Total\nDLA;10;5;15\nTotal;10;5;15\nTotal;10;5;15\n",
     ("plan-second-total-row", 4, 0, ""), "une deuxième ligne Total (ligne 4)"),
    ("Ligne;CDC;Région;Total\nDLA;10;5;15\ndont FSE;1;1;2\nTotal;10;5;15\n",
     ("plan-detail-row", 0, 0, "dont FSE"), "une ligne «\u00a0dont\u00a0» («\u00a0dont FSE"),
    ("Ligne;CDC;Région;Total\nDLA;10;5;15\nSous-total axe 1;10;5;15\nTotal;10;5;15\n",
     ("plan-subtotal-row", 0, 0, "Sous-total axe 1"), "une ligne de sous-total"),
    ("Ligne;CDC;Région;Total\nDLA;10;5;15\n;1;1;2\nTotal;11;6;17\n",
     ("plan-no-label", 0, 0, ""), "aucun libellé de ligne"),
    ("Ligne;CDC;Région;Total\nDLA;10;5;15\nDLA;1;1;2\nTotal;11;6;17\n",
     ("plan-line-twice", 2, 3, "DLA"), "la ligne «\u00a0DLA\u00a0» figure deux fois"),
    ("Ligne;CDC;Taux;Total\nDLA;10;50;15\nTotal;10;50;15\n",
     ("plan-share-column", 0, 0, "Taux"), "une colonne de pourcentages"),
]


@pytest.mark.parametrize("table, reason, words", STRUCTURAL_PLANS)
def test_a_plans_structural_problem_is_listed_in_the_outputs_language(table, reason, words,
                                                                      tmp_path, capsys):
    path = tmp_path / "plan-2010.csv"
    path.write_text(table, encoding="utf-8")
    with pytest.raises(essconv.PlanFormatError) as info:
        essconv.read_plan(path)
    error = info.value
    (problem,) = error.problems
    assert problem.structural and problem.reason == reason
    assert language("en").problem(problem) == problem.message
    said = language("fr").problem(problem)
    assert words in said and said != problem.message
    french = language("fr").refusal(error)
    assert f"  {path}:{problem.line}:{problem.column}: {said}" in french.splitlines()
    assert problem.message not in french
    assert main(["validate", "--lang", "fr", str(path)]) == 2
    err = capsys.readouterr().err
    assert words in err and problem.message not in err
    assert main(["validate", str(path)]) == 2
    err = capsys.readouterr().err
    assert problem.message in err and words not in err


# Amounts converted outside the CSV reader (from_columns, an SQL query's text amounts, a lone
# text through to_cents or parse_amount) were refused in English with no reason, so that
# Language.refusal (the CLI's) left them English in French outputs.
def _refused(convert):
    with pytest.raises(essconv.ParseError) as info:
        convert()
    return info.value


def _sql_file(tmp_path):
    import sqlite3
    path = tmp_path / "grants.db"
    with contextlib.closing(sqlite3.connect(path)) as db:
        db.execute("CREATE TABLE t (n TEXT, montant TEXT)")
        db.executemany("INSERT INTO t VALUES (?, ?)", [("a", "7"), ("b", "12.500")])
        db.commit()
    return path


@pytest.mark.parametrize("source", ["from_columns", "sql", "to_cents", "parse_amount"])
def test_an_undecided_amount_converted_outside_a_file_is_refused_in_french(source, tmp_path):
    from essconv.money import to_cents
    convert = {
        "from_columns": lambda: essconv.Ledger.from_columns(
            {"n": ["a", "b"], "montant": ["7", "12.500"]}, amount="montant"),
        "sql": lambda: essconv.Ledger.read_sql("SELECT * FROM t", str(_sql_file(tmp_path)),
                                               amount="montant"),
        "to_cents": lambda: to_cents("12.500"),
        "parse_amount": lambda: essconv.parse_amount("12.500"),
    }[source]
    if source == "sql":
        pytest.importorskip("adbc_driver_sqlite")
    error = _refused(convert)
    assert error.reason[:2] == ("amount-ambiguous", 0)
    assert language("en").refusal(error) == str(error) and "could be 12500 or 12.5" in str(error)
    french = language("fr").refusal(error)
    assert f"le montant «{NBSP}12.500{NBSP}» peut valoir {READINGS_FR}" in french
    assert "could be" not in french and "amount column" not in french and "row" not in french
    if source in ("from_columns", "sql"):   # the column its English message names
        assert f"la colonne des montants «{NBSP}montant{NBSP}»" in french
    if source == "from_columns":            # and the row
        assert ", ligne 2" in french and "row 2" in str(error)


# the bodies' members and roles, as the text words them (French) and as essconv says them in
# English (the description's members_en / roles_en): English outputs listed them in French
@pytest.mark.parametrize("lang", ["fr", "en"])
def test_the_bodies_members_and_roles_are_in_the_outputs_language(lang):
    import json as _json
    from essconv.calendar import to_ics
    from essconv.report import render_json
    conv = essconv.default()
    committee = conv.bodies[2]
    assert committee.members[1:] == ("APES", "CRESS")   # the text's words stay the model's
    members, roles = committee.members_in(lang), committee.roles_in(lang)
    french_role, english_role = "prépare les programmes d'actions", "prepares the action programmes"
    assert roles[0] == (english_role if lang == "en" else french_role)
    assert members[0] == ("the technical staff of the various signatory bodies" if lang == "en"
                          else "les techniciens des différentes instances signataires")
    assert committee.roles[0] == french_role and committee.roles[0].english == english_role
    data = _json.loads(render_json(conv, today=TODAY, lang=lang))
    assert [b["members"] for b in data["bodies"]] == [list(b.members_in(lang)) for b in conv.bodies]
    assert [b["roles"] for b in data["bodies"]] == [list(b.roles_in(lang)) for b in conv.bodies]
    ics = to_ics(conv, 2011, lang=lang).replace("\r\n ", "")
    said, other = (english_role, french_role) if lang == "en" else (french_role, english_role)
    assert _ics_escaped(said) in ics and _ics_escaped(other) not in ics
    if lang == "en":   # nothing of the roles left in French
        for body in conv.bodies:
            for role in body.roles:
                assert _ics_escaped(str(role)) not in ics


def _ics_escaped(text):
    return text.replace("\\", "\\\\").replace(";", "\\;").replace(",", "\\,")


def test_a_bodys_english_members_and_roles_go_item_by_item(tmp_path):
    import dataclasses
    conv = essconv.default()
    source = Path(essconv.__file__).parent / "data" / "nord-pas-de-calais-2009-2013.toml"
    text = source.read_text(encoding="utf-8")
    broken = text.replace('members_en = ["the technical staff of the various signatory bodies", '
                          '"APES", "CRESS"]', 'members_en = ["APES"]')
    assert broken != text
    path = tmp_path / "conv.toml"
    path.write_text(broken, encoding="utf-8")
    with pytest.raises(essconv.DescriptionError) as info:
        essconv.load(path)
    assert info.value.key == "bodies[2].members_en" and "one English text for each" in str(info.value)
    # without English words, an English output shows the text's
    bare = dataclasses.replace(conv.bodies[2], roles=tuple(str(r) for r in conv.bodies[2].roles))
    assert bare.roles_in("en") == conv.bodies[2].roles_in("fr")


# a plan whose totals two sets of two edits each reconcile, with labels longer than the core's
# message makes room for (it cut a funder to "Conseil Régional Nord-Pas de " and an ambiguity's
# second candidate set in the middle of a parenthesis)
LONG_LINE = "Observatoire régional de l'économie sociale et solidaire"
LONG_FUNDER = "Conseil Régional Nord-Pas de Calais"
AMBIGUOUS_PLAN = (f"en k€;{LONG_FUNDER};CDC;Total\nAxe 1 : Promouvoir;;;\nTêtes de réseaux;197;20;217\n"
                  f"{LONG_LINE};13;;23\nAxe 2 : Structurer;;;\nDLA;327;274;601\nTotal;537;294;841\n")


def test_english_sets_of_edits_name_every_cell_whole(tmp_path, capsys):
    path = tmp_path / "plan-2010.csv"
    path.write_text(AMBIGUOUS_PLAN, encoding="utf-8")
    plan = essconv.read_plan(path)
    report = plan.validate()
    sets = [f for f in report if f.code in ("correction-set", "ambiguity")]
    assert {f.code for f in sets} == {"correction-set", "ambiguity"}
    for f in sets:
        # every edit of every set listed is named whole, with its value, in the message
        for edits in (f.candidates[:2] if f.code == "ambiguity" else (f.corrections,)):
            for e in edits:
                place = "Grand total" if (e.line, e.funder) == ("Total", "Total") else \
                    f"{e.line} x {e.funder}"
                assert f"{place} = {e.expected}" in f.message, (place, f.message)
        assert f.message.endswith(".") and f.message.count("(") == f.message.count(")")
        # what the digits say stays in both languages
        assert "(not " in f.message and "(et non " in language("fr").finding(f, plan)
    # as the default listing of `essconv validate` and the pytest plugin print it
    assert main(["validate", str(path)]) == 1
    out = capsys.readouterr().out
    assert LONG_FUNDER + " = 547" in out and f"{LONG_LINE} x {LONG_FUNDER} = 23 k€ (not 13 k€" in out


def test_english_single_cell_edits_name_the_cell_whole(tmp_path):
    # the core cut a line label at 60 characters and a funder at 40 in a cell-correction's
    # message ("... économie sociale et soli x CDC is blank")
    line = "Accompagnement des structures de l'économie sociale et solidaire du territoire lillois"
    path = tmp_path / "plan-2010.csv"
    path.write_text(f"en k€;{LONG_FUNDER} (direction de l'économie);CDC;Total\n{line};13;;23\n"
                    f"DLA;327;274;601\nTotal;340;284;624\n", encoding="utf-8")
    plan = essconv.read_plan(path)
    fix = next(f for f in plan.validate() if f.code == "cell-correction")
    assert fix.message == (f"{line} x CDC is blank; 10 k€ there reconciles its line total 23 k€, "
                           f"the CDC total 284 k€ and the grand total 624 k€.")
    moved = tmp_path / "plan-2011.csv"   # 40 typed under the long funder's column, not CDC's
    moved.write_text(f"en k€;{LONG_FUNDER} (direction de l'économie);CDC;Total\n{line};40;;40\n"
                     f"DLA;327;274;601\nTotal;327;314;641\n", encoding="utf-8")
    plan = essconv.read_plan(moved)
    move = next(f for f in plan.validate() if f.code == "cell-move")
    assert f"{line}: 40 k€ sits under {LONG_FUNDER} (direction de l'économie) but belongs " \
           f"under CDC; moving it reconciles both column totals." == move.message


@pytest.mark.parametrize("key, fields, one_fr, many_fr, one_en, many_en", [
    ("acc_who", {"who": "X", "amount": "5 €"}, "1 enregistrement,", "2 enregistrements,",
     "1 record,", "2 records,"),
    ("acc_line_who", {"who": "X", "amount": "5 €"}, "1 enregistrement,", "2 enregistrements,",
     "1 record,", "2 records,"),
    ("unmapped", {"amount": "5 €"}, "1 groupe d'enregistrements ne correspond ",
     "2 groupes d'enregistrements ne correspondent ", "1 group of records maps ",
     "2 groups of records map "),
    ("cli_total_over", {"total": "5 €"}, "sur 1 enregistrement", "sur 2 enregistrements",
     "over 1 record", "over 2 records"),
    ("cli_set_aside", {}, "écartée\u00a0: 1 ligne illisible ", "écartées\u00a0: 2 lignes illisibles ",
     "1 row that", "2 rows that"),
    ("records_count", {}, "1 enregistrement", "2 enregistrements", "1 record", "2 records"),
])
def test_counts_in_reports_and_the_command_line_take_their_singular_and_plural(
        key, fields, one_fr, many_fr, one_en, many_en):
    """Counts were written "enregistrement(s)", "ligne(s) illisibles", "groupe(s)" whatever
    the number: each takes its singular for one (and, in French, for none), its plural else."""
    fr, en = language("fr"), language("en")
    for count, french, english in ((1, one_fr, one_en), (2, many_fr, many_en)):
        said_fr, said_en = fr.text(key, count=count, **fields), en.text(key, count=count, **fields)
        assert french in said_fr and english in said_en, (said_fr, said_en)
        assert "(s)" not in said_fr + said_en
    # French counts none in the singular (or in words), as its "0 erreur"; English "0 records"
    assert "(s)" not in fr.text(key, count=0, **fields) + en.text(key, count=0, **fields)
    assert one_fr.replace("1", "0", 1) in fr.text(key, count=0, **fields)


# --- a plan cell past int64 cents was "not a number ('…' is too large for an amount in
# cents)": it is a number, too large for the exact cents -- said as a sum past them is, the
# limit written out on its side, in both languages and in the core's message alike
@pytest.mark.parametrize("cell, english, french", [
    ("92233720368547758,08", "(beyond 92,233,720,368,547,758.07 €)",
     "(92 233 720 368 547 758,07 € au plus)"),
    ("-92233720368547758,09", "(below -92,233,720,368,547,758.08 €)",
     "(-92 233 720 368 547 758,08 € au moins)"),
    ("-999999999999999999999999", "(below -92,233,720,368,547,758.08 €)",
     "(-92 233 720 368 547 758,08 € au moins)"),
])
def test_a_plan_cell_past_int64_cents_is_said_a_number_past_the_limit(cell, english, french):
    table = f"Ligne;CR;CDC;Total\nA;{cell};1;4\nB;1;1;2\nTotal;4;2;6\n"
    [(f, plan)] = [(f, p) for f, p in _findings(table) if f.code == "malformed-number"]
    plain = {NBSP: " ", "\u202f": " "}

    def said(text: str) -> str:
        for odd, space in plain.items():
            text = text.replace(odd, space)
        return text
    core = said(f.message)
    en = said(language("en").finding(f, plan))
    fr = said(language("fr").finding(f, plan))
    for text in (core, en):
        assert f"A x CR: '{cell}' does not fit an amount in cents {english}; the other " \
               f"figures give 3 €." in text, text
    assert fr.endswith(f"A × CR : « {cell} » dépasse ce qu'un montant en centimes peut tenir "
                       f"{french} ; les autres chiffres donnent 3 €."), fr
    assert not any("not a number" in t or "too large" in t for t in (core, en)), (core, en)
    assert "n'est pas un nombre" not in fr and "trop grand" not in fr, fr


# --- an amount cell past int64 cents, read by a ledger's reader, was "'-99999999999999999999'
# is too large for an amount in cents" (« … est trop grand … »): "too large" of a negative
# amount, the limit unsaid.  Every reading path says it as a plan cell does: the side and the
# limit, in the core's one wording of it and the French's, with the error's ``below`` right
_CEILING_EN = "(beyond 92,233,720,368,547,758.07 €)"
_FLOOR_EN = "(below -92,233,720,368,547,758.08 €)"
_CEILING_FR = "(92 233 720 368 547 758,07 € au plus)"
_FLOOR_FR = "(-92 233 720 368 547 758,08 € au moins)"


def _plain(text: str) -> str:
    for odd in ("\u00a0", "\u202f"):
        text = text.replace(odd, " ")
    return text


def _past_cents_said(value: str, below: bool, en: str, fr: str) -> None:
    english = f"{value}' does not fit an amount in cents {_FLOOR_EN if below else _CEILING_EN}"
    french = (f"{value} » dépasse ce qu'un montant en centimes peut tenir "
              f"{_FLOOR_FR if below else _CEILING_FR}")
    assert english in _plain(en) and "too large" not in en, en
    assert french in _plain(fr) and "trop grand" not in fr, fr


@pytest.mark.parametrize("value, below", [
    ("99999999999999999999", False), ("-99999999999999999999", True),
    ("92233720368547758,08", False), ("-92233720368547758,09", True),
    ("-99999999999999999999999999", True), ("99999999999999999999999999", False)])
def test_an_amount_cell_past_int64_cents_says_its_side_and_the_limit(value, below):
    data = f"x;montant\na;{value}\n".encode()
    [problem] = essconv.Ledger.read_csv(io.BytesIO(data), amount="montant",
                                        bad_rows="collect").bad_rows
    _past_cents_said(value, below, language("en").problem(problem),
                     language("fr").problem(problem))
    _past_cents_said(value, below, problem.message, language("fr").problem(problem))
    with pytest.raises(essconv.MoneyOverflowError) as refused:
        essconv.Ledger.read_csv(io.BytesIO(data), amount="montant")
    assert bool(getattr(refused.value, "below", False)) == below
    _past_cents_said(value, below, str(refused.value), language("fr").refusal(refused.value))
    assert "colonne « montant » : « " in _plain(language("fr").refusal(refused.value))
    # the SCDL validator says the reader's reason in the reader's words
    from essconv.scdl import validate_scdl
    scdl = ("nomAttribuant;idAttribuant;dateConvention;referenceDecision;nomBeneficiaire;"
            "idBeneficiaire;objet;montant;nature\n"
            f"Ville;21000000000000;2017-01-01;;Asso;30000000000000;objet;\"{value}\";aide en "
            "numéraire\n")
    said = [f for f in validate_scdl(scdl.encode()) if f.code == "amount-too-large"]
    assert said, [(f.code, f.message) for f in validate_scdl(scdl.encode())]
    _past_cents_said(value, below, said[0].text("en"), said[0].text("fr"))


@pytest.mark.parametrize("euros, below", [(10**17, False), (-(10**17), True)])
def test_an_integer_sql_amount_past_int64_cents_says_its_side_and_the_limit(tmp_path, euros,
                                                                             below):
    import contextlib
    import sqlite3
    db = tmp_path / "t.db"
    with contextlib.closing(sqlite3.connect(db)) as conn:
        conn.execute("CREATE TABLE t (lab TEXT, montant INTEGER)")
        conn.execute("INSERT INTO t VALUES (?, ?)", ("a", euros))
        conn.commit()
    [problem] = essconv.Ledger.read_sql("SELECT * FROM t", str(db), amount="montant",
                                        bad_rows="collect").bad_rows
    value = f"{euros} (euros, an integer)"
    english = (f"{value} does not fit an amount in cents "
               f"{_FLOOR_EN if below else _CEILING_EN}")
    french = (f"« {euros} » dépasse ce qu'un montant en centimes peut tenir "
              f"{_FLOOR_FR if below else _CEILING_FR}")
    assert english in _plain(problem.message) and "too large" not in problem.message
    assert french in _plain(language("fr").problem(problem)), language("fr").problem(problem)
    with pytest.raises(essconv.MoneyOverflowError) as refused:
        essconv.Ledger.read_sql("SELECT * FROM t", str(db), amount="montant", bad_rows="raise")
    assert bool(getattr(refused.value, "below", False)) == below
    assert english in _plain(str(refused.value))
    assert french in _plain(language("fr").refusal(refused.value))


@pytest.mark.parametrize("text, below", [("1E+25", False), ("-1E+25", True),
                                         ("-1E+999999999", True)])
def test_a_decimal_amount_past_int64_cents_says_its_side_and_the_limit(text, below):
    from essconv.money import to_cents
    for convert in (lambda: to_cents(Decimal(text)),
                    lambda: essconv.Ledger.from_columns({"f": ["a"], "m": [Decimal(text)]},
                                                        amount="m")):
        with pytest.raises(essconv.MoneyOverflowError) as refused:
            convert()
        assert bool(getattr(refused.value, "below", False)) == below
        said = _plain(str(refused.value))
        assert f"does not fit an amount in cents {_FLOOR_EN if below else _CEILING_EN}" in said
        assert "too large" not in said, said


@pytest.mark.parametrize("value, said, below", [
    (10**20, "100000000000000000000", False), (-10**20, "-100000000000000000000", True),
    (2**63, "9223372036854775808", False), (Decimal("1e20"), "100000000000000000000", False),
    (Decimal("1E+25"), "1E+25", False), ("100000000000000000000", "100000000000000000000", False),
])
def test_a_number_past_int64_cents_is_refused_in_one_wording_and_in_french(value, said, below):
    # an int said "does not fit int64 cents", a Decimal "does not fit an amount in cents": one
    # refusal, one wording; and French said it in English, its reason missing
    with pytest.raises(essconv.MoneyOverflowError) as refused:
        essconv.Ledger.from_columns({"f": ["a", "b"], "m": [1, value]}, amount="m")
    limit_en, limit_fr = (_FLOOR_EN, _FLOOR_FR) if below else (_CEILING_EN, _CEILING_FR)
    assert _plain(str(refused.value)) == (f"the amount column 'm', row 2: '{said}' does not fit "
                                          f"an amount in cents {limit_en}")
    assert _plain(language("fr").refusal(refused.value)) == (
        f"la colonne des montants « m », ligne 2 : « {said} » dépasse ce qu'un montant en "
        f"centimes peut tenir {limit_fr}")
    if not isinstance(value, str):
        with pytest.raises(essconv.MoneyOverflowError) as alone:
            essconv.money.to_cents(value)
        assert _plain(str(alone.value)) == f"'{said}' does not fit an amount in cents {limit_en}"


def test_a_text_amount_of_from_columns_refused_is_said_in_french_with_its_row():
    with pytest.raises(essconv.AmountError) as refused:
        essconv.Ledger.from_columns({"f": ["a", "b"], "m": ["1", "12,"]}, amount="m")
    assert _plain(language("fr").refusal(refused.value)) == (
        "la colonne des montants « m », ligne 2 : « 12, » n'est pas un montant : aucun chiffre "
        "après la marque décimale au caractère 3")


@pytest.mark.parametrize("cell, why_en, why_fr, stray", [
    # a digit typed twice: the parser's fault and the stray digit, as the English says them
    ("1 2008", "a group of more than three digits after a thousands separator (character 3)",
     "un groupe de plus de trois chiffres après un séparateur de milliers (caractère 3)", "8"),
    # a letter no amount has: its character, and no stray that gives the figure expected
    ("2a00", "'a' at character 2", "« a » au caractère 2", None),
])
def test_a_malformed_number_says_why_and_its_stray_character_in_french(cell, why_en, why_fr,
                                                                         stray):
    """The French malformed-number finding said only "« 1 2008 » n'est pas un nombre ; …" where
    the English says why (a group of more than three digits…) and which digit is stray."""
    table = f"en k€;A;B;Total\nx;10;{cell};1210\ny;5;5;10\nTotal;15;1205;1220\n"
    [(f, plan)] = [(f, p) for f, p in _findings(table) if f.code == "malformed-number"]
    french = language("fr").finding(f, plan).replace(NBSP, " ").replace("\u202f", " ")
    assert why_en in f.message, f.message
    assert f"« {cell} » n'est pas un nombre ({why_fr})" in french, french
    if stray is not None:
        assert f"with its stray '{stray}' removed" in f.message
        assert french.endswith(f"les cellules donnent 1 200 k€, ce que « {cell} » donne une fois "
                               f"retiré son « {stray} » en trop."), french
    else:
        assert "stray" not in f.message and "en trop" not in french, french


@pytest.mark.parametrize("value", ["99999999999999999999", "-99999999999999999999"])
def test_an_int_cell_past_int64_is_said_not_to_fit_on_either_side(value):
    # « trop grand » was said of a negative value too, where the English says "does not fit"
    data = f"n;montant\n{value};1\n".encode()
    [problem] = essconv.Ledger.read_csv(io.BytesIO(data), amount="montant", ints=["n"],
                                        bad_rows="collect").bad_rows
    assert f"'{value}' does not fit int64" in problem.message
    french = _plain(language("fr").problem(problem))
    assert f"« {value} » ne tient pas dans un entier de 64 bits" in french, french
    assert "trop grand" not in french


def test_the_english_dashboard_quotes_a_fault_and_its_source_alike():
    """The English dashboard's list of the document's faults quoted the message 'like this'
    and its source “like this”: two styles in one list.  English quotes 'like this' throughout,
    as every English message does; French keeps « » in both."""
    conv = essconv.default()
    for lang, quoted, other in (("en", "'", ("“", "”", "«")), ("fr", "«", ("“", "”"))):
        page = render(conv, today=TODAY, lang=lang)
        page = html.unescape(page)
        faults = page[page.index(language(lang).text("document_faults_heading")):]
        faults = faults[:faults.index("</ul>")]
        sources = re.findall(r'<small class="source">(.*?)</small>', faults, re.S)
        assert len(sources) > 5
        for mark in other:
            assert mark not in faults, (lang, mark)
        assert all(quoted in s for s in sources if "…" in s), (lang, sources)


@pytest.mark.parametrize("condition", [{"an": 2030}, {"an": range(2030, 2033)},
                                       {"d": _dt.date(2020, 1, 1)}, {"m": Decimal(5)},
                                       {"m": (Decimal(100000), None)}, {"an": []},
                                       {"an": range(0)}], ids=repr)
def test_a_filter_that_selects_no_row_is_worded_once_in_english(condition):
    """The English of a filter's NothingMatchedWarning was written twice, in the ledger (its
    message) and in the listings' words (``language("en").warning``), and they had parted:
    an amount read "no row holds 5 (the column holds 2–1234.5)" in the one and "5 € (the
    column holds 2 €–1,234.50 €)" in the other, an empty range "an empty set" in the listing.
    One wording: the message is the listing's."""
    import warnings
    ledger = essconv.Ledger.from_columns({"an": [2017, 2018],
                                          "d": [_dt.date(2017, 1, 2), _dt.date(2018, 3, 4)],
                                          "m": ["1234,50", "2"]}, amount="m")
    with warnings.catch_warnings(record=True) as seen:
        warnings.simplefilter("always")
        ledger.filter(**condition)
    said = [w.message for w in seen if issubclass(w.category, essconv.NothingMatchedWarning)]
    assert len(said) == 1
    assert str(said[0]) == language("en").warning(said[0])
    assert str(said[0]).endswith("selects no row")
    if condition == {"an": range(0)}:
        assert "an empty range" in str(said[0])
        assert "un intervalle vide" in language("fr").warning(said[0])
