"""Ledger files as analysts' spreadsheets export them: what the export adds around the records
(a total row at the end, ...) is never read as a record.  Every expected figure is computed
here from the test's own text with Decimal, never from essconv's answer."""
from __future__ import annotations

import gzip
from decimal import Decimal

import pytest

import essconv
from essconv import Ledger

SPACES = str.maketrans("", "", " \u00a0\u202f")


def french(text: str) -> Decimal:
    """A French amount as the test writes it: grouped by spaces, a decimal comma."""
    return Decimal(text.translate(SPACES).replace(",", "."))


def records(text: str, amount_field: int) -> list[Decimal]:
    """The amounts of the data lines of a ';' file (no quotes; blank lines left out)."""
    cells = [line.split(";") for line in text.splitlines()[1:]]
    return [french(row[amount_field]) for row in cells if any(c.strip() for c in row)]


# (file text, the total row's line): a total row in the dresses exports give it
TOTAL_ROWS = {
    "Total": ("beneficiaire;nature;montant\nAsso A;aide;1 250,50\nAsso B;aide;300\n"
              "Total;;1 550,50\n", 4),
    "TOTAL GÉNÉRAL, NBSP": ("beneficiaire;nature;montant\nAsso A;aide;1\u00a0250,50\n"
                            "Asso B;prêt;12\u202f300\nTOTAL GÉNÉRAL;;13\u00a0550,50\n", 4),
    "Sous-total :, CRLF, blank lines after": (
        "beneficiaire;nature;montant\r\nAsso A;aide;10\r\nAsso B;aide;20\r\nAsso C;aide;30\r\n"
        "Sous-total :;;60\r\n\r\n;;\r\n", 5),
    "no label, a spreadsheet's SUM": ("beneficiaire;nature;montant\nAsso A;aide;10,10\n"
                                      "Asso B;aide;20,20\nAsso C;prêt;-5\nAsso D;prêt;1\n"
                                      ";;26,30\n", 6),
    "Total de l'axe, the sum of the rows": ("beneficiaire;nature;montant\nAsso A;aide;10\n"
                                           "Asso B;aide;20\nTotal de l'axe 1;;30\n", 4),
    "Somme, a spreadsheet's SUM row named so": ("beneficiaire;nature;montant\nAsso A;aide;1,50\n"
                                                "Asso B;aide;2\nSomme :;;3,50\n", 4),
    "Ensemble, the statistician's word for a total": (
        "beneficiaire;nature;montant\nAsso A;aide;1 250,50\nAsso B;aide;300\n"
        "ENSEMBLE :;;1 550,50\n", 4),
    "Cumul, a running total's last line": (
        "beneficiaire;nature;montant\nAsso A;aide;1 250,50\nAsso B;aide;300\n"
        "Cumul 2017 :;;1 550,50\n", 4),
    "Total, not the sum (a filtered sheet's SUBTOTAL)": (
        "beneficiaire;nature;montant\nAsso A;aide;10\nAsso B;aide;20\nTotal;;25\n", 4),
}


@pytest.mark.parametrize("encoding", ["utf-8", "cp1252"])
@pytest.mark.parametrize("name", list(TOTAL_ROWS))
def test_a_total_row_at_the_end_is_refused_at_its_line(name, encoding, tmp_path):
    text, line = TOTAL_ROWS[name]
    path = tmp_path / "export.csv"
    path.write_bytes(text.replace("\u202f", "\u00a0").encode(encoding))   # CP1252 has NBSP
    with pytest.raises(essconv.ParseError) as caught:
        Ledger.read_csv(path, amount="montant")
    assert caught.value.line == line and caught.value.column == 1
    assert str(caught.value).startswith(f"{path}:{line}:1: ")
    assert "total" in str(caught.value)


@pytest.mark.parametrize("name", list(TOTAL_ROWS))
def test_a_total_row_collected_is_set_aside_and_the_records_add_up(name, tmp_path):
    text, line = TOTAL_ROWS[name]
    amounts = records(text.replace("\r", ""), 2)
    path = tmp_path / "export.csv"
    path.write_bytes(text.encode())
    ledger = Ledger.read_csv(path, amount="montant", bad_rows="collect")
    assert len(ledger) == len(amounts) - 1
    assert ledger.total() == sum(amounts[:-1])
    assert [b.line for b in ledger.bad_rows] == [line]
    groups = ledger.group_by("beneficiaire").sum().to_dict()
    assert not any(k and "otal" in k for k in groups)


@pytest.mark.parametrize("text", [
    "departement;montant\nAisne;1000\nSomme;1000\n",              # one grant above, equal
    "departement;montant\nAisne;1000\nNord;250\nSomme;700\n",     # adds up nothing
    "departement;montant\nSomme;10\nAisne;1000\nNord;250\n"])     # first, not last
def test_the_departement_of_the_somme_stays_a_record(text, tmp_path):
    """"Somme" ends a spreadsheet's SUM row as "Total" does, and it is a département too: it
    is a total only where it adds up two rows or more."""
    path = tmp_path / "dep.csv"
    path.write_text(text)
    ledger = Ledger.read_csv(path, amount="montant")
    assert ledger.total() == sum(records(text, 1)) and "Somme" in ledger.labels("departement")


def test_the_total_row_keeps_its_place_among_other_bad_rows(tmp_path):
    text = ("beneficiaire;montant\nAsso A;10\nAsso B;NC\nAsso C;20\nTotal;30\n"
            "Source : Département\n")
    path = tmp_path / "export.csv"
    path.write_bytes(text.encode())
    ledger = Ledger.read_csv(path, amount="montant", bad_rows="collect")
    assert ledger.total() == Decimal("30") and len(ledger) == 2
    assert [b.line for b in ledger.bad_rows] == [3, 5, 6]


def test_read_scdl_sets_a_total_row_aside(tmp_path):
    header = ("nomAttribuant;idAttribuant;dateConvention;nomBeneficiaire;idBeneficiaire;objet;"
              "montant;nature")
    body = ["Département du Lot;22460001700016;2017-03-01;Asso A;12345678900011;objet;"
            "40 000,00;aide en numéraire",
            "Département du Lot;22460001700016;2017-05-02;Asso B;12345678900029;objet;"
            "2 500,50;aide en numéraire",
            ";;;TOTAL;;;42 500,50;"]
    path = tmp_path / "scdl.csv"
    path.write_bytes("\r\n".join([header] + body + [""]).encode("cp1252"))
    ledger = essconv.read_scdl(path)
    assert ledger.total() == french("40 000,00") + french("2 500,50") and len(ledger) == 2
    # at the cell that says TOTAL (nomBeneficiaire's), not column 1
    assert [(b.line, b.column) for b in ledger.bad_rows] == [(4, 4)]


def test_a_total_row_at_the_end_of_a_large_file_read_in_blocks(tmp_path):
    lines = ["beneficiaire;montant"]
    lines += [f"Asso {i % 1000};{1 + i % 997} {i % 1000:03d},{i % 100:02d}" for i in range(120_000)]
    expected = sum(french(line.split(";")[1]) for line in lines[1:])
    lines.append(f"Total;{str(expected).replace('.', ',')}")
    data = ("\n".join(lines) + "\n").encode()
    path = tmp_path / "big.csv.gz"
    path.write_bytes(gzip.compress(data))
    for source in (path, data):
        for threads in (1, 2):
            with pytest.raises(essconv.ParseError) as caught:
                Ledger.read_csv(source, amount="montant", threads=threads)
            assert caught.value.line == len(lines)
            ledger = Ledger.read_csv(source, amount="montant", threads=threads,
                                     bad_rows="collect")
            assert ledger.total() == expected and len(ledger) == len(lines) - 2


# a spreadsheet's "Sous-total" command: a total line under each group, a grand total at the end
SUBTOTALS = ("financeur;ligne;montant\nCDC;DLA;10\nCDC;MPA;20,25\nTotal CDC;;30,25\nCR;DLA;5,50\n"
             "CR;X;4,50\nTotal CR;;10\nTotal général;;40,25\n", [4, 7, 8])
AXES = ("axe;ligne;montant\nAxe 1;DLA;10\nAxe 1;MPA;20\nTotal Axe 1;;30\nAxe 2;X;7\n"
        "Total Axe 2;;7\nAxe 3;Y;1 000\n", [4, 6])


@pytest.mark.parametrize("text, lines", [SUBTOTALS, AXES])
@pytest.mark.parametrize("threads", [1, 2])
def test_sub_total_rows_inside_the_file_are_refused_or_set_aside_at_their_lines(
        text, lines, threads, tmp_path):
    records_only = [line for k, line in enumerate(text.splitlines(), start=1)
                    if k not in lines]
    expected = sum(records("\n".join(records_only), 2))
    for encoding in ("utf-8", "cp1252"):
        path = tmp_path / "export.csv"
        path.write_bytes(text.encode(encoding))
        with pytest.raises(essconv.ParseError) as caught:
            Ledger.read_csv(path, amount="montant", threads=threads)
        assert (caught.value.line, caught.value.column) == (lines[0], 1)
        ledger = Ledger.read_csv(path, amount="montant", threads=threads, bad_rows="collect")
        assert ledger.total() == expected and len(ledger) == len(records_only) - 1
        assert [b.line for b in ledger.bad_rows] == lines
        by_funder = ledger.group_by(text.split(";")[0]).sum().to_dict()
        assert not any(k and k.startswith("Total") for k in by_funder)


def test_sub_totals_of_a_file_read_in_blocks_are_placed_at_their_lines(tmp_path):
    lines = ["financeur;montant"]
    expected, totals = Decimal(0), []
    for g in range(120):
        group = Decimal(0)
        for i in range(400):
            amount = Decimal(f"{(g * 7 + i) % 1000}.{i % 100:02d}")
            group += amount
            lines.append(f"F{g};{str(amount).replace('.', ',')}")
        expected += group
        lines.append(f"Total F{g};{str(group).replace('.', ',')}")
        totals.append(len(lines))
    lines.append(f"Total général;{str(expected).replace('.', ',')}")
    totals.append(len(lines))
    data = ("\n".join(lines) + "\n").encode()
    path = tmp_path / "big.csv.gz"
    path.write_bytes(gzip.compress(data))
    for source in (path, data):
        ledger = Ledger.read_csv(source, amount="montant", bad_rows="collect")
        assert ledger.total() == expected and len(ledger) == len(lines) - 1 - len(totals)
        assert [b.line for b in ledger.bad_rows] == totals
        with pytest.raises(essconv.ParseError) as caught:
            Ledger.read_csv(source, amount="montant")
        assert caught.value.line == totals[0] and "120 more such rows" in str(caught.value)


# (file text, the total row's line): a total row at the top, as some exports print the grand
# total above the records it adds up
TOTAL_ROWS_AT_THE_TOP = {
    "TOTAL GÉNÉRAL first": ("beneficiaire;nature;montant\nTOTAL GÉNÉRAL;;1 550,50\n"
                            "Asso A;aide;1 250,50\nAsso B;aide;300\n", 2),
    "Total after blank lines, CRLF": ("beneficiaire;nature;montant\r\n\r\nTotal :;;60\r\n"
                                      "Asso A;aide;10\r\nAsso B;aide;20\r\nAsso C;aide;30\r\n", 3),
    "Ensemble first, then a sub-total": (
        "beneficiaire;nature;montant\nEnsemble;;65\nAsso A;aide;10\nAsso B;aide;20\n"
        "Sous-total;;30\nAsso C;aide;35\n", 2),
}


@pytest.mark.parametrize("name", list(TOTAL_ROWS_AT_THE_TOP))
def test_a_total_row_at_the_top_adding_up_the_rows_below_is_refused_at_its_line(name, tmp_path):
    text, line = TOTAL_ROWS_AT_THE_TOP[name]
    path = tmp_path / "export.csv"
    path.write_bytes(text.encode("cp1252"))
    with pytest.raises(essconv.ParseError) as caught:
        Ledger.read_csv(path, amount="montant")
    assert (caught.value.line, caught.value.column) == (line, 1)
    assert "records below" in str(caught.value) and "above" not in str(caught.value)
    ledger = Ledger.read_csv(path, amount="montant", bad_rows="collect")
    amounts = [a for a, row in zip(records(text.replace("\r", ""), 2),
                                   [r for r in text.replace("\r", "").splitlines()[1:] if r])
               if not row.lower().startswith(("total", "ensemble", "sous-total"))]
    assert ledger.total() == sum(amounts) and len(ledger) == len(amounts)
    assert ledger.bad_rows[0].line == line
    from essconv.messages import language
    said = language("fr").problem(ledger.bad_rows[0])
    assert "enregistrements en dessous" in said and "au-dessus" not in said


