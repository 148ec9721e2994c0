"""Parquet both ways: exact decimal128 amounts, dictionary labels, hive partitions as columns."""
from __future__ import annotations

import datetime as dt
import io
import pathlib
import re
from decimal import Decimal, localcontext

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

pa = pytest.importorskip("pyarrow")
pq = pytest.importorskip("pyarrow.parquet")

import essconv  # noqa: E402
from conftest import report_with_total  # noqa: E402
from scale_data import random_rows, twin, write_csv  # noqa: E402

INT64_MAX_CENTS = 2**63 - 1
DATA = pathlib.Path(__file__).parent / "data" / "scdl"


@pytest.fixture
def ledger_and_csv(tmp_path):
    rows = random_rows(3, 500)
    path = write_csv(tmp_path / "grants.csv", rows)
    return essconv.Ledger.read_csv(path, amount="montant", ints=["annee"]), path


def test_round_trip_is_exact_to_the_cent_with_dictionary_labels(ledger_and_csv, tmp_path):
    ledger, _ = ledger_and_csv
    target = tmp_path / "grants.parquet"
    ledger.to_parquet(target)
    schema = pq.read_schema(target)
    assert schema.field("montant").type == pa.decimal128(38, 2)
    assert pa.types.is_dictionary(schema.field("financeur").type)
    back = essconv.Ledger.read_parquet(target, amount="montant")
    assert back.columns == ledger.columns and back.kinds == ledger.kinds
    for name in ledger.columns:
        assert back.values(name) == ledger.values(name)


def test_extreme_amounts_dates_and_missing_labels_survive(tmp_path):
    ledger = essconv.Ledger.from_columns({
        "montant": [INT64_MAX_CENTS, -INT64_MAX_CENTS, 1, 0],
        "financeur": ["Région", None, "CDC", "Département du Nord"],
        "signee": [dt.date(2009, 12, 2), None, dt.date(1970, 1, 1), dt.date(2013, 12, 31)],
    }, amount="montant", cents=True)
    ledger.to_parquet(tmp_path / "x.parquet")
    back = essconv.Ledger.read_parquet(tmp_path / "x.parquet", amount="montant")
    assert back.values("montant") == [Decimal(INT64_MAX_CENTS) / 100, -Decimal(INT64_MAX_CENTS) / 100,
                                      Decimal("0.01"), Decimal(0)]
    assert back.values("financeur") == ledger.values("financeur")
    assert back.values("signee") == ledger.values("signee")


def test_partitioned_by_year_and_read_back_with_the_hive_column(ledger_and_csv, tmp_path):
    ledger, csv_path = ledger_and_csv
    ledger.to_parquet(tmp_path / "ds", partition_by=["annee"])
    assert sorted(p.name for p in (tmp_path / "ds").iterdir()) == \
        ["_essconv.json"] + [f"annee={y}" for y in range(2009, 2014)]
    back = essconv.Ledger.read_parquet(tmp_path / "ds", amount="montant")
    assert back.kinds["annee"] == "int"
    sums, counts, _, _ = twin([csv_path], ["annee", "ligne"])
    assert back.group_by("annee", "ligne").sum().to_dict() == sums
    assert back.group_by("annee", "ligne").count().to_dict() == counts
    only = essconv.Ledger.read_parquet(tmp_path / "ds", amount="montant", columns=["financeur"])
    assert only.columns == ["montant", "financeur"] and only.total() == ledger.total()


def test_a_string_hive_partition_becomes_a_label_column(ledger_and_csv, tmp_path):
    ledger, csv_path = ledger_and_csv
    ledger.to_parquet(tmp_path / "by-funder", partition_by=["financeur"])
    assert len(list((tmp_path / "by-funder").glob("financeur=*"))) == 5   # names escaped; read back below
    back = essconv.Ledger.read_parquet(tmp_path / "by-funder", amount="montant")
    assert back.kinds["financeur"] == "label"
    sums, _, _, _ = twin([csv_path], ["financeur"])
    assert back.group_by("financeur").sum().to_dict() == sums


def _deps(rows):
    return essconv.Ledger.from_columns(pa.table({
        "montant": pa.array([Decimal(a) for a, _ in rows], pa.decimal128(38, 2)),
        "dep": pa.array([d for _, d in rows]).dictionary_encode()}), amount="montant")


def test_a_partitioned_write_onto_a_dataset_never_mixes_old_and_new_rows(tmp_path):
    target = tmp_path / "ds"
    _deps([("10.00", "X"), ("20.00", "Y"), ("30.00", "Z")]).to_parquet(target, partition_by=["dep"])
    new = _deps([("5.00", "X")])
    # the stale dep=Y and dep=Z partitions used to be read back with the new rows (total 55):
    # a non-empty target is refused unless overwrite=True, which replaces the whole dataset
    with pytest.raises(essconv.InvalidValueError, match="overwrite=True"):
        new.to_parquet(target, partition_by=["dep"])
    assert essconv.Ledger.read_parquet(target, amount="montant").total() == Decimal(60)
    new.to_parquet(target, partition_by=["dep"], overwrite=True)
    back = essconv.Ledger.read_parquet(target, amount="montant")
    assert (len(back), back.total()) == (1, Decimal(5))
    assert back.group_by("dep").sum().to_dict() == {"X": Decimal(5)}
    assert sorted(p.name for p in target.iterdir()) == ["_essconv.json", "dep=X"]


