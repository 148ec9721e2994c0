"""A plan's column of notes ("Commentaires", "Observations", "Remarques"): the committee's
remarks beside the figures, never a funder.  Read as one, each remark was an error and the
column a funder at 0 in by_funder(); a number typed in it was added to every total."""
from __future__ import annotations

import io
from decimal import Decimal

import pytest

import essconv
from essconv.plan import TOTAL


def csv_plan(rows: list[list[str]]) -> essconv.Plan:
    return essconv.read_plan(io.BytesIO("\n".join(";".join(r) for r in rows).encode("utf-8")))


def xlsx_plan(rows: list[list[object]], tmp_path) -> essconv.Plan:
    openpyxl = pytest.importorskip("openpyxl")
    wb = openpyxl.Workbook()
    for row in rows:
        wb.active.append(row)
    path = tmp_path / "plan-2010.xlsx"
    wb.save(path)
    return essconv.read_plan(path)


def amount(text: str) -> Decimal:
    return Decimal(text.replace(" ", "").replace(",", ".")) if text.strip() else Decimal(0)


def twin_by_funder(rows: list[list[str]], funders: list[str]) -> dict[str, Decimal]:
    """The slow twin: each funder's column summed by Decimal over the lines (not Total)."""
    header = rows[0]
    return {f: sum((amount(r[header.index(f)]) for r in rows[1:]
                    if r[0].strip() and r[0] != "Total"), Decimal(0)) for f in funders}


HEADERS = ["Commentaires", "Observations", "Remarques", "Commentaire"]


@pytest.mark.parametrize("word", HEADERS)
@pytest.mark.parametrize("where", ["after-total", "between-funders"])
@pytest.mark.parametrize("dress", ["csv", "xlsx"])
def test_a_notes_column_is_set_aside_from_every_sum_its_texts_kept(word, where, dress, tmp_path):
    base = [["en k€", "CR", "CDC", "Total"],
            ["DLA", "10", "20", "30"],
            ["Formation", "5", "5", "10"],
            ["Total", "15", "25", "40"]]
    notes = {"DLA": "à revoir en comité", "Formation": "12", TOTAL: "voté le 4/03"}
    at = 4 if where == "after-total" else 2
    rows = [r[:at] + [word if k == 0 else notes.get(r[0] if r[0] != "Total" else TOTAL, "")]
            + r[at:] for k, r in enumerate(base)]
    if dress == "csv":
        plan = csv_plan(rows)
        place = (1, len(";".join(rows[0][:at])) + 2)
    else:   # numbers as numbers, the note "12" a number cell too
        cells = [[c if k == 0 or j == 0 or not c.isdigit() else int(c)
                  for j, c in enumerate(r)] for k, r in enumerate(rows)]
        plan = xlsx_plan(cells, tmp_path)
        place = (1, at + 1)
    assert plan.funders == ["CR", "CDC"]
    assert plan.by_funder() == twin_by_funder(base, ["CR", "CDC"])
    assert plan.total() == Decimal(40)
    assert plan.notes == notes
    report = plan.validate()
    assert report.ok, [str(f) for f in report]
    # said once, at the column's header cell, naming it, in both languages
    said = [f for f in report if f.code == "plan-problem"]
    assert len(said) == 1 and said[0].severity == "warning", [str(f) for f in report]
    assert (said[0].source_line, said[0].source_column) == place
    assert f"'{word}'" in said[0].message and "notes" in said[0].message
    french = essconv.messages.language("fr").finding(said[0], plan)
    assert f"« {word} »" in french.replace("\u00a0", " ") and "remarques" in french, french


def test_a_funder_whose_name_starts_like_a_note_word_stays_a_funder(tmp_path):
    rows = [["en k€", "CR", "Observatoire", "Total"], ["DLA", "10", "20", "30"],
            ["Formation", "5", "7", "12"], ["Total", "15", "27", "42"]]
    for plan in (csv_plan(rows),
                 xlsx_plan([[int(c) if c.isdigit() else c for c in r] for r in rows], tmp_path)):
        assert plan.funders == ["CR", "Observatoire"]
        assert plan.by_funder() == twin_by_funder(rows, ["CR", "Observatoire"])
        assert plan.notes == {} and plan.validate().ok


def test_notes_on_an_axis_row_and_a_repeated_line_are_kept_under_their_rows_labels():
    rows = [["Axe", "Action", "CR", "CDC", "Total", "Observations"],
            ["Axe 1", "DLA", "10", "20", "30", "prioritaire"],
            ["Axe 2", "DLA", "1", "2", "3", "nouveau"],
            ["Total", "", "11", "22", "33", ""]]
    plan = csv_plan(rows)
    assert plan.funders == ["CR", "CDC"] and plan.total() == Decimal(33)
    assert plan.notes == {("Axe 1", "DLA"): "prioritaire", ("Axe 2", "DLA"): "nouveau"}


