"""Pictures with matplotlib (``pip install 'essconv[plot]'``): methods on the objects return
the matplotlib Axes, so a notebook can go on drawing on them.

    plan.plot.by_axis()          each funder's contribution by axis (stacked bars)
    plan.plot.heatmap()          the plan matrix, its inconsistent cells marked
    conv.plot.years()            the plans across the years of the term, by party
    execution.plot()             planned versus paid

Each takes ``lang``: a chart is what a funding committee sees pasted into a note, so its titles,
legends and figures are French by default ("1 234,5 k€"), English with ``lang="en"``
("1,234.5 k€"), one language a chart.  Bar lengths are given to matplotlib as integer cents
(its geometry is its own business); every amount printed on a chart comes from the exact money
formatter.
"""
from __future__ import annotations

import math
from typing import Any

from .errors import MissingExtraError
from .export import pivot_key_names
from .messages import Language, language
from .money import format_amount, from_cents, shown_decimals, to_cents

# A view below the models: the plans, conventions and executions drawn are read, never imported (the floors above).

_COLOURS = ["#2f5d8a", "#d0743c", "#5b9a5b", "#a05195", "#c9b037", "#6d6d6d", "#e15759",
            "#4aa3a3", "#9c755f", "#7f6fc4"]


def _pyplot() -> Any:
    try:
        import matplotlib.pyplot as plt
    except ImportError as exc:
        raise MissingExtraError("pictures need matplotlib: pip install 'essconv[plot]'") from exc
    return plt


def _amount(value: Any, unit: str, words: Language) -> str:
    """A figure printed on a chart, exact, in the chart's language ("1 234,5" / "1,234.5")."""
    return format_amount(value, unit=unit, group=words.group, decimal=words.decimal,
                         decimals=shown_decimals(unit, [value]))   # "1,50" €, never "1,5"


def _money_axis(ax: Any, unit: str, words: Language, axis: str = "x") -> None:
    from matplotlib.ticker import FuncFormatter
    # a tick is a position in cents: shown as its exact amount, to the cent, with the decimals
    # it has (1,5 ; -0,25).  int(round(v)) // per_unit floored it: ticks at 0.5, 1.5, 2.5 €
    # read 0, 1, 2 and -0.25 € read -1
    def label(v: float, _pos: Any) -> str:
        if not math.isfinite(v):
            return ""
        return _amount(from_cents(int(round(v)), unit), unit, words)
    fmt = FuncFormatter(label)
    which = ax.xaxis if axis == "x" else ax.yaxis
    which.set_major_formatter(fmt)
    which.set_major_locator(_cent_locator())


def _cent_locator() -> Any:
    """Ticks on whole cents only.  A plan of zeros has no extent: matplotlib ticked it at
    fractions of a cent (-0.06 … 0.06), seven ticks all printed "0"; 0 to 3 cents at every
    half cent, "0,01" printed under 0.5.  A tick kept marks the amount printed under it."""
    import numpy as np
    from matplotlib.ticker import MaxNLocator

    class CentLocator(MaxNLocator):
        def tick_values(self, vmin: float, vmax: float) -> Any:
            ticks = super().tick_values(vmin, vmax)
            return ticks[np.equal(ticks, np.round(ticks))]
    return CentLocator(nbins="auto", steps=[1, 2, 2.5, 5, 10])   # AutoLocator's, as before


def _diverging(columns: "list[list[int]]") -> "tuple[list[list[int]], list[int], list[int]]":
    """Where each segment of stacked bars starts (``columns``: each series' cents by bar, in
    order), and each bar's two ends: positives stacked up from 0, negatives down from 0.
    Stacked onto the positives, a negative amount (a reimbursement, a cancelled grant, a
    correction line) was drawn back over their segments and the bar's end read as a total it
    is not.  Each bar's net total is ``up + down``."""
    n = len(columns[0]) if columns else 0
    up, down, starts = [0] * n, [0] * n, []
    for cents in columns:
        starts.append([up[k] if c >= 0 else down[k] for k, c in enumerate(cents)])
        up = [a + max(c, 0) for a, c in zip(up, cents)]
        down = [a + min(c, 0) for a, c in zip(down, cents)]
    return starts, up, down


def _mark_net(ax: Any, points: "list[tuple[Any, int]]", horizontal: bool) -> None:
    """A bar with a negative segment has no end at its total: each bar's net total (``points``:
    the bar's place, its net cents) marked where it stands, a black diamond, with the zero
    line both stacks start from."""
    places, nets = [p for p, _ in points], [n for _, n in points]
    if horizontal:
        ax.axvline(0, color="black", lw=0.8)
        ax.plot(nets, places, "D", color="black", ms=5, ls="none")
    else:
        ax.axhline(0, color="black", lw=0.8)
        ax.plot(places, nets, "D", color="black", ms=5, ls="none")


