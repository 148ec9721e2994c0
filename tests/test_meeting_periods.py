"""A meeting's period as the committee reads it: a day said once, a rhythm other than half-years,
quarters and months named in words, a rhythm the year's days cannot hold refused at its key."""
import calendar as stdlib_calendar
import datetime as dt
import html
import re

import pytest

import essconv
from essconv.calendar import agenda, meetings_html
from essconv.messages import language

HEAD = '''[convention]
title = "T"
territory = "B"
start = 2020-01-01
end = 2021-12-31
'''


def load_body(tmp_path, per_year, head=HEAD):
    path = tmp_path / "rhythm.toml"
    path.write_text(head + f'[[bodies]]\nname = "Comité"\nmeetings_per_year = {per_year}\n'
                           'members = []\nroles = []\n', encoding="utf-8")
    return essconv.load(path)


def _day(d, lang):
    return f"{d.day:02d}/{d.month:02d}/{d.year:04d}" if lang == "fr" else d.isoformat()


@pytest.mark.parametrize("lang", ["fr", "en"])
def test_a_one_day_meeting_period_says_its_day_once(tmp_path, lang):
    """365 meetings a year: each is due on one day, printed "01/01/2021 – 01/01/2021"."""
    conv = load_body(tmp_path, 365)
    meetings = conv.meetings(2021)
    assert all(m.start == m.end for m in meetings)
    whens = [a.when for a in agenda(conv, 2021, lang=lang)]
    assert whens == [_day(m.start, lang) for m in meetings]
    cells = re.findall(r"<tr><td>([^<]*)</td>", meetings_html(meetings, lang=lang))
    assert [html.unescape(c) for c in cells] == [_day(m.start, lang) for m in meetings]
    assert str(meetings[0]).endswith(f", on {meetings[0].start}")
    # a period of several days keeps both ends
    quarter = load_body(tmp_path, 4).meetings(2021)[0]
    assert agenda(load_body(tmp_path, 4), 2021, lang=lang)[0].when == (
        f"{_day(quarter.start, lang)} – {_day(quarter.end, lang)}")
    assert "between 2021-01-01 and 2021-03-31" in str(quarter)


@pytest.mark.parametrize("per_year", [3, 5, 6, 7, 24, 52])
def test_a_meetings_period_names_its_rhythm_in_both_languages(tmp_path, per_year):
    """Three meetings a year were "2020 #1", "2020 #2"...: which meeting of how many."""
    meetings = load_body(tmp_path, per_year).meetings(2020)
    assert len(meetings) == per_year
    for number, m in enumerate(meetings, start=1):
        assert m.period == f"2020, meeting {number} of {per_year}"
        assert m.period_in("en") == m.period
        assert m.period_in("fr") == f"2020, réunion {number} sur {per_year}"
        assert "#" not in m.period and "#" not in str(m)


@pytest.mark.parametrize("per_year, fr, en", [
    (1, ["2020"], ["2020"]),
    (2, ["2020 S1", "2020 S2"], ["2020 H1", "2020 H2"]),
    (4, [f"2020 T{q}" for q in range(1, 5)], [f"2020 Q{q}" for q in range(1, 5)]),
    (12, [f"2020 M{m}" for m in range(1, 13)], [f"2020 M{m}" for m in range(1, 13)]),
])
def test_half_years_quarters_and_months_keep_their_letters(tmp_path, per_year, fr, en):
    meetings = load_body(tmp_path, per_year).meetings(2020)
    assert [m.period_in("fr") for m in meetings] == fr
    assert [m.period for m in meetings] == [m.period_in("en") for m in meetings] == en


def test_a_rhythm_past_the_days_of_a_year_of_the_term_is_refused(tmp_path):
    """366 meetings a year in 2021 (365 days) put meetings 1 and 2 both on 1 January."""
    with pytest.raises(essconv.DescriptionError) as info:
        load_body(tmp_path, 366)
    error = info.value
    assert error.key == "bodies[0].meetings_per_year"
    assert "366 times a year, but 2021 has 365 days" in str(error)
    assert "366 fois par an, mais 2021 n'a que 365 jours" in language("fr").refusal(error)


@pytest.mark.parametrize("per_year", [365, 366])
def test_every_day_of_a_leap_year_holds_its_own_meeting(tmp_path, per_year):
    """Where the rhythm fits (366 in leap 2020 alone), the periods tile the year: no day in two
    periods, none left out, none empty -- against counting the days one by one."""
    head = HEAD.replace("end = 2021-12-31", "end = 2020-12-31")
    meetings = load_body(tmp_path, per_year, head).meetings(2020)
    assert len(meetings) == per_year
    days = []
    for m in meetings:
        assert m.start <= m.end
        days += [m.start + dt.timedelta(days=i) for i in range((m.end - m.start).days + 1)]
    year_days = 366 if stdlib_calendar.isleap(2020) else 365
    assert days == [dt.date(2020, 1, 1) + dt.timedelta(days=i) for i in range(year_days)]


@pytest.mark.parametrize("per_year", [2, 4, 12])
def test_a_term_that_starts_mid_year_owes_meetings_by_calendar_year(tmp_path, per_year):
    """A term from 1 July 2009 to 30 June 2013 counts "twice a year" by calendar year (the
    text's years are budget years): each calendar half-year, quarter or month that meets the
    term owes its meeting, numbered by its rank in its calendar year -- against a twin that
    cuts each year into equal runs of months -- and the whole term owes as many meetings as
    a count by the convention's own years (``per_year`` times its four years)."""
    head = HEAD.replace("start = 2020-01-01", "start = 2009-07-01").replace(
        "end = 2021-12-31", "end = 2013-06-30")
    conv = load_body(tmp_path, per_year, head)
    months = 12 // per_year
    expected = []
    for year in range(2009, 2014):
        for number in range(1, per_year + 1):
            first = dt.date(year, (number - 1) * months + 1, 1)
            last_month = number * months
            last = dt.date(year, last_month, stdlib_calendar.monthrange(year, last_month)[1])
            if last >= conv.start and first <= conv.end:
                expected.append((year, number, max(first, conv.start), min(last, conv.end)))
    got = [(y, m.number, m.start, m.end) for y in conv.years for m in conv.meetings(y)]
    assert got == expected
    assert len(got) == per_year * 4
    assert conv.meetings(2009)[0].number == per_year // 2 + 1   # July's meeting, not the first
