"""A convention file (TOML) an analyst writes, refused by the CLI in the output's language:
the file, the TOML key path (and the line where tomllib gives one), the reason worded in
French by default, in English with --lang en; the exception itself stays English."""
from __future__ import annotations

import tomllib
from decimal import Decimal

import pytest

import essconv
from essconv.cli import main

NB = {"\u00a0": " ", "\u202f": " "}

CONVENTION = """\
[convention]
title = "Convention-cadre ESS Bretagne 2020-2022"
territory = "Bretagne"
start = 2020-01-01
end = 2022-12-31

[[parties]]
code = "ETAT"
name = "L'Etat"
kind = "state"
signatory = true

[[parties]]
code = "CR"
name = "Conseil régional de Bretagne"
kind = "region"
signatory = true

[[commitments]]
party = "CR"
text = ["Soutenir l'amorçage"]

[[plans]]
year = 2021
unit = "k€"
table = \"\"\"
Axe	Ligne	ETAT	CR	Total
Création	Amorçage	10	20,5	30,5
Total		10	20,5	30,5
\"\"\"
"""


def plain(text: str) -> str:
    for k, v in NB.items():
        text = text.replace(k, v)
    return text


def edited(old: str, new: str) -> str:
    assert old in CONVENTION
    return CONVENTION.replace(old, new, 1)


@pytest.mark.parametrize("text, place, french, english", [
    ('[convention]\ntitle = "x"\n', "[convention.territory]", "la clé « territory » manque",
     "the key 'territory' is missing"),
    (edited("start = 2020-01-01", 'start = "2020-01-01"'), "[convention.start]",
     "attendu : une date (AAAA-MM-JJ, sans guillemets) ; trouvé : le texte '2020-01-01'",
     "expected a date (YYYY-MM-DD, unquoted), found str '2020-01-01'"),
    (edited('unit = "k€"', 'units = "k€"'), "[plans[0].units]",
     "clé inconnue « units » dans [plans[0]] : vouliez-vous dire « unit » ?",
     "unknown key 'units' in [plans[0]]: did you mean 'unit'?"),
    (edited("year = 2021", "year = 2024"), "[plans[0].year]",
     "2024 est hors de la durée de la convention (2020–2022)",
     "2024 is outside the term 2020–2022"),
    (edited('code = "CR"', 'code = "ETAT"').replace('party = "CR"', 'party = "ETAT"'),
     "[parties[1].code]",
     "le code de partie « ETAT » est donné deux fois", "the party code 'ETAT' is given twice"),
    (edited('party = "CR"', 'party = "CG"'), "[commitments[0].party]",
     "« CG » n'est pas une partie de la convention", "'CG' is not a party of the convention"),
    (edited("[convention]", "[convention"), ":1:12:",
     "ce n'est pas du TOML valide (message du lecteur tomllib : « Expected ']' at the end of a "
     "table declaration »)", "not valid TOML: Expected ']'"),
    ('[convention]\ntitle = """x\n', ":3:1:", "ce n'est pas du TOML valide (message du lecteur "
     "tomllib : « Unterminated string »)", "not valid TOML: Unterminated string (at end of "
     "document)"),
    ("[convention]\nx = " + "[" * 2000 + "]" * 2000 + "\n", "[x]",
     "des valeurs imbriquées sur plus de 100 niveaux (depuis la ligne 2)",
     "values nested more than 100 deep (from line 2)"),
    (edited('kind = "region"', 'kind = "région"'), "[parties[1].kind]",
     "« région » n'est pas l'une des valeurs possibles (state,",
     "kind 'région' is not one of state,"),
])
def test_a_convention_file_refused_is_said_in_the_outputs_language(tmp_path, capsys, text,
                                                                   place, french, english):
    """`essconv report --convention mine.toml` said "the key 'territory' is missing" and "not
    valid TOML: ..." in English in the French CLI."""
    path = tmp_path / "mine.toml"
    path.write_text(text, encoding="utf-8")
    assert main(["report", "--convention", str(path)]) == 2
    err = plain(capsys.readouterr().err)
    assert f"{path}" in err and place in err and french in err, err
    assert "the key" not in err and "expected " not in err and "unknown key" not in err, err
    assert main(["report", "--convention", str(path), "--lang", "en"]) == 2
    err = capsys.readouterr().err
    assert place in err and english in err, err
    with pytest.raises(essconv.DescriptionError) as refused:   # the API speaks English
        essconv.load(path)
    assert english in str(refused.value) and place in str(refused.value)


def test_a_convention_file_in_cp1252_is_refused_at_its_line_in_french(tmp_path, capsys):
    """An Excel/Notepad 'ANSI' file: the byte, the line and the column, in French."""
    path = tmp_path / "mine.toml"
    path.write_bytes(CONVENTION.encode("cp1252"))
    assert main(["report", "--convention", str(path)]) == 2
    err = plain(capsys.readouterr().err)
    assert f"{path}:15:18:" in err and "l'octet 0xE9 n'est pas de l'UTF-8" in err, err


def test_a_convention_file_with_a_utf8_bom_is_read_as_without(tmp_path, capsys):
    """A UTF-8 byte order mark (Notepad's "UTF-8 with BOM") was refused at 1:1 as "Invalid
    statement": the file is read as the same file without it."""
    plain_file, bom_file = tmp_path / "plain.toml", tmp_path / "bom.toml"
    plain_file.write_text(CONVENTION, encoding="utf-8")
    bom_file.write_bytes(b"\xef\xbb\xbf" + CONVENTION.encode("utf-8"))
    conv = essconv.load(bom_file)
    assert conv.title == "Convention-cadre ESS Bretagne 2020-2022"
    assert conv.plan(2021).total() == essconv.load(plain_file).plan(2021).total()
    assert conv.plan(2021).total() == Decimal("30.5")
    assert main(["report", "--convention", str(bom_file)]) == 0
    assert "Convention-cadre ESS Bretagne 2020-2022" in capsys.readouterr().out


