"""Geometry in points: fitting a layout, pushing labels apart, curving edges, placing edge labels.

Pure numpy (no matplotlib): boxes, curves and arrowheads are computed here, drawn in :mod:`._map`.
"""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

from kg._drawing._layout import _STRETCH
from kg._drawing._links import _Link

__all__: list[str] = []


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
