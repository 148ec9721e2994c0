"""A day given to the convention's, the report's and the calendar's functions the way a
notebook user may give it: a str, a year, a datetime.  A datetime is its day; anything else is
refused with essconv's own error naming the argument, never a bare AttributeError or
TypeError from a comparison."""
from __future__ import annotations

import datetime

import pytest

import essconv
from essconv import calendar as cal
from essconv.errors import ArgumentTypeError
from essconv.report import build, render_json, render_text


@pytest.fixture(scope="module")
def conv():
    return essconv.default()


BY_DAY = {
    "is_active": (lambda c, v: c.is_active(v), "date"),
    "next_milestones": (lambda c, v: c.next_milestones(v), "after"),
    "build": (lambda c, v: build(c, v), "today"),
    "render_text": (lambda c, v: render_text(c, v), "today"),
    "render_json": (lambda c, v: render_json(c, v), "today"),
}


@pytest.mark.parametrize("function", sorted(BY_DAY))
@pytest.mark.parametrize("value", ["2010-06-01", 2010, 2010.5, (2010, 6, 1)])
def test_a_day_that_is_no_date_is_refused_naming_the_argument(conv, function, value):
    call, argument = BY_DAY[function]
    with pytest.raises(ArgumentTypeError) as caught:
        call(conv, value)
    assert str(caught.value).startswith(f"{argument} must be a datetime.date")
    assert type(value).__name__ in str(caught.value)


@pytest.mark.parametrize("function", sorted(BY_DAY))
@pytest.mark.parametrize("day", [datetime.date(2010, 6, 1), datetime.date(2013, 12, 31),
                                 datetime.date(2014, 1, 1), datetime.date(2008, 12, 31)])
def test_a_datetime_is_its_day(conv, function, day):
    call, _ = BY_DAY[function]
    late = datetime.datetime.combine(day, datetime.time(23, 59))
    assert call(conv, late) == call(conv, day)


def test_the_milestones_after_a_datetime_are_those_of_a_slow_twin(conv):
    day = datetime.date(2011, 1, 1)
    twin = [m for m in conv.milestones if (m.until or m.date) >= day]
    assert conv.next_milestones(datetime.datetime(2011, 1, 1, 12)) == twin
    assert conv.is_active(datetime.datetime(2013, 12, 31, 23, 59)) is (conv.end >= datetime.date(2013, 12, 31))


def test_an_ics_stamp_that_is_no_datetime_is_refused(conv):
    with pytest.raises(ArgumentTypeError, match=r"^stamp must be a datetime\.datetime"):
        cal.to_ics(conv, 2010, stamp="2010-01-01T00:00:00Z")


def test_an_ics_stamp_of_another_zone_is_written_in_utc(conv):
    paris = datetime.timezone(datetime.timedelta(hours=2))
    stamped = cal.to_ics(conv, 2010, stamp=datetime.datetime(2010, 6, 1, 14, 30, tzinfo=paris))
    assert "DTSTAMP:20100601T123000Z" in stamped and "DTSTAMP:20100601T143000Z" not in stamped
