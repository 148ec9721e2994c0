"""Group-by and pivot on many key combinations: the partitioned kernel against a slow
obvious twin (a dict of Python ints summed row by row, Decimal at the end), in every kernel and
thread count, the groups' documented order, and no blow-up when the partitions are skewed."""
from __future__ import annotations

import random
from array import array
from collections import defaultdict
from decimal import ROUND_HALF_EVEN, Decimal

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import essconv
from essconv.ledger import Aggregate
from test_hostile import best_time

KERNELS = {"as chosen": 0, "partitioned, direct tables": 1, "partitioned, hashed tables": 2}


def group(ledger, dims, *, threads, kernel):
    """A group-by with every measure, the kernel forced through the binding's hidden knob."""
    core, dense, used = ledger._core.group_by([ledger._col(d) for d in dims], minmax=True,
                                              threads=threads, _partitioned=kernel)
    if kernel:
        assert not dense and used == threads   # the knob took effect, threads honoured
    return Aggregate(core, dims, dense=dense, threads=used)


def first_sight(values):
    """Codes as the core gives them: in order of first appearance, missing (None) apart."""
    rank = {}
    for v in values:
        if v is not None and v not in rank:
            rank[v] = len(rank)
    return rank


def ascending(values):
    """Codes as the core gives an int key's: its numbers as Python's ``sorted`` orders them."""
    return {v: i for i, v in enumerate(sorted({v for v in values if v is not None}))}


def key_order(values):
    """A label key's codes by first sight, an int key's ascending (as pandas' group-by sorts)."""
    numbers = all(isinstance(v, int) for v in values if v is not None)
    return ascending(values) if numbers else first_sight(values)


def twin(columns, dims, cents):
    """The slow obvious twin: {key: [sum, count, min, max]} in exact ints, keys in the order the
    group-by documents (the last key most significant, a label by first sight, an int in
    ascending order, missing last)."""
    acc = {}
    for key, c in zip(zip(*(columns[d] for d in dims)), cents):
        s = acc.get(key)
        if s is None:
            acc[key] = [c, 1, c, c]
        else:
            s[0] += c
            s[1] += 1
            if c < s[2]:
                s[2] = c
            if c > s[3]:
                s[3] = c
    ranks = [key_order(columns[d]) for d in dims]
    for rank in ranks:
        rank[None] = len(rank)   # missing after every value
    last_first = list(reversed(range(len(dims))))
    return {k: acc[k] for k in sorted(acc, key=lambda k: [ranks[j][k[j]] for j in last_first])}


def expected_mean(total, count):
    return (Decimal(total) / count / 100).quantize(Decimal("0.01"), rounding=ROUND_HALF_EVEN)


def ledger_of(columns, cents):
    return essconv.Ledger.from_columns({**columns, "montant": array("q", cents)}, amount="montant",
                                       cents=True)


def high_cardinality(n, names, funders, seed):
    """Beneficiaries by funder and year: many names, missing values in every key, negative
    amounts, the same (name, funder, year) many times (ties in min and max included)."""
    rng = random.Random(seed)
    name_pool = [f"bénéficiaire {k}" for k in range(names)]
    funder_pool = [f"F{k}" for k in range(funders)]
    columns = {
        "nom": [None if rng.random() < 0.02 else rng.choice(name_pool) for _ in range(n)],
        "financeur": [None if rng.random() < 0.03 else rng.choice(funder_pool) for _ in range(n)],
        "annee": [None if rng.random() < 0.05 else rng.randrange(2009, 2014) for _ in range(n)],
    }
    cents = [rng.choice([-1, 1]) * rng.choice([0, 100, 2550, rng.randrange(10**11)])
             for _ in range(n)]
    return columns, cents


def check_against_twin(agg, expected):
    got = agg.cents_by_key()
    assert list(got) == list(expected)            # the same groups, in the documented order
    assert got == {k: tuple(v) for k, v in expected.items()}
    means = agg.to_dict("mean")
    for k, (total, count, _, _) in expected.items():
        assert means[k] == expected_mean(total, count)


