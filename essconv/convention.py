"""Framework conventions: parties, axes, instruments, governance, milestones, plans.

A convention is described in a TOML file (read with the standard library's ``tomllib``); its
financing plans sit beside it as TSV/CSV files or inline.  The 2009–2013 convention for the
social and solidarity economy in Nord–Pas de Calais ships inside the package::

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

import datetime as _dt
import io
import os
import re
import tomllib
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import Any, Iterable, Mapping

from . import _core
from .errors import AmountError, DescriptionError, NoPlanError, PlanFormatError
from .money import from_cents, parse_amount, to_cents, unit_cents
from .plan import Plan, read_plan

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

    Example: ``conv.party("CG-62").source.quotes`` -> ``('Le Département du Pas-de-Calais', ...)``
    """

    article: str = ""
    quotes: tuple[str, ...] = ()
    added: str | None = None

    @property
    def is_addition(self) -> bool:
        """True when no word of the text supports the fact: essconv added it.

        Example: ``conv.other_funder_sources["FSE"].is_addition`` -> ``True``
        """
        return not self.quotes

    def __str__(self) -> str:
        said = " … ".join(f"« {q} »" for q in self.quotes)
        parts = [p for p in (self.article, said) if p]
        if self.added:
            parts.append(f"[ajout d'essconv : {self.added}]")
        return " ".join(parts)


class Text(str):
    """A piece of text from a description that knows its :class:`Source`: it is a ``str`` in
    every other way (compares, joins and prints as one).

    Example: ``conv.bodies[1].roles[0].source.article`` -> ``'Article 5 – Pilotage'``
    """

    source: "Source | None"

    def __new__(cls, value: str, source: "Source | None" = None) -> "Text":
        text = super().__new__(cls, value)
        text.source = source
        return text


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
    source: Source | None = None

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
    source: Source | None = None

    def __str__(self) -> str:
        return self.text


@dataclass(frozen=True)
class Axis:
    """A strategic axis of article 3, and the plan groups that finance it."""

    number: int
    title: str
    means: tuple[Means, ...]
    short_title: str = ""
    plan_groups: tuple[str, ...] = ()
    source: Source | None = None

    def __str__(self) -> str:
        return f"Axe {self.number} — {self.title}"


@dataclass(frozen=True)
class Issue:
    """One of the main issues (enjeux) of the ambition, article 2."""

    number: int
    title: str
    items: tuple[str, ...]
    source: Source | None = None


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
    source: Source | None = None
    sources: Mapping[str, Source] = field(default_factory=dict, compare=False)


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
    source: Source | None = None
    sources: Mapping[str, Source] = field(default_factory=dict, compare=False)


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
    source: Source | None = None

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
        return f"{self.when}: {self.label}"


@dataclass(frozen=True)
class Meeting:
    """A meeting a body owes in a period (a half-year, a quarter...)."""

    body: Body
    number: int
    start: _dt.date
    end: _dt.date

    @property
    def period(self) -> str:
        n = self.body.meetings_per_year
        name = {2: "S", 4: "T", 12: "M"}.get(n, "#")
        return f"{self.start.year} {name}{self.number}"

    def __str__(self) -> str:
        return f"{self.period}: {self.body.short_name} (between {self.start} and {self.end})"


@dataclass(frozen=True)
class Commitment:
    """What a party commits to in article 7."""

    party: Party
    text: tuple[Text, ...]
    annual_only: bool = False
    condition: str | None = None
    source: Source | None = None


@dataclass(frozen=True)
class IaeAmount:
    label: str
    amount: Decimal           # euros, exact
    year: int | None = None
    per: str | None = None
    qualifier: str | None = None
    parts: tuple[str, ...] = ()
    source: Source | None = None

    def __str__(self) -> str:
        from .money import format_amount
        q = f"{self.qualifier} " if self.qualifier else ""
        when = f" en {self.year}" if self.year else (f" par {self.per}" if self.per else "")
        return f"{self.label} : {q}{format_amount(self.amount, group=' ')} €{when}"


