"""Questions of the network: paths with evidence, centrality, balance, dyads and change over time.

Every function takes a store (it then projects it with :func:`kg._network.project` and the
projection options: ``as_of``, ``since``, ``until``, ``relations``, ``signs``, ``claims``,
``fold``, ``structural``) or a network already projected, and answers with a
:class:`~kg._tabular.Table` or a small dataclass with a ``.table()``. Actors are named as
:func:`kg._actors.resolve_actor` reads names: label, alias, local name or IRI, in any case (on a
network already projected, with no store at hand: label, local name or IRI).

Searches run on the collapsed graph (one edge per pair of actors) and the evidence (relation,
date, source, quote, event) is attached afterwards from the projection's parallel edges:
enumerating paths over parallel edges gives the same answer many times over.
"""

from __future__ import annotations

import itertools
import logging
from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from typing import Any, NamedTuple, TypeAlias, Unpack

import networkx as nx
from rdflib import URIRef

from kg._actors import ActorIndex, actor_index
from kg._errors import InputError, UnknownNameError
from kg._network import ProjectionOptions, collapse, describe_view, given_options, project
from kg._store import Store
from kg._tabular import Table, short_iri
from kg._timecut import TimeCut, in_force, parse_date

__all__ = [
    "CHANGES",
    "MEASURES",
    "Balance",
    "Hop",
    "Path",
    "Paths",
    "Triad",
    "balance",
    "centrality",
    "diff",
    "dyad",
    "paths",
]

log = logging.getLogger(__name__)

MEASURES = ("degree", "in-degree", "out-degree", "betweenness", "closeness", "pagerank", "eigenvector")
"""The centrality measures :func:`centrality` computes."""

_DIRECTED_MEASURES = {"in-degree", "out-degree", "pagerank"}

Source: TypeAlias = Store | nx.MultiDiGraph


# ---------------------------------------------------------------- the network and its names


class _Network:
    """A projection with the names of its actors (those folded away included)."""

    def __init__(self, graph: nx.MultiDiGraph, store: Store | None = None, index: ActorIndex | None = None):
        self.graph, self.store, self._index = graph, store, index

    @property
    def index(self) -> ActorIndex:
        """The actors' names: of the store when there is one (aliases too), else of the nodes."""
        if self._index is None:
            self._index = actor_index(self.store) if self.store is not None else ActorIndex.from_graph(self.graph)
        return self._index

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


def _network(source: Source, options: ProjectionOptions, *, named: Sequence[str] = (), **defaults: Any) -> _Network:
    # ``named``: the actors a question names, kept apart when the projection folds.
    if isinstance(source, nx.MultiDiGraph):
        given = given_options(options)
        if given:
            raise InputError(
                f"projection options ({', '.join(given)}) apply when projecting a store; "
                "this network is already projected: project the store again with them"
            )
        return _Network(source)
    if not isinstance(source, Store):
        raise TypeError(f"expected a Store or a projected nx.MultiDiGraph, not {type(source).__name__}")
    merged: dict[str, Any] = {**defaults, **{k: v for k, v in options.items() if v is not None}}
    index = actor_index(source) if named else None
    if index is not None and merged.get("fold", True):
        merged["unfold"] = [index.resolve(name) for name in named]
    return _Network(project(source, **merged), source, index)


def _iri(value: Any) -> URIRef | None:
    return URIRef(str(value)) if value else None


def _evidence(net: _Network, u: Any, v: Any, data: dict[str, Any]) -> dict[str, Any]:
    actor, target = data.get("actor", u), data.get("target", v)
    return {
        "actor": _iri(actor),
        "actor_label": net.label(actor),
        "relation": _iri(data.get("relation")),
        "relation_label": data.get("relation_label", ""),
        "target": _iri(target),
        "target_label": net.label(target),
        "date": data.get("date", ""),
        "end_date": data.get("end_date", ""),
        "sign": data.get("sign", 0),
        "goldstein": data.get("goldstein"),
        "event": _iri(data.get("event")),
        "source": _iri(data.get("source")),
        "quote": data.get("quote", ""),
        "contested": bool(data.get("contested", False)),
        "standing": bool(data.get("standing", False)),
        "before_evidence": bool(data.get("before_evidence", False)),
    }


def _before_evidence_note(count: int) -> str:
    """Return the words every output uses for relations counted before their first evidence."""
    if not count:
        return ""
    return (
        f"{count} standing relation{'s' if count != 1 else ''} counted in force before "
        "the first evidence of the source, which presents them as already existing "
        "(before_evidence; from_evidence=True counts them from it)"
    )


_Edge = tuple[Any, Any, dict[str, Any]]


def _edges_between(graph: nx.MultiDiGraph, u: Any, v: Any, *, directed: bool) -> list[_Edge]:
    """Return every projected edge that links ``u`` to ``v``, in date order.

    Also those from ``v`` to ``u`` unless ``directed``; a symmetric relation links both ways.
    """
    found = [(u, v, d) for d in graph.succ[u].get(v, {}).values()] if u in graph else []
    if v in graph and u != v:
        found += [(v, u, d) for d in graph.succ[v].get(u, {}).values() if not directed or d.get("symmetric")]
    found.sort(key=lambda e: (e[2].get("date", ""), e[2].get("end_date", ""), str(e[2].get("event", ""))))
    return found


