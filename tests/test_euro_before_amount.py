"""The euro written before an amount ("€ 45 000,00", "EUR 45 000,00") as after it, in the
amount parser, a ledger CSV and a plan table; two units, a sign inside the digits and "$" are
still refused, at their file, line and column."""
from __future__ import annotations

import io
from decimal import Decimal

import pytest

import essconv
from essconv import Ledger
from essconv.messages import language
from essconv.money import parse_amount

NBSP, NNBSP = "\u00a0", "\u202f"

# the body of an amount (its groups written with a plain space: each gap below replaces them)
# and what it is worth, written out by hand
BODIES = [
    ("45 000,00", Decimal("45000")),
    ("1 234 567,89", Decimal("1234567.89")),
    ("12,5", Decimal("12.5")),
    ("0,01", Decimal("0.01")),
    ("-7 500", Decimal("-7500")),
    ("(1 228,50)", Decimal("-1228.5")),
]
GAPS = [" ", NBSP, NNBSP]
SIGNS = ["€", "EUR", "eur", "Eur"]


@pytest.mark.parametrize("sign", SIGNS)
@pytest.mark.parametrize("gap", GAPS + [""])
@pytest.mark.parametrize("body, worth", BODIES)
def test_the_euro_before_the_amount_reads_as_after_it(body, worth, gap, sign):
    group = gap or " "
    digits = body.replace(" ", group)
    before = f"{sign}{gap}{digits}"
    after = f"{digits}{gap or ' '}{sign}"
    assert parse_amount(before) == worth
    assert parse_amount(after) == worth   # the twin: the unit after, read as before this change
    assert essconv.money.to_cents(before) == int(worth * 100)


@pytest.mark.parametrize("text, column, words", [
    ("€ 45 000,00 €", 1, "a unit written both before and after the number"),
    ("EUR 45 €", 1, "a unit written both before and after the number"),
    ("€ 45 k€", 1, "a unit written both before and after the number"),
    ("€\u00a045\u00a0EUR", 1, "a unit written both before and after the number"),
    ("€€ 45", 2, "a digit is expected"),
    ("4€5", 2, "U+20AC at character 2"),
    ("45 0€00", 5, "U+20AC"),
    ("$ 45", 1, "names another currency than the euro ('$'"),   # at the currency
    ("45 $", 4, "names another currency than the euro ('$'"),
    ("k€ 45", 1, "a digit is expected"),   # thousands are never written before the figure
    ("EURO 45", 1, "a digit is expected"),
    ("euros45", 1, "a digit is expected"),
    ("€", 0, "a unit with no amount"),
])
def test_two_units_a_sign_inside_the_digits_and_dollars_are_refused(text, column, words):
    with pytest.raises(essconv.AmountError) as info:
        parse_amount(text)
    assert words in str(info.value)
    if column:
        assert info.value.column == column


def _rows(amounts):
    return "beneficiaire;montant\n" + "".join(f"b{k};{a}\n" for k, a in enumerate(amounts))


def test_a_ledger_reads_the_euro_before_its_amounts(tmp_path):
    texts, expected = [], Decimal(0)
    for sign in SIGNS:
        for gap in GAPS:
            for body, worth in BODIES:
                digits = body.replace(" ", gap)
                texts += [f"{sign}{gap}{digits}", f"{digits}{gap}{sign}"]
                expected += 2 * worth
    path = tmp_path / "subventions.csv"
    path.write_text(_rows(texts), encoding="utf-8")
    ledger = Ledger.read_csv(path, amount="montant")
    assert len(ledger) == len(texts)
    assert ledger.total() == expected
    assert [r["montant"] for r in ledger.to_arrow().to_pylist()] == [
        w for _ in SIGNS for _ in GAPS for _, w in BODIES for w in (w, w)]


@pytest.mark.parametrize("cell, column_words", [
    ("€ 45 000,00 €", ("a unit written both before and after the number",
                       "une unité écrite avant et après le nombre")),
    ("EUR 12 €", ("a unit written both before and after the number",
                  "une unité écrite avant et après le nombre")),
])
def test_a_ledger_refuses_two_units_at_its_file_line_and_column(tmp_path, cell, column_words):
    path = tmp_path / "subventions.csv"
    path.write_text(_rows(["€ 1,00", "2,00 €", cell]), encoding="utf-8")
    with pytest.raises(essconv.AmountError) as info:
        Ledger.read_csv(path, amount="montant")
    err = info.value
    assert (err.path, err.line, err.column) == (str(path), 4, 4)
    assert column_words[0] in str(err)
    # set aside, the two readable rows stand
    kept = Ledger.read_csv(path, amount="montant", bad_rows="collect")
    assert kept.total() == Decimal("3") and [(p.line, p.column) for p in kept.bad_rows] == [(4, 4)]
    # the command line's French refusal words it in French
    from essconv.cli import main
    import contextlib
    err_text = io.StringIO()
    with contextlib.redirect_stderr(err_text):
        code = main(["aggregate", str(path), "--amount", "montant", "--by", "beneficiaire"])
    assert code == 2
    said = err_text.getvalue()
    assert f"{path}:4:4" in said and column_words[1] in said and column_words[0] not in said


