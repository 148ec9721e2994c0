"""Exact money: every printed format, every malformed one, the int64 limits, exactness."""
from __future__ import annotations

from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import essconv
from essconv import _core
from essconv.money import format_amount, from_cents, parse_amount, to_cents

INT64_MAX = 2**63 - 1
INT64_MIN = -(2**63)


@pytest.mark.parametrize("text, unit, decimal, expected", [
    ("1 228", "€", ",", "1228"),
    ("1\u00a0228", "€", ",", "1228"),
    ("1\u202f228", "€", ",", "1228"),
    ("12,5", "€", ",", "12.5"),
    ("1 234,56", "€", ",", "1234.56"),
    ("1.234,56", "€", ",", "1234.56"),
    ("1.234.567", "€", ",", "1234567"),
    ("1,234.56", "€", ".", "1234.56"),
    ("1 234.56", "€", ".", "1234.56"),
    ("(12)", "€", ",", "-12"),
    ("( 1 228,50 )", "€", ",", "-1228.5"),
    ("-12", "€", ",", "-12"),
    ("\u221212", "€", ",", "-12"),
    ("+12", "€", ",", "12"),
    ("12 €", "€", ",", "12"),
    ("12€", "€", ",", "12"),
    ("12,5 k€", "€", ",", "12500"),
    ("12,5 K€", "€", ",", "12500"),
    ("1,5 M€", "€", ",", "1500000"),
    ("40 keur", "€", ",", "40000"),
    ("40 000,00", "€", ",", "40000"),
    ("1 228", "k€", ",", "1228"),
    ("12,34567", "k€", ",", "12.34567"),
    ("3,5 M€", "k€", ",", "3500"),
    ("200 000 €", "k€", ",", "200"),
    ("12.50", "€", None, "12.5"),      # a lone point that cannot group, no mark declared: decimal
    ("  7  ", "€", ",", "7"),
    ("0,01", "€", ",", "0.01"),
])
def test_printed_formats(text, unit, decimal, expected):
    assert parse_amount(text, unit=unit, decimal=decimal) == Decimal(expected)


@pytest.mark.parametrize("text, said, grouped, decimal", [
    ("12.500", "12500 or 12.5", "12500", "12.5"), ("1.500", "1500 or 1.5", "1500", "1.5"),
    ("-250.000", "-250000 or -250", "-250000", "-250"),
    ("(7.125)", r"\(7125\) or \(7.125\)", "-7125", "-7.125"),
    ("12.500 k€", "12500 k€ or 12.5 k€", "12500000", "12.5"),
])
def test_a_lone_point_before_three_digits_is_refused_unless_decimal_says_which(text, said,
                                                                               grouped, decimal):
    # "12.5" reads 12,5 and "12.500" read 12 500: a value alone has no other amount to say
    # what its point is, as the CSV reader's column has; both readings are named, in the
    # text's own dress, and decimal= decides (the French one groups)
    for read in (lambda: parse_amount(text), lambda: to_cents(text)):
        with pytest.raises(essconv.AmountError, match=rf"could be {said}; say which with decimal="):
            read()
    assert parse_amount(text, decimal=",") == Decimal(grouped)
    assert to_cents(text, decimal=",") == Decimal(grouped) * 100
    # in k€, where three decimals have room (the printed "k€" is the unit already)
    assert parse_amount(text, unit="k€", decimal=".") == Decimal(decimal)
    assert to_cents(text, unit="k€", decimal=".") == Decimal(decimal) * 100_000


@pytest.mark.parametrize("text", ["", "   ", "\u00a0", "\t"])
def test_blank_is_none(text):
    assert parse_amount(text) is None


@pytest.mark.parametrize("dash", ["-", "—", "–"])
def test_dash_is_zero_only_when_asked(dash):
    assert parse_amount(dash, dash_is_zero=True) == 0
    with pytest.raises(essconv.AmountError, match="dash"):
        parse_amount(dash)


@pytest.mark.parametrize("text, column, words", [
    ("1 2618", 3, "group of more than three digits"),
    ("12,,5", 3, "no digit after the decimal mark"),
    ("1.2.3", 0, "group of 1 digit"),
    ("12a", 3, "'a' at character 3"),
    ("12,345", 0, "more than 2 decimals"),
    ("1e3", 2, "'e' at character 2"),
    ("n.c.", 1, "a digit is expected"),
    ("NC", 1, "a digit is expected"),
    ("12 €€", 0, ""),
    ("1 22", 3, "group of 2 digits"),
    ("12,", 3, "no digit after the decimal mark"),
    ("(12", 0, "never closed"),
    ("1  228", 2, "not followed by a digit"),
    ("1 234.567,8", 0, "two kinds of thousands separator"),
])
def test_malformed_text_is_an_error_that_quotes_it(text, column, words):
    with pytest.raises(essconv.AmountError) as info:
        parse_amount(text)
    err = info.value
    assert isinstance(err, ValueError)
    assert repr(text)[1:-1] in str(err) or text in str(err)
    assert words in str(err)
    if column:
        assert err.column == column


