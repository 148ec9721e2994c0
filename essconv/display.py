"""How plans, reports and conventions look: in a terminal (text) and in Jupyter (HTML).

A plan's table and findings speak one language, French by default (``lang="en"`` for English):
words, amounts ("8 115" grouped with narrow no-break spaces, or "8,115") and the findings'
messages come from essconv.messages.  Amounts are in the plan's unit, formatted by the C core
from exact cents -- never through a float.  A stated total that disagrees with its cells is
marked, with what the cells give and the suggested fix beside it; the legend of the marks shows
only when a mark does.
"""
from __future__ import annotations

import html
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from .messages import Language, language

if TYPE_CHECKING:  # pragma: no cover
    from .convention import Convention
    from .plan import Plan, Report


def _fmt(plan: "Plan", value: Decimal | None, words: Language) -> str:
    return words.number(value, plan.unit) if value is not None else ""


def _cell_marks(plan: "Plan", report: "Report") -> dict[tuple[Any, Any], list[Any]]:
    """(line, funder) -> findings about that cell; totals use 'Total'."""
    marks: dict[tuple[Any, Any], list[Any]] = {}
    for f in report.itemized():   # a correction-set marks each of its cells
        if f.code == "row-total":
            key = (f.line, "Total")
        elif f.code == "column-total":
            key = ("Total", f.funder)
        elif f.code == "grand-total":
            key = ("Total", "Total")
        elif f.code == "cell-move":
            marks.setdefault((f.line, f.target), []).append(f)
            key = (f.line, f.funder)
        else:
            key = (f.line, f.funder)
        marks.setdefault(key, []).append(f)
    return marks


def plan_text(plan: "Plan", report: "Report | None" = None, *, lang: str = "fr",
              convention: "Convention | None" = None) -> str:
    """The plan as a text table in ``lang``, axis subtotals included, mismatching totals marked
    '!', the likely fix '*'.

    Example: ``print(plan_text(essconv.default().plan(2009), lang="en"))``
    """
    report = report if report is not None else plan.validate(convention)
    words = language(lang)
    marks = _cell_marks(plan, report)
    funders = plan.funders
    head = [words.text("in_unit", unit=plan.unit)] + funders + ["Total", words.text("cells")]
    rows: list[list[str]] = []
    used: set[str] = set()   # the marks printed, for the legend

    def fmt(value: Decimal | None) -> str:
        return _fmt(plan, value, words)

    def cell_text(line: Any, funder: Any, value: str) -> str:
        found = marks.get((line, funder), [])
        if any(f.severity == "error" for f in found):
            used.add("!")
            return (value or "?") + "!"
        if any(f.code in ("cell-correction", "cell-move") and f.rank == 1 for f in found):
            used.add("*")
            return (value or "·") + "*"
        return value

    for axis in (plan.axes or [None]):
        lines = plan.lines_of(axis) if axis is not None else plan.lines
        if axis is not None:
            rows.append([axis] + [""] * (len(head) - 1))
        for line in lines:
            key = (axis, line) if plan.lines.count(line) > 1 else line
            cells = []
            for f in funders:
                text = plan.cell_text(key, f) if plan.cell(key, f) is None else fmt(plan.cell(key, f))
                cells.append(cell_text(line, f, text or ""))
            stated = plan.stated_line_totals.get(line)
            stated_text = fmt(stated) if stated is not None else _stated_raw(plan, line)
            computed = plan.by_line().get(key if isinstance(key, tuple) else line)
            rows.append(["  " + line] + cells + [cell_text(line, "Total", stated_text),
                                                 fmt(computed)])
        if axis is not None and len(plan.axes) > 0:
            sub = plan.by_axis()[axis]
            per_funder = [fmt(sum((plan.cell((axis, l) if plan.lines.count(l) > 1 else l, f)
                                   or Decimal(0) for l in lines), Decimal(0)))
                          for f in funders]
            rows.append(["  = " + words.text("subtotal")] + per_funder + ["", fmt(sub)])
    totals = plan.stated_funder_totals
    by_funder = plan.by_funder()
    rows.append([words.text("total_stated")] + [cell_text("Total", f, fmt(totals[f])) for f in funders]
                + [cell_text("Total", "Total", fmt(plan.stated_total)), ""])
    rows.append([words.text("total_cells")] + [fmt(by_funder[f]) for f in funders]
                + ["", fmt(plan.total())])
    widths = [max(len(r[k]) for r in rows + [head]) for k in range(len(head))]
    widths[0] = min(widths[0], 46)

    def render(r: list[str]) -> str:
        first = r[0] if len(r[0]) <= widths[0] else r[0][: widths[0] - 1] + "…"
        return "  ".join([first.ljust(widths[0])] + [c.rjust(w) for c, w in zip(r[1:], widths[1:])])

    out = [render(head), "-" * len(render(head))]
    out += [render(r) for r in rows]
    legend = "   ".join(words.text(key) for mark, key in (("!", "legend_wrong"), ("*", "legend_fix"))
                        if mark in used)
    title = words.text("plan", year=plan.year) if plan.year else "Plan"
    return "\n".join([f"{title} — {words.text('amounts_in', unit=plan.unit)}", *out]
                     + ([legend] if legend else []))


