"""The quickstart notebook runs green under a real Jupyter kernel, and says what it should."""
from __future__ import annotations

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
    "shares add up to 100.00",                          # the report verbs on the Lot's file
    "<td>Autres</td>", "Others,",
    "{'Departement du Lot': Decimal('878205')}",        # one funder, one name
    "même SIRET", "Département du Lot",                  # similar labels: French by default
    "the Lot, both spellings: 878205 of 878205",        # accent/case-insensitive search
    "(2017, 3): Decimal('64700')",                      # by year and quarter of a date
]


def _run_quickstart(nbformat, nbclient):
    """The quickstart executed as a user runs it from a clone: its outputs' texts joined, and
    how many images it drew."""
    nb = nbformat.read(ROOT / "examples" / "quickstart.ipynb", as_version=4)
    # run from examples/, finding the data by its own default.  nbclient waits 4 s for a cell's
    # output after its reply and then drops it silently: on a loaded CI machine a print went
    # missing from the outputs (a cell seemed to say nothing).  Wait longer, and fail loudly if
    # output is still lost, rather than test what was not seen
    client = nbclient.NotebookClient(nb, timeout=180, kernel_name="python3",
                                     iopub_timeout=60, raise_on_iopub_timeout=True,
                                     resources={"metadata": {"path": str(ROOT / "examples")}})
    client.execute()
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


@not_under_asan
def test_quickstart_notebook_executes():
    nbformat = pytest.importorskip("nbformat")
    nbclient = pytest.importorskip("nbclient")
    pytest.importorskip("ipykernel")
    joined, images = _run_quickstart(nbformat, nbclient)
    lost = [said for said in _SAID if said not in joined]
    if lost:
        # An output lost on the way (seen twice on a machine at load 9-12, each time another
        # print, and in no run alone): Jupyter's transport, not the notebook.  One run more; a
        # notebook that truly stops saying a line fails both.
        joined, images = _run_quickstart(nbformat, nbclient)
        print(f"first run lost {lost}")
    for said in _SAID:
        assert said in joined
    assert images >= 1                                 # the chart
