"""read_scdl(path) streams the body as Ledger.read_csv(path) does (memory).

A regular file named by its path is no longer read whole: its header is found in a growing
prefix, then the core reads the body in blocks.  The whole bytes are read only when the rows
must be rewritten (rows longer than the header, the legacy SUB_DATE_DEBUT/FIN joined).  The
reading must stay the one of the same bytes given as bytes -- rows, labels, amounts, bad rows
and their places, warnings, errors -- which is the slow obvious twin compared against here.
"""
from __future__ import annotations

import os
import random
import warnings
from decimal import Decimal
from pathlib import Path

import pytest

import essconv
import essconv.scdl as scdl
from essconv import Ledger
from essconv.scdl import read_scdl

from conftest import UNDER_ASAN
from test_streamed_read import peak_and_kept

DATA = Path(__file__).parent / "data"

SCHEMA_HEADER = ["nomAttribuant", "idAttribuant", "dateConvention", "referenceDecision",
                 "nomBeneficiaire", "idBeneficiaire", "objet", "montant", "nature",
                 "datesPeriodeVersement"]
#: the first exports' spelling (Nièvre 2016): the period as two columns, joined by read_scdl
LEGACY_HEADER = ["COLL_NOM", "COLL_SIRET", "ACTE_DATE", "ACTE_REF", "ATTRIB_NOM", "ATTRIB_SIRET",
                 "SUB_OBJET", "SUB_MONTANT", "SUB_NATURE", "SUB_DATE_DEBUT", "SUB_DATE_FIN"]
BENEFICIARIES = ["Association Léo Lagrange", "CEA du personnel", "Café-théâtre « Le Zèbre »",
                 "Régie de quartier", "ESS Nord-Pas de Calais"]


def outcome(read) -> tuple:
    """All a reading yields, or the error it raised, with the warnings given; a path or
    ``<bytes>``/``<scdl>`` in a message is one placeholder, so that two readings compare."""
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        try:
            ledger = read()
            got: tuple = ("read", ledger.columns, ledger.kinds, len(ledger), ledger.blank_rows,
                          ledger.bad_rows, {c: ledger.values(c) for c in ledger.columns},
                          ledger.total(), ledger._core.encoding)
        except essconv.Error as exc:
            got = ("error", type(exc).__name__, Exception.__str__(exc),
                   getattr(exc, "line", None), getattr(exc, "column", None))
    said = [(w.category.__name__, str(w.message).split(": ", 1)[-1]) for w in caught]
    return got, said


def same_from_path_and_bytes(path: Path) -> tuple:
    from_bytes = outcome(lambda: read_scdl(path.read_bytes()))
    from_path = outcome(lambda: read_scdl(path))
    assert from_path == from_bytes
    return from_path


@pytest.mark.parametrize("path", sorted((DATA / "scdl").glob("*.csv")), ids=lambda p: p.name)
def test_every_real_file_reads_from_its_path_as_from_its_bytes(path):
    same_from_path_and_bytes(path)


def cell(text: str, delimiter: str, quote_all: bool) -> str:
    if quote_all or any(ch in text for ch in (delimiter, '"', "\n", "\r")):
        return '"' + text.replace('"', '""') + '"'
    return text


def scdl_file(rng: random.Random, rows: int, *, delimiter: str = ";", quote_all: bool = False,
              header_break: bool = False, blank_before: int = 0, bom: bool = False,
              cp1252: bool = False, long_rows: bool = False, legacy: bool = False,
              newline: str = "\n") -> tuple[bytes, Decimal]:
    """An SCDL-shaped file and the Decimal sum of the amounts written."""
    names = list(LEGACY_HEADER if legacy else SCHEMA_HEADER)
    if header_break:   # a label as a spreadsheet wraps it: a line break inside the quotes
        names[names.index("objet" if not legacy else "SUB_OBJET")] = "SUB_OBJET\nobjet" \
            if legacy else "objet\n"
    head = delimiter.join(cell(n, delimiter, quote_all or header_break) for n in names)
    lines = [""] * blank_before + [head]
    total = Decimal(0)
    for i in range(rows):
        cents = rng.randrange(0, 10**9)
        total += Decimal(cents) / 100
        euros, rest = divmod(cents, 100)
        amount = f"{euros:,}".replace(",", " ") + f",{rest:02d}"
        if long_rows and delimiter == "," and i % 7 == 3:
            amount = amount.replace('"', "")   # left unquoted: it splits over two cells
        else:
            amount = cell(amount, delimiter, quote_all)
        year = 2009 + i % 5
        period = [f"{year}-01-1{i % 10}", f"{year}-12-3{i % 2}"]
        fields = [f"Région {rng.choice(['Nord', 'Hauts-de-France'])}", "23590001600038",
                  f"{year}-0{1 + i % 9}-1{i % 10}", f"DEL-{i}", rng.choice(BENEFICIARIES),
                  "40772080400019", rng.choice(["Fonctionnement", "Emploi d'avenir\nphase 2",
                                                "Investissement"]),
                  None, "aide en numéraire"] + (period if legacy else ["/".join(period)])
        lines.append(delimiter.join(amount if f is None else cell(f, delimiter, quote_all)
                                    for f in fields))
        if i % 13 == 4:
            lines.append(delimiter * (len(names) - 1))   # a blank row, counted
    text = newline.join(lines) + newline
    data = text.encode("cp1252" if cp1252 else "utf-8")
    return (b"\xef\xbb\xbf" if bom else b"") + data, total


