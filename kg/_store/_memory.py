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
import threading
from collections.abc import Generator, Iterable, Mapping
from typing import Any

from rdflib import Dataset, Graph, URIRef, Variable
from rdflib.plugins.sparql.parser import parseUpdate
from rdflib.term import Node

from kg._errors import QueryError
from kg._graphs import ASSERTED_GRAPH, GRAPHS, graph_iri
from kg._namespace import PREFIXES
from kg._store._base import Result, Row, Store, time_limit
from kg._store._sparql import PREFIX_TEXT, blank_strings, parse_query, parsed

__all__ = ["MemoryStore", "new_dataset"]

_UPDATING = threading.Lock()  # rdflib's dataset flag is global: one update at a time
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


class _Dataset(Dataset):
    # rdflib 7.6's Dataset reads its own deprecated ``default_context`` and ``contexts`` inside
    # ``add``, ``triples`` and query evaluation, a DeprecationWarning on every triple pattern
    # matched (RDFLib/rdflib#3475, open; fix proposed in #3477): the same, without the warning.
    @property
    def default_context(self) -> Graph:
        return self._default_context

    @default_context.setter
    def default_context(self, value: Graph) -> None:
        self._default_context = value

    def contexts(self, triple: Any = None) -> Generator[Graph, None, None]:
        yield from self.graphs(triple)

    # A Dataset iterates as quads; the store's dataset iterates as the triples of its union, as
    # the plain graph of earlier versions did (``for s, p, o in store.graph``; rdflib.compare).
    def __iter__(self) -> Generator[Any, None, None]:  # type: ignore[override]
        yield from self.triples((None, None, None))


def new_dataset() -> Dataset:
    """Return an empty rdflib Dataset whose queries see the union of its graphs (:mod:`kg._graphs`).

    >>> from rdflib import URIRef
    >>> dataset = new_dataset()
    >>> dataset.graph(URIRef("urn:x:g")).add((URIRef("urn:x:a"), URIRef("urn:x:p"), URIRef("urn:x:b")))
    <Graph identifier=urn:x:g (<class 'rdflib.graph.Graph'>)>
    >>> len(dataset), bool(dataset.query("ASK { <urn:x:a> ?p ?o }"))
    (1, True)
    """
    dataset = _Dataset(default_union=True)  # the union of every graph: query_dataset's rule
    for prefix, namespace in PREFIXES.items():
        dataset.bind(prefix, namespace, override=False)
    return dataset


class MemoryStore(Store):
    """rdflib's in-memory graph: the default engine, for up to some 100,000 events.

    The store is an rdflib :class:`~rdflib.Dataset` (:attr:`graph`) whose queries see the union of
    its graphs, as :func:`kg._graphs.query_dataset` has it: the ontology, the asserted data and
    the derived edges in graphs of their own, and its default graph, where a SPARQL Update that
    names no graph (or :meth:`rdflib.Graph.add` on :attr:`graph`) writes.

    Parameters
    ----------
    graph : rdflib.Graph, optional
        A dataset of :func:`new_dataset` (used, not copied), or a plain graph (its triples are
        copied into the asserted graph); a new empty dataset by default.

    Examples
    --------
    >>> store = MemoryStore()
    >>> store.update('INSERT DATA { <http://ex/a> <http://ex/p> "1" }')
    >>> [row["o"].toPython() for row in store.query("SELECT ?o WHERE { ?s ?p ?o }")]
    ['1']
    """

    engine = "memory"

    def __init__(self, graph: Graph | None = None):
        if isinstance(graph, Dataset) and graph.default_union:
            self.graph: Dataset = graph
        else:
            self.graph = new_dataset()
            if graph is not None:
                self.add_graph(graph)

    def named(self, iri: str) -> Graph:
        """Return the graph named ``iri`` of the dataset (an rdflib graph to read or add to)."""
        return self.graph.graph(URIRef(iri))

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
                "FROM and FROM NAMED are not supported by the in-memory engine (rdflib would read "
                "the graphs from the web): use GRAPH, or an Oxigraph store (--store) or an endpoint"
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
        import rdflib.plugins.sparql as rdflib_sparql
        from rdflib.plugins.sparql.algebra import translateUpdate
        from rdflib.plugins.sparql.update import evalUpdate

        # An update reads and writes the dataset's default graph unless it names graphs, as on
        # Oxigraph; rdflib's flag also keeps INSERT DATA off the union, which it cannot add to
        # (``Dataset.__iadd__`` takes quads). The flag is read when the update starts.
        with _UPDATING:
            previous, rdflib_sparql.SPARQL_DEFAULT_GRAPH_UNION = rdflib_sparql.SPARQL_DEFAULT_GRAPH_UNION, False
            try:
                evalUpdate(self.graph, translateUpdate(tree))
            finally:
                rdflib_sparql.SPARQL_DEFAULT_GRAPH_UNION = previous

    def add_graph(self, graph: Graph, *, into: str = ASSERTED_GRAPH) -> None:
        target = self.named(into)
        target.addN((s, p, o, target) for s, p, o in graph)

    def keep_disjoint(self) -> None:
        # SETTLE's rule, by rdflib's indexes: its SPARQL engine takes seconds over the default graph
        ontology, asserted, derived = (self.named(g) for g in GRAPHS.values())
        for triple in [t for t in ontology if t in asserted]:
            asserted.remove(triple)
        for triple in [t for t in derived if len(set(self.graph.graphs(t))) > 1]:
            derived.remove(triple)

    def __len__(self) -> int:
        return len(self.graph)

    def to_graph(self, graphs: Iterable[str] = ()) -> Graph:
        chosen = [self.named(graph_iri(g)) for g in graphs]
        copy = Graph()
        for prefix, namespace in self.graph.namespaces():
            copy.bind(prefix, namespace, override=False)
        for source in chosen or [self.graph]:
            copy.addN((s, p, o, copy) for s, p, o in source.triples((None, None, None)))
        return copy
