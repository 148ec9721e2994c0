"""A plan's public methods given what a notebook user may give by a slip: None, a float, bytes,
a list, True, a str where a position is asked, a position past the plan's, a path where a
convention is asked.  Each is refused with essconv's own error naming the argument, what it
got and what to give -- never Python's AttributeError "'NoneType' object has no attribute
'lower'", nor a bare TypeError or IndexError from the core -- and every right call answers
as before."""
from __future__ import annotations

from decimal import Decimal

import pytest

import essconv
from essconv.errors import (ArgumentTypeError, Error, InvalidValueError, PositionError,
                            UnknownLabelError)
from essconv.plan import Plan


@pytest.fixture(scope="module")
def conv():
    return essconv.default()


@pytest.fixture(scope="module")
def plan(conv):
    return conv.plan(2009)


def _id(value):
    """A test's id that is the same in every worker: an object()'s repr holds its address."""
    return "object()" if type(value) is object else repr(value)


NOT_A_LABEL = [None, 1.5, b"DLA", [], ["DLA"], {}, object(), True]

#: the methods naming a line: how each is called with the line given as ``v``
BY_LINE = {
    "cell": lambda p, v: p.cell(v, "CDC"),
    "cell_text": lambda p, v: p.cell_text(v, "CDC"),
    "cell_place": lambda p, v: p.cell_place(v, "CDC"),
    "axis_of": lambda p, v: p.axis_of(v),
    "line_index": lambda p, v: p.line_index(v),
    "getitem": lambda p, v: p[v, "CDC"],
}
BY_FUNDER = {
    "cell": lambda p, v: p.cell("DLA", v),
    "cell_text": lambda p, v: p.cell_text("DLA", v),
    "cell_place": lambda p, v: p.cell_place("DLA", v),
    "funder_index": lambda p, v: p.funder_index(v),
    "getitem": lambda p, v: p["DLA", v],
}


@pytest.mark.parametrize("method", sorted(BY_LINE))
@pytest.mark.parametrize("value", NOT_A_LABEL, ids=_id)
def test_a_line_that_is_no_label_nor_position_is_refused_naming_the_argument(plan, method, value):
    with pytest.raises(ArgumentTypeError) as caught:
        BY_LINE[method](plan, value)
    said = str(caught.value)
    assert said.startswith("line must be a label as a str ('DLA'), an (axis, line) pair or a "
                           "position as an int"), said
    assert f"not {type(value).__name__} " in said


@pytest.mark.parametrize("method", sorted(BY_FUNDER))
@pytest.mark.parametrize("value", NOT_A_LABEL + [("CDC", "x")], ids=_id)
def test_a_funder_that_is_no_label_nor_position_is_refused_naming_the_argument(plan, method,
                                                                                 value):
    with pytest.raises(ArgumentTypeError) as caught:
        BY_FUNDER[method](plan, value)
    said = str(caught.value)
    assert said.startswith("funder must be a label as a str ('CDC') or a position as an int"), said
    assert f"not {type(value).__name__} " in said


def test_true_is_no_line_nor_funder(plan):
    # True was read as the line 1 and the funder 1
    with pytest.raises(ArgumentTypeError, match="^line must be"):
        plan.line_index(True)
    with pytest.raises(ArgumentTypeError, match="^funder must be"):
        plan.funder_index(True)


def test_a_label_holding_a_lone_surrogate_is_refused_naming_the_argument(plan):
    with pytest.raises(InvalidValueError, match=r"^line: 'D\\udc80A' holds a lone surrogate"):
        plan.line_index("D\udc80A")
    with pytest.raises(InvalidValueError, match=r"^funder: 'C\\udc80C' holds a lone surrogate"):
        plan.funder_index("C\udc80C")


@pytest.mark.parametrize("value", [(), ("a",), ("a", "b", "c")], ids=_id)
def test_a_line_tuple_that_is_no_pair_is_refused(plan, value):
    with pytest.raises(ArgumentTypeError, match=r"^line as a tuple must be an \(axis, line\) "
                                                r"pair"):
        plan.line_index(value)


@pytest.mark.parametrize("value", [-1, -2, 23, 10**30])
def test_a_line_position_past_the_plan_is_refused_and_does_not_count_from_the_end(plan, value):
    # -1 is no last line: the core's -1 is "no line", -2 the Total; a position counts from 0
    with pytest.raises(PositionError) as caught:
        plan.line_index(value)
    said = str(caught.value)
    assert said.startswith(f"line {value} is no position of this plan's "
                           f"{len(plan.lines)} lines: give 0 to {len(plan.lines) - 1}"), said


def test_a_funder_position_past_the_plan_is_refused_saying_the_positions(plan):
    with pytest.raises(PositionError, match=rf"^funder -1 is no position of this plan's "
                                            rf"{len(plan.funders)} funders: give 0 to "
                                            rf"{len(plan.funders) - 1}"):
        plan.funder_index(-1)