@pytest.mark.parametrize("extra, old, new, place, french", [
    ("", 'kind = "state"\n', 'kind = "state"\nsirets = ["110 002 011 00011"]\n',
     "[parties[0].sirets[0]]", "le SIRET « 110 002 011 00011 » échoue à la clé de contrôle"),
    ('\n[[axes]]\nnumber = 1\ntitle = "a"\n\n[[axes]]\nnumber = 1\ntitle = "b"\n', "", "",
     "[axes[1].number]", "l'axe 1 est déjà axes[0]"),
    ('\n[[milestones]]\ndate = 2021-06-30\nprecision = "year"\nlabel = "x"\n', "", "",
     "[milestones[0].date]", "une date de précision 'year' s'écrit au premier jour de la période "
     "(01/01/2021)"),
    ('\n[[bodies]]\nname = "Comité"\nmeetings_per_year = -3\n', "", "",
     "[bodies[0].meetings_per_year]", "« Comité » se réunit -3 fois par an : attendu de 0 à 366"),
    ("", 'unit = "k€"', 'unit = "kilo"', "[plans[0].unit]", "l'unité « kilo » est inconnue"),
    ('\n[[iae]]\nparty = "CR"\ntext = "t"\namounts = [{ label = "l", amount = "3,5 Mds" }]\n', "",
     "", "[iae[0].amounts[0].amount]", "« 3,5 Mds » n'est pas un montant lisible"),
    ("", 'text = ["Soutenir', 'source = { page = 3 }\ntext = ["Soutenir',
     "[commitments[0].source]", "clé inconnue page : une source a article, quote"),
    # counts in their number, never "clé(s)", "élément(s)"
    ("", 'text = ["Soutenir', 'source = { page = 3, ligne = 4 }\ntext = ["Soutenir',
     "[commitments[0].source]", "clés inconnues ligne, page : une source a article, quote"),
    ('\n[[bodies]]\nname = "Comité"\nmembers = ["CR", "ETAT"]\nmembers_en = ["CR"]\n', "", "",
     "[bodies[0].members_en]",
     "'members_en' a 1 élément pour les 2 de 'members' : un texte anglais pour chacun"),
    ('\n[[bodies]]\nname = "Comité"\nmembers = ["CR"]\nmembers_en = ["CR", "ETAT"]\n', "", "",
     "[bodies[0].members_en]",
     "'members_en' a 2 éléments pour les 1 de 'members' : un texte anglais pour chacun"),
    ('\n[[bodies]]\nname = "Comité des financeurs"\nmeetings_per_year = 3\n\n[secretariat]\n'
     'holder = "CR"\nof = ["Comite des financeur"]\n', "", "", "[secretariat.of[0]]",
     "« Comite des financeur » n'est pas une instance de la convention : vouliez-vous dire "
     "« Comité des financeurs » ?"),
    ("", 'code = "CR"\n', 'code = ""\n', "[parties[1].code]", "une partie demande un code"),
    ('\n[relabel.nomBeneficiaire]\n"Asso A" = "  "\n', "", "", "[relabel.nomBeneficiaire.Asso A]",
     "« Asso A » devient un libellé vide"),
    ('\n[relabel.nomBeneficiaire]\n"A" = "B"\n"B" = "C"\n', "", "",
     "[relabel.nomBeneficiaire.A]", "« B » est un nouveau libellé, lui-même renommé en « C »"),
    ("", 'kind = "region"\n', 'kind = "region"\naliases = ["Etat"]\n', "[parties[1].aliases]",
     "l'alias « Etat » de « CR » est le code de « ETAT »"),
    ("", "end = 2022-12-31\n", "end = 2022-12-31\nmeetings_from = 2025-01-01\n",
     "[convention.meetings_from]", "les instances ne peuvent pas commencer à se réunir le "
     "01/01/2025, hors de la durée de la convention (01/01/2020–31/12/2022)"),
    ("", "end = 2022-12-31\n", "end = 2022-12-31\nduration_years = -1\n",
     "[convention.duration_years]", "une durée de -1 ans : attendu 1 ou plus"),
    ("", 'code = "CR"\n', 'code = " CR"\n', "[parties[1].code]",
     "le code de partie «  CR » est entouré d'espaces"),
    ("", 'table = """', 'file = "nope.tsv"\ntable2 = """', "[plans[0].file]",
     "le fichier de plan « "),
])
def test_what_a_convention_file_says_wrong_is_said_in_french(tmp_path, capsys, extra, old, new,
                                                             place, french):
    """A SIRET with a wrong digit, an axis numbered twice, a milestone dated finer than its
    precision, a body meeting -3 times a year, an unknown unit, an IAE amount unread, a source
    with an unknown key, a secretariat of a misspelt body, a plan file missing: English in the
    French CLI before."""
    path = tmp_path / "mine.toml"
    path.write_text((edited(old, new) if old else CONVENTION) + extra, encoding="utf-8")
    assert main(["report", "--convention", str(path)]) == 2
    err = plain(capsys.readouterr().err)
    assert place in err and french in err, err
    assert main(["report", "--convention", str(path), "--lang", "en"]) == 2
    assert french not in plain(capsys.readouterr().err)


def test_an_inline_plan_whose_tabs_became_spaces_is_refused_not_misread(tmp_path, capsys):
    """An editor that expands tabs left the inline table no delimiter: the reader took the ','
    of "20,5" for one and the report showed funders "5    30" and totals of 0."""
    path = tmp_path / "mine.toml"
    path.write_text(CONVENTION.replace("\t", "    "), encoding="utf-8")
    assert main(["report", "--convention", str(path)]) == 2
    captured = capsys.readouterr()
    assert captured.out == ""
    err = plain(captured.err)
    assert "[plans[0].table]" in err and "le tableau du plan n'a pas de tabulation" in err, err
    with pytest.raises(essconv.DescriptionError, match="no tab") as refused:
        essconv.load(path)
    assert refused.value.key == "plans[0].table"
    # the same table with ';' or tabs is read, and right
    path.write_text(CONVENTION.replace("\t", ";"), encoding="utf-8")
    assert essconv.load(path).plan(2021).total() == Decimal("30.5")


def test_a_signature_date_without_its_place_prints_no_none(tmp_path):
    """`signed_on` without `signed_at` (both optional) printed "Signée à None le 01/05/2020" in
    the report, the dashboard and the notebook's HTML."""
    from essconv.dashboard import render
    from essconv.display import convention_html
    from essconv.report import render_text
    path = tmp_path / "mine.toml"
    path.write_text(edited("end = 2022-12-31", "end = 2022-12-31\nsigned_on = 2020-05-01"),
                    encoding="utf-8")
    conv = essconv.load(path)
    outputs = {"fr": render_text(conv, lang="fr"), "en": render_text(conv, lang="en"),
               "html-fr": render(conv, lang="fr"), "html-en": render(conv, lang="en"),
               "notebook": convention_html(conv)}
    for name, text in outputs.items():
        assert "à None" not in text and "at None" not in text, name
    assert "Signée le 01/05/2020." in plain(outputs["fr"])
    assert "Signed on 2020-05-01." in outputs["en"]
    assert "signée le 01/05/2020" in outputs["notebook"]


