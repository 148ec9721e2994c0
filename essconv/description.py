"""Reading a convention's description (TOML): one builder per section, each checking what it
reads and naming the file and the key of anything wrong, and one path that loads the plans.

:func:`load` reads a description file, :func:`default` the embedded 2009–2013 convention; both
give :func:`read` the parsed TOML and get back the fields a
:class:`~essconv.convention.Convention` is made of.  The model (convention.py) holds and
queries them; it never reads TOML.

A section's builder returns the fields it gives, by attribute name::

    [convention]            _head            title, term, signature, articles...
    [[parties]]             _parties         parties (parents first); aliases are checked by
                                             the model, by the core's rule
    [[other_funders]]       _other_funders
    [key_figures] ...       _article_1       key figures, history, shares
    [[ambition]] [[axes]]   _articles_2_3    ambition, axes, instruments
    [secretariat] [[bodies]] _governance
    [[milestones]] ...      _articles_4_to_8 milestones, evaluation, financing, commitments, IAE
    [[plans]]               _plans           the one plan-loading path (file or inline table)
    [[annexes]] ...         _self_references what the document says of itself (for check())
    [relabel.<column>]      _relabel         relabel_mappings: spellings merged in grant files
                                             (conv.relabel(ledger), essconv.names)
"""
from __future__ import annotations

import datetime as _dt
import difflib
import io
import json
import os
import re
import tomllib
from decimal import Decimal, InvalidOperation
from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import Any, Iterable, Mapping

from .convention import (KINDS, Axis, Body, Commitment, Convention, IaeAmount, IaeCommitment,
                         Instrument, Issue, KeyFigures, Means, Milestone, Party, Source, Text)
from .errors import (AmountError, ArgumentTypeError, DescriptionError, PlanFormatError,
                     RelabelError)
from .money import parse_amount, unit_cents
from .names import relabel_targets
from .plan import Plan, move_places, read_plan, refuse_party_twice
from .scdl import siret_ok
from .toml_places import place_of, string_places


def read(data: Mapping[str, Any], *, path: str | None = None, plan_dir: Any = None,
         plan_names: str | None = None, text: str | None = None) -> dict[str, Any]:
    """The fields of a convention, read from a parsed description.  ``plan_dir`` is where plan
    files are (a folder or an ``importlib.resources`` one); ``plan_names`` the folder findings
    name a plan file by (the README's ``essconv/data`` for the embedded plans); ``text`` the
    TOML text ``data`` was parsed from, where an inline plan's problems and findings are placed
    (without it, at the table's own lines).

    Example: ``read(tomllib.load(open("bretagne.toml", "rb")), path="bretagne.toml")["title"]``
    """
    r = _Reader(path, text)
    head = r.table(data, "convention")
    fields = _head(r, head)
    fields.update(_parties(r, data))
    by_code = {p.code: p for p in fields["parties"]}
    fields.update(_other_funders(r, data))
    fields.update(_article_1(r, data))
    fields.update(_articles_2_3(r, data, by_code))
    fields.update(_governance(r, data, by_code))
    fields.update(_articles_4_to_8(r, data, by_code))
    fields.update(_plans(r, data, fields["start"], fields["end"], plan_dir, plan_names,
                         fields["parties"], text))
    fields.update(_self_references(r, data))
    fields.update(_relabel(r, data))
    # A key no builder asked for is a typo or a section the reader does not know: ignoring it
    # read `units = "k€"` in €, 1000x off, and dropped a whole `[[plan]]` silently.
    r.refuse_unknown(data)
    return fields


def _head(r: "_Reader", head: Mapping[str, Any]) -> dict[str, Any]:
    """[convention]: the title, the term, the signature and the articles' texts."""
    f: dict[str, Any] = {"path": r.path}
    f["title"] = r.title(head, "title", "convention")
    f["short_title"] = r.string(head, "short_title", "convention", default=f["title"])
    f["domain"] = r.string(head, "domain", "convention", default="")
    f["territory"] = r.title(head, "territory", "convention")
    f["start"] = start = r.date(head, "start", "convention")
    f["end"] = end = r.date(head, "end", "convention")
    f["signed_on"] = signed_on = r.date(head, "signed_on", "convention", default=None)
    f["signed_at"] = r.string(head, "signed_at", "convention", default=None)
    f["duration_years"] = years = r.integer(head, "duration_years", "convention", default=None)
    if years is not None and years < 1:   # check() said "une durée de -1 ans"
        raise DescriptionError(f"a term of {years} years: expected 1 or more", path=r.path,
                               key="convention.duration_years",
                               reason=("desc-duration", years))
    f["purpose"] = r.string(head, "purpose", "convention", default="")
    f["scope"] = r.string(head, "scope", "convention", default="")
    r.string(head, "document", "convention", default=None)   # the text the quotes come from
    f["sources"] = sources = r.sources(head, "convention")
    f["definition"] = (Text(r.string(head, "definition", "convention"), sources.get("definition"))
                       if "definition" in head else None)
    for key in ("values", "structures", "articles", "table_of_contents"):
        f[key] = r.texts(head, key, "convention", sources.get(key))
    if end < start:
        raise DescriptionError(f"the term ends ({end}) before it starts ({start})",
                               path=r.path, key="convention.end",
                               reason=("desc-term-backwards", end, start))
    # The bodies are created by the convention: they owe no meeting before it is signed,
    # even when the term is backdated (2009-01-01 here, signed on 2009-12-02).
    owed_from = r.date(head, "meetings_from", "convention", default=None)
    if owed_from is None and signed_on is not None and start <= signed_on <= end:
        owed_from = signed_on
    f["meetings_from"] = owed_from or start
    return f


def _parties(r: "_Reader", data: Mapping[str, Any]) -> dict[str, Any]:
    """[[parties]], parents first: each party's parent is a party listed before it."""
    parties: list[Party] = []
    by_code: dict[str, Party] = {}
    sirets_of: dict[str, str] = {}
    for k, p in enumerate(r.tables(data, "parties")):
        key = f"parties[{k}]"
        code = r.string(p, "code", key)
        if not code.strip():   # the core's "a party needs a code" was English in the French CLI
            raise DescriptionError("a party needs a code", path=r.path, key=f"{key}.code",
                                   reason=("desc-code-blank",))
        if code != code.strip():   # " CR" matched the column CR but was printed " CR"
            raise DescriptionError(f"the party code {code!r} has spaces around it",
                                   path=r.path, key=f"{key}.code",
                                   reason=("desc-code-spaces", code))
        kind = r.string(p, "kind", key)
        if kind not in KINDS:
            raise DescriptionError(f"kind {kind!r} is not one of {', '.join(KINDS)}",
                                   path=r.path, key=f"{key}.kind",
                                   reason=("desc-not-one-of", kind, KINDS))
        parent_code = r.string(p, "parent", key, default=None)
        if parent_code is not None and parent_code not in by_code:
            raise DescriptionError(f"parent {parent_code!r} is not a party listed before "
                                   f"{code!r}", path=r.path, key=f"{key}.parent",
                                   reason=("desc-parent-not-before", parent_code, code))
        by_code[code] = party = Party(code=code, name=r.title(p, "name", key), kind=kind,
                              parent=by_code.get(parent_code) if parent_code else None,
                              signatory=r.boolean(p, "signatory", key, default=False),
                              signs_as=r.string(p, "signs_as", key, default=None),
                              aliases=r.strings(p, "aliases", key),
                              note=r.string(p, "note", key, default=None),
                              sirets=_sirets(r, p, key, sirets_of), source=r.source(p, key))
        parties.append(party)   # a code given twice is the core's to refuse (its rule of codes)
    return {"parties": tuple(parties)}


