"""Relationship maps: who did what to whom, drawn as figures a reader follows without a manual.

:func:`draw` turns the network projection into a map of actors and relations (the whole graph,
the neighbourhood of one actor, or the most central actors of a large graph); :func:`draw_timeline`
lays the events out in time, one row per dyad. Both return a matplotlib ``Figure`` (or draw into a
given ``ax``) and never open a window; :func:`save_figure` writes PNG or SVG atomically.

The visual grammar is the same on every map:

- node shape and colour give the kind of actor (yellow circle: state; sky-blue square or diamond:
  government body or diplomatic mission; green hexagon: organisation; purple triangle: person;
  grey pentagon: collective), node size a centrality measure of :mod:`kg._analysis`;
- edge colour gives the sign of the relation (blue cooperative, vermillion conflictual, grey
  neutral: Okabe-Ito colours, safe for colour-blind readers), its width the number of events;
  a dashed edge belongs to a contested account (an event that asserts, disputes or endorses a
  contested claim), its relation numbered after the claim listed in the legend; arrows point from
  actor to target, symmetric relations have none;
- several relations between the same pair are separate curved edges (one per direction, sign and
  contested state, each naming its relations), never drawn on top of each other;
- a legend, a title and a subtitle with the time window, the counts and the sources.

The layout is deterministic: stress majorization (the Kamada-Kawai objective) from a few seeded
starts, the one with the fewest crossings kept, where a pair with many relations to name gets a
longer edge; components packed side by side; then nodes pushed apart until no two labels overlap,
each label put on the side of its node that edges leave free, and each edge label on its own
curve where it covers nothing.

A busy map (more than 150 links, or more relation names than a map can print) merges the
relations of each pair into one edge: its colour the sign of the summed Goldstein tone, an
arrowhead at each end that receives a directed relation, its label the two
commonest relations; only a backbone is drawn (the maximum spanning forest, then the heaviest
links) and only the heaviest links are named. Edges are drawn as collections (one
``LineCollection``, one ``PolyCollection`` of arrowheads) and the edges are counted by pair and
kind of relation before anything else, so a top-50 map of a million events draws in a few
seconds (``benchmarks/drawing.py``).
"""

from __future__ import annotations

import datetime as dt
import difflib
import gc
import io
import logging
import math
import operator
import textwrap
from collections import Counter, defaultdict, deque
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from itertools import compress, repeat
from operator import itemgetter
from pathlib import Path
from typing import Any

import matplotlib as mpl
import networkx as nx
import numpy as np
from matplotlib.axes import Axes
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.collections import LineCollection, PolyCollection
from matplotlib.dates import AutoDateLocator, ConciseDateFormatter, DateFormatter, date2num
from matplotlib.figure import Figure
from matplotlib.legend import Legend
from matplotlib.lines import Line2D
from matplotlib.patches import Patch
from rdflib import URIRef

from kg._analysis import MEASURES, centrality
from kg._errors import InputError, UnknownNameError
from kg._files import atomic_write
from kg._network import given_options, project
from kg._query import resolve_actor
from kg._store import Store
from kg._tabular import short_iri
from kg._timecut import parse_date

__all__ = ["KIND_STYLES", "SIGN_COLOURS", "VIEWS", "draw", "draw_timeline", "save_figure"]

log = logging.getLogger(__name__)

VIEWS = ("graph", "ego", "top")
"""The views of :func:`draw`: the whole graph, one actor's neighbourhood, the most central actors."""

SIGN_COLOURS = {1: "#0072B2", -1: "#D55E00", 0: "#8C8C8C"}
"""Edge colour by sign: Okabe-Ito blue (cooperative), vermillion (conflictual), grey (neutral)."""

KIND_STYLES: dict[str, tuple[str, str, str]] = {
    "State": ("state", "o", "#F0E442"),
    "GovernmentBody": ("government body", "s", "#56B4E9"),
    "DiplomaticMission": ("diplomatic mission", "D", "#56B4E9"),
    "Organisation": ("organisation", "H", "#009E73"),
    "Person": ("person", "^", "#CC79A7"),
    "Collective": ("collective", "p", "#BDBDBD"),
}
"""Node style by actor kind: (name in the legend, matplotlib marker, fill colour).

Okabe-Ito colours kept apart from the edge colours; any other kind is a white circle.
"""

_OTHER_KIND = ("other actor", "o", "#FFFFFF")
_TEXT_COLOURS = {1: "#00507D", -1: "#9C3D00", 0: "#505050"}  # darker, for text on white
_SIGN_NAMES = {1: "cooperative", -1: "conflictual", 0: "neutral"}
_DASHES = (0, (4, 2))

# A font that ships with matplotlib and fixed SVG ids: the same input gives the same file.
_RC: dict[str, Any] = {
    "font.family": "DejaVu Sans",
    "svg.hashsalt": "kg-drawing",
    "svg.fonttype": "path",
    "axes.unicode_minus": False,
}

_DETAIL_LIMIT = 150  # above this many links, the relations of each pair are merged into one edge
_TEXT_LIMIT = 600  # ... or above this many characters of relation names to print on the edges
_MAX_LINKS = 120  # links of a merged map at most (a backbone: spanning forest, then the heaviest)
_LABEL_BUDGET = 60  # nodes labelled on one map, the most central first
_EDGE_LABEL_BUDGET = 45  # links labelled on a detailed map, the heaviest first
_MERGED_LABEL_BUDGET = 14  # links labelled on a merged map
_CLAIM_LIMIT = 8  # contested claims numbered and listed on one map
_EGO_LIMIT = 60  # actors of an ego map before it keeps the most central only
_CROWDED = 80  # actors on a whole map beyond which the subtitle points to the top view
_SPREAD = 0.45  # extra length of an edge per relation named on it (in edge lengths)
_STRETCH = 1.35  # how much more a layout may be stretched along one axis than the other


@contextmanager
def _style() -> Iterator[None]:
    with mpl.rc_context(_RC):  # type: ignore[arg-type]
        yield


@contextmanager
def _gc_paused() -> Iterator[None]:
    """Pause the cyclic garbage collector while a map is made (as ``timeit`` does).

    Drawing allocates many small objects; with a projection of a million events in memory each
    collection would walk millions of objects, several times over, for nothing.
    """
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def save_figure(figure: Figure, path: str | Path, *, dpi: float | None = None) -> Path:
    """Write ``figure`` to ``path`` as PNG or SVG (by the extension), atomically.

    The file is written beside its destination and renamed into place, so a failed write leaves
    nothing half-written. Metadata that changes from run to run (the creation date) is left out,
    so the same figure gives the same file.

    Parameters
    ----------
    figure : matplotlib.figure.Figure
        The figure, as returned by :func:`draw` or :func:`draw_timeline`.
    path : str or Path
        Where to write; the extension (``.png`` or ``.svg``) chooses the format.
    dpi : float, optional
        Resolution of a PNG (the figure's own by default).

    Returns
    -------
    Path
        The path written.

    Raises
    ------
    InputError
        For an extension other than ``.png`` or ``.svg``, or a folder that does not exist.

    Examples
    --------
    >>> import tempfile, kg
    >>> folder = tempfile.mkdtemp()
    >>> save_figure(kg.draw(kg.load(), width=6, height=4), f"{folder}/map.svg").suffix
    '.svg'
    """
    path = Path(path)
    fmt = path.suffix.lower().lstrip(".")
    if fmt not in ("png", "svg"):
        raise InputError(f"{path}: cannot tell the image format from the name; name the file *.png or *.svg")
    metadata: dict[str, Any] = {"Date": None} if fmt == "svg" else {}

    def write(temporary: Path) -> None:
        with _style():
            figure.savefig(temporary, format=fmt, dpi=dpi or figure.dpi, metadata=metadata, facecolor="white")

    atomic_write(path, write)
    log.info("wrote %s", path)
    return path


# ---------------------------------------------------------------------------- names and scores


def _projected(
    data: Store | nx.MultiDiGraph, options: dict[str, Any], store: Store | None, *, named: Iterable[str | None] = ()
) -> tuple[nx.MultiDiGraph, Store | None]:
    # ``named``: the actors the picture is about (a focus, a dyad), kept apart when folding.
    if isinstance(data, Store):
        names = [n for n in named if n]
        unfold = [str(resolve_actor(data, n)) for n in names] if names and options.get("fold", True) else []
        return project(data, **options, unfold=unfold), data
    if isinstance(data, nx.MultiDiGraph):
        given = given_options(options)
        if given:
            raise InputError(
                f"projection options ({', '.join(given)}) apply when drawing from a store; this "
                "network is already projected: project the store with them, or pass the store"
            )
        return data, store
    raise InputError(f"cannot draw a {type(data).__name__}: pass a Store or a graph from kg._network.project()")


def _label_of(graph: nx.Graph, node: Any) -> str:
    label = graph.nodes[node].get("label") if node in graph else None
    return str(label) if label else short_iri(str(node)).split(":", 1)[-1].rsplit("/", 1)[-1]


def _scores(graph: nx.MultiDiGraph, measure: str) -> dict[Any, float]:
    """Score every actor with :func:`kg._analysis.centrality` (the project's one implementation)."""
    table = centrality(graph, measure=measure)
    columns = list(table.columns)
    score, iri = columns.index("score"), columns.index("iri")
    by_name = {str(node): node for node in graph.nodes}
    return {by_name[str(row[iri])]: float(row[score]) for row in table.rows if str(row[iri]) in by_name}


def _ranked(nodes: Iterable[Any], scores: dict[Any, float], graph: nx.Graph) -> list[Any]:
    return sorted(nodes, key=lambda n: (-scores.get(n, 0.0), _label_of(graph, n).casefold(), str(n)))


def _actor(graph: nx.MultiDiGraph, name: str, store: Store | None) -> Any:
    """Resolve an actor's name to its node in the projection (the actor it folds into, if folded).

    With a store, names are read by :func:`kg._query.resolve_actor` (label, alias, local name,
    IRI); without one, among the nodes' IRIs, prefixed names, labels and local names.

    Raises
    ------
    UnknownNameError
        No actor has that name.
    InputError
        The actor exists but has no relation in this cut, or the name is ambiguous.
    """
    iri = str(resolve_actor(store, name)) if store is not None else _node_named(graph, name)
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


def _node_named(graph: nx.MultiDiGraph, name: str) -> str:
    """Find a node by IRI, prefixed name, label or local name, in any case (no store at hand)."""
    wanted = " ".join(name.split()).casefold()
    found: dict[int, set[str]] = defaultdict(set)
    for node in graph.nodes:
        text = str(node)
        for strength, key in (
            (0, text),
            (0, short_iri(text)),
            (1, _label_of(graph, node)),
            (2, short_iri(text).split(":", 1)[-1].rsplit("/", 1)[-1]),
        ):
            if key.casefold() == wanted:
                found[strength].add(text)
    if found:
        nodes = sorted(found[min(found)])
        if len(nodes) == 1:
            return nodes[0]
        raise InputError(f"{name!r} names several actors: {', '.join(nodes[:6])}; give the IRI instead")
    labels = sorted({_label_of(graph, n) for n in graph.nodes})
    raise UnknownNameError("actor", name, difflib.get_close_matches(name, labels, n=3, cutoff=0.6))


