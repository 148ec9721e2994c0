"""essconv on Dask: a real distributed.LocalCluster with two worker processes (one thread each),
every result compared with the one-process Ledger on the same files and with an independent
csv + Decimal reading."""
from __future__ import annotations

import os
import signal
import time
from concurrent.futures import ThreadPoolExecutor
from decimal import Decimal
from pathlib import Path

import pytest

distributed = pytest.importorskip("distributed")
dask = pytest.importorskip("dask")

import essconv  # noqa: E402
import essconv.dask as edask  # noqa: E402
from conftest import SCDL  # noqa: E402
from scale_data import random_rows, twin, write_csv  # noqa: E402

# one group under pytest-xdist (--dist loadgroup, as the ASan run in .ci/run uses it): the module's
# LocalCluster (two worker processes) is then started once, on one worker, not once on each
pytestmark = [pytest.mark.filterwarnings("ignore::DeprecationWarning"), pytest.mark.xdist_group("dask")]


#: no fixed port, ever: dashboard_address=None only turns the dashboard off, the scheduler still
#: starts its HTTP server (health, metrics) on distributed's default 8787 -- "Port 8787 is
#: already in use" when another run or program holds it.  Its address is given here instead:
#: the loopback, a port the system picks.
NO_FIXED_PORT = dict(dashboard_address=None,
                     scheduler_kwargs={"dashboard": False, "dashboard_address": "127.0.0.1:0"})


@pytest.fixture(scope="module")
def client():
    with distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=True,
                                  memory_limit="1GiB", **NO_FIXED_PORT) as cluster, \
            distributed.Client(cluster) as c:
        yield c


def test_the_test_cluster_binds_no_fixed_port():
    import socket
    import warnings
    with warnings.catch_warnings(record=True) as seen:
        warnings.simplefilter("always")
        with distributed.LocalCluster(n_workers=0, processes=False, **NO_FIXED_PORT) as cluster:
            http = cluster.scheduler.http_server
            # the port the system picked, on the loopback: never the default 8787
            assert http.port != 8787 and http.address == "127.0.0.1"
            # and the ports are the system's each time: a second cluster beside the first
            with distributed.LocalCluster(n_workers=0, processes=False, **NO_FIXED_PORT) as other:
                assert other.scheduler.http_server.port not in (8787, http.port)
                with socket.create_connection(("127.0.0.1", http.port), timeout=5):
                    pass   # it is this cluster's server that listens there
    assert not [w for w in seen if "already in use" in str(w.message)]


@pytest.fixture(scope="module")
def grant_files(tmp_path_factory) -> list[Path]:
    """Seven files; one with an unreadable amount and one with a blank row."""
    folder = tmp_path_factory.mktemp("grants")
    files = []
    for i in range(7):
        rows = random_rows(i, 300 + 50 * i)
        if i == 3:
            rows[10][4] = "12 0x0,00"
        files.append(write_csv(folder / f"grants-{i:02d}.csv", rows,
                               blank_after=5 if i == 5 else None))
    return files


def one_process(files, **kw) -> essconv.Ledger:
    whole = essconv.Ledger.read_csv(files[0], amount="montant", ints=["annee"], **kw)
    for f in files[1:]:
        whole.extend(essconv.Ledger.read_csv(f, amount="montant", ints=["annee"], **kw))
    return whole


def test_group_by_equals_one_process_and_the_independent_twin(client, grant_files):
    folder = grant_files[0].parent
    grants = edask.read_csv(str(folder / "grants-*.csv"), amount="montant", ints=["annee"],
                            bad_rows="collect")
    assert grants.npartitions == 7
    sums, counts, bad, blank = twin(grant_files, ["annee", "financeur"])
    agg = grants.group_by("annee", "financeur").agg()
    assert agg.to_dict("sum") == sums
    assert agg.to_dict("count") == counts
    whole = one_process(grant_files, bad_rows="collect")
    mine = whole.group_by("annee", "financeur").agg()
    for measure in ("sum", "count", "min", "max"):
        assert agg.to_dict(measure) == mine.to_dict(measure)
    assert grants.group_by("ligne").min().to_dict() == whole.group_by("ligne").min().to_dict()
    assert grants.group_by("ligne").max().to_dict() == whole.group_by("ligne").max().to_dict()
    assert grants.group_by("beneficiaire").count().to_dict() == \
        whole.group_by("beneficiaire").count().to_dict()
    assert grants.total() == sum(sums.values()) == whole.total()
    assert len(grants) == len(whole) == sum(counts.values())
    # bad and blank rows: counted across partitions, each with its file and line
    assert [(b.path, b.line) for b in grants.bad_rows] == bad
    assert str(grants.bad_rows[0]).startswith(f"{grant_files[3]}:12:")
    assert grants.blank_rows == blank == 1


