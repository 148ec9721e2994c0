"""What a funding committee sees of a wrong plan: every finding that names a cell marks it, in
every view (the .xlsx export, the heat map), each view in one language; and a report never
says a plan is mended by fewer edits than it takes."""
from __future__ import annotations

import io
from decimal import Decimal as D

import pytest

import essconv


def _read(text: str) -> essconv.Plan:
    return essconv.read_plan(io.BytesIO(text.encode()))


CLEAN = ("Action;A;B;C;Total\n"
         "L1;10;20;5;35\n"
         "L2;5;15;7;27\n"
         "L3;8;3;2;13\n"
         "Total;23;38;14;75\n")
#: two typos (01 for 10 under A, 30 for 3 under B): one correction-set of two edits
TWO_TYPOS = CLEAN.replace("L1;10;20", "L1;01;20").replace("L3;8;3;", "L3;8;30;")


def _xlsx(plan: essconv.Plan, lang: str):
    openpyxl = pytest.importorskip("openpyxl")
    from essconv.xlsx import write_plan_xlsx
    out = io.BytesIO()
    write_plan_xlsx(plan, out, plan.validate(), lang=lang)
    out.seek(0)
    return openpyxl.load_workbook(out).worksheets[0]


@pytest.mark.parametrize("lang", ["fr", "en"])
def test_each_cell_of_a_correction_set_is_marked_in_the_xlsx_export(lang):
    """A single correction's cell was green with its comment; the two cells of a correction-set
    were left as if they held, the set said only in the findings sheet."""
    plan = _read(TWO_TYPOS)
    (fix,) = plan.validate().suggestions
    assert fix.code == "correction-set"
    ws = _xlsx(plan, lang)
    header = [c.value for c in ws[1]]
    labels = [ws.cell(row=r, column=1).value for r in range(1, ws.max_row + 1)]
    # the typed cells, found in the sheet by their labels as the file prints them
    typed = {(labels.index(line) + 1, header.index(funder) + 1)
             for line, funder in (("L1", "A"), ("L3", "B"))}
    suggested = {(c.row, c.column) for row in ws.iter_rows() for c in row
                 if c.comment is not None and "[correction-set]" in c.comment.text}
    assert suggested == typed
    for r, c in typed:
        cell = ws.cell(row=r, column=c)
        assert cell.fill.fgColor.rgb.endswith("E3F6E3")     # green: the likely fix
        # the set's edits said on each of its cells, with both values to type
        assert "10" in cell.comment.text and "3" in cell.comment.text
    # a single correction is marked as before (the mark of a set is not a new kind of mark)
    single = _read(CLEAN.replace("L1;10;20", "L1;01;20"))
    ws1 = _xlsx(single, lang)
    assert [(c.row, c.column) for row in ws1.iter_rows() for c in row
            if c.comment is not None and "[cell-correction]" in c.comment.text] == [
        (labels.index("L1") + 1, header.index("A") + 1)]


@pytest.mark.parametrize("lang, corner, foreign", [("fr", "en €", "in €"), ("en", "in €", "en €")])
def test_the_xlsx_plan_sheet_heading_speaks_the_export_language(lang, corner, foreign):
    """An export with English on request kept the French 'en €' over its lines."""
    ws = _xlsx(_read(TWO_TYPOS), lang)
    assert ws.cell(row=1, column=1).value == corner
    texts = [c.value for row in ws.iter_rows() for c in row if isinstance(c.value, str)]
    assert foreign not in texts
    # the annex in k€, through the CLI, its axes column beside it
    from essconv.cli import main
    openpyxl = pytest.importorskip("openpyxl")
    import pathlib
    import tempfile
    annex = pathlib.Path(essconv.__file__).parent / "data" / "annexe1-2009.tsv"
    with tempfile.TemporaryDirectory() as tmp:
        out = pathlib.Path(tmp) / "plan.xlsx"
        assert main(["convert", str(annex), "--to", "xlsx", "-o", str(out), "--lang", lang]) == 0
        sheet = openpyxl.load_workbook(out).worksheets[0]
        assert sheet.cell(row=1, column=1).value == corner.replace("€", "k€")


