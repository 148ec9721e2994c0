"""A named file read by the core in blocks as it is parsed (memory).

``Ledger.read_csv(path)`` no longer reads the whole file into memory before parsing it: the core
reads a regular file in blocks (``_core.Ledger.read_csv_fd``, ``pread``), parses each as it
arrives on the threads and frees it once merged.  The reading must stay the one of the same
bytes in memory -- rows, label codes, bad rows, encoding, every error's message and place -- for
any block size: the hidden knob ``chunk_bytes`` cuts small files in blocks of a few bytes, so that
blocks end inside quoted cells holding line endings (the block is then joined to the next).  A
CP1252 file -- named so, or found so when its first read is not UTF-8 and holds no valid UTF-8
sequence -- is decoded block by block too, and so is one whose first CP1252 byte comes after
blocks of ASCII alone (read again as found, from its start), and one that mixes UTF-8 and
CP1252 (read again as mixed once both are met); an error is read whole to be worded.  The slow obvious twin of the amounts is the
generator's Decimal sum (test_chunked_read's files).
"""
from __future__ import annotations

import gzip
import os
import random
import re
import shutil
import subprocess
import sys
import textwrap
import warnings
from array import array
from decimal import Decimal
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import essconv
from essconv import Ledger, _core

from conftest import UNDER_ASAN
from test_chunked_read import KINDS, NAMES, grant_file

DATA = Path(__file__).parent / "data"
BLOCKS = [1, 2, 3, 5, 7, 11, 50, 97, 333, 4096, 0]   # 0: the core's own block size


def outcome(read) -> tuple:
    """All a reading yields (a core ledger and its bad rows), or the error it raised, to compare
    two readings exactly."""
    try:
        core, bad = read()[:2]
    except essconv.Error as exc:
        return ("error", type(exc).__name__, str(exc), getattr(exc, "line", None),
                getattr(exc, "column", None))
    return ("read", core.nrows, core.blank_rows, core.encoding, core.columns, bad,
            [core.copy_column(k) for k in range(len(core.columns))],
            [core.dictionary(k) if kind == _core.COL_LABEL else None
             for k, (_, kind) in enumerate(core.columns)], core.total())


def from_path(path: Path, names, kinds, **kw) -> tuple:
    with open(path, "rb") as fh:
        size = os.fstat(fh.fileno()).st_size
        core, bad, count = _core.Ledger.read_csv_fd(fh.fileno(), size, names, kinds, **kw)
    assert count == size   # every byte read, once, by the pass that made the result
    return core, bad


def from_bytes(path: Path, names, kinds, **kw) -> tuple:
    return _core.Ledger.read_csv(path.read_bytes(), names, kinds, **kw)


@pytest.mark.parametrize("path", sorted((DATA / "scdl").glob("*.csv")), ids=lambda p: p.name)
def test_every_real_file_reads_from_its_path_as_from_its_bytes(path):
    """The real grant files (CP1252 and UTF-8, BOM or not, CRLF, quoted prose): the same
    reading, or the same error, from the path in blocks of every size as from the bytes."""
    kw = {"collect_bad": True, "all_columns": True}
    one_pass = outcome(lambda: from_bytes(path, ["montant"], [_core.COL_AMOUNT], threads=1, **kw))
    for block in BLOCKS:
        for threads in (1, 2):
            got = outcome(lambda: from_path(path, ["montant"], [_core.COL_AMOUNT],
                                            threads=threads, chunk_bytes=block, **kw))
            assert got == one_pass, (block, threads)
    if one_pass[0] == "read":   # the public door too
        ledger = Ledger.read_csv(path, amount="montant", bad_rows="collect")
        assert ledger.total() == Decimal(one_pass[-1]).scaleb(-2)


DRESSES = [
    pytest.param(";", "\r\n", True, "utf-8", id="quoted ; CRLF utf-8"),
    pytest.param(",", "\n", False, "utf-8", id="minimal quotes , LF"),
    pytest.param("\t", "\r\n", False, "utf-8-sig", id="tab CRLF BOM"),
    pytest.param(";", "\r", True, "utf-8", id="quoted ; lone CR"),
    pytest.param(";", "\r\n", True, "cp1252", id="quoted ; CRLF cp1252"),
]


