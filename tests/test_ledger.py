"""The ledger: reading, exact group-by and pivot against a slow pure-Python twin, interop."""
from __future__ import annotations

import datetime as dt
import io
import random
import threading
from collections import defaultdict
from decimal import Decimal

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import essconv
import essconv.display   # ledger_html: a submodule, not imported by essconv itself
from essconv import Ledger
from conftest import first_success_under_failing_allocations


def make_csv(rows, sep=";", decimal=",", encoding="utf-8"):
    lines = [sep.join(["annee", "territoire", "ligne", "financeur", "montant", "date"])]
    for r in rows:
        amount = f"{r[4] // 100}{decimal}{r[4] % 100:02d}" if r[4] >= 0 else \
            f"-{(-r[4]) // 100}{decimal}{(-r[4]) % 100:02d}"
        lines.append(sep.join([str(r[0]), r[1], r[2], r[3], amount, r[5]]))
    return ("\r\n".join(lines) + "\r\n").encode(encoding)


def twin_group(rows, keys):
    """The slow obvious twin: a dict of Decimal sums."""
    out = defaultdict(lambda: Decimal(0))
    for r in rows:
        k = tuple(r[i] for i in keys)
        out[k if len(k) > 1 else k[0]] += Decimal(r[4]) / 100
    return dict(out)


row = st.tuples(st.integers(2009, 2013), st.sampled_from(["Lille", "Arras", "Douai", "Béthune"]),
                st.sampled_from(["DLA", "MPA", "FIDESS"]), st.sampled_from(["CDC", "CR-NPDC", "ETAT"]),
                st.integers(-10**10, 10**10), st.sampled_from(["2010-05-01", "", "31/12/2012"]))


@settings(max_examples=50, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(row, min_size=1, max_size=300), st.sampled_from([";", "\t", ","]))
def test_group_by_equals_a_python_twin(rows, sep):
    decimal = "." if sep == "," else ","
    ledger = Ledger.read_csv(io.BytesIO(make_csv(rows, sep, decimal)), amount="montant",
                             ints=["annee"], dates=["date"])
    assert len(ledger) == len(rows)
    assert ledger.total() == sum((Decimal(r[4]) / 100 for r in rows), Decimal(0))
    assert ledger.group_by("financeur").sum().to_dict() == twin_group(rows, [3])
    assert ledger.group_by("annee", "territoire").sum().to_dict() == twin_group(rows, [0, 1])
    counts = ledger.group_by("ligne").count().to_dict()
    assert counts == {k: sum(1 for r in rows if r[2] == k) for k in {r[2] for r in rows}}
    mins = ledger.group_by("financeur").min().to_dict()
    assert mins == {k: min(Decimal(r[4]) / 100 for r in rows if r[3] == k) for k in {r[3] for r in rows}}
    pivot = ledger.pivot(rows="territoire", columns="financeur")
    for (t, f), v in twin_group(rows, [1, 3]).items():
        assert pivot.cell(t, f) == v
    assert pivot.total() == ledger.total()
    assert pivot.pivot().get("total", "total") == ledger.total()
    by_date = ledger.group_by("date").sum().to_dict()
    assert sum(by_date.values()) == ledger.total()
    # the same file with one quote in it goes through the general tokenizer, not the fast
    # line-by-line path: both must agree on everything
    quoted = make_csv(rows, sep, decimal).replace(b"annee", b'"annee"', 1)
    general = Ledger.read_csv(io.BytesIO(quoted), amount="montant", ints=["annee"], dates=["date"])
    assert general.group_by("annee", "territoire").sum().to_dict() == \
        ledger.group_by("annee", "territoire").sum().to_dict()
    assert general.labels("financeur") == ledger.labels("financeur")


def test_large_ledger_uses_both_threads_and_the_hash_kernel_agrees():
    rng = random.Random(7)
    n = 400_000
    funders = [f"F{k}" for k in range(10)]
    cols = {"funder": [rng.choice(funders) for _ in range(n)],
            "beneficiary": [f"B{rng.randrange(3_000_000)}" for _ in range(n)],
            "cents": [rng.randrange(-10**9, 10**9) for _ in range(n)]}
    ledger = Ledger.from_columns({"funder": cols["funder"], "beneficiary": cols["beneficiary"],
                                  "montant": cols["cents"]}, amount="montant", cents=True)
    agg = ledger.group_by("funder").sum()
    assert agg.threads == 2 and agg.dense
    twin = defaultdict(int)
    for f, c in zip(cols["funder"], cols["cents"]):
        twin[f] += c
    assert agg.to_dict() == {k: Decimal(v) / 100 for k, v in twin.items()}
    # beneficiary x funder has more combinations than the dense table: hashed
    many = ledger.group_by("beneficiary", "funder").sum()
    assert not many.dense
    twin2 = defaultdict(int)
    for b, f, c in zip(cols["beneficiary"], cols["funder"], cols["cents"]):
        twin2[(b, f)] += c
    got = many.to_dict()
    assert len(got) == len(twin2)
    sample = rng.sample(list(twin2), 2000)
    assert all(got[k] == Decimal(twin2[k]) / 100 for k in sample)
    assert sum(got.values()) == ledger.total()


def test_overflow_is_an_error_never_a_wrap():
    big = 2**62
    ledger = Ledger.from_columns({"f": ["a", "a", "b"], "montant": [big, big, 1]},
                                 amount="montant", cents=True)
    with pytest.raises(OverflowError):
        ledger.total()
    with pytest.raises(OverflowError):
        ledger.group_by("f").sum()


#: int64 cents' largest amount: two of them pass int64 on the way, a third of the opposite sign
#: comes back
_TOP = 2**63 - 1


def _pivot_of(lines, amounts):
    """A ledger of one record per (line, funder) cell, funders "A", "B", "C"... on each line."""
    from array import array
    funders = [chr(ord("A") + k - lines.index(line)) for k, line in enumerate(lines)]
    ledger = Ledger.from_columns({"line": lines, "f": funders, "m": array("q", amounts)},
                                 amount="m", cents=True)
    return ledger, ledger.pivot("line", "f")


def test_pivot_margins_whose_running_sum_passes_int64_give_the_ledger_sums():
    """A pivot's margins were added two at a time, each partial checked: a line holding
    [max, max, -max] refused its total, by_line(), validate() and pivot() where the ledger's
    group_by gives that line's sum.  They add exactly, refused only past int64 at the end."""
    top = Decimal(_TOP) / 100
    ledger, plan = _pivot_of(["L", "L", "L"], [_TOP, _TOP, -_TOP])
    assert ledger.group_by("line").sum().to_dict() == {"L": top} == plan.by_line()
    assert plan.total() == ledger.total() == top
    assert plan.validate().ok
    table = plan.pivot()
    assert table.get("total", "total") == top
    # two lines whose own sums pass int64 both ways: the grand total adds every cell
    ledger, plan = _pivot_of(["L", "L", "M", "M"], [_TOP, _TOP, -_TOP, -_TOP])
    assert plan.total() == ledger.total() == 0
    assert plan.by_funder() == {"A": 0, "B": 0}
    with pytest.raises(essconv.MoneyOverflowError, match="overflow int64 cents"):
        plan.by_line()


@pytest.mark.parametrize("amounts, side", [([_TOP, 1, -1, _TOP], "beyond"),
                                           ([-_TOP - 1, -1, 1, -1], "below")])
def test_pivot_margins_past_int64_once_all_are_added_are_refused(amounts, side):
    """Exact margins never make a sum past int64 a number: refused, saying which end."""
    _, plan = _pivot_of(["L"] * len(amounts), amounts)
    for ask in (plan.total, plan.by_line, plan.pivot, plan.validate):
        with pytest.raises(essconv.MoneyOverflowError, match=side):
            ask()


@pytest.mark.parametrize("header", [b"annee;financeur;montant", b'annee;"financeur";montant'])
def test_bad_rows_raise_with_place_or_are_collected(tmp_path, header):
    """The fast path (no quote in the file) and the general tokenizer say the same."""
    p = tmp_path / "g.csv"
    p.write_bytes(header + b"\n2009;CDC;12\n2009;CR;NC\n\n;;\n2010;CDC\n2010;CR;3,5\n")
    with pytest.raises(essconv.ParseError) as info:
        Ledger.read_csv(p, amount="montant")
    err = info.value
    assert (err.path, err.line, err.column) == (str(p), 3, 9) and "NC" in str(err)
    ledger = Ledger.read_csv(p, amount="montant", bad_rows="collect")
    assert len(ledger) == 2 and ledger.total() == Decimal("15.5")
    assert [(b.line, b.column) for b in ledger.bad_rows] == [(3, 9), (6, 1)]
    assert ledger.blank_rows == 2


