"""The large blocks a freed ledger leaves are kept for the next read (error.c's pool): a read
that writes its columns into a kept block must give what a read into fresh memory gives, since a
kept block holds the last ledger's values, not zeros.  Each read is checked against the values
the test wrote, summed as Decimal; the sanitizer build fills every reused block with 0xA5, so that a
reader counting on zeros fails there too."""
from __future__ import annotations

import functools
import gc
import random
from decimal import Decimal

import pytest

import essconv
from essconv import Ledger, _core

ROWS = 1_100_000   # every column past the pool's 4 MiB: int32 codes 4.4 MB, int64 8.8 MB


@functools.lru_cache(maxsize=None)   # each file made once for the tests
def _text_and_oracle(seed: int) -> tuple[str, tuple[Decimal, dict, list]]:
    """A file of ROWS records of the benchmark's shape, different for each seed, and what it
    holds as the values written (the sums added in integer cents, then as Decimal)."""
    rnd = random.Random(seed)
    funders = [f"F{seed}-{k}" for k in range(40)]
    lines = ["annee,territoire,financeur,montant"]
    total, by_funder, places = 0, {}, []
    for _ in range(ROWS):
        year, place, funder = rnd.randrange(2009, 2014), f"T{rnd.randrange(100):03d}", rnd.choice(funders)
        cents = rnd.randrange(100, 10**10)
        lines.append(f"{year},{place},{funder},{cents // 100}.{cents % 100:02d}")
        total += cents
        by_funder[funder] = by_funder.get(funder, 0) + cents
        places.append((year, place))
    oracle = (Decimal(total) / 100, {f: Decimal(c) / 100 for f, c in by_funder.items()},
              places[:1000] + places[-1000:])
    return "\n".join(lines) + "\n", oracle


def _reading(ledger: Ledger) -> tuple[Decimal, dict, list]:
    by_funder = ledger.group_by("financeur").sum().to_dict()
    years, places = ledger.values("annee"), ledger.values("territoire")
    head = list(zip(years[:1000], places[:1000])) + list(zip(years[-1000:], places[-1000:]))
    return ledger.total(), by_funder, head


@pytest.mark.parametrize("threads", [1, 2])
def test_a_read_into_the_blocks_a_freed_ledger_left_gives_the_oracles_sums(threads):
    essconv.release_memory()
    (first, first_holds), (second, second_holds) = _text_and_oracle(1), _text_and_oracle(2)
    ledger = Ledger.read_csv(first.encode(), amount="montant", ints=["annee"], threads=threads)
    assert _reading(ledger) == first_holds
    del ledger
    gc.collect()
    kept = _core.kept_memory()
    assert kept >= ROWS * (8 + 8)   # the columns were kept (the two int64 ones at least)
    ledger = Ledger.read_csv(second.encode(), amount="montant", ints=["annee"], threads=threads)
    assert _core.kept_memory() < kept   # the second reading wrote into kept blocks
    assert _reading(ledger) == second_holds


def test_release_memory_gives_back_what_was_kept():
    essconv.release_memory()
    ledger = Ledger.read_csv(_text_and_oracle(3)[0].encode(), amount="montant", ints=["annee"])
    del ledger
    gc.collect()
    kept = _core.kept_memory()
    assert kept >= ROWS * (8 + 8)   # at least the two int64 columns
    assert essconv.release_memory() == kept
    assert _core.kept_memory() == 0
    assert essconv.release_memory() == 0
