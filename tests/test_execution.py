"""Planned versus paid accounts for every grant record: matched, dated outside the year (with
the years), or unmapped (who and how much); a warning says why when nothing matched."""
from __future__ import annotations

import datetime as dt
from html.parser import HTMLParser
import io
import re
import warnings
from decimal import Decimal

import pytest

import essconv
from essconv import Ledger
from essconv.cli import main
from essconv.messages import language
from essconv.scdl import read_scdl
from conftest import SCDL, UNDER_ASAN, not_under_asan

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
    with warnings.catch_warnings(), pytest.warns(essconv.NoLineColumnWarning):
        warnings.simplefilter("error", essconv.NothingMatchedWarning)   # something matched
        ex = conv.execution(2009, ledger)   # no dispositifAide: warned, and said below
    a = ex.accounting
    assert (a.records, a.matched, a.outside_year, a.unmapped) == (5, 1, 2, 2)
    assert (a.matched_amount, a.outside_amount, a.unmapped_amount) == (
        Decimal("1000.50"), Decimal(730), Decimal(300))
    assert a.years == (2012, 2017) and a.undated == 0
    # the account adds up to the ledger, record by record and cent by cent
    assert a.matched + a.outside_year + a.unmapped == len(ledger)
    assert a.matched_amount + a.outside_amount + a.unmapped_amount == ledger.total()
    assert ex.total_paid == Decimal("1000.50") and ex.warning is None
    # str() is French, as the committee reads it; text("en") the same account in English
    # (str printed English words with French numbers: "matched: 1 (1 000,50 €)")
    nbsp, nnbsp = "\u00a0", "\u202f"
    text = ex.text("en").replace(nbsp, " ")
    # no dispositifAide: the records are matched to a party, not to the plan's lines
    assert "matched to a party, on no line (no line column): 1 (1,000.50 €)" in text
    # one amount with cents: every amount of the account with its two decimals
    assert "outside 2009: 2 (730.00 €), dated 2012, 2017" in text
    assert "unmapped to a party: 2 (300.00 €)" in text
    assert "'Fondation X': 2 records, 300.00 €" in text
    assert text.startswith("Execution 2009 (€): planned / paid / rate\nNo column of the ledger "
                           "places the payments on the plan's lines (no column 'dispositifAide')")
    assert "\nby party:\n" in text
    assert "1,240,000       1,000.50     0.1%" in text
    assert not any(c in text for c in "éàû«") and "1 000" not in text and ",50" not in text
    french = str(ex).replace(nbsp, " ").replace(nnbsp, " ")
    assert french == ex.text("fr").replace(nbsp, " ").replace(nnbsp, " ") == ex.text().replace(
        nbsp, " ").replace(nnbsp, " ")
    assert french.startswith("Exécution 2009 (€) : prévu / versé / taux\nAucune colonne du "
                             "registre ne place les versements sur les lignes du plan")
    assert "\npar partie :\n" in french
    assert "rapprochés d'une partie, sans ligne (aucune colonne de ligne) : 1 (1 000,50 €)" in french
    assert "« Fondation X » : 2" in french
    assert "1 240 000       1 000,50    0,1 %" in french
    assert "matched" not in french and "record(s)" not in french
    assert ex.accounting.lines(2009)[1] == ("  matched to a party, on no line (no line column): "
                                            "1 (1,000.50 €)")


def test_a_real_file_of_another_year_is_accounted_for_and_said():
    conv = essconv.default()
    ledger = read_scdl(LOT)
    with pytest.warns(essconv.NothingMatchedWarning,
                      match=r"no record of the 13 matched the plan of 2009: 13 are dated outside 2009 \(dated 2017\)"):
        ex = conv.execution(2009, ledger, line=None)
    a = ex.accounting
    assert (a.records, a.matched, a.outside_year, a.years) == (13, 0, 13, (2017,))
    assert a.outside_amount == ledger.total()


def test_unmapped_funders_are_named_when_nothing_matched():
    conv = essconv.default()
    ledger = grants([("Fondation X", "250", dt.date(2009, 5, 1)), ("Mairie Y", "5", None)])
    with pytest.warns(essconv.NothingMatchedWarning) as caught:
        ex = conv.execution(2009, ledger, line=None)
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
    # the file has no dispositifAide: matched to a party, never "to the plan"
    assert f"Enregistrements\u00a0: 13 ({amount})" in html
    import html as markup
    assert "rapprochés d'une partie, sans ligne (aucune colonne de ligne)\u00a0: 0" in \
        markup.unescape(html)
    assert f"hors 2009\u00a0: 13 ({amount}), datés 2017" in html
    assert "Aucun enregistrement rapproché du plan 2009" in html
    assert "13 sont datés hors 2009" in capsys.readouterr().err   # the report's language
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
    assert "sont datés hors 2009" in ex["warning"]     # the report's language: French by default
    assert main(["report", "--format", "json", "--grants", str(LOT), "--lang", "en"]) == 0
    [ex] = json.loads(capsys.readouterr().out)["executions"]
    assert "are dated outside 2009" in ex["warning"]


def _csv_ledger(text, dates=("dateConvention",)):
    import io
    return Ledger.read_csv(io.BytesIO(text.encode()), amount="montant", dates=list(dates))


def test_a_state_service_is_paid_under_its_own_plan_column():
    """Annex 1 has DRTEFP and DRASS columns: their payments are theirs in the funder view (not
    an "ETAT" column the plan does not have); only the party view rolls them up to the State."""
    conv = essconv.default()
    ex = conv.execution(2009, _csv_ledger(
        "nomAttribuant;dispositifAide;dateConvention;montant\n"
        "DRTEFP;DLA;2009-05-01;445 000,00\nDRASS;Observatoire CRESS;2009-05-01;18 000,00\n"))
    assert ex.paid["funder"] == {"DRTEFP": Decimal(445000), "DRASS": Decimal(18000)}
    assert ex.rate("funder", "DRTEFP") == Decimal("69.2")
    assert ex.paid["party"] == {"ETAT": Decimal(463000)}


def test_a_date_column_read_as_text_is_refused_not_ignored():
    conv = essconv.default()
    ledger = _csv_ledger("nomAttribuant;dispositifAide;dateConvention;montant\n"
                         "CDC;DLA;2009-03-01;274 000,00\nCDC;DLA;2010-03-01;999 000,00\n", dates=())
    assert ledger.kinds["dateConvention"] != "date"
    with pytest.raises(essconv.Error, match="'dateConvention'.*not dates"):
        conv.execution(2009, ledger)
    assert conv.execution(2009, ledger, date=None).paid["funder"]["CDC"] == Decimal(1273000)


def test_a_partys_record_on_no_plan_line_is_said_not_matched():
    from essconv.messages import language
    from essconv.report import execution_lines
    conv = essconv.default()
    ex = conv.execution(2009, _csv_ledger(
        "nomAttribuant;dispositifAide;dateConvention;montant\n"
        "CDC;DLA;2009-03-01;274 000,00\nCDC;Fonds inconnu;2009-03-01;500 000,00\n"))
    a = ex.accounting
    assert (a.matched, a.matched_amount, a.no_line, a.no_line_amount) == (
        1, Decimal(274000), 1, Decimal(500000))
    assert a.matched + a.no_line + a.outside_year + a.unmapped == a.records
    plain = lambda lines: "\n".join(lines).replace("\xa0", " ").replace("\u202f", " ")  # noqa: E731
    fr = plain(execution_lines(ex, language("fr")))
    en = plain(execution_lines(ex, language("en")))
    assert "sur aucune ligne du plan : 1 (500 000 €)" in fr and "Fonds inconnu" in fr
    assert "on no line of the plan: 1 (500,000 €)" in en and "Fonds inconnu" in en
    assert ex.to_dict()["accounting"]["no_line_amount"] == "500000"


def test_funders_named_as_the_convention_prints_them():
    conv = essconv.default()
    assert conv.party_of("Caisse des Dépôts").code == "CDC"
    assert conv.party_of("caisse des depots").code == "CDC"
    assert conv.party_of("Conseil Général du Nord").code == "CG-59"
    assert conv.party_of("CONSEIL GENERAL DU NORD").code == "CG-59"
    assert conv.party_of("CG-67") is None and conv.party_of("RÉGIÖN") is None
    ex = conv.execution(2009, _csv_ledger(
        "nomAttribuant;dispositifAide;dateConvention;montant\n"
        "Caisse des Dépôts;DLA;2009-03-01;274 000,00\n"
        "Conseil Général du Nord;DLA;2009-03-01;70 000,00\n"
        "CG-67;DLA;2009-03-01;50 000,00\n"))
    assert ex.paid["funder"] == {"CDC": Decimal(274000), "CG-59": Decimal(70000)}
    (u,) = ex.unmapped
    assert u.funder == "CG-67" and u.plan_column and u.probably == "CG-62"
    assert "column of the 2009 plan that no party of the convention bears" in u.why


