"""What a projection reads of a store besides its edges, and the rule of folding.

:class:`Rules` holds the relation types, the filters resolved against the store and its contested
claims; :func:`actor_nodes` the actors with their labels and kinds; :func:`fold_parents` which
actor each folds into. The projection of a graph (:mod:`kg._network.projection`) and the one kept
as arrays (:mod:`kg._network.pairs`) both use them.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Set
from typing import NamedTuple

import networkx as nx

from kg._names import resolve_types
from kg._namespace import ACTOR_KIND
from kg._netindex import EdgeTable, edge_table
from kg._network.options import ProjectionOptions
from kg._network.types import RelationInfo, relation_types
from kg._store import Store
from kg._tabular import short_label
from kg._timecut import TimeCut

__all__ = ["Rules", "actor_nodes", "fold_parents"]

_ACTORS = f"""
SELECT ?actor ?label ?kind WHERE {{
    {ACTOR_KIND}
    OPTIONAL {{ ?actor rdfs:label ?label }}
}}
"""

_CONTESTED = """
SELECT DISTINCT ?claim WHERE {
    ?claim a dip:Claim .
    { ?event dip:disputesClaim ?claim }
    UNION { ?claim dip:contradicts ?other } UNION { ?other dip:contradicts ?claim }
}
"""


class Rules(NamedTuple):
    """What a projection reads of a store besides its edges: relation types, filters, contested claims."""

    types: dict[str, RelationInfo]
    wanted: set[str] | None
    signs: set[int] | None
    contested: set[str | None]

    @classmethod
    def of(cls, store: Store, options: ProjectionOptions) -> Rules:
        return cls(
            relation_types(store),
            resolve_types(store, options.relations) if options.relations is not None else None,
            set(options.signs) if options.signs is not None else None,
            {row[0] for row in store.query_values(_CONTESTED)},
        )

    def table(self, store: Store, options: ProjectionOptions) -> EdgeTable | None:
        """Return the edges before folding from the store's network index; None without one."""
        return edge_table(
            store,
            self.types,
            self.contested,
            options.cut,
            self.wanted,
            self.signs,
            claims=options.claims,
            fold=options.fold,
            structural=bool(options.structural),
            each_report=options.each_report,
        )


def actor_nodes(store: Store, cut: TimeCut) -> nx.MultiDiGraph[str]:
    """Return a graph of every actor of ``store`` (``label``, ``kind``), no edge yet."""
    graph: nx.MultiDiGraph[str] = nx.MultiDiGraph(
        as_of=str(cut.as_of or ""),
        since=str(cut.since or ""),
        until=str(cut.until or ""),
        from_evidence=cut.from_evidence,
    )
    labels: dict[str, tuple[str, str]] = {}
    for actor, label, kind in store.query_values(_ACTORS):
        assert actor is not None and kind is not None
        name = label or short_label(actor)
        if actor not in labels or name < labels[actor][0]:
            labels[actor] = (name, kind.rsplit("#", 1)[-1])
    graph.add_nodes_from((actor, {"label": name, "kind": kind}) for actor, (name, kind) in labels.items())
    return graph


def fold_parents(
    edges: Iterable[tuple[str, str, str]], kinds: Mapping[str, str], types: dict[str, RelationInfo], keep: Set[str]
) -> dict[str, str]:
    """Return the actor each actor folds into, from the ``(actor, target, relation type)`` of the edges.

    Each actor folds into the actor it acts for along the structural relations that fold (a
    minister into its state, a consulate into its state), followed to the top; of several, the
    least target IRI (then type). A collective (protesters, citizens) is never folded, nor is an
    actor in ``keep``, nor into an actor of no known kind (``kinds``: node to kind).

    Examples
    --------
    >>> from kg._network.types import RelationInfo
    >>> post = RelationInfo("urn:post", "holds a post in", 0, None, False, True, True, None, folds=True)
    >>> edges = [("urn:minister", "urn:state", "urn:post"), ("urn:aide", "urn:minister", "urn:post")]
    >>> kinds = {"urn:minister": "Person", "urn:state": "State", "urn:aide": "Person"}
    >>> sorted(fold_parents(edges, kinds, {"urn:post": post}, set()).items())
    [('urn:aide', 'urn:state'), ('urn:minister', 'urn:state')]
    """
    parent: dict[str, str] = {}
    for a, b, _ in sorted(e for e in edges if types[e[2]].folds):
        if a not in keep and kinds.get(a) != "Collective" and kinds.get(b):
            parent.setdefault(a, b)
    top: dict[str, str] = {}
    for node in parent:
        seen, current = {node}, node
        while current in parent and parent[current] not in seen:
            current = parent[current]
            seen.add(current)
        top[node] = current
    return top