def test_hive_directories_of_csv_files_become_columns(client, tmp_path):
    """A dataset laid out as ``annee=2011/financeur=CDC/part-0.csv`` (the values only in the
    directory names): a directory, or a glob, reads it with those columns."""
    rows = random_rows(21, 600)
    header = "ligne;beneficiaire;montant"
    by_dir: dict = {}
    for r in rows:
        by_dir.setdefault((r[0], r[1]), []).append(";".join(r[2:]))
    for (year, funder), lines in by_dir.items():
        folder = tmp_path / "ds" / f"annee={year}" / f"financeur={funder}"
        folder.mkdir(parents=True)
        half = len(lines) // 2
        for k, part in enumerate((lines[:half], lines[half:])):
            (folder / f"part-{k}.csv").write_text("\n".join([header] + part) + "\n", encoding="utf-8")
    (tmp_path / "ds" / "_SUCCESS").write_text("")
    # a dataset written by pyarrow escapes its directory names: read back as the labels they are
    escaped = tmp_path / "ds" / "annee=2014" / "financeur=R%C3%A9gion%20Nord"
    escaped.mkdir(parents=True)
    (escaped / "part-0.csv").write_text(header + "\nDLA;Association;1,05\n", encoding="utf-8")
    rows.append(["2014", "Région Nord", "DLA", "Association", "1,05"])
    by_dir[("2014", "Région Nord")] = [""]
    sums, counts, _, _ = twin([write_csv(tmp_path / "all.csv", rows)], ["annee", "financeur"])
    for source in (tmp_path / "ds", str(tmp_path / "ds" / "annee=*" / "*" / "*.csv")):
        grants = edask.read_csv(source, amount="montant")
        assert grants.npartitions == 2 * len(by_dir) - 1
        agg = grants.group_by("annee", "financeur").agg()
        assert agg.to_dict("sum") == sums and agg.to_dict("count") == counts
        assert grants.kinds["annee"] == "int" and grants.kinds["financeur"] == "label"


def test_filter_pivot_and_persist_equal_one_process(client, grant_files):
    grants = edask.read_csv(grant_files, amount="montant", ints=["annee"],
                            bad_rows="collect").persist()
    whole = one_process(grant_files, bad_rows="collect")
    cond = {"annee": range(2010, 2013), "financeur": {"CDC", "Région Hauts-de-France"}}
    assert grants.filter(**cond).group_by("ligne", "annee").sum().to_dict() == \
        whole.filter(**cond).group_by("ligne", "annee").sum().to_dict()
    assert grants.filter(montant=(Decimal(0), None)).total() == \
        whole.filter(montant=(Decimal(0), None)).total()
    pivot = grants.pivot(rows=("annee", "ligne"), columns="financeur")
    expected = whole.pivot(rows=("annee", "ligne"), columns="financeur")
    assert sorted(pivot.cells()) == sorted(expected.cells())
    assert pivot.by_funder() == expected.by_funder() and pivot.total() == expected.total()
    gathered = grants.compute()
    assert gathered.total() == whole.total() and len(gathered) == len(whole)
    assert [(b.path, b.line) for b in gathered.bad_rows] == [(b.path, b.line) for b in grants.bad_rows]


def test_bad_rows_from_the_partitions_are_worded_in_the_listing_s_language(client, grant_files):
    from essconv.messages import language
    grants = edask.read_csv(grant_files, amount="montant", ints=["annee"], bad_rows="collect")
    single = essconv.Ledger.read_csv(grant_files[3], amount="montant", ints=["annee"],
                                     bad_rows="collect")
    fr, en = language("fr"), language("en")
    # the reason crossed the worker processes: a French listing words it as for one file
    for rows in (grants.bad_rows, grants.persist().compute().bad_rows):
        assert [fr.problem(b) for b in rows] == [fr.problem(b) for b in single.bad_rows]
        assert [en.problem(b) for b in rows] == [b.message for b in single.bad_rows]
    said = fr.problem(grants.bad_rows[0])
    assert "n'est pas un montant" in said and "is not" not in said and "column" not in said


def test_a_bad_file_raises_on_the_client_with_its_place(client, grant_files):
    grants = edask.read_csv(grant_files, amount="montant", ints=["annee"])
    with pytest.raises(essconv.ParseError) as caught:
        grants.total()
    assert caught.value.path == str(grant_files[3]) and caught.value.line == 12


def test_sums_past_int64_cents_across_partitions_are_an_error_not_a_wrap(client, tmp_path):
    huge = "50 000 000 000 000 000,00"   # half of int64 cents: two of them overflow
    files = [write_csv(tmp_path / f"h{i}.csv", [["2010", "CDC", "DLA", "A", huge]]) for i in range(2)]
    grants = edask.read_csv(files, amount="montant", ints=["annee"])
    with pytest.raises(essconv.MoneyOverflowError):
        grants.total()
    with pytest.raises(essconv.MoneyOverflowError):
        grants.group_by("financeur").sum()


# Vendée's unquoted amounts are put back with a warning its own test checks (test_scdl.py)
@pytest.mark.filterwarnings("ignore::essconv.errors.RepairedRowsWarning")
def test_scdl_files_bad_and_blank_rows_with_their_files(client):
    files = sorted(SCDL.glob("*.csv"))
    grants = edask.read_scdl([str(f) for f in files])
    singles = [essconv.read_scdl(f) for f in files]
    assert grants.total() == sum((l.total() for l in singles), Decimal(0))
    assert grants.blank_rows == sum(l.blank_rows for l in singles)
    expected = [(str(f), p.line, p.column) for f, l in zip(files, singles) for p in l.bad_rows]
    assert [(b.path, b.line, b.column) for b in grants.bad_rows] == expected
    assert expected   # the invalid example has unreadable amounts: the check is not vacuous
    combined = singles[0].group_by("nomAttribuant").sum()
    for l in singles[1:]:
        combined = combined + l.group_by("nomAttribuant").sum()
    assert grants.group_by("nomAttribuant").sum().to_dict() == combined.to_dict()


