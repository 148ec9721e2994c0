"""Plans as Excel files (the partners exchange them so), through openpyxl (``essconv[xlsx]``).

Reading takes the active sheet's cells (or ``sheet=``'s) with their places (row, column);
numbers stored by Excel as binary floats are read back as Excel shows them: 15 significant
digits (0.30000000000000004, a formula's float noise, is 0,3).
Writing puts the plan in the first sheet and, given a report, each finding as a comment on its
cell and all of them on a second sheet ("Constats", or "Findings" in English): what the committee
reads is in French by default, English with ``lang="en"``.  Every text is a string cell, never a
formula.
"""
from __future__ import annotations

import datetime as _dt
import io
import re
import zipfile
import zlib
from decimal import Decimal
from typing import IO, Any

from .errors import (InvalidValueError, MissingExtraError, ParseError, PlanFormatError, Problem,
                     names_said)
from .findings import SUBTOTAL, TOTAL
from .files import checked_target
from .margin import CELL_SPACES, is_blank, without_margin
from .money import PERCENT_CONTEXT

# A view below the models: the plans and aggregates written are read, never imported (the floors above); a plan read is built by the builder passed in.


def _openpyxl() -> Any:
    try:
        import openpyxl
    except ImportError as exc:
        raise MissingExtraError("reading or writing .xlsx needs openpyxl: "
                                "pip install 'essconv[xlsx]'") from exc
    return openpyxl


# What openpyxl raises on a file that is not a sound workbook: not a zip (or a truncated one), a bad
# CRC, a missing part (KeyError), XML that does not parse (ElementTree's ParseError is a
# SyntaxError), a value it cannot read.  A missing file stays an OSError.
_CORRUPT_WORKBOOK = (zipfile.BadZipFile, zipfile.LargeZipFile, zlib.error, EOFError, KeyError,
                     SyntaxError, ValueError, TypeError, IndexError)


def _unusable(name: Any, exc: BaseException) -> ParseError:
    if isinstance(exc, ParseError):   # already ours, with its place
        return exc
    why = str(exc.args[0]) if isinstance(exc, KeyError) and exc.args else str(exc)
    # the reason lets a French listing word it (Language.refusal); the reader's own words
    # (zipfile's, openpyxl's) stay as they are, quoted in either language
    return ParseError(f"unusable .xlsx: not a readable Excel workbook ({type(exc).__name__}: {why})",
                      path=name if isinstance(name, str) else None,
                      reason=("xlsx-unusable", type(exc).__name__, why))


#: the first bytes of an OLE compound file, not a zip: what Excel saves for a workbook with a
#: password to open (the .xlsx encrypted inside it), and what an old .xls renamed .xlsx is
_OLE_MAGIC = bytes.fromhex("D0CF11E0A1B11AE1")


def _refuse_ole(data: "str | IO[bytes]", name: Any) -> None:
    """Refuse a workbook in an OLE container saying what it is: a partner's plan protected by a
    password was refused as "not a readable Excel workbook (BadZipFile: File is not a zip
    file)", the analyst left to think it corrupt.  An OSError is left to openpyxl's open."""
    try:
        if isinstance(data, str):
            with open(data, "rb") as f:
                head = f.read(len(_OLE_MAGIC))
        else:
            head = data.read(len(_OLE_MAGIC))
            data.seek(0)
    except OSError:
        return
    if head == _OLE_MAGIC:
        raise ParseError(
            "unusable .xlsx: the file is an OLE container, not a zip: a workbook protected by "
            "a password to open, or an old .xls renamed .xlsx; remove the password (File > "
            "Info > Protect Workbook) or save it as .xlsx in Excel",
            path=name if isinstance(name, str) else None, reason=("xlsx-ole",))


def _sheet(wb: Any, sheet: str | None, name: Any) -> Any:
    """The sheet named ``sheet``, else the active sheet when visible, else the first visible
    one: a hidden first sheet is often an old version (it was read instead, silently)."""
    if sheet is not None:
        if sheet not in wb.sheetnames:
            # which workbook, when several (its path); the reason words it in French too
            raise InvalidValueError(f"no sheet {sheet!r} in the workbook: its sheets are "
                                    f"{names_said(wb.sheetnames)}",
                                    path=name if isinstance(name, str) else None,
                                    reason=("no-sheet", sheet, tuple(wb.sheetnames)))
        return wb[sheet]
    visible = [ws for ws in wb.worksheets if getattr(ws, "sheet_state", "visible") == "visible"]
    try:
        active = wb.active
    except (IndexError, AttributeError):
        active = None
    if active is not None and active in visible:
        return active
    if not visible:
        raise ParseError("unusable .xlsx: the workbook has no visible sheet",
                         path=name if isinstance(name, str) else None,
                         reason=("xlsx-no-sheet",))
    return visible[0]


