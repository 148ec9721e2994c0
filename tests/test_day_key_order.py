"""Days as group-by and pivot keys come in calendar order, as years, quarters and months do.

A date column, or a period's start or end, keyed the groups and a pivot's lines in the order
the rows first showed each day: a ledger not sorted by date put 15/03/2017 above 07/07/2015 in
the text, HTML, CSV and xlsx a committee reads, while years and months of the same column came
sorted.  The oracle is Python's ``datetime.date`` ordering of the days the test wrote itself,
and a ``Decimal`` sum of its own amounts; a missing day stays where it was (after the days in a
group-by, "(vide)" first in a pivot)."""
from __future__ import annotations

import csv
import datetime as dt
import io
import random
from decimal import Decimal

import pytest

import essconv
from essconv import Ledger
from essconv.export import plan_delimited
from essconv.ledger import Aggregate

KERNELS = {"as chosen": 0, "partitioned, direct tables": 1, "partitioned, hashed tables": 2}
FUNDERS = ["Région", "CDC", "Département", "Etat"]


def records(seed: int, n: int = 400) -> list[tuple[dt.date | None, str, Decimal]]:
    """Rows in no order of date: days over five years, some missing, signed amounts."""
    rng = random.Random(seed)
    days = [dt.date(2009, 1, 1) + dt.timedelta(days=rng.randrange(1826)) for _ in range(60)]
    out = []
    for k in range(n):
        day = None if k % 23 == 7 else rng.choice(days)
        out.append((day, rng.choice(FUNDERS),
                    Decimal(rng.randrange(-50_000, 9_000_000)) / 100))
    return out


def text(rows) -> bytes:
    lines = "".join(f"{'' if d is None else d.strftime('%d/%m/%Y')};{f};{str(a).replace('.', ',')}\n"
                    for d, f, a in rows)
    return ("dateConvention;financeur;montant\n" + lines).encode()


def said(day: dt.date | None, lang: str) -> str:
    if day is None:
        return "(vide)" if lang == "fr" else "(blank)"
    return day.strftime("%d/%m/%Y") if lang == "fr" else day.isoformat()


def sums_by_day(rows) -> dict[dt.date | None, Decimal]:
    """The slow twin: a dict summed row by row, its days sorted by ``datetime.date``, missing last."""
    acc: dict[dt.date | None, Decimal] = {}
    for day, _, amount in rows:
        acc[day] = acc.get(day, Decimal(0)) + amount
    order = sorted((d for d in acc if d is not None)) + ([None] if None in acc else [])
    return {d: acc[d] for d in order}


def unordered(rows) -> bool:
    days = [d for d, _, _ in rows if d is not None]
    return days != sorted(days)


@pytest.mark.parametrize("threads", [1, 2])
@pytest.mark.parametrize("kernel", KERNELS.values(), ids=KERNELS.keys())
def test_days_as_one_key_come_in_calendar_order_in_every_kernel(kernel, threads):
    rows = records(kernel * 10 + threads)
    assert unordered(rows)
    ledger = Ledger.read_csv(text(rows), amount="montant", dates=["dateConvention"])
    core, dense, _ = ledger._core.group_by([ledger._col("dateConvention")], minmax=True,
                                           threads=threads, _partitioned=kernel)
    agg = Aggregate(core, ["dateConvention"], dense=dense, threads=threads)
    expected = sums_by_day(rows)
    got = agg.to_dict()
    assert list(got) == list(expected)
    assert got == expected


def test_days_under_a_second_key_come_in_calendar_order_within_it():
    rows = records(3)
    ledger = Ledger.read_csv(text(rows), amount="montant", dates=["dateConvention"])
    got = ledger.group_by("dateConvention", "financeur").sum().to_dict()
    # the last key the most significant: funders by first sight, days sorted under each
    seen = list(dict.fromkeys(f for _, f, _ in rows))
    expected = {}
    for funder in seen:
        for day, total in sums_by_day([r for r in rows if r[1] == funder]).items():
            expected[day, funder] = total
    assert list(got) == list(expected)
    assert got == expected


def test_period_sides_come_in_calendar_order():
    rows = records(5, n=120)
    written = "".join(
        f"{'' if d is None else f'{d.isoformat()}/{(d + dt.timedelta(days=30)).isoformat()}'};"
        f"{f};{a}\n" for d, f, a in rows)
    ledger = Ledger.read_csv(("periode;financeur;montant\n" + written).encode(), amount="montant")
    starts = ledger.group_by(essconv.period_start("periode")).sum().to_dict()
    assert list(starts) == list(sums_by_day(rows))
    ends = ledger.group_by(essconv.period_end("periode")).sum().to_dict()
    shifted = [(None if d is None else d + dt.timedelta(days=30), f, a) for d, f, a in rows]
    assert list(ends) == list(sums_by_day(shifted))
    assert ends == sums_by_day(shifted)