def _stated_raw(plan: "Plan", line: str) -> str:
    # an unreadable stated total is shown as printed
    i = plan.lines.index(line)
    return plan._core.cell(i, -2)[2] or ""


# ---------------------------------------------------------------------------- HTML
_STYLE = """<style>
.essconv table{border-collapse:collapse;font-variant-numeric:tabular-nums;font-size:13px}
.essconv th,.essconv td{border:1px solid #ccd;padding:2px 6px}
.essconv td.n{text-align:right;white-space:nowrap}
.essconv tr.axis td{background:#eef2f8;font-weight:600}
.essconv tr.sub td{background:#f7f7fb;font-style:italic}
.essconv tr.total td{font-weight:700;border-top:2px solid #445}
.essconv .bad{background:#ffd9d9;color:#900;font-weight:700}
.essconv .fix{background:#e3f6e3;color:#060}
.essconv .hint{font-size:11px;color:#555;display:block}
.essconv caption{text-align:left;font-weight:700;padding:4px 0}
.essconv ul.findings li.error{color:#900}
.essconv ul.findings li.warning{color:#a60}
.essconv ul.findings li.info{color:#060}
</style>"""


def _e(text: Any) -> str:
    return html.escape(str(text))


def plan_html(plan: "Plan", report: "Report | None" = None, *, lang: str = "fr",
              convention: "Convention | None" = None) -> str:
    """The plan as an HTML table in ``lang``: axis subtotals, mismatching totals in red with
    what the cells give, the suggested value of a faulty cell in green beside it.

    Example: ``plan_html(essconv.default().plan(2009), lang="en")``
    """
    report = report if report is not None else plan.validate(convention)
    words = language(lang)
    marks = _cell_marks(plan, report)
    funders = plan.funders

    def fmt(value: Decimal | None) -> str:
        return _fmt(plan, value, words)

    state = (words.text("consistent") if report.ok
             else words.text("inconsistencies", count=len(report.errors)))
    title = words.text("plan", year=plan.year) if plan.year else "Plan"
    out = [_STYLE, '<div class="essconv"><table>',
           f"<caption>{_e(title)} — {_e(words.text('in_unit', unit=plan.unit))} — {_e(state)}"
           "</caption>",
           f"<tr><th>{_e(words.text('axis'))}</th><th>{_e(words.text('line'))}</th>"
           + "".join(f"<th>{_e(f)}</th>" for f in funders) + "<th>Total</th></tr>"]

    def td(line: Any, funder: Any, value: Decimal | None, raw: str | None = None) -> str:
        text = _e(fmt(value) if value is not None else (raw or ""))
        found = marks.get((line, funder), [])
        classes, hints = ["n"], []
        for f in found:
            if f.severity == "error":
                classes.append("bad")
                if f.code in ("row-total", "column-total", "grand-total"):
                    hints.append(words.text("cells_give", amount=fmt(f.expected)))
                elif f.expected is not None:
                    hints.append(f"→ {fmt(f.expected)}")
            elif f.code == "cell-correction" and f.rank == 1:
                classes.append("fix")
                hints.append(f"→ {fmt(f.expected)}")
            elif f.code == "cell-move" and f.rank == 1:
                classes.append("fix")
                hints.append(words.text("move_to", funder=f.target)
                             if (line, funder) == (f.line, f.funder) else f"← {fmt(f.actual)}")
        hint = "".join(f'<span class="hint">{_e(h)}</span>' for h in hints)
        title = _e(" ".join(words.finding(f, plan, convention) for f in found))
        return f'<td class="{" ".join(dict.fromkeys(classes))}" title="{title}">{text}{hint}</td>'

    for axis in (plan.axes or [None]):
        lines = plan.lines_of(axis) if axis is not None else plan.lines
        for k, line in enumerate(lines):
            key = (axis, line) if plan.lines.count(line) > 1 else line
            i = plan.lines.index(line) if not isinstance(key, tuple) else plan._line_index(key)
            row = [f'<tr><td>{_e(axis) if k == 0 and axis else ""}</td><td>{_e(line)}</td>']
            for j, f in enumerate(funders):
                c = plan._core.cell(i, j)
                row.append(td(line, f, plan.cell(key, f), c[2]))
            tc = plan._core.cell(i, -2)
            row.append(td(line, "Total", plan.stated_line_totals.get(line), tc[2]))
            out.append("".join(row) + "</tr>")
        if axis is not None:
            out.append(f'<tr class="sub"><td></td><td>{_e(words.text("subtotal"))}</td>'
                       + "".join(f'<td class="n">{fmt(sum((plan.cell((axis, l) if plan.lines.count(l) > 1 else l, f) or Decimal(0) for l in lines), Decimal(0)))}</td>' for f in funders)
                       + f'<td class="n">{fmt(plan.by_axis()[axis])}</td></tr>')
    totals = plan.stated_funder_totals
    out.append('<tr class="total"><td>Total</td><td></td>'
               + "".join(td("Total", f, totals[f], plan._core.cell(-2, j)[2])
                         for j, f in enumerate(funders))
               + td("Total", "Total", plan.stated_total, plan._core.cell(-2, -2)[2]) + "</tr>")
    out.append("</table>")
    if len(report):
        out.append(report_html(report, styled=False, lang=lang, convention=convention))
    out.append("</div>")
    return "".join(out)


