"""How the relations between actors changed from one date to another: :func:`diff`.

Both networks are read as columns (:class:`kg._network.Relations`): a store with a network index
gives them from its arrays (:meth:`kg._network.PairNetwork.relations`), any other source from its
projected graphs (:func:`_graph_relations`); one comparison (:func:`_compare`) follows, which
reads the events of a row (the new ones, or those that ended) only for the rows that changed.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import math
from collections.abc import Callable, Sequence
from typing import Any, Unpack

import networkx as nx
import numpy as np
import numpy.typing as npt

from kg._analysis.base import Network, Source, before_evidence_note, network
from kg._errors import InputError
from kg._network import (
    TONE_DIGITS,
    ProjectionKeywords,
    ProjectionOptions,
    Relations,
    describe_view,
    pair_network,
    project,
    tone_sign,
)
from kg._store import Store
from kg._tabular import Table, short_iri
from kg._timecut import TimeCut, in_force, parse_date

__all__ = ["CHANGES", "diff"]

CHANGES = ("appeared", "first evidence", "ended", "changed in intensity", "changed sign")
"""The kinds of change :func:`diff` reports, in the order it lists them."""

IntArray = npt.NDArray[np.int64]


def diff(
    source: Source,
    start: str,
    end: str,
    options: ProjectionOptions | None = None,
    **overrides: Unpack[ProjectionKeywords],
) -> Table:
    """Say how the relations between actors changed from one date to another.

    The network is taken as of ``start`` and as of ``end`` (same options). For each pair of
    actors and relation type (an ordered pair; either order for a symmetric relation), one row
    says that the relation

    - **appeared**: not in force at ``start``, in force at ``end``: an event dated between the
      two, or a standing relation whose known start (``dip:startDate``) falls between them;
    - **first evidence**: a standing relation whose start the source does not give shows up
      for the first time: it is *not* said to have appeared. With the default time model a
      relation the source presents as already existing (``dip:inForceBy``) is in force before
      its first evidence and so is in both networks (no row); with ``from_evidence=True`` it
      gets this row, as does one only observed (``dip:observedOn``);
    - **ended**: in force at ``start``, no longer at ``end`` (a standing relation that ended);
    - **changed in intensity**: in force at both, with more (or fewer) events: a second recall
      of the same ambassador is listed here, with the new events.

    Besides, for a pair of actors (either order, every relation type together) whose tone (the
    sum of the Goldstein values, as in :func:`balance`) changed sign, a row **changed sign**.
    The counts and the tones of a row are those of the row itself: of its relation type for
    the first four kinds, of the whole pair for a change of sign.

    Parameters
    ----------
    source : Store or networkx.MultiDiGraph
        A store (projected as of each date with ``options``) or a projection (cut as of each
        date by the dates on its edges).
    start, end : str
        The two dates, ``YYYY-MM-DD``, ``start`` before ``end``.
    options, **overrides : ProjectionOptions, keywords, optional
        How a store is projected (see :func:`kg.project`), except ``as_of``: the two dates are
        the cuts; ``from_evidence`` as there.

    Returns
    -------
    Table
        ``change`` (one of :data:`CHANGES`), ``actor``, ``target``, ``relation``,
        ``count_before``, ``count_after`` (events or standing relations of the row),
        ``sign_before``, ``sign_after``, ``tone_before``, ``tone_after`` (None when the row has
        no relation in force then, or none with a Goldstein value), ``first_date`` (of the row's
        events listed), ``before_evidence`` (a standing relation of the row is counted before
        its first evidence), ``events`` (the events or standing relations that changed, by
        short name: the new ones, or for *ended* those that ended).

    Raises
    ------
    InputError
        For a date that does not parse, ``start`` after ``end``, or an ``as_of`` option.

    Examples
    --------
    >>> import networkx as nx
    >>> g = nx.MultiDiGraph()
    >>> g.add_nodes_from((n, {"label": n.upper(), "kind": "State"}) for n in "ab")
    >>> _ = g.add_edge("a", "b", relation="r1", relation_label="meets", sign=1, goldstein=1.0,
    ...                date="2023-01-01", event="e1")
    >>> _ = g.add_edge("a", "b", relation="r2", relation_label="attacks", sign=-1, goldstein=-10.0,
    ...                date="2023-02-01", event="e2")
    >>> _ = g.add_edge("a", "b", relation="r2", relation_label="attacks", sign=-1, goldstein=-10.0,
    ...                date="2023-03-01", event="e3")
    >>> [row[:4] + row[-1:] for row in diff(g, "2023-01-15", "2023-02-15")]
    [['appeared', 'A', 'B', 'attacks', 'e2'], ['changed sign', 'A', 'B', 'meets; attacks', 'e2']]
    >>> [row[:6] for row in diff(g, "2023-02-15", "2023-03-15")]
    [['changed in intensity', 'A', 'B', 'attacks', 1, 2]]
    """
    first, last = parse_date(start, name="start"), parse_date(end, name="end")
    assert first is not None and last is not None
    if first > last:
        raise InputError(f"the start date {first} is after the end date {last}: swap them")
    chosen = ProjectionOptions.of(options, **overrides)
    if chosen.as_of is not None:
        raise InputError(
            "diff compares the network as of two dates: give them as start=DATE and end=DATE, not as_of=DATE"
        )
    before_net, after_net, before, after = _at_both(source, chosen, first, last)

    def label(node: Any) -> str:
        return after_net.label(node) if node in after_net else before_net.label(node)

    rows = _compare(before, after, label)
    order = {name: i for i, name in enumerate(CHANGES)}
    rows.sort(key=lambda r: (order[r[0]], r[10], r[1], r[2], r[3]))
    note = before_evidence_note(sum(1 for r in rows if r[11]))
    view = describe_view(after_net.pairs if after_net.pairs is not None else after_net.graph)
    title = (
        f"changes between {first} and {last} ({len(rows)} rows{'; ' + view if view else ''})"
        f"{'; ' + note if note else ''}"
    )
    columns = ["change", "actor", "target", "relation", "count_before", "count_after", "sign_before"]
    columns += ["sign_after", "tone_before", "tone_after", "first_date", "before_evidence", "events"]
    return Table(columns, rows, title=title)


# ---------------------------------------------------------------- the two networks as columns


def _at_both(
    source: Source, options: ProjectionOptions, first: dt.date, last: dt.date
) -> tuple[Network, Network, Relations, Relations]:
    """Return the networks as of ``first`` and ``last`` and their relations as columns."""
    if not isinstance(source, Store):  # a projection: cut as of each date by the dates on its edges
        net = network(source, options)
        if net.pairs is not None:
            source = net.pairs.multigraph()
            net = network(source, ProjectionOptions())
        graph = net.graph
        from_evidence = bool(graph.graph.get("from_evidence"))

        def at(day: dt.date) -> Callable[[dict[str, Any]], bool]:
            cut = TimeCut.of(as_of=day, from_evidence=from_evidence)
            return lambda d: in_force(
                cut,
                d.get("date") or None,
                d.get("end_date") or None,
                standing=bool(d.get("standing")),
                open_start=bool(d.get("open_start")),
                before=d.get("before") or None,
            )

        before, after = _graph_relations([(graph, at(first)), (graph, at(last))])
        return net, net, before, after
    before_net = network(source, options.replace(as_of=first), remote=False)
    if before_net.pairs is not None:
        pairs = pair_network(source, options.replace(as_of=last))
        assert pairs is not None
        after_net = Network(None, source, None, pairs)
        return before_net, after_net, before_net.pairs.relations(), pairs.relations()
    after_net = before_net.again(project(source, options.replace(as_of=last)))
    before, after = _graph_relations([(before_net.graph, _every), (after_net.graph, _every)])
    return before_net, after_net, before, after


def _every(_: dict[str, Any]) -> bool:
    return True


def _graph_relations(
    cuts: Sequence[tuple[nx.MultiDiGraph[Any], Callable[[dict[str, Any]], bool]]],
) -> list[Relations]:
    """Return the edges each ``(graph, keep)`` keeps as :class:`Relations` with shared codes."""
    kept = [[(u, v, d) for u, v, d in graph.edges(data=True) if keep(d)] for graph, keep in cuts]
    edges = [e for found in kept for e in found]
    nodes = sorted({n for u, v, _ in edges for n in (u, v)}, key=str)
    relations = list(dict.fromkeys(str(d.get("relation", "")) for _, _, d in edges))
    labels = {str(d.get("relation", "")): str(d.get("relation_label", "")) for _, _, d in reversed(edges)}
    items = sorted({str(d.get("event", "")) for _, _, d in edges})
    days = sorted({str(d.get("date", "")) for _, _, d in edges})
    codes = {kind: {x: i for i, x in enumerate(table)} for kind, table in (("n", nodes), ("r", relations))}
    item_code, day_code = {x: i for i, x in enumerate(items)}, {x: i for i, x in enumerate(days)}

    def column(
        found: list[tuple[Any, Any, dict[str, Any]]], read: Callable[[Any, Any, dict[str, Any]], Any], dtype: Any
    ) -> Any:
        return np.array([read(u, v, d) for u, v, d in found], dtype=dtype)

    def relations_of(found: list[tuple[Any, Any, dict[str, Any]]]) -> Relations:
        goldstein = [np.nan if d.get("goldstein") is None else float(d["goldstein"]) for _, _, d in found]
        return Relations(
            nodes=nodes,
            u=column(found, lambda u, v, d: codes["n"][u], np.int64),
            v=column(found, lambda u, v, d: codes["n"][v], np.int64),
            relation=column(found, lambda u, v, d: codes["r"][str(d.get("relation", ""))], np.int64),
            labels=[labels[r] for r in relations],
            item=column(found, lambda u, v, d: item_code[str(d.get("event", ""))], np.int64),
            items=lambda codes_: [items[i] for i in codes_.tolist()],
            day=column(found, lambda u, v, d: day_code[str(d.get("date", ""))], np.int64),
            days=days,
            goldstein=np.array(goldstein, dtype=float),
            sign=column(found, lambda u, v, d: int(d.get("sign", 0)), np.int64),
            symmetric=column(found, lambda u, v, d: bool(d.get("symmetric")), bool),
            standing=column(found, lambda u, v, d: bool(d.get("standing")), bool),
            start_known=column(found, lambda u, v, d: bool(d.get("start_known")), bool),
            early=column(found, lambda u, v, d: bool(d.get("before_evidence")), bool),
        )

    return [relations_of(found) for found in kept]


# ---------------------------------------------------------------- the comparison


def _dense(*columns: npt.NDArray[Any]) -> IntArray:
    """Return the number of each row's distinct values in ``columns``, counting in their sorted order."""
    if not len(columns[0]):
        return np.zeros(0, dtype=np.int64)
    order = np.lexsort(columns[::-1])
    changed = np.zeros(len(order), dtype=bool)
    for column in columns:
        ordered = column[order]
        changed[1:] |= ordered[1:] != ordered[:-1]
    ids = np.empty(len(order), dtype=np.int64)
    ids[order] = np.cumsum(changed)
    return ids  # type: ignore[no-any-return]


