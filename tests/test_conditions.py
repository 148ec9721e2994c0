"""Label conditions (essconv.contains, startswith, regex, one_of, callables; & | ~): the rows a
filter keeps and their exact total against an obvious twin -- a Python predicate on each row's
label and a Decimal sum -- on generated ledgers and on the real files in tests/data."""
from __future__ import annotations

import datetime as dt
import random
import re
import unicodedata
from decimal import Decimal

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import essconv
from essconv import Ledger, _core
from essconv.cli import main
from essconv.conditions import as_condition
from conftest import SCDL, REAL_SCDL, read_real_scdl

LABELS = ["Département du Lot", "DEPARTEMENT DU LOT", "Departement du Lot", "Association Insertion",
          "association d'insertion", "ÉCOLE Jules Ferry", "école jules ferry", "Commune de Arras",
          "Fédération des Œuvres laïques", "SCI Les Tilleuls"]


# ------------------------------------------------------------------------- the obvious twin
def twin_fold(text: str, ignore_case: bool, ignore_accents: bool) -> str:
    if ignore_accents:   # drop every non-spacing mark of the decomposed text
        text = "".join(c for c in unicodedata.normalize("NFD", text)
                       if unicodedata.category(c) != "Mn")
    return text.casefold() if ignore_case else text


def twin_holds(tree, label: str | None) -> bool:
    """The tree as plain Python boolean logic on one label (None: the row has none)."""
    op = tree[0]
    if op == "and":
        return twin_holds(tree[1], label) and twin_holds(tree[2], label)
    if op == "or":
        return twin_holds(tree[1], label) or twin_holds(tree[2], label)
    if op == "not":
        return not twin_holds(tree[1], label)
    if op == "one_of":
        _, values, ic, ia = tree
        if label is None:
            return None in values
        return twin_fold(label, ic, ia) in {twin_fold(v, ic, ia) for v in values if v is not None}
    if label is None:
        return False
    if op == "contains":
        _, text, ic, ia = tree
        return twin_fold(text, ic, ia) in twin_fold(label, ic, ia)
    if op == "startswith":
        _, text, ic, ia = tree
        return twin_fold(label, ic, ia).startswith(twin_fold(text, ic, ia))
    if op == "regex":
        return re.search(tree[1], label) is not None
    return bool(tree[1](label))   # a callable


def build(tree):
    """The same tree as essconv conditions (a callable alone stays a bare function; two of them
    combine once made conditions, as Python's operators on functions cannot)."""
    op = tree[0]
    if op == "and":
        return as_condition(build(tree[1])) & build(tree[2])
    if op == "or":
        return build(tree[1]) | as_condition(build(tree[2]))   # a function on the left: __ror__
    if op == "not":
        return ~as_condition(build(tree[1]))
    if op in ("contains", "startswith", "one_of"):
        return getattr(essconv, op)(tree[1], ignore_case=tree[2], ignore_accents=tree[3])
    if op == "regex":
        return essconv.regex(tree[1])
    return tree[1]


def long_name(label: str) -> bool:
    return len(label) > 18


def shouting(label: str) -> bool:
    return label.isupper()


flags = st.booleans()
leaf = st.one_of(
    st.tuples(st.just("contains"), st.sampled_from(["lot", "Lot", "département", "DEPARTEMENT",
                                                    "insertion", "école", "ECOLE", " de "]),
              flags, flags),
    st.tuples(st.just("startswith"), st.sampled_from(["D", "dé", "asso", "ÉCOLE", "SCI"]),
              flags, flags),
    st.tuples(st.just("one_of"), st.lists(st.sampled_from(LABELS + [None, "departement du lot"]),
                                          max_size=4).map(tuple), flags, flags),
    st.tuples(st.just("regex"), st.sampled_from([r"^D", r"Lot$", r"(?i)insertion", r"\bde\b"])),
    st.tuples(st.just("callable"), st.sampled_from([long_name, shouting])),
)
trees = st.recursive(leaf, lambda sub: st.one_of(
    st.tuples(st.just("and"), sub, sub), st.tuples(st.just("or"), sub, sub),
    st.tuples(st.just("not"), sub)), max_leaves=6)
records = st.lists(st.tuples(st.sampled_from(LABELS + [None]), st.integers(-10**12, 10**12)),
                   min_size=1, max_size=60)


def ledger_of(rows) -> Ledger:
    return Ledger.from_columns({"nom": [r[0] for r in rows], "montant": [r[1] for r in rows]},
                               amount="montant", cents=True)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(records, trees)
def test_any_combination_keeps_the_rows_python_logic_keeps(rows, tree):
    kept = ledger_of(rows).filter(nom=build(tree))
    twin = [r for r in rows if twin_holds(tree, r[0])]
    assert kept.values("nom") == [r[0] for r in twin]
    assert kept.total() == sum((Decimal(c) / 100 for _, c in twin), Decimal(0))


