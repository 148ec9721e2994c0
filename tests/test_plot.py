"""The money axis of plan plots: each tick reads its exact amount."""
from __future__ import annotations

import datetime as dt
import io
import re
from decimal import Decimal

import pytest

import essconv
from conftest import UNDER_ASAN

if UNDER_ASAN:   # matplotlib's C++ extensions trip a preloaded libasan (conftest.not_under_asan)
    pytest.skip("matplotlib under a preloaded libasan", allow_module_level=True)
matplotlib = pytest.importorskip("matplotlib")
matplotlib.use("Agg")


def tick_texts(plan) -> list[tuple[float, str]]:
    ax = plan.plot.by_axis()
    ax.figure.canvas.draw()
    out = [(float(t), lab.get_text()) for t, lab in zip(ax.get_xticks(), ax.get_xticklabels())]
    matplotlib.pyplot.close(ax.figure)
    return out


# --- the labels were int(round(v)) // per_unit, the floor of the tick's amount: ticks at 0.5,
# 1.5, 2.5 € read 0, 1, 2 (two ticks, one amount) and -0.25 € read -1
@pytest.mark.parametrize("text", ["Ligne;CDC;CR;Total\nA;1,50;2;3,50\nTotal;1,50;2;3,50\n",
                                  "Ligne;CDC;CR;Total\nA;-1,50;2;0,50\nTotal;-1,50;2;0,50\n"])
def test_money_ticks_read_their_exact_amount(text):
    plan = essconv.read_plan(io.BytesIO(text.encode()))
    ticks = tick_texts(plan)
    assert ticks
    for cents, label in ticks:
        shown = essconv.money.to_cents(label.replace(" ", ""), plan.unit)
        assert shown == round(cents), (cents, label)
    assert len({label for _, label in ticks}) == len(ticks)


def test_the_plot_by_axis_has_a_bar_for_the_lines_under_no_axis():
    # a line printed above the first axis belongs to none: the plot left it out, so its bars
    # said 9 k€ of a 12 k€ plan
    plan = essconv.read_plan("en k€\t\tA\tB\tTotal\n\tL0\t1\t2\t3\nAxe 1\tL1\t4\t5\t9\n"
                             "Total\t\t5\t7\t12\n".encode(), year=2012)
    ax = plan.plot.by_axis()
    assert [t.get_text() for t in ax.get_yticklabels()] == ["hors axe", "Axe 1"]
    assert [t.get_text() for t in ax.texts] == [" 3 k€", " 9 k€"]
    widths = sorted(round(p.get_width()) for p in ax.patches)
    assert sum(widths) == essconv.money.to_cents(plan.total(), plan.unit)
    matplotlib.pyplot.close(ax.figure)


# --- one language a chart: the titles, legends, labels and figures were English words around
# French figures ("contribution of each funder by axis" over "1 890 k€"), whatever the report
# beside them spoke
def _texts(ax):
    ax.figure.canvas.draw()
    legend = ax.get_legend()
    return ([ax.get_title()] + [t.get_text() for t in ax.texts]
            + [t.get_text() for t in ax.get_xticklabels() + ax.get_yticklabels()]
            + ([t.get_text() for t in legend.get_texts()] if legend else []))