def test_overwrite_never_deletes_what_essconv_did_not_write(tmp_path):
    theirs = tmp_path / "theirs"
    (theirs / "dep=X").mkdir(parents=True)
    pq.write_table(pa.table({"montant": pa.array([Decimal(1)], pa.decimal128(38, 2))}),
                   theirs / "dep=X" / "part-0.parquet")
    new = _deps([("5.00", "X")])
    with pytest.raises(essconv.InvalidValueError, match="nothing deleted"):
        new.to_parquet(theirs, partition_by=["dep"], overwrite=True)   # no _essconv.json
    assert (theirs / "dep=X" / "part-0.parquet").exists()
    mine = tmp_path / "mine"
    new.to_parquet(mine, partition_by=["dep"])
    (mine / "notes.txt").write_text("an analyst's note")
    with pytest.raises(essconv.InvalidValueError, match="notes.txt"):
        new.to_parquet(mine, partition_by=["dep"], overwrite=True)
    assert (mine / "notes.txt").exists() and (mine / "dep=X").exists()
    a_file = tmp_path / "a.parquet"
    a_file.write_bytes(b"not mine")
    with pytest.raises(essconv.InvalidValueError):
        new.to_parquet(a_file, partition_by=["dep"], overwrite=True)
    assert a_file.read_bytes() == b"not mine"
    empty = tmp_path / "empty"
    empty.mkdir()
    new.to_parquet(empty, partition_by=["dep"])                    # an empty directory is fine
    assert essconv.Ledger.read_parquet(empty, amount="montant").total() == Decimal(5)
    assert not [p for p in tmp_path.iterdir() if p.name.startswith(".")]   # no temporary left


def test_partition_values_come_back_with_the_kinds_the_ledger_had(tmp_path):
    ledger = essconv.Ledger.from_columns({
        "montant": [Decimal(10), Decimal(20), Decimal(30)],
        "dep": ["01", "09", "2A"], "annee": [2017, 2017, 2018],
        "signee": [dt.date(2017, 3, 1), dt.date(2017, 3, 1), dt.date(2018, 1, 2)],
    }, amount="montant")
    for by in (["dep"], ["annee"], ["signee"], ["dep", "annee", "signee"]):
        target = tmp_path / "-".join(by)
        ledger.to_parquet(target, partition_by=by)
        back = essconv.Ledger.read_parquet(target, amount="montant")
        # '01' came back as the int 1 and the date as a label: the kinds are kept in the files
        assert back.kinds == ledger.kinds, by
        assert back.group_by(*by).sum().to_dict() == ledger.group_by(*by).sum().to_dict(), by


def test_a_foreign_hive_dataset_keeps_leading_zeros_as_labels(tmp_path):
    # no essconv metadata: a column is int only when every directory value is a plain int
    for dep in ("01", "2"):
        (tmp_path / "f" / f"dep={dep}" / "annee=2017").mkdir(parents=True)
        pq.write_table(pa.table({"montant": pa.array([Decimal(dep)], pa.decimal128(38, 2))}),
                       tmp_path / "f" / f"dep={dep}" / "annee=2017" / "x.parquet")
    back = essconv.Ledger.read_parquet(tmp_path / "f", amount="montant")
    assert back.kinds == {"montant": "amount", "dep": "label", "annee": "int"}
    assert back.group_by("dep").sum().to_dict() == {"01": Decimal(1), "2": Decimal(2)}


def test_aggregates_export_exactly(ledger_and_csv, tmp_path):
    ledger, csv_path = ledger_and_csv
    agg = ledger.group_by("annee", "financeur").agg()
    agg.to_parquet(tmp_path / "agg.parquet")
    table = pq.read_table(tmp_path / "agg.parquet")
    assert table.schema.field("sum").type == pa.decimal128(38, 2)
    sums, counts, _, _ = twin([csv_path], ["annee", "financeur"])
    got = {(a, f): (s, c) for a, f, s, c in zip(*(table.column(n).to_pylist()
                                                 for n in ("annee", "financeur", "sum", "count")))}
    assert got == {k: (sums[k], counts[k]) for k in sums}


def test_foreign_files_float_and_null_amounts_are_refused_with_the_file(tmp_path):
    floats = tmp_path / "floats.parquet"
    pq.write_table(pa.table({"f": ["CDC"], "montant": [1.5]}), floats)
    with pytest.raises(essconv.AmountTypeError, match="never floats") as caught:
        essconv.Ledger.read_parquet(floats, amount="montant")
    assert caught.value.path == str(floats)
    nulls = tmp_path / "nulls.parquet"
    pq.write_table(pa.table({"montant": pa.array([Decimal("1.00"), None], pa.decimal128(10, 2))}), nulls)
    with pytest.raises(essconv.ParseError) as caught:
        essconv.Ledger.read_parquet(nulls, amount="montant")
    assert caught.value.path == str(nulls) and caught.value.line == 2


