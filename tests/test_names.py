"""One beneficiary, one name: ``ledger.similar_labels`` and ``ledger.relabel``
against obvious Python twins -- a fold written with ``unicodedata`` (not the core's table), the
records and ``Decimal`` sums counted row by row -- on generated ledgers and on every real file of
tests/data/scdl, where the real spelling variants are named."""
from __future__ import annotations

import io
import threading
import unicodedata
import warnings
from collections import defaultdict
from decimal import Decimal
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import essconv
from essconv import _core
from essconv.names import siret_column

from conftest import SCDL, first_success_under_failing_allocations

# ------------------------------------------------------------------------------ the twins
#: the legal-form words the module documents (folded)
LEGAL_FORMS = {"association", "asso", "assoc", "sarl", "sas", "sasu", "sa", "scop", "scic", "eurl"}
#: letters Unicode does not decompose, spelt out as French writes them
SPELT_OUT = {"æ": "ae", "œ": "oe", "ß": "ss", "ø": "o", "ł": "l", "đ": "d"}


def twin_key(label: str) -> str:
    """The documented fold, written the obvious way: NFKD without combining marks, lower case,
    points deleted, anything not alphanumeric a separator, legal-form words dropped unless
    nothing else is left, the words joined."""
    plain = "".join(SPELT_OUT.get(ch, ch) for ch in label.lower().replace(".", ""))
    plain = "".join(ch for ch in unicodedata.normalize("NFKD", plain) if not unicodedata.combining(ch))
    words = "".join(ch if ch.isalnum() else " " for ch in plain).split()
    kept = [w for w in words if w not in LEGAL_FORMS]
    return "".join(kept or words)


def rows_of(ledger: essconv.Ledger, *columns: str) -> list[tuple]:
    """The ledger row by row as Python values: the slow obvious path."""
    values = [ledger.values(c) for c in columns] + [ledger.values(ledger.amount)]
    return list(zip(*values))


def twin_same_name(ledger: essconv.Ledger, column: str) -> set[frozenset]:
    """{frozenset of (label, records, sum)} for each folded key spelt several ways."""
    by_key: dict[str, dict[str, list]] = defaultdict(lambda: defaultdict(lambda: [0, Decimal(0)]))
    for label, amount in rows_of(ledger, column):
        if label is None or not twin_key(label):
            continue
        entry = by_key[twin_key(label)][label]
        entry[0] += 1
        entry[1] += amount
    return {frozenset((l, n, s) for l, (n, s) in labels.items())
            for labels in by_key.values() if len(labels) > 1}


def twin_same_siret(ledger: essconv.Ledger, column: str, siret: str) -> set[frozenset]:
    by_siret: dict[str, dict[str, list]] = defaultdict(lambda: defaultdict(lambda: [0, Decimal(0)]))
    for number, label, amount in rows_of(ledger, siret, column):
        if number is None or label is None or not "".join(str(number).split()):
            continue
        entry = by_siret["".join(str(number).split())][label]
        entry[0] += 1
        entry[1] += amount
    return {frozenset((l, n, s) for l, (n, s) in labels.items())
            for labels in by_siret.values() if len(labels) > 1}


def found(similar, reason: str) -> set[frozenset]:
    return {frozenset((c.label, c.records, c.amount) for c in g.labels)
            for g in similar if g.reason == reason}


def twin_sums(ledger: essconv.Ledger, column: str, mapping: dict) -> dict:
    out: dict = defaultdict(Decimal)
    for label, amount in rows_of(ledger, column):
        out[mapping.get(label, label)] += amount
    return dict(out)


# ------------------------------------------------------------------------------ the key
SPELLINGS = {
    "Département du Lot": "departementdulot", "DEPARTEMENT  DU LOT": "departementdulot",
    "Departement du\u00a0Lot": "departementdulot", "S.A.R.L. Dupont": "dupont",
    "Asso. Les Amis": "lesamis", "Association les amis": "lesamis", "SCOP SA Atelier": "atelier",
    "SA": "sa", "S.A.": "sa", "Œuvre d\u2019Orient": "oeuvredorient", "L'Escale": "lescale",
    "Art Éco": "arteco", "Fondation de France": "fondationdefrance", "!!! ...": "",
}


@pytest.mark.parametrize("label,key", SPELLINGS.items())
def test_the_key_of_a_few_spellings(label, key):
    assert _core.label_key(label) == key == twin_key(label)


