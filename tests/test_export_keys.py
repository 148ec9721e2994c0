"""A report's keys in its exports, read back: a SIRET or a code keeps its leading zeros (text,
never a number, in CSV and xlsx alike), and a missing key ("(vide)", "(blank)" in English) is
told apart from a label that is an empty text (an empty cell)."""
from __future__ import annotations

import csv
import io
from decimal import Decimal

import pytest

from essconv import AmountTypeError, Ledger

SIRETS = ["01234567890123", "00234567890123", None, ""]
CODES = ["01", "007", "1", "02"]


def report():
    ledger = Ledger.from_columns({"siret": SIRETS, "code": CODES,
                                  "m": [Decimal(1), Decimal(2), Decimal(4), Decimal(8)]}, amount="m")
    return ledger.group_by("siret", "code").sum()


def keys_of(rows):
    """(siret, code) -> amount cell, the heading line left out."""
    return {(r[0], r[1]): r[2] for r in rows[1:]}


@pytest.mark.parametrize("lang, delimiter, blank, amounts",
                         [("fr", ";", "(vide)", ["1,00", "2,00", "4,00", "8,00"]),
                          ("en", ",", "(blank)", ["1.00", "2.00", "4.00", "8.00"])])
def test_csv_keys_keep_their_zeros_and_a_missing_key_is_not_an_empty_label(lang, delimiter,
                                                                            blank, amounts, tmp_path):
    path = tmp_path / "r.csv"
    report().to_csv(path, lang=lang)
    with open(path, encoding="utf-8-sig", newline="") as fh:
        rows = list(csv.reader(fh, delimiter=delimiter))
    assert keys_of(rows) == {("01234567890123", "01"): amounts[0],
                             ("00234567890123", "007"): amounts[1],
                             (blank, "1"): amounts[2],      # the missing SIRET says so
                             (blank, "02"): amounts[3]}     # an empty text is missing too


def test_a_file_s_blank_key_cell_reads_back_as_missing_in_the_csv(tmp_path):
    source = tmp_path / "grants.csv"
    source.write_text("siret;code;montant\n01234567890123;01;10\n;02;5\n", encoding="utf-8")
    agg = Ledger.read_csv(source, amount="montant").group_by("siret", "code").sum()
    rows = list(csv.reader(io.StringIO(agg.to_csv()), delimiter=";"))
    assert [r[:2] for r in rows[1:]] == [["01234567890123", "01"], ["(vide)", "02"]]


@pytest.mark.parametrize("lang, blank", [("fr", "(vide)"), ("en", "(blank)")])
def test_xlsx_keys_are_text_cells_in_the_text_format(lang, blank):
    openpyxl = pytest.importorskip("openpyxl")
    target = io.BytesIO()
    report().with_total().to_xlsx(target, lang=lang)
    ws = openpyxl.load_workbook(io.BytesIO(target.getvalue())).active
    cells = {(r, c): ws.cell(row=r, column=c) for r in range(2, 6) for c in (1, 2)}
    got = {(cells[r, 1].value, cells[r, 2].value) for r in range(2, 6)}
    assert got == {("01234567890123", "01"), ("00234567890123", "007"), (blank, "1"),
                   (blank, "02")}   # an empty text is a missing key, as a blank CSV cell
    for (r, c), cell in cells.items():
        if cell.value is not None:
            assert cell.data_type == "s" and cell.number_format == "@", (r, c, cell.value)


def test_the_cli_table_says_a_missing_key_in_its_language(tmp_path, capsys):
    from essconv.cli import main
    source = tmp_path / "grants.csv"
    source.write_text("siret;montant\n01234567890123;10\n;5\n", encoding="utf-8")
    for lang, blank in (("fr", "(vide)"), ("en", "(blank)")):
        assert main(["aggregate", str(source), "--amount", "montant", "--by", "siret",
                     "--lang", lang]) == 0
        table = capsys.readouterr().out.splitlines()
        assert any(line.split()[:1] == [blank] for line in table), table
        assert any(line.split()[:1] == ["01234567890123"] for line in table), table


# a label that is literally the missing key's words, beside a missing key
LOOKALIKES = {"fr": ["(vide)", None, "CDC"], "en": ["(blank)", None, "CDC"]}
LOOKALIKE_AMOUNTS = [Decimal(1), Decimal(2), Decimal(4)]


def lookalike_report(lang):
    return Ledger.from_columns({"siret": LOOKALIKES[lang], "m": LOOKALIKE_AMOUNTS},
                               amount="m").group_by("siret").sum()


def read_back(keys_amounts, missing):
    """{key: amount} as a reader of the export takes it: the missing key's words are None."""
    return {None if k == missing else k: a for k, a in keys_amounts}