@settings(max_examples=80, deadline=None)
@given(scale=st.integers(min_value=3, max_value=20),
       cents=st.lists(st.integers(min_value=-(2**63), max_value=2**63 - 1), min_size=1, max_size=8),
       off=st.one_of(st.none(), st.tuples(st.integers(min_value=0, max_value=7),
                                          st.integers(min_value=1, max_value=9))))
def test_a_decimal_amount_of_a_finer_scale_is_read_when_whole_cents_and_refused_at_a_sub_cent(
        scale, cents, off):
    # a NUMERIC(12,3) column, or pandas' Decimals as pyarrow infers them ("2.200" -> d:4,3),
    # was refused whatever its values; each is now read when it is whole cents, and the first
    # with a digit past the cents is named with its row, never rounded (twin: Decimal)
    values = [Decimal(c).scaleb(-2) for c in cents]
    if off is not None:   # one value a few units of the last decimal off whole cents
        row, units = off[0] % len(values), off[1]
        with localcontext() as exact:   # 28 digits would round 10**8 + 10**-20 back
            exact.prec = 60
            values[row] += Decimal(units).scaleb(-scale)
    kind = pa.decimal128(38, scale)
    try:
        array = pa.array(values, kind)
    except (pa.ArrowInvalid, ValueError):   # beyond 38 digits: Arrow cannot hold the value
        return
    table = pa.table({"f": ["x"] * len(values), "montant": array})
    if off is None:
        assert essconv.Ledger.from_columns(table, amount="montant").values("montant") == values
        return
    raw = int(values[row].scaleb(scale))   # the decimal128's integer: shown when it fits int64
    shown = re.escape(f"amount {values[row]:.{scale}f} of") if -2**63 <= raw < 2**63 else "amount of"
    # the first refused row: an earlier value past int64 cents is refused before it
    with pytest.raises((essconv.AmountError, essconv.MoneyOverflowError)) as e:
        essconv.Ledger.from_columns(table, amount="montant")
    if e.value.line == row + 1:
        assert isinstance(e.value, essconv.AmountError)
        assert re.search(rf"{shown} row {row + 1} has more than two decimals: cents cannot hold it",
                         str(e.value))
    else:
        assert e.value.line < row + 1 and "beyond int64 cents" in str(e.value)


def test_a_decimal_amount_past_twenty_decimals_is_refused_by_its_type():
    table = pa.table({"montant": pa.array([Decimal("1")], pa.decimal128(38, 21))})
    with pytest.raises(TypeError, match="d:38,21.*at most 20 decimals"):
        essconv.Ledger.from_columns(table, amount="montant")


def test_arrow_buffers_that_are_not_aligned_are_read_exactly():
    """Buffers that arrive through a byte stream (a pickled partition, an IPC message) may start
    at any address: the core reads them without a misaligned load (the sanitizer run checks)."""
    def unaligned(values, kind):
        dense = pa.array(values, kind)
        moved = []
        for buf in dense.buffers():
            if buf is None:
                moved.append(None)
                continue
            shifted = pa.py_buffer(b"\0" + buf.to_pybytes())
            moved.append(shifted.slice(1))     # the same bytes, one byte off
        return pa.Array.from_buffers(kind, len(dense), moved, null_count=dense.null_count)

    table = pa.table({
        "montant": unaligned([Decimal("1250.50"), Decimal("-0.01")], pa.decimal128(38, 2)),
        "centimes": unaligned([2**40, -7], pa.int64()),
        "petit": unaligned([-3, 30000], pa.int16()),
        "signee": unaligned([dt.date(2009, 12, 2), dt.date(1969, 12, 31)], pa.date32()),
        "financeur": unaligned(["Région", "CDC"], pa.string()),
        "beneficiaire": unaligned(["Association à Lille", "B"], pa.large_string()),
    })
    ledger = essconv.Ledger.from_columns(table, amount="montant")
    assert ledger.values("montant") == [Decimal("1250.5"), Decimal("-0.01")]
    assert ledger.values("centimes") == [2**40, -7] and ledger.values("petit") == [-3, 30000]
    assert ledger.values("signee") == [dt.date(2009, 12, 2), dt.date(1969, 12, 31)]
    assert ledger.values("financeur") == ["Région", "CDC"]
    assert ledger.values("beneficiaire") == ["Association à Lille", "B"]


def test_dictionary_labels_import_as_their_plain_strings_would():
    """Dictionary columns are interned once per entry: the same codes (first seen first), unused
    and null entries, and batches with different dictionaries, as plain strings give them."""
    first = pa.DictionaryArray.from_arrays(pa.array([2, 0, None, 2, 3], pa.int32()),
                                           pa.array(["CDC", "inutilisé", "Région", None]))
    second = pa.DictionaryArray.from_arrays(pa.array([1, 0, 1], pa.int32()),
                                            pa.array(["Région", "Département"]))
    montant = pa.array([Decimal(k) for k in range(5)], pa.decimal128(10, 2))
    batches = [pa.record_batch([montant, first], names=["montant", "f"]),
               pa.record_batch([montant.slice(0, 3), second], names=["montant", "f"])]
    encoded = essconv.Ledger.from_columns(pa.Table.from_batches(batches), amount="montant")
    plain = essconv.Ledger.from_columns(pa.table({
        "montant": pa.concat_arrays([montant, montant.slice(0, 3)]),
        "f": pa.concat_arrays([first.cast(pa.string()), second.cast(pa.string())])}), amount="montant")
    assert encoded.values("f") == plain.values("f") == \
        ["Région", "CDC", None, "Région", None, "Département", "Région", "Département"]
    assert encoded.labels("f") == plain.labels("f") == ["Région", "CDC", "Département"]
    bad = pa.DictionaryArray.from_arrays(pa.array([0, 5], pa.int32()), pa.array(["A"]), safe=False)
    with pytest.raises(TypeError, match="out of range"):
        essconv.Ledger.from_columns(pa.table({"montant": montant.slice(0, 2), "f": bad}), amount="montant")


