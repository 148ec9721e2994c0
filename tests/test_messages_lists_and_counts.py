"""What a refusal lists (axes, parties, encodings) is said in words, each quoted, never as a
Python list; the counts a French message gives are grouped as French groups figures (U+202F),
English ones with a comma."""
from __future__ import annotations

import io

import pytest

import essconv
from essconv.ledger import Ledger
from test_bad_input import scdl_bytes   # an SCDL file of (funder, amount) rows

NNBSP = "\u202f"


def _quoted_in_words(names):
    """The rule, spelled out apart from the code: each name in single quotes, ", " between."""
    return ", ".join("'" + str(n) + "'" for n in names)


def _grouped(count: int, group: str) -> str:
    """A count grouped by threes from the right, the obvious way."""
    digits, out = str(count), ""
    while len(digits) > 3:
        digits, out = digits[:-3], group + digits[-3:] + out
    return digits + out


TWO_AXES_PLAN = ("en k€\t\tCDC\tCG-59\tTotal\nAxe 1\tL1\t4\t5\t9\n\tDiv\t1\t1\t2\n"
                 "Axe 2\tDiv\t10\t0\t10\nTotal\t\t15\t6\t21\n").encode()


def test_an_unknown_axis_names_the_plans_axes_in_words():
    plan = essconv.read_plan(TWO_AXES_PLAN)
    with pytest.raises(essconv.UnknownLabelError) as info:
        plan.lines_of("Axe 9")
    said = str(info.value)
    assert f"it has {_quoted_in_words(['Axe 1', 'Axe 2'])}" in said
    assert "[" not in said and "]" not in said


def test_a_line_under_two_axes_names_its_axes_in_words():
    conv = essconv.default()
    conv.add_plan(essconv.read_plan(TWO_AXES_PLAN), 2010)
    ledger = Ledger.read_csv(io.BytesIO(b"nomAttribuant;dispositifAide;dateConvention;montant\n"
                                        b"CDC;Div;2010-03-01;7\n"),
                             amount="montant", dates=["dateConvention"])
    with pytest.raises(essconv.errors.AmbiguityError) as info:
        conv.execution(2010, ledger)
    said = str(info.value)
    assert f"plan ({_quoted_in_words(['Axe 1', 'Axe 2'])}): say which" in said
    assert "[" not in said


def test_an_unknown_party_names_the_conventions_parties_in_words():
    conv = essconv.default()
    ledger = Ledger.read_csv(io.BytesIO(b"nomAttribuant;dispositifAide;dateConvention;montant\n"
                                        b"Fonds R;DLA;2009-03-01;7\n"),
                             amount="montant", dates=["dateConvention"])
    with pytest.raises(essconv.UnknownLabelError) as info:
        conv.execution(2009, ledger, funders={"Fonds R": "XYZ"})
    said = str(info.value)
    assert f"(the parties: {_quoted_in_words(p.code for p in conv.parties)})" in said
    assert "[" not in said


def test_an_unknown_encoding_names_the_encodings_in_words():
    with pytest.raises(essconv.errors.InvalidValueError) as info:
        essconv.read_plan(TWO_AXES_PLAN, encoding="klingon")
    said = str(info.value)
    assert said.startswith("unknown encoding 'klingon': expected one of '")
    assert "[" not in said and "]" not in said


# Counts a reader's warning or a validation's finding gives: "1500 octets", "1100 lignes"
# were printed digit by digit in French where every other figure groups.

@pytest.mark.parametrize("lang, group", [("fr", NNBSP), ("en", ",")])
def test_a_mixed_encoding_warning_groups_its_count(lang, group):
    import warnings
    from essconv.messages import language
    data = (b"nom;montant\n" + "é;1\n".encode() * 2000) + b"\xe9;1\n" * 1500
    with warnings.catch_warnings(record=True) as seen:
        warnings.simplefilter("always")
        Ledger.read_csv(io.BytesIO(data), amount="montant")
    [said] = [w.message for w in seen if issubclass(w.category, essconv.MixedEncodingWarning)]
    count, places = said.reason[1], said.reason[2]
    assert count == 1500
    text = language(lang).warning(said)
    word = {"fr": "octets ne sont pas", "en": "bytes are not"}[lang]
    assert f"{_grouped(count, group)} {word}" in text
    more = {"fr": "et {} autres", "en": "and {} more"}[lang]
    assert more.format(_grouped(count - len(places), group)) in text