def report_html(report: "Report", styled: bool = True, *, lang: str = "fr",
                convention: "Convention | None" = None) -> str:
    """The findings as an HTML list in ``lang``, each with its place in the file.

    Example: ``report_html(plan.validate(), lang="en")``
    """
    words = language(lang)
    items = "".join(f'<li class="{_e(f.severity)}"><code>{_e(f.code)}</code> '
                    f'{_e(words.finding(f, report.plan, convention))}'
                    + (f" <small>({_e(f.where())})</small>" if f.source_line else "")
                    + "</li>" for f in report)
    body = (f'<ul class="findings">{items}</ul>' if items
            else f"<p>{_e(words.text('no_finding_html'))}</p>")
    return (_STYLE + f'<div class="essconv">{body}</div>') if styled else body


def convention_html(conv: "Convention") -> str:
    parts = [_STYLE, '<div class="essconv">', f"<h3>{_e(conv.title)}</h3>",
             f"<p>{_e(conv.territory)} — du {conv.start:%d/%m/%Y} au {conv.end:%d/%m/%Y}"
             + (f", signée à {_e(conv.signed_at)} le {conv.signed_on:%d/%m/%Y}" if conv.signed_on else "")
             + "</p>",
             "<p><b>Signataires :</b> " + ", ".join(_e(p.name) for p in conv.signatories) + "</p>",
             "<ol>" + "".join(f"<li>{_e(a.title)}</li>" for a in conv.axes) + "</ol>",
             "<p><b>Gouvernance :</b> " + "; ".join(
                 f"{_e(b.short_name)} ({b.meetings_per_year}×/an)" for b in conv.bodies) + "</p>",
             "<p><b>Plans :</b> " + ", ".join(str(y) for y in conv.plans) + "</p>"]
    if conv.key_figures is not None:   # with the text's qualifiers: "plus de 25 600"
        k = conv.key_figures
        parts.append(f"<p><b>Chiffres clés :</b> {_e(k.establishments_as_printed)} établissements, "
                     f"{_e(k.jobs_as_printed)} emplois en {k.jobs_year}</p>")
    parts.append("</div>")
    return "".join(parts)


def ledger_html(ledger: Any, rows: int = 10) -> str:
    """A ledger's size, columns and first rows -- never all of them."""
    from .money import format_amount
    head = ledger.head(rows)
    cols = ledger.columns
    kinds = ledger.kinds

    def cell(v: Any, kind: str) -> str:
        if v is None:
            return '<td class="n" style="color:#999">—</td>'
        if kind == "amount":
            return f'<td class="n">{_e(format_amount(v, decimals=2))}</td>'
        return f'<td{" class=n" if kind != "label" else ""}>{_e(v)}</td>'

    body = "".join("<tr>" + "".join(cell(r[c], kinds[c]) for c in cols) + "</tr>" for r in head)
    more = f"<p>… {len(ledger) - len(head)} more rows</p>" if len(ledger) > len(head) else ""
    return (_STYLE + '<div class="essconv">'
            f"<p><b>Ledger</b>: {len(ledger)} rows, total {_e(format_amount(ledger.total(), decimals=2))} €"
            f"{', ' + str(ledger.blank_rows) + ' blank rows skipped' if ledger.blank_rows else ''}"
            f"{', ' + str(len(ledger.bad_rows)) + ' bad rows kept aside' if ledger.bad_rows else ''}</p>"
            "<table><tr>" + "".join(f"<th>{_e(c)}<br><small>{_e(kinds[c])}</small></th>" for c in cols)
            + f"</tr>{body}</table>{more}</div>")


def aggregate_html(agg: Any, rows: int = 50) -> str:
    from .money import format_amount
    data = list(agg.to_dict().items())
    shown = data[:rows]
    def fmt(v: Any) -> str:
        return format_amount(v, decimals=2) if isinstance(v, Decimal) else str(v)
    body = "".join(f"<tr><td>{_e(k)}</td><td class=\"n\">{_e(fmt(v))}</td></tr>" for k, v in shown)
    more = f"<p>… {len(data) - rows} more groups</p>" if len(data) > rows else ""
    return (_STYLE + f'<div class="essconv"><table><caption>{_e(agg.measure)} by '
            f'{_e(", ".join(agg.dims))} ({len(agg)} groups)</caption>'
            f"<tr><th>{_e(' × '.join(agg.dims))}</th><th>{_e(agg.measure)}</th></tr>{body}</table>"
            f"{more}</div>")