def test_progress_callback_and_its_errors(tmp_path):
    p = tmp_path / "big.csv"
    p.write_bytes(b"f;montant\n" + b"CDC;1,00\n" * 300_000)
    seen = []
    ledger = Ledger.read_csv(p, amount="montant", progress=lambda done, total: seen.append((done, total)))
    assert len(ledger) == 300_000 and seen and seen[-1][1] == p.stat().st_size
    def stop(done, total):
        raise KeyboardInterrupt
    with pytest.raises(KeyboardInterrupt):
        Ledger.read_csv(p, amount="montant", progress=stop)


def test_filter_labels_ranges_dates():
    ledger = Ledger.from_columns({
        "f": ["CDC", "CR", "CDC", None], "annee": [2009, 2010, 2011, 2012],
        "d": [dt.date(2010, 1, 1), dt.date(2011, 6, 1), None, dt.date(2012, 1, 1)],
        "montant": [Decimal("1.10"), "2,20", 3, Decimal("4")]}, amount="montant")
    assert ledger.filter(f="CDC").total() == Decimal("4.10")
    assert ledger.filter(f={"CDC", None}).total() == Decimal("8.10")
    assert ledger.filter(annee=range(2010, 2012)).total() == Decimal("5.20")
    assert ledger.filter(d=(dt.date(2011, 1, 1), None)).total() == Decimal("6.20")
    assert ledger.filter(montant=(Decimal(2), None)).total() == Decimal("9.20")
    assert ledger.values("d")[2] is None and ledger.values("f")[3] is None


def test_floats_are_refused():
    with pytest.raises(TypeError):
        Ledger.from_columns({"f": ["a"], "montant": [1.5]}, amount="montant")
    np = pytest.importorskip("numpy")
    with pytest.raises(TypeError):
        Ledger.from_columns({"f": ["a"], "montant": np.array([1.5])}, amount="montant")


def test_numpy_buffers_and_buffer_exports_block_mutation():
    np = pytest.importorskip("numpy")
    cents = np.array([150, 250, -100], dtype=np.int64)
    ledger = Ledger.from_columns({"f": np.array(["a", "b", "a"]), "montant": cents},
                                 amount="montant", cents=True)
    assert ledger.total() == Decimal("3")
    view = ledger.column("montant")
    assert np.frombuffer(view, dtype=np.int64).tolist() == [150, 250, -100]
    with pytest.raises(BufferError):
        ledger.extend(ledger.filter(f="a"))
    view.release()
    ledger.extend(ledger.filter(f="a"))
    assert len(ledger) == 5 and ledger.total() == Decimal("3.50")


def test_a_column_buffers_strides_do_not_point_into_the_callers_struct():
    # the export's strides pointed at view->itemsize, inside the caller's Py_buffer: a consumer
    # that copies the struct and drops the original (as the buffer protocol allows) read a
    # dangling pointer.  They point into the column object, which the export keeps alive.
    import ctypes

    class PyBuffer(ctypes.Structure):
        _fields_ = [("buf", ctypes.c_void_p), ("obj", ctypes.c_void_p),
                    ("len", ctypes.c_ssize_t), ("itemsize", ctypes.c_ssize_t),
                    ("readonly", ctypes.c_int), ("ndim", ctypes.c_int), ("format", ctypes.c_char_p),
                    ("shape", ctypes.POINTER(ctypes.c_ssize_t)),
                    ("strides", ctypes.POINTER(ctypes.c_ssize_t)),
                    ("suboffsets", ctypes.c_void_p), ("internal", ctypes.c_void_p)]

    get = ctypes.pythonapi.PyObject_GetBuffer
    get.argtypes, get.restype = [ctypes.py_object, ctypes.POINTER(PyBuffer), ctypes.c_int], ctypes.c_int
    release = ctypes.pythonapi.PyBuffer_Release
    release.argtypes, release.restype = [ctypes.POINTER(PyBuffer)], None
    ledger = Ledger.from_columns({"f": ["a", "b"], "montant": ["1", "2"]}, amount="montant")
    for name, width in (("montant", 8), ("f", 4)):
        column = ledger._core.column(ledger.columns.index(name))
        original = PyBuffer()
        assert get(column, ctypes.byref(original), 0x18) == 0   # PyBUF_STRIDES
        kept = PyBuffer.from_buffer_copy(original)
        ctypes.memset(ctypes.addressof(original), 0, ctypes.sizeof(original))   # dropped
        assert (kept.shape[0], kept.strides[0], kept.itemsize) == (2, width, width)
        release(ctypes.byref(kept))
    ledger.extend(ledger.filter(f="a"))   # every export released: the ledger may grow again
    assert len(ledger) == 3


def test_arrow_pandas_polars_duckdb_get_exact_decimals():
    pa = pytest.importorskip("pyarrow")
    ledger = Ledger.from_columns({"f": ["CDC", "CR", "CDC"], "annee": [2009, 2010, 2009],
                                  "montant": ["0,10", "0,20", "1 000,70"]}, amount="montant")
    table = pa.table(ledger)
    assert str(table.schema.field("montant").type) == "decimal128(38, 2)"
    assert table.column("montant").to_pylist() == [Decimal("0.10"), Decimal("0.20"), Decimal("1000.70")]
    assert pa.types.is_dictionary(table.schema.field("f").type)
    agg = ledger.group_by("f").sum()
    assert pa.table(agg).to_pydict() == {"f": ["CDC", "CR"], "sum": [Decimal("1000.80"), Decimal("0.20")],
                                         "count": [2, 1],
                                         "mean": [Decimal("500.40"), Decimal("0.20")]}
    df = ledger.to_pandas()
    assert df["montant"].sum() == Decimal("1001.00")
    back = Ledger.from_columns(table, amount="montant")
    assert back.total() == ledger.total()


@pytest.mark.parametrize("amounts, point", [
    (["12.500", "3.25"], "."),          # a decimal point elsewhere: 12,5
    (["250.75", "1,500"], "."),         # ... and the comma groups: 1 500
    (["12.500", "1 250,50"], ","),      # a decimal comma elsewhere: the point groups, 12 500
    (["1,500", "2,25"], ","),
])
def test_printed_amounts_in_columns_are_read_on_the_column_evidence(amounts, point):
    # from_columns read each text alone: "12.500" beside "3.25" was 12 500, where the same
    # column in a CSV file reads 12,5 -- and "1,500" beside "250.75" a thousandth of 1 500
    def oracle(text: str) -> Decimal:
        text = text.replace(" ", "")
        grouping = "," if point == "." else "."
        return Decimal(text.replace(grouping, "").replace(",", "."))
    ledger = Ledger.from_columns({"f": ["a", "b"], "montant": amounts}, amount="montant")
    assert ledger.values("montant") == [oracle(a) for a in amounts]
    csv_file = ("f;montant\n" + "".join(f"{k};{a}\n" for k, a in zip("ab", amounts))).encode()
    assert Ledger.read_csv(csv_file, amount="montant").values("montant") == ledger.values("montant")


def test_a_printed_amount_nothing_decides_is_refused_in_columns_too():
    with pytest.raises(essconv.AmountError, match=r"'montant', row 2: the amount '12.500' could be"):
        Ledger.from_columns({"montant": [Decimal("1.5"), "12.500", 7]}, amount="montant")
    both = Ledger.from_columns({"montant": ["12.500", "7"]}, amount="montant", decimal=".")
    assert both.total() == Decimal("12.5") + Decimal("7")
    assert Ledger.from_columns({"montant": ["12.500", "7"]}, amount="montant",
                               decimal=",").total() == Decimal("12500") + Decimal("7")
    with pytest.raises(essconv.AmountError, match="'NC' is not an amount"):   # as before
        Ledger.from_columns({"montant": ["1", "NC"]}, amount="montant")


def test_pandas_keeps_an_int_column_with_a_missing_value_whole():
    # a missing int made pandas hold the column as float64: 2017 was 2017.0 and an int past
    # 2**53 (a 17-digit reference) another number, silently
    pd = pytest.importorskip("pandas")
    text = "ref;annee;montant\n9007199254740993;2017;1,50\n;;2\n12345678901234567;2018;3\n"
    ledger = Ledger.read_csv(text.encode(), amount="montant", ints=["ref", "annee"])
    cells = [line.split(";") for line in text.splitlines()[1:]]
    df = ledger.to_pandas()
    assert [None if v is pd.NA else v for v in df["ref"]] == [int(c[0]) if c[0] else None
                                                              for c in cells]
    assert [None if v is pd.NA else v for v in df["annee"]] == [int(c[1]) if c[1] else None
                                                                for c in cells]
    assert sum(df["montant"]) == sum(Decimal(c[2].replace(",", ".")) for c in cells)
    back = Ledger.from_columns(df, amount="montant")   # the frame reads back as it was
    assert back.values("ref") == ledger.values("ref") and back.total() == ledger.total()
    by_ref = ledger.group_by("ref").sum().to_pandas()
    assert sorted(v for v in by_ref["ref"] if v is not pd.NA) == [9007199254740993,
                                                                  12345678901234567]
    assert sum(v is pd.NA for v in by_ref["ref"]) == 1
    # without a missing value an int column stays int64
    assert str(Ledger.read_csv(b"annee;montant\n2017;1\n", amount="montant",
                               ints=["annee"]).to_pandas()["annee"].dtype) == "int64"