def test_the_dashboards_account_keeps_every_line_when_records_are_on_no_line():
    # with a party's records on no line of the plan, the dashboard's account took the first
    # of their details for a line and dropped "hors 2009" and "non rattachés": 1 000,50 + 17
    # of 1 967,50 €, the rest unsaid.  Each part is checked against a Decimal twin.
    import re
    from essconv.dashboard import accounting_html
    conv = essconv.default()
    rows = [("CDC", "1000.50", dt.date(2009, 3, 1), "DLA"),
            ("CR-NPDC", "10", dt.date(2009, 3, 1), "Autre chose"),
            ("CDC", "7", dt.date(2009, 3, 1), None),
            ("CDC", "700", dt.date(2017, 1, 2), "DLA"),
            ("Fondation X", "250", dt.date(2009, 5, 1), "DLA")]
    ledger = Ledger.from_columns({"nomAttribuant": [r[0] for r in rows],
                                  "montant": [Decimal(r[1]) for r in rows],
                                  "dateConvention": [r[2] for r in rows],
                                  "dispositifAide": [r[3] for r in rows]}, amount="montant")
    said = re.sub(r"<[^>]+>", "", accounting_html(conv.execution(2009, ledger))).replace("\u00a0", " ")
    said = said.replace("\u202f", " ").replace("&#x27;", "'")
    parts = {"rapprochés du plan": "1 000,50", "sur aucune ligne du plan": "17,00",
             "hors 2009": "700,00", "non rattachés à une partie": "250,00"}   # as 1 000,50
    for words, amount in parts.items():
        assert re.search(re.escape(words) + r" : \d+ \(" + re.escape(amount) + " €\\)", said), words
    twin = sum((Decimal(r[1]) for r in rows), Decimal(0))
    assert f"Enregistrements : 5 (1 967,50 €)" in said and twin == Decimal("1967.50")
    assert "Autre chose" not in said            # a detail, not a line of the account


def _oracle_rate(planned, paid):
    """The obvious rate: paid / planned in %, to 0.1 half-even, except that 100.0 says
    exactly-all-paid (a slow Decimal twin of what the views must show)."""
    from decimal import ROUND_HALF_EVEN
    if planned == 0:
        return None
    exact = Decimal(paid) * 100 / Decimal(planned)
    r = exact.quantize(Decimal("0.1"), rounding=ROUND_HALF_EVEN)
    if r == 100 and exact != 100:
        r = Decimal("99.9") if exact < 100 else Decimal("100.1")
    if r == 0 and exact != 0:
        r = Decimal("0.1") if exact > 0 else Decimal("-0.1")
    return r


def _cdc_rate_reads(paid: str, shown: str) -> None:
    """The CDC's 2009 rate when `paid` of its 1 240 000 € was paid, in the API (against the
    oracle) and on its line of the French and English reports: `shown`, to one decimal."""
    from essconv.messages import language
    from essconv.report import execution_lines
    conv = essconv.default()
    ex = conv.execution(2009, _csv_ledger("nomAttribuant;dispositifAide;dateConvention;montant\n"
                                          f"CDC;DLA;2009-03-01;{paid}\n"))
    amount = Decimal(paid.replace(",", "."))
    assert ex.rate("funder", "CDC") == ex.rate("party", "CDC") == Decimal(shown)
    assert ex.rate("funder", "CDC") == _oracle_rate(Decimal(1240000), amount)
    assert ex.total_rate == _oracle_rate(Decimal(8115000 - 10000), amount)
    fr = "\n".join(execution_lines(ex, language("fr"))).replace("\u202f", " ").replace("\xa0", " ")
    en = "\n".join(execution_lines(ex, language("en")))
    cdc_fr = next(l for l in fr.splitlines() if l.strip().startswith("CDC"))
    cdc_en = next(l for l in en.splitlines() if l.strip().startswith("CDC"))
    assert cdc_fr.endswith(shown.replace(".", ",") + " %") and cdc_en.endswith(shown + "%")


@pytest.mark.parametrize("paid, shown", [("1239380,00", "99.9"), ("1239999,99", "99.9"),
                                         ("1240000,00", "100.0"), ("1240620,00", "100.1"),
                                         ("1239379,99", "99.9"), ("1238140,00", "99.8")])
def test_a_rate_reads_100_only_when_everything_planned_was_paid(paid, shown):
    # 99.95 % of the CDC's 1 240 000 € (620 € unpaid) rounded half-even to "100,0 %": the
    # committee read the CDC's share as wholly paid, in every view and both languages
    _cdc_rate_reads(paid, shown)


@pytest.mark.parametrize("paid, shown", [("600,00", "0.1"), ("620,00", "0.1"), ("0,01", "0.1"),
                                         ("0,00", "0.0"), ("1240,00", "0.1"), ("1922,00", "0.2"),
                                         ("-600,00", "-0.1")])
def test_a_rate_reads_0_only_when_nothing_was_paid(paid, shown):
    # 600 € paid of the CDC's 1 240 000 € (0,048 %) rounded to "0,0 %": the committee read the
    # CDC's share as not paid at all, as 99,95 % read wholly paid before 100,0 % meant it
    _cdc_rate_reads(paid, shown)


def test_lines_under_no_axis_are_planned_where_they_are_paid():
    # a line printed above the first axis: its payments went to a "—" row planned 0 (no rate)
    # and its plan to the "unplaced" row, beside the records on no line: 3 000 € planned, 7 €
    # paid, "0,2 %" -- each row the rate of money not its own
    conv = essconv.default()
    conv.add_plan(essconv.read_plan("en k€\t\tCDC\tCG-59\tTotal\n\tL0\t1\t2\t3\n"
                                    "Axe 1\tL1\t4\t5\t9\nAxe 2\tDiv\t10\t0\t10\n"
                                    "Total\t\t15\t7\t22\n".encode()), 2010)
    rows = [("CDC", "L0", "1000"), ("CDC", "L1", "2000"), ("CG-59", "Div", "500"),
            ("CDC", "Autre", "7"), ("CG-59", "L0", "-250,50")]
    ex = conv.execution(2010, _csv_ledger("nomAttribuant;dispositifAide;dateConvention;montant\n"
                                          + "".join(f"{f};{l};2010-03-01;{a}\n" for f, l, a in rows)))
    # the oracle: each line's plan (k€ -> €) and payments, gathered by the axis it is under
    axis_of = {"L0": "—", "L1": "Axe 1", "Div": "Axe 2"}
    planned_line = {"L0": Decimal(3000), "L1": Decimal(9000), "Div": Decimal(10000)}
    want: dict = {}
    for line, axis in axis_of.items():
        paid = sum((Decimal(a.replace(",", ".")) for _f, l, a in rows if l == line), Decimal(0))
        p0, q0 = want.get(axis, (Decimal(0), Decimal(0)))
        want[axis] = (p0 + planned_line[line], q0 + paid)
    got = {k: (p, q) for k, p, q, _r in ex.table("axis")}
    assert got == want
    assert {k: r for k, _p, _q, r in ex.table("axis")} == {k: _oracle_rate(*v) for k, v in want.items()}
    # what the axes cannot place is only the record on no line, and the rows add up to the Total
    assert ex.unplaced("axis") == (Decimal(0), Decimal(7), None)
    assert sum(p for _k, p, _q, _r in ex.table("axis")) == ex.total_planned == Decimal(22000)
    assert sum(q for _k, _p, q, _r in ex.table("axis")) + 7 == ex.total_paid


