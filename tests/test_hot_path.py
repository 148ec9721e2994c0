"""The reader's per-cell hot path: each column's writer is chosen once from the
header and reads amounts, integers and dates straight from the file's bytes, with the plain
amount parsed inline and every other text through the full parser.  Checked here against the
slow obvious twins (the full parser on each cell alone, Python's int, datetime.date), and the
library's functions kept out of its dynamic symbol table so that the core calls them directly,
not through the PLT.
"""
from __future__ import annotations

import ctypes
import io
from array import array
import datetime
from decimal import Decimal
from pathlib import Path
import platform
import subprocess
import sys
import sysconfig

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from essconv import Ledger, ParseError, _core

NBSP, NNBSP = "\u00a0", "\u202f"


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="ELF dynamic symbols")
def test_the_extension_exports_its_init_alone():
    lib = ctypes.CDLL(_core.__file__)
    assert hasattr(lib, "PyInit__core")
    for name in ("ess_money_parse", "ess_dict_intern", "ess_date_parse", "ess_text_trim",
                 "ess_ledger_reserve"):
        assert not hasattr(lib, name), f"{name} is exported: the core calls it through the PLT"


def alone(text: str, decimal: str = ","):
    """The amount of one cell as the full parser reads it alone (None: blank), or the error."""
    try:
        read = _core.parse_amount(text, decimal=decimal)
        return None if read is None else read[0]
    except (ParseError, OverflowError) as exc:
        return ("error", type(exc).__name__)


def grouped(cents: int) -> str:
    return f"{cents // 100:,}".replace(",", NBSP) + f",{cents % 100:02d}"


def pointed(cents: int) -> str:
    return f"{'-' if cents < 0 else ''}{abs(cents) // 100}.{abs(cents) % 100:02d}"


AMOUNT = st.one_of(st.text(alphabet="0123456789 ,.-" + NBSP + NNBSP + "€k()", max_size=14),
                   st.integers(-10**14, 10**14).map(grouped),
                   st.integers(-10**14, 10**14).map(pointed))


@settings(max_examples=300, deadline=None)
@given(st.lists(st.tuples(AMOUNT, st.text(alphabet="0123456789 -+x", max_size=6),
                          st.dates(datetime.date(1900, 1, 1), datetime.date(2100, 12, 31))),
                min_size=1, max_size=25))
def test_every_cell_reads_as_its_slow_twin_reads_it_alone(rows):
    body = "".join(f'"{a}";{n};{d.isoformat()}\n' for a, n, d in rows)
    data = ("montant;annee;date\n" + body).encode()
    core, bad = _core.Ledger.read_csv(data, ["montant", "annee", "date"],
                                      [_core.COL_AMOUNT, _core.COL_INT, _core.COL_DATE],
                                      delimiter=";", decimal=",", collect_bad=True)
    amounts, ints, days = (array(t, core.copy_column(c)) for c, t in enumerate("qqi"))
    bad_lines = {b[0] for b in bad}
    got = 0
    for k, (a, n, d) in enumerate(rows):
        line = k + 2
        twin_amount = alone(a)
        stripped = n.strip()
        try:
            twin_int = int(stripped) if stripped and stripped.lstrip("+-").isdigit() else (
                None if not stripped else "bad")
        except ValueError:
            twin_int = "bad"
        row_is_bad = (not isinstance(twin_amount, int)) or twin_int == "bad" or \
            (twin_int is not None and not -2**63 <= twin_int < 2**63)
        if line in bad_lines:
            assert row_is_bad, (a, n)
            continue
        assert not row_is_bad, (a, n)
        assert amounts[got] == twin_amount, a
        assert ints[got] == (-2**63 if twin_int is None else twin_int), n   # INT64_MIN: missing
        assert days[got] == (d - datetime.date(1970, 1, 1)).days
        got += 1
    assert got == core.nrows and len(rows) == got + len(bad_lines)