def _ego_nodes(graph: nx.MultiDiGraph, centre: Any, hops: int) -> list[Any]:
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


# ---------------------------------------------------------------------------- links


@dataclass
class _Link:
    """One drawn edge: the relations of a pair with one direction, sign and contested state.

    A merged link (large maps) holds every relation of the pair: ``forward`` and ``back`` count
    its directed events each way, its sign is that of the summed tone.
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
    tone: float = 0.0
    contested_count: int = 0
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

    events: set[str] = field(default_factory=set)
    standing: set[str] = field(default_factory=set)
    sources: set[str] = field(default_factory=set)
    first: str = ""
    last: str = ""

    def add(self, data: dict[str, Any]) -> None:
        (self.standing if data.get("standing") else self.events).add(str(data.get("event", "")))
        if data.get("source"):
            self.sources.add(str(data["source"]))
        date = str(data.get("date") or "")
        if date and not data.get("standing"):
            self.first = min(self.first or date, date)
            self.last = max(self.last, str(data.get("end_date") or date))


_KIND_FIELDS = ("symmetric", "sign", "contested", "relation", "relation_label", "goldstein")
_KIND_DEFAULTS = (False, 0, False, "", "", None)


def _column(datas: list[dict[str, Any]], name: str, default: Any) -> list[Any]:
    """Read one attribute of every edge, in C (``dict.get`` only when an edge lacks it)."""
    try:
        return list(map(itemgetter(name), datas))
    except KeyError:
        return [data.get(name, default) for data in datas]


def _kinds(datas: list[dict[str, Any]]) -> list[tuple[Any, ...]]:
    try:
        return list(map(itemgetter(*_KIND_FIELDS), datas))
    except KeyError:
        return [tuple(d.get(n, v) for n, v in zip(_KIND_FIELDS, _KIND_DEFAULTS, strict=True)) for d in datas]


def _links(graph: nx.MultiDiGraph, nodes: Sequence[Any], *, max_links: int | None) -> tuple[list[_Link], _Tally, int]:
    """Group the edges among ``nodes`` into links; merge each pair's when there are many.

    The attributes a link depends on (sign, tone, symmetry) belong to the relation type, so the
    edges are first counted by pair and kind of relation, with no Python code run per edge (the
    edges of each pair are gathered with ``list.extend``, read with ``itemgetter``, counted with
    ``Counter``), which keeps a million edges to a second or so; then the counts are grouped.
    Returns the links to draw, the tally of what they rest on and how many links there were
    before keeping only the backbone.
    """
    keep = set(nodes)
    datas: list[dict[str, Any]] = []
    pairs: list[tuple[Any, Any]] = []
    for u in nodes:
        for v, keyed in graph.succ[u].items():
            if v != u and v in keep:
                datas.extend(keyed.values())
                pairs.extend(repeat((u, v), len(keyed)))
    kinds = Counter(zip(pairs, _kinds(datas), strict=True))
    groups: dict[tuple[Any, ...], _Link] = {}
    for ((u, v), (symmetric, sign, contested, _, relation, tone)), n in sorted(
        kinds.items(), key=lambda item: (str(item[0][0][0]), str(item[0][0][1]), str(item[0][1][3]))
    ):
        a, b = (u, v) if not symmetric or str(u) <= str(v) else (v, u)
        key = (a, b, bool(symmetric), int(sign), bool(contested))
        link = groups.get(key)
        if link is None:
            link = groups[key] = _Link(a, b, bool(symmetric), int(sign), bool(contested))
        link.count += n
        link.forward += 0 if symmetric else n
        link.contested_count += n if contested else 0
        link.relations[str(relation)] += n
        link.signs[str(relation)] = int(sign)
        link.tone += n * float(sign if tone is None else tone)
    if any(link.contested for link in groups.values()):
        for (u, v), data in zip(pairs, datas, strict=True):
            if data.get("contested") and data.get("claim"):
                symmetric = bool(data.get("symmetric", False))
                a, b = (u, v) if not symmetric or str(u) <= str(v) else (v, u)
                link = groups[(a, b, symmetric, int(data.get("sign", 0)), True)]
                link.claims.setdefault(str(data.get("relation_label", "")), set()).add(str(data["claim"]))
    events = _column(datas, "event", "")
    standing = list(map(bool, _column(datas, "standing", False)))
    moments = set(
        compress(
            zip(_column(datas, "date", ""), _column(datas, "end_date", ""), strict=True), map(operator.not_, standing)
        )
    )
    dates = {(date, end or date) for date, end in moments if date}
    tally = _Tally(
        set(compress(events, map(operator.not_, standing))),
        set(compress(events, standing)),
        set(_column(datas, "source", "")) - {"", None},
        min((d for d, _ in dates), default=""),
        max((e for _, e in dates), default=""),
    )
    links = sorted(groups.values(), key=_Link.order)
    text = sum(len(name) for x in links for name in list(x.relations)[:4])
    if len(links) > _DETAIL_LIMIT or text > _TEXT_LIMIT:
        links = _merge(links)
    total = len(links)
    if max_links is None and links and links[0].merged:
        max_links = min(_MAX_LINKS, max(30, 2 * len(nodes)))
    if max_links is not None and len(links) > max_links:
        links = _backbone(links, max_links)
    return links, tally, total


def _merge(links: list[_Link]) -> list[_Link]:
    """Merge the links of each pair into one: the map of a large graph shows who deals with whom."""
    merged: dict[tuple[Any, Any], _Link] = {}
    for link in links:
        a, b = sorted((link.source, link.target), key=str)
        into = merged.get((a, b))
        if into is None:
            into = merged[(a, b)] = _Link(a, b, True, 0, False, merged=True)
        into.count += link.count
        into.contested_count += link.contested_count
        into.tone += link.tone
        into.relations.update(link.relations)
        into.signs.update(link.signs)
        if not link.symmetric:
            into.symmetric = False
            if link.source == a:
                into.forward += link.count
            else:
                into.back += link.count
    for link in merged.values():
        link.sign = 1 if link.tone > 0 else -1 if link.tone < 0 else 0
        link.contested = link.contested_count * 2 > link.count
    return sorted(merged.values(), key=_Link.order)


def _backbone(links: list[_Link], limit: int) -> list[_Link]:
    """Keep the maximum spanning forest (no actor is left alone), then the heaviest links."""
    ranked = sorted(links, key=lambda x: (-x.count, x.order()))
    forest = nx.utils.UnionFind()
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


# ---------------------------------------------------------------------------- layout


def _layout(nodes: Sequence[Any], links: Sequence[_Link], seed: int, aspect: float) -> dict[Any, np.ndarray]:
    """Place the nodes (in layout units): each component on its own, then packed together.

    Small components settle in an empty corner of the largest one when there is room, the rest
    are packed in rows, with the row width that lets the picture be drawn largest.
    """
    graph = nx.Graph()
    graph.add_nodes_from(nodes)
    grouped: dict[tuple[Any, Any], list[_Link]] = defaultdict(list)
    for link in links:
        a, b = sorted((link.source, link.target), key=str)
        grouped[(a, b)].append(link)
    for (u, v), group in sorted(grouped.items(), key=lambda item: (str(item[0][0]), str(item[0][1]))):
        named = sum(min(len(x.relations), 4) for x in group if not x.merged)
        graph.add_edge(u, v, length=1.0 + _SPREAD * named + 0.2 * (len(group) - 1))
    components = sorted(
        (sorted(c, key=str) for c in nx.connected_components(graph)), key=lambda c: (-len(c), str(c[0]))
    )
    placed, sizes, obstacles = [], [], []
    steps = np.linspace(0.0, 1.0, 7)[:, None]
    for component in components:
        sub = nx.Graph()  # built in sorted order: a subgraph view iterates a set, in hash order
        sub.add_nodes_from(component)
        sub.add_edges_from(
            (u, v, graph.edges[u, v]) for u in component for v in sorted(graph.adj[u], key=str) if str(u) < str(v)
        )
        pos = _component_layout(sub, seed)
        array = np.array([pos[n] for n in component])
        low, high = array.min(axis=0), array.max(axis=0)
        placed.append({n: pos[n] - low for n in component})
        sizes.append(high - low + 0.9)
        obstacles.append(
            np.vstack([array - low, *[(1 - steps) * (pos[u] - low) + steps * (pos[v] - low) for u, v in sub.edges]])
        )
    blocked = obstacles[0]
    kept, kept_sizes = [dict(placed[0])], [sizes[0]]
    for pos, size, points in zip(placed[1:], sizes[1:], obstacles[1:], strict=True):
        spot = _free_spot(blocked, sizes[0] - 0.9, size - 0.9) if len(pos) <= 8 else None
        if spot is None:
            kept.append(pos)
            kept_sizes.append(size)
        else:
            kept[0].update({n: p + spot for n, p in pos.items()})
            blocked = np.vstack([blocked, points + spot])
    widest = max(float(size[0]) for size in kept_sizes)
    widths = sorted(
        {max(widest, float(sum(size[0] for size in kept_sizes[: k + 1]))) for k in range(min(len(kept_sizes), 60))}
    )
    best: tuple[float, list[np.ndarray]] | None = None
    for row_width in widths:
        offsets, size = _pack(kept_sizes, row_width)
        score = _coverage(size, aspect)
        if best is None or score > best[0] * 1.0001:
            best = (score, offsets)
    assert best is not None
    result: dict[Any, np.ndarray] = {}
    for pos, offset in zip(kept, best[1], strict=True):
        for node, point in pos.items():
            result[node] = np.array([point[0] + offset[0], -(point[1] + offset[1])])
    return result


def _component_layout(sub: nx.Graph, seed: int) -> dict[Any, np.ndarray]:
    """Lay out one connected component: edge length 1 on the median, long axis horizontal.

    Up to 200 actors: stress majorization (the Kamada-Kawai objective, graph distances as drawn
    distances) from a few seeded spring layouts, the one with the fewest crossings kept; beyond,
    a seeded spring layout.
    """
    nodes = list(sub)
    if len(nodes) == 1:
        return {nodes[0]: np.zeros(2)}
    if len(nodes) == 2:
        length = float(sub.edges[nodes[0], nodes[1]].get("length", 1.0)) if sub.has_edge(*nodes) else 1.0
        return {nodes[0]: np.array([-length / 2, 0.0]), nodes[1]: np.array([length / 2, 0.0])}
    if len(nodes) > 200:
        start = nx.spring_layout(sub, seed=seed, iterations=50)
        array = np.array([start[n] for n in nodes], dtype=float)
    else:
        lengths = dict(nx.shortest_path_length(sub, weight="length"))
        dist = np.array([[lengths[u].get(v, 0.0) for v in nodes] for u in nodes], dtype=float)
        edges = [(nodes.index(u), nodes.index(v)) for u, v in sub.edges]
        best: tuple[tuple[int, float], np.ndarray] | None = None
        for attempt in range(6 if len(nodes) <= 40 else 3 if len(nodes) <= 80 else 1):
            start = nx.spring_layout(sub, seed=seed + attempt, iterations=100)
            candidate = _majorize(dist, np.array([start[n] for n in nodes], dtype=float))
            score = (_crossings(candidate, edges), _stress(candidate, dist))
            if best is None or score < best[0]:
                best = (score, candidate)
        assert best is not None
        array = best[1]
    ratios = [
        np.linalg.norm(array[nodes.index(u)] - array[nodes.index(v)]) / d.get("length", 1.0)
        for u, v, d in sub.edges(data=True)
    ]
    unit = float(np.median(ratios)) if ratios else 1.0
    array = (array - array.mean(axis=0)) / (unit or 1.0)
    _, vectors = np.linalg.eigh(np.cov(array.T))
    array = array @ vectors[:, ::-1]
    array *= np.where((array**3).sum(axis=0) < 0, -1.0, 1.0)
    return {n: array[i] for i, n in enumerate(nodes)}


def _majorize(dist: np.ndarray, start: np.ndarray, *, iterations: int = 300) -> np.ndarray:
    """Minimise the stress sum((|xi - xj| - dij)^2 / dij^2) by majorization (SMACOF).

    The Kamada-Kawai objective, solved by repeated Guttman transforms: plain numpy, a few
    milliseconds for a hundred actors, the same answer every run.
    """
    mask = dist > 0
    weight = np.where(mask, 1.0 / np.where(mask, dist, 1.0) ** 2, 0.0)
    laplacian = -weight
    np.fill_diagonal(laplacian, weight.sum(axis=1))
    # The Laplacian is singular (constant vectors); the right-hand sides below sum to zero, on which
    # (L + 1/n)^-1 acts as the pseudo-inverse: one solve instead of an SVD.
    inverse = np.linalg.solve(laplacian + 1.0 / len(dist), np.eye(len(dist)))
    drawn = np.sqrt(((start[:, None, :] - start[None, :, :]) ** 2).sum(axis=2))
    x = start * float((weight * drawn * dist).sum() / max(float((weight * drawn**2).sum()), 1e-12))
    tolerance = 1e-4 * max(float(dist.max()), 1.0)
    for _ in range(iterations):
        drawn = np.sqrt(((x[:, None, :] - x[None, :, :]) ** 2).sum(axis=2))
        ratio = np.where(drawn > 1e-12, -weight * dist / np.where(drawn > 1e-12, drawn, 1.0), 0.0)
        np.fill_diagonal(ratio, 0.0)
        np.fill_diagonal(ratio, -ratio.sum(axis=1))
        new = inverse @ (ratio @ x)
        done = float(np.abs(new - x).max()) < tolerance
        x = new
        if done:
            break
    return x


def _stress(array: np.ndarray, dist: np.ndarray) -> float:
    """Return the stress of a layout at its best scale, so that layouts of any scale compare."""
    drawn = np.sqrt(((array[:, None, :] - array[None, :, :]) ** 2).sum(axis=2))
    mask = dist > 0
    weight = np.where(mask, 1.0 / np.where(mask, dist, 1.0) ** 2, 0.0)
    scale = float((weight * drawn * dist).sum() / max(float((weight * drawn**2).sum()), 1e-12))
    return float((weight * (scale * drawn - dist) ** 2).sum())


def _crossings(array: np.ndarray, edges: Sequence[tuple[int, int]]) -> int:
    """Count the pairs of straight edges that cross (edges sharing an end do not count)."""
    if len(edges) < 2:
        return 0
    pairs = np.array(edges)
    a, b = array[pairs[:, 0]], array[pairs[:, 1]]

    def turn(p: np.ndarray, q: np.ndarray, r: np.ndarray) -> np.ndarray:
        return np.sign(
            (q[..., 0] - p[..., 0]) * (r[..., 1] - p[..., 1])  # type: ignore[no-any-return]
            - (q[..., 1] - p[..., 1]) * (r[..., 0] - p[..., 0])
        )

    p1, p2, q1, q2 = a[:, None], b[:, None], a[None, :], b[None, :]
    cross = (turn(p1, p2, q1) * turn(p1, p2, q2) < 0) & (turn(q1, q2, p1) * turn(q1, q2, p2) < 0)
    shared = (
        (pairs[:, None, 0] == pairs[None, :, 0])
        | (pairs[:, None, 0] == pairs[None, :, 1])
        | (pairs[:, None, 1] == pairs[None, :, 0])
        | (pairs[:, None, 1] == pairs[None, :, 1])
    )
    return int(np.count_nonzero(np.triu(cross & ~shared, 1)))


def _free_spot(
    blocked: np.ndarray, extent: np.ndarray, need: np.ndarray, *, margin: float = 0.7, steps: int = 14
) -> np.ndarray | None:
    """Find where a box of size ``need`` fits inside ``extent``, farthest from the ``blocked`` points."""
    if need[0] > extent[0] or need[1] > extent[1]:
        return None
    best: tuple[float, np.ndarray] | None = None
    for x in np.linspace(0.0, float(extent[0] - need[0]), steps):
        for y in np.linspace(0.0, float(extent[1] - need[1]), steps):
            dx = np.maximum(np.maximum(x - blocked[:, 0], blocked[:, 0] - (x + need[0])), 0.0)
            dy = np.maximum(np.maximum(y - blocked[:, 1], blocked[:, 1] - (y + need[1])), 0.0)
            clearance = float(np.min(np.hypot(dx, dy))) if len(blocked) else math.inf
            if clearance >= margin and (best is None or clearance > best[0] + 1e-9):
                best = (clearance, np.array([x, y]))
    return best[1] if best else None


def _pack(sizes: Sequence[np.ndarray], row_width: float) -> tuple[list[np.ndarray], np.ndarray]:
    """Shelf-pack boxes, largest first, in rows no wider than ``row_width``; return offsets, size."""
    offsets = []
    x = y = row_height = used = 0.0
    for size in sizes:
        if x > 0 and x + size[0] > row_width + 1e-9:
            x, y, row_height = 0.0, y + row_height, 0.0
        offsets.append(np.array([x, y]))
        x += float(size[0])
        used = max(used, x)
        row_height = max(row_height, float(size[1]))
    return offsets, np.array([used, y + row_height])


def _coverage(size: np.ndarray, aspect: float) -> float:
    """Return the share of the drawing area a layout of ``size`` fills once fitted (see _fit)."""
    scale = np.array([aspect, 1.0]) / np.maximum(size, 1e-9)
    scale = np.minimum(scale, _STRETCH * float(scale.min()))
    return float(np.prod(size * scale)) / aspect


# ---------------------------------------------------------------------------- placement in points


@dataclass
class _Node:
    """A node on the map, in points: centre, marker radius, and its label's size and side."""

    node: Any
    x: float
    y: float
    radius: float
    label: str = ""
    width: float = 0.0
    height: float = 0.0
    side: str = "below"

    def marker_box(self) -> tuple[float, float, float, float]:
        return (self.x - self.radius, self.y - self.radius, self.x + self.radius, self.y + self.radius)

    def anchor(self, side: str | None = None) -> tuple[float, float, str, str]:
        """Return where the label goes on ``side``: x, y, horizontal and vertical alignment."""
        side = side or self.side
        if side == "above":
            return self.x, self.y + self.radius + 2, "center", "bottom"
        if side == "right":
            return self.x + self.radius + 3, self.y, "left", "center"
        if side == "left":
            return self.x - self.radius - 3, self.y, "right", "center"
        return self.x, self.y - self.radius - 2, "center", "top"

    def label_box(self, side: str | None = None) -> tuple[float, float, float, float]:
        x, y, ha, va = self.anchor(side)
        left = x - self.width / 2 if ha == "center" else x if ha == "left" else x - self.width
        bottom = y - self.height / 2 if va == "center" else y if va == "bottom" else y - self.height
        return (left, bottom, left + self.width, bottom + self.height)


