"""The command line's reading warnings: said as its other messages are -- one line on stderr,
in the output's language, naming the file and the place -- never through Python's warning
display (English whatever --lang said, a line of essconv's source under it, sometimes twice)."""
from __future__ import annotations

import io
import sys
from pathlib import Path

import pytest

from conftest import odd_byte_place
import essconv
from essconv import cli
from essconv.cli import main

VENDEE = Path(__file__).parent / "data" / "scdl" / "vendee-2019-03-subventions.csv"

# a UTF-8 plan with one CP1252 byte (0xE9, "é") on line 3, after ASCII only: column 12
MIXED_PLAN = ("en k€;CDC;Région;Total\nDLA;10;20;30\n".encode("utf-8")
              + b"Formation r\xe9gionale;5;5;10\nTotal;15;25;40\n")
MIXED_LEDGER = ("financeur;montant\nRégion;10,00\n".encode("utf-8")
                + b"D\xe9partement;5,00\n")


def _status(argv):
    try:
        return main(argv)
    except SystemExit as stop:
        return stop.code


FRENCH_ONLY = ("octet", "lu en", "avertissement", "vérifiez")
ENGLISH_ONLY = ("byte", "read as", "warning", "mostly", "check these")


@pytest.mark.parametrize("lang", [None, "fr", "en"])
@pytest.mark.parametrize("kind, command", [
    ("plan", ["aggregate", "{file}", "--by", "funder"]),
    ("plan", ["validate", "{file}"]),
    ("plan", ["convert", "{file}", "--to", "csv"]),
    ("plan", ["report", "--plan", "{file}"]),
    ("plan", ["aggregate", "-", "--by", "funder"]),
    ("ledger", ["aggregate", "{file}", "--by", "financeur", "--amount", "montant"]),
    ("ledger", ["aggregate", "-", "--by", "financeur", "--amount", "montant", "--to", "csv"]),
])
def test_a_mixed_encoding_is_said_once_in_the_commands_language(kind, command, lang, tmp_path,
                                                                monkeypatch, capsys):
    data = MIXED_PLAN if kind == "plan" else MIXED_LEDGER
    path = tmp_path / ("plan-2010.csv" if kind == "plan" else "grants.csv")
    path.write_bytes(data)
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(data)))
    monkeypatch.setattr(cli, "_STDIN", [])
    argv = [a.replace("{file}", str(path)) for a in command] + (["--lang", lang] if lang else [])
    assert _status(argv) in (0, 1)
    err = capsys.readouterr().err
    said = err.replace("\u00a0", " ").replace("\u202f", " ").splitlines()
    name = "-" if "-" in command else str(path)
    line, column = odd_byte_place(data)
    # the command's language: validate's listing is English unless --lang says otherwise
    french = lang == "fr" or (lang is None and command[0] != "validate")
    mine = [s for s in said if f"{name}:{line}:{column}" in s]
    assert len(mine) == 1, err   # once, as its own line
    assert mine[0].startswith("essconv : avertissement : " if french else "essconv: warning: ")
    assert f"0xE9 {'en' if french else 'at'} {line}:{column}" in mine[0]
    assert "é" in mine[0]
    assert "MixedEncodingWarning" not in err and "warnings.warn" not in err and \
        ".py:" not in err and "Traceback" not in err, err
    for word in (ENGLISH_ONLY if french else FRENCH_ONLY):
        assert word not in mine[0].lower(), mine[0]
    # the Python API still warns, in English, naming its argument
    with pytest.warns(essconv.MixedEncodingWarning, match="say encoding="):
        if kind == "plan":
            essconv.read_plan(str(path))
        else:
            essconv.Ledger.read_csv(str(path), amount="montant")


def test_a_file_read_twice_warns_once(tmp_path, capsys):
    """A file named twice on the line was read twice: its warning said once."""
    path = tmp_path / "plan-2010.csv"
    path.write_bytes(MIXED_PLAN)
    assert main(["validate", str(path), str(path), "--lang", "fr"]) in (0, 1)
    err = capsys.readouterr().err
    assert err.count(f"{path}:3:12") == 1, err


@pytest.mark.parametrize("lang", ["fr", "en"])
def test_a_cp1252_file_with_utf8_sequences_is_worded_in_the_commands_language(lang, tmp_path,
                                                                             capsys):
    """Mostly CP1252, one valid UTF-8 sequence: said with its place, in --lang."""
    data = (b"en k\x80;CDC;Total\nR\xe9gion d\xe9l\xe9gu\xe9e;1;1\nF\xe9d\xe9ration;2;2\n"
            b"Pr\xe9fecture;3;3\nTotal;6;6\n\xc3\x89t\xe9;0;0\n")
    path = tmp_path / "plan-2010.csv"
    path.write_bytes(data)
    with pytest.warns(essconv.MixedEncodingWarning) as caught:   # the API's own place
        essconv.read_plan(str(path))
    [w] = caught
    assert "mostly CP1252" in str(w.message)
    assert main(["aggregate", str(path), "--by", "funder", "--lang", lang]) == 0
    err = capsys.readouterr().err.replace("\u00a0", " ").replace("\u202f", " ")
    place = f"{path}:{w.message.line}:{w.message.column}"
    assert (w.message.line, w.message.column) == (6, 1) and err.count(place) == 1, err
    assert ("surtout en CP1252, mais 1 séquence UTF-8 valide a été lue en UTF-8" if lang == "fr"
            else "mostly CP1252, but 1 valid UTF-8 sequence was read as UTF-8") in err, err