TWO_AXES = ("Action;A;B;Total\n"
            "Axe 1 : Structurer;15;35;50\n"
            "L1;10;20;30\n"
            "L2;5;15;20\n"
            "Axe 2 : Développer;7;3;10\n"
            "L3;7;3;10\n"
            "Total;22;38;60\n")


def _heatmap(plan: essconv.Plan, lang: str):
    from conftest import UNDER_ASAN
    if UNDER_ASAN:
        pytest.skip("matplotlib under a preloaded libasan")
    matplotlib = pytest.importorskip("matplotlib")
    matplotlib.use("Agg")
    return plan.plot.heatmap(lang=lang), matplotlib


def _framed(ax, colour):
    """The (rows, columns) labels each rectangle of ``colour`` covers, from the axes' ticks."""
    rows = [t.get_text() for t in ax.get_yticklabels()]
    cols = [t.get_text() for t in ax.get_xticklabels()]
    from matplotlib.colors import to_rgba
    out = []
    for p in ax.patches:
        if tuple(p.get_edgecolor()) != to_rgba(colour):
            continue
        (x, y), w, h = p.get_xy(), p.get_width(), p.get_height()
        out.append(([rows[k] for k in range(round(y + 0.5), round(y + 0.5 + h))],
                    [cols[k] for k in range(round(x + 0.5), round(x + 0.5 + w))]))
    return out


@pytest.mark.parametrize("lang, said, foreign", [("fr", "sous-total imprimé 51", "printed"),
                                                 ("en", "sub-total printed 51", "imprimé")])
def test_the_heatmap_marks_a_wrong_sub_total(lang, said, foreign):
    """'Axe 1 : Structurer;51;35' over lines giving 15 under A: the heat map framed a line's
    wrong cell but showed this plan as if every figure held."""
    plan = _read(TWO_AXES.replace("Structurer;15;35", "Structurer;51;35"))
    (sub,) = [f for f in plan.validate() if f.code == "subtotal"]
    ax, matplotlib = _heatmap(plan, lang)
    # the cells the sub-total covers: Axe 1's lines under A, framed red
    assert _framed(ax, "red") == [(plan.lines_of(sub.group), [sub.funder])]
    texts = [t.get_text() for t in ax.texts]
    assert any(said in t for t in texts) and not any(foreign in t for t in texts)
    matplotlib.pyplot.close(ax.figure)
    # a sub-total under Total: every funder's cells of the axis
    plan = _read(TWO_AXES.replace("Développer;7;3;10", "Développer;7;3;11"))
    ax, matplotlib = _heatmap(plan, lang)
    assert _framed(ax, "red") == [(["L3"], ["A", "B"])]
    matplotlib.pyplot.close(ax.figure)
    # a plan whose every figure holds: nothing framed
    ax, matplotlib = _heatmap(_read(TWO_AXES), lang)
    assert not ax.patches
    matplotlib.pyplot.close(ax.figure)


def _single_edits_that_mend(text: str) -> list[str]:
    """Slow twin: every plan one figure away from ``text`` that the reader finds wholly
    consistent -- each line's cell set to what its line total implies, each axis row's
    sub-total set to what its lines give -- read again and validated whole."""
    rows = [r.split(";") for r in text.strip().split("\n")]
    width = len(rows[0])
    mended = []
    for r, row in enumerate(rows[1:-1], start=1):
        is_axis = row[0].startswith("Axe")
        for c in range(1, width):
            trial = [list(x) for x in rows]
            if is_axis:   # the sub-total: the sum of the axis's lines below it
                k, value = r + 1, 0
                while k < len(rows) - 1 and not rows[k][0].startswith("Axe"):
                    value += int(rows[k][c] or 0) if c < width - 1 else sum(
                        int(v or 0) for v in rows[k][1:-1])
                    k += 1
            elif c < width - 1:   # a cell: what its line's Total leaves for it
                value = int(row[-1]) - sum(int(v or 0) for k, v in enumerate(row[1:-1], 1)
                                           if k != c)
            else:
                continue
            trial[r][c] = str(value)
            candidate = "\n".join(";".join(x) for x in trial) + "\n"
            if _read(candidate).validate().ok:
                mended.append(candidate)
    return mended