def test_execution_of_a_dask_ledger_equals_the_one_process_execution(client, tmp_path):
    conv = essconv.default()
    plan = conv.plan(2009)
    header = "nomAttribuant;dispositifAide;dateConvention;montant"
    funders = ["CDC", "Région", "DRTEFP", "Inconnu SA"]
    for i in range(4):
        lines = [header] + [f"{funders[(i + j) % 4]};{plan.lines[j % len(plan.lines)]};"
                            f"{2008 + (j % 3)}-0{1 + j % 9}-1{j % 10};{1000 * j + i},{j % 100:02d}"
                            for j in range(60)]
        (tmp_path / f"paid-{i}.csv").write_text("\n".join(lines) + "\n", encoding="utf-8")
    files = sorted(tmp_path.glob("paid-*.csv"))
    kw = dict(amount="montant", dates=["dateConvention"])
    grants = edask.read_csv(files, **kw)
    whole = essconv.Ledger.read_csv(files[0], **kw)
    for f in files[1:]:
        whole.extend(essconv.Ledger.read_csv(f, **kw))
    mine, expected = conv.execution(2009, grants), conv.execution(2009, whole)
    assert mine.paid == expected.paid and mine.planned == expected.planned
    key = lambda u: (u.funder or "", u.line or "")
    assert sorted(mine.unmapped, key=key) == sorted(expected.unmapped, key=key)
    assert mine.total_paid > 0 and mine.unmapped


def test_parquet_dataset_partitioned_by_year(client, grant_files, tmp_path):
    whole = one_process(grant_files, bad_rows="collect")
    whole.to_parquet(tmp_path / "ds", partition_by=["annee"])
    grants = edask.read_parquet(tmp_path / "ds", amount="montant")
    assert grants.npartitions == 5   # one file per year
    sums, counts, _, _ = twin(grant_files, ["annee", "ligne"])
    assert grants.group_by("annee", "ligne").sum().to_dict() == sums
    assert grants.group_by("annee", "ligne").count().to_dict() == counts
    assert grants.kinds["annee"] == "int"


def test_from_dask_dataframe_through_arrow(client, grant_files):
    pd = pytest.importorskip("pandas")
    dd = pytest.importorskip("dask.dataframe")
    frame = one_process(grant_files, bad_rows="collect").to_pandas()
    frame["financeur"] = frame["financeur"].astype(str)
    frame["cents"] = [int(v * 100) for v in frame["montant"]]
    ddf = dd.from_pandas(frame.drop(columns=["montant", "ligne", "beneficiaire"]), npartitions=4)
    grants = edask.from_dask_dataframe(ddf, amount="cents", cents=True)
    assert grants.npartitions == 4
    sums, _, _, _ = twin(grant_files, ["financeur"])
    assert grants.group_by("financeur").sum().to_dict() == sums
    floats = dd.from_pandas(pd.DataFrame({"f": ["a", "b"], "m": [1.5, 2.25]}), npartitions=1)
    with pytest.raises(essconv.AmountTypeError, match="never floats"):
        edask.from_dask_dataframe(floats, amount="m").total()


def test_a_frame_of_decimal_amounts_through_dask_reads_to_the_cent(client, grant_files):
    """Dask turns a pandas column of Decimal objects into text (its default
    ``dataframe.convert-string``): ``ledger.to_pandas()`` handed to ``dd.from_pandas`` and
    ``from_dask_dataframe`` was refused ("the column 'montant' has the Arrow format 'U', which
    a ledger cannot hold"), the round trip the README's Decimal amounts promise.  The text,
    each Decimal printed, is read by the CSV money parser, exactly; a text no amount reads is
    refused at its row, naming the column."""
    pd = pytest.importorskip("pandas")
    dd = pytest.importorskip("dask.dataframe")
    ledger = one_process(grant_files, bad_rows="collect")
    frame = ledger.to_pandas()
    frame["financeur"] = frame["financeur"].astype(str)
    ddf = dd.from_pandas(frame[["annee", "financeur", "montant"]], npartitions=4)
    assert str(ddf.dtypes["montant"]) != "object"   # dask made the Decimals text
    grants = edask.from_dask_dataframe(ddf, amount="montant")
    assert grants.npartitions == 4
    sums, _, _, _ = twin(grant_files, ["financeur"])
    assert grants.group_by("financeur").sum().to_dict() == sums
    assert grants.kinds["montant"] == "amount" and grants.total() == ledger.total()
    # a Decimal printed has a decimal point: 12.500 is twelve and a half, as its Decimal
    point = pd.DataFrame({"f": ["a", "b"], "m": [Decimal("12.500"), Decimal("1")]})
    assert edask.from_dask_dataframe(dd.from_pandas(point, npartitions=1), amount="m"
                                     ).total() == Decimal("12.500") + Decimal("1")
    bad = pd.DataFrame({"f": ["a", "b", "c"], "m": ["1.50", "douze", "3"]}, dtype="string")
    with pytest.raises(essconv.ParseError) as caught:
        edask.from_dask_dataframe(dd.from_pandas(bad, npartitions=1), amount="m").total()
    assert (caught.value.line, caught.value.column) == (2, 2)
    assert "'douze'" in str(caught.value)


def _slow_read(args):
    """A partition that takes a while to read, and leaves a mark each time it starts."""
    path, marks = args
    with open(marks, "a") as fh:
        fh.write(f"{path}\n")
    time.sleep(0.6)
    return essconv.Ledger.read_csv(path, amount="montant", ints=["annee"], bad_rows="collect")


