"""A ledger pivot keyed by days (a date column, ``period_start``/``period_end``) as rows, columns
or row groups: its keys are ISO text in its API (``plan.cell("2015-07-07", "CDC")``), and its
displays and exports write them as the language writes a date, 07/07/2015 in French, 2015-07-07
in English, every other French output's way.  They showed the ISO text in French: the core
turns the keys into label text, and the plan no longer knew they were days.

Oracles: the file read with the ``csv`` module, its days with ``datetime.strptime`` and its
amounts summed in ``Decimal``; the HTML read with ``html.parser``."""
from __future__ import annotations

import csv
import datetime as dt
import io
import pickle
import random
import re
from decimal import Decimal
from html.parser import HTMLParser

import pytest

import essconv
from essconv import Ledger
from essconv.display import plan_html, plan_text
from essconv.export import plan_delimited


def _file() -> str:
    rng = random.Random(7)
    days = [dt.date(2009, 1, 1) + dt.timedelta(days=rng.randrange(1800)) for _ in range(12)]
    days += [dt.date(1, 1, 1), dt.date(2015, 7, 7)]
    rows = []
    for k in range(60):
        day = rng.choice(days)
        written = "" if k % 17 == 5 else f"{day.day:02d}/{day.month:02d}/{day.year:04d}"
        rows.append(f"{written};{rng.choice(['CDC', 'Région', 'Etat'])};"
                    f"{rng.choice(['numéraire', 'nature'])};{rng.randrange(-500, 90000)},"
                    f"{rng.randrange(100):02d}\n")
    return "dateConvention;financeur;nature;montant\n" + "".join(rows)


TEXT = _file()


def records() -> list[tuple[dt.date | None, str, str, Decimal]]:
    out = []
    for r in csv.DictReader(io.StringIO(TEXT), delimiter=";"):
        day = dt.datetime.strptime(r["dateConvention"], "%d/%m/%Y").date() \
            if r["dateConvention"] else None
        out.append((day, r["financeur"], r["nature"], Decimal(r["montant"].replace(",", "."))))
    return out


def twin(row: int, column: int) -> dict[tuple, Decimal]:
    sums: dict[tuple, Decimal] = {}
    for r in records():
        sums[r[row], r[column]] = sums.get((r[row], r[column]), Decimal(0)) + r[3]
    return sums


def said(day: dt.date | None, lang: str) -> str:
    if day is None:
        return "(vide)" if lang == "fr" else "(blank)"
    return f"{day.day:02d}/{day.month:02d}/{day.year:04d}" if lang == "fr" else day.isoformat()


def number(text: str, lang: str) -> Decimal:
    if lang == "fr":
        return Decimal(text.replace("\u202f", "").replace(" ", "").replace(",", "."))
    return Decimal(text.replace(",", ""))


@pytest.fixture(scope="module")
def ledger():
    return Ledger.read_csv(TEXT.encode(), amount="montant", dates=["dateConvention"])


def api_days(keys: list[str]) -> list[dt.date | None]:
    """The pivot's keys (ISO text, "(missing)") as days: the order the outputs must keep."""
    return [None if k == "(missing)" else dt.date.fromisoformat(k) for k in keys]


