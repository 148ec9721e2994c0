"""The pytest plugin: plan files as test items that fail like a compiler."""
from __future__ import annotations

import pytest

from conftest import annex_lines, odd_byte_place

pytest_plugins = ["pytester"]


def _annex() -> str:
    return "\n".join(annex_lines()) + "\n"


def test_plugin_fails_on_the_annex_and_passes_once_corrected(pytester):
    pytester.makefile(".tsv", **{"plans/plan-2009": _annex()})
    result = pytester.runpytest("plans")
    result.assert_outcomes(failed=1)
    result.stdout.fnmatch_lines([
        "*plan-2009.tsv:3:35: error?row-total?: Observatoire CRESS: the stated total 51*",
        "*plan-2009.tsv:5:51: error?malformed-number?*1 2618*",
        "*error?column-total?: CDC*",
        "*error?grand-total?*",
        "*suggestion?cell-correction?*Observatoire CRESS x CDC is blank*",
        "*suggestion: Observatoire CRESS x CDC = 10*",
    ])
    fixed = _annex().replace("\tObservatoire CRESS\t13\t10\t18\t\t", "\tObservatoire CRESS\t13\t10\t18\t10\t")
    fixed = fixed.replace("1 2618", "1 261")
    pytester.makefile(".tsv", **{"plans/plan-2009": fixed})
    result = pytester.runpytest("plans")
    result.assert_outcomes(passed=1)


def test_plugin_checks_funders_against_the_configured_convention(pytester):
    fixed = _annex().replace("\tObservatoire CRESS\t13\t10\t18\t\t", "\tObservatoire CRESS\t13\t10\t18\t10\t")
    fixed = fixed.replace("1 2618", "1 261")
    pytester.makefile(".tsv", **{"plans/plan-2009": fixed})
    pytester.makeini("[pytest]\nessconv_convention = default\n")
    result = pytester.runpytest("plans", "-rA")
    result.assert_outcomes(passed=1)
    result.stdout.fnmatch_lines(["*warning?unknown-funder?*ESE*"])
    strict = pytester.runpytest("plans", "--essconv-strict")
    strict.assert_outcomes(failed=1)


def test_plugin_reports_a_broken_table_with_every_problem(pytester):
    pytester.makefile(".csv", **{"plans/plan-2010": "en k€;A;B;Total\nx;1\ny;1;n.c.;3\n"})
    result = pytester.runpytest("plans")
    result.assert_outcomes(failed=1)
    result.stdout.fnmatch_lines(["*plan-2010.csv:2:*2 cells where the header has 4*",
                                 "*plan-2010.csv:3:*n.c.*"])


def test_assert_plan_ok_helper(annex_tsv):
    import essconv
    from essconv.testing import assert_plan_ok
    plan = essconv.read_plan(annex_tsv)
    with pytest.raises(AssertionError) as info:
        assert_plan_ok(plan)
    assert "error[grand-total]" in str(info.value)
    assert_plan_ok(plan.with_corrections(plan.validate()))


def test_assert_plan_ok_refuses_a_wrong_argument_as_an_essconv_error(annex_tsv):
    """A path given for the plan (``assert_plan_ok("plans/plan-2010.tsv")``) raised a bare
    AttributeError from inside the helper; ``strict="no"`` failed a passing plan on its
    warnings; ``lang="de"`` passed unnoticed on a passing plan.  Each is refused up front."""
    import essconv
    from essconv.testing import assert_plan_ok
    plan = essconv.read_plan(annex_tsv)
    good = plan.with_corrections(plan.validate())
    with pytest.raises(essconv.errors.ArgumentTypeError, match="read_plan"):
        assert_plan_ok(str(annex_tsv))
    with pytest.raises(essconv.errors.ArgumentTypeError, match="strict"):
        assert_plan_ok(good, strict="no")
    with pytest.raises(essconv.Error, match="'de'"):
        assert_plan_ok(good, lang="de")
    assert assert_plan_ok(good, strict=False, lang="fr").ok


def test_plugin_reports_a_corrupt_workbook_in_one_line(pytester):
    """A plan*.xlsx that is no workbook fails its item with the file-named message the other
    bad files get, not openpyxl's traceback."""
    pytester.path.joinpath("plans").mkdir()
    pytester.path.joinpath("plans", "plan-2010.xlsx").write_bytes(b"garbage\n")
    result = pytester.runpytest("plans")
    result.assert_outcomes(failed=1)
    result.stdout.fnmatch_lines(["*plan-2010.xlsx: unusable .xlsx: not a readable Excel workbook*"])
    result.stdout.no_fnmatch_line("*zipfile.BadZipFile*")
    result.stdout.no_fnmatch_line("*Traceback*")


