"""Faithful to the signed text: every fact traceable to its words, nothing invented
or sharpened, nothing left out, the document's own faults found like a plan's, and meetings
owed only once the bodies exist."""
from __future__ import annotations

import datetime as dt
import html
import json
import re
import tomllib
from decimal import Decimal
from importlib import resources
from pathlib import Path

import pytest

import essconv
from essconv import report as text_report
from essconv.convention import Body, Milestone, Source, Text
from essconv.dashboard import render as dashboard
from essconv.display import convention_html

from conftest import needs_source, SEED
from test_description import MINIMAL, PLAN_2020

AFTER_THE_TERM = dt.date(2026, 1, 1)


@pytest.fixture(scope="module")
def conv():
    return essconv.default()


def _description() -> dict:
    raw = resources.files("essconv").joinpath("data", "nord-pas-de-calais-2009-2013.toml")
    return tomllib.loads(raw.read_text(encoding="utf-8"))


def _sourced(kind, items, name=lambda item: str(item)[:30]):
    """Each item's source, named by its kind and ``name(item)``."""
    for item in items:
        yield f"{kind} {name(item)}", item.source


def _sourced_with_texts(kind, items, key, texts):
    """Each item's source, then the sources of its texts, named after the item's key."""
    for item in items:
        yield f"{kind} {key(item)}", item.source
        yield from _sourced(f"{kind} {key(item)}:", texts(item))


def _facts(conv):
    """Every fact of the model, named, with the source it carries (None when it has none)."""
    yield "convention.definition", conv.definition.source
    for key in ("title", "territory", "start", "end", "signed_on", "signed_at", "purpose", "scope"):
        yield f"convention.{key}", conv.sources.get(key)
    for name in ("values", "structures", "articles", "table_of_contents"):
        yield from _sourced(f"convention.{name}:", getattr(conv, name), str)
    yield from _sourced("party", conv.parties, lambda p: p.code)
    for code, _name in conv.other_funders:
        yield f"other funder {code}", conv.other_funder_sources[code]
    k = conv.key_figures
    yield "key figures", k.source
    for name in ("establishments", "establishments_qualifier", "establishments_share_percent",
                 "establishments_by_family_percent", "jobs", "jobs_year", "jobs_share_percent",
                 "jobs_by_family_percent"):
        yield f"key figure {name}", k.sources.get(name)
    yield from _sourced("observation", k.observations)
    yield from _sourced("history", conv.history, lambda h: h.when)
    yield from _sourced_with_texts("ambition", conv.ambition, lambda i: i.number, lambda i: i.items)
    for a in conv.axes:
        yield f"axis {a.number}", a.source
        for m in a.means:
            yield f"axis {a.number} means {m.text[:30]}", m.source
            yield from _sourced(f"axis {a.number} means by", m.by)
    for i in conv.instruments:
        yield f"instrument {i.code}", i.source
        for fact in ("supported_by", "plan_lines"):
            if getattr(i, fact):
                yield f"instrument {i.code} {fact}", i.sources.get(fact)
    for b in conv.bodies:
        yield f"body {b.short_name}", b.source
        yield f"body {b.short_name} members", b.sources.get("members")
        yield f"body {b.short_name} rhythm", b.sources.get("meetings_per_year")
        yield from _sourced(f"body {b.short_name}:", b.members + b.roles)
    yield "secretariat", conv.secretariat_source
    yield from _sourced("secretariat task", conv.secretariat_tasks)
    yield from _sourced("milestone", conv.milestones, lambda m: m.label[:30])
    for key, t in conv.evaluation.items():
        yield f"evaluation {key}", t.source
    yield "financing rule", conv.financing_rule.source
    yield from _sourced("general commitment", conv.general_commitments)
    yield from _sourced_with_texts("commitment", conv.commitments, lambda c: c.party.code,
                                   lambda c: c.text)
    for c in conv.iae:
        yield f"iae {c.party.code}", c.source
        for fact in c.facts:
            yield f"iae {c.party.code} {fact}", c.sources.get(fact)
        yield from _sourced(f"iae {c.party.code}", c.amounts, lambda a: a.label[:30])
        yield from _sourced(f"iae {c.party.code} commitment", c.commitments, lambda t: "")
    yield from _sourced("annex or body referred to", conv.annexes + conv.referred_bodies, str)
    for year, plan in conv.plans.items():
        yield f"plan {year}", plan.source


# ---------------------------------------------------------------- 1. provenance
def test_every_fact_has_a_source_without_the_text(conv):
    facts = list(_facts(conv))
    assert len(facts) > 150
    missing = [name for name, source in facts if not isinstance(source, Source)]
    assert missing == []
    for name, source in facts:
        assert source.quotes or source.added, name
        assert all(q.strip() for q in source.quotes), name


def _quotes(node, where=""):
    """Every quote of every source table of the raw description (nothing the model might drop)."""
    if isinstance(node, dict):
        for key, value in node.items():
            if key == "source" and isinstance(value, dict):
                quote = value.get("quote", [])
                for q in [quote] if isinstance(quote, str) else quote:
                    yield f"{where}.source", q
            elif key == "sources" and isinstance(value, dict):
                for fact, src in value.items():
                    quote = src.get("quote", [])
                    for q in [quote] if isinstance(quote, str) else quote:
                        yield f"{where}.sources.{fact}", q
            else:
                yield from _quotes(value, f"{where}.{key}")
    elif isinstance(node, list):
        for k, value in enumerate(node):
            yield from _quotes(value, f"{where}[{k}]")


