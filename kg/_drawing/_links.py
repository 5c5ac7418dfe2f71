"""The links a map draws: the edges among the shown actors, one link per pair, direction, sign and state.

A detailed map partitions each pair's edges by what the relation type says (its direction and
sign) and by whether the event belongs to a contested account: no rule is needed, each edge goes
to exactly one link. A busy map merges each pair's relations into one link, summarised by the
projection's own grouping, :func:`kg.collapse`: its sign and its contested state are
collapse's (the sign of the summed Goldstein tone, else of the relations' signs; contested when
any of its events is), so that a map and a collapsed network never disagree about a pair.
"""

from __future__ import annotations

import operator
from collections import Counter
from collections.abc import Callable, Collection, Sequence
from dataclasses import dataclass, field
from itertools import compress, repeat
from operator import itemgetter
from typing import Any

import networkx as nx

from kg._drawing._grammar import _DETAIL_LIMIT, _MAX_LINKS, _TEXT_LIMIT
from kg._network import PairNetwork, collapse

__all__: list[str] = []


@dataclass
class _Link:
    """One drawn edge: the relations of a pair with one direction, sign and contested state.

    A merged link (large maps) holds every relation of the pair: ``forward`` and ``back`` count
    its directed events each way, its sign and contested state are those of
    :func:`kg.collapse` for the pair.
    """

    source: Any
    target: Any
    symmetric: bool
    sign: int
    contested: bool
    count: int = 0
    relations: Counter[str] = field(default_factory=Counter)
    signs: dict[str, int] = field(default_factory=dict)  # the sign of each relation named
    claims: dict[str, set[str]] = field(default_factory=dict)
    forward: int = 0
    back: int = 0
    merged: bool = False

    def order(self) -> tuple[Any, ...]:
        return (str(self.source), str(self.target), self.symmetric, -self.sign, self.contested)

    def text(self, *, numbers: dict[str, int]) -> str:
        """Return the relation names, most frequent first, with counts and claim numbers."""
        ranked = sorted(self.relations.items(), key=lambda item: (-item[1], item[0]))
        if self.merged:  # the pair's two commonest relations
            return "\n".join(f"{name} ×{n}" if n > 1 else name for name, n in ranked[:2])
        names = []
        for name, n in ranked:
            marks = sorted({numbers[c] for c in self.claims.get(name, ()) if c in numbers})
            note = f" [{', '.join(map(str, marks))}]" if marks else ""
            names.append(f"{name} ×{n}{note}" if n > 1 else f"{name}{note}")
        if len(names) > 4:
            names = [*names[:3], f"+{len(names) - 3} more"]
        return "\n".join(names)


@dataclass
class _Tally:
    """What the drawn edges rest on: events, standing relations, sources, dates."""

    events: Collection[str] = field(default_factory=set)
    standing: Collection[str] = field(default_factory=set)
    sources: Collection[str] = field(default_factory=set)
    """Sets; from a server, a :class:`kg._network.Sample` of each (its size, its least members)."""
    first: str = ""
    last: str = ""

    def add(self, data: dict[str, Any]) -> None:
        items, sources = self.standing if data.get("standing") else self.events, self.sources
        assert isinstance(items, set) and isinstance(sources, set), "a tally read from a server is complete"
        items.add(str(data.get("event", "")))
        if data.get("source"):
            sources.add(str(data["source"]))
        date = str(data.get("date") or "")
        if date and not data.get("standing"):
            self.first = min(self.first or date, date)
            self.last = max(self.last, str(data.get("end_date") or date))


_KIND_FIELDS = ("symmetric", "sign", "contested", "relation", "relation_label")
_KIND_DEFAULTS = (False, 0, False, "", "")

Kind = tuple[bool, int, bool, str, str]
"""What puts an edge in a link: symmetric, sign, contested, relation type, relation label."""


