"""Year over year: ``Convention.compare(year1, year2)`` on the embedded 2009 plan (Annex 1)
and plans an analyst adds for the following years, as they are really typed: a line's label
retyped without its accents or with a trailing space, a funder that appears or disappears, a
plan in euros after one in k€.  The expected figures are read off the tables written here."""
from __future__ import annotations

import io
from decimal import Decimal

import pytest

import essconv
from essconv.messages import language


def _plan(text: str, year: int) -> essconv.Plan:
    return essconv.read_plan(io.BytesIO(text.encode("utf-8")), year=year)


# 2010: "Têtes de réseaux" retyped without accents, in lower case, with a trailing space; CDC
# printed with a 0; DRTEFP, DRASS, CG-59, ESE, CG-67 and Territoires not printed at all; a new
# funder (CG-62) and a new line (Nouvelle ligne)
PLAN_2010 = ("en k€;;CR-NPDC;CDC;CG-62;Total\n"
             "Promouvoir et diffuser les valeurs de l'ESS;tetes de reseaux ;200;0;;200\n"
             "Soutenir la création d'activité;DLA;300;0;10;310\n"
             ";Nouvelle ligne;5;;;5\n"
             "Total;;505;0;10;515\n")

# 2011 in euros: every amount is compared in k€, to the cent
PLAN_2011 = ("en €;;CR-NPDC;Cdc;Total\n"
             "Soutenir la création d'activité;DLA;300 000,50;1 000,01;301 000,51\n"
             "Total;;300 000,50;1 000,01;301 000,51\n")


@pytest.fixture
def conv():
    conv = essconv.default()
    conv.add_plan(_plan(PLAN_2010, 2010))
    conv.add_plan(_plan(PLAN_2011, 2011))
    return conv


def test_what_one_year_does_not_print_is_absent_not_zero(conv):
    """A funder or line a plan does not print is None (absent) in that year, set apart from a
    column the plan prints with 0; its change is the whole amount of the year that has it."""
    c = conv.compare(2009, 2010)
    funder = c["funder"]
    # DRTEFP is printed in 2009 (643), not in 2010
    assert funder["DRTEFP"] == {"2009": Decimal("643"), "2010": None,
                                "change": Decimal("-643"), "percent": Decimal("-100.0")}
    # CG-62 is printed in 2010 only
    assert funder["CG-62"] == {"2009": None, "2010": Decimal("10"),
                               "change": Decimal("10"), "percent": None}
    # CDC is printed in both, with 0 in 2010: present, a change of -100 %
    assert funder["CDC"] == {"2009": Decimal("1240"), "2010": Decimal("0"),
                             "change": Decimal("-1240"), "percent": Decimal("-100.0")}
    assert c["line"]["Nouvelle ligne"]["2009"] is None
    assert c["line"]["PLDESS"]["2010"] is None
    # the changes still add up to the change of the total (8105 -> 515)
    for dim in ("funder", "line", "axis"):
        assert sum(r["change"] for r in c[dim].values()) == Decimal(515 - 8105)
    for dim, rows in c.items():
        for row in rows.values():
            for value in row.values():
                assert value is None or isinstance(value, Decimal), (dim, row)


def test_a_label_retyped_without_accents_case_or_trailing_space_is_the_same_row(conv):
    """"tetes de reseaux " in 2010 is Annex 1's "Têtes de réseaux" (as the plan reader and the
    execution take them for one): one row under the first year's spelling, not a line that
    vanished beside one that appeared.  "Cdc" in 2011 is 2010's "CDC"."""
    lines = conv.compare(2009, 2010)["line"]
    assert "tetes de reseaux " not in lines
    assert lines["Têtes de réseaux"] == {"2009": Decimal("410"), "2010": Decimal("200"),
                                         "change": Decimal("-210"), "percent": Decimal("-51.2")}
    # the rows in the first plan's printed order, then the second's new ones in theirs
    assert list(lines) == ["Têtes de réseaux", "Observatoire CRESS", "PLDESS",
                           "Structures accompagnement", "Soutien aux structures", "Innovation",
                           "DLA", "Nouvelle ligne"]
    funder = conv.compare(2010, 2011)["funder"]
    assert "Cdc" not in funder
    assert funder["CDC"] == {"2010": Decimal("0"), "2011": Decimal("1.00001"),
                             "change": Decimal("1.00001"), "percent": None}


