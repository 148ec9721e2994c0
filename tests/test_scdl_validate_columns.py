"""validate_scdl checks a block's records column by column (each column's cells looked up in its
memo in one pass) from the cells' texts and places as read_table_flat gives them; the slow twin
(tests/scdl_validate_twin.py) checks each row, cell by cell, from read_table's (text, line,
column) cells.  On seeded files of many repeated and many unique values, findings on most rows
and some clean ones, they must say the same findings, word for word, in the same order, counted
the same -- whatever the size of the blocks and of the memo (emptied when full).
"""
from __future__ import annotations

import functools
import random
from collections import Counter

import pytest
from hypothesis import HealthCheck, given, settings, strategies as st

import essconv

import essconv._core as _core
import essconv.scdl as scdl
from essconv.scdl import read_scdl, validate_scdl

from scdl_validate_twin import validate_scdl_twin
from test_scdl_validate_fast import same_as_twin
from test_scdl_validate_stream import CLEAN, FIELDS, cell, check_limited, siret

#: values met again and again, each with its findings (or none)
REPEATED = {
    "nomAttribuant": ["Région Hauts-de-France", "Ville de Lille", ""],
    "idAttribuant": ["21590350100017", "21590350100018", "218600194", "21860194600000.0"],
    # day first alone, ISO or not a date (DATES_OF_ORDER gives the files of other orders)
    "dateConvention": ["2019-05-20", "20/05/2019", "2019-02-30", "2019/05/20", "hier"],
    "nomBeneficiaire": ["Club sportif de Lens", "", "x" * 300],
    "rnaBeneficiaire": ["W595000123", "w595000123", "X12", ""],
    # a description of the schema's maxLength (256) and one past it; idRAE likewise (5)
    "objet": ["Fonctionnement", "Accompagnement des structures de l'économie sociale et solid",
              "", "y" * 300, "w" * 256, " " + "v" * 256, "u" * 257],
    "nature": ["aide en numéraire", "Aide en numéraire", "AIDE EN NATURE", "subvention"],
    "conditionsVersement": ["unique", "échelonné", "Unique", ""],
    "idRAE": ["", "12345", "123456", " 1234 "],
    "notificationUE": ["oui", "non", "NON", "yes", ""],
    "pourcentageSubvention": ["1", "0.5", "50", "0,5", ""],
    "dispositifAide": ["Politique de la ville", ""],
}


#: the dateConvention cells of a file whose dates read in one order or another: month first
#: alone (read_scdl reads the column month first, 04/05/2019 as 5 April) or both (it refuses it)
DATES_OF_ORDER = {
    "day": REPEATED["dateConvention"],
    "month": ["2019-05-20", "05/20/2019", "04/05/2019", "12/31/2019T00:00", "02/30/2019", "hier"],
    "mixed": ["2019-05-20", "05/20/2019", "04/05/2019", "20/05/2019", "31.12.2019", "hier"],
}


def unique_value(rng: random.Random, name: str, k: int, repeated: dict = REPEATED) -> str:
    """A value of ``name`` met once in the file, most with a finding."""
    start = f"2019-{rng.randrange(1, 13):02d}-{rng.randrange(1, 29):02d}"
    end = f"2020-{rng.randrange(1, 13):02d}-{rng.randrange(1, 32):02d}"
    return {
        "idAttribuant": siret(rng, valid=rng.random() < 0.3),
        "idBeneficiaire": rng.choice([siret(rng, valid=False), siret(rng),
                                      f"{rng.randrange(10**13, 10**14)}.0"]),
        "montant": rng.choice([f"{rng.randrange(1, 999)} {rng.randrange(1000):03d},"
                               f"{rng.randrange(100):02d}", f"{rng.randrange(10**6)}.{k % 100:02d}",
                               f"-{rng.randrange(1, 10**4)}", f"{k}.{rng.randrange(1000):03d}"]),
        "datesPeriodeVersement": rng.choice([f"{start}_{end}", f"{end}/{start}", f"{start}/{end}"]),
        "referenceDecision": f"DEL-{k}",
        "objet": f"Projet {k} " + "z" * rng.randrange(0, 2000, 400),
        "nomBeneficiaire": f"Association {k}",
    }.get(name) or rng.choice(repeated.get(name, [""]))


