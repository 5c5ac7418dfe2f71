"""Where the shipped ontology, data and named queries live, installed or in a checkout."""

from __future__ import annotations

from pathlib import Path

__all__ = ["data_dir", "ontology_dir", "queries_dir"]

_PACKAGE = Path(__file__).resolve().parent


def _find(name: str) -> Path:
    # In a wheel the folders travel inside the package (kg/_share/NAME, see pyproject.toml);
    # in a checkout or an editable install they stand at the top of the repository.
    for candidate in (_PACKAGE / "_share" / name, _PACKAGE.parent / name):
        if candidate.is_dir():
            return candidate
    raise FileNotFoundError(f"the package's {name}/ folder is missing; reinstall the package")


def ontology_dir() -> Path:
    """Return the folder of the ontology files (terms, taxonomy, shapes)."""
    return _find("ontology")


def data_dir() -> Path:
    """Return the folder of the default graph's data files."""
    return _find("data")


def queries_dir() -> Path:
    """Return the folder of the named SPARQL queries shipped with the package."""
    return _PACKAGE / "queries"