def test_a_worker_killed_mid_computation_is_retried_and_the_result_is_exact(client, grant_files, tmp_path):
    marks = tmp_path / "marks.txt"
    marks.touch()
    grants = edask.from_map(_slow_read, [(str(f), str(marks)) for f in grant_files])
    client.wait_for_workers(2, timeout=60)
    pids = client.run(os.getpid)
    with ThreadPoolExecutor(1) as pool:
        running = pool.submit(lambda: grants.group_by("annee", "financeur").agg())
        deadline = time.monotonic() + 60
        while len(marks.read_text().splitlines()) < 3 and time.monotonic() < deadline:
            time.sleep(0.05)
        victim = next(w for w, tasks in client.processing().items() if tasks and w in pids)
        os.kill(pids[victim], signal.SIGKILL)     # the worker dies with a partition in hand
        agg = running.result(timeout=120)
    started = marks.read_text().splitlines()
    assert len(started) > len(grant_files)       # some partition was read again elsewhere
    sums, counts, _, _ = twin(grant_files, ["annee", "financeur"])
    assert agg.to_dict("sum") == sums and agg.to_dict("count") == counts
    client.wait_for_workers(2, timeout=60)       # the nanny brings the worker back


def test_without_a_cluster_dask_local_threads_give_the_same_result(grant_files):
    import dask
    with dask.config.set(scheduler="threads"):
        grants = edask.read_csv(grant_files, amount="montant", ints=["annee"], bad_rows="collect")
        sums, counts, _, _ = twin(grant_files, ["ligne"])
        assert grants.group_by("ligne").sum().to_dict() == sums
        assert grants.group_by("ligne").count().to_dict() == counts


def _hive(base, layout):
    for folder, rows in layout.items():
        (base / folder).mkdir(parents=True, exist_ok=True)
        (base / folder / "f.csv").write_text("nom;montant\n" + rows, encoding="utf-8")
    return base


def test_hive_values_are_typed_over_every_directory_and_lose_nothing(tmp_path):
    """``dep=01`` was read as the int 1, and ``dep=01`` beside ``dep=2A`` (an int column in one
    partition, a label column in the other) or ``dep=--5`` raised a bare TypeError/ValueError:
    a column is int only when every directory value is a plain int, else labels."""
    import dask
    base = _hive(tmp_path / "ds", {"dep=01/annee=2017": "a;10,00\nb;20,00\n",
                                    "dep=2A/annee=2018": "a;1,00\n",
                                    "dep=--5/annee=-3": "c;2,00\n",
                                    "dep=__HIVE_DEFAULT_PARTITION__/annee=2017": "d;4,00\n"})
    with dask.config.set(scheduler="sync"):
        grants = edask.read_csv(base, amount="montant")
        assert grants.kinds == {"nom": "label", "montant": "amount", "dep": "label", "annee": "int"}
        assert grants.group_by("dep").sum().to_dict() == \
            {"01": Decimal(30), "2A": Decimal(1), "--5": Decimal(2), None: Decimal(4)}
        assert grants.group_by("annee").sum().to_dict() == \
            {2017: Decimal(34), 2018: Decimal(1), -3: Decimal(2)}
        whole = grants.compute()
        assert whole.group_by("dep", "annee").sum().to_dict() == \
            grants.group_by("dep", "annee").sum().to_dict()
        # only zeros-led values: still labels, the zero kept
        zeros = edask.read_csv(_hive(tmp_path / "z", {"dep=01": "a;1,00\n", "dep=09": "b;2,00\n"}),
                               amount="montant")
        assert zeros.group_by("dep").sum().to_dict() == {"01": Decimal(1), "09": Decimal(2)}


def test_dask_reads_an_essconv_dataset_with_the_ledgers_kinds(tmp_path):
    import datetime as dt
    import dask
    pytest.importorskip("pyarrow")
    ledger = essconv.Ledger.from_columns({
        "montant": [Decimal(10), Decimal(20), Decimal(30)], "dep": ["01", "09", "2A"],
        "signee": [dt.date(2017, 3, 1), dt.date(2017, 3, 1), dt.date(2018, 1, 2)],
    }, amount="montant")
    ledger.to_parquet(tmp_path / "ds", partition_by=["dep", "signee"])
    with dask.config.set(scheduler="sync"):
        grants = edask.read_parquet(tmp_path / "ds", amount="montant")
        assert grants.kinds == ledger.kinds
        assert grants.group_by("dep", "signee").sum().to_dict() == \
            ledger.group_by("dep", "signee").sum().to_dict()


def test_date_dimensions_in_dask_equal_one_process(tmp_path):
    """group_by on a date dimension with nothing left after a filter raised a bare TypeError
    (in memory: {}); pivot refused date dimensions (it looked for the date column in the
    aggregate, whose key column is named "year(dateConvention)")."""
    import datetime as dt
    import dask
    import warnings
    path = SCDL / "lot-2017-subventions.csv"
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        whole = essconv.read_scdl(path)
        grants = edask.read_scdl([path, path])
        twice = essconv.read_scdl(path)
        twice.extend(essconv.read_scdl(path))
        nothing = (dt.date(2017, 1, 1), dt.date(2017, 6, 30))   # no record in this range
        with dask.config.set(scheduler="sync"):
            for dim in (essconv.month("dateConvention"), essconv.year("dateConvention"),
                        essconv.period_start("datesPeriodeVersement")):
                empty = grants.filter(dateConvention=nothing).group_by(dim).sum()
                assert empty.to_dict() == whole.filter(dateConvention=nothing).group_by(dim).sum().to_dict() == {}
                assert empty.dims == [dim.name]
            for rows, columns in [(essconv.year("dateConvention"), "nature"),
                                  ("nature", essconv.month("dateConvention")),
                                  ((essconv.year("dateConvention"), "nomAttribuant"), "nature"),
                                  (essconv.period_start("datesPeriodeVersement"), "nature")]:
                mine, one = grants.pivot(rows, columns), twice.pivot(rows, columns)
                assert (mine.lines, mine.funders, mine.total(), mine.dimensions) == \
                    (one.lines, one.funders, one.total(), one.dimensions)
                assert str(mine) == str(one)