def test_case_and_accents_are_ignored_only_on_request():
    ledger = ledger_of([("Département du Lot", 100), ("DEPARTEMENT DU LOT", 20),
                        ("Departement du Lot", 3), (None, 4000)])
    def names(cond):
        return ledger.filter(nom=cond).values("nom")
    assert names(essconv.contains("Département du Lot")) == ["Département du Lot"]
    assert names(essconv.contains("département du lot", ignore_case=True)) == ["Département du Lot"]
    assert names(essconv.contains("Departement du Lot", ignore_accents=True)) == \
        ["Département du Lot", "Departement du Lot"]
    assert names(essconv.contains("département du lot", ignore_case=True, ignore_accents=True)) == \
        ["Département du Lot", "DEPARTEMENT DU LOT", "Departement du Lot"]
    assert names(essconv.one_of(["DÉPARTEMENT DU LOT"], ignore_case=True, ignore_accents=True)) == \
        ["Département du Lot", "DEPARTEMENT DU LOT", "Departement du Lot"]
    assert names(essconv.startswith("dep", ignore_case=True)) == \
        ["DEPARTEMENT DU LOT", "Departement du Lot"]
    # the blank row: no text, so no text condition keeps it, and its negation does
    assert ledger.filter(nom=~essconv.contains("lot", ignore_case=True)).total() == Decimal("40.00")


def test_a_ligature_is_no_accent_to_a_french_reader():
    ledger = ledger_of([("Fédération des Œuvres laïques", 1), ("FEDERATION DES OEUVRES LAIQUES", 2)])
    kept = ledger.filter(nom=essconv.contains("oeuvres", ignore_case=True, ignore_accents=True))
    assert len(kept) == 2


def test_a_callable_is_called_once_per_distinct_label_not_per_row():
    rng = random.Random(12)
    rows = [(rng.choice(LABELS[:7] + [None]), rng.randrange(10**6)) for _ in range(50_000)]
    ledger = ledger_of(rows)
    seen: list[str] = []
    def wanted(label: str) -> bool:
        seen.append(label)
        return "o" in label
    kept = ledger.filter(nom=wanted)
    assert sorted(seen) == sorted(set(ledger.labels("nom")))   # each label once; never None
    twin = [c for n, c in rows if n is not None and "o" in n]
    assert len(kept) == len(twin)
    assert kept.total() == sum((Decimal(c) / 100 for c in twin), Decimal(0))


def test_labels_added_while_the_mask_is_made_are_evaluated_too():
    """The mask is made in Python from the dictionary; an extend in between (here: by the
    callable itself, the worst case) adds labels the mask does not cover: the core refuses the
    short mask and only the new labels are evaluated before the next try."""
    ledger = ledger_of([("alpha", 1), ("beta", 2)])
    calls: list[str] = []
    def wanted(label: str) -> bool:
        calls.append(label)
        if len(calls) == 1:
            ledger.extend(ledger_of([("gamma", 40), ("alpha", 800)]))
        return label != "beta"
    kept = ledger.filter(nom=wanted)
    assert calls == ["alpha", "beta", "gamma"]
    assert kept.values("nom") == ["alpha", "gamma", "alpha"]
    assert kept.total() == Decimal("8.41")


def test_the_core_refuses_a_mask_that_does_not_cover_the_dictionary():
    core = ledger_of([("a", 1), ("b", 2)])._core
    assert core.filter([(0, b"\x01", False, 0, 0)]) is None
    assert core.filter([(0, b"\x01\x00", False, 0, 0)]).nrows == 1


def test_a_label_condition_on_another_kind_of_column_names_it():
    ledger = Ledger.from_columns({"n": [2017], "montant": [1]}, amount="montant")
    with pytest.raises(essconv.ConditionError, match="'n' holds ints"):
        ledger.filter(n=essconv.contains("2017"))
    with pytest.raises(TypeError, match="not a condition"):
        essconv.contains("a") & 3


def test_conditions_on_every_kind_of_column_over_many_blocks_equal_the_twin():
    """Thousands of rows (the core reads them in blocks), a label condition with a date, an int
    and an amount range: the rows kept, in order, and their total."""
    rng = random.Random(7)
    n = 3 * 4096 + 17
    names = [rng.choice(LABELS + [None]) for _ in range(n)]
    days = [None if rng.random() < 0.1 else dt.date(2015, 1, 1) + dt.timedelta(rng.randrange(1500))
            for _ in range(n)]
    years = [rng.randrange(2009, 2014) for _ in range(n)]
    cents = [rng.randrange(-10**9, 10**9) for _ in range(n)]
    ledger = Ledger.from_columns({"nom": names, "d": days, "annee": years, "montant": cents},
                                 amount="montant", cents=True)
    cond = essconv.contains("lot", ignore_case=True) | essconv.regex("^É")
    lo, hi = dt.date(2016, 1, 1), dt.date(2017, 6, 30)
    kept = ledger.filter(nom=cond, d=(lo, hi), annee=range(2010, 2013),
                         montant=(Decimal(-1000), None))
    twin = [i for i in range(n)
            if names[i] is not None and ("lot" in names[i].casefold() or names[i].startswith("É"))
            and days[i] is not None and lo <= days[i] <= hi and 2010 <= years[i] < 2013
            and cents[i] >= -100_000]
    assert kept.values("nom") == [names[i] for i in twin]
    assert kept.values("d") == [days[i] for i in twin]
    assert kept.total() == sum((Decimal(cents[i]) / 100 for i in twin), Decimal(0))
    # one condition alone, and none: every block whole
    assert len(ledger.filter(nom=cond)) == sum(
        1 for x in names if x is not None and ("lot" in x.casefold() or x.startswith("É")))
    assert ledger.filter().total() == ledger.total()


