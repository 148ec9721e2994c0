"""How plans, reports and conventions look: in a terminal (text) and in Jupyter (HTML).

A plan's table and findings speak one language, French by default (``lang="en"`` for English):
words, amounts ("8 115" grouped with narrow no-break spaces, or "8,115") and the findings'
messages come from essconv.messages.  Amounts are in the plan's unit, formatted by the C core
from exact cents -- never through a float.  A stated total that disagrees with its cells is
marked, with what the cells give and the suggested fix beside it; the legend of the marks shows
only when a mark does.
"""
from __future__ import annotations

from decimal import Decimal
from typing import Any

from .messages import SUBTOTAL
from .messages import Language, indented_view_label, language, read_line, view_label

# A view below the models: the plans, pivots, conventions and reports shown are read, never imported (they are the floors above).


def _fmt(plan: "Plan", value: Decimal | None, words: Language, decimals: int = -1) -> str:
    # a table's cells as the table prints them ("1,5" k€ stays "1,5"), or with the decimals
    # the whole table takes (_Layout.decimals: euros and cents, "1 000,50"); amounts of money
    # said in a sentence take both cent digits (Language.number)
    from .money import format_amount
    return (format_amount(value, unit=plan.unit, group=words.group, decimal=words.decimal,
                          decimals=decimals) if value is not None else "")


def _repeated_lines(plan: "Plan") -> set[str]:
    """The line labels printed under several axes ("Fonctionnement" under each)."""
    from collections import Counter
    return {l for l, n in Counter(plan.lines).items() if n > 1}


def _line_key(repeated: set[str], axis: Any, line: Any) -> Any:
    """A line as the marks key it: its label, with its axis when the label repeats -- by its
    label alone, a finding about one such line marked every one of them."""
    return (axis, line) if line in repeated else line


def _cell_marks(plan: "Plan", report: "Report") -> dict[tuple[Any, Any], list[Any]]:
    """(line, funder) -> findings about that cell; totals use 'Total'; a line whose label
    repeats is keyed (axis, line)."""
    repeated = _repeated_lines(plan)
    marks: dict[tuple[Any, Any], list[Any]] = {}
    for f in report.itemized():   # a correction-set marks each of its cells
        for line, funder in f.marked_cells:
            # an axis row's printed sub-total: the sub-total row of its axis
            key = (SUBTOTAL, f.group) if line == SUBTOTAL else _line_key(repeated, f.group, line)
            marks.setdefault((key, funder), []).append(f)
    return marks


# ---------------------------------------------------------------------------- layout
#: a plan longer than 2 x 20 + 1 lines shows its first and last 20 (pandas does the same), one
#: wider than 2 x 8 + 1 funders its first and last 8: a display costs the same for 10 000 lines
_EDGE_LINES = 20
_EDGE_FUNDERS = 8
_GAP = None   # the place of the lines or funders left out


def _edges(count: int, edge: int) -> list[int | None]:
    """Indices shown of ``count``: all, or the first and last ``edge`` around a gap."""
    if count <= 2 * edge + 1:
        return list(range(count))
    return list(range(edge)) + [_GAP] + list(range(count - edge, count))


def plan_size(words: Language, lines: int, funders: int) -> str:
    """A plan's size, each count grouped and in its number: "12 345 lignes × 1 financeur" --
    "1 lignes" read as a misprint on a committee's page."""
    return words.text("plan_size", lines=words.counted("size_lines", lines),
                      funders=words.counted("size_funders", funders))


def _hidden_note(words: Language, lines: int, columns: int, column_key: str = "hidden_funders") -> str:
    """What a bounded display leaves out, and that its sums count it: a reader adding the
    amounts shown would otherwise take a Total for a wrong one.  Empty when all is shown."""
    what = [words.counted(key, n) for key, n in (("hidden_lines", lines), (column_key, columns))
            if n > 0]   # "12 305 lignes": a plan of a ledger's pivot runs to millions
    return words.text("hidden_note", what=f" {words.text('and')} ".join(what)) if what else ""


class _Layout:
    """What a display of a plan shows, read from the core by index: each shown cell costs O(1)
    and the whole layout O(lines) -- the label lookups (``plan.cell("DLA", "CDC")``) it used
    made ``str(plan)`` cubic in lines (1 000 lines: 11 s)."""

    def __init__(self, plan: "Plan", words: Language) -> None:
        self.plan = plan
        self.words = words
        self.names = plan.funders
        self.labels = plan.lines
        self.axes = plan.axes
        # what the table prints: a ledger pivot's missing key in the words of its language
        # ("(vide)"), the labels above staying the plan's keys (marks, look-ups)
        from .export import pivot_key_names
        self.shown_axes, self.shown_labels, self.shown_names = pivot_key_names(plan, words.code)
        self.line_axes = plan.line_axis_indices
        self.funders = _edges(len(self.names), _EDGE_FUNDERS)
        self.lines = _edges(len(self.labels), _EDGE_LINES)
        self.repeated = _repeated_lines(plan)
        self.members: dict[int, list[int]] = {}    # group -> its line indices, in order
        for i, g in enumerate(self.line_axes):
            if g >= 0:
                self.members.setdefault(g, []).append(i)
        self.decimals = self._decimals()

    def _decimals(self) -> int:
        """The decimals every amount of the table shows: in euros, both cent digits when a
        figure shown has cents ("1 000,50" over "2,33", not "1 000,5" over a Total of
        "1 000,60"); otherwise each figure its own ("10,5" k€ beside "197", as printed).  Read
        from what the display shows, so a plan of a million cells costs no more to show."""
        plan = self.plan
        if plan.unit != "€":
            return -1
        from .errors import MoneyOverflowError
        shown_lines = [i for i in self.lines if i is not _GAP] + [plan.TOTAL_AT]
        shown_funders = [j for j in self.funders if j is not _GAP] + [plan.TOTAL_AT]
        figures = [plan.amount_at(i, j) for i in shown_lines for j in shown_funders]
        try:
            figures += [plan.line_sum_at(i) for i in shown_lines[:-1]]
            figures += [plan.funder_sum_at(j) for j in shown_funders[:-1]]
            figures += [plan.axis_sum_at(g) for g in self.members] + [plan.total()]
        except MoneyOverflowError:
            pass   # shown in words (Language.beyond_cents): no decimals to align
        return 2 if any(v is not None and v != v.to_integral_value() for v in figures) else -1

    def key(self, i: int) -> Any:
        """Line ``i`` as the marks key it (see _line_key)."""
        g = self.line_axes[i]
        return _line_key(self.repeated, self.axes[g] if g >= 0 else None, self.labels[i])

    def hidden_note(self) -> str:
        return _hidden_note(self.words, len(self.labels) - len(self.lines) + (_GAP in self.lines),
                            len(self.names) - len(self.funders) + (_GAP in self.funders))

    def rows(self) -> list[tuple[str, int | None]]:
        """("axis", g) before an axis's first shown line, ("line", i), ("sub", g) after an
        axis's last line, ("gap", None) where lines are left out."""
        out: list[tuple[str, int | None]] = []
        previous = -1
        for i in self.lines:
            if i is _GAP:
                out.append(("gap", None))
                previous = -1
                continue
            g = self.line_axes[i]
            if g >= 0 and g != previous:
                out.append(("axis", g))
            out.append(("line", i))
            if g >= 0 and self.members[g][-1] == i:
                out.append(("sub", g))
            previous = g
        return out

    def printed(self, i: int, j: int) -> str:
        """The cell as the display writes it: its amount, or its text as printed."""
        amount = self.plan.amount_at(i, j)
        return (_fmt(self.plan, amount, self.words, self.decimals) if amount is not None
                else (self.plan.text_at(i, j) or ""))

    def sum_text(self, sum_of: Any, *args: Any) -> str:
        """A sum the core makes (line, funder, group, total), or a mark when it overflows."""
        from .errors import MoneyOverflowError
        try:
            return _fmt(self.plan, sum_of(*args), self.words, self.decimals)
        except MoneyOverflowError as exc:
            return self.words.beyond_cents(exc.below)

    def group_funder_sum(self, g: int, j: int) -> str:
        return self.sum_text(self.plan.sum_at, [(i, j) for i in self.members[g]])


