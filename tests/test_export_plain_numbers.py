"""A plain number in a CSV/TSV export stays a number; every formula stays guarded.

The formula guard (OWASP's rule against CSV injection: an apostrophe before a cell starting
with ``= + - @ TAB CR``) also caught plain numbers: a pivot by a year typed as an int wrote its
negative key ``-3`` as ``'-3``, which a spreadsheet shows as text and a reader gets back with
an apostrophe.  A cell that is a plain number as essconv writes numbers (a sign, digits, one
decimal mark and digits) is written as it is; anything else starting so stays guarded.  The
oracles are the payloads and numbers the tests write themselves, Python's ``int`` and
``Decimal`` on what the csv module reads back, and sums made here with ``Decimal``."""
from __future__ import annotations

import csv
import io
from decimal import Decimal

import pytest

import essconv
from essconv.export import guard_formula, plan_delimited

#: OWASP's CSV-injection payloads, and look-alikes of numbers that are not plain numbers
PAYLOADS = ["=cmd|' /C calc'!A0", "@SUM(1+1)", "+1+1", "-1+1", "\t=1+1", "\r=1+1", "\t-3",
            "\r-3", "=1", "-3)", "-A1", "+33 6 12 34 56 78", "-1 250,50", "-1.000,25", "-3,",
            "-,5", "-", "+", "-1e5", "-٣", "-3\n", "-3 ", "--3", "-3-", "@", "=-3"]
#: plain numbers as essconv writes ints and amounts, in either language's decimal mark
NUMBERS = ["-3", "-2017", "+5", "-1250,50", "-1250.50", "-0,01", "0", "2017", "-9223372036854775807"]


@pytest.mark.parametrize("payload", PAYLOADS)
def test_a_formula_or_a_look_alike_of_a_number_stays_guarded(payload):
    assert guard_formula(payload) == "'" + payload


@pytest.mark.parametrize("number", NUMBERS)
def test_a_plain_number_is_written_as_it_is(number):
    assert guard_formula(number) == number


def test_text_starting_otherwise_is_untouched():
    for text in ["Région", "DLA", "2017", "(vide)", "3-5", "a=b"]:
        assert guard_formula(text) == text


def records():
    """Years and negative exercise numbers as ints, labels that are payloads, signed amounts."""
    funders = ["Région", "=cmd|' /C calc'!A0", "@SUM(1+1)", "-1+1", "CDC"]
    numbers = [2017, -3, 2015, -40, 0]
    amounts = [Decimal("-1250.50"), Decimal("10.00"), Decimal("-5"), Decimal("3.25"),
               Decimal("-0.01"), Decimal("999999.99")]
    return [(numbers[k % 5], funders[(k * 3) % 5], amounts[k % 6]) for k in range(30)]


def ledger(rows) -> essconv.Ledger:
    text = "annee;financeur;montant\n" + "".join(
        f"{n};{f if ';' not in f else chr(34) + f + chr(34)};{str(a).replace('.', ',')}\n"
        for n, f, a in rows)
    return essconv.Ledger.read_csv(text.encode(), amount="montant", ints=["annee"])


@pytest.mark.parametrize("lang, delimiter, mark", [("fr", ";", ","), ("en", "\t", ".")])
def test_a_pivot_s_negative_int_keys_and_amounts_come_back_numbers(lang, delimiter, mark):
    rows = records()
    years = sorted({n for n, _, _ in rows})
    sums = {}
    for n, f, a in rows:
        sums[n, f] = sums.get((n, f), Decimal(0)) + a
    # years as columns: the header row holds the negative ints
    by_year = ledger(rows).pivot("financeur", "annee")
    read = list(csv.reader(io.StringIO(plan_delimited(by_year, delimiter, lang=lang)),
                           delimiter=delimiter))
    assert [int(c) for c in read[0][1:-1]] == years
    for line in read[1:-1]:
        funder = line[0].removeprefix("'")
        assert line[0] == (funder if funder == "Région" or funder == "CDC" else "'" + funder)
        for year, cell in zip(years, line[1:-1]):
            want = sums.get((year, funder))
            assert (cell == "") if want is None else Decimal(cell.replace(mark, ".")) == want
    # years as lines: the first column holds them, read back by essconv as its lines
    by_line = ledger(rows).pivot("annee", "financeur")
    out = plan_delimited(by_line, delimiter, lang=lang)
    read = list(csv.reader(io.StringIO(out), delimiter=delimiter))
    assert [int(r[0]) for r in read[1:-1]] == years
    assert not any(c.startswith("'") for r in read[1:] for c in r[1:])   # amounts, no text
    back = essconv.read_plan(out.encode(), decimal=mark)
    assert back.lines == [str(n) for n in years]
    for i, year in enumerate(years):
        want = sum((a for n, _, a in rows if n == year), Decimal(0))
        assert back.line_sum_at(i) == want


def test_a_report_s_negative_int_keys_read_back_as_ints():
    rows = records()
    report = ledger(rows).group_by("annee").sum()
    text = report.to_csv(lang="fr")
    read = list(csv.reader(io.StringIO(text), delimiter=";"))
    assert [int(r[0]) for r in read[1:]] == sorted({n for n, _, _ in rows})
    back = essconv.Ledger.read_csv(text.encode(), amount="montant (€)", ints=["annee"])
    assert back.values("annee") == sorted({n for n, _, _ in rows})
    assert back.values("montant (€)") == [sum((a for n, _, a in rows if n == year), Decimal(0))
                                           for year in sorted({n for n, _, _ in rows})]


