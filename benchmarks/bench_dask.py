"""essconv on Dask against dask.dataframe and against one-process essconv, in one run.

    python benchmarks/bench_dask.py                   # 1e6 rows
    python benchmarks/bench_dask.py --rows 10000000   # 1e7 rows (the goal's size)

Data: bench_ledger.py's ledger (5 years x 100 territories x 20 lines x 10 funders, amounts with
cents) split into --files CSV files, and the same records as a Parquet dataset partitioned by
year (``annee=2009/``...).  Timed end to end, on one distributed.LocalCluster (2 worker
processes, 1 thread each): read + 2-key group-by sum (annee, financeur), by
- essconv on Dask (essconv.dask.read_csv / read_parquet, group_by(...).sum()),
- dask.dataframe on the same files and cluster, amounts as exact int64 cents (the CSV's text
  amount turned into cents, the Parquet decimal128 multiplied by 100 and cast),
- one-process essconv on the same files (read with 2 threads, aggregates added).
Every result is checked equal to the others before a time is printed.  Times are the best of
--repeat runs; the ratios, printed last, are what to quote: these machines are shared and noisy.
Needs: pip install -e '.[bench,dask]'
"""
from __future__ import annotations

import argparse
import functools
import operator
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from bench_ledger import best, generate  # noqa: E402  (the same data and timing as the ledger bench)

KEYS = ["annee", "financeur"]


def essconv_one_csv(files: list[Path]) -> dict:
    import essconv
    aggs = [essconv.Ledger.read_csv(f, amount="montant", ints=["annee"], threads=2)
            .group_by(*KEYS).sum() for f in files]
    return functools.reduce(operator.add, aggs).to_dict()


def essconv_one_parquet(root: Path) -> dict:
    import essconv
    return essconv.Ledger.read_parquet(root, amount="montant").group_by(*KEYS).sum().to_dict()


def essconv_dask_csv(files: list[Path]) -> dict:
    import essconv.dask
    return essconv.dask.read_csv([str(f) for f in files], amount="montant",
                                 ints=["annee"]).group_by(*KEYS).sum().to_dict()


def essconv_dask_parquet(root: Path) -> dict:
    import essconv.dask
    return essconv.dask.read_parquet(root, amount="montant").group_by(*KEYS).sum().to_dict()


def _cents_from_text(frame):
    # "1234.56" -> 123456: exact, every amount of the data has two decimals
    frame["cents"] = frame["montant"].str.replace(".", "", regex=False).astype("int64")
    return frame[KEYS + ["cents"]]


def _meta():
    """The frame both conversions give (dask would otherwise guess it by running them on
    made-up values, which are not amounts)."""
    import pandas as pd
    return pd.DataFrame({"annee": pd.Series(dtype="int64"), "financeur": pd.Series(dtype="string"),
                         "cents": pd.Series(dtype="int64")})


def dask_dataframe_csv(files: list[Path]) -> dict:
    import dask.dataframe as dd
    ddf = dd.read_csv([str(f) for f in files], dtype={"montant": "string", "financeur": "string",
                                                       "territoire": "string", "ligne": "string"},
                      blocksize=None)
    sums = ddf.map_partitions(_cents_from_text, meta=_meta()).groupby(KEYS)["cents"].sum().compute()
    return {k: v for k, v in sums.items()}


def _cents_from_decimal(frame):
    import pandas as pd
    import pyarrow as pa
    import pyarrow.compute as pc
    # decimal128(18, 2) holds every int64-cents amount and leaves room for the product's precision
    amounts = pc.cast(pa.array(frame["montant"]), pa.decimal128(18, 2))
    cents = pc.cast(pc.multiply(amounts, pa.scalar(100, pa.decimal128(3, 0))), pa.int64())
    return pd.DataFrame({"annee": frame["annee"].astype("int64"),
                         "financeur": frame["financeur"].astype("string"),
                         "cents": cents.to_numpy()})


