"""SHACL validation of the data and of the ontology, with messages a person can act on.

Two engines give the same violations: ``"oxigraph"`` (the default) compiles the shapes into SPARQL
queries that return the nodes breaking them and runs them on an Oxigraph store (some 20,000+
events a second, see ``benchmarks/validation.py``); ``"pyshacl"`` runs pySHACL on rdflib (about
100 events a second), the reference the tests compare the compiled queries with.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable, Sequence
from functools import cache
from pathlib import Path
from typing import Literal as Kind

import pyoxigraph as ox
from rdflib import Graph

from kg._errors import EngineError, InputError, ValidationError
from kg._loading import collect_files, ontology_files, parse_file, read_graph
from kg._resources import default_data_files
from kg._validation._engine import Progress, read_files, run, to_oxigraph_store
from kg._validation._report import ValidationReport, Violation

__all__ = [
    "ENGINES",
    "Progress",
    "ValidationReport",
    "Violation",
    "check",
    "validate",
    "validate_files",
    "validate_ontology",
    "validate_store",
]

log = logging.getLogger(__name__)

Engine = Kind["oxigraph", "pyshacl"]
ENGINES = ("oxigraph", "pyshacl")
"""The validators: SPARQL compiled from the shapes on Oxigraph (default), or pySHACL on rdflib."""


@cache
def _shapes(kind: str) -> Graph:
    files = [f for f in ontology_files(shapes=True) if (f.name == "ontology-shapes.ttl") == (kind == "ontology")]
    graph = Graph()
    for path in files:
        parse_file(path, graph)
    if not files or len(graph) == 0:
        raise EngineError(
            f"no SHACL shapes for the {kind} found in the ontology folder (expected "
            f"{'ontology-shapes.ttl' if kind == 'ontology' else 'shapes.ttl'}): without them nothing "
            "could be checked; reinstall the package"
        )
    return graph


def _known_engine(engine: str) -> None:
    if engine not in ENGINES:
        raise InputError(f"unknown validation engine {engine!r}; use one of {', '.join(ENGINES)}")


def validate(
    graph: Graph | ox.Store,
    *,
    files: Sequence[Path] = (),
    engine: Engine = "oxigraph",
    progress: Progress | None = None,
) -> ValidationReport:
    """Validate a graph (ontology and data together) against the data shapes.

    Parameters
    ----------
    graph : rdflib.Graph or pyoxigraph.Store
        The ontology and the data, merged, so that class hierarchies are known.
    files : sequence of Path
        The data files the graph was read from, to point each violation at its line.
    engine : {"oxigraph", "pyshacl"}
        The validator (see the module's description); both give the same violations.
    progress : callable, optional
        Called as ``progress(done, total)`` while the checks run (Oxigraph engine).

    Returns
    -------
    ValidationReport
        Whether the graph conforms, with every violation and warning.

    Examples
    --------
    >>> from kg._loading import read_graph
    >>> graph, files = read_graph([])
    >>> validate(graph, files=files).conforms
    True
    """
    _known_engine(engine)
    if engine == "pyshacl":
        from kg._validation._reference import run_pyshacl

        if isinstance(graph, ox.Store):
            raise InputError("engine='pyshacl' validates an rdflib graph, not an Oxigraph store")
        return run_pyshacl(graph, _shapes("data"), files)
    store = graph if isinstance(graph, ox.Store) else to_oxigraph_store(graph)
    return run(store, _shapes("data"), files=files, progress=progress)


def validate_store(
    store: ox.Store, *, files: Sequence[Path] = (), progress: Progress | None = None
) -> ValidationReport:
    """Validate the data in an Oxigraph store (with the ontology in it) against the data shapes.

    Examples
    --------
    >>> import pyoxigraph as ox
    >>> validate_store(ox.Store()).conforms
    True
    """
    return run(store, _shapes("data"), files=files, progress=progress)


def validate_files(
    paths: Iterable[str | Path],
    *,
    default: bool = True,
    engine: Engine = "oxigraph",
    progress: Progress | None = None,
) -> ValidationReport:
    """Read ``paths`` (with the ontology and, by default, the default data) and validate them.

    Parameters
    ----------
    paths : iterable of str or Path
        RDF files or folders.
    default : bool, default True
        Validate the default graph with them (the files may refer to its actors and sources).
    engine : {"oxigraph", "pyshacl"}
        The validator; Oxigraph also reads the files (fast), pySHACL reads them with rdflib.
    progress : callable, optional
        Called as ``progress(done, total)`` while the checks run.

    Raises
    ------
    InputError
        A missing file or one of a kind not read.
    ParseError
        A file that does not parse (file:line:column).

    Examples
    --------
    >>> validate_files([]).conforms
    True
    """
    _known_engine(engine)
    if engine == "pyshacl":
        graph, read = read_graph(paths, default=default)
        return validate(graph, files=read, engine="pyshacl")
    files = (default_data_files() if default else []) + collect_files(paths)
    store = ox.Store()
    read_files(store, [*ontology_files(), *files])
    log.info("read %d triples from %d files", len(store), len(files))
    return run(store, _shapes("data"), files=files, progress=progress)


def check(graph: Graph | ox.Store, *, files: Sequence[Path] = (), progress: Progress | None = None) -> ValidationReport:
    """Validate and raise :class:`ValidationError` unless the graph conforms.

    Examples
    --------
    >>> from kg._loading import read_graph
    >>> check(read_graph([])[0]).conforms
    True
    """
    report = validate(graph, files=files, progress=progress)
    if not report.conforms:
        raise ValidationError(report)
    return report


def validate_ontology(paths: Iterable[str | Path] | None = None, *, engine: Engine = "oxigraph") -> ValidationReport:
    """Validate ontology files (the shipped ones by default) against the ontology shapes.

    The shapes ask every term to be labelled, defined and tied to its module.

    Examples
    --------
    >>> validate_ontology().conforms
    True
    """
    _known_engine(engine)
    files = [Path(p) for p in paths] if paths is not None else ontology_files()
    if engine == "pyshacl":
        from kg._validation._reference import run_pyshacl

        graph = Graph()
        for path in files:
            parse_file(path, graph)
        return run_pyshacl(graph, _shapes("ontology"), files)
    store = ox.Store()
    read_files(store, files)
    return run(store, _shapes("ontology"), files=files)
