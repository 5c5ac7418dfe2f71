"""The interactive map: one self-contained HTML page that opens from disk with no network.

:func:`draw_html` projects the store once over its whole time span (with contested accounts, so
that the page can show or hide them), lays the actors out once with the layout of the PNG maps
(:mod:`kg._drawing`: stress majorization, components packed), and writes into the page:

- the actors (label, kind, aliases, Wikidata IRI, position, centrality);
- the links the PNG map would draw (one per pair, direction, sign and contested state; for a busy
  map each pair's relations merged and only the backbone kept, the same rule as the PNG);
- the events behind each link as **records** binned by link, relation and day (by month when the
  page holds more than :data:`DAY_LIMIT` events), each with its count: the time slider and the
  relation, sign and contested filters recount them in the page (months widen to quarters, then
  years, when a page would hold more than :data:`RECORD_BUDGET` bins);
- the **evidence** (date, relation, source, quote) of every event when there are few, else of the
  strongest events of each link (by absolute Goldstein value, then the latest).

Cytoscape.js (vendored from the npm registry by ``tools/vendor_js.py``, its licence kept at the
head of the script) draws it in the grammar of the PNG: shapes and colours by kind, Okabe-Ito
sign colours, dashed contested accounts, arrows from actor to target, widths by events.
"""

from __future__ import annotations

import datetime as dt
import html
import json
import logging
import math
from collections import Counter, defaultdict
from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from typing import Any, Unpack

import networkx as nx

from kg._actors import actor_index
from kg._drawing._grammar import KIND_STYLES, SIGN_COLOURS
from kg._drawing._layout import _layout
from kg._drawing._links import _Link, _links
from kg._drawing._nodes import _projected, _ranked, _scores
from kg._errors import InputError
from kg._files import atomic_write
from kg._network import ProjectionKeywords, ProjectionOptions, relation_types
from kg._store import Store
from kg._tabular import short_iri
from kg._timecut import parse_date

__all__ = ["DAY_LIMIT", "RECORD_BUDGET", "HtmlMap", "draw_html"]

log = logging.getLogger(__name__)

DAY_LIMIT = 20_000
"""Events a page bins by day; above it, records are binned by month (the slider moves by month)."""

RECORD_BUDGET = 80_000
"""Time bins a page holds at most: beyond, month bins are widened to quarters, then to years."""

_CROWDED = 80  # actors beyond which the page keeps the top view, as the report does
_MAX_LINKS = 1_000  # links of a merged page at most (the PNG's backbone rule, with room for more)
_LABEL_BUDGET = 60  # actors named on the map, the most central first (the others on hover and search)
_SPACING = 70.0  # pixels between an actor and its nearest neighbour, on the median
_SCALE = 110.0  # layout units to page pixels
_SHAPES = {"o": "ellipse", "s": "round-rectangle", "D": "diamond", "H": "hexagon", "^": "triangle", "p": "pentagon"}

_SOURCES = """
SELECT ?source ?label ?url WHERE {
    ?source a dip:Source .
    OPTIONAL { ?source rdfs:label ?label }
    OPTIONAL { ?source schema:url ?url }
}
"""

_SAME_AS = """
SELECT ?actor ?same WHERE { ?actor schema:sameAs ?same . FILTER(STRSTARTS(STR(?same), "http://www.wikidata.org/")) }
"""


