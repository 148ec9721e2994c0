"""What a convention's text gets wrong about itself: ``Convention.check()``.

A plan's validation holds a table to its totals; these checks hold the rest of the document
to its own word, with the same :class:`~essconv.findings.Finding` and :class:`~essconv.findings.Report`
types.  Every input is something any description can declare (a stated ``duration_years``, the key
figures' shares, other ``[[shares]]``, the ``table_of_contents`` beside the ``articles``, the ``[[annexes]]``, the
``[[referred_bodies]]``, the signatories and the plans), so another convention gets the same
scrutiny; a description that declares no fault gets no finding.

A finding of the document is an ``error`` when the text contradicts itself (a table of contents
that is not the body's, two annexes of one title) and a ``warning`` when something is missing
or may have an innocent reading (shares short of 100 % that may leave a family out, a body
never defined, a signatory with no column of its own).  Money is never moved: a probable
reading is shown beside what is printed.
"""
from __future__ import annotations

import datetime as _dt
import re
import unicodedata
from dataclasses import replace
from decimal import Decimal
from typing import Iterator

from .messages import Language, language
from .findings import Finding, Report

# Below the convention: the convention it checks is read, never imported (it is the floor above).

HUNDRED = Decimal(100)
_ARTICLE = re.compile(r"^\s*article\s+(\d+)\s*[:\-–—]?\s*(.*?)\s*$", re.IGNORECASE)


def check_convention(conv: "Convention", lang: str = "en") -> Report:
    """The document's faults, their messages in ``lang`` (English for the Python API, like a
    plan's findings; the report and the dashboard ask for the committee's language)."""
    chosen = language(lang).code   # an unknown language is refused as before

    def worded(t: Language) -> list[Finding]:
        return [*_duration(conv, t), *_after_the_term(conv, t), *_shares(conv, t),
                *_table_of_contents(conv, t),
                *_annexes(conv, t), *_undefined_bodies(conv, t),
                *_signatories_without_column(conv, t), *_groups_spelled_apart(conv, t)]

    # each finding carries both wordings: its display (a notebook's, the report's) speaks the
    # display's language, French by default as a plan's report, whatever ``lang`` chose
    by_lang = {code: worded(language(code)) for code in ("fr", "en")}
    findings = [replace(f, wording={code: by_lang[code][k].message for code in by_lang})
                for k, f in enumerate(by_lang[chosen])]
    findings.sort(key=lambda f: f.severity != "error")   # errors first, as a plan's report
    return Report(findings)


def _plain(text: str) -> str:
    """Titles compare without accents, case or spacing ("DUREE" is "Durée")."""
    bare = unicodedata.normalize("NFD", text).encode("ascii", "ignore").decode()
    return " ".join(bare.casefold().split())


# typographic apostrophes and dashes (a word processor's) against the keyboard's
_TYPOGRAPHY = str.maketrans({"\u2019": "'", "\u2018": "'", "\u02bc": "'", "\u2010": "-",
                             "\u2011": "-", "\u2013": "-", "\u2014": "-"})


def _group_key(label: str) -> str:
    """A plan group's label as an axis's ``plan_groups`` is compared with it here: without
    accents, case, spacing, or the typography of its apostrophes and dashes."""
    return _plain(label.translate(_TYPOGRAPHY))


def _finding(conv: "Convention", code: str, severity: str, message: str, **kw) -> Finding:
    return Finding(code=code, severity=severity, message=message, path=conv.path, **kw)


def _duration(conv: "Convention", t: Language) -> Iterator[Finding]:
    """A stated duration in years that the term's dates do not span."""
    if conv.duration_years is None:
        return
    n, start = conv.duration_years, conv.start
    try:
        anniversary = start.replace(year=start.year + n)
    except ValueError:          # from 29 February to a year that has none
        anniversary = _dt.date(start.year + n, 3, 1)
    last_day = anniversary - _dt.timedelta(days=1)   # both ends of the term are included
    if conv.end != last_day:
        yield _finding(conv, "term-duration", "error",
                       # "1 an" / "1 year": the term's own words count it (span_year_one)
                       t.say(f"Le texte annonce une durée de {t.text('span_year', count=n)}, "
                             f"qui depuis le {t.date(start)} s'achève le {t.date(last_day)} ; la convention court "
                             f"jusqu'au {t.date(conv.end)}.",
                             f"The text states a duration of {t.text('span_year', count=n)}, "
                             f"which from {t.date(start)} ends on {t.date(last_day)}; the term ends on "
                             f"{t.date(conv.end)}."), expected=Decimal(n),
                       source=conv.sources.get("duration_years"))


