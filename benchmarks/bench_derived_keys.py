"""group-by year(dateConvention) x nomAttribuant: the year read in place against the former path,
and the peers, in one run.

    python benchmarks/bench_derived_keys.py --rows 2000000 --dir build/bench

The former path is the one essconv took before derived keys were read in place: ``derive_keys`` wrote
a new ledger of the derived year, a copy of the funder codes and a copy of the amounts, then an
ordinary group-by ran on it.  The new path reads the year through a table of days -> year codes
and every other column from the source.  The file is bench_peers' SCDL-shaped file (written once
into --dir); essconv reads it with read_scdl, the peers in their usual settings (float amounts)
and projected to the query's columns, as bench_peers does.  Tools are timed in turns: each turn
runs every contestant once, in a rotated order; the best time of each is kept.  Every result is
checked against the generator's exact sums by (year, funder) before its time is kept.  The peak
fresh memory of one group-by (VmHWM after clearing it, minus the resident size before) is measured
in a fresh process for each essconv path.
"""
from __future__ import annotations

import argparse
import json
import subprocess
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import bench_peers as bp  # noqa: E402


def scdl_spec(folder: Path, rows: int, seed: int) -> tuple[bp.FileSpec, dict]:
    path = folder / f"scdl-rows{rows}-seed{seed}.csv"
    oracle_path = path.with_suffix(".json")
    spec = bp.FileSpec("scdl", "SCDL-shaped, quoted", path, ";", bp.NNBSP, ["dateConvention"], [])
    if not oracle_path.exists():   # written last: its presence says the file is whole
        folder.mkdir(parents=True, exist_ok=True)
        oracle_path.write_text(json.dumps(bp.write_scdl(path, rows, seed)))
    return spec, json.loads(oracle_path.read_text())


def essconv_paths() -> dict:
    import essconv
    from essconv import Ledger
    from essconv.ledger import _CalendarGroupBy

    def in_place(ledger):
        return ledger.group_by(essconv.year("dateConvention"), "nomAttribuant").sum()

    def materialised(ledger):   # the former path, as ledger.py ran it
        dims = [essconv.year("dateConvention"), "nomAttribuant"]
        derived = Ledger(ledger._core.derive_keys([ledger._key(d) for d in dims]))
        return _CalendarGroupBy(derived, ["year(dateConvention)", "nomAttribuant"], [0]).sum()
    return {"essconv in place": in_place, "essconv materialised (former)": materialised}


def sums_by_key(tool: str, result) -> dict:
    """{(year, funder): sum in cents} of a result (floats rounded to the cent)."""
    import pyarrow as pa
    if tool.startswith("essconv"):
        return {(int(k[0]), k[1]): int(v * 100) for k, v in result.to_dict().items()}
    if tool == "pandas":
        return {(int(k[0]), k[1]): round(v * 100) for k, v in result.items()}
    table = pa.table(result) if tool != "pyarrow" else result
    years, funders, sums = (table.column(i).to_pylist() for i in range(3))
    return {(int(y), f): round(s * 100) for y, f, s in zip(years, funders, sums)}


MEMORY_CHILD = r"""
import re, sys
sys.path.insert(0, sys.argv[1])
import bench_derived_keys as b
import essconv
ledger = essconv.read_scdl(sys.argv[2])
run = b.essconv_paths()[sys.argv[3]]
def kib(field):
    return int(re.search(field + r":\s+(\d+)", open("/proc/self/status").read()).group(1))
with open("/proc/self/clear_refs", "w") as fh:
    fh.write("5")
before = kib("VmRSS")
run(ledger)
print(kib("VmHWM") - before)
"""


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--rows", type=float, default=2_000_000)
    ap.add_argument("--repeat", type=int, default=5)
    ap.add_argument("--seed", type=int, default=2009)
    ap.add_argument("--dir", default="build/bench")
    args = ap.parse_args()
    rows = int(args.rows)
    spec, oracle = scdl_spec(Path(args.dir), rows, args.seed)
    truth = {}
    for key, cents in oracle["by_year_funder"].items():
        year, funder = key.split("\x1f")
        truth[(int(year), funder)] = cents

    import essconv
    loaded = {"essconv": essconv.read_scdl(str(spec.path))}
    for tool in ("pandas", "pyarrow", "polars", "duckdb"):
        loaded[tool] = bp.project(tool, bp.ingest(tool, "usual", spec), bp.QUERY_COLUMNS["scdl"])
    queries = {**essconv_paths(), **{t: q for t, q in bp.year_queries().items() if t != "essconv"}}
    contestants = list(queries)
    best = {c: float("inf") for c in contestants}
    for turn in range(args.repeat):
        order = contestants[turn % len(contestants):] + contestants[:turn % len(contestants)]
        for c in order:
            data = loaded["essconv" if c.startswith("essconv") else c]
            t0 = time.perf_counter()
            result = queries[c](data)
            elapsed = time.perf_counter() - t0
            got = sums_by_key(c, result)
            exact = c.startswith("essconv")
            ok = got.keys() == truth.keys() and all(
                got[k] == v if exact else abs(got[k] - v) <= 2 for k, v in truth.items())
            if not ok:
                raise SystemExit(f"{c}: a wrong answer")
            best[c] = min(best[c], elapsed)
    ours = best["essconv in place"]
    print(f"{rows:,} rows, SCDL-shaped file, group-by year(dateConvention) x nomAttribuant, "
          f"best of {args.repeat} in turns (peers: usual settings)")
    for c in contestants:
        print(f"  {c:32s} {best[c] * 1000:8.1f} ms   {best[c] / ours:6.2f}x the in-place time")
    here = str(Path(__file__).resolve().parent)
    for path in essconv_paths():
        out = subprocess.run([sys.executable, "-c", MEMORY_CHILD, here, str(spec.path), path],
                             capture_output=True, text=True, check=True)
        print(f"  peak fresh memory of one group-by, {path}: {int(out.stdout) / 1024:.1f} MiB")


if __name__ == "__main__":
    main()
