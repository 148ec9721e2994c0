"""A plan's refusals and problems that had no reason kind -- a note's mark in a cell, a note row
under the last line, the "Total des ..." rows, a heading over headings, an axis row's sub-total
that differs from its lines, the header's units -- worded in French inside a French listing
(the CLI's validate), the core's English kept for the Python API; and an unreadable axis-row
sub-total, listed as one bad cell of a plan that still loads."""
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


def _spaces(text: str) -> str:
    """French typography's narrow and no-break spaces as plain ones, to compare words."""
    return text.replace("\u00a0", " ").replace("\u202f", " ")


def _listing(tmp_path, capsys, text: str, lang: str, *extra: str) -> str:
    path = tmp_path / "plan-2010.csv"
    path.write_text(text, encoding="utf-8")
    assert main(["validate", str(path), "--lang", lang, *extra]) == 2
    captured = capsys.readouterr()
    return _spaces(captured.out + captured.err)


RAGGED = "Obs;1;2;3;4\n"   # a structural problem, so that the listing shows the others
NESTED = ("en k€;CR;CG;CDC\nI. STRUCTURER;31;7;3\nA) Former;10;3;3\nL1;4;1;\nL2;6;2;3\n"
          "B) Accompagner;20;4;\nL3;20;4;\nII. DÉVELOPPER;1;;2,5\nC) Créer;1;;2,5\nL4;1;;2,5\n")