@dataclass
class HtmlMap:
    """An interactive map page and what it holds.

    Attributes
    ----------
    html : str
        The page: one file, the graph library and the data inlined.
    actors, links, events, records, evidence : int
        Actors and links drawn, events behind the links, time bins written, events whose evidence
        (date, relation, source, quote) is embedded.
    resolution : str
        ``"day"``, ``"month"``, ``"quarter"`` or ``"year"``: the width of the time bins (the slider
        moves by day, or by month for the others).
    left_out : int
        Events of the projection not on any drawn link (actors or links beyond the top-N rule).

    Examples
    --------
    >>> import kg
    >>> page = kg.draw_html(kg.load())
    >>> isinstance(page, kg.HtmlMap), page.html.startswith("<!doctype html>")
    (True, True)
    """

    html: str
    actors: int = 0
    links: int = 0
    events: int = 0
    records: int = 0
    evidence: int = 0
    resolution: str = "day"
    left_out: int = 0

    @property
    def size(self) -> int:
        """The size of the page in bytes (UTF-8)."""
        return len(self.html.encode("utf-8"))

    def summary(self) -> str:
        """One line saying what the page holds and how big it is."""
        more = f"; {self.left_out:,} events beyond the top-N rule left out" if self.left_out else ""
        return (
            f"{self.size / 1024:,.0f} KiB: {self.actors:,} actors, {self.links:,} links, {self.events:,} events "
            f"in {self.records:,} {self.resolution} bins, evidence of {self.evidence:,} embedded{more}"
        )

    def save(self, path: str | Path) -> Path:
        """Write the page to ``path`` (``*.html``) atomically; return the path.

        Raises
        ------
        InputError
            For a name not ending in ``.html`` or a folder that does not exist.
        """
        path = Path(path)
        if path.suffix.lower() not in (".html", ".htm"):
            raise InputError(f"{path}: name the interactive map *.html")
        atomic_write(path, lambda temporary: temporary.write_text(self.html, encoding="utf-8"))
        log.info("wrote %s (%s)", path, self.summary())
        return path


def _asset(name: str) -> str:
    return resources.files("kg._web").joinpath(name).read_text(encoding="utf-8")


def _day(text: str | None) -> int | None:
    """Days since 1970-01-01 of an ISO date (the page's time unit), None for none."""
    if not text:
        return None
    date = parse_date(text[:10])
    assert date is not None
    return (date - dt.date(1970, 1, 1)).days


_STEPS = {"day": 0, "month": 1, "quarter": 3, "year": 12}  # months per bin (0: days)


def _bin(day: int | None, step: int) -> int | None:
    """Return the bin of a day number: the day, or the first month of its bin (months since year 0)."""
    if day is None or step == 0:
        return day
    date = dt.date(1970, 1, 1) + dt.timedelta(days=day)
    month = date.year * 12 + date.month - 1
    return month - month % step


def draw_html(
    data: Store | nx.MultiDiGraph[Any],
    options: ProjectionOptions | None = None,
    *,
    top: int | None = None,
    measure: str = "degree",
    store: Store | None = None,
    title: str | None = None,
    seed: int = 0,
    evidence: int = 5,
    every_evidence: int = 3_000,
    max_links: int | None = None,
    live: bool = False,
    **overrides: Unpack[ProjectionKeywords],
) -> HtmlMap:
    """Write the interactive map of a store as one self-contained HTML page.

    Parameters
    ----------
    data : Store or networkx.MultiDiGraph
        A store, or a graph from :func:`kg._network.project` projected with ``claims=True`` and no
        time cut (the page cuts in time itself).
    top : int, optional
        Keep the ``top`` most central actors (the top view of :func:`kg._drawing.draw`). By default
        every actor up to 80, else the 40 most central.
    measure : str, default "degree"
        The centrality measure that sizes the nodes and ranks the actors.
    options : ProjectionOptions, optional
        The options of :func:`kg.project` (or keywords overriding them). Relation types, signs,
        folding and structural relations apply before the page is written; the time cut (``as_of``;
        or ``until`` with the window from ``since``) is where the page's time slider starts, as the
        page holds every date; ``claims`` says whether contested accounts (dashed) show when the
        page opens, as the page holds them either way.
    **overrides
        Any field of :class:`kg.ProjectionOptions` as a keyword, replacing the value of ``options``.
    store : Store, optional
        With a projected graph as ``data``: the store that names aliases, sources and Wikidata IRIs.
    title : str, optional
        The page's title.
    seed : int, default 0
        Seed of the layout.
    evidence : int, default 5
        Events per link whose evidence is embedded when the page holds more than ``every_evidence``.
    every_evidence : int, default 3000
        Up to this many events, the evidence of every one is embedded.
    max_links : int, optional
        Draw at most this many links: the maximum spanning forest, then the heaviest (the rule of
        :func:`kg._drawing.draw`, which draws 120 on a PNG; a page draws up to 2,000 by default).
    live : bool, default False
        Written by ``kg serve``: the page fetches the evidence it lacks from the server.

    Returns
    -------
    HtmlMap
        The page (``.html``, ``.save(path)``) and what it holds (``.summary()``).

    Raises
    ------
    InputError
        For a bad date, ``top`` below 1, or projection options given with a projected graph.
    UnknownNameError
        For an unknown measure or relation type.

    Examples
    --------
    >>> import kg
    >>> page = kg.draw_html(kg.load())
    >>> page.size < 1_000_000, page.resolution, "Turkey" in page.html
    (True, 'day', True)
    """
    if top is not None and top < 1:
        raise InputError(f"top must be 1 or more (got {top})")
    chosen = ProjectionOptions.of(options, **overrides)
    start = {name: str(getattr(chosen, name) or "") for name in ("as_of", "since", "until")}
    whole = chosen.replace(as_of=None, since=None, until=None, claims=True)
    graph, store = _projected(data, whole, store)
    payload, counts = _payload(
        graph,
        store,
        top=top,
        measure=measure,
        seed=seed,
        evidence=evidence,
        every_evidence=every_evidence,
        max_links=max_links,
    )
    payload["start"] = {**start, "claims": chosen.claims}
    payload["live"] = live
    name = title or "Who did what to whom: an interactive map"
    payload["title"] = name
    text = json.dumps(payload, ensure_ascii=False, separators=(",", ":")).replace("</", "<\\/")
    library = _asset("vendor/cytoscape.min.js").replace("</script", "<\\/script")
    page = (
        _asset("map.html")
        .replace("{{title}}", html.escape(name))
        .replace("{{style}}", _asset("map.css"))
        .replace("{{library}}", library)
        .replace("{{data}}", text)
        .replace("{{script}}", _asset("map.js"))
    )
    result = HtmlMap(page, **counts)
    log.info("interactive map: %s", result.summary())
    return result