@pytest.mark.parametrize("threads", [1, 2])
@pytest.mark.parametrize("kernel", KERNELS.values(), ids=KERNELS.keys())
def test_high_cardinality_group_by_equals_the_twin(kernel, threads):
    columns, cents = high_cardinality(15_000, 4_000, 20, seed=kernel * 10 + threads)
    ledger = ledger_of(columns, cents)
    for dims in (["nom", "financeur"], ["financeur", "nom", "annee"], ["annee", "nom"], ["nom"]):
        agg = group(ledger, dims, threads=threads, kernel=kernel)
        keyed = {d: columns[d] for d in dims}
        expected = twin(keyed, dims, cents)
        if len(dims) == 1:   # one dim: scalar keys
            expected = {k[0]: v for k, v in expected.items()}
        check_against_twin(agg, expected)
        assert agg.to_ledger().total() == sum(Decimal(c) for c in cents) / 100


def test_every_kernel_and_thread_count_gives_the_same_aggregate():
    columns, cents = high_cardinality(20_000, 5_000, 12, seed=3)
    ledger = ledger_of(columns, cents)
    results = [group(ledger, ["nom", "financeur", "annee"], threads=t, kernel=k).cents_by_key()
               for k in KERNELS.values() for t in (1, 2)]
    assert all(list(r.items()) == list(results[0].items()) for r in results[1:])


@pytest.fixture(scope="module")
def above_the_dense_table():
    """60 000 rows: 16 000 names by 20 funders (compact keys, 19 bits: direct partition tables,
    at most 16 slots a row) and a million rare labels by funder (sparse keys: hashed partition
    tables); both past the dense table (more than 2 x rows + 65 536 combinations)."""
    rng = random.Random(11)
    n = 60_000
    columns = {"nom": [f"B{k}" for k in rng.choices(range(16_000), k=n)],
               "financeur": [f"F{k}" for k in rng.choices(range(20), k=n)],
               "rare": [f"R{k}" for k in rng.choices(range(1_000_000), k=n)]}
    cents = [rng.randrange(-10**9, 10**9) for _ in range(n)]
    return columns, cents, ledger_of(columns, cents)


@pytest.mark.parametrize("dims", [["nom", "financeur"], ["rare", "financeur"]])
def test_the_partitioned_kernel_chosen_on_its_own_agrees_with_the_twin(above_the_dense_table,
                                                                         dims):
    columns, cents, ledger = above_the_dense_table
    expected = [(k, tuple(v)) for k, v in twin({d: columns[d] for d in dims}, dims, cents).items()]
    agg = ledger.group_by(*dims).agg()
    assert not agg.dense
    assert list(agg.cents_by_key().items()) == expected


@pytest.mark.parametrize("threads", [1, 2])
@pytest.mark.parametrize("kernel", [1, 2])
def test_overflow_in_a_partition_is_an_error_never_a_wrap(kernel, threads):
    big = 2**62
    ledger = essconv.Ledger.from_columns(
        {"f": ["a", "b"] * 3000 + ["a", "a"], "montant": array("q", [1] * 6000 + [big, big])},
        amount="montant", cents=True)
    with pytest.raises(OverflowError):
        group(ledger, ["f"], threads=threads, kernel=kernel)
    # the same rows without the overflow: exact
    fine = essconv.Ledger.from_columns(
        {"f": ["a", "b"] * 3000 + ["a", "a"], "montant": array("q", [1] * 6000 + [big, -big])},
        amount="montant", cents=True)
    assert group(fine, ["f"], threads=threads, kernel=kernel).to_dict() == {
        "a": Decimal("30.00"), "b": Decimal("30.00")}


def test_keys_past_63_bits_still_group_in_order():
    """Fifteen keys of 17 values each: 75 bits of packed slots, but fewer than 2^64
    combinations: the composite stays a mixed radix, decoded by division."""
    rng = random.Random(5)
    n = 3000
    dims = [f"k{i}" for i in range(15)]
    columns = {d: [None if rng.random() < 0.1 else f"v{rng.randrange(16)}" for _ in range(n)]
               for d in dims}
    cents = [rng.randrange(-1000, 1000) for _ in range(n)]
    ledger = ledger_of(columns, cents)
    for kernel in (0, 2):
        agg = group(ledger, dims, threads=2, kernel=kernel)
        expected = twin(columns, dims, cents)
        assert list(agg.cents_by_key().items()) == [(k, tuple(v)) for k, v in expected.items()]