def _scdl_rows(count: int) -> bytes:
    """An SCDL file whose every amount, "1234,56", is split by its unquoted comma."""
    return scdl_bytes([("CDC", "1234,56")] * count, sep=",")


@pytest.mark.parametrize("lang, group", [("fr", NNBSP), ("en", ",")])
def test_rows_put_back_are_counted_grouped(lang, group, tmp_path):
    import warnings
    from essconv.messages import language
    path = tmp_path / "subventions.csv"
    path.write_bytes(_scdl_rows(1100))
    with warnings.catch_warnings(record=True) as seen:
        warnings.simplefilter("always")
        essconv.read_scdl(path)
    [said] = [w.message for w in seen if issubclass(w.category, essconv.RepairedRowsWarning)]
    text = language(lang).warning(said)
    word = {"fr": "lignes avaient plus de cellules", "en": "rows had more cells"}[lang]
    assert f"{_grouped(1100, group)} {word}" in text


def test_a_validation_counts_its_rows_put_back_grouped(tmp_path):
    path = tmp_path / "subventions.csv"
    path.write_bytes(_scdl_rows(1100))
    [finding] = [f for f in essconv.validate_scdl(path).findings
                 if f.code == "unquoted-delimiter"]
    assert finding.message.startswith(f"{_grouped(1100, ',')} rows have more cells")
    assert finding.message_fr.startswith(f"{_grouped(1100, NNBSP)} lignes ont plus de")


def test_records_giving_half_a_period_are_counted_grouped(tmp_path):
    import warnings
    from essconv.messages import language
    header = ("COLL_NOM;COLL_SIRET;ACTE_DATE;ATTRIB_NOM;ATTRIB_SIRET;SUB_OBJET;SUB_MONTANT;"
              "SUB_NATURE;SUB_DATE_DEBUT;SUB_DATE_FIN;SUB_VERSEMENT;NOTIF_EU")
    row = ("Dép;22580001000018;2016-01-01;Chorale;73282932000074;Fête;200,50;"
           "aide en numéraire;2016-03-01;;unique;non")
    path = tmp_path / "nievre-ancien.csv"
    path.write_text("\r\n".join([header] + [row] * 1200) + "\r\n", encoding="cp1252")
    with warnings.catch_warnings(record=True) as seen:
        warnings.simplefilter("always")
        essconv.read_scdl(path)
    [said] = [w.message for w in seen if issubclass(w.category, essconv.HalfPeriodWarning)]
    assert f"{_grouped(1200, ',')} records give one end" in str(said)
    assert f"{_grouped(1200, ',')} records give one end" in language("en").warning(said)
    assert (f"{_grouped(1200, NNBSP)} enregistrements donnent une seule borne"
            in language("fr").warning(said))


# Names a sentence lists in running text ("the groups' columns are ...", "its sheets are ...")
# ended on a comma, read as a list cut short: the last comes after "and" / "et".

def _said_in_a_sentence(names, quote, and_):
    """The rule, spelled out apart from the code: each name quoted, ", " between, the last
    after the language's "and"."""
    quoted = [quote(n) for n in names]
    return quoted[0] if len(quoted) == 1 else ", ".join(quoted[:-1]) + and_ + quoted[-1]


def test_the_groups_columns_an_unknown_order_names_end_on_and_in_each_language():
    from essconv.messages import language
    ledger = Ledger.read_csv(b"nom;montant\nA;1,50\n", amount="montant")
    with pytest.raises(essconv.UnknownColumnError) as info:
        ledger.group_by("nom").sum().sort("xx")
    columns = ["nom", "sum", "count", "mean"]
    english = str(info.value)
    assert "the groups' columns are " + _said_in_a_sentence(
        columns, lambda n: f"'{n}'", " and ") in english, english
    french = language("fr").refusal(info.value).replace("\u00a0", " ")
    assert "les groupes ont " + _said_in_a_sentence(
        columns, lambda n: f"« {n} »", " et ") in french, french


def test_an_unknown_axis_of_the_convention_names_the_axes_in_words():
    conv = essconv.default()
    with pytest.raises(essconv.UnknownLabelError) as info:
        conv.axis(9)
    numbers = [str(a.number) for a in conv.axes]
    assert str(info.value).endswith("the axes are " + _said_in_a_sentence(
        numbers, str, " and ")), str(info.value)
    assert "[" not in str(info.value)
