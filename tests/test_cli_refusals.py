"""The core's refusals as the command line shows them: in the output's language (French by
default, English with --lang en), the Python exception's text staying English."""
from __future__ import annotations

import re

import pytest

import essconv
from essconv.cli import main

NB = {"\u00a0": " ", "\u202f": " "}


def plain(text: str) -> str:
    for k, v in NB.items():
        text = text.replace(k, v)
    return text


@pytest.fixture
def grants(tmp_path):
    path = tmp_path / "g.csv"
    path.write_text("beneficiaire;date;periode;montant\n"
                    "Asso A;2017-03-04;2017-01-01_2017-06-30;10\n"
                    "Asso B;2018-05-06;2018-07-01_2018-02-01;20\n", encoding="utf-8")
    return path


@pytest.mark.parametrize("by, french, english", [
    ("year(beneficiaire)",
     "enregistrement 1, colonne « beneficiaire » : « Asso A » n'est ni une date ni une période",
     "row 1 of 'beneficiaire': 'Asso A' is neither a date nor a period"),
    ("month(periode)",
     "enregistrement 1, colonne « periode » : « 2017-01-01_2017-06-30 » est une période, pas "
     "une date (dites laquelle de ses bornes : period_start ou period_end)",
     "row 1 of 'periode': '2017-01-01_2017-06-30' is a period, not one date"),
    ("year(period_end(periode))",
     "enregistrement 2, colonne « periode » : la période « 2018-07-01_2018-02-01 » finit avant "
     "de commencer",
     "row 2 of 'periode': the period '2018-07-01_2018-02-01' ends before it starts"),
])
def test_a_date_key_a_column_cannot_give_is_refused_in_the_outputs_language(grants, capsys, by,
                                                                            french, english):
    """`--by 'year(COLUMN)'` on a column of names (or of periods) was refused in English inside
    the French CLI: the core's refusal carries its kind and row, worded in French."""
    command = ["aggregate", str(grants), "--amount", "montant", "--by", by]
    assert main(command) == 2
    err = plain(capsys.readouterr().err)
    assert f"{grants}: {french}" in err, err
    assert "row " not in err and "neither" not in err
    assert main(command + ["--lang", "en"]) == 2
    assert english in capsys.readouterr().err
    # the Python API speaks English, its reason for a listing to word
    ledger = essconv.Ledger.read_csv(grants, amount="montant")
    dim = {"year(beneficiaire)": essconv.year("beneficiaire"), "month(periode)":
           essconv.month("periode"), "year(period_end(periode))":
           essconv.year(essconv.period_end("periode"))}[by]
    with pytest.raises(essconv.ParseError) as caught:
        ledger.group_by(dim).sum()
    assert english in str(caught.value) and caught.value.reason[0] == "date-key"
    assert caught.value.reason[2] == int(french.split()[1].rstrip(","))


@pytest.fixture
def huge(tmp_path):
    path = tmp_path / "h.csv"
    path.write_text("f;m\nA;92233720368547758,07\nA;10\nB;10\n", encoding="utf-8")
    two = tmp_path / "h2.csv"   # each group fits, their total does not
    two.write_text("f;m\nA;92233720368547758,07\nB;10\n", encoding="utf-8")
    return path, two


@pytest.mark.parametrize("which, extra, french, english", [
    (0, [], "la somme d'un groupe dépasse ce qu'un montant en centimes peut tenir",
     "a group's sum does not fit int64 cents"),
    (1, ["--share"], "la somme dépasse ce qu'un montant en centimes peut tenir",
     "the sum does not fit int64 cents"),
    (1, ["--total", "--to", "csv"], "le total des groupes dépasse",
     "the total of the groups does not fit int64 cents"),
])
def test_a_sum_past_int64_cents_is_refused_in_the_outputs_language(huge, capsys, which, extra,
                                                                   french, english):
    """A group's sum, a ledger's total or the groups' total past int64 cents: "the total does not
    fit int64 cents" in English in the French CLI."""
    command = ["aggregate", str(huge[which]), "--amount", "m", "--by", "f", *extra]
    assert main(command) == 2
    err = plain(capsys.readouterr().err)
    assert french in err and "92 233 720 368 547 758,07 € au plus" in err, err
    assert "int64" not in err
    assert main(command + ["--lang", "en"]) == 2
    assert english in capsys.readouterr().err