def _after_the_term(conv: "Convention", t: Language) -> Iterator[Finding]:
    """A signature or a governance milestone dated after the term's last day, or a milestone
    wholly before its first.

    A convention signed after it ended was never in force once signed: the text contradicts
    itself (most often a year mistyped), an error.  A milestone after the end is owed by
    bodies that no longer exist, unless the text means a final evaluation: a warning.  A
    milestone the text dates only by its month or year counts from its first possible day,
    so "2013" for a term ending in June 2013 is not said to be after it.
    """
    if conv.signed_on is not None and conv.signed_on > conv.end:
        yield _finding(conv, "signed-after-term", "error",
                       t.say(f"La convention est signée le {t.date(conv.signed_on)}, après la "
                             f"fin de sa durée le {t.date(conv.end)} : elle n'aurait jamais "
                             f"été en vigueur une fois signée.",
                             f"The convention is signed on {t.date(conv.signed_on)}, after its "
                             f"term ends on {t.date(conv.end)}: it would never have been in "
                             f"force once signed."),
                       source=conv.sources.get("signed_on"))
    for m in conv.milestones:
        if (m.until or m.date) < conv.start:
            # wholly before the term: the calendar and the .ics, which lay the term's years,
            # never showed it
            yield _finding(conv, "milestone-before-term", "warning",
                           t.say(f"L'échéance {t.quote(m.label)} ({t.when(m)}) tombe avant le "
                                 f"début de la convention le {t.date(conv.start)} : le calendrier "
                                 f"ne la montre pas.",
                                 f"The milestone {t.quote(m.label_in('en'))} ({t.when(m)}) falls "
                                 f"before the convention's term starts on {t.date(conv.start)}: "
                                 f"the calendar does not show it."),
                           line=m.label, source=m.source)
        if m.last_day > conv.end:
            # a period given to the day that starts within the term but ends past it is
            # owed in part by bodies that no longer exist, as much as one wholly after it
            runs_past = m.date <= conv.end
            yield _finding(conv, "milestone-after-term", "warning",
                           t.say(f"L'échéance {t.quote(m.label)} ({t.when(m)}) "
                                 + ("s'achève" if runs_past else "tombe")
                                 + f" après la fin de la convention le {t.date(conv.end)} : "
                                 f"ses instances n'existent plus.",
                                 f"The milestone {t.quote(m.label_in('en'))} ({t.when(m)}) "
                                 + ("ends" if runs_past else "falls")
                                 + f" after the convention's term ends on {t.date(conv.end)}: "
                                 f"its bodies no longer exist."),
                           line=m.label, source=m.source)



def _shares(conv: "Convention", t: Language) -> Iterator[Finding]:
    declared = []
    kf = conv.key_figures
    if kf is not None:
        for key, what in (("establishments_by_family_percent", ("établissements", "establishments")),
                          ("jobs_by_family_percent", ("emplois", "jobs"))):
            parts = getattr(kf, key)
            if parts:
                label = t.say(f"des {what[0]} par famille", f"{what[1]} by family")
                declared.append((label, label, parts, kf.sources.get(key)))
    # a description's own label is the text's words, in French: an English sentence quotes it
    declared += [(label, t.say(label, t.quote(label)), parts, source)
                 for label, parts, source in conv.shares]
    for label, said, parts, source in declared:
        total = sum(parts.values(), Decimal(0))
        if total == HUNDRED:
            continue
        # the families are the text's words too ("coopératives"): quoted in English
        listed = " + ".join(f"{t.percent(v)} ({t.say(k, t.quote(k))})" for k, v in parts.items())
        gap = abs(HUNDRED - total)
        # the gap in the output's own decimals ("0,1 point", not "0.1 points", in French: a
        # number under 2 takes the singular there)
        points = (f"{str(gap).replace('.', t.decimal)} {'point' if gap < 2 else 'points'}",
                  f"{gap} {'point' if gap == 1 else 'points'}")
        yield _finding(conv, "shares-sum", "warning",
                       t.say(f"Les parts {said} totalisent {t.percent(total)} ({listed}), soit "
                             f"{points[0]} {'de moins' if total < HUNDRED else 'de plus'} que "
                             f"{t.percent(HUNDRED)} : une famille que le texte ne nomme pas, ou un chiffre faux.",
                             f"The shares of {said} add up to {t.percent(total)} ({listed}), "
                             f"{points[1]} {'short of' if total < HUNDRED else 'over'} {t.percent(HUNDRED)}: a "
                             f"family the text does not name, or a wrong figure."),
                       line=label, expected=HUNDRED, actual=total, source=source)


