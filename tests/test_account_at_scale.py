"""The account of an execution with many funders foreign to the convention: it names the five
largest and counts the others, the same lines as sorting every funder gave, in about the time of
one pass over them."""
from __future__ import annotations

import random
from decimal import Decimal

import pytest

from essconv.execution import Accounting, Execution, Unmapped
from essconv.execution_text import accounting_lines, record_label
from essconv.messages import language
from test_hostile import best_times_in_turns


def _execution(n_groups: int, seed: int, *, matched: int = 0, distinct: bool | None = None) -> Execution:
    """An execution whose ``n_groups`` groups of records map to no party (funders repeated
    over lines, a blank funder, many equal amounts, refunds) and a few lie on no line."""
    r = random.Random(seed)
    funders = [f"Fondation {k}" for k in range(max(1, n_groups // 3))] + [None]
    if distinct is None:   # a group a funder, or funders over several lines
        distinct = seed % 2 == 0
    unmapped = []
    for k in range(n_groups):
        cents = r.choice([r.randint(-500, 500), r.randint(1, 5) * 100_000, r.randint(1, 10**9)])
        funder = (None if k == n_groups // 2 else f"Fondation {k}") if distinct else r.choice(funders)
        unmapped.append(Unmapped(funder, r.choice(["DLA", None, "Fonds"]),
                                 Decimal(cents).scaleb(-2), r.randint(1, 4), "w", "no-party"))
    no_line = [Unmapped("CR-NPDC", f"ligne {k}", Decimal(r.randint(1, 9) * 1000), 1, "w", "no-line")
               for k in range(r.randint(0, 9))]
    groups = unmapped + no_line
    r.shuffle(groups)
    records = sum(u.records for u in unmapped)
    amount = sum((u.amount for u in unmapped), Decimal(0))
    acc = Accounting(records + matched + len(no_line), amount, matched, Decimal(0), 0, Decimal(0), (), 0,
                     records, amount, no_line=len(no_line),
                     no_line_amount=sum((u.amount for u in no_line), Decimal(0)))
    return Execution(2009, {"funder": {}}, {"funder": {}}, groups, acc)


def _slow_details(ex: Execution, t) -> list[str]:
    """The obvious twin of the account's detail lines, in the order it prints them: the five
    largest records on no line of the plan, then the five largest funders mapping to no party,
    every one summed and sorted, the others counted."""
    no_line = sorted((u for u in ex.unmapped if u.reason == "no-line"), key=lambda u: -u.amount)
    merged: dict = {}
    for u in ex.unmapped:
        if u.reason == "no-party":
            first, records, amount = merged.get(u.funder, (u, 0, Decimal(0)))
            merged[u.funder] = (first, records + u.records, amount + u.amount)
    ranked = sorted(merged.values(), key=lambda m: -m[2])
    # every amount the account shows with two decimals as soon as one of them has cents
    a = ex.accounting
    shown = [a.amount, a.matched_amount, a.outside_amount, a.unmapped_amount,
             *([a.no_line_amount] if a.no_line else []), *(u.amount for u in no_line[:5]),
             *(m[2] for m in ranked[:5])]
    cents = any(v % 1 for v in shown)

    def eur(v):
        said = t.amount(v, "€")   # "9 000 €", "-1,50 €"
        if not cents or v % 1:
            return said
        return said.replace(f"{t.unit_space}€", f"{t.decimal}00{t.unit_space}€")
    out = []
    if no_line:
        out += ["    " + t.counted("acc_line_who", u.records,
                                   who=f"{record_label(u.funder, t)} / {t.quote(record_label(u.line, t))}",
                                   amount=eur(u.amount)) for u in no_line[:5]]
        if len(no_line) > 5:
            out.append("    " + t.counted("acc_more", len(no_line) - 5))
    out += ["    " + t.counted("acc_who", records, who=t.quote(record_label(u.funder, t)), amount=eur(amount))
            for u, records, amount in ranked[:5]]
    if len(ranked) > 5:
        out.append("    " + t.counted("acc_more", len(ranked) - 5))
    return out


@pytest.mark.parametrize("seed", range(12))
@pytest.mark.parametrize("lang", ["fr", "en"])
def test_the_account_names_the_largest_funders_as_sorting_them_all_did(seed, lang):
    t = language(lang)
    ex = _execution(random.Random(seed).choice([0, 1, 4, 6, 17, 300]), seed)
    lines = accounting_lines(ex, t)
    assert [line for line in lines if line.startswith("    ")] == _slow_details(ex, t)
    funders = {record_label(u.funder, t) for u in ex.unmapped if u.reason == "no-party"}
    if funders:   # nothing matched: the first three names, as sorting every one gave them
        assert t.counted("nm_unmapped", ex.accounting.unmapped,
                         who=", ".join(sorted(funders)[:3])) in lines[-1]


def _one_pass(ex: Execution) -> dict:
    """The linear baseline: one pass summing each funder's records, which any account makes."""
    merged: dict = {}
    for u in ex.unmapped:
        if u.reason == "no-party":
            merged[u.funder] = merged.get(u.funder, Decimal(0)) + u.amount
    return merged


def test_the_account_of_200_000_funders_takes_one_pass_not_a_sort():
    t = language("fr")
    big = _execution(200_000, 2, distinct=True)
    assert [line for line in accounting_lines(big, t) if line.startswith("    ")] == _slow_details(big, t)
    fast_big, slow_big, one_pass = best_times_in_turns(
        lambda: accounting_lines(big, t), lambda: _slow_details(big, t), lambda: _one_pass(big),
        repeat=3)
    # no blow-up: the account costs a few times one pass over the same funders (measured 2.3x;
    # a quadratic merge costs thousands of times it), timed in turns with it, so that a loaded
    # machine slows both alike -- a ratio to a 1 000-funder account, over in a millisecond, was
    # at the mercy of a time slice.  Beside the sort of every funder (slow_big) the five lines
    # are picked about 2x faster, but that is a speed, not a blow-up: on a machine running two
    # test suites at once it came out 1.04x the sort's time, so it is not asserted (the sort's
    # twin stays the oracle of the lines above)
    assert fast_big < 8 * one_pass, (fast_big, one_pass, slow_big)
