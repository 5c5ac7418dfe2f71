"""The projection of a graph on a SPARQL server as pair aggregates: :func:`remote_pairs`.

Counting the pairs of a graph on a server (:class:`kg.EndpointStore`) by the projection's one
SELECT sends every event over the network. :func:`remote_pairs` sends one ``GROUP BY``
instead: the server applies the projection's rules and its time cut to every event and standing
relation and returns one row per actor, target, relation type and state (standing, contested,
counted before its first evidence) with its number of edges
(:class:`~kg._network.pairs.PairRows`). :class:`RemotePairNetwork` folds and filters those rows
as :class:`~kg._network.PairNetwork` folds a network index's, and asks the server for the
evidence of the pairs it shows only: the events of a pair (:meth:`RemotePairNetwork.edges_between`),
read and projected by the same code as every projection; the tally of a map
(:meth:`RemotePairNetwork.among`), counted there.

The rules the server applies are the projection's (:func:`kg._network.project`):

- an item counts by its relation type when the taxonomy knows the type (the query lists them);
  an event has one type, one date and at most one end date (``ontology/shapes.ttl``, checked by
  ``kg load`` and ``kg ingest``: on data that breaks the shapes the server counts each value
  where the projection keeps the least);
- an event needs a date; the time cut is :func:`kg._timecut.in_force`, standing relations with an
  open start included, those counted only before their first evidence marked;
- an event naming a contested claim is contested (left out with ``claims=False``);
- the reports of one occurrence count once: ``COUNT(DISTINCT COALESCE(?occurrence, ?item))``,
  exact when the reports of an occurrence share its type, actor, targets and day, as
  ``dip:occurrence`` says (``kg ingest`` makes the occurrence's IRI from them);
- folding and the filters by relation type and sign are applied here, to the rows.

``tests/test_remote.py`` checks the answers against the network index and the SPARQL projection
on a real ``oxigraph serve``.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable
from typing import Any

import networkx as nx
import numpy as np
from rdflib import Literal, URIRef

from kg._netindex import enabled
from kg._network.options import ProjectionOptions
from kg._network.pairs import Edge, PairNetwork, PairRows, Relations, Sample, between, pair_network
from kg._network.projection import project, project_rows
from kg._network.rows import FROM_ACTOR, pair_groups, read_rows
from kg._network.rules import Rules, actor_nodes
from kg._store import EndpointStore, Store, inline_terms
from kg._timecut import TimeCut, state_filter

__all__ = ["RemotePairNetwork", "aggregate_query", "pairs_for", "remote_pairs"]

_CLAIM_PROPERTIES = "dip:assertsClaim|dip:disputesClaim|dip:endorsesClaim|dip:presupposesClaim"

_LOOKUPS = 2
"""How many items the pairs of a map may look through, at most, for every edge of the graph, before
the tally reads every item instead: Oxigraph looks an item up in some 12 microseconds and counts
one in a pass over all in some 70 (200,000 events: a pair of 39,511 items 0.47 s, the pass 13.5 s)."""

_SAMPLE = 3
"""The sources a map names by their title when there are no more (``kg._drawing._frame``)."""


def _iris(values: Iterable[str]) -> str:
    return " ".join(URIRef(v).n3() for v in values)


def _counted(
    rules: Rules,
    options: ProjectionOptions,
    pairs: Collection[tuple[str, str]] | None = None,
    *,
    days: bool = False,
    sources: bool = False,
    from_target: Collection[tuple[str, str]] = (),
) -> str:
    """Return a sub-select that binds each edge the projection counts: ``?a ?b`` and ``?first``, what it is.

    ``?first`` is the item's IRI, a space, then its :func:`_key` (``days``: then a space, the
    date, a space, the last day (the end date, else the date), a space and, with ``sources``,
    the item's least source; "-" for none). The reports of
    one occurrence and pair give one edge, that of the least item IRI (unless
    ``options.each_report``), chosen among the items the cut and filters keep: the least of
    their descriptions (the IRI first, then a space, which no IRI holds). ``pairs`` (actor and
    target IRIs) narrows it to those, ``from_target`` of them matched from the target
    (:func:`kg._network.rows.pair_groups`).
    """
    cut = options.cut
    kept = sorted(t for t in rules.types if _wanted(rules, options, t))
    types = f"VALUES ?type {{ {_iris(kept)} }}"
    groups = [("", FROM_ACTOR)] if pairs is None else pair_groups(pairs, from_target)
    contested = sorted(c for c in rules.contested if c is not None)
    claim = (
        f"""OPTIONAL {{
                SELECT ?item (MIN(STR(?c)) AS ?claim) WHERE {{
                    VALUES ?c {{ {_iris(contested)} }}
                    ?item {_CLAIM_PROPERTIES} ?c .
                }} GROUP BY ?item
            }}"""
        if contested
        else ""
    )
    event_cut = "\n            ".join(_event_cut(cut))
    state_cut = state_filter("?item", start="?date", end="?end", cut=cut).replace("\n", "\n            ")
    days_text = (
        ', " ", COALESCE(STR(?date), "-"), " ", COALESCE(STR(?end), STR(?date), "-"), " ", COALESCE(STR(?doc), "-")'
        if days
        else ""
    )
    unit = (
        "BIND (?item AS ?unit)"
        if options.each_report
        else "OPTIONAL { ?item dip:occurrence ?occurrence }\n        BIND (COALESCE(?occurrence, ?item) AS ?unit)"
    )
    branches = " UNION ".join(
        f"""{{
            {values}
            {events} .
            {types}
            ?item dip:eventType ?type ; dip:date ?date .
            OPTIONAL {{ ?item dip:endDate ?end }}
            {event_cut}
            {claim}
            BIND ("0" AS ?s)
            BIND ("0" AS ?e)
        }} UNION {{
            {values}
            {standing} .
            {types}
            ?item dip:relationType ?type .
            {state_cut}
            BIND ("1" AS ?s)
            BIND ({_early(cut)} AS ?e)
        }}"""
        for values, (events, standing) in groups
    )
    return f"""
    {{
        SELECT ?a ?b (MIN(CONCAT(
            STR(?item), " ", ?s, ?e, " ", STR(?type), " ", COALESCE(?claim, ""){days_text}
        )) AS ?first) WHERE {{
        {branches}
        {unit}
        {"OPTIONAL { ?item dip:source ?doc }" if sources else ""}
        {"" if options.claims else "FILTER (!BOUND(?claim))"}
        }} GROUP BY ?unit ?a ?b
    }}"""


def _key(key: str) -> tuple[bool, bool, str, str]:
    """Read an edge's key: standing, counted before its first evidence, relation type, contested claim ("": none).

    The key is "SE TYPE CLAIM": S and E "1" or "0", then the type's IRI and the claim's, after a space each.

    Examples
    --------
    >>> _key("10 https://w3id.org/dipkg/ns#partOf ")
    (True, False, 'https://w3id.org/dipkg/ns#partOf', '')
    """
    type_, claim = key[3:].split(" ", 1)
    return key[0] == "1", key[1] == "1", type_, claim


_DAYS = """
    BIND (STRBEFORE(?first, " ") AS ?item)
    BIND (STRAFTER(?first, " ") AS ?key)
    BIND (SUBSTR(?key, 1, 1) AS ?standing)
    BIND (STRAFTER(?key, " ") AS ?typed)
    BIND (STRBEFORE(?typed, " ") AS ?type)
    BIND (STRAFTER(STRAFTER(?typed, " "), " ") AS ?days)
    BIND (STRBEFORE(?days, " ") AS ?date)
    BIND (STRAFTER(?days, " ") AS ?rest)
    BIND (STRBEFORE(?rest, " ") AS ?last)
    BIND (STRAFTER(?rest, " ") AS ?source)