def test_a_plan_whose_sums_overflow_fails_naming_them_not_with_a_traceback(pytester, tmp_path):
    # validation raised the core's MoneyOverflowError: the item failed with a traceback
    # through essconv's internals that named neither the file nor the sum at fault.  (The
    # sums past int64 cents have no total printed over them: a printed one is a finding at it.)
    big = "90000000000000000"
    text = f"en €\tA\tB\tTotal\nx\t{big}\t{big}\t\ny\t1\t2\t3\nTotal\t1\t1\t\n"
    pytester.mkdir("plans").joinpath("plan-2010.tsv").write_text(text, encoding="utf-8")
    result = pytester.runpytest("plans")
    result.assert_outcomes(failed=1)
    result.stdout.fnmatch_lines(["*plan-2010.tsv: error?overflow?: sums past int64 cents: "
                                 "line 'x' (beyond 92,233,720,368,547,758.07?€), "   # English figure
                                 "the grand total (beyond 92,233,720,368,547,758.07?€); "
                                 "the plan cannot be checked*"])
    result.stdout.no_fnmatch_line("*Traceback*")
    result.stdout.no_fnmatch_line("*plan.py*")
    import essconv
    from essconv.testing import assert_plan_ok
    path = tmp_path / "plan-2010.tsv"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(AssertionError, match=r"plan-2010.tsv: error\[overflow\].*line 'x'"):
        assert_plan_ok(essconv.read_plan(path))
    # a sum under the floor is said below it, each place on its own side: "±" read as huge and
    # positive a total that is huge and negative
    path.write_text(text.replace(f"x\t{big}\t{big}", f"x\t-{big}\t-{big}"), encoding="utf-8")
    with pytest.raises(AssertionError) as failed:
        assert_plan_ok(essconv.read_plan(path))
    said = str(failed.value).replace("\u00a0", " ")
    assert ("sums past int64 cents: line 'x' (below -92,233,720,368,547,758.08 €), "
            "the grand total (below -92,233,720,368,547,758.08 €)") in said, said
    assert "±" not in said and "beyond" not in said
    with pytest.raises(AssertionError) as failed:
        assert_plan_ok(essconv.read_plan(path), lang="fr")
    said = str(failed.value).replace("\u00a0", " ").replace("\u202f", " ")
    assert "ligne « x » (en deçà de -92 233 720 368 547 758,08 €)" in said, said


def test_a_plan_whose_printed_totals_sit_over_sums_past_int64_cents_names_those_totals(tmp_path):
    # the plan whose line x and grand total were printed (1) over cells adding past int64
    # cents failed "sums past int64 cents ...; the plan cannot be checked", no total named
    # where the analyst must look: each such total is an error at its file:line:column
    import essconv
    from essconv.testing import assert_plan_ok
    big = "90000000000000000"
    path = tmp_path / "plan-2010.tsv"
    path.write_text(f"en €\tA\tB\tTotal\nx\t{big}\t{big}\t1\ny\t1\t2\t3\nTotal\t1\t1\t1\n",
                    encoding="utf-8")
    with pytest.raises(AssertionError) as failed:
        assert_plan_ok(essconv.read_plan(path))
    said = str(failed.value).replace("\u00a0", " ")
    assert ("plan-2010.tsv:2:39: error[row-total]: x: the stated total 1 € differs from the sum "
            "of its cells, beyond 92,233,720,368,547,758.07 €") in said, said
    assert "plan-2010.tsv:4:11: error[grand-total]" in said and "[overflow]" not in said, said


def test_plan_files_named_in_capitals_are_collected_too(pytester):
    # "Plan-2010.tsv", as Excel users name files, did not match plan*.tsv on Linux: the plan
    # was never validated and the run passed
    pytester.makefile(".tsv", **{"plans/Plan-2009": _annex()})
    pytester.makefile(".TSV", **{"plans/PLAN-2011": "en k€\tA\tB\tTotal\nx\t1\t2\t4\nTotal\t1\t2\t4\n"})
    pytester.makefile(".tsv", **{"plans/notes-2009": "not a plan\n"})
    result = pytester.runpytest("plans")
    result.assert_outcomes(failed=2)
    result.stdout.fnmatch_lines(["*PLAN-2011.TSV:2:*error?row-total?: x: the stated total 4*",
                                 "*Plan-2009.tsv:3:35: error?row-total?*"])


