"""The map layout in layout units: stress majorization per component, components packed.

Pure numpy and networkx (no matplotlib): the web page lays its actors out with it too.
"""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Sequence
from typing import Any

import networkx as nx
import numpy as np

from kg._drawing._links import _Link

__all__: list[str] = []


_SPREAD = 0.45  # extra length of an edge per relation named on it (in edge lengths)

_STRETCH = 1.35  # how much more a layout may be stretched along one axis than the other


def _layout(nodes: Sequence[Any], links: Sequence[_Link], seed: int, aspect: float) -> dict[Any, np.ndarray]:
    """Place the nodes (in layout units): each component on its own, then packed together.

    Small components settle in an empty corner of the largest one when there is room, the rest
    are packed in rows, with the row width that lets the picture be drawn largest.
    """
    graph: nx.Graph[Any] = nx.Graph()
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
        sub: nx.Graph[Any] = nx.Graph()  # built in sorted order: a subgraph view iterates a set, in hash order
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


def _component_layout(sub: nx.Graph[Any], seed: int) -> dict[Any, np.ndarray]:
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
        turned: np.ndarray = np.sign(
            (q[..., 0] - p[..., 0]) * (r[..., 1] - p[..., 1]) - (q[..., 1] - p[..., 1]) * (r[..., 0] - p[..., 0])
        )
        return turned

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