@needs_source
def test_every_quote_is_verbatim_in_the_signed_text(conv, seed_text):
    def plain(text):
        return " ".join(text.split())
    text = plain(seed_text)
    quotes = list(_quotes(_description()))
    assert len(quotes) > 200
    absent = [(where, q) for where, q in quotes if plain(q) not in text]
    assert absent == []
    # and the model carries the same words
    for name, source in _facts(conv):
        for q in source.quotes:
            assert plain(q) in text, name


def test_additions_are_marked_with_their_origin(conv):
    assert conv.other_funder_sources["FSE"].is_addition
    assert "GLOSSARY" in conv.other_funder_sources["FSE"].added
    assert conv.other_funder_sources["FEDER"].is_addition
    cg62 = conv.party("CG-62").source
    assert not cg62.is_addition and "CG-62" in cg62.added          # the code is essconv's
    assert "APES" in conv.party("APES").source.added                 # a spelled-out acronym
    assert conv.party("CR-NPDC").source.added is None                # all of it is printed
    assert "[ajout d'essconv" in str(cg62) and "Le Département du Pas-de-Calais" in str(cg62)
    header = resources.files("essconv").joinpath("data", "nord-pas-de-calais-2009-2013.toml") \
        .read_text(encoding="utf-8").split("[convention]")[0]
    assert "every fact is taken from the signed text" not in header
    assert "added" in header


def test_a_description_may_give_sources_and_a_bad_one_is_named(tmp_path):
    path = tmp_path / "c.toml"
    path.write_text(MINIMAL.replace('signatory = true\n', 'signatory = true\nsource = { article = '
                                    '"Préambule", quote = ["L\'Etat"] }\n', 1)
                    .replace('members = ["les signataires"]', 'members = [{ text = "les signataires", '
                             'source = { added = "supposé" } }]'), encoding="utf-8")
    (tmp_path / "plan-2020.tsv").write_text(PLAN_2020, encoding="utf-8")
    c = essconv.load(path)
    assert c.party("ETAT").source == Source(article="Préambule", quotes=("L'Etat",))
    assert c.party("CR").source is None                              # optional
    assert c.bodies[0].members[0] == "les signataires"
    assert c.bodies[0].members[0].source.is_addition
    for bad, key in (('source = { article = "x" }', "parties[0].source"),
                     ('source = { quote = 3 }', "parties[0].source.quote"),
                     ('source = { article = "x", quote = "y", page = 2 }', "parties[0].source")):
        path.write_text(MINIMAL.replace('signatory = true\n', f'signatory = true\n{bad}\n', 1),
                        encoding="utf-8")
        with pytest.raises(essconv.DescriptionError) as info:
            essconv.load(path)
        assert info.value.key == key and str(path) in str(info.value)


# ---------------------------------------------------------------- 2. nothing invented
def test_the_srde_conference_has_no_invented_members(conv):
    srde = next(b for b in conv.bodies if b.short_name == "Conférence permanente du SRDE")
    assert srde.members == ()
    assert srde.sources["members"].is_addition and "inconnus" in srde.sources["members"].added
    assert srde.meetings_per_year == 2


def test_dates_keep_the_precision_of_the_text(conv):
    printed = [h.when for h in conv.history]
    assert printed == ["Dès 2003", "En 2005", "19/06/2008"]
    assert [h.precision for h in conv.history] == ["year", "year", "day"]
    evaluation = next(m for m in conv.milestones if m.article == 6)
    assert evaluation.precision == "year" and evaluation.when == "début 2011"
    assert str(evaluation).startswith("early 2011: ")   # str() English, as precise as the text
    assert "2011-01-01" not in str(evaluation) and "2011-03-31" not in str(evaluation)
    # ordered without a day: after everything of 2010, its bounds the whole of 2011
    upcoming = conv.next_milestones(dt.date(2010, 6, 1))
    assert upcoming[0] is evaluation
    assert conv.next_milestones(dt.date(2011, 6, 1))[0] is evaluation   # may not be past yet
    text = text_report.render_text(conv, today=AFTER_THE_TERM)
    page = dashboard(conv, today=AFTER_THE_TERM)
    assert "début 2011" in text and "début 2011" in page
    # in English, the English words essconv gives the date, never the day it does not know
    english = text_report.render_text(conv, today=AFTER_THE_TERM, lang="en")
    assert "early 2011: Full evaluation" in english and "début 2011" not in english
    assert "2011-01-01" not in english
    row = re.search(r"<tr[^>]*><td>([^<]*)</td><td><b>Évaluation complète", page)
    assert row and row.group(1) == "début 2011"                   # not 01/01/2011 – 31/03/2011
    data = json.loads(text_report.render_json(conv, today=AFTER_THE_TERM))
    m = next(x for x in data["milestones"] if x["precision"] == "year")
    assert m["as_printed"] == "début 2011"
    from essconv.calendar import to_ics
    ics = to_ics(conv, 2011).replace("\r\n ", "")
    event = next(e for e in ics.split("BEGIN:VEVENT") if "SUMMARY:début 2011 : Évaluation" in e)
    assert "DTSTART;VALUE=DATE:20110101" in event and "DTEND;VALUE=DATE:20120101" in event


