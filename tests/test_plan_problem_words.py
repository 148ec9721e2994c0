"""A plan's problems as a committee reads them: every problem the reader lists has a reason kind,
worded in French inside a French listing (validate, report, the CLI) and left in the core's
English for the Python API; "p.m." and "néant" cells; the overflow error's wording."""
from __future__ import annotations

import io
from decimal import Decimal

import pytest

import essconv
from essconv.cli import main
from essconv.messages import language

D = Decimal


def _read(text: str, **kw):
    return essconv.read_plan(io.BytesIO(text.encode()), **kw)


def _refused(text: str) -> essconv.PlanFormatError:
    with pytest.raises(essconv.PlanFormatError) as info:
        _read(text)
    return info.value


def _spaces(text: str) -> str:
    """French typography's narrow and no-break spaces as plain ones, to compare words."""
    return text.replace("\u00a0", " ").replace("\u202f", " ")


def _french_listing(tmp_path, capsys, text: str) -> str:
    path = tmp_path / "plan-2010.csv"
    path.write_text(text, encoding="utf-8")
    assert main(["validate", str(path), "--lang", "fr"]) == 2
    captured = capsys.readouterr()
    return captured.out + captured.err


# ------------------------------------------------- problems with no kind: English in French

FUNDERS_TWICE = "en k€;Région;CDC;REGION;Total\nDLA;10;2;20;32\nTotal;10;2;20;32\n"
LINES_TWICE = "en k€;CR;CG;CDC\nDLA;1;2;\nFormation;3;;4\nformation;5;6;\n"
AXES_TWICE = "Axe;Action;CR;CG\nÉconomie;L1;1;2\nAutre;L2;3;\nEconomie;L3;5;6\n"
CAPITALS = "en k€;CR;CG;CDC\nDLA;1;2;\nOBSERVATOIRE RÉGIONAL;;;\nFormation;3;;4\n"


@pytest.mark.parametrize("text,kind,said", [
    (FUNDERS_TWICE, "plan-funder-similar", ("« Région » (colonne 2)", "« REGION » (colonne 4)")),
    (LINES_TWICE, "plan-line-similar", ("« Formation » (ligne 3)", "« formation » (ligne 4)")),
    (AXES_TWICE, "plan-axis-similar", ("« Économie » (ligne 2)", "« Economie » (ligne 4)")),
    (CAPITALS, "plan-capitals-undecided", ("« OBSERVATOIRE RÉGIONAL », en capitales",
                                           "à partir de la ligne 4", "ligne d'action prévue")),
])
def test_a_plan_problem_has_a_kind_and_is_worded_in_the_listing_s_language(
        tmp_path, capsys, text, kind, said):
    """Two funders differing only in case ('Région' / 'REGION'), two such lines or axes, and a
    capitals row that may be a heading or a line: their problems had no reason, so a French
    listing printed the core's English sentence among French ones."""
    (problem,) = _refused(text).problems
    assert problem.reason[0] == kind
    french = _spaces(language("fr").problem(problem))
    for words in said:
        assert words in french
    assert "differ only" not in french and "reads as" not in french
    assert language("en").problem(problem) == problem.message   # the core's English
    listing = _spaces(_french_listing(tmp_path, capsys, text))
    assert said[0] in listing and problem.message not in listing


def test_the_python_api_keeps_english_for_those_problems():
    (problem,) = _refused(FUNDERS_TWICE).problems
    assert "'Région' (column 2) and 'REGION' (column 4) differ only in case" in problem.message


# ------------------------------------------------- an unreadable cell in a broken table

BROKEN_WITH_BAD_CELL = "en k€;Région;CDC;Total\nDLA;10;2x0;30\nObs;1;2;3;4\nTotal;10;20;30\n"