# the letters, spaces and punctuation of French organisation names, and the legal-form words
LETTERS = ("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789"
           "éèêëàâäçôöûüùîïÿÉÈÊÀÂÇÔÛÎÏŒœÆæßñÑ")
SEPARATORS = " .,;:'-/()&!?\"\u00a0\u202f\u2019\u00ab\u00bb\u2013\u2014\u2026"
words = st.one_of(st.text(LETTERS, min_size=1, max_size=8),
                  st.sampled_from(["Association", "ASSO.", "Assoc", "S.A.R.L.", "SARL", "SA",
                                   "SCOP", "Scic", "EURL", "sas", "Fondation", "du", "Lot"]))
labels = st.lists(st.tuples(words, st.text(SEPARATORS, min_size=0, max_size=3)),
                  min_size=1, max_size=6).map(lambda parts: "".join(w + s for w, s in parts))


@settings(max_examples=400, deadline=None)
@given(labels)
def test_the_core_key_equals_the_unicodedata_twin(label):
    assert _core.label_key(label) == twin_key(label)


def test_other_scripts_are_kept_as_they_are():
    """Documented limit: only the Latin script is folded (a Greek name keeps its case)."""
    assert _core.label_key("Ελλάδα ΑΒ") == "ΕλλάδαΑΒ"


# ------------------------------------------------------------------------------ generated ledgers
BASES = ["Département du Lot", "Les Amis du Vieux Cahors", "Atelier Bois", "Mairie de Figeac",
         "Œuvre Sociale", "Fondation Abbé Pierre"]


def vary(base: str, how: int) -> str:
    """A spelling of base as files write them."""
    return [base, base.upper(), base.lower(),
            unicodedata.normalize("NFKD", base).encode("ascii", "ignore").decode(),
            "Association " + base, "Asso. " + base, base.replace(" ", "  "), base + ".",
            "SARL " + base, base.replace(" ", "-")][how]


ledgers = st.lists(st.tuples(st.integers(0, len(BASES) - 1), st.integers(0, 9),
                             st.sampled_from(["123 456 789 00012", "12345678900012",
                                              "98765432100019", None]),
                             st.integers(-10**9, 10**9)),
                   min_size=1, max_size=60)


def build(rows) -> essconv.Ledger:
    return essconv.Ledger.from_columns(
        {"nomBeneficiaire": [vary(BASES[b], how) for b, how, _, _ in rows],
         "idBeneficiaire": [s for _, _, s, _ in rows],
         "montant": [Decimal(c) / 100 for _, _, _, c in rows]}, amount="montant")


@settings(max_examples=150, deadline=None)
@given(ledgers)
def test_similar_labels_equal_the_twin_on_generated_ledgers(rows):
    ledger = build(rows)
    similar = ledger.similar_labels("nomBeneficiaire")
    assert similar.siret == "idBeneficiaire"
    assert found(similar, "same-name") == twin_same_name(ledger, "nomBeneficiaire")
    assert found(similar, "same-siret") == twin_same_siret(ledger, "nomBeneficiaire",
                                                           "idBeneficiaire")


@settings(max_examples=150, deadline=None)
@given(ledgers)
def test_relabel_then_group_by_equals_the_dict_twin(rows):
    ledger = build(rows)
    mapping = ledger.similar_labels("nomBeneficiaire").mapping()
    merged = ledger.relabel("nomBeneficiaire", mapping)
    assert merged.group_by("nomBeneficiaire").sum().to_dict() == twin_sums(ledger, "nomBeneficiaire",
                                                                          mapping)
    # after merging every group, no two spellings of one folded name are left
    assert not [g for g in merged.similar_labels("nomBeneficiaire", siret=False)]
    assert merged.total() == ledger.total()


def test_relabel_rewrites_only_the_dictionary_and_codes():
    ledger = essconv.Ledger.from_columns(
        {"nom": ["A", "a", None, "B", "A"], "annee": [2017, 2018, 2019, 2017, None],
         "montant": ["1.5", "2", "3", "4", "-0.01"]}, amount="montant")
    before = (ledger.labels("nom"), ledger.values("nom"))
    merged = ledger.relabel("nom", {"a": "A", "Absent": "Ailleurs", "B": "Bé"}, absent="ignore")
    assert merged.values("nom") == ["A", "A", None, "Bé", "A"]
    assert merged.labels("nom") == ["A", "Bé"]      # one code for A and a; order kept
    assert (ledger.labels("nom"), ledger.values("nom")) == before   # the source is unchanged
    assert bytes(merged.column("montant")) == bytes(ledger.column("montant"))
    assert bytes(merged.column("annee")) == bytes(ledger.column("annee"))
    assert merged.columns == ledger.columns and len(merged) == len(ledger)
    assert ledger.relabel("nom", {}).values("nom") == ledger.values("nom")


