"""How the readers get a named file's bytes: read() to its end, never a memory map.

A mapped file that another process truncates kills the interpreter with SIGBUS when the parser
touches a page past the new end, and a FIFO, ``/dev/stdin`` or a ``/proc`` file reports a size
of 0 though it has content.  So every reader (``Ledger.read_csv``, ``read_scdl``,
``validate_scdl``, ``read_plan``) reads a path with :func:`read_path`: plain ``read()`` calls
until end of file, whatever the kind of file, into one buffer the parser then owns.

``Ledger.read_csv`` reads a regular file otherwise (:func:`read_in_blocks`): the core reads it
itself in blocks as it parses them, with ``pread()`` (still no map), so that only the blocks in
flight are held besides the ledger, not the whole file; the same checks follow the read.
``read_scdl`` does too, after finding the header in a prefix of the file (:func:`read_head`);
``validate_scdl`` reads a regular file in blocks of its own after :func:`read_head`, checked the
same way once read to its end (:func:`refuse_if_changed_since`).

A regular file that changes while it is read (it shrinks, grows, or is rewritten) raises
:class:`~essconv.errors.FileChangedError` rather than giving a mix of two versions: a row cut
short could otherwise parse as a smaller amount.  A file renamed over or deleted meanwhile is
read as it was (the open descriptor keeps the old file).

A compressed file named so -- ``grants.csv.gz``, ``.bz2``, ``.xz``, a ``.zip`` of one file --
whose first bytes agree with its name is read as its content (:func:`open_packed`): by
:func:`read_path`, by the SCDL readers, and by ``Ledger.read_csv``, which streams it as it
streams any seekable binary stream handed to it (:func:`seekable_stream`: the core calls its
``readinto`` for each block while the other threads parse).  A gzip file is inflated by
ISA-L (the optional ``isal`` package, extra ``gzip``) when it is installed, by the standard
library's zlib otherwise (:data:`GZIP_READERS`).

A stream is read in chunks, and no further than the chunk where it stops being text in every
encoding the readers accept: a zero UTF-16 code unit (two zero bytes at an even offset), which
UTF-8 and CP1252 refuse as NUL bytes too.  So ``/dev/zero`` or ``/dev/urandom`` given as a path
gives the parser's "NUL byte at line 1, column 1" at once instead of filling memory.  A zip (an
.xlsx through a pipe) is read whole.
"""
from __future__ import annotations

import contextlib
import importlib
import io
import os
import stat
from typing import Any, BinaryIO, Callable, Iterator, NamedTuple

import essconv._core as _core
from .errors import (ArgumentTypeError, Error, FileChangedError, InvalidValueError,
                     MixedEncodingWarning, ParseError, give_warning)

#: how users name encodings -> the core's; every reader (plans, ledgers, SCDL) takes these names
ENCODINGS = {
    None: _core.ENC_AUTO, "auto": _core.ENC_AUTO, "utf-8": _core.ENC_UTF8, "utf8": _core.ENC_UTF8,
    "utf-8-sig": _core.ENC_UTF8, "cp1252": _core.ENC_CP1252, "windows-1252": _core.ENC_CP1252,
    "latin-1": _core.ENC_CP1252, "latin1": _core.ENC_CP1252, "iso-8859-1": _core.ENC_CP1252,
    "iso-8859-15": _core.ENC_CP1252, "utf-16": _core.ENC_UTF16LE, "utf-16-le": _core.ENC_UTF16LE,
    "utf-16-be": _core.ENC_UTF16BE,
}


def checked_delimiter(delimiter: Any) -> str | None:
    """The delimiter a reader is told, or None to find it in the file: one character, and not
    one a CSV file gives a meaning of its own (a quote encloses a cell, a line ending ends a
    record, NUL is no text)."""
    if delimiter is None or delimiter == "":
        return None
    if not isinstance(delimiter, str):
        raise ArgumentTypeError(f"a delimiter is one character (a str), not "
                                f"{type(delimiter).__name__} {delimiter!r}")
    if len(delimiter) != 1:
        raise InvalidValueError(f"a delimiter is one character, not {delimiter!r}")
    if delimiter in '"\n\r\0':
        raise InvalidValueError(f"a delimiter cannot be {delimiter!r}: a quote encloses a cell and "
                                f"a line ending ends a record in a CSV file")
    return delimiter


