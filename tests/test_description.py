"""The description format: a convention an analyst writes in TOML, and its errors."""
from __future__ import annotations

import datetime as dt
import textwrap
from decimal import Decimal
from pathlib import Path

import pytest

import essconv

MINIMAL = """
[convention]
title = "Convention-cadre ESS Bretagne 2020-2022"
territory = "Bretagne"
start = 2020-01-01
end = 2022-12-31
signed_on = 2020-03-15
signed_at = "Rennes"

[[parties]]
code = "ETAT"
name = "L'Etat"
kind = "state"
signatory = true

[[parties]]
code = "DREETS"
name = "Direction régionale de l'économie, de l'emploi, du travail et des solidarités"
kind = "state service"
parent = "ETAT"

[[parties]]
code = "CR"
name = "Conseil régional de Bretagne"
kind = "region"
signatory = true

[[axes]]
number = 1
title = "Entreprendre autrement"
plan_groups = ["Création"]
means = ["Financer l'amorçage", { text = "Accompagner", by = ["les incubateurs"] }]

[[bodies]]
name = "Comité des financeurs"
meetings_per_year = 3
members = ["les signataires"]

[[milestones]]
date = 2021-06-30
label = "Bilan à mi-parcours"

[[plans]]
year = 2020
file = "plan-2020.tsv"

[[plans]]
year = 2021
unit = "k€"
table = \"\"\"
Axe\tLigne\tETAT\tDREETS\tCR\tTotal
Création\tAmorçage\t10\t5\t20\t35
\tIncubateurs\t\t12,5\t7,5\t20
Total\t\t10\t17,5\t27,5\t55
\"\"\"
"""

PLAN_2020 = "en k€\tETAT\tCR\tTotal\nAmorçage\t8\t12\t20\nTotal\t8\t12\t20\n"


@pytest.fixture
def described(tmp_path: Path) -> Path:
    (tmp_path / "plan-2020.tsv").write_text(PLAN_2020, encoding="utf-8")
    path = tmp_path / "bretagne.toml"
    path.write_text(MINIMAL, encoding="utf-8")
    return path


def test_a_description_loads(described):
    conv = essconv.load(described)
    assert conv.territory == "Bretagne" and conv.years == [2020, 2021, 2022]
    assert conv.signed_on == dt.date(2020, 3, 15)
    assert conv.party_of("DREETS").code == "ETAT"
    assert [p.code for p in conv.signatories] == ["ETAT", "CR"]
    assert conv.axes[0].means[1].by == ("les incubateurs",)
    assert len(conv.meetings(2021)) == 3
    assert conv.plan(2020).total() == Decimal(20)
    p21 = conv.plan(2021)
    assert p21.cell("Incubateurs", "DREETS") == Decimal("12.5") and p21.validate(conv).ok
    assert conv.by_axis(2021) == {f"Axe {conv.axes[0].number}": Decimal(55)}
    assert conv.plan(2021).by_party(conv) == {"ETAT": Decimal("27.5"), "CR": Decimal("27.5")}


def test_cumulative_and_compare(described):
    conv = essconv.load(described)
    cum = conv.cumulative()
    assert cum["funder"]["ETAT"] == Decimal(18) and cum["party"]["ETAT"] == Decimal("35.5")
    assert cum["total"]["k€"] == Decimal(75)
    diff = conv.compare(2020, 2021)
    assert diff["funder"]["ETAT"]["change"] == Decimal(2)
    assert diff["funder"]["ETAT"]["percent"] == Decimal("25.0")
    assert diff["funder"]["DREETS"]["percent"] is None      # from nothing
    assert diff["party"]["ETAT"]["2021"] == Decimal("27.5")


