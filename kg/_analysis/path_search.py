"""Paths between two actors, each hop explained by the relations behind it: :func:`paths`.

Searches run on the collapsed graph (one edge per pair of actors) and the evidence (relation,
date, source, quote, event) is attached afterwards from the projection's parallel edges:
enumerating paths over parallel edges gives the same answer many times over.
"""

from __future__ import annotations

import itertools
import logging
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from typing import Any, Unpack

import networkx as nx

from kg._analysis.base import Source, before_evidence_note, evidence_of, network
from kg._errors import InputError
from kg._network import ProjectionKeywords, ProjectionOptions
from kg._tabular import Table

__all__ = ["Hop", "Path", "Paths", "paths"]

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Hop:
    """One step of a path and the relations that make it (in date order)."""

    source: str
    target: str
    source_label: str
    target_label: str
    evidence: tuple[dict[str, Any], ...]
    more: int = 0
    """How many relations of this pair were left out (``evidence=`` limit)."""


@dataclass(frozen=True)
class Path:
    """A path between two actors: its nodes and one :class:`Hop` per step."""

    nodes: tuple[str, ...]
    hops: tuple[Hop, ...]
    shortest: bool

    def __len__(self) -> int:
        return len(self.hops)

    @property
    def labels(self) -> tuple[str, ...]:
        """The labels of the actors along the path."""
        return (self.hops[0].source_label, *(h.target_label for h in self.hops)) if self.hops else ()


@dataclass
class Paths:
    """The shortest path(s) between two actors and every simple path up to ``max_hops``.

    Paths are in order of length, then of the actors' labels; each hop carries its evidence.

    Examples
    --------
    >>> import kg
    >>> found = kg.paths(kg.load(), "Israel", "Turkey")
    >>> found.source_label, found.target_label, len(found.paths) > 0
    ('Israel', 'Turkey', True)
    """

    source: str
    target: str
    source_label: str
    target_label: str
    paths: list[Path] = field(default_factory=list)
    max_hops: int = 3
    directed: bool = False
    truncated: bool = False
    note: str = ""
    cut: str = ""

    def __iter__(self) -> Iterator[Path]:
        return iter(self.paths)

    def __len__(self) -> int:
        return len(self.paths)

    def __bool__(self) -> bool:
        return bool(self.paths)

    @property
    def shortest(self) -> list[Path]:
        """The shortest paths."""
        return [p for p in self.paths if p.shortest]

    def table(self) -> Table:
        """Return one row per piece of evidence: path, hop, actors and relation, date, source, quote."""
        columns = [
            "path",
            "length",
            "shortest",
            "hop",
            "from",
            "to",
            "actor",
            "relation",
            "target",
            "date",
            "before_evidence",
            "sign",
            "goldstein",
            "source",
            "quote",
            "event",
        ]
        rows: list[Sequence[Any]] = []
        for number, path in enumerate(self.paths, 1):
            for step, hop in enumerate(path.hops, 1):
                for item in hop.evidence:
                    rows.append(
                        [
                            number,
                            len(path),
                            path.shortest,
                            step,
                            hop.source_label,
                            hop.target_label,
                            item["actor_label"],
                            item["relation_label"],
                            item["target_label"],
                            item["date"],
                            item["before_evidence"],
                            item["sign"],
                            item["goldstein"],
                            item["source"],
                            item["quote"],
                            item["event"],
                        ]
                    )
        kind = "directed" if self.directed else "undirected"
        title = (
            f"paths from {self.source_label} to {self.target_label} ({kind}, up to {self.max_hops} hops"
            f"{', ' + self.cut if self.cut else ''})"
        )
        if self.truncated:
            title += ", first paths only"
        more = sum(h.more for p in self.paths for h in p.hops)
        if more:
            title += f", {more} more relations of these hops not listed"
        early = before_evidence_note(
            len(
                {
                    str(item["event"])
                    for p in self.paths
                    for h in p.hops
                    for item in h.evidence
                    if item["before_evidence"]
                }
            )
        )
        if early:
            title += f"; {early}"
        if self.note:
            title += f": {self.note}"
        return Table(columns, rows, title=title)