def _payload(
    graph: nx.MultiDiGraph[Any],
    store: Store | None,
    *,
    top: int | None,
    measure: str,
    seed: int,
    evidence: int,
    every_evidence: int,
    max_links: int | None,
) -> tuple[dict[str, Any], dict[str, Any]]:
    """Gather what the page holds: actors, links, relation types, time records and evidence."""
    scores = _scores(graph, measure)
    if top is None and graph.number_of_nodes() > _CROWDED:
        top = 40
    nodes = _ranked(graph.nodes, scores, graph)[:top] if top is not None else list(graph.nodes)
    nodes = sorted(nodes, key=str)
    links, _, _ = _links(graph, nodes, max_links=_MAX_LINKS if max_links is None else max_links)
    drawn = [n for n in nodes if any(x.source == n or x.target == n for x in links)] or nodes
    actors = _actor_rows(graph, store, drawn, _layout(drawn, links, seed, 1.5) if drawn else {}, scores)
    edges, relation_rows, left_out = _link_edges(graph, store, drawn, links)
    records, resolution = _records(edges, links)
    shown, source_rows, every = _evidence(edges, store, evidence=evidence, every_evidence=every_evidence)
    per_link = Counter(link for link, *_ in edges)
    index = {node: i for i, node in enumerate(drawn)}
    link_rows = [
        {
            "s": index[x.source],
            "t": index[x.target],
            "sym": x.symmetric,
            "sign": x.sign,
            "contested": x.contested,
            "merged": x.merged,
            "n": per_link.get(i, 0),
        }
        for i, x in enumerate(links)
    ]
    dated = [r[2] for r in records if r[2] is not None] + [r[3] for r in records if r[3] is not None]
    payload = {
        "resolution": resolution,
        "actors": actors,
        "links": link_rows,
        "relations": relation_rows,
        "records": records,
        "evidence": shown,
        "sources": source_rows,
        "everyEvidence": every,
        "range": [min(dated, default=0), max(dated, default=0)],
        "signColours": {str(k): v for k, v in SIGN_COLOURS.items()},
        "kinds": [{"kind": k, "name": v[0], "shape": _SHAPES[v[1]], "colour": v[2]} for k, v in KIND_STYLES.items()],
        "measure": measure,
        "top": top,
        "total": {"actors": graph.number_of_nodes(), "edges": graph.number_of_edges()},
    }
    counts = {
        "actors": len(actors),
        "links": len(links),
        "events": len(edges),
        "records": len(records),
        "evidence": len(shown),
        "resolution": resolution,
        "left_out": left_out,
    }
    return payload, counts


_Edge = tuple[int, Any, Any, dict[str, Any]]  # the drawn link an edge is on, its actor, its target, its data