def test_a_total_past_int64_cents_is_said_in_words_under_its_groups(huge, capsys):
    """Each group fits, their total does not: the groups are listed (as --to csv lists them)
    and the total said in words, where the whole table was refused."""
    command = ["aggregate", str(huge[1]), "--amount", "m", "--by", "f"]
    assert main(command) == 0
    out = [" ".join(line.split()) for line in plain(capsys.readouterr().out).splitlines()]
    assert "A 92 233 720 368 547 758,07 €" in out and "B 10,00 €" in out, out
    assert out[-1] == "total : au-delà de 92 233 720 368 547 758,07 € sur 2 enregistrements", out
    assert main(command + ["--lang", "en"]) == 0
    out = [" ".join(line.split()) for line in capsys.readouterr().out.splitlines()]
    assert "A 92,233,720,368,547,758.07 €" in out and "B 10.00 €" in out, out
    assert out[-1] == "total: beyond 92,233,720,368,547,758.07 € over 2 records", out
    assert "int64" not in " ".join(out)


def test_a_plan_whose_sums_overflow_is_refused_in_the_outputs_language(tmp_path, capsys):
    path = tmp_path / "p.tsv"
    # no total printed over the sums past int64 cents (a printed one is a finding at it)
    path.write_text("en €\tA\tB\tTotal\nx\t92233720368547758\t92233720368547758\t\n"
                    "Total\t1\t1\t\n", encoding="utf-8")
    assert main(["validate", str(path), "--lang", "fr"]) == 2
    err = plain(capsys.readouterr().err)
    assert (f"{path}:2:3: les sommes du plan dépassent ce qu'un montant en centimes peut tenir"
            in err), err
    assert ("le plus probablement, son plus grand chiffre, « 92233720368547758 » (x × A), est "
            "faux : une somme de ces 4 chiffres qui déborde en contient un de" in err
            and "overflow" not in err), err
    assert main(["validate", str(path)]) == 2   # the compiler-style listing: English
    assert "the plan's sums overflow int64 cents" in capsys.readouterr().err
    path.write_text("en €\tA\tB\tTotal\nx\t92233720368547758\t92233720368547758\t1\n"
                    "Total\t1\t1\t1\n", encoding="utf-8")
    assert main(["validate", str(path)]) == 1   # printed totals: findings at them
    assert f"{path}:2:" in capsys.readouterr().out


@pytest.fixture
def ledger_file(tmp_path):
    path = tmp_path / "l.csv"
    path.write_text("f;annee;m\nA;2017;10\nB;2018;20\n", encoding="utf-8")
    return path


@pytest.mark.parametrize("args, french, english", [
    (["--by", "m"], "la colonne « m » contient les montants, que l'agrégat additionne",
     "the column 'm' holds amounts"),
    (["--by", "year(m)"], "year(m) : la colonne « m » contient des montants, pas des dates",
     "year(m): column 'm' holds amounts, not dates"),
    (["--by", "f,f"], "la clé « f » est donnée deux fois au regroupement (clés 1 et 2) : "
     "donnez chaque clé une seule fois", "the key 'f' is given twice (keys 1 and 2)"),
])
def test_an_argument_the_ledger_refuses_is_said_in_the_outputs_language(ledger_file, capsys,
                                                                        args, french, english):
    """`--by 'year(montant)'`, `--by montant` and `--where jour=hier` were refused in English in
    the French CLI (the Python API's words)."""
    command = ["aggregate", str(ledger_file), "--amount", "m", *args]
    assert main(command) == 2
    err = plain(capsys.readouterr().err)
    assert french in err and "holds" not in err, err
    assert main(command + ["--lang", "en"]) == 2
    assert english in capsys.readouterr().err


def test_a_where_value_its_column_cannot_hold_is_said_in_the_outputs_language(capsys):
    from pathlib import Path
    scdl = Path(__file__).parent / "data" / "scdl" / "scdl-subventions-exemple-valide.csv"
    command = ["aggregate", str(scdl), "--by", "nature", "--where", "dateConvention=hier"]
    assert main(command) == 2
    err = plain(capsys.readouterr().err)
    assert ("la colonne « dateConvention » contient des dates : « hier » ne se lit pas comme une "
            "date") in err and "holds" not in err, err
    assert main(command + ["--lang", "en"]) == 2
    assert "column 'dateConvention' holds dates: 'hier' (str) is not one" in \
        capsys.readouterr().err