@pytest.mark.parametrize("delimiter,newline,quote_all,encoding", DRESSES)
def test_blocks_cut_inside_quoted_line_endings_give_the_one_pass_reading(
        tmp_path, delimiter, newline, quote_all, encoding):
    """Generated grant files whose quoted cells hold LF, CRLF, delimiters and doubled quotes:
    every block size from 1 to 333 bytes ends blocks inside such cells; the reading from the
    path equals the one pass over the bytes, and its total the generator's Decimal sum."""
    rng = random.Random(f"stream{delimiter}{newline}{quote_all}{encoding}")
    text, total, rows = grant_file(rng, 60, delimiter, "\n", quote_all, encoding == "cp1252")
    text = text.replace("\n", newline) if newline != "\n" else text
    path = tmp_path / "grants.csv"
    path.write_bytes(text.encode("cp1252" if encoding == "cp1252" else encoding))
    # a CP1252 file is decoded block by block, named so or found so (its accents come early)
    named = {"encoding": _core.ENC_CP1252} if encoding == "cp1252" else {}
    for kw in ({}, named) if named else ({},):
        one_pass = outcome(lambda: from_bytes(path, NAMES, KINDS, collect_bad=True, threads=1,
                                              **kw))
        assert one_pass[0] == "read" and one_pass[1] == rows
        assert Decimal(one_pass[-1]).scaleb(-2) == total          # the generator's Decimal twin
        for block in range(1, 334):
            got = outcome(lambda: from_path(path, NAMES, KINDS, collect_bad=True,
                                            threads=1 + block % 2, chunk_bytes=block, **kw))
            assert got == one_pass, (block, kw)


BAD_FILES = {
    "a ragged row late": b"montant;f\n" + b"1,00;a\n" * 300 + b"2,00;b;c\n" + b"3,00;d\n",
    "an amount that is not one": b"montant;f\n" + b"1,00;a\n" * 200 + b"douze;b\n",
    "a quote never closed": b"montant;f\n" + b"1,00;a\n" * 200 + b'2,00;"b\n3,00;c\n',
    "a NUL byte late": b"montant;f\n" + b"1,00;a\n" * 200 + b"2,00;\0b\n",
    "a parse error then a CP1252 byte": b"montant;f\n1,00;a;z\n" + b"1,00;a\n" * 200
                                        + "2,00;Région\n".encode("cp1252"),
    "UTF-16": "montant;f\n1,00;a\n".encode("utf-16"),
    "UTF-16 big-endian": b"\xfe\xff" + "montant;f\n1,00;a\n".encode("utf-16-be"),
    "the point decides late": b"montant;f\n" + b"12.500;a\n" * 200 + b"3.25;b\n",
    "an ambiguous point": b"montant;f\n" + b"12.500;a\n" * 200,
    "empty": b"",
    "only blank lines": b"\n\r\n\n",
    "a header and no body": b"montant;f",
    "no line ending at the end": b"montant;f\n1,00;a\n2,00;b",
}


@pytest.mark.parametrize("name", list(BAD_FILES))
def test_errors_and_late_decisions_are_those_of_the_bytes(tmp_path, name):
    """Errors found in a later block (the streamed pass gives up and the whole file is read, so
    the message and place are the one-pass ones), a UTF-8 check failing after parse errors, the
    decimal mark decided by the last row (the file is read again from its start): all as from
    the bytes, in raise and collect modes."""
    path = tmp_path / "bad.csv"
    path.write_bytes(BAD_FILES[name])
    names, kinds = ["montant", "f"], [_core.COL_AMOUNT, _core.COL_LABEL]
    for collect in (False, True):
        one_pass = outcome(lambda: from_bytes(path, names, kinds, collect_bad=collect))
        for block in (1, 4, 16, 100, 0):
            got = outcome(lambda: from_path(path, names, kinds, collect_bad=collect,
                                            chunk_bytes=block))
            assert got == one_pass, (collect, block)


CP1252_FILES = {
    "plain": ("montant;f\n" + "1,00;Région\n" * 300).encode("cp1252"),
    "a BOM before it": b"\xef\xbb\xbf" + ("montant;f\n" + "1,00;Région\n" * 300).encode("cp1252"),
    "an undefined byte late": ("montant;f\n" + "1,00;Région\n" * 300).encode("cp1252")
                              + b"2,00;\x81\n",
    "a NUL late": ("montant;f\n" + "1,00;é\n" * 300).encode("cp1252") + b"2,00;\0\n",
    "a quoted line ending and a bad row": ("montant;f\n" + '1,00;"Ré\ngion"\n' * 300
                                           + "x;é\n" + "1,00;é\n" * 50).encode("cp1252"),
    "UTF-8 named CP1252": ("montant;f\n" + "1,00;Région\n" * 300).encode(),
}


