"""Int keys as group-by and pivot keys come in ascending numeric order, missing last.

An ``ints=["annee"]`` column (a year typed as an integer, an exercise number) keyed the groups
in the order the rows first showed each number: a file not sorted by year put 2017 above 2015
while the years derived from a date came sorted, and pandas' group-by sorts them too.  Labels
keep their order (first sight).  The oracle is Python's ``sorted`` on the ints the test wrote
itself and a ``Decimal`` sum of its own amounts; a missing number comes after every number in a
group-by, "(missing)" first in a pivot, as for days."""
from __future__ import annotations

import csv
import datetime as dt
import io
import pickle
import random
from decimal import Decimal

import pytest

import essconv
import essconv.display
from essconv.ledger import Aggregate

KERNELS = {"as chosen": 0, "partitioned, direct tables": 1, "partitioned, hashed tables": 2}
FUNDERS = ["Région", "CDC", "Département", "Etat"]
#: the int64 extremes an int column holds (-2**63 is the core's missing value, refused on input)
EXTREMES = [-(2**63) + 1, 2**63 - 1]


def records(seed: int, n: int = 400):
    """Rows in no order of number: years, negative exercise numbers and int64's extremes, some
    missing; a funder and a day on each; signed amounts."""
    rng = random.Random(seed)
    numbers = [rng.randrange(-40, 2030) for _ in range(25)] + EXTREMES
    days = [dt.date(2009, 1, 1) + dt.timedelta(days=rng.randrange(1826)) for _ in range(30)]
    out = []
    for k in range(n):
        number = None if k % 19 == 4 else rng.choice(numbers)
        day = None if k % 29 == 11 else rng.choice(days)
        out.append((number, rng.choice(FUNDERS), day,
                    Decimal(rng.randrange(-50_000, 9_000_000)) / 100))
    return out


def text(rows) -> bytes:
    lines = "".join(f"{'' if n is None else n};{f};{'' if d is None else d.strftime('%d/%m/%Y')};"
                    f"{str(a).replace('.', ',')}\n" for n, f, d, a in rows)
    return ("annee;financeur;dateConvention;montant\n" + lines).encode()


def read(rows) -> essconv.Ledger:
    return essconv.Ledger.read_csv(text(rows), amount="montant", ints=["annee"],
                                   dates=["dateConvention"])


def in_order(values) -> list:
    """The slow twin's order: ``sorted`` on the numbers (or days), missing last."""
    present = {v for v in values if v is not None}
    return sorted(present) + ([None] if None in values else [])


def first_sight(values) -> list:
    seen = list(dict.fromkeys(v for v in values if v is not None))
    return seen + ([None] if None in values else [])


def twin(rows, positions: list[int]) -> dict:
    """Sums row by row in a dict, its keys ordered as the group-by documents: the last key the
    most significant, a label by first sight, an int or a day sorted, missing last."""
    acc: dict = {}
    for row in rows:
        key = tuple(row[p] for p in positions)
        acc[key] = acc.get(key, Decimal(0)) + row[3]
    ranks = []
    for p in positions:
        values = [row[p] for row in rows]
        order = first_sight(values) if p == 1 else in_order(values)
        ranks.append({v: i for i, v in enumerate(order)})
    keys = sorted(acc, key=lambda k: [ranks[j][k[j]] for j in reversed(range(len(positions)))])
    if len(positions) == 1:
        return {k[0]: acc[k] for k in keys}
    return {k: acc[k] for k in keys}


NAMES = {0: "annee", 1: "financeur", 2: "dateConvention"}


def unordered(rows) -> bool:
    numbers = [n for n, _, _, _ in rows if n is not None]
    return numbers != sorted(numbers)