def test_relabel_refuses_a_label_no_row_holds_naming_the_close_ones():
    """A mapping key that is no label of the column -- "Departement du lot" for "Departement du
    Lot" -- was passed over: the label meant stayed as it was, its total apart from the one it
    was to join, and nothing said so.  Refused now, in Python and in the core's binding, unless
    the caller says the mapping names other files' labels (absent="ignore")."""
    data = ("nom;annee;montant\nDépartement du Lot;2017;1\nDepartement du Lot;2017;2\n"
            "CDC;2018;4\nFonds fantôme;2018;1,2,3\n").encode()
    ledger = essconv.Ledger.read_csv(io.BytesIO(data), amount="montant", ints=["annee"],
                                     bad_rows="collect")
    typo = {"Departement du lot": "Département du Lot", "CDC": "Caisse des Dépôts"}
    with pytest.raises(essconv.RelabelError,
                       match=r"no row holds 'Departement du lot' \(close: 'Departement du Lot'"
                             r".*absent='ignore'"):
        ledger.relabel("nom", typo)
    # a label only a row set aside held, or only rows a filter left out: no row holds it
    for source, label in ((ledger, "Fonds fantôme"), (ledger.filter(annee=2017), "CDC")):
        with pytest.raises(essconv.RelabelError, match=f"no row holds {label!r}"):
            source.relabel("nom", {label: "X"})
    # asked for, the absent labels are passed over and the others applied
    kept = ledger.relabel("nom", typo, absent="ignore")
    assert kept.group_by("nom").sum().to_dict() == {
        "Département du Lot": Decimal(1), "Departement du Lot": Decimal(2),
        "Caisse des Dépôts": Decimal(4)}
    right = ledger.relabel("nom", {"Departement du Lot": "Département du Lot"})
    assert right.group_by("nom").sum().to_dict() == {"Département du Lot": Decimal(3),
                                                     "CDC": Decimal(4)}
    with pytest.raises(essconv.InvalidValueError, match="absent"):
        ledger.relabel("nom", typo, absent="skip")
    # the core's binding: a key its dictionary lacks is refused there too, unless absent_ok
    core = ledger._core
    with pytest.raises(essconv.InvalidValueError, match="no label 'Departement du lot'"):
        core.relabel(ledger.columns.index("nom"), typo)
    nom = ledger.columns.index("nom")
    assert core.relabel(nom, typo, True).dictionary(nom) == \
        ledger.relabel("nom", typo, absent="ignore").dictionary("nom")


def test_relabel_refuses_what_it_cannot_apply_as_written():
    ledger = essconv.Ledger.from_columns({"nom": ["A", "B"], "annee": [1, 2], "montant": ["1", "2"]},
                                         amount="montant")
    with pytest.raises(essconv.RelabelError, match="'B' is a new label and is itself renamed"):
        ledger.relabel("nom", {"A": "B", "B": "C"})
    with pytest.raises(essconv.RelabelError, match="holds ints"):
        ledger.relabel("annee", {"1": "2"})
    with pytest.raises(essconv.RelabelError, match="labels to labels"):
        ledger.relabel("nom", {"A": 3})
    with pytest.raises(essconv.UnknownLabelError, match="no column 'nme'"):
        ledger.similar_labels("nme")
    assert issubclass(essconv.RelabelError, ValueError)
    assert ledger.relabel("nom", {"A": "A", "B": "A"}).values("nom") == ["A", "A"]


