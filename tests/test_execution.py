"""Planned versus paid accounts for every grant record: matched, dated outside the year (with
the years), or unmapped (who and how much); a warning says why when nothing matched."""
from __future__ import annotations

import datetime as dt
import warnings
from decimal import Decimal

import pytest

import essconv
from essconv import Ledger
from essconv.cli import main
from essconv.scdl import read_scdl
from conftest import SCDL

LOT = SCDL / "lot-2017-subventions.csv"


def grants(rows):
    """A ledger of (funder, amount, date) records."""
    return Ledger.from_columns({"nomAttribuant": [r[0] for r in rows],
                                "montant": [Decimal(r[1]) for r in rows],
                                "dateConvention": [r[2] for r in rows]}, amount="montant")


def test_every_record_is_matched_outside_the_year_or_unmapped():
    conv = essconv.default()
    ledger = grants([("CDC", "1000.50", dt.date(2009, 3, 1)),
                     ("Fondation X", "250", dt.date(2009, 5, 1)),
                     ("Fondation X", "50", dt.date(2009, 6, 1)),
                     ("CDC", "700", dt.date(2017, 1, 2)),
                     ("CR-NPDC", "30", dt.date(2012, 1, 2))])
    with warnings.catch_warnings():
        warnings.simplefilter("error", essconv.NothingMatchedWarning)   # something matched
        ex = conv.execution(2009, ledger)
    a = ex.accounting
    assert (a.records, a.matched, a.outside_year, a.unmapped) == (5, 1, 2, 2)
    assert (a.matched_amount, a.outside_amount, a.unmapped_amount) == (
        Decimal("1000.50"), Decimal(730), Decimal(300))
    assert a.years == (2012, 2017) and a.undated == 0
    # the account adds up to the ledger, record by record and cent by cent
    assert a.matched + a.outside_year + a.unmapped == len(ledger)
    assert a.matched_amount + a.outside_amount + a.unmapped_amount == ledger.total()
    assert ex.total_paid == Decimal("1000.50") and ex.warning is None
    text = str(ex)
    assert "matched: 1 (1 000,50 €)" in text and "outside 2009: 2 (730 €), dated 2012, 2017" in text
    assert "unmapped: 2 (300 €)" in text and "'Fondation X': 2 record(s), 300 €" in text


def test_a_real_file_of_another_year_is_accounted_for_and_said():
    conv = essconv.default()
    ledger = read_scdl(LOT)
    with pytest.warns(essconv.NothingMatchedWarning,
                      match=r"no record of the 13 matched the plan of 2009: 13 are dated outside 2009 \(dated 2017\)"):
        ex = conv.execution(2009, ledger)
    a = ex.accounting
    assert (a.records, a.matched, a.outside_year, a.years) == (13, 0, 13, (2017,))
    assert a.outside_amount == ledger.total()


def test_unmapped_funders_are_named_when_nothing_matched():
    conv = essconv.default()
    ledger = grants([("Fondation X", "250", dt.date(2009, 5, 1)), ("Mairie Y", "5", None)])
    with pytest.warns(essconv.NothingMatchedWarning) as caught:
        ex = conv.execution(2009, ledger)
    message = str(caught[0].message)
    assert "1 have a funder that maps to no party" in message and "'Fondation X'" in message
    assert "funders=" in message and "1 have no date" in message
    assert (ex.accounting.unmapped, ex.accounting.undated, ex.accounting.outside_year) == (1, 1, 1)


def test_the_dashboard_and_the_cli_show_the_account(tmp_path, capsys):
    out = tmp_path / "tdb.html"
    assert main(["report", "--html", str(out), "--grants", str(LOT)]) == 0
    html = out.read_text(encoding="utf-8")
    # French, its typography included: 878 205 € with narrow no-break spaces
    amount = "878\u202f205\u00a0€"
    assert f"Enregistrements\u00a0: 13 ({amount})" in html and "rapprochés du plan\u00a0: 0" in html
    assert f"hors 2009\u00a0: 13 ({amount}), datés 2017" in html
    assert "Aucun enregistrement rapproché du plan 2009" in html
    assert "dated outside 2009" in capsys.readouterr().err
    assert main(["report", "--grants", str(LOT), "--lang", "en"]) == 0
    text = capsys.readouterr().out
    assert "Records: 13 (878,205\u00a0€)" in text and "outside 2009: 13 (878,205\u00a0€), dated 2017" in text
    assert main(["report", "--grants", str(LOT)]) == 0
    assert f"hors 2009\u00a0: 13 ({amount}), datés 2017" in capsys.readouterr().out


def test_the_json_report_holds_the_account(capsys):
    # the text of the executions used to follow the JSON document, which no parser then read
    import json
    assert main(["report", "--format", "json", "--grants", str(LOT)]) == 0
    data = json.loads(capsys.readouterr().out)
    [ex] = data["executions"]
    assert ex["accounting"]["records"] == 13 and ex["accounting"]["outside_year"] == 13
    assert ex["accounting"]["years"] == [2017] and ex["accounting"]["amount"] == "878205"
    assert "dated outside 2009" in ex["warning"]