_CHUNK = 1 << 20
_ZIP = b"PK\x03\x04"


def _version(st: os.stat_result) -> tuple[int, int]:
    return st.st_size, st.st_mtime_ns


def _stops_being_text(chunk: bytes, offset: int) -> bool:
    """Whether chunk, read at offset, holds a zero UTF-16 code unit."""
    at = chunk.find(b"\0\0")
    while at >= 0:
        if (offset + at) % 2 == 0:
            return True
        at = chunk.find(b"\0\0", at + 1)
    return False


def _read_stream(fh: BinaryIO) -> bytes:
    """A FIFO, a terminal, a character device: to its end, or to where it stops being text."""
    parts: list[bytes] = []
    read = 0
    while chunk := fh.read(_CHUNK):
        parts.append(chunk)
        if _stops_being_text(chunk, read) and not parts[0].startswith(_ZIP):
            break
        read += len(chunk)
    return b"".join(parts)


def _synthetic(st: os.stat_result) -> bool:
    """/proc and /sys files: regular files with no blocks whose size is a placeholder (0 or a
    page), so only their size and time are compared, not the count of bytes read."""
    return getattr(st, "st_blocks", 1) == 0 and st.st_size in (0, 4096)


def _refuse_if_changed(path: str, before: os.stat_result, after: os.stat_result,
                       count: int) -> None:
    """FileChangedError unless the file kept its size and time and all its bytes were read."""
    if _version(before) != _version(after) or (not _synthetic(before) and count != after.st_size):
        raise FileChangedError(
            f"the file changed while it was read ({before.st_size} bytes when opened, "
            f"{count} read, {after.st_size} now): read it again once it is complete",
            path=path)


def _read_opened(fh: BinaryIO, path: str, before: os.stat_result) -> bytes:
    if not stat.S_ISREG(before.st_mode):
        return _read_stream(fh)   # a stream has no size, and no version to compare
    data = fh.read()
    _refuse_if_changed(path, before, os.fstat(fh.fileno()), len(data))
    return data


def read_path(path: str) -> bytes:
    """The whole content of the file at ``path``, read to its end (decompressed when it is a
    compressed file named so: :func:`open_packed`).

    Example: ``essconv.files.read_path("/dev/stdin")`` reads a pipe to its end
    """
    with open_packed(path) as packed:
        if packed is not None:   # grants.csv.gz: its content
            return packed.stream.read()
    with open(path, "rb") as fh:
        return _read_opened(fh, path, os.fstat(fh.fileno()))


def read_in_blocks(path: str, read_fd: Callable[[int, int], tuple],
                   read_bytes: Callable[[bytes], Any]) -> Any:
    """``read_fd(descriptor, size)`` on the regular file at ``path`` -- the core reads it in
    blocks as it parses them and returns its result with the count of bytes it read last --
    checked unchanged as :func:`read_path` checks it; the result without the count.  Any other
    file (a FIFO, ``/dev/stdin``, a ``/proc`` file, whose size says nothing) gives its bytes to
    ``read_bytes``, read to their end by the same descriptor (a FIFO cannot be opened twice).

    Example: ``read_in_blocks("grants.csv", lambda fd, size: _core.Ledger.read_csv_fd(fd, size,
    ["montant"], [_core.COL_AMOUNT]), lambda data: _core.Ledger.read_csv(data, ...))``
    """
    with open(path, "rb") as fh:
        return read_opened_in_blocks(fh, path, read_fd, read_bytes)


def read_opened_in_blocks(fh: BinaryIO, path: str | None, read_fd: Callable[[int, int], tuple],
                          read_bytes: Callable[[bytes], Any]) -> Any:
    """:func:`read_in_blocks` on a binary file object opened at its start (the core reads by its
    descriptor from offset 0): what ``open(path, "rb")`` gives a reader."""
    before = os.fstat(fh.fileno())
    if not stat.S_ISREG(before.st_mode) or _synthetic(before):
        return read_bytes(_read_opened(fh, path, before))
    *result, count = read_fd(fh.fileno(), before.st_size)
    _refuse_if_changed(path, before, os.fstat(fh.fileno()), count)
    return tuple(result)