@pytest.mark.parametrize("lang", ["fr", "en"])
def test_rows_put_back_are_said_in_the_commands_language(lang, capsys):
    """The Vendée file's 47 over-long rows put back (RepairedRowsWarning): one line, its file
    and first line, in --lang; the figures as the Python API's warning gives them."""
    with pytest.warns(essconv.RepairedRowsWarning) as caught:
        essconv.read_scdl(str(VENDEE))
    [w] = caught
    assert main(["aggregate", str(VENDEE), "--by", "nature", "--lang", lang]) == 0
    err = capsys.readouterr().err.replace("\u00a0", " ").replace("\u202f", " ")
    lines = [s for s in err.splitlines() if f"{VENDEE}:{w.message.line}" in s]
    assert len(lines) == 1 and "47 rows had" in str(w.message), err
    if lang == "fr":
        assert lines[0].startswith("essconv : avertissement : ") and "47 lignes avaient" in lines[0] \
            and "« 25 000,00 »" in lines[0] and "row" not in lines[0], lines[0]
    else:
        assert lines[0].startswith("essconv: warning: ") and "47 rows had" in lines[0] \
            and "'25 000,00'" in lines[0], lines[0]
    assert "RepairedRowsWarning" not in err and ".py:" not in err


# a plan as Excel saves it for a French analyst: CP1252, CRLF, a title row, a trailing ";" on
# every row, no newline after the last row; amounts grouped with a no-break space, negatives
# in parentheses and with a trailing minus, and three cells that are no amount
_UNREAD_PLAN_ROWS = [
    ["Plan de financement 2010 (en K€)", "", "", "", "", ""],
    ["Action", "Région", "CDC", "CG 59", "Total", ""],
    ["Têtes de réseaux", "1\u00a0250,5", "(12)", "12-", "1\u00a0226,5", ""],
    ["Observatoire", "—", "n.c.", "40", "40", ""],
    ["DLA", "300", "1\u00a0000", "n.c.", "1\u00a0300", ""],
    ["Total", "1\u00a0550,5", "988", "28", "2\u00a0566,5", ""],
]
_UNREAD = {"—", "n.c."}


def _french_amount(text: str):
    """The slow twin of a French cell: no-break spaces out, "," for ".", "(12)" and "12-"
    negative; None for a cell that is no amount."""
    from decimal import Decimal
    text = text.replace("\u00a0", "").replace(",", ".")
    if text.startswith("(") and text.endswith(")"):
        return -Decimal(text[1:-1])
    if text.endswith("-"):
        return -Decimal(text[:-1])
    return None if text in _UNREAD or not text else Decimal(text)


@pytest.mark.parametrize("lang, severity, nothing", [
    (None, "avertissement", "compté pour rien"), ("fr", "avertissement", "compté pour rien"),
    ("en", "warning", "counted as nothing")])
@pytest.mark.parametrize("by", ["funder", "line", "line,funder"])
def test_a_plan_cell_that_is_no_amount_is_said_by_aggregate_not_summed_as_blank(
        lang, severity, nothing, by, tmp_path, capsys):
    """`aggregate PLAN` summed a plan whose cells print "n.c." or "—" as if they were blank and
    said nothing: the committee read a funder's sum with an amount missing (validate and report
    name such cells as errors). Each is said on stderr at its line and column, in the output's
    language; the sums themselves (what the cells that are amounts give) are unchanged."""
    from decimal import Decimal
    path = tmp_path / "plan-2010.csv"
    path.write_bytes("\r\n".join(";".join(row) for row in _UNREAD_PLAN_ROWS).encode("cp1252"))
    argv = ["aggregate", str(path), "--by", by] + (["--lang", lang] if lang else [])
    assert main(argv) == 0
    out, err = capsys.readouterr()
    header, funders = _UNREAD_PLAN_ROWS[1], _UNREAD_PLAN_ROWS[1][1:4]
    lines = [row for row in _UNREAD_PLAN_ROWS[2:] if row[0] != "Total"]
    if by != "line,funder":   # the sums, against the cells' slow twin
        if by == "funder":
            want = {f: sum((_french_amount(r[1 + j]) or Decimal(0)) for r in lines)
                    for j, f in enumerate(funders)}
        else:
            want = {r[0]: sum((_french_amount(c) or Decimal(0)) for c in r[1:4]) for r in lines}
        got = {}
        for row in out.splitlines()[1:]:
            key, text = row.split("\t")
            text = text.replace("\u202f", "").replace("\u00a0", "").replace(" ", "")
            got[key] = Decimal(text.replace(",", "") if lang == "en" else text.replace(",", "."))
        assert got == want
    # every cell that is no amount, at its line and column, once; nothing else said
    places = []
    for number, row in enumerate(_UNREAD_PLAN_ROWS, 1):
        for j, cell in enumerate(row):
            if cell in _UNREAD and header[j] in funders:
                column = 1 + sum(len(c) + 1 for c in row[:j])
                places.append((number, column, row[0], header[j], cell))
    assert len(places) == 3
    said = err.splitlines()
    assert len(said) == len(places), err
    for (number, column, line, funder, cell), text in zip(places, said):
        text = text.replace("\u00a0", " ").replace("\u202f", " ")   # French typography
        assert text.startswith(f"essconv{' ' if lang != 'en' else ''}: {severity}"), text
        assert f"{path}:{number}:{column}" in text, text
        assert line in text and funder in text and cell in text and nothing in text, text