def test_a_plan_column_named_by_an_alias_is_paid_in_that_column():
    # columns printed "Région", "CD-59", "cdc": the funder view showed each 0,0 % executed and
    # the parties' payments on rows of their own, planned 0, with no rate
    conv = essconv.default()
    conv.add_plan(essconv.read_plan("en k€\t\tRégion\tCD-59\tcdc\tDRTEFP\tTotal\n"
                                    "Axe 1\tL1\t4\t5\t1\t2\t12\nTotal\t\t4\t5\t1\t2\t12\n".encode()), 2010)
    ex = conv.execution(2010, _csv_ledger(
        "nomAttribuant;dispositifAide;dateConvention;montant\n"
        "Conseil Régional Nord-Pas de Calais;L1;2010-03-01;1000\nCG-59;L1;2010-03-01;2000\n"
        "CDC;L1;2010-03-01;500\nDRTEFP;L1;2010-03-01;300\n"))
    assert ex.table("funder") == [
        ("Région", Decimal(4000), Decimal(1000), Decimal("25.0")),
        ("CD-59", Decimal(5000), Decimal(2000), Decimal("40.0")),
        ("cdc", Decimal(1000), Decimal(500), Decimal("50.0")),
        ("DRTEFP", Decimal(2000), Decimal(300), Decimal("15.0"))]
    assert ex.paid["party"] == {"CR-NPDC": Decimal(1000), "CG-59": Decimal(2000),
                                "CDC": Decimal(500), "ETAT": Decimal(300)}
    # through funders= too: the code given is the party's, the column the plan's
    ex = conv.execution(2010, _csv_ledger(
        "nomAttribuant;dispositifAide;dateConvention;montant\nConseil du Nord;L1;2010-03-01;2000\n"),
        funders={"Conseil du Nord": "CG-59"})
    assert ex.paid["funder"] == {"CD-59": Decimal(2000)} and ex.rate("funder", "CD-59") == Decimal("40.0")


def test_a_ledger_without_its_date_column_is_refused_not_counted_whole():
    # a 2015 record counted as 2009's because the dates were in "date", not "dateConvention":
    # the plan of every year got every year's money, without a word
    conv = essconv.default()
    text = ("nomAttribuant;dispositifAide;date;montant\n"
            "CDC;DLA;2009-12-31;1 000,00\nCDC;DLA;2015-01-01;2 000,00\n")
    with pytest.raises(essconv.errors.UnknownColumnError,
                       match=r"no date column 'dateConvention'.*2009.*date=None") as info:
        conv.execution(2009, _csv_ledger(text, dates=("date",)))
    # its date columns said in words, each quoted, not as a Python list (a deliberate change:
    # the message read "its date columns ['date']")
    assert "one of its date columns ('date'), " in str(info.value)
    assert "[" not in str(info.value)
    two = text.replace("date;", "date;datePaiement;").replace(";1 000,00", ";2010-01-04;1 000,00") \
              .replace(";2 000,00", ";2015-02-02;2 000,00")
    with pytest.raises(essconv.errors.UnknownColumnError) as info:
        conv.execution(2009, _csv_ledger(two, dates=("date", "datePaiement")))
    assert "one of its date columns ('date', 'datePaiement'), " in str(info.value)
    assert conv.execution(2009, _csv_ledger(text, dates=("date",)), date="date").total_paid == 1000
    with pytest.raises(essconv.errors.UnknownColumnError, match="read the column of the dates"):
        conv.execution(2009, _csv_ledger(text, dates=()))
    # said, then asked for: every record counted whatever its date
    assert conv.execution(2009, _csv_ledger(text, dates=()), date=None).total_paid == 3000


def test_a_state_service_is_paid_in_the_states_column_when_the_plan_has_no_column_of_its_own():
    # a plan with one "État" column: the DRTEFP's grants were a row of their own, planned 0,
    # and the State's column read 0,0 % executed
    conv = essconv.default()
    conv.add_plan(essconv.read_plan("en k€\t\tÉtat\tDRASS\tCDC\tTotal\nAxe 1\tL1\t4\t1\t5\t10\n"
                                    "Total\t\t4\t1\t5\t10\n".encode()), 2010)
    ex = conv.execution(2010, _csv_ledger(
        "nomAttribuant;dispositifAide;dateConvention;montant\nDRTEFP;L1;2010-03-01;1 000,00\n"
        "DRASS;L1;2010-03-01;250,00\nEtat;L1;2010-03-01;3,00\n"))
    assert ex.table("funder") == [("État", Decimal(4000), Decimal(1003), Decimal("25.1")),
                                  ("DRASS", Decimal(1000), Decimal(250), Decimal("25.0")),
                                  ("CDC", Decimal(5000), Decimal(0), Decimal("0.0"))]
    assert ex.paid["party"] == {"ETAT": Decimal(1253)} and ex.unplaced("funder") is None


def test_a_funders_mapping_to_nothing_known_is_refused():
    # funders={"Fonds R": "CR-NPCD"} (for CR-NPDC) put the Region's money on a row planned 0
    # and showed the Region 0,0 % executed
    conv = essconv.default()
    text = "nomAttribuant;dispositifAide;dateConvention;montant\nFonds R;DLA;2009-03-01;1000\n"
    with pytest.raises(essconv.errors.UnknownLabelError,
                       match=r"funders=\{'Fonds R': 'CR-NPCD'\}: 'CR-NPCD' is no party.*CR-NPDC"):
        conv.execution(2009, _csv_ledger(text), funders={"Fonds R": "CR-NPCD"})
    # a party, by code or alias, or a column of a plan (ESE: no party bears it) are known
    for code, key in (("CR-NPDC", "CR-NPDC"), ("Région", "CR-NPDC"), ("ESE", "ESE")):
        ex = conv.execution(2009, _csv_ledger(text), funders={"Fonds R": code})
        assert ex.paid["funder"] == {key: Decimal(1000)}, code


def test_a_line_printed_under_two_axes_is_paid_where_it_is_planned():
    # "Div" under axes 1 and 2: lines={"...": ("Axe 1", "Div")}, as the plan names it, made a
    # line row keyed ('Axe 1', 'Div') paid apart from the row planned "('Axe 1', 'Div')" (its
    # str), each with the rate of half the money; the bare label raised without saying how
    conv = essconv.default()
    conv.add_plan(essconv.read_plan("en k€\t\tCDC\tCG-59\tTotal\nAxe 1\tL1\t4\t5\t9\n\tDiv\t1\t1\t2\n"
                                    "Axe 2\tDiv\t10\t0\t10\nTotal\t\t15\t6\t21\n".encode()), 2010)
    text = ("nomAttribuant;dispositifAide;dateConvention;montant\n"
            "CDC;Divers A;2010-03-01;500\nCDC;Div;2010-03-01;7\n")
    with pytest.raises(essconv.errors.AmbiguityError, match=r"'Div'.*several axes.*lines="):
        conv.execution(2010, _csv_ledger(text))
    ex = conv.execution(2010, _csv_ledger(text),
                        lines={"Divers A": ("Axe 1", "Div"), "Div": ("Axe 2", "Div")})
    assert ex.table("line") == [("L1", Decimal(9000), Decimal(0), Decimal("0.0")),
                                (("Axe 1", "Div"), Decimal(2000), Decimal(500), Decimal("25.0")),
                                (("Axe 2", "Div"), Decimal(10000), Decimal(7), Decimal("0.1"))]
    assert ex.unplaced("line") is None and ex.unplaced("axis") is None
    assert ex.table("axis") == [("Axe 1", Decimal(11000), Decimal(500), Decimal("4.5")),
                                ("Axe 2", Decimal(10000), Decimal(7), Decimal("0.1"))]


def test_funders_naming_a_column_in_another_case_pay_that_column():
    # funders={"Fonds E": "ese"} was accepted but paid on a row "ese" planned 0, beside the
    # ESE column (600 000 € planned) read 0,0 % executed
    conv = essconv.default()
    ex = conv.execution(2009, _csv_ledger("nomAttribuant;dispositifAide;dateConvention;montant\n"
                                          "Fonds E;Soutien aux structures;2009-03-01;150 000,00\n"),
                        funders={"Fonds E": "ese"})
    assert ex.paid["funder"] == {"ESE": Decimal(150000)} and ex.rate("funder", "ESE") == Decimal("25.0")
    assert ex.paid["party"] == {"ESE": Decimal(150000)} and ex.unplaced("party") is None