def test_a_frame_of_no_row_reads_back_as_a_ledger_of_no_row():
    """A filter that kept nothing, through pandas and back: its Decimal column of no value is
    Arrow's null type to pandas, and was refused as "the Arrow format 'n', which a ledger cannot
    hold" where the same frame with rows reads back.  A ledger of no row, the same columns; an
    amount column of that type with rows, every amount missing, is still refused."""
    pd = pytest.importorskip("pandas")
    pa = pytest.importorskip("pyarrow")
    ledger = Ledger.from_columns({"f": ["CDC", "CR"], "annee": [2017, 2018],
                                  "montant": ["1,50", "2"]}, amount="montant")
    with pytest.warns(essconv.UnknownLabelWarning):
        nothing = ledger.filter(f="Etat")
    for frame, amount in ((nothing.to_pandas(), "montant"),
                          (nothing.group_by("f").sum().to_pandas(), "sum"),
                          (pd.DataFrame({"f": [], "montant": []}, dtype=object), "montant")):
        back = Ledger.from_columns(frame, amount=amount)
        assert len(back) == 0 and back.total() == 0
        assert back.columns == list(frame.columns) and back.amount == amount
    assert Ledger.from_columns(nothing.to_pandas(), amount="montant").kinds == nothing.kinds
    with pytest.raises(essconv.AmountTypeError, match="'montant' has the Arrow format 'n'"):
        Ledger.from_columns(pa.table({"f": ["CDC"], "montant": pa.nulls(1)}), amount="montant")

def test_an_aggregate_of_no_group_reads_back_with_the_kinds_of_one_with_groups():
    """An aggregate of no group through pandas: its mean, Decimal objects of no row, is Arrow's
    null type, and read back as labels where an aggregate with groups gives amounts, so
    extending one with the other was refused for different columns.  A column of that type
    after the amount, in a frame of no row, is an amount kept as a decimal there is; before
    the amount, or with rows (every value missing), it stays a label column."""
    pd = pytest.importorskip("pandas")
    pa = pytest.importorskip("pyarrow")
    ledger = Ledger.from_columns({"f": ["CDC", "CR"], "montant": ["1,50", "2"]}, amount="montant")
    with pytest.warns(essconv.UnknownLabelWarning):
        nothing = ledger.filter(f="Etat")
    for method in ("sum", "mean"):
        full = Ledger.from_columns(getattr(ledger.group_by("f"), method)().to_pandas(), amount="sum")
        empty = Ledger.from_columns(getattr(nothing.group_by("f"), method)().to_pandas(),
                                    amount="sum")
        assert len(empty) == 0 and empty.kinds == full.kinds
        empty.extend(full)
        assert len(empty) == 2 and empty.total() == ledger.total()
    assert Ledger.from_columns(pa.table({"f": pa.nulls(0), "montant": pa.array([], pa.int64()),
                                         "note": pa.nulls(0)}), amount="montant").kinds == {
        "f": "label", "montant": "amount", "note": "amount"}
    assert Ledger.from_columns(pa.table({"montant": [1], "note": pa.nulls(1)}),
                               amount="montant").kinds == {"montant": "amount", "note": "label"}


def test_a_date_column_of_no_row_reads_back_from_pandas_as_dates():
    """pyarrow gives a date column to pandas as datetime.date objects: with no row that is an
    object column of no value, which pandas hands on as Arrow's null type, read back as labels
    where the same frame with rows read back as dates.  A ledger of no row keeps its kinds
    through pandas, whichever ``amounts``; to Parquet too."""
    pd = pytest.importorskip("pandas")
    pytest.importorskip("pyarrow")
    import datetime
    ledger = Ledger.from_columns({"f": ["CDC", "CR"], "d": [datetime.date(2017, 1, 2), None],
                                  "montant": ["1,50", "2"]}, amount="montant")
    with pytest.warns(essconv.UnknownLabelWarning):
        nothing = ledger.filter(f="Etat")
    for amounts in ("decimal", "arrow", "cents"):
        back = Ledger.from_columns(nothing.to_pandas(amounts=amounts), amount="montant",
                                   cents=amounts == "cents")
        assert back.kinds == ledger.kinds and len(back) == 0
        back.extend(ledger)   # joins a dated ledger, which a label column refused
        assert len(back) == 2 and back.kinds == ledger.kinds
    # a frame of rows filtered in pandas down to none: its object column of no value, known
    # for a date column by the frame to_pandas made
    frame = ledger.to_pandas()
    emptied = frame[frame["f"] == "Etat"]
    assert str(emptied["d"].dtype) == "object"
    assert Ledger.from_columns(emptied, amount="montant").kinds == ledger.kinds
    # with rows the column is still datetime.date objects, as before
    assert ledger.to_pandas()["d"].tolist()[0] == datetime.date(2017, 1, 2)
    assert Ledger.from_columns(ledger.to_pandas(), amount="montant").kinds == ledger.kinds


@pytest.mark.parametrize("amounts", ["decimal", "arrow", "cents"])
def test_to_pandas_gives_exact_amounts_in_each_form(amounts):
    """Decimal objects cost a Python object a row (seconds for ten million rows): ``amounts=
    "arrow"`` gives Arrow's decimal128 column as it is, ``"cents"`` int64 cents; each exact
    against the Decimal sum of the texts read, on a ledger, a filter's result (its rows not
    copied yet) and an aggregate, and read back into a ledger the same."""
    pd = pytest.importorskip("pandas")
    pytest.importorskip("pyarrow")
    rng = random.Random(11)
    texts = [f"{rng.randrange(-10**12, 10**12) / 100:.2f}" for _ in range(3000)] + \
        ["92233720368547758.07", "-92233720368547758.08"]   # int64 cents' ends, exact
    funders = [rng.choice(["CDC", "CR", "Etat"]) for _ in texts[:-2]] + ["Ext", "Ext"]
    ledger = Ledger.from_columns({"f": funders, "montant": texts}, amount="montant")
    kept = ledger.filter(f={"CDC", "CR"})
    for frame_of, wanted in ((ledger, [Decimal(t) for t in texts]),
                             (kept, [Decimal(t) for t, f in zip(texts, funders) if f in ("CDC", "CR")])):
        frame = frame_of.to_pandas(amounts=amounts)
        column = frame["montant"]
        got = [Decimal(int(v)) / 100 for v in column] if amounts == "cents" else list(column)
        assert got == wanted and all(isinstance(v, Decimal) for v in got[:3])
        assert str(column.dtype) == {"decimal": "object", "arrow": "decimal128(38, 2)[pyarrow]",
                                     "cents": "int64"}[amounts]
        assert str(frame["f"].dtype) == "category"
        back = Ledger.from_columns(frame, amount="montant", cents=amounts == "cents")
        assert back.values("montant") == wanted
    sums = ledger.group_by("f").sum().to_pandas(amounts=amounts)
    for funder, total in zip(sums["f"], sums["sum"]):
        twin = sum((Decimal(t) for t, f in zip(texts, funders) if f == funder), Decimal(0))
        assert (Decimal(int(total)) / 100 if amounts == "cents" else total) == twin
    with pytest.raises(essconv.InvalidValueError, match="one of decimal, arrow, cents"):
        ledger.to_pandas(amounts="float")


def test_aggregates_of_partitions_combine_exactly():
    rng = random.Random(3)
    rows = [(rng.choice("ABC"), rng.randrange(-10**6, 10**6)) for _ in range(2000)]
    whole = Ledger.from_columns({"f": [r[0] for r in rows], "montant": [r[1] for r in rows]},
                                amount="montant", cents=True)
    a = Ledger.from_columns({"f": [r[0] for r in rows[:700]], "montant": [r[1] for r in rows[:700]]},
                            amount="montant", cents=True)
    b = Ledger.from_columns({"f": [r[0] for r in rows[700:]], "montant": [r[1] for r in rows[700:]]},
                            amount="montant", cents=True)
    combined = a.group_by("f").agg() + b.group_by("f").agg()
    full = whole.group_by("f").agg()
    assert combined.to_dict("sum") == full.to_dict("sum")
    assert combined.to_dict("count") == full.to_dict("count")
    assert combined.to_dict("min") == full.to_dict("min")