@pytest.mark.parametrize("lang, words, foreign", [
    ("fr", ["part de chaque financeur", "en rouge", "Plans de financement", "pas de plan",
            "Prévu et versé", "prévu", "versé"],
     ["funder", "red", "no plan", "planned", "paid", "across"]),
    ("en", ["contribution of each funder", "red = wrong", "Financing plans", "no plan",
            "Planned versus paid", "planned", "paid"],
     ["financeur", "rouge", "pas de plan", "prévu", "versé", "partie"]),
])
def test_every_chart_speaks_one_language_french_by_default(lang, words, foreign):
    conv = essconv.default()
    plan = conv.plan(2009)
    ledger = essconv.Ledger.from_columns(
        {"nomAttribuant": ["CDC", "CR-NPDC"], "montant": [Decimal("100000.50"), Decimal(2000)],
         "dateConvention": [dt.date(2009, 3, 1), dt.date(2009, 5, 1)]}, amount="montant")
    execution = conv.execution(2009, ledger, line=None)   # no line column: said, not warned
    kw = {} if lang == "fr" else {"lang": "en"}
    axes = [plan.plot.by_axis(convention=conv, **kw), plan.plot.heatmap(**kw),
            conv.plot.years(**kw), execution.plot(**kw)]
    texts = [t for ax in axes for t in _texts(ax)]
    joined = "\n".join(texts)
    for w in words:
        assert w in joined, w
    for w in foreign:
        assert not re.search(rf"\b{re.escape(w)}\b", joined), w
    # the figures too: each bar's total by axis, printed as this language prints numbers,
    # equals the Decimal sum of the axis's cells
    group, decimal = ("\u202f", ",") if lang == "fr" else (",", ".")
    printed = [t.get_text().strip().removesuffix(" k€") for t in axes[0].texts]
    want = [sum((plan.cell(i, f) or Decimal(0) for i in range(len(plan.lines))
                 if plan.axis_of(i) == axis for f in plan.funders), Decimal(0))
            for axis in plan.axes]
    assert [Decimal(p.replace(group, "").replace(decimal, ".")) for p in printed] == want
    assert any(group in p for p in printed)   # 1 890 / 1,890: grouped the language's way
    matplotlib.pyplot.close("all")


def test_the_execution_plot_by_axis_has_a_bar_for_what_no_axis_holds():
    # the records of a party on no line of the plan were in no bar of the chart by axis
    conv = essconv.default()
    ledger = essconv.Ledger.from_columns(
        {"nomAttribuant": ["CDC", "CDC"], "dispositifAide": ["DLA", "Fonds inconnu"],
         "montant": [Decimal(274000), Decimal("500000.50")],
         "dateConvention": [dt.date(2009, 3, 1)] * 2}, amount="montant")
    ex = conv.execution(2009, ledger)
    ax = ex.plot("axis")
    paid = ax.containers[1]
    assert sum(int(bar.get_width()) for bar in paid) == 77400050   # cents, every bar
    assert "sur aucune ligne du plan (taux non défini, rien de prévu)" in [
        t.get_text() for t in ax.get_yticklabels()]
    matplotlib.pyplot.close("all")


# --- a ledger pivot's figures named its days and its missing key by the API's words
# ("2015-07-07", "(missing)") and titled it "Plan" with no year: they are written as its
# tables write them, and the title names the pivot's dimensions
@pytest.mark.parametrize("lang, days, blank, heat_title, bars_title", [
    ("fr", ["25/12/2014", "07/07/2015"], "(vide)", "Tableau croisé — d × f (€)\u00a0: ",
     "Tableau croisé — année de d / d × d\u00a0: "),
    ("en", ["2014-12-25", "2015-07-07"], "(blank)", "Pivot — d × f (€): ",
     "Pivot — year of d / d × d: ")])
def test_a_ledger_pivot_s_figures_write_its_keys_as_its_tables(lang, days, blank, heat_title,
                                                                bars_title):
    rows = [("2014-12-25", "CDC", 200), ("2015-07-07", "CDC", 100), ("2015-07-07", None, 5)]
    ledger = essconv.Ledger.from_columns(
        {"d": [dt.date.fromisoformat(d) for d, _, _ in rows], "f": [f for _, f, _ in rows],
         "m": [m for _, _, m in rows]}, amount="m")
    heat = ledger.pivot(rows="d", columns="f").plot.heatmap(lang=lang)
    assert [t.get_text() for t in heat.get_yticklabels()] == days
    assert [t.get_text() for t in heat.get_xticklabels()] == [blank, "CDC"]
    assert heat.get_title().startswith(heat_title)
    matplotlib.pyplot.close(heat.figure)
    bars = ledger.pivot(rows=(essconv.year("d"), "d"), columns="d").plot.by_axis(lang=lang)
    assert [t.get_text() for t in bars.get_yticklabels()] == ["2014", "2015"]
    assert [t.get_text() for t in bars.get_legend().get_texts()] == days
    assert bars.get_title().startswith(bars_title)
    # each bar's sum, as the twin adds the records of its year
    def read(text: str) -> Decimal:
        digits = re.sub(r"[\s\u202f€]", "", text)
        return Decimal(digits.replace(",", ".") if lang == "fr" else digits.replace(",", ""))
    assert [read(t.get_text()) for t in bars.texts] == [
        sum(Decimal(m) for d, _, m in rows if d[:4] == y) for y in ("2014", "2015")]
    matplotlib.pyplot.close(bars.figure)


