"""Every real grant file of tests/data as analysts get it back from Excel: re-saved in CP1252
with `;`, decimal commas, thousands grouped by NBSP, U+202F or spaces, a UTF-8 BOM before a
CP1252 body, CRLF, no newline after the last line, quoted cells holding `;` and line breaks, an
empty trailing column.  The dressed file is written here from the original parsed with Python's
csv module (the original is never touched), and read back by `Ledger.read_csv`, `read_scdl`
and `validate_scdl`.  The oracle is computed here too, with Decimal, from the parsed original:
the same records, the same sums per beneficiary and per attribuant, the same bad rows at the
lines the dress puts them on, nothing dropped."""
from __future__ import annotations

import csv
import io
import re
import warnings
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

import pytest

import essconv
from essconv import Ledger
from essconv.scdl import read_scdl, validate_scdl
from conftest import SCDL
from scdl_validate_twin import validate_scdl_twin
from test_real_files import decoded, twin_amount

# the DILCRAH header's mojibake "Ã\u00a0" is C3 A0 in CP1252, a valid UTF-8 "à": said, rightly
pytestmark = pytest.mark.filterwarnings("ignore::essconv.MixedEncodingWarning")

FILES = sorted(SCDL.glob("*.csv"))
AMOUNTS = ("montant", "sub_montant", "montant total de la subvention")
BENEFICIARIES = ("nombeneficiaire", "attrib_nom", "nom du bénéficiaire")
ATTRIBUANTS = ("nomattribuant", "coll_nom", "nom attributaire")
NATURES = ("aide en numéraire", "aide en nature")


def plain(name: str) -> str:
    return name.strip().strip("*").strip().lower()


# an amount as a person reads it, the oracle test_real_files checks the reader against
amount_of = twin_amount


@dataclass
class Original:
    """A grant file parsed by the csv module: its header and its rows, each row either a
    record (as many cells as the header) or a blank row."""
    header: list[str]
    rows: list[list[str]]
    amount: int = 0
    beneficiary: int = 0
    attribuant: int = 0


def parse(raw: bytes) -> Original:
    text = decoded(raw)
    delimiter = max(";,", key=text.splitlines()[0].count)
    rows = list(csv.reader(io.StringIO(text, newline=""), delimiter=delimiter))
    header, body = rows[0], rows[1:]
    names = [plain(h) for h in header]
    k = next(i for i, h in enumerate(names) if h in AMOUNTS)
    fixed = []
    for row in body:
        if len(row) > len(header) and delimiter == ",":
            # "25 000,00" unquoted in a "," file: the amount is what precedes the nature cell
            # (its last cell the cents when two digits), the fields after it follow in order
            at = next(i for i, c in enumerate(row) if c.strip().lower() in NATURES)
            cents = re.fullmatch(r"\d\d", row[at - 1].strip())
            amount = row[at - 2] + "," + row[at - 1] if cents else row[at - 1]
            row = row[:k] + [amount] + row[at:at + len(header) - k - 1]
            assert len(row) == len(header)
        fixed.append(row)
    return Original(header, fixed, k,
                    next(i for i, h in enumerate(names) if h in BENEFICIARIES),
                    next(i for i, h in enumerate(names) if h in ATTRIBUANTS))


def blank(row: list[str]) -> bool:
    return not any(c.strip() for c in row)


@dataclass(frozen=True)
class Dress:
    encoding: str = "cp1252"
    bom: bool = False                   # a UTF-8 BOM written before the body, whatever it is
    group: str = "\u00a0"               # the thousands separator
    newline: str = "\r\n"
    last_newline: bool = True
    quoted_breaks: bool = False         # `;` and a line break inside quoted cells
    trailing_column: bool = False       # an empty column after the last one
    short_past_16: bool = False         # Excel leaves that column's delimiter out past line 16