def _actor_rows(
    graph: nx.MultiDiGraph[Any],
    store: Store | None,
    drawn: list[Any],
    positions: dict[Any, Any],
    scores: dict[Any, float],
) -> list[dict[str, Any]]:
    """Return the page's actors: label, kind and its style, position, size, aliases, Wikidata IRI."""
    names = actor_index(store) if store is not None else None
    same: dict[str, str] = {}
    if store is not None:
        same = {a: s for a, s in store.query_values(_SAME_AS) if a and s}  # type: ignore[misc]
    most = max((scores.get(n, 0.0) for n in drawn), default=0.0) or 1.0
    scale = _scale(positions, drawn)
    named = set(_ranked(drawn, scores, graph)[:_LABEL_BUDGET])
    actors = []
    for node in drawn:
        data = graph.nodes[node]
        kind = str(data.get("kind", ""))
        name, marker, colour = KIND_STYLES.get(kind, ("other actor", "o", "#FFFFFF"))
        known = names.actors.get(str(node)) if names is not None else None
        aliases = sorted(set(known.aliases) - {str(data.get("label", ""))}) if known is not None else []
        x, y = positions[node]
        actors.append(
            {
                "id": str(node),
                "label": str(data.get("label") or short_iri(str(node))),
                "kind": kind or "actor",
                "kindName": name,
                "shape": _SHAPES.get(marker, "ellipse"),
                "colour": colour,
                "x": round(float(x) * scale, 1),
                "y": round(float(-y) * scale, 1),
                "named": node in named,
                "size": round(18 + 30 * math.sqrt(max(scores.get(node, 0.0), 0.0) / most), 1),
                "score": round(scores.get(node, 0.0), 4),
                "aliases": aliases,
                "wikidata": same.get(str(node), ""),
            }
        )
    return actors


def _link_edges(
    graph: nx.MultiDiGraph[Any], store: Store | None, drawn: list[Any], links: list[_Link]
) -> tuple[list[_Edge], list[dict[str, Any]], int]:
    """Put each edge of the projection on the drawn link that carries it.

    Returns the edges on a link, the relation types they have (in order of first use) and how
    many edges are on no drawn link.
    """
    merged = bool(links) and links[0].merged
    link_of = {_key(x.source, x.target, x.symmetric, x.sign, x.contested, merged): i for i, x in enumerate(links)}
    types = {info.iri: info for info in relation_types(store).values()} if store is not None else {}
    relation_rows: dict[str, dict[str, Any]] = {}
    keep = set(drawn)
    edges: list[_Edge] = []
    for a, b, d in graph.edges(data=True):
        if a == b or a not in keep or b not in keep:
            continue
        found = link_of.get(
            _key(a, b, bool(d.get("symmetric")), int(d.get("sign", 0)), bool(d.get("contested")), merged)
        )
        if found is None:
            continue
        edges.append((found, a, b, d))
        relation = str(d.get("relation", ""))
        if relation not in relation_rows:
            info = types.get(relation)
            goldstein = d.get("goldstein")
            relation_rows[relation] = {
                "iri": relation,
                "label": str(d.get("relation_label") or short_iri(relation)),
                "sign": int(d.get("sign", 0)),
                "symmetric": bool(d.get("symmetric")),
                "goldstein": goldstein if goldstein is not None else (info.goldstein if info is not None else None),
            }
    left_out = sum(1 for a, b in graph.edges() if a != b) - len(edges)
    return edges, list(relation_rows.values()), left_out


def _records(edges: list[_Edge], links: list[_Link]) -> tuple[list[list[Any]], str]:
    """Bin the edges by link, relation, start, end and flags; return the bins and their width.

    Day bins for a small page; else months, coarsened to quarters, then years, until the page
    holds at most :data:`RECORD_BUDGET` bins.
    """
    merged = bool(links) and links[0].merged
    relation_ids = _relation_ids(edges)
    rows = []
    for link, a, _, d in edges:
        flags = (1 if d.get("standing") else 0) | (2 if d.get("contested") else 0)
        if merged and not d.get("symmetric") and a != links[link].source:
            flags |= 4  # runs against the merged link's direction
        # an event without an end date ends the day it happened (end None)
        start, end = _day(str(d.get("date") or "") or None), _day(str(d.get("end_date") or "") or None)
        rows.append((link, relation_ids[str(d["relation"])], start, end, flags))
    events = {str(d.get("event")) for *_, d in edges if not d.get("standing")}
    for resolution in ("day",) if len(events) <= DAY_LIMIT else ("month", "quarter", "year"):
        step = _STEPS[resolution]
        bins: Counter[tuple[int, int, int | None, int | None, int]] = Counter(
            (link, rel, _bin(start, step), _bin(end, step), flags) for link, rel, start, end, flags in rows
        )
        if len(bins) <= RECORD_BUDGET:
            break
    records = [
        [link, rel, start, end, flags, n]
        for (link, rel, start, end, flags), n in sorted(
            bins.items(), key=lambda item: (item[0][0], item[0][1], item[0][2] or 0)
        )
    ]
    return records, resolution