@dataclass(frozen=True)
class IaeCommitment:
    """A party's part in the annex on insertion through economic activity."""

    party: Party
    text: str
    amounts: tuple[IaeAmount, ...]
    facts: Mapping[str, Any] = field(default_factory=dict)
    commitments: tuple[Text, ...] = ()     # what the party says it will do ("s'engagera à ...")
    source: Source | None = None
    sources: Mapping[str, Source] = field(default_factory=dict, compare=False)   # of each of the facts


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
    source: Source | None = None
    sources: Mapping[str, Source] = field(default_factory=dict, compare=False)   # by field name

    @property
    def establishments_as_printed(self) -> str:
        """The count with the qualifier the text gives it: "plus de 25 600"."""
        return qualified(self.establishments, self.establishments_qualifier)

    @property
    def jobs_as_printed(self) -> str:
        """The jobs count as printed: "219 200"."""
        return qualified(self.jobs, "")


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

    def __init__(self, data: Mapping[str, Any], *, path: str | None = None,
                 base_dir: Path | None = None, plans: Mapping[int, Plan] | None = None) -> None:
        r = _Reader(path)
        head = r.table(data, "convention")
        self.path = path
        self.title: str = r.string(head, "title", "convention")
        self.short_title: str = r.string(head, "short_title", "convention", default=self.title)
        self.domain: str = r.string(head, "domain", "convention", default="")
        self.territory: str = r.string(head, "territory", "convention")
        self.start: _dt.date = r.date(head, "start", "convention")
        self.end: _dt.date = r.date(head, "end", "convention")
        self.signed_on: _dt.date | None = r.date(head, "signed_on", "convention", default=None)
        self.signed_at: str | None = r.string(head, "signed_at", "convention", default=None)
        #: the duration the text states ("pour une durée de 5 ans"); check() holds the term to it
        self.duration_years: int | None = r.integer(head, "duration_years", "convention",
                                                    default=None)
        self.purpose: str = r.string(head, "purpose", "convention", default="")
        self.scope: str = r.string(head, "scope", "convention", default="")
        #: the source of each fact of [convention] (title, signed_on, ...), by key
        self.sources: dict[str, Source] = r.sources(head, "convention")
        self.definition: Text | None = (
            Text(r.string(head, "definition", "convention"), self.sources.get("definition"))
            if "definition" in head else None)
        self.values: tuple[Text, ...] = r.texts(head, "values", "convention",
                                                self.sources.get("values"))
        self.structures: tuple[Text, ...] = r.texts(head, "structures", "convention",
                                                    self.sources.get("structures"))
        self.articles: tuple[Text, ...] = r.texts(head, "articles", "convention",
                                                  self.sources.get("articles"))
        #: the table of contents as the document prints it; check() compares it with articles
        self.table_of_contents: tuple[Text, ...] = r.texts(
            head, "table_of_contents", "convention", self.sources.get("table_of_contents"))
        if self.end < self.start:
            raise DescriptionError(f"the term ends ({self.end}) before it starts ({self.start})",
                                   path=path, key="convention.end")
        self._core = _core.Convention(_ymd(self.start), _ymd(self.end))

        # parties, parents first
        self.parties: tuple[Party, ...] = ()
        by_code: dict[str, Party] = {}
        for k, p in enumerate(r.tables(data, "parties")):
            key = f"parties[{k}]"
            code = r.string(p, "code", key)
            kind = r.string(p, "kind", key)
            if kind not in KINDS:
                raise DescriptionError(f"kind {kind!r} is not one of {', '.join(KINDS)}",
                                       path=path, key=f"{key}.kind")
            parent_code = r.string(p, "parent", key, default=None)
            if parent_code is not None and parent_code not in by_code:
                raise DescriptionError(f"parent {parent_code!r} is not a party listed before "
                                       f"{code!r}", path=path, key=f"{key}.parent")
            party = Party(code=code, name=r.string(p, "name", key), kind=kind,
                          parent=by_code.get(parent_code) if parent_code else None,
                          signatory=r.boolean(p, "signatory", key, default=False),
                          signs_as=r.string(p, "signs_as", key, default=None),
                          aliases=r.strings(p, "aliases", key),
                          note=r.string(p, "note", key, default=None),
                          sirets=r.strings(p, "sirets", key), source=r.source(p, key))
            try:
                self._core.add_party(code, parent_code, party.signatory)
            except ValueError as exc:
                raise DescriptionError(str(exc), path=path, key=f"{key}.code") from None
            by_code[code] = party
        self.parties = tuple(by_code.values())
        self._add_aliases_to_core(path)
        self.other_funders: tuple[tuple[str, str], ...] = tuple(
            (r.string(o, "code", f"other_funders[{k}]"), r.string(o, "name", f"other_funders[{k}]"))
            for k, o in enumerate(r.tables(data, "other_funders")))
        #: why each other funder is listed (an addition: the text names none of them)
        self.other_funder_sources: dict[str, Source | None] = {
            code: r.source(o, f"other_funders[{k}]") for k, (o, (code, _name)) in
            enumerate(zip(r.tables(data, "other_funders"), self.other_funders))}

        # article 1
        kf = r.table(data, "key_figures", default=None)
        self.key_figures: KeyFigures | None = None
        if kf is not None:
            kf_sources = r.sources(kf, "key_figures")
            self.key_figures = KeyFigures(
                establishments=r.integer(kf, "establishments", "key_figures"),
                establishments_share_percent=r.decimal(kf, "establishments_share_percent",
                                                       "key_figures"),
                establishments_by_family_percent=r.decimals(kf, "establishments_by_family_percent",
                                                            "key_figures"),
                jobs=r.integer(kf, "jobs", "key_figures"),
                jobs_year=r.integer(kf, "jobs_year", "key_figures"),
                jobs_share_percent=r.decimal(kf, "jobs_share_percent", "key_figures"),
                jobs_by_family_percent=r.decimals(kf, "jobs_by_family_percent", "key_figures"),
                establishments_qualifier=r.string(kf, "establishments_qualifier", "key_figures",
                                                  default=""),
                establishments_share_of=r.string(kf, "establishments_share_of", "key_figures",
                                                 default=""),
                jobs_share_of=r.string(kf, "jobs_share_of", "key_figures", default=""),
                observations=r.texts(kf, "observations", "key_figures",
                                     kf_sources.get("observations")),
                source=r.source(kf, "key_figures"), sources=kf_sources)
        self.history: tuple[Milestone, ...] = tuple(
            r.milestone(h, f"history[{k}]", label_key="text")
            for k, h in enumerate(r.tables(data, "history")))
        #: shares declared to add up to 100 (check() verifies them), beside the key figures'
        self.shares: tuple[tuple[str, dict[str, Decimal], Source | None], ...] = tuple(
            (r.string(sh, "label", f"shares[{k}]"), r.decimals(sh, "percent", f"shares[{k}]"),
             r.source(sh, f"shares[{k}]")) for k, sh in enumerate(r.tables(data, "shares")))

        # article 2, 3
        self.ambition: tuple[Issue, ...] = tuple(
            Issue(number=r.integer(a, "number", f"ambition[{k}]"),
                  title=r.string(a, "title", f"ambition[{k}]"),
                  items=r.texts(a, "issues", f"ambition[{k}]", r.source(a, f"ambition[{k}]")),
                  source=r.source(a, f"ambition[{k}]"))
            for k, a in enumerate(r.tables(data, "ambition")))
        axes = []
        for k, a in enumerate(r.tables(data, "axes")):
            key = f"axes[{k}]"
            means = []
            for m, item in enumerate(r.list(a, "means", key)):
                mkey = f"{key}.means[{m}]"
                if isinstance(item, str):
                    means.append(Means(item))
                elif isinstance(item, dict):
                    msource = r.source(item, mkey)
                    means.append(Means(r.string(item, "text", mkey),
                                       r.texts(item, "by", mkey, msource), source=msource))
                else:
                    raise DescriptionError("expected a string or a table {text, by}", path=path,
                                           key=mkey)
            axes.append(Axis(number=r.integer(a, "number", key), title=r.string(a, "title", key),
                             means=tuple(means),
                             short_title=r.string(a, "short_title", key, default=""),
                             plan_groups=r.strings(a, "plan_groups", key),
                             source=r.source(a, key)))
        self.axes: tuple[Axis, ...] = tuple(axes)
        self.instruments: tuple[Instrument, ...] = tuple(
            Instrument(code=r.string(i, "code", f"instruments[{k}]"),
                       name=r.string(i, "name", f"instruments[{k}]"),
                       description=r.string(i, "description", f"instruments[{k}]", default=""),
                       axis=r.integer(i, "axis", f"instruments[{k}]", default=None),
                       supported_by=r.codes(i, "supported_by", f"instruments[{k}]", by_code),
                       plan_lines=r.strings(i, "plan_lines", f"instruments[{k}]"),
                       source=r.source(i, f"instruments[{k}]"),
                       sources=r.sources(i, f"instruments[{k}]"))
            for k, i in enumerate(r.tables(data, "instruments")))

        # article 5: governance
        sec = r.table(data, "secretariat", default=None)
        self.secretariat: Party | None = None
        self.secretariat_tasks: tuple[str, ...] = ()
        secretariat_of: tuple[str, ...] = ()
        if sec is not None:
            holder = r.string(sec, "holder", "secretariat")
            if holder not in by_code:
                raise DescriptionError(f"{holder!r} is not a party", path=path,
                                       key="secretariat.holder")
            self.secretariat = by_code[holder]
            self.secretariat_tasks = r.texts(sec, "tasks", "secretariat",
                                             r.source(sec, "secretariat"))
            secretariat_of = r.strings(sec, "of", "secretariat")
        self.secretariat_in_liaison_with: str | None = (
            r.string(sec, "in_liaison_with", "secretariat", default=None) if sec else None)
        self.secretariat_source: Source | None = r.source(sec, "secretariat") if sec else None
        bodies = []
        for k, b in enumerate(r.tables(data, "bodies")):
            key = f"bodies[{k}]"
            name = r.string(b, "name", key)
            per_year = r.integer(b, "meetings_per_year", key)
            try:
                self._core.add_body(name, per_year)
            except OverflowError:   # past a C int: the same refusal as any count out of range
                raise DescriptionError(f"{name!r} meets {per_year} times a year: expected 0 to "
                                       f"366", path=path, key=f"{key}.meetings_per_year") from None
            except ValueError as exc:
                raise DescriptionError(str(exc), path=path, key=f"{key}.meetings_per_year") from None
            short = r.string(b, "short_name", key, default=name)
            bsources = r.sources(b, key)
            bodies.append(Body(name=name, short_name=short,
                               members=r.texts(b, "members", key, bsources.get("members")),
                               meetings_per_year=per_year,
                               roles=r.texts(b, "roles", key, bsources.get("roles")),
                               secretariat=self.secretariat if (name in secretariat_of or
                                                                short in secretariat_of) else None,
                               source=r.source(b, key), sources=bsources))
        self.bodies: tuple[Body, ...] = tuple(bodies)

        # articles 4, 6, 7, 8
        self.milestones: tuple[Milestone, ...] = tuple(sorted(
            (r.milestone(m, f"milestones[{k}]") for k, m in enumerate(r.tables(data, "milestones"))),
            key=lambda m: (m.date, m.until or m.date)))
        ev = r.table(data, "evaluation", default={})
        ev_sources = r.sources(ev, "evaluation")
        self.evaluation: dict[str, Text] = {
            k: Text(r.string(ev, k, "evaluation"), ev_sources.get(k)) for k in ev if k != "sources"}
        fin = r.table(data, "financing", default={})
        self.financing_rule: Text = Text(r.string(fin, "rule", "financing", default=""),
                                         r.source(fin, "financing"))
        #: what every signatory undertakes beside its own commitments (article 7's opening)
        self.general_commitments: tuple[Text, ...] = tuple(
            Text(r.string(g, "text", f"general_commitments[{k}]"),
                 r.source(g, f"general_commitments[{k}]"))
            for k, g in enumerate(r.tables(data, "general_commitments")))
        commitments = []
        for k, c in enumerate(r.tables(data, "commitments")):
            key = f"commitments[{k}]"
            csource = r.source(c, key)
            commitments.append(Commitment(
                party=r.party(c, "party", key, by_code), text=r.texts(c, "text", key, csource),
                annual_only=r.boolean(c, "annual_only", key, default=False),
                condition=r.string(c, "condition", key, default=None), source=csource))
        self.commitments: tuple[Commitment, ...] = tuple(commitments)
        iae = []
        for k, c in enumerate(r.tables(data, "iae")):
            key = f"iae[{k}]"
            amounts = []
            for m, a in enumerate(r.list(c, "amounts", key)):
                akey = f"{key}.amounts[{m}]"
                if not isinstance(a, dict):
                    raise DescriptionError("expected a table {label, amount...}", path=path, key=akey)
                amounts.append(IaeAmount(
                    label=r.string(a, "label", akey), amount=r.amount(a, "amount", akey),
                    year=r.integer(a, "year", akey, default=None),
                    per=r.string(a, "per", akey, default=None),
                    qualifier=r.string(a, "qualifier", akey, default=None),
                    parts=r.strings(a, "parts", akey), source=r.source(a, akey)))
            facts = {f: v for f, v in c.items()
                     if f not in ("party", "text", "amounts", "commitments", "source", "sources")}
            isource = r.source(c, key)
            iae.append(IaeCommitment(party=r.party(c, "party", key, by_code),
                                     text=r.string(c, "text", key), amounts=tuple(amounts),
                                     facts=facts, commitments=r.texts(c, "commitments", key),
                                     source=isource, sources=r.sources(c, key)))
        self.iae: tuple[IaeCommitment, ...] = tuple(iae)

        # plans
        self._plans: dict[int, Plan] = dict(plans or {})
        self.plan_titles: dict[int, str] = {}
        for k, p in enumerate(r.tables(data, "plans")):
            key = f"plans[{k}]"
            year = r.integer(p, "year", key)
            if year in self._plans:
                raise DescriptionError(f"two plans for {year}", path=path, key=f"{key}.year")
            if not self.start.year <= year <= self.end.year:
                raise DescriptionError(f"{year} is outside the term {self.start.year}–"
                                       f"{self.end.year}", path=path, key=f"{key}.year")
            unit = r.string(p, "unit", key, default=None)
            if unit is not None:
                try:
                    unit_cents(unit)
                except ValueError as exc:
                    raise DescriptionError(str(exc), path=path, key=f"{key}.unit") from None
            self.plan_titles[year] = r.string(p, "title", key, default=f"Plan {year}")
            file = r.string(p, "file", key, default=None)
            table = r.string(p, "table", key, default=None)
            if (file is None) == (table is None):
                raise DescriptionError("a plan needs exactly one of 'file' or 'table'", path=path,
                                       key=key)
            if file is not None:
                location = (base_dir / file) if base_dir is not None else Path(file)
                if isinstance(location, Path) and not location.exists():
                    raise DescriptionError(f"the plan file {str(location)!r} does not exist",
                                           path=path, key=f"{key}.file")
                plan = _read_plan_resource(location, year, unit)
            else:
                where = f"{path or '<description>'}#{key}.table"
                try:
                    plan = read_plan(io.BytesIO(table.encode("utf-8")), year=year, unit=unit)
                except PlanFormatError as exc:
                    exc.path = where   # lines count from the table's first line
                    raise
                plan.path = where
            plan.source = r.source(p, key)
            self._plans[year] = plan
        # the inputs of check(): what the document says of itself, to hold it to its word
        self.annexes: tuple[Text, ...] = tuple(
            Text(r.string(a, "title", f"annexes[{k}]"), r.source(a, f"annexes[{k}]"))
            for k, a in enumerate(r.tables(data, "annexes")))
        self.annex_subjects: tuple[str, ...] = tuple(
            r.string(a, "subject", f"annexes[{k}]", default="")
            for k, a in enumerate(r.tables(data, "annexes")))
        self.referred_bodies: tuple[Text, ...] = tuple(
            Text(r.string(b, "name", f"referred_bodies[{k}]"), r.source(b, f"referred_bodies[{k}]"))
            for k, b in enumerate(r.tables(data, "referred_bodies")))

        # The bodies are created by the convention: they owe no meeting before it is signed,
        # even when the term is backdated (2009-01-01 here, signed on 2009-12-02).
        owed_from = r.date(head, "meetings_from", "convention", default=None)
        if owed_from is None and self.signed_on is not None and self.is_active(self.signed_on):
            owed_from = self.signed_on
        self.meetings_from: _dt.date = owed_from or self.start
        try:
            self._core.set_bodies_from(_ymd(self.meetings_from))
        except ValueError as exc:
            raise DescriptionError(str(exc), path=path, key="convention.meetings_from") from None
        self._axis_by_group: dict[str, Axis] = {g: axis for axis in self.axes
                                                for g in axis.plan_groups}

    # ------------------------------------------------------------------ term
    @property
    def years(self) -> list[int]:
        """The calendar years of the term, in order.

        Example: ``essconv.default().years`` -> ``[2009, 2010, 2011, 2012, 2013]``
        """
        return list(range(self.start.year, self.end.year + 1))

    def is_active(self, date: _dt.date) -> bool:
        """Is the convention in force on that day (both ends of the term included)?

        Example: ``conv.is_active(datetime.date(2011, 6, 1))`` -> ``True``
        """
        return self._core.is_active(_ymd(date))

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
            raise KeyError(code)
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
                                           key=f"parties[{k}].aliases")

    def _owner(self, core_index: int) -> Party:
        """The party a core index stands for: a party, or the party an alias belongs to."""
        n = len(self.parties)
        return self.parties[core_index if core_index < n else self._alias_owner[core_index - n]]

    def _find(self, code: str) -> Party | None:
        i = self._core.find_party(code)
        return self._owner(i) if i >= 0 else None

    def party_of(self, code: str) -> Party | None:
        """The party a funder code stands for, rolled up to its top (DRTEFP -> the State; a
        co-financer -> itself), or None for a code the convention does not know.  Codes compare
        ignoring case, spaces and dashes; aliases count ("Région" -> CR-NPDC).

        Example: ``conv.party_of("DRASS").code`` -> ``'ETAT'``
        """
        i = self._core.party_of(code)
        return self.parties[i] if i >= 0 else None   # the top of a tree is a party, never an alias

    def party_groups(self, funders: Iterable[str]) -> tuple[list[str], list[int]]:
        """The parties these funder codes roll up to, in order of first appearance, and for
        each funder the index of its party in that list (-1: not a party): how a plan's
        columns group in ``by_party`` and the pivot.

        Example: ``conv.party_groups(["DRTEFP", "Région", "FSE", "DRASS"])`` -> ``(['ETAT', 'CR-NPDC'], [0, 1, -1, 0])``
        """
        codes: list[str] = []
        index: dict[str, int] = {}
        groups: list[int] = []
        for f in funders:
            party = self.party_of(f)
            if party is None:
                groups.append(-1)
                continue
            groups.append(index.setdefault(party.code, len(codes)))
            if len(codes) < len(index):
                codes.append(party.code)
        return codes, groups

    def nearest_party(self, code: str) -> Party | None:
        """A party whose code is one edit away from ``code`` (a likely typo), or None."""
        if self.party_of(code) is not None:
            return None
        i = self._core.nearest_code(code, 1)
        return self._owner(i) if i >= 0 else None

    def other_funder(self, code: str) -> tuple[str, str] | None:
        """A known funder that is not a party (FSE...) equal to or one edit from ``code``."""
        for other, name in self.other_funders:
            if _core.Convention.edit_distance(code, other, 1) <= 1:
                return other, name
        return None

    # ------------------------------------------------------------------ axes
    def axis(self, number: int) -> Axis:
        """The axis with that number: ``conv.axis(3).title``."""
        for a in self.axes:
            if a.number == number:
                return a
        raise KeyError(number)

    def axis_for(self, group: str | None) -> Axis | None:
        """The axis a plan's group label finances (by the description's ``plan_groups``)."""
        return self._axis_by_group.get(group) if group else None

    # ------------------------------------------------------------------ governance
    def meetings(self, year: int) -> list[Meeting]:
        """The governance meetings due in ``year``, in date order: each body's rhythm laid on
        the year (two a year: one each half-year; four: one each quarter), clipped to the term
        and to :attr:`meetings_from` (the bodies exist from the signature: a period that ends
        before it owes nothing).

        Example: ``len(essconv.default().meetings(2009))`` -> ``3`` (December 2009 only)
        """
        return [Meeting(body=self.bodies[b], number=n, start=s, end=e)
                for b, n, s, e in self._core.meetings(year)]

    def calendar(self, year: int | None = None) -> list[Milestone | Meeting]:
        """Meetings and milestones (of one year, or the whole term), by date.  When the
        bodies start meeting after the term starts (a backdated term), the calendar says so
        on that day.

        Example: ``[str(x) for x in conv.calendar(2011)][:2]``
        """
        years = [year] if year is not None else self.years
        items: list[Any] = []
        for y in years:
            items += self.meetings(y)
            items += [m for m in self.milestones if m.date.year == y]
            if self.meetings_from > self.start and self.meetings_from.year == y:
                items.append(self._meetings_from_note())
        return sorted(items, key=lambda x: (x.end if isinstance(x, Meeting) else x.date))

    def _meetings_from_note(self) -> Milestone:
        signed = self.signed_on == self.meetings_from
        why = ("les instances sont créées par la convention signée ce jour"
               if signed else "date donnée par la description")
        return Milestone(
            date=self.meetings_from,
            label=(f"Réunions dues à compter de ce jour : {why} ; aucune n'est due avant, "
                   f"bien que la convention coure depuis le {self.start:%d/%m/%Y}"),
            source=Source(added="essconv : les instances n'existent qu'à la signature"
                          if signed else "essconv : meetings_from de la description"))

    def next_milestones(self, after: _dt.date | None = None) -> list[Milestone]:
        """The milestones on or after a day (today by default).

        Example: ``conv.next_milestones(datetime.date(2010, 6, 1))[0].date`` -> ``datetime.date(2011, 1, 1)``
        """
        after = after or _dt.date.today()
        return [m for m in self.milestones if (m.until or m.date) >= after]

    def funded_in_plans(self, code: str) -> dict[int, dict[str, Decimal]]:
        """What the plans show of an instrument's funders, year by year (funder -> amount in
        the plan's unit), from the plan lines the instrument is; beside ``supported_by``, which
        is what the text says.  Empty cells are no funding and are left out.

        Example: ``conv.funded_in_plans("PLDE-ESS")`` -> ``{2009: {'CR-NPDC': Decimal('609'), 'Territoires': Decimal('20')}}``
        """
        instrument = next((i for i in self.instruments if i.code == code), None)
        if instrument is None:
            raise KeyError(code)
        out: dict[int, dict[str, Decimal]] = {}
        for year, plan in self.plans.items():
            shown: dict[str, int] = {}
            for line in instrument.plan_lines:
                if line not in plan.lines:
                    continue
                for funder in plan.funders:
                    value = plan.cell(line, funder)
                    if value:
                        cents = to_cents(value, plan.unit)
                        shown[funder] = _core.checked_sum([shown.get(funder, 0), cents])
            if shown:
                out[year] = {f: from_cents(c, plan.unit) for f, c in shown.items()}
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
        - ``shares-sum``: shares that should add to 100 % (the key figures' families,
          ``[[shares]]``) and do not;
        - ``toc-mismatch``: the table of contents and the articles of the body disagree;
        - ``duplicate-annex-title``: two annexes with the same title;
        - ``undefined-body``: a body the text relies on (``[[referred_bodies]]``) but never
          defines among its bodies;
        - ``signatory-without-column``: a signatory with no column in a plan, with the column
          that probably stands for it (``target``).

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
        if year not in self._plans:
            have = ", ".join(str(y) for y in sorted(self._plans)) or "none"
            if year not in self.years:
                raise NoPlanError(f"{year} is outside the term {self.start.year}–{self.end.year}")
            raise NoPlanError(f"the convention has no financing plan for {year} (plans: {have}); "
                              f"add one with conv.add_plan(plan)")
        return self._plans[year]

    def __getstate__(self) -> dict[str, Any]:
        """Pickles the description as read; the core's party tree and bodies are rebuilt from
        it on loading (they are what ``parties`` and ``bodies`` say)."""
        return {k: v for k, v in self.__dict__.items() if k != "_core"}

    def __setstate__(self, state: dict[str, Any]) -> None:
        self.__dict__.update(state)
        self._core = _core.Convention(_ymd(self.start), _ymd(self.end))
        for party in self.parties:
            self._core.add_party(party.code, party.parent.code if party.parent else None,
                                 party.signatory)
        self._add_aliases_to_core(None)
        for body in self.bodies:
            self._core.add_body(body.name, body.meetings_per_year)
        self._core.set_bodies_from(_ymd(self.meetings_from))

    def add_plan(self, plan: Plan, year: int | None = None) -> None:
        """Attach a plan read elsewhere (``read_plan``) to a year of the term."""
        year = year or plan.year
        if year is None or year not in self.years:
            raise ValueError(f"a plan needs a year of the term {self.years}, not {year!r}")
        plan.year = year
        self._plans[year] = plan

    def validate(self) -> dict[int, Any]:
        """Each plan's report, checked against this convention.

        Example: ``conv.validate()[2009].ok`` -> ``False``
        """
        return {y: p.validate(self) for y, p in self.plans.items()}

    def by_axis(self, year: int) -> dict[str, Decimal]:
        """A plan's sums by strategic axis, in the plan's unit, keyed as every sum by axis is
        (``cumulative()``, ``compare()``, executions): see :meth:`axis_key`.

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

    def compare(self, year1: int, year2: int) -> dict[str, dict[str, dict[str, Decimal | None]]]:
        """Change from ``year1`` to ``year2`` by funder, party, line and axis: each entry has
        the two amounts (k€), the absolute change and the % change (None from zero)."""
        a, b = self.plan(year1), self.plan(year2)
        out = {}
        for dim in ("funder", "party", "line", "axis"):
            x, y = _sums(self, a, dim), _sums(self, b, dim)
            rows = {}
            for key in list(x) + [k for k in y if k not in x]:
                va, vb = x.get(key, Decimal(0)), y.get(key, Decimal(0))
                rows[key] = {str(year1): va, str(year2): vb, "change": vb - va,
                             "percent": None if va == 0 else ((vb - va) * 100 / va).quantize(
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
        return execution(self, year, ledger, **mapping)

    # ------------------------------------------------------------------ display
    def __repr__(self) -> str:
        return (f"<Convention {self.short_title!r}: {self.start.year}–{self.end.year}, "
                f"{len(self.signatories)} signatories, plans {sorted(self._plans)}>")

    def _repr_html_(self) -> str:
        from .display import convention_html
        return convention_html(self)


def _sums_cents(conv: Convention, plan: Plan, dim: str) -> dict[str, int]:
    """One plan's sums by a dimension, in cents (plans in other units then add exactly)."""
    if dim == "funder":
        parts = plan.by_funder()
    elif dim == "party":
        parts = plan.by_party(conv)
    elif dim == "line":
        parts = {str(k): v for k, v in plan.by_line().items()}
    else:
        parts = {}
        for g, v in plan.by_axis().items():
            key = conv.axis_key(g)
            parts[key] = parts.get(key, Decimal(0)) + v
    return {k: to_cents(v, plan.unit) for k, v in parts.items()}