def test_plugin_and_assert_plan_ok_list_the_findings_in_french_on_request(pytester, annex_tsv):
    # the listing was English whatever the team's language; essconv_lang = fr words each
    # finding as the French report does, the default staying the compiler-style English
    pytester.makefile(".tsv", **{"plans/plan-2009": _annex()})
    pytester.makeini("[pytest]\nessconv_lang = fr   ; the committee's language\n")
    result = pytester.runpytest("plans")
    result.assert_outcomes(failed=1)
    result.stdout.fnmatch_lines([
        "*4 erreurs, 0 avertissement dans plan-2009.tsv*",
        "*plan-2009.tsv:3:35: erreur?row-total??: Observatoire CRESS?: le total indiqué, 51?k€, "
        "diffère de la somme de ses cellules, 41?k€*",
        "*suggestion?cell-correction??: Observatoire CRESS ? CDC est vide*",
    ])
    assert "error(s)" not in result.stdout.str() and "the stated total" not in result.stdout.str()
    english = pytester.runpytest("plans", "--essconv-lang", "en")
    english.stdout.fnmatch_lines(["*4 error(s), 0 warning(s) in plan-2009.tsv*",
                                  "*error?row-total?: Observatoire CRESS: the stated total 51*"])
    pytester.makeini("[pytest]\nessconv_lang = de\n")
    refused = pytester.runpytest("plans")
    assert refused.ret == pytest.ExitCode.USAGE_ERROR
    assert "essconv_lang = 'de': expected en or fr" in refused.stderr.str()
    import essconv
    from essconv.testing import assert_plan_ok
    with pytest.raises(AssertionError) as info:
        assert_plan_ok(essconv.read_plan(annex_tsv), lang="fr")
    said = str(info.value)
    assert said.splitlines()[0].endswith("\u00a0: 4 erreurs, 0 avertissement")
    assert "erreur[grand-total]\u00a0: Le total général indiqué, 8\u202f115\u00a0k€" in said


def test_a_broken_table_is_refused_in_the_findings_language(pytester):
    # a ragged row and an amount "12.500" the column leaves undecided: the head and the amount's
    # problem were English under essconv_lang = fr, where the CLI's --lang fr words them
    pytester.makefile(".csv", **{"plans/plan-2010": "en €;CR-NPDC;CDC;Total\nA;1;2\nB;12.500;3;12503\n"
                                                    "C;1;1;2\nTotal;12502;6;12508\n"})
    pytester.makeini("[pytest]\nessconv_lang = fr\n")
    result = pytester.runpytest("plans")
    result.assert_outcomes(failed=1)
    out = result.stdout.str()
    assert "la structure du tableau est rompue" in out and "plan-2010.csv:2:" in out
    assert "broken in structure" not in out and "could be" not in out
    pytester.makeini("[pytest]\nessconv_lang = en\n")
    result = pytester.runpytest("plans")
    assert "the table is broken in structure" in result.stdout.str()


CONTRADICTED = '''[convention]
title = "T"
territory = "X"
start = 2020-01-01
end = 2022-12-31

[[parties]]
code = "ETAT"
name = "Etat"
kind = "state"

[[plans]]
year = 2022
unit = "€"
table = """
en K€\tETAT\tTotal
Amorçage\t10\t10
"""
'''


