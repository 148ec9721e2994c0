"""A ledger keeps, for each date column, the order of day and month its file was read in, and
a filter's date both orders read (04/03/2017) is read in it.

The reader decides each date column's order (day first for French files, month first when a
value can only be so, or as ``date_order`` says) but the ledger did not keep it: a filter's
04/03/2017 was refused on every ledger, though the file wrote its 04/03/2017 day first.  The
order goes with the ledger through filter, pickle, extend, a pyarrow Table and a Parquet file;
a column whose order was never decided (ISO dates, Python or Arrow columns) keeps "unknown",
and such a ledger still refuses 04/03/2017, naming both readings.

The oracle of each test is the calendar day ``datetime.strptime`` builds from the text in the
file's order, and the Decimal sum of the rows of that day, never the reader's output.
"""
import datetime as dt
import io
import pickle
from decimal import Decimal

import pytest

import essconv
from essconv import Ledger

FORMATS = {"dmy": "%d/%m/%Y", "mdy": "%m/%d/%Y"}
# every day of 2016 (a leap year) but those both orders read the same (03/03/2016)
DAYS = [dt.date(2016, 1, 1) + dt.timedelta(days=k) for k in range(366)]


def grants(order: str, days=DAYS) -> tuple[bytes, list[tuple[dt.date, Decimal]]]:
    """A file of one grant a day, its dates written in ``order``, and its (day, amount) rows."""
    rows = [(day, Decimal(f"{k}.25")) for k, day in enumerate(days, 1)]
    text = "".join(f"{day.strftime(FORMATS[order])};{str(a).replace('.', ',')}\n"
                   for day, a in rows)
    return ("date;montant\n" + text).encode(), rows


def read(data: bytes, **kw) -> Ledger:
    return Ledger.read_csv(io.BytesIO(data), amount="montant", dates=["date"], **kw)


def twin(rows, first: dt.date, last: dt.date) -> Decimal:
    return sum((a for d, a in rows if first <= d <= last), Decimal(0))


@pytest.mark.parametrize("order", ["dmy", "mdy"])
def test_a_filter_reads_a_date_both_orders_read_in_the_order_the_file_was_read(order):
    data, rows = grants(order)
    ledger = read(data)
    assert ledger.date_orders == {"date": order}
    fmt = FORMATS[order]
    for day in DAYS:
        text = day.strftime(fmt)
        meant = dt.datetime.strptime(text, fmt).date()
        assert ledger.filter(date=text).total() == twin(rows, meant, meant), text
    first, last = "04/03/2016", "11/10/2016"
    lo, hi = (dt.datetime.strptime(t, fmt).date() for t in (first, last))
    assert ledger.filter(date=(first, last)).total() == twin(rows, lo, hi)


@pytest.mark.parametrize("order", ["dmy", "mdy"])
def test_the_order_said_by_the_caller_is_the_ledgers(order):
    data, rows = grants(order)
    ledger = read(data, date_order=order)
    assert ledger.date_orders == {"date": order}
    meant = dt.datetime.strptime("04/03/2016", FORMATS[order]).date()
    assert ledger.filter(date="04/03/2016").total() == twin(rows, meant, meant)


def test_a_ledger_of_iso_dates_never_decided_an_order_and_refuses_both_readings():
    rows = [(day, Decimal(k)) for k, day in enumerate(DAYS, 1)]
    data = ("date;montant\n" + "".join(f"{d.isoformat()};{a}\n" for d, a in rows)).encode()
    for ledger in (read(data), Ledger.from_columns(
            {"date": [d for d, _ in rows], "montant": [str(a) for _, a in rows]},
            amount="montant")):
        assert ledger.date_orders == {"date": "unknown"}
        with pytest.raises(essconv.ConditionError) as info:
            ledger.filter(date="04/03/2016")
        assert info.value.reason[0] == "filter-date-ambiguous"
        assert "2016-03-04" in str(info.value) and "2016-04-03" in str(info.value)
        # one reading only: that day, whatever the order
        meant = dt.date(2016, 3, 25)
        assert ledger.filter(date="25/03/2016").total() == twin(rows, meant, meant)
        assert ledger.filter(date="03/25/2016").total() == twin(rows, meant, meant)