def _rows(ws: Any) -> list[list[Any]]:
    return [list(row) for row in ws.iter_rows(values_only=True)]


def _hidden_rows(ws: Any) -> tuple[list[int], list[int]]:
    """The rows and the columns (1-based) a sheet hides: ``<row r="4" hidden="1">`` and
    ``<col min="3" max="3" hidden="1">`` in its XML, which the read-only sheet does not
    expose.  Read as a stream, row elements cleared as they pass."""
    from xml.etree.ElementTree import iterparse
    get_source = getattr(ws, "_get_source", None)
    if get_source is None:   # a sheet openpyxl loaded whole: its dimensions say it
        from openpyxl.utils import column_index_from_string
        return (sorted(r for r, d in getattr(ws, "row_dimensions", {}).items()
                       if getattr(d, "hidden", False)),
                sorted({c for key, d in getattr(ws, "column_dimensions", {}).items()
                        if getattr(d, "hidden", False)
                        for c in range(d.min or column_index_from_string(key),
                                       (d.max or column_index_from_string(key)) + 1)}))
    rows, columns = [], set()
    with get_source() as src:
        for _, element in iterparse(src, events=("end",)):
            tag = element.tag.rsplit("}", 1)[-1]
            if tag in ("row", "col") and element.get("hidden") in ("1", "true"):
                if tag == "row" and element.get("r", "").isdigit():
                    rows.append(int(element.get("r")))
                elif (tag == "col" and element.get("min", "").isdigit()
                      and element.get("max", "").isdigit()):
                    # a range of columns; a sheet's last columns hidden run to 16 384
                    columns.update(range(int(element.get("min")),
                                         min(int(element.get("max")), 16384) + 1))
            if tag == "row":
                element.clear()
    return rows, sorted(columns)


def _merged_ranges(ws: Any) -> list[str]:
    """The ranges a sheet merges ("B4:C4"): ``<mergeCell ref="B4:C4">`` in its XML, which the
    read-only sheet does not expose (read as a stream, rows cleared as they pass), or the
    ranges of a sheet openpyxl loaded whole."""
    from xml.etree.ElementTree import iterparse
    get_source = getattr(ws, "_get_source", None)
    if get_source is None:
        return [str(r) for r in getattr(getattr(ws, "merged_cells", None), "ranges", ())]
    merged = []
    with get_source() as src:
        for _, element in iterparse(src, events=("end",)):
            tag = element.tag.rsplit("}", 1)[-1]
            if tag == "mergeCell" and element.get("ref"):
                merged.append(element.get("ref"))
            elif tag == "row":
                element.clear()
    return merged


def _merged_amount_problems(plan: "Plan", values: list[list[Any]], merged: list[str],
                            sheet: str) -> list[Problem]:
    """A warning at each merged range whose first cell holds an amount of the plan and that
    covers other amount cells (two funders' columns, two lines, a Total): Excel shows the
    figure across them all but keeps it in the first cell alone, which its SUM -- and the
    reader -- count under that cell's line and funder only, the others read as blank.  A
    figure shared by two funders was credited to the first without a word.  A merged title,
    header or label holds no amount: nothing to say."""
    from openpyxl.utils.cell import range_boundaries
    at = _amount_places(plan)
    said = []
    for ref in merged:
        try:
            c1, r1, c2, r2 = range_boundaries(ref)
        except (ValueError, TypeError):
            continue   # no range a cell of the plan can be in
        if (r1, c1) not in at:
            continue
        covered = [at[(r, c)] for r in range(r1, r2 + 1) for c in range(c1, c2 + 1)
                   if (r, c) != (r1, c1) and (r, c) in at]
        row = values[r1 - 1] if r1 <= len(values) else []
        value = row[c1 - 1] if c1 <= len(row) else None
        # blank as the readers take it (essconv.margin: text.c's spaces), not as str.strip()
        # does: a cell of an em space is a bad amount to the plan, and merged it is said
        if not covered or is_blank(value):
            continue
        line, funder = at[(r1, c1)]
        others = ", ".join(f"{l} x {f}" for l, f in covered)
        said.append(Problem(
            r1, c1,
            f"cells {ref} of the sheet {sheet!r} are merged: '{str(value)[:60]}' is read as "
            f"{line} x {funder} alone, as Excel's SUM counts it, and {others} as blank; if "
            f"the amount is shared, unmerge the cells and write each part in its own cell",
            False, ("plan-merged-cell", r1, c1, sheet, f"{line} × {funder}", ref,
                    str(value)[:60], ", ".join(f"{l} × {f}" for l, f in covered))))
    return said