def test_min_and_max_of_a_filter_that_keeps_no_row_equal_one_process():
    """A filter no partition has a row for, then min(), max() or agg(): {} as in one process,
    never "measure 'min' is none of this aggregate's" (the empty result had only sums)."""
    import datetime as dt
    import dask
    import warnings
    path = SCDL / "lot-2017-subventions.csv"
    nothing = (dt.date(2017, 1, 1), dt.date(2017, 6, 30))   # no record in this range
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        whole = essconv.read_scdl(path).filter(dateConvention=nothing)
        grants = edask.read_scdl([path, path]).filter(dateConvention=nothing)
        with dask.config.set(scheduler="sync"):
            for measure in ("min", "max", "agg"):
                mine = getattr(grants.group_by("nature"), measure)()
                one = getattr(whole.group_by("nature"), measure)()
                assert mine.to_dict() == one.to_dict() == {}
                assert mine.to_ledger().columns == one.to_ledger().columns
                assert mine.to_dict("min") == {}

def test_a_filters_date_two_files_read_in_two_orders_is_refused_not_summed(client, tmp_path):
    # one file's dates are month first (03/25/2017), the other's day first (25/03/2017): each
    # partition read the filter's '04/05/2017' in its own order, and the sum silently added
    # 5 April from the first to 4 May from the second
    head = "nomAttribuant;idAttribuant;dateConvention;nomBeneficiaire;objet;montant\n"
    (tmp_path / "a.csv").write_text(head + "R;1;03/25/2017;A;O;1,00\nR;1;04/05/2017;A;O;10,00\n")
    (tmp_path / "b.csv").write_text(head + "R;1;25/03/2017;B;O;100,00\nR;1;04/05/2017;B;O;1000,00\n")
    one = [essconv.read_scdl(tmp_path / name) for name in ("a.csv", "b.csv")]
    assert [o.date_orders["dateConvention"] for o in one] == ["mdy", "dmy"]
    grants = edask.read_scdl(str(tmp_path / "*.csv"))
    for value in ("04/05/2017", ("04/05/2017", "2017-12-31"), ["04/05/2017"]):
        with pytest.raises(essconv.ConditionError, match=r"04/05/2017.*2017-05-04.*2017-04-05"):
            grants.filter(dateConvention=value)
    # the one-process ledger of both files refuses it too
    both = essconv.read_scdl(tmp_path / "a.csv")
    both.extend(one[1])
    with pytest.raises(essconv.ConditionError):
        both.filter(dateConvention="04/05/2017")
    # written as one reading alone, each file's own rows are kept, as one process keeps them
    for value in ("2017-04-05", "03/25/2017", ("2017-04-01", "2017-04-30")):
        assert grants.filter(dateConvention=value).total() == sum(
            o.filter(dateConvention=value).total() for o in one), value
    # files that agree on the order read it as one process does
    agree = edask.read_scdl(str(tmp_path / "a.csv"))
    assert agree.filter(dateConvention="04/05/2017").total() == one[0].filter(
        dateConvention="04/05/2017").total() == Decimal("10.00")


def test_a_column_one_file_lacks_is_refused_naming_that_file(client):
    # the Somme files have a column 'type' the Lot file has not: the refusal listed one
    # partition's columns, the columns of some file, without saying which
    files = [str(SCDL / "somme-2017-conventions.csv"), str(SCDL / "lot-2017-subventions.csv")]
    assert "type" in essconv.read_scdl(files[0]).columns
    assert "type" not in essconv.read_scdl(files[1]).columns
    grants = edask.read_scdl(files)
    for verb in (lambda g: g.group_by("type").sum(), lambda g: g.filter(type="investissement").total(),
                 lambda g: g.group_by("nomAttribuant", "type").count()):
        with pytest.raises(essconv.UnknownColumnError) as refused:
            verb(grants)
        assert files[1] in str(refused.value) and files[0] not in str(refused.value)
        assert refused.value.reason[:2] == ("no-column", "type")


def _warned(func):
    import warnings
    with warnings.catch_warnings(record=True) as seen:
        warnings.simplefilter("always")
        result = func()
    return result, [(w.category, str(w.message), w.message.path, w.message.line, w.message.column)
                    for w in seen if issubclass(w.category, essconv.EssconvWarning)]


def test_the_workers_reading_warnings_are_given_on_the_client_once_each(client, tmp_path):
    """A mixed encoding or rows put back, said by read_scdl on a worker, stayed in the worker's
    process: the client summed the files without a word.  Each comes back with the results
    and is given on the client as the one-file reader gives it (file, line, column), once."""
    mixed = tmp_path / "mixed.csv"
    mixed.write_bytes("nom;montant\nCaisse des Dépôts;10,00\n".encode("utf-8")
                      + "Région;2,50\n".encode("cp1252"))
    files = [str(SCDL / "vendee-2019-03-subventions.csv"), str(mixed),
             str(SCDL / "lot-2017-subventions.csv")]
    alone = []
    for f in files[:1]:
        alone += _warned(lambda: essconv.read_scdl(f))[1]
    alone += _warned(lambda: essconv.Ledger.read_csv(mixed, amount="montant"))[1]
    kinds = {w[0] for w in alone}
    assert kinds == {essconv.errors.RepairedRowsWarning, essconv.errors.MixedEncodingWarning}

    scdl_grants = edask.read_scdl([files[0], files[2]])
    csv_grants = edask.read_csv([str(mixed)], amount="montant")
    total, said = _warned(scdl_grants.total)
    assert total == sum((_warned(lambda: essconv.read_scdl(f))[0].total() for f in files[::2]),
                        Decimal(0))
    _, said_csv = _warned(csv_grants.group_by("nom").sum)
    assert said + said_csv == alone
    # once each for the dataset: a second verb, or a filter of it, reads again but says nothing
    # of the reading (the filter's label "x", which no partition holds, is said, once)
    assert _warned(scdl_grants.total)[1] == []
    filtered = _warned(lambda: len(scdl_grants.filter(nomAttribuant="x")))[1]
    assert [kind for kind, *_ in filtered] == [essconv.UnknownLabelWarning]
    # persisted: the reading's warnings travel with the kept partitions
    kept = edask.read_csv([str(mixed)], amount="montant").persist()
    assert _warned(lambda: len(kept))[1] == said_csv


