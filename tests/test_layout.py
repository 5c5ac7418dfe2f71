"""The package's layout: layers that point one way, no import circle, short modules, a light ``import kg``.

The layers are drawn in the README ("Modules, in layers"); :data:`LAYERS` is the same drawing, read
by these tests. A module may import modules of its own layer or of lower ones, never higher, and the
imports between ``kg``'s modules, at module level or inside functions, form no circle.
"""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

import networkx as nx
import pytest

import kg

KG = Path(kg.__file__).resolve().parent

LAYERS: list[tuple[str, ...]] = [
    ("kg._errors", "kg._namespace", "kg._graphs", "kg._resources", "kg._lazy"),
    ("kg._files", "kg._store", "kg._endpoint", "kg._loading", "kg._locking", "kg._tabular", "kg._progress"),
    (
        "kg._batches",
        "kg._cache",
        "kg._derivation",
        "kg._dump",
        "kg._validation",
        "kg._timecut",
        "kg._names",
        "kg._actors",
        "kg._query",
    ),
    ("kg._bulkload", "kg._network", "kg._summary", "kg._netindex", "kg._doctor"),
    ("kg._analysis", "kg._drawing", "kg._ingestion", "kg._export", "kg._extract", "kg._web"),
    ("kg._report",),
    ("kg.cli", "kg.__main__", "kg"),
]
"""Bottom to top: vocabulary and errors; stores and files; rules over a store (names, queries, time,
validation); projection and building; analysis, drawing, ingestion, export; the report; the CLI."""


def module_name(path: Path) -> str:
    parts = path.relative_to(KG.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def layer(module: str) -> int:
    best, found = -1, -1
    for index, names in enumerate(LAYERS):
        for name in names:
            if (module == name or module.startswith(name + ".")) and len(name) > best:
                best, found = len(name), index
    if found < 0:
        raise AssertionError(f"{module} is in no layer of tests/test_layout.py LAYERS (and the README)")
    return found


def imports(path: Path) -> set[str]:
    """The ``kg`` modules a file imports, anywhere in it (type-checking-only imports aside)."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    typing_only = {
        id(node)
        for block in ast.walk(tree)
        if isinstance(block, ast.If) and ast.unparse(block.test) == "TYPE_CHECKING"
        for stmt in block.body
        for node in ast.walk(stmt)
    }
    found: set[str] = set()
    for node in ast.walk(tree):
        if id(node) in typing_only:
            continue
        if isinstance(node, ast.Import):
            found |= {alias.name for alias in node.names if alias.name.startswith("kg.")}
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            if node.module == "kg":
                found |= {f"kg.{alias.name}" for alias in node.names if alias.name.startswith("_")}
                found |= {"kg"} - {f"kg.{alias.name}" for alias in node.names}
            elif node.module.startswith("kg."):
                found.add(node.module)
    return found


def import_graph() -> nx.DiGraph[str]:
    graph: nx.DiGraph[str] = nx.DiGraph()
    for path in sorted(KG.rglob("*.py")):
        name = module_name(path)
        graph.add_node(name)
        for target in imports(path):
            if target != name:
                graph.add_edge(name, target)
    return graph


def test_every_module_is_in_a_layer_and_imports_point_down():
    graph = import_graph()
    upward = [
        f"{source} (layer {layer(source)}) imports {target} (layer {layer(target)})"
        for source, target in graph.edges
        if target != "kg" and layer(target) > layer(source)
    ]
    assert upward == []


def test_no_import_circle():
    graph = import_graph()
    graph.remove_node("kg")  # the package's lazy __init__ imports nothing at run time
    assert list(nx.simple_cycles(graph)) == []


def test_no_module_over_700_lines():
    long = {module_name(path): n for path in KG.rglob("*.py") if (n := len(path.read_text().splitlines())) > 700}
    assert long == {}


def test_the_cli_and_notebooks_use_only_the_public_api():
    private = []
    for path in sorted((KG / "cli").glob("*.py")):
        for target in imports(path):
            if not target.startswith("kg.cli"):
                private.append(f"{path.name}: {target}")
    notebooks = KG.parent / "notebooks"
    for notebook in sorted(notebooks.glob("*.ipynb")) if notebooks.is_dir() else []:
        if "kg._" in notebook.read_text(encoding="utf-8"):
            private.append(notebook.name)
    assert private == []


@pytest.mark.parametrize("heavy", ["matplotlib", "pyshacl"])
def test_import_kg_is_light(heavy: str):
    code = f"import kg, sys; kg.__all__; print({heavy!r} in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip() == "False"


def test_the_public_names_are_the_lazy_ones():
    assert sorted(kg.__all__) == sorted(kg._WHERE)
    for name in kg.__all__:
        assert getattr(kg, name) is not None
    with pytest.raises(AttributeError, match="no attribute 'nothing'"):
        _ = kg.nothing  # type: ignore[attr-defined]