def _sirets(r: "_Reader", p: Mapping[str, Any], key: str,
            sirets_of: dict[str, str]) -> tuple[str, ...]:
    """A party's SIRETs, without their spaces ("232 000 018 00015" is how it is printed, and
    a ledger holds it unspaced): each 14 digits with a valid checksum, and no SIRET given to
    two parties (execution credited the last one with every record, silently)."""
    out: list[str] = []
    code = p.get("code")
    for k, raw in enumerate(r.strings(p, "sirets", key)):
        siret = "".join(raw.split())
        where = f"{key}.sirets[{k}]"
        if not (siret.isascii() and siret_ok(siret)):   # scdl.py's check: Luhn, La Poste's rule
            why = ("is not 14 digits" if len(siret) != 14 or not siret.isdigit()
                   else "fails the SIRET checksum (Luhn): a digit is wrong")
            raise DescriptionError(f"SIRET {raw!r} {why}", path=r.path, key=where,
                                   reason=("desc-siret-digits" if why.startswith("is not")
                                           else "desc-siret-luhn", raw))
        other = sirets_of.get(siret)
        if other is not None and other != code:
            raise DescriptionError(f"SIRET {siret} is already given to {other!r}: a SIRET "
                                   f"belongs to one party", path=r.path, key=where,
                                   reason=("desc-siret-twice", siret, other))
        sirets_of[siret] = code
        if siret not in out:
            out.append(siret)
    return tuple(out)


def _other_funders(r: "_Reader", data: Mapping[str, Any]) -> dict[str, Any]:
    """[[other_funders]]: funders that are no party (an addition: the text names none)."""
    tables = r.tables(data, "other_funders")
    others = tuple((r.string(o, "code", f"other_funders[{k}]"),
                    r.string(o, "name", f"other_funders[{k}]")) for k, o in enumerate(tables))
    return {"other_funders": others,
            "other_funder_sources": {code: r.source(o, f"other_funders[{k}]")
                                     for k, (o, (code, _name)) in enumerate(zip(tables, others))}}