def test_a_siret_column_of_ints_and_a_sum_past_int64():
    big = 2**63 - 1
    ledger = essconv.Ledger.from_columns(
        {"nomBeneficiaire": ["Lot", "Le Lot", "Lot", "Cahors"],
         "idBeneficiaire": [22460001500511, 22460001500511, None, 5],
         "montant": [1, 2, 3, 4]}, amount="montant", cents=True)
    assert ledger.kinds["idBeneficiaire"] == "int"
    similar = ledger.similar_labels("nomBeneficiaire")
    assert [(g.reason, g.key, [(c.label, c.records, c.amount) for c in g.labels])
            for g in similar] == [("same-siret", "22460001500511",
                                   [("Le Lot", 1, Decimal("0.02")), ("Lot", 1, Decimal("0.01"))])]
    # one name under two spellings of a SIRET whose amounts each fit int64 but not their sum
    spaced = essconv.Ledger.from_columns(
        {"nom": ["Lot", "Lot", "Le Lot"], "siret": ["1 2", "12", "12"],
         "montant": [big, big, 1]}, amount="montant", cents=True)
    with pytest.raises(essconv.MoneyOverflowError, match="SIRET 12 sum past int64"):
        spaced.similar_labels("nom", siret="siret")
    with pytest.raises(essconv.UnknownLabelError, match="no SIRET column 'siren'"):
        spaced.similar_labels("nom", siret="siren")
    with pytest.raises(essconv.RelabelError, match="holds amounts, not SIRETs"):
        spaced.similar_labels("nom", siret="montant")


def test_labels_a_filter_left_without_rows_are_no_spelling():
    """A filtered ledger keeps its whole dictionary: a spelling with no row left is not shown."""
    ledger = essconv.Ledger.from_columns({"nom": ["Lot", "LOT", "lot"], "annee": [1, 2, 2],
                                          "montant": ["1", "2", "3"]}, amount="montant")
    only = ledger.filter(annee=2)
    assert found(only.similar_labels("nom"), "same-name") == {
        frozenset({("LOT", 1, Decimal(2)), ("lot", 1, Decimal(3))})}


def test_relabel_fails_cleanly_at_every_allocation():
    ledger = build([(b, h, None, b * 100 + h) for b in range(6) for h in range(10)])
    mapping = ledger.similar_labels("nomBeneficiaire").mapping()
    expected = ledger.relabel("nomBeneficiaire", mapping).group_by("nomBeneficiaire").sum().to_dict()
    def path():
        return (ledger.relabel("nomBeneficiaire", mapping),
                ledger._core.label_keys(ledger.columns.index("nomBeneficiaire")))
    (merged, keys), failures = first_success_under_failing_allocations(path, 10_000)
    assert merged.group_by("nomBeneficiaire").sum().to_dict() == expected
    assert len(keys[0]) == 4 * len(ledger.labels("nomBeneficiaire"))
    assert failures > 5


def test_relabel_while_another_thread_extends():
    """relabel reads the ledger as a reader: each result is the ledger before or after an
    extend, never half of one."""
    ledger = build([(0, h, None, 100) for h in range(10)])
    more = build([(1, h, None, 100) for h in range(10)])
    results, stop = [], threading.Event()

    def relabel_often():
        while not stop.is_set():
            # the label comes with the first extend: absent before it, by design
            merged = ledger.relabel("nomBeneficiaire", {vary(BASES[1], 1): "Amis"},
                                    absent="ignore")
            results.append((len(merged), merged.total(), merged.values("nomBeneficiaire").count("Amis")))

    worker = threading.Thread(target=relabel_often)
    worker.start()
    for _ in range(30):
        ledger.extend(more)
    stop.set()
    worker.join()
    for rows, total, amis in results:
        extends = (rows - 10) // 10
        assert rows == 10 + 10 * extends and total == Decimal(rows) and amis == extends


# ------------------------------------------------------------------------------ real files
def real(name: str) -> essconv.Ledger:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")   # the repaired rows of some files are said elsewhere
        return essconv.read_scdl(SCDL / name)


REAL_FILES = sorted(p.name for p in SCDL.glob("*.csv"))


@pytest.mark.parametrize("name", REAL_FILES)
def test_similar_labels_of_every_label_column_of_every_real_file_equal_the_twin(name):
    ledger = real(name)
    for column, kind in ledger.kinds.items():
        if kind != "label":
            continue
        similar = ledger.similar_labels(column)
        assert found(similar, "same-name") == twin_same_name(ledger, column), column
        siret = siret_column(ledger, column)
        assert similar.siret == siret
        assert found(similar, "same-siret") == (twin_same_siret(ledger, column, siret)
                                                if siret else set()), column
        mapping = similar.mapping()
        assert (ledger.relabel(column, mapping).group_by(column).sum().to_dict()
                == twin_sums(ledger, column, mapping)), column


