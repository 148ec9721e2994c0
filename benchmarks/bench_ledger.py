"""Ledger benchmark: essconv side by side with pandas, pyarrow, polars and duckdb, in one run.

    python benchmarks/bench_ledger.py                  # 1e6 rows
    python benchmarks/bench_ledger.py --rows 10000000  # 1e7 rows (several minutes)

Data: 5 years x 100 territories x 20 action lines x 10 funders, amounts with cents, written
once as CSV.  Timed: CSV ingest; group-by sum on one key and on two keys; a pivot
(territory x funder) with margins.  Each peer works on the same file / the same columns, with
amounts as exact int64 cents where it can (pandas, polars, duckdb get them as integers of cents
or decimals; none gets a float).  Times are the best of --repeat runs; what matters is the
ratio, printed last: these machines are shared and noisy.  Peak memory of a loaded ledger is
measured in a child process (resident set growth against its raw columnar size).
Needs: pip install -e '.[bench]'
"""
from __future__ import annotations

import argparse
import gc
import json
import os
import random
import subprocess
import sys
import tempfile
import time
from pathlib import Path

YEARS = list(range(2009, 2014))
TERRITORIES = [f"T{k:03d}" for k in range(100)]
LINES = [f"L{k:02d}" for k in range(20)]
FUNDERS = ["CR-NPDC", "DRTEFP", "DRASS", "CDC", "CG-59", "CG-62", "FSE", "Territoires", "FDF", "CAF"]


def generate(path: Path, rows: int, seed: int = 2009) -> None:
    rng = random.Random(seed)
    with open(path, "w", encoding="utf-8", newline="") as fh:
        fh.write("annee,territoire,ligne,financeur,montant\n")
        chunk = []
        for i in range(rows):
            cents = rng.randrange(1, 50_000_000)
            chunk.append(f"{rng.choice(YEARS)},{rng.choice(TERRITORIES)},{rng.choice(LINES)},"
                         f"{rng.choice(FUNDERS)},{cents // 100}.{cents % 100:02d}\n")
            if len(chunk) == 100_000:
                fh.write("".join(chunk))
                chunk.clear()
        fh.write("".join(chunk))


def best(fn, repeat: int) -> tuple[float, object]:
    times, result = [], None
    for _ in range(repeat):
        gc.collect()
        t0 = time.perf_counter()
        result = fn()
        times.append(time.perf_counter() - t0)
    return min(times), result


def rss_bytes() -> int:
    with open("/proc/self/statm") as fh:
        return int(fh.read().split()[1]) * os.sysconf("SC_PAGE_SIZE")


