"""The projection kept as arrays, for questions about pairs of actors: :class:`PairNetwork`.

A store with a network index (:mod:`kg._netindex`) gives the edges of :func:`kg._network.project`
as arrays. Most questions need only what links which pair: how many relations, which run both
ways, which pairs there are at all (a ranking, a search for paths). :class:`PairNetwork` folds and
filters those arrays exactly as the projection folds and filters its graph, answers the questions
about pairs from them, and reads the evidence (relation, date, source, quote) from the store only
for the pairs shown. :meth:`PairNetwork.multigraph` gives the whole ``MultiDiGraph`` of
:func:`~kg._network.project`: the projection of a store with an index is made by it.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Collection, Iterable, Iterator
from dataclasses import dataclass
from typing import Any

import networkx as nx
import numpy as np
import numpy.typing as npt

from kg._netindex import EdgeTable, index_for
from kg._network.collapsing import tone_sign
from kg._network.options import ProjectionOptions
from kg._network.rules import Rules, actor_nodes, fold_parents
from kg._network.types import RelationInfo
from kg._store import Store
from kg._tabular import short_label

__all__ = ["Among", "Edge", "PairNetwork", "PairRows", "Relations", "Sample", "between", "edge_order", "pair_network"]

Edge = tuple[str, str, dict[str, Any]]
IntArray = npt.NDArray[np.int64]


def edge_order(date: str, end: str, event: str, target: str) -> tuple[str, str, str, str]:
    """Return the key that puts the edges of a pair in order: date, end, event, then target IRI."""
    return (date, end, event, target)


def between(
    graph: nx.MultiDiGraph[Any], u: Any, v: Any, *, directed: bool, limit: int | None = None
) -> tuple[list[Edge], int]:
    """Return the first ``limit`` edges of ``graph`` that link ``u`` to ``v`` (all when None) and how many there are.

    Also those from ``v`` to ``u`` unless ``directed``: a symmetric relation links both ways.
    In the order of :func:`edge_order`.

    Examples
    --------
    >>> g = nx.MultiDiGraph()
    >>> _ = g.add_edge("a", "b", date="2023-10-19", event="e2")
    >>> _ = g.add_edge("b", "a", date="2023-10-18", event="e1", symmetric=True)
    >>> [d["event"] for _, _, d in between(g, "a", "b", directed=False)[0]]
    ['e1', 'e2']
    """
    found = [(u, v, d) for d in graph.succ[u].get(v, {}).values()] if u in graph else []
    if v in graph and u != v:
        found += [(v, u, d) for d in graph.succ[v].get(u, {}).values() if not directed or d.get("symmetric")]
    found.sort(
        key=lambda e: edge_order(
            e[2].get("date", ""), e[2].get("end_date", ""), str(e[2].get("event", "")), str(e[2].get("target", e[1]))
        )
    )
    return found[:limit], len(found)


@dataclass
class Among:
    """What the edges among some actors say in sum (:meth:`PairNetwork.among`)."""

    kinds: list[tuple[str, str, str, bool, int]]
    """``(actor, target, relation type, contested, number of edges)``: the edges by pair and kind."""
    claims: list[tuple[str, str, str, str]]
    """``(actor, target, relation type, claim)`` of the contested edges that name a claim."""
    events: Collection[str]
    standing: Collection[str]
    sources: Collection[str]
    """Sets, or a :class:`Sample` of each (from a server)."""
    first: str
    last: str
    """The first and last day of the events (their end when they span days)."""
    tones: dict[tuple[str, str], tuple[int, bool]]
    """Each pair's sign and contested state, as :func:`kg._network.collapse` gives (undirected)."""


@dataclass
class Sample:
    """A set known by its size and some members (its least and greatest): what a server counts rather than sends.

    Examples
    --------
    >>> found = Sample(1200, ["urn:a", "urn:b"])
    >>> len(found), sorted(found)
    (1200, ['urn:a', 'urn:b'])
    """

    size: int
    members: list[str]

    def __len__(self) -> int:
        return self.size

    def __iter__(self) -> Iterator[str]:
        return iter(self.members)

    def __contains__(self, value: object) -> bool:
        return value in self.members


