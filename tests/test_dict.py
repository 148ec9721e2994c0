"""The label dictionary (csrc/core/dict.c): its probe -- a hash tag and the label's
bytes or its place in the slot, labels of up to 8 bytes compared as one word -- against a plain
Python dict, the slow obvious twin, over labels built to trip it: 0 to 40 bytes, characters of
two and three bytes (bytes 0x80-0xFF), labels equal in their first 8, 16 or 24 bytes or
differing only in length.  Read in one pass, in chunks merged on two threads, and looked up (a filter on
a set of labels, some absent).  The raw-byte cases (NUL, any byte, a label ending at the last
byte of its block under ASan) and crafted collisions are in tests/c/test_base.c.
"""
from __future__ import annotations

from array import array

from hypothesis import given, settings
from hypothesis import strategies as st

from essconv import Ledger, _core

# one, two and three UTF-8 bytes; no delimiter, quote, line ending or space (the reader trims)
ALPHABET = "aZ09-é\u00ff\u00c0€"
# 7, 8, 16, 23 and 24 bytes in UTF-8 and none: labels equal in their first 8, 16 or 24 bytes
PREFIXES = ["", "T08", "ASSOCIA", "Régio", "Départe", "ASSOCIATION DU Q", "ASSOCIATION DU QUARTIER",
            "ASSOCIATION DU QUARTIERS"]
assert {len(p.encode()) for p in PREFIXES} >= {0, 7, 8, 16, 23, 24}

label = st.builds(lambda prefix, rest: prefix + rest, st.sampled_from(PREFIXES),
                  st.text(ALPHABET, max_size=14)).filter(lambda s: len(s.encode()) <= 40)


def first_sight(labels: list[str]) -> tuple[list[str], list[int]]:
    """The twin: a Python dict numbering labels in order of first sight; a blank is missing."""
    codes: dict[str, int] = {}
    rows = [-1 if s == "" else codes.setdefault(s, len(codes)) for s in labels]
    return list(codes), rows


@settings(max_examples=150, deadline=None)
@given(st.lists(label, max_size=300), st.integers(1, 400))
def test_codes_and_look_ups_against_a_python_dict(labels, chunk_bytes):
    want_labels, want_codes = first_sight(labels)

    # interned by the core one label at a time
    core = _core.Ledger.from_arrays(["f", "m"], [_core.COL_LABEL, _core.COL_AMOUNT],
                                    [[s or None for s in labels], array("q", range(len(labels)))],
                                    [None, None])
    assert core.dictionary(0) == want_labels
    assert list(array("i", core.copy_column(0))) == want_codes

    # read from text, in one pass and in chunk dictionaries merged into the result
    text = ("f,m\n" + "".join(f"{s},{k}\n" for k, s in enumerate(labels))).encode()
    for kw in ({"threads": 1}, {"threads": 2, "chunk_bytes": chunk_bytes}):
        read, _ = _core.Ledger.read_csv(text, ["f", "m"], [_core.COL_LABEL, _core.COL_AMOUNT], **kw)
        assert read.dictionary(0) == want_labels, kw
        assert list(array("i", read.copy_column(0))) == want_codes, kw

    # looked up: present labels and absent ones sharing their prefixes
    asked = set(want_labels[::3]) | {s + "x" for s in want_labels[:5]}
    asked |= {s[:-1] for s in want_labels[:5] if len(s) > 1}
    ledger = Ledger(core)
    kept = ledger.filter(f=asked)
    assert kept.values("f") == [s for s in labels if s in asked]