def _fit(items: Sequence[_Node], layout: dict[Any, np.ndarray], width: float, height: float) -> None:
    """Scale the layout into the drawing area, room left for the labels hanging below the nodes."""
    if len(items) == 1:
        items[0].x, items[0].y = width / 2, height / 2
        return
    array = np.array([layout[i.node] for i in items])
    low, high = array.min(axis=0), array.max(axis=0)
    span = np.where(high - low > 0, high - low, 1.0)
    half = max(max(i.radius, i.width / 2) for i in items)
    below = max(i.radius + i.height + 2.0 for i in items)
    above = max(i.radius for i in items)
    room = np.array([max(width - 2 * half - 8, 1.0), max(height - below - above - 8, 1.0)])
    scale = room / span
    scale = np.minimum(scale, _STRETCH * float(scale.min()))  # stretch, but not into another picture
    origin = np.array([half + 4, below + 4]) + (room - span * scale) / 2
    for item, point in zip(items, array, strict=True):
        item.x, item.y = (origin + (point - low) * scale).tolist()


def _declutter(items: Sequence[_Node], width: float, height: float, *, rounds: int = 400) -> int:
    """Push nodes apart until no two footprints (marker, label below) overlap; return overlaps left."""
    if len(items) < 2:
        return 0
    xs = np.array([i.x for i in items])
    ys = np.array([i.y for i in items])
    half = np.array([max(i.radius, i.width / 2) for i in items])
    top = np.array([i.radius for i in items])
    bottom = np.array([i.radius + (i.height + 2.0 if i.label else 0.0) for i in items])
    order = np.arange(len(items))
    tie = np.where(order[:, None] > order[None, :], 1.0, -1.0)
    overlaps, fewest, stalled = 0, math.inf, 0
    for _ in range(rounds):
        centre_y = ys + (top - bottom) / 2
        half_y = (top + bottom) / 2
        dx = xs[:, None] - xs[None, :]
        dy = centre_y[:, None] - centre_y[None, :]
        ox = half[:, None] + half[None, :] + 2.0 - np.abs(dx)
        oy = half_y[:, None] + half_y[None, :] + 2.0 - np.abs(dy)
        hit = (ox > 0) & (oy > 0)
        np.fill_diagonal(hit, False)
        overlaps = int(hit.sum()) // 2
        stalled = 0 if overlaps < fewest else stalled + 1
        fewest = min(fewest, overlaps)
        if not overlaps or stalled > 40:  # done, or a crowded map that pushing no longer helps
            break
        sx = np.where(dx != 0, np.sign(dx), tie)
        sy = np.where(dy != 0, np.sign(dy), tie)
        xs = xs + np.where(hit & (ox <= oy), ox * sx, 0.0).sum(axis=1) * 0.3
        ys = ys + np.where(hit & (ox > oy), oy * sy, 0.0).sum(axis=1) * 0.3
        xs = np.clip(xs, half + 1, width - half - 1)
        ys = np.clip(ys, bottom + 1, height - top - 1)
    for item, x, y in zip(items, xs, ys, strict=True):
        item.x, item.y = float(x), float(y)
    return overlaps


