"""A plan or a ledger given to the convention the way a notebook user may give it: a path, None,
a pandas DataFrame.  Each is refused with essconv's own error naming the argument and how to
read one, never a bare AttributeError, nor handed back as if it had been relabelled."""
from __future__ import annotations

import warnings

import pytest

import essconv
from essconv.errors import ArgumentTypeError

from pathlib import Path

SCDL = sorted((Path(__file__).parent / "data" / "scdl").glob("*.csv"))


@pytest.fixture()
def conv():
    return essconv.default()


@pytest.mark.parametrize("plan", ["annexe1-2010.tsv", None, 2010, {"CDC": "12"}])
def test_a_plan_that_is_no_plan_is_refused_saying_how_to_read_one(conv, plan):
    with pytest.raises(ArgumentTypeError, match=r"^plan must be an essconv\.Plan \(read one "
                                                r"with essconv\.read_plan\(path\)\), not "):
        conv.add_plan(plan, 2010)
    assert list(conv.plans) == [2009]   # nothing attached


@pytest.mark.parametrize("ledger", ["grants-2009.csv", None, b"x;y\n"])
def test_a_ledger_that_is_no_ledger_is_refused_saying_how_to_read_one(conv, ledger):
    for call in (lambda: conv.execution(2009, ledger), lambda: conv.relabel(ledger)):
        with pytest.raises(ArgumentTypeError, match=r"^ledger must be an essconv\.Ledger "
                                                    r"\(read one with essconv\.read_scdl\(path\)\)"):
            call()


def test_a_pandas_frame_is_no_ledger(conv):
    pd = pytest.importorskip("pandas")
    frame = pd.DataFrame({"nomAttribuant": ["CDC"], "montant": ["12"]})
    with pytest.raises(ArgumentTypeError, match=r"^ledger must be an essconv\.Ledger"):
        conv.execution(2009, frame)


def test_a_ledger_is_still_taken(conv):
    from essconv.execution import Execution
    ledger = essconv.read_scdl(SCDL[0])
    assert conv.relabel(ledger).total() == ledger.total()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", essconv.errors.EssconvWarning)
        assert isinstance(conv.execution(2009, ledger), Execution)