@pytest.mark.parametrize("value", ["abc", "1e3", "12,,5"])
def test_a_where_amount_its_column_cannot_read_is_said_in_the_outputs_language(value, capsys):
    """`--where montant=abc` was refused with the money parser's English words alone ("'abc'
    is not an amount: a digit is expected at character 1") in the French CLI, naming no column:
    now as a date is, the parser's reason kept in English, the error still an AmountError."""
    from pathlib import Path
    scdl = Path(__file__).parent / "data" / "scdl" / "scdl-subventions-exemple-valide.csv"
    command = ["aggregate", str(scdl), "--by", "nature", "--where", f"montant={value}"]
    assert main(command) == 2
    err = plain(capsys.readouterr().err)
    assert (f"la colonne « montant » contient des montants : « {value} » ne se lit pas comme un "
            f"montant") in err and "not an amount" not in err, err
    assert main(command + ["--lang", "en"]) == 2
    err = capsys.readouterr().err
    assert f"column 'montant' holds amounts: {value!r} (str) is not one" in err, err
    assert "is not an amount" in err   # the parser's why, after
    ledger = essconv.read_scdl(scdl)
    with pytest.raises(essconv.AmountError) as caught:
        ledger.filter(montant=value)
    assert caught.value.reason[:2] == ("not-of-kind", "montant")


def test_a_year_outside_the_term_is_said_in_the_outputs_language(tmp_path, annex_tsv, capsys):
    assert main(["calendar", "--year", "1990"]) == 2
    assert "1990 est hors de la durée de la convention (2009–2013)" in \
        plain(capsys.readouterr().err)
    assert main(["calendar", "--year", "1990", "--lang", "en"]) == 2
    assert "1990 is outside the term 2009–2013" in capsys.readouterr().err
    plan = tmp_path / "plan-1990.tsv"
    plan.write_bytes(annex_tsv.read_bytes())
    assert main(["report", "--plan", str(plan)]) == 2
    err = plain(capsys.readouterr().err)
    assert "un plan demande une année de la convention (2009, 2010, 2011, 2012, 2013), pas 1990" \
        in err, err
    assert main(["report", "--plan", str(plan), "--lang", "en"]) == 2
    assert "a plan needs a year of the term" in capsys.readouterr().err


def test_an_empty_by_is_a_usage_error_in_the_outputs_language(ledger_file, capsys):
    command = ["aggregate", str(ledger_file), "--amount", "m", "--by", " , "]
    with pytest.raises(SystemExit) as exited:
        main(command)
    assert exited.value.code == 2
    assert "--by ne nomme aucune colonne" in capsys.readouterr().err
    with pytest.raises(SystemExit):
        main(command + ["--lang", "en"])
    assert "--by names no column" in capsys.readouterr().err


def test_a_backward_payment_period_is_dated_the_listings_way(tmp_path, capsys):
    """`validate --lang fr` on an SCDL file said "la période de versement finit (2017-03-09)
    avant de commencer (2017-04-12)": ISO dates in a French listing."""
    from pathlib import Path
    scdl = Path(__file__).parent / "data" / "scdl" / "scdl-subventions-exemple-valide.csv"
    assert main(["validate", str(scdl), "--lang", "fr"]) == 1
    out = plain(capsys.readouterr().out)
    assert "la période de versement finit (09/03/2017) avant de commencer (12/04/2017)" in out
    assert "(2017-03-09)" not in out
    assert main(["validate", str(scdl), "--lang", "en"]) == 1
    assert "the payment period ends (2017-03-09) before it starts (2017-04-12)" in \
        capsys.readouterr().out


@pytest.mark.parametrize("lang, said", [(None, "essconv\u00a0: interrompu"),
                                        ("en", "essconv: interrupted")])
def test_ctrl_c_is_said_in_a_word_without_a_traceback(monkeypatch, capsys, lang, said):
    """Ctrl-C during a long aggregate printed Python's KeyboardInterrupt traceback."""
    import essconv.report

    def interrupted(*args, **kwargs):
        raise KeyboardInterrupt
    monkeypatch.setattr(essconv.report, "render_text", interrupted)
    assert main(["report"] + (["--lang", lang] if lang else [])) == 130
    err = capsys.readouterr().err
    assert err == said + "\n"


def test_a_file_on_standard_input_is_read_as_dash(tmp_path, annex_tsv):
    """`... | essconv aggregate - ...` said "- : fichier ou dossier introuvable"."""
    import subprocess
    import sys
    from pathlib import Path

    def run(*args, data: bytes):
        return subprocess.run([sys.executable, "-m", "essconv", *args], input=data,
                              capture_output=True, timeout=120)
    ledger = "f;m\nA;1 000,50\nB;2\n".encode("cp1252")
    proc = run("aggregate", "-", "--amount", "m", "--by", "f", data=ledger)
    assert proc.returncode == 0, proc.stderr
    out = plain(proc.stdout.decode())
    assert "1 002,50 € sur 2 enregistrements" in out and "1 000,50 €" in out
    proc = run("validate", "-", data=annex_tsv.read_bytes())
    assert proc.returncode == 1 and b"error[row-total]" in proc.stdout
    assert b"-: FAILED (4 errors" in proc.stdout
    scdl = Path(__file__).parent / "data" / "scdl" / "scdl-subventions-exemple-valide.csv"
    proc = run("aggregate", "-", "--by", "nature", "--lang", "en", data=scdl.read_bytes())
    assert proc.returncode == 0 and b"2,821,393.50" in proc.stdout, proc.stderr
    proc = run("convert", "-", "--to", "json", data=annex_tsv.read_bytes())
    assert proc.returncode == 0 and b'"Observatoire CRESS"' in proc.stdout


