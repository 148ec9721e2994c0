"""Questions an analyst asks of a grant ledger that got a number back, silently not the one
asked for: each is now answered right or refused with what is ambiguous in it.
"""
from __future__ import annotations

import datetime as dt
import unicodedata
import warnings
from decimal import Decimal

import pytest

import essconv


def years_ledger(years):
    return essconv.Ledger.from_columns(
        {"annee": years, "montant": [Decimal(1), Decimal(2), Decimal(4), Decimal(8)]},
        amount="montant")


# --- a pair is a range on an int column, and read on a label column (years read as text, as a
# CSV's usually are) as the two labels alone: annee=(2010, 2013) summed 2010 and 2013 and left
# 2011 and 2012 out, where the same words on an int column summed the four years
@pytest.mark.parametrize("pair", [(2010, 2013), ("2010", "2013"), (2011, None), (None, 2011),
                                  ("CDC", None)])
def test_a_pair_on_a_label_column_is_refused_as_ambiguous(pair):
    as_text = years_ledger(["2010", "2011", "2012", "2013"])
    with pytest.raises(essconv.ConditionError, match=r"range.*labels|labels.*range"):
        as_text.filter(annee=pair)


def test_a_pair_on_an_int_column_is_still_its_range_and_labels_say_it_otherwise():
    assert years_ledger([2010, 2011, 2012, 2013]).filter(annee=(2010, 2013)).total() == 15
    as_text = years_ledger(["2010", "2011", "2012", "2013"])
    assert as_text.filter(annee=range(2010, 2014)).total() == 15
    assert as_text.filter(annee={2010, 2013}).total() == 9
    names = years_ledger(["CDC", "CR", "Etat", "CR"])
    assert names.filter(annee=("CDC", "CR")).total() == 11   # two names: no range of names


# --- a range written backwards, (2013, 2010) or (31/12, 1/1), selected no row and summed to
# 0,00 without a word, read as "nothing that year"
@pytest.mark.parametrize("column, pair", [
    ("annee", (2013, 2010)),
    ("d", (dt.date(2017, 12, 31), dt.date(2017, 1, 1))),
    ("montant", (Decimal(5), Decimal(1))),
])
def test_a_range_that_ends_before_it_starts_is_refused(column, pair):
    led = essconv.Ledger.from_columns(
        {"annee": [2010, 2013], "d": [dt.date(2017, 3, 1), dt.date(2017, 6, 1)],
         "montant": [Decimal(2), Decimal(3)]}, amount="montant")
    with pytest.raises(essconv.ConditionError, match="before"):
        led.filter(**{column: pair})
    lo, hi = pair
    assert led.filter(**{column: (hi, lo)}).total() == 5
    assert led.filter(**{column: (lo, lo)}).total() in (0, 2, 3)   # one value: no refusal


# --- two aggregates whose key columns were read differently (years as text in one file, as
# ints in the other) combined into a table with two "2017" lines, and to_dict kept one of them:
# 2017's total lost the first file's grants
def test_aggregates_keyed_by_text_and_by_int_do_not_combine():
    as_text = essconv.Ledger.from_columns({"an": ["2017", "2018"], "m": ["1", "2"]}, amount="m")
    as_int = essconv.Ledger.from_columns({"an": [2017, 2019], "m": ["10", "20"]}, amount="m")
    for a, b in ((as_text, as_int), (as_int, as_text)):
        with pytest.raises(essconv.Error, match=r"'an'.*(text|label).*int|'an'.*int.*(text|label)"):
            a.group_by("an").sum() + b.group_by("an").sum()


def test_aggregates_of_one_kind_of_key_still_combine():
    a = essconv.Ledger.from_columns({"an": [2017, None], "m": ["1", "2"]}, amount="m")
    b = essconv.Ledger.from_columns({"an": [2017, 2019], "m": ["10", "20"]}, amount="m")
    total = a.group_by("an").sum() + b.group_by("an").sum()
    assert total.to_dict() == {2017: 11, None: 2, 2019: 20}
    empty = a.filter(an=1999).group_by("an").sum()
    assert (empty + b.group_by("an").sum()).to_dict() == {2017: 10, 2019: 20}