def test_two_labels_one_plan_keeps_apart_stay_apart_across_years():
    """Two lines of one plan whose labels differ only by their accents (under two axes, as the
    reader lets them be) are not merged with the other year's one spelling: neither is
    guessed, each keeps its own row."""
    conv = essconv.default()
    conv.add_plan(_plan("en k€;;CR-NPDC;Total\nA;Médiation;1;1\nB;Mediation;2;2\n"
                        "Total;;3;3\n", 2010))
    conv.add_plan(_plan("en k€;;CR-NPDC;Total\nA;mediation;4;4\nTotal;;4;4\n", 2011))
    lines = conv.compare(2010, 2011)["line"]
    assert lines["Médiation"]["2011"] is None and lines["Mediation"]["2011"] is None
    assert lines["mediation"] == {"2010": None, "2011": Decimal(4), "change": Decimal(4),
                                  "percent": None}
    # and the other way round: neither of the two is taken for the one, nor lost
    back = conv.compare(2011, 2010)["line"]
    assert back["Médiation"] == {"2011": None, "2010": Decimal(1), "change": Decimal(1),
                                 "percent": None}
    assert back["Mediation"]["2010"] == Decimal(2) and back["mediation"]["2010"] is None


def test_plans_in_different_units_compare_exactly_in_k_euros(conv):
    """k€ in 2010, € in 2011: compared in k€ to the cent, never through a float.  The twin
    is the amounts as printed, turned into k€ by hand."""
    line = conv.compare(2010, 2011)["line"]["DLA"]
    twin_2011 = Decimal("301000.51") / 1000
    assert line["2010"] == Decimal(310) and line["2011"] == twin_2011
    assert line["change"] == twin_2011 - 310
    assert line["percent"] == Decimal("-2.9")



def test_the_term_s_sums_count_a_retyped_funder_once(conv):
    """cumulative() sums "Cdc" (2011) with "CDC" (2009, 2010) under Annex 1's spelling, as
    compare() sets them on one row: one funder's term total, not two.  The twin adds each
    plan's column sums by hand, in k€, keyed by the label folded."""
    import unicodedata

    def folded(label: str) -> str:
        decomposed = unicodedata.normalize("NFD", label)
        return "".join(c for c in decomposed if not unicodedata.combining(c)).casefold().strip()
    twin: dict[str, Decimal] = {}
    for plan in conv.plans.values():
        per_k = {"k€": Decimal(1), "€": Decimal("0.001")}[plan.unit]
        for funder, amount in plan.by_funder().items():
            twin[folded(funder)] = twin.get(folded(funder), Decimal(0)) + amount * per_k
    term = conv.cumulative()["funder"]
    assert "Cdc" not in term
    assert term["CDC"] == Decimal("1240") + Decimal("0") + Decimal("1.00001")
    assert {folded(k): v for k, v in term.items()} == twin
    assert list(term)[:3] == ["CR-NPDC", "DRTEFP", "DRASS"]


@pytest.mark.parametrize("years", [(2009, 2012), (2012, 2009)])
def test_a_year_of_the_term_with_no_plan_is_said_in_french_too(conv, years):
    """A year of the term no plan was added for: the French listing words it in French, the
    years that have a plan named, as it words a year outside the term."""
    with pytest.raises(essconv.NoPlanError) as caught:
        conv.compare(*years)
    said = language("fr").refusal(caught.value)
    assert said == ("la convention n'a pas de plan de financement pour 2012 (plans : 2009, "
                    "2010, 2011) ; ajoutez-en un avec conv.add_plan(plan)").replace(
                        " :", "\u00a0:").replace(" ;", "\u202f;")
    assert language("en").refusal(caught.value) == str(caught.value)
    assert "2012" in str(caught.value) and "add_plan" in str(caught.value)