# ---------------------------------------------------------------- paths


@dataclass(frozen=True)
class Hop:
    """One step of a path and the relations that make it (in date order)."""

    source: str
    target: str
    source_label: str
    target_label: str
    evidence: tuple[dict[str, Any], ...]
    more: int = 0
    """How many relations of this pair were left out (``evidence=`` limit)."""


@dataclass(frozen=True)
class Path:
    """A path between two actors: its nodes and one :class:`Hop` per step."""

    nodes: tuple[str, ...]
    hops: tuple[Hop, ...]
    shortest: bool

    def __len__(self) -> int:
        return len(self.hops)

    @property
    def labels(self) -> tuple[str, ...]:
        """The labels of the actors along the path."""
        return (self.hops[0].source_label, *(h.target_label for h in self.hops)) if self.hops else ()


@dataclass
class Paths:
    """The shortest path(s) between two actors and every simple path up to ``max_hops``.

    Paths are in order of length, then of the actors' labels; each hop carries its evidence.
    """

    source: str
    target: str
    source_label: str
    target_label: str
    paths: list[Path] = field(default_factory=list)
    max_hops: int = 3
    directed: bool = False
    truncated: bool = False
    note: str = ""
    cut: str = ""

    def __iter__(self) -> Iterator[Path]:
        return iter(self.paths)

    def __len__(self) -> int:
        return len(self.paths)

    def __bool__(self) -> bool:
        return bool(self.paths)

    @property
    def shortest(self) -> list[Path]:
        """The shortest paths."""
        return [p for p in self.paths if p.shortest]

    def table(self) -> Table:
        """Return one row per piece of evidence: path, hop, actors and relation, date, source, quote."""
        columns = [
            "path",
            "length",
            "shortest",
            "hop",
            "from",
            "to",
            "actor",
            "relation",
            "target",
            "date",
            "before_evidence",
            "sign",
            "goldstein",
            "source",
            "quote",
            "event",
        ]
        rows: list[Sequence[Any]] = []
        for number, path in enumerate(self.paths, 1):
            for step, hop in enumerate(path.hops, 1):
                for item in hop.evidence:
                    rows.append(
                        [
                            number,
                            len(path),
                            path.shortest,
                            step,
                            hop.source_label,
                            hop.target_label,
                            item["actor_label"],
                            item["relation_label"],
                            item["target_label"],
                            item["date"],
                            item["before_evidence"],
                            item["sign"],
                            item["goldstein"],
                            item["source"],
                            item["quote"],
                            item["event"],
                        ]
                    )
        kind = "directed" if self.directed else "undirected"
        title = (
            f"paths from {self.source_label} to {self.target_label} ({kind}, up to {self.max_hops} hops"
            f"{', ' + self.cut if self.cut else ''})"
        )
        if self.truncated:
            title += ", first paths only"
        more = sum(h.more for p in self.paths for h in p.hops)
        if more:
            title += f", {more} more relations of these hops not listed"
        early = _before_evidence_note(
            len(
                {
                    str(item["event"])
                    for p in self.paths
                    for h in p.hops
                    for item in h.evidence
                    if item["before_evidence"]
                }
            )
        )
        if early:
            title += f"; {early}"
        if self.note:
            title += f": {self.note}"
        return Table(columns, rows, title=title)


def _skeleton(graph: nx.MultiDiGraph, *, directed: bool) -> nx.Graph:
    # The collapsed graph's structure, read from the adjacency: no pass over the parallel edges
    # (only over those of symmetric relations, which also run backwards in the directed case).
    skeleton: nx.Graph = nx.DiGraph() if directed else nx.Graph()
    skeleton.add_nodes_from(graph)
    skeleton.add_edges_from((u, v) for u, nbrs in graph.adj.items() for v in nbrs if u != v)
    if directed:
        skeleton.add_edges_from(
            (v, u)
            for u, nbrs in graph.adj.items()
            for v, keyed in nbrs.items()
            if u != v and any(d.get("symmetric") for d in keyed.values())
        )
    return skeleton


