"""Signed triads and Heider balance: :func:`balance`."""

from __future__ import annotations

import logging
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any, NamedTuple, Unpack

from kg._analysis.base import Source, network
from kg._network import ProjectionKeywords, ProjectionOptions, collapse
from kg._tabular import Table

__all__ = ["Balance", "Triad", "balance"]

log = logging.getLogger(__name__)

_READINGS = {
    (1, 1, 1): "friends of friends are friends",
    (-1, -1, 1): "the enemy of my enemy is my friend",
    (-1, 1, 1): "a friend of a friend is an enemy",
    (-1, -1, -1): "three enemies",
}


class Triad(NamedTuple):
    """Three actors related pairwise, and the sign, tone and relations of each pair.

    The actors are in order of label; the pairs are ``(a, b)``, ``(b, c)`` and ``(a, c)``.
    (A named tuple: a large graph has millions of triads.)

    Examples
    --------
    >>> import kg
    >>> triad = kg.balance(kg.load()).triads[0]
    >>> len(triad.nodes), len(triad.signs), triad.labels == tuple(sorted(triad.labels, key=str))
    (3, 3, True)
    """

    nodes: tuple[str, str, str]
    labels: tuple[str, str, str]
    signs: tuple[int, int, int]
    tones: tuple[float, float, float]
    relations: tuple[tuple[str, ...], tuple[str, ...], tuple[str, ...]]

    @property
    def balanced(self) -> bool:
        """Heider balance: the product of the three signs is positive."""
        return self.signs[0] * self.signs[1] * self.signs[2] > 0

    @property
    def pattern(self) -> str:
        """The signs, positive first: ``+++``, ``+--``, ``++-`` or ``---``."""
        return "".join("+" if s > 0 else "-" for s in sorted(self.signs, reverse=True))

    @property
    def reading(self) -> str:
        """What the pattern says, in words."""
        return _READINGS[tuple(sorted(self.signs))]  # type: ignore[index]


@dataclass
class Balance:
    """Every signed triad of a network, and how many are balanced.

    Attributes
    ----------
    triads : list of Triad
        Every triangle of actors whose three pairs have a non-zero tone.
    pairs : int
        Pairs of actors with a non-zero tone (the edges of the signed graph).
    neutral_pairs : int
        Pairs whose tone sums to zero: left out of the signed graph.

    Examples
    --------
    >>> import kg
    >>> result = kg.balance(kg.load())
    >>> result.pairs > 0, all(len(t.labels) == 3 for t in result.triads)
    (True, True)
    """

    triads: list[Triad]
    pairs: int
    neutral_pairs: int
    cut: str = ""

    @property
    def balanced(self) -> int:
        """The number of balanced triads."""
        return sum(1 for t in self.triads if t.balanced)

    @property
    def ratio(self) -> float | None:
        """The share of balanced triads (None when there is no triad)."""
        return self.balanced / len(self.triads) if self.triads else None

    def find(self, *actors: str) -> Triad | None:
        """Return the triad of three actors (IRIs or labels, any order), None when there is none."""
        wanted = {a.casefold() for a in actors}
        for triad in self.triads:
            if wanted in ({n.casefold() for n in triad.nodes}, {n.casefold() for n in triad.labels}):
                return triad
        return None

    def summary(self) -> str:
        """Return one line: the ratio, the counts and the pairs left out."""
        ratio = "n/a" if self.ratio is None else f"{self.ratio:.3f}"
        return (
            f"balance ratio {ratio}: {self.balanced} of {len(self.triads)} triads balanced "
            f"({self.pairs} signed pairs; {self.neutral_pairs} pairs with zero tone left out; "
            f"{self.cut})"
        )

    def as_dict(self) -> dict[str, Any]:
        """Return the summary and every triad as plain data (for JSON)."""
        return {
            "ratio": self.ratio,
            "balanced": self.balanced,
            "triads": len(self.triads),
            "signed_pairs": self.pairs,
            "neutral_pairs": self.neutral_pairs,
            "cut": self.cut,
            "rows": self.table().to_dicts(),
        }

    def table(self, *, unbalanced_only: bool = False) -> Table:
        """Return one row per triad: the actors, the sign and tone of each pair, balanced or not."""
        columns = [
            "a",
            "b",
            "c",
            "sign_ab",
            "sign_bc",
            "sign_ac",
            "balanced",
            "pattern",
            "reading",
            "tone_ab",
            "tone_bc",
            "tone_ac",
            "relations_ab",
            "relations_bc",
            "relations_ac",
        ]
        rows: list[Sequence[Any]] = [
            [
                *t.labels,
                *("+" if s > 0 else "-" for s in t.signs),
                t.balanced,
                t.pattern,
                t.reading,
                *t.tones,
                *("; ".join(r) for r in t.relations),
            ]
            for t in self.triads
            if not (unbalanced_only and t.balanced)
        ]
        return Table(columns, rows, title=self.summary())