def test_notes_survive_a_pickle_and_a_corrected_copy():
    import pickle
    rows = [["en k€", "CR", "CDC", "Total", "Remarques"], ["DLA", "10", "20", "30", "à revoir"],
            ["Formation", "5", "7", "12", ""], ["Réseaux", "3", "9", "12", ""],
            ["Total", "18", "36", "54", ""]]
    rows[2][2] = "70"   # a digit typed twice: one cell explains every total
    plan = csv_plan(rows)
    assert pickle.loads(pickle.dumps(plan)).notes == {"DLA": "à revoir"}
    fixed = plan.with_corrections(plan.validate())
    assert fixed.validate().ok and fixed.cell("Formation", "CDC") == Decimal(7) and fixed.notes == {"DLA": "à revoir"}


def test_a_plan_refused_in_structure_lists_no_remark_as_an_unreadable_amount():
    rows = [["en k€", "CR", "CDC", "Total", "Commentaires"], ["DLA", "10", "20", "30", "vu"],
            ["Sous-total Axe 1", "10", "20", "30", "à voir"], ["Total", "10", "20", "30", ""]]
    with pytest.raises(essconv.PlanFormatError) as info:
        csv_plan(rows)
    said = [p.message for p in info.value.problems]
    assert not any("'vu'" in m or "'à voir'" in m for m in said), said


