"""Cells as analysts' exports really write them, read to the value they stand for or refused
with their place -- never a wrong label or a wrong total."""
from __future__ import annotations

import io
from decimal import Decimal

import pytest

import essconv
from essconv import Ledger, _core


def read(text: str, **kw) -> Ledger:
    kw.setdefault("amount", "montant")
    return Ledger.read_csv(io.BytesIO(text.encode()), bad_rows="collect", **kw)


# ------------------------------------------------------------- Excel's ="00123" text cells

def test_excel_text_forcing_label_is_the_text_it_holds():
    # a script writes ="01234567890123" so that Excel keeps the SIRET's leading zero; the same
    # beneficiary written plainly elsewhere must be one label, one sum
    ledger = read('siret;montant\n="01234567890123";100,00\n01234567890123;50,00\n'
                  '"=""00042""";7,00\n')
    assert sorted(set(ledger.values("siret"))) == ["00042", "01234567890123"]
    sums = ledger.group_by("siret").sum().to_dict()
    assert sums == {"01234567890123": Decimal("150.00"), "00042": Decimal("7.00")}


def test_excel_text_forcing_amount_is_read():
    ledger = read('nom;montant\nA;="1 234,56"\nB;10,00\n')
    assert ledger.bad_rows == []
    assert ledger.values("montant") == [Decimal("1234.56"), Decimal("10.00")]


def test_a_formula_that_is_no_text_cell_stays_as_written():
    ledger = read('nom;montant\n=A1+B1;1,00\n="a""b";2,00\n')
    assert ledger.values("nom") == ["=A1+B1", '="a""b"']


def test_scdl_siret_written_as_excel_text_keeps_its_leading_zero():
    header = ("nomAttribuant;idAttribuant;dateConvention;nomBeneficiaire;idBeneficiaire;objet;"
              "montant;nature\n")
    body = ('Région;="01234567890123";2017-03-01;Asso A;="00123456789012";obj;1500.50;'
            'aide en numéraire\n')
    ledger = essconv.read_scdl(io.BytesIO((header + body).encode()))
    assert ledger.values("idBeneficiaire") == ["00123456789012"]
    assert ledger.values("idAttribuant") == ["01234567890123"]


# ------------------------------------------- a total row whose "Total" is in a column left out

def test_a_total_row_is_refused_when_its_word_stands_in_a_column_not_kept():
    text = "nom;ville;montant\nA;Cahors;1,00\nB;Figeac;2,00\nC;Figeac;2,00\nTotal;;5,00\n"
    for dims in (["ville"], []):
        ledger = read(text, dims=dims)
        assert ledger.total() == Decimal("5.00"), dims
        assert [(bad.line, bad.column) for bad in ledger.bad_rows] == [(5, 1)]
        assert "Total" in ledger.bad_rows[0].message
        assert ledger.columns == ["montant"] + dims   # the reader's own column is gone
    with pytest.raises(essconv.ParseError, match="total"):
        Ledger.read_csv(io.BytesIO(text.encode()), amount="montant", dims=["ville"])


def axes_file(blocks: int, per_block: int) -> tuple[str, list[int], Decimal]:
    """Records by axis, each axis closed by its "Sous-total axe k" row, a "Total général" last:
    the words stand in column 'nom', which the reads below leave out."""
    rows, lines, expected = ["axe;nom;ville;montant"], [], Decimal(0)
    for block in range(blocks):
        block_sum = Decimal(0)
        for k in range(per_block):
            rows.append(f"A{block};Asso {block}-{k};Cahors;{k % 7 + 1},50")
            block_sum += Decimal(k % 7 + 1) + Decimal("0.50")
        rows.append(f"A{block};Sous-total axe {block};;{block_sum:.2f}".replace(".", ","))
        lines.append(len(rows))
        expected += block_sum
    rows.append(f"Total général;;;{expected:.2f}".replace(".", ","))
    lines.append(len(rows))
    return "\n".join(rows) + "\n", lines, expected


@pytest.mark.parametrize("chunk_bytes", [0, 7, 31, 200])
def test_sub_totals_in_a_column_not_kept_are_refused_whatever_the_chunks(chunk_bytes):
    text, lines, expected = axes_file(6, 5)
    names, kinds = ["montant", "axe"], [_core.COL_AMOUNT, _core.COL_LABEL]
    core, bad = _core.Ledger.read_csv(text.encode(), names, kinds, collect_bad=True, threads=2,
                                      chunk_bytes=chunk_bytes)
    assert Decimal(core.total()) / 100 == expected
    assert [line for line, *_ in bad] == lines
    assert [name for name, _ in core.columns] == names


def test_sub_totals_in_a_column_not_kept_are_refused_in_a_large_file(tmp_path):
    # read from a path in blocks, parsed on threads: every sub-total found at its line
    text, lines, expected = axes_file(40, 3000)
    path = tmp_path / "axes.csv"
    path.write_text(text)
    ledger = Ledger.read_csv(path, amount="montant", dims=["axe", "ville"], bad_rows="collect")
    assert ledger.total() == expected
    assert len(ledger) == 40 * 3000
    assert [bad.line for bad in ledger.bad_rows] == lines


