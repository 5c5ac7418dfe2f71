"""The legends of the map (actors, relations, sizes, widths, claims) and of the timeline."""

from __future__ import annotations

import textwrap
from collections import Counter
from collections.abc import Iterable, Sequence
from typing import TYPE_CHECKING, Any

import networkx as nx
from matplotlib.axes import Axes
from matplotlib.legend import Legend
from matplotlib.lines import Line2D
from matplotlib.patches import Patch

from kg._drawing._frame import _renderer
from kg._drawing._geometry import _width
from kg._drawing._grammar import _DASHES, _SIGN_NAMES, KIND_STYLES, SIGN_COLOURS, _kind_style, _plural
from kg._drawing._links import _Link

if TYPE_CHECKING:
    from kg._drawing._timeline import _Mark

__all__: list[str] = []


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


def _kind_handles(kinds: Iterable[str]) -> tuple[list[Any], list[str]]:
    present = set(kinds)
    order = [k for k in KIND_STYLES if k in present] + sorted(k for k in present if k not in KIND_STYLES)
    handles, labels = [], []
    for kind in order:
        name, marker, colour = _kind_style(kind)
        handles.append(_marker(colour, "#333333", 10, marker=marker, edge_width=0.8))
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
        labels.append(
            "dashed: some of its events are\npart of a contested account"
            if merged
            else "dashed: part of a contested\naccount (claim disputed)"
        )
    if any(not x.symmetric for x in links):
        handles.append(Line2D([0, 1], [0, 0], color="#505050", linewidth=1.5, marker=">", markersize=6, markevery=[1]))
        labels.append("arrow: from actor to target")
    if any(x.symmetric for x in links):
        handles.append(Line2D([], [], color="#505050", linewidth=1.5))
        labels.append("no arrow: mutual relation")
    return handles, labels


def _marker(face: str, edge: str, size: float, *, marker: str = "o", edge_width: float | None = None) -> Line2D:
    """Return a legend handle: a marker alone (no line), ``size`` points wide."""
    style: dict[str, Any] = {} if edge_width is None else {"markeredgewidth": edge_width}
    return Line2D(
        [], [], linestyle="none", marker=marker, markersize=size, markerfacecolor=face, markeredgecolor=edge, **style
    )


_Section = tuple[str, list[Any], list[str]]


def _legend_sections(
    graph: nx.Graph[Any],
    nodes: Sequence[Any],
    links: Sequence[_Link],
    *,
    measure: str,
    merged: bool,
    claims: dict[str, str],
    focus: bool,
) -> list[_Section]:
    most = max((x.count for x in links), default=1)
    sizes = [_marker("white", "#333333", size) for size in (6, 11, 16)]
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
                [_marker("white", "#111111", 10, edge_width=2.4)],
                ["thick outline, bold name"],
            )
        )
    return sections


def _timeline_legend(ax: Axes, marks: dict[tuple[Any, Any], list[_Mark]]) -> None:
    present = [m for ms in marks.values() for m in ms]
    handles: list[Any] = []
    labels: list[str] = []
    for sign in (1, -1, 0):
        if any(m.sign == sign for m in present):
            handles.append(_marker(SIGN_COLOURS[sign], SIGN_COLOURS[sign], 7))
            labels.append(_SIGN_NAMES[sign])
    if any(m.contested for m in present):
        handles.append(_marker("white", "#505050", 7, edge_width=1.6))
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