CASES = [
    ("plan-note-mark-cell", "en k€;CR;CDC;Total\nDLA;(1);2;3\n" + RAGGED + "(1) à confirmer\n", (),
     ("DLA × CR : « (1) » est la marque de la note de la ligne 4, pas un montant",)),
    ("plan-note-mark-cell", "en k€;CR;CDC;Total\nDLA;197 (1);2;3\n" + RAGGED + "(1) à confirmer\n",
     (), ("DLA × CR : « 197 (1) » se termine par la marque de la note de la ligne 4",)),
    ("plan-note-row", "en k€;CR;CDC;Total\nDLA;1;2;3\n" + RAGGED + "(1) à confirmer\n", (),
     ("« (1) à confirmer » sous la dernière ligne se lit comme une note",
      "aucune cellule ne porte sa marque « (1) »")),
    ("plan-partial-total-counted",
     "en k€;CR;CG;CDC\nL1;4;1;\nL2;6;2;0,5\nTotal des formations;10;3;0,5\nL3;1;1;\n"
     "Total;21;7;1\n", (),
     ("« Total des formations » imprime les sommes des lignes au-dessus de lui, et la ligne "
      "Total (ligne 6) le compte comme une ligne",)),
    ("plan-partial-total-last",
     "en k€;CR;CG;CDC\nL1;1;2;\nL2;3;4;\nTotal des financements;4;6;\nL3;5;;\n", (),
     ("« Total des financements » imprime les sommes des lignes au-dessus de lui et des lignes "
      "le suivent, sans ligne Total sous elles",)),
    ("plan-total-misplaced",
     "en k€;CR;CG;CDC\nL1;1;2;\nL2;3;4;\nTotal des financements;12;6;\nL3;5;;\n", (),
     ("des lignes suivent cette ligne lue comme la ligne Total",
      "si « Total des financements » est une ligne d'action")),
    ("plan-outer-heading", NESTED, (),
     ("« I. STRUCTURER » a des montants, et sous lui un intitulé imprime des sous-totaux",)),
    ("plan-subtotal-mismatch", "Action;A;B\nAxe 1 : Structurer;16;35\nL1;10;20\nL2;5;15\n", (),
     ("la ligne d'axe « Axe 1 : Structurer » imprime « 16 » sous « A », alors que ses lignes "
      "(lignes 3 à 4) donnent 15",)),
    ("plan-subtotal-mismatch",
     "en k€;A;B\nAxe 1 : Structurer;12;20\nL1;10;20\nAxe 2 : Autre;1;1\nL3;1;1\n", (),
     ("alors que sa ligne (ligne 3) donne 10",)),
    ("plan-unit-two", "en K€;Région;CDC (M€);Total\nDLA;10;1;1010\n", (),
     ("l'en-tête imprime deux unités, « en K€ » (k€) et « CDC (M€) » (M€)",)),
    ("plan-unit-two", "Plan 2010 (en k€)\nLigne;CR;CDC;Total\n;€;€;€\nDLA;1;2;3\n", (),
     ("l'en-tête imprime deux unités, « Plan 2010 (en k€) » (k€) et « € » (€)",)),
    ("plan-unit-title",
     "PLAN DE FINANCEMENT 2009 (en k€)\nAction;CR;CG-59 (€);CDC\nL1;10;5000;2\n", (),
     ("le titre au-dessus du tableau dit k€ et l'en-tête dit € au-dessus de « CG-59 (€) » "
      "seulement", "(« CR »…)")),
    ("plan-unit-given", "en k€;CR;CDC;Total\nDLA;1;2;3\n", ("€",),
     ("l'unité donnée, €, contredit l'en-tête du tableau, qui dit « en k€ » (k€)",)),
    ("plan-unit-one-column", "Action;CR;CG;CDC (M€);Total\nDLA;100;50;1,2;1350\n", (),
     ("l'en-tête imprime M€ au-dessus de « CDC (M€) » mais aucune unité au-dessus de « CR » "
      "(2 des colonnes des financeurs n'en impriment aucune)",)),
    ("plan-unit-assumed", "Action;CR (M€);CG (M€);CDC\nDLA;1;2;3\n" + RAGGED, (),
     ("« CDC » n'imprime aucune unité, alors que 2 des colonnes des financeurs impriment M€ "
      "(« CR (M€) »…) : ses montants sont lus en M€",)),
    ("plan-unit-currency", "Plan 2010 — montants en USD\nAction;CR;CDC;Total\nDLA;1;2;3\n", (),
     ("« Plan 2010 — montants en USD » dit que les montants du plan sont dans une autre "
      "monnaie que l'euro (« USD ») : ils seraient lus en euros, sans un mot ; convertissez-les "
      "en euros, ou corrigez le titre",)),
    ("plan-unit-currency", "Action;CR;CDC (USD);Total\nDLA;1;2;3\n", (),
     ("« CDC (USD) » dit que les montants du plan sont dans une autre monnaie que l'euro "
      "(« USD »)", "ou corrigez l'en-tête si")),
    ("plan-unit-unread", "Plan 2010 (en centaines d'euros)\nAction;CR;CDC;Total\nDLA;1;2;3\n",
     (), ("« Plan 2010 (en centaines d'euros) » dit l'unité des montants du plan avec un "
          "multiple qu'essconv ne lit pas (« centaines ») : ils seraient lus en euros, ou dans "
          "l'unité à côté, sans un mot ; imprimez l'unité « k€ », « M€ » ou « € » dans le "
          "titre",)),
    ("plan-tax-mix", "Action;CR (k€ HT);CDC (k€ TTC);CG\nDLA;1;2;3\n" + RAGGED, (),
     ("l'en-tête imprime des montants hors taxes (« CR (k€ HT) », HT) et toutes taxes "
      "comprises (« CDC (k€ TTC) », TTC)",)),
    ("plan-header-repeated", "en k€;CR;CDC;Total\nDLA;1;2;3\nen k€;CR;CDC;Total\n" + RAGGED,
     (), ("l'en-tête (ligne 1) est imprimé de nouveau à la ligne 3 (un saut de page ?)",
          "ce n'est pas une ligne du plan")),
    ("plan-header-units-repeated",
     "ligne;CR;CDC;Total\nen k€;k€;k€;k€\nDLA;1;2;3\nligne;CR;CDC;Total\n;k€;k€;k€\n" + RAGGED,
     (), ("l'en-tête et sa ligne d'unités sont imprimés de nouveau aux lignes 4 et 5 (un saut "
          "de page ?)", "ce ne sont pas des lignes du plan")),
    ("plan-unit-again",
     "ligne;CR;CDC;Total\nen euros;€;€;€\nDLA;1;2;3\nligne;CR;CDC;Total\n;k€;k€;k€\n", (),
     ("la ligne d'unités sous l'en-tête imprimé de nouveau dit « k€ », alors que les montants "
      "du plan sont lus en € (« en euros », ligne 2)",)),
    ("plan-unit-again",
     "ligne;CR;CDC;Total\nDLA;1;2;3\nligne;CR;CDC;Total\n;k€;k€;k€\n", (),
     ("dit « k€ », alors que les montants du plan sont lus en € (aucune unité imprimée "
      "au-dessus) : les montants sous elle",)),
    # where the plan's unit came from, named in French as the English names it: the unit
    # given, or the title's cell and its line (the French said neither, only the unit)
    ("plan-unit-again",
     "ligne;CR;CDC;Total\nDLA;1;2;3\nligne;CR;CDC;Total\n;M€;M€;M€\n", ("k€",),
     ("dit « M€ », alors que les montants du plan sont lus en k€ (l'unité donnée) : ",)),
    ("plan-unit-again",
     "Plan 2010 en k€\nligne;CR;CDC;Total\nDLA;1;2;3\nligne;CR;CDC;Total\n;M€;M€;M€\n", (),
     ("dit « M€ », alors que les montants du plan sont lus en k€ (le titre « Plan 2010 en k€ », "
      "ligne 1) : ",)),
    ("plan-cell-unit", "en k€;CR;CDC;Total\nDLA;10 €;2;2,01\n" + RAGGED, (),
     ("DLA × CR : « 10 € » imprime sa propre unité, €, alors que celle du plan est k€ : "
      "lu 0,01 k€",)),
]


