"""A row the reader refuses (``bad_rows="raise"``, the default) says why as the same row set
aside says it.

The refusal carried no reason for ragged rows and unreadable amounts: its message was the
English wording alone, so ``language("fr").refusal(exc)`` printed English to a French
committee.  The reason now travels from the C core with the error, through the chunks read on
several threads too (the first bad row in file order, its reason with it); the place stays.

And counts take their number: "this row has 1 field", « cette ligne a 1 champ » (and « 0
champ »: French counts none in the singular).
"""
from __future__ import annotations

import pytest

import essconv
from essconv import Ledger, _core
from essconv.errors import Problem
from essconv.messages import language

NBSP = "\u00a0"
HEAD = "f;montant;n;d\n"
GOOD = "CDC;1 327,50;1;01/02/2017\n"


def q(value: str) -> str:
    return f"«{NBSP}{value}{NBSP}»"


def french(text: str) -> str:
    return text.replace(" :", NBSP + ":").replace(" ;", "\u202f;")


# one bad row of each kind the reader gives, after a good one, and the French a committee reads
# (written out here, not computed by the code under test)
CASES = {
    "field-count": ("CR;5;1;01/02/2017;extra\n",
                    "cette ligne a 5 champs là où l'en-tête en a 4"),
    "field-count-one": ("CR\n", "cette ligne a 1 champ là où l'en-tête en a 4"),
    "amount": ("CR;x;1;01/02/2017\n", french(f"colonne {q('montant')} : {q('x')} n'est pas un "
                                             "montant : un chiffre est attendu au caractère 1")),
    "amount-blank": ("CR;;1;01/02/2017\n", french(f"colonne {q('montant')} : le montant est vide")),
    "amount-dash": ("CR;-;1;01/02/2017\n",
                    french(f"colonne {q('montant')} : {q('-')} est un tiret là où un montant est "
                           "attendu (dash_is_zero=True lit un tiret comme zéro)")),
    "amount-too-large": ("CR;99999999999999999999;1;01/02/2017\n",
                         french(f"colonne {q('montant')} : {q('99999999999999999999')} dépasse "
                                "ce qu'un montant en centimes peut tenir (92\u202f233\u202f720"
                                "\u202f368\u202f547\u202f758,07\u00a0€ au plus)")),
    "int": ("CR;5;a;01/02/2017\n", french(f"colonne {q('n')} : {q('a')} n'est pas un nombre "
                                          "entier")),
    "int-too-large": ("CR;5;99999999999999999999;01/02/2017\n",
                      french(f"colonne {q('n')} : {q('99999999999999999999')} ne tient pas "
                             "dans un entier de 64 bits")),
    "date": ("CR;5;1;xx\n", french(f"colonne {q('d')} : {q('xx')} n'est pas une date (attendu "
                                   ": 2017-09-08, 2017/09/08 ou 08/09/2017)")),
    "date-impossible": ("CR;5;1;31/02/2017\n",
                        french(f"colonne {q('d')} : {q('31/02/2017')} est une date impossible")),
    "header-repeated": ("f;montant;n;d\n", None),
    "total-sum": ("Total;1 327,50;;\n", None),
}
KIND = {"field-count-one": "field-count"}


def read(text: str, bad_rows: str, threads: int) -> Ledger:
    return Ledger.read_csv(text.encode(), amount="montant", ints=["n"], dates=["d"],
                           date_order="dmy", bad_rows=bad_rows, threads=threads)


@pytest.mark.parametrize("threads", [1, 2])
@pytest.mark.parametrize("case", list(CASES))
def test_a_refused_row_says_why_as_the_row_set_aside_does(case, threads):
    row, said = CASES[case]
    text = HEAD + GOOD + row + GOOD
    [aside] = read(text, "collect", threads).bad_rows
    assert aside.reason[0] == KIND.get(case, case)
    with pytest.raises(essconv.Error) as info:
        read(text, "raise", threads)
    exc = info.value
    assert exc.reason == aside.reason
    assert (exc.line, exc.column) == (aside.line, aside.column)
    assert exc.line == 3   # the header, the good row, then this one
    fr, en = language("fr"), language("en")
    assert fr.refusal(exc) == f"{exc.where()}: {fr.problem(aside)}"
    if said is not None:
        assert fr.problem(aside).startswith(said)
    assert not any(w in fr.refusal(exc) for w in ("column", "field where", "fields where", " is ", "the amount"))
    assert en.refusal(exc) == str(exc) == f"{exc.where()}: {aside.message}"


def test_a_short_row_refused_in_french_keeps_its_remedy(tmp_path):
    path = tmp_path / "registre.csv"
    path.write_text(HEAD + GOOD + "CR;5\n", encoding="utf-8")
    with pytest.raises(essconv.ParseError) as info:
        Ledger.read_csv(path, amount="montant", ints=["n"], dates=["d"])
    said = language("fr").refusal(info.value)
    assert said.startswith(f"{path}:3:1: cette ligne a 2 champs là où l'en-tête en a 4\u202f; ")
    assert 'short_rows="blank" lit ces lignes' in said


# bad rows of several kinds, some in the first lines, so that a chunk of the file's end may
# finish first: the error said is the first in file order, with its own reason
MANY = (HEAD + GOOD * 3 + "CR;5;1;01/02/2017;extra\n" + GOOD + "CR;x;1;01/02/2017\n"
        + "CR;5;a;01/02/2017\n" + GOOD * 4 + "CR;;1;01/02/2017\n")
NAMES = ["montant", "n", "d"]
KINDS = [_core.COL_AMOUNT, _core.COL_INT, _core.COL_DATE]