def test_the_account_names_each_unmapped_funder_once_with_all_it_paid():
    # the unmapped are grouped by (funder, line): the account printed "'Fondation X': 1
    # record(s), 100 €" -- its first line's -- and hid the rest of its 6 records, 450 €, in
    # "… and 2 more", in the text report and the notebook view alike
    import re
    from essconv.messages import language
    from essconv.report import accounting_lines
    conv = essconv.default()
    rows = [("Fondation X", l, a) for l, a in [("DLA", 100), ("Innovation", 90), ("PLDESS", 80),
                                                ("Autre", 70), ("B", 60), ("C", 50)]]
    rows += [("Mairie Y", "DLA", 95), ("Mairie Y", "B", 5)]
    with pytest.warns(essconv.NothingMatchedWarning):
        ex = conv.execution(2009, _csv_ledger(
            "nomAttribuant;dispositifAide;dateConvention;montant\n"
            + "".join(f"{f};{l};2009-03-01;{a}\n" for f, l, a in rows)))
    twin: dict = {}
    for f, _l, a in rows:
        n, s = twin.get(f, (0, Decimal(0)))
        twin[f] = (n + 1, s + a)
    en = "\n".join(accounting_lines(ex, language("en"))).replace("\xa0", " ")
    fr = "\n".join(accounting_lines(ex, language("fr"))).replace("\xa0", " ").replace("\u202f", " ")
    for f, (n, s) in twin.items():
        assert en.count(f"'{f}'") == 1 and f"'{f}': {n} {'record' if n == 1 else 'records'}, {s} €" in en
        assert fr.count(f"« {f} »") == 1 and re.search(f"« {f} » : {n} .*, {s} €", fr), fr
    assert "more" not in en


def test_a_blank_funder_or_line_is_said_blank_not_none():
    # a record with no funder was listed as « None » : 1 enregistrement(s) -- Python's word,
    # in English, read as a funder's name -- in the text, the notebook view and the dashboard
    from essconv.dashboard import render
    from essconv.messages import language
    from essconv.report import accounting_lines
    conv = essconv.default()
    ledger = Ledger.from_columns(
        {"nomAttribuant": [None, "CDC"], "dispositifAide": ["DLA", None],
         "montant": [Decimal(250), Decimal(7)], "dateConvention": [dt.date(2009, 3, 1)] * 2},
        amount="montant")
    with pytest.warns(essconv.NothingMatchedWarning):
        ex = conv.execution(2009, ledger)
    fr = "\n".join(accounting_lines(ex, language("fr"))).replace("\u202f", " ").replace("\xa0", " ")
    en = "\n".join(accounting_lines(ex, language("en")))
    assert "None" not in fr and "None" not in en
    assert "« (vide) »" in fr and "CDC / « (vide) »" in fr and "'(blank)'" in en
    with pytest.warns(essconv.NothingMatchedWarning):
        page = render(conv, executions=[conv.execution(2009, ledger)], lang="fr")
    assert "None" not in page and "(vide) / DLA" in page and "CDC / (vide)" in page


def test_a_funder_column_read_as_ints_is_matched_by_siret():
    # SIRETs read with ints=["idAttribuant"]: the execution raised AttributeError ('int'
    # object has no attribute 'split') instead of matching them
    conv = essconv.default()
    ledger = Ledger.read_csv(io.BytesIO(b"idAttribuant;dispositifAide;dateConvention;montant\n"
                                        b"99999999900011;DLA;2009-03-01;1000\n"),
                             amount="montant", dates=["dateConvention"], ints=["idAttribuant"])
    with pytest.warns(essconv.NothingMatchedWarning):
        ex = conv.execution(2009, ledger, funder="idAttribuant")
    assert [(u.funder, u.amount) for u in ex.unmapped] == [("99999999900011", Decimal(1000))]
    ex = conv.execution(2009, ledger, funder="idAttribuant", funders={"99999999900011": "CDC"})
    assert ex.paid["funder"] == {"CDC": Decimal(1000)}


def test_a_line_spelt_without_its_accents_or_with_other_spaces_is_that_line():
    # "Tetes de reseaux" for "Têtes de réseaux": 410 000 € planned read 0,0 % executed and
    # the grants went to "no axis", though the parties' names are compared so already
    conv = essconv.default()
    ex = conv.execution(2009, _csv_ledger(
        "nomAttribuant;dispositifAide;dateConvention;montant\n"
        "CDC;Tetes de reseaux;2009-03-01;10 000,00\nCDC;têtes  de RÉSEAUX;2009-03-01;5 000,00\n"
        "CDC;Soutien aux\u00a0structures;2009-03-01;1 000,00\n"))
    assert ex.paid["line"] == {"Têtes de réseaux": Decimal(15000), "Soutien aux structures": Decimal(1000)}
    assert ex.rate("line", "Têtes de réseaux") == _oracle_rate(Decimal(410000), Decimal(15000))
    assert ex.accounting.no_line == 0 and ex.unplaced("axis") is None


def test_every_view_adds_up_to_the_total_and_the_account_to_the_ledger():
    # random ledgers of spellings, refunds, blank and foreign funders, lines off the plan and
    # other years: each view's rows and its unplaced row add up to the Total, and the account
    # to the ledger, record by record and cent by cent (a Decimal twin of the records)
    import random
    conv = essconv.default()
    funders = ["CDC", "cdc", "Région", "DRTEFP", "DRASS", "Etat", "ESE", "CG-67", "Fondation X",
               None, "Conseil Général du Nord", "CG-62"]
    lines = ["DLA", "dla", "Innovation", "Autre", None, "Tetes de reseaux", "Observatoire CRESS"]
    rnd = random.Random(2009)
    for _ in range(40):
        rows = [(rnd.choice(funders), rnd.choice(lines), Decimal(rnd.randint(-50000, 500000)) / 100,
                 dt.date(rnd.choice([2008, 2009, 2009, 2010]), rnd.randint(1, 12), rnd.randint(1, 28)))
                for _ in range(rnd.randint(1, 12))]
        ledger = Ledger.from_columns({"nomAttribuant": [r[0] for r in rows],
                                      "dispositifAide": [r[1] for r in rows],
                                      "montant": [r[2] for r in rows],
                                      "dateConvention": [r[3] for r in rows]}, amount="montant")
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", essconv.NothingMatchedWarning)
            ex = conv.execution(2009, ledger)
        a = ex.accounting
        in_year = sum((r[2] for r in rows if r[3].year == 2009), Decimal(0))
        assert a.records == len(rows) and a.amount == sum((r[2] for r in rows), Decimal(0))
        assert a.matched + a.no_line + a.outside_year + a.unmapped == a.records
        assert a.matched_amount + a.no_line_amount + a.outside_amount + a.unmapped_amount == a.amount
        assert a.amount - a.outside_amount == in_year
        assert ex.total_paid == a.matched_amount + a.no_line_amount
        for dim in ("funder", "party", "line", "axis"):
            rest = ex.unplaced(dim) or (Decimal(0), Decimal(0), None)
            assert sum((p for _k, p, _q, _r in ex.table(dim)), rest[0]) == ex.total_planned, dim
            assert sum((q for _k, _p, q, _r in ex.table(dim)), rest[1]) == ex.total_paid, dim
            for k, p, q, r in ex.table(dim):
                assert r == _oracle_rate(p, q), (dim, k)


def test_a_line_column_asked_for_and_absent_is_refused():
    # line="objet" on a ledger whose column is "Objet": every grant on no line, every line
    # and axis 0,0 % executed, without a word
    conv = essconv.default()
    ledger = _csv_ledger("nomAttribuant;Objet;dateConvention;montant\nCDC;DLA;2009-03-01;1000\n")
    with pytest.raises(essconv.errors.UnknownColumnError, match=r"line='objet': no such column.*'Objet'"):
        conv.execution(2009, ledger, line="objet")
    assert conv.execution(2009, ledger, line="Objet").paid["line"] == {"DLA": Decimal(1000)}
    with pytest.warns(essconv.NoLineColumnWarning):   # the SCDL's column, absent: party views
        assert conv.execution(2009, ledger).paid["line"] == {}


# ------------------------------------------------------- a ledger with no column for the lines
def _views(ex, lang):
    """The execution's text, its HTML view and its chart by axis, in ``lang``."""
    from essconv.dashboard import execution_svg
    from essconv.display import execution_html
    return ex.text(lang), execution_html(ex, lang=lang), execution_svg(ex, "axis", lang=lang)


def _axis_rows(text, lang):
    """The rows of the text's table by axis: (label, planned, paid, rate), as printed."""
    lines = text.splitlines()
    start = [line.replace("\u00a0", " ") for line in lines].index(
        "par axe :" if lang == "fr" else "by axis:")
    rows = []
    for line in lines[start + 1:]:
        if not line.startswith("  "):
            break
        rows.append((line[2:42].strip(), line[43:57].strip(), line[58:72].strip(),
                     line[73:].strip()))
    return rows


