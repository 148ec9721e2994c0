"""A ledger's labels are those its rows hold.  The reader interns a row's labels before it finds
the row's amount unreadable and sets the row aside, and a filter's copy keeps its source's
dictionary: the dictionary keeps those labels (codes stay places), but ``labels()``, the
group-bys, the pivots and ``to_pandas()`` showed them as labels and empty groups no record
has.  Checked against the rows written, read back with ``csv`` and ``Decimal``."""
from __future__ import annotations

import csv
import io
import random
from decimal import Decimal, InvalidOperation

import pytest

from essconv import Ledger

FUNDERS = ["CDC", "Région", "FSE", "Département du Lot", "État", "Commune de Cahors"]
BAD_AMOUNTS = ["3x00", "12,5,5", "1.2.3", "abc", "1 2 3,4,5"]


def french_amount(text: str) -> Decimal | None:
    """The twin's reading: digits grouped by spaces, one decimal comma; None otherwise."""
    try:
        whole, _, frac = text.replace(" ", "").partition(",")
        if not whole.lstrip("-").isdigit() or (frac and not frac.isdigit()):
            return None
        return Decimal(f"{whole}.{frac or 0}")
    except InvalidOperation:
        return None


def generated(seed: int) -> bytes:
    rng = random.Random(seed)
    lines = ["annee;financeur;montant"]
    for _ in range(rng.randrange(5, 60)):
        funder = rng.choice(FUNDERS)
        if rng.random() < 0.3:
            amount = rng.choice(BAD_AMOUNTS)
        else:
            amount = f"{rng.randrange(-10**6, 10**8) / 100:.2f}".replace(".", ",")
        lines.append(f"{rng.choice([2017, 2018])};{funder};{amount}")
    # a funder only a bad row holds, always: the phantom the defect showed
    lines.append("2019;Fonds fantôme;12,5,5")
    return ("\n".join(lines) + "\n").encode()


def read_rows(data: bytes) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(data.decode()), delimiter=";"))


def twin(data: bytes) -> list[tuple[int, str, Decimal]]:
    rows = read_rows(data)
    kept = []
    for r in rows:
        amount = french_amount(r["montant"])
        if amount is not None:
            kept.append((int(r["annee"]), r["financeur"], amount))
    return kept


def in_code_order(data: bytes, labels) -> list[str]:
    """``labels`` in the order the reader first saw them, rows set aside included: the order
    of their codes, which the group-bys keep too."""
    wanted = set(labels)
    return [l for l in dict.fromkeys(r["financeur"] for r in read_rows(data)) if l in wanted]


@pytest.mark.parametrize("seed", range(12))
def test_labels_group_bys_and_pivots_show_only_labels_kept_rows_hold(seed):
    data = generated(seed)
    kept = twin(data)
    ledger = Ledger.read_csv(io.BytesIO(data), amount="montant", ints=["annee"],
                             bad_rows="collect")
    assert len(ledger) == len(kept)
    assert len(ledger.bad_rows) == data.count(b"\n") - 1 - len(kept)
    held = in_code_order(data, (f for _, f, _ in kept))
    assert ledger.labels("financeur") == held
    # the dictionary still has every label read, the phantom ones after them in code order
    assert "Fonds fantôme" in ledger.dictionary("financeur")
    assert [l for l in ledger.dictionary("financeur") if l in held] == held

    sums: dict[str, Decimal] = {}
    for _, f, a in kept:
        sums[f] = sums.get(f, Decimal(0)) + a
    assert ledger.group_by("financeur").sum().to_dict() == sums
    plan = ledger.pivot("annee", "financeur")
    assert sorted(plan.funders) == sorted(held)
    plan = ledger.pivot("financeur", "annee")
    assert sorted(plan.lines) == sorted(held)

    pd = pytest.importorskip("pandas")
    frame = ledger.to_pandas()
    groups = frame.groupby("financeur", observed=False)["montant"].sum()
    assert sorted(groups.index) == sorted(held)
    assert {k: Decimal(v) for k, v in groups.items()} == sums
    assert isinstance(frame["financeur"].dtype, pd.CategoricalDtype)


@pytest.mark.parametrize("seed", range(6))
def test_a_filter_lists_the_labels_of_the_rows_it_kept(seed):
    data = generated(seed)
    kept = twin(data)
    ledger = Ledger.read_csv(io.BytesIO(data), amount="montant", ints=["annee"],
                             bad_rows="collect")
    filtered = ledger.filter(annee=2018)
    in_2018 = in_code_order(data, (f for y, f, _ in kept if y == 2018))
    assert filtered.labels("financeur") == in_2018
    # the codes still index the source's dictionary: every label stays in it
    assert filtered.dictionary("financeur") == ledger.dictionary("financeur")
    assert set(filtered.group_by("financeur").sum().to_dict()) == set(in_2018)