@pytest.mark.parametrize("path", REAL_SCDL, ids=lambda p: p.name)
def test_real_files_filtered_by_a_name_condition_equal_the_twin(path):
    ledger = read_real_scdl(path)
    column = next(c for c in ("nomBeneficiaire", "nomAttribuant") if c in ledger.columns)
    names, amounts = ledger.values(column), ledger.values("montant")
    tree = ("or", ("contains", "association", True, True), ("not", ("regex", r"[a-z]")))
    kept = ledger.filter(**{column: build(tree)})
    twin = [(n, a) for n, a in zip(names, amounts) if twin_holds(tree, n)]
    assert kept.values(column) == [n for n, _ in twin]
    assert kept.total() == sum((a for _, a in twin), Decimal(0))


def test_a_department_is_found_in_the_lot_file_whatever_its_spelling():
    ledger = essconv.read_scdl(SCDL / "lot-2017-subventions.csv")
    kept = ledger.filter(nomAttribuant=essconv.contains("DÉPARTEMENT DU LOT", ignore_case=True,
                                                        ignore_accents=True))
    assert len(kept) == len(ledger) and kept.total() == ledger.total()   # "Departement du Lot"
    assert len(ledger.filter(nomAttribuant=essconv.contains("DÉPARTEMENT DU LOT"))) == 0


# ------------------------------------------------------------------------------------- CLI
@pytest.mark.parametrize("where, holds", [
    ("nomBeneficiaire~association", lambda n: n is not None and "association" in twin_fold(n, True, True)),
    ("nomBeneficiaire~ASSOCIATION", lambda n: n is not None and "association" in twin_fold(n, True, True)),
    ("nomBeneficiaire^=assoc", lambda n: n is not None and twin_fold(n, True, True).startswith("assoc")),
    ("nature=aide en numéraire", lambda n: n == "aide en numéraire"),
    ("nature!=aide en numéraire", lambda n: n != "aide en numéraire"),
])
def test_cli_where_filters_before_grouping(capsys, where, holds):
    path = SCDL / "lot-2017-subventions.csv"
    ledger = essconv.read_scdl(path)
    column = where.split("~")[0].split("^=")[0].split("!=")[0].split("=")[0]
    twin = sum((a for n, a in zip(ledger.values(column), ledger.values("montant")) if holds(n)),
               Decimal(0))
    assert main(["aggregate", str(path), "--by", "nomAttribuant", "--where", where]) == 0
    out = capsys.readouterr().out
    assert f"total\u00a0: {essconv.format_amount(twin, group=' ', decimals=0 if twin == twin.to_integral() else 2)} €" in out


def test_cli_where_refuses_what_it_cannot_read(capsys):
    path = SCDL / "lot-2017-subventions.csv"
    assert main(["aggregate", str(path), "--by", "nomAttribuant", "--where", "nomBeneficiaire"]) == 2
    assert "--where" in capsys.readouterr().err
    assert main(["aggregate", str(path), "--by", "nomAttribuant", "--where", "nom~x",
                 "--lang", "en"]) == 2   # French by default: tests/test_cli.py
    assert "no column 'nom'" in capsys.readouterr().err
    assert main(["aggregate", str(path), "--by", "nomAttribuant", "--where", "montant~4",
                 "--lang", "en"]) == 2
    assert "'montant' holds no labels" in capsys.readouterr().err


@pytest.mark.parametrize("where", ["nomBeneficiaire~", "nomBeneficiaire^=", "nomBeneficiaire ~  "])
def test_cli_where_refuses_a_contains_or_starts_with_of_no_text(capsys, where):
    """--where 'nomBeneficiaire~' (the text forgotten) kept every record holding a label and
    left out, without a word, those with none: a total smaller than the file's that looked
    like the whole.  It is refused, saying why, in the command's language."""
    path = SCDL / "lot-2017-subventions.csv"
    args = ["aggregate", str(path), "--by", "nomAttribuant", "--where", where]
    assert main(args) == 2
    captured = capsys.readouterr()
    err = captured.err.replace("\u202f", " ").replace("\u00a0", " ")
    assert captured.out == "" and "aucun texte après" in err and "(vide)" in err, err
    assert main(args + ["--lang", "en"]) == 2
    captured = capsys.readouterr()
    assert captured.out == "" and "no text after" in captured.err and "(blank)" in captured.err


