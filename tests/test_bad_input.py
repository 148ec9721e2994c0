"""The bad-input catalogue: for every reader (plans, ledger CSV, SCDL, convention descriptions),
each hostile file either loads correctly or raises a ValueError-family error (OverflowError for
overflow) whose message names the file, the line and the column.  Nothing crashes, nothing is
lost: a file that loads keeps every record (read, kept aside as a bad row, or counted blank).
"""
from __future__ import annotations

import gzip
import io
import re
import warnings
from decimal import Decimal
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import essconv
from essconv import Ledger, _core
from essconv.scdl import read_scdl, validate_scdl

HEADER = "en k€;CDC;CR;Total"
LEDGER_HEADER = "financeur;annee;montant"

# name -> (plan file bytes, ledger file bytes)
BIG = 64 * 1024 * 1024
CASES: dict[str, tuple[bytes, bytes]] = {
    "empty file": (b"", b""),
    "header only": (f"{HEADER}\n".encode(), f"{LEDGER_HEADER}\n".encode()),
    "only separators": (b";;;\n;;;\n;;;\n", b";;\n;;\n"),
    "utf-8 bom": (f"\ufeff{HEADER}\nDLA;1;2;3\n".encode(), f"\ufeff{LEDGER_HEADER}\nCDC;2009;1\n".encode()),
    "bom before cp1252": (b"\xef\xbb\xbf" + f"{HEADER}\nDépôt;1;2;3\n".encode("cp1252"),
                          b"\xef\xbb\xbf" + f"{LEDGER_HEADER}\nCaisse des Dépôts;2009;1\n".encode("cp1252")),
    "invalid utf-8": (f"{HEADER}\nDLA;1;2;3\n".encode() + b"x\x81y;1;2;3\n",
                      f"{LEDGER_HEADER}\nCDC;2009;1\n".encode() + b"x\x81y;2009;1\n"),
    "nul bytes": (f"{HEADER}\nDLA;1\x00;2;3\n".encode(), f"{LEDGER_HEADER}\nCDC;20\x0009;1\n".encode()),
    "unterminated quote": (f'{HEADER}\nDLA;"1;2;3\n'.encode(), f'{LEDGER_HEADER}\n"CDC;2009;1\n'.encode()),
    "a field of 64 MB": (f"{HEADER}\n{'x' * BIG};1;2;3\n".encode(),
                         f"{LEDGER_HEADER}\n{'x' * BIG};2009;1\n".encode()),
    "a line of 200 000 cells": ((";".join(["en k€"] + [f"F{k}" for k in range(200_000)]) + "\n"
                                 + ";".join(["DLA"] + ["1"] * 200_000) + "\n").encode(),
                                (";".join([LEDGER_HEADER] + [f"x{k}" for k in range(200_000)]) + "\n"
                                 + ";".join(["CDC", "2009", "1"] + ["a"] * 200_000) + "\n").encode()),
    "ragged rows": (f"{HEADER}\nDLA;1;2\nMPA;1;2;3;4\n".encode(), f"{LEDGER_HEADER}\nCDC;2009\n".encode()),
    "duplicate headers": (b"en k\xe2\x82\xac;CDC;CDC;Total\nDLA;1;2;3\n", b"financeur;financeur;montant\nCDC;CR;1\n"),
    "mixed crlf and lf": (f"{HEADER}\r\nDLA;1;2;3\nMPA;4;5;9\r\nTotal;5;7;12\n".encode(),
                          f"{LEDGER_HEADER}\r\nCDC;2009;1\nCR;2010;2\r\n".encode()),
    "nbsp and narrow nbsp grouping": (f"{HEADER}\nDLA;1\u00a0000;2\u202f000;3 000\nTotal;1 000;2 000;3 000\n".encode(),
                                      f"{LEDGER_HEADER}\nCDC;2009;1\u00a0000,50\nCR;2009;2\u202f000\n".encode()),
    "1,234 versus 1.234": (f"{HEADER}\nDLA;1,234;1.234;1 235,234\n".encode(),
                           f"{LEDGER_HEADER}\nCDC;2009;1,234\nCR;2009;1.234\n".encode()),
    "(12)": (f"{HEADER}\nDLA;(12);14;2\n".encode(), f"{LEDGER_HEADER}\nCDC;2009;(12)\n".encode()),
    "1e3": (f"{HEADER}\nDLA;1e3;1;1001\n".encode(), f"{LEDGER_HEADER}\nCDC;2009;1e3\n".encode()),
    "beyond int64 cents": (f"{HEADER}\nDLA;99999999999999999;1;1\n".encode(),
                           f"{LEDGER_HEADER}\nCDC;2009;99999999999999999999\n".encode()),
    "text in an amount": (f"{HEADER}\nDLA;n.c.;2;2\n".encode(), f"{LEDGER_HEADER}\nCDC;2009;NC\n".encode()),
}


def assert_located(exc: BaseException, path: Path) -> None:
    """The error names the file, a line and a column: file:line:column."""
    assert isinstance(exc, (ValueError, OverflowError)), type(exc)
    text = str(exc)
    assert str(path) in text, text
    assert re.search(re.escape(str(path)) + r":\d+:\d+", text), text