def test_right_calls_answer_as_before(plan):
    np = pytest.importorskip("numpy")
    i, j = plan.line_index("DLA"), plan.funder_index("CDC")
    assert plan.cell("DLA", "CDC") == Decimal("274") == plan["DLA", "CDC"]
    assert plan.cell(i, j) == plan.cell(np.int64(i), np.int64(j)) == Decimal("274")
    assert plan.line_index(np.int64(i)) == i and plan.funder_index(np.int32(j)) == j
    assert plan.axis_of("DLA") == plan.axis_of(i)
    assert plan.line_index((plan.axis_of("DLA"), "DLA")) == i
    assert plan.amount_at(i, j) == Decimal("274") == plan.amount_at(np.int64(i), j)
    assert plan.text_at(Plan.TOTAL_AT, Plan.TOTAL_AT) == "8 115"
    assert plan.line_sum_at(i) == Decimal("1228")
    assert plan.funder_sum_at(j) == Decimal("1240")
    assert plan.axis_sum_at(0) == Decimal("451")
    assert plan.sum_at([(0, 3), (1, 3)]) == Decimal("20")
    assert plan.sum_at([]) == Decimal("0")
    assert plan.margin_cents([-1] * len(plan.funders))[0][:2] == [19700000, 2000000]
    assert plan.shares()["CR-NPDC"] == Decimal("50.29")
    assert set(plan.shares("axis")) == set(plan.axes)
    with pytest.raises(UnknownLabelError, match="did you mean 'DLA'"):
        plan.line_index("DLB")


#: the accessors by position: (call with ``v`` as the position, the argument named, whether
#: Plan.TOTAL_AT is one of its positions)
AT = {
    "amount_at i": (lambda p, v: p.amount_at(v, 0), "i", True),
    "amount_at j": (lambda p, v: p.amount_at(0, v), "j", True),
    "text_at i": (lambda p, v: p.text_at(v, 0), "i", True),
    "text_at j": (lambda p, v: p.text_at(0, v), "j", True),
    "line_sum_at": (lambda p, v: p.line_sum_at(v), "i", False),
    "funder_sum_at": (lambda p, v: p.funder_sum_at(v), "j", False),
    "axis_sum_at": (lambda p, v: p.axis_sum_at(v), "g", False),
    "sum_at i": (lambda p, v: p.sum_at([(v, 0)]), "i", True),
    "sum_at j": (lambda p, v: p.sum_at([(0, v)]), "j", True),
}


@pytest.mark.parametrize("method", sorted(AT))
@pytest.mark.parametrize("value", [None, "DLA", "CDC", 1.5, b"x", [], True, object()], ids=_id)
def test_a_position_that_is_no_int_is_refused_naming_the_argument(plan, method, value):
    call, argument, _total = AT[method]
    with pytest.raises(ArgumentTypeError) as caught:
        call(plan, value)
    said = str(caught.value)
    assert said.startswith(f"{argument} must be a position as an int"), said
    assert f"not {type(value).__name__} " in said
    if isinstance(value, str):   # a label where a position is asked: the way to its position
        assert "line_index" in said or "funder_index" in said or "axes.index" in said


@pytest.mark.parametrize("method", sorted(AT))
@pytest.mark.parametrize("value", [-1, -3, 99, 10**30])
def test_a_position_past_the_plan_is_refused_naming_the_argument(plan, method, value):
    call, argument, total = AT[method]
    with pytest.raises(PositionError) as caught:
        call(plan, value)
    said = str(caught.value)
    assert said.startswith(f"{argument} {value} is no position of this plan's "), said
    assert ("Plan.TOTAL_AT" in said) == total


@pytest.mark.parametrize("method", ["line_sum_at", "funder_sum_at", "axis_sum_at"])
def test_the_total_position_is_refused_where_no_total_is_summed(plan, method):
    call, argument, _ = AT[method]
    with pytest.raises(PositionError, match=rf"^{argument} -2 is no position"):
        call(plan, Plan.TOTAL_AT)


@pytest.mark.parametrize("places", [None, 3, 1.5, "DLA", object()], ids=_id)
def test_sum_at_places_that_are_no_iterable_are_refused(plan, places):
    with pytest.raises(ArgumentTypeError, match=r"^places must be \(line index, funder index\) "
                                                r"pairs"):
        plan.sum_at(places)


@pytest.mark.parametrize("place", [3, "DLA", (1,), (1, 2, 3), None], ids=_id)
def test_sum_at_a_place_that_is_no_pair_is_refused(plan, place):
    with pytest.raises(ArgumentTypeError, match=r"^places must be \(line index, funder index\) "
                                                r"pairs"):
        plan.sum_at([(0, 0), place])