def plain_file_at_start(source: Any) -> BinaryIO | None:
    """``source`` when it is a binary file object on a regular file, still at its start -- what
    ``open(path, "rb")`` gives -- so that the core may read it by its descriptor in blocks, as
    it reads a path; None for anything else (text mode, a gzip or zip member, a socket, a pipe,
    ``BytesIO``, a file already read from), which is read by Python as before."""
    if type(source) is not io.BufferedReader or type(source.raw) is not io.FileIO:
        return None
    try:
        if source.tell() != 0:
            return None
        st = os.fstat(source.fileno())
    except (OSError, ValueError):   # closed, or no descriptor after all
        return None
    return source if stat.S_ISREG(st.st_mode) and not _synthetic(st) else None


#: the modules that may open a gzip file, the first one importable chosen: ISA-L's igzip (the
#: optional ``isal`` package) inflates the 1e7-row quoted French export 3.5x as fast as the
#: standard library's zlib (330 against 1 170-1 340 ms, 2026-12-01), and a gzipped file is read
#: no faster than it inflates.  Both give the same bytes; a test reads every case with each.
GZIP_READERS = ("isal.igzip", "gzip")


def _gzip_module() -> Any:
    """The first of :data:`GZIP_READERS` that imports (``gzip`` always does)."""
    for name in GZIP_READERS:
        try:
            return importlib.import_module(name)
        except ImportError:
            continue
    return importlib.import_module("gzip")


#: the compressed files a path may name, by suffix: the bytes they start with, their module
_PACKED = {".gz": (b"\x1f\x8b", "gzip"), ".bz2": (b"BZh", "bz2"), ".xz": (b"\xfd7zXZ\x00", "lzma"),
           ".zip": (_ZIP, "zipfile")}


def _packed(path: str) -> tuple[str, os.stat_result] | None:
    """(the module that reads it, the file's state) when ``path`` names a compressed file for
    what it is -- its suffix in _PACKED and its first bytes those of such a file -- else None."""
    magic, module = _PACKED.get(os.path.splitext(path)[1].lower(), (None, None))
    if magic is None:
        return None
    try:
        if not stat.S_ISREG(os.stat(path).st_mode):
            return None   # a FIFO named .gz: opened here, its first bytes would be lost
        with open(path, "rb") as fh:
            before = os.fstat(fh.fileno())
            head = fh.read(len(magic))
    except OSError:   # the plain reading that follows raises it with its usual message
        return None
    return (module, before) if head == magic and stat.S_ISREG(before.st_mode) else None


def is_packed(path: str) -> bool:
    """Whether ``path`` names a compressed file :func:`open_packed` opens."""
    return _packed(path) is not None


class Packed(NamedTuple):
    """A compressed file opened by :func:`open_packed`."""
    stream: BinaryIO   # its content, decompressed as it is read
    file: BinaryIO     # the compressed file under it: its tell() is how far the reading got
    size: int          # the compressed file's size, when opened