@pytest.mark.parametrize("order", ["dmy", "mdy"])
def test_the_order_goes_with_the_ledger_through_filter_pickle_arrow_and_parquet(order, tmp_path):
    data, rows = grants(order)
    ledger = read(data)
    meant = dt.datetime.strptime("04/03/2016", FORMATS[order]).date()
    want = twin(rows, meant, meant)
    kept = ledger.filter(montant=(Decimal(0), None))   # every row, not copied yet
    again = [kept, ledger.filter(date=("01/01/2016", "12/12/2016"))]
    again += [pickle.loads(pickle.dumps(ledger, protocol=p)) for p in (2, 5)]
    pa = pytest.importorskip("pyarrow")
    table = ledger.to_arrow()
    again.append(Ledger.from_columns(table, amount="montant"))
    ledger.to_parquet(tmp_path / "g.parquet")
    again.append(Ledger.read_parquet(tmp_path / "g.parquet", amount="montant"))
    assert again[0].date_orders == {"date": order}   # a filter's rows not copied yet
    for other in again:
        days, amounts = other.values("date"), other.values("montant")   # (copied now)
        assert other.date_orders == {"date": order}
        got = other.filter(date="04/03/2016").total()
        assert got == sum((a for d, a in zip(days, amounts) if d == meant), Decimal(0))
    assert again[-1].filter(date="04/03/2016").total() == want
    # Arrow data that does not say it (another producer): never decided
    bare = pa.table({"date": table.column("date"), "montant": table.column("montant")})
    assert Ledger.from_columns(bare, amount="montant").date_orders == {"date": "unknown"}


def test_extend_keeps_the_order_both_ledgers_share_and_forgets_two_different_ones():
    french, french_rows = grants("dmy", DAYS[:40])
    other_french, other_rows = grants("dmy", DAYS[40:80])
    american, _ = grants("mdy", DAYS[80:120])
    ledger = read(french)
    ledger.extend(read(other_french))
    assert ledger.date_orders == {"date": "dmy"}
    meant = dt.date(2016, 2, 4)   # in the second ledger's days
    assert ledger.filter(date="04/02/2016").total() == twin(french_rows + other_rows, meant, meant)
    ledger.extend(read(american))
    assert ledger.date_orders == {"date": "unknown"}   # its rows were read in two orders
    with pytest.raises(essconv.ConditionError):
        ledger.filter(date="04/02/2016")
    empty = read(b"date;montant\n")
    empty.extend(read(american))
    assert empty.date_orders == {"date": "mdy"}


@pytest.mark.parametrize("text", ["2016-03-25T10:00", "2016-03-25 10:00:00", "2016-03-25T10:00Z",
                                  "25/03/2016 10:00", "2016/03/25T23:59:59.5+01:00"])
def test_a_filter_takes_a_date_and_time_as_the_reader_takes_it_in_a_cell(text):
    """The reader reads "2016-03-25T10:00" in a date cell as its day; a filter refused it."""
    data, rows = grants("dmy")
    ledger = read(data)
    cell = read(f"date;montant\n{text};1\n".encode()).values("date")
    assert len(cell) == 1 and cell[0] == dt.date(2016, 3, 25)   # the reader takes it so
    assert ledger.filter(date=text).total() == twin(rows, cell[0], cell[0])


@pytest.mark.parametrize("text", ["2016-03-25T25:00", "2016-03-25T10", "2016-03-25 au soir"])
def test_a_filter_refuses_a_date_and_time_the_reader_refuses_naming_the_text(text):
    data, _ = grants("dmy")
    with pytest.raises(essconv.ParseError):
        read(f"date;montant\n{text};1\n".encode())
    with pytest.raises(essconv.ConditionError) as info:
        read(data).filter(date=text)
    assert f"column 'date' holds dates: {text!r}" in str(info.value)
    assert "is not a date (expected 2017-09-08" in str(info.value)   # the reader's why


@pytest.mark.parametrize("order", ["dmy", "mdy"])
def test_the_arrow_capsule_export_says_the_order_in_the_field_metadata(order):
    """pa.table(ledger) (the C export, not to_arrow) carried no metadata: a ledger built again
    from it refused 04/03/2016 as never decided."""
    pa = pytest.importorskip("pyarrow")
    data, rows = grants(order)
    ledger = read(data)
    iso = read(("date;montant\n" + "".join(f"{d.isoformat()};1\n" for d in DAYS)).encode())
    for table in (pa.table(ledger), pa.RecordBatchReader.from_stream(ledger).read_all()):
        assert table.schema.field("date").metadata == {b"essconv.date_order": order.encode()}
        assert table.schema.field("montant").metadata is None
        again = Ledger.from_columns(table, amount="montant")
        assert again.date_orders == {"date": order}
        meant = dt.datetime.strptime("04/03/2016", FORMATS[order]).date()
        assert again.filter(date="04/03/2016").total() == twin(rows, meant, meant)
    # never decided: the field says nothing
    assert pa.table(iso).schema.field("date").metadata is None


