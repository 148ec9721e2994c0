"""Sub-totals printed on axis rows ("Axe 1 : Structurer;15;35;50") in a table with a Total row:
the plan loads, a sub-total its lines do not give is a `subtotal` finding naming its cell, and
the reconciliation uses the sub-totals to name the cell that explains every total."""
from __future__ import annotations

import io
import pickle
import random
from decimal import Decimal as D

import pytest

import essconv
from essconv.messages import language


def _read(text: str) -> essconv.Plan:
    return essconv.read_plan(io.BytesIO(text.encode()))


TYPO = ("Action;A;B;Total\n"
        "Axe 1 : Structurer;15;35;50\n"
        "L1;01;20;30\n"
        "L2;5;15;20\n"
        "Total;15;35;50\n")


def test_a_typo_under_a_printed_sub_total_loads_and_the_reconciliation_names_the_cell():
    """One typo ('01' for 10) under 'Axe 1 : Structurer;15;35;50' made the plan refuse to
    load, the error pointing at the sub-total row: the cell that explains it was never named."""
    plan = _read(TYPO)
    report = plan.validate()
    subtotals = [f for f in report if f.code == "subtotal"]
    assert [(f.group, f.funder, f.actual, f.expected) for f in subtotals] == [
        ("Axe 1 : Structurer", "A", D(15), D(6)),
        ("Axe 1 : Structurer", "Total", D(50), D(41))]
    # the cells of the sub-totals in the file: line 2, after "Axe 1 : Structurer;" and "15;35;"
    assert [(f.source_line, f.source_column) for f in subtotals] == [
        (2, len("Axe 1 : Structurer;") + 1), (2, len("Axe 1 : Structurer;15;35;") + 1)]
    (fix,) = [f for f in report if f.code == "cell-correction"]
    assert (fix.line, fix.funder, fix.actual, fix.expected, fix.rank) == ("L1", "A", D(1), D(10), 1)
    assert not [f for f in report if f.code in ("ambiguity", "too-many-explanations")]
    assert plan.with_corrections(report).validate().errors == []
    # the sub-totals are never added: the axis holds its lines, as read
    assert plan.by_axis() == {"Axe 1 : Structurer": D(41)}


def test_the_sub_total_finding_is_worded_in_french_and_in_english():
    plan = _read(TYPO)
    (f, _) = [f for f in plan.validate() if f.code == "subtotal"]
    fr, en = language("fr").finding(f, plan), language("en").finding(f, plan)
    assert "sous-total imprimé sous A" in fr and "Structurer" in fr and "écart de 9" in fr
    assert "sub-total" in en and "printed under A" in en and "a gap of" in en
    assert "sub-total" in f.message   # the Python API speaks English


def test_the_sub_totals_survive_a_pickle():
    plan = pickle.loads(pickle.dumps(_read(TYPO)))
    assert [f.code for f in plan.validate()].count("subtotal") == 2


def test_sub_totals_decide_between_cells_the_other_totals_cannot_tell_apart():
    """No Total column: the A column is 5 short, and either line could hold it; the axis rows'
    sub-totals say it is L2's."""
    text = ("Action;A;B\n"
            "Axe 1 : Structurer;10;3\n"
            "L1;10;3\n"
            "Axe 2 : Développer;10;4\n"
            "L2;5;4\n"
            "Total;20;7\n")
    report = _read(text).validate()
    (fix,) = [f for f in report if f.code == "cell-correction"]
    assert (fix.line, fix.funder, fix.expected) == ("L2", "A", D(10))
    assert not [f for f in report if f.code in ("ambiguity", "total-correction")]


def test_without_a_total_row_a_wrong_sub_total_is_still_refused():
    """With nothing else to check the lines, the structure is in doubt: refused as before."""
    with pytest.raises(essconv.PlanFormatError, match="prints '15' under 'A'"):
        _read("Action;A;B;Total\nAxe 1 : Structurer;15;35;50\nL1;01;20;30\nL2;5;15;20\n")


def _oracle(axes, funders, cells, totals_row, subtotals):
    """Every single cell edit (line, funder, value) after which every stated total -- the Total
    row and the axis rows' sub-totals -- holds: brute force over the cells."""
    lines = [line for ls in axes.values() for line in ls]
    found = set()
    for line in lines:
        for j, funder in enumerate(funders):
            col = sum(cells[other][j] for other in lines if other != line)
            value = totals_row[j] - col
            if value < 0 or value == cells[line][j]:
                continue
            trial = {k: list(v) for k, v in cells.items()}
            trial[line][j] = value
            if all(sum(trial[x][jj] for x in ls) == subtotals[axis][jj]
                   for axis, ls in axes.items() for jj in range(len(funders))):
                found.add((line, funder, D(value)))
    return found


@pytest.mark.parametrize("seed", range(40))
def test_one_mistyped_cell_is_named_as_a_brute_force_oracle_names_it(seed):
    rng = random.Random(seed)
    funders = ["CR", "CD", "CDC"][:rng.randint(2, 3)]
    axes = {f"Axe {a} : Axe{a}": [f"L{a}{k}" for k in range(rng.randint(1, 3))]
            for a in range(1, rng.randint(2, 4))}
    cells = {line: [rng.randint(0, 30) for _ in funders] for ls in axes.values() for line in ls}
    subtotals = {axis: [sum(cells[x][j] for x in ls) for j in range(len(funders))]
                 for axis, ls in axes.items()}
    totals_row = [sum(s[j] for s in subtotals.values()) for j in range(len(funders))]
    bad_line = rng.choice(list(cells))
    j = rng.randrange(len(funders))
    typed = dict(cells)
    typed[bad_line] = list(cells[bad_line])
    typed[bad_line][j] += rng.choice([1, 9, 10, 20])
    rows = ["Action;" + ";".join(funders)]
    for axis, ls in axes.items():
        rows.append(axis + ";" + ";".join(map(str, subtotals[axis])))
        rows += [line + ";" + ";".join(map(str, typed[line])) for line in ls]
    rows.append("Total;" + ";".join(map(str, totals_row)))
    report = _read("\n".join(rows) + "\n").validate()
    oracle = _oracle(axes, funders, typed, totals_row, subtotals)
    assert (bad_line, funders[j], D(cells[bad_line][j])) in oracle
    said = {(f.line, f.funder, f.expected) for f in report if f.code == "cell-correction"}
    if len(oracle) == 1:
        assert said == oracle
        assert not [f for f in report if f.code in ("ambiguity", "total-correction")]
    else:
        assert said <= oracle and [f for f in report if f.code == "ambiguity"]


def test_a_forged_sub_total_in_a_plan_state_is_refused_not_a_crash():
    from essconv import _core
    good = _read(TYPO)._core.state()
    *head, subtotals = good
    (first, end, group, funder, cell) = subtotals[0]
    for forged in [(first, 99, group, funder, cell), (-1, end, group, funder, cell),
                   (first, end, 5, funder, cell), (first, end, group, 7, cell),
                   (first, end, group, funder, (9, 0, None, 0, 0))]:
        with pytest.raises((ValueError, TypeError)):
            _core.Plan.from_state((*head, [forged]))
    assert _core.Plan.from_state(good).state() == good
    assert _core.Plan.from_state(tuple(head)).state()[-1] == []   # a state from before
