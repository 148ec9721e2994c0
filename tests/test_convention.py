"""The embedded convention: every fact the source document gives is reachable and right."""
from __future__ import annotations

import datetime as dt
from decimal import Decimal
from importlib import resources

import pytest

import essconv
from conftest import SEED, annex_lines, needs_source


@pytest.fixture(scope="module")
def conv():
    return essconv.default()


def test_identity_and_term(conv, seed_text):
    assert "Economie Sociale et Solidaire" in conv.title
    assert "2009 - 2013" in conv.title
    assert conv.territory == "Nord – Pas de Calais"
    assert conv.start == dt.date(2009, 1, 1) and conv.end == dt.date(2013, 12, 31)
    assert conv.signed_on == dt.date(2009, 12, 2) and conv.signed_at == "Lille"
    assert "Fait à Lille, le 02 décembre 2009" in seed_text
    assert conv.years == [2009, 2010, 2011, 2012, 2013]
    assert conv.is_active(dt.date(2009, 1, 1)) and conv.is_active(dt.date(2013, 12, 31))
    assert not conv.is_active(dt.date(2008, 12, 31))
    assert not conv.is_active(dt.date(2014, 1, 1))


def test_parties_signatories_and_roll_up(conv):
    codes = [p.code for p in conv.parties]
    for code in ("ETAT", "DRTEFP", "DRASS", "CR-NPDC", "CG-59", "CG-62", "CDC", "Territoires",
                 "FDF", "APES", "CRESS"):
        assert code in codes
    assert [p.code for p in conv.signatories] == ["ETAT", "CR-NPDC", "CG-59", "CG-62", "CDC"]
    assert conv.party("ETAT").signs_as == "Préfecture de Région"
    assert conv.party("DRTEFP").parent.code == "ETAT"
    assert conv.party("DRASS").kind == "state service"
    assert conv.party("CDC").kind == "public financial institution"
    assert conv.party("CG-62").kind == "department"
    assert conv.party_of("DRTEFP").code == "ETAT"
    assert conv.party_of("DRASS").code == "ETAT"
    assert conv.party_of("Territoires").code == "Territoires"
    assert conv.party_of("CR-NPDC").code == "CR-NPDC"
    assert conv.party_of("cg 59").code == "CG-59"          # case, spaces and dashes ignored
    assert conv.party_of("Région").code == "CR-NPDC"       # aliases
    assert conv.party_of("ESE") is None
    assert conv.party_of("CG-67") is None
    assert conv.party_of("nobody") is None
    assert conv.nearest_party("CG-67").code == "CG-62"
    assert conv.other_funder("ESE") == ("FSE", "Fonds social européen")


def test_axes_and_means(conv, seed_text):
    assert [a.number for a in conv.axes] == [1, 2, 3]
    assert conv.axes[0].title == "Diffuser et promouvoir les valeurs de l'Economie Sociale et Solidaire"
    assert conv.axes[1].title == "Aider le secteur à se structurer et à se professionnaliser"
    assert conv.axes[2].title == "Accompagner la création d'activités relevant de l'ESS"
    assert [len(a.means) for a in conv.axes] == [6, 3, 3]
    for axis in conv.axes:
        assert axis.title in seed_text
        for m in axis.means:
            assert m.text.split(" (")[0] in seed_text
    dla = [m for m in conv.axes[2].means if any("DLA" in b for b in m.by)]
    assert dla and dla[0].text == "Soutenir le développement et la pérennisation des activités"
    assert conv.axis_for("Structurer le secteur de l'ESS").number == 2


def test_ambition(conv):
    assert [i.title for i in conv.ambition] == [
        "Mobiliser les leviers de développement",
        "Susciter et accompagner des dynamiques de développement",
        "Diffuser les valeurs et pratiques de l'Economie Sociale et Solidaire"]
    assert [len(i.items) for i in conv.ambition] == [5, 2, 2]
    assert "créer un environnement financier favorable" in conv.ambition[0].items


def test_instruments(conv):
    codes = {i.code: i for i in conv.instruments}
    for code in ("MPA", "FIDESS", "DLA", "Cigales", "OUTILS-FINANCIERS", "ISCE"):
        assert code in codes
    assert codes["MPA"].name == "Micro Projet Associatif"
    assert codes["DLA"].axis == 3
    assert "fonds de garantie" in codes["OUTILS-FINANCIERS"].name
    assert "FDF" in codes["ISCE"].supported_by