def paths(
    source: Source,
    a: str,
    b: str,
    *,
    max_hops: int = 3,
    directed: bool = False,
    limit: int | None = 100,
    evidence: int | None = None,
    **options: Unpack[ProjectionOptions],
) -> Paths:
    """Find the shortest path(s) and every simple path up to ``max_hops`` between two actors.

    Paths are searched on the collapsed graph (one edge per pair); each hop is then explained by
    the relations behind it: relation, date, source, quote and event.

    Parameters
    ----------
    source : Store or networkx.MultiDiGraph
        A store (projected with ``options``) or a projection of :func:`kg._network.project`.
    a, b : str
        The two actors: label, alias, local name or IRI.
    max_hops : int, default 3
        The longest path listed besides the shortest ones (which are listed whatever their length).
    directed : bool, default False
        Follow relations from actor to target only (symmetric relations run both ways).
    limit : int or None, default 100
        The most paths listed (shortest first); None for all.
    evidence : int or None
        The most relations listed per hop (in date order); None for all.
    **options
        The projection options of :func:`kg._network.project`. Folded (the default), the two
        actors named are kept apart with their posts and memberships, so that a path to a
        minister ends at the minister through the state the minister serves; not folded, paths
        keep the structural relations unless ``structural=False`` is given.

    Returns
    -------
    Paths
        Empty, with a ``note``, when the actors are not connected in this cut.

    Raises
    ------
    UnknownNameError
        For a name no actor goes by (with suggestions).
    InputError
        For the same actor twice, a bad ``max_hops``, or a bad time cut.

    Examples
    --------
    >>> import networkx as nx
    >>> g = nx.MultiDiGraph()
    >>> for n in "abc":
    ...     g.add_node(n, label=n.upper(), kind="State")
    >>> _ = g.add_edge("a", "b", relation="r", relation_label="meets", date="2023-01-02", event="e1")
    >>> _ = g.add_edge("c", "b", relation="r", relation_label="meets", date="2023-01-03", event="e2")
    >>> found = paths(g, "A", "C")
    >>> found.shortest[0].labels
    ('A', 'B', 'C')
    >>> [str(h.evidence[0]["event"]) for h in found.shortest[0].hops]
    ['e1', 'e2']
    """
    if max_hops < 1:
        raise InputError(f"max_hops must be 1 or more, not {max_hops}")
    defaults = {} if options.get("fold", True) else {"structural": True}
    net = _network(source, options, named=(a, b), **defaults)
    graph = net.graph
    u, v = net.node(a), net.node(b)
    result = Paths(u, v, net.label(u), net.label(v), max_hops=max_hops, directed=directed, cut=net.cut_text())
    folded = [
        f"{net.label(net.resolve(n))} folded into {net.label(x)}" for n, x in ((a, u), (b, v)) if net.resolve(n) != x
    ]
    if u == v:
        raise InputError(
            f"{a!r} and {b!r} are the same actor ({net.label(u)})"
            + (" once folded" if graph.graph.get("folded") else "")
            + ": give two actors"
        )
    for node, name in ((u, a), (v, b)):
        if node not in graph:
            result.note = f"{name} ({net.label(node)}) has no relation in this cut ({net.cut_text()})"
            return result
    skeleton = _skeleton(graph, directed=directed)
    cap = None if limit is None else limit + 1  # one more than shown: to know whether there are more

    def by_labels(path: tuple[Any, ...]) -> list[str]:
        return [net.label(n) for n in path]

    try:
        shortest = [tuple(p) for p in itertools.islice(nx.all_shortest_paths(skeleton, u, v), cap)]
    except nx.NetworkXNoPath:
        result.note = f"no path in this cut ({net.cut_text()})"
        return result
    found: list[tuple[Any, ...]] = sorted(shortest, key=by_labels)
    length = len(found[0]) - 1
    for hops in range(length + 1, max_hops + 1):
        room = None if cap is None else cap - len(found)
        if room is not None and room <= 0:
            break
        longer = (tuple(p) for p in nx.all_simple_paths(skeleton, u, v, cutoff=hops) if len(p) - 1 == hops)
        found += sorted(itertools.islice(longer, room), key=by_labels)
    if limit is not None and len(found) > limit:
        found, result.truncated = found[:limit], True
    for nodes in found:
        hops_: list[Hop] = []
        for x, y in itertools.pairwise(nodes):
            edges = _edges_between(graph, x, y, directed=directed)
            kept = edges if evidence is None else edges[:evidence]
            hops_.append(
                Hop(
                    str(x),
                    str(y),
                    net.label(x),
                    net.label(y),
                    tuple(_evidence(net, p, q, d) for p, q, d in kept),
                    len(edges) - len(kept),
                )
            )
        result.paths.append(Path(tuple(str(n) for n in nodes), tuple(hops_), len(nodes) - 1 == length))
    result.note = "; ".join(folded)
    log.info("%d paths from %s to %s", len(result.paths), result.source_label, result.target_label)
    return result


# ---------------------------------------------------------------- centrality


def _weighted(graph: nx.MultiDiGraph, *, directed: bool) -> nx.Graph:
    """Return the collapsed graph with ``weight`` = number of relations of the pair (no self-loops)."""
    weighted: nx.Graph = nx.DiGraph() if directed else nx.Graph()
    weighted.add_nodes_from(graph.nodes(data=True))
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
    weighted.add_weighted_edges_from((u, v, w) for (u, v), w in counts.items())
    return weighted


