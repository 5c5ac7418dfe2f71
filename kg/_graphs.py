"""The project's dataset: three named graphs, and the one rule by which every engine's queries see them.

A store holds the ontology, the asserted data and the derived edges each in a named graph of its
own, so a derived edge is never taken for a stated one and an export or a check can choose:

- :data:`ONTOLOGY_GRAPH`: the terms, the relation taxonomy, CAMEO (``ontology/*.ttl``);
- :data:`ASSERTED_GRAPH`: what the sources say: the default data, the user's files, ingested events;
- :data:`DERIVED_GRAPH`: the actor-to-actor edges :func:`kg._derivation.derive` adds.

The graphs are kept disjoint, a triple in one of them only (ontology first, then asserted, then
derived): Oxigraph reads a union of graphs as a bag, so a triple in two graphs would count twice
there and once in rdflib.

Every query's default graph is the merge of the graphs :func:`query_dataset` names. On a local
store (rdflib in memory, Oxigraph on disk) that is the union of *every* graph of the store: the
three above, and the store's own default graph, where a SPARQL Update that names no graph writes
(and where a store of layout 1 kept everything). A server holds graphs of others (Virtuoso its
system graphs), so there the three are named (``default-graph-uri``). Graphs chosen by the caller
(``--graph``, ``default_graphs=``) replace the rule on every engine.

>>> query_dataset() is None, query_dataset(server=True) == (ONTOLOGY_GRAPH, ASSERTED_GRAPH, DERIVED_GRAPH)
(True, True)
>>> query_dataset(["asserted"])
('https://w3id.org/dipkg/graph/asserted',)
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from kg._errors import EngineError

__all__ = [
    "ASSERTED_GRAPH",
    "DERIVED_GRAPH",
    "GRAPHS",
    "GRAPH_BASE",
    "ONTOLOGY_GRAPH",
    "SETTLE",
    "graph_iri",
    "query_dataset",
]

GRAPH_BASE = "https://w3id.org/dipkg/graph/"
"""The namespace of the project's graph names."""

ONTOLOGY_GRAPH = GRAPH_BASE + "ontology"
"""The graph of the ontology's terms, taxonomy and CAMEO scheme."""

ASSERTED_GRAPH = GRAPH_BASE + "asserted"
"""The graph of the data: what the sources say."""

DERIVED_GRAPH = GRAPH_BASE + "derived"
"""The graph of the actor-to-actor edges derived from events and standing relations."""

GRAPHS = {"ontology": ONTOLOGY_GRAPH, "asserted": ASSERTED_GRAPH, "derived": DERIVED_GRAPH}
"""The project's graphs by short name, in the order a triple is kept in the first that has it."""

_IRI = re.compile(r"[A-Za-z][A-Za-z0-9+.-]*:[^\s<>\"{}|\\^`]+")


def graph_iri(name: str) -> str:
    """Return the IRI of the graph ``name``: a short name of :data:`GRAPHS`, or an absolute IRI.

    Raises
    ------
    EngineError
        Neither a short name nor an absolute IRI.

    Examples
    --------
    >>> graph_iri("derived"), graph_iri("urn:dipkg:data")
    ('https://w3id.org/dipkg/graph/derived', 'urn:dipkg:data')
    >>> graph_iri("my graph")
    Traceback (most recent call last):
    ...
    kg._errors.EngineError: graph name 'my graph' is not an absolute IRI (...) nor one of ontology, asserted, derived
    """
    if name in GRAPHS:
        return GRAPHS[name]
    if not _IRI.fullmatch(name):
        raise EngineError(
            f"graph name {name!r} is not an absolute IRI (e.g. urn:dipkg:data) nor one of {', '.join(GRAPHS)}"
        )
    return name


def query_dataset(graphs: Iterable[str] = (), *, server: bool = False) -> tuple[str, ...] | None:
    """Return the graphs whose merge is every query's default graph; None for all those of the store.

    Parameters
    ----------
    graphs : iterable of str
        Graphs the caller chose (short names or IRIs): they are the dataset, on every engine.
    server : bool, default False
        The store is a SPARQL server, whose other graphs are not the project's: without a choice
        its dataset is the project's three graphs. A local store's is the union of all its graphs.

    Examples
    --------
    >>> query_dataset(server=True)[-1]
    'https://w3id.org/dipkg/graph/derived'
    """
    chosen = tuple(graph_iri(g) for g in graphs)
    if chosen:
        return chosen
    return tuple(GRAPHS.values()) if server else None


SETTLE = f"""
DELETE {{ GRAPH <{ASSERTED_GRAPH}> {{ ?s ?p ?o }} }}
WHERE {{ GRAPH <{ONTOLOGY_GRAPH}> {{ ?s ?p ?o }} GRAPH <{ASSERTED_GRAPH}> {{ ?s ?p ?o }} }} ;
DELETE {{ GRAPH <{DERIVED_GRAPH}> {{ ?s ?p ?o }} }}
WHERE {{ GRAPH <{DERIVED_GRAPH}> {{ ?s ?p ?o }} GRAPH ?other {{ ?s ?p ?o }} FILTER (?other != <{DERIVED_GRAPH}>) }}
"""
"""The SPARQL Update that keeps the graphs disjoint after a load: a triple the ontology holds is
dropped from the asserted graph, one any other graph holds from the derived graph."""