def test_an_unreadable_cell_listed_with_a_broken_table_is_worded_in_french(tmp_path, capsys):
    """The cell problems a PlanFormatError lists beside the structural ones said "DLA x CDC:
    '2x0' is not an amount: 'x' at character 2" inside a French listing."""
    error = _refused(BROKEN_WITH_BAD_CELL)
    cell = next(p for p in error.problems if not p.structural)
    assert cell.message == "DLA x CDC: '2x0' is not an amount: 'x' at character 2"
    assert cell.reason[0] == "plan-bad-amount"
    french = _spaces(language("fr").problem(cell))
    assert french == "DLA × CDC : « 2x0 » n'est pas un montant : « x » au caractère 2"
    listing = _spaces(_french_listing(tmp_path, capsys, BROKEN_WITH_BAD_CELL))
    assert "plan-2010.csv:2:8: DLA × CDC : « 2x0 » n'est pas un montant" in listing
    assert "is not an amount" not in listing


@pytest.mark.parametrize("cell,words", [
    ("12,,5", "aucun chiffre après la marque décimale"), ("-", "un tiret"), ("1 2618", "un groupe de"),
])
def test_each_fault_of_an_unreadable_cell_is_worded_in_french(cell, words):
    text = f"en k€;Région;CDC;Total\nDLA;10;{cell};30\nObs;1;2;3;4\nTotal;10;20;30\n"
    bad = next(p for p in _refused(text).problems if not p.structural)
    french = _spaces(language("fr").problem(bad))
    assert french.startswith(f"DLA × CDC : « {cell} »") and words in french


# ------------------------------------------------- "p.m." (pour mémoire): listed, no amount

@pytest.mark.parametrize("mark", ["p.m.", "pm", "P.M.", "PM", "p. m.", "pour mémoire",
                                  "Pour Mémoire", "pour memoire", "néant", "Néant", "NÉANT",
                                  "neant"])
def test_a_pour_memoire_cell_holds_no_amount_like_a_blank_and_shows_as_printed(mark):
    """'p.m.' (pour mémoire) or 'néant' in a cell is the French budget's "listed, no amount":
    it was reported as a malformed number, so a plan as a Région prints it failed validation."""
    cells = {"DLA": [D(10), mark, D("2.5")], "Observatoire": [mark, D(5), None]}
    funders = ["Région", "CDC", "CG"]
    rows = [[line] + [("" if v is None else v if isinstance(v, str) else
                       format(v, "f").replace(".", ",")) for v in values] +
            [format(sum(v for v in values if isinstance(v, Decimal)), "f").replace(".", ",")]
            for line, values in cells.items()]
    column_sums = [sum((v[j] for v in cells.values() if isinstance(v[j], Decimal)), D(0))
                   for j in range(3)]
    total_row = ["Total"] + [format(s, "f").replace(".", ",") for s in column_sums] + [
        format(sum(column_sums), "f").replace(".", ",")]
    text = "\n".join(";".join(r) for r in [["en k€"] + funders + ["Total"]] + rows +
                     [total_row]) + "\n"
    plan = _read(text)
    blank = _read(text.replace(mark, ""))
    assert plan.by_funder() == blank.by_funder() == dict(zip(funders, column_sums))
    assert plan.by_line() == blank.by_line()
    assert plan.total() == blank.total() == sum(column_sums)
    assert plan.cell("DLA", "CDC") is None and plan.cell("Observatoire", "Région") is None
    assert plan.text_at(0, 1) == mark and plan.text_at(1, 0) == mark   # shown as printed
    assert mark in str(plan)
    report = plan.validate()
    assert report.ok and not [f for f in report if f.code == "malformed-number"]


@pytest.mark.parametrize("cell", ["5 pm", "p.m. 5", "pmm", "n.c."])
def test_an_amount_beside_a_pour_memoire_mark_is_still_unreadable(cell):
    """Only the mark alone is "no amount": a figure with it is never dropped silently."""
    plan = _read(f"en k€;Région;CDC;Total\nDLA;10;{cell};15\nTotal;10;5;15\n")
    assert [f.code for f in plan.validate() if f.code == "malformed-number"] == [
        "malformed-number"]


