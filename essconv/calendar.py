"""The governance calendar as the committee reads it (:func:`agenda`, in French or English) and
as iCalendar (RFC 5545), for a calendar application.

Each meeting a body owes is an all-day event spanning the period it is due in (a half-year, a
quarter); each milestone an all-day event on its day (or its period; a date the text gives
only as a year, "début 2011", spans that year and says the words).

A body's "per year" is the calendar year, whatever day the term starts: see
:meth:`Convention.meetings` for why.
"""
from __future__ import annotations

import datetime as _dt
import re
from typing import Iterable, NamedTuple

from .messages import language

# A view below the models: Meetings._repr_html_ calls meetings_html here.  It reads a
# convention and its meetings through their attributes and never imports essconv.convention
# (the annotations "Convention" and "Meetings" are strings).


class AgendaItem(NamedTuple):
    """One line of the calendar: when (as printed), what, its last day, a milestone or not."""

    when: str
    what: str
    last_day: _dt.date
    milestone: bool


def agenda(conv: "Convention", year: int | None = None, *, lang: str = "fr") -> list[AgendaItem]:
    """The meetings each body owes and the milestones, by date, worded in ``lang``.

    Example: ``[f"{a.when}: {a.what}" for a in agenda(essconv.default(), 2010, lang="en")][:1]``
    """
    _outside_term(conv, year)
    words = language(lang)
    d = words.date
    items = []
    for y in [year] if year is not None else conv.years:
        for item in conv.calendar(y):
            if hasattr(item, "body"):
                items.append(AgendaItem(
                    words.span(item.start, item.end),
                    words.text("meeting_of", body=item.body.short_name_in(words.code), number=item.number,
                               count=item.body.meetings_per_year), item.end, False))
            else:
                label = item.label_in(words.code)
                items.append(AgendaItem(words.when(item), label, item.until or item.date, True))
    return items


# RFC 5545 (3.3.11) forbids CONTROL characters (U+0000-U+0008, U+000A-U+001F, U+007F) in TEXT;
# a line break is escaped as "\\n".  C1 controls (U+0080-U+009F) go too: no reader needs them.
_LINE_BREAK = re.compile(r"\r\n|\r|\n")
_CONTROL = re.compile(r"[\x00-\x08\x0a-\x1f\x7f-\x9f]")


def _text(value: str) -> str:
    """A TEXT value: backslash, ';' and ',' escaped, line breaks as \\n, control characters
    (NUL, BEL, a bare CR...) taken from labels removed."""
    escaped = value.replace("\\", "\\\\").replace(";", "\\;").replace(",", "\\,")
    return _CONTROL.sub("", _LINE_BREAK.sub("\\\\n", escaped))


def _fold(line: str) -> Iterable[str]:
    """Lines longer than 75 octets are folded, as RFC 5545 says."""
    data = line.encode("utf-8")
    while len(data) > 75:
        cut = 75
        while cut > 0 and (data[cut] & 0xC0) == 0x80:   # never split a UTF-8 sequence
            cut -= 1
        yield data[:cut].decode("utf-8")
        data = b" " + data[cut:]
    yield data.decode("utf-8")


def _slug(text: str) -> str:
    import unicodedata
    plain = unicodedata.normalize("NFD", text.lower()).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "-", plain).strip("-")


def _outside_term(conv: "Convention", year: int | None) -> None:
    """A year the term does not cover has no meeting and no milestone: said, not an empty
    calendar (an iCalendar with no component is not one, RFC 5545 3.6).  A bool, a float, a
    str or a year no date holds is refused first, naming the argument."""
    from .errors import checked_year
    if year is not None:
        year = checked_year(year)
    if year is not None and year not in conv.years:
        from .errors import InvalidValueError
        raise InvalidValueError(f"{year} is outside the term {conv.start.year}–{conv.end.year}",
                                reason=("outside-term", year, conv.start.year, conv.end.year))


def _uid(conv: "Convention", day: _dt.date, label: str, seen: dict[str, int]) -> str:
    """A UID unique to the convention (its title and term), the day and the whole label (its
    French words, whatever the language, so an event keeps its UID), and stable from one run
    to the next; an index tells apart two events the rest would confuse.  A slug cut at 40
    characters gave two milestones of one day the same UID, and two conventions' meetings
    the same UIDs."""
    import hashlib
    key = "\x1f".join((conv.title, conv.start.isoformat(), conv.end.isoformat(),
                       day.isoformat(), label))
    index = seen[key] = seen.get(key, 0) + 1
    digest = hashlib.sha256(f"{key}\x1f{index}".encode("utf-8")).hexdigest()[:32]
    return f"{day:%Y%m%d}-{digest}@essconv"


