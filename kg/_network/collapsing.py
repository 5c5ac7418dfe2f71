"""Parallel edges folded into one edge per pair of actors, with counts and tone: :func:`collapse`."""

from __future__ import annotations

import math
from collections import defaultdict
from typing import Any

import networkx as nx

__all__ = ["TONE_DIGITS", "collapse", "tone_sign"]


def collapse(graph: nx.MultiDiGraph[Any] | nx.Graph[Any], *, directed: bool = True) -> nx.Graph[Any]:
    """Collapse parallel edges into one edge per ordered (or, ``directed=False``, unordered) pair.

    Each edge then carries ``count``, ``tone_sum`` and ``tone_mean`` (of the Goldstein values),
    ``sign`` (of the tone, or of the relations when no value is known: :func:`tone_sign`), ``relations`` (the
    relation labels, in order of first date), ``events`` (the event IRIs in date order),
    ``contested`` (any edge contested) and ``first_date`` / ``last_date``.

    Examples
    --------
    >>> import networkx as nx
    >>> g = nx.MultiDiGraph()
    >>> g.add_edge("a", "b", relation="r", relation_label="condemns", sign=-1, goldstein=-2.0,
    ...            date="2023-10-17", event="e1", contested=False)
    0
    >>> g.add_edge("a", "b", relation="r", relation_label="condemns", sign=-1, goldstein=-4.0,
    ...            date="2023-10-18", event="e2", contested=False)
    1
    >>> c = collapse(g)
    >>> c["a"]["b"]["count"], c["a"]["b"]["tone_mean"]
    (2, -3.0)
    """
    result: nx.Graph[Any] = nx.DiGraph() if directed else nx.Graph()
    result.graph.update(graph.graph)
    result.add_nodes_from(graph.nodes(data=True))
    grouped: dict[tuple[Any, Any], list[dict[str, Any]]] = defaultdict(list)
    if graph.is_directed():  # each edge once, read through the adjacency (parallel edges together)
        for a, nbrs in graph.adj.items():
            for b, keyed in nbrs.items():
                pair = (a, b) if directed or str(a) <= str(b) else (b, a)
                grouped[pair].extend(keyed.values())
    else:
        for a, b, data in graph.edges(data=True):
            grouped[(a, b) if str(a) <= str(b) else (b, a)].append(data)
    add_edge = result.add_edge
    for (a, b), edges in grouped.items():
        if len(edges) > 1:
            edges.sort(key=_date_event)
        values, signs, contested, last = [], 0, False, ""
        for d in edges:
            value = d.get("goldstein")
            if value is not None:
                values.append(value)
            signs += d["sign"]
            contested = contested or bool(d.get("contested"))
            date = d.get("date", "")
            if date > last:
                last = date
        tone_sum, tones = math.fsum(values), len(values)
        sign = tone_sign(tone_sum, tones, signs)
        add_edge(
            a,
            b,
            count=len(edges),
            tone_sum=tone_sum,
            tone_mean=tone_sum / tones if tones else 0.0,
            sign=sign,
            relations=list(dict.fromkeys(d["relation_label"] for d in edges)),
            events=[d["event"] for d in edges],
            contested=contested,
            first_date=edges[0].get("date", ""),
            last_date=last,
            weight=len(edges),
        )
    return result


def tone_sign(tone_sum: float, tones: int, signs: int) -> int:
    """Return the sign of a pair's relations: of their summed Goldstein tone, else of their signs.

    ``tone_sum`` is the sum (:func:`math.fsum`, so that it does not depend on the order the
    relations are read in) of the ``tones`` Goldstein values known, ``signs`` the sum of the
    relations' signs, used when no value is known. The tone counts to :data:`TONE_DIGITS`
    decimals: the values are decimals (``-4.4``), and the sum of their binary approximations
    can miss 0 by 1e-16 (``2.5 - 4.4 + 1.9`` is not 0 in floating point).

    Examples
    --------
    >>> tone_sign(-1.5, 2, 2), tone_sign(0.0, 0, 2), tone_sign(0.0, 1, -1)
    (-1, 1, 0)
    >>> import math
    >>> math.fsum([2.5, -4.4, 1.9]) != 0, tone_sign(math.fsum([2.5, -4.4, 1.9]), 3, 1)
    (True, 0)
    """
    total = round(tone_sum, TONE_DIGITS) if tones else signs
    return 1 if total > 0 else -1 if total < 0 else 0


TONE_DIGITS = 6
"""The decimals a tone (a sum of Goldstein values) is counted and shown to."""


def _date_event(data: dict[str, Any]) -> tuple[str, str]:
    return data.get("date", ""), data.get("event", "")