# ------------------------------------------------- a sum past int64 cents: blame no cell unproved

INT64_MAX_CENTS = 2 ** 63 - 1
CENTS_PER_KEUR = 100_000


def test_the_overflow_error_names_the_largest_figure_as_the_likeliest_and_says_why():
    """A right large figure and a typo elsewhere overflow alike: the error called the largest
    figure "almost surely wrong" even when the typo was another cell.  Here the largest, 'DLA x
    CR', is a Région's real figure and 'Obs x CR' the typo; the error names the largest as the
    likeliest only, with the bound that makes it so, and says to look further."""
    big = INT64_MAX_CENTS // 2 // CENTS_PER_KEUR + 2      # in k€
    typo = INT64_MAX_CENTS // 2 // CENTS_PER_KEUR         # one digit too many, say
    rows = [("Têtes", 197, 10), ("DLA", big, 62), ("Obs", typo, None)]
    text = "en k€;CR;CDC\n" + "".join(
        f"{line};{cr};{'' if cdc is None else cdc}\n" for line, cr, cdc in rows)
    plan = _read(text)
    with pytest.raises(essconv.MoneyOverflowError) as info:
        plan.total()
    message = str(info.value)
    figures = sum(1 for _, cr, cdc in rows for v in (cr, cdc) if v is not None)
    bound = INT64_MAX_CENTS // figures // CENTS_PER_KEUR          # whole k€
    bound_text = f"{bound:,}"   # an English message groups with commas, as English does
    assert (info.value.line, info.value.column) == (3, len("DLA;") + 1)
    assert f"most likely its largest figure, '{big}' (DLA x CR), is wrong" in message
    assert f"an overflowing sum of these {figures} figures holds one of {bound_text} k€ or more"\
        in message
    assert message.endswith("then the next largest")
    assert "surely" not in message


#: the limits grouped by hand, the English way and the French way (U+202F, a comma)
CEILING_EN = f"{INT64_MAX_CENTS // 100:,}.{INT64_MAX_CENTS % 100:02d}"
FLOOR_EN = f"-{(INT64_MAX_CENTS + 1) // 100:,}.{(INT64_MAX_CENTS + 1) % 100:02d}"


def _french_figure(english):
    return english.replace(",", "\u202f").replace(".", ",")


@pytest.mark.parametrize("sign", [1, -1])
@pytest.mark.parametrize("call", ["total", "validate", "by_funder"])
def test_a_plan_s_overflow_says_the_end_its_sum_left_by_in_each_language(sign, call):
    """validate() refused a plan whose sums fell under int64 cents' floor with no side (its
    French said the ceiling, "… € au plus", for a huge negative sum); the plan's total said the
    floor in MoneyOverflowError.below but its French still printed the ceiling; and the English
    message printed its figures the French way ("18 446 744 073 709 k€").  The side is the exact
    CR column's sign (Python's ints), said in both languages, each grouping its figures its
    own way."""
    big = INT64_MAX_CENTS // 2 // CENTS_PER_KEUR + 2000       # in k€: two of them overflow
    rows = [("Têtes", 197, 10), ("DLA", sign * big, 62), ("Obs", sign * big, None)]
    text = "en k€;CR;CDC\n" + "".join(
        f"{line};{cr};{'' if cdc is None else cdc}\n" for line, cr, cdc in rows)
    column = sum(cr for _, cr, _ in rows) * CENTS_PER_KEUR    # the CR column, exact
    assert not -INT64_MAX_CENTS - 1 <= column <= INT64_MAX_CENTS
    below = column < 0
    with pytest.raises(essconv.MoneyOverflowError) as info:
        getattr(_read(text), call)()
    error = info.value
    english, french = str(error), language("fr").refusal(error)
    assert error.below == below
    assert (f"(below {FLOOR_EN}\u00a0€)" if below else f"(beyond {CEILING_EN}\u00a0€)") in english
    figures = sum(1 for _, cr, cdc in rows for v in (cr, cdc) if v is not None)
    bound = INT64_MAX_CENTS // figures // CENTS_PER_KEUR
    assert f"holds one of {bound:,} k€ or more" in english
    assert "92 233" not in english and " 446 " not in english   # no French figure in English
    limit = _french_figure(FLOOR_EN if below else CEILING_EN)
    assert f"({limit}\u00a0€ {'au moins' if below else 'au plus'})" in french, french
    assert f"en contient un de {_french_figure(f'{bound:,}')}" in french, french