class _Gone:
    """A standard output whose reader has left (`essconv ... | head -1`)."""

    def write(self, text):
        raise BrokenPipeError(32, "Broken pipe")

    def flush(self):
        pass


def test_a_reader_leaving_a_validate_listing_is_no_unusable_file(monkeypatch, capsys):
    """`essconv validate GRANTS.csv --lang fr | head -1` said "lecture ou écriture impossible
    (Broken pipe)" and exited 2, as if the grant file were unusable."""
    from pathlib import Path
    scdl = Path(__file__).parent / "data" / "scdl" / "scdl-subventions-exemple-valide.csv"
    monkeypatch.setattr("sys.stdout", _Gone())
    assert main(["validate", str(scdl), "--lang", "fr"]) == 141   # 128 + SIGPIPE, not 1
    assert capsys.readouterr().err == ""


def test_a_grants_file_that_is_no_scdl_file_is_refused_in_the_outputs_language(tmp_path, capsys):
    """`report --grants export.csv` on a file that is no SCDL grant file: "this is not an SCDL
    grant file" in the French CLI."""
    path = tmp_path / "export é.csv"
    path.write_text("annee;montant\n2017;10\n", encoding="utf-8")
    assert main(["report", "--grants", str(path)]) == 2
    err = plain(capsys.readouterr().err)
    assert (f"{path}:1:1: ce n'est pas un fichier de subventions SCDL : des 11 colonnes "
            f"obligatoires du schéma, son en-tête en a 1 (montant) ; parmi les absentes : "
            f"nomAttribuant") in err, err
    assert main(["report", "--grants", str(path), "--lang", "en"]) == 2
    assert "this is not an SCDL grant file: of the schema's 11 required columns" in \
        capsys.readouterr().err


@pytest.mark.parametrize("content, french, english", [
    ("", "le fichier est vide : pas d'en-tête", "the file is empty: no header"),
    ("f;f;m\nA;B;1\n", "la colonne « f » figure deux fois dans l'en-tête (champs 1 et 2) : "
     "renommez l'une des deux", "the column 'f' appears twice in the header (fields 1 and 2)"),
    ('f;m\nA;"1\nB;2\n', "le guillemet ouvert ligne 2, colonne 3 n'est jamais fermé",
     "the quote opened at line 2, column 3 is never closed"),
    # a byte no text has (read as Latin-1 to write it), a NUL: English in the French CLI too
    ("f;m\nA;3\x810\n", "l'octet 0x81 ligne 2, colonne 4 n'est ni de l'UTF-8 ni du CP1252",
     "byte 0x81 at line 2, column 4 is neither UTF-8 nor CP1252"),
    ("f;m\nA;3\x000\n", "un octet NUL ligne 2, colonne 4 : ce n'est pas un fichier texte",
     "a NUL byte at line 2, column 4: this is not a text file"),
])
def test_a_ledger_file_refused_whole_is_said_in_the_outputs_language(tmp_path, capsys, content,
                                                                     french, english):
    """An empty ledger file, a column named twice in its header, a quote never closed: the
    reader's refusal was English in the French CLI."""
    path = tmp_path / "l.csv"
    path.write_bytes(content.encode("latin-1" if "\x81" in content else "utf-8"))
    command = ["aggregate", str(path), "--by", "f", "--amount", "m"]
    assert main(command) == 2
    err = plain(capsys.readouterr().err)
    assert f"{path}:" in err and french in err, err
    assert main(command + ["--lang", "en"]) == 2
    assert english in capsys.readouterr().err