@pytest.mark.parametrize("name", list(CP1252_FILES))
def test_a_file_named_cp1252_is_decoded_block_by_block_as_whole(tmp_path, name):
    """encoding="cp1252": each block is decoded on the thread that parses it; the reading, or
    the error (an undefined byte, a NUL: then the whole file is read, so the place is the
    one-pass place), equals the one of the bytes, for blocks cutting quoted line endings."""
    path = tmp_path / "cp1252.csv"
    path.write_bytes(CP1252_FILES[name])
    names, kinds = ["montant", "f"], [_core.COL_AMOUNT, _core.COL_LABEL]
    for collect in (False, True):
        kw = {"collect_bad": collect, "encoding": _core.ENC_CP1252}
        one_pass = outcome(lambda: from_bytes(path, names, kinds, **kw))
        for block in (1, 5, 16, 100, 0):
            for threads in (1, 2):
                got = outcome(lambda: from_path(path, names, kinds, chunk_bytes=block,
                                                threads=threads, **kw))
                assert got == one_pass, (collect, block, threads)


FOUND_CP1252_FILES = {
    **{name: data for name, data in CP1252_FILES.items() if name != "UTF-8 named CP1252"},
    # ESS_ENC_MIXED as the whole text decides it: a valid UTF-8 sequence after CP1252 blocks
    "a UTF-8 sequence late": ("montant;f\n" + "1,00;Région\n" * 300).encode("cp1252")
                             + "2,00;Région\n".encode(),
    # the CP1252 letters Ã© are the bytes C3 A9, valid UTF-8: the text is mixed, as Python says
    "CP1252 letters that are UTF-8": ("montant;f\n" + "1,00;Région\n" * 300
                                      + "2,00;CrÃ©dit\n").encode("cp1252"),
    "a NUL first": b"montant;f\n1,00;\0\n" + ("1,00;Région\n" * 300).encode("cp1252"),
    # mixed from the header on: the body starts after the header's bytes, sequences kept
    "a UTF-8 header": "montant;f;bénéficiaire\n€;Société;é\n".encode()
                      + ("1,00;Région;é\n" * 300).encode("cp1252"),
    "CRLF and a bad amount": ("montant;f\r\n" + "1,00;Région\r\n" * 300 + "douze;é\r\n"
                              + "1,00;é\r\n" * 50).encode("cp1252"),
}


def read_as_its_bytes(path: Path, blocks, collect: bool = True) -> tuple:
    """The reading of the file at path (a money column and a label one), its bad rows kept or
    not, in blocks of each size on 1 and 2 threads: that of its bytes, which it returns."""
    names, kinds = ["montant", "f"], [_core.COL_AMOUNT, _core.COL_LABEL]
    one_pass = outcome(lambda: from_bytes(path, names, kinds, collect_bad=collect))
    for block in blocks:
        for threads in (1, 2):
            got = outcome(lambda: from_path(path, names, kinds, chunk_bytes=block,
                                            threads=threads, collect_bad=collect))
            assert got == one_pass, (collect, block, threads)
    return one_pass


@pytest.mark.parametrize("name", list(FOUND_CP1252_FILES))
def test_a_file_found_cp1252_is_decoded_block_by_block_as_whole(tmp_path, name):
    """No encoding named, a first read that is not UTF-8 and holds no valid UTF-8 sequence (an
    Excel export): the blocks are decoded as CP1252 on the parsing threads, each refused if it
    holds a valid UTF-8 sequence (the text is then mixed, and read again so from its start; an
    error is worded by the whole read).  The reading, its encoding, or the error, equals the one
    of the bytes."""
    path = tmp_path / "found.csv"
    path.write_bytes(FOUND_CP1252_FILES[name])
    for collect in (False, True):
        read_as_its_bytes(path, (1, 5, 16, 100, 0), collect)


@pytest.mark.parametrize("late", ["Région".encode(), "CrÃ©dit".encode("cp1252"), b"\0",
                                  b"\x81"], ids=["UTF-8", "C3 A9", "NUL", "undefined"])
