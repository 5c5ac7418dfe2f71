"""The visual grammar shared by the maps, the timeline and the web page: colours, shapes, budgets.

No matplotlib here: the web page (:mod:`kg._web.page`) reads the same colours and shapes.
"""

from __future__ import annotations

from typing import Any

__all__ = ["KIND_STYLES", "SIGN_COLOURS", "VIEWS"]


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


def _plural(n: int, word: str) -> str:
    return f"{n:,} {word}{'' if n == 1 else 's'}"


def _kind_style(kind: str) -> tuple[str, str, str]:
    return KIND_STYLES.get(kind, _OTHER_KIND)
