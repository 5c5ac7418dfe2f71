"""The timeline (:func:`draw_timeline`): one row per dyad, one mark per event, in time."""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, Unpack

import networkx as nx
import numpy as np
from matplotlib.axes import Axes
from matplotlib.collections import LineCollection
from matplotlib.dates import AutoDateLocator, ConciseDateFormatter, DateFormatter, date2num
from matplotlib.figure import Figure

from kg._drawing._frame import (
    _axes_points,
    _Canvas,
    _claim_names,
    _empty,
    _Ruler,
    _sources_text,
    _titled_figure,
    _window_text,
    _wrap,
)
from kg._drawing._grammar import _TEXT_COLOURS, SIGN_COLOURS, _plural
from kg._drawing._legend import _timeline_legend
from kg._drawing._links import _Tally
from kg._drawing._nodes import _actor, _label_of, _projected
from kg._drawing._saving import _gc_paused, _style
from kg._network import ProjectionKeywords, ProjectionOptions
from kg._store import Store
from kg._timecut import parse_date

__all__ = ["draw_timeline"]


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
    data: Store | nx.MultiDiGraph[Any],
    a: str | None = None,
    b: str | None = None,
    options: ProjectionOptions | None = None,
    *,
    store: Store | None = None,
    ax: Axes | None = None,
    width: float = 12.0,
    height: float | None = None,
    dpi: float = 100.0,
    title: str | None = None,
    subtitle: str | None = None,
    max_rows: int = 30,
    max_marks: int = 300,
    **overrides: Unpack[ProjectionKeywords],
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
    options : ProjectionOptions, optional
        The options of :func:`kg.project` (or keywords overriding them, e.g. ``as_of=...``).
    **overrides
        Any field of :class:`kg.ProjectionOptions` as a keyword, replacing the value of ``options``.
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
    chosen = ProjectionOptions.of(options, **overrides)
    graph, store = _projected(data, chosen, store, named=(a, b))
    with _gc_paused():
        return _timeline(
            graph,
            store,
            a,
            b,
            claims=chosen.claims,
            from_store=isinstance(data, Store),
            canvas=_Canvas(ax, width, height, dpi, title, subtitle),
            max_rows=max_rows,
            max_marks=max_marks,
        )


def _timeline(
    graph: nx.MultiDiGraph[Any],
    store: Store | None,
    a: str | None,
    b: str | None,
    *,
    claims: bool,
    from_store: bool,
    canvas: _Canvas,
    max_rows: int,
    max_marks: int,
) -> Figure:
    ax, width, height, dpi, title, subtitle = canvas
    ends = [_actor(graph, name, store) for name in (a, b) if name]
    rows, ordered, dropped = _rows(graph, ends, max_rows)
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


def _rows(
    graph: nx.MultiDiGraph[Any], ends: Sequence[Any], max_rows: int
) -> tuple[dict[tuple[Any, Any], list[dict[str, Any]]], list[tuple[Any, Any]], int]:
    """Return the dated edges of each dyad touching ``ends``, the dyads kept in order, how many dropped."""
    rows: dict[tuple[Any, Any], list[dict[str, Any]]] = defaultdict(list)
    for u, v, edge in graph.edges(data=True):
        if u != v and edge.get("date") and all(end in (u, v) for end in ends):
            rows[(u, v)].append(edge)
    ordered = _order_rows(graph, rows)
    dropped = max(len(ordered) - max_rows, 0)
    if dropped:
        busiest = set(sorted(ordered, key=lambda k: (-len(rows[k]), ordered.index(k)))[:max_rows])
        ordered = [k for k in ordered if k in busiest]
    return rows, ordered, dropped


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


def _order_rows(graph: nx.Graph[Any], rows: dict[tuple[Any, Any], list[dict[str, Any]]]) -> list[tuple[Any, Any]]:
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


def _row_name(graph: nx.Graph[Any], key: tuple[Any, Any], edges: Sequence[dict[str, Any]]) -> str:
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


def _spans(
    ax: Axes, spans: Sequence[tuple[_Mark, Any]], *, linewidth: float, alpha: float, zorder: int, gid: str
) -> None:
    """Draw the segments of ``spans`` (``(mark, segment)``) in the colour of each mark's sign."""
    if spans:
        ax.add_collection(
            LineCollection(
                [s for _, s in spans],
                colors=[SIGN_COLOURS[m.sign] for m, _ in spans],
                linewidths=linewidth,
                alpha=alpha,
                zorder=zorder,
                capstyle="butt",
                gid=gid,
            )
        )


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
    _spans(ax, bars, linewidth=2.2, alpha=0.55, zorder=2, gid="intervals")
    _spans(ax, bands, linewidth=7, alpha=0.18, zorder=1, gid="standing")
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