@pytest.mark.parametrize("content, french, english", [
    (b"", "le fichier est vide : pas d'en-tête", "the file is empty"),
    (b"\xff\xfe\x00\x01", "pas de ligne d'en-tête : aucune ligne n'a trois cellules ou plus",
     "no header row: no row has three cells or more"),
    (b'en k\xe2\x82\xac;A;Total\nx;"1;1\n', "le guillemet ouvert ligne 2, colonne 3 n'est jamais "
     "fermé", "the quote opened at line 2, column 3 is never closed"),
    (b"en k\xe2\x82\xac;A;Total\nx;1\x81;1\n", "l'octet 0x81 ligne 2, colonne 4 n'est ni de "
     "l'UTF-8 ni du CP1252", "byte 0x81 at line 2, column 4 is neither UTF-8 nor CP1252"),
    (b"en k\xe2\x82\xac;A;Total\nx;1\x00;1\n", "un octet NUL ligne 2, colonne 4 : ce n'est pas "
     "un fichier texte", "a NUL byte at line 2, column 4: this is not a text file"),
])
def test_a_plan_file_refused_whole_is_said_in_the_outputs_language(tmp_path, capsys, content,
                                                                   french, english):
    """`validate --lang fr` and `convert` on an empty plan file, one with no header row or a
    quote never closed: English, the head repeated as the one problem under it."""
    path = tmp_path / "plan.csv"
    path.write_bytes(content)
    assert main(["validate", str(path), "--lang", "fr"]) == 2
    err = plain(capsys.readouterr().err)
    assert french in err and "the " not in err, err
    assert main(["convert", str(path), "--to", "csv"]) == 2
    assert french in plain(capsys.readouterr().err)
    assert main(["validate", str(path)]) == 2
    assert english in capsys.readouterr().err


@pytest.mark.parametrize("rows, by, named", [
    ("f;m\nA;92233720368547758,07\nA;10\nB;10\n", "f", "celle du groupe « A »"),
    ("f;g;m\nA;x;92233720368547758,07\nA;x;10\nB;y;92233720368547758,07\nB;y;10\nC;z;1\n",
     "f,g", "celle du groupe « A », « x » (et celle de 1 autre groupe)"),
])
def test_a_group_sum_past_int64_cents_names_the_group_in_french_too(tmp_path, capsys, rows, by,
                                                                      named):
    """The English refusal names the group whose sum overflows ("the sum of 'A'"); the French
    said only "la somme d'un groupe", leaving the committee to search the table."""
    path = tmp_path / "h.csv"
    path.write_text(rows, encoding="utf-8")
    command = ["aggregate", str(path), "--amount", "m", "--by", by]
    assert main(command + ["--lang", "en"]) == 2
    english = capsys.readouterr().err
    first = "'A'" if by == "f" else "'A', 'x'"
    assert f"the sum of the group {first}" in english, english
    assert main(command) == 2
    err = plain(capsys.readouterr().err)
    assert named in err and "la somme d'un groupe dépasse" in err, err
    assert "'B'" not in err and "« B »" not in err and "int64" not in err, err


def _records(path, rows):
    """A ledger of ``rows`` distinct names (its listings are far past a pipe's 64 KiB)."""
    path.write_text("f;m\n" + "".join(f"Beneficiaire {i};{i},{i % 100:02d}\n"
                                       for i in range(rows)), encoding="utf-8")
    return path


def _scdl_copies(path, copies):
    """The valid SCDL example's records ``copies`` times: a listing of thousands of findings."""
    from pathlib import Path
    lines = (Path(__file__).parent / "data" / "scdl" /
             "scdl-subventions-exemple-valide.csv").read_text(encoding="utf-8").splitlines()
    path.write_text("\n".join([lines[0]] + lines[1:] * copies) + "\n", encoding="utf-8")
    return path