@pytest.mark.parametrize("case", list(CASES))
def test_plan_reader(case, tmp_path):
    path = tmp_path / "plan.csv"
    path.write_bytes(CASES[case][0])
    try:
        plan = essconv.read_plan(path, unit="k€")
    except essconv.PlanFormatError as exc:
        assert_located(exc, path)
        assert exc.problems and all(p.line >= 1 and p.column >= 1 for p in exc.problems)
        return
    report = plan.validate()
    if case == "1,234 versus 1.234":      # French: the comma is decimal, the lone point groups
        assert plan.cell("DLA", "CDC") == Decimal("1.234") and plan.cell("DLA", "CR") == Decimal(1234)
    if case == "(12)":
        assert plan.cell("DLA", "CDC") == Decimal(-12) and report.ok
    if case in ("1e3", "beyond int64 cents", "text in an amount"):
        bad = [f for f in report if f.code == "malformed-number"]
        assert bad and bad[0].source_line == 2 and bad[0].source_column == 5
        assert plan.cell_text("DLA", "CDC") is not None          # kept as printed
    if case == "nbsp and narrow nbsp grouping":
        assert plan.cell("DLA", "CR") == Decimal(2000) and report.ok
    if case == "mixed crlf and lf":
        assert plan.lines == ["DLA", "MPA"] and report.ok
    if case == "a field of 64 MB":
        assert len(plan.lines[0]) == BIG
    if case == "a line of 200 000 cells":
        assert len(plan.funders) == 200_000 and plan.total() == 200_000
    if case == "invalid utf-8":   # 0x81 is undefined in CP1252 too: this file cannot load
        pytest.fail("a byte neither UTF-8 nor CP1252 loaded")


@pytest.mark.parametrize("case", list(CASES))
def test_ledger_reader(case, tmp_path):
    path = tmp_path / "ledger.csv"
    path.write_bytes(CASES[case][1])
    try:
        ledger = Ledger.read_csv(path, amount="montant", ints=["annee"], dims=["financeur"])
    except (essconv.ParseError, essconv.MoneyOverflowError) as exc:
        assert_located(exc, path)
        if case == "beyond int64 cents":
            assert isinstance(exc, OverflowError)
        return
    collected = Ledger.read_csv(path, amount="montant", ints=["annee"], dims=["financeur"],
                                bad_rows="collect")
    assert len(collected) == len(ledger) and not collected.bad_rows
    if case == "(12)":
        assert ledger.total() == Decimal(-12)
    if case == "nbsp and narrow nbsp grouping":
        assert ledger.total() == Decimal("3000.50")
    if case == "mixed crlf and lf":
        assert len(ledger) == 2
    if case == "bom before cp1252":
        assert ledger.labels("financeur") == ["Caisse des Dépôts"]
    if case == "a field of 64 MB":
        assert len(ledger.labels("financeur")[0]) == BIG


@pytest.mark.parametrize("case", ["beyond int64 cents", "text in an amount", "1e3", "ragged rows"])
def test_ledger_collects_bad_rows_with_their_place(case, tmp_path):
    path = tmp_path / "ledger.csv"
    path.write_bytes(CASES[case][1])
    ledger = Ledger.read_csv(path, amount="montant", ints=["annee"], dims=["financeur"],
                             bad_rows="collect")
    assert len(ledger) == 0 and len(ledger.bad_rows) == 1
    assert ledger.bad_rows[0].line == 2 and ledger.bad_rows[0].column >= 1


@pytest.mark.parametrize("case", list(CASES))
def test_scdl_reader_and_validator(case, tmp_path):
    path = tmp_path / "subventions.csv"
    path.write_bytes(CASES[case][1].replace(b"financeur", b"nomAttribuant"))
    try:
        ledger = read_scdl(path)
    except (essconv.ParseError, essconv.MoneyOverflowError) as exc:
        assert_located(exc, path)
    else:
        assert len(ledger) + len(ledger.bad_rows) >= 0
        for bad in ledger.bad_rows:
            assert bad.line >= 2 and bad.column >= 1
    try:
        report = validate_scdl(path)
    except essconv.ParseError as exc:
        assert_located(exc, path)
    else:
        assert all(f.row is None or f.row >= 1 for f in report)


DESCRIPTIONS = {
    "empty file": b"",
    "utf-8 bom": b"\xef\xbb\xbf[convention]\ntitle = 'x'\n",
    "invalid utf-8": b"[convention]\ntitle = '\xe9t\xe9'\n",
    "nul bytes": b"[convention]\ntitle = 'a\x00b'\n",
    "unterminated quote": b"[convention]\ntitle = 'abc\n",
    "duplicate keys": b"[convention]\ntitle = 'a'\ntitle = 'b'\n",
    "a field of 64 MB": b"[convention]\ntitle = '" + b"x" * BIG + b"'\n",
    "only separators": b";;;\n;;;\n",
    "beyond int64 cents": (b"[convention]\ntitle='t'\nterritory='x'\nstart=2009-01-01\nend=2010-12-31\n"
                           b"[[parties]]\ncode='A'\nname='A'\nkind='state'\n"
                           b"[[iae]]\nparty='A'\ntext='t'\namounts=[{label='x', amount='99999999999999999999 M\xe2\x82\xac'}]\n"),
    "float where a number is quoted": (b"[convention]\ntitle='t'\nterritory='x'\nstart=2009-01-01\n"
                                       b"end=2010-12-31\n[key_figures]\nestablishments=1\n"
                                       b"establishments_share_percent=14.5\n"),
}


@pytest.mark.parametrize("case", list(DESCRIPTIONS))
def test_description_reader(case, tmp_path):
    path = tmp_path / "convention.toml"
    path.write_bytes(DESCRIPTIONS[case])
    with pytest.raises(essconv.DescriptionError) as info:
        essconv.load(path)
    err = info.value
    assert isinstance(err, ValueError) and str(path) in str(err)
    # a syntax error has its line and column; a wrong value names its key
    assert err.key or (err.line >= 1 and err.column >= 1), str(err)


