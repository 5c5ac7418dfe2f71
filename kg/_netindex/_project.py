"""The projection read from the network index: the edges of :func:`kg._network.project`, vectorised."""

from __future__ import annotations

import logging
from collections.abc import Iterator, Set
from dataclasses import dataclass, fields
from typing import TYPE_CHECKING, Any

import numpy as np
import numpy.typing as npt
import pyoxigraph as ox

from kg._netindex._index import DIP, IntArray, NetIndex, index_for, scan
from kg._store import OxigraphStore, Store
from kg._timecut import TimeCut, before_evidence, in_force

if TYPE_CHECKING:
    from kg._network import RelationInfo

__all__ = ["EdgeTable", "edge_table"]

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

    def columns(self, rows: IntArray) -> dict[str, Any]:
        """Return the columns at ``rows``, by name."""
        return {f.name: getattr(self, f.name)[rows] for f in fields(_Candidates)}


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


def _quotes(store: OxigraphStore, items: list[str], blank: bool) -> dict[str, str | None]:
    """Return the least quote of each item, read from the store."""
    found: dict[str, str | None] = dict.fromkeys(items)
    if len(items) <= _LOOKUPS and not blank:
        predicate = ox.NamedNode(DIP + "quote")
        for item in items:
            values = [q.object.value for q in store.quads(ox.NamedNode(item), predicate, None)]  # type: ignore[union-attr]
            found[item] = min(values, default=None)
        return found
    for subject, value, _ in scan(store.ox, "quote"):
        if subject in found:
            known = found[subject]
            if known is None or value < known:
                found[subject] = value
    return found


@dataclass
class EdgeTable(_Candidates):
    """The edges of :func:`kg._network.project` before folding, as arrays: one per kept item x pair.

    The columns are codes into the index's tables (``index.items``, ``index.nodes``,
    ``index.types``, ``index.claims``, :attr:`whens`); ``reports`` counts the reports of each
    edge's occurrence; :meth:`edges` gives the edges with their evidence, read from the store for
    the rows asked for only.
    """

    index: NetIndex
    store: OxigraphStore
    reports: IntArray
    whens: list[_When]
    types: dict[str, RelationInfo]

    def __len__(self) -> int:
        return len(self.item)

    def edges(self, rows: IntArray | None = None) -> list[tuple[str, str, str, dict[str, Any]]]:
        """Return ``(a, b, key, data)`` of the edges at ``rows`` (all when None), as the projection keys them."""
        rows = np.arange(len(self)) if rows is None else rows
        codes = np.unique(self.item[rows])
        names = dict(zip(codes.tolist(), self.index.items.many(codes), strict=True))
        quotes = _quotes(self.store, list(names.values()), self.index.blank)
        return list(_edges(self, rows, names, quotes))


def edge_table(
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
) -> EdgeTable | None:
    """Return the edges :func:`kg._network.project` would read by SPARQL, from the index, before folding.

    None when ``store`` has no usable index: the caller then reads the store.
    """
    index = index_for(store)
    if index is None:
        return None
    assert isinstance(store, OxigraphStore)
    options = _Options(types, contested, cut, wanted, sign_set, claims, fold, structural, each_report)
    known = np.array([t in types for t in index.types] + [False], dtype=bool)
    c = _candidates(index, known, contested)
    whens = _whens(index, cut)
    rows, reports = _reports(c, np.flatnonzero(_keep(index, c, whens, options)), each_report)
    return EdgeTable(**c.columns(rows), index=index, store=store, reports=reports, whens=whens, types=types)


def _edges(
    table: EdgeTable, rows: IntArray, names: dict[int, str], quotes: dict[str, str | None]
) -> Iterator[tuple[str, str, str, dict[str, Any]]]:
    index, whens = table.index, table.whens
    nodes, claims = index.nodes, index.claims
    documents = index.source[table.item[rows]]
    known = np.unique(documents[documents >= 0])
    sources = dict(zip(known.tolist(), index.sources.many(known), strict=True))
    sources[-1] = ""
    columns = (table.item, table.a, table.b, table.type, table.when, table.claim, table.disputed, table.reports)
    for number, a, b_code, type_code, when_code, claim, disputed, count, document in zip(
        *(column[rows].tolist() for column in columns), documents.tolist(), strict=True
    ):
        item, b = names[number], nodes[b_code]
        type_ = index.types[type_code]
        info, when = table.types[type_], whens[when_code]
        source, quote = sources[document], quotes[item]
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