def test_a_ledger_with_no_line_column_says_rates_by_line_and_axis_are_not_computed():
    """Without dispositifAide every record was "matched" and every axis read 0,0 % executed, as
    if nothing had been paid on it: said plainly now (a warning, the views), the axes' paid and
    rates "not computed"; by funder and party the amounts still hold."""
    conv = essconv.default()
    paid = {"CDC": Decimal("1000.50"), "CR-NPDC": Decimal("30.25")}
    ledger = grants([(f, str(v), dt.date(2009, 3, 1)) for f, v in paid.items()])
    with pytest.warns(essconv.NoLineColumnWarning, match="no column 'dispositifAide'"):
        ex = conv.execution(2009, ledger)
    assert not ex.computed("axis") and not ex.computed("line")
    assert ex.computed("party") and ex.computed("funder")
    # by funder and party: the amounts and rates, exactly
    assert ex.paid["funder"] == paid and ex.total_paid == sum(paid.values(), Decimal(0))
    plan = conv.plan(2009)
    for f, v in paid.items():
        planned = sum((plan.amount_at(i, plan.funder_index(f)) or Decimal(0)
                       for i in range(len(plan.lines))), Decimal(0)) * 1000
        assert ex.planned["funder"][f] == planned
        assert ex.rate("funder", f) == _oracle_rate(planned, v)   # 30,25 € of 4 M€: 0,1 %
    # by axis: planned as printed, paid and rate not computed -- never 0
    assert [(k, q, r) for k, _p, q, r in ex.table("axis")] == [
        (k, None, None) for k in ex.planned["axis"]]
    assert ex.rate("axis", "Axe 1") is None and ex.unplaced("axis") is None
    assert ex.to_dict()["line_column"] is None
    assert ex.accounting.matched == 2 and not ex.accounting.on_lines
    for lang, note, not_computed, matched in (
            ("fr", "Aucune colonne du registre ne place les versements sur les lignes du plan",
             "non calculé", "rapprochés d'une partie, sans ligne"),
            ("en", "No column of the ledger places the payments on the plan's lines",
             "not computed", "matched to a party, on no line")):
        text, html, svg = _views(ex, lang)
        import html as markup
        for view in (text, markup.unescape(html)):
            assert note in view and matched in view
        rows = _axis_rows(text, lang)
        # said once a row, under paid, the rate left blank: "non calculé non calculé" ran the
        # two cells into one phrase past the rate column's width
        assert [r[2:] for r in rows[:-1]] == [(not_computed, "")] * 3
        assert rows[-1][0] == "Total" and rows[-1][3] == language(lang).percent(ex.total_rate)
        assert f"<td class=\"n\">{not_computed}</td>" in html
        assert not_computed in svg
        # no "0,0 %" / "0.0%" for an axis, no row of all the paid money "on no line"
        assert language(lang).percent(Decimal(0)) not in "\n".join(map(str, rows[:-1]))
        assert language(lang).text("exec_unplaced") not in text + html + svg
    # on purpose (line=None): no warning, and the views say so all the same
    with warnings.catch_warnings():
        warnings.simplefilter("error", essconv.NoLineColumnWarning)
        asked = conv.execution(2009, ledger, line=None)
    assert not asked.computed("axis") and "(line=None)" in asked.text()
    # lines= maps a line column's labels: without one it placed nothing, silently
    with pytest.raises(essconv.UnknownColumnError, match="lines= maps the labels"):
        conv.execution(2009, ledger, lines={"DLA": "DLA"})


def test_a_ledger_with_its_line_column_says_nothing_of_it():
    conv = essconv.default()
    ledger = _csv_ledger("nomAttribuant;dispositifAide;dateConvention;montant\n"
                         "CDC;DLA;2009-03-01;1000\n")
    with warnings.catch_warnings():
        warnings.simplefilter("error", essconv.NoLineColumnWarning)
        ex = conv.execution(2009, ledger)
    assert ex.computed("axis") and ex.line_column == "dispositifAide"
    assert "Aucune colonne" not in ex.text() and "rapprochés du plan : 1" in ex.text().replace(
        "\u00a0", " ")


# -------------------------------------------------- one label a concept, and undefined rates
def _plan_with_a_line_under_no_axis(conv):
    conv.add_plan(essconv.read_plan("en k€\t\tCDC\tTotal\n\tL0\t3\t3\nAxe 1\tDiv\t9\t9\n"
                                    "Total\t\t12\t12\n".encode()), 2010)


def test_the_lines_under_no_axis_and_the_records_on_no_line_are_two_rows_named_apart():
    """'hors axe' (the plan's lines printed under no axis) and 'sans axe' (a party's records on
    no line of the plan) stood side by side, two words for what read as one thing."""
    conv = essconv.default()
    _plan_with_a_line_under_no_axis(conv)
    ledger = _csv_ledger("nomAttribuant;dispositifAide;dateConvention;montant\n"
                         "CDC;L0;2010-03-01;1000\nCDC;Div;2010-03-01;250.50\n"
                         "CDC;Autre chose;2010-03-01;7\n")
    ex = conv.execution(2010, ledger)
    for lang, under_no_axis, on_no_line in (("fr", "hors axe", "sur aucune ligne du plan"),
                                            ("en", "under no axis", "on no line of the plan")):
        rows = {r[0]: r for r in _axis_rows(ex.text(lang), lang)}
        t = language(lang)
        # paid holds 250,50 €: its column shows two decimals in every row; planned none
        cents = {"fr": ("1\u202f000,00", "7,00"), "en": ("1,000.00", "7.00")}[lang]
        assert rows[under_no_axis][1:3] == (t.number(Decimal(3000)), cents[0])
        assert rows[on_no_line][1:3] == (t.number(Decimal(0)), cents[1])
        for view in _views(ex, lang):
            assert under_no_axis in view and on_no_line in view
            assert "sans axe" not in view and "no axis" not in view.replace(under_no_axis, "")


def _execution_with_nothing_planned_on_a_paid_row():
    """The 2009 execution of 1000 € paid on DLA and 7 € on no line of the plan (planned 0)."""
    ledger = _csv_ledger("nomAttribuant;dispositifAide;dateConvention;montant\n"
                         "CDC;DLA;2009-03-01;1000\nCDC;Autre chose;2009-03-01;7\n")
    return essconv.default().execution(2009, ledger)


def _execution_on_the_three_axes():
    """The 2009 execution of the embedded plan (axes 'Axe 1' to 'Axe 3'), two lines paid."""
    ledger = _csv_ledger("nomAttribuant;dispositifAide;dateConvention;montant\n"
                         "CDC;DLA;2009-03-01;1000\nCR-NPDC;Têtes de réseaux;2009-03-01;20\n")
    return essconv.default().execution(2009, ledger)


def _english_axis_chart_labels(ex):
    """The y tick labels of ex's English chart by axis (matplotlib, closed afterwards)."""
    matplotlib = pytest.importorskip("matplotlib")
    matplotlib.use("Agg")
    try:
        ax = ex.plot("axis", lang="en")
        return [x.get_text() for x in ax.get_yticklabels()]
    finally:
        matplotlib.pyplot.close("all")


def test_a_rate_with_nothing_planned_is_marked_undefined_never_blank_zero_or_a_hundred():
    """Nothing planned and 7 € paid: the rate was blank -- read as a figure left out."""
    ex = _execution_with_nothing_planned_on_a_paid_row()
    assert ex.unplaced("axis") == (Decimal(0), Decimal(7), None)
    for lang, mark, legend in (("fr", "n.d.", "n.d. : taux non défini, rien n'était prévu"),
                               ("en", "n/a", "n/a: rate undefined, nothing was planned")):
        t = language(lang)
        text = ex.text(lang)
        unplaced = _axis_rows(text, lang)[-2]
        assert unplaced == (t.text("exec_unplaced"), t.number(Decimal(0)), t.number(Decimal(7)),
                            mark)
        assert legend.replace(" :", "\u00a0:") in text or legend in text
        from essconv.display import execution_html
        html = execution_html(ex, lang=lang)
        assert f"<td class=\"n\">{mark}</td></tr>" in html and "<td class=\"n\"></td>" not in html
        assert t.percent(Decimal(100)) not in html


@not_under_asan
def test_the_chart_of_a_rate_with_nothing_planned_says_it_is_undefined():
    labels = _english_axis_chart_labels(_execution_with_nothing_planned_on_a_paid_row())
    assert "on no line of the plan (rate undefined, nothing planned)" in labels


