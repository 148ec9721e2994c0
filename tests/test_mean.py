"""The mean of a group-by: the exact cents sum divided by the count, rounded half to even to the
cent, checked against a Decimal twin; merging partitions recomputes it from sum and count."""
from __future__ import annotations

import pickle
import warnings
from collections import defaultdict
from decimal import ROUND_HALF_EVEN, Decimal, localcontext

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from essconv import Ledger
from essconv.scdl import read_scdl
from conftest import SCDL

CENT = Decimal("0.01")


def twin_means(keys: list, amounts: list[Decimal]) -> dict:
    """The obvious slow twin: Decimal sums per key, divided and rounded half-even."""
    sums: dict = defaultdict(Decimal)
    counts: dict = defaultdict(int)
    for k, a in zip(keys, amounts):
        sums[k] += a
        counts[k] += 1
    with localcontext() as ctx:
        ctx.prec = 60   # 19 digits of cents and more: the division itself is exact enough
        return {k: (sums[k] / counts[k]).quantize(CENT, rounding=ROUND_HALF_EVEN) for k in sums}


def ledger_of(keys: list, cents: list[int]) -> Ledger:
    return Ledger.from_columns({"f": keys, "montant": cents}, amount="montant", cents=True)


@settings(max_examples=200, deadline=None)
@given(st.lists(st.tuples(st.sampled_from("ABCD"),
                          st.one_of(st.integers(-7, 7), st.integers(-10**15, 10**15))),
                min_size=1, max_size=60))
def test_mean_equals_the_decimal_twin(rows):
    keys, cents = [r[0] for r in rows], [r[1] for r in rows]
    means = ledger_of(keys, cents).group_by("f").mean().to_dict()
    assert means == twin_means(keys, [Decimal(c) / 100 for c in cents])
    assert all(isinstance(v, Decimal) for v in means.values())


@pytest.mark.parametrize("cents, mean", [
    ([1, 2], "0.02"),      # 1.5 cents: half, to the even 2
    ([1, 0], "0.00"),      # 0.5 cents: half, to the even 0
    ([3, 2], "0.02"),      # 2.5 cents: half, to the even 2
    ([-1, -2], "-0.02"),   # the same, below zero
    ([-3, -2], "-0.02"),
    ([1, 1, 0], "0.01"),   # 0.67 cents: above half, up
    ([-1, -1, 0], "-0.01"),
    ([1, 0, 0], "0.00"),   # 0.33 cents: below half, down
    ([-(2**63)], str(Decimal(-(2**63)) / 100)),   # the extremes of int64 cents
    ([2**63 - 1, -(2**63)], "-0.00"),   # -0.5 cent: half, to the even 0
])
def test_mean_rounds_half_to_even_to_the_cent(cents, mean):
    got = ledger_of(["a"] * len(cents), cents).group_by("f").mean().to_dict()["a"]
    assert got == Decimal(mean)


def test_mean_on_the_real_grant_files():
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")   # the files' own repaired rows are not the point here
        ledgers = [read_scdl(path) for path in sorted(SCDL.glob("*.csv"))]
    checked = 0
    for ledger in ledgers:
        for dim in ("nomAttribuant", "nature"):
            if dim not in ledger.columns:
                continue
            keys, amounts = ledger.values(dim), ledger.values("montant")
            got = ledger.group_by(dim).mean().to_dict()
            assert got == twin_means(keys, amounts)
            assert ledger.group_by(dim).agg().to_dict("mean") == got
            checked += len(got)
    assert checked > 10


def test_a_merged_mean_comes_from_the_merged_sum_and_count():
    # partitions whose own means differ: averaging them (2.00 and 10.00 -> 6.00) would be wrong
    a = ledger_of(["x", "x", "x"], [100, 200, 300])
    b = ledger_of(["x"], [1000])
    whole = ledger_of(["x"] * 4, [100, 200, 300, 1000])
    for merged in (a.group_by("f").agg() + b.group_by("f").agg(),
                   a.group_by("f").mean() + b.group_by("f").mean()):
        assert merged.to_dict("mean") == whole.group_by("f").mean().to_dict() == {"x": Decimal("4.00")}
    # through pickle, as the Dask partials travel, and over many random partitions
    again = pickle.loads(pickle.dumps(a.group_by("f").mean()))
    assert again.to_dict() == {"x": Decimal("2.00")}


@settings(max_examples=50, deadline=None)
@given(st.lists(st.tuples(st.sampled_from("ABC"), st.integers(-10**9, 10**9)), min_size=2,
                max_size=80), st.data())
def test_mean_over_any_partition_equals_the_whole(rows, data):
    cut = data.draw(st.integers(1, len(rows) - 1))
    parts = [rows[:cut], rows[cut:]]
    aggs = [ledger_of([r[0] for r in p], [r[1] for r in p]).group_by("f").agg() for p in parts]
    keys, cents = [r[0] for r in rows], [r[1] for r in rows]
    assert (aggs[0] + aggs[1]).to_dict("mean") == twin_means(keys, [Decimal(c) / 100 for c in cents])


def test_a_key_named_mean_is_refused():
    ledger = Ledger.from_columns({"mean": ["a"], "montant": [5]}, amount="montant", cents=True)
    with pytest.raises(ValueError, match="named like a measure"):
        ledger.group_by("mean").sum()


int64 = st.integers(-(2**63), 2**63 - 1)


@settings(max_examples=200, deadline=None)
@given(st.tuples(int64, st.integers(1, 10**6), st.one_of(st.none(), int64)),
       st.tuples(int64, st.integers(1, 10**6), st.one_of(st.none(), int64)))
def test_partials_merge_by_the_cores_rule(a, b):
    from essconv import _core
    from essconv.errors import MoneyOverflowError
    (sa, ca, ma), (sb, cb, mb) = a, b
    state_a, state_b = (sa, ca, ma, ma), (sb, cb, mb, mb)
    if not -(2**63) <= sa + sb < 2**63:   # the twin: Python's unbounded ints
        with pytest.raises(MoneyOverflowError):
            _core.merge_state(state_a, state_b)
        return
    both = ma is not None and mb is not None
    assert _core.merge_state(state_a, state_b) == (
        sa + sb, ca + cb, min(ma, mb) if both else None, max(ma, mb) if both else None)