def test_one_allowed_edit_never_passes_for_the_fix_of_a_plan_it_does_not_mend():
    """A line typo (30 for 3 in L3 x B) and a sub-total typo (51 for 15 above Axe 1's A):
    validate(max_faults=1) ranked L3 x B = 3 first, 'reconciles' its totals, as if one edit
    mended the plan; after it the sub-total still differed."""
    text = (TWO_AXES.replace("Structurer;15;35", "Structurer;51;35")
            .replace("L3;7;3;10", "L3;7;30;10"))
    plan = _read(text)
    assert _single_edits_that_mend(text) == []   # the twin: no single edit mends it
    # (and it finds the one edit that mends the line typo alone)
    assert len(_single_edits_that_mend(TWO_AXES.replace("L3;7;3;10", "L3;7;30;10"))) == 1
    report = plan.validate(max_faults=1)
    assert not report.ok
    # no suggestion says it mends the plan ...
    assert [f for f in report.suggestions if not f.partial] == []
    # ... and the report says it takes more than one, in both languages
    (why,) = [f for f in report if f.code == "unexplained"]
    assert why.faults == 2 and why.partial
    from essconv.messages import language
    assert "au moins 2" in language("fr").finding(why, plan)
    assert "at least 2" in language("en").finding(why, plan)
    # the edit it lists mends the totals but not the sub-total, as said
    (part,) = report.suggestions
    assert (part.line, part.funder, part.expected) == ("L3", "B", D(3))
    assert "in part" in part.message and "en partie" in language("fr").finding(part, plan)
    after = plan.with_corrections([part]).validate()
    assert [f.code for f in after.errors] == ["subtotal"]
    # with room for two edits, the set of both is the fix, and applied it validates
    (fix,) = plan.validate(max_faults=2).suggestions
    assert fix.code == "correction-set" and not fix.partial
    assert plan.with_corrections([fix]).validate().ok


def test_a_set_that_leaves_a_sub_total_off_is_said_partial_in_both_languages():
    """Two line typos and a sub-total typo with room for two edits: the two cell edits mend
    every total but the sub-total, and were said to 'reconcile every total'."""
    text = (TWO_AXES.replace("Structurer;15;35", "Structurer;51;35")
            .replace("L3;7;3;10", "L3;7;30;10").replace("L2;5;15;20", "L2;5;51;20"))
    plan = _read(text)
    report = plan.validate(max_faults=2)
    (part,) = report.suggestions
    assert part.code == "correction-set" and part.partial
    (why,) = [f for f in report if f.code == "unexplained"]
    assert why.faults == 3
    from essconv.messages import language
    fr, en = language("fr").finding(part, plan), language("en").finding(part, plan)
    assert "pas tous les sous-totaux" in fr and "tous les totaux" not in fr
    assert "not every sub-total" in en and "every total:" not in en
    assert [f.code for f in plan.with_corrections([part]).validate().errors] == ["subtotal"]
    (fix,) = plan.validate(max_faults=3).suggestions
    assert not fix.partial and plan.with_corrections([fix]).validate().ok


@pytest.mark.parametrize("to, sep", [("csv", ";"), ("tsv", "\t")])
@pytest.mark.parametrize("lang, corner", [("fr", "en k€"), ("en", "in k€")])
def test_a_csv_or_tsv_plan_export_heading_speaks_the_cli_language(capsys, to, sep, lang, corner):
    """`essconv convert --to csv --lang en` wrote 'en k€' over the lines of an English export;
    the reader takes either corner back as the plan's unit."""
    import pathlib
    from essconv.cli import main
    annex = pathlib.Path(essconv.__file__).parent / "data" / "annexe1-2009.tsv"
    assert main(["convert", str(annex), "--to", to, "--lang", lang]) == 0
    text = capsys.readouterr().out
    assert text.split("\n")[0].split(sep)[0] == corner
    back = essconv.read_plan(text.encode())
    original = essconv.read_plan(annex.read_bytes())
    assert back.unit == "k€" and back.total() == original.total()
    assert list(back.cells()) == list(original.cells())