# -------------------------------------------------- one plan a year, two years to compare
def test_a_second_plan_for_a_year_is_refused_naming_the_plan_already_there(conv):
    """A second file for a year that has a plan replaced the first without a word: it is
    refused, in English and in French, naming the year and the plan kept; replace=True says
    the new one takes its place."""
    first = conv.plan(2010)
    other = _plan(PLAN_2011, 2010)
    with pytest.raises(essconv.errors.InvalidValueError) as caught:
        conv.add_plan(other)
    assert conv.plan(2010) is first and first.year == 2010   # nothing replaced
    assert str(caught.value) == ("the convention already has a plan for 2010: pass "
                                 "replace=True to put this one in its place")
    assert language("fr").refusal(caught.value) == (
        "la convention a déjà un plan pour 2010\u00a0: passez replace=True pour mettre "
        "celui-ci à sa place")
    # the embedded Annex 1 is named by its file
    with pytest.raises(essconv.errors.InvalidValueError) as caught:
        conv.add_plan(_plan(PLAN_2011, 2009))
    assert "plan for 2009 (" in str(caught.value) and "annexe1-2009.tsv)" in str(caught.value)
    assert "annexe1-2009.tsv)\u00a0: passez" in language("fr").refusal(caught.value)
    # asked for, it replaces; the very plan already there attached again changes nothing
    conv.add_plan(other, replace=True)
    assert conv.plan(2010) is other
    conv.add_plan(other)
    assert conv.plan(2010) is other
    with pytest.raises(essconv.errors.ArgumentTypeError, match="replace must be True or False"):
        conv.add_plan(first, 2010, replace="yes")


@pytest.mark.parametrize("year", [2009, 2012])
def test_a_year_compared_with_itself_is_refused(conv, year):
    """compare(2009, 2009) gave a table of zero changes, its two years one key: a slip,
    refused naming the year, in French too."""
    with pytest.raises(essconv.errors.InvalidValueError) as caught:
        conv.compare(year, year)
    assert str(caught.value) == (f"comparing {year} with {year} shows no change: give two "
                                 f"different years")
    assert language("fr").refusal(caught.value) == (
        f"comparer {year} à {year} ne montre aucune évolution\u00a0: donnez deux années "
        f"différentes")


TWO_AXES = ("en k€;;CDC;CG-59;Total\nAxe 1;L1;4;5;9\n;Div;1;1;2\n"
            "Axe 2;Div;10;0;10\nTotal;;15;6;21\n")


def test_a_line_under_two_axes_is_keyed_by_its_axis_and_label():
    """"Div" printed under two axes was the row "('Axe 1', 'Div')", a Python tuple's text:
    it is keyed (axis, line) as the plan's by_line() keys it, so plan.cell() finds it; a
    retyped "div" under the same axis the other year is the same row."""
    conv = essconv.default()
    conv.add_plan(_plan(TWO_AXES, 2010))
    conv.add_plan(_plan(TWO_AXES.replace(";Div;1;1;2", ";div ;3;1;4").replace(
        "Total;;15;6;21", "Total;;17;6;23"), 2011))
    lines = conv.compare(2010, 2011)["line"]
    assert list(lines) == ["L1", ("Axe 1", "Div"), ("Axe 2", "Div")]
    assert lines[("Axe 1", "Div")] == {"2010": Decimal(2), "2011": Decimal(4),
                                       "change": Decimal(2), "percent": Decimal("100.0")}
    assert conv.plan(2010).cell(("Axe 1", "Div"), "CDC") == Decimal(1)
    assert sum(r["change"] for r in lines.values()) == Decimal(2)
    # the other way round, under the first year's spellings
    back = conv.compare(2011, 2010)["line"]
    assert list(back) == ["L1", ("Axe 1", "div"), ("Axe 2", "Div")]
    assert back[("Axe 1", "div")]["change"] == Decimal(-2)
    # a year that prints "Div" once, under "Axe 1", beside one that prints it under two axes
    conv.add_plan(_plan("en k€;;CDC;Total\nAxe 1;Div;7;7\nTotal;;7;7\n", 2012))
    lines = conv.compare(2010, 2012)["line"]
    assert list(lines) == ["L1", ("Axe 1", "Div"), ("Axe 2", "Div")]
    assert lines[("Axe 1", "Div")]["2012"] == Decimal(7)
    assert list(conv.compare(2012, 2010)["line"]) == [("Axe 1", "Div"), "L1", ("Axe 2", "Div")]