@dataclass
class PairRows:
    """A projection's edges counted by group, before folding, as a server sends them (see :mod:`kg._network.remote`).

    One row per actor, target, relation type and state (standing, contested, counted before its
    first evidence), ``weight`` edges each. ``a``/``b`` are codes into ``nodes`` (sorted IRIs),
    ``type`` into ``type_iris``, ``claim`` into ``claim_iris`` (-1: none; the contested claim).
    ``reported``, when asked for, gives each row's first report: its date ("-" for none), a
    space and the event's IRI, the least of its edges'.
    """

    a: IntArray
    b: IntArray
    type: IntArray
    claim: IntArray
    disputed: npt.NDArray[np.bool_]
    early: npt.NDArray[np.bool_]
    weight: IntArray
    nodes: list[str]
    type_iris: list[str]
    claim_iris: list[str]
    types: dict[str, RelationInfo]
    reported: list[str] | None = None

    def __len__(self) -> int:
        return len(self.a)


@dataclass
class Relations:
    """Every edge of a projection as columns: what :func:`kg.diff` compares between two dates.

    ``u``/``v`` are codes into ``nodes`` (in the order of their IRIs), ``relation`` into
    ``labels`` (by relation type), ``item`` codes of the events (``items(codes)`` gives their
    IRIs, codes in the order of the IRIs), ``day`` codes into ``days`` (sorted; "" for none).
    The columns of two projections of one store share their codes.
    """

    nodes: list[Any]
    u: IntArray
    v: IntArray
    relation: IntArray
    labels: list[str]
    item: IntArray
    items: Callable[[IntArray], list[str]]
    day: IntArray
    days: list[str]
    goldstein: npt.NDArray[np.float64]
    sign: IntArray
    symmetric: npt.NDArray[np.bool_]
    standing: npt.NDArray[np.bool_]
    start_known: npt.NDArray[np.bool_]
    early: npt.NDArray[np.bool_]
    """The cut counts the edge only before its first evidence (``before_evidence``)."""