def memory_child(path: str) -> None:
    """Run in a child: the resident growth of loading the ledger (file unmapped after)."""
    import essconv
    gc.collect()
    before = rss_bytes()
    ledger = essconv.Ledger.read_csv(path, amount="montant", ints=["annee"])
    gc.collect()
    after = rss_bytes()
    rows = len(ledger)
    raw = rows * (8 + 3 * 4 + 8)   # int64 year, three int32 label codes, int64 cents
    print(json.dumps({"rows": rows, "growth": after - before, "raw": raw}))


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--rows", type=int, default=1_000_000)
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--memory-child", help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args.memory_child:
        memory_child(args.memory_child)
        return

    import essconv
    peers = {}
    for name in ("pandas", "pyarrow", "polars", "duckdb"):
        try:
            peers[name] = __import__(name)
        except ImportError:
            print(f"({name} is not installed: pip install -e '.[bench]')")
    tmp = Path(tempfile.mkdtemp(prefix="essconv-bench-"))
    path = tmp / "ledger.csv"
    t0 = time.perf_counter()
    generate(path, args.rows)
    size = path.stat().st_size
    print(f"{args.rows:,} rows, {size / 1e6:.0f} MB of CSV, generated in {time.perf_counter() - t0:.1f} s; "
          f"best of {args.repeat}; {os.cpu_count()} cores\n")
    results: dict[str, dict[str, float]] = {}

    def record(task: str, tool: str, seconds: float) -> None:
        results.setdefault(task, {})[tool] = seconds
        print(f"  {task:<28} {tool:<22} {seconds * 1000:9.1f} ms")

    # ---------------------------------------------------------------- ingest
    t, ledger = best(lambda: essconv.Ledger.read_csv(path, amount="montant", ints=["annee"]), args.repeat)
    record("csv ingest", "essconv", t)
    if "pandas" in peers:
        pd = peers["pandas"]
        t, df = best(lambda: pd.read_csv(path, dtype={"territoire": "category", "ligne": "category",
                                                      "financeur": "category", "montant": str}),
                     args.repeat)
        record("csv ingest", "pandas.read_csv", t)
    if "pyarrow" in peers:
        import pyarrow.csv as pacsv
        import pyarrow as pa
        conv = pacsv.ConvertOptions(column_types={"montant": pa.decimal128(38, 2)},
                                    auto_dict_encode=True)
        t, _ = best(lambda: pacsv.read_csv(path, read_options=pacsv.ReadOptions(use_threads=False),
                                           convert_options=conv), args.repeat)
        record("csv ingest", "pyarrow (1 thread)", t)
        t, _ = best(lambda: pacsv.read_csv(path, convert_options=conv), args.repeat)
        record("csv ingest", "pyarrow (threads)", t)
    if "polars" in peers:
        pl = peers["polars"]
        t, _ = best(lambda: pl.read_csv(path, schema_overrides={"montant": pl.Decimal(38, 2)}), args.repeat)
        record("csv ingest", "polars", t)
    if "duckdb" in peers:
        duckdb = peers["duckdb"]
        def duck_ingest():
            con = duckdb.connect()
            con.execute(f"create table t as select * from read_csv('{path}', "
                        f"columns={{'annee':'INTEGER','territoire':'VARCHAR','ligne':'VARCHAR',"
                        f"'financeur':'VARCHAR','montant':'DECIMAL(18,2)'}}, header=true)")
            return con
        t, _ = best(duck_ingest, args.repeat)
        record("csv ingest", "duckdb", t)

    # the same columns for every peer: labels as categories, amounts as int64 cents
    cents = memoryview(ledger.column("montant")).cast("B").cast("q")
    frames = {}
    if "pandas" in peers:
        import numpy as np
        pd = peers["pandas"]
        table = ledger.to_arrow()
        frames["pandas"] = pd.DataFrame({
            "territoire": pd.Categorical(table.column("territoire").to_pandas()),
            "ligne": pd.Categorical(table.column("ligne").to_pandas()),
            "financeur": pd.Categorical(table.column("financeur").to_pandas()),
            "cents": np.frombuffer(cents, dtype=np.int64).copy()})
    if "polars" in peers:
        pl = peers["polars"]
        frames["polars"] = pl.from_pandas(frames["pandas"]) if "pandas" in frames else None
    if "duckdb" in peers:
        con = peers["duckdb"].connect()
        if "pandas" in frames:
            pdf = frames["pandas"]
            con.register("pdf", pdf)
            con.execute("create table t as select territoire::varchar territoire, ligne::varchar ligne, "
                        "financeur::varchar financeur, cents from pdf")
        frames["duckdb"] = con
    cents.release()

    # ---------------------------------------------------------------- group-by and pivot
    tasks = {
        "group-by sum, 1 key": (lambda: ledger.group_by("financeur").sum(),
                                lambda df: df.groupby("financeur", observed=True, sort=False)["cents"].sum(),
                                lambda pf: pf.group_by("financeur").agg(peers["polars"].col("cents").sum()),
                                "select financeur, sum(cents) from t group by financeur"),
        "group-by sum, 2 keys": (lambda: ledger.group_by("territoire", "ligne").sum(),
                                 lambda df: df.groupby(["territoire", "ligne"], observed=True, sort=False)["cents"].sum(),
                                 lambda pf: pf.group_by(["territoire", "ligne"]).agg(peers["polars"].col("cents").sum()),
                                 "select territoire, ligne, sum(cents) from t group by territoire, ligne"),
        "pivot with margins": (lambda: ledger.pivot(rows="territoire", columns="financeur").pivot(),
                               lambda df: df.pivot_table(index="territoire", columns="financeur", values="cents",
                                                         aggfunc="sum", margins=True, observed=True),
                               lambda pf: _polars_pivot(peers["polars"], pf),
                               "select territoire, financeur, sum(cents) from t "
                               "group by grouping sets ((territoire, financeur), (territoire), (financeur), ())"),
    }
    print()
    for task, (ours, pandas_fn, polars_fn, sql) in tasks.items():
        t, _ = best(ours, args.repeat)
        record(task, "essconv", t)
        if "pandas" in frames:
            t, _ = best(lambda: pandas_fn(frames["pandas"]), args.repeat)
            record(task, "pandas", t)
        if frames.get("polars") is not None:
            t, _ = best(lambda: polars_fn(frames["polars"]), args.repeat)
            record(task, "polars", t)
        if "duckdb" in frames:
            t, _ = best(lambda: frames["duckdb"].execute(sql).fetchall(), args.repeat)
            record(task, "duckdb", t)

    # ---------------------------------------------------------------- memory
    out = subprocess.run([sys.executable, __file__, "--memory-child", str(path)],
                         capture_output=True, text=True, check=True)
    mem = json.loads(out.stdout)
    ratio_mem = mem["growth"] / mem["raw"]

    # ---------------------------------------------------------------- ratios
    print("\nRatios (peer time / essconv time: > 1 means essconv is faster)")
    for task, times in results.items():
        ours = times["essconv"]
        row = ", ".join(f"{tool} {t / ours:.2f}x" for tool, t in times.items() if tool != "essconv")
        print(f"  {task:<28} {row}")
    print(f"\nLoaded ledger: {mem['growth'] / 1e6:.0f} MB resident for {mem['raw'] / 1e6:.0f} MB of raw "
          f"columns = {ratio_mem:.2f}x")
    path.unlink()
    tmp.rmdir()


def _polars_pivot(pl, pf):
    cells = pf.group_by(["territoire", "financeur"]).agg(pl.col("cents").sum())
    wide = cells.pivot(on="financeur", index="territoire", values="cents")
    rows = pf.group_by("territoire").agg(pl.col("cents").sum().alias("All"))
    cols = pf.group_by("financeur").agg(pl.col("cents").sum())
    return wide.join(rows, on="territoire"), cols, pf.select(pl.col("cents").sum())


if __name__ == "__main__":
    main()