def test_amounts_below_one_printed_without_their_zero():
    # public budget exports print them so; refused, a file's total came out a cent short
    for text, decimal, expected in [(".01", None, "0.01"), ("-.5", None, "-0.5"),
                                    (",75", ",", "0.75"), (".5", ".", "0.5"), ("(.5)", None, "-0.5")]:
        assert parse_amount(text, decimal=decimal) == Decimal(expected), text
    for text in (".", "-.", ",", "(.)"):          # a mark alone is still no amount
        with pytest.raises(essconv.AmountError, match="a digit is expected"):
            parse_amount(text)


def test_a_point_after_a_leading_zero_groups_nothing():
    # "0.500" was 500 € and "000.001" 1 €: no thousands group follows a group worth nothing
    assert parse_amount("0.500") == Decimal("0.5") and parse_amount(".500") == Decimal("0.5")
    with pytest.raises(essconv.AmountError, match="more than 2 decimals"):
        parse_amount("000.001")
    for text in ("0 500", "0.500.000"):
        with pytest.raises(essconv.AmountError, match="thousands separator after a leading zero"):
            parse_amount(text)


def test_zeros_beyond_the_cents_are_exact_and_nothing_else_is():
    assert parse_amount("12,5000") == Decimal("12.5")
    with pytest.raises(essconv.AmountError, match="more than 2 decimals"):
        parse_amount("12,3405")


def test_more_decimals_than_cents_is_refused_not_rounded():
    with pytest.raises(essconv.AmountError, match="more than 2 decimals of €"):
        parse_amount("0,001")
    assert parse_amount("0,001", unit="k€") == Decimal("0.001")
    with pytest.raises(essconv.AmountError, match="more than 5 decimals of k€"):
        parse_amount("0,000001", unit="k€")


def test_int64_limits():
    assert to_cents("92233720368547758,07") == INT64_MAX
    assert to_cents("-92233720368547758,08") == INT64_MIN
    with pytest.raises(essconv.MoneyOverflowError) as info:
        to_cents("92233720368547758,08")
    assert isinstance(info.value, OverflowError)
    with pytest.raises(OverflowError):
        to_cents("-92233720368547758,09")
    with pytest.raises(OverflowError):
        to_cents("99999999999999999999999")
    with pytest.raises(OverflowError):
        parse_amount("92233720368548", unit="M€")   # ×10^8 cents overflows
    assert from_cents(INT64_MIN) == Decimal("-92233720368547758.08")
    assert from_cents(INT64_MAX, "M€") == Decimal("92233720368.54775807")


def test_checked_sum_overflows_never_wraps():
    assert _core.checked_sum([INT64_MAX - 1, 1]) == INT64_MAX
    with pytest.raises(OverflowError):
        _core.checked_sum([INT64_MAX, 1])
    with pytest.raises(OverflowError):
        _core.checked_sum([INT64_MIN, -1])


def test_floats_are_refused():
    with pytest.raises(TypeError, match="never floats"):
        to_cents(0.1)
    with pytest.raises(TypeError):
        format_amount(12.5)


def test_format_french():
    assert format_amount(Decimal("8115"), group=" ") == "8 115"
    assert format_amount(Decimal("1234.5"), decimals=2) == "1\u202f234,50"
    assert format_amount(Decimal("-1234567.89"), group=".") == "-1.234.567,89"
    assert format_amount(Decimal("12.5"), unit="k€", group=" ") == "12,5"
    assert format_amount(Decimal("0")) == "0"