@dataclass
class _Among:
    """What the edges among the shown actors say in sum: by pair and kind, their claims, their tally.

    Read from a projected graph (:func:`_among_graph`) or from a projection kept as arrays
    (:func:`_among_pairs`, :meth:`kg._network.PairNetwork.among`): the links come out the same.
    """

    kinds: Counter[tuple[tuple[Any, Any], Kind]]
    claims: list[tuple[tuple[Any, Any], bool, int, str, str]]
    """``((actor, target), symmetric, sign, relation label, claim)`` of the contested edges."""
    tally: _Tally
    tones: Callable[[], dict[tuple[Any, Any], tuple[int, bool]]]
    """Each pair's sign and contested state (:func:`kg.collapse`, undirected), made when asked."""


def _column(datas: list[dict[str, Any]], name: str, default: Any) -> list[Any]:
    """Read one attribute of every edge, in C (``dict.get`` only when an edge lacks it)."""
    try:
        return list(map(itemgetter(name), datas))
    except KeyError:
        return [data.get(name, default) for data in datas]


def _kinds(datas: list[dict[str, Any]]) -> list[Kind]:
    try:
        return list(map(itemgetter(*_KIND_FIELDS), datas))
    except KeyError:
        return [tuple(d.get(n, v) for n, v in zip(_KIND_FIELDS, _KIND_DEFAULTS, strict=True)) for d in datas]  # type: ignore[misc]


def _among_graph(graph: nx.MultiDiGraph[Any], nodes: Sequence[Any]) -> _Among:
    """Read :class:`_Among` from a projected graph, with no Python code run per edge.

    The edges of each pair are gathered with ``list.extend``, read with ``itemgetter`` and
    counted with ``Counter``, which keeps a million edges to a second or so.
    """
    keep = set(nodes)
    datas: list[dict[str, Any]] = []
    pairs: list[tuple[Any, Any]] = []
    for u in nodes:
        for v, keyed in graph.succ[u].items():
            if v != u and v in keep:
                datas.extend(keyed.values())
                pairs.extend(repeat((u, v), len(keyed)))
    claims = [
        (
            pair,
            bool(d.get("symmetric", False)),
            int(d.get("sign", 0)),
            str(d.get("relation_label", "")),
            str(d["claim"]),
        )
        for pair, d in zip(pairs, datas, strict=True)
        if d.get("contested") and d.get("claim")
    ]

    def tones() -> dict[tuple[Any, Any], tuple[int, bool]]:
        summary = collapse(graph.subgraph(nodes), directed=False)
        found: dict[tuple[Any, Any], tuple[int, bool]] = {}
        for a, b, d in summary.edges(data=True):
            found[(a, b) if str(a) <= str(b) else (b, a)] = (int(d["sign"]), bool(d["contested"]))
        return found

    return _Among(Counter(zip(pairs, _kinds(datas), strict=True)), claims, _tally(datas), tones)


def _among_pairs(pairs: PairNetwork, nodes: Sequence[Any]) -> _Among:
    """Read :class:`_Among` from a projection kept as arrays: the same as :func:`_among_graph` gives."""
    found = pairs.among(nodes)
    types = pairs.table.types
    kinds: Counter[tuple[tuple[Any, Any], Kind]] = Counter()
    for u, v, relation, contested, n in found.kinds:
        info = types[relation]
        kinds[(u, v), (info.symmetric, info.sign, contested, relation, info.label)] += n
    claims = [
        ((u, v), types[relation].symmetric, types[relation].sign, types[relation].label, claim)
        for u, v, relation, claim in found.claims
    ]
    tally = _Tally(found.events, found.standing, found.sources, found.first, found.last)
    return _Among(kinds, claims, tally, lambda: found.tones)