"""
"""Read ``?item``, ``?standing``, ``?type``, ``?date``, ``?last`` and ``?source`` from the ``?first`` of
``_counted(days=True)``."""


def _wanted(rules: Rules, options: ProjectionOptions, type_: str) -> bool:
    """Say whether the projection may keep edges of ``type_`` (folding reads the structural ones)."""
    info = rules.types[type_]
    if info.structural:
        return bool(options.structural) or options.fold
    return (rules.wanted is None or type_ in rules.wanted) and (rules.signs is None or info.sign in rules.signs)


def _event_cut(cut: TimeCut) -> list[str]:
    """Return the FILTERs of ``cut`` on an event's ``?date`` and ``?end``, as :func:`kg._timecut.in_force`."""
    tests = [
        (cut.as_of, "!(?date > ?asOf)"),
        (cut.since, "?date >= ?since || (BOUND(?end) && ?end >= ?since)"),
        (cut.until, "!(?date > ?until)"),
    ]
    return [f"FILTER ({test})" for day, test in tests if day is not None]


def _early(cut: TimeCut) -> str:
    """Return 1 for a standing relation ``cut`` counts only by its open start, else 0 (``before_evidence``)."""
    later = [test for day, test in ((cut.as_of, "?date > ?asOf"), (cut.until, "?date > ?until")) if day is not None]
    if cut.from_evidence or not later:
        return '"0"'
    return f'IF(!BOUND(?date_given) && BOUND(?date_by) && ({" || ".join(later)}), "1", "0")'