def located(text: str) -> tuple[int, int]:
    """Line and character column (from 1) just past `text`, every line ending counted (CRLF,
    LF, lone CR): the place an error at the next byte names."""
    line, column, k = 1, 1, 0
    while k < len(text):
        if text[k] == "\r" and text[k + 1:k + 2] == "\n":
            k += 1
        if text[k] in "\r\n":
            line, column = line + 1, 1
        else:
            column += 1
        k += 1
    return line, column


# Pieces of a text for the UTF-8 check: ASCII runs of every length around the scanners' 8, 16
# and 32 bytes, valid sequences of 2-4 bytes, and what Python's decoder refuses -- a lone
# continuation, overlongs, surrogates, past U+10FFFF, a lead byte never used, a sequence cut
# short (at the very end of the text too, where the scanners' last block is).
ASCII_TEXT = b"abcdefghij;,\n\r 0123456789"
ASCII_RUN = st.integers(0, 70).map(lambda n: bytes(ASCII_TEXT[k % len(ASCII_TEXT)]
                                                    for k in range(n)))
VALID = st.sampled_from(["é", "€", "\u202f", "\u00a0", "𝄞", "\U0010ffff", "\u07ff", "\ud7ff"]
                        ).map(str.encode)
INVALID = st.sampled_from([b"\x80", b"\xbf", b"\xc0\xaf", b"\xc1\xbf", b"\xe0\x80\xaf",
                           b"\xe0\x9f\xbf", b"\xf0\x80\x80\xaf", b"\xf0\x8f\xbf\xbf",
                           b"\xed\xa0\x80", b"\xed\xbf\xbf", b"\xf4\x90\x80\x80", b"\xf5\x80\x80\x80",
                           b"\xff", b"\xfe", b"\xc3", b"\xe2\x82", b"\xf0\x9d\x84", b"\xc3A",
                           b"\xe2\x82A"])


@pytest.mark.parametrize("scanner", [0, 2, 1], ids=["fastest", "sse2", "portable"])
@settings(max_examples=400, deadline=None)
@given(pieces=st.lists(st.one_of(ASCII_RUN, ASCII_RUN, VALID, INVALID), max_size=12),
       random_tail=st.binary(max_size=40))
@example(pieces=[b"\xef\xbb\xbf"], random_tail=b"")   # found by hypothesis: a BOM alone
def test_utf8_check_finds_the_first_byte_python_refuses(scanner, pieces, random_tail):
    """The UTF-8 check (ASCII runs skipped 16 or 32 bytes at a time) against Python's decoder:
    the same texts valid, and for the others the same first refused byte, by its line and
    column."""
    data = (b"".join(pieces) + random_tail).replace(b"\0", b"0").replace(b'"', b"'")
    try:
        _core._scan(scanner)
        try:
            data.decode("utf-8")
        except UnicodeDecodeError as refused:
            line, column = located(data[:refused.start].decode("utf-8"))
            with pytest.raises(ParseError) as raised:
                _core.read_table(data, _core.ENC_UTF8)
            assert str(raised.value).endswith(f"byte 0x{data[refused.start]:02X} at line {line}, "
                                              f"column {column} is not UTF-8"), data
        else:
            if data.strip():   # a text that starts with U+FEFF is said to carry its BOM
                said = "utf-8-sig" if data.startswith(b"\xef\xbb\xbf") else "utf-8"
                assert _core.read_table(data, _core.ENC_UTF8)[1] == said
                assert _core.read_table(data)[1] == said
    finally:
        _core._scan(0)


def read_column(cells: list[str], kind: int, decimal: str) -> tuple[list[int], dict[int, str]]:
    """The values the reader gives a one-column file of these cells, and its bad rows by index."""
    amount = [] if kind == _core.COL_AMOUNT else ["0"]   # a ledger has one amount column
    data = (";".join(["v"] + ["m"] * len(amount)) + "\n" +
            "".join(";".join([f'"{c}"'] + amount) + "\n" for c in cells)).encode()
    core, bad = _core.Ledger.read_csv(data, ["v", "m"][:1 + len(amount)],
                                      [kind] + [_core.COL_AMOUNT] * len(amount), delimiter=";",
                                      decimal=decimal, collect_bad=True)
    bad_rows = {line - 2: message for line, _, message, _ in bad}
    values = iter(array("q", core.copy_column(0)))
    return [None if k in bad_rows else next(values) for k in range(len(cells))], bad_rows