def test_pivots_export_as_a_long_exact_table(ledger_and_csv, tmp_path):
    ledger, csv_path = ledger_and_csv
    pivot = ledger.pivot(rows=("annee", "ligne"), columns="financeur")
    pivot.to_parquet(tmp_path / "pivot.parquet")
    table = pq.read_table(tmp_path / "pivot.parquet")
    assert table.schema.metadata[b"essconv.unit"] == "€".encode()
    sums, _, _, _ = twin([csv_path], ["annee", "ligne", "financeur"])
    got = {(int(a), l, f): v for a, l, f, v in zip(*(table.column(n).to_pylist()
                                                     for n in ("axis", "line", "funder", "amount")))}
    assert got == {k: v for k, v in sums.items()}
    annex = essconv.default().plan(2009)
    annex.to_parquet(tmp_path / "annexe.parquet")
    assert sum(pq.read_table(tmp_path / "annexe.parquet").column("amount").to_pylist()) == annex.total()


@pytest.mark.parametrize("unit, cells, scale", [
    # "1,234 k€" is 1 234 €, "0,00001 k€" one cent: decimal128(38, 2) refused them
    ("k€", {"Têtes de réseaux": ["1,234", "10"], "DLA": ["2", "0,00001"]}, 5),
    ("M€", {"Têtes de réseaux": ["0,25", "1,00000001"], "DLA": ["3", ""]}, 8),
    ("€", {"Têtes de réseaux": ["197,5", "20,01"], "DLA": ["", "1 327"]}, 2),
])
def test_a_plans_arrow_table_keeps_every_cent_in_its_unit(unit, cells, scale, tmp_path):
    """A plan in k€ holds whole cents of a euro, up to five decimals of its unit; its Arrow
    table and Parquet file keep them all, read back equal to the printed figures."""
    funders = ["CR", "CDC"]
    text = f"en {unit};" + ";".join(funders) + "\n" + "".join(
        f"{line};" + ";".join(row) + "\n" for line, row in cells.items())
    plan = essconv.read_plan(io.BytesIO(text.encode()))
    # the oracle: the printed figures themselves, read as Decimal (blank cells are no row)
    want = {(line, funders[j]): Decimal(v.replace(" ", "").replace(",", "."))
            for line, row in cells.items() for j, v in enumerate(row) if v}
    for table in (pa.table(plan), plan.to_arrow()):   # through the PyCapsule, and directly
        assert table.schema.field("amount").type == pa.decimal128(38, scale)
        assert table.schema.metadata[b"essconv.unit"] == unit.encode()
        got = dict(zip(zip(table.column("line").to_pylist(), table.column("funder").to_pylist()),
                       table.column("amount").to_pylist()))
        assert got == want
    plan.to_parquet(tmp_path / "plan.parquet")
    back = pq.read_table(tmp_path / "plan.parquet")
    assert sum(back.column("amount").to_pylist()) == sum(want.values()) == plan.total()
    reader = pa.RecordBatchReader.from_stream(plan)
    assert reader.read_all().column("amount").to_pylist() == back.column("amount").to_pylist()


def test_a_pivots_missing_key_is_null_in_arrow_and_parquet_a_label_stays_a_label(tmp_path):
    # A ledger's pivot names a missing key's axis, line or funder "(missing)" (its Plan API
    # and displays); in its long Arrow table that text came out as a label, so pandas,
    # polars and Parquet readers saw a group "(missing)" where the ledger held no key
    groups = ["A", None, "A", "B", None]
    lines = ["01", "x", None, "x", "1.0"]
    funders = [None, "NA", "nan", "NA", None]
    years = [2017, None, 2018, 2017, 2018]
    amounts = [Decimal("1.05"), Decimal("-2.10"), Decimal("4.00"), Decimal("8.25"), Decimal("0.01")]
    ledger = essconv.Ledger.from_columns({"g": groups, "l": lines, "f": funders, "y": years,
                                          "m": amounts}, amount="m")

    def oracle(*keys):
        sums: dict = {}
        for row in zip(*keys, amounts):
            sums[row[:-1]] = sums.get(row[:-1], Decimal(0)) + row[-1]
        return sums

    def cells(table, names):
        return {tuple(r[n] for n in names): r["amount"] for r in table.to_pylist()}
    plan = ledger.pivot(rows=("g", "l"), columns="f")
    assert cells(pa.table(plan), ("axis", "line", "funder")) == oracle(groups, lines, funders)
    plan.to_parquet(tmp_path / "p.parquet")
    assert cells(pq.read_table(tmp_path / "p.parquet"), ("axis", "line", "funder")) == \
        oracle(groups, lines, funders)
    by_year = ledger.pivot(rows="y", columns="l")   # an int key: its missing key too
    assert cells(by_year.to_arrow(), ("line", "funder")) == \
        oracle(years, lines)
    # a label written "(missing)" with no missing key beside it stays that label
    named = essconv.Ledger.from_columns({"l": ["(missing)", "x"], "f": ["a", "a"],
                                         "m": amounts[:2]}, amount="m")
    assert cells(named.pivot("l", "f").to_arrow(), ("line", "funder")) == \
        {("(missing)", "a"): amounts[0], ("x", "a"): amounts[1]}