def _sums(conv: Convention, plan: Plan, dim: str) -> dict[str, Decimal]:
    """One plan's sums in k€, so plans printed in other units compare."""
    return {k: from_cents(c, "k€") for k, c in _sums_cents(conv, plan, dim).items()}


def _cumulate(conv: Convention, plans: Iterable[Plan]) -> dict[str, dict[str, Decimal]]:
    """Sums over several plans, added in C on int64 cents (OverflowError past int64)."""
    cents: dict[str, dict[str, int]] = {"funder": {}, "party": {}, "axis": {}}
    for plan in plans:
        for dim in cents:
            for key, c in _sums_cents(conv, plan, dim).items():
                cents[dim][key] = _core.checked_sum([cents[dim].get(key, 0), c])
    out = {dim: {k: from_cents(c, "k€") for k, c in d.items()} for dim, d in cents.items()}
    out["total"] = {"k€": from_cents(_core.checked_sum(cents["funder"].values()), "k€")}
    return out


def _read_plan_resource(location: Any, year: int, unit: str | None) -> Plan:
    if isinstance(location, Path):
        return read_plan(location, year=year, unit=unit)
    data = location.read_bytes()   # an importlib.resources Traversable
    plan = read_plan(io.BytesIO(data), year=year, unit=unit)
    plan.path = f"essconv/data/{location.name}"
    return plan


