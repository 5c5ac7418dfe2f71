"""Every import is a declared dependency: of the package for ``kg/``, of the ``test`` extra for the
tests, benchmarks and tools, of the ``notebooks`` extra for the notebooks.

CI installs only what ``pyproject.toml`` declares into a fresh virtual environment, so an undeclared
import fails there too; this test names the missing declaration on any machine.
"""

from __future__ import annotations

import ast
import importlib.metadata
import json
import re
import sys
import tomllib

import pytest

from .conftest import ROOT

PROJECT = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
# the project's own packages, and the scripts of benchmarks/ and tools/ importing each other
LOCAL = {"kg", "tests", "benchmarks", "tools", "__future__"} | {
    p.stem for folder in ("benchmarks", "tools") for p in (ROOT / folder).glob("*.py")
}


def _name(requirement: str) -> str:
    return re.split(r"[<>=!~\[; ]", requirement, maxsplit=1)[0].lower().replace("_", "-")


CORE = {_name(r) for r in PROJECT["dependencies"]}
EXTRAS = {extra: {_name(r) for r in reqs} for extra, reqs in PROJECT["optional-dependencies"].items()}
DISTRIBUTIONS = {
    module: {d.lower().replace("_", "-") for d in dists}
    for module, dists in importlib.metadata.packages_distributions().items()
}


def _imports(source: str, *, top: bool = False) -> set[str]:
    """The third-party modules ``source`` imports (``top``: at module level only, when it loads)."""
    tree = ast.parse(source)
    found = set()
    for node in tree.body if top else ast.walk(tree):
        if isinstance(node, ast.Import):
            found |= {alias.name.split(".")[0] for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            found.add(node.module.split(".")[0])
    return found - LOCAL - set(sys.stdlib_module_names)


def _undeclared(modules: set[str], declared: set[str]) -> list[str]:
    return sorted(m for m in modules if not DISTRIBUTIONS.get(m, {m}) & declared)


def test_the_package_imports_only_its_dependencies_or_optional_extras():
    modules = set().union(*(_imports(p.read_text(encoding="utf-8")) for p in (ROOT / "kg").rglob("*.py")))
    assert modules, "no imports found: the glob is wrong"
    assert _undeclared(modules, CORE | set().union(*EXTRAS.values())) == []
    # what the package imports at its top level must be a core dependency
    top = set().union(*(_imports(p.read_text(encoding="utf-8"), top=True) for p in (ROOT / "kg").rglob("*.py")))
    assert _undeclared(top, CORE) == []


@pytest.mark.parametrize("folder", ["tests", "benchmarks", "tools"])
def test_tests_benchmarks_and_tools_import_only_the_test_extra(folder):
    files = list((ROOT / folder).rglob("*.py"))
    assert files
    modules = set().union(*(_imports(p.read_text(encoding="utf-8")) for p in files))
    assert _undeclared(modules, CORE | EXTRAS["test"]) == []


def test_notebooks_import_only_the_notebooks_extra():
    modules: set[str] = set()
    for path in (ROOT / "notebooks").glob("*.ipynb"):
        cells = json.loads(path.read_text(encoding="utf-8"))["cells"]
        code = "\n".join("".join(c["source"]) for c in cells if c["cell_type"] == "code")
        modules |= _imports("\n".join(line for line in code.splitlines() if not line.startswith(("%", "!"))))
    assert modules
    assert _undeclared(modules, CORE | EXTRAS["notebooks"]) == []