def test_a_pivots_missing_key_is_missing_in_its_pandas_frame_a_label_stays():
    # Plan.to_pandas of a ledger's pivot indexed a missing key's line and headed its funder
    # "(missing)": .loc[None] found nothing and isna() nothing, a label no file wrote
    pd = pytest.importorskip("pandas")
    lines = ["x", None, "(vide)", None]
    funders = ["f", "f", None, "g"]
    amounts = [Decimal("1.50"), Decimal(2), Decimal(4), Decimal("-0.25")]
    ledger = essconv.Ledger.from_columns({"l": lines, "c": funders, "m": amounts}, amount="m")
    frame = ledger.pivot("l", "c").to_pandas()
    got = {}
    for (_axis, line), row in frame.iterrows():
        for funder, value in row.items():
            if value is not None:
                got[(None if pd.isna(line) else line, None if pd.isna(funder) else funder)] = value
    oracle: dict = {}
    for k in zip(lines, funders, amounts):
        oracle[k[:2]] = oracle.get(k[:2], Decimal(0)) + k[2]
    assert got == oracle
    assert frame.index.get_level_values("line").isna().sum() == 1 and frame.columns.isna().sum() == 1


def test_a_ledger_pivots_exports_keep_its_keys_types_as_the_aggregates_do():
    # Plan.to_arrow and to_pandas of a ledger's pivot wrote a year 2017 as the text "2017"
    # and a day as "2016-02-29", where the same ledger's Aggregate gives int64 and date32:
    # a join of the two on the year matched nothing, a sort by day sorted text
    pd = pytest.importorskip("pandas")
    years = [2017, 2018, None, 2017]
    days = [dt.date(2016, 2, 29), dt.date(2017, 1, 1), None, dt.date(2016, 2, 29)]
    funders = ["A", "B", "A", None]
    amounts = [Decimal("1.50"), Decimal(2), Decimal("-0.25"), Decimal("4.05")]
    ledger = essconv.Ledger.from_columns({"y": years, "d": days, "f": funders, "m": amounts},
                                         amount="m")
    agg = pa.table(ledger.group_by("y", "d", "f").sum())
    plan = ledger.pivot(rows=("y", "d"), columns="f")
    table = plan.to_arrow()
    assert table.schema.field("axis").type == agg.schema.field("y").type == pa.int64()
    assert table.schema.field("line").type == agg.schema.field("d").type == pa.date32()
    assert table.schema.field("funder").type == pa.string()
    assert table.schema.field("amount").type == pa.decimal128(38, 2)
    got = {(r["axis"], r["line"], r["funder"]): r["amount"] for r in table.to_pylist()}
    assert got == {(r["y"], r["d"], r["f"]): r["sum"] for r in agg.to_pylist()}
    # an int column as the funders, a year of a date as the lines
    by_year = ledger.pivot(rows=essconv.year("d"), columns="y").to_arrow()
    assert by_year.schema.field("line").type == by_year.schema.field("funder").type == pa.int64()
    assert {(r["line"], r["funder"]) for r in by_year.to_pylist()} == \
        {(None if d is None else d.year, y) for d, y in zip(days, years)}
    # pandas: the index and columns hold the keys as the Aggregate's frame holds them
    frame = plan.to_pandas()
    agg_frame = ledger.group_by("y", "d", "f").sum().to_pandas()
    assert frame.index.get_level_values("axis").dtype == agg_frame["y"].dtype == "Int64"
    assert {v for v in frame.index.get_level_values("line") if not pd.isna(v)} == \
        {d for d in days if d is not None}
    assert frame.loc[(2017, dt.date(2016, 2, 29)), "A"] == Decimal("1.50")
    assert isinstance(frame.loc[(2017, dt.date(2016, 2, 29)), "A"], Decimal)
    columns = ledger.pivot("f", "y").to_pandas().columns
    assert columns.dtype == "Int64" and list(columns.dropna()) == [2017, 2018]