def test_english_views_say_axis_where_essconv_wrote_axe_and_keep_the_plans_own_labels():
    """'Axe 1', 'Axe 2' -- essconv's keys -- stayed French in every English view; a plan's own
    labels (lines, groups) are user data, shown as printed."""
    ex = _execution_on_the_three_axes()
    assert list(ex.planned["axis"]) == ["Axe 1", "Axe 2", "Axe 3"]   # the keys, unchanged
    for lang, word in (("fr", "Axe"), ("en", "Axis")):
        rows = _axis_rows(ex.text(lang), lang)
        assert [r[0] for r in rows[:3]] == [f"{word} {n}" for n in (1, 2, 3)]
        for view in _views(ex, lang):
            assert f"{word} 3" in view
            if lang == "en":
                assert "Axe " not in view
    from essconv.dashboard import execution_svg
    assert "Têtes de réseaux" in execution_svg(ex, "line", lang="en")   # user data, as printed


@not_under_asan
def test_the_english_chart_says_axis_where_essconv_wrote_axe():
    labels = _english_axis_chart_labels(_execution_on_the_three_axes())
    assert [label.split(" (")[0] for label in labels] == ["Axis 1", "Axis 2", "Axis 3"]


@pytest.mark.parametrize("rounding", ["ROUND_HALF_UP", "ROUND_DOWN", "ROUND_UP", "ROUND_CEILING"])
def test_execution_rates_round_half_even_whatever_the_callers_decimal_context(rounding):
    # The rate was paid * 100 / planned quantized in the caller's context: a notebook's
    # ROUND_HALF_UP (set for its own accounts) made a CDC executed at exactly 12.25 % read
    # 12.3, and a ROUND_DOWN 66.67 % read 66.6, where the documented rounding is half-even
    import decimal
    from fractions import Fraction
    conv = essconv.default()
    planned = {f: v * 1000 for f, v in conv.plan(2009).by_funder().items()}   # k€ -> €
    paid = {"CDC": planned["CDC"] * Decimal("0.1225"),               # 12.25 % exactly
            "CG-59": planned["CG-59"] * 2 / 3,                        # 66.666... %
            "CR-NPDC": planned["CR-NPDC"] + Decimal("0.01")}          # just over 100 %
    paid = {f: v.quantize(Decimal("0.01")) for f, v in paid.items()}
    ledger = grants([(f, str(v), dt.date(2009, 6, 1)) for f, v in paid.items()])

    def oracle(part, whole):   # half-even on the exact fraction, by hand
        tenths = Fraction(part) * 1000 / Fraction(whole)
        low = tenths.numerator // tenths.denominator
        rest = tenths - low
        up = rest > Fraction(1, 2) or (rest == Fraction(1, 2) and low % 2 == 1)
        rate = Decimal(low + up) / 10
        return Decimal("100.1") if rate == 100 and part > whole else rate
    with decimal.localcontext() as context, warnings.catch_warnings():
        warnings.simplefilter("ignore", essconv.NoLineColumnWarning)
        context.rounding = getattr(decimal, rounding)
        ex = conv.execution(2009, ledger)
        rates = {f: ex.rate("funder", f) for f in paid}
        total = ex.total_rate
    assert rates == {f: oracle(v, planned[f]) for f, v in paid.items()}
    assert rates["CDC"] == Decimal("12.2") and rates["CG-59"] == Decimal("66.7")
    assert total == oracle(sum(paid.values()), sum(planned.values()))


@pytest.mark.parametrize("prec", [3, 6])
def test_execution_sums_are_exact_whatever_the_callers_decimal_precision(prec):
    # total_paid, the accounting's amounts and the axes' planned sums were Python sums in the
    # caller's context: a precision of 6 made 13 573 064,91 € paid read 1,35731E+7 (and the
    # matched amount another figure), a precision of 3 raised InvalidOperation
    import decimal
    conv = essconv.default()
    rows = [("CDC", "1227385.00", dt.date(2009, 5, 1)), ("CR-NPDC", "12345678.91", dt.date(2009, 5, 1)),
            ("Fondation X", "1234567.89", dt.date(2009, 6, 1)), ("CDC", "7654321.01", dt.date(2010, 1, 1))]
    ledger = grants(rows)
    in_year = [Decimal(v) for f, v, d in rows if d.year == 2009]
    planned = conv.plan(2009).by_funder()
    with decimal.localcontext() as context, warnings.catch_warnings():
        warnings.simplefilter("ignore", essconv.NoLineColumnWarning)
        context.prec = prec
        ex = conv.execution(2009, ledger)
        totals = (ex.total_planned, ex.total_paid, ex.total_unmapped)
        a = ex.accounting
    # the oracle, in a context wide enough for every cent
    with decimal.localcontext(decimal.Context(prec=50)):
        assert totals == (sum(planned.values()) * 1000, in_year[0] + in_year[1], in_year[2])
        assert (a.amount, a.matched_amount, a.outside_amount, a.unmapped_amount) == (
            sum(Decimal(v) for _, v, _ in rows), in_year[0] + in_year[1], Decimal("7654321.01"),
            in_year[2])


def _amount_fields(data):
    """Every amount string of an execution's to_dict(), by its path."""
    a = data["accounting"]
    out = {"planned": data["planned"], "paid": data["paid"]}
    out.update({k: a[k] for k in a if k == "amount" or k.endswith("_amount")})
    out.update({f"unmapped[{i}]": u["amount"] for i, u in enumerate(data["unmapped"])})
    return out


def test_to_dict_writes_every_amount_with_one_number_of_decimals():
    # "paid": "6000.5" beside "planned": "8105000" and "outside_amount": "3.0": a machine
    # reading them as text (a CSV made of them, a diff) saw three kinds of number
    conv = essconv.default()
    rows = [("CDC", "DLA", "2009-03-01", "1000.50"), ("CDC", "Fonds inconnu", "2009-03-01", "5000"),
            ("XYZ", "DLA", "2009-03-01", "7"), ("CDC", "DLA", "2011-03-01", "3")]
    ledger = Ledger.from_columns({"nomAttribuant": [r[0] for r in rows],
                                  "dispositifAide": [r[1] for r in rows],
                                  "dateConvention": [dt.date.fromisoformat(r[2]) for r in rows],
                                  "montant": [Decimal(r[3]) for r in rows]}, amount="montant")
    data = conv.execution(2009, ledger).to_dict()
    amounts = _amount_fields(data)
    # two decimals everywhere, as one amount has cents
    assert all(re.fullmatch(r"-?\d+\.\d\d", v) for v in amounts.values()), amounts
    # each the exact sum of its records, computed here
    in_year = [Decimal(r[3]) for r in rows if r[2].startswith("2009")]
    cdc_2009 = [Decimal(r[3]) for r in rows if r[0] == "CDC" and r[2].startswith("2009")]
    planned = sum(conv.plan(2009).by_funder().values()) * 1000   # the plan is in k€
    assert Decimal(amounts["amount"]) == sum(Decimal(r[3]) for r in rows)
    assert Decimal(amounts["paid"]) == sum(cdc_2009)
    assert Decimal(amounts["unmapped_amount"]) == Decimal(7)
    assert Decimal(amounts["outside_amount"]) == Decimal(3)
    assert Decimal(amounts["planned"]) == planned
    assert sum(in_year) == Decimal(amounts["paid"]) + Decimal(amounts["unmapped_amount"])


def test_to_dict_of_whole_euros_writes_no_decimals():
    conv = essconv.default()
    ledger = grants([("CDC", "274000", dt.date(2009, 3, 1)), ("XYZ", "5", dt.date(2009, 3, 1))])
    amounts = _amount_fields(conv.execution(2009, ledger, line=None).to_dict())
    assert all(re.fullmatch(r"-?\d+", v) for v in amounts.values()), amounts
    assert (amounts["paid"], amounts["unmapped_amount"]) == ("274000", "5")


class _UnmappedList(HTMLParser):
    """The items of the dashboard's list of unmapped records (the list after the paragraph
    saying "groupes d'enregistrements" / "groups of records"), each as its text."""

    def __init__(self, page: str, said: str) -> None:
        super().__init__()
        self.items: list[str] = []
        self._said, self._after, self._in, self._item = said, False, False, None
        self.lists = 0
        self.feed(page)

    def handle_starttag(self, tag, attrs):
        if tag == "ul" and self._after:
            self._in, self._after = True, False
            self.lists += 1
        elif tag == "li" and self._in:
            self._item = []

    def handle_endtag(self, tag):
        if tag == "li" and self._item is not None:
            self.items.append("".join(self._item))
            self._item = None
        elif tag == "ul":
            self._in = False

    def handle_data(self, data):
        if self._said in data:
            self._after = True
        if self._item is not None:
            self._item.append(data)


