"""The reasons a ledger's rows were set aside, in the language of the listing that shows them.

`essconv aggregate` listed them under a French heading ("écartées : 5 ligne(s) illisibles")
with the reader's English reasons ("column 'montant': 'x' is not an amount").  The reader now
gives each bad row a kind and its values besides its English message, and the listing words
it in French (the default) or leaves the English with --lang en; never from the English words.
"""
from decimal import Decimal

import pytest

import essconv
from essconv import Ledger, _core
from essconv.cli import main
from essconv.messages import language

NBSP = "\u00a0"

LEDGER = ("f;montant;n\n"
          "CDC;1 327,50;1\n"
          "CR;x;1\n"
          "CR;-;1\n"
          "CR;5;1;extra\n"
          "CR;99999999999999999999;1\n"
          "CR;;1\n"
          "CR;2,50;1\n")
KEPT = [Decimal("1327.50"), Decimal("2.50")]

ENGLISH_WORDS = ("column", " is ", "amount", "fields where", "header has", "blank", "dash where")


def french(text: str) -> str:
    return text.replace(" :", NBSP + ":").replace(" ;", "\u202f;").replace(" ?", "\u202f?")


def listing(out: str) -> list[str]:
    return [line.split(": ", 1)[1] if ": " in line else line
            for line in out.splitlines() if line.startswith("  ")]


def test_the_french_listing_words_every_reason_in_french(tmp_path, capsys):
    path = tmp_path / "l.csv"
    path.write_text(LEDGER, encoding="utf-8")
    command = ["aggregate", str(path), "--by", "f", "--amount", "montant", "--bad-rows",
               "collect"]
    assert main(command) == 0
    out = capsys.readouterr().out
    assert f"total{NBSP}: " in out and f"sur {len(KEPT)} enregistrement{'s' if len(KEPT) > 1 else ''}" in out
    reasons = [line.split(f"{path}:", 1)[1] for line in out.splitlines() if str(path) in line]
    q = lambda v: f"«{NBSP}{v}{NBSP}»"   # noqa: E731
    assert reasons == [
        "3:4: " + french(f"colonne {q('montant')} : {q('x')} n'est pas un montant : un chiffre "
                         "est attendu au caractère 1"),
        "4:4: " + french(f"colonne {q('montant')} : {q('-')} est un tiret là où un montant est "
                         "attendu (--dash-is-zero lit un tiret comme zéro)"),
        "5:8: cette ligne a 4 champs là où l'en-tête en a 3",
        "6:4: " + french(f"colonne {q('montant')} : {q('99999999999999999999')} dépasse ce "
                         "qu'un montant en centimes peut tenir (92\u202f233\u202f720\u202f368"
                         "\u202f547\u202f758,07\u00a0€ au plus)"),
        "7:4: " + french(f"colonne {q('montant')} : le montant est vide"),
    ]
    assert not any(word in r for r in reasons for word in ENGLISH_WORDS)
    assert main(command + ["--lang", "en"]) == 0
    english = capsys.readouterr().out
    assert "3:4: column 'montant': 'x' is not an amount" in english
    assert "5:8: this row has 4 fields where the header has 3" in english
    assert "«" not in english and "colonne" not in english


def read(text: str, **kw) -> Ledger:
    return Ledger.read_csv(text.encode(), amount="montant", bad_rows="collect", **kw)