@pytest.mark.parametrize("threads", [1, 2])
@pytest.mark.parametrize("kernel", KERNELS.values(), ids=KERNELS.keys())
def test_an_int_key_comes_in_ascending_order_in_every_kernel(kernel, threads):
    rows = records(kernel * 10 + threads)
    assert unordered(rows)
    ledger = read(rows)
    for positions in ([0], [0, 1], [1, 0], [0, 2], [2, 0], [1, 0, 2], [2, 1, 0]):
        dims = [NAMES[p] for p in positions]
        core, dense, _ = ledger._core.group_by([ledger._col(d) for d in dims], minmax=True,
                                               threads=threads, _partitioned=kernel)
        got = Aggregate(core, dims, dense=dense, threads=threads).to_dict()
        expected = twin(rows, positions)
        assert list(got) == list(expected), dims
        assert got == expected


def test_ints_already_in_order_and_negative_ints_alone():
    """A column whose numbers first come in order (nothing to renumber) and one of negative
    numbers only, both against the twin."""
    rows = sorted(records(7, n=120), key=lambda r: (r[0] is None, r[0] or 0))
    assert list(read(rows).group_by("annee").sum().to_dict()) == in_order([r[0] for r in rows])
    negative = [(-n if n is not None else None, f, d, a) for n, f, d, a in records(8, n=120)
                if n is None or 0 < n < 2**62]
    got = read(negative).group_by("annee").sum().to_dict()
    assert list(got) == in_order([r[0] for r in negative])
    assert got == twin(negative, [0])


def test_a_year_typed_as_an_int_comes_in_the_order_of_the_year_of_a_date():
    ledger = essconv.Ledger.from_columns({"annee": [2012, 2009, 2012, 2010],
                                          "montant": [Decimal(1), Decimal(2), Decimal(3),
                                                      Decimal(4)]}, amount="montant")
    assert ledger.group_by("annee").sum().to_dict() == {2009: Decimal(2), 2010: Decimal(4),
                                                         2012: Decimal(4)}
    assert list(ledger.group_by("annee").sum().to_dict()) == [2009, 2010, 2012]


@pytest.mark.parametrize("lang", ["fr", "en"])
def test_a_pivot_by_an_int_reads_in_ascending_order_as_lines_columns_and_row_groups(lang):
    rows = records(17, n=200)
    ledger = read(rows)
    numbers = in_order([r[0] for r in rows])
    in_pivot = [None] + numbers[:-1] if numbers[-1] is None else numbers   # "(missing)" first
    said = ["(missing)" if n is None else str(n) for n in in_pivot]
    as_rows = ledger.pivot("annee", "financeur")
    assert as_rows.lines == said
    as_columns = ledger.pivot("financeur", "annee")
    assert as_columns.funders == said
    from essconv.export import plan_delimited
    exported = list(csv.reader(io.StringIO(plan_delimited(as_columns, ";", lang=lang)),
                               delimiter=";"))
    # a negative int heading is a plain number, written as it is ("-3", never "'-3")
    assert exported[0][1:-1] == [
        ("(vide)" if lang == "fr" else "(blank)") if n is None else str(n) for n in in_pivot]
    grouped = ledger.pivot(("annee", "financeur"), "financeur")
    assert grouped.axes == said
    for n in numbers:
        want = sum((a for k, _, _, a in rows if k == n), Decimal(0))
        assert as_rows.line_sum_at(said.index("(missing)" if n is None else str(n))) == want


def test_sort_and_top_break_ties_in_ascending_int_order():
    """sort is stable: equal sums keep the groups' order, now the numbers' ascending order."""
    ledger = essconv.Ledger.from_columns(
        {"annee": [2017, 2015, -3, 2016, 2**63 - 1, None, 2014],
         "montant": [Decimal(5), Decimal(5), Decimal(5), Decimal(9), Decimal(5), Decimal(5),
                     Decimal(1)]}, amount="montant")
    ranked = ledger.group_by("annee").sum().sort()
    # the obvious twin: Python's sort is stable too, over the groups in sorted() order
    groups = {2017: 5, 2015: 5, -3: 5, 2016: 9, 2**63 - 1: 5, None: 5, 2014: 1}
    order = sorted(groups, key=lambda n: (n is None, n or 0))
    assert list(ranked.to_dict()) == sorted(order, key=lambda n: -groups[n])
    assert list(ledger.group_by("annee").sum().top(3).to_dict()) == \
        sorted(order, key=lambda n: -groups[n])[:3]