def test_an_unsigned_convention_still_names_its_territory(tmp_path):
    """Without `signed_on` (optional) the text report printed the term alone: the territory,
    which the dashboard, the notebook's HTML and the JSON give, was left out in both languages."""
    import json
    from essconv.report import render_json, render_text
    path = tmp_path / "unsigned.toml"
    path.write_text(CONVENTION, encoding="utf-8")
    conv = essconv.load(path)
    assert conv.signed_on is None
    territory = json.loads(render_json(conv))["territory"]
    assert territory and territory == conv.territory
    for lang, word in (("fr", "Territoire"), ("en", "Territory")):
        head = plain(render_text(conv, lang=lang)).splitlines()[2]
        assert f"{word}{' :' if lang == 'fr' else ':'} {territory}." in head, head
        assert ("signée" if lang == "fr" else "signed") not in head.lower(), head


@pytest.mark.parametrize("start, end, french, english", [
    ("2020-03-15", "2023-03-14", "(3 ans)", "(3 years)"),      # four calendar years, three years
    ("2020-01-01", "2020-12-31", "(1 an)", "(1 year)"),
    ("2020-02-29", "2021-02-28", "(1 an)", "(1 year)"),         # from a leap day
    ("2020-01-01", "2020-06-30", "(6 mois)", "(6 months)"),
    ("2020-01-31", "2020-02-29", "(1 mois)", "(1 month)"),
    ("2020-01-01", "2020-01-10", "(10 jours)", "(10 days)"),
    ("2020-01-01", "2020-01-01", "(1 jour)", "(1 day)"),
])
def test_the_reports_term_length_is_the_terms_not_its_calendar_years(tmp_path, start, end,
                                                                       french, english):
    """The report said "(4 ans)" of a term from 15/03/2020 to 14/03/2023 (the calendar years it
    touches) and "(1 ans)" of a one-year term."""
    from essconv.report import render_text
    path = tmp_path / "term.toml"
    path.write_text(CONVENTION.replace("start = 2020-01-01", f"start = {start}")
                    .replace("end = 2022-12-31", f"end = {end}")
                    .replace("[[plans]]", "[[unused]]").split("[[unused]]")[0],
                    encoding="utf-8")
    conv = essconv.load(path)
    assert french in plain(render_text(conv, lang="fr")).splitlines()[2]
    assert english in render_text(conv, lang="en").splitlines()[2]


def test_a_term_of_whole_years_is_the_duration_check_accepts(tmp_path):
    """term_length() against the stated-duration check, a separate count: whenever the term is
    said to last n years, a description stating ``duration_years = n`` draws no finding, and
    n - 1 or n + 1 does."""
    import datetime as dt
    import random
    rng = random.Random(7)
    path = tmp_path / "years.toml"
    base = CONVENTION.replace("[[plans]]", "[[unused]]").split("[[unused]]")[0]
    for _ in range(40):
        start = dt.date(2019, 1, 1) + dt.timedelta(days=rng.randrange(1500))
        n = rng.randrange(1, 6)
        # the last day counted by hand: the day before the same date n years on (1 March
        # when that year has no 29 February)
        try:
            after = start.replace(year=start.year + n)
        except ValueError:
            after = dt.date(start.year + n, 3, 1)
        end = after - dt.timedelta(days=1)
        for stated, quiet in ((n, True), (n + 1, False)):
            path.write_text(base.replace("start = 2020-01-01", f"start = {start}")
                            .replace("end = 2022-12-31", f"end = {end}\nduration_years = {stated}"),
                            encoding="utf-8")
            conv = essconv.load(path)
            assert conv.term_length() == (n, "year"), (start, end)
            assert ("term-duration" not in conv.check().codes()) is quiet, (start, stated)


@pytest.mark.parametrize("lang, per_year, means", [
    ("fr", ("1 réunion par an", "2 réunions par an"), ("1 moyen d'action", "2 moyens d'action")),
    ("en", ("1 meeting a year", "2 meetings a year"), ("1 means of action", "2 means of action")),
])
def test_one_meeting_a_year_and_one_means_are_said_in_the_singular(tmp_path, lang, per_year, means):
    """A body meeting once a year was said to hold "1 réunions par an" / "1 meetings a year" in
    the report and the dashboard, an axis with one means "1 moyens d'action"."""
    import html
    import re
    from essconv.dashboard import render
    from essconv.report import render_text
    path = tmp_path / "once.toml"
    for count in (1, 2):
        body = "\n[[bodies]]\nname = \"Comité annuel\"\nmeetings_per_year = %d\n" % count
        axis = ("\n[[axes]]\nnumber = 9\ntitle = \"Axe unique\"\nmeans = [%s]\n"
                % ", ".join(['"Financer"', '"Accompagner"'][:count]))
        path.write_text(CONVENTION + body + axis, encoding="utf-8")
        conv = essconv.load(path)
        report = plain(render_text(conv, lang=lang))
        page = plain(html.unescape(re.sub("<[^>]+>", " ", render(conv, lang=lang))))
        assert f"Comité annuel{' : ' if lang == 'fr' else ': '}{per_year[count - 1]}" in report
        assert per_year[count - 1] in page
        assert f"9. Axe unique  ({means[count - 1]})" in report