def test_a_block_past_the_first_read_of_a_file_found_cp1252_is_checked_as_it_is_decoded(
        tmp_path, late):
    """The first read (1 MiB and more, for the decimal mark) found CP1252; a valid UTF-8
    sequence, a NUL or an undefined byte in a later block is met by the thread that decodes it:
    the file is read again as mixed (its UTF-8 sequences kept), or whole for the error at its
    place."""
    rows = ("1,00;Région\n" * 120_000).encode("cp1252")   # 1.4 MB: past the first read
    path = tmp_path / "late.csv"
    path.write_bytes(b"montant;f\n" + rows + b"2,00;" + late + b"\n" + rows[:1200])
    one_pass = read_as_its_bytes(path, (4096, 100_000, 0))
    if late == "Région".encode():
        assert one_pass[3] == "utf-8 + cp1252" and "Région" in one_pass[7][1]


ASCII_FIRST = b"montant;f\n" + b"1,00;Region\n" * 400_000   # 4.8 MB: past any first read
LATE_CP1252_FILES = {   # the first byte past ASCII after the first read
    "CP1252": ASCII_FIRST + ("2,00;Région\n" * 300 + "3,00;é\n").encode("cp1252"),
    "a BOM before it": b"\xef\xbb\xbf" + ASCII_FIRST + ("2,00;Région\n" * 300).encode("cp1252"),
    "CP1252 then UTF-8": ASCII_FIRST + ("2,00;Région\n" * 300).encode("cp1252")
                         + "3,00;Région\n".encode(),
    "UTF-8 then CP1252": ASCII_FIRST + "3,00;Région\n".encode()
                         + ("2,00;Région\n" * 300).encode("cp1252"),
    "both in one line": ASCII_FIRST + "2,00;é".encode("cp1252") + "é\n".encode(),
    "a NUL": ASCII_FIRST + b"2,00;\0\n" + ("2,00;Région\n" * 300).encode("cp1252"),
    "an undefined byte": ASCII_FIRST + ("2,00;Région\n" * 300).encode("cp1252") + b"2,00;\x81\n",
    "bad rows": ASCII_FIRST + ("2,00;Région\n" * 300 + "douze;é\n1,00;é;x\n"
                               + "2,00;é\n" * 50).encode("cp1252"),
    "a BOM, UTF-8 then CP1252": b"\xef\xbb\xbf" + ASCII_FIRST + "3,00;Région\n".encode()
                                + ("2,00;Région\n" * 300).encode("cp1252"),
    "mixed, then a NUL": ASCII_FIRST + "3,00;Région\n".encode()
                         + ("2,00;Région\n" * 300).encode("cp1252") + b"2,00;\0\n",
    "mixed, CRLF and bad rows": ASCII_FIRST.replace(b"\n", b"\r\n") + "3,00;Région\r\n".encode()
                                + ("2,00;Région\r\n" * 300 + "douze;é\r\n1,00;é;x\r\n"
                                   + "2,00;é\r\n" * 50).encode("cp1252") + "€;é\r\n".encode(),
}


@pytest.mark.parametrize("name", list(LATE_CP1252_FILES))
def test_a_file_whose_first_accent_comes_late_is_found_cp1252_as_whole(tmp_path, name):
    """No encoding named, megabytes of ASCII, then a byte that is not UTF-8: the streamed pass
    meets it in a later block and reads the file again as found CP1252 from its first byte, on
    the threads; as mixed when a valid UTF-8 sequence came before it, or comes after (each
    sequence kept, each other byte CP1252, as the whole text is decoded once found mixed); a
    NUL or an undefined byte is left to the whole read.  The reading, its encoding, or the
    error, equals the one of the bytes."""
    path = tmp_path / "late.csv"
    path.write_bytes(LATE_CP1252_FILES[name])
    one_pass = read_as_its_bytes(path, (65_536, 1_000_000, 0))
    expected = {"CP1252": "cp1252", "a BOM before it": "utf-8 BOM + cp1252",
                "bad rows": "cp1252", "CP1252 then UTF-8": "utf-8 + cp1252",
                "UTF-8 then CP1252": "utf-8 + cp1252", "both in one line": "utf-8 + cp1252",
                "a BOM, UTF-8 then CP1252": "utf-8 + cp1252",
                "mixed, CRLF and bad rows": "utf-8 + cp1252"}
    if name in expected:
        assert one_pass[0] == "read" and one_pass[3] == expected[name], one_pass[:4]
    else:
        assert one_pass[0] == "error", one_pass


