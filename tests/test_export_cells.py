"""Cells as analysts' exports really write them, read to the value they stand for or refused
with their place -- never a wrong label or a wrong total."""
from __future__ import annotations

import io
from decimal import Decimal

import essconv
from essconv import Ledger


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
