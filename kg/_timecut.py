"""Time cuts: what is in force "as of" a date or inside a window, in one place.

The rules (DESIGN.md, "time is a dimension everywhere"):

- an **event** is in force as of ``D`` when its ``dip:date`` is on or before ``D``; it is inside a
  window ``[since, until]`` when its span ``dip:date .. dip:endDate`` (or its one day) overlaps it;
- a **standing relation** is in force as of ``D`` when it has started and not ended; it is inside
  a window when its span overlaps the window. What the source says of its start is one of:

  ============================ ==========================================================
  ``dip:startDate S``          a known start ("since S"): in force from ``S``
  ``dip:inForceBy B``          "already so by ``B``": the source presents it as existing on
                               ``B`` (its earliest statement showing it) and gives no start.
                               By default it is in force before ``B`` too (an **open
                               start**; :func:`before_evidence` says when a cut counts it
                               only so); with ``from_evidence`` it counts from ``B``
  ``dip:observedOn O`` only    seen in force on ``O``, nothing said of before: from ``O``
  no date at all               always
  ============================ ==========================================================

  Its end is ``dip:endDate`` (the last day it held), or ``dip:before E`` (the source places it
  before ``E``: "previously"), or none (open: "until further notice");
- a **claim** is in force (inside a window) when some event asserting it is.

``as_of``, ``since`` and ``until`` combine (all must hold). The same rules come in three forms:

- SPARQL fragments (:func:`event_filter`, :func:`state_filter`, :func:`claim_filter`) that test
  the variables ``?asOf``, ``?since`` and ``?until``; a query using them gets its cut from
  :meth:`TimeCut.bindings` (an unbound variable means "no limit"), so the engine evaluates the
  cut itself, with its indexes: the fast way, used by every named query;
- a Python predicate (:func:`in_force`) for code that reads rows first (the network projection);
- a time-cut **view** (:func:`cut_view`) for a query written with no thought of time: a copy of
  the graph without the events, claims and standing relations outside the cut (and every triple
  pointing at them), with the actor-to-actor edges derived again from what is left.

>>> cut = TimeCut.of(as_of="2023-10-16")
>>> in_force(cut, "2023-10-19") , in_force(cut, "2023-10-07")
(False, True)
>>> in_force(cut, "2023-10-19", standing=True, open_start=True)  # already so by the 19th
True
>>> in_force(TimeCut.of(as_of="2023-10-16", from_evidence=True), "2023-10-19", standing=True, open_start=True)
False
"""

from __future__ import annotations

import datetime as dt
import logging
import re
from dataclasses import dataclass

from rdflib import Graph, Literal, URIRef
from rdflib.namespace import XSD

from kg._derivation import derive
from kg._errors import InputError
from kg._store import MemoryStore, OxigraphStore, Store, to_oxigraph

__all__ = [
    "TIME_PARAMETERS",
    "TimeCut",
    "before_evidence",
    "claim_filter",
    "cut_view",
    "event_filter",
    "expand_directives",
    "in_force",
    "out_of_force",
    "parse_date",
    "state_filter",
]

log = logging.getLogger(__name__)

TIME_PARAMETERS = ("asOf", "since", "until")
"""The SPARQL variables the fragments test (bound by :meth:`TimeCut.bindings`)."""

DateLike = str | dt.date | None


def parse_date(value: DateLike, name: str = "date") -> dt.date | None:
    """Return the date of ``YYYY-MM-DD`` text (or a date); None for None or empty text.

    Raises
    ------
    InputError
        For text that is not a real day.
    """
    if value is None or value == "":
        return None
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    try:
        return dt.date.fromisoformat(str(value).strip())
    except ValueError as exc:
        raise InputError(f"{name} {value!r} is not a valid date: write it as YYYY-MM-DD, such as 2023-10-19") from exc


