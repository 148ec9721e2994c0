"""File objects read by the core as it parses them (every dress on both cores, memory).

``Ledger.read_csv(gzip.open(path))`` -- or a zip member, or any seekable binary stream -- no
longer has Python read the whole stream before the core parses it: the core reads it in blocks
(``_core.Ledger.read_csv_stream``: the stream's ``readinto`` writes into the core's block, on the
calling thread, while the other threads parse the blocks before), and seeks it back to where it
stood for a pass read again (a CP1252 file found late, a mixed one, an error worded by the whole
read).  A ``BytesIO`` is read in place, without a copy.  The reading must stay the one of the
same bytes in memory -- rows, codes, bad rows, encoding, every error's message and place -- for
any block size and however few bytes each of the stream's reads gives.
"""
from __future__ import annotations

import gzip
import io
import os
import random
import signal
import threading
import time
import warnings
import zipfile
from decimal import Decimal
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import essconv
import essconv.files
from essconv import Ledger, _core

from test_streamed_read import (BAD_FILES, DATA, FILE_OBJECT_CASES, FOUND_CP1252_FILES,
                                LATE_CP1252_FILES, outcome)

NAMES, KINDS = ["montant", "f"], [_core.COL_AMOUNT, _core.COL_LABEL]


class Trickle(io.RawIOBase):
    """A seekable binary stream over bytes whose ``readinto`` gives at most ``most`` bytes a
    call -- the short reads of a decompressor or a socket -- and counts its seeks."""

    def __init__(self, data: bytes, most: int) -> None:
        super().__init__()
        self.data, self.most, self.at, self.seeks = data, most, 0, 0

    def readable(self) -> bool:
        return True

    def seekable(self) -> bool:
        return True

    def tell(self) -> int:
        return self.at

    def seek(self, offset: int, whence: int = io.SEEK_SET) -> int:
        assert whence == io.SEEK_SET   # the core only ever goes back to where it began
        self.at, self.seeks = offset, self.seeks + 1
        return offset

    def readinto(self, buf) -> int:
        n = max(0, min(len(buf), self.most, len(self.data) - self.at))
        buf[:n] = self.data[self.at:self.at + n]
        self.at += n
        return n


def gzipped(data: bytes) -> gzip.GzipFile:
    return gzip.GzipFile(fileobj=io.BytesIO(gzip.compress(data, compresslevel=1)))


def from_stream(stream, **kw) -> tuple:
    core, bad, count = _core.Ledger.read_csv_stream(stream, NAMES, KINDS, **kw)
    return core, bad


def from_bytes(data: bytes, **kw) -> tuple:
    return _core.Ledger.read_csv(data, NAMES, KINDS, **kw)


def assert_stream_reads_as_bytes(data: bytes, blocks, streams, collect: bool = True) -> tuple:
    """The reading of data through each stream made by ``streams`` (a gzip file, a trickle...)
    in blocks of each size on 1 and 2 threads equals the reading of the bytes, which it
    returns."""
    one_pass = outcome(lambda: from_bytes(data, collect_bad=collect))
    for make in streams:
        for block in blocks:
            for threads in (1, 2):
                got = outcome(lambda: from_stream(make(data), chunk_bytes=block, threads=threads,
                                                  collect_bad=collect))
                assert got == one_pass, (make, block, threads, collect)
    return one_pass


STREAMS = [gzipped, lambda data: Trickle(data, 7), lambda data: Trickle(data, 1 << 20)]


@pytest.mark.parametrize("path", sorted((DATA / "scdl").glob("*.csv")), ids=lambda p: p.name)
def test_every_real_file_reads_from_a_stream_as_from_its_bytes(path):
    """The real grant files (CP1252 and UTF-8, BOM or not, CRLF, quoted prose), gzipped or given
    seven bytes a read: the same reading, or the same error, as their bytes in memory."""
    data = path.read_bytes()
    kw = {"collect_bad": True, "all_columns": True}
    one_pass = outcome(lambda: _core.Ledger.read_csv(data, ["montant"], [_core.COL_AMOUNT], **kw))
    for make in STREAMS:
        for block in (1, 97, 4096, 0):
            for threads in (1, 2):
                got = outcome(lambda: _core.Ledger.read_csv_stream(
                    make(data), ["montant"], [_core.COL_AMOUNT], chunk_bytes=block,
                    threads=threads, **kw))
                assert got == one_pass, (make, block, threads)


@pytest.mark.parametrize("name", list(BAD_FILES) + list(FOUND_CP1252_FILES))
def test_errors_and_cp1252_files_from_a_stream_are_those_of_the_bytes(name):
    """Errors in a later block (the whole stream is read again from where it began to word
    them), UTF-16, the decimal mark decided late, CP1252 found in the first block, mixed text:
    as from the bytes, in raise and collect modes."""
    data = BAD_FILES.get(name, FOUND_CP1252_FILES.get(name))
    for collect in (False, True):
        assert_stream_reads_as_bytes(data, (1, 16, 0), STREAMS[:2], collect)


@pytest.mark.parametrize("name", list(LATE_CP1252_FILES))
def test_a_stream_whose_first_accent_comes_late_is_read_again_from_its_start(name):
    """Megabytes of ASCII, then a byte that is not UTF-8: the pass meets it in a later block and
    the core reads the stream again from where it began (a gzip file decompresses it again), as
    CP1252 or mixed, or whole for an error: the reading equals the bytes'."""
    data = LATE_CP1252_FILES[name]
    one_pass = assert_stream_reads_as_bytes(data, (1_000_000, 0), STREAMS[:1])
    stream = Trickle(data, 1 << 20)
    assert outcome(lambda: from_stream(stream, collect_bad=True)) == one_pass
    assert stream.seeks >= 1   # it did go back