def test_partitions_read_at_once_by_threads_keep_their_own_warnings(tmp_path):
    """Dask's threads scheduler runs partitions side by side in one process, where the
    warnings module's filters and recorder are one state for every thread: a partition that
    recorded its warnings by swapping that state took the warnings of the partitions read
    beside it (one partition said them all, the others nothing) and, leaving in another order
    than it entered, left the recorder of a finished partition in place for the whole process,
    so that warnings given afterwards reached no one.  Four partitions are held inside their
    reading at once (a barrier) to make the overlap certain."""
    import threading
    import warnings
    files = []
    for k in range(4):
        mixed = tmp_path / f"mixed-{k}.csv"
        mixed.write_bytes(f"nom;montant\nCaisse des Dépôts {k};10,00\n".encode("utf-8")
                          + f"Région {k};2,50\n".encode("cp1252"))
        files.append(str(mixed))
    # the slow obvious twin: each file read alone, in this thread, its warnings recorded here
    alone = {f: _warned(lambda f=f: essconv.Ledger.read_csv(f, amount="montant"))[1] for f in files}
    assert all(len(said) == 1 and said[0][0] is essconv.errors.MixedEncodingWarning
               for said in alone.values())
    together = threading.Barrier(len(files))

    def read_beside_the_others(path):
        together.wait(timeout=60)   # every partition inside its reading before any warns
        return essconv.Ledger.read_csv(path, amount="montant")

    filters_before = list(warnings.filters)
    recorder_before = (warnings.showwarning, warnings._showwarnmsg_impl)
    with dask.config.set(scheduler="threads", num_workers=len(files)):
        grants = edask.from_map(read_beside_the_others, files).persist()
        kept = [part.said for part in dask.compute(*grants.to_delayed())]
    # each partition carries the warnings of its own file, and none of another's
    assert [[(type(w), str(w), w.path, w.line, w.column) for w in said] for said in kept] == \
        [alone[f] for f in files]
    # the process's warnings state is as it was: a warning given now is shown as before
    assert list(warnings.filters) == filters_before
    assert (warnings.showwarning, warnings._showwarnmsg_impl) == recorder_before
    with dask.config.set(scheduler="threads", num_workers=len(files)):
        together.reset()
        # filtered on a label one partition holds: the three others' missing label is no
        # warning (the dataset holds it), their reading's warnings are
        total, said = _warned(edask.from_map(read_beside_the_others, files)
                              .filter(nom="Région 0").total)
    assert total == Decimal("2.50")
    assert sorted(said) == sorted(w for f in files for w in alone[f])


def test_a_partitions_warning_points_at_the_analysts_line(tmp_path):
    """A worker's warning given on the client was placed a fixed number of calls above the
    gathering: at the line of the verb for ``total()``, but inside essconv
    (``essconv/dask.py:608``) for ``group_by(...).sum()``, ``columns`` or ``bad_rows``, and
    past the analyst's line for ``compute()``.  Each verb's warning is placed at the line that
    called it."""
    import inspect
    import warnings
    mixed = tmp_path / "mixed.csv"
    mixed.write_bytes("nom;montant\nCaisse des Dépôts;10,00\n".encode("utf-8")
                      + "Région;2,50\n".encode("cp1252"))
    verbs = {"total": lambda g: g.total(), "sum": lambda g: g.group_by("nom").sum(),
             "count": lambda g: g.group_by("nom").count(), "len": len,
             "columns": lambda g: g.columns, "bad_rows": lambda g: g.bad_rows,
             "compute": lambda g: g.compute()}
    for name, verb in verbs.items():
        grants = edask.read_csv([str(mixed)], amount="montant")
        with warnings.catch_warnings(record=True) as said, dask.config.set(scheduler="sync"):
            warnings.simplefilter("always")
            here = inspect.currentframe().f_lineno + 1   # the twin: this test's own next line
            verb(grants)
        placed = [(w.filename, w.lineno) for w in said
                  if issubclass(w.category, essconv.errors.MixedEncodingWarning)]
        # the verb's lambda (its line in the dict above) called essconv; len is no Python
        # frame of its own, so it is this line
        line = here if verb is len else verb.__code__.co_firstlineno
        assert placed == [(__file__, line)], (name, placed)


