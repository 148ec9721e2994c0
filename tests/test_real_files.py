"""Every real file in tests/data, now and later, read twice: by essconv, and by an obvious twin
written here (decode, split with the csv module, parse French amounts with a tiny Decimal
parser).  Counts and totals must agree to the cent; a new file is covered by being there."""
from __future__ import annotations

import csv
import datetime as dt
import io
import re
import warnings
from decimal import Decimal

import pytest

from essconv import RepairedRowsWarning
from essconv.scdl import read_scdl
from conftest import DATA

TABULAR = (".csv", ".tsv", ".txt")
FILES = sorted(p for p in DATA.rglob("*") if p.is_file() and p.suffix.lower() in TABULAR)
AMOUNT_NAMES = ("montant", "sub_montant",     # the schema's name, its older one,
                "montant total de la subvention")  # the decree's label (DILCRAH: with a "*")
DATE_NAMES = ("dateconvention", "acte_date", "date de convention")
NATURES = ("aide en numéraire", "aide en nature")   # the nature enum, to anchor ragged rows


def twin_amount(text: str) -> Decimal | None:
    """A French amount as a person reads it: spaces group, a comma (or a lone point) is the
    decimal mark, at most two decimals.  None when it is not an amount."""
    s = re.sub(r"[\s\u00a0\u202f]", "", text)
    if "," in s and "." in s:
        s = s.replace(".", "").replace(",", ".")
    s = s.replace(",", ".")
    if not re.fullmatch(r"[-+]?(\d+(\.\d*)?|\.\d+)", s):
        return None
    value = Decimal(s)
    return value if value == value.quantize(Decimal("0.01")) else None


def twin_date_ok(text: str) -> bool:
    """A date as French files print it (ISO, 2017/09/08, 08/09/2017...), a time ignored."""
    day = re.split(r"[T ]", text.strip(), maxsplit=1)[0]
    if not day:
        return True
    for form in ("%Y-%m-%d", "%Y/%m/%d", "%d/%m/%Y", "%d-%m-%Y", "%d.%m.%Y"):
        try:
            dt.datetime.strptime(day, form)
        except ValueError:
            continue
        return True
    return False


def decoded(raw: bytes) -> str:
    """A grant file's text as its publisher wrote it: UTF-8 (a BOM before it dropped), else
    CP1252."""
    if raw.startswith(b"\xef\xbb\xbf"):
        raw = raw[3:]
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError:
        return raw.decode("cp1252")


def twin(raw: bytes) -> tuple[int, Decimal, int]:
    """(records read, their total, records set aside) of a grant file."""
    text = decoded(raw)
    first = text.splitlines()[0]
    delimiter = max(";,\t|", key=first.count)
    rows = list(csv.reader(io.StringIO(text, newline=""), delimiter=delimiter))
    header = [h.strip().strip("*").strip().lower() for h in rows[0]]
    k = next(i for i, h in enumerate(header) if h in AMOUNT_NAMES)
    d = next((i for i, h in enumerate(header) if h in DATE_NAMES), None)
    records, total, aside = 0, Decimal(0), 0
    for row in rows[1:]:
        if not any(c.strip() for c in row):
            continue                                    # a blank row: counted, not a record
        if len(row) > len(header) and delimiter == "," and "nature" in header:
            # an unquoted "25 000,00" in a "," file: the amount is what precedes the nature
            # cell, its last cell being the cents when it is two digits (the anchored reading)
            at = next((i for i, c in enumerate(row) if c.strip().lower() in NATURES), None)
            if at is not None and at >= 2:
                cents = re.fullmatch(r"\d\d", row[at - 1].strip())
                row = row[:k] + [row[at - 2] + "," + row[at - 1] if cents else row[at - 1]] + \
                    row[at:at + len(header) - k - 1]
        amount = twin_amount(row[k]) if len(row) > k else None
        if len(row) != len(header) or amount is None or \
                (d is not None and not twin_date_ok(row[d])):
            aside += 1
            continue
        records += 1
        total += amount
    return records, total, aside


def has_amount_column(raw: bytes) -> bool:
    head = raw[:4096].decode("cp1252", errors="replace").splitlines()[0].lower()
    return any(re.search(rf"(^|[;,\t|\"])\s*{name}\*?\s*($|[;,\t|\"])", head)
               for name in AMOUNT_NAMES)


def test_there_are_real_files():
    assert len(FILES) >= 4


@pytest.mark.parametrize("path", FILES, ids=lambda p: str(p.relative_to(DATA)))
def test_count_and_total_equal_an_independent_reading(path):
    raw = path.read_bytes()
    if not has_amount_column(raw):
        pytest.fail(f"{path.name}: no differential reading for a file without a montant "
                    f"column yet; add its twin here")
    records, total, aside = twin(raw)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RepairedRowsWarning)   # said and tested in test_scdl
        ledger = read_scdl(path)
    assert (len(ledger), ledger.total(), len(ledger.bad_rows)) == (records, total, aside)


@pytest.mark.parametrize("path", FILES, ids=lambda p: str(p.relative_to(DATA)))
def test_execution_accounts_for_every_record(path):
    import essconv
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", essconv.EssconvWarning)   # repaired rows, none matched
        ledger = read_scdl(path)
        a = essconv.default().execution(2009, ledger).accounting   # the plan the convention ships
    assert (a.records, a.amount, a.set_aside) == (len(ledger), ledger.total(), len(ledger.bad_rows))
    assert a.matched + a.outside_year + a.unmapped == a.records
    assert a.matched_amount + a.outside_amount + a.unmapped_amount == ledger.total()