def test_dates_and_integers_set_aside_are_worded_in_french_and_left_english():
    ledger = read("d;montant;n\nxx;1;1\n31/02/2017;1;1\n03/25/2017;1;1\n01/02/2017;1;a\n"
                  "01/02/2017;4;1\n", dates=["d"], ints=["n"], date_order="dmy")
    fr, en = language("fr"), language("en")
    worded = [fr.problem(b) for b in ledger.bad_rows]
    q = lambda v: f"«{NBSP}{v}{NBSP}»"   # noqa: E731
    assert worded == [
        french(f"colonne {q('d')} : {q('xx')} n'est pas une date (attendu : 2017-09-08, "
               "2017/09/08 ou 08/09/2017)"),
        french(f"colonne {q('d')} : {q('31/02/2017')} est une date impossible"),
        french(f"colonne {q('d')} : {q('03/25/2017')} ne se lit que mois d'abord, mais les "
               "dates ont été dites jour d'abord (date_order='dmy')"),
        french(f"colonne {q('n')} : {q('a')} n'est pas un nombre entier"),
    ]
    assert [en.problem(b) for b in ledger.bad_rows] == [b.message for b in ledger.bad_rows]
    assert ledger.total() == Decimal(4)


def test_a_total_row_set_aside_is_worded_in_french():
    ledger = read("f;montant\nCDC;1 000,00\nCR;550,50\nTotal;1 550,50\n")
    assert ledger.total() == Decimal("1000.00") + Decimal("550.50")
    (bad,) = ledger.bad_rows
    said = language("fr").problem(bad)
    assert said.startswith("cette ligne est un total, pas un enregistrement")
    assert "son montant 1 550,50 est" in said and "la somme des 2 enregistrements au-dessus" in said
    assert f"«{NBSP}Total{NBSP}»" in said
    assert not any(word in said for word in ENGLISH_WORDS)


# a total row's amount in each language's writing, from Python's own format: a sum of the rows
# above (with cents), and a "Total" row whose amount is no such sum (whole euros)
TOTAL_ROWS = [("f;montant\nCDC;1 000,00\nCR;1 234,75\nTotal;2 234,75\n",
               Decimal("1000.00") + Decimal("1234.75"), "its amount {} is the sum of the 2 records"),
              ("f;montant\nCDC;1 000,00\nCR;1 234,75\nTotal;2 500\n", Decimal(2500),
               "(its amount {} is not the sum of the rows above")]


def english_figure(amount: Decimal) -> str:
    return f"{amount:,.2f}" if amount != amount.to_integral_value() else f"{int(amount):,}"


@pytest.mark.parametrize("text, amount, english", TOTAL_ROWS)
def test_a_total_row_set_aside_says_its_amount_the_english_way_in_english(text, amount, english,
                                                                         tmp_path, capsys):
    """Its English message wrote the figure the French way ("its amount 2 234,75"), which an
    English reader takes for two numbers; the French wording keeps its own."""
    (bad,) = read(text).bad_rows
    assert english.format(english_figure(amount)) in bad.message
    assert language("en").problem(bad) == bad.message
    french_figure = english_figure(amount).replace(",", " ").replace(".", ",")
    assert f"son montant {french_figure} " in language("fr").problem(bad)
    # the command line: refused in English with --lang en, the figure the English way
    path = tmp_path / "registre.csv"
    path.write_text(text, encoding="utf-8")
    assert main(["aggregate", str(path), "--by", "f", "--amount", "montant", "--lang", "en"]) == 2
    assert english.format(english_figure(amount)) in capsys.readouterr().err


@pytest.mark.parametrize("chunk_bytes", [7, 31])
def test_the_reasons_are_the_whole_file_s_whatever_the_chunks(chunk_bytes):
    names, kinds = ["montant", "n"], [_core.COL_AMOUNT, _core.COL_INT]
    _, whole = _core.Ledger.read_csv(LEDGER.encode(), names, kinds, collect_bad=True, threads=1)
    _, chunked = _core.Ledger.read_csv(LEDGER.encode(), names, kinds, collect_bad=True,
                                       threads=2, chunk_bytes=chunk_bytes)
    assert chunked == whole
    assert [b[3][0] for b in whole] == ["amount", "amount-dash", "field-count",
                                        "amount-too-large", "amount-blank"]