def test_many_labels_no_partition_holds_are_said_a_few_then_counted(client, tmp_path):
    """A filter naming many labels the files lack: a one-process ledger says the first few and
    counts the others in one warning; a Dask ledger says the same, whichever partitions lack
    them, and counts none that a partition holds."""
    texts = ["nom;montant\n" + "".join(f"Asso {k};1\n" for k in range(10)),
             "nom;montant\n" + "".join(f"Club {k};2\n" for k in range(10))]
    files = []
    for k, text in enumerate(texts):
        path = tmp_path / f"part-{k}.csv"
        path.write_text(text, encoding="utf-8")
        files.append(str(path))
    whole = essconv.Ledger.read_csv("".join([texts[0], texts[1].split("\n", 1)[1]]).encode(),
                                    amount="montant")
    absent = [f"Zq{k}x{k * 7}" for k in range(12)]   # close to no label held
    asked = absent + ["Asso 3", "Club 4"]           # each held by one partition only

    def unknown(said):
        return [message for kind, message, *_ in said if kind is essconv.UnknownLabelWarning]

    expected_total, expected = _warned(lambda: whole.filter(nom=asked).total())
    grants = edask.read_csv(files, amount="montant")
    total, said = _warned(lambda: grants.filter(nom=asked).total())
    assert total == expected_total == 3
    said_first = essconv.ledger.UNKNOWN_LABELS_SAID
    assert unknown(said) == unknown(expected)
    assert len(unknown(expected)) == said_first + 1
    assert unknown(expected)[-1] == (f"nom: {len(absent) - said_first} more labels no row "
                                     f"holds ({', '.join(repr(a) for a in absent[said_first:said_first + 3])}"
                                     f", ...); they select no row")


def test_a_filters_label_no_partition_holds_is_said_once_as_one_process_says_it(client, tmp_path):
    """A filter on a label no file holds ("Caisse des depots" for "Caisse des Dépôts") summed
    to 0 without a word on a Dask ledger, where a one-process ledger of the same records and
    the command line's ``--where`` say it: each partition kept its UnknownLabelWarning to
    itself, since one partition lacking a label says nothing of the others.  The client says
    it once every partition lacks it, in the one-process ledger's words; a label one
    partition holds stays unsaid."""
    texts = ["nom;montant\nRégion 0;10,00\nCaisse des Dépôts;2,50\n",
             "nom;montant\nRégion 1;1,00\nDépartement du Nord;abc\n",   # a row set aside
             "nom;montant\n"]                                            # a partition of no row
    files = []
    for k, text in enumerate(texts):
        path = tmp_path / f"part-{k}.csv"
        path.write_text(text, encoding="utf-8")
        files.append(str(path))
    # the twin: one ledger of every record, read in this process
    whole = essconv.Ledger.read_csv(("nom;montant\n" + "".join(t.split("\n", 1)[1] for t in texts)
                                     ).encode(), amount="montant", bad_rows="collect")

    def unknown(said):
        return [message for kind, message, *_ in said if kind is essconv.UnknownLabelWarning]

    for value in ("Caisse des depots", "Département du Nord", "Région 1",
                  essconv.one_of(["Regio 0", "Région 0"])):
        expected_total, expected = _warned(lambda: whole.filter(nom=value).total())
        grants = edask.read_csv(files, amount="montant", bad_rows="collect")
        total, said = _warned(lambda: grants.filter(nom=value).total())
        assert total == expected_total, value
        assert unknown(said) == unknown(expected), value
        # said once for the dataset: another verb, or a filter gathered whole, says nothing more
        _, again = _warned(lambda: grants.filter(nom=value).group_by("nom").sum())
        _, gathered = _warned(lambda: grants.filter(nom=value).compute())
        assert unknown(again) == unknown(gathered) == [], value
    assert unknown(expected) and "Regio 0" in unknown(expected)[0]   # the twin did say it
    # the first partition alone (the columns are learnt from it) lacks a label the others
    # hold: nothing to say, before or after
    other = edask.read_csv(files, amount="montant", bad_rows="collect").filter(nom="Région 1")
    assert _warned(lambda: other.columns)[1] == []
    assert _warned(lambda: len(other))[1] == [] and len(other) == 1


def test_a_year_given_as_an_int_on_a_column_of_text_is_said_as_one_process_says_it(client,
                                                                                  tmp_path):
    """Years read as text: an int or a range of them no row holds summed 0 without a word.  A
    Dask ledger says it as a one-process ledger of the same records does: once every
    partition lacks it, a range only when no partition holds any of its years."""
    texts = ["annee;montant\n2017;10,00\n", "annee;montant\n2018;1,00\n2020;2,00\n"]
    files = []
    for k, text in enumerate(texts):
        path = tmp_path / f"part-{k}.csv"
        path.write_text(text, encoding="utf-8")
        files.append(str(path))
    whole = essconv.Ledger.read_csv(("annee;montant\n" + "".join(t.split("\n", 1)[1]
                                                                  for t in texts)).encode(),
                                    amount="montant")
    assert whole.kinds["annee"] == "label"

    def unknown(said):
        return [message for kind, message, *_ in said if kind is essconv.UnknownLabelWarning]

    for value in (2019, {2017, 2030}, range(2021, 2023), range(2016, 2019), 2018,
                  range(2019, 2021)):
        expected_total, expected = _warned(lambda: whole.filter(annee=value).total())
        grants = edask.read_csv(files, amount="montant")
        total, said = _warned(lambda: grants.filter(annee=value).total())
        assert total == expected_total and unknown(said) == unknown(expected), value
    assert unknown(_warned(lambda: whole.filter(annee=range(2021, 2023)).total())[1]) == \
        ["annee: no label from '2021' to '2022'; it selects no row"]


@pytest.mark.parametrize("files", [3, None, [3], ("a.csv", 1), {"a.csv"}], ids=repr)
def test_files_that_are_no_paths_are_refused_as_an_essconv_error(files):
    # read_scdl(3) escaped as a bare TypeError ("'int' object is not iterable")
    for read in (lambda: essconv.dask.read_scdl(files),
                 lambda: essconv.dask.read_csv(files, amount="montant")):
        with pytest.raises(essconv.ArgumentTypeError, match="a path, a glob, a directory"):
            read()