def _refuse_past_int64(plan: "Plan", columns: "list[list[int]]") -> None:
    """Refuse a chart whose bars (``columns``: each funder's cents by bar, stacked in order,
    positives up and negatives down from 0) leave int64 cents, as the heat map does: with the
    plan's own located error from validation (matplotlib died in numpy on such a bar, "Python
    int too large to convert to C long"), or, when validation's sums stay inside while a bar's
    do not, with the bar's side."""
    from .errors import MoneyOverflowError
    low, high = -2**63, 2**63 - 1
    _starts, up, down = _diverging(columns)
    for cents in (*(c for widths in columns for c in widths), *up, *down):
        if not low <= cents <= high:
            plan.validate()   # raises the plan's own MoneyOverflowError, located
            error = MoneyOverflowError(
                "a bar of the chart by axis sums past int64 cents", path=plan.path)
            error.below = cents < low
            raise error


def _said_empty(ax: Any, title: str, words: Language) -> Any:
    """A plan of a header and no line, said as its table says it: the heat map died on an
    empty matrix and the chart by axis drew a "Total" bar of « 0 € », a total it has not."""
    ax.set_axis_off()
    ax.set_title(title)
    ax.text(0.5, 0.5, words.text("plan_empty"), ha="center", va="center",
            transform=ax.transAxes)
    return ax


def _title(plan: "Plan", words: Language) -> str:
    """What a figure shows: a plan by its year ("Plan 2010"), a ledger's pivot by its
    dimensions in the figure's words, as its tables' captions ("Tableau croisé — année de
    dateConvention × financeur"), not "Plan" with no year."""
    if getattr(plan, "dimensions", None) is not None:
        from .display import plan_title
        return plan_title(plan, words)
    return f"Plan {plan.year or ''}"