def test_a_convention_refused_fails_each_plan_in_one_line_in_the_findings_language(pytester):
    """A convention whose inline plan's `unit` contradicts its table's header ("en K€" under
    unit = "€") failed the plan items with a traceback through essconv's internals, in English
    under essconv_lang = fr."""
    pytester.makefile(".csv", **{"plans/plan-2022": "en k€;ETAT;Total\nA;1;1\n"})
    pytester.path.joinpath("conv.toml").write_text(CONTRADICTED, encoding="utf-8")
    pytester.makeini("[pytest]\nessconv_convention = conv.toml\nessconv_lang = fr\n")
    result = pytester.runpytest("plans")
    result.assert_outcomes(failed=1)
    out = result.stdout.str()
    assert "conv.toml" in out and "l'unité donnée, €, contredit l'en-tête du tableau" in out
    assert "Traceback" not in out and "the unit given" not in out and "plan.py" not in out
    pytester.makeini("[pytest]\nessconv_convention = conv.toml\nessconv_lang = en\n")
    result = pytester.runpytest("plans")
    result.assert_outcomes(failed=1)
    assert "the unit given, €, contradicts the table's header" in result.stdout.str()
    # the same description with the header's unit: the plan is checked against it
    pytester.path.joinpath("conv-k.toml").write_text(
        CONTRADICTED.replace('unit = "€"', 'unit = "k€"'), encoding="utf-8")
    pytester.makeini("[pytest]\nessconv_convention = conv-k.toml\nessconv_lang = fr\n")
    result = pytester.runpytest("plans")
    result.assert_outcomes(passed=1)
    # a description that is not there: one line naming it, no traceback
    pytester.makeini("[pytest]\nessconv_convention = absent.toml\nessconv_lang = fr\n")
    result = pytester.runpytest("plans")
    result.assert_outcomes(failed=1)
    assert "absent.toml" in result.stdout.str() and "Traceback" not in result.stdout.str()


# a conftest that takes a plan away just before its item runs (under xdist, on the worker that
# runs it): one removed (a file deleted, a share unmounted), one become a directory
_TAKEN_AWAY = '''
import os
def pytest_runtest_setup(item):
    if item.path.name == "plan-2011.csv":
        os.remove(item.path)
    if item.path.name == "plan-2012.csv":
        os.remove(item.path)
        os.mkdir(item.path)
'''


@pytest.mark.parametrize("lang, gone, folder", [
    ("en", "No such file or directory", "Is a directory"),
    ("fr", "fichier ou dossier introuvable", "c'est un dossier, pas un fichier")])
@pytest.mark.parametrize("workers", [[], ["-n", "2", "-p", "xdist"]])
def test_a_plan_the_system_will_not_give_fails_its_item_naming_it(pytester, monkeypatch, lang,
                                                                  gone, folder, workers):
    """A plan that cannot be read when its item runs (removed after collection, a directory,
    unreadable) failed with a page of pytest's and essconv's internals and Python's English
    "[Errno 2]": its item fails in one line naming the file, in the findings' language, beside
    a clean plan that passes and a faulty one that fails with its cells -- under xdist too."""
    pytest.importorskip("xdist") if workers else None
    pytester.makefile(".csv", **{"plans/plan-2010": "en k€;CR;CDC;Total\nDLA;10;20;30\n"
                                                    "Total;10;20;30\n"})
    pytester.makefile(".csv", **{"plans/plan-2011": "en k€;CR;Total\nDLA;10;10\nTotal;10;10\n"})
    pytester.makefile(".csv", **{"plans/plan-2012": "en k€;CR;Total\nDLA;10;10\nTotal;10;10\n"})
    pytester.makefile(".csv", **{"plans/plan-2013": "en k€;CR;CDC;Total\nDLA;10;n.c.;10\n"
                                                    "Total;10;0;10\n"})
    pytester.makeconftest(_TAKEN_AWAY)
    pytester.makeini(f"[pytest]\nessconv_lang = {lang}\n")
    # the run in a child interpreter (xdist's workers with it) imports the essconv under test
    import os
    from pathlib import Path
    import essconv
    tree = str(Path(essconv.__file__).resolve().parent.parent)
    monkeypatch.setenv("PYTHONPATH", os.pathsep.join(
        p for p in (tree, os.environ.get("PYTHONPATH")) if p))
    result = pytester.runpytest_subprocess("plans", *workers)
    result.assert_outcomes(passed=1, failed=3)
    out = result.stdout.str()
    assert "Traceback" not in out and "Errno" not in out and "pytest_plugin.py" not in out
    for name, why in (("plan-2011.csv", gone), ("plan-2012.csv", folder)):
        said = [line for line in out.splitlines() if name in line and why in line]
        assert said, (name, why, out)
    # the faulty plan still fails at its cell, line 2, column 8 ("n.c." under CDC)
    assert "plan-2013.csv:2:8:" in out and "n.c." in out


