"""Exact amounts for the analyst: text as printed <-> ``decimal.Decimal``.

The work is done by the C core on int64 cents; this module only converts.  A float is refused
everywhere: ``0.1 + 0.2`` is not a sum of money.
"""
from __future__ import annotations

import operator
from decimal import ROUND_HALF_EVEN, Context, Decimal
from fractions import Fraction
from typing import Callable, Iterable, Sequence

import essconv._core as _core
from .errors import (AmountError, AmountTypeError, ArgumentTypeError, InvalidValueError,
                     MoneyOverflowError, refuse_lone_surrogate)

#: unit symbol -> cents in one unit
UNITS = {"€": _core.UNIT_EUR, "k€": _core.UNIT_KEUR, "M€": _core.UNIT_MEUR}
_SYMBOL = {v: k for k, v in UNITS.items()}


# the largest amount int64 cents hold, written for an English message (a French one groups
# it with narrow no-break spaces and a decimal comma, from the reason its error carries)
INT64_CENTS_EN = f"{Decimal(2**63 - 1).scaleb(-2):,}"
#: the same limit as a French message writes it: narrow no-break spaces, a decimal comma
INT64_CENTS_FR = _core.format_amount(2**63 - 1, _core.UNIT_EUR, "\u202f", ",", 2)
#: the smallest amount int64 cents hold (the floor a negative sum falls below), both ways
INT64_FLOOR_CENTS_EN = f"{Decimal(-2**63).scaleb(-2):,}"
INT64_FLOOR_CENTS_FR = _core.format_amount(-2**63, _core.UNIT_EUR, "\u202f", ",", 2)


def unit_cents(unit: str | None) -> int:
    """Cents in one ``unit`` ('€', 'k€', 'M€'; also 'K€', 'keur', 'en K€'...)."""
    if unit is None:
        return _core.UNIT_EUR
    if not isinstance(unit, str):
        # "1 " + unit raised a bare TypeError about str concatenation, naming no argument
        raise ArgumentTypeError(f"unit must be a str ('€', 'k€' or 'M€'), not "
                                f"{type(unit).__name__} {unit!r}")
    if unit in UNITS:
        return UNITS[unit]
    try:
        cents, _ = _core.parse_amount("1 " + unit) or (0, 0)
    except (ValueError, OverflowError):
        # 'kilo' made the amount parser's error on '1 kilo', a text the user never wrote
        cents = 0
    if cents in _SYMBOL:
        return cents
    raise InvalidValueError(f"unknown unit {unit!r}: expected €, k€ or M€")


def total_for_repr(printed_total: Callable[[], str]) -> str:
    """``total ...`` as a repr shows it: what is there, an overflowing sum included (a repr
    never raises).  ``printed_total`` prints the total with its unit."""
    try:
        return f"total {printed_total()}"
    except MoneyOverflowError as exc:   # its side: a huge negative total is no huge positive one
        return f"total {'below' if exc.below else 'beyond'} int64 cents (overflow)"


def unit_symbol(cents_per_unit: int) -> str:
    return _SYMBOL[cents_per_unit]


#: the arithmetic of a percentage: exact for any two amounts of int64 cents, rounded half-even
#: as documented whatever the caller's decimal context says (a ROUND_HALF_UP set for other
#: work, or a precision of 4, made 6,25 % read 6,3 % or 1 234 567,89 € read 1,235E+6)
PERCENT_CONTEXT = Context(prec=80, rounding=ROUND_HALF_EVEN)


def exact_sum(values: Iterable[Decimal | int], minus: Iterable[Decimal | int] = ()) -> Decimal:
    """The sum of ``values`` less those of ``minus``, exact whatever the caller's decimal
    context (a precision of 6 made 13 573 064,91 € read 1,35731E+7 in a ``sum()``).

    Example: ``exact_sum([Decimal("1.50"), 2], minus=[Decimal("0.25")])`` -> ``Decimal('3.25')``"""
    c = PERCENT_CONTEXT
    total = Decimal(0)
    for v in values:
        total = c.add(total, Decimal(v))
    for v in minus:
        total = c.subtract(total, Decimal(v))
    return total


def percent_of(part: Decimal | int, whole: Decimal | int, step: Decimal) -> Decimal:
    """``part`` as a percentage of ``whole`` (not zero), rounded half-even to ``step``.

    Example: ``percent_of(1, 16, Decimal("0.1"))`` -> ``Decimal('6.2')``"""
    c = PERCENT_CONTEXT
    return c.divide(c.multiply(Decimal(part), 100), Decimal(whole)).quantize(step, context=c)