@pytest.mark.parametrize("start", [0, 1, 3])
@pytest.mark.parametrize("chunk_bytes", [1, 7, 31, 64])
def test_the_first_refused_row_keeps_its_reason_whatever_the_chunks(start, chunk_bytes):
    lines = MANY.splitlines(keepends=True)
    text = (lines[0] + "".join(lines[1 + start:])).encode()   # each bad row first in turn
    _, aside = _core.Ledger.read_csv(text, NAMES, KINDS, collect_bad=True, threads=1)
    line, column, message, reason = aside[0]
    assert reason[0] in ("field-count", "amount", "int")
    for threads in (1, 2):
        with pytest.raises(essconv.Error) as info:
            _core.Ledger.read_csv(text, NAMES, KINDS, threads=threads, chunk_bytes=chunk_bytes)
        exc = info.value
        assert (exc.line, exc.column, exc.reason) == (line, column, reason)
        assert Exception.__str__(exc).endswith(message)


def test_a_row_of_one_field_is_said_in_the_singular():
    text = "f;montant\nCDC;1\nCR\nCR;5;6\n"
    first, second = Ledger.read_csv(text.encode(), amount="montant", bad_rows="collect").bad_rows
    assert first.message.startswith("this row has 1 field where the header has 2;")
    assert second.message == "this row has 3 fields where the header has 2"
    fr = language("fr")
    assert fr.problem(first).startswith("cette ligne a 1 champ là où l'en-tête en a 2\u202f; ")
    assert fr.problem(second) == "cette ligne a 3 champs là où l'en-tête en a 2"


@pytest.mark.parametrize("count, said", [
    (0, "cette ligne a 0 champ là où l'en-tête en a 3"),
    (1, "cette ligne a 1 champ là où l'en-tête en a 3"),
    (2, "cette ligne a 2 champs là où l'en-tête en a 3"),
])
def test_a_field_count_takes_its_number_in_french(count, said):
    problem = Problem(2, 1, "(English)", False, ("field-count", "", "", count, 3, "", ""))
    assert language("fr").problem(problem).startswith(said)


def test_a_grant_row_of_one_cell_is_said_in_the_singular(tmp_path):
    from essconv.scdl import validate_scdl
    from scdl_validate_twin import validate_scdl_twin
    from test_bad_input import scdl_bytes
    path = tmp_path / "subventions.csv"
    path.write_bytes(scdl_bytes([("CDC", "10")]) + b"CR\n")
    report = validate_scdl(path)
    [finding] = [f for f in report.findings if f.code == "row-length"]
    assert finding.message.startswith("this row has 1 cell where the header has ")
    assert finding.message_fr.startswith("cette ligne a 1 cellule là où l'en-tête en a ")
    [twin] = [f for f in validate_scdl_twin(path).findings if f.code == "row-length"]
    assert twin.message == finding.message


# a file with several total rows, read without collecting bad rows: the first stops the reading
# and its refusal counts the others, in French as in English (the French lost the count)
@pytest.mark.parametrize("totals, english, french_more", [
    (1, "", ""),
    (2, " (and 1 more such row)", " (et 1 autre ligne de ce genre)"),
    (3, " (and 2 more such rows)", " (et 2 autres lignes de ce genre)"),
])
def test_several_total_rows_refused_say_how_many_more_in_both_languages(totals, english,
                                                                         french_more):
    text = "f;montant\n" + "A;10\nB;20\nTotal;30\n" * totals
    with pytest.raises(essconv.Error) as info:
        Ledger.read_csv(text.encode(), amount="montant")
    exc = info.value
    en, fr = language("en").refusal(exc), language("fr").refusal(exc)
    assert en.endswith("every total counts them twice" + english)
    assert fr.endswith("sinon chaque total les compte deux fois" + french_more)
    # set aside, each total row is its own: none counts the others
    aside = Ledger.read_csv(text.encode(), amount="montant", bad_rows="collect").bad_rows
    assert len(aside) == totals
    assert not any("de ce genre" in fr_problem for fr_problem in map(language("fr").problem, aside))


def test_a_total_row_saying_total_counts_the_others_in_french_too():
    problem = Problem(7, 1, "(English)", False, ("total-says", "", "Total", 0, 0, "7", "", 1))
    said = language("fr").problem(problem)
    assert said.startswith(french(f"cette ligne dit {q('Total')} : un total"))
    assert said.endswith(" (et 1 autre ligne de ce genre)")


# the header repeated further down in another order: its records are in other columns, so the
# reading stops there -- and says so in French to a French reader, as every refused row does
@pytest.mark.parametrize("threads", [1, 2])
def test_the_header_repeated_in_another_order_is_refused_in_french(threads):
    text = "financeur;montant;n\nCDC1;10;1\nmontant;financeur;n\nCDC2;20;2\n"
    with pytest.raises(essconv.Error) as info:
        Ledger.read_csv(text.encode(), amount="montant", ints=["n"], threads=threads)
    exc = info.value
    assert (exc.line, exc.column) == (3, 9)
    assert exc.reason[:5] == ("header-reordered", "montant", "financeur", 2, 1)
    assert language("en").refusal(exc) == str(exc)
    assert "the header again, in another order" in str(exc)
    assert language("fr").refusal(exc) == french(
        f"{exc.where()}: cette ligne est de nouveau l'en-tête, dans un autre ordre : là où le "
        f"premier en-tête a le montant {q('montant')} (champ 2), elle a {q('financeur')} "
        "(champ 1 du premier en-tête) : les enregistrements qui la suivent sont dans d'autres "
        "colonnes ; coupez le fichier à cette ligne, ou mettez ses colonnes dans un même ordre")