@pytest.mark.parametrize("written, iso", [
    ("15 mars 2020", "2020-03-15"), ("1er décembre 2020", "2020-12-01"),
    ("29 FEVRIER 2020", "2020-02-29"), ("2 août  2021", "2021-08-02"),
    ("02/12/2020", "2020-12-02"), ("2020-03-15", "2020-03-15"),
])
def test_a_date_written_as_the_text_prints_it_is_refused_with_its_toml_form(tmp_path, capsys,
                                                                           written, iso):
    """`signed_on = "15 mars 2020"`, as the signed text prints it, was refused as any string:
    it is refused still (no guess is read), and the refusal says the line to write."""
    path = tmp_path / "spelled.toml"
    path.write_text(CONVENTION.replace("end = 2022-12-31",
                                       f'end = 2022-12-31\nsigned_on = "{written}"'),
                    encoding="utf-8")
    with pytest.raises(essconv.DescriptionError) as refused:
        essconv.load(path)
    assert refused.value.key == "convention.signed_on"
    assert f"write signed_on = {iso}" in str(refused.value) and str(path) in str(refused.value)
    assert main(["report", "--convention", str(path)]) == 2
    err = plain(capsys.readouterr().err)
    assert f"écrivez signed_on = {iso}" in err and "[convention.signed_on]" in err, err


@pytest.mark.parametrize("written", ["31 février 2020", "bientôt", "15 brumaire 2020", "2020"])
def test_a_string_that_is_no_date_gets_no_suggestion(tmp_path, written):
    path = tmp_path / "nodate.toml"
    path.write_text(CONVENTION.replace("end = 2022-12-31",
                                       f'end = 2022-12-31\nsigned_on = "{written}"'),
                    encoding="utf-8")
    with pytest.raises(essconv.DescriptionError, match="expected a date") as refused:
        essconv.load(path)
    assert "write" not in str(refused.value)


@pytest.mark.parametrize("second, english, french", [
    ("ETAT", "(parties[0] has it)", "(parties[0] l'a)"),
    ("etat", "(parties[0] has 'ETAT': codes compare ignoring case",
     "(parties[0] a « ETAT » : les codes se comparent sans la casse"),
    ("E.T-A_T", "(parties[0] has 'ETAT'", "(parties[0] a « ETAT »"),
])
def test_a_party_code_given_twice_names_the_entry_that_has_it(tmp_path, capsys, second,
                                                              english, french):
    """"the party code 'etat' is given twice" sent the analyst looking for a second "etat": the
    first is "ETAT", the same code by the rule of codes."""
    path = tmp_path / "twice.toml"
    path.write_text(CONVENTION + f'\n[[parties]]\ncode = "{second}"\nname = "Autre"\n'
                                 f'kind = "other"\n', encoding="utf-8")
    with pytest.raises(essconv.DescriptionError) as refused:
        essconv.load(path)
    message = str(refused.value)
    assert f"the party code '{second}' is given twice {english}" in message, message
    index = len(tomllib.loads(CONVENTION)["parties"])
    assert refused.value.key == f"parties[{index}].code"
    assert main(["report", "--convention", str(path)]) == 2
    err = plain(capsys.readouterr().err)
    assert f"le code de partie « {second} » est donné deux fois {french}" in err, err


@pytest.mark.parametrize("extra, old, new, key, line, french, english", [
    ('\n[[axes]]\nnumber = 0\ntitle = "Axe zéro"\n', "", "", "axes[0].number", 33,
     "l'axe 0 : attendu un numéro de 1 ou plus", "axis 0: expected a number of 1 or more"),
    ('\n[[axes]]\nnumber = -2\ntitle = "Axe"\n', "", "", "axes[0].number", 33,
     "l'axe -2 : attendu un numéro de 1 ou plus", "axis -2: expected a number of 1 or more"),
    ('\n[[axes]]\nnumber = 1\ntitle = "  "\n', "", "", "axes[0].title", 34,
     "le titre (title) est vide", "the title is blank"),
    ("", 'title = "Convention-cadre ESS Bretagne 2020-2022"', 'title = ""', "convention.title",
     2, "le titre (title) est vide", "the title is blank"),
    ('\n[[bodies]]\nname = " "\nmeetings_per_year = 2\n', "", "", "bodies[0].name", 33,
     "le nom (name) est vide", "the name is blank"),
    ("", 'name = "L\'Etat"', 'name = "\t"', "parties[0].name", 9,
     "le nom (name) est vide", "the name is blank"),    ("", 'territory = "Bretagne"', 'territory = " "', "convention.territory", 3,
     "le territoire (territory) est vide", "the territory is blank"),
    ('\n[[bodies]]\nname = "Comité"\nshort_name = " "\nmeetings_per_year = 4\n', "", "",
     "bodies[0].short_name", 34, "le nom court (short_name) est vide", "the short name is blank"),
    ('\n[[milestones]]\ndate = 2021-01-01\nlabel = ""\n', "", "", "milestones[0].label", 34,
     "l'intitulé (label) est vide", "the label is blank"),
])
def test_a_blank_title_or_an_axis_numbered_below_one_is_refused_at_its_key(
        tmp_path, capsys, extra, old, new, key, line, french, english):
    """An axis numbered 0 or -2 and a convention, axis, body or party with a blank title were
    accepted: the report printed « Axe 0 » and titles of nothing.  Each is refused at its
    file:line:column and key, in French by default and in English on request."""
    path = tmp_path / "mine.toml"
    text = (edited(old, new) if old else CONVENTION) + extra
    path.write_text(text, encoding="utf-8")
    # the place counted by hand: the line given, the column where the key starts in it
    column = text.split("\n")[line - 1].index(key.rsplit(".", 1)[1]) + 1
    where = f"{path}:{line}:{column} [{key}]:"
    assert main(["report", "--convention", str(path)]) == 2
    err = plain(capsys.readouterr().err)
    assert where in err and f"[{key}]" in err and french in err, err
    assert main(["report", "--convention", str(path), "--lang", "en"]) == 2
    err = capsys.readouterr().err
    assert where in err and english in err and french not in err, err
    with pytest.raises(essconv.DescriptionError) as refused:
        essconv.load(path)
    assert refused.value.key == key and (refused.value.line, refused.value.column) == (line, column)


@pytest.mark.parametrize("stated, french, english", [
    (1, "une durée de 1 an,", "a duration of 1 year,"),
    (2, "une durée de 2 ans,", "a duration of 2 years,"),
])
def test_a_stated_duration_of_one_year_is_said_in_the_singular(tmp_path, stated, french,
                                                                english):
    """A term stated as one year that its dates do not span was said « une durée de 1 ans » /
    "a duration of 1 years" by check() and the report."""
    from essconv.report import render_text
    path = tmp_path / "one.toml"
    # a term of three years (2020-2022), stated as one or two: never the dates' span
    path.write_text(edited("end = 2022-12-31\n", f"end = 2022-12-31\nduration_years = {stated}\n"),
                    encoding="utf-8")
    conv = essconv.load(path)
    assert conv.check().codes() == ["term-duration"]
    assert english in conv.check().findings[0].message
    assert french in plain(render_text(conv)) and english in render_text(conv, lang="en")


