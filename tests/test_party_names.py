"""The signatories as the convention's text, its signatures and the analysts' notes name them:
with the article the text puts before a name ("La Région Nord-Pas de Calais,"), a typographic
apostrophe ("L’État"), the usual names the text does not print ("Conseil régional",
"Conseil départemental du Nord") -- and never one name for two parties."""
from __future__ import annotations

import pytest

import essconv

#: how the text names each signatory, verbatim: the parties' list that opens it ("Entre L'Etat,
#: ET La Région Nord-Pas de Calais, ET ..."), its signatures, and its articles' own words
TEXT_SPELLINGS = {
    "ETAT": ["L'Etat", "Préfecture de Région", "l'Etat"],
    "CR-NPDC": ["La Région Nord-Pas de Calais", "Conseil Régional Nord-Pas de Calais", "la Région",
                "La Région"],
    "CG-59": ["Le Département du Nord", "Conseil Général du Nord", "le Département du Nord"],
    "CG-62": ["Le Département du Pas-de-Calais", "Conseil Général du Pas-de-Calais",
              "le Département du Pas de Calais", "Le Département du Pas de Calais"],
    "CDC": ["La Caisse des Dépôts", "Caisse des Dépôts", "la Caisse des Dépôts"],
}

#: names an analyst writes that the text does not print (GLOSSARY.md's, the SCDL files' style)
USUAL_NAMES = {
    "ETAT": ["État", "Etat", "l'État", "L’État", "ETAT", "L’Etat"],
    "CR-NPDC": ["Région Nord-Pas de Calais", "Conseil régional", "CONSEIL REGIONAL", "CR-NPDC",
                "le Conseil régional"],
    "CG-59": ["Département du Nord", "CG59", "Conseil départemental du Nord",
              "Conseil Departemental du Nord"],
    "CG-62": ["Conseil général du Pas-de-Calais", "CG62", "Conseil départemental du Pas-de-Calais"],
    "CDC": ["CDC", "Caisse des dépôts", "Caisse des depots et consignations"],
}

#: names that fit two signatories or none: no party, never one of them at random
NOT_ONE_PARTY = ["Conseil général", "Le Conseil général", "Département", "Le Département",
                 "Les Départements", "Conseil départemental", "les", "La", "L'", "l’", "Le Nord"]


@pytest.fixture(scope="module")
def conv():
    return essconv.default()


@pytest.mark.parametrize("code,written", [(c, w) for c, ws in TEXT_SPELLINGS.items() for w in ws])
def test_the_texts_names_of_each_signatory_find_it(conv, code, written):
    assert conv.party_of(written) is conv.party(code), written
    assert conv.party_named(written) is conv.party(code), written


@pytest.mark.parametrize("code,written", [(c, w) for c, ws in USUAL_NAMES.items() for w in ws])
def test_the_usual_names_of_each_signatory_find_it(conv, code, written):
    assert conv.party_of(written) is conv.party(code), written
    assert conv.party_named(written) is conv.party(code), written


@pytest.mark.parametrize("written", NOT_ONE_PARTY)
def test_a_name_of_two_parties_or_of_none_is_no_party(conv, written):
    assert conv.party_of(written) is None, written
    assert conv.party_named(written) is None, written


def test_the_spellings_are_the_texts(seed_text):
    """Every spelling said to be the text's is in it, as printed (skips without the text)."""
    missing = [w for ws in TEXT_SPELLINGS.values() for w in ws if w not in seed_text]
    assert missing == []


def test_an_article_never_turns_a_name_into_another_party(conv):
    """Against the obvious twin: every code, alias and name of every party, with each article
    before it, names that party or none -- the same party as without the article, never
    another one."""
    articles = ["le ", "la ", "les ", "l'", "L’", "LA ", "Le  ", "l' "]
    tried = 0
    for party in conv.parties:
        for form in (party.code, *party.aliases, party.name, party.signs_as):
            if not form:
                continue
            for article in articles:
                found = conv.party_named(article + form)
                assert found in (None, party), (article + form, found)
                assert found is conv.party_named(form), (article + form, found)
                tried += 1
    assert tried > 100


def test_a_name_that_begins_with_an_article_keeps_its_own_party(tmp_path):
    """The name as written is tried before the name without its article: a party "La Poste"
    beside a party "Poste" stays itself."""
    path = tmp_path / "articles.toml"
    path.write_text('[convention]\ntitle = "Convention ESS"\nterritory = "Nord"\n'
                    'start = 2020-01-01\nend = 2022-12-31\n\n'
                    '[[parties]]\ncode = "LP"\nname = "La Poste"\nkind = "other"\n\n'
                    '[[parties]]\ncode = "POSTE"\nname = "Poste"\nkind = "other"\n',
                    encoding="utf-8")
    mine = essconv.load(path)
    assert mine.party_of("La Poste").code == "LP"
    assert mine.party_of("la poste").code == "LP"
    assert mine.party_of("Poste").code == "POSTE"
    assert mine.party_of("le Poste").code == "POSTE"