def test_a_grant_file_s_reasons_name_the_schema_s_columns_in_both_languages():
    from conftest import SCDL
    from essconv.scdl import read_scdl
    ledger = read_scdl(SCDL / "nievre-2016-subventions.csv")   # its SUB_MONTANT is montant
    first = ledger.bad_rows[0]
    assert first.message.startswith("column 'montant': 'NC'")
    assert language("fr").problem(first) == french(
        f"colonne «{NBSP}montant{NBSP}» : «{NBSP}NC{NBSP}» n'est pas un montant : un chiffre "
        "est attendu au caractère 1")
    assert first.message.endswith("a digit is expected at character 1")


def at(text: str, sub: str, nth: int = 1) -> int:
    """The 1-based character of the nth ``sub`` in ``text``: where the parser must say it is."""
    k = -1
    for _ in range(nth):
        k = text.index(sub, k + 1)
    return k + 1


#: amounts that are not amounts, each with what is wrong in it said from the text itself (its
#: character found by str.index) in both languages: (cell, French words, English words)
PRECISE = [
    ("3x00", lambda q, t: f"{q(t)} n'est pas un montant : {q('x')} au caractère {at(t, 'x')}",
     lambda t: f"'x' at character {at(t, 'x')}"),
    ("12,5,5", lambda q, t: f"une deuxième marque décimale au caractère {at(t, ',', 2)}",
     lambda t: f"a second decimal mark at character {at(t, ',', 2)}"),
    ("1 000,5.5", lambda q, t: f"{q('.')} après les décimales (caractère {at(t, '.')})",
     lambda t: f"'.' after the decimal part (character {at(t, '.')})"),
    ("1 234 56", lambda q, t: f"un groupe de 2 chiffres après un séparateur de milliers "
                              f"(caractère {at(t, '56')})",
     lambda t: f"a group of 2 digits after a thousands separator (character {at(t, '56')})"),
    ("1 23456", lambda q, t: f"un groupe de plus de trois chiffres après un séparateur de "
                             f"milliers (caractère {at(t, '2')})",
     lambda t: f"a group of more than three digits after a thousands separator (character "
               f"{at(t, '2')})"),
    # "99786.575" is no longer one: a point after five digits groups nothing, it is decimal
    ("1234.567,89", lambda q, t: "un groupe de 4 chiffres là où trois sont attendus (caractère 1) "
                               "; son point est lu comme séparateur de milliers",
     lambda t: "a group of 4 digits where three are expected (character 1); its point is read "
               "as a thousands separator"),
    ("1,234,567", lambda q, t: "n'est pas un montant à virgule décimale : ses virgules sont là "
                               "où une colonne à point décimal groupe les milliers",
     lambda t: "is not an amount with a decimal comma: its commas stand where a point-decimal "
               "column groups thousands"),
    ("1,2345", lambda q, t: f"{q(t)} a plus de 2 décimales de € : un montant en centimes ne "
                            "peut pas le tenir",
     lambda t: "has more than 2 decimals of €: cents cannot hold it"),
    ("12,", lambda q, t: f"aucun chiffre après la marque décimale au caractère {at(t, ',')}",
     lambda t: f"no digit after the decimal mark at character {at(t, ',')}"),
    ("0 123", lambda q, t: f"un séparateur de milliers après un zéro de tête (caractère "
                           f"{at(t, ' ')})",
     lambda t: f"a thousands separator after a leading zero (character {at(t, ' ')})"),
    ("5%", lambda q, t: f"{q(t)} est un pourcentage là où un montant est attendu",
     lambda t: "is a percentage where an amount is expected"),
    ("(12", lambda q, t: "la parenthèse ouverte n'est jamais fermée",
     lambda t: "'(' is never closed"),
    ("(-5)", lambda q, t: "un signe entre parenthèses",
     lambda t: "a sign inside parentheses"),
    ("(+5)", lambda q, t: "un signe entre parenthèses",
     lambda t: "a sign inside parentheses"),
    ("--5", lambda q, t: f"un chiffre est attendu au caractère {at(t, '-', 2)}",
     lambda t: f"a digit is expected at character {at(t, '-', 2)}"),
    ("12é", lambda q, t: f"{q('é')} au caractère {at(t, 'é')}",
     lambda t: f"U+00E9 at character {at(t, 'é')}"),
]


