"""Every real grant file of tests/data as Excel saves it when a row's last cells are blank: past
a sheet's 16th line, each row stops at its last non-blank cell (no delimiter for the blank ones
after it), in CP1252 with `;` and decimal commas.  A row short only of columns the SCDL schema
marks optional (idRAE, dispositifAide...) lacks nothing: `read_scdl` and `validate_scdl` read
it with those cells blank and say so once; a row short of a required column is set aside at its
line, as is every short row in `Ledger.read_csv`, which knows no schema (its message says why
and how to read them).  The oracle is computed here, with Decimal, from the original parsed by
Python's csv module, and which columns are optional is read here from the schema's JSON."""
from __future__ import annotations

import json
import warnings
from collections import defaultdict
from decimal import Decimal
from pathlib import Path

import pytest

import essconv
from essconv import Ledger
from essconv.messages import language
from essconv.scdl import read_scdl, validate_scdl
from conftest import SCDL
from test_scdl_excel_dresses import amount_of, blank, encodable, french, parse, strip_keys, sums

pytestmark = pytest.mark.filterwarnings("ignore::essconv.MixedEncodingWarning")

FILES = sorted(SCDL.glob("*.csv"))
SCHEMA = json.loads((Path(essconv.__file__).parent / "data" /
                     "scdl-subventions-schema-v2.1.1.json").read_text(encoding="utf-8"))
FIELDS = {f["name"].lower(): f["name"] for f in SCHEMA["fields"]}
# each alone optional, but the schema requires one of the two
OPTIONAL = {f["name"] for f in SCHEMA["fields"] if not f.get("constraints", {}).get("required")} \
    - {"idBeneficiaire", "rnaBeneficiaire"}
# the older names of the real files' last columns
OLDER = {"id_ent": "idRAE", "sub_dispositif": "dispositifAide", "notif_eu": "notificationUE",
         "numéro de référencement au répertoire des entreprises": "idRAE",
         "aide notifiée ã  l'europe": "notificationUE",
         "notification à la commission européenne": "notificationUE"}


def field_of(name: str) -> str | None:
    plain = name.strip().strip("*").strip().lower()
    return FIELDS.get(plain) or OLDER.get(plain)


def excel_cut(cells: list[str]) -> list[str]:
    """A row as Excel writes it past a sheet's 16th line: its blank last cells left out."""
    n = len(cells)
    while n > 1 and not cells[n - 1].strip():
        n -= 1
    return cells[:n]


def write(original, newline: str = "\r\n"):
    """The original in CP1252, `;`, decimal commas, each row past line 16 cut as Excel cuts
    it; and the oracle: records and their sums, the lines set aside, the rows read short of
    named optional columns and those columns."""
    def cell(text: str) -> str:
        return '"' + text.replace('"', '""') + '"' if any(c in text for c in ';"\r\n') else text

    header = [encodable(h, "cp1252") for h in original.header]
    fields = [field_of(h) for h in original.header]
    named = max(k + 1 for k, h in enumerate(header) if h.strip())
    lines, at = [";".join(cell(h) for h in header)], 2
    out = dict(records=0, total=Decimal(0), bad=[], short_of_required=[], short=0, first=None, lacked=set(),
               beneficiary=defaultdict(Decimal), attribuant=defaultdict(Decimal))
    for n, row in enumerate(original.rows):
        row = [encodable(c, "cp1252") for c in row]
        value = None if blank(row) else amount_of(row[original.amount])
        if value is not None:
            row[original.amount] = french(value, "\u00a0", whole=n % 2 == 0)
        cells = excel_cut(row) if at > 16 and not blank(row) else row
        lacked = range(len(cells), len(row))
        if not blank(row):
            short_of_required = any(k < named and fields[k] not in OPTIONAL for k in lacked)
            if short_of_required:
                out["short_of_required"].append(at)
            if short_of_required or value is None:
                out["bad"].append(at)
            else:
                out["records"] += 1
                out["total"] += value
                out["beneficiary"][row[original.beneficiary]] += value
                out["attribuant"][row[original.attribuant]] += value
                if any(k < named for k in lacked):
                    out["short"] += 1
                    out["first"] = out["first"] or at
                    out["lacked"].update(fields[k] for k in lacked if k < named)
        text = ";".join(cell(c) for c in cells)
        lines.append(text)
        at += text.count("\n") + 1
    return (newline.join(lines) + newline).encode("cp1252"), out