def _article_1(r: "_Reader", data: Mapping[str, Any]) -> dict[str, Any]:
    """Article 1: [key_figures], [[history]] and the [[shares]] declared to add up to 100."""
    kf = r.table(data, "key_figures", default=None)
    key_figures = None
    if kf is not None:
        kf_sources = r.sources(kf, "key_figures")
        key_figures = KeyFigures(
            establishments=_count(r, kf, "establishments"),
            establishments_share_percent=r.decimal(kf, "establishments_share_percent",
                                                   "key_figures"),
            establishments_by_family_percent=r.decimals(kf, "establishments_by_family_percent",
                                                        "key_figures"),
            jobs=_count(r, kf, "jobs"),
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
    return {
        "key_figures": key_figures,
        "history": tuple(r.milestone(h, f"history[{k}]", label_key="text")
                         for k, h in enumerate(r.tables(data, "history"))),
        "shares": tuple((r.string(sh, "label", f"shares[{k}]"),
                         r.decimals(sh, "percent", f"shares[{k}]"), r.source(sh, f"shares[{k}]"))
                        for k, sh in enumerate(r.tables(data, "shares"))),
    }


def _count(r: "_Reader", kf: Mapping[str, Any], key: str) -> int:
    """A key figure that counts (establishments, jobs): a whole number, 0 or more -- a minus
    sign typed by mistake loaded as "-25 600 établissements" in the report, without a word."""
    value = r.integer(kf, key, "key_figures")
    if value < 0:
        raise DescriptionError(f"{key} = {value}: a count, expected 0 or more", path=r.path,
                               key=f"key_figures.{key}", reason=("desc-count", key, value))
    return value


def _means(r: "_Reader", a: Mapping[str, Any], key: str) -> tuple[Means, ...]:
    means = []
    for m, item in enumerate(r.list(a, "means", key)):
        mkey = f"{key}.means[{m}]"
        if isinstance(item, str):
            means.append(Means(item))
        elif isinstance(item, dict):
            msource = r.source(item, mkey)
            means.append(Means(r.string(item, "text", mkey), r.texts(item, "by", mkey, msource),
                               source=msource))
        else:
            raise DescriptionError("expected a string or a table {text, by}", path=r.path,
                                   key=mkey, reason=("desc-item", "{text, by}"))
    return tuple(means)


def _articles_2_3(r: "_Reader", data: Mapping[str, Any],
                  by_code: Mapping[str, Party]) -> dict[str, Any]:
    """Articles 2 and 3: [[ambition]], [[axes]] and their means, [[instruments]]."""
    # A reference that names nothing is refused where it is written: two axes numbered 1 made
    # conv.axis(1) silently the first, an instrument on an axis that does not exist.
    fields = {
        "ambition": tuple(
            Issue(number=r.integer(a, "number", f"ambition[{k}]"),
                  title=r.string(a, "title", f"ambition[{k}]"),
                  items=r.texts(a, "issues", f"ambition[{k}]", r.source(a, f"ambition[{k}]")),
                  source=r.source(a, f"ambition[{k}]"))
            for k, a in enumerate(r.tables(data, "ambition"))),
        "axes": tuple(
            Axis(number=r.integer(a, "number", f"axes[{k}]"),
                 title=r.title(a, "title", f"axes[{k}]"), means=_means(r, a, f"axes[{k}]"),
                 short_title=r.string(a, "short_title", f"axes[{k}]", default=""),
                 plan_groups=r.strings(a, "plan_groups", f"axes[{k}]"),
                 source=r.source(a, f"axes[{k}]"))
            for k, a in enumerate(r.tables(data, "axes"))),
        "instruments": tuple(
            Instrument(code=r.string(i, "code", f"instruments[{k}]"),
                       name=r.string(i, "name", f"instruments[{k}]"),
                       description=r.string(i, "description", f"instruments[{k}]", default=""),
                       axis=r.integer(i, "axis", f"instruments[{k}]", default=None),
                       supported_by=r.codes(i, "supported_by", f"instruments[{k}]", by_code),
                       plan_lines=r.strings(i, "plan_lines", f"instruments[{k}]"),
                       source=r.source(i, f"instruments[{k}]"),
                       sources=r.sources(i, f"instruments[{k}]"))
            for k, i in enumerate(r.tables(data, "instruments"))),
    }
    numbers: dict[int, int] = {}
    groups: dict[str, int] = {}
    for k, axis in enumerate(fields["axes"]):
        if axis.number < 1:   # "Axe 0" in the report, and conv.axis(0) an axis of none
            raise DescriptionError(f"axis {axis.number}: expected a number of 1 or more",
                                   path=r.path, key=f"axes[{k}].number",
                                   reason=("desc-axis-number", axis.number))
        if axis.number in numbers:
            raise DescriptionError(f"axis {axis.number} is already axes[{numbers[axis.number]}]",
                                   path=r.path, key=f"axes[{k}].number",
                                   reason=("desc-axis-twice", axis.number,
                                           numbers[axis.number]))
        numbers[axis.number] = k
        for group in axis.plan_groups:
            if groups.setdefault(group, k) != k:
                raise DescriptionError(f"plan group {group!r} already belongs to axes"
                                       f"[{groups[group]}]", path=r.path,
                                       key=f"axes[{k}].plan_groups",
                                       reason=("desc-group-twice", group, groups[group]))
    for k, instrument in enumerate(fields["instruments"]):
        if instrument.axis is not None and instrument.axis not in numbers:
            have = ", ".join(map(str, numbers)) or "none"
            raise DescriptionError(f"axis {instrument.axis} is not an axis of the convention "
                                   f"(axes: {have})", path=r.path, key=f"instruments[{k}].axis",
                                   reason=("desc-no-axis", instrument.axis,
                                           ", ".join(map(str, numbers)) or "aucun"))
    return fields


def _governance(r: "_Reader", data: Mapping[str, Any],
                by_code: Mapping[str, Party]) -> dict[str, Any]:
    """Article 5: the [secretariat] and the [[bodies]] (the core checks their rhythm)."""
    sec = r.table(data, "secretariat", default=None)
    f: dict[str, Any] = {"secretariat": None, "secretariat_tasks": (),
                         "secretariat_in_liaison_with": None, "secretariat_source": None}
    secretariat_of: tuple[str, ...] = ()
    if sec is not None:
        holder = r.string(sec, "holder", "secretariat")
        if holder not in by_code:
            raise DescriptionError(f"{holder!r} is not a party", path=r.path,
                                   key="secretariat.holder", reason=("desc-not-party", holder))
        f["secretariat"] = by_code[holder]
        f["secretariat_tasks"] = r.texts(sec, "tasks", "secretariat", r.source(sec, "secretariat"))
        secretariat_of = r.strings(sec, "of", "secretariat")
        f["secretariat_in_liaison_with"] = r.string(sec, "in_liaison_with", "secretariat",
                                                    default=None)
        f["secretariat_source"] = r.source(sec, "secretariat")
    bodies = []
    for k, b in enumerate(r.tables(data, "bodies")):
        key = f"bodies[{k}]"
        name = r.title(b, "name", key)
        short = r.title(b, "short_name", key, default=name)
        bsources = r.sources(b, key)
        name_en = r.string(b, "name_en", key, default=None)
        bodies.append(Body(name=name, short_name=short, name_en=name_en,
                           short_name_en=r.string(b, "short_name_en", key, default=None),
                           members=r.english_texts(b, "members", key, bsources.get("members")),
                           meetings_per_year=r.integer(b, "meetings_per_year", key),
                           roles=r.english_texts(b, "roles", key, bsources.get("roles")),
                           secretariat=f["secretariat"] if (name in secretariat_of or
                                                            short in secretariat_of) else None,
                           source=r.source(b, key), sources=bsources))
    f["bodies"] = tuple(bodies)
    # a body is named by its name or its short name (secretariat.of, referred_bodies, the
    # calendar's lines): two bodies of one name made two identical lines of every period
    # and a secretariat of either ambiguous
    named: dict[str, int] = {}
    for k, b in enumerate(bodies):
        for field, text in (("name", b.name), ("short_name", b.short_name)):
            folded = " ".join(text.casefold().split())
            if named.setdefault(folded, k) != k:
                raise DescriptionError(f"the body name {text!r} is already bodies[{named[folded]}]'s",
                                       path=r.path, key=f"bodies[{k}].{field}",
                                       reason=("desc-body-twice", text, named[folded]))
    names = {b.name for b in bodies} | {b.short_name for b in bodies}
    for k, of in enumerate(secretariat_of):
        if of not in names:   # a secretariat of a misspelt body was the secretariat of none
            near = difflib.get_close_matches(of, sorted(names), n=1, cutoff=0.6)
            raise DescriptionError(f"{of!r} is not a body of the convention" +
                                   (f": did you mean {near[0]!r}?" if near else ""),
                                   path=r.path, key=f"secretariat.of[{k}]",
                                   reason=("desc-not-body", of, near[0] if near else ""))
    return f


def _iae_amounts(r: "_Reader", c: Mapping[str, Any], key: str) -> tuple[IaeAmount, ...]:
    amounts = []
    for m, a in enumerate(r.list(c, "amounts", key)):
        akey = f"{key}.amounts[{m}]"
        if not isinstance(a, dict):
            raise DescriptionError("expected a table {label, amount...}", path=r.path, key=akey,
                                   reason=("desc-item", "{label, amount...}"))
        amounts.append(IaeAmount(
            label=r.string(a, "label", akey), amount=r.amount(a, "amount", akey),
            year=r.integer(a, "year", akey, default=None),
            per=r.string(a, "per", akey, default=None),
            qualifier=r.string(a, "qualifier", akey, default=None),
            parts=r.strings(a, "parts", akey), source=r.source(a, akey)))
    return tuple(amounts)


def _articles_4_to_8(r: "_Reader", data: Mapping[str, Any],
                     by_code: Mapping[str, Party]) -> dict[str, Any]:
    """Articles 4, 6, 7, 8: [[milestones]], [evaluation], [financing], the commitments."""
    ev = r.table(data, "evaluation", default={})
    ev_sources = r.sources(ev, "evaluation")
    fin = r.table(data, "financing", default={})
    commitments = []
    for k, c in enumerate(r.tables(data, "commitments")):
        key = f"commitments[{k}]"
        csource = r.source(c, key)
        commitments.append(Commitment(
            party=r.party(c, "party", key, by_code), text=r.texts(c, "text", key, csource),
            annual_only=r.boolean(c, "annual_only", key, default=False),
            condition=r.string(c, "condition", key, default=None), source=csource))
    iae = []
    for k, c in enumerate(r.tables(data, "iae")):
        key = f"iae[{k}]"
        facts = {f: v for f, v in c.items()
                 if f not in ("party", "text", "amounts", "commitments", "source", "sources")}
        r.known(c, facts)   # an IAE commitment's other keys are its facts, free by design
        iae.append(IaeCommitment(party=r.party(c, "party", key, by_code),
                                 text=r.string(c, "text", key), amounts=_iae_amounts(r, c, key),
                                 facts=facts, commitments=r.texts(c, "commitments", key),
                                 source=r.source(c, key), sources=r.sources(c, key)))
    return {
        "milestones": tuple(sorted(
            (r.milestone(m, f"milestones[{k}]") for k, m in enumerate(r.tables(data, "milestones"))),
            key=lambda m: (m.date, m.until or m.date))),
        "evaluation": {k: Text(r.string(ev, k, "evaluation"), ev_sources.get(k))
                       for k in ev if k != "sources"},
        "financing_rule": Text(r.string(fin, "rule", "financing", default=""),
                               r.source(fin, "financing")),
        "general_commitments": tuple(
            Text(r.string(g, "text", f"general_commitments[{k}]"),
                 r.source(g, f"general_commitments[{k}]"))
            for k, g in enumerate(r.tables(data, "general_commitments"))),
        "commitments": tuple(commitments),
        "iae": tuple(iae),
    }


def _plans(r: "_Reader", data: Mapping[str, Any], start: _dt.date, end: _dt.date,
           plan_dir: Any, plan_names: str | None, parties: Iterable[Any] = (),
           text: str | None = None) -> dict[str, Any]:
    """[[plans]]: each year's plan, from a file beside the description or an inline table."""
    plans: dict[int, Plan] = {}
    titles: dict[int, str] = {}
    for k, p in enumerate(r.tables(data, "plans")):
        key = f"plans[{k}]"
        year, unit = _plan_year_unit(r, p, key, plans, start, end)
        titles[year] = r.string(p, "title", key, default=f"Plan {year}")
        file = r.string(p, "file", key, default=None)
        table = r.string(p, "table", key, default=None)
        if (file is None) == (table is None):
            raise DescriptionError("a plan needs exactly one of 'file' or 'table'", path=r.path,
                                   key=key, reason=("desc-plan-source",))
        if file is not None:
            location = _plan_location(r, file, f"{key}.file", plan_dir)
            try:
                plan = (read_plan(location, year=year, unit=unit) if isinstance(location, Path)
                        else read_plan(io.BytesIO(location.read_bytes()), year=year, unit=unit))
            except OSError as exc:
                raise DescriptionError(f"the plan file {str(location)!r} cannot be read: "
                                       f"{exc.strerror or exc}", path=r.path,
                                       key=f"{key}.file",
                                       reason=("desc-plan-unreadable", str(location))) from None
            if plan_names:   # findings name the file as the README shows it, not where installed
                plan.path = f"{plan_names}/{file}"
            # two columns of one of the description's parties (no Convention is built yet:
            # its own parties, never essconv.default(), which loads the embedded plans)
            refuse_party_twice(plan, parties)
        else:
            where = f"{r.path or '<description>'}#{key}.table"
            _refuse_spaced_table(r, table, f"{key}.table")
            # the table's lines and columns as the TOML file's, where the analyst edits them
            in_file = _table_places(text, f"{key}.table", table)
            try:
                plan = read_plan(io.BytesIO(table.encode("utf-8")), year=year, unit=unit)
            except PlanFormatError as exc:
                exc.path = where
                _place_error_in_file(exc, in_file)
                raise
            plan.path = where
            if in_file is not None:
                move_places(plan, in_file)
            try:
                refuse_party_twice(plan, parties)   # at the file's places already
            except PlanFormatError as exc:
                exc.path = where
                raise
        plan.source = r.source(p, key)
        plans[year] = plan
    return {"plans": plans, "plan_titles": titles}


def _plan_year_unit(r: "_Reader", p: Mapping[str, Any], key: str, plans: Mapping[int, Plan],
                    start: _dt.date, end: _dt.date) -> tuple[int, str | None]:
    """A ``[[plans]]`` entry's year (one of the term, once) and unit (one essconv knows)."""
    year = r.integer(p, "year", key)
    if year in plans:
        raise DescriptionError(f"two plans for {year}", path=r.path, key=f"{key}.year",
                               reason=("desc-two-plans", year))
    if not start.year <= year <= end.year:
        raise DescriptionError(f"{year} is outside the term {start.year}–{end.year}",
                               path=r.path, key=f"{key}.year",
                               reason=("outside-term", year, start.year, end.year))
    unit = r.string(p, "unit", key, default=None)
    if unit is not None:
        try:
            unit_cents(unit)
        except ValueError as exc:
            raise DescriptionError(str(exc), path=r.path, key=f"{key}.unit",
                                   reason=("desc-unit", unit)) from None
    return year, unit


def _plan_location(r: "_Reader", file: str, key: str, plan_dir: Any) -> Any:
    """Where a ``[[plans]]`` file is (beside the description, or among the embedded data),
    refused naming the key when it is missing or a folder."""
    location = plan_dir.joinpath(file) if plan_dir is not None else Path(file)
    if isinstance(location, Path) and not location.exists():
        raise DescriptionError(f"the plan file {str(location)!r} does not exist",
                               path=r.path, key=key,
                               reason=("desc-plan-file-missing", str(location)))
    if location.is_dir():   # read_plan let IsADirectoryError escape
        raise DescriptionError(f"{str(location)!r} is a folder, not a plan file",
                               path=r.path, key=key,
                               reason=("desc-plan-folder", str(location)))
    return location


def _table_places(text: str | None, key: str, table: str) -> Any:
    """A function giving, for a line and column of an inline plan's table, the line and column
    of the TOML file (the table's start from the text's places, then its own line and column,
    escapes such as ``\\t`` counted as the file writes them); None where the text is not
    known or cannot be followed, the table's own places kept then."""
    if text is None:
        return None
    found = string_places(text, key)
    if found is None or found[0] != table:
        return None
    places = found[1]
    starts = [0] + [k + 1 for k, char in enumerate(table) if char == "\n"]

    def in_file(line: int, column: int) -> tuple[int, int]:
        if line < 1 or line > len(starts):
            return line, column   # no place (0) stays none
        end = starts[line] - 1 if line < len(starts) else len(table)   # its line end
        at = starts[line - 1] + max(column, 1) - 1
        if at <= end:
            return places[at]
        end_line, end_column = places[end]   # past the line's end: counted on from it
        return end_line, end_column + at - end
    return in_file


def _place_error_in_file(exc: PlanFormatError, in_file: Any) -> None:
    """An inline plan's refusal placed in the TOML file (see _place_in_file)."""
    if in_file is None:
        return
    import dataclasses
    if exc.line:
        exc.line, exc.column = in_file(exc.line, exc.column)
    exc.problems = [dataclasses.replace(p, line=l, column=c)
                    for p in exc.problems for l, c in [in_file(p.line, p.column)]]


_SPACE_RUN = re.compile(r"\S {2,}(?=\S)")


def _refuse_spaced_table(r: "_Reader", table: str, key: str) -> None:
    """An inline plan whose tabs an editor turned into spaces (many expand a tab in a TOML
    file) has no delimiter left: the reader took the ',' of "20,5" for one and reported a plan
    of funders "5    30" and totals of 0.  Refused when no line has a tab or a ';', and the
    header, without a ',', is columns aligned by runs of spaces."""
    lines = [line for line in table.splitlines() if line.strip()]
    if not lines or "\t" in table or ";" in table:
        return
    header = lines[0]
    if "," not in header and len(_SPACE_RUN.findall(header.strip())) >= 2:
        raise DescriptionError("the inline table has no tab: its columns are aligned by spaces "
                               "(an editor may have turned its tabs into spaces); separate the "
                               "cells with tabs (or '\\t' in a \"...\" string) or ';'",
                               path=r.path, key=key, reason=("desc-spaced-table",))


def _self_references(r: "_Reader", data: Mapping[str, Any]) -> dict[str, Any]:
    """What the document says of itself, to hold it to its word in check(): its annexes and
    the bodies it refers to."""
    annexes = r.tables(data, "annexes")
    return {
        "annexes": tuple(Text(r.string(a, "title", f"annexes[{k}]"), r.source(a, f"annexes[{k}]"))
                         for k, a in enumerate(annexes)),
        "annex_subjects": tuple(r.string(a, "subject", f"annexes[{k}]", default="")
                                for k, a in enumerate(annexes)),
        "referred_bodies": tuple(
            Text(r.string(b, "name", f"referred_bodies[{k}]"), r.source(b, f"referred_bodies[{k}]"),
                 r.string(b, "name_en", f"referred_bodies[{k}]", default=None))
            for k, b in enumerate(r.tables(data, "referred_bodies"))),
    }


def _relabel(r: "_Reader", data: Mapping[str, Any]) -> dict[str, Any]:
    """[relabel.<column>]: for a label column of the grant files, each spelling and the label it
    becomes (``"Departement du Lot" = "Département du Lot"``), kept so that each year's files get
    the same treatment.  A chain (a new label itself renamed) is refused, as ledger.relabel
    refuses it."""
    sections = r.table(data, "relabel", default={})
    r.known(sections, sections)   # any column may be relabelled
    mappings: dict[str, dict[str, str]] = {}
    for column in sections:
        where = f"relabel.{column}"
        mapping = sections[column]
        if not isinstance(mapping, dict):
            raise DescriptionError(f"expected a table of spellings, found {mapping!r}",
                                   path=r.path, key=where,
                                   reason=("desc-type", "a table of spellings",
                                           type(mapping).__name__, repr(mapping)))
        for old in mapping:
            r.string(mapping, old, where)
        # checked as relabel will apply it (a blank target, a lone surrogate, a chain): said
        # when the description is loaded, not in the year its mapping first meets a file; the
        # key named is the spelling at fault
        wanted = {}
        for old, new in mapping.items():
            try:
                wanted[old] = relabel_targets({old: new})[old]
            except RelabelError as exc:   # from TOML, only a blank target (no surrogate)
                raise DescriptionError(str(exc), path=r.path, key=f"{where}.{old}",
                                       reason=("desc-relabel-blank", old)) from None
        try:
            mappings[column] = relabel_targets(wanted)
        except RelabelError as exc:   # a chain: the spelling whose new label is renamed
            chained = min((new, old) for old, new in wanted.items()
                          if new in wanted and wanted[new] != new and old != new)
            raise DescriptionError(str(exc), path=r.path, key=f"{where}.{chained[1]}",
                                   reason=("desc-relabel-chain", chained[0],
                                           wanted[chained[0]])) from None
    return {"relabel_mappings": mappings}


# ---------------------------------------------------------------------------- reading TOML
#: a unit said after an amount: every unit the amount parser reads ("€", "k€", "keur", "EUR",
#: "millions d'euros"; money.c's unit_suffixes) has a euro sign or "eur" in it
_UNIT_SAID = re.compile(r"€|eur", re.IGNORECASE)

#: an amount grouped in thousands by commas with a decimal point ("1,234.56 €"), its unit after
_COMMA_GROUPED = re.compile(r"\s*([-+]?)(\d{1,3}(?:,\d{3})+)\.(\d+)\s*(.*?)\s*")


def _comma_grouped(value: str) -> tuple[str, str] | None:
    """The two ways to write ``value`` if it groups thousands with commas and has a decimal
    point ("1,234.56 €": "1 234,56 €" and "1234.56 €"), each the same amount as the text read
    the English way; None for any other text."""
    m = _COMMA_GROUPED.fullmatch(value)
    if m is None:
        return None
    try:
        parse_amount(value, decimal=".")   # the same amount once the point is the decimal mark
    except (AmountError, OverflowError):
        return None
    sign, whole, cents, unit = m.groups()
    tail = f" {unit}" if unit else ""
    return (f"{sign}{whole.replace(',', ' ')},{cents}{tail}",
            f"{sign}{whole.replace(',', '')}.{cents}{tail}")


class _Reader:
    """Typed access to a description's keys; every error names the file and the key."""

    _MISSING = object()

    def __init__(self, path: str | None, text: str | None = None) -> None:
        self.path = path
        self.text = text   # the TOML text, where a number's literal is read as written
        # the keys asked of each table (by id: the parsed TOML lives as long as the reader),
        # so that refuse_unknown() can name the ones nobody asked for
        self._asked: dict[int, tuple[Mapping[str, Any], set[str]]] = {}

    def known(self, table: Mapping[str, Any], keys: Any) -> None:
        """Marks ``keys`` of ``table`` as read (keys a builder reads without :meth:`_get`)."""
        if isinstance(table, Mapping):
            self._asked.setdefault(id(table), (table, set()))[1].update(keys)

    def refuse_unknown(self, value: Any, where: str = "") -> None:
        """Refuses a key of a table the reader read that no builder asked for, naming its
        table path and the nearest key the table knows."""
        if isinstance(value, list):
            for k, item in enumerate(value):
                self.refuse_unknown(item, f"{where}[{k}]")
            return
        if not isinstance(value, dict):
            return
        entry = self._asked.get(id(value))
        if entry is not None and entry[0] is value:
            asked = entry[1]
            for key in value:
                if key not in asked:
                    near = difflib.get_close_matches(key, sorted(asked), n=1, cutoff=0.6)
                    table = f"[{where}]" if where else "the top level"
                    hint = f": did you mean {near[0]!r}?" if near else (
                        f": the keys known there are {', '.join(sorted(asked))}" if asked else "")
                    raise DescriptionError(f"unknown key {key!r} in {table}{hint}",
                                           path=self.path,
                                           key=f"{where}.{key}" if where else key,
                                           reason=("desc-unknown-key", key, where,
                                                   near[0] if near else "", tuple(sorted(asked))))
        for key, item in value.items():
            self.refuse_unknown(item, f"{where}.{key}" if where else key)

    def _get(self, table: Mapping[str, Any], key: str, where: str, default: Any) -> Any:
        if not isinstance(table, Mapping):
            raise DescriptionError("expected a table", path=self.path, key=where,
                                   reason=("desc-type", "a table", type(table).__name__,
                                           repr(table)))
        self.known(table, (key,))
        if key in table:
            return table[key]
        if default is self._MISSING:
            # a key missing beside a near-miss spelling of it ("meeting_per_year") is that
            # spelling's fault: said "missing" with no line, the typo was left to be found
            # (refuse_unknown's cutoff, which takes "knid" for "kind"; a typo's length is
            # the key's give or take two, so that another key of the table not read yet,
            # "jobs_share_of" beside a missing "jobs_year", is not taken for one; nor is a
            # key's own variant, "name_en" or "short_name" beside a missing "name")
            asked = self._asked[id(table)][1]
            near = difflib.get_close_matches(
                key, [k for k in table if k not in asked and isinstance(k, str)
                      and abs(len(k) - len(key)) <= 2
                      and not k.startswith(f"{key}_") and not k.endswith(f"_{key}")],
                n=1, cutoff=0.6)
            if near:
                raise DescriptionError(
                    f"unknown key {near[0]!r} in {f'[{where}]' if where else 'the top level'}: "
                    f"did you mean {key!r}?", path=self.path,
                    key=f"{where}.{near[0]}" if where else near[0],
                    reason=("desc-unknown-key", near[0], where, key, tuple(sorted(asked))))
            raise DescriptionError(f"the key '{key}' is missing", path=self.path,
                                   key=f"{where}.{key}" if where else key,
                                   reason=("desc-missing", key))
        return default

    def _fail(self, where: str, key: str, expected: str, value: Any) -> None:
        # the reason's expected is one of messages.py's _DESCRIPTION_EXPECTED (its French)
        raise DescriptionError(f"expected {expected}, found {type(value).__name__} {value!r}",
                               path=self.path, key=f"{where}.{key}" if where else key,
                               reason=("desc-type", expected, type(value).__name__,
                                       repr(value)))

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

    def _one_string(self, where: str, key: str, expected: str, value: Any) -> None:
        """``aliases = "Région"`` for ``aliases = ["Région"]``: "expected an array" said
        nothing of the brackets to write; the refusal writes the array."""
        if isinstance(value, str):
            written = f"{key} = [{json.dumps(value, ensure_ascii=False)}]"
            raise DescriptionError(f"expected {expected}, found str {value!r}: write {written}",
                                   path=self.path, key=f"{where}.{key}" if where else key,
                                   reason=("desc-one-string", expected, repr(value), written))

    def list(self, t: Mapping[str, Any], key: str, where: str) -> list:
        value = self._get(t, key, where, [])
        if not isinstance(value, list):
            self._one_string(where, key, "an array", value)
            self._fail(where, key, "an array", value)
        return value

    def string(self, t: Mapping[str, Any], key: str, where: str, default: Any = _MISSING) -> Any:
        value = self._get(t, key, where, default)
        if value is not default and not isinstance(value, str):
            self._fail(where, key, "a string", value)
        return value

    def title(self, t: Mapping[str, Any], key: str, where: str, default: Any = _MISSING) -> Any:
        """A string that names something a committee reads (a convention's title and
        territory, an axis's title, a body's or a party's name, a milestone's label): a blank
        one printed headings of nothing and calendar lines naming no one, so it is refused
        where it is written."""
        value = self.string(t, key, where, default)
        if value is not default and not value.strip():
            what = key.replace("_", " ")
            raise DescriptionError(f"the {what} is blank", path=self.path,
                                   key=f"{where}.{key}" if where else key,
                                   reason=("desc-blank", key))
        return value

    def strings(self, t: Mapping[str, Any], key: str, where: str) -> tuple[str, ...]:
        value = self._get(t, key, where, [])
        if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
            self._one_string(where, key, "an array of strings", value)
            self._fail(where, key, "an array of strings", value)
        return tuple(value)

    def integer(self, t: Mapping[str, Any], key: str, where: str, default: Any = _MISSING) -> Any:
        value = self._get(t, key, where, default)
        if value is not default and (not isinstance(value, int) or isinstance(value, bool)):
            self._whole_number(where, key, value)
            self._fail(where, key, "an integer", value)
        return value

    def _whole_number(self, where: str, key: str, value: Any) -> None:
        """``year = "2015"`` or ``year = 2015.0`` for ``year = 2015``: refused all the same (a
        TOML string or float is no integer), with the TOML to write -- "expected an integer"
        said nothing of the quotes or the ".0" to drop."""
        if isinstance(value, str) and re.fullmatch(r"[+-]?\d{1,18}", value.strip()):
            number = int(value.strip())
        elif isinstance(value, float) and value.is_integer() and abs(value) < 1e18:
            number = int(value)
        else:
            return
        written = f"{key} = {number}"
        raise DescriptionError(f"expected an integer, found {type(value).__name__} {value!r}: "
                               f"write {written}",
                               path=self.path, key=f"{where}.{key}" if where else key,
                               reason=("desc-integer-written", type(value).__name__,
                                       repr(value), written))

    def boolean(self, t: Mapping[str, Any], key: str, where: str, default: Any = _MISSING) -> Any:
        value = self._get(t, key, where, default)
        if value is not default and not isinstance(value, bool):
            self._fail(where, key, "true or false", value)
        return value

    def date(self, t: Mapping[str, Any], key: str, where: str, default: Any = _MISSING) -> Any:
        value = self._get(t, key, where, default)
        if value is default:
            return value
        if isinstance(value, str) and (day := _spelled_date(value)) is not None:
            # "15 mars 2010" as the text prints it, or a quoted date: refused all the same (a
            # guess is no reading), with the TOML to write
            raise DescriptionError(f"expected a date (YYYY-MM-DD, unquoted), found str "
                                   f"{value!r}: write {key} = {day.isoformat()}",
                                   path=self.path, key=f"{where}.{key}" if where else key,
                                   reason=("desc-date-spelled", value, key, day.isoformat()))
        if isinstance(value, _dt.datetime) or not isinstance(value, _dt.date):
            self._fail(where, key, "a date (YYYY-MM-DD, unquoted)", value)
        return value

    def decimal(self, t: Mapping[str, Any], key: str, where: str) -> Decimal:
        value = self._get(t, key, where, self._MISSING)
        if isinstance(value, float):
            self._fail(where, key, "a quoted number (\"11.3\"): floats are not exact", value)
        try:
            number = Decimal(str(value).replace(",", "."))
        except InvalidOperation:
            self._fail(where, key, "a number", value)
            raise  # unreachable
        if not number.is_finite():   # "NaN" made conv.check() raise decimal.InvalidOperation
            self._fail(where, key, "a finite number", value)
        return number

    def decimals(self, t: Mapping[str, Any], key: str, where: str) -> dict[str, Decimal]:
        value = self._get(t, key, where, {})
        if not isinstance(value, dict):
            self._fail(where, key, "a table of quoted numbers", value)
        return {k: self.decimal(value, k, f"{where}.{key}") for k in value}

    def amount(self, t: Mapping[str, Any], key: str, where: str) -> Decimal:
        value = self._get(t, key, where, self._MISSING)
        if isinstance(value, (int, float)) and not isinstance(value, bool):
            # `amount = 12.5`: refused as "expected a string", with nothing said of what to
            # write; the suggestion is the number as the file writes it (its literal, exact),
            # never the float tomllib made of it
            number = self._literal_number(f"{where}.{key}")
            written = (f"{format(number, 'f').replace('.', ',')} €" if number is not None
                       else "… €")
            raise DescriptionError(f"expected an amount as a quoted string with its unit, found "
                                   f"{type(value).__name__} {value!r}: write "
                                   f"{key} = \"{written}\" (or in M€, k€, as the text says)",
                                   path=self.path, key=f"{where}.{key}",
                                   reason=("desc-amount-number", type(value).__name__,
                                           repr(value), key, written))
        value = self.string(t, key, where)
        try:
            amount = parse_amount(value)
        except (AmountError, OverflowError) as exc:
            grouped = _comma_grouped(value)
            if grouped is not None:
                # "1,234.56 €" was refused as "more than 2 decimals": the comma read as the
                # decimal mark, a cause the analyst could not see in what they wrote
                raise DescriptionError(f"{value!r} groups thousands with commas and has a "
                                       f"decimal point: write \"{grouped[0]}\" or "
                                       f"\"{grouped[1]}\"", path=self.path,
                                       key=f"{where}.{key}",
                                       reason=("desc-amount-comma-grouping", value,
                                               *grouped)) from None
            raise DescriptionError(Exception.__str__(exc), path=self.path,
                                   key=f"{where}.{key}", reason=("desc-amount", value)) from None
        if amount is None:
            self._fail(where, key, "an amount", value)
        if not _UNIT_SAID.search(value):
            # "1 234,56" was read as euros where a text in k€ or M€ is 1000 times that: the
            # unit is asked for, as it is of a TOML number (the README: amounts are strings,
            # with their unit; € is no default)
            written = f"{value.strip()} €"
            raise DescriptionError(f"expected an amount as a quoted string with its unit, found "
                                   f"{value!r} with no unit: write {key} = \"{written}\" (or in "
                                   f"M€, k€, as the text says)", path=self.path,
                                   key=f"{where}.{key}",
                                   reason=("desc-amount-no-unit", value, key, written))
        return amount

    def _literal_number(self, key_path: str) -> Decimal | None:
        """The number written after ``key_path =`` in the TOML text (underscores and an
        exponent read exactly), or None where the text is not known or not plain."""
        if self.text is None or (found := place_of(self.text, key_path)) is None:
            return None
        line, column = found
        m = re.match(r"[^=]*=\s*([-+]?[0-9_.eE+-]+)", self.text.split("\n")[line - 1][column - 1:])
        try:
            return Decimal(m.group(1).replace("_", "")) if m else None
        except InvalidOperation:
            return None

    def source(self, t: Mapping[str, Any], where: str, key: str = "source") -> Source | None:
        """The optional ``source = { article = "...", quote = "..." or [...], added = "..." }``
        of an item: the text's words it comes from, or what essconv added and why."""
        value = self._get(t, key, where, None)
        if value is None:
            return None
        if not isinstance(value, dict):
            self._fail(where, key, "a table { article, quote, added }", value)
        skey = f"{where}.{key}" if where else key
        unknown = set(value) - {"article", "quote", "added", "added_en"}
        if unknown:
            # each count in its number, in English as in French ("unknown key 'page'")
            raise DescriptionError(f"unknown key{'s' if len(unknown) > 1 else ''} "
                                   f"{', '.join(sorted(unknown))}: a source has "
                                   f"article, quote, added and added_en", path=self.path, key=skey,
                                   reason=("desc-source-keys", ", ".join(sorted(unknown)),
                                           len(unknown)))
        self.known(value, ("quote", "article", "added", "added_en"))
        quote = value.get("quote", [])
        quotes = [quote] if isinstance(quote, str) else quote
        if not isinstance(quotes, list) or not all(isinstance(q, str) and q.strip()
                                                   for q in quotes):
            self._fail(skey, "quote", "a string or an array of non-empty strings", quote)
        added = self.string(value, "added", skey, default=None)
        if not quotes and not added:
            raise DescriptionError("a source needs the quoted words ('quote') or what essconv "
                                   "adds ('added')", path=self.path, key=skey,
                                   reason=("desc-source-empty",))
        added_en = self.string(value, "added_en", skey, default=None)
        if added_en is not None and added is None:
            raise DescriptionError("'added_en' translates 'added', which this source lacks",
                                   path=self.path, key=f"{skey}.added_en",
                                   reason=("desc-english-alone", "added_en", "added"))
        return Source(article=self.string(value, "article", skey, default=""),
                      quotes=tuple(quotes), added=added, added_en=added_en)

    def sources(self, t: Mapping[str, Any], where: str) -> dict[str, Source]:
        """``sources = { key = {source}, ... }``: the source of each fact an item holds."""
        value = self._get(t, "sources", where, {})
        if not isinstance(value, dict):
            self._fail(where, "sources", "a table of sources by key", value)
        skey = f"{where}.sources" if where else "sources"
        facts = sorted(k for k in t if k not in ("source", "sources"))
        for k in value:
            if k not in t:   # `sources.member` for `members`: a quote kept for no fact, silently
                near = difflib.get_close_matches(k, facts, n=1, cutoff=0.6)
                hint = f": did you mean {near[0]!r}?" if near else (
                    f": the keys there are {', '.join(facts)}" if facts else "")
                raise DescriptionError(f"unknown key {k!r} in [{skey}] (a source is for a key "
                                       f"of the item){hint}", path=self.path, key=f"{skey}.{k}",
                                       reason=("desc-unknown-key", k, skey,
                                               near[0] if near else "", tuple(facts)))
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
                                       path=self.path, key=ikey,
                                       reason=("desc-item", "{text, source}"))
        return tuple(out)

    def english_texts(self, t: Mapping[str, Any], key: str, where: str,
                      default: Source | None = None) -> tuple[Text, ...]:
        """:meth:`texts`, each with its English words from the array ``<key>_en`` beside it
        (essconv's words, for English outputs: ``roles_en``), item by item; without it, none."""
        texts = self.texts(t, key, where, default)
        english = self.strings(t, f"{key}_en", where)
        if english and len(english) != len(texts):
            raise DescriptionError(f"'{key}_en' has {len(english)} "
                                   f"item{'s' if len(english) != 1 else ''} for the {len(texts)} "
                                   f"of '{key}': one English text for each, in order",
                                   path=self.path, key=f"{where}.{key}_en" if where else f"{key}_en",
                                   reason=("desc-english-count", key, len(english), len(texts)))
        return tuple(Text(str(text), text.source, en) for text, en in zip(texts, english)) \
            if english else texts

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
            if until is not None and until < day:   # a period that ends before it starts
                raise DescriptionError(f"'until' ({until}) is before 'date' ({day})",
                                       path=self.path, key=f"{where}.until",
                                       reason=("desc-until-before", until, day))
        else:
            raise DescriptionError(f"precision {precision!r} is not one of day, month, year",
                                   path=self.path, key=f"{where}.precision",
                                   reason=("desc-not-one-of", precision, ("day", "month", "year")))
        if precision != "day" and (day != first or until is not None):
            raise DescriptionError(f"a date of precision {precision!r} is written as the first "
                                   f"day of its {precision} ({first.isoformat()}), without "
                                   f"'until': the text gives no day", path=self.path,
                                   key=f"{where}.date",
                                   reason=("desc-precision-first", precision, first))
        printed = self.string(t, "printed", where, default=None)
        printed_en = self.string(t, "printed_en", where, default=None)
        if printed_en is not None and printed is None:
            raise DescriptionError("'printed_en' translates 'printed', which this date lacks",
                                   path=self.path, key=f"{where}.printed_en",
                                   reason=("desc-english-alone", "printed_en", "printed"))
        return Milestone(date=first, label=self.title(t, label_key, where), until=last,
                         article=self.integer(t, "article", where, default=None),
                         precision=precision, printed=printed,
                         source=self.source(t, where),
                         label_en=self.string(t, f"{label_key}_en", where, default=None),
                         printed_en=printed_en)

    def party(self, t: Mapping[str, Any], key: str, where: str, by_code: dict) -> Party:
        code = self.string(t, key, where)
        if code not in by_code:
            raise DescriptionError(f"{code!r} is not a party of the convention", path=self.path,
                                   key=f"{where}.{key}", reason=("desc-not-party", code))
        return by_code[code]

    def codes(self, t: Mapping[str, Any], key: str, where: str, by_code: dict) -> tuple[str, ...]:
        codes = self.strings(t, key, where)
        for c in codes:
            if c not in by_code:
                raise DescriptionError(f"{c!r} is not a party of the convention", path=self.path,
                                       key=f"{where}.{key}", reason=("desc-not-party", c))
        return codes