@pytest.mark.parametrize("lang, delimiter", [("fr", ";"), ("en", ",")])
def test_an_aggregate_by_day_is_exported_in_calendar_order(lang, delimiter):
    rows = records(11, n=150)
    ledger = Ledger.read_csv(text(rows), amount="montant", dates=["dateConvention"])
    exported = list(csv.reader(io.StringIO(ledger.group_by("dateConvention").sum()
                                           .to_csv(lang=lang)), delimiter=delimiter))
    assert [r[0] for r in exported[1:]] == [said(d, lang) for d in sums_by_day(rows)]


def test_an_aggregate_by_day_in_xlsx_is_in_calendar_order(tmp_path):
    openpyxl = pytest.importorskip("openpyxl")
    rows = records(13, n=150)
    ledger = Ledger.read_csv(text(rows), amount="montant", dates=["dateConvention"])
    ledger.group_by("dateConvention").sum().to_xlsx(tmp_path / "jours.xlsx")
    sheet = openpyxl.load_workbook(tmp_path / "jours.xlsx").active
    first = [row[0] for row in sheet.iter_rows(min_row=2, values_only=True)]
    shown = [None if v in ("(vide)", None) else (v.date() if isinstance(v, dt.datetime) else
             v if isinstance(v, dt.date) else dt.datetime.strptime(v, "%d/%m/%Y").date())
             for v in first]
    assert shown == list(sums_by_day(rows))


@pytest.mark.parametrize("lang", ["fr", "en"])
def test_a_pivot_by_day_reads_as_a_calendar_in_rows_columns_and_row_groups(lang):
    rows = records(17, n=200)
    ledger = Ledger.read_csv(text(rows), amount="montant", dates=["dateConvention"])
    days = list(sums_by_day(rows))
    in_pivot = [None] + [d for d in days if d is not None]   # "(vide)" first, as a plan reads
    as_rows = ledger.pivot("dateConvention", "financeur")
    assert as_rows.lines == ["(missing)" if d is None else d.isoformat() for d in in_pivot]
    as_columns = ledger.pivot("financeur", "dateConvention")
    exported = list(csv.reader(io.StringIO(plan_delimited(as_columns, ";", lang=lang)),
                               delimiter=";"))
    assert exported[0][1:-1] == [said(d, lang) for d in in_pivot]
    grouped = ledger.pivot(("dateConvention", "financeur"), "financeur")
    assert grouped.axes == as_rows.lines


def test_int_keys_come_in_ascending_order_as_days_do():
    """An int column's groups in ascending numeric order, as the days and years of a date."""
    numbers = [2012, 2009, 2012, 2010]
    ledger = Ledger.from_columns({"annee": numbers,
                                  "montant": [Decimal(1), Decimal(2), Decimal(3), Decimal(4)]},
                                 amount="montant")
    assert list(ledger.group_by("annee").sum().to_dict()) == sorted(set(numbers))


def _halves(seed: int):
    rows = records(seed, n=160)
    later = [r for r in rows if r[0] is None or r[0].year >= 2011]   # a later file first
    earlier = [r for r in rows if r[0] is not None and r[0].year < 2011]
    read = [Ledger.read_csv(text(part), amount="montant", dates=["dateConvention"])
            for part in (later, earlier)]
    return rows, read


def test_combined_aggregates_by_day_and_by_year_come_in_calendar_order():
    rows, (later, earlier) = _halves(19)
    by_day = later.group_by("dateConvention").sum() + earlier.group_by("dateConvention").sum()
    expected = sums_by_day(rows)
    assert list(by_day.to_dict()) == list(expected)
    assert by_day.to_dict() == expected
    year = essconv.year("dateConvention")
    by_year = later.group_by(year).sum() + earlier.group_by(year).sum()
    years: dict = {}
    for day, _, amount in rows:
        y = None if day is None else day.year
        years[y] = years.get(y, Decimal(0)) + amount
    order = sorted(y for y in years if y is not None) + ([None] if None in years else [])
    assert list(by_year.to_dict()) == order
    assert by_year.to_dict() == {y: years[y] for y in order}
    # a third aggregate combined after keeps the order
    again = by_year + earlier.group_by(year).sum()
    assert list(again.to_dict()) == order


@pytest.mark.parametrize("dims", [("financeur", "year"), ("year", "financeur")])
def test_combined_aggregates_by_funder_and_year_list_their_groups_as_one_group_by(dims):
    """The last key the most significant: years in order under a funder, or funders by first
    sight under a year -- as one group-by of both files lists them."""
    rows, (later, earlier) = _halves(23)
    named = [essconv.year("dateConvention") if d == "year" else d for d in dims]
    combined = later.group_by(*named).sum() + earlier.group_by(*named).sum()
    both = Ledger.read_csv(text([r for r in rows if r[0] is None or r[0].year >= 2011]
                                + [r for r in rows if r[0] is not None and r[0].year < 2011]),
                           amount="montant", dates=["dateConvention"])
    assert list(combined.to_dict()) == list(both.group_by(*named).sum().to_dict())
    place = dims.index("year")
    funders_years = [k for k in combined.to_dict()]
    if dims[-1] == "year":   # the years run as a calendar, missing last
        years = [k[place] for k in funders_years]
        assert years == sorted(years, key=lambda y: (y is None, y or 0))