# ---------------------------------------------------------------------------- silent wrong values
# Each case below loaded once with a wrong amount and no word; each now loads exactly or is
# refused (or kept aside) at its place, in every reader.

TOO_MANY = b"nomAttribuant,montant\nCDC,1234,56\nCR,10\n"     # a decimal comma in a comma file
SCDL_FIELDS = essconv.scdl.field_names()


def scdl_bytes(rows: list[tuple[str, str]], sep: str = ";", encoding: str = "utf-8") -> bytes:
    """An SCDL grant file of (nomAttribuant, montant) records, every other column blank."""
    def line(attribuant: str, montant: str) -> str:
        return sep.join(attribuant if f == "nomAttribuant" else montant if f == "montant" else ""
                        for f in SCDL_FIELDS)
    return (sep.join(SCDL_FIELDS) + "\n" + "".join(line(*r) + "\n" for r in rows)).encode(encoding)


def test_too_many_fields_is_a_bad_row_in_the_ledger(tmp_path):
    path = tmp_path / "ledger.csv"
    path.write_bytes(TOO_MANY)
    with pytest.raises(essconv.ParseError) as info:
        Ledger.read_csv(path, amount="montant")
    assert_located(info.value, path)
    assert f"{path}:2:10:" in str(info.value) and "3 fields where the header has 2" in str(info.value)
    collected = Ledger.read_csv(path, amount="montant", bad_rows="collect")
    assert len(collected) == 1 and collected.total() == Decimal(10)      # never 1 234 €
    [bad] = collected.bad_rows
    assert (bad.line, bad.column) == (2, 10)


@pytest.mark.parametrize("text, place", [
    # a quote anywhere sends the file through the general tokenizer: same verdict, same place
    (b'nomAttribuant,montant\n"CDC",1234,56\nCR,10\n', (2, 12)),
    # the optional columns at the end of a grant file are blank: the shift ends in a blank cell
    (b"nomAttribuant,montant,idRAE\nCDC,1234,56,\nCR,10,\n", (2, 13)),
], ids=["quoted path", "shift into a blank cell"])
def test_a_split_amount_is_a_bad_row_wherever_it_is_read(tmp_path, text, place):
    path = tmp_path / "ledger.csv"
    path.write_bytes(text)
    collected = Ledger.read_csv(path, amount="montant", bad_rows="collect")
    assert collected.total() == Decimal(10)
    assert [(b.line, b.column) for b in collected.bad_rows] == [place]


def test_too_many_fields_in_scdl_reader_and_validator_agree(tmp_path):
    path = tmp_path / "subventions.csv"
    path.write_bytes(scdl_bytes([("CDC", "1234,56"), ("CR", "10")], sep=","))
    # the split amount fits the header one way alone: put back, and said (never silent)
    with pytest.warns(essconv.RepairedRowsWarning, match=r"line 2, column montant = '1234,56'"):
        ledger = read_scdl(path)
    assert ledger.total() == Decimal("1244.56") and ledger.bad_rows == []
    report = validate_scdl(path)
    assert "row-length" not in report.codes()
    assert [f.code for f in report.on_row(2) if f.code == "unquoted-delimiter"] == \
        ["unquoted-delimiter"]                                     # one fault, one finding


def test_duplicate_column_name_is_refused_at_its_place(tmp_path):
    # every column kept (dims=None): the second 'financeur' used to vanish
    path = tmp_path / "ledger.csv"
    path.write_bytes(b"financeur;montant;financeur\nCDC;1;CR\n")
    with pytest.raises(essconv.ParseError) as info:
        Ledger.read_csv(path, amount="montant")
    assert f"{path}:1:19:" in str(info.value)
    assert "'financeur' appears twice in the header (fields 1 and 3)" in str(info.value)


def test_one_stray_cp1252_byte_does_not_turn_a_utf8_plan_into_cp1252(tmp_path):
    # the header's "en k€" is UTF-8: read as CP1252 it lost its unit (17 instead of 17 000 €)
    path = tmp_path / "plan.csv"
    path.write_bytes("en k€;CDC;CR;Total\nRégion;1;2;3\nDLA;7;10;17\n".encode()
                     + "Caf\xe9;1;1;2\n".encode("cp1252") + "Total;9;13;22\n".encode())
    with pytest.warns(essconv.MixedEncodingWarning) as caught:
        plan = essconv.read_plan(path)
    assert plan.unit == "k€" and plan.lines == ["Région", "DLA", "Café"]
    assert plan.cell("DLA", "CR") == Decimal(10) and plan.total() == Decimal(22)
    assert plan.validate().ok
    [warning] = caught
    text = str(warning.message)
    assert str(path) in text and "0xE9 at 4:4 read as 'é'" in text and "mostly UTF-8" in text


def test_one_stray_cp1252_byte_keeps_every_utf8_label_of_a_ledger(tmp_path):
    path = tmp_path / "ledger.csv"
    path.write_bytes(scdl_bytes([("Région", "1")] * 2000)
                     + scdl_bytes([("D\xe9partement", "2")], encoding="cp1252").split(b"\n", 1)[1])
    for read in (lambda: Ledger.read_csv(path, amount="montant"), lambda: read_scdl(path)):
        with pytest.warns(essconv.MixedEncodingWarning, match=r"0xE9 at 2002:2 read as 'é'"):
            ledger = read()
        assert ledger.labels("nomAttribuant") == ["Région", "Département"]
        assert ledger.total() == Decimal(2002)
    with pytest.warns(essconv.MixedEncodingWarning, match="2002:2"):
        validate_scdl(path)