# "277513.27" and its neighbours: the shape read straight (digits, a mark, two digits) and the
# texts one step outside it (one or three decimals, 17 digits, a sign, no integer part, a gap).
STRAIGHT = st.tuples(st.sampled_from(["", "-", "+"]), st.integers(0, 17), st.integers(0, 10**17),
                     st.sampled_from([".", ","]), st.integers(1, 3), st.integers(0, 999),
                     st.sampled_from(["", "", "", " ", "x"]))


@pytest.mark.parametrize("decimal", [",", "."])
@settings(max_examples=200, deadline=None)
@given(shapes=st.lists(STRAIGHT, min_size=1, max_size=30))
@example(shapes=[("", 17, 92233720368547759, ",", 2, 0, ""),    # found by hypothesis: past int64
                 ("-", 17, 92233720368547758, ",", 2, 8, ""),   # -2**63 cents: the least amount
                 ("", 17, 92233720368547758, ".", 2, 8, "")])   # 2**63 cents: one too many
def test_amounts_read_straight_equal_their_decimal_twin(decimal, shapes):
    """The amount read straight (no gap, two decimals) against Python's Decimal, and every text
    next to its shape against the full parser on that cell alone."""
    cells = []
    for sign, width, digits, mark, decimals, frac, junk in shapes:
        whole = str(digits).zfill(width)[-width:] if width else ""
        cells.append(f"{sign}{whole}{mark}{str(frac).zfill(decimals)[-decimals:]}{junk}")
    got, _ = read_column(cells, _core.COL_AMOUNT, decimal)
    for cell, cents in zip(cells, got):
        sign, body = (cell[0], cell[1:]) if cell[:1] == "-" else ("", cell)
        shape = (len(body) >= 4 and body[:-3].isascii() and body[:-3].isdigit() and
                 body[-2:].isdigit())
        if shape and body[-3] == decimal:   # Decimal's reading
            twin = int(Decimal(sign + body[:-3] + "." + body[-2:]) * 100)
            assert cents == (twin if -2**63 <= twin < 2**63 else None), cell   # else refused
        elif shape:   # the other mark than the one declared groups, never two digits
            assert cents is None, cell
        else:
            twin = alone(cell, decimal)
            assert cents == (twin if isinstance(twin, int) else None), cell


INTS = st.one_of(st.integers(-10**19, 10**19), st.integers(10**17, 10**18 + 10),
                 st.integers(2**63 - 5, 2**63 + 5), st.integers(-2**63 - 5, -2**63 + 5))


def test_every_four_byte_integer_cell_reads_as_python_reads_it():
    """A cell of four bytes (a year) is read in one load: every one of 0000-9999 to its number,
    and each with one byte changed to a neighbour of the digits ('/' and ':', the SWAR test's
    edges), a sign, a space or a letter past ASCII refused at its line, as before."""
    cells = [f"{n:04d}" for n in range(10_000)]
    changed = [c[:k] + x + c[k + 1:] for c in cells[::97] for k in range(4) for x in "/:+-aé"]
    changed = [c for c in changed if not (c[0] in "+-" and c[1:].isdigit())]   # a signed 3
    text = "annee;m\n" + "".join(f"{c};1\n" for c in cells + changed)
    for threads in (1, 2):
        ledger = Ledger.read_csv(io.BytesIO(text.encode()), amount="m", ints=["annee"],
                                 bad_rows="collect", threads=threads)
        assert list(ledger.column("annee")) == list(range(10_000))
        assert [p.line for p in ledger.bad_rows] == list(range(10_002, 10_002 + len(changed)))
        assert all("is not an integer" in p.message for p in ledger.bad_rows)