DRESSES = {
    "plain ; LF": {},
    "quoted , CRLF": {"delimiter": ",", "quote_all": True, "newline": "\r\n"},
    "quoted header with a line break": {"header_break": True},
    "header after blank lines": {"blank_before": 3},
    "BOM": {"bom": True, "delimiter": "\t"},
    "CP1252": {"cp1252": True},
    "rows longer than the header": {"delimiter": ",", "long_rows": True},
    "legacy SUB_DATE_DEBUT/FIN": {"legacy": True},
    "legacy, quoted header with a line break, CP1252": {"legacy": True, "header_break": True,
                                                       "cp1252": True},
}


@pytest.mark.parametrize("order, bom", [("utf-16-le", b"\xff\xfe"), ("utf-16-be", b"\xfe\xff")])
@pytest.mark.parametrize("path", sorted((DATA / "scdl").glob("*.csv")), ids=lambda p: p.name)
def test_every_real_file_saved_as_unicode_text_reads_as_its_utf8_twin(tmp_path, path, order, bom):
    """Excel's "Unicode text" is UTF-16 (little-endian, a BOM, CRLF): its two-byte line ends
    made the header search cut a character in half ("an odd number of bytes").  Big-endian
    UTF-16 (other tools' "Unicode") was refused as "a NUL byte at line 1, column 3"."""
    raw = path.read_bytes()
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        text = raw.decode("cp1252")
    text = text.replace("\r\n", "\n").replace("\n", "\r\n")
    utf8, utf16 = tmp_path / "utf8.csv", tmp_path / "utf16.csv"
    utf8.write_bytes(text.encode("utf-8"))
    utf16.write_bytes(bom + text.encode(order))
    (expected, said), (got, got_said) = (same_from_path_and_bytes(utf8),
                                         same_from_path_and_bytes(utf16))
    # everything but the encoding the core read (the rewritten files' rows are read as UTF-8)
    assert got[0] == "read" and got[:-1] == expected[:-1] and got_said == said


@pytest.mark.parametrize("rows", [0, 3, 6000])   # 6000 rows: past the first prefix read
@pytest.mark.parametrize("dress", DRESSES)
def test_generated_files_read_from_their_path_as_from_their_bytes(tmp_path, dress, rows):
    data, total = scdl_file(random.Random(rows), rows, **DRESSES[dress])
    path = tmp_path / "subventions.csv"
    path.write_bytes(data)
    got, said = same_from_path_and_bytes(path)
    if dress == "header after blank lines":   # the core's reading of it, the same both ways
        return
    assert got[0] == "read", got
    if dress == "rows longer than the header" and rows > 3:
        assert any(category == "RepairedRowsWarning" for category, _ in said)
    else:   # the independent sum: every amount was read
        assert got[7] == total and not got[5]
    if "legacy" in dress:
        assert "datesPeriodeVersement" in got[1]


def test_a_legacy_file_with_no_record_reads_as_an_empty_ledger(tmp_path):
    """SUB_DATE_DEBUT/FIN under a header alone: an empty ledger with the joined period column;
    before, the empty rewritten ledger (falsy) was dropped and read_scdl crashed on None."""
    path = tmp_path / "subventions.csv"
    path.write_bytes((";".join(LEGACY_HEADER) + "\n").encode())
    ledger = read_scdl(path)
    assert len(ledger) == 0 and "datesPeriodeVersement" in ledger.columns


def test_a_header_after_blank_lines_reads(tmp_path):
    """Empty lines before a ';' header: the delimiter sniffer took the first (empty) line's
    count as the header's and answered ',' (read_table and the ledger reader alike)."""
    data, total = scdl_file(random.Random(3), 3, blank_before=3)
    assert read_scdl(data).total() == total
    path = tmp_path / "subventions.csv"
    path.write_bytes(data)
    assert read_scdl(path).total() == total
    assert Ledger.read_csv(b"\r\n  \n\na;montant\nx;1,5\n", amount="montant").total() == \
        Decimal("1.5")


