"""The relationship map (:func:`draw`): lay out, then draw edges, nodes and their labels."""

from __future__ import annotations

import difflib
import logging
import math
import textwrap
from collections.abc import Sequence
from typing import Any, Unpack

import networkx as nx
import numpy as np
from matplotlib.axes import Axes
from matplotlib.collections import LineCollection, PolyCollection
from matplotlib.figure import Figure

from kg._analysis import MEASURES
from kg._drawing._frame import _axes_points, _Canvas, _claim_names, _empty, _frame, _map_subtitle, _Ruler
from kg._drawing._geometry import _choose_sides, _declutter, _fit, _geometry, _Node, _place_edge_labels
from kg._drawing._grammar import (
    _DASHES,
    _EDGE_LABEL_BUDGET,
    _LABEL_BUDGET,
    _MERGED_LABEL_BUDGET,
    _TEXT_COLOURS,
    SIGN_COLOURS,
    VIEWS,
    _kind_style,
    _plural,
)
from kg._drawing._layout import _layout
from kg._drawing._legend import _legend_sections, _stack_legends
from kg._drawing._links import _Link, _links
from kg._drawing._nodes import (
    _actor,
    _actors_of,
    _before_evidence,
    _label_of,
    _projected,
    _projected_pairs,
    _ranked,
    _scores,
    _view_nodes,
)
from kg._drawing._saving import _gc_paused, _style
from kg._errors import InputError, UnknownNameError
from kg._network import PairNetwork, ProjectionKeywords, ProjectionOptions
from kg._store import Store

__all__ = ["draw"]

log = logging.getLogger(__name__)


def draw(
    data: Store | nx.MultiDiGraph[Any],
    options: ProjectionOptions | None = None,
    *,
    view: str | None = None,
    focus: str | None = None,
    hops: int = 1,
    top: int | None = None,
    measure: str = "degree",
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
    **overrides: Unpack[ProjectionKeywords],
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
    options : ProjectionOptions, optional
        The options of :func:`kg.project` (each may also be given as a keyword, e.g.
        ``as_of="2023-10-19"``, which overrides ``options``): by default persons, bodies and missions are
        folded into the state or organisation they act for (the ``focus`` kept apart), and the
        edges of contested accounts are drawn, dashed, with (up to eight) claims numbered in the
        legend.
    **overrides
        Any field of :class:`kg.ProjectionOptions` as a keyword, replacing the value of ``options``.
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
    chosen = ProjectionOptions.of(options, **overrides)
    named = (focus,) if view == "ego" else ()
    graph, store = _projected_pairs(data, chosen, store, named=named)
    whole = None
    if fixed_layout and isinstance(data, Store) and chosen.cut:
        whole, _ = _projected(data, chosen.replace(as_of=None, since=None, until=None), store, named=named)
    with _gc_paused():
        return _draw(
            graph,
            store,
            view=view,
            focus=focus,
            hops=hops,
            top=top,
            measure=measure,
            claims=chosen.claims,
            from_store=isinstance(data, Store),
            canvas=_Canvas(ax, width, height, dpi, title, subtitle),
            seed=seed,
            max_links=max_links,
            whole=whole,
        )


def _draw(
    source: nx.MultiDiGraph[Any] | PairNetwork,
    store: Store | None,
    *,
    view: str,
    focus: str | None,
    hops: int,
    top: int,
    measure: str,
    claims: bool,
    from_store: bool,
    canvas: _Canvas,
    seed: int,
    max_links: int | None,
    whole: nx.MultiDiGraph[Any] | None = None,
) -> Figure:
    # ``whole``: the same projection without the time cut, whose layout the map keeps.
    ax, width, height, dpi, title, subtitle = canvas
    assert height is not None  # a map's height is always given
    # A store with a network index is drawn from its projection kept as arrays (``source``):
    # the actors are chosen on its pairs, the links read from its arrays among them.
    graph = _actors_of(source)
    scores = _scores(source, measure)
    centre = _actor(graph, focus, store) if focus is not None and view == "ego" else None
    nodes, total = _view_nodes(graph, scores, view=view, centre=centre, hops=hops, top=top)
    links, tally, all_links = _links(source, nodes, max_links=max_links)
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
            early=_before_evidence(source),
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


def _draw_links(main: Axes, drawn: Sequence[Any], *, merged: bool) -> list[tuple[Any, Any]]:
    """Draw the edges ``drawn`` (from :func:`_geometry`) and their arrowheads; return the heads."""
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
    return heads


def _draw_map(
    main: Axes,
    graph: nx.Graph[Any],
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
    heads = _draw_links(main, drawn, merged=merged)
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