def test_the_json_of_a_plan_and_convert_keep_its_notes(tmp_path, capsys):
    import json
    from essconv.cli import main
    rows = [["Axe", "Action", "CR", "CDC", "Total", "Commentaires"],
            ["Axe 1", "DLA", "10", "20", "30", "prioritaire"],
            ["Axe 2", "DLA", "1", "2", "3", ""],
            ["Axe 2", "Formation", "4", "5", "9", "nouveau ; à suivre"],
            ["Total", "", "15", "27", "42", "voté"]]
    path = tmp_path / "plan-2010.csv"
    path.write_text("\n".join(";".join(f'"{c}"' if ";" in c else c for c in r) for r in rows),
                    encoding="utf-8")
    want = [{"axis": r[0], "line": r[1], "text": r[5]} for r in rows[1:-1] if r[5]] + [
        {"axis": None, "line": None, "text": "voté"}]
    assert essconv.read_plan(path).to_dict()["notes"] == want
    assert main(["convert", str(path), "--to", "json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["notes"] == want and data["total"] == "42"


def test_a_plan_of_one_funder_beside_its_remarks_is_still_read():
    """"Action;CDC;Commentaires": without the remarks the header has too few cells for the
    header search; it is read at the header found with them, never refused."""
    plan = csv_plan([["en k€", "CDC", "Commentaires"], ["DLA", "10", "à voir"],
                     ["Formation", "5", ""]])
    assert plan.cell("DLA", "CDC") == Decimal(10) and plan.cell("Formation", "CDC") == Decimal(5)
    assert plan.funders == ["CDC"] and plan.notes == {"DLA": "à voir"}


def test_a_plan_of_one_funder_sets_its_remarks_aside_too(tmp_path):
    """"Ligne;Région;Observations": without its remarks the header has two cells, too few for
    the header search -- the remarks were read as a second funder, and a number typed among
    them added to every total."""
    rows = [["Ligne", "Région", "Observations"], ["DLA", "10", "à voir"],
            ["Formation", "5", "12"]]
    cells = [[int(c) if c.isdigit() else c for c in r] for r in rows]
    for plan in (csv_plan(rows), xlsx_plan(cells, tmp_path)):
        assert plan.funders == ["Région"]
        assert plan.by_funder() == twin_by_funder(rows, ["Région"])
        assert plan.total() == sum(twin_by_funder(rows, ["Région"]).values())
        assert plan.notes == {"DLA": "à voir", "Formation": "12"}
        said = [f for f in plan.validate() if f.code == "plan-problem"]
        # the table prints no unit: read in euros, said at its header's first cell too
        assert [(f.source_line, f.source_column) for f in said
                if "read in euros" in f.message] == [(1, 1)]
        said = [f for f in said if "read in euros" not in f.message]
        assert [(f.source_line, f.severity) for f in said] == [(1, "warning")], \
            [str(f) for f in said]
        assert "'Observations'" in said[0].message


def _dressed(rows: list[list[str]], dress: str) -> bytes:
    """The plan's rows as a file would print them."""
    sep = {"tab": "\t", "comma": ","}.get(dress, ";")
    text = "\r\n".join(sep.join(r) for r in rows) + "\r\n"
    if dress == "cp1252":
        return text.encode("cp1252")
    return (b"\xef\xbb\xbf" if dress == "bom" else b"") + text.encode("utf-8")


#: (header cells, where the note column goes): a funder between, after the Total, before it
LAYOUTS = {
    "after-total": ["Action", "CR", "CDC", "Total", "{note}"],
    "between-funders": ["Action", "CR", "{note}", "CDC", "Total"],
    "before-total": ["Action", "CR", "CDC", "{note}", "Total"],
    "one-funder": ["Action", "CR", "{note}"],
}


@pytest.mark.parametrize("dress", ["semicolon", "tab", "comma", "cp1252", "bom"])
@pytest.mark.parametrize("note", ["Observations", "Précisions", "Remarques éventuelles",
                                  "Commentaires du comité", "\u00a0Observations"])
@pytest.mark.parametrize("layout", LAYOUTS)
@pytest.mark.parametrize("above", ["none", "title", "title-of-three-cells"])
def test_every_dress_of_a_plan_sets_the_same_notes_column_aside(dress, note, layout, above):
    """The header search that finds the table's header finds its column of notes: whatever
    the separator, the encoding, a BOM, a unit in the corner, a title above the header (one
    cell, or three like the header's own count), the note column is never a funder."""
    header = [c.format(note=note) for c in LAYOUTS[layout]]
    if dress != "comma":
        header[0] = "en k€"
    figures = {"CR": ["10", "5"], "CDC": ["20", "7"]}
    lines = ["DLA", "Formation"]
    remarks = ["à revoir", "8"]   # a text, and a number typed among the remarks
    rows = [header]
    for i, line in enumerate(lines):
        row = []
        for h in header:
            if h == header[0]:
                row.append(line)
            elif h == note:
                row.append(remarks[i])
            elif h == "Total":
                row.append(str(sum(int(figures[f][i]) for f in header if f in figures)))
            else:
                row.append(figures[h][i])
        rows.append(row)
    title = {"none": [], "title": [["Convention ESS 2010 : plan de financement"], []],
             "title-of-three-cells": [["Convention ESS", "Annexe 1", "2010"]]}[above]
    plan = essconv.read_plan(io.BytesIO(_dressed(title + rows, dress)))
    funders = [h for h in header[1:] if h in figures]
    assert plan.funders == funders
    assert plan.by_funder() == twin_by_funder(rows, funders)
    assert plan.notes == dict(zip(lines, remarks))
    assert plan.unit == ("k€" if dress != "comma" else "€")
    said = [f for f in plan.validate() if f.code == "plan-problem"]
    # a comma-separated dress prints no unit: read in euros, said at its header's first cell
    assert [(f.source_line, f.source_column) for f in said if "read in euros" in f.message] == (
        [(len(title) + 1, 1)] if dress == "comma" else [])
    said = [f for f in said if "read in euros" not in f.message]
    assert [(f.source_line, f.source_column) for f in said] == [
        (len(title) + 1, len(";".join(header[:header.index(note)])) + 2)], [str(f) for f in said]


@pytest.mark.parametrize("dress", ["csv", "xlsx"])
def test_a_figure_among_the_remarks_is_added_to_no_sum_and_said_by_its_cell(dress, tmp_path):
    """Remarks in some rows and an amount in another ("7,5" typed in the wrong column?): it
    is kept as a note, never added, and the column's one warning names its cell."""
    rows = [["en k€", "CR", "CDC", "Total", "Observations"],
            ["DLA", "10", "20", "30", "à revoir"],
            ["Formation", "5", "5", "10", "7,5"],
            ["Réseaux", "1", "2", "3", ""],
            ["Total", "16", "27", "43", "voté"]]
    if dress == "csv":
        plan = csv_plan(rows)
        column = len(";".join(rows[2][:4])) + 2
    else:
        plan = xlsx_plan([[int(c) if c.isdigit() else c for c in r] for r in rows], tmp_path)
        column = 5
    assert plan.by_funder() == twin_by_funder(rows, ["CR", "CDC"])
    assert plan.total() == sum(twin_by_funder(rows, ["CR", "CDC"]).values())
    assert plan.notes["Formation"] == "7,5"
    report = plan.validate()
    said = [f for f in report if f.code == "plan-problem"]
    assert len(said) == 1 and said[0].severity == "warning" and report.ok, [str(f) for f in report]
    assert f"'7,5' (Formation, line 3, column {column})" in said[0].message, said[0].message
    assert "'à revoir'" not in said[0].message and "'voté'" not in said[0].message
    french = essconv.messages.language("fr").finding(said[0], plan).replace("\u00a0", " ")
    assert f"« 7,5 » (Formation, ligne 3, colonne {column})" in french, french
    assert "hors de toute somme" in french


@pytest.mark.parametrize("lang, heading", [("fr", "Remarques"), ("en", "Remarks")])
def test_the_xlsx_of_a_plan_keeps_its_notes_on_their_rows_and_reads_back_the_same(
        lang, heading, tmp_path):
    openpyxl = pytest.importorskip("openpyxl")
    from essconv.xlsx import write_plan_xlsx
    rows = [["Axe", "Action", "CR", "CDC", "Total", "Commentaires"],
            ["Axe 1", "DLA", "10", "20", "30", "prioritaire"],
            ["Axe 2", "DLA", "1", "2", "3", ""],
            ["Axe 2", "Formation", "4", "5", "9", "= à suivre"],
            ["Total", "", "15", "27", "42", "voté"]]
    plan = csv_plan(rows)
    out = tmp_path / "plan-2010.xlsx"
    write_plan_xlsx(plan, out, plan.validate(), lang=lang)
    sheet = [list(r) for r in openpyxl.load_workbook(out).worksheets[0].iter_rows(values_only=True)]
    assert sheet[0][-1] == heading
    # each remark on the row of its axis and line, the Total's on the Total row (the sheet
    # prints an axis once, on its first line: carried down)
    written, axis = {}, None
    for r in sheet[1:]:
        axis = r[0] if r[0] is not None else axis
        if r[-1] is not None:
            written[(axis, r[1])] = r[-1]
    assert written == {(r[0], r[1] or None): r[5] for r in rows[1:] if r[5]}
    again = essconv.read_plan(out)
    assert again.notes == plan.notes and again.by_funder() == plan.by_funder()


@pytest.mark.parametrize("delimiter", [";", "\t"])
def test_the_csv_of_a_plan_keeps_its_notes_on_their_rows_and_reads_back_the_same(delimiter):
    import csv
    from essconv.export import plan_delimited
    rows = [["Axe", "Action", "CR", "CDC", "Total", "Commentaires"],
            ["Axe 1", "DLA", "10", "20", "30", "prioritaire"],
            ["Axe 2", "DLA", "1", "2", "3", ""],
            ["Axe 2", "Formation", "4", "5", "9", "=à suivre"],
            ["Total", "", "15", "27", "42", "voté"]]
    plan = csv_plan(rows)
    text = plan_delimited(plan, delimiter)
    written = list(csv.reader(io.StringIO(text), delimiter=delimiter))
    assert written[0][-1] == "Remarques"
    axis, found = None, {}
    for r in written[1:]:
        axis = r[0] or axis
        if r[-1]:
            found[(axis, r[1])] = r[-1]
    # the remark starting with "=" is guarded as every text cell of the export is
    assert found == {(r[0], r[1]): ("'" + r[5] if r[5].startswith("=") else r[5])
                     for r in rows[1:] if r[5]}
    again = essconv.read_plan(io.BytesIO(text.encode("utf-8")))
    assert again.by_funder() == plan.by_funder()
    assert set(again.notes) == set(plan.notes)


@pytest.mark.parametrize("odd", ["\u2003", "\u200b", "\u2003voir en comité\u2003"])
def test_a_notes_cell_is_blank_or_trimmed_by_the_rule_a_label_is(odd):
    """One rule of white space for every cell read (essconv.margin, the core's ess_text_trim):
    an em space or a zero-width space is printed, not blank, and kept as a label keeps it.
    The notes were judged by str.strip(), wider: a note of an em space alone was dropped and
    one written between em spaces lost them, where the same text as a line's label stays."""
    as_label = csv_plan([["en k€", "CR", "CDC", "Total"], [odd, "10", "20", "30"],
                         ["Formation", "5", "5", "10"], ["Total", "15", "25", "40"]])
    assert as_label.lines[0] == odd
    plan = csv_plan([["en k€", "CR", "CDC", "Total", "Observations"],
                     ["DLA", "10", "20", "30", odd], ["Formation", "5", "5", "10", "ok"],
                     ["Total", "15", "25", "40", "\u00a0"]])
    assert plan.notes == {"DLA": odd, "Formation": "ok"}
