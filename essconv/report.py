"""The main job: a report on a convention and its plans, as text or as JSON.

    $ python -m essconv            # the embedded 2009–2013 convention
    $ python -m essconv --format json
    $ python -m essconv --lang en    # in English; French by default
"""
from __future__ import annotations

import datetime as _dt
import json
import re
import unicodedata
from decimal import Decimal
from typing import Any

from .convention import Convention, checked_day
from .messages import Language, language, read_line, view_label
from .plan import Plan


def build(conv: Convention, today: _dt.date | None = None, lang: str = "fr") -> dict[str, Any]:
    """The report's content, JSON-ready (amounts as exact strings; shares and messages in
    ``lang``, 'fr' or 'en')."""
    # a str or a year as "today" escaped as a bare AttributeError
    today = _dt.date.today() if today is None else checked_day(today, "today")
    words = language(lang)
    plans = {}
    for year, plan in conv.plans.items():
        report = plan.validate(conv)
        total = plan.total()
        # each share rounded on its own (equal amounts, equal shares); a breakdown whose shares
        # do not add up to 100,0 % carries the footnote that says so
        funders, parties = plan.by_funder(), plan.by_party(conv)
        axes = [*plan.by_axis().items(), *((None, v) for v in _under_no_axis(plan))]
        funder_share = dict(zip(funders, words.shares(list(funders.values()), total)))
        party_share = dict(zip(parties, words.shares(list(parties.values()), total)))
        axis_share = words.shares([v for _g, v in axes], total)
        footnotes = {"by_funder": words.shares_footnote(list(funders.values()), total),
                     "by_party": words.shares_footnote(list(parties.values()), total),
                     "by_axis": words.shares_footnote([v for _g, v in axes], total)}
        stated_f = plan.stated_funder_totals
        readings = conv.probable_readings(year)
        plans[str(year)] = {
            "title": conv.plan_titles.get(year, f"Plan {year}"),
            "unit": plan.unit,
            "table": plan.to_dict(),
            "computed_total": str(total),
            "stated_total": None if plan.stated_total is None else str(plan.stated_total),
            "by_funder": [{"funder": f, "party": (conv.party_of(f).code if conv.party_of(f) else None),
                           "computed": str(v), "stated": None if stated_f[f] is None else str(stated_f[f]),
                           "share_percent": funder_share[f]} for f, v in funders.items()],
            "by_party": [{"party": p,
                          "name": conv.party(p).name if conv.party_of(p) else words.text("not_a_party"),
                          "signatory": bool(conv.party_of(p) and conv.party(p).signatory),
                          "probable_party": (readings[p].code if p in readings else None),
                          "computed": str(v), "share_percent": party_share[p]}
                         for p, v in parties.items()],
            "by_axis": [{"axis": (conv.axis_for(g).number if g is not None and conv.axis_for(g)
                                  else None),
                         "label": g, "computed": str(v), "share_percent": share}
                        for (g, v), share in zip(axes, axis_share)],
            # each breakdown's footnote when its shares do not add up to 100,0 %, else None
            "shares_footnotes": footnotes,
            "ok": report.ok,
            "empty": not plan.lines,   # a header and no line: "ok" holds of nothing
            "findings": [f.to_dict(words.finding(f, plan, conv)) for f in report],
        }
    return {
        "title": conv.title, "territory": conv.territory,
        "term": {"start": conv.start.isoformat(), "end": conv.end.isoformat(), "years": conv.years},
        "signed": {"on": conv.signed_on.isoformat() if conv.signed_on else None, "at": conv.signed_at},
        "active_today": conv.is_active(today), "today": today.isoformat(),
        "parties": [{"code": p.code, "name": p.name, "kind": p.kind, "signatory": p.signatory,
                     "parent": p.parent.code if p.parent else None} for p in conv.parties],
        "axes": [{"number": a.number, "title": a.title, "means": [m.text for m in a.means],
                  "plan_groups": list(a.plan_groups)} for a in conv.axes],
        # a body's name in the output's language, and as the text prints it (milestones' way)
        "bodies": [{"name": b.name_in(words.code), "as_printed": b.name,
                    "meetings_per_year": b.meetings_per_year,
                    "members": list(b.members_in(words.code)),
                    "roles": list(b.roles_in(words.code)),
                    "secretariat": b.secretariat.code if b.secretariat else None} for b in conv.bodies],
        "milestones": [{"date": m.date.isoformat(), "until": m.until.isoformat() if m.until else None,
                        "precision": m.precision, "as_printed": m.when,
                        "label": m.label_in(words.code), "past": (m.until or m.date) < today}
                       for m in conv.milestones],
        "meetings_from": conv.meetings_from.isoformat(),
        "instruments": [{"code": i.code, "supported_by_text": list(i.supported_by),
                         "funded_in_plans": {str(y): {f: str(v) for f, v in row.items()}
                                             for y, row in conv.funded_in_plans(i.code).items()}}
                        for i in conv.instruments],
        "plans": plans,
        "document_findings": [_finding_json(f, lang) for f in conv.check(lang=lang)],
    }