def _report_of(plan: "Plan", report: "Report | None",
               convention: "Convention | None" = None) -> "Report":
    """The report a display marks: validation's, or none when the plan's sums overflow (the
    display then shows the overflow where it is rather than refusing to show anything)."""
    from .errors import MoneyOverflowError
    from .findings import Report
    if report is not None:
        return report
    try:
        report = plan.validate(convention)
    except MoneyOverflowError as exc:
        unchecked = Report([], plan)
        # no finding because nothing could be checked: the caption must not read it as clean
        unchecked.overflowed = True   # type: ignore[attr-defined]
        # and which side the sum left by: a huge negative total is not a huge positive one
        unchecked.overflowed_below = exc.below   # type: ignore[attr-defined]
        return unchecked
    if getattr(plan, "dimensions", None) is not None:
        # a ledger's pivot is computed: that it states no total is its nature, not a warning
        report = Report([f for f in report if f.code != "no-total"], plan)
    return report


def _plan_state(plan: "Plan", report: "Report", words: Language) -> str:
    """What a plan's table says of its totals after its title, " — " first, the same in the
    text and the HTML views: empty, consistent, its inconsistencies, or not checked (its sums
    past int64 cents, or no total stated to check its cells against); "" for a ledger's pivot,
    whose totals are computed."""
    dimensions = getattr(plan, "dimensions", None)
    if not plan.lines:
        # a ledger's pivot of no record has no plan nor header to be empty: nothing to pivot
        return " — " + words.text("plan_empty" if dimensions is None else "pivot_empty")
    # a table that states no total (a Total column left blank too) has none to be consistent
    # with: "consistent" would read as checked, silence as nothing to say
    states_none = (any(f.code == "no-total" for f in report)
                   or not (plan.has_total_column or plan.has_total_row))
    if getattr(report, "overflowed", False) and not states_none:
        return " — " + words.text("totals_unchecked", limit=words.beyond_cents(
            getattr(report, "overflowed_below", False)))
    if not report.ok:
        return " — " + words.text("inconsistencies", count=len(report.errors))
    if states_none:
        # a warning beside (a unit assumed) does not make the totals it has not "consistent"
        return "" if dimensions is not None else " — " + words.text("totals_unstated")
    return " — " + words.text("consistent")