CP1252_BYTES = {   # of 2 MiB and more: on two threads, read as a file is (blocks decoded on them)
    "found": ("montant;f\n" + "1,00;Région\n" * 200_000).encode("cp1252"),
    "named": ("montant;f\n" + "1,00;Région\n" * 200_000).encode("cp1252"),
    "a BOM before it": b"\xef\xbb\xbf" + ("montant;f\n" + "1,00;Région\n" * 200_000).encode("cp1252"),
    "a UTF-8 sequence late": ("montant;f\n" + "1,00;Région\n" * 200_000).encode("cp1252")
                             + "2,00;Région\n".encode(),
    "a NUL late": ("montant;f\n" + "1,00;é\n" * 300_000).encode("cp1252") + b"2,00;\0\n",
    "bad rows": ("montant;f\n" + "1,00;é\n" * 300_000 + "douze;é\n1,00;a;b\n").encode("cp1252"),
    "UTF-8 after its first MiB": ("montant;f\n" + "1,00;Region\n" * 100_000 + "1,00;Région\n"
                                  * 100_000).encode(),
    # the first MiB ASCII: the whole text's detection says CP1252 or mixed, read so on the threads
    "CP1252 after its first MiB": ("montant;f\n" + "1,00;Region\n" * 100_000 + "1,00;Région\n"
                                   * 100_000).encode("cp1252"),
    "a BOM, CP1252 after its first MiB": b"\xef\xbb\xbf" + ("montant;f\n" + "1,00;Region\n"
                                         * 100_000 + "1,00;Région\n" * 100_000).encode("cp1252"),
    "mixed after its first MiB": ("montant;f\n" + "1,00;Region\n" * 100_000).encode()
                                 + ("1,00;Région\n" * 50_000).encode()
                                 + ("1,00;Région\n" * 50_000 + "douze;é\n").encode("cp1252"),
    "mixed, then a NUL": ("montant;f\n" + "1,00;Region\n" * 100_000 + "1,00;Région\n" * 50_000
                          ).encode() + ("1,00;Région\n" * 50_000).encode("cp1252") + b"1,00;\0\n",
}


@pytest.mark.parametrize("name", list(CP1252_BYTES))
def test_cp1252_bytes_on_two_threads_read_as_on_one(name):
    """CP1252 bytes in memory, read as a file is on two threads (their blocks decoded on the
    threads, as CP1252 or mixed as the whole text is found; an error left to the whole read),
    give the one-thread reading, which decodes them whole first: the twin."""
    data = CP1252_BYTES[name]
    assert len(data) >= 2 << 20
    names, kinds = ["montant", "f"], [_core.COL_AMOUNT, _core.COL_LABEL]
    kw = {"encoding": _core.ENC_CP1252} if name == "named" else {}
    for collect in (False, True):
        one = outcome(lambda: _core.Ledger.read_csv(data, names, kinds, threads=1,
                                                    collect_bad=collect, **kw))
        for chunk in (0, 100_000):
            two = outcome(lambda: _core.Ledger.read_csv(data, names, kinds, threads=2,
                                                        chunk_bytes=chunk, collect_bad=collect,
                                                        **kw))
            assert two == one, (collect, chunk)


def test_a_cp1252_file_and_a_bom_before_a_cp1252_body_read_from_a_path_as_before(tmp_path):
    """A file whose first blocks are ASCII and whose CP1252 bytes come late: the streamed pass
    meets them and reads the file again as the whole text's detection decides (CP1252; with a
    UTF-8 BOM in front, CP1252 after it); a file mixing UTF-8 and CP1252 still says where its
    odd bytes are."""
    rows = "".join(f"{i},00;Ville {i}\n" for i in range(2000))
    cases = {
        "cp1252": ("montant;f\n" + rows + "3,00;Région\n").encode("cp1252"),
        "bom + cp1252": b"\xef\xbb\xbf" + ("montant;f\n" + rows + "3,00;Région\n").encode("cp1252"),
        "mixed": ("montant;f\n" + "1,00;Région\n" * 50 + rows).encode() + "3,00;Région\n".encode("cp1252"),
    }
    for name, data in cases.items():
        path = tmp_path / f"{name}.csv"
        path.write_bytes(data)
        with warnings.catch_warnings(record=True) as from_disk:
            warnings.simplefilter("always")
            streamed = Ledger.read_csv(path, amount="montant")
        with warnings.catch_warnings(record=True) as from_memory:
            warnings.simplefilter("always")
            whole = Ledger.read_csv(data, amount="montant")
        assert streamed.total() == whole.total() == Decimal(sum(range(2000)) + 3 +
                                                            (50 if name == "mixed" else 0))
        assert streamed._core.encoding == whole._core.encoding, name
        assert [str(w.message).replace(str(path), "<bytes>") for w in from_disk] == \
               [str(w.message) for w in from_memory], name
    assert Ledger.read_csv(tmp_path / "cp1252.csv", amount="montant")._core.encoding == "cp1252"
    assert Ledger.read_csv(tmp_path / "bom + cp1252.csv", amount="montant",
                           encoding="cp1252").total() == Decimal(sum(range(2000)) + 3)


