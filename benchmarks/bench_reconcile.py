"""Reconciliation benchmark: validation time as a ratio to reading the same plan, in one run.

    python benchmarks/bench_reconcile.py            # adversarial plans up to 500 x 500
    python benchmarks/bench_reconcile.py --plans 300

Cases: adversarial plans (every cell 1, line totals right, funder totals one short
and one over: all of them, or the first 2, 4, 6) at 100 x 100 and 500 x 500, and random plans
of realistic shape with 1, 2 and 3 planted faults (the generators of tests/test_reconcile.py).
Times are the best of --repeat runs; the ratio validate / read is what to compare, as these
machines are shared and noisy.
"""
from __future__ import annotations

import argparse
import io
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests"))

from test_reconcile import adversarial, planted_table  # noqa: E402

from essconv import read_plan  # noqa: E402


def best(fn, repeat: int) -> float:
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return min(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--plans", type=int, default=200, help="random plans per fault count")
    args = parser.parse_args()
    print(f"{'case':<34} {'read s':>9} {'validate s':>11} {'ratio':>7}  verdict")
    for n in (100, 500):
        for off in (None, 2, 4, 6):
            data = adversarial(n, off)
            read = best(lambda: read_plan(io.BytesIO(data)), args.repeat)
            plan = read_plan(io.BytesIO(data))
            validate = best(plan.validate, args.repeat)
            verdict = next((f"{f.code} {f.count}{'' if f.count_exact else '+'}"
                            for f in plan.validate() if f.code == "too-many-explanations"), "")
            name = f"adversarial {n}x{n}, {'all' if off is None else off} totals off"
            print(f"{name:<34} {read:9.4f} {validate:11.4f} {validate / read:7.2f}  {verdict}")
    for faults in (1, 2, 3):
        tables = [t for t in (planted_table(s, faults, spread=True) for s in range(args.plans)) if t]
        texts = [t.tsv() for t in tables]
        read = best(lambda: [read_plan(io.BytesIO(x)) for x in texts], args.repeat)
        plans = [read_plan(io.BytesIO(x)) for x in texts]
        validate = best(lambda: [p.validate() for p in plans], args.repeat)
        name = f"{len(plans)} random plans, {faults} fault{'s' if faults > 1 else ''}"
        print(f"{name:<34} {read:9.4f} {validate:11.4f} {validate / read:7.2f}")


if __name__ == "__main__":
    main()