def test_a_condition_filter_beside_extends_from_another_thread_sees_a_whole_ledger():
    """Extends that add new labels, from another thread, while label conditions filter: each
    result is the ledger before or after some extend (its rows of the new labels included),
    never a mask made for fewer labels than the rows it is applied to."""
    import sys
    import threading
    base = [("a", 1), ("b", 2)] * 500
    batches = [[(f"new-{k}", 10_000 * (k + 1)), ("a", 100), ("b", 7)] for k in range(150)]
    wanted = essconv.contains("NEW", ignore_case=True) | essconv.one_of(["a"])
    def holds(label):
        return label.startswith("new") or label == "a"
    states, rows = set(), list(base)   # (count, total) of the ledger after each extend, filtered
    for batch in [[]] + batches:
        rows += batch
        states.add((sum(1 for n, _ in rows if holds(n)),
                    sum((Decimal(c) / 100 for n, c in rows if holds(n)), Decimal(0))))
    ledger = ledger_of(base)
    seen: list[tuple[int, Decimal]] = []
    done = threading.Event()
    def reader() -> None:
        while not done.is_set() or not seen:
            kept = ledger.filter(nom=wanted)
            seen.append((len(kept), kept.total()))
    interval = sys.getswitchinterval()
    sys.setswitchinterval(1e-5)
    thread = threading.Thread(target=reader)
    thread.start()
    try:
        for batch in batches:
            ledger.extend(ledger_of(batch))
    finally:
        done.set()
        thread.join()
        sys.setswitchinterval(interval)
    assert seen and set(seen) <= states
    final = ledger.filter(nom=wanted)
    assert (len(final), final.total()) == max(states)


def test_the_core_tests_exact_text_on_a_range_of_codes_as_python_does():
    labels = ["Département du Lot", "lot", "", "Œuvres du Lot", "Lot-et-Garonne", "DEPARTEMENT"]
    ledger = ledger_of([(n or None, 1) for n in labels])
    held = ledger.dictionary("nom")   # by code
    core = ledger._core
    for needle in ["Lot", "lot", "", "é", "Œuvres du Lot", "Département du Lot!", "t"]:
        for start in range(len(held) + 1):
            for stop in range(start, len(held) + 1):
                got = core.label_mask(0, start, stop, _core.LABEL_CONTAINS, needle)
                assert list(got) == [int(needle in s) for s in held[start:stop]]
                got = core.label_mask(0, start, stop, _core.LABEL_STARTSWITH, needle)
                assert list(got) == [int(s.startswith(needle)) for s in held[start:stop]]
    assert core.dictionary_size(0) == len(held)
    with pytest.raises(ValueError):
        core.label_mask(0, 0, len(held) + 1, _core.LABEL_CONTAINS, "x")
    with pytest.raises(ValueError):
        core.label_mask(1, 0, 1, _core.LABEL_CONTAINS, "x")   # the amount column


# --- None is "missing" on every column kind (an int or date column read it as an open range and
# kept every row that HAS a value: the opposite, silently; {2017, None} dropped the None)
def test_none_means_missing_on_int_and_date_columns():
    led = essconv.Ledger.from_columns(
        {"nom": ["a", "b", None], "annee": [2017, None, 2018],
         "d": [dt.date(2017, 1, 1), None, dt.date(2018, 1, 1)], "montant": ["1", "2", "4"]},
        amount="montant")
    assert led.filter(nom=None).total() == 4
    assert led.filter(annee=None).total() == 2
    assert led.filter(d=None).total() == 2
    assert led.filter(annee={2017, None}).total() == 3
    assert led.filter(annee=[None]).total() == 2
    assert led.filter(d={dt.date(2018, 1, 1), None}).total() == 6
    assert led.filter(annee=(2017, None)).total() == 5      # inside a pair: an open end
    assert led.filter(montant=None).total() == 0            # an amount is never missing


# --- an int bound past int64, or a digit int() refuses ("²"), escaped as a bare OverflowError
# or ValueError
@pytest.mark.parametrize("cond", [(0, 2**63), 2**64, -(2**63) - 1, range(0, 2**64), "²", "٢٠١٧"])
def test_int_condition_out_of_int64_is_an_essconv_error(cond):
    led = essconv.Ledger.from_columns({"annee": [2017, 2018], "montant": ["1", "2"]}, amount="montant")
    with pytest.raises(essconv.Error):
        led.filter(annee=cond)


# --- one_of("xx") iterated the string and kept the labels "x"; one_of([2017]) kept nothing
# where filter(nom=2017) keeps "2017": one_of reads its values as a plain filter does
def test_one_of_takes_a_bare_string_as_one_label_and_ints_as_a_filter_does():
    led = essconv.Ledger.from_columns({"nom": ["x", "xx", "2017", None], "montant": ["1", "2", "4", "8"]},
                                      amount="montant")
    assert led.filter(nom=essconv.one_of("xx")).values("nom") == ["xx"]
    assert led.filter(nom=essconv.one_of([2017])).values("nom") == led.filter(nom=2017).values("nom") == ["2017"]
    assert led.filter(nom=essconv.one_of([2017], ignore_case=True)).values("nom") == ["2017"]
    assert led.filter(nom=essconv.one_of(["x", None])).total() == 9
    for bad in ([2017.0], [True], b"x", 3.5):
        with pytest.raises(essconv.ConditionError):
            essconv.one_of(bad)


# --- a condition's bad text escaped as TypeError (the core), AttributeError (.casefold),
# UnicodeEncodeError (a lone surrogate) or re.error: each is a ConditionError, said at once
@pytest.mark.parametrize("make", [
    lambda: essconv.contains(2017), lambda: essconv.contains(2017, ignore_case=True),
    lambda: essconv.startswith(None), lambda: essconv.startswith(5, ignore_accents=True),
    lambda: essconv.contains("\ud800"), lambda: essconv.startswith("a\udfff", ignore_case=True),
    lambda: essconv.one_of(["\ud800"]), lambda: essconv.regex("("), lambda: essconv.regex(5)])