@pytest.mark.parametrize("path", FILES, ids=lambda p: p.stem)
def test_read_scdl_reads_rows_short_of_blank_optional_columns(path, tmp_path):
    original = parse(path.read_bytes())
    raw, expected = write(original)
    dressed = tmp_path / path.name
    dressed.write_bytes(raw)
    with warnings.catch_warnings(record=True) as seen:
        warnings.simplefilter("always")
        ledger = read_scdl(dressed)
    assert (len(ledger), ledger.total()) == (expected["records"], expected["total"])
    assert sorted(b.line for b in ledger.bad_rows) == expected["bad"]
    assert strip_keys(sums(ledger, "nomBeneficiaire")) == strip_keys(expected["beneficiary"])
    assert strip_keys(sums(ledger, "nomAttribuant")) == strip_keys(expected["attribuant"])
    said = [w.message for w in seen if issubclass(w.category, essconv.ShortRowsWarning)]
    if expected["short"]:
        [warning] = said   # once a file, not once a row
        assert warning.reason[1:3] == (expected["short"], expected["first"])
        assert set(warning.reason[3]) == expected["lacked"]
        for words in (language("fr").warning(warning), language("en").warning(warning)):
            assert f"{expected['short']} " in words and f"{expected['first']}" in words
            assert all(name in words for name in expected["lacked"])
    else:
        assert said == []


def test_the_real_file_with_a_blank_last_column_has_rows_short_of_it():
    """The schema's own valid example ends in dispositifAide, blank on every row: the case the
    test above is about is met by a real file, not only by construction."""
    raw, expected = write(parse((SCDL / "scdl-subventions-exemple-valide.csv").read_bytes()))
    assert expected["short"] == 30 - 16 and expected["lacked"] == {"dispositifAide"}
    assert expected["bad"] == []


@pytest.mark.parametrize("path", FILES, ids=lambda p: p.stem)
def test_validate_scdl_checks_rows_short_of_blank_optional_columns(path, tmp_path):
    """Their cells checked as a whole row's, one finding for all of them; a row short of a
    required column keeps its row-length finding."""
    original = parse(path.read_bytes())
    raw, expected = write(original)
    dressed = tmp_path / path.name
    dressed.write_bytes(raw)
    report = validate_scdl(dressed, max_findings=None)
    assert report.records == expected["records"] + len(expected["bad"])
    short = [f for f in report.findings if f.code == "short-rows"]
    if expected["short"]:
        [finding] = short
        assert (finding.severity, finding.row) == ("warning", expected["first"])
        for words in (finding.message, finding.message_fr):
            assert all(name in words for name in expected["lacked"])
    else:
        assert short == []
    assert sorted(f.row for f in report.findings if f.code == "row-length") == \
        expected["short_of_required"]


def short_lines_of(original) -> set[int]:
    """The lines of the rows the dress writes short of a named column."""
    header = [h.strip() for h in original.header]
    named = max(k + 1 for k, h in enumerate(header) if h)
    lines, at = set(), 2
    for row in original.rows:
        cells = excel_cut(row) if at > 16 and not blank(row) else row
        if not blank(row) and len(cells) < named:
            lines.add(at)
        at += ";".join(cells).count("\n") + 1
    return lines


@pytest.mark.parametrize("path", FILES, ids=lambda p: p.stem)
def test_the_delimiter_of_a_file_of_short_rows_is_its_header_s(path, tmp_path):
    """Rows short of their last cells agree with the header's `;`: the decimal commas of
    their amounts once made `,` the delimiter, and the file was refused as having no column
    'montant'."""
    original = parse(path.read_bytes())
    raw, expected = write(original)
    dressed = tmp_path / path.name
    dressed.write_bytes(raw)
    header = [encodable(h, "cp1252").strip() for h in original.header]
    ledger = Ledger.read_csv(dressed, amount=header[original.amount], bad_rows="collect")
    assert len(ledger.columns) == len([h for h in header if h])   # each named cell a column
    assert len(ledger) + len(ledger.bad_rows) == expected["records"] + len(expected["bad"])
    assert short_lines_of(original) <= {b.line for b in ledger.bad_rows}


