"""An aggregate's report verbs given what a notebook user may give by a slip: a flag written
as a word ("no"), None where a measure is named, a measure it does not hold.  Each is refused
with essconv's own error naming the argument -- a report never answers as if it had been
asked something else (``sort(descending="no")`` sorted descending, ``top(1, others="no")``
added the others line, ``select("x")`` showed a column "x" no export could write)."""
from __future__ import annotations

from decimal import Decimal

import pytest

import essconv
from essconv.errors import ArgumentTypeError, InvalidValueError


@pytest.fixture(scope="module")
def agg():
    ledger = essconv.Ledger.from_columns({"funder": ["CDC", "ETAT", "CDC"],
                                          "montant": ["12", "3", "4"]}, amount="montant")
    return ledger.group_by("funder").sum()


NOT_A_FLAG = ["no", "False", 0, 1, None, 1.5, [], b"x"]


@pytest.mark.parametrize("value", NOT_A_FLAG, ids=repr)
def test_sort_descending_that_is_no_bool_is_refused(agg, value):
    with pytest.raises(ArgumentTypeError) as caught:
        agg.sort(descending=value)
    said = str(caught.value)
    assert said.startswith("descending must be True or False, not "), said
    assert type(value).__name__ in said


@pytest.mark.parametrize("value", NOT_A_FLAG, ids=repr)
def test_top_others_that_is_no_bool_is_refused(agg, value):
    with pytest.raises(ArgumentTypeError) as caught:
        agg.top(1, others=value)
    said = str(caught.value)
    assert said.startswith("others must be True or False, not "), said
    assert type(value).__name__ in said


@pytest.mark.parametrize("value", [None, 3, b"sum", ["sum"], True], ids=repr)
def test_select_a_measure_that_is_no_str_is_refused(agg, value):
    with pytest.raises(ArgumentTypeError, match=r"^measure must be a measure's name as a str "
                                                r"\('count'\), not "):
        agg.select(value)


@pytest.mark.parametrize("value", ["x", "", "funder", "report_line", "share"])
def test_select_a_measure_the_aggregate_does_not_hold_is_refused(agg, value):
    with pytest.raises(InvalidValueError, match=rf"^measure {value!r} is none of this "
                                                rf"aggregate's: 'sum', 'count' and 'mean'"):
        agg.select(value)


def test_right_calls_answer_as_before(agg):
    np = pytest.importorskip("numpy")
    assert agg.sort(descending=False).to_dict() == {"ETAT": Decimal("3"), "CDC": Decimal("16")}
    assert list(agg.sort(descending=np.bool_(False)).to_dict()) == ["ETAT", "CDC"]
    assert list(agg.sort().to_dict()) == ["CDC", "ETAT"]
    assert agg.top(1, others=True).line_kinds() == ["group", "others"]
    assert agg.top(1, others=np.bool_(False)).line_kinds() == ["group"]
    assert agg.select("count").to_dict() == {"CDC": 2, "ETAT": 1}
    assert agg.share().select("share").to_dict() == {"CDC": Decimal("84.21"),
                                                     "ETAT": Decimal("15.79")}


# --- top(1, by=3) and sort(3) said "cannot order by 3" with UnknownColumnError, as for a
# column misspelt: a column is named by its text, and a wrong-typed argument is refused as the
# other verbs refuse one, naming the argument
@pytest.mark.parametrize("value", [3, 1.5, b"sum", ["sum"], True], ids=repr)
@pytest.mark.parametrize("verb", ["top", "sort"])
def test_ordering_by_a_column_that_is_no_str_is_refused(agg, verb, value):
    with pytest.raises(ArgumentTypeError, match=r"^by must be a column's name as a str "
                                                r"\('sum'\), not ") as caught:
        agg.top(1, by=value) if verb == "top" else agg.sort(by=value)
    assert type(value).__name__ in str(caught.value)


@pytest.mark.parametrize("other", [1, Decimal("2"), None, "CDC", {"CDC": Decimal("1")}],
                         ids=repr)
def test_adding_what_is_no_aggregate_is_refused_naming_it(agg, other):
    # agg + 1 escaped as a bare AttributeError ("'int' object has no attribute 'dims'")
    for added in (lambda: agg + other, lambda: other + agg):
        with pytest.raises(ArgumentTypeError, match=f"not {type(other).__name__}"):
            added()


def test_sum_of_aggregates_combines_them_as_plus_does(agg):
    # sum() starts from 0: 0 + agg was refused, so a year's aggregates could not be summed
    years = [essconv.Ledger.from_columns({"funder": funders, "montant": amounts},
                                         amount="montant").group_by("funder").agg()
             for funders, amounts in ((["CDC", "ETAT"], ["12", "3"]), (["CDC"], ["4"]),
                                      (["ETAT", "Région"], ["1.50", "7"]))]
    total = sum(years)
    assert total.to_dict() == (years[0] + years[1] + years[2]).to_dict() == {
        "CDC": Decimal("16"), "ETAT": Decimal("4.50"), "Région": Decimal("7")}
    assert total.to_dict("count") == {"CDC": 2, "ETAT": 2, "Région": 1}
    assert sum([agg]).to_dict() == agg.to_dict()


@pytest.mark.parametrize("n", ["x", 2.5, True, None, [3]], ids=repr)
def test_a_number_of_groups_that_is_no_int_is_refused_as_a_wrong_type(agg, n):
    # top("x") said a wrong value (InvalidValueError) where every verb refuses a wrong type
    # as ArgumentTypeError; a negative int stays a wrong value
    with pytest.raises(ArgumentTypeError, match=f"an int >= 0\\), not {type(n).__name__}"):
        agg.top(n)
    with pytest.raises(essconv.InvalidValueError, match="not -1"):
        agg.top(-1)


@pytest.mark.parametrize("asked", ["avg", "average", "moyenne", "médiane"])
def test_a_measure_the_aggregate_does_not_hold_is_refused_in_french_too(agg, asked):
    """Ordered by a column its groups lack, an aggregate is refused in French ("impossible de
    trier par « avg » : les groupes ont ..."); shown as a measure it lacks, its neighbour was
    refused in English whatever the listing's language.  Both name what the groups have."""
    from essconv.messages import language
    with pytest.raises(InvalidValueError) as caught:
        agg.select(asked)
    assert str(caught.value) == (f"measure {asked!r} is none of this aggregate's: 'sum', "
                                 f"'count' and 'mean'")
    said = language("fr").refusal(caught.value).replace("\u00a0", " ").replace("\u202f", " ")
    assert said.startswith(f"la mesure « {asked} » n'est pas de cet agrégat : il a « sum », "
                           f"« count » et « mean »"), said
    # a mean asked by another name: the one it has is said
    assert ("(la moyenne est « mean »)" in said) == (asked != "médiane"), said
    assert language("en").refusal(caught.value) == str(caught.value)
