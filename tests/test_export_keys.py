"""A report's keys in its exports, read back: a SIRET or a code keeps its leading zeros (text,
never a number, in CSV and xlsx alike), and a missing key ("(vide)", "(blank)" in English) is
told apart from a label that is an empty text (an empty cell)."""
from __future__ import annotations

import csv
import io
from decimal import Decimal

import pytest

from essconv import Ledger

SIRETS = ["01234567890123", "00234567890123", None, ""]
CODES = ["01", "007", "1", "02"]


def report():
    ledger = Ledger.from_columns({"siret": SIRETS, "code": CODES,
                                  "m": [Decimal(1), Decimal(2), Decimal(4), Decimal(8)]}, amount="m")
    return ledger.group_by("siret", "code").sum()


def keys_of(rows):
    """(siret, code) -> amount cell, the heading line left out."""
    return {(r[0], r[1]): r[2] for r in rows[1:]}


@pytest.mark.parametrize("lang, delimiter, blank, amounts",
                         [("fr", ";", "(vide)", ["1,00", "2,00", "4,00", "8,00"]),
                          ("en", ",", "(blank)", ["1.00", "2.00", "4.00", "8.00"])])
def test_csv_keys_keep_their_zeros_and_a_missing_key_is_not_an_empty_label(lang, delimiter,
                                                                            blank, amounts, tmp_path):
    path = tmp_path / "r.csv"
    report().to_csv(path, lang=lang)
    with open(path, encoding="utf-8-sig", newline="") as fh:
        rows = list(csv.reader(fh, delimiter=delimiter))
    assert keys_of(rows) == {("01234567890123", "01"): amounts[0],
                             ("00234567890123", "007"): amounts[1],
                             (blank, "1"): amounts[2],      # the missing SIRET says so
                             ("", "02"): amounts[3]}        # the empty label stays empty


def test_a_file_s_blank_key_cell_reads_back_as_missing_in_the_csv(tmp_path):
    source = tmp_path / "grants.csv"
    source.write_text("siret;code;montant\n01234567890123;01;10\n;02;5\n", encoding="utf-8")
    agg = Ledger.read_csv(source, amount="montant").group_by("siret", "code").sum()
    rows = list(csv.reader(io.StringIO(agg.to_csv()), delimiter=";"))
    assert [r[:2] for r in rows[1:]] == [["01234567890123", "01"], ["(vide)", "02"]]


@pytest.mark.parametrize("lang, blank", [("fr", "(vide)"), ("en", "(blank)")])
def test_xlsx_keys_are_text_cells_in_the_text_format(lang, blank):
    openpyxl = pytest.importorskip("openpyxl")
    target = io.BytesIO()
    report().with_total().to_xlsx(target, lang=lang)
    ws = openpyxl.load_workbook(io.BytesIO(target.getvalue())).active
    cells = {(r, c): ws.cell(row=r, column=c) for r in range(2, 6) for c in (1, 2)}
    got = {(cells[r, 1].value, cells[r, 2].value) for r in range(2, 6)}
    assert got == {("01234567890123", "01"), ("00234567890123", "007"), (blank, "1"),
                   (None, "02")}   # the empty label: an empty cell, not the missing key's words
    for (r, c), cell in cells.items():
        if cell.value is not None:
            assert cell.data_type == "s" and cell.number_format == "@", (r, c, cell.value)


def test_the_cli_table_says_a_missing_key_in_its_language(tmp_path, capsys):
    from essconv.cli import main
    source = tmp_path / "grants.csv"
    source.write_text("siret;montant\n01234567890123;10\n;5\n", encoding="utf-8")
    for lang, blank in (("fr", "(vide)"), ("en", "(blank)")):
        assert main(["aggregate", str(source), "--amount", "montant", "--by", "siret",
                     "--lang", lang]) == 0
        table = capsys.readouterr().out.splitlines()
        assert any(line.split()[:1] == [blank] for line in table), table
        assert any(line.split()[:1] == ["01234567890123"] for line in table), table