@pytest.mark.filterwarnings("ignore::essconv.errors.RepairedRowsWarning")
@pytest.mark.parametrize("dress, whole_reads", [("plain ; LF", 0),
                                                ("quoted header with a line break", 0),
                                                ("rows longer than the header", 1),
                                                ("legacy SUB_DATE_DEBUT/FIN", 1)])
def test_the_whole_file_is_read_only_to_rewrite_its_rows(tmp_path, monkeypatch, dress,
                                                         whole_reads):
    """The file is never held whole unless its rows must be rewritten, and its header is
    looked for in a prefix, not the whole file; before, read_scdl read it all every time."""
    data, _ = scdl_file(random.Random(1), 20_000, **DRESSES[dress])   # ~2.5 MB
    path = tmp_path / "subventions.csv"
    path.write_bytes(data)
    whole, heads = [], []

    def counted(read, into: list):
        def reading(source, *args):
            result = read(source, *args)
            if isinstance(source, (str, os.PathLike)):   # bytes pass through read_source
                into.append(result)
            return result
        return reading

    for name, into in (("read_source", whole), ("read_path", whole), ("read_head", heads)):
        monkeypatch.setattr(scdl, name, counted(getattr(scdl, name, None), into), raising=False)
    read_scdl(path)
    assert len(whole) == whole_reads
    assert heads and max(len(head[0]) for head in heads) < len(data) / 2


def test_a_header_longer_than_the_first_prefix_is_read_whole(tmp_path):
    """A quoted header cell holding more than the first prefix read (256 KiB): the prefix
    grows until the header ends, and the reading is that of the bytes."""
    header = ",".join(SCHEMA_HEADER).replace("objet", '"objet ' + "x\n" * 200_000 + '"')
    path = tmp_path / "subventions.csv"
    path.write_bytes((header + "\n" + "CDC,1,2016-01-01,D,B,2,O,12,aide,\n" * 3).encode())
    got, _ = same_from_path_and_bytes(path)
    assert got[0] == "read" and got[3] == 3


def test_a_file_mixing_utf8_and_cp1252_warns_as_its_bytes_do_naming_the_file(tmp_path):
    """The MixedEncodingWarning of the streamed read says the same places, and now names the
    file (the bytes route said ``<bytes>``)."""
    data, total = scdl_file(random.Random(3), 50)
    path = tmp_path / "subventions.csv"
    path.write_bytes(data.replace("Zèbre".encode(), "Zèbre".encode("cp1252"), 2))
    got, said = same_from_path_and_bytes(path)
    assert got[7] == total and [category for category, _ in said] == ["MixedEncodingWarning"]
    with pytest.warns(essconv.errors.MixedEncodingWarning, match=str(path)):
        read_scdl(path)


def test_a_fifo_is_read_as_before(tmp_path):
    """A stream cannot be read twice: its header and body come from one read of it."""
    import threading
    data, total = scdl_file(random.Random(5), 500, delimiter=",", quote_all=True)
    fifo = tmp_path / "fifo.csv"
    os.mkfifo(fifo)
    writer = threading.Thread(target=fifo.write_bytes, args=(data,))
    writer.start()
    ledger = read_scdl(fifo)
    writer.join()
    assert ledger.total() == total and ledger.path == str(fifo)


def test_errors_name_the_file_line_and_column(tmp_path):
    """A file that is not SCDL: the path's error is the bytes' one, with the file named."""
    path = tmp_path / "plan.csv"
    path.write_bytes(b"Ligne;CDC;montant\nDLA;1;2\n")
    with pytest.raises(essconv.ParseError) as caught:
        read_scdl(path)
    assert caught.value.path == str(path) and caught.value.line == 1
    same_from_path_and_bytes(path)


@pytest.mark.skipif(UNDER_ASAN or not Path("/proc/self/clear_refs").exists(),
                    reason="resident memory as Linux counts it, without ASan's quarantine")
def test_peak_memory_while_reading_an_scdl_path_is_the_ledger_and_a_few_blocks(tmp_path):
    """A ~150 MB SCDL-shaped file read by path in a fresh process: the peak resident memory the
    read adds (VmHWM) is at most 1.3 times what the ledger keeps plus 16 blocks of 4 MiB, as
    for Ledger.read_csv(path); before, the whole file was held beside the ledger."""
    pattern, _ = scdl_file(random.Random(9), 10_000, quote_all=True)
    head, _, body = pattern.partition(b"\n")
    path = tmp_path / "subventions.csv"
    repeats = 150_000_000 // len(body)
    with open(path, "wb") as fh:
        fh.write(head + b"\n")
        for _ in range(repeats):
            fh.write(body)
    peak_kb, kept_kb, rows = peak_and_kept(path, "essconv.read_scdl(path)")
    assert rows == repeats * 10_000
    assert peak_kb <= 1.3 * kept_kb + 16 * 4096, (peak_kb, kept_kb)
