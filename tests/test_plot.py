"""The money axis of plan plots: each tick reads its exact amount."""
from __future__ import annotations

import io

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
    assert [t.get_text() for t in ax.get_yticklabels()] == ["(no axis)", "Axe 1"]
    assert [t.get_text() for t in ax.texts] == [" 3 k€", " 9 k€"]
    widths = sorted(round(p.get_width()) for p in ax.patches)
    assert sum(widths) == essconv.money.to_cents(plan.total(), plan.unit)
    matplotlib.pyplot.close(ax.figure)