def test_a_cp1252_file_with_one_utf8_sequence_is_read_as_both_and_said(tmp_path):
    path = tmp_path / "ledger.csv"
    path.write_bytes("financeur;montant\nRégion;1\nDépôt;2\n".encode("cp1252") + "Côte;3\n".encode())
    with pytest.warns(essconv.MixedEncodingWarning, match=r"mostly CP1252.*at 4:2"):
        ledger = Ledger.read_csv(path, amount="montant")
    assert ledger.labels("financeur") == ["Région", "Dépôt", "Côte"]
    # and a file that is CP1252 throughout stays CP1252, without a word
    path.write_bytes("financeur;montant\nRégion;1\nDépôt;2\n".encode("cp1252"))
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        assert Ledger.read_csv(path, amount="montant").labels("financeur") == ["Région", "Dépôt"]


def utf8_sequence_at(data: bytes, i: int) -> int:
    """The length of the valid UTF-8 sequence of two bytes or more at data[i], as Python's
    decoder takes it, or 0."""
    for n in (2, 3, 4):
        try:
            if len(data[i:i + n].decode("utf-8")) == 1:
                return n
        except UnicodeDecodeError:
            pass
    return 0


def mixed_places_twin(data: bytes, most: int) -> tuple:
    """The obvious twin of _core.mixed_places: a walk of every byte, lines and columns counted
    as the tokenizer counts them, the minority's places kept."""
    if data[:2] in (b"\xff\xfe", b"\xfe\xff"):
        return 0, True, []
    body = data[3:] if data.startswith(b"\xef\xbb\xbf") else data
    try:
        body.decode("utf-8")
        return 0, True, []
    except UnicodeDecodeError:
        pass
    units, i = [], 0
    while i < len(body):
        n = utf8_sequence_at(body, i) if body[i] >= 0x80 else 1
        units.append((i, n))
        i += n or 1
    odd = sum(1 for i, n in units if n == 0)
    sequences = sum(1 for i, n in units if n > 1)
    if odd == 0 or sequences == 0:
        return 0, True, []
    odd_are_cp1252 = odd <= sequences
    places, line, col = [], 1, 1
    for i, n in units:
        if body[i] >= 0x80 and (n == 0) == odd_are_cp1252:
            places.append((line, col, body[i]))
        if body[i:i + 1] == b"\n" or (body[i:i + 1] == b"\r" and body[i + 1:i + 2] != b"\n"):
            line, col = line + 1, 1
        elif body[i:i + 1] != b"\r":
            col += 1
    return (odd if odd_are_cp1252 else sequences), odd_are_cp1252, places[:most]


MIXED_PIECES = [b"a", b"Caf", b"x" * 40, b";", b"\n", b"\r", b"\r\n", "é".encode(), "€".encode(),
                "\U0001F600".encode(), b"\xe9", b"\x80", b"\xa0", b"\xc3", b"\xe2\x82", b"\0"]


@settings(max_examples=500, deadline=None)
@given(pieces=st.lists(st.sampled_from(MIXED_PIECES), max_size=60), bom=st.booleans(),
       most=st.sampled_from([0, 1, 5, 1000]))
def test_the_places_of_a_mixed_texts_odd_bytes_are_its_twins(pieces, bom, most):
    """The places the warning names (line and column of the minority's first bytes, the count of
    them all) are those a walk of every byte finds, over runs of ASCII, line endings of three
    kinds, both encodings' accents, cut sequences and a BOM."""
    data = (b"\xef\xbb\xbf" if bom else b"") + b"".join(pieces)
    assert _core.mixed_places(data, most) == mixed_places_twin(data, most), data


def said(warn) -> list[str]:
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        warn()
    return [str(w.message) for w in caught]


@settings(max_examples=300, deadline=None)
@given(pieces=st.lists(st.sampled_from(MIXED_PIECES), max_size=60), bom=st.booleans(),
       piece_bytes=st.integers(1, 64))
def test_a_file_read_in_pieces_for_its_warning_is_warned_as_whole(pieces, bom, piece_bytes):
    """warn_if_file_mixed reads a file in pieces cut after a LF (of 1 to 64 bytes here: cuts
    everywhere) and sums their tallies: it says what warn_if_mixed says of the whole bytes --
    the same count, kind and places, or nothing."""
    data = (b"\xef\xbb\xbf" if bom else b"") + b"".join(pieces)
    whole = said(lambda: essconv.files.warn_if_mixed(data, "f.csv"))
    in_pieces = said(lambda: essconv.files.warn_if_file_mixed(io.BytesIO(data), "f.csv",
                                                              piece_bytes))
    assert in_pieces == whole, data


# "12.500" alone is 12 500 (the point grouping thousands) or 12,5 (a budget export's three
# decimals): the reader decides on the evidence of the whole column, else refuses at its place.
def test_a_three_decimal_amount_is_read_on_the_column_evidence(tmp_path):
    path = tmp_path / "ledger.csv"
    for amounts, total in [
        (["12.500", "3.25"], Decimal("15.75")),            # a decimal point elsewhere: 12,5
        (["0.500", "000.250"], Decimal("0.75")),            # a point after zeros groups nothing
        (["12.500", "1.234.567"], Decimal(1247067)),        # points grouping elsewhere: 12 500
        (["12.500", "1 250,50"], Decimal("13750.50")),      # a decimal comma: the point groups
    ]:
        path.write_bytes(scdl_bytes([("x", a) for a in amounts]))
        assert Ledger.read_csv(path, amount="montant").total() == total, amounts
        assert read_scdl(path).total() == total, amounts


