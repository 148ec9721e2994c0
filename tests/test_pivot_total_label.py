"""A ledger pivot whose rows or columns hold a label "Total" (a nature, a beneficiary): its
margins must not read as that label.

It printed two "Total" columns and exported the header ``Total;Total``: a reader summing the
columns but the "Total" one left out the nature too.  The margins now say what they sum,
"Total (2 colonnes)", "Total (3 lignes)", as a report's others and total lines do beside a
group named "Autres" or "Total".  Oracles: the sums of the records, in Decimal.
"""
import csv
import io
from decimal import Decimal

import pytest

from essconv import Ledger
from essconv.display import plan_html
from essconv.export import plan_delimited

RECORDS = [("CDC", "Total", "10,00"), ("CDC", "Fonctionnement", "5,50"),
           ("Etat", "Total", "1,25"), ("Total", "Fonctionnement", "2,00"),
           ("Etat", "Fonctionnement", "3,00")]


def amount(text: str) -> Decimal:
    return Decimal(text.replace(",", "."))


def sums(by: int) -> dict[str, Decimal]:
    out: dict[str, Decimal] = {}
    for record in RECORDS:
        out[record[by]] = out.get(record[by], Decimal(0)) + amount(record[2])
    return out


GRAND = sum((amount(r[2]) for r in RECORDS), Decimal(0))


@pytest.fixture
def pivot():
    text = "financeur;nature;montant\n" + "".join(";".join(r) + "\n" for r in RECORDS)
    return Ledger.read_csv(text.encode(), amount="montant").pivot("financeur", "nature")


def number(text: str) -> Decimal:
    return Decimal(text.replace("\u202f", "").replace(" ", "").replace(",", "."))


def test_the_csv_export_s_header_and_total_row_say_what_they_sum(pivot):
    rows = list(csv.reader(io.StringIO(plan_delimited(pivot)), delimiter=";"))
    assert rows[0] == ["en €", "Total", "Fonctionnement", "Total (2 colonnes)"]
    assert rows[0].count("Total") == 1          # the nature, once
    assert [r[0] for r in rows[1:]] == ["CDC", "Etat", "Total", "Total (3 lignes)"]
    by_column = sums(1)
    assert [number(c) for c in rows[-1][1:]] == [by_column["Total"],
                                                 by_column["Fonctionnement"], GRAND]
    by_row = sums(0)
    assert {r[0]: number(r[-1]) for r in rows[1:-1]} == by_row


@pytest.mark.parametrize("lang, columns, lines", [("fr", "Total (2 colonnes)",
                                                   "Total (3 lignes)"),
                                                  ("en", "Total (2 columns)", "Total (3 lines)")])
def test_the_text_html_and_margins_views_say_it_in_their_language(pivot, lang, columns, lines):
    from essconv.display import plan_text
    text = plan_text(pivot, lang=lang)
    head = next(l for l in text.splitlines() if columns in l)
    assert head.split()[-len(columns.split()):] == columns.split()
    assert any(l.startswith(lines) for l in text.splitlines())
    html = plan_html(pivot, lang=lang)
    assert f"<th>{columns}</th>" in html and f"<td>{lines}</td>" in html
    table = pivot.pivot().to_rows(lang)
    assert table[0][-1] == columns and table[-1][0] == lines
    assert table[0].count("Total") == 1


def test_the_workbook_says_it_too(pivot, tmp_path):
    openpyxl = pytest.importorskip("openpyxl")
    from essconv.xlsx import write_plan_xlsx
    path = tmp_path / "pivot.xlsx"
    write_plan_xlsx(pivot, path, lang="en")
    ws = openpyxl.load_workbook(path).active
    rows = [list(r) for r in ws.iter_rows(values_only=True)]
    assert rows[0][-1] == "Total (2 columns)" and rows[-1][0] == "Total (3 lines)"
    assert rows[0].count("Total") == 1


def test_a_pivot_without_such_a_label_keeps_its_plain_total():
    text = "financeur;nature;montant\nCDC;Fonct;1,00\nEtat;Invest;2,00\n"
    pivot = Ledger.read_csv(text.encode(), amount="montant").pivot("financeur", "nature")
    rows = list(csv.reader(io.StringIO(plan_delimited(pivot)), delimiter=";"))
    assert rows[0][-1] == "Total" and rows[-1][0] == "Total"
    assert pivot.pivot().to_rows("en")[0][-1] == "Total"
