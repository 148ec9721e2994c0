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


# ---------------------------------------------------------------- a printed sub-total mistyped
TWO_AXES = ("Action;A;B;Total\n"
            "Axe 1 : Structurer;15;35;50\n"
            "L1;10;20;30\n"
            "L2;5;15;20\n"
            "Axe 2 : Développer;7;3;10\n"
            "L3;7;3;10\n"
            "Total;22;38;60\n")


def test_a_mistyped_sub_total_is_the_one_edit_said_naming_its_cell():
    """'Axe 1 : Structurer;51;35;50' over lines giving 15: the lines and the Total row agree,
    only the sub-total is off.  A subtotal finding was all: no suggestion said it should read
    15, and with_corrections had nothing to apply."""
    text = TWO_AXES.replace("Structurer;15;35", "Structurer;51;35")
    plan = _read(text)
    report = plan.validate()
    (fix,) = report.suggestions
    assert (fix.code, fix.group, fix.line, fix.funder, fix.actual, fix.expected, fix.rank) == (
        "subtotal-correction", "Axe 1 : Structurer", None, "A", D(51), D(15), 1)
    assert (fix.source_line, fix.source_column) == (2, len("Axe 1 : Structurer;") + 1)
    assert not [f for f in report if f.code in ("ambiguity", "too-many-explanations",
                                                "cell-correction", "total-correction")]
    assert "15" in fix.suggestion and "Structurer" in fix.suggestion
    fr = language("fr").finding(fix, plan)
    assert "faute de frappe pour 15" in fr and "chiffres intervertis" in fr
    assert "mistyped for 15" in fix.message   # the Python API speaks English
    fixed = plan.with_corrections(report)
    assert fixed.validate().errors == [] and fixed.validate().suggestions == []
    assert plan.validate().errors   # the original is untouched


def test_a_mistyped_line_and_a_mistyped_sub_total_are_one_set_of_two_edits():
    """Two typos, 30 for 3 in L3 x B (its line total, the B total and the grand total say so)
    and 51 for 15 in Axe 1's sub-total: the set says both, the sub-total's value after the
    line's fix."""
    text = (TWO_AXES.replace("Structurer;15;35", "Structurer;51;35")
            .replace("L3;7;3;10", "L3;7;30;10"))
    plan = _read(text)
    report = plan.validate()
    (fix,) = report.suggestions
    assert fix.code == "correction-set" and fix.rank == 1
    assert {(c.code, c.group, c.line, c.funder, c.expected) for c in fix.corrections} == {
        ("subtotal-correction", "Axe 1 : Structurer", None, "A", D(15)),
        ("cell-correction", "Axe 2 : Développer", "L3", "B", D(3))}
    assert not [f for f in report if f.code in ("ambiguity", "too-many-explanations")]
    assert plan.with_corrections(report).validate().errors == []


def test_a_sub_total_corrected_after_the_cell_fix_of_its_own_axis():
    """01 for 10 in L1 x A, and the A sub-total of its axis printed 16 for 15: the sub-total
    should read what the lines give once L1 is mended, 15, not what they give as read, 6."""
    text = (TWO_AXES.replace("Structurer;15;35", "Structurer;16;35")
            .replace("L1;10;20;30", "L1;01;20;30"))
    report = _read(text).validate()
    (fix,) = report.suggestions
    assert {(c.code, c.line, c.funder, c.expected) for c in fix.corrections} == {
        ("subtotal-correction", None, "A", D(15)), ("cell-correction", "L1", "A", D(10))}


def test_a_wrong_sub_total_is_marked_in_the_displays_and_the_xlsx_export():
    """A subtotal finding marked no cell: the HTML display's sub-total row, the text
    display's and the .xlsx export showed the plan as if every figure held."""
    import re
    openpyxl = pytest.importorskip("openpyxl")
    from essconv.xlsx import write_plan_xlsx
    plan = _read(TWO_AXES.replace("Structurer;15;35", "Structurer;51;35"))
    (sub,) = [f for f in plan.validate() if f.code == "subtotal"]
    assert sub.marked_cells == [(essconv.findings.SUBTOTAL, "A")]
    # HTML: the A cell of Axe 1's sub-total row is red, says what was printed and the fix
    rows = re.findall(r'<tr class="sub">(.*?)</tr>', plan._repr_html_())
    first, second = (re.findall(r"<td([^>]*)>(.*?)</td>", r) for r in rows)
    assert "bad" in first[2][0] and "imprimé 51" in first[2][1] and "→ 15" in first[2][1]
    assert not [a for a, _ in first[3:] + second if "bad" in a or "fix" in a]
    # text: the same cell carries the '!' mark, nothing else does
    text = str(plan)
    (sub_row, _) = [r for r in text.splitlines() if "sous-total" in r]
    assert sub_row.split()[2:4] == ["15!", "35"] and text.count("!") == 2   # + the legend
    # xlsx: the axis's name (no sub-total row in the sheet) is red with both findings said
    out = io.BytesIO()
    write_plan_xlsx(plan, out, plan.validate())
    out.seek(0)
    ws = openpyxl.load_workbook(out).worksheets[0]
    marked = [c for row in ws.iter_rows() for c in row if c.comment is not None]
    assert [(c.row, c.column, c.value) for c in marked] == [(2, 1, "Axe 1 : Structurer")]
    assert marked[0].fill.fgColor.rgb.endswith("FFD9D9")
    assert "[subtotal]" in marked[0].comment.text and "51" in marked[0].comment.text
    assert "[subtotal-correction]" in marked[0].comment.text