def _refused(text: str, extra: tuple) -> essconv.PlanFormatError:
    kw = {"unit": extra[0]} if extra else {}
    with pytest.raises(essconv.PlanFormatError) as info:
        _read(text, **kw)
    return info.value


@pytest.mark.parametrize("kind,text,extra,said", CASES,
                         ids=[f"{c[0]}-{n}" for n, c in enumerate(CASES)])
def test_each_plan_refusal_has_a_kind_and_is_worded_in_the_listing_s_language(
        tmp_path, capsys, kind, text, extra, said):
    """These problems had no reason: a French listing printed the core's English sentence
    ("'(1)' is the mark of the note on line 4", "the header prints two units") among French
    ones, the head of a unit refusal too."""
    error = _refused(text, extra)
    problem = next(p for p in error.problems if p.reason and p.reason[0] == kind)
    assert language("en").problem(problem) == problem.message   # the core's English
    french = _spaces(language("fr").problem(problem))
    for words in said:
        assert words in french
    if extra:   # a unit given: the API's (the CLI takes the header's), refusal() its listing
        listing = _spaces(language("fr").refusal(error))
        assert language("en").refusal(error) == str(error)
    else:
        listing = _listing(tmp_path, capsys, text, "fr")
    for words in said:
        assert words in listing
    assert problem.message not in listing
    # one language a listing: no English sentence of the core left in the French one
    for english in ("the mark of the note", "reads as a note", "prints the sums", "Total row",
                    "has figures", "axis row", "the header prints", "the title above",
                    "the unit given", "this row has"):
        assert english not in listing
    if not extra:
        assert problem.message in _listing(tmp_path, capsys, text, "en")


def test_a_unit_given_against_the_header_is_refused_at_the_cell_printing_the_unit():
    """It was placed at 1:1 whichever cell printed the header's unit."""
    header = "Action;CR;CDC (k€);CG (k€)"
    error = _refused(header + "\nDLA;1;2;3\n", ("€",))
    assert (error.line, error.column) == (1, len("Action;CR;") + 1)
    (problem,) = error.problems
    assert problem.reason[0] == "plan-unit-given"
    assert (problem.line, problem.column) == (error.line, error.column)
    # a title row above: the header's own line, the cell's own column
    error = _refused("Plan 2010\n" + header + "\nDLA;1;2;3\n", ("M€",))
    assert (error.line, error.column) == (2, len("Action;CR;") + 1)
    # printed in the first cell: that cell
    error = _refused("en k€;CR;CDC\nDLA;1;2\n", ("€",))
    assert (error.line, error.column) == (1, 1)


