"""A date key derived from a label column (``year(date)`` with no date typing: ``aggregate
--amount`` on a grant file) reads its dates in the order the CSV reader would: decided on the
evidence of the whole column, day first by default, month first when a value can only be so
(03/25/2017), refused naming both values and their rows when the column holds both kinds.

The twin is the reader itself: the same file read with the column typed as dates
(``dates=[...]``), grouped by the same part."""
from __future__ import annotations

import datetime as dt

import pytest

import essconv
from essconv import Ledger
from essconv.messages import language

FILES = {
    "day first, said by one value": [("25/03/2017", 10), ("04/02/2018", 5), ("", 1)],
    "month first, said by one value": [("03/25/2017", 10), ("04/02/2018", 5), ("12/31/2018", 2)],
    "month first, said by the last row": [("04/02/2018", 5), ("01/02/2019", 3),
                                          ("12/31/2018", 2)],
    "nothing says it (day first)": [("04/02/2018", 5), ("01/12/2019", 3)],
    "ISO beside month first": [("2017-09-08", 1), ("04/02/2018", 5), ("03/25/2017", 10)],
}


def csv_of(rows) -> bytes:
    return ("date;f;montant\n" + "".join(f"{d};{'ab'[k % 2]};{m}\n"
                                         for k, (d, m) in enumerate(rows))).encode()


@pytest.mark.parametrize("part", ["year", "quarter", "month"])
@pytest.mark.parametrize("name", sorted(FILES))
def test_a_label_column_is_read_in_the_order_the_reader_decides(name, part):
    data = csv_of(FILES[name])
    dim = getattr(essconv, part)("date")
    as_labels = Ledger.read_csv(data, amount="montant")
    as_dates = Ledger.read_csv(data, amount="montant", dates=["date"])
    assert as_labels.group_by(dim).sum().to_dict() == as_dates.group_by(dim).sum().to_dict()
    assert as_labels.group_by(dim).count().to_dict() == as_dates.group_by(dim).count().to_dict()


def test_a_filtered_ledger_reads_its_dates_as_the_whole_one():
    """The dictionary keeps the labels the filtered rows held: the same evidence, the same
    months (filter then group equals group of the whole, the rows kept)."""
    data = csv_of(FILES["month first, said by one value"])
    whole = Ledger.read_csv(data, amount="montant")
    kept = whole.filter(f="b")   # 04/02/2018 alone: April, as in the whole column
    typed = Ledger.read_csv(data, amount="montant", dates=["date"]).filter(f="b")
    assert typed.values("date") == [dt.date(2018, 4, 2)]
    assert kept.group_by(essconv.month("date")).sum().to_dict() == \
        typed.group_by(essconv.month("date")).sum().to_dict()


def test_periods_follow_the_column_order_on_each_side():
    data = b"p;montant\n03/25/2017_04/02/2018;10\n01/02/2019_12/31/2019;5\n"
    ledger = Ledger.read_csv(data, amount="montant")
    starts = ledger.group_by(essconv.month(essconv.period_start("p"))).sum().to_dict()
    ends = ledger.group_by(essconv.month(essconv.period_end("p"))).sum().to_dict()
    # the twin: each side read month first by hand
    by_hand = [(dt.date(2017, 3, 25), dt.date(2018, 4, 2), 10),
               (dt.date(2019, 1, 2), dt.date(2019, 12, 31), 5)]
    assert {k: int(v) for k, v in starts.items()} == {s.month: m for s, _, m in by_hand}
    assert {k: int(v) for k, v in ends.items()} == {e.month: m for _, e, m in by_hand}


def test_a_column_of_both_orders_is_refused_naming_both_values_and_rows():
    data = csv_of([("25/03/2017", 10), ("04/02/2018", 5), ("03/25/2018", 1)])
    with pytest.raises(essconv.ParseError) as typed:   # the reader refuses it too
        Ledger.read_csv(data, amount="montant", dates=["date"])
    assert "25/03/2017" in str(typed.value) and "03/25/2018" in str(typed.value)
    ledger = Ledger.read_csv(data, amount="montant")
    with pytest.raises(essconv.ParseError) as caught:
        ledger.group_by(essconv.year("date")).sum()
    said = str(caught.value)
    assert "'date'" in said and "'03/25/2018'" in said and "'25/03/2017'" in said, said
    assert "row 3" in said and "(row 1)" in said, said
    assert caught.value.reason == ("date-key", "mixed-orders", 3)
    french = language("fr").refusal(caught.value)
    fr = language("fr")
    assert fr.quote("03/25/2018") in french and fr.quote("25/03/2017") in french, french
    assert "enregistrement 3" in french and "enregistrement 1" in french, french
    # the rows kept by a filter that hold one kind only are read in it
    month_first = ledger.filter(f="a")   # rows 1 and 3: 25/03/2017 and 03/25/2018
    with pytest.raises(essconv.ParseError):
        month_first.group_by(essconv.year("date")).sum()
    from decimal import Decimal
    assert ledger.filter(f="b").group_by(essconv.month("date")).sum().to_dict() == \
        {2: Decimal(5)}   # 04/02/2018 alone held: nothing says month first


def test_the_cli_aggregates_a_month_first_grant_file(tmp_path, capsys):
    from essconv.cli import main
    path = tmp_path / "g.csv"
    path.write_bytes(csv_of(FILES["month first, said by one value"]))
    assert main(["aggregate", str(path), "--amount", "montant", "--by", "month(date)"]) == 0
    out = capsys.readouterr().out
    lines = {line.split()[0]: line for line in out.splitlines() if line[:1].isdigit()}
    assert set(lines) == {"3", "4", "12"}, out


@pytest.mark.parametrize("side", ["period_start", "period_end"])
@pytest.mark.parametrize("fmt, said", [("%m/%d/%Y", "mdy"), ("%d/%m/%Y", "dmy")])
def test_a_group_by_a_period_side_keeps_the_order_its_labels_prove(side, fmt, said):
    """Grouped by period_start(p) of a month-first label column, the groups' days were of
    "unknown" order: a filter of to_ledger() refused the 01/02/2019 the file wrote.  A column
    whose labels prove no order (ISO, or 04/05/2017 alone) still says none."""
    periods = [(dt.date(2017, 3, 25), dt.date(2018, 4, 2), 10),
               (dt.date(2019, 1, 2), dt.date(2019, 12, 31), 5),
               (dt.date(2019, 1, 2), dt.date(2019, 2, 1), 7)]
    data = ("p;montant\n" + "".join(f"{a.strftime(fmt)}_{b.strftime(fmt)};{m}\n"
                                    for a, b, m in periods)).encode()
    groups = Ledger.read_csv(data, amount="montant").group_by(
        getattr(essconv, side)("p")).sum().to_ledger()
    assert groups.date_orders == {f"{side}(p)": said}
    pick = 0 if side == "period_start" else 1
    for start, end, _ in periods:
        day = (start, end)[pick]
        want = sum(m for a, b, m in periods if (a, b)[pick] == day)
        assert groups.filter(**{f"{side}(p)": day.strftime(fmt)}).total() == want
    for undecided in (b"p;montant\n2017-03-25_2018-04-02;1\n",
                      b"p;montant\n04/05/2017_05/06/2017;1\n"):
        groups = Ledger.read_csv(undecided, amount="montant").group_by(
            getattr(essconv, side)("p")).sum().to_ledger()
        assert groups.date_orders == {f"{side}(p)": "unknown"}