@pytest.mark.parametrize("lang, said", [
    ("fr", "« comité de suivi » qu'il ne définit jamais (il ne définit aucune instance)."),
    ("en", "'comité de suivi' that it never defines (it defines no body)."),
])
def test_a_body_referred_to_in_a_convention_of_no_body_is_said_so(tmp_path, lang, said):
    """check() said « (ses instances : ) » / "(its bodies: )", a list of nothing, when the
    description defines no body at all."""
    path = tmp_path / "nobody.toml"
    path.write_text(CONVENTION + '\n[[referred_bodies]]\nname = "comité de suivi"\n',
                    encoding="utf-8")
    conv = essconv.load(path)
    assert conv.bodies == ()
    found = [f for f in conv.check(lang) if f.code == "undefined-body"]
    assert len(found) == 1 and said in plain(found[0].message), found
    # with a body, the list of them as before
    path.write_text(CONVENTION + '\n[[referred_bodies]]\nname = "comité de suivi"\n'
                    '\n[[bodies]]\nname = "Comité des financeurs"\nmeetings_per_year = 2\n',
                    encoding="utf-8")
    listed = [f for f in essconv.load(path).check(lang) if f.code == "undefined-body"]
    assert "Comité des financeurs)" in listed[0].message


@pytest.mark.parametrize("old, new, place, near, wanted", [
    ('title = "Convention', 'titel = "Convention', ":2:1 [convention.titel]", "titel", "title"),
    ('kind = "region"', 'knid = "region"', ":16:1 [parties[1].knid]", "knid", "kind"),
    ("year = 2021", "yaer = 2021", ":24:1 [plans[0].yaer]", "yaer", "year"),
])
def test_a_required_key_misspelt_is_named_where_written_not_said_missing(tmp_path, capsys, old,
                                                                         new, place, near,
                                                                         wanted):
    """`meeting_per_year = 6` for `meetings_per_year`: the refusal said the key was missing,
    with no line, and never named the misspelt key that stood in the file."""
    path = tmp_path / "mine.toml"
    text = edited(old, new)
    path.write_text(text, encoding="utf-8")
    line = int(place.split(":")[1])
    assert text.splitlines()[line - 1].startswith(near + " = ")   # the place is the typo's
    assert main(["report", "--convention", str(path)]) == 2
    err = plain(capsys.readouterr().err)
    assert f"{path}{place}" in err, err
    assert f"clé inconnue « {near} »" in err and f"vouliez-vous dire « {wanted} » ?" in err, err
    assert "manque" not in err, err
    with pytest.raises(essconv.DescriptionError) as refused:
        essconv.load(path)
    assert refused.value.key.endswith(near) and refused.value.line == line
    assert f"did you mean {wanted!r}?" in str(refused.value)


@pytest.mark.parametrize("extra, old, new, missing", [
    ("", 'kind = "region"', 'colour = "region"', "kind"),
    ('\n[key_figures]\nestablishments = 10\nestablishments_share_percent = "1"\njobs = 5\n'
     'jobs_share_percent = "2"\njobs_share_of = "des emplois"\n', "", "", "jobs_year"),
    ('\n[[bodies]]\nname_en = "Steering committee"\nmeetings_per_year = 2\n', "", "", "name"),
])
def test_a_required_key_missing_with_no_near_spelling_is_still_said_missing(tmp_path, extra,
                                                                            old, new, missing):
    """The near-miss reading needs a close spelling, not the key's own English variant nor
    another key of the table not read yet: an unrelated key, `name_en` or `jobs_share_of`
    beside a missing one leaves the refusal "missing"."""
    path = tmp_path / "mine.toml"
    path.write_text((edited(old, new) if old else CONVENTION) + extra, encoding="utf-8")
    with pytest.raises(essconv.DescriptionError, match=f"the key '{missing}' is missing"):
        essconv.load(path)


@pytest.mark.parametrize("old, new, place, french, english", [
    ('territory = "Bretagne"\n', 'territory = "Bretagne"\ntitle = "Autre"\n', ":4:1 [title]",
     "la clé « title » est donnée deux fois dans [convention] (la première fois ligne 2) : "
     "n'en gardez qu'une",
     "the key 'title' is given twice in [convention] (first at line 2): keep one of them"),
    ('kind = "region"\n', 'kind = "region"\ncode = "CRB"\n', ":17:1 [code]",
     "la clé « code » est donnée deux fois dans [[parties]] (la première fois ligne 14)",
     "the key 'code' is given twice in [[parties]] (first at line 14)"),
    ("[[commitments]]", '[convention]\nsigned_at = "Rennes"\n\n[[commitments]]', ":19:1 [convention]",
     "la table [convention] est déclarée deux fois (la première fois ligne 1) : écrivez ses "
     "clés sous un seul [convention]",
     "the table [convention] is declared twice (first at line 1): write its keys under one "
     "[convention]"),
])
def test_a_key_or_table_given_twice_is_named_with_both_lines(tmp_path, capsys, old, new, place,
                                                             french, english):
    """A key pasted twice said only tomllib's "Cannot overwrite a value", placed past the
    value, naming neither the key nor where it was first given."""
    path = tmp_path / "mine.toml"
    text = edited(old, new)
    with pytest.raises(tomllib.TOMLDecodeError):   # the twin: TOML itself refuses it
        tomllib.loads(text)
    path.write_text(text, encoding="utf-8")
    line = int(place.split(":")[1])
    name = place.split("[")[-1].rstrip("]")
    assert text.splitlines()[line - 1].lstrip("[").startswith(name)
    assert main(["report", "--convention", str(path)]) == 2
    err = plain(capsys.readouterr().err)
    assert f"{path}{place}: {french}" in err, err
    assert main(["report", "--convention", str(path), "--lang", "en"]) == 2
    assert f"{path}{place}: {english}" in capsys.readouterr().err
    with pytest.raises(essconv.DescriptionError) as refused:
        essconv.load(path)
    assert refused.value.line == line and refused.value.column == 1


