"""The reader's per-cell hot path (issue 14): each column's writer is chosen once from the
header and reads amounts, integers and dates straight from the file's bytes, with the plain
amount parsed inline and every other text through the full parser.  Checked here against the
slow obvious twins (the full parser on each cell alone, Python's int, datetime.date), and the
library's functions kept out of its dynamic symbol table so that the core calls them directly,
not through the PLT.
"""
from __future__ import annotations

import ctypes
from array import array
import datetime
import sys

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from essconv import ParseError, _core

NBSP, NNBSP = "\u00a0", "\u202f"


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="ELF dynamic symbols")
def test_the_extension_exports_its_init_alone():
    lib = ctypes.CDLL(_core.__file__)
    assert hasattr(lib, "PyInit__core")
    for name in ("ess_money_parse", "ess_dict_intern", "ess_date_parse", "ess_text_trim",
                 "ess_ledger_reserve"):
        assert not hasattr(lib, name), f"{name} is exported: the core calls it through the PLT"


def alone(text: str):
    """The amount of one cell as the full parser reads it alone (None: blank), or the error."""
    try:
        read = _core.parse_amount(text)
        return None if read is None else read[0]
    except ParseError as exc:
        return ("error", type(exc).__name__)


def grouped(cents: int) -> str:
    return f"{cents // 100:,}".replace(",", NBSP) + f",{cents % 100:02d}"


def pointed(cents: int) -> str:
    return f"{'-' if cents < 0 else ''}{abs(cents) // 100}.{abs(cents) % 100:02d}"


AMOUNT = st.one_of(st.text(alphabet="0123456789 ,.-" + NBSP + NNBSP + "€k()", max_size=14),
                   st.integers(-10**14, 10**14).map(grouped),
                   st.integers(-10**14, 10**14).map(pointed))


@settings(max_examples=300, deadline=None)
@given(st.lists(st.tuples(AMOUNT, st.text(alphabet="0123456789 -+x", max_size=6),
                          st.dates(datetime.date(1900, 1, 1), datetime.date(2100, 12, 31))),
                min_size=1, max_size=25))
def test_every_cell_reads_as_its_slow_twin_reads_it_alone(rows):
    body = "".join(f'"{a}";{n};{d.isoformat()}\n' for a, n, d in rows)
    data = ("montant;annee;date\n" + body).encode()
    core, bad = _core.Ledger.read_csv(data, ["montant", "annee", "date"],
                                      [_core.COL_AMOUNT, _core.COL_INT, _core.COL_DATE],
                                      delimiter=";", decimal=",", collect_bad=True)
    amounts, ints, days = (array(t, core.copy_column(c)) for c, t in enumerate("qqi"))
    bad_lines = {b[0] for b in bad}
    got = 0
    for k, (a, n, d) in enumerate(rows):
        line = k + 2
        twin_amount = alone(a)
        stripped = n.strip()
        try:
            twin_int = int(stripped) if stripped and stripped.lstrip("+-").isdigit() else (
                None if not stripped else "bad")
        except ValueError:
            twin_int = "bad"
        row_is_bad = (not isinstance(twin_amount, int)) or twin_int == "bad" or \
            (twin_int is not None and not -2**63 <= twin_int < 2**63)
        if line in bad_lines:
            assert row_is_bad, (a, n)
            continue
        assert not row_is_bad, (a, n)
        assert amounts[got] == twin_amount, a
        assert ints[got] == (-2**63 if twin_int is None else twin_int), n   # INT64_MIN: missing
        assert days[got] == (d - datetime.date(1970, 1, 1)).days
        got += 1
    assert got == core.nrows and len(rows) == got + len(bad_lines)
