"""rdflib's in-memory graph as a :class:`~kg._store._base.Store`: the default engine.

rdflib does the work: its SPARQL engine, its ``initBindings`` for parameters, its update
evaluator. What this module adds is what the other engines answer too: queries prepared once
(rdflib parses and translates a query in tens of milliseconds, often more than running it
takes), the package's prefixes, a timeout, the answer as a :class:`~kg._store._base.Result`, and
a clear error for what one in-memory graph cannot do (``FROM``, ``FROM NAMED``).
"""

from __future__ import annotations

import functools
import re
from collections.abc import Mapping
from typing import Any

from rdflib import Graph, Variable
from rdflib.plugins.sparql.parser import parseUpdate
from rdflib.term import Node

from kg._errors import QueryError
from kg._namespace import PREFIXES
from kg._store._base import Result, Row, Store, time_limit
from kg._store._sparql import PREFIX_TEXT, blank_strings, parse_query, parsed

__all__ = ["MemoryStore"]

_FROM = re.compile(r"(?<![?$\w:])FROM\b(?!:)", re.IGNORECASE)


@functools.lru_cache(maxsize=512)
def _prepared(sparql: str) -> Any:
    # rdflib parses and translates a query in tens of milliseconds, often more than it takes to
    # run it: the queries of the package run again and again, so each is prepared once, and the
    # query's form is read from it, so the text is parsed once (rdflib's prepareQuery, with the
    # package's syntax errors).
    from rdflib.plugins.sparql.algebra import translateQuery

    prepared = translateQuery(parse_query(sparql), initNs=PREFIXES)
    prepared._original_args = (sparql, PREFIXES, None)
    return prepared


class MemoryStore(Store):
    """rdflib's in-memory graph: the default engine, for up to some 100,000 events.

    Parameters
    ----------
    graph : rdflib.Graph, optional
        The graph to wrap (it is used, not copied); a new empty graph by default.

    Examples
    --------
    >>> store = MemoryStore()
    >>> store.update('INSERT DATA { <http://ex/a> <http://ex/p> "1" }')
    >>> [row["o"].toPython() for row in store.query("SELECT ?o WHERE { ?s ?p ?o }")]
    ['1']
    """

    engine = "memory"

    def __init__(self, graph: Graph | None = None):
        self.graph = graph if graph is not None else Graph()
        for prefix, namespace in PREFIXES.items():
            self.graph.bind(prefix, namespace, override=False)

    def query(self, sparql: str, *, bindings: Mapping[str, Node] | None = None, timeout: float | None = None) -> Result:
        """Run a SPARQL query; with a ``timeout`` (seconds) it is stopped then (see :func:`time_limit`)."""
        with time_limit(timeout):
            return self._query(sparql, bindings)

    def _query(self, sparql: str, bindings: Mapping[str, Node] | None) -> Result:
        prepared = _prepared(sparql)  # raises QueryError on a syntax error
        form = str(prepared.algebra.name).removesuffix("Query").upper()  # as query_form would say
        init: Any = {Variable(k): v for k, v in (bindings or {}).items()}
        if _FROM.search(blank_strings(sparql)):
            raise QueryError(
                "FROM and FROM NAMED are not supported by the in-memory engine (it holds one "
                "graph): leave them out, or use an Oxigraph store (--store) or an endpoint"
            )
        result = self.graph.query(prepared, initBindings=init)
        if form == "ASK":
            return Result(form, boolean=bool(result.askAnswer))
        if form in ("CONSTRUCT", "DESCRIBE"):
            graph = Graph()
            for triple in result:
                graph.add(triple)  # type: ignore[arg-type]
            return Result(form, graph=graph)
        names = tuple(str(v) for v in (result.vars or ()))
        return Result(form, vars=names, rows=[Row(r, names) for r in result])  # type: ignore[arg-type]

    def update(self, sparql: str) -> None:
        try:
            tree = parsed(parseUpdate, PREFIX_TEXT + sparql)  # a syntax error changes nothing
        except Exception as exc:
            line, column = getattr(exc, "lineno", None), getattr(exc, "col", None)
            raise QueryError(f"SPARQL update syntax error: {exc}", line=line, column=column) from exc
        from rdflib.plugins.sparql.algebra import translateUpdate
        from rdflib.plugins.sparql.update import evalUpdate

        evalUpdate(self.graph, translateUpdate(tree))

    def add_graph(self, graph: Graph) -> None:
        for triple in graph:
            self.graph.add(triple)

    def __len__(self) -> int:
        return len(self.graph)

    def to_graph(self) -> Graph:
        return self.graph
