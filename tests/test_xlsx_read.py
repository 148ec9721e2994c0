"""Reading .xlsx plans as the partners' spreadsheet shows them: the cached values of formulas,
the active visible sheet, number cells independent of ``decimal=``."""
from __future__ import annotations

import io
import zipfile
from decimal import Decimal
from pathlib import Path

import pytest

import essconv

openpyxl = pytest.importorskip("openpyxl")

HEAD = ["Ligne", "CDC", "CR", "Total"]


def workbook(path: Path, rows, setup=None) -> Path:
    wb = openpyxl.Workbook()
    ws = wb.active
    for row in rows:
        ws.append(row)
    if setup:
        setup(wb, ws)
    wb.save(path)
    return path


def test_a_formula_with_no_saved_value_is_refused_naming_its_cells(tmp_path):
    # openpyxl gives None for a formula never computed: the totals read as blank and the plan
    # validated clean, silently.
    path = workbook(tmp_path / "nocache-2021.xlsx",
                    [HEAD, ["A", "=40+2", 2, "=B2+C2"], ["Total", 42, 2, "=SUM(D2:D2)"]])
    with pytest.raises(essconv.PlanFormatError) as info:
        essconv.read_plan(path)
    assert "B2, D2, D3" in str(info.value) and "no saved value" in str(info.value)
    assert [(p.line, p.column) for p in info.value.problems] == [(2, 2), (2, 4), (3, 4)]


def test_a_formula_s_float_noise_reads_as_excel_shows_it(tmp_path):
    # the cached 0.30000000000000004 of =B2+C2 was reported as a typo of 0,3
    src = workbook(tmp_path / "src.xlsx", [HEAD, ["A", 0.1, 0.2, 777], ["Total", 0.1, 0.2, 888]])
    dst = tmp_path / "float-2021.xlsx"
    with zipfile.ZipFile(src) as zin, zipfile.ZipFile(dst, "w") as zout:
        for item in zin.infolist():
            data = zin.read(item.filename)
            if item.filename == "xl/worksheets/sheet1.xml":
                text = data.decode()
                for cell, old in (("D2", "777"), ("D3", "888")):
                    text = text.replace(f'<c r="{cell}" t="n"><v>{old}</v></c>',
                                        f'<c r="{cell}"><f>B2+C2</f><v>0.30000000000000004</v></c>')
                assert text.count("0.30000000000000004") == 2
                data = text.encode()
            zout.writestr(item, data)
    plan = essconv.read_plan(dst)
    assert plan.stated_total == Decimal("0.3") and plan.validate().ok


@pytest.mark.parametrize("decimal", [None, ",", "."])
def test_number_cells_do_not_depend_on_decimal(tmp_path, decimal):
    # with decimal='.', a number cell 1234.5 became the text '1234,5', refused as malformed
    path = workbook(tmp_path / "dec-2021.xlsx",
                    [HEAD, ["A", 1234.5, 10, 1244.5], ["Total", 1234.5, 10, 1244.5]])
    plan = essconv.read_plan(path, decimal=decimal)
    assert plan.cell("A", "CDC") == Decimal("1234.5") and plan.validate().ok


def _hidden_first(wb, ws):
    ws.title = "ancien"
    new = wb.create_sheet("Plan 2021")
    for row in [HEAD, ["DLA", 10, 0, 10], ["Total", 10, 0, 10]]:
        new.append(row)
    ws.sheet_state = "hidden"
    wb.active = 1


def test_the_active_visible_sheet_is_read_and_sheet_names_another(tmp_path):
    # a hidden first sheet (an old version) was read instead of the visible one, silently
    path = workbook(tmp_path / "hidden-2021.xlsx",
                    [HEAD, ["OLD", 999, 0, 999], ["Total", 999, 0, 999]], _hidden_first)
    assert essconv.read_plan(path).lines == ["DLA"]
    assert essconv.read_plan(io.BytesIO(path.read_bytes())).lines == ["DLA"]
    assert essconv.read_plan(path, sheet="ancien").lines == ["OLD"]
    with pytest.raises(essconv.Error, match="no sheet 'nope'") as refused:
        essconv.read_plan(path, sheet="nope")
    assert str(refused.value).startswith(f"{path}: ")   # which workbook, among a folder's
    with pytest.raises(essconv.Error, match="for an .xlsx plan"):
        essconv.read_plan(io.BytesIO(b"Ligne;CDC;Total\nA;1;1\n"), sheet="x")