class PairNetwork:
    """The edges of a projection as arrays of node codes, folded and filtered, evidence on demand.

    ``graph`` holds what the projection's ``MultiDiGraph.graph`` holds (the cut, the view, the
    fold map) and ``nodes`` the actors with an edge, with their ``label`` and ``kind``, as the
    projection's nodes.
    """

    def __init__(
        self, table: EdgeTable | PairRows, actors: nx.MultiDiGraph[str], options: ProjectionOptions, rules: Rules
    ):
        self.table = table
        self._codes: dict[str, int] | None = None
        if isinstance(table, EdgeTable):
            names, self.type_iris, self.claim_iris = table.index.nodes, table.index.types, table.index.claims
        else:
            names, self.type_iris, self.claim_iris = table.nodes, table.type_iris, table.claim_iris
        self.names = names
        self.graph: dict[str, Any] = {**actors.graph, "claims": options.claims, "fold": options.fold}
        keep = np.ones(len(table), dtype=bool)
        u, v = table.a, table.b
        top: dict[str, str] = {}
        infos = [rules.types[t] if t in rules.types else None for t in self.type_iris]
        if options.fold:
            u, v, keep, top = self._fold(actors, options, infos)
            self.graph.update(folded=True, fold_map=dict(top))
        if rules.wanted is not None or rules.signs is not None:
            allowed = [
                i is not None
                and (rules.wanted is None or i.iri in rules.wanted)
                and (rules.signs is None or i.sign in rules.signs)
                for i in infos
            ]
            keep &= np.array([*allowed, False], dtype=bool)[table.type]
        self.rows: IntArray = np.flatnonzero(keep)
        self.u: IntArray = u[self.rows]
        self.v: IntArray = v[self.rows]
        self.weight: IntArray | None = None if isinstance(table, EdgeTable) else table.weight[self.rows]
        """Each kept row's number of edges (None: one each, rows of a network index)."""
        self.symmetric = np.array([i is not None and i.symmetric for i in infos] + [False], dtype=bool)[
            table.type[self.rows]
        ]
        self.nodes: dict[str, dict[str, Any]] = {}
        for code in np.unique(np.concatenate([self.u, self.v])).tolist():
            node = names[code]
            if node in top:  # folded into another, yet the end of an edge: a cycle of folds
                self.nodes[node] = {}
            elif node in actors:
                self.nodes[node] = dict(actors.nodes[node])
            else:
                self.nodes[node] = {"label": short_label(node), "kind": ""}
        self._order: IntArray | None = None
        self._keys: IntArray = np.zeros(0, dtype=np.int64)

    def _local(self) -> EdgeTable:
        """Return the network index's table: what the questions that read evidence from a local store need."""
        assert isinstance(self.table, EdgeTable), "a network of pair aggregates reads its evidence in its own way"
        return self.table

    def _fold(
        self, actors: nx.MultiDiGraph[str], options: ProjectionOptions, infos: list[Any]
    ) -> tuple[IntArray, IntArray, npt.NDArray[np.bool_], dict[str, str]]:
        """Fold the edges as :func:`kg._network.project` folds its graph; return ends, rows kept, fold map."""
        table, names = self.table, self.names
        types = self.table.types
        folds = np.array([i is not None and i.folds for i in infos] + [False], dtype=bool)
        structural = np.array([i is not None and i.structural for i in infos] + [False], dtype=bool)
        rows = np.flatnonzero(folds[table.type])
        kinds = {node: str(data.get("kind", "")) for node, data in actors.nodes(data=True)}
        edges = (
            (names[a], names[b], self.type_iris[t])
            for a, b, t in zip(table.a[rows].tolist(), table.b[rows].tolist(), table.type[rows].tolist(), strict=True)
        )
        keep_apart = set(options.unfold)
        top = fold_parents(edges, kinds, types, keep_apart)
        code = self._code_table()
        into = np.arange(len(names), dtype=np.int64)
        for node, parent in top.items():
            into[code[node]] = code[parent]
        apart = np.zeros(len(names), dtype=bool)
        apart[[code[n] for n in keep_apart if n in code]] = True
        keep = ~structural[table.type] | (apart[table.a] & folds[table.type])
        if options.structural:
            keep[:] = True
        u, v = into[table.a], into[table.b]
        return u, v, keep & (u != v), top

    # ------------------------------------------------------------ questions about pairs

    def __contains__(self, node: object) -> bool:
        return node in self.nodes

    def number_of_edges(self) -> int:
        return len(self.rows) if self.weight is None else int(self.weight.sum())

    def code(self, node: str) -> int:
        return self._code_table()[node]

    def _code_table(self) -> dict[str, int]:
        """Each node's code (its place in the index's node table), made once."""
        if self._codes is None:
            self._codes = {name: i for i, name in enumerate(self.names)}
        return self._codes

    def degree(self) -> dict[str, int]:
        """Return each node's number of edges, in and out (a self-loop counts twice), as the projection's."""
        weights = None if self.weight is None else np.concatenate([self.weight, self.weight])
        counts = np.bincount(np.concatenate([self.u, self.v]), weights=weights, minlength=len(self.names))
        return {node: int(counts[self.code(node)]) for node in self.nodes}

    def _pairs(self, directed: bool) -> tuple[IntArray, IntArray, IntArray]:
        """Return the pairs (no self-loops) and their number of relations; a symmetric one also runs back."""
        u, v, symmetric = self.u, self.v, self.symmetric
        other = u != v
        u, v, symmetric = u[other], v[other], symmetric[other]
        weight = None if self.weight is None else self.weight[other]
        if directed:
            u, v = np.concatenate([u, v[symmetric]]), np.concatenate([v, u[symmetric]])
            weight = None if weight is None else np.concatenate([weight, weight[symmetric]])
        else:  # each pair once, in the order of the IRIs (the codes are ranks of the IRIs)
            u, v = np.minimum(u, v), np.maximum(u, v)
        n = len(self.names)
        if weight is None:
            keys, counts = np.unique(u * n + v, return_counts=True)
        else:
            keys, inverse = np.unique(u * n + v, return_inverse=True)
            counts = np.bincount(inverse, weights=weight, minlength=len(keys)).astype(np.int64)
        return keys // n, keys % n, counts

    def weighted(self, *, directed: bool) -> nx.Graph[Any]:
        """Return the collapsed graph with ``weight`` = number of relations of the pair (no self-loops)."""
        graph: nx.Graph[Any] = nx.DiGraph() if directed else nx.Graph()
        graph.add_nodes_from(self.nodes.items())
        a, b, counts = self._pairs(directed)
        names = self.names
        graph.add_weighted_edges_from(
            (names[x], names[y], w) for x, y, w in zip(a.tolist(), b.tolist(), counts.tolist(), strict=True)
        )
        return graph

    def edges_between(self, u: str, v: str, *, directed: bool, limit: int | None = None) -> tuple[list[Edge], int]:
        """Return the first ``limit`` edges that link ``u`` to ``v``, with their evidence, and how many there are.

        Also those from ``v`` to ``u`` unless ``directed`` (a symmetric relation links both ways);
        in the order of :func:`edge_order`. The evidence is read for the edges returned only.
        """
        forward, backward = self._spans(u, v, directed=directed)
        both = np.concatenate([forward, backward])
        if not both.size:
            return [], 0
        table = self._local()
        whens = table.whens
        rows = self.rows[both]
        codes = np.unique(table.item[rows])
        events = dict(zip(codes.tolist(), table.index.items.many(codes), strict=True))
        keys = [
            edge_order(whens[w].date or "", whens[w].end or "", events[i], self.names[b])
            for w, i, b in zip(
                table.when[rows].tolist(), table.item[rows].tolist(), table.b[rows].tolist(), strict=True
            )
        ]
        chosen = sorted(range(len(both)), key=keys.__getitem__)[:limit]
        ends = [(u, v) if k < len(forward) else (v, u) for k in chosen]
        edges = self._edges(both[chosen])
        return [(p, q, data) for (p, q), (_, _, _, data) in zip(ends, edges, strict=True)], len(both)

    def _spans(self, u: str, v: str, *, directed: bool) -> tuple[IntArray, IntArray]:
        """Return the positions of the kept edges from ``u`` to ``v`` and back (symmetric ones only if ``directed``)."""
        if u not in self.nodes or v not in self.nodes:
            return np.empty(0, dtype=np.int64), np.empty(0, dtype=np.int64)
        x, y = self.code(u), self.code(v)
        forward = self._span(x, y)
        backward = self._span(y, x) if u != v else forward[:0]
        if directed:
            backward = backward[self.symmetric[backward]]
        return forward, backward

    def _span(self, x: int, y: int) -> IntArray:
        """Return the positions of the kept edges from node ``x`` to node ``y``."""
        if self._order is None:
            self._order = np.argsort(self.u * len(self.names) + self.v, kind="stable")
            self._keys = (self.u * len(self.names) + self.v)[self._order]
        key = x * len(self.names) + y
        start, end = np.searchsorted(self._keys, [key, key + 1])
        return self._order[start:end]

    def _edges(self, positions: IntArray) -> Iterator[tuple[str, str, str, dict[str, Any]]]:
        """Yield the projection's ``(u, v, key, data)`` of the kept edges at ``positions``, with evidence."""
        names = self.names
        edges = self._local().edges(self.rows[positions])
        if not self.graph.get("folded"):
            yield from edges
            return
        for (a, b, key, data), x, y in zip(edges, self.u[positions].tolist(), self.v[positions].tolist(), strict=True):
            yield names[x], names[y], key, {**data, "actor": a, "target": b}

    def among(self, nodes: Iterable[str]) -> Among:
        """Return what the edges among ``nodes`` (self-relations aside) say in sum: what a map draws."""
        wanted = np.zeros(len(self.names), dtype=bool)
        wanted[[self.code(n) for n in nodes if n in self.nodes]] = True
        positions = np.flatnonzero(wanted[self.u] & wanted[self.v] & (self.u != self.v))
        table, rows = self.table, self.rows[positions]
        u, v, types = self.u[positions], self.v[positions], table.type[rows]
        disputed = table.disputed[rows]
        weight = None if self.weight is None else self.weight[positions]
        names, iris = self.names, self.type_iris
        first, counts = _groups(u, v, types, disputed, weight=weight)
        kinds = [
            (names[a], names[b], iris[t], bool(d), n)
            for a, b, t, d, n in zip(
                u[first].tolist(),
                v[first].tolist(),
                types[first].tolist(),
                disputed[first].tolist(),
                counts.tolist(),
                strict=True,
            )
        ]
        claimed = np.flatnonzero(disputed & (table.claim[rows] >= 0))
        claims = table.claim[rows][claimed]
        first, _ = _groups(u[claimed], v[claimed], types[claimed], claims)
        found = [
            (names[a], names[b], iris[t], self.claim_iris[c])
            for a, b, t, c in zip(
                u[claimed][first].tolist(),
                v[claimed][first].tolist(),
                types[claimed][first].tolist(),
                claims[first].tolist(),
                strict=True,
            )
        ]
        return Among(kinds, found, *self._tally(positions), self._tones(u, v, types, disputed, weight))

    def _tally(self, positions: IntArray) -> tuple[Collection[str], Collection[str], Collection[str], str, str]:
        """Return the events, standing relations and sources of the kept rows at ``positions``, and their days."""
        table = self._local()
        index, rows = table.index, self.rows[positions]
        standing = np.array([w.standing for w in table.whens] + [False], dtype=bool)[table.when[rows]]
        items = [np.unique(table.item[rows][~standing]), np.unique(table.item[rows][standing])]
        documents = np.unique(index.source[table.item[rows]])
        spans = [table.whens[w] for w in np.unique(table.when[rows][~standing]).tolist()]
        days = [(w.date, w.end or w.date) for w in spans if w.date]
        return (
            set(index.items.many(items[0])),
            set(index.items.many(items[1])),
            set(index.sources.many(documents[documents >= 0])),
            min((d for d, _ in days), default=""),
            max((e for _, e in days), default=""),  # type: ignore[type-var]
        )

    def _tones(
        self, u: IntArray, v: IntArray, types: IntArray, disputed: npt.NDArray[np.bool_], weight: IntArray | None
    ) -> dict[tuple[str, str], tuple[int, bool]]:
        """Return the sign and contested state of each pair (in the order of the IRIs), as :func:`collapse` gives."""
        found: dict[tuple[str, str], tuple[int, bool]] = {}
        for a, b, (sign, _), (grouped,) in self._toned(u, v, types, weight, disputed):
            found[self.names[a], self.names[b]] = (sign, bool(grouped.any()))
        return found

    def _toned(
        self, u: IntArray, v: IntArray, types: IntArray, weight: IntArray | None, *columns: npt.NDArray[Any]
    ) -> Iterator[tuple[int, int, tuple[int, float], list[npt.NDArray[Any]]]]:
        """Yield each pair's ends (in the order of the IRIs), its sign and tone (:func:`tone_sign`), its ``columns``.

        The tone is the :func:`math.fsum` of the Goldstein values of its edges (a row of
        ``weight`` edges counts as many), as :func:`collapse` sums them.
        """
        if weight is not None:  # a row of several edges: as many values and signs
            u, v, types = np.repeat(u, weight), np.repeat(v, weight), np.repeat(types, weight)
            columns = tuple(np.repeat(c, weight) for c in columns)
        infos = [self.table.types[t] for t in self.type_iris]
        values = np.array([np.nan if i.goldstein is None else i.goldstein for i in infos] + [np.nan])[types]
        signs = np.array([i.sign for i in infos] + [0], dtype=np.int64)[types]
        a, b = np.minimum(u, v), np.maximum(u, v)
        if not len(a):
            return
        order = np.lexsort((b, a))
        a, b, values, signs = a[order], b[order], values[order], signs[order]
        columns = tuple(c[order] for c in columns)
        starts = np.flatnonzero(np.r_[True, (a[1:] != a[:-1]) | (b[1:] != b[:-1])])
        for start, end in zip(starts.tolist(), [*starts[1:].tolist(), len(a)], strict=True):
            known = values[start:end][~np.isnan(values[start:end])]
            tone = math.fsum(known.tolist())
            sign = tone_sign(tone, len(known), int(signs[start:end].sum()))
            yield int(a[start]), int(b[start]), (sign, tone), [c[start:end] for c in columns]

    def signed(self) -> dict[tuple[str, str], tuple[int, float, tuple[str, ...]]]:
        """Return each pair's sign, tone and relations, as :func:`collapse` gives them undirected (:func:`kg.balance`).

        For each pair of actors with a relation (self-relations aside; its ends in the order of
        their IRIs): the sign and the sum of the Goldstein values of its relations both ways, and
        the labels of their types in the order they were first reported (by date, then event IRI).
        """
        positions = np.flatnonzero(self.u != self.v)
        rows = self.rows[positions]
        u, v, types = self.u[positions], self.v[positions], self.table.type[rows]
        weight = None if self.weight is None else self.weight[positions]
        labels = [self.table.types[t].label for t in self.type_iris]
        # the relations of each pair in the order first reported: each row once, its first report
        a, b, reported = np.minimum(u, v), np.maximum(u, v), self._first_reported(rows)
        order = np.lexsort((reported, b, a))
        relations: dict[tuple[int, int], list[str]] = {}
        for x, y, t in zip(a[order].tolist(), b[order].tolist(), types[order].tolist(), strict=True):
            relations.setdefault((x, y), []).append(labels[t])
        found = {}
        for x, y, (sign, tone), _ in self._toned(u, v, types, weight):
            found[self.names[x], self.names[y]] = (sign, tone, tuple(dict.fromkeys(relations[x, y])))
        return found

    def _first_reported(self, rows: IntArray) -> IntArray:
        """Return the rank of each row's first report among all rows': by its date ("" for none), then event IRI."""
        table = self._local()
        _, day = _day_ranks(table.whens)
        return day[table.when[rows]] * (len(table.index.items) + 1) + table.item[rows]  # item codes: IRI ranks

    def before_evidence(self) -> int:
        """Return how many edges this cut counts only before their first evidence (``before_evidence``)."""
        table = self._local()
        early = np.array([w.before_evidence for w in table.whens] + [False], dtype=bool)
        return int(early[table.when[self.rows]].sum())

    def relations(self) -> Relations:
        """Return every kept edge as :class:`Relations` (what :func:`kg.diff` compares)."""
        table = self._local()
        index, rows, whens = table.index, self.rows, table.whens
        infos = [table.types.get(t) for t in index.types]
        days, day = _day_ranks(whens)

        def by_when(values: list[Any], dtype: Any) -> npt.NDArray[Any]:
            return np.array(values, dtype=dtype)[table.when[rows]]

        def by_type(values: list[Any], dtype: Any) -> npt.NDArray[Any]:
            return np.array(values, dtype=dtype)[table.type[rows]]

        return Relations(
            nodes=list(self.names),
            u=self.u,
            v=self.v,
            relation=table.type[rows],
            labels=[i.label if i is not None else "" for i in infos],
            item=table.item[rows],
            items=index.items.many,
            day=day[table.when[rows]],
            days=days,
            goldstein=by_type([np.nan if i is None or i.goldstein is None else i.goldstein for i in infos], float),
            sign=by_type([0 if i is None else i.sign for i in infos], np.int64),
            symmetric=by_type([i is not None and i.symmetric for i in infos], bool),
            standing=by_when([w.standing for w in whens], bool),
            start_known=by_when([w.start_known for w in whens], bool),
            early=by_when([w.before_evidence for w in whens], bool),
        )

    def multigraph(self) -> nx.MultiDiGraph[str]:
        """Return the projection as :func:`kg._network.project` returns it: every edge, with its evidence."""
        graph: nx.MultiDiGraph[str] = nx.MultiDiGraph(**self.graph)
        graph.add_nodes_from(self.nodes.items())
        graph.add_edges_from(self._edges(np.arange(len(self.rows))))  # type: ignore[arg-type]
        return graph


