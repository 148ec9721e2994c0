"""Group-by and pivot on derived keys read in place: essconv.year, quarter, month,
period_start and period_end are read from their source column through a table built once per
distinct date or label (derive.c's view), not from a materialised copy of the keys and the amount.

Each result is checked against the former path (the keys materialised by ``derive_keys``, then an
ordinary group-by: the same groups in the same order, every measure) and against the slow obvious
twin (Python ints and Decimal sums over dicts keyed by ``datetime.date`` parts), on generated
ledgers with missing dates, dates before 1970, several years, periods in every SCDL dress, filtered
ledgers (whose dictionaries keep labels no row uses, one of them no date), every kernel and one or
two threads.  The group-by's fresh memory is bounded in a fresh process."""
from __future__ import annotations

import datetime as dt
import random
import subprocess
import sys
import textwrap
from decimal import Decimal

import pytest

import essconv
from essconv import Ledger
from essconv.ledger import GroupBy, _CalendarGroupBy, _dim_name, _is_calendar_part

from test_date_dims import twin_period   # the two ends of a period, read by hand


def twin_key(row: dict, dim) -> object:
    """A dimension's key of one row, from datetime.date alone."""
    if isinstance(dim, str):
        return row[dim]
    # the names the DateDimension prints: "year(d)", "quarter(period_start(p))", "period_end(p)"
    name = dim.name
    word, _, inner = name.partition("(")
    inner = inner[:-1]
    if word in ("period_start", "period_end"):
        start, end = twin_period(row[inner])
        return start if word == "period_start" else end
    if inner.startswith("period_"):
        start, end = twin_period(row[dim.column])
        day = start if inner.startswith("period_start") else end
    else:
        day = row[inner]
    if day is None:
        return None
    return {"year": day.year, "quarter": (day.month - 1) // 3 + 1, "month": day.month}[word]


def twin(rows: list[dict], dims) -> dict:
    """{key: [sum Decimal, count, min, max]} over the rows, one by one."""
    out: dict = {}
    for r in rows:
        keys = tuple(twin_key(r, d) for d in dims)
        key = keys[0] if len(dims) == 1 else keys
        amount = Decimal(r["montant"]) / 100
        if key not in out:
            out[key] = [Decimal(0), 0, amount, amount]
        acc = out[key]
        acc[0] += amount
        acc[1] += 1
        acc[2] = min(acc[2], amount)
        acc[3] = max(acc[3], amount)
    return out


PERIODS = ["2018-01-01_2018-03-31", "2017-03-30/2017-05-24", "08/02/2016", "1965-07-14",
           "1969-12-31_1970-01-01", "2016-06-30_", "_2019-12-31", "  ", None,
           "2012-12-31_2013-01-01", "01/10/1999_31/12/2001"]


def generated_rows(n: int, seed: int, *, bad_label: bool = False) -> list[dict]:
    """Rows with missing dates, dates before 1970 and over several decades, funders with a
    missing one, periods in every dress (and, when asked, one label that is no date)."""
    rnd = random.Random(seed)
    funders = ["CDC", "CR-NPDC", "CG-59", "Département du Nord", "ETAT", None]
    rows = []
    for i in range(n):
        day = None if rnd.random() < 0.1 else (
            dt.date(1960, 1, 1) + dt.timedelta(days=rnd.randrange(0, 70 * 365)))
        period = rnd.choice(PERIODS)
        if bad_label and i % 7 == 3:
            period = "bientot"
        rows.append({"d": day, "f": rnd.choice(funders), "p": period,
                     "montant": rnd.randrange(-10**9, 10**11)})
    return rows


def ledger_of(rows: list[dict]) -> Ledger:
    return Ledger.from_columns({k: [r[k] for r in rows] for k in ("d", "f", "p", "montant")},
                               amount="montant", cents=True)


def materialised(ledger: Ledger, dims) -> "essconv.ledger.Aggregate":
    """The former path: a new ledger holding the derived keys and a copy of the amount, then an
    ordinary group-by on it."""
    derived = Ledger(ledger._core.derive_keys([ledger._key(d) for d in dims]))
    names = [_dim_name(d) for d in dims]
    calendar = [k for k, d in enumerate(dims) if _is_calendar_part(d)]
    return (_CalendarGroupBy(derived, names, calendar) if calendar
            else GroupBy(derived, names)).agg()


def as_twin(agg) -> dict:
    return {k: [Decimal(s) / 100, c, Decimal(lo) / 100, Decimal(hi) / 100]
            for k, (s, c, lo, hi) in agg.cents_by_key().items()}


y, q, m = essconv.year, essconv.quarter, essconv.month
start, end = essconv.period_start, essconv.period_end
DIMS = [
    [y("d")],
    [y("d"), "f"],
    ["f", y("d")],
    [q("d"), "f"],
    [m("d"), y("d")],
    [y(end("p")), "f"],
    [start("p"), "f"],
    [end("p")],
    [q(start("p"))],
    [m("d"), "f", y(end("p"))],
]
IDS = ["+".join(_dim_name(d) for d in dims) for dims in DIMS]


@pytest.mark.parametrize("dims", DIMS, ids=IDS)
def test_derived_keys_read_in_place_equal_the_materialised_path_and_the_twin(dims):
    rows = generated_rows(3000, 14)
    ledger = ledger_of(rows)
    agg = ledger.group_by(*dims).agg()
    old = materialised(ledger, dims)
    assert agg.dims == old.dims == [_dim_name(d) for d in dims]
    # the same groups in the same order, every measure, as the former path gave them
    assert list(agg.cents_by_key().items()) == list(old.cents_by_key().items())
    assert as_twin(agg) == twin(rows, dims)
    assert agg.to_dict("mean") == old.to_dict("mean")


@pytest.mark.parametrize("dims", DIMS, ids=IDS)
def test_a_filtered_ledger_whose_dictionaries_keep_labels_no_row_uses(dims):
    """The filter keeps two funders and the rows of the 1990s: the dictionaries of f and p keep
    every label of the source, "bientot" (no date) among them, in no row kept."""
    rows = generated_rows(4000, 15, bad_label=True)
    ledger = ledger_of(rows)
    with pytest.raises(essconv.ParseError, match=r"row \d+ of 'p'.*bientot"):
        ledger.group_by(y(end("p"))).sum()
    lo, hi = dt.date(1990, 1, 1), dt.date(1999, 12, 31)
    kept = [r for r in rows if r["f"] in ("CDC", "ETAT") and r["d"] is not None
            and lo <= r["d"] <= hi and r["p"] != "bientot"]
    bientot_codes = {i for i, r in enumerate(rows) if r["p"] == "bientot"}
    assert bientot_codes and kept
    filtered = ledger.filter(f={"CDC", "ETAT"}, d=(lo, hi))
    filtered = filtered.filter(p=~essconv.one_of(["bientot"]))
    assert len(filtered) == len(kept)
    assert "bientot" in filtered.dictionary("p")   # a label no row holds stays in the dictionary
    assert "bientot" not in filtered.labels("p")
    agg = filtered.group_by(*dims).agg()
    assert as_twin(agg) == twin(kept, dims)
    assert list(agg.cents_by_key().items()) == list(materialised(filtered, dims).cents_by_key().items())


@pytest.mark.parametrize("kernel", [1, 2], ids=["partitioned-direct", "partitioned-hashed"])
@pytest.mark.parametrize("threads", [1, 2])
@pytest.mark.parametrize("dims", [[y("d"), "f"], [m("d"), "f", y(end("p"))], [start("p"), q("d")]],
                         ids=lambda dims: "+".join(_dim_name(d) for d in dims))
def test_every_kernel_reads_the_view_alike(dims, threads, kernel):
    """The dense kernel and both partitioned ones (forced by the binding's hidden knob), on one
    and two threads: the same groups as the materialised path."""
    rows = generated_rows(2500, 16)
    ledger = ledger_of(rows)
    keys = [ledger._key(d) for d in dims]
    core, dense, used = ledger._core.group_by(keys, minmax=True, threads=threads,
                                              _partitioned=kernel)
    assert not dense and used == threads
    derived = Ledger(ledger._core.derive_keys(keys))
    names = [_dim_name(d) for d in dims]
    old, _, _ = derived._core.group_by([derived._col(n) for n in names], minmax=True)
    assert (Ledger(core).values("sum"), Ledger(core).values("count"), Ledger(core).values("min")) \
        == (Ledger(old).values("sum"), Ledger(old).values("count"), Ledger(old).values("min"))
    for name in names:
        assert Ledger(core).values(name) == Ledger(old).values(name)


def test_dates_centuries_apart_take_the_row_by_row_codes():
    """Dates from year 1 to 9999: the view computes the codes row by row, not a table of every
    day between; the groups still equal the twin's."""
    rnd = random.Random(17)
    rows = [{"d": None if i % 11 == 0 else dt.date(rnd.choice([1, 1969, 1970, 2017, 9999]),
                                                   rnd.randint(1, 12), rnd.randint(1, 28)),
             "f": rnd.choice(["A", "B"]), "p": None, "montant": rnd.randrange(-10**6, 10**6)}
            for i in range(500)]
    ledger = ledger_of(rows)
    for dims in ([y("d")], [m("d"), "f"], ["f", q("d")]):
        agg = ledger.group_by(*dims).agg()
        assert as_twin(agg) == twin(rows, dims)
        assert list(agg.cents_by_key().items()) == list(materialised(ledger, dims).cents_by_key().items())


@pytest.mark.parametrize("rows_dim,columns_dim", [
    (y("d"), "f"), ("f", q("d")), ((y("d"), "f"), m("d")), ((y(end("p")), q("d")), "f")],
    ids=["year-by-f", "f-by-quarter", "year/f-by-month", "year-of-end/quarter-by-f"])
def test_a_pivot_on_derived_keys_equals_the_materialised_pivot(rows_dim, columns_dim):
    rows = generated_rows(1500, 18)
    ledger = ledger_of(rows)
    pivot = ledger.pivot(rows_dim, columns_dim)
    dims = [*(rows_dim if isinstance(rows_dim, tuple) else (rows_dim,)), columns_dim]
    derived = Ledger(ledger._core.derive_keys([ledger._key(d) for d in dims]))
    names = [_dim_name(d) for d in dims]
    old = derived.pivot(tuple(names[:-1]) if len(names) == 3 else names[0], names[-1])
    assert str(pivot) == str(old)
    assert pivot.dimensions == old.dimensions
    assert pivot.total() == sum((Decimal(r["montant"]) / 100 for r in rows), Decimal(0))
    cells = {}
    for r in rows:   # the twin's cells: a missing key reads "(missing)"
        keys = ["(missing)" if (k := twin_key(r, d)) is None else str(k) for d in dims]
        cells[(keys[-2], keys[-1])] = cells.get((keys[-2], keys[-1]), Decimal(0)) + \
            Decimal(r["montant"]) / 100
    if len(dims) == 2:
        for (line, funder), v in cells.items():
            assert pivot.cell(line, funder) == v


def test_the_group_by_copies_no_column():
    """At 2e6 rows the former path wrote a new ledger (derived year codes, a copy of the label
    codes and of the amounts: 16 bytes a row, 32 MB); the group-by now reads the source.  The
    peak resident growth (VmHWM after clearing it) of the group-by, in a fresh process, is under
    a sixth of what the copy needs, and the materialising path, measured in the same process,
    shows the copy."""
    script = textwrap.dedent("""
        import re
        from array import array
        import essconv
        from essconv import Ledger, _core
        n = 2_000_000
        days = array("i", ((i * 7919) % 3650 + 14000 for i in range(n)))
        funders = array("i", (i % 3 for i in range(n)))
        cents = array("q", (i % 100_000 for i in range(n)))
        ledger = Ledger(_core.Ledger.from_arrays(
            ["d", "f", "montant"], [_core.COL_DATE, _core.COL_LABEL, _core.COL_AMOUNT],
            [days, funders, cents], [None, ["CDC", "ETAT", "CR"], None]))
        del days, funders, cents
        def growth(run):
            with open("/proc/self/clear_refs", "w") as fh:
                fh.write("5")
            status = open("/proc/self/status").read()
            before = int(re.search(r"VmRSS:\\s+(\\d+)", status).group(1))
            run()
            status = open("/proc/self/status").read()
            return int(re.search(r"VmHWM:\\s+(\\d+)", status).group(1)) - before
        keys = [ledger._key(essconv.year("d")), ledger._col("f")]
        growth(lambda: ledger.group_by(essconv.year("d"), "f").sum())   # warm
        in_place = growth(lambda: ledger.group_by(essconv.year("d"), "f").sum())
        copied = growth(lambda: ledger._core.derive_keys(keys))
        print(in_place, copied)
    """)
    out = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, check=True)
    in_place, copied = map(int, out.stdout.split())
    copy_kib = 2_000_000 * 16 // 1024
    assert copied > copy_kib // 2, (in_place, copied)   # the measure sees a copy when there is one
    assert in_place < copy_kib // 6, (in_place, copied)
