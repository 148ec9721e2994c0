"""An aggregate written by essconv (sum, count, mean, min, max) read back from SQLite and Parquet:
every measure comes back as the exact amount it was (``Decimal``), never a label nor a float,
against a pure-Python ``Decimal`` twin of the records."""
from __future__ import annotations

from collections import defaultdict
from decimal import ROUND_HALF_EVEN, Decimal, localcontext

import pytest

pytest.importorskip("adbc_driver_sqlite")
pa = pytest.importorskip("pyarrow")
pq = pytest.importorskip("pyarrow.parquet")

import essconv  # noqa: E402

CENT = Decimal("0.01")
TOP = Decimal(2**63 - 1) / 100      # int64 cents' largest amount
BOTTOM = Decimal(-(2**63)) / 100    # and its smallest

#: labels an export must keep as they are: ';', quotes, a line ending, NBSP, accents, an
#: empty label, missing (None) as a blank CSV cell is
RECORDS = [("Région; « Hauts »", Decimal("10.50")), ('Caisse "des" Dépôts', Decimal("2.25")),
           ("Région; « Hauts »", Decimal("-0.75")), (None, Decimal("7")),
           ("Département\ndu Nord", Decimal("100.01")), ("Département\ndu Nord", Decimal("3")),
           ("", Decimal("0.01")), ("APES\u00a0Hauts-de-France", TOP),
           ("APES\u00a0Hauts-de-France", Decimal("-1")), ("CRESS", BOTTOM),
           ("Région; « Hauts »", Decimal("0.02"))]


def twin_measures(records):
    """Each funder's sum, count, mean (sum / count rounded half to even to the cent), min and
    max, from the records themselves."""
    by = defaultdict(list)
    for key, amount in records:
        by[key or None].append(amount)   # a blank label is missing

    out = {}
    with localcontext() as ctx:
        ctx.prec = 60
        for key, amounts in by.items():
            total = sum(amounts, Decimal(0))
            out[key] = {"sum": total, "count": len(amounts),
                        "mean": (total / len(amounts)).quantize(CENT, rounding=ROUND_HALF_EVEN),
                        "min": min(amounts), "max": max(amounts)}
    return out


def aggregate(records=RECORDS):
    ledger = essconv.Ledger.from_columns({"financeur nom": [k for k, _ in records],
                                          "montant": [a for _, a in records]}, amount="montant")
    return ledger.group_by("financeur nom").agg()


def written_and_read(how, tmp_path, agg, **read):
    if how == "sql":
        db = str(tmp_path / "totaux.db")
        agg.to_sql("totaux", db)
        return essconv.Ledger.read_sql("SELECT * FROM totaux", db, amount="sum", **read)
    path = tmp_path / "totaux.parquet"
    agg.to_parquet(path)
    return essconv.Ledger.read_parquet(path, amount="sum", **read)


@pytest.mark.parametrize("how", ["sql", "parquet"])
def test_an_aggregate_s_mean_min_and_max_read_back_as_exact_amounts(how, tmp_path):
    """Read back with ``amount="sum"``, SQLite gave the mean, min and max as labels ('5.75':
    text, no amount) and Parquet refused the whole file for its decimal mean column.  Each
    measure is an amount, each value the twin's Decimal, labels kept as written."""
    back = written_and_read(how, tmp_path, aggregate())
    assert back.kinds == {"financeur nom": "label", "sum": "amount", "count": "int",
                          "mean": "amount", "min": "amount", "max": "amount"}
    assert back.bad_rows == []
    got = {row["financeur nom"]: {m: row[m] for m in ("sum", "count", "mean", "min", "max")}
           for row in pa.table(back).to_pylist()}
    assert got == twin_measures(RECORDS)
    for row in got.values():
        assert all(type(row[m]) is Decimal for m in ("sum", "mean", "min", "max"))
    # the amount summed is the sum: the ledger's total is the records' own
    assert back.total() == sum((a for _, a in RECORDS), Decimal(0))