def test_bodies_and_meetings(conv):
    bodies = {b.short_name: b for b in conv.bodies}
    assert bodies["Conférence permanente du SRDE"].meetings_per_year == 2
    assert bodies["Conférence des financeurs"].meetings_per_year == 2
    assert bodies["Comité stratégique"].meetings_per_year == 4
    assert "APES" in bodies["Comité stratégique"].members
    assert "CRESS" in bodies["Comité stratégique"].members
    assert any("plan de financement prévisionnel" in r for r in bodies["Conférence des financeurs"].roles)
    assert bodies["Comité stratégique"].secretariat.code == "CR-NPDC"
    assert conv.secretariat.code == "CR-NPDC"
    assert "la rédaction des comptes-rendus" in conv.secretariat_tasks
    meetings = conv.meetings(2010)
    assert len(meetings) == 2 + 2 + 4
    strat = [m for m in meetings if m.body.short_name == "Comité stratégique"]
    assert [(m.start, m.end) for m in strat] == [
        (dt.date(2010, 1, 1), dt.date(2010, 3, 31)), (dt.date(2010, 4, 1), dt.date(2010, 6, 30)),
        (dt.date(2010, 7, 1), dt.date(2010, 9, 30)), (dt.date(2010, 10, 1), dt.date(2010, 12, 31))]
    assert [m.end for m in meetings] == sorted(m.end for m in meetings)
    assert conv.meetings(2014) == [] and conv.meetings(2008) == []



def test_a_meeting_prints_in_english_only(conv):
    """str() of a meeting said "2010 T1: Comité stratégique (between ...)": French period
    letters (trimestre, semestre) in an English sentence."""
    meetings = conv.meetings(2010)
    assert str(meetings[0]) == ("2010 Q1: Strategic Committee (Comité stratégique), between "
                                "2010-01-01 and 2010-03-31")
    assert meetings[1].period == "2010 H1" and meetings[-1].period == "2010 Q4"
    assert not any(" T" in m.period or " S" in m.period for m in meetings)


def test_a_milestone_prints_in_english_as_the_python_api_speaks(conv):
    """str() of a milestone gave the French day and label, "01/01/2009: Début de la
    convention", after an English colon, where str() of a meeting is English."""
    import datetime as dt
    for m in list(conv.milestones) + list(conv.history):
        if m.precision == "day":
            day = m.date
            when = f"{day.year}-{day.month:02d}-{day.day:02d}" + (
                f" – {m.until.year}-{m.until.month:02d}-{m.until.day:02d}" if m.until else "")
        else:
            when = m.printed_en or m.when
        assert m.label_en and str(m) == f"{when}: {m.label_en}", str(m)
    start = conv.milestones[0]
    assert start.date == dt.date(2009, 1, 1) and str(start) == "2009-01-01: Start of the convention"
    assert str(conv.milestones[2]).startswith("early 2011: Full evaluation")


def test_a_meeting_names_its_body_in_english_with_the_texts_french_name_beside_it(conv):
    """str() of a meeting, the Python API's English, named the body by its French name alone
    ("2010 Q1: Comité stratégique"): the English name comes first, the signed text's beside."""
    import dataclasses
    english = {"Comité stratégique": "Strategic Committee",
               "Conférence des financeurs": "Funders' Conference",
               "Conférence permanente du SRDE": "SRDE Standing Conference"}
    for year in conv.years:
        for m in conv.meetings(year):
            assert str(m).startswith(
                f"{m.period}: {english[m.body.short_name]} ({m.body.short_name}), "), str(m)
    # a body the description gives no English words: its French name once, not "X (X)"
    bare = dataclasses.replace(conv.bodies[2], name_en=None, short_name_en=None)
    meeting = dataclasses.replace(conv.meetings(2010)[0], body=bare)
    assert str(meeting).startswith("2010 Q1: Comité stratégique, between ")
    assert bare.introduced_in("en") == bare.introduced_in("fr") == "Comité stratégique"