@pytest.mark.parametrize("path", FILES, ids=lambda p: p.stem)
def test_ledger_read_csv_sets_short_rows_aside_saying_why(path, tmp_path):
    """No schema, no guess: every row short of a named column is set aside at its line, and
    its message, in English and French, names Excel's habit and the option that reads it."""
    original = parse(path.read_bytes())
    raw, expected = write(original)
    dressed = tmp_path / path.name
    dressed.write_bytes(raw)
    header = [encodable(h, "cp1252").strip() for h in original.header]
    ledger = Ledger.read_csv(dressed, amount=header[original.amount], bad_rows="collect")
    bad = {b.line: b for b in ledger.bad_rows}
    for line in short_lines_of(original):
        assert "Excel" in bad[line].message and 'short_rows="blank"' in bad[line].message
        assert 'short_rows="blank"' in language("fr").problem(bad[line])
    for line in set(bad) - short_lines_of(original):   # not said of any other bad row
        assert "short_rows" not in bad[line].message
    if bad and min(bad) in short_lines_of(original):   # the first bad row, raised, says it too
        with pytest.raises(essconv.ParseError, match='short_rows="blank"') as raised:
            Ledger.read_csv(dressed, amount=header[original.amount])
        assert raised.value.line == min(bad)


@pytest.mark.parametrize("path", FILES, ids=lambda p: p.stem)
@pytest.mark.filterwarnings("ignore::essconv.ShortRowsWarning")   # said: the test below
def test_ledger_read_csv_reads_short_rows_blank_when_asked(path, tmp_path):
    """short_rows="blank": every record whose amount is there is read, its missing last cells
    blank; the sums are the original's."""
    original = parse(path.read_bytes())
    raw, _ = write(original)
    dressed = tmp_path / path.name
    dressed.write_bytes(raw)
    header = [encodable(h, "cp1252").strip() for h in original.header]
    values = [amount_of(r[original.amount]) for r in original.rows if not blank(r)]
    by_beneficiary: dict = defaultdict(Decimal)
    for r in original.rows:
        if not blank(r) and amount_of(r[original.amount]) is not None:
            by_beneficiary[encodable(r[original.beneficiary], "cp1252")] += \
                amount_of(r[original.amount])
    ledger = Ledger.read_csv(dressed, amount=header[original.amount], bad_rows="collect",
                             short_rows="blank")
    read = [v for v in values if v is not None]
    assert (len(ledger), ledger.total()) == (len(read), sum(read, Decimal(0)))
    assert len(ledger.bad_rows) == len(values) - len(read)
    assert strip_keys(sums(ledger, header[original.beneficiary])) == strip_keys(by_beneficiary)


def filled_rows_of(original) -> tuple[list[int], Decimal]:
    """The lines of the records the dress writes short of a named column whose amount reads
    (short_rows="blank" keeps them, their missing cells blank), and every readable record's
    Decimal sum: the oracle of what Ledger.read_csv(short_rows="blank") reads and says."""
    header = [h.strip() for h in original.header]
    named = max(k + 1 for k, h in enumerate(header) if h)
    lines, total, at = [], Decimal(0), 2
    for row in original.rows:
        cells = excel_cut(row) if at > 16 and not blank(row) else row
        value = None if blank(row) else amount_of(row[original.amount])
        if value is not None:
            total += value
            if len(cells) < named:
                lines.append(at)
        at += ";".join(cells).count("\n") + 1
    return lines, total


@pytest.mark.parametrize("path", FILES, ids=lambda p: p.stem)
def test_ledger_read_csv_says_how_many_short_rows_it_read_blank(path, tmp_path):
    """short_rows="blank" drops nothing, but reads cells the file did not have: how many rows,
    and the first, are said once (a ShortRowsWarning), in English and in French."""
    original = parse(path.read_bytes())
    raw, _ = write(original)
    dressed = tmp_path / path.name
    dressed.write_bytes(raw)
    lines, total = filled_rows_of(original)
    header = [encodable(h, "cp1252").strip() for h in original.header]
    with warnings.catch_warnings(record=True) as seen:
        warnings.simplefilter("always")
        ledger = Ledger.read_csv(dressed, amount=header[original.amount], bad_rows="collect",
                                 short_rows="blank")
    assert ledger.total() == total
    said = [w.message for w in seen if issubclass(w.category, essconv.ShortRowsWarning)]
    if lines:
        [warning] = said   # once a file, not once a row
        assert warning.reason == ("short-rows-blank", len(lines), lines[0])
        assert (warning.path, warning.line) == (str(dressed), lines[0])
        english, in_french = language("en").warning(warning), language("fr").warning(warning)
        assert f"{len(lines):,} rows stop" in english and f"first: line {lines[0]}" in english
        plain = in_french.replace("\u202f", " ").replace("\xa0", " ")   # French spacing
        assert f"{len(lines):,}".replace(",", " ") + " lignes s'arrêtent" in plain
        assert f"la première : ligne {lines[0]}" in plain
    else:
        assert said == []
    with warnings.catch_warnings(record=True) as seen:   # set aside, they are bad rows instead
        warnings.simplefilter("always")
        Ledger.read_csv(dressed, amount=header[original.amount], bad_rows="collect")
    assert not [w for w in seen if issubclass(w.category, essconv.ShortRowsWarning)]


