"""A label is the same text whatever brings it: a CSV file, Python lists, Arrow arrays, a Parquet
file or an SQL query.  The CSV reader trims the spaces around a cell and reads a blank cell as
missing; every other source follows that rule, so a group-by total never splits one funder in
two ("CDC " and "CDC") nor keeps a blank name as a group of its own."""
from __future__ import annotations

import io
import pickle
from decimal import Decimal

import pytest

import essconv

# the cells as files and databases pad them: ASCII spaces, a tab, the no-break and narrow
# no-break spaces a spreadsheet leaves, a blank cell and one of spaces only
CELLS = ["CDC ", " CDC", "CDC", "", "\tCDC\u00a0", "\u202fRégion ", "Région", "   "]
AMOUNTS = [1, 2, 3, 4, 5, 6, 7, 8]


def sums(ledger):
    return ledger.group_by("f").sum().to_dict()


def csv_sums():
    text = "f;montant\n" + "".join(f"{c};{a}\n" for c, a in zip(CELLS, AMOUNTS))
    return sums(essconv.Ledger.read_csv(io.StringIO(text), amount="montant"))


def test_the_csv_reader_trims_labels_and_reads_a_blank_one_as_missing():
    assert csv_sums() == {"CDC": Decimal(11), "Région": Decimal(13), None: Decimal(12)}


def test_labels_from_python_lists_are_trimmed_as_the_csv_reader_trims_them():
    ledger = essconv.Ledger.from_columns({"f": CELLS, "montant": AMOUNTS}, amount="montant")
    assert sums(ledger) == csv_sums()
    assert ledger.values("f")[3] is None


@pytest.mark.parametrize("kind", ["string", "large_string", "dictionary", "string_view"])
def test_labels_from_arrow_arrays_are_trimmed_as_the_csv_reader_trims_them(kind):
    pa = pytest.importorskip("pyarrow")
    if kind == "string_view" and not hasattr(pa, "string_view"):
        pytest.skip("pyarrow without string_view")
    labels = {"string": lambda: pa.array(CELLS, pa.string()),
              "large_string": lambda: pa.array(CELLS, pa.large_string()),
              "dictionary": lambda: pa.array(CELLS).dictionary_encode(),
              "string_view": lambda: pa.array(CELLS, pa.string_view())}[kind]()
    table = pa.table({"f": labels, "montant": pa.array(AMOUNTS, pa.int64())})
    ledger = essconv.Ledger.from_columns(table, amount="montant")
    assert sums(ledger) == csv_sums()


def test_an_arrow_dictionary_holding_a_label_and_its_padded_twin_gives_one_code():
    pa = pytest.importorskip("pyarrow")
    labels = pa.DictionaryArray.from_arrays(pa.array([0, 1, 2, 1, 0], pa.int32()),
                                            pa.array(["CDC", "CDC ", " "]))
    table = pa.table({"f": labels, "montant": pa.array([1, 2, 3, 4, 5], pa.int64())})
    ledger = essconv.Ledger.from_columns(table, amount="montant")
    assert ledger.labels("f") == ["CDC"]
    assert sums(ledger) == {"CDC": Decimal(12), None: Decimal(3)}


def test_labels_of_a_parquet_file_are_trimmed_as_the_csv_reader_trims_them(tmp_path):
    pa = pytest.importorskip("pyarrow")
    pq = pytest.importorskip("pyarrow.parquet")
    path = tmp_path / "padded.parquet"
    pq.write_table(pa.table({"f": pa.array(CELLS), "montant": pa.array(AMOUNTS, pa.int64())}),
                   path)
    assert sums(essconv.Ledger.read_parquet(str(path), amount="montant")) == csv_sums()


def test_labels_of_an_sql_query_are_trimmed_as_the_csv_reader_trims_them(tmp_path):
    driver = pytest.importorskip("adbc_driver_sqlite.dbapi")
    path = tmp_path / "padded.db"
    with driver.connect(str(path)) as conn, conn.cursor() as cur:
        # CHAR(n) as PostgreSQL returns it ('CDC   '), and '' where a form left the name out
        cur.execute("CREATE TABLE t (f CHAR(6), montant INTEGER)")
        for cell, amount in zip(CELLS, AMOUNTS):
            cur.execute("INSERT INTO t VALUES (?, ?)", (cell, amount))
        conn.commit()
    ledger = essconv.Ledger.read_sql("SELECT f, montant FROM t", str(path), amount="montant")
    assert sums(ledger) == csv_sums()


def test_a_filter_and_has_label_take_the_label_as_given_whatever_the_source():
    from_lists = essconv.Ledger.from_columns({"f": CELLS, "montant": AMOUNTS}, amount="montant")
    text = "f;montant\n" + "".join(f"{c};{a}\n" for c, a in zip(CELLS, AMOUNTS))
    from_csv = essconv.Ledger.read_csv(io.StringIO(text), amount="montant")
    for ledger in (from_csv, from_lists):
        assert ledger.filter(f="CDC").total() == Decimal(11)
        assert ledger.has_label("f", "CDC") and not ledger.has_label("f", " CDC")


def test_a_ledger_unpickled_keeps_its_labels_as_they_were():
    ledger = essconv.Ledger.from_columns({"f": CELLS, "montant": AMOUNTS}, amount="montant")
    back = pickle.loads(pickle.dumps(ledger))
    assert back.values("f") == ledger.values("f")
    assert sums(back) == sums(ledger)


@pytest.mark.parametrize("values, row", [([True, "2"], 1), (["a", False], 2),
                                         ([None, True], 2), ([True, 2], 1)])
def test_a_bool_in_a_label_column_is_refused_at_its_row_as_an_arrow_boolean_column_is(values, row):
    # a flag is no label: Python prints it 'True', PostgreSQL 'true', SQLite 1 -- one fact
    # three labels; an Arrow boolean column is refused, and so is a bool in a list
    with pytest.raises(essconv.ArgumentTypeError, match=rf"column 'f'.*row {row}.*bool"):
        essconv.Ledger.from_columns({"f": values, "montant": [1, 2]}, amount="montant")
    pa = pytest.importorskip("pyarrow")
    with pytest.raises(essconv.ArgumentTypeError, match=r"'f'.*booleans"):
        essconv.Ledger.from_columns(pa.table({"f": [True, False], "montant": [1, 2]}),
                                    amount="montant")


def test_an_sql_boolean_column_asked_as_labels_is_refused_as_in_a_list():
    pa = pytest.importorskip("pyarrow")
    import essconv.sql
    table = pa.table({"ok": pa.array([True, False]), "montant": pa.array([1, 2], pa.int64())})
    with pytest.raises(essconv.Error, match=r"labels=\['ok'\].*bool.*CAST"):
        essconv.sql.ledger_from_table(table, amount="montant", cents=False, bad_rows="raise",
                                      source=None, labels=["ok"])