# --- an amount past int64 cents (a sum totalled in Python's Decimal) raised MoneyOverflowError
# from format_amount: any Decimal is printed, by the same rules as the amounts that fit
@pytest.mark.parametrize("amount, unit, decimals, text", [
    (Decimal(2**63) / 100, "€", -1, "92 233 720 368 547 758,08"),
    (-Decimal(2**63 + 1) / 100, "€", -1, "-92 233 720 368 547 758,09"),
    (Decimal("1E+30"), "€", 2, "1 000 000 000 000 000 000 000 000 000 000,00"),
    (10**20, "€", -1, "100 000 000 000 000 000 000"),
    (Decimal("123456789012345678.905"), "k€", 1, "123 456 789 012 345 678,9"),   # half to even
    (Decimal("123456789012345678.95"), "k€", 1, "123 456 789 012 345 679,0"),
    (Decimal("-92233720368547758.50"), "€", 0, "-92 233 720 368 547 758"),
])
def test_format_amount_prints_an_amount_past_int64_cents(amount, unit, decimals, text):
    assert format_amount(amount, unit=unit, group=" ", decimals=decimals) == text
    english = text.replace(",", ".").replace(" ", ",")
    assert format_amount(amount, unit=unit, group=",", decimal=".", decimals=decimals) == english


def test_format_amount_past_int64_cents_still_refuses_a_fraction_of_a_cent():
    with pytest.raises(essconv.AmountError, match="cents cannot hold it"):
        format_amount(Decimal("-92233720368547758.085"))


def test_format_amount_past_int64_cents_agrees_with_the_core_at_the_edge():
    # the last amounts that fit, printed by the core, beside the first that do not
    for cents in (2**63 - 1, -(2**63)):
        for decimals in (-1, 0, 2):
            inside = format_amount(Decimal(cents) / 100, decimals=decimals)
            assert inside == _core.format_amount(cents, 100, "\u202f", ",", decimals)
    assert format_amount(Decimal(2**63) / 100) == "92\u202f233\u202f720\u202f368\u202f547\u202f758,08"


@given(st.integers(min_value=INT64_MIN, max_value=INT64_MAX))
def test_format_then_parse_gives_the_same_cents(cents):
    for group in (" ", "\u00a0", "\u202f", "."):
        text = _core.format_amount(cents, 100, group, ",", -1)   # "12.345" with "." groups:
        assert _core.parse_amount(text, decimal=",", unit=100)[0] == cents   # French, said
    english = _core.format_amount(cents, 100, ",", ".", -1)
    assert _core.parse_amount(english, decimal=".", unit=100)[0] == cents
    assert from_cents(cents) == Decimal(cents) / 100


@settings(max_examples=60)
@given(st.lists(st.integers(min_value=-10**12, max_value=10**12), min_size=1, max_size=3000))
def test_sums_of_many_cents_equal_decimal_sums(values):
    # the oracle: Python's Decimal on the printed texts, parsed by a plain independent reader
    texts = [_core.format_amount(v, 100, "\u202f", ",", 2) for v in values]
    oracle = sum((Decimal(t.replace("\u202f", "").replace(",", ".")) for t in texts), Decimal(0))
    cents = [to_cents(t) for t in texts]
    assert from_cents(_core.checked_sum(cents)) == oracle


@given(st.decimals(min_value=Decimal("-1e12"), max_value=Decimal("1e12"), places=2,
                   allow_nan=False, allow_infinity=False))
def test_decimal_round_trip(d):
    assert from_cents(to_cents(d)) == d


def test_parse_amount_with_an_unknown_decimal_mark_given_by_keyword_raises():
    # essconv.parse_amount passes decimal= as a keyword: the error message read the mark from
    # the positional arguments, past their end (a segfault in the notebook)
    from conftest import run_isolated
    done = run_isolated("""
        import essconv
        from essconv import _core
        for call in (lambda: essconv.parse_amount("12", decimal=";"),
                     lambda: _core.parse_amount("12", decimal="x", unit=100),
                     lambda: _core.parse_amount("12", "x")):
            try:
                call()
            except ValueError as exc:
                assert "decimal must be ',' or '.'" in str(exc), exc
            else:
                raise AssertionError("no error")
        print("raised")
    """)
    assert done.returncode == 0 and "raised" in done.stdout, done.stderr


def test_an_unknown_unit_given_to_the_core_is_named():
    # the message's format string held "€": PyErr_Format refused it, and the ValueError said
    # "PyUnicode_FromFormatV() expects an ASCII-encoded format string" instead
    for unit in (7, "kilo"):
        with pytest.raises(ValueError, match="unknown unit .*: expected €, k€ or M€"):
            _core.to_cents(1, unit)


