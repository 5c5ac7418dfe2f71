"""Everything between two actors, in time order, with the running tone: :func:`dyad`."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, Unpack

from kg._analysis.base import Source, before_evidence_note, evidence_of, network
from kg._errors import InputError
from kg._network import ProjectionKeywords, ProjectionOptions
from kg._tabular import Table

__all__ = ["dyad"]


def dyad(
    source: Source,
    a: str,
    b: str,
    options: ProjectionOptions | None = None,
    **overrides: Unpack[ProjectionKeywords],
) -> Table:
    """List everything between two actors, both directions, in date order, with the running tone.

    Parameters
    ----------
    source : Store or networkx.MultiDiGraph
        A store or a projection of it.
    a, b : str
        The two actors: label, alias, local name or IRI.
    options, **overrides : ProjectionOptions, keywords, optional
        How a store is projected: see :func:`kg.project`.

    Returns
    -------
    Table
        ``date``, ``end_date``, ``actor``, ``relation``, ``target``, ``sign``, ``goldstein``,
        ``running_tone`` (the sum of the Goldstein values so far), ``contested``, ``standing``,
        ``before_evidence`` (a standing relation counted before its first evidence), ``event``,
        ``source``, ``quote``.

    Examples
    --------
    >>> import networkx as nx
    >>> g = nx.MultiDiGraph()
    >>> g.add_nodes_from((n, {"label": n.upper(), "kind": "State"}) for n in "ab")
    >>> _ = g.add_edge("a", "b", relation_label="condemns", sign=-1, goldstein=-2.0, date="2023-01-05")
    >>> _ = g.add_edge("b", "a", relation_label="meets", sign=1, goldstein=1.0, date="2023-01-01")
    >>> [(row[0], row[3], row[7]) for row in dyad(g, "a", "b")]
    [('2023-01-01', 'meets', 1.0), ('2023-01-05', 'condemns', -1.0)]
    """
    net = network(source, ProjectionOptions.of(options, **overrides), named=(a, b))
    u, v = net.node(a), net.node(b)
    if u == v:
        raise InputError(f"{a!r} and {b!r} are the same actor ({net.label(u)}): give two actors")
    edges, _ = net.edges_between(u, v, directed=False)
    rows: list[Sequence[Any]] = []
    tone = 0.0
    for p, q, data in edges:
        item = evidence_of(net, p, q, data)
        tone += item["goldstein"] or 0.0
        rows.append(
            [
                item["date"],
                item["end_date"],
                item["actor_label"],
                item["relation_label"],
                item["target_label"],
                item["sign"],
                item["goldstein"],
                round(tone, 6),
                item["contested"],
                item["standing"],
                item["before_evidence"],
                item["event"],
                item["source"],
                item["quote"],
            ]
        )
    span = f", {rows[0][0]} .. {max(r[0] for r in rows)}" if rows else ""
    early = before_evidence_note(sum(1 for r in rows if r[10]))
    title = (
        f"{net.label(u)} and {net.label(v)}: {len(rows)} relations, total tone {round(tone, 6):g}{span} "
        f"({net.cut_text()}){'; ' + early if early else ''}"
    )
    return Table(
        [
            "date",
            "end_date",
            "actor",
            "relation",
            "target",
            "sign",
            "goldstein",
            "running_tone",
            "contested",
            "standing",
            "before_evidence",
            "event",
            "source",
            "quote",
        ],
        rows,
        title=title,
    )