def test_an_english_calendar_dates_a_milestone_in_english(conv, tmp_path):
    """The .ics in English summed up the evaluation as "début 2011: Full evaluation…", and a
    month-precision milestone as "03/2011", the French order."""
    from essconv.calendar import to_ics
    ics = to_ics(conv, 2011, lang="en").replace("\r\n ", "")
    assert "SUMMARY:early 2011: Full evaluation" in ics and "début" not in ics
    (tmp_path / "plan-2020.tsv").write_text(PLAN_2020, encoding="utf-8")
    path = tmp_path / "month.toml"
    path.write_text(MINIMAL.replace("date = 2021-06-30", 'date = 2021-03-01\nprecision = "month"')
                    .replace('label = "Bilan à mi-parcours"',
                             'label = "Bilan à mi-parcours"\nlabel_en = "Mid-term review"'),
                    encoding="utf-8")
    mine = essconv.load(path)
    english = to_ics(mine, 2021, lang="en").replace("\r\n ", "")
    assert "SUMMARY:2021-03: Mid-term review" in english
    assert "SUMMARY:03/2021 : Bilan à mi-parcours" in to_ics(mine, 2021).replace("\r\n ", "")


def test_a_year_precision_must_not_carry_a_day(tmp_path):
    (tmp_path / "plan-2020.tsv").write_text(PLAN_2020, encoding="utf-8")
    path = tmp_path / "c.toml"
    for extra, ok in (('date = 2021-01-01\nprecision = "year"\nprinted = "courant 2021"', True),
                      ('date = 2021-06-30\nprecision = "year"', False),
                      ('date = 2021-06-01\nprecision = "month"', True),
                      ('date = 2021-06-30\nprecision = "week"', False)):
        path.write_text(MINIMAL.replace("date = 2021-06-30", extra), encoding="utf-8")
        if ok:
            m = essconv.load(path).milestones[0]
            assert m.precision in ("year", "month") and m.until.year == 2021
        else:
            with pytest.raises(essconv.DescriptionError, match="milestones"):
                essconv.load(path)
    path.write_text(MINIMAL.replace("date = 2021-06-30", 'date = 2021-01-01\nprecision = "year"\n'
                                    'printed = "courant 2021"'), encoding="utf-8")
    assert str(essconv.load(path).milestones[0]) == "courant 2021: Bilan à mi-parcours"


def test_qualifiers_are_kept_wherever_a_figure_is_shown(conv):
    k = conv.key_figures
    assert k.establishments_as_printed == "plus de 25 600"
    # each output prints the figure its language's way, the qualifier always kept
    assert "plus de 25\u202f600 établissements" in dashboard(conv, today=AFTER_THE_TERM)
    assert "plus de 25\u202f600 établissements" in text_report.render_text(conv, today=AFTER_THE_TERM)
    assert "more than 25,600 establishments" in text_report.render_text(conv, today=AFTER_THE_TERM, lang="en")
    assert "more than 25,600 establishments" in dashboard(conv, today=AFTER_THE_TERM, lang="en")
    assert "plus de 25 600 établissements" in convention_html(conv)
    amounts = {a.label: a for c in conv.iae for a in c.amounts}
    assert str(amounts["Soutien financier aux PLIE du Nord - Pas de Calais"]).count("plus de 1") == 1
    cg62 = next(c for c in conv.iae if c.party.code == "CG-62")
    assert cg62.facts["beneficiary_months_qualifier"] == "près de"


def test_instrument_funders_the_text_versus_the_plans(conv):
    dla = next(i for i in conv.instruments if i.code == "DLA")
    assert dla.supported_by == ("DRTEFP", "CDC")                   # article 7 says so
    assert "comme les DLA" in " ".join(dla.sources["supported_by"].quotes)
    shown = conv.funded_in_plans("DLA")[2009]
    assert list(shown) == ["CR-NPDC", "DRTEFP", "CDC", "CG-59", "CG-67", "Territoires"]
    plde = next(i for i in conv.instruments if i.code == "PLDE-ESS")
    assert plde.supported_by == ()                                 # the text names no funder
    assert conv.funded_in_plans("PLDE-ESS") == {2009: {"CR-NPDC": Decimal(609),
                                                       "Territoires": Decimal(20)}}
    assert conv.funded_in_plans("MPA") == {}                       # no line of Annex 1
    # the slow twin: the line read from the printed table, added as Decimals
    rows = [l.split("\t") for l in resources.files("essconv").joinpath(
        "data", "annexe1-2009.tsv").read_text(encoding="utf-8").splitlines()]
    header, dla_row = rows[0], next(r for r in rows if r[1] == "DLA")
    twin = {header[j]: Decimal(v.replace(" ", "")) for j, v in enumerate(dla_row)
            if 2 <= j < len(header) - 1 and v.strip()}
    assert shown == twin
    with pytest.raises(KeyError):
        conv.funded_in_plans("nothing")
    text = text_report.render_text(conv, today=AFTER_THE_TERM, lang="en")
    assert re.search(r"PLDE-ESS +\(the text names none\)  /  2009: CR-NPDC, Territoires", text)
    assert re.search(r"DLA +DRTEFP, CDC  /  2009: CR-NPDC, DRTEFP, CDC, CG-59, CG-67, Territoires", text)
    data = json.loads(text_report.render_json(conv, today=AFTER_THE_TERM))
    dla_json = next(i for i in data["instruments"] if i["code"] == "DLA")
    assert dla_json["supported_by_text"] == ["DRTEFP", "CDC"]
    assert dla_json["funded_in_plans"]["2009"]["CR-NPDC"] == "327"


