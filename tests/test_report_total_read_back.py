"""A report's Total line (``agg.with_total()``) handed back to a ledger by every way a table
enters one: the aggregate itself, a pyarrow table, an Arrow stream, polars, duckdb, pandas,
Python columns, a CSV export.  Read as a record it doubled every total; it is set aside as a
bad row (``read_parquet`` and ``read_sql`` set it aside so), said in both languages, or
refused with ``bad_rows="raise"`` naming its row; an "others" line stays.  Each way is checked
against the records' own Decimal sum (conftest.report_with_total)."""
from __future__ import annotations

from decimal import Decimal

import pytest

pa = pytest.importorskip("pyarrow")

import essconv  # noqa: E402
from conftest import report_with_total  # noqa: E402
from essconv.messages import language  # noqa: E402


def _polars(report):
    pl = pytest.importorskip("polars")
    return pl.from_arrow(pa.table(report))


def _duckdb(report):
    duckdb = pytest.importorskip("duckdb")
    report_table = pa.table(report)  # noqa: F841 - read by name by duckdb's replacement scan
    return duckdb.sql("SELECT * FROM report_table").arrow()


def _pandas(report):
    pytest.importorskip("pandas")
    return pa.table(report).to_pandas()


WAYS = {
    "aggregate": lambda report: report,
    "pyarrow table": lambda report: pa.table(report),
    "arrow stream": lambda report: pa.RecordBatchReader.from_stream(report),
    "record batch": lambda report: pa.table(report).combine_chunks().to_batches()[0],
    "python columns": lambda report: pa.table(report).to_pydict(),
    "polars": _polars,
    "duckdb": _duckdb,
    "pandas": _pandas,
}


@pytest.mark.parametrize("report", ["with_total", "top_others_total"])
@pytest.mark.parametrize("way", list(WAYS))
def test_a_report_s_total_line_entering_a_ledger_is_set_aside_and_said(way, report):
    """``Ledger.from_columns(agg.with_total(), amount="sum")`` (and the same report through
    pyarrow, polars, duckdb, pandas) totalled twice the records' sum, without a word."""
    written, twin_total = report_with_total(report)
    kinds = written.line_kinds()
    columns = pa.table(written).column_names
    back = essconv.Ledger.from_columns(WAYS[way](written), amount="sum")
    assert back.total() == twin_total
    assert len(back) == len(kinds) - 1
    # the others line (the groups a top left out) stays: it is no total
    assert back.values("report_line") == [k for k in kinds if k != "total"]
    [aside] = back.bad_rows
    assert (aside.line, aside.column) == (kinds.index("total") + 1,
                                          columns.index("report_line") + 1)
    assert "Total line" in aside.message and "counts them twice" in aside.message
    assert str(twin_total) in aside.message
    french = language("fr").problem(aside)
    assert "ligne Total" in french
    # its amount as a French page says money, never the Decimal's text with its point
    assert language("fr").amount(twin_total, "€") in french and str(twin_total) not in french
    with pytest.raises(essconv.ParseError) as caught:
        essconv.Ledger.from_columns(WAYS[way](written), amount="sum", bad_rows="raise")
    assert (caught.value.line, caught.value.column) == (aside.line, aside.column)
    assert "Total line" in str(caught.value)
    assert caught.value.reason[0] == "report-total"   # a French listing words it


@pytest.mark.parametrize("report", ["with_total", "top_others_total"])
def test_a_report_s_total_line_is_no_row_of_its_to_ledger(report):
    """``agg.with_total().to_ledger()`` held the Total line as a row: its total(), a pivot, a
    group-by of it counted every group twice, without a word, where the same report through
    from_columns sets the line aside.  It is set aside there too, said in ``bad_rows``; the
    others line stays, and the report itself still shows and exports its Total."""
    written, twin_total = report_with_total(report)
    kinds = written.line_kinds()
    ledger = written.to_ledger()
    assert ledger.total() == twin_total
    assert ledger.values("report_line") == [k for k in kinds if k != "total"]
    assert sum(ledger.group_by("financeur").sum().to_dict().values()) == twin_total
    assert ledger.pivot("financeur", "report_line").total() == twin_total
    [aside] = ledger.bad_rows
    assert aside.line == kinds.index("total") + 1 and "Total line" in aside.message
    assert written.to_dict()[essconv.Aggregate.TOTAL] == twin_total
    assert pa.table(written).column("report_line").to_pylist() == kinds


def test_the_total_line_is_set_aside_whatever_its_place():
    """A Total line sorted among the others (a table re-ordered by the analyst) is found at
    its own row, each one, and only those; a missing report_line is a record."""
    amounts = [Decimal("1.10"), Decimal("5.00"), Decimal("2.20"), Decimal("3.30"),
               Decimal("5.00"), Decimal("0.40")]
    lines = ["group", "total", "group", None, "total", "others"]
    back = essconv.Ledger.from_columns({"sum": amounts, "report_line": lines}, amount="sum")
    kept = [a for a, line in zip(amounts, lines) if line != "total"]
    assert back.total() == sum(kept, Decimal(0))
    assert back.values("report_line") == [line for line in lines if line != "total"]
    assert [p.line for p in back.bad_rows] == [k + 1 for k, line in enumerate(lines)
                                               if line == "total"]


def test_a_table_without_report_line_is_untouched():
    """A column of another name saying 'total', or a report_line that is the amount's kind,
    is no report's Total line: every row is a record."""
    amounts = [Decimal("1"), Decimal("2")]
    back = essconv.Ledger.from_columns({"sum": amounts, "ligne": ["group", "total"]},
                                       amount="sum")
    assert back.total() == Decimal("3") and back.bad_rows == []
    with pytest.raises(essconv.InvalidValueError):
        essconv.Ledger.from_columns({"sum": amounts}, amount="sum", bad_rows="skip")


@pytest.mark.parametrize("lang", ["fr", "en"])
def test_a_report_s_csv_export_read_back_sets_its_total_line_aside(lang, tmp_path):
    """The CSV export carries the Total line as a key saying 'Total' (no report_line column):
    read back, the reader's total row check sets it aside in both languages of the export."""
    written, twin_total = report_with_total("with_total")
    path = tmp_path / "rapport.csv"
    written.to_csv(path, lang=lang)
    amount = "montant (€)" if lang == "fr" else "amount (€)"
    back = essconv.Ledger.read_csv(path, amount=amount, bad_rows="collect")
    assert back.total() == twin_total
    [aside] = back.bad_rows
    assert aside.line == len(written) + 1   # the header is line 1
    with pytest.raises(essconv.ParseError):
        essconv.Ledger.read_csv(path, amount=amount)