_FRENCH_MONTHS = {name: k for k, names in enumerate(
    (("janvier",), ("fevrier", "février"), ("mars",), ("avril",), ("mai",), ("juin",),
     ("juillet",), ("aout", "août"), ("septembre",), ("octobre",), ("novembre",),
     ("decembre", "décembre")), start=1) for name in names}
_WORDED_DATE = re.compile(r"(\d{1,2})(?:er)?\s+(\w+)\s+(\d{4})")
_NUMERIC_DATE = re.compile(r"(\d{4})-(\d{2})-(\d{2})|(\d{1,2})[/.](\d{1,2})[/.](\d{4})")


def _spelled_date(text: str) -> _dt.date | None:
    """The day a date written as text means, as a French text writes it ("15 mars 2010",
    "1er décembre 2009", "02/12/2009", day first) or ISO in quotes ("2010-03-15"); None for
    anything else or a day that does not exist."""
    text = " ".join(text.split()).casefold()
    m = _WORDED_DATE.fullmatch(text)
    try:
        if m and m.group(2) in _FRENCH_MONTHS:
            return _dt.date(int(m.group(3)), _FRENCH_MONTHS[m.group(2)], int(m.group(1)))
        m = _NUMERIC_DATE.fullmatch(text)
        if m and m.group(1):
            return _dt.date(int(m.group(1)), int(m.group(2)), int(m.group(3)))
        if m:
            return _dt.date(int(m.group(6)), int(m.group(5)), int(m.group(4)))
    except ValueError:   # "31 février 2010": no such day, no suggestion
        return None
    return None