def test_a_stream_is_read_from_where_it_stands():
    """A stream already read from (its header line taken off by the caller): the core reads
    from there, and a pass read again goes back there, not to the stream's first byte."""
    head = b"a line before the table\n"
    data = LATE_CP1252_FILES["CP1252 then UTF-8"]
    stream = Trickle(head + data, 1 << 16)
    stream.seek(len(head))
    got = outcome(lambda: from_stream(stream, collect_bad=True))
    assert got == outcome(lambda: from_bytes(data, collect_bad=True))
    assert got[3] == "utf-8 + cp1252" and stream.seeks >= 2


def write_gzip(path: Path, data: bytes) -> Path:
    with gzip.open(path, "wb", compresslevel=1) as fh:
        fh.write(data)
    return path


def reading(read) -> tuple:
    """A public reading's total, rows, bad rows, encoding, labels and warnings, or its error."""
    with warnings.catch_warnings(record=True) as said:
        warnings.simplefilter("always")
        try:
            ledger = read()
        except essconv.Error as exc:
            return ("error", type(exc).__name__, str(exc), exc.line, exc.column)
    return (ledger.total(), len(ledger), ledger.bad_rows, ledger._core.encoding,
            ledger._core.dictionary(1), [str(w.message) for w in said])


@pytest.mark.parametrize("name", list(FILE_OBJECT_CASES))
@pytest.mark.parametrize("bad_rows", ["collect", "raise"])
def test_a_gzip_file_reads_in_blocks_as_its_plain_twin(tmp_path, monkeypatch, name, bad_rows):
    """``gzip.open(path)`` handed to ``Ledger.read_csv`` is read by the core in blocks (Python
    never reads it whole: read_source is not called), with the reading, warnings and errors of
    the plain file, the gzip file's name in them; the stream is left at its end."""
    plain = tmp_path / "grants.csv"
    plain.write_bytes(FILE_OBJECT_CASES[name])
    packed = write_gzip(tmp_path / "grants.csv.gz", FILE_OBJECT_CASES[name])
    want = reading(lambda: Ledger.read_csv(plain, amount="montant", bad_rows=bad_rows))
    import essconv.ledger
    monkeypatch.setattr(essconv.ledger, "read_source", lambda source: pytest.fail("read whole"))

    def by_gzip():
        with gzip.open(packed) as fh:
            ledger = Ledger.read_csv(fh, amount="montant", bad_rows=bad_rows)
            assert fh.read() == b""
        assert ledger.path == str(packed)
        return ledger

    assert named(reading(by_gzip), packed) == named(want, plain)


def test_a_zip_member_reads_in_blocks_as_its_bytes(tmp_path, monkeypatch):
    """A member of a zip archive (``zipfile.ZipFile.open``): read by the core in blocks, the
    total the generator's Decimal sum."""
    rows = [(f"{k * 37 % 100_000},{k % 100:02d}", f"Financeur {k % 7}") for k in range(50_000)]
    text = "montant;f\n" + "".join(f"{a};{f}\n" for a, f in rows)
    archive = tmp_path / "grants.zip"
    with zipfile.ZipFile(archive, "w", compression=zipfile.ZIP_DEFLATED) as z:
        z.writestr("grants.csv", text)
    import essconv.ledger
    monkeypatch.setattr(essconv.ledger, "read_source", lambda source: pytest.fail("read whole"))
    with zipfile.ZipFile(archive) as z, z.open("grants.csv") as member:
        ledger = Ledger.read_csv(member, amount="montant")
    assert ledger.total() == sum(Decimal(a.replace(",", ".")) for a, _ in rows)
    assert len(ledger) == len(rows)


class Failing(Trickle):
    """A stream whose read number ``fail_at`` raises, or gives what ``give`` says."""

    def __init__(self, data: bytes, fail_at: int, give=None) -> None:
        super().__init__(data, 1 << 16)
        self.fail_at, self.give, self.reads = fail_at, give, 0

    def readinto(self, buf):
        self.reads += 1
        if self.reads == self.fail_at:
            if self.give is None:
                raise ValueError("the disk went away")
            return self.give(buf)
        return super().readinto(buf)


BIG = b"montant;f\n" + b"1,00;Region\n" * 200_000   # 2.4 MB: blocks in flight on the threads