def test_bad_condition_text_is_a_condition_error(make):
    led = essconv.Ledger.from_columns({"nom": ["x", "2017"], "montant": ["1", "2"]}, amount="montant")
    with pytest.raises(essconv.ConditionError):
        led.filter(nom=make())


# ------------------------------------------------------------------ dates written as files do
def date_readings(text: str, sep: str) -> set[dt.date]:
    """The twin: every day the text names, read day first and month first by strptime."""
    found = set()
    for form in (f"%d{sep}%m{sep}%Y", f"%m{sep}%d{sep}%Y", f"%Y{sep}%m{sep}%d"):
        try:
            found.add(dt.datetime.strptime(text, form).date())
        except ValueError:
            pass
    return found


def test_a_filter_date_is_read_as_the_files_write_it():
    """A filter took a date only as ISO 2017-03-25: 25/03/2017, as the grant files and a
    committee write it, raised ConditionError.  Every day of 2016 (a leap year) written
    dd/mm/yyyy, dd-mm-yyyy, dd.mm.yyyy and month first: one reading (strptime's, both orders)
    keeps the rows of that day, as the date itself does; two readings (04/03/2016) are refused
    naming the column and both days, never guessed."""
    days = [dt.date(2016, 1, 1) + dt.timedelta(days=k) for k in range(366)]
    ledger = Ledger.from_columns({"date": days * 2, "m": [f"{k},01" for k in range(732)]},
                                 amount="m")
    amounts = ledger.values("m")
    for day in days:
        twin = sum((a for d, a in zip(days * 2, amounts) if d == day), Decimal(0))
        for sep in "/-.":
            for text in (f"{day.day:02d}{sep}{day.month:02d}{sep}{day.year}",
                         f"{day.month:02d}{sep}{day.day:02d}{sep}{day.year}",
                         f"{day.day}{sep}{day.month}{sep}{day.year}",
                         f"{day.year}{sep}{day.month:02d}{sep}{day.day:02d}"):
                readings = date_readings(text, sep)
                if len(readings) == 1:
                    kept = ledger.filter(date=text)
                    assert readings == {day} and kept.total() == twin, text
                    assert kept.values("date") == [day, day]
                else:
                    with pytest.raises(essconv.ConditionError) as info:
                        ledger.filter(date=text)
                    assert "column 'date' holds dates" in str(info.value)
                    assert all(d.isoformat() in str(info.value) for d in readings), text
    # a range written so, both ends included
    kept = ledger.filter(date=("25/03/2016", "13/04/2016"))
    assert kept.total() == sum((a for d, a in zip(days * 2, amounts)
                                if dt.date(2016, 3, 25) <= d <= dt.date(2016, 4, 13)),
                               Decimal(0))


@pytest.mark.parametrize("text, said", [
    ("31/02/2017", "is no day of the calendar"), ("13/13/2017", "is no day of the calendar"),
    ("29/02/2017", "is no day of the calendar"), ("25/03/17", "has a year of two digits"),
    ("04/03/2017", "reads day first as 2017-03-04 and month first as 2017-04-03"),
    ("le 4 mars 2017", "(str) is not one"), ("25/03/2017 au 31/03/2017", "(str) is not one"),
    ("2017/02/29", "is no day of the calendar"), ("2017.03", "(str) is not one"),
])
def test_a_filter_date_no_calendar_or_both_orders_hold_is_refused(text, said):
    ledger = Ledger.from_columns({"date": [dt.date(2017, 3, 4)], "m": ["1,00"]}, amount="m")
    with pytest.raises(essconv.ConditionError) as info:
        ledger.filter(date=text)
    assert f"column 'date' holds dates: {text!r} {said}" in str(info.value)


@pytest.mark.parametrize("lang, said", [
    (None, "«\u00a004/05/2019\u00a0» se lit 2019-05-04 le jour en premier et 2019-04-05 le mois en premier"),
    ("en", "'04/05/2019' reads day first as 2019-05-04 and month first as 2019-04-05"),
])
def test_cli_where_reads_a_date_as_the_file_writes_it(capsys, lang, said):
    """--where 'dateConvention=25/03/2017' on a grant file's date column was refused: a date
    the file holds, written as it writes it (day past the 12th), filters as its ISO form does,
    its total a Decimal sum of the rows of that day; one both orders read is refused in the
    listing's language."""
    path = SCDL / "lot-2017-subventions.csv"
    ledger = essconv.read_scdl(path)
    dates = [d for d in ledger.values("dateConvention") if d is not None and d.day > 12]
    day = dates[0]
    twin = sum((a for d, a in zip(ledger.values("dateConvention"), ledger.values("montant"))
                if d == day), Decimal(0))
    words = ["--lang", lang] if lang else []
    outs = []
    for written in (f"{day:%d/%m/%Y}", day.isoformat()):
        assert main(["aggregate", str(path), "--by", "nomAttribuant", "--where",
                     f"dateConvention={written}", *words]) == 0
        outs.append(capsys.readouterr().out)
    assert outs[0] == outs[1]
    amount = essconv.format_amount(twin, group=" " if not lang else ",",
                                   decimal="," if not lang else ".",
                                   decimals=0 if twin == twin.to_integral() else 2)
    assert amount in outs[0]
    assert main(["aggregate", str(path), "--by", "nomAttribuant", "--where",
                 "dateConvention=04/05/2019", *words]) == 2
    assert said in capsys.readouterr().err