# ---------------------------------------------------------------- 3. missing facts
def test_the_facts_that_were_missing(conv):
    prcte = next(i for i in conv.instruments if i.code == "PRCTE")
    assert prcte.name == "Programme Régional de la Création et de la Transmission d'Entreprises"
    assert "SCOP" in prcte.description and "coopérative d'activités et d'emplois" in prcte.description
    assert any("mobilisent par ailleurs leurs propres outils" in t for t in conv.general_commitments)
    cg62 = next(c for c in conv.iae if c.party.code == "CG-62")
    pledge = " ".join(cg62.commitments)
    assert "promouvoir les actions de développement durable" in pledge
    assert "Projet Stratégique" in pledge and "EPCI" in pledge
    assert conv.definition.startswith("Une manière différente d'aborder l'économie")
    assert conv.secretariat_in_liaison_with == "les partenaires"


# ---------------------------------------------------------------- 4. the document's faults
def test_check_finds_the_documents_own_faults(conv):
    report = conv.check()
    assert isinstance(report, essconv.Report) and all(isinstance(f, essconv.Finding) for f in report)
    codes = set(report.codes())
    assert codes == {"shares-sum", "toc-mismatch", "duplicate-annex-title", "undefined-body",
                     "signatory-without-column"}
    shares = [f for f in report if f.code == "shares-sum"]
    assert len(shares) == 1                                        # establishments add to 100
    assert shares[0].actual == sum(conv.key_figures.jobs_by_family_percent.values()) == 98
    assert shares[0].expected == 100 and "jobs" in shares[0].line
    toc = [f for f in report if f.code == "toc-mismatch"]
    assert any("MODIFICATION ET RESILIATION" in f.message and "does not contain" in f.message
               for f in toc)
    modification = next(f for f in toc if "MODIFICATION" in f.message)
    assert modification.source.quotes == ("ARTICLE 7: MODIFICATION ET RESILIATION DE LA CONVENTION",)
    pilotage = next(f for f in toc if "Pilotage" in f.message)
    assert pilotage.source.quotes == ("ARTICLE 5 – PILOTAGE",)
    count = next(f for f in toc if f.expected is not None and "articles" in f.message)
    assert (count.actual, count.expected) == (7, 8)
    annex = next(f for f in report if f.code == "duplicate-annex-title")
    assert "ANNEXE 1" in annex.message and "INSERTION" in annex.message
    body = next(f for f in report if f.code == "undefined-body")
    assert body.line == "comité de pilotage" and "décidé en comité de pilotage" in body.source.quotes[0]
    column = next(f for f in report if f.code == "signatory-without-column")
    assert (column.target, column.funder, column.actual) == ("CG-62", "CG-67", Decimal(375))
    assert all(f.message for f in report)


def test_the_probable_reading_moves_no_money(conv):
    plan = conv.plan(2009)
    assert conv.probable_readings(2009) == {"CG-67": conv.party("CG-62")}
    by_party = plan.by_party(conv)
    assert by_party["CG-67"] == Decimal(375) and "CG-62" not in by_party
    assert sum(by_party.values()) == plan.total()
    data = json.loads(text_report.render_json(conv, today=AFTER_THE_TERM))
    row = next(r for r in data["plans"]["2009"]["by_party"] if r["party"] == "CG-67")
    assert row["probable_party"] == "CG-62" and row["computed"] == "375"
    text = text_report.render_text(conv, today=AFTER_THE_TERM, lang="en")
    assert re.search(r"CG-67 +375 .*probably CG-62", text)


def _declaring(tmp_path, *, toc_second, second_share, second_annex, body, extra=""):
    """A minimal description that declares what conv.check() holds the text to: a table of
    contents beside two articles, two shares, two annexes and a body the text relies on."""
    (tmp_path / "plan-2020.tsv").write_text(PLAN_2020, encoding="utf-8")
    path = tmp_path / "declared.toml"
    path.write_text(MINIMAL.replace('signed_at = "Rennes"', f'''signed_at = "Rennes"
articles = ["Article 1 : Objet", "Article 2 : Durée"]
table_of_contents = ["ARTICLE 1 : OBJET", "{toc_second}"]''') + f'''
[[shares]]
label = "emplois par famille"
percent = {{ "associations" = "80", "coopératives" = "{second_share}" }}

[[annexes]]
title = "Annexe 1"

[[annexes]]
title = "{second_annex}"

[[referred_bodies]]
name = "{body}"
{extra}''', encoding="utf-8")
    return path


def test_nothing_on_a_clean_description(tmp_path):
    (tmp_path / "plan-2020.tsv").write_text(PLAN_2020, encoding="utf-8")
    path = tmp_path / "clean.toml"
    path.write_text(MINIMAL, encoding="utf-8")
    assert len(essconv.load(path).check()) == 0
    # the same declarations, consistent, still give nothing
    path = _declaring(tmp_path, toc_second="ARTICLE 2 : DUREE", second_share="20",
                      second_annex="Annexe 2", body="comité des financeurs")
    assert len(essconv.load(path).check()) == 0


def test_any_description_gets_the_same_scrutiny(tmp_path):
    path = _declaring(tmp_path, toc_second="ARTICLE 2 : RESILIATION", second_share="25",
                      second_annex="ANNEXE 1", body="comité de suivi", extra='''
[[parties]]
code = "CD-35"
name = "Département d'Ille-et-Vilaine"
kind = "department"
signatory = true
''')
    report = essconv.load(path).check()
    by_code = {f.code: f for f in report}
    assert set(by_code) == {"shares-sum", "toc-mismatch", "duplicate-annex-title",
                            "undefined-body", "signatory-without-column"}
    assert by_code["shares-sum"].actual == 105
    assert "RESILIATION" in by_code["toc-mismatch"].message
    assert by_code["undefined-body"].line == "comité de suivi"
    assert by_code["signatory-without-column"].target == "CD-35"
    assert by_code["signatory-without-column"].funder is None       # no column stands for it
    assert report.errors and str(path) in str(by_code["shares-sum"])