@contextlib.contextmanager
def open_packed(path: str) -> Iterator[Packed | None]:
    """The content of a compressed file named for what it is -- ``grants.csv.gz``, ``.bz2``,
    ``.xz``, a ``.zip`` of one file -- and starting as such a file does, decompressed as it is
    read (a seekable stream: :func:`seekable_stream`), with the compressed file under it (for
    progress); None for any other path, which is read as it is.  The file is checked unchanged
    once read (FileChangedError otherwise), as a plain file is; a zip holding several files
    raises ParseError naming them.

    Example: ``with open_packed("grants.csv.gz") as packed: packed.stream.read()`` -- the CSV
    """
    path = os.fspath(path)   # named in its errors as text
    found = _packed(path)
    if found is None:
        yield None
        return
    module, before = found
    # what the decompressors raise on damaged data: EOFError for a stream cut short, OSError
    # (gzip.BadGzipFile, bz2's "Invalid data stream"), zlib.error (gzip and zip), isal's
    # IsalError (no zlib.error), lzma.LZMAError, zipfile.BadZipFile
    import zlib
    damaged: tuple = (EOFError, OSError, zlib.error)
    with contextlib.ExitStack() as closing:
        file = closing.enter_context(open(path, "rb"))
        try:
            opener = importlib.import_module(module) if module != "gzip" else _gzip_module()
            if opener.__name__ == "isal.igzip":
                from isal import isal_zlib
                damaged += (isal_zlib.error,)
            if module == "lzma":
                import lzma
                damaged += (lzma.LZMAError,)
            if module == "zipfile":
                import zipfile
                damaged += (zipfile.BadZipFile,)
                archive = closing.enter_context(zipfile.ZipFile(file))
                members = [m for m in archive.infolist() if not m.is_dir()]
                if len(members) != 1:
                    raise ParseError(f"the zip archive holds {len(members)} files "
                                     f"({', '.join(m.filename for m in members[:5])}): open the "
                                     f"one to read with zipfile.ZipFile(path).open(name)",
                                     path=path)
                stream = closing.enter_context(archive.open(members[0]))
            else:
                stream = closing.enter_context(opener.open(file, "rb"))
            yield Packed(stream, file, before.st_size)
        except damaged as exc:   # a download cut short, a file that is not what it is named
            if isinstance(exc, Error):   # FileChangedError is an OSError too
                raise
            raise ParseError(f"the compressed file cannot be read to its end ({exc}), near "
                             f"byte {file.tell()} of its {before.st_size}: download it again",
                             path=path) from exc
    refuse_if_changed_since(path, before, "while it was read")


def seekable_stream(source: Any) -> BinaryIO | None:
    """``source`` when it is a binary stream the core can read in blocks from where it stands,
    as it reads a file -- ``readinto`` into its blocks, ``seek`` back for a pass read again:
    ``gzip.open(path)``, a zip member, ``bz2``, ``lzma``, a file already read from; None for
    anything else (text mode, a pipe or a socket, which cannot go back, ``BytesIO``, whose
    bytes are read in place: :func:`bytes_in_place`).

    Example: ``seekable_stream(gzip.open("grants.csv.gz"))`` is the gzip file itself
    """
    if not isinstance(source, (io.BufferedIOBase, io.RawIOBase)) or isinstance(source, io.BytesIO):
        return None
    try:
        ok = not source.closed and source.seekable() and source.readable()
    except (OSError, ValueError):
        return None
    return source if ok and hasattr(source, "readinto") else None


def checked_read(stream: Any, size: int, *, text: bool) -> Any:
    """``stream.read(size)``: bytes-like, or a str when ``text`` (a file object in text mode,
    whose text is then encoded as UTF-8 by the caller); anything else is an
    :class:`ArgumentTypeError` naming the stream -- None above all, which a ``while block :=
    fh.read(n)`` loop took for the end of the file and validated an empty one.  Text from a
    stream read as binary (seekable, its bytes read again for a second pass) is refused saying
    to open the file in binary mode.

    Example: ``checked_read(gzip.open(path), 1 << 16, text=False)``
    """
    data = stream.read(size)
    if isinstance(data, (bytes, bytearray, memoryview)) or (text and isinstance(data, str)):
        return data
    name = name_of(stream) or type(stream).__name__
    if isinstance(data, str):
        raise ArgumentTypeError(f"{name}: its read() gave text (str), not bytes: open the file "
                                f"in binary mode ('rb'), and essconv decodes it")
    raise ArgumentTypeError(f"{name}: its read() returned {type(data).__name__}, not bytes"
                            f"{' or str' if text else ''}")