DRESSES = {
    "excel-cp1252-nbsp-crlf": Dress(),
    "bom-before-cp1252": Dress(bom=True),
    "utf8-narrow-nbsp": Dress(encoding="utf-8", group="\u202f"),
    "cp1252-spaces-lf": Dress(group=" ", newline="\n"),
    "no-last-newline": Dress(last_newline=False),
    "quoted-semicolons-and-breaks": Dress(quoted_breaks=True),
    "empty-trailing-column": Dress(trailing_column=True),
    "excel-past-line-16": Dress(trailing_column=True, short_past_16=True),
    "everything-at-once": Dress(bom=True, quoted_breaks=True, trailing_column=True,
                                short_past_16=True, last_newline=False),
}


def french(value: Decimal, group: str, whole: bool) -> str:
    """A Decimal as a French Excel prints it: grouped thousands, a decimal comma; a whole
    amount either bare or with ",00" (a sheet shows both, by its cell format)."""
    sign = "-" if value < 0 else ""
    units, cents = divmod(abs(value).quantize(Decimal("0.01")) * 100, 100)
    digits = f"{int(units):,}".replace(",", group)
    return sign + digits + ("" if whole and cents == 0 else f",{int(cents):02d}")


@dataclass
class Expected:
    text: str
    records: int = 0
    total: Decimal = Decimal(0)
    blank: int = 0
    by_beneficiary: dict = field(default_factory=lambda: defaultdict(Decimal))
    by_attribuant: dict = field(default_factory=lambda: defaultdict(Decimal))
    bad_lines: list = field(default_factory=list)       # lines where bad records start
    amounts: dict = field(default_factory=dict)         # a record's line: (its cell, its value)


def encodable(text: str, encoding: str) -> str:
    """What survives a save in that encoding (Excel writes '?' for what CP1252 lacks)."""
    return text.encode(encoding, errors="replace").decode(encoding)


def redress(original: Original, dress: Dress) -> tuple[bytes, Expected]:
    """The original's rows written in the dress, and what a reading of them must give."""
    def cell(text: str) -> str:
        text = encodable(text, dress.encoding)
        if any(c in text for c in ';"\r\n'):
            return '"' + text.replace('"', '""') + '"'
        return text

    def line(cells: list[str], at: int = 1) -> str:
        # Excel writes no delimiter for blank cells at a row's end past a sheet's 16th row
        trailing = dress.trailing_column and not (dress.short_past_16 and at > 16)
        return ";".join(cell(c) for c in cells) + (";" if trailing else "")

    lines = [line(original.header)]
    at = 2                                            # the line the next row starts on
    expected = Expected("")
    for n, row in enumerate(original.rows):
        row = list(row)
        if blank(row):
            expected.blank += 1
        else:
            value = amount_of(row[original.amount])
            if value is not None:
                row[original.amount] = french(value, dress.group, whole=n % 2 == 0)
            if dress.quoted_breaks and n % 3 == 0:
                # a beneficiary's name holding ";" and an objet over two lines, as a sheet
                # keeps what was typed in a cell with Alt+Enter
                row[original.beneficiary] += " ; section locale"
                others = [i for i in range(len(row)) if i not in
                          (original.amount, original.beneficiary, original.attribuant)]
                row[others[-1]] += "\nsuite de la cellule"
            row = [encodable(c, dress.encoding) for c in row]
            if value is None:
                expected.bad_lines.append(at)
            else:
                expected.records += 1
                expected.amounts[at] = (row[original.amount], value)
                expected.total += value
                expected.by_beneficiary[row[original.beneficiary]] += value
                expected.by_attribuant[row[original.attribuant]] += value
        text = line(row, at)
        lines.append(text)
        at += text.count("\n") + 1
    if not dress.last_newline and lines[-1] == "":
        lines.pop()                 # a blank last line with no newline after it is no line
        expected.blank -= 1
    text = dress.newline.join(lines)
    if dress.last_newline:
        text += dress.newline
    raw = text.encode(dress.encoding)
    if dress.bom:
        raw = b"\xef\xbb\xbf" + raw
    expected.text = text
    return raw, expected


def sums(ledger, column) -> dict:
    return {k: v for k, v in ledger.group_by(column).sum().to_dict().items()}


