"""Plans as analysts dress them in Excel and Word: cost columns, sub-total and share columns,
"dont" sub-lines, spacer columns, title rows, percentage-formatted cells.

Each test builds the table from Python values and compares what essconv gives with sums
computed here, with Decimal, from those same values (never from essconv's answer)."""
from __future__ import annotations

import io
from pathlib import Path
from decimal import Decimal

import pytest

import essconv

D = Decimal


def _text(value):
    """A value as a French table prints it ("1 234,5"), or '' for None."""
    if value is None:
        return ""
    if isinstance(value, str):
        return value
    whole, _, frac = format(value, "f").partition(".")
    sign = "-" if whole.startswith("-") else ""
    whole = whole.lstrip("-")
    groups = []
    while len(whole) > 3:
        groups.insert(0, whole[-3:])
        whole = whole[:-3]
    groups.insert(0, whole)
    return sign + " ".join(groups) + ("," + frac if frac.strip("0") else "")


def _table(header, rows, sep=";"):
    return ("\n".join(sep.join(_text(v) for v in row) for row in [header] + rows) + "\n").encode()


def _read(data, **kw):
    return essconv.read_plan(io.BytesIO(data), **kw)


# the cells of a small plan: line -> funder amounts (None: blank)
FUNDERS = ["CR", "CG-59", "CDC"]
CELLS = {"Têtes de réseaux": [D(197), D(20), None],
         "Observatoire": [D(13), None, D("10.5")],
         "DLA": [D(327), D(274), D(62)]}


def _oracle():
    by_funder = {f: sum((row[j] for row in CELLS.values() if row[j] is not None), D(0))
                 for j, f in enumerate(FUNDERS)}
    by_line = {line: sum((v for v in row if v is not None), D(0)) for line, row in CELLS.items()}
    return by_funder, by_line, sum(by_line.values(), D(0))


def _assert_sums(plan):
    by_funder, by_line, total = _oracle()
    assert plan.funders == FUNDERS
    assert plan.lines == list(CELLS)
    assert plan.by_funder() == by_funder
    assert plan.by_line() == by_line
    assert plan.total() == total


# ---------------------------------------------------------------- a cost column beside funders

@pytest.mark.parametrize("name", ["Coût total", "Budget total", "Montant total du projet",
                                  "Financement total", "Coût total (k€)", "COÛT TOTAL",
                                  "Dépenses totales", "Total", "Total (k€)", "Montant total"])
def test_a_cost_total_column_is_the_total_column_never_a_funder(name):
    """'Coût total' printed before the funders was read as a funder: every line counted
    twice, and since its own column total matched the Total row, validate() said nothing."""
    by_funder, by_line, total = _oracle()
    header = ["en k€", name] + FUNDERS
    rows = [[line, by_line[line]] + cells for line, cells in CELLS.items()]
    rows.append(["Total", total] + [by_funder[f] for f in FUNDERS])
    plan = _read(_table(header, rows))
    _assert_sums(plan)
    assert plan.has_total_column and plan.stated_total == total
    assert plan.validate().ok


@pytest.mark.parametrize("name", ["Fondation Total", "Fondation TOTAL", "Mécénat Total"])
def test_a_funder_whose_name_holds_total_is_a_funder_not_the_total_column(name):
    """'Fondation Total' (the TotalEnergies foundation funds ESS) was taken for the Total
    column, 'total' being a word of its header: its amounts left total() and by_funder(), and
    validate() reported the Total row's figure for it as a grand-total error on the wrong cell."""
    funders = FUNDERS + [name]
    extra = {"Têtes de réseaux": D(5), "Observatoire": None, "DLA": D("6.5")}
    cells = {line: row + [extra[line]] for line, row in CELLS.items()}
    by_funder = {f: sum((row[j] for row in cells.values() if row[j] is not None), D(0))
                 for j, f in enumerate(funders)}
    total = sum(by_funder.values(), D(0))
    header = ["en k€", FUNDERS[0], name] + FUNDERS[1:]
    rows = [[line, row[0], row[3]] + row[1:3] for line, row in cells.items()]
    rows.append(["Total", by_funder[FUNDERS[0]], by_funder[name]] +
                [by_funder[f] for f in FUNDERS[1:]])
    plan = _read(_table(header, rows))
    assert plan.funders == [FUNDERS[0], name] + FUNDERS[1:]
    assert not plan.has_total_column
    assert plan.by_funder() == by_funder and plan.total() == total
    assert plan.validate().ok


def test_a_cost_column_that_the_funders_do_not_cover_is_a_row_total_finding():
    by_funder, by_line, total = _oracle()
    header = ["en k€", "Coût total"] + FUNDERS
    rows = [[line, by_line[line] + (D(5) if line == "DLA" else 0)] + cells
            for line, cells in CELLS.items()]
    plan = _read(_table(header, rows))
    assert plan.total() == total
    found = [(f.code, f.line) for f in plan.validate() if f.severity == "error"]
    assert found == [("row-total", "DLA")]


# ---------------------------------------------------------------- columns that are no funder

@pytest.mark.parametrize("name", ["Sous-total État", "Sous total Etat", "S/total Etat"])
def test_a_sub_total_column_is_refused_by_name(name):
    """A 'Sous-total État' column after DRTEFP and DRASS was a funder: the State counted twice
    in total() and by_funder(), and validate() clean when the table printed no Total column."""
    header = ["en k€", "DRTEFP", "DRASS", name, "CR"]
    rows = [["L1", D(1), D(2), D(3), D(10)], ["L2", D(1), D(1), D(2), D(5)],
            ["Total", D(2), D(3), D(5), D(15)]]
    with pytest.raises(essconv.PlanFormatError) as info:
        _read(_table(header, rows))
    (problem,) = info.value.problems
    assert (problem.line, problem.column) == (1, len("en k€;DRTEFP;DRASS;") + 1)
    assert "sub-total column" in problem.message and name in problem.message


@pytest.mark.parametrize("name", ["%", "Part", "Part (%)", "Taux d'intervention", "Répartition",
                                  "% du total", "Pourcentage", "RÉPARTITION"])
def test_a_percentage_column_is_refused_never_added_as_amounts(name):
    by_funder, by_line, total = _oracle()
    header = ["en k€"] + FUNDERS + ["Total", name]
    rows = [[line] + cells + [by_line[line], (by_line[line] * 100 / total).quantize(D(1))]
            for line, cells in CELLS.items()]
    rows.append(["Total"] + [by_funder[f] for f in FUNDERS] + [total, D(100)])
    with pytest.raises(essconv.PlanFormatError) as info:
        _read(_table(header, rows))
    (problem,) = info.value.problems
    assert problem.line == 1 and "percentage column" in problem.message


@pytest.mark.parametrize("name", ["Part CR", "Part de la CDC", "PART CG 59", "Part financeurs",
                                  "Part du CR"])
def test_a_funders_share_column_is_refused_even_with_no_total_printed(name):
    """'Part CDC' beside the CDC's amounts holds its share of each line: read as a funder, its
    percentages were added to every total -- with no Total printed, without a word."""
    by_funder, by_line, total = _oracle()
    funder = {"Part CR": "CR", "Part de la CDC": "CDC", "PART CG 59": "CG-59",
              "Part financeurs": "CDC", "Part du CR": "CR"}[name]
    at = FUNDERS.index(funder) + 1
    header = ["en k€"] + FUNDERS[:at] + [name] + FUNDERS[at:]
    if name == "PART CG 59":
        header[FUNDERS.index("CG-59") + 1] = "CG 59"
    rows = [[line] + cells[:at] + [D(50)] + cells[at:] for line, cells in CELLS.items()]
    with pytest.raises(essconv.PlanFormatError) as info:
        _read(_table(header, rows))
    (problem,) = info.value.problems
    assert problem.structural and problem.line == 1 and "percentage column" in problem.message
    assert problem.reason == ("plan-share-column", 0, 0, name)


@pytest.mark.parametrize("unit_over", [("CR", "CDC"), ("CR", "CG-59", "CDC")])
def test_a_funders_share_beside_funders_printing_their_unit_is_refused_as_a_share(unit_over):
    """'Part CDC' beside 'CDC (k€)': compared with the header as printed ('CDC (k€)', not
    'CDC'), the share was read as a funder -- counted as a column printing no unit (the plan
    refused for "a unit over some columns only", another cause than the true one), or, with
    the unit over every other column, its percentages summed as k€."""
    header = ["Action"] + [f"{f} (k€)" if f in unit_over else f for f in FUNDERS] + ["Part CDC"]
    rows = [[line] + cells + [D(50)] for line, cells in CELLS.items()]
    with pytest.raises(essconv.PlanFormatError) as info:
        _read(_table(header, rows))
    refusals = [p for p in info.value.problems if p.structural]
    (share,) = refusals
    assert share.reason == ("plan-share-column", 0, 0, "Part CDC")
    assert share.line == 1 and share.column == len(";".join(header[:-1])) + 2
    assert not [p for p in info.value.problems if p.reason and p.reason[0] in
                ("plan-unit-one-column", "plan-unit-title")]
    # a bare funder beside the refused share is still said, at its own cell
    assumed = [p.reason[3] for p in info.value.problems
               if p.reason and p.reason[0] == "plan-unit-assumed"]
    assert assumed == [f for f in FUNDERS if f not in unit_over]


@pytest.mark.parametrize("name", ["Part usagers", "Part autofinancement"])
def test_a_part_column_naming_no_funder_of_the_header_is_a_funder(name):
    by_funder, by_line, total = _oracle()
    header = ["en k€"] + FUNDERS + [name]
    rows = [[line] + cells + [D(1)] for line, cells in CELLS.items()]
    plan = _read(_table(header, rows))
    assert plan.funders == FUNDERS + [name]
    assert plan.total() == total + len(CELLS)


@pytest.mark.parametrize("name", ["Part. usagers", "Partenaires privés", "Participation"])
def test_funders_whose_names_start_like_a_share_are_still_funders(name):
    by_funder, by_line, total = _oracle()
    header = ["en k€", "CR", "CG-59", name]
    rows = [[line] + cells for line, cells in CELLS.items()]
    plan = _read(_table(header, rows))
    assert plan.funders == ["CR", "CG-59", name]
    assert plan.total() == total


# ---------------------------------------------------------------- one funder typed twice

@pytest.mark.parametrize("first,second", [("CR", "cr"), ("État", "Etat"), ("ÉTAT", "état"),
                                          ("CG 59", "CG59"), ("CDC", "C\u00a0D\u2009C")])
def test_two_funders_that_differ_only_in_case_spaces_or_accents_are_refused_naming_both(
        first, second):
    """'CR' and 'cr' were two funders: one region split in two in by_funder() and the pivot,
    while every total still agreed.  Exact duplicates ('CR;CR') were already refused."""
    header = ["en k€", first, "CDC" if first != "CDC" else "CR", second, first + "A", "C.R."]
    rows = [["L1", D(197), D(10), D(5), D(1), D(2)], ["L2", D(327), D(62), D(6), None, D(3)]]
    with pytest.raises(essconv.PlanFormatError) as info:
        _read(_table(header, rows))
    (problem,) = info.value.problems   # "CRA", "C.R." differ by more: funders of their own
    assert (problem.line, problem.column) == (1, len(";".join(header[:3])) + 2)
    assert f"'{first}' (column 2)" in problem.message
    assert f"'{second}' (column 4)" in problem.message


def test_an_exact_duplicate_funder_is_refused_as_before():
    header = ["en k€", "CR", "CDC", " CR "]
    rows = [["L1", D(197), D(10), D(5)], ["L2", D(327), D(62), D(6)]]
    with pytest.raises(essconv.PlanFormatError) as info:
        _read(_table(header, rows))
    (problem,) = info.value.problems
    assert (problem.line, problem.column) == (1, len("en k€;CR;CDC;") + 1)
    assert problem.message == "the funder 'CR' heads two columns (2 and 4)"


# ---------------------------------------------------------------- sums past int64 cents

INT64_MAX_CENTS = 2 ** 63 - 1