# a UTF-8 plan with one CP1252 byte (0xE9, "é") on line 3 after ASCII only: column 12; its
# figures agree, so the reading warning is the one thing to say about it
_MIXED_PLAN = ("en k€;CDC;Région;Total\nDLA;10;20;30\n".encode("utf-8")
               + b"Formation r\xe9gionale;5;5;10\nTotal;15;25;40\n")


@pytest.mark.parametrize("lang, said", [("en", "mostly UTF-8, but 1 byte"),
                                        ("fr", "surtout en UTF-8, mais 1 octet")])
def test_a_plans_reading_warning_is_listed_with_its_findings_and_fails_strict(pytester, lang,
                                                                               said):
    """A plan read with a warning (a byte of CP1252 in a UTF-8 file, read as "é") passed under
    essconv_strict -- the warning went to pytest's summary, in English, and was no warning of
    the plan -- and under `filterwarnings = error` (many projects' CI) failed with a page of
    essconv's internals. It is listed at its line and column with the plan's findings, in
    their language: shown on a pass, a failure under strict, never a traceback."""
    pytester.path.joinpath("plans").mkdir()
    pytester.path.joinpath("plans", "plan-2010.csv").write_bytes(_MIXED_PLAN)
    line, column = odd_byte_place(_MIXED_PLAN)
    place = f"plan-2010.csv:{line}:{column}"
    pytester.makeini(f"[pytest]\nessconv_lang = {lang}\n")
    result = pytester.runpytest("plans", "-rA")
    result.assert_outcomes(passed=1)
    out = result.stdout.str()
    assert place in out and said in out, out
    assert "MixedEncodingWarning" not in out   # not in pytest's warnings summary
    for strict in (["--essconv-strict"], ["-W", "error"], ["--essconv-strict", "-W", "error"]):
        result = pytester.runpytest("plans", *strict)
        result.assert_outcomes(**({"failed": 1} if "--essconv-strict" in strict
                                  else {"passed": 1}))
        out = result.stdout.str()
        assert "Traceback" not in out and "errors.py" not in out, out
        if "--essconv-strict" in strict:
            counted = "1 warning(s)" if lang == "en" else "1 avertissement"
            assert counted in out and place in out and said in out, out


@pytest.mark.parametrize("odd, french, english", [
    (b"\x81", "ni de l'UTF-8 ni du CP1252", "is neither UTF-8 nor CP1252"),
    (b"\x00", "ce n'est pas un fichier texte", "this is not a text file"),
])
def test_a_plan_with_a_byte_no_text_has_is_refused_at_it_in_the_findings_language(
        pytester, odd, french, english):
    # a byte neither UTF-8 nor CP1252 (0x81) or a NUL refused the plan in English under
    # essconv_lang = fr, where its item lists every other refusal in French
    data = b"en k\xe2\x82\xac;R\xc3\xa9gion;Etat;Total\nAnimation;120;3" + odd + b"0;150\nTotal;120;30;150\n"
    pytester.path.joinpath("plans").mkdir()
    pytester.path.joinpath("plans", "plan-2012.csv").write_bytes(data)
    line, column = (odd_byte_place(data) if odd != b"\x00" else
                    next((n, l.index(b"\x00") + 1) for n, l in enumerate(data.split(b"\n"), 1)
                         if b"\x00" in l))
    for lang, said, other in (("fr", french, english), ("en", english, french)):
        result = pytester.runpytest("plans", f"--essconv-lang={lang}")
        result.assert_outcomes(failed=1)
        out = result.stdout.str()
        assert f"plan-2012.csv:{line}:{column}" in out and said in out, out
        assert other not in out and "Traceback" not in out, out
        if lang == "fr":   # the place said in French too, once
            assert f"ligne {line}, colonne {column}" in out and "line " not in out, out


