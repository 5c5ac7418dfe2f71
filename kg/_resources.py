"""Where the shipped ontology, data and named queries live, installed or in a checkout."""

from __future__ import annotations

from pathlib import Path

__all__ = ["DEFAULT_MANIFEST", "data_dir", "default_data_files", "ontology_dir", "queries_dir"]

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


DEFAULT_MANIFEST = "MANIFEST"
"""The file in :func:`data_dir` that lists the default graph's files, one a line."""


def default_data_files() -> list[Path]:
    """Return the files of the default graph: exactly those the data folder's manifest lists.

    Whatever else lies in the folder (an example table, a file a user wrote there) is not part of
    the default graph. Lines are file names relative to the folder; ``#`` starts a comment.
    """
    folder = data_dir()
    manifest = folder / DEFAULT_MANIFEST
    names = [line.split("#", 1)[0].strip() for line in manifest.read_text(encoding="utf-8").splitlines()]
    files = [folder / name for name in names if name]
    missing = [str(f) for f in files if not f.is_file()]
    if missing or not files:
        raise FileNotFoundError(f"{manifest}: lists missing files {missing}; reinstall the package")
    return files


def queries_dir() -> Path:
    """Return the folder of the named SPARQL queries shipped with the package."""
    return _PACKAGE / "queries"