def test_milestones_and_evaluation(conv):
    labels = {m.date: m for m in conv.milestones}
    assert dt.date(2011, 1, 1) in labels and "valuation" in labels[dt.date(2011, 1, 1)].label
    # "début 2011" is a part of a year: the text gives no quarter, so the bound is the year
    evaluation = labels[dt.date(2011, 1, 1)]
    assert evaluation.precision == "year" and evaluation.when == "début 2011"
    assert evaluation.until == dt.date(2011, 12, 31)
    assert dt.date(2013, 12, 31) in labels
    assert conv.next_milestones(dt.date(2010, 6, 1))[0].date == dt.date(2011, 1, 1)
    assert conv.next_milestones(dt.date(2026, 1, 1)) == []
    assert "tableaux de bord" in conv.evaluation["monitoring"]
    cal = conv.calendar(2011)
    assert any(isinstance(x, essconv.convention.Milestone) for x in cal)


def test_commitments(conv):
    by_party = {c.party.code: c for c in conv.commitments}
    assert set(by_party) == {"ETAT", "DRTEFP", "DRASS", "CR-NPDC", "CG-59", "CG-62", "CDC"}
    assert by_party["DRTEFP"].annual_only and by_party["DRASS"].annual_only
    assert any("Cigales" in t for t in by_party["DRTEFP"].text)
    assert any("DIIESES" in t for t in by_party["DRASS"].text)
    assert any("Fondation de France" in t for t in by_party["CR-NPDC"].text)
    assert any("Contrat à Durée Indéterminée" in t for t in by_party["CG-59"].text)
    assert any("ELAN 2020" in t for t in by_party["CDC"].text)


def test_key_figures(conv):
    k = conv.key_figures
    assert k.establishments == 25600 and k.establishments_share_percent == Decimal("14")
    assert k.establishments_by_family_percent == {
        "coopératives": Decimal(12), "associations": Decimal(84), "mutuelles": Decimal(4)}
    assert sum(k.establishments_by_family_percent.values()) == 100
    assert k.jobs == 219200 and k.jobs_year == 2006
    assert k.jobs_share_percent == Decimal("11.3")
    assert k.jobs_by_family_percent == {
        "associations": Decimal(88), "coopératives": Decimal(8), "mutuelles": Decimal(2)}


def test_iae_annex_amounts(conv):
    by_party = {c.party.code: c for c in conv.iae}
    state = {a.label: a.amount for a in by_party["ETAT"].amounts}
    assert Decimal(15_000_000) in state.values() and Decimal(3_500_000) in state.values()
    pdc = by_party["CG-62"].amounts
    whole = next(a for a in pdc if a.parts)
    parts = [a for a in pdc if a.label in whole.parts]
    assert whole.amount == Decimal(8_200_000)
    assert sum(a.amount for a in parts) == whole.amount          # 6,4 + 1,8 = 8,2 M€
    region = {a.amount for a in by_party["CR-NPDC"].amounts}
    assert region == {Decimal(1_600_000), Decimal(200_000)}
    assert by_party["CG-62"].facts["fte"] == 2100


@needs_source
def test_embedded_annex_is_byte_for_byte_the_source():
    embedded = resources.files("essconv").joinpath("data", "annexe1-2009.tsv").read_bytes()
    assert embedded == ("\n".join(annex_lines()) + "\n").encode("utf-8")
    assert "1 2618" in embedded.decode()


def test_plans_by_year(conv):
    assert list(conv.plans) == [2009]
    plan = conv.plan(2009)
    assert plan.year == 2009 and plan.unit == "k€"
    assert plan.cell("DLA", "CDC") == Decimal(274)
    assert plan.cell("Observatoire CRESS", "CDC") is None
    assert plan.total() == Decimal(8105)
    assert plan.stated_total == Decimal(8115)
    assert plan.axis_of("DLA") == "Soutenir la création d'activité"
    assert plan.by_funder() == {
        "CR-NPDC": 4076, "DRTEFP": 643, "DRASS": 96, "CDC": 1240, "CG-59": 805, "ESE": 600,
        "CG-67": 375, "Territoires": 270}
    with pytest.raises(essconv.NoPlanError) as info:
        conv.plan(2010)
    assert isinstance(info.value, LookupError) and "2009" in str(info.value)
    with pytest.raises(essconv.NoPlanError, match="outside the term"):
        conv.plan(2015)


def test_default_is_fresh_each_time():
    a, b = essconv.default(), essconv.default()
    assert a is not b and a.plan(2009) is not b.plan(2009)