# --- a payment period written backwards ("2018-01-01_2017-01-01"; SCDL validation calls it a
# period-order error) was grouped by the end asked for, 2017 for period_end and 2018 for
# period_start, the same grant a year apart in two tables, without a word
@pytest.mark.parametrize("dim", [essconv.period_start("p"), essconv.period_end("p"),
                                 essconv.year(essconv.period_end("p"))])
def test_a_period_that_ends_before_it_starts_is_refused_naming_its_row(dim):
    led = essconv.Ledger.from_columns(
        {"p": ["2017-01-01_2017-03-31", "2018-01-01_2017-01-01", "2017-05-01/"],
         "montant": ["1", "2", "4"]}, amount="montant")
    with pytest.raises(essconv.ParseError, match=r"row 2 of 'p'.*ends before it starts"):
        led.group_by(dim).sum()
    with pytest.raises(essconv.ParseError, match="ends before it starts"):
        led.pivot(dim, "p")
    # the rows kept by a filter decide: a backward period no row keeps fails nothing
    kept = led.filter(p=essconv.startswith("2017"))
    assert kept.group_by(dim).sum().to_dict() == {
        essconv.period_start("p"): {dt.date(2017, 1, 1): 1, dt.date(2017, 5, 1): 4},
        essconv.period_end("p"): {dt.date(2017, 3, 31): 1, None: 4},
        essconv.year(essconv.period_end("p")): {2017: 1, None: 4}}[dim]


# --- an int on a label column is its digits (2017 is "2017"): months or codes written "01",
# "02"... were never matched by 1, 2, and mois=range(1, 4) summed to 0,00 without a word
@pytest.mark.parametrize("cond", [1, range(1, 4), {1, "02"}, [3]])
def test_a_number_the_column_spells_with_zeros_is_refused_naming_the_label(cond):
    led = essconv.Ledger.from_columns({"mois": ["01", "02", "03", "10"],
                                       "montant": ["1", "2", "4", "8"]}, amount="montant")
    with pytest.raises(essconv.ConditionError, match=r"'0[123]'"):
        led.filter(mois=cond)
    assert led.filter(mois={"01", "02", "03"}).total() == 7
    assert led.filter(mois=10).total() == 8        # spelt as its digits: no doubt
    assert led.filter(mois=range(10, 12)).total() == 8   # 11, absent, is spelt nowhere
    assert led.filter(mois=2031).total() == 0       # a number no label reads as: empty, as before


# --- the same rule for a label condition taking values: one_of([1]) on months written "01"
# kept nothing and summed to 0,00 without a word, where mois=1 was refused
@pytest.mark.parametrize("cond", [
    lambda: essconv.one_of([1]), lambda: essconv.one_of(1), lambda: essconv.one_of({1, "02"}),
    lambda: essconv.one_of(range(1, 4), ignore_case=True), lambda: ~essconv.one_of([3]),
    lambda: essconv.one_of([10]) | essconv.one_of((n for n in [2]))])
def test_one_of_a_number_the_column_spells_with_zeros_is_refused_naming_the_label(cond):
    led = essconv.Ledger.from_columns({"mois": ["01", "02", "03", "10"],
                                       "montant": ["1", "2", "4", "8"]}, amount="montant")
    with pytest.raises(essconv.ConditionError, match=r"'0[123]'"):
        led.filter(mois=cond())
    assert led.filter(mois=essconv.one_of(["01", "02", "03"])).total() == 7
    assert led.filter(mois=essconv.one_of([10])).total() == 8      # spelt as its digits
    assert led.filter(mois=~essconv.one_of([10, 11])).total() == 7   # 11 is spelt nowhere
    assert led.filter(mois=essconv.one_of([2031])).total() == 0    # read as no label: empty