def test_a_plan_whose_sums_overflow_fails_in_the_findings_language(pytester, tmp_path):
    # under essconv_lang = fr the plan that cannot be checked failed in English ("sums past
    # int64 cents ... line 'x', the grand total"), where every other failure was French
    from decimal import Decimal
    big = "90000000000000000"   # no total printed over the sums past int64 cents
    text = f"en €\tA\tB\tTotal\nx\t{big}\t{big}\t\ny\t1\t2\t3\nTotal\t1\t1\t\n"
    pytester.mkdir("plans").joinpath("plan-2010.tsv").write_text(text, encoding="utf-8")
    result = pytester.runpytest("plans", "--essconv-lang=fr")
    result.assert_outcomes(failed=1)
    out = result.stdout.str().replace("\u202f", " ").replace("\u00a0", " ")
    # the bound written the French way from the int64 limit itself
    whole, cents = divmod(2**63 - 1, 100)
    bound = f"{whole:,}".replace(",", " ") + f",{cents:02d} €"
    assert Decimal(bound[:-2].replace(" ", "").replace(",", ".")) * 100 == 2**63 - 1
    assert (f"plan-2010.tsv : erreur[overflow] : des sommes dépassent ce qu'un montant en "
            f"centimes peut tenir : ligne « x » (au-delà de {bound}), le total général "
            f"(au-delà de {bound}) ; le plan ne peut pas être vérifié") in out, out
    assert "sums past" not in out and "the grand total" not in out and "Traceback" not in out
    import essconv
    from essconv.testing import assert_plan_ok
    path = tmp_path / "plan-2010.tsv"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(AssertionError, match=r"plan-2010.tsv\s:\serreur\[overflow\].*ligne\s«\sx\s»"):
        assert_plan_ok(essconv.read_plan(path), lang="fr")


def _workbook(path, sheet, rows, at="A1"):
    """A workbook written by openpyxl (never opened in a spreadsheet): ``rows`` from the cell
    ``at`` of the sheet named ``sheet``, a title merged over the row above it."""
    openpyxl = pytest.importorskip("openpyxl")
    from openpyxl.utils.cell import coordinate_from_string, column_index_from_string
    letter, first = coordinate_from_string(at)
    left = column_index_from_string(letter)
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = sheet
    for r, row in enumerate(rows, start=first):
        for c, value in enumerate(row, start=left):
            ws.cell(row=r, column=c, value=value)
    path.parent.mkdir(parents=True, exist_ok=True)
    wb.save(path)
    return path


@pytest.mark.parametrize("lang, said, other", [
    ("fr", "formule sans valeur enregistrée", "no saved value"),
    ("en", "no saved value", "sans valeur enregistrée")])
def test_a_workbook_s_formula_with_no_saved_value_fails_naming_sheet_and_cell(pytester, lang,
                                                                             said, other):
    """A workbook saved by a program (openpyxl), never opened in Excel, keeps no value beside
    its `=SUM(...)` total: the item was refused in English under essconv_lang = fr, and named
    the cell without its sheet ("B7"), where a committee's workbook has several."""
    rows = [["Plan de financement 2010 (en k€)"], [],
            ["en k€", "CR-NPDC", "CDC", "Total"],
            ["Têtes de réseaux", 197, 20, 217],
            ["DLA", 327, 445, 772],
            ["Total", "=SUM(B4:B5)", 465, 989]]
    _workbook(pytester.path / "plans" / "plan 2010.xlsx", "Feuil1", rows)
    # the formula's cell, found by the test in the rows it wrote: column B, the Total row
    row = next(r for r, cells in enumerate(rows, start=1) if cells and cells[0] == "Total")
    cell = f"Feuil1!B{row}"
    result = pytester.runpytest("plans", f"--essconv-lang={lang}")
    result.assert_outcomes(failed=1)
    out = result.stdout.str()
    assert f"plan 2010.xlsx:{row}:2" in out and cell in out and said in out, out
    assert other not in out and "Traceback" not in out and "=SUM(B4:B5)" in out, out
    if lang == "fr":
        assert "open and save" not in out and "Excel ou LibreOffice" in out, out