@pytest.mark.parametrize("amounts, why", [
    (["12.500", "7"], "no other amount says which"),
    (["12.500", "3.25", "1.234,50"], "the other amounts disagree"),
])
def test_an_undecidable_three_decimal_amount_is_refused_at_its_place(amounts, why, tmp_path):
    path = tmp_path / "ledger.csv"
    path.write_bytes(scdl_bytes([("x", a) for a in amounts]))
    for read in (lambda: Ledger.read_csv(path, amount="montant"), lambda: read_scdl(path)):
        with pytest.raises(essconv.ParseError) as info:
            read()
        text = str(info.value)
        column = len("x;") + SCDL_FIELDS.index("montant")     # "x" then blank cells
        assert f"{path}:2:{column}:" in text and why in text
        assert "'12.500' could be 12500 or 12.5" in text and "decimal=" in text



# "1,500" is 1,5 in French, 1 500 where the point is the decimal mark.  A column holding
# "250.75" was read with a decimal point for it and a decimal comma for "1,500" (1,5: a
# thousandth of the amount, silently).
@pytest.mark.parametrize("amounts, total", [
    (["250.75", "1,500"], Decimal("1750.75")),          # the point decimal: the comma groups
    (["1,500", "3.25", "12.500"], Decimal("1515.75")),  # ... and "12.500" is 12,5
    (["1,500", "7"], Decimal("8.5")),                   # nothing against French: 1,5
    (["1,500", "2,25"], Decimal("3.75")),               # a decimal comma elsewhere: 1,5
    (["-1,500 €", "0.25"], Decimal("-1499.75")),        # a sign and a unit around it
])
def test_a_comma_before_three_digits_is_read_on_the_column_evidence(amounts, total, tmp_path):
    path = tmp_path / "ledger.csv"
    path.write_bytes(scdl_bytes([("x", a) for a in amounts]))
    assert Ledger.read_csv(path, amount="montant").total() == total, amounts
    assert read_scdl(path).total() == total, amounts
    assert Ledger.read_csv(path.read_bytes(), amount="montant", threads=1).total() == total


@pytest.mark.parametrize("threads", [1, 2])
def test_a_comma_before_three_digits_alone_in_a_comma_file_is_refused(threads, tmp_path):
    # a ',' file quotes English thousands ("1,500") as it quotes French decimals ("1,5"): the
    # delimiter says nothing of the language, and "1,500", "12,000", "250,000" read French
    # were a thousandth of each amount, without a word
    rows = [("A", "1,500"), ("B", "12,000"), ("C", "250,000"), ("D", "200")]
    text = "nom,montant\n" + "".join(f'{n},"{a}"\n' for n, a in rows)
    path = tmp_path / "ledger.csv"
    path.write_bytes(text.encode())
    for source in (path, text.encode()):
        with pytest.raises(essconv.ParseError) as info:
            Ledger.read_csv(source, amount="montant", threads=threads)
        assert (info.value.line, info.value.column) == (2, len("A,") + 1)
        assert "'1,500' could be 1500 or 1.5" in str(info.value) and "decimal=" in str(info.value)
    english = sum(Decimal(a.replace(",", "")) for _, a in rows)
    french = sum(Decimal(a.replace(",", ".")) for _, a in rows)
    assert Ledger.read_csv(path, amount="montant", decimal=".", threads=threads).total() == english
    assert Ledger.read_csv(path, amount="montant", decimal=",", threads=threads).total() == french
    # evidence in the column still decides, as in a ';' file
    path.write_bytes((text + 'E,"2,25"\n').encode())
    assert Ledger.read_csv(path, amount="montant", threads=threads).total() == \
        french + Decimal("2.25")
    path.write_bytes((text + "E,2.25\n").encode())
    assert Ledger.read_csv(path, amount="montant", threads=threads).total() == \
        english + Decimal("2.25")


def test_a_comma_before_three_digits_in_a_column_pointing_both_ways_is_refused(tmp_path):
    path = tmp_path / "ledger.csv"
    path.write_bytes(scdl_bytes([("x", a) for a in ["1,500", "3.25", "2,50"]]))
    with pytest.raises(essconv.ParseError, match="'1,500' could be 1500 or 1.5, and the "
                                                 "other amounts disagree"):
        Ledger.read_csv(path, amount="montant")


def test_an_english_number_in_a_label_says_nothing_of_the_amounts(tmp_path):
    # the decimal mark was sniffed on any text: "2,345.50" in a label made the file English,
    # and its amounts "1.500" and "12.000" read 1,5 and 12 (a thousandth, silently)
    path = tmp_path / "ledger.csv"
    path.write_bytes(b"n;m;objet\na;1.500;achat 2,345.50 USD\nb;12.000;travaux\n")
    with pytest.raises(essconv.ParseError, match="'1.500' could be 1500 or 1.5"):
        Ledger.read_csv(path, amount="m")
    path.write_bytes(b"n;m;objet\na;1.500;achat 2,345.50 USD\nb;12.000;travaux\nc;2,50;x\n")
    assert Ledger.read_csv(path, amount="m").total() == Decimal("13502.50")
    # an amount cell that is English, quoted or not, with its sign or unit, still says so
    for cell in (b"1,234.50", b'"1,234.50"', b"-1,234.50", b"1,234.50 EUR"):
        path.write_bytes(b"n;m\na;" + cell + b"\nb;1.500\n")
        want = Decimal("1236") if cell[:1] != b"-" else Decimal("-1233")
        assert Ledger.read_csv(path, amount="m").total() == want, cell