def test_the_lot_2017_file_spells_its_own_department_two_ways():
    """The case of two spellings of one name, in a real file: 9 records by "Departement du Lot", 4 by
    "Département du Lot", one SIRET; merged, the department is one funder again."""
    ledger = real("lot-2017-subventions.csv")
    similar = ledger.similar_labels("nomAttribuant")
    assert [(g.reason, g.key) for g in similar] == [("same-siret", "22460001500511"),
                                                   ("same-name", "departementdulot")]
    counts = {c.label: c.records for c in similar[0].labels}
    assert counts == {"Departement du Lot": 9, "Département du Lot": 4}
    assert similar[0].amount == similar[1].amount == ledger.total()
    merged = ledger.relabel("nomAttribuant", similar.mapping())
    assert merged.group_by("nomAttribuant").sum().to_dict() == {"Departement du Lot": ledger.total()}


def test_real_variants_of_case_accents_and_siret():
    vendee = real("vendee-2019-03-subventions.csv").similar_labels("conditionsVersement")
    assert {frozenset(c.label for c in g.labels) for g in vendee} >= {
        frozenset({"Echelonné", "échelonné"}), frozenset({"Unique", "unique"})}
    somme = real("somme-2017-conventions.csv").similar_labels("nature")
    assert [{c.label: c.records for c in g.labels} for g in somme] == [
        {"aide en numéraire": 40, "Aide en numéraire": 1}]
    # the invalid example names its funder by SIRET 21860194600000 two ways: no fold sees it
    poitiers = real("scdl-subventions-exemple-invalide-cellules.csv").similar_labels("nomAttribuant")
    assert [(g.reason, g.key, {c.label: c.records for c in g.labels}) for g in poitiers] == [
        ("same-siret", "21860194600000", {"Ville de Poitiers": 26, "Poitiers": 1})]


def test_the_mapping_as_a_description_section_reads_back(tmp_path: Path):
    import tomllib
    ledger = real("lot-2017-subventions.csv")
    similar = ledger.similar_labels("nomAttribuant")
    section = tomllib.loads(similar.to_toml())
    assert section == {"relabel": {"nomAttribuant": {"Département du Lot": "Departement du Lot"}}}


def described(extra: str) -> essconv.Convention:
    """The embedded convention's description with a section added."""
    import tomllib
    from importlib import resources
    from essconv import description
    data_dir = resources.files("essconv").joinpath("data")
    text = data_dir.joinpath(description.DEFAULT_DESCRIPTION).read_text(encoding="utf-8")
    return essconv.Convention(description.read(tomllib.loads(text + "\n" + extra),
                                               path="kept.toml", plan_dir=data_dir))


def test_a_mapping_kept_with_the_convention_treats_each_years_files_alike():
    lot = real("lot-2017-subventions.csv")
    kept = lot.similar_labels("nomAttribuant").to_toml().replace(
        '"Département du Lot" = "Departement du Lot"', '"Departement du Lot" = "Département du Lot"')
    conv = described(kept + '\n[relabel.nomBeneficiaire]\n"Nobody" = "Somebody"\n')
    assert conv.relabel_mappings == {"nomAttribuant": {"Departement du Lot": "Département du Lot"},
                                     "nomBeneficiaire": {"Nobody": "Somebody"}}
    merged = conv.relabel(lot)
    assert merged is not lot and lot.labels("nomAttribuant")[:2] == ["Departement du Lot",
                                                                     "Département du Lot"]
    assert merged.group_by("nomAttribuant").sum().to_dict() == {"Département du Lot": lot.total()}
    # next year's file, without the old spelling or that column: untouched, nothing refused
    other = real("somme-2018-conventions.csv")
    assert conv.relabel(other).group_by("nomAttribuant").sum().to_dict() == \
        other.group_by("nomAttribuant").sum().to_dict()
    assert essconv.default().relabel(lot) is lot      # a description that keeps no mapping
    import pickle
    assert pickle.loads(pickle.dumps(conv)).relabel_mappings == conv.relabel_mappings