def _notes_first(wb, ws):
    ws.title = "Notes"
    for name in ("Plan 2021", "Brouillon"):
        new = wb.create_sheet(name)
        for row in [HEAD, ["DLA", 10, 0, 10], ["Total", 10, 0, 10]]:
            new.append(row)
    wb.active = 0


def test_no_header_in_the_active_sheet_names_it_and_the_other_sheets(tmp_path):
    """A workbook opening on a note: "no header row" alone left the analyst guessing that the
    plan was on another sheet, and how to read it.  The sheet read, the others, and sheet=
    are named, in English and French; sheet= reads the plan."""
    from essconv.messages import language
    path = workbook(tmp_path / "notes-2021.xlsx", [["Ce classeur contient le plan 2021"]],
                    _notes_first)
    for source in (path, io.BytesIO(path.read_bytes())):
        with pytest.raises(essconv.PlanFormatError) as refused:
            essconv.read_plan(source)
        error = refused.value
        assert error.reason == ("no-header-row", "Notes", ("Plan 2021", "Brouillon"))
        english = str(error)
        assert "no header row" in english and "in the sheet 'Notes'" in english
        assert "other sheets are 'Plan 2021' and 'Brouillon'" in english
        assert "sheet='Plan 2021'" in english and len(english.splitlines()) == 1
        french = language("fr").refusal(error).replace("\u00a0", " ").replace("\u202f", " ")
        assert "pas de ligne d'en-tête" in french and "dans la feuille « Notes »" in french
        assert "« Plan 2021 » et « Brouillon »" in french and "sheet='Plan 2021'" in french
    assert essconv.read_plan(path, sheet="Plan 2021").lines == ["DLA"]


def test_a_sheet_not_in_the_workbook_is_refused_in_french_too(tmp_path):
    """sheet='nope' was refused in English whatever the language asked: a French listing
    (the CLI's --lang fr) printed it untranslated."""
    from essconv.messages import language
    path = workbook(tmp_path / "notes-2021.xlsx", [["Notes"]], _notes_first)
    with pytest.raises(essconv.InvalidValueError) as refused:
        essconv.read_plan(path, sheet="nope")
    error = refused.value
    assert error.path == str(path) and str(error).startswith(f"{path}: no sheet 'nope'")
    assert error.reason == ("no-sheet", "nope", ("Notes", "Plan 2021", "Brouillon"))
    french = language("fr").refusal(error).replace("\u00a0", " ").replace("\u202f", " ")
    assert french == (f"{path}: pas de feuille « nope » dans le classeur : ses feuilles sont "
                      f"« Notes », « Plan 2021 » et « Brouillon »")


def test_no_header_in_a_workbook_of_one_sheet_names_no_other(tmp_path):
    path = workbook(tmp_path / "one-2021.xlsx", [["Ce classeur est vide"]])
    with pytest.raises(essconv.PlanFormatError) as refused:
        essconv.read_plan(path)
    assert refused.value.reason == ("no-header-row",) and "other sheets" not in str(refused.value)


def _hide_rows(*rows):
    def setup(wb, ws):
        ws.title = "Plan"
        for r in rows:
            ws.row_dimensions[r].hidden = True
    return setup