def shares_of(parts: Sequence[Decimal | int], whole: Decimal | int,
              step: Decimal = Decimal("0.1")) -> list[Decimal] | None:
    """Each part as a percentage of ``whole``, in multiples of ``step``, each rounded on its
    own, half away from zero, so that equal parts always show equal shares (a largest-remainder
    rounding gave two funders of 805 k€ 9,9 % and 10,0 %, read as one figure wrong).  The
    shares may then not add up to exactly 100: :func:`shares_add_up` says whether they do, and
    a table whose shares do not carries a footnote saying they were rounded one by one.

    As an execution rate's: 0 only when the part is zero (a part under half a step shows one
    step, with its sign) and 100 only when the part is the whole (99.97 % shows 99.9, 100.04 %
    shows 100.1).  Exact: integer arithmetic on the amounts' exact fractions, never a float, and
    whatever the caller's Decimal context.  A whole of zero has no shares: None.

    Example: ``shares_of([1, 1, 1], 3)`` -> ``[Decimal('33.3'), Decimal('33.3'), Decimal('33.3')]``
    (adding up to 99.9: the table says so)
    """
    whole_f = Fraction(Decimal(whole))
    if whole_f == 0:
        return None
    step_f = Fraction(Decimal(step))
    hundred = round(100 / step_f)   # 100 % in steps (1 000 for 0.1)
    shares = []
    for p in parts:
        part = Fraction(Decimal(p))
        quota = part * 100 / (whole_f * step_f)   # in steps, exact
        units, rest = divmod(abs(quota.numerator), quota.denominator)
        if 2 * rest >= quota.denominator:   # half away from zero
            units += 1
        if units == 0 and part != 0:   # 0 says nothing: a small part is one step, not none
            units = 1
        sign = -1 if quota < 0 else 1
        if sign * units == hundred and part != whole_f:   # 100 says the whole, nothing else
            units += -1 if quota < hundred else 1
        shares.append(PERCENT_CONTEXT.multiply(Decimal(sign * units), Decimal(step)))
    return shares


def shares_add_up(shares: Sequence[Decimal] | None) -> bool:
    """Do the shares shown add up to exactly 100 (or are there none, a zero whole's)?  When
    not, the table that shows them says they were rounded one by one."""
    return shares is None or sum(shares, Decimal(0)) == 100


def parse_amount(text: str, *, unit: str = "€", decimal: str | None = None,
                 dash_is_zero: bool = False) -> Decimal | None:
    """Read an amount as documents print it, exactly, in ``unit``.

    French by default — ``1 228``, ``1\\u00a0228``, ``1\\u202f228``, ``12,5``, ``1.234,56`` —
    and English with ``decimal='.'`` (``1,234.56``).  ``(12)`` is −12; a unit written after the
    number (``€``, ``k€``, ``M€``, ``keur``) is honoured.  Returns None for a blank text.
    Malformed text raises :class:`essconv.AmountError` quoting it and saying where it breaks.
    A point before three digits and nothing else (``12.500``: 12 500 or 12,5?) is refused
    unless ``decimal`` says which: ``decimal=','`` reads it French (the point groups).  A
    ``decimal`` given is the only decimal mark: with ``decimal=','`` a point only groups
    thousands, and ``1.23`` is refused (without it, ``1.23`` reads 1,23).

        >>> parse_amount("1 234,56")
        Decimal('1234.56')
        >>> parse_amount("12,5 k€", unit="€")
        Decimal('12500')
        >>> parse_amount("1 2618")
        Traceback (most recent call last):
        ...
        essconv.errors.AmountError: '1 2618' is not an amount: a group of more than three digits after a thousands separator (character 3)
    """
    base = unit_cents(unit)
    try:
        result = _core.parse_amount(text, decimal=decimal, unit=base, dash_is_zero=dash_is_zero)
    except UnicodeEncodeError:   # a lone surrogate: an essconv error naming the argument
        refuse_lone_surrogate(text, "parse_amount's text")
        raise
    if result is None:
        return None
    return _core.to_decimal(result[0], base)


def to_cents(amount: Decimal | int | str, unit: str = "€", *, decimal: str | None = None) -> int:
    """Exact int cents of a Decimal, int or printed amount in ``unit``; a float is refused.
    A printed amount is read as :func:`parse_amount` reads it (``decimal`` likewise)."""
    if decimal is not None and isinstance(amount, str):
        base = unit_cents(unit)
        result = _core.parse_amount(amount, decimal=decimal, unit=base)
        if result is None:
            raise AmountError("a blank text is not an amount")
        return result[0]
    return _core.to_cents(amount, unit_cents(unit))