def test_a_stated_duration_the_term_does_not_span(tmp_path):
    (tmp_path / "plan-2020.tsv").write_text(PLAN_2020, encoding="utf-8")
    path = tmp_path / "c.toml"
    for duration, found in (("3", False), ("2", True), ("4", True)):
        path.write_text(MINIMAL.replace('signed_at = "Rennes"',
                                        f'signed_at = "Rennes"\nduration_years = {duration}'),
                        encoding="utf-8")
        report = essconv.load(path).check()
        assert (report.codes() == ["term-duration"]) is found, duration
    path.write_text(MINIMAL.replace("start = 2020-01-01", "start = 2020-03-15")
                    .replace("end = 2022-12-31", "end = 2023-03-14")
                    .replace('signed_at = "Rennes"', 'signed_at = "Rennes"\nduration_years = 3'),
                    encoding="utf-8")
    assert len(essconv.load(path).check()) == 0          # three years from a day in March


def test_a_signature_or_a_milestone_after_the_term_is_found(tmp_path):
    """The term of MINIMAL ends on 2022-12-31: a day after it is past the end, the day itself
    is not; a milestone dated by its year only counts from that year's first day."""
    (tmp_path / "plan-2020.tsv").write_text(PLAN_2020, encoding="utf-8")
    path = tmp_path / "late.toml"

    def check(signed: str, milestone: str, precision: str = "day", lang: str = "en"):
        text = (MINIMAL.replace("signed_on = 2020-03-15", f"signed_on = {signed}")
                .replace("date = 2021-06-30", f"date = {milestone}\nprecision = \"{precision}\""))
        path.write_text(text, encoding="utf-8")
        return essconv.load(path).check(lang=lang)

    assert len(check("2022-12-31", "2022-12-31")) == 0            # the term's last day is in it
    assert len(check("2022-12-31", "2022-01-01", "year")) == 0     # "2022" ends with the term
    report = check("2023-01-01", "2023-01-01")
    by_code = {f.code: f for f in report}
    assert set(by_code) == {"signed-after-term", "milestone-after-term"}
    assert by_code["signed-after-term"].severity == "error"
    assert "2023-01-01" in by_code["signed-after-term"].message
    assert "2022-12-31" in by_code["signed-after-term"].message
    late = by_code["milestone-after-term"]
    assert late.severity == "warning" and late.line == "Bilan à mi-parcours"
    assert report.codes()[0] == "signed-after-term"                 # errors first
    assert check("2020-03-15", "2023-01-01", "year").codes() == ["milestone-after-term"]
    # the committee's language, and the report and the dashboard say it too
    french = check("2023-01-01", "2023-01-01", lang="fr")
    assert any("après la fin" in f.message and "01/01/2023" in f.message for f in french)
    conv = essconv.load(path)
    assert "après la fin" in text_report.render_text(conv, today=AFTER_THE_TERM)
    assert "after its term ends" in text_report.render_text(conv, today=AFTER_THE_TERM, lang="en")
    assert "après la fin" in html.unescape(dashboard(conv, today=AFTER_THE_TERM))


def test_a_period_given_to_the_day_that_runs_past_the_term_is_found(tmp_path):
    """MINIMAL's term ends on 2022-12-31.  A milestone the text gives to the day as a period
    (1 October 2022 to 31 March 2023) runs past it as surely as one dated "2023" by its year,
    which was found while the period was not; a period ending on the term's last day is in it,
    and one dated by its month counts from that month's first day."""
    (tmp_path / "plan-2020.tsv").write_text(PLAN_2020, encoding="utf-8")
    path = tmp_path / "period.toml"

    def check(dates: str, lang: str = "en"):
        path.write_text(MINIMAL.replace("date = 2021-06-30", dates), encoding="utf-8")
        return essconv.load(path).check(lang=lang)

    assert len(check("date = 2022-10-01\nuntil = 2022-12-31")) == 0
    assert len(check('date = 2022-12-01\nprecision = "month"')) == 0
    assert check('date = 2023-01-01\nprecision = "year"').codes() == ["milestone-after-term"]
    report = check("date = 2022-10-01\nuntil = 2023-03-31")
    assert report.codes() == ["milestone-after-term"]
    found = report[0]
    assert found.severity == "warning" and found.line == "Bilan à mi-parcours"
    assert "2022-12-31" in found.message and "ends after" in found.message
    french = check("date = 2022-10-01\nuntil = 2023-03-31", lang="fr")[0].message
    assert "31/03/2023" in french and "s'achève après la fin" in french
    assert check("date = 2023-01-02\nuntil = 2023-03-31").codes() == ["milestone-after-term"]