def test_the_rows_read_blank_are_counted_in_every_chunk_of_a_large_file(tmp_path):
    """Chunks on two threads, from a path and from bytes: the count is every chunk's, the first
    line the file's, against the rows as written."""
    lines = ["financeur;action;montant;note"]
    short = []
    for i in range(1, 60001):
        cut = i > 16 and i % 7 != 0
        lines.append(f"Région;A{i % 3};{i},05" + ("" if cut else ";n"))
        if cut:
            short.append(i + 1)
    raw = ("\r\n".join(lines) + "\r\n").encode("cp1252")
    path = tmp_path / "long.csv"
    path.write_bytes(raw)
    for source, threads in ((path, 2), (raw, 2), (raw, 1)):
        with warnings.catch_warnings(record=True) as seen:
            warnings.simplefilter("always")
            ledger = Ledger.read_csv(source, amount="montant", short_rows="blank",
                                     threads=threads)
        assert len(ledger) == 60000
        assert ledger.total() == sum(Decimal(f"{i}.05") for i in range(1, 60001))
        [warning] = [w.message for w in seen if issubclass(w.category, essconv.ShortRowsWarning)]
        assert warning.reason == ("short-rows-blank", len(short), short[0])
    # the core cut into small chunks (its hidden knob), one and two threads: the same count
    # and first line as the rows written, whichever chunk holds them
    from essconv import _core
    for threads, chunk in ((2, 97), (2, 4000), (1, 13), (2, 1 << 20)):
        core, bad = _core.Ledger.read_csv(raw, ["montant"], [_core.COL_AMOUNT], all_columns=True,
                                          short_rows_blank=True, threads=threads,
                                          chunk_bytes=chunk)
        assert (core.nrows, bad) == (60000, [])
        assert core.short_filled == (len(short), short[0]), (threads, chunk)
    # only rows cut before the 17th line: the first is in a later chunk than the first
    tail = lines[:1] + [line + ";n" if k < 30000 and not line.endswith(";n") else line
                        for k, line in enumerate(lines[1:])]
    core, _ = _core.Ledger.read_csv(("\r\n".join(tail) + "\r\n").encode("cp1252"),
                                    ["montant"], [_core.COL_AMOUNT], all_columns=True,
                                    short_rows_blank=True, threads=2, chunk_bytes=4000)
    late = [n for n in short if n > 30001]
    assert core.short_filled == (len(late), late[0])


def test_short_rows_is_aside_or_blank(tmp_path):
    with pytest.raises(essconv.InvalidValueError, match="short_rows"):
        Ledger.read_csv(b"montant;b\n1;x\n", amount="montant", short_rows="pad")


@pytest.mark.parametrize("path", FILES, ids=lambda p: p.stem)
def test_read_scdl_says_why_a_row_short_of_a_required_column_is_aside(path, tmp_path):
    """read_scdl has no short_rows to offer: its message says the row stops before a column
    the schema does not mark optional."""
    original = parse(path.read_bytes())
    raw, expected = write(original)
    dressed = tmp_path / path.name
    dressed.write_bytes(raw)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", essconv.EssconvWarning)
        ledger = read_scdl(dressed)
    bad = {b.line: b for b in ledger.bad_rows}
    for line in expected["short_of_required"]:
        assert "short_rows" not in bad[line].message
        assert "does not mark optional" in bad[line].message
        assert "ne dit pas facultative" in language("fr").problem(bad[line])


