"""The figure around a map or a timeline: title, subtitle (time window, counts, sources), panels."""

from __future__ import annotations

import io
import textwrap
from collections.abc import Collection, Iterable, Sequence
from typing import Any, NamedTuple

import networkx as nx
from matplotlib.axes import Axes
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure
from rdflib import URIRef

from kg._drawing._grammar import _CLAIM_LIMIT, _CROWDED, _plural
from kg._drawing._links import _Tally
from kg._drawing._saving import _style
from kg._store import Store
from kg._tabular import short_iri

__all__: list[str] = []


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


def _window_text(graph: nx.Graph[Any], tally: _Tally) -> str:
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


def _sources_text(sources: Collection[str], store: Store | None) -> str:
    """Name the sources: publisher, date, headline and wire of up to three, else count them.

    Beyond three, the headlines of two are given as examples: of the least and the greatest IRI
    (what a server counting the sources sends besides their number, :class:`kg._network.Sample`).
    """
    if not sources:
        return ""
    if store is None or len(sources) > 3:
        named = []
        ordered = sorted(sources)
        for source in dict.fromkeys(ordered[:1] + ordered[-1:]):  # the least and the greatest IRI
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


def _map_subtitle(
    graph: nx.Graph[Any],
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
    early: int,
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


class _Canvas(NamedTuple):
    """The figure options :func:`kg.draw` and :func:`kg.draw_timeline` share.

    Where to draw (a given ``ax``, else a new figure of that size), and the title and subtitle
    that replace the ones they write (None: theirs).
    """

    ax: Axes | None
    width: float
    height: float | None
    dpi: float
    title: str | None
    subtitle: str | None


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


def _empty(ax: Axes, message: str) -> None:
    ax.set_axis_off()
    ax.text(0.5, 0.5, message, ha="center", va="center", fontsize=12, color="#505050", transform=ax.transAxes)
