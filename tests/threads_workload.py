"""Readers and writers on one ledger from several threads; run as a script by test_threads.py.

A separate process, because on a ledger without its lock this kills the interpreter (segfault,
or an AddressSanitizer report under the ASan build): the test then sees a signal, not a hang.

Writers append whole ledgers: thread A appends the same chunk again and again, thread B
appends chunks that each bring a label never seen before (so the dictionary grows, too).  Every
reader result must therefore be the base plus `a` chunks A plus the first `b` chunks B, for
some a and b that the result itself reveals (the count of label "alpha" and the "beta…" labels
present).  Each result is compared with a pure-Python Decimal twin of that state.

Usage: python threads_workload.py SECONDS ; prints one line "checked <kind>=<n> ..." on success.
"""
from __future__ import annotations

import random
import sys
import threading
import time
from collections import Counter, defaultdict
from decimal import Decimal

from essconv import Ledger

FUNDERS = ["ETAT", "CR", "CDC", "CG-59"]


def rows_of(rng: random.Random, labels: list[str], n: int) -> list[tuple[str, str, int]]:
    return [(rng.choice(labels), rng.choice(FUNDERS), rng.randrange(-10**6, 10**9))
            for _ in range(n)]


def ledger_of(rows: list[tuple[str, str, int]]) -> Ledger:
    return Ledger.from_columns({"f": [r[0] for r in rows], "financeur": [r[1] for r in rows],
                                "montant": [r[2] for r in rows]}, amount="montant", cents=True)


def twin(rows: list[tuple[str, str, int]]) -> dict[str, tuple[int, int]]:
    """{label: (sum of cents, count)}: the slow, obvious twin of group_by(...).agg()."""
    sums: dict[str, int] = defaultdict(int)
    counts: Counter[str] = Counter()
    for f, _, c in rows:
        sums[f] += c
        counts[f] += 1
    return {f: (sums[f], counts[f]) for f in sums}


def combine(*parts: tuple[dict[str, tuple[int, int]], int]) -> dict[str, tuple[Decimal, int]]:
    """The twin of base + k copies of each part, as (Decimal euros, count)."""
    sums: dict[str, int] = defaultdict(int)
    counts: Counter[str] = Counter()
    for groups, times in parts:
        for f, (s, c) in groups.items():
            sums[f] += s * times
            counts[f] += c * times
    return {f: (Decimal(sums[f]).scaleb(-2), counts[f]) for f in sums if counts[f]}


def main(seconds: float) -> None:
    sys.setswitchinterval(1e-5)   # switch threads 500 times as often: more interleavings
    rng = random.Random(2009)
    common = ["A", "B", "C", "D", "E", "F", "G"]
    base_rows = rows_of(rng, common, 40_000)
    a_rows = rows_of(rng, common + ["alpha"], 3_000)
    b_rows = [rows_of(rng, common[:3] + [f"beta{k}"], 1_500) for k in range(80)]
    base, chunk_a = ledger_of(base_rows), ledger_of(a_rows)
    chunks_b = [ledger_of(r) for r in b_rows]
    twin_base, twin_a = twin(base_rows), twin(a_rows)
    twins_b = [twin(r) for r in b_rows]
    alpha_count = twin_a["alpha"][1]
    shared = ledger_of(base_rows)
    deadline = time.monotonic() + seconds
    writers_done = threading.Event()
    errors: list[BaseException] = []
    checked: Counter[str] = Counter()

    alpha_sum = Decimal(twin_a["alpha"][0]).scaleb(-2)
    assert alpha_sum != 0

    def expected(sums: dict[str, Decimal]) -> dict[str, tuple[Decimal, int]]:
        """The state that a result's sums reveal, and the twin of that state."""
        a = sums.get("alpha", Decimal(0)) / alpha_sum
        assert a == int(a), "a partial chunk A is visible"
        b = sum(1 for f in sums if f.startswith("beta"))
        assert all(f"beta{k}" in sums for k in range(b)), "the B chunks are out of order"
        return combine((twin_base, 1), (twin_a, int(a)), *((twins_b[k], 1) for k in range(b)))

    def check_sums(kind: str, sums: dict[str, Decimal], only: set[str] | None = None) -> None:
        want = {f: s for f, (s, _) in expected(sums).items() if only is None or f in only}
        assert sums == want, kind
        checked[kind] += 1

    def check_groups(kind: str, ledger: Ledger) -> None:
        agg = ledger.group_by("f").agg()
        sums, counts = agg.to_dict("sum"), agg.to_dict("count")
        assert {f: (s, counts[f]) for f, s in sums.items()} == expected(sums), kind
        checked[kind] += 1

    def reader(kind: str) -> None:
        try:
            done = False
            while not done:
                done = writers_done.is_set()   # so one round at least, and one after the end
                if kind == "group_by":
                    check_groups(kind, shared)
                elif kind == "group_by2":   # two keys: the composite-key kernel
                    agg = shared.group_by("f", "financeur").sum().to_dict()
                    per_label: dict[str, Decimal] = defaultdict(Decimal)
                    for (f, _), s in agg.items():
                        per_label[f] += s
                    check_sums(kind, dict(per_label))
                elif kind == "filter":     # the filtered copy holds every row: same state
                    check_groups(kind, shared.filter(financeur=set(FUNDERS)))
                elif kind == "filter_labels":   # labels that extends are adding meanwhile
                    kept = shared.filter(f=picked).group_by("f").sum().to_dict()
                    check_sums(kind, kept, only=picked)
                elif kind == "pivot":
                    check_sums(kind, shared.pivot(rows="f", columns="financeur").by_line())
                elif kind == "arrow":      # exported through the Arrow C interface and read back
                    check_groups(kind, Ledger.from_columns(shared, amount="montant"))
        except BaseException as exc:  # reported by the main thread
            errors.append(exc)

    def writer(name: str, chunks: list[Ledger]) -> None:
        try:
            for chunk in chunks:
                if time.monotonic() > deadline:
                    break
                shared.extend(chunk)
                checked[name] += 1
                time.sleep(0.001)   # let readers in between
        except BaseException as exc:
            errors.append(exc)

    picked = {"A", "alpha"} | {f"beta{k}" for k in range(len(chunks_b))}
    kinds = ["group_by", "group_by2", "filter", "filter_labels", "pivot", "arrow"]
    readers = [threading.Thread(target=reader, args=(k,)) for k in kinds]
    writers = [threading.Thread(target=writer, args=("extend_a", [chunk_a] * 80)),
               threading.Thread(target=writer, args=("extend_b", chunks_b))]
    for t in readers + writers:
        t.start()
    for t in writers:
        t.join()
    writers_done.set()
    for t in readers:
        t.join()
    if errors:
        raise errors[0]
    final = combine((twin_base, 1), (twin_a, checked["extend_a"]),
                    *((twins_b[k], 1) for k in range(checked["extend_b"])))
    agg = shared.group_by("f").agg()
    assert {f: (s, agg.to_dict("count")[f]) for f, s in agg.to_dict("sum").items()} == final
    assert len(shared) == sum(c for _, c in final.values())
    print("checked " + " ".join(f"{k}={v}" for k, v in sorted(checked.items())))


if __name__ == "__main__":
    main(float(sys.argv[1]) if len(sys.argv) > 1 else 3.0)