@pytest.mark.parametrize("change, key, words", [
    (("start = 2020-01-01", 'start = "2020"'), "convention.start", "a date"),
    (('title = "Convention-cadre ESS Bretagne 2020-2022"\n', ""), "convention.title", "missing"),
    (('kind = "region"', 'kind = "regional"'), "parties[2].kind", "is not one of"),
    (('parent = "ETAT"', 'parent = "STATE"'), "parties[1].parent", "not a party listed"),
    (("meetings_per_year = 3", "meetings_per_year = 3.5"), "bodies[0].meetings_per_year", "an integer"),
    (("year = 2020\n", "year = 2030\n"), "plans[0].year", "outside the term"),
    (('file = "plan-2020.tsv"', 'file = "nowhere.tsv"'), "plans[0].file", "does not exist"),
    (("end = 2022-12-31", "end = 2019-12-31"), "convention.end", "before it starts"),
])
def test_a_bad_description_names_file_key_and_expectation(tmp_path, change, key, words):
    (tmp_path / "plan-2020.tsv").write_text(PLAN_2020, encoding="utf-8")
    path = tmp_path / "bad.toml"
    old, new = change
    assert old in MINIMAL
    path.write_text(MINIMAL.replace(old, new, 1), encoding="utf-8")
    with pytest.raises(essconv.DescriptionError) as info:
        essconv.load(path)
    err = info.value
    assert isinstance(err, ValueError)
    assert err.path == str(path) and err.key == key and words in str(err)
    assert str(path) in str(err) and key in str(err)


def test_toml_syntax_error_has_line_and_column(tmp_path):
    path = tmp_path / "syntax.toml"
    path.write_text("[convention]\ntitle = \n", encoding="utf-8")
    with pytest.raises(essconv.DescriptionError) as info:
        essconv.load(path)
    assert info.value.line == 2 and str(path) in str(info.value)


def test_a_bad_inline_plan_names_the_description(tmp_path):
    (tmp_path / "plan-2020.tsv").write_text(PLAN_2020, encoding="utf-8")
    path = tmp_path / "c.toml"
    path.write_text(MINIMAL.replace("Création\\tAmorçage\\t10\\t5\\t20\\t35",
                                    "Création\\tAmorçage\\t10\\t5\\t20").replace(
        "Création\tAmorçage\t10\t5\t20\t35", "Création\tAmorçage\t10\t5\t20"), encoding="utf-8")
    with pytest.raises(essconv.PlanFormatError) as info:
        essconv.load(path)
    # at the TOML file's line and column, where the analyst edits the row (not the table's
    # own line 2): the short row's last cell, "20"
    text = path.read_text(encoding="utf-8")
    row = text.index("Création\tAmorçage\t10\t5\t20\n")
    line = text.count("\n", 0, row) + 1
    column = len("Création\tAmorçage\t10\t5\t") + 1
    assert (info.value.problems[0].line, info.value.problems[0].column) == (line, column)
    assert f"{path}#plans[1].table:{line}:{column}" in str(info.value)


def _inline(tmp_path: Path, table_toml: str) -> Path:
    """MINIMAL with its 2021 plan written as ``table_toml`` (a TOML string as the file has it)."""
    (tmp_path / "plan-2020.tsv").write_text(PLAN_2020, encoding="utf-8")
    start = MINIMAL.index('table = """')
    end = MINIMAL.index('"""', start + len('table = """')) + 3
    path = tmp_path / "c.toml"
    path.write_text(MINIMAL[:start] + "table = " + table_toml + MINIMAL[end:], encoding="utf-8")
    return path


def test_an_inline_plan_s_findings_are_placed_in_the_toml_file(tmp_path):
    """A wrong stated total in a table written on one line with escapes ("\\t", "\\n"): the
    finding names the file's line and the column of the figure as the file writes it."""
    escaped = r'"en k€\tETAT\tCR\tTotal\nAmorçage\t8\t12\t21\n"'
    path = _inline(tmp_path, escaped)
    conv = essconv.load(path)
    text = path.read_text(encoding="utf-8")
    line_text = next(l for l in text.splitlines() if l.startswith("table = "))
    line = text.splitlines().index(line_text) + 1
    wrong = [f for f in conv.plan(2021).validate() if f.code == "row-total"]
    assert wrong and (wrong[0].source_line, wrong[0].source_column) == (
        line, line_text.index("21") + 1)
    assert f"#plans[1].table:{line}:{line_text.index('21') + 1}:" in str(wrong[0])
    assert conv.plan(2021).cell_place("Amorçage", "CR") == (line, line_text.index("12") + 1)


def test_an_inline_literal_plan_s_refusal_is_placed_in_the_toml_file(tmp_path):
    path = _inline(tmp_path, "\'\'\'\nen k€\tETAT\tETAT\tTotal\nAmorçage\t8\t12\t20\n\'\'\'")
    with pytest.raises(essconv.PlanFormatError) as info:
        essconv.load(path)
    text = path.read_text(encoding="utf-8")
    header = text.index("en k€\tETAT\tETAT")
    line = text.count("\n", 0, header) + 1
    problem = info.value.problems[0]
    assert (problem.line, problem.column) == (line, len("en k€\tETAT\t") + 1)