@pytest.mark.parametrize("literal", ["12.5", "12", "1_250_000.50", "1.5e6"])
def test_an_amount_written_as_a_toml_number_is_refused_with_its_quoted_form(tmp_path, capsys,
                                                                            literal):
    """`amount = 12.5` said "expected a string" and nothing of what to write; the refusal
    now gives the quoted amount, from the number as the file writes it (never the float
    tomllib made of it), and that suggestion, once written, reads as the literal's value."""
    iae = '\n[[iae]]\nparty = "CR"\ntext = "t"\namounts = [{{ label = "l", amount = {} }}]\n'
    path = tmp_path / "mine.toml"
    path.write_text(CONVENTION + iae.format(literal), encoding="utf-8")
    assert main(["report", "--convention", str(path)]) == 2
    err = plain(capsys.readouterr().err)
    lines = (CONVENTION + iae.format(literal)).splitlines()
    line = lines.index(f'amounts = [{{ label = "l", amount = {literal} }}]') + 1
    column = lines[line - 1].index("amount =") + 1
    assert f"{path}:{line}:{column} [iae[0].amounts[0].amount]" in err, err
    said = err.split('écrivez amount = "')[1].split('"')[0]
    assert "attendu : un montant entre guillemets avec son unité" in err, err
    assert main(["report", "--convention", str(path), "--lang", "en"]) == 2
    assert f'write amount = "{said}"' in capsys.readouterr().err
    # the twin: the literal read exactly by Decimal, and the suggestion written back
    path.write_text(CONVENTION + iae.format(f'"{said}"'), encoding="utf-8")
    (amount,) = essconv.load(path).iae[0].amounts
    assert amount.amount == Decimal(literal.replace("_", ""))


def _iae_amount(literal: str) -> str:
    """An [[iae]] item whose one amount is written ``amount = <literal>``."""
    return ('\n[[iae]]\nparty = "CR"\ntext = "t"\n'
            f'amounts = [{{ label = "l", amount = {literal} }}]\n')


def _write_amount(tmp_path, written):
    """The description with one IAE amount written as given, and where a refusal of it is said
    (file:line:column [key])."""
    text = CONVENTION + _iae_amount(f'"{written}"')
    path = tmp_path / "mine.toml"
    path.write_text(text, encoding="utf-8")
    lines = text.splitlines()
    line = lines.index(f'amounts = [{{ label = "l", amount = "{written}" }}]') + 1
    return path, (f"{path}:{line}:{lines[line - 1].index('amount =') + 1} "
                  f"[iae[0].amounts[0].amount]")


# "1,234.56 €" (a comma grouping thousands, a decimal point) was refused as "more than 2
# decimals", a cause the analyst could not see in the text; "1 234,56" (no unit) was read as
# euros where a number is refused asking for "a quoted string with its unit"
@pytest.mark.parametrize("written, english, french", [
    ("1,234.56 €", 'write "1 234,56 €" or "1234.56 €"', 'écrivez « 1 234,56 € » ou « 1234.56 € »'),
    ("1,234,567.8 k€", 'write "1 234 567,8 k€" or "1234567.8 k€"',
     'écrivez « 1 234 567,8 k€ » ou « 1234567.8 k€ »')])
def test_a_toml_amount_grouping_thousands_with_commas_says_so_where_it_is(tmp_path, capsys,
                                                                          written, english,
                                                                          french):
    path, place = _write_amount(tmp_path, written)
    assert main(["report", "--convention", str(path)]) == 2
    err = plain(capsys.readouterr().err)
    assert f"{place}: « {written} » groupe les milliers par des virgules avec un point " \
           f"décimal : {french}" in err, err
    assert main(["report", "--convention", str(path), "--lang", "en"]) == 2
    err = capsys.readouterr().err
    assert f"{place}: '{written}' groups thousands with commas and has a decimal point: " \
           f"{english}" in err, err
    assert "decimals" not in err


def test_a_toml_amount_grouped_with_points_the_french_way_is_read(tmp_path):
    path = tmp_path / "mine.toml"
    path.write_text(CONVENTION + _iae_amount('"1.234,56 €"'), encoding="utf-8")
    (amount,) = essconv.load(path).iae[0].amounts
    assert amount.amount == Decimal("1234.56")


@pytest.mark.parametrize("written", ["1 234,56", "12", "0"])
def test_a_toml_amount_without_its_unit_is_refused_as_a_number_is(tmp_path, capsys, written):
    """A quoted amount with no unit was read as euros, where a TOML number is refused asking
    for "a quoted string with its unit": the text may be in k€ or M€, 1000 times off."""
    path, place = _write_amount(tmp_path, written)
    assert main(["report", "--convention", str(path)]) == 2
    err = plain(capsys.readouterr().err)
    assert f"{place}: attendu : un montant entre guillemets avec son unité ; trouvé : " \
           f"« {written} », sans unité : écrivez amount = \"{written} €\" (ou en M€, k€, " \
           f"comme le dit le texte)" in err, err
    assert main(["report", "--convention", str(path), "--lang", "en"]) == 2
    assert f"{place}: expected an amount as a quoted string with its unit, found " \
           f"'{written}' with no unit: write amount = \"{written} €\" (or in M€, k€, as the " \
           f"text says)" in capsys.readouterr().err
    with pytest.raises(essconv.DescriptionError) as refused:
        essconv.load(path)
    assert refused.value.reason[0] == "desc-amount-no-unit"
    path.write_text(path.read_text(encoding="utf-8").replace(f'"{written}"', f'"{written} €"'),
                    encoding="utf-8")
    (amount,) = essconv.load(path).iae[0].amounts
    assert amount.amount == Decimal(written.replace(" ", "").replace(",", "."))


