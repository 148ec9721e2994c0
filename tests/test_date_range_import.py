"""A date column keeps the days of the years 1 to 9999 (what the CSV reader reads and Python's
``datetime.date`` holds).  An Arrow date32 or a buffer handed to ``from_arrays`` holds any
int32 (±5.8 million years): such a day is refused where it comes in, naming the column and the
row, by every entry point, so that ``to_pandas`` or ``group_by(year(...))`` never meet one."""
from __future__ import annotations

import datetime as dt
import pickle
from array import array

import pytest

import essconv
from essconv import _core
from essconv.messages import language

pa = pytest.importorskip("pyarrow")

EPOCH = dt.date(1970, 1, 1)
PAST = [-(2**31) + 1, -800000, -719163, 2932897, 3000000, 2**31 - 1]
EDGES = [-719162, -1, 0, 1, 17532, 2932896]


def python_holds(days: int) -> bool:
    """The slow twin: whether datetime itself can hold the day."""
    try:
        EPOCH + dt.timedelta(days=days)
    except OverflowError:
        return False
    return True


def table_of(days_list):
    return pa.table({"d": pa.array(days_list, type=pa.date32()),
                     "m": pa.array([1] * len(days_list), type=pa.int64())})


def refused_by(build):
    with pytest.raises(essconv.InvalidValueError) as caught:
        build()
    return caught.value


@pytest.mark.parametrize("days", PAST + EDGES)
def test_the_core_refuses_exactly_the_days_python_cannot_hold(days):
    table = table_of([0, None, days])
    if python_holds(days):
        ledger = essconv.Ledger.from_columns(table, amount="m", cents=True)
        assert ledger.values("d")[2] == EPOCH + dt.timedelta(days=days)
        assert ledger.to_pandas()["d"].tolist()[2] == EPOCH + dt.timedelta(days=days)
    else:
        error = refused_by(lambda: essconv.Ledger.from_columns(table, amount="m", cents=True))
        said = str(error)
        assert "'d'" in said and "row 3" in said and str(days) in said, said


@pytest.mark.parametrize("days", [-800000, 2932897])
def test_every_entry_point_refuses_naming_the_column_and_the_row(days, tmp_path):
    import pyarrow.parquet as pq
    table = table_of([0, 1, days])
    batch = table.combine_chunks().to_batches()[0]
    path = tmp_path / "g.parquet"
    pq.write_table(table, path)
    builds = {
        "table (stream)": lambda: essconv.Ledger.from_columns(table, amount="m", cents=True),
        "record batch (array)": lambda: essconv.Ledger.from_columns(batch, amount="m", cents=True),
        "parquet": lambda: essconv.Ledger.read_parquet(path, amount="m", cents=True),
        "from_arrays": lambda: _core.Ledger.from_arrays(
            ["d", "m"], [_core.COL_DATE, _core.COL_AMOUNT],
            [array("i", [0, 1, days]), array("q", [1, 1, 1])], [None, None]),
    }
    for name, build in builds.items():
        error = refused_by(build)
        said = str(error)
        assert "'d'" in said and "row 3" in said and str(days) in said, (name, said)
        assert error.reason == ("date-range", 3), (name, error.reason)
    assert refused_by(builds["parquet"]).path == str(path)


def test_the_row_counts_across_the_batches_of_a_stream():
    table = pa.concat_tables([table_of([0, 1]), table_of([2, 3000000])])
    assert table.column("d").num_chunks == 2
    said = str(refused_by(lambda: essconv.Ledger.from_columns(table, amount="m", cents=True)))
    assert "row 4" in said and "3000000" in said, said


def test_a_pickle_holding_a_day_past_the_years_is_refused_when_loaded():
    ledger = essconv.Ledger.from_columns(table_of([0, 1]), amount="m", cents=True)
    names, kinds, buffers, dicts, blank = essconv.ledger._core_state(ledger._core, 4)
    days = array("i", bytes(buffers[0]))
    days[1] = -800000
    buffers[0] = days.tobytes()
    said = str(refused_by(lambda: essconv.ledger._core_from_state(
        (names, kinds, buffers, dicts, blank))))
    assert "'d'" in said and "row 2" in said, said
    assert pickle.loads(pickle.dumps(ledger)).values("d") == ledger.values("d")


def test_the_refusal_is_worded_in_french():
    error = refused_by(lambda: essconv.Ledger.from_columns(table_of([0, 3000000]), amount="m",
                                                           cents=True))
    said = language("fr").refusal(error)
    assert language("fr").quote("d") in said and "ligne 2" in said and "3000000" in said and "1 à 9999" in said, said
    assert language("en").refusal(error) == str(error)