OCT_1, DEC_31 = dt.date(2017, 10, 1), dt.date(2017, 12, 31)


@pytest.mark.parametrize("pair, days", [(("2017-10-01", "2017-12-31"), (OCT_1, DEC_31)),
                                        (("01/10/2017", "31/12/2017"), (OCT_1, DEC_31)),
                                        ((OCT_1, None), (OCT_1, None)),
                                        ((None, "2017-12-31"), (None, DEC_31))])
def test_a_pair_of_days_on_dates_kept_as_text_is_refused_not_two_labels(pair, days):
    """Dates kept as text (a SQL table's: SQLite gives them back as text; a column not read as
    dates) took ("2017-10-01", "2017-12-31") as those two labels alone: a quarter summed
    0,00 with only an unknown-label warning.  The pair is refused, naming the column and how
    to read it as dates; read so, the same pair sums every day between, as a Decimal sum of
    the file's rows does; a set of the two labels still selects them alone."""
    rows = [(f"2017-{m:02d}-{d:02d}", f"{m * 100 + d},{d:02d}") for m in (9, 10, 11, 12, 1)
            for d in (1, 15, 31) if not (d == 31 and m in (9, 11))]
    text = "dateConvention;montant\n" + "".join(f"{day};{amount}\n" for day, amount in rows)
    as_text = Ledger.read_csv(text.encode(), amount="montant")
    assert as_text.kinds["dateConvention"] == "label"
    with pytest.raises(essconv.ConditionError) as caught:
        as_text.filter(dateConvention=pair)
    said = str(caught.value)
    assert "'dateConvention' holds labels, not dates" in said and "dates=['dateConvention']" in said
    as_days = Ledger.read_csv(text.encode(), amount="montant", dates=["dateConvention"])
    lo, hi = days[0] or dt.date.min, days[1] or dt.date.max
    expected = sum((Decimal(a.replace(",", ".")) for day, a in rows
                    if lo <= dt.date.fromisoformat(day) <= hi), Decimal(0))
    assert as_days.filter(dateConvention=days).total() == expected != 0
    two = as_text.filter(dateConvention={"2017-10-01", "2017-12-31"})
    assert two.total() == Decimal("1001.01") + Decimal("1231.31")


@pytest.mark.parametrize("written, french, english", [
    ("abc", "un chiffre est attendu au caractère 1", "a digit is expected at character 1"),
    ("12 0x0,00", "«\u00a0x\u00a0» au caractère 5", "'x' at character 5"),
    ("1,2,3", "une deuxième marque décimale au caractère 4", "a second decimal mark at character 4"),
    ("--5", "un chiffre est attendu au caractère 2", "a digit is expected at character 2"),
    ("99999999999999999999,00", "dépasse ce qu'un montant en centimes peut tenir (92\u202f233"
     "\u202f720\u202f368\u202f547\u202f758,07\u00a0€ au plus)",
     "does not fit an amount in cents (beyond 92,233,720,368,547,758.07\u00a0€)"),
    ("", "le montant est vide", "a blank text is not an amount"),
])
def test_cli_where_on_an_amount_says_why_the_value_is_none_in_the_listings_language(
        capsys, written, french, english):
    """--where 'montant=abc' was refused in French as « abc » ne se lit pas comme un montant,
    and nothing more (the English said why), and an amount past int64 cents was said in English
    alone, naming no column: the refusal says what is wrong with the value in the command's
    language, in the words the reader gives a bad row holding it."""
    path = SCDL / "lot-2017-subventions.csv"
    bad = Ledger.read_csv(f"montant\n\"{written}\"\n".encode(), amount="montant", dims=[],
                          bad_rows="collect").bad_rows if written else []
    for words, expected in (([], french), (["--lang", "en"], english)):
        assert main(["aggregate", str(path), "--by", "nomAttribuant", "--where",
                     f"montant={written}", *words]) == 2
        err = capsys.readouterr().err
        assert expected in err and "montant" in err, err
        assert ("ne se lit pas comme un montant" in err) == (not words)
        if bad and not words:   # the reader's own words for a row holding it
            reader = essconv.messages.language("fr").problem(bad[0])
            assert reader.split("\u00a0: ", 1)[1] in err