@pytest.mark.parametrize("section,key,words", [
    ('[relabel.nom]\n"A" = "B"\n"B" = "C"\n', "relabel.nom.A", "itself renamed"),
    ('[relabel.nom]\n"A" = 3\n', "relabel.nom.A", "expected"),
    ('[relabel]\nnom = "A"\n', "relabel.nom", "table of spellings"),
    # refused when the description is loaded, as relabel would refuse it applied
    ('[relabel.nom]\n"A" = "B"\n"C" = " "\n', "relabel.nom.C", "blank target"),
    ('[relabel.nom]\n"A" = ""\n', "relabel.nom.A", "blank target"),
    ('[relabel.nom]\n"A" = "B "\n"B" = "C"\n', "relabel.nom.A", "itself renamed"),
])
def test_a_bad_relabel_section_names_its_key(section, key, words):
    with pytest.raises(essconv.DescriptionError, match=words) as info:
        described(section)
    assert info.value.key == key and "kept.toml" in str(info.value)


def test_to_toml_writes_any_label_so_that_it_reads_back():
    import tomllib
    odd = ['Les "Amis" \\ du\tLot', "Les Amis du Lot", "LES AMIS DU LOT\x07", "Lot\U0001F600",
           "lot", "Tag\U000E0001", "TAG\U000E0001"]     # a control, an emoji, a format character
    ledger = essconv.Ledger.from_columns({"nom": odd, "montant": ["5", "4", "3", "2", "1", "1", "0"]},
                                         amount="montant")
    similar = ledger.similar_labels("nom")
    assert tomllib.loads(similar.to_toml()) == {"relabel": {"nom": similar.mapping()}}
    assert similar.mapping() == {"Les Amis du Lot": odd[0], odd[2]: odd[0], odd[6]: odd[5]}
    assert "\\U000e0001" in similar.to_toml()


# --- mapping() weighed each label by the largest count ONE group saw: a same-siret group counts
# only its SIRET's records, so "Beta" (3 under SIRET 111) beat "Alpha" (4 in all, 2 + 2)
def test_mapping_picks_the_spelling_with_most_records_in_the_whole_ledger():
    led = essconv.Ledger.from_columns({
        "nomBeneficiaire": ["Alpha"] * 4 + ["Beta"] * 3 + ["Gamma"],
        "idBeneficiaire": ["111", "111", "222", "222", "111", "111", "111", "222"],
        "montant": ["10"] * 8}, amount="montant")
    assert led.similar_labels("nomBeneficiaire").mapping() == {"Beta": "Alpha", "Gamma": "Alpha"}


# --- a decomposed accent ("e" + U+0301, as macOS writes names) was kept in the key: the NFD
# and NFC spellings of one name were not found similar
def test_decomposed_accents_are_folded_like_precomposed_ones():
    nfc = "Département du Lot"
    nfd = unicodedata.normalize("NFD", nfc)
    assert _core.label_key(nfd) == _core.label_key(nfc) == "departementdulot" == twin_key(nfd)
    led = essconv.Ledger.from_columns({"nomBeneficiaire": [nfc, nfd, "DEPARTEMENT DU LOT"],
                                       "montant": ["1", "2", "4"]}, amount="montant")
    assert [len(g.labels) for g in led.similar_labels("nomBeneficiaire")] == [3]
    assert _core.label_key("Ελλα\u0301δα") == "Ελλα\u0301δα"   # other scripts: kept as they are


# --- relabel made a blank label that is not missing ("") and "B " beside "B"; a surrogate
# escaped as UnicodeEncodeError
def test_relabel_trims_targets_and_refuses_blank_ones():
    led = essconv.Ledger.from_columns({"nom": ["A", "B", "C", None], "montant": ["1", "2", "4", "8"]},
                                      amount="montant")
    r = led.relabel("nom", {"C": "B ", "A": "\u00a0A"})
    assert r.group_by("nom").sum().to_dict() == {"A": 1, "B": 6, None: 8}
    for mapping in ({"A": ""}, {"A": " \t"}, {"A": "\ud800"}, {"\udfff": "A"}):
        with pytest.raises(essconv.RelabelError):
            led.relabel("nom", mapping)


def test_relabel_refuses_a_target_holding_a_nul_as_from_columns_refuses_the_label():
    # from_columns and a CSV file refuse a label holding a NUL; relabel made one, which C then
    # read up to the NUL ("Oise\0x" and "Oise\0y" one line "Oise" in a pivot)
    led = essconv.Ledger.from_columns({"nom": ["Oise", "Somme"], "montant": ["1", "2"]},
                                      amount="montant")
    with pytest.raises(essconv.RelabelError, match=r"'Oise\\x00x' holds a NUL character") as caught:
        led.relabel("nom", {"Oise": "Oise\x00x"})
    assert "\x00" not in str(caught.value)
    assert led.values("nom") == ["Oise", "Somme"]