_TOML_PLACE = re.compile(r"\(at line (\d+), column (\d+)\)")
# tomllib's place in its message, said apart (file:line:column) when the reason is worded
_TOML_AT = re.compile(r"\(at (?:line \d+, column \d+|end of document)\)")


def _description_path(path: Any) -> Any:
    """``os.fspath(path)``, or an :class:`ArgumentTypeError` naming what was given instead:
    open()'s TypeError escaped ("expected str, bytes or os.PathLike object, not int")."""
    if not isinstance(path, (str, bytes, os.PathLike)):
        raise ArgumentTypeError(f"load reads a description file's path, not "
                                f"{type(path).__name__} {path!r:.40}")
    return os.fspath(path)


def load(path: str | os.PathLike[str]) -> Convention:
    """A convention from a description file (TOML); its plan files are read relative to it.

    A bad description raises :class:`essconv.DescriptionError` naming the file, the key and
    what was expected, and the line and column of the key (or of a TOML syntax error) where
    the file writes it.

    Example: ``essconv.load("bretagne.toml").plan(2021).total()``
    """
    path = _description_path(path)
    with open(path, "rb") as fh:
        raw = fh.read()
    try:
        # a UTF-8 byte order mark (Notepad, Excel's "CSV UTF-8" habit) is no statement: tomllib
        # refused the whole file at 1:1 as "Invalid statement"
        data = tomllib.loads(raw.decode("utf-8").removeprefix("\ufeff"))
    except UnicodeDecodeError as exc:
        line = raw.count(b"\n", 0, exc.start) + 1
        column = exc.start - (raw.rfind(b"\n", 0, exc.start) + 1) + 1
        # the English said nothing of what to do (the French did): the character the byte
        # is in CP1252 (Excel's and Notepad's "ANSI") tells the analyst which one, and how
        # the file was saved
        try:
            ansi = raw[exc.start:exc.start + 1].decode("cp1252")
        except UnicodeDecodeError:
            ansi = ""
        if raw[:2] in (b"\xff\xfe", b"\xfe\xff"):   # UTF-16 ("Unicode" in Notepad): no ANSI
            ansi = ""
        seen = f"{ansi!r} in CP1252, Windows' ANSI; " if ansi.isprintable() and ansi else ""
        raise DescriptionError(f"byte 0x{raw[exc.start]:02X} is not UTF-8 ({seen}a description "
                               f"is UTF-8 text: save the file as UTF-8)", path=path, line=line,
                               column=column,
                               reason=("desc-not-utf8", raw[exc.start], ansi if seen else "")
                               ) from None
    except RecursionError:
        raise _too_deep(raw, path) from None
    except tomllib.TOMLDecodeError as exc:
        twice = _given_twice(raw.decode("utf-8").removeprefix("\ufeff"), str(exc), path)
        if twice is not None:
            raise twice from None
        m = _TOML_PLACE.search(str(exc))
        if m:
            line, col = int(m.group(1)), int(m.group(2))
        else:   # "at end of document": the place is the end of the text
            text = raw.decode("utf-8", "replace")
            line, col = text.count("\n") + 1, len(text) - (text.rfind("\n") + 1) + 1
        lines = raw.decode("utf-8", "replace").removeprefix("\ufeff").split("\n")
        hint = _toml_hint(lines[line - 1] if 1 <= line <= len(lines) else "", str(exc))
        said = f"not valid TOML: {exc}" + (f"; {hint[1]}" if hint else "")
        raise DescriptionError(said, path=path, line=line, column=col,
                               reason=("desc-toml", _TOML_AT.sub("", str(exc)).strip())
                               + (hint if hint else ())) from None
    try:
        return Convention(read(data, path=path, plan_dir=Path(path).parent,
                               text=raw.decode("utf-8").removeprefix("\ufeff")))
    except DescriptionError as exc:
        _place_key(exc, path, raw)
        raise