def test_aliases_follow_one_rule_in_validate_by_party_and_the_pivot():
    """The core's rule (codes compare ignoring ASCII case, spaces, dashes, dots, underscores;
    an alias stands for its party) answers everywhere: a column headed "Région", "CR" or
    "CD 59" is no unknown funder to validate() (it was, while by_party() rolled it up), and
    by_party() and the pivot roll it up to the same party; each party's sum equals a plain
    Decimal sum of its columns' cells."""
    import io
    conv = essconv.default()
    table = ("en k€;Région;CR;CD 59;drtefp;FSE;Total\n"
             "Têtes de réseaux;1;2;3;4;5;15\nObservatoire;10;20;30;40;50;150\n")
    plan = essconv.read_plan(io.BytesIO(table.encode()), year=2010)
    unknown = [f.funder for f in plan.validate(conv) if f.code == "unknown-funder"]
    assert unknown == ["FSE"]
    by_party = plan.by_party(conv)
    assert set(by_party) == {"CR-NPDC", "CG-59", "ETAT", "FSE"}
    twin: dict[str, Decimal] = {}
    for _line, funder, amount in plan.cells():
        party = conv.party_of(funder)
        key = party.code if party is not None else funder
        twin[key] = twin.get(key, Decimal(0)) + amount
    assert by_party == twin == {"CR-NPDC": Decimal(33), "CG-59": Decimal(33),
                                "ETAT": Decimal(44), "FSE": Decimal(55)}
    pivot = plan.pivot(conv)
    assert {p: pivot.get("total", ("party", p)) for p in pivot.parties} == {
        k: v for k, v in by_party.items() if k != "FSE"}
    assert [conv.party_of(f) is None for f in plan.funders] == [False] * 4 + [True]


def test_accented_capitals_fold_like_ascii_ones_in_party_codes():
    """A column printed "RÉGION" (capitals keep their accents in French) is the alias "Région",
    as "REGION" would be were it unaccented: one fold (text.c), for the roll-up, the funder
    check and the pivot alike.  An accent is no capital: "RÉGIÖN" is another word."""
    import io
    conv = essconv.default()
    assert conv.party_of("RÉGION").code == conv.party_of("région").code == "CR-NPDC"
    assert conv.party_of("RÉGIÖN") is None
    # "RÉGION" beside "CR" (another alias of the party): beside "Région" it would be one
    # funder typed twice, which the plan reader refuses
    table = "en k€;RÉGION;CR;CG-59;Total\nObservatoire;1;2;4;7\nDLA;10;20;40;70\n"
    plan = essconv.read_plan(io.BytesIO(table.encode()), year=2010)
    assert [f for f in plan.validate(conv) if f.code == "unknown-funder"] == []
    assert plan.by_party(conv) == {"CR-NPDC": Decimal(33), "CG-59": Decimal(44)}
    pivot = plan.pivot(conv)
    assert [pivot.get("total", ("party", p)) for p in pivot.parties] == [Decimal(33), Decimal(44)]


def test_sums_by_axis_have_one_key_everywhere():
    """by_axis(), cumulative(), compare() and an execution key an axis alike ("Axe N"): a
    caller can look a year's sum up in the term's (by_axis gave Axis objects, cumulative
    strings).  The term's sums equal a plain Decimal sum of the years' (in k€, the unit of
    the default plans)."""
    conv = essconv.default()
    # a second year, so compare() has two years to set side by side (one with itself is refused)
    conv.add_plan(essconv.read_plan(conv.plan(2009).to_tsv().encode()), 2010)
    term = conv.cumulative()["axis"]
    twin: dict[str, Decimal] = {}
    for year in conv.plans:
        assert conv.plan(year).unit == "k€"
        for key, amount in conv.by_axis(year).items():
            twin[key] = twin.get(key, Decimal(0)) + amount
    assert twin == term
    years = sorted(conv.plans)
    assert set(conv.compare(years[0], years[-1])["axis"]) == set(term)
    assert set(conv.by_axis(years[0])) <= {f"Axe {a.number}" for a in conv.axes}