def _ymd(d: _dt.date) -> tuple[int, int, int]:
    return (d.year, d.month, d.day)


# ---------------------------------------------------------------------------- reading TOML
class _Reader:
    """Typed access to a description's keys; every error names the file and the key."""

    _MISSING = object()

    def __init__(self, path: str | None) -> None:
        self.path = path

    def _get(self, table: Mapping[str, Any], key: str, where: str, default: Any) -> Any:
        if not isinstance(table, Mapping):
            raise DescriptionError("expected a table", path=self.path, key=where)
        if key in table:
            return table[key]
        if default is self._MISSING:
            raise DescriptionError(f"the key '{key}' is missing", path=self.path,
                                   key=f"{where}.{key}")
        return default

    def _fail(self, where: str, key: str, expected: str, value: Any) -> None:
        raise DescriptionError(f"expected {expected}, found {type(value).__name__} {value!r}",
                               path=self.path, key=f"{where}.{key}")

    def table(self, data: Mapping[str, Any], key: str, default: Any = _MISSING) -> Any:
        value = self._get(data, key, "", default)
        if value is not default and not isinstance(value, dict):
            self._fail("", key, "a table", value)
        return value

    def tables(self, data: Mapping[str, Any], key: str) -> list[dict]:
        value = self._get(data, key, "", [])
        if not isinstance(value, list) or not all(isinstance(v, dict) for v in value):
            self._fail("", key, "an array of tables ([[" + key + "]])", value)
        return value

    def list(self, t: Mapping[str, Any], key: str, where: str) -> list:
        value = self._get(t, key, where, [])
        if not isinstance(value, list):
            self._fail(where, key, "an array", value)
        return value

    def string(self, t: Mapping[str, Any], key: str, where: str, default: Any = _MISSING) -> Any:
        value = self._get(t, key, where, default)
        if value is not default and not isinstance(value, str):
            self._fail(where, key, "a string", value)
        return value

    def strings(self, t: Mapping[str, Any], key: str, where: str) -> tuple[str, ...]:
        value = self._get(t, key, where, [])
        if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
            self._fail(where, key, "an array of strings", value)
        return tuple(value)

    def integer(self, t: Mapping[str, Any], key: str, where: str, default: Any = _MISSING) -> Any:
        value = self._get(t, key, where, default)
        if value is not default and (not isinstance(value, int) or isinstance(value, bool)):
            self._fail(where, key, "an integer", value)
        return value

    def boolean(self, t: Mapping[str, Any], key: str, where: str, default: Any = _MISSING) -> Any:
        value = self._get(t, key, where, default)
        if value is not default and not isinstance(value, bool):
            self._fail(where, key, "true or false", value)
        return value

    def date(self, t: Mapping[str, Any], key: str, where: str, default: Any = _MISSING) -> Any:
        value = self._get(t, key, where, default)
        if value is default:
            return value
        if isinstance(value, _dt.datetime) or not isinstance(value, _dt.date):
            self._fail(where, key, "a date (YYYY-MM-DD, unquoted)", value)
        return value

    def decimal(self, t: Mapping[str, Any], key: str, where: str) -> Decimal:
        value = self._get(t, key, where, self._MISSING)
        if isinstance(value, float):
            self._fail(where, key, "a quoted number (\"11.3\"): floats are not exact", value)
        try:
            return Decimal(str(value).replace(",", "."))
        except InvalidOperation:
            self._fail(where, key, "a number", value)
            raise  # unreachable

    def decimals(self, t: Mapping[str, Any], key: str, where: str) -> dict[str, Decimal]:
        value = self._get(t, key, where, {})
        if not isinstance(value, dict):
            self._fail(where, key, "a table of quoted numbers", value)
        return {k: self.decimal(value, k, f"{where}.{key}") for k in value}

    def amount(self, t: Mapping[str, Any], key: str, where: str) -> Decimal:
        value = self.string(t, key, where)
        try:
            amount = parse_amount(value)
        except (AmountError, OverflowError) as exc:
            raise DescriptionError(Exception.__str__(exc), path=self.path,
                                   key=f"{where}.{key}") from None
        if amount is None:
            self._fail(where, key, "an amount", value)
        return amount

    def source(self, t: Mapping[str, Any], where: str, key: str = "source") -> Source | None:
        """The optional ``source = { article = "...", quote = "..." or [...], added = "..." }``
        of an item: the text's words it comes from, or what essconv added and why."""
        value = self._get(t, key, where, None)
        if value is None:
            return None
        if not isinstance(value, dict):
            self._fail(where, key, "a table { article, quote, added }", value)
        skey = f"{where}.{key}" if where else key
        unknown = set(value) - {"article", "quote", "added"}
        if unknown:
            raise DescriptionError(f"unknown key(s) {', '.join(sorted(unknown))}: a source has "
                                   f"article, quote and added", path=self.path, key=skey)
        quote = value.get("quote", [])
        quotes = [quote] if isinstance(quote, str) else quote
        if not isinstance(quotes, list) or not all(isinstance(q, str) and q.strip()
                                                   for q in quotes):
            self._fail(skey, "quote", "a string or an array of non-empty strings", quote)
        added = self.string(value, "added", skey, default=None)
        if not quotes and not added:
            raise DescriptionError("a source needs the quoted words ('quote') or what essconv "
                                   "adds ('added')", path=self.path, key=skey)
        return Source(article=self.string(value, "article", skey, default=""),
                      quotes=tuple(quotes), added=added)

    def sources(self, t: Mapping[str, Any], where: str) -> dict[str, Source]:
        """``sources = { key = {source}, ... }``: the source of each fact an item holds."""
        value = self._get(t, "sources", where, {})
        if not isinstance(value, dict):
            self._fail(where, "sources", "a table of sources by key", value)
        skey = f"{where}.sources" if where else "sources"
        return {k: self.source(value, skey, k) for k in value}

    def texts(self, t: Mapping[str, Any], key: str, where: str,
              default: Source | None = None) -> tuple[Text, ...]:
        """An array of strings or of tables ``{ text, source }``; an item with no source of
        its own takes ``default`` (the item's ``sources.<key>``)."""
        out = []
        for k, item in enumerate(self.list(t, key, where)):
            ikey = f"{where}.{key}[{k}]" if where else f"{key}[{k}]"
            if isinstance(item, str):
                out.append(Text(item, default))
            elif isinstance(item, dict):
                out.append(Text(self.string(item, "text", ikey),
                                self.source(item, ikey) or default))
            else:
                raise DescriptionError("expected a string or a table {text, source}",
                                       path=self.path, key=ikey)
        return tuple(out)

    def milestone(self, t: Mapping[str, Any], where: str, label_key: str = "label") -> Milestone:
        """A dated item, kept as precise as the text: ``precision = "year"`` (or "month")
        makes ``date`` a bound, not a day, and ``printed`` says it as the text does."""
        day = self.date(t, "date", where)
        precision = self.string(t, "precision", where, default="day")
        until = self.date(t, "until", where, default=None)
        if precision == "year":
            first, last = _dt.date(day.year, 1, 1), _dt.date(day.year, 12, 31)
        elif precision == "month":
            first = _dt.date(day.year, day.month, 1)
            last = (_dt.date(day.year + day.month // 12, day.month % 12 + 1, 1)
                    - _dt.timedelta(days=1))
        elif precision == "day":
            first, last = day, until
        else:
            raise DescriptionError(f"precision {precision!r} is not one of day, month, year",
                                   path=self.path, key=f"{where}.precision")
        if precision != "day" and (day != first or until is not None):
            raise DescriptionError(f"a date of precision {precision!r} is written as the first "
                                   f"day of its {precision} ({first.isoformat()}), without "
                                   f"'until': the text gives no day", path=self.path,
                                   key=f"{where}.date")
        return Milestone(date=first, label=self.string(t, label_key, where), until=last,
                         article=self.integer(t, "article", where, default=None),
                         precision=precision,
                         printed=self.string(t, "printed", where, default=None),
                         source=self.source(t, where))

    def party(self, t: Mapping[str, Any], key: str, where: str, by_code: dict) -> Party:
        code = self.string(t, key, where)
        if code not in by_code:
            raise DescriptionError(f"{code!r} is not a party of the convention", path=self.path,
                                   key=f"{where}.{key}")
        return by_code[code]

    def codes(self, t: Mapping[str, Any], key: str, where: str, by_code: dict) -> tuple[str, ...]:
        codes = self.strings(t, key, where)
        for c in codes:
            if c not in by_code:
                raise DescriptionError(f"{c!r} is not a party of the convention", path=self.path,
                                       key=f"{where}.{key}")
        return codes


_TOML_PLACE = re.compile(r"\(at line (\d+), column (\d+)\)")


def load(path: str | os.PathLike[str]) -> Convention:
    """A convention from a description file (TOML); its plan files are read relative to it.

    A bad description raises :class:`essconv.DescriptionError` naming the file, the key and
    what was expected (and the line and column for a TOML syntax error).

    Example: ``essconv.load("bretagne.toml").plan(2021).total()``
    """
    path = os.fspath(path)
    with open(path, "rb") as fh:
        raw = fh.read()
    try:
        data = tomllib.loads(raw.decode("utf-8"))
    except UnicodeDecodeError as exc:
        line = raw.count(b"\n", 0, exc.start) + 1
        column = exc.start - (raw.rfind(b"\n", 0, exc.start) + 1) + 1
        raise DescriptionError(f"byte 0x{raw[exc.start]:02X} is not UTF-8 (a description is "
                               f"UTF-8 text)", path=path, line=line, column=column) from None
    except RecursionError:
        raise _too_deep(raw, path) from None
    except tomllib.TOMLDecodeError as exc:
        m = _TOML_PLACE.search(str(exc))
        if m:
            line, col = int(m.group(1)), int(m.group(2))
        else:   # "at end of document": the place is the end of the text
            text = raw.decode("utf-8", "replace")
            line, col = text.count("\n") + 1, len(text) - (text.rfind("\n") + 1) + 1
        raise DescriptionError(f"not valid TOML: {exc}", path=path, line=line,
                               column=col) from None
    return Convention(data, path=path, base_dir=Path(path).parent)


_ASSIGNMENT = re.compile(r"^\s*([A-Za-z0-9_.\-\"' ]+?)\s*=")


def _too_deep(raw: bytes, path: str) -> DescriptionError:
    """tomllib recurses once per nested array or inline table, so a value nested a few
    hundred deep exhausts Python's stack: name the key whose value nests and where it passes
    100 levels (brackets inside strings count too: the place is a guide, the refusal is
    certain)."""
    text = raw.decode("utf-8", "replace")
    depth, key, key_line = 0, "", 1
    for number, line in enumerate(text.split("\n"), start=1):
        m = _ASSIGNMENT.match(line)
        if m and depth == 0:
            key, key_line = m.group(1).strip(), number
        for column, char in enumerate(line, start=1):
            if char in "[{":
                depth += 1
            elif char in "]}" and depth:
                depth -= 1
            if depth > 100:
                return DescriptionError(f"values nested more than 100 deep (from line "
                                        f"{key_line}): a description is not that deep",
                                        path=path, key=key, line=number, column=column)
    return DescriptionError("values nested too deep for the TOML reader", path=path, key=key)


DEFAULT_DESCRIPTION = "nord-pas-de-calais-2009-2013.toml"


@lru_cache(maxsize=1)
def _default_data() -> dict:
    text = resources.files("essconv").joinpath("data", DEFAULT_DESCRIPTION).read_bytes()
    return tomllib.loads(text.decode("utf-8"))


def default() -> Convention:
    """The embedded convention: the 2009–2013 framework convention for the social and
    solidarity economy in Nord–Pas de Calais, with Annex 1 (the 2009 plan) exactly as printed.

    Each call builds a fresh object, so corrections made to one never leak into another.

        >>> conv = default()
        >>> conv.signed_at, conv.signed_on.isoformat(), conv.years[0], conv.years[-1]
        ('Lille', '2009-12-02', 2009, 2013)
    """
    data = _default_data()
    folder = resources.files("essconv").joinpath("data")
    plans = {}
    for k, p in enumerate(data.get("plans", [])):
        plan = _read_plan_resource(folder.joinpath(p["file"]), p["year"], p.get("unit"))
        # findings name the file as the README shows it, not where the package is installed
        plan.path = f"essconv/data/{p['file']}"
        plans[p["year"]] = plan
    stripped = dict(data)
    stripped["plans"] = []
    where = f"essconv/data/{DEFAULT_DESCRIPTION}"
    conv = Convention(stripped, path=where, plans=plans)
    conv.plan_titles = {p["year"]: p.get("title", f"Plan {p['year']}") for p in data.get("plans", [])}
    for k, p in enumerate(data.get("plans", [])):
        plans[p["year"]].source = _Reader(where).source(p, f"plans[{k}]")
    return conv


__all__ = ["Axis", "Body", "Commitment", "Convention", "IaeAmount", "IaeCommitment", "Instrument",
           "Issue", "KeyFigures", "Means", "Meeting", "Milestone", "Party", "Source", "Text",
           "default", "load", "qualified"]