@pytest.mark.parametrize("header, bare", [("montant en k€", Decimal(1500)),
                                          ("Montant (K€)", Decimal(1500)),
                                          ("montant (€)", Decimal("1.5")),
                                          ("montant", Decimal("1.5"))])
def test_the_amount_header_says_the_unit_of_bare_cells(header, bare):
    # "montant en k€" over "1,5": 1 500 €, as read_plan reads its "en k€" corner (a bare cell
    # was read in euros: a thousandth of it); a cell's own unit still wins ("2 k€", "3 €")
    data = f"n;{header}\na;1,5\nb;2 k€\nc;3 €\n".encode()
    for threads in (1, 2):
        ledger = Ledger.read_csv(data, amount=header, threads=threads)
        assert ledger.group_by("n").sum().to_dict() == {"a": bare, "b": Decimal(2000),
                                                        "c": Decimal(3)}


def test_the_user_says_which_and_the_file_loads_as_said(tmp_path):
    path = tmp_path / "ledger.csv"
    path.write_bytes(scdl_bytes([("x", "12.500"), ("x", "7")]))
    assert Ledger.read_csv(path, amount="montant", decimal=",").total() == Decimal(12507)
    assert Ledger.read_csv(path, amount="montant", decimal=".").total() == Decimal("19.5")
    assert read_scdl(path, decimal=",").total() == Decimal(12507)
    assert read_scdl(path, decimal=".").total() == Decimal("19.5")


def test_the_column_evidence_spans_both_halves_of_a_large_file(tmp_path):
    # a file past 8 MB is read in two halves at once: the evidence of both is weighed together
    rows = 1_300_000
    path = tmp_path / "ledger.csv"
    path.write_bytes(b"nomAttribuant;montant\n" + b"x;3.25\n" * rows + b"y;12.500\n")
    ledger = Ledger.read_csv(path, amount="montant", threads=2)
    assert ledger.total() == Decimal("3.25") * rows + Decimal("12.5")


def test_a_plan_reads_a_three_decimal_amount_on_the_table_evidence(tmp_path):
    path = tmp_path / "plan.csv"
    path.write_bytes("en k€;CDC;CR;Total\nDLA;12.500;3.25;15.75\n".encode())
    plan = essconv.read_plan(path)
    assert plan.cell("DLA", "CDC") == Decimal("12.5") and plan.validate().ok
    path.write_bytes("en k€;CDC;CR;Total\nDLA;12.500;7;12507\n".encode())
    with pytest.raises(essconv.PlanFormatError) as info:
        essconv.read_plan(path)
    assert [(p.line, p.column) for p in info.value.problems] == [(2, 5)]
    assert "'12.500' could be 12500 or 12.5" in info.value.problems[0].message
    assert essconv.read_plan(path, decimal=",").cell("DLA", "CDC") == Decimal(12500)


def test_a_plan_broken_in_two_places_lists_both(tmp_path):
    # a ragged row, then a quote never closed: the quote used to hide the ragged row
    path = tmp_path / "plan.csv"
    path.write_bytes(b'Ligne;CDC;CR;Total\nDLA;1;2\nMPA;"1;2;3\nTotal;2;4;6\n')
    with pytest.raises(essconv.PlanFormatError) as info:
        essconv.read_plan(path)
    problems = info.value.problems
    assert [(p.line, p.column) for p in problems] == [(2, 7), (3, 5)]
    assert "3 cells where the header has 4" in problems[0].message
    assert "never closed" in problems[1].message
    assert f"{path}:2:7:" in str(info.value)


def test_text_in_a_plan_cell_is_no_evidence_about_the_point(tmp_path):
    # "n.c." has points but is no amount: it must not decide what "12.500" means
    path = tmp_path / "plan.csv"
    path.write_bytes("en k€;CDC;CR;Total\nDLA;12.500;n.c.;12.500\n".encode())
    with pytest.raises(essconv.PlanFormatError, match="no other amount says which"):
        essconv.read_plan(path)


def test_an_amount_with_three_decimals_in_a_point_decimal_column_is_worded_as_such():
    # "99786.575" beside "99786.57": read with a decimal comma it failed as "a group of 5
    # digits where three are expected", which says nothing of what is wrong with it
    data = b"k;montant\na;99786.57\nb;99786.575\n"
    kept = Ledger.read_csv(data, amount="montant", bad_rows="collect")
    assert kept.total() == Decimal("99786.57")
    [bad] = kept.bad_rows
    assert (bad.line, bad.column) == (3, 3) and "more than 2 decimals" in bad.message
    with pytest.raises(essconv.ParseError) as info:
        Ledger.read_csv(data, amount="montant")
    text = str(info.value)
    assert ":3:3:" in text and ("more than 2 decimals" in text or
                                "its point is read as a thousands separator" in text)