def _overlap(box: Sequence[float], boxes: Sequence[Sequence[float]] | np.ndarray) -> float:
    """Return the area of ``box`` that ``boxes`` (x0, y0, x1, y1 each) cover, summed over them."""
    if not len(boxes):
        return 0.0
    others = np.asarray(boxes, dtype=float)
    w = np.minimum(box[2], others[:, 2]) - np.maximum(box[0], others[:, 0])
    h = np.minimum(box[3], others[:, 3]) - np.maximum(box[1], others[:, 1])
    return float(np.sum(np.where((w > 0) & (h > 0), w * h, 0.0)))


def _inside(points: np.ndarray, box: Sequence[float]) -> int:
    return int(
        np.count_nonzero(
            (points[:, 0] > box[0]) & (points[:, 0] < box[2]) & (points[:, 1] > box[1]) & (points[:, 1] < box[3])
        )
    )


def _out_of(box: Sequence[float], width: float, height: float) -> bool:
    return box[0] < 0 or box[1] < 0 or box[2] > width or box[3] > height


def _choose_sides(items: Sequence[_Node], points: np.ndarray, width: float, height: float, *, drop: bool) -> None:
    """Move a label above, right or left of its node when edges run through it below.

    ``items`` come most central first; with ``drop`` (crowded maps) a label that cannot be placed
    clear of the markers and of the labels already placed is left out.
    """
    markers = [item.marker_box() for item in items]
    labels = {} if drop else {id(item): item.label_box() for item in items if item.label}
    for item in items:
        if not item.label:
            continue
        others = [m for m, other in zip(markers, items, strict=True) if other is not item]
        others += [box for key, box in labels.items() if key != id(item)]
        best: tuple[float, str, float] | None = None
        for rank, side in enumerate(("below", "above", "right", "left")):
            box = item.label_box(side)
            if _out_of(box, width, height):
                continue
            covered = _overlap(box, others)
            cost = _inside(points, box) * 4 + rank * 1.5 + covered * 5
            if best is None or cost < best[0]:
                best = (cost, side, covered)
        if drop and (best is None or best[2] > 0):
            item.label = ""
            continue
        item.side = best[1] if best else "below"
        labels[id(item)] = item.label_box()


# ---------------------------------------------------------------------------- edge geometry


@dataclass
class _Drawn:
    """A link's geometry in points: its polyline, arrowheads and line width."""

    link: _Link
    points: np.ndarray
    heads: list[np.ndarray]
    width: float


def _width(count: int, most: int, *, merged: bool) -> float:
    if merged:  # many merged links: thin lines, the busiest pairs stand out
        return 0.5 + 4.5 * math.sqrt(count / max(most, 1))
    return 1.0 + 5.0 * math.log(count) / math.log(max(most, 8))


def _curve(p0: np.ndarray, p2: np.ndarray, offset: float, normal: np.ndarray, *, samples: int = 33) -> np.ndarray:
    """Return a quadratic Bezier from ``p0`` to ``p2`` bulging ``offset`` chord lengths along ``normal``."""
    control = (p0 + p2) / 2 + 2 * offset * float(np.linalg.norm(p2 - p0)) * normal
    t = np.linspace(0.0, 1.0, samples)[:, None]
    curve: np.ndarray = (1 - t) ** 2 * p0 + 2 * (1 - t) * t * control + t**2 * p2
    return curve


def _offsets(count: int) -> list[float]:
    """Bulges of ``count`` curves between one pair: straight alone, fanned out otherwise."""
    if count == 1:
        return [0.0]
    step = 0.3 if count == 2 else min(0.24, 0.9 / (count - 1))
    return [(i - (count - 1) / 2) * step for i in range(count)]


def _arrowhead(curve: np.ndarray, gap: float, length: float) -> tuple[np.ndarray, np.ndarray] | None:
    """Return the arrowhead at the end of ``curve`` (its tip ``gap`` short) and where its base is.

    Distances run along the curve from its end, between its sample points too (a long straight
    link has its samples further apart than an arrowhead is long). None when the curve is shorter
    than ``gap + length``.
    """
    back = curve[::-1]
    run = np.concatenate([[0.0], np.cumsum(np.linalg.norm(np.diff(back, axis=0), axis=1))])
    if run[-1] < gap + length or length <= 0:
        return None
    tip = np.array([np.interp(gap, run, back[:, 0]), np.interp(gap, run, back[:, 1])])
    base = np.array([np.interp(gap + length, run, back[:, 0]), np.interp(gap + length, run, back[:, 1])])
    direction = tip - base
    norm = float(np.linalg.norm(direction))
    if norm < 1e-6:
        return None
    direction /= norm
    side = np.array([-direction[1], direction[0]]) * length * 0.38
    base = tip - direction * length
    return np.array([tip, base + side, base - side]), base + direction * 0.5


def _fitted_arrowhead(curve: np.ndarray, gap: float, length: float) -> tuple[np.ndarray, np.ndarray] | None:
    """Return :func:`_arrowhead`, smaller and nearer the node when the curve is too short for it."""
    for scale in (1.0, 0.6, 0.35, 0.2):
        made = _arrowhead(curve, gap * scale, length * scale)
        if made is not None:
            return made
    return None


