"""A year given to the convention's public methods the way a notebook user may give it: a bool,
a float, a str, None, a year no date holds.  Each is refused with essconv's own error naming
the argument, never a bare OverflowError from the core nor ``True`` read as the year 1."""
from __future__ import annotations

import datetime

import pytest

import essconv
from essconv import calendar as cal
from essconv.errors import ArgumentTypeError, InvalidValueError
from essconv.messages import language


@pytest.fixture(scope="module")
def conv():
    return essconv.default()


# each public method taking a year, called with it, and the argument it names
BY_YEAR = {
    "meetings": (lambda c, y: c.meetings(y), "year"),
    "calendar": (lambda c, y: c.calendar(y), "year"),
    "plan": (lambda c, y: c.plan(y), "year"),
    "by_axis": (lambda c, y: c.by_axis(y), "year"),
    "probable_readings": (lambda c, y: c.probable_readings(y), "year"),
    "compare-first": (lambda c, y: c.compare(y, 2009), "year1"),
    "compare-second": (lambda c, y: c.compare(2009, y), "year2"),
    "agenda": (lambda c, y: cal.agenda(c, y), "year"),
    "to_ics": (lambda c, y: cal.to_ics(c, y), "year"),
    "add_plan": (lambda c, y: c.add_plan(c.plan(2009), y), "year"),
}


@pytest.mark.parametrize("method", sorted(BY_YEAR))
@pytest.mark.parametrize("year", [True, False, 2009.0, "2009", b"2009",
                                  datetime.date(2009, 1, 1)])
def test_a_year_that_is_no_int_is_refused_naming_the_argument(conv, method, year):
    call, argument = BY_YEAR[method]
    with pytest.raises(ArgumentTypeError) as caught:
        call(conv, year)
    assert isinstance(caught.value, TypeError)   # what a Python programmer catches too
    assert str(caught.value).startswith(f"{argument} must be a year as an int")
    assert type(year).__name__ in str(caught.value)


@pytest.mark.parametrize("method", sorted(BY_YEAR))
@pytest.mark.parametrize("year", [10**20, 2**63, -(2**63) - 1, 10**5, 0, -1])
def test_a_year_no_date_holds_is_refused_naming_the_argument(conv, method, year):
    call, argument = BY_YEAR[method]
    with pytest.raises(InvalidValueError) as caught:
        call(conv, year)
    assert str(caught.value) == f"{argument} must be a year from 1 to 9999, not {year}"
    assert caught.value.reason == ("year-range", argument, year)


def test_the_bounds_of_the_years_a_date_holds_are_years(conv):
    # 1 and 9999 are years, outside this term: an empty table that says why, as 1990's
    for year in (1, 9999):
        assert conv.meetings(year) == [] and conv.meetings(year).year == year
        assert conv.calendar(year) == []


def test_a_numpy_integer_from_a_table_is_a_year(conv):
    np = pytest.importorskip("numpy")
    assert conv.meetings(np.int64(2010)) == conv.meetings(2010)
    assert conv.plan(np.int32(2009)) is conv.plan(2009)
    with pytest.raises(ArgumentTypeError):
        conv.meetings(np.bool_(True))
    with pytest.raises(ArgumentTypeError):
        conv.meetings(np.float64(2010))


def test_a_plan_added_under_a_float_year_is_refused_not_kept_under_a_float_key():
    conv = essconv.default()
    plan = conv.plan(2009)
    with pytest.raises(ArgumentTypeError):
        conv.add_plan(plan, 2010.0)
    with pytest.raises(InvalidValueError):   # 0 is a year refused, not "the plan's own year"
        conv.add_plan(plan, 0)
    assert list(conv.plans) == [2009] and all(type(y) is int for y in conv.plans)


def test_the_refusal_is_worded_in_french_for_the_committee(conv):
    with pytest.raises(InvalidValueError) as caught:
        conv.meetings(10**20)
    assert language("fr").refusal(caught.value) == \
        "year doit être une année de 1 à 9999, pas 100000000000000000000"
    with pytest.raises(ArgumentTypeError) as caught:
        conv.meetings(True)
    assert language("fr").refusal(caught.value) == \
        "year doit être une année en nombre entier (2010), pas True"
