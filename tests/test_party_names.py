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