def _ask(store: EndpointStore, query: str, cut: TimeCut) -> list[tuple[str | None, ...]]:
    """Run ``query`` with the days of ``cut`` written into it.

    Not bound by a ``VALUES`` block: a block opening the outer group binds nothing inside the
    groups of the query, which are evaluated first (SPARQL's bottom-up evaluation).
    """
    text, rest = inline_terms(query, cut.bindings())
    assert not rest, f"the days of the cut could not be written into the query: {sorted(rest)}"
    return store.query_values(text)


def aggregate_query(rules: Rules, options: ProjectionOptions, *, reported: bool = False) -> str:
    """Return the one query :func:`remote_pairs` sends: edges by actor, target and :func:`_key`, counted.

    ``reported``: also the first report of each row (:class:`~kg._network.pairs.PairRows`).
    """
    if not reported:
        return f"""
SELECT ?a ?b ?key (COUNT(*) AS ?edges) WHERE {{
    {_counted(rules, options)}
    BIND (STRAFTER(?first, " ") AS ?key)
}}
GROUP BY ?a ?b ?key
"""
    # ?key of _DAYS ends with the days: the key of _key is what comes before them
    return f"""
SELECT ?a ?b ?group (COUNT(*) AS ?edges) (MIN(CONCAT(?date, " ", ?item)) AS ?reported) WHERE {{
    {_counted(rules, options, days=True)}
    {_DAYS}
    BIND (CONCAT(STRBEFORE(?key, " "), " ", ?type, " ", STRBEFORE(STRAFTER(?typed, " "), " ")) AS ?group)
}}
GROUP BY ?a ?b ?group
"""


def remote_pairs(store: EndpointStore, options: ProjectionOptions, *, reported: bool = False) -> RemotePairNetwork:
    """Return the projection of the graph on ``store`` under ``options`` by one ``GROUP BY`` on the server.

    ``options`` are used as given (see :func:`kg._network.projected` for the actors a question
    keeps apart); ``reported``: with the first report of each row, which orders a pair's
    relations (:meth:`~kg._network.PairNetwork.signed`).
    """
    rules = Rules.of(store, options)
    answer = _ask(store, aggregate_query(rules, options, reported=reported), options.cut)
    found = [(str(a), str(b), *_key(str(key)), int(str(n)), str(r[0]) if r else "") for a, b, key, n, *r in answer]
    nodes = sorted({row[0] for row in found} | {row[1] for row in found})
    type_iris = sorted({row[4] for row in found})
    claim_iris = sorted({row[5] for row in found if row[5]})
    codes = {name: i for i, name in enumerate(nodes)}
    type_codes = {name: i for i, name in enumerate(type_iris)}
    claim_codes = {name: i for i, name in enumerate(claim_iris)}

    def column(values: Iterable[Any], dtype: Any = np.int64) -> Any:
        return np.fromiter(values, dtype=dtype, count=len(found))

    rows = PairRows(
        a=column(codes[r[0]] for r in found),
        b=column(codes[r[1]] for r in found),
        type=column(type_codes[r[4]] for r in found),
        claim=column(claim_codes[r[5]] if r[5] else -1 for r in found),
        disputed=column((bool(r[5]) for r in found), bool),
        early=column((r[3] for r in found), bool),
        weight=column(r[6] for r in found),
        nodes=nodes,
        type_iris=type_iris,
        claim_iris=claim_iris,
        types=rules.types,
        reported=[r[7] for r in found] if reported else None,
    )
    return RemotePairNetwork(rows, actor_nodes(store, options.cut), options, rules, store)