def test_a_label_spelled_as_hive_s_missing_value_is_refused_not_merged_with_the_missing(tmp_path):
    # written as its directory k=__HIVE_DEFAULT_PARTITION__, the label was read back missing:
    # its records merged with the blank keys' without a word
    ledger = essconv.Ledger.read_csv(
        b"k;montant\n__HIVE_DEFAULT_PARTITION__;1,00\n;2,00\nA;4,00\n", amount="montant")
    target = tmp_path / "grants"
    with pytest.raises(essconv.InvalidValueError, match="__HIVE_DEFAULT_PARTITION__.*1 record"):
        ledger.to_parquet(target, partition_by=["k"])
    assert not target.exists()
    # relabelled, it is written and read back apart from the missing key
    fixed = ledger.relabel("k", {"__HIVE_DEFAULT_PARTITION__": "défaut"})
    fixed.to_parquet(target, partition_by=["k"])
    back = essconv.Ledger.read_parquet(target, amount="montant")
    assert back.group_by("k").sum().to_dict() == {"A": Decimal(4), "défaut": Decimal(1),
                                                  None: Decimal(2)}
    # a missing key alone is written as Hive writes it, and read back missing
    only_missing = essconv.Ledger.read_csv(b"k;montant\n;2,00\nA;4,00\n", amount="montant")
    only_missing.to_parquet(tmp_path / "m", partition_by=["k"])
    assert essconv.Ledger.read_parquet(tmp_path / "m", amount="montant").group_by(
        "k").sum().to_dict() == {"A": Decimal(4), None: Decimal(2)}


@pytest.mark.parametrize("order, fmt", [("dmy", "%d/%m/%Y"), ("mdy", "%m/%d/%Y")])
def test_a_date_partition_column_keeps_the_order_its_file_was_read_in(order, fmt, tmp_path):
    """to_parquet(partition_by=["date"]) kept the date column's kind, not its order (the
    directory names hold its values, ISO): read back, a filter's 04/05/2017 was refused as
    never decided.  The oracle is strptime in the file's order and a Decimal sum of the rows."""
    days = [dt.date(2017, 4, 5), dt.date(2017, 5, 4), dt.date(2017, 3, 25), dt.date(2017, 4, 5)]
    amounts = [Decimal("1.50"), Decimal("2.25"), Decimal("3"), Decimal("4.75")]
    text = "date;montant;f\n" + "".join(f"{d.strftime(fmt)};{str(a).replace('.', ',')};CR\n"
                                        for d, a in zip(days, amounts))
    ledger = essconv.Ledger.read_csv(io.BytesIO(text.encode()), amount="montant",
                                     dates=["date"])
    assert ledger.date_orders == {"date": order}
    ledger.to_parquet(tmp_path / "ds", partition_by=["date"])
    back = essconv.Ledger.read_parquet(tmp_path / "ds", amount="montant")
    assert back.date_orders == {"date": order}
    meant = dt.datetime.strptime("04/05/2017", fmt).date()
    want = sum((a for d, a in zip(days, amounts) if d == meant), Decimal(0))
    assert back.filter(date="04/05/2017").total() == want
    # a ledger of ISO dates decided none: its partitions say none either
    iso = essconv.Ledger.from_columns({"date": days, "montant": [str(a) for a in amounts]},
                                      amount="montant")
    iso.to_parquet(tmp_path / "iso", partition_by=["date"])
    assert essconv.Ledger.read_parquet(tmp_path / "iso", amount="montant").date_orders == {
        "date": "unknown"}


def test_a_partition_column_missing_on_every_record_is_read_back(tmp_path):
    essconv_dask = pytest.importorskip("essconv.dask")
    # The Nièvre 2016 file has no idBeneficiaire on any record: partitioned by it, every record
    # sits in idBeneficiaire=__HIVE_DEFAULT_PARTITION__, and the dataset essconv had just
    # written could not be read back (pyarrow cannot guess the type of a column of nulls alone)
    scdl = essconv.read_scdl(DATA / "nievre-2016-subventions.csv")
    assert set(scdl.values("idBeneficiaire")) == {None}
    for by in (["idBeneficiaire"], ["idBeneficiaire", "nomAttribuant"],
               ["nomAttribuant", "idBeneficiaire"]):
        target = tmp_path / "-".join(by)
        scdl.to_parquet(target, partition_by=by)
        for back in (essconv.Ledger.read_parquet(target, amount="montant"),
                     essconv_dask.read_parquet(target, amount="montant")):
            assert len(back) == len(scdl), by
            assert back.total() == scdl.total(), by
            assert back.group_by(*by).sum().to_dict() == scdl.group_by(*by).sum().to_dict(), by
    # a foreign dataset of one missing partition value: a label column of missing keys
    (tmp_path / "f" / f"dep={essconv.ledger.HIVE_MISSING}").mkdir(parents=True)
    pq.write_table(pa.table({"montant": pa.array([Decimal("1.50")], pa.decimal128(38, 2))}),
                   tmp_path / "f" / f"dep={essconv.ledger.HIVE_MISSING}" / "x.parquet")
    back = essconv.Ledger.read_parquet(tmp_path / "f", amount="montant")
    assert back.kinds == {"montant": "amount", "dep": "label"}
    assert back.group_by("dep").sum().to_dict() == {None: Decimal("1.50")}