def test_the_python_api_keeps_english_for_a_unit_refusal():
    error = _refused("en K€;Région;CDC (M€);Total\nDLA;10;1;1010\n", ())
    assert str(error).startswith(":1:14: the header prints two units, 'en K€' (k€) and "
                                 "'CDC (M€)' (M€)")
    assert error.reason[0] == "plan-unit-two" and len(error.problems) == 1


def test_a_units_line_printed_again_names_the_title_that_printed_the_plan_s_unit():
    """The plan's unit printed in a title: the English said "the title above the table", the
    French nothing; both now name the title's cell and its line, as a header's cell is."""
    error = _refused("Plan 2010 en k€\nligne;CR;CDC;Total\nDLA;1;2;3\nligne;CR;CDC;Total\n"
                     ";M€;M€;M€\n", ())
    assert (error.line, error.column) == (5, 2)
    assert "read in k€ (the title 'Plan 2010 en k€' on line 1)" in str(error)
    assert error.reason == ("plan-unit-again", 100_000, 1, "M€", "Plan 2010 en k€", 2)
    assert "(le titre « Plan 2010 en k€ », ligne 1)" in _spaces(language("fr").refusal(error))


# ------------------------------------------------- an unreadable printed sub-total

AXIS_BAD = "Action;A;B;Total\nAxe 1 : Structurer;1 5O;35;50\nL1;10;20;30\nL2;5;15;20\nTotal;15;35;50\n"


def test_an_unreadable_axis_sub_total_is_one_bad_cell_of_a_plan_that_loads():
    """'Axe 1 : Structurer;1 5O;35;50' above its lines, a Total row below: the whole plan was
    refused (PlanFormatError) for one unreadable figure, where a line's bad cell loads."""
    plan = _read(AXIS_BAD)
    # and the warning that the table prints no unit, read in euros, at its header
    (euros, problem) = plan.problems
    assert (euros.line, euros.reason[0]) == (1, "plan-unit-assumed-euros")
    assert (problem.line, problem.column, problem.structural) == (2, 20, False)
    assert problem.message == "Axe 1 : Structurer x A: '1 5O' is not an amount: 'O' at character 4"
    assert problem.reason[0] == "plan-bad-amount"
    assert _spaces(language("fr").problem(problem)) == (
        "Axe 1 : Structurer × A : « 1 5O » n'est pas un montant : « O » au caractère 4")
    assert plan.total() == D(50) and plan.by_funder() == {"A": D(15), "B": D(35)}
    # the bad figure checks nothing, and is said: a validation never says "ok" over it
    report = plan.validate()
    assert [(f.code, f.severity, f.source_line, f.source_column) for f in report] == [
        ("plan-problem", "error", 2, 20), ("plan-problem", "warning", 1, 1)]
    assert not report.ok


def test_validate_says_a_problem_of_a_plan_that_loads_in_the_listing_s_language(tmp_path, capsys):
    """An unreadable sub-total and a note row left alone were only in plan.problems: `essconv
    validate` said "ok (0 erreur...)" and exited 0 over a figure it could not read."""
    from essconv.cli import main
    bad = tmp_path / "a.csv"
    bad.write_text(AXIS_BAD, encoding="utf-8")
    assert main(["validate", str(bad), "--lang", "fr"]) == 1
    out = _spaces(capsys.readouterr().out)
    assert (f"{bad}:2:20: erreur[plan-problem]: Axe 1 : Structurer × A : « 1 5O » n'est pas un "
            "montant") in out and "ÉCHEC (1 erreur" in out
    note = tmp_path / "n.csv"
    note.write_text("en k€;CR;CDC;Total\nDLA;1;2;3\nObs;1;2;3\n(1) à confirmer\nTotal;2;4;6\n",
                    encoding="utf-8")
    assert main(["validate", str(note), "--lang", "en"]) == 0   # a warning, not an error
    out = capsys.readouterr().out
    assert f"{note}:4:1: warning[plan-problem]: " in out and "ok (0 errors, 1 warning" in out