def plan_text(plan: "Plan", report: "Report | None" = None, *, lang: str = "fr",
              convention: "Convention | None" = None) -> str:
    """The plan as a text table in ``lang``, axis subtotals included, mismatching totals marked
    '!', the likely fix '*'.  A big plan shows its first and last lines and funders.

    Example: ``print(plan_text(essconv.default().plan(2009), lang="en"))``
    """
    report = _report_of(plan, report, convention)
    words = language(lang)
    marks = _cell_marks(plan, report)
    lay = _Layout(plan, words)
    names = lay.names
    stated_col, stated_row = plan.has_total_column, plan.has_total_row
    from .export import plan_total_words
    total_row, total_column = plan_total_words(plan, lang)

    def totals(stated: str, computed: str) -> list[str]:
        """A line's Total cells: what the table stated and what its cells give, or only the
        latter when the table states no Total column (a ledger's pivot, a table without one)."""
        return [stated, computed] if stated_col else [computed]
    head = ([words.text("in_unit", unit=plan.unit)]
            + [view_label(lay.shown_names[j]) if j is not _GAP else "…" for j in lay.funders]
            + ([total_column, words.text("cells")] if stated_col else [total_column]))
    rows: list[list[str]] = []
    used: set[str] = set()   # the marks printed, for the legend

    def cell_text(line: Any, funder: Any, value: str) -> str:
        found = marks.get((line, funder), [])
        if any(f.severity == "error" for f in found):
            used.add("!")
            return (value or "?") + "!"
        if any(f.code in ("cell-correction", "cell-move", "subtotal-correction") and f.rank == 1
               for f in found):
            used.add("*")
            return (value or "·") + "*"
        return value

    for kind, k in lay.rows():
        if kind == "gap":
            rows.append(["  …"] + ["…"] * (len(head) - 1))
        elif kind == "axis":
            rows.append([lay.shown_axes[k]] + [""] * (len(head) - 1))
        elif kind == "sub":
            sub = (SUBTOTAL, plan.axes[k])   # the marks of the sub-totals the axis row prints
            rows.append(["  = " + words.text("subtotal")]
                        + [cell_text(sub, names[j], lay.group_funder_sum(k, j)) if j is not _GAP
                           else "…" for j in lay.funders]
                        + totals("", cell_text(sub, "Total", lay.sum_text(plan.axis_sum_at, k))))
        else:
            line, key = lay.shown_labels[k], lay.key(k)
            cells = [cell_text(key, names[j], lay.printed(k, j)) if j is not _GAP else "…"
                     for j in lay.funders]
            rows.append(["  " + line] + cells
                        + totals(cell_text(key, "Total", lay.printed(k, plan.TOTAL_AT)),
                                 lay.sum_text(plan.line_sum_at, k)))
    if stated_row:
        rows.append([words.text("total_stated")]
                    + [cell_text("Total", names[j], lay.printed(plan.TOTAL_AT, j)) if j is not _GAP
                       else "…" for j in lay.funders]
                    + totals(cell_text("Total", "Total", lay.printed(plan.TOTAL_AT, plan.TOTAL_AT)), ""))
    rows.append([words.text("total_cells") if stated_row else total_row]
                + [lay.sum_text(plan.funder_sum_at, j) if j is not _GAP else "…"
                   for j in lay.funders]
                + totals("", lay.sum_text(plan.total)))
    # a label's line break split its row, an escape sequence ("\x1b[2J") reached the
    # terminal: a line break read as a space and each other control character shown as its
    # escape (read_line), before the columns are measured
    # a label past 80 characters as its first 79 and « … », after its indent, as every view
    # cuts one: a cut at 46 columns showed a pivot's distinct rows (two grants' objects alike
    # in their first 44 characters) as the same label twice
    head = [read_line(c) for c in head]
    rows = [[read_line(indented_view_label(r[0])), *(read_line(c) for c in r[1:])] for r in rows]
    widths = [max(len(r[k]) for r in rows + [head]) for k in range(len(head))]

    def render(r: list[str]) -> str:
        return "  ".join([r[0].ljust(widths[0])] + [c.rjust(w) for c, w in zip(r[1:], widths[1:])])

    out = [render(head), "-" * len(render(head))]
    out += [render(r) for r in rows]
    legend = "   ".join(words.text(key) for mark, key in (("!", "legend_wrong"), ("*", "legend_fix"))
                        if mark in used)
    title = plan_title(plan, words)
    size = (" (" + plan_size(words, len(lay.labels), len(names)) + ")"
            if _GAP in lay.lines or _GAP in lay.funders else "")
    note = lay.hidden_note()
    # the totals' state, as the HTML caption says it: a table stating no total read as checked
    state = _plan_state(plan, report, words)
    return "\n".join([read_line(f"{title} — {words.text('amounts_in', unit=plan.unit)}{state}{size}"),
                      *([note] if note else []), *out] + ([legend] if legend else []))


def plan_title(plan: "Plan", words: Language) -> str:
    """What the table is: a ledger's pivot by its columns (a date dimension in ``words``'
    words), a plan by its year; the tables' captions and the figures' titles say it.

    Example: ``plan_title(ledger.pivot(essconv.year("d"), "f"), language("fr"))`` ->
    ``'Tableau croisé — année de d × f'``"""
    dimensions = getattr(plan, "dimensions", None)
    if dimensions is not None:
        rows, columns = dimensions
        # a date dimension in the caption's words ("année de d"), not the API's "year(d)"
        return words.text("pivot", rows=" / ".join(words.dimension(str(r)) for r in rows),
                          columns=words.dimension(str(columns)))
    return words.text("plan", year=plan.year) if plan.year else "Plan"


# ---------------------------------------------------------------------------- HTML
from .html_page import STYLE, escaped as _e, label_cell  # noqa: E402  (shared with the findings' view)