def _place_key(exc: DescriptionError, path: str, raw: bytes) -> None:
    """A refusal naming a key of the description gets the key's line and column (tomllib
    keeps none): file:line:column, as every other essconv error.  A key not written in the
    file (one missing) or one the text gives twice keeps its key path alone."""
    if exc.line or not exc.key or exc.path != path:
        return
    found = place_of(raw.decode("utf-8").removeprefix("\ufeff"), exc.key)
    if found:
        exc.line, exc.column = found


_ASSIGNMENT = re.compile(r"^\s*([A-Za-z0-9_.\-\"' ]+?)\s*=")
_UNQUOTED = re.compile(r"^\s*([A-Za-z0-9_.\-\"' ]+?)\s*=\s*(.*?)\s*(?:#.*)?$")


def _toml_hint(line: str, said: str) -> tuple[str, str] | None:
    """What to write, for the TOML mistakes an analyst makes editing a description by hand
    (tomllib says "Invalid value" or "Illegal character '\\n'", nothing of the fix): a text
    left unquoted (`territory = Picardie`), a number written the French way (`12,5`,
    `1 000`), a string not closed on its line.  ``(kind, English)``, or None."""
    m = _UNQUOTED.match(line)
    if not m:
        return None
    key, value = m.group(1).strip(), m.group(2)
    if said.startswith("Illegal character '\\n'") and value.count('"') % 2 == 1:
        return ("unclosed", 'the string is not closed on its line: end it with " (or write '
                            'a text of several lines between """ and """)')
    if said.startswith("Invalid value") and value.casefold() in (
            "oui", "non", "vrai", "faux", "yes", "no", "true", "false"):
        return ("boolean", f"yes or no is written true or false, in lowercase without quotes: "
                           f"write {key} = true")
    if said.startswith("Invalid value") and value[:1].isalpha() and value not in (
            "true", "false", "inf", "nan"):
        return ("unquoted", f"a text is written between quotes: write {key} = "
                            f"{json.dumps(value, ensure_ascii=False)}")
    if said.startswith("Expected newline") and re.fullmatch(r"[-+]?\d[\d  ]*(,\d+)?", value) \
            and ("," in value or " " in value):
        return ("french-number", f"an amount or a percentage with a comma or spaces is "
                                 f"written between quotes, as text (a count is a whole number "
                                 f"without spaces): write {key} = "
                                 f"{json.dumps(value, ensure_ascii=False)}")
    return None