class Table(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.rows: list[list[str]] = []
        self._cell: list[str] | None = None

    def handle_starttag(self, tag, attrs):
        if tag == "tr":
            self.rows.append([])
        elif tag in ("td", "th"):
            self._cell = []

    def handle_endtag(self, tag):
        if tag in ("td", "th") and self._cell is not None:
            self.rows[-1].append("".join(self._cell))
            self._cell = None

    def handle_data(self, data):
        if self._cell is not None:
            self._cell.append(data)


@pytest.mark.parametrize("lang", ["fr", "en"])
def test_days_as_rows_are_written_the_language_s_way_in_the_text_display(ledger, lang):
    pivot = ledger.pivot(rows="dateConvention", columns="financeur")
    days = api_days(pivot.lines)
    sums = twin(0, 1)
    lines = plan_text(pivot, lang=lang).splitlines()
    shown = lines[3:-1]    # the title, the heading, its rule; the Total row last
    assert len(shown) == len(days)
    for line, day in zip(shown, days):   # the API's order kept, line for line
        fields = re.split(r"\s{2,}", line.strip())
        assert fields[0] == said(day, lang)
        row_sum = sum((v for (d, _), v in sums.items() if d == day), Decimal(0))
        assert number(fields[-1], lang) == row_sum
    if lang == "fr":
        assert not any(d is not None and d.isoformat() in "\n".join(lines) for d in days)


@pytest.mark.parametrize("lang", ["fr", "en"])
def test_days_as_columns_are_written_the_language_s_way_in_html(ledger, lang):
    pivot = ledger.pivot(rows="financeur", columns="dateConvention")
    days = api_days(pivot.funders)
    parser = Table()
    parser.feed(plan_html(pivot, lang=lang))
    head = parser.rows[0]
    shown = head[2:-1]
    assert shown == [said(d, lang) for d in days]
    assert len(set(shown)) == len(shown)
    sums = twin(1, 0)
    for row in parser.rows[1:-1]:
        funder = row[1]
        for day, cell in zip(days, row[2:-1]):
            assert (number(cell, lang) if cell else None) == sums.get((funder, day))
    grand = sum((r[3] for r in records()), Decimal(0))
    assert number(parser.rows[-1][-1], lang) == grand


@pytest.mark.parametrize("lang, delimiter", [("fr", ";"), ("en", ",")])
def test_days_as_row_groups_and_columns_in_the_csv_export(ledger, lang, delimiter):
    pivot = ledger.pivot(rows=("dateConvention", "nature"), columns="dateConvention")
    exported = list(csv.reader(io.StringIO(plan_delimited(pivot, delimiter, lang=lang)),
                               delimiter=delimiter))
    days = api_days(pivot.funders)
    assert exported[0][2:-1] == [said(d, lang) for d in days]
    groups = [said(d, lang) for d in api_days(pivot.axes)]
    assert [r[0] for r in exported[1:-1] if r[0]] == groups
    sums = twin(0, 2)
    by_text = {said(d, lang): d for d in days}
    group = None
    for row in exported[1:-1]:
        group = by_text[row[0]] if row[0] else group
        cells = {d: number(c, lang) for d, c in zip(days, row[2:-1]) if c}
        assert cells == {group: sums[group, row[1]]}


def test_period_ends_are_days_too(tmp_path):
    text = ("datesPeriodeVersement;financeur;montant\n"
            "2017-03-30/2017-05-24;CDC;10,50\n2017-01-09_2017-12-31;CDC;4\n"
            "2017-03-30/2017-05-24;Etat;1\n")
    ledger = Ledger.read_csv(text.encode(), amount="montant")
    pivot = ledger.pivot(rows=essconv.period_end("datesPeriodeVersement"), columns="financeur")
    assert pivot.lines == ["2017-05-24", "2017-12-31"]   # the API keeps its ISO keys
    parser = Table()
    parser.feed(plan_html(pivot))
    assert [r[1] for r in parser.rows[1:-1]] == ["24/05/2017", "31/12/2017"]
    assert number(parser.rows[1][2], "fr") == Decimal("10.50")
    # no missing key: the English export still writes the English days, not the French table's
    for lang, days in (("fr", ["24/05/2017", "31/12/2017"]), ("en", ["2017-05-24", "2017-12-31"])):
        exported = list(csv.reader(io.StringIO(plan_delimited(pivot, lang=lang)), delimiter=";"))
        assert [r[0] for r in exported[1:-1]] == days
        assert [number(r[-1], lang) for r in exported[1:-1]] == [Decimal("11.50"), Decimal(4)]


def test_years_and_labels_stay_as_they_are_and_a_pickled_pivot_keeps_its_days(ledger):
    pivot = ledger.pivot(rows=essconv.year("dateConvention"), columns="financeur")
    years = sorted({r[0].year for r in records() if r[0] is not None})
    parser = Table()
    parser.feed(plan_html(pivot))
    assert [r[1] for r in parser.rows[1:-1]] == ["(vide)"] + [str(y) for y in years]
    back = pickle.loads(pickle.dumps(ledger.pivot(rows="dateConvention", columns="financeur")))
    assert "07/07/2015" in plan_text(back) and "2015-07-07" not in plan_text(back)
    assert "2015-07-07" in back.lines