def plan_html(plan: "Plan", report: "Report | None" = None, *, lang: str = "fr",
              convention: "Convention | None" = None) -> str:
    """The plan as an HTML table in ``lang``: axis subtotals, mismatching totals in red with
    what the cells give, the suggested value of a faulty cell in green beside it.  A big plan
    shows its first and last lines and funders.

    Example: ``plan_html(essconv.default().plan(2009), lang="en")``
    """
    report = _report_of(plan, report, convention)
    words = language(lang)
    marks = _cell_marks(plan, report)
    lay = _Layout(plan, words)
    names = lay.names

    def fmt(value: Decimal | None) -> str:
        return _fmt(plan, value, words, lay.decimals)

    gap_td = '<td class="n">…</td>'
    dimensions = getattr(plan, "dimensions", None)
    size = (" — " + plan_size(words, len(lay.labels), len(names))
            + " — " + lay.hidden_note() if _GAP in lay.lines or _GAP in lay.funders else "")
    stated_col, stated_row = plan.has_total_column, plan.has_total_row
    if any(f.code == "no-total" for f in report):
        # a Total column or row left blank states nothing: its cells show what the lines and
        # funders give, as for a table with no Total at all (blank, no sum reached the page)
        stated_col = stated_row = False
    state = _plan_state(plan, report, words)
    title = plan_title(plan, words)
    from .export import plan_total_words
    total_row, total_column = plan_total_words(plan, lang)
    row_heads = ((["", *dimensions[0]][-2:]) if dimensions is not None
                 else [words.text("axis"), words.text("line")])
    out = [STYLE, '<div class="essconv"><table>',
           f"<caption>{_e(title)} — {_e(words.text('in_unit', unit=plan.unit))}{_e(state)}"
           f"{_e(size)}</caption>",
           f"<tr><th>{_e(row_heads[0])}</th><th>{_e(row_heads[1])}</th>"
           + "".join(label_cell(lay.shown_names[j], "th") if j is not _GAP else "<th>…</th>"
                     for j in lay.funders)
           + f"<th>{_e(total_column)}</th></tr>"]

    def td(line: Any, funder: Any, i: int, j: int, shown: str | None = None) -> str:
        text = _e(lay.printed(i, j) if shown is None else shown)
        found = marks.get((line, funder), [])
        classes, hints = ["n"], []
        for f in found:
            if f.severity == "error":
                classes.append("bad")
                if f.code in ("row-total", "column-total", "grand-total"):
                    hints.append(words.text("cells_give", amount=fmt(f.expected)))
                elif f.code == "subtotal":   # the row shows what the lines give
                    hints.append(words.text("printed", amount=fmt(f.actual)))
                elif f.expected is not None:
                    hints.append(f"→ {fmt(f.expected)}")
            elif f.code in ("cell-correction", "subtotal-correction") and f.rank == 1:
                classes.append("fix")
                hints.append(f"→ {fmt(f.expected)}")
            elif f.code == "cell-move" and f.rank == 1:
                classes.append("fix")
                hints.append(words.text("move_to", funder=f.target)
                             if (line, funder) == (_line_key(lay.repeated, f.group, f.line), f.funder)
                             else f"← {fmt(f.actual)}")
        hint = "".join(f'<span class="hint">{_e(h)}</span>' for h in hints)
        title = _e(" ".join(words.finding(f, plan, convention) for f in found))
        return f'<td class="{" ".join(dict.fromkeys(classes))}" title="{title}">{text}{hint}</td>'

    axis_shown = -1
    for kind, k in lay.rows():
        if kind == "gap":
            out.append('<tr class="gap"><td>…</td><td>…</td>'
                       + gap_td * (len(lay.funders) + 1) + "</tr>")
            axis_shown = -1
        elif kind == "axis":
            axis_shown = k
        elif kind == "sub":
            # the sums of the axis's lines, marked where the axis row prints another sub-total
            sub = (SUBTOTAL, plan.axes[k])
            out.append(f'<tr class="sub"><td></td><td>{_e(words.text("subtotal"))}</td>'
                       + "".join(td(sub, names[j], 0, 0, lay.group_funder_sum(k, j))
                                 if j is not _GAP else gap_td for j in lay.funders)
                       + td(sub, "Total", 0, 0, lay.sum_text(plan.axis_sum_at, k)) + "</tr>")
        else:
            line = lay.shown_labels[k]
            axis = label_cell(lay.shown_axes[axis_shown]) if axis_shown >= 0 else "<td></td>"
            axis_shown = -1   # an axis is named on its first shown line only
            key = lay.key(k)
            out.append(f"<tr>{axis}{label_cell(line)}"
                       + "".join(td(key, names[j], k, j) if j is not _GAP else gap_td
                                 for j in lay.funders)
                       + (td(key, "Total", k, plan.TOTAL_AT) if stated_col else
                          f'<td class="n">{lay.sum_text(plan.line_sum_at, k)}</td>') + "</tr>")
    # the Total row: what the table stated (marked against its cells), or what the cells give
    # when it states none -- never an empty "stated" total
    out.append(f'<tr class="total"><td>{_e(total_row)}</td><td></td>'
               + "".join((td("Total", names[j], plan.TOTAL_AT, j) if stated_row else
                          f'<td class="n">{lay.sum_text(plan.funder_sum_at, j)}</td>')
                         if j is not _GAP else gap_td for j in lay.funders)
               # the grand total as stated where the table states it (a Total row and column
               # meet there), else what the cells give: a table with only one of them left it blank
               + (td("Total", "Total", plan.TOTAL_AT, plan.TOTAL_AT) if stated_row and stated_col
                  else f'<td class="n">{lay.sum_text(plan.total)}</td>') + "</tr>")
    out.append("</table>")
    if len(report):
        out.append(report_html(report, styled=False, lang=lang, convention=convention))
    out.append("</div>")
    return "".join(out)


from .html_page import report_html  # noqa: E402,F401  (essconv.display.report_html)


def convention_html(conv: "Convention", *, lang: str = "fr") -> str:
    """The convention at a glance in ``lang``, French by default as the committee reads it
    (``lang="en"`` for English): its term, signatories, axes, governance, plans and key
    figures.  Each axis keeps its own number ("3." for an axis 3), not its rank in the list.

    Example: ``convention_html(essconv.default(), lang="en")``
    """
    t = language(lang)
    say, colon = t.say, "\u00a0:" if t.code == "fr" else ":"
    signed = ""
    if conv.signed_on:
        at = (say(f", signée à {_e(conv.signed_at)}", f", signed at {_e(conv.signed_at)}")
              if conv.signed_at else say(", signée", ", signed"))
        signed = at + say(f" le {t.date(conv.signed_on)}", f" on {t.date(conv.signed_on)}")
    per_year = say("×/an", "×/year")
    parts = [STYLE, '<div class="essconv">', f"<h3>{_e(conv.title)}</h3>",
             f"<p>{_e(conv.territory)} — "
             + say(f"du {t.date(conv.start)} au {t.date(conv.end)}",
                   f"from {t.date(conv.start)} to {t.date(conv.end)}")
             + signed + "</p>",
             f"<p><b>{_e(t.text('signatories'))}{colon}</b> "
             + _listed(", ".join(_e(p.name) for p in conv.signatories)) + "</p>",
             # an ordered list numbers from 1: an axis 3 alone was shown "1."
             "<ol>" + "".join(f'<li value="{int(a.number)}">{_e(a.title)}</li>'
                              for a in conv.axes) + "</ol>",
             f"<p><b>{_e(say('Gouvernance', 'Governance'))}{colon}</b> "
             + _listed(say("\u202f; ", "; ").join(
                 # an English name with the text's French one beside it, in one parenthesis
                 f"{_e(b.short_name_in(t.code))} ("
                 + (f"{_e(b.short_name)}, " if b.short_name_in(t.code) != b.short_name else "")
                 + f"{b.meetings_per_year}{per_year})"
                 for b in conv.bodies)) + "</p>",
             f"<p><b>Plans{colon}</b> " + _listed(", ".join(str(y) for y in conv.plans)) + "</p>"]
    if conv.key_figures is not None:   # with the text's qualifiers: "plus de 25 600"
        k = conv.key_figures
        # French as the text prints its figures; English with the qualifier in English
        establishments = (k.establishments_as_printed if t.code == "fr"
                          else t.figure(k.establishments, k.establishments_qualifier))
        jobs = k.jobs_as_printed if t.code == "fr" else t.figure(k.jobs)
        parts.append(f"<p><b>{_e(t.text('key_figures'))}{colon}</b> "
                     + _e(say(f"{establishments} établissements, {jobs} emplois en {k.jobs_year}",
                              f"{establishments} establishments, {jobs} jobs in {k.jobs_year}"))
                     + "</p>")
    parts.append("</div>")
    return "".join(parts)


def _listed(items: str) -> str:
    """A list of a convention's page, or a dash when it has nothing: "Plans :" followed by
    nothing read as a line cut short (a description with no plan yet, no body)."""
    return items or "—"


#: a ledger wider than 2 x 10 + 1 columns shows its first and last 10 (pandas shows 20)
_EDGE_LEDGER_COLUMNS = 10