def _scores(weighted: nx.Graph, measure: str) -> tuple[dict[Any, float], str]:
    if weighted.number_of_nodes() == 0:
        return {}, ""
    if measure == "degree":
        return nx.degree_centrality(weighted), "share of the other actors related to"
    if measure == "in-degree":
        return nx.in_degree_centrality(weighted), "share of the other actors acting on it"
    if measure == "out-degree":
        return nx.out_degree_centrality(weighted), "share of the other actors it acts on"
    if measure == "betweenness":
        return nx.betweenness_centrality(weighted, normalized=True), "unweighted shortest paths, normalised"
    if measure == "closeness":
        return nx.closeness_centrality(weighted), "unweighted, Wasserman-Faust scaled for reach"
    if measure == "pagerank":
        scores = nx.pagerank(weighted, weight="weight", tol=1e-12, max_iter=10_000)
        return scores, "weighted by number of relations, damping 0.85"
    # Eigenvector centrality is defined on a connected graph: take the largest component of the
    # undirected graph and solve it exactly (numpy/scipy); every other actor scores 0.
    undirected = weighted.to_undirected() if weighted.is_directed() else weighted
    component = max(nx.connected_components(undirected), key=lambda c: (len(c), sorted(map(str, c))))
    scores = dict.fromkeys(weighted, 0.0)
    sub = undirected.subgraph(component)
    if len(component) < 3:
        scores.update(dict.fromkeys(component, 1.0 / len(component) ** 0.5))
    else:
        scores.update(nx.eigenvector_centrality_numpy(sub, weight="weight"))
    note = (
        f"weighted by number of relations, undirected, on the largest component "
        f"({len(component)} of {weighted.number_of_nodes()} actors; the others score 0)"
    )
    return scores, note


def centrality(
    source: Source,
    *,
    measure: str = "degree",
    directed: bool | None = None,
    kinds: Iterable[str] | None = None,
    top: int | None = None,
    **options: Unpack[ProjectionOptions],
) -> Table:
    """Rank the actors by a centrality measure.

    Every measure runs on the collapsed graph (one edge per pair, ``weight`` the number of
    relations between the two; self-relations left out):

    ==============  ==========================================================================
    ``degree``      share of the other actors it has any relation with (undirected)
    ``in-degree``   share of the other actors that act on it (directed)
    ``out-degree``  share of the other actors it acts on (directed)
    ``betweenness`` share of shortest paths through it, unweighted, normalised (undirected)
    ``closeness``   inverse mean distance, scaled by how many it reaches (undirected)
    ``pagerank``    PageRank weighted by number of relations, damping 0.85 (directed)
    ``eigenvector`` weighted eigenvector centrality on the largest undirected component
    ==============  ==========================================================================

    ``directed`` switches degree, betweenness, closeness and PageRank between the directed and
    undirected graph (in a directed graph a symmetric relation runs both ways; closeness then
    counts distances *to* the actor); eigenvector centrality is always undirected.

    Parameters
    ----------
    source : Store or networkx.MultiDiGraph
        A store (projected with ``options``) or a projection.
    measure : str, default "degree"
        One of :data:`MEASURES`.
    directed : bool, optional
        Use the directed graph; the default is the measure's own (see above).
    kinds : iterable of str, optional
        Rank only actors of these kinds (``State``, ``Person``, ...); scores are computed on the
        whole graph.
    top : int, optional
        Keep the first ``top`` rows.
    **options
        The projection options of :func:`kg._network.project`.

    Returns
    -------
    Table
        ``rank`` (equal scores share a rank), ``actor``, ``kind``, ``score``, ``relations`` (the
        number of relations it takes part in) and ``iri``, best first.

    Raises
    ------
    UnknownNameError
        For a measure not in :data:`MEASURES`.

    Examples
    --------
    >>> import networkx as nx
    >>> g = nx.MultiDiGraph()
    >>> for n in "abc":
    ...     g.add_node(n, label=n.upper(), kind="State")
    >>> _ = g.add_edge("a", "b")
    >>> _ = g.add_edge("b", "c")
    >>> [row[:4] for row in centrality(g, measure="betweenness")]
    [[1, 'B', 'State', 1.0], [2, 'A', 'State', 0.0], [2, 'C', 'State', 0.0]]
    """
    if measure not in MEASURES:
        import difflib

        raise UnknownNameError("centrality measure", measure, difflib.get_close_matches(measure, MEASURES))
    net = _network(source, options)
    graph = net.graph
    if measure in ("in-degree", "out-degree") and directed is False:
        raise InputError(f"{measure} is a measure of the directed graph: leave out directed=False")
    use_directed = measure in _DIRECTED_MEASURES if directed is None else directed
    if measure == "eigenvector":
        use_directed = False
    weighted = _weighted(graph, directed=use_directed)
    scores, how = _scores(weighted, measure)
    wanted = {k.casefold() for k in kinds} if kinds is not None else None
    ranked = sorted(
        (n for n in scores if wanted is None or str(graph.nodes[n].get("kind", "")).casefold() in wanted),
        key=lambda n: (-round(scores[n], 12), net.label(n), str(n)),
    )
    rows: list[Sequence[Any]] = []
    previous: float | None = None
    rank = 0
    for position, node in enumerate(ranked, 1):
        score = round(float(scores[node]), 12)
        if score != previous:
            rank, previous = position, score
        rows.append([rank, net.label(node), graph.nodes[node].get("kind", ""), score, graph.degree(node), _iri(node)])
    if top is not None:
        rows = rows[:top]
    kind = "directed" if use_directed and measure != "eigenvector" else "undirected"
    title = f"{measure} centrality ({kind}; {how}), {net.cut_text()}"
    return Table(["rank", "actor", "kind", "score", "relations", "iri"], rows, title=title)