def balance(
    source: Source, options: ProjectionOptions | None = None, **overrides: Unpack[ProjectionKeywords]
) -> Balance:
    """Find every signed triad and say whether it is balanced (Heider).

    The signed graph is the collapsed undirected graph: the sign of a pair is the sign of its
    tone (the sum of the Goldstein values of its relations, both directions; the majority of
    the relations' signs when none has a value). Pairs whose tone is zero are left out (counted
    in ``neutral_pairs``). A triad is balanced when the product of its three signs is positive:
    three friends, or two friends with a common enemy.

    Parameters
    ----------
    source : Store or networkx.MultiDiGraph
        A store or a projection of it.
    options, **overrides : ProjectionOptions, keywords, optional
        How a store is projected: see :func:`kg.project`.

    Returns
    -------
    Balance
        The triads (in order of labels) and the balance ratio.

    Examples
    --------
    >>> import networkx as nx
    >>> g = nx.MultiDiGraph()
    >>> g.add_nodes_from((n, {"label": n.upper(), "kind": "State"}) for n in "abc")
    >>> _ = g.add_edge("a", "b", relation_label="allies with", sign=1, goldstein=5.0, event="e1")
    >>> _ = g.add_edge("b", "c", relation_label="attacks", sign=-1, goldstein=-10.0, event="e2")
    >>> _ = g.add_edge("c", "a", relation_label="condemns", sign=-1, goldstein=-2.0, event="e3")
    >>> result = balance(g)
    >>> result.ratio, result.triads[0].pattern, result.triads[0].reading
    (1.0, '+--', 'the enemy of my enemy is my friend')
    """
    net = network(source, ProjectionOptions.of(options, **overrides), reported=True)
    found: Iterable[tuple[tuple[Any, Any], tuple[int, float, tuple[str, ...]]]]
    if net.pairs is not None:  # from the arrays of a network index or a server's aggregates
        found = net.pairs.signed().items()
    else:
        found = (
            ((u, v), (d["sign"], d["tone_sum"], tuple(d["relations"])))
            for u, v, d in collapse(net.graph, directed=False).edges(data=True)
            if u != v
        )
    signed: dict[Any, dict[Any, tuple[int, float, tuple[str, ...]]]] = defaultdict(dict)
    neutral = count = 0
    for (u, v), pair in found:
        if pair[0] == 0:
            neutral += 1
            continue
        signed[u][v] = signed[v][u] = pair
        count += 1
    labels = {n: net.label(n) for n in signed}
    order = {n: i for i, n in enumerate(sorted(signed, key=lambda n: (labels[n], str(n))))}
    triads = []
    for u in sorted(signed, key=order.__getitem__):
        row_u = signed[u]
        later = {v for v in row_u if order[v] > order[u]}
        for v in sorted(later, key=order.__getitem__):
            row_v = signed[v]
            for w in sorted(later.intersection(row_v), key=order.__getitem__):
                if order[w] <= order[v]:
                    continue
                ab, bc, ac = row_u[v], row_v[w], row_u[w]
                triads.append(
                    Triad(
                        (str(u), str(v), str(w)),
                        (labels[u], labels[v], labels[w]),
                        (ab[0], bc[0], ac[0]),
                        (ab[1], bc[1], ac[1]),
                        (ab[2], bc[2], ac[2]),
                    )
                )
    log.info("%d triads among %d signed pairs", len(triads), count)
    return Balance(triads, count, neutral, net.cut_text())