def _articles(texts) -> list[tuple[int, str, str]]:
    out = []
    for t in texts:
        m = _ARTICLE.match(t)
        if m:
            out.append((int(m.group(1)), m.group(2), str(t)))
    return out


def _quote_of_article(source: "Source | None", number: int) -> "Source | None":
    """The one quoted heading of article ``number`` in a source that quotes several, so a
    finding cites only the words it is about."""
    if source is None:
        return None
    for quote in source.quotes:
        m = _ARTICLE.match(quote)
        if m and int(m.group(1)) == number:
            return replace(source, quotes=(quote,))
    return source


def _table_of_contents(conv: "Convention", t: Language) -> Iterator[Finding]:
    if not conv.table_of_contents or not conv.articles:
        return
    source = conv.sources.get("table_of_contents")
    listed, body = _articles(conv.table_of_contents), _articles(conv.articles)
    if len(listed) != len(body):
        yield _finding(conv, "toc-mismatch", "error",
                       t.say(f"Le sommaire compte {len(listed)} articles ; le corps du texte en "
                             f"a {len(body)}.",
                             f"The table of contents lists {len(listed)} articles; the body has "
                             f"{len(body)}."), expected=Decimal(len(body)), actual=Decimal(len(listed)),
                       source=source)

    def same(toc_title: str, body_title: str) -> bool:
        # the contents may shorten a title ("STRATEGIE" for "Stratégie et moyens")
        a, b = _plain(toc_title), _plain(body_title)
        return a == b or b.startswith(a + " ")

    matched_body: set[int] = set()
    mentioned: set[int] = set()
    body_titles = {n: title for n, title, _ in body}
    for number, title, printed in listed:
        hit = next((n for n, t, _ in body if same(title, t) and n not in matched_body), None)
        if hit is None:
            theirs = (t.say(f" (son article {number} est {t.quote(body_titles[number])})",
                            f" (its article {number} is {t.quote(body_titles[number])})")
                      if number in body_titles else "")
            yield _finding(conv, "toc-mismatch", "error",
                           t.say(f"Le sommaire annonce {t.quote(printed)}, que le corps du texte ne "
                                 f"contient pas{theirs}.",
                                 f"The table of contents lists {t.quote(printed)}, which the body "
                                 f"does not contain{theirs}."), line=printed,
                           source=_quote_of_article(source, number))
            mentioned.add(number)   # its body article is named here: not reported again
            continue
        matched_body.add(hit)
        if hit != number:
            yield _finding(conv, "toc-mismatch", "error",
                           t.say(f"{t.quote(title)} est l'article {number} au sommaire et "
                                 f"l'article {hit} dans le corps du texte.",
                                 f"{t.quote(title)} is article {number} in the table of contents "
                                 f"and article {hit} in the body."), line=printed,
                           expected=Decimal(hit), actual=Decimal(number),
                           source=_quote_of_article(source, number))
    for number, title, printed in body:
        if number not in matched_body and number not in mentioned:
            yield _finding(conv, "toc-mismatch", "error",
                           t.say(f"{t.quote(printed)}, dans le corps du texte, n'est pas au sommaire.",
                                 f"The body's {t.quote(printed)} is not in the table of contents."),
                           line=printed,
                           source=_quote_of_article(conv.sources.get("articles"), number))


def _annexes(conv: "Convention", t: Language) -> Iterator[Finding]:
    seen: dict[str, list[int]] = {}
    for k, title in enumerate(conv.annexes):
        seen.setdefault(_plain(title), []).append(k)
    for indexes in seen.values():
        if len(indexes) < 2:
            continue
        title = conv.annexes[indexes[0]]
        # the separator in the output's language: the English sentence had a French " ; "
        about = t.say(" ; ", "; ").join(t.quote(conv.annex_subjects[k]) for k in indexes
                                        if conv.annex_subjects[k])
        yield _finding(conv, "duplicate-annex-title", "error",
                       t.say(f"{len(indexes)} annexes s'intitulent {t.quote(title)}"
                             + (f" : {about}" if about else "") + " ; y renvoyer est ambigu.",
                             f"{len(indexes)} annexes are titled {t.quote(title)}"
                             + (f": {about}" if about else "") + "; a reference to it is ambiguous."),
                       line=str(title), source=title.source)