@pytest.mark.parametrize("sheet", ["Feuil1", "Plan 2010"])
def test_a_workbook_plan_s_findings_name_their_sheet_and_cell(pytester, tmp_path, sheet):
    """A finding of an .xlsx plan was placed by line and column alone ("plan 2010.xlsx:7:4"),
    the analyst counting columns to find D7; each finding now names its cell as Excel does,
    sheet first, in the plugin's listing (French and English) and in assert_plan_ok's."""
    openpyxl = pytest.importorskip("openpyxl")
    from openpyxl.utils import get_column_letter, quote_sheetname
    rows = [["Plan de financement 2010 (en k€)"], [],
            ["en k€", "CR-NPDC", "CDC", "DRTEFP", "Total"],
            ["Têtes de réseaux", 197, 20, 32, 249],
            ["Observatoire CRESS", 13, 10, 18, 41],
            ["DLA", 327, 445, 274, 1046],
            ["Total", 537, 476, 324, 1336]]   # CDC's total one more than 20 + 10 + 445
    path = _workbook(pytester.path / "plans" / "plan 2010.xlsx", sheet, rows)
    # the CDC total's cell, from the rows the test wrote, named by openpyxl's own helpers
    line = next(r for r, cells in enumerate(rows, start=1) if cells and cells[0] == "Total")
    column = rows[2].index("CDC") + 1
    assert sum(r[column - 1] for r in rows[3:6]) == rows[line - 1][column - 1] - 1
    # quoted as Excel's formula bar quotes it: a name of one word bare (openpyxl always quotes)
    cell = f"{quote_sheetname(sheet) if ' ' in sheet else sheet}!{get_column_letter(column)}{line}"
    for lang, code in (("fr", "erreur[column-total] : "), ("en", "error[column-total]: ")):
        result = pytester.runpytest("plans", f"--essconv-lang={lang}")
        result.assert_outcomes(failed=1)
        out = result.stdout.str()
        # the item's failure, not pytest's summary of it (which repeats it whole under CI=true)
        failure = out.split("short test summary info")[0]
        said = [t.replace("\u00a0", " ") for t in failure.splitlines() if "column-total" in t]
        assert len(said) == 1, out
        # the compiler's place kept first, the cell after the finding's code
        assert f"plan 2010.xlsx:{line}:{column}: {code}{cell}" in said[0], out
    import essconv
    from essconv.testing import assert_plan_ok
    for lang, code in (("fr", "erreur[column-total] : "), ("en", "error[column-total]: ")):
        with pytest.raises(AssertionError) as info:
            assert_plan_ok(essconv.read_plan(path), lang=lang)
        assert f":{line}:{column}: {code}{cell}" in str(info.value).replace("\u00a0", " "), \
            str(info.value)
    # a text plan has no sheet: its findings as before, placed by line and column alone
    text = tmp_path / "plan-2010.tsv"
    text.write_text("\n".join("\t".join(str(v) for v in r) for r in rows[2:]) + "\n",
                    encoding="utf-8")
    with pytest.raises(AssertionError) as info:
        assert_plan_ok(essconv.read_plan(text))
    total_row = text.read_text(encoding="utf-8").splitlines()[4]   # a text's column is a character's
    at = total_row.index("\t476") + 2
    assert f"plan-2010.tsv:5:{at}: error[column-total]: CDC:" in str(info.value), str(info.value)
    assert "!" not in str(info.value), str(info.value)


def test_assert_plan_ok_fails_in_the_analyst_s_test_not_in_essconv_s_source(pytester):
    """An analyst's test calling assert_plan_ok failed with a page of essconv's own source
    (the helper's body, its arguments' reprs, "essconv/testing.py:102") before the findings:
    the failure now points at the analyst's line, the findings under it, in both languages."""
    pytester.makefile(".tsv", **{"plans/plan-2009": _annex()})
    pytester.makepyfile(test_plans='''
        import essconv
        from essconv.testing import assert_plan_ok

        def test_plan_2009_fr():
            assert_plan_ok(essconv.read_plan("plans/plan-2009.tsv"), lang="fr")

        def test_plan_2009_en():
            assert_plan_ok(essconv.read_plan("plans/plan-2009.tsv"))
    ''')
    result = pytester.runpytest("test_plans.py", "-p", "no:essconv")
    result.assert_outcomes(failed=2)
    out = result.stdout.str()
    # the analyst's line is shown, the findings under it as the helper words them
    assert out.count('assert_plan_ok(essconv.read_plan("plans/plan-2009.tsv")') >= 2, out
    result.stdout.fnmatch_lines(["E *plan-2009.tsv:3:35: erreur?row-total?*Observatoire CRESS*",
                                 "E *plan-2009.tsv:3:35: error?row-total?: Observatoire CRESS*"])
    # never essconv's body, its arguments' reprs or its file
    assert "def assert_plan_ok" not in out and "testing.py" not in out, out
    assert "plan = <Plan" not in out and "failing = report.errors" not in out, out


