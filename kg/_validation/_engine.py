"""Running the compiled shapes on an Oxigraph store, and reading files into one for that."""

from __future__ import annotations

import logging
import re
from collections.abc import Callable, Iterable, Sequence
from pathlib import Path
from typing import Any

import pyoxigraph as ox
from rdflib import RDFS, Graph, URIRef

from kg._errors import EngineError, ParseError
from kg._loading import OX_FORMATS, check_entities
from kg._store import to_rdflib
from kg._validation._compile import _JOIN_AT_MOST, Check, compile_shapes
from kg._validation._report import ValidationReport, Violation, placed, short

__all__ = ["Progress", "oxigraph_parse_error", "read_files", "run", "to_oxigraph_store"]

log = logging.getLogger(__name__)

Progress = Callable[[int, int], None]
"""``progress(done, total)``: checks run so far, checks in all."""


_POSITION = re.compile(r"(?:line|at) (\d+)(?::|,? column | between columns )(\d+)")
_HEAD = re.compile(r"^Parser error at line \d+ (?:between columns \d+ and \d+|column \d+): ")


def oxigraph_parse_error(path: Path, exc: Exception) -> ParseError:
    """Turn an error of Oxigraph's parsers into a :class:`ParseError` at the file's line and column.

    Examples
    --------
    >>> error = SyntaxError("Parser error at line 3 column 7: unexpected end")
    >>> str(oxigraph_parse_error(Path("a.ttl"), error))
    'a.ttl:3:7: syntax error: unexpected end; fix the Turtle at that position'
    """
    text = str(exc)
    match = _POSITION.search(text)
    reason = _HEAD.sub("", text) or type(exc).__name__
    line, column = getattr(exc, "lineno", None), getattr(exc, "offset", None)
    if match and line is None:
        line, column = int(match[1]), int(match[2])
    return ParseError(path, line, column, reason)


def read_files(store: ox.Store, files: Iterable[Path]) -> None:
    """Parse RDF files into an Oxigraph store (each file's IRI is the base of its relative IRIs).

    Raises
    ------
    ParseError
        A file that does not parse, with its line and column.
    """
    for path in files:
        fmt = OX_FORMATS.get(path.suffix)
        if fmt is None:
            raise ParseError(path, None, None, f"Oxigraph does not read files ending {path.suffix!r}")
        if fmt == ox.RdfFormat.RDF_XML:
            check_entities(path)  # Oxigraph would expand them all
        try:
            store.bulk_load(path=str(path), format=fmt, base_iri=path.resolve().as_uri())
        except (SyntaxError, ValueError) as exc:
            raise oxigraph_parse_error(path, exc) from exc
        except MemoryError as exc:  # "Reached the buffer maximal size"
            raise ParseError(path, None, None, f"{exc}: a literal, IRI or line too long; shorten it") from exc
        except OSError as exc:
            raise EngineError(f"cannot read {path}: {exc}") from exc


def to_oxigraph_store(graph: Graph) -> ox.Store:
    """Copy an rdflib graph into a new in-memory Oxigraph store."""
    store = ox.Store()
    data = graph.serialize(format="nt", encoding="utf-8")
    store.bulk_load(data, format=ox.RdfFormat.N_TRIPLES)
    return store


def _closure(store: ox.Store) -> Callable[[URIRef], list[URIRef]]:
    found: dict[URIRef, list[URIRef]] = {}

    def closure(cls: URIRef) -> list[URIRef]:
        if cls not in found:
            query = f"SELECT DISTINCT ?c WHERE {{ ?c <{RDFS.subClassOf}>* <{cls}> }}"
            classes = [URIRef(row["c"].value) for row in _query(store, query) if isinstance(row["c"], ox.NamedNode)]
            found[cls] = sorted(set(classes) | {cls})
        return found[cls]

    return closure


def _query(store: ox.Store, sparql: str) -> Iterable[Any]:
    try:
        rows: Iterable[Any] = store.query(sparql)  # type: ignore[assignment]
        return rows
    except SyntaxError as exc:  # a compiled query Oxigraph refuses: a bug here, or a shape's own SPARQL
        raise EngineError(f"the validator wrote a query Oxigraph refuses ({exc}):\n{sparql}") from exc