# --- one name with its accents composed in some rows and decomposed in others (files merged
# from several exports) is two labels that print alike: filter(nom="Département du Nord")
# kept one spelling's rows, its total short of the other's, without a word
def test_a_label_spelt_with_composed_and_decomposed_accents_is_refused():
    composed = "Département du Nord"
    decomposed = unicodedata.normalize("NFD", composed)
    led = essconv.Ledger.from_columns({"nom": [composed, decomposed, "Région"],
                                       "montant": ["1", "2", "4"]}, amount="montant")
    for asked in (composed, decomposed, {composed, "Région"}):
        with pytest.raises(essconv.ConditionError, match="relabel"):
            led.filter(nom=asked)
    one = led.relabel("nom", {decomposed: composed})
    assert one.filter(nom=composed).total() == 3
    assert led.filter(nom="Région").total() == 4   # held one way: as before


# --- percentages are documented half-even, and were rounded the caller's way: an analyst's
# decimal.getcontext().rounding = ROUND_HALF_UP (or a precision of 4) changed what a report said
def test_percentages_are_half_even_whatever_the_callers_decimal_context():
    from decimal import ROUND_HALF_UP, localcontext

    from essconv.messages import language
    from essconv.money import shares_of
    with localcontext() as ctx:
        ctx.rounding, ctx.prec = ROUND_HALF_UP, 4
        assert language("fr").share(1, 16).startswith("6,2")
        assert language("en").share(Decimal("1234567.89"), Decimal("2469135.78")) == "50.0%"
        # a share is rounded half away from zero in its own context, never the caller's
        assert shares_of([Decimal(1)], Decimal(80)) == [Decimal("1.3")]


# --- from_columns(..., cents=True) read each amount with int(): Decimal("1.50") became 1
# cent, the float 1.9 became 1 (floats are refused everywhere else), True 1 cent
@pytest.mark.parametrize("given, refused", [
    (Decimal("1.50"), essconv.AmountError), (1.9, essconv.AmountTypeError),
    (True, essconv.AmountTypeError), (None, essconv.AmountTypeError),
    ("1,50", essconv.AmountError), (2**63, essconv.MoneyOverflowError),
])
def test_amounts_in_cents_must_be_whole_cents(given, refused):
    with pytest.raises(refused, match=r"'m', row 2"):
        essconv.Ledger.from_columns({"m": [150, given]}, amount="m", cents=True)


def test_amounts_in_cents_that_are_whole_numbers_still_read():
    import numpy
    led = essconv.Ledger.from_columns(
        {"m": [150, Decimal("250"), " 7 ", "-3", numpy.int64(5), -(2**63)]}, amount="m", cents=True)
    assert led.values("m") == [Decimal("1.5"), Decimal("2.5"), Decimal("0.07"), Decimal("-0.03"),
                               Decimal("0.05"), Decimal(-(2**63)) / 100]


# --- a group keyed by a day before 1900 (the year 1 is a database's "no date") was exported
# as "01/01/1", which a spreadsheet reads as 2001, and to .xlsx as day 0 or no date at all
def test_days_before_1900_export_as_the_days_they_are():
    openpyxl = pytest.importorskip("openpyxl")
    import io
    days = [dt.date(1, 1, 1), dt.date(1899, 12, 31), dt.date(2017, 5, 9)]
    agg = essconv.Ledger.from_columns({"d": days, "m": ["1", "2", "4"]},
                                      amount="m").group_by("d").sum()
    lines = agg.to_csv().splitlines()
    assert [l.split(";")[0] for l in lines[1:]] == ["01/01/0001", "31/12/1899", "09/05/2017"]
    buf = io.BytesIO()
    agg.to_xlsx(buf)
    buf.seek(0)
    cells = [row[0].value for row in openpyxl.load_workbook(buf).active.iter_rows(min_row=2)]
    assert cells[:2] == ["0001-01-01", "1899-12-31"]
    assert cells[2].date() == dt.date(2017, 5, 9)
