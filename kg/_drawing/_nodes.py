"""Which actors a picture shows, and how a name finds its actor (the package's one actor resolver)."""

from __future__ import annotations

from collections import deque
from collections.abc import Iterable, Sequence
from typing import Any

import networkx as nx
from rdflib import URIRef

from kg._analysis import centrality
from kg._drawing._grammar import _EGO_LIMIT
from kg._errors import InputError
from kg._network import PairNetwork, ProjectionOptions, pairs_for, projected, store_options
from kg._query import resolve_actor
from kg._store import Store
from kg._tabular import short_iri

__all__: list[str] = []


def _projected(
    data: Store | nx.MultiDiGraph[Any],
    options: ProjectionOptions,
    store: Store | None,
    *,
    named: Sequence[str | None] = (),
) -> tuple[nx.MultiDiGraph[Any], Store | None]:
    """Return the graph to draw (:func:`kg._network.projected`'s one check) and the store naming it."""
    graph = projected(data, options, named=named, resolve=resolve_actor)
    return graph, data if isinstance(data, Store) else store


def _projected_pairs(
    data: Store | nx.MultiDiGraph[Any],
    options: ProjectionOptions,
    store: Store | None,
    *,
    named: Sequence[str | None] = (),
) -> tuple[nx.MultiDiGraph[Any] | PairNetwork, Store | None]:
    """As :func:`_projected`, but a store with a network index gives its projection kept as arrays."""
    if isinstance(data, Store):
        chosen = store_options(data, options, named=named, resolve=resolve_actor)
        assert chosen is not None
        pairs = pairs_for(data, chosen)
        if pairs is not None:
            return pairs, data
    return _projected(data, options, store, named=named)


def _actors_of(source: nx.MultiDiGraph[Any] | PairNetwork) -> nx.DiGraph[Any]:
    """Return the graph a picture chooses its actors on: ``source``, or the pairs of one kept as arrays.

    The pairs (one edge each way a relation runs) have the same actors, names and neighbours.
    """
    if not isinstance(source, PairNetwork):
        return source
    graph = source.weighted(directed=True)
    assert isinstance(graph, nx.DiGraph)
    graph.graph.update(source.graph)
    return graph


def _before_evidence(source: nx.MultiDiGraph[Any] | PairNetwork) -> int:
    """Return how many edges the cut counts only before their first evidence."""
    if isinstance(source, PairNetwork):
        return source.before_evidence()
    return sum(1 for *_, d in source.edges(data=True) if d.get("before_evidence"))


def _label_of(graph: nx.Graph[Any], node: Any) -> str:
    label = graph.nodes[node].get("label") if node in graph else None
    return str(label) if label else short_iri(str(node)).split(":", 1)[-1].rsplit("/", 1)[-1]


def _scores(source: nx.MultiDiGraph[Any] | PairNetwork, measure: str) -> dict[Any, float]:
    """Score every actor with :func:`kg._analysis.centrality` (the project's one implementation)."""
    table = centrality(source, measure=measure)
    columns = list(table.columns)
    score, iri = columns.index("score"), columns.index("iri")
    by_name = {str(node): node for node in source.nodes}
    return {by_name[str(row[iri])]: float(row[score]) for row in table.rows if str(row[iri]) in by_name}


def _ranked(nodes: Iterable[Any], scores: dict[Any, float], graph: nx.Graph[Any]) -> list[Any]:
    return sorted(nodes, key=lambda n: (-scores.get(n, 0.0), _label_of(graph, n).casefold(), str(n)))


def _actor(graph: nx.Graph[Any], name: str, store: Store | None) -> Any:
    """Resolve an actor's name to its node in the projection (the actor it folds into, if folded).

    Names are read by the package's one actor resolver: :func:`kg._query.resolve_actor` with a
    store (label, alias, local name, IRI, code); without one, the same rule over the nodes of
    the projection.

    Raises
    ------
    UnknownNameError
        No actor has that name.
    InputError
        The actor exists but has no relation in this cut, or the name is ambiguous.
    """
    iri = str(resolve_actor(store if store is not None else graph, name))
    iri = graph.graph.get("fold_map", {}).get(iri, iri)
    by_name = {str(node): node for node in graph.nodes}
    if iri not in by_name:
        rows = (
            store.query_values("SELECT ?label WHERE { ?actor rdfs:label ?label }", bindings={"actor": URIRef(iri)})
            if store is not None
            else []
        )
        label = min((str(r[0]) for r in rows if r[0]), default=short_iri(iri))
        raise InputError(
            f"{label} has no relation in this cut: widen the time window, drop a filter "
            "or take contested claims in (claims=True)"
        )
    return by_name[iri]


def _ego_nodes(graph: nx.DiGraph[Any], centre: Any, hops: int) -> list[Any]:
    """Return the actors within ``hops`` relations of ``centre``, either way (breadth first)."""
    seen = {centre: 0}
    queue = deque([centre])
    while queue:
        node = queue.popleft()
        if seen[node] >= hops:
            continue
        for other in sorted(set(graph.succ[node]) | set(graph.pred[node]), key=str):
            if other not in seen:
                seen[other] = seen[node] + 1
                queue.append(other)
    return list(seen)


def _view_nodes(
    graph: nx.DiGraph[Any], scores: dict[Any, float], *, view: str, centre: Any, hops: int, top: int
) -> tuple[list[Any], int]:
    """Return the actors a view shows (in a stable order) and how many it chose among."""
    if centre is not None:
        nodes = _ego_nodes(graph, centre, hops) if centre in graph else []
        total = len(nodes)
        if len(nodes) > max(_EGO_LIMIT, top):
            nodes = [centre, *[n for n in _ranked(nodes, scores, graph) if n != centre][: top - 1]]
    elif view == "top":
        nodes, total = _ranked(graph.nodes, scores, graph)[:top], graph.number_of_nodes()
    else:
        nodes, total = list(graph.nodes), graph.number_of_nodes()
    return sorted(nodes, key=str), total