def to_ics(conv: "Convention", year: int | None = None, *, stamp: _dt.datetime | None = None,
           lang: str = "fr") -> str:
    """The governance calendar as iCalendar (RFC 5545), its words in ``lang`` ('fr' or 'en').

    Example: ``to_ics(essconv.default(), 2010, lang="en")``
    """
    _outside_term(conv, year)
    words = language(lang)
    if stamp is None:
        # a fixed stamp keeps the file the same from one run to the next: the convention's own
        # signature (else its first day), not the embedded one's 2009-12-02, which stamped a
        # 2014-2020 convention's calendar five years before it existed
        day = conv.signed_on or conv.start
        stamp = _dt.datetime(day.year, day.month, day.day, 0, 0, 0)
    elif not isinstance(stamp, _dt.date):   # a str escaped as a bare format ValueError
        from .errors import ArgumentTypeError
        raise ArgumentTypeError(f"stamp must be a datetime.datetime (in UTC), not "
                                f"{type(stamp).__name__} {stamp!r}")
    elif isinstance(stamp, _dt.datetime) and stamp.utcoffset() is not None:
        # DTSTAMP is written in UTC ("Z"): a time of another zone is moved to it, not relabelled
        stamp = stamp.astimezone(_dt.timezone.utc)
    lines = ["BEGIN:VCALENDAR", "VERSION:2.0",
             f"PRODID:-//essconv//governance calendar//{words.code.upper()}",
             "CALSCALE:GREGORIAN", f"X-WR-CALNAME:{_text(conv.short_title)}"]
    years = [year] if year is not None else conv.years
    seen: dict[str, int] = {}
    for y in years:
        for item in conv.calendar(y):
            if hasattr(item, "body"):
                start, end = item.start, item.end
                summary = words.say(
                    f"{item.body.short_name} — réunion {item.number}/"
                    f"{item.body.meetings_per_year} (à tenir)",
                    f"{item.body.short_name_in('en')} — meeting {item.number}/"
                    f"{item.body.meetings_per_year} (due)")
                description = words.say(" ; ", "; ").join(item.body.roles_in(words.code))
                uid = _uid(conv, start, f"{item.body.name} #{item.number}", seen)
            else:
                start, end = item.date, item.until or item.date
                label = item.label_in(words.code)
                # a year or month is a span the event covers, not a day: say it as printed
                # in the calendar's language ("early 2011", "2011-03"): an English calendar
                # said "début 2011" and "03/2011"
                summary = (label if item.precision == "day"
                           else f"{words.when(item)}{' : ' if words.code == 'fr' else ': '}{label}")
                description = f"Article {item.article}" if item.article else ""
                uid = _uid(conv, start, item.label, seen)
            lines += ["BEGIN:VEVENT", f"UID:{uid}", f"DTSTAMP:{stamp:%Y%m%dT%H%M%SZ}",
                      f"DTSTART;VALUE=DATE:{start:%Y%m%d}",
                      f"DTEND;VALUE=DATE:{end + _dt.timedelta(days=1):%Y%m%d}",
                      f"SUMMARY:{_text(summary)}"]
            if description:
                lines.append(f"DESCRIPTION:{_text(description)}")
            lines.append("END:VEVENT")
    lines.append("END:VCALENDAR")
    return "".join(part + "\r\n" for line in lines for part in _fold(line))


def meetings_html(meetings: "Meetings", *, lang: str = "fr") -> str:
    """The meetings of a year as a calendar table in ``lang``: when each is due (its period),
    which body, which of its meetings of the year.

    Example: ``meetings_html(essconv.default().meetings(2010), lang="en")``
    """
    from .html_page import STYLE
    from .html_page import escaped as escape   # a body's control characters shown as escapes
    words = language(lang)
    rows = "".join(
        f"<tr><td>{escape(words.span(m.start, m.end))}</td>"
        f"<td>{escape(words.text('meeting_of', body=m.body.short_name_in(words.code), number=m.number, count=m.body.meetings_per_year))}"
        f"</td></tr>" for m in meetings)
    term = getattr(meetings, "term_years", None)   # None: a Meetings pickled before it had it
    if term is not None and not term[0] <= meetings.year <= term[1]:
        # an empty table "(0)" read as a year without meetings planned, not one of no term
        rows += (f'<tr><td colspan="2">{escape(words.text("year_outside_term", year=meetings.year, start=term[0], end=term[1]))}'
                 f"</td></tr>")
    elif not meetings and getattr(meetings, "meetings_from", None) is not None \
            and meetings.year < meetings.meetings_from.year:
        day = words.date(meetings.meetings_from)
        rows += (f'<tr><td colspan="2">{escape(words.text("meetings_not_yet", day=day))}'
                 f"</td></tr>")
    return (f'{STYLE}<div class="essconv"><table><caption>'
            f"{escape(words.text('calendar'))} — {meetings.year} ({len(meetings)})</caption>"
            f"<tr><th>{escape(words.text('when'))}</th><th>{escape(words.text('what'))}</th></tr>"
            f"{rows}</table></div>")
