"""Amounts the fast path declines and the full reading decides, and rows as Excel and SCDL files
print them: each against a slow Decimal oracle, through parse_amount, Ledger.read_csv and
read_scdl / validate_scdl alike."""
from __future__ import annotations

import csv
import io
import random
import re
import warnings
from decimal import Decimal
from pathlib import Path

import pytest

import essconv
from essconv import Ledger, read_scdl, validate_scdl
from essconv.messages import language
from essconv.money import parse_amount
from essconv.plan import plan_from_rows

VALID = Path(__file__).parent / "data" / "scdl" / "scdl-subventions-exemple-valide.csv"


def oracle(text: str) -> Decimal | None:
    """The slow reading: a point-decimal number, with commas only as thousands groups (a first
    group of 1-3 digits, then groups of three) and no exponent; None where the text is not
    exactly such a number of whole cents."""
    m = re.fullmatch(r"-?(\d{1,3}(,\d{3})+|\d+)(\.\d+)?", text)
    if not m:
        return None
    value = Decimal(text.replace(",", ""))
    return value if value == value.quantize(Decimal("0.01")) else None


def ledger_of(text: str, **kw) -> Ledger:
    return Ledger.read_csv(f"k;montant\na;{text}\n".encode(), amount="montant",
                           bad_rows="collect", **kw)


def scdl_with(amounts: list[str], tail: str = "") -> bytes:
    rows = list(csv.reader(io.StringIO(VALID.read_text(encoding="utf-8"), newline="")))
    header, first = rows[0], rows[1]
    k = header.index("montant")
    out = [";".join(header)]
    for amount in amounts:
        cells = list(first)
        cells[k] = amount
        out.append(";".join(cells) + tail)
    return ("\n".join(out) + "\n").encode()


# ------------------------------------------------------------------ 1: "99786.570"
def test_a_point_after_more_than_three_digits_is_decimal_and_zeros_past_the_cents_exact():
    rng = random.Random(3)
    texts = ["99786.570", "1234.500", "-123456.000", "99786.57000", "1000000.100"]
    texts += [f"{rng.randrange(1000, 10**9)}.{rng.randrange(100):02d}{'0' * rng.randrange(1, 4)}"
              for _ in range(200)]
    for text in texts:
        want = oracle(text)
        assert want is not None
        assert parse_amount(text) == want, text
        ledger = ledger_of(text)
        assert (ledger.total(), ledger.bad_rows) == (want, []), text
    data = scdl_with(["99786.570", "1234.500"])
    assert read_scdl(data).total() == Decimal("99786.57") + Decimal("1234.5")
    assert "number-format" not in {f.code for f in validate_scdl(data)}   # read, so valid
    for text in ("12.500", "99786.575"):   # refused by read_scdl: so by the validator
        assert "number-format" in {f.code for f in validate_scdl(scdl_with([text]))}


def test_a_point_that_may_group_stays_undecided_and_a_third_decimal_is_refused_as_such():
    with pytest.raises(essconv.AmountError, match="could be 12500 or 12.5"):
        Ledger.read_csv(b"k;montant\na;12.500\n", amount="montant")
    for text in ("99786.575", "12345.001"):
        assert oracle(text) is None
        [bad] = ledger_of(text).bad_rows
        assert "more than 2 decimals of €" in bad.message and "group" not in bad.message


# ------------------------------------------------------------------ 2: ";;" past the header
def test_blank_cells_past_the_header_carry_nothing_and_the_rows_are_read():
    plain, tailed = scdl_with(["100", "200.50", "300"]), scdl_with(["100", "200.50", "300"], ";;")
    with warnings.catch_warnings():
        warnings.simplefilter("error")   # no RepairedRowsWarning: nothing was put back
        read = read_scdl(tailed)
    want = read_scdl(plain)
    assert (read.total(), read.bad_rows) == (sum(map(Decimal, ["100", "200.50", "300"])), [])
    assert read.group_by("dispositifAide").sum().to_dict() == \
        want.group_by("dispositifAide").sum().to_dict()
    assert [f.code for f in validate_scdl(tailed)] == [f.code for f in validate_scdl(plain)]