def test_a_row_set_aside_leaves_no_total_to_the_next_row():
    # row 3's "Total" (a bad amount) must not mark the record that takes its place
    text = ("nom;ville;montant\nA;Cahors;1,00\nTotal;;NC\nB;Figeac;1,00\nC;Figeac;1,00\n"
            "D;Figeac;1,00\nE;Figeac;4,00\n")
    ledger = read(text, dims=["ville"])
    assert ledger.total() == Decimal("8.00")
    assert [bad.line for bad in ledger.bad_rows] == [3]


# ------------------------------------------------------------- accounting negatives

def test_a_trailing_minus_is_a_negative_amount():
    ledger = read("nom;montant\nA;1 234,56-\nB;10,00\n")
    assert ledger.bad_rows == []
    assert ledger.values("montant") == [Decimal("-1234.56"), Decimal("10.00")]
    assert essconv.parse_amount("1 234,56-") == Decimal("-1234.56")


def test_parentheses_around_an_amount_and_its_unit_are_a_negative_amount():
    ledger = read("nom;montant\nA;(1 234,56 €)\nB;(12 EUR)\nC;10,00\n")
    assert ledger.bad_rows == []
    assert ledger.values("montant") == [Decimal("-1234.56"), Decimal("-12"), Decimal("10.00")]


def test_an_english_amount_in_parentheses_says_the_point_is_decimal():
    ledger = read('nom,montant\nA,"(1,234.56)"\nB,10.00\n')
    assert ledger.bad_rows == []
    assert ledger.total() == Decimal("-1224.56")
    ledger = read('nom,montant\nA,"1,234.56-"\nB,10.00\n')
    assert ledger.total() == Decimal("-1224.56")


# ------------------------------------------------------------- not CSV, though named so

def test_a_workbook_or_a_gzip_file_named_csv_is_refused_saying_what_it_is(tmp_path):
    import gzip
    import zipfile
    packed = tmp_path / "subventions.csv"
    packed.write_bytes(gzip.compress(b"nom;montant\nA;1,00\n"))
    with pytest.raises(essconv.ParseError, match="gzip-compressed: name it .gz") as raised:
        Ledger.read_csv(packed, amount="montant")
    assert (raised.value.path, raised.value.line, raised.value.column) == (str(packed), 1, 1)
    book = tmp_path / "export.csv"
    with zipfile.ZipFile(book, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("xl/workbook.xml", "<workbook/>")
    for reader in (lambda p: Ledger.read_csv(p, amount="montant"), essconv.read_scdl):
        with pytest.raises(essconv.ParseError, match=r"\.xlsx workbook.*save the sheet as CSV"):
            reader(book)


# ------------------------------------------------------------- from_columns names the value

@pytest.mark.parametrize("bad,error", [("", essconv.AmountError), ("—", essconv.AmountError),
                                       (None, essconv.AmountTypeError)])
def test_from_columns_names_the_column_and_row_of_an_amount_it_cannot_read(bad, error):
    amounts = ["1,00"] * 5 + [bad] + ["2,00"]
    with pytest.raises(error, match=r"^the amount column 'montant', row 6: "):
        Ledger.from_columns({"nom": list("abcdefg"), "montant": amounts}, amount="montant")


# ------------------------------------------------------------- exports joined one after another

def test_a_header_repeated_in_another_order_is_refused_not_read_in_the_wrong_columns():
    # two exports joined: the second's amounts stand in the first's 'annee' column
    text = "annee;nom;montant\n2017;A;100,00\n2017;B;200,00\nmontant;nom;annee\n50,00;C;2017\n"
    for bad_rows in ("raise", "collect"):
        with pytest.raises(essconv.ParseError, match="the header again, in another order") as e:
            Ledger.read_csv(io.BytesIO(text.encode()), amount="montant", bad_rows=bad_rows)
        assert (e.value.line, e.value.column) == (4, 13)


def test_a_header_repeated_in_its_own_order_is_a_row_set_aside():
    text = "annee;nom;montant\n2017;A;100,00\nannee;nom;montant\n2017;C;50,00\n"
    ledger = read(text)
    assert ledger.total() == Decimal("150.00")
    assert [bad.line for bad in ledger.bad_rows] == [3]


# ------------------------------------------------------------- labels holding line ends, in xlsx

def test_xlsx_keeps_a_label_holding_a_carriage_return_apart_from_one_holding_a_line_feed(tmp_path):
    """XML reads a CR written as itself back as LF: "a\\rb" and "a\\nb", two groups, read back
    as one text.  Excel writes a CR as _x000D_ (ECMA-376), and an underscore that would start
    such an escape as _x005F_; read back through that rule, every label is as written."""
    openpyxl = pytest.importorskip("openpyxl")
    from openpyxl.utils.escape import unescape
    labels = ["a\rb", "a\nb", "a\r\nb", "a_x000D_b", "_x005F_", "plain"]
    ledger = read("porteur;montant\n" + "".join(
        '"' + label + '";' + f"{n + 1},00\n" for n, label in enumerate(labels)))
    assert sorted(ledger.values("porteur")) == sorted(labels)   # the reader keeps them apart
    target = tmp_path / "labels.xlsx"
    ledger.group_by("porteur").sum().to_xlsx(target)
    ws = openpyxl.load_workbook(target).active
    read_back = {unescape(row[0]): row[1] for row in ws.iter_rows(min_row=2, values_only=True)}
    for n, label in enumerate(labels):
        assert Decimal(str(read_back[label])) == n + 1, (label, read_back)