# records that only look like totals: read as records, every one
NOT_TOTALS = {
    "TotalEnergies, the sum of the rows": "beneficiaire;montant\nA;100\nB;200\nTOTALENERGIES;300\n",
    "Total Axe 1, not the sum": "beneficiaire;montant\nA;100\nB;200\nTotal Axe 1;250\n",
    "no label, not the sum": "beneficiaire;montant\nA;100\nB;200\n;250\n",
    "no label, two rows alike": "beneficiaire;montant\nA;100\n;100\n",
    "no label, a sum of few rows": "beneficiaire;montant\nA;0\nB;1\nC;2\n;3\n",
    "no label, as other rows": "beneficiaire;montant\nA;1\n;2\nB;3\nC;4\n;10\n",
    "Association Totem": "beneficiaire;montant\nA;100\nB;200\nAssociation Totem;300\n",
    "a total in the middle is not the last row": "beneficiaire;montant\nA;100\nB;200\nC;300\n",
    "TOTAL SA in the middle, not a sum": "beneficiaire;montant\nA;100\nTOTAL SA;250\nB;200\n",
    "TOTAL in the middle, not a sum": "beneficiaire;montant\nTOTAL;100\nA;250\nB;200\n",
    "TOTAL first, one equal grant below": "beneficiaire;montant\nTOTAL;100\nA;100\n",
    "Totem first, the sum of the rows below": "beneficiaire;montant\nTotem;300\nA;100\nB;200\n",
    "Ensemble vocal, the sum of the rows": "beneficiaire;montant\nA;100\nB;200\nEnsemble vocal;300\n",
    "Ensemble, one grant above, equal": "beneficiaire;montant\nA;100\nEnsemble;100\n",
    "Ensemble, not the sum": "beneficiaire;montant\nA;100\nB;200\nEnsemble;250\n",
    "Cumulus, the sum of the rows": "beneficiaire;montant\nA;100\nB;200\nCumulus;300\n",
    "Cumul, one grant above, equal": "beneficiaire;montant\nA;100\nCumul;100\n",
    "Cumul, not the sum": "beneficiaire;montant\nA;100\nB;200\nCumul;250\n",
}


@pytest.mark.parametrize("name", list(NOT_TOTALS))
def test_a_record_that_only_looks_like_a_total_is_read(name):
    text = NOT_TOTALS[name]
    ledger = Ledger.read_csv(text.encode(), amount="montant")
    assert ledger.total() == sum(records(text, 1)) and len(ledger) == len(records(text, 1))
    assert ledger.bad_rows == []


# An amount header naming a unit the reader does not know: its bare cells were read as euros
@pytest.mark.parametrize("header, word", [
    ("montant (K)", "K"), ("Montant en k", "k"), ("montant (M)", "M"), ("montant (Md€)", "Md"),
    ("Montant en euros (k)", "k"), ("montant (x1000)", "x1000"), ("montant (x 1 000 €)", "1 000"),
    ("montant (en 1000 €)", "1000"), ("montant en centimes", "centimes"), ("montant (cts)", "cts"),
    ("Montant en kilo-euros", "kilo"), ("montant (milliards d'euros)", "milliards")])
def test_an_amount_header_naming_an_unread_unit_is_refused_at_its_cell(header, word, tmp_path):
    path = tmp_path / "export.csv"
    path.write_bytes(f'beneficiaire;"{header}"\nAsso A;1,5\nAsso B;2\n'.encode("cp1252"))
    with pytest.raises(essconv.ParseError) as caught:
        Ledger.read_csv(path, amount=header)
    assert (caught.value.line, caught.value.column) == (1, len("beneficiaire;") + 1)
    assert f"('{word}')" in str(caught.value) and str(caught.value).startswith(f"{path}:1:14: ")


@pytest.mark.parametrize("header, word", [("montant (K)", "K"), ("montant 'brut' (Md€)", "Md")])
def test_an_amount_header_naming_an_unread_unit_is_refused_in_the_readers_language(
        header, word, tmp_path, capsys):
    """The refusal was English only: a French run printed "the amount column ... names a unit
    essconv does not read".  It carries its reason; the French names the column and the word,
    and the place stays the header's cell."""
    from essconv.cli import main
    from essconv.messages import language
    path = tmp_path / "export.csv"
    path.write_text(f'beneficiaire;"{header}"\nAsso A;1,5\n', encoding="utf-8")
    with pytest.raises(essconv.ParseError) as caught:
        Ledger.read_csv(path, amount=header)
    exc = caught.value
    assert exc.reason == ("unit-unread",)
    nbsp = "\u00a0"
    said = language("fr").refusal(exc).replace(nbsp, " ").replace("\u202f", " ")
    assert said == (
        f"{path}:1:14: la colonne des montants « {header} » nomme une unité qu'essconv ne lit "
        f"pas (« {word} ») : ses montants sans unité seraient lus en euros ; dites l'unité "
        "« k€ », « M€ » ou « € » dans l'en-tête (ou dans chaque cellule), ou renommez la "
        "colonne")
    assert language("en").refusal(exc) == str(exc) and "names a unit" in str(exc)
    assert main(["aggregate", str(path), "--amount", header, "--by", "beneficiaire"]) == 2
    err = capsys.readouterr().err.replace(nbsp, " ").replace("\u202f", " ")
    assert err == f"essconv: {said}\n"


@pytest.mark.parametrize("header, unit", [
    ("montant", 1), ("m", 1), ("Montant 2017", 1), ("montant voté 2017 (€)", 1),
    ("Montant (€) N-1", 1), ("montant_m2", 1), ("montant en €uros", 1), ("montant HT €", 1),
    ("montant (K€)", 1000), ("montant en milliers d'euros", 1000), ("montant MEUR", 1_000_000)])
def test_an_amount_header_without_an_unread_unit_reads_as_before(header, unit):
    text = f"beneficiaire;{header}\nAsso A;1,5\nAsso B;2\n"
    ledger = Ledger.read_csv(text.encode(), amount=header)
    assert ledger.total() == sum(records(text, 1)) * unit


# The plural of a unit read ("keurs", "MEURS", "K€S") and a multiplier essconv does not read
# ("centaines d'euros", "mil €", "méga", "x 100", "c€", "T€") were passed over: the bare cells
# were read as euros, 1000 or 100 times off -- or, beside a unit read, "centaines de milliers
# d'euros" in k€, 100 times off -- without a word.  The plural reads as its unit; a
# multiplier not read is refused at the header's cell, whatever else the name says.
@pytest.mark.parametrize("header, unit", [
    ("montant (keurs)", 1000), ("montant en Keurs HT", 1000), ("MONTANT (KEURS)", 1000),
    ("MONTANTKEURS", 1000), ("montantKeurs", 1000), ("MONTANTHTKEURS", 1000),
    ("montant (meurs)", 1_000_000), ("Montant [MEURS]", 1_000_000),
    ("MONTANTMEURS", 1_000_000), ("MONTANTK€S", 1000), ("montant (k€s)", 1000),
    # unchanged: the plural is a word's own end after letters that are no qualifier
    ("MONTANTPRIMEURS", 1), ("HUMEURS", 1), ("montant (Euro)", 1), ("MONTANT (CRÉDIT)", 1)])
def test_an_amount_header_naming_a_unit_in_the_plural_reads_it(header, unit):
    text = f"beneficiaire;{header}\nAsso A;1,5\nAsso B;2\n"
    ledger = Ledger.read_csv(text.encode(), amount=header)
    assert ledger.total() == Decimal("3.5") * unit
    assert essconv._core.amount_header_unit(header) == (0 if unit == 1 else unit * 100)


@pytest.mark.parametrize("header, word", [
    ("montant (mil €)", "mil"), ("montant en mil euros", "mil"), ("MONTANT (MIL)", "MIL"),
    ("montant (centaines d'euros)", "centaines"), ("montant en centaine d'euros", "centaine"),
    ("Montant HT (CENTAINES €)", "CENTAINES"), ("montant (dizaines d'euros)", "dizaines"),
    ("montant (centaines de milliers d'euros)", "centaines"),
    ("montant - dizaines de milliers d'euros TTC", "dizaines"),
    ("montant (méga)", "méga"), ("MONTANT (MÉGA€)", "MÉGA"), ("montant mega euros", "mega"),
    ("montant (giga€)", "giga"), ("montant (x 100)", "100"), ("montant : x100", "x100"),
    ("montant (÷1000)", "÷1000"), ("montant (100 €)", "100"), ("montant (c€)", "c"),
    ("montant en ct€", "ct"), ("montant (T€)", "T"), ("montant (TEUR)", "TEUR"),
    ("montant (Tsd €)", "Tsd"), ("montant (thousand euros)", "thousand"),
    ("montant (bn €)", "bn"), ("montant (MM€)", "MM"), ("montant (k€) x 100", "100"),
    ("MONTANTMDS", "MDS"), ("MONTANTCENTIMES", "CENTIMES"), ("MONTANTKILO", "KILO"),
    ("MONTANTCENTAINES", "CENTAINES")])
def test_an_amount_header_naming_a_multiplier_not_read_is_refused_at_its_cell(header, word,
                                                                              tmp_path):
    path = tmp_path / "export.csv"
    path.write_text(f'beneficiaire;"{header}"\nAsso A;1,5\nAsso B;2\n', encoding="utf-8")
    with pytest.raises(essconv.ParseError) as caught:
        Ledger.read_csv(path, amount=header)
    exc = caught.value
    assert (exc.line, exc.column) == (1, len("beneficiaire;") + 1)
    assert exc.reason == ("unit-unread",) and f"('{word}')" in str(exc), str(exc)
    with pytest.raises(essconv.ParseError):
        essconv._core.amount_header_unit(header)


def _unit_column_file(rows: int, units: list[str], header: str = "montant") -> bytes:
    """A file whose unit column says units[i % len(units)] beside bare amounts of 1,5."""
    body = "".join(f"Asso {i};1,5;{units[i % len(units)]}\n" for i in range(rows))
    return f"beneficiaire;{header};unité\n{body}".encode()


@pytest.mark.parametrize("threads", [1, 2])
@pytest.mark.parametrize("as_path", [False, True])
@pytest.mark.parametrize("unit, said", [("k€", "k€"), ("K€", "k€"), ("milliers d'euros", "k€"),
                                        ("M€", "M€")])
def test_a_unit_column_saying_k_euros_beside_bare_amounts_is_refused_at_its_cell(
        unit, said, as_path, threads, tmp_path):
    """A 'unité' column saying k€ beside bare amounts was read as euros: every total 1000
    times too small, without a word.  The row is refused at the unit's cell, the column and
    the unit named, on every read path; a large file read on two threads too."""
    rows = 2 if threads == 1 else 120_000   # past two chunks of 1 MiB
    data = _unit_column_file(rows, ["€"] * (rows - 1) + [unit])
    source = data
    if as_path:
        source = tmp_path / "export.csv"
        source.write_bytes(data)
    with pytest.raises(essconv.ParseError) as caught:
        Ledger.read_csv(source, amount="montant", threads=threads)
    exc = caught.value
    assert (exc.line, exc.column) == (rows + 1, len(f"Asso {rows - 1};1,5;") + 1)
    assert exc.reason[:3] == ("unit-column", "unité", unit)
    assert f"this row's amount is in {said}" in str(exc) and "'montant (" in str(exc)
    ledger = Ledger.read_csv(source, amount="montant", threads=threads, bad_rows="collect")
    assert [p.line for p in ledger.bad_rows] == [rows + 1]
    assert ledger.total() == Decimal("1.5") * (rows - 1)   # nothing else dropped


def test_a_unit_column_refusal_is_worded_in_french():
    from essconv.messages import language
    with pytest.raises(essconv.ParseError) as caught:
        Ledger.read_csv(_unit_column_file(2, ["k€"]), amount="montant")
    said = language("fr").refusal(caught.value).replace("\u00a0", " ").replace("\u202f", " ")
    assert said.endswith(
        "colonne « unité » : « k€ » dit que le montant de cette ligne est en k€, mais la "
        "colonne des montants « montant » est lue en € : il serait 1 000 fois trop petit, "
        "sans un mot ; dites l'unité dans l'en-tête de la colonne des montants "
        "(« montant (k€) ») si toutes les lignes l'ont, ou séparez le fichier par unité"), said


@pytest.mark.parametrize("header, units, total", [
    ("montant (k€)", ["k€", "K€", "milliers d'euros"], Decimal("4500")),   # as the header says
    ("montant", ["€", "EUR", "euros", ""], Decimal("6")),                    # euros, or blank
    ("montant", ["DRH", "Service culture", "Direction Europe"], Decimal("4.5"))])  # not a money unit
def test_a_unit_column_agreeing_with_the_amounts_unit_reads_as_before(header, units, total):
    data = _unit_column_file(len(units), units, header)
    for threads in (1, 2):
        assert Ledger.read_csv(data, amount=header, threads=threads).total() == total


def test_a_unit_column_disagreeing_with_the_amount_header_is_refused():
    """Rows that disagree: the header says k€, one row says €."""
    with pytest.raises(essconv.ParseError) as caught:
        Ledger.read_csv(_unit_column_file(3, ["k€", "€", "k€"], "montant (k€)"),
                        amount="montant (k€)")
    assert caught.value.line == 3 and "1000 times too large" in str(caught.value)


BOM = b"\xef\xbb\xbf"