def test_a_plan_printed_with_no_axis_is_not_left_out_of_the_sums_by_axis(tmp_path):
    """MINIMAL's 2020 plan has no axis column: the report's "Totaux par axe" for it listed
    nothing (and its JSON ``by_axis`` was empty) beside a plan of 20 k€, while the dashboard's
    chart shows it as one "Total" bar.  Its lines are summed here from the plan's cells."""
    (tmp_path / "plan-2020.tsv").write_text(PLAN_2020, encoding="utf-8")
    path = tmp_path / "c.toml"
    path.write_text(MINIMAL, encoding="utf-8")
    conv = essconv.load(path)
    plan = conv.plan(2020)
    assert not plan.axes
    cells = sum((plan.cell(line, f) or Decimal(0)) for line in plan.lines for f in plan.funders)
    assert cells == Decimal(20)
    data = json.loads(text_report.render_json(conv, today=AFTER_THE_TERM))
    by_axis = data["plans"]["2020"]["by_axis"]
    assert sum(Decimal(a["computed"]) for a in by_axis) == cells
    assert [a["share_percent"] for a in by_axis] == ["100,0\u202f%"]
    for lang, heading in (("fr", "Totaux par axe (k€)"), ("en", "Totals by axis (k€)")):
        text = text_report.render_text(conv, today=AFTER_THE_TERM, lang=lang)
        section = text.split("Plan 2020", 1)[1].split(heading + "\n", 1)[1].split("\n\n", 1)[0]
        assert re.split(" {2,}", section.strip()) == [
            "Total", "20", "100,0\u202f%" if lang == "fr" else "100.0%"], lang
    # a plan with axes keeps its rows as they were: no "Total" among them
    assert "Total" not in [a["label"] for a in json.loads(text_report.render_json(
        conv, today=AFTER_THE_TERM))["plans"]["2021"]["by_axis"]]


@pytest.mark.parametrize("lang", ["fr", "en"])
def test_the_reports_milestones_stand_in_one_column_apart_from_the_next_mark(lang):
    """The text report marks the next milestone; in French "  prochain →" filled the column
    and ran into its date ("prochain →01/01/2011"); the dates stay in one column."""
    conv = essconv.default()
    today = dt.date(2010, 6, 1)
    text = text_report.render_text(conv, today=today, lang=lang)
    t = essconv.messages.language(lang)
    listed = text.split(t.text("milestones") + "\n", 1)[1].split("\n")[:len(conv.milestones)]
    whens = [t.when(m) for m in conv.milestones]
    columns = {line.index(when) for line, when in zip(listed, whens)}
    assert len(columns) == 1                                   # every date in one column
    marked = next(line for line in listed if t.text("next") in line)
    upcoming = conv.next_milestones(today)[0]
    assert marked.split(t.text("next"), 1)[1].startswith(" ")   # a space before the date
    assert marked.strip().startswith(t.text("next")) and t.when(upcoming) in marked


@pytest.mark.parametrize("claimed", ["creation", "  CRÉATION ", "Création", "Cre\u0301ation"])
def test_an_axis_group_spelled_otherwise_in_the_plan_is_found(tmp_path, claimed):
    """MINIMAL's 2021 plan prints its lines under the group "Création"; an axis claiming it
    under another spelling left them outside every axis without a word (a Unicode combining
    accent, U+0301, is the same word too)."""
    (tmp_path / "plan-2020.tsv").write_text(PLAN_2020, encoding="utf-8")
    path = tmp_path / "spelled.toml"
    path.write_text(MINIMAL.replace('plan_groups = ["Création"]', f'plan_groups = ["{claimed}"]'),
                    encoding="utf-8")
    conv = essconv.load(path)
    report = conv.check()
    if claimed == "Création":                       # the very label: claimed, nothing to say
        assert len(report) == 0 and conv.by_axis(2021) == {"Axe 1": Decimal(55)}
        return
    assert report.codes() == ["axis-group-spelling"]
    found = report[0]
    plan = conv.plan(2021)
    # what is left outside the axis, against the plan's own cells summed here
    under = sum((plan.cell(line, funder) or Decimal(0)) for line in plan.lines_of("Création")
                for funder in plan.funders)
    assert found.actual == under == Decimal(55) and found.group == "Création"
    assert found.severity == "warning" and found.target == "Axe 1"
    assert "2021" in found.message and "axis 1" in found.message
    assert conv.by_axis(2021) == {"Création": Decimal(55)}        # the money stays as printed
    french = conv.check(lang="fr")[0].message
    assert "l'axe 1" in french and "55\u00a0k€" in french
    assert "comptées dans aucun axe" in text_report.render_text(conv, today=AFTER_THE_TERM)


def test_a_typographic_apostrophe_is_the_same_group(tmp_path):
    """A word processor's ’ in the plan, the keyboard's ' in the description."""
    (tmp_path / "plan-2020.tsv").write_text(PLAN_2020, encoding="utf-8")
    path = tmp_path / "apostrophe.toml"
    path.write_text(MINIMAL.replace('plan_groups = ["Création"]', 'plan_groups = ["Création d\'activité"]')
                    .replace("Création\tAmorçage", "Création d\u2019activité\tAmorçage"),
                    encoding="utf-8")
    conv = essconv.load(path)
    assert conv.check().codes() == ["axis-group-spelling"]
    assert conv.check()[0].group == "Création d\u2019activité"