# ------------------------------------------------- a funder column printing its own unit

@pytest.mark.parametrize("header,names,unit,assumed", [
    (["en k€", "Région (k€)", "CDC (en k€)", "CG 59 en milliers d'euros", "Europe (FSE, k€)"],
     ["Région", "CDC", "CG 59", "Europe (FSE, k€)"], "k€", []),
    (["Action", "Région (€)", "CDC (€)", "CG 59 (€)", "Europe (€)"],
     ["Région", "CDC", "CG 59", "Europe"], "€", []),
    (["Action", "Région (M€)", "CDC (M€)", "CG 59 (M€)", "Europe"],
     ["Région", "CDC", "CG 59", "Europe"], "M€", ["Europe"]),
])
def test_a_funder_column_s_unit_is_not_part_of_the_funder_s_name(header, names, unit, assumed):
    """'CDC (M€)' was a funder named 'CDC (M€)': no convention's party, another funder than the
    'CDC' of next year's plan.  The unit is the plan's (a column in another one is refused);
    the name is the funder's.  A unit among other words ('FSE, k€') stays in the name.
    A funder's column printing no unit beside more columns printing one is read in theirs,
    and said so at its header cell: nothing printed over it says that unit."""
    values = [[D(10), D("2.5"), D(3), None], [D(1), None, D(4), D(6)]]
    rows = [f"L{k};" + ";".join("" if v is None else format(v, "f").replace(".", ",")
                                for v in line) for k, line in enumerate(values)]
    plan = _read(";".join(header) + "\n" + "\n".join(rows) + "\n")
    assert plan.funders == names and plan.unit == unit
    expected = {name: sum((line[j] for line in values if line[j] is not None), D(0))
                for j, name in enumerate(names)}
    assert plan.by_funder() == expected
    assert plan.total() == sum(expected.values())
    said = [p for p in plan.problems if p.reason and p.reason[0] == "plan-unit-assumed"]
    assert [p.reason[3] for p in said] == assumed
    for p in said:
        c = header.index(p.reason[3])
        assert (p.line, p.column) == (1, len(";".join(header[:c])) + 2)
        assert not p.structural and f"read in {unit}" in p.message
        assert f"lus en {unit}" in language("fr").problem(p)
    # validate() says it, a warning at the column's header cell
    warned = [(f.source_line, f.source_column) for f in plan.validate()
              if f.code == "plan-problem" and f.severity == "warning"]
    assert warned == [(p.line, p.column) for p in said]