@pytest.mark.parametrize("body", ["utf-8", "cp1252"])
def test_a_file_saved_twice_with_two_boms_reads_as_with_one(tmp_path, body):
    """A file re-saved by a second program wears two UTF-8 BOMs: the second one was read as
    text of the first column's name ('\\ufeffnom'), so asking for "nom" said it was missing."""
    rows = "nom;montant\nÉcole d'Arras;1 234,50\nCité;10,00\n".encode(body)
    once, twice = BOM + rows, BOM + BOM + rows
    path = tmp_path / "twice.csv"
    path.write_bytes(twice)
    want = Ledger.read_csv(once, amount="montant", dims=["nom"])
    for source in (twice, path, lambda: open(path, "rb")):
        opened = source() if callable(source) else source
        try:
            got = Ledger.read_csv(opened, amount="montant", dims=["nom"])
        finally:
            if callable(source):
                opened.close()
        assert got.columns == want.columns == ["montant", "nom"]
        assert got.total() == Decimal("1244.50")
        assert got.group_by("nom").sum().to_dict() == want.group_by("nom").sum().to_dict()
    plan = essconv.read_plan(BOM + BOM + "ligne;A;Total\nl;1;1\n".encode(body))
    assert plan.lines == ["l"] and plan.total() == Decimal(1)