def test_threads_share_a_ledger():
    rng = random.Random(11)
    n = 300_000
    ledger = Ledger.from_columns({"f": [rng.choice("ABCDEFG") for _ in range(n)],
                                  "montant": [rng.randrange(10**6) for _ in range(n)]},
                                 amount="montant", cents=True)
    expected = ledger.group_by("f").sum().to_dict()
    results, errors = [], []
    def work():
        try:
            for _ in range(5):
                results.append(ledger.group_by("f").sum().to_dict() == expected)
        except Exception as exc:  # pragma: no cover - reported below
            errors.append(exc)
    threads = [threading.Thread(target=work) for _ in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert not errors and len(results) == 40 and all(results)


def test_repr_and_html_show_the_head_only():
    ledger = Ledger.from_columns({"f": [f"x{i}" for i in range(100)], "montant": list(range(100))},
                                 amount="montant")
    html = essconv.display.ledger_html(ledger, lang="en")
    assert "100 rows" in html and "x9<" in html and "x50<" not in html and "85 more rows" in html
    assert "x95<" in html and "x99<" in html and "x94<" not in html      # the last rows too
    assert "100 rows" in repr(ledger)


def test_memory_errors_at_every_core_allocation_leave_objects_usable(annex_tsv):
    """The core's N-th allocation fails, for every N, in read_plan/validate and read_csv/group_by:
    each step raises MemoryError and the objects made before stay usable."""
    keep = essconv.read_plan(annex_tsv)
    data = annex_tsv.read_bytes()
    csv_bytes = b"f;annee;montant\nCDC;2009;1,50\nCR;2010;2\nCDC;2009;0,50\n"
    def plan_path():
        plan = essconv.read_plan(io.BytesIO(data))
        return plan.validate().codes()
    def ledger_path():
        ledger = Ledger.read_csv(io.BytesIO(csv_bytes), amount="montant", ints=["annee"])
        return ledger.group_by("f", "annee").sum().to_dict()
    for path in (plan_path, ledger_path):
        expected = path()
        got, failures = first_success_under_failing_allocations(path)
        assert got == expected
        assert failures > 20
        assert keep.validate().codes()[:4] == ["row-total", "malformed-number", "column-total",
                                               "grand-total"]


def test_parsing_and_grouping_from_eight_threads_at_once():
    """read_csv and group_by release the GIL: 8 threads parse their own files and group a shared
    ledger at the same time; every result is checked."""
    files = {}
    for t in range(8):
        rows = [(f"F{(t + i) % 5}", (i * 37) % 10_000) for i in range(20_000)]
        data = "f;montant\n" + "".join(f"{f};{c // 100},{c % 100:02d}\n" for f, c in rows)
        twin = defaultdict(int)
        for f, c in rows:
            twin[f] += c
        files[t] = (data.encode(), {k: Decimal(v) / 100 for k, v in twin.items()})
    shared = Ledger.read_csv(io.BytesIO(files[0][0]), amount="montant")
    shared_expected = files[0][1]
    errors, checked = [], []
    def work(t):
        try:
            for _ in range(3):
                mine = Ledger.read_csv(io.BytesIO(files[t][0]), amount="montant")
                assert mine.group_by("f").sum().to_dict() == files[t][1]
                assert shared.group_by("f").sum().to_dict() == shared_expected
                checked.append(t)
        except Exception as exc:  # pragma: no cover - reported below
            errors.append(exc)
    threads = [threading.Thread(target=work, args=(t,)) for t in range(8)]
    for th in threads:
        th.start()
    for th in threads:
        th.join()
    assert not errors and len(checked) == 24


@settings(max_examples=40)
@given(st.lists(st.tuples(st.sampled_from("ABCD"), st.integers(-10**12, 10**12)), min_size=1,
                max_size=200), st.data())
def test_sum_over_any_partition_equals_the_total(rows, data):
    cut = sorted(data.draw(st.lists(st.integers(0, len(rows)), max_size=4)))
    bounds = [0] + cut + [len(rows)]
    parts = [rows[a:b] for a, b in zip(bounds, bounds[1:])]
    whole = Ledger.from_columns({"f": [r[0] for r in rows], "montant": [r[1] for r in rows]},
                                amount="montant", cents=True)
    combined = None
    total = Decimal(0)
    for part in parts:
        if not part:
            continue
        ledger = Ledger.from_columns({"f": [r[0] for r in part], "montant": [r[1] for r in part]},
                                     amount="montant", cents=True)
        total += ledger.total()
        agg = ledger.group_by("f").agg()
        combined = agg if combined is None else combined + agg
    assert total == whole.total()
    assert combined.to_dict("sum") == whole.group_by("f").sum().to_dict()
    pivot = whole.pivot(rows="f", columns="f")
    assert pivot.pivot().get("total", "total") == whole.total()


def test_arrow_input_through_the_c_interface_without_pyarrow_conversions():
    """Any producer of the Arrow PyCapsule interface: pyarrow tables and slices, polars frames
    (string views, categoricals), duckdb relations; decimals, dates, ints, nulls; floats and
    missing amounts refused."""
    pa = pytest.importorskip("pyarrow")
    import datetime as dt
    table = pa.table({
        "f": ["CDC", "CR", None],
        "long": ["a" * 20, "b" * 30, "c"],
        "d": pa.array([dt.date(2010, 1, 1), None, dt.date(2011, 1, 1)]),
        "annee": pa.array([2009, 2010, None], pa.int16()),
        "montant": pa.array([Decimal("1.10"), Decimal("2.2"), Decimal("3")], pa.decimal128(10, 2))})
    ledger = Ledger.from_columns(table, amount="montant")
    assert ledger.kinds == {"f": "label", "long": "label", "d": "date", "annee": "int", "montant": "amount"}
    assert ledger.values("f") == ["CDC", "CR", None] and ledger.values("annee") == [2009, 2010, None]
    assert ledger.values("d")[1] is None and ledger.total() == Decimal("6.30")
    assert Ledger.from_columns(table.slice(1), amount="montant").values("f") == ["CR", None]
    assert Ledger.from_columns(pa.table(ledger), amount="montant").total() == ledger.total()
    ints = pa.table({"f": ["a", "b"], "montant": pa.array([150, -25], pa.int64())})
    assert Ledger.from_columns(ints, amount="montant").total() == Decimal(125)
    assert Ledger.from_columns(ints, amount="montant", cents=True).total() == Decimal("1.25")
    with pytest.raises(TypeError, match="never floats"):
        Ledger.from_columns(pa.table({"x": [1.5], "montant": [1]}), amount="montant")
    with pytest.raises(ValueError, match="missing"):
        Ledger.from_columns(pa.table({"montant": pa.array([1, None])}), amount="montant")
    try:
        import polars as pl
    except ImportError:
        pl = None
    if pl is not None:
        frame = pl.from_arrow(table).with_columns(pl.col("f").cast(pl.Categorical))
        from_polars = Ledger.from_columns(frame, amount="montant")
        assert from_polars.values("long") == ledger.values("long")
        assert from_polars.values("f") == ledger.values("f") and from_polars.total() == ledger.total()


# ---------------------------------------------------------------------------- filter conditions
FILTERED = (b"annee;an;financeur;montant;date\n2016;2016;CDC;1;2016-01-02\n"
            b"2017;2017;CR;2;2017-03-04\n2018;2018;CDC;4;2018-01-01\n")


def test_a_filter_value_is_converted_to_its_column_kind_when_unambiguous():
    ledger = Ledger.read_csv(io.BytesIO(FILTERED), amount="montant", ints=["an"], dates=["date"])
    for column, cond, total in [
        ("annee", range(2016, 2018), "3"),      # a text column: 0 rows before
        ("annee", 2017, "2"),                   # TypeError: 'int' object is not iterable before
        ("annee", {2016, 2018}, "5"),
        ("annee", "2017", "2"),
        ("an", {2016, 2017}, "3"),              # a set of consecutive ints on an int column
        ("an", "2017", "2"),
        ("date", "2017-03-04", "2"),
        ("financeur", "CDC", "5"),
    ]:
        wanted = {str(c) for c in (cond if isinstance(cond, (range, set)) else [cond])}
        twin = sum((r["montant"] for r in ledger.head(10) if str(r[column]) in wanted), Decimal(0))
        assert ledger.filter(**{column: cond}).total() == Decimal(total) == twin, (column, cond)


@pytest.mark.parametrize("column, cond", [
    ("annee", 2017.0), ("annee", dt.date(2017, 1, 1)), ("an", 2017.5), ("an", {2016, 2018}),
    ("date", 2017), ("date", "04/03/2017"), ("montant", {1, 3}),
])
def test_a_filter_value_of_another_kind_is_refused_naming_the_column(column, cond):
    ledger = Ledger.read_csv(io.BytesIO(FILTERED), amount="montant", ints=["an"], dates=["date"])
    with pytest.raises(essconv.ConditionError) as info:
        ledger.filter(**{column: cond})
    assert isinstance(info.value, TypeError) and f"column {column!r} holds" in str(info.value)


@pytest.mark.parametrize("rows", [("a", "f", "a"), ("a",), ()])
def test_pivot_rows_of_another_count_than_one_or_two_are_an_essconv_error(rows):
    """pivot(rows=("a", "b", "c"), ...) raised Python's "too many values to unpack", which
    ``except essconv.Error`` missed; a pair (group, row) pivots as before."""
    ledger = Ledger.from_columns({"a": ["x", "y"], "f": ["A", "B"], "m": ["1,10", "2"]},
                                 amount="m")
    with pytest.raises(essconv.InvalidValueError, match=f"not {len(rows)} columns"):
        ledger.pivot(rows, "f")
    assert ledger.pivot(("a", "a"), "f").total() == Decimal("3.10")


def test_pivot_has_no_margins_switch_that_does_nothing():
    """pivot(margins=False) used to be accepted and ignored (the matrix was the same): the
    margins are always there as sums, and equal plain Decimal sums of the records."""
    records = {"a": ["x", "y", "x", "z"], "f": ["A", "B", "B", "A"],
               "m": ["1,10", "2", "3,05", "4"]}
    ledger = Ledger.from_columns(records, amount="m")
    with pytest.raises(TypeError):
        ledger.pivot("a", "f", margins=False)
    matrix = ledger.pivot("a", "f")
    by_funder: dict[str, Decimal] = {}
    for f, m in zip(records["f"], records["m"]):
        by_funder[f] = by_funder.get(f, Decimal(0)) + Decimal(m.replace(",", "."))
    assert matrix.by_funder() == by_funder
    assert matrix.total() == sum(by_funder.values())


def test_int_date_and_label_cells_are_trimmed_alike(tmp_path):
    """One trim for every kind of column (text.c): a tab or a no-break space around a year is
    white space in an int column as in a date or a label column, not a parse error."""
    p = tmp_path / "g.csv"
    p.write_bytes("annee;signee;financeur;montant\n"
                  "\t2017;\t2017-09-08;\tCDC\u00a0;12\n"
                  "2018\u00a0; 2018-01-02 ;CDC;3\n".encode("utf-8"))
    ledger = Ledger.read_csv(p, amount="montant", ints=["annee"], dates=["signee"])
    assert ledger.values("annee") == [2017, 2018]
    assert ledger.values("signee") == [dt.date(2017, 9, 8), dt.date(2018, 1, 2)]
    assert ledger.values("financeur") == ["CDC", "CDC"]


@pytest.mark.parametrize("header, row, kinds, error", [
    ("annee;financeur;montant", "20x7;CDC;12", {"ints": ["annee"]}, essconv.ParseError),
    ("signee;financeur;montant", "2017-13-01;CDC;12", {"dates": ["signee"]}, essconv.ParseError),
    ("annee;financeur;montant", "2017;CDC;1x2", {}, essconv.AmountError),
])
def test_a_bad_cell_says_its_place_once(tmp_path, header, row, kinds, error):
    """The place of a bad cell is the error's (file:line:column), not repeated in its words;
    only an unreadable amount is an AmountError, a bad year or date is the file's ParseError."""
    p = tmp_path / "g.csv"
    p.write_text(f"{header}\n{row}\n", encoding="utf-8")
    with pytest.raises(essconv.ParseError) as info:
        Ledger.read_csv(p, amount="montant", **kinds)
    assert type(info.value) is error
    text = str(info.value)
    assert text.startswith(f"{p}:2:") and info.value.line == 2
    assert "line 2" not in text and text.count(":2:") == 1


def test_a_refused_extend_is_an_essconv_error_and_leaves_the_ledger_whole():
    """The core's ESS_EINVAL is an essconv.Error (and still a ValueError); extend goes through
    the core's staging builder, and a refused one stages nothing that a later extend trips on."""
    ledger = Ledger.from_columns({"f": ["a", "b"], "montant": ["1,00", "2,00"]}, amount="montant")
    other = Ledger.from_columns({"g": ["c"], "montant": ["4,00"]}, amount="montant")
    with pytest.raises(essconv.InvalidValueError) as caught:
        ledger.extend(other)
    assert isinstance(caught.value, essconv.Error) and isinstance(caught.value, ValueError)
    assert "'f' is not in the other ledger" in str(caught.value)
    assert len(ledger) == 2 and ledger.total() == Decimal("3.00")
    more = Ledger.from_columns({"montant": ["0,50", "0,25"], "f": ["c", "a"]}, amount="montant")
    ledger.extend(more)                        # columns matched by name, labels re-coded
    assert ledger.values("f") == ["a", "b", "c", "a"]
    assert ledger.group_by("f").sum().to_dict() == {"a": Decimal("1.25"), "b": Decimal("2.00"),
                                                   "c": Decimal("0.50")}


def test_renaming_onto_another_column_is_an_essconv_error():
    ledger = Ledger.from_columns({"f": ["a"], "g": ["b"], "montant": ["1"]}, amount="montant")
    with pytest.raises(essconv.InvalidValueError, match="already has a column g"):
        ledger._core.rename(0, "g")
    ledger._core.rename(0, "financeur")
    assert [name for name, _kind in ledger._core.columns][:2] == ["financeur", "g"]


def test_header_names_fold_accented_capitals_like_ascii_ones():
    """A header printed in capitals keeps its accents ("ANNÉE"): it is the column "année" a
    caller names, as "ANNEE" is "annee" (text.c's one fold)."""
    data = "ANNÉE;FINANCEUR;MONTANT\n2017;CDC;1,50\n2018;CDC;2\n".encode()
    ledger = Ledger.read_csv(io.BytesIO(data), amount="montant", ints=["année"])
    assert ledger.values("année") == [2017, 2018] and ledger.total() == Decimal("3.50")


@pytest.mark.parametrize("where", ["row", "column"])
def test_a_label_written_as_the_missing_key_is_refused_by_a_pivot_not_merged(where):
    # A pivot names a missing key's line or funder "(missing)": a real label so written was
    # the same line, and by_line / by_funder kept one of the two sums (2.00 lost)
    labels = {"f": ["(missing)", None, "x"], "g": ["a", "b", "b"]}
    if where == "column":
        labels = {"f": labels["g"], "g": labels["f"]}
    ledger = essconv.Ledger.from_columns({**labels, "m": [Decimal(1), Decimal(2), Decimal(4)]},
                                         amount="m")
    with pytest.raises(essconv.InvalidValueError, match=r"column (f|g) has both missing values "
                                                        r"and the label '\(missing\)'"):
        ledger.pivot("f", "g")
    # the label renamed, every sum is kept: three lines or funders, margins adding up to 7
    renamed = ledger.relabel("f" if where == "row" else "g", {"(missing)": "(sans objet)"})
    pivot = renamed.pivot("f", "g")
    assert len(pivot.lines if where == "row" else pivot.funders) == 3
    assert sum(pivot.by_line().values()) == pivot.total() == sum(pivot.by_funder().values()) == 7


def test_an_int_of_minus_two_to_the_63_is_refused_not_read_as_missing():
    # The core keeps INT64_MIN for a missing int: given as a value, it read back as None and
    # its rows joined the missing group -- a value lost.  The CSV reader already refused it.
    low = -2**63
    with pytest.raises(essconv.MoneyOverflowError, match="kept for a missing value"):
        Ledger.from_columns({"i": [low, None, 5], "m": [Decimal(1)] * 3}, amount="m")
    with pytest.raises(essconv.MoneyOverflowError, match="does not fit int64"):
        Ledger.from_columns({"i": [2**63, 5], "m": [Decimal(1)] * 2}, amount="m")
    pa = pytest.importorskip("pyarrow")
    table = pa.table({"i": pa.array([5, None, low], pa.int64()),
                      "m": pa.array([Decimal(1)] * 3, pa.decimal128(10, 2))})
    with pytest.raises(essconv.MoneyOverflowError, match="row 3 is -2\\^63"):
        Ledger.from_columns(table, amount="m")
    edge = Ledger.from_columns({"i": [low + 1, None, 2**63 - 1], "m": [Decimal(1)] * 3},
                               amount="m")
    assert edge.values("i") == [low + 1, None, 2**63 - 1]
    assert edge.group_by("i").sum().to_dict() == {low + 1: 1, 2**63 - 1: 1, None: 1}


def test_python_code_that_empties_the_lists_given_to_the_core_cannot_crash_it():
    # the binding indexed the lists it was given (names, kinds, label texts, codes, conditions)
    # by a length taken before running Python code on their items (__index__, __str__), which
    # could empty them: an index past the end, a name freed while the core read it (segfaults)
    from conftest import run_isolated
    done = run_isolated("""
        import array, gc
        from essconv import _core
        A, L = _core.COL_AMOUNT, _core.COL_LABEL

        class Emptying:
            def __init__(self, *lists, value=0):
                self.lists, self.value = lists, value
            def _empty(self):
                for each in self.lists:
                    each.clear()
                gc.collect()
            def __index__(self):
                self._empty()
                return self.value
            def __str__(self):
                self._empty()
                return "e"

        # from_arrays: a label's __str__, a kind's __index__
        names, dicts = ["n", "a", "i"], [None] * 3
        arrays = [None, array.array("q", [1, 2]), array.array("q", [3, 4])]
        texts = []
        arrays[0] = texts
        texts += [Emptying(texts, arrays, names, dicts), "b"]
        led = _core.Ledger.from_arrays(names, [L, A, _core.COL_INT], arrays, dicts)
        assert led.dictionary(0) == ["e", "b"] and led.total() == 3, led.dictionary(0)
        names = ["a", "n" * 40]
        kinds = [A, None]
        kinds[1] = Emptying(names, kinds, value=L)
        led = _core.Ledger.from_arrays(names, kinds, [array.array("q", [1]), ["x"]], [None, None])
        assert led.columns == [("a", A), ("n" * 40, L)]

        # read_csv: a kind's __index__ empties the names the core is to read
        names = [("montant" + "x" * 40), "nom"]
        kinds = [A, None]
        kinds[1] = Emptying(names, kinds, value=L)
        led = _core.Ledger.read_csv(("montant" + "x" * 40 + ";nom\\n1;a\\n").encode(), names, kinds)[0]
        assert led.columns == [("montant" + "x" * 40, A), ("nom", L)], led.columns

        # labels_of: a code's __index__
        codes = [0] * 100
        codes[0] = Emptying(codes, value=0)
        assert led.labels_of(1, codes) == ["a"] * 100

        # filter, filter_sum: a condition's __index__
        conds = [(1, ["a"], True, 0, 5)] * 50
        conds[0] = (1, ["a" * 50], True, Emptying(conds), 5)
        assert led.filter(conds).nrows == 0
        conds = [(1, ["a"], True, 0, 5)] * 50
        conds[0] = (1, ["a"], True, Emptying(conds), 5)
        assert led.filter_sum(conds)[:2] == (1, 100)
        print("survived")
    """)
    assert done.returncode == 0 and "survived" in done.stdout, done.stderr


def test_an_arrow_capsule_already_consumed_is_refused_not_read():
    # from_arrow read the struct in a capsule whatever its state: a producer that hands out the
    # same capsule twice (cached) gave a stream or array already moved out by its first consumer,
    # whose private data was freed (garbage read, a crash); and it never marked what it had
    # read as consumed
    from conftest import run_isolated
    done = run_isolated("""
        import pyarrow as pa
        import essconv
        from essconv import _core
        table = pa.table({"montant": pa.array([1, 2, 3]), "f": pa.array(["a", "b", "a"])})
        stream = table.__arrow_c_stream__()
        assert pa.RecordBatchReader._import_from_c_capsule(stream).read_all().num_rows == 3
        schema, array = table.to_batches()[0].__arrow_c_array__()
        assert pa.RecordBatch._import_from_c_capsule(schema, array).num_rows == 3
        class Cached:
            def __init__(self, stream=None, pair=None):
                if stream is not None:
                    self.__arrow_c_stream__ = lambda *args: stream
                else:
                    self.__arrow_c_array__ = lambda *args: pair
        for obj in (Cached(stream=stream), Cached(pair=(schema, array))):
            try:
                essconv.Ledger.from_columns(obj, amount="montant")
            except ValueError as exc:
                assert "already consumed" in str(exc), exc
            else:
                raise AssertionError("a consumed capsule was read")
        # and a capsule read by the core is consumed: offered again, it is refused
        stream = table.__arrow_c_stream__()
        first = _core.Ledger.from_arrow(Cached(stream=stream), "montant")
        assert first.nrows == 3 and first.total() == 600
        try:
            _core.Ledger.from_arrow(Cached(stream=stream), "montant")
        except ValueError:
            pass
        else:
            raise AssertionError("read twice")
        print("refused")
    """)
    assert done.returncode == 0 and "refused" in done.stdout, done.stderr


def test_a_dictionary_encoded_column_of_numbers_is_refused_not_read_as_its_indices():
    pa = pytest.importorskip("pyarrow")
    # a dictionary<int64> amount (a pandas category of amounts) was summed as its indices 0, 1,
    # 2..., and an int column kept the indices
    table = pa.table({"m": pa.array([100, 200, 100]).dictionary_encode(), "f": ["a", "b", "a"]})
    with pytest.raises(TypeError, match="dictionary-encoded"):
        Ledger.from_columns(table, amount="m")
    table = pa.table({"m": [1, 2, 3], "n": pa.array([10, 20, 10]).dictionary_encode()})
    with pytest.raises(TypeError, match="dictionary-encoded"):
        Ledger.from_columns(table, amount="m")
    # a dictionary of texts stays a label column
    table = pa.table({"m": [1, 2, 3], "f": pa.array(["x", "y", "x"]).dictionary_encode()})
    assert Ledger.from_columns(table, amount="m").group_by("f").sum() is not None


@pytest.mark.parametrize("index", ["int8", "uint8", "uint16", "uint32", "int64", "uint64"])
def test_a_dictionary_of_texts_is_read_whatever_its_index_type(index):
    pa = pytest.importorskip("pyarrow")
    # uint64 indices were refused with a message blaming the values ("a dictionary over values
    # of the format 'u'"), which are texts
    labels = pa.DictionaryArray.from_arrays(pa.array([0, 1, None, 0], getattr(pa, index)()),
                                            ["CDC", "Région"])
    table = pa.table({"f": labels, "m": pa.array([Decimal("1.50"), Decimal("2.00"),
                                                  Decimal("4.00"), Decimal("3.25")],
                                                 pa.decimal128(10, 2))})
    ledger = Ledger.from_columns(table, amount="m")
    assert ledger.group_by("f").sum().to_dict() == {"CDC": Decimal("4.75"),
                                                    "Région": Decimal("2.00"),
                                                    None: Decimal("4.00")}


def test_a_uint64_dictionary_index_past_the_dictionary_is_refused_naming_the_column():
    pa = pytest.importorskip("pyarrow")
    for bad in (5, 2**63, 2**64 - 1):
        labels = pa.DictionaryArray.from_arrays(pa.array([0, bad], pa.uint64()), ["a", "b"],
                                                safe=False)
        table = pa.table({"f": labels, "m": [1, 2]})
        with pytest.raises(TypeError, match="dictionary index out of range in 'f'"):
            Ledger.from_columns(table, amount="m")


def test_the_repr_says_the_rows_kept_aside_beside_its_total():
    """read_scdl sets unreadable rows aside by default; the repr showed the total of the rest
    as if it were the file's, with nothing saying some rows were left out."""
    text = "nom;montant\nA;10,50\nB;NC\nC;2\nD;\n".encode()
    ledger = essconv.Ledger.read_csv(text, amount="montant", bad_rows="collect")
    kept = Decimal("10.50") + Decimal(2)          # A and C; B and D cannot be read
    assert ledger.total() == kept
    assert repr(ledger).endswith(f", total {ledger.total()} €, 2 bad rows kept aside (not in the total)>")
    clean = essconv.Ledger.read_csv("nom;montant\nA;1\n".encode(), amount="montant")
    assert repr(clean).endswith(", total 1 €>")


def test_from_columns_refuses_a_wrong_type_with_the_project_s_errors_never_a_bare_typeerror():
    """An amount of the wrong type is an AmountTypeError (a TypeError too, for callers of
    old), another column's an ArgumentTypeError: from_columns raised bare TypeErrors for some
    (a float, None or a bool amount, a float Arrow column), AmountTypeError for others, and with
    cents=True read 1.5 and Decimal("0.5") as int() cut them, a fraction of a cent lost."""
    from essconv import AmountTypeError, ArgumentTypeError, Error
    pa = pytest.importorskip("pyarrow")
    np = pytest.importorskip("numpy")
    amount_cases = [
        ({"f": ["a"], "m": [1.5]}, {}),
        ({"f": ["a"], "m": [None]}, {}),
        ({"f": ["a"], "m": [True]}, {}),
        ({"f": ["a"], "m": [b"12"]}, {}),
        ({"f": ["a"], "m": np.array([1.5])}, {}),
        ({"f": ["a"], "m": [1.5]}, {"cents": True}),
        ({"f": ["a"], "m": [None]}, {"cents": True}),
        ({"f": ["a"], "m": np.array([1], np.int32)}, {"cents": True}),
        (pa.table({"f": ["a"], "m": [1.5]}), {}),
        (pa.table({"f": ["a"], "m": [True]}), {}),
        (pa.table({"f": ["a"], "m": pa.array([100, 200]).dictionary_encode()[:1]}), {}),
        (pa.table({"m": pa.array([Decimal("1")], pa.decimal128(38, 21))}), {}),
    ]
    for mapping, kw in amount_cases:
        with pytest.raises(AmountTypeError) as caught:
            Ledger.from_columns(mapping, amount="m", **kw)
        assert isinstance(caught.value, TypeError) and isinstance(caught.value, Error)
    other_cases = [
        {"f": [1.5], "m": [1]},
        {"f": [1, "a"], "m": [1, 2]},
        {"f": 5, "m": [1]},
        pa.table({"f": [1.5], "m": [1]}),
        pa.table({"f": pa.array([1, 2]).dictionary_encode()[:1], "m": [1]}),
    ]
    for mapping in other_cases:
        with pytest.raises(ArgumentTypeError) as caught:
            Ledger.from_columns(mapping, amount="m")
        assert not isinstance(caught.value, AmountTypeError)
        assert isinstance(caught.value, TypeError) and isinstance(caught.value, Error)
    # a Decimal or a text that is a fraction of a cent has the right type and a wrong value
    # (whole ones are cents: tests/test_silent_answers.py)
    from essconv import AmountError
    for given in (Decimal("0.5"), "12.5"):
        with pytest.raises(AmountError):
            Ledger.from_columns({"f": ["a"], "m": [given]}, amount="m", cents=True)
    # ints of any kind stay cents, exactly
    cents = [1, -250, 10**15, int(np.int64(7))]
    ledger = Ledger.from_columns({"f": ["a"] * 4, "m": [1, -250, 10**15, np.int64(7)]},
                                 amount="m", cents=True)
    assert ledger.total() == sum((Decimal(c) / 100 for c in cents), Decimal(0))


@pytest.mark.parametrize("blank", [float("nan"), "pd.NA", "pd.NaT"])
def test_pandas_missing_values_given_as_a_column_are_missing_keys_not_labels(blank):
    # A pandas column handed over as a Series or a list (df["k"], df.to_dict("list")) holds
    # NaN, pd.NA or NaT for a blank cell: they became the labels "nan", "<NA>", "NaT", and a
    # group-by showed the missing key's sum under a label no file wrote
    pd = pytest.importorskip("pandas")
    blank = {"pd.NA": pd.NA, "pd.NaT": pd.NaT}.get(blank, blank)
    keys = ["a", blank, None, "a", blank]
    amounts = [Decimal("1.10"), Decimal("2.20"), Decimal("4.40"), Decimal("8.80"), Decimal("-0.50")]
    oracle: dict = {}
    for k, m in zip(keys, amounts):
        key = k if isinstance(k, str) else None
        oracle[key] = oracle.get(key, Decimal(0)) + m
    for column in (keys, pd.Series(keys, dtype=object)):
        ledger = Ledger.from_columns({"k": column, "m": amounts}, amount="m")
        assert ledger.values("k") == [k if isinstance(k, str) else None for k in keys]
        assert ledger.group_by("k").sum().to_dict() == oracle
    # an int and a date column with pandas' missing value: missing, not refused
    ints = Ledger.from_columns({"y": pd.Series([2017, None], dtype="Int64"),
                                "m": amounts[:2]}, amount="m")
    assert ints.values("y") == [2017, None]
    days = Ledger.from_columns({"d": [dt.date(2017, 3, 4), blank], "m": amounts[:2]}, amount="m")
    assert days.values("d") == [dt.date(2017, 3, 4), None]


@pytest.mark.parametrize("blank", [None, float("nan"), "pd.NA"])
def test_a_missing_amount_given_as_a_column_names_its_column_and_row(blank):
    # A pandas column of Decimals holds NaN for a blank cell: from_columns said "amounts are
    # never floats" (or "not NoneType"), with no column or row to find it by
    pd = pytest.importorskip("pandas")
    blank = pd.NA if blank == "pd.NA" else blank
    amounts = pd.Series([Decimal("1.50"), Decimal("2.25"), blank, Decimal("4")], dtype=object)
    with pytest.raises(essconv.AmountTypeError, match=r"the amount column .montant., row 3: "
                                                  r"the amount is missing"):
        Ledger.from_columns({"k": ["a", "b", "c", "d"], "montant": amounts}, amount="montant")
    # an amount that is no amount names its place too, its own words kept
    with pytest.raises(essconv.AmountError, match=r"'montant', row 2: '1.234' has more than 2"):
        Ledger.from_columns({"montant": [Decimal(1), Decimal("1.234")]}, amount="montant")
    # the amounts there are still add up exactly
    kept = [a for a in amounts if isinstance(a, Decimal)]
    ledger = Ledger.from_columns({"montant": kept}, amount="montant")
    assert ledger.total() == sum(kept, Decimal(0))


def test_grouping_by_the_amount_column_says_so():
    # group_by("montant") and pivot(..., "montant") said "a key is not a column of the
    # ledger" of a column the ledger has; the sums stay those of the other keys
    ledger = Ledger.from_columns({"k": ["a", "b", "a"], "montant": [Decimal("1.50"), Decimal(2),
                                                                    Decimal("-0.25")]},
                                 amount="montant")
    for call in (lambda: ledger.group_by("montant"), lambda: ledger.pivot("k", "montant"),
                 lambda: ledger.pivot("montant", "k")):
        with pytest.raises(essconv.InvalidValueError, match="the column 'montant' holds amounts"):
            call()
    assert ledger.group_by("k").sum().to_dict() == {"a": Decimal("1.25"), "b": Decimal(2)}


def test_extend_carries_the_other_files_rows_set_aside_each_with_its_file(tmp_path):
    """An extended ledger counts every row set aside and every blank row of both files (as the
    two files read apart do), each row set aside keeping the file and place it came from."""
    texts = {"2017.csv": "financeur;montant\nCR;10,00\nCR;abc\n;\nCDC;-5\n",
             "2018.csv": "financeur;montant\n;\nCDC;1,5\nCDC;x\nCR;?\n;\n"}
    apart = {}
    for name, text in texts.items():
        (tmp_path / name).write_text(text, encoding="utf-8")
        apart[name] = Ledger.read_csv(tmp_path / name, amount="montant", bad_rows="collect")
    whole = Ledger.read_csv(tmp_path / "2017.csv", amount="montant", bad_rows="collect")
    whole.extend(Ledger.read_csv(tmp_path / "2018.csv", amount="montant", bad_rows="collect"))
    assert len(whole.bad_rows) == sum(len(l.bad_rows) for l in apart.values()) == 3
    assert whole.blank_rows == sum(l.blank_rows for l in apart.values())
    assert whole.total() == sum((l.total() for l in apart.values()), Decimal(0))
    places = [(str(b.path), b.line, b.column) for b in whole.bad_rows]
    expected = [(str(tmp_path / name), b.line, b.column)
                for name, l in apart.items() for b in l.bad_rows]
    assert places == expected
    assert all(isinstance(b, essconv.BadRow) for b in whole.bad_rows)
    assert str(whole.bad_rows[-1]).startswith(str(tmp_path / "2018.csv") + ":5:")
    # the same file read twice keeps plain places, twice
    again = Ledger.read_csv(tmp_path / "2017.csv", amount="montant", bad_rows="collect")
    again.extend(Ledger.read_csv(tmp_path / "2017.csv", amount="montant", bad_rows="collect"))
    assert again.bad_rows == apart["2017.csv"].bad_rows * 2


@pytest.mark.parametrize("column, cells, odd_row", [
    ("nom", ["Région", "Département du Nord", 59, "Caisse des Dépôts"], 3),
    ("nom", ["Région", None, 2017.5], 3),
    ("montant", [Decimal("10.50"), "2,50", Decimal("1")], 2),
    ("montant", [Decimal("10.50"), 3, Decimal("1"), "2,50"], 4),
])
def test_a_pandas_column_mixing_kinds_is_refused_naming_it_its_row_and_value(column, cells,
                                                                              odd_row):
    """A DataFrame column of texts holding one number (a funder typed as its department's
    number in a spreadsheet) raised pyarrow's own ``ArrowTypeError`` ("Expected bytes, got a
    'int' object"): no essconv error, no row to find it by.  It is refused as a column of
    Python lists is, naming the column, the row and the value."""
    pd = pytest.importorskip("pandas")
    frame = {"nom": ["Région"] * len(cells), "montant": [Decimal("1")] * len(cells)}
    frame[column] = cells
    with pytest.raises(essconv.ArgumentTypeError) as caught:
        Ledger.from_columns(pd.DataFrame(frame), amount="montant")
    said = str(caught.value)
    odd = cells[odd_row - 1]   # the twin: the value of the row the test planted
    assert f"column {column!r}" in said and f"row {odd_row}" in said and repr(odd) in said
    assert type(odd).__name__ in said
    # the same frame with the odd cell made the column's kind reads
    fixed = dict(frame)
    fixed[column] = [str(v) if column == "nom" and v is not None else
                     Decimal(v.replace(",", ".")) if isinstance(v, str) and column == "montant"
                     else v for v in cells]
    ledger = Ledger.from_columns(pd.DataFrame(fixed), amount="montant")
    assert len(ledger) == len(cells)


def test_an_arrow_column_a_ledger_cannot_hold_is_refused_saying_what_it_may_hold():
    """A float column beside the amount was refused "amounts are never floats", as if it were
    the amount; a pandas ``datetime64`` column (``pd.to_datetime``) or a boolean one as "the
    Arrow format 'tsu:', which a ledger cannot hold": the column named, but neither what it
    holds in words nor what to give instead."""
    import datetime as _dt
    pa = pytest.importorskip("pyarrow")
    amounts = pa.array([Decimal("1.10"), Decimal("2.00")], pa.decimal128(12, 2))
    cases = {
        "taux": (pa.array([0.5, 1.5]), "floats", "labels (texts), ints or dates"),
        "signee": (pa.array([_dt.datetime(2017, 3, 25, 10), _dt.datetime(2017, 3, 4)],
                            pa.timestamp("us")), "(timestamps)", "give its day"),
        "versee": (pa.array([True, False]), "(booleans)", "labels (texts), ints or dates"),
    }
    for name, (column, holds, instead) in cases.items():
        with pytest.raises(essconv.ArgumentTypeError) as caught:
            Ledger.from_columns(pa.table({name: column, "montant": amounts}), amount="montant")
        said = str(caught.value)
        assert f"'{name}'" in said and holds in said and instead in said, said
        assert "amounts are never floats" not in said, said
    # the amount itself: still refused as an amount, saying what an amount is
    with pytest.raises(essconv.AmountTypeError, match="amounts are never floats"):
        Ledger.from_columns(pa.table({"montant": pa.array([1.5])}), amount="montant")
    with pytest.raises(essconv.AmountTypeError,
                       match=r"'montant' has the Arrow format 'u' \(texts\).*an amount is a "
                             r"decimal or integers"):
        Ledger.from_columns(pa.table({"montant": ["1.50"]}), amount="montant")


@pytest.mark.parametrize("labels, row", [(["A", 1.5], 2), (["A", None, "B", 2.0], 4),
                                         (["A", float("inf")], 2)])
def test_a_float_among_labels_is_refused_naming_the_column_row_and_value(labels, row):
    # ["A", 1.5] made the label "1.5" where [1.5, "A"] was refused: a float is no label
    # (a rounded amount, a code read by a spreadsheet as a number), whatever its place
    from essconv import ArgumentTypeError
    with pytest.raises(ArgumentTypeError) as caught:
        Ledger.from_columns({"nom": labels, "montant": [Decimal(1)] * len(labels)},
                            amount="montant")
    said = str(caught.value)
    assert "'nom'" in said and f"row {row}" in said and repr(labels[row - 1]) in said, said


def test_labels_with_a_missing_value_marker_still_read():
    # pandas' NaN in an object column is a missing label, not a float refused
    ledger = Ledger.from_columns({"nom": ["A", float("nan"), "B"],
                                  "montant": [Decimal(1), Decimal(2), Decimal(4)]}, amount="montant")
    assert ledger.group_by("nom").sum().to_dict() == {"A": Decimal(1), None: Decimal(2),
                                                      "B": Decimal(4)}


@pytest.mark.parametrize("labels, row", [([b"R\xe9gion", "Lot"], 1), (["Lot", bytearray(b"Lot")], 2),
                                         (["Lot", None, memoryview(b"Caf\xc3\xa9")], 3)])
def test_bytes_among_labels_are_refused_not_read_as_their_repr(labels, row):
    # [b"R\xe9gion"] became the label "b'R\\xe9gion'" (str() of the bytes) without a word
    from essconv import ArgumentTypeError
    with pytest.raises(ArgumentTypeError) as caught:
        Ledger.from_columns({"nom": labels, "montant": [Decimal(1)] * len(labels)},
                            amount="montant")
    said = str(caught.value)
    assert "'nom'" in said and f"row {row}" in said and "bytes" in said, said


def test_a_numpy_bytes_column_is_refused_and_its_decoded_twin_reads():
    np = pytest.importorskip("numpy")
    raw = np.array([b"Lot", b"Vend\xc3\xa9e", b"Lot"])
    from essconv import ArgumentTypeError
    with pytest.raises(ArgumentTypeError, match="'nom' holds bytes at row 1"):
        Ledger.from_columns({"nom": raw, "montant": [1, 2, 3]}, amount="montant")
    decoded = np.char.decode(raw, "utf-8")
    ledger = Ledger.from_columns({"nom": decoded, "montant": [1, 2, 3]}, amount="montant")
    assert ledger.group_by("nom").sum().to_dict() == {"Lot": Decimal(4), "Vendée": Decimal(2)}


def test_columns_of_different_lengths_and_a_lone_surrogate_are_essconv_errors():
    # the core's bare ValueError and Python's UnicodeEncodeError, outside `except essconv.Error`
    from essconv import InvalidValueError
    with pytest.raises(InvalidValueError, match="'montant' has 2 values where the first has 1"):
        Ledger.from_columns({"nom": ["a"], "montant": [1, 2]}, amount="montant")
    with pytest.raises(InvalidValueError, match=r"column 'nom', row 2: .*lone surrogate"):
        Ledger.from_columns({"nom": ["a", "b\ud800"], "montant": [1, 2]}, amount="montant")


def test_a_strided_numpy_cents_buffer_reads_as_its_values():
    # a[::2] is no contiguous block: the core's buffer request raised a bare BufferError
    np = pytest.importorskip("numpy")
    cents = np.arange(10, dtype=np.int64) * 7 - 20
    strided = cents[::3]
    ledger = Ledger.from_columns({"montant": strided}, amount="montant", cents=True)
    assert ledger.total() == sum(Decimal(int(c)) / 100 for c in strided)
    assert list(ledger.to_pandas(amounts="cents")["montant"]) == [int(c) for c in strided]


@pytest.mark.parametrize("where", ["row", "column", "group"])
def test_a_label_holding_a_nul_is_refused_by_a_pivot_not_cut(where):
    # a pivot's lines and funders were cut at a NUL: "Oise\0x" and "Oise\0y" became two lines
    # "Oise", by_line() one sum of both.  No reader, from_columns nor relabel makes such a
    # label now; a ledger holding one (unpickled from an older version: the core's dictionary
    # path, built here) still has its pivot refused rather than cut
    from array import array

    from essconv import _core
    hostile = ["Oise\x00x", "Oise\x00y", "Somme", "Somme"]
    other = ["a", "b", "a", "b"]
    with pytest.raises(essconv.ParseError, match="NUL character"):
        essconv.Ledger.from_columns({"f": hostile, "m": [1, 2, 4, 8]}, amount="m")
    core = _core.Ledger.from_arrays(
        ["f", "g", "m"], [_core.COL_LABEL, _core.COL_LABEL, _core.COL_AMOUNT],
        [array("i", [0, 1, 2, 2]), array("i", [0, 1, 0, 1]), array("q", [100, 200, 400, 800])],
        [["Oise\x00x", "Oise\x00y", "Somme"], ["a", "b"], None])
    ledger = essconv.Ledger(core)
    assert ledger.values("f") == hostile
    args = {"row": ("f", "g"), "column": ("g", "f"), "group": (("f", "g"), "g")}[where]
    with pytest.raises(essconv.InvalidValueError,
                       match=r"column f holds the label 'Oise\\0\.\.\.' with a NUL character"):
        ledger.pivot(*args)
    # the rows holding it left out (its label still in the dictionary), the pivot is made; each
    # label it shows is one the ledger holds, byte for byte, against a Decimal twin of the rows
    kept = ledger.filter(f="Somme")
    assert "Oise\x00x" in kept.dictionary("f")
    pivot = kept.pivot(*args)
    twin = {}
    for row in kept.head(len(kept)):
        key = {"row": row["f"], "column": row["g"], "group": row["g"]}[where]   # line labels
        twin[key] = twin.get(key, Decimal(0)) + row["m"]
    assert pivot.by_line() == twin and pivot.total() == Decimal(12)


def test_a_pending_group_by_shows_what_it_groups_and_how_to_run_it():
    """``ledger.group_by("f")`` alone, evaluated in a notebook cell, showed
    ``<essconv.ledger.GroupBy object at 0x7f...>``: nothing of its keys, its ledger or what
    to ask of it.  Its repr names them."""
    import datetime
    ledger = Ledger.from_columns({"f": ["a", "b", "a"], "d": [datetime.date(2010, 1, 2)] * 3,
                                  "m": ["1", "2", "3"]}, amount="m")
    pending = ledger.group_by("f", essconv.year("d"))
    assert repr(pending) == ("<GroupBy f, year(d) over 3 rows: .sum(), .count(), .mean(), "
                             ".min(), .max() or .agg()>")
    one = Ledger.from_columns({"f": ["a"], "m": ["1"]}, amount="m").group_by("f")
    assert repr(one) == "<GroupBy f over 1 row: .sum(), .count(), .mean(), .min(), .max() or .agg()>"


@pytest.mark.parametrize("measure", ["min", "max", "agg"])
def test_aggregates_of_no_row_combine_keeping_their_min_and_max(measure):
    """Two months' filters that kept no row, each grouped by min(), max() or agg(), combined by
    ``+`` (or ``sum()``): the groups of no row are no groups, {} as each part says, with the
    same columns as each part, never an UnknownColumnError for the min column they both had."""
    ledger = Ledger.from_columns({"f": ["A", "B"], "montant": [250, 400]}, amount="montant",
                                 cents=True)
    with pytest.warns(essconv.UnknownLabelWarning):
        nothing = ledger.filter(f="C")
    part = getattr(nothing.group_by("f"), measure)()
    for combined in (part + part, sum([part, part])):
        assert combined.to_dict() == part.to_dict() == {}
        assert combined.to_ledger().columns == part.to_ledger().columns
        assert combined.measure == part.measure
    assert (part + ledger.group_by("f").min()).to_dict("min") == {"A": Decimal("2.5"),
                                                                  "B": Decimal("4")}
