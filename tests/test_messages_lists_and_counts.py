"""What a refusal lists (axes, parties, encodings) is said in words, each quoted, never as a
Python list; the counts a French message gives are grouped as French groups figures (U+202F),
English ones with a comma."""
from __future__ import annotations

import io

import pytest

import essconv
from essconv.ledger import Ledger

NNBSP = "\u202f"


def _quoted_in_words(names):
    """The rule, spelled out apart from the code: each name in single quotes, ", " between."""
    return ", ".join("'" + str(n) + "'" for n in names)


def _grouped(count: int, group: str) -> str:
    """A count grouped by threes from the right, the obvious way."""
    digits, out = str(count), ""
    while len(digits) > 3:
        digits, out = digits[:-3], group + digits[-3:] + out
    return digits + out


TWO_AXES_PLAN = ("en k€\t\tCDC\tCG-59\tTotal\nAxe 1\tL1\t4\t5\t9\n\tDiv\t1\t1\t2\n"
                 "Axe 2\tDiv\t10\t0\t10\nTotal\t\t15\t6\t21\n").encode()


def test_an_unknown_axis_names_the_plans_axes_in_words():
    plan = essconv.read_plan(TWO_AXES_PLAN)
    with pytest.raises(essconv.UnknownLabelError) as info:
        plan.lines_of("Axe 9")
    said = str(info.value)
    assert f"it has {_quoted_in_words(['Axe 1', 'Axe 2'])}" in said
    assert "[" not in said and "]" not in said


def test_a_line_under_two_axes_names_its_axes_in_words():
    conv = essconv.default()
    conv.add_plan(essconv.read_plan(TWO_AXES_PLAN), 2010)
    ledger = Ledger.read_csv(io.BytesIO(b"nomAttribuant;dispositifAide;dateConvention;montant\n"
                                        b"CDC;Div;2010-03-01;7\n"),
                             amount="montant", dates=["dateConvention"])
    with pytest.raises(essconv.errors.AmbiguityError) as info:
        conv.execution(2010, ledger)
    said = str(info.value)
    assert f"plan ({_quoted_in_words(['Axe 1', 'Axe 2'])}): say which" in said
    assert "[" not in said


def test_an_unknown_party_names_the_conventions_parties_in_words():
    conv = essconv.default()
    ledger = Ledger.read_csv(io.BytesIO(b"nomAttribuant;dispositifAide;dateConvention;montant\n"
                                        b"Fonds R;DLA;2009-03-01;7\n"),
                             amount="montant", dates=["dateConvention"])
    with pytest.raises(essconv.UnknownLabelError) as info:
        conv.execution(2009, ledger, funders={"Fonds R": "XYZ"})
    said = str(info.value)
    assert f"(the parties: {_quoted_in_words(p.code for p in conv.parties)})" in said
    assert "[" not in said


def test_an_unknown_encoding_names_the_encodings_in_words():
    with pytest.raises(essconv.errors.InvalidValueError) as info:
        essconv.read_plan(TWO_AXES_PLAN, encoding="klingon")
    said = str(info.value)
    assert said.startswith("unknown encoding 'klingon': expected one of '")
    assert "[" not in said and "]" not in said