@pytest.mark.parametrize("lang, said, more", [
    ("fr", "groupes d'enregistrements", "… et {count} autres groupes ({amount})"),
    ("en", "groups of records", "… and {count} more groups ({amount})")])
def test_the_dashboard_lists_the_first_unmapped_groups_and_counts_the_rest(lang, said, more):
    """A grant file of thousands of funders foreign to the convention made the dashboard list
    every one of them (200 000 made a page of 22 MB): it lists the first 100, as they come,
    then counts the others with their sum; the page's size does not grow with them."""
    from essconv.dashboard import render
    conv = essconv.default()
    t = language(lang)

    def page(funders: int) -> tuple[str, list[tuple[str, Decimal]]]:
        records = [(f"Fondation <{i}> & \"Cie\"", Decimal(i * 7 + 1) / 100) for i in range(funders)]
        ledger = grants([(name, str(amount), dt.date(2009, 3, 1)) for name, amount in records])
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            ex = conv.execution(2009, ledger)
        return render(conv, executions=[ex], lang=lang, today=dt.date(2010, 1, 1)), records

    small, _ = page(3)
    listed = _UnmappedList(small, said)
    assert listed.lists == 1 and len(listed.items) == 3             # a short list: all of it
    assert not any("…" in item for item in listed.items)
    html, records = page(2_500)
    listed = _UnmappedList(html, said)
    assert listed.lists == 1 and len(listed.items) == 101
    for item, (name, amount) in zip(listed.items, records[:100]):   # as they come
        assert item.startswith(name + " / "), (item, name)
        assert t.amount(amount, "€") in item
    rest = records[100:]
    twin = sum((amount for _name, amount in rest), Decimal(0))
    assert listed.items[-1] == more.format(count=t.grouped(len(rest)), amount=t.amount(twin, "€"))
    # the page stays the same size whatever the number of funders left out
    bigger, _ = page(25_000)
    assert len(bigger) < 1.01 * len(html)
    assert len(_UnmappedList(bigger, said).items) == 101


@pytest.mark.parametrize("lang, group, said", [
    ("fr", "\u202f", ["Enregistrements : {records} (", "hors 2009 : {outside} (",
                      "non rattachés à une partie : {foreign} (", "… et {more} autres",
                      "{groups} groupes d'enregistrements ne correspondent"]),
    ("en", ",", ["Records: {records} (", "outside 2009: {outside} (", "unmapped to a party: {foreign} (",
                 "… and {more} more", "{groups} groups of records map to no funder"])])
def test_the_account_groups_its_counts_as_the_language_writes_figures(lang, group, said):
    """The account of a year's records printed its counts digit by digit ("Enregistrements :
    3701", "… et 1045 autres", "1050 groupes d'enregistrements") in the text report, the
    notebook's view and the dashboard, where every figure of the page is grouped."""
    from essconv.dashboard import render
    from essconv.display import execution_html
    conv = essconv.default()
    funders = 1_050
    rows = [("CDC", "1.25", dt.date(2017, 1, 2))] * 1_200                      # outside 2009
    rows += [(f"Fondation {i % funders}", "2", dt.date(2009, 5, 1)) for i in range(2_500)]
    rows += [("CDC", "10", dt.date(2009, 3, 1))]                                # matched
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        ex = conv.execution(2009, grants(rows))

    def grouped(n: int) -> str:   # by hand: a separator every three digits from the right
        digits = str(n)
        head = len(digits) % 3 or 3
        return group.join([digits[:head]] + [digits[k:k + 3] for k in range(head, len(digits), 3)])

    counts = {"records": len(rows), "outside": 1_200, "foreign": 2_500,
              "more": funders - 5, "groups": funders}
    import html as markup
    views = {"text": ex.text(lang),
             "notebook": markup.unescape(re.sub(r"<[^>]+>", "", execution_html(ex, lang=lang))),
             "dashboard": markup.unescape(re.sub(r"<[^>]+>", "", render(
                 conv, executions=[ex], lang=lang, today=dt.date(2010, 1, 1))))}
    for view, text in views.items():
        text = text.replace("\u00a0", " ") if lang == "fr" else text
        for phrase in said:
            if view == "dashboard" and phrase.startswith("…"):
                continue   # the dashboard lists the groups themselves
            assert phrase.format(**{k: grouped(v) for k, v in counts.items()}) in text, (view, phrase)
            assert phrase.format(**{k: str(v) for k, v in counts.items()}) not in text, (view, phrase)


def test_an_executions_repr_is_a_line_whatever_the_funders_that_map_to_nothing():
    """The repr of an execution was its dataclass's: every planned and paid amount and every
    group mapping to no party, 35 MB for 200 000 unknown funders (0.9 s to print).  It says the
    year, the records, planned, paid and the rate, and counts the groups mapping to nothing."""
    conv = essconv.default()
    known = [("CDC", "1000.50", dt.date(2009, 3, 1)), ("CR-NPDC", "30", dt.date(2009, 4, 1))]
    n = 50_000
    unknown = [(f"Fondation {i}", "2", dt.date(2009, 5, 1)) for i in range(n)]
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        few = conv.execution(2009, grants(known + unknown[:1]))
        many = conv.execution(2009, grants(known + unknown))
    planned = sum(conv.plan(2009).by_party(conv).values()) * 1000   # k€ in euros
    paid = Decimal("1000.50") + Decimal("30")
    assert many.total_planned == planned and many.total_paid == paid   # the repr's figures
    # Decimal text, as a ledger's repr prints its total
    assert repr(many) == (f"<Execution 2009: {n + 2} records, planned {planned} €, paid 1030.5 €, "
                          f"rate {_oracle_rate(planned, paid)}%, {n} groups mapping to no party "
                          f"({2 * n} €)>")
    assert repr(few) == (f"<Execution 2009: 3 records, planned {planned} €, paid 1030.5 €, "
                         f"rate {_oracle_rate(planned, paid)}%, 1 group mapping to no party (2 €)>")
    assert len(repr(many)) < len(repr(few)) + 20   # the digits of the counts alone


def test_an_executions_repr_says_one_record_in_the_singular():
    """The repr said "<Execution 2009: 1 records, ...>" of a ledger of one grant, where its
    groups mapping to nothing were already counted in their number."""
    conv = essconv.default()
    one = conv.execution(2009, grants([("CDC", "1000.50", dt.date(2009, 3, 1))]))
    assert repr(one).startswith("<Execution 2009: 1 record, planned "), repr(one)
    assert "records" not in repr(one)


def test_a_rate_against_a_negative_planned_amount_is_said_not_significant():
    """A line planned negative (a reimbursement expected) with 1 000 € paid showed an
    execution rate of "-25,0 %", a figure read as a verdict.  French public-finance tables
    print « n.s. » (non significatif) there: the rate is None, and every view -- the text, the
    notebook's HTML, the chart -- says "n.s." with its legend, never the "n.d." of a line with
    nothing planned."""
    conv = essconv.default()
    conv.add_plan(essconv.read_plan("en k€\t\tCDC\tTotal\nAxe 1\tL1\t-4\t-4\nAxe 2\tL2\t0\t0\n"
                                    "Axe 3\tL3\t10\t10\nTotal\t\t6\t6\n".encode()), 2010)
    ledger = _csv_ledger("nomAttribuant;dispositifAide;dateConvention;montant\n"
                         "CDC;L1;2010-03-01;1000\nCDC;L2;2010-03-01;500\n"
                         "CDC;L3;2010-03-01;500\n")
    ex = conv.execution(2010, ledger)
    assert ex.rate("line", "L1") is None and ex.rate("axis", "Axe 1") is None
    assert ex.rate("line", "L3") == Decimal("5.0") and ex.total_rate == Decimal("33.3")
    for lang, legend in (("fr", "n.s.\u00a0: non significatif, le prévu est négatif"),
                         ("en", "n.s.: not significant, the planned amount is negative")):
        axis = "Axe" if lang == "fr" else "Axis"
        rows = {r[0]: r for r in _axis_rows(ex.text(lang), lang)}
        assert rows[f"{axis} 1"][3] == "n.s." and rows[f"{axis} 2"][3] == (
            "n.d." if lang == "fr" else "n/a")
        text, html, _svg = _views(ex, lang)
        assert legend in text and legend in html and ">n.s.<" in html
        assert "-25" not in text and "-25" not in html
    # the chart last: the views above are checked in the ASan run too, where matplotlib's C++
    # extensions crash the worker under the preloaded libasan
    if UNDER_ASAN:
        pytest.skip("matplotlib under a preloaded libasan")
    pytest.importorskip("matplotlib")
    ax = ex.plot("axis", lang="fr")
    labels = [t.get_text() for t in ax.get_yticklabels()]
    assert "Axe 1 (taux non significatif, prévu négatif)" in labels