def _take(found: Relations, positions: IntArray) -> Relations:
    """Return the rows at ``positions`` of every column."""
    columns: dict[str, Any] = {f.name: getattr(found, f.name) for f in dataclasses.fields(found)}
    taken: dict[str, Any] = {name: c[positions] if isinstance(c, np.ndarray) else c for name, c in columns.items()}
    return Relations(**taken)


class _Groups:
    """Rows grouped by an id: each group's rows, and the sign and tone of its relations (as :func:`kg.collapse`)."""

    def __init__(self, ids: IntArray, size: int, found: Relations) -> None:
        self.found, self.size, self.ids = found, size, ids
        self.order = np.argsort(ids, kind="stable")
        self.starts = np.searchsorted(ids[self.order], np.arange(size + 1))
        self.count = np.diff(self.starts)

    def rows(self, group: int) -> IntArray:
        return self.order[self.starts[group] : self.starts[group + 1]]

    def tone(self, group: int) -> tuple[int, float | None]:
        """Return the sign and the tone (sum of Goldstein values, None when none has one) of a group."""
        rows = self.rows(group)
        values = self.found.goldstein[rows]
        known = values[~np.isnan(values)].tolist()
        total = math.fsum(known)
        shown = round(total, TONE_DIGITS) + 0.0 if known else None  # + 0.0: no "-0.0"
        return tone_sign(total, len(known), int(self.found.sign[rows].sum())), shown

    def signs(self, groups: IntArray) -> IntArray:
        """Return the sign of the tone of each of ``groups``, exactly (:meth:`tone` where a float sum could err)."""
        # Summed group by group (np.bincount), a float sum errs by less than n * 2**-53 times the
        # sum of the magnitudes: a sum that near 0 (or to TONE_DIGITS) is recomputed as tone() does.
        values = np.nan_to_num(self.found.goldstein)
        known = ~np.isnan(self.found.goldstein)
        total, scale, count, signs = (
            np.bincount(self.ids, weights=w, minlength=self.size)[groups]
            for w in (values, np.abs(values), known.astype(float), self.found.sign.astype(float))
        )
        result = np.where(count > 0, np.sign(total), np.sign(signs)).astype(np.int64)
        doubtful = np.flatnonzero((count > 0) & (np.abs(total) <= 10.0**-TONE_DIGITS + 1e-9 * scale))
        for i in doubtful.tolist():
            result[i] = self.tone(int(groups[i]))[0]
        return result  # type: ignore[no-any-return]


