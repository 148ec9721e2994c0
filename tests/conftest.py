"""Shared fixtures: where the real files are, and the source's Annex 1 cut from its text."""
from __future__ import annotations

import os
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared"
SEED = SHARED / "seeds" / "000_c426f478637d55b2.txt"
SCDL = SHARED / "data" / "scdl"


def annex_lines() -> list[str]:
    """Annex 1 as the source prints it: from the 'en K€' header to its Total row."""
    text = SEED.read_text(encoding="utf-8")
    lines = text.split("\n")
    start = next(i for i, l in enumerate(lines) if l.startswith("en K€\t"))
    end = next(i for i in range(start, len(lines)) if lines[i].startswith("Total\t"))
    return lines[start:end + 1]


@pytest.fixture(scope="session")
def seed_text() -> str:
    if not SEED.exists():
        pytest.fail(f"the source document is missing: {SEED}")
    return SEED.read_text(encoding="utf-8")


@pytest.fixture
def annex_tsv(tmp_path: Path) -> Path:
    """The source's Annex 1 as a TSV file cut from the source text, byte for byte."""
    path = tmp_path / "annexe1-2009.tsv"
    path.write_bytes(("\n".join(annex_lines()) + "\n").encode("utf-8"))
    return path


#: set by .ci/run for the run against the ASan + UBSan build: third-party C++ extensions
#: (matplotlib's ft2font) trip ASan's own checks when libasan is preloaded, so the tests that
#: draw with matplotlib are left to the ordinary run.
UNDER_ASAN = os.environ.get("ESSCONV_ASAN_RUN") == "1"
not_under_asan = pytest.mark.skipif(UNDER_ASAN, reason="matplotlib's C++ extensions under a preloaded libasan")