def test_a_hint_for_a_mistyped_label_names_only_labels_rows_hold():
    data = ("annee;financeur;montant\n2017;Département du Lot;12,50\n"
            "2017;Departement du Lot;1,2,3\n2018;CDC;4\n").encode()
    ledger = Ledger.read_csv(io.BytesIO(data), amount="montant", ints=["annee"],
                             bad_rows="collect")
    held = in_code_order(data, (f for _, f, _ in twin(data)))
    hints = ledger.close_labels("financeur", "departement du lot")
    assert hints == ["Département du Lot"] and set(hints) <= set(held)
    # the row set aside held a closer spelling: it is in the dictionary, never in a hint
    assert "Departement du Lot" in ledger.dictionary("financeur")


@pytest.mark.parametrize("seed", range(6))
def test_has_label_and_a_filter_answer_for_the_labels_the_rows_hold(seed):
    """``has_label`` answered True for "Fonds fantôme", which only a row set aside held (and for
    a label only rows a filter left out held): a filter on it kept nothing and its total of 0
    said nothing, where a label never read was warned of.  Both are one case now: the label is
    held by a row, as ``labels()`` lists, or the filter says it selects no row."""
    import essconv
    data = generated(seed)
    kept = twin(data)
    ledger = Ledger.read_csv(io.BytesIO(data), amount="montant", ints=["annee"],
                             bad_rows="collect")
    for label in ledger.dictionary("financeur"):
        assert ledger.has_label("financeur", label) == (label in ledger.labels("financeur"))
    assert not ledger.has_label("financeur", "Fonds fantôme")
    with pytest.warns(essconv.UnknownLabelWarning,
                      match="no row holds the label 'Fonds fantôme'"):
        assert ledger.filter(financeur="Fonds fantôme").total() == 0
    # a label only the rows a filter left out hold, in the filter's result
    in_2018 = {f for y, f, _ in kept if y == 2018}
    filtered = ledger.filter(annee=2018)
    for label in sorted({f for _, f, _ in kept} - in_2018):
        assert ledger.has_label("financeur", label) and not filtered.has_label("financeur", label)
        with pytest.warns(essconv.UnknownLabelWarning, match=f"no row holds the label {label!r}"):
            assert len(filtered.filter(financeur=label)) == 0
    for label in in_2018:
        assert filtered.has_label("financeur", label)
        assert filtered.filter(financeur=label).total() == \
            sum((a for y, f, a in kept if y == 2018 and f == label), Decimal(0))


def test_labels_kept_between_calls_stay_right_after_extend_filter_and_relabel():
    """``labels()`` scanned every row on each call (10 ms on 10 million rows, in a notebook
    loop); it is kept per ledger now.  Kept answers must follow what changes the rows: an
    ``extend`` of the same ledger, a filter's and a relabel's new ledgers."""
    data = ("annee;financeur;montant\n2017;CDC;1\n2017;Fonds fantôme;1,2,3\n"
            "2018;CR;2\n").encode()
    ledger = Ledger.read_csv(io.BytesIO(data), amount="montant", ints=["annee"],
                             bad_rows="collect")
    calls = []
    core = ledger._core

    class Counting:   # the core's scan, counted
        def __getattr__(self, name):
            return getattr(core, name)

        def held_labels(self, column):
            calls.append(column)
            return core.held_labels(column)

    ledger._core = Counting()
    assert ledger.labels("financeur") == ["CDC", "CR"]
    assert ledger.labels("financeur") == ["CDC", "CR"] and not ledger.has_label("financeur", "Fonds fantôme")
    assert len(calls) == 1   # one scan for three answers
    ledger.labels("financeur").append("changed")   # a copy: the kept answer is not the caller's
    assert ledger.labels("financeur") == ["CDC", "CR"]
    ledger._core = core
    assert ledger.filter(annee=2017).labels("financeur") == ["CDC"]
    assert ledger.relabel("financeur", {"CR": "Région"}).labels("financeur") == ["CDC", "Région"]
    more = Ledger.read_csv(io.BytesIO(b"annee;financeur;montant\n2019;Fonds fant\xc3\xb4me;3\n"),
                           amount="montant", ints=["annee"])
    ledger.extend(more)   # the same ledger, a row more: the kept answer is stale
    assert ledger.labels("financeur") == ["CDC", "Fonds fantôme", "CR"]
    assert ledger.has_label("financeur", "Fonds fantôme")
    assert ledger.labels("financeur") == ["CDC", "Fonds fantôme", "CR"]