def ledger_html(ledger: Any, rows: int = 10, last: int = 5, *, lang: str = "fr") -> str:
    """A ledger's size, columns, first and last rows -- never all of them: the time does not
    grow with the ledger (1e7 rows once took 6 s and 1.2 GB to show ten), nor with its width
    (the first and last 10 columns, the others counted).  In ``lang``, French
    by default as the committee reads it (``lang="en"`` for English): its words, its figures
    ("1 234,50" / "1,234.50") and the kind of each column.

    Example: ``ledger_html(essconv.read_scdl("lot-2017.csv"), lang="en")``
    """
    from .export import missing_key_word
    words = language(lang)
    fr = words.code == "fr"
    # the first and last columns only, as a plan's display its funders: a ledger of 10 000
    # columns showed (and converted) every one, a table no one reads at 400 times the cost
    every = ledger.columns
    places = _edges(len(every), _EDGE_LEDGER_COLUMNS)
    cols = [every[i] for i in places if i is not _GAP]
    hidden_columns = len(every) - len(cols)
    head = ledger.head(rows, columns=cols)
    hidden = len(ledger) - len(head)
    tail = ledger.tail(min(last, hidden), columns=cols) if hidden > 0 else []
    hidden -= len(tail)
    kinds = ledger.kinds
    gap_at = places.index(_GAP) if hidden_columns else -1

    def with_gap(cells: list[str], gap: str) -> str:
        return "".join(cells[:gap_at] + [gap] + cells[gap_at:] if gap_at >= 0 else cells)

    # a missing value in the words the aggregates use ("(vide)", "(clé manquante)" beside a
    # label written so): a "—" shown for it read as a label "—", told apart by its grey alone
    missing = _e(missing_key_word((v for part in (head, tail) for r in part for v in r.values()),
                                  lang))

    def cell(v: Any, kind: str) -> str:
        if v is None:
            return f'<td class="n" style="color:#999">{missing}</td>'
        if kind == "amount":
            return f'<td class="n">{_e(_euros(words, v))}</td>'
        if kind == "date":
            return f'<td class=n>{_e(words.date(v))}</td>'
        if kind == "label":   # cut past 80 characters, whole in the cell's title
            return label_cell(v)
        # an int column's values as written: a year or a code is no figure to group ("2,017")
        return f'<td class=n>{_e(v)}</td>'

    def body(part: list[dict[str, Any]]) -> str:
        return "".join("<tr>" + with_gap([cell(r[c], kinds[c]) for c in cols], "<td>…</td>")
                       + "</tr>" for r in part)

    line = (("ligne", "lignes"), ("row", "rows"))
    gap = (f'<tr class="gap"><td colspan="{len(cols) + (gap_at >= 0)}">… '
           + _e(_counted(words, hidden, ("autre ligne", "autres lignes"),
                         ("more row", "more rows"))) + "</td></tr>" if hidden > 0 else "")
    said = [_counted(words, len(ledger), *line) + words.say(", total ", ", total ")
            + _ledger_total(ledger, words)]
    if ledger.blank_rows:
        said.append(_counted(words, ledger.blank_rows, ("ligne vide ignorée",
                                                        "lignes vides ignorées"),
                             ("blank row skipped", "blank rows skipped")))
    if ledger.bad_rows:
        said.append(_counted(words, len(ledger.bad_rows),
                             ("ligne illisible mise de côté", "lignes illisibles mises de côté"),
                             ("bad row kept aside", "bad rows kept aside")))
    if hidden_columns:
        said.append(words.counted("ledger_hidden_columns", hidden_columns))
    title = words.say("Registre", "Ledger")
    heads = with_gap([f"<th>{_e(c)}<br><small>{_e(_kind_name(kinds[c], fr))}</small></th>"
                      for c in cols], "<th>…</th>")
    return (STYLE + '<div class="essconv">'
            # the words are essconv's own and the total a figure (or its overflow in words):
            # nothing to escape
            f"<p><b>{title}</b>{words.colon}{', '.join(said)}</p>"
            f"<table><tr>{heads}</tr>{body(head)}{gap}{body(tail)}</table></div>")


def _kind_name(kind: str, french: bool) -> str:
    """A column's kind as the header shows it: "montant", "libellé"... in French."""
    names = {"label": "libellé", "int": "entier", "date": "date", "amount": "montant"}
    return names.get(kind, kind) if french else kind


def _ledger_total(ledger: Any, words: Language) -> str:
    """The ledger's total with its unit, or, past int64 cents, the limit it is beyond."""
    from .errors import MoneyOverflowError
    try:
        return _euros(words, ledger.total()) + (words.unit_space if words.code == "fr" else " ") + "€"
    except MoneyOverflowError as exc:
        return words.beyond_cents(exc.below)