def test_readme_example_loads(tmp_path):
    """The README's description example is complete and loads as written."""
    readme = (Path(__file__).resolve().parents[1] / "README.md").read_text(encoding="utf-8")
    start = readme.index("```toml\n") + len("```toml\n")
    toml_text = readme[start:readme.index("```", start)]
    (tmp_path / "example.toml").write_text(toml_text, encoding="utf-8")
    conv = essconv.load(tmp_path / "example.toml")
    assert conv.plans and all(isinstance(p.total(), Decimal) for p in conv.plans.values())


def _refused(tmp_path: Path, text: str) -> essconv.DescriptionError:
    (tmp_path / "plan-2020.tsv").write_text(PLAN_2020, encoding="utf-8")
    path = tmp_path / "refused.toml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(essconv.DescriptionError) as info:
        essconv.load(path)
    assert info.value.path == str(path)
    return info.value


# A misspelt key was ignored: `units = "k€"` read a k€ plan in € (1000x off), `signatary`
# dropped a signatory, a top-level `[[plan]]` dropped a whole plan, all silently.
@pytest.mark.parametrize("old, new, key, hint", [
    ('unit = "k€"', 'units = "k€"', "plans[1].units", "'unit'"),
    ('kind = "state"\nsignatory = true', 'kind = "state"\nsignatary = true',
     "parties[0].signatary", "'signatory'"),
    ('kind = "region"\n', 'kind = "region"\nalias = ["Région"]\n', "parties[2].alias", "'aliases'"),
    ("[[plans]]\nyear = 2021", "[[plan]]\nyear = 2021", "plan", "'plans'"),
    ("[[bodies]]", "[[bodys]]", "bodys", "'bodies'"),
    ('label = "Bilan à mi-parcours"', 'label = "Bilan"\nzzz = 1', "milestones[0].zzz", "label"),
])
def test_an_unknown_key_is_refused_with_its_path_and_the_nearest_key(tmp_path, old, new, key, hint):
    assert old in MINIMAL
    err = _refused(tmp_path, MINIMAL.replace(old, new, 1))
    assert err.key == key and "unknown key" in str(err) and hint in str(err)


def test_the_embedded_description_has_no_unknown_key():
    assert essconv.default().plans


# A SIRET given to two parties was accepted and execution credited the last one with every
# record; a SIRET printed with spaces never matched the ledger's; any text passed as a SIRET.
@pytest.mark.parametrize("etat, cr, key, words", [
    ('["11000000000015"]', '["11000000000015"]', "parties[2].sirets[0]", "already given to 'ETAT'"),
    ('["11000000000015"]', '["1234"]', "parties[2].sirets[0]", "not 14 digits"),
    ('["11000000000016"]', '[]', "parties[0].sirets[0]", "checksum"),
])
def test_a_bad_or_shared_siret_is_refused(tmp_path, etat, cr, key, words):
    text = (MINIMAL.replace('kind = "state"\n', f'kind = "state"\nsirets = {etat}\n', 1)
            .replace('kind = "region"\n', f'kind = "region"\nsirets = {cr}\n', 1))
    err = _refused(tmp_path, text)
    assert err.key == key and words in str(err)


def test_a_siret_with_spaces_matches_and_la_poste_s_rule_is_accepted(described):
    text = described.read_text(encoding="utf-8")
    described.write_text(text.replace('kind = "region"\n', 'kind = "region"\n'
                                      'sirets = ["232 000 018 00019", "35600000049837"]\n', 1),
                         encoding="utf-8")
    conv = essconv.load(described)
    assert conv.parties[2].sirets == ("23200001800019", "35600000049837")
    led = essconv.Ledger.from_columns({"idAttribuant": ["23200001800019", "356 000 000 49837"],
                                       "dispositifAide": ["Amorçage", "Amorçage"],
                                       "montant": ["10000", "5000"]}, amount="montant")
    ex = conv.execution(2021, led, funder="idAttribuant", date=None)   # no dates: all counted
    assert not ex.unmapped


