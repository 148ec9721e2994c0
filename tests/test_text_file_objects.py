"""A file object opened as text is the analyst's own decoder: when it cannot decode the file
(``open(path, encoding="utf-8")`` on a file holding one CP1252 byte) its UnicodeDecodeError
escaped bare, naming no line and not saying to open the file "rb"; opened with
``errors="surrogateescape"`` (which keeps those bytes as they were), Python's "surrogates not
allowed" escaped instead of the file being read."""
from __future__ import annotations

import io
import warnings

import pytest

import essconv
from conftest import SCDL

VENDEE = SCDL / "vendee-2019-03-subventions.csv"


@pytest.fixture
def mixed(tmp_path):
    """The Vendée file with its first 'é' written as CP1252: one stray byte, and its place
    (line, column) found by hand."""
    raw = VENDEE.read_bytes()
    at = raw.index("é".encode("utf-8"))
    raw = raw[:at] + b"\xe9" + raw[at + 2:]
    path = tmp_path / "vendee-mixed.csv"
    path.write_bytes(raw)
    line_start = raw.rfind(b"\n", 0, at) + 1
    place = (raw[:at].count(b"\n") + 1, len(raw[line_start:at].decode("utf-8")) + 1)
    return path, place


READERS = {
    "read_scdl": essconv.read_scdl,
    "read_csv": lambda fh: essconv.Ledger.read_csv(fh, amount="montant", bad_rows="collect"),
    "validate_scdl": essconv.validate_scdl,
    "read_plan": essconv.read_plan,
}


@pytest.mark.parametrize("reader", sorted(READERS))
def test_a_text_file_object_that_cannot_decode_the_file_is_a_parse_error_saying_rb(mixed, reader):
    path, (line, column) = mixed
    with open(path, encoding="utf-8") as fh, pytest.raises(essconv.ParseError) as caught:
        READERS[reader](fh)
    exc = caught.value
    assert exc.path == str(path)
    assert "0xE9" in str(exc) and "'rb'" in str(exc)
    # a whole read places the byte; validate_scdl reads in blocks, decoded in chunks whose
    # earlier lines it cannot know, and names no place rather than a wrong one
    assert (exc.line, exc.column) == ((0, 0) if reader == "validate_scdl" else (line, column))


@pytest.mark.parametrize("reader", ["read_scdl", "read_csv", "validate_scdl"])
def test_a_surrogateescape_text_object_reads_as_the_file_opened_rb(mixed, reader):
    """Its undecoded bytes are the file's own: read as the binary file object is (the twin),
    mixed encoding said alike."""
    path, _ = mixed
    results = []
    for mode in ({"encoding": "utf-8", "errors": "surrogateescape"}, {"mode": "rb"}):
        with open(path, **mode) as fh, warnings.catch_warnings(record=True) as said:
            warnings.simplefilter("always")
            got = READERS[reader](fh)
        shown = ([str(f) for f in got.findings] if reader == "validate_scdl"
                 else (len(got), got.total(), [str(b) for b in got.bad_rows]))
        results.append((shown, [w.category for w in said
                                if issubclass(w.category, essconv.EssconvWarning)]))
    assert results[0] == results[1]
    assert essconv.MixedEncodingWarning in results[0][1]


def test_text_holding_a_lone_surrogate_is_refused_naming_no_encoding_error():
    text = "nomBeneficiaire,montant\nAsso \ud800,12\n"
    with pytest.raises(essconv.ParseError, match="lone surrogate"):
        essconv.Ledger.read_csv(io.StringIO(text), amount="montant")