@pytest.mark.parametrize("text", ["0000-01-01", "10000-01-01", "00/01/0000"])
def test_the_csv_reader_cannot_produce_one(text):
    with pytest.raises(essconv.ParseError):
        essconv.Ledger.read_csv(f"d;m\n{text};1\n".encode(), amount="m", dates=["d"])
    last = essconv.Ledger.read_csv(b"d;m\n31/12/9999;1\n01/01/0001;2\n", amount="m", dates=["d"])
    assert last.values("d") == [dt.date.max, dt.date.min]


def test_a_numpy_datetime64_past_the_years_is_refused_naming_the_column_and_the_row():
    """numpy's ``tolist()`` gives such a day as a bare int: ``int - date`` raised Python's
    TypeError, naming nothing."""
    np = pytest.importorskip("numpy")
    for text in ("-0010-01-01", "12000-01-01"):
        days = np.array(["2017-01-01", "NaT", text], dtype="datetime64[D]")
        said = str(refused_by(lambda: essconv.Ledger.from_columns(
            {"d": days, "m": [1, 2, 3]}, amount="m")))
        assert "'d'" in said and "row 3" in said and "1 to 9999" in said, said
    good = np.array(["0001-01-01", "NaT", "9999-12-31"], dtype="datetime64[D]")
    ledger = essconv.Ledger.from_columns({"d": good, "m": [1, 2, 3]}, amount="m")
    assert ledger.values("d") == [dt.date.min, None, dt.date.max]


@pytest.mark.parametrize("other", ["2017-01-02", 17533, 1.5])
def test_a_value_of_another_kind_among_dates_is_refused_naming_the_column_and_the_row(other):
    with pytest.raises(essconv.ArgumentTypeError) as caught:
        essconv.Ledger.from_columns({"d": [dt.date(2017, 1, 1), None, other], "m": [1, 2, 3]},
                                    amount="m")
    said = str(caught.value)
    assert "'d'" in said and "row 3" in said and repr(other) in said, said


def test_a_datetime_among_dates_is_its_day_as_the_reader_reads_one():
    """The CSV reader reads "2017-09-08T10:30" as the day 2017-09-08; a datetime (a pandas
    Timestamp column) is read alike, first or among dates."""
    cells = [dt.datetime(2017, 9, 8, 10, 30), dt.date(2018, 1, 2), dt.datetime(2019, 3, 4)]
    for values in (cells, cells[1:] + cells[:1]):
        ledger = essconv.Ledger.from_columns({"d": values, "m": [1, 2, 3]}, amount="m")
        assert ledger.values("d") == [v.date() if isinstance(v, dt.datetime) else v
                                      for v in values]
    read = essconv.Ledger.read_csv(b"d;m\n2017-09-08T10:30;1\n", amount="m", dates=["d"])
    assert read.values("d") == [dt.date(2017, 9, 8)]


@pytest.mark.parametrize("unit", ["ns", "us", "ms", "s", "h"])
def test_a_numpy_datetime64_column_of_any_unit_is_a_date_column_of_its_days(unit):
    """numpy's ``tolist()`` gives a ``datetime64[ns]`` (what ``frame["d"].to_numpy()`` gives)
    as bare ints of nanoseconds: the column became an int column holding them, no date left,
    without a word.  Each unit is its day, floored as a timestamp's day is (one nanosecond
    before 1970 is 31 December 1969); NaT is missing."""
    np = pytest.importorskip("numpy")
    days = np.array(["2017-03-25T10:00", "NaT", "1969-12-31T23:59"],
                    dtype="datetime64[m]").astype(f"datetime64[{unit}]")
    ledger = essconv.Ledger.from_columns({"m": [1, 2, 3], "d": days}, amount="m")
    assert ledger.values("d") == [dt.date(2017, 3, 25), None, dt.date(1969, 12, 31)]
    assert ledger.group_by("d").sum().to_dict() == {
        dt.date(2017, 3, 25): 1, dt.date(1969, 12, 31): 3, None: 2}


def test_a_numpy_timedelta64_column_is_refused_naming_the_column():
    """A duration is neither a date nor a count: its ``tolist()`` ints (nanoseconds) made an
    int column of them, and its ``timedelta`` objects the labels "1 day, 0:00:00"."""
    np = pytest.importorskip("numpy")
    for unit in ("ns", "D"):
        with pytest.raises(essconv.ArgumentTypeError, match="'d'"):
            essconv.Ledger.from_columns(
                {"m": [1], "d": np.array([1], dtype=f"timedelta64[{unit}]")}, amount="m")


@pytest.mark.parametrize("dtype", ["datetime64[ns]", "datetime64[D]", "timedelta64[ns]"])
def test_numpy_dates_or_durations_given_as_the_amount_are_refused_as_no_amount(dtype):
    """numpy refuses them a buffer with Python's bare ValueError ("cannot include dtype 'M'"),
    naming neither the column nor what an amount is."""
    np = pytest.importorskip("numpy")
    with pytest.raises(essconv.AmountTypeError, match="'m'"):
        essconv.Ledger.from_columns({"m": np.array([1], dtype=dtype)}, amount="m")