def test_a_milestone_before_the_term_is_found_not_dropped(tmp_path):
    """A milestone before the term's first day was in no year of the calendar, its .ics or the
    agenda, and check() said nothing; one that the text dates by a year overlapping the term
    (the term starts on 2020-03-15, the milestone "2020") is in it."""
    from essconv.calendar import agenda
    (tmp_path / "plan-2020.tsv").write_text(PLAN_2020, encoding="utf-8")
    path = tmp_path / "early.toml"
    shown = {}
    for date, precision in (("2019-12-31", "day"), ("2019-01-01", "year"), ("2020-01-01", "year"),
                            ("2020-03-15", "day")):
        path.write_text(MINIMAL.replace("start = 2020-01-01", "start = 2020-03-15")
                        .replace("date = 2021-06-30", f"date = {date}\nprecision = \"{precision}\""),
                        encoding="utf-8")
        conv = essconv.load(path)
        shown[date] = any(a.what == "Bilan à mi-parcours" for a in agenda(conv))
        report = conv.check()
        assert (report.codes() == ["milestone-before-term"]) is (not shown[date]), date
    assert shown == {"2019-12-31": False, "2019-01-01": False, "2020-01-01": True,
                     "2020-03-15": True}
    french = conv.check(lang="fr")
    path.write_text(MINIMAL.replace("date = 2021-06-30", "date = 2019-06-30"), encoding="utf-8")
    found = essconv.load(path).check(lang="fr")[0]
    assert "avant le début de la convention le 01/01/2020" in found.message
    assert found.line == "Bilan à mi-parcours" and found.severity == "warning"
    assert len(french) == 0


def test_a_period_that_starts_before_the_term_and_runs_into_it_is_in_the_calendar(tmp_path):
    """A milestone period from October 2019 to March 2020, for a term from January 2020, is
    not wholly before the term (check() rightly says nothing) but was listed in no year of it:
    the calendar, the agenda and the .ics dropped it without a word.  It is listed in the
    term's first year; one wholly before the term stays out (and is found by check())."""
    from essconv.calendar import agenda, to_ics
    (tmp_path / "plan-2020.tsv").write_text(PLAN_2020, encoding="utf-8")
    path = tmp_path / "straddling.toml"
    for dates, listed in (("date = 2019-10-01\nuntil = 2020-03-31", True),
                          ("date = 2019-10-01\nuntil = 2019-12-31", False),
                          ("date = 2022-10-01\nuntil = 2023-03-31", True)):
        path.write_text(MINIMAL.replace("date = 2021-06-30", dates), encoding="utf-8")
        conv = essconv.load(path)
        shown = [a for a in agenda(conv) if a.what == "Bilan à mi-parcours"]
        assert len(shown) == int(listed), dates
        in_years = [y for y in conv.years
                    if any(getattr(x, "label", None) == "Bilan à mi-parcours" for x in conv.calendar(y))]
        assert len(in_years) == int(listed), dates
        assert ("Bilan à mi-parcours" in to_ics(conv).replace("\r\n ", "")) is listed, dates
        assert (conv.check().codes() == ["milestone-before-term"]) is (not listed), dates
    path.write_text(MINIMAL.replace("date = 2021-06-30", "date = 2019-10-01\nuntil = 2020-03-31"),
                    encoding="utf-8")
    conv = essconv.load(path)
    assert [a.when for a in agenda(conv, 2020, lang="en") if a.what == "Bilan à mi-parcours"] == [
        "2019-10-01 – 2020-03-31"]


def test_a_milestone_period_is_listed_by_the_day_it_ends_as_meetings_are(tmp_path):
    """The calendar lists meetings by the end of their period (the day they are due) and a
    milestone period by its start: "01/10/2022 – 31/03/2023 : Bilan" came before the meeting of
    01/09/2022 – 31/12/2022.  Both are listed by their last day; a milestone the text dates by
    its year only, by its first possible day (its last is unknown)."""
    from essconv.calendar import agenda
    (tmp_path / "plan-2020.tsv").write_text(PLAN_2020, encoding="utf-8")
    path = tmp_path / "order.toml"
    path.write_text(MINIMAL.replace("date = 2021-06-30", "date = 2022-10-01\nuntil = 2023-03-31"),
                    encoding="utf-8")
    conv = essconv.load(path)
    items = agenda(conv, 2022, lang="en")
    assert [a.last_day for a in items] == sorted(a.last_day for a in items)
    assert items[-1].what == "Bilan à mi-parcours"
    assert [a.last_day for a in items] == [dt.date(2022, 4, 30), dt.date(2022, 8, 31),
                                           dt.date(2022, 12, 31), dt.date(2023, 3, 31)]
    # dated by its year: listed at its first day, before the meetings of that year
    path.write_text(MINIMAL.replace("date = 2021-06-30", 'date = 2021-01-01\nprecision = "year"'),
                    encoding="utf-8")
    first = agenda(essconv.load(path), 2021, lang="en")[0]
    assert first.what == "Bilan à mi-parcours" and first.when == "2021"


def test_the_report_and_the_dashboard_list_the_documents_faults(conv):
    text = text_report.render_text(conv, today=AFTER_THE_TERM, lang="en")
    page = dashboard(conv, today=AFTER_THE_TERM)
    data = json.loads(text_report.render_json(conv, today=AFTER_THE_TERM))
    for code in ("shares-sum", "toc-mismatch", "duplicate-annex-title", "undefined-body",
                 "signatory-without-column"):
        assert code in [f["code"] for f in data["document_findings"]]
    # each fault said in the output's language, with the words it is about
    for english, french in (("add up to 98%", "totalisent 98\u202f%"),
                            ("MODIFICATION ET RESILIATION", "MODIFICATION ET RESILIATION"),
                            ("annexes are titled 'ANNEXE 1'", "annexes s'intitulent «\u00a0ANNEXE 1\u00a0»"),
                            ("never defines", "ne définit jamais"),
                            ("signed the convention but has no column", "n'a pas de colonne")):
        assert english in text, english
        assert french in html.unescape(page), french
    assert "Défauts du texte" in page
    # the annexes' subjects were joined by a French " ; " in the English sentence
    annex = next(l for l in text.splitlines() if "annexes are titled" in l)
    assert "ET SOLIDAIRE'; 'INSERTION" in annex and " ; " not in annex
    assert f"ET SOLIDAIRE\u00a0»\u202f; «\u00a0INSERTION" in html.unescape(page)