def _twin_words(text):
    """Words as the analyst reads them, written the obvious way: accents dropped by NFKD,
    lower case, any run of letters and digits a word."""
    import re
    import unicodedata
    plain = "".join(ch for ch in unicodedata.normalize("NFKD", text) if not unicodedata.combining(ch))
    return re.findall(r"[a-z0-9]+", plain.lower())


@pytest.mark.parametrize("label", ["Conseil général", "Le Conseil général", "Département",
                                   "Le Département", "les Départements", "Direction Régionale",
                                   "Conseil", "CG", "DIRECTION REGIONALE DES", "Caisse", "Nord",
                                   "Fondation X", "Conseil Général du Nord", "La Région", ""])
def test_a_name_of_several_parties_says_which(conv, label):
    """party_of answers None for a name two parties share; parties_it_may_name says which --
    against a twin that compares the words of each party's code, aliases and names -- and is
    empty whenever the label names a party (a reason, never a second answer)."""
    words = _twin_words(label)
    if words and words[0] in ("le", "la", "les", "l"):
        words = words[1:]
    twin = [p for p in conv.parties if words and any(
        _twin_words(n)[:len(words)] == words for n in (p.code, *p.aliases, p.name, p.signs_as) if n)]
    got = conv.parties_it_may_name(label)
    if conv.party_named(label) is not None:
        assert got == []
    else:
        assert got == (twin if len(twin) > 1 else [])
    if got:
        assert conv.party_of(label) is None and len({p.code for p in got}) == len(got) > 1


def test_a_grant_file_s_funder_naming_two_parties_is_unmapped_and_says_which():
    """« Conseil général » in a funder column was "no party of the convention", as if unknown:
    the money stays unmapped (never given to one of the two), and the account says which
    parties it names, in both languages and in to_dict."""
    import io
    from decimal import Decimal
    conv = essconv.default()
    text = ("nomAttribuant;dispositifAide;dateConvention;montant\n"
            "Conseil général;DLA;2009-03-01;70 000,00\n"
            "Le Département du Nord;DLA;2009-03-01;1 000,00\n"
            "Fondation X;DLA;2009-03-01;5,00\n")
    ledger = essconv.Ledger.read_csv(io.BytesIO(text.encode()), amount="montant",
                                     dates=["dateConvention"])
    ex = conv.execution(2009, ledger)
    assert ex.paid["funder"] == {"CG-59": Decimal(1000)}
    by_funder = {u.funder: u for u in ex.unmapped}
    assert by_funder["Conseil général"].could_be == ("CG-59", "CG-62")
    assert by_funder["Conseil général"].amount == Decimal(70000)
    assert "names several parties of the convention (CG-59, CG-62)" in by_funder["Conseil général"].why
    assert by_funder["Fondation X"].could_be == ()
    fr = ex.text("fr").replace("\u00a0", " ").replace("\u202f", " ")
    assert "« Conseil général » (nomme plusieurs parties : CG-59, CG-62 ; dites laquelle avec funders=)" in fr
    assert "« Fondation X » : 1" in fr
    en = ex.text("en")
    assert "'Conseil général' (names several parties: CG-59, CG-62; say which with funders=)" in en
    why_fr = [u["why"].replace("\u00a0", " ").replace("\u202f", " ") for u in ex.to_dict(lang="fr")["unmapped"]
              if u["funder"] == "Conseil général"]
    assert why_fr == ["le financeur ne correspond à aucune partie de la convention (nomme plusieurs "
                      "parties : CG-59, CG-62 ; dites laquelle avec funders=)"]


#: labels as grant files, notes and spreadsheets write one signatory: several of its names
#: joined, a service beside its State, a successor's name, in any case, accents or not
ONE_PARTY_AS_WRITTEN = {
    "ETAT": ["Etat (DRTEFP)", "ETAT - DIRECCTE", "État (DIRECCTE)", "Etat / DRASS", "etat-drtefp",
             "L'État – DRTEFP", "DIRECCTE"],
    "CR-NPDC": ["Région Hauts-de-France", "REGION HAUTS DE FRANCE", "Conseil régional Hauts-de-France",
                "Conseil Régional Nord-Pas de Calais", "conseil regional nord-pas de calais",
                "Région (CR-NPDC)", "Conseil Régional Nord-Pas de Calais (la Région)"],
    "CG-59": ["Département du Nord", "DEPARTEMENT DU NORD", "département du nord", "Departement du Nord",
              "Département du Nord (CG59)", "CG-59 - Conseil Général du Nord"],
    "CG-62": ["Département du Pas-de-Calais", "Département du Pas de Calais", "DÉPARTEMENT DU PAS-DE-CALAIS",
              "departement du pas-de-calais", "Conseil Général du Pas-de-Calais (CG62)"],
    "CDC": ["CDC - Caisse des Dépôts", "Caisse des Dépôts et Consignations (CDC)"],
}