@pytest.mark.parametrize("groups", [False, True])
def test_high_cardinality_pivot_equals_the_twin(groups):
    """Through the same kernels: lines in dictionary order under their group, "(missing)"
    first; every cell a Decimal sum; funders in dictionary order, "(missing)" first."""
    rng = random.Random(9)
    n = 40_000
    rows = [None if rng.random() < 0.01 else f"bénéficiaire {rng.randrange(12_000)}"
            for _ in range(n)]
    funders = [None if rng.random() < 0.01 else f"F{rng.randrange(30)}" for _ in range(n)]
    axes = [None if rng.random() < 0.05 else f"axe {rng.randrange(4)}" for _ in range(n)]
    cents = [rng.randrange(-10**8, 10**8) for _ in range(n)]
    columns = {"ligne": rows, "financeur": funders, "axe": axes}
    plan = ledger_of(columns, cents).pivot(("axe", "ligne") if groups else "ligne", "financeur")
    cells = defaultdict(int)
    for a, r, f, c in zip(axes, rows, funders, cents):
        cells[(a if groups else None, r, f)] += c

    def by_sight(values):
        rank = first_sight(values)
        return sorted({v for v in values}, key=lambda v: -1 if v is None else rank[v])

    label = lambda v: "(missing)" if v is None else v   # noqa: E731
    assert plan.funders == [label(f) for f in by_sight(funders)]
    axis_rank, row_rank = first_sight(axes), first_sight(rows)
    line_keys = sorted({(a, r) for a, r, _ in cells},
                       key=lambda k: (-1 if k[0] is None else axis_rank[k[0]],
                                      -1 if k[1] is None else row_rank[k[1]]))
    if groups:
        assert plan.axes == [label(a) for a in by_sight(axes)]
        assert [(plan.axis_of(i), line) for i, line in enumerate(plan.lines)] == [
            (label(a), label(r)) for a, r in line_keys]
    else:
        assert plan.lines == [label(r) for _, r in line_keys]
    line_of = {k: i for i, k in enumerate(line_keys)}
    for (a, r, f), want in cells.items():
        assert plan.cell(line_of[(a, r)], label(f)) == Decimal(want) / 100
    filled = sum(plan.cell(i, label(f)) is not None for i in range(0, len(line_keys), 97)
                 for f in set(funders))
    assert filled == sum(1 for (a, r, _) in cells if line_of[(a, r)] % 97 == 0)
    assert plan.total() == Decimal(sum(cents)) / 100


@pytest.mark.parametrize("threads", [1, 2])
def test_skewed_partitions_stay_linear(threads):
    """A million-row worst case scaled down: every row in one partition (the most significant
    key's first value holds them all, the names distinct) against the same rows spread evenly;
    and four times the rows against the rows (a sort once made the merge n log n)."""
    n = 150_000
    names = [f"N{i}" for i in range(n)]
    amounts = array("q", range(n))
    spread = essconv.Ledger.from_columns(
        {"nom": names, "financeur": [f"F{i % 1000}" for i in range(n)], "m": amounts},
        amount="m", cents=True)
    skewed = essconv.Ledger.from_columns(
        {"nom": names, "financeur": ["F0"] * (n - 999) + [f"F{i}" for i in range(1, 1000)],
         "m": amounts}, amount="m", cents=True)
    four = essconv.Ledger.from_columns(
        {"nom": names * 4, "financeur": [f"F{i % 1000}" for i in range(4 * n)],
         "m": array("q", range(4 * n))}, amount="m", cents=True)
    run = lambda ledger: group(ledger, ["nom", "financeur"], threads=threads, kernel=0)  # noqa
    baseline = best_time(lambda: run(spread))
    assert best_time(lambda: run(skewed)) < 10 * baseline + 0.05
    assert best_time(lambda: run(four)) < 4 * 4 * baseline + 0.05
    agg = run(skewed).cents_by_key()
    assert len(agg) == n and agg[("N0", "F0")] == (0, 1, 0, 0)
    assert agg[(f"N{n - 1}", "F999")] == (n - 1, 1, n - 1, n - 1)
    assert list(agg)[:2] == [("N0", "F0"), ("N1", "F0")]   # the key order: funder, then name


# ------------------------------------------------------------------ sums near the int64 edge
INT64_MAX = 2**63 - 1