@pytest.mark.parametrize("read_only_bytes", [False, True])
def test_a_hidden_line_is_counted_and_said_at_its_row(tmp_path, read_only_bytes):
    """A hidden row was counted without a word (Excel's SUM counts it too, SUBTOTAL(109) does
    not; an analyst who hid a line usually means it withdrawn).  Still counted, as the printed
    Total does, and said at each hidden line's first cell, the sheet named, in English and
    French; a hidden title row, holding no amount, says nothing."""
    from essconv.messages import language
    rows = [["PLAN 2021"], HEAD, ["DLA", 10, 5, 15], ["Retiré", 7, 1, 8], ["CAE", 2, 0, 2],
            ["Ancien", 1, 1, 2], ["Total", 20, 7, 27]]
    path = workbook(tmp_path / "hidden-rows-2021.xlsx", rows, _hide_rows(1, 4, 6))
    plan = essconv.read_plan(io.BytesIO(path.read_bytes()) if read_only_bytes else path)
    # counted: every line's amounts, hidden or not, summed by the test
    lines = [row for row in rows[2:] if row[0] != "Total"]
    assert plan.lines == [row[0] for row in lines]
    assert plan.by_funder() == {"CDC": sum(Decimal(r[1]) for r in lines),
                                "CR": sum(Decimal(r[2]) for r in lines)}
    said = [p for p in plan.problems if p.reason and p.reason[0] == "plan-hidden-row"]
    assert [(p.line, p.column) for p in said] == [(4, 1), (6, 1)]
    assert not any(p.structural for p in said)
    assert [p.reason[3:5] for p in said] == [("Plan", "Retiré"), ("Plan", "Ancien")]
    assert "row 4 of the sheet 'Plan'" in said[0].message and "hidden" in said[0].message
    french = language("fr").problem(said[0]).replace("\u00a0", " ").replace("\u202f", " ")
    assert "la ligne 4 de la feuille « Plan » (« Retiré ») est masquée" in french
    warned = [(f.source_line, f.source_column, f.severity) for f in plan.validate()
              if f.code == "plan-problem" and "read in euros" not in f.message]
    assert warned == [(4, 1, "warning"), (6, 1, "warning")]   # the sheet prints no unit too


def test_a_hidden_funder_column_is_counted_and_said_at_its_header(tmp_path):
    """A hidden funder column (an old CDC figure kept beside the new one) was counted without
    a word.  Still counted, and said at its header cell with its letter and sheet, in English
    and French; a hidden Total column or a hidden blank one, counting nothing, says nothing."""
    from essconv.messages import language
    rows = [["PLAN 2021 en k€"], ["Ligne", "CR", "Ancien CDC", "CDC", None, "Total"],
            ["DLA", 10, 3, 5, None, 18], ["CAE", 1, 2, 4, None, 7], ["Total", 11, 5, 9, None, 25]]

    def setup(wb, ws):
        ws.title = "Plan"
        for letter in ("C", "E", "F"):
            ws.column_dimensions[letter].hidden = True
    path = workbook(tmp_path / "hidden-columns-2021.xlsx", rows, setup)
    plan = essconv.read_plan(path)
    assert plan.funders == ["CR", "Ancien CDC", "CDC"]
    assert plan.by_funder() == {f: sum(Decimal(r[c]) for r in rows[2:4])
                                for c, f in ((1, "CR"), (2, "Ancien CDC"), (3, "CDC"))}
    said = [p for p in plan.problems if p.reason and p.reason[0] == "plan-hidden-column"]
    assert [(p.line, p.column, p.structural) for p in said] == [(2, 3, False)]
    assert "column C of the sheet 'Plan' ('Ancien CDC') is hidden" in said[0].message
    french = language("fr").problem(said[0]).replace("\u00a0", " ").replace("\u202f", " ")
    assert "la colonne C de la feuille « Plan » (« Ancien CDC ») est masquée" in french
    assert [(f.source_line, f.source_column, f.severity) for f in plan.validate()
            if f.code == "plan-problem"] == [(2, 3, "warning")]


def test_hidden_rows_read_from_the_stream_are_openpyxl_s_own(tmp_path):
    """The read-only sheet keeps no row or column dimensions: the hidden ones are read from
    the sheet's XML stream, against what openpyxl's whole load of the same file says."""
    from essconv.xlsx import _hidden_rows

    def setup(wb, ws):
        for r in (2, 5, 6, 40):
            ws.row_dimensions[r].hidden = True
        for letter in ("B", "D", "AA"):
            ws.column_dimensions[letter].hidden = True
    path = workbook(tmp_path / "dims.xlsx", [[r * c for c in range(1, 8)] for r in range(1, 50)],
                    setup)
    streamed = openpyxl.load_workbook(path, read_only=True)
    whole = openpyxl.load_workbook(path)
    try:
        assert _hidden_rows(streamed.active) == _hidden_rows(whole.active) == (
            [2, 5, 6, 40], [2, 4, 27])
    finally:
        streamed.close()


