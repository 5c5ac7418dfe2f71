"""How the relations between actors changed from one date to another: :func:`diff`."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Callable, Iterable, Sequence
from typing import Any, Unpack

import networkx as nx

from kg._analysis.base import Network, Source, before_evidence_note, network
from kg._errors import InputError
from kg._network import ProjectionKeywords, ProjectionOptions, describe_view, project
from kg._store import Store
from kg._tabular import Table, short_iri
from kg._timecut import TimeCut, in_force, parse_date

__all__ = ["CHANGES", "diff"]

CHANGES = ("appeared", "first evidence", "ended", "changed in intensity", "changed sign")
"""The kinds of change :func:`diff` reports, in the order it lists them."""


def _tone(edges: Sequence[dict[str, Any]]) -> tuple[int, float | None]:
    """Return the sign and the tone (sum of Goldstein values, None when none has one) of edges."""
    tones = [d["goldstein"] for d in edges if d.get("goldstein") is not None]
    if tones:
        total = float(sum(tones))
        return (1 if total > 0 else -1 if total < 0 else 0), round(total, 6)
    signs = sum(d.get("sign", 0) for d in edges)
    return (1 if signs > 0 else -1 if signs < 0 else 0), None


def _by_event(edges: Iterable[dict[str, Any]]) -> dict[str, dict[str, Any]]:
    return {str(d.get("event", "")): d for d in edges}


def _short_events(events: Iterable[dict[str, Any]]) -> str:
    ordered = sorted(events, key=lambda d: (d.get("date", ""), str(d.get("event", ""))))
    return " ".join(dict.fromkeys(short_iri(str(d.get("event", ""))) for d in ordered))


_Key = tuple[Any, Any, str]


def _relations_at(
    graph: nx.MultiDiGraph[Any], keep: Callable[[dict[str, Any]], bool], ends: dict[_Key, tuple[str, Any, Any]]
) -> dict[_Key, list[dict[str, Any]]]:
    """Group the edges ``keep`` accepts by (actor, target, relation type).

    A symmetric relation's pair is in one order, whichever side acted; ``ends`` gets, for each
    key, the actor and target of its earliest edge (to name the row as the report has it).
    """
    found: dict[_Key, list[dict[str, Any]]] = defaultdict(list)
    for u, v, data in graph.edges(data=True):
        if keep(data):
            key = (v, u, data["relation"]) if data.get("symmetric") and str(v) < str(u) else (u, v, data["relation"])
            found[key].append(data)
            first = (data.get("date", ""), u, v)
            if key not in ends or first < ends[key]:
                ends[key] = first
    return found


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
    ends: dict[_Key, tuple[str, Any, Any]] = {}
    before_net, after_net, before, after = _at_both(source, chosen, first, last, ends)

    def label(node: Any) -> str:
        return after_net.label(node) if node in after_net.graph else before_net.label(node)

    rows = _relation_rows(before, after, ends, label) + _sign_rows(before, after, label)
    order = {name: i for i, name in enumerate(CHANGES)}
    rows.sort(key=lambda r: (order[r[0]], r[10], r[1], r[2], r[3]))
    note = before_evidence_note(sum(1 for r in rows if r[11]))
    view = describe_view(after_net.graph)
    title = (
        f"changes between {first} and {last} ({len(rows)} rows{'; ' + view if view else ''})"
        f"{'; ' + note if note else ''}"
    )
    return Table(
        [
            "change",
            "actor",
            "target",
            "relation",
            "count_before",
            "count_after",
            "sign_before",
            "sign_after",
            "tone_before",
            "tone_after",
            "first_date",
            "before_evidence",
            "events",
        ],
        rows,
        title=title,
    )


_Groups = dict[_Key, list[dict[str, Any]]]


def _at_both(
    source: Source, options: ProjectionOptions, first: dt.date, last: dt.date, ends: dict[_Key, tuple[str, Any, Any]]
) -> tuple[Network, Network, _Groups, _Groups]:
    """Return the networks as of ``first`` and ``last`` and their relations grouped by key."""
    if not isinstance(source, Store):
        net = network(source, options)
        from_evidence = bool(net.graph.graph.get("from_evidence"))

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

        return net, net, _relations_at(net.graph, at(first), ends), _relations_at(net.graph, at(last), ends)
    before_net = network(source, options.replace(as_of=first))
    after_net = before_net.again(project(source, options.replace(as_of=last)))
    before = _relations_at(before_net.graph, lambda d: True, ends)
    return before_net, after_net, before, _relations_at(after_net.graph, lambda d: True, ends)


def _relation_rows(
    before: _Groups, after: _Groups, ends: dict[_Key, tuple[str, Any, Any]], label: Callable[[Any], str]
) -> list[Sequence[Any]]:
    """One row per (actor, target, relation type) that appeared, was first seen, ended or changed."""
    rows: list[Sequence[Any]] = []
    for key in before.keys() | after.keys():
        _, u, v = ends[key]
        was, now = _by_event(before.get(key, ())), _by_event(after.get(key, ()))
        new = [now[e] for e in now.keys() - was.keys()]
        gone = [was[e] for e in was.keys() - now.keys()]
        if not new and not gone:
            continue
        if not was:
            unknown_start = all(d.get("standing") and not d.get("start_known") for d in new)
            change, listed = ("first evidence" if unknown_start else "appeared"), new
        elif not now:
            change, listed = "ended", gone
        else:
            change, listed = "changed in intensity", new or gone
        sample = (now or was)[next(iter(now or was))]
        sb, tb = _tone(list(was.values()))
        sa, ta = _tone(list(now.values()))
        early = any(d.get("before_evidence") for d in (*was.values(), *now.values()))
        rows.append(
            [
                change,
                label(u),
                label(v),
                sample["relation_label"],
                len(was),
                len(now),
                sb if was else None,
                sa if now else None,
                tb if was else None,
                ta if now else None,
                min(d.get("date", "") for d in listed),
                early,
                _short_events(listed),
            ]
        )

    return rows


def _sign_rows(before: _Groups, after: _Groups, label: Callable[[Any], str]) -> list[Sequence[Any]]:
    """One row per pair of actors (every relation type together) whose tone changed sign."""
    rows: list[Sequence[Any]] = []
    pairs_before: dict[tuple[Any, Any], list[dict[str, Any]]] = defaultdict(list)
    pairs_after: dict[tuple[Any, Any], list[dict[str, Any]]] = defaultdict(list)
    for found, pairs in ((before, pairs_before), (after, pairs_after)):
        for (u, v, _), edges in found.items():
            pairs[(u, v) if str(u) <= str(v) else (v, u)] += edges
    for pair in pairs_before.keys() & pairs_after.keys():
        sb, tb = _tone(pairs_before[pair])
        sa, ta = _tone(pairs_after[pair])
        if sb == sa:
            continue
        edges = sorted(pairs_after[pair], key=lambda d: (d.get("date", ""), str(d.get("event", ""))))
        relations = "; ".join(dict.fromkeys(d["relation_label"] for d in edges))
        known = {str(d["event"]) for d in pairs_before[pair]}
        new = [d for d in edges if str(d["event"]) not in known]
        u, v = sorted(pair, key=lambda n: (label(n), str(n)))
        rows.append(
            [
                "changed sign",
                label(u),
                label(v),
                relations,
                len(pairs_before[pair]),
                len(edges),
                sb,
                sa,
                tb,
                ta,
                min((d.get("date", "") for d in new), default=""),
                any(d.get("before_evidence") for d in edges),
                _short_events(new),
            ]
        )
    return rows