def test_a_convention_file_in_cp1252_says_the_character_and_what_to_do_in_both_languages(
        tmp_path, capsys):
    """The English refusal of an 'ANSI' file said nothing of what to do, where the French said
    to save it as UTF-8; both now name the character the byte is in CP1252, so the analyst
    knows which one and how the file was saved."""
    path = tmp_path / "mine.toml"
    path.write_bytes(CONVENTION.encode("cp1252"))
    byte = CONVENTION.encode("cp1252")[CONVENTION.index("é")]
    assert bytes([byte]).decode("cp1252") == "é"   # the twin: what the byte is in CP1252
    assert main(["report", "--convention", str(path)]) == 2
    err = plain(capsys.readouterr().err)
    assert (f"{path}:15:18: l'octet 0x{byte:02X} n'est pas de l'UTF-8 (« é » en CP1252, l'ANSI "
            f"de Windows ; ") in err and "enregistrez le fichier en UTF-8" in err, err
    assert main(["report", "--convention", str(path), "--lang", "en"]) == 2
    err = capsys.readouterr().err
    assert (f"{path}:15:18: byte 0x{byte:02X} is not UTF-8 ('é' in CP1252, Windows' ANSI; " in err
            and "save the file as UTF-8" in err), err
    # a byte CP1252 has no character for, and a UTF-16 file, are not called ANSI
    for raw, byte in ((b'[convention]\ntitle = "\x81"\n', 0x81),
                      (CONVENTION.encode("utf-16"), 0xFF)):
        path.write_bytes(raw)
        with pytest.raises(essconv.DescriptionError) as refused:
            essconv.load(path)
        assert f"byte 0x{byte:02X} is not UTF-8" in str(refused.value)
        assert "CP1252" not in str(refused.value) and "save the file as UTF-8" in str(refused.value)


@pytest.mark.parametrize("extra, old, new, place, value", [
    ("", 'kind = "region"\n', 'kind = "region"\naliases = "Région"\n',
     "[parties[1].aliases]", "Région"),
    ('\n[[bodies]]\nname = "Comité"\nmeetings_per_year = 2\nmembers = "les « signataires »"\n',
     "", "", "[bodies[0].members]", "les « signataires »"),
    ('\n[[axes]]\nnumber = 1\ntitle = "Créer"\nplan_groups = "Création"\n', "", "",
     "[axes[0].plan_groups]", "Création"),
])
def test_one_string_where_an_array_is_expected_is_refused_with_the_array_to_write(
        tmp_path, capsys, extra, old, new, place, value):
    """`aliases = "Région"` said "expected an array of strings" and nothing of the brackets;
    the refusal now writes the array, and that line, written back, reads as the one item."""
    path = tmp_path / "mine.toml"
    text = (edited(old, new) if old else CONVENTION) + extra
    path.write_text(text, encoding="utf-8")
    key = place.rstrip("]").split(".")[-1]
    assert main(["report", "--convention", str(path)]) == 2
    err = plain(capsys.readouterr().err)
    assert place in err and f"trouvé : le texte {value!r} : écrivez {key} = [" in err, err
    written = err.split("écrivez ")[1].strip()
    assert main(["report", "--convention", str(path), "--lang", "en"]) == 2
    assert f"write {written}" in capsys.readouterr().err
    # the twin: TOML reads the line written as the array of the one string
    assert tomllib.loads(written)[key] == [value]
    path.write_text(text.replace(f'{key} = "{value}"', written), encoding="utf-8")
    conv = essconv.load(path)
    got = {"aliases": lambda: conv.party_of("CR").aliases,
           "members": lambda: tuple(map(str, conv.bodies[0].members)),
           "plan_groups": lambda: conv.axes[0].plan_groups}[key]()
    assert tuple(got) == (value,)


@pytest.mark.parametrize("old, new, french, english, fixed", [
    ('territory = "Bretagne"', "territory = Bretagne",
     "un texte s'écrit entre guillemets : écrivez territory = \"Bretagne\"",
     'a text is written between quotes: write territory = "Bretagne"', "Bretagne"),
    ('territory = "Bretagne"', 'territory = "Bretagne',
     "la chaîne n'est pas fermée sur sa ligne : terminez-la par \"",
     'the string is not closed on its line: end it with "', None),
    ('territory = "Bretagne"', 'territory = "Bretagne"\nsigned_at = Saint-Brieuc',
     'écrivez signed_at = "Saint-Brieuc"', 'write signed_at = "Saint-Brieuc"', "Saint-Brieuc"),
    ("signatory = true\n\n[[parties]]\ncode = \"CR\"", "signatory = oui\n\n[[parties]]\ncode = \"CR\"",
     "oui ou non s'écrit true ou false, en minuscules sans guillemets : écrivez signatory = true",
     "yes or no is written true or false, in lowercase without quotes: write signatory = true",
     True),
])
def test_a_toml_mistake_made_by_hand_says_what_to_write(tmp_path, capsys, old, new, french,
                                                        english, fixed):
    """`territory = Bretagne` said tomllib's "Invalid value" and nothing of the quotes; an
    unclosed string "Illegal character '\\n'". The refusal keeps the reader's words and place,
    and adds what to write, in the output's language; what it says to write then reads."""
    path = tmp_path / "mine.toml"
    text = edited(old, new)
    with pytest.raises(tomllib.TOMLDecodeError):
        tomllib.loads(text)
    path.write_text(text, encoding="utf-8")
    assert main(["report", "--convention", str(path)]) == 2
    err = plain(capsys.readouterr().err)
    assert "ce n'est pas du TOML valide (message du lecteur tomllib" in err and french in err, err
    assert main(["report", "--convention", str(path), "--lang", "en"]) == 2
    err = capsys.readouterr().err
    assert "not valid TOML: " in err and english in err, err
    if fixed is not None:   # the line said, written in place of the mistake, reads as meant
        written = english.rsplit("write ", 1)[1]
        key = written.split(" = ")[0]
        line = next(l for l in new.splitlines() if l.startswith(f"{key} = "))
        assert tomllib.loads(written)[key] == fixed
        path.write_text(text.replace(line, written), encoding="utf-8")
        essconv.load(path)


def test_a_french_number_left_unquoted_is_told_to_be_quoted(tmp_path, capsys):
    """`percent = { a = 12,5 }` (a share written the French way) was tomllib's "Expected
    newline..." alone; the refusal says to quote it, and the quoted share reads exactly."""
    path = tmp_path / "mine.toml"
    text = CONVENTION + '\n[[shares]]\nlabel = "s"\npercent.a = 12,5\npercent.b = "87,5"\n'
    path.write_text(text, encoding="utf-8")
    assert main(["report", "--convention", str(path), "--lang", "en"]) == 2
    err = capsys.readouterr().err
    assert 'write percent.a = "12,5"' in err, err
    assert main(["report", "--convention", str(path)]) == 2
    assert 'écrivez percent.a = "12,5"' in plain(capsys.readouterr().err)
    path.write_text(text.replace("percent.a = 12,5", 'percent.a = "12,5"'), encoding="utf-8")
    (share,) = essconv.load(path).shares
    assert share[1] == {"a": Decimal("12.5"), "b": Decimal("87.5")}


