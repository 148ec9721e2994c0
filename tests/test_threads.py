"""Readers and writers of one ledger from several threads.

group_by, filter, pivot and the Arrow exports read the columns with the GIL released; extend and
rename change them.  The ledger's lock (see csrc/python/ledger_type.c) makes a writer wait for
the readers in flight, never with the GIL held.  Runs in the ASan pass of .ci/run as well.
"""
from __future__ import annotations

import os
import signal
import subprocess
import sys
import threading
import time
from decimal import Decimal
from pathlib import Path

import pytest
from conftest import UNDER_ASAN

from essconv import Ledger

WORKLOAD = Path(__file__).with_name("threads_workload.py")


def test_readers_and_writers_on_one_ledger_stay_exact():
    """Six reader threads (group_by on one and two keys, filter on funders and on labels that
    the extends add, pivot, Arrow export read back) and two writer threads (extend, one growing
    the label dictionary) on one ledger: every result equals a Decimal twin of the ledger
    before or after some extend.  In a subprocess,
    because without the lock this kills the interpreter (segfault, glibc abort, ASan report)."""
    proc = subprocess.run([sys.executable, str(WORKLOAD), "3"], capture_output=True, text=True,
                          timeout=600)
    assert proc.returncode == 0, proc.stderr[-4000:]
    counts = dict(kv.split("=") for kv in proc.stdout.split()[1:])
    assert int(counts["extend_a"]) >= 10 and int(counts["extend_b"]) >= 10   # 80 each unless slow
    for kind in ("group_by", "group_by2", "filter", "filter_labels", "pivot", "arrow"):
        assert int(counts[kind]) > 0, kind



def test_showing_a_ledger_never_makes_a_concurrent_extend_fail():
    """head() and repr() in one thread, extend() in another: displays copy what they show
    instead of exporting a buffer, so no extend is refused (before: BufferError now and then),
    and the rows shown are the ledger's first ones."""
    rows = 20_000
    ledger = Ledger.from_columns({"f": ["A", "B"] * (rows // 2), "montant": list(range(rows))},
                                 amount="montant", cents=True)
    one = Ledger.from_columns({"f": ["C"], "montant": [1]}, amount="montant", cents=True)
    none = one.filter(f="nobody")   # most extends add no row: the ledger stays that size
    interval = sys.getswitchinterval()
    sys.setswitchinterval(1e-4)   # switch threads often: inside every display
    deadline = time.monotonic() + 10
    shown: list[list[dict]] = []
    done = threading.Event()

    extended = [0]   # the extends so far: the displays go on until both sides have run a while

    def show() -> None:
        try:
            while (len(shown) < 100 or extended[0] < 100) and time.monotonic() < deadline:
                shown.append(ledger.head(2))
                repr(ledger)
        finally:
            done.set()

    display = threading.Thread(target=show)
    display.start()
    extends, refused = 0, 0
    try:
        while not done.is_set():
            try:
                ledger.extend(one if extends % 1000 == 0 else none)
                extends += 1
                extended[0] = extends
            except BufferError:
                refused += 1
    finally:
        display.join()
        sys.setswitchinterval(interval)
    assert refused == 0 and extends > 0
    assert ledger.total() == Decimal(sum(range(rows)) + (extends + 999) // 1000).scaleb(-2)
    first = [{"f": "A", "montant": Decimal("0")}, {"f": "B", "montant": Decimal("0.01")}]
    assert shown and all(rows == first for rows in shown)


@pytest.mark.skipif(not hasattr(os, "fork"), reason="no fork() here")
# Under the preloaded libasan a child hung once in 3 forks (CI, 2026-11-28) and never in 15 forks
# run alone; 18 forks of the ordinary build never hung. Most likely (not proven) the child inherits libasan's own locks as
# the parent's grouping threads held them (its allocator and thread registry, which the core's
# group-by uses from two threads at fork time); the core's ledger locks are what this test checks,
# and the ordinary run checks them.
@pytest.mark.skipif(UNDER_ASAN, reason="libasan's runtime locks are inherited held across fork()")
def test_a_child_of_fork_can_change_a_ledger_a_parent_thread_was_reading():
    """fork() while another thread groups the ledger (multiprocessing's default start on Linux):
    the child inherits the ledger's lock as that thread held it, without the thread.  The child
    must still extend and group it (without the fork hook: hung until the alarm killed it)."""
    n = 1_000_000
    ledger = Ledger.from_columns({"k": list(range(n)), "montant": [1] * n}, amount="montant",
                                 cents=True)
    extra = Ledger.from_columns({"k": [n], "montant": [1]}, amount="montant", cents=True)
    stop = threading.Event()

    def group_in_a_loop() -> None:   # one million keys: the hashed kernel, a while per call
        while not stop.is_set():
            ledger.group_by("k").sum()

    reader = threading.Thread(target=group_in_a_loop)
    reader.start()
    statuses = []
    try:
        for _ in range(3):
            time.sleep(0.05)
            pid = os.fork()
            if pid == 0:   # the child: only this thread, the reader's count copied as it was
                code = 1
                try:
                    signal.alarm(20)
                    ledger.extend(extra)
                    code = 0 if ledger.group_by("k").count().to_dict()[n] == 1 else 2
                finally:
                    os._exit(code)
            statuses.append(os.waitpid(pid, 0)[1])
    finally:
        stop.set()
        reader.join()
    assert [os.waitstatus_to_exitcode(s) for s in statuses] == [0, 0, 0]


def test_relabel_waiting_for_a_writer_reads_its_mapping_as_given():
    # relabel lent the UTF-8 of the caller's dict to the core, then waited for a writer (extend)
    # with the GIL released: another thread that emptied the dict meanwhile freed those texts,
    # and the core read them after (a use after free; garbage labels at best)
    from conftest import run_isolated
    done = run_isolated("""
        import array, threading, time
        from essconv import _core
        n = 3_000_000
        big = _core.Ledger.from_arrays(
            ["m", "f"], [_core.COL_AMOUNT, _core.COL_LABEL],
            [array.array("q", range(n)), array.array("i", [k % 50_000 for k in range(n)])],
            [None, ["label %d" % k for k in range(50_000)]])
        small = _core.Ledger.from_arrays(["m", "f"], [_core.COL_AMOUNT, _core.COL_LABEL],
                                         [array.array("q", [1]), ["label 1"]], [None, None])
        results = []
        for attempt in range(5):
            mapping = {("label %d" % k): ("new %d" % k) * 3 for k in range(20)}
            go = threading.Event()
            def reader():
                for _ in range(3):
                    big.group_by([1])
            def writer():
                big.extend(small)
            def emptier():
                go.wait()
                mapping.clear()
            threads = [threading.Thread(target=f) for f in (reader, writer, emptier)]
            threads[0].start(); time.sleep(0.02)
            threads[1].start(); time.sleep(0.02)   # the writer now holds the gate, waiting
            threads[2].start()
            go.set()
            out = big.relabel(1, mapping)          # waits for the writer, GIL released
            for t in threads:
                t.join()
            results.append(out.dictionary(1)[:20])
        expected = [("new %d" % k) * 3 for k in range(20)]
        assert all(r == expected for r in results), results
        print("as given")
    """, timeout=300)
    assert done.returncode == 0 and "as given" in done.stdout, done.stderr