def test_one_plan_attached_to_a_second_year_is_refused_so_each_plan_keeps_its_year():
    """conv.add_plan(conv.plan(2009), 2010) set the one plan's year to 2010: the report then
    titled the 2009 plan "Plan 2010" twice.  Refused naming both years, in French too;
    override_year=True attaches a copy."""
    import copy
    conv = essconv.default()
    plan = conv.plan(2009)
    with pytest.raises(essconv.errors.InvalidValueError) as caught:
        conv.add_plan(plan, 2010)
    assert plan.year == 2009 and list(conv.plans) == [2009]
    assert str(caught.value) == ("this plan is already the convention's 2009 plan: pass "
                                 "override_year=True to attach a copy of it to 2010, so each "
                                 "year's plan says its own year")
    assert language("fr").refusal(caught.value) == (
        "ce plan est déjà celui de 2009 de la convention\u00a0: passez override_year=True pour "
        "en attacher une copie à 2010, pour que le plan de chaque année dise la sienne")
    conv.add_plan(plan, 2010, override_year=True)
    assert conv.plan(2010) is not plan
    with pytest.raises(essconv.errors.InvalidValueError):   # a copy says its own year too
        conv.add_plan(copy.copy(plan), 2011)
    conv.add_plan(copy.copy(plan), 2011, override_year=True)
    assert conv.plan(2009).year == 2009 and conv.plan(2010).year == 2010


def test_lines_under_no_axis_are_summed_under_a_dash_so_the_axes_add_up_to_the_total():
    """A line printed above a plan's first axis counted in no sum by axis: by_axis(),
    cumulative() and compare() lost its money (the axes' changes did not add up to the
    total's, as compare() says they do).  It is under "—", as an execution keys it; the twin
    adds the table's figures by hand."""
    conv = essconv.default()
    conv.add_plan(_plan("en k€;;CDC;Total\n;L0;3;3\nSoutenir la création d'activité;DLA;9;9\n"
                        "Total;;12;12\n", 2010))
    assert conv.by_axis(2010) == {"Axe 3": Decimal(9), "—": Decimal(3)}
    term = conv.cumulative()
    assert term["axis"]["—"] == Decimal(3)
    assert sum(term["axis"].values()) == term["total"]["k€"] == Decimal(8105 + 12)
    axes = conv.compare(2009, 2010)["axis"]
    assert axes["—"] == {"2009": None, "2010": Decimal(3), "change": Decimal(3), "percent": None}
    assert sum(r["change"] for r in axes.values()) == Decimal(12 - 8105)
    # a plan printing no axis at all: every line under "—"
    conv.add_plan(_plan("en k€;CDC;Total\nL0;3;3\nL1;4;4\nTotal;7;7\n", 2011))
    assert conv.by_axis(2011) == {"—": Decimal(7)}