@pytest.mark.parametrize("extra, place, near", [
    ('\n[[bodies]]\nname = "Comité"\nmeetings_per_year = 2\nmembers = ["les signataires"]\n'
     'sources.member = { article = "Article 5", quote = "les signataires" }\n',
     "[bodies[0].sources.member]", "members"),
    ('\n[convention.sources]\nterritoire = { article = "Titre", quote = "Bretagne" }\n',
     "[convention.sources.territoire]", "territory"),
])
def test_a_source_for_a_fact_the_item_does_not_have_is_refused(tmp_path, capsys, extra, place,
                                                              near):
    """`sources.member` (for `members`) was kept as the source of no fact, silently: the
    quote never reached the body's members. It is refused as an unknown key, the fact meant
    suggested; the same source under the right key is read."""
    path = tmp_path / "mine.toml"
    text = CONVENTION + extra
    if "[convention.sources]" in extra:   # a table of [convention] stays after it
        text = CONVENTION.replace("\n[[parties]]", extra + "\n[[parties]]", 1)
    path.write_text(text, encoding="utf-8")
    wrong = place.rstrip("]").split(".")[-1]
    assert main(["report", "--convention", str(path)]) == 2
    err = plain(capsys.readouterr().err)
    assert place in err and f"clé inconnue « {wrong} »" in err, err
    assert f"vouliez-vous dire « {near} » ?" in err, err
    line = next(k for k, l in enumerate(text.splitlines(), 1)
                if l.startswith((f"sources.{wrong} = ", f"{wrong} = ")))
    assert f"{path}:{line}:" in err, err
    path.write_text(text.replace(f"{wrong} = {{", f"{near} = {{"), encoding="utf-8")
    conv = essconv.load(path)
    got = (conv.bodies[0].sources if "bodies" in place else conv.sources)[near]
    assert got.quotes and got.quotes[0] in text


@pytest.mark.parametrize("old, new, key, found, value, number", [
    ("year = 2021\n", 'year = "2021"\n', "plans[0].year", "le texte", "'2021'", 2021),
    ("year = 2021\n", "year = 2021.0\n", "plans[0].year", "le nombre à virgule", "2021.0", 2021),
    ("year = 2021\n", 'year = " 2021 "\n', "plans[0].year", "le texte", "' 2021 '", 2021),
    ('text = ["Soutenir', '[[bodies]]\nname = "Comité"\nmeetings_per_year = "2"\n\n'
     '[[commitments]]\nparty = "CR"\ntext = ["Soutenir', "bodies[0].meetings_per_year",
     "le texte", "'2'", 2),
])
def test_a_whole_number_quoted_or_with_a_point_is_refused_with_the_integer_to_write(
        tmp_path, capsys, old, new, key, found, value, number):
    """`year = "2015"` or `year = 2015.0` said "expected an integer" and nothing of the quotes
    or the ".0" to drop; the refusal writes the integer, and that line, written back, loads."""
    path = tmp_path / "mine.toml"
    text = CONVENTION.replace(old, new, 1)
    assert text != CONVENTION
    path.write_text(text, encoding="utf-8")
    name = key.split(".")[-1]
    with pytest.raises(essconv.DescriptionError) as refused:
        essconv.load(path)
    assert refused.value.key == key and str(path) in str(refused.value)
    assert f"write {name} = {number}" in str(refused.value)
    assert main(["report", "--convention", str(path)]) == 2
    err = plain(capsys.readouterr().err)
    assert f"[{key}]" in err and f"trouvé : {found} {value} : écrivez {name} = {number}" in err, err
    # the twin: TOML reads the line written as the integer, and the description loads
    written = err.split("écrivez ")[1].strip()
    assert tomllib.loads(written)[name] == number
    wrong = next(line for line in new.split("\n") if line.startswith(name))
    path.write_text(text.replace(wrong, written, 1), encoding="utf-8")
    essconv.load(path)


@pytest.mark.parametrize("written", ['"2021a"', "2021.5", '"deux mille"', '""'])
def test_a_value_that_is_no_whole_number_gets_no_suggestion(tmp_path, written):
    path = tmp_path / "mine.toml"
    path.write_text(CONVENTION.replace("year = 2021\n", f"year = {written}\n", 1), encoding="utf-8")
    with pytest.raises(essconv.DescriptionError, match="expected an integer") as refused:
        essconv.load(path)
    assert refused.value.key == "plans[0].year" and "write" not in str(refused.value)


KEY_FIGURES = """
[key_figures]
establishments = 25600
establishments_share_percent = "14"
establishments_by_family_percent = { "coopératives" = "12", "associations" = "84", "mutuelles" = "4" }
jobs = 219200
jobs_year = 2006
jobs_share_percent = "11.3"
jobs_by_family_percent = { "associations" = "88", "coopératives" = "8", "mutuelles" = "4" }
"""


@pytest.mark.parametrize("key", ["establishments", "jobs"])
@pytest.mark.parametrize("count, refused", [(-25600, True), (-1, True), (0, False), (1, False)])
def test_a_key_figure_that_counts_is_refused_below_zero_at_its_key(tmp_path, capsys, key, count,
                                                                  refused):
    """`jobs = -219200` (a minus typed by mistake) loaded, and the report printed a negative
    count of jobs without a word."""
    path = tmp_path / "mine.toml"
    figures = KEY_FIGURES.replace(f"\n{key} = ", f"\n{key} = {count}\n#", 1)
    path.write_text(CONVENTION + figures, encoding="utf-8")
    if not refused:
        assert getattr(essconv.load(path).key_figures, key) == count
        return
    with pytest.raises(essconv.DescriptionError) as info:
        essconv.load(path)
    assert info.value.key == f"key_figures.{key}" and str(path) in str(info.value)
    assert f"{key} = {count}: a count, expected 0 or more" in str(info.value)
    line = CONVENTION.count("\n") + figures.split(f"\n{key} = ")[0].count("\n") + 2
    assert main(["report", "--convention", str(path)]) == 2
    err = plain(capsys.readouterr().err)
    assert f"{path}:{line}:1 [key_figures.{key}]: {key} = {count} : c'est un décompte, " \
           f"attendu 0 ou plus" in err, err
