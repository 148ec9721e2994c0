"""argparse's refusals of a command line (a value of the wrong kind, a choice that is none, an
option missing, unknown, ambiguous or without its value, an unknown command) in the command's
language: French by default, English with --lang en (and for `validate` without --lang, as its
listing), naming the option and the value, under the usage line, exit status 2 as argparse
gives.  argparse said them in English in a French command."""
from __future__ import annotations

import pytest

from essconv.cli import main

NBSP = "\u00a0"

# what argparse's English says, which no French refusal may say
ENGLISH = ("usage:", "error:", "invalid", "argument -", "required", "expected", "choose from",
           "unrecognized", "ambiguous", "could match", " not ", "the following")
# what the French says, which no English refusal may say
FRENCH = ("utilisation", "erreur", "«", "obligatoire", "inconnu", " pas ", "choix", "valeur",
          "il manque", "commande")


def refused(argv, capsys) -> str:
    with pytest.raises(SystemExit) as done:
        main(argv)
    assert done.value.code == 2, argv
    captured = capsys.readouterr()
    assert captured.out == ""
    return captured.err.replace(NBSP, " ")


# (the command line, where --lang goes in it, the option named, the value named (or None),
#  a word of the French refusal, a word of the English one)
CASES = [
    (["calendar", "--year", "abc"], 1, "--year", "abc", "année", "year"),
    (["report", "--plan-year", "zz"], 1, "--plan-year", "zz", "année", "year"),
    (["aggregate", "plan.csv", "--by", "funder", "--top", "-1"], 1, "--top", "-1",
     "nombre de groupes", "number of groups"),
    (["aggregate", "plan.csv", "--by", "funder", "--top", "deux"], 1, "--top", "deux",
     "nombre de groupes", "number of groups"),
    (["aggregate", "plan.csv"], 1, "--by", None, "obligatoire", "required"),
    (["convert", "plan.csv"], 1, "--to", None, "obligatoire", "required"),
    (["calendar", "--bogus"], 1, "--bogus", None, "inconnu", "unknown"),
    (["aggregate", "plan.csv", "--by", "funder", "--to", "pdf"], 1, "--to", "pdf",
     "choix", "choices"),
    (["aggregate", "plan.csv", "--by", "funder", "--decimal", ";"], 1, "--decimal", ";",
     "choix", "choices"),
    (["calendar", "--year"], 1, "--year", None, "une valeur", "a value"),
    (["aggregate", "plan.csv", "--by", "funder", "--s", "sum"], 1, "--s", None, "ambiguë",
     "ambiguous"),
    (["calendar", "--ics=yes"], 1, "--ics", "yes", "pas de valeur", "no value"),
    (["frob"], 0, None, "frob", "commande inconnue", "unknown command"),
]


@pytest.mark.parametrize("argv, at, option, value, french, english", CASES)
def test_argparse_refusals_speak_french_by_default(argv, at, option, value, french, english,
                                                   capsys):
    err = refused(argv, capsys)
    assert err.startswith("utilisation : essconv"), err
    assert "erreur : " in err and french in err, err
    if option:
        assert option in err, err
    if value is not None:
        assert f"« {value} »" in err, err
    assert not [w for w in ENGLISH if w in err], err


@pytest.mark.parametrize("argv, at, option, value, french, english", CASES)
def test_argparse_refusals_speak_english_with_lang_en(argv, at, option, value, french, english,
                                                      capsys):
    for lang in (["--lang", "en"], ["--lang=en"], ["--la", "en"]):
        err = refused([*argv[:at], *lang, *argv[at:]], capsys)
        assert err.startswith("usage: essconv"), err
        assert "error: " in err and english in err, err
        if option:
            assert option in err, err
        if value is not None:
            assert f"'{value}'" in err, err
        assert not [w for w in FRENCH if w in err], err


def test_validate_refuses_in_english_without_lang_as_its_listing_and_in_french_with_it(capsys):
    err = refused(["validate"], capsys)
    assert err.startswith("usage: essconv validate") and "error: " in err and "FILE" in err
    assert not [w for w in FRENCH if w in err], err
    err = refused(["validate", "--lang", "fr"], capsys)
    assert err.startswith("utilisation : essconv validate") and "FILE" in err
    assert "obligatoire" in err and not [w for w in ENGLISH if w in err], err
    err = refused(["validate", "plan.csv", "--format", "xml", "--lang", "fr"], capsys)
    assert "--format" in err and "« xml »" in err and not [w for w in ENGLISH if w in err], err


