"""The quickstart notebook runs green under a real Jupyter kernel, and says what it should."""
from __future__ import annotations

import shutil
import tempfile
from pathlib import Path

import pytest

from conftest import not_under_asan

ROOT = Path(__file__).resolve().parents[1]


#: What the quickstart says, cell by cell (prints and displays)
_SAID = [
    "computed from the cells: 8105 k€",
    "stated in the Total row: 8115 k€",
    "info cell-correction - Observatoire CRESS x CDC is blank; 10 k€",
    "corrected copy validates: True - total 8115",
    "cp1252 ';' True",
    "13 grants, 21 blank rows skipped",
    "class=\"n bad\"",                                  # the plan's HTML display, faulty total marked
    "Execution 2009",
    "shares add up to 99.99",                           # the report verbs on the Lot's file:
    "Parts arrondies une à une",                        # each share rounded alone, footnoted
    "<td>Autres</td>", "Others,",
    "{'Departement du Lot': Decimal('878205')}",        # one funder, one name
    "même SIRET", "Département du Lot",                  # similar labels: French by default
    "the Lot, both spellings: 878205 of 878205",        # accent/case-insensitive search
    "(2017, 3): Decimal('64700')",                      # by year and quarter of a date
]


def _run(nb, nbclient, path):
    """Execute a notebook in place from `path`: its outputs' texts joined, and how many images it
    drew."""
    # nbclient waits 4 s for a cell's output after its reply and then drops it silently: wait
    # longer, and fail loudly if output is still lost, rather than test what was not seen.
    # coalesce_streams: ipykernel sends what a cell prints in pieces, one each time its flush
    # timer fires (every 0.2 s, and later on a loaded machine), so one printed line can reach
    # the notebook as two stream outputs cut anywhere -- joined with a line end between them,
    # the line was no longer found.  Merged as Jupyter shows them, a line is a line.
    # The kernel talks over Unix sockets in a folder of its own, not TCP: a TCP port is chosen
    # free, then bound by the kernel a moment later, and a kernel started meanwhile by another
    # worker took it ("Address already in use": the kernel died before it answered).
    from jupyter_client.manager import KernelManager
    sockets = Path(tempfile.mkdtemp(prefix="essconv-kernel-"))
    manager = KernelManager(kernel_name="python3", transport="ipc", ip=str(sockets / "kernel"))
    client = nbclient.NotebookClient(nb, km=manager, timeout=180, kernel_name="python3",
                                     iopub_timeout=60, raise_on_iopub_timeout=True,
                                     coalesce_streams=True,
                                     resources={"metadata": {"path": str(path)}})
    try:
        client.execute()
    finally:
        shutil.rmtree(sockets, ignore_errors=True)
    texts, images = [], 0
    for cell in nb.cells:
        for out in cell.get("outputs", []):
            assert out.get("output_type") != "error", out
            texts.append(out.get("text", ""))
            data = out.get("data", {})
            texts.append(data.get("text/plain", ""))
            texts.append(data.get("text/html", ""))
            images += "image/png" in data
    return "\n".join(texts), images


def _run_quickstart(nbformat, nbclient):
    """The quickstart executed as a user runs it from a clone, from examples/, finding the data
    by its own default."""
    nb = nbformat.read(ROOT / "examples" / "quickstart.ipynb", as_version=4)
    return _run(nb, nbclient, ROOT / "examples")


@not_under_asan
def test_quickstart_notebook_executes():
    nbformat = pytest.importorskip("nbformat")
    nbclient = pytest.importorskip("nbclient")
    pytest.importorskip("ipykernel")
    joined, images = _run_quickstart(nbformat, nbclient)
    for said in _SAID:
        assert said in joined
    assert images >= 1                                 # the chart


@not_under_asan
def test_a_line_printed_in_pieces_is_read_whole():
    """A print the kernel sends in two stream messages (as its flush timer does under load, at
    any byte) is still one line in what the test reads."""
    nbformat = pytest.importorskip("nbformat")
    nbclient = pytest.importorskip("nbclient")
    pytest.importorskip("ipykernel")
    # flush() sends what is written so far as a message of its own: the cut the timer makes at
    # random, made here every time
    nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell(
        "import sys\n"
        "sys.stdout.write('computed from'); sys.stdout.flush()\n"
        "sys.stdout.write(' the cells: 8105 k€\\n'); sys.stdout.flush()\n"
        "sys.stdout.write('stated: 8115 k€\\n')")])
    joined, _ = _run(nb, nbclient, ROOT / "examples")
    assert "computed from the cells: 8105 k€\nstated: 8115 k€" in joined