def mixed_file(seed: int, rows: int, *, delimiter: str = ";", dates: str = "day") -> bytes:
    """Grants whose rows mostly carry findings: each cell a value met often or one of its own;
    about one row in seven clean, one in twenty a copy of an earlier row (a duplicate, or a
    shared grant), a few a cell short or blank."""
    rng = random.Random(seed)
    repeated = {**REPEATED, "dateConvention": DATES_OF_ORDER[dates]}
    lines, earlier = [delimiter.join(FIELDS)], []
    for k in range(rows):
        roll = rng.random()
        if roll < 0.15:
            row = {**CLEAN, "referenceDecision": f"DEL-C{k}"}
        elif roll < 0.2 and earlier:
            row = dict(rng.choice(earlier))
        else:
            row = {name: (unique_value(rng, name, k, repeated) if rng.random() < 0.5
                          else rng.choice(repeated.get(name) or [unique_value(rng, name, k, repeated)]))
                   for name in FIELDS}
            earlier.append(row)
        cells = [cell(row[n], delimiter, rng.random() < 0.1) for n in FIELDS]
        if roll > 0.99:
            cells = cells[:-1]   # a cell short: its row-length finding, among the others
        elif roll > 0.98:
            cells = [""] * len(cells)   # a blank row: no record
        lines.append(delimiter.join(cells))
    return ("\n".join(lines) + "\n").encode()


@pytest.mark.parametrize("seed", [1, 2, 3])
@pytest.mark.parametrize("block,memo", [(scdl._BLOCK_BYTES, scdl._MEMO_PER_COLUMN), (700, 5),
                                        (4096, 1 << 14), (50_000, 3)])
def test_columns_checked_by_block_say_what_the_twin_says_row_by_row(monkeypatch, seed, block, memo):
    data = mixed_file(seed, 600, delimiter=";" if seed != 2 else ",")
    twin = validate_scdl_twin(data, french=True)
    codes = twin.counts()["error"]
    # the file is what it says: findings on most rows, of many codes, and clean rows
    assert sum(codes.values()) > 600 and len(codes) >= 12, codes
    assert len({f.row for f in twin}) < 600 - 50
    monkeypatch.setattr(scdl, "_BLOCK_BYTES", block)
    monkeypatch.setattr(scdl, "_MEMO_PER_COLUMN", memo)
    same_as_twin(validate_scdl(data, max_findings=None), twin)
    for limit in (0, 2, 10_000):
        check_limited(validate_scdl(data, max_findings=limit), validate_scdl_twin(data), limit)


def test_each_finding_names_its_cells_column_as_read_table_places_it(monkeypatch):
    """The column of each finding on a cell is that cell's, as read_table (cells as tuples)
    places it: the flat places of a block are read at the right cell."""
    data = mixed_file(4, 300)
    monkeypatch.setattr(scdl, "_BLOCK_BYTES", 1000)
    rows, _, _ = _core.read_table(data)
    place = {(r[0][1], k): c[2] for r in rows for k, c in enumerate(r) if len(r) <= len(FIELDS)}
    report = validate_scdl(data, max_findings=None)
    on_cells = [f for f in report if f.column is not None and f.code not in
                ("one-of-required", "enum-case")]
    assert len(on_cells) > 500
    for f in on_cells:
        assert f.column == place[(f.row, FIELDS.index(f.field))], f


def test_read_table_flat_gives_read_table_cells():
    """read_table_flat: the texts and (line, column) of read_table's cells, row by row."""
    data = mixed_file(5, 200, delimiter=",") + b'"a\nb";"c""d"\r\n\n;;\n'
    rows, used, delimiter = _core.read_table(data)
    texts, places, used_flat, delimiter_flat = _core.read_table_flat(data)
    pairs = memoryview(places).cast("q").tolist()
    assert (used_flat, delimiter_flat) == (used, delimiter)
    assert texts == [[c[0] for c in row] for row in rows]
    assert pairs == [n for row in rows for c in row for n in c[1:]]


