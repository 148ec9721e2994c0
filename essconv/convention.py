"""Framework conventions: parties, axes, instruments, governance, milestones, plans.

A convention is described in a TOML file, read by :mod:`essconv.description`; its financing
plans sit beside it as TSV/CSV files or inline.  This module is the model and its queries.
The 2009–2013 convention for the social and solidarity economy in Nord–Pas de Calais ships
inside the package::

    >>> import essconv
    >>> conv = essconv.default()
    >>> conv.party_of("DRTEFP").code      # a State service rolls up to the State
    'ETAT'
    >>> [b.meetings_per_year for b in conv.bodies]
    [2, 2, 4]

The parts that compute (party roll-up, the term, the rhythm of meetings) are held by the C
core; the prose is kept here as frozen dataclasses.
"""
from __future__ import annotations

import calendar as _calendar
import copy
import datetime as _dt
import re
from dataclasses import dataclass, field
from types import MappingProxyType
from decimal import Decimal
from typing import Any, Callable, Iterable, Mapping

import essconv._core as _core
from .errors import (ArgumentTypeError, DescriptionError, InvalidValueError, NoPlanError,
                     UnknownLabelError, refuse_lone_surrogate)
from .errors import checked_year   # in errors.py, where the views below this module reach it
from .conditions import without_accents
from .money import exact_sum, from_cents, percent_of, to_cents
from .plan import Plan, refuse_party_twice

KINDS = ("state", "state service", "region", "department", "public financial institution",
         "co-financer", "network", "other")


# ---------------------------------------------------------------------------- provenance
@dataclass(frozen=True)
class Source:
    """Where a fact comes from: the article or section of the text and its words, quoted
    verbatim; or, for what essconv adds that the text does not say (a spelled-out acronym, a
    definition, a code), ``added``: what was added and on what authority.  A fact may have both
    (quoted words, and an addition beside them).  A fact's ``sources`` take no part in
    comparing or hashing it: where a fact comes from is not what it is.

    Example: ``conv.party("CG-62").source.quotes`` -> ``('Le Département du Pas-de-Calais,', ...)``
    """

    article: str = ""
    quotes: tuple[str, ...] = ()
    added: str | None = None
    #: ``added`` in English, for English outputs (the quotes stay as the text gives them)
    added_en: str | None = None

    @property
    def is_addition(self) -> bool:
        """True when no word of the text supports the fact: essconv added it.

        Example: ``conv.other_funder_sources["FSE"].is_addition`` -> ``True``
        """
        return not self.quotes

    def __str__(self) -> str:
        return self.text("fr")

    def text(self, lang: str = "fr") -> str:
        """The source as an output in ``lang`` prints it: the article (its place named in that
        language, a part's title quoted as printed) and the quoted words (as the text gives
        them, in French), and what essconv added, framed in that language -- an English page
        said "[ajout d'essconv : …]" between « », and "Sommaire", "Annexe 1".

        Example: ``conv.party("CG-62").source.text("en")``
        """
        en = _english(lang)
        # quoted as every message of that language quotes ('…' in English, « … » in French):
        # an English page showed a fault 'like this' over its source “like this”
        said = " … ".join(f"'{q}'" if en else f"« {q} »" for q in self.quotes)
        # the place is the description's, in French: an English output names it in English
        from .messages import place_in_english
        article = place_in_english(self.article) if en and self.article else self.article
        parts = [p for p in (article, said) if p]
        if self.added:
            parts.append(f"[added by essconv: {self.added_en or self.added}]" if en
                         else f"[ajout d'essconv : {self.added}]")
        return " ".join(parts)


class Text(str):
    """A piece of text from a description that knows its :class:`Source`: it is a ``str`` in
    every other way (compares, joins and prints as one).

    Example: ``conv.bodies[1].roles[0].source.article`` -> ``'Article 5 – Pilotage'``
    """

    source: "Source | None"
    #: the words in English, when the description gives them (``name_en``: a body the text
    #: refers to), for English outputs; None: the text's own words only
    english: "str | None"

    def __new__(cls, value: str, source: "Source | None" = None,
                english: "str | None" = None) -> "Text":
        text = super().__new__(cls, value)
        text.source = source
        text.english = english
        return text

    def in_lang(self, lang: str = "fr") -> str:
        """The words an output in ``lang`` shows: the English ones when there are some."""
        return self.english if _english(lang) and self.english else str(self)


# ---------------------------------------------------------------------------- the model
@dataclass(frozen=True)
class Party:
    """A party the convention names: a signatory, a service of one, a co-financer, a network."""

    code: str
    name: str
    kind: str
    parent: "Party | None" = None
    signatory: bool = False
    signs_as: str | None = None
    aliases: tuple[str, ...] = ()
    note: str | None = None
    sirets: tuple[str, ...] = ()     # establishment ids its grants are published under
    source: Source | None = field(default=None, repr=False)   # where it comes from

    @property
    def top(self) -> "Party":
        """The party this one rolls up to (a State service -> the State)."""
        p = self
        while p.parent is not None:
            p = p.parent
        return p

    def __str__(self) -> str:
        return f"{self.code} ({self.name})"


@dataclass(frozen=True)
class Means:
    """One means of action of an axis, with what it works through ("par ...")."""

    text: str
    by: tuple[Text, ...] = ()
    source: Source | None = field(default=None, repr=False)   # where it comes from

    def __str__(self) -> str:
        return self.text


@dataclass(frozen=True)
class Issue:
    """One of the main issues (enjeux) of the ambition, article 2."""

    number: int
    title: str
    items: tuple[str, ...]
    source: Source | None = field(default=None, repr=False)   # where it comes from


@dataclass(frozen=True)
class Axis:
    """A strategic axis of article 3, and the plan groups that finance it."""

    number: int
    title: str
    means: tuple[Means, ...]
    short_title: str = ""
    plan_groups: tuple[str, ...] = ()
    source: Source | None = field(default=None, repr=False)   # where it comes from

    def __str__(self) -> str:
        return f"Axe {self.number} — {self.title}"


@dataclass(frozen=True)
class Instrument:
    """A dispositif: MPA, FIDESS, DLA, Cigales, the financial tools...

    ``supported_by`` is what the text says of its funders (``sources["supported_by"]`` quotes
    it); what the plans show is another question, answered by
    :meth:`Convention.funded_in_plans` from the plan lines the instrument is (``plan_lines``).
    """

    code: str
    name: str
    description: str = ""
    axis: int | None = None
    supported_by: tuple[str, ...] = ()
    plan_lines: tuple[str, ...] = ()
    source: Source | None = field(default=None, repr=False)   # where it comes from
    sources: Mapping[str, Source] = field(default_factory=dict, compare=False, repr=False)


@dataclass(frozen=True)
class Body:
    """A governance body, its members, its rhythm and its roles.

    ``members`` is empty when the text names none (it is then unknown, not "nobody");
    ``sources`` holds the words each of ``members``, ``meetings_per_year`` and ``roles``
    comes from.
    """

    name: str
    short_name: str
    members: tuple[Text, ...]
    meetings_per_year: int
    roles: tuple[Text, ...]
    secretariat: Party | None = None
    source: Source | None = field(default=None, repr=False)   # where it comes from
    sources: Mapping[str, Source] = field(default_factory=dict, compare=False, repr=False)
    #: the names in English, for English outputs (the description's ``name_en`` and
    #: ``short_name_en``: essconv's words, the French ones being the text's); without them an
    #: English output shows the French name.  Members and roles carry theirs in each Text
    #: (``members_en``, ``roles_en``): :meth:`members_in`, :meth:`roles_in`
    name_en: str | None = field(default=None, compare=False)
    short_name_en: str | None = field(default=None, compare=False)

    def name_in(self, lang: str = "fr") -> str:
        """The full name an output in ``lang`` shows: the English one when there is one.

        Example: ``essconv.default().bodies[1].name_in("en")`` -> ``"Funders' Conference"``
        """
        return self.name_en if _english(lang) and self.name_en else self.name

    def members_in(self, lang: str = "fr") -> tuple[str, ...]:
        """The members an output in ``lang`` shows: each in English when the description
        gives it (``members_en``), else as the text words it.

        Example: ``essconv.default().bodies[2].members_in("en")[1:]`` -> ``('APES', 'CRESS')``
        """
        return tuple(_in_lang(m, lang) for m in self.members)

    def roles_in(self, lang: str = "fr") -> tuple[str, ...]:
        """The roles an output in ``lang`` shows: each in English when the description gives
        it (``roles_en``), else as the text words it.

        Example: ``essconv.default().bodies[2].roles_in("en")[0]`` -> ``'prepares the action programmes'``
        """
        return tuple(_in_lang(r, lang) for r in self.roles)

    def short_name_in(self, lang: str = "fr") -> str:
        """The short name an output in ``lang`` shows: the English one when there is one
        (else the English full name, else the French short name).

        Example: ``essconv.default().bodies[2].short_name_in("en")`` -> ``'Strategic Committee'``
        """
        if _english(lang):
            return self.short_name_en or self.name_en or self.short_name
        return self.short_name

    def introduced_in(self, lang: str = "fr") -> str:
        """The short name an output in ``lang`` introduces the body by: in English, its English
        name with the text's French one beside it, the name a reader finds in the signed text
        and in the committee's papers; in French (or without English words) the text's alone.

        Example: ``essconv.default().bodies[2].introduced_in("en")`` -> ``'Strategic Committee
        (Comité stratégique)'``
        """
        said = self.short_name_in(lang)
        return said if said == self.short_name else f"{said} ({self.short_name})"


