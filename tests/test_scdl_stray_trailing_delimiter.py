"""Every real grant file of tests/data with a stray delimiter typed at the end of every other
record (one blank cell past the header's last column, as a sheet or a hand leaves it): each such
row is read as its siblings are, its blank cell dropped, and said once with how many rows and
the first, by read_scdl (a RepairedRowsWarning) and validate_scdl (a `blank-past-header`
finding) alike.  The Vendée file's rows are ragged already (an unquoted `,` in its amounts and
prose): the stray cell must not push its cells one column to the right.  The oracle is the
original parsed by Python's csv module, its amounts read with Decimal (test_real_files' twin)."""
from __future__ import annotations

import re
import warnings
from decimal import Decimal

import pytest

import essconv
from essconv.scdl import read_scdl, validate_scdl
from conftest import SCDL
from scdl_validate_twin import validate_scdl_twin
from test_scdl_excel_dresses import blank, parse, strip_keys, sums
from test_real_files import twin_amount

pytestmark = pytest.mark.filterwarnings("ignore::essconv.MixedEncodingWarning")

FILES = sorted(SCDL.glob("*.csv"))


def with_stray_delimiters(raw: bytes) -> tuple[bytes, list[int]]:
    """The file with its delimiter added at the end of every other record (the records of even
    line numbers, blank ones left alone), and the lines so dressed.  Scanned as bytes: a quote
    and a line break are one byte in UTF-8 and CP1252 alike, so a record's end is a line break
    outside quotes."""
    head = raw.split(b"\n", 1)[0]
    delim = b";" if head.count(b";") > head.count(b",") else b","
    out, start, line, quoted, dressed = bytearray(), 0, 1, False, []
    record_line = 1
    for at, byte in enumerate(raw):
        if byte == 0x22:
            quoted = not quoted
        elif byte == 0x0A and not quoted:
            end = at - 1 if at and raw[at - 1] == 0x0D else at
            record = raw[start:end]
            out += record
            if record_line > 1 and record_line % 2 == 0 and record.strip(b" ;,\t"):
                out += delim
                dressed.append(record_line)
            out += raw[end:at + 1]
            start, line = at + 1, line + 1
            record_line = line
        elif byte == 0x0A:
            line += 1
    out += raw[start:]
    return bytes(out), dressed


def oracle(raw: bytes):
    """(records, their Decimal total, rows set aside, sums per attribuant) of the original
    (the attribuant: the Vendée file's beneficiaries hold unquoted commas the csv module
    cannot place)."""
    original = parse(raw)
    records, total, aside, by_attribuant = 0, Decimal(0), 0, {}
    for row in original.rows:
        if blank(row):
            continue
        value = twin_amount(row[original.amount])
        if value is None:
            aside += 1
            continue
        records += 1
        total += value
        name = row[original.attribuant].strip()
        by_attribuant[name] = by_attribuant.get(name, Decimal(0)) + value
    return records, total, aside, by_attribuant


@pytest.mark.parametrize("path", FILES, ids=lambda p: p.stem)
def test_read_scdl_reads_rows_long_only_by_a_stray_trailing_delimiter(path, tmp_path):
    raw = path.read_bytes()
    dressed_raw, dressed = with_stray_delimiters(raw)
    assert dressed, "the dress must touch some rows"
    dressed_path = tmp_path / path.name
    dressed_path.write_bytes(dressed_raw)
    records, total, aside, by_attribuant = oracle(raw)
    with warnings.catch_warnings(record=True) as said:
        warnings.simplefilter("always", essconv.EssconvWarning)
        ledger = read_scdl(dressed_path)
    assert (len(ledger), ledger.total()) == (records, total)
    assert len(ledger.bad_rows) == aside
    assert not [b for b in ledger.bad_rows if "fields where the header has" in b.message]
    assert strip_keys(sums(ledger, "nomAttribuant")) == strip_keys(by_attribuant)
    stray = [w.message for w in said if getattr(w.message, "reason", None)
             and w.message.reason[0] == "blank-past-header"]
    assert len(stray) == 1   # said once
    assert stray[0].reason[1:3] == (len(dressed), dressed[0])
    assert stray[0].line == dressed[0]
    # every column as the undressed file reads: nothing pushed along by the stray cell
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", essconv.EssconvWarning)
        undressed = read_scdl(path)
    for column in [c for c in undressed.columns if c != "montant"]:
        assert sums(ledger, column) == sums(undressed, column), column


@pytest.mark.parametrize("path", FILES, ids=lambda p: p.stem)
def test_validate_scdl_says_a_stray_trailing_delimiter_once_not_a_row_length(path, tmp_path):
    dressed_raw, dressed = with_stray_delimiters(path.read_bytes())
    dressed_path = tmp_path / path.name
    dressed_path.write_bytes(dressed_raw)
    report = validate_scdl(dressed_path, max_findings=None)
    assert [f.row for f in report.findings if f.code == "row-length"] == \
        [f.row for f in validate_scdl(path, max_findings=None).findings if f.code == "row-length"]
    stray = [f for f in report.findings if f.code == "blank-past-header"]
    assert [(f.row, f.severity) for f in stray] == [(dressed[0], "warning")]
    assert re.search(rf"\b{len(dressed)} rows end with blank cells", stray[0].text("en"))
    assert re.search(rf"\b{len(dressed)} lignes finissent par des cellules vides",
                     stray[0].text("fr"))
    seen = lambda r: sorted((f.code, f.field, f.row, f.value) for f in r.findings)
    assert seen(report) == seen(validate_scdl_twin(dressed_path))
