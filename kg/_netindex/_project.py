"""The projection read from the network index: the edges of :func:`kg._network.project`, vectorised."""

from __future__ import annotations

import logging
from collections.abc import Iterator, Set
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import networkx as nx
import numpy as np
import numpy.typing as npt
import pyoxigraph as ox

from kg._netindex._index import DIP, IntArray, NetIndex, index_for, scan
from kg._store import OxigraphStore, Store
from kg._tabular import short_label
from kg._timecut import TimeCut, before_evidence, in_force

if TYPE_CHECKING:
    from kg._network import RelationInfo

__all__ = ["add_edges"]

log = logging.getLogger(__name__)

_LOOKUPS = 30_000
"""Up to this many kept items, their evidence is read by one lookup each; beyond, by a scan."""


@dataclass
class _Candidates:
    """The edges the projection may keep, before the options: one per item x pair."""

    item: IntArray
    a: IntArray
    b: IntArray
    type: IntArray
    when: IntArray
    claim: IntArray
    disputed: npt.NDArray[np.bool_]
    occurrence: IntArray


def _candidates(index: NetIndex, known: npt.NDArray[np.bool_], contested: Set[str | None]) -> _Candidates:
    """Resolve each item's rows as the projection does: its least known type, its pairs, its claim."""
    disputed_claim = np.array([c in contested for c in index.claims] + [False], dtype=bool)  # [-1]: none
    single = np.bincount(index.item, minlength=len(index.items))[index.item] == 1
    rows = np.flatnonzero(single & known[index.type])
    parts: list[tuple[npt.NDArray[Any], ...]] = [
        (
            index.item[rows],
            index.a[rows],
            index.b[rows],
            index.type[rows],
            index.when[rows],
            index.claim[rows],
            disputed_claim[index.claim[rows]],
            index.occurrence[rows],
        )
    ]
    multi = np.flatnonzero(~single)
    if multi.size:
        parts.append(_resolve_multi(index, multi, known, disputed_claim))
    columns = [np.concatenate([p[i] for p in parts]) for i in range(8)]
    return _Candidates(*columns)  # type: ignore[arg-type]


def _resolve_multi(
    index: NetIndex, multi: IntArray, known: npt.NDArray[np.bool_], disputed_claim: npt.NDArray[np.bool_]
) -> tuple[npt.NDArray[Any], ...]:
    # Items with several rows (several targets, types or claims): in Python, as the projection
    # does. Codes of types and claims are ranks in sorted tables: the least code is the least IRI.
    out: list[tuple[int, int, int, int, int, int, bool, int]] = []
    starts = np.flatnonzero(np.r_[True, index.item[multi][1:] != index.item[multi][:-1]])
    for group in np.split(multi, starts[1:]):
        types = [int(t) for t in index.type[group] if known[t]]
        if not types:
            continue
        found = sorted({int(c) for c in index.claim[group] if c >= 0})
        against = [c for c in found if disputed_claim[c]]
        claim = against[0] if against else found[0] if found else -1
        first = int(group[0])
        pairs = sorted(
            {
                (index.nodes[index.a[r]], index.nodes[index.b[r]]): (int(index.a[r]), int(index.b[r])) for r in group
            }.items()
        )
        for _, (a, b) in pairs:
            out.append(
                (
                    int(index.item[first]),
                    a,
                    b,
                    min(types),
                    int(index.when[first]),
                    claim,
                    bool(against),
                    int(index.occurrence[group].max()),
                )
            )
    columns = list(zip(*out, strict=True)) if out else [()] * 8
    return tuple(np.array(c, dtype=bool if i == 6 else np.int64) for i, c in enumerate(columns))


@dataclass(frozen=True)
class _When:
    """What one distinct combination of days says, in a cut."""

    date: str | None
    end: str | None
    before: str | None
    standing: bool
    open_start: bool
    start_known: bool
    in_force: bool
    before_evidence: bool


def _whens(index: NetIndex, cut: TimeCut) -> list[_When]:
    found = []
    for days, standing in zip(index.when_days.tolist(), index.when_standing.tolist(), strict=True):
        date, end, by, start, before = (index.day(d) for d in days)
        open_start = standing and by is not None and start is None
        found.append(
            _When(
                date,
                end,
                before,
                standing,
                open_start,
                standing and start is not None,
                not cut or in_force(cut, date, end, standing=standing, open_start=open_start, before=before),
                open_start and before_evidence(cut, date, end, open_start=True, before=before),
            )
        )
    return found


@dataclass(frozen=True)
class _Options:
    types: dict[str, RelationInfo]
    contested: Set[str | None]
    cut: TimeCut
    wanted: set[str] | None
    sign_set: set[int] | None
    claims: bool
    fold: bool
    structural: bool
    each_report: bool


def _keep(index: NetIndex, c: _Candidates, whens: list[_When], o: _Options) -> npt.NDArray[np.bool_]:
    """Apply the projection's filters to the candidates, vectorised."""
    infos = [o.types.get(t) for t in index.types]
    structural = np.array([i is not None and i.structural for i in infos], dtype=bool)[c.type]
    keep = ~np.array([w.date is None and not w.standing for w in whens], dtype=bool)[c.when]
    if not o.structural and not o.fold:
        keep &= ~structural
    if o.wanted is not None:
        keep &= structural | np.array([t in o.wanted for t in index.types], dtype=bool)[c.type]
    if o.sign_set is not None:
        signs = np.array([i is not None and i.sign in o.sign_set for i in infos], dtype=bool)
        keep &= structural | signs[c.type]
    if o.cut:
        keep &= np.array([w.in_force for w in whens], dtype=bool)[c.when]
    if not o.claims:
        keep &= ~c.disputed
    return keep