@pytest.mark.parametrize("column, cond", [
    ("montant", range(0, 200_000)), ("dateConvention", range(0, 200_000)),
    ("montant", list(range(200_000))), ("montant", set(range(200_000))),
])
def test_a_range_or_a_large_set_on_an_amount_or_date_column_is_refused_in_a_few_words(column, cond):
    """filter(montant=range(0, 10**9)) made the range a list, read each int as an amount, then
    refused it with the whole list in the message (88 MB for ten million): the process hung or
    ran out of memory before saying anything.  Refused as it stands, in a line."""
    ledger = essconv.read_scdl(SCDL / "lot-2017-subventions.csv")
    with pytest.raises(essconv.ConditionError) as refused:
        ledger.filter(**{column: cond})
    said = str(refused.value)
    assert repr(column) in said and len(said) < 300, len(said)
    # the pair it asks for is read, and selects what a Decimal twin of the rows does
    if column == "montant":
        lo, hi = Decimal(0), Decimal(199_999)
        twin = sum((a for a in ledger.values("montant") if lo <= a <= hi), Decimal(0))
        assert ledger.filter(montant=(lo, hi)).total() == twin


def plain_spaces(text: str) -> str:
    return text.replace("\u00a0", " ").replace("\u202f", " ")


def _lot_file_twin() -> list[tuple[Decimal, dt.date]]:
    """The Lot file's amounts and convention dates read with the csv module alone: CP1252, ';',
    French amounts ("40 000,00") -- the twin of the CLI's bounds.  The file's blank records
    (";;;;" lines) are left out, as the reader counts them apart."""
    import csv
    import io
    text = (SCDL / "lot-2017-subventions.csv").read_bytes().decode("cp1252")
    rows = list(csv.DictReader(io.StringIO(text), delimiter=";"))
    return [(Decimal(r["montant"].replace(" ", "").replace("\u00a0", "").replace(",", ".")),
             dt.date.fromisoformat(r["dateConvention"])) for r in rows
            if any(v.strip() for v in r.values() if v)]   # its ";;;;" lines are blank records


def _cli_total(capsys, *wheres: str) -> str:
    path = SCDL / "lot-2017-subventions.csv"
    args = ["aggregate", str(path), "--by", "nomAttribuant"]
    for where in wheres:
        args += ["--where", where]
    assert main(args) == 0, capsys.readouterr().err
    return next(line for line in capsys.readouterr().out.splitlines() if line.startswith("total"))


def _said_total(amounts: list[Decimal]) -> str:
    twin = sum(amounts, Decimal(0))
    shown = essconv.format_amount(twin, group=" ", decimals=0 if twin == twin.to_integral() else 2)
    records = len(amounts)
    return f"total\u00a0: {shown} € sur {records} enregistrement{'s' if records > 1 else ''}"