@pytest.mark.parametrize("verb", [
    lambda t: ["aggregate", str(_records(t / "g.csv", 30000)), "--amount", "m", "--by", "f"],
    lambda t: ["aggregate", str(_records(t / "g.csv", 30000)), "--amount", "m", "--by", "f",
               "--lang", "en"],
    lambda t: ["aggregate", str(_records(t / "g.csv", 30000)), "--amount", "m", "--by", "f",
               "--to", "csv"],
    # a listing of a few KiB per file: 300 files, each said on its own
    lambda t: ["validate", *[str(_scdl_copies(t / "s.csv", 30))] * 300],
    lambda t: ["validate", *[str(_scdl_copies(t / "s.csv", 30))] * 300, "--lang", "fr"],
    lambda t: ["validate", str(_scdl_copies(t / "s.csv", 3000)), "--format", "json"],
])
def test_a_reader_leaving_exits_141_quietly(tmp_path, verb):
    """`essconv ... | head -1`: the reader leaves after a line. Exit 1 said "validate found an
    error finding" to the script; one write of megabytes (`--to csv`) cut short exited 0; the
    status is 141 (128 + SIGPIPE, as a shell gives), with nothing on stderr."""
    import subprocess
    import sys
    proc = subprocess.Popen([sys.executable, "-m", "essconv", *verb(tmp_path)],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    assert proc.stdout.readline()   # the line `head -1` keeps, then the reader goes
    proc.stdout.close()
    err = proc.stderr.read()
    proc.stderr.close()
    assert proc.wait(timeout=300) == 141, err
    assert err == b"", err   # no traceback, no "Exception ignored ... BrokenPipeError"


def test_a_whole_listing_read_keeps_its_status(tmp_path):
    """The reader that reads to the end sees the whole output and the status the README says
    (0 done, 1 an error finding): the pieces written add up to the text."""
    import subprocess
    import sys
    grants = _records(tmp_path / "g.csv", 30000)
    proc = subprocess.run([sys.executable, "-m", "essconv", "aggregate", str(grants), "--amount",
                           "m", "--by", "f", "--to", "csv"], capture_output=True, timeout=300)
    assert proc.returncode == 0, proc.stderr
    ledger = essconv.Ledger.read_csv(grants, amount="m")
    assert proc.stdout.decode("utf-8") == ledger.group_by("f").sum().to_csv(lang="fr")
    scdl = _scdl_copies(tmp_path / "s.csv", 3000)
    proc = subprocess.run([sys.executable, "-m", "essconv", "validate", str(scdl)],
                          capture_output=True, timeout=300)
    assert proc.returncode == 1 and proc.stderr == b""
    report = essconv.scdl.validate_scdl(str(scdl))
    assert proc.stdout.decode("utf-8") == report.summary(lang="en") + "\n"


@pytest.mark.parametrize("verb, lang, said", [
    (["validate", "-"], [], "-: standard input closed"),
    (["validate", "-"], ["--lang", "fr"], "-: entrée standard fermée"),
    (["aggregate", "-", "--by", "f", "--amount", "m"], [], "essconv: -: entrée standard fermée"),
    (["aggregate", "-", "--by", "f", "--amount", "m"], ["--lang", "en"],
     "essconv: -: standard input closed"),
    (["convert", "-", "--to", "csv"], [], "essconv: -: entrée standard fermée"),
    (["report", "--grants", "-"], [], "essconv: -: entrée standard fermée"),
])
def test_a_closed_standard_input_is_said_not_a_traceback(verb, lang, said):
    """`essconv validate - <&-` (a cron job with no input) crashed with a traceback
    ('NoneType' object has no attribute 'buffer') and exit 1, the status of an error finding."""
    import subprocess
    import sys
    proc = subprocess.run(["sh", "-c", 'exec "$0" -m essconv "$@" <&-', sys.executable,
                           *verb, *lang], capture_output=True, timeout=120)
    err = plain(proc.stderr.decode())
    assert proc.returncode == 2 and said in err and "Traceback" not in err, err


def test_report_reads_its_grants_from_standard_input_as_every_file_argument():
    """FILE "-" is standard input (README); `report --grants -` said "- : fichier ou dossier
    introuvable".  The report of the bytes piped equals the report of the file."""
    import subprocess
    import sys
    from pathlib import Path
    scdl = Path(__file__).parent / "data" / "scdl" / "scdl-subventions-exemple-valide.csv"
    piped = subprocess.run([sys.executable, "-m", "essconv", "report", "--grants", "-"],
                           input=scdl.read_bytes(), capture_output=True, timeout=120)
    named = subprocess.run([sys.executable, "-m", "essconv", "report", "--grants", str(scdl)],
                           capture_output=True, timeout=120)
    assert piped.returncode == named.returncode == 0, piped.stderr
    assert piped.stdout == named.stdout and "2 821 393,50" in plain(piped.stdout.decode())


@pytest.mark.parametrize("to", ["csv", "tsv", "json"])
def test_convert_of_a_grant_file_says_what_to_run_instead(capsys, to):
    """`convert subventions.csv` read the SCDL file as a plan: "the table's structure is broken
    (262 problems)" then every cell of every record "is not an amount", and no word of
    `aggregate`.  It is refused in one line, in the output's language, naming the command."""
    from pathlib import Path
    scdl = str(Path(__file__).parent / "data" / "scdl" / "scdl-subventions-exemple-valide.csv")
    with pytest.raises(SystemExit) as stopped:
        main(["convert", scdl, "--to", to])
    assert stopped.value.code == 2
    out, err = capsys.readouterr()
    assert out == "" and len(err.strip().splitlines()) == 1, err
    assert "fichier de subventions SCDL" in err and f"essconv aggregate {scdl} --by" in err
    with pytest.raises(SystemExit) as stopped:
        main(["convert", scdl, "--to", to, "--lang", "en"])
    assert stopped.value.code == 2
    err = capsys.readouterr().err
    assert "is an SCDL grant file" in err and "n'est pas un montant" not in err


def test_convert_of_a_plan_still_writes_it(tmp_path, capsys):
    path = tmp_path / "p.tsv"
    path.write_text("en k€\tA\tTotal\nx\t10\t10\nTotal\t10\t10\n", encoding="utf-8")
    assert main(["convert", str(path), "--to", "csv"]) == 0
    assert capsys.readouterr().out.splitlines() == ["en k€;A;Total", "x;10;10", "Total;10;10"]


def test_validate_refuses_an_overflowing_plan_and_goes_on_to_the_next_file(tmp_path, capsys):
    """A plan whose sums pass int64 cents stopped `validate` at its own check: the files named
    after it were never validated, and `--format json` wrote no listing at all."""
    import json
    big = tmp_path / "big.tsv"
    big.write_text("en €\tCR\tCDC\tTotal\nl1\t46116860184273879,04\t46116860184273879,04\t\n"
                   "Total\t\t\t\n", encoding="utf-8")
    good = tmp_path / "good.tsv"
    good.write_text("en €\tCR\tTotal\nl1\t5\t5\nTotal\t5\t5\n", encoding="utf-8")
    assert main(["validate", str(big), str(good), "--lang", "fr"]) == 2
    out, err = capsys.readouterr()
    assert plain(out).splitlines() == [f"{good} : ok (0 erreur, 0 avertissement, 0 suggestion)"]
    assert plain(err).startswith(f"{big}:2:4: les sommes du plan dépassent ce qu'un montant")
    assert "int64" not in err and "overflow" not in err
    assert main(["validate", str(big), str(good), "--format", "json"]) == 2
    listing = json.loads(capsys.readouterr().out)
    assert [entry["file"] for entry in listing] == [str(big), str(good)]
    assert listing[0]["error"].startswith(f"{big}:2:4: the plan's sums overflow")
    assert listing[1] == {"file": str(good), "ok": True, "findings": []}


# another kind of file named .csv (its first bytes, then a NUL no text has), what to do instead
# as each language says it; the English is the core's
_NOT_TEXT_FILES = [
    (b"PK\x03\x04\x14\x00", "ce n'est pas un fichier texte mais un fichier zip (un classeur Excel "
     ".xlsx en est un) : enregistrez la feuille en CSV", "this is not a text file but a zip file"),
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1\x00", "ce n'est pas un fichier texte mais un ancien "
     "classeur Excel .xls : enregistrez la feuille en CSV",
     "this is not a text file but an old Excel .xls workbook"),
    (b"\x1f\x8b\x08\x00", "ce n'est pas un fichier texte mais un fichier compressé par gzip : "
     "nommez-le .gz (grants.csv.gz) et il est lu comme son contenu",
     "this is not a text file but gzip-compressed: name it .gz"),
    (b"BZh91AY&SY\x00", "ce n'est pas un fichier texte mais un fichier compressé par bzip2 : "
     "nommez-le .bz2", "this is not a text file but bzip2-compressed: name it .bz2"),
    (b"\xfd7zXZ\x00\x00", "ce n'est pas un fichier texte mais un fichier compressé par xz : "
     "nommez-le .xz", "this is not a text file but xz-compressed: name it .xz"),
    (b"%PDF-1.4\n%\x00", "ce n'est pas un fichier texte mais un document PDF, pas du texte CSV",
     "this is not a text file but a PDF document"),
]