def test_sums_by_axis_and_changes_are_exact_whatever_the_callers_decimal_context(conv):
    """A notebook's decimal context of precision 2 made by_axis(2009) read 5 800 for 5 764 and
    a change of -1 240 read -1,2E+3: money is exact whatever the caller set for other work.
    The twins are the figures of Annex 1 and of the 2010 table written above."""
    import decimal
    with decimal.localcontext(decimal.Context(prec=2, rounding=decimal.ROUND_DOWN)):
        axes = conv.by_axis(2009)
        changes = conv.compare(2009, 2010)
    assert axes == {"Axe 1": Decimal(451), "Axe 2": Decimal(1890), "Axe 3": Decimal(5764)}
    assert changes["funder"]["CDC"]["change"] == Decimal(-1240)
    assert changes["axis"]["Axe 3"]["change"] == Decimal(310 + 5 - 5764)


def test_an_instruments_line_retyped_or_under_two_axes_still_shows_its_funders():
    """funded_in_plans("PLDE-ESS") left out a year whose plan typed Annex 1's "PLDESS" as
    "pldess" (a row compare() holds for the same line), and raised on a line printed under two
    axes, an instrument's line being both.  The twins are the tables' cells added by hand."""
    conv = essconv.default()
    conv.add_plan(_plan("en k€;;CR-NPDC;CDC;Total\nStructurer le secteur de l'ESS;pldess;5;1;6\n"
                        "Total;;5;1;6\n", 2010))
    conv.add_plan(_plan("en k€;;CR-NPDC;CDC;Total\nAxe 1;PLDESS;1;2;3\nAxe 2;PLDESS;10;;10\n"
                        "Total;;11;2;13\n", 2011))
    shown = conv.funded_in_plans("PLDE-ESS")
    assert shown[2010] == {"CR-NPDC": Decimal(5), "CDC": Decimal(1)}
    assert shown[2011] == {"CR-NPDC": Decimal(11), "CDC": Decimal(2)}


def test_a_change_from_a_negative_amount_has_the_sign_of_the_change():
    """A line printed negative (a reimbursement, a correction) that rises from -10 to -5 has
    changed by +5, +50 % of its size: the % was -50 %, a fall, read off a rise."""
    conv = essconv.default()
    conv.add_plan(_plan("en k€;;CDC;Total\nSoutenir la création d'activité;DLA;-5;-5\n"
                        "Total;;-5;-5\n", 2010))
    conv.add_plan(_plan("en k€;;CDC;Total\nSoutenir la création d'activité;DLA;-10;-10\n"
                        "Total;;-10;-10\n", 2011))
    rise, fall = conv.compare(2011, 2010)["line"]["DLA"], conv.compare(2010, 2011)["line"]["DLA"]
    assert rise["change"] == Decimal("5") and rise["percent"] == Decimal("50.0")
    assert fall["change"] == Decimal("-5") and fall["percent"] == Decimal("-100.0")
    # from a positive amount, as before: Annex 1's 1240 -> -5 is -100.4 %
    assert conv.compare(2009, 2010)["funder"]["CDC"]["percent"] == Decimal("-100.4")


# -------------------------------------------------- what a plan's groups and year say
def test_a_group_printed_as_a_dash_beside_lines_under_no_axis_is_refused_not_overwritten():
    """A plan printing a group "—" (the key of the lines under no axis) beside a line under no
    axis: by_axis() put the no-axis line's 3 in place of the group's 4, so the axes summed to 3
    of a plan of 7, and compare() and cumulative() with it.  The two are different things under
    one key: attaching such a plan is refused naming the group, in French too."""
    conv = essconv.default()
    plan = _plan("en k€;;CDC;Total\n;L0;3;3\n—;B;4;4\nTotal;;7;7\n", 2010)
    with pytest.raises(essconv.errors.InvalidValueError) as caught:
        conv.add_plan(plan)
    assert list(conv.plans) == [2009]
    assert str(caught.value) == (
        "the 2010 plan prints a group '—', the key of its lines under no axis (L0) in every sum "
        "by axis: rename the group, or print its lines under no group")
    assert language("fr").refusal(caught.value) == (
        "le plan 2010 imprime un groupe «\u00a0—\u00a0», la clé de ses lignes hors axe (L0) dans "
        "toute somme par axe\u00a0: renommez le groupe, ou imprimez ses lignes sans groupe")


