"""Reading RDF files into the graph: the ontology, the default data and the user's files."""

from __future__ import annotations

import logging
import re
from collections.abc import Iterable
from pathlib import Path

import pyoxigraph as ox
from rdflib import Dataset, Graph, URIRef
from rdflib.plugins.parsers.notation3 import BadSyntax

from kg._errors import InputError, ParseError
from kg._graphs import ASSERTED_GRAPH, ONTOLOGY_GRAPH
from kg._resources import default_data_files, ontology_dir

__all__ = [
    "OX_FORMATS",
    "RDF_FORMATS",
    "check_entities",
    "collect_files",
    "data_files",
    "ontology_files",
    "parse_file",
    "read_dataset",
    "read_graph",
]

log = logging.getLogger(__name__)

RDF_FORMATS = {".ttl": "turtle", ".nt": "nt", ".n3": "n3", ".rdf": "xml", ".owl": "xml", ".xml": "xml"}
"""File endings the loader reads, and the rdflib parser for each (no JSON-LD: its remote
contexts would reach the network)."""

_OX_PARSERS = {
    "turtle": ox.RdfFormat.TURTLE,
    "nt": ox.RdfFormat.N_TRIPLES,
    "n3": ox.RdfFormat.N3,
    "xml": ox.RdfFormat.RDF_XML,
}
OX_FORMATS = {suffix: _OX_PARSERS[parser] for suffix, parser in RDF_FORMATS.items()}
"""The same file endings, and Oxigraph's parser for each (the bulk loader's)."""


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
                    f"{path}: cannot read files ending {path.suffix!r}; use one of {', '.join(RDF_FORMATS)}"
                )
            files.append(path)
        else:
            raise InputError(f"{path}: no such file or folder")
    return files


def data_files(*paths: str | Path, default: bool = True) -> list[Path]:
    """Return the data files a graph is loaded from: the default graph's, then those ``paths`` hold.

    Parameters
    ----------
    *paths : str or Path
        RDF files or folders (a folder stands for the RDF files in it, in a stable order).
    default : bool, default True
        Begin with the files of the default graph shipped with the package.

    Returns
    -------
    list of Path
        The files, in the order :func:`kg.load` reads them (the ontology aside).

    Raises
    ------
    InputError
        For a path that does not exist, a file of a kind the loader does not read, or a folder
        with no RDF file in it.

    Examples
    --------
    >>> import kg
    >>> [f.name for f in kg.data_files()][:2]
    ['actors.ttl', 'claims.ttl']
    >>> kg.data_files("no/such.ttl", default=False)
    Traceback (most recent call last):
    ...
    kg._errors.InputError: no/such.ttl: no such file or folder
    """
    return (default_data_files() if default else []) + collect_files(paths)


_XML_FORMATS = {suffix for suffix, name in RDF_FORMATS.items() if name == "xml"}
_ENTITY = re.compile(rb"<!ENTITY\s+(%\s*)?([\w.:-]+)\s+(?:\"([^\"]*)\"|'([^']*)'|(\w+))", re.DOTALL)
_PROLOG_LIMIT = 1_000_000


