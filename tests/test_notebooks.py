"""The notebooks: committed without outputs, calling only the public API, executed end to end.

Each notebook runs once per session in a fresh ``python3`` kernel (nbclient), with an empty
temporary folder as its working directory and as its ``TMPDIR``; the tests then read what the
cells displayed: the tables, the figures and the printed answers a reader sees.
"""

from __future__ import annotations

import ast
import base64
import io
import json
import os
import sys
from pathlib import Path
from typing import Any

import matplotlib.image
import nbclient
import nbformat
import pytest
from IPython.core.inputtransformer2 import TransformerManager

import kg

ROOT = Path(__file__).resolve().parents[1]
NOTEBOOKS = ROOT / "notebooks"
NAMES = ["01-tour-of-the-graph.ipynb", "02-the-network.ipynb", "03-your-own-reports.ipynb"]
CELL_TIMEOUT = 180  # seconds, per cell
ALLOWED_MODULES = {"kg", "pandas", "matplotlib", "IPython"} | set(sys.stdlib_module_names)


def _raw(name: str) -> dict[str, Any]:
    return json.loads((NOTEBOOKS / name).read_text(encoding="utf-8"))


def _code_cells(name: str) -> list[str]:
    notebook = nbformat.read(NOTEBOOKS / name, as_version=4)
    return [cell.source for cell in notebook.cells if cell.cell_type == "code"]


# ------------------------------------------------------------------ as committed


def test_the_notebooks_are_committed():
    assert sorted(p.name for p in NOTEBOOKS.glob("*.ipynb")) == NAMES


@pytest.mark.parametrize("name", NAMES)
def test_committed_without_outputs(name):
    notebook = nbformat.read(NOTEBOOKS / name, as_version=4)
    nbformat.validate(notebook)
    assert notebook.metadata.kernelspec.name == "python3"
    code = [cell for cell in notebook.cells if cell.cell_type == "code"]
    assert code
    for cell in code:
        assert cell.outputs == [], cell.source
        assert cell.execution_count is None, cell.source
        assert "execution" not in cell.metadata, cell.source
    # each cell's source is stored as a list of lines, so a diff reads like the code
    assert all(isinstance(cell["source"], list) for cell in _raw(name)["cells"])


@pytest.mark.parametrize("name", NAMES)
def test_notebooks_call_only_the_public_api(name):
    public = set(kg.__all__)
    used: set[str] = set()
    for source in _code_cells(name):
        tree = ast.parse(TransformerManager().transform_cell(source))  # %magics become calls
        for node in ast.walk(tree):
            if isinstance(node, ast.Import):
                for alias in node.names:
                    assert alias.name.split(".")[0] in ALLOWED_MODULES, alias.name
                    assert not alias.name.startswith("kg."), f"{alias.name}: import kg and use kg.NAME"
            elif isinstance(node, ast.ImportFrom):
                module = node.module or ""
                assert module.split(".")[0] in ALLOWED_MODULES, module
                assert not module.startswith("kg."), f"from {module}: import kg and use kg.NAME"
                if module == "kg":
                    used |= {alias.name for alias in node.names}
            elif isinstance(node, ast.Attribute) and isinstance(node.value, ast.Name):
                if node.value.id == "kg":
                    used.add(node.attr)
    assert used, "the notebook uses nothing of kg"
    assert used <= public, f"not in kg.__all__: {sorted(used - public)}"


# ------------------------------------------------------------------ executed


@pytest.fixture(scope="module")
def run(tmp_path_factory):
    """Execute a notebook (once) in a fresh kernel from an empty folder; return it with its outputs."""
    done: dict[str, nbformat.NotebookNode] = {}

    def execute(name: str) -> nbformat.NotebookNode:
        if name in done:
            return done[name]
        folder = tmp_path_factory.mktemp(name.split("-")[0])
        cwd, tmp = folder / "cwd", folder / "tmp"
        cwd.mkdir()
        tmp.mkdir()
        before = sorted(p.name for p in NOTEBOOKS.iterdir())
        notebook = nbformat.read(NOTEBOOKS / name, as_version=4)
        # the kernel imports the same kg as these tests, and writes its temporary files here
        package_root = str(Path(kg.__file__).resolve().parents[1])
        path = os.pathsep.join(p for p in (package_root, os.environ.get("PYTHONPATH")) if p)
        env = {**os.environ, "PYTHONPATH": path, "TMPDIR": str(tmp)}
        client = nbclient.NotebookClient(
            notebook,
            timeout=CELL_TIMEOUT,
            startup_timeout=120,
            kernel_name="python3",
            resources={"metadata": {"path": str(cwd)}},
        )
        client.execute(env=env)
        assert list(cwd.iterdir()) == [], "the notebook wrote into its working directory"
        left = [p.name for p in tmp.iterdir() if p.name.startswith("kg-")]
        assert left == [], "the notebook left its temporary folder behind"
        assert sorted(p.name for p in NOTEBOOKS.iterdir()) == before, "the notebook wrote into notebooks/"
        done[name] = notebook
        return notebook

    return execute