def _compare(before: Relations, after: Relations, label: Callable[[Any], str]) -> list[Sequence[Any]]:
    """Return the rows of :func:`diff`: per relation type and pair, then per pair whose tone changed sign."""
    # A symmetric relation's pair is in one order (of the IRIs), whichever side acted.
    both = [before, after]
    ends = (
        [np.where(f.symmetric & (f.v < f.u), f.v, f.u) for f in both],
        [np.where(f.symmetric & (f.v < f.u), f.u, f.v) for f in both],
    )
    key = _dense(np.r_[ends[0][0], ends[0][1]], np.r_[ends[1][0], ends[1][1]], np.r_[before.relation, after.relation])
    size = int(key.max()) + 1 if len(key) else 0
    # the row's actor and target: those of its earliest edge (to name the row as the report has it)
    u_all, v_all = np.r_[before.u, after.u], np.r_[before.v, after.v]
    day_all = np.r_[before.day, after.day]
    earliest = np.lexsort((v_all, u_all, day_all, key))
    first_of = earliest[np.r_[True, key[earliest][1:] != key[earliest][:-1]]] if len(key) else earliest
    named = {int(key[i]): (int(u_all[i]), int(v_all[i])) for i in first_of.tolist()}
    # one entry per event of a row (several edges of one event in a row count once)
    entries = []
    for found, keys in ((before, key[: len(before.u)]), (after, key[len(before.u) :])):
        _, first = np.unique(np.stack([keys, found.item]), axis=1, return_index=True)
        entries.append((_take(found, first), keys[first]))
    (was, was_key), (now, now_key) = entries
    entry = _dense(np.r_[was_key, now_key], np.r_[was.item, now.item])
    new = ~np.isin(entry[len(was_key) :], entry[: len(was_key)])
    gone = ~np.isin(entry[: len(was_key)], entry[len(was_key) :])
    changed = np.flatnonzero(
        (np.bincount(now_key[new], minlength=size) + np.bincount(was_key[gone], minlength=size)) > 0
    )
    groups = _Groups(was_key, size, was), _Groups(now_key, size, now)
    early = np.bincount(np.r_[was_key[was.early], now_key[now.early]], minlength=size) > 0
    rows = [_relation_row(int(k), groups, new, gone, named[int(k)], bool(early[k]), label) for k in changed.tolist()]
    return rows + _sign_rows(was, was_key, now, now_key, ends, key, label)