def _amount_places(plan: "Plan") -> dict[tuple[int, int], tuple[str, str]]:
    """Each amount cell of a plan, its Total row's and column's included, by its (row,
    column) in the sheet: its line's and funder's labels."""
    from .messages import TOTAL
    total = plan.TOTAL_AT
    lines = [*enumerate(plan.lines), (total, TOTAL)]
    funders = [*enumerate(plan.funders), (total, TOTAL)]
    at = {}
    for i, line in lines:
        for j, funder in funders:
            try:
                cell = plan._core.cell(i, j)
            except (IndexError, ValueError):
                continue
            if cell[3] and cell[4]:
                at[(cell[3], cell[4])] = (line, funder)
    return at


def _hidden_row_problems(plan: "Plan", values: list[list[Any]], hidden: list[int],
                         hidden_columns: list[int], sheet: str) -> list[Problem]:
    """A warning at each hidden row the plan reads as an action line, at its first cell that
    holds something, and at each hidden funder column's header cell: the line or the column
    is read and counted (Excel's SUM, and the printed Total, count it too), but an analyst
    who hid it usually means it withdrawn, and SUBTOTAL(109) leaves a hidden row out.  A
    hidden title or note row, a hidden blank column, hold no amount counted: nothing to say."""
    from openpyxl.utils import get_column_letter
    places = [[plan.cell_place(i, j) for j in range(len(plan.funders))]
              for i in range(len(plan.lines))]
    lines = {row[0][0] for row in places if row}
    said = []
    for r in hidden:
        if r not in lines:
            continue
        row = values[r - 1] if r <= len(values) else []
        filled = [c for c, v in enumerate(row, start=1) if not is_blank(v)]
        if not filled:
            continue
        label = str(row[filled[0] - 1]).strip(CELL_SPACES)   # as the plan trims its label
        said.append(Problem(
            r, filled[0],
            f"row {r} of the sheet {sheet!r} ('{label[:60]}') is hidden in the workbook: its "
            f"amounts are read and counted, as Excel's SUM counts them (SUBTOTAL(109) does "
            f"not); if the line is withdrawn, delete the row, else show it",
            False, ("plan-hidden-row", r, filled[0], sheet, label[:60])))
    funder_columns = {places[0][j][1]: funder for j, funder in enumerate(plan.funders)
                      } if places else {}
    first_line = min(lines) if lines else 0
    for c in hidden_columns:
        if c not in funder_columns:
            continue
        # the funder's header cell: the nearest text above the first line in its column
        r = next((r for r in range(first_line - 1, 0, -1)
                  if c <= len(values[r - 1]) and not is_blank(values[r - 1][c - 1])),
                 first_line)
        letter, funder = get_column_letter(c), funder_columns[c]
        said.append(Problem(
            r, c,
            f"column {letter} of the sheet {sheet!r} ('{funder[:60]}') is hidden in the "
            f"workbook: its amounts are read and counted, as Excel's SUM counts them; if the "
            f"funder is withdrawn, delete the column, else show it",
            False, ("plan-hidden-column", c, 0, sheet, funder[:60], letter)))
    return said


def _is_percent_format(number_format: Any) -> bool:
    """Does an Excel number format show its number as a percentage ('0%', '0.0 %')?  A '%'
    inside quotes or a [bracket] is printed text, not the percent operator."""
    if not isinstance(number_format, str):
        return False
    quoted = bracket = False
    for ch in number_format:
        if ch == '"':
            quoted = not quoted
        elif not quoted and ch in "[]":
            bracket = ch == "["
        elif ch == "%" and not quoted and not bracket:
            return True
    return False


def _format_section(number_format: str, value: float | int) -> str:
    """The section of an Excel number format that shows ``value``: 'positive;negative;zero'."""
    sections, part, quoted, bracket, escaped = [], "", False, False, False
    for ch in number_format:
        if escaped:
            part += ch
            escaped = False
            continue
        if ch == "\\" and not quoted:
            escaped = True
        elif ch == '"':
            quoted = not quoted
        elif not quoted and ch in "[]":
            bracket = ch == "["
        elif ch == ";" and not quoted and not bracket:
            sections.append(part)
            part = ""
            continue
        part += ch
    sections.append(part)
    if value < 0 and len(sections) > 1:
        return sections[1]
    if value == 0 and len(sections) > 2:
        return sections[2]
    return sections[0]


