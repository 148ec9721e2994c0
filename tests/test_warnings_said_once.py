"""Every warning of a read is said once: an analyst filtering or listing them counts each.

A file read twice over (its first reading thrown away for a rewrite that puts its over-long
rows back) said the mixed encoding once per reading."""
from __future__ import annotations

import gzip
import io
import warnings

import pytest

import essconv
from conftest import SCDL

VENDEE = SCDL / "vendee-2019-03-subventions.csv"
VALID = SCDL / "scdl-subventions-exemple-valide.csv"


def _one_stray_cp1252_byte(raw: bytes) -> bytes:
    """The file with its first 'é' written as CP1252 (one byte, 0xE9) in a UTF-8 body."""
    at = raw.index("é".encode("utf-8"))
    return raw[:at] + b"\xe9" + raw[at + 2:]


def _said(read):
    with warnings.catch_warnings(record=True) as said:
        warnings.simplefilter("always")
        read()
    return [type(w.message) for w in said if issubclass(w.category, essconv.EssconvWarning)]


def _sources(raw: bytes, tmp_path):
    plain, packed = tmp_path / "grants.csv", tmp_path / "grants.csv.gz"
    plain.write_bytes(raw)
    packed.write_bytes(gzip.compress(raw))
    return {"bytes": lambda: raw, "BytesIO": lambda: io.BytesIO(raw), "path": lambda: plain,
            "str path": lambda: str(plain), "gzip path": lambda: packed,
            "file object": lambda: open(plain, "rb"), "gzip.open": lambda: gzip.open(packed)}


@pytest.mark.parametrize("source", ["bytes", "BytesIO", "path", "str path", "gzip path",
                                    "file object", "gzip.open"])
def test_read_scdl_says_a_mixed_encoding_once_when_it_puts_rows_back(tmp_path, source):
    """The Vendée file's over-long rows are put back by a second reading: the first one's
    MixedEncodingWarning was said, then the second's, for one stray byte."""
    raw = _one_stray_cp1252_byte(VENDEE.read_bytes())
    opened = _sources(raw, tmp_path)[source]()
    try:
        said = _said(lambda: essconv.read_scdl(opened))
    finally:
        if hasattr(opened, "close"):
            opened.close()
    assert said.count(essconv.MixedEncodingWarning) == 1, said
    assert said.count(essconv.RepairedRowsWarning) == 1, said


def test_read_scdl_says_a_mixed_encoding_once_when_rows_cannot_be_put_back():
    """Rows too long to put back one way alone stay aside: the second reading, made to try,
    is thrown away, and so is what it said."""
    lines = VALID.read_text(encoding="utf-8").splitlines()
    delimiter = ","
    # a name holding the delimiter twice: it fits the header more ways than one
    long_row = lines[1].replace("CEA DU PERSONNEL", delimiter.join(["CEA", "DU", "PERSONNEL"]))
    assert long_row != lines[1]
    # the stray byte after the long row, in a record read either way
    raw = ("\n".join([lines[0], long_row]) + "\n").encode("utf-8") + _one_stray_cp1252_byte(
        ("\n".join(lines[1:]) + "\n").encode("utf-8"))
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        ledger = essconv.read_scdl(raw)
    assert ledger.bad_rows, "the row too long must stay aside for this test to hold"
    said = _said(lambda: essconv.read_scdl(raw))
    assert said.count(essconv.MixedEncodingWarning) == 1, said
    assert essconv.RepairedRowsWarning not in said


@pytest.mark.parametrize("read", ["read_csv", "read_scdl", "validate_scdl", "read_plan"])
def test_each_reader_says_a_mixed_encoding_once(read, tmp_path):
    """One stray byte, each reader: one warning."""
    if read == "read_plan":
        with open(essconv.__path__[0] + "/data/annexe1-2009.tsv", "rb") as plan:
            raw = _one_stray_cp1252_byte(plan.read())
        call = lambda: essconv.read_plan(raw)   # noqa: E731
    else:
        raw = _one_stray_cp1252_byte(VENDEE.read_bytes())
        call = {"read_csv": lambda: essconv.Ledger.read_csv(raw, amount="montant",
                                                            bad_rows="collect"),
                "read_scdl": lambda: essconv.read_scdl(raw),
                "validate_scdl": lambda: essconv.validate_scdl(raw)}[read]
    assert _said(call).count(essconv.MixedEncodingWarning) == 1