def test_a_sub_total_nothing_else_checks_is_no_silent_pick_over_its_lines():
    """The Total row leaves B blank and no Total column checks the lines: 53 printed over lines
    giving 35 is a mistyped sub-total, or 18 missing from one of its lines under B -- the totals
    cannot tell, so the reconciliation says so (the digits favour the sub-total)."""
    text = ("Action;A;B\n"
            "Axe 1 : Structurer;15;53\n"
            "L1;10;20\n"
            "L2;5;15\n"
            "Axe 2 : Développer;7;3\n"
            "L3;7;3\n"
            "Total;22;\n")
    report = _read(text).validate()
    (amb,) = [f for f in report if f.code == "ambiguity"]
    assert {(c.code, c.line, c.funder, c.expected) for (c,) in amb.candidates} == {
        ("subtotal-correction", None, "B", D(35)), ("cell-correction", "L1", "B", D(38)),
        ("cell-correction", "L2", "B", D(33))}
    assert report.suggestions[0].code == "subtotal-correction"   # 53 for 35: digits swapped


def test_the_json_of_a_sub_total_finding_names_its_axis():
    """Two axes each printing a wrong A sub-total: the JSON said line null, funder 'A' for
    both, with nothing to say which axis row each was about."""
    import json
    text = (TWO_AXES.replace("Structurer;15;35", "Structurer;16;35")
            .replace("Développer;7;3", "Développer;8;3"))
    report = _read(text).validate()
    said = [json.loads(json.dumps(f.to_dict())) for f in report]
    assert [(d["group"], d["funder"]) for d in said if d["code"] == "subtotal"] == [
        ("Axe 1 : Structurer", "A"), ("Axe 2 : Développer", "A")]
    (fix,) = [d for d in said if d["code"] == "correction-set"]
    assert sorted(c["group"] for c in fix["corrections"]) == ["Axe 1 : Structurer",
                                                               "Axe 2 : Développer"]


#: int64 cents' largest amount, as a plan in € prints it
_TOP = "92 233 720 368 547 758,07"
_ORDERS = [(_TOP, _TOP, "-" + _TOP), (_TOP, "-" + _TOP, _TOP), ("-" + _TOP, _TOP, _TOP)]


@pytest.mark.parametrize("cells", _ORDERS)
def test_an_axis_sub_total_is_checked_on_its_lines_exact_sum_whatever_their_order(cells):
    """The sub-total of 'Axe 1' over lines [max, max, -max] was added two at a time, each
    partial checked: validate() refused the plan with a MoneyOverflowError in that order and
    found it right in another.  The lines' exact sum is compared, so a sub-total equal to it
    holds and one a cent off is a subtotal finding, in every order."""
    a, b, c = cells
    text = (f"Action;A;B\nAxe 1 : Structurer;{_TOP};0\nL1;{a};0\nL2;{b};0\nL3;{c};0\n"
            f"Total;{_TOP};0\n")
    report = _read(text).validate()
    assert not [f for f in report if f.severity == "error"], report
    wrong = _read(text.replace(f"Structurer;{_TOP}", "Structurer;92 233 720 368 547 758,06"))
    (f,) = [f for f in wrong.validate() if f.code == "subtotal"]
    assert (f.funder, f.actual, f.expected) == ("A", D("92233720368547758.06"),
                                                D("92233720368547758.07"))


@pytest.mark.parametrize("cells", _ORDERS)
def test_an_axis_row_with_no_total_row_is_read_on_its_lines_exact_sum_whatever_their_order(
        cells):
    """With no Total row the reader checks an axis row's figures itself: lines [max, max, -max]
    were 'more than int64 cents' and the plan refused, where [max, -max, max] loaded.  A figure
    that is not their exact sum is still refused."""
    a, b, c = cells
    text = f"Action;A;B\nAxe 1 : Structurer;{_TOP};0\nL1;{a};0\nL2;{b};0\nL3;{c};0\n"
    plan = _read(text)
    assert plan.axes == ["Axe 1 : Structurer"] and plan.lines == ["L1", "L2", "L3"]
    assert plan.by_funder()["A"] == D("92233720368547758.07")
    with pytest.raises(essconv.PlanFormatError, match=r"add up to 92,233,720,368,547,758\.07:"):
        _read(text.replace(f"Structurer;{_TOP}", "Structurer;92 233 720 368 547 758,06"))


@pytest.mark.parametrize("sign, english, french", [
    ("", "add up to beyond 92,233,720,368,547,758.07\u00a0€:",
     "donnent au-delà de 92\u202f233\u202f720\u202f368\u202f547\u202f758,07\u00a0€"),
    ("-", "add up to below -92,233,720,368,547,758.08\u00a0€:",
     "donnent en deçà de -92\u202f233\u202f720\u202f368\u202f547\u202f758,08\u00a0€")])
def test_an_axis_row_over_lines_past_int64_cents_says_on_which_side(sign, english, french):
    """With no Total row the reader checks an axis row's figures itself; lines adding to past
    int64 cents were said 'more than int64 cents' ('plus que ne tiennent des centimes sur 64
    bits'), lines [-max, -max] too: a huge negative sum read as a huge positive one, in the
    C type's name.  The limit is said on the sum's side, as every other sum past it is."""
    text = f"Action;A;B\nAxe 1 : Structurer;5;0\nL1;{sign}{_TOP};0\nL2;{sign}{_TOP};0\n"
    with pytest.raises(essconv.PlanFormatError) as caught:
        _read(text)
    said, dit = str(caught.value), language("fr").refusal(caught.value)
    assert english in said and "int64" not in said, said
    assert french in dit and "64 bits" not in dit, dit