def _in_lang(text: str, lang: str) -> str:
    """A text's words in ``lang``: a :class:`Text`'s English ones when asked and given."""
    _english(lang)   # a language essconv does not speak is refused, even for a plain text
    return text.in_lang(lang) if isinstance(text, Text) else str(text)


def _english(lang: str | None) -> bool:
    """Whether an output in ``lang`` is English: "fr" (or None, the default) and "en" only,
    as every output of essconv.  "EN" or "de" silently gave the French words, where
    ``Meeting.period_in`` and the displays refused them."""
    from .messages import language   # messages is imported once the package is
    return language(lang).code == "en"


@dataclass(frozen=True)
class Milestone:
    """A dated step of the convention, as precise as the text is.

    ``precision`` is "day", "month" or "year": "début 2011" is a part of a year, not a day, so
    ``date`` and ``until`` are then only the bounds the text allows (the first and the last day
    of that month or year) and ``printed`` the words the text uses; show :attr:`when`, never
    ``date``, to a reader.
    """

    date: _dt.date
    label: str
    until: _dt.date | None = None
    article: int | None = None
    precision: str = "day"
    printed: str | None = None
    source: Source | None = field(default=None, repr=False)   # where it comes from
    #: the label in English, for English outputs: essconv's own (the meetings note), or the
    #: description's ``label_en``; without it an English output shows the French label
    label_en: str | None = field(default=None, compare=False)
    #: ``printed`` in English ("early 2011" for "début 2011"), for English outputs
    printed_en: str | None = field(default=None, compare=False)

    def label_in(self, lang: str = "fr") -> str:
        """The label an output in ``lang`` shows: the English one when there is one.

        Example: ``essconv.default().milestones[0].label_in("en")`` -> ``'Start of the convention'``
        """
        return self.label_en if _english(lang) and self.label_en else self.label

    @property
    def last_day(self) -> _dt.date:
        """The last day the milestone surely falls on: the end of a period given to the day;
        for one the text dates by its month or year only, its first possible day (``until`` is
        then only the bound the text allows: "2013" is not past a term ending in June 2013).

        Example: ``essconv.default().milestones[-1].last_day`` -> ``datetime.date(2013, 12, 31)``
        """
        return (self.until or self.date) if self.precision == "day" else self.date

    @property
    def when(self) -> str:
        """The date as the text prints it ("début 2011"), else the day or period (d/m/Y).

        Example: ``[m.when for m in conv.history][0]`` -> ``'Dès 2003'``
        """
        if self.printed:
            return self.printed
        if self.precision == "year":
            return str(self.date.year)
        if self.precision == "month":
            return f"{self.date:%m/%Y}"
        return f"{self.date:%d/%m/%Y}" + (f" – {self.until:%d/%m/%Y}" if self.until else "")

    def __str__(self) -> str:
        # English, as the Python API speaks (a Meeting's str() too): "01/01/2009: Début de la
        # convention" was a French day and label after an English colon; the text's words stay
        # only where the description gives no English ones
        from .messages import language
        return f"{language('en').when(self)}: {self.label_in('en')}"


@dataclass(frozen=True)
class Meeting:
    """A meeting a body owes in a period (a half-year, a quarter...)."""

    body: Body
    number: int
    start: _dt.date
    end: _dt.date

    @property
    def period(self) -> str:
        """The period in English, like ``str()``: ``'2010 Q1'`` (a quarter), ``'2010 H2'`` (a
        half-year), ``'2010 M3'`` (a month) -- the French "T1" / "S2" read as English nowhere.

        Example: ``conv.meetings(2010)[0].period`` -> ``'2010 Q1'``
        """
        return self.period_in("en")

    def period_in(self, lang: str = "fr") -> str:
        """The period in ``lang``: a half-year, quarter or month by its letter ("2010 S1" /
        "2010 H1"), the year for a body meeting once a year, else which meeting of how many
        ("2020, réunion 1 sur 3" / "2020, meeting 1 of 3": "2020 #1" said nothing of the
        rhythm).

        Example: ``conv.meetings(2010)[0].period_in("fr")`` -> ``'2010 T1'``
        """
        from .messages import language
        words = language(lang)
        n, year = self.body.meetings_per_year, self.start.year
        if n == 1:
            return str(year)
        letter = {2: words.say("S", "H"), 4: words.say("T", "Q"), 12: "M"}.get(n)
        if letter:
            return f"{year} {letter}{self.number}"
        return words.say(f"{year}, réunion {self.number} sur {n}",
                         f"{year}, meeting {self.number} of {n}")

    def __str__(self) -> str:
        # English, as the Python API speaks: the body's English name, the text's French one
        # beside it ("Comité stratégique" alone was a French name in an English sentence)
        when = (f"on {self.start}" if self.start == self.end
                else f"between {self.start} and {self.end}")   # one day said once
        return f"{self.period}: {self.body.introduced_in('en')}, {when}"

    def __repr__(self) -> str:
        # the body's whole record (members, roles, sources) made a year's list unreadable
        return (f"Meeting({self.body.short_name!r}, {self.number} of "
                f"{self.body.meetings_per_year}, {self.start.isoformat()}..{self.end.isoformat()})")


class Meetings(list):
    """The meetings of a year: a list (equal to the list of the same meetings) that a notebook
    shows as the committee's calendar table, in French (:func:`essconv.calendar.meetings_html`
    with ``lang="en"`` for English)."""

    def __init__(self, year: int, meetings: Iterable[Meeting] = (),
                 term_years: tuple[int, int] | None = None,
                 meetings_from: _dt.date | None = None) -> None:
        super().__init__(meetings)
        self.year = year
        # the term's first and last years, so that an empty year outside them says why
        self.term_years = term_years
        self.meetings_from = meetings_from   # and a year before the bodies meet, too

    def _repr_html_(self) -> str:
        from .calendar import meetings_html
        return meetings_html(self)


@dataclass(frozen=True)
class Commitment:
    """What a party commits to in article 7."""

    party: Party
    text: tuple[Text, ...]
    annual_only: bool = False
    condition: str | None = None
    source: Source | None = field(default=None, repr=False)   # where it comes from


@dataclass(frozen=True)
class IaeAmount:
    label: str
    amount: Decimal           # euros, exact
    year: int | None = None
    per: str | None = None
    qualifier: str | None = None
    parts: tuple[str, ...] = ()
    source: Source | None = field(default=None, repr=False)   # where it comes from

    def __str__(self) -> str:
        from .money import format_amount, shown_decimals
        q = f"{self.qualifier} " if self.qualifier else ""
        when = f" en {self.year}" if self.year else (f" par {self.per}" if self.per else "")
        shown = format_amount(self.amount, group=" ",
                              decimals=shown_decimals("€", [self.amount]))   # "1,50 €"
        return f"{self.label} : {q}{shown} €{when}"


@dataclass(frozen=True)
class IaeCommitment:
    """A party's part in the annex on insertion through economic activity."""

    party: Party
    text: str
    amounts: tuple[IaeAmount, ...]
    facts: Mapping[str, Any] = field(default_factory=dict)
    commitments: tuple[Text, ...] = ()     # what the party says it will do ("s'engagera à ...")
    source: Source | None = field(default=None, repr=False)   # where it comes from
    sources: Mapping[str, Source] = field(default_factory=dict, compare=False, repr=False)   # of each of the facts


@dataclass(frozen=True)
class KeyFigures:
    """The key figures of article 1 (percentages as exact Decimals)."""

    establishments: int
    establishments_share_percent: Decimal
    establishments_by_family_percent: Mapping[str, Decimal]
    jobs: int
    jobs_year: int
    jobs_share_percent: Decimal
    jobs_by_family_percent: Mapping[str, Decimal]
    establishments_qualifier: str = ""
    establishments_share_of: str = ""
    jobs_share_of: str = ""
    observations: tuple[Text, ...] = ()
    source: Source | None = field(default=None, repr=False)   # where it comes from
    sources: Mapping[str, Source] = field(default_factory=dict, compare=False, repr=False)   # by field name

    @property
    def establishments_as_printed(self) -> str:
        """The count with the qualifier the text gives it: "plus de 25 600"."""
        return qualified(self.establishments, self.establishments_qualifier)

    @property
    def jobs_as_printed(self) -> str:
        """The jobs count as printed: "219 200"."""
        return qualified(self.jobs, "")