#: int64 cents' largest amount: two of them pass int64, a third of the opposite sign comes back
_TOP_CENTS = 2**63 - 1


def _one_line(cents):
    """A partition of one record for "A" (``cents``) and one of 0,05 € for "B"."""
    from array import array
    return essconv.Ledger.from_columns({"f": ["A", "B"], "m": array("q", [cents, 5])},
                                       amount="m", cents=True)


def _one_process_of(parts):
    whole = _one_line(parts[0])
    for cents in parts[1:]:
        whole.extend(_one_line(cents))
    return whole


@pytest.mark.parametrize("parts", [[_TOP_CENTS, _TOP_CENTS, -_TOP_CENTS],
                                   [_TOP_CENTS, -_TOP_CENTS, _TOP_CENTS],
                                   [_TOP_CENTS] * 8 + [-_TOP_CENTS] * 7])
def test_partials_whose_running_sum_passes_int64_give_the_one_process_sums(parts):
    """The one-process group-by adds modulo 2^64 and counts its wraps: a sum that passes int64
    on the way and comes back is exact.  The partials were added two by two and each pair had
    to fit, so the same partitions gave the sum or a MoneyOverflowError by their order alone
    (and 15 of them always refused: the reduction tree's first task adds eight)."""
    import dask
    whole = _one_process_of(parts).group_by("f")
    with dask.config.set(scheduler="sync"):
        grants = edask.from_map(_one_line, parts).group_by("f")
        assert grants.sum().to_dict() == whole.sum().to_dict() == \
            {"A": Decimal("92233720368547758.07"), "B": Decimal("0.05") * len(parts)}
        for measure in ("count", "min", "max", "mean"):
            assert getattr(grants, measure)().to_dict() == getattr(whole, measure)().to_dict()


def test_partition_totals_whose_running_sum_passes_int64_give_the_one_process_total():
    """As a group's sum: the one-process total adds modulo 2^64 and counts its wraps; a tree
    task summing eight partitions' totals refused what the whole ledger's total gives."""
    import dask
    parts = [_TOP_CENTS] * 8 + [-_TOP_CENTS] * 8
    with dask.config.set(scheduler="sync"):
        assert edask.from_map(_one_line, parts).total() == _one_process_of(parts).total() == \
            Decimal("0.80")


def test_partials_past_int64_when_all_are_added_are_still_an_error():
    """Exact partials never make a sum past int64 a number: refused where it is asked for,
    whatever the order the partitions come in."""
    import dask
    with dask.config.set(scheduler="sync"):
        for parts in ([_TOP_CENTS, 1, -1, _TOP_CENTS], [_TOP_CENTS] * 9):
            grants = edask.from_map(_one_line, parts)
            with pytest.raises(essconv.MoneyOverflowError):
                grants.group_by("f").sum()
            with pytest.raises(essconv.MoneyOverflowError):
                grants.total()


def test_a_year_no_partition_holds_is_said_once_with_the_range_of_them_all(client, tmp_path):
    """``filter(annee=2011)`` on years no file holds is said as a one-process ledger of the
    files says it, with the range of every partition; a year one partition holds and a
    partition of no row say nothing."""
    texts = ["annee;montant\n2009;10,00\n", "annee;montant\n2010;2,50\n2012;1,00\n",
             "annee;montant\n"]
    files = []
    for k, text in enumerate(texts):
        path = tmp_path / f"part-{k}.csv"
        path.write_text(text, encoding="utf-8")
        files.append(str(path))
    whole = essconv.Ledger.read_csv(("annee;montant\n" + "".join(t.split("\n", 1)[1]
                                                                  for t in texts)).encode(),
                                    amount="montant", ints=["annee"])

    def nothing(said):
        return [message for kind, message, *_ in said if kind is essconv.NothingMatchedWarning]

    for value in (2011, 2901, 2010, range(2013, 2020)):
        expected_total, expected = _warned(lambda: whole.filter(annee=value).total())
        grants = edask.read_csv(files, amount="montant", ints=["annee"])
        total, said = _warned(lambda: grants.filter(annee=value).total())
        assert total == expected_total, value
        assert nothing(said) == nothing(expected), value
        assert bool(nothing(said)) == (value != 2010), value
    assert nothing(said) == ["annee: no row holds a value from 2013 to 2019 (the column holds "
                             "2009–2012); it selects no row"]


def test_a_pivot_by_one_column_for_rows_and_columns_equals_one_process():
    """Ledger.pivot("nature", "nature") lays the sums out on the diagonal; the Dask twin refused
    it ("the key 'nature' is given twice"), its group-by being asked the key twice.  Both now
    give the same matrix, a key given for the group, the rows and the columns alike."""
    import dask
    import warnings
    path = SCDL / "lot-2017-subventions.csv"
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        grants = edask.read_scdl([path, path])
        twice = essconv.read_scdl(path)
        twice.extend(essconv.read_scdl(path))
        year = essconv.year("dateConvention")
        with dask.config.set(scheduler="sync"):
            for rows, columns in [("nature", "nature"), (("nature", "nature"), "nature"),
                                  (("nomAttribuant", "nature"), "nature"),
                                  (year, essconv.year("dateConvention")), (("nature", year), year)]:
                mine, one = grants.pivot(rows, columns), twice.pivot(rows, columns)
                assert (mine.lines, mine.funders, mine.total(), mine.dimensions) == \
                    (one.lines, one.funders, one.total(), one.dimensions)
                assert sorted(mine.cells()) == sorted(one.cells())