def test_a_delimiter_or_decimal_mark_past_ascii_is_refused_not_cut_to_a_byte():
    # the binding passed the code point's low byte to the core: delimiter="€" split on byte 0xAC
    # (a missing column said), decimal="€" read "12,5" as thousands, format_amount wrote invalid
    # UTF-8 for decimal="·" (a UnicodeDecodeError), read_plan quoted a decoding error
    data = "montant€nom\n12€a\n".encode()
    with pytest.raises(ValueError, match="delimiter must be an ASCII character"):
        essconv.Ledger.read_csv(io.BytesIO(data), amount="montant", delimiter="€")
    with pytest.raises(ValueError, match="decimal mark must be an ASCII character"):
        essconv.Ledger.read_csv(io.BytesIO(b"montant;nom\n12,5;a\n"), amount="montant",
                                decimal="€")
    with pytest.raises(ValueError, match="delimiter must be an ASCII character"):
        essconv.read_plan(io.BytesIO("x€A€B\nl€1€2\n".encode()), delimiter="€")
    with pytest.raises(ValueError, match="delimiter must be an ASCII character"):
        _core.read_table(b"a", 0, "€")
    with pytest.raises(ValueError, match="decimal mark must be an ASCII character"):
        _core.Plan.from_rows([], decimal="·")
    for mark in ("·", ".."):
        with pytest.raises(ValueError, match="decimal mark must be one ASCII character"):
            essconv.format_amount(12, decimal=mark)
    assert essconv.format_amount(12, decimal=".", decimals=2) == "12.00"
    assert essconv.format_amount(12, decimal="", decimals=2) == "12,00"
    # ASCII marks read as before
    assert essconv.Ledger.read_csv(io.BytesIO(b"montant|nom\n12.5|a\n"), amount="montant",
                                   delimiter="|", decimal=".").total() == Decimal("12.5")



@pytest.mark.parametrize("mark", ['"', "\n", "\r"])
def test_a_delimiter_that_is_a_quote_or_a_line_ending_is_refused_before_reading(mark):
    # delimiter='"' read a file of one column whose cells were split at every quote, and the
    # reader's fast path tells a delimiter from a quote or a line ending by kind: refused by the
    # readers, the binding and the core alike, never read into something
    data = b'montant"nom\n12"a\n'
    with pytest.raises(essconv.InvalidValueError, match="delimiter cannot be"):
        essconv.Ledger.read_csv(io.BytesIO(data), amount="montant", delimiter=mark)
    with pytest.raises(essconv.InvalidValueError, match="delimiter cannot be"):
        essconv.read_plan(io.BytesIO(b'x"A"B\nl"1"2\n'), delimiter=mark)
    with pytest.raises(essconv.InvalidValueError, match="delimiter cannot be"):
        _core.Ledger.read_csv(data, ["montant", "nom"], [_core.COL_AMOUNT, _core.COL_LABEL],
                              delimiter=mark)
    with pytest.raises(essconv.InvalidValueError, match="delimiter cannot be"):
        _core.read_table(b"a", 0, mark)


def test_a_delimiter_of_two_characters_or_not_a_str_is_refused_in_the_hierarchy():
    # Ledger.read_csv(delimiter=";;") was the binding's bare TypeError ("argument 5 must be a
    # unicode character"), outside essconv's errors
    data = io.BytesIO(b"montant;nom\n12;a\n")
    with pytest.raises(essconv.InvalidValueError, match="a delimiter is one character"):
        essconv.Ledger.read_csv(data, amount="montant", delimiter=";;")
    with pytest.raises(essconv.ArgumentTypeError, match="a delimiter is one character"):
        essconv.Ledger.read_csv(data, amount="montant", delimiter=59)
    with pytest.raises(essconv.InvalidValueError, match="delimiter cannot be"):
        essconv.Ledger.read_csv(data, amount="montant", delimiter="\0")
    with pytest.raises(essconv.ArgumentTypeError, match="a delimiter is one character"):
        essconv.read_plan(io.BytesIO(b"x;A\nl;1\n"), delimiter=b";")
    # a told delimiter still reads
    assert essconv.Ledger.read_csv(io.BytesIO(b"montant;nom\n12;a\n"), amount="montant",
                                   delimiter=";").total() == Decimal(12)

# ------------------------------------------------------------ a dash for zero (Excel accounting)
@pytest.mark.parametrize("threads", [1, 2])
def test_a_dash_for_zero_is_refused_at_its_cell_or_read_as_zero_when_said(threads, tmp_path):
    """Excel's accounting format prints a zero as "-", and a CSV saved from it keeps the dash:
    the message asked to "say whether a dash means zero", and nothing could be said."""
    dashes = [" - ", "\u2013", "\u2014", "-"]

    def french(cents):   # "12 345,67", grouped by threes with a space
        return f"{cents // 100:,}".replace(",", " ") + f",{cents % 100:02d}"
    rows = [(f"Asso {k}", dashes[k % 4] if k % 7 == 3 else french(k * 12_347))
            for k in range(1, 40_000)]
    path = tmp_path / "grants.csv"
    path.write_text("nom;montant\n" + "".join(f"{n};{m}\n" for n, m in rows), encoding="utf-8")
    first = next(k for k, (_, m) in enumerate(rows) if m.strip() in "-\u2013\u2014")
    with pytest.raises(essconv.AmountError, match="dash_is_zero=True reads a dash as zero") as info:
        Ledger.read_csv(path, amount="montant", threads=threads)
    assert info.value.line == first + 2   # the header is line 1
    ledger = Ledger.read_csv(path, amount="montant", threads=threads, dash_is_zero=True)
    # the twin: each printed amount read with Decimal, each dash a zero
    want = sum((Decimal(m.replace(" ", "").replace(",", ".")) for _, m in rows
                if m.strip() not in ("-", "\u2013", "\u2014")), Decimal(0))
    assert len(ledger) == len(rows) and ledger.total() == want
    scdl = tmp_path / "scdl.csv"
    scdl.write_text("nomAttribuant;idAttribuant;dateConvention;nomBeneficiaire;objet;montant;nature\n"
                    "Région;23590001;2017-01-02;Asso;Fonctionnement;-;aide en numéraire\n"
                    "Région;23590001;2017-02-03;Asso B;Projet;1 000,50;aide en numéraire\n",
                    encoding="utf-8")
    assert len(read_scdl(scdl).bad_rows) == 1
    assert read_scdl(scdl, dash_is_zero=True).total() == Decimal("1000.50")