def test_a_workbook_with_no_hidden_row_says_nothing_of_rows(tmp_path):
    path = workbook(tmp_path / "shown-2021.xlsx", [HEAD, ["DLA", 10, 5, 15], ["Total", 10, 5, 15]])
    plan = essconv.read_plan(path)
    # the one problem: the sheet prints no unit, read in euros
    assert plan.validate().ok
    assert [p.reason[0] for p in plan.problems] == ["plan-unit-assumed-euros"]


# number cells formatted with a money unit in a plan whose header says another: the value,
# its format, the unit the format shows and how many thousands its scaling commas divide by
_UNIT_FORMATS = [('#,##0 "€"', "€", 0), ("[$€-40C] #,##0", "€", 0), ('#,##0\\ "€"', "€", 0),
                 ('_-* #,##0 €_-;\\-* #,##0 €_-;_-* "-"?? €_-;_-@_-', "€", 0),
                 ('#,##0 "EUR"', "€", 0), ('#,##0 "k€"', "k€", 0), ('#,##0.0\\ "K€"', "k€", 0),
                 ('#,##0, "k€"', "k€", 1), ('#,##0.00 "M€"', "M€", 0)]
_CENTS = {"€": 100, "k€": 100_000, "M€": 100_000_000}


@pytest.mark.parametrize("number_format, shown_unit, scaling", _UNIT_FORMATS)
@pytest.mark.parametrize("header_unit", ["€", "k€"])
@pytest.mark.parametrize("decimal", [",", "."])
def test_a_number_cell_formatted_with_a_unit_is_read_in_that_unit(
        tmp_path, number_format, shown_unit, scaling, header_unit, decimal):
    """'#,##0 "€"' on a cell of a plan "en k€": the number was read in the header's unit, 12 €
    as 12 k€ -- a factor of 1000 without a word.  Read in the unit the cell shows (exactly,
    its scaling commas included), the difference said at the cell when it is not the plan's."""
    values = {"A": (12, Decimal("2.5")), "B": (-3, Decimal(7))}   # CDC (formatted), CR (bare)

    def formats(wb, ws):
        for r in (2, 3):
            ws.cell(r, 2).number_format = number_format

    path = workbook(tmp_path / "units-2011.xlsx",
                    [[f"Ligne (en {header_unit})", "CDC", "CR"]]
                    + [[line, cdc, float(cr)] for line, (cdc, cr) in values.items()], formats)
    plan = essconv.read_plan(path, decimal=decimal)
    assert plan.unit == header_unit
    # the oracle: each CDC value is value / 1000**scaling shown_units, in the header's unit
    factor = Decimal(_CENTS[shown_unit]) / _CENTS[header_unit] / Decimal(1000) ** scaling
    cdc = sum((Decimal(v) * factor for v, _ in values.values()), Decimal(0))
    assert plan.by_funder() == {"CDC": cdc, "CR": sum((cr for _, cr in values.values()),
                                                      Decimal(0))}
    said = [(p.line, p.column) for p in plan.problems if p.reason and p.reason[0] == "plan-cell-unit"]
    if shown_unit == header_unit:
        assert said == []
    else:
        assert said == [(2, 2), (3, 2)]
    assert not [p for p in plan.problems if not (p.reason and p.reason[0] == "plan-cell-unit")]


@pytest.mark.parametrize("number_format", ["#,##0", "General", "0.00", '"$"#,##0',
                                           '#,##0 "pers."'])
def test_a_number_cell_formatted_with_no_money_unit_is_in_the_headers(tmp_path, number_format):
    def formats(wb, ws):
        ws.cell(2, 2).number_format = number_format

    path = workbook(tmp_path / "bare-2011.xlsx",
                    [["Ligne (en k€)", "CDC", "CR"], ["A", 12, 3]], formats)
    plan = essconv.read_plan(path)
    assert plan.by_funder() == {"CDC": Decimal(12), "CR": Decimal(3)} and plan.problems == []


# number formats that show a cell in thousands (or millions) with no unit of their own, and how
# many thousands their scaling commas divide by: a plan "en K€" whose cells hold euros
# (in a plan "en M€", euros shown in millions, '#,##0,,', or thousands of euros in millions)
_SCALED_FORMATS = [("#,##0,", 1, "k€"), ("#,##0.0,", 1, "k€"), ("0,", 1, "k€"),
                   ("#,##0,;(#,##0,)", 1, "k€"), ('#,##0,_);[Red](#,##0,)', 1, "k€"),
                   ('#,##0, " "', 1, "k€"), ("#,##0,,", 2, "M€"), ("#,##0.000,", 1, "M€")]