def test_a_party_is_found_by_the_names_the_convention_prints():
    """Grant files write a funder as the text names it -- CDC's name, CG-59's signature --
    with or without its accents; an alias or a code keeps its accents ("RÉGIÖN" is no word of
    the convention), and Annex 1's "CG-67" stays no party (none bears it)."""
    conv = essconv.default()
    assert conv.party_of("Caisse des Dépôts").code == "CDC"
    assert conv.party_of("CAISSE DES DEPOTS").code == "CDC"
    assert conv.party_of("Conseil Général du Nord").code == "CG-59"
    assert conv.party_named("Direction Régionale des Affaires Sanitaires et Sociales").code == "DRASS"
    assert conv.party_of("Direction Régionale des Affaires Sanitaires et Sociales").code == "ETAT"
    assert conv.party_of("CG-67") is None and conv.party_of("RÉGIÖN") is None


def test_reprs_stay_readable_in_a_terminal():
    # a year's meetings printed each body's whole record (members, roles, every source):
    # 8 meetings made some 9 000 characters in a REPL
    conv = essconv.default()
    meetings = conv.meetings(2010)
    assert repr(meetings[0]) == "Meeting('Comité stratégique', 1 of 4, 2010-01-01..2010-03-31)"
    assert len(repr(meetings)) < 100 * len(meetings)
    party = conv.party("CG-62")
    assert "source" not in repr(party) and party.source.quotes   # kept, not shown
    assert repr(party).startswith("Party(code='CG-62', name=")


def test_a_pivot_in_a_terminal_says_its_shape_and_total():
    # plan.pivot(conv) showed "<essconv.pivot.Pivot object at 0x7f...>" outside a notebook
    conv = essconv.default()
    plan = conv.plan(2009)
    assert repr(plan.pivot(conv)) == (
        f"<Pivot 2009: {len(plan.lines)} lines in {len(plan.axes)} axes x {len(plan.funders)} "
        f"funders of {len(plan.pivot(conv).parties)} parties, total 8105 k€>")
    assert plan.pivot(conv).get("total", "total") == plan.total() == Decimal("8105")


def test_a_plans_and_a_pivots_repr_print_the_total_as_decimal_text_not_the_french_way():
    """repr(plan) said "total 8 105 k€" and a ledger's pivot "total 1 234 577,50 €": French
    grouping and a decimal comma in the Python API, where the Ledger's repr prints Decimal
    text. Every repr prints its total as Python's Decimal does."""
    rows = [("Région", "x", "1234567.50"), ("CDC", "y", "10.25"), ("CDC", "x", "2000")]
    ledger = essconv.Ledger.read_csv(
        ("f;g;m\n" + "".join(f"{f};{g};{m}\n" for f, g, m in rows)).encode(), amount="m")
    total = sum(Decimal(m) for _, _, m in rows)          # 1236577.75, summed here
    pivot = ledger.pivot("f", "g")
    for shown in (repr(ledger), repr(pivot), repr(pivot.pivot())):
        assert shown.endswith(f", total {total} €>"), shown
    annex = essconv.default().plan(2009)
    # the annex's cells, summed from the plan's own table, k€
    cells = sum(value for _, _, value in annex.cells())
    for shown in (repr(annex), repr(annex.pivot())):
        assert f"total {cells} k€>" in shown and "\u202f" not in shown and "\u00a0" not in shown



def test_an_unknown_party_is_refused_with_the_codes_to_choose_from(conv):
    """conv.party("CG-95") said "no party 'CG-95' in this convention" and no more."""
    with pytest.raises(essconv.UnknownLabelError) as refused:
        conv.party("CG-95")
    assert "no party 'CG-95'" in str(refused.value) and "CG-59, CG-62" in str(refused.value)
    assert isinstance(refused.value, KeyError)


def test_a_funder_spelt_without_its_accent_is_one_edit_from_the_party(tmp_path):
    """"Region" for the party "Région" was two edits away (the accent is two bytes in UTF-8),
    so no party was suggested: an accented letter is one character, one edit."""
    path = tmp_path / "accents.toml"
    path.write_text('[convention]\ntitle = "Convention ESS"\nterritory = "Nord"\n'
                    'start = 2020-01-01\nend = 2022-12-31\n\n[[parties]]\ncode = "Région"\n'
                    'name = "Conseil régional"\nkind = "region"\nsignatory = true\n',
                    encoding="utf-8")
    mine = essconv.load(path)
    assert mine.party_of("Region") is None
    assert mine.nearest_party("Region").code == "Région"
    assert mine.nearest_party("REGION").code == "Région"   # the accented capital folds too
    assert mine.nearest_party("Regions") is None             # two edits: no suggestion
    assert essconv._core.Convention.edit_distance("Region", "Région", 8) == 1
    assert essconv._core.Convention.edit_distance("Régions", "REGION", 8) == 2