@pytest.mark.parametrize("how", ["sql", "parquet"])
def test_a_report_s_total_line_is_set_aside_once_with_its_mean_kept_exact(how, tmp_path):
    """The Total line of a report with its mean (``with_total()``) set aside once, the other
    lines' means amounts equal to the twin's."""
    agg = aggregate().with_total()
    back = written_and_read(how, tmp_path, agg)
    assert [p.line for p in back.bad_rows] == [agg.line_kinds().index("total") + 1]
    twin = twin_measures(RECORDS)
    got = {row["financeur nom"]: (row["sum"], row["mean"]) for row in pa.table(back).to_pylist()}
    assert got == {k: (v["sum"], v["mean"]) for k, v in twin.items()}
    assert back.total() == sum((a for _, a in RECORDS), Decimal(0))


@pytest.mark.parametrize("how", ["sql", "parquet"])
def test_an_amount_before_the_one_summed_is_refused_saying_how_to_read_it(how, tmp_path):
    """``amount="mean"`` of the whole aggregate: its ``sum`` comes first, and the first
    amount column is the one a ledger sums.  Refused naming the column and the amount, with
    the columns to select; selected so, the means are read and summed."""
    agg = aggregate()
    db, path = str(tmp_path / "t.db"), tmp_path / "t.parquet"
    agg.to_sql("totaux", db)
    agg.to_parquet(path)
    with pytest.raises(essconv.AmountTypeError) as caught:
        if how == "sql":
            essconv.Ledger.read_sql("SELECT * FROM totaux", db, amount="mean")
        else:
            essconv.Ledger.read_parquet(path, amount="mean")
    said = str(caught.value)
    assert "'sum'" in said and "before the amount 'mean'" in said and "mean" in said
    if how == "sql":
        back = essconv.Ledger.read_sql('SELECT "financeur nom", mean, sum FROM totaux', db,
                                       amount="mean")
    else:
        back = essconv.Ledger.read_parquet(path, amount="mean", columns=["financeur nom", "sum"])
    twin = twin_measures(RECORDS)
    assert back.total() == sum((v["mean"] for v in twin.values()), Decimal(0))
    assert back.kinds["sum"] == "amount"


def test_a_missing_decimal_beside_the_amount_is_refused_at_its_row_and_column(tmp_path):
    """A foreign Parquet file's decimal column beside the amount with a null: refused naming
    that column, its row and its place (never read as zero)."""
    path = tmp_path / "f.parquet"
    pq.write_table(pa.table({"montant": pa.array([Decimal("1.00"), Decimal("2.00")],
                                                 pa.decimal128(10, 2)),
                             "moyenne": pa.array([Decimal("1.00"), None], pa.decimal128(10, 2))}),
                   path)
    with pytest.raises(essconv.ParseError) as caught:
        essconv.Ledger.read_parquet(path, amount="montant")
    assert (caught.value.line, caught.value.column) == (2, 2)
    assert "'moyenne'" in str(caught.value)


@pytest.mark.parametrize("how", ["sql", "parquet"])
def test_a_report_s_shares_and_running_sums_read_back_as_the_decimals_written(how, tmp_path):
    """A report (top 3 with its others line, shares, running sums, the Total line) read back
    from SQLite gave its shares and running sums as labels ('45.04'); they are the exact
    decimals written, as Parquet gives them: the sums equal the twin's, each running sum the
    running Decimal sum of the lines read back, the shares those written, the Total line set
    aside once."""
    records = [r for r in RECORDS if r[1] not in (TOP, BOTTOM)]   # shares of a total in int64
    report = aggregate(records).sort("sum").top(3, others=True).share().cumulative().with_total()
    back = written_and_read(how, tmp_path, report)
    assert back.kinds["share"] == back.kinds["cumulative"] == "amount"
    lines = pa.table(back).to_pylist()
    written = [row for row in pa.table(report).to_pylist() if row["report_line"] != "total"]
    assert [(r["share"], r["cumulative"]) for r in lines] == [
        (r["share"], r["cumulative"]) for r in written]
    twin = twin_measures(records)
    running = Decimal(0)
    for row in lines:
        if row["report_line"] == "group":
            assert row["sum"] == twin[row["financeur nom"]]["sum"]
        running += row["sum"]
        assert type(row["cumulative"]) is Decimal and row["cumulative"] == running
        assert type(row["share"]) is Decimal
    assert running == sum((a for _, a in records), Decimal(0)) == back.total()
    assert len(back.bad_rows) == 1 and "Total line" in back.bad_rows[0].message