def _undefined_bodies(conv: "Convention", t: Language) -> Iterator[Finding]:
    defined = {_plain(n) for b in conv.bodies for n in (b.name, b.short_name)}
    # no body at all: said so, not an empty list « (ses instances : ) »
    bodies = (t.say(f"ses instances : {', '.join(b.short_name for b in conv.bodies)}",
                    f"its bodies: {', '.join(b.short_name_in('en') for b in conv.bodies)}")
              if conv.bodies else t.say("il ne définit aucune instance", "it defines no body"))
    for name in conv.referred_bodies:
        if _plain(name) not in defined:
            yield _finding(conv, "undefined-body", "warning",
                           t.say(f"Le texte s'appuie sur un {t.quote(name)} qu'il ne définit "
                                 f"jamais ({bodies}).",
                                 f"The text relies on a {t.quote(name.in_lang('en'))}"
                                 + (f" ({t.quote(name)} in the text)" if name.english else "")
                                 + f" that it never defines ({bodies})."),
                           line=str(name), source=name.source)


def _column_sum(plan: "Plan", column: str, t: Language) -> "tuple[Decimal | None, str]":
    """A column's sum and its words, or no sum and its overflow in words: summed for every
    plan, a column past int64 cents refused the whole check (and the dashboard with it)."""
    from .errors import MoneyOverflowError
    try:
        held = plan.by_funder()[column]
    except MoneyOverflowError as exc:
        return None, t.beyond_cents(exc.below)
    return held, t.amount(held, plan.unit)


def _signatories_without_column(conv: "Convention", t: Language) -> Iterator[Finding]:
    for year, plan in conv.plans.items():
        present = {conv.party_of(f).code for f in plan.funders if conv.party_of(f) is not None}
        readings = {party.code: column for column, party in conv.probable_readings(year).items()}
        for party in conv.signatories:
            if party.code in present:
                continue
            column = readings.get(party.code)
            message = t.say(f"{party.code} ({party.name}) a signé la convention mais n'a pas de "
                            f"colonne dans le plan {year}",
                            f"{party.code} ({party.name}) signed the convention but has no column "
                            f"in the {year} plan")
            if column is not None:
                actual, held = _column_sum(plan, column, t)
                message += t.say(f" ; la colonne {t.quote(column)} ({held}), qu'aucune partie ne "
                                 f"porte, la désigne probablement. Les montants restent sous "
                                 f"{t.quote(column)}, comme imprimés.",
                                 f"; the column {t.quote(column)} ({held}), which no party bears, "
                                 f"probably stands for it. The amounts stay under "
                                 f"{t.quote(column)} as printed.")
            else:
                actual = None
                message += "."
            yield Finding(code="signatory-without-column", severity="warning", message=message,
                          funder=column, target=party.code, path=plan.path,
                          actual=actual,
                          source=party.source)


def _groups_spelled_apart(conv: "Convention", t: Language) -> Iterator[Finding]:
    """A plan's group of lines that an axis claims under another spelling ("Creation" in the
    plan, "Création" in ``plan_groups``; a case, a space, an apostrophe ’ for ').  The axis key
    is the exact label, so its lines were summed outside their axis without a word.  The money
    stays under the printed group (a reading, as for a column): the finding names the axis
    and the amount left outside it, and the description or the plan is to be corrected."""
    by_key: dict[str, list[tuple[int, str]]] = {}
    for axis in conv.axes:
        for group in axis.plan_groups:
            by_key.setdefault(_group_key(group), []).append((axis.number, group))
    for year, plan in conv.plans.items():
        sums = plan.by_axis()
        for group in plan.axes:
            if conv.axis_for(group) is not None:
                continue
            claimed = by_key.get(_group_key(group))
            if not claimed:
                continue
            held = t.amount(sums[group], plan.unit)
            axes = t.say(" ou ", " or ").join(
                t.say(f"l'axe {n} ({t.quote(spelled)})", f"axis {n} ({t.quote(spelled)})")
                for n, spelled in claimed)
            yield Finding(code="axis-group-spelling", severity="warning",
                          message=t.say(
                              f"Le groupe {t.quote(group)} du plan {year} est écrit autrement "
                              f"par {axes} : ses lignes ({held}) ne sont comptées dans aucun "
                              f"axe. Corrigez l'une des deux écritures.",
                              f"The group {t.quote(group)} of the {year} plan is spelled "
                              f"differently by {axes}: its lines ({held}) count in no axis. "
                              f"Correct one of the two spellings."),
                          group=group, path=plan.path, actual=sums[group],
                          target=f"Axe {claimed[0][0]}", source=plan.source)