@pytest.mark.parametrize("content, french, english", _NOT_TEXT_FILES)
def test_another_kind_of_file_is_refused_in_the_outputs_language(tmp_path, capsys, content,
                                                                 french, english):
    """A workbook, a compressed file or a PDF named .csv: "this is not a text file but a zip
    file…" was English in the French CLI, for a ledger as for a plan."""
    path = tmp_path / "l.csv"
    path.write_bytes(content + b"f;m\nA;1\n")
    # a plan's reader opens a zip as the workbook it may be (test_unusable_xlsx)
    workbook = content.startswith(b"PK")
    for command in ([["aggregate", str(path), "--by", "f", "--amount", "m"]]
                    + [["convert", str(path), "--to", "csv"]] * (not workbook)):
        assert main(command) == 2
        err = plain(capsys.readouterr().err)
        assert f"{path}:1:1: {french}" in err and "not a text file" not in err, err
        assert main(command + ["--lang", "en"]) == 2
        assert f"{path}:1:1: {english}" in capsys.readouterr().err
    if not workbook:
        assert main(["validate", str(path), "--lang", "fr"]) == 2
        assert french in plain(capsys.readouterr().err)
    with pytest.raises(essconv.ParseError) as caught:   # the API: English, its kind for a listing
        essconv.Ledger.read_csv(path, amount="m")
    assert str(caught.value).startswith(f"{path}:1:1: {english}")
    assert caught.value.reason[0] == "not-text-file"