def _format_unit(number_format: Any, value: float | int) -> tuple[str | None, int] | None:
    """The money unit an Excel number format prints after (or before) the number ('#,##0 "€"',
    '[$€-40C] #,##0', '#,##0 "k€"', '#,##0, "k€"') and how many thousands its scaling commas
    divide the shown number by, or None when it prints no unit and divides by nothing.  The
    unit is in the format's literal text: quoted, escaped with a backslash, a [$symbol-locale]
    currency, or a bare €; a format that scales and prints none ('#,##0,': euros shown in
    thousands under a header "en K€") gives (None, its scaling)."""
    if not isinstance(number_format, str) or number_format == "General":
        return None
    section = _format_section(number_format, value)
    literal, i, quoted, last_digit, scaling = [], 0, False, -1, 0
    while i < len(section):
        ch = section[i]
        if quoted:
            if ch == '"':
                quoted = False
            else:
                literal.append(ch)
        elif ch == '"':
            quoted = True
        elif ch == "\\" and i + 1 < len(section):
            literal.append(section[i + 1])
            i += 1
        elif ch in "_*" and i + 1 < len(section):
            i += 1   # a padding character: space of its width, or repeated to fill
        elif ch == "[":
            end = section.find("]", i)
            end = len(section) if end < 0 else end
            inside = section[i + 1:end]
            if inside.startswith("$"):   # [$€-40C]: the currency symbol, then its locale
                literal.append(inside[1:].split("-", 1)[0])
            i = end
        elif ch in "0#?":
            last_digit, scaling = i, 0
        elif ch == "," and last_digit >= 0:
            # after the last digit, a comma divides by 1000 ('#,##0,' shows thousands); one
            # followed by more digits is the thousands separator, reset at the next digit
            scaling += 1
        else:
            literal.append(ch)
        i += 1
    text = re.sub(r"[\s\u00a0\u202f]", "", "".join(literal)).lower()
    if re.search(r"k(€|eur)|milliersd['’]euros", text):
        unit = "k€"
    elif re.search(r"m(€|eur)|millionsd['’]euros", text):
        unit = "M€"
    elif "€" in text or re.search(r"(^|[^a-z])eur(os?)?($|[^a-z])", text):
        unit = "€"
    elif scaling:
        return None, scaling
    else:
        return None
    return unit, scaling


def _shown_rows(ws: Any, decimal: str = ",") -> list[list[Any]]:
    """The values, except a number formatted as a percentage, which becomes the text Excel
    shows ('50 %'): read as a number, a share (0.5) was added into the totals as 0,5 of the
    plan's unit -- silently when the table printed no Total.  As text it is reported as a
    malformed number on its cell, like '50 %' typed in a CSV.

    A number formatted with a money unit ('#,##0 "€"', '[$€-40C] #,##0', '#,##0 "k€"')
    becomes the text with that unit ('10 €'): read bare, it took the unit of the plan's header
    (10 € read as 10 k€, a factor of 1000 without a word).  With its unit the reader converts
    it exactly and says the difference at the cell, as for '10 €' typed in a k€ plan.  A
    format's scaling commas ('#,##0,', '0,,') divide the number as the cell shows it."""
    mark = "." if decimal == "." else ","
    rows = []
    for row in ws.iter_rows():
        out = []
        for cell in row:
            value = getattr(cell, "value", None)
            if isinstance(value, str) and "_x" in value:
                value = excel_unescape(value)
            if isinstance(value, (int, float)) and not isinstance(value, bool):
                number_format = getattr(cell, "number_format", None)
                if _is_percent_format(number_format):
                    shown = (Decimal(format(value, ".15g")) * 100).normalize()
                    value = format(shown, "f").replace(".", ",") + " %"
                elif value == value and value not in (float("inf"), float("-inf")):
                    unit = _format_unit(number_format, value)
                    if unit is not None:
                        # the number the cell shows: its scaling commas divide it ('#,##0,'
                        # shows 1 250 000 as 1 250), exactly; read bare, a plan "en K€" typed
                        # in euros was a thousand times too big in every cell and total alike,
                        # and validated clean
                        shown = Decimal(format(value, ".15g")).scaleb(-3 * unit[1]).normalize()
                        value = format(shown, "f").replace(".", mark)
                        if unit[0] is not None:   # the unit it prints, said at the cell
                            value += " " + unit[0]
            out.append(value)
        rows.append(out)
    return rows