@pytest.mark.parametrize("report", ["with_total", "top_others_total"])
@pytest.mark.parametrize("with_line", [True, False])
def test_a_reports_total_line_read_back_from_parquet_is_set_aside_as_read_sql_does(
        tmp_path, report, with_line):
    """An aggregate written with its Total line and read back with ``columns=[key, "sum",
    "report_line"]`` counted its Total line as a record, every group twice, where read_sql
    sets it aside.  The Total line is a bad row (``report_line`` read to tell it even when
    ``columns`` leaves it out, then left out); the others line stays."""
    written, twin_total = report_with_total(report)   # the records' own sum
    path = tmp_path / "totaux.parquet"
    written.to_parquet(path)
    columns = ["financeur", "sum"] + (["report_line"] if with_line else [])
    back = essconv.Ledger.read_parquet(path, amount="sum", columns=columns)
    assert back.total() == twin_total
    kinds = written.line_kinds()
    assert kinds.count("total") == 1 and len(back) == len(kinds) - 1
    assert ("report_line" in back.columns) == with_line
    [aside] = back.bad_rows
    assert aside.line == kinds.index("total") + 1
    assert "Total line" in aside.message and "counts them twice" in aside.message
    # as the SQL reader reads the same report
    db = str(tmp_path / "totaux.db")
    written.to_sql("totaux", db)
    sql = essconv.Ledger.read_sql(f"SELECT {', '.join(columns)} FROM totaux", db, amount="sum")
    if with_line:
        assert sql.total() == back.total() and [b.line for b in sql.bad_rows] == [aside.line]
    else:   # a SELECT without report_line cannot tell the Total line; the Parquet file can
        assert sql.total() == 2 * twin_total and back.total() == twin_total


def test_a_folder_of_parquet_files_without_partition_folders_reads_every_file(tmp_path):
    # pyarrow 26 gives such a folder a hive partitioning whose schema is the files' own
    # columns: asked to read them again from folder names, the read failed with pyarrow's
    # "Requested schema has 2 fields, but only 0 were detected"
    folder = tmp_path / "export"
    folder.mkdir()
    for name, amounts, labels in (("a", ["1.25", "2.00"], ["x", "y"]), ("b", ["-0.25"], ["x"])):
        pq.write_table(pa.table({"m": pa.array([Decimal(v) for v in amounts], pa.decimal128(10, 2)),
                                 "f": labels}), folder / f"{name}.parquet")
    ledger = essconv.Ledger.read_parquet(folder, amount="m")
    assert ledger.columns == ["m", "f"] and len(ledger) == 3
    assert ledger.group_by("f").sum().to_dict() == {"x": Decimal("1.00"), "y": Decimal("2.00")}
    assert essconv.Ledger.read_parquet(str(folder), amount="m", columns=["m"]).total() == 3
    # and a hive folder beside it still reads its partition column
    hive = tmp_path / "hive" / "annee=2017"
    hive.mkdir(parents=True)
    pq.write_table(pa.table({"m": [1], "f": ["x"]}), hive / "p.parquet")
    assert essconv.Ledger.read_parquet(tmp_path / "hive", amount="m").values("annee") == [2017]


def _files(folder, *tables):
    folder.mkdir(parents=True, exist_ok=True)
    for k, table in enumerate(tables):
        pq.write_table(table, folder / f"part-{k}.parquet")
    return folder


@pytest.mark.parametrize("first, second, column", [
    # a label '01' in one file, ints in the first: read as the int 1, its zero lost
    (pa.table({"m": [1], "x": pa.array([1])}), pa.table({"m": [2], "x": ["01"]}), "x"),
    # decimal euros in the first file, int cents in the next: 250 read as 250,00 €
    (pa.table({"m": pa.array([Decimal("1.50")], pa.decimal128(10, 2))}),
     pa.table({"m": pa.array([250])}), "m"),
    # a date in one file, its text in the next
    (pa.table({"m": [1], "d": pa.array([dt.date(2017, 1, 1)])}),
     pa.table({"m": [2], "d": ["2017-01-02"]}), "d"),
])
def test_files_of_one_dataset_giving_a_column_two_kinds_are_refused_naming_the_file(
        tmp_path, first, second, column):
    # a dataset's schema is its first file's: the others' columns were cast to it, silently
    folder = _files(tmp_path / "export", first, second)
    with pytest.raises(essconv.ParseError) as caught:
        essconv.Ledger.read_parquet(folder, amount="m", cents=True)
    said = str(caught.value)
    # the file said once, where the error says its place (it was said twice)
    assert said.count("part-1.parquet") == 1 and repr(column) in said, said


def test_a_column_only_a_later_file_holds_is_refused_not_dropped(tmp_path):
    # the dataset's schema, its first file's, has no such column: its values were left out
    folder = _files(tmp_path / "export", pa.table({"m": [1]}),
                    pa.table({"m": [2], "nom": ["Ville de Lille"]}))
    with pytest.raises(essconv.ParseError, match="'nom'") as caught:
        essconv.Ledger.read_parquet(folder, amount="m")
    assert "part-1.parquet" in str(caught.value)
    # leaving it out is then the caller's word
    assert essconv.Ledger.read_parquet(folder, amount="m", columns=["m"]).total() == 3