# References that named nothing were accepted: conv.axis(1) silently the first of two axes 1,
# an instrument on an axis that does not exist, the secretariat of a misspelt body (of none),
# a milestone ending before it starts.
@pytest.mark.parametrize("extra, key, words", [
    ('[[axes]]\nnumber = 1\ntitle = "Financer"\n', "axes[1].number", "already axes[0]"),
    ('[[axes]]\nnumber = 2\ntitle = "F"\nplan_groups = ["Création"]\n', "axes[1].plan_groups",
     "already belongs"),
    ('[[instruments]]\ncode = "I"\nname = "i"\naxis = 7\n', "instruments[0].axis",
     "not an axis"),
    ('[secretariat]\nholder = "CR"\nof = ["Comite des financeurs"]\n', "secretariat.of[0]",
     "'Comité des financeurs'"),
    ('[[milestones]]\ndate = 2021-06-30\nuntil = 2021-01-01\nlabel = "x"\n',
     "milestones[1].until", "before"),
    # two bodies of one name: two identical lines of every period in the calendar, and a
    # secretariat of either ambiguous (a name or a short name, whatever the case and spacing)
    ('[[bodies]]\nname = "Comité des financeurs"\nmeetings_per_year = 2\n', "bodies[1].name",
     "already bodies[0]"),
    ('[[bodies]]\nname = "Comité  des FINANCEURS"\nmeetings_per_year = 2\n', "bodies[1].name",
     "already bodies[0]"),
    ('[[bodies]]\nname = "Comité de suivi"\nshort_name = "comité des financeurs"\n'
     'meetings_per_year = 2\n', "bodies[1].short_name", "already bodies[0]"),
])
def test_a_dangling_reference_is_refused(tmp_path, extra, key, words):
    err = _refused(tmp_path, MINIMAL + extra)
    assert err.key == key and words in str(err)


def test_a_body_named_twice_is_refused_in_french_too(tmp_path):
    extra = '[[bodies]]\nname = "Comité des financeurs"\nmeetings_per_year = 2\n'
    err = _refused(tmp_path, MINIMAL + extra)
    french = essconv.messages.language("fr").refusal(err)
    assert "« Comité des financeurs » est déjà celui de bodies[0]" in french
    assert "bodies[1].name" in french and "already" not in french
    # one body whose short name is its name is no second body
    one = MINIMAL.replace('meetings_per_year = 3', 'short_name = "Comité des financeurs"\n'
                          'meetings_per_year = 3')
    (tmp_path / "plan-2020.tsv").write_text(PLAN_2020, encoding="utf-8")
    (tmp_path / "one.toml").write_text(one, encoding="utf-8")
    assert [b.name for b in essconv.load(tmp_path / "one.toml").bodies] == ["Comité des financeurs"]


# "NaN" was accepted as a percentage and conv.check() then raised decimal.InvalidOperation.
@pytest.mark.parametrize("value", ['"NaN"', '"Infinity"', '"-inf"'])
def test_a_percentage_that_is_no_finite_number_is_refused(tmp_path, value):
    extra = f'[[shares]]\nlabel = "x"\npercent = {{ a = {value}, b = "100" }}\n'
    err = _refused(tmp_path, MINIMAL + extra)
    assert err.key == "shares[0].percent.a" and "a finite number" in str(err)


def test_a_folder_as_a_plan_file_is_refused_naming_the_key(tmp_path):
    # IsADirectoryError escaped, not an essconv.Error
    (tmp_path / "plans").mkdir()
    err = _refused(tmp_path, MINIMAL.replace('file = "plan-2020.tsv"', 'file = "plans"'))
    assert err.key == "plans[0].file" and "folder" in str(err)


@pytest.mark.parametrize("where", ["money", "read_plan", "description"])
def test_an_unknown_unit_is_worded_as_a_unit(tmp_path, where):
    # 'kilo' was worded as the amount parser's error on '1 kilo', a text nobody wrote
    import io
    with pytest.raises(essconv.Error) as info:
        if where == "money":
            essconv.money.unit_cents("kilo")
        elif where == "read_plan":
            essconv.read_plan(io.BytesIO(b"Ligne;CDC;Total\nA;1;1\n"), unit="kilo")
        else:
            raise _refused(tmp_path, MINIMAL.replace('unit = "k€"', 'unit = "kilo"'))
    assert "unknown unit 'kilo': expected €, k€ or M€" in str(info.value)