def read_plan_xlsx(source: "str | IO[bytes]", plan_from_rows: Any, *, year: int | None = None,
                   unit: str | None = None, decimal: str = ",", path: str | None = None, sheet: str | None = None,
                   dash_is_zero: bool = False) -> "Plan":
    """A plan from a workbook's sheet ``sheet`` (by name), by default the active sheet (the
    first visible one when the active sheet is hidden).  Number cells are read as Excel shows
    them (15 significant digits) whatever ``decimal`` says, which is for text cells.  A formula
    with no saved value (a workbook written by a program, never opened in a spreadsheet) is
    refused with a :class:`essconv.PlanFormatError` naming its cells, never read as blank.

    ``plan_from_rows`` (essconv.plan's) builds the plan from the sheet's rows: read_plan passes
    it, so that this module, below the plan it writes and reads, never imports it."""
    openpyxl = _openpyxl()
    from openpyxl.utils import get_column_letter
    from openpyxl.utils.exceptions import InvalidFileException
    name = path or (source if isinstance(source, str) else getattr(source, "name", None))
    data = source
    if not isinstance(source, str):   # read twice: the values, then the formulas
        data = io.BytesIO(source.read())
    _refuse_ole(data, name)
    try:
        wb = openpyxl.load_workbook(data, read_only=True, data_only=True)
    except (InvalidFileException, *_CORRUPT_WORKBOOK) as exc:
        raise _unusable(name, exc) from exc
    try:
        ws = _sheet(wb, sheet, name)
        title = ws.title
        sheet_names = list(wb.sheetnames)
        try:   # read-only mode parses the sheet lazily: a broken sheet shows here
            values = _shown_rows(ws, decimal)
            hidden, hidden_columns = _hidden_rows(ws)
            merged = _merged_ranges(ws)
        except _CORRUPT_WORKBOOK as exc:
            raise _unusable(name, exc) from exc
    finally:
        wb.close()
    if any(v is None for row in values for v in row):
        # A formula's value is what Excel saved beside it; with none saved openpyxl gives None,
        # and a plan whose totals were all formulas validated clean with no total at all.
        if not isinstance(data, str):
            data.seek(0)
        try:
            wf = openpyxl.load_workbook(data, read_only=True, data_only=False)
            try:
                formulas = _rows(wf[title])
            finally:
                wf.close()
        except (InvalidFileException, *_CORRUPT_WORKBOOK) as exc:
            raise _unusable(name, exc) from exc
        missing = [(r, c) for r, row in enumerate(formulas, start=1)
                   for c, f in enumerate(row, start=1)
                   if isinstance(f, str) and f.startswith("=")
                   and (r > len(values) or c > len(values[r - 1]) or values[r - 1][c - 1] is None)]
        if missing:
            from .messages import sheet_cell
            cells = [f"{get_column_letter(c)}{r}" for r, c in missing]
            # each cell named with its sheet (Feuil1!B7), the reason carrying what a French
            # listing words: the sheet, the cells, each cell's formula
            raise PlanFormatError(
                f"formulas with no saved value in {', '.join(cells)} of the sheet {title!r} (a "
                f"workbook written by a program, never opened in a spreadsheet): open and save "
                f"it in Excel or LibreOffice so their values are stored",
                path=name if isinstance(name, str) else None, line=missing[0][0],
                column=missing[0][1],
                problems=[Problem(r, c, f"{sheet_cell(title, r, c)}: formula "
                                        f"{formulas[r - 1][c - 1]} has no saved value", True,
                                  ("xlsx-formula-unsaved-cell", sheet_cell(title, r, c),
                                   str(formulas[r - 1][c - 1])))
                          for r, c in missing],
                reason=("xlsx-formula-unsaved", title, tuple(cells)))
    # each cell keeps its place in the sheet: a finding beside a margin names its own cell; the
    # margin's rule is the text reader's (essconv.margin, the core's twin), written once
    rows = without_margin([[(cell, r, c) for c, cell in enumerate(row, start=1)]
                           for r, row in enumerate(values, start=1)], value=lambda cell: cell[0])
    try:
        plan = plan_from_rows(rows, year=year, unit=unit, decimal=decimal,
                              path=name if isinstance(name, str) else None,
                              dash_is_zero=dash_is_zero)
        plan.sheet = title   # its findings' cells named as Excel names them (Feuil1!C7)
        if hidden or hidden_columns:
            plan.problems = sorted(plan.problems + _hidden_row_problems(
                plan, values, hidden, hidden_columns, title), key=lambda p: (p.line, p.column))
        if merged:
            plan.problems = sorted(plan.problems + _merged_amount_problems(
                plan, values, merged, title), key=lambda p: (p.line, p.column))
        return plan
    except PlanFormatError as exc:
        others = [s for s in sheet_names if s != title]
        if exc.reason[:1] != ("no-header-row",) or not others:
            raise
        # a workbook whose active sheet is a note or a cover page: "no header row" alone left
        # the analyst guessing that another sheet holds the plan, and which
        raise _no_header_in_sheet(exc, title, others) from None


def _no_header_in_sheet(exc: PlanFormatError, title: str, others: list[str]) -> PlanFormatError:
    """The "no header row" of a workbook's sheet, naming the sheet read and the others, and
    ``sheet=`` that chooses one."""
    message = (f"{Exception.__str__(exc)}, in the sheet {title!r}; the workbook's other sheets "
               f"are {names_said(others)}: choose the plan's with "
               f"read_plan(..., sheet={others[0]!r})")
    return PlanFormatError(message, path=exc.path, line=exc.line, column=exc.column,
                           problems=[Problem(exc.line, exc.column, message, True)],
                           reason=("no-header-row", title, tuple(others)))


#: the significant digits a number cell keeps exactly: Excel's (an IEEE double's 15 decimal
#: digits, which a float written by its shortest repr gives back as they were)
EXCEL_DIGITS = 15


#: the first day an Excel workbook holds as a date (its serial 1)
EXCEL_FIRST_DAY = _dt.date(1900, 1, 1)