# Amounts in cents within a few units of the edge, so that partial sums pass int64 cents in
# some orders and not in others: the answer (the exact sum, or MoneyOverflowError when the
# exact sum does not fit) must not depend on the order or the threads.  Before, a partial sum
# past the edge raised even when later rows brought the sum back: [1, MAX, -1] raised where
# [1, -1, MAX] gave MAX, and a 2e6-row pivot raised on one thread and not on two.
EDGE = [INT64_MAX, -INT64_MAX - 1 + 1, INT64_MAX // 2 + 1, -(INT64_MAX // 2) - 1, 1, -1, 2, -3, 0]


def fits(cents):
    return -2**63 <= cents <= INT64_MAX


@given(st.lists(st.tuples(st.sampled_from("abc"), st.sampled_from(EDGE)), min_size=1,
                max_size=40), st.randoms(use_true_random=False))
@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
def test_sums_near_the_edge_are_exact_or_an_overflow_whatever_the_order(rows, rnd):
    for order in range(2):
        if order:
            rows = rows[:]
            rnd.shuffle(rows)
        keys = [k for k, _ in rows]
        cents = [c for _, c in rows]
        ledger = essconv.Ledger.from_columns({"f": keys, "m": array("q", cents)}, amount="m",
                                             cents=True)
        exact = sum(cents)
        if fits(exact):
            assert ledger.total() * 100 == exact
            assert ledger.filter(f=set("abc")).total() * 100 == exact   # the filter's own sum
        else:
            with pytest.raises(essconv.MoneyOverflowError):
                ledger.total()
            with pytest.raises(essconv.MoneyOverflowError):
                ledger.filter(f=set("abc")).total()
        by_key = twin({"f": keys}, ["f"], cents)
        for threads in (1, 2, 3):
            for kernel in KERNELS.values():
                if not all(fits(s[0]) for s in by_key.values()):
                    with pytest.raises(essconv.MoneyOverflowError):
                        group(ledger, ["f"], threads=threads, kernel=kernel)
                    continue
                agg = group(ledger, ["f"], threads=threads, kernel=kernel)
                assert {k: v * 100 for k, v in agg.to_dict().items()} == \
                    {k[0]: s[0] for k, s in by_key.items()}
        if all(fits(s[0]) for s in by_key.values()):
            summed = ledger.group_by("f").sum()
            if fits(exact):
                assert summed.with_total().to_dict()[Aggregate.TOTAL] * 100 == exact
            else:
                with pytest.raises(essconv.MoneyOverflowError):
                    summed.with_total()


def test_a_partial_sum_past_the_edge_on_millions_of_rows_is_the_same_on_every_thread_count():
    n = 2_000_000
    cents = array("q", bytes(8 * n))
    cents[0], cents[n // 2], cents[n // 2 + 1] = 1, INT64_MAX, -1
    ledger = essconv.Ledger.from_columns({"f": ["a"] * n, "m": cents}, amount="m", cents=True)
    want = Decimal(INT64_MAX) / 100
    assert ledger.total() == want
    for threads in (1, 2, 4):
        assert ledger.pivot("f", "f", threads=threads).total() == want
        for kernel in KERNELS.values():
            assert group(ledger, ["f"], threads=threads, kernel=kernel).to_dict() == {"a": want}
    cents[1] = 1   # now the exact sum is past the edge: an overflow, on every path
    ledger = essconv.Ledger.from_columns({"f": ["a"] * n, "m": cents}, amount="m", cents=True)
    for attempt in (ledger.total, lambda: ledger.pivot("f", "f", threads=1),
                    lambda: ledger.pivot("f", "f", threads=2),
                    lambda: ledger.group_by("f").sum()):
        with pytest.raises(essconv.MoneyOverflowError):
            attempt()


# ------------------------------------------------------------------ a count needs no sum
OVER = b"k;montant\nA;92233720368547758,07\nA;1,00\nB;2,00\n"   # A's sum is past int64 cents


def test_a_group_whose_sum_overflows_still_has_its_count_min_and_max():
    # count(), min() and max() raised MoneyOverflowError: the whole group-by failed on A's sum
    g = essconv.Ledger.read_csv(OVER, amount="montant").group_by("k")
    assert g.count().to_dict() == {"A": 2, "B": 1}
    assert g.min().to_dict() == {"A": Decimal("1.00"), "B": Decimal("2.00")}
    assert g.max().to_dict() == {"A": Decimal("92233720368547758.07"), "B": Decimal("2.00")}
    assert g.count().sort().top(1).to_dict() == {"A": 2}
    assert g.count().to_csv() == "k;nombre\r\nA;2\r\nB;1\r\n"


def test_no_wrong_sum_of_an_overflowing_group_is_read_or_exported():
    # a count aggregate carries sum and mean columns: they must not hold A's wrapped sum
    count = essconv.Ledger.read_csv(OVER, amount="montant").group_by("k").count()
    assert "sum" not in count.to_ledger().columns and "mean" not in count.to_ledger().columns
    for row in count.head(5):
        assert set(row) == {"k", "count"}
    with pytest.raises(essconv.InvalidValueError):
        count.to_ledger().total()   # no amount column: no total (it said 0)
    pd = pytest.importorskip("pandas")
    assert list(count.to_pandas().columns) == ["k", "count"]
    del pd


@pytest.mark.parametrize("attempt", [
    lambda g: g.sum(), lambda g: g.mean(), lambda g: g.agg(),
    lambda g: g.count().select("sum"), lambda g: g.count().to_dict("mean"),
    lambda g: g.count().share(), lambda g: g.count().with_total().to_dict("sum"),
    lambda g: g.count().cumulative(), lambda g: g.mean().with_total(),
    lambda g: g.count().sort("sum"), lambda g: g.count() + g.count(),
    lambda g: __import__("pickle").loads(__import__("pickle").dumps(g.count())).to_dict("sum"),
])
def test_where_the_overflowing_sum_is_used_it_is_refused_naming_the_group(attempt):
    g = essconv.Ledger.read_csv(OVER, amount="montant").group_by("k")
    with pytest.raises(essconv.MoneyOverflowError) as caught:
        attempt(g)
    assert "'A'" in str(caught.value) and "'B'" not in str(caught.value)
    assert caught.value.reason == ("overflow", "group-sum", ("A",), 0)
    # an English message writes the limit the English way (it printed "92 233 720 368 547
    # 758,07 €", a French figure among English words)
    # A's sum is past the ceiling, said as such (it read "past ±", its side lost)
    assert f"is beyond {Decimal(2**63 - 1) / 100:,}\u00a0€" in str(caught.value)


def _twin_report(rows, shown):
    """The slow, obvious twin of a report of counts, mins and maxes: per group with Python's
    exact ints, then the others line (the groups not in ``shown``) and the total line."""
    groups = defaultdict(list)
    for key, cents in rows:
        groups[key].append(cents)
    def line(keys):
        merged = [c for k in keys for c in groups[k]]
        return {"count": len(merged), "min": Decimal(min(merged)).scaleb(-2),
                "max": Decimal(max(merged)).scaleb(-2)}
    out = {k: line([k]) for k in shown}
    rest = [k for k in groups if k not in shown]
    if rest:
        out[Aggregate.OTHERS] = line(rest)
    out[Aggregate.TOTAL] = line(list(groups))
    return out


@pytest.mark.parametrize("rows", [
    [("A", 2**62), ("A", 2**62), ("B", 200), ("C", -5)],          # A's own sum is past int64
    [("A", 2**62), ("B", 2**62), ("B", 2**62), ("C", 7)],          # each fits, the total not
    [("A", -2**62), ("B", -2**62), ("B", -2**62), ("C", -1)],      # the total under the floor
])
def test_a_count_s_total_and_others_lines_need_no_sum(rows):
    """count().with_total() refused (MoneyOverflowError) when a group's or the groups' sum
    did not fit, although a count's total is a count; its min and max likewise."""
    assert sum(c for _, c in rows) > 2**63 - 1 or sum(c for _, c in rows) < -2**63
    ledger = essconv.Ledger.from_columns(
        {"k": [k for k, _ in rows], "m": array("q", [c for _, c in rows])}, amount="m",
        cents=True)
    g = ledger.group_by("k")
    twin = _twin_report(rows, ["A", "B", "C"])
    for measure in ("count", "min", "max"):
        report = getattr(g, measure)().with_total()
        assert report.to_dict() == {k: v[measure] for k, v in twin.items()}, measure
        assert "sum" not in report.report_columns and "mean" not in report.report_columns
        # the sum it would need is refused, as the line's sum was
        with pytest.raises(essconv.MoneyOverflowError):
            report.to_dict("sum")
    counts = {k: sum(1 for key, _ in rows if key == k) for k, _ in rows}   # first seen first
    twin = _twin_report(rows, [max(counts, key=counts.get)])    # a count's top: its largest
    top = g.count().top(1, others=True).with_total()
    assert top.to_dict() == {k: v["count"] for k, v in twin.items()}
    assert top.to_csv().splitlines()[-2:] == ["Autres;" + str(twin[Aggregate.OTHERS]["count"]),
                                             "Total;" + str(len(rows))]
    # the mean and the sum need the sum: refused, the group or the total named
    for measure in ("sum", "mean"):
        with pytest.raises(essconv.MoneyOverflowError):
            getattr(g, measure)().with_total()


def test_an_overflowing_group_of_several_keys_is_named_in_words_in_each_language():
    """A group of several keys was named by a Python tuple's repr, "the sum of ('Région',
    None, datetime.date(...))" in English and "(« Région », …)" in French: each key is said
    the language's way (a label quoted, a missing key said so, a date as the language writes
    it), parts joined by ", ", the limit grouped the language's way."""
    from essconv.messages import language
    ledger = essconv.Ledger.read_csv(
        "k;a;d;montant\nRégion;;2010-03-01;92233720368547758,07\nRégion;;2010-03-01;1,00\n"
        "B;x;2011-01-01;2,00\n".encode(), amount="montant", dates=["d"])
    with pytest.raises(essconv.MoneyOverflowError) as caught:
        ledger.group_by("k", "a", "d").sum()
    english, french = str(caught.value), language("fr").refusal(caught.value)
    assert "the sum of the group 'Région', (blank), 2010-03-01 is beyond " in english, english
    assert "celle du groupe « Région », (vide), 01/03/2010" in french.replace("\u00a0", " ")
    limit = 2**63 - 1   # the largest cents, grouped by hand: English commas, French U+202F
    assert f"is beyond {limit // 100:,}.{limit % 100:02d}\u00a0€" in english
    assert f"{limit // 100:,}".replace(",", "\u202f") + f",{limit % 100:02d}\u00a0€" in french
    for said in (english, french):
        assert "(" + "'Région'" not in said and "datetime" not in said and "None" not in said
        assert "(« Région »" not in said and "'B'" not in said and "« B »" not in said


@pytest.mark.parametrize("kernel", list(KERNELS.values()))
@pytest.mark.parametrize("threads", [1, 2])
def test_every_kernel_keeps_and_marks_the_overflowing_groups(kernel, threads):
    cents = array("q", [INT64_MAX, 5, 1, -INT64_MAX - 1, -1, 7])
    keys = ["a", "b", "a", "c", "c", "b"]
    ledger = essconv.Ledger.from_columns({"f": keys, "m": cents}, amount="m", cents=True)
    core, _, _, overflow, below = ledger._core.group_by(
        [ledger._col("f")], minmax=True, threads=threads, _partitioned=kernel, keep_overflow=True)
    rows = essconv.Ledger(core).head(3)
    assert [r["f"] for r in rows] == ["a", "b", "c"] and overflow == (0, 2)
    assert below == (2,)   # c's sum is under the floor, a's past the ceiling
    assert [r["count"] for r in rows] == [2, 2, 2]
    assert [r["max"] * 100 for r in rows] == [INT64_MAX, 7, -1]
    assert [n for n, _ in core.columns] == ["f", "count", "min", "max"]
    with pytest.raises(essconv.MoneyOverflowError):   # without the knob: the old refusal
        ledger._core.group_by([ledger._col("f")], threads=threads, _partitioned=kernel)


# ------------------------------------------------------------------ which end a group's sum left by
INT64_MIN = -2**63
#: the limits as an English page prints amounts, grouped by hand (commas, a point)
CEILING_EN = f"{(2**63 - 1) // 100:,}.{(2**63 - 1) % 100:02d}"
FLOOR_EN = f"-{2**63 // 100:,}.{2**63 % 100:02d}"


def _side_ledger(sign, layout):
    """Rows whose one group 'g0', 'h0' sums past the ceiling (sign +1) or under the floor (-1),
    every other group small; ``layout`` "dense" has few key combinations, "partitioned" enough
    (two keys of 600 values: 360 000 combinations for ~600 rows, past the dense table's
    2 x rows + 65 536) for the kernel of many groups to run on its own."""
    n = 3 if layout == "dense" else 600
    first = [f"g{i}" for i in range(n)] + ["g0", "g0"]
    second = [f"h{i}" for i in range(n)] + ["h0", "h0"]
    cents = [7] * n + [sign * 2**62, sign * 2**62]
    cents[0] = sign * 2**62
    return first, second, cents


@pytest.mark.parametrize("layout", ["dense", "partitioned"])
@pytest.mark.parametrize("sign", [1, -1])
def test_a_group_s_sum_is_refused_saying_the_end_it_left_int64_cents_by(sign, layout):
    """A group whose sum was under int64 cents' floor was refused as "past ±92,233,... €" (and
    in French as beyond the ceiling): a huge negative sum read as a huge positive one.  The side
    is the exact sum's sign (Python's ints, the twin), on the dense kernel and the kernel of
    many groups alike, in English and in French."""
    from essconv.messages import language
    first, second, cents = _side_ledger(sign, layout)
    exact = defaultdict(int)
    for a, b, c in zip(first, second, cents):
        exact[a, b] += c
    past = {k: v for k, v in exact.items() if not INT64_MIN <= v < 2**63}
    assert list(past) == [("g0", "h0")]
    below = past["g0", "h0"] < 0
    ledger = essconv.Ledger.from_columns(
        {"a": first, "b": second, "m": array("q", cents)}, amount="m", cents=True)
    g = ledger.group_by("a", "b")
    assert g.count().dense == (layout == "dense")
    for attempt in (lambda: g.sum(), lambda: g.count().to_dict("sum")):
        with pytest.raises(essconv.MoneyOverflowError) as caught:
            attempt()
        english, french = str(caught.value), language("fr").refusal(caught.value)
        assert caught.value.below == below
        side = (f"is below {FLOOR_EN}\u00a0€" if below else f"is beyond {CEILING_EN}\u00a0€")
        assert side in english and "±" not in english, english
        limit = (FLOOR_EN if below else CEILING_EN).replace(",", "\u202f").replace(".", ",")
        assert f"({limit}\u00a0€ {'au moins' if below else 'au plus'})" in french, french
        assert "« g0 », « h0 »" in french.replace("\u00a0", " ")


@pytest.mark.parametrize("kernel", list(KERNELS.values()))
@pytest.mark.parametrize("threads", [1, 2])
@pytest.mark.parametrize("sign", [1, -1])
def test_every_kernel_s_refusal_says_the_side(kernel, threads, sign):
    """Without keeping the overflowing groups, every kernel refused the group-by with no side:
    the refusal carries the first overflowing group's side, the twin's sign."""
    keys = ["a", "b"] * 3000 + ["b", "b", "b"]
    cents = [1] * 6000 + [sign * 2**62] * 3
    exact = defaultdict(int)
    for k, c in zip(keys, cents):
        exact[k] += c
    assert not INT64_MIN <= exact["b"] < 2**63 and INT64_MIN <= exact["a"] < 2**63
    ledger = essconv.Ledger.from_columns({"f": keys, "m": array("q", cents)}, amount="m",
                                         cents=True)
    with pytest.raises(essconv.MoneyOverflowError) as caught:
        group(ledger, ["f"], threads=threads, kernel=kernel)
    assert caught.value.below == (exact["b"] < 0)
    assert caught.value.reason == ("overflow", "group-sum")


@pytest.mark.parametrize("dims, key, at", [
    (("nom", "nom"), "nom", (1, 2)), (("annee", "nom", "annee"), "annee", (1, 3)),
    ((essconv.year("jour"), "nom", essconv.year("jour")), "year(jour)", (1, 3))])
def test_a_group_by_key_given_twice_is_refused_in_the_listings_language(dims, key, at):
    """``group_by("nom", "nom")`` was refused, once summed, as a key "named like a measure
    (sum, count, mean, min, max) or given twice", in English even in a French listing: it is
    refused where it is given, naming the key and its places, in both languages."""
    import datetime as dt
    from essconv.messages import language
    ledger = essconv.Ledger.from_columns(
        {"nom": ["A", "B"], "annee": [2009, 2010], "jour": [dt.date(2009, 1, 1)] * 2,
         "montant": [Decimal(1), Decimal(2)]}, amount="montant", ints=["annee"], dates=["jour"])
    with pytest.raises(essconv.InvalidValueError) as refused:
        ledger.group_by(*dims).sum()
    assert str(refused.value) == (f"the key {key!r} is given twice (keys {at[0]} and {at[1]}): "
                                  f"give each key once")
    said = language("fr").refusal(refused.value).replace("\u00a0", " ").replace("\u202f", " ")
    assert said == (f"la clé « {key} » est donnée deux fois au regroupement (clés {at[0]} et "
                    f"{at[1]}) : donnez chaque clé une seule fois"), said