@dataclass(frozen=True)
class TimeCut:
    """A cut in time: as of a date, and/or a window ``[since, until]`` (each end optional).

    Examples
    --------
    >>> TimeCut.of(since="2023-10-17", until="2023-10-19").bindings()["since"]
    rdflib.term.Literal('2023-10-17', datatype=rdflib.term.URIRef('http://www.w3.org/2001/XMLSchema#date'))
    >>> bool(TimeCut())
    False
    """

    as_of: dt.date | None = None
    since: dt.date | None = None
    until: dt.date | None = None
    from_evidence: bool = False
    """Count a standing relation the source presents as already existing (``dip:inForceBy``)
    only from its first evidence, not before it."""

    @classmethod
    def of(
        cls, as_of: DateLike = None, since: DateLike = None, until: DateLike = None, *, from_evidence: bool = False
    ) -> TimeCut:
        """Build a cut from dates or ``YYYY-MM-DD`` text.

        Raises
        ------
        InputError
            For text that is not a date, or a window whose start comes after its end.
        """
        cut = cls(
            parse_date(as_of, "as-of date"),
            parse_date(since, "since date"),
            parse_date(until, "until date"),
            bool(from_evidence),
        )
        if cut.since and cut.until and cut.since > cut.until:
            raise InputError(f"the window is empty: since {cut.since} is after until {cut.until}; swap them")
        return cut

    def __bool__(self) -> bool:
        return any((self.as_of, self.since, self.until))

    def bindings(self) -> dict[str, Literal]:
        """Return ``{"asOf": ..., "since": ..., "until": ...}`` as ``xsd:date`` literals, set ones only."""
        values = zip(TIME_PARAMETERS, (self.as_of, self.since, self.until), strict=True)
        return {name: Literal(day.isoformat(), datatype=XSD.date) for name, day in values if day}

    def __str__(self) -> str:
        parts = [
            f"as of {self.as_of}" if self.as_of else "",
            f"since {self.since}" if self.since else "",
            f"until {self.until}" if self.until else "",
        ]
        text = ", ".join(p for p in parts if p) or "all time"
        return f"{text}, standing relations from first evidence" if self.from_evidence and self else text


def in_force(
    cut: TimeCut,
    start: DateLike,
    end: DateLike = None,
    *,
    standing: bool = False,
    open_start: bool = False,
    before: DateLike = None,
) -> bool:
    """Say whether an event (``start`` = its date) or a standing relation is inside ``cut``.

    For a standing relation, ``start`` is its first evidence: its start date, else the day it
    is in force by, else the day it was observed (None: no date); ``open_start`` says the
    source presents it as existing before that day (``dip:inForceBy`` and no start date); ``end``
    is its last day and ``before`` a day it ended before (``dip:before``).

    Examples
    --------
    >>> cut = TimeCut.of(as_of="2023-10-19")
    >>> in_force(cut, "2023-01-01", "2023-06-30", standing=True)
    False
    >>> in_force(cut, "2023-01-01", standing=True, before="2023-10-19")
    False
    >>> in_force(TimeCut.of(since="2023-10-18"), "2023-10-17", "2023-10-19")
    True
    """
    first, last = parse_date(start, "start"), parse_date(end, "end")
    ends_before = parse_date(before, "before") if standing else None
    if not standing:
        last = last or first
    elif open_start and not cut.from_evidence:
        first = None
    if cut.as_of is not None and (
        _after(first, cut.as_of) or _ended(last if standing else None, ends_before, cut.as_of)
    ):
        return False
    if cut.since is not None and _ended(last, ends_before, cut.since):
        return False
    return cut.until is None or not _after(first, cut.until)


def _after(first: dt.date | None, day: dt.date) -> bool:
    """Say whether something that starts on ``first`` (None: unknown) starts after ``day``."""
    return first is not None and first > day


def _ended(last: dt.date | None, ends_before: dt.date | None, day: dt.date) -> bool:
    """Say whether something whose last day is ``last`` or that ended before ``ends_before`` is over by ``day``."""
    return (last is not None and last < day) or (ends_before is not None and ends_before <= day)