def test_an_extra_cell_with_text_or_a_cell_short_is_never_read_as_if_blank():
    with_text = scdl_with(["100"], ";x;")
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        read = read_scdl(with_text)
    # either set aside, or put back with a warning: never the text dropped
    assert read.bad_rows or read.group_by("dispositifAide").sum().to_dict() != {None: 100}
    assert "unquoted-delimiter" in {f.code for f in validate_scdl(with_text)}
    # a row short of its last cell, whose column the schema marks optional (dispositifAide, blank
    # in the whole row here): read with that cell blank, and said once (Excel leaves out the
    # delimiters of blank cells at a row's end); never read as blank silently
    short = scdl_with(["100"]).decode().rstrip("\n")
    short = short[:short.rstrip().rfind(";")] + "\n"
    with pytest.warns(essconv.ShortRowsWarning):
        read_short = read_scdl(short.encode())
    assert (read_short.total(), read_short.bad_rows) == (Decimal("100"), [])
    # a row short of a required column stays a bad row
    cut = short[:short.rstrip().rfind(";")]
    cut = cut[:cut.rfind(";")]
    cut = cut[:cut.rfind(";")] + "\n"   # without notificationUE and pourcentageSubvention
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        assert read_scdl(cut.encode()).bad_rows


# ------------------------------------------------------------------ 3: grouping commas
@pytest.mark.parametrize("text", ["1,234,567", "12,345,678.9", "1,234,567.89", "1,234.5", "999,999"])
def test_grouping_commas_read_with_point_decimals_as_the_oracle_reads_them(text):
    want = oracle(text)
    assert want is not None
    assert parse_amount(text, decimal=".") == want
    assert ledger_of(f'"{text}"', decimal=".").total() == want
    assert read_scdl(scdl_with([f'"{text}"']), decimal=".").total() == want


@pytest.mark.parametrize("text, words, mots", [
    ("1,234,567", "its commas stand where a point-decimal column groups thousands",
     "ses virgules sont là où une colonne à point décimal groupe les milliers"),
    ("1,234", "more than 2 decimals of €: cents cannot hold it; its comma may instead stand "
              "where a point-decimal column groups thousands",
     "sa virgule est peut-être là où une colonne à point décimal groupe les milliers"),
])
def test_grouping_commas_read_with_a_decimal_comma_are_refused_saying_so(text, words, mots):
    [bad] = ledger_of(f'"{text}"').bad_rows
    assert words in bad.message and "decimal='.'" in bad.message
    assert mots in language("fr").problem(bad)
    with pytest.raises(essconv.AmountError, match=re.escape(words)):
        parse_amount(text, decimal=",")


def test_commas_where_no_group_stands_keep_their_own_reason():
    for text in ("0,123", "1,2345", "12,34,567"):
        with pytest.raises(essconv.AmountError) as info:
            parse_amount(text, decimal=",")
        assert "point-decimal column" not in str(info.value)


# ------------------------------------------------------------------ 4: "5.", "5," and "1e3"
def test_a_decimal_mark_with_no_digit_after_it_is_refused_on_every_path(tmp_path):
    # one rule for a point and a comma: "12345." is a cell cut short as much as "12 345,"
    texts = ["5.", "5,", "-5.", "(5.)", "1234.", "12345.", "12 345,", "5. €", "5,-", "1 234."]
    for text in texts:
        with pytest.raises(essconv.AmountError, match="no digit after the decimal mark"):
            parse_amount(text)
        with pytest.raises(essconv.AmountError, match="is not an amount"):
            parse_amount(text, decimal=".")   # "5,": a separator before no digit
        with pytest.raises(essconv.AmountError, match="no digit after the decimal mark"):
            Ledger.from_columns({"k": ["a"], "montant": [text]}, amount="montant")
        for cell in (text, f'"{text}"'):
            data = f"k;montant\na;{cell}\n".encode()
            path = tmp_path / "montants.csv"
            path.write_bytes(data)
            for source in (data, path, io.BytesIO(data), io.StringIO(data.decode())):
                with pytest.raises(essconv.AmountError,
                                   match=r"2:3: column 'montant': .* no digit after the decimal "
                                         r"mark"):
                    Ledger.read_csv(source, amount="montant")
            assert [p.line for p in ledger_of(cell).bad_rows] == [2]
    data = scdl_with(["5.", "1234.", "5,"])
    assert [p.line for p in read_scdl(data).bad_rows] == [2, 3, 4]
    found = [f for f in validate_scdl(data) if f.field == "montant"]
    assert [f.code for f in found] == ["number-format"] * 3
    assert "no digit after it" in found[0].message and "sans chiffre après" in found[0].text("fr")


