"""The captions of a pivot and of a report by a date dimension name it in their language's words:
"Tableau croisé — année de dateConvention × financeur", "montant par mois de dateConvention",
"year of dateConvention" in English.  They named it by the API's English expression
("year(dateConvention)") in French outputs too.  The figures under them are checked against
the file read with the ``csv`` module and summed in ``Decimal``; the HTML is read with
``html.parser``."""
from __future__ import annotations

import csv
import datetime as dt
import io
from decimal import Decimal
from html.parser import HTMLParser

import pytest

import essconv
from essconv import Ledger
from essconv.display import aggregate_html, plan_html, plan_text

TEXT = ("dateConvention;datesPeriodeVersement;financeur;montant\n"
        "07/07/2015;2017-03-30/2017-05-24;CDC;100,50\n"
        "25/12/2014;2017-01-09_2017-12-31;Région;200\n"
        "07/07/2015;2017-03-30/2017-05-24;Région;50\n"
        "03/01/2016;2018-01-01_2018-03-31;CDC;10,25\n")


def twin(key) -> dict:
    sums: dict = {}
    for r in csv.DictReader(io.StringIO(TEXT), delimiter=";"):
        day = dt.datetime.strptime(r["dateConvention"], "%d/%m/%Y").date()
        k = key(day, r)
        sums[k] = sums.get(k, Decimal(0)) + Decimal(r["montant"].replace(",", "."))
    return sums


def number(text: str, lang: str) -> Decimal:
    text = text.replace("€", "").strip()
    if lang == "fr":
        return Decimal(text.replace("\u202f", "").replace(" ", "").replace(",", "."))
    return Decimal(text.replace(",", ""))


class Table(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.caption = ""
        self.rows: list[list[str]] = []
        self._in: str | None = None

    def handle_starttag(self, tag, attrs):
        if tag == "tr":
            self.rows.append([])
        if tag in ("td", "th", "caption"):
            self._in = tag
            if tag != "caption":
                self.rows[-1].append("")

    def handle_endtag(self, tag):
        if tag == self._in:
            self._in = None

    def handle_data(self, data):
        if self._in == "caption":
            self.caption += data
        elif self._in is not None:
            self.rows[-1][-1] += data


@pytest.fixture(scope="module")
def ledger():
    return Ledger.read_csv(TEXT.encode(), amount="montant", dates=["dateConvention"])


@pytest.mark.parametrize("lang, words", [("fr", "Tableau croisé — année de dateConvention × "
                                                "fin de période de datesPeriodeVersement"),
                                         ("en", "Pivot — year of dateConvention × "
                                                "period end of datesPeriodeVersement")])
def test_a_pivot_s_caption_words_its_date_dimensions(ledger, lang, words):
    pivot = ledger.pivot(rows=essconv.year("dateConvention"),
                         columns=essconv.period_end("datesPeriodeVersement"))
    table = Table()
    table.feed(plan_html(pivot, lang=lang))
    assert table.caption.startswith(words + " — ")
    assert "year(" not in table.caption and "period_end(" not in table.caption
    assert plan_text(pivot, lang=lang).splitlines()[0].startswith(words + " — ")
    sums = twin(lambda day, r: day.year)
    assert {int(row[1]): number(row[-1], lang) for row in table.rows[1:-1]} == sums


@pytest.mark.parametrize("lang, words", [
    ("fr", "montant par mois de dateConvention × année de début de période de "
           "datesPeriodeVersement × financeur\u00a0: "),
    ("en", "amount by month of dateConvention × year of period start of "
           "datesPeriodeVersement × financeur: ")])
def test_a_report_s_caption_words_its_date_dimensions(ledger, lang, words):
    agg = ledger.group_by(essconv.month("dateConvention"),
                          essconv.year(essconv.period_start("datesPeriodeVersement")),
                          "financeur").sum()
    table = Table()
    table.feed(aggregate_html(agg, lang=lang))
    assert table.caption.startswith(words)
    # the headings stay the key columns' names, as the exports name them
    assert table.rows[0][:3] == ["month(dateConvention)",
                                 "year(period_start(datesPeriodeVersement))", "financeur"]
    sums = twin(lambda day, r: (day.month, int(r["datesPeriodeVersement"][:4]), r["financeur"]))
    assert {(int(r[0]), int(r[1]), r[2]): number(r[3], lang) for r in table.rows[1:]} == sums


def test_a_plain_column_keeps_its_name(ledger):
    pivot = ledger.pivot(rows="dateConvention", columns="financeur")
    assert plan_text(pivot).splitlines()[0].startswith(
        "Tableau croisé — dateConvention × financeur — ")