@pytest.mark.parametrize("header,names", [
    (["Action", "CR-NPDC (K€ HT)", "CDC (k€ HT)", "CG-59 (k€ H.T.)"],
     ["CR-NPDC", "CDC", "CG-59"]),
    (["Action", "CR-NPDC en k€ TTC", "CDC (k€ TTC)", "CG-59 (k€ toutes taxes comprises)"],
     ["CR-NPDC", "CDC", "CG-59"]),
    (["en k€", "CR-NPDC (HT)", "CDC (hors taxes)", "CG-59"], ["CR-NPDC", "CDC", "CG-59"]),
    # a funder's name holding other words keeps them; "CHTS" prints no "HT"
    (["en k€", "Europe (hors FSE)", "CHTS", "CDC (k€ HT)"], ["Europe (hors FSE)", "CHTS", "CDC"]),
    # glued to the unit ("K€HT": read in euros, 1000 times off), after a comma, after the
    # unit's parentheses; "(FSE) HT" holds no unit: the name is kept whole
    (["Action", "CR-NPDC (K€HT)", "CDC (k€HT)", "CG-59 (k€, HT)"], ["CR-NPDC", "CDC", "CG-59"]),
    (["en k€", "CR-NPDC (k€) HT", "Europe (FSE) HT", "CG-59 (k€) H.T."],
     ["CR-NPDC", "Europe (FSE) HT", "CG-59"]),
])
def test_ht_or_ttc_beside_a_unit_is_the_unit_s_words_not_the_funder_s_name(header, names):
    """'CR (K€ HT)' was a funder named 'CR (K€ HT)': no party of the convention bore it, and
    validate(conv) said its column unknown.  HT / TTC beside a unit are the unit's words."""
    values = [[D(10), D("2.5"), None], [D(1), D(4), D(6)]]
    rows = [f"L{k};" + ";".join("" if v is None else format(v, "f").replace(".", ",")
                                for v in line) for k, line in enumerate(values)]
    plan = _read(";".join(header) + "\n" + "\n".join(rows) + "\n")
    assert plan.funders == names and plan.unit == "k€"
    expected = {name: sum((line[j] for line in values if line[j] is not None), D(0))
                for j, name in enumerate(names)}
    assert plan.by_funder() == expected
    unknown = [f.funder for f in plan.validate(essconv.default()) if f.code == "unknown-funder"]
    assert "CR-NPDC" not in unknown and "CDC" not in unknown and "CG-59" not in unknown
    # one basis in the whole header: nothing to say of it
    assert not [p for p in plan.problems if p.reason and p.reason[0] == "plan-tax-mix"]


@pytest.mark.parametrize("header,ht,ttc,at", [
    (["Action", "CR (K€ HT)", "CDC (k€ TTC)"], "CR (K€ HT)", "CDC (k€ TTC)", 2),
    (["en k€ TTC", "CR", "CDC (HT)", "Europe (HT)"], "CDC (HT)", "en k€ TTC", 2),
    (["Action", "CR (k€ HT)", "CDC (k€ HT)", "Total (k€ T.T.C.)"], "CR (k€ HT)",
     "Total (k€ T.T.C.)", 3),
])
def test_amounts_ht_beside_amounts_ttc_are_said_naming_both_columns(header, ht, ttc, at):
    """'CR (K€ HT)' beside 'CDC (k€ TTC)': every total added amounts before and after tax as
    one basis, without a word.  They are still read as printed, and said at the first cell
    printing the other basis -- a warning of validate(), in French and English."""
    plan = _read(";".join(header) + "\nDLA;10;20" + (";30" if len(header) == 4 else "")
                 + "\nCAE;1,5;2" + (";3,5" if len(header) == 4 else "") + "\n")
    funders = plan.funders
    assert plan.by_funder() == {funders[0]: D("11.5"), funders[1]: D(22)} | (
        {funders[2]: D("33.5")} if len(funders) == 3 else {})
    (said,) = [p for p in plan.problems if p.reason and p.reason[0] == "plan-tax-mix"]
    assert said.reason[3:5] == (ht, ttc) and not said.structural
    assert (said.line, said.column) == (1, len(";".join(header[:at])) + 2)
    assert f"'{ht}', HT" in said.message and f"'{ttc}', TTC" in said.message
    french = _spaces(language("fr").problem(said))
    assert f"hors taxes (« {ht} », HT) et toutes taxes comprises (« {ttc} », TTC)" in french
    warned = [f for f in plan.validate() if f.code == "plan-problem"
              and (f.source_line, f.source_column) == (said.line, said.column)]
    assert [f.severity for f in warned] == ["warning"]