def test_a_missing_column_is_refused_with_the_headers_names_and_the_likely_one(tmp_path):
    # "montant (k€)" for "montant": the unit added to the header is the common reason
    path = tmp_path / "k.csv"
    path.write_text("annee;financeur;montant (k€)\n2010;Région;12,5\n", encoding="utf-8")
    with pytest.raises(essconv.ParseError) as caught:
        Ledger.read_csv(path, amount="montant")
    message = str(caught.value)
    assert f"{path}:1:1:" in message
    assert "no column 'montant' (did you mean 'montant (k€)'?)" in message
    assert "its columns: 'annee', 'financeur', 'montant (k€)'" in message
    with pytest.raises(essconv.ParseError, match="no column 'somme'; its columns: 'annee'"):
        Ledger.read_csv(path, amount="somme")   # nothing alike: no guess


def test_a_message_cutting_a_name_inside_a_character_is_still_the_error(tmp_path):
    # the core cuts a name to 60 bytes ("%.60s"): an é across that cut once made the error a
    # UnicodeDecodeError in the binding, the file's place and the words lost
    path = tmp_path / "cut.csv"
    path.write_text("annee;financeur;montant\n2010;Région;12,5\n", encoding="utf-8")
    asked = "a" * 59 + "é"
    with pytest.raises(essconv.ParseError, match=f"{re.escape(str(path))}:1:1: the header has no "
                                                 f"column '{'a' * 59}'; its columns"):
        Ledger.read_csv(path, amount="montant", ints=[asked])
    # a header too wide for the message ends in "..." after whole names
    wide = ";".join(f"colonne_{k}_é{'x' * 30}" for k in range(12)) + ";montant"
    path.write_text(wide + "\n" + ";".join(["a"] * 12) + ";1\n", encoding="utf-8")
    with pytest.raises(essconv.ParseError) as caught:
        Ledger.read_csv(path, amount="somme")
    listed = str(caught.value).split("its columns: ", 1)[1]
    assert listed.endswith(", ...") and listed.startswith("'colonne_0_é")


@pytest.mark.parametrize("codec", ["utf-16-le", "utf-16-be"])
def test_utf16_without_a_byte_order_mark_is_named_so_with_how_to_save_it(codec, tmp_path):
    """Excel's "Unicode text" saved by some tools without its BOM: every other byte is NUL.  It
    was "a NUL byte at line 1, column 2: this is not a text file"; it is said what it is and
    how to save it as CSV UTF-8, at line 1, on every read path."""
    import io
    from essconv.messages import language
    data = "beneficiaire;montant\nAssociation é;1 250,50\n".encode(codec)
    path = tmp_path / "export.csv"
    path.write_bytes(data)
    for source in (data, path, io.BytesIO(data)):
        with pytest.raises(essconv.ParseError) as caught:
            Ledger.read_csv(source, amount="montant")
        exc = caught.value
        assert exc.line == 1, str(exc)
        said = str(exc)
        assert "UTF-16" in said and "every other byte is NUL" in said and "CSV UTF-8" in said
        assert f"encoding='{codec}'" in said and "NUL byte at line" not in said, said
        french = language("fr").refusal(exc)
        assert "UTF-16" in french and "un octet sur deux est NUL" in french, french
        assert "CSV UTF-8" in french, french
    assert Ledger.read_csv(data, amount="montant", encoding=codec).total() == Decimal("1250.50")


@pytest.mark.parametrize("ending", [b"\n\x1a", b"\x1a", b"\r\n\x1a"])
def test_a_dos_end_of_file_mark_as_the_last_byte_is_the_end_of_the_file(ending, tmp_path):
    """Old exports append Ctrl-Z (0x1A), DOS's end-of-file mark, as the very last byte: it was
    read as a row ("this row has 1 field where the header has 2", with an Excel hint that did
    not apply) or glued to the last amount.  The file is read as without it."""
    data = b"beneficiaire;montant\r\nA;1 250,50\r\nB;2" + ending
    path = tmp_path / "export.csv"
    path.write_bytes(data)
    gzipped = tmp_path / "export.csv.gz"   # streamed in blocks, its size unknown until its end
    gzipped.write_bytes(gzip.compress(data))
    for source in (data, path, io.BytesIO(data), gzipped):
        for threads in (1, 2):
            ledger = Ledger.read_csv(source, amount="montant", threads=threads)
            assert ledger.total() == Decimal("1252.50") and len(ledger) == 2
            assert ledger.bad_rows == [] and ledger.blank_rows == 0
            if hasattr(source, "seek"):
                source.seek(0)
    cp1252 = data.replace(b"A;", "Régie;".encode("cp1252"))
    assert Ledger.read_csv(cp1252, amount="montant").total() == Decimal("1252.50")


def test_a_dos_end_of_file_mark_before_the_last_byte_is_refused_naming_it():
    from essconv.messages import language
    for data, place in [(b"beneficiaire;montant\nA;1\x1a\nB;2\n", (2, 3)),
                        (b"beneficiaire;montant\nA;1\x1a\n", (2, 3))]:
        with pytest.raises(essconv.ParseError) as caught:
            Ledger.read_csv(data, amount="montant")
        assert (caught.value.line, caught.value.column) == place, str(caught.value)
        assert "U+001A" in str(caught.value) and "DOS end-of-file mark" in str(caught.value)
        assert "Excel" not in str(caught.value), str(caught.value)
        french = language("fr").refusal(caught.value)
        assert "U+001A" in french and "fin de fichier DOS" in french, french
