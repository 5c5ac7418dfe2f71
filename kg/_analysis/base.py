"""What every analysis shares: the network and the names of its actors, and the evidence of an edge.

:func:`network` takes a store (projected with the options) or a graph already projected, through
:func:`kg._network.projected`, the one check of the two.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from typing import Any, TypeAlias

import networkx as nx
from rdflib import URIRef

from kg._actors import ActorIndex, actor_index
from kg._network import (
    PairNetwork,
    ProjectionOptions,
    between,
    describe_view,
    pairs_for,
    project,
    store_options,
)
from kg._store import Store
from kg._timecut import TimeCut

__all__ = ["Edge", "Network", "Source", "before_evidence_note", "evidence_of", "iri_of", "network"]

Source: TypeAlias = "Store | nx.MultiDiGraph[Any] | PairNetwork"
"""What every analysis takes: a store, or a projection of it (:func:`kg._network.project`, or kept as arrays)."""

Edge = tuple[Any, Any, dict[str, Any]]


class Network:
    """A projection with the names of its actors (those folded away included).

    Made from a store with a network index, it keeps the projection as a
    :class:`~kg._network.PairNetwork`: the questions about pairs (:meth:`weighted`,
    :meth:`degree`, :meth:`edges_between`) are answered from its arrays, with the evidence read
    for the pairs asked about only, and :attr:`graph` (every edge) is made when first asked for.
    """

    def __init__(
        self,
        graph: nx.MultiDiGraph[Any] | None,
        store: Store | None = None,
        index: ActorIndex | None = None,
        pairs: PairNetwork | None = None,
    ):
        assert graph is not None or pairs is not None
        self._graph, self.store, self._index, self.pairs = graph, store, index, pairs

    @property
    def graph(self) -> nx.MultiDiGraph[Any]:
        """The projection as a ``MultiDiGraph``: every edge with its evidence."""
        if self._graph is None:
            assert self.pairs is not None
            self._graph = self.pairs.multigraph()
        return self._graph

    @property
    def meta(self) -> dict[str, Any]:
        """What the projection says of itself: the cut, the view, the fold map (``MultiDiGraph.graph``)."""
        return self.pairs.graph if self.pairs is not None else self.graph.graph

    @property
    def index(self) -> ActorIndex:
        """The actors' names: of the store when there is one (aliases too), else of the nodes."""
        if self._index is None:
            self._index = actor_index(self.store) if self.store is not None else ActorIndex.from_graph(self.graph)
        return self._index

    def again(self, graph: nx.MultiDiGraph[Any]) -> Network:
        """Return another projection of the same store, with the same names."""
        return Network(graph, self.store, self._index)

    def __contains__(self, node: object) -> bool:
        return node in self.pairs if self.pairs is not None else node in self.graph

    def nodes(self) -> dict[str, dict[str, Any]]:
        """Return the actors of the projection with their ``label`` and ``kind``."""
        return self.pairs.nodes if self.pairs is not None else dict(self.graph.nodes(data=True))

    def node_data(self, node: Any) -> dict[str, Any]:
        found = self.pairs.nodes.get(node) if self.pairs is not None else self.graph.nodes.get(node)
        return found if found is not None else {}

    def label(self, iri: Any) -> str:
        label = self.node_data(iri).get("label")
        return str(label) if label else self.index.label(str(iri))

    def resolve(self, name: str) -> str:
        return str(self.index.resolve(name))

    def node(self, name: str) -> str:
        """Resolve ``name`` to the node of the projection that stands for it (after folding)."""
        iri = self.resolve(name)
        if iri not in self:
            iri = self.meta.get("fold_map", {}).get(iri, iri)
        return iri

    def cut_text(self) -> str:
        """Say what the network counts: the time cut and the view (folding, contested accounts)."""
        g = self.meta
        cut = str(
            TimeCut.of(
                as_of=g.get("as_of") or None,
                since=g.get("since") or None,
                until=g.get("until") or None,
                from_evidence=bool(g.get("from_evidence")),
            )
        )
        view = describe_view(self.pairs if self.pairs is not None else self.graph)
        return f"{cut}; {view}" if view else cut

    # ------------------------------------------------------------ questions about pairs

    def weighted(self, *, directed: bool) -> nx.Graph[Any]:
        """Return the collapsed graph with ``weight`` = number of relations of the pair (no self-loops).

        Directed, a symmetric relation also runs back; undirected, each pair once. Nodes and edges
        are in the order of their IRIs, whichever way the projection is kept.
        """
        if self.pairs is not None:
            return self.pairs.weighted(directed=directed)
        graph = self.graph
        counts: dict[tuple[Any, Any], int] = defaultdict(int)
        for u, nbrs in graph.adj.items():
            for v, keyed in nbrs.items():
                if u == v:
                    continue
                if directed:
                    counts[u, v] += len(keyed)
                    back = sum(1 for d in keyed.values() if d.get("symmetric"))
                    if back:
                        counts[v, u] += back
                else:
                    counts[(u, v) if str(u) <= str(v) else (v, u)] += len(keyed)
        weighted: nx.Graph[Any] = nx.DiGraph() if directed else nx.Graph()
        weighted.add_nodes_from(sorted(graph.nodes(data=True), key=lambda n: str(n[0])))
        weighted.add_weighted_edges_from(
            (u, v, w) for (u, v), w in sorted(counts.items(), key=lambda e: (str(e[0][0]), str(e[0][1])))
        )
        return weighted

    def degree(self) -> dict[Any, int]:
        """Return each actor's number of relations, in and out (a self-relation counts twice)."""
        return self.pairs.degree() if self.pairs is not None else dict(self.graph.degree())

    def edges_between(self, u: Any, v: Any, *, directed: bool, limit: int | None = None) -> tuple[list[Edge], int]:
        """Return the first ``limit`` edges that link ``u`` to ``v`` (all when None) and how many there are.

        Also those from ``v`` to ``u`` unless ``directed``: a symmetric relation links both ways.
        In the order of :func:`kg._network.edge_order` (date, end, event, target); kept as arrays,
        the evidence is read for the edges returned only.
        """
        if self.pairs is not None:
            return self.pairs.edges_between(u, v, directed=directed, limit=limit)
        return between(self.graph, u, v, directed=directed, limit=limit)