@pytest.mark.parametrize("title,header,ht,ttc,at", [
    ("PLAN 2009 (en k€ HT)", ["Action", "CR", "CDC (k€ TTC)"], "PLAN 2009 (en k€ HT)",
     "CDC (k€ TTC)", 2),
    ("Montants toutes taxes comprises", ["en k€", "CR (HT)", "CDC"], "CR (HT)",
     "Montants toutes taxes comprises", 1),
])
def test_a_title_s_tax_basis_against_a_column_s_is_said_naming_both_cells(title, header, ht,
                                                                          ttc, at):
    """'PLAN 2009 (en k€ HT)' above 'CDC (k€ TTC)' was read without a word: every total added
    amounts before and after tax as one basis.  Said at the column's header cell, the title's
    cell named by its line and column, in French and English; the amounts read as printed."""
    plan = _read(f"{title}\n" + ";".join(header) + "\nDLA;10;20\nCAE;1,5;2\n")
    assert plan.by_funder() == {plan.funders[0]: D("11.5"), plan.funders[1]: D(22)}
    (said,) = [p for p in plan.problems if p.reason and p.reason[0] == "plan-tax-mix"]
    assert not said.structural and said.reason[1:5] == (1, 1, ht, ttc)
    assert (said.line, said.column) == (2, len(";".join(header[:at])) + 2)
    assert "title (line 1, column 1)" in said.message
    assert f"'{ht}', HT" in said.message and f"'{ttc}', TTC" in said.message
    french = _spaces(language("fr").problem(said))
    assert french.startswith("le titre (ligne 1, colonne 1) et l'en-tête")
    assert f"hors taxes (« {ht} », HT) et toutes taxes comprises (« {ttc} », TTC)" in french
    warned = [f for f in plan.validate() if f.code == "plan-problem"
              and (f.source_line, f.source_column) == (said.line, said.column)]
    assert [f.severity for f in warned] == ["warning"]


@pytest.mark.parametrize("title", ["PLAN 2009 (en k€ HT)", "PLAN 2009 (en k€)"])
def test_a_title_on_the_header_s_basis_says_nothing(title):
    plan = _read(f"{title}\nAction;CR (HT);CDC (k€ HT)\nDLA;10;20\n")
    assert plan.cell("DLA", "CDC") == D(20)
    assert not [p for p in plan.problems if p.reason and p.reason[0] == "plan-tax-mix"]


@pytest.mark.parametrize("header", [
    "Action;Région (M€);CDC (M€);Europe;Total (M€)",     # the Total column's unit: the table's
    "M€;Région (M€);CDC (M€);Europe",                     # printed once in the first cell
    "Action;Région (M€);CDC (M€);Europe (M€)",            # printed over every column
])
def test_a_unit_the_whole_table_prints_assumes_nothing(header):
    plan = _read(header + "\nDLA;1;2;3" + (";6" if header.endswith("Total (M€)") else "")
                 + "\n")
    assert plan.unit == "M€" and plan.cell("DLA", "Europe") == D(3)
    assert not [p for p in plan.problems if p.reason and p.reason[0] == "plan-unit-assumed"]


def test_a_unit_assumed_for_several_bare_columns_names_each():
    header = ["Action", "Région (M€)", "CDC (M€)", "CG 59 (M€)", "Europe", "État"]
    plan = _read(";".join(header) + "\nDLA;1;2;3;4;5\n")
    said = [p for p in plan.problems if p.reason and p.reason[0] == "plan-unit-assumed"]
    assert [(p.column, p.reason[3]) for p in said] == [
        (len(";".join(header[:c])) + 2, header[c]) for c in (4, 5)]
    assert plan.cell("DLA", "État") == D(5) and plan.unit == "M€"


# ------------------------------------------------- a cell printing its own unit