def dask_dataframe_parquet(root: Path) -> dict:
    import dask.dataframe as dd
    ddf = dd.read_parquet(str(root), columns=["annee", "financeur", "montant"])
    sums = ddf.map_partitions(_cents_from_decimal, meta=_meta()).groupby(KEYS)["cents"].sum().compute()
    return {k: v for k, v in sums.items()}


def as_cents(result: dict) -> dict:
    from decimal import Decimal
    return {(int(a), str(f)): int(v * 100) if isinstance(v, Decimal) else int(v)
            for (a, f), v in result.items()}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--rows", type=int, default=1_000_000)
    ap.add_argument("--files", type=int, default=20)
    ap.add_argument("--repeat", type=int, default=3)
    args = ap.parse_args()

    import essconv
    from distributed import Client, LocalCluster

    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        files = []
        for i in range(args.files):
            files.append(folder / f"grants-{i:02d}.csv")
            generate(files[-1], args.rows // args.files, seed=2009 + i)
        whole = essconv.Ledger.read_csv(files[0], amount="montant", ints=["annee"])
        for f in files[1:]:
            whole.extend(essconv.Ledger.read_csv(f, amount="montant", ints=["annee"]))
        # the same number of files, of 10 rows each: what Dask costs whatever the size
        tiny = []
        for i in range(args.files):
            tiny.append(folder / f"tiny-{i:02d}.csv")
            generate(tiny[-1], 10, seed=i)
        root = folder / "parquet"
        whole.to_parquet(root, partition_by=["annee"])
        size = sum(f.stat().st_size for f in files)
        print(f"{len(whole):,} rows in {args.files} CSV files ({size / 1e6:.0f} MB) "
              f"and a Parquet dataset by year")
        del whole

        times: dict[str, float] = {}
        results: dict[str, dict] = {}
        runs = {
            "essconv one process, CSV": lambda: essconv_one_csv(files),
            "essconv one process, Parquet": lambda: essconv_one_parquet(root),
        }
        for name, fn in runs.items():
            times[name], results[name] = best(fn, args.repeat)
        with LocalCluster(n_workers=2, threads_per_worker=1, processes=True,
                          dashboard_address=None) as cluster, Client(cluster):
            runs = {
                "essconv on Dask, tiny files": lambda: essconv_dask_csv(tiny),
                "essconv on Dask, CSV": lambda: essconv_dask_csv(files),
                "dask.dataframe, CSV": lambda: dask_dataframe_csv(files),
                "essconv on Dask, Parquet": lambda: essconv_dask_parquet(root),
                "dask.dataframe, Parquet": lambda: dask_dataframe_parquet(root),
            }
            for name, fn in runs.items():
                times[name], results[name] = best(fn, args.repeat)
        reference = as_cents(results["essconv one process, CSV"])
        results.pop("essconv on Dask, tiny files")
        for name, result in results.items():
            assert as_cents(result) == reference, f"{name} differs from the one-process result"
        print("all results equal, to the cent")
        for name, t in times.items():
            print(f"  {name:<32} {t:8.3f} s")
        print(f"ratios at {args.rows:,} rows (> 1: essconv on Dask faster; goal >= 3x dask.dataframe, "
              f"cost of distribution <= 1.5x):")
        for fmt in ("CSV", "Parquet"):
            mine = times[f"essconv on Dask, {fmt}"]
            print(f"  {fmt:<8} dask.dataframe / essconv on Dask = "
                  f"{times[f'dask.dataframe, {fmt}'] / mine:.1f}x;  "
                  f"essconv on Dask / one-process essconv = "
                  f"{mine / times[f'essconv one process, {fmt}']:.2f}x")
        print(f"  Dask's fixed cost (the same graph on {args.files} files of 10 rows) = "
              f"{times['essconv on Dask, tiny files'] / times['essconv on Dask, CSV']:.0%} "
              f"of essconv on Dask, CSV")


if __name__ == "__main__":
    main()
