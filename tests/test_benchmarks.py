"""The peers benchmark (benchmarks/bench_peers.py) kept from rotting: its generated files against an
independent csv + Decimal reading (the sums every timed result is checked against), its checks
refusing a wrong answer, a verb this build lacks shown as n/a, and one tiny run end to end.

No time is asserted; the peers (the ``bench`` extra) are needed, else the tests skip."""
from __future__ import annotations

import csv
import importlib.util
import subprocess
import sys
from collections import defaultdict
from decimal import Decimal
from pathlib import Path

import pytest

for _peer in ("numpy", "pandas", "pyarrow", "polars", "duckdb"):
    pytest.importorskip(_peer, reason=f"the bench extra ({_peer}) is not installed")

import essconv
import essconv.scdl

SCRIPT = Path(__file__).resolve().parents[1] / "benchmarks" / "bench_peers.py"


@pytest.fixture(scope="module")
def bench():
    spec = importlib.util.spec_from_file_location("bench_peers", SCRIPT)
    module = importlib.util.module_from_spec(spec)
    sys.modules["bench_peers"] = module
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="module")
def files(bench, tmp_path_factory):
    return bench.prepare_files(tmp_path_factory.mktemp("bench"), 1200, 400, 7)


def _cents(text: str) -> int:
    """The obvious reading of an amount: no grouping blank, the decimal mark made a point."""
    plain = text.replace("\u00a0", "").replace("\u202f", "").replace(",", ".")
    return int(Decimal(plain) * 100)


def _records(spec) -> list[dict[str, str]]:
    with open(spec.path, encoding=spec.encoding or "utf-8", newline="") as fh:
        return list(csv.DictReader(fh, delimiter=spec.sep))


def _key(*parts) -> str:
    return "\x1f".join(str(p) for p in parts)


def test_generated_files_hold_the_sums_they_are_checked_against(bench, files):
    specs, oracle = files
    plain, french = _records(specs["benchmark"]), _records(specs["french"])
    assert len(plain) == len(french) == oracle["benchmark"]["rows"] == 1200
    by_line, by_funder = defaultdict(int), defaultdict(int)
    for p, f in zip(plain, french):   # the French export is the same records, dressed otherwise
        assert {k: v for k, v in p.items() if k != "montant"} == {k: v for k, v in f.items() if k != "montant"}
        assert _cents(p["montant"]) == _cents(f["montant"])
        by_line[_key(p["territoire"], p["ligne"])] += _cents(p["montant"])
        by_funder[_key(p["financeur"])] += _cents(p["montant"])
    assert any("\u00a0" in f["montant"] for f in french)
    assert _records(specs["french_cp1252"]) == french   # the same records, saved as CP1252
    saved = specs["french_cp1252"].path.read_bytes()
    assert b"\xa0" in saved and b"\xc2\xa0" not in saved   # NBSP as CP1252 writes it, not UTF-8's
    assert oracle["french_cp1252"] == oracle["french"]
    import gzip   # the gzipped copy holds the French file's bytes, checked against the same sums
    assert gzip.decompress(specs["french_gz"].path.read_bytes()) == specs["french"].path.read_bytes()
    assert oracle["french_gz"] == oracle["french"]
    assert dict(by_line) == oracle["benchmark"]["by_terr_line"]
    assert dict(by_funder) == oracle["benchmark"]["by_funder"]
    assert sum(by_line.values()) == oracle["benchmark"]["total"]

    scdl = _records(specs["scdl"])
    assert list(scdl[0]) == bench.SCDL_COLUMNS and set(bench.SCDL_COLUMNS) <= set(essconv.scdl.field_names())
    by_year = defaultdict(int)
    for r in scdl:
        by_year[_key(r["dateConvention"][:4], r["nomAttribuant"])] += _cents(r["montant"])
    assert dict(by_year) == oracle["scdl"]["by_year_funder"]
    assert oracle["scdl"]["contains"] == sum(_cents(r["montant"]) for r in scdl if "insertion" in r["nomBeneficiaire"])
    assert 0 < oracle["scdl"]["contains"] < oracle["scdl"]["total"]
    assert any("Insertion" in r["nomBeneficiaire"] for r in scdl)   # the filter is case-sensitive
    with open(specs["scdl"].path, encoding="utf-8") as fh:
        head, first = fh.readline(), fh.readline()
    assert head.startswith('"nomAttribuant";') and first.count('"') >= 2 * 16   # every field quoted
    assert "\u202f" in "".join(r["montant"] for r in scdl)

    names = _records(specs["names"])
    assert len({r["nomBeneficiaire"] for r in names}) == oracle["names"]["names"] == 400
    assert sum(_cents(r["montant"]) for r in names) == oracle["names"]["total"]


