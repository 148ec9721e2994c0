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
    # the French wording says the French figure, the message (English) the English one
    assert "1 550,50" in language("fr").problem(bad) and "1,550.50" in bad.message
    assert "1 550,50" not in bad.message


def test_an_iae_amount_of_the_convention_shows_both_cent_digits():
    said = str(IaeAmount(label="aide au poste", amount=Decimal("10025.5"), year=2009))
    assert "10 025,50 €" in said
    assert "9 681 €" in str(IaeAmount(label="aide", amount=Decimal("9681")))


def _block(out: str, start: str, end: str) -> list[str]:
    return out[out.index(start):out.index(end)].splitlines()[1:]


def test_a_euro_plans_totals_in_the_text_report_show_one_number_of_decimals_a_column():
    """The text report's totals of a plan in euros printed "2 200,25" over "1 000" (by funder,
    by party): a column of euros shows both cent digits on every figure as soon as one has
    cents, the Total row included, as the plan's own table above it does."""
    import re

    import essconv
    from essconv.report import render_text
    cells = {"CDC": [Decimal("2200.25"), Decimal("10")], "CR-NPDC": [Decimal("1000"), Decimal("5")]}
    text = "en €\tCDC\tCR-NPDC\n" + "".join(
        f"L{i}\t{cells['CDC'][i]}\t{cells['CR-NPDC'][i]}\n".replace(".", ",") for i in range(2))
    for lang, mark in (("fr", ","), ("en", ".")):
        conv = essconv.default()
        conv.add_plan(essconv.read_plan(text.encode()), 2010)
        out = render_text(conv, lang=lang)
        out = out[out.index("Plan 2010"):]
        heads = ("Totaux par financeur", "Totaux par partie", "Totaux par axe", "Constats") \
            if lang == "fr" else ("Totals by funder", "Totals by party", "Totals by axis", "Findings")
        figure = r"-?\d[\d\u202f,.]*"
        want = {f: sum(v) for f, v in cells.items()}   # each funder's cells, added here
        for start, end in zip(heads, heads[1:]):
            shown = [re.findall(rf"(?<![\w%]){figure}(?=\s)", line) for line in _block(out, start, end)]
            first = [s[0] for s in shown if s]
            assert first and {len(s.partition(mark)[2]) for s in first} == {2}, (lang, start, first)
        by_funder = {m.group(1): m.group(2) for m in (
            re.match(rf"  (\S+) +({figure})", line) for line in _block(out, heads[0], heads[1]))
            if m}
        read = lambda s: Decimal(s.replace("\u202f", "").replace(",", "")  # noqa: E731
                                 if mark == "." else s.replace("\u202f", "").replace(",", "."))
        assert {f: read(v) for f, v in by_funder.items() if f in want} == want
        assert read(by_funder["Total"]) == sum(want.values())