def aggregate_html(agg: Any, rows: int = 50, *, lang: str = "fr") -> str:
    """An aggregate as a report table in ``lang``: its first ``rows`` groups (converted alone,
    whatever the number of groups), then its others and total lines; amounts in euros, shares
    as percentages, each as that language prints them.

    Example: ``aggregate_html(agg.top(10, others=True).share(), lang="en")``
    """
    from .export import (AMOUNT_MEASURES, hidden_groups, merged_line_words, missing_key_word,
                         shares_footnote)
    from .money import PERCENT_CONTEXT, format_amount
    words = language(lang)
    columns = agg.report_columns
    kinds = agg.line_kinds()
    groups = len(kinds) - sum(k != "group" for k in kinds[-2:])   # merged lines come last
    ledger = agg.report_lines()
    lines = [(r, "group") for r in ledger.head(min(rows, groups))]
    lines += list(zip(ledger.tail(len(kinds) - groups), kinds[groups:])) if len(kinds) > groups else []
    if agg.asks_total and "total" not in kinds:
        # no group to merge (a filter keeping nothing): the total is 0 over 0 records, as the
        # exports write it; a mean, a min or a max of nothing stays empty
        lines.append((agg.total_of_no_group(), "total"))
    said = merged_line_words(agg, kinds, (r[columns[0]] for r, k in lines[:min(rows, groups)]),
                             lang)
    # a label "(vide)" shown beside a missing key: the missing key says "(clé manquante)"
    blank = missing_key_word((r[c] for r, k in lines[:min(rows, groups)] for c in agg.dims), lang)

    def fmt(column: str, v: Any) -> str:
        if v is None:
            return blank
        if column in AMOUNT_MEASURES:
            return format_amount(v, group=words.group, decimal=words.decimal,
                                 decimals=2) + words.unit_space + "€"
        if column == "share":
            # in the percentages' context: the caller's precision of 3 raised on 100.00
            return words.percent(v.quantize(Decimal("0.01"), context=PERCENT_CONTEXT))
        if column == "count":
            return f"{v:,}".replace(",", words.group)
        return words.date(v) if hasattr(v, "isoformat") else str(v)

    def tr(r: dict[str, Any], kind: str) -> str:
        cells = []
        for k, c in enumerate(columns):
            if kind != "group" and c in agg.dims:
                text = said[kind] if k == 0 else ""
            elif r[c] is None and c not in agg.dims:
                text = ""   # a measure of no record (the total of no group)
            else:
                text = fmt(c, r[c])
            cells.append(label_cell(text) if c in agg.dims else f'<td class="n">{_e(text)}</td>')
        css = {"others": ' class="sub"', "total": ' class="total"'}.get(kind, "")
        return f"<tr{css}>{''.join(cells)}</tr>"

    # the groups not shown: past ``rows``, and those a top() left out with no others line to
    # merge them -- a total line counts them all the same, and says so
    merged = kinds[groups:]   # the others and total lines, last: O(1), whatever the groups
    hidden = max(groups - rows, 0) + hidden_groups(agg, kinds)
    more = ""
    if hidden > 0:
        key = "agg_more_counted" if "total" in merged else "agg_more"
        more = (f'<tr><td colspan="{len(columns)}">'
                f'{_e(words.counted(key, hidden))}</td></tr>')
    caption = words.counted("agg_caption", agg.group_count,  # "aucun groupe", "12 345 groupes"
                            measure=words.text(f"agg_{agg.measure}"),
                            dims=" × ".join(map(words.dimension, agg.dims)))
    heads = "".join(f"<th>{_e(c if c in agg.dims else words.text(f'agg_{c}'))}</th>"
                    for c in columns)
    body = "".join(tr(r, k) for r, k in lines[:min(rows, groups)])
    tail = "".join(tr(r, k) for r, k in lines[min(rows, groups):])
    # shares rounded one by one that miss 100 % over every group (shown or past ``rows``)
    footnote = shares_footnote(agg, lang, kinds)
    if footnote is not None:
        tail += f'<tr><td colspan="{len(columns)}"><small>{_e(footnote)}</small></td></tr>'
    return (STYLE + f'<div class="essconv"><table><caption>{_e(caption)}</caption>'
            f"<tr>{heads}</tr>{body}{more}{tail}</table></div>")


# ---------------------------------------------------------------------------- pivots
def _pivot_rows(pivot: "Pivot", lang: str = "fr") -> tuple[list[list[str]], str]:
    """The table a display shows: a big pivot's first and last rows and columns only, so
    showing it costs the same at 10 000 lines as at 10; and the note of what it leaves out."""
    rows, cols = pivot.ordered_rows(), pivot.ordered_columns()
    shown_rows, shown_cols = _edges(len(rows), _EDGE_LINES), _edges(len(cols), _EDGE_FUNDERS)
    note = _hidden_note(language(lang), len(rows) - len(shown_rows) + (_GAP in shown_rows),
                        len(cols) - len(shown_cols) + (_GAP in shown_cols), "hidden_columns")
    return pivot.table([rows[i] if i is not None else None for i in shown_rows],
                       [cols[j] if j is not None else None for j in shown_cols], lang=lang), note


def pivot_text(pivot: "Pivot", *, lang: str = "fr") -> str:
    """A pivot as aligned text in ``lang``, bounded like a plan's display (then saying what it
    leaves out).

    Example: ``print(pivot_text(essconv.default().plan(2009).pivot(), lang="en"))``"""
    rows, note = _pivot_rows(pivot, lang)
    # a label past 80 characters as its first 79 and « … » (the figures stayed off-screen
    # behind a 10 000-character name); then its controls as escapes, as a plan's
    rows = [[indented_view_label(c) for c in r] if k == 0 else [indented_view_label(r[0]), *r[1:]]
            for k, r in enumerate(rows)]
    rows = [[read_line(c) for c in r] for r in rows]
    widths = [max(len(r[k]) for r in rows) for k in range(len(rows[0]))]
    return "\n".join([note] * bool(note) + [
        "  ".join([r[0].ljust(widths[0])] + [c.rjust(w) for c, w in zip(r[1:], widths[1:])])
        for r in rows])


def pivot_html(pivot: "Pivot", *, lang: str = "fr") -> str:
    """A pivot as an HTML table in ``lang``, bounded like a plan's display, captioned by what
    it pivots (a plan's year, a ledger's columns) in the language of its table.

    Example: ``pivot_html(essconv.default().plan(2009).pivot(), lang="en")``"""
    rows, note = _pivot_rows(pivot, lang)
    words = language(lang)
    caption = (f"{plan_title(pivot.plan, words)} — {words.text('margins')} — "
               f"{words.text('in_unit', unit=pivot.unit)}" + (f" — {note}" if note else ""))
    # the labels cut past 80 characters, whole in the cell's title (label_cell)
    head = "".join(label_cell(c, "th") for c in rows[0])
    body = "".join("<tr>" + "".join(
        f'<td class="n">{_e(c)}</td>' if k else label_cell(c) for k, c in enumerate(r))
        + "</tr>" for r in rows[1:])
    return (f'{STYLE}<div class="essconv"><table><caption>{_e(caption)}</caption>'
            f"<tr>{head}</tr>{body}</table></div>")


# ---------------------------------------------------------------------------- names
#: a display lists the first 50 groups of similar labels; iterating gives them all
_SHOWN_GROUPS = 50
#: why a group's labels are probably one entity, in French and in English
_REASON_WORDS = {"same-siret": ("même SIRET", "same SIRET"),
                 "same-name": ("même nom une fois normalisé", "same name once folded")}


def _counted(words: Language, count: int, french: tuple[str, str],
             english: tuple[str, str]) -> str:
    """``count`` things in ``words``' language, grouped as that language groups figures
    ("12 345 678 lignes", "12,345,678 rows"), singular for one (and, in French, for none)."""
    shown = f"{count:,}".replace(",", words.group)
    one, many = french if words.code == "fr" else english
    singular = count == 1 or (count == 0 and words.code == "fr")
    return f"{shown} {one if singular else many}"