def test_files_whose_columns_differ_only_in_width_or_encoding_read_as_one(tmp_path):
    folder = _files(tmp_path / "export",
                    pa.table({"m": pa.array([Decimal("1.25")], pa.decimal128(10, 2)),
                              "x": pa.array(["a"]).dictionary_encode(),
                              "n": pa.array([1], pa.int32())}),
                    pa.table({"m": pa.array([Decimal("2.500")], pa.decimal128(20, 3)),
                              "x": pa.array(["b"], pa.large_string()),
                              "n": pa.array([2], pa.int64())}),
                    pa.table({"m": pa.array([Decimal("4.00")], pa.decimal128(10, 2))}))
    ledger = essconv.Ledger.read_parquet(folder, amount="m")
    assert ledger.total() == Decimal("7.75") and ledger.values("x") == ["a", "b", None]
    assert ledger.values("n") == [1, 2, None]


def test_a_column_all_missing_in_one_file_reads_beside_another_files_values(tmp_path):
    folder = _files(tmp_path / "export", pa.table({"m": [1], "x": ["a"]}),
                    pa.table({"m": [2], "x": pa.nulls(1)}))
    assert essconv.Ledger.read_parquet(folder, amount="m").values("x") == ["a", None]


def test_read_parquet_refuses_decimals_under_an_amount_name_saying_k_euros(tmp_path):
    """A decimal column named 'montant (k€)' holding 1.50 and 2.00 totalled 3,50 €: the name
    says k€, the numbers carry no unit (and essconv's own exports keep such a name over euros).
    Refused naming the file and the column; a name read_csv refuses is refused alike."""
    path = tmp_path / "k.parquet"
    pq.write_table(pa.table({"nom": ["a", "b"], "montant (k€)": pa.array(
        [Decimal("1.50"), Decimal("2.00")], pa.decimal128(10, 2))}), path)
    with pytest.raises(essconv.AmountTypeError) as caught:
        essconv.Ledger.read_parquet(path, amount="montant (k€)")
    assert caught.value.reason == ("unit-numbers",) and caught.value.path == str(path)
    usd = tmp_path / "usd.parquet"
    pq.write_table(pa.table({"montant (USD)": pa.array([1, 2])}), usd)
    with pytest.raises(essconv.ParseError) as caught:
        essconv.Ledger.read_parquet(usd, amount="montant (USD)")
    assert caught.value.reason == ("currency-header",)


def test_a_column_all_missing_in_the_first_file_reads_beside_a_later_file_s_values(tmp_path):
    # the dataset's schema is its first file's: a column all missing there is of Arrow's null
    # type, and pyarrow failed to cast the next file's names to it ("Unsupported cast from
    # string to null"), a bare pyarrow error naming no file
    folder = _files(tmp_path / "export",
                    pa.table({"m": [1, 2], "x": pa.nulls(2)}),
                    pa.table({"m": [4], "x": ["Ville de Lille"]}),
                    pa.table({"m": [8], "x": pa.nulls(1)}))
    ledger = essconv.Ledger.read_parquet(folder, amount="m")
    assert ledger.values("x") == [None, None, "Ville de Lille", None]
    assert ledger.total() == 15


def test_a_later_file_s_finer_decimal_is_read_at_its_scale_not_refused_by_pyarrow(tmp_path):
    # 1.5 (decimal(10,1)) in the first file, 2.25 and 1.505 (decimal(10,3)) in the next: the
    # later file was cast to the first's one decimal, and pyarrow refused ("Rescaling Decimal
    # value would cause data loss") without a file; whole cents read, a sub-cent is refused
    # at its row like any amount
    folder = _files(tmp_path / "export",
                    pa.table({"m": pa.array([Decimal("1.5")], pa.decimal128(10, 1))}),
                    pa.table({"m": pa.array([Decimal("2.25")], pa.decimal128(10, 3))}))
    assert essconv.Ledger.read_parquet(folder, amount="m").values("m") == [Decimal("1.5"),
                                                                           Decimal("2.25")]
    _files(tmp_path / "export", pa.table({"m": pa.array([Decimal("1.5")], pa.decimal128(10, 1))}),
           pa.table({"m": pa.array([Decimal("2.25"), Decimal("1.505")], pa.decimal128(10, 3))}))
    with pytest.raises(essconv.AmountError, match=r"1\.505.* row 3 has more than two decimals"):
        essconv.Ledger.read_parquet(tmp_path / "export", amount="m")


@pytest.mark.parametrize("in_file", [pa.array(["62"]), pa.array([62]), pa.array([59]),
                                     pa.array([62], pa.int32())])
def test_a_column_both_in_the_folder_names_and_in_a_file_is_refused_naming_both(tmp_path, in_file):
    # dep=59/a.parquet holding a column dep: pyarrow failed on the two types ("Unable to merge:
    # Field dep has incompatible types"), and where the types agree it reads the folder's
    # value over the file's without a word (62 read as 59)
    folder = tmp_path / "grants"
    (folder / "dep=59").mkdir(parents=True)
    pq.write_table(pa.table({"dep": in_file, "m": [1]}), folder / "dep=59" / "a.parquet")
    with pytest.raises(essconv.ParseError, match="'dep'") as caught:
        essconv.Ledger.read_parquet(folder, amount="m")
    said = str(caught.value)
    assert "dep=59" in said and said.count("a.parquet") == 1, said