def given_cents(value: object, column: str = "amount", row: int | None = None) -> int:
    """An amount given in cents (``from_columns(..., cents=True)``): an int, or a Decimal or
    text that is a whole number.  ``int()`` took ``Decimal("1.50")`` for 1 cent and the float
    1.9 for 1, silently; a float, a bool, a fraction of a cent or a missing value is refused,
    naming the column and the row (counted from 1)."""
    at = f"column {column!r}" + (f", row {row}" if row is not None else "")
    if isinstance(value, (bool, float)) or value is None:
        what = "missing" if value is None else f"{value!r} ({type(value).__name__})"
        raise AmountTypeError(f"{at}: an amount in cents is an int, not {what}")
    if isinstance(value, Decimal):
        if not value.is_finite() or value != value.to_integral_value():
            raise AmountError(f"{at}: {value} is not a whole number of cents")
        cents = int(value)
    elif isinstance(value, str):
        text = value.strip()
        if not text.lstrip("+-").isascii() or not text.lstrip("+-").isdigit() or \
                text.count("-") + text.count("+") > 1:
            raise AmountError(f"{at}: {value!r} is not a whole number of cents")
        cents = int(text)
    else:
        try:
            cents = operator.index(value)   # an int, or numpy's int64 and kin
        except TypeError:
            raise AmountTypeError(f"{at}: an amount in cents is an int, not {value!r} "
                                  f"({type(value).__name__})") from None
    if not -(2**63) <= cents < 2**63:
        error = MoneyOverflowError(f"{at}: {cents} cents do not fit int64")
        error.below = cents < 0   # its side: a huge negative amount is under the floor
        raise error
    return cents


def from_cents(cents: int, unit: str = "€") -> Decimal:
    """The Decimal that ``cents`` make in ``unit``, exactly."""
    return _core.to_decimal(cents, unit_cents(unit))


def shown_decimals(unit: str, values: "Iterable[Decimal | int | None]") -> int:
    """The decimals euros are shown with: both cent digits as soon as one of ``values`` has
    cents ("1,50", never "1,5"), none for whole euros; k€ and M€ as each figure prints (-1).

    Example: ``shown_decimals("€", [Decimal("1.5")])`` -> ``2``"""
    if unit != "€":
        return -1
    return 2 if any(v is not None and Decimal(v) != Decimal(v).to_integral_value()
                    for v in values) else -1


def format_amount(amount: Decimal | int, *, unit: str = "€", group: str = "\u202f",
                  decimal: str = ",", decimals: int = -1) -> str:
    """Print an amount the French way: ``format_amount(Decimal('8115'))`` -> ``'8 115'``
    (narrow no-break spaces by default, as typography wants; pass ``group=' '`` for plain
    spaces).  ``decimals=-1`` shows only the decimals there are.  An amount past int64 cents
    (a sum made in Python's Decimal) is printed too, by the same rules."""
    per = unit_cents(unit)
    try:
        cents = to_cents(amount, unit)
    except MoneyOverflowError:
        # too large for the core's exact cents, not for Decimal: it is still a number to show
        cents = _whole_cents(amount, unit, per)
        _core.format_amount(0, per, group, decimal, decimals)   # the core's checks of the marks
        return _format_any_cents(cents, per, group, decimal, decimals)
    return _core.format_amount(cents, per, group, decimal, decimals)


def _whole_cents(amount: Decimal | int, unit: str, per: int) -> int:
    """The exact cents of ``amount`` in ``unit``, any size; a fraction of a cent refused as
    :func:`to_cents` refuses it."""
    try:
        exact = Fraction(amount if isinstance(amount, Decimal) else operator.index(amount)) * per
    except TypeError:
        raise AmountTypeError(f"an amount is a Decimal or an int, not {amount!r} "
                              f"({type(amount).__name__})") from None
    if exact.denominator != 1:
        places = len(str(per)) - 1
        raise AmountError(f"'{amount}' has more than {places} decimals of {unit}: cents cannot "
                          f"hold it")
    return exact.numerator


def _format_any_cents(cents: int, per: int, group: str, decimal: str, decimals: int) -> str:
    """``cents`` printed as the core's ess_money_format prints int64 cents (money.c), for any
    int: fewer decimals than the unit holds rounded half to even, ``decimals=-1`` dropping the
    trailing zeros, no "-0".  What must stay true: equal to the core's text wherever both run."""
    places = len(str(per)) - 1           # per is a power of ten: 100 for €, 10^5 for k€
    m = abs(cents)
    if 0 <= decimals < places:
        step = 10 ** (places - decimals)
        q, r = divmod(m, step)
        m = (q + (r > step // 2 or (r == step // 2 and q % 2 == 1))) * step
    whole, rest = divmod(m, per)
    fraction = f"{rest:0{places}d}" if places else ""
    fraction = fraction.rstrip("0") if decimals < 0 else fraction[:decimals].ljust(decimals, "0")
    grouped = f"{whole:,}".replace(",", group)   # whole >= 0: Python's grouping by three
    mark = decimal or ","
    return ("-" if cents < 0 and m > 0 else "") + grouped + (mark + fraction if fraction else "")