def _euros(words: Language, amount: Decimal) -> str:
    """An amount in euros with both cent digits, as ``words``' language prints figures: French
    "1 234,50", English "1,234.50" -- one language per output, its words and its figures."""
    from .money import format_amount
    return format_amount(amount, group=words.group, decimal=words.decimal, decimals=2)


def _similar_head(similar: Any, words: Language) -> str:
    """The heading of groups of probably-same labels, their count in its number: the text's
    first line and the HTML caption alike (the English caption read "Labels of nomBeneficiaire
    …: 2 groups" over a text "2 groups of labels of 'nomBeneficiaire' …"), the column quoted
    as that language quotes."""
    return words.counted("similar_head", len(similar), column=words.quote(similar.column))


def _more_groups(similar: Any, words: Language) -> str:
    more = len(similar) - _SHOWN_GROUPS
    return "… " + _counted(words, more, ("autre groupe", "autres groupes"),
                           ("more group", "more groups"))


def similar_labels_text(similar: Any, *, lang: str = "fr") -> str:
    """Groups of probably-same labels as text in ``lang``, French by default as the committee
    reads it (``lang="en"`` for English): each group's reason and key, then each label with
    its records and exact sum; the first 50 groups.

    Example: ``print(similar_labels_text(ledger.similar_labels("nomBeneficiaire"), lang="en"))``
    """
    words = language(lang)
    records = ("enregistrement", "enregistrements"), ("record", "records")
    # a label (or key) past 80 characters as its first 79 and « … », as every view shows it
    if words.code == "en":   # an analyst's words, as the English view always printed them
        # the groups counted in their number ("1 group ... is", "2 groups ... are"), never
        # "group(s)"
        out = [_similar_head(similar, words)]
        # records counted as the HTML counts them: "1,234 records", "1 record" (not "1 records")
        for g in similar.groups[:_SHOWN_GROUPS]:
            out.append(f"{_REASON_WORDS[g.reason][1]} {view_label(g.key)!r}: "
                       f"{_counted(words, g.records, *records)}, {_euros(words, g.amount)} €")
            out += [f"  {view_label(c.label)!r}: {_counted(words, c.records, *records)}, "
                    f"{_euros(words, c.amount)} €" for c in g.labels]
    else:
        out = [_similar_head(similar, words)]
        for g in similar.groups[:_SHOWN_GROUPS]:
            out.append(f"{_REASON_WORDS[g.reason][0]} {words.quote(view_label(g.key))}{words.colon}"
                       f"{_counted(words, g.records, *records)}, "
                       f"{_euros(words, g.amount)}{words.unit_space}€")
            out += [f"  {words.quote(view_label(c.label))}{words.colon}"
                    f"{_counted(words, c.records, *records)}, "
                    f"{_euros(words, c.amount)}{words.unit_space}€" for c in g.labels]
    if len(similar) > _SHOWN_GROUPS:
        out.append(_more_groups(similar, words))
    # a label's line break read as a space, an escape sequence shown as its escape, as a
    # plan's text shows them (a quoted label keeps its exact "\n": Language.quote)
    return "\n".join(read_line(line) for line in out)


def similar_labels_html(similar: Any, *, lang: str = "fr") -> str:
    """Groups of probably-same labels as an HTML table in ``lang``, French by default as the
    committee reads it (``lang="en"`` for English): one row per label under a row per group
    (its reason, key and totals); the first 50 groups.

    Example: ``similar_labels_html(ledger.similar_labels("nomBeneficiaire"), lang="en")``
    """
    words = language(lang)
    fr = words.code == "fr"

    def n(count: int) -> str:
        return _e(f"{count:,}".replace(",", words.group))
    rows = []
    for g in similar.groups[:_SHOWN_GROUPS]:
        rows.append(f'<tr class="sub"><td>{_e(_REASON_WORDS[g.reason][0 if fr else 1])}</td>'
                    f'<td><code>{_e(view_label(g.key))}</code></td><td class="n">{n(g.records)}</td>'
                    f'<td class="n">{_e(_euros(words, g.amount))}</td></tr>')
        # a label cut past 80 characters, whole in its title (two differing past the cut)
        rows += [f'<tr><td></td>{label_cell(c.label)}<td class="n">{n(c.records)}</td>'
                 f'<td class="n">{_e(_euros(words, c.amount))}</td></tr>' for c in g.labels]
    more = (f"<p>{_e(_more_groups(similar, words))}</p>"
            if len(similar) > _SHOWN_GROUPS else "")
    heads = (("raison", "libellé", "enregistrements", "montant (€)") if fr else
             ("why", "label", "records", "amount (€)"))
    return (STYLE + f'<div class="essconv"><table><caption>{_e(_similar_head(similar, words))}'
            "</caption><tr>" + "".join(f"<th>{h}</th>" for h in heads) + "</tr>"
            + "".join(rows) + f"</table>{more}</div>")