@pytest.mark.parametrize("number_format, scaling, header_unit", _SCALED_FORMATS)
def test_a_number_cell_scaled_by_its_format_is_read_as_excel_shows_it(
        tmp_path, number_format, scaling, header_unit):
    """'#,##0,' shows 1 250 000 as "1 250": a plan "en K€" typed in euros and shown in
    thousands by its format was read as 1 250 000 k€ -- every cell and every total a thousand
    times too big, and validated clean. Each number is read as the cell shows it, exactly:
    value / 1000 per scaling comma, in the header's unit."""
    values = {"Têtes de réseaux": (1_250_000, 50_400.5), "DLA": (-12_000, 2_500)}
    if scaling == 2:   # euros: whole cents of a M€ plan
        values = {"Têtes de réseaux": (1_250_000, 50_400_000.5), "DLA": (-12_000, 2_500.25)}

    def formats(wb, ws):
        for row in ws.iter_rows(min_row=2, min_col=2):
            for cell in row:
                cell.number_format = number_format

    rows = [[f"Action (en {header_unit})", "Région", "CDC", "Total"]]
    rows += [[line, cr, cdc, cr + cdc] for line, (cr, cdc) in values.items()]
    rows.append(["Total", sum(v[0] for v in values.values()),
                 sum(v[1] for v in values.values()),
                 sum(v[0] + v[1] for v in values.values())])
    path = workbook(tmp_path / "plan-2011.xlsx", rows, formats)
    plan = essconv.read_plan(path)
    # the slow twin: each stored number over 1000 per scaling comma, in Decimal
    shown = lambda v: Decimal(repr(v)) / Decimal(1000) ** scaling   # noqa: E731
    assert plan.unit == header_unit
    assert plan.by_funder() == {"Région": sum(shown(v[0]) for v in values.values()),
                                "CDC": sum(shown(v[1]) for v in values.values())}
    assert plan.cell("DLA", "Région") == shown(-12_000)
    assert plan.stated_total == shown(sum(v[0] + v[1] for v in values.values()))
    assert plan.validate().ok and plan.problems == []


def test_a_unit_formatted_cell_is_said_in_french_by_the_cli(tmp_path, capsys):
    from essconv.cli import main

    def formats(wb, ws):
        ws.cell(2, 2).number_format = '#,##0 "€"'

    path = workbook(tmp_path / "plan-2011.xlsx",
                    [["Ligne (en k€)", "CDC", "CR"], ["A", 12, 3]], formats)
    assert main(["validate", str(path), "--lang", "fr"]) == 0
    out = capsys.readouterr()
    text = (out.out + out.err).replace("\u00a0", " ").replace("\u202f", " ")
    assert ":2:2:" in text and "« 12 € » imprime sa propre unité" in text and "lu 0,012 k€" in text