def _outputs(notebook: nbformat.NotebookNode) -> list[dict[str, Any]]:
    return [output for cell in notebook.cells if cell.cell_type == "code" for output in cell.outputs]


def _printed(notebook: nbformat.NotebookNode) -> str:
    return "".join(o["text"] for o in _outputs(notebook) if o["output_type"] == "stream" and o["name"] == "stdout")


def _html_tables(notebook: nbformat.NotebookNode) -> list[str]:
    return [
        o["data"]["text/html"]
        for o in _outputs(notebook)
        if "text/html" in o.get("data", {}) and "<table" in o["data"]["text/html"]
    ]


def _images(notebook: nbformat.NotebookNode) -> list[Any]:
    return [
        matplotlib.image.imread(io.BytesIO(base64.b64decode(o["data"]["image/png"])), format="png")
        for o in _outputs(notebook)
        if "image/png" in o.get("data", {})
    ]


@pytest.mark.parametrize("name", NAMES)
def test_notebook_runs_cleanly(run, name):
    notebook = run(name)
    outputs = _outputs(notebook)
    assert [o for o in outputs if o["output_type"] == "error"] == []
    assert [o["text"] for o in outputs if o["output_type"] == "stream" and o["name"] == "stderr"] == []
    cells = [c for c in notebook.cells if c.cell_type == "code"]
    assert all(c.execution_count is not None for c in cells)


def test_tour_shows_who_stands_where_on_the_hospital_claim(run):
    notebook = run("01-tour-of-the-graph.ipynb")
    tables = _html_tables(notebook)
    stances = [t for t in tables if "<th>stance</th>" in t]  # the named query "claims"
    pivot = [t for t in tables if 'class="dataframe' in t and "disputes" in t]  # its pandas pivot
    assert len(stances) == 1 and len(pivot) == 1
    for actor in ("Hamas", "Israel", "United States", "Recep Tayyip Erdogan", "the Arab and Muslim world"):
        assert actor in stances[0] and actor in pivot[0], actor
    assert any("<caption>Actors by kind</caption>" in t for t in tables)
    assert any("recalls diplomats from" in t and "2023-10-19" in t for t in tables)
    printed = _printed(notebook)
    assert "2023-10-16 False" in printed and "2023-10-19 True" in printed
    assert "Israel caused the explosion, as a fact: False" in printed


def test_network_draws_maps_and_tells_the_change(run):
    notebook = run("02-the-network.ipynb")
    images = _images(notebook)
    assert len(images) == 5  # two ego maps, a timeline, the whole map in the default view and every actor apart
    for image in images:
        height, width = image.shape[:2]
        assert width >= 800 and height >= 250
        assert len({tuple(px) for px in image[::4, ::4].reshape(-1, image.shape[2])}) > 50  # not blank
    printed = _printed(notebook)
    assert "0 of 1 triads balanced" in printed and "as of 2023-10-16" in printed
    assert "1 of 2 triads balanced" in printed
    assert "persons, bodies and missions counted for the state or organisation they act for" in printed
    assert "shortest Hakan Fidan → Turkey → Israel" in printed
    tables = _html_tables(notebook)
    # the recall, the warning and the evacuations appeared, and the pair's tone changed sign
    assert any("Israel and Turkey: " in t and "recalls diplomats from" in t and "changed sign" in t for t in tables)
    assert any("betweenness centrality" in t and "as of 2023-10-16" in t for t in tables)


def test_own_reports_join_the_rankings_on_both_engines(run):
    notebook = run("03-your-own-reports.ipynb")
    rankings = [t for t in _html_tables(notebook) if "betweenness centrality" in t]
    assert len(rankings) == 3  # before, after (in memory), after (Oxigraph)
    assert "Corvan League" not in rankings[0]
    assert "Corvan League" in rankings[1] and "Corvan League" in rankings[2]
    assert rankings[1] == rankings[2]
    printed = _printed(notebook)
    assert "does not conform: 2 violation(s)" in printed
    assert "unknown relation type 'hugs'" in printed
    assert "id:actor/selden-dockworkers" in printed
    for line in (
        "the same ranking as before: True",
        "degree True",
        "betweenness True",
        "pagerank True",
        "balance True",
        "dyad True",
        "same answer in memory: True",
    ):
        assert line in printed
    assert " False" not in printed
    assert len(_images(notebook)) == 1