class CheckedReads:
    """A stream handed to the core (:func:`seekable_stream`) as the core reads it: ``seek``,
    ``tell`` and a ``readinto`` whose answer is checked, each refusal an essconv error naming
    the stream.  A stream that defines ``read`` alone (an ``io.BufferedIOBase`` subclass) is
    read through ``read`` here: Python's own ``readinto`` over it raised bare ``TypeError("read()
    should return bytes")`` for text, None or a ``bytearray``, and ``ValueError("read() returned
    too much data")`` -- outside ``except essconv.Error``, naming neither the stream nor what
    to do.  What the stream itself raises goes through unchanged.

    Example: ``_core.Ledger.read_csv_stream(CheckedReads(gzip.open(path)), ...)``
    """

    def __init__(self, stream: Any) -> None:
        self.stream = stream
        self.name = name_of(stream) or type(stream).__name__
        # Python's readinto of a BufferedIOBase calls read(): read() is then the stream's own
        self.by_read = getattr(type(stream), "readinto", None) is io.BufferedIOBase.readinto

    def seek(self, offset: int, whence: int = io.SEEK_SET) -> int:
        return self.stream.seek(offset, whence)

    def tell(self) -> int:
        # the core takes it as where the read begins: None or a str failed there with a bare
        # TypeError("an integer is required")
        at = self.stream.tell()
        if type(at) is not int or at < 0:
            raise ArgumentTypeError(f"{self.name}: its tell() returned {at!r}, not a position "
                                    f"in bytes")
        return at

    def readinto(self, buffer: Any) -> int:
        asked = len(buffer)
        if not self.by_read:
            count = self.stream.readinto(buffer)
            if type(count) is not int:   # None: a non-blocking stream with nothing ready
                raise ArgumentTypeError(f"{self.name}: its readinto() returned "
                                        f"{type(count).__name__}, not a count of bytes")
            if not 0 <= count <= asked:
                raise InvalidValueError(f"{self.name}: its readinto() said {count} bytes were "
                                        f"read into a buffer of {asked}")
            return count
        data = memoryview(checked_read(self.stream, asked, text=False)).cast("B")   # in bytes
        if len(data) > asked:   # more than asked: bytes that would be dropped, or misplaced
            raise InvalidValueError(f"{self.name}: its read({asked}) gave {len(data)} bytes, "
                                    f"more than asked")
        buffer[:len(data)] = data
        return len(data)


def bytes_in_place(source: Any) -> memoryview | None:
    """The bytes of a ``BytesIO`` from where it stands, as a view of its own buffer (no copy;
    the ``BytesIO`` cannot grow while the view is alive: release it), or None for any other
    source."""
    if type(source) is not io.BytesIO or source.closed:
        return None
    return source.getbuffer()[source.tell():]


def read_head(path: str, size: int) -> tuple[bytes, bool, os.stat_result] | None:
    """The first ``size`` bytes of the regular file at ``path``, whether they are the whole
    file, and the file's state when they were read (for :func:`refuse_if_changed_since`); None
    for any other file (a FIFO, ``/dev/stdin``, a ``/proc`` file), told by its ``stat`` without
    opening it: a stream read here would be lost to the reader after; None for a compressed file
    too (:func:`open_packed`), whose bytes are not its text.  What lets a reader look
    at a header and then have the core stream the body (:func:`read_in_blocks`) instead of
    holding the whole file.  FileChangedError if the file changes while the bytes are read.

    Example: ``read_head("grants.csv", 1 << 18)[:2]`` -> ``(b"montant;...", False)``
    """
    try:
        st = os.stat(path)
    except OSError:
        return None   # the reader that follows raises it with its usual message
    if not stat.S_ISREG(st.st_mode) or _synthetic(st) or is_packed(path):
        return None
    with open(path, "rb") as fh:
        before = os.fstat(fh.fileno())
        head = fh.read(size)
        after = os.fstat(fh.fileno())
    if _version(before) != _version(after):
        _refuse_if_changed(path, before, after, len(head))
    return head, len(head) < size, before


def refuse_if_changed_since(path: str, before: os.stat_result,
                            when: str = "between the read of its header and the read of its "
                                        "body") -> None:
    """FileChangedError unless the file at ``path`` is still the one :func:`read_head` saw (same
    file, size and time): its head and a later read of its body are then of one version."""
    try:
        now = os.stat(path)
    except OSError:
        now = None
    if now is None or (now.st_dev, now.st_ino) != (before.st_dev, before.st_ino) \
            or _version(now) != _version(before):
        raise FileChangedError(f"the file changed {when}: read it again once it is complete",
                               path=path)


def checked_target(target: Any, verb: str, *, streams: bool = False) -> Any:
    """``target`` when an export may be written there: a file name or an ``os.PathLike``, or
    with ``streams`` a binary file object (one with ``write``).  Anything else is refused
    before a file is opened: ``open()`` takes an int as a file descriptor, and ``to_csv(1)``
    wrote over the process's standard output, then closed it."""
    if isinstance(target, (str, os.PathLike)):
        return target
    if streams and not isinstance(target, (bool, int)) and callable(getattr(target, "write", None)):
        return target
    said = "a file name ('report.csv') or a path" + (", or a binary file object" if streams else "")
    raise ArgumentTypeError(f"{verb} writes to {said}, not {type(target).__name__} {target!r:.40}")


