"""Readers and writers of one ledger from several threads (issue 10, item 1).

group_by, filter, pivot and the Arrow exports read the columns with the GIL released; extend and
rename change them.  The ledger's lock (see csrc/python/ledger_type.c) makes a writer wait for
the readers in flight, never with the GIL held.  Runs in the ASan pass of .ci/run as well.
"""
from __future__ import annotations

import subprocess
import sys
from pathlib import Path

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