def test_a_file_changed_between_two_blocks_is_refused(tmp_path):
    """The file is appended to, or cut short, while the core is reading it block after block
    (the progress callback, heard at each merged block, changes it): FileChangedError, as when
    the file changes before the read; before, the whole file was read first and a change during
    the parse went unseen."""
    rows = "".join(f"{i % 97},{i % 100:02d};F{i % 7}\n" for i in range(400_000))
    data = ("montant;financeur\n" + rows).encode()
    for change in ("grow", "shrink"):
        path = tmp_path / f"{change}.csv"
        path.write_bytes(data)
        os.utime(path, ns=(10**18, 10**18))
        done = []

        def change_once(at: int, total: int) -> None:
            if not done and at < total:
                done.append(at)
                if change == "grow":
                    with open(path, "ab") as fh:
                        fh.write(b"1,00;F1\n")
                else:
                    os.truncate(path, len(data) - 8)

        with pytest.raises(essconv.FileChangedError) as caught:
            Ledger.read_csv(path, amount="montant", progress=change_once)
        assert done, "the read was not in blocks: nothing changed during it"
        assert "changed while it was read" in str(caught.value) and str(path) in str(caught.value)


def test_progress_counts_the_file_and_its_stop_stops_the_read(tmp_path):
    """Progress goes up to the file's size in bytes (a BOM included), in order; a callback that
    raises stops the read with its own exception."""
    rows = "".join(f"{i % 97},{i % 100:02d};F{i % 7}\n" for i in range(300_000))
    path = tmp_path / "grants.csv"
    path.write_bytes(b"\xef\xbb\xbf" + ("montant;financeur\n" + rows).encode())
    seen = []
    Ledger.read_csv(path, amount="montant", progress=lambda at, total: seen.append((at, total)))
    size = path.stat().st_size
    assert len(seen) > 1 and all(total == size for _, total in seen)
    assert [at for at, _ in seen] == sorted(at for at, _ in seen) and seen[-1][0] == size

    class Enough(Exception):
        pass

    def stop(at: int, total: int) -> None:
        raise Enough(at)

    with pytest.raises(Enough):
        Ledger.read_csv(path, amount="montant", progress=stop)


MEASURE = textwrap.dedent("""
    import sys
    import essconv
    def kb(field):
        for line in open("/proc/self/status"):
            if line.startswith(field):
                return int(line.split()[1])
    path, reading = sys.argv[1], sys.argv[2]
    data = open(path, "rb").read() if "data" in reading else None   # bytes read: held before
    before = kb("VmRSS:")
    with open("/proc/self/clear_refs", "w") as fh:   # VmHWM from here
        fh.write("5")
    ledger = eval(reading)
    print(kb("VmHWM:") - before, kb("VmRSS:") - before, len(ledger))
""")


def peak_and_kept(path: Path, reading: str) -> tuple[int, int, int]:
    """In a fresh process, the peak resident memory (VmHWM, KiB) that ``reading`` -- a Python
    expression of ``essconv`` and ``path`` giving a ledger -- adds, what the ledger keeps
    (VmRSS after, KiB), and its row count."""
    run = subprocess.run([sys.executable, "-c", MEASURE, str(path), reading],
                         capture_output=True, text=True, timeout=600)
    assert run.returncode == 0, run.stderr[-2000:]
    peak_kb, kept_kb, rows = map(int, run.stdout.split())
    return peak_kb, kept_kb, rows


@pytest.mark.skipif(UNDER_ASAN or not Path("/proc/self/clear_refs").exists(),
                    reason="resident memory as Linux counts it, without ASan's quarantine")