#: a text that Excel's own escape would read as a character ("_x000D_"): its underscore is
#: written escaped in turn ("_x005F_x000D_"), so that the text reads back as written
_EXCEL_ESCAPE_LOOKALIKE = re.compile(r"_(?=x[0-9A-Fa-f]{4}_)")


def excel_escape(text: str) -> str:
    """A text as Excel writes it in a cell (ECMA-376's ``_xHHHH_``): a CR written as itself
    is read back as LF by any XML reader (XML normalises line ends), so that "a\\rb" came back
    as "a\\nb" -- another label, two groups of the ledger printed as one text; Excel writes it
    ``_x000D_``, and an underscore that would start such an escape ``_x005F_``."""
    return _EXCEL_ESCAPE_LOOKALIKE.sub("_x005F_", text).replace("\r", "_x000D_")


#: the escapes a workbook holds for a text XML cannot keep (ECMA-376's ``_xHHHH_``): a
#: control character (Excel's CR, _x000D_) or the underscore of a text that looks like one
#: (_x005F_).  A NUL (_x0000_) stays as written: no label holds one.  Others (_x0041_) are
#: no escape any writer makes, and stay as written too
_EXCEL_ESCAPE = re.compile(r"_x(00(?:0[1-9A-Fa-f]|1[0-9A-Fa-f]|5[Ff]))_")


def excel_unescape(text: str) -> str:
    """A cell's text as written, from the file's: the reverse of :func:`excel_escape`.
    openpyxl leaves these escapes in the text of a string written in the cell (openpyxl's
    own, essconv's): a label "a\\rb" read back "a_x000D_b", another line than the CSV's.
    A workbook's shared strings (Excel's) come with _x005F_ already read out by openpyxl: a
    text typed "_x000D_" in Excel, which it keeps as _x005F_x000D_, is read as a CR there, the
    one text no reader of them can tell from Excel's CR."""
    return _EXCEL_ESCAPE.sub(lambda m: chr(int(m.group(1), 16)), text)


def _put(ws: Any, row: int, column: int, value: Any, *, words: Any = None,
         unit: str | None = None) -> Any:
    """Writes a value; a str stays a string cell, never a formula: openpyxl stores any str
    starting with '=' as a live formula, and a label such as ``=HYPERLINK("http://...")``
    comes from whoever wrote the file.  The control characters XML cannot hold (openpyxl
    would refuse the whole workbook) show as U+FFFD, visibly, rather than vanish.
    ``words`` and ``unit``: the value is an amount in ``unit``, in a sheet of ``words``'
    language (its text, past Excel's digits, is written that language's way)."""
    if ((isinstance(value, Decimal) and len(value.as_tuple().digits) > EXCEL_DIGITS)
            or (type(value) is int and len(str(abs(value))) > EXCEL_DIGITS)):
        # openpyxl writes a Decimal -- and an int -- through a float, and Excel holds 15
        # significant digits: 100 000 000 000 000,01 would read back without its cent, and
        # -9 007 199 254 740 993 as -9 007 199 254 740 992.  Such an amount is written as its
        # exact text instead, visibly not a number, never silently another one -- an amount
        # as the sheet's language writes it, with its unit (Python's "100000000000000.01"
        # was a decimal point in a French workbook, and "90000000000000000" showed no cents
        # under "1 234,50 €"); a key (an int label) as its digits
        if words is not None and unit is not None:
            from .money import format_amount
            value = (format_amount(value, unit=unit, group=words.group, decimal=words.decimal,
                                   decimals=2 if unit == "€" else -1)
                     + words.unit_space + unit)
        else:
            value = str(value)
    if type(value) is _dt.date and value < EXCEL_FIRST_DAY:   # (a datetime is not compared)
        # Excel counts days from 1900: 1899-12-31 came back as day 0 ("00/01/1900") and the
        # year 1 as no date at all; such a day is written as its text, visibly not a date
        value = value.isoformat()[:10]
    if isinstance(value, str):
        from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
        value = ILLEGAL_CHARACTERS_RE.sub("\ufffd", value)
        value = excel_escape(value)
    cell = ws.cell(row=row, column=column, value=value)
    if isinstance(value, str):
        cell.data_type = "s"
    return cell


