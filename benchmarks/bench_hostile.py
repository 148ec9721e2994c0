"""Hostile inputs, each timed against a linear baseline measured in the same run.

    python benchmarks/bench_hostile.py            # the full sizes, in about a minute
    python benchmarks/bench_hostile.py --scale 0.1

Prints, for each case, the time of the hostile operation, the time of its linear baseline and
their ratio (hostile / baseline).  Each figure is the best of three runs.  A ratio that grows
with --scale is a blow-up; the tests (tests/test_hostile.py) bound these ratios.
"""
from __future__ import annotations

import argparse
import pickle
import time
from array import array
from decimal import Decimal

import essconv
from essconv.money import to_cents


def best(fn, repeat: int = 3) -> float:
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return max(min(times), 1e-7)


def report(case: str, hostile: float, baseline: float, what: str) -> None:
    print(f"{case:<46} {hostile * 1e3:10.2f} ms  {baseline * 1e3:10.2f} ms  "
          f"{hostile / baseline:8.2f}x  (baseline: {what})")


def plan_bytes(lines: int, funders: int) -> bytes:
    head = "Axe\tLigne\t" + "\t".join(f"F{j}" for j in range(funders)) + "\tTotal\n"
    rows = [(f"Axe {i // 50}" if i % 50 == 0 else "") + f"\tligne {i}\t"
            + "\t".join("1" for _ in range(funders)) + f"\t{funders}\n" for i in range(lines)]
    return (head + "".join(rows) + "Total\t" + f"\t{lines}" * funders
            + f"\t{lines * funders}\n").encode()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scale", type=float, default=1.0)
    scale = parser.parse_args().scale
    print(f"{'case':<46} {'hostile':>13}  {'baseline':>13}  {'ratio':>9}")

    n = int(160_000 * scale)
    ledger = essconv.Ledger.from_columns(
        {"r": [f"bénéficiaire {i}" for i in range(n)], "c": ["CR", "CDC"] * (n // 2),
         "m": array("q", range(n // 2 * 2))}, amount="m", cents=True)
    report(f"pivot, {n} distinct row labels", best(lambda: ledger.pivot("r", "c")),
           best(lambda: ledger.group_by("r", "c").sum()), "the same group-by")

    n = int(40_000 * scale)
    amounts = array("q", [1] * n)
    plain = essconv.Ledger.from_columns({"k": list(range(n)), "m": amounts}, amount="m",
                                        cents=True)
    strided = essconv.Ledger.from_columns({"k": [i << 44 for i in range(n)], "m": amounts},
                                          amount="m", cents=True)
    report(f"group-by, {n} int keys multiples of 2^44", best(lambda: strided.group_by("k").sum()),
           best(lambda: plain.group_by("k").sum()), "keys 0..n-1")

    def refuse() -> None:
        try:
            to_cents(Decimal("1E+999999999"))
        except essconv.MoneyOverflowError:
            pass
    report("Decimal('1E+999999999') refused", best(refuse),
           best(lambda: to_cents(Decimal("123456789.12"))), "an ordinary Decimal")

    for lines, funders in ((int(1_000 * scale) or 1, 10), (int(2_000 * scale) or 1, 100),
                           (int(10_000 * scale) or 1, int(1_000 * scale) or 1)):
        data = plan_bytes(lines, funders)
        plan = essconv.read_plan(data)
        runs = 3 if lines * funders <= 200_000 else 1    # the 10 000 x 1 000 plan: once
        read = best(lambda: essconv.read_plan(data), repeat=runs)
        report(f"str(plan), {lines} x {funders}", best(lambda: str(plan), repeat=runs), read,
               "read_plan of the file")
        report(f"plan._repr_html_(), {lines} x {funders}",
               best(lambda: plan._repr_html_(), repeat=runs), read, "read_plan of the file")

    n = int(2_000_000 * scale)
    big = essconv.Ledger.from_columns(
        {"f": [f"f{i % 1000}" for i in range(n)], "annee": [2009 + i % 5 for i in range(n)],
         "m": array("q", range(n))}, amount="m", cents=True)
    with big.column("annee") as view:
        one_column = best(view.tolist)
    report(f"ledger.head(2), {n} rows", best(lambda: big.head(2)), one_column,
           "one column to Python ints")
    report(f"ledger._repr_html_(), {n} rows", best(big._repr_html_), one_column,
           "one column to Python ints")

    def round_trip() -> None:
        buffers: list = []
        data = pickle.dumps(big, protocol=5, buffer_callback=buffers.append)
        pickle.loads(data, buffers=buffers)
    report(f"pickle protocol 5 out of band, {n} rows", best(round_trip), one_column,
           "one column to Python ints")
    report(f"pickle protocol 4 (in band), {n} rows",
           best(lambda: pickle.loads(pickle.dumps(big, protocol=4))), one_column,
           "one column to Python ints")


if __name__ == "__main__":
    main()