def before_evidence(
    cut: TimeCut, start: DateLike, end: DateLike = None, *, open_start: bool = False, before: DateLike = None
) -> bool:
    """Say whether ``cut`` counts a standing relation only by its open start.

    True when the relation is in force in the cut as one the source presents as already
    existing, but would not be counted from its first evidence (``start``): the outputs mark
    it so.

    Examples
    --------
    >>> before_evidence(TimeCut.of(as_of="2023-10-16"), "2023-10-19", open_start=True)
    True
    >>> before_evidence(TimeCut.of(as_of="2023-10-19"), "2023-10-19", open_start=True)
    False
    """
    if not open_start or cut.from_evidence or not cut:
        return False
    return in_force(cut, start, end, standing=True, open_start=True, before=before) and not in_force(
        TimeCut(cut.as_of, cut.since, cut.until, True), start, end, standing=True, before=before
    )


# ---------------------------------------------------------------- SPARQL fragments

_VAR = re.compile(r"^\?[A-Za-z_][A-Za-z0-9_]*$")


def _check(*variables: str) -> None:
    for variable in variables:
        if not _VAR.match(variable):
            raise ValueError(f"{variable!r} is not a SPARQL variable such as ?event")


def _filters(cut: TimeCut | None, *, as_of: str, since: str, until: str) -> list[str]:
    """Return a FILTER of its condition for each time parameter ``cut`` sets.

    With ``cut=None``, one for each of the three, true too while its parameter is unbound.
    """
    wanted = (True,) * 3 if cut is None else (cut.as_of is not None, cut.since is not None, cut.until is not None)
    guard = "!BOUND(?{}) || " if cut is None else ""
    return [
        f"FILTER ({guard.format(name)}{condition})"
        for name, condition, want in zip(TIME_PARAMETERS, (as_of, since, until), wanted, strict=True)
        if want
    ]


def event_filter(
    event: str = "?event", *, date: str | None = None, cut: TimeCut | None = None, outer: bool = False
) -> str:
    """Return SPARQL that keeps ``event`` only when it is inside the cut.

    It binds the event's date to ``date`` (``?<event>_date`` by default) and tests ``?asOf``,
    ``?since`` and ``?until``; with an empty ``cut`` and no ``date`` asked for, the text is empty
    (a join saved on every event). With ``cut=None`` the text tests each only when it is bound (any
    cut, bound later); with a ``cut`` it holds only the tests that cut needs (none for no cut:
    rdflib pays for every FILTER on every row). Put it in the group that binds ``event`` (the
    outer group of the query, where the parameters are bound), not inside an OPTIONAL or a
    UNION branch. ``outer=True`` says it is the query's outer group: a window's end date is then
    read by an OPTIONAL (see the comment in the code).

    Examples
    --------
    >>> print(event_filter("?e", date="?d"))
    ?e dip:date ?d .
    FILTER (!BOUND(?asOf) || !(?d > ?asOf))
    FILTER (!BOUND(?since) || ?d >= ?since || EXISTS { ?e dip:endDate ?e_end FILTER (?e_end >= ?since) })
    FILTER (!BOUND(?until) || !(?d > ?until))
    >>> print(event_filter("?e", date="?d", cut=TimeCut.of(as_of="2023-10-19")))
    ?e dip:date ?d .
    FILTER (!(?d > ?asOf))
    """
    if cut is not None and not cut and date is None:
        return ""  # nothing to test, and no date asked for
    date = date or f"{event}_date"
    _check(event, date)
    # `!(a > b)`, not `a <= b` (the same in SPARQL, a type error included): Virtuoso 7
    # (07.20.3229) keeps no row for `?date <= "..."^^xsd:date` beside an OPTIONAL
    # A window's start, with the window known: the end date by an OPTIONAL (an event has at most
    # one, shapes.ttl), not EXISTS: Virtuoso 7 (07.20.3229) dropped events that began before the
    # window and end inside it with `?date >= ?since || EXISTS { ... }` (2 of 941 rows at 100,000
    # events, benchmarks/results/servers.md); the same on every engine. In the outer group only:
    # inside EXISTS or a UNION branch that OPTIONAL makes Virtuoso fail (SP031 internal error).
    spans = outer and cut is not None and cut.since is not None
    ends = [f"OPTIONAL {{ {event} dip:endDate {event}_end }}"] if spans else []
    filters = _filters(
        cut,
        as_of=f"!({date} > ?asOf)",
        since=f"{date} >= ?since || (BOUND({event}_end) && {event}_end >= ?since)"
        if spans
        else f"{date} >= ?since || EXISTS {{ {event} dip:endDate {event}_end FILTER ({event}_end >= ?since) }}",
        until=f"!({date} > ?until)",
    )
    return "\n".join([f"{event} dip:date {date} .", *ends, *filters])