@pytest.mark.parametrize("plan_unit,corner,cell,cell_unit", [
    ("k€", "en k€", "10 €", "€"),
    ("k€", "en k€", "1 500,50 €", "€"),
    ("€", "en €", "1,5 k€", "k€"),
    ("k€", "en k€", "2 M€", "M€"),
])
def test_a_cell_printing_another_unit_than_the_plan_s_is_read_exactly_and_said(
        plan_unit, corner, cell, cell_unit):
    """'10 €' in a plan in k€ is 0,01 k€ -- exact, but most often a figure typed in the wrong
    unit: said at the cell, with the unit it prints and the figure read."""
    cents = {"€": 100, "k€": 100_000, "M€": 100_000_000}
    figure = D(cell.rsplit(" ", 1)[0].replace(" ", "").replace(",", "."))
    read = figure * cents[cell_unit] / cents[plan_unit]
    plan = _read(f"{corner};CR;CDC\nDLA;{cell};2\nCRESS;1;\n")
    assert plan.unit == plan_unit and plan.cell("DLA", "CR") == read
    (problem,) = plan.problems
    assert problem.reason[0] == "plan-cell-unit" and not problem.structural
    assert (problem.line, problem.column) == (2, len("DLA;") + 1)
    assert f"'{cell}' prints its own unit, {cell_unit}, where the plan's is {plan_unit}" \
        in problem.message
    french = _spaces(language("fr").problem(problem))
    assert f"DLA × CR : « {cell} » imprime sa propre unité, {cell_unit}" in french
    assert f"lu {language('fr').amount(read, plan_unit)}".replace("\u202f", " ") \
        .replace("\u00a0", " ") in french
    warned = [f for f in plan.validate() if f.code == "plan-problem"]
    assert [(f.severity, f.source_line, f.source_column) for f in warned] == \
        [("warning", 2, len("DLA;") + 1)]


@pytest.mark.parametrize("cell", ["10 k€", "10 K€", "10"])
def test_a_cell_printing_the_plan_s_own_unit_says_nothing(cell):
    plan = _read(f"en k€;CR;CDC\nDLA;{cell};2\n")
    assert plan.cell("DLA", "CR") == D(10) and plan.problems == []


def test_a_funder_printed_with_and_without_its_unit_is_one_funder_typed_twice():
    error = _refused("en k€;Région;CDC;Région (k€);Total\nDLA;1;2;3;6\n")
    (problem,) = error.problems
    assert problem.reason[0] == "plan-funder-similar" and problem.reason[1:3] == (2, 4)


def test_a_funder_column_in_another_unit_than_the_plan_s_is_refused_with_its_place():
    error = _refused("en k€;Région;CDC (M€);Total\nDLA;10;1;1010\n")
    assert (error.line, error.column) == (1, len("en k€;Région;") + 1)
    assert "'CDC (M€)' (M€)" in str(error)


@pytest.mark.parametrize("cell", ["€", "k€"])
def test_a_cell_of_a_unit_alone_is_said_a_unit_with_no_amount_by_the_findings_too(cell):
    """The reader said "'€' is a unit with no amount", as parse_amount and the ledger's reader
    do; the validation's finding re-read the cell as blank and said "'€' is not a number ()",
    its reason empty, in English as in French."""
    plan = _read(f"en €;CDC;ETAT;Total\nA;{cell};5;5\nB;2;3;5\nTotal;2;8;10\n")
    assert (plan.lines, plan.funders) == (["A", "B"], ["CDC", "ETAT"])   # read as before
    said = cell.strip()
    assert [p.message for p in plan.problems if not p.structural] == \
        [f"A x CDC: '{said}' is a unit with no amount"]
    f = next(f for f in plan.validate() if f.code == "malformed-number")
    assert f"'{said}' is not a number ('{said}' is a unit with no amount)" in str(f), str(f)
    en, fr = language("en").finding(f, plan), _spaces(language("fr").finding(f, plan))
    assert "is a unit with no amount" in en and "()" not in en, en
    assert f"« {said} » est une unité sans montant" in fr and "()" not in fr, fr
