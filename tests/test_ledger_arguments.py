"""A ledger's methods given what a notebook user may give them by a slip: a column as a list or a
number, an amount column where a label column is meant, a row count that is no count, a
ledger to extend with that is no ledger, or itself.  Each is refused with essconv's own error
naming the argument and what to give -- never Python's "unhashable type: 'list'", an empty list
that reads as "no labels", nor a bare AttributeError -- or answered as Python's own
containers answer (``ledger.extend(ledger)`` doubles it, as ``list.extend`` does)."""
from __future__ import annotations

import io
from decimal import Decimal

import pytest

import essconv
from essconv.errors import ArgumentTypeError, InvalidValueError

CSV = "beneficiaire;financeur;montant\n" + "".join(
    f"A{i % 5};F{i % 3};{i},50\n" for i in range(12))


@pytest.fixture
def ledger():
    return essconv.Ledger.read_csv(io.StringIO(CSV), amount="montant")


NAMED_COLUMN = {
    "labels": lambda l, c: l.labels(c),
    "dictionary": lambda l, c: l.dictionary(c),
    "has_label": lambda l, c: l.has_label(c, "A1"),
    "close_labels": lambda l, c: l.close_labels(c, "a1"),
    "column": lambda l, c: l.column(c),
    "values": lambda l, c: l.values(c),
}


@pytest.mark.parametrize("method", sorted(NAMED_COLUMN))
@pytest.mark.parametrize("given", [["financeur"], ("financeur",), {"financeur": 1}, 3, None])
def test_a_column_that_is_no_name_is_refused_naming_what_to_give(ledger, method, given):
    with pytest.raises(ArgumentTypeError) as caught:
        NAMED_COLUMN[method](ledger, given)
    said = str(caught.value)
    assert "column" in said and type(given).__name__ in said
    assert "'financeur'" in said   # the ledger's own columns, to pick from


LABEL_ONLY = ["labels", "dictionary", "has_label", "close_labels"]


@pytest.mark.parametrize("method", LABEL_ONLY)
def test_an_amount_column_asked_for_its_labels_is_refused_not_answered_empty(ledger, method):
    with pytest.raises(ArgumentTypeError) as caught:
        NAMED_COLUMN[method](ledger, "montant")
    said = str(caught.value)
    assert "'montant' holds amounts, not labels" in said
    assert "'beneficiaire'" in said and "'financeur'" in said   # the label columns there are


@pytest.mark.parametrize("method", LABEL_ONLY)
def test_a_label_column_still_answers(ledger, method):
    expected = {"labels": ["A0", "A1", "A2", "A3", "A4"],
                "dictionary": ["A0", "A1", "A2", "A3", "A4"],
                "has_label": True, "close_labels": ["A1"]}[method]
    assert NAMED_COLUMN[method](ledger, "beneficiaire") == expected


@pytest.mark.parametrize("end", ["head", "tail"])
@pytest.mark.parametrize("given", ["2", 2.0, None, [2]])
def test_a_row_count_that_is_no_int_is_refused(ledger, end, given):
    with pytest.raises(ArgumentTypeError) as caught:
        getattr(ledger, end)(given)
    assert f"{end}(n)" in str(caught.value) and type(given).__name__ in str(caught.value)


@pytest.mark.parametrize("end", ["head", "tail"])
def test_a_negative_row_count_is_refused_not_read_as_no_row(ledger, end):
    # pandas reads head(-1) as "all rows but the last": an empty list here said nothing at all
    with pytest.raises(InvalidValueError) as caught:
        getattr(ledger, end)(-1)
    assert "-1" in str(caught.value)


def test_head_and_tail_still_count_rows(ledger):
    assert [r["beneficiaire"] for r in ledger.head(2)] == ["A0", "A1"]
    assert [r["montant"] for r in ledger.tail(1)] == [Decimal("11.5")]
    assert ledger.head(0) == [] and len(ledger.head(100)) == 12


def test_one_column_named_as_text_is_that_column_not_its_letters(ledger):
    # columns="financeur" was read letter by letter: "no column 'f'"
    assert ledger.head(2, columns="financeur") == [{"financeur": "F0"}, {"financeur": "F1"}]
    assert ledger.tail(1, columns="financeur") == ledger.tail(1, columns=["financeur"])


@pytest.mark.parametrize("given", [None, "ledger.csv", [], 3])
def test_extending_with_what_is_no_ledger_is_refused_saying_how_to_read_one(ledger, given):
    with pytest.raises(ArgumentTypeError) as caught:
        ledger.extend(given)
    assert "Ledger" in str(caught.value) and "read_csv" in str(caught.value)
    assert len(ledger) == 12


def test_a_ledger_extended_with_itself_holds_its_rows_twice(ledger):
    before = ledger.total()
    ledger.extend(ledger)
    assert len(ledger) == 24
    assert ledger.total() == 2 * before
    assert ledger.values("beneficiaire") == 2 * [f"A{i % 5}" for i in range(12)]


@pytest.mark.parametrize("given", [1.5, "2", -1])
def test_an_aggregate_s_head_names_its_own_argument(ledger, given):
    with pytest.raises((ArgumentTypeError, InvalidValueError)) as caught:
        ledger.group_by("financeur").sum().head(given)
    assert str(caught.value).startswith("head(rows): rows is")
