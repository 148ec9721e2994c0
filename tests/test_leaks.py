"""Memory stays flat: the main paths looped thousands of times, RSS and tracemalloc measured,
reference counts balanced."""
from __future__ import annotations

import gc
import io
import os
import sys
import tracemalloc
from decimal import Decimal

import pytest

import essconv
from essconv import Ledger, _core


def rss() -> int:
    with open("/proc/self/statm") as fh:
        return int(fh.read().split()[1]) * os.sysconf("SC_PAGE_SIZE")


@pytest.mark.skipif(not os.path.exists("/proc/self/statm") or os.environ.get("ESSCONV_ASAN_RUN") == "1",
                    reason="needs /proc; under ASan freed memory stays in quarantine, so RSS grows")
def test_main_paths_do_not_leak(annex_tsv):
    data = annex_tsv.read_bytes()
    csv_bytes = ("f;annee;montant\n" + "".join(f"F{i % 7};{2009 + i % 5};{i},{i % 100:02d}\n"
                                               for i in range(500))).encode()
    pa = None
    try:
        import pyarrow as pa
    except ImportError:
        pass

    def once() -> None:
        plan = essconv.read_plan(io.BytesIO(data))
        report = plan.validate()
        fixed = plan.with_corrections(report)
        assert fixed.validate().ok
        plan.pivot().get("total", "total")
        ledger = Ledger.read_csv(io.BytesIO(csv_bytes), amount="montant", ints=["annee"])
        agg = ledger.group_by("f", "annee").agg()
        agg.to_dict()
        with ledger.column("montant") as view:
            view.tolist()
        ledger.filter(f={"F1", "F2"}).total()
        ledger.pivot(rows="f", columns="annee").total()
        if pa is not None:
            pa.table(ledger)
            pa.table(agg)
        _core.parse_amount("1 234,56")
        try:
            _core.parse_amount("1 2618")
        except essconv.AmountError:
            pass

    conv = essconv.default()       # the default once per 100 loops: it reads the TOML
    for _ in range(50):            # warm up: caches, arenas, first imports
        once()
    gc.collect()
    before_rss = rss()
    tracemalloc.start()
    snap0 = tracemalloc.take_snapshot()
    decimal_refs = sys.getrefcount(Decimal)
    for k in range(2000):
        once()
        if k % 100 == 0:
            conv = essconv.default()
            conv.plan(2009).validate(conv)
    gc.collect()
    snap1 = tracemalloc.take_snapshot()
    tracemalloc.stop()
    grown_py = sum(s.size_diff for s in snap1.compare_to(snap0, "filename"))
    grown_rss = rss() - before_rss
    # 2 000 loops each allocating ~hundreds of KB: a leak of a single block per loop shows
    print(f"leak loop: 2000 loops, Python allocations {grown_py:+d} bytes, RSS {grown_rss:+d} bytes")
    assert grown_py < 512 * 1024, f"Python allocations grew by {grown_py} bytes"
    assert grown_rss < 16 * 1024 * 1024, f"RSS grew by {grown_rss} bytes"
    assert sys.getrefcount(Decimal) == decimal_refs
    assert conv.plan(2009).total() == Decimal(8105)