def checked_code(value: object, argument: str = "code") -> str:
    """``value`` as a funder code or label, or refused naming ``argument``: a str (a numpy
    str too), holding no lone surrogate.  None, a number or bytes escaped the core as a bare
    "bad argument type for built-in operation".

    Example: ``checked_code("CDC")`` -> ``'CDC'``; ``checked_code(3)`` raises ArgumentTypeError
    """
    if not isinstance(value, str):
        raise ArgumentTypeError(f"{argument} must be a str (a code or a name such as 'CDC'), "
                                f"not {type(value).__name__} {value!r}")
    refuse_lone_surrogate(value, argument)
    return value


def checked_day(value: object, argument: str = "day") -> _dt.date:
    """``value`` as a day, or refused naming ``argument``: a ``datetime.date``; a
    ``datetime.datetime`` is its day (comparing one with a milestone's date raised a bare
    TypeError).  A str such as "2010-06-01" is refused, not guessed, with the date to give.

    Example: ``checked_day(datetime.date(2010, 6, 1))``; ``checked_day("2010-06-01")`` raises
    """
    if isinstance(value, _dt.datetime):
        return value.date()
    if isinstance(value, _dt.date):
        return value
    raise ArgumentTypeError(f"{argument} must be a datetime.date (datetime.date(2010, 6, 1)), "
                            f"not {type(value).__name__} {value!r}")


def qualified(figure: int | Decimal, qualifier: str | None) -> str:
    """A figure as the text prints it, its qualifier kept ("plus de", "près de"): a figure
    shown without it says more than was signed.

    Example: ``qualified(25600, "plus de")`` -> ``'plus de 25 600'``
    """
    from .money import format_amount
    shown = format_amount(Decimal(figure), group=" ")
    return f"{qualifier} {shown}" if qualifier else shown