def _geometry(links: Sequence[_Link], nodes: dict[Any, _Node]) -> list[_Drawn]:
    """Curve every link between the borders of its nodes, fanned out per pair, with arrowheads."""
    pairs: dict[tuple[str, str], list[_Link]] = defaultdict(list)
    for link in links:
        a, b = sorted((str(link.source), str(link.target)))
        pairs[(a, b)].append(link)
    most = max((x.count for x in links), default=1)
    by_name = {str(k): v for k, v in nodes.items()}
    drawn = []
    for (first, second), group in pairs.items():
        pa = np.array([by_name[first].x, by_name[first].y])
        pb = np.array([by_name[second].x, by_name[second].y])
        chord = pb - pa
        length = float(np.linalg.norm(chord))
        if length < 1e-6:
            continue
        normal = np.array([-chord[1], chord[0]]) / length
        group.sort(key=lambda x: (str(x.source) != first, x.symmetric, -x.sign, x.contested))
        for link, offset in zip(group, _offsets(len(group)), strict=True):
            curve = _curve(pa, pb, offset, normal)
            if str(link.source) != first:
                curve = curve[::-1]
            start, end = nodes[link.source], nodes[link.target]
            width = _width(link.count, most, merged=link.merged)
            head = 4.5 + 1.3 * min(width, 4.0)
            # every direction that has a directed relation gets its arrowhead, however few
            at_end = not link.symmetric and link.forward > 0
            at_start = not link.symmetric and link.back > 0
            clear_start = start.radius + 1.5 + (head * 0.8 if at_start else 0.0)
            clear_end = end.radius + 1.5 + (head * 0.8 if at_end else 0.0)
            keep = (np.linalg.norm(curve - curve[0], axis=1) >= clear_start) & (
                np.linalg.norm(curve - curve[-1], axis=1) >= clear_end
            )
            if keep.sum() < 2:  # nodes too close for the whole gap: keep the curve's middle third
                keep = np.zeros(len(curve), dtype=bool)
                keep[len(curve) // 3 : max(2 * len(curve) // 3, len(curve) // 3 + 2)] = True
            points, heads = curve[keep], []
            if at_end and (made := _fitted_arrowhead(curve, end.radius + 1.5, head)) is not None:
                heads.append(made[0])
                points = np.vstack([points, made[1]])
            if at_start and (made := _fitted_arrowhead(curve[::-1], start.radius + 1.5, head)) is not None:
                heads.append(made[0])
                points = np.vstack([made[1], points])
            drawn.append(_Drawn(link, points, heads, width))
    return drawn


def _place_edge_labels(
    drawn: Sequence[_Drawn],
    sizes: dict[int, tuple[float, float]],
    taken: list[tuple[float, ...]],
    width: float,
    height: float,
    *,
    drop: bool,
) -> dict[int, np.ndarray]:
    """Put each label on its own curve where it covers no node, label or other edge, if it can.

    Candidates run from the middle of the curve towards its ends, on the curve and on either
    side of it; the cheapest wins (covered area, other edges crossed, distance from the middle).
    With ``drop`` (crowded maps) a label that would cover another is left out.
    """
    placed: dict[int, np.ndarray] = {}
    points = np.vstack([d.points for d in drawn]) if drawn else np.zeros((0, 2))
    owner = np.concatenate([np.full(len(d.points), i) for i, d in enumerate(drawn)]) if drawn else np.zeros(0)
    for index in sorted(sizes, key=lambda i: (-drawn[i].link.count, drawn[i].link.order())):
        w, h = sizes[index]
        curve = drawn[index].points
        n = len(curve)
        others = points[owner != index]
        best: tuple[float, np.ndarray, tuple[float, ...]] | None = None
        for fraction in (0.5, 0.42, 0.58, 0.34, 0.66, 0.26, 0.74, 0.18, 0.82):
            at = min(n - 1, round(fraction * (n - 1)))
            tangent = curve[min(n - 1, at + 1)] - curve[max(0, at - 1)]
            normal = np.array([-tangent[1], tangent[0]]) / (float(np.linalg.norm(tangent)) or 1.0)
            reach = abs(normal[0]) * w / 2 + abs(normal[1]) * h / 2 + 2
            for shift in (0.0, reach, -reach):
                point = curve[at] + normal * shift
                box = (point[0] - w / 2 - 1, point[1] - h / 2 - 1, point[0] + w / 2 + 1, point[1] + h / 2 + 1)
                if _out_of(box, width, height):
                    continue
                covered = _overlap(box, taken)
                if drop and covered > 0:
                    continue
                cost = covered * 10 + _inside(others, box) * 20 + abs(fraction - 0.5) * 10 + abs(shift) * 0.2
                if best is None or cost < best[0] - 1e-9:
                    best = (cost, point, box)
        if best is None:
            if drop:
                continue
            point = curve[n // 2]
            best = (0.0, point, (point[0] - w / 2, point[1] - h / 2, point[0] + w / 2, point[1] + h / 2))
        placed[index] = best[1]
        taken.append(best[2])
    return placed


# ---------------------------------------------------------------------------- text of the figures


class _Ruler:
    """Measure text in points with the Agg renderer at the figure's resolution."""

    def __init__(self, dpi: float):
        self.figure = Figure(figsize=(4, 4), dpi=dpi)
        self.renderer = FigureCanvasAgg(self.figure).get_renderer()  # type: ignore[no-untyped-call]
        self.scale = 72.0 / dpi

    def size(self, text: str, **props: Any) -> tuple[float, float]:
        if not text:
            return 0.0, 0.0
        artist = self.figure.text(0, 0, text, **props)
        box = artist.get_window_extent(self.renderer)
        artist.remove()
        return box.width * self.scale, box.height * self.scale


def _window_text(graph: nx.Graph, tally: _Tally) -> str:
    meta = graph.graph
    as_of, since, until = meta.get("as_of") or "", meta.get("since") or "", meta.get("until") or ""
    parts = [f"as of {as_of}"] if as_of else []
    if since and until:
        parts.append(f"window {since} to {until}")
    elif since or until:
        parts.append(f"from {since}" if since else f"up to {until}")
    text = ", ".join(parts) or "all dates"
    if tally.first:
        span = tally.first if tally.first == tally.last else f"{tally.first} to {tally.last}"
        text += f" (events dated {span})"
    return text[:1].upper() + text[1:]


_SOURCE = """
SELECT ?label ?publisher ?date ?via WHERE {
    OPTIONAL { ?source rdfs:label ?label }
    OPTIONAL { ?source schema:publisher/rdfs:label ?publisher }
    OPTIONAL { ?source schema:datePublished ?date }
    OPTIONAL { ?source dip:basedOn/schema:publisher/rdfs:label ?via }
}
"""


def _sources_text(sources: set[str], store: Store | None) -> str:
    """Name the sources: publisher, date, headline and wire of up to three, else count them."""
    if not sources:
        return ""
    if store is None or len(sources) > 3:
        named = []
        for source in sorted(sources)[:2]:
            rows = [] if store is None else store.query_values(_SOURCE, bindings={"source": URIRef(source)})
            if rows and rows[0][0]:
                named.append(f"“{textwrap.shorten(str(rows[0][0]), 45, placeholder='…')}”")
        examples = f", e.g. {', '.join(named)}" if named else ""
        return f"Sources: {_plural(len(sources), 'document')}{examples}"
    described = []
    for source in sorted(sources):
        rows = store.query_values(_SOURCE, bindings={"source": URIRef(source)})
        label, publisher, date, via = rows[0] if rows else (None, None, None, None)
        head = ", ".join(x for x in (publisher, date) if x)
        title = textwrap.shorten(label or short_iri(source), 70 if len(sources) == 1 else 45, placeholder="…")
        text = f"{head}: “{title}”" if head else f"“{title}”"
        described.append(text + (f" (from {via})" if via else ""))
    return ("Source: " if len(described) == 1 else "Sources: ") + "; ".join(described)


def _plural(n: int, word: str) -> str:
    return f"{n:,} {word}{'' if n == 1 else 's'}"


def _map_subtitle(
    graph: nx.Graph,
    tally: _Tally,
    store: Store | None,
    *,
    claims: bool | None,
    view: str,
    shown: int,
    total: int,
    links: int,
    all_links: int,
    measure: str,
) -> list[str]:
    counts = [_plural(len(tally.events), "event")]
    if tally.standing:
        counts.append(_plural(len(tally.standing), "standing relation"))
    actors = (
        _plural(shown, "actor") if shown == total else f"{shown:,} of {total:,} actors (the most central by {measure})"
    )
    first = f"{_window_text(graph, tally)} · {', '.join(counts)} among {actors}"
    if links < all_links:
        first += f" · the {links:,} heaviest of {all_links:,} links"
    early = sum(1 for *_, d in graph.edges(data=True) if d.get("before_evidence"))
    if early:
        first += (
            f" · {_plural(early, 'standing relation')} in force before the source's first evidence "
            "(presented as already existing)"
        )
    if claims is True:
        first += " · contested accounts dashed"
    elif claims is False:
        first += " · contested accounts left out"
    if graph.graph.get("folded"):
        first += " · persons, bodies and missions drawn as the state or organisation they act for"
    elif graph.graph.get("fold") is False:
        first += " · every actor apart (none folded)"
    if view == "graph" and shown > _CROWDED:
        first += " · for a readable map of the main actors, draw the top view"
    source = _sources_text(tally.sources, store)
    return [first, source] if source else [first]


_CLAIM = """
SELECT ?label ?text WHERE {
    OPTIONAL { ?claim rdfs:label ?label }
    OPTIONAL { ?claim dip:claimText ?text }
}
"""


def _claim_names(claims: Iterable[str], store: Store | None) -> dict[str, str]:
    """Name the contested claims (label, else text, else IRI), in order of name; none beyond eight."""
    claims = sorted(set(claims))
    if len(claims) > _CLAIM_LIMIT:  # too many to list: the dashed edges and the legend say enough
        return {}
    names = {}
    for claim in claims:
        rows = store.query_values(_CLAIM, bindings={"claim": URIRef(claim)}) if store is not None else []
        names[claim] = (rows[0][0] or rows[0][1] or "" if rows else "") or short_iri(claim)
    return dict(sorted(names.items(), key=lambda item: (item[1].casefold(), item[0])))


# ---------------------------------------------------------------------------- frame and legend


def _frame(
    ax: Axes | None,
    width: float,
    height: float,
    dpi: float,
    title: str,
    subtitle: Sequence[str],
    *,
    legend_width: float = 2.7,
) -> tuple[Figure, Axes, Axes | None]:
    """Return the figure, the axes to draw in and the legend panel (None inside a given ``ax``)."""
    if ax is not None:
        ax.set_title("\n".join([title, *subtitle]), loc="left", fontsize=9)
        return ax.figure, ax, None  # type: ignore[return-value]
    subtitle = _wrap(subtitle, width, dpi)
    figure = _titled_figure(width, height, dpi, title, subtitle)
    head = 0.58 + 0.2 * len(subtitle)
    left, bottom = 0.1 / width, 0.12 / height
    legend_width = min(legend_width, width * 0.35)
    main = figure.add_axes((left, bottom, 1 - left - (legend_width + 0.1) / width, 1 - bottom - head / height))
    side = figure.add_axes(
        (1 - legend_width / width, bottom, (legend_width - 0.08) / width, 1 - bottom - head / height)
    )
    side.set_axis_off()
    return figure, main, side


def _wrap(lines: Sequence[str], width: float, dpi: float) -> list[str]:
    """Wrap subtitle lines to the width of the figure (measured in the subtitle's font)."""
    ruler = _Ruler(dpi)
    room = width * 72 - 0.35 * 72
    wrapped: list[str] = []
    for line in lines:
        measured = ruler.size(line, fontsize=9)[0]
        if measured <= room:
            wrapped.append(line)
            continue
        chars = max(int(len(line) * room / measured) - 2, 20)
        wrapped += textwrap.wrap(line, chars, subsequent_indent="  ")
    return wrapped


class _Figure(Figure):
    """A figure that shows itself in Jupyter as its PNG, pyplot imported or not."""

    def _repr_png_(self) -> bytes:
        buffer = io.BytesIO()
        with _style():
            self.savefig(buffer, format="png", facecolor="white")
        return buffer.getvalue()


def _titled_figure(width: float, height: float, dpi: float, title: str, subtitle: Sequence[str]) -> Figure:
    figure = _Figure(figsize=(width, height), dpi=dpi, facecolor="white")
    FigureCanvasAgg(figure)
    figure.text(
        0.16 / width, 1 - 0.16 / height, title, fontsize=15, fontweight="bold", va="top", ha="left", gid="title"
    )
    figure.text(
        0.16 / width,
        1 - 0.52 / height,
        "\n".join(subtitle),
        fontsize=9,
        color="#404040",
        va="top",
        ha="left",
        linespacing=1.5,
        gid="subtitle",
    )
    return figure


def _axes_points(ax: Axes) -> tuple[float, float]:
    box = ax.get_position()
    w_in, h_in = ax.figure.get_size_inches()  # type: ignore[union-attr]
    return float(box.width * w_in * 72), float(box.height * h_in * 72)


def _renderer(figure: Any) -> Any:
    canvas = figure.canvas
    return canvas.get_renderer() if hasattr(canvas, "get_renderer") else figure._get_renderer()


def _stack_legends(
    host: Axes, sections: Sequence[tuple[str, list[Any], list[str]]], *, inside: bool, fontsize: float = 8.5
) -> None:
    """Stack one legend per section, top down, in the legend panel (or to the right of ``host``).

    A section with labels but no handles is a block of notes.
    """
    renderer = _renderer(host.figure)
    x, y = (0.0, 1.0) if inside else (1.02, 1.0)
    host_height = max(host.get_window_extent(renderer).height, 1.0)
    for title, handles, labels in sections:
        if not labels:
            continue
        notes = not handles
        legend = Legend(
            host,
            handles or [Line2D([], [], linestyle="none") for _ in labels],
            labels,
            loc="upper left",
            bbox_to_anchor=(x, y),
            bbox_transform=host.transAxes,
            frameon=False,
            fontsize=fontsize - (1 if notes else 0),
            title=title,
            title_fontproperties={"weight": "bold", "size": fontsize + 0.5},
            alignment="left",
            handlelength=0 if notes else 2.4,
            handletextpad=0 if notes else 0.6,
            borderaxespad=0.2,
            labelspacing=0.45,
            borderpad=0.2,
        )
        host.add_artist(legend)
        y -= (legend.get_window_extent(renderer).height + 6) / host_height


def _kind_style(kind: str) -> tuple[str, str, str]:
    return KIND_STYLES.get(kind, _OTHER_KIND)


def _kind_handles(kinds: Iterable[str]) -> tuple[list[Any], list[str]]:
    present = set(kinds)
    order = [k for k in KIND_STYLES if k in present] + sorted(k for k in present if k not in KIND_STYLES)
    handles, labels = [], []
    for kind in order:
        name, marker, colour = _kind_style(kind)
        handles.append(
            Line2D(
                [],
                [],
                linestyle="none",
                marker=marker,
                markersize=10,
                markerfacecolor=colour,
                markeredgecolor="#333333",
                markeredgewidth=0.8,
            )
        )
        labels.append(f"{name} ({kind})" if kind and kind not in KIND_STYLES else name)
    return handles, labels


def _relation_handles(links: Sequence[_Link], merged: bool) -> tuple[list[Any], list[str]]:
    handles: list[Any] = []
    labels: list[str] = []
    for sign in (1, -1, 0):
        if not any(link.sign == sign for link in links):
            continue
        examples: Counter[str] = Counter()
        for link in links:  # relations of that sign (a merged pair mixes them)
            examples.update({r: n for r, n in link.relations.items() if link.signs.get(r, link.sign) == sign})
        names = [name for name, _ in sorted(examples.items(), key=lambda item: (-item[1], item[0]))[:2]]
        example = "e.g. " + ", ".join(names) + (", …" if len(examples) > 2 else "")
        handles.append(Line2D([], [], color=SIGN_COLOURS[sign], linewidth=2.5))
        labels.append(
            "\n".join(
                [
                    _SIGN_NAMES[sign] + (" on balance" if merged else ""),
                    *textwrap.wrap(example, 28, max_lines=2, placeholder=" …"),
                ]
            )
        )
    if any(x.contested for x in links):
        handles.append(Line2D([], [], color="#505050", linewidth=2, linestyle=_DASHES))
        labels.append("dashed: part of a contested\naccount (claim disputed)")
    if any(not x.symmetric for x in links):
        handles.append(Line2D([0, 1], [0, 0], color="#505050", linewidth=1.5, marker=">", markersize=6, markevery=[1]))
        labels.append("arrow: from actor to target")
    if any(x.symmetric for x in links):
        handles.append(Line2D([], [], color="#505050", linewidth=1.5))
        labels.append("no arrow: mutual relation")
    return handles, labels


_Section = tuple[str, list[Any], list[str]]


def _legend_sections(
    graph: nx.Graph,
    nodes: Sequence[Any],
    links: Sequence[_Link],
    *,
    measure: str,
    merged: bool,
    claims: dict[str, str],
    focus: bool,
) -> list[_Section]:
    most = max((x.count for x in links), default=1)
    sizes = [
        Line2D(
            [], [], linestyle="none", marker="o", markersize=size, markerfacecolor="white", markeredgecolor="#333333"
        )
        for size in (6, 11, 16)
    ]
    counts = sorted({1, most})
    widths = [Line2D([], [], color="#505050", linewidth=_width(n, most, merged=merged)) for n in counts]
    sections = [
        ("Actors", *_kind_handles(graph.nodes[n].get("kind", "") for n in nodes)),
        ("Relations", *_relation_handles(links, merged)),
        ("Node size", sizes, ["less central", "", f"more central ({measure})"]),
        ("Line width", widths, [_plural(n, "event") for n in counts]),
    ]
    if claims:
        notes = [
            f"[{n}] " + textwrap.fill(name, 30, subsequent_indent="     ", max_lines=3, placeholder=" …")
            for n, name in enumerate(claims.values(), 1)
        ]
        sections.append(("Contested claims", [], notes))
    if focus:
        sections.append(
            (
                "Focus",
                [
                    Line2D(
                        [],
                        [],
                        linestyle="none",
                        marker="o",
                        markersize=10,
                        markerfacecolor="white",
                        markeredgecolor="#111111",
                        markeredgewidth=2.4,
                    )
                ],
                ["thick outline, bold name"],
            )
        )
    return sections


def _empty(ax: Axes, message: str) -> None:
    ax.set_axis_off()
    ax.text(0.5, 0.5, message, ha="center", va="center", fontsize=12, color="#505050", transform=ax.transAxes)


# ---------------------------------------------------------------------------- the map


def draw(
    data: Store | nx.MultiDiGraph,
    *,
    view: str | None = None,
    focus: str | None = None,
    hops: int = 1,
    top: int | None = None,
    measure: str = "degree",
    as_of: str | dt.date | None = None,
    since: str | dt.date | None = None,
    until: str | dt.date | None = None,
    relations: Iterable[str] | None = None,
    signs: Iterable[int | str] | None = None,
    claims: bool = True,
    fold: bool = True,
    structural: bool = False,
    from_evidence: bool = False,
    store: Store | None = None,
    ax: Axes | None = None,
    width: float = 12.0,
    height: float = 8.5,
    dpi: float = 100.0,
    title: str | None = None,
    subtitle: str | None = None,
    seed: int = 0,
    max_links: int | None = None,
    fixed_layout: bool = True,
) -> Figure:
    """Draw a relationship map: who did what to whom, in the grammar of the module docstring.

    Parameters
    ----------
    data : Store or networkx.MultiDiGraph
        A store (projected with the options below) or a graph from :func:`kg._network.project`
        (then the options must be left out).
    view : {"graph", "ego", "top"}, optional
        The whole graph; the actors within ``hops`` steps of ``focus``; the ``top`` most central
        actors by ``measure``. Default: ``"ego"`` when ``focus`` is given, ``"top"`` when ``top``
        is, else ``"graph"``.
    focus : str, optional
        The actor at the centre of an ego map: label, alias, local name, prefixed name or IRI.
    hops : int, default 1
        How many steps an ego map reaches (relations either way).
    top : int, optional
        How many actors the ``top`` view keeps (40 by default), and an ego map of more than 60.
    measure : str, default "degree"
        The centrality measure that sizes the nodes and ranks the actors
        (:data:`kg._analysis.MEASURES`).
    as_of, since, until, relations, signs, claims, fold, structural, from_evidence
        The options of :func:`kg._network.project`: by default persons, bodies and missions are
        folded into the state or organisation they act for (the ``focus`` kept apart), and the
        edges of contested accounts are drawn, dashed, with (up to eight) claims numbered in the
        legend.
    store : Store, optional
        With a projected graph as ``data``, the store it was projected from: it names the
        sources, the contested claims and the actors' aliases.
    ax : matplotlib Axes, optional
        Draw into this axes (title above it, legend to its right) instead of a new figure.
    width, height : float, default 12 x 8.5
        Size of a new figure, in inches.
    dpi : float, default 100
        Resolution of a new figure.
    title, subtitle : str, optional
        Replace the title (which says what the view is) or the subtitle (time window, counts,
        sources).
    seed : int, default 0
        Seed of the layout: the same input and seed give the same picture.
    max_links : int, optional
        Draw at most this many links: the maximum spanning forest, then the heaviest. By default
        every link of a detailed map, and at most 120 once each pair's relations are merged into
        one edge (beyond 150 links, or 600 characters of relation names to print).
    fixed_layout : bool, default True
        With a store and a time cut, place the actors where the map of the whole time span
        places them, so that maps of the same graph at two dates keep each actor in its place
        (this projects the store a second time, without the cut). ``False`` lays out the cut
        alone.

    Returns
    -------
    matplotlib.figure.Figure
        The figure, not shown: save it with :func:`save_figure` (or ``figure.savefig``).

    Raises
    ------
    InputError
        For an unknown view, a bad date, ``hops`` below 0, ``top`` below 1, options given with a
        graph, or a focus actor with no relation in the cut.
    UnknownNameError
        For an unknown measure, relation type or actor.

    Examples
    --------
    >>> import kg
    >>> figure = kg.draw(kg.load(), focus="Turkey", as_of="2023-10-19", width=6, height=4)
    >>> figure.get_size_inches().tolist()
    [6.0, 4.0]
    """
    view = view or ("ego" if focus else "top" if top is not None else "graph")
    top = 40 if top is None else top
    if view not in VIEWS:
        raise InputError(f"unknown view {view!r}: use one of {', '.join(VIEWS)}")
    if view == "ego" and not focus:
        raise InputError("an ego map needs a focus actor: give focus= (--focus ACTOR)")
    if hops < 0 or top < 1:
        raise InputError(f"hops must be 0 or more and top 1 or more (got hops={hops}, top={top})")
    if measure not in MEASURES:
        raise UnknownNameError("centrality measure", measure, difflib.get_close_matches(measure, MEASURES))
    options = {
        "as_of": as_of,
        "since": since,
        "until": until,
        "relations": relations,
        "signs": signs,
        "claims": claims,
        "fold": fold,
        "structural": structural,
        "from_evidence": from_evidence,
    }
    named = (focus,) if view == "ego" else ()
    graph, store = _projected(data, options, store, named=named)
    whole = None
    if fixed_layout and isinstance(data, Store) and any(options[k] is not None for k in ("as_of", "since", "until")):
        whole, _ = _projected(data, {**options, "as_of": None, "since": None, "until": None}, store, named=named)
    with _gc_paused():
        return _draw(
            graph,
            store,
            view=view,
            focus=focus,
            hops=hops,
            top=top,
            measure=measure,
            claims=claims,
            from_store=isinstance(data, Store),
            ax=ax,
            width=width,
            height=height,
            dpi=dpi,
            title=title,
            subtitle=subtitle,
            seed=seed,
            max_links=max_links,
            whole=whole,
        )


def _view_nodes(
    graph: nx.MultiDiGraph, scores: dict[Any, float], *, view: str, centre: Any, hops: int, top: int
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


def _draw(
    graph: nx.MultiDiGraph,
    store: Store | None,
    *,
    view: str,
    focus: str | None,
    hops: int,
    top: int,
    measure: str,
    claims: bool,
    from_store: bool,
    ax: Axes | None,
    width: float,
    height: float,
    dpi: float,
    title: str | None,
    subtitle: str | None,
    seed: int,
    max_links: int | None,
    whole: nx.MultiDiGraph | None = None,
) -> Figure:
    # ``whole``: the same projection without the time cut, whose layout the map keeps.
    scores = _scores(graph, measure)
    centre = _actor(graph, focus, store) if focus is not None and view == "ego" else None
    nodes, total = _view_nodes(graph, scores, view=view, centre=centre, hops=hops, top=top)
    links, tally, all_links = _links(graph, nodes, max_links=max_links)
    frame = None
    if whole is not None:
        wide, _ = _view_nodes(whole, _scores(whole, measure), view=view, centre=centre, hops=hops, top=top)
        wide = sorted(set(wide) | set(nodes), key=str)
        frame = (wide, _links(whole, [n for n in wide if n in whole], max_links=max_links)[0])

    if title is None:
        if centre is not None:
            title = f"Relations of {_label_of(graph, centre)} (within {_plural(hops, 'step')})"
        elif view == "top":
            title = f"The {len(nodes)} most central actors by {measure}"
        else:
            title = "Who did what to whom: relations between actors"
    shown_claims = claims if from_store else (True if any(x.contested for x in links) else None)
    lines = (
        [subtitle]
        if subtitle is not None
        else _map_subtitle(
            graph,
            tally,
            store,
            claims=shown_claims,
            view=view,
            shown=len(nodes),
            total=total,
            links=len(links),
            all_links=all_links,
            measure=measure,
        )
    )
    merged = any(x.merged for x in links)
    with _style():
        figure, main, side = _frame(ax, width, height, dpi, title, lines)
        main.set_axis_off()
        if not nodes:
            _empty(main, "No relations in this cut: widen the time window or drop a filter.")
            return figure
        behind = (c for x in links for group in x.claims.values() for c in group)
        names = {} if merged else _claim_names(behind, store)
        _draw_map(main, graph, nodes, links, scores, centre=centre, seed=seed, claims=names, frame=frame)
        _stack_legends(
            side or main,
            _legend_sections(
                graph, nodes, links, measure=measure, merged=merged, claims=names, focus=centre is not None
            ),
            inside=side is not None,
        )
    return figure


def _draw_map(
    main: Axes,
    graph: nx.Graph,
    nodes: Sequence[Any],
    links: Sequence[_Link],
    scores: dict[Any, float],
    *,
    centre: Any,
    seed: int,
    claims: dict[str, str],
    frame: tuple[Sequence[Any], Sequence[_Link]] | None = None,
) -> None:
    """Lay out, then draw edges, nodes, node labels and edge labels, in points on ``main``.

    With ``frame`` (the actors and links of the whole time span) the layout is that of the
    frame, fitted with every actor of it, so that a map of a cut keeps each actor in its place.
    """
    width, height = _axes_points(main)
    main.set_xlim(0, width)
    main.set_ylim(0, height)
    ruler = _Ruler(main.figure.dpi)  # type: ignore[union-attr]
    count = len(nodes)
    merged = any(x.merged for x in links)
    smallest, largest = (260.0, 1500.0) if count <= 25 else (120.0, 900.0) if count <= 60 else (30.0, 400.0)
    node_font, edge_font = (9.0, 7.5) if count <= 25 else (8.0, 6.5) if count <= 60 else (7.0, 6.5)
    ranked = _ranked(nodes, scores, graph)
    labelled = set(ranked[:_LABEL_BUDGET]) | {centre}
    low, high = min(scores.get(n, 0.0) for n in nodes), max(scores.get(n, 0.0) for n in nodes)
    items = []
    for node in nodes:
        share = 0.5 if high <= low else (scores.get(node, 0.0) - low) / (high - low)
        label = textwrap.fill(_label_of(graph, node), 18, max_lines=3, placeholder="…") if node in labelled else ""
        w, h = ruler.size(
            label, fontsize=node_font, linespacing=1.05, fontweight="bold" if node == centre else "normal"
        )
        items.append(_Node(node, 0.0, 0.0, math.sqrt(smallest + (largest - smallest) * share) / 2, label, w + 3, h + 2))
    if frame is None:
        _fit(items, _layout(nodes, links, seed, width / height), width, height)
    else:
        shown = set(nodes)
        absent = [_Node(n, 0.0, 0.0, math.sqrt(smallest) / 2) for n in frame[0] if n not in shown]
        _fit([*items, *absent], _layout(frame[0], frame[1], seed, width / height), width, height)
    left = _declutter(items, width, height)
    if left:
        log.info("%d node footprints still overlap after decluttering", left)
    by_node = {item.node: item for item in items}

    drawn = _geometry(links, by_node)
    if drawn:
        main.add_collection(
            LineCollection(
                [d.points for d in drawn],
                colors=[SIGN_COLOURS[d.link.sign] for d in drawn],
                linewidths=[d.width for d in drawn],
                linestyles=[_DASHES if d.link.contested else "solid" for d in drawn],
                alpha=0.6 if merged else 0.9,
                zorder=1,
                capstyle="butt",
                joinstyle="round",
                gid="edges",
            )
        )
    heads = [(d, h) for d in drawn for h in d.heads]
    if heads:
        main.add_collection(
            PolyCollection(
                [h for _, h in heads],
                facecolors=[SIGN_COLOURS[d.link.sign] for d, _ in heads],
                edgecolors="none",
                alpha=0.75 if merged else 0.95,
                zorder=2,
                gid="arrowheads",
            )
        )
    for kind in sorted({str(graph.nodes[n].get("kind", "")) for n in nodes}):
        chosen = [item for item in items if graph.nodes[item.node].get("kind", "") == kind]
        _, marker, colour = _kind_style(kind)
        markers = main.scatter(
            [i.x for i in chosen],
            [i.y for i in chosen],
            s=[(i.radius * 2) ** 2 for i in chosen],
            marker=marker,
            c=colour,
            zorder=3,
            gid=f"nodes-{kind or 'other'}",
            edgecolors=["#111111" if i.node == centre else "#333333" for i in chosen],
            linewidths=[2.6 if i.node == centre else 0.9 for i in chosen],
        )
        markers.set_urls([str(i.node) for i in chosen])  # each marker links to its actor (in SVG)

    points = np.vstack([d.points for d in drawn] + [h for _, h in heads]) if drawn else np.zeros((0, 2))
    order = {node: i for i, node in enumerate(ranked)}
    _choose_sides(sorted(items, key=lambda i: order[i.node]), points, width, height, drop=count > _LABEL_BUDGET)
    for item in items:
        if item.label:
            x, y, ha, va = item.anchor()
            main.text(
                x,
                y,
                item.label,
                ha=ha,
                va=va,
                fontsize=node_font,
                linespacing=1.05,
                zorder=5,
                color="#111111",
                fontweight="bold" if item.node == centre else "normal",
                multialignment="center" if ha == "center" else ha,
                gid="node-label",
                bbox={"boxstyle": "square,pad=0.05", "facecolor": "white", "alpha": 0.75, "edgecolor": "none"},
            )

    numbers = {claim: number for number, claim in enumerate(claims, 1)}
    heaviest = sorted(range(len(drawn)), key=lambda i: (-drawn[i].link.count, drawn[i].link.order()))
    texts, sizes = {}, {}
    for index in heaviest[: _MERGED_LABEL_BUDGET if merged else _EDGE_LABEL_BUDGET]:
        texts[index] = drawn[index].link.text(numbers=numbers)
        w, h = ruler.size(
            texts[index],
            fontsize=edge_font,
            linespacing=1.0,
            fontstyle="italic" if drawn[index].link.contested else "normal",
        )
        sizes[index] = (w + 3, h + 2)
    taken: list[tuple[float, ...]] = [item.marker_box() for item in items]
    taken += [item.label_box() for item in items if item.label]
    for index, point in sorted(_place_edge_labels(drawn, sizes, taken, width, height, drop=merged).items()):
        link = drawn[index].link
        main.text(
            point[0],
            point[1],
            texts[index],
            ha="center",
            va="center",
            fontsize=edge_font,
            linespacing=1.0,
            color=_TEXT_COLOURS[link.sign],
            zorder=4,
            gid="edge-label",
            fontstyle="italic" if link.contested else "normal",
            bbox={"boxstyle": "round,pad=0.12", "facecolor": "white", "alpha": 0.88, "edgecolor": "none"},
        )


# ---------------------------------------------------------------------------- the timeline


@dataclass
class _Mark:
    """One event (or standing relation) on the timeline, in days (matplotlib date numbers)."""

    start: float
    end: float | None
    label: str
    sign: int
    contested: bool
    standing: bool
    date: str = ""
    end_date: str = ""
    lane: int = 0
    open_before: bool = False
    """A standing relation the source presents as already existing on ``date``: drawn from before."""


def draw_timeline(
    data: Store | nx.MultiDiGraph,
    a: str | None = None,
    b: str | None = None,
    *,
    as_of: str | dt.date | None = None,
    since: str | dt.date | None = None,
    until: str | dt.date | None = None,
    relations: Iterable[str] | None = None,
    signs: Iterable[int | str] | None = None,
    claims: bool = True,
    fold: bool = True,
    structural: bool = False,
    from_evidence: bool = False,
    store: Store | None = None,
    ax: Axes | None = None,
    width: float = 12.0,
    height: float | None = None,
    dpi: float = 100.0,
    title: str | None = None,
    subtitle: str | None = None,
    max_rows: int = 30,
    max_marks: int = 300,
) -> Figure:
    """Draw the events in time order, one row per dyad, coloured by sign, each mark named.

    A row holds the events from one actor to one target (``A → B``; ``A ↔ B`` when all are
    symmetric); a mark sits on the event's first possible day, a bar under it runs to its last
    when the event is dated to a range; a standing relation is a band from the day it starts or
    was observed; a contested account is a hollow mark.

    Parameters
    ----------
    data : Store or networkx.MultiDiGraph
        A store (projected with the options) or a graph from :func:`kg._network.project`.
    a, b : str, optional
        Keep the dyads of actor ``a`` (with ``b``, only those between ``a`` and ``b``).
    as_of, since, until, relations, signs, claims, fold, structural, from_evidence
        The options of :func:`kg._network.project`.
    store : Store, optional
        With a projected graph as ``data``, the store it was projected from (names sources and
        aliases).
    ax : matplotlib Axes, optional
        Draw into this axes instead of a new figure.
    width : float, default 12
        Width of a new figure, in inches.
    height : float, optional
        Height of a new figure; by default as tall as the rows need.
    dpi : float, default 100
        Resolution of a new figure.
    title, subtitle : str, optional
        Replace the title or the subtitle.
    max_rows : int, default 30
        Beyond this many dyads, keep the busiest.
    max_marks : int, default 300
        Beyond this many events, marks are drawn without their names (narrow the window or pick
        a dyad to read them).

    Returns
    -------
    matplotlib.figure.Figure

    Raises
    ------
    InputError, UnknownNameError
        As :func:`draw`.

    Examples
    --------
    >>> import kg
    >>> figure = kg.draw_timeline(kg.load(), "Israel", "Turkey")
    >>> [label.get_text() for label in figure.axes[0].get_yticklabels()]
    ['Turkey → Israel', 'Israel → Turkey']
    """
    options = {
        "as_of": as_of,
        "since": since,
        "until": until,
        "relations": relations,
        "signs": signs,
        "claims": claims,
        "fold": fold,
        "structural": structural,
        "from_evidence": from_evidence,
    }
    graph, store = _projected(data, options, store, named=(a, b))
    with _gc_paused():
        return _timeline(
            graph,
            store,
            a,
            b,
            claims=claims,
            from_store=isinstance(data, Store),
            ax=ax,
            width=width,
            height=height,
            dpi=dpi,
            title=title,
            subtitle=subtitle,
            max_rows=max_rows,
            max_marks=max_marks,
        )


def _timeline(
    graph: nx.MultiDiGraph,
    store: Store | None,
    a: str | None,
    b: str | None,
    *,
    claims: bool,
    from_store: bool,
    ax: Axes | None,
    width: float,
    height: float | None,
    dpi: float,
    title: str | None,
    subtitle: str | None,
    max_rows: int,
    max_marks: int,
) -> Figure:
    ends = [_actor(graph, name, store) for name in (a, b) if name]
    rows: dict[tuple[Any, Any], list[dict[str, Any]]] = defaultdict(list)
    for u, v, edge in graph.edges(data=True):
        if u != v and edge.get("date") and all(end in (u, v) for end in ends):
            rows[(u, v)].append(edge)
    ordered = _order_rows(graph, rows)
    dropped = max(len(ordered) - max_rows, 0)
    if dropped:
        busiest = set(sorted(ordered, key=lambda k: (-len(rows[k]), ordered.index(k)))[:max_rows])
        ordered = [k for k in ordered if k in busiest]
    tally = _Tally()
    for key in ordered:
        for edge in rows[key]:
            tally.add(edge)
    total = sum(len(rows[k]) for k in ordered)
    named = total <= max_marks
    if title is None:
        names = [_label_of(graph, e) for e in ends]
        title = (
            "Timeline of events between " + " and ".join(names)
            if len(names) == 2
            else f"Timeline of events involving {names[0]}"
            if names
            else "Timeline of events by dyad"
        )
    if subtitle is not None:
        lines = [subtitle]
    else:
        counts = [_plural(len(tally.events), "event")]
        counts += [_plural(len(tally.standing), "standing relation")] if tally.standing else []
        first = f"{_window_text(graph, tally)} · {', '.join(counts)} in {_plural(len(ordered), 'dyad')}"
        first += f" (the busiest; {dropped:,} more not shown)" if dropped else ""
        shown = claims or not from_store
        first += " · contested accounts " + ("hollow" if shown else "left out")
        first += "" if named else " · too many to name: narrow the window or pick a dyad"
        source = _sources_text(tally.sources, store)
        lines = [first, source] if source else [first]
    claim_names = _claim_names(
        (str(e["claim"]) for key in ordered for e in rows[key] if e.get("contested") and e.get("claim")), store
    )
    numbers = {claim: n for n, claim in enumerate(claim_names, 1)}
    if claim_names and subtitle is None:
        lines.append(
            "Contested claims: " + "; ".join(f"[{n}] {name}" for n, name in enumerate(claim_names.values(), 1))
        )

    with _style():
        ruler = _Ruler(dpi if ax is None else ax.figure.dpi)  # type: ignore[union-attr]
        if ax is None:
            lines = _wrap(lines, width, dpi)
        font = 7.5
        early = not graph.graph.get("from_evidence")
        marks = {
            key: [_mark(edge, numbers, open_before=early) for edge in sorted(rows[key], key=_edge_time)]
            for key in ordered
        }
        row_names = [_row_name(graph, key, rows[key]) for key in ordered]
        widths = (
            {
                id(m): ruler.size(m.label, fontsize=font, fontstyle="italic" if m.contested else "normal")[0]
                for ms in marks.values()
                for m in ms
            }
            if named
            else {}
        )
        head, foot = 0.58 + 0.2 * len(lines) + 0.1, 1.09
        widest = max((ruler.size(n, fontsize=9)[0] for n in row_names), default=60.0)
        left_in = min(widest / 72 + 0.35, width * 0.4)
        if ax is not None:
            plot_width = _axes_points(ax)[0]
        else:
            plot_width = (width - left_in - 0.25) * 72
        first_day = _clip_standing(marks)
        days = [d for ms in marks.values() for m in ms for d in (m.start, m.end) if d is not None]
        first_day = min(days, default=first_day)
        per_day = max(
            (plot_width - max(widths.values(), default=0.0) - 16) / (max(days, default=first_day) - first_day + 1.2),
            1e-3,
        )
        x0, x1 = first_day - 0.6, first_day - 0.6 + plot_width / per_day
        lanes = {key: _assign_lanes(ms, widths, per_day, named) for key, ms in marks.items()}
        if ax is None:
            height = height or min(max(head + foot + 0.26 * sum(lanes.values()) + 0.2, 3.2), 40.0)
            figure = _titled_figure(width, height, dpi, title, lines)
            ax = figure.add_axes(
                (left_in / width, foot / height, (width - left_in - 0.25) / width, 1 - (head + foot) / height)
            )
        else:
            figure = ax.figure  # type: ignore[assignment]
            ax.set_title("\n".join([title, *lines]), loc="left", fontsize=9)
        if not ordered:
            _empty(ax, "No dated relations in this cut: widen the time window or drop a filter.")
            return figure
        _draw_rows(ax, ordered, marks, lanes, row_names, x0, x1, named=named, font=font)
        _timeline_legend(ax, marks)
    return figure


def _clip_standing(marks: dict[tuple[Any, Any], list[_Mark]]) -> float:
    """Start standing relations that began before the first event at that event's day.

    A tie observed since years would otherwise stretch the axis over years and crush the events
    into one column; its label says since when it holds. Returns the first day on the axis.
    """
    every = [m for ms in marks.values() for m in ms]
    events = [m.start for m in every if not m.standing]
    if not events:
        return min((m.start for m in every), default=0.0)
    first = min(events)
    for mark in every:
        if mark.open_before and mark.start > first:  # already so by its first evidence: from before
            mark.label = mark.label.replace("(standing)", f"(standing, already so by {mark.date})")
            mark.start = first
        elif mark.standing and mark.start < first:
            ended = mark.end is not None and mark.end < first
            since = f"{mark.date} to {mark.end_date}" if ended else f"since {mark.date}"
            mark.label = mark.label.replace("(standing)", f"(standing {since})")
            mark.start = first
            mark.end = first if ended else mark.end
    return first


def _edge_time(edge: dict[str, Any]) -> tuple[str, str, str]:
    return (str(edge.get("date", "")), str(edge.get("relation_label", "")), str(edge.get("event", "")))


def _order_rows(graph: nx.Graph, rows: dict[tuple[Any, Any], list[dict[str, Any]]]) -> list[tuple[Any, Any]]:
    """Order the dyads by the first event of their pair, the two directions of a pair together."""
    first = {key: min(str(e["date"]) for e in edges) for key, edges in rows.items()}
    pair_first: dict[frozenset[Any], str] = {}
    for key, date in first.items():
        pair = frozenset(key)
        pair_first[pair] = min(pair_first.get(pair, date), date)

    def order(key: tuple[Any, Any]) -> tuple[str, ...]:
        u, v = key
        pair = sorted((_label_of(graph, u).casefold(), _label_of(graph, v).casefold()))
        return (pair_first[frozenset(key)], *pair, first[key], _label_of(graph, u).casefold(), str(u))

    return sorted(rows, key=order)


def _row_name(graph: nx.Graph, key: tuple[Any, Any], edges: Sequence[dict[str, Any]]) -> str:
    arrow = "↔" if all(e.get("symmetric") for e in edges) else "→"
    return f"{_label_of(graph, key[0])} {arrow} {_label_of(graph, key[1])}"


def _day(text: str) -> float:
    date = parse_date(text)
    assert date is not None
    return float(date2num(date))  # type: ignore[no-untyped-call]


def _mark(edge: dict[str, Any], numbers: dict[str, int], *, open_before: bool = True) -> _Mark:
    start = _day(str(edge["date"]))
    end = _day(str(edge["end_date"])) if edge.get("end_date") else None
    standing = bool(edge.get("standing"))
    label = str(edge.get("relation_label", ""))
    label += " (standing)" if standing else ""
    if edge.get("contested"):
        number = numbers.get(str(edge.get("claim", "")))
        label += f" (contested [{number}])" if number else " (contested)"
    return _Mark(
        start,
        end if end is not None and end > start else None,
        label,
        int(edge.get("sign", 0)),
        bool(edge.get("contested")),
        standing,
        str(edge["date"]),
        str(edge.get("end_date") or ""),
        open_before=open_before and standing and bool(edge.get("open_start")),
    )


def _assign_lanes(marks: Sequence[_Mark], widths: dict[int, float], per_day: float, named: bool) -> int:
    """Give each mark the first lane of its row where it and its name fit; return the lanes used."""
    if not named:
        return 1
    free: list[float] = []
    for mark in marks:
        start = mark.start - 6 / per_day
        end = max(mark.start + (widths.get(id(mark), 0.0) + 14) / per_day, mark.end or mark.start)
        for lane, after in enumerate(free):
            if after <= start:
                mark.lane, free[lane] = lane, end
                break
        else:
            mark.lane = len(free)
            free.append(end)
    return max(len(free), 1)


def _draw_rows(
    ax: Axes,
    ordered: Sequence[tuple[Any, Any]],
    marks: dict[tuple[Any, Any], list[_Mark]],
    lanes: dict[tuple[Any, Any], int],
    row_names: Sequence[str],
    x0: float,
    x1: float,
    *,
    named: bool,
    font: float,
) -> None:
    y = 0.0
    ticks, placed = [], []
    for index, key in enumerate(ordered):
        if index % 2 == 0:
            ax.axhspan(y - lanes[key] + 0.5, y + 0.5, color="#F2F2F2", zorder=0, linewidth=0)
        placed += [(mark, y - mark.lane) for mark in marks[key]]
        ticks.append(y - (lanes[key] - 1) / 2)
        y -= lanes[key]
    bars = [(m, [(m.start, my - 0.28), (m.end, my - 0.28)]) for m, my in placed if m.end is not None and not m.standing]
    bands = [(m, [(m.start, my), (m.end or x1, my)]) for m, my in placed if m.standing]
    if bars:
        ax.add_collection(
            LineCollection(
                [s for _, s in bars],
                colors=[SIGN_COLOURS[m.sign] for m, _ in bars],
                linewidths=2.2,
                alpha=0.55,
                zorder=2,
                capstyle="butt",
                gid="intervals",
            )
        )
    if bands:
        ax.add_collection(
            LineCollection(
                [s for _, s in bands],
                colors=[SIGN_COLOURS[m.sign] for m, _ in bands],
                linewidths=7,
                alpha=0.18,
                zorder=1,
                capstyle="butt",
                gid="standing",
            )
        )
    for contested in (False, True):
        chosen = [(m, my) for m, my in placed if m.contested == contested]
        if chosen:
            colours = [SIGN_COLOURS[m.sign] for m, _ in chosen]
            ax.scatter(
                [m.start for m, _ in chosen],
                [my for _, my in chosen],
                s=46 if named else 14,
                marker="o",
                facecolors="white" if contested else colours,
                edgecolors=colours,
                linewidths=1.6 if contested else 0.6,
                zorder=3,
                gid="contested-marks" if contested else "marks",
            )
    if named:
        for mark, mark_y in placed:
            ax.annotate(
                mark.label,
                (mark.start, mark_y),
                xytext=(7, 0),
                textcoords="offset points",
                va="center",
                ha="left",
                fontsize=font,
                color=_TEXT_COLOURS[mark.sign],
                zorder=4,
                annotation_clip=False,
                fontstyle="italic" if mark.contested else "normal",
                gid="mark-label",
            )
    ax.set_ylim(y + 0.5, 0.6)
    ax.set_xlim(x0, x1)
    ax.set_yticks(ticks, list(row_names), fontsize=9)
    ax.tick_params(axis="y", length=0)
    first = min(m.start for m, _ in placed)
    last = max(max(m.start, m.end or m.start) for m, _ in placed)
    if last - first <= 45:  # a tick a day (or every few days), named as reports name days
        step = 1 if last - first <= 16 else 2 if last - first <= 32 else 3
        ax.set_xticks(np.arange(math.floor(first), math.floor(last) + 1, step))
        ax.xaxis.set_major_formatter(DateFormatter("%a\n%d %b"))  # type: ignore[no-untyped-call]
    else:
        locator = AutoDateLocator()  # type: ignore[no-untyped-call]
        ax.xaxis.set_major_locator(locator)
        ax.xaxis.set_major_formatter(ConciseDateFormatter(locator))  # type: ignore[no-untyped-call]
    ax.tick_params(axis="x", labelsize=8)
    ax.grid(axis="x", color="#DDDDDD", linewidth=0.7, zorder=0)
    ax.set_axisbelow(True)
    for spine in ("top", "right", "left"):
        ax.spines[spine].set_visible(False)


def _timeline_legend(ax: Axes, marks: dict[tuple[Any, Any], list[_Mark]]) -> None:
    present = [m for ms in marks.values() for m in ms]
    handles: list[Any] = []
    labels: list[str] = []
    for sign in (1, -1, 0):
        if any(m.sign == sign for m in present):
            handles.append(
                Line2D(
                    [],
                    [],
                    linestyle="none",
                    marker="o",
                    markersize=7,
                    markerfacecolor=SIGN_COLOURS[sign],
                    markeredgecolor=SIGN_COLOURS[sign],
                )
            )
            labels.append(_SIGN_NAMES[sign])
    if any(m.contested for m in present):
        handles.append(
            Line2D(
                [],
                [],
                linestyle="none",
                marker="o",
                markersize=7,
                markerfacecolor="white",
                markeredgecolor="#505050",
                markeredgewidth=1.6,
            )
        )
        labels.append("hollow: contested account")
    if any(m.end is not None and not m.standing for m in present):
        handles.append(Line2D([], [], color="#505050", linewidth=2.2, alpha=0.55))
        labels.append("bar under a mark: dated to a range of days")
    if any(m.standing for m in present):
        handles.append(Patch(facecolor="#505050", alpha=0.18))
        labels.append(
            "band: standing relation, from the day observed"
            if not any(m.open_before for m in present)
            else "band: standing relation (or earlier)"
        )
    inches = ax.get_position().height * ax.figure.get_size_inches()[1]  # type: ignore[union-attr]
    ax.legend(
        handles,
        labels,
        loc="upper left",
        bbox_to_anchor=(0.0, -0.5 / max(inches, 0.5)),
        ncol=min(len(handles), 3),
        frameon=False,
        fontsize=8,
        handletextpad=0.4,
        columnspacing=1.6,
        borderaxespad=0.0,
    )