def test_essconv_reads_each_file_to_the_generators_sums(bench, files):
    specs, oracle = files
    for key, spec in specs.items():
        ledger = bench.ingest("essconv", "exact", spec)
        assert len(ledger) == oracle[key]["rows"]
        assert ledger.total() * 100 == oracle[key]["total"]


def test_a_wrong_answer_gets_no_ratio(bench, capsys):
    import numpy as np
    reference = ("table", [["a", "b"]], np.array([100, 250], dtype=np.int64))
    assert bench.compare(("table", [["a", "b"]], np.array([100, 250])), reference, True, 10)[0]
    assert not bench.compare(("table", [["a", "b"]], np.array([100, 251])), reference, True, 10)[0]
    assert not bench.compare(("table", [["a", "c"]], np.array([100, 250])), reference, True, 10)[0]
    # a float setting is allowed its rounding, not a lost row; an exact one no float at all
    assert bench.compare(("table", [["a", "b"]], np.array([1.0000000001, 2.5])), reference, False, 10)[0]
    assert not bench.compare(("table", [["a", "b"]], np.array([1.0000000001, 2.5])), reference, True, 10)[0]
    assert not bench.compare(("table", [["a", "b"]], np.array([1.0, 2.48])), reference, False, 10)[0]
    assert not bench.compare(("scalar", 349), ("scalar", 350), True, 10)[0]
    assert not bench.compare(("scalar", 3.48), ("scalar", 350), False, 10)[0]
    assert bench.compare(("scalar", 3.5000001), ("scalar", 350), False, 10)[0]
    report = bench.Report(10)
    entries = {"essconv": {"best": 0.1, "result": ("scalar", 350)},
               "pandas (usual)": {"best": 0.05, "result": ("scalar", 3.4)},
               "pandas (exact)": {"best": 0.2, "result": ("scalar", 350)}}
    report.add("a case", entries, ("scalar", 350))
    assert report.wrong() == 1
    usual, exact = report.markdown("usual", 10), report.markdown("exact", 10)
    assert "| a case | 100 ms | wrong answer |" in usual
    assert "| a case | 100 ms | 2.00× |" in exact


def test_a_verb_missing_from_this_build_is_na_not_a_crash(bench):
    def run(contestant):
        return bench.essconv_verb("no_such_verb_in_any_build")("x")
    out = bench.run_in_turns([bench.Contestant("essconv", "exact")], run, lambda c, r: r, 2)
    assert out["essconv"]["skip"] == "n/a (not in this build)"


def test_a_tiny_run_end_to_end(tmp_path):
    done = subprocess.run([sys.executable, str(SCRIPT), "--rows", "1500", "--repeat", "1", "--memory", "essconv",
                           "--cache-dir", str(tmp_path)], capture_output=True, text=True, timeout=600)
    assert done.returncode == 0, done.stdout[-3000:] + done.stderr[-3000:]
    out = done.stdout
    assert "every timed result checked equal to the reference" in out
    assert "error:" not in out and "WRONG" not in out
    for case in ("ingest, benchmark file", "ingest, quoted French (", "ingest, SCDL-shaped", "ingest, 750 distinct",
                 "ingest, quoted French saved as CP1252",
                 "group-by, 1 key", "group-by, 2 keys", "filter 5 territories", "pivot territoire", "label filter",
                 "group-by year(dateConvention)", "group-by nomBeneficiaire (750)"):
        assert out.count(f"| {case}") == 2, case   # a row in the usual and the exact table
    verbs = "contains" in dir(essconv) and "year" in dir(essconv)
    assert ("n/a (not in this build)" in out) != verbs
    assert "memchr" in out or "floor" in out
    assert "peak / kept" in out   # the peak set against what the loaded ledger keeps