def pairs_for(
    store: Store, options: ProjectionOptions, *, remote: bool = True, reported: bool = False
) -> PairNetwork | None:
    """Return the projection of ``store`` as pairs when it can be had without reading every edge.

    From the network index of a local store (:func:`kg._network.pair_network`), by one ``GROUP
    BY`` on a server (:func:`remote_pairs`, unless ``remote`` is False or ``KG_NETINDEX=0``, with
    the first reports when ``reported``); None otherwise.
    """
    found = pair_network(store, options)
    if found is None and remote and enabled() and isinstance(store, EndpointStore):
        return remote_pairs(store, options, reported=reported)
    return found


class RemotePairNetwork(PairNetwork):
    """A :class:`~kg._network.PairNetwork` of pair aggregates from a server; the evidence is read from it."""

    table: PairRows

    def __init__(
        self,
        rows: PairRows,
        actors: nx.MultiDiGraph[str],
        options: ProjectionOptions,
        rules: Rules,
        store: EndpointStore,
    ):
        super().__init__(rows, actors, options, rules)
        self.store, self.options, self.rules, self.actors = store, options, rules, actors
        self._busy: tuple[Any, Any] | None = None
        """How many counted edges each node is the actor of, and the target of (made when first asked)."""

    def _first_reported(self, rows: Any) -> Any:
        """Return the rank of each row's first report among all rows' (asked for by ``remote_pairs(reported=True)``)."""
        if self.table.reported is None:
            raise ValueError("pair aggregates counted without their first reports: use remote_pairs(reported=True)")
        _, ranks = np.unique(np.array(self.table.reported, dtype=object), return_inverse=True)
        return np.asarray(ranks, dtype=np.int64).ravel()[rows]

    def _triples(self, positions: Any) -> set[tuple[str, str, str]]:
        """Return the (actor, target, relation type) of the rows at ``positions``, before folding."""
        table, rows = self.table, self.rows[positions]
        return {
            (self.names[a], self.names[b], self.type_iris[t])
            for a, b, t in zip(table.a[rows].tolist(), table.b[rows].tolist(), table.type[rows].tolist(), strict=True)
        }

    def edges_between(self, u: str, v: str, *, directed: bool, limit: int | None = None) -> tuple[list[Edge], int]:
        """Return the first ``limit`` edges that link ``u`` to ``v`` and how many there are, as :class:`PairNetwork`.

        The edges of the pair are read from the server (one query for the pair) and projected by
        :func:`kg._network.projection.project_rows`; their number is the rows'. One query a pair,
        not one for all the hops of a path: Oxigraph answers a ``VALUES`` block of many pairs
        slower than as many queries of one (115 s against 37 s for the 968 pairs behind 39 hops
        at 200,000 events); the cost is the events of a pair, found by the actor's events.
        """
        both = np.concatenate(self._spans(u, v, directed=directed))
        if not both.size:
            return [], 0
        assert self.weight is not None
        pairs = {(a, b) for a, b, _ in self._triples(both)}
        rows = read_rows(self.store, pairs, from_target=self._from_target(pairs))
        graph = project_rows(rows, self.actors.copy(), self.rules, self.options, self.graph.get("fold_map", {}))
        edges, _ = between(graph, u, v, directed=directed, limit=limit)
        return edges, int(self.weight[both].sum())

    def _ends(self, pairs: Iterable[tuple[str, str]]) -> dict[tuple[str, str], tuple[float, bool]]:
        """Return each pair's items to look through (those of its less busy end) and whether that end is the target.

        An actor's items are the edges counted with it as the actor, a target's as the target.
        """
        if self._busy is None:
            table = self.table
            self._busy = (
                np.bincount(table.a, weights=table.weight, minlength=len(self.names)),
                np.bincount(table.b, weights=table.weight, minlength=len(self.names)),
            )
        as_actor, as_target = self._busy
        ends = {}
        for a, b in pairs:
            actor, target = as_actor[self.code(a)], as_target[self.code(b)]
            ends[(a, b)] = (min(actor, target), bool(target < actor))
        return ends

    def _from_target(self, pairs: Iterable[tuple[str, str]]) -> set[tuple[str, str]]:
        """Return the pairs whose target is the end of fewer items than their actor."""
        return {pair for pair, (_, backward) in self._ends(pairs).items() if backward}

    def _tally(self, positions: Any) -> tuple[Collection[str], Collection[str], Collection[str], str, str]:
        """Count on the server the events, standing relations and sources of the rows at ``positions``."""
        if not positions.size:
            return Sample(0, []), Sample(0, []), Sample(0, []), "", ""
        triples = self._triples(positions)
        ends = self._ends({(a, b) for a, b, _ in triples})
        if sum(items for items, _ in ends.values()) <= _LOOKUPS * int(self.table.weight.sum()):
            backward = {pair for pair, (_, from_target) in ends.items() if from_target}
            counted = _counted(self.rules, self.options, set(ends), days=True, sources=True, from_target=backward)
        else:  # the pairs' items outnumber the graph's: one pass over every item, the pairs joined after
            counted = _counted(self.rules, self.options, days=True, sources=True)
        counted += _DAYS
        keys = " ".join(f"({_iris((a, b))} {Literal(t).n3()})" for a, b, t in sorted(triples))
        keys = f"VALUES (?a ?b ?type) {{ {keys} }}"  # the type as a string: read from ?first
        pattern = f"{counted}\n    {keys}"
        cut = self.options.cut
        # One query counts events, standing relations and sources (an item's source is its least,
        # read with the item: joined by IRI afterwards it ran for minutes on Oxigraph) and gives the
        # least and greatest source; a second finds the third of three (a map names up to three).
        # No value is left unbound for MIN and MAX (Oxigraph's MIN of a group with an unbound value
        # is unbound) nor COUNT (Virtuoso counted no standing relation so): "~" and "" stand for
        # none, after and before every day and IRI.
        found = _ask(
            self.store,
            f"""
SELECT (SUM(?event) AS ?events) (SUM(?relation) AS ?relations) (MIN(?day) AS ?first) (MAX(?final) AS ?last)
    (COUNT(DISTINCT ?low) AS ?sources) (MAX(?low) AS ?none) (MIN(?low) AS ?least) (MAX(?high) AS ?greatest)
WHERE {{
    {{ SELECT DISTINCT ?standing ?item ?date ?last ?source WHERE {{ {pattern} }} }}
    BIND (IF(?standing = "0", 1, 0) AS ?event)
    BIND (IF(?standing = "1", 1, 0) AS ?relation)
    BIND (IF(?standing = "0" && ?date != "-", ?date, "~") AS ?day)
    BIND (IF(?standing = "0" && ?last != "-", ?last, "") AS ?final)
    BIND (IF(?source != "-", ?source, "~") AS ?low)
    BIND (IF(?source != "-", ?source, "") AS ?high)
}}""",
            cut,
        )
        events, standing, first, last, total, none, *extremes = found[0] if found else (0,) * 5 + (None,) * 3
        sources = int(str(total or 0)) - (str(none) == "~")  # "~": an item without a source
        members = list(dict.fromkeys(str(x) for x in extremes if x is not None and str(x) not in ("~", "")))
        if sources == _SAMPLE == len(members) + 1:  # a map names three: the one between these two
            between = f"?source > {Literal(members[0]).n3()} && ?source < {Literal(members[1]).n3()}"
            query = f"SELECT ?source WHERE {{ {pattern} FILTER ({between}) }} LIMIT 1"
            members += [str(row[0]) for row in _ask(self.store, query, cut)]
        return (
            Sample(int(str(events or 0)), []),
            Sample(int(str(standing or 0)), []),
            Sample(sources, members),
            "" if first is None or str(first) == "~" else str(first),
            "" if last is None else str(last),
        )

    def before_evidence(self) -> int:
        assert self.weight is not None
        return int(self.weight[self.table.early[self.rows]].sum())

    def relations(self) -> Relations:
        raise NotImplementedError("kg.diff lists the events that changed: it projects a server's graph whole")

    def multigraph(self) -> nx.MultiDiGraph[str]:
        """Return the whole projection, every edge with its evidence, read from the server."""
        return project(self.store, self.options)
