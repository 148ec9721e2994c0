"""The dashboard ("tableaux de bord", article 6 of the convention): one self-contained HTML file
with the convention at a glance, each plan's table and findings, charts as inline SVG, and the
governance calendar.  No network, no script, no float: bar lengths are integer arithmetic on
cents, labels are printed by the money formatter.  One language throughout, French by default
(``lang="en"`` for English): every word, amount and percentage comes from essconv.messages.

    essconv report --html tableau-de-bord.html
    essconv report --html dashboard.html --lang en
"""
from __future__ import annotations

import datetime as _dt
from decimal import Decimal, localcontext
from typing import TYPE_CHECKING, Any, Iterable

from .display import STYLE, plan_html
from .errors import MoneyOverflowError
from .html_page import escaped
from .messages import language, view_label
from .money import exact_sum, to_cents, unit_cents, unit_symbol

if TYPE_CHECKING:  # pragma: no cover
    from .convention import Convention
    from .execution import Execution
    from .plan import Plan

#: the dashboard lists the first 100 groups of unmapped records, then counts the others
SHOWN_UNMAPPED = 100

PALETTE = ["#2f5d8a", "#d0743c", "#5b9a5b", "#a05195", "#c9b037", "#6d6d6d", "#e15759",
           "#4aa3a3", "#9c755f", "#7f6fc4", "#f28e2b", "#59a14f"]


def _e(text: Any) -> str:
    # the notebook views' escaping: a label's control characters shown as escapes there too
    return escaped(text)


#: the characters a chart's text has room for: its title across the chart, a row's label in
#: the 250 px before the bars, a legend's name in its 150 px column (12 px sans-serif)
TITLE_ROOM, LABEL_ROOM, LEGEND_ROOM = 90, 38, 18


def _text(attributes: str, text: str, room: int) -> str:
    """An SVG ``<text>`` of ``text`` cut to ``room`` characters as the views cut a label (never
    inside a letter's accents), the whole text in its ``<title>`` (a tooltip): a label of 10 000
    characters ran 60 000 px past a 760 px chart, over the bars and the legend beside it."""
    shown = view_label(str(text), room)
    whole = f"<title>{_e(text)}</title>" if shown != text else ""
    return f"<text {attributes}>{whole}{_e(shown)}</text>"


def _label(text: str) -> str:
    """A label in running HTML as the views show it: cut past 80 characters (never inside a
    letter's accents), the whole label in its ``title``.  A funder named with its address
    (10 000 characters, no space) pushed the dashboard's list 60 000 px wide."""
    shown = view_label(str(text))
    if shown == text:
        return _e(text)
    return f'<span class="label" title="{_e(text)}">{_e(shown)}</span>'


def _bar_cents(value: Decimal, unit: str) -> int:
    """A bar's length in cents of ``unit``'s amount, exact and unbounded: a sum of a plan's
    cells may leave int64 cents (``to_cents`` refuses it) and is still drawn, its figure said in
    words (:func:`_said`)."""
    with localcontext() as ctx:
        ctx.prec = 200
        return int(Decimal(value) * unit_cents(unit))


def _said(value: Decimal, unit: str, words: Any) -> str:
    """An amount as the chart prints it, or, past int64 cents, the overflow in words on its
    side ("au-delà de 92 233 720 368 547 758,07 €"), as the plan's table shows it."""
    # checked here: format_amount prints a Decimal of any size, and the chart must say the
    # overflow as the plan's table says its sums past the limit, in words, not as a figure
    try:
        to_cents(value, unit)
    except MoneyOverflowError as exc:
        return words.beyond_cents(exc.below)
    return words.amount(value, unit)


def _in_unit(value: Decimal, unit: str, to: str) -> Decimal:
    """``value`` in ``unit`` said in ``to``, exactly (12,5 k€ is 12 500 €), past int64 cents too."""
    with localcontext() as ctx:
        ctx.prec = 200
        return Decimal(value) * unit_cents(unit) / unit_cents(to)