# ---------------------------------------------------------------- balance

_READINGS = {
    (1, 1, 1): "friends of friends are friends",
    (-1, -1, 1): "the enemy of my enemy is my friend",
    (-1, 1, 1): "a friend of a friend is an enemy",
    (-1, -1, -1): "three enemies",
}


class Triad(NamedTuple):
    """Three actors related pairwise, and the sign, tone and relations of each pair.

    The actors are in order of label; the pairs are ``(a, b)``, ``(b, c)`` and ``(a, c)``.
    (A named tuple: a large graph has millions of triads.)
    """

    nodes: tuple[str, str, str]
    labels: tuple[str, str, str]
    signs: tuple[int, int, int]
    tones: tuple[float, float, float]
    relations: tuple[tuple[str, ...], tuple[str, ...], tuple[str, ...]]

    @property
    def balanced(self) -> bool:
        """Heider balance: the product of the three signs is positive."""
        return self.signs[0] * self.signs[1] * self.signs[2] > 0

    @property
    def pattern(self) -> str:
        """The signs, positive first: ``+++``, ``+--``, ``++-`` or ``---``."""
        return "".join("+" if s > 0 else "-" for s in sorted(self.signs, reverse=True))

    @property
    def reading(self) -> str:
        """What the pattern says, in words."""
        return _READINGS[tuple(sorted(self.signs))]  # type: ignore[index]


@dataclass
class Balance:
    """Every signed triad of a network, and how many are balanced.

    Attributes
    ----------
    triads : list of Triad
        Every triangle of actors whose three pairs have a non-zero tone.
    pairs : int
        Pairs of actors with a non-zero tone (the edges of the signed graph).
    neutral_pairs : int
        Pairs whose tone sums to zero: left out of the signed graph.
    """

    triads: list[Triad]
    pairs: int
    neutral_pairs: int
    cut: str = ""

    @property
    def balanced(self) -> int:
        """The number of balanced triads."""
        return sum(1 for t in self.triads if t.balanced)

    @property
    def ratio(self) -> float | None:
        """The share of balanced triads (None when there is no triad)."""
        return self.balanced / len(self.triads) if self.triads else None

    def find(self, *actors: str) -> Triad | None:
        """Return the triad of three actors (IRIs or labels, any order), None when there is none."""
        wanted = {a.casefold() for a in actors}
        for triad in self.triads:
            if wanted in ({n.casefold() for n in triad.nodes}, {n.casefold() for n in triad.labels}):
                return triad
        return None

    def summary(self) -> str:
        """Return one line: the ratio, the counts and the pairs left out."""
        ratio = "n/a" if self.ratio is None else f"{self.ratio:.3f}"
        return (
            f"balance ratio {ratio}: {self.balanced} of {len(self.triads)} triads balanced "
            f"({self.pairs} signed pairs; {self.neutral_pairs} pairs with zero tone left out; "
            f"{self.cut})"
        )

    def as_dict(self) -> dict[str, Any]:
        """Return the summary and every triad as plain data (for JSON)."""
        return {
            "ratio": self.ratio,
            "balanced": self.balanced,
            "triads": len(self.triads),
            "signed_pairs": self.pairs,
            "neutral_pairs": self.neutral_pairs,
            "cut": self.cut,
            "rows": self.table().to_dicts(),
        }

    def table(self, *, unbalanced_only: bool = False) -> Table:
        """Return one row per triad: the actors, the sign and tone of each pair, balanced or not."""
        columns = [
            "a",
            "b",
            "c",
            "sign_ab",
            "sign_bc",
            "sign_ac",
            "balanced",
            "pattern",
            "reading",
            "tone_ab",
            "tone_bc",
            "tone_ac",
            "relations_ab",
            "relations_bc",
            "relations_ac",
        ]
        rows: list[Sequence[Any]] = [
            [
                *t.labels,
                *("+" if s > 0 else "-" for s in t.signs),
                t.balanced,
                t.pattern,
                t.reading,
                *t.tones,
                *("; ".join(r) for r in t.relations),
            ]
            for t in self.triads
            if not (unbalanced_only and t.balanced)
        ]
        return Table(columns, rows, title=self.summary())