def _fold_char(c: str) -> str:
    """One character in lower case as the core's alias rule folds it: ASCII, the accented
    capitals of Latin-1 (not the sign ×), Œ and Ÿ; any other character as it is."""
    if c.isascii():
        return c.lower()
    if "\u00c0" <= c <= "\u00de" and c != "\u00d7":
        return chr(ord(c) + 0x20)
    return {"\u0152": "\u0153", "\u0178": "\u00ff"}.get(c, c)


def _characters_apart(a: str, b: str) -> int:
    """Levenshtein distance over characters, the obvious way: a full table."""
    a, b = [_fold_char(c) for c in a], [_fold_char(c) for c in b]
    table = [[i + j if i * j == 0 else 0 for j in range(len(b) + 1)] for i in range(len(a) + 1)]
    for i in range(1, len(a) + 1):
        for j in range(1, len(b) + 1):
            table[i][j] = min(table[i - 1][j] + 1, table[i][j - 1] + 1,
                              table[i - 1][j - 1] + (a[i - 1] != b[j - 1]))
    return table[len(a)][len(b)]


def test_the_edit_distance_counts_characters_against_a_full_table():
    """The core's distance on random texts of ASCII, accented, three-byte (€, ’) and
    four-byte (𝔼) characters against a character table: equal up to the cap, cap + 1 past it."""
    import random
    rng = random.Random(11)
    alphabet = "aeERgG-éÉèÈœŒÿŸ×÷€’𝔼"
    for _ in range(3000):
        a = "".join(rng.choice(alphabet) for _ in range(rng.randrange(0, 9)))
        b = "".join(rng.choice(alphabet) for _ in range(rng.randrange(0, 9)))
        cap = rng.randrange(0, 6)
        expected = min(_characters_apart(a, b), cap + 1)
        assert essconv._core.Convention.edit_distance(a, b, cap) == expected, (a, b, cap)


@pytest.mark.parametrize("separator", ["\u00a0", "\u202f", "\t", "\u2010", "\u2011", "\u2012",
                                       "\u2013", "\u2014"])
def test_a_code_spaced_or_dashed_by_a_word_processor_is_the_party(conv, tmp_path, separator):
    """"CG 59" with a no-break space (French typography, Excel's French exports) or "CG–59"
    with an en dash (a word processor's autocorrection) was no party: a plan's column was
    counted « hors parties » and said a typo.  They are separators as "-" and " " are."""
    assert conv.party_of(f"CG{separator}59") is conv.party_of("CG 59") is conv.party("CG-59")
    assert conv.nearest_party(f"CG{separator}59") is None   # found: no typo to suggest
    if separator == "\t":
        return   # a tab in a plan's header separates its cells
    path = tmp_path / "plan.toml"
    path.write_text('[convention]\ntitle = "Convention ESS"\nterritory = "Nord"\n'
                    'start = 2020-01-01\nend = 2022-12-31\n\n[[parties]]\ncode = "CG-59"\n'
                    'name = "Département du Nord"\nkind = "department"\nsignatory = true\n\n'
                    '[[plans]]\nyear = 2021\nunit = "k€"\ntable = """\nLigne\tCR\t'
                    f'CG{separator}59\\tTotal\\nAmorçage\\t10\\t20,5\\t30,5\\n'
                    'Total\t10\t20,5\t30,5\n"""\n', encoding="utf-8")
    mine = essconv.load(path)
    plan = mine.plan(2021)
    assert "unknown-funder" in plan.validate(mine).codes()   # CR is no party here
    assert [f.funder for f in plan.validate(mine) if f.code == "unknown-funder"] == ["CR"]
    assert plan.by_party(mine)["CG-59"] == Decimal("20.5")   # the column's one cell


_IN_LANG = {
    "source": lambda conv, lang: conv.party("CG-62").source.text(lang),
    "text": lambda conv, lang: conv.bodies[1].roles[0].in_lang(lang),
    "body_name": lambda conv, lang: conv.bodies[1].name_in(lang),
    "short_name": lambda conv, lang: conv.bodies[1].short_name_in(lang),
    "members": lambda conv, lang: conv.bodies[2].members_in(lang),
    "roles": lambda conv, lang: conv.bodies[2].roles_in(lang),
    "milestone": lambda conv, lang: conv.milestones[0].label_in(lang),
    "period": lambda conv, lang: conv.meetings(2010)[0].period_in(lang),
}