@pytest.mark.parametrize("groups", [None, 3, 1.5, "CDC", object()], ids=_id)
def test_margin_cents_groups_that_are_no_list_are_refused(plan, groups):
    with pytest.raises(ArgumentTypeError, match=r"^funder_groups must be a list of group "
                                                r"numbers as ints"):
        plan.margin_cents(groups)


@pytest.mark.parametrize("groups", [[], [-1], [-1] * 9], ids=len)
def test_margin_cents_groups_of_another_count_than_the_funders_are_refused(plan, groups):
    with pytest.raises(InvalidValueError, match=rf"^funder_groups must hold one group a funder "
                                                rf"\(8\), not {len(groups)}"):
        plan.margin_cents(groups)


@pytest.mark.parametrize("group", [None, 1.0, "CDC", True], ids=_id)
def test_margin_cents_a_group_that_is_no_int_is_refused(plan, group):
    with pytest.raises(ArgumentTypeError, match=r"^funder_groups must be a list of group "
                                                r"numbers as ints"):
        plan.margin_cents([-1] * 7 + [group])


def test_margin_cents_a_group_below_none_is_refused(plan):
    with pytest.raises(InvalidValueError, match=r"^funder_groups\[7\] is -3: a group is a "
                                                r"number from 0, or -1 for none"):
        plan.margin_cents([-1] * 7 + [-3])


NOT_A_CONVENTION = [None, "CDC", "convention.toml", 3, [], {}, 1.5, b"x", object(), True]


@pytest.mark.parametrize("method", ["by_party", "pivot", "validate"])
@pytest.mark.parametrize("value", NOT_A_CONVENTION, ids=_id)
def test_a_convention_argument_that_is_no_convention_is_refused(plan, method, value):
    if value is None and method != "by_party":
        getattr(plan, method)(value)   # None: no convention, as the default says
        return
    with pytest.raises(ArgumentTypeError) as caught:
        getattr(plan, method)(value)
    said = str(caught.value)
    assert said.startswith("convention must be a Convention, read with essconv.default() or "
                           "essconv.load(path)"), said
    assert f"not {type(value).__name__} " in said


def test_a_convention_argument_answers_as_before(plan, conv):
    assert plan.by_party(conv)["ETAT"] == Decimal("739")
    assert plan.pivot(conv).get("total", ("party", "ETAT")) == Decimal("739")
    assert plan.validate(conv).ok == plan.validate(conv).ok


@pytest.mark.parametrize("by", [None, 3, b"funder", ["funder"], True], ids=_id)
def test_shares_by_that_is_no_str_is_refused(plan, by):
    with pytest.raises(ArgumentTypeError, match=r"^by must be 'funder', 'line' or 'axis'"):
        plan.shares(by)


def test_shares_by_a_funder_is_refused_with_the_way_to_its_share(plan):
    # shares("CDC") was a bare KeyError 'CDC': the user meant the CDC's share
    with pytest.raises(InvalidValueError, match=r"^by must be 'funder', 'line' or 'axis', not "
                                                r"'CDC': a funder's share is "
                                                r"plan.shares\(\)\['CDC'\]"):
        plan.shares("CDC")
    with pytest.raises(InvalidValueError, match=r"^by must be 'funder', 'line' or 'axis', not "
                                                r"'funders'$"):
        plan.shares("funders")


@pytest.mark.parametrize("findings", [None, 3, 1.5, True, object()], ids=_id)
def test_with_corrections_of_no_findings_is_refused(plan, findings):
    with pytest.raises(ArgumentTypeError, match=r"^findings must be a Report or a list of "
                                                r"Findings \(plan.validate\(\)\)"):
        plan.with_corrections(findings)


@pytest.mark.parametrize("findings", ["CDC", b"x", ["CDC"], ("a", "b"), [{}]], ids=_id)
def test_with_corrections_of_items_that_are_no_findings_is_refused(plan, findings):
    with pytest.raises(ArgumentTypeError, match=r"^findings must be a Report or a list of "
                                                r"Findings \(plan.validate\(\)\)"):
        plan.with_corrections(findings)


def test_with_corrections_answers_as_before(plan):
    report = plan.validate()
    assert plan.with_corrections(report).validate().ok == \
        plan.with_corrections(list(report.best_corrections())).validate().ok
    assert plan.with_corrections([]).total() == plan.total()


@pytest.mark.parametrize("key", [None, "DLA", ("DLA",), ("DLA", "CDC", 1), 3], ids=_id)
def test_a_subscript_that_is_no_pair_is_refused(plan, key):
    with pytest.raises(ArgumentTypeError, match=r"^plan\[line, funder\] takes a pair"):
        plan[key]