def name_of(stream: Any) -> str | None:
    """The name a file object gives itself (its path for ``open`` and ``gzip.open``), or None
    when it has none that is a path (a BytesIO, a descriptor's number)."""
    name = getattr(stream, "name", None)
    return name if isinstance(name, str) else None


def refuse_unreadable(source: Any) -> None:
    """Refuse, as an :class:`ArgumentTypeError` naming what it is, a source that is neither a
    path, bytes nor an object with ``read()``: a None left by a notebook cell, or a list of
    paths, escaped every reader as a bare AttributeError (``'int' object has no attribute
    'read'``).  The caller has ruled out paths and bytes-like objects already."""
    if not callable(getattr(source, "read", None)):
        raise ArgumentTypeError(f"a source is a file name, a path, bytes or a binary file "
                                f"object, not {type(source).__name__} {source!r:.40}")


def read_source(source: Any) -> tuple[Any, str | None, bool]:
    """(the source's bytes, its name or None, whether it gave text): a path is read to its end
    (:func:`read_path`), a bytes-like object is used as it is, a file object is read; text read
    from a file object is encoded as UTF-8, and the caller then reads it as UTF-8 whatever
    encoding was asked for, since the text was decoded already."""
    if isinstance(source, (str, os.PathLike)):
        path = os.fspath(source)
        return read_path(path), path, False
    if isinstance(source, (bytes, bytearray, memoryview)):
        return source, None, False
    refuse_unreadable(source)
    name = name_of(source)
    try:
        data = source.read()
    except UnicodeDecodeError as exc:
        # a file opened as text in an encoding its bytes are not: the decoder's own error
        # named neither the line nor what to do
        raise undecodable(exc, name, placed=True) from None
    if isinstance(data, str):
        raw, decoded = text_as_bytes(data, name)
        return raw, name, decoded
    if not isinstance(data, (bytes, bytearray, memoryview)):
        # what a careless file object gives (None, a count, a list) reached the parsers as it
        # was, whose TypeError named neither the source nor its read()
        raise ArgumentTypeError(f"{name or type(source).__name__}: its read() returned "
                                f"{type(data).__name__}, not bytes or str")
    return data, name, False


def text_as_bytes(text: str, name: str | None) -> tuple[bytes, bool]:
    """(the bytes of text a file object gave, whether they are UTF-8 to read as such): its
    text as UTF-8; or, opened with ``errors="surrogateescape"``, the file's own bytes, which
    that handler kept as they were where it could not decode them, for the core to decide
    their encoding as for a file opened "rb" (Python's bare "surrogates not allowed" else).
    A lone surrogate no file's text holds is a :class:`ParseError` naming the file."""
    try:
        return text.encode("utf-8"), True
    except UnicodeEncodeError:
        pass
    try:
        return text.encode("utf-8", "surrogateescape"), False
    except UnicodeEncodeError as exc:
        raise ParseError(f"the text read holds a lone surrogate ({text[exc.start]!r}), which "
                         f"no file's text holds: open the file in binary ('rb')",
                         path=name) from None


def undecodable(exc: UnicodeDecodeError, name: str | None, *, placed: bool) -> ParseError:
    """The refusal of a text file object whose bytes its encoding cannot decode: the byte,
    what to do, and its place when the decoder was given the bytes from the start of the read
    (``placed``; a read of a block decodes in chunks, its earlier lines unknown here)."""
    raw = bytes(exc.object)
    before = raw[:exc.start]
    line = before.count(b"\n") + 1 if placed else 0
    column = len(before[before.rfind(b"\n") + 1:].decode(exc.encoding, "replace")) + 1 \
        if placed else 0
    byte = raw[exc.start] if exc.start < len(raw) else 0
    return ParseError(f"the file object decodes as {exc.encoding}, but byte 0x{byte:02X} is not "
                      f"{exc.encoding} ({exc.reason}): open the file in binary ('rb') and essconv "
                      f"decides its encoding (UTF-8, CP1252 or both mixed, said), or give open() "
                      f"the file's encoding", path=name, line=line, column=column,
                      reason=("undecodable", exc.encoding, byte))