def test_a_description_gives_english_outputs_its_own_english_words_or_its_french(tmp_path, described):
    # an English report printed a description's French labels and essconv's notes in French
    # ("[added by essconv: le code CG-62 ...]"); label_en, printed_en and added_en say them
    from essconv.report import render_text
    plain = essconv.load(described)
    assert plain.milestones[0].label_in("en") == "Bilan à mi-parcours"   # no English: the French
    text = MINIMAL.replace('label = "Bilan à mi-parcours"',
                           'label = "Bilan à mi-parcours"\nlabel_en = "Mid-term review"\n'
                           'precision = "year"\nprinted = "mi-2021"\nprinted_en = "mid-2021"\n'
                           'source = { quote = "bilan", added = "lu par essconv", added_en = "read by essconv" }'
                           ).replace("date = 2021-06-30", "date = 2021-01-01")
    described.write_text(text, encoding="utf-8")
    conv = essconv.load(described)
    [m] = conv.milestones
    assert (m.label_in("en"), m.label_in("fr")) == ("Mid-term review", "Bilan à mi-parcours")
    assert m.source.text("en") == "'bilan' [added by essconv: read by essconv]"
    assert m.source.text("fr") == "« bilan » [ajout d'essconv : lu par essconv]"
    english, french = render_text(conv, lang="en"), render_text(conv)
    assert "mid-2021: Mid-term review" in english and "Bilan" not in english
    assert "mi-2021\u00a0: Bilan à mi-parcours" in french and "Mid-term" not in french
    # a translation of nothing is refused, naming its key
    for old, new, key in (('added = "lu par essconv", ', '', "milestones[0].source.added_en"),
                          ('printed = "mi-2021"\n', '', "milestones[0].printed_en")):
        err = _refused(tmp_path, text.replace(old, new, 1))
        assert err.key == key, (err.key, str(err))


def test_the_embedded_conventions_english_outputs_hold_no_french_note_of_essconv():
    from essconv.report import render_text
    from essconv.dashboard import render
    conv = essconv.default()
    notes = [s for p in conv.parties if p.source for s in [p.source] if s.added]
    assert notes and all(s.added_en for s in notes)
    for output in (render_text(conv, lang="en"), render(conv, lang="en")):
        assert "added by essconv: le " not in output and "ajout d'essconv" not in output
        assert "Début de la convention" not in output and "début 2011" not in output
    assert "[added by essconv: the code CG-62" in render(conv, lang="en")


# The gap of shares that miss 100 % was printed "0.1 points" in the French sentence.
@pytest.mark.parametrize("percent, french, english", [
    ('{ a = "33.3", b = "33.3", c = "33.3" }', "soit 0,1 point de moins", "0.1 points short of"),
    ('{ a = "60", b = "41" }', "soit 1 point de plus", "1 point over"),
    ('{ a = "60", b = "42.5" }', "soit 2,5 points de plus", "2.5 points over"),
])
def test_a_shares_gap_is_written_in_the_outputs_own_decimals(tmp_path, percent, french, english):
    (tmp_path / "plan-2020.tsv").write_text(PLAN_2020, encoding="utf-8")
    path = tmp_path / "shares.toml"
    path.write_text(MINIMAL + f'[[shares]]\nlabel = "x"\npercent = {percent}\n', encoding="utf-8")
    conv = essconv.load(path)
    said = {lang: next(f.message for f in conv.check(lang=lang) if f.code == "shares-sum")
            for lang in ("fr", "en")}
    assert french in said["fr"] and english in said["en"], said


def _first_article(sources) -> "str | None":
    """The article every source names first ("Article 3 ; Préambule" -> "3"), or None when one
    names none or they differ: a twin of the report's reading, by hand."""
    numbers = set()
    for source in sources:
        if source is None or not source.article:
            return None
        first = source.article.split(";")[0].strip()
        words = first.split()
        if len(words) < 2 or words[0].lower() != "article" or not words[1].isdigit():
            return None
        numbers.add(words[1])
    return numbers.pop() if len(numbers) == 1 else None


