"""What every analysis shares: the network and the names of its actors, and the evidence of an edge.

:func:`network` takes a store (projected with the options) or a graph already projected, through
:func:`kg._network.projected`, the one check of the two.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, TypeAlias

import networkx as nx
from rdflib import URIRef

from kg._actors import ActorIndex, actor_index
from kg._network import ProjectionOptions, describe_view, projected
from kg._store import Store
from kg._timecut import TimeCut

__all__ = ["Edge", "Network", "Source", "before_evidence_note", "edges_between", "evidence_of", "iri_of", "network"]

Source: TypeAlias = "Store | nx.MultiDiGraph[Any]"
"""What every analysis takes: a store, or a graph from :func:`kg._network.project`."""


class Network:
    """A projection with the names of its actors (those folded away included)."""

    def __init__(self, graph: nx.MultiDiGraph[Any], store: Store | None = None, index: ActorIndex | None = None):
        self.graph, self.store, self._index = graph, store, index

    @property
    def index(self) -> ActorIndex:
        """The actors' names: of the store when there is one (aliases too), else of the nodes."""
        if self._index is None:
            self._index = actor_index(self.store) if self.store is not None else ActorIndex.from_graph(self.graph)
        return self._index

    def again(self, graph: nx.MultiDiGraph[Any]) -> Network:
        """Return another projection of the same store, with the same names."""
        return Network(graph, self.store, self._index)

    def label(self, iri: Any) -> str:
        node = self.graph.nodes.get(iri)
        if node is not None and node.get("label"):
            return str(node["label"])
        return self.index.label(str(iri))

    def resolve(self, name: str) -> str:
        return str(self.index.resolve(name))

    def node(self, name: str) -> str:
        """Resolve ``name`` to the node of the projection that stands for it (after folding)."""
        iri = self.resolve(name)
        if iri not in self.graph:
            iri = self.graph.graph.get("fold_map", {}).get(iri, iri)
        return iri

    def cut_text(self) -> str:
        """Say what the network counts: the time cut and the view (folding, contested accounts)."""
        g = self.graph.graph
        cut = str(
            TimeCut.of(
                as_of=g.get("as_of") or None,
                since=g.get("since") or None,
                until=g.get("until") or None,
                from_evidence=bool(g.get("from_evidence")),
            )
        )
        view = describe_view(self.graph)
        return f"{cut}; {view}" if view else cut


def network(
    source: Source, options: ProjectionOptions, *, named: Sequence[str] = (), structural: bool = False
) -> Network:
    """Return the network of ``source`` under ``options`` with the names of its actors.

    ``named``: the actors a question names, kept apart when the projection folds;
    ``structural``: what ``structural=None`` means for the caller.
    """
    index: ActorIndex | None = None

    def resolve(store: Store, name: str) -> str:
        nonlocal index
        if index is None:
            index = actor_index(store)
        return str(index.resolve(name))

    graph = projected(source, options, named=named, resolve=resolve, structural=structural)
    return Network(graph, source if isinstance(source, Store) else None, index)


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


Edge = tuple[Any, Any, dict[str, Any]]


def edges_between(graph: nx.MultiDiGraph[Any], u: Any, v: Any, *, directed: bool) -> list[Edge]:
    """Return every projected edge that links ``u`` to ``v``, in date order.

    Also those from ``v`` to ``u`` unless ``directed``; a symmetric relation links both ways.
    """
    found = [(u, v, d) for d in graph.succ[u].get(v, {}).values()] if u in graph else []
    if v in graph and u != v:
        found += [(v, u, d) for d in graph.succ[v].get(u, {}).values() if not directed or d.get("symmetric")]
    found.sort(key=lambda e: (e[2].get("date", ""), e[2].get("end_date", ""), str(e[2].get("event", ""))))
    return found