def test_a_plan_file_that_is_a_dangling_or_looping_link_fails_saying_where_it_points(pytester):
    """pytest's walk passes over a link that leads nowhere: plan2015.csv, expected validated,
    was never tested and the run passed.  Each fails in one line naming the file and the
    target, in the findings' language; a link to a real plan is validated as the plan."""
    plans = pytester.path / "plans"
    plans.mkdir()
    (plans / "plan2015.csv").symlink_to("archives/plan2015.csv")   # the target moved away
    (plans / "plan2016.csv").symlink_to("plan2016.csv")             # a link to itself
    (plans / "notes.csv").symlink_to("nowhere.csv")                 # no plan by its name
    pytester.makefile(".tsv", **{"plans/real/plan-2009": _annex()})
    (plans / "plan2009.tsv").symlink_to("real/plan-2009.tsv")       # a link that leads to a plan
    result = pytester.runpytest("plans", "-p", "no:cacheprovider")
    # plan2015, plan2016 fail on their links; the annex fails on its own findings, twice
    result.assert_outcomes(failed=4)
    result.stdout.fnmatch_lines([
        "*plan2015.csv: the link points to archives/plan2015.csv which does not exist*"])
    result.stdout.fnmatch_lines(["*plan2016.csv: the link points to plan2016.csv, which leads "
                                 "back to itself*"])
    result.stdout.no_fnmatch_line("*notes.csv*")
    result.stdout.no_fnmatch_line("*Traceback*")
    pytester.makeini("[pytest]\nessconv_lang = fr\n")
    french = pytester.runpytest("plans", "-p", "no:cacheprovider")
    french.assert_outcomes(failed=4)
    french.stdout.fnmatch_lines(["*plan2015.csv\u00a0: le lien pointe vers archives/plan2015.csv "
                                 "qui n'existe pas*"])
    french.stdout.fnmatch_lines(["*plan2016.csv\u00a0: le lien pointe vers plan2016.csv, qui "
                                 "ramène à lui-même*"])
    # --ignore is heard: a link the analyst set aside is not collected
    ignored = pytester.runpytest("plans", "-p", "no:cacheprovider",
                                 "--ignore", str(plans / "plan2015.csv"))
    ignored.assert_outcomes(failed=3)
    ignored.stdout.no_fnmatch_line("*plan2015.csv*")


def _corrected_annex() -> str:
    fixed = _annex().replace("\tObservatoire CRESS\t13\t10\t18\t\t", "\tObservatoire CRESS\t13\t10\t18\t10\t")
    return fixed.replace("1 2618", "1 261")


def test_a_plan_of_a_year_outside_the_convention_s_term_fails_its_check(pytester, tmp_path):
    # the checks compared funders only: a 2015 plan held to the 2009-2013 convention passed
    import essconv
    from essconv.testing import assert_plan_ok
    conv = essconv.default()
    path = tmp_path / "plan-2015.tsv"
    path.write_text(_corrected_annex(), encoding="utf-8")
    plan = essconv.read_plan(path)
    assert plan.year == 2015
    outside = [f for f in plan.validate(conv) if f.code == "plan-year-outside-term"]
    assert [f.severity for f in outside] == ["error"]
    assert "2015" in outside[0].message and "2009–2013" in outside[0].message
    with pytest.raises(AssertionError) as en:
        assert_plan_ok(plan, conv)
    assert "error[plan-year-outside-term]: The plan is for 2015" in str(en.value)
    with pytest.raises(AssertionError) as fr:
        assert_plan_ok(plan, conv, lang="fr")
    assert "Le plan est celui de 2015, hors de la durée de la convention (2009–2013)" in str(fr.value)
    # without a convention, or with a plan whose year is unknown or within the term: no word
    assert not [f for f in plan.validate() if f.code == "plan-year-outside-term"]
    unknown = essconv.read_plan(tmp_path / "plan-2015.tsv", year=None)
    unknown.year = None
    assert not [f for f in unknown.validate(conv) if f.code == "plan-year-outside-term"]
    assert_plan_ok(conv.plan(2009).with_corrections(conv.plan(2009).validate()), conv)
    pytester.makefile(".tsv", **{"plans/plan-2015": _corrected_annex(),
                                 "plans/plan-2010": _corrected_annex()})
    pytester.makeini("[pytest]\nessconv_convention = default\n")
    result = pytester.runpytest("plans", "-rA", "--essconv-lang", "fr")
    result.assert_outcomes(passed=1, failed=1)
    result.stdout.fnmatch_lines(["*plan-2015.tsv*erreur?plan-year-outside-term?*2015*2009–2013*"])
