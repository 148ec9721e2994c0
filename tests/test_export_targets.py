"""Where an export is written, given the way a notebook user may give it by a slip.

``open()`` takes an int as a file descriptor: ``agg.to_csv(1)`` wrote the report over the
process's standard output and closed it (a notebook kernel's own channel), ``to_csv(0)`` closed
its standard input, and ``to_xlsx(None)`` failed deep in zipfile with "'NoneType' object has no
attribute 'write'".  A target is a file name, an ``os.PathLike``, or (where the format allows
it) a binary file object; anything else is refused with essconv's own error before anything is
opened or written."""
from __future__ import annotations

import contextlib
import io
import os

import pytest

import essconv
from essconv.errors import ArgumentTypeError
from essconv.xlsx import write_aggregate_xlsx, write_plan_xlsx

CSV = "beneficiaire;financeur;montant\n" + "".join(
    f"A{i % 5};F{i % 3};{i},50\n" for i in range(12))


@pytest.fixture
def ledger():
    return essconv.Ledger.read_csv(io.StringIO(CSV), amount="montant")


def _exports(ledger):
    agg = ledger.group_by("financeur").sum()
    plan = ledger.pivot("beneficiaire", "financeur")
    return {
        "Aggregate.to_csv": agg.to_csv,
        "Aggregate.to_xlsx": agg.to_xlsx,
        "Aggregate.to_parquet": agg.to_parquet,
        "Ledger.to_parquet": ledger.to_parquet,
        "Plan.to_parquet": plan.to_parquet,
        "write_plan_xlsx": lambda target: write_plan_xlsx(plan, target),
        "write_aggregate_xlsx": lambda target: write_aggregate_xlsx(agg, target),
    }


EXPORTS = ["Aggregate.to_csv", "Aggregate.to_xlsx", "Aggregate.to_parquet", "Ledger.to_parquet",
           "Plan.to_parquet", "write_plan_xlsx", "write_aggregate_xlsx"]


@pytest.mark.parametrize("export", EXPORTS)
@pytest.mark.parametrize("target", ["descriptor", True, 2.5, ["out.csv"], {}])
def test_a_target_that_is_no_file_name_is_refused_before_anything_is_written(
        ledger, export, target, tmp_path, monkeypatch):
    if "xlsx" in export.lower():
        pytest.importorskip("openpyxl")
    if "parquet" in export:
        pytest.importorskip("pyarrow")
    # a descriptor of a file of this test's own, standing for 1 (standard output): should it
    # be taken, the export lands in that file and closes it, not the test run's own output
    elsewhere = tmp_path / "elsewhere"
    descriptor = os.open(elsewhere, os.O_WRONLY | os.O_CREAT)
    monkeypatch.chdir(tmp_path)
    try:
        with pytest.raises(ArgumentTypeError) as caught:
            _exports(ledger)[export](descriptor if target == "descriptor" else target)
        os.fstat(descriptor)   # still open
    finally:
        with contextlib.suppress(OSError):
            os.close(descriptor)
    said = str(caught.value)
    assert (type(target).__name__ if target != "descriptor" else "int") in said
    assert "file name" in said
    assert os.listdir(tmp_path) == ["elsewhere"] and elsewhere.read_bytes() == b""


@pytest.mark.parametrize("export", EXPORTS)
def test_a_file_name_and_a_path_are_still_written(ledger, export, tmp_path):
    if "xlsx" in export.lower():
        pytest.importorskip("openpyxl")
    if "parquet" in export:
        pytest.importorskip("pyarrow")
    _exports(ledger)[export](str(tmp_path / "a"))
    _exports(ledger)[export](tmp_path / "b")
    assert sorted(os.listdir(tmp_path)) == ["a", "b"]
    # (a workbook or a Parquet file keeps the time it was written: only the CSV twins match)
    assert (tmp_path / "a").stat().st_size > 0 and (tmp_path / "b").stat().st_size > 0
    if export.endswith("to_csv"):
        assert (tmp_path / "a").read_bytes() == (tmp_path / "b").read_bytes()


def test_an_xlsx_report_still_goes_to_a_binary_stream(ledger):
    pytest.importorskip("openpyxl")
    out = io.BytesIO()
    ledger.group_by("financeur").sum().to_xlsx(out)
    assert out.getvalue()[:2] == b"PK"   # a zip: the workbook