@pytest.mark.parametrize("threads", [1, 2])
def test_a_stream_that_fails_raises_its_own_error(threads):
    """The stream's exception is the one raised -- a truncated gzip file's EOFError, any other
    -- after the threads in flight stop, and the interpreter goes on; a ``readinto`` giving
    None (nothing ready) or more bytes than asked is an OSError, not a read past the block."""
    with pytest.raises(ValueError, match="the disk went away"):
        from_stream(Failing(BIG, 4), threads=threads, chunk_bytes=1 << 16)
    with pytest.raises(OSError, match="readinto gave"):
        from_stream(Failing(BIG, 3, lambda buf: None), threads=threads, chunk_bytes=1 << 16)
    with pytest.raises(OSError, match="readinto gave"):
        from_stream(Failing(BIG, 2, lambda buf: len(buf) + 1), threads=threads,
                    chunk_bytes=1 << 16)
    packed = gzip.compress(BIG)
    truncated = packed[:len(packed) // 2]
    with pytest.raises(EOFError):
        from_stream(gzip.GzipFile(fileobj=io.BytesIO(truncated)), threads=threads)
    with pytest.raises(EOFError):   # the public door too
        Ledger.read_csv(gzip.GzipFile(fileobj=io.BytesIO(truncated)), amount="montant")
    assert from_stream(Trickle(BIG, 1 << 16), threads=threads)[0].nrows == 200_000


def test_progress_of_a_stream_counts_its_bytes_with_no_total(tmp_path):
    """A gzip file's size is not known before it is read: progress says (bytes read, 0), in
    order, up to every byte; a callback that raises stops the read with its exception."""
    seen = []
    data = BIG + b"1,00;Region\n" * 800_000   # 12 MB: blocks of 4 MiB
    packed = write_gzip(tmp_path / "big.csv.gz", data)
    with gzip.open(packed) as fh:
        Ledger.read_csv(fh, amount="montant", progress=lambda at, total: seen.append((at, total)))
    assert len(seen) > 1 and all(total == 0 for _, total in seen)
    assert [at for at, _ in seen] == sorted(at for at, _ in seen) and seen[-1][0] == len(data)

    class Enough(Exception):
        pass

    def stop(at: int, total: int) -> None:
        raise Enough(at)

    with gzip.open(packed) as fh, pytest.raises(Enough):
        Ledger.read_csv(fh, amount="montant", progress=stop)


@pytest.mark.parametrize("suffix", [".gz", ".zip"])
def test_progress_of_a_compressed_file_counts_its_compressed_bytes(tmp_path, suffix):
    """A path naming a compressed file: progress counts how far into the compressed file the
    reading got, against its size (a bar with a percentage), in order, up to the whole file (a
    zip's member: up to its end, before the archive's directory)."""
    data = BIG + b"1,00;Region\n" * 800_000   # 12 MB: blocks of 4 MiB
    packed = tmp_path / f"big.csv{suffix}"
    PACKERS[suffix](packed, data)
    seen = []
    ledger = Ledger.read_csv(packed, amount="montant",
                             progress=lambda at, total: seen.append((at, total)))
    assert len(ledger) == 1_000_000
    size = packed.stat().st_size
    assert len(seen) > 1 and all(total == size for _, total in seen), (seen, size)
    assert [at for at, _ in seen] == sorted(at for at, _ in seen)
    assert seen[-1][0] == size if suffix == ".gz" else size - 200 < seen[-1][0] <= size


@pytest.mark.parametrize("name", list(FILE_OBJECT_CASES))
def test_a_bytesio_is_read_in_place_and_may_grow_after(monkeypatch, name):
    """A ``BytesIO`` is read from where it stands through a view of its own buffer (no copy:
    read_source is not called), left at its end; the view is released, read or error, so the
    ``BytesIO`` may be written to after (a live view makes that a BufferError)."""
    data = FILE_OBJECT_CASES[name]
    head = b"ignored;header\n"
    want = reading(lambda: Ledger.read_csv(data, amount="montant"))
    import essconv.ledger
    monkeypatch.setattr(essconv.ledger, "read_source", lambda source: pytest.fail("read whole"))
    buffer = io.BytesIO(head + data)
    buffer.seek(len(head))
    assert reading(lambda: Ledger.read_csv(buffer, amount="montant")) == want
    assert buffer.tell() == len(head) + len(data)   # as read() leaves it, read or error
    buffer.write(b"1,00;more\n")   # BufferError while a view of it is alive
    assert buffer.getvalue().endswith(b"1,00;more\n")
    if want[0] == "error":   # the error kept alive keeps the reader's frame, and its locals
        buffer = io.BytesIO(data)
        with pytest.raises(essconv.Error) as kept:
            Ledger.read_csv(buffer, amount="montant")
        buffer.write(b"1,00;more\n")
        assert kept.value.line > 1


PACKERS = {".gz": lambda path, data: write_gzip(path, data),
           ".bz2": lambda path, data: path.write_bytes(__import__("bz2").compress(data)),
           ".xz": lambda path, data: path.write_bytes(__import__("lzma").compress(data)),
           ".zip": lambda path, data: zip_of(path, {"grants.csv": data})}


def zip_of(path: Any, members: dict) -> None:
    with zipfile.ZipFile(path, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for name, data in members.items():
            archive.writestr(name, data)


@pytest.mark.parametrize("suffix", list(PACKERS))
@pytest.mark.parametrize("name", list(FILE_OBJECT_CASES))
def test_a_compressed_file_named_so_reads_as_its_content(tmp_path, monkeypatch, suffix, name):
    """``Ledger.read_csv("grants.csv.gz")`` (or .bz2, .xz, a .zip of one file) reads the content,
    streamed (the file is never read whole: read_path is not called), with the reading,
    warnings and errors of the plain file, its own name in them."""
    plain = tmp_path / "grants.csv"
    plain.write_bytes(FILE_OBJECT_CASES[name])
    packed = tmp_path / f"grants.csv{suffix}"
    PACKERS[suffix](packed, FILE_OBJECT_CASES[name])
    for bad_rows in ("collect", "raise"):
        want = reading(lambda: Ledger.read_csv(plain, amount="montant", bad_rows=bad_rows))
        with monkeypatch.context() as m:
            import essconv.files
            m.setattr(essconv.files, "read_path", lambda path: pytest.fail("read whole"))
            got = reading(lambda: Ledger.read_csv(packed, amount="montant", bad_rows=bad_rows))
        assert named(got, packed) == named(want, plain)


def named(result, path: Path):
    """A reading with the file's name said alike, to compare two files' readings."""
    if isinstance(result, str):
        return result.replace(str(path), "<file>")
    if isinstance(result, (list, tuple)):
        return type(result)(named(x, path) for x in result)
    return result


def test_what_is_not_one_compressed_file_says_so_or_reads_as_it_is(tmp_path):
    """A plain CSV named .gz is read as it is (its first bytes are not gzip's); a zip of two
    files says which it holds; a compressed file that changes while it is read is refused."""
    data = FILE_OBJECT_CASES["utf-8"]
    fake = tmp_path / "plain.csv.gz"
    fake.write_bytes(data)
    assert Ledger.read_csv(fake, amount="montant").total() == Decimal("3000.00")
    two = tmp_path / "two.zip"
    zip_of(two, {"a.csv": data, "b.csv": data})
    with pytest.raises(essconv.ParseError, match=r"holds 2 files \(a\.csv, b\.csv\)") as said:
        Ledger.read_csv(two, amount="montant")
    assert said.value.path == str(two)
    big = write_gzip(tmp_path / "big.csv.gz", BIG + b"1,00;Region\n" * 800_000)

    def touch(at: int, total: int) -> None:   # another process rewrites it meanwhile
        st = os.stat(big)
        os.utime(big, ns=(st.st_atime_ns, st.st_mtime_ns + 1_000_000_000))

    with pytest.raises(essconv.FileChangedError, match="changed while it was read"):
        Ledger.read_csv(big, amount="montant", progress=touch)


@pytest.mark.parametrize("path", sorted((DATA / "scdl").glob("*.csv")), ids=lambda p: p.name)
def test_a_gzipped_scdl_file_reads_and_validates_as_its_plain_twin(tmp_path, path):
    """read_scdl and validate_scdl of a real grant file gzipped: the ledger (total, rows, bad
    rows) and the validation report of the plain file."""
    packed = write_gzip(tmp_path / f"{path.name}.gz", path.read_bytes())
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        want, got = essconv.read_scdl(path), essconv.read_scdl(packed)
    assert (got.total(), len(got), got.columns) == (want.total(), len(want), want.columns)
    assert [(b.line, b.column, b.message) for b in got.bad_rows] == \
           [(b.line, b.column, b.message) for b in want.bad_rows]
    assert named(str(essconv.validate_scdl(packed)), packed) == \
           named(str(essconv.validate_scdl(path)), path)


class Slow(Trickle):
    """A stream that waits before each read (a network share, a slow decompressor)."""

    def __init__(self, data: bytes, pause: float) -> None:
        super().__init__(data, 1 << 12)
        self.pause, self.reads = pause, 0

    def readinto(self, buf):
        self.reads += 1
        time.sleep(self.pause)
        return super().readinto(buf)


@pytest.mark.skipif(not hasattr(signal, "pthread_kill"), reason="signals sent to a thread")
def test_ctrl_c_stops_the_read_of_a_slow_stream():
    """The stream is read on a thread of its own while the calling thread waits: Ctrl-C (SIGINT
    to the main thread, a notebook's interrupt) must still stop the read with
    KeyboardInterrupt, long before the stream's end, and leave the interpreter usable."""
    stream = Slow(BIG, 0.01)   # 2.4 MB in 4 KiB reads: some 590 reads, about 6 s
    main = threading.main_thread().ident
    # Python's own Ctrl-C handler, whatever ran before in this process: a test worker
    # (pytest-xdist) or a library started there (Dask's) may have set SIGINT aside, and the
    # read then ran to its end ("DID NOT RAISE", seen once under ASan)
    previous = signal.signal(signal.SIGINT, signal.default_int_handler)
    timer = threading.Timer(0.3, lambda: signal.pthread_kill(main, signal.SIGINT))
    timer.start()
    try:
        with pytest.raises(KeyboardInterrupt):
            from_stream(stream)
    finally:
        timer.cancel()
        signal.signal(signal.SIGINT, previous)
    assert stream.reads < len(BIG) // (1 << 12) // 2   # stopped well before its end
    assert from_stream(Trickle(BIG, 1 << 16))[0].nrows == 200_000


@pytest.mark.parametrize("path", sorted((DATA / "scdl").glob("*.csv")), ids=lambda p: p.name)
def test_read_scdl_of_a_stream_finds_the_header_then_streams_the_body(path, monkeypatch):
    """read_scdl(gzip.open(path)) and read_scdl of a zip member: the header is found in a
    prefix of the stream, which is then read again from where it stood by the core in blocks
    (read_source, which read it whole, is not called; only the rare rewrite of rows longer than
    the header reads the stream whole): the ledger of the plain file."""
    import essconv.scdl
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        want = essconv.read_scdl(path)
        bytes_only = essconv.scdl.read_source   # the rewrite's bytes go through it too

        def not_a_stream(source):
            assert isinstance(source, (bytes, bytearray, memoryview)), "read whole"
            return bytes_only(source)

        monkeypatch.setattr(essconv.scdl, "read_source", not_a_stream)
        for stream in (gzipped(path.read_bytes()), Trickle(path.read_bytes(), 1000)):
            got = essconv.read_scdl(stream)
            assert (got.total(), len(got), got.columns) == (want.total(), len(want), want.columns)
            assert [(b.line, b.column, b.message) for b in got.bad_rows] == \
                   [(b.line, b.column, b.message) for b in want.bad_rows]


def zip_member(data: bytes):
    buffer = io.BytesIO()
    zip_of(buffer, {"grants.csv": data})
    return zipfile.ZipFile(buffer).open("grants.csv")


@pytest.mark.parametrize("make", [
    gzipped,
    lambda data: __import__("bz2").BZ2File(io.BytesIO(__import__("bz2").compress(data))),
    lambda data: __import__("lzma").LZMAFile(io.BytesIO(__import__("lzma").compress(data))),
    zip_member], ids=["gzip", "bz2", "xz", "zip member"])
def test_every_decompressing_stream_goes_back_for_a_pass_read_again(make):
    """A file found mixed only past its first blocks is read again from its start: each
    decompressing stream of the standard library seeks back (decompressing again from its
    start) and gives the reading of the bytes."""
    data = LATE_CP1252_FILES["CP1252 then UTF-8"]
    want = outcome(lambda: from_bytes(data, collect_bad=True))
    assert want[3] == "utf-8 + cp1252"
    assert outcome(lambda: from_stream(make(data), collect_bad=True)) == want


class Watched(Trickle):
    """A stream that notes the thread of each of its reads."""

    def __init__(self, data: bytes) -> None:
        super().__init__(data, 1 << 16)
        self.threads: set = set()

    def readinto(self, buf):
        self.threads.add(threading.get_ident())
        return super().readinto(buf)


def test_the_stream_is_read_on_a_thread_of_its_own_unless_one_thread_is_asked():
    """On two threads the stream's reads run on a reader thread of their own (the calling
    thread merges meanwhile); with ``threads=1`` (a Dask worker's share of the cores) on the
    calling thread alone.  The reading is the same."""
    ahead, alone = Watched(BIG), Watched(BIG)
    assert outcome(lambda: from_stream(ahead, threads=2)) == \
           outcome(lambda: from_stream(alone, threads=1))
    assert alone.threads == {threading.get_ident()}
    assert len(ahead.threads) == 1 and threading.get_ident() not in ahead.threads


# pieces of grant files as they come: cells plain and quoted (holding delimiters, line endings
# and doubled quotes), French and English amounts, both encodings' accents, NUL, bad amounts
STREAM_PIECES = [b"1,00", b"12 345,67", b"1\xc2\xa0234,50", b"7.25", b"douze", b";", b",",
                 b"\n", b"\r\n", b"\r", b'"a;b"', b'"x\ny"', b'"dit ""oui"""', b"R\xc3\xa9gion",
                 b"R\xe9gion", b"\x81", b"\0", b"", b"  ", b"CDC", b"\xef\xbb\xbf"]


@settings(max_examples=150, deadline=None)
@given(rows=st.lists(st.lists(st.sampled_from(STREAM_PIECES), min_size=1, max_size=6),
                     max_size=40),
       most=st.integers(1, 64), block=st.sampled_from([1, 3, 16, 100, 0]),
       threads=st.sampled_from([1, 2]), collect=st.booleans())
def test_any_stream_reads_as_its_bytes(rows, most, block, threads, collect):
    """Whatever the bytes -- quoted line endings, both encodings, NUL, bad amounts, a BOM in
    the middle -- and however few bytes each readinto gives, the reading of a stream (its
    blocks from the reader thread, passes read again from its start) is the reading of its
    bytes, or the same error: the bytes read in memory are the slow obvious twin."""
    data = b"montant;f\n" + b"".join(b"".join(row) + b"\n" for row in rows)
    want = outcome(lambda: from_bytes(data, collect_bad=collect))
    got = outcome(lambda: from_stream(Trickle(data, most), chunk_bytes=block, threads=threads,
                                      collect_bad=collect))
    assert got == want, data


LOT = DATA / "scdl" / "lot-2017-subventions.csv"   # a real CP1252 export


@pytest.mark.parametrize("encoding", [None, "cp1252", "utf-8"])
def test_a_text_file_object_is_not_decoded_twice(encoding):
    """``open(path, encoding="cp1252")`` has decoded the text itself; the ``encoding`` given to
    the reader as well (the natural thing to write) was applied again to the UTF-8 it was handed
    over as: "Aide à Domicile" became "Aide Ã\\xa0 Domicile", silently.  Every reader now reads a
    text file object's text as it is: the labels, totals and findings of the path's reading."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        want = essconv.read_scdl(LOT)
        with open(LOT, encoding="cp1252", newline="") as text:
            got = essconv.read_scdl(text, encoding=encoding)
        column = [name for name, _ in want._core.columns].index("nomBeneficiaire")
        assert got._core.dictionary(column) == want._core.dictionary(column)
        assert "Aide à Domicile en Milieu Rural" in got._core.dictionary(column)
        assert got.total() == want.total()
        with open(LOT, encoding="cp1252", newline="") as text:
            ledger = Ledger.read_csv(text, amount="montant", bad_rows="collect",
                                     encoding=encoding)
        plain = Ledger.read_csv(LOT, amount="montant", bad_rows="collect")
        assert [ledger._core.dictionary(k) for k in range(len(ledger._core.columns))
                if ledger._core.columns[k][1] == _core.COL_LABEL] == \
               [plain._core.dictionary(k) for k in range(len(plain._core.columns))
                if plain._core.columns[k][1] == _core.COL_LABEL]
        with open(LOT, encoding="cp1252", newline="") as text:
            report = essconv.validate_scdl(text, encoding=encoding)
        assert report.counts() == essconv.validate_scdl(LOT).counts()


@pytest.mark.parametrize("suffix", list(PACKERS))
def test_a_compressed_file_cut_short_says_so_with_its_name(tmp_path, suffix):
    """A download cut short (the compressed file's second half missing) or damaged inside: every
    reader answers ParseError naming the file and how far into it the reading got, not the
    decompressor's bare EOFError or zlib.error with no file named; nothing is read as if whole."""
    rnd = random.Random(suffix)
    data = b"montant;f\n" + b"".join(b"%d,00;Financeur %d\n" % (rnd.randrange(10**6),
                                                                 rnd.randrange(10**5))
                                     for _ in range(100_000))
    whole = tmp_path / f"whole{suffix}"
    PACKERS[suffix](whole, data)
    cut = tmp_path / f"cut.csv{suffix}"
    cut.write_bytes(whole.read_bytes()[:whole.stat().st_size // 2])
    readers = {"Ledger.read_csv": lambda p: Ledger.read_csv(p, amount="montant"),
               "read_path": essconv.files.read_path, "validate_scdl": essconv.validate_scdl}
    for name, read in readers.items():
        with pytest.raises(essconv.ParseError, match="cannot be read to its end") as said:
            read(cut)
        assert said.value.path == str(cut), name
    assert Ledger.read_csv(whole, amount="montant").total() == \
           sum(Decimal(line.split(b";")[0].replace(b",", b".").decode())
               for line in data.splitlines()[1:])


@pytest.mark.parametrize("threads", [1, 2])
@pytest.mark.parametrize("keep", ["slice", "numpy"])
def test_a_stream_that_keeps_a_view_of_what_it_was_given_cannot_touch_our_memory(threads, keep):
    # readinto was given a memoryview of the core's block itself, released after the call: a
    # slice of it (b[:]) or a numpy array over it survived the release, saw the block change
    # under it as later reads reused it, and writing into it after the read wrote into freed
    # memory (a segfault in the notebook; numpy's export even made the read fail first)
    from conftest import run_isolated
    done = run_isolated(f"""
        import io
        import numpy as np
        from essconv import _core
        body = b"".join(b"%d,50;f%d\\n" % (i, i % 7) for i in range(300_000))
        data = b"montant;f\\n" + body
        kept = []
        class Keeper(io.BytesIO):
            def readinto(self, b):
                n = super().readinto(memoryview(b)[:1 << 16])   # many reads into one block
                kept.append((n, b[:] if {keep!r} == "slice" else np.frombuffer(b, dtype="u1")))
                return n
        core, bad, read = _core.Ledger.read_csv_stream(
            Keeper(data), ["montant", "f"], [_core.COL_AMOUNT, _core.COL_LABEL],
            threads={threads})
        assert core.nrows == 300_000 and read == len(data), (core.nrows, read)
        # what each read was given can still be read: memory that is the stream's own (one
        # bytearray its reads share, as a buffered reader's buffer is, never the core's)
        assert all(len(bytes(view[:n])) == n for n, view in kept) and sum(n for n, _ in kept) == len(data)
        ballast = [bytearray(8 << 20) for _ in range(4)]   # reuse what was freed
        for n, view in kept:   # written after the read: into memory that is the stream's own
            view[:4] = b"XXXX" if {keep!r} == "slice" else 88
        again = _core.Ledger.read_csv(data, ["montant", "f"], [_core.COL_AMOUNT, _core.COL_LABEL])[0]
        assert core.total() == again.total() and core.dictionary(1) == again.dictionary(1)
        assert not any(b"XXXX" in b or b"XXXX" in bytes(b) for b in ballast)
        print("kept", len(kept))
    """)
    assert done.returncode == 0 and "kept" in done.stdout, done.stderr


GZIP_CASES = {**FILE_OBJECT_CASES, **{f"late {name}": data
                                      for name, data in LATE_CP1252_FILES.items()}}


@pytest.mark.parametrize("reader", ["gzip", "isal.igzip"])
def test_each_gzip_reader_reads_a_gzip_file_as_its_plain_twin(tmp_path, monkeypatch, reader):
    """A ``.csv.gz`` path is inflated by ISA-L when the optional ``isal`` is installed, by the
    standard library otherwise (essconv.files.GZIP_READERS): each must give the plain file's
    reading -- a late CP1252 file too, whose read goes back to the stream's start -- and a file
    damaged inside or cut short must say so with its name (isal's IsalError is no zlib.error)."""
    if reader == "isal.igzip":
        pytest.importorskip("isal")
    monkeypatch.setattr(essconv.files, "GZIP_READERS", (reader,))
    for name, data in GZIP_CASES.items():
        plain, packed = tmp_path / "grants.csv", tmp_path / "grants.csv.gz"
        plain.write_bytes(data)
        write_gzip(packed, data)
        with essconv.files.open_packed(packed) as opened:   # the reader asked for, no other
            assert type(opened.stream).__module__ == reader, name
        for bad_rows in ("collect", "raise"):
            want = reading(lambda: Ledger.read_csv(plain, amount="montant", bad_rows=bad_rows))
            got = reading(lambda: Ledger.read_csv(packed, amount="montant", bad_rows=bad_rows))
            assert named(got, packed) == named(want, plain), (name, bad_rows)
    # several members one after the other (pigz, or files joined with cat), the first ending
    # inside a record: read as the one text they make
    data = GZIP_CASES["utf-8"]
    members = tmp_path / "members.csv.gz"
    members.write_bytes(b"".join(gzip.compress(data[at:at + 7001], mtime=0)
                                 for at in range(0, len(data), 7001)))
    plain.write_bytes(data)
    assert named(reading(lambda: Ledger.read_csv(members, amount="montant")), members) == \
           named(reading(lambda: Ledger.read_csv(plain, amount="montant")), plain)
    rnd = random.Random(reader)
    data = b"montant;f\n" + b"".join(b"%d,00;Financeur %d\n" % (rnd.randrange(10**6),
                                                                 rnd.randrange(10**5))
                                     for _ in range(100_000))
    whole = write_gzip(tmp_path / "whole.csv.gz", data)
    assert Ledger.read_csv(whole, amount="montant").total() == \
           sum(Decimal(line.split(b";")[0].replace(b",", b".").decode())
               for line in data.splitlines()[1:])
    packed_bytes = gzip.compress(data, compresslevel=1, mtime=0)   # a 10-byte header
    middle = len(packed_bytes) // 2
    # bytes inside overwritten: zeros in the middle inflate to other bytes (the CRC refuses
    # them: OSError); 0xFF as the first block's header is a block type deflate does not have
    # (zlib.error, or isal's IsalError)
    zeros, block = tmp_path / "zeros.csv.gz", tmp_path / "block.csv.gz"
    zeros.write_bytes(packed_bytes[:middle] + bytes(4096) + packed_bytes[middle + 4096:])
    block.write_bytes(packed_bytes[:10] + b"\xff" + packed_bytes[11:])
    cut = tmp_path / "cut.csv.gz"
    cut.write_bytes(packed_bytes[:middle])
    for bad in (zeros, block, cut):
        for read in (lambda p: Ledger.read_csv(p, amount="montant"), essconv.files.read_path,
                     essconv.validate_scdl):
            with pytest.raises(essconv.ParseError, match="cannot be read to its end") as said:
                read(bad)
            assert said.value.path == str(bad)


class ReadOnly(io.BufferedIOBase):
    """A seekable binary stream that defines ``read`` alone, as a hand-written wrapper does:
    Python's ``readinto`` of ``io.BufferedIOBase`` calls it.  ``gives(bytes asked for, the
    bytes read)`` says what each read returns instead of the bytes."""

    def __init__(self, data: bytes, gives=None) -> None:
        super().__init__()
        self.inner, self.gives = io.BytesIO(data), gives

    def readable(self) -> bool:
        return True

    def seekable(self) -> bool:
        return True

    def seek(self, offset: int, whence: int = io.SEEK_SET) -> int:
        return self.inner.seek(offset, whence)

    def tell(self) -> int:
        return self.inner.tell()

    def read(self, size=-1):
        got = self.inner.read(size)
        return got if self.gives is None else self.gives(size, got)


ROWS = b"montant;f\n" + b"".join(b"%d,%02d;Nom %d\n" % (k, k % 100, k % 7) for k in range(5000))


def rows_twin(data: bytes) -> tuple:
    """The slow twin of a reading: the rows' count and Decimal total, by the csv module."""
    import csv
    body = list(csv.reader(io.StringIO(data.decode()), delimiter=";"))[1:]
    return len(body), sum(Decimal(a.replace(",", ".")) for a, _ in body)


@pytest.mark.parametrize("threads", [1, 2])
@pytest.mark.parametrize("gives", [lambda size, got: got.decode(), lambda size, got: None,
                                   lambda size, got: 12, lambda size, got: [got]],
                         ids=["text", "None", "int", "list"])
def test_a_stream_whose_read_gives_no_bytes_is_an_essconv_error(gives, threads):
    # Python's readinto over such a read() raised a bare TypeError("read() should return
    # bytes"), outside `except essconv.Error`, naming neither the stream nor what to do
    with pytest.raises(essconv.ArgumentTypeError, match=r"^ReadOnly: its read\(\) ") as caught:
        Ledger.read_csv(ReadOnly(ROWS, gives), amount="montant", threads=threads)
    if gives(4, b"abcd") == "abcd":   # text: the remedy is said
        assert "binary mode ('rb')" in str(caught.value)


@pytest.mark.parametrize("threads", [1, 2])
def test_a_stream_whose_read_gives_more_than_asked_is_refused_not_misread(threads):
    with pytest.raises(essconv.InvalidValueError, match=r"ReadOnly: its read\(\d+\) gave \d+ "
                                                        r"bytes, more than asked"):
        Ledger.read_csv(ReadOnly(ROWS, lambda size, got: got.ljust(size + 1, b"\n")),
                        amount="montant", threads=threads)


@pytest.mark.parametrize("threads", [1, 2])
def test_a_stream_whose_read_raises_raises_its_own_error_unchanged(threads):
    failure = ConnectionResetError("the share went away")
    said = []

    def fail_late(size, got):
        said.append(size)
        if len(said) == 2:
            raise failure
        return got

    with pytest.raises(ConnectionResetError) as caught:
        Ledger.read_csv(ReadOnly(ROWS * 200, fail_late), amount="montant", threads=threads)
    assert caught.value is failure


@pytest.mark.parametrize("threads", [1, 2])
@pytest.mark.parametrize("kind", [bytes, bytearray, memoryview])
def test_a_stream_whose_read_gives_any_bytes_like_reads_as_its_bytes(kind, threads):
    ledger = Ledger.read_csv(ReadOnly(ROWS, lambda size, got: kind(got)), amount="montant",
                             threads=threads)
    assert (len(ledger), ledger.total()) == rows_twin(ROWS)


@pytest.mark.parametrize("threads", [1, 2])
@pytest.mark.parametrize("count", [None, -1, "many", 1 << 30])
def test_a_readinto_giving_no_count_of_the_buffer_is_an_essconv_error(count, threads):
    # the core's own check said a bare OSError("the stream's readinto gave ...")
    stream = Failing(ROWS, 1, lambda buf: count)
    expected = essconv.InvalidValueError if isinstance(count, int) else essconv.ArgumentTypeError
    with pytest.raises(expected, match=r"^Failing: its readinto\(\) "):
        Ledger.read_csv(stream, amount="montant", threads=threads)


class ReadsOnly:
    """A file object with ``read`` alone (no ``readinto``, no ``seek``): read by Python."""

    def __init__(self, data: bytes, gives=None) -> None:
        self.inner, self.gives = io.BytesIO(data), gives

    def read(self, size=-1):
        got = self.inner.read(size)
        return got if self.gives is None else self.gives(size, got)


SCDL = DATA / "scdl" / "dilcrah-2019-subventions-anonymise.csv"


@pytest.mark.parametrize("make", [ReadOnly, ReadsOnly])
@pytest.mark.parametrize("gives", [lambda size, got: None, lambda size, got: 7],
                         ids=["None", "int"])
def test_the_grant_readers_refuse_a_read_giving_no_bytes(make, gives):
    # validate_scdl's `while block := fh.read(n)` took None for the end of the file and
    # validated an empty file in place of the stream's; read_scdl's header read failed with a
    # bare TypeError
    raw = SCDL.read_bytes()
    for reader in (essconv.validate_scdl, essconv.read_scdl):
        with pytest.raises(essconv.ArgumentTypeError, match=rf"^{make.__name__}: its read\(\) "
                                                            r"returned (NoneType|int), not bytes"):
            reader(make(raw, gives))


def test_read_scdl_refuses_text_from_a_binary_stream_saying_to_open_it_in_binary_mode():
    raw = SCDL.read_bytes()
    with pytest.raises(essconv.ArgumentTypeError, match=r"^ReadOnly: .*text .*binary mode"):
        essconv.read_scdl(ReadOnly(raw, lambda size, got: got.decode("utf-8")))


@pytest.mark.parametrize("make", [ReadOnly, ReadsOnly])
@pytest.mark.parametrize("kind", [bytearray, memoryview])
def test_the_grant_readers_read_any_bytes_like_answer_as_the_bytes(make, kind):
    raw = SCDL.read_bytes()
    found = essconv.validate_scdl(make(raw, lambda size, got: kind(got)))
    assert [str(f) for f in found] == [str(f) for f in essconv.validate_scdl(raw)]
    ledger = essconv.read_scdl(make(raw, lambda size, got: kind(got)))
    twin = essconv.read_scdl(raw)
    assert (len(ledger), ledger.total()) == (len(twin), twin.total())


@pytest.mark.parametrize("at", [None, "0", 2.0, -5])
def test_a_stream_whose_tell_gives_no_position_is_an_essconv_error(at):
    # the core takes tell() as where the read begins: None, a str or a float failed there with
    # a bare TypeError("an integer is required"), and a position below zero was taken as one
    class Lost(ReadOnly):
        def tell(self):
            return at

    with pytest.raises(essconv.ArgumentTypeError, match=r"^Lost: its tell\(\) returned "):
        Ledger.read_csv(Lost(ROWS), amount="montant")


@pytest.mark.parametrize("source", [None, 3, 2.5, ["grants.csv"], {"montant": [1]}],
                         ids=["None", "int", "float", "list", "dict"])
def test_a_source_that_is_no_file_path_bytes_or_stream_is_an_essconv_error(source):
    # a None left by a notebook cell, or a list of paths, escaped every reader as a bare
    # AttributeError: "'int' object has no attribute 'read'"
    readers = (essconv.read_scdl, essconv.validate_scdl, essconv.read_plan,
               lambda s: Ledger.read_csv(s, amount="montant"))
    for reader in readers:
        with pytest.raises(essconv.ArgumentTypeError,
                           match=rf"a file name, a path, bytes or a binary file object, "
                                 rf"not {type(source).__name__}"):
            reader(source)


@pytest.mark.parametrize("source", [None, 3, b"montant\n1\n", {"grants.parquet"}],
                         ids=["None", "int", "bytes", "set"])
def test_a_parquet_or_description_source_that_is_no_path_is_an_essconv_error(source):
    # pyarrow's and open()'s TypeError escaped ("Expected a path-like, list of path-likes...",
    # "expected str, bytes or os.PathLike object, not int"), not naming essconv's argument
    pytest.importorskip("pyarrow")
    with pytest.raises(essconv.ArgumentTypeError,
                       match=rf"^read_parquet reads a Parquet file's path, a folder's, a list "
                             rf"of paths or a pyarrow dataset, not {type(source).__name__}"):
        Ledger.read_parquet(source, amount="montant")
    if not isinstance(source, bytes):   # open() takes bytes for a path, as load does
        with pytest.raises(essconv.ArgumentTypeError,
                           match=rf"^load reads a description file's path, not "
                                 rf"{type(source).__name__}"):
            essconv.load(source)