# ------------------------------------------------------------------------------ shares of a whole
def twin_shares_of(parts, whole):
    """The slow obvious twin: each quota in tenths of a percent by Fraction, rounded half away
    from zero on its own; 0 only for a part of zero, 100 only for the whole."""
    from fractions import Fraction
    out = []
    for p in parts:
        quota = Fraction(p) * 1000 / Fraction(whole)
        tenths = int(abs(quota) + Fraction(1, 2)) * (1 if quota >= 0 else -1)
        if tenths == 0 and p != 0:
            tenths = 1 if quota > 0 else -1
        if tenths == 1000 and p != whole:
            tenths = 999 if quota < 1000 else 1001
        out.append(Decimal(tenths) / 10)
    return out


@settings(max_examples=300, deadline=None)
@given(st.lists(st.decimals(min_value=-10**6, max_value=10**6, places=2, allow_nan=False,
                            allow_infinity=False), min_size=1, max_size=7))
def test_shares_of_are_each_rounded_on_its_own_equal_parts_equal_shares(parts):
    # by largest remainders two equal parts could show 9,9 % and 10,0 %: each share is now
    # its own quota rounded half away from zero, whatever the other parts
    from fractions import Fraction
    from essconv.money import shares_add_up, shares_of
    whole = sum(parts, Decimal(0))
    shares = shares_of(parts, whole)
    if whole == 0:
        assert shares is None and shares_add_up(shares)
        return
    assert shares == twin_shares_of(parts, whole)
    for share, part in zip(shares, parts):
        assert abs(Fraction(share) - Fraction(part) * 100 / Fraction(whole)) < Fraction(1, 10)
        assert shares_of([part], whole) == [share]   # alone, the same share
    assert shares_add_up(shares) is (sum(shares) == 100)


def test_shares_of_are_rounded_half_away_from_zero_and_say_when_they_miss_100():
    from essconv.money import shares_add_up, shares_of
    assert shares_of([1, 1, 1], 3) == [Decimal("33.3")] * 3       # 99,9: the table says so
    assert not shares_add_up(shares_of([1, 1, 1], 3))
    assert shares_of([1, 1, 4], 6) == [Decimal("16.7"), Decimal("16.7"), Decimal("66.7")]  # 100,1
    assert shares_add_up(shares_of([1, 1, 2], 4))                   # 25 + 25 + 50
    assert shares_of([805, 805, 6495], 8105) == [Decimal("9.9"), Decimal("9.9"), Decimal("80.1")]
    assert shares_of([1], 16) == [Decimal("6.3")]                   # 6,25: half away, not even
    assert shares_of([-1], 16) == [Decimal("-6.3")]
    assert shares_of([1, 1], 3) == [Decimal("33.3"), Decimal("33.3")]   # a third is missing
    assert shares_of([Decimal("2.5"), Decimal("-0.5")], 2) == [Decimal("125.0"), Decimal("-25.0")]
    assert shares_of([1, 2], 0) is None
    # 0 only for nothing, 100 only for the whole (as an execution rate's)
    assert shares_of([Decimal("0.01"), 0, Decimal("9999.99")], 10000) == \
        [Decimal("0.1"), Decimal("0.0"), Decimal("99.9")]
    assert shares_of([Decimal("-0.01"), Decimal("10000.01")], 10000) == \
        [Decimal("-0.1"), Decimal("100.1")]
    assert essconv.messages.language("en").shares([1, 1, 1], 3) == ["33.3%"] * 3
    assert essconv.messages.language("fr").shares([1], 0) == ["—"]
    assert essconv.messages.language("fr").shares_footnote([1], 0) is None   # the dash's own legend


@settings(max_examples=500, deadline=None)
@given(st.integers(min_value=-(2**63), max_value=2**63 - 1), st.sampled_from(["€", "k€", "M€"]),
       st.integers(min_value=0, max_value=9))
def test_format_amount_with_fewer_decimals_rounds_half_to_even_as_decimal_does(cents, unit, decimals):
    # format_amount(Decimal("1234.99"), decimals=0) printed "1 234": the cents were cut, and
    # -0,40 printed "-0"
    from decimal import ROUND_HALF_EVEN, localcontext
    amount = from_cents(cents, unit)
    with localcontext() as ctx:
        ctx.prec = 60
        want = amount.quantize(Decimal(1).scaleb(-decimals), rounding=ROUND_HALF_EVEN)
    text = format_amount(amount, unit=unit, group="", decimal=".", decimals=decimals)
    assert Decimal(text) == want
    assert not text.startswith("-") or want < 0   # never "-0"
    assert len(text.partition(".")[2]) == decimals