# --- a plan of zeros (or a year with nothing paid) has no extent: matplotlib put its ticks at
# fractions of a cent (-0.06 … 0.06), all printed "0": seven ticks reading one amount.  A money
# tick stands on a whole cent, so that the figure printed is the position it marks
@pytest.mark.parametrize("text", ["Ligne;CDC;CR;Total\nA;0;0;0\nTotal;0;0;0\n",
                                  "Ligne;CDC;Total\nA;0,03;0,03\nTotal;0,03;0,03\n",
                                  "Ligne;CDC;CR;Total\nA;1,50;2;3,50\nTotal;1,50;2;3,50\n"])
def test_money_ticks_stand_on_whole_cents_and_read_apart(text):
    plan = essconv.read_plan(io.BytesIO(text.encode()))
    ticks = tick_texts(plan)
    assert ticks
    for position, label in ticks:
        assert position == int(position), (position, label)   # a whole cent, not 0.015
        assert essconv.money.to_cents(label.replace("\u202f", ""), plan.unit) == int(position)
    assert len({label for _, label in ticks}) == len(ticks), ticks



# --- a plan whose sums leave int64 cents (a code pasted as an amount): the chart by axis
# handed matplotlib a bar of 1.8e19 cents and died in numpy ("Python int too large to convert
# to C long"), where the heat map refuses it with the plan's own located MoneyOverflowError.
# Both charts refuse it alike, naming the place validation names
def test_a_plan_whose_sums_overflow_is_refused_by_its_charts_with_the_plan_s_own_error():
    big = "90000000000000000"   # 9e16 €: each fits int64 cents, two of them do not
    plan = essconv.read_plan(f"Ligne;CDC;CR\nA;{big};{big}\nB;{big};1\n".encode())
    with pytest.raises(essconv.errors.MoneyOverflowError) as validated:
        plan.validate()
    for draw in (plan.plot.by_axis, plan.plot.heatmap):
        with pytest.raises(essconv.errors.MoneyOverflowError) as refused:
            draw()
        assert str(refused.value) == str(validated.value)
        assert refused.value.below is validated.value.below is False
    matplotlib.pyplot.close("all")


# --- a plan of a header and no line: the heat map died on "max() arg is an empty sequence"
# and the chart by axis drew a "Total" bar of « 0 € », a total the plan does not have.  Both
# say the plan empty in their language, as its table and report do, and print no figure
@pytest.mark.parametrize("lang, empty, foreign", [("fr", "le plan est vide", "the plan is empty"),
                                                  ("en", "the plan is empty", "le plan est vide")])
def test_an_empty_plan_s_charts_say_it_empty_and_print_no_figure(lang, empty, foreign):
    plan = essconv.read_plan(b"Ligne;CDC;CR\n", year=2012)
    assert plan.lines == []
    for draw in (plan.plot.by_axis, plan.plot.heatmap):
        ax = draw(lang=lang)
        texts = _texts(ax)
        assert any(empty in t for t in texts), texts
        assert not any(foreign in t for t in texts), texts
        assert not any(re.search(r"\d\s*(k?€)", t) for t in texts if "2012" not in t), texts
        assert any("2012" in t for t in texts)             # titled with its year
        matplotlib.pyplot.close(ax.figure)


