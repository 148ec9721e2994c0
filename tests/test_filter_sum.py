"""A filter's count and total come from its one pass over the codes and the kept amounts, and its
rows are copied only when first needed (the goal: "label-set filter + sum at least 2x
pandas").  Checked against the obvious twin -- a Python predicate on each row and a Decimal sum --
and against the rows themselves once copied; the copy made after extends of the source (new rows,
new labels, even labels the filter asked for and did not find) is the one that would have been
made when the filter ran."""
from __future__ import annotations

import datetime as dt
import random
import sys
import threading
from decimal import Decimal

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import essconv
from essconv import Ledger

NAMES = ["CDC", "CR-NPDC", "FSE", "Département du Lot", "DRTEFP", "zzz"]


def ledger_of(rows) -> Ledger:
    return Ledger.from_columns({"nom": [r[0] for r in rows], "annee": [r[1] for r in rows],
                                "montant": [r[2] for r in rows]}, amount="montant", cents=True)


def euros(cents) -> Decimal:
    return sum((Decimal(c) / 100 for c in cents), Decimal(0))


def not_copied(ledger: Ledger) -> bool:
    return ledger._selection is not None


rows_strategy = st.lists(st.tuples(st.sampled_from(NAMES[:-1] + [None]), st.integers(2009, 2013),
                                   st.integers(-10**12, 10**12)), min_size=0, max_size=80)


# random sets and years miss the rows on purpose: their warnings are the subject of tests below
@pytest.mark.filterwarnings("ignore::essconv.NothingMatchedWarning",
                            "ignore::essconv.UnknownLabelWarning")
@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(rows_strategy, st.sets(st.sampled_from(NAMES + [None])), st.integers(2009, 2013),
       st.booleans())
def test_count_and_total_without_a_copy_equal_the_twin_and_the_rows(rows, wanted, year, by_year):
    ledger = ledger_of(rows)
    conditions = {"nom": set(wanted)} | ({"annee": range(year, 2014)} if by_year else {})
    kept = ledger.filter(**conditions)
    twin = [r for r in rows if r[0] in wanted and (not by_year or r[1] >= year)]
    assert len(kept) == len(twin)
    assert kept.total() == euros(c for _, _, c in twin)
    assert not_copied(kept)   # the count and the total cost no copy
    assert kept.values("nom") == [r[0] for r in twin]   # now copied: the same rows
    assert kept.values("montant") == [Decimal(c) / 100 for _, _, c in twin]
    assert (len(kept), kept.total()) == (len(twin), euros(c for _, _, c in twin))


def test_many_blocks_and_a_label_condition_equal_the_twin():
    """Rows over several of the core's 4096-row blocks, a contains condition folded for case and
    accents: count and total from the pass, then the rows."""
    rng = random.Random(14)
    n = 5 * 4096 + 123
    rows = [(rng.choice(NAMES[:-1] + [None]), rng.randrange(2009, 2014),
             rng.randrange(-10**9, 10**9)) for _ in range(n)]
    ledger = ledger_of(rows)
    kept = ledger.filter(nom=essconv.contains("departement", ignore_case=True,
                                              ignore_accents=True) | essconv.one_of(["FSE"]))
    twin = [r for r in rows if r[0] in ("Département du Lot", "FSE")]
    assert (len(kept), kept.total()) == (len(twin), euros(c for _, _, c in twin))
    assert not_copied(kept)
    assert kept.values("annee") == [r[1] for r in twin]
    assert kept.total() == sum(kept.values("montant"), Decimal(0))


def test_the_copy_made_after_extends_is_the_one_made_when_the_filter_ran():
    rows = [("CDC", 2010, 100), ("FSE", 2011, 250), ("CDC", 2012, -5), (None, 2013, 7)]
    ledger = ledger_of(rows)
    wanted = {"CDC", "zzz", None}   # "zzz": no row has it yet
    kept = ledger.filter(nom=wanted)
    at_once = ledger.filter(nom=wanted)
    at_once.values("nom")   # copied now, before the extends
    ledger.extend(ledger_of([("zzz", 2014, 10**6), ("CDC", 2014, 1), ("new", 2015, 3)]))
    assert not_copied(kept)
    assert kept.values("nom") == ["CDC", "CDC", None] == at_once.values("nom")
    assert kept.dictionary("nom") == at_once.dictionary("nom") == ["CDC", "FSE"]
    assert kept.labels("nom") == at_once.labels("nom") == ["CDC"]   # what the kept rows hold
    assert kept.values("annee") == [2010, 2012, 2013] == at_once.values("annee")
    assert kept.total() == Decimal("1.02") == at_once.total()
    assert len(ledger.filter(nom=wanted)) == 5   # a new filter sees the extended ledger