def test_a_language_essconv_does_not_speak_is_refused_in_french_then_english(capsys):
    """--lang de: the reader may read neither; the French refusal, then argparse's English."""
    for argv in (["--lang", "de"], ["calendar", "--lang=de", "--year", "2010"]):
        err = refused(argv, capsys)
        french, english = err.splitlines()[-2:]
        assert "erreur : --lang : « de »" in french and "« fr », « en »" in french, err
        assert "error:" in english and "'de'" in english and "'fr', 'en'" in english, err


def test_a_control_character_in_a_refused_value_is_shown_not_obeyed(capsys):
    err = refused(["aggregate", "plan.csv", "--by", "funder", "--to", "\x1b[2J\u202e"], capsys)
    assert "\x1b" not in err and "\u202e" not in err
    assert "\\x1b[2J\\u202e" in err and "--to" in err


@pytest.mark.parametrize("command", ["report", "validate", "aggregate", "convert"])
def test_the_decimal_marks_are_shown_one_by_one_in_help_and_usage(command, capsys):
    """--help and the usage line showed --decimal {,,.}: the comma that is a choice joined to
    the commas between choices.  Each mark is shown quoted, and both are still the choices."""
    with pytest.raises(SystemExit) as done:
        main([command, "--help"])
    assert done.value.code == 0
    help_text = capsys.readouterr().out
    assert "{,,.}" not in help_text
    assert "--decimal {','|'.'}" in " ".join(help_text.split())
    err = refused([command, "plan.csv", "--decimal", "x", "--lang", "en"], capsys)
    assert "{,,.}" not in err and "--decimal {','|'.'}" in err and "',', '.'" in err


@pytest.mark.parametrize("lang, said", [(None, "écrit l'export de --to"),
                                        ("en", "writes --to's export")])
@pytest.mark.parametrize("kind", ["grants", "plan"])
def test_an_output_without_to_is_refused_not_ignored(kind, lang, said, tmp_path, capsys):
    """`aggregate FILE --by nature -o sums.csv` printed the table and wrote no file, exit 0:
    refused, the file named, before anything is read; with --to the file is written."""
    from pathlib import Path
    grants = Path(__file__).parent / "data" / "scdl" / "lot-2017-subventions.csv"
    plan = tmp_path / "plan-2010.csv"
    plan.write_text("en k€;CR;CDC;Total\nL1 Accueil;1;2;3\n", encoding="utf-8")
    out = tmp_path / "sums.csv"
    argv = ([str(grants), "--by", "nature"] if kind == "grants"
            else [str(plan), "--by", "funder"])
    argv = ["aggregate", *argv, "-o", str(out), *(["--lang", lang] if lang else [])]
    err = refused(argv, capsys)
    assert said in err and str(out) in err and "--to csv" in err, err
    assert not out.exists()
    if kind == "grants":
        assert main([*argv, "--to", "csv"]) == 0
        capsys.readouterr()
        assert "aide en numéraire" in out.read_text(encoding="utf-8")


@pytest.mark.parametrize("lang, said", [(None, "son montant est la colonne montant, pas « nope »"),
                                        ("en", "its amount is the montant column, not 'nope'")])
def test_an_amount_column_a_grant_file_does_not_sum_is_refused_not_ignored(lang, said, capsys):
    """`aggregate grants.csv --by nature --amount nope` summed montant, exit 0, as if nope were
    summed: refused naming the column; --amount montant (any case) sums as no --amount does."""
    from decimal import Decimal
    from pathlib import Path
    import csv
    grants = Path(__file__).parent / "data" / "scdl" / "lot-2017-subventions.csv"
    langs = ["--lang", lang] if lang else []
    err = refused(["aggregate", str(grants), "--by", "nature", "--amount", "nope", *langs],
                  capsys)
    assert said in err and str(grants) in err, err
    outs = []
    for amount in ([], ["--amount", "montant"], ["--amount", "Montant"]):
        assert main(["aggregate", str(grants), "--by", "nature", *amount, "--to", "csv",
                     "--lang", "en"]) == 0
        outs.append(capsys.readouterr().out)
    assert outs[0] == outs[1] == outs[2]
    # the sum is montant's, read here with csv and Decimal (the file is CP1252, ';')
    rows = csv.DictReader(grants.read_bytes().decode("cp1252").splitlines(), delimiter=";")
    total = sum(Decimal(r["montant"].replace(" ", "").replace(",", "."))
                for r in rows if (r["montant"] or "").strip())
    last = outs[0].strip().splitlines()[-1]
    assert Decimal(last.split(",")[1]) == total, (total, outs[0])


