"""The order of day and month in a ledger's dates (08/09/2017): decided on the whole column's
evidence, as the decimal mark is decided on the amounts, or said with ``date_order``.

A month-first export ("03/25/2017", "04/05/2017") was read day first wherever it parsed: 5 April
became 4 May without a word, only 03/25/2017 refused.  The oracle of each test is the calendar
day Python's datetime builds from the fields as written, never the reader's own output.
"""
import datetime as dt
from array import array
from decimal import Decimal

import pytest

import essconv
from essconv import Ledger, _core
from essconv.scdl import read_scdl


def day(text: str, order: str) -> dt.date:
    """The day a dd/mm/yyyy or mm/dd/yyyy text names, in that order."""
    a, b, year = (int(part) for part in text.split("/"))
    return dt.date(year, b, a) if order == "dmy" else dt.date(year, a, b)


def csv(dates: list[str]) -> bytes:
    rows = "".join(f"{d};{k},50\n" for k, d in enumerate(dates, 1))
    return ("date;montant\n" + rows).encode()


def amounts(dates: list[str]) -> Decimal:
    return sum((Decimal(f"{k}.50") for k in range(1, len(dates) + 1)), Decimal(0))


# an ambiguous head, then the one value that says the order, as late as the column allows
MONTH_FIRST = ["04/05/2017", "01/02/2018", "12/11/2016"] * 40 + ["03/25/2017"]
DAY_FIRST = ["04/05/2017", "01/02/2018", "12/11/2016"] * 40 + ["25/03/2017"]


def read(data: bytes, **kw) -> Ledger:
    return Ledger.read_csv(data, amount="montant", dates=["date"], **kw)


@pytest.mark.parametrize("dates, order", [(MONTH_FIRST, "mdy"), (DAY_FIRST, "dmy")])
def test_a_column_is_read_in_the_order_its_values_prove(dates, order):
    ledger = read(csv(dates))
    assert ledger.values("date") == [day(d, order) for d in dates]
    assert ledger.total() == amounts(dates)


def test_a_column_with_no_proof_is_read_day_first_the_french_default():
    dates = ["04/05/2017", "01/02/2018", "12/11/2016"]
    assert read(csv(dates)).values("date") == [day(d, "dmy") for d in dates]


@pytest.mark.parametrize("threads, chunk_bytes", [(2, 13), (2, 97), (1, 13)])
def test_the_evidence_is_the_whole_column_s_whatever_the_chunks(tmp_path, threads, chunk_bytes):
    """Chunks and streamed blocks each see a part of the column: the proof in the last one
    must still turn the first chunk's 04/05/2017 into 5 April."""
    data = csv(MONTH_FIRST)
    expected = [day(d, "mdy") for d in MONTH_FIRST]
    epoch = dt.date(1970, 1, 1)
    expected_days = array("i", [(d - epoch).days for d in expected]).tobytes()
    kinds = [_core.COL_AMOUNT, _core.COL_DATE]
    core, bad = _core.Ledger.read_csv(data, ["montant", "date"], kinds, threads=threads,
                                      chunk_bytes=chunk_bytes)
    assert bad == [] and core.copy_column(1) == expected_days
    path = tmp_path / "grants.csv"
    path.write_bytes(data)
    with open(path, "rb") as fh:
        streamed, bad, _ = _core.Ledger.read_csv_fd(fh.fileno(), len(data), ["montant", "date"],
                                                   kinds, threads=threads,
                                                   chunk_bytes=chunk_bytes)
    assert bad == [] and streamed.copy_column(1) == expected_days
    assert read(path).values("date") == expected


def test_a_column_proving_both_orders_is_refused_naming_one_value_of_each(tmp_path):
    dates = ["04/05/2017", "25/03/2017", "04/05/2017", "03/25/2017"]
    path = tmp_path / "grants.csv"
    path.write_bytes(csv(dates))
    with pytest.raises(essconv.ParseError) as caught:
        read(path)
    err = caught.value
    assert (err.line, err.column) == (5, 1)   # 03/25/2017, the second kind met
    assert "grants.csv" in str(err)
    assert "'25/03/2017' (line 3, column 1)" in str(err)
    assert "'03/25/2017' (line 5, column 1)" in str(err)


def test_date_order_said_reads_every_value_so():
    dates = ["04/05/2017", "01/02/2018"]
    assert read(csv(dates), date_order="mdy").values("date") == [day(d, "mdy") for d in dates]
    assert read(csv(dates), date_order="dmy").values("date") == [day(d, "dmy") for d in dates]


def test_a_value_contradicting_the_order_said_is_refused_at_its_place():
    data = "x;date;montant\na;04/05/2017;1\nb;03/25/2017;2\n".encode()
    with pytest.raises(essconv.ParseError) as caught:
        Ledger.read_csv(data, amount="montant", dates=["date"], date_order="dmy")
    assert (caught.value.line, caught.value.column) == (3, 3)
    assert "month first" in str(caught.value)
    ledger = Ledger.read_csv(data, amount="montant", dates=["date"], date_order="dmy",
                             bad_rows="collect")
    assert [(b.line, b.column) for b in ledger.bad_rows] == [(3, 3)]
    assert ledger.values("date") == [dt.date(2017, 5, 4)]
    with pytest.raises(essconv.InvalidValueError):
        read(csv(["04/05/2017"]), date_order="ymd")


def test_iso_dates_read_one_way_whatever_the_order():
    dates = ["2017-04-05", "2017/04/05"]
    for order in (None, "dmy", "mdy"):
        assert read(csv(dates), date_order=order).values("date") == [dt.date(2017, 4, 5)] * 2
    # an ISO date says nothing of the order: the column's 03/25/2017 still decides
    assert read(csv(["2017-04-05", "04/05/2017", "03/25/2017"])).values("date") == [
        dt.date(2017, 4, 5), dt.date(2017, 4, 5), dt.date(2017, 3, 25)]


def test_each_date_column_decides_on_its_own_values():
    data = ("signee;versee;montant\n04/05/2017;04/05/2017;1\n03/25/2017;25/03/2017;2\n").encode()
    ledger = Ledger.read_csv(data, amount="montant", dates=["signee", "versee"])
    assert ledger.values("signee") == [dt.date(2017, 4, 5), dt.date(2017, 3, 25)]
    assert ledger.values("versee") == [dt.date(2017, 5, 4), dt.date(2017, 3, 25)]


def test_an_scdl_file_s_date_convention_is_decided_so_too(tmp_path):
    header = ("nomAttribuant;idAttribuant;dateConvention;nomBeneficiaire;idBeneficiaire;"
              "objet;montant;nature\n")
    rows = [("04/05/2017", "1000,00"), ("03/25/2017", "2500,50")]
    body = "".join(f"Ville;21000001;{d};Asso;30000001;objet;{m};aide en numéraire\n"
                   for d, m in rows)
    path = tmp_path / "scdl.csv"
    path.write_text(header + body, encoding="utf-8")
    ledger = read_scdl(path)
    assert ledger.values("dateConvention") == [day(d, "mdy") for d, _ in rows]
    assert ledger.total() == Decimal("1000.00") + Decimal("2500.50")
    said = read_scdl(path, date_order="dmy")
    assert [(b.line, b.column) for b in said.bad_rows] == [(3, 16)]   # "Ville;21000001;" before it