class PlanPlots:
    def __init__(self, plan: "Plan") -> None:
        self.plan = plan

    def by_axis(self, ax: Any = None, convention: "Convention | None" = None,
                lang: str = "fr") -> Any:
        """Each funder's contribution by axis, stacked horizontal bars (French by default)."""
        plt = _pyplot()
        plan, words = self.plan, language(lang)
        title = words.say(f"{_title(plan, words)} : part de chaque financeur par axe "
                          f"({plan.unit})",
                          f"{_title(plan, words)}: contribution of each funder by axis "
                          f"({plan.unit})")
        if not plan.lines:
            return _said_empty(ax or plt.subplots(figsize=(6, 1.5))[1], title, words)
        ax = ax or plt.subplots(figsize=(9, 1.2 + 0.6 * max(len(plan.axes), 1)))[1]
        # a bar per axis, and one for the lines printed above the first axis (under none):
        # left out, the bars added up to less than the plan
        members: dict[int, list[int]] = {}
        for i, g in enumerate(plan.line_axis_indices):
            members.setdefault(g, []).append(i)
        groups = ([-1] if -1 in members or not plan.axes else []) + list(range(len(plan.axes)))
        # a ledger pivot's keys as its other outputs write them: a day "07/07/2015" in French,
        # a missing key "(vide)" -- not the API's "2015-07-07" and "(missing)"
        axes_said, _, funders_said = pivot_key_names(plan, lang)
        columns = [[sum(to_cents(plan.amount_at(i, j) or 0, plan.unit)
                        for i in members.get(g, [])) for g in groups]
                   for j in range(len(plan.funders))]
        _refuse_past_int64(plan, columns)
        starts, up, down = _diverging(columns)
        for j, f in enumerate(plan.funders):
            ax.barh(range(len(groups)), columns[j], left=starts[j], label=funders_said[j],
                    color=_COLOURS[j % len(_COLOURS)])
        nets = [a + b for a, b in zip(up, down)]
        labels = []
        for g in groups:
            axis = plan.axes[g] if g >= 0 else None
            a = convention.axis_for(axis) if convention is not None and axis else None
            shown = axes_said[g] if g >= 0 else None
            labels.append(f"{a.number}. {shown}" if a else shown if axis is not None
                          else words.text("no_axis") if plan.axes else "Total")   # as the report
        ax.set_yticks(range(len(groups)), labels)
        ax.invert_yaxis()
        for k in range(len(groups)):
            total = from_cents(nets[k], plan.unit)   # the bar's net cents: exact
            # printed past the bar's right end, where no segment runs under it
            ax.annotate(f" {_amount(total, plan.unit, words)} {plan.unit}", (up[k], k),
                        va="center")
        if any(down):
            _mark_net(ax, list(enumerate(nets)), horizontal=True)
        _money_axis(ax, plan.unit, words)
        ax.set_title(title)
        ax.legend(ncol=5, fontsize="small", loc="upper center", bbox_to_anchor=(0.5, -0.15))
        return ax

    def heatmap(self, ax: Any = None, lang: str = "fr") -> Any:
        """The matrix as a heat map (shade by amount), every cell printed; cells and totals
        that validation finds wrong are framed in red, the suggested fix in green."""
        plt = _pyplot()
        plan, words = self.plan, language(lang)
        title = words.say(f"{_title(plan, words)} ({plan.unit}) : en rouge ce qui est faux, "
                          f"en vert la correction probable",
                          f"{_title(plan, words)} ({plan.unit}): red = wrong, "
                          f"green = likely fix")
        if not plan.lines:
            return _said_empty(ax or plt.subplots(figsize=(6, 1.5))[1], title, words)
        report = plan.validate()
        ax = ax or plt.subplots(figsize=(1.1 * len(plan.funders) + 3, 0.5 * len(plan.lines) + 1.5))[1]
        cents = [[to_cents(plan.cell(i, f) or 0, plan.unit) for f in plan.funders]
                 for i in range(len(plan.lines))]
        # integer shade levels by a cell's size, whatever its sign: shaded from the largest
        # amount up from 0, a plan of corrections (every cell negative) read -10 darkest, ten
        # times past the scale, and a negative cell beside positives the shade of 0.  A negative
        # cell is shaded in oranges, a positive one in blues as before
        top = max(abs(c) for r in cents for c in r) or 1
        shades = [[c * 1000 // top if c >= 0 else -(-c * 1000 // top) for c in r] for r in cents]
        if any(c < 0 for r in cents for c in r):
            import numpy as np
            from matplotlib.colors import ListedColormap
            cmap = ListedColormap(np.vstack((plt.get_cmap("Oranges")(np.linspace(1, 0, 128)),
                                             plt.get_cmap("Blues")(np.linspace(0, 1, 128)))))
            ax.imshow(shades, cmap=cmap, aspect="auto", vmin=-1000, vmax=1000)
        else:
            ax.imshow(shades, cmap="Blues", aspect="auto", vmin=0, vmax=1000)
        for i in range(len(plan.lines)):
            for j, f in enumerate(plan.funders):
                value = plan.cell(i, f)
                text = (_amount(value, plan.unit, words) if value is not None
                        else (plan.cell_text(i, f) or ""))
                ax.text(j, i, text, ha="center", va="center", fontsize=8,
                        color="white" if abs(shades[i][j]) > 600 else "black")
        from matplotlib.patches import Rectangle
        # an axis row's printed sub-total has no row of the matrix: the cells it covers (its
        # axis's lines, under its funder, or under every funder for its Total) are framed,
        # dashed, and the sub-total printed and the lines' sum said beside them
        blocks: dict[str, list[int]] = {}
        for i in range(len(plan.lines)):
            if plan.axis_of(i) is not None:
                blocks.setdefault(plan.axis_of(i), []).append(i)
        for f in report.itemized():
            if f.code not in ("subtotal", "subtotal-correction") or f.group not in blocks:
                continue
            first, n = blocks[f.group][0], len(blocks[f.group])
            j0, width = ((0, len(plan.funders)) if f.funder in (None, "Total")
                         else (plan.funders.index(f.funder), 1))
            colour = "red" if f.severity == "error" else "green"
            ax.add_patch(Rectangle((j0 - 0.5, first - 0.5), width, n, fill=False, lw=2.5,
                                   ec=colour, ls="--"))
            if f.code == "subtotal":
                said = words.say(f"sous-total imprimé {_amount(f.actual, plan.unit, words)}, "
                                 f"lignes {_amount(f.expected, plan.unit, words)}",
                                 f"sub-total printed {_amount(f.actual, plan.unit, words)}, "
                                 f"lines {_amount(f.expected, plan.unit, words)}")
                ax.text(j0 + (width - 1) / 2, first - 0.35, said, ha="center", fontsize=7,
                        color="red")
        for f in report.itemized():   # each cell of a correction-set too
            if f.line in plan.lines and f.funder in plan.funders:
                # a label printed under several axes ("Fonctionnement") is found by its axis
                # too: by its label alone, a finding about the second was drawn on the first
                i = plan.line_index((f.group, f.line) if plan.lines.count(f.line) > 1
                                    else f.line)
                j = plan.funders.index(f.funder)
                colour = "red" if f.severity == "error" else "green"
                ax.add_patch(Rectangle((j - 0.5, i - 0.5), 1, 1, fill=False, lw=2.5, ec=colour))
                if f.code == "cell-correction":
                    ax.text(j, i + 0.3, f"→ {_amount(f.expected, plan.unit, words)}",
                            ha="center", fontsize=7, color="green")
                if f.code == "cell-move" and f.target in plan.funders:
                    # the value belongs in the target column: both cells framed, as the
                    # displays mark them (only the cell it leaves was, with no word)
                    k = plan.funders.index(f.target)
                    ax.add_patch(Rectangle((k - 0.5, i - 0.5), 1, 1, fill=False, lw=2.5,
                                           ec=colour))
                    ax.text(j, i + 0.3, f"→ {f.target}", ha="center", fontsize=7, color=colour)
                    ax.text(k, i + 0.3, f"← {_amount(f.actual, plan.unit, words)}",
                            ha="center", fontsize=7, color=colour)
        _, lines_said, funders_said = pivot_key_names(plan, lang)   # as by_axis says
        ax.set_xticks(range(len(plan.funders)), funders_said, rotation=30, ha="right")
        ax.set_yticks(range(len(plan.lines)), lines_said)
        ax.set_title(title)
        return ax


class ConventionPlots:
    def __init__(self, conv: "Convention") -> None:
        self.conv = conv

    def years(self, ax: Any = None, lang: str = "fr") -> Any:
        """The plans across the years of the term, stacked by party, in k€."""
        plt = _pyplot()
        conv, words = self.conv, language(lang)
        ax = ax or plt.subplots(figsize=(8, 4))[1]
        parties: list[str] = []
        sums: dict[int, dict[str, int]] = {}
        for year in conv.years:
            plan = conv.plans.get(year)
            sums[year] = {}
            if plan is None:
                continue
            for p, v in plan.by_party(conv).items():
                sums[year][p] = to_cents(v, plan.unit)
                if p not in parties:
                    parties.append(p)
        columns = [[sums[y].get(p, 0) for y in conv.years] for p in parties]
        starts, up, down = _diverging(columns)   # a party's negative sum below 0
        for k, p in enumerate(parties):
            ax.bar([str(y) for y in conv.years], columns[k], bottom=starts[k], label=p,
                   color=_COLOURS[k % len(_COLOURS)])
        if any(down):
            # a year with no plan has no total to mark: it says "pas de plan"
            _mark_net(ax, [(str(y), a + b) for y, a, b in zip(conv.years, up, down)
                           if y in conv.plans], horizontal=False)
        for k, y in enumerate(conv.years):
            if y not in conv.plans:
                ax.annotate(words.say("pas de plan", "no plan"), (k, 0), ha="center",
                            va="bottom", fontsize=8, color="#777")
        ax.set_title(words.say("Plans de financement de la convention, par partie (k€)",
                               "Financing plans across the term, by party (k€)"))
        if not parties:
            # no plan yet, each year says so: a legend of nothing was matplotlib's UserWarning,
            # and the empty money axis ticked "0,00001 k€", a cent no plan holds
            ax.set_yticks([])
            return ax
        _money_axis(ax, "k€", words, "y")
        ax.legend(fontsize="small")
        return ax


def execution_plot(ex: "Execution", dim: str = "party", ax: Any = None,
                   lang: str = "fr") -> Any:
    """Planned versus paid, side by side, in €."""
    plt = _pyplot()
    words = language(lang)
    from .execution_text import execution_rows, rate_mark, row_label
    # what the dimension cannot place is a bar of its own, as the tables show it: no money in
    # no bar
    rows = execution_rows(ex, dim, words)
    computed = ex.computed(dim)
    ax = ax or plt.subplots(figsize=(8, 0.6 * len(rows) + 1.5))[1]
    ys = list(range(len(rows)))
    ax.barh([y - 0.2 for y in ys], [to_cents(p) for _, p, _q, _r in rows], height=0.4,
            label=words.say("prévu", "planned"), color=_COLOURS[0])
    # paid not computed (no line column): no bar, not a bar of 0 read as nothing paid
    ax.barh([y + 0.2 for y in ys], [to_cents(q) if q is not None else 0 for _, _p, q, _r in rows],
            height=0.4, label=words.say("versé", "paid"), color=_COLOURS[1])

    def mark(r: Any, p: Any) -> str:
        if not computed:
            return words.text("paid_not_computed")
        return rate_mark(words, r, p)
    ax.set_yticks(ys, [f"{row_label(dim, k, words, ex)} ({mark(r, p)})" for k, p, _q, r in rows])
    ax.invert_yaxis()
    _money_axis(ax, "€", words)
    by = {"party": ("partie", "party"), "funder": ("financeur", "funder"),
          "axis": ("axe", "axis"), "line": ("ligne", "line")}.get(dim, (dim, dim))
    ax.set_title(words.say(f"Prévu et versé {ex.year}, par {by[0]} (€)",
                           f"Planned versus paid {ex.year}, by {by[1]} (€)"))
    ax.legend()
    return ax