def balance(source: Source, **options: Unpack[ProjectionOptions]) -> Balance:
    """Find every signed triad and say whether it is balanced (Heider).

    The signed graph is the collapsed undirected graph: the sign of a pair is the sign of its
    tone (the sum of the Goldstein values of its relations, both directions; the majority of
    the relations' signs when none has a value). Pairs whose tone is zero are left out (counted
    in ``neutral_pairs``). A triad is balanced when the product of its three signs is positive:
    three friends, or two friends with a common enemy.

    Parameters
    ----------
    source : Store or networkx.MultiDiGraph
        A store (projected with ``options``) or a projection.
    **options
        The projection options of :func:`kg._network.project`.

    Returns
    -------
    Balance
        The triads (in order of labels) and the balance ratio.

    Examples
    --------
    >>> import networkx as nx
    >>> g = nx.MultiDiGraph()
    >>> for n in "abc":
    ...     g.add_node(n, label=n.upper(), kind="State")
    >>> _ = g.add_edge("a", "b", relation_label="allies with", sign=1, goldstein=5.0, event="e1")
    >>> _ = g.add_edge("b", "c", relation_label="attacks", sign=-1, goldstein=-10.0, event="e2")
    >>> _ = g.add_edge("c", "a", relation_label="condemns", sign=-1, goldstein=-2.0, event="e3")
    >>> result = balance(g)
    >>> result.ratio, result.triads[0].pattern, result.triads[0].reading
    (1.0, '+--', 'the enemy of my enemy is my friend')
    """
    net = _network(source, options)
    pairs = collapse(net.graph, directed=False)
    signed: dict[Any, dict[Any, tuple[int, float, tuple[str, ...]]]] = defaultdict(dict)
    neutral = count = 0
    for u, v, data in pairs.edges(data=True):
        if u == v:
            continue
        if data["sign"] == 0:
            neutral += 1
            continue
        signed[u][v] = signed[v][u] = (data["sign"], data["tone_sum"], tuple(data["relations"]))
        count += 1
    labels = {n: net.label(n) for n in signed}
    order = {n: i for i, n in enumerate(sorted(signed, key=lambda n: (labels[n], str(n))))}
    triads = []
    for u in sorted(signed, key=order.__getitem__):
        row_u = signed[u]
        later = {v for v in row_u if order[v] > order[u]}
        for v in sorted(later, key=order.__getitem__):
            row_v = signed[v]
            for w in sorted(later.intersection(row_v), key=order.__getitem__):
                if order[w] <= order[v]:
                    continue
                ab, bc, ac = row_u[v], row_v[w], row_u[w]
                triads.append(
                    Triad(
                        (str(u), str(v), str(w)),
                        (labels[u], labels[v], labels[w]),
                        (ab[0], bc[0], ac[0]),
                        (ab[1], bc[1], ac[1]),
                        (ab[2], bc[2], ac[2]),
                    )
                )
    log.info("%d triads among %d signed pairs", len(triads), count)
    return Balance(triads, count, neutral, net.cut_text())


# ---------------------------------------------------------------- dyad


def dyad(source: Source, a: str, b: str, **options: Unpack[ProjectionOptions]) -> Table:
    """List everything between two actors, both directions, in date order, with the running tone.

    Parameters
    ----------
    source : Store or networkx.MultiDiGraph
        A store (projected with ``options``) or a projection.
    a, b : str
        The two actors: label, alias, local name or IRI.
    **options
        The projection options of :func:`kg._network.project`.

    Returns
    -------
    Table
        ``date``, ``end_date``, ``actor``, ``relation``, ``target``, ``sign``, ``goldstein``,
        ``running_tone`` (the sum of the Goldstein values so far), ``contested``, ``standing``,
        ``before_evidence`` (a standing relation counted before its first evidence), ``event``,
        ``source``, ``quote``.

    Examples
    --------
    >>> import networkx as nx
    >>> g = nx.MultiDiGraph()
    >>> for n in "ab":
    ...     g.add_node(n, label=n.upper(), kind="State")
    >>> _ = g.add_edge("a", "b", relation_label="condemns", sign=-1, goldstein=-2.0, date="2023-01-05")
    >>> _ = g.add_edge("b", "a", relation_label="meets", sign=1, goldstein=1.0, date="2023-01-01")
    >>> [(row[0], row[3], row[7]) for row in dyad(g, "a", "b")]
    [('2023-01-01', 'meets', 1.0), ('2023-01-05', 'condemns', -1.0)]
    """
    net = _network(source, options, named=(a, b))
    u, v = net.node(a), net.node(b)
    if u == v:
        raise InputError(f"{a!r} and {b!r} are the same actor ({net.label(u)}): give two actors")
    edges = _edges_between(net.graph, u, v, directed=False) if u in net.graph and v in net.graph else []
    rows: list[Sequence[Any]] = []
    tone = 0.0
    for p, q, data in edges:
        item = _evidence(net, p, q, data)
        tone += item["goldstein"] or 0.0
        rows.append(
            [
                item["date"],
                item["end_date"],
                item["actor_label"],
                item["relation_label"],
                item["target_label"],
                item["sign"],
                item["goldstein"],
                round(tone, 6),
                item["contested"],
                item["standing"],
                item["before_evidence"],
                item["event"],
                item["source"],
                item["quote"],
            ]
        )
    span = f", {rows[0][0]} .. {max(r[0] for r in rows)}" if rows else ""
    early = _before_evidence_note(sum(1 for r in rows if r[10]))
    title = (
        f"{net.label(u)} and {net.label(v)}: {len(rows)} relations, total tone {round(tone, 6):g}{span} "
        f"({net.cut_text()}){'; ' + early if early else ''}"
    )
    return Table(
        [
            "date",
            "end_date",
            "actor",
            "relation",
            "target",
            "sign",
            "goldstein",
            "running_tone",
            "contested",
            "standing",
            "before_evidence",
            "event",
            "source",
            "quote",
        ],
        rows,
        title=title,
    )


# ---------------------------------------------------------------- change over time

CHANGES = ("appeared", "first evidence", "ended", "changed in intensity", "changed sign")
"""The kinds of change :func:`diff` reports, in the order it lists them."""


