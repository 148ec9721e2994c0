"""Date dimensions (essconv.year, quarter, month, period_start, period_end) in group_by and pivot:
keys computed by the core from the int32 days, checked against datetime.date's own year and
month and a Decimal sum, on generated ledgers and on the real files in tests/data."""
from __future__ import annotations

import datetime as dt
import random
import re
from collections import defaultdict
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import essconv
from essconv import Ledger
from essconv.cli import main
from conftest import SCDL, REAL_SCDL, read_real_scdl


def twin_sums(keys, cents):
    out: dict = defaultdict(lambda: Decimal(0))
    for k, c in zip(keys, cents):
        out[k] += Decimal(c) / 100
    return dict(out)


def part(day: dt.date | None, which: str):
    if day is None:
        return None
    return {"year": day.year, "quarter": (day.month - 1) // 3 + 1, "month": day.month}[which]


days = st.one_of(st.none(), st.dates(min_value=dt.date(1, 1, 1), max_value=dt.date(9999, 12, 31)),
                 st.dates(min_value=dt.date(2008, 11, 1), max_value=dt.date(2014, 2, 28)))
records = st.lists(st.tuples(days, st.sampled_from(["CDC", "CR-NPDC", None]),
                             st.integers(-10**12, 10**12)), min_size=1, max_size=80)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(records, st.sampled_from(["year", "quarter", "month"]))
def test_group_by_a_date_part_equals_datetime(rows, which):
    ledger = Ledger.from_columns({"d": [r[0] for r in rows], "f": [r[1] for r in rows],
                                  "montant": [r[2] for r in rows]}, amount="montant", cents=True)
    dim = getattr(essconv, which)("d")
    cents = [r[2] for r in rows]
    agg = ledger.group_by(dim).sum()
    assert agg.dims == [f"{which}(d)"]
    assert agg.to_dict() == twin_sums([part(r[0], which) for r in rows], cents)
    other = "month" if which == "year" else "year"
    both = ledger.group_by(getattr(essconv, other)("d"), dim, "f").sum().to_dict()
    assert both == twin_sums([(part(r[0], other), part(r[0], which), r[1]) for r in rows], cents)
    counts = ledger.group_by(dim).count().to_dict()
    assert counts == {k: sum(1 for r in rows if part(r[0], which) == k)
                      for k in {part(r[0], which) for r in rows}}
    pivot = ledger.pivot(rows=dim, columns="f")
    assert pivot.total() == ledger.total()
    for (k, f), v in twin_sums([(part(r[0], which), r[1]) for r in rows], cents).items():
        if k is not None and f is not None:   # a plan shows missing keys as "(missing)"
            assert pivot.cell(str(k), f) == v


def twin_period(text: str | None) -> tuple[dt.date | None, dt.date | None]:
    """The two ends of a period as SCDL files print it, read by hand."""
    if text is None:
        return None, None
    def date(s: str) -> dt.date | None:
        s = s.strip()
        if not s:
            return None
        for form in ("%Y-%m-%d", "%Y/%m/%d", "%d/%m/%Y"):
            try:
                return dt.datetime.strptime(s, form).date()
            except ValueError:
                pass
        raise ValueError(s)
    if "_" in text:
        a, b = text.split("_", 1)
    elif re.fullmatch(r"\d{4}-\d\d-\d\d/\d{4}-\d\d-\d\d", text.strip()):
        a, b = text.strip().split("/")
    else:
        a = b = text
    start, end = date(a), date(b)
    if start and end and end < start:   # SCDL's period-order error: the core refuses it too
        raise ValueError(text)
    return start, end


PERIODS = ["2018-01-01_2018-03-31", "2017-03-30/2017-05-24", "2017/09/08_2021/09/07",
           "2019-02-02", "08/02/2016_31/12/2016", "2016-06-30_", None]


@settings(max_examples=60, deadline=None)
@given(st.lists(st.tuples(st.sampled_from(PERIODS), st.integers(-10**9, 10**9)), min_size=1,
                max_size=40))
def test_the_start_and_end_of_payment_periods(rows):
    ledger = Ledger.from_columns({"datesPeriodeVersement": [r[0] for r in rows],
                                  "montant": [r[1] for r in rows]}, amount="montant", cents=True)
    cents = [r[1] for r in rows]
    ends = [twin_period(r[0]) for r in rows]
    start, end = essconv.period_start("datesPeriodeVersement"), essconv.period_end("datesPeriodeVersement")
    assert ledger.group_by(start).sum().to_dict() == twin_sums([s for s, _ in ends], cents)
    assert ledger.group_by(end).sum().to_dict() == twin_sums([e for _, e in ends], cents)
    assert ledger.group_by(essconv.year(end), essconv.month(start)).sum().to_dict() == \
        twin_sums([(part(e, "year"), part(s, "month")) for s, e in ends], cents)


def test_a_label_that_is_no_date_is_refused_with_its_row_unless_no_row_holds_it():
    ledger = Ledger.from_columns({"p": ["2017-01-01_2017-12-31", "bientôt", "2017-03-02/2017-30-05"],
                                  "montant": [1, 2, 3]}, amount="montant")
    with pytest.raises(essconv.ParseError, match=r"row 2 of 'p': 'bientôt' is neither a date"):
        ledger.group_by(essconv.period_start("p")).sum()
    later = ledger.filter(p=~essconv.one_of(["bientôt"]))
    with pytest.raises(essconv.ParseError, match=r"row 2 of 'p': '2017-03-02/2017-30-05' .*impossible"):
        later.group_by(essconv.period_end("p")).sum()
    # the filtered ledger still has both labels in its dictionary, on no row: no error
    clean = ledger.filter(p="2017-01-01_2017-12-31")
    assert clean.group_by(essconv.year(essconv.period_end("p"))).sum().to_dict() == {2017: Decimal(1)}
    with pytest.raises(essconv.ParseError, match="is a period, not one date"):
        clean.group_by(essconv.year("p")).sum()



@pytest.mark.parametrize("written", ["2017-01-01 au 2017-12-31", "2017-01-01 - 2017-12-31",
                                     "2017-01-01 / 2017-12-31", "2017-01-01T10:00/2018-01-01",
                                     "2017-01-01 environ", "2017-01-01 99:99"])
def test_text_after_a_date_makes_it_no_date_not_its_first_day(written):
    # once its first ten characters were a date, anything after a space or a T was dropped: a
    # period written out read as its first day, silently (and a date column kept the date)
    ledger = Ledger.from_columns({"p": [written], "montant": [1]}, amount="montant")
    with pytest.raises(essconv.ParseError, match="row 1 of 'p'"):
        ledger.group_by(essconv.period_end("p")).sum()
    data = f"k;d;montant\na;{written};1,00\n".encode()
    with pytest.raises(essconv.ParseError, match=r":2:3:.*is not a date"):
        Ledger.read_csv(data, amount="montant", dates=["d"])


# 21:59:60Z: a leap second in UTC, 23:59:60 in Paris (23:59:60Z is 9 September there)
@pytest.mark.parametrize("written", ["2017-09-08T00:00:00", "2017-09-08 00:00", "2017-09-08T21:59:60Z",
                                     "2017-09-08T10:00:00.250+01:00", "2017-09-08 10:00-0500",
                                     "08/09/2017 12:30"])
def test_a_time_of_day_after_a_date_is_still_that_date(written):
    data = f"k;d;montant\na;{written};1,00\n".encode()
    ledger = Ledger.read_csv(data, amount="montant", dates=["d"])
    assert ledger.values("d") == [dt.date(2017, 9, 8)]

def paris_day(written: str) -> dt.date:
    """The twin: the day in Paris of an instant printed in UTC, by the tz database."""
    instant = dt.datetime.fromisoformat(written.replace("Z", "+00:00").replace("T24:00", "T23:59"))
    return instant.astimezone(ZoneInfo("Europe/Paris")).date()


@pytest.mark.parametrize("written, day", [
    ("2019-12-31T23:00:00.000Z", dt.date(2020, 1, 1)),   # midnight in Paris, winter
    ("2019-06-30T22:00:00.000Z", dt.date(2019, 7, 1)),   # midnight in Paris, summer
    ("2019-12-31T22:59:59Z", dt.date(2019, 12, 31)),
    ("2019-06-30T21:30Z", dt.date(2019, 6, 30)),
    ("2019-12-31 23:00:00+00:00", dt.date(2020, 1, 1)),  # Python's isoformat of a UTC instant
    ("2019-12-31T23:00:00-0000", dt.date(2020, 1, 1)),
    ("2019-03-30T23:30Z", dt.date(2019, 3, 31)),         # the night summer time begins
    ("2019-10-26T22:30Z", dt.date(2019, 10, 27)),        # the night it ends: still +2
    ("2019-10-27T22:30Z", dt.date(2019, 10, 27)),        # winter again: +1, 23:30
    ("1995-09-30T22:30Z", dt.date(1995, 9, 30)),         # before 1996 summer ended in September
    ("2016-02-28T23:00Z", dt.date(2016, 2, 29)),
    ("2019-12-31T23:00:00+01:00", dt.date(2019, 12, 31)),  # a local time: its own day
])
def test_a_date_printed_as_an_instant_in_utc_is_its_day_in_paris(written, day, tmp_path):
    # a date kept at midnight in Paris and exported in UTC (JavaScript's toISOString, a JSON
    # API) prints the day before: 1 January 2020 is "2019-12-31T23:00:00.000Z".  Its first ten
    # characters were read as the date, the grant counted in 2019's total, without a word
    assert day == paris_day(written) or "+01:00" in written
    data = f"k;d;montant\na;{written};1,00\nb;2020-01-01;2,00\n".encode()
    ledger = Ledger.read_csv(data, amount="montant", dates=["d"])
    assert ledger.values("d") == [day, dt.date(2020, 1, 1)]
    by_year = ledger.group_by(essconv.year("d")).sum().to_dict()
    assert sum(by_year.values()) == Decimal("3") and by_year[day.year] >= Decimal("1")
    # a filter reads the text as a cell reads it
    assert ledger.filter(d=written).total() == (Decimal("3") if day == dt.date(2020, 1, 1)
                                                else Decimal("1"))


def test_an_scdl_file_of_utc_instants_totals_its_years_as_dated_in_paris(tmp_path):
    path = tmp_path / "subventions.csv"
    path.write_text("nomAttribuant;idAttribuant;dateConvention;nomBeneficiaire;idBeneficiaire;"
                    "objet;montant;nature\n"
                    "Région;23590001900011;2019-12-31T23:00:00.000Z;Asso A;30000000000001;x;"
                    "1000;aide en numéraire\n"
                    "Région;23590001900011;2019-06-30T22:00:00.000Z;Asso B;30000000000002;y;"
                    "250;aide en numéraire\n", encoding="utf-8")
    ledger = essconv.read_scdl(path)
    assert ledger.values("dateConvention") == [dt.date(2020, 1, 1), dt.date(2019, 7, 1)]
    assert ledger.group_by(essconv.year("dateConvention")).sum().to_dict() == {
        2019: Decimal("250"), 2020: Decimal("1000")}


@settings(max_examples=300, deadline=None)
@given(st.datetimes(min_value=dt.datetime(1981, 1, 1), max_value=dt.datetime(2037, 12, 31)))
def test_the_paris_day_of_any_utc_instant_equals_the_tz_database(instant):
    written = f"{instant:%Y-%m-%dT%H:%M:%S}Z"
    ledger = Ledger.read_csv(f"d;montant\n{written};1\n".encode(), amount="montant", dates=["d"])
    assert ledger.values("d") == [paris_day(written)], written


@pytest.mark.parametrize("instant", [
    dt.datetime(2019, 12, 31, 23, tzinfo=dt.timezone.utc),     # 1 January 2020 in Paris
    dt.datetime(2019, 6, 30, 22, 30, tzinfo=dt.timezone.utc),  # 1 July 2019 in Paris (summer)
    dt.datetime(2019, 12, 31, 22, 59, tzinfo=dt.timezone.utc),  # still 31 December in Paris
])
def test_a_python_datetime_in_utc_is_its_day_in_paris_as_the_csv_reader_takes_it(instant):
    # the CSV reader takes "2019-12-31T23:00:00Z" as 1 January 2020 (the day in Paris); an aware
    # datetime in UTC given to from_columns, or a pandas Series of such Timestamps, was its day
    # in UTC, 31 December 2019: one grant in two years depending on how it came in
    import pandas as pd
    written = f"{instant:%Y-%m-%dT%H:%M:%S}Z"
    from_csv = Ledger.read_csv(f"d;montant\n{written};1\n".encode(), amount="montant",
                               dates=["d"]).values("d")
    assert from_csv == [paris_day(written)]
    given = [Ledger.from_columns({"d": [instant], "montant": [1]}, amount="montant"),
             Ledger.from_columns({"d": pd.Series([pd.Timestamp(instant)]),
                                  "montant": pd.Series([1])}, amount="montant")]
    assert [ledger.values("d") for ledger in given] == [from_csv, from_csv]
    # a filter on such a datetime is the same day
    ledger = Ledger.from_columns({"d": [paris_day(written)], "montant": [5]}, amount="montant")
    assert ledger.filter(d=instant).total() == Decimal("5")
    # another offset, or none, is the day it prints, as in a cell
    east = instant.astimezone(dt.timezone(dt.timedelta(hours=5)))
    assert Ledger.from_columns({"d": [east], "montant": [1]}, amount="montant").values("d") == [
        east.date()]


def test_a_date_dimension_of_a_column_without_dates_names_it():
    ledger = Ledger.from_columns({"annee": [2017], "montant": [1]}, amount="montant")
    with pytest.raises(essconv.ConditionError, match="'annee' holds ints"):
        ledger.group_by(essconv.year("annee"))
    with pytest.raises(KeyError, match="nope"):
        ledger.group_by(essconv.month("nope"))
    with pytest.raises(TypeError):
        essconv.year(essconv.month("d"))


def test_many_rows_by_year_equal_the_twin():
    """Past the sizes hypothesis draws (several pages of each column) and with a label key."""
    rng = random.Random(3)
    n = 100_000
    ds = [None if rng.random() < 0.05 else dt.date(2009, 1, 1) + dt.timedelta(rng.randrange(1826))
          for _ in range(n)]
    fs = [rng.choice(["ETAT", "CR-NPDC", "CG-59", "CG-62", "CDC"]) for _ in range(n)]
    cents = [rng.randrange(10**9) for _ in range(n)]
    ledger = Ledger.from_columns({"d": ds, "f": fs, "montant": cents}, amount="montant", cents=True)
    got = ledger.group_by(essconv.year("d"), "f").sum().to_dict()
    assert got == twin_sums([(part(d, "year"), f) for d, f in zip(ds, fs)], cents)


@pytest.mark.parametrize("path", REAL_SCDL, ids=lambda p: p.name)
def test_real_files_by_year_and_period(path):
    ledger = read_real_scdl(path)
    amounts = ledger.values("montant")
    dates = ledger.values("dateConvention")
    assert ledger.group_by(essconv.year("dateConvention")).sum().to_dict() == \
        twin_sums([part(d, "year") for d in dates], [a * 100 for a in amounts])
    assert ledger.group_by(essconv.quarter("dateConvention")).count().to_dict() == \
        {k: sum(1 for d in dates if part(d, "quarter") == k) for k in {part(d, "quarter") for d in dates}}
    if "datesPeriodeVersement" not in ledger.columns:
        return
    periods = ledger.values("datesPeriodeVersement")
    try:
        ends = [twin_period(p) for p in periods]
    except ValueError as exc:   # an impossible date in the file: the core names its row
        row = next(i for i, p in enumerate(periods) if str(exc) in (p or "")) + 1
        with pytest.raises(essconv.ParseError, match=rf"row {row} of 'datesPeriodeVersement'"):
            ledger.group_by(essconv.period_start("datesPeriodeVersement")).sum()
        return
    end = essconv.year(essconv.period_end("datesPeriodeVersement"))
    assert ledger.group_by(end).sum().to_dict() == \
        twin_sums([part(e, "year") for _, e in ends], [a * 100 for a in amounts])


def test_cli_by_year_of_the_convention_date(capsys):
    path = SCDL / "haute-garonne-datalocale-subventions.csv"
    ledger = essconv.read_scdl(path)
    twin = twin_sums([part(d, "year") for d in ledger.values("dateConvention")],
                     [a * 100 for a in ledger.values("montant")])
    assert main(["aggregate", str(path), "--by", "year(dateConvention)"]) == 0
    out = capsys.readouterr().out
    assert out.splitlines()[0].split() == ["year(dateConvention)", "montant"]
    # one column, one number of decimals: both cent digits on every year when one has cents
    cents = any(total != total.to_integral() for total in twin.values())
    for year, total in twin.items():
        shown = essconv.format_amount(total, group=" ", decimals=2 if cents else 0)
        assert re.search(rf"^{year}\s+{re.escape(shown)} €$", out, re.M), (year, shown, out)


@pytest.mark.parametrize("lang", ["fr", "en"])
def test_cli_by_a_date_lists_each_day_the_listings_way(capsys, lang):
    """The listing of `aggregate --by dateConvention` printed "2015-07-07" in French, where its
    CSV export and its notebook table print "07/07/2015"."""
    path = SCDL / "haute-garonne-datalocale-subventions.csv"
    ledger = essconv.read_scdl(path)
    twin = twin_sums(ledger.values("dateConvention"), [a * 100 for a in ledger.values("montant")])
    assert main(["aggregate", str(path), "--by", "dateConvention", "--lang", lang]) == 0
    out = capsys.readouterr().out
    days = [line.split()[0] for line in out.splitlines()[2:]
            if re.match(r"^\d", line)]   # the key of each group's line
    # each day written by hand: day/month/year in French, ISO in English
    said = {day: (f"{day.day:02d}/{day.month:02d}/{day.year}" if lang == "fr"
                  else f"{day.year}-{day.month:02d}-{day.day:02d}") for day in twin if day}
    assert sorted(days) == sorted(said.values()), out