def _listed(found: Relations, rows: IntArray) -> tuple[str, str]:
    """Return the first day of the events at ``rows`` and their short names, in the order of day and IRI."""
    order = rows[np.lexsort((found.item[rows], found.day[rows]))]
    names = found.items(found.item[order])
    return (found.days[int(found.day[order[0]])] if len(order) else ""), " ".join(
        dict.fromkeys(short_iri(n) for n in names)
    )


def _relation_row(
    k: int,
    groups: tuple[_Groups, _Groups],
    new: npt.NDArray[np.bool_],
    gone: npt.NDArray[np.bool_],
    ends: tuple[int, int],
    early: bool,
    label: Callable[[Any], str],
) -> list[Any]:
    """One row for the (actor, target, relation type) ``k`` that appeared, was first seen, ended or changed."""
    before, after = groups
    was, now = before.rows(k), after.rows(k)
    added, ended = now[new[now]], was[gone[was]]
    if not len(was):
        unknown_start = bool((after.found.standing[added] & ~after.found.start_known[added]).all())
        change, listed = ("first evidence" if unknown_start else "appeared"), (after.found, added)
    elif not len(now):
        change, listed = "ended", (before.found, ended)
    else:
        change, listed = "changed in intensity", ((after.found, added) if len(added) else (before.found, ended))
    sample = after.found if len(now) else before.found
    relation = sample.labels[int(sample.relation[(now if len(now) else was)[0]])]
    sb, tb = before.tone(k) if len(was) else (None, None)
    sa, ta = after.tone(k) if len(now) else (None, None)
    day, events = _listed(*listed)
    nodes = sample.nodes
    return [
        change,
        label(nodes[ends[0]]),
        label(nodes[ends[1]]),
        relation,
        len(was),
        len(now),
        sb,
        sa,
        tb,
        ta,
        day,
        early,
        events,
    ]


