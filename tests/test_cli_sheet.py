"""--sheet: the command line's way to choose an .xlsx plan's sheet, which a workbook opening
on a note tells the analyst to give (the Python reader's sheet=, which the CLI lacked)."""
from __future__ import annotations

from pathlib import Path

import pytest

from essconv.cli import main

openpyxl = pytest.importorskip("openpyxl")

PLAN_ROWS = {"Plan 2021": [["en k€", "CDC", "CR", "Total"], ["DLA", 10, 5, 15],
                           ["Total", 10, 5, 15]],
             "Brouillon": [["en k€", "CDC", "CR", "Total"], ["Amorçage", 7, 1, 8],
                           ["Total", 7, 1, 8]]}


def _workbook(tmp_path: Path) -> Path:
    """A workbook opening on a note, its plans on two other sheets."""
    wb = openpyxl.Workbook()
    wb.active.title = "Notes"
    wb.active.append(["Ce classeur contient le plan 2021"])
    for name, rows in PLAN_ROWS.items():
        ws = wb.create_sheet(name)
        for row in rows:
            ws.append(row)
    wb.active = 0
    path = tmp_path / "notes-2021.xlsx"
    wb.save(path)
    return path


def _refused(argv) -> None:
    """Usage refusals exit 2 through SystemExit, as argparse's own."""
    with pytest.raises(SystemExit) as info:
        main(argv)
    assert info.value.code == 2


def _text_plan(tmp_path: Path) -> Path:
    path = tmp_path / "plan-2021.tsv"
    path.write_text("en k€\tCDC\tTotal\nDLA\t1\t1\n", encoding="utf-8")
    return path


@pytest.mark.parametrize("lang", ["fr", "en"])
def test_the_wrong_sheet_s_refusal_names_the_cli_option(tmp_path, capsys, lang):
    path = _workbook(tmp_path)
    assert main(["convert", str(path), "--to", "json", "--lang", lang]) == 2
    err = capsys.readouterr().err
    assert "--sheet 'Plan 2021'" in err and "read_plan(" not in err and "sheet=" not in err


@pytest.mark.parametrize("sheet", ["Plan 2021", "Brouillon"])
def test_sheet_reads_that_sheet_in_every_plan_command(tmp_path, capsys, sheet):
    path = _workbook(tmp_path)
    rows = PLAN_ROWS[sheet]
    assert main(["convert", str(path), "--to", "tsv", "--sheet", sheet]) == 0
    out = capsys.readouterr().out
    assert out.splitlines()[1].split("\t")[0] == rows[1][0]
    assert main(["validate", str(path), "--sheet", sheet]) == 0
    assert ": ok" in capsys.readouterr().out
    assert main(["aggregate", str(path), "--by", "funder", "--sheet", sheet, "--lang", "en"]) == 0
    out = capsys.readouterr().out
    assert "CDC" in out and str(rows[1][1]) in out
    # a text plan beside the workbook is read as ever
    assert main(["validate", str(path), str(_text_plan(tmp_path)), "--sheet", sheet]) == 0


@pytest.mark.parametrize("argv", [
    ["validate", "{text}", "--sheet", "Plan 2021"],
    ["convert", "{text}", "--to", "json", "--sheet", "Plan 2021"],
    ["aggregate", "{text}", "--by", "funder", "--sheet", "Plan 2021"],
    ["report", "--plan", "{text}", "--sheet", "Plan 2021"],
])
@pytest.mark.parametrize("lang, said", [("fr", "aucun plan .xlsx"), ("en", "no .xlsx plan")])
def test_sheet_without_an_xlsx_plan_is_refused_not_ignored(tmp_path, capsys, argv, lang, said):
    text = str(_text_plan(tmp_path))
    _refused([a.format(text=text) for a in argv] + ["--lang", lang])
    err = capsys.readouterr().err
    assert "--sheet" in err and said in err


def test_sheet_with_a_ledger_is_refused(tmp_path, capsys):
    path = tmp_path / "grants.csv"
    path.write_text("financeur;montant\nCDC;10\n", encoding="utf-8")
    _refused(["aggregate", str(path), "--by", "financeur", "--amount", "montant",
              "--sheet", "Plan 2021"])
    assert "aucun plan .xlsx" in capsys.readouterr().err


def test_report_sheet_goes_with_plan(capsys):
    _refused(["report", "--sheet", "Plan 2021", "--lang", "en"])
    assert "--sheet goes with --plan FILE" in capsys.readouterr().err


@pytest.mark.parametrize("command", ["validate", "convert", "aggregate", "report"])
def test_help_documents_sheet(command, capsys):
    with pytest.raises(SystemExit):
        main([command, "--help"])
    assert "--sheet NAME" in capsys.readouterr().out