def _tone(edges: Sequence[dict[str, Any]]) -> tuple[int, float | None]:
    """Return the sign and the tone (sum of Goldstein values, None when none has one) of edges."""
    tones = [d["goldstein"] for d in edges if d.get("goldstein") is not None]
    if tones:
        total = float(sum(tones))
        return (1 if total > 0 else -1 if total < 0 else 0), round(total, 6)
    signs = sum(d.get("sign", 0) for d in edges)
    return (1 if signs > 0 else -1 if signs < 0 else 0), None


def _by_event(edges: Iterable[dict[str, Any]]) -> dict[str, dict[str, Any]]:
    return {str(d.get("event", "")): d for d in edges}


def _short_events(events: Iterable[dict[str, Any]]) -> str:
    ordered = sorted(events, key=lambda d: (d.get("date", ""), str(d.get("event", ""))))
    return " ".join(dict.fromkeys(short_iri(str(d.get("event", ""))) for d in ordered))


_Key = tuple[Any, Any, str]


def _relations_at(
    graph: nx.MultiDiGraph, keep: Callable[[dict[str, Any]], bool], ends: dict[_Key, tuple[str, Any, Any]]
) -> dict[_Key, list[dict[str, Any]]]:
    """Group the edges ``keep`` accepts by (actor, target, relation type).

    A symmetric relation's pair is in one order, whichever side acted; ``ends`` gets, for each
    key, the actor and target of its earliest edge (to name the row as the report has it).
    """
    found: dict[_Key, list[dict[str, Any]]] = defaultdict(list)
    for u, v, data in graph.edges(data=True):
        if keep(data):
            key = (v, u, data["relation"]) if data.get("symmetric") and str(v) < str(u) else (u, v, data["relation"])
            found[key].append(data)
            first = (data.get("date", ""), u, v)
            if key not in ends or first < ends[key]:
                ends[key] = first
    return found