def _relation_ids(edges: list[_Edge]) -> dict[str, int]:
    """Return the number of each relation type of the edges, in order of first use (as in :func:`_link_edges`)."""
    return {relation: i for i, relation in enumerate(dict.fromkeys(str(d.get("relation", "")) for *_, d in edges))}


def _evidence(
    edges: list[_Edge], store: Store | None, *, evidence: int, every_evidence: int
) -> tuple[list[list[Any]], list[list[str]], bool]:
    """Return the evidence rows embedded (every event's when few), the sources they cite, and whether all are."""
    sources: dict[str, tuple[str, str]] = {}
    if store is not None:
        for iri, label, url in store.query_values(_SOURCES):
            assert iri is not None
            sources.setdefault(iri, (label or short_iri(iri), url or ""))
    relation_ids = _relation_ids(edges)
    by_link: dict[int, list[dict[str, Any]]] = defaultdict(list)
    for link, a, b, d in edges:
        by_link[link].append({**d, "actor": d.get("actor", a), "target": d.get("target", b)})
    every = len(edges) <= every_evidence
    source_ids: dict[str, int] = {}
    source_rows: list[list[str]] = []
    shown: list[list[Any]] = []
    for link, datas in sorted(by_link.items()):
        chosen = datas if every else sorted(datas, key=_strongest)[: max(evidence, 0)]
        for d in sorted(chosen, key=lambda d: (str(d.get("date", "")), str(d.get("event", "")))):
            source = str(d.get("source") or "")
            if source and source not in source_ids:
                source_ids[source] = len(source_rows)
                label, url = sources.get(source, (short_iri(source), ""))
                source_rows.append([source, label, url if url.startswith("http") else ""])
            shown.append(
                [
                    link,
                    relation_ids[str(d["relation"])],
                    str(d.get("date") or ""),
                    str(d.get("end_date") or ""),
                    source_ids.get(source, -1),
                    str(d.get("quote") or ""),
                    str(d.get("event") or ""),
                    1 if d.get("standing") else 0,
                    1 if d.get("contested") else 0,
                    str(d.get("actor") or ""),
                    str(d.get("target") or ""),
                ]
            )
    return shown, source_rows, every


def _strongest(data: dict[str, Any]) -> tuple[float, str]:
    """Order events strongest first (absolute Goldstein value), then the earliest."""
    return -abs(float(data.get("goldstein") or 0.0)), str(data.get("date", ""))


def _scale(positions: dict[Any, Any], nodes: list[Any]) -> float:
    """Return the pixels per layout unit that keep actors :data:`_SPACING` apart on the median."""
    if len(nodes) < 2:
        return _SCALE
    import numpy as np

    points = np.array([positions[n] for n in nodes], dtype=float)
    nearest = []
    for start in range(0, len(points), 500):  # in blocks: a few thousand actors stay small in memory
        block = points[start : start + 500]
        dist = np.sqrt(((block[:, None, :] - points[None, :, :]) ** 2).sum(axis=2))
        dist[np.arange(len(block)), np.arange(start, start + len(block))] = np.inf
        nearest.extend(dist.min(axis=1))
    median = float(np.median(nearest))
    return max(_SCALE, _SPACING / median) if median > 0 else _SCALE


def _key(a: Any, b: Any, symmetric: bool, sign: int, contested: bool, merged: bool) -> tuple[Any, ...]:
    """Return the link an edge belongs to, as :func:`kg._drawing._links` groups them."""
    if merged:
        return tuple(sorted((a, b), key=str))
    if symmetric and str(b) < str(a):
        a, b = b, a
    return (a, b, symmetric, sign, contested)