@pytest.mark.parametrize("read_only_bytes", [False, True])
def test_an_amount_merged_over_other_cells_of_the_plan_is_said_where_it_is_counted(
        tmp_path, read_only_bytes):
    """An amount merged across two funders' columns ("co-financed", B3:C3) or down two lines
    (C4:C5) is shown by Excel across them all but kept in its first cell alone: it was counted
    under that cell's funder and line only, the others read as blank, without a word.  Still
    counted as Excel's SUM counts it, and said at the first cell, the range and the cells it
    covers named, in English and French; a merged title or axis label says nothing."""
    from openpyxl.utils.cell import range_boundaries
    from essconv.messages import language
    rows = [["Plan de financement 2011 (en k€)", None, None, None, None],
            ["Axe", "Action", "Région", "CDC", "Total"],
            ["Créer", "DLA", 100, None, 100],
            [None, "Observatoire", 10, 20, 30],
            [None, "Formation", 5, None, 5],
            ["Total", None, 115, 20, 135]]
    merges = ["A1:E1", "A3:A5", "C3:D3", "D4:D5"]

    def setup(wb, ws):
        ws.title = "Plan 2011"
        for ref in merges:
            ws.merge_cells(ref)
    path = workbook(tmp_path / "plan-2011.xlsx", rows, setup)
    plan = essconv.read_plan(io.BytesIO(path.read_bytes()) if read_only_bytes else path)
    # counted as Excel's SUM counts it: each amount under its own (first) cell, in Decimal
    lines = [r for r in rows[2:] if r[0] != "Total"]
    assert plan.by_funder() == {f: sum(Decimal(r[c]) for r in lines if r[c] is not None)
                                for c, f in ((2, "Région"), (3, "CDC"))}
    # said: each merge whose first cell holds an amount and that covers another amount cell
    header = rows[1]
    expected = []
    for ref in merges:
        c1, r1, c2, r2 = range_boundaries(ref)
        first = rows[r1 - 1][c1 - 1]
        covered = [(rows[r - 1][1], header[c - 1]) for r in range(r1, r2 + 1)
                   for c in range(c1, c2 + 1) if (r, c) != (r1, c1) and r >= 3 and c >= 3]
        if isinstance(first, int) and covered:
            expected.append((r1, c1, ref, rows[r1 - 1][1], header[c1 - 1], covered))
    assert [r[2] for r in expected] == ["C3:D3", "D4:D5"]
    said = [p for p in plan.problems if p.reason and p.reason[0] == "plan-merged-cell"]
    assert [(p.line, p.column) for p in said] == [(r, c) for r, c, *_ in expected]
    for p, (_, _, ref, line, funder, covered) in zip(said, expected):
        assert not p.structural
        assert f"cells {ref} of the sheet 'Plan 2011' are merged" in p.message
        assert f"read as {line} x {funder} alone" in p.message
        assert all(f"{l} x {f} as blank" in p.message for l, f in covered), p.message
        french = language("fr").problem(p).replace("\u00a0", " ").replace("\u202f", " ")
        assert f"les cellules {ref} de la feuille « Plan 2011 » sont fusionnées" in french
        assert f"compté en {line} × {funder} seulement" in french, french
    warned = [(f.source_line, f.source_column, f.severity) for f in plan.validate()
              if f.code == "plan-problem"]
    assert warned == [(r, c, "warning") for r, c, *_ in expected]


def test_a_workbook_with_no_merged_amount_says_nothing_of_merges(tmp_path):
    def setup(wb, ws):
        ws.merge_cells("A1:D1")   # a title over the table
    path = workbook(tmp_path / "plan-2011.xlsx",
                    [["Plan 2011 (k€)"], HEAD, ["DLA", 10, 5, 15], ["Total", 10, 5, 15]], setup)
    plan = essconv.read_plan(path)
    assert plan.validate().ok and not plan.problems


@pytest.mark.parametrize("lang", ["fr", "en"])
def test_a_date_or_a_true_false_cell_among_amounts_is_quoted_as_a_user_sees_it(tmp_path, lang):
    """A date cell and a TRUE/FALSE cell in the amount area were quoted as Python writes them
    ('2010-03-04 00:00:00', 'True'): a French committee reads 04/03/2010 and VRAI, an English
    one 2010-03-04 and TRUE -- in the findings, the reading's problems and a refusal alike."""
    import datetime
    from essconv.messages import language
    day = datetime.datetime(2010, 3, 4)
    rows = [["en k€", "CR", "CDC", "Total"], ["DLA", day, 20, 30], ["Formation", True, 5, 10],
            ["Réseaux", 3, False, 3], ["Total", 18, 25, 43]]
    plan = essconv.read_plan(workbook(tmp_path / "plan-2010.xlsx", rows))
    words = language(lang)
    shown = {"fr": ("04/03/2010", "VRAI", "FAUX"), "en": ("2010-03-04", "TRUE", "FALSE")}[lang]
    report = plan.validate()
    bad = [f for f in report if f.code == "malformed-number"]
    assert [(f.source_line, f.source_column) for f in bad] == [(2, 2), (3, 2), (4, 3)]
    said = [f.message if lang == "en" else words.finding(f, plan) for f in bad]
    problems = [words.problem(p) for p in plan.problems]
    for text in said + problems:
        assert "00:00:00" not in text and "True" not in text and "False" not in text, text
    for value, text in zip(shown, said):
        assert words.quote(value) in text, text
    for value, text in zip(shown, problems):
        assert words.quote(value) in text, text
    # a refused table (a second Total column) lists them as shown too
    refused = [r[:4] + ["Total"] + r[4:] if k == 0 else r[:4] + [r[3]] + r[4:]
               for k, r in enumerate(rows)]
    with pytest.raises(essconv.PlanFormatError) as info:
        essconv.read_plan(workbook(tmp_path / "refused.xlsx", refused))
    listing = words.refusal(info.value)
    assert words.quote(shown[0]) in listing and "00:00:00" not in listing, listing


