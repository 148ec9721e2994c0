"""The HTML every view shares, and the view of a findings report.

A floor of its own, above the words (essconv.messages) and below the findings
(essconv.findings): ``Report._repr_html_`` calls :func:`report_html` here, which reads a
report only through its attributes (``findings``, ``plan``; a finding's ``severity``, ``code``,
``where()``) and never imports the findings module back.  essconv.display, the views above,
re-export :data:`STYLE` and :func:`report_html`.
"""
from __future__ import annotations

import html
from typing import Any

from .messages import indented_view_label, language, read_line


#: the CSS every essconv HTML view shares (plans, pivots, aggregates, the dashboard).  A view
#: sets its own text colour and background: under a dark notebook theme its light rows (axis,
#: sub-total) kept the theme's light text, and its hints and findings were dark on dark
STYLE = """<style>
.essconv{color:#1a1a1a;background:#fff;color-scheme:light}
.essconv table{border-collapse:collapse;font-variant-numeric:tabular-nums;font-size:13px}
.essconv th,.essconv td{border:1px solid #ccd;padding:2px 6px}
.essconv td.n{text-align:right;white-space:nowrap}
.essconv .label{overflow-wrap:anywhere}
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


def label_cell(label: Any, tag: str = "td") -> str:
    """A label's cell: the label as views show it (:func:`essconv.messages.view_label`, its
    first 79 characters and « … » past 80, a pivot's indent kept before it); when cut, the whole label in its ``title`` and the
    cell free to wrap (an unbroken label pushed the figures off the screen)."""
    text = str(label)
    cut = indented_view_label(text)
    if cut == text:
        return f"<{tag}>{escaped(text)}</{tag}>"
    return f'<{tag} class="label" title="{escaped(text.lstrip(" "))}">{escaped(cut)}</{tag}>'


def escaped(text: Any) -> str:
    """``text`` as HTML text: a line break read as one space and each other control character
    shown as its escape, as the text outputs show it (:func:`essconv.messages.read_line`:
    ``\\x07``, ``\\u202e``), then ``&``, ``<``, ``>`` and quotes escaped.

    A browser shows a label's BEL or escape sequence as nothing, so "\\x07Lot" read as "Lot",
    the clean label's row; a line break as a space; and a right-to-left override reversed the
    text after it: an HTML view must not hide what the text view of the same labels shows."""
    return html.escape(read_line(str(text)))


#: a report shows its first 100 findings (errors come first); ``report.findings`` has them all
_SHOWN_FINDINGS = 100


def report_html(report: "Report", styled: bool = True, *, lang: str = "fr",
                convention: "Convention | None" = None) -> str:
    """The findings as an HTML list in ``lang``, each with its place in the file; the first
    100 of them, then how many more.

    Example: ``report_html(plan.validate(), lang="en")``
    """
    words = language(lang)
    shown = report.findings[:_SHOWN_FINDINGS]
    items = "".join(f'<li class="{escaped(f.severity)}"><code>{escaped(f.code)}</code> '
                    f'{escaped(words.finding(f, report.plan, convention))}'
                    + (f" <small>({escaped(f.where())})</small>" if f.source_line else "")
                    + "</li>" for f in shown)
    if len(report) > len(shown):
        items += f"<li>{escaped(words.counted('more_findings', len(report) - len(shown)))}</li>"
    empty = getattr(report.plan, "lines", None) == []
    pivot = getattr(report.plan, "dimensions", None) is not None   # a ledger's: no plan
    body = (f'<ul class="findings">{items}</ul>' if items else "") + (
        f"<p>{escaped(words.text('pivot_empty' if pivot else 'plan_empty'))}</p>" if empty   # no line: no total to hold
        else "" if items else f"<p>{escaped(words.text('no_finding_html'))}</p>")
    return (STYLE + f'<div class="essconv">{body}</div>') if styled else body