def test_a_plan_reads_the_euro_before_its_cells_and_refuses_two_units_at_the_cell(tmp_path):
    path = tmp_path / "plan.csv"
    path.write_text("Action;CDC;Région\n"
                    f"DLA;€ 45 000,00;EUR{NBSP}1 000\n"
                    f"Obs;12 000,00 €;€{NNBSP}500\n"
                    "Total;57 000,00 €;1 500 €\n", encoding="utf-8")
    plan = essconv.read_plan(path)
    assert plan.unit == "€"
    assert (plan.cell("DLA", "CDC"), plan.cell("DLA", "Région"), plan.cell("Obs", "CDC"),
            plan.cell("Obs", "Région")) == (Decimal("45000"), Decimal("1000"),
                                            Decimal("12000"), Decimal("500"))
    assert plan.validate().ok

    path.write_text("Action;CDC;Région\nDLA;€ 45 000 €;1 000\n", encoding="utf-8")
    plan = essconv.read_plan(path)
    faults = [f for f in plan.validate() if f.code == "malformed-number"]
    assert [(f.source_line, f.source_column) for f in faults] == [(2, 5)]
    assert "a unit written both before and after the number" in str(faults[0])
    assert "une unité écrite avant et après le nombre" in language("fr").finding(faults[0], plan)


def test_a_plan_in_keur_says_a_cell_written_in_euros_before_its_figure(tmp_path):
    path = tmp_path / "plan.csv"
    path.write_text("Action;CDC (k€);Région (k€)\nDLA;€ 45 000;1\n", encoding="utf-8")
    plan = essconv.read_plan(path)
    assert plan.unit == "k€" and plan.cell("DLA", "CDC") == Decimal("45")
    said = [f for f in plan.validate() if f.code == "plan-problem" and "DLA" in str(f)]
    assert said and "prints its own unit, €" in str(said[0])


# the strings both readers see: the core's money parser and the SCDL reader's quick test of
# whether a cell of an over-long row can be its montant (essconv.scdl._fits), which must agree
TWIN_STRINGS = (
    [f"{sign}{gap}{body.replace(' ', gap or ' ')}" for sign in SIGNS for gap in GAPS + [""]
     for body, _ in BODIES if "(" not in body]
    + [f"{body.replace(' ', gap)}{gap}{sign}" for sign in SIGNS for gap in GAPS
       for body, _ in BODIES if "(" not in body]
    + ["€ 45 000,00 €", "EUR 45 €", "€ 45 EUR", "€€ 45", "4€5", "45 0€00", "$ 45", "45 $",
       "k€ 45", "EURO 45", "euros45", "€", "EUR", "45 000,00", "12"])


def _parses(text):
    try:
        return parse_amount(text) is not None
    except essconv.AmountError:
        return False


@pytest.mark.parametrize("text", TWIN_STRINGS)
def test_the_scdl_reader_s_amount_test_agrees_with_the_money_parser(text):
    from essconv.scdl import _fits
    assert _fits("montant", text) == _parses(text)


def test_an_scdl_row_with_the_euro_before_its_montant_is_put_back_not_set_aside(tmp_path):
    head = ("nomAttribuant;idAttribuant;dateConvention;nomBeneficiaire;objet;montant;nature;"
            "conditionsVersement;datesPeriodeVersement;notificationUE\n")
    # an unquoted ';' inside objet: the row has a cell too many, put back by finding its montant
    rows = ("Région;23590001200010;2019-03-01;Asso A;Jardins; potagers;€ 45 000,00;"
            "aide en numéraire;unique;2019-03-01;non\n"
            "Région;23590001200010;2019-03-02;Asso B;Ateliers;12 000,00 €;aide en numéraire;"
            "unique;2019-03-02;non\n")
    path = tmp_path / "subventions.csv"
    path.write_text(head + rows, encoding="utf-8")
    with pytest.warns(essconv.RepairedRowsWarning):
        ledger = essconv.read_scdl(path)
    assert (len(ledger), ledger.total(), ledger.bad_rows) == (2, Decimal("57000"), [])
    assert sorted(ledger.values("objet")) == ["Ateliers", "Jardins; potagers"]