@pytest.mark.parametrize("title_at", [None, "A1", "B1"])
def test_a_table_beside_a_blank_margin_column_reads_as_the_same_table_at_column_a(tmp_path,
                                                                                  title_at):
    """Many workbooks leave column A blank as a margin, the table starting at B: "en k€" in B3
    was taken for a funder printing a unit, and the plan refused ("no unit over 'CR-NPDC' ...
    print the unit once in the header's first cell", which it did). Read beside its margin,
    the table gives the findings of the same table written from column A, each placed one
    column to the right, at its sheet's cell."""
    table = [["en k€", "CR-NPDC", "CDC", "Total"],
             ["Têtes de réseaux", 197, 20, 217],
             ["DLA", 327, 445, 773],          # one more than 327 + 445
             ["Total", 524, 465, 989]]

    def written(name, left, title):
        def setup(wb, ws):
            if title:
                ws[title] = "Plan de financement 2010"
            for r, row in enumerate(table, start=3):
                for c, value in enumerate(row, start=left):
                    ws.cell(row=r, column=c, value=value)
        return workbook(tmp_path / name, [], setup)

    twin = essconv.read_plan(written("a-2010.xlsx", 1, title_at and "A1"))
    plan = essconv.read_plan(written("b-2010.xlsx", 2, title_at))
    assert plan.lines == twin.lines and plan.funders == twin.funders
    assert plan.total() == twin.total() == Decimal(sum(r[1] + r[2] for r in table[1:3]))
    found = [(f.code, f.severity, f.message, f.source_line, f.source_column) for f in plan.validate()]
    expected = [(f.code, f.severity, f.message, f.source_line, f.source_column + 1)
                for f in twin.validate()]
    assert found == expected and found, found
    # the DLA total's cell, where the test wrote it: row 5, column E (the margin's B + 3)
    assert ("row-total", 5, 5) in [(c, l, col) for c, _, _, l, col in found], found


def test_a_sheet_cell_is_named_as_openpyxl_names_its_column_and_excel_quotes_its_sheet():
    # essconv.messages.sheet_cell, which names a workbook finding's cell, against openpyxl's
    # own column letters over every column a sheet can have, and its quoting of a sheet name
    from openpyxl.utils import get_column_letter, quote_sheetname
    from essconv.messages import sheet_cell
    for column in range(1, 16385):
        assert sheet_cell("Feuil1", 7, column) == f"Feuil1!{get_column_letter(column)}7"
    for name in ("Plan 2010", "l'an 2010", "2010", "Feuil-1"):   # quoted as openpyxl quotes
        assert sheet_cell(name, 1, 1) == f"{quote_sheetname(name)}!A1"
    for name in ("Feuil1", "Données", "Plan_2010"):   # one word: bare, as Excel writes it
        assert sheet_cell(name, 12, 28) == f"{name}!AB12"


#: cells a spreadsheet may hold that Python's str.strip() takes for blank, or not, where the
#: readers' one rule (text.c, essconv.margin.CELL_SPACES) reads them as printed text: an em
#: space, an ideographic space, a medium mathematical space, a zero-width space
PRINTED_SPACES = ["\u2003", "\u3000", "\u205f", "\u200b"]


@pytest.mark.parametrize("space", PRINTED_SPACES)
def test_a_hidden_line_labelled_with_a_space_no_reader_trims_is_said_at_its_label(tmp_path,
                                                                                    space):
    """A line whose label is a space the readers keep (the plan reads the line under that
    label, in CSV as in xlsx) was said hidden at its first amount, quoting the amount as its
    label: the warning took the cell for blank by str.strip()'s wider rule."""
    rows = [HEAD, ["DLA", 10, 5, 15], [space, 7, 1, 8], ["Total", 17, 6, 23]]
    csv = tmp_path / "plan-2021.csv"
    csv.write_text("\n".join(";".join(str(c) for c in row) for row in rows), encoding="utf-8")
    path = workbook(tmp_path / "plan-2021.xlsx", rows, _hide_rows(3))
    plan = essconv.read_plan(path)
    assert plan.lines == essconv.read_plan(csv).lines == ["DLA", space]
    said = [p for p in plan.problems if p.reason and p.reason[0] == "plan-hidden-row"]
    assert [(p.line, p.column, p.reason[4]) for p in said] == [(3, 1, space)]