def write_plan_xlsx(plan: "Plan", target: "str | IO[bytes]", report: "Report | None" = None,
                    *, lang: str = "fr", convention: "Convention | None" = None) -> None:
    """Write the plan (amounts as exact text-free numbers in its unit) and its findings, worded
    in ``lang`` ('fr' or 'en'; the convention names the parties a finding mentions).

    Example: ``write_plan_xlsx(plan, "plan-2009.xlsx", plan.validate(), lang="en")``
    """

    checked_target(target, "write_plan_xlsx", streams=True)
    from .messages import language
    words = language(lang)
    openpyxl = _openpyxl()
    from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
    from openpyxl.comments import Comment
    from openpyxl.styles import Font, PatternFill
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = f"Plan {plan.year}" if plan.year else "Plan"
    from .export import held_amounts, with_total_words
    rows = with_total_words(plan, plan.to_rows(totals=True, as_printed=True), lang)
    # The numbers are the amounts the plan holds (held_amounts), not its printed text; a cell
    # the plan holds no amount for (blank, or unreadable text) stays as printed.
    held = held_amounts(plan)
    for r, (row, held_row) in enumerate(zip(rows, held), start=1):
        for c, (text, amount) in enumerate(zip(row, held_row), start=1):
            value: Any = text if text != "" else None
            if r > 1 and c > (2 if plan.axes else 1) and amount is not None:
                # Excel holds numbers as floats; an amount in k€ with at most 5 decimals
                # and 15 significant digits survives that exactly (checked on read back)
                value = int(amount) if amount == amount.to_integral_value() else Decimal(amount)
            amount_in = plan.unit if isinstance(value, (int, Decimal)) else None
            cell = _put(ws, r, c, value, words=words, unit=amount_in)
            if isinstance(value, (int, Decimal)):
                # General showed 1,50 € as "1,5" and 1 261 k€ as "1261"
                cell.number_format = amount_format(value, plan.unit)
            if r == 1 or c == 1:
                cell.font = Font(bold=True)
    _put_notes(ws, plan, rows, words.text("xlsx_notes"), Font(bold=True))
    if report is not None and len(report):
        offset = 2 if plan.axes else 1
        red = PatternFill("solid", fgColor="FFD9D9")
        green = PatternFill("solid", fgColor="E3F6E3")
        # a line label printed under several axes is found by its axis too: by its label
        # alone, a finding about the second such line was put on the first
        row_of = {(plan.axis_of(i), line): i + 2 for i, line in enumerate(plan.lines)}
        column_of = {funder: j + offset + 1 for j, funder in reversed(list(enumerate(plan.funders)))}
        # an axis row's printed sub-total has no row of its own in the sheet (the axis is a
        # column): its mark sits on the axis's name, beside the axis's first line
        axis_row = {}
        for i in range(len(plan.lines)):
            axis_row.setdefault(plan.axis_of(i), i + 2)
        reds: set[tuple[int, int]] = set()   # the cells an error marked
        # a correction-set names no cell of its own: each of its edits' cells carries the
        # set's comment (one edit of it, said alone, would claim to reconcile every total),
        # as a single correction's cell carries its own.  When several sets fit (an
        # ambiguity), none is the fix: the findings sheet lists them, no cell passes for one
        undecided = report.ambiguity is not None
        places = [(f, edit) for f in report if not (f.code == "correction-set" and undecided)
                  for edit in (f.corrections if f.code == "correction-set" else (f,))]
        for f, edit in places:
            line, funder = edit.marked_cells[0]   # a move's comment sits on the cell it leaves
            if line == SUBTOTAL:
                r, c = axis_row.get(edit.group), 1
            else:
                r = len(rows) if line == TOTAL else row_of.get((edit.group, line))
                c = len(rows[0]) if funder == TOTAL else column_of.get(funder)
            if r and c:
                cell = ws.cell(row=r, column=c)
                previous = cell.comment.text + "\n" if cell.comment else ""
                message = ILLEGAL_CHARACTERS_RE.sub("\ufffd", f"[{f.code}] {words.finding(f, plan, convention)}")
                cell.comment = Comment(previous + message, "essconv")
                # a suggestion on a figure found wrong (a sub-total's) leaves it red
                if f.severity == "error":
                    reds.add((r, c))
                cell.fill = red if (r, c) in reds else green
        ws2 = wb.create_sheet(words.text("xlsx_findings"))
        table = [words.text("xlsx_columns").split("|")]

        def number(v: "Decimal | None") -> "int | Decimal | None":
            # a number, as the plan sheet's, that Excel shows the reader's way: str() wrote
            # '1601.75' as text in a French workbook
            return None if v is None else int(v) if v == v.to_integral_value() else Decimal(v)

        table += [[words.severity(f.severity), f.code, f.line, f.funder,
                   number(f.expected), number(f.actual), f.source_line,
                   f.source_column, words.finding(f, plan, convention)] for f in report]
        for r, values in enumerate(table, start=1):
            for c, value in enumerate(values, start=1):
                amount_in = (plan.unit if r > 1 and c in (5, 6) and isinstance(value, (int, Decimal))
                             else None)   # expected, actual
                cell = _put(ws2, r, c, value, words=words, unit=amount_in)
                if r > 1 and c in (5, 6) and isinstance(value, (int, Decimal)):
                    cell.number_format = amount_format(value, plan.unit)   # expected, actual
    wb.save(target)