def test_a_french_plan_s_grouped_negative_amounts_stay_numbers():
    plan = essconv.read_plan("en k€;A;B;Total\nx;-1 250,50;2,50;-1 248,00\n"
                             "Total;-1 250,50;2,50;-1 248,00\n".encode(), decimal=",")
    read = list(csv.reader(io.StringIO(plan_delimited(plan)), delimiter=";"))
    assert read[1] == ["x", "-1 250,50", "2,50", "-1 248,00"]


#: labels a spreadsheet would read as a number shown without its "+" (a phone number, a code)
PLUS_LABELS = ["+33612345678", "+12", "+1,5", "+0"]
#: labels that read as a number shown as typed, and plain words: written as they are
AS_TYPED = ["-3", "2017", "Région"]


def plus_ledger() -> tuple[essconv.Ledger, dict[str, Decimal]]:
    amounts = [Decimal("10.50"), Decimal("-5"), Decimal("1.25"), Decimal("3"), Decimal("7"),
               Decimal("0.01"), Decimal("2")]
    labels = PLUS_LABELS + AS_TYPED
    text = "contact;montant\n" + "".join(
        f"{label};{str(a).replace('.', ',')}\n" for label, a in zip(labels, amounts))
    sums: dict[str, Decimal] = {}
    for label, a in zip(labels, amounts):
        sums[label] = sums.get(label, Decimal(0)) + a
    return essconv.Ledger.read_csv(text.encode(), amount="montant"), sums


def test_guard_label_keeps_a_plus_label_text_and_a_label_as_typed_as_it_is():
    for label in PLUS_LABELS + ["+", "+1+1", "+33 6 12 34 56 78"]:
        assert essconv.export.guard_label(label) == "'" + label
    for label in AS_TYPED:
        assert essconv.export.guard_label(label) == label
    for payload in PAYLOADS:   # a formula stays guarded once, as guard_formula guards it
        assert essconv.export.guard_label(payload) == guard_formula(payload)


@pytest.mark.parametrize("lang, delimiter, mark", [("fr", ";", ","), ("en", ",", ".")])
def test_a_report_s_label_with_a_plus_stays_text_and_its_amounts_numbers(lang, delimiter, mark):
    """``+33612345678`` written as is: a spreadsheet read the number 33612345678, the ``+``
    gone, not the label typed; the sums beside it stay plain numbers."""
    ledger, sums = plus_ledger()
    text = ledger.group_by("contact").sum().with_total().to_csv(lang=lang)
    read = list(csv.reader(io.StringIO(text.lstrip("\ufeff")), delimiter=delimiter))
    by_label = {r[0]: r for r in read[1:-1]}
    assert sorted(by_label) == sorted(["'" + p for p in PLUS_LABELS] + AS_TYPED)
    for label, want in sums.items():
        row = by_label["'" + label if label.startswith("+") else label]
        assert Decimal(row[1].replace(mark, ".")) == want and int(row[2]) == 1
    assert Decimal(read[-1][1].replace(mark, ".")) == sum(sums.values())


@pytest.mark.parametrize("delimiter", [";", "\t"])
def test_a_pivot_s_label_with_a_plus_stays_text_as_a_line_and_as_a_column(delimiter):
    ledger, sums = plus_ledger()
    for rows_by, columns_by in (("contact", "kind"), ("kind", "contact")):
        pivot = essconv.Ledger.from_columns(
            {"contact": ledger.values("contact"), "kind": ["x"] * len(ledger),
             "montant": ledger.values("montant")}, amount="montant").pivot(rows_by, columns_by)
        read = list(csv.reader(io.StringIO(plan_delimited(pivot, delimiter)),
                               delimiter=delimiter))
        labels = [r[0] for r in read[1:-1]] if rows_by == "contact" else read[0][1:-1]
        figures = ([r[1] for r in read[1:-1]] if rows_by == "contact" else read[1][1:-1])
        assert labels == [("'" + k if k.startswith("+") else k) for k in sums]
        assert [Decimal(f.replace(",", ".")) for f in figures] == list(sums.values())


def test_the_command_line_s_csv_keeps_a_plus_label_text(tmp_path, capsys):
    from essconv.cli import main
    ledger, sums = plus_ledger()
    path = tmp_path / "contacts.csv"
    path.write_text("contact;montant\n" + "".join(
        f"{k};{str(v).replace('.', ',')}\n" for k, v in sums.items()), encoding="utf-8")
    assert main(["aggregate", str(path), "--by", "contact", "--amount", "montant",
                 "--to", "csv"]) == 0
    read = list(csv.reader(io.StringIO(capsys.readouterr().out.lstrip("\ufeff")),
                           delimiter=";"))
    assert [r[0] for r in read[1:]] == [("'" + k if k.startswith("+") else k) for k in sums]
    assert [Decimal(r[1].replace(",", ".")) for r in read[1:]] == list(sums.values())