# ---------------------------------------------------------------------------- the convention
class Convention:
    """A multi-party framework convention and its yearly financing plans.

    Example: ``conv = essconv.default(); conv.plan(2009).total()``
    """

    def __init__(self, fields: Mapping[str, Any]) -> None:
        """A convention made of the fields its description gives (:func:`essconv.load` and
        :func:`essconv.default` read them with :mod:`essconv.description`).

        Example: ``essconv.Convention(essconv.description.read(tomllib.load(fh), path="x.toml"))``
        """
        # the description's fields are the convention's attributes (title, start, parties...)
        self.__dict__.update({k: v for k, v in fields.items() if k not in ("plans", "sources")})
        #: the source of each fact of [convention] (title, signed_on, ...), by key
        self.sources: dict[str, Source] = dict(fields["sources"])
        self._plans: dict[int, Plan] = dict(fields["plans"])
        self._build_core()
        self._axis_by_group: dict[str, Axis] = {g: axis for axis in self.axes
                                                for g in axis.plan_groups}

    def _build_core(self) -> None:
        """The core's convention: the term, the party tree (aliases included), the bodies'
        rhythm.  What it refuses (a code given twice, 400 meetings a year) is a description
        error naming the key."""
        path = self.path
        self._core = _core.Convention(_ymd(self.start), _ymd(self.end))
        for k, party in enumerate(self.parties):
            try:
                self._core.add_party(party.code, party.parent.code if party.parent else None,
                                     party.signatory)
            except ValueError as exc:
                # the core refuses a code given twice (its one refusal of a party whose parent
                # is listed before it): worded in French from the code.  The entry that has it
                # is named, and its spelling when it differs ("cr" is "CR" by the core's rule
                # of codes: "given twice" alone sent the analyst looking for a second "cr")
                if "given twice" not in str(exc):
                    raise DescriptionError(str(exc), path=path, key=f"parties[{k}].code") from None
                first = self._core.find_party(party.code)   # aliases come after every party
                earlier = self.parties[first].code
                said = (f" (parties[{first}] has it)" if earlier == party.code else
                        f" (parties[{first}] has {earlier!r}: codes compare ignoring case, "
                        f"spaces, dashes, dots and underscores)")
                raise DescriptionError(str(exc) + said, path=path, key=f"parties[{k}].code",
                                       reason=("desc-code-twice", party.code, earlier,
                                               first)) from None
        self._add_aliases_to_core(path)
        self._add_names_to_core()
        from .conditions import without_accents as _without_accents
        self._core_name_keys = frozenset(
            _name_key(_without_accents(n)) for p in self.parties
            for n in (p.name, p.signs_as, (p.name or "").split(" (")[0]) if n)
        for k, body in enumerate(self.bodies):
            key = f"bodies[{k}].meetings_per_year"
            try:
                self._core.add_body(body.name, body.meetings_per_year)
            except OverflowError:   # past a C int: the same refusal as any count out of range
                raise DescriptionError(f"{body.name!r} meets {body.meetings_per_year} times a "
                                       f"year: expected 0 to 366", path=path, key=key,
                                       reason=("desc-meetings", body.name,
                                               body.meetings_per_year)) from None
            except ValueError as exc:   # the core's count out of range, worded from its values
                raise DescriptionError(str(exc), path=path, key=key,
                                       reason=("desc-meetings", body.name, body.meetings_per_year)
                                       if "times a year" in str(exc) else ()) from None
        for k, body in enumerate(self.bodies):
            # a meeting a day at most: 366 a year in a year of 365 days put meetings 1 and 2
            # both on 1 January (the first period was empty)
            short = [y for y in self.years if body.meetings_per_year > _days_in(y)]
            if short:
                days = _days_in(short[0])
                raise DescriptionError(
                    f"{body.name!r} meets {body.meetings_per_year} times a year, but "
                    f"{short[0]} has {days} days: one meeting a day at most",
                    path=path, key=f"bodies[{k}].meetings_per_year",
                    reason=("desc-meetings-days", body.name, body.meetings_per_year, short[0],
                            days))
        try:
            self._core.set_bodies_from(_ymd(self.meetings_from))
        except ValueError as exc:
            raise DescriptionError(str(exc), path=path, key="convention.meetings_from",
                                   reason=("desc-meetings-from", self.meetings_from, self.start,
                                           self.end)) from None

    # ------------------------------------------------------------------ term
    @property
    def years(self) -> list[int]:
        """The calendar years of the term, in order.

        Example: ``essconv.default().years`` -> ``[2009, 2010, 2011, 2012, 2013]``
        """
        return list(range(self.start.year, self.end.year + 1))

    def term_length(self) -> tuple[int, str]:
        """The term's length as the text would state it: ``(n, "year")`` when it spans whole
        years from its first day (both ends included, as ``duration_years`` is checked),
        ``(n, "month")`` for whole months, ``(n, "day")`` otherwise.  Not ``len(years)``: a
        term from 15 March 2020 to 14 March 2023 touches four calendar years and lasts three.

        Example: ``essconv.default().term_length()`` -> ``(5, 'year')``
        """
        after = self.end + _dt.timedelta(days=1)
        months = (after.year - self.start.year) * 12 + after.month - self.start.month
        # from a day the month lacks, the same day lands on the 1st of the month after: one
        # month fewer than the months' numbers say (29/02/2020 + 12 months = 01/03/2021)
        for n in (months, months - 1):
            if n > 0 and _months_after(self.start, n) == after:
                return (n // 12, "year") if n % 12 == 0 else (n, "month")
        return (after - self.start).days, "day"

    def is_active(self, date: _dt.date) -> bool:
        """Is the convention in force on that day (both ends of the term included)?

        Example: ``conv.is_active(datetime.date(2011, 6, 1))`` -> ``True``
        """
        return self._core.is_active(_ymd(checked_day(date, "date")))

    # ------------------------------------------------------------------ parties
    @property
    def signatories(self) -> list[Party]:
        """The parties that signed, in the order the convention lists them.

        Example: ``[p.code for p in conv.signatories]`` -> ``['ETAT', 'CR-NPDC', 'CG-59', 'CG-62', 'CDC']``
        """
        return [p for p in self.parties if p.signatory]

    def party(self, code: str) -> Party:
        """The party with exactly this code (or alias); KeyError otherwise.

        Example: ``conv.party("CDC").name`` -> ``'Caisse des Dépôts'``
        """
        found = self._find(code)
        if found is None:
            raise UnknownLabelError(f"no party {code!r} in this convention; its parties: "
                                    f"{', '.join(p.code for p in self.parties)}")
        return found

    def _add_aliases_to_core(self, path: str | None) -> None:
        """Each alias becomes a child of its party in the core's tree, after every party: the
        core's one rule (codes compare ignoring case, spaces, dashes, dots and underscores; a
        code rolls up to its top party) then answers for codes and aliases alike, in
        ``party_of``, a plan's unknown-funder check, ``by_party`` and the pivot.  An alias
        names one party and never another party's code: otherwise ``party_of("CDC")`` would
        silently answer with whichever party listed "CDC" as its alias."""
        self._alias_owner: list[int] = []   # core index - len(parties) -> index in parties
        for k, party in enumerate(self.parties):
            for a in party.aliases:
                taken = self._core.find_party(a)
                if taken < 0:
                    self._core.add_party(a, party.code, False)
                    self._alias_owner.append(k)
                elif self._owner(taken) is not party:
                    what = "the code" if taken < len(self.parties) else "an alias"
                    raise DescriptionError(f"the alias {a!r} of {party.code!r} is {what} of "
                                           f"{self._owner(taken).code!r}", path=path,
                                           key=f"parties[{k}].aliases",
                                           reason=("desc-alias-taken", a, party.code,
                                                   taken < len(self.parties),
                                                   self._owner(taken).code))

    def _add_names_to_core(self) -> None:
        """A party's own name and the name it signs as ("Caisse des Dépôts", "Conseil Général
        du Nord") are what grant files write in their funder column: each becomes an alias of
        its party in the core (as printed, and without its accents, so that "Caisse des Depots"
        is found too -- ``party_of`` retries a label without its accents), and so does each
        alias without its accents ("Departement du Pas-de-Calais", as an export that strips
        accents writes it).  A name that two
        parties share, or that is already another party's code or alias, is left out: it would
        answer with one of them at random."""
        from .conditions import without_accents as _without_accents
        wanted: dict[str, set[int]] = {}
        forms: list[tuple[str, int]] = []
        for k, party in enumerate(self.parties):
            for name in (party.name, party.signs_as):
                if not name:
                    continue
                bare = name.split(" (")[0].strip()   # "Conseil Général du Nord (Département du Nord)"
                for form in dict.fromkeys((name, bare, _without_accents(name), _without_accents(bare))):
                    if form:
                        wanted.setdefault(_name_key(form), set()).add(k)
                        forms.append((form, k))
            # an alias without its accents, as exports that strip them write it ("Departement
            # du Pas-de-Calais", "CAISSE DES DEPOTS ET CONSIGNATIONS"); the alias as printed is
            # already the core's (_add_aliases_to_core)
            for alias in party.aliases:
                form = _without_accents(alias)
                if form and form != alias:
                    wanted.setdefault(_name_key(form), set()).add(k)
                    forms.append((form, k))
        for form, k in forms:
            if len(wanted[_name_key(form)]) > 1:
                continue
            taken = self._core.find_party(form)
            if taken < 0:
                self._core.add_party(form, self.parties[k].code, False)
                self._alias_owner.append(k)

    def _owner(self, core_index: int) -> Party:
        """The party a core index stands for: a party, or the party an alias belongs to."""
        n = len(self.parties)
        return self.parties[core_index if core_index < n else self._alias_owner[core_index - n]]

    def _find(self, code: str) -> Party | None:
        if "\x00" in checked_code(code):
            return None   # the core reads a code up to a NUL: "CDC\x00x" is no "CDC"
        i = self._core.find_party(code)
        return self._owner(i) if i >= 0 else None

    def party_of(self, code: str) -> Party | None:
        """The party a funder code stands for, rolled up to its top (DRTEFP -> the State; a
        co-financer -> itself), or None for a code the convention does not know.  Codes compare
        ignoring case, spaces and dashes; aliases count ("Région" -> CR-NPDC), and so does a
        name after a French article ("La Région Nord-Pas de Calais", "L’État").  A name two
        parties share ("Conseil général": the Nord's and the Pas-de-Calais') is None, never one
        of them: :meth:`parties_it_may_name` says which.  A label joining names (brackets, a
        slash, a dash, a comma, "et": "Etat (DRTEFP)", "ETAT - DIRECCTE") is the party every
        one of its names rolls up to, and None when one names another party or none.

        Example: ``conv.party_of("DRASS").code`` -> ``'ETAT'``
        """
        if "\x00" in checked_code(code):
            return None   # the core reads a code up to a NUL: "CDC\x00x" is no "CDC"
        whole = self._whole_party_of(code)
        if whole is not None:
            return whole
        # a label joining several names ("Etat (DRTEFP)", "ETAT - DIRECCTE"): the party when
        # every part names a party and all roll up to the same one, else none
        parts = _label_parts(code)
        tops = [self.party_of(part) for part in parts]   # a part may join names in turn
        if parts and None not in tops and len({p.code for p in tops}) == 1:
            return tops[0]
        return None

    def _whole_party_of(self, code: str) -> Party | None:
        """The party the whole label rolls up to, as written or after its article."""
        for form in _with_and_without_article(code):
            i = self._top_index_of(form)
            if i >= 0:
                return self.parties[i]   # the top of a tree is a party, never an alias
        return None

    def _top_index_of(self, code: str) -> int:
        """The core index of the top party ``code`` rolls up to, -1 for none."""
        i = self._core.party_of(code)
        if i < 0 and not code.isascii():
            # a label with accents of its own is tried without them against the parties' names
            # only ("Caisse des Dépots"): against an alias's unaccented form too, "RÉGIÖN" would
            # be the alias "Région", and it is another word
            from .conditions import without_accents as _without_accents
            bare = _without_accents(code)
            found = self._core.find_party(bare)
            if found >= len(self.parties) and _name_key(bare) in self._name_keys():
                i = self._core.party_of(bare)
        return i

    def _name_keys(self) -> frozenset[str]:
        """The parties' names and signing names as compared, without accents: made once (a
        label joining many names asks for each), with the core's tree."""
        return self._core_name_keys

    def party_named(self, label: str) -> Party | None:
        """The party a funder label names -- its code, an alias, its name or the name it signs
        as (case, accents and spacing aside, after a French article or not: "le Département du
        Nord") -- *not* rolled up: "DRTEFP" is the DRTEFP, the State's service, where
        ``party_of`` answers the State.

        Example: ``conv.party_named("Caisse des Dépôts").code`` -> ``'CDC'``
        """
        checked_code(label, "label")
        whole = self._whole_party_named(label)
        if whole is not None:
            return whole
        # a label joining several names: the one party they all name, the most precise of
        # them when they are a party and its service ("Etat (DRTEFP)" is the DRTEFP, as a
        # plan's column names it); two services of the State side by side are neither
        parts = _label_parts(label)
        named = [self.party_named(part) for part in parts]   # a part may join names in turn
        if not parts or None in named:
            return None
        deepest = max(named, key=lambda p: len(_lineage(p)))
        return deepest if all(p in _lineage(deepest) for p in named) else None

    def _whole_party_named(self, label: str) -> Party | None:
        """The party the whole label names, as written or after its article."""
        for form in _with_and_without_article(label):
            found = self._find(form)
            if found is None and not form.isascii():
                from .conditions import without_accents as _without_accents
                bare = _without_accents(form)
                if _name_key(bare) in self._name_keys():
                    found = self._find(bare)
            if found is not None:
                return found
        return None

    def parties_it_may_name(self, label: str) -> list[Party]:
        """The parties a label that names none of them could stand for, when it could stand for
        several: each party whose code, alias, name or signing name begins with the label's
        words (after its article; case and accents aside).  ``party_of("Conseil général")`` is
        None, for it names two parties; this says which: ``[CG-59, CG-62]``.  [] when the label
        names a party, or could stand for one party or none -- a reason, never a guess.  A
        label joining names ("Région et Département") may name every party one of them names
        or may name: ``[CR-NPDC, CG-59, CG-62]``.

        Example: ``[p.code for p in conv.parties_it_may_name("Le Département")]`` -> ``['CG-59', 'CG-62']``
        """
        if self.party_named(label) is not None:
            return []
        from .conditions import without_accents as _without_accents
        names = [(p, [_words(_without_accents(n)) for n in (p.code, *p.aliases, p.name, p.signs_as)
                      if n]) for p in self.parties]   # once: a label may join many names
        codes = self._codes_it_may_name(label, names)
        found = [p for p in self.parties if p.code in codes]
        return found if len(found) > 1 else []

    def _codes_it_may_name(self, label: str, names: list[tuple[Party, list[list[str]]]],
                           joined: bool = False) -> set[str]:
        """The codes of the parties a label names or may name: the one it names, else those
        each of the names it joins ("Région et Département", "Etat / Région") names or may
        name, else those whose names its words fit."""
        named = self.party_named(label)
        if named is not None:
            return {named.code}
        parts = _label_parts(label)
        codes = {code for part in parts for code in self._codes_it_may_name(part, names, True)}
        # a part whose own cuts name nothing is read whole ("du Pas-de-Calais")
        return codes or {p.code for p in _parties_words_fit(label, names, joined)}

    def party_groups(self, funders: Iterable[str]) -> tuple[list[str], list[int]]:
        """The parties these funder codes roll up to, in order of first appearance, and for
        each funder the index of its party in that list (-1: not a party): how a plan's
        columns group in ``by_party`` and the pivot.

        Example: ``conv.party_groups(["DRTEFP", "Région", "FSE", "DRASS"])`` -> ``(['ETAT', 'CR-NPDC'], [0, 1, -1, 0])``
        """
        if isinstance(funders, (str, bytes)):
            # one code is no list of codes: "CDC" was read as the funders "C", "D", "C"
            raise ArgumentTypeError(f"funders must be a list of codes, not one "
                                    f"{type(funders).__name__} {funders!r}: write [{funders!r}]")
        try:
            funders = iter(funders)
        except TypeError:
            # a number or None escaped as a bare "'int' object is not iterable"
            raise ArgumentTypeError(f"funders must be a list of codes (['CDC', 'DRTEFP']), not "
                                    f"{type(funders).__name__} {funders!r}") from None
        codes: list[str] = []
        index: dict[str, int] = {}
        groups: list[int] = []
        for k, f in enumerate(funders):
            # the one code at fault named by its place: "code must be a str" said not which
            party = self.party_of(checked_code(f, f"funders[{k}]"))
            if party is None:
                groups.append(-1)
                continue
            groups.append(index.setdefault(party.code, len(codes)))
            if len(codes) < len(index):
                codes.append(party.code)
        return codes, groups

    def nearest_party(self, code: str) -> Party | None:
        """A party whose code is one edit away from ``code`` (a likely typo), or None."""
        if self.party_of(code) is not None or "\x00" in code:
            return None
        i = self._core.nearest_code(code, 1)
        return self._owner(i) if i >= 0 else None

    def other_funder(self, code: str) -> tuple[str, str] | None:
        """A known funder that is not a party (FSE...) equal to or one edit from ``code``."""
        if "\x00" in checked_code(code):
            return None   # the core's edit distance refused it as a bare ValueError
        for other, name in self.other_funders:
            if _core.Convention.edit_distance(code, other, 1) <= 1:
                return other, name
        return None

    # ------------------------------------------------------------------ axes
    def axis(self, number: int) -> Axis:
        """The axis with that number: ``conv.axis(3).title``."""
        if isinstance(number, bool) or not hasattr(type(number), "__index__"):
            # True was the axis 1, and 3.0 the axis 3 (a numpy integer is a number)
            raise ArgumentTypeError(f"number must be an axis number as an int (3), not "
                                    f"{type(number).__name__} {number!r}")
        for a in self.axes:
            if a.number == number:
                return a
        # the numbers in words, not a Python list ("the axes are [1, 2, 3]")
        numbers = [str(a.number) for a in self.axes]
        said = (", ".join(numbers[:-1]) + " and " + numbers[-1] if len(numbers) > 1
                else "".join(numbers) or "none")
        raise UnknownLabelError(f"no axis {number!r}: the axes are {said}")

    def axis_for(self, group: str | None) -> Axis | None:
        """The axis a plan's group label finances (by the description's ``plan_groups``); None
        for no group (None, "") or a group no axis claims.  A group that is no str is refused
        naming ``group``: a list escaped as a bare "unhashable type", and ``axis_key(3)``
        answered 3, a key of no sum by axis."""
        if group is None or group == "":
            return None
        group = checked_code(group, "group")
        axis = self._axis_by_group.get(group)
        if axis is None:
            # a group printed as an axis's own key ("Axe 1", "axe 1") is that axis: its lines
            # are summed under that key beside the groups the description gives the axis, so
            # every view numbers it as their axis too (the report said "no axis" of it)
            folded = _label_key(group)
            axis = next((a for a in self.axes if _label_key(f"Axe {a.number}") == folded), None)
        return axis

    # ------------------------------------------------------------------ governance
    def meetings(self, year: int) -> "Meetings":
        """The governance meetings due in ``year``, in date order: each body's rhythm laid on
        the year (two a year: one each half-year; four: one each quarter), clipped to the term
        and to :attr:`meetings_from` (the bodies exist from the signature: a period that ends
        before it owes nothing).

        The year is the calendar year, and a meeting's number its rank in that year (the
        half-year from July is meeting 2 of 2), even for a term that starts mid-year: the text
        counts in budget years ("Pour l'année 2009", Annex 1's "PLAN DE FINANCEMENT
        PREVISIONNEL 2009", commitments that "ne portent que sur l'année en cours"), and the
        Conférence des financeurs, which meets "deux fois par an", sets each of those years'
        provisional plan.  Over a term of whole years the count is the same either way (1 July
        2009 – 30 June 2013: 8 half-yearly meetings, 16 quarterly).

        Example: ``len(essconv.default().meetings(2009))`` -> ``3`` (December 2009 only)
        """
        year = checked_year(year)
        return Meetings(year, [Meeting(body=self.bodies[b], number=n, start=s, end=e)
                               for b, n, s, e in self._core.meetings(year)],
                        term_years=(self.start.year, self.end.year),
                        meetings_from=self.meetings_from)

    def calendar(self, year: int | None = None) -> list[Milestone | Meeting]:
        """Meetings and milestones (of one year, or the whole term), by date.  When the
        bodies start meeting after the term starts (a backdated term), the calendar says so
        on that day.

        Example: ``[str(x) for x in conv.calendar(2011)][:2]``
        """
        years = [checked_year(year)] if year is not None else self.years
        items: list[Any] = []
        for y in years:
            items += self.meetings(y)
            # a milestone wholly before the term is none of the convention's days: check() says
            # so (milestone-before-term, "the calendar does not show it"), and a term from July
            # listed a milestone of March in its first year's calendar and .ics all the same
            items += [m for m in self.milestones
                      if self._calendar_year(m) == y and (m.until or m.date) >= self.start]
            if self.meetings_from > self.start and self.meetings_from.year == y:
                items.append(self._meetings_from_note())
        # each by the day it is due: a meeting by its period's end, a milestone period given to
        # the day by its end too (by its start it came before a meeting due earlier)
        return sorted(items, key=lambda x: (x.end if isinstance(x, Meeting) else x.last_day))

    def _calendar_year(self, m: Milestone) -> int:
        """The year a milestone is listed under: its first day's, or the term's first year for
        a period that starts before the term and runs into it (October 2019 to March 2020 for
        a term from January 2020), which no year of the term listed and check() left unsaid."""
        if m.date < self.start <= (m.until or m.date):
            return self.start.year
        return m.date.year

    def _meetings_from_note(self) -> Milestone:
        signed = self.signed_on == self.meetings_from
        why = ("les instances sont créées par la convention signée ce jour"
               if signed else "date donnée par la description")
        why_en = ("the bodies are set up by the convention signed that day"
                  if signed else "date given by the description")
        # essconv's own sentence: an English calendar or dashboard printed it in French
        return Milestone(
            date=self.meetings_from,
            label=(f"Réunions dues à compter de ce jour : {why} ; aucune n'est due avant, "
                   f"bien que la convention coure depuis le {self.start:%d/%m/%Y}"),
            label_en=(f"Meetings due from this day: {why_en}; none is due before, although "
                      f"the convention runs from {self.start.isoformat()}"),
            source=Source(added="essconv : les instances n'existent qu'à la signature"
                          if signed else "essconv : meetings_from de la description"))

    def next_milestones(self, after: _dt.date | None = None) -> list[Milestone]:
        """The milestones on or after a day (today by default).

        Example: ``conv.next_milestones(datetime.date(2010, 6, 1))[0].date`` -> ``datetime.date(2011, 1, 1)``
        """
        after = _dt.date.today() if after is None else checked_day(after, "after")
        return [m for m in self.milestones if (m.until or m.date) >= after]

    def funded_in_plans(self, code: str) -> dict[int, dict[str, Decimal]]:
        """What the plans show of an instrument's funders, year by year (funder -> amount in
        the plan's unit), from the plan lines the instrument is; beside ``supported_by``, which
        is what the text says.  Empty cells are no funding and are left out.

        Example: ``conv.funded_in_plans("PLDE-ESS")`` -> ``{2009: {'CR-NPDC': Decimal('609'), 'Territoires': Decimal('20')}}``
        """
        instrument = next((i for i in self.instruments if i.code == code), None)
        if instrument is None:
            raise UnknownLabelError(f"no instrument {code!r} in this convention")
        out: dict[int, dict[str, Decimal]] = {}
        for year, plan in self.plans.items():
            # each funder's cells, added once all are in: two at a time, each partial checked,
            # a running sum past int64 cents that comes back refused what the plan's sums give
            shown: dict[str, list[int]] = {}
            for i in _lines_named(plan, instrument.plan_lines):
                for j, funder in enumerate(plan.funders):
                    value = plan.amount_at(i, j)
                    if value:
                        shown.setdefault(funder, []).append(to_cents(value, plan.unit))
            if shown:
                out[year] = {f: from_cents(_core.checked_sum(c), plan.unit)
                             for f, c in shown.items()}
        return out

    def probable_readings(self, year: int) -> dict[str, Party]:
        """Columns of a plan that no party bears but that probably stand for a signatory with
        no column of its own (one edit away: "CG-67" for "CG-62").  A reading, shown beside the
        printed column: the money stays where the table put it.

        Example: ``conv.probable_readings(2009)["CG-67"].code`` -> ``'CG-62'``
        """
        plan = self.plan(year)
        present = {self.party_of(f).code for f in plan.funders if self.party_of(f) is not None}
        readings = {}
        for f in plan.funders:
            near = self.nearest_party(f)
            if near is not None and near.top.signatory and near.top.code not in present:
                readings[f] = near.top
        return readings

    def check(self, lang: str = "en") -> Any:
        """What the document itself gets wrong, as a :class:`essconv.findings.Report` of the same
        findings a plan's validation gives (each with the text's words in ``.source``):

        - ``term-duration``: a stated ``duration_years`` that the term does not span;
        - ``signed-after-term``, ``milestone-after-term``: a signature or a milestone
          dated after the term's last day (a period given to the day: its last day);
        - ``milestone-before-term``: a milestone wholly before the term's first day;
        - ``shares-sum``: shares that should add to 100 % (the key figures' families,
          ``[[shares]]``) and do not;
        - ``toc-mismatch``: the table of contents and the articles of the body disagree;
        - ``duplicate-annex-title``: two annexes with the same title;
        - ``undefined-body``: a body the text relies on (``[[referred_bodies]]``) but never
          defines among its bodies;
        - ``signatory-without-column``: a signatory with no column in a plan, with the column
          that probably stands for it (``target``).
        - ``axis-group-spelling``: a plan's group of lines that an axis claims under
          another spelling (accents, case, spacing): its lines count in no axis.

        Nothing on a description that declares no such fault.  Messages in English, as a plan's
        findings; ``lang="fr"`` words them for the committee (the report and the dashboard).

        Example: ``[f.code for f in essconv.default().check()]``
        """
        from .checks import check_convention
        return check_convention(self, lang)

    def commitments_of(self, code: str) -> list[Commitment]:
        """What a party commits to (article 7): ``conv.commitments_of("CDC")[0].text``."""
        party = self.party(code)
        return [c for c in self.commitments if c.party == party]

    # ------------------------------------------------------------------ plans
    @property
    def plans(self) -> dict[int, Plan]:
        """Every plan the convention has, by year.

        Example: ``list(essconv.default().plans)`` -> ``[2009]``
        """
        return dict(sorted(self._plans.items()))

    def plan(self, year: int) -> Plan:
        """The financing plan of ``year``; :class:`essconv.NoPlanError` when there is none."""
        year = checked_year(year)
        if year not in self._plans:
            have = ", ".join(str(y) for y in sorted(self._plans)) or "none"
            if year not in self.years:
                raise NoPlanError(f"{year} is outside the term {self.start.year}–{self.end.year}",
                                  reason=("outside-term", year, self.start.year, self.end.year))
            # the years that have one in the reason, for a French listing to word it
            raise NoPlanError(f"the convention has no financing plan for {year} (plans: {have}); "
                              f"add one with conv.add_plan(plan)",
                              reason=("no-plan", year, tuple(sorted(self._plans))))
        return self._plans[year]

    def __getstate__(self) -> dict[str, Any]:
        """Pickles the description as read; the core's party tree and bodies are rebuilt from
        it on loading (they are what ``parties`` and ``bodies`` say)."""
        return {k: v for k, v in self.__dict__.items() if k not in ("_core", "_core_name_keys")}

    def __setstate__(self, state: dict[str, Any]) -> None:
        self.__dict__.update(state)
        self._build_core()

    def add_plan(self, plan: Plan, year: int | None = None, *, replace: bool = False,
                 override_year: bool = False) -> None:
        """Attach a plan read elsewhere (``read_plan``) to a year of the term (``year``, else
        the plan's own).  A year that already has a plan keeps it: a second file for the same
        year is refused naming the plan already there, unless ``replace=True`` says the new one
        takes its place (attaching the very plan a year already has changes nothing).

        A ``year`` other than the plan's own (its title's, its file name's, ``read_plan``'s
        ``year=``) is refused naming both, unless ``override_year=True`` says it is meant: the
        convention then holds a copy under ``year``, and the plan given keeps its own year (one
        plan object in two conventions or under two years said the last year everywhere).
        A plan printing a group "—" beside lines under no group is refused: "—" (``NO_AXIS``)
        is the key of the lines under no axis in every sum by axis, and the two would be one.

        Example: ``conv.add_plan(essconv.read_plan("annexe1-2009-revue.csv"), 2009, replace=True)``
        """
        if not isinstance(plan, Plan):   # a path escaped as a bare AttributeError
            raise ArgumentTypeError(f"plan must be an essconv.Plan (read one with "
                                    f"essconv.read_plan(path)), not {type(plan).__name__} "
                                    f"{plan!r}")
        # 0 is a year refused, not "the plan's own year" (``year or plan.year`` took it so)
        if year is None:
            year = plan.year
        if year is not None:
            year = checked_year(year)
        if year is None or year not in self.years:
            raise InvalidValueError(f"a plan needs a year of the term {self.years}, not {year!r}",
                                    reason=("plan-year", year, tuple(self.years)))
        for name, flag in (("replace", replace), ("override_year", override_year)):
            if not isinstance(flag, bool):   # replace="no" is truthy: it replaced
                raise ArgumentTypeError(f"{name} must be True or False, not "
                                        f"{type(flag).__name__} {flag!r}")
        # one plan under two years said the year of the last (plan.year): the report titled
        # the 2009 plan "Plan 2010" beside the 2010 one
        elsewhere = [y for y, p in self._plans.items() if p is plan and y != year]
        if elsewhere and not override_year:
            raise InvalidValueError(
                f"this plan is already the convention's {elsewhere[0]} plan: pass "
                f"override_year=True to attach a copy of it to {year}, so each year's plan says "
                f"its own year", reason=("plan-elsewhere", elsewhere[0], year))
        if plan.year is not None and plan.year != year and not override_year:
            # the plan's own year (its title "Plan de financement 2009") gave way to the one
            # passed without a word: the 2011 column showed the 2009 money
            raise InvalidValueError(
                f"this plan says it is the {plan.year} plan, not {year}'s: attach it to "
                f"{plan.year}, or pass override_year=True to make it {year}'s",
                reason=("plan-own-year", plan.year, year))
        there = self._plans.get(year)
        if there is not None and there is not plan and not replace:
            # the first of two files for one year was lost without a word: it stays, and the
            # refusal names it, so the caller chooses which one the convention holds
            named = there.path or there.title or None
            raise InvalidValueError(
                f"the convention already has a plan for {year}"
                f"{f' ({named})' if named else ''}: pass replace=True to put this one in its "
                f"place", reason=("plan-there", year, named))
        # two columns of one party under two of its names ("Région" beside "Région Nord-Pas
        # de Calais") would count it twice: the convention knows which names are one party's
        refuse_party_twice(plan, self.parties)
        _refuse_dash_group(plan, year)
        if plan.year is not None and plan.year != year:
            # a copy under the year overridden: the plan given may be another convention's (or
            # this one's other year), whose plan must keep saying its own year
            plan = copy.deepcopy(plan)
        plan.year = year
        self._plans[year] = plan

    def validate(self) -> dict[int, Any]:
        """Each plan's report, checked against this convention.

        Example: ``conv.validate()[2009].ok`` -> ``False``
        """
        return {y: p.validate(self) for y, p in self.plans.items()}

    def by_axis(self, year: int) -> dict[str, Decimal]:
        """A plan's sums by strategic axis, in the plan's unit, keyed as every sum by axis is
        (``cumulative()``, ``compare()``, executions): see :meth:`axis_key`; the lines printed
        under no axis under "—" (``NO_AXIS``), so the sums add up to the plan's total.

        Example: ``conv.by_axis(2009)`` -> ``{'Axe 1': Decimal('451'), 'Axe 2': Decimal('1890'), 'Axe 3': Decimal('5764')}``
        """
        plan = self.plan(year)
        return {k: from_cents(c, plan.unit) for k, c in _sums_cents(self, plan, "axis").items()}

    def axis_key(self, group: str) -> str:
        """The key a plan's group of lines is summed under by axis: "Axe N" for the axis that
        finances it, the group's own label when no axis claims it.

        Example: ``conv.axis_key("Soutenir la création d'activité")`` -> ``'Axe 3'``
        """
        axis = self.axis_for(group)
        return f"Axe {axis.number}" if axis else group

    def cumulative(self) -> dict[str, dict[str, Decimal]]:
        """Sums over the plans of the term, in k€: by funder, by party and by axis.

        Example: ``conv.cumulative()["party"]["ETAT"]`` -> ``Decimal('739')``
        """
        return _cumulate(self, self.plans.values())

    def compare(self, year1: int, year2: int) -> dict[str, dict[Any, dict[str, Decimal | None]]]:
        """Change from ``year1`` to ``year2`` by funder, party, line and axis: each entry has
        the two amounts (k€; None where that year's plan does not print it: absent, unlike a
        printed 0), the absolute change (an absent amount counting as nothing, so the changes
        add up to the total's) and the % change, of the first amount's size (None from zero or
        from absent; -10 to -5 is +50 %).

        Rows are in the first plan's printed order, then the second's new ones in theirs; a
        label retyped with other accents, case or spacing ("tetes de reseaux ") is the other
        year's row, under the first year's spelling, unless one plan prints two such labels;
        a funder printed by another name of the same party ("Région" for "CR-NPDC",
        "DIRECCTE" for "DRTEFP") is its row too.
        A line whose label a plan prints under two axes is keyed ``(axis, line)``, the plan's
        own labels, as :meth:`essconv.Plan.by_line` and an execution key it.  Comparing a year
        with itself is refused (:class:`essconv.errors.InvalidValueError`): a slip, not a table
        of zero changes.

        Example: ``conv.compare(2009, 2010)["funder"]["CDC"]["change"]`` -> ``Decimal('-1240')``
        """
        year1, year2 = checked_year(year1, "year1"), checked_year(year2, "year2")
        if year1 == year2:
            # a slip (2009 typed twice): the table of zero changes it gave said "nothing moved",
            # and its two years' columns were one key
            raise InvalidValueError(f"comparing {year1} with {year1} shows no change: give two "
                                    f"different years", reason=("same-years", year1))
        a, b = self.plan(year1), self.plan(year2)
        out: dict[str, dict[Any, dict[str, Decimal | None]]] = {}
        for dim in ("funder", "party", "line", "axis"):
            x, y = _sums(self, a, dim), _sums(self, b, dim)
            if dim == "line":
                x, y = _under_axis_as(x, a, y), _under_axis_as(y, b, x)
            y = _spelled_as(y, x, _funder_key(self) if dim == "funder" else _label_key)
            rows: dict[Any, dict[str, Decimal | None]] = {}
            for key in list(x) + [k for k in y if k not in x]:
                va, vb = x.get(key), y.get(key)
                change = exact_sum([vb or Decimal(0)], minus=[va or Decimal(0)])
                # the % of the first year's size (abs): -10 -> -5 is a rise of 50 %, not -50 %
                rows[key] = {str(year1): va, str(year2): vb, "change": change,
                             "percent": None if not va else percent_of(change, abs(va),
                                                                       Decimal("0.1"))}
            out[dim] = rows
        return out

    @property
    def plot(self) -> Any:
        """Pictures of the convention (matplotlib): ``conv.plot.years()``."""
        from .plot import ConventionPlots
        return ConventionPlots(self)

    def execution(self, year: int, ledger: Any, **mapping: Any) -> Any:
        """Plan versus actual for ``year``: planned and paid by funder, party, line and axis,
        with execution rates; records that map to nothing listed, not lost.  See
        :func:`essconv.execution.execution` for the mapping options."""
        from .execution import execution
        return execution(self, checked_year(year), _checked_ledger(ledger), **mapping)

    #: [relabel.<column>] of the description: each spelling of a label and the label it
    #: becomes in grant files (read-only; none when the description keeps none)
    relabel_mappings: Mapping[str, Mapping[str, str]] = MappingProxyType({})

    def relabel(self, ledger: Any) -> Any:
        """The ledger with the spellings the description merges (``[relabel.<column>]``)
        merged, in each of those columns the ledger has: a new ledger (see
        :meth:`essconv.Ledger.relabel`); the ledger itself when no mapping concerns it.  Applied
        on request only, never by :meth:`execution`: what an analyst sees changes when it is
        asked.

        Example: ``conv.execution(2017, conv.relabel(essconv.read_scdl("lot-2017.csv")))``
        """
        _checked_ledger(ledger)   # None was handed back as if relabelled
        for column, mapping in self.relabel_mappings.items():
            if column in ledger.columns:   # a mapping for every year: other years' labels too
                ledger = ledger.relabel(column, mapping, absent="ignore")
        return ledger

    # ------------------------------------------------------------------ display
    def __repr__(self) -> str:
        return (f"<Convention {self.short_title!r}: {self.start.year}–{self.end.year}, "
                f"{len(self.signatories)} signatories, plans {sorted(self._plans)}>")

    def _repr_html_(self) -> str:
        from .display import convention_html
        return convention_html(self)


def _checked_ledger(ledger: Any) -> Any:
    """``ledger`` when it is a ledger (essconv's, or its Dask one: columns and their kinds), else
    refused: a path or a pandas DataFrame escaped as a bare AttributeError."""
    if not (hasattr(ledger, "columns") and hasattr(ledger, "kinds")):
        raise ArgumentTypeError(f"ledger must be an essconv.Ledger (read one with "
                                f"essconv.read_scdl(path)), not {type(ledger).__name__} "
                                f"{ledger!r:.60}")
    return ledger


def _sums_cents(conv: Convention, plan: Plan, dim: str) -> dict[Any, int]:
    """One plan's sums by a dimension, in cents (plans in other units then add exactly)."""
    parts: dict[Any, Decimal]
    if dim == "funder":
        parts = plan.by_funder()
    elif dim == "party":
        parts = plan.by_party(conv)
    elif dim == "line":
        # a label printed under two axes is keyed (axis, line), as by_line() and an execution
        # key it: its str() was the row "('Axe 1', 'Div')", a Python tuple's text, under which
        # plan.cell() and the execution's rows found nothing
        parts = dict(plan.by_line())
    else:
        _refuse_dash_group(plan, plan.year)   # a description's plan comes by no add_plan()
        parts = {}
        for g, v in plan.by_axis().items():
            key = conv.axis_key(g)
            # exact whatever the caller's decimal context (a precision of 2 read 5 764 as 5,8E+3)
            parts[key] = exact_sum([parts.get(key, Decimal(0)), v])
        # the lines printed under no axis (above the first, or a plan without axes) are "—",
        # as an execution keys them: left out, the sums by axis fell short of the total
        no_axis = [i for i, g in enumerate(plan.line_axis_indices) if g < 0]
        if no_axis:
            parts[NO_AXIS] = exact_sum(plan.line_sum_at(i) for i in no_axis)
    return {k: to_cents(v, plan.unit) for k, v in parts.items()}


def _refuse_dash_group(plan: Plan, year: int | None) -> None:
    """Refuses a plan that prints a group "—" (``NO_AXIS``) beside lines under no group: every
    sum by axis keys those lines "—", and the group's sum was overwritten by theirs (the axes
    added up to less than the plan).  A group "—" alone is what a French table prints for
    lines under no axis: summed under "—", as they would be."""
    if NO_AXIS not in plan.axes:
        return
    loose = [plan.lines[i] for i, g in enumerate(plan.line_axis_indices) if g < 0]
    if loose:
        lines = ", ".join(loose[:3]) + (", ..." if len(loose) > 3 else "")
        raise InvalidValueError(
            f"the {year} plan prints a group {NO_AXIS!r}, the key of its lines under no axis "
            f"({lines}) in every sum by axis: rename the group, or print its lines under no group",
            reason=("plan-dash-group", year, lines))


def _sums(conv: Convention, plan: Plan, dim: str) -> dict[Any, Decimal]:
    """One plan's sums in k€, so plans printed in other units compare."""
    return {k: from_cents(c, "k€") for k, c in _sums_cents(conv, plan, dim).items()}


def _label_key(label: Any) -> Any:
    """A label with its case, accents and spacing aside, as a plan's reader and an execution
    compare lines: "Tetes de reseaux ", "têtes de  réseaux" and "Têtes de réseaux" are one.  A
    line keyed (axis, line) is folded part by part, and stays a tuple: never one label."""
    if isinstance(label, tuple):
        return tuple(_label_key(part) for part in label)
    return " ".join(without_accents(label).casefold().split())


def _funder_key(conv: Convention) -> Callable[[str], Any]:
    """The key a plan's funder column is held under across years: the party it names (its
    code, an alias, its name: "Région" and "CR-NPDC" are one funder, "DIRECCTE" the DRTEFP),
    not rolled up (the DRTEFP and the DRASS stay two funders, as the plans print them); a
    column naming no party by its label folded, as any label.  Compared by label alone, one
    party printed by its code in 2009 and by its alias in 2010 was two rows: -100 % and a new
    funder in compare(), half of its term in cumulative()."""
    def key(label: str) -> Any:
        party = conv.party_named(label)
        # a tuple, never equal to a folded label (a str): a column "cr-npdc" naming no party
        # cannot pass for the party's key
        return ("party", party.code) if party is not None else _label_key(label)
    return key


def _spelled_as(sums: dict[str, Any], other: Mapping[str, Any],
                key_of: Callable[[Any], Any] = _label_key) -> dict[str, Any]:
    """``sums`` with each key that ``other`` spells otherwise (accents, case, spacing; for
    funders, ``key_of`` = :func:`_funder_key`, another name of the same party) under
    ``other``'s spelling, in its own order.  A key either side shares with another of its
    own side once folded stays as it is: which of the two it would be, nothing says."""
    def unique(keys: Iterable[str]) -> dict[str, str]:
        seen: dict[Any, list[str]] = {}
        for k in keys:
            seen.setdefault(key_of(k), []).append(k)
        return {f: ks[0] for f, ks in seen.items() if len(ks) == 1}
    theirs, ours = unique(other), unique(sums)
    out: dict[str, Any] = {}
    for key, amount in sums.items():
        folded = key_of(key)
        if (key not in other and ours.get(folded) == key and folded in theirs
                and theirs[folded] not in sums):
            key = theirs[folded]
        out[key] = amount
    return out


def _lines_named(plan: Plan, labels: Iterable[str]) -> list[int]:
    """The indices of a plan's lines that ``labels`` name: each label's lines as printed (under
    every axis that prints it: the line is each of them), else the lines of the one label the
    plan spells otherwise (accents, case, spacing), as compare() holds them for one row; none
    when the plan prints two such spellings (which one, nothing says)."""
    found: list[int] = []
    for label in labels:
        exact = [i for i, l in enumerate(plan.lines) if l == label]
        if not exact:
            folded = [i for i, l in enumerate(plan.lines) if _label_key(l) == _label_key(label)]
            exact = folded if len({plan.lines[i] for i in folded}) == 1 else []
        found += [i for i in exact if i not in found]
    return found


def _under_axis_as(sums: dict[Any, Any], plan: Plan, other: Mapping[Any, Any]) -> dict[Any, Any]:
    """A plan's line sums with each line it prints once, under an axis, keyed (axis, line) when
    ``other`` keys that line so (its plan prints the label under two axes): "Div" under "Axe 1"
    one year is the other year's ("Axe 1", "Div"), not a line that vanished beside one that
    appeared.  Accents, case and spacing aside, as :func:`_spelled_as` then spells it."""
    pairs = {_label_key(k) for k in other if isinstance(k, tuple)}
    if not pairs:
        return sums
    out: dict[Any, Any] = {}
    for key, amount in sums.items():
        if not isinstance(key, tuple):
            axis = plan.axis_of(key)
            if axis is not None and _label_key((axis, key)) in pairs:
                key = (axis, key)
        out[key] = amount
    return out


def _cumulate(conv: Convention, plans: Iterable[Plan]) -> dict[str, dict[str, Decimal]]:
    """Sums over several plans, exact on int64 cents: each is checked once every plan is in
    (MoneyOverflowError past int64, whatever the plans' order)."""
    cents: dict[str, dict[str, int]] = {"funder": {}, "party": {}, "axis": {}}
    for plan in plans:
        for dim in cents:
            # a label retyped another year ("Cdc" for "CDC"), or a funder printed by another
            # name of its party ("Région" for "CR-NPDC"), is summed with it, as compare()
            # holds them for one row: under the first plan's spelling.  Python ints, exact: a
            # running sum may pass int64 cents and come back, as the core's sums add
            key_of = _funder_key(conv) if dim == "funder" else _label_key
            for key, c in _spelled_as(_sums_cents(conv, plan, dim), cents[dim], key_of).items():
                cents[dim][key] = cents[dim].get(key, 0) + c
    # a sum past int64 cents: the core's error, saying which end it passes, never a number
    out = {dim: {k: from_cents(_core.checked_sum([c]), "k€") for k, c in d.items()}
           for dim, d in cents.items()}
    out["total"] = {"k€": from_cents(_core.checked_sum([sum(cents["funder"].values())]), "k€")}
    return out


#: the key of a plan's lines printed under no axis in every sum by axis (an execution's too)
NO_AXIS = "—"

_CODE_SEPARATORS = " -._\t\u00a0\u202f\u2010\u2011\u2012\u2013\u2014"


# The article a French text puts before a party's name: the convention opens "Entre L'Etat, ET
# La Région Nord-Pas de Calais, ET Le Département du Nord, ... ET La Caisse des Dépôts", and a
# grant file or a committee's note writes "la Région" or "L’État" (a typographic apostrophe).
# The name is tried as written first, so a name that begins with an article ("L'Etat") or a
# party whose code is such a word keeps its own answer; the name without its article is then
# matched by the same one-party rule as any label, never two parties.
_ARTICLE = re.compile(r"(?:le|la|les)\s+|l\s*['\u2019\u02bc]\s*", re.IGNORECASE)


def _with_and_without_article(label: str) -> list[str]:
    """``label``, then ``label`` without its leading French article when it has one and
    something is left ("La Région" -> "Région"; "Le" alone stays itself)."""
    stripped = label.strip()
    article = _ARTICLE.match(stripped)
    rest = stripped[article.end():] if article else ""
    return [label, rest] if rest.strip() else [label]


# What joins two names in one funder label: brackets ("Etat (DRTEFP)"), a slash, a spaced dash
# ("ETAT - DIRECCTE"), a comma, "&", "+" and the word "et" ("Région et Département").  A dash
# inside a word is tried last: it is also the one of "Nord-Pas de Calais".
_JOINS = re.compile(r"[()\[\]/+&,;]|\s[-\u2010-\u2015]\s")
_AND = re.compile(r"\set\s", re.IGNORECASE)
_DASH = re.compile(r"[-\u2010-\u2015]")


def _label_parts(label: str) -> list[str]:
    """The names a funder label joins, [] when it is one name: split at brackets, slashes and
    spaced dashes, then at "et", then at a dash inside a word -- each finer cut only when the
    coarser one leaves a single part ("Caisse des Dépôts et Consignations (CDC)" keeps its
    "et")."""
    for joins in (_JOINS, _AND, _DASH):
        # each name once: a label repeating one name 10 000 times is looked up as one name
        parts = [p.strip() for p in joins.split(label) if p.strip()]
        if joins is _DASH and any(p.isdigit() for p in parts):
            # a code and its number ("CG-67", "CD-33"): one name, never "CG" joined to "67" --
            # "CG" alone fits CG-59 and CG-62, and the Bas-Rhin's grants were said to be the
            # Nord's or the Pas-de-Calais', the first offered as funders={'CG-67': 'CG-59'}
            return []
        if len(parts) > 1:
            return list(dict.fromkeys(parts))
    return []


def _words(text: str) -> list[str]:
    """A name's words, case aside (its accents already dropped)."""
    return re.findall(r"\w+", text.casefold())


def _parties_words_fit(label: str, names: list[tuple[Party, list[list[str]]]],
                       joined: bool = False) -> list[Party]:
    """The parties one of whose names (``names``: each party's code, aliases and names as
    words) begins with the label's words, after its article; for a part of a joined label,
    also those one of whose names ends with them: the "du Pas-de-Calais" of "Département du
    Nord et du Pas-de-Calais"."""
    from .conditions import without_accents as _without_accents
    wanted = _words(_without_accents(_with_and_without_article(label)[-1]))
    if not wanted:
        return []
    found = [p for p, ws in names if any(w[:len(wanted)] == wanted for w in ws)]
    # "du Pas-de-Calais" leaves out the noun said before it; "Pas de Calais" cut from "DIRECCTE
    # Nord-Pas de Calais" is no such name, and the Région's ends with it too
    if not found and joined and len(wanted) > 1 and wanted[0] in ("du", "de", "des", "d"):
        found = [p for p, ws in names if any(w[-len(wanted):] == wanted for w in ws)]
    return found


def _lineage(party: Party) -> list[Party]:
    """A party and the parties it is a service of, up to its top."""
    out = [party]
    while out[-1].parent is not None:
        out.append(out[-1].parent)
    return out


def _name_key(text: str) -> str:
    """A name as compared to another: case, spaces, dashes, dots, underscores aside (the
    core's separators of codes: no-break spaces and typographic dashes too)."""
    return "".join(c for c in text.casefold() if c not in _CODE_SEPARATORS)


def _months_after(day: _dt.date, months: int) -> _dt.date:
    """The same day ``months`` later; from a day the month lacks (29 February, 31 January),
    the first of the month after, as ``check()`` counts a stated duration."""
    year, month = divmod(day.month - 1 + months, 12)
    try:
        return day.replace(year=day.year + year, month=month + 1)
    except ValueError:
        return _dt.date(day.year + year + (month + 1) // 12, (month + 1) % 12 + 1, 1)


def _days_in(year: int) -> int:
    """The days of a calendar year: 366 in a leap year, else 365."""
    return 366 if _calendar.isleap(year) else 365


def _ymd(d: _dt.date) -> tuple[int, int, int]:
    return (d.year, d.month, d.day)


__all__ = ["Axis", "Body", "Commitment", "Convention", "IaeAmount", "IaeCommitment", "Instrument",
           "Issue", "KeyFigures", "Means", "Meeting", "Milestone", "Party", "Source", "Text",
           "checked_code", "checked_day", "checked_year", "qualified"]