@settings(max_examples=200, deadline=None)
@given(values=st.lists(st.tuples(INTS, st.integers(0, 3), st.sampled_from(["", "+", " ", "\t"])),
                       min_size=1, max_size=30))
def test_integers_read_straight_equal_python_int(values):
    """Integers of up to 18 digits are read without a check per digit: every width around that
    bound, leading zeros, signs and spaces, against Python's int and int64's range."""
    cells = [f"{pad if n >= 0 else ''}{'-' if n < 0 else ''}{'0' * zeros}{abs(n)}"
             for n, zeros, pad in values]
    got, _ = read_column(cells, _core.COL_INT, ",")
    for cell, value in zip(cells, got):
        twin = int(cell.strip())
        assert value == (twin if -2**63 < twin < 2**63 else None), cell   # -2**63: missing


# A quoted cell: its text, whether a quote is doubled inside, text after its closing quote.
QUOTED = st.tuples(st.text(alphabet="ab é;,", max_size=40), st.booleans(),
                   st.text(alphabet="xy", max_size=3))


@pytest.mark.parametrize("scanner", [0, 2, 1], ids=["fastest", "sse2", "portable"])
@settings(max_examples=150, deadline=None)
@given(rows=st.lists(st.tuples(QUOTED, QUOTED), min_size=1, max_size=12),
       last_ending=st.sampled_from(["", "\n", "\r\n", "\r"]))
def test_quoted_cells_read_as_excel_writes_them(scanner, rows, last_ending):
    """The common quoted cell ("text" then its delimiter or line ending) points into the file;
    one with a doubled quote, text after its closing quote, or at the very end of the file
    (no line ending) goes the long way: both give the cell as written, "" one quote, the text
    after the quote appended, spaces around trimmed (labels)."""
    def written(cell):
        body, doubled, after = cell
        return '"' + body + ('""' if doubled else "") + '"' + after

    def meant(cell):
        body, doubled, after = cell
        return (body + ('"' if doubled else "") + after).strip(" ")

    text = "m;a;b\n" + "\n".join(f"1,00;{written(a)};{written(b)}" for a, b in rows) + last_ending
    try:
        _core._scan(scanner)
        core, bad = _core.Ledger.read_csv(text.encode(), ["a", "b", "m"],
                                          [_core.COL_LABEL, _core.COL_LABEL, _core.COL_AMOUNT],
                                          delimiter=";", collect_bad=True, threads=1)
    finally:
        _core._scan(0)
    assert bad == [] and core.nrows == len(rows)
    for k in range(2):
        words, codes = core.dictionary(k), array("i", core.copy_column(k))
        assert [words[c] if c >= 0 else "" for c in codes] == [meant(row[k]) for row in rows]


@pytest.mark.skipif(platform.machine() not in ("x86_64", "AMD64", "i686"), reason="x86 prefetch")
def test_the_merge_fetches_its_labels_text_ahead_in_the_compiled_code(tmp_path):
    """A chunk dictionary's merge (dict.c) fetches each label's slot and then its text ahead of
    the look-up.  GCC 12 deleted the text's __builtin_prefetch as dead code, and every test
    still passed: only the speed on a million names showed it.  So the compiled merge itself is
    read here, compiled as setup.py compiles it, for its three prefetches (slot, text, text's
    end)."""
    cc = (sysconfig.get_config_var("CC") or "cc").split()
    core = Path(__file__).resolve().parent.parent / "csrc" / "core"
    out = tmp_path / "dict.s"
    try:
        subprocess.run(cc + ["-O2", "-S", f"-I{core}", str(core / "dict.c"), "-o", str(out)],
                       check=True, capture_output=True)
    except (OSError, subprocess.CalledProcessError) as exc:
        pytest.skip(f"no C compiler to read the merge with: {exc}")
    lines = out.read_text().splitlines()
    start = lines.index("ess_dict_merge:")
    end = next(k for k in range(start, len(lines)) if lines[k].lstrip().startswith(".size\tess_dict_merge"))
    prefetches = [ln for ln in lines[start:end] if "prefetch" in ln]
    assert len(prefetches) >= 3, prefetches