def network(
    source: Source,
    options: ProjectionOptions,
    *,
    named: Sequence[str] = (),
    structural: bool = False,
    remote: bool = True,
    reported: bool = False,
) -> Network:
    """Return the network of ``source`` under ``options`` with the names of its actors.

    ``named``: the actors a question names, kept apart when the projection folds;
    ``structural``: what ``structural=None`` means for the caller. A store with a network index
    gives a network kept as arrays (see :class:`Network`), and so does a SPARQL server (pair
    aggregates counted there, :mod:`kg._network.remote`) unless ``remote`` is False; ``reported``:
    the aggregates say when each was first reported (:meth:`kg._network.PairNetwork.signed`).
    """
    index: ActorIndex | None = None

    def resolve(store: Store, name: str) -> str:
        nonlocal index
        if index is None:
            index = actor_index(store)
        return str(index.resolve(name))

    chosen = store_options(source, options, named=named, resolve=resolve, structural=structural)
    if isinstance(source, PairNetwork):
        return Network(None, pairs=source)
    if chosen is None:
        assert isinstance(source, nx.MultiDiGraph)
        return Network(source)
    assert isinstance(source, Store)
    pairs = pairs_for(source, chosen, remote=remote, reported=reported)
    return Network(None if pairs is not None else project(source, chosen), source, index, pairs)


def iri_of(value: Any) -> URIRef | None:
    return URIRef(str(value)) if value else None


def evidence_of(net: Network, u: Any, v: Any, data: dict[str, Any]) -> dict[str, Any]:
    actor, target = data.get("actor", u), data.get("target", v)
    return {
        "actor": iri_of(actor),
        "actor_label": net.label(actor),
        "relation": iri_of(data.get("relation")),
        "relation_label": data.get("relation_label", ""),
        "target": iri_of(target),
        "target_label": net.label(target),
        "date": data.get("date", ""),
        "end_date": data.get("end_date", ""),
        "sign": data.get("sign", 0),
        "goldstein": data.get("goldstein"),
        "event": iri_of(data.get("event")),
        "source": iri_of(data.get("source")),
        "quote": data.get("quote", ""),
        "contested": bool(data.get("contested", False)),
        "standing": bool(data.get("standing", False)),
        "before_evidence": bool(data.get("before_evidence", False)),
    }


def before_evidence_note(count: int) -> str:
    """Return the words every output uses for relations counted before their first evidence."""
    if not count:
        return ""
    return (
        f"{count} standing relation{'s' if count != 1 else ''} counted in force before "
        "the first evidence of the source, which presents them as already existing "
        "(before_evidence; from_evidence=True counts them from it)"
    )