def test_paid_sums_whose_running_sum_passes_int64_are_the_one_process_sums():
    """A funder's, party's and axis's paid amounts add its (funder, line) groups: each pair
    added had to fit int64 cents, so two large grants on two lines and a reimbursement on a
    line of the first's axis refused the execution (MoneyOverflowError) by the order of the
    groups alone, where the ledger's own group-by by funder gives the sum, and its total too."""
    top = Decimal(2**63 - 1) / 100   # int64 cents' largest amount
    day = dt.date(2009, 3, 1)
    ledger = Ledger.from_columns({"nomAttribuant": ["CDC", "CDC", "CDC"],
                                  "dispositifAide": ["DLA", "PLDESS", "Innovation"],
                                  "montant": [top, top, -top],
                                  "dateConvention": [day, day, day]}, amount="montant")
    ex = essconv.default().execution(2009, ledger)
    assert ex.paid["funder"]["CDC"] == ex.paid["party"]["CDC"] == ex.total_paid == \
        ledger.group_by("nomAttribuant").sum().to_dict()["CDC"] == ledger.total() == top
    assert ex.paid["line"] == {"DLA": top, "PLDESS": top, "Innovation": -top}
    assert ex.paid["axis"] == {"Axe 2": top, "Axe 3": 0}
    assert ex.accounting.matched == 3 and ex.accounting.matched_amount == top


@pytest.mark.parametrize("lang", ["fr", "en"])
def test_the_account_shows_every_amount_with_cents_when_one_has_cents(lang):
    """The account printed « rapprochés : 1 (200 000 €) » beside « 618 000,50 € » and « 0 € »:
    one block, three formats.  When one of its amounts has cents, every amount of the account
    shows two decimals, in the text report, the notebook's view and the dashboard alike; an
    account of whole euros keeps them whole."""
    import html
    from essconv.dashboard import accounting_html
    from essconv.display import execution_html
    from essconv.report import accounting_lines
    conv = essconv.default()
    t = language(lang)
    head = "Enregistrements" if lang == "fr" else "Records"
    for last, cents in (("618000.50", True), ("618000", False)):
        with pytest.warns(essconv.NoLineColumnWarning):
            ex = conv.execution(2009, grants([("CDC", "200000", dt.date(2009, 3, 1)),
                                              ("Fondation X", last, dt.date(2009, 5, 1))]))
        views = {"text": "\n".join(accounting_lines(ex, t)),
                 "dashboard": accounting_html(ex, lang),
                 "notebook": execution_html(ex, lang=lang)}
        for view, said in views.items():
            said = html.unescape(re.sub(r"<[^>]+>", " | ", said))
            account = said[said.index(head):]
            amounts = re.findall(r"(\d[\d\u202f\u00a0 ,.]*?)[\u00a0 ]€", account)
            assert len(amounts) >= 4, (view, account)   # 818 000,50, 200 000, 0, 618 000,50
            for figure in amounts:
                assert (figure[-3:-2] == t.decimal) is cents, (view, figure, account)


def test_a_ledger_built_from_columns_says_a_columns_kind_when_its_values_cannot():
    # a date column of None alone (a batch of records not dated yet) was a label column:
    # extend() with a dated ledger was refused, and execution said the column "was read as
    # labels" and to pass read_csv(dates=...), which from_columns cannot take
    conv = essconv.default()
    dated = grants([("CDC", "1000.50", dt.date(2009, 3, 1))])
    undated = Ledger.from_columns({"nomAttribuant": ["CDC", "CDC"],
                                   "montant": [Decimal(250), Decimal(50)],
                                   "dateConvention": [None, None], "annee": [None, 2009]},
                                  amount="montant", dates=["dateConvention"], ints=["annee"])
    assert undated.kinds == {"nomAttribuant": "label", "montant": "amount",
                             "dateConvention": "date", "annee": "int"}
    assert undated.filter(annee=2009).total() == Decimal(50)
    # a typed ledger of the same columns takes it (ints and labels as their values say)
    both = Ledger.from_columns({"nomAttribuant": ["CDC"], "montant": [Decimal(1)],
                                "dateConvention": [dt.date(2009, 1, 2)], "annee": [2009]},
                               amount="montant")
    both.extend(undated)
    assert len(both) == 3 and both.total() == Decimal(301)
    dated.extend(Ledger.from_columns({"nomAttribuant": ["CDC"], "montant": [Decimal(7)],
                                      "dateConvention": [None]}, amount="montant",
                                     dates=["dateConvention"]))
    assert len(dated) == 2
    # a value of another kind in a column said so is refused, naming the column and row
    with pytest.raises(essconv.ArgumentTypeError, match=r"'dateConvention'.*row 2"):
        Ledger.from_columns({"montant": [1, 2], "dateConvention": [None, "2009-03-01"]},
                            amount="montant", dates=["dateConvention"])
    with pytest.raises(essconv.ArgumentTypeError, match=r"'annee'.*'2009'"):
        Ledger.from_columns({"montant": [1], "annee": ["2009"]}, amount="montant", ints=["annee"])
    # a column said that the mapping has not, said twice, or the amount: refused
    with pytest.raises(essconv.UnknownColumnError, match="'datePaiement'"):
        Ledger.from_columns({"montant": [1]}, amount="montant", dates=["datePaiement"])
    with pytest.raises(essconv.InvalidValueError, match="'d'.*dates.*ints"):
        Ledger.from_columns({"montant": [1], "d": [None]}, amount="montant", dates=["d"],
                            ints=["d"])
    with pytest.raises(essconv.InvalidValueError, match="'montant'"):
        Ledger.from_columns({"montant": [1]}, amount="montant", ints=["montant"])
    with pytest.raises(essconv.ArgumentTypeError, match="a list of column names"):
        Ledger.from_columns({"montant": [1], "d": [None]}, amount="montant", dates="d")
    # the execution's hint names the remedy of a ledger built so, not read_csv's
    labels = Ledger.from_columns({"nomAttribuant": ["CDC"], "montant": [Decimal(1)],
                                  "dateConvention": [None]}, amount="montant")
    with pytest.raises(essconv.InvalidValueError, match="was read as labels") as info:
        conv.execution(2009, labels)
    said = str(info.value)
    assert "Ledger.from_columns(..., dates=['dateConvention'])" in said and "read_csv" not in said
    read = Ledger.read_csv(b"nomAttribuant;montant;dateConvention\nCDC;1;2009-03-01\n",
                           amount="montant")
    with pytest.raises(essconv.InvalidValueError, match=r"read_csv\(\.\.\., dates="):
        conv.execution(2009, read)


def test_groups_on_no_line_are_not_said_to_map_to_no_party_nor_to_no_funder():
    """A party's records on no line of the plan are in its paid amount.  The repr counted them
    among the "groups mapping to no party" (its amount 10 000,50 € where 10 000 map to none),
    and the French account said every such group "ne correspond à aucun financeur ni à aucune
    ligne" -- neither, where the Région's 0,50 € is the Région's.  Each is now said apart."""
    conv = essconv.default()
    rows = [("CDC", "1000.50", dt.date(2009, 3, 1), "DLA"),
            ("Région", "0.50", dt.date(2009, 3, 1), "Autre chose"),
            ("Ville de Lille", "10000", dt.date(2009, 3, 1), "DLA")]
    ledger = Ledger.from_columns({"nomAttribuant": [r[0] for r in rows],
                                  "montant": [Decimal(r[1]) for r in rows],
                                  "dateConvention": [r[2] for r in rows],
                                  "dispositifAide": [r[3] for r in rows]}, amount="montant")
    ex = conv.execution(2009, ledger)
    assert ex.paid["party"] == {"CDC": Decimal("1000.50"), "CR-NPDC": Decimal("0.50")}
    said = repr(ex)
    assert "1 group mapping to no party (10000 €)" in said, said
    assert "1 group on no line of the plan (0.5 €)" in said, said
    assert "10000.5" not in said
    french = str(ex)
    assert "ni à aucune ligne" not in french
    assert "aucun financeur ou à aucune ligne" in french
