"""The main job: a report on a convention and its plans, as text or as JSON.

    $ python -m essconv            # the embedded 2009–2013 convention
    $ python -m essconv --format json
"""
from __future__ import annotations

import datetime as _dt
import json
from decimal import Decimal
from typing import Any

from .convention import Convention, Meeting
from .plan import Plan


def _k(plan: Plan, value: Decimal | None) -> str:
    return plan.format(value) if value is not None else "—"


def _share(part: Decimal, whole: Decimal) -> str:
    if whole == 0:
        return "—"
    return f"{(part * 100 / whole).quantize(Decimal('0.1'))} %".replace(".", ",")


def build(conv: Convention, today: _dt.date | None = None) -> dict[str, Any]:
    """The report's content, JSON-ready (amounts as exact strings)."""
    today = today or _dt.date.today()
    plans = {}
    for year, plan in conv.plans.items():
        report = plan.validate(conv)
        total = plan.total()
        stated_f = plan.stated_funder_totals
        plans[str(year)] = {
            "title": conv.plan_titles.get(year, f"Plan {year}"),
            "unit": plan.unit,
            "table": plan.to_dict(),
            "computed_total": str(total),
            "stated_total": None if plan.stated_total is None else str(plan.stated_total),
            "by_funder": [{"funder": f, "party": (conv.party_of(f).code if conv.party_of(f) else None),
                           "computed": str(v), "stated": None if stated_f[f] is None else str(stated_f[f]),
                           "share_percent": _share(v, total)} for f, v in plan.by_funder().items()],
            "by_party": [{"party": p, "name": (conv.party(p).name if conv.party_of(p) else "not a party"),
                          "signatory": bool(conv.party_of(p) and conv.party(p).signatory),
                          "computed": str(v), "share_percent": _share(v, total)}
                         for p, v in plan.by_party(conv).items()],
            "by_axis": [{"axis": (conv.axis_for(g).number if conv.axis_for(g) else None),
                         "label": g, "computed": str(v), "share_percent": _share(v, total)}
                        for g, v in plan.by_axis().items()],
            "ok": report.ok,
            "findings": [{"code": f.code, "severity": f.severity, "line": f.line, "funder": f.funder,
                          "target": f.target, "expected": None if f.expected is None else str(f.expected),
                          "actual": None if f.actual is None else str(f.actual), "rank": f.rank,
                          "source_line": f.source_line, "source_column": f.source_column,
                          "message": f.message, **f.explanation_fields()} for f in report],
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
        "bodies": [{"name": b.name, "meetings_per_year": b.meetings_per_year,
                    "members": list(b.members), "roles": list(b.roles),
                    "secretariat": b.secretariat.code if b.secretariat else None} for b in conv.bodies],
        "milestones": [{"date": m.date.isoformat(), "until": m.until.isoformat() if m.until else None,
                        "label": m.label, "past": (m.until or m.date) < today} for m in conv.milestones],
        "plans": plans,
    }


def render_text(conv: Convention, today: _dt.date | None = None) -> str:
    today = today or _dt.date.today()
    out: list[str] = []
    w = out.append
    w(conv.title)
    w("=" * min(len(conv.title), 100))
    w(f"Territory: {conv.territory}.  Term: {conv.start:%d/%m/%Y} – {conv.end:%d/%m/%Y} "
      f"({len(conv.years)} years).  Signed at {conv.signed_at} on {conv.signed_on:%d/%m/%Y}."
      if conv.signed_on else f"Term: {conv.start} – {conv.end}")
    w(f"In force today ({today:%d/%m/%Y}): {'yes' if conv.is_active(today) else 'no'}.")
    w("")
    w("Parties")
    for p in conv.parties:
        role = "; signatory" if p.signatory else (f"; service of {p.parent.code}" if p.parent else "")
        w(f"  {p.code:<12} {p.name}  [{p.kind}{role}]")
    w("")
    w("Strategic axes (article 3)")
    for a in conv.axes:
        w(f"  {a.number}. {a.title}  ({len(a.means)} means of action)")
    w("")
    w("Governance (article 5)")
    for b in conv.bodies:
        sec = f"; secretariat: {b.secretariat.code}" if b.secretariat else ""
        w(f"  {b.short_name}: {b.meetings_per_year} meetings a year{sec}")
    upcoming = conv.next_milestones(today)
    w("Milestones" + ("" if upcoming else " (all past: the term has ended)"))
    for m in conv.milestones:
        mark = "  next →" if upcoming and m == upcoming[0] else "        "
        w(f"{mark} {m}")
    for year, plan in conv.plans.items():
        report = plan.validate(conv)
        w("")
        w(conv.plan_titles.get(year, f"Plan {year}"))
        w("-" * 60)
        w(_plan_block(plan, report))
        total = plan.total()
        w("")
        w(f"Totals by funder ({plan.unit}): computed from the cells / stated in the Total row")
        stated = plan.stated_funder_totals
        for f, v in plan.by_funder().items():
            flag = "" if stated[f] == v else "   ← differs"
            w(f"  {f:<12} {_k(plan, v):>8}  / {_k(plan, stated[f]):>8}  {_share(v, total):>7}{flag}")
        gflag = "" if plan.stated_total == total else "   ← differs"
        w(f"  {'Total':<12} {_k(plan, total):>8}  / {_k(plan, plan.stated_total):>8}{gflag}")
        w("")
        w(f"Totals by party ({plan.unit}; State services rolled up to the State)")
        for p, v in plan.by_party(conv).items():
            party = conv.party_of(p)
            tag = "signatory" if party and party.signatory else ("co-financer" if party else "not a party")
            w(f"  {p:<12} {_k(plan, v):>8}  {_share(v, total):>7}  [{tag}]")
        w("")
        w(f"Totals by axis ({plan.unit})")
        for g, v in plan.by_axis().items():
            axis = conv.axis_for(g)
            name = f"{axis.number}. {g}" if axis else g
            w(f"  {name:<48} {_k(plan, v):>8}  {_share(v, total):>7}")
        w("")
        w(f"Findings: {_count(report.errors, 'error')}, {_count(report.warnings, 'warning')}, "
          f"{_count(report.suggestions, 'suggestion')}")
        if not len(report):
            w("  none: every total holds")
        for f in report:
            place = f" [line {f.source_line}, column {f.source_column}]" if f.source_line else ""
            rank = f" #{f.rank}" if f.rank else ""
            w(f"  {f.severity:<7} {f.code}{rank}: {f.message}{place}")
    return "\n".join(out) + "\n"


def _count(items: list, word: str) -> str:
    return f"{len(items)} {word}{'' if len(items) == 1 else 's'}"


def _plan_block(plan: Plan, report: Any) -> str:
    from .display import plan_text
    return plan_text(plan, report)


def render_json(conv: Convention, today: _dt.date | None = None) -> str:
    return json.dumps(build(conv, today), ensure_ascii=False, indent=2) + "\n"