def _halves(seed: int):
    rows = records(seed, n=200)
    high = [r for r in rows if r[0] is None or r[0] >= 1000]   # a later file first
    low = [r for r in rows if r[0] is not None and r[0] < 1000]
    return rows, high, low


@pytest.mark.parametrize("positions", [[0], [0, 1], [1, 0], [2, 0, 1]])
def test_combined_aggregates_by_an_int_list_their_groups_as_one_group_by(positions):
    rows, high, low = _halves(23)
    dims = [NAMES[p] for p in positions]
    combined = read(high).group_by(*dims).sum() + read(low).group_by(*dims).sum()
    one = read(high + low).group_by(*dims).sum()
    expected = twin(high + low, positions)
    assert list(combined.to_dict()) == list(expected)
    assert combined.to_dict() == expected
    assert list(one.to_dict()) == list(expected)
    again = combined + read(low).group_by(*dims).sum()   # a third after keeps the order
    assert list(again.to_dict()) == list(expected)


def test_partials_that_travelled_between_workers_combine_in_ascending_order():
    """A Dask partial crosses processes as its integer cells (the int key's kind with it)."""
    from essconv.dask import _Partial
    rows, high, low = _halves(29)
    travelled = [pickle.loads(pickle.dumps(_Partial(read(part).group_by("annee", "financeur")
                                                    .sum()))).aggregate for part in (high, low)]
    combined = travelled[0] + travelled[1]
    assert list(combined.to_dict()) == list(twin(high + low, [0, 1]))


def test_a_dask_group_by_over_two_files_whose_ints_interleave(tmp_path):
    pytest.importorskip("dask")
    import dask
    import essconv.dask as edask
    rows = records(31, n=240)
    evens = [r for r in rows if r[0] is None or r[0] % 2 == 0]
    odds = [r for r in rows if r[0] is not None and r[0] % 2]
    (tmp_path / "a.csv").write_bytes(text(list(reversed(evens))))
    (tmp_path / "b.csv").write_bytes(text(odds))
    with dask.config.set(scheduler="synchronous"):
        grants = edask.read_csv(str(tmp_path / "*.csv"), amount="montant", ints=["annee"],
                                dates=["dateConvention"])
        by_year = grants.group_by("annee").sum()
        by_funder_year = grants.group_by("financeur", "annee").sum()
    assert list(by_year.to_dict()) == in_order([r[0] for r in rows])
    assert by_year.to_dict() == twin(evens + odds, [0])
    assert list(by_funder_year.to_dict()) == list(twin(list(reversed(evens)) + odds, [1, 0]))


@pytest.mark.parametrize("lang, delimiter", [("fr", ";"), ("en", ",")])
def test_exports_keep_the_ascending_order(tmp_path, lang, delimiter):
    rows = records(37, n=150)
    agg = read(rows).group_by("annee").sum()
    numbers = in_order([r[0] for r in rows])
    blank = "(vide)" if lang == "fr" else "(blank)"
    said = [blank if n is None else str(n) for n in numbers]
    exported = list(csv.reader(io.StringIO(agg.to_csv(lang=lang)), delimiter=delimiter))
    assert [r[0] for r in exported[1:]] == said
    html = essconv.display.aggregate_html(agg, rows=len(numbers), lang=lang)
    places = [html.find(f">{s}<") for s in said]
    assert -1 not in places and places == sorted(places)
    pa = pytest.importorskip("pyarrow")
    assert pa.table(agg).column("annee").to_pylist() == numbers
    openpyxl = pytest.importorskip("openpyxl")
    agg.to_xlsx(tmp_path / "annees.xlsx", lang=lang)
    sheet = openpyxl.load_workbook(tmp_path / "annees.xlsx").active
    first = [row[0] for row in sheet.iter_rows(min_row=2, values_only=True)]
    assert [blank if v in (blank, None) else int(v) for v in first] == \
        [blank if n is None else n for n in numbers]