@pytest.mark.parametrize("order", ["dmy", "mdy"])
def test_a_group_by_keyed_by_a_date_column_keeps_its_order(order):
    """The groups of a date column were a ledger of "unknown" order: a filter of to_ledger()
    refused the 04/03/2016 the file wrote, and so did its Arrow export, pickle and ``+``."""
    pa = pytest.importorskip("pyarrow")
    data, rows = grants(order)
    ledger = read(data)
    meant = dt.datetime.strptime("04/03/2016", FORMATS[order]).date()
    by_day = ledger.group_by("date").sum()
    by_year_and_day = ledger.group_by(essconv.year("date"), "date").sum()
    halves = [read(grants(order, DAYS[:100])[0]).group_by("date").sum(),
              read(grants(order, DAYS[100:])[0]).group_by("date").sum()]
    results = [by_day, by_day.sort(), by_day.top(400, others=True), by_year_and_day,
               pickle.loads(pickle.dumps(by_day)), pickle.loads(pickle.dumps(by_day, protocol=5)),
               halves[0] + halves[1]]
    for agg in results:
        groups = agg.to_ledger()
        assert groups.date_orders == {"date": order}
        assert pa.table(agg).schema.field("date").metadata == {
            b"essconv.date_order": order.encode()}
        days, sums = groups.values("date"), groups.values("sum")
        want = sum((s for d, s in zip(days, sums) if d == meant), Decimal(0))
        assert groups.filter(date="04/03/2016").total() == want
    assert by_day.to_ledger().filter(date="04/03/2016").total() == twin(rows, meant, meant)
    # two orders for one column: never decided, as extend says it
    other = "mdy" if order == "dmy" else "dmy"
    mixed = halves[0] + read(grants(other, DAYS[100:])[0]).group_by("date").sum()
    assert mixed.to_ledger().date_orders == {"date": "unknown"}


@pytest.mark.parametrize("text", ["hier", "2016-03-25T25:00", "2016-02-30T10:00", "le 3 mars"])
def test_a_filter_date_the_reader_refuses_gives_the_reader_s_reason_in_french(text):
    """In French the refusal said only « ne se lit pas comme une date », without the reader's
    reason the English gives.  The oracle is the reader's own French wording of the same cell
    set aside in a file (``bad_rows="collect"``)."""
    from essconv.messages import language
    data, _ = grants("dmy")
    kept = read(f"date;montant\n{text};1\n".encode(), bad_rows="collect")
    assert len(kept.bad_rows) == 1
    cell = language("fr").problem(kept.bad_rows[0])           # "colonne « date » : <why>"
    why = cell.split("\u00a0: ", 1)[1]
    with pytest.raises(essconv.ConditionError) as info:
        read(data).filter(date=text)
    french = language("fr").refusal(info.value)
    assert "ne se lit pas comme une date" in french
    assert f"({why})" in french, (french, why)
    assert "not a date" not in french and "impossible date" not in french
    english_why = kept.bad_rows[0].message.split(": ", 1)[1]   # "column 'date': <why>"
    assert f"({english_why})" in language("en").refusal(info.value)


@pytest.mark.parametrize("order", ["dmy", "mdy"])
def test_the_core_reads_the_order_from_any_arrow_producer_s_field_metadata(order):
    """The order was read back from a pyarrow schema only: a ledger built from another ledger
    (its Arrow C stream, no pyarrow object) forgot it.  The metadata is read where the core
    reads the schema, among other pairs; a value other than dmy or mdy says nothing."""
    data, rows = grants(order)
    ledger = read(data)
    again = Ledger.from_columns(ledger, amount="montant")   # no pyarrow in between
    assert again.date_orders == {"date": order}
    meant = dt.datetime.strptime("04/03/2016", FORMATS[order]).date()
    assert again.filter(date="04/03/2016").total() == twin(rows, meant, meant)
    pa = pytest.importorskip("pyarrow")
    table = pa.table(ledger)
    i = table.schema.get_field_index("date")
    field = table.schema.field(i)
    for said, read_as in [({b"source": b"x", b"essconv.date_order": order.encode(), b"z": b""},
                           order),
                          ({b"essconv.date_order": order.upper().encode()}, "unknown"),
                          ({b"essconv.date_order": order.encode() + b"y"}, "unknown"),
                          ({b"other": order.encode()}, "unknown")]:
        told = table.set_column(i, field.with_metadata(said), table.column(i))
        assert Ledger.from_columns(told, amount="montant").date_orders == {"date": read_as}