_HEADER = re.compile(r"^\s*(\[\[?)\s*([^\[\]#]+?)\s*\]\]?\s*(?:#.*)?$")


def _given_twice(text: str, said: str, path: str) -> DescriptionError | None:
    """tomllib's "Cannot overwrite a value" (a key given twice) and "Cannot declare ('x',)
    twice" (a table declared twice) named neither the key nor its first line, and placed the
    error past the value: the refusal names the key or table, where it is given again, where
    it was first, and to keep one.  None when the text does not show which (a dotted or
    inline key), the reader's own message kept then."""
    m = _TOML_PLACE.search(said)
    if not m or not ("Cannot overwrite a value" in said or
                     re.search(r"Cannot declare \(.*\) twice", said)):
        return None
    lines = text.split("\n")
    number = int(m.group(1))
    if not 1 <= number <= len(lines):
        return None
    line = lines[number - 1]
    header = _HEADER.match(line)
    if header and header.group(1) == "[":   # [convention] a second time
        name = "".join(header.group(2).split())
        first = next((k for k in range(1, number) if (h := _HEADER.match(lines[k - 1]))
                      and h.group(1) == "[" and "".join(h.group(2).split()) == name), 0)
        if not first:
            return None
        return DescriptionError(f"the table [{name}] is declared twice (first at line {first}): "
                                f"write its keys under one [{name}]", path=path, key=name,
                                line=number, column=line.index("[") + 1,
                                reason=("desc-table-twice", name, first))
    assignment = _ASSIGNMENT.match(line)
    if not assignment or header:
        return None
    key = assignment.group(1).strip()
    table, first = "", 0
    for k in range(number - 1, 0, -1):   # back to the table's header, looking for the key
        h = _HEADER.match(lines[k - 1])
        if h:
            table = f"{h.group(1)}{''.join(h.group(2).split())}{h.group(1).replace('[', ']')}"
            break
        earlier = _ASSIGNMENT.match(lines[k - 1])
        if earlier and earlier.group(1).strip() == key:
            first = k
    if not first:
        return None
    return DescriptionError(f"the key {key!r} is given twice in {table or 'the top level'} "
                            f"(first at line {first}): keep one of them", path=path,
                            key=key, line=number, column=line.index(key) + 1,
                            reason=("desc-key-twice", key, table, first))


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
                                        path=path, key=key, line=number, column=column,
                                        reason=("desc-too-deep", key_line))
    return DescriptionError("values nested too deep for the TOML reader", path=path, key=key,
                            reason=("desc-too-deep", 0))


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
    where = f"essconv/data/{DEFAULT_DESCRIPTION}"
    return Convention(read(_default_data(), path=where,
                           plan_dir=resources.files("essconv").joinpath("data"),
                           plan_names="essconv/data"))


__all__ = ["DEFAULT_DESCRIPTION", "default", "load", "read"]
