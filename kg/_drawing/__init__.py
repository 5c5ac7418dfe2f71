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
relations of each pair into one edge, as :func:`kg.collapse` summarises the pair (the
one grouping of the package): its colour the sign of the summed Goldstein tone (of the relations'
signs when no event has a value), dashed when any of its events is part of a contested account,
an arrowhead at each end that receives a directed relation, its label the two commonest
relations; only a backbone is drawn (the maximum spanning forest, then the heaviest links) and
only the heaviest links are named. Edges are drawn as collections (one
``LineCollection``, one ``PolyCollection`` of arrowheads) and the edges are counted by pair and
kind of relation before anything else, so a top-50 map of a million events draws in a few
seconds (``benchmarks/drawing.py``).

One job a module: :mod:`._nodes` (which actors, by which name), :mod:`._links` (the links, from the
projection's grouping), :mod:`._layout` (positions; numpy and networkx only), :mod:`._geometry`
(labels, curves and arrowheads in points; numpy only), :mod:`._frame` (title, subtitle, panels),
:mod:`._legend`, :mod:`._map` (:func:`draw`), :mod:`._timeline` (:func:`draw_timeline`) and
:mod:`._saving` (:func:`save_figure`); :mod:`._grammar` holds the colours and shapes they share.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from kg._drawing._grammar import KIND_STYLES, SIGN_COLOURS, VIEWS
from kg._lazy import attach

if TYPE_CHECKING:
    from kg._drawing._map import draw
    from kg._drawing._saving import save_figure
    from kg._drawing._timeline import draw_timeline

__all__ = ["KIND_STYLES", "SIGN_COLOURS", "VIEWS", "draw", "draw_timeline", "save_figure"]

# Imported on first use (PEP 562), so that the layout and geometry modules load without matplotlib.
_WHERE, __getattr__ = attach(__name__, __file__)