def test_an_amount_set_aside_says_what_is_wrong_in_it_in_french_as_in_english():
    good = ["1 327,50", "2,50", "-7"]
    rows = [("CDC", g) for g in good] + [("CR", cell) for cell, _, _ in PRECISE]
    ledger = read("f;montant\n" + "".join(f"{f};{a}\n" for f, a in rows))
    assert ledger.total() == sum((Decimal(g.replace(" ", "").replace(",", ".")) for g in good),
                                 Decimal(0))
    fr, en = language("fr"), language("en")
    q = lambda v: f"«{NBSP}{v}{NBSP}»"   # noqa: E731
    assert len(ledger.bad_rows) == len(PRECISE)
    for bad, (cell, french_words, english_words) in zip(ledger.bad_rows, PRECISE):
        said = fr.problem(bad)
        assert said.startswith(french(f"colonne {q('montant')} : {q(cell)}")), said
        assert french(french_words(q, cell)) in said, (cell, said)
        assert not any(word in said for word in ENGLISH_WORDS), said
        assert english_words(cell) in en.problem(bad), (cell, en.problem(bad))
        assert en.problem(bad) == bad.message


def test_the_cli_s_bad_rows_raise_stops_in_the_output_s_language(tmp_path, capsys):
    path = tmp_path / "l.csv"
    path.write_text(LEDGER, encoding="utf-8")
    command = ["aggregate", str(path), "--by", "f", "--amount", "montant"]   # raise: the default
    assert main(command) == 2
    err = capsys.readouterr().err
    q = lambda v: f"«{NBSP}{v}{NBSP}»"   # noqa: E731
    assert f"{path}:3:4: " + french(f"colonne {q('montant')} : {q('x')} n'est pas un montant") in err
    assert "--bad-rows collect écarte de telles lignes" in err
    assert not any(word in err for word in ENGLISH_WORDS + ("sets such rows aside",))
    assert main(command + ["--lang", "en"]) == 2
    err = capsys.readouterr().err
    assert f"{path}:3:4: column 'montant': 'x' is not an amount" in err
    assert "(--bad-rows collect sets such rows aside)" in err and "colonne" not in err


@pytest.mark.parametrize("chunk_bytes", [None, 11])
def test_the_header_repeated_in_its_own_order_is_said_so_and_nothing_of_it_counted(chunk_bytes):
    # two exports joined with `cat`: the second one's header is in the body, in the same order;
    # a date column before the amount fails first, so it must be told as well as the amount
    first = "nom;dateConvention;montant\nA;2017-01-02;10,50\nB;2017-01-03;20,00\n"
    second = "Nom ; DATECONVENTION ; montant\nC;2017-02-01;5,00\n"
    kw = {"chunk_bytes": chunk_bytes, "threads": 2} if chunk_bytes else {}
    names, kinds = ["montant", "dateConvention"], [_core.COL_AMOUNT, _core.COL_DATE]
    rows, bad = _core.Ledger.read_csv((first + second).encode(), names, kinds,
                                      collect_bad=True, **kw)
    assert [(b[0], b[3][0]) for b in bad] == [(4, "header-repeated")]
    ledger = read(first + second, dates=["dateConvention"])
    assert len(ledger) == 3 and ledger.total() == Decimal("35.50")
    (row,) = ledger.bad_rows
    assert row.line == 4 and "header again" in row.message and "not a date" not in row.message
    said = language("fr").problem(row)
    assert said.startswith("cette ligne est de nouveau l'en-tête")
    assert f"«{NBSP}DATECONVENTION{NBSP}»" in said
    assert not any(word in said for word in ENGLISH_WORDS)
    assert language("en").problem(row) == row.message
    # the amount alone fails as well: the same reason
    (only,) = read("nom;montant\nA;1,00\nnom;montant\nB;2,00\n").bad_rows
    assert only.reason[0] == "header-repeated" and "not an amount" not in only.message
    with pytest.raises(essconv.ParseError, match="header again"):
        Ledger.read_csv(b"nom;montant\nA;1,00\nnom;montant\nB;2,00\n", amount="montant")