_DISTINCT_LIMIT = 5000
"""Most distinct values of a path tested one by one; past this, a check runs in one query."""


class _Values:
    """The distinct values of each path, read once for all the checks on it (None: too many)."""

    def __init__(self, store: ox.Store):
        self.store = store
        self.found: dict[str, str | None] = {}

    def of(self, path: str) -> str | None:
        if path not in self.found:
            query = f"SELECT DISTINCT ?value WHERE {{ ?_s {path} ?value }} LIMIT {_DISTINCT_LIMIT + 1}"
            values = [row["value"] for row in _query(self.store, query)]
            few = len(values) <= _DISTINCT_LIMIT and not any(isinstance(v, ox.BlankNode) for v in values)
            self.found[path] = " ".join(map(str, values)) if few else None
        return self.found[path]


def _fill_values(query: str, values: str) -> str:
    return query.replace("VALUES ?value {}", f"VALUES ?value {{ {values} }}", 1)


def _rows(store: ox.Store, check: Check, values: _Values) -> Iterable[Any]:
    if not check.values_of:
        return _query(store, check.query)
    distinct = values.of(check.values_of)
    if distinct is None:
        return _query(store, check.full)
    if not distinct:
        return []
    bad = [row["value"] for row in _query(store, _fill_values(check.candidates, distinct))]
    if not bad:
        return []
    if len(bad) > _JOIN_AT_MOST:
        return _query(store, check.full)
    return _query(store, _fill_values(check.query, " ".join(map(str, bad))))


_TEMPLATE = re.compile(r"\{[?$](\w+)\}")


def _fill(message: str, row: Any) -> str:
    """Put the bindings of a SPARQL constraint's row into its message's ``{?var}`` and ``{$var}``."""

    def binding(match: re.Match[str]) -> str:
        return short(to_rdflib(row[match[1]]))

    return _TEMPLATE.sub(binding, message)


def _results(check: Check, rows: Iterable[Any]) -> list[tuple[str, Violation]]:
    found = []
    seen: set[tuple[Any, ...]] = set()
    for row in rows:
        focus = row["this"]
        value = focus if check.value_is_focus else row["value"]
        path = check.path
        message = check.message
        if check.component == "SPARQL":
            value = value if value is not None else focus
            bound = row["path"]
            path = URIRef(bound.value) if isinstance(bound, ox.NamedNode) else path
            message = _fill(message, row)
            if (focus, value, path, message) in seen:  # rows that differ only in unreported variables
                continue
            seen.add((focus, value, path, message))
        violation = Violation(
            node=short(to_rdflib(focus)),
            path=short(path),
            rule=check.component,
            message=message or f"breaks a constraint of the shape {check.shape}",
            severity=check.severity,
            value=short(to_rdflib(value)) if value is not None and value != focus else "",
        )
        found.append((focus.value if isinstance(focus, ox.NamedNode) else "", violation))
    return found


def run(
    store: ox.Store,
    shapes: Graph,
    *,
    files: Sequence[Path] = (),
    progress: Progress | None = None,
) -> ValidationReport:
    """Validate the data in an Oxigraph store against a shapes graph, one compiled check at a time.

    Parameters
    ----------
    store : pyoxigraph.Store
        The data (with the ontology, so that class hierarchies are known).
    shapes : rdflib.Graph
        The SHACL shapes.
    files : sequence of Path
        The data files, to point each violation at the line that declares its node.
    progress : callable, optional
        Called as ``progress(done, total)`` after each check.
    """
    checks = compile_shapes(shapes, _closure(store))
    values = _Values(store)
    found: list[tuple[str, Violation]] = []
    for done, check in enumerate(checks, 1):
        found.extend(_results(check, _rows(store, check, values)))
        if progress is not None:
            progress(done, len(checks))
    results = placed(found, files)
    log.info("validated with %d checks: %d result(s)", len(checks), len(results))
    return ValidationReport(not any(r.severity == "Violation" for r in results), results)