def test_an_aggregate_s_text_measures_are_read_as_its_sum_is_and_bad_ones_placed(tmp_path):
    """An aggregate's table written by hand (French decimal commas, a NULL mean, a mean no
    amount reads): each mean reads as the sum of its row does, and a row whose mean does not
    read is a bad row at its row and the mean's column, in both languages, never a label."""
    import sqlite3

    from essconv.messages import language
    db = tmp_path / "totaux.db"
    with sqlite3.connect(db) as conn:
        conn.execute("CREATE TABLE t (f TEXT, sum TEXT, count INTEGER, mean TEXT)")
        conn.executemany("INSERT INTO t VALUES (?, ?, ?, ?)", [
            ("a", "1 250,50", 2, "625,25"), ("b", "2,00", 1, "douze"), ("c", "3,00", 1, None),
            ("d", "4,5", 1, "4,5")])
    back = essconv.Ledger.read_sql("SELECT * FROM t", str(db), amount="sum")
    assert back.kinds["mean"] == "amount"
    assert [(r["f"], r["sum"], r["mean"]) for r in pa.table(back).to_pylist()] == [
        ("a", Decimal("1250.50"), Decimal("625.25")), ("d", Decimal("4.5"), Decimal("4.5"))]
    assert [(p.line, p.column) for p in back.bad_rows] == [(2, 4), (3, 4)]
    assert "'douze'" in back.bad_rows[0].message and "'mean'" in back.bad_rows[0].message
    assert "n'est pas un montant" in language("fr").problem(back.bad_rows[0])
    with pytest.raises(essconv.ParseError) as caught:
        essconv.Ledger.read_sql("SELECT * FROM t", str(db), amount="sum", bad_rows="raise")
    assert (caught.value.line, caught.value.column) == (2, 4)


def test_a_ledger_s_other_amounts_come_back_from_sqlite_with_amounts(tmp_path):
    """A ledger holding an amount beside the one summed (a budget, read from Parquet) goes to
    SQLite as text, as every amount: ``amounts=["budget"]`` reads it back as the amounts it
    was (against the Decimals written, int64 cents' limits included), a NULL or unreadable
    one a bad row at its row and column; a float or an integer column is refused, naming it."""
    import sqlite3
    budgets = [Decimal("1250.50"), TOP, BOTTOM, Decimal("-0.01")]
    paid = [Decimal("10"), Decimal("0.01"), Decimal("-3"), Decimal("7.25")]
    table = pa.table({"financeur": ["Région", "CDC", "Région; « x »", ""],
                      "montant": pa.array(paid, pa.decimal128(38, 2)),
                      "budget": pa.array(budgets, pa.decimal128(38, 2))})
    path = tmp_path / "l.parquet"
    pq.write_table(table, path)
    ledger = essconv.Ledger.read_parquet(path, amount="montant")
    assert ledger.kinds["budget"] == "amount" and ledger.total() == sum(paid, Decimal(0))
    db = str(tmp_path / "g.db")
    ledger.to_sql("subventions", db)
    as_labels = essconv.Ledger.read_sql("SELECT * FROM subventions", db, amount="montant")
    assert as_labels.kinds["budget"] == "label"     # SQLite says text; the caller says amounts
    back = essconv.Ledger.read_sql("SELECT * FROM subventions", db, amount="montant",
                                   amounts=["budget"])
    assert back.kinds["budget"] == "amount"
    assert pa.table(back).to_pylist() == pa.table(ledger).to_pylist()
    assert back.values("budget") == budgets and back.total() == sum(paid, Decimal(0))
    with sqlite3.connect(db) as conn:
        conn.execute("CREATE TABLE b (montant TEXT, financeur TEXT, budget TEXT)")
        conn.execute("INSERT INTO b VALUES ('0.50', 'w', '1 250,50'), ('1.00', 'x', NULL), "
                     "('2.00', 'y', 'dix'), ('3.00', 'z', '4')")
        conn.execute("CREATE TABLE f (montant TEXT, budget REAL, n INTEGER)")
        conn.execute("INSERT INTO f VALUES ('1.00', 1.5, 2)")
    back = essconv.Ledger.read_sql("SELECT * FROM b", db, amount="montant", amounts=["budget"])
    assert [(p.line, p.column) for p in back.bad_rows] == [(2, 3), (3, 3)]
    assert back.values("budget") == [Decimal("1250.50"), Decimal("4")]
    assert back.total() == Decimal("3.50")
    with pytest.raises(essconv.AmountTypeError, match="'budget'.*never floats"):
        essconv.Ledger.read_sql("SELECT * FROM f", db, amount="montant", amounts=["budget"])
    with pytest.raises(essconv.InvalidValueError, match="'n'.*not read as an amount") as caught:
        essconv.Ledger.read_sql("SELECT * FROM f", db, amount="montant", amounts=["n"])
    assert caught.value.column == 3