# ---------------------------------------------------------------- 5. meetings from the signature
def test_no_meeting_is_owed_before_the_signature(conv):
    assert conv.meetings_from == conv.signed_on == dt.date(2009, 12, 2)
    meetings = conv.meetings(2009)
    assert len(meetings) == 3                                      # one per body, in December
    assert all(m.start >= conv.signed_on for m in meetings)
    assert {m.body.short_name for m in meetings} == {b.short_name for b in conv.bodies}
    assert len(conv.meetings(2010)) == 8
    # the slow twin: the 2009 periods laid by hand, kept when they end on or after the signature
    def periods(per_year):
        months = 12 // per_year
        return [(dt.date(2009, k * months + 1, 1),
                 dt.date(2009 + (k + 1) * months // 12, (k + 1) * months % 12 + 1, 1)
                 - dt.timedelta(days=1)) for k in range(per_year)]
    owed = sum(1 for b in conv.bodies for _s, e in periods(b.meetings_per_year)
               if e >= conv.signed_on)
    assert owed == len(meetings)
    note = [x for x in conv.calendar(2009) if isinstance(x, Milestone) and "dues" in x.label]
    assert len(note) == 1 and note[0].date == conv.signed_on and note[0].source.is_addition
    page = dashboard(conv, today=AFTER_THE_TERM)
    assert "Réunions dues à compter du 02/12/2009" in page
    assert "01/01/2009 – 30/06/2009" not in page                   # no first half-year owed
    from essconv.calendar import to_ics
    ics = to_ics(conv, 2009)
    assert "DTSTART;VALUE=DATE:20090101" not in ics.replace("DTSTART;VALUE=DATE:20090101\r\n"
                                                            "DTEND;VALUE=DATE:20090102", "")
    assert "Réunions dues" in ics.replace("\r\n ", "")


def test_meetings_from_a_date_the_description_gives(tmp_path):
    (tmp_path / "plan-2020.tsv").write_text(PLAN_2020, encoding="utf-8")
    path = tmp_path / "c.toml"
    path.write_text(MINIMAL, encoding="utf-8")
    c = essconv.load(path)
    assert c.meetings_from == dt.date(2020, 3, 15)                # the signature by default
    assert [m.start for m in c.meetings(2020)][0] == dt.date(2020, 3, 15)
    path.write_text(MINIMAL.replace("signed_at", "meetings_from = 2020-09-01\nsigned_at"),
                    encoding="utf-8")
    c = essconv.load(path)
    assert len(c.meetings(2020)) == 1 and c.meetings(2020)[0].start == dt.date(2020, 9, 1)
    assert len(c.meetings(2021)) == 3
    path.write_text(MINIMAL.replace("signed_at", "meetings_from = 2030-01-01\nsigned_at"),
                    encoding="utf-8")
    with pytest.raises(essconv.DescriptionError) as info:
        essconv.load(path)
    assert info.value.key == "convention.meetings_from"


def test_readme_source_example_loads(tmp_path):
    """The README's example of sources and precision, added to its complete example, loads."""
    readme = (Path(__file__).resolve().parents[1] / "README.md").read_text(encoding="utf-8")
    blocks = re.findall(r"```toml\n(.*?)```", readme, re.S)
    assert len(blocks) >= 2 and "sources.meetings_per_year" in blocks[1]
    (tmp_path / "example.toml").write_text(blocks[0] + "\n" + blocks[1], encoding="utf-8")
    conv = essconv.load(tmp_path / "example.toml")
    body = conv.bodies[-1]
    assert body.sources["meetings_per_year"].quotes == ("Il se réunit une fois par trimestre.",)
    assert next(m for m in conv.milestones if m.precision == "year").when == "début 2011"


def test_a_milestone_before_a_mid_year_term_in_its_first_year_is_not_in_the_calendar(tmp_path):
    """A term from 15 March 2020 and a milestone on 1 February 2020: check() says it falls
    before the term and "the calendar does not show it", yet the calendar, the agenda and the
    .ics of 2020 listed it.  Against the rule check() states, day by day around the start: a
    milestone is shown exactly when check() does not find it before the term."""
    from essconv.calendar import agenda, to_ics
    (tmp_path / "plan-2020.tsv").write_text(PLAN_2020, encoding="utf-8")
    path = tmp_path / "first-year.toml"
    for day in ("2020-01-01", "2020-02-01", "2020-03-14", "2020-03-15", "2020-03-16"):
        path.write_text(MINIMAL.replace("start = 2020-01-01", "start = 2020-03-15")
                        .replace("date = 2021-06-30", f"date = {day}"), encoding="utf-8")
        conv = essconv.load(path)
        before = dt.date.fromisoformat(day) < conv.start     # the twin: the date against the start
        assert (conv.check().codes() == ["milestone-before-term"]) is before, day
        shown = any(a.what == "Bilan à mi-parcours" for a in agenda(conv, 2020))
        in_ics = "Bilan à mi-parcours" in to_ics(conv, 2020).replace("\r\n ", "")
        in_calendar = any(getattr(x, "label", None) == "Bilan à mi-parcours" for x in conv.calendar())
        assert shown is in_ics is in_calendar is (not before), day
