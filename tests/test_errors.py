"""A slip in an argument is refused as an essconv.Error naming the argument, whichever layer
sees it first: the Python API or the C binding under it (which raised bare ValueError and
TypeError).  Each error stays the builtin it replaced, so ``except ValueError`` keeps working."""
from __future__ import annotations

import pytest

import essconv
from essconv import Ledger, _core, money
from essconv.errors import ArgumentTypeError, InvalidValueError


@pytest.fixture
def csv_file(tmp_path):
    path = tmp_path / "subventions.csv"
    path.write_text("montant;nom\n1;a\n", encoding="utf-8")
    return path


def _slips(csv_file):
    return [
        ("decimal", lambda: money.parse_amount("1", decimal=";")),
        ("decimal", lambda: essconv.format_amount(1, decimal="é")),
        ("delimiter", lambda: Ledger.read_csv(csv_file, amount="montant", delimiter="é")),
        ("decimal", lambda: Ledger.read_csv(csv_file, amount="montant", decimal="é")),
        ("unit", lambda: _core.to_cents(1, "kilo")),
        ("unit", lambda: _core.format_amount(1, "kilo")),
    ]


def test_a_wrong_value_given_to_the_public_api_is_an_invalid_value_error(csv_file):
    for argument, call in _slips(csv_file):
        with pytest.raises(InvalidValueError) as caught:
            call()
        assert isinstance(caught.value, ValueError)
        assert argument in str(caught.value), (argument, str(caught.value))


def test_a_unit_of_a_wrong_type_is_an_argument_type_error_naming_the_unit():
    for call in (lambda: money.to_cents(1, unit=7), lambda: money.from_cents(1, unit=7),
                 lambda: essconv.format_amount(1, unit=7)):
        with pytest.raises(ArgumentTypeError) as caught:
            call()
        assert isinstance(caught.value, TypeError)
        assert "unit" in str(caught.value)