def render_text(conv: Convention, today: _dt.date | None = None, lang: str = "fr") -> str:
    """The report as text, wholly in ``lang``: 'fr' (the default) or 'en'."""
    # a str or a year as "today" escaped as a bare AttributeError
    today = _dt.date.today() if today is None else checked_day(today, "today")
    t = language(lang)
    out: list[str] = []
    w = out.append
    w(conv.title)
    w("=" * min(len(conv.title), 100))
    count, unit = conv.term_length()
    signature = (("territory" if conv.signed_at else "territory_no_place") if conv.signed_on
                 else "territory_unsigned")
    w(t.text(signature, territory=conv.territory, start=t.date(conv.start),
             end=t.date(conv.end), span=t.text(f"span_{unit}", count=count), at=conv.signed_at,
             on=t.date(conv.signed_on) if conv.signed_on else None))
    w(t.text("in_force", today=t.date(today), answer=t.text("yes" if conv.is_active(today) else "no")))
    w("")
    w(t.text("parties"))
    for p in conv.parties:
        semi = t.say(" ; ", "; ")   # French sets a narrow space before ';'
        role = (f"{semi}{t.text('signatory_role')}" if p.signatory
                else (f"{semi}{t.text('service_of', parent=p.parent.code)}" if p.parent else ""))
        w(f"  {p.code:<12} {p.name}  [{t.kind(p.kind)}{role}]")
    w("")
    w(t.text("axes", where=cited_article(a.source for a in conv.axes)))
    for a in conv.axes:
        w(f"  {a.number}. {a.title}  ({t.text('means', count=len(a.means))})")
    w("")
    w(t.text("governance", where=cited_article(b.source for b in conv.bodies)))
    colon = t.colon
    for b in conv.bodies:
        sec = (f"{t.say(' ; ', '; ')}{t.text('secretariat', who=b.secretariat.code)}"
               if b.secretariat else "")
        # where the report introduces the bodies, an English one keeps the text's French name
        w(f"  {b.introduced_in(t.code)}{colon}{t.text('meetings_a_year', count=b.meetings_per_year)}{sec}")
    upcoming = conv.next_milestones(today)
    w(t.text("milestones" if upcoming else "milestones_past"))
    # the dates in one column, a space after the longest mark: French "  prochain →" filled
    # the 12 columns and ran into its date ("prochain →01/10/2022")
    width = max(12, len(t.text("next")) + 3)
    for m in conv.milestones:
        mark = f"  {t.text('next')}" if upcoming and m == upcoming[0] else ""
        w(f"{mark:<{width}}{t.when(m)}{colon}{m.label_in(t.code)}")
    out += document_block(conv, t)
    for year, plan in conv.plans.items():
        report = plan.validate(conv)

        def k(value: Decimal | None) -> str:
            return t.number(value, plan.unit) if value is not None else "—"

        def column(values: list[Decimal | None]) -> list[str]:
            # the figures of one column with one number of decimals, its Total row included
            # (euros: "2 200,25" over "1 000,00", never "1 000"), as the plan's table above
            shown = iter(t.column([v for v in values if v is not None], plan.unit,
                                  with_unit=False))
            return ["—" if v is None else next(shown) for v in values]

        w("")
        w(conv.plan_titles.get(year, t.text("plan", year=year)))
        w("-" * 60)
        out.extend(_plan_block(plan, report, lang, conv).split("\n"))   # a table of lines
        total = plan.total()
        w("")
        w(t.text("by_funder", unit=plan.unit))
        stated = plan.stated_funder_totals
        # a total not stated (no Total row, "—") or unreadable differs from nothing: its
        # absence is no mismatch, and an unreadable one has its own finding
        funders = plan.by_funder()   # shares each rounded on its own: equal amounts, equal shares
        computed = column([*funders.values(), total])
        said = column([*(stated[f] for f in funders), plan.stated_total])
        for (f, v), share, c, s in zip(funders.items(), t.shares(list(funders.values()), total),
                                       computed, said):
            flag = "" if stated[f] in (None, v) else f"   {t.text('differs')}"
            w(f"  {view_label(f):<12} {c:>8}  / {s:>8}  {share:>7}{flag}")   # 10 000 characters cut
        gflag = "" if plan.stated_total in (None, total) else f"   {t.text('differs')}"
        w(f"  {'Total':<12} {computed[-1]:>8}  / {said[-1]:>8}{gflag}")
        if any(stated[f] is None for f in funders) or plan.stated_total is None:
            # a "—" printed above in the stated column: said once, under its Total
            w(f"  {t.text('stated_none_legend')}")
        _footnote(w, t.shares_footnote(list(funders.values()), total))
        w("")
        w(t.text("by_party", unit=plan.unit))
        readings = conv.probable_readings(year)
        parties = plan.by_party(conv)
        party_shares = t.shares(list(parties.values()), total)
        for (p, v), share, shown_v in zip(parties.items(), party_shares,
                                          column(list(parties.values()))):
            party = conv.party_of(p)
            tag = (t.text("signatory_role") if party and party.signatory
                   else t.text("co_financer") if party else t.text("not_a_party"))
            if p in readings:   # a reading beside the printed column; the money stays there
                tag += f"{t.say(' ; ', '; ')}{t.text('probably', code=readings[p].code)}"
            w(f"  {view_label(p):<12} {shown_v:>8}  {share:>7}  [{tag}]")
        _footnote(w, t.shares_footnote(list(parties.values()), total))
        w("")
        w(t.text("by_axis", unit=plan.unit))
        axes = [*plan.by_axis().items(), *((None, v) for v in _under_no_axis(plan))]
        for (g, v), share, shown_v in zip(axes, t.shares([v for _g, v in axes], total),
                                          column([v for _g, v in axes])):
            axis = conv.axis_for(g) if g is not None else None
            name = (f"{axis.number}. {g}" if axis else g if g is not None
                    else t.text("no_axis") if plan.axes else "Total")   # as the dashboard's bar
            w(f"  {view_label(name):<48} {shown_v:>8}  {share:>7}")   # an axis of 10 000 characters cut
        _footnote(w, t.shares_footnote([v for _g, v in axes], total))
        if not axes:   # no line, so no axis: an empty section read as a section left out
            w(f"  {t.text('by_axis_none')}")
        if total == 0:   # every share above printed "—": said once, under the last of them
            w(f"  {t.text('share_of_zero_legend')}")
        w("")
        w(t.text("findings", errors=t.count(len(report.errors), "error"),
                 warnings=t.count(len(report.warnings), "warning"),
                 suggestions=t.count(len(report.suggestions), "info")))
        if not plan.lines:   # nothing read is nothing to say "consistent" of
            w(f"  {t.text('plan_empty')}")
        elif not len(report):
            w(f"  {t.text('no_finding')}")
        for f in report:
            place = (f" [{t.text('place', line=f.source_line, column=f.source_column)}]"
                     if f.source_line else "")
            rank = f" #{f.rank}" if f.rank else ""
            w(f"  {t.severity(f.severity):<13} {f.code}{rank}{colon}{t.finding(f, plan, conv)}{place}")
    # each entry is one line: a title's, a name's or a label's line break reads as a space, an
    # escape sequence is shown escaped, so it neither splits its line nor reaches the terminal
    return "\n".join(read_line(line) for line in out) + "\n"


