"""The dashboard ("tableaux de bord", article 6 of the convention): one self-contained HTML file
with the convention at a glance, each plan's table and findings, charts as inline SVG, and the
governance calendar.  No network, no script, no float: bar lengths are integer arithmetic on
cents, labels are printed by the money formatter.

    essconv report --html tableau-de-bord.html
"""
from __future__ import annotations

import datetime as _dt
import html
from decimal import Decimal
from typing import TYPE_CHECKING, Any, Iterable

from .display import _STYLE, plan_html
from .money import format_amount, to_cents

if TYPE_CHECKING:  # pragma: no cover
    from .convention import Convention
    from .execution import Execution
    from .plan import Plan

PALETTE = ["#2f5d8a", "#d0743c", "#5b9a5b", "#a05195", "#c9b037", "#6d6d6d", "#e15759",
           "#4aa3a3", "#9c755f", "#7f6fc4", "#f28e2b", "#59a14f"]


def _e(text: Any) -> str:
    return html.escape(str(text))


def _k(amount: Decimal, unit: str) -> str:
    return f"{format_amount(amount, unit=unit, group=' ')} {unit}"


def stacked_bars_svg(title: str, rows: list[tuple[str, list[tuple[str, Decimal]]]], unit: str,
                     width: int = 760) -> str:
    """Horizontal stacked bars: one bar per row, one segment per (series, amount)."""
    series: list[str] = []
    for _, parts in rows:
        for name, _v in parts:
            if name not in series:
                series.append(name)
    totals = [sum((to_cents(v, unit) for _, v in parts if v > 0), 0) for _, parts in rows]
    top = max(totals + [1])
    label_w, bar_w, row_h = 250, width - 250 - 110, 26
    height = 40 + row_h * len(rows) + 22 * ((len(series) + 4) // 5) + 10
    out = [f'<svg xmlns="http://www.w3.org/2000/svg" class="chart" role="img" width="{width}" '
           f'height="{height}" viewBox="0 0 {width} {height}" font-family="sans-serif" font-size="12">',
           f'<title>{_e(title)}</title>',
           f'<text x="0" y="16" font-weight="bold" font-size="14">{_e(title)}</text>']
    for r, (label, parts) in enumerate(rows):
        y = 30 + r * row_h
        short = label if len(label) <= 38 else label[:37] + "…"
        out.append(f'<text x="0" y="{y + 16}">{_e(short)}</text>')
        x = label_w
        for name, v in parts:
            cents = to_cents(v, unit)
            if cents <= 0:
                continue
            w = cents * bar_w // top                      # integer geometry, exact to the pixel
            colour = PALETTE[series.index(name) % len(PALETTE)]
            out.append(f'<rect x="{x}" y="{y + 4}" width="{max(w, 1)}" height="{row_h - 8}" '
                       f'fill="{colour}"><title>{_e(name)}: {_e(_k(v, unit))}</title></rect>')
            x += w
        out.append(f'<text x="{x + 6}" y="{y + 16}">{_e(_k(sum((v for _, v in parts), Decimal(0)), unit))}</text>')
    ly = 34 + row_h * len(rows)
    for k, name in enumerate(series):
        lx, lyy = (k % 5) * 150, ly + (k // 5) * 22
        out.append(f'<rect x="{lx}" y="{lyy}" width="12" height="12" '
                   f'fill="{PALETTE[k % len(PALETTE)]}"/><text x="{lx + 16}" y="{lyy + 11}">{_e(name)}</text>')
    out.append("</svg>")
    return "".join(out)


def paired_bars_svg(title: str, rows: list[tuple[str, Decimal, Decimal]], unit: str,
                    labels: tuple[str, str] = ("planned", "paid"), width: int = 760) -> str:
    """Two bars per row (planned / paid)."""
    top = max([to_cents(a, unit) for _, a, _b in rows] + [to_cents(b, unit) for _, _a, b in rows] + [1])
    label_w, bar_w, row_h = 250, width - 250 - 110, 34
    height = 40 + row_h * len(rows) + 30
    out = [f'<svg xmlns="http://www.w3.org/2000/svg" class="chart" role="img" width="{width}" '
           f'height="{height}" viewBox="0 0 {width} {height}" font-family="sans-serif" font-size="12">',
           f'<title>{_e(title)}</title>',
           f'<text x="0" y="16" font-weight="bold" font-size="14">{_e(title)}</text>']
    for r, (label, a, b) in enumerate(rows):
        y = 30 + r * row_h
        out.append(f'<text x="0" y="{y + 18}">{_e(label)}</text>')
        for k, v in enumerate((a, b)):
            w = max(to_cents(v, unit), 0) * bar_w // top
            out.append(f'<rect x="{label_w}" y="{y + 4 + k * 13}" width="{max(w, 1)}" height="11" '
                       f'fill="{PALETTE[k]}"><title>{_e(labels[k])}: {_e(_k(v, unit))}</title></rect>'
                       f'<text x="{label_w + w + 6}" y="{y + 14 + k * 13}" font-size="10">{_e(_k(v, unit))}</text>')
    ly = 36 + row_h * len(rows)
    for k, name in enumerate(labels):
        out.append(f'<rect x="{k * 150}" y="{ly}" width="12" height="12" fill="{PALETTE[k]}"/>'
                   f'<text x="{k * 150 + 16}" y="{ly + 11}">{_e(name)}</text>')
    out.append("</svg>")
    return "".join(out)


def plan_by_axis_svg(plan: "Plan", conv: "Convention | None" = None) -> str:
    """Each funder's contribution by axis (stacked bars)."""
    rows = []
    for axis in plan.axes or [None]:
        lines = plan.lines_of(axis) if axis is not None else plan.lines
        parts = []
        for f in plan.funders:
            v = sum((plan.cell((axis, l) if plan.lines.count(l) > 1 else l, f) or Decimal(0)
                     for l in lines), Decimal(0))
            parts.append((f, v))
        a = conv.axis_for(axis) if conv is not None and axis else None
        rows.append((f"{a.number}. {axis}" if a else (axis or "Total"), parts))
    year = f" {plan.year}" if plan.year else ""
    return stacked_bars_svg(f"Plan{year}: each funder's contribution by axis ({plan.unit})", rows,
                            plan.unit)


def plans_over_years_svg(conv: "Convention") -> str:
    """The plans across the years of the term, by party (k€)."""
    rows = []
    for year in conv.years:
        plan = conv.plans.get(year)
        if plan is None:
            rows.append((f"{year} (no plan)", []))
            continue
        parts = [(p, Decimal(to_cents(v, plan.unit)) / 100000) for p, v in plan.by_party(conv).items()]
        rows.append((str(year), parts))
    return stacked_bars_svg("Financing plans across the term, by party (k€)", rows, "k€")


def execution_svg(ex: "Execution", dim: str = "party") -> str:
    rows = [(str(k), p, q) for k, p, q, _r in ex.table(dim)]
    return paired_bars_svg(f"Planned versus paid {ex.year}, by {dim} (€)", rows, "€")


def calendar_rows(conv: "Convention", today: _dt.date) -> str:
    out = []
    for year in conv.years:
        for item in conv.calendar(year):
            if hasattr(item, "body"):
                when = f"{item.start:%d/%m/%Y} – {item.end:%d/%m/%Y}"
                what = f"{item.body.short_name} (meeting {item.number} of {item.body.meetings_per_year})"
                end = item.end
            else:
                when = item.date.strftime("%d/%m/%Y") + (f" – {item.until:%d/%m/%Y}" if item.until else "")
                what = f"<b>{_e(item.label)}</b>"
                end = item.until or item.date
                out.append(f'<tr class="{"past" if end < today else "next"}"><td>{when}</td><td>{what}</td></tr>')
                continue
            out.append(f'<tr class="{"past" if end < today else "next"}"><td>{when}</td><td>{_e(what)}</td></tr>')
    return "".join(out)


def accounting_html(ex: "Execution") -> str:
    """Where every grant record went, so that none is ignored without a word."""
    a = ex.accounting
    def eur(v: Decimal) -> str:
        return _e(f"{format_amount(v, group=' ', decimals=0 if v == v.to_integral() else 2)} €")
    years = ", ".join(map(str, a.years))
    outside = (f"{a.outside_year} hors {ex.year} ({eur(a.outside_amount)})"
               + (f", datés {years}" if years else "")
               + (f", dont {a.undated} sans date" if a.undated else ""))
    out = [f'<p class="accounting">Enregistrements : {a.records} ({eur(a.amount)}) — '
           f"rapprochés : {a.matched} ({eur(a.matched_amount)}) ; {outside} ; "
           f"non rattachés à un partenaire : {a.unmapped} ({eur(a.unmapped_amount)})"
           + (f" ; écartés à la lecture (illisibles) : {a.set_aside}" if a.set_aside else "")
           + ".</p>"]
    if a.records and not a.matched:
        why = []
        if a.outside_year:
            why.append(f"{a.outside_year} sont datés hors {ex.year}" + (f" ({years})" if years else ""))
        if a.unmapped:
            who = ", ".join(sorted({str(u.funder) for u in ex.unmapped
                                    if u.why.startswith("the funder")})[:3])
            why.append(f"{a.unmapped} viennent d'un financeur qui n'est pas un partenaire ({_e(who)})")
        out.append(f'<p class="warning"><strong>Aucun enregistrement rapproché du plan {ex.year}</strong> : '
                   + " ; ".join(why) + ".</p>")
    return "".join(out)


def render(conv: "Convention", *, executions: Iterable["Execution"] = (),
           today: _dt.date | None = None) -> str:
    """The whole dashboard as one HTML document."""
    today = today or _dt.date.today()
    parts = ["<!DOCTYPE html><html lang=\"fr\"><head><meta charset=\"utf-8\">",
             f"<title>{_e(conv.short_title)} — tableau de bord</title>", _STYLE,
             "<style>body{font-family:sans-serif;margin:24px;max-width:1100px}"
             "h1{font-size:20px}h2{font-size:17px;border-bottom:1px solid #ccd;margin-top:28px}"
             "tr.past td{color:#777}.figures td{padding:2px 10px}</style></head><body>",
             f"<h1>{_e(conv.title)}</h1>",
             f"<p>{_e(conv.territory)} — du {conv.start:%d/%m/%Y} au {conv.end:%d/%m/%Y}"
             + (f", signée à {_e(conv.signed_at)} le {conv.signed_on:%d/%m/%Y}" if conv.signed_on else "")
             + f". En vigueur aujourd'hui ({today:%d/%m/%Y}) : {'oui' if conv.is_active(today) else 'non'}.</p>",
             "<h2>La convention en un coup d'œil</h2><table class=\"figures\">",
             "<tr><th>Signataires</th><td>" + ", ".join(_e(p.name) for p in conv.signatories) + "</td></tr>",
             "<tr><th>Axes</th><td><ol>" + "".join(f"<li>{_e(a.title)}</li>" for a in conv.axes) + "</ol></td></tr>",
             "<tr><th>Gouvernance</th><td>" + "<br>".join(
                 f"{_e(b.short_name)} : {b.meetings_per_year} réunions par an" for b in conv.bodies) + "</td></tr>"]
    if conv.key_figures:
        k = conv.key_figures
        def pct(d: Decimal) -> str:
            return str(d).replace(".", ",") + "\u202f%"
        parts.append(f"<tr><th>Chiffres clés</th><td>{format_amount(k.establishments)} établissements "
                     f"({pct(k.establishments_share_percent)}), {format_amount(k.jobs)} emplois en "
                     f"{k.jobs_year} ({pct(k.jobs_share_percent)})</td></tr>")
    parts.append("</table>")
    for year, plan in conv.plans.items():
        report = plan.validate(conv)
        parts.append(f"<h2>{_e(conv.plan_titles.get(year, f'Plan {year}'))}</h2>")
        parts.append(f'<div class="figure">{plan_by_axis_svg(plan, conv)}</div>')
        parts.append(plan_html(plan, report))
    if len(conv.plans) > 1:
        parts.append(f"<h2>Across the term</h2><div class=\"figure\">{plans_over_years_svg(conv)}</div>")
    for ex in executions:
        parts.append(f"<h2>Exécution {ex.year}</h2><div class=\"figure\">{execution_svg(ex)}</div>")
        if ex.accounting is not None:
            parts.append(accounting_html(ex))
        if ex.unmapped:
            parts.append(f"<p>{len(ex.unmapped)} group(s) of records map to no funder or line "
                         f"({_e(_k(ex.total_unmapped, '€'))}): listed, not lost.</p><ul>" + "".join(
                             f"<li>{_e(u.funder)} / {_e(u.line)}: {_e(_k(u.amount, '€'))} — {_e(u.why)}</li>"
                             for u in ex.unmapped) + "</ul>")
    parts.append("<h2>Calendrier de la gouvernance</h2><table>"
                 "<tr><th>Quand</th><th>Quoi</th></tr>" + calendar_rows(conv, today) + "</table>")
    parts.append("</body></html>")
    return "".join(parts)