@pytest.mark.parametrize("lang, delimiter, missing", [("fr", ";", "(clé manquante)"),
                                                      ("en", ",", "(missing key)")])
def test_a_label_written_as_the_missing_keys_words_is_told_apart_in_the_csv(lang, delimiter,
                                                                            missing, tmp_path):
    """A label '(vide)' beside a missing key: both were written '(vide)', two lines a reader
    could not tell apart (and read back as one key).  The label stays as it is; the missing
    key says '(clé manquante)' ('(missing key)') in that file."""
    path = tmp_path / "r.csv"
    lookalike_report(lang).to_csv(path, lang=lang)
    with open(path, encoding="utf-8-sig", newline="") as fh:
        rows = list(csv.reader(fh, delimiter=delimiter))[1:]
    assert len({r[0] for r in rows}) == len(rows) == 3
    back = read_back(((r[0], Decimal(r[1].replace(",", "."))) for r in rows), missing)
    assert back == dict(zip(LOOKALIKES[lang], LOOKALIKE_AMOUNTS))


@pytest.mark.parametrize("lang, missing", [("fr", "(clé manquante)"), ("en", "(missing key)")])
def test_a_label_written_as_the_missing_keys_words_is_told_apart_in_the_xlsx(lang, missing):
    openpyxl = pytest.importorskip("openpyxl")
    target = io.BytesIO()
    lookalike_report(lang).to_xlsx(target, lang=lang)
    ws = openpyxl.load_workbook(io.BytesIO(target.getvalue())).active
    back = read_back(((ws.cell(row=r, column=1).value, ws.cell(row=r, column=2).value)
                      for r in range(2, 5)), missing)
    assert back == dict(zip(LOOKALIKES[lang], LOOKALIKE_AMOUNTS))


def test_a_label_written_as_the_missing_keys_words_is_told_apart_in_the_cli_table(tmp_path,
                                                                                  capsys):
    from essconv.cli import main
    source = tmp_path / "grants.csv"
    source.write_text("siret;montant\n(vide);10\n;5\n", encoding="utf-8")
    assert main(["aggregate", str(source), "--amount", "montant", "--by", "siret"]) == 0
    table = capsys.readouterr().out.splitlines()
    firsts = [line.split("  ")[0].strip() for line in table]
    assert "(vide)" in firsts and "(clé manquante)" in firsts, table


@pytest.mark.parametrize("lang, missing", [("fr", "(clé manquante)"), ("en", "(missing key)")])
def test_a_label_written_as_the_missing_keys_words_is_told_apart_in_the_html_table(lang, missing):
    from essconv.display import aggregate_html
    page = aggregate_html(lookalike_report(lang), lang=lang)
    assert page.count(f"<td>{LOOKALIKES[lang][0]}</td>") == 1
    assert page.count(f"<td>{missing}</td>") == 1


@pytest.mark.parametrize("lang, blank, other", [("fr", "(vide)", "(blank)"),
                                                ("en", "(blank)", "(vide)")])
def test_a_pivots_missing_key_is_said_in_the_outputs_language_a_label_stays(lang, blank, other):
    # A ledger's pivot named a missing key's axis, line and funder "(missing)" in every output
    # -- the text and HTML tables, the pivot's margins, its CSV and xlsx -- English in a French
    # table, where a report's says "(vide)"; a label "(vide)" beside it makes it "(clé
    # manquante)", as in a report
    from essconv.export import missing_key_word, plan_delimited
    from essconv.display import plan_html
    ledger = Ledger.from_columns({"a": ["A", None, "A"], "k": ["x", None, "y"],
                                  "c": ["f", "f", None],
                                  "m": [Decimal("1.50"), Decimal(2), Decimal(4)]}, amount="m")
    plan = ledger.pivot(rows=("a", "k"), columns="c")
    texts = [str(plan) if lang == "fr" else plan_html(plan, lang="en"),
             plan.pivot().text(lang)]
    if lang == "fr":
        texts.append(plan_delimited(plan))
    for text in texts:
        assert "(missing)" not in text and blank in text and other not in text
    csv_rows = list(csv.reader(io.StringIO(plan_delimited(plan)), delimiter=";"))
    # each missing key on its line and in its column, with its sum: the oracle's
    assert csv_rows[0][2] == "(vide)" and csv_rows[1][:2] == ["(vide)", "(vide)"]
    assert csv_rows[1][3] == "2,00" and csv_rows[3][:4] == ["", "y", "4,00", ""]
    # the plan's API keeps its keys
    assert plan.by_line() == {"(missing)": Decimal(2), "x": Decimal("1.50"), "y": Decimal(4)}
    labelled = Ledger.from_columns({"k": ["(vide)", None], "c": ["f", "f"],
                                    "m": [Decimal(1), Decimal(2)]}, amount="m").pivot("k", "c")
    text = plan_delimited(labelled)
    assert "(vide);1,00" in text and f"{missing_key_word(['(vide)'])};2,00" in text