def test_the_heatmap_marks_a_repeated_line_label_under_its_own_axis():
    """'Fonct' under each axis, 04 typed for 40 in Axe 2's: the heat map framed Axe 1's 4,
    which holds, and left the wrong cell unframed."""
    text = ("en k€\t\tA\tB\tTotal\nAxe 1\tFonct\t3\t4\t7\n\tÉtudes\t1\t\t1\n"
            "Axe 2\tFonct\t30\t04\t70\n\tÉtudes\t2\t2\t4\nTotal\t\t36\t46\t82\n")
    plan = essconv.read_plan(text.encode(), year=2010)
    (fix,) = plan.validate().suggestions
    assert (fix.group, fix.line, fix.funder, fix.expected) == ("Axe 2", "Fonct", "B", D(40))
    # the matrix's rows are the file's lines in order: Axe 2's Fonct is the third
    lines = [r.split("\t") for r in text.split("\n")[1:-2]]
    row = [k for k, r in enumerate(lines) if r[0] == "Axe 2"][0]
    column = text.split("\n")[0].split("\t")[2:].index("B")
    ax, matplotlib = _heatmap(plan, "fr")
    from matplotlib.colors import to_rgba
    green = [p.get_xy() for p in ax.patches if tuple(p.get_edgecolor()) == to_rgba("green")]
    assert green == [(column - 0.5, row - 0.5)]
    (hint,) = [t for t in ax.texts if t.get_text().startswith("→")]
    assert hint.get_text() == "→ 40" and round(hint.get_position()[1]) == row
    matplotlib.pyplot.close(ax.figure)


def test_the_heatmap_frames_both_cells_of_a_move():
    """L2's 15 typed under C where B is blank and B's total misses 15: the heat map framed C
    alone, with no word of where the value goes; the displays mark both cells."""
    text = ("Action;A;B;C;Total\nL1;10;20;5;35\nL2;5;;15;20\nL3;8;3;2;13\n"
            "Total;23;38;7;68\n")
    plan = _read(text)
    (move,) = plan.validate().suggestions
    assert (move.code, move.line, move.funder, move.target) == ("cell-move", "L2", "C", "B")
    ax, matplotlib = _heatmap(plan, "fr")
    assert sorted(_framed(ax, "green")) == [(["L2"], ["B"]), (["L2"], ["C"])]
    texts = [t.get_text() for t in ax.texts]
    assert "→ B" in texts and "← 15" in texts
    matplotlib.pyplot.close(ax.figure)


def test_a_mistyped_total_that_leaves_a_sub_total_off_says_so_in_both_languages():
    """A line total typo (100 for 10 in L3) and a sub-total typo (51 for 15 above Axe 1's A)
    with room for one edit: the total-correction said "the cells and every other total agree"
    while Axe 1's sub-total still differs after it.  It is partial and says which still do
    not: the sub-totals."""
    text = (TWO_AXES.replace("Structurer;15;35", "Structurer;51;35")
            .replace("L3;7;3;10", "L3;7;3;100"))
    plan = _read(text)
    report = plan.validate(max_faults=1)
    (part,) = report.suggestions
    assert (part.code, part.line, part.expected, part.partial) == ("total-correction", "L3",
                                                                   D(10), True)
    # what it claims, checked: applied, only the sub-total still differs
    assert [f.code for f in plan.with_corrections([part]).validate().errors] == ["subtotal"]
    from essconv.messages import language
    fr = language("fr").finding(part, plan).replace("\u202f", " ").replace("\u00a0", " ")
    en = language("en").finding(part, plan)
    assert "tous les autres totaux concordent" not in fr and \
        "les cellules et les autres totaux concordent, mais pas tous les sous-totaux" in fr, fr
    assert "every other total agree" not in en and \
        "the cells and the other totals agree, but not every sub-total" in en, en
    assert part.message == en.replace("\u00a0", " ")
    # one edit for both, when the plan has room for two, is no longer partial: said as before
    (fix,) = _read(TWO_AXES.replace("L3;7;3;10", "L3;7;3;100")).validate().suggestions
    assert not fix.partial and "every other total agree" in fix.message
