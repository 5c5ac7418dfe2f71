"""What a graph holds: triples, actors by kind, events by type, readings, sources and the date span."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any

from kg._store import Store
from kg._tabular import short_iri

__all__ = ["Summary", "summarize"]

# Each actor counted once, under its most specific actor class. The actor classes come first,
# from a sub-select: Virtuoso 7 (07.20.3229) drops solutions when the join of `?actor a ?class`,
# the path `?class rdfs:subClassOf* dip:Actor`, a FILTER NOT EXISTS and the label is left to
# its optimiser (it counted 20 actors and 3 organisations where rdflib and Oxigraph count 21
# and 4: the first organisation by IRI went missing).
_ACTORS = """
SELECT ?kind (COUNT(DISTINCT ?actor) AS ?n) WHERE {
    { SELECT DISTINCT ?class WHERE { ?class rdfs:subClassOf* dip:Actor } }
    ?actor a ?class .
    FILTER NOT EXISTS { ?actor a ?sub . FILTER (?sub != ?class) ?sub rdfs:subClassOf+ ?class }
    ?class rdfs:label ?kind .
} GROUP BY ?kind ORDER BY DESC(?n) ?kind
"""
_EVENTS = """
SELECT ?type (COUNT(?event) AS ?n) WHERE {
    ?event a dip:Event ; dip:eventType ?t .
    OPTIONAL { ?t skos:prefLabel ?label }
    BIND (COALESCE(?label, STR(?t)) AS ?type)
} GROUP BY ?type ORDER BY DESC(?n) ?type
"""
_TOTALS = """
SELECT ?class (COUNT(?node) AS ?n) WHERE {
    VALUES ?class { dip:Event dip:Claim dip:StandingRelation dip:Source }
    ?node a ?class .
} GROUP BY ?class
"""
_READINGS = """
SELECT ?of (COUNT(DISTINCT ?reading) AS ?n) WHERE {
    ?node dip:hasReading ?reading .
    OPTIONAL { ?reading dip:readingOf ?property }
    BIND (COALESCE(?property, "unspecified") AS ?of)
} GROUP BY ?of ORDER BY DESC(?n) ?of
"""
_SPAN = """
SELECT (MIN(?d) AS ?first) (MAX(?last) AS ?final) WHERE {
    ?event a dip:Event ; dip:date ?d . OPTIONAL { ?event dip:endDate ?e }
    BIND (COALESCE(?e, ?d) AS ?last)
}
"""


@dataclass
class Summary:
    """Counts that describe a graph (``kg info``).

    Examples
    --------
    >>> import kg
    >>> summary = kg.summarize(kg.load())
    >>> isinstance(summary, kg.Summary), summary.events > 0
    (True, True)
    """

    triples: int
    events: int
    claims: int
    states: int
    sources: int
    first_date: str | None
    last_date: str | None
    actors_by_kind: dict[str, int] = field(default_factory=dict)
    events_by_type: dict[str, int] = field(default_factory=dict)
    readings: int = 0
    """Places where the data interprets its source (``dip:hasReading``), by the property read."""
    readings_by_property: dict[str, int] = field(default_factory=dict)

    def as_dict(self) -> dict[str, Any]:
        """Return the summary as plain data (for JSON)."""
        return asdict(self)

    def __str__(self) -> str:
        lines = [
            f"triples          {self.triples:,}",
            f"actors           {sum(self.actors_by_kind.values()):,}",
            *(f"  {kind:<32}{n:>6,}" for kind, n in self.actors_by_kind.items()),
            f"events           {self.events:,}",
            *(f"  {kind:<32}{n:>6,}" for kind, n in self.events_by_type.items()),
            f"claims           {self.claims:,}",
            f"readings         {self.readings:,}",
            *(f"  {prop:<32}{n:>6,}" for prop, n in self.readings_by_property.items()),
            f"standing rel.    {self.states:,}",
            f"sources          {self.sources:,}",
            f"date span        {self.first_date or '-'} .. {self.last_date or '-'}",
        ]
        return "\n".join(lines)


def summarize(store: Store) -> Summary:
    """Count what ``store`` holds.

    Examples
    --------
    >>> import kg
    >>> summary = kg.summarize(kg.load())
    >>> summary.first_date <= "2023-10-07" <= summary.last_date
    True
    >>> summary.readings_by_property["dip:impliedMinimum"]  # lower bounds read into "scores", ...
    3
    """
    totals = {str(c).rsplit("#", 1)[-1]: int(n) for c, n in store.query(_TOTALS).rows}  # type: ignore[arg-type]
    # rdflib gives no row for an aggregate over nothing; Oxigraph one row of unbound values
    rows: list[Any] = store.query(_SPAN).rows
    span = rows[0] if rows else (None, None)
    actors = {str(k): int(n) for k, n in store.query(_ACTORS).rows}  # type: ignore[arg-type]
    events = {str(t): int(n) for t, n in store.query(_EVENTS).rows}  # type: ignore[arg-type]
    readings = {short_iri(str(p)): int(n) for p, n in store.query(_READINGS).rows}  # type: ignore[arg-type]
    first, last = span
    return Summary(
        triples=len(store),
        events=totals.get("Event", 0),
        claims=totals.get("Claim", 0),
        states=totals.get("StandingRelation", 0),
        sources=totals.get("Source", 0),
        first_date=str(first) if first is not None else None,
        last_date=str(last) if last is not None else None,
        actors_by_kind=actors,
        events_by_type=events,
        readings=sum(readings.values()),
        readings_by_property=readings,
    )
