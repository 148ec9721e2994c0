"""A corrupt .xlsx is unusable input: an essconv.Error naming the file (exit 2 in the CLI), never a
zipfile.BadZipFile or KeyError traceback."""
from __future__ import annotations

import io
import re
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

import essconv

pytest.importorskip("openpyxl")


def _workbook() -> bytes:
    from essconv.xlsx import write_plan_xlsx
    plan = essconv.default().plan(2009)
    buf = io.BytesIO()
    write_plan_xlsx(plan, buf, plan.validate())
    return buf.getvalue()


def _with_member(data: bytes, suffix: str, body: bytes | None) -> bytes:
    """The workbook with the member ending in `suffix` replaced by `body` (None: left out)."""
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as src, zipfile.ZipFile(out, "w") as dst:
        for name in src.namelist():
            if name.endswith(suffix):
                if body is not None:
                    dst.writestr(name, body)
            else:
                dst.writestr(name, src.read(name))
    return out.getvalue()


def _corruptions() -> dict[str, bytes]:
    good = _workbook()
    flipped = bytearray(good)
    for i in range(len(good) // 4, len(good) // 4 + 400):   # inside a compressed member
        flipped[i] ^= 0x55
    return {
        "not a zip": b"en k\xe2\x82\xac;CDC\nDLA;274\n",
        "empty": b"",
        "truncated": good[: len(good) // 2],
        "bad CRC": bytes(flipped),
        "no workbook part": _with_member(good, "workbook.xml", None),
        "sheet not XML": _with_member(good, "sheet1.xml", b"<worksheet><row"),
    }


@pytest.mark.parametrize("kind", list(_corruptions()))
def test_read_plan_of_a_corrupt_xlsx_raises_an_essconv_error_naming_the_file(tmp_path: Path, kind: str) -> None:
    path = tmp_path / "plan-2010.xlsx"
    path.write_bytes(_corruptions()[kind])
    with pytest.raises(essconv.ParseError) as info:
        essconv.read_plan(path)
    assert isinstance(info.value, (essconv.Error, ValueError))
    assert info.value.path == str(path)
    assert str(info.value).startswith(f"{path}: unusable .xlsx")


def test_a_corrupt_workbook_read_from_memory_is_unusable_too() -> None:
    with pytest.raises(essconv.ParseError, match="unusable .xlsx"):
        essconv.read_plan(io.BytesIO(_corruptions()["truncated"]))


def test_a_sound_workbook_still_reads() -> None:
    plan = essconv.read_plan(io.BytesIO(_workbook()))
    assert plan.total() == essconv.default().plan(2009).total()


def test_a_missing_xlsx_stays_an_os_error(tmp_path: Path) -> None:
    with pytest.raises(FileNotFoundError):
        essconv.read_plan(tmp_path / "absent.xlsx")


@pytest.mark.parametrize("command", [["validate"], ["convert", "--to", "csv"]])
def test_the_cli_calls_a_corrupt_xlsx_unusable_exit_2(tmp_path: Path, command: list[str]) -> None:
    path = tmp_path / "plan-2010.xlsx"
    path.write_bytes(_corruptions()["truncated"])
    done = subprocess.run([sys.executable, "-m", "essconv", command[0], str(path), *command[1:]],
                          capture_output=True, text=True, timeout=120)
    assert done.returncode == 2, done.stderr
    assert "Traceback" not in done.stderr
    if command[0] == "convert":   # its output French by default: so is its refusal
        assert f"{path}: .xlsx inutilisable" in done.stderr, done.stderr
        assert "unusable" not in done.stderr
        assert "BadZipFile" in done.stderr   # the library's own words, quoted as they are
        done = subprocess.run([sys.executable, "-m", "essconv", command[0], str(path),
                               *command[1:], "--lang", "en"],
                              capture_output=True, text=True, timeout=120)
        assert done.returncode == 2, done.stderr
    assert f"{path}: unusable .xlsx" in done.stderr


def _all_sheets_hidden() -> bytes:
    good = _workbook()
    with zipfile.ZipFile(io.BytesIO(good)) as src:
        book = next(n for n in src.namelist() if n.endswith("workbook.xml"))
        text = src.read(book).decode()
    text = re.sub(r'<sheet (?![^>]*state=)', '<sheet state="hidden" ', text)
    return _with_member(good, "workbook.xml", re.sub(r'state="\w+"', 'state="hidden"', text).encode())


def test_a_workbook_with_no_visible_sheet_is_refused_in_the_outputs_language(tmp_path: Path) -> None:
    path = tmp_path / "plan-2010.xlsx"
    path.write_bytes(_all_sheets_hidden())
    said = {}
    for lang in ("fr", "en"):
        done = subprocess.run([sys.executable, "-m", "essconv", "convert", str(path), "--to", "csv",
                               "--lang", lang], capture_output=True, text=True, timeout=120)
        assert done.returncode == 2, done.stderr
        said[lang] = done.stderr
    assert f"{path}: .xlsx inutilisable\xa0: le classeur n'a aucune feuille visible" in said["fr"], said
    assert f"{path}: unusable .xlsx: the workbook has no visible sheet" in said["en"], said


# the first bytes of an OLE compound file: what Excel writes for a workbook protected by a
# password to open (the .xlsx encrypted inside), and what an old .xls renamed .xlsx is
_OLE = bytes.fromhex("D0CF11E0A1B11AE1")


@pytest.mark.parametrize("lang, said, other", [
    ("fr", "protégé par un mot de passe", "protected by a password"),
    ("en", "protected by a password", "protégé par un mot de passe")])
def test_a_workbook_protected_by_a_password_is_refused_saying_so(tmp_path: Path, lang: str,
                                                                 said: str, other: str) -> None:
    """A partner's workbook saved with a password to open was refused as "not a readable Excel
    workbook (BadZipFile: File is not a zip file)", the analyst left to think it corrupt. Its
    OLE container says what it is: protected by a password, or an old .xls renamed."""
    from essconv.messages import language
    data = _OLE + bytes(504)
    path = tmp_path / "plan-2012.xlsx"
    path.write_bytes(data)
    with pytest.raises(essconv.ParseError) as info:
        essconv.read_plan(path)
    text = language(lang).refusal(info.value)
    assert said in text and ".xls" in text and other not in text, text
    assert "BadZipFile" not in text and "zip file" not in text, text
    assert info.value.path == str(path) and text.startswith(f"{path}: "), text
    # a sound workbook still reads
    sound = tmp_path / "plan-2009.xlsx"
    sound.write_bytes(_workbook())
    assert essconv.read_plan(sound).lines == essconv.default().plan(2009).lines