def test_format_amount_rounds_the_cases_a_reader_checks_by_eye():
    assert format_amount(Decimal("1234.99"), decimals=0) == "1\u202f235"
    assert format_amount(Decimal("-0.40"), decimals=0) == "0"
    assert format_amount(Decimal("2.5"), decimals=0) == "2"      # half to even
    assert format_amount(Decimal("3.5"), decimals=0) == "4"
    assert format_amount(Decimal("12.25"), unit="k€", decimals=1) == "12,2"


@pytest.mark.parametrize("prec", [2, 3, 4])
def test_shares_of_keeps_its_own_decimal_context(prec):
    # the shares were multiplied back by the step in the caller's context:
    # with a precision of 3, 100 % read 1.00E+2 and 12.5 % (in steps of 0.01) read 12.5 or 13
    import decimal
    from essconv.money import shares_of
    cases = [([1], 1, Decimal("0.1")), ([1, 7], 8, Decimal("0.01")), ([1, 1, 1], 3, Decimal("0.1"))]
    with decimal.localcontext(decimal.Context(prec=60)):
        want = [shares_of(parts, whole, step) for parts, whole, step in cases]
    with decimal.localcontext() as ctx:
        ctx.prec, ctx.rounding = prec, decimal.ROUND_DOWN
        got = [shares_of(parts, whole, step) for parts, whole, step in cases]
    assert [[str(s) for s in shares] for shares in got] == \
        [[str(s) for s in shares] for shares in want]
    assert sum(got[1]) == 100 and str(got[0][0]) == "100.0" and str(got[2][0]) == "33.3"


# One cent past each end of int64 cents, and far past: every way an amount is given.  An
# amount under the floor (a single row, so no sum at all) raised MoneyOverflowError with
# ``below`` False -- a huge negative amount worded "beyond 92 233 720 368 547 758,07 €".
_FLOOR, _CEILING = -(2**63), 2**63 - 1
_PAST = [("-92233720368547758,09", True), ("92233720368547758,08", False),
         ("-100000000000000000000,00", True), ("100000000000000000000,00", False)]


def _side_of(make) -> bool:
    with pytest.raises(essconv.MoneyOverflowError) as caught:
        make()
    return caught.value.below


@pytest.mark.parametrize("text, below", _PAST)
def test_an_amount_past_int64_cents_says_its_side_from_every_reader(text, below):
    import io

    import pyarrow as pa

    from essconv import Ledger
    number = Decimal(text.replace(",", "."))   # the twin: the amount's own sign
    assert (number < 0) == below
    whole = int(number)
    cents = int(number * 100)
    makers = {
        "to_cents text": lambda: to_cents(text),
        "to_cents Decimal": lambda: to_cents(number),
        "to_cents Decimal 1E+25": lambda: to_cents(Decimal(f"{'-' if below else ''}1E+25")),
        "to_cents int": lambda: to_cents(whole * 10**4),
        "from_columns text": lambda: Ledger.from_columns({"a": [text]}, amount="a"),
        "from_columns Decimal": lambda: Ledger.from_columns({"a": [number]}, amount="a"),
        "from_columns int": lambda: Ledger.from_columns({"a": [whole * 10**4]}, amount="a"),
        "from_columns cents": lambda: Ledger.from_columns({"a": [cents]}, amount="a",
                                                          cents=True),
        "read_csv": lambda: Ledger.read_csv(io.StringIO(f"k;a\nx;{text}\n"), amount="a"),
        "arrow decimal128": lambda: Ledger.from_columns(
            pa.table({"a": pa.array([number], pa.decimal128(38, 2))}), amount="a"),
        "arrow decimal256": lambda: Ledger.from_columns(
            pa.table({"a": pa.array([number * 10**40], pa.decimal256(76, 2))}), amount="a"),
        "arrow int64 euros": lambda: Ledger.from_columns(
            pa.table({"a": pa.array([_FLOOR // 10 if below else _CEILING // 10], pa.int64())}),
            amount="a"),
    }
    sides = {name: _side_of(make) for name, make in makers.items()}
    assert sides == {name: below for name in makers}


@pytest.mark.parametrize("total, below", [([_FLOOR, -1], True), ([_CEILING, 1], False)])
def test_a_siret_summed_past_int64_cents_under_one_name_says_its_side(total, below):
    from essconv import Ledger
    ledger = Ledger.from_columns({"a": total, "nom": ["Assoc A", "Assoc A"],
                                  "siret": ["123", "1 23"]}, amount="a", cents=True)
    assert _side_of(lambda: ledger.similar_labels("nom", siret="siret")) == below
