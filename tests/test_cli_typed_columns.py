"""`essconv aggregate --ints/--dates`: the command line says a column's type, as
``Ledger.read_csv(ints=..., dates=...)`` does.

Without them a year column was read as a label: its groups came in the order the file first
showed them (2017 above 2015), and no option could ask for ascending years.  The oracle is
``sorted`` over the years the test wrote and ``Decimal`` sums of its own amounts."""
from __future__ import annotations

import csv
import io
import random
from decimal import Decimal

import pytest

from essconv.cli import main


def grants(seed: int = 5, n: int = 60):
    rng = random.Random(seed)
    years = [2017, 2015, 2009, 2016, -3, 2013]
    return [(rng.choice(years), rng.choice(["Région", "CDC"]),
             f"{rng.randrange(1, 29):02d}/{rng.randrange(1, 13):02d}/{rng.choice(years[:4])}",
             Decimal(rng.randrange(-90_000, 900_000)) / 100) for _ in range(n)]


def write(tmp_path, rows, name="subventions.csv"):
    path = tmp_path / name
    path.write_text("annee;financeur;dateConvention;montant\n" + "".join(
        f"{y};{f};{d};{str(a).replace('.', ',')}\n" for y, f, d, a in rows), encoding="utf-8")
    return path


@pytest.mark.parametrize("lang, delimiter, mark", [("fr", ";", ","), ("en", ",", ".")])
def test_ints_groups_come_in_ascending_order(tmp_path, capsys, lang, delimiter, mark):
    rows = grants()
    path = write(tmp_path, rows)
    assert main(["aggregate", str(path), "--by", "annee", "--amount", "montant", "--ints",
                 "annee", "--dates", "dateConvention", "--to", "csv", "--lang", lang]) == 0
    read = list(csv.reader(io.StringIO(capsys.readouterr().out), delimiter=delimiter))
    years = sorted({y for y, _, _, _ in rows})
    assert [int(r[0]) for r in read[1:]] == years
    assert [Decimal(r[1].replace(mark, ".")) for r in read[1:]] == [
        sum((a for y, _, _, a in rows if y == year), Decimal(0)) for year in years]
    # without --ints the column is a label: first sight, as before
    assert main(["aggregate", str(path), "--by", "annee", "--amount", "montant", "--to", "csv",
                 "--lang", lang]) == 0
    read = list(csv.reader(io.StringIO(capsys.readouterr().out), delimiter=delimiter))
    assert [r[0].removeprefix("'") for r in read[1:]] == \
        [str(y) for y in dict.fromkeys(y for y, _, _, _ in rows)]


def test_a_date_and_an_int_column_are_read_typed_together(tmp_path, capsys):
    rows = grants(9)
    path = write(tmp_path, rows)
    assert main(["aggregate", str(path), "--by", "year(dateConvention),annee", "--amount",
                 "montant", "--ints", " annee ", "--dates", "dateConvention",
                 "--to", "csv"]) == 0
    read = list(csv.reader(io.StringIO(capsys.readouterr().out), delimiter=";"))
    sums: dict = {}
    for y, _, d, a in rows:
        key = (int(d[-4:]), y)
        sums[key] = sums.get(key, Decimal(0)) + a
    expected = sorted(sums, key=lambda k: (k[1], k[0]))   # the last key the most significant
    assert [(int(r[0]), int(r[1])) for r in read[1:]] == expected
    assert [Decimal(r[2].replace(",", ".")) for r in read[1:]] == [sums[k] for k in expected]


@pytest.mark.parametrize("lang, words", [("fr", "n'est pas un nombre entier"),
                                         ("en", "is not an integer")])
def test_a_bad_int_cell_is_refused_at_its_file_line_and_column(tmp_path, capsys, lang, words):
    rows = grants(13, n=8)
    path = write(tmp_path, rows)
    text = path.read_text(encoding="utf-8").splitlines()
    text[5] = "20x5" + text[5][text[5].index(";"):]   # line 6 of the file, column 1
    path.write_text("\n".join(text) + "\n", encoding="utf-8")
    assert main(["aggregate", str(path), "--by", "annee", "--amount", "montant", "--ints",
                 "annee", "--lang", lang]) == 2
    err = capsys.readouterr().err
    assert f"{path}:6:1:" in err and "20x5" in err and words in err, err


def refused(argv, capsys) -> str:
    with pytest.raises(SystemExit) as done:
        main(argv)
    assert done.value.code == 2, argv
    return capsys.readouterr().err


@pytest.mark.parametrize("option", ["--ints", "--dates"])
def test_ints_or_dates_without_a_ledger_to_read_is_refused(tmp_path, capsys, option):
    path = write(tmp_path, grants(n=3))
    assert f"{option} va avec --amount" in refused(
        ["aggregate", str(path), "--by", "annee", option, "annee"], capsys)
    assert f"{option} ne nomme aucune colonne" in refused(
        ["aggregate", str(path), "--by", "annee", "--amount", "montant", option, " , "], capsys)


def test_ints_on_a_grant_file_typed_by_its_schema_is_refused(tmp_path, capsys):
    path = tmp_path / "scdl.csv"
    path.write_text("nomAttribuant;idAttribuant;dateConvention;nomBeneficiaire;idBeneficiaire;"
                    "objet;montant;nature\nRégion;01234567890123;2017-03-01;Asso A;"
                    "00123456789012;obj;1500.50;aide en numéraire\n", encoding="utf-8")
    err = refused(["aggregate", str(path), "--by", "nomAttribuant", "--ints", "montant"], capsys)
    assert "SCDL" in err and "--ints" in err, err
