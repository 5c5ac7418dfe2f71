"""Reading RDF files into the graph: the ontology, the default data and the user's files."""

from __future__ import annotations

import logging
from collections.abc import Iterable
from pathlib import Path

from rdflib import Graph
from rdflib.plugins.parsers.notation3 import BadSyntax

from kg._resources import default_data_files, ontology_dir
from kg.derivation import derive
from kg.errors import InputError, ParseError
from kg.store import MemoryStore, Store

__all__ = ["RDF_FORMATS", "collect_files", "load", "ontology_files", "parse_file", "read_graph"]

log = logging.getLogger(__name__)

RDF_FORMATS = {".ttl": "turtle", ".nt": "nt", ".n3": "n3", ".rdf": "xml", ".owl": "xml", ".xml": "xml"}
"""File endings the loader reads, and the rdflib parser for each (no JSON-LD: its remote
contexts would reach the network)."""


def collect_files(paths: Iterable[str | Path]) -> list[Path]:
    """Expand files and folders into the RDF files they hold, in a stable order.

    Raises
    ------
    InputError
        For a path that does not exist, a file of a kind the loader does not read, or a folder
        with no RDF file in it.
    """
    files: list[Path] = []
    for raw in paths:
        path = Path(raw)
        if path.is_dir():
            found = sorted(p for p in path.rglob("*") if p.suffix in RDF_FORMATS and p.is_file())
            if not found:
                raise InputError(f"{path}: no RDF files ({', '.join(RDF_FORMATS)}) in this folder")
            files.extend(found)
        elif path.is_file():
            if path.suffix not in RDF_FORMATS:
                raise InputError(
                    f"{path}: cannot read files ending {path.suffix!r}; "
                    f"use one of {', '.join(RDF_FORMATS)}"
                )
            files.append(path)
        else:
            raise InputError(f"{path}: no such file or folder")
    return files


def parse_file(path: Path, graph: Graph | None = None) -> Graph:
    """Parse one RDF file into ``graph`` (a new graph by default).

    Raises
    ------
    ParseError
        If the file does not parse, with its line and column.
    """
    graph = graph if graph is not None else Graph()
    try:
        graph.parse(path, format=RDF_FORMATS.get(path.suffix, "turtle"))
    except BadSyntax as exc:
        text: bytes = exc._str if isinstance(exc._str, bytes) else str(exc._str).encode()
        column = exc._i - (text.rfind(b"\n", 0, exc._i) + 1) + 1
        raise ParseError(path, exc.lines + 1, column, exc._why) from exc
    except UnicodeDecodeError as exc:
        raise ParseError(path, None, None, f"not UTF-8 text ({exc.reason})") from exc
    except Exception as exc:  # rdflib's other parsers raise assorted errors
        line = getattr(exc, "lineNumber", None) or getattr(exc, "lineno", None)
        raise ParseError(path, line, None, str(exc).splitlines()[0] if str(exc) else type(exc).__name__) from exc
    return graph


def ontology_files(*, shapes: bool = False) -> list[Path]:
    """Return the ontology's Turtle files: the terms, or with ``shapes=True`` the SHACL shapes."""
    files = sorted(ontology_dir().glob("*.ttl"))
    return [f for f in files if ("shapes" in f.name) == shapes]


def read_graph(paths: Iterable[str | Path], *, default: bool = True) -> tuple[Graph, list[Path]]:
    """Parse the ontology, the default data (unless ``default=False``) and ``paths``.

    Returns the graph and the list of data files read (for error messages).
    """
    graph = Graph()
    for path in ontology_files():
        parse_file(path, graph)
    files = (default_data_files() if default else []) + collect_files(paths)
    for path in files:
        parse_file(path, graph)
    log.info("read %d triples from %d files", len(graph), len(files))
    return graph, files


def load(
    *paths: str | Path,
    default: bool = True,
    validate: bool = False,
    store: Store | None = None,
) -> Store:
    """Load the knowledge graph: ontology, default data and extra files, relations derived.

    Parameters
    ----------
    *paths : str or Path
        Extra RDF files or folders to add.
    default : bool, default True
        Include the default graph shipped with the package (the seed report).
    validate : bool, default False
        Check the data against the SHACL shapes first and refuse it if it does not conform.
    store : Store, optional
        The engine to load into (an Oxigraph store, an endpoint); a new in-memory store by
        default. Nothing is added to it unless every file parses (and conforms).

    Returns
    -------
    Store
        The engine holding the graph.

    Raises
    ------
    ParseError
        A file does not parse.
    ValidationError
        With ``validate=True``, the data breaks a shape.

    Examples
    --------
    >>> import kg
    >>> graph = kg.load()
    >>> bool(graph.query("ASK { ?e a dip:Event }"))
    True
    """
    graph, files = read_graph(paths, default=default)
    if validate:
        from kg.validation import check

        check(graph, files=files)
    memory = MemoryStore(graph)
    derive(memory)
    if store is None:
        return memory
    store.add_graph(memory.graph)
    return store