def warn_if_mixed(data: Any, path: str | None, lines_before: int = 0) -> None:
    """Says where a file mixing UTF-8 and CP1252 holds its odd bytes, and how each was read:
    the core decided on the whole file, but such a file was pasted together and its odd
    places deserve a look.  Readers call it when the core reports "utf-8 + cp1252"; one that
    reads a file in blocks gives a block as ``data`` and the lines of the file before it."""
    count, odd_are_cp1252, places = _core.mixed_places(data, 5)
    _say_mixed(path, count, odd_are_cp1252,
               [(line + lines_before, col, b) for line, col, b in places])


_TALLY_PIECE = 16 << 20   # bytes of a file looked at a time by warn_if_file_mixed


def warn_if_file_mixed(fh: BinaryIO, path: str | None, piece_bytes: int = _TALLY_PIECE) -> None:
    """:func:`warn_if_mixed` for a file opened ``"rb"`` at its start, read to its end in pieces
    of about ``piece_bytes`` cut after a LF, so that a file the core read in blocks is never
    held whole for its warning: each piece's two kinds of odd bytes are counted and their first
    places kept (``_core.mixed_tally``), and their sums decide as ``_core.mixed_places`` decides
    on the whole text -- the rarer kind's count and first places."""
    counts, places, lines, carry, first = [0, 0], ([], []), 0, b"", True
    while True:
        block = fh.read(piece_bytes)
        text = carry + block
        if first:
            if len(text) < 3 and block:
                carry = text   # a BOM is told on three bytes
                continue
            first = False
            while text.startswith(b"\xef\xbb\xbf"):
                text = text[3:]   # a BOM (two, saved twice) is no character of the first line
        cut = text.rfind(b"\n") + 1 if block else len(text)
        piece, carry = text[:cut], text[cut:]
        if piece:
            cp1252, utf8, piece_lines, *found = _core.mixed_tally(piece, 5)
            for k, count in enumerate((cp1252, utf8)):
                counts[k] += count
                places[k].extend((line + lines, col, b)
                                 for line, col, b in found[k][:5 - len(places[k])])
            lines += piece_lines
        if not block:
            break
    cp1252, utf8 = counts
    odd_are_cp1252 = cp1252 <= utf8
    _say_mixed(path, (cp1252 if odd_are_cp1252 else utf8) if cp1252 and utf8 else 0,
               odd_are_cp1252, places[0] if odd_are_cp1252 else places[1])


def _say_mixed(path: str | None, count: int, odd_are_cp1252: bool,
               places: list[tuple[int, int, int]]) -> None:
    if not count:
        return
    if odd_are_cp1252:
        shown = ", ".join(f"0x{b:02X} at {line}:{col} read as {bytes([b]).decode('cp1252')!r}"
                          for line, col, b in places)
        what = f"mostly UTF-8, but {count} byte{'s are' if count > 1 else ' is'} not UTF-8 " \
               f"and {'were' if count > 1 else 'was'} read as CP1252"
    else:
        shown = ", ".join(f"0x{b:02X}... at {line}:{col}" for line, col, b in places)
        what = f"mostly CP1252, but {count} valid UTF-8 sequence{'s were' if count > 1 else ' was'}" \
               f" read as UTF-8"
    more = f" (and {count - len(places)} more)" if count > len(places) else ""
    first_line, first_column = places[0][:2] if places else (0, 0)
    give_warning(MixedEncodingWarning(
        f"{path or '<bytes>'}: {what}: {shown}{more}; say encoding= to read the file otherwise",
        path=path, line=first_line, column=first_column,
        reason=("mixed-cp1252" if odd_are_cp1252 else "mixed-utf8", count, tuple(places))))


__all__ = ["ENCODINGS", "GZIP_READERS", "Packed", "bytes_in_place", "is_packed", "name_of", "open_packed",
           "CheckedReads", "checked_read", "read_head", "read_in_blocks", "read_path", "read_source", "refuse_if_changed_since", "seekable_stream",
           "warn_if_file_mixed", "warn_if_mixed"]