def test_the_command_line_names_and_has_the_short_rows_option(tmp_path, capsys):
    """A ledger that is no grant file, rows past line 16 short of their blank last cell: the
    command line's listing names its own option (--short-rows blank, not the Python keyword),
    and that option reads every row."""
    from essconv.cli import main
    amounts = [Decimal(f"{i * 100}.{i + 1:02d}") for i in range(1, 25)]
    lines = ["financeur;action;montant;note"] + [
        f"Région;A{i % 3};{french(a, ' ', whole=False)}" + (";" if i + 1 <= 16 else "")
        for i, a in enumerate(amounts, start=1)]
    path = tmp_path / "plan.csv"
    path.write_bytes(("\r\n".join(lines) + "\r\n").encode("cp1252"))
    short = sum(1 for k in range(2, len(lines) + 1) if k > 16)
    main(["--lang", "fr", "aggregate", str(path), "--by", "action", "--amount", "montant",
          "--bad-rows", "collect"])
    said = capsys.readouterr()
    assert said.out.count("--short-rows blank") + said.err.count("--short-rows blank") >= 1
    assert "short_rows=" not in said.out + said.err
    assert f"{short} lignes" in said.out + said.err
    main(["--lang", "en", "aggregate", str(path), "--by", "action", "--amount", "montant",
          "--short-rows", "blank"])
    said = capsys.readouterr()
    out = said.out
    total = sum(amounts, Decimal(0))
    assert f"{total:,.2f}" in out and f"{len(amounts)} records" in out
    # what --short-rows blank did is said: how many rows, the first one
    assert f"{short} rows stop" in said.err and "first: line 17" in said.err
    main(["aggregate", str(path), "--by", "action", "--amount", "montant",
          "--short-rows", "blank"])
    err = capsys.readouterr().err
    assert f"{short} lignes s'arrêtent" in err
    assert "la première : ligne 17" in err.replace("\u202f", " ").replace("\xa0", " ")
    assert "rows stop" not in err


def with_one_long_row(raw: bytes, line: int, extra: bytes) -> bytes:
    """The dressed file with one line longer than the header: `extra` after its last cell (a
    stray `;`, or `;` and a note), as a hand edit in a text editor leaves it."""
    lines = raw.split(b"\r\n")
    lines[line - 1] += extra
    return b"\r\n".join(lines)


@pytest.mark.parametrize("extra", [b";", b";;", b";note"], ids=["stray", "two-stray", "note"])
@pytest.mark.parametrize("path", FILES, ids=lambda p: p.stem)
def test_one_long_row_among_short_ones_keeps_the_header_s_delimiter(path, extra, tmp_path):
    """Rows short of their last cells and one row longer than the header: the sniffer read
    the short rows as agreeing with the header only when no row was longer, and the schema's
    own valid example was then read with `,` (its decimal commas) and refused as having no
    column 'montant'.  Every record is read or set aside, none lost."""
    original = parse(path.read_bytes())
    raw, expected = write(original)
    header = [encodable(h, "cp1252").strip() for h in original.header]
    records = expected["records"] + len(expected["bad"])
    for line in sorted({3, min(20, len(raw.split(b"\r\n")) - 1)}):
        if raw.split(b"\r\n")[line - 1].strip(b";") == b"":
            continue   # a blank row stays blank: not the case
        dressed = tmp_path / f"{line}-{path.name}"
        dressed.write_bytes(with_one_long_row(raw, line, extra))
        ledger = Ledger.read_csv(dressed, amount=header[original.amount], bad_rows="collect")
        assert len(ledger.columns) == len([h for h in header if h])   # each named cell a column
        assert len(ledger) + len(ledger.bad_rows) == records
        if extra.strip(b";") == b"":   # blank cells past the header: read_scdl reads the row
            with warnings.catch_warnings():
                warnings.simplefilter("ignore", essconv.EssconvWarning)
                grants = read_scdl(dressed)
            assert (len(grants), grants.total()) == (expected["records"], expected["total"])


@pytest.mark.parametrize("path", FILES, ids=lambda p: p.stem)
def test_many_rows_long_only_by_a_stray_delimiter_keep_the_header_s_delimiter(path, tmp_path):
    """Every row before line 17 with a stray `;` after its last cell (longer than the header by
    an empty cell: more than one row in ten), the rows after it cut short: still the header's
    `;`, every record read or set aside at its line, none lost."""
    original = parse(path.read_bytes())
    raw, expected = write(original)
    lines = raw.split(b"\r\n")
    lines = [line + b";" if 1 < k < 16 and line.strip(b";") else line
             for k, line in enumerate(lines)]
    dressed = tmp_path / path.name
    dressed.write_bytes(b"\r\n".join(lines))
    header = [encodable(h, "cp1252").strip() for h in original.header]
    ledger = Ledger.read_csv(dressed, amount=header[original.amount], bad_rows="collect")
    assert len(ledger.columns) == len([h for h in header if h])
    assert len(ledger) + len(ledger.bad_rows) == expected["records"] + len(expected["bad"])
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", essconv.EssconvWarning)
        grants = read_scdl(dressed)
    assert len(grants) + len(grants.bad_rows) == expected["records"] + len(expected["bad"])