@pytest.mark.parametrize("encoding,source", [("utf-8", "path"), ("cp1252", "path"),
                                             ("cp1252", "data"), ("cp1252 late", "path"),
                                             ("cp1252 late", "data"), ("mixed", "path"),
                                             ("utf-8", "gzip")])
def test_peak_memory_while_reading_a_path_is_the_ledger_and_a_few_blocks(tmp_path, encoding,
                                                                         source):
    """A 200 MB file read from its path in a fresh process: the peak resident memory the read
    adds (VmHWM) is at most 1.3 times what the ledger keeps (VmRSS after) plus 16 blocks of
    4 MiB (the chunks in flight and their ledgers); before, the whole file was held beside the
    ledger (measured 2.1 times the ledger on the benchmark file).  The same for a CP1252 file
    whose encoding is not named: it was read whole, then decoded whole into a second copy; and
    for the same CP1252 bytes already in memory, which were decoded whole into a copy too; and
    for a CP1252 file whose first accent comes after 8 MB of ASCII, past the first read, which
    the streamed pass left to the whole read; and for a file half UTF-8, half CP1252, read whole
    too, and whole again for the warning that names its odd bytes (now in pieces); and for the
    file gzipped and given as ``gzip.open(path)``, which Python read whole before the core
    parsed it."""
    path = tmp_path / "big.csv"
    text = "".join(f"{i * 7 % 100_000},{i % 100:02d};Financeur é{i % 50};{2009 + i % 5}\n"
                   for i in range(10_000))
    pattern = text.encode(encoding.split()[0] if encoding != "mixed" else "utf-8")
    ascii_first = pattern.replace("é".encode("cp1252"), b"e") if encoding == "cp1252 late" else b""
    with open(path, "wb") as fh:
        fh.write(b"montant;financeur;annee\n")
        for _ in range(8_000_000 // len(ascii_first) if ascii_first else 0):
            fh.write(ascii_first)
        for k in range(200_000_000 // len(pattern)):
            fh.write(text.encode("cp1252") if encoding == "mixed" and 2 * k >= 200_000_000 //
                     len(pattern) else pattern)
    if source == "gzip":
        with open(path, "rb") as plain, gzip.open(f"{path}.gz", "wb", compresslevel=1) as packed:
            shutil.copyfileobj(plain, packed)
        source = "__import__('gzip').open(path + '.gz')"
    peak_kb, kept_kb, rows = peak_and_kept(path, f"essconv.Ledger.read_csv({source}, amount='montant', "
                                                 "dims=['financeur'], ints=['annee'])")
    copies = 200_000_000 // len(pattern) + (8_000_000 // len(ascii_first) if ascii_first else 0)
    assert rows == copies * 10_000
    assert peak_kb <= 1.3 * kept_kb + 16 * 4096, (peak_kb, kept_kb)


# a valid UTF-8 sequence of two bytes or more, as Python's decoder accepts it
UTF8_SEQUENCE = re.compile(rb"[\xc2-\xdf][\x80-\xbf]|\xe0[\xa0-\xbf][\x80-\xbf]"
                           rb"|[\xe1-\xec\xee\xef][\x80-\xbf]{2}|\xed[\x80-\x9f][\x80-\xbf]"
                           rb"|\xf0[\x90-\xbf][\x80-\xbf]{2}|[\xf1-\xf3][\x80-\xbf]{3}"
                           rb"|\xf4[\x80-\x8f][\x80-\xbf]{2}")


def detected_text(data: bytes) -> str:
    """The obvious twin of the encoding's detection: UTF-8 when Python decodes it so; else each
    valid UTF-8 sequence as UTF-8 and every other byte as CP1252 (none: plain CP1252)."""
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        pass
    out, at = [], 0
    while at < len(data):
        sequence = UTF8_SEQUENCE.match(data, at)
        if sequence:
            out.append(sequence.group().decode("utf-8"))
            at = sequence.end()
        else:
            out.append(data[at:at + 1].decode("cp1252"))
            at += 1
    return "".join(out)


CP1252_LABEL = st.text(alphabet="abcXYZ019 .-'\u00e9\u00e8\u00e0\u00e7\u00c9\u20ac\u0153\u2019"
                                "\u00a0\u00ab\u00bb\u00b0", max_size=90) \
    .filter(lambda t: t == t.strip())   # labels are kept trimmed (NBSP included)


@settings(max_examples=200, deadline=None)
@given(labels=st.lists(CP1252_LABEL, min_size=1, max_size=40), named=st.booleans())
def test_cp1252_labels_read_as_pythons_codec_decodes_them(tmp_path_factory, labels, named):
    """Labels of ASCII runs of every length (past 32 bytes: the decoder copies them whole) among
    accents, the euro sign, curly apostrophes and NBSP, saved as CP1252: read from the bytes and
    from a path in blocks, each label is what Python's cp1252 codec decodes -- named so; found,
    what the detection's twin decodes (bytes that happen to be valid UTF-8, such as É and an NBSP,
    C9 A0, are UTF-8 to it)."""
    data = ("montant;f\n" + "".join(f"1,00;{label}\n" for label in labels)).encode("cp1252")
    if not named:
        labels = [line.split(";", 1)[1] for line in detected_text(data).splitlines()[1:]]
    path = tmp_path_factory.mktemp("cp1252") / "labels.csv"
    path.write_bytes(data)
    kw = {"encoding": _core.ENC_CP1252} if named else {}
    names, kinds = ["montant", "f"], [_core.COL_AMOUNT, _core.COL_LABEL]
    want = [label or None for label in labels]
    for read in (lambda: from_bytes(path, names, kinds, **kw),
                 lambda: from_path(path, names, kinds, chunk_bytes=64, threads=2, **kw)):
        core, bad = read()[:2]
        dictionary = core.dictionary(1)
        assert bad == [] and core.nrows == len(labels)
        codes = array("i", core.copy_column(1))   # int32 codes, -1 for a blank cell
        assert [dictionary[c] if c >= 0 else None for c in codes] == want


FILE_OBJECT_CASES = {
    "utf-8": ("montant;f\n" + "1,00;Région\n" * 3000).encode(),
    "cp1252": ("montant;f\n" + "1,00;Région\n" * 3000).encode("cp1252"),
    "mixed": ("montant;f\n" + "1,00;Région\n" * 3000).encode() + "2,00;Région\n".encode("cp1252"),
    "a bad row": ("montant;f\n" + "1,00;Région\n" * 3000 + "douze;x\n").encode(),
}


@pytest.mark.parametrize("name", list(FILE_OBJECT_CASES))
def test_a_file_opened_rb_is_read_by_its_descriptor_as_its_path(tmp_path, monkeypatch, name):
    """``open(path, "rb")`` handed to ``Ledger.read_csv`` is read by the core in blocks, as its
    path is (Python never reads it: read_source is not called), with the same reading, warnings
    and errors; the file object is left at its end, as reading it would leave it."""
    path = tmp_path / "grants.csv"
    path.write_bytes(FILE_OBJECT_CASES[name])

    def by_path():
        return Ledger.read_csv(path, amount="montant", bad_rows="collect")

    def by_file():
        with open(path, "rb") as fh:
            ledger = Ledger.read_csv(fh, amount="montant", bad_rows="collect")
            assert fh.read() == b""
        return ledger

    def reading(read):
        with warnings.catch_warnings(record=True) as said:
            warnings.simplefilter("always")
            ledger = read()
        return (ledger.total(), len(ledger), ledger.bad_rows, ledger._core.encoding,
                ledger._core.dictionary(1), [str(w.message) for w in said])

    want = reading(by_path)
    import essconv.ledger
    monkeypatch.setattr(essconv.ledger, "read_source", lambda source: pytest.fail("read whole"))
    assert reading(by_file) == want


def test_other_file_objects_are_read_from_where_they_stand(tmp_path):
    """A file object past its start (read by the core as a stream, test_stream_objects), in
    text mode (read by Python), or in memory (read in place): from where it stands, not from
    the file's first byte as the core's descriptor reading would."""
    import io
    data = ("annee;montant\n" + "2009;1,00\n" * 500 + "2010;2,00\n").encode()
    path = tmp_path / "grants.csv"
    path.write_bytes(data)
    with open(path, "rb") as fh:
        fh.readline()   # the header read off: the rest has no header of its own
        rest = Ledger.read_csv(fh, amount="1,00", dims=[], bad_rows="collect")
    assert rest.total() == Decimal("501.00") and len(rest) == 500   # 499 x 1,00 + 2,00
    with open(path, encoding="utf-8") as fh:
        assert Ledger.read_csv(fh, amount="montant").total() == Decimal("502.00")
    assert Ledger.read_csv(io.BytesIO(data), amount="montant").total() == Decimal("502.00")