@pytest.mark.parametrize("dates", ["month", "mixed"])
@pytest.mark.parametrize("block,memo", [(scdl._BLOCK_BYTES, scdl._MEMO_PER_COLUMN), (700, 5)])
def test_dates_of_one_order_or_both_are_said_as_the_twin_says_them(monkeypatch, dates, block, memo):
    """A column of dates month first alone (the ones both orders read suggested month first,
    as read_scdl reads them) or of both orders (date-order-mixed, once, where the second
    order is first met), checked by block: the twin's findings, whatever the blocks, the
    memo and the limit."""
    data = mixed_file(6, 400, dates=dates)
    twin = validate_scdl_twin(data, french=True)
    dated = [f for f in twin if f.field == "dateConvention" and f.code == "date-format"]
    mixed = [f for f in twin if f.code == "date-order-mixed"]
    if dates == "mixed":   # the file is what it says
        assert len(mixed) == 1 and twin.counts()["error"]["date-order-mixed"] == 1
    else:
        assert not mixed and "2019-04-05" in {f.suggestion for f in dated}, dated
    monkeypatch.setattr(scdl, "_BLOCK_BYTES", block)
    monkeypatch.setattr(scdl, "_MEMO_PER_COLUMN", memo)
    same_as_twin(validate_scdl(data, max_findings=None), twin)
    for limit in (0, 1, 3):
        check_limited(validate_scdl(data, max_findings=limit), validate_scdl_twin(data), limit)


#: dateConvention cells of every kind: ISO, day first alone, month first alone, both orders
#: (04/05/2019), with a time, other separators, impossible, blank, not a date
DATE_CELLS = st.sampled_from([
    "2019-05-20", "20/05/2019", "05/20/2019", "04/05/2019", "20.05.2019", "05-20-2019",
    "2019/05/20", "20/05/2019 00:00", "05/20/2019T10:00", "2019-05-20T00:00:00", "31/02/2019",
    "13/13/2019", "2019-13-01", "4/5/2019", "20/5/2019", " 05/20/2019 ", "", "hier"])


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(dates=st.lists(DATE_CELLS, min_size=1, max_size=8), block=st.sampled_from([1, 40, 1 << 20]))
def test_any_dates_in_any_orders_give_the_twins_findings_and_read_scdls_refusal(dates, block):
    """Dates day first, month first, both or neither, in any order of rows: the twin's findings
    (date-order-mixed once, on the later of the first date of each order; month-first
    suggestions when month first alone reads), and date-order-mixed exactly when read_scdl
    refuses the file for its orders."""
    data = ("nomAttribuant;idAttribuant;dateConvention;nomBeneficiaire;objet;montant\n" + "".join(
        f"R;21590350100017;{d};A;O;{k}\n" for k, d in enumerate(dates))).encode()
    twin = validate_scdl_twin(data, french=True)
    saved = scdl._BLOCK_BYTES
    scdl._BLOCK_BYTES = block   # hypothesis reruns the body: no monkeypatch fixture here
    try:
        same_as_twin(validate_scdl(data, max_findings=None), twin)
        check_limited(validate_scdl(data, max_findings=1), validate_scdl_twin(data), 1)
    finally:
        scdl._BLOCK_BYTES = saved
    try:
        read_scdl(data)
        refused = False
    except essconv.ParseError as exc:
        refused = "mix two orders" in str(exc)
    assert refused == ("date-order-mixed" in twin.codes())


def test_columns_counted_at_once_and_values_met_once_unremembered_say_the_twins_counts(monkeypatch):
    """Past ``max_findings`` of every code a block's column holds, its findings are counted
    at once, and a column whose memo is emptied by values met once is checked cell by cell
    without one: both ways are taken here (watched through the two calls only they make),
    and the counts, and the findings kept, are the twin's."""
    data = mixed_file(7, 800)
    monkeypatch.setattr(scdl, "_BLOCK_BYTES", 2000)
    monkeypatch.setattr(scdl, "_MEMO_PER_COLUMN", 64)
    taken = {"at once": 0, "met once": 0}

    def counter(items):
        taken["at once"] += 1
        return Counter(items)

    def partial(*args):
        taken["met once"] += 1
        return functools.partial(*args)

    monkeypatch.setattr(scdl, "Counter", counter)
    monkeypatch.setattr(scdl, "partial", partial)
    for limit in (0, 5):
        check_limited(validate_scdl(data, max_findings=limit), validate_scdl_twin(data), limit)
    assert taken["at once"] > 0 and taken["met once"] > 0, taken
    same_as_twin(validate_scdl(data, max_findings=None), validate_scdl_twin(data, french=True))