def test_a_decimal_mark_with_no_digit_after_it_is_refused_in_a_plan(tmp_path):
    for text in ("410.", "410,"):
        rows = [["en k€", "", "CDC", "Total"], ["Axe", "DLA", text, "410"]]
        path = tmp_path / "plan.tsv"
        path.write_text("\n".join("\t".join(r) for r in rows) + "\n", encoding="utf-8")
        # the rows' third cell; the file's ninth character, where that cell starts
        for plan, column in ((plan_from_rows(rows, year=2009), 3),
                             (essconv.read_plan(path, year=2009), 9)):
            assert [(p.line, p.column) for p in plan.problems] == [(2, column)]
            assert "no digit after the decimal mark" in plan.problems[0].message


def test_an_exponent_is_refused_by_the_reader_and_the_validator_alike():
    data = scdl_with(["1e3", "1.5E+06"])
    assert len(read_scdl(data).bad_rows) == 2
    found = [f for f in validate_scdl(data) if f.field == "montant"]
    assert [f.code for f in found] == ["number-format", "number-format"]
    assert all("exponent" in f.message and "exposant" in f.text("fr") for f in found)


# ------------------------------------------------------------------ 5: one reading everywhere
# amounts as analysts type them: each read exactly, or refused for the same reason, by
# parse_amount, by the reader (quoted or not, its line:column named) and by from_columns
TYPED = [
    ("12,50-", Decimal("-12.50")), ("(12,50)", Decimal("-12.50")), ("+12", Decimal("12")),
    ("€ 12", Decimal("12")), ("12 €", Decimal("12")), ("12 k€", Decimal("12000")),
    ("\u00a012", Decimal("12")), ("12\u00a0", Decimal("12")), ("\u202f12", Decimal("12")),
    ("12\u202f", Decimal("12")), ("\u221212", Decimal("-12")), ("-,5", Decimal("-0.5")),
    ("-", "a dash where an amount is expected"), ("--5", "a digit is expected at character 2"),
    ("1e3", "'e' at character 2"), ("\u0661\u0662", "a digit is expected at character 1"),
    ("\uff11\uff12", "a digit is expected at character 1"), ("-12-", "'-' at character 4"),
    ("(-5)", "a sign inside parentheses"), ("€", "is a unit with no amount"),
    # parentheses say negative (Excel's accounting format), which prints no sign inside them:
    # "(+5)" was read -5, where "(-5)" is refused
    ("(+5)", "a sign inside parentheses"), ("( +5,00 € )", "a sign inside parentheses"),
    ("k€", "is a unit with no amount"),
]


@pytest.mark.parametrize("text, want", TYPED)
def test_an_amount_as_typed_is_read_or_refused_alike_by_every_path(text, want):
    def read(convert):
        try:
            return convert()
        except essconv.AmountError as exc:
            return exc
    said = [read(lambda: parse_amount(text)),
            read(lambda: Ledger.from_columns({"k": ["a"], "montant": [text]},
                                             amount="montant").total())]
    said += [read(lambda c=cell: Ledger.read_csv(f"k;montant\na;{c}\n".encode(),
                                                 amount="montant").total())
             for cell in (text, f'"{text}"')]
    if isinstance(want, Decimal):
        assert said == [want] * 4
        return
    assert all(isinstance(s, essconv.AmountError) and want in str(s) for s in said), said
    assert [s.where() for s in said[2:]] == [":2:3", ":2:3"]


# ------------------------------------------------------------------ a declared decimal mark
@pytest.mark.parametrize("decimal, text, other", [
    (",", "1.23", "point"), (",", "12.5", "point"), (",", "1.234.5", "point"),
    (",", "0.50", "point"), (",", "-1.23", "point"), (",", "1234.56", "point"),
    (".", "1,23", "comma"), (".", "12,5", "comma"), (".", "1234,56", "comma")])