def test_the_result_outlives_its_source_and_copies_once():
    kept = ledger_of([("CDC", 2010, 1), ("FSE", 2011, 2)] * 3000).filter(nom="FSE")
    assert not_copied(kept)   # the source, dropped, lives on until the rows are copied
    results = []
    threads = [threading.Thread(target=lambda: results.append(kept.values("montant")))
               for _ in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert results == [[Decimal("0.02")] * 3000] * 4
    assert kept.total() == Decimal(60)


def test_a_total_past_int64_is_refused_when_asked_for_and_the_count_stands():
    big = 2**63 - 1
    kept = ledger_of([("CDC", 2010, big), ("FSE", 2010, 1), ("CDC", 2011, big)]).filter(nom="CDC")
    assert len(kept) == 2 and not_copied(kept)
    with pytest.raises(OverflowError):
        kept.total()
    assert kept.values("montant") == [Decimal(big) / 100] * 2


def test_the_core_refuses_a_scope_its_rows_do_not_fit():
    core = ledger_of([("CDC", 2010, 1), ("FSE", 2010, 2)])._core
    conds = [(0, ("FSE",), False, 0, 0)]
    count, cents, rows, labels = core.filter_sum(conds)
    assert (count, cents, rows) == (1, 2, 2)
    assert core.filter(conds, (rows, labels)).nrows == 1
    with pytest.raises(ValueError):   # FSE is code 1: a scope of one label cannot hold it
        core.filter(conds, (rows, (1,) + labels[1:]))
    with pytest.raises(ValueError):   # more rows than the ledger has
        core.filter(conds, (rows + 1, labels))


def test_filters_beside_extends_copy_the_rows_they_counted():
    """A reader thread filters, counts, lets extends run, then copies: the rows copied are the
    ones counted, whatever the other thread appended meanwhile."""
    base = [("CDC", 2010, 1), ("FSE", 2011, 2)] * 500
    ledger = ledger_of(base)
    mismatches, done = [], threading.Event()

    def reader() -> None:
        while not done.is_set():
            kept = ledger.filter(nom={"CDC", "new-3"})
            count, total = len(kept), kept.total()
            if not not_copied(kept):
                mismatches.append("copied before asked")
            values = kept.values("montant")
            if (len(values), sum(values, Decimal(0))) != (count, total):
                mismatches.append((count, total, len(values)))
    interval = sys.getswitchinterval()
    sys.setswitchinterval(1e-5)
    thread = threading.Thread(target=reader)
    thread.start()
    try:
        for k in range(120):
            ledger.extend(ledger_of([(f"new-{k}", 2012, 1000), ("CDC", 2013, 5)]))
    finally:
        done.set()
        thread.join()
        sys.setswitchinterval(interval)
    assert not mismatches
    final = ledger.filter(nom={"CDC", "new-3"})
    assert (len(final), final.total()) == (500 + 120 + 1, Decimal("5") + Decimal("6.00") + 10)


def test_a_result_not_copied_yet_travels_and_displays_as_its_rows():
    import copy
    import pickle
    rows = [("CDC", 2010, 100), ("FSE", 2011, 250), ("CDC", 2012, -5)]
    for make_copy in (lambda l: pickle.loads(pickle.dumps(l, protocol=5)),
                      lambda l: pickle.loads(pickle.dumps(l, protocol=2)), copy.deepcopy):
        kept = ledger_of(rows).filter(nom="CDC")
        assert not_copied(kept)
        other = make_copy(kept)
        assert other.values("annee") == [2010, 2012] and other.total() == Decimal("0.95")
    kept = ledger_of(rows).filter(nom="CDC")
    assert "2 rows" in repr(kept) and "0.95" in repr(kept)


# ------------------------------------------------------------- a label the column never held
def test_a_filter_on_a_label_the_column_never_held_says_so_and_names_the_close_ones(recwarn):
    """A mistyped funder summed to zero without a word: "Caisse des depots" for "Caisse des
    Dépôts" gave a total of 0, which a report then printed as the CDC's."""
    rows = [("Caisse des Dépôts", "2017", "10.50"), ("Région", "2018", "20"),
            ("Région", "2018", "5"), ("Département du Nord", "2019", "7")]
    ledger = Ledger.from_columns({"financeur": [r[0] for r in rows], "annee": [r[1] for r in rows],
                                  "montant": [Decimal(r[2]) for r in rows]}, amount="montant")

    def twin(funders):   # the Decimal sum of the rows of these funders
        return sum((Decimal(r[2]) for r in rows if r[0] in funders), Decimal(0))

    with pytest.warns(essconv.UnknownLabelWarning) as said:
        got = ledger.filter(financeur="Caisse des depots").total()
    assert got == twin({"Caisse des depots"}) == 0   # the answer stands: no row has it
    assert [str(w.message) for w in said] == [
        "financeur: no label 'Caisse des depots' (close: 'Caisse des Dépôts'); it selects no row"]
    with pytest.warns(essconv.UnknownLabelWarning, match="'Regio' \\(close: 'Région'\\)"):
        assert ledger.filter(financeur={"Région", "Regio"}).total() == twin({"Région"})
    recwarn.clear()
    # labels the column holds, and a range of years some row holds, say nothing: a year
    # missing inside a span is no typo
    assert ledger.filter(financeur={"Région", "Caisse des Dépôts"}).total() == \
        twin({"Région", "Caisse des Dépôts"})
    assert ledger.filter(annee=range(2010, 2030)).total() == twin({r[0] for r in rows})
    assert not [w for w in recwarn if issubclass(w.category, essconv.UnknownLabelWarning)]
    # a year given as a number is its label, said as "2031" is when no row holds it
    with pytest.warns(essconv.UnknownLabelWarning, match="annee: no label '2031'"):
        assert ledger.filter(annee=2031).total() == 0
    # a label only rows a first filter left out held selects nothing in the second: said too
    # (it was silent, where the same rows read from a file without that label warned)
    with pytest.warns(essconv.UnknownLabelWarning,
                      match="no row holds the label 'Caisse des Dépôts'"):
        assert len(ledger.filter(financeur="Région").filter(financeur="Caisse des Dépôts")) == 0


@pytest.mark.parametrize("as_one_of", [False, True])
def test_many_labels_no_row_holds_are_said_a_few_then_counted(monkeypatch, as_one_of):
    """A set of names from another year's file, many of them absent here: each absent one got
    its warning and a close-label search over the column (44 s and 2 000 warnings for 5 000
    names on 20 000 rows).  The first ones are said with their close labels, the others
    counted in one warning; the rows selected are the twin's whatever is said."""
    rng = random.Random(5)
    names = [f"ASSO {rng.randrange(400)}" for _ in range(2000)]
    amounts = [Decimal(rng.randrange(10**6)) / 100 for _ in names]
    ledger = Ledger.from_columns({"nom": names, "montant": amounts}, amount="montant")
    asked = [f"ASSO {k}" for k in range(0, 600, 3)]
    absent = [a for a in asked if a not in set(names)]
    assert len(absent) > essconv.ledger.UNKNOWN_LABELS_SAID + 3
    searched = []
    close_labels = Ledger.close_labels
    monkeypatch.setattr(Ledger, "close_labels",
                        lambda self, *a, **k: searched.append(a) or close_labels(self, *a, **k))
    with pytest.warns(essconv.UnknownLabelWarning) as said:
        kept = ledger.filter(nom=essconv.one_of(asked) if as_one_of else set(asked))
    twin = [a for n, a in zip(names, amounts) if n in set(asked)]
    assert (len(kept), kept.total()) == (len(twin), sum(twin, Decimal(0)))
    messages = [str(w.message) for w in said]
    first = messages[:essconv.ledger.UNKNOWN_LABELS_SAID]
    assert len(searched) == len(first) == essconv.ledger.UNKNOWN_LABELS_SAID
    assert all(m.startswith("nom: no label 'ASSO ") for m in first)
    rest = len(absent) - len(first)
    assert messages[len(first):] == [next(m for m in messages[len(first):])]
    assert messages[-1].startswith(f"nom: {rest:,} more labels no row holds ('ASSO ")
    assert messages[-1].endswith("one_of() matches no row for them" if as_one_of
                                 else "they select no row")
    named = {m.split("'")[1] for m in first}
    assert named <= set(absent) and len(named) == len(first)


def test_one_of_a_label_no_row_holds_says_so_as_the_label_alone_does(recwarn):
    """``one_of(["Caisse des depots"])`` summed to zero without a word, where the same label
    written alone was said; the labels of a one_of are read as a plain filter's, through ~, &
    and | too, unless case or accents are ignored (then no label is written out exactly)."""
    import unicodedata
    rows = [("Caisse des Dépôts", "10.50"), ("Région", "20"), ("Région", "5")]
    ledger = Ledger.from_columns({"financeur": [r[0] for r in rows],
                                  "montant": [Decimal(r[1]) for r in rows]}, amount="montant")

    def twin(funders):
        return sum((Decimal(a) for f, a in rows if f in funders), Decimal(0))

    with pytest.warns(essconv.UnknownLabelWarning) as said:
        got = ledger.filter(financeur=essconv.one_of(["Caisse des depots", "Région"])).total()
    assert got == twin({"Région"})
    assert [str(w.message) for w in said] == [
        "financeur: no label 'Caisse des depots' (close: 'Caisse des Dépôts'); one_of() "
        "matches no row for it"]
    with pytest.warns(essconv.UnknownLabelWarning, match="'Regio' \\(close: 'Région'\\)"):
        assert ledger.filter(financeur=~essconv.one_of(["Regio"]) | essconv.contains("x")
                             ).total() == twin({"Région", "Caisse des Dépôts"})
    recwarn.clear()
    assert ledger.filter(financeur=essconv.one_of(["caisse des depots"], ignore_case=True,
                                                  ignore_accents=True)).total() == \
        twin({"Caisse des Dépôts"})
    assert ledger.filter(financeur=essconv.one_of(["Région"])).total() == twin({"Région"})
    assert not [w for w in recwarn if issubclass(w.category, essconv.UnknownLabelWarning)]
    # a name spelt with its accents composed in some rows and decomposed in others
    twice = Ledger.from_columns({"financeur": ["Région", unicodedata.normalize("NFD", "Région")],
                                 "montant": [Decimal(1), Decimal(2)]}, amount="montant")
    with pytest.raises(essconv.ConditionError, match="relabel"):
        twice.filter(financeur=essconv.one_of(["Région"]))


def years_ledger() -> Ledger:
    import datetime as dt
    return Ledger.from_columns({"annee": [2009, 2010, 2010],
                                "jour": [dt.date(2009, 3, 1), dt.date(2010, 6, 30),
                                         dt.date(2010, 7, 1)],
                                "montant": [Decimal("10"), Decimal("20"), Decimal("5")]},
                               amount="montant", ints=["annee"], dates=["jour"])


@pytest.mark.parametrize("conditions, said", [
    ({"annee": 2011}, "annee: no row holds 2011 (the column holds 2009–2010); it selects no row"),
    ({"annee": 2901}, "annee: no row holds 2901 (the column holds 2009–2010)"),
    ({"annee": "2011"}, "annee: no row holds 2011 "),
    ({"annee": range(2011, 2014)}, "annee: no row holds a value from 2011 to 2013 "),
    ({"annee": (None, 2008)}, "annee: no row holds a value up to 2008 "),
    ({"annee": {2011, None}}, "annee: no row holds 2011 "),
    ({"jour": "2010-07-02"},
     "jour: no row holds 2010-07-02 (the column holds 2009-03-01–2010-07-01); it selects no row"),
    ({"jour": (dt.date(2011, 1, 1), dt.date(2011, 12, 31))},
     "jour: no row holds a value from 2011-01-01 to 2011-12-31 "),
    ({"montant": (Decimal("100"), None)},
     # in euros, as every listing says an amount (it read "from 100 on (... 5–20)")
     "montant: no row holds a value from 100\u00a0€ on (the column holds 5\u00a0€–20\u00a0€); "
     "it selects no row"),
])
def test_an_int_date_or_amount_no_row_holds_is_said_as_an_unknown_label_is(conditions, said):
    """``filter(annee=2011)`` on years 2009 and 2010 totalled 0 without a word, where a label
    no row holds is said: a typo (2901) read as "nothing that year".  The value and the
    column's range are named."""
    with pytest.warns(essconv.NothingMatchedWarning) as caught:
        assert years_ledger().filter(**conditions).total() == 0
    assert [str(w.message) for w in caught if isinstance(w.message, essconv.NothingMatchedWarning)
            ][0].startswith(said)


def test_a_value_some_row_holds_is_not_said_even_when_the_conditions_together_keep_none():
    """Each condition selects rows, their conjunction none: an answer, no typo."""
    import warnings
    with warnings.catch_warnings():
        warnings.simplefilter("error", essconv.EssconvWarning)
        assert len(years_ledger().filter(annee=2009, jour=(dt.date(2010, 1, 1), None))) == 0
        assert len(years_ledger().filter(annee=range(2008, 2012))) == 3
        assert len(years_ledger().filter(annee=None)) == 0   # no missing year: asked, not a typo


@pytest.mark.parametrize("verb", [lambda l: l.filter(anne=2009), lambda l: l.group_by("Annee"),
                                  lambda l: l.pivot("anne", "nom")])
def test_a_column_the_ledger_lacks_names_the_close_one_in_both_languages(verb):
    """A typo in a column's name listed every column and left the analyst to find the one
    meant: the close one is named, as the reader names a header's."""
    ledger = Ledger.from_columns({"nom": ["A"], "annee": [2009], "montant": [Decimal(1)]},
                                 amount="montant", ints=["annee"])
    with pytest.raises(essconv.UnknownColumnError) as refused:
        verb(ledger)
    assert "(did you mean 'annee'?); the ledger's columns: 'nom', 'annee', 'montant'" in \
        str(refused.value)
    french = essconv.messages.language("fr").refusal(refused.value)
    assert "(vouliez-vous dire « annee » ?)" in french.replace("\u00a0", " ").replace("\u202f", " ")


@pytest.mark.parametrize("column", ["nom", "annee", "jour", "montant"])
@pytest.mark.parametrize("empty", [[], set(), frozenset()], ids=repr)
def test_an_empty_set_of_values_selects_no_row_and_says_so_on_every_kind(column, empty):
    """``filter(annee=[])`` was refused as "not a range of consecutive values" on an int or a
    date column, and ``nom=[]`` summed 0 without a word: an empty set (a list computed
    upstream and found empty) selects no row on every kind of column, and says so."""
    ledger = Ledger.from_columns({"nom": ["A", "B"], "annee": [2009, 2010],
                                  "jour": [dt.date(2009, 1, 1), dt.date(2010, 1, 1)],
                                  "montant": [Decimal(1), Decimal(2)]},
                                 amount="montant", ints=["annee"], dates=["jour"])
    with pytest.warns(essconv.NothingMatchedWarning,
                      match=f"^{column}: an empty set of values selects no row$"):
        kept = ledger.filter(**{column: empty})
    assert (len(kept), kept.total()) == (0, 0)


def test_a_column_of_one_value_is_said_as_that_value_not_as_a_range_of_it():
    """A filter on a column holding only 2009 said "the column holds 2009–2009": one value is
    said as one, in both languages."""
    from essconv.messages import language
    ledger = Ledger.from_columns({"annee": [2009, 2009], "montant": [Decimal(1), Decimal(2)]},
                                 amount="montant", ints=["annee"])
    with pytest.warns(essconv.NothingMatchedWarning) as caught:
        assert ledger.filter(annee=2013).total() == 0
    [warned] = [w.message for w in caught if isinstance(w.message, essconv.NothingMatchedWarning)]
    assert str(warned) == "annee: no row holds 2013 (the column holds only 2009); it selects no row"
    french = language("fr").warning(warned).replace("\u00a0", " ").replace("\u202f", " ")
    assert "aucun enregistrement ne porte 2013 (la colonne ne porte que 2009)" in french, french