@pytest.mark.parametrize("lang, mark", [("fr", ","), ("en", ".")])
def test_a_pivots_csv_writes_every_amount_with_its_cents_as_its_total_row_does(lang, mark):
    # A ledger's pivot's CSV wrote its cells as the shortest figure ("2", "1 234 567") beside
    # "2,00" in its Total column: no one printed them, so each is its exact sum with both cent
    # digits, the output's decimal mark and no grouping a spreadsheet reads as text
    import random
    import re
    rng = random.Random(7)
    keys = [rng.choice(["x", "y", "z", None]) for _ in range(200)]
    funders = [rng.choice(["CR", "CDC", "ETAT", None]) for _ in range(200)]
    cents = [rng.randrange(-10**9, 10**10) for _ in range(200)]
    ledger = Ledger.from_columns({"k": keys, "c": funders,
                                  "m": [Decimal(c) / 100 for c in cents]}, amount="m")
    from essconv.export import plan_delimited
    rows = list(csv.reader(io.StringIO(plan_delimited(ledger.pivot("k", "c"), lang=lang)),
                           delimiter=";"))
    heads = rows[0][1:]

    def holds(shown: str, key: str | None) -> bool:   # a heading, and a row's key under it
        return shown == "Total" or (key is None if shown in ("(vide)", "(blank)") else key == shown)

    for row in rows[1:]:
        for head, cell in zip(heads, row[1:]):
            if not cell:
                continue
            assert re.fullmatch(r"-?\d+" + re.escape(mark) + r"\d\d", cell), cell
            # the oracle: the Decimal sum of the rows under this line and this funder
            want = sum((Decimal(c) / 100 for k, f, c in zip(keys, funders, cents)
                        if holds(row[0], k) and holds(head, f)), Decimal(0))
            assert Decimal(cell.replace(",", ".")) == want, (row[0], head)


@pytest.mark.parametrize("rows", ["k", ("a", "k")])
def test_a_pivots_to_rows_and_tsv_say_a_missing_key_in_french(rows):
    # Plan.to_rows() (a French table: "en €", French digits) and to_tsv() said "(missing)"
    # where the pivot's CSV, xlsx and displays say "(vide)"
    from essconv.xlsx import write_plan_xlsx
    openpyxl = pytest.importorskip("openpyxl")
    ledger = Ledger.read_csv(b"a;k;n;montant\n;;x;-5,00\nB;y;;3\n", amount="montant")
    plan = ledger.pivot(rows=rows, columns="n")
    offset = 2 if isinstance(rows, tuple) else 1
    for table in (plan.to_rows(), plan.to_rows(as_printed=True),
                  [r.split("\t") for r in plan.to_tsv().splitlines()]):
        assert table[0][offset] == "(vide)" and table[1][offset - 1] == "(vide)", table
        assert not any("(missing)" in cell for row in table for cell in row), table
        if offset == 2:
            assert table[1][0] == "(vide)"
    for lang, blank in (("fr", "(vide)"), ("en", "(blank)")):   # one language an export
        out = io.BytesIO()
        write_plan_xlsx(plan, out, lang=lang)
        cells = [[c.value for c in r] for r in openpyxl.load_workbook(out).active.iter_rows()]
        assert cells[0][offset] == blank and cells[1][:offset] == [blank] * offset, cells
    assert plan.by_line() == {"(missing)": Decimal(-5), "y": Decimal(3)}   # its API's word


def _labels_and_amounts(ledger):
    import pyarrow as pa
    table = pa.table(ledger)
    return ({name: table.column(name).to_pylist() for name in ("siret", "code")},
            table.column("montant").to_pylist())


def _pickled(ledger, protocol):
    import pickle
    if protocol != "out-of-band":
        return pickle.loads(pickle.dumps(ledger, protocol=protocol))
    buffers = []
    data = pickle.dumps(ledger, protocol=5, buffer_callback=buffers.append)
    return pickle.loads(data, buffers=buffers)


def _through_sqlite(ledger, tmp_path):
    pytest.importorskip("adbc_driver_sqlite")
    db = tmp_path / "keys.db"
    ledger.to_sql("t", str(db))
    return Ledger.read_sql("SELECT * FROM t", str(db), amount="montant")


def _through_parquet(ledger, tmp_path):
    pytest.importorskip("pyarrow.parquet")
    path = tmp_path / "keys.parquet"
    ledger.to_parquet(path)
    return Ledger.read_parquet(path, amount="montant")