@pytest.mark.parametrize("lang", ["fr", "en"])
@pytest.mark.parametrize("extra, option, needed", [
    (["--others"], "--others", "--top"),
    (["--ascending"], "--ascending", "--sort"),
    (["--top", "1", "--ascending"], "--ascending", "--sort"),
])
def test_an_option_without_the_one_it_changes_is_refused_not_ignored(extra, option, needed,
                                                                      lang, capsys):
    """--others without --top printed no others line and --ascending without --sort changed
    nothing, exit 0: each is refused naming both options; with the option it changes, the
    command runs and the others line adds up what --top left out."""
    from pathlib import Path
    grants = Path(__file__).parent / "data" / "scdl" / "lot-2017-subventions.csv"
    argv = ["aggregate", str(grants), "--by", "nomBeneficiaire", *extra, "--lang", lang]
    err = refused(argv, capsys)
    assert option in err and needed in err, err
    assert ("va avec" if lang == "fr" else "goes with") in err, err
    assert main([*argv, "--top", "2", "--sort", "sum", "--others"]) == 0
    out = capsys.readouterr().out
    assert ("(autres)" if lang == "fr" else "(others)") in out.lower(), out


@pytest.mark.parametrize("lang", ["fr", "en"])
def test_report_refuses_options_it_would_drop(lang, tmp_path, capsys):
    """`report --plan-year 2010` with no --plan, and --format json beside --html (the dashboard
    written, the JSON never): refused, exit 2, nothing written."""
    err = refused(["report", "--plan-year", "2010", "--lang", lang], capsys)
    assert "--plan-year" in err and "--plan FILE" in err, err
    page = tmp_path / "d.html"
    err = refused(["report", "--html", str(page), "--format", "json", "--lang", lang], capsys)
    assert "--html" in err and "--format json" in err and not page.exists(), err
    assert ("l'un ou l'autre" if lang == "fr" else "one or the other") in err


@pytest.mark.parametrize("lang", ["fr", "en"])
@pytest.mark.parametrize("argv, to", [
    (["aggregate", "GRANTS", "--by", "nature"], None),
    (["aggregate", "GRANTS", "--by", "nature", "--to", "xlsx", "-o", "OUT.xlsx"], "xlsx"),
    (["convert", "PLAN", "--to", "json"], "json"),
    (["convert", "PLAN", "--to", "xlsx", "-o", "OUT.xlsx"], "xlsx"),
])
def test_no_formula_guard_without_a_delimited_export_is_refused_not_ignored(argv, to, lang,
                                                                           tmp_path, capsys):
    """`aggregate --no-formula-guard` with no --to csv (the terminal's table, an .xlsx) and
    `convert --to json|xlsx --no-formula-guard` ran, exit 0, the option changing nothing: the
    analyst believed the cells verbatim.  Refused naming the export it goes with, nothing
    written; with that export the cells are written verbatim."""
    from pathlib import Path
    import csv
    data = Path(__file__).parent / "data"
    grants = data / "scdl" / "lot-2017-subventions.csv"
    plan = tmp_path / "plan.csv"
    plan.write_text("Axe;Ligne;CR;CDC;Total\n1;=1+1;10;5;15\n", encoding="utf-8")
    out = tmp_path / "out.xlsx"
    files = {"GRANTS": str(grants), "PLAN": str(plan), "OUT.xlsx": str(out)}
    argv = [files.get(a, a) for a in argv]
    err = refused([*argv, "--no-formula-guard", "--lang", lang], capsys)
    wanted = "--to csv" if argv[0] == "aggregate" else "--to tsv"
    assert "--no-formula-guard" in err and wanted in err, err
    if to:
        assert f"--to {to}" in err, err
    assert ("va avec" if lang == "fr" else "goes with") in err, err
    assert not out.exists()
    # with the delimited export, the guard is off: the label is written as it is
    assert main(["convert", str(plan), "--to", "csv", "--no-formula-guard"]) == 0
    cells = [c for row in csv.reader(capsys.readouterr().out.splitlines(), delimiter=";")
             for c in row]
    assert "=1+1" in cells and "'=1+1" not in cells, cells
    assert main(["aggregate", str(grants), "--by", "nature", "--to", "csv",
                 "--no-formula-guard"]) == 0