def _footnote(w: Any, note: str | None) -> None:
    """A table's footnote under its last line, when it has one."""
    if note is not None:
        w(f"  {note}")


def _under_no_axis(plan: Plan) -> list[Decimal]:
    """The sum of the lines printed above a plan's first axis (under none), or of all its lines
    when it has no axis: without it the sums by axis added up to less than the plan's total."""
    rest = [i for i, g in enumerate(plan.line_axis_indices) if g < 0]
    if not rest:
        return []
    # a plan printed with no axis at all is wholly under none: its section by axis was left
    # empty (0 beside a plan of 20 k€), where the dashboard's chart shows one "Total" bar
    return [sum((plan.line_sum_at(i) for i in rest), Decimal(0))]


def cited_article(sources: Any) -> str:
    """" (article 3)" when every source names that article first ("Article 3 ; Préambule"),
    else "": the headings of the report said the embedded convention's articles (3, 5, 1) of
    any convention, its description silent or placing them elsewhere."""
    numbers = set()
    for source in sources:
        first = (source.article.split(";")[0] if source is not None and source.article else "")
        found = re.match(r"\s*article\s+(\d+)\b", first, re.I)
        if found is None:
            return ""
        numbers.add(found[1])
    return f" (article {numbers.pop()})" if len(numbers) == 1 else ""