def test_decimals_beside_the_amount_from_python_lists_are_amounts_as_from_arrow():
    """``from_columns`` of Python lists made a column of Decimals beside the amount the labels
    '2.5', text where money was given, while the same Decimals as an Arrow decimal128 column
    are an amount.  Both ways give the same ledger; a column of Decimals before the amount
    (which the core would sum in its place) is refused naming both."""
    funders = ["Région", None, "", "CDC"]
    paid = [Decimal("10.50"), TOP, BOTTOM, Decimal("-0.01")]
    means = [Decimal("2.5"), None, Decimal("-3"), Decimal("1E+3")]
    lists = essconv.Ledger.from_columns({"f": funders, "montant": paid,
                                         "moyenne": [m if m is not None else Decimal(0)
                                                     for m in means]}, amount="montant")
    arrow = essconv.Ledger.from_columns(pa.table({
        "f": funders, "montant": pa.array(paid, pa.decimal128(38, 2)),
        "moyenne": pa.array([m if m is not None else Decimal(0) for m in means],
                            pa.decimal128(38, 2))}), amount="montant")
    assert lists.kinds == arrow.kinds == {"f": "label", "montant": "amount", "moyenne": "amount"}
    assert pa.table(lists).to_pylist() == pa.table(arrow).to_pylist()
    assert lists.values("moyenne") == [Decimal("2.5"), Decimal(0), Decimal(-3), Decimal(1000)]
    assert lists.total() == sum(paid, Decimal(0))
    with pytest.raises(essconv.AmountTypeError, match="'moyenne'.*before the amount 'montant'"):
        essconv.Ledger.from_columns({"moyenne": [Decimal(1)], "montant": [Decimal(2)]},
                                    amount="montant")
    with pytest.raises(essconv.AmountTypeError, match="'moyenne'.*row 2.*missing"):
        essconv.Ledger.from_columns({"montant": paid[:2], "moyenne": means[:2]},
                                    amount="montant")


@pytest.mark.parametrize("values, kind, error, said", [
    ([Decimal("1.00"), Decimal("0.125")], pa.decimal128(10, 3), essconv.AmountError,
     "0.125 of row 2 has more than two decimals"),
    ([Decimal("1"), Decimal(2**63)], pa.decimal128(38, 0), essconv.MoneyOverflowError,
     "beyond int64 cents at row 2"),
    ([Decimal("1.00"), None], pa.decimal128(10, 2), essconv.ParseError,
     "row 2 is missing"),
])
def test_a_bad_value_of_an_amount_beside_the_one_summed_names_its_column(tmp_path, values, kind,
                                                                         error, said):
    """A value of a Parquet file's second decimal column that cents cannot hold (a digit past
    the cents, past int64, missing) was refused in the words of the summed amount, no column
    named: the refusal names the column and is placed at its row and column."""
    path = tmp_path / "f.parquet"
    pq.write_table(pa.table({"financeur": ["Région", "CDC"],
                             "montant": pa.array([Decimal("1.00"), Decimal("2.00")],
                                                 pa.decimal128(10, 2)),
                             "moyenne": pa.array(values, kind)}), path)
    with pytest.raises(error) as caught:
        essconv.Ledger.read_parquet(path, amount="montant")
    assert "the column 'moyenne'" in str(caught.value) and said in str(caught.value)
    assert (caught.value.path, caught.value.line, caught.value.column) == (str(path), 2, 3)



