"""One ingest path: columns of values enter a ledger through the core's staging builder, which
dictionary-encodes label texts itself (codes in order of first sight) and checks every code."""
from __future__ import annotations

from array import array

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import essconv
from essconv import Ledger, _core

labels = st.one_of(st.none(), st.sampled_from(["CDC", "CR", "cr", " CR", "", "Région"]),
                   st.integers(0, 5), st.text(max_size=4))


@settings(max_examples=100, deadline=None)
@given(st.lists(labels, max_size=40))
def test_label_texts_are_encoded_by_the_core_in_order_of_first_sight(values):
    # a NUL in a label is refused, naming its row (no text file holds one): the twin says so
    # first, and the rows without one are read as below (a drawn "\x00" failed this test)
    with_nul = [k for k, v in enumerate(values) if isinstance(v, str) and "\x00" in v]
    if with_nul:
        for build in (lambda: _core.Ledger.from_arrays(
                          ["f", "m"], [_core.COL_LABEL, _core.COL_AMOUNT],
                          [values, array("q", range(len(values)))], [None, None]),
                      lambda: Ledger.from_columns(
                          {"f": [None if v is None else str(v) for v in values],
                           "m": list(range(len(values)))}, amount="m", cents=True)):
            with pytest.raises(essconv.ParseError, match=f"row {with_nul[0] + 1}: .* NUL"):
                build()
        values = [v for k, v in enumerate(values) if k not in with_nul]
    core = _core.Ledger.from_arrays(["f", "m"], [_core.COL_LABEL, _core.COL_AMOUNT],
                                    [values, array("q", range(len(values)))], [None, None])
    # the slow obvious twin: the CSV reader's rule, spaces around a label trimmed and a blank
    # label missing
    texts = [None if v is None else (str(v).strip(" \t\r\n\u00a0\u202f\u2009\u2007") or None) for v in values]
    assert core.nrows == len(values)
    assert core.dictionary(0) == list(dict.fromkeys(t for t in texts if t is not None))
    assert Ledger(core).values("f") == texts
    # Ledger.from_columns hands its label columns (texts) to the core the same way
    ledger = Ledger.from_columns({"f": texts, "m": list(range(len(values)))}, amount="m",
                                 cents=True)
    assert ledger.values("f") == texts


def test_the_core_checks_what_it_is_given():
    kinds = [_core.COL_LABEL, _core.COL_AMOUNT]
    with pytest.raises(ValueError, match="outside its dictionary"):
        _core.Ledger.from_arrays(["f", "m"], kinds, [array("i", [0, 2]), array("q", [1, 2])],
                                 [["a", "b"], None])
    with pytest.raises(ValueError, match="repeats 'a'"):
        _core.Ledger.from_arrays(["f", "m"], kinds, [array("i", [0, 0]), array("q", [1, 2])],
                                 [["a", "a"], None])
    with pytest.raises(ValueError, match="where the first has 2"):
        _core.Ledger.from_arrays(["m", "f"], kinds[::-1], [array("q", [1, 2]), ["a"]],
                                 [None, None])


@pytest.mark.parametrize("row", [0, 15, 16, 37, 39])
@pytest.mark.parametrize("code", [-2, 3, 2**31 - 1])
def test_every_staged_code_is_checked_in_blocks_and_tail(row, code):
    """The commit checks codes in blocks of 16 then a tail: a bad code anywhere among 40 rows
    is found, at its row; -1 (missing) and the last code of the dictionary are good."""
    kinds = [_core.COL_LABEL, _core.COL_AMOUNT]
    good = [k % 4 - 1 for k in range(40)]                 # -1, 0, 1, 2 over a dictionary of 3
    core = _core.Ledger.from_arrays(["f", "m"], kinds, [array("i", good), array("q", range(40))],
                                    [["a", "b", "c"], None])
    assert core.nrows == 40
    bad = list(good)
    bad[row] = code
    with pytest.raises(essconv.InvalidValueError, match=f"row {row} of 'f' has code {code} "):
        _core.Ledger.from_arrays(["f", "m"], kinds, [array("i", bad), array("q", range(40))],
                                 [["a", "b", "c"], None])