def test_every_refusal_is_an_essconv_error(plan):
    # what the probe gave each method, caught by `except essconv.Error` as a notebook does
    calls = [*BY_LINE.values(), *BY_FUNDER.values(), *(c for c, _, _ in AT.values()),
             lambda p, v: p.lines_of(v), lambda p, v: p.shares(v),
             lambda p, v: p.with_corrections(v), lambda p, v: p.by_party(v),
             lambda p, v: p.pivot(v), lambda p, v: p.validate(v), lambda p, v: p.sum_at(v),
             lambda p, v: p.margin_cents(v)]
    for call in calls:
        for value in [None, 1, -1, "x", "CDC", [], ["CDC"], {}, 1.5, b"x", object(),
                      ("a", "b"), True]:
            try:
                call(plan, value)
            except Error:
                pass


@pytest.mark.parametrize("axis", [None, 0, b"x", ["x"]], ids=_id)
def test_lines_of_an_axis_that_is_no_label_is_refused(plan, axis):
    # it said "no axis 0 in this plan", as if the plan might have had one
    with pytest.raises(ArgumentTypeError, match=r"^axis must be an axis label as a str, not "):
        plan.lines_of(axis)
    assert plan.lines_of(plan.axes[0]) == [l for l in plan.lines
                                           if plan.axis_of(plan.lines.index(l)) == plan.axes[0]]


PIVOT_KEYS = [None, 1, 1.5, True, [], ["DLA"], {}, b"DLA", object(), ("line",),
              ("line", "DLA", "x"), ("line", ["DLA"])]


@pytest.mark.parametrize("value", PIVOT_KEYS, ids=_id)
def test_a_pivot_row_that_is_no_key_is_refused_naming_the_argument(plan, conv, value):
    # ("line",) escaped as "tuple index out of range", None as "not subscriptable"
    with pytest.raises(ArgumentTypeError) as caught:
        plan.pivot(conv).get(value, "total")
    said = str(caught.value)
    assert said.startswith("row must be a line label as a str, a ('line', label) or ('axis', "
                           "label) pair or 'total'"), said
    assert f"not {type(value).__name__} " in said


@pytest.mark.parametrize("value", PIVOT_KEYS, ids=_id)
def test_a_pivot_column_that_is_no_key_is_refused_naming_the_argument(plan, conv, value):
    with pytest.raises(ArgumentTypeError) as caught:
        plan.pivot(conv).get("total", value)
    said = str(caught.value)
    assert said.startswith("column must be a funder label as a str, a ('funder', code) or "
                           "('party', code) pair or 'total'"), said
    assert f"not {type(value).__name__} " in said


@pytest.mark.parametrize("value", [None, 3, 1.5, True, "total", object()], ids=_id)
def test_a_pivot_table_of_rows_or_columns_that_are_no_list_is_refused(plan, conv, value):
    pivot = plan.pivot(conv)
    with pytest.raises(ArgumentTypeError, match=r"^rows must be a list of row keys "
                                                r"\(pivot.ordered_rows\(\)\)"):
        pivot.table(value, pivot.ordered_columns())
    with pytest.raises(ArgumentTypeError, match=r"^cols must be a list of column keys "
                                                r"\(pivot.ordered_columns\(\)\)"):
        pivot.table(pivot.ordered_rows(), value)


def test_a_pivot_answers_as_before(plan, conv):
    pivot = plan.pivot(conv)
    assert pivot.get("total", ("party", "ETAT")) == Decimal("739")
    assert pivot.get("DLA", "CDC") == pivot.get(("line", "DLA"), ("funder", "CDC")) == \
        Decimal("274")
    assert pivot.get("total", "total") == Decimal("8105")
    with pytest.raises(UnknownLabelError, match=r"^no row or column \('line', 'DLB'\)"):
        pivot.get("DLB", "total")
    assert pivot.table([None, "total"], [None, "total"])[2][2] == "8 105"


@pytest.mark.parametrize("argument", ["totals", "as_printed"])
@pytest.mark.parametrize("value", ["no", "False", 0, None, 1.5], ids=repr)
def test_to_rows_a_flag_that_is_no_bool_is_refused(plan, argument, value):
    # "no" is true: to_rows(totals="no") printed the totals
    with pytest.raises(ArgumentTypeError, match=rf"^{argument} must be True or False, not "
                                                rf"{type(value).__name__} "):
        plan.to_rows(**{argument: value})
    with pytest.raises(ArgumentTypeError, match=rf"^{argument} must be True or False"):
        plan.to_tsv(**{argument: value})


def test_to_rows_flags_answer_as_before(plan):
    np = pytest.importorskip("numpy")
    assert plan.to_rows(totals=np.bool_(False)) == plan.to_rows(totals=False) != plan.to_rows()
    assert plan.to_rows(as_printed=True)[1][:3] == ["Promouvoir et diffuser les valeurs de l'ESS",
                                                    "Têtes de réseaux", "197"]