@pytest.mark.parametrize("lang", ["fr", "en"])
def test_the_report_cites_the_article_its_description_gives_and_none_it_does_not(described, lang):
    """A convention's report headed its axes "(article 3)", its governance "(article 5)" and
    its key figures "(article 1)", the embedded convention's articles, whatever its text said."""
    from essconv.report import render_text
    bare = render_text(essconv.load(described), dt.date(2021, 1, 1), lang=lang)
    assert "(article" not in bare
    sourced = described.read_text(encoding="utf-8").replace(
        'title = "Entreprendre autrement"',
        'title = "Entreprendre autrement"\n'
        'source = { article = "Article 2 – Orientations", quote = "Entreprendre autrement" }', 1
    ).replace('name = "Comité des financeurs"',
              'name = "Comité des financeurs"\n'
              'source = { article = "Article 4 ; Annexe 2", quote = "Comité des financeurs" }', 1)
    described.write_text(sourced, encoding="utf-8")
    conv = essconv.load(described)
    said = render_text(conv, dt.date(2021, 1, 1), lang=lang)
    assert _first_article(a.source for a in conv.axes) == "2"
    assert _first_article(b.source for b in conv.bodies) == "4"
    heads = [line for line in said.splitlines() if "(article" in line]
    assert len(heads) == 2 and "(article 2)" in heads[0] and "(article 4)" in heads[1], heads
    embedded = essconv.default()
    text = render_text(embedded, dt.date(2010, 6, 1), lang=lang)
    for sources, word in (([a.source for a in embedded.axes], ("Axes stratégiques", "Strategic axes")),
                          ([b.source for b in embedded.bodies], ("Gouvernance", "Governance")),
                          ([embedded.key_figures.source], ("Chiffres clés", "Key figures"))):
        heading = word[0] if lang == "fr" else word[1]
        line = next(l for l in text.splitlines() if l.startswith(heading))
        assert f"{heading} (article {_first_article(sources)})" in line, line



def test_the_ics_of_another_convention_is_stamped_at_its_own_signature(tmp_path):
    """`essconv calendar --ics --convention picardie.toml` stamped every event DTSTAMP
    20091202T000000Z, the embedded convention's signature, five years before a 2014-2020
    convention was signed; a convention with no signature is stamped at its first day."""
    from essconv.calendar import to_ics
    text = ('[convention]\ntitle = "Convention-cadre ESS Picardie 2014-2020"\n'
            'territory = "Picardie"\nstart = 2014-07-01\nend = 2020-12-31\n{signed}\n'
            '[[bodies]]\nname = "Comité des financeurs"\nmeetings_per_year = 2\n')
    for signed, day in (("signed_on = 2014-09-15\n", dt.date(2014, 9, 15)),
                        ("", dt.date(2014, 7, 1))):
        path = tmp_path / "picardie.toml"
        path.write_text(text.format(signed=signed), encoding="utf-8")
        conv = essconv.load(path)
        ics = to_ics(conv, 2015)
        stamps = {line for line in ics.splitlines() if line.startswith("DTSTAMP:")}
        assert stamps == {f"DTSTAMP:{day:%Y%m%d}T000000Z"}, stamps
        assert ics.count("BEGIN:VEVENT") == 2   # one stamp per event, each the same
    embedded = to_ics(essconv.default(), 2010)
    assert {line for line in embedded.splitlines() if line.startswith("DTSTAMP:")} == {
        f"DTSTAMP:{essconv.default().signed_on:%Y%m%d}T000000Z"}


def test_a_described_plan_printing_a_dash_group_beside_lines_under_no_group_is_refused_in_sums(
        tmp_path):
    # a description's plan comes by no add_plan(): its sums by axis keyed the lines under no
    # group "—" as well as the group printed "—", one sum overwriting the other
    lines = "Création\tAmorçage\t10\t5\t20\t35\n\tIncubateurs\t\t12,5\t7,5\t20\nTotal\t\t10\t17,5\t27,5\t55"
    assert lines in MINIMAL
    (tmp_path / "plan-2020.tsv").write_text(PLAN_2020, encoding="utf-8")
    path = tmp_path / "dash.toml"
    path.write_text(MINIMAL.replace(lines, "\tLibre\t1\t\t1\t2\n—\tTiret\t2\t\t2\t4\n"
                                           "Total\t\t3\t\t3\t6"), encoding="utf-8")
    conv = essconv.load(path)
    assert conv.plan(2021).total() == Decimal(6)
    for sums in (lambda: conv.by_axis(2021), lambda: conv.compare(2020, 2021)):
        with pytest.raises(essconv.InvalidValueError,
                           match="2021 plan prints a group '—', the key of its lines under no "
                                 r"axis \(Libre\)"):
            sums()