def test_a_sum_past_int64_cents_names_the_cell_at_fault(tmp_path):
    """Two cells that each fit but whose sum does not: total() and validate() raised "the
    plan's sums overflow int64 cents", naming no cell to correct in a table of hundreds."""
    half = D(INT64_MAX_CENTS // 2 // 100_000)          # in k€: 100 000 cents each
    header = ["en k€", "CR", "CDC", "Total"]
    rows = [["Têtes", D(197), D(10), D(207)], ["DLA", half + 2, D(62), None],
            ["Obs", half, None, None]]
    assert sum(v for r in rows for v in r[1:3] if v) * 100_000 > INT64_MAX_CENTS
    path = tmp_path / "plan.csv"
    path.write_bytes(_table(header, rows))
    plan = _read(path.read_bytes())
    calls = {"total": plan.total, "validate": plan.validate, "by_funder": plan.by_funder,
             "funder_sum_at": lambda: plan.funder_sum_at(0)}
    for name, call in calls.items():
        with pytest.raises(essconv.MoneyOverflowError) as info:
            call()
        error = info.value
        assert (error.line, error.column) == (3, len("DLA;") + 1), name   # the largest figure
        assert f"'{_text(half + 2)}' (DLA x CR)" in str(error), name
    with pytest.raises(essconv.MoneyOverflowError) as info:
        essconv.read_plan(path).total()
    assert info.value.where() == f"{path}:3:{len('DLA;') + 1}"


# ---------------------------------------------------------------- "dont" sub-lines

@pytest.mark.parametrize("label", ["dont FSE", "  - dont FSE", "(dont FSE)", "• dont Europe",
                                   "Dont : crédits européens", "– dont CDC", "of which ESF"])
def test_a_dont_sub_line_is_refused_never_counted_twice(label):
    """A 'dont FSE' line details the line above; read as a line its amounts were added a
    second time to total(), by_funder() and the axis -- silently when no Total was printed."""
    header = ["Axe", "Action"] + FUNDERS
    rows = [["Axe 1", line] + cells for line, cells in CELLS.items()]
    rows.insert(1, ["", label, D(150), None, None])
    with pytest.raises(essconv.PlanFormatError) as info:
        _read(_table(header, rows))
    (problem,) = info.value.problems
    assert (problem.line, problem.column) == (3, 1)
    assert "'dont' line" in problem.message and label in problem.message


@pytest.mark.parametrize("label", ["Dons et legs", "Donations", "Inclusion numérique",
                                   "Domiciliation"])
def test_lines_that_only_start_like_dont_are_lines(label):
    header = ["en k€"] + FUNDERS
    rows = [[line] + cells for line, cells in CELLS.items()] + [[label, D(1), None, D(2)]]
    plan = _read(_table(header, rows))
    _, _, total = _oracle()
    assert plan.lines[-1] == label and plan.total() == total + 3


def test_a_dont_column_is_refused():
    header = ["en k€", "Europe", "dont FSE", "CR"]
    rows = [["L1", D(10), D(4), D(1)], ["L2", D(5), None, D(2)]]
    with pytest.raises(essconv.PlanFormatError) as info:
        _read(_table(header, rows))
    (problem,) = info.value.problems
    assert problem.line == 1 and "'dont' column" in problem.message


# ---------------------------------------------------------------- spacer columns

def test_a_blank_spacer_column_is_passed_over():
    """Excel's blank spacer column between funders was 'a column with amounts but no funder'
    -- false, and the plan did not load."""
    by_funder, by_line, total = _oracle()
    header = ["en k€", "CR", "", "CG-59", "CDC", "", "Total"]
    rows = [[line, cells[0], None, cells[1], cells[2], None, by_line[line]]
            for line, cells in CELLS.items()]
    rows.append(["Total", by_funder["CR"], None, by_funder["CG-59"], by_funder["CDC"], None,
                 total])
    plan = _read(_table(header, rows))
    _assert_sums(plan)
    assert plan.validate().ok
    assert plan.cell_place("DLA", "CG-59") == (4, len("DLA;327;;") + 1)


def test_a_headerless_column_with_an_amount_is_still_refused():
    header = ["en k€", "CR", "", "CG-59"]
    rows = [["L1", D(1), None, D(2)], ["L2", D(1), D(7), D(2)]]
    with pytest.raises(essconv.PlanFormatError) as info:
        _read(_table(header, rows))
    assert [(p.line, p.column) for p in info.value.problems] == [(1, len("en k€;CR;") + 1)]


# ---------------------------------------------------------------- typographic apostrophes

def test_an_axis_sub_total_with_a_typographic_apostrophe_is_refused_as_a_sub_total():
    """Word prints "Total de l’axe 1" with U+2019.  The core's word lists compared a signed
    char with an unsigned byte, so no word holding a non-ASCII byte ever matched: the row was
    taken for THE Total row, and validate() 'corrected' the real column totals to its sums."""
    header = ["Axe", "Action", "CR", "CG"]
    rows = [["A1", "L1", D(10), D(20)], ["", "L2", D(1), D(2)],
            ["Total de l\u2019axe 1", "", D(11), D(22)], ["A2", "L3", D(5), D(5)]]
    with pytest.raises(essconv.PlanFormatError) as info:
        _read(_table(header, rows))
    (problem,) = info.value.problems
    assert (problem.line, problem.column) == (4, 1) and "sub-total row" in problem.message


# ---------------------------------------------------------------- codes and years beside labels

@pytest.mark.parametrize("name", ["Code", "N°", "N° dossier", "Réf.", "Année", "Exercice",
                                  "ANNÉE", "RÉF."])
def test_a_column_of_codes_or_years_after_the_labels_is_refused_never_summed(name):
    """'Action;Code;CR;CG' with codes 101, 102: 'Code' was a funder and its codes were added
    to total() -- silently, the table printing no Total."""
    header = ["Action", name] + FUNDERS
    rows = [[line, D(2010) if "nn" in name or "xer" in name else D(101 + k)] + cells
            for k, (line, cells) in enumerate(CELLS.items())]
    with pytest.raises(essconv.PlanFormatError) as info:
        _read(_table(header, rows))
    (problem,) = info.value.problems
    assert (problem.line, problem.column) == (1, len("Action;") + 1)
    assert "codes or numbers" in problem.message


@pytest.mark.parametrize("name", ["Référent ESS", "Numérique", "Noria", "Codev", "Identité",
                                  "Ordre des experts-comptables", "Rangers"])
def test_funders_whose_names_start_like_a_code_are_still_funders(name):
    header = ["en k€", "CR", "CG-59", name]
    rows = [[line] + cells for line, cells in CELLS.items()]
    plan = _read(_table(header, rows))
    assert plan.funders == ["CR", "CG-59", name]
    assert plan.total() == _oracle()[2]


@pytest.mark.parametrize("name,codes", [("N°", [D(1), D(2), D(3)]),
                                        ("Code", ["A1", "A2", "B1"]),
                                        ("Réf.", ["1.1", "1.2", "2.1"]),
                                        ("No.", [D(101), D(102), D(201)])])
def test_a_numbering_column_before_the_labels_names_no_line_and_is_in_no_sum(name, codes):
    """'N°;Action;CR;CDC': the numbers read as amounts, so they became the line names and
    'Action' a funder whose every cell was unreadable; text codes ('A1') became one axis per
    line, silently.  The line is named by its label; the numbers are in no sum."""
    by_funder, by_line, total = _oracle()
    header = [name, "Action"] + FUNDERS + ["Total"]
    rows = [[code, line] + cells + [by_line[line]]
            for code, (line, cells) in zip(codes, CELLS.items())]
    rows.append(["Total", ""] + [by_funder[f] for f in FUNDERS] + [total])
    plan = _read(_table(header, rows))
    _assert_sums(plan)
    assert plan.axes == [] and plan.by_axis() == {}
    assert plan.has_total_row and plan.stated_total == total and plan.validate().ok
    dla = list(CELLS).index("DLA")
    assert plan.cell_place("DLA", "CR") == (dla + 2, len(f"{_text(codes[dla])};DLA;") + 1)


def test_a_numbering_column_before_an_axis_and_a_line_column_keeps_the_axes():
    header = ["N°", "Axe", "Action"] + FUNDERS
    axes = ["Structurer", "", "Développer"]
    rows = [[D(k + 1), axis, line] + cells
            for k, (axis, (line, cells)) in enumerate(zip(axes, CELLS.items()))]
    plan = _read(_table(header, rows))
    _assert_sums(plan)
    by_line = _oracle()[1]
    lines = list(CELLS)
    assert plan.by_axis() == {"Structurer": by_line[lines[0]] + by_line[lines[1]],
                              "Développer": by_line[lines[2]]}


def test_numbered_axes_in_an_axis_column_are_axes_not_line_names():
    """'Axe;Action;CR' with axes numbered 1, 2: the numbers read as amounts, so the axis
    column was taken for the line names and 'Action' for a funder: the plan was refused with a
    problem for every label."""
    header = ["Axe", "Action"] + FUNDERS
    axes = [D(1), None, D(2)]
    rows = [[axis, line] + cells for axis, (line, cells) in zip(axes, CELLS.items())]
    plan = _read(_table(header, rows))
    _assert_sums(plan)
    by_line = _oracle()[1]
    lines = list(CELLS)
    assert plan.by_axis() == {"1": by_line[lines[0]] + by_line[lines[1]], "2": by_line[lines[2]]}
    assert plan.lines_of("1") == lines[:2]


# ---------------------------------------------------------------- title rows, notes, blank lines

@pytest.mark.parametrize("sep", [";", "\t", ","])
def test_a_short_table_under_a_title_a_unit_line_and_empty_lines_is_read(sep):
    """Two title rows, empty lines around the Total row and a note under it: the delimiter
    sniffer counted every empty line against the table's delimiter, found none, and refused a
    plan of two lines with 'no header row'."""
    by_funder, by_line, total = _oracle()
    header = ["en k€"] + FUNDERS + ["Total"]
    rows = [[line] + cells + [by_line[line]] for line, cells in CELLS.items()]
    rows.append(None)   # an empty line above the Total row
    rows.append(["Total"] + [by_funder[f] for f in FUNDERS] + [total + 1])

    def cell(v):   # French amounts hold commas: quoted in a CSV, as Excel writes them
        return f'"{_text(v)}"' if sep == "," and "," in _text(v) else _text(v)
    body = "".join((sep.join(cell(v) for v in row) if row else "") + "\n"
                   for row in [header] + rows)
    text = ("PLAN DE FINANCEMENT 2010\nMontants en milliers d'euros\n\n" + body +
            "\nSource : Région Nord-Pas de Calais\n")
    plan = _read(text.encode())
    _assert_sums(plan)
    assert plan.unit == "k€" and plan.year == 2010 and plan.stated_total == total + 1
    assert [(f.code, f.severity) for f in plan.validate() if f.severity == "error"] == [
        ("grand-total", "error")]


# ---------------------------------------------------------------- percentages in cells

def test_a_percentage_typed_in_a_cell_is_reported_as_such():
    plan = _read(_table(["en k€"] + FUNDERS, [["L1", D(10), "12 %", D(1)], ["L2", D(2), D(3), D(4)]]))
    assert plan.total() == D(10 + 1 + 2 + 3 + 4)
    (finding,) = [f for f in plan.validate() if f.code == "malformed-number"]
    assert (finding.line, finding.funder) == ("L1", "CG-59")
    assert "percentage" in finding.message


def test_an_xlsx_number_formatted_as_a_percentage_is_no_amount(tmp_path):
    """0.25 shown as '25 %' in a funder's column was read as 0,25 k€ and added into the
    totals (nothing checked it: no Total printed).  It is what the sheet shows, a percentage,
    reported on its cell; the other number cells, formatted or not, are amounts."""
    openpyxl = pytest.importorskip("openpyxl")
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(["en k€"] + FUNDERS)
    values = {"L1": [D(1250), D("10.5"), 0.25], "L2": [D(3), None, D(7)]}
    for line, cells in values.items():
        ws.append([line] + [float(v) if isinstance(v, Decimal) else v for v in cells])
    ws["D2"].number_format = "0%"
    ws["B2"].number_format = '# ##0" k€";[Red]-# ##0'       # a '%'-free format
    ws["C2"].number_format = '0.0" (hors %)"'                # '%' quoted: printed text
    wb.save(tmp_path / "plan.xlsx")
    plan = essconv.read_plan(tmp_path / "plan.xlsx")
    amounts = [v for cells in values.values() for v in cells if isinstance(v, Decimal)]
    assert plan.total() == sum(amounts, D(0))
    assert plan.cell("L1", "CDC") is None and plan.cell_text("L1", "CDC") == "25 %"
    assert plan.cell("L1", "CR") == D(1250) and plan.cell("L1", "CG-59") == D("10.5")
    (finding,) = [f for f in plan.validate() if f.code == "malformed-number"]
    assert (finding.line, finding.funder, finding.source_line, finding.source_column) == (
        "L1", "CDC", 2, 4)


# ---------------------------------------------------------------- units

def test_two_units_in_the_header_are_refused_naming_both():
    """'CR (k€)' beside 'CG (€)': the first unit printed was the plan's, so CG's euros were
    read as thousands of euros -- total() 1000 times off on that column, and nothing checked
    it when the table printed no Total."""
    header = ["Action", "CR (k€)", "CG (€)"]
    rows = [["L1", D(10), D(5000)], ["L2", D(1), D(2000)]]
    with pytest.raises(essconv.PlanFormatError) as info:
        _read(_table(header, rows))
    error = info.value
    assert (error.line, error.column) == (1, len("Action;CR (k€);") + 1)
    assert "'CR (k€)' (k€)" in str(error) and "'CG (€)' (€)" in str(error)


@pytest.mark.parametrize("corner, total", [("en k€", "Total (€)"), ("Action (k€)", "Total en €"),
                                           ("Action", "Total (€)")])
def test_a_total_column_printing_another_unit_is_refused_naming_both(corner, total):
    """'Total (€)' beside 'en k€': the Total column's header was never read for a unit, so its
    euros were read as k€ -- every line reported as a wrong total, never as a unit."""
    by_funder, by_line, grand = _oracle()
    header = [corner] + FUNDERS + [total]
    rows = [[line] + cells + [by_line[line] * 1000] for line, cells in CELLS.items()]
    kw = {} if "k€" in corner else {"unit": "k€"}
    with pytest.raises(essconv.PlanFormatError) as info:
        _read(_table(header, rows), **kw)
    assert f"'{total}'" in str(info.value) and "(€)" in str(info.value)
    assert "k€" in str(info.value)


def test_the_total_column_printing_the_unit_alone_gives_it():
    by_funder, by_line, total = _oracle()
    header = ["Action"] + FUNDERS + ["Total (k€)"]
    rows = [[line] + cells + [by_line[line]] for line, cells in CELLS.items()]
    plan = _read(_table(header, rows))
    assert plan.unit == "k€"
    _assert_sums(plan)
    assert plan.validate().ok


def test_a_unit_over_one_column_beside_a_title_in_another_unit_is_refused():
    """'PLAN 2009 (en k€)' above 'Action;CR;CG-59 (€);CDC': the € over CG-59 was read for every
    column, CR's and CDC's thousands of euros read as euros, silently."""
    header = ["Action", "CR", "CG-59 (€)", "CDC"]
    rows = [["L1", D(10), D(5000), D(2)], ["L2", D(3), None, D(1)]]
    data = b"PLAN DE FINANCEMENT 2009 (en k\xe2\x82\xac)\n" + _table(header, rows)
    with pytest.raises(essconv.PlanFormatError) as info:
        _read(data)
    error = info.value
    # at the header's cell that prints the unit (it was the line's first cell)
    assert (error.line, error.column) == (2, len("Action;CR;") + 1)
    assert (error.problems[0].line, error.problems[0].column) == (error.line, error.column)
    assert "title above the table says k€" in str(error) and "'CG-59 (€)' only" in str(error)
    assert "'CR'" in str(error)
    # the unit over every column, or in the corner: one unit, read so
    for fixed in (["Action", "CR (€)", "CG-59 (€)", "CDC (€)"], ["en €", "CR", "CG-59", "CDC"]):
        plan = _read(b"PLAN DE FINANCEMENT 2009 (en k\xe2\x82\xac)\n" + _table(fixed, rows))
        assert plan.unit == "€" and plan.total() == D(10) + D(5000) + D(2) + D(3) + D(1)


@pytest.mark.parametrize("header", [["Action", "CR", "CG-59", "CDC (M€)", "Total"],
                                    ["Action", "CR", "CDC (M€)"],
                                    ["Action", "CR", "CG-59 (k€)", "CDC", "Europe (k€)", "Total"]])
def test_a_unit_over_some_funders_columns_only_is_refused_at_its_cell(header):
    """'Action;CR;CG-59;CDC (M€)': the M€ printed over CDC's column was read for every column,
    CR's and CG-59's thousands of euros taken for millions, silently (no title, no unit in the
    header's first cell).  Nothing says which unit the other columns are in: refused, naming
    the cell that prints the unit and a column that prints none."""
    funders = [h for h in header[1:] if h != "Total"]
    values = [[D(100), D(50), D("1.2"), D(10)][:len(funders)], [D(3), None, D(1), D(4)][:len(funders)]]
    total = "Total" in header

    def rows():
        return [[f"L{k}"] + line + ([sum((v for v in line if v is not None), D(0))] if total else [])
                for k, line in enumerate(values)]
    with pytest.raises(essconv.PlanFormatError) as info:
        _read(_table(header, rows()))
    error = info.value
    said = next(h for h in funders if "€" in h)
    unit = said[said.index("(") + 1:-1]
    assert (error.line, error.column) == (1, len(";".join(header[:header.index(said)])) + 2)
    assert f"'{said}'" in str(error) and "'CR'" in str(error) and unit in str(error)
    (problem,) = error.problems
    assert problem.reason[0] == "plan-unit-one-column"
    expected = sum((v for line in values for v in line if v is not None), D(0))
    # the unit printed once for the whole table, or over every funder's column: read in it
    for fixed in ([f"en {unit}"] + [h.split(" (")[0] for h in header[1:]],
                  [header[0]] + [h if "€" in h or h == "Total" else f"{h} ({unit})"
                                 for h in header[1:]]):
        plan = _read(_table(fixed, rows()))
        assert plan.unit == unit
        assert plan.total() == expected and plan.funders == [f.split(" (")[0] for f in funders]


def test_the_same_unit_printed_on_every_column_is_that_unit():
    by_funder, by_line, total = _oracle()
    header = ["Montants en k€"] + [f"{f} (k€)" for f in FUNDERS]
    plan = _read(_table(header, [[line] + cells for line, cells in CELLS.items()]))
    assert plan.unit == "k€" and plan.total() == total


# ---------------------------------------------------------------- ',' files of French amounts

def test_an_unquoted_decimal_comma_in_a_comma_file_is_refused_not_split_into_two_funders():
    """'L1,1,5,,' meant CR 1,5 with CG and Total blank; its blank tail was cut to the header's
    width and it read as CR 1 and CG 5, silently."""
    text = b"en k\xe2\x82\xac,CR,CG,Total\nL1,1,5,,\nL2,2,,\n"
    with pytest.raises(essconv.PlanFormatError) as info:
        _read(text)
    (problem,) = info.value.problems
    assert (problem.line, problem.column) == (2, len("L1,1,5,,") + 1)   # the extra cell
    assert "decimal comma" in problem.message


def test_a_comma_file_padded_alike_by_excel_still_reads():
    by_funder, by_line, total = _oracle()
    header = ["en k€"] + FUNDERS + ["", ""]
    rows = [[line] + cells + [None, None] for line, cells in CELLS.items()]

    def cell(v):
        return f'"{_text(v)}"' if "," in _text(v) else _text(v)
    text = "".join(",".join(cell(v) for v in row) + "\n" for row in [header] + rows)
    plan = _read(text.encode())
    _assert_sums(plan)


# ---------------------------------------------------------------- a Word table over two pages

def test_the_header_repeated_at_a_page_break_is_no_line():
    """A Word table repeats its header on each page; copied out, the second header was read as
    a line 'Action' of the axis 'Axe' whose every cell was a malformed number."""
    by_funder, by_line, total = _oracle()
    header = ["Axe", "Action"] + FUNDERS + ["Total"]
    rows = [["Axe 1" if k == 0 else "", line] + cells + [by_line[line]]
            for k, (line, cells) in enumerate(CELLS.items())]
    rows.insert(2, [h + " " if h else h for h in header])   # a stray space: still the header
    rows.append(["Total", ""] + [by_funder[f] for f in FUNDERS] + [total])
    plan = _read(_table(header, rows))
    _assert_sums(plan)
    assert plan.axes == ["Axe 1"] and plan.validate().ok
    assert plan.cell_place("DLA", "CR") == (5, len(";DLA;") + 1)


# ---------------------------------------------------------------- a title of several cells

@pytest.mark.parametrize("title", ["Convention ESS;Annexe 1;Plan 2010",
                                   "Convention ESS;;Annexe 1;;Plan 2010;;",
                                   "Convention ESS;Annexe 1;Plan 2010\n;;"])
def test_a_title_row_of_three_cells_above_the_header_is_a_title(title):
    """A title spread over three cells was taken for the header (the first row of three cells),
    and every row of the table was refused as 'longer than the header'."""
    by_funder, by_line, total = _oracle()
    header = ["en k€"] + FUNDERS + ["Total"]
    rows = [[line] + cells + [by_line[line]] for line, cells in CELLS.items()]
    rows.append(["Total"] + [by_funder[f] for f in FUNDERS] + [total])
    plan = _read((title + "\n").encode() + _table(header, rows))
    _assert_sums(plan)
    assert plan.year == 2010 and plan.unit == "k€" and plan.validate().ok
    assert "Annexe 1" in plan.title



# ---------------------------------------------------------------- an axis printed twice

def test_an_axis_printed_again_further_down_sums_both_of_its_blocks():
    """Lines sorted otherwise than by axis: 'A1' above, 'A2', then 'A1' again.  The second
    'A1' was a second axis of the same label: by_axis()['A1'] was the later block's sum only,
    and the pivot had no ('axis', 'A1') row."""
    blocks = [("A1", "L1", [D(10), D(20)]), ("A2", "L2", [D(1), D(2)]),
              ("A1", "L3", [D(100), D("200.5")]), ("", "L4", [D(7), None])]
    header = ["Axe", "Action", "CR", "CG"]
    plan = _read(_table(header, [[a, l] + cells for a, l, cells in blocks]))
    oracle: dict = {}
    axis = None
    for a, _, cells in blocks:
        axis = a or axis
        oracle[axis] = oracle.get(axis, D(0)) + sum((v for v in cells if v is not None), D(0))
    assert plan.axes == ["A1", "A2"]
    assert plan.by_axis() == oracle
    assert plan.lines_of("A1") == ["L1", "L3", "L4"]
    assert plan.pivot().get(("axis", "A1"), "total") == oracle["A1"]
    assert sum(plan.by_axis().values()) == plan.total()


# ---------------------------------------------------------------- axes printed as rows of their own

# axis -> its lines (line -> funder amounts), the layout of Annex 1 with its headings as rows
AXES = {"Structurer": {"Têtes de réseaux": [D(197), D(20), D(10)],
                       "Observatoire": [D(13), None, D("10.5")]},
        "Développer": {"DLA": [D(327), D(274), D(62)],
                       "Couveuses": [None, D("12.25"), D(3)],
                       # a line that only starts like an axis: no number after "Axe"
                       "Axe routier": [None, None, None]}}


def _axis_oracle():
    """(axis heading -> sum, line -> sum, funder -> sum, total), from AXES with Decimal."""
    by_axis, by_line = {}, {}
    by_funder = {f: D(0) for f in FUNDERS}
    for axis, lines in AXES.items():
        for line, cells in lines.items():
            by_line[line] = sum((v for v in cells if v is not None), D(0))
            by_axis[axis] = by_axis.get(axis, D(0)) + by_line[line]
            for f, v in zip(FUNDERS, cells):
                by_funder[f] += v or 0
    return by_axis, by_line, by_funder, sum(by_line.values(), D(0))


@pytest.mark.parametrize("heading", ["Axe {n} : {name}", "AXE {n} - {name}", "Axe {roman}",
                                     "Axe n° {n} – {name}", "Orientation {n}. {name}"])
@pytest.mark.parametrize("totals", [False, True])
def test_axis_headings_as_rows_of_a_one_label_table_are_the_axes_of_the_lines_under_them(
        heading, totals):
    """'Axe 1 : Structurer;;' above its lines, in a table of one label column: each heading was
    read as a line of blank cells, and by_axis() was {}."""
    by_axis, by_line, by_funder, total = _axis_oracle()
    header = ["en k€"] + FUNDERS + (["Total"] if totals else [])
    rows, names = [], {}
    for n, (axis, lines) in enumerate(AXES.items(), start=1):
        names[axis] = heading.format(n=n, name=axis, roman="I" * n)
        rows.append([names[axis]] + [None] * (len(header) - 1))
        rows += [[line] + cells + ([by_line[line]] if totals else [])
                 for line, cells in lines.items()]
    if totals:
        rows.append(["Total"] + [by_funder[f] for f in FUNDERS] + [total])
    plan = _read(_table(header, rows))
    assert plan.funders == FUNDERS
    assert plan.lines == [line for lines in AXES.values() for line in lines]
    assert plan.axes == list(names.values())
    assert plan.by_axis() == {names[a]: v for a, v in by_axis.items()}
    assert plan.by_line() == by_line and plan.by_funder() == by_funder
    assert plan.total() == total
    assert plan.lines_of(names["Développer"]) == list(AXES["Développer"])
    assert plan.validate().ok if totals else plan.validate().errors == []


def test_axis_headings_as_rows_of_a_table_with_a_group_column_are_read():
    """'Axe 1;;;' (the group cell alone on its row) above ';DLA;327;...': the heading was
    refused as 'this row has amounts but no line label' -- it has no amounts."""
    by_axis, by_line, by_funder, total = _axis_oracle()
    header = ["Axe", "Action"] + FUNDERS
    rows = []
    for axis, lines in AXES.items():
        rows.append([axis, ""] + [None] * len(FUNDERS))
        rows += [["", line] + cells for line, cells in lines.items()]
    rows.append(["Total", ""] + [by_funder[f] for f in FUNDERS])
    plan = _read(_table(header, rows))
    assert plan.by_axis() == by_axis and plan.total() == total and plan.validate().ok


@pytest.mark.parametrize("group_column", [False, True])
def test_sub_totals_printed_on_axis_rows_are_checked_and_never_added(group_column):
    """'Axe 1 : Structurer;210;20;20,5' above its lines: read as a line, every axis counted
    twice in total() -- silently when the table printed no Total row."""
    by_axis, by_line, by_funder, total = _axis_oracle()
    header = (["Axe", "Action"] if group_column else ["en k€"]) + FUNDERS + ["Total"]
    rows = []
    for n, (axis, lines) in enumerate(AXES.items(), start=1):
        subtotals = [sum((c[j] for c in lines.values() if c[j] is not None), D(0))
                     for j in range(len(FUNDERS))]
        label = [f"Axe {n}", ""] if group_column else [f"Axe {n} : {axis}"]
        rows.append(label + subtotals + [by_axis[axis]])
        rows += [([""] if group_column else []) + [line] + cells + [by_line[line]]
                 for line, cells in lines.items()]
    plan = _read(_table(header, rows))
    assert plan.lines == [line for lines in AXES.values() for line in lines]
    assert list(plan.by_axis().values()) == list(by_axis.values())
    assert plan.by_funder() == by_funder and plan.total() == total
    assert plan.validate().errors == []


def test_a_sub_total_on_an_axis_row_that_its_lines_do_not_give_is_refused_naming_the_cell():
    by_axis, by_line, by_funder, total = _axis_oracle()
    header = ["en k€"] + FUNDERS
    lines = AXES["Structurer"]
    cr = sum((c[0] for c in lines.values() if c[0] is not None), D(0))
    rows = [["Axe 1 : Structurer", cr + 1, None, None]]
    rows += [[line] + cells for line, cells in lines.items()]
    with pytest.raises(essconv.PlanFormatError) as info:
        _read(_table(header, rows))
    (problem,) = info.value.problems
    assert (problem.line, problem.column) == (2, len("Axe 1 : Structurer;") + 1)
    assert f"prints '{_text(cr + 1)}' under 'CR'" in problem.message
    assert f"(lines 3 to 4) add up to {_text(cr)}" in problem.message


def test_axis_rows_with_amounts_and_no_line_under_them_are_lines_of_their_own_axes():
    """'Axe 1;100;20' then 'Axe 2;50;10': a plan whose lines are its axes.  Each is a line, in
    the axis of its own name -- not in the axis of the heading above it."""
    values = {"Axe 1 : Structurer": [D(100), D(20), None],
              "Axe 2 : Développer": [D(50), None, D(9)]}
    header = ["en k€"] + FUNDERS
    rows = [[line] + cells for line, cells in values.items()]
    plan = _read(_table(header, rows))
    oracle = {k: sum((v for v in c if v is not None), D(0)) for k, c in values.items()}
    assert plan.lines == list(values) and plan.by_line() == oracle
    assert plan.by_axis() == oracle and plan.total() == sum(oracle.values(), D(0))


# ---------------------------------------------------------------- a header over two rows

def test_a_header_over_two_rows_is_said_to_be_one():
    """'Financeurs' merged over CR and CG exports as 'Financeurs;' above ';;CR;CG;': the plan
    was refused as a line with no label whose 'CR' is no amount -- true, and no help."""
    header = ["Axe", "Action", "Financeurs", "", "Total"]
    rows = [["", "", "CR", "CG", ""], ["A1", "L1", D(10), D(20), D(30)],
            ["", "L2", D(1), D(2), D(3)], ["Total", "", D(11), D(22), D(33)]]
    with pytest.raises(essconv.PlanFormatError) as info:
        _read(_table(header, rows))
    problems = [(p.line, p.column) for p in info.value.problems]
    (two_rows,) = [p for p in info.value.problems if "two rows" in p.message]
    assert (two_rows.line, two_rows.column) == (2, 1)
    assert "lines 1 and 2" in two_rows.message
    assert not any("not an amount" in p.message for p in info.value.problems), problems


# ---------------------------------------------------------------- headings numbered otherwise

@pytest.mark.parametrize("heading", ["{roman}. {name}", "{roman} - {name}", "{roman}) {name}",
                                     "{letter}) {name}", "{letter}. {name}", "{n}. {name}",
                                     "Axe stratégique : {name}",
                                     "Orientation prioritaire – {name}",
                                     "{upper} L'ÉCONOMIE SOCIALE", "{upper}"])
@pytest.mark.parametrize("totals", [False, True])
def test_headings_numbered_in_roman_letters_or_capitals_are_the_axes_of_the_lines_under_them(
        heading, totals):
    """'I. Structurer l'économie sociale;;', 'A) ...;;', 'AXE STRATÉGIQUE : ...;;', a heading in
    capitals: each was read as a line of blank cells, and by_axis() was {}."""
    by_axis, by_line, by_funder, total = _axis_oracle()
    header = ["en k€"] + FUNDERS + (["Total"] if totals else [])
    rows, names = [], {}
    for n, (axis, lines) in enumerate(AXES.items(), start=1):
        names[axis] = heading.format(n=n, name=axis, roman="I" * n, letter="AB"[n - 1],
                                     upper={"Structurer": "STRUCTURER",
                                            "Développer": "DÉVELOPPER"}[axis])
        rows.append([names[axis]] + [None] * (len(header) - 1))
        rows += [[line] + cells + ([by_line[line]] if totals else [])
                 for line, cells in lines.items()]
    if totals:
        rows.append(["Total"] + [by_funder[f] for f in FUNDERS] + [total])
    plan = _read(_table(header, rows))
    assert plan.lines == [line for lines in AXES.values() for line in lines]
    assert plan.axes == list(names.values())
    assert plan.by_axis() == {names[a]: v for a, v in by_axis.items()}
    assert plan.by_line() == by_line and plan.by_funder() == by_funder
    assert plan.total() == total
    assert plan.validate().ok if totals else plan.validate().errors == []


@pytest.mark.parametrize("label", ["Observatoire régional", "Structurer l'économie sociale",
                                   "URSCOP", "CAP EMPLOI", "E-commerce solidaire", "Axe routier",
                                   "S.A. coopérative", "1.2 Observatoire"])
def test_a_line_nobody_funds_yet_is_a_line_never_a_heading(label):
    """An unnumbered line in mixed case with every cell blank ('Observatoire régional;;') is a
    line not funded yet: a heading only when numbered, lettered or in capitals."""
    header = ["en k€"] + FUNDERS
    rows = [[label, None, None, None]] + [[line] + cells for line, cells in CELLS.items()]
    plan = _read(_table(header, rows))
    assert plan.lines == [label] + list(CELLS) and plan.axes == []
    assert plan.by_line()[label] == 0


# an action line planned at 0 this year whose label is printed in capitals, inside an axis
UNFUNDED = "ANIMATION DU RÉSEAU RÉGIONAL"


def _unfunded_in_axes(heading, subtotals):
    """AXES with the unfunded capitals line after the first line of each axis; the axis rows
    print their lines' sums when subtotals, else nothing.  -> (header, rows, by_axis)."""
    by_axis, by_line, _, total = _axis_oracle()
    header = ["en k€"] + FUNDERS + ["Total"]
    rows, names = [], {}
    for n, (axis, lines) in enumerate(AXES.items(), start=1):
        names[axis] = heading.format(n=n, name=axis, roman="I" * n)
        sums = [sum((c[j] for c in lines.values() if c[j] is not None), D(0))
                for j in range(len(FUNDERS))] + [by_axis[axis]]
        rows.append([names[axis]] + (sums if subtotals else [None] * 4))
        for k, (line, cells) in enumerate(lines.items()):
            rows.append([line] + cells + [by_line[line]])
            if k == 0:
                rows.append([UNFUNDED if n == 1 else UNFUNDED + " " + str(n)] + [None] * 4)
    rows.append(["Total"] + [sum((c[j] for ls in AXES.values() for c in ls.values()
                                  if c[j] is not None), D(0)) for j in range(len(FUNDERS))]
                + [total])
    return header, rows, {names[a]: v for a, v in by_axis.items()}


@pytest.mark.parametrize("heading", ["Axe {n} : {name}", "{roman}. {name}"])
@pytest.mark.parametrize("subtotals", [False, True])
def test_a_line_in_capitals_planned_at_0_inside_an_axis_is_a_line_of_that_axis(heading, subtotals):
    """'ANIMATION DU RÉSEAU RÉGIONAL;;;;' after the first line of an axis, nothing planned this
    year: taken for a heading, the lines under it left their axis for a new one, silently --
    even when the axis row's printed sub-totals counted them.  It is a line of that axis."""
    header, rows, by_axis = _unfunded_in_axes(heading, subtotals)
    plan = _read(_table(header, rows))
    assert UNFUNDED in plan.lines and UNFUNDED + " 2" in plan.lines
    assert plan.by_line()[UNFUNDED] == 0
    assert plan.axes == list(by_axis)
    assert plan.by_axis() == by_axis
    assert plan.validate().ok


def test_a_line_in_capitals_planned_at_0_under_a_group_column_is_a_line_of_its_group():
    by_axis, by_line, _, total = _axis_oracle()
    rows = []
    for axis, lines in AXES.items():
        for k, (line, cells) in enumerate(lines.items()):
            rows.append([axis if k == 0 else None, line] + cells)
            if k == 0:
                rows.append([None, UNFUNDED + " " + axis.upper()[:3], None, None, None])
    plan = _read(_table(["Axe", "Action"] + FUNDERS, rows))
    assert plan.axes == list(AXES) and plan.by_axis() == by_axis
    assert len(plan.lines) == len(by_line) + 2 and plan.total() == total


@pytest.mark.parametrize("numbers, heading", [(["1", "2", "3", "4"], False),
                                              (["1.1", "1.2", "1.3", "1.4"], False),
                                              (["1", "1.1", "1.2", "1.3"], True),
                                              ([None, "1", "2", "3"], True)])
def test_a_capitals_row_with_no_amount_is_told_by_its_number(numbers, heading):
    """In a table numbering its rows, a capitals row with no amount numbered like the row under
    it is a line among lines; numbered above deeper numbers ('1' over '1.1'), or unnumbered
    over numbered lines, a heading."""
    rows = [[numbers[0], UNFUNDED, None, None, None]]
    rows += [[n, line] + cells for n, (line, cells) in zip(numbers[1:], CELLS.items())]
    plan = _read(_table(["N°", "Action"] + FUNDERS, rows))
    if heading:
        assert plan.lines == list(CELLS) and plan.axes == [UNFUNDED]
    else:
        assert plan.lines == [UNFUNDED] + list(CELLS) and plan.axes == []
    by_funder, _, total = _oracle()
    assert plan.by_funder() == by_funder and plan.total() == total


@pytest.mark.parametrize("before", [0, 1])
def test_a_lone_capitals_row_with_no_amount_is_refused_naming_both_readings(before):
    """'OBSERVATOIRE RÉGIONAL DE L'ESS;;;' over lines, the table's only heading-like row: a
    heading of the lines under it, or an action line planned at 0 -- nothing tells; it was
    taken for a heading silently.  Refused, both readings said; a 0 written in its cells makes
    it a line."""
    label = "OBSERVATOIRE RÉGIONAL DE L'ESS"
    lines = list(CELLS.items())
    rows = ([[line] + cells for line, cells in lines[:before]] + [[label, None, None, None]] +
            [[line] + cells for line, cells in lines[before:]])
    with pytest.raises(essconv.PlanFormatError) as info:
        _read(_table(["en k€"] + FUNDERS, rows))
    (problem,) = info.value.problems
    assert problem.line == 2 + before and problem.structural
    assert f"'{label}', in capitals with no amount" in problem.message
    assert "heading" in problem.message and "action line planned at 0" in problem.message
    rows[before] = [label, D(0), D(0), D(0)]
    plan = _read(_table(["en k€"] + FUNDERS, rows))
    assert label in plan.lines and plan.axes == [] and plan.by_line()[label] == 0


def test_lettered_lines_the_first_not_funded_yet_are_lines_of_one_list():
    """'A) Former;;' above 'B) Accompagner;12;5': two items of one list, the first a line nobody
    funds yet -- not the heading of the second."""
    values = {"A) Former": [None, None, None], "B) Accompagner": [D(12), D(5), None],
              "C) Observer": [D("1.5"), None, D(2)]}
    rows = [[line] + cells for line, cells in values.items()]
    plan = _read(_table(["en k€"] + FUNDERS, rows))
    assert plan.lines == list(values) and plan.axes == []
    assert plan.total() == sum((v for c in values.values() for v in c if v is not None), D(0))


def test_a_numbered_heading_with_no_line_under_it_stays_a_line():
    """'II. Développer;;' with only the Total row under it heads no line: it stays a line."""
    rows = [["I. Structurer", None, None, None], ["DLA", D(1), D(2), D(3)],
            ["II. Développer", None, None, None], ["Total", D(1), D(2), D(3)]]
    plan = _read(_table(["en k€"] + FUNDERS, rows))
    assert plan.lines == ["DLA", "II. Développer"] and plan.axes == ["I. Structurer"]
    assert plan.validate().ok


@pytest.mark.parametrize("heading", ["I. Structurer", "A) Structurer", "STRUCTURER L'ESS"])
def test_sub_totals_on_a_roman_lettered_or_capital_heading_are_checked_and_never_added(heading):
    """'I. Structurer;210;20;20,5' above its lines: read as a line, the axis counted twice in
    total() -- silently when no Total row was printed."""
    by_axis, by_line, by_funder, total = _axis_oracle()
    header = ["en k€"] + FUNDERS + ["Total"]
    rows = []
    for n, (axis, lines) in enumerate(AXES.items(), start=1):
        subtotals = [sum((c[j] for c in lines.values() if c[j] is not None), D(0))
                     for j in range(len(FUNDERS))]
        label = heading.replace("I", "I" * n).replace("A)", "AB"[n - 1] + ")") \
            .replace("STRUCTURER", axis.upper())
        rows.append([label] + subtotals + [by_axis[axis]])
        rows += [[line] + cells + [by_line[line]] for line, cells in lines.items()]
    plan = _read(_table(header, rows))
    assert plan.lines == [line for lines in AXES.values() for line in lines]
    assert list(plan.by_axis().values()) == list(by_axis.values())
    assert plan.by_funder() == by_funder and plan.total() == total
    assert plan.validate().errors == []


def test_a_lettered_line_whose_figures_are_not_the_sums_under_it_stays_a_line():
    """'A) Formation;12;5' above unlettered lines that do not add up to it is an action line
    (lettered), counted once; it is no heading printing wrong sub-totals."""
    values = {"A) Formation": [D(12), D(5), None], "Observatoire": [D(1), D(2), D(3)],
              "DLA": [D(4), None, D("0.5")]}
    rows = [[line] + cells for line, cells in values.items()]
    plan = _read(_table(["en k€"] + FUNDERS, rows))
    assert plan.lines == list(values) and plan.axes == []
    assert plan.total() == sum((v for c in values.values() for v in c if v is not None), D(0))


def test_a_wrong_sub_total_on_a_heading_numbered_like_one_with_right_ones_is_refused():
    """'I. Structurer' printing its lines' sums, then 'II. Développer;9;9' over lines adding up
    to less: the second is a heading whose sub-totals are wrong, never a line counted on top."""
    rows = [["I. Structurer", D(4), D(6), None], ["L1", D(1), D(2), None],
            ["L2", D(3), D(4), None], ["II. Développer", D(9), D(1), None],
            ["L3", D(1), D(1), None]]
    with pytest.raises(essconv.PlanFormatError) as info:
        _read(_table(["en k€"] + FUNDERS, rows))
    (problem,) = info.value.problems
    assert (problem.line, problem.column) == (5, len("II. Développer;") + 1)
    assert "'II. Développer' prints '9' under 'CR'" in problem.message
    assert "its line (line 6) adds up to 1" in problem.message


# ---------------------------------------------------------------- one line or axis typed twice

@pytest.mark.parametrize("first,second", [("Formation", "formation"), ("Économie", "Economie"),
                                          ("DLA", "D L A"), ("Têtes de réseaux",
                                                             "TÊTES DE RÉSEAUX ")])
@pytest.mark.parametrize("group_column", [False, True])
def test_two_lines_that_differ_only_in_case_spaces_or_accents_are_refused_naming_both(
        first, second, group_column):
    """'Formation' and 'formation' under one axis were two lines: one action split in two in
    by_line() and the pivot, while every total still agreed."""
    lead = ["A1"] if group_column else []
    header = (["Axe", "Action"] if group_column else ["en k€"]) + FUNDERS
    rows = [lead + [first, D(1), D(2), None], ([""] if group_column else []) +
            ["Observatoire", D(3), None, D(4)], ([""] if group_column else []) +
            [second, D(5), D(6), D("0.5")]]
    with pytest.raises(essconv.PlanFormatError) as info:
        _read(_table(header, rows))
    (problem,) = info.value.problems
    assert (problem.line, problem.column) == (4, 2 if group_column else 1)   # ";formation"
    assert f"'{first}' (line 2)" in problem.message
    assert f"'{second.strip()}' (line 4)" in problem.message
    assert "merge the two rows under one name" in problem.message


def test_one_line_under_two_axes_is_still_two_lines():
    header = ["Axe", "Action"] + FUNDERS
    rows = [["A1", "Formation", D(1), D(2), None], ["A2", "formation", D(3), None, D(4)]]
    plan = _read(_table(header, rows))
    assert plan.lines == ["Formation", "formation"]
    assert plan.by_axis() == {"A1": D(3), "A2": D(7)}


@pytest.mark.parametrize("first,second", [("Économie", "Economie"), ("Axe 1 : Structurer",
                                                                     "AXE 1 : STRUCTURER"),
                                          ("Axe 2", "Axe  2")])
@pytest.mark.parametrize("as_rows", [False, True])
def test_two_axes_that_differ_only_in_case_spaces_or_accents_are_refused_naming_both(
        first, second, as_rows):
    """'Économie' above and 'Economie' further down were two axes: by_axis() and the pivot
    split one axis in two, while every total still agreed."""
    if as_rows:
        header = ["en k€"] + FUNDERS
        heading = [] if first.startswith("Axe") else ["Axe 9 : "]
        rows = [["".join(heading) + first, None, None, None], ["L1", D(1), D(2), None],
                ["Axe 3 : Autre", None, None, None], ["L2", D(3), None, D(4)],
                ["".join(heading) + second, None, None, None], ["L3", D(5), D(6), None]]
    else:
        header = ["Axe", "Action"] + FUNDERS
        rows = [[first, "L1", D(1), D(2), None], ["Autre", "L2", D(3), None, D(4)],
                [second, "L3", D(5), D(6), None]]
    with pytest.raises(essconv.PlanFormatError) as info:
        _read(_table(header, rows))
    (problem,) = info.value.problems
    assert (problem.line, problem.column) == (6 if as_rows else 4, 1)
    assert "axes '" in problem.message and "(line 2)" in problem.message
    assert "write it one way in both places" in problem.message


# ---------------------------------------------------------------- an action line named "Total ..."

# a plan with an action line whose name starts with "Total": line -> funder amounts
TOTAL_NAMED = {"Observatoire": [D(13), None, D("10.5")],
               "Total des actions de formation": [D(40), D(12), None],
               "DLA": [D(327), D(274), D(62)]}


@pytest.mark.parametrize("total_label", ["Total", "TOTAL GÉNÉRAL (k€)",
                                         "Total des financements"])
def test_an_action_line_named_total_above_the_plans_total_row_is_a_line(total_label):
    """'Total des actions de formation;40;12' among the lines was taken for the Total row: with
    the real Total row below it, the plan was refused as having 'a second Total row'."""
    by_funder = {f: sum((c[j] for c in TOTAL_NAMED.values() if c[j] is not None), D(0))
                 for j, f in enumerate(FUNDERS)}
    rows = [[line] + cells for line, cells in TOTAL_NAMED.items()]
    rows.append([total_label] + [by_funder[f] for f in FUNDERS])
    plan = _read(_table(["en k€"] + FUNDERS, rows))
    assert plan.lines == list(TOTAL_NAMED)
    assert plan.by_funder() == by_funder
    assert plan.total() == sum(by_funder.values(), D(0))
    assert plan.stated_funder_totals == by_funder and plan.validate().ok


def test_a_wrong_total_row_below_an_action_line_named_total_is_reported_as_wrong():
    """Read as a line, 'Total des actions de formation' is checked by the Total row: a wrong
    Total is still said to be wrong, at its cell."""
    by_funder = {f: sum((c[j] for c in TOTAL_NAMED.values() if c[j] is not None), D(0))
                 for j, f in enumerate(FUNDERS)}
    rows = [[line] + cells for line, cells in TOTAL_NAMED.items()]
    rows.append(["Total", by_funder["CR"] + 1, by_funder["CG-59"], by_funder["CDC"]])
    plan = _read(_table(["en k€"] + FUNDERS, rows))
    errors = plan.validate().errors
    assert [(f.code, f.funder) for f in errors] == [("column-total", "CR")]
    assert (errors[0].source_line, errors[0].source_column) == (5, len("Total;") + 1)


def test_an_action_line_named_total_with_no_total_row_below_is_refused_saying_both_readings():
    """With no Total row under it, 'Total des actions de formation;40;12' was read as the plan's
    Total row, and validate() said CR's total was 40 where its column gave 13: a wrong total
    that was no total.  Nothing would check it as a line either: refused, naming it."""
    rows = [[line] + cells for line, cells in TOTAL_NAMED.items()]
    with pytest.raises(essconv.PlanFormatError) as info:
        _read(_table(["en k€"] + FUNDERS, rows))
    (problem,) = info.value.problems
    assert (problem.line, problem.column) == (3, 1)
    assert "if 'Total des actions de formation' is an action line, rename it" in problem.message
    assert "if it is the Total row, move those lines above it" in problem.message


@pytest.mark.parametrize("label", ["Total", "TOTAL :", "Total général", "Total (k€)"])
def test_a_wrong_total_row_with_lines_under_it_is_still_a_wrong_total(label):
    """'Total' alone is never an action's name: lines printed under a Total row are added, and
    the Total row reported wrong against them, as before."""
    rows = [["L1", D(1), D(2), None], ["L2", D(3), D(4), None], [label, D(4), D(6), None],
            ["L3", D(5), None, None]]
    plan = _read(_table(["en k€"] + FUNDERS, rows))
    assert plan.lines == ["L1", "L2", "L3"] and plan.has_total_row
    assert [(f.code, f.funder) for f in plan.validate().errors] == [("column-total", "CR")]


def test_a_total_named_otherwise_equal_to_the_lines_above_with_lines_and_no_total_under_it_is_refused():
    """'Total des financements' equal to the lines above it, a line under it and no Total row
    below: it was taken for the plan's Total row, and validate() said CR's total was 4 where
    its column gave 9 -- L3 reported as a gap in a total, not as a line outside it.  Whether it
    is the Total row (L3 misplaced) or a partial total (nothing checks L3) is not the reader's
    to guess: refused, naming both readings."""
    rows = [["L1", D(1), D(2), None], ["L2", D(3), D(4), None],
            ["Total des financements", D(1) + D(3), D(2) + D(4), None], ["L3", D(5), None, None]]
    with pytest.raises(essconv.PlanFormatError) as info:
        _read(_table(["en k€"] + FUNDERS, rows))
    (problem,) = info.value.problems
    assert (problem.line, problem.column) == (4, 1)
    assert "'Total des financements' prints the sums of the lines above it" in problem.message
    assert "read as the plan's Total row" in problem.message
    assert "read as a partial total" in problem.message


# lines -> funder amounts, a partial total of each block printed under it, then the Total row
PARTIALS = [{"L1": [D(1), D(2), None], "L2": [D(3), D(4), D("0.5")]},
            {"L3": [D(5), None, D(7)], "L4": [D(11), D(13), None]},
            {"L5": [D(17), D(19), D(23)]}]


@pytest.mark.parametrize("blocks_total", ["each block", "all above"])
def test_a_total_des_row_equal_to_the_lines_above_it_is_a_partial_total_never_added(blocks_total):
    """'Total des formations' printing the sums of the lines above it, lines and the plan's
    Total row under it: it was taken for the Total row, and the plan refused as having 'a second
    Total row' (or, with figures of one block after another, read as a line: its money counted
    twice).  It is a partial total: checked, never added, and the Total row checks every line."""
    def sums(lines):
        return [sum((c[j] for c in lines.values() if c[j] is not None), D(0))
                for j in range(len(FUNDERS))]
    rows, above = [], {}
    for k, block in enumerate(PARTIALS):
        rows += [[line] + cells for line, cells in block.items()]
        above.update(block)
        if k < len(PARTIALS) - 1:
            rows.append([f"Total des actions {k + 1}"]
                        + sums(block if blocks_total == "each block" or k == 0 else above))
    lines = {l: c for block in PARTIALS for l, c in block.items()}
    by_funder = dict(zip(FUNDERS, sums(lines)))
    rows.append(["Total"] + list(by_funder.values()))
    plan = _read(_table(["en k€"] + FUNDERS, rows))
    assert plan.lines == list(lines)
    assert plan.by_funder() == by_funder
    assert plan.total() == sum(by_funder.values(), D(0))
    assert plan.validate().ok


def test_a_total_des_row_equal_to_the_lines_above_that_the_total_row_counts_is_refused():
    """'Total des formations' printing the sums of L1 and L2, and a Total row that adds it in as
    a line: read as a partial total the Total row is wrong, read as a line its money counts
    twice -- the two readings disagree, and the plan is refused naming both."""
    lines = {"L1": [D(4), D(1), None], "L2": [D(6), D(2), D("0.5")], "L3": [D(1), D(1), None]}
    partial = [D(4) + D(6), D(1) + D(2), D("0.5")]
    rows = [["L1"] + lines["L1"], ["L2"] + lines["L2"], ["Total des formations"] + partial,
            ["L3"] + lines["L3"]]
    by_funder = [sum((c[j] for c in lines.values() if c[j] is not None), D(0)) + partial[j]
                 for j in range(len(FUNDERS))]
    rows.append(["Total"] + by_funder)
    with pytest.raises(essconv.PlanFormatError) as info:
        _read(_table(["en k€"] + FUNDERS, rows))
    (problem,) = info.value.problems
    assert (problem.line, problem.column) == (4, 1)
    assert "'Total des formations' prints the sums of the lines above it, and the Total row " \
           "(line 6) counts it as a line" in problem.message
    assert "read as a partial total" in problem.message and "read as a line" in problem.message


# an outer heading over inner headings, both printing sub-totals: inner heading -> lines
NESTED = {"I. STRUCTURER": {"A) Former": {"L1": [D(4), D(1), None], "L2": [D(6), D(2), D(3)]},
                            "B) Accompagner": {"L3": [D(20), D(4), None]}},
          "II. DÉVELOPPER": {"C) Créer": {"L4": [D(1), None, D("2.5")]}}}


def _nested_rows(outer_shift=D(0)):
    """The NESTED plan as printed, each heading with its lines' sums (the first outer heading's
    CR figure shifted by outer_shift), and the Total row; -> (rows, by_funder)."""
    def sums(lines):
        return [sum((c[j] for c in lines.values() if c[j] is not None), D(0))
                for j in range(len(FUNDERS))]
    rows, every = [], {}
    for n, (outer, inners) in enumerate(NESTED.items()):
        lines = {l: c for inner in inners.values() for l, c in inner.items()}
        every.update(lines)
        printed = sums(lines)
        if n == 0:
            printed[0] += outer_shift
        rows.append([outer] + printed)
        for inner, its_lines in inners.items():
            rows.append([inner] + sums(its_lines))
            rows += [[l] + c for l, c in its_lines.items()]
    by_funder = dict(zip(FUNDERS, sums(every)))
    return rows, by_funder


@pytest.mark.parametrize("total_row", [True, False])
def test_a_heading_over_headings_printing_sub_totals_is_checked_and_never_added(total_row):
    """'I. STRUCTURER;30;7' above 'A) Former;10;3' and its lines: the outer heading was read as
    a line, its money counted twice -- silently without a Total row."""
    rows, by_funder = _nested_rows()
    if total_row:
        rows.append(["Total"] + list(by_funder.values()))
    plan = _read(_table(["en k€"] + FUNDERS, rows))
    assert plan.lines == [l for inners in NESTED.values() for inner in inners.values()
                          for l in inner]
    assert plan.axes == [inner for inners in NESTED.values() for inner in inners]
    assert plan.by_funder() == by_funder
    assert plan.total() == sum(by_funder.values(), D(0))
    assert plan.validate().ok


def test_a_heading_over_headings_whose_figures_are_not_their_sums_is_refused_naming_both_readings():
    """'I. STRUCTURER' printing 1 k€ more than its lines, above headings printing sub-totals: a
    heading with a wrong sub-total, or an action line above headings -- refused, never guessed."""
    rows, _ = _nested_rows(outer_shift=D(1))
    with pytest.raises(essconv.PlanFormatError) as info:
        _read(_table(["en k€"] + FUNDERS, rows))
    (problem,) = info.value.problems
    assert problem.line == 2
    assert "'I. STRUCTURER' has figures and a heading printing sub-totals under it" in problem.message
    assert "read as a heading over those headings" in problem.message
    assert "read as an action line" in problem.message


def test_a_capitals_row_with_figures_that_are_not_its_lines_sums_is_a_line_and_counted():
    """'OBSERVATOIRE DE L'ESS;5;5' in capitals above lines, its figures not theirs: an action
    line, its money counted, never a heading dropped."""
    rows = [["OBSERVATOIRE DE L'ESS", D(5), D(5), None], ["L1", D(4), D(1), None],
            ["L2", D(6), D(2), D(3)]]
    plan = _read(_table(["en k€"] + FUNDERS, rows))
    assert plan.lines == ["OBSERVATOIRE DE L'ESS", "L1", "L2"]
    assert plan.by_funder() == {"CR": D(5) + D(4) + D(6), "CG-59": D(5) + D(1) + D(2),
                                "CDC": D(3)}


def test_a_capitals_row_below_a_capitals_heading_with_sub_totals_is_refused_naming_both_readings():
    """'OBSERVATOIRE ESS;5;5' under 'STRUCTURER;10;3' (a heading, its figures its lines' sums):
    read as a heading its sub-totals are wrong, read as a line its money counts -- both said."""
    rows = [["STRUCTURER", D(10), D(3), None], ["L1", D(4), D(1), None],
            ["L2", D(6), D(2), None], ["OBSERVATOIRE ESS", D(5), D(5), None],
            ["L3", D(1), D(1), None]]
    with pytest.raises(essconv.PlanFormatError) as info:
        _read(_table(["en k€"] + FUNDERS, rows))
    messages = [p.message for p in info.value.problems]
    assert len(messages) == 2 and all(m.startswith("'OBSERVATOIRE ESS' prints '5'")
                                      for m in messages)
    assert all("read as a heading" in m and "read as an action line, its money is counted" in m
               for m in messages)


# ---------------------------------------------------------------- notes' marks in amount cells

NOTE = "(1) montant à confirmer par le Département"


@pytest.mark.parametrize("total_row", [False, True])
def test_a_notes_mark_alone_in_a_cell_is_no_negative_amount(total_row):
    """'(1)' in a cell, the note '(1) montant à confirmer' under the table: the mark was read
    as -1 k€ (parentheses for a negative) -- silently with no Total row, where the note became
    an action line too."""
    by_funder, by_line, total = _oracle()
    rows = [[line] + cells for line, cells in CELLS.items()]
    rows[0] = [rows[0][0], rows[0][1], "(1)", rows[0][3]]   # the CG-59 cell of the first line
    cg = by_funder["CG-59"] - CELLS["Têtes de réseaux"][1]
    if total_row:
        rows.append(["Total"] + [by_funder["CR"], cg, by_funder["CDC"]])
    rows.append([NOTE, None, None, None])
    plan = _read(_table(["en k€"] + FUNDERS, rows))
    assert plan.lines == list(CELLS)
    assert plan.by_funder() == {"CR": by_funder["CR"], "CG-59": cg, "CDC": by_funder["CDC"]}
    assert plan.cell("Têtes de réseaux", "CG-59") is None
    (problem,) = plan.problems
    assert (problem.line, problem.column) == (2, len("Têtes de réseaux;197;") + 1)
    assert "'(1)' is the mark of the note on line" in problem.message
    (finding,) = [f for f in plan.validate() if f.code == "malformed-number"]
    assert (finding.line, finding.funder) == ("Têtes de réseaux", "CG-59")


def test_an_amount_followed_by_a_notes_mark_is_said_so():
    rows = [[line] + cells for line, cells in CELLS.items()]
    rows[0][1] = "197 (1)"
    rows.append([NOTE, None, None, None])
    plan = _read(_table(["en k€"] + FUNDERS, rows))
    (problem,) = plan.problems
    assert "'197 (1)' ends with the mark of the note on line 5" in problem.message


def test_a_negative_in_parentheses_is_a_negative_when_no_note_has_its_mark():
    """'(12)' is -12 as accountants print it; '(1)' without a note '(1) ...' too."""
    rows = [[line] + cells for line, cells in CELLS.items()]
    rows[0][2], rows[1][2] = "(12)", "(1)"
    rows.append(["(a) note d'une autre marque", None, None, None])
    plan = _read(_table(["en k€"] + FUNDERS, rows))
    assert plan.cell("Têtes de réseaux", "CG-59") == D(-12)
    assert plan.cell("Observatoire", "CG-59") == D(-1)
    assert plan.lines == list(CELLS)   # the note '(a) ...' is no line, and is said
    (problem,) = plan.problems
    assert problem.line == 5 and "reads as a note" in problem.message


# headings in capitals printing their lines' sub-totals, an action line in capitals planned at
# 0 inside the first block: heading -> {line: cells (None: blank)}
CAPITAL_BLOCKS = {"STRUCTURER LE SECTEUR": {"DLA": [D(8), D(3), None],
                                            "ANIMATION TERRITORIALE": [None, None, None],
                                            "Têtes de réseau": [D(5), D(2), D("1.5")]},
                  "DÉVELOPPER L'EMPLOI": {"Emploi associatif": [D(10), D(4), None]}}


def _capital_blocks_rows(printed_block):
    """CAPITAL_BLOCKS as printed, each heading with the sums of its lines -- the first one's
    with the sums of its first printed_block lines only; -> rows."""
    def sums(cells):
        return [sum((c[j] for c in cells if c[j] is not None), D(0)) for j in range(len(FUNDERS))]
    rows = []
    for n, (heading, lines) in enumerate(CAPITAL_BLOCKS.items()):
        cells = list(lines.values())
        rows.append([heading] + sums(cells[:printed_block] if n == 0 else cells))
        rows += [[line] + c for line, c in lines.items()]
    return rows


@pytest.mark.parametrize("total_row", [False, True])
def test_a_capitals_line_at_0_inside_a_capitals_headings_block_is_told_by_its_sub_totals(total_row):
    """'STRUCTURER LE SECTEUR;13;5' over 'DLA;8;3', 'ANIMATION TERRITORIALE;;', 'Têtes de
    réseau;5;2': the heading's sub-totals count the lines on both sides of the capitals row, so
    it is a line of that block planned at 0 -- it was refused as undecidable."""
    rows = _capital_blocks_rows(printed_block=3)
    lines = {l: c for block in CAPITAL_BLOCKS.values() for l, c in block.items()}
    by_funder = {f: sum((c[j] for c in lines.values() if c[j] is not None), D(0))
                 for j, f in enumerate(FUNDERS)}
    if total_row:
        rows.append(["Total"] + list(by_funder.values()))
    plan = _read(_table(["en k€"] + FUNDERS, rows))
    assert plan.lines == list(lines)
    assert plan.axes == list(CAPITAL_BLOCKS)
    assert plan.by_axis() == {h: sum((v for c in ls.values() for v in c if v is not None), D(0))
                              for h, ls in CAPITAL_BLOCKS.items()}
    assert plan.by_line()["ANIMATION TERRITORIALE"] == 0
    assert plan.by_funder() == by_funder and plan.problems == []
    if total_row:
        assert plan.validate().ok


def test_a_capitals_row_where_a_capitals_headings_sub_totals_end_is_a_heading():
    """The same rows, 'STRUCTURER LE SECTEUR' printing DLA's figures alone: its block ends at
    'ANIMATION TERRITORIALE', a heading of the lines under it."""
    rows = _capital_blocks_rows(printed_block=1)
    plan = _read(_table(["en k€"] + FUNDERS, rows))
    first = CAPITAL_BLOCKS["STRUCTURER LE SECTEUR"]
    assert plan.axes == ["STRUCTURER LE SECTEUR", "ANIMATION TERRITORIALE", "DÉVELOPPER L'EMPLOI"]
    assert "ANIMATION TERRITORIALE" not in plan.lines
    assert plan.by_axis()["ANIMATION TERRITORIALE"] == sum(
        (v for v in first["Têtes de réseau"] if v is not None), D(0))


@pytest.mark.parametrize("printed_block", [2, None])
def test_a_capitals_row_inside_a_capitals_headings_block_is_refused_when_its_sums_do_not_tell(
        printed_block):
    """Sub-totals that hold both with and without the lines under the capitals row (they are
    all 0: printed_block 2 counts none of them), or with neither: refused, both readings said."""
    rows = _capital_blocks_rows(printed_block=3 if printed_block is None else printed_block)
    if printed_block is None:
        rows[0][1] += 1
    else:
        rows[3] = ["Têtes de réseau", D(0), D(0), D(0)]
    with pytest.raises(essconv.PlanFormatError) as info:
        _read(_table(["en k€"] + FUNDERS, rows))
    assert any("'ANIMATION TERRITORIALE', in capitals with no amount" in p.message
               and "action line planned at 0" in p.message for p in info.value.problems)


@pytest.mark.parametrize("note", [NOTE, "(a) hors CPER", "(**) sous réserve du vote"])
def test_a_note_whose_mark_no_cell_carries_is_no_line(note):
    """'(1) montant à confirmer' alone in its first cell under the last line, no Total row, no
    cell carrying '(1)': it was read as an action line of blank cells.  A note by its shape:
    kept out of the lines, and said."""
    rows = [[line] + cells for line, cells in CELLS.items()] + [[note, None, None, None]]
    plan = _read(_table(["en k€"] + FUNDERS, rows))
    _assert_sums(plan)
    (problem,) = plan.problems
    assert (problem.line, problem.column) == (len(CELLS) + 2, 1) and not problem.structural
    assert f"'{note}' under the last line reads as a note" in problem.message


@pytest.mark.parametrize("notes", [[NOTE], [NOTE, "(2) hors CPER"], [NOTE, ""]])
def test_a_note_just_above_the_total_row_is_no_line(notes):
    """'(1) montant à confirmer' alone in its first cell between the last line and the Total
    row, no cell carrying '(1)': it was read as an action line of blank cells (planned at 0,
    and the Total row agreed).  A note there as much as under the Total row: kept out, said."""
    by_funder, _, total = _oracle()
    rows = [[line] + cells for line, cells in CELLS.items()]
    rows += [[note, None, None, None] for note in notes]
    rows.append(["Total"] + [by_funder[f] for f in FUNDERS])
    plan = _read(_table(["en k€"] + FUNDERS, rows))
    _assert_sums(plan)
    marked = [n for n in notes if n]
    assert [p.line for p in plan.problems] == [len(CELLS) + 2 + k for k in range(len(marked))]
    assert all(not p.structural and "reads as a note" in p.message for p in plan.problems)
    assert plan.validate().ok


def test_a_numbered_list_above_the_total_row_keeps_its_unfunded_last_item():
    rows = [["(1) Former", D(12), D(5), None], ["(2) Observer", None, None, None],
            ["Total", D(12), D(5), D(0)]]
    plan = _read(_table(["en k€"] + FUNDERS, rows))
    assert plan.lines == ["(1) Former", "(2) Observer"] and plan.problems == []


def test_a_note_whose_mark_a_label_carries_is_no_line_and_nothing_to_say():
    rows = [[line] + cells for line, cells in CELLS.items()] + [[NOTE, None, None, None]]
    labelled = dict(CELLS)
    rows[0][0] += " (1)"
    plan = _read(_table(["en k€"] + FUNDERS, rows))
    assert plan.lines == [rows[0][0]] + list(labelled)[1:] and plan.problems == []


@pytest.mark.parametrize("last", ["(3) Observer", "(Re)lancer l'observatoire", "Observatoire"])
def test_a_line_starting_with_a_parenthesis_under_the_last_line_stays_a_line(last):
    """'(3) Observer;;' after '(1) Former;12;5', '(2) Accompagner;3;4': a list numbered in
    parentheses whose last item nobody funds yet; '(Re)lancer ...;;' starts with no mark."""
    rows = [["(1) Former", D(12), D(5), None], ["(2) Accompagner", D(3), D(4), D(1)]]
    if not last.startswith("(3)"):
        rows = [[label[4:]] + cells for label, *cells in rows]
    rows.append([last, None, None, None])
    plan = _read(_table(["en k€"] + FUNDERS, rows))
    assert plan.lines == [r[0] for r in rows] and plan.by_line()[last] == 0
    assert plan.problems == []


def test_two_capitals_lines_at_0_in_a_row_inside_a_capitals_headings_block_are_lines_of_it():
    """'ANIMATION TERRITORIALE;;' over 'OBSERVATOIRE RÉGIONAL ESS;;', both inside the block
    the heading's sub-totals count: the first, read as a line, ended the block and the second
    was refused."""
    rows = _capital_blocks_rows(printed_block=3)
    rows.insert(3, ["OBSERVATOIRE RÉGIONAL ESS", None, None, None])
    plan = _read(_table(["en k€"] + FUNDERS, rows))
    first = list(CAPITAL_BLOCKS["STRUCTURER LE SECTEUR"])
    assert plan.lines[:4] == first[:2] + ["OBSERVATOIRE RÉGIONAL ESS"] + first[2:]
    assert plan.axes == list(CAPITAL_BLOCKS) and plan.problems == []
    assert plan.by_axis()["STRUCTURER LE SECTEUR"] == sum(
        (v for c in CAPITAL_BLOCKS["STRUCTURER LE SECTEUR"].values() for v in c if v is not None),
        D(0))


@pytest.mark.parametrize("name, unit_over_all", [
    ("Part CDC (k€)", False), ("Part CDC (k€)", True), ("Part de la CDC en k€", False),
    ("Part CDC (k€ HT)", True), ("PART CR (K€)", False)])
def test_a_funders_part_in_a_money_unit_is_its_second_column_never_added_twice(name,
                                                                               unit_over_all):
    """'Part CDC (k€)' beside 'CDC' prints CDC's part of each line in k€: CDC's amounts.  Read
    as a funder 'Part CDC', every total held CDC's amounts twice (or, with no unit over the
    others, the plan was refused for a unit over one column, another cause than the true one).
    Refused as a second column of that funder, at the share's header cell."""
    funder = "CR" if name.startswith("PART CR") else "CDC"
    at = FUNDERS.index(funder)
    suffix = " (k€ HT)" if "HT" in name else " (k€)"
    header = ["Action" if unit_over_all else "en k€"] + [
        f + suffix if unit_over_all else f for f in FUNDERS] + [name]
    rows = [[line] + cells + [cells[at]] for line, cells in CELLS.items()]
    with pytest.raises(essconv.PlanFormatError) as info:
        _read(_table(header, rows))
    refusals = [p for p in info.value.problems if p.structural]
    (twice,) = refusals
    assert twice.reason == ("plan-funder-twice", at + 2, len(header), funder)
    assert twice.line == 1 and twice.column == len(";".join(header[:-1])) + 2
    assert name in twice.message and "added twice" in twice.message
    assert not [p for p in info.value.problems if p.reason and p.reason[0] in
                ("plan-unit-one-column", "plan-unit-title", "plan-share-column")]


@pytest.mark.parametrize("lang, words", [
    ("fr", "le financeur « CDC » est en tête de deux colonnes (4 et 5)"),
    ("en", "'Part CDC (k€)' prints the part of the funder 'CDC' in a money unit")])
def test_a_funders_part_in_a_money_unit_is_said_by_the_cli(tmp_path, capsys, lang, words):
    from essconv.cli import main
    header = ["en k€"] + FUNDERS + ["Part CDC (k€)"]
    rows = [[line] + cells + [cells[2]] for line, cells in CELLS.items()]
    path = tmp_path / "plan-2010.csv"
    path.write_bytes(_table(header, rows))
    assert main(["validate", str(path), "--lang", lang]) == 2
    out = capsys.readouterr()
    text = (out.out + out.err).replace("\u00a0", " ").replace("\u202f", " ")
    assert words in text and ":1:20:" in text


@pytest.mark.parametrize("name", ["Part usagers (k€)", "Part autofinancement en k€"])
def test_a_part_in_a_money_unit_naming_no_funder_of_the_header_is_a_funder(name):
    by_funder, by_line, total = _oracle()
    header = ["en k€"] + FUNDERS + [name]
    rows = [[line] + cells + [D(1)] for line, cells in CELLS.items()]
    plan = _read(_table(header, rows))
    assert plan.funders == FUNDERS + [name.split(" (")[0].split(" en ")[0]]
    assert plan.total() == total + len(CELLS)


@pytest.mark.parametrize("name, reason", [
    ("CDC share", "plan-share-column"), ("CDC's share", "plan-share-column"),
    ("CDC’s share", "plan-share-column"), ("cdc SHARE", "plan-share-column"),
    ("CDC share (k€)", "plan-funder-twice")])
def test_an_english_funders_share_column_is_refused_never_added(name, reason):
    """The English order, the funder first ("CDC share"): read as a funder "CDC share", its
    percentages were added to every total, silently with no Total printed."""
    header = ["Line"] + FUNDERS + [name]
    rows = [[line] + cells + [D(50)] for line, cells in CELLS.items()]
    with pytest.raises(essconv.PlanFormatError) as info:
        _read(_table(header, rows), unit="k€")
    (refusal,) = [p for p in info.value.problems if p.structural]
    assert refusal.reason[0] == reason and refusal.line == 1
    assert refusal.column == len(";".join(header[:-1])) + 2


@pytest.mark.parametrize("name", ["Usagers share", "Market share"])
def test_an_english_share_naming_no_funder_of_the_header_is_a_funder(name):
    by_funder, by_line, total = _oracle()
    header = ["Line"] + FUNDERS + [name]
    rows = [[line] + cells + [D(1)] for line, cells in CELLS.items()]
    plan = _read(_table(header, rows))
    assert plan.funders == FUNDERS + [name]
    assert plan.total() == total + len(CELLS)


@pytest.mark.parametrize("suffix", [" k€", " K€", " - k€", " – K€ HT", " : keur", " euros",
                                    " / k€ TTC"])
def test_a_unit_printed_after_the_funder_without_parentheses_is_the_units(suffix):
    """"CR k€": the unit with neither parentheses nor "en" stayed in the name, a funder "CR k€"
    that no convention bears, another than next year's "CR"."""
    header = ["Action"] + [f + suffix for f in FUNDERS]
    rows = [[line] + cells for line, cells in CELLS.items()]
    plan = _read(_table(header, rows))
    _assert_sums(plan)
    assert plan.unit == ("€" if "euros" in suffix else "k€")


@pytest.mark.parametrize("name", ["Fondation K", "CG 59", "Fonds M", "Europe 2020"])
def test_a_funder_whose_name_ends_like_a_unit_letter_keeps_it(name):
    header = ["en k€", name, "CDC"]
    rows = [["DLA", D(10), D(5)]]
    assert _read(_table(header, rows)).funders == [name, "CDC"]


# "Part X ..." beside X, no money unit printed: what the cells hold says which refusal
_PART_WORDS = ["Part CDC (montant)", "Part CDC HT", "Part de la CDC (montant HT)",
               "Part CDC - 2010", "PART CDC 2010", "CDC part", "CDC part HT", "CDC (part)",
               "cdc part (k€ HT)"]


@pytest.mark.parametrize("name", _PART_WORDS)
@pytest.mark.parametrize("cells", ["copied", "percent"])
def test_a_funders_part_with_words_after_is_never_a_funder_of_its_own(name, cells):
    """'Part CDC (montant)', 'Part CDC HT', 'CDC part' beside 'CDC': compared whole with the
    other columns' funders, the header named none, and the column was read as a funder 'Part
    CDC (montant)' -- CDC's amounts added a second time to every total, without a word when
    the table printed no Total.  Its cells decide: CDC's amounts copied line by line are CDC's
    second column, shares printed with '%' a share column."""
    at = FUNDERS.index("CDC")
    header = ["en k€"] + FUNDERS + [name]
    if cells == "copied":
        rows = [[line] + row + [row[at]] for line, row in CELLS.items()]
    else:
        rows = [[line] + row + [f"{n} %"] for (line, row), n in zip(CELLS.items(), (50, 30, 20))]
    with pytest.raises(essconv.PlanFormatError) as info:
        _read(_table(header, rows))
    (refusal,) = [p for p in info.value.problems if p.structural]
    assert refusal.line == 1 and refusal.column == len(";".join(header[:-1])) + 2
    if cells == "copied":
        assert refusal.reason == ("plan-funder-twice", at + 2, len(header), "CDC")
        assert name in refusal.message and "added twice" in refusal.message
        if "k€" not in name:
            assert "money unit" not in refusal.message
    else:
        assert refusal.reason == ("plan-share-column", 0, 0, name)


@pytest.mark.parametrize("name, shares, reason", [
    # figures of 100 or less, unlike CDC's: shares, unless the header says "montant"
    ("Part CDC HT", ["50", "30", "20"], "plan-share-column"),
    ("Part CDC (montant)", ["50", "30", "20"], "plan-funder-twice"),
    # a figure over 100 is no percentage, nor one printed in a money unit: an amount
    ("Part CDC HT", ["50", "130", "20"], "plan-funder-twice"),
    ("Part CDC HT", ["50 €", "", "20"], "plan-funder-twice"),
    ("CDC part", ["12,5 €", "30", "20"], "plan-funder-twice")])
def test_a_funders_part_without_unit_is_told_by_its_figures(name, shares, reason):
    header = ["en k€"] + FUNDERS + [name]
    rows = [[line] + row + [v] for (line, row), v in zip(CELLS.items(), shares)]
    with pytest.raises(essconv.PlanFormatError) as info:
        _read(_table(header, rows))
    (refusal,) = [p for p in info.value.problems if p.structural]
    assert refusal.reason[0] == reason


@pytest.mark.parametrize("name", ["Part CRESS", "Part usagers HT", "Participation CDC"])
def test_a_part_naming_no_funder_of_the_header_by_its_words_stays_a_funder(name):
    """'CR' is no word of 'CRESS': the regional chamber's part is a funder of its own."""
    by_funder, by_line, total = _oracle()
    header = ["en k€"] + FUNDERS + [name]
    rows = [[line] + row + [D(2)] for line, row in CELLS.items()]
    plan = _read(_table(header, rows))
    assert plan.funders == FUNDERS + [name]
    assert plan.total() == total + 2 * len(CELLS)


@pytest.mark.parametrize("source", ["csv", "xlsx"])
def test_labels_typed_on_two_lines_in_their_cell_are_one_line_names(source, tmp_path):
    """A funder's or a line's name typed on two lines of its cell (Alt+Enter in Excel, a
    quoted CSV cell that Excel saves with a CRLF inside: "Région\\nNPDC", "Structures\\r\\n
    accompagnement") kept its line break: another funder than the next year's "Région NPDC",
    and every finding naming it cut in two in a listing of one finding a line (the pytest
    plugin's, validate's). Each break, with the spaces around it, is one space."""
    import re
    import subprocess
    import sys
    funders = ["Région\nNPDC", "CG 59\n(k€)", "Caisse des\r\n  Dépôts"]
    lines = [("Structures\r\naccompagnement", [D(10), D("2,5".replace(",", ".")), None]),
             ("DLA", ["n.c.", D(5), D(1)])]
    one_line = lambda text: re.sub(r"[ \t]*[\r\n][\r\n \t]*", " ", text)   # noqa: E731
    amounts = [[v if isinstance(v, Decimal) else None for v in row] for _, row in lines]
    totals = [sum((r[j] for r in amounts if r[j] is not None), D(0)) for j in range(3)]
    rows = [["en K€", *funders, "Total"]]
    rows += [[label, *row, sum((v for v in a if v is not None), D(0))]
             for (label, row), a in zip(lines, amounts)]
    rows.append(["Total", *totals, sum(totals)])
    if source == "csv":
        def cell(v):
            text = _text(v)
            return f'"{text}"' if re.search(r"[\r\n;]", text) else text
        path = tmp_path / "plan-2011.csv"
        path.write_bytes("\r\n".join(";".join(cell(v) for v in row) for row in rows)
                         .encode("cp1252"))
    else:
        openpyxl = pytest.importorskip("openpyxl")
        wb = openpyxl.Workbook()
        for row in rows:
            wb.active.append([float(v) if isinstance(v, Decimal) else v for v in row])
        path = tmp_path / "plan-2011.xlsx"
        wb.save(path)
    plan = essconv.read_plan(path)
    # the unit printed under "CG 59" on its second line is the plan's, not the name's
    assert plan.funders == ["Région NPDC", "CG 59", "Caisse des Dépôts"]
    assert plan.funders == [one_line(f).replace(" (k€)", "") for f in funders]
    assert plan.lines == [one_line(label) for label, _ in lines]
    assert plan.by_funder() == dict(zip(plan.funders, totals))
    assert plan.cell("Structures accompagnement", "Région NPDC") == D(10)
    # one finding, one line: the listing of validate (and of the pytest plugin)
    proc = subprocess.run([sys.executable, "-m", "essconv", "validate", str(path)],
                          capture_output=True, text=True, timeout=120,
                          env={**__import__("os").environ,
                               "PYTHONPATH": str(Path(essconv.__file__).parent.parent)})
    said = [line for line in proc.stdout.splitlines() if "malformed-number" in line]
    assert len(said) == 1 and "DLA x Région NPDC: 'n.c.'" in said[0], proc.stdout


#: int64 cents' largest amount, as a plan in € prints it
_TOP = "92 233 720 368 547 758,07"
_TOP_ORDERS = [(_TOP, _TOP, "-" + _TOP), (_TOP, "-" + _TOP, _TOP), ("-" + _TOP, _TOP, _TOP)]


@pytest.mark.parametrize("cells", _TOP_ORDERS)
def test_a_heading_printing_sub_totals_is_told_by_its_lines_exact_sums_whatever_their_order(cells):
    """'I. Structurer' printing the sums of lines [max, max, -max]: the reader added them two at
    a time, each partial checked, so the heading was no sub-total in that order and read as a
    line -- the axis counted twice and the plan's sums past int64 cents -- where in another
    order it was the heading it is."""
    a, b, c = cells
    plan = _read(f"Action;A;B\nI. Structurer;{_TOP};0\nL1;{a};0\nL2;{b};0\nL3;{c};0\n"
                 f"II. Autre;0;0\nL4;0;0\n".encode())
    assert plan.axes == ["I. Structurer", "II. Autre"]
    assert plan.lines == ["L1", "L2", "L3", "L4"]
    assert plan.total() == D("92233720368547758.07")


@pytest.mark.parametrize("cells", _TOP_ORDERS)
def test_a_partial_total_is_told_by_its_lines_exact_sums_whatever_their_order(cells):
    """'Total des actions' printing the sums of lines [max, max, -max] above it: added two at a
    time, each partial checked, it was no partial total in that order and read as a line."""
    a, b, c = cells
    plan = _read(f"Action;A;B\nL1;{a};0\nL2;{b};0\nL3;{c};0\nTotal des actions;{_TOP};0\n"
                 f"L4;0;0\nTotal;{_TOP};0\n".encode())
    assert plan.lines == ["L1", "L2", "L3", "L4"]
    assert plan.total() == D("92233720368547758.07") and plan.validate().errors == []


# ---------------------------------------------------------------- a units line under the header

_UNITS_PLAN = ("Plan de financement 2010\nLigne;CR-NPDC;CDC;Total\n{units}\n"
               "Têtes de réseaux;197;20;217\nDLA;327;274;601\nTotal;524;294;818\n")


@pytest.mark.parametrize("units, unit, scale", [("en euros;€;€;€", "€", 1),
                                                (";€;€;€", "€", 1),
                                                ("in €;€;€;€", "€", 1),
                                                ("en k€;k€;k€;k€", "k€", 1000),
                                                (";K€;K€;K€", "k€", 1000),
                                                ("en euros;euros;;euros", "€", 1)])
def test_a_units_line_under_the_header_gives_the_plans_unit_and_is_no_line(units, unit, scale):
    """Excel's financing plans print the unit of each column on a row under the header ("en
    euros;€;€;€"): it was read as a line « en euros » of three units with no amount, and with
    its first cell blank refused as a header over two rows.  It is the header's units line:
    its unit is the plan's, and it is no line."""
    plan = _read(_UNITS_PLAN.format(units=units).encode())
    assert plan.unit == unit
    assert plan.lines == ["Têtes de réseaux", "DLA"]
    assert plan.funders == ["CR-NPDC", "CDC"]
    assert plan.cell("DLA", "CDC") == D(274)
    assert plan.total() == D(818)
    assert plan.problems == []
    assert plan.validate().ok
    # in euros, as for any plan read in k€: 818 k€ are 818 000 €
    assert plan.total() * {"€": 1, "k€": 1000}[plan.unit] == D(818) * scale


def test_a_units_line_in_another_unit_than_the_titles_is_refused_at_its_cell():
    """"Plan 2010 (en k€)" above a units line "€": which one the amounts are in, nothing
    tells; read in either, they are 1000 times off in the other."""
    text = _UNITS_PLAN.format(units=";€;€;€").replace("Plan de financement 2010",
                                                        "Plan de financement 2010 (en k€)")
    with pytest.raises(essconv.PlanFormatError) as info:
        _read(text.encode())
    error = info.value
    assert (error.line, error.column) == (3, 2)
    assert error.reason[0] == "plan-unit-two"
    assert "k€" in str(error) and "'€' (€)" in str(error)


def test_a_units_line_in_another_unit_than_the_headers_is_refused_at_its_cell():
    text = "Ligne;CR (k€);CDC (k€);Total\n;€;€;€\nDLA;327;274;601\n"
    with pytest.raises(essconv.PlanFormatError) as info:
        _read(text.encode())
    error = info.value
    assert (error.line, error.column) == (2, 2)
    assert error.reason[0] == "plan-unit-two"
    assert "'CR (k€)' (k€)" in str(error) and "'€' (€)" in str(error)


def test_a_line_of_amounts_right_under_the_header_is_still_a_line():
    plan = _read(_UNITS_PLAN.format(units="Observatoire;1 000 €;10 €;1 010 €").encode())
    assert plan.lines == ["Observatoire", "Têtes de réseaux", "DLA"]
    assert plan.cell("Observatoire", "CR-NPDC") == D(1000)


def test_a_units_line_in_an_xlsx_plan_gives_the_plans_unit(tmp_path):
    openpyxl = pytest.importorskip("openpyxl")
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(["Plan de financement 2010"])
    ws.append(["Ligne", "CR-NPDC", "CDC", "Total"])
    ws.append([None, "k€", "k€", "k€"])
    ws.append(["Têtes de réseaux", 197, 20, 217])
    ws.append(["DLA", 327, 274, 601])
    ws.append(["Total", 524, 294, 818])
    wb.save(tmp_path / "plan.xlsx")
    plan = essconv.read_plan(tmp_path / "plan.xlsx")
    assert plan.unit == "k€"
    assert plan.lines == ["Têtes de réseaux", "DLA"]
    assert plan.total() == D(818) and plan.validate().ok


def test_a_unit_given_against_the_units_line_is_refused_at_its_cell():
    with pytest.raises(essconv.PlanFormatError) as info:
        _read(_UNITS_PLAN.format(units="en euros;€;€;€").encode(), unit="k€")
    error = info.value
    assert (error.line, error.column) == (3, 1)
    assert error.reason[0] == "plan-unit-given" and "'en euros' (€)" in str(error)


@pytest.mark.parametrize("unit", ["euros", "€"])
def test_a_units_line_under_a_header_with_no_corner_is_not_taken_for_the_header(unit):
    """";CR;CG;CDC" over ";euros;euros;euros": the units line names every funder's column as
    the header does, and with nothing in the header saying it is one, was taken for it."""
    plan = _read(f";CR;CG;CDC\n;{unit};{unit};{unit}\nDLA;327;274;1\nObservatoire;13;1;\n"
                 .encode())
    assert plan.funders == ["CR", "CG", "CDC"] and plan.unit == "€"
    assert plan.lines == ["DLA", "Observatoire"] and plan.total() == D(616)


# ------------------------------------- the units line printed again under a repeated header

_UNITS_AGAIN = ("ligne;État;Région;Total\n{units}\nA;1;2;3\nB;4;5;9\n"
                "ligne;État;Région;Total\n{again}\nC;1;1;2\nTotal;6;8;14\n")


def _units_again_xlsx(tmp_path, units, again):
    openpyxl = pytest.importorskip("openpyxl")
    wb = openpyxl.Workbook()
    ws = wb.active
    for row in _UNITS_AGAIN.format(units=units, again=again).splitlines():
        ws.append([None if cell == "" else int(cell) if cell.isdigit() else cell
                   for cell in row.split(";")])
    wb.save(tmp_path / "plan.xlsx")
    return tmp_path / "plan.xlsx"


@pytest.mark.parametrize("units, again, unit", [("en euros;€;€;€", "en euros;€;€;€", "€"),
                                                ("en euros;€;€;€", ";€;€;€", "€"),
                                                ("en k€;k€;k€;k€", "en k€;k€;k€;k€", "k€"),
                                                (";K€;K€;K€", ";k€;k€;k€", "k€")])
@pytest.mark.parametrize("xlsx", [False, True])
def test_a_units_line_printed_again_under_the_header_printed_again_is_passed_over(
        units, again, unit, xlsx, tmp_path):
    """A plan exported over two pages prints its header and its units line again on the
    second: the units line was read as a line « en euros » of three units with no amount
    (three malformed-number errors).  Saying the plan's unit, it is passed over with the header,
    one warning naming both lines, in English and in French."""
    if xlsx:
        plan = essconv.read_plan(_units_again_xlsx(tmp_path, units, again))
    else:
        plan = _read(_UNITS_AGAIN.format(units=units, again=again).encode())
    assert plan.unit == unit
    assert plan.lines == ["A", "B", "C"]
    assert plan.total() == D(14) and plan.cell("C", "Région") == D(1)
    report = plan.validate()
    assert report.errors == [], [str(f) for f in report]
    said = [f for f in report if f.source_line in (5, 6)]
    assert len(said) == 1 and said[0].severity == "warning", [str(f) for f in report]
    assert said[0].source_line == 5
    assert "the header and its units line are printed again on lines 5 and 6" in said[0].message
    french = essconv.messages.language("fr").finding(said[0], plan).replace("\u00a0", " ")
    assert ("l'en-tête et sa ligne d'unités sont imprimés de nouveau aux lignes 5 et 6"
            in french), french


@pytest.mark.parametrize("units, again, column, printed, other", [
    ("en euros;€;€;€", "en k€;k€;k€;k€", 1, "€", "k€"),
    ("en euros;€;€;€", ";€;k€;€", 4, "€", "k€"),
    (";k€;k€;k€", ";M€;M€;M€", 2, "k€", "M€")])
@pytest.mark.parametrize("xlsx", [False, True])
def test_a_units_line_printed_again_in_another_unit_is_refused_at_its_cell(
        units, again, column, printed, other, xlsx, tmp_path):
    """k€ under the header printed again, after € under the first: the amounts under it are in
    k€, read in € they were 1000 times off -- passed over, that went unseen.  Refused at the
    cell printing the other unit, both units named."""
    with pytest.raises(essconv.PlanFormatError) as info:
        if xlsx:
            essconv.read_plan(_units_again_xlsx(tmp_path, units, again))
        else:
            _read(_UNITS_AGAIN.format(units=units, again=again).encode())
    error = info.value
    assert error.line == 6 and error.reason[0] == "plan-unit-again"
    if not xlsx:
        assert error.column == column
    assert "units line under the header printed again" in str(error)
    assert f"({other})" in str(error) and f"in {printed}" in str(error)


def test_a_units_line_printed_again_against_the_euros_assumed_is_refused():
    """No unit printed over the first page's amounts (read in euros) and k€ under the header
    printed again: which unit the first page is in, nothing says, and the second's would be
    read 1000 times too small."""
    text = ("ligne;État;Région;Total\nA;1;2;3\nligne;État;Région;Total\nen k€;k€;k€;k€\n"
            "C;1;1;2\n")
    with pytest.raises(essconv.PlanFormatError) as info:
        _read(text.encode())
    assert (info.value.line, info.value.column) == (4, 1)
    assert info.value.reason[0] == "plan-unit-again"


def test_a_units_line_printed_again_where_the_first_header_had_none_is_passed_over():
    text = ("en euros;État;Région;Total\nA;1;2;3\nen euros;État;Région;Total\n;€;€;€\n"
            "C;1;1;2\n")
    plan = _read(text.encode())
    assert plan.lines == ["A", "C"] and plan.total() == D(5)
    assert plan.validate().errors == []