@pytest.mark.parametrize("lang, one, many, collect", [
    ("fr", "1 autre ligne illisible plus bas", "2 autres lignes illisibles plus bas",
     "(--bad-rows collect écarte de telles lignes)"),
    ("en", "1 more unreadable row below", "2 more unreadable rows below",
     "(--bad-rows collect sets such rows aside)")])
def test_the_cli_s_refusal_counts_the_other_rows_it_would_set_aside(tmp_path, capsys, lang,
                                                                    one, many, collect):
    """The command line reads the rows aside and refuses at the first: the others went
    unsaid, and a file of several total rows lost even the "(and 2 more such rows)" the
    library's refusal gives -- the analyst fixed one row to meet the next."""
    path = tmp_path / "l.csv"
    command = ["aggregate", str(path), "--by", "f", "--amount", "montant", "--lang", lang]
    for body, others in (("A;10\nB;20\n", ""), ("A;10\nB;x\n", ""),
                         ("A;10\nB;20\nTotal;30\nC;1\nD;1\nTotal;2\n", one),
                         ("A;x\nB;y\nC;1\nD\n", many)):
        path.write_text("f;montant\n" + body, encoding="utf-8")
        status = main(command)
        err = capsys.readouterr().err
        if body == "A;10\nB;20\n":
            assert status == 0, err
            continue
        assert status == 2 and err.count("\n") == 1, err
        said = err.replace(NBSP, " ").replace("\u202f", " ")
        if others:
            assert said.endswith(f"; {others} {collect}\n"), said
        else:
            assert said.endswith(f" {collect}\n") and ("plus bas" if lang == "fr"
                                                       else "below") not in said, said


#: amount cells that begin with spaces (a space, a no-break space, a narrow one, spaces inside
#: quotes): (the cell as written in the file, the cell as the reader holds it)
LEADING_SPACES = [("   12x5", "   12x5"), ("\u00a012x5", "\u00a012x5"),
                  ("\u202f12x5", "\u202f12x5"), ('"  12x5"', "  12x5")]


@pytest.mark.parametrize("written, cell", LEADING_SPACES)
def test_an_amount_after_leading_spaces_is_refused_at_one_character_in_both_languages(
        tmp_path, capsys, written, cell):
    """The English said "'   12x5' is not an amount: 'x' at character 6" and the French
    quoted the cell trimmed, « 12x5 », at the same character 6: a position in no cell shown.
    Both now quote the cell as the reader holds it, and count the character in it."""
    q = lambda v: f"«{NBSP}{v}{NBSP}»"   # noqa: E731
    english = f"'{cell}' is not an amount: 'x' at character {at(cell, 'x')}"
    french_said = french(f"{q(cell)} n'est pas un montant : {q('x')} au caractère {at(cell, 'x')}")
    text = f"f;montant\nA;{written}\nB;5\n"
    (bad,) = read(text).bad_rows   # set aside: the listing's reason
    assert english in language("en").problem(bad)
    assert french_said in language("fr").problem(bad), language("fr").problem(bad)
    with pytest.raises(essconv.ParseError) as refused:   # refused: the error's wording
        Ledger.read_csv(text.encode(), amount="montant")
    assert english in str(refused.value)
    assert french_said in language("fr").refusal(refused.value)
    path = tmp_path / "l.csv"   # the command line, stopped at the row
    path.write_text(text, encoding="utf-8")
    for lang, said in (("fr", french_said), ("en", english)):
        assert main(["aggregate", str(path), "--by", "f", "--amount", "montant",
                     "--lang", lang]) == 2
        assert said in capsys.readouterr().err
