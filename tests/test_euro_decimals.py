"""Amounts in euros show both cent digits wherever they are printed: 1,50 €, never "1,5".

A ledger's pivot printed by `to_rows`/`to_tsv` (and its cells as printed), a plan's `format`,
a total row's reason and an IAE amount of the convention dropped the cents' last zero."""
from decimal import Decimal

from essconv import Ledger
from essconv.convention import IaeAmount
from essconv.messages import language

GRANTS = "f;nature;montant\nCDC;aide;1,50\nCR;aide;1 550,50\nCR;prêt;-3,10\n"


def pivot():
    return Ledger.read_csv(GRANTS.encode(), amount="montant").pivot(rows="f", columns="nature")


def test_a_euro_pivot_s_rows_show_both_cent_digits_in_every_cell():
    for rows in (pivot().to_rows(), pivot().to_rows(as_printed=True)):
        assert rows[1] == ["CDC", "1,50", "", "1,50"]
        assert rows[2] == ["CR", "1 550,50", "-3,10", "1 547,40"]
        # a whole total under cents takes both digits too, as the display shows it
        assert rows[3] == ["Total", "1 552,00", "-3,10", "1 548,90"]
    assert "CDC\t1,50\t\t1,50\n" in pivot().to_tsv()


def test_whole_euros_stay_whole_and_k_euros_stay_as_printed():
    rows = Ledger.read_csv(b"f;n;montant\nA;x;1\nB;x;1 550\n", amount="montant").pivot(
        rows="f", columns="n").to_rows()
    assert rows[1:] == [["A", "1", "1"], ["B", "1 550", "1 550"], ["Total", "1 551", "1 551"]]


def test_a_plan_s_format_shows_both_cent_digits():
    plan = pivot()
    assert plan.format(Decimal("1.5")) == "1,50"
    assert plan.format(Decimal("-1000.1")) == "-1 000,10"
    assert plan.format(Decimal("3")) == "3"


def test_a_total_row_s_amount_shows_both_cent_digits_in_both_languages():
    ledger = Ledger.read_csv(b"f;montant\nCDC;1 000,00\nCR;550,50\nTotal;1 550,50\n",
                             amount="montant", bad_rows="collect")
    (bad,) = ledger.bad_rows
    assert "1 550,50" in language("fr").problem(bad) and "1 550,50" in bad.message


def test_an_iae_amount_of_the_convention_shows_both_cent_digits():
    said = str(IaeAmount(label="aide au poste", amount=Decimal("10025.5"), year=2009))
    assert "10 025,50 €" in said
    assert "9 681 €" in str(IaeAmount(label="aide", amount=Decimal("9681")))