def _put_notes(ws: Any, plan: "Plan", rows: list[list[str]], heading: str, bold: Any) -> None:
    """The plan's remarks (``plan.notes``) in a column after its figures, each on its line's
    row, the Total's on the Total row: written without them, the committee's remarks were lost
    from the workbook.  Its header is a notes word, so the sheet reads back with the same notes
    out of every sum.  A note of no line of the plan (an axis heading's, a row under the
    table) is written below the table, under its row's label, never dropped."""
    if not plan.notes:
        return
    from .export import notes_by_row
    column = len(rows[0]) + 1
    cell = _put(ws, 1, column, heading)
    cell.font = bold
    placed, below = notes_by_row(plan, len(rows) - 1)
    for r, text in placed.items():
        _put(ws, r + 1, column, text)
    for k, (label, text) in enumerate(below, start=len(rows) + 2):
        _put(ws, k, 1, label)
        _put(ws, k, column, text)


#: Excel number formats: the euro's (shown "1 250,50 €" by a French Excel, "1,250.50 €" by an
#: English one: the format's separators are the reader's), a percentage, a count, a day
EURO_FORMAT = '#,##0.00\\ "€"'
PERCENT_FORMAT = "0.00%"
COUNT_FORMAT = "#,##0"
DATE_FORMAT = "DD/MM/YYYY"
#: a day in an English sheet: as the English CSV writes it (ISO), never the French day-first
#: order an English reader takes for month first (02/01/2017 read as 1 February)
DATE_FORMATS = {"fr": DATE_FORMAT, "en": "YYYY-MM-DD"}
TEXT_FORMAT = "@"


def amount_format(value: "Decimal | int", unit: str) -> str:
    """The Excel number format an amount of ``unit`` is shown with, as a committee reads it:
    euros with their cents (:data:`EURO_FORMAT`, as the aggregate sheet), an amount in k€ or
    M€ with the decimals it has, as the plan prints it ("12,5 k€" beside "1 261 k€"); the
    separators are the reader's Excel's.

    Example: ``amount_format(Decimal("12.5"), "k€")`` -> ``'#,##0.0\\ "k€"'``"""
    if unit == "€":
        return EURO_FORMAT
    exponent = Decimal(value).normalize().as_tuple().exponent
    decimals = -exponent if isinstance(exponent, int) and exponent < 0 else 0
    return "#,##0" + ("." + "0" * decimals if decimals else "") + f'\\ "{unit}"'


def write_aggregate_xlsx(agg: "Aggregate", target: "str | IO[bytes]", *, lang: str = "fr") -> None:
    """An aggregate's report as one sheet: headings in ``lang``, amounts as exact numbers (the
    Decimal's digits, never a float's; past Excel's 15 significant digits, their exact text)
    in the euro format, shares as the fraction they are
    (47,06 % is 0.4706) in a percentage format, counts as integers, labels as string cells in
    the Text format (a SIRET "01234567890123" keeps its zero; a missing key says "(vide)"),
    the others and total lines in bold; a ``top(n)`` without its others line says in italics
    how many groups it leaves out.

    Example: ``write_aggregate_xlsx(agg.top(10, others=True).share(), "top10.xlsx")``
    """
    checked_target(target, "write_aggregate_xlsx", streams=True)
    from .export import AMOUNT_MEASURES, aggregate_lines
    from .messages import language
    openpyxl = _openpyxl()
    from openpyxl.styles import Font
    columns, headings, lines = aggregate_lines(agg, lang)
    words = language(lang)
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = words.text("agg_sheet")
    for c, heading in enumerate(headings, start=1):
        _put(ws, 1, c, heading).font = Font(bold=True)
    bold = Font(bold=True)
    for r, (kind, row) in enumerate(lines, start=2):
        if kind == "note":   # the groups a top(n) leaves out: one line of text, in italics
            _put(ws, r, 1, row[0]).font = Font(italic=True)
            continue
        for c, (column, value) in enumerate(zip(columns, row), start=1):
            if column == "share":
                # exact, whatever the caller's decimal context (a precision of 4 wrote
                # 123,46 % for a share of 12 345,67 %): a Decimal of two places over 100
                value = PERCENT_CONTEXT.divide(value, 100)
            cell = _put(ws, r, c, value, words=words,
                        unit="€" if column in AMOUNT_MEASURES else None)
            if column in AMOUNT_MEASURES:
                cell.number_format = EURO_FORMAT
            elif column == "share":
                cell.number_format = PERCENT_FORMAT
            elif column == "count":
                cell.number_format = COUNT_FORMAT
            elif hasattr(value, "isoformat"):
                cell.number_format = DATE_FORMATS.get(lang, DATE_FORMAT)
            elif isinstance(value, str):
                # a key as text in Excel's Text format too: a SIRET "01234567890123" or a code
                # "01" edited in the sheet stays text, its leading zero kept
                cell.number_format = TEXT_FORMAT
            if kind != "group":
                cell.font = bold
    wb.save(target)