def _sign_rows(
    was: Relations,
    was_key: IntArray,
    now: Relations,
    now_key: IntArray,
    ends: tuple[list[IntArray], list[IntArray]],
    key: IntArray,
    label: Callable[[Any], str],
) -> list[Sequence[Any]]:
    """One row per pair of actors (every relation type together) whose tone changed sign."""
    # each row's pair of actors, in the order of their IRIs
    size = int(key.max()) + 1 if len(key) else 0
    key_u, key_v = np.zeros(size, dtype=np.int64), np.zeros(size, dtype=np.int64)
    key_u[key], key_v[key] = np.r_[ends[0][0], ends[0][1]], np.r_[ends[1][0], ends[1][1]]
    low, high = np.minimum(key_u, key_v), np.maximum(key_u, key_v)
    pair_of_key = _dense(low, high)
    pairs = int(pair_of_key.max()) + 1 if size else 0
    before, after = _Groups(pair_of_key[was_key], pairs, was), _Groups(pair_of_key[now_key], pairs, now)
    common = np.flatnonzero((before.count > 0) & (after.count > 0))
    flipped = common[before.signs(common) != after.signs(common)]
    rows: list[Sequence[Any]] = []
    for pair in flipped.tolist():
        sb, tb = before.tone(pair)
        sa, ta = after.tone(pair)
        then, edges = before.rows(pair), after.rows(pair)
        ordered = edges[np.lexsort((now.item[edges], now.day[edges]))]
        relations = "; ".join(dict.fromkeys(now.labels[r] for r in now.relation[ordered].tolist()))
        added = edges[~np.isin(now.item[edges], was.item[then])]
        day, events = _listed(now, added)
        first = int(low[pair_of_key == pair][0]), int(high[pair_of_key == pair][0])
        u, v = sorted((now.nodes[first[0]], now.nodes[first[1]]), key=lambda n: (label(n), str(n)))
        early = bool(now.early[edges].any())
        rows.append(
            ["changed sign", label(u), label(v), relations, len(then), len(edges), sb, sa, tb, ta, day, early, events]
        )
    return rows