# ---------------------------------------------------------------------------- execution, SCDL
def execution_html(ex: Any, *, lang: str = "fr") -> str:
    """Planned versus paid as the committee reads it, in ``lang``: one table per dimension
    (party, axis) with the execution rate, then where every grant record went.

    Example: ``execution_html(conv.execution(2009, ledger), lang="en")``
    """
    from .execution_text import (accounting_lines, amount_cells, execution_notes, execution_rows,
                                 rate_cell, rate_legends, row_label)
    words = language(lang)
    parts = [STYLE, '<div class="essconv">']
    # no column placing the payments on lines: said above the tables, whose axes show "not
    # computed" (they read 0,0 % under "matched")
    parts += [f"<p><strong>{_e(note)}</strong></p>" for note in execution_notes(ex, words)]
    undefined = not_significant = False
    for dim in ("party", "axis"):
        # the Total row is every funder's; what this dimension cannot place (records of a
        # party on no line of the plan have no axis) is a row of its own, so that the rows
        # shown add up to it
        computed = ex.computed(dim)
        table = execution_rows(ex, dim, words)
        undefined |= computed and any(r is None and p >= 0 for _k, p, _q, r in table)
        not_significant |= computed and any(r is None and p < 0 for _k, p, _q, r in table)
        # each column with one number of decimals, its Total row included
        planned = amount_cells(words, [p for _k, p, _q, _r in table] + [ex.total_planned])
        paid = amount_cells(words, [q for _k, _p, q, _r in table] + [ex.total_paid])
        rows = "".join(f'<tr>{label_cell(row_label(dim, k, words, ex))}'
                       f'<td class="n">{_e(p_cell)}</td>'
                       f'<td class="n">{_e(q_cell)}</td>'
                       f'<td class="n">{_e(rate_cell(words, r, computed, p))}</td></tr>'
                       for (k, p, _q, r), p_cell, q_cell in zip(table, planned, paid))
        caption = words.text("execution_by", year=ex.year, dim=words.text(f"dim_{dim}"))
        parts.append(f"<table><caption>{_e(caption)}"
                     f"</caption><tr><th>{_e(words.text(f'dim_{dim}'))}</th>"
                     f"<th>{_e(words.text('planned'))} (€)</th><th>{_e(words.text('paid'))} (€)"
                     f"</th><th>{_e(words.text('rate'))}</th></tr>{rows}"
                     f'<tr class="total"><td>Total</td><td class="n">{_e(planned[-1])}'
                     f'</td><td class="n">{_e(paid[-1])}</td>'
                     f'<td class="n">{_e(rate_cell(words, ex.total_rate, True, ex.total_planned))}'
                     f'</td></tr></table>')
        undefined |= ex.total_rate is None and ex.total_planned >= 0
        not_significant |= ex.total_rate is None and ex.total_planned < 0
    parts += [f"<p><small>{_e(legend)}</small></p>"
              for legend in rate_legends(words, undefined, not_significant)]
    if ex.unmapped:
        parts.append(f"<p>{_e(words.counted('unmapped', len(ex.unmapped), amount=words.amount(ex.total_unmapped, '€')))}</p>")
    lines = accounting_lines(ex, words)
    if lines:
        parts.append(f"<p>{_e(lines[0])}</p><ul>"
                     + "".join(f"<li>{_e(line.strip())}</li>" for line in lines[1:]) + "</ul>")
    parts.append("</div>")
    return "".join(parts)


#: an SCDL report shows its first 20 findings; ``report.findings`` has them all
_SHOWN_SCDL_FINDINGS = 20


def scdl_report_html(report: Any, first: int = _SHOWN_SCDL_FINDINGS, *, lang: str = "fr") -> str:
    """An SCDL validation report in ``lang`` (French by default, as the other displays): the
    verdict, the counts by severity and code, then the first findings, each with its row, the
    column of its cell and its suggestion."""
    words = language(lang)
    say = words.say
    counts = report.counts()
    head = report.summary(0, lang=lang).splitlines()[0]   # the verdict, as summary() says it
    count_rows = "".join(f'<tr><td>{_e(words.severity(sev))}</td><td><code>{_e(code)}</code></td>'
                         f'<td class="n">{words.grouped(n)}</td></tr>'
                         for sev, codes in counts.items() for code, n in codes.items())
    shown = report.findings[:first]
    not_kept = sum(n for codes in report.not_kept.values() for n in codes.values())
    # the column as the text report places the cell (file:row:column): a row of 30 cells
    # left the analyst to count them; a finding of the whole row or file has none
    finding_rows = "".join(
        f'<tr><td class="n">{"" if f.row is None else f.row}</td>'
        f'<td class="n">{f.column if f.row and f.column else ""}</td><td>{_e(words.severity(f.severity))}</td>'
        f'<td><code>{_e(f.code)}</code></td><td>{_e(f.field or "")}</td><td>{_e(f.text(lang))}</td>'
        f'<td>{_e(f.suggestion_text(lang, quoted=False) if words.code != "en" else f.suggestion or "")}'
        f'</td></tr>' for f in shown)
    parts = [STYLE, '<div class="essconv">', f"<p><b>{_e(head)}</b></p>"]
    if count_rows:
        parts.append(f"<table><caption>{say('Constats par code', 'Findings by code')}</caption>"
                     f"<tr><th>{say('gravité', 'severity')}</th><th>code</th>"
                     f"<th>{say('constats', 'findings')}</th></tr>{count_rows}</table>")
        if not_kept:   # counted above, not listed: said, never dropped silently
            parts.append("<p>" + _e(words.counted("not_kept_findings", not_kept,
                                                  limit=report.max_findings)) + "</p>")
    if report.findings:   # none kept (max_findings=0): the counts say them, no empty table
        found = sum(n for codes in counts.values() for n in codes.values())
        caption = _first_findings_caption(words, len(shown), len(report), found)
        parts.append(f"<table><caption>{_e(caption)}</caption>"
                     f"<tr><th>{say('ligne', 'row')}</th><th>{say('colonne', 'column')}</th>"
                     f"<th>{say('gravité', 'severity')}</th>"
                     f"<th>code</th><th>{say('champ', 'field')}</th><th>message</th>"
                     f"<th>suggestion</th></tr>{finding_rows}</table>")
    if not count_rows:
        parts.append("<p>" + _e(say("Aucun constat : toutes les règles du schéma sont respectées.",
                                    "No finding: every rule of the schema holds.")) + "</p>")
    parts.append("</div>")
    return "".join(parts)


def _first_findings_caption(words: Language, shown: int, found: int, met: int | None = None) -> str:
    """The caption of an SCDL report's findings: "Les 20 premiers constats sur 50", and when
    every one is shown, "Les 5 constats" / "Le constat" -- "Les 1 premiers constats sur 1"
    read as a list cut short, and a singular spelt as a plural.  ``found`` are those kept,
    ``met`` those counted: fewer kept (``max_findings``) are said kept out of those met
    ("Les 11 constats gardés sur 65"), where "All 11 findings" hid 54 of them."""
    if met is not None and found < met:
        n, kept, total = words.grouped(shown), words.grouped(found), words.grouped(met)
        if shown == found:
            return (words.say(f"Le constat gardé sur {total}", f"The finding kept of {total}")
                    if found == 1 else words.say(f"Les {n} constats gardés sur {total}",
                                                 f"The {n} findings kept of {total}"))
        if shown == 1:
            return words.say(f"Le premier des {kept} constats gardés sur {total}",
                             f"First of the {kept} findings kept of {total}")
        return words.say(f"Les {n} premiers des {kept} constats gardés sur {total}",
                         f"First {n} of the {kept} findings kept of {total}")
    n, total = words.grouped(shown), words.grouped(found)
    if shown == found:
        return (words.say("Le constat", "The finding") if found == 1
                else words.say(f"Les {n} constats", f"All {n} findings"))
    if shown == 1:
        return words.say(f"Le premier constat sur {total}", f"First finding of {total}")
    return words.say(f"Les {n} premiers constats sur {total}", f"First {n} of {total} findings")
