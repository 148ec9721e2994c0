"""The command line: the main job on the embedded default, and validate's exit codes."""
from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from essconv.cli import main


def run(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "essconv", *args], capture_output=True,
                          text=True, timeout=120)


def test_main_job_prints_the_report():
    proc = run("--lang", "en")   # French by default: tests/test_language.py
    assert proc.returncode == 0, proc.stderr
    out = proc.stdout
    for funder, amount in [("CR-NPDC", "4,076"), ("DRTEFP", "643"), ("DRASS", "96"),
                           ("CDC", "1,240"), ("CG-59", "805"), ("ESE", "600"), ("CG-67", "375"),
                           ("Territoires", "270")]:
        line = next(l for l in out.splitlines() if l.strip().startswith(funder + " ")
                    and "/" in l)
        assert amount in line, line
    total = next(l for l in out.splitlines() if l.strip().startswith("Total ") and "/" in l)
    assert "8,105" in total and "8,115" in total and "differs" in total
    assert "row-total" in out and "cell-correction" in out and "'1 2618'" in out
    assert "Comité stratégique: 4 meetings a year" in out
    assert "ETAT" in out and "739" in out     # DRTEFP + DRASS rolled up to the State


def test_main_job_json_has_the_same_content():
    proc = run("--format", "json")
    assert proc.returncode == 0, proc.stderr
    data = json.loads(proc.stdout)
    plan = data["plans"]["2009"]
    assert plan["computed_total"] == "8105" and plan["stated_total"] == "8115"
    assert {f["funder"]: f["computed"] for f in plan["by_funder"]}["CDC"] == "1240"
    assert [f["code"] for f in plan["findings"]].count("unknown-funder") == 2
    assert data["term"]["years"] == [2009, 2010, 2011, 2012, 2013]


def test_validate_exit_codes(tmp_path, annex_tsv, capsys):
    assert main(["validate", str(annex_tsv)]) == 1
    out = capsys.readouterr().out
    assert f"{annex_tsv}:3:35: error[row-total]" in out
    clean = tmp_path / "clean.tsv"
    clean.write_text("en k€\tA\tTotal\nx\t1\t1\nTotal\t1\t1\n", encoding="utf-8")
    assert main(["validate", str(clean)]) == 0
    broken = tmp_path / "broken.tsv"
    broken.write_text("en k€\tA\tB\tTotal\nx\t1\n", encoding="utf-8")
    assert main(["validate", str(broken)]) == 2
    assert "broken.tsv" in capsys.readouterr().err
    assert main(["validate", str(tmp_path / "missing.tsv")]) == 2
