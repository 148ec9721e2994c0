"""Aggregates keyed by labels alone, combined with ``+``, list their groups as one group-by.

The documented order of a group-by's groups: each label key by its first sight in the rows
(across the sources in order), the last key the most significant.  ``+`` of aggregates keyed
only by labels listed the first aggregate's groups, then the other's -- the same order for one
key, another for two or three; and a combined aggregate (or a Dask partial that travelled)
wrote its labels' dictionary in the groups' order, so a third aggregate added after ordered
them by where their groups fell.  The oracle is a twin written here: rows concatenated, each
key's labels numbered in first-seen order with a Python dict, the groups sorted by those
numbers (last key first) and summed with ``Decimal``."""
from __future__ import annotations

import pickle
import random
from decimal import Decimal

import pytest

import essconv
from essconv.ledger import Aggregate

NAMES = ["beneficiaire", "financeur", "nature"]
VALUES = [["Asso A", "Scop B", "Régie C", "SCIC D", "Asso E"], ["Région", "CDC", "Département"],
          ["numéraire", "nature"]]


def records(seed: int, n: int):
    rng = random.Random(seed)
    return [tuple(rng.choice(v) for v in VALUES) + (Decimal(rng.randrange(-5_000, 90_000)) / 100,)
            for _ in range(n)]


def read(rows) -> essconv.Ledger:
    text = ";".join(NAMES) + ";montant\n" + "".join(
        f"{b};{f};{t};{str(a).replace('.', ',')}\n" for b, f, t, a in rows)
    return essconv.Ledger.read_csv(text.encode(), amount="montant")


def twin(rows, ndims: int) -> dict:
    """One group-by of the rows, the slow obvious way."""
    sights = [{} for _ in range(ndims)]
    sums: dict = {}
    for row in rows:
        for k in range(ndims):
            sights[k].setdefault(row[k], len(sights[k]))
        key = row[:ndims]
        sums[key] = sums.get(key, Decimal(0)) + row[3]
    order = sorted(sums, key=lambda key: [sights[k][key[k]] for k in reversed(range(ndims))])
    return {(key if ndims > 1 else key[0]): sums[key] for key in order}


def sources(seed: int):
    """Three files: the second and third bring labels the first never saw, and groups of
    labels it saw under other keys."""
    rows = records(seed, 90)
    return rows[:30], rows[30:60], rows[60:]


@pytest.mark.parametrize("ndims", [1, 2, 3])
@pytest.mark.parametrize("seed", [3, 11, 42])
def test_two_aggregates_combined_list_their_groups_as_one_group_by(ndims, seed):
    first, second, _ = sources(seed)
    dims = NAMES[:ndims]
    combined = read(first).group_by(*dims).sum() + read(second).group_by(*dims).sum()
    expected = twin(first + second, ndims)
    assert list(read(first + second).group_by(*dims).sum().to_dict()) == list(expected)
    assert list(combined.to_dict()) == list(expected)
    assert combined.to_dict() == expected


@pytest.mark.parametrize("ndims", [1, 2, 3])
def test_three_aggregates_combined_either_way_list_their_groups_as_one_group_by(ndims):
    first, second, third = sources(7)
    dims = NAMES[:ndims]
    a, b, c = (read(rows).group_by(*dims).sum() for rows in (first, second, third))
    expected = twin(first + second + third, ndims)
    assert list(((a + b) + c).to_dict()) == list(expected)
    assert list((a + (b + c)).to_dict()) == list(expected)
    assert ((a + b) + c).to_dict() == expected


def test_a_label_seen_first_keeps_its_place_when_its_groups_fall_later():
    # "Régie C" is seen after "Scop B" but its group comes first (its funder is seen first):
    # a dictionary written in the groups' order put it before "Scop B"
    first = [("Asso A", "Région", "nature", Decimal(1)), ("Scop B", "CDC", "nature", Decimal(2)),
             ("Régie C", "Région", "nature", Decimal(3))]
    second = [("Asso E", "CDC", "nature", Decimal(4))]
    third = [("Scop B", "Région", "nature", Decimal(5))]
    dims = NAMES[:2]
    a, b, c = (read(rows).group_by(*dims).sum() for rows in (first, second, third))
    expected = twin(first + second + third, 2)
    assert list(((a + b) + c).to_dict()) == list(expected)
    assert list((c + (a + b)).to_dict()) == list(twin(third + first + second, 2))


@pytest.mark.parametrize("ndims", [2, 3])
def test_partials_that_travelled_combine_as_one_group_by(ndims):
    from essconv.dask import _Partial
    first, second, third = sources(19)
    dims = NAMES[:ndims]
    travelled = [pickle.loads(pickle.dumps(_Partial(read(rows).group_by(*dims).sum()))).aggregate
                 for rows in (first, second, third)]
    assert all(isinstance(t, Aggregate) for t in travelled)
    combined = (travelled[0] + travelled[1]) + travelled[2]
    assert list(combined.to_dict()) == list(twin(first + second + third, ndims))


@pytest.mark.parametrize("ndims", [1, 2, 3])
def test_a_dask_group_by_over_three_files_lists_its_groups_as_one_group_by(tmp_path, ndims):
    pytest.importorskip("dask")
    import dask
    import essconv.dask as edask
    parts = sources(23)
    for i, rows in enumerate(parts):
        text = ";".join(NAMES) + ";montant\n" + "".join(
            f"{b};{f};{t};{str(a).replace('.', ',')}\n" for b, f, t, a in rows)
        (tmp_path / f"part{i}.csv").write_bytes(text.encode())
    with dask.config.set(scheduler="synchronous"):
        grants = edask.read_csv(str(tmp_path / "*.csv"), amount="montant")
        got = grants.group_by(*NAMES[:ndims]).sum()
    expected = twin(parts[0] + parts[1] + parts[2], ndims)
    assert list(got.to_dict()) == list(expected)
    assert got.to_dict() == expected
