"""Shared fixtures: where the real files are, and Annex 1 as a file.

The real published files the tests read live in tests/data (see tests/data/SOURCES.md), so the
suite runs in a fresh clone with nothing beside it. The convention's source text is not shipped:
the checks against it run only where ../shared/seeds exists (CI has it) and skip elsewhere.
"""
from __future__ import annotations

import os
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared"
SEED = SHARED / "seeds" / "000_c426f478637d55b2.txt"
DATA = ROOT / "tests" / "data"
SCDL = DATA / "scdl"
#: the embedded Annex 1, which a test (with the source text) proves byte-equal to the signed text
EMBEDDED_ANNEX = ROOT / "essconv" / "data" / "annexe1-2009.tsv"
needs_source = pytest.mark.skipif(not SEED.exists(), reason="the convention's source text (../shared) is absent")


def annex_lines() -> list[str]:
    """Annex 1 as printed: cut from the source text where it is present, else the embedded copy."""
    if not SEED.exists():
        return EMBEDDED_ANNEX.read_text(encoding="utf-8").splitlines()
    text = SEED.read_text(encoding="utf-8")
    lines = text.split("\n")
    start = next(i for i, l in enumerate(lines) if l.startswith("en K€\t"))
    end = next(i for i in range(start, len(lines)) if lines[i].startswith("Total\t"))
    return lines[start:end + 1]


@pytest.fixture(scope="session")
def seed_text() -> str:
    if not SEED.exists():
        pytest.skip(f"the convention's source text is absent here: {SEED}")
    return SEED.read_text(encoding="utf-8")


@pytest.fixture
def annex_tsv(tmp_path: Path) -> Path:
    """Annex 1 as a TSV file, byte for byte as the source prints it."""
    path = tmp_path / "annexe1-2009.tsv"
    path.write_bytes(("\n".join(annex_lines()) + "\n").encode("utf-8"))
    return path


#: set by .ci/run for the run against the ASan + UBSan build: third-party C++ extensions
#: (matplotlib's ft2font) trip ASan's own checks when libasan is preloaded, so the tests that
#: draw with matplotlib are left to the ordinary run.
UNDER_ASAN = os.environ.get("ESSCONV_ASAN_RUN") == "1"
not_under_asan = pytest.mark.skipif(UNDER_ASAN, reason="matplotlib's C++ extensions under a preloaded libasan")

#: Under the ASan run every example of a hypothesis test costs several times what it costs in the
#: ordinary run (PYTHONMALLOC=malloc sends each of Python's allocations, hypothesis' own included,
#: through ASan's allocator), and the hypothesis tests were most of that run's time.  There, each
#: runs a quarter of its examples (at least ASAN_MIN_EXAMPLES), its @example cases all: every
#: test still runs and drives the same C paths, so ASan and UBSan still watch each of them; the
#: breadth of the search is the ordinary run's job, which keeps every example.
ASAN_EXAMPLES_DIVISOR = 4
ASAN_MIN_EXAMPLES = 10


def fewer_examples_under_asan(n: int) -> int:
    return max(ASAN_MIN_EXAMPLES, n // ASAN_EXAMPLES_DIVISOR) if UNDER_ASAN else n


def pytest_collection_modifyitems(items):
    """Under the ASan run, every hypothesis test runs fewer_examples_under_asan(max_examples) of
    its examples (see ASAN_EXAMPLES_DIVISOR): the max_examples its @settings names, or the
    profile's (hypothesis' default, 100) where it names none."""
    if not UNDER_ASAN:
        return
    from hypothesis import is_hypothesis_test, settings as _settings
    done = set()
    for item in items:
        test = getattr(getattr(item, "function", None), "__func__", getattr(item, "function", None))
        if test is None or id(test) in done or not is_hypothesis_test(test):
            continue
        done.add(id(test))
        # hypothesis reads a test's settings from this attribute when the test runs (what
        # @settings sets); fail loudly rather than run every example if a release renames it
        current = test._hypothesis_internal_use_settings
        if current.max_examples > ASAN_MIN_EXAMPLES:
            test._hypothesis_internal_use_settings = _settings(
                current, max_examples=fewer_examples_under_asan(current.max_examples))


def first_success_under_failing_allocations(path, tries: int = 100_000):
    """Runs ``path()`` with the core's N-th allocation failing, N = 0, 1, ... until it succeeds:
    every failure must be a clean MemoryError (a crash or a leak is what the sweep looks for).
    Returns (the first successful result, how many runs failed)."""
    from essconv import _core
    failures = 0
    for n in range(tries):
        _core._fail_allocation(n)
        try:
            return path(), failures
        except MemoryError:
            failures += 1
        finally:
            _core._fail_allocation(-1)
    raise AssertionError(f"{path} still fails after {tries} failing allocations")


#: every real SCDL file the tests read (tests/data/scdl, see SOURCES.md)
REAL_SCDL = sorted(SCDL.glob("*.csv"))


def read_real_scdl(path: Path):
    """A real file as read_scdl reads it, its warnings (repaired rows, mixed encodings...) set
    aside: the tests that call this check sums and groups, not the warnings."""
    import warnings

    import essconv
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return essconv.read_scdl(path)


def run_isolated(code: str, timeout: float = 120):
    """Runs ``code`` in a child interpreter (essconv imported from the tree the tests import):
    a snippet that once crashed the interpreter cannot take the test run down with it if it
    crashes again.  Returns the CompletedProcess; the tests assert on its return code and on the
    exception it printed.  Under the ASan run the child inherits the preloaded libasan, so a
    memory error there aborts the child and fails the test."""
    import subprocess
    import sys
    import textwrap
    here = str(Path(__file__).resolve().parent)
    env = dict(os.environ, PYTHONPATH=os.pathsep.join(
        p for p in (os.environ.get("PYTHONPATH"), here) if p))
    return subprocess.run([sys.executable, "-X", "faulthandler", "-c", textwrap.dedent(code)],
                          capture_output=True, text=True, timeout=timeout, env=env,
                          cwd=os.getcwd())


def report_with_total(report: str):
    """An aggregate of six records by funder (one without a funder) written with its Total line
    (``"with_total"``, or ``"top_others_total"``: its top group, an others line and the Total),
    and the records' own Decimal sum: what an aggregate read back from SQL or Parquet must
    total, its Total line set aside."""
    from decimal import Decimal

    import essconv
    rows = [("Région", "10.50"), ("Caisse des Dépôts", "2.25"), ("Région", "-0.75"),
            (None, "7"), ("Département du Nord", "100.01"), ("Département du Nord", "3")]
    ledger = essconv.Ledger.from_columns({"financeur": [r[0] for r in rows],
                                          "montant": [Decimal(r[1]) for r in rows]},
                                         amount="montant")
    groups = ledger.group_by("financeur").sum()
    written = groups.with_total() if report == "with_total" else \
        groups.top(1, others=True).with_total()
    return written, sum((Decimal(a) for _, a in rows), Decimal(0))


def odd_byte_place(data: bytes) -> tuple[int, int]:
    """Line and column of the first byte that is no part of valid UTF-8: the slow twin, line by
    line (the lines it is given hold ASCII before it, so a byte's column is its character's)."""
    for number, line in enumerate(data.split(b"\n"), 1):
        try:
            line.decode("utf-8")
        except UnicodeDecodeError as exc:
            return number, exc.start + 1
    raise AssertionError("no odd byte")