@pytest.mark.parametrize("code,written", [(c, w) for c, ws in ONE_PARTY_AS_WRITTEN.items() for w in ws])
def test_a_label_of_one_signatory_as_written_finds_it(conv, code, written):
    assert conv.party_of(written) is conv.party(code), written
    assert conv.parties_it_may_name(written) == [], written


def test_a_state_service_beside_its_state_is_the_service_its_column_names(conv):
    """« Etat (DRTEFP) » rolls up to the State and names the DRTEFP, as Annex 1's column does:
    its money goes to that column in an execution, never unmapped."""
    import io
    from decimal import Decimal
    assert conv.party_named("Etat (DRTEFP)") is conv.party("DRTEFP")
    assert conv.party_named("ETAT - DIRECCTE") is conv.party("DRTEFP")
    assert conv.party_named("DRTEFP / DRASS") is None          # two services: neither
    assert conv.party_of("DRTEFP / DRASS") is conv.party("ETAT")   # one State all the same
    assert conv.parties_it_may_name("DRTEFP / DRASS") == [conv.party("DRTEFP"), conv.party("DRASS")]
    assert conv.party_of("Etat et DRTEFP / DRASS") is conv.party("ETAT")   # joins within joins
    assert conv.party_named("Etat et DRTEFP (DIRECCTE)") is conv.party("DRTEFP")
    text = ("nomAttribuant;dispositifAide;dateConvention;montant\n"
            "Etat (DRTEFP);DLA;2009-03-01;1 000,50\n"
            "ETAT - DIRECCTE;DLA;2009-04-01;10,25\n"
            "Région Hauts-de-France;DLA;2009-05-01;7,00\n")
    ledger = essconv.Ledger.read_csv(io.BytesIO(text.encode()), amount="montant",
                                     dates=["dateConvention"])
    ex = conv.execution(2009, ledger)
    assert ex.paid["funder"] == {"DRTEFP": Decimal("1010.75"), "CR-NPDC": Decimal("7")}
    assert ex.unmapped == []


def _lineage_twin(party):
    out = [party]
    while out[-1].parent is not None:
        out.append(out[-1].parent)
    return out


@pytest.mark.parametrize("join", [" et ", " / ", " - ", " – ", ", ", " & ", " + "])
def test_two_names_joined_name_one_party_only_when_they_are_one(conv, join):
    """Against the party tree, for every pair of codes and aliases of the parties joined: the
    top party when both roll up to it, else none; named, the more precise of a party and its
    service, else none -- and then the parties it may name are both (with their tops)."""
    import re
    forms = [(p, f) for p in conv.parties for f in (p.code, *p.aliases)
             if not re.search(r"[()/,&+;]|\s[-–]\s|\bet\b", f, re.IGNORECASE)]
    tried = 0
    for a, fa in forms:
        for b, fb in forms:
            label = fa + join + fb
            same_top = _lineage_twin(a)[-1] is _lineage_twin(b)[-1]
            assert conv.party_of(label) is (_lineage_twin(a)[-1] if same_top else None), label
            chain = a in _lineage_twin(b) or b in _lineage_twin(a)
            deeper = a if b in _lineage_twin(a) else b
            assert conv.party_named(label) is (deeper if chain else None), label
            if not chain:
                assert conv.parties_it_may_name(label) == [p for p in conv.parties if p in (a, b)], label
            tried += 1
    assert tried > 500


@pytest.mark.parametrize("label,could_be", [
    ("Région et Département", ["CR-NPDC", "CG-59", "CG-62"]),
    ("région, département", ["CR-NPDC", "CG-59", "CG-62"]),
    ("Etat et Région", ["ETAT", "CR-NPDC"]),
    ("Département du Nord et du Pas-de-Calais", ["CG-59", "CG-62"]),
    ("Département (59)", ["CG-59", "CG-62"]),
    ("Région Nord-Pas de Calais / Département du Nord", ["CR-NPDC", "CG-59"]),
    ("Région et Département / CDC", ["CR-NPDC", "CG-59", "CG-62", "CDC"]),
    ("Département du Nord, Département du Pas-de-Calais", ["CG-59", "CG-62"]),
    ("Etat ; Région", ["ETAT", "CR-NPDC"]),
    ("DIRECCTE Nord-Pas de Calais", []),          # not the Région's nor the Pas-de-Calais'
    ("Le Département du Pas-de-Calais (62)", []),  # one party and a number: no guess
    ("Etat et DRTEFP (Région)", ["DRTEFP", "CR-NPDC"]),
])
def test_a_label_fitting_several_parties_is_none_and_says_which(conv, label, could_be):
    assert conv.party_of(label) is None and conv.party_named(label) is None
    assert [p.code for p in conv.parties_it_may_name(label)] == could_be