@pytest.mark.parametrize("space", PRINTED_SPACES)
def test_a_merged_amount_cell_holding_a_space_no_reader_trims_is_said(tmp_path, space):
    """An amount cell holding only such a space is a bad amount to the plan, as in a CSV file
    (printed, not blank); merged over another funder's cell it was said of nothing when
    str.strip() took it for blank, and said when it did not: one rule now, the readers'."""
    rows = [HEAD, ["DLA", space, None, 15], ["CAE", 7, 1, 8], ["Total", 17, 6, 23]]
    csv = tmp_path / "plan-2021.csv"
    csv.write_text("\n".join(";".join("" if c is None else str(c) for c in row) for row in rows),
                   encoding="utf-8")
    bad = [p for p in essconv.read_plan(csv).problems if p.reason[0] == "plan-bad-amount"]
    assert [p.line for p in bad] == [2]

    def setup(wb, ws):
        ws.merge_cells("B2:C2")
    plan = essconv.read_plan(workbook(tmp_path / "plan-2021.xlsx", rows, setup))
    assert [p.line for p in plan.problems if p.reason[0] == "plan-bad-amount"] == [2]
    said = [p for p in plan.problems if p.reason and p.reason[0] == "plan-merged-cell"]
    assert [(p.line, p.column, p.reason[5]) for p in said] == [(2, 2, "B2:C2")]


def test_a_plan_written_to_xlsx_reads_back_with_its_labels_as_written(tmp_path):
    """A label holding a carriage return, or a text that looks like Excel's escape of one
    ("_x000D_"), is written escaped as Excel writes it (_x000D_, _x005F_); the reader took the
    escapes for the text: the plan written read back with other labels ("a_x000D_b",
    "_x005F_x0041_"), lines a comparison of the two years no longer matched."""
    from essconv.xlsx import write_plan_xlsx
    source = tmp_path / "plan-2021.csv"
    source.write_bytes("Ligne;CDC;CR;Total\n\"a\rb\";1;2;3\n_x0041_;1;1;2\nx_x005F_y;0;1;1\n"
                       "Total;2;4;6\n".encode())
    plan = essconv.read_plan(source)
    assert plan.lines[1:] == ["_x0041_", "x_x005F_y"]
    written = tmp_path / "written-2021.xlsx"
    write_plan_xlsx(plan, written)
    back = essconv.read_plan(written)
    assert back.lines == plan.lines
    assert back.by_line() == plan.by_line()


def test_a_carriage_return_excel_escaped_in_a_cell_is_read_as_the_csv_reader_reads_it(tmp_path):
    # Excel keeps a CR of a cell's text as _x000D_ in the file (XML would read a bare CR as a
    # line feed): the label "DLA_x000D_bis" was read where the same text in a CSV file reads
    # as the line "DLA bis"
    src = workbook(tmp_path / "src.xlsx", [HEAD, ["DLAzzzbis", 1, 2, 3], ["Total", 1, 2, 3]])
    dst = tmp_path / "plan-2021.xlsx"
    with zipfile.ZipFile(src) as zin, zipfile.ZipFile(dst, "w") as zout:
        for item in zin.infolist():
            data = zin.read(item.filename)
            if item.filename == "xl/worksheets/sheet1.xml":
                assert data.count(b"DLAzzzbis") == 1
                data = data.replace(b"DLAzzzbis", b"DLA_x000D_bis")
            zout.writestr(item, data)
    csv = tmp_path / "plan-2021.csv"
    csv.write_bytes("Ligne;CDC;CR;Total\n\"DLA\rbis\";1;2;3\nTotal;1;2;3\n".encode())
    assert essconv.read_plan(dst).lines == essconv.read_plan(csv).lines
    assert "_x000D_" not in essconv.read_plan(dst).lines[0]