ROUND_TRIPS = {
    **{f"pickle-{p}": (lambda led, _, p=p: _pickled(led, p)) for p in (2, 4, 5, "out-of-band")},
    "arrow": lambda led, _: Ledger.from_columns(led.to_arrow(), amount="montant"),
    "pandas": lambda led, _: Ledger.from_columns(
        pytest.importorskip("pandas") and led.to_pandas(), amount="montant"),
    "parquet": _through_parquet,
    "sqlite": _through_sqlite,
}


@pytest.mark.parametrize("trip", sorted(ROUND_TRIPS))
@pytest.mark.parametrize("made", ["csv", "columns"])
def test_a_missing_label_inside_a_ledger_comes_back_missing_from_each_export(made, trip,
                                                                            tmp_path):
    """A ledger's missing label -- a blank cell of its file, None or an empty text given to
    from_columns, in the middle of its rows -- comes back None from each export read back
    (pickle, Arrow, pandas, Parquet, SQLite), never "", and beside it every label and amount
    exactly as it was; its group stays the missing key."""
    pytest.importorskip("pyarrow")
    if made == "csv":
        ledger = Ledger.read_csv(b"siret;code;montant\n01234567890123;01;10\n;02;5\n"
                                 b"   ;;-3\n00234567890123;007;0,01\n", amount="montant")
    else:
        ledger = Ledger.from_columns({"siret": ["01234567890123", None, "", "00234567890123"],
                                      "code": ["01", "02", None, "007"],
                                      "montant": [Decimal(10), Decimal(5), Decimal(-3),
                                                  Decimal("0.01")]}, amount="montant")
    expected = ({"siret": ["01234567890123", None, None, "00234567890123"],
                 "code": ["01", "02", None, "007"]},
                [Decimal("10.00"), Decimal("5.00"), Decimal("-3.00"), Decimal("0.01")])
    assert _labels_and_amounts(ledger) == expected
    back = ROUND_TRIPS[trip](ledger, tmp_path)
    assert _labels_and_amounts(back) == expected
    assert back.kinds == ledger.kinds
    sums = back.group_by("siret", "code").sum().to_dict()
    assert sums == {("01234567890123", "01"): Decimal(10), (None, "02"): Decimal(5),
                    (None, None): Decimal(-3), ("00234567890123", "007"): Decimal("0.01")}
    assert "" not in {k for key in sums for k in key}


@pytest.mark.parametrize("trip", sorted(ROUND_TRIPS))
def test_a_label_column_missing_in_every_row_comes_back_a_label_column(trip, tmp_path):
    """A label column left blank in every row (an idRAE no record gives) is a label column of
    missing values, as the CSV reader and from_columns([None, None]) make it.  Through pandas
    its category of no value came to Arrow as a dictionary of nulls, refused ("decode it
    first"); through SQLite a column of NULLs came back an int column."""
    pytest.importorskip("pyarrow")
    ledger = Ledger.read_csv(b"siret;code;montant\n;01;10\n;;-5\n", amount="montant")
    assert ledger.kinds == {"siret": "label", "code": "label", "montant": "amount"}
    back = ROUND_TRIPS[trip](ledger, tmp_path)
    assert back.kinds == ledger.kinds
    assert _labels_and_amounts(back) == ({"siret": [None, None], "code": ["01", None]},
                                         [Decimal("10.00"), Decimal("-5.00")])


def test_an_arrow_column_of_the_null_type_is_a_label_column_all_missing():
    # pandas gives a column of None alone (object) to Arrow as the null type, which no
    # ledger held: from_columns of the same Python list makes it a label column all missing
    pa = pytest.importorskip("pyarrow")
    pd = pytest.importorskip("pandas")
    amounts = [Decimal(1), Decimal("-2.50")]
    listed = Ledger.from_columns({"k": [None, None], "m": amounts}, amount="m")
    for given in (pa.table({"k": pa.nulls(2), "m": amounts}),
                  pa.table({"k": pa.DictionaryArray.from_arrays(pa.nulls(2, pa.int32()),
                                                                pa.nulls(0)), "m": amounts}),
                  pd.DataFrame({"k": [None, None], "m": amounts})):
        ledger = Ledger.from_columns(given, amount="m")
        assert ledger.kinds == listed.kinds == {"k": "label", "m": "amount"}
        assert pa.table(ledger).column("k").to_pylist() == [None, None]
        assert ledger.total() == Decimal("-1.50")
    with pytest.raises(AmountTypeError):   # an amount is never of it: each is missing
        Ledger.from_columns(pa.table({"k": ["a", "b"], "m": pa.nulls(2)}), amount="m")