def diff(source: Source, start: str, end: str, **options: Unpack[ProjectionOptions]) -> Table:
    """Say how the relations between actors changed from one date to another.

    The network is taken as of ``start`` and as of ``end`` (same options). For each pair of
    actors and relation type (an ordered pair; either order for a symmetric relation), one row
    says that the relation

    - **appeared**: not in force at ``start``, in force at ``end``: an event dated between the
      two, or a standing relation whose known start (``dip:startDate``) falls between them;
    - **first evidence**: a standing relation whose start the source does not give shows up
      for the first time: it is *not* said to have appeared. With the default time model a
      relation the source presents as already existing (``dip:inForceBy``) is in force before
      its first evidence and so is in both networks (no row); with ``from_evidence=True`` it
      gets this row, as does one only observed (``dip:observedOn``);
    - **ended**: in force at ``start``, no longer at ``end`` (a standing relation that ended);
    - **changed in intensity**: in force at both, with more (or fewer) events: a second recall
      of the same ambassador is listed here, with the new events.

    Besides, for a pair of actors (either order, every relation type together) whose tone (the
    sum of the Goldstein values, as in :func:`balance`) changed sign, a row **changed sign**.
    The counts and the tones of a row are those of the row itself: of its relation type for
    the first four kinds, of the whole pair for a change of sign.

    Parameters
    ----------
    source : Store or networkx.MultiDiGraph
        A store (projected as of each date with ``options``) or a projection (cut as of each
        date by the dates on its edges).
    start, end : str
        The two dates, ``YYYY-MM-DD``, ``start`` before ``end``.
    **options
        The projection options of :func:`kg._network.project` except ``as_of`` (the two dates
        are the cuts); ``from_evidence`` as there.

    Returns
    -------
    Table
        ``change`` (one of :data:`CHANGES`), ``actor``, ``target``, ``relation``,
        ``count_before``, ``count_after`` (events or standing relations of the row),
        ``sign_before``, ``sign_after``, ``tone_before``, ``tone_after`` (None when the row has
        no relation in force then, or none with a Goldstein value), ``first_date`` (of the row's
        events listed), ``before_evidence`` (a standing relation of the row is counted before
        its first evidence), ``events`` (the events or standing relations that changed, by
        short name: the new ones, or for *ended* those that ended).

    Raises
    ------
    InputError
        For a date that does not parse, ``start`` after ``end``, or an ``as_of`` option.

    Examples
    --------
    >>> import networkx as nx
    >>> g = nx.MultiDiGraph()
    >>> for n in "ab":
    ...     g.add_node(n, label=n.upper(), kind="State")
    >>> _ = g.add_edge("a", "b", relation="r1", relation_label="meets", sign=1, goldstein=1.0,
    ...                date="2023-01-01", event="e1")
    >>> _ = g.add_edge("a", "b", relation="r2", relation_label="attacks", sign=-1, goldstein=-10.0,
    ...                date="2023-02-01", event="e2")
    >>> _ = g.add_edge("a", "b", relation="r2", relation_label="attacks", sign=-1, goldstein=-10.0,
    ...                date="2023-03-01", event="e3")
    >>> [row[:4] + row[-1:] for row in diff(g, "2023-01-15", "2023-02-15")]
    [['appeared', 'A', 'B', 'attacks', 'e2'], ['changed sign', 'A', 'B', 'meets; attacks', 'e2']]
    >>> [row[:6] for row in diff(g, "2023-02-15", "2023-03-15")]
    [['changed in intensity', 'A', 'B', 'attacks', 1, 2]]
    """
    first, last = parse_date(start, name="start"), parse_date(end, name="end")
    assert first is not None and last is not None
    if first > last:
        raise InputError(f"the start date {first} is after the end date {last}: swap them")
    if options.get("as_of") is not None:
        raise InputError(
            "diff compares the network as of two dates: give them as start=DATE and end=DATE, not as_of=DATE"
        )
    ends: dict[_Key, tuple[str, Any, Any]] = {}
    if isinstance(source, nx.MultiDiGraph):
        net = _network(source, options)
        before_net = after_net = net
        from_evidence = bool(net.graph.graph.get("from_evidence"))

        def at(day: str) -> Callable[[dict[str, Any]], bool]:
            cut = TimeCut.of(as_of=day, from_evidence=from_evidence)
            return lambda d: in_force(
                cut,
                d.get("date") or None,
                d.get("end_date") or None,
                standing=bool(d.get("standing")),
                open_start=bool(d.get("open_start")),
                before=d.get("before") or None,
            )

        before = _relations_at(net.graph, at(str(first)), ends)
        after = _relations_at(net.graph, at(str(last)), ends)
    else:
        before_net = _network(source, {**options, "as_of": first})
        later: dict[str, Any] = {**options, "as_of": last}
        after_net = _Network(project(source, **later), source, before_net._index)
        before = _relations_at(before_net.graph, lambda d: True, ends)
        after = _relations_at(after_net.graph, lambda d: True, ends)

    def label(node: Any) -> str:
        return after_net.label(node) if node in after_net.graph else before_net.label(node)

    rows: list[Sequence[Any]] = []
    for key in before.keys() | after.keys():
        _, u, v = ends[key]
        was, now = _by_event(before.get(key, ())), _by_event(after.get(key, ()))
        new = [now[e] for e in now.keys() - was.keys()]
        gone = [was[e] for e in was.keys() - now.keys()]
        if not new and not gone:
            continue
        if not was:
            unknown_start = all(d.get("standing") and not d.get("start_known") for d in new)
            change, listed = ("first evidence" if unknown_start else "appeared"), new
        elif not now:
            change, listed = "ended", gone
        else:
            change, listed = "changed in intensity", new or gone
        sample = (now or was)[next(iter(now or was))]
        sb, tb = _tone(list(was.values()))
        sa, ta = _tone(list(now.values()))
        early = any(d.get("before_evidence") for d in (*was.values(), *now.values()))
        rows.append(
            [
                change,
                label(u),
                label(v),
                sample["relation_label"],
                len(was),
                len(now),
                sb if was else None,
                sa if now else None,
                tb if was else None,
                ta if now else None,
                min(d.get("date", "") for d in listed),
                early,
                _short_events(listed),
            ]
        )

    pairs_before: dict[tuple[Any, Any], list[dict[str, Any]]] = defaultdict(list)
    pairs_after: dict[tuple[Any, Any], list[dict[str, Any]]] = defaultdict(list)
    for found, pairs in ((before, pairs_before), (after, pairs_after)):
        for (u, v, _), edges in found.items():
            pairs[(u, v) if str(u) <= str(v) else (v, u)] += edges
    for pair in pairs_before.keys() & pairs_after.keys():
        sb, tb = _tone(pairs_before[pair])
        sa, ta = _tone(pairs_after[pair])
        if sb == sa:
            continue
        edges = sorted(pairs_after[pair], key=lambda d: (d.get("date", ""), str(d.get("event", ""))))
        relations = "; ".join(dict.fromkeys(d["relation_label"] for d in edges))
        known = {str(d["event"]) for d in pairs_before[pair]}
        new = [d for d in edges if str(d["event"]) not in known]
        u, v = sorted(pair, key=lambda n: (label(n), str(n)))
        rows.append(
            [
                "changed sign",
                label(u),
                label(v),
                relations,
                len(pairs_before[pair]),
                len(edges),
                sb,
                sa,
                tb,
                ta,
                min((d.get("date", "") for d in new), default=""),
                any(d.get("before_evidence") for d in edges),
                _short_events(new),
            ]
        )
    order = {name: i for i, name in enumerate(CHANGES)}
    rows.sort(key=lambda r: (order[r[0]], r[10], r[1], r[2], r[3]))
    note = _before_evidence_note(sum(1 for r in rows if r[11]))
    view = describe_view(after_net.graph)
    title = (
        f"changes between {first} and {last} ({len(rows)} rows{'; ' + view if view else ''})"
        f"{'; ' + note if note else ''}"
    )
    return Table(
        [
            "change",
            "actor",
            "target",
            "relation",
            "count_before",
            "count_after",
            "sign_before",
            "sign_after",
            "tone_before",
            "tone_after",
            "first_date",
            "before_evidence",
            "events",
        ],
        rows,
        title=title,
    )