def _reports(c: _Candidates, rows: IntArray, each_report: bool) -> tuple[IntArray, IntArray]:
    """Count the reports of one occurrence once: return the rows kept and their report counts."""
    counts = np.ones(len(rows), dtype=np.int64)
    if each_report:
        return rows, counts
    occurring = rows[c.occurrence[rows] >= 0]
    if not occurring.size:
        return rows, counts
    alone = rows[c.occurrence[rows] < 0]
    order = occurring[np.lexsort((c.item[occurring], c.b[occurring], c.a[occurring], c.occurrence[occurring]))]
    key = np.stack([c.occurrence[order], c.a[order], c.b[order]])
    starts = np.flatnonzero(np.r_[True, (key[:, 1:] != key[:, :-1]).any(axis=0)])
    sizes = np.diff(np.r_[starts, len(order)])
    return np.concatenate([alone, order[starts]]), np.concatenate([counts[: len(alone)], sizes])


def _evidence(store: OxigraphStore, items: list[str], blank: bool) -> dict[str, list[str | None]]:
    """Return the least source and quote of each item, read from the store."""
    found: dict[str, list[str | None]] = {item: [None, None] for item in items}
    names = ("source", "quote")
    if len(items) <= _LOOKUPS and not blank:
        for column, name in enumerate(names):
            predicate = ox.NamedNode(DIP + name)
            for item in items:
                values = [
                    q.object.value  # type: ignore[union-attr]
                    for q in store.quads(ox.NamedNode(item), predicate, None)
                ]
                found[item][column] = min(values, default=None)
        return found
    for column, name in enumerate(names):
        for subject, value, _ in scan(store.ox, name):
            slot = found.get(subject)
            if slot is not None and (slot[column] is None or value < slot[column]):  # type: ignore[operator]
                slot[column] = value
    return found


def add_edges(
    graph: nx.MultiDiGraph[str],
    store: Store,
    types: dict[str, RelationInfo],
    contested: Set[str | None],
    cut: TimeCut,
    wanted: set[str] | None,
    sign_set: set[int] | None,
    *,
    claims: bool,
    fold: bool,
    structural: bool,
    each_report: bool,
) -> bool:
    """Add to ``graph`` the edges :func:`kg._network.project` would read by SPARQL, from the index.

    Return False (adding nothing) when ``store`` has no usable index: the caller then reads the
    store. The nodes of ``graph`` (the actors, with labels and kinds) are already there; actors
    with no class are added as the projection adds them.
    """
    index = index_for(store)
    if index is None:
        return False
    assert isinstance(store, OxigraphStore)
    options = _Options(types, contested, cut, wanted, sign_set, claims, fold, structural, each_report)
    known = np.array([t in types for t in index.types] + [False], dtype=bool)
    c = _candidates(index, known, contested)
    whens = _whens(index, cut)
    rows, reports = _reports(c, np.flatnonzero(_keep(index, c, whens, options)), each_report)
    kept = np.unique(c.item[rows])
    names = dict(zip(kept.tolist(), index.items.many(kept), strict=True))
    evidence = _evidence(store, list(names.values()), index.blank)
    nodes = index.nodes
    for code in np.unique(np.concatenate([c.a[rows], c.b[rows]])):
        node = nodes[code]
        if node not in graph:
            graph.add_node(node, label=short_label(node), kind="")
    graph.add_edges_from(_edges(index, c, rows, reports, whens, names, evidence, options))  # type: ignore[arg-type]
    log.info("projected %d edges from the network index of %s", len(rows), store.path)
    return True


def _edges(
    index: NetIndex,
    c: _Candidates,
    rows: IntArray,
    reports: IntArray,
    whens: list[_When],
    names: dict[int, str],
    evidence: dict[str, list[str | None]],
    o: _Options,
) -> Iterator[tuple[str, str, str, dict[str, Any]]]:
    nodes, claims = index.nodes, index.claims
    columns = (c.item, c.a, c.b, c.type, c.when, c.claim, c.disputed)
    for count, number, a, b_code, type_code, when_code, claim, disputed in zip(
        reports.tolist(), *(column[rows].tolist() for column in columns), strict=True
    ):
        item, b = names[number], nodes[b_code]
        type_ = index.types[type_code]
        info, when = o.types[type_], whens[when_code]
        source, quote = evidence[item]
        yield (
            nodes[a],
            b,
            f"{item}|{b}",
            {
                "relation": type_,
                "relation_label": info.label,
                "sign": info.sign,
                "goldstein": info.goldstein,
                "date": when.date or "",
                "end_date": when.end or "",
                "event": item,
                "source": source or "",
                "quote": quote or "",
                "symmetric": info.symmetric,
                "standing": when.standing,
                "structural": info.structural,
                "contested": disputed,
                "claim": claims[claim] if claim >= 0 else "",
                "reports": count,
                "open_start": when.open_start,
                "start_known": when.start_known,
                "before": when.before or "",
                "before_evidence": when.before_evidence,
            },
        )