@pytest.mark.parametrize("rows", [2, 60_000])
def test_a_bom_where_a_second_file_was_joined_is_no_letter_of_the_label(tmp_path, rows):
    """Two exports joined (``cat part1.csv part2.csv``), the second's header row deleted in
    Excel, which saved its BOM: the first label after the join read '\ufeffCité', a funder
    printed like 'Cité' and grouped apart from it, its grants out of Cité's total, silently."""
    part1 = BOM + "nom;montant\n".encode() + "Cité;10,00\nArras;1,00\n".encode() * (rows // 2)
    part2 = BOM + "Cité;5,00\nArras;2,00\n".encode()
    joined = part1 + part2
    path = tmp_path / "joined.csv"
    path.write_bytes(joined)
    for source in (joined, path):
        got = Ledger.read_csv(source, amount="montant", dims=["nom"])
        assert sorted(got.labels("nom")) == ["Arras", "Cité"]
        assert got.group_by("nom").sum().to_dict() == {
            "Cité": Decimal("10.00") * (rows // 2) + 5, "Arras": Decimal(rows // 2) + 2}
    scdl = (BOM + "nomAttribuant;idAttribuant;dateConvention;nomBeneficiaire;objet;montant;"
            "nature\nCité;213;2019-05-02;A;x;10;aide en numéraire\n".encode()
            + BOM + "Cité;213;2019-05-03;B;y;5;aide en numéraire\n".encode())
    assert essconv.read_scdl(scdl).labels("nomAttribuant") == ["Cité"]


def _currency_column_file(rows: int, currencies: list[str], column: str = "devise") -> bytes:
    """A file whose currency column says currencies[i % len(currencies)] beside amounts of 100."""
    body = "".join(f"Asso {i};100;{currencies[i % len(currencies)]}\n" for i in range(rows))
    return f"beneficiaire;montant;{column}\n{body}".encode()


@pytest.mark.parametrize("threads", [1, 2])
@pytest.mark.parametrize("column", ["devise", "unité"])
@pytest.mark.parametrize("currency", ["USD", "usd", "$", "US$", "GBP", "£", "CHF", "XPF",
                                      "F CFP", "francs CFP", "XOF", "dollars", "JPY"])
def test_a_currency_column_naming_another_currency_than_the_euro_is_refused_at_its_cell(
        currency, column, threads):
    """'A;100;USD' beside 'B;200;EUR' was read as 300 €, without a word: the row naming another
    currency is refused at that cell, the column and the currency named, or set aside."""
    rows = 3 if threads == 1 else 120_000   # past two chunks of 1 MiB
    data = _currency_column_file(rows, ["EUR"] * (rows - 2) + [currency, "€"], column)
    with pytest.raises(essconv.ParseError) as caught:
        Ledger.read_csv(data, amount="montant", threads=threads)
    exc = caught.value
    assert (exc.line, exc.column) == (rows, len(f"Asso {rows - 2};100;") + 1)
    assert exc.reason[:3] == ("currency-column", column, currency)
    assert "another currency than the euro" in str(exc) and f"'{currency}'" in str(exc)
    ledger = Ledger.read_csv(data, amount="montant", threads=threads, bad_rows="collect")
    assert [p.line for p in ledger.bad_rows] == [rows]
    assert ledger.total() == 100 * (rows - 1)   # nothing else dropped


def test_a_currency_column_refusal_is_worded_in_french_and_english():
    from essconv.messages import language
    with pytest.raises(essconv.ParseError) as caught:
        Ledger.read_csv(_currency_column_file(2, ["USD", "EUR"]), amount="montant")
    said = language("fr").refusal(caught.value).replace("\u00a0", " ").replace("\u202f", " ")
    assert said.endswith(
        "colonne « devise » : « USD » dit que le montant de cette ligne est dans une autre "
        "monnaie que l'euro, mais les montants sont lus en euros : il serait compté en euros, "
        "sans un mot ; convertissez-le en euros, ou mettez la ligne de côté avec "
        "bad_rows=\"collect\""), said
    english = language("en").refusal(caught.value)
    assert "'USD' says this row's amount is in another currency than the euro" in english


@pytest.mark.parametrize("currencies", [["EUR", "€", "euro", "euros", "Euro", ""],
                                        ["DRH", "Service culture", "CAF", "Direction Europe"]])
def test_a_currency_column_saying_the_euro_or_no_currency_reads_as_before(currencies):
    data = _currency_column_file(len(currencies), currencies)
    for threads in (1, 2):
        assert Ledger.read_csv(data, amount="montant", threads=threads).total() == \
            100 * len(currencies)


# (file text, the total row's line and the column of the word that says it, the columns kept)
TOTAL_WORD_PLACES = {
    "Total in the 2nd column, last row": (
        "nature;beneficiaire;montant\naide;Asso A;10\naide;Asso B;20\naide;Total;30\n", (4, 6),
        None),
    "TOTAL GÉNÉRAL in the 3rd column, inside": (
        "nature;x;beneficiaire;montant\naide;1;Asso A;10\naide;2;Asso B;20\n"
        ";;TOTAL GÉNÉRAL;30\nprêt;4;Asso C;5\n", (4, 3), None),
    "Total in a column not kept": (
        "nature;beneficiaire;montant\naide;Asso A;10\naide;Asso B;20\naide;Total;30\n", (4, 6),
        ["nature"]),
    "Total quoted in the 3rd column, first row": (
        'nature;x;beneficiaire;montant\n;"a";"Total";60\naide;1;Asso A;10\naide;2;Asso B;20\n'
        "aide;3;Asso C;30\n", (2, 6), None),
}


@pytest.mark.parametrize("name", list(TOTAL_WORD_PLACES))
def test_a_total_row_is_placed_at_the_cell_that_says_total(name, tmp_path):
    """A total row refused named column 1 as its place whatever column held the word: the
    analyst looked for « Total » in the first column.  The error, the row set aside and the
    listings in both languages name the line and column of that cell."""
    from essconv.messages import language
    text, (line, column), dims = TOTAL_WORD_PLACES[name]
    path = tmp_path / "export.csv"
    path.write_bytes(text.encode("utf-8"))
    with pytest.raises(essconv.ParseError) as caught:
        Ledger.read_csv(path, amount="montant", dims=dims)
    assert (caught.value.line, caught.value.column) == (line, column)
    for lang in ("fr", "en"):
        assert language(lang).refusal(caught.value).startswith(f"{path}:{line}:{column}:")
    [bad] = Ledger.read_csv(path, amount="montant", dims=dims, bad_rows="collect").bad_rows
    assert (bad.line, bad.column) == (line, column)
    with path.open("rb") as stream:   # streamed: the reading that places it is the stream's
        [bad] = Ledger.read_csv(stream, amount="montant", dims=dims, bad_rows="collect").bad_rows
    assert (bad.line, bad.column) == (line, column)


# An amount header naming another currency than the euro: its cells were read as euros
@pytest.mark.parametrize("header, word", [
    ("montant (USD)", "USD"), ("montant en $", "$"), ("montant (CHF)", "CHF"),
    ("Montant en dollars", "dollars"), ("montant (en £)", "£"), ("montant (USD, HT)", "USD"),
    ("Amount in USD", "USD"), ("montant en F CFP", "F CFP"), ("montant en $US", "$US")])
def test_an_amount_header_naming_another_currency_is_refused_at_its_cell(header, word, tmp_path):
    path = tmp_path / "export.csv"
    path.write_text(f'beneficiaire;"{header}"\nAsso A;1,5\nAsso B;2\n', encoding="utf-8")
    with pytest.raises(essconv.ParseError) as caught:
        Ledger.read_csv(path, amount=header)
    exc = caught.value
    assert (exc.line, exc.column) == (1, len("beneficiaire;") + 1)
    assert exc.reason == ("currency-header",)
    assert f"another currency than the euro ('{word}')" in str(exc)
    assert "convert them to euros, or rename the column" in str(exc)


def test_an_amount_header_naming_another_currency_is_refused_in_the_readers_language(tmp_path):
    from essconv.messages import language
    path = tmp_path / "export.csv"
    path.write_text("beneficiaire;montant (USD)\nAsso A;1,5\n", encoding="utf-8")
    with pytest.raises(essconv.ParseError) as caught:
        Ledger.read_csv(path, amount="montant (USD)")
    said = language("fr").refusal(caught.value).replace("\u00a0", " ").replace("\u202f", " ")
    assert said == (
        f"{path}:1:14: la colonne des montants « montant (USD) » dit que ses montants sont dans "
        "une autre monnaie que l'euro (« USD ») : ils seraient lus en euros, sans un mot ; "
        "convertissez-les en euros, ou renommez la colonne si la monnaie de son nom est une "
        "erreur")
    assert language("en").refusal(caught.value) == str(caught.value)


@pytest.mark.parametrize("header", [
    "CAF", "Total CHF", "montant USD", "Direction USD", "montant (€)", "montant en euros",
    "montant (k€)", "montant (franc succès)", "montant envoyé", "montant (CAF)",
    "montant en cadeaux"])
def test_an_amount_header_naming_no_currency_as_its_unit_reads_as_before(header):
    text = f"beneficiaire;{header}\nAsso A;1,5\nAsso B;2\n"
    ledger = Ledger.read_csv(text.encode(), amount=header)
    assert ledger.total() in (Decimal("3.5"), Decimal(3500))


# An amount cell naming another currency: refused, but said as "a separator not followed by a
# digit" or "a digit is expected", silent on the currency
@pytest.mark.parametrize("cell, currency, at", [
    ("100 USD", "USD", 5), ("100 £", "£", 5), ("USD 100", "USD", 1), ("$100", "$", 1),
    ("100 $", "$", 5), ("1 234,56 CHF", "CHF", 10), ("100 dollars", "dollars", 5),
    ("(100) USD", "USD", 7)])
def test_an_amount_cell_naming_another_currency_is_refused_as_such(cell, currency, at):
    from essconv.messages import language
    with pytest.raises(essconv.AmountError) as caught:
        Ledger.read_csv(f"beneficiaire;montant\nAsso A;{cell}\n".encode(), amount="montant")
    exc = caught.value
    assert exc.reason[0] == "amount" and exc.reason[4] == at and exc.reason[6] == "currency"
    assert (f"'{cell}' is not an amount in euros: it names another currency than the euro "
            f"('{currency}', character {at}); convert it to euros") in str(exc)
    said = language("fr").refusal(exc).replace("\u00a0", " ").replace("\u202f", " ")
    assert said.endswith(f"« {cell} » n'est pas un montant en euros : il nomme une autre monnaie "
                         f"que l'euro (« {currency} », caractère {at}) ; convertissez-le en "
                         f"euros"), said
    # a plan's cell says it the same way, in both languages
    with pytest.raises(essconv.PlanFormatError) as caught:
        essconv.read_plan(f"en k€;CR;CDC;Total\nDLA;{cell};2;3\nObs;1;2;3;4\n".encode())
    (bad,) = [p for p in caught.value.problems if p.reason[:2] == ("plan-bad-amount", "currency")]
    assert f"another currency than the euro ('{currency}', character {at})" in bad.message
    said = language("fr").problem(bad).replace("\u00a0", " ").replace("\u202f", " ")
    assert said.endswith(f"« {cell} » n'est pas un montant en euros : il nomme une autre monnaie "
                         f"que l'euro (« {currency} », caractère {at}) ; convertissez-le en "
                         f"euros"), said


# The French names the currency from the trimmed cell, as the English does from the whole one:
# spaces before it move its character, never which currency is said
@pytest.mark.parametrize("cell, currency, at", [
    (" 100 USD", "USD", 6), ("\t$100", "$", 2), ("\u00a0\u00a0£ 100", "£", 3),
    ("  1 234,56 francs suisses  ", "francs suisses", 12)])
def test_an_amount_cell_opened_by_spaces_names_its_currency_in_french(cell, currency, at):
    from essconv.messages import language
    with pytest.raises(essconv.AmountError) as caught:
        Ledger.read_csv(f"beneficiaire;montant\nAsso A;{cell}\n".encode(), amount="montant")
    assert f"('{currency}', character {at})" in str(caught.value)
    said = language("fr").refusal(caught.value).replace("\u00a0", " ")
    assert f"autre monnaie que l'euro (« {currency} », caractère {at})" in said, said
    with pytest.raises(essconv.PlanFormatError) as caught:
        essconv.read_plan(f"en k€;CR;CDC;Total\nDLA;{cell};2;3\nObs;1;2;3;4\n".encode())
    (bad,) = [p for p in caught.value.problems if p.reason[:2] == ("plan-bad-amount", "currency")]
    said = language("fr").problem(bad).replace("\u00a0", " ")
    assert f"autre monnaie que l'euro (« {currency} »" in said, said


# A code glued before the number ("USD100", "CHF1 000", "£100") was refused as "a digit is
# expected at character 1", silent on the currency its twin after the number ("100USD") names;
# so was a currency after a narrow no-break space, the space French software types before a unit
@pytest.mark.parametrize("cell, currency, at", [
    ("USD100", "USD", 1), ("CHF1 000", "CHF", 1), ("usd100,50", "usd", 1), ("GBP-5", "GBP", 1),
    ("£100", "£", 1), ("dollars100", "dollars", 1),
    ("100USD", "USD", 4), ("US$100", "US$", 1), ("\u202fUSD 100", "USD", 2),
    ("\u202f\u202fUSD100", "USD", 3), ("100\u202fUSD", "USD", 5)])
def test_an_amount_cell_with_its_currency_glued_names_the_currency(cell, currency, at):
    from essconv.messages import language
    with pytest.raises(essconv.AmountError) as caught:
        Ledger.read_csv(f"beneficiaire;montant\nAsso A;{cell}\n".encode(), amount="montant")
    exc = caught.value
    assert exc.reason[6] == "currency" and exc.reason[4] == at, exc.reason
    assert (f"'{cell}' is not an amount in euros: it names another currency than the euro "
            f"('{currency}', character {at})") in str(exc)
    said = language("fr").refusal(exc).replace("\u00a0", " ")
    assert f"autre monnaie que l'euro (« {currency} », caractère {at})" in said, said
    with pytest.raises(essconv.PlanFormatError) as caught:
        essconv.read_plan(f"en k€;CR;CDC;Total\nDLA;{cell};2;3\nObs;1;2;3;4\n".encode())
    (bad,) = [p for p in caught.value.problems if p.reason[:2] == ("plan-bad-amount", "currency")]
    said = language("fr").problem(bad).replace("\u00a0", " ")
    assert f"autre monnaie que l'euro (« {currency} », caractère {at})" in said, said


@pytest.mark.parametrize("cell", ["EUR100", "100EUR", "100€", "€100", "EUR 100", "100 EUR"])
def test_an_amount_cell_with_the_euro_glued_reads_as_before(cell):
    ledger = Ledger.read_csv(f"beneficiaire;montant\nAsso A;{cell}\n".encode(), amount="montant")
    assert ledger.total() == Decimal(100)


@pytest.mark.parametrize("cell, detail", [("12a", "character"), ("100 CAF", "separator-no-digit"),
                                          ("1 2,5", "group-after-separator")])
def test_an_amount_cell_naming_no_currency_is_refused_as_before(cell, detail):
    with pytest.raises(essconv.AmountError) as caught:
        Ledger.read_csv(f"beneficiaire;montant\nAsso A;{cell}\n".encode(), amount="montant")
    assert caught.value.reason[6] == detail


# Francs: a file kept from before 2002, or a table of the franc zone, names them by the ISO code
# or by its multiples ("kF", thousands of francs), as "francs" is named in full
@pytest.mark.parametrize("header, word", [
    ("montant (FRF)", "FRF"), ("Montant (kF)", "kF"), ("montant en FRF", "FRF"),
    ("Montant (KFRF)", "KFRF"), ("montant (en francs français)", "francs français")])
def test_an_amount_header_naming_french_francs_is_refused_at_its_cell(header, word, tmp_path):
    """'montant (FRF)' and 'montant (kF)' were read as euros (1,5 kF as 1,50 €) where 'montant
    (francs)' is refused: a total 6,56 or 6 560 times off, without a word."""
    path = tmp_path / "export.csv"
    path.write_bytes(f'beneficiaire;"{header}"\nAsso A;1,5\nAsso B;2\n'.encode("cp1252"))
    with pytest.raises(essconv.ParseError) as caught:
        Ledger.read_csv(path, amount=header)
    exc = caught.value
    assert (exc.line, exc.column) == (1, len("beneficiaire;") + 1)
    assert exc.reason == ("currency-header",)
    assert f"another currency than the euro ('{word}')" in str(exc)


@pytest.mark.parametrize("cell", ["FRF", "kF", "francs français"])
def test_a_currency_column_naming_french_francs_is_refused_at_its_cell(cell):
    data = _currency_column_file(3, ["EUR", cell, "€"])
    with pytest.raises(essconv.ParseError) as caught:
        Ledger.read_csv(data, amount="montant")
    assert caught.value.reason[:3] == ("currency-column", "devise", cell)


# A thousands multiplier written with zeros or a power of ten ("(000 €)", "(€ 000)", "(10³ €)")
# or a foreign abbreviation of millions ("Mio. €", "mill. €"): bare cells read as euros
@pytest.mark.parametrize("header, word", [
    ("montant (000 €)", "000"), ("montant ('000 €)", "000"), ("montant (€ 000)", "000"),
    ("montant (10³ €)", "10³"), ("montant (10^3 €)", "10^3"), ("montant (Mio. €)", "Mio"),
    ("montant (mill. €)", "mill")])
def test_an_amount_header_naming_a_multiplier_in_zeros_or_powers_is_refused(header, word,
                                                                            tmp_path):
    """'montant (000 €)' (thousands of euros, as a UK-style table says) and 'montant (10³ €)'
    read their 1,5 as 1,50 €, a thousandth of it, without a word, where 'montant (1000 €)' is
    refused; 'Mio. €' and 'mill. €' (millions) a millionth."""
    path = tmp_path / "export.csv"
    path.write_text(f'beneficiaire;"{header}"\nAsso A;1,5\nAsso B;2\n', encoding="utf-8")
    with pytest.raises(essconv.ParseError) as caught:
        Ledger.read_csv(path, amount=header)
    exc = caught.value
    assert (exc.line, exc.column) == (1, len("beneficiaire;") + 1)
    assert exc.reason == ("unit-unread",) and f"('{word}')" in str(exc)


# An amount header glued in camel case ("MontantKEuros") read its bare cells as euros, where
# "montant (k€)" reads them in k€: 1,5 taken as 1,50 €, a thousandth of it, without a word
@pytest.mark.parametrize("header, unit", [
    ("MontantKEuros", 1000), ("MontantEnKEuros", 1000), ("montantKeur", 1000),
    ("MontantKEUR", 1000), ("MontantEnMilliersEuros", 1000), ("MontantMEuros", 1_000_000),
    ("MontantMEUR", 1_000_000), ("montant_keur", 1000), ("MONTANT_KEUR", 1000),
    ("Montant_k€", 1000), ("MontantVotéKEuros", 1000),
    # euros, or no unit at all: as before
    ("MontantEuros", 1), ("montant_eur", 1), ("montantKept", 1), ("MontantKeurig", 1),
    ("montantMeurthe", 1), ("montantTotal", 1)])
@pytest.mark.parametrize("threads", [1, 2])
@pytest.mark.parametrize("as_path", [False, True])
def test_an_amount_header_glued_in_camel_case_or_underscores_reads_its_unit(
        header, unit, as_path, threads, tmp_path):
    text = f"beneficiaire;{header}\nAsso A;1,5\nAsso B;2\n"
    source = text.encode()
    if as_path:
        source = tmp_path / "export.csv"
        source.write_bytes(text.encode())
    ledger = Ledger.read_csv(source, amount=header, threads=threads)
    assert ledger.total() == sum(records(text, 1)) * unit


@pytest.mark.parametrize("header, word", [("montantKE", "KE"), ("MontantEnKE", "KE"),
                                          ("montant_ke", "ke"), ("MontantK", "K"),
                                          ("montantMd", "Md")])
@pytest.mark.parametrize("threads", [1, 2])
def test_an_amount_header_glued_to_a_unit_not_read_is_refused_at_its_cell(
        header, word, threads, tmp_path):
    """'montantKE' (k€ without its sign) glued to the name read its cells as euros: refused at
    the header's cell as a unit not read, in both languages, as 'montant (K)' is."""
    from essconv.messages import language
    path = tmp_path / "export.csv"
    path.write_text(f"beneficiaire;{header}\nAsso A;1,5\nAsso B;2\n", encoding="utf-8")
    with pytest.raises(essconv.ParseError) as caught:
        Ledger.read_csv(path, amount=header, threads=threads)
    exc = caught.value
    assert (exc.line, exc.column) == (1, len("beneficiaire;") + 1)
    assert exc.reason == ("unit-unread",) and f"('{word}')" in str(exc)
    said = language("fr").refusal(exc).replace("\u00a0", " ").replace("\u202f", " ")
    assert f"la colonne des montants « {header} » nomme une unité qu'essconv ne lit pas " \
           f"(« {word} »)" in said, said
    assert language("en").refusal(exc) == str(exc)


# An amount header glued in capitals ("MONTANTKEUR") has no case step to split at: its bare
# cells were read as euros, 1,5 taken as 1,50 € where "montant (k€)" reads 1 500 €
@pytest.mark.parametrize("header, unit", [
    ("MONTANTKEUR", 1000), ("MONTANTKEUROS", 1000), ("MONTANT_KEUROS", 1000),
    ("MONTANTENKEUROS", 1000), ("MONTANTMEUR", 1_000_000), ("MONTANTMEUROS", 1_000_000),
    ("MONTANTK€", 1000), ("MONTANTM€", 1_000_000), ("montantkeur", 1000),
    ("SUBVENTIONKEUR", 1000), ("CRÉDITSKEUR", 1000), ("MTKEUR", 1000), ("DEPENSEMEUR", 1_000_000),
    # a name that does not end in a unit: as before
    ("MONTANTEUROS", 1), ("MONTANTMEURTHE", 1), ("MONTANTPRIME", 1), ("SOMME", 1)])
@pytest.mark.parametrize("threads", [1, 2])
def test_an_amount_header_glued_in_capitals_reads_its_unit(header, unit, threads):
    text = f"beneficiaire;{header}\nAsso A;1,5\nAsso B;2\n"
    ledger = Ledger.read_csv(text.encode(), amount=header, threads=threads)
    assert ledger.total() == sum(records(text, 1)) * unit


@pytest.mark.parametrize("header, word", [("MONTANTKE", "KE"), ("MONTANTENKE", "KE"),
                                          ("MONTANTKILOEUROS", "KILOEUROS"),
                                          ("MONTANTKILO-EUROS", "KILO")])
def test_an_amount_header_glued_in_capitals_to_a_unit_not_read_is_refused(header, word):
    """'MONTANTKE' (k€ without its sign, glued in capitals) is refused as 'montantKE' is, and
    'MONTANTKILOEUROS' as 'montant en kilo-euros' is: never read as euros."""
    from essconv.messages import language
    text = f"beneficiaire;{header}\nAsso A;1,5\n"
    with pytest.raises(essconv.ParseError) as caught:
        Ledger.read_csv(text.encode(), amount=header)
    exc = caught.value
    assert (exc.line, exc.column) == (1, len("beneficiaire;") + 1)
    assert exc.reason == ("unit-unread",) and f"('{word}')" in str(exc)
    said = language("fr").refusal(exc).replace("\u00a0", " ").replace("\u202f", " ")
    assert f"(« {word} »)" in said, said


# A unit glued in capitals after an amount word and its qualifier ("MONTANTHTKEUR": montant hors
# taxes, in k€) was read as euros: the qualifier hid the amount word the unit must follow
@pytest.mark.parametrize("header, unit", [
    ("MONTANTHTKEUR", 1000), ("TOTALSUBVKEUR", 1000), ("MTSUBVKEUR", 1000),
    ("AIDEVERSEEKEUR", 1000), ("MONTANTTTCKEUROS", 1000), ("MONTANTHTK€", 1000),
    ("MONTANTHTMEUROS", 1_000_000), ("MONTANTHTM€", 1_000_000), ("TOTALKEUR", 1000),
    ("montanthtkeur", 1000), ("MontantHTKeur", 1000), ("MontantHTKEuros", 1000),
    ("MONTANT_HT_KEUR", 1000), ("MONTANT.KEUR", 1000), ("montant-k€", 1000),
    ("montant_en_k€", 1000), ("montant en milliers d'euros", 1000)])
@pytest.mark.parametrize("threads", [1, 2])
def test_an_amount_header_glued_in_capitals_after_a_qualifier_reads_its_unit(header, unit,
                                                                             threads):
    text = f'beneficiaire;"{header}"\nAsso A;1,5\nAsso B;2\n'
    ledger = Ledger.read_csv(text.encode(), amount=header, threads=threads)
    assert ledger.total() == Decimal("3.5") * unit


# The tax basis glued after the unit ("MONTANTKEURHT", "MONTANT KEUR HT" in capitals) hid the
# unit from the end of the header: its bare cells were read as euros, 1,5 taken as 1,50 € where
# "MONTANT_KEUR_HT" reads 1 500 €
@pytest.mark.parametrize("header, unit", [
    ("MONTANTKEURHT", 1000), ("MONTANTKEUROSHT", 1000), ("MONTANTK€HT", 1000),
    ("MONTANTKEURTTC", 1000), ("MONTANTMEURHT", 1_000_000), ("TOTALKEURHT", 1000),
    ("montantkeurht", 1000), ("MONTANTENKEURHT", 1000), ("MONTANTSUBVKEURTTC", 1000),
    # no unit before the basis: as before
    ("MONTANTHT", 1), ("MONTANTTTC", 1), ("MONTANTPRIMEHT", 1)])
def test_an_amount_header_glued_in_capitals_with_its_tax_basis_after_the_unit_reads_it(
        header, unit):
    text = f'beneficiaire;"{header}"\nAsso A;1,5\nAsso B;2\n'
    ledger = Ledger.read_csv(text.encode(), amount=header)
    assert ledger.total() == Decimal("3.5") * unit


@pytest.mark.parametrize("header, word", [("MONTANTKEHT", "KE"), ("MONTANTMETTC", "ME")])
def test_an_amount_header_glued_to_a_unit_not_read_then_its_tax_basis_is_refused(header, word):
    text = f'beneficiaire;"{header}"\nAsso A;1,5\n'
    with pytest.raises(essconv.ParseError) as caught:
        Ledger.read_csv(text.encode(), amount=header)
    assert caught.value.reason == ("unit-unread",) and f"('{word}')" in str(caught.value)


# A unit glued to the amount word of a header that goes on after it ("MONTANTKEUR_2019",
# "MONTANTKEUR HT", "MONTANTKEUR(HT)") was not looked for: only the header's end was.  Its bare
# cells were read as euros, 1,5 taken as 1,50 € where "MONTANT_KEUR_2019" reads 1 500 €; the
# glued unit is now read (or refused) at the end of its word as at the end of the header
@pytest.mark.parametrize("header, unit", [
    ("MONTANTKEUR_2019", 1000), ("MONTANTKEUR HT", 1000), ("MONTANTKEUR_HT", 1000),
    ("MONTANTKEUR(HT)", 1000), ("MONTANTKEUR2019", 1000), ("MONTANTHTMEUR 2019", 1_000_000),
    ("MONTANTKEURHT_2019", 1000), ("montantkeur 2019", 1000), ("SUBVKEUR-2019", 1000),
    # no glued unit in a word: as before
    ("MONTANT_2019", 1), ("MONTANTHT 2019", 1), ("CHAUFFEUR 2019", 1), ("MONTANT PRIME 2019", 1)])
def test_an_amount_header_whose_glued_unit_ends_a_word_before_its_end_reads_it(header, unit):
    text = f'beneficiaire;"{header}"\nAsso A;1,5\nAsso B;2\n'
    ledger = Ledger.read_csv(text.encode(), amount=header)
    assert ledger.total() == Decimal("3.5") * unit


@pytest.mark.parametrize("header, reason, word", [
    ("MONTANTPRIMEUR_2019", "unit-glued", "MEUR"), ("MONTANTFOOKEUR HT", "unit-glued", "KEUR"),
    ("MONTANTKE 2019", "unit-unread", "KE"), ("MONTANTMDEUR_2019", "unit-unread", "MDEUR")])
def test_an_amount_header_whose_doubtful_glued_unit_ends_a_word_before_its_end_is_refused(
        header, reason, word):
    text = f'beneficiaire;"{header}"\nAsso A;1,5\n'
    with pytest.raises(essconv.ParseError) as caught:
        Ledger.read_csv(text.encode(), amount=header)
    exc = caught.value
    assert (exc.line, exc.column) == (1, len("beneficiaire;") + 1)
    assert exc.reason == (reason,), exc.reason
    assert f"'{word}'" in str(exc), str(exc)


# "keuro" (k€ in the singular, as "keuros" is read) was no unit: "montant (keuro)" read its bare
# cells as euros, 1,5 taken as 1,50 € for 1 500 €, without a word
@pytest.mark.parametrize("header, unit", [
    ("montant (keuro)", 1000), ("montant (KEURO)", 1000), ("montant en keuro", 1000),
    ("montant (meuro)", 1_000_000), ("MONTANTKEURO", 1000), ("MontantKEuro", 1000),
    ("montant_keuro", 1000), ("MONTANTKEUROHT", 1000), ("MONTANTMEURO", 1_000_000),
    ("montant (euro)", 1), ("MONTANTEURO", 1)])
def test_an_amount_header_saying_keuro_in_the_singular_reads_it(header, unit):
    text = f'beneficiaire;"{header}"\nAsso A;1,5\nAsso B;2\n'
    ledger = Ledger.read_csv(text.encode(), amount=header)
    assert ledger.total() == Decimal("3.5") * unit


def test_an_amount_header_ending_in_keuro_glued_to_another_word_is_refused():
    text = 'beneficiaire;BENEFICIAIREKEURO\nAsso A;1,5\n'
    with pytest.raises(essconv.ParseError) as caught:
        Ledger.read_csv(text.encode(), amount="BENEFICIAIREKEURO")
    assert caught.value.reason == ("unit-glued",) and "'KEURO'" in str(caught.value)


# A unit glued to a word that names no amount ("JOCKEUR", "BENEFICIAIREKEUR", "HUMEUR") ends the
# header as k€ or M€ would, or is the word's own letters: read as euros, it was 1000 or a
# million times off when it was the unit; read as the unit, as far off when it was not
@pytest.mark.parametrize("header, word", [
    ("JOCKEUR", "KEUR"), ("BENEFICIAIREKEUR", "KEUR"), ("HUMEUR", "MEUR"),
    ("jockeur", "keur"), ("Jockeur", "keur"), ("BENEFICIAIREKEUROS", "KEUROS"),
    ("NOMK€", "K€"), ("NOMMEUROS", "MEUROS"),
    # a unit glued after an amount word and letters that are no qualifier of it
    # ("MONTANTPRIMEUR": a "montant primeur" column, MONTANT + PRI + MEUR) was read in M€, 1,5
    # taken as 1 500 000 € without a word: only the header's start was checked.  What lies
    # between the amount word and the unit must be empty or qualifiers ("HT", "SUBV", "VERSEE")
    ("MONTANTPRIMEUR", "MEUR"), ("montantprimeur", "meur"), ("MontantPrimeur", "meur"),
    ("MONTANTPRIMEUROS", "MEUROS"), ("MONTANTPRIMK€", "K€"), ("MONTANTPRIM€", "M€"),
    ("MONTANTHUMEUR", "MEUR"), ("TOTALDEMEUR", "MEUR"), ("BUDGETPRIMEUR", "MEUR"),
    ("VALEURPRIMEUR", "MEUR"), ("MONTANTFOOKEUR", "KEUR"), ("MONTANTDEMANDEURKEUR", "KEUR"),
    ("MONTANTSTOCKE", "KE"), ("DEMONTANTKEUR", "KEUR")])
@pytest.mark.parametrize("threads", [1, 2])
def test_an_amount_header_ending_in_a_unit_glued_to_another_word_is_refused(header, word,
                                                                            threads):
    from essconv.messages import language
    text = f"beneficiaire;{header}\nAsso A;1,5\n"
    with pytest.raises(essconv.ParseError) as caught:
        Ledger.read_csv(text.encode(), amount=header, threads=threads)
    exc = caught.value
    assert (exc.line, exc.column) == (1, len("beneficiaire;") + 1)
    assert exc.reason == ("unit-glued",), exc.reason
    assert f"the amount column '{header}' ends in '{word}' glued to a word" in str(exc)
    assert "'montant (k€)'" in str(exc)
    said = language("fr").refusal(exc).replace("\u00a0", " ").replace("\u202f", " ")
    assert f"la colonne des montants « {header} » finit par « {word} » collé à un mot" in said, said
    assert "« montant (k€) »" in said, said
    assert language("en").refusal(exc) == str(exc)
    with pytest.raises(essconv.ParseError):   # the rule callable from Python, the same
        essconv._core.amount_header_unit(header)


# ... while a unit after an amount word and its qualifiers, in any case, still reads, and a
# header naming a person or a thing that ends in "EUR" ("CHAUFFEUR", "MONTANTDEMANDEUR") with no
# unit spelled in it stays as it was: euros, its unit not changed by the word
@pytest.mark.parametrize("header, unit", [
    ("MONTANTHTKEUR", 1000), ("TOTALSUBVKEUR", 1000), ("MTSUBVKEUR", 1000),
    ("MONTANTTTCKEUROS", 1000), ("MontantHTKeur", 1000), ("AIDEVERSEEKEUR", 1000),
    ("MONTANTVERSEKEUR", 1000), ("MONTANTATTRIBUEKEUR", 1000), ("MONTANTATTRIBUESKEUR", 1000),
    ("MONTANTVOTEKEUR", 1000), ("MONTANTTOTALHTKEUR", 1000), ("MONTANTSUBVENTIONKEUR", 1000),
    ("MONTANTSUBVHTKEUR", 1000), ("COUTTOTALMEUR", 1_000_000), ("DEPENSESHTMEUR", 1_000_000),
    ("MONTANTSKEUR", 1000), ("MONTANTHTENKEUR", 1000), ("MONTANTNOTIFIEKEUR", 1000),
    ("MONTANTPRIMEUR_KEUR", 1000), ("MONTANTPRIME", 1), ("MONTANTPRIMEURS", 1),
    ("VALEUR", 1), ("MONTANTVALEUR", 1), ("CHAUFFEUR", 1), ("MONTANTDEMANDEUR", 1),
    ("ACHETEUR", 1), ("MONTANT_ACHETEUR", 1), ("MONTANTEUROS", 1), ("DEMONTANT", 1)])
def test_an_amount_header_whose_glued_unit_follows_its_qualifiers_reads_it(header, unit):
    text = f"beneficiaire;{header}\nAsso A;1,5\nAsso B;2\n"
    ledger = Ledger.read_csv(text.encode(), amount=header)
    assert ledger.total() == Decimal("3.5") * unit


# "MDEUR" (milliards d'euros, as "MEUR" says millions) was read as euros in capitals ("montant
# (MDEUR)", "MONTANTMDEUR", "MONTANT_MDEUR"), where "montant (MdEUR)" was refused: 1,5 taken as
# 1,50 €, a billionth of it, without a word.  Refused as a unit not read, as "Md€" is
@pytest.mark.parametrize("header, word", [
    ("montant (MDEUR)", "MDEUR"), ("MONTANT_MDEUR", "MDEUR"), ("MONTANTMDEUR", "MDEUR"),
    ("MONTANTMDSEUROS", "MDSEUROS"), ("montant (MDEUROS)", "MDEUROS"), ("MONTANTMD€", "MD"),
    ("MONTANTMDS€", "MDS"), ("MONTANTHTMDEUR", "MDEUR"), ("montant_mrdeur", "mrdeur")])
def test_an_amount_header_naming_billions_glued_to_euros_is_refused(header, word):
    from essconv.messages import language
    text = f'beneficiaire;"{header}"\nAsso A;1,5\n'
    with pytest.raises(essconv.ParseError) as caught:
        Ledger.read_csv(text.encode(), amount=header)
    exc = caught.value
    assert (exc.line, exc.column) == (1, len("beneficiaire;") + 1)
    assert exc.reason == ("unit-unread",) and f"('{word}')" in str(exc)
    said = language("fr").refusal(exc).replace("\u00a0", " ").replace("\u202f", " ")
    assert f"(« {word} »)" in said, said


# "MONTANTENMILLIERSEUROS" (the capitals of "MontantEnMilliersEuros", read in k€) had no case
# step to split at: its bare cells were read as euros, 1,5 taken as 1,50 €.  Refused as a unit
# not read, as "MONTANTKILOEUROS" is, never read as euros
@pytest.mark.parametrize("header, word", [
    ("MONTANTENMILLIERSEUROS", "MILLIERSEUROS"), ("MONTANTMILLIERSEUROS", "MILLIERSEUROS"),
    ("MONTANTENMILLIERSDEUROS", "MILLIERSDEUROS"), ("MONTANTENMILLIONSEUROS", "MILLIONSEUROS"),
    ("MONTANTHTENMILLIONSDEUROS", "MILLIONSDEUROS"), ("montantenmilliardseuros", "milliardseuros")])
def test_an_amount_header_glued_in_capitals_to_thousands_of_euros_in_words_is_refused(header,
                                                                                      word):
    text = f'beneficiaire;"{header}"\nAsso A;1,5\n'
    with pytest.raises(essconv.ParseError) as caught:
        Ledger.read_csv(text.encode(), amount=header)
    exc = caught.value
    assert (exc.line, exc.column) == (1, len("beneficiaire;") + 1)
    assert exc.reason == ("unit-unread",) and f"('{word}')" in str(exc)


# "ME" (millions d'euros in French administrative tables, M€ without its sign) read as euros,
# where "KE" is refused: a total a million times off
@pytest.mark.parametrize("header, word", [
    ("montant (ME)", "ME"), ("montant (Me)", "Me"), ("montant en ME", "ME"),
    ("MONTANTME", "ME"), ("montantMe", "Me"), ("montant_ME", "ME"), ("MONTANTHTKE", "KE")])
def test_an_amount_header_naming_millions_as_me_is_refused(header, word):
    from essconv.messages import language
    text = f'beneficiaire;"{header}"\nAsso A;1,5\n'
    with pytest.raises(essconv.ParseError) as caught:
        Ledger.read_csv(text.encode(), amount=header)
    exc = caught.value
    assert (exc.line, exc.column) == (1, len("beneficiaire;") + 1)
    assert exc.reason == ("unit-unread",) and f"('{word}')" in str(exc)
    said = language("fr").refusal(exc).replace("\u00a0", " ").replace("\u202f", " ")
    assert f"(« {word} »)" in said, said


def _sources(text: str, tmp_path):
    """The text as bytes and as a file's path: the total-row rule is the C reader's, on both."""
    path = tmp_path / "export.csv"
    path.write_bytes(text.encode())
    return [text.encode(), path]


@pytest.mark.parametrize("threads", [1, 2])
def test_a_record_labelled_only_in_a_column_not_kept_is_read_as_a_record(threads, tmp_path):
    """With dims=["ville"], 'x;;20,00' (its 'nom', not kept, says x) whose amount happens to be
    the sum of the rows above was refused as a total 'with no label': the columns not kept are
    read before a row is called unlabelled, as they are for the word 'Total'."""
    text = "nom;ville;montant\nA;Paris;10\nB;Lyon;5\nC;Nice;3\nD;Metz;2\nx;;20,00\n"
    for source in _sources(text, tmp_path):
        ledger = Ledger.read_csv(source, amount="montant", dims=["ville"], threads=threads)
        assert ledger.total() == sum(records(text, 2)) and len(ledger) == 5
        assert ledger.bad_rows == []
    # blank in every column, kept or not: still a spreadsheet's SUM
    text = text.replace("\nx;;", "\n;;")
    for source in _sources(text, tmp_path):
        with pytest.raises(essconv.ParseError) as caught:
            Ledger.read_csv(source, amount="montant", dims=["ville"], threads=threads)
        assert (caught.value.line, caught.value.column) == (6, 1)


# a SUM row whose label cells hold only a dash, or the count of the rows above it
SUM_ROWS_DASHED = {
    "a dash": "beneficiaire;nature;montant\nA;aide;10\nB;aide;5\nC;prêt;3\nD;prêt;2\n-;;20,00\n",
    "en dashes": "beneficiaire;nature;montant\nA;aide;10\nB;aide;5\nC;prêt;3\nD;prêt;2\n–;–;20,00\n",
    "the count": "beneficiaire;nature;montant\nA;aide;10\nB;aide;5\nC;prêt;3\nD;prêt;2\n;4;20,00\n",
    "a dash, the count": "beneficiaire;nature;montant\nA;aide;10\nB;aide;5\nC;prêt;3\nD;prêt;2\n"
                         "—;4;20,00\n",
}


@pytest.mark.parametrize("name", list(SUM_ROWS_DASHED))
@pytest.mark.parametrize("threads", [1, 2])
def test_a_sum_row_labelled_with_a_dash_or_the_count_of_rows_is_refused(name, threads, tmp_path):
    from essconv.messages import language
    text = SUM_ROWS_DASHED[name]
    for source in _sources(text, tmp_path):
        with pytest.raises(essconv.ParseError) as caught:
            Ledger.read_csv(source, amount="montant", threads=threads)
        assert (caught.value.line, caught.value.column) == (6, 1)
        assert "is the sum of the 4 records above" in str(caught.value)
        said = language("fr").refusal(caught.value).replace("\u00a0", " ")
        assert "est la somme des 4 enregistrements au-dessus" in said, said
        ledger = Ledger.read_csv(source, amount="montant", threads=threads, bad_rows="collect")
        assert ledger.total() == sum(records(text, 2)[:-1]) and len(ledger) == 4
        assert [b.line for b in ledger.bad_rows] == [6]


# unlabelled rows at the bottom, after a SUM row: a block of summary rows (sum, average, count)
SUMMARY_BLOCKS = {
    "sum, average": ("beneficiaire;nature;montant\nA;aide;10\nB;aide;10\nC;prêt;0\nD;prêt;0\n"
                     ";;20\n;;5\n", [6, 7]),
    "sum, average, count, CRLF": ("beneficiaire;nature;montant\r\nA;aide;10\r\nB;aide;10\r\n"
                                  "C;prêt;0\r\nD;prêt;0\r\n;;20\r\n;;5\r\n;;4\r\n\r\n", [6, 7, 8]),
    "sum with a dash, average": ("beneficiaire;nature;montant\nA;aide;1,5\nB;aide;2,5\n"
                                 "C;prêt;3\nD;prêt;4\nE;prêt;5\n-;-;16\n;;3,2\n", [7, 8]),
}


@pytest.mark.parametrize("name", list(SUMMARY_BLOCKS))
@pytest.mark.parametrize("threads", [1, 2])
def test_a_block_of_summary_rows_at_the_bottom_is_refused_row_by_row(name, threads, tmp_path):
    """';;20' (the SUM of the rows above) followed by ';;5' (their average) was counted: 45
    instead of 20.  The sum row is a total where only unlabelled rows follow it, and each of
    those is said at its line, never counted as a grant."""
    from essconv.messages import language
    text, lines = SUMMARY_BLOCKS[name]
    kept = records(text.replace("\r", ""), 2)[:-len(lines)]
    for source in _sources(text, tmp_path):
        with pytest.raises(essconv.ParseError) as caught:
            Ledger.read_csv(source, amount="montant", threads=threads)
        assert (caught.value.line, caught.value.column) == (lines[0], 1)
        assert "is the sum of the" in str(caught.value)
        ledger = Ledger.read_csv(source, amount="montant", threads=threads, bad_rows="collect")
        assert ledger.total() == sum(kept) and len(ledger) == len(kept)
        assert [(b.line, b.column) for b in ledger.bad_rows] == [(k, 1) for k in lines]
        after = ledger.bad_rows[1]
        assert after.reason[0] == "total-summary"
        assert (f"follows the total row at line {lines[0]}" in after.message
                and "not a record" in after.message), after.message
        said = language("fr").problem(after).replace("\u00a0", " ")
        assert f"suit la ligne de total (ligne {lines[0]})" in said and \
            "pas un enregistrement" in said, said
        assert language("en").problem(after).endswith(after.message)


NOT_SUMMARY_BLOCKS = {
    "unlabelled rows, no sum": "beneficiaire;montant\nA;10\nB;10\nC;0\nD;0\n;;21\n;;5\n",
    "a sum, then a labelled row": "beneficiaire;montant\nA;10\nB;10\nC;0\nD;0\n;20\nE;5\n",
    "dashes everywhere": "beneficiaire;montant\n-;10\n-;10\n-;0\n-;0\n-;20\n",
    "a count that is not the rows'": "beneficiaire;nature;montant\nA;a;10\nB;a;5\nC;a;3\n"
                                     "D;a;2\n;3;20\n",
    "few rows above": "beneficiaire;montant\nA;1\nB;2\nC;0\n;3\n;1\n",
}


@pytest.mark.parametrize("name", list(NOT_SUMMARY_BLOCKS))
def test_unlabelled_rows_that_are_no_summary_are_read_as_before(name):
    text = NOT_SUMMARY_BLOCKS[name].replace(";;", ";")
    amount = text.splitlines()[0].split(";").index("montant")
    ledger = Ledger.read_csv(text.encode(), amount="montant")
    assert ledger.total() == sum(records(text, amount)) and ledger.bad_rows == []


# a sum row at the bottom with summaries named beside it, before or after it: (file, the lines
# set aside, the SUM row's line, the reason kinds in line order)
NAMED_SUMMARY_BLOCKS = {
    "sum, then 'moyenne'": ("beneficiaire;montant\nA;10\nB;10\n;20\nmoyenne;10\n",
                            [4, 5], 4, ["total-sum", "total-summary"]),
    "'moyenne', then the sum": ("beneficiaire;montant\nA;10\nB;10\nmoyenne;10\n;20\n",
                                [4, 5], 5, ["total-summary-above", "total-sum"]),
    "'Moyenne', then 'Total'": ("beneficiaire;montant\nA;10\nB;10\nMoyenne;10\nTotal;20\n",
                                [4, 5], 5, ["total-summary-above", "total-sum"]),
    "'Total', then 'Nb :', 'Écart-type', 'MAX.'": (
        "beneficiaire;nature;montant\nA;aide;10\nB;aide;30\nC;prêt;20\nTotal;;60\nNb :;;3\n"
        "Écart-type;;8,16\nMAX.;;30\n", [5, 6, 7, 8], 5,
        ["total-sum", "total-summary", "total-summary", "total-summary"]),
    "'Moy.' in another column, CRLF": (
        "beneficiaire;nature;montant\r\nA;aide;10\r\nB;aide;10\r\nC;aide;10\r\nD;aide;10\r\n"
        ";Moy.;10\r\n;;40\r\n", [6, 7], 7, ["total-summary-above", "total-sum"]),
    "an unlabelled average above the sum": (
        "beneficiaire;montant\nA;10\nB;10\nC;0\nD;0\n;5\n;20\n", [6, 7], 7,
        ["total-summary-above", "total-sum"]),
}


@pytest.mark.parametrize("name", list(NAMED_SUMMARY_BLOCKS))
@pytest.mark.parametrize("threads", [1, 2])
def test_a_summary_named_beside_the_sum_row_at_the_bottom_is_not_counted(name, threads,
                                                                         tmp_path):
    """'A;10 / B;10 / ;20 / moyenne;10' totalled 50 over 4 records, and 'moyenne;10' above
    ';20' too; 'Moyenne;10' above 'Total;20' was refused as a Total that adds up nothing.  A
    summary's name next to the SUM row at the bottom makes both rows no records (two records
    above are enough then), each said at its line."""
    from essconv.messages import language
    text, lines, sum_line, kinds = NAMED_SUMMARY_BLOCKS[name]
    flat = text.replace("\r", "")
    amount = flat.splitlines()[0].split(";").index("montant")
    kept = records(flat, amount)[:-len(lines)]
    for source in _sources(text, tmp_path):
        with pytest.raises(essconv.ParseError) as caught:
            Ledger.read_csv(source, amount="montant", threads=threads)
        assert caught.value.line == lines[0]
        ledger = Ledger.read_csv(source, amount="montant", threads=threads, bad_rows="collect")
        assert ledger.total() == sum(kept) and len(ledger) == len(kept)
        assert [b.line for b in ledger.bad_rows] == lines
        assert [b.reason[0] for b in ledger.bad_rows] == kinds
        for bad in ledger.bad_rows:
            if bad.line == sum_line:
                continue
            said = language("fr").problem(bad).replace("\u00a0", " ")
            where = "précède juste" if bad.line < sum_line else "suit"
            assert f"{where} la ligne de total (ligne {sum_line})" in said, said
            assert "pas un enregistrement" in said, said
            named = bad.reason[2]
            if named:
                assert f"says '{named}'" in bad.message and f"dit « {named} »" in said, said
            english = "comes just before" if bad.line < sum_line else "follows"
            assert f"{english} the total row at line {sum_line}" in bad.message, bad.message
            assert language("en").problem(bad).endswith(bad.message)



# the bottom block of a file whose summaries are named in a column the read leaves out: (file,
# its lines set aside with the name each says or None for the SUM row, the name's column)
_FIVE = "A;Lyon;10\nB;Paris;20\nC;Nice;30\nD;Lyon;40\nE;Metz;50\n"
UNKEPT_SUMMARY_BLOCKS = {
    "'moyenne' above the sum": ("beneficiaire;ville;montant\n" + _FIVE + "moyenne;;30\n;;150\n",
                                [(7, "moyenne"), (8, None)], 1),
    "'moyenne' below the sum": ("beneficiaire;ville;montant\n" + _FIVE + ";;150\nmoyenne;;30\n",
                                [(7, None), (8, "moyenne")], 1),
    "'moyenne', 'nb' above the sum": (
        "beneficiaire;ville;montant\n" + _FIVE + "moyenne;;30\nnb;;5\n;;150\n",
        [(7, "moyenne"), (8, "nb"), (9, None)], 1),
    "one above, one below, CRLF": (
        ("bénéficiaire;ville;montant\n" + _FIVE + "Moy.;;30\n;;150\nNb :;;5\n").replace(
            "\n", "\r\n"), [(7, "Moy."), (8, None), (9, "Nb :")], 1),
    "the name in the second column": (
        "ville;beneficiaire;montant\n" + "".join(
            f"{v};{b};{a}\n" for b, v, a in (row.split(";") for row in _FIVE.split()))
        + ";moyenne;30\n;;150\n", [(7, "moyenne"), (8, None)], 2),
}


@pytest.mark.parametrize("name", list(UNKEPT_SUMMARY_BLOCKS))
@pytest.mark.parametrize("dims", [None, ["ville"]], ids=["all kept", "name not kept"])
@pytest.mark.parametrize("threads", [1, 2])
def test_a_summary_named_in_a_column_not_kept_is_said_by_its_name(name, dims, threads,
                                                                  tmp_path):
    """With dims=["ville"], 'moyenne;;30' above ';;150' was said 'this row, blank but for its
    amount 30' -- its beneficiaire cell says 'moyenne' -- and ';;150' 'the sum of the 5 rows
    above' where the row right above it is that summary: each summary is said by its name and
    the column left out that holds it, the SUM row by the records it adds up, in both
    languages, one thread or two, from bytes or a path."""
    from essconv.messages import language
    text, said_rows, column = UNKEPT_SUMMARY_BLOCKS[name]
    header = text.splitlines()[0].split(";")
    kw = {"dims": dims} if dims else {}
    for source in _sources(text, tmp_path):
        with pytest.raises(essconv.ParseError) as caught:
            Ledger.read_csv(source, amount="montant", threads=threads, **kw)
        assert caught.value.line == said_rows[0][0]
        refusal = language("fr").refusal(caught.value).replace("\u00a0", " ")
        assert "vide hormis" not in refusal and "blank" not in str(caught.value), refusal
        ledger = Ledger.read_csv(source, amount="montant", threads=threads, bad_rows="collect",
                                 **kw)
        assert ledger.total() == 150 and len(ledger) == 5
        assert [b.line for b in ledger.bad_rows] == [line for line, _ in said_rows]
        for bad, (line, named) in zip(ledger.bad_rows, said_rows):
            fr = language("fr").problem(bad).replace("\u00a0", " ")
            en = language("en").problem(bad)
            assert "blank" not in en and "vide hormis" not in fr, (en, fr)
            if named is None:   # the SUM row: the five records, the summaries not counted
                assert "is the sum of the 5 records above" in bad.message, bad.message
                assert "rows above" not in bad.message, bad.message
                assert "la somme des 5 enregistrements au-dessus" in fr, fr
                continue
            assert bad.reason[2] == named
            if dims:   # the column left out that names it, and the cell's own place
                assert bad.reason[1] == header[column - 1]
                assert bad.column == (1 if column == 1 else len(text.splitlines()[line - 1]
                                                                .split(";")[0]) + 2)
                assert (f"says '{named}' in column '{header[column - 1]}', which the read "
                        f"leaves out" in bad.message), bad.message
                assert (f"dit « {named} » dans la colonne « {header[column - 1]} », que la "
                        f"lecture laisse de côté" in fr), fr
                assert fr.count(header[column - 1]) == 1, fr   # said once, not prefixed again
            else:
                assert bad.reason[1] == "" and f"says '{named}' (its amount" in bad.message
                assert f"dit « {named} » (son montant" in fr, fr


# an unlabelled sum row whose other cells hold the count of the rows above or their column's sum
@pytest.mark.parametrize("kw", [{}, {"dims": ["beneficiaire"]}, {"ints": ["nb"]}],
                         ids=["kept", "not kept", "int column"])
@pytest.mark.parametrize("threads", [1, 2])
def test_a_sum_row_beside_the_count_or_the_column_sum_is_a_total(kw, threads, tmp_path):
    """'A;10;1 / B;10;1 / ;20;2' totalled 40 over 3 records: its 'nb', the sum of the column
    above, made the SUM row look labelled (and two records were too few to call it a sum)."""
    text = "beneficiaire;montant;nb\nA;10;1\nB;10;1\n;20;2\n"
    for source in _sources(text, tmp_path):
        with pytest.raises(essconv.ParseError) as caught:
            Ledger.read_csv(source, amount="montant", threads=threads, **kw)
        assert (caught.value.line, caught.value.column) == (4, 1)
        assert "is the sum of the 2 records above" in str(caught.value)
        ledger = Ledger.read_csv(source, amount="montant", threads=threads, bad_rows="collect",
                                 **kw)
        assert ledger.total() == 20 and len(ledger) == 2
    # the sum of a column, not its count; and an average beside it after the sum
    text = ("beneficiaire;montant;nb\nA;10;3\nB;10;4\nC;5;1\nD;5;2\n;30;10\n"
            ";7,50;2,5\n")
    ledger = Ledger.read_csv(text.encode(), amount="montant", threads=threads,
                             bad_rows="collect", **kw)
    assert ledger.total() == 30 and [b.line for b in ledger.bad_rows] == [6, 7]


# rows at the bottom that stay records
NOT_NAMED_SUMMARY_BLOCKS = {
    "a beneficiary 'Moyenne' inside": ("beneficiaire;montant\nA;10\nMoyenne;10\nB;10\n", None),
    "'Moyenne' last, no sum beside it": ("beneficiaire;montant\nA;10\nB;10\nMoyenne;10\n", None),
    "a number that is neither count nor column sum": (
        "beneficiaire;montant;nb\nA;10;1\nB;10;1\n;20;7\n", None),
    "a name in another column": ("beneficiaire;montant;nb\nA;10;1\nB;10;1\nC;20;2\n", None),
    "two records, no second sign": ("beneficiaire;montant\nA;10\nB;10\n;20\n", None),
    # a sub-total and the grand total at the bottom: each the sum of its own rows
    "'Total Axe 2', then 'Total'": ("beneficiaire;montant\nA;10\nTotal Axe 1;10\nB;5\nC;5\n"
                                    "Total Axe 2;10\nTotal;20\n", [3, 6, 7]),
}


@pytest.mark.parametrize("name", list(NOT_NAMED_SUMMARY_BLOCKS))
def test_rows_at_the_bottom_that_are_no_summary_stay_as_they_were(name):
    text, totals = NOT_NAMED_SUMMARY_BLOCKS[name]
    for kw in ({}, {"dims": ["beneficiaire"]}):
        ledger = Ledger.read_csv(text.encode(), amount="montant", bad_rows="collect", **kw)
        if totals is None:
            assert ledger.total() == sum(records(text, 1)) and ledger.bad_rows == [], name
        else:
            assert [(b.line, b.reason[0]) for b in ledger.bad_rows] == [
                (k, "total-sum") for k in totals]


def test_a_summary_block_at_the_end_of_a_large_file_read_in_blocks(tmp_path):
    """The block is found on the merged ledger: threads and a streamed .gz read it alike."""
    lines = ["beneficiaire;montant;nb"]
    lines += [f"Asso {i % 1000};{1 + i % 997},{i % 100:02d};1" for i in range(120_000)]
    expected = sum(french(line.split(";")[1]) for line in lines[1:])
    average = (expected / 120_000).quantize(Decimal("0.01"))
    block = [f"Moyenne;{str(average).replace('.', ',')};1",
             f";{str(expected).replace('.', ',')};120000", "Nb.;120000;"]
    data = ("\n".join(lines + block) + "\n").encode()
    path = tmp_path / "big.csv.gz"
    path.write_bytes(gzip.compress(data))
    seen = []
    for source in (path, data):
        for threads in (1, 2):
            ledger = Ledger.read_csv(source, amount="montant", threads=threads,
                                     bad_rows="collect")
            seen.append((ledger.total(), len(ledger),
                         [(b.line, b.reason[0]) for b in ledger.bad_rows]))
    n = len(lines)
    assert seen == [(expected, 120_000, [(n + 1, "total-summary-above"), (n + 2, "total-sum"),
                                        (n + 3, "total-summary")])] * 4


def test_a_sum_row_under_records_told_apart_by_int_cells_alone_is_still_a_total():
    """Where no record has a label, its int cells ("2017") tell it from the SUM row below."""
    text = "annee;montant\n2017;10\n2018;10\n2017;10\n2018;10\n;40\n"
    ledger = Ledger.read_csv(text.encode(), amount="montant", ints=["annee"], bad_rows="collect")
    assert ledger.total() == 40 and [b.line for b in ledger.bad_rows] == [6]


# An amount column's name says the unit for the readers that read no CSV header too: from_columns
# read "1,5" under "montant (k€)" as 1,50 €, a thousandth of it, without a word
@pytest.mark.parametrize("name, unit", [("montant (k€)", 1000), ("MontantKEuros", 1000),
                                        ("montant (M€)", 1_000_000), ("montant (€)", 1),
                                        ("montant", 1)])
def test_from_columns_reads_text_amounts_in_the_unit_its_amount_name_says(name, unit):
    ledger = Ledger.from_columns({"nom": ["a", "b", "c"], name: ["1,5", "2", "3 €"]}, amount=name)
    # a cell's own unit stays its own, as in a CSV file
    assert ledger.total() == (Decimal("3.5") * unit + 3)


@pytest.mark.parametrize("values", [[Decimal("1.5"), Decimal("2")], [1, 2]])
@pytest.mark.parametrize("name, word", [("montant (k€)", "k€"), ("MONTANTKEUR", "k€"),
                                        ("montant (M€)", "M€")])
def test_from_columns_refuses_numbers_under_an_amount_name_saying_k_or_m_euros(
        values, name, word):
    """Numbers carry no unit: read as euros a k€ table's were a thousandth of themselves, and a
    ledger read from a k€ file keeps that name over euros in what it exports -- multiplied, a
    round trip was a thousand times too large.  Refused naming the column, in both languages."""
    from essconv.messages import language
    for cents in (False, True):
        with pytest.raises(essconv.AmountTypeError) as caught:
            Ledger.from_columns({"nom": ["a", "b"], name: values}, amount=name, cents=cents)
        exc = caught.value
        assert exc.reason == ("unit-numbers",)
        assert f"the amount column '{name}' names its unit ('{word}') over numbers" in str(exc)
        said = language("fr").refusal(exc).replace("\u00a0", " ").replace("\u202f", " ")
        assert f"la colonne des montants « {name} » nomme son unité (« {word} »)" in said, said


@pytest.mark.parametrize("name, reason", [("montant (USD)", "currency-header"),
                                          ("montant (000 €)", "unit-unread"),
                                          ("montant (ME)", "unit-unread"),
                                          ("JOCKEUR", "unit-glued")])
def test_from_columns_refuses_an_amount_name_read_csv_refuses(name, reason):
    """The same rule as read_csv's header, one implementation: 'montant (USD)' was summed as
    euros by from_columns where read_csv refuses it."""
    for values in (["1,5"], [Decimal("1.5")]):
        with pytest.raises(essconv.ParseError) as caught:
            Ledger.from_columns({name: values}, amount=name)
        assert caught.value.reason == (reason,) and f"'{name}'" in str(caught.value)


@pytest.mark.parametrize("other, word", [("sub (k€)", "k€"), ("BUDGETKEUR", "k€"),
                                         ("sub (M€)", "M€")])
def test_numbers_beside_the_amount_under_a_k_euro_name_are_refused_naming_their_column(
        tmp_path, other, word):
    """Only the summed amount's name was read for its unit: a Decimal column 'sub (k€)' beside
    'montant' held 1.5 as 1,50 € where its name says 1 500 €, and its exports then wrote
    0.00150 k€.  Numbers beside the amount follow the amount's rule: unmarked under a name
    saying k€ or M€ they are refused naming that column and its place, from Python values,
    pyarrow, pandas, Parquet and dask alike."""
    pa = pytest.importorskip("pyarrow")
    pq = pytest.importorskip("pyarrow.parquet")
    pd = pytest.importorskip("pandas")
    dask = pytest.importorskip("dask")
    dd = pytest.importorskip("dask.dataframe")
    import essconv.dask
    values = {"nom": ["a"], "montant": [Decimal(10)], other: [Decimal("1.5")]}
    table = pa.table({"nom": ["a"], "montant": pa.array([Decimal(10)], pa.decimal128(10, 2)),
                      other: pa.array([Decimal("1.5")], pa.decimal128(10, 2))})
    pq.write_table(table, tmp_path / "f.parquet")
    frame = pd.DataFrame(values)
    reads = [lambda: Ledger.from_columns(values, amount="montant"),
             lambda: Ledger.from_columns(table, amount="montant"),
             lambda: Ledger.from_columns(frame, amount="montant"),
             lambda: Ledger.read_parquet(tmp_path / "f.parquet", amount="montant"),
             lambda: essconv.dask.read_parquet(str(tmp_path / "f.parquet"),
                                               amount="montant").total(),
             lambda: essconv.dask.from_dask_dataframe(dd.from_pandas(frame, npartitions=1),
                                                      amount="montant").total()]
    for read in reads:
        # (dask keeps the Decimals as numbers without its convert-string)
        with dask.config.set({"dataframe.convert-string": False}), \
                pytest.raises(essconv.AmountTypeError) as caught:
            read()
        exc = caught.value
        assert exc.reason == ("unit-numbers",)
        assert f"the amount column '{other}' names its unit ('{word}') over numbers" in str(exc)
        assert exc.column == 3
    # the summed amount's name was never the question: a name saying euros reads as before
    plain = Ledger.from_columns({"nom": ["a"], "montant": [Decimal(10)],
                                 "sub (€)": [Decimal("1.5")]}, amount="montant")
    assert plain.values("sub (€)") == [Decimal("1.5")]


@pytest.mark.parametrize("other, reason", [("sub (USD)", "currency-header"),
                                           ("sub (000 €)", "unit-unread")])
def test_a_name_the_rule_refuses_beside_the_amount_is_refused(tmp_path, other, reason):
    """'sub (USD)' beside the amount was read as euros, where as the amount it is refused."""
    pa = pytest.importorskip("pyarrow")
    for source in ({"montant": [Decimal(10)], other: [Decimal("1.5")]},
                   pa.table({"montant": pa.array([Decimal(10)], pa.decimal128(10, 2)),
                             other: pa.array([Decimal("1.5")], pa.decimal128(10, 2))})):
        with pytest.raises(essconv.ParseError) as caught:
            Ledger.from_columns(source, amount="montant")
        assert caught.value.reason == (reason,) and f"'{other}'" in str(caught.value)
        assert caught.value.column == 2


@pytest.mark.parametrize("name", ["montant (k€)", "MontantMEuros"])
def test_a_ledger_read_under_a_k_euro_header_reads_back_from_its_own_exports(tmp_path, name):
    """A ledger read under 'montant (k€)' reads back from each of its exports: refused by the
    rule on numbers, its own to_pandas, to_arrow and to_parquet did not read back, and dask
    made its Decimals text read in the name's unit.  Each export says the unit its figures are
    in (the name's: test_every_export_of_a_k_euro_ledger_writes_its_figures_in_k_euros), and
    is read back to the same cents."""
    pytest.importorskip("pyarrow")
    pd = pytest.importorskip("pandas")
    dd = pytest.importorskip("dask.dataframe")
    import essconv.dask
    path = tmp_path / "k.csv"
    path.write_text(f"nom;{name}\na;1,5\nb;2\nc;0,25\n", encoding="utf-8")
    ledger = Ledger.read_csv(path, amount=name)
    oracle = sum((Decimal(x) for x in ("1.5", "2", "0.25")), Decimal(0)) * (
        1000 if "k€" in name else 1_000_000)
    assert ledger.total() == oracle
    frame = ledger.to_pandas()
    assert Ledger.from_columns(frame, amount=name).total() == oracle
    # a selection in pandas keeps what the frame says
    assert Ledger.from_columns(frame[frame["nom"] != "c"], amount=name).total() == \
        oracle - ledger.filter(nom="c").total()
    assert Ledger.from_columns(ledger.to_arrow(), amount=name).total() == oracle
    ledger.to_parquet(tmp_path / "k.parquet")
    assert Ledger.read_parquet(tmp_path / "k.parquet", amount=name).total() == oracle
    assert essconv.dask.from_dask_dataframe(dd.from_pandas(frame, npartitions=2),
                                            amount=name).total() == oracle
    # a frame no export of essconv made says nothing: its numbers are refused, not guessed
    plain = pd.DataFrame({"nom": ["a"], name: [Decimal("1.5")]})
    with pytest.raises(essconv.AmountTypeError) as caught:
        essconv.dask.from_dask_dataframe(dd.from_pandas(plain, npartitions=1),
                                         amount=name).total()
    assert caught.value.reason == ("unit-numbers",)


# (header, euros a figure of the column is, the scale its decimals are written at)
NAMED_UNITS = [("montant (k€)", 1000, 5), ("MONTANTHTKEUR", 1000, 5), ("montant (M€)", 10**6, 8)]


@pytest.mark.parametrize("name, euros, scale", NAMED_UNITS)
def test_every_export_of_a_k_euro_ledger_writes_its_figures_in_k_euros(tmp_path, name, euros,
                                                                       scale):
    """A column's name is a promise about its figures.  A ledger read under 'montant (k€)'
    kept its amounts in euros under that name in every export: the SQL table held '1500.00'
    under 'montant (k€)', read back by read_sql (and summed by any tool) as 1 500 k€, a
    thousand times too large.  Each export now writes the figures in the name's unit, exactly
    (1 500 € is 1.50000 k€, 1 234,56 € 1.23456 k€), and each essconv reader reads them back to
    the same cents."""
    pa = pytest.importorskip("pyarrow")
    pq = pytest.importorskip("pyarrow.parquet")
    pytest.importorskip("pandas")
    duckdb = pytest.importorskip("duckdb")
    driver = pytest.importorskip("adbc_driver_sqlite.dbapi")
    dd = pytest.importorskip("dask.dataframe")
    import essconv.dask
    path = tmp_path / "k.csv"
    path.write_text(f"nom;{name}\na;1,5\nb;2\nc;1 234,56 €\n", encoding="utf-8")
    ledger = Ledger.read_csv(path, amount=name)
    in_euros = [Decimal("1.5") * euros, Decimal(2) * euros, Decimal("1234.56")]
    figures = [e / euros for e in in_euros]   # exact: 1.23456 k€, 0.00123456 M€
    oracle = sum(in_euros, Decimal(0))
    assert ledger.total() == oracle
    cents = ledger.column(name).tolist()

    def same(other):
        assert other.total() == oracle and other.column(name).tolist() == cents

    # Arrow: decimal128 of the name's scale, the figures in its unit, the field saying so
    for table in (ledger.to_arrow(), pa.table(ledger)):
        field = table.schema.field(name)
        assert field.type == pa.decimal128(38, scale)
        assert table.column(name).to_pylist() == figures
        assert field.metadata[b"essconv.amount_unit"] == (b"kEUR" if euros == 1000 else b"MEUR")
        same(Ledger.from_columns(table, amount=name))
    same(Ledger.from_columns(ledger, amount=name))
    # pandas: Decimals in the name's unit; a selection keeps what the frame says
    for amounts in ("decimal", "arrow"):
        frame = ledger.to_pandas(amounts=amounts)
        assert [Decimal(v) for v in frame[name]] == figures
        same(Ledger.from_columns(frame, amount=name))
        assert Ledger.from_columns(frame[frame["nom"] != "c"], amount=name).total() == \
            oracle - in_euros[2]
        assert essconv.dask.from_dask_dataframe(dd.from_pandas(frame, npartitions=2),
                                                amount=name).total() == oracle
    # Parquet: what any tool reads is in the name's unit
    ledger.to_parquet(tmp_path / "k.parquet")
    plain = pq.read_table(tmp_path / "k.parquet")
    assert plain.schema.field(name).type == pa.decimal128(38, scale)
    assert plain.column(name).to_pylist() == figures
    total = duckdb.sql(f"SELECT sum(\"{name}\") FROM '{tmp_path / 'k.parquet'}'").fetchall()[0][0]
    assert total == oracle / euros
    same(Ledger.read_parquet(tmp_path / "k.parquet", amount=name))
    ledger.to_parquet(tmp_path / "parts", partition_by=["nom"])
    assert Ledger.read_parquet(tmp_path / "parts", amount=name).total() == oracle
    # SQL: SQLite's text holds the figure in the name's unit, read back in it
    with driver.connect(str(tmp_path / "k.db")) as conn:
        ledger.to_sql("t", conn)
        with conn.cursor() as cur:
            cur.execute(f'SELECT "{name}" FROM t')
            assert [Decimal(r[0]) for r in cur.fetchall()] == figures
        same(Ledger.read_sql("SELECT * FROM t", conn, amount=name))
    # an amount kept beside the summed one, named in the same unit (a ceiling in k€): each
    # export writes its figures in that unit and marks them, and each reader reads them back
    # to its cents (from pandas its Decimals were read as euros, 1 500 € as 1,50 €)
    other = name.replace("montant", "plafond").replace("MONTANTHT", "BUDGET")
    doubled = [2 * f for f in figures]
    table = ledger.to_arrow()
    table = table.append_column(
        pa.field(other, pa.decimal128(38, scale), nullable=False,
                 metadata=table.schema.field(name).metadata),
        pa.array(doubled, pa.decimal128(38, scale)))
    both = Ledger.from_columns(table, amount=name)
    assert both.values(other) == [2 * e for e in in_euros] and both.total() == oracle

    def same_both(back):
        assert back.total() == oracle and back.values(other) == both.values(other)

    for table in (both.to_arrow(), pa.table(both)):
        assert table.column(other).to_pylist() == doubled
        same_both(Ledger.from_columns(table, amount=name))
    for amounts in ("decimal", "arrow"):
        frame = both.to_pandas(amounts=amounts)
        assert [Decimal(v) for v in frame[other]] == doubled
        same_both(Ledger.from_columns(frame, amount=name))
        assert Ledger.from_columns(frame[frame["nom"] != "c"], amount=name).values(other) \
            == both.values(other)[:2]
        assert essconv.dask.from_dask_dataframe(dd.from_pandas(frame, npartitions=2),
                                                amount=name).total() == oracle
    both.to_parquet(tmp_path / "b.parquet")
    assert pq.read_table(tmp_path / "b.parquet").column(other).to_pylist() == doubled
    same_both(Ledger.read_parquet(tmp_path / "b.parquet", amount=name))
    assert essconv.dask.read_parquet(str(tmp_path / "b.parquet"), amount=name).total() == oracle
    with driver.connect(str(tmp_path / "b.db")) as conn:
        both.to_sql("t", conn)
        same_both(Ledger.read_sql("SELECT * FROM t", conn, amount=name, amounts=[other]))


def test_int_cents_under_a_k_euro_name_are_refused_naming_the_column():
    """to_pandas(amounts='cents') gave int cents of euros under 'montant (k€)': 150 000 under a
    name saying k€, read as such by whoever reads the frame.  Refused, naming the column and
    what to take instead; under a name saying no unit the cents are given as before."""
    pytest.importorskip("pandas")
    ledger = Ledger.read_csv("nom;montant (k€)\na;1,5\n".encode(), amount="montant (k€)")
    with pytest.raises(essconv.InvalidValueError) as caught:
        ledger.to_pandas(amounts="cents")
    assert "'montant (k€)'" in str(caught.value) and "amounts='decimal'" in str(caught.value)
    plain = Ledger.read_csv("nom;montant\na;1,5\n".encode(), amount="montant")
    assert list(plain.to_pandas(amounts="cents")["montant"]) == [150]


def test_a_marked_amount_is_read_in_its_mark_s_unit_and_an_unknown_mark_is_refused():
    """The mark, not the name, says the unit of an exported amount's figures: renamed in
    pyarrow to 'montant' (the field keeps its metadata), 1.50000 k€ is still 1 500 €, not
    1,50 €.  A mark of a unit essconv never writes is refused, never read as euros."""
    pa = pytest.importorskip("pyarrow")
    ledger = Ledger.read_csv("nom;montant (k€)\na;1,5\n".encode(), amount="montant (k€)")
    table = ledger.to_arrow()
    renamed = table.rename_columns(["montant" if n == "montant (k€)" else n
                                    for n in table.column_names])
    assert Ledger.from_columns(renamed, amount="montant").total() == Decimal(1500)
    i = renamed.column_names.index("montant")
    other = renamed.set_column(i, renamed.schema.field(i).with_metadata(
        {b"essconv.amount_unit": b"GBP"}), renamed.column(i))
    with pytest.raises(essconv.AmountTypeError) as caught:
        Ledger.from_columns(other, amount="montant")
    assert "'montant'" in str(caught.value) and "essconv.amount_unit" in str(caught.value)


# A header on two rows, as a spreadsheet prints a title over its units ("Montant" above
# "(k€)"): the units line was a bad row ("'(k€)' is not an amount"), and where bad rows are
# kept aside (bad_rows="collect", read_scdl always) the amounts under it read as euros, a
# thousandth of what the file says, the total 3,50 € for 3 500 €
@pytest.mark.parametrize("said, unit", [("(k€)", "k€"), ("k€", "k€"), ("en K€", "k€"),
                                        ("en milliers d'euros", "k€"), ("(M€)", "M€")])
@pytest.mark.parametrize("rows", [2, 200_000])
def test_a_units_line_under_the_header_is_refused_at_its_cell(said, unit, rows, tmp_path):
    path = tmp_path / "export.csv"
    body = "Asso A;1,5\nAsso B;2\n" * (rows // 2)
    path.write_text(f"beneficiaire;Montant\n;{said}\n{body}", encoding="utf-8")
    for bad_rows in ("collect", "raise"):
        with pytest.raises(essconv.ParseError) as caught:
            Ledger.read_csv(path, amount="Montant", bad_rows=bad_rows)
        exc = caught.value
        assert (exc.line, exc.column) == (2, 2), str(exc)
        if bad_rows == "collect":
            assert exc.reason == ("unit-below",)
            assert str(exc).startswith(f"{path}:2:2: the amount column 'Montant' has its unit "
                                       f"('{said}') on the line under it"), str(exc)
            assert f"'Montant ({unit})'" in str(exc)
    # read as the header names it, the same amounts are 1 000 (or a million) times larger
    fixed = Ledger.read_csv(f"beneficiaire;Montant ({unit})\n{body}".encode(), amount=
                            f"Montant ({unit})")
    assert fixed.total() == Decimal("3.5") * (rows // 2) * (1000 if unit == "k€" else 10**6)
    scdl = tmp_path / "subventions.csv"
    scdl.write_text("nomAttribuant;idAttribuant;dateConvention;nomBeneficiaire;objet;montant;"
                    f"nature\n;;;;;{said};\nRégion;213;2019-05-02;A;x;1,5;aide en numéraire\n",
                    encoding="utf-8")
    with pytest.raises(essconv.ParseError, match=r":2:\d+: the amount column 'montant' has"):
        essconv.read_scdl(scdl)


def test_a_units_line_under_the_header_is_refused_in_french():
    from essconv.messages import language
    with pytest.raises(essconv.ParseError) as caught:
        Ledger.read_csv(b"beneficiaire;Montant\n;(k\xe2\x82\xac)\nA;1,5\n", amount="Montant",
                        bad_rows="collect")
    said = language("fr").refusal(caught.value).replace("\u00a0", " ").replace("\u202f", " ")
    assert said == (
        ":2:2: la colonne des montants « Montant » a son unité (« (k€) ») sur la ligne sous "
        "elle : l'en-tête tient sur deux lignes, comme un tableur imprime un titre au-dessus "
        "de ses unités, et ses montants sans unité seraient lus en €, pas en k€ ; dites "
        "l'unité dans l'en-tête (« Montant (k€) »)"), said


@pytest.mark.parametrize("said", ["(€)", "en euros", "EUR"])
def test_a_units_line_saying_the_unit_the_amounts_are_read_in_is_set_aside_as_before(said):
    ledger = Ledger.read_csv(f"beneficiaire;Montant\n;{said}\nA;1,5\nB;2\n".encode(),
                             amount="Montant", bad_rows="collect")
    assert ledger.total() == Decimal("3.5") and [b.line for b in ledger.bad_rows] == [2]