@pytest.mark.parametrize("op, holds", [
    (">=", lambda v, b: v >= b),
    (">", lambda v, b: v > b),
    ("<=", lambda v, b: v <= b),
    ("<", lambda v, b: v < b),
])
def test_cli_where_bounds_an_amount_and_a_date_as_the_twin_does(capsys, op, holds):
    """`--where 'montant>=23000'` (the threshold past which a grant is published) was refused:
    only = applied to an amount, an int or a date.  Each bound is checked at a value the file
    holds, so that > and >= (< and <=) keep different records, the amount written as the file
    writes it (French) and as Python would."""
    twin = _lot_file_twin()
    amounts = sorted({a for a, _ in twin})
    days = sorted({d for _, d in twin})
    middle, day = amounts[len(amounts) // 2], days[len(days) // 2]
    french = f"{middle:,.2f}".replace(",", " ").replace(".", ",")
    for bound in (str(middle), french):
        kept = [a for a, _ in twin if holds(a, middle)]
        assert 0 < len(kept) < len(twin)
        assert _cli_total(capsys, f"montant{op}{bound}") == _said_total(kept)
    kept = [a for a, d in twin if holds(d, day)]
    assert _cli_total(capsys, f"dateConvention{op}{day.isoformat()}") == _said_total(kept)


def test_cli_where_bounds_of_one_column_make_one_range(capsys):
    twin = _lot_file_twin()
    amounts = sorted({a for a, _ in twin})
    low, high = amounts[2], amounts[-3]
    kept = [a for a, _ in twin if low < a <= high]
    assert _cli_total(capsys, f"montant>{low}", f"montant<={high}") == _said_total(kept)
    # the tighter of two bounds on one side holds, whichever comes first
    kept = [a for a, _ in twin if high >= a >= amounts[-4]]
    assert _cli_total(capsys, f"montant>={amounts[-4]}", f"montant>{low}",
                      f"montant<={high}", f"montant<{amounts[-1]}") == _said_total(kept)
    days = sorted({d for _, d in twin})
    kept = [a for a, d in twin if days[1] <= d < days[-2] and a >= low]
    assert _cli_total(capsys, f"dateConvention>={days[1]}", f"dateConvention<{days[-2]}",
                      f"montant>={low}") == _said_total(kept)


@pytest.mark.parametrize("wheres, french, english", [
    (["montant>100", "montant<50"],
     "--where « montant>100 » --where « montant<50 » : aucune valeur de « montant » ne passe "
     "ces bornes : ce filtre ne garderait aucun enregistrement",
     "--where 'montant>100' --where 'montant<50': no value of 'montant' meets these bounds"),
    (["dateConvention>9999-12-31"], "aucune valeur de « dateConvention » ne passe ces bornes",
     "no value of 'dateConvention' meets these bounds"),
    (["montant>92233720368547758.07"], "aucune valeur de « montant » ne passe ces bornes",
     "no value of 'montant' meets these bounds"),
    (["nature<z"], "« nature » contient des libellés : < compare des entiers, des dates ou des "
     "montants", "'nature' holds labels: < compares ints, dates or amounts"),
    (["montant>="], "--where « montant>= » : aucune valeur après >=", "no value after >="),
    (["montant=40000", "montant<50000"], "« montant » a déjà un test montant=VALEUR",
     "'montant' already has a montant=VALUE test"),
    (["montant<50000", "montant=40000"], "seul un test montant=VALEUR, ou des bornes",
     "only one montant=VALUE, or bounds"),
    (["montant>12,5,0"], "la colonne « montant » contient des montants : « 12,5,0 » ne se lit pas",
     "column 'montant' holds amounts: '12,5,0' (str) is not one"),
])
def test_cli_where_bounds_that_keep_nothing_or_cannot_be_read_are_refused(capsys, wheres, french,
                                                                          english):
    """Bounds no value meets printed a total of 0 € for a filter written wrong; a bound on a
    label column would compare texts ("2017" < "9"), which no one means."""
    args = ["aggregate", str(SCDL / "lot-2017-subventions.csv"), "--by", "nomAttribuant"]
    for where in wheres:
        args += ["--where", where]
    assert main(args) == 2
    err = capsys.readouterr()
    assert french in plain_spaces(err.err) and err.out == "", err
    assert main(args + ["--lang", "en"]) == 2
    assert english in capsys.readouterr().err


@pytest.mark.parametrize("cond", [
    essconv.one_of([]), essconv.one_of(set()), essconv.one_of([], ignore_case=True),
    essconv.one_of(iter([])), essconv.one_of([]) & essconv.contains("A")], ids=repr)
def test_a_condition_of_an_empty_set_of_labels_says_it_selects_no_row(cond):
    """``one_of([])`` (a list computed upstream and found empty) kept no row without a word,
    where ``filter(nom=[])`` says an empty set selects no row: it says so the same way, in
    both languages."""
    from essconv.messages import language
    ledger = Ledger.from_columns({"nom": ["A", "B"], "montant": [Decimal(1), Decimal(2)]},
                                 amount="montant")
    with pytest.warns(essconv.NothingMatchedWarning,
                      match="^nom: an empty set of values selects no row$") as caught:
        kept = ledger.filter(nom=cond)
    assert (len(kept), kept.total()) == (0, 0)
    [warned] = [w.message for w in caught if isinstance(w.message, essconv.NothingMatchedWarning)]
    assert warned.reason == ("filter-empty-set", "nom")
    assert language("fr").warning(warned).replace("\u00a0", " ") == \
        "nom : un ensemble vide de valeurs ne retient aucun enregistrement"


@pytest.mark.parametrize("cond", [
    ~essconv.one_of([]), essconv.one_of([]) | essconv.contains("A"), essconv.one_of([None]),
    essconv.contains(""), essconv.startswith(""), essconv.regex("")], ids=repr)
def test_a_condition_that_an_empty_set_leaves_selecting_rows_says_nothing(cond, recwarn):
    """Not every condition built from an empty input selects nothing: its negation, an 'or'
    with another, the missing label, and an empty text (every label contains it, starts with
    it, and the empty pattern matches it) keep rows, and say nothing."""
    ledger = Ledger.from_columns({"nom": ["A", None], "montant": [Decimal(1), Decimal(2)]},
                                 amount="montant")
    assert len(ledger.filter(nom=cond)) > 0
    assert not [w for w in recwarn if issubclass(w.category, essconv.NothingMatchedWarning)]


def test_a_year_given_as_an_int_on_a_column_of_text_is_said_when_no_row_holds_it():
    """A year read as text (no ``ints=``): ``annee=2017`` matches the label "2017", but a year
    no row holds summed 0 without a word where ``annee="2019"`` was said; a range of years of
    which no row holds any, the same.  Each int written out is said as its label would be; a
    range only when it selects no row by itself (a year missing inside a span is no typo)."""
    import warnings as _w
    ledger = essconv.Ledger.from_columns({"f": ["CDC", "CR", "CDC"],
                                          "annee": ["2017", "2018", "2018"],
                                          "montant": ["1,50", "2", "3"]}, amount="montant")

    def said(**condition):
        with _w.catch_warnings(record=True) as seen:
            _w.simplefilter("always")
            kept = ledger.filter(**condition)
        return len(kept), [str(w.message) for w in seen
                           if issubclass(w.category, essconv.UnknownLabelWarning)]

    assert said(annee=2017) == (1, [])   # its text form is a label: matched, as documented
    assert said(annee=range(2016, 2019)) == (3, [])   # 2016 missing inside the span: no typo
    assert said(annee=2019) == said(annee="2019") == \
        (0, ["annee: no label '2019' (close: '2018', '2017'); it selects no row"])
    assert said(annee={2017, 2030}) == said(annee={"2017", "2030"})
    assert said(annee={2017, 2030})[1] == ["annee: no label '2030'; it selects no row"]
    count, words = said(annee=range(2019, 2021))
    assert count == 0 and words == ["annee: no label from '2019' to '2020'; it selects no row"]