def strip_keys(d: dict) -> dict:
    out: dict = defaultdict(Decimal)
    for k, v in d.items():
        out[(k or "").strip()] += v
    return dict(out)


CASES = [(p, d) for p in FILES for d in DRESSES]


@pytest.mark.parametrize("path,dress", CASES, ids=[f"{p.stem}-{d}" for p, d in CASES])
def test_read_scdl_reads_a_dressed_file_as_the_original(path, dress, tmp_path):
    original = parse(path.read_bytes())
    raw, expected = redress(original, DRESSES[dress])
    dressed = tmp_path / path.name
    dressed.write_bytes(raw)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", essconv.EssconvWarning)
        ledger = read_scdl(dressed)
    assert (len(ledger), ledger.total()) == (expected.records, expected.total)
    assert sorted(b.line for b in ledger.bad_rows) == expected.bad_lines
    assert ledger.blank_rows == expected.blank
    assert strip_keys(sums(ledger, "nomBeneficiaire")) == strip_keys(expected.by_beneficiary)
    assert strip_keys(sums(ledger, "nomAttribuant")) == strip_keys(expected.by_attribuant)


@pytest.mark.parametrize("path,dress", CASES, ids=[f"{p.stem}-{d}" for p, d in CASES])
def test_ledger_read_csv_reads_a_dressed_file_as_the_original(path, dress, tmp_path):
    original = parse(path.read_bytes())
    raw, expected = redress(original, DRESSES[dress])
    dressed = tmp_path / path.name
    dressed.write_bytes(raw)
    names = [encodable(h, DRESSES[dress].encoding) for h in original.header]
    ledger = Ledger.read_csv(dressed, amount=names[original.amount].strip(), bad_rows="collect")
    assert (len(ledger), ledger.total()) == (expected.records, expected.total)
    assert sorted(b.line for b in ledger.bad_rows) == expected.bad_lines
    assert ledger.blank_rows == expected.blank
    assert strip_keys(sums(ledger, names[original.beneficiary].strip())) == \
        strip_keys(expected.by_beneficiary)
    assert strip_keys(sums(ledger, names[original.attribuant].strip())) == \
        strip_keys(expected.by_attribuant)


@pytest.mark.parametrize("path,dress", CASES, ids=[f"{p.stem}-{d}" for p, d in CASES])
def test_validate_scdl_finds_the_dressed_amounts_on_their_lines(path, dress, tmp_path):
    """Every record counted; each amount the schema would not read (a decimal comma, grouped
    thousands) said on its line with the value it means; text and blanks on theirs."""
    original = parse(path.read_bytes())
    raw, expected = redress(original, DRESSES[dress])
    dressed = tmp_path / path.name
    dressed.write_bytes(raw)
    report = validate_scdl(dressed, max_findings=None)
    assert report.records == expected.records + len(expected.bad_lines)
    assert [f.row for f in report.findings if f.code == "row-length"] == []
    on_amount = [f for f in report.findings if f.field == "montant"]
    unread = {f.row: Decimal(f.suggestion) for f in on_amount if f.code == "number-format"}
    assert unread == {line: value for line, (text, value) in expected.amounts.items()
                      if not re.fullmatch(r"-?\d+(\.\d+)?", text)}
    assert sorted(f.row for f in on_amount if f.code != "number-format") == expected.bad_lines


@pytest.mark.parametrize("dress", ["excel-past-line-16", "everything-at-once"])
@pytest.mark.parametrize("path", FILES, ids=lambda p: p.stem)
def test_validate_scdl_finds_what_its_slow_twin_finds_in_a_dressed_file(path, dress, tmp_path):
    raw, _ = redress(parse(path.read_bytes()), DRESSES[dress])
    dressed = tmp_path / path.name
    dressed.write_bytes(raw)
    seen = lambda report: sorted((f.code, f.field, f.row, f.value) for f in report.findings)
    assert seen(validate_scdl(dressed, max_findings=None)) == seen(validate_scdl_twin(dressed))