def _day_ranks(whens: list[Any]) -> tuple[list[str], IntArray]:
    """Return the days of ``whens`` sorted ("" for none) and each when's rank among them."""
    days = sorted({w.date or "" for w in whens})
    rank = {day: i for i, day in enumerate(days)}
    return days, np.array([rank[w.date or ""] for w in whens], dtype=np.int64)


def _groups(*columns: npt.NDArray[Any], weight: IntArray | None = None) -> tuple[IntArray, IntArray]:
    """Group the rows by the values of ``columns``: return the first position of each group and its size.

    The size is the number of rows, or the sum of their ``weight``.
    """
    if not len(columns[0]):
        empty = np.zeros(0, dtype=np.int64)
        return empty, empty
    order = np.lexsort(columns[::-1])
    changed = np.zeros(len(order) - 1, dtype=bool)
    for column in columns:
        ordered = column[order]
        changed |= ordered[1:] != ordered[:-1]
    starts = np.flatnonzero(np.r_[True, changed])
    if weight is not None:
        return order[starts], np.add.reduceat(weight[order], starts)
    return order[starts], np.diff(np.r_[starts, len(order)])


def pair_network(store: Store, options: ProjectionOptions) -> PairNetwork | None:
    """Return the projection of ``store`` under ``options`` as a :class:`PairNetwork`; None without an index.

    ``options`` are used as given (see :func:`kg._network.projected` for the actors a question
    keeps apart).
    """
    if index_for(store) is None:
        return None
    rules = Rules.of(store, options)
    table = rules.table(store, options)
    return None if table is None else PairNetwork(table, actor_nodes(store, options.cut), options, rules)