# --- a negative amount (a reimbursement, a cancelled grant, a correction line) was stacked onto
# the positives: its segment drawn back over theirs, so that segments overlapped and the bar's
# end read as a total it is not.  The stack diverges: positives from 0 up, negatives from 0
# down, and the net total is marked where it stands and printed
def _bars(ax, horizontal=True):
    """Each bar's segments as (start, end) in cents, by the bar's position."""
    bars: dict[int, list[tuple[int, int]]] = {}
    for p in ax.patches:
        if horizontal:
            start, length, middle = p.get_x(), p.get_width(), p.get_y() + p.get_height() / 2
        else:
            start, length, middle = p.get_y(), p.get_height(), p.get_x() + p.get_width() / 2
        bars.setdefault(round(middle), []).append((round(start), round(start + length)))
    return bars


def _assert_diverging(segments, net):
    ups = sorted((a, b) for a, b in segments if b > a)
    downs = sorted(((a, b) for a, b in segments if b < a), key=lambda s: -s[0])
    edge = 0
    for a, b in ups:            # from 0 up, each segment on the last one's end
        assert a == edge, segments
        edge = b
    edge = 0
    for a, b in downs:          # from 0 down, likewise
        assert a == edge, segments
        edge = b
    assert sum(b - a for a, b in segments) == net


def test_a_negative_amount_is_stacked_below_zero_and_the_net_total_marked():
    plan = essconv.read_plan("en k€\t\tCDC\tCR\tEtat\tTotal\nAxe 1\tL1\t10\t-4\t6\t12\n"
                             "Axe 2\tL2\t-3\t5\t-1\t1\nTotal\t\t7\t1\t5\t13\n".encode(), year=2012)
    c = lambda v: essconv.money.to_cents(Decimal(v), "k€")
    ax = plan.plot.by_axis()
    bars = _bars(ax)
    assert sorted(bars) == [0, 1]
    _assert_diverging(bars[0], c(12))
    _assert_diverging(bars[1], c(1))
    assert min(a for a, _ in bars[0]) == 0 and max(b for _, b in bars[0]) == c(16)
    assert min(b for _, b in bars[1]) == -c(4) and max(b for _, b in bars[1]) == c(5)
    # the net total, printed and marked at its own place, not at the positives' end
    assert [t.get_text() for t in ax.texts] == [" 12 k€", " 1 k€"]
    marks = {(round(float(x)), round(float(y))) for line in ax.lines
             for x, y in zip(line.get_xdata(), line.get_ydata())}
    assert {(c(12), 0), (c(1), 1)} <= marks
    matplotlib.pyplot.close("all")


def test_the_years_chart_stacks_a_negative_party_below_zero():
    import copy
    conv = copy.deepcopy(essconv.default())
    plan = essconv.read_plan("en k€\tCDC\tCR-NPDC\nDLA\t-5\t8\nAutre\t1\t2\n".encode(), year=2010)
    conv.add_plan(plan, 2010)
    sums = plan.by_party(conv)
    assert min(sums.values()) < 0
    ax = conv.plot.years()
    bars = _bars(ax, horizontal=False)
    k = conv.years.index(2010)
    _assert_diverging(bars[k], essconv.money.to_cents(sum(sums.values()), "k€"))
    assert min(b for _, b in bars[k]) < 0
    matplotlib.pyplot.close("all")


# --- the heat map shaded by the largest amount, from 0: in a plan of corrections (every cell
# negative) each cell's shade was ten times past the scale's end and -10 read darkest as the
# largest amount; beside positive cells a negative one was clipped to the shade of 0, a
# reimbursement read as nothing.  Shades go by size, a negative one in a colour of its own
def _colour(ax, i, j):
    image = ax.images[0]
    return tuple(image.cmap(image.norm(image.get_array()[i][j])))