_WEB_PAGES = [
    (b'<html xmlns:o="urn:schemas-microsoft-com:office:office">\n<head>\n', "html",
     "ce n'est pas du texte CSV mais une page web (HTML) : ouvrez-la dans Excel et "
     "enregistrez-la à nouveau au format « CSV (séparateur : point-virgule) »",
     "this is not CSV text but a web page (HTML): open it in Excel and save it again as "
     "'CSV (semicolon delimited)'"),
    (b"\xef\xbb\xbf  <!DOCTYPE HTML PUBLIC>\n<html><body><table>\n", "html",
     "ce n'est pas du texte CSV mais une page web (HTML)", "this is not CSV text but a web page"),
    (b'<?xml version="1.0"?>\n<?mso-application progid="Excel.Sheet"?>\n<Workbook xmlns='
     b'"urn:schemas-microsoft-com:office:spreadsheet">\n', "xml",
     "ce n'est pas du texte CSV mais un document XML (le format « Feuille de calcul XML 2003 » "
     "d'Excel en est un) : ouvrez-le dans Excel et enregistrez-le à nouveau au format « CSV",
     "this is not CSV text but an XML document (Excel's 'XML Spreadsheet 2003' is one)"),
]


@pytest.mark.parametrize("content, kind, french, english", _WEB_PAGES)
def test_a_web_page_saved_as_csv_is_refused_as_one(tmp_path, capsys, content, kind, french,
                                                   english):
    """A sheet saved from Excel as « Page Web » (or XML 2003) and named .csv was refused with
    "the header has no column 'm'; its columns: '<html ...>'": now said to be a web page,
    with how to get a CSV, by every reader, in the output's language."""
    path = tmp_path / "l.csv"
    path.write_bytes(content + b"f;m\nA;1\n")
    for command in (["aggregate", str(path), "--by", "f", "--amount", "m"],
                    ["convert", str(path), "--to", "csv"], ["validate", str(path)]):
        assert main(command + ["--lang", "fr"]) == 2
        err = plain(capsys.readouterr().err)
        assert f"{path}:1:1: {french}" in err and "colonne" not in err.split(french)[0], err
        assert main(command + ["--lang", "en"]) == 2
        assert f"{path}:1:1: {english}" in capsys.readouterr().err
    for read in (lambda: essconv.Ledger.read_csv(path, amount="m"),
                 lambda: essconv.Ledger.read_csv(path.read_bytes(), amount="m", threads=1),
                 lambda: essconv.read_plan(path), lambda: essconv.read_scdl(path)):
        with pytest.raises(essconv.Error) as caught:
            read()
        assert english in str(caught.value) and caught.value.reason == ("not-text-file", kind)


@pytest.mark.parametrize("lang", ["fr", "en"])
@pytest.mark.parametrize("label", ["A", "L'Ami du quartier"])
def test_a_group_sum_past_int64_cents_suggests_the_commands_options(tmp_path, capsys, lang,
                                                                    label):
    """`essconv aggregate` refused a group whose sum overflows with the Python API's calls
    ("sum() needs it ... group_by(...).count(), .min(), .max()") in English, and with no way
    forward in French: it suggests its own --where, which run as written list the group's
    records alone (still past the limit) and the other groups (their sums by hand)."""
    import shlex
    from decimal import Decimal
    rows = [(label, "92233720368547758,07"), (label, "1"), ("B", "5"), ("B", "2,50"), ("C", "-3")]
    path = tmp_path / "g.csv"
    path.write_text("f;m\n" + "".join(f"{f};{m}\n" for f, m in rows), encoding="utf-8")
    command = ["aggregate", str(path), "--amount", "m", "--by", "f", "--lang", lang]
    assert main(command) == 2
    err = plain(capsys.readouterr().err)
    assert "group_by(" not in err and "sum()" not in err and ".count()" not in err, err
    suggested = re.findall(r"--where ('(?:[^']|'\\'')*')", err)
    assert len(suggested) == 2, err
    keep, leave = (shlex.split(s)[0] for s in suggested)
    assert keep == f"f={label}" and leave == f"f!={label}", err
    # the group's records alone: still its sum, refused again
    assert main(command + ["--where", keep]) == 2
    capsys.readouterr()
    # the other groups, their sums by hand (B: 5 + 2,50; C: -3)
    assert main(command + ["--where", leave, "--to", "csv"]) == 0
    out = capsys.readouterr().out.splitlines()[1:]
    twin = {}
    for f, m in rows:
        if f != label:
            twin[f] = twin.get(f, Decimal(0)) + Decimal(m.replace(",", "."))
    sep = ";" if lang == "fr" else ","
    got = {line.split(sep)[0]: Decimal(line.split(sep)[1].replace(",", ".")) for line in out}
    assert got == twin, out