def check_entities(path: Path) -> None:
    """Refuse an RDF/XML file whose DTD could expand (before any parser reads it).

    Entities that stand for a short text (``<!ENTITY owl "http://www.w3.org/2002/07/owl#">``, as
    ontology editors write) are fine; an entity made of other entities (the "billion laughs"),
    a parameter entity, an external one (``SYSTEM``/``PUBLIC``) or a long one is refused, so no
    parser, rdflib's or Oxigraph's, ever expands it.

    Raises
    ------
    ParseError
        The file's DTD, with the line of the entity refused.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> bomb = pathlib.Path(tempfile.mkdtemp()) / "lol.rdf"
    >>> _ = bomb.write_text('<!DOCTYPE r [<!ENTITY a "ha"><!ENTITY b "&a;&a;">]><r/>')
    >>> check_entities(bomb)
    Traceback (most recent call last):
    ...
    kg._errors.ParseError: ...lol.rdf:1: syntax error: the entity 'b' is made of other entities ...
    """
    with path.open("rb") as handle:
        head = handle.read(_PROLOG_LIMIT)
    start = head.find(b"<!DOCTYPE")
    if start < 0:
        return
    end = head.find(b"]>", start)
    if end < 0 and b"[" in head[start : start + 4096]:
        raise ParseError(
            path,
            head.count(b"\n", 0, start) + 1,
            None,
            f"a DTD longer than {_PROLOG_LIMIT:,} bytes: refused (entity expansion)",
        )
    subset = head[start : end if end >= 0 else start + 4096]
    declared = subset.count(b"<!ENTITY")
    found = list(_ENTITY.finditer(subset))
    for match in found:
        line = head.count(b"\n", 0, start + match.start()) + 1
        name = match[2].decode("utf-8", "replace")
        value = match[3] if match[3] is not None else match[4]
        if match[1]:
            reason = f"the parameter entity {name!r} is refused"
        elif value is None:
            reason = f"the external entity {name!r} ({match[5].decode('utf-8', 'replace')}) is refused"
        elif b"&" in value or b"<" in value:
            reason = f"the entity {name!r} is made of other entities or markup"
        elif len(value) > 200:
            reason = f"the entity {name!r} is {len(value):,} characters long (at most 200)"
        else:
            continue
        raise ParseError(
            path,
            line,
            None,
            f"{reason}: refused, as expanding entities can exhaust the memory (write the IRIs in full instead)",
        )
    if declared != len(found):
        raise ParseError(
            path,
            head.count(b"\n", 0, start) + 1,
            None,
            "an entity declaration that cannot be checked: refused (entity expansion)",
        )


def parse_file(path: Path, graph: Graph | None = None) -> Graph:
    """Parse one RDF file into ``graph`` (a new graph by default).

    Raises
    ------
    ParseError
        If the file does not parse, with its line and column.
    """
    graph = graph if graph is not None else Graph()
    if path.suffix in _XML_FORMATS:
        check_entities(path)
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


def read_dataset(paths: Iterable[str | Path], *, default: bool = True) -> tuple[Dataset, list[Path]]:
    """Parse the ontology into its graph, and the default data (unless ``default=False``) and ``paths`` into the data's.

    Returns the dataset (:func:`kg._store.new_dataset`, the graphs kept disjoint: see
    :mod:`kg._graphs`) and the list of data files read (for error messages).

    >>> dataset, files = read_dataset([])
    >>> len(dataset.graph(URIRef(ONTOLOGY_GRAPH))) > 1000, len(dataset.graph(URIRef(ASSERTED_GRAPH))) > 500
    (True, True)
    """
    from kg._store import MemoryStore, new_dataset

    dataset = new_dataset()
    ontology = dataset.graph(URIRef(ONTOLOGY_GRAPH))
    for path in ontology_files():
        parse_file(path, ontology)
    asserted = dataset.graph(URIRef(ASSERTED_GRAPH))
    files = data_files(*paths, default=default)
    for path in files:
        parse_file(path, asserted)
    MemoryStore(dataset).keep_disjoint()
    log.info("read %d triples from %d files", len(dataset), len(files))
    return dataset, files


def read_graph(paths: Iterable[str | Path], *, default: bool = True) -> tuple[Graph, list[Path]]:
    """Parse the ontology, the default data (unless ``default=False``) and ``paths``.

    Returns the graph and the list of data files read (for error messages).
    """
    graph = Graph()
    for path in ontology_files():
        parse_file(path, graph)
    files = data_files(*paths, default=default)
    for path in files:
        parse_file(path, graph)
    log.info("read %d triples from %d files", len(graph), len(files))
    return graph, files
