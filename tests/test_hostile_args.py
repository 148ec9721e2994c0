"""Hostile arguments to the C extension's functions and methods: a clear Python exception or a
right answer, never a crash of the interpreter (which loses an analyst's whole notebook).

Each snippet that once crashed runs in a child interpreter (conftest.run_isolated): should it
crash again, the test fails instead of taking the run down.
"""
from __future__ import annotations

import pytest

from conftest import run_isolated
from test_bad_input import mixed_places_twin


# a mixed text: mostly UTF-8, with 3 CP1252 bytes, the places the warning names
MIXED = ("Café;1\n" * 5).encode() + b"caf\xe9;2\n" * 3


@pytest.mark.parametrize("most", [2**61, 2**62, 2**63 - 1, 2**31, len(MIXED) + 1])
def test_a_huge_count_of_places_asked_is_all_places_not_a_crash(most):
    # the room for `most` places was sized by a product that wrapped around past 2**61 (24
    # bytes for 2**61 places, the core writing every place past them; mixed_tally's second
    # list 2**61 places away) or asked malloc for terabytes (an abort under ASan)
    done = run_isolated(f"""
        from essconv import _core
        print(_core.mixed_places({MIXED!r}, {most}))
        print(_core.mixed_tally({MIXED!r}, {most}))
    """)
    assert done.returncode == 0, done.stderr
    places, tally = done.stdout.splitlines()
    assert eval(places) == mixed_places_twin(MIXED, most)
    cp1252, utf8, lines, cp1252_at, utf8_at = eval(tally)
    assert (cp1252, utf8, lines) == (3, 5, 8)
    assert len(cp1252_at) == 3 and len(utf8_at) == 5
    assert [b for _, _, b in cp1252_at] == [0xE9] * 3