def test_a_group_printed_as_a_dash_alone_is_the_plans_lines_under_no_axis():
    """A plan whose only unplaced lines are printed under a group "—" says "no axis" as a
    French table does: its sums by axis hold them under "—", the whole plan's total."""
    conv = essconv.default()
    conv.add_plan(_plan("en k€;;CDC;Total\n—;B;4;4\nAxe 1;C;5;5\nTotal;;9;9\n", 2010))
    assert conv.by_axis(2010) == {"—": Decimal(4), "Axe 1": Decimal(5)}
    assert sum(conv.by_axis(2010).values()) == conv.plan(2010).total()


def test_a_group_printed_as_an_axis_key_is_that_axis_everywhere():
    """A group printed "Axe 1" beside the group the description gives axis 1: both are summed
    under "Axe 1" (the group IS that axis), and every path says so -- axis_for() and the
    report's number of the axis, which gave None for the printed "Axe 1" beside 1 for the
    other, two rows of one axis numbered apart.  The key spelled otherwise ("AXE  1") is it too;
    a group naming no axis of the convention ("Axe 9") stays its own label."""
    conv = essconv.default()
    group = conv.axis(1).plan_groups[0]
    conv.add_plan(_plan(f"en k€;;CDC;Total\n{group};A;3;3\nAxe 1;B;4;4\nAxe 9;D;2;2\n"
                        f"Total;;9;9\n", 2010))
    assert conv.by_axis(2010) == {"Axe 1": Decimal(7), "Axe 9": Decimal(2)}
    assert conv.axis_for("Axe 1") is conv.axis(1) and conv.axis_for("AXE  1") is conv.axis(1)
    assert conv.axis_for("Axe 9") is None and conv.axis_for("Axe 1 bis") is None
    assert conv.axis_key("axe 3") == "Axe 3"
    from essconv.report import build
    rows = build(conv)["plans"]["2010"]["by_axis"]
    assert [(r["axis"], r["label"]) for r in rows] == [(1, group), (1, "Axe 1"), (None, "Axe 9")]


def test_an_explicit_year_contradicting_the_plans_own_is_refused_naming_both():
    """add_plan(plan, 2011) of a plan whose title (or name, or read_plan(year=)) says 2009
    attached it as 2011 without a word, the committee's 2011 column holding the 2009 money.
    Refused naming both years, in French too; override_year=True says it is meant, and
    attaches a copy, the plan given keeping its own year."""
    conv = essconv.default()
    plan = essconv.read_plan(io.BytesIO("Plan de financement 2009\nen k€;;CDC;Total\n"
                                        "Axe 1;L1;4;4\nTotal;;4;4\n".encode()))
    assert plan.year == 2009
    with pytest.raises(essconv.errors.InvalidValueError) as caught:
        conv.add_plan(plan, 2011)
    assert list(conv.plans) == [2009] and plan.year == 2009
    assert str(caught.value) == ("this plan says it is the 2009 plan, not 2011's: attach it "
                                 "to 2009, or pass override_year=True to make it 2011's")
    assert language("fr").refusal(caught.value) == (
        "ce plan se dit celui de 2009, pas de 2011\u00a0: attachez-le à 2009, ou passez "
        "override_year=True pour en faire celui de 2011")
    conv.add_plan(plan, 2011, override_year=True)
    assert conv.plan(2011).year == 2011 and plan.year == 2009
    assert conv.by_axis(2011) == {"Axe 1": Decimal(4)}
    with pytest.raises(essconv.errors.ArgumentTypeError):
        conv.add_plan(plan, 2012, override_year="yes")
    # a plan that says no year takes the one given; its own year agrees with itself
    bare = _plan("en k€;;CDC;Total\nAxe 1;L1;4;4\nTotal;;4;4\n", 2012)
    bare.year = None
    conv.add_plan(bare, 2012)
    assert bare.year == 2012 and conv.plan(2012) is bare
    conv.add_plan(bare, 2012)   # the very plan again: nothing changes