def paths(
    source: Source,
    a: str,
    b: str,
    options: ProjectionOptions | None = None,
    *,
    max_hops: int = 3,
    directed: bool = False,
    limit: int | None = 100,
    evidence: int | None = None,
    **overrides: Unpack[ProjectionKeywords],
) -> Paths:
    """Find the shortest path(s) and every simple path up to ``max_hops`` between two actors.

    Paths are searched on the collapsed graph (one edge per pair); each hop is then explained by
    the relations behind it: relation, date, source, quote and event.

    Parameters
    ----------
    source : Store or networkx.MultiDiGraph
        A store (projected with ``options``) or a projection of :func:`kg._network.project`.
    a, b : str
        The two actors: label, alias, local name or IRI.
    options, **overrides : ProjectionOptions, keywords, optional
        How a store is projected: see :func:`kg.project`. Folded (the default), the two actors
        named are kept apart with their posts and memberships, so that a path to a minister ends
        at the minister through the state the minister serves; not folded, paths keep the
        structural relations unless ``structural=False`` is given.
    max_hops : int, default 3
        The longest path listed besides the shortest ones (which are listed whatever their length).
    directed : bool, default False
        Follow relations from actor to target only (symmetric relations run both ways).
    limit : int or None, default 100
        The most paths listed (shortest first); None for all.
    evidence : int or None
        The most relations listed per hop (in date order); None for all.

    Returns
    -------
    Paths
        Empty, with a ``note``, when the actors are not connected in this cut.

    Raises
    ------
    UnknownNameError
        For a name no actor goes by (with suggestions).
    InputError
        For the same actor twice, a bad ``max_hops``, or a bad time cut.

    Examples
    --------
    >>> import networkx as nx
    >>> g = nx.MultiDiGraph()
    >>> g.add_nodes_from((n, {"label": n.upper(), "kind": "State"}) for n in "abc")
    >>> _ = g.add_edge("a", "b", relation="r", relation_label="meets", date="2023-01-02", event="e1")
    >>> _ = g.add_edge("c", "b", relation="r", relation_label="meets", date="2023-01-03", event="e2")
    >>> found = paths(g, "A", "C")
    >>> found.shortest[0].labels
    ('A', 'B', 'C')
    >>> [str(h.evidence[0]["event"]) for h in found.shortest[0].hops]
    ['e1', 'e2']
    """
    if max_hops < 1:
        raise InputError(f"max_hops must be 1 or more, not {max_hops}")
    chosen = ProjectionOptions.of(options, **overrides)
    net = network(source, chosen, named=(a, b), structural=not chosen.fold)
    u, v = net.node(a), net.node(b)
    result = Paths(u, v, net.label(u), net.label(v), max_hops=max_hops, directed=directed, cut=net.cut_text())
    folded = [
        f"{net.label(net.resolve(n))} folded into {net.label(x)}" for n, x in ((a, u), (b, v)) if net.resolve(n) != x
    ]
    if u == v:
        raise InputError(
            f"{a!r} and {b!r} are the same actor ({net.label(u)})"
            + (" once folded" if net.meta.get("folded") else "")
            + ": give two actors"
        )
    for node, name in ((u, a), (v, b)):
        if node not in net:
            result.note = f"{name} ({net.label(node)}) has no relation in this cut ({net.cut_text()})"
            return result
    # Searched on the collapsed graph: enumerating paths over parallel edges finds each many times.
    found = _search(net.weighted(directed=directed), u, v, net.label, max_hops=max_hops, limit=limit)
    if not found:
        result.note = f"no path in this cut ({net.cut_text()})"
        return result
    length = len(found[0]) - 1
    if limit is not None and len(found) > limit:
        found, result.truncated = found[:limit], True
    for nodes in found:
        hops_: list[Hop] = []
        for x, y in itertools.pairwise(nodes):
            kept, total = net.edges_between(x, y, directed=directed, limit=evidence)
            hops_.append(
                Hop(
                    str(x),
                    str(y),
                    net.label(x),
                    net.label(y),
                    tuple(evidence_of(net, p, q, d) for p, q, d in kept),
                    total - len(kept),
                )
            )
        result.paths.append(Path(tuple(str(n) for n in nodes), tuple(hops_), len(nodes) - 1 == length))
    result.note = "; ".join(folded)
    log.info("%d paths from %s to %s", len(result.paths), result.source_label, result.target_label)
    return result


def _search(
    skeleton: nx.Graph[Any], u: Any, v: Any, label: Callable[[Any], str], *, max_hops: int, limit: int | None
) -> list[tuple[Any, ...]]:
    """Return the shortest paths from ``u`` to ``v``, then the longer ones up to ``max_hops``.

    Each length in order of labels; at most ``limit + 1`` paths (one more than shown: to know
    whether there are more); none when ``v`` cannot be reached.
    """
    cap = None if limit is None else limit + 1

    def by_labels(path: tuple[Any, ...]) -> list[str]:
        return [label(n) for n in path]

    try:
        shortest = [tuple(p) for p in itertools.islice(nx.all_shortest_paths(skeleton, u, v), cap)]
    except nx.NetworkXNoPath:
        return []
    found: list[tuple[Any, ...]] = sorted(shortest, key=by_labels)
    for hops in range(len(found[0]), max_hops + 1):
        room = None if cap is None else cap - len(found)
        if room is not None and room <= 0:
            break
        longer = (tuple(p) for p in nx.all_simple_paths(skeleton, u, v, cutoff=hops) if len(p) - 1 == hops)
        found += sorted(itertools.islice(longer, room), key=by_labels)
    return found