@pytest.mark.parametrize("what", sorted(_IN_LANG))
@pytest.mark.parametrize("lang", ["EN", "de", "english", ""])
def test_a_language_essconv_does_not_speak_is_refused_by_every_words_in(what, lang):
    """``name_in("EN")`` or ``source.text("de")`` gave the French words without a word, where
    ``period_in("de")`` and every display refused the language."""
    conv = essconv.default()
    with pytest.raises(essconv.InvalidValueError, match=f"unknown language {lang!r}"):
        _IN_LANG[what](conv, lang)
    # the two languages it speaks still answer, French by default
    assert _IN_LANG[what](conv, "fr") == _IN_LANG[what](conv, None)
    _IN_LANG[what](conv, "en")


def test_every_alias_and_name_without_its_accents_finds_its_party():
    """Exports that strip accents write "Departement du Pas-de-Calais" or "CAISSE DES DEPOTS ET
    CONSIGNATIONS": each alias and name of the description, its accents stripped (the
    conditions' own fold), in capitals or not, finds its party, as printed does; the Région as
    the text names it ("La Région Nord-Pas de Calais,") is one of them.  A word with accents of
    its own stays unknown."""
    from essconv.conditions import without_accents
    conv = essconv.default()
    tried = 0
    for party in conv.parties:
        for form in (*party.aliases, party.name, party.signs_as):
            if not form or form.endswith(")"):   # "… (Département du Nord)": its parts are tried
                continue
            for written in (form, without_accents(form), without_accents(form).upper()):
                assert conv.party_named(written) is party, (party.code, written)
                tried += 1
    assert tried >= 3 * 12
    assert conv.party_of("Région Nord-Pas de Calais").code == "CR-NPDC"
    assert conv.party_of("REGION NORD-PAS DE CALAIS").code == "CR-NPDC"
    assert conv.party_of("Departement du Pas-de-Calais").code == "CG-62"
    assert conv.party_of("CAISSE DES DEPOTS ET CONSIGNATIONS").code == "CDC"
    assert conv.party_of("RÉGIÖN") is None and conv.party_of("Départément du Nord") is None


#: int64 cents' largest amount, as a plan in € prints it
_TOP_PRINTED = "92 233 720 368 547 758,07"
_TOP = Decimal(2**63 - 1) / 100


def test_cumulative_sums_whose_running_sum_passes_int64_are_exact():
    """The term's sums added the plans two at a time, each partial checked: CDC's max, max and
    -max in three years refused cumulative() by the years' order alone.  Exact, checked once
    every plan is in."""
    conv = essconv.default()
    for year, amount in ((2009, _TOP_PRINTED), (2010, _TOP_PRINTED), (2011, "-" + _TOP_PRINTED)):
        plan = essconv.read_plan(f"en €;CDC;CR-NPDC\nDLA;{amount};0\n".encode(), year=year)
        conv.add_plan(plan, year, replace=True)
    term = conv.cumulative()
    assert term["funder"]["CDC"] == term["party"]["CDC"] == _TOP / 1000
    assert term["total"] == {"k€": _TOP / 1000}
    conv.add_plan(essconv.read_plan(f"en €;CDC;CR-NPDC\nDLA;{_TOP_PRINTED};0\n".encode(),
                                    year=2012), 2012, replace=True)
    with pytest.raises(essconv.MoneyOverflowError, match="beyond"):
        conv.cumulative()


def test_funded_in_plans_whose_running_sum_passes_int64_is_exact():
    """An instrument's line printed under three axes: its funder's cells were added two at a
    time, each partial checked, and max, max, -max refused where by_funder() gives the sum."""
    conv = essconv.default()
    text = (f"en €;;CDC;CR-NPDC\nAxe A;DLA;{_TOP_PRINTED};0\n"
            f"Axe B;DLA;{_TOP_PRINTED};0\nAxe C;DLA;-{_TOP_PRINTED};0\n")
    plan = essconv.read_plan(text.encode(), year=2009)
    conv.add_plan(plan, 2009, replace=True)
    assert conv.funded_in_plans("DLA") == {2009: {"CDC": _TOP}} == \
        {2009: {f: v for f, v in plan.by_funder().items() if v}}