def test_the_other_sub_totals_of_an_axis_row_with_an_unreadable_one_are_still_checked():
    plan = _read(AXIS_BAD.replace(";35;50\nL1", ";35;51\nL1"))
    (finding,) = [f for f in plan.validate() if f.code == "subtotal"]
    assert finding.funder == "Total" and finding.actual == D(51) and finding.expected == D(50)
    assert (finding.source_line, finding.source_column) == (2, 28)


# ------------------------------------------------- the core's English, whole

@pytest.mark.parametrize("kind,ending", [
    ("plan-partial-total-counted", "rename it so it does not start with 'Total'"),
    ("plan-partial-total-last", "print the plan's Total row under the last line (or remove "
                                "this row)"),
    ("plan-outer-heading", "if it is an action line, move it under the last line of its axis"),
])
def test_a_long_plan_problem_is_not_cut_in_the_middle_of_its_sentence(kind, ending):
    """Problems naming both readings of a row and what to do for each were cut at 320 bytes:
    "...if it is an action " and nothing after, in the Python API and the English listing."""
    text, extra = next((c[1], c[2]) for c in CASES if c[0] == kind)
    problem = next(p for p in _refused(text, extra).problems if p.reason[0] == kind)
    assert problem.message.endswith(ending)


@pytest.mark.parametrize("unit_header, lines, printed", [
    ("Action", [D("1000"), D("500.25")], "1 600,50"),
    ("en k€", [D("12345.5"), D("10")], "12 000"),
])
def test_an_axis_row_s_sub_total_says_its_lines_sum_the_english_way_in_english(
        tmp_path, capsys, unit_header, lines, printed):
    """The English message wrote the lines' sum the French way ("add up to 1 500,25"), which an
    English reader takes for two numbers; the French wording keeps « donnent 1 500,25 »."""
    french_cells = [str(v).replace(".", ",") for v in lines]
    text = (f"{unit_header};A;B\nAxe 1 : Structurer;{printed};35\n"
            f"L1;{french_cells[0]};20\nL2;{french_cells[1]};15\n")
    error = _refused(text, ())
    problem = next(p for p in error.problems if p.reason[0] == "plan-subtotal-mismatch")
    english = f"{sum(lines):,}"   # 1,500.25 and 12,355.5: the plan's figures' decimals
    assert f"add up to {english}:" in problem.message
    assert f"add up to {english}:" in _listing(tmp_path, capsys, text, "en")
    french = english.replace(",", " ").replace(".", ",")
    assert f"donnent {french} :" in _spaces(language("fr").problem(problem))


@pytest.mark.parametrize("text, place, currency", [
    ("Plan 2010 — montants en USD\nAction;CR;CDC;Total\nDLA;1;2;3\n", (1, 1), "USD"),
    ("Action;CR;CDC (USD);Total\nDLA;1;2;3\n", (1, len("Action;CR;") + 1), "USD"),
    ("Plan 2010\nAction;CR (en $);CDC;Total\nDLA;1;2;3\n", (2, len("Action;") + 1), "$"),
    ("Montants en francs suisses\nAction;CR;CDC\nDLA;1;2\n", (1, 1), "francs suisses")])
def test_a_plan_title_or_header_naming_another_currency_is_refused_at_its_cell(
        text, place, currency):
    """'Plan 2010 — montants en USD' above the table, or 'CDC (USD)' over a column, was read as
    euros without a word."""
    error = _refused(text, ())
    assert (error.line, error.column) == place
    (problem,) = [p for p in error.problems if p.reason and p.reason[0] == "plan-unit-currency"]
    assert f"another currency than the euro ('{currency}')" in problem.message


@pytest.mark.parametrize("header", ["Action;CAF;CDC;Total", "Action;Pôle USD;CDC;Total",
                                    "Action;CR (en k€);CDC (en k€);Total"])
def test_a_plan_naming_no_currency_as_its_unit_reads_as_before(header):
    plan = _read(header + "\nDLA;1;2;3\n")
    assert plan.total() in (D(3), D(3000))