def test_a_plan_attached_to_a_second_convention_leaves_the_first_ones_year():
    """One Plan object attached to a second convention under another year set the first
    convention's plan to that year: conv1.plan(2010).year said 2011.  Refused without
    override_year=True; with it, the second convention holds a copy, and each convention's
    answers stay its own."""
    one, two = essconv.default(), essconv.default()
    plan = _plan("en k€;;CDC;Total\nAxe 1;L1;4;4\nTotal;;4;4\n", 2010)
    one.add_plan(plan)
    with pytest.raises(essconv.errors.InvalidValueError):
        two.add_plan(plan, 2011)
    two.add_plan(plan, 2011, override_year=True)
    assert one.plan(2010).year == 2010 and list(one.plans) == [2009, 2010]
    assert two.plan(2011).year == 2011 and list(two.plans) == [2009, 2011]
    assert one.plan(2010) is plan and two.plan(2011) is not plan
    assert one.by_axis(2010) == two.by_axis(2011) == {"Axe 1": Decimal(4)}
    assert one.compare(2009, 2010)["axis"]["Axe 1"]["2010"] == Decimal(4)
    # the same object in a second convention under its own year: nothing of the first changes
    two.add_plan(plan)
    assert one.plan(2010).year == two.plan(2010).year == 2010


def test_a_funder_printed_by_its_code_one_year_and_its_alias_the_next_is_one_row():
    """Annex 1 prints the Région as "CR-NPDC" and the Nord as "CG-59"; a 2010 plan typed by a
    partner prints them "Région" and "Département du Nord" (their aliases).  compare() showed
    CR-NPDC at -100 % (4 076 -> absent) beside a new "Région" row, and cumulative() gave the
    Région 4 076 k€ over the term where its plans add up to 5 231,5.  One party named twice is
    one row, under the first year's spelling; the twin adds each plan's columns by hand, keyed
    by the party each names."""
    conv = essconv.default()
    conv.add_plan(_plan("en k€;;Région;DIRECCTE;Département du Nord;Total\n"
                        "Soutenir la création d'activité;DLA;1 155,5;480;130;1 765,5\n"
                        "Total;;1 155,5;480;130;1 765,5\n", 2010))
    funder = conv.compare(2009, 2010)["funder"]
    assert "Région" not in funder and "Département du Nord" not in funder
    assert "DIRECCTE" not in funder
    assert funder["CR-NPDC"] == {"2009": Decimal("4076"), "2010": Decimal("1155.5"),
                                 "change": Decimal("-2920.5"), "percent": Decimal("-71.7")}
    assert funder["CG-59"]["2010"] == Decimal("130")
    # DIRECCTE is the DRTEFP (its alias), not the DRASS, the State's other service
    assert funder["DRTEFP"]["2010"] == Decimal("480") and funder["DRASS"]["2010"] is None
    assert sum(r["change"] for r in funder.values()) == Decimal("1765.5") - Decimal("8105")
    twin: dict[str, Decimal] = {}
    for plan in conv.plans.values():
        for column, amount in plan.by_funder().items():
            code = conv.party_named(column).code if conv.party_named(column) else column
            twin[code] = twin.get(code, Decimal(0)) + amount
    term = conv.cumulative()["funder"]
    assert term == twin
    assert term["CR-NPDC"] == Decimal("5231.5")
    # the other way round, the first year's spelling heads the row
    back = conv.compare(2010, 2009)["funder"]
    assert "CR-NPDC" not in back and back["Région"]["2009"] == Decimal("4076")