def document_block(conv: Convention, t: Language) -> list[str]:
    """The text's key figures with their qualifiers, and what the document itself gets wrong
    (conv.check()), as lines of the text report."""
    out = [""]
    k = conv.key_figures
    if k is not None:
        out.append(t.text("key_figures_line", where=cited_article([k.source]),
                          establishments=t.figure(k.establishments, k.establishments_qualifier),
                          jobs=t.figure(k.jobs), year=k.jobs_year))
    if conv.meetings_from > conv.start:
        out.append(t.text("meetings_from", day=t.date(conv.meetings_from), start=t.date(conv.start)))
    shown = [(i, conv.funded_in_plans(i.code)) for i in conv.instruments]
    if any(i.supported_by or plans for i, plans in shown):
        out.append(t.text("instrument_funders"))
        for i, plans in shown:
            if not (i.supported_by or plans):
                continue
            said = ", ".join(i.supported_by) or t.text("text_names_none")
            seen = t.say(" ; ", "; ").join(f"{year}{t.colon}" + ", ".join(plans[year])
                                           for year in plans) or t.text("no_plan_line")
            out.append(f"  {i.code:<16} {said}  /  {seen}")
    found = conv.check(lang=t.code)
    out.append(t.text("document_faults", errors=t.count(len(found.errors), "error"),
                      warnings=t.count(len(found.warnings), "warning")))
    for f in found:
        out.append(f"  {t.severity(f.severity):<15} {f.message}")
    return out


# an execution's words, shared with the views below this module (display, plot)
from .execution_text import (accounting_lines, amount_cells, execution_lines,  # noqa: E402,F401
                             execution_notes, execution_rows, nothing_matched_reasons,
                             paid_cell, rate_cell, record_label, row_label)


def _finding_json(f: Any, lang: str = "fr") -> dict[str, Any]:
    return {"code": f.code, "severity": f.severity, "line": f.line, "funder": f.funder,
            "target": f.target, "expected": None if f.expected is None else str(f.expected),
            "actual": None if f.actual is None else str(f.actual), "message": f.message,
            "source": (None if f.source is None else f.source.text(lang)
                       if hasattr(f.source, "text") else str(f.source))}


def _plan_block(plan: Plan, report: Any, lang: str, conv: Convention) -> str:
    from .display import plan_text
    return plan_text(plan, report, lang=lang, convention=conv)


def _invisible(char: str) -> bool:
    """A character a reader of the JSON does not see, yet which changes what is seen: a format
    character (the bidi embeddings, overrides and isolates U+202A-U+202E, U+2066-U+2069, the
    marks U+200E/U+200F, zero-width ones, U+FEFF...), a C1 control, a line or paragraph
    separator."""
    return unicodedata.category(char) in ("Cf", "Cc", "Zl", "Zp")


_NOT_PLAIN = re.compile("[^\x00-\x7f\u00a0-\u00ac\u00ae-\u05ff]")


def json_text(data) -> str:
    """``data`` as essconv writes JSON, the report's and every command's: readable (accents as they are, not \\u00e9)
    but every invisible character escaped as \\uXXXX (a pair of them past U+FFFF), so that a
    label holding U+202E cannot turn backwards what a reviewer reads of the file, and the JSON
    still reads back to the same text.  Outside its strings JSON is ASCII, so escaping in the
    whole text escapes within strings alone."""
    text = json.dumps(data, ensure_ascii=False, indent=2)

    def escaped(match: "re.Match[str]") -> str:
        char = match.group()
        if not _invisible(char):
            return char
        return json.dumps(char, ensure_ascii=True)[1:-1]   # \u202e, \udb40\udc01
    return _NOT_PLAIN.sub(escaped, text) + "\n"


def render_json(conv: Convention, today: _dt.date | None = None, lang: str = "fr") -> str:
    # written as the command line writes it (json_text): a label's bidi override reached the
    # file raw from Python, where `essconv report --format json` escaped it
    return json_text(build(conv, today, lang))