CODES = [("59", "10.00", "Nord"), ("62", "5.50", "Pas-de-Calais"), ("02A", "1.25", "Corse"),
         ("80", "-0.75", None)]


def _codes_read(how, tmp_path, layout):
    """A table of someone else's (no aggregate essconv wrote) whose territory code column
    happens to be named ``min``, beside an amount ``sum``: laid out as essconv writes an
    aggregate after the codes (``sum``, ``count``, ``mean``: that mean the decimals written),
    or the codes after the amount with a ``mean`` of names, no count."""
    import sqlite3
    if how == "parquet":
        path = tmp_path / "codes.parquet"
        pq.write_table(pa.table({"min": [c for c, _, _ in CODES],
                                 "sum": pa.array([Decimal(t) for _, t, _ in CODES],
                                                 pa.decimal128(12, 2)),
                                 "count": [1] * len(CODES), "mean": [n for _, _, n in CODES]}),
                       path)
        return lambda **kw: essconv.Ledger.read_parquet(path, amount="sum", **kw)
    db = tmp_path / "codes.db"
    with sqlite3.connect(db) as conn:
        if layout == "aggregate":
            conn.execute('CREATE TABLE t ("min" TEXT, "sum" TEXT, "count" INTEGER, "mean" TEXT)')
            conn.executemany("INSERT INTO t VALUES (?, ?, ?, ?)",
                             [(code, total, 1, total) for code, total, _ in CODES])
        else:
            conn.execute('CREATE TABLE t ("sum" TEXT, "min" TEXT, "mean" TEXT)')
            conn.executemany("INSERT INTO t VALUES (?, ?, ?)",
                             [(total, code, name) for code, total, name in CODES])
    return lambda **kw: essconv.Ledger.read_sql("SELECT * FROM t", str(db), amount="sum", **kw)


@pytest.mark.parametrize("how,layout", [("sql", "aggregate"), ("sql", "foreign"),
                                        ("parquet", "foreign")])
def test_a_text_column_named_like_a_measure_stays_a_label(how, layout, tmp_path):
    """A territory code column named ``min`` was read as an amount by its name alone (the
    code 59 became 59,00 €, or the whole read refused as an amount before the sum), and a
    ``mean`` of names set every row aside as bad rows.  The codes stay the labels written, no
    row set aside; a mean laid out as essconv writes an aggregate's is still an amount, and the
    sum the amount summed."""
    read = _codes_read(how, tmp_path, layout)
    back = read()
    assert back.kinds["min"] == "label" and back.kinds["sum"] == "amount"
    assert back.bad_rows == []
    rows = pa.table(back).to_pylist()
    assert [(r["min"], r["sum"]) for r in rows] == [(c, Decimal(t)) for c, t, _ in CODES]
    if layout == "aggregate":
        assert back.kinds["mean"] == "amount"
        assert [r["mean"] for r in rows] == [Decimal(t) for _, t, _ in CODES]
    else:
        assert back.kinds["mean"] == "label"
        assert [r["mean"] for r in rows] == [n for _, _, n in CODES]
    assert back.total() == sum((Decimal(t) for _, t, _ in CODES), Decimal(0))
    # the twin: the codes said to be labels, as the module's documentation tells
    said = read(labels=["min"]) if how == "sql" else read()
    assert pa.table(said).to_pylist() == rows