def test_under_a_declared_decimal_mark_the_other_mark_only_groups_thousands(
        decimal, text, other, tmp_path):
    """decimal=',' declared, '1.23' was read 1,23 € while '1.234' read 1 234 €: the point can
    only group thousands there, so a cell where it cannot is refused, naming the declared mark
    -- on every path that reads a declared mark."""
    mark = "comma" if decimal == "," else "point"
    words = f"the decimal mark declared is the {mark} (decimal='{decimal}')"
    mots = "la marque décimale déclarée est " + ("la virgule" if decimal == "," else "le point")
    data = f"k;montant\na;{text}\nb;2\n".encode()
    path = tmp_path / "montants.csv"
    path.write_bytes(data)
    for source in (data, path, io.BytesIO(data)):
        for threads in (1, 2):
            with pytest.raises(essconv.AmountError) as info:
                Ledger.read_csv(source, amount="montant", decimal=decimal, threads=threads)
            assert (info.value.line, info.value.column) == (2, 3)
            assert words in str(info.value), str(info.value)
            if hasattr(source, "seek"):
                source.seek(0)
    [bad] = Ledger.read_csv(data, amount="montant", decimal=decimal, bad_rows="collect").bad_rows
    assert mots in language("fr").problem(bad), language("fr").problem(bad)
    with pytest.raises(essconv.AmountError, match=re.escape(words)):
        parse_amount(text, decimal=decimal)
    with pytest.raises(essconv.AmountError, match=re.escape(words)):
        Ledger.from_columns({"k": ["a", "b"], "montant": [text, "2"]}, amount="montant",
                            decimal=decimal)


@pytest.mark.parametrize("decimal, text, want", [
    (",", "1.234", "1234"), (",", "1.234,5", "1234.5"), (",", "12.345.678,90", "12345678.90"),
    (",", "1,23", "1.23"), (".", "1,234", "1234"), (".", "1,234.5", "1234.5"),
    (".", "1.23", "1.23")])
def test_under_a_declared_decimal_mark_groups_of_three_read_as_before(decimal, text, want):
    data = f"k;montant\na;\"{text}\"\n".encode()
    assert Ledger.read_csv(data, amount="montant", decimal=decimal).total() == Decimal(want)
    assert parse_amount(text, decimal=decimal) == Decimal(want)
    assert Ledger.from_columns({"k": ["a"], "montant": [text]}, amount="montant",
                               decimal=decimal).total() == Decimal(want)


@pytest.mark.parametrize("decimal, text, want", [
    (",", "1.23", None), (",", "12.5", None), (".", "1,23", None), (",", "1.234", "1234"),
    (",", "1,5", "1.5"), (".", "1.23", "1.23")])
def test_read_plan_under_a_declared_decimal_mark_the_other_mark_only_groups_thousands(
        decimal, text, want):
    """read_plan(decimal=',') read 'DLA;1.23' as 1,23 k€, as the ledger's reader no longer
    does: the cell is now a bad amount naming the declared mark, the plan's other figures read."""
    plan = essconv.read_plan(f'en k€;CR;CDC\nDLA;"{text}";2\n'.encode(), decimal=decimal)
    bad = [p for p in plan.problems if p.reason and p.reason[0] == "plan-bad-amount"]
    if want is not None:
        assert not bad and plan.total() == Decimal(want) + 2
        return
    mark = "comma" if decimal == "," else "point"
    [cell] = bad
    assert cell.reason[1] == "mark-said" and (cell.line, cell.column) == (2, 5)
    assert f"the decimal mark declared is the {mark} (decimal='{decimal}')" in cell.message
    assert "la marque décimale déclarée est " + ("la virgule" if decimal == "," else "le point") \
        in language("fr").problem(cell)
    assert plan.total() == 2


def test_an_undeclared_mark_keeps_reading_a_lone_point_before_two_digits_as_decimal():
    """Sniffed (no decimal said): '1.23' in a French file reads 1,23 €, as before."""
    assert ledger_of("1.23").total() == Decimal("1.23")
    assert parse_amount("1.23") == Decimal("1.23")


@pytest.mark.parametrize("decimal, text", [(",", "1.23"), (".", "1,23")])
def test_a_plan_finding_on_a_cell_refused_by_the_declared_mark_says_why(decimal, text):
    """A plan with a Total column read under decimal=',' found '1.23' malformed, and its finding
    said "'1.23' is not a number ()": the finding read the cell again under a comma not held
    as declared, which took it.  It says the reader's reason, the declared mark."""
    plan = essconv.read_plan(f'Plan 2010\nLigne;A;Total\nl;"{text}";"{text}"\n'.encode(),
                             decimal=decimal)
    found = [f for f in plan.validate() if f.code == "malformed-number"]
    assert len(found) == 2
    mark = "comma" if decimal == "," else "point"
    for f in found:
        assert "()" not in f.message and f"the decimal mark declared is the {mark}" in f.message, \
            f.message