def _party_sums(plan: "Plan", conv: "Convention") -> dict[str, Decimal]:
    """``plan.by_party(conv)``; when a party's sum leaves int64 cents (which by_party refuses),
    the same grouping (``conv.party_groups``) added in Decimal, so that the year is drawn and
    its overflow said in words rather than the dashboard refused."""
    try:
        return plan.by_party(conv)
    except MoneyOverflowError:
        parties, groups = conv.party_groups(plan.funders)
        sums: dict[str, Decimal] = {}
        for j, (f, g) in enumerate(zip(plan.funders, groups)):
            key = parties[g] if g >= 0 else f
            column = (plan.amount_at(i, j) or Decimal(0) for i in range(len(plan.lines)))
            sums[key] = sums.get(key, Decimal(0)) + sum(column, Decimal(0))
        return sums


def stacked_bars_svg(title: str, rows: list[tuple[str, list[tuple[str, Decimal]]]], unit: str,
                     width: int = 760, *, lang: str = "fr") -> str:
    """Horizontal stacked bars: one bar per row, one segment per (series, amount); amounts
    printed in ``lang``.

    Example: ``stacked_bars_svg("Plan", [("DLA", [("CDC", Decimal(274))])], "k€")``
    """
    words = language(lang)
    series: list[str] = []
    for _, parts in rows:
        for name, _v in parts:
            if name not in series:
                series.append(name)
    # a diverging stack: positives from a zero line rightwards, negatives (a reimbursement, a
    # cancelled grant, a correction line) leftwards.  Skipped, a negative was no segment while
    # the total printed beside the bar counted it
    cents = [[_bar_cents(v, unit) for _, v in parts] for _, parts in rows]
    ups = [sum((c for c in row if c > 0), 0) for row in cents]
    downs = [sum((c for c in row if c < 0), 0) for row in cents]
    span = max(max(ups + [0]) - min(downs + [0]), 1)
    label_w, bar_w, row_h = 250, width - 250 - 110, 26
    zero = label_w - min(downs + [0]) * bar_w // span

    def at(c: int) -> int:   # integer geometry, exact to the pixel
        return zero + c * bar_w // span

    height = 40 + row_h * len(rows) + 22 * ((len(series) + 4) // 5) + 10
    out = [f'<svg xmlns="http://www.w3.org/2000/svg" class="chart" role="img" width="{width}" '
           f'height="{height}" viewBox="0 0 {width} {height}" font-family="sans-serif" font-size="12">',
           f'<title>{_e(title)}</title>',
           _text('x="0" y="16" font-weight="bold" font-size="14"', title, TITLE_ROOM)]
    if any(downs):
        out.append(f'<line x1="{zero}" y1="30" x2="{zero}" y2="{30 + row_h * len(rows)}" '
                   f'stroke="#000" stroke-width="1"/>')
    for r, (label, parts) in enumerate(rows):
        y = 30 + r * row_h
        out.append(_text(f'x="0" y="{y + 16}"', label, LABEL_ROOM))
        up = down = 0
        for (name, v), c in zip(parts, cents[r]):
            if c == 0:
                continue
            if c > 0:
                x, end = at(up), at(up + c)
                up += c
            else:
                x, end = at(down + c), at(down)
                down += c
            colour = PALETTE[series.index(name) % len(PALETTE)]
            out.append(f'<rect x="{x}" y="{y + 4}" width="{max(end - x, 1)}" height="{row_h - 8}" '
                       f'fill="{colour}"><title>{_e(name)}{words.colon}{_e(_said(v, unit, words))}</title></rect>')
        if not parts:   # a row of nothing (a year with no plan) has no total: "0 k€" read as a plan
            continue
        net = _said(sum((v for _, v in parts), Decimal(0)), unit, words)
        if down:
            # the bar's end is no longer its total: the net total marked where it stands
            out.append(f'<path d="M{at(up + down)} {y + 2}l4 11l-4 11l-4 -11z" fill="#000">'
                       f'<title>{_e(words.say("Total net", "Net total"))}{words.colon}{_e(net)}'
                       f'</title></path>')
        out.append(f'<text x="{at(up) + 6}" y="{y + 16}">{_e(net)}</text>')
    ly = 34 + row_h * len(rows)
    for k, name in enumerate(series):
        lx, lyy = (k % 5) * 150, ly + (k // 5) * 22
        out.append(f'<rect x="{lx}" y="{lyy}" width="12" height="12" '
                   f'fill="{PALETTE[k % len(PALETTE)]}"/>' + _text(f'x="{lx + 16}" y="{lyy + 11}"', name, LEGEND_ROOM))
    out.append("</svg>")
    return "".join(out)


def paired_bars_svg(title: str, rows: list[tuple[str, Decimal, Decimal]], unit: str,
                    labels: tuple[str, str], width: int = 760, *, lang: str = "fr") -> str:
    """Two bars per row (planned / paid, as ``labels`` name them); amounts printed in ``lang``.

    Example: ``paired_bars_svg("2009", [("CDC", Decimal(10), Decimal(8))], "€", ("prévu", "versé"))``
    """
    words = language(lang)
    _k = words.amount
    # bars from a zero line: a negative amount (more refunded than paid, a cancelled grant)
    # leftwards, as long as its amount; cut at zero, it was a bar of one pixel, as a few cents
    cents = [to_cents(v, unit) for _, a, b in rows for v in (a, b) if v is not None]
    span = max(max(cents + [0]) - min(cents + [0]), 1)
    label_w, bar_w, row_h = 250, width - 250 - 110, 34
    zero = label_w - min(cents + [0]) * bar_w // span

    def at(c: int) -> int:   # integer geometry, exact to the pixel
        return zero + c * bar_w // span

    height = 40 + row_h * len(rows) + 30
    out = [f'<svg xmlns="http://www.w3.org/2000/svg" class="chart" role="img" width="{width}" '
           f'height="{height}" viewBox="0 0 {width} {height}" font-family="sans-serif" font-size="12">',
           f'<title>{_e(title)}</title>',
           _text('x="0" y="16" font-weight="bold" font-size="14"', title, TITLE_ROOM)]
    if min(cents + [0]) < 0:
        out.append(f'<line x1="{zero}" y1="30" x2="{zero}" y2="{30 + row_h * len(rows)}" '
                   f'stroke="#000" stroke-width="1"/>')
    for r, (label, a, b) in enumerate(rows):
        y = 30 + r * row_h
        out.append(_text(f'x="0" y="{y + 18}"', label, LABEL_ROOM))
        for k, v in enumerate((a, b)):
            if v is None:   # not computed (no line column): said, no bar read as nothing paid
                out.append(f'<text x="{zero + 6}" y="{y + 14 + k * 13}" font-size="10">'
                           f'{_e(labels[k])}{words.colon}{_e(words.text("not_computed"))}</text>')
                continue
            c = to_cents(v, unit)
            x, end = at(min(c, 0)), at(max(c, 0))
            out.append(f'<rect x="{x}" y="{y + 4 + k * 13}" width="{max(end - x, 1)}" height="11" '
                       f'fill="{PALETTE[k]}"><title>{_e(labels[k])}{words.colon}{_e(_k(v, unit))}</title></rect>'
                       f'<text x="{max(end, x + 1) + 6}" y="{y + 14 + k * 13}" font-size="10">{_e(_k(v, unit))}</text>')
    ly = 36 + row_h * len(rows)
    for k, name in enumerate(labels):
        out.append(f'<rect x="{k * 150}" y="{ly}" width="12" height="12" fill="{PALETTE[k]}"/>'
                   + _text(f'x="{k * 150 + 16}" y="{ly + 11}"', name, LEGEND_ROOM))
    out.append("</svg>")
    return "".join(out)


def plan_by_axis_svg(plan: "Plan", conv: "Convention | None" = None, *, lang: str = "fr") -> str:
    """Each funder's contribution by axis (stacked bars).

    Example: ``plan_by_axis_svg(conv.plan(2009), conv, lang="en")``
    """
    words = language(lang)
    plan_name = words.text("plan", year=plan.year) if plan.year else "Plan"
    title = words.text("chart_by_axis", plan=plan_name, unit=plan.unit)
    if not plan.lines:
        # a header and no line: said empty as its table says it, not a "Total" row of 0 €,
        # a total the plan does not have
        return (f'<svg xmlns="http://www.w3.org/2000/svg" class="chart" role="img" width="760" '
                f'height="50" viewBox="0 0 760 50" font-family="sans-serif" font-size="12">'
                f'<title>{_e(title)}</title>'
                + _text('x="0" y="16" font-weight="bold" font-size="14"', title, TITLE_ROOM)
                + _text('x="0" y="40"', words.text("plan_empty"), TITLE_ROOM) + "</svg>")
    rows = []
    # the lines of each axis by index; the lines printed above the first axis (under none)
    # are a bar of their own: left out, the bars added up to less than the plan
    members: dict[int, list[int]] = {}
    for i, g in enumerate(plan.line_axis_indices):
        members.setdefault(g, []).append(i)
    groups = ([-1] if -1 in members or not plan.axes else []) + list(range(len(plan.axes)))
    for g in groups:
        axis = plan.axes[g] if g >= 0 else None
        parts = [(f, sum((plan.amount_at(i, j) or Decimal(0) for i in members.get(g, [])),
                         Decimal(0))) for j, f in enumerate(plan.funders)]
        a = conv.axis_for(axis) if conv is not None and axis else None
        name = (f"{a.number}. {axis}" if a else axis if axis is not None
                else words.text("no_axis") if plan.axes else "Total")
        rows.append((name, parts))
    return stacked_bars_svg(title, rows, plan.unit, lang=lang)


def plans_over_years_svg(conv: "Convention", *, lang: str = "fr") -> str:
    """The plans across the years of the term, by party, in the finest unit of the plans
    (k€ when every plan is in k€, € as soon as one is in euros).

    A plan in euros shown in k€ read "2,20025 k€", five decimals no unit shows; rounded to
    what k€ shows, its cents would be lost.  In the finest unit every plan's figures are exact
    and keep the decimals they were printed with (12,5 k€ is 12 500 €), as the plans' own
    tables show them.

    Example: ``plans_over_years_svg(essconv.default(), lang="en")``
    """
    words = language(lang)
    plans = [p for p in conv.plans.values() if p is not None]
    unit = unit_symbol(min((unit_cents(p.unit) for p in plans), default=unit_cents("k€")))
    rows = []
    for year in conv.years:
        plan = conv.plans.get(year)
        if plan is None:
            rows.append((words.text("no_plan", year=year), []))
            continue
        parts = [(p, _in_unit(v, plan.unit, unit))
                 for p, v in _party_sums(plan, conv).items()]
        rows.append((str(year), parts))
    return stacked_bars_svg(words.text("chart_years", unit=unit), rows, unit, lang=lang)


def execution_svg(ex: "Execution", dim: str = "party", *, lang: str = "fr") -> str:
    """Planned versus paid, by party (or funder, line, axis).

    Example: ``execution_svg(conv.execution(2009, ledger), lang="en")``
    """
    from .report import execution_rows, row_label
    words = language(lang)
    # what the dimension cannot place (a party's records on no line, by line or axis): a bar
    # of its own, as the tables show it, or that money was in no bar of the chart
    rows = [(row_label(dim, k, words, ex), p, q) for k, p, q, _r in execution_rows(ex, dim, words)]
    return paired_bars_svg(words.text("chart_execution", year=ex.year, dim=words.text(f"dim_{dim}"),
                                      unit="€"),
                           rows, "€", (words.text("planned"), words.text("paid")), lang=lang)


def calendar_rows(conv: "Convention", today: _dt.date, lang: str = "fr") -> str:
    from .calendar import agenda
    return "".join(
        f'<tr class="{"past" if item.last_day < today else "next"}"><td>{_e(item.when)}</td>'
        f'<td>{f"<b>{_e(item.what)}</b>" if item.milestone else _e(item.what)}</td></tr>'
        for item in agenda(conv, lang=lang))


def _source_text(source: Any, lang: str) -> str:
    """A source in the page's language (a Source frames its quotes and additions per language)."""
    return source.text(lang) if hasattr(source, "text") else str(source)


def document_findings_html(conv: "Convention", lang: str = "fr") -> str:
    """What the document itself gets wrong (conv.check()), each with the words it is about."""
    t = language(lang)
    found = conv.check(lang=lang)
    heading = f"<h2>{_e(t.text('document_faults_heading'))}</h2>"
    if not len(found):
        return f"{heading}<p>{_e(t.text('document_no_fault'))}</p>"
    items = "".join(
        f'<li class="{_e(f.severity)}">{_e(t.severity(f.severity))}{t.colon}{_e(f.message)}'
        + (f'<br><small class="source">{_e(_source_text(f.source, lang))}</small>' if f.source is not None else "") + "</li>"
        for f in found)
    return f'{heading}<div class="essconv"><ul class="findings">{items}</ul></div>'


def meetings_from_html(conv: "Convention", lang: str = "fr") -> str:
    """Why no meeting is owed before a certain day, when the term is backdated."""
    if conv.meetings_from <= conv.start:
        return ""
    t = language(lang)
    key = "meetings_from_signed" if conv.meetings_from == conv.signed_on else "meetings_from_day"
    return f"<p>{_e(t.text(key, day=t.date(conv.meetings_from), start=t.date(conv.start)))}</p>"


def accounting_html(ex: "Execution", lang: str = "fr") -> str:
    """Where every grant record went, so that none is ignored without a word."""
    from .report import accounting_lines, nothing_matched_reasons
    t = language(lang)
    a = ex.accounting
    nothing = t.text("nothing_matched", year=ex.year)
    # the account's own lines (two spaces in), not the details under them (four): lines[1:4]
    # took a detail for a line once records on no line were listed, and dropped the records
    # outside the year and the unmapped ones -- an account that no longer added up
    lines = [line.strip() for k, line in enumerate(accounting_lines(ex, t))
             if k == 0 or not line.startswith("    ") and not line.strip().startswith(nothing)]
    out = [f'<p class="accounting">{_e(lines[0])} — ' + _e(t.say(" ; ", "; ").join(lines[1:])) + "</p>"]
    if a.records and not a.matched:
        out.append(f'<p class="warning"><strong>{_e(t.text("nothing_matched", year=ex.year))}</strong>'
                   f'{t.colon}{_e(t.say(" ; ", "; ").join(nothing_matched_reasons(ex, t)))}.</p>')
    return "".join(out)


def render(conv: "Convention", *, executions: Iterable["Execution"] = (),
           today: _dt.date | None = None, lang: str = "fr") -> str:
    """The whole dashboard as one HTML document, wholly in ``lang`` ('fr' or 'en').

    Example: ``render(essconv.default(), lang="en")``
    """
    today = today or _dt.date.today()
    t = language(lang)
    d = t.date
    colon = t.colon
    signed = (t.text("dashboard_signed" if conv.signed_at else "dashboard_signed_on",
                     at=_e(conv.signed_at or ""), on=d(conv.signed_on))
              if conv.signed_on else "")
    parts = [f"<!DOCTYPE html><html lang=\"{t.code}\"><head><meta charset=\"utf-8\">",
             f"<title>{_e(conv.short_title)} — {_e(t.text('dashboard'))}</title>", STYLE,
             "<style>body{font-family:sans-serif;margin:24px;max-width:1100px}"
             "h1{font-size:20px}h2{font-size:17px;border-bottom:1px solid #ccd;margin-top:28px}"
             "tr.past td{color:#777}.figures td{padding:2px 10px}</style></head><body>",
             f"<h1>{_e(conv.title)}</h1>",
             "<p>" + t.text("dashboard_term", territory=_e(conv.territory), start=d(conv.start),
                            end=d(conv.end))
             + signed + ". " + _e(t.text("in_force", today=d(today),
                                        answer=t.text("yes" if conv.is_active(today) else "no")))
             + "</p>",
             f"<h2>{_e(t.text('at_a_glance'))}</h2><table class=\"figures\">",
             f"<tr><th>{_e(t.text('signatories'))}</th><td>"
             + ", ".join(_e(p.name) for p in conv.signatories) + "</td></tr>",
             f"<tr><th>{_e(t.text('axes_short'))}</th><td><ol>"
             # each axis under its own number: an ordered list counts from 1, and showed
             # axes 2 and 5 as 1 and 2 above plans and charts naming "Axe 2" and "Axe 5"
             + "".join(f'<li value="{int(a.number)}">{_e(a.title)}</li>' for a in conv.axes)
             + "</ol></td></tr>",
             f"<tr><th>{_e(t.text('governance_short'))}</th><td>" + "<br>".join(
                 f"{_e(b.introduced_in(t.code))}{colon}{_e(t.text('meetings_a_year', count=b.meetings_per_year))}"
                 for b in conv.bodies) + "</td></tr>"]
    if conv.key_figures:
        k = conv.key_figures
        parts.append(f"<tr><th>{_e(t.text('key_figures'))}</th><td>" + _e(t.text(
            "key_figures_text", establishments=t.figure(k.establishments, k.establishments_qualifier),
            establishments_share=t.percent(k.establishments_share_percent),
            jobs=t.number(k.jobs), year=k.jobs_year,
            jobs_share=t.percent(k.jobs_share_percent))) + "</td></tr>")
    parts.append("</table>")
    for year, plan in conv.plans.items():
        # the table validates the plan itself, and shows its sums past int64 cents in words
        # where they are: validated here, such a plan refused the whole dashboard
        parts.append(f"<h2>{_e(conv.plan_titles.get(year, t.text('plan', year=year)))}</h2>")
        parts.append(f'<div class="figure">{plan_by_axis_svg(plan, conv, lang=lang)}</div>')
        parts.append(plan_html(plan, lang=lang, convention=conv))
    if len(conv.plans) > 1:
        parts.append(f"<h2>{_e(t.text('across_the_term'))}</h2>"
                     f"<div class=\"figure\">{plans_over_years_svg(conv, lang=lang)}</div>")
    from .report import execution_notes, record_label
    for ex in executions:
        parts.append(f"<h2>{_e(t.text('execution', year=ex.year))}</h2>"
                     + "".join(f"<p><strong>{_e(note)}</strong></p>" for note in execution_notes(ex, t))
                     + f"<div class=\"figure\">{execution_svg(ex, lang=lang)}</div>")
        if ex.accounting is not None:
            parts.append(accounting_html(ex, lang))
        if ex.unmapped:
            unmapped = t.counted("unmapped", len(ex.unmapped), amount=t.amount(ex.total_unmapped, "€"))
            # the first groups only: a file of 200 000 funders foreign to the convention made a
            # page of 22 MB; the others are counted with their sum (``ex.to_dict()`` lists all)
            shown = ex.unmapped[:SHOWN_UNMAPPED]
            rest = ex.unmapped[SHOWN_UNMAPPED:]
            rest_amount = t.amount(exact_sum(u.amount for u in rest), "€")
            more = (f"<li>{_e(t.counted('unmapped_more', len(rest), amount=rest_amount))}</li>"
                    if rest else "")
            parts.append(f"<p>{_e(unmapped)}</p><ul>" + "".join(
                f"<li>{_label(record_label(u.funder, t))} / {_label(record_label(u.line, t))}{colon}{_e(t.amount(u.amount, '€'))} — "
                f"{_e(t.text('why_' + u.reason) if u.reason else u.why)}</li>"
                for u in shown) + more + "</ul>")
    parts.append(document_findings_html(conv, lang))
    parts.append(f"<h2>{_e(t.text('calendar'))}</h2>" + meetings_from_html(conv, lang) + "<table>"
                 f"<tr><th>{_e(t.text('when'))}</th><th>{_e(t.text('what'))}</th></tr>"
                 + calendar_rows(conv, today, lang) + "</table>")
    parts.append("</body></html>")
    return "".join(parts)