def state_filter(
    state: str = "?state", *, start: str | None = None, end: str | None = None, cut: TimeCut | None = None
) -> str:
    """Return SPARQL that keeps the standing relation ``state`` only when it is inside the cut.

    It binds ``start`` (the first evidence: the start date, else the in-force-by day, else the
    observed day; unbound when none is known), ``<start>_given`` (the start date) and
    ``<start>_by`` (the in-force-by day), and ``end`` (the end date, unbound when open),
    ``?<state>_start`` and ``?<state>_end`` by default. A relation with an in-force-by day and no
    start date has an open start: it counts before that day unless ``cut.from_evidence``
    (with ``cut=None``, always open). Put it in the outer group of the query, as
    :func:`event_filter`; ``cut`` as there.
    """
    start = start or f"{state}_start"
    end = end or f"{state}_end"
    _check(state, start, end)
    open_start = "" if cut is not None and cut.from_evidence else f" || (!BOUND({start}_given) && BOUND({start}_by))"
    lines = [
        f"OPTIONAL {{ {state} dip:startDate {start}_given }}",
        f"OPTIONAL {{ {state} dip:inForceBy {start}_by }}",
        f"OPTIONAL {{ {state} dip:observedOn {start}_seen }}",
        f"OPTIONAL {{ {state} dip:endDate {end} }}",
        f"OPTIONAL {{ {state} dip:before {end}_before }}",
        f"BIND (COALESCE({start}_given, {start}_by, {start}_seen) AS {start})",
    ]
    lines += _filters(
        cut,
        as_of=f"((!BOUND({start}) || !({start} > ?asOf){open_start}) && "
        f"(!BOUND({end}) || {end} >= ?asOf) && (!BOUND({end}_before) || {end}_before > ?asOf))",
        since=f"((!BOUND({end}) || {end} >= ?since) && (!BOUND({end}_before) || {end}_before > ?since))",
        until=f"!BOUND({start}) || !({start} > ?until){open_start}",
    )
    return "\n".join(lines)


def claim_filter(claim: str = "?claim", *, cut: TimeCut | None = None) -> str:
    """Return a SPARQL FILTER that keeps ``claim`` only when some event asserting it is in the cut.

    ``cut`` as in :func:`event_filter`; the text is empty for an empty cut.
    """
    _check(claim)
    if cut is not None and not cut:
        return ""
    inner = event_filter(f"{claim}_by", cut=cut).replace("\n", "\n        ")
    condition = "(!BOUND(?asOf) && !BOUND(?since) && !BOUND(?until)) || " if cut is None else ""
    return f"FILTER ({condition}EXISTS {{\n        {claim}_by dip:assertsClaim {claim} .\n        {inner}\n    }})"


_DIRECTIVE = re.compile(
    r"^(?P<indent>[ \t]*)#\s*timecut:\s*(?P<kind>event|state|claim)\s+(?P<args>.*?)\s*$", re.MULTILINE
)


def expand_directives(sparql: str, *, cut: TimeCut | None = None) -> str:
    r"""Replace ``# timecut: event ?e ?date`` (``state ?s ?start ?end``, ``claim ?c``) lines.

    A query file stays valid SPARQL on its own (the directives are comments): it then ignores
    time. ``cut`` as in :func:`event_filter`: None for text that tests whatever is bound.

    Examples
    --------
    >>> print(expand_directives("SELECT * WHERE {\n  # timecut: claim ?c\n}").splitlines()[1])
      FILTER ((!BOUND(?asOf) && !BOUND(?since) && !BOUND(?until)) || EXISTS {
    """

    def replace(match: re.Match[str]) -> str:
        kind, args = match["kind"], match["args"].split()
        try:
            if kind == "event":
                text = event_filter(args[0], date=args[1] if len(args) > 1 else None, cut=cut, outer=True)
            elif kind == "state":
                text = state_filter(
                    args[0], start=args[1] if len(args) > 1 else None, end=args[2] if len(args) > 2 else None, cut=cut
                )
            else:
                text = claim_filter(args[0], cut=cut)
        except (IndexError, ValueError) as exc:
            raise InputError(f"bad time-cut directive {match.group().strip()!r}: {exc}") from exc
        return "\n".join(match["indent"] + line for line in text.splitlines())

    return _DIRECTIVE.sub(replace, sparql)