def _links(
    source: nx.MultiDiGraph[Any] | PairNetwork, nodes: Sequence[Any], *, max_links: int | None
) -> tuple[list[_Link], _Tally, int]:
    """Gather the edges among ``nodes`` into links; merge each pair's when there are many.

    The attributes a link depends on (sign, symmetry) belong to the relation type, so the edges
    are first counted by pair and kind of relation (:class:`_Among`), then the counts are
    gathered. A busy map's pairs are summarised as :func:`kg.collapse` does. Returns the links
    to draw, the tally of what they rest on and how many links there were before keeping only
    the backbone.
    """
    among = _among_pairs(source, nodes) if isinstance(source, PairNetwork) else _among_graph(source, nodes)
    links = sorted(_partition(among).values(), key=_Link.order)
    text = sum(len(name) for x in links for name in list(x.relations)[:4])
    if len(links) > _DETAIL_LIMIT or text > _TEXT_LIMIT:
        links = _merge(links, among.tones())
    total = len(links)
    if max_links is None and links and links[0].merged:
        max_links = min(_MAX_LINKS, max(30, 2 * len(nodes)))
    if max_links is not None and len(links) > max_links:
        links = _backbone(links, max_links)
    return links, among.tally, total


def _partition(among: _Among) -> dict[tuple[Any, ...], _Link]:
    """Put each edge in the link of its pair, direction, sign and contested state (one link each)."""
    groups: dict[tuple[Any, ...], _Link] = {}
    for ((u, v), (symmetric, sign, contested, _, relation)), n in sorted(
        among.kinds.items(), key=lambda item: (str(item[0][0][0]), str(item[0][0][1]), str(item[0][1][3]))
    ):
        a, b = (u, v) if not symmetric or str(u) <= str(v) else (v, u)
        key = (a, b, bool(symmetric), int(sign), bool(contested))
        link = groups.get(key)
        if link is None:
            link = groups[key] = _Link(a, b, bool(symmetric), int(sign), bool(contested))
        link.count += n
        link.forward += 0 if symmetric else n
        link.relations[str(relation)] += n
        link.signs[str(relation)] = int(sign)
    for (u, v), symmetric, sign, label, claim in among.claims:
        a, b = (u, v) if not symmetric or str(u) <= str(v) else (v, u)
        groups[(a, b, symmetric, sign, True)].claims.setdefault(label, set()).add(claim)
    return groups


def _tally(datas: list[dict[str, Any]]) -> _Tally:
    """Return what the edges rest on: events, standing relations, sources and the dates spanned."""
    events = _column(datas, "event", "")
    standing = list(map(bool, _column(datas, "standing", False)))
    moments = set(
        compress(
            zip(_column(datas, "date", ""), _column(datas, "end_date", ""), strict=True), map(operator.not_, standing)
        )
    )
    dates = {(date, end or date) for date, end in moments if date}
    return _Tally(
        set(compress(events, map(operator.not_, standing))),
        set(compress(events, standing)),
        set(_column(datas, "source", "")) - {"", None},
        min((d for d, _ in dates), default=""),
        max((e for _, e in dates), default=""),
    )


def _merge(links: list[_Link], tones: dict[tuple[Any, Any], tuple[int, bool]]) -> list[_Link]:
    """Merge the links of each pair into one: the map of a large graph shows who deals with whom.

    ``tones`` gives each pair's sign and contested state, as :func:`kg.collapse` gives them
    (one edge per pair), which each merged link takes.
    """
    merged: dict[tuple[Any, Any], _Link] = {}
    for link in links:
        a, b = sorted((link.source, link.target), key=str)
        into = merged.get((a, b))
        if into is None:
            sign, contested = tones[a, b]
            into = merged[(a, b)] = _Link(a, b, True, sign, contested, merged=True)
        into.count += link.count
        into.relations.update(link.relations)
        into.signs.update(link.signs)
        if not link.symmetric:
            into.symmetric = False
            if link.source == a:
                into.forward += link.count
            else:
                into.back += link.count
    return sorted(merged.values(), key=_Link.order)


def _backbone(links: list[_Link], limit: int) -> list[_Link]:
    """Keep the maximum spanning forest (no actor is left alone), then the heaviest links."""
    ranked = sorted(links, key=lambda x: (-x.count, x.order()))
    forest: nx.utils.UnionFind[Any] = nx.utils.UnionFind()
    chosen: set[int] = set()
    for link in ranked:
        if forest[link.source] != forest[link.target]:
            forest.union(link.source, link.target)
            chosen.add(id(link))
    for link in ranked:
        if len(chosen) >= limit:
            break
        chosen.add(id(link))
    return [x for x in links if id(x) in chosen]