@pytest.mark.parametrize("label", ["Région Bretagne", "Conseil régional de Picardie",
                                   "Département du Finistère (29)", "Etat - Bretagne",
                                   "Région Picardie / Région Hauts-de-France", "CDC Habitat",
                                   "Département du Nord - Finistère", "Fondation X (CDC)"])
def test_a_label_with_a_name_the_convention_lacks_is_no_party(conv, label):
    """A part that names no party of the convention makes the label none of them: never the
    one party its other part names."""
    assert conv.party_of(label) is None, label
    assert conv.party_named(label) is None, label


def test_a_grant_file_s_joined_funder_is_unmapped_and_says_which():
    import io
    from decimal import Decimal
    conv = essconv.default()
    text = ("nomAttribuant;dispositifAide;dateConvention;montant\n"
            "Région et Département;DLA;2009-03-01;300,00\n")
    ledger = essconv.Ledger.read_csv(io.BytesIO(text.encode()), amount="montant",
                                     dates=["dateConvention"])
    with pytest.warns(essconv.NothingMatchedWarning, match="Région et Département"):
        ex = conv.execution(2009, ledger)
    assert ex.paid["funder"] == {}
    (u,) = ex.unmapped
    assert u.funder == "Région et Département" and u.amount == Decimal(300)
    assert u.could_be == ("CR-NPDC", "CG-59", "CG-62")


def test_a_label_joining_many_names_is_read_in_time_linear_in_its_names(conv):
    """A label pasting 2 000 names is read like 500 names four times (each name looked up
    once), never each name against all the others; the same name repeated is that name."""
    from test_hostile import best_times_in_turns

    def label(n):
        return " - ".join(f"Département é{k}" for k in range(n))

    def read(text):
        return conv.party_of(text), conv.party_named(text), conv.parties_it_may_name(text)

    small_label, large_label = label(500), label(2000)
    assert read(small_label) == read(large_label) == (None, None, [])
    # timed in turns, so that a burst of load slows both alike (one after the other, a loaded
    # machine once took the large label past its bound)
    small, large = best_times_in_turns(lambda: read(small_label), lambda: read(large_label),
                                       repeat=5)
    assert large < 12 * small + 0.05, (small, large)
    repeated = " / ".join(["Conseil Général du Nord"] * 10_000)
    assert conv.party_named(repeated) is conv.party("CG-59")
    assert conv.party_of(repeated + " et Région") is None
    assert conv.parties_it_may_name(repeated + " et Région") == [conv.party("CR-NPDC"), conv.party("CG-59")]


def test_a_plan_column_joining_names_is_unknown_exactly_when_by_party_leaves_it_alone(conv):
    """validate(conv) said « Etat (DRTEFP) » is not a party of the convention while by_party
    counted its money under the State: the columns said unknown are now exactly those by_party
    keeps under their own label."""
    import io
    columns = ["CR-NPDC", "Etat (DRTEFP)", "Région et Département", "ETAT - DIRECCTE",
               "Fondation X", "CDC - Caisse des Dépôts"]
    text = ("en K€\t" + "\t".join(columns) + "\tTotal\n"
            "DLA\t" + "\t".join(str(k + 1) for k in range(len(columns))) + "\t21\n"
            "Total\t" + "\t".join(str(k + 1) for k in range(len(columns))) + "\t21\n")
    plan = essconv.read_plan(io.BytesIO(text.encode()))
    unknown = {f.funder for f in plan.validate(conv) if f.code == "unknown-funder"}
    party_codes = {p.code for p in conv.parties}
    left_alone = {k for k in plan.by_party(conv) if k not in party_codes}
    assert unknown == left_alone == {"Région et Département", "Fondation X"}


@pytest.mark.parametrize("label", ["CG-67", "CD-67", "CG-75", "CD–33"])
def test_a_department_s_code_of_another_number_names_neither_signatory_department(conv, label):
    """"CG-67" (the Bas-Rhin's Conseil général) was cut at its dash into "CG" and "67", and
    "CG" fits CG-59 and CG-62: an execution said it "names several parties (CG-59, CG-62)"
    and told the analyst to write funders={'CG-67': 'CG-59'}, the Nord paid the Bas-Rhin's
    grants.  A code whose number names no party is one name, of a party the convention lacks
    -- as "CG 67" already was."""
    assert conv.party_of(label) is None
    assert conv.parties_it_may_name(label) == [], label
    assert conv.parties_it_may_name(label.replace("-", " ").replace("–", " ")) == []