@pytest.mark.parametrize("text", ["en k€\tCDC\tCR\tEtat\nL1\t-10\t-4\t0\nL2\t-1\t-2\t0\n",
                                  "en k€\tCDC\tCR\tEtat\nL1\t10\t-10\t0\nL2\t1\t-4\t4\n"])
def test_the_heat_map_shades_a_negative_cell_by_its_size_in_a_colour_of_its_own(text):
    plan = essconv.read_plan(text.encode(), year=2012)
    ax = plan.plot.heatmap()
    image = ax.images[0]
    shades = image.get_array()
    cells = [[plan.amount_at(i, j) for j in range(3)] for i in range(2)]
    for i in range(2):
        for j in range(3):
            assert image.norm.vmin <= shades[i][j] <= image.norm.vmax, shades
            if cells[i][j] < 0:   # never the colour of a 0, nor of a positive amount
                assert _colour(ax, i, j) != _colour(ax, 0, 2)
                assert all(_colour(ax, i, j) != _colour(ax, k, m) for k in range(2)
                           for m in range(3) if cells[k][m] > 0)
    # the larger the amount, whatever its sign, the deeper its shade
    by_size = sorted(((abs(cells[i][j]), abs(shades[i][j])) for i in range(2) for j in range(3)))
    assert [s for _, s in by_size] == sorted(s for _, s in by_size)
    assert max(abs(s) for _, s in by_size) == max(abs(image.norm.vmin), image.norm.vmax)
    matplotlib.pyplot.close("all")


# --- a convention with no plan yet: its chart across the term asked matplotlib for a legend of
# nothing (a UserWarning, "No artists with labels found to put in legend", in the analyst's
# notebook) and ticked its empty money axis at "0" and "0,00001 k€", a cent no plan holds.
# Each year says "pas de plan"; no legend, no figure
@pytest.mark.parametrize("lang, no_plan", [("fr", "pas de plan"), ("en", "no plan")])
def test_the_years_chart_of_a_convention_with_no_plan_says_so_without_a_warning(lang, no_plan,
                                                                                tmp_path):
    import pathlib
    import warnings
    data = pathlib.Path(essconv.__file__).parent / "data"
    text = (data / "nord-pas-de-calais-2009-2013.toml").read_text(encoding="utf-8")
    start = text.index("[[plans]]")
    end = text.find("\n[", start + 1) + 1 or len(text)   # the entry, up to the next table
    (tmp_path / "conv.toml").write_text(text[:start] + text[end:], encoding="utf-8")
    conv = essconv.load(tmp_path / "conv.toml")
    assert not conv.plans
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        ax = conv.plot.years(lang=lang)
        ax.figure.canvas.draw()
    assert [t.get_text() for t in ax.texts] == [no_plan] * len(conv.years)
    assert ax.get_legend() is None
    assert not any(re.search(r"\d", t.get_text()) for t in ax.get_yticklabels() if t.get_text() != "0")
    matplotlib.pyplot.close("all")


# --- the chart named the lines printed under no axis "(hors axe)", the report, the dashboard
# and the execution views "hors axe": one name, in either language, wherever a committee reads it
@pytest.mark.parametrize("lang, said", [("fr", "hors axe"), ("en", "under no axis")])
def test_the_lines_under_no_axis_bear_one_name_in_the_chart_and_the_dashboard(lang, said):
    from essconv.dashboard import plan_by_axis_svg
    plan = essconv.read_plan("en k€\t\tA\tB\tTotal\n\tL0\t1\t2\t3\nAxe 1\tL1\t4\t5\t9\n"
                             "Total\t\t5\t7\t12\n".encode(), year=2012)
    ax = plan.plot.by_axis(lang=lang)
    assert [t.get_text() for t in ax.get_yticklabels()] == [said, "Axe 1"]
    matplotlib.pyplot.close(ax.figure)
    svg = plan_by_axis_svg(plan, lang=lang)
    assert f">{said}<" in svg and f"({said})" not in svg