# ---------------------------------------------------------------- the time-cut view

_OUTSIDE = """
SELECT DISTINCT ?node WHERE {
    { ?node a dip:Event . BIND (1 AS ?kind) }
    UNION { ?node a dip:StandingRelation . BIND (2 AS ?kind) }
    UNION { ?node a dip:Claim . BIND (3 AS ?kind) }
    FILTER (
        (?kind = 1 && NOT EXISTS { %(event)s })
        || (?kind = 2 && NOT EXISTS { %(state)s })
        || (?kind = 3 && NOT EXISTS { %(claim)s })
    )
}
"""
# The FILTER stands in the outer group, where the cut's variables are bound on every engine (a
# VALUES block joins the outer group only), and reaches the fragments through NOT EXISTS.


def out_of_force(store: Store, cut: TimeCut) -> set[URIRef]:
    """Return the events, standing relations and claims of ``store`` outside ``cut``.

    Examples
    --------
    >>> import kg
    >>> outside = out_of_force(kg.load(), TimeCut.of(as_of="2023-10-16"))
    >>> kg.ID["event/recall-2023-10-19"] in outside
    True
    """
    if not cut:
        return set()
    text = _OUTSIDE % {
        "event": event_filter("?node", date="?node_d", cut=cut),
        "state": state_filter("?node", start="?node_s", end="?node_e", cut=cut),
        "claim": claim_filter("?node", cut=cut),
    }
    result = store.query(text, bindings=cut.bindings())
    return {row[0] for row in result.rows if isinstance(row[0], URIRef)}


def cut_view(store: Store, cut: TimeCut) -> Store:
    """Return a copy of ``store`` that holds only what is inside ``cut``.

    Events, standing relations and claims outside the cut lose every triple they are the subject
    or the object of; the derived actor-to-actor edges are derived again from what is left. The
    copy is in memory: rdflib for a memory store, Oxigraph otherwise (an on-disk store or an
    endpoint), so it reads the whole graph once: fine for an ad-hoc question, while the named
    queries cut inside the engine (see :func:`event_filter`).

    Examples
    --------
    >>> import kg
    >>> view = cut_view(kg.load(), TimeCut.of(as_of="2023-10-16"))
    >>> bool(view.query("ASK { ?a dip:recallsDiplomatsFrom ?b }"))
    False
    """
    outside = out_of_force(store, cut)
    derived = {row[0] for row in store.query("SELECT DISTINCT ?t WHERE { ?t dip:symmetric ?s }").rows}
    view: Store
    # Each triple kept stays in its graph (kg._graphs); the derived edges are left out by their
    # property, whichever graph holds them, and derived again from what is left.
    if isinstance(store, OxigraphStore):  # stay in Oxigraph terms: no rdflib graph in between
        nodes = {to_oxigraph(node) for node in outside}
        predicates = {to_oxigraph(node) for node in derived if isinstance(node, URIRef)}
        view = OxigraphStore()
        view.ox.extend(
            q
            for q in store.quads()
            if q.subject not in nodes and q.object not in nodes and q.predicate not in predicates
        )
    elif isinstance(store, MemoryStore):
        view = memory = MemoryStore()
        memory.graph.addN(
            (s, p, o, memory.graph.default_graph if g is None else memory.named(g))
            for s, p, o, g in store.graph.quads((None, None, None, None))
            if s not in outside and o not in outside and p not in derived
        )
    else:
        view = OxigraphStore()
        kept = Graph()
        for s, p, o in store.to_graph():
            if s not in outside and o not in outside and p not in derived:
                kept.add((s, p, o))
        view.add_graph(kept)
    derive(view)
    log.info("time-cut view %s: %d nodes left out, %d triples kept", cut, len(outside), len(view))
    return view
