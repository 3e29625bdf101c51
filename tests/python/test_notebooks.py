"""The notebooks in examples/notebooks run top to bottom (nbclient, a python3 kernel) at small
sizes; the repository keeps them without outputs, and a rendered HTML copy (nbconvert) is written
next to the build's Python package (<build>/notebooks/) for a person to read."""
import json
import os
import pathlib

import pytest

import osteon

nbformat = pytest.importorskip("nbformat")  # python3-nbformat comes with python3-nbclient
from nbclient import NotebookClient  # noqa: E402

ROOT = pathlib.Path(__file__).resolve().parents[2]
NOTEBOOKS = sorted((ROOT / "examples" / "notebooks").glob("*.ipynb"))
# Smaller settings for the test run; each notebook's cell tagged "parameters" sets the defaults.
SMALL = {"statistics_for_your_paper": "N_BOOT = 40\n",
         "hip_outcome_study": "PATIENTS = 40\nEPOCHS = 1\nN_BOOT = 40\n",
         "femur_segmentation_study": "SUBJECTS = 8\nFOLDS = 2\nEPOCHS = 1\n"}
OUTPUT = pathlib.Path(osteon.__file__).resolve().parents[2] / "notebooks"


def test_there_are_notebooks():
    assert [p.stem for p in NOTEBOOKS] == ["femur_segmentation_study", "hip_outcome_study", "statistics_for_your_paper"]


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.stem)
def test_notebook_is_stored_without_outputs(path):
    notebook = json.loads(path.read_text(encoding="utf-8"))
    for cell in notebook["cells"]:
        if cell["cell_type"] == "code":
            assert cell["outputs"] == [] and cell["execution_count"] is None, path.name


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.stem)
def test_notebook_runs_top_to_bottom(path):
    notebook = nbformat.read(path, as_version=4)
    for index, cell in enumerate(notebook.cells):
        if "parameters" in cell.metadata.get("tags", []) and path.stem in SMALL:
            notebook.cells.insert(index + 1, nbformat.v4.new_code_cell(SMALL[path.stem]))
            break
    package_parent = str(pathlib.Path(osteon.__file__).resolve().parents[1])  # the kernel runs in the notebook's folder
    python_path = os.pathsep.join([package_parent] + [p for p in os.environ.get("PYTHONPATH", "").split(os.pathsep) if p])
    env = dict(os.environ, PYTHONPATH=python_path, MPLBACKEND="module://matplotlib_inline.backend_inline",
               OSTEON_PROGRESS="0", PYDEVD_DISABLE_FILE_VALIDATION="1")
    client = NotebookClient(notebook, timeout=300, kernel_name="python3",
                            resources={"metadata": {"path": str(path.parent)}})
    old = dict(os.environ)
    os.environ.update(env)  # the kernel inherits PYTHONPATH (the build's package) and these
    try:
        client.execute()
    finally:
        os.environ.clear()
        os.environ.update(old)
    errors = [o for c in notebook.cells if c.cell_type == "code" for o in c.outputs if o.output_type == "error"]
    assert not errors
    images = [o for c in notebook.cells if c.cell_type == "code" for o in c.outputs
              if "image/png" in o.get("data", {})]
    assert images, "the notebook should show its figures"
    from nbconvert import HTMLExporter

    OUTPUT.mkdir(parents=True, exist_ok=True)
    html, _ = HTMLExporter().from_notebook_node(notebook)
    (OUTPUT / f"{path.stem}.html").write_text(html, encoding="utf-8")
    assert (OUTPUT / f"{path.stem}.html").stat().st_size > 10_000
