"""Actors ranked by a centrality measure on the collapsed graph: :func:`centrality`."""

from __future__ import annotations

import difflib
from collections.abc import Iterable, Sequence
from typing import Any, Unpack

import networkx as nx
import numpy as np

from kg._analysis.base import Source, iri_of, network
from kg._errors import InputError, UnknownNameError
from kg._network import ProjectionKeywords, ProjectionOptions
from kg._tabular import Table

__all__ = ["MEASURES", "centrality"]

MEASURES = ("degree", "in-degree", "out-degree", "betweenness", "closeness", "pagerank", "eigenvector")
"""The centrality measures :func:`centrality` computes."""

_DIRECTED_MEASURES = {"in-degree", "out-degree", "pagerank"}


def _eigenvector(graph: nx.Graph[Any]) -> dict[Any, float]:
    """Return the weighted eigenvector centrality of a connected graph, the same on every run.

    As :func:`networkx.eigenvector_centrality_numpy` (ARPACK, the leading eigenvector scaled to
    unit length and positive sum), but started from a fixed vector: networkx starts from a random
    one, so that two runs differed in the last digits, and actors of nearly equal score swapped
    ranks from one run to the next.
    """
    import scipy.sparse.linalg  # type: ignore[import-untyped]  # (no stubs; networkx needs scipy for this too)

    nodes = list(graph)
    matrix = nx.to_scipy_sparse_array(graph, nodelist=nodes, weight="weight", dtype=np.dtype(float))
    _, vectors = scipy.sparse.linalg.eigs(matrix.T, k=1, which="LR", v0=np.ones(len(nodes)), tol=0)
    largest = vectors.flatten().real
    norm = float(np.sign(largest.sum()) * np.linalg.norm(largest))
    return dict(zip(nodes, (largest / norm).tolist(), strict=True))


def _scores(weighted: nx.Graph[Any], measure: str) -> tuple[dict[Any, float], str]:
    if weighted.number_of_nodes() == 0:
        return {}, ""
    if measure == "degree":
        return nx.degree_centrality(weighted), "share of the other actors related to"
    if measure == "in-degree":
        return nx.in_degree_centrality(weighted), "share of the other actors acting on it"
    if measure == "out-degree":
        return nx.out_degree_centrality(weighted), "share of the other actors it acts on"
    if measure == "betweenness":
        return nx.betweenness_centrality(weighted, normalized=True), "unweighted shortest paths, normalised"
    if measure == "closeness":
        return nx.closeness_centrality(weighted), "unweighted, Wasserman-Faust scaled for reach"
    if measure == "pagerank":
        scores = nx.pagerank(weighted, weight="weight", tol=1e-12, max_iter=10_000)
        return scores, "weighted by number of relations, damping 0.85"
    # Eigenvector centrality is defined on a connected graph: take the largest component of the
    # undirected graph and solve it exactly (numpy/scipy); every other actor scores 0.
    undirected = weighted.to_undirected() if weighted.is_directed() else weighted
    component = max(nx.connected_components(undirected), key=lambda c: (len(c), sorted(map(str, c))))
    scores = dict.fromkeys(weighted, 0.0)
    sub = undirected.subgraph(component)
    if len(component) < 3:
        scores.update(dict.fromkeys(component, 1.0 / len(component) ** 0.5))
    else:
        scores.update(_eigenvector(sub))
    note = (
        f"weighted by number of relations, undirected, on the largest component "
        f"({len(component)} of {weighted.number_of_nodes()} actors; the others score 0)"
    )
    return scores, note


def centrality(
    source: Source,
    options: ProjectionOptions | None = None,
    *,
    measure: str = "degree",
    directed: bool | None = None,
    kinds: Iterable[str] | None = None,
    top: int | None = None,
    **overrides: Unpack[ProjectionKeywords],
) -> Table:
    """Rank the actors by a centrality measure.

    Every measure runs on the collapsed graph (one edge per pair, ``weight`` the number of
    relations between the two; self-relations left out):

    ==============  ==========================================================================
    ``degree``      share of the other actors it has any relation with (undirected)
    ``in-degree``   share of the other actors that act on it (directed)
    ``out-degree``  share of the other actors it acts on (directed)
    ``betweenness`` share of shortest paths through it, unweighted, normalised (undirected)
    ``closeness``   inverse mean distance, scaled by how many it reaches (undirected)
    ``pagerank``    PageRank weighted by number of relations, damping 0.85 (directed)
    ``eigenvector`` weighted eigenvector centrality on the largest undirected component
    ==============  ==========================================================================

    ``directed`` switches degree, betweenness, closeness and PageRank between the directed and
    undirected graph (in a directed graph a symmetric relation runs both ways; closeness then
    counts distances *to* the actor); eigenvector centrality is always undirected.

    Parameters
    ----------
    source : Store or networkx.MultiDiGraph
        A store or a projection of it.
    measure : str, default "degree"
        One of :data:`MEASURES`.
    directed : bool, optional
        Use the directed graph; the default is the measure's own (see above).
    kinds : iterable of str, optional
        Rank only actors of these kinds (``State``, ``Person``, ...); scores are computed on the
        whole graph.
    top : int, optional
        Keep the first ``top`` rows.
    options, **overrides : ProjectionOptions, keywords, optional
        How a store is projected: see :func:`kg.project`.

    Returns
    -------
    Table
        ``rank`` (equal scores share a rank), ``actor``, ``kind``, ``score``, ``relations`` (the
        number of relations it takes part in) and ``iri``, best first.

    Raises
    ------
    UnknownNameError
        For a measure not in :data:`MEASURES`.

    Examples
    --------
    >>> import networkx as nx
    >>> g = nx.MultiDiGraph()
    >>> g.add_nodes_from((n, {"label": n.upper(), "kind": "State"}) for n in "abc")
    >>> _ = g.add_edge("a", "b")
    >>> _ = g.add_edge("b", "c")
    >>> [row[:4] for row in centrality(g, measure="betweenness")]
    [[1, 'B', 'State', 1.0], [2, 'A', 'State', 0.0], [2, 'C', 'State', 0.0]]
    """
    if measure not in MEASURES:
        raise UnknownNameError("centrality measure", measure, difflib.get_close_matches(measure, MEASURES))
    net = network(source, ProjectionOptions.of(options, **overrides))
    if measure in ("in-degree", "out-degree") and directed is False:
        raise InputError(f"{measure} is a measure of the directed graph: leave out directed=False")
    use_directed = measure in _DIRECTED_MEASURES if directed is None else directed
    if measure == "eigenvector":
        use_directed = False
    weighted = net.weighted(directed=use_directed)
    scores, how = _scores(weighted, measure)
    wanted = {k.casefold() for k in kinds} if kinds is not None else None
    ranked = sorted(
        (n for n in scores if wanted is None or str(net.node_data(n).get("kind", "")).casefold() in wanted),
        key=lambda n: (-round(scores[n], 12), net.label(n), str(n)),
    )
    degree = net.degree()
    rows: list[Sequence[Any]] = []
    previous: float | None = None
    rank = 0
    for position, node in enumerate(ranked, 1):
        score = round(float(scores[node]), 12)
        if score != previous:
            rank, previous = position, score
        rows.append([rank, net.label(node), net.node_data(node).get("kind", ""), score, degree[node], iri_of(node)])
    if top is not None:
        rows = rows[:top]
    kind = "directed" if use_directed and measure != "eigenvector" else "undirected"
    title = f"{measure} centrality ({kind}; {how}), {net.cut_text()}"
    return Table(["rank", "actor", "kind", "score", "relations", "iri"], rows, title=title)
