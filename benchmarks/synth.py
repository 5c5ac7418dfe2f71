"""Synthetic event graphs shaped like real event data, for benchmarks and scale tests.

The one shared generator of the project's benchmarks (don't write another). It writes DATA only,
in the real vocabulary of ``ontology/`` (load it with ``kg.load(path, default=False)``, which adds
the ontology and derives the actor-to-actor edges with :func:`kg._derivation.derive`):

- **Actors** (a few hundred: ``default_actor_count(n_events)``, about 300 at 10k events, 350 at
  100k, 400 at 1M), typed ``dip:State`` (35 %), ``dip:GovernmentBody`` (20 %), ``dip:Person``
  (25 %), ``dip:Organisation`` (15 %), ``dip:Collective`` (5 %), each with one English
  ``rdfs:label`` and one or two ``skos:altLabel``; states carry a ``dip:actorCode``. IRIs
  ``id:synth/actor/NNNN``; rank 0 is the busiest.
- **Events** (``id:synth/event/NNNNNNN``): ``a dip:Event ; dip:eventType ; dip:actor ;
  dip:target ; dip:date ; dip:datePrecision ; dip:source ; dip:quote`` always, and sometimes
  ``dip:endDate`` (an interval, 12 %), ``dip:qualifier`` (35 %), ``dip:attributedTo`` (25 %),
  ``dip:topic`` (20 %), ``dip:confidence`` (50 %), a second target (every ``dip:mediates``).
  About 9.5 triples an event in all.
  Types: 29 relation types of ``ontology/relations.ttl`` with GDELT-like frequencies (statements,
  consultations and appeals common; recalls, expulsions and hostage-taking rare), plus 8 % of
  CAMEO codes (``cameo:036`` ...) for types outside the taxonomy, plus 0.3 % incidents
  (``dip:explosion``, no actor). Actor and target are drawn from a Zipf-like distribution
  (weight of rank r: ``1 / (r + 1) ** 1.1``), so a few hubs take most events, as in GDELT.
  Dates are uniform over 2020-01-01 .. 2023-12-31.
- **Sources**: ``max(20, min(5000, n_events // 20))`` documents (``id:synth/source/NNNN``,
  ``a dip:Source`` with a label and ``schema:datePublished``), each event citing one.
- **Claims** (one per 500 events, ``id:synth/claim/NNNN``): asserted by an accusation, disputed by
  a denial (half of them, also contradicting the previous claim), endorsed by an endorsement.
- **Standing relations** (``id:synth/state/NNNN``): every person ``dip:holdsPostIn`` a state
  (with ``dip:role``, a start date and, for a third, an end date), every government body
  ``dip:partOf`` a state (``dip:observedOn``), and about ``n_actors / 2`` ``dip:maintainsTiesWith``
  ties (start date, a fifth ended).

Everything is deterministic by ``seed``. It conforms to ``ontology/shapes.ttl``
(``tests/test_synth.py`` validates 200 events). Use :func:`generate` for rdflib triples,
:func:`write_ntriples` to stream N-Triples to a file without holding the graph (about 10 million
lines for a million events), :func:`actors` for the actor table (IRI, label, kind, rank), or run
``python benchmarks/synth.py 100000 -o events.nt``.

>>> triples = list(generate(100, seed=1))
>>> 900 <= sum(1 for t in triples if "synth/event/" in t[0]) <= 1200
True
"""

from __future__ import annotations

import argparse
import bisect
import datetime
import itertools
import math
import random
import sys
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

from rdflib import Literal, URIRef
from rdflib.namespace import RDF, RDFS, SKOS, XSD

try:  # run as a script from the repository, or imported as benchmarks.synth
    from kg._namespace import CAMEO, DIP, ID, SCHEMA
except ImportError:  # pragma: no cover
    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
    from kg._namespace import CAMEO, DIP, ID, SCHEMA

__all__ = ["Actor", "actors", "default_actor_count", "generate", "write_ntriples"]

START = datetime.date(2020, 1, 1)
DAYS = (datetime.date(2023, 12, 31) - START).days + 1
ZIPF = 1.1

# Relation types with GDELT-like relative frequencies. Misspelt names fail at import (DIP).
EVENT_TYPES: list[tuple[URIRef, float]] = [
    (DIP.makesStatement, 12),
    (DIP.consults, 10),
    (DIP.meetsWith, 6),
    (DIP.discussesByTelephone, 5),
    (DIP.visits, 4),
    (DIP.hostsVisitOf, 3),
    (DIP.negotiatesWith, 3),
    (DIP.appealsTo, 6),
    (DIP.endorses, 4),
    (DIP.providesAidTo, 2),
    (DIP.signsAgreementWith, 1.5),
    (DIP.mediates, 1),
    (DIP.condemns, 8),
    (DIP.accuses, 6),
    (DIP.rejects, 3),
    (DIP.deniesResponsibility, 2),
    (DIP.threatens, 3),
    (DIP.demonstratesAgainst, 3),
    (DIP.clashesWith, 1),
    (DIP.arrests, 2),
    (DIP.recallsDiplomatsFrom, 0.5),
    (DIP.expels, 0.5),
    (DIP.urgesCitizensToLeave, 0.3),
    (DIP.issuesTravelWarning, 0.3),
    (DIP.evacuatesCitizensFrom, 0.3),
    (DIP.reducesRelationsWith, 0.5),
    (DIP.imposesSanctionsOn, 1),
    (DIP.takesHostages, 0.3),
    (DIP.attacks, 3),
]
# CAMEO codes outside the taxonomy (all in ontology/cameo.ttl), 8 % of events together.
CAMEO_TYPES = [
    CAMEO[c]
    for c in (
        "036",
        "031",
        "0311",
        "057",
        "061",
        "071",
        "081",
        "090",
        "100",
        "114",
        "124",
        "138",
        "1711",
        "172",
        "1823",
    )
]
CAMEO_SHARE = 0.08
INCIDENT_SHARE = 0.003
CLAIM_EVERY = 500  # events per claim

KINDS = [
    (DIP.State, 0.35),
    (DIP.GovernmentBody, 0.20),
    (DIP.Person, 0.25),
    (DIP.Organisation, 0.15),
    (DIP.Collective, 0.05),
]
ROLES = [
    "President",
    "Prime Minister",
    "Foreign Minister",
    "Defence Minister",
    "Ambassador",
    "Spokesperson",
    "Chief of Staff",
]
QUALIFIERS = [
    "temporary",
    "in the strongest terms",
    "by phone",
    "as a precaution",
    "at the highest level",
    "for the short term",
    "reportedly",
    "behind closed doors",
]
TOPICS = ["hostages", "ceasefire", "trade", "refugees", "energy", "border security", "sanctions"]
VERBS = {DIP.makesStatement: "made a statement about", DIP.mediates: "mediated between"}

_SYLLABLES = [
    "ka",
    "lo",
    "ri",
    "ve",
    "ta",
    "mon",
    "sel",
    "dar",
    "no",
    "vi",
    "bar",
    "zen",
    "ul",
    "ra",
    "mi",
    "tor",
    "el",
    "an",
    "go",
    "su",
    "pe",
    "lin",
    "or",
    "ha",
    "qu",
    "is",
]
_GIVEN = [
    "Amira",
    "Boris",
    "Chen",
    "Dalia",
    "Emre",
    "Farid",
    "Greta",
    "Hana",
    "Ivo",
    "Jonas",
    "Kemal",
    "Lena",
    "Mateo",
    "Nadia",
    "Omar",
    "Petra",
    "Rafael",
    "Sana",
    "Tomas",
    "Yara",
]


@dataclass(frozen=True)
class Actor:
    """One synthetic actor: its IRI, label, aliases, class and rank (0 = busiest)."""

    iri: str
    label: str
    aliases: tuple[str, ...]
    kind: str
    rank: int


def default_actor_count(n_events: int) -> int:
    """Return the number of actors for ``n_events`` events (a few hundred, growing slowly)."""
    return max(20, round(100 + 50 * math.log10(max(n_events, 1))))


def _name(rng: random.Random, syllables: int) -> str:
    return "".join(rng.choice(_SYLLABLES) for _ in range(syllables)).capitalize()


def actors(n_events: int, *, seed: int = 0, n_actors: int | None = None) -> list[Actor]:
    """Return the actors :func:`generate` uses for these arguments, by rank (busiest first)."""
    n = n_actors or default_actor_count(n_events)
    rng = random.Random(f"actors-{seed}-{n}")
    kinds = rng.choices([k for k, _ in KINDS], weights=[w for _, w in KINDS], k=n)
    # States tend to be the hubs: sort by a random key, halved for states.
    order = sorted(range(n), key=lambda i: rng.random() * (0.4 if kinds[i] == DIP.State else 1.0))
    used: set[str] = set()
    result = []
    for rank, index in enumerate(order):
        kind = kinds[index]
        while True:
            stem = _name(rng, rng.choice((2, 3)))
            if stem not in used:
                used.add(stem)
                break
        if kind == DIP.State:
            label, aliases = f"Republic of {stem}", (stem, f"{_name(rng, 2)} City")
        elif kind == DIP.GovernmentBody:
            label, aliases = f"{stem} Ministry of {rng.choice(TOPICS).title()}", (f"the {stem} ministry",)
        elif kind == DIP.Person:
            label, aliases = f"{rng.choice(_GIVEN)} {stem}", (stem,)
        elif kind == DIP.Organisation:
            label, aliases = f"{stem} Movement", (f"the {stem} group",)
        else:
            label, aliases = f"protesters in {stem}", (f"{stem} crowds",)
        result.append(Actor(str(ID[f"synth/actor/{rank:04d}"]), label, aliases, str(kind).rsplit("#", 1)[-1], rank))
    return result


# ---------------------------------------------------------------- the records

_IRI, _STR, _LANG, _DATE, _DECIMAL = 0, 1, 2, 3, 4
_Record = tuple[str, str, str, int]


_PREDICATES = (
    "eventType",
    "actor",
    "target",
    "date",
    "endDate",
    "datePrecision",
    "source",
    "quote",
    "qualifier",
    "attributedTo",
    "topic",
    "assertsClaim",
    "disputesClaim",
    "endorsesClaim",
    "claimText",
    "about",
    "claimedResponsible",
    "contradicts",
    "relationType",
    "subject",
    "object",
    "startDate",
    "observedOn",
    "role",
    "actorCode",
    "confidence",
)
_TYPE, _LABEL, _ALT = str(RDF.type), str(RDFS.label), str(SKOS.altLabel)


def _records(n_events: int, seed: int, n_actors: int | None) -> Iterator[_Record]:
    """Yield ``(subject, predicate, object, kind)`` with plain strings (kind: IRI or literal kind)."""
    graph = _Graph(random.Random(seed), actors(n_events, seed=seed, n_actors=n_actors))
    yield from graph.actors()
    n_sources = max(20, min(5000, n_events // 20))
    graph.sources = [str(ID[f"synth/source/{i:04d}"]) for i in range(n_sources)]
    for i, src in enumerate(graph.sources):
        yield src, _TYPE, str(DIP.Source), _IRI
        yield src, _LABEL, f"Wire report {i}", _LANG
        yield src, str(SCHEMA.datePublished), _day(graph.rng.randrange(DAYS)), _DATE
    yield from graph.standing_relations()
    for i in range(n_events):
        yield from graph.event(i)


class _Graph:
    """The generator's state: its random numbers, actors, sources and claims so far."""

    def __init__(self, rng: random.Random, people: list[Actor]):
        self.rng, self.people, self.n = rng, people, len(people)
        self.p = {name: str(DIP[name]) for name in _PREDICATES}
        self.sources: list[str] = []
        self.claims: list[str] = []
        self.state_count = itertools.count()
        self.cumulative = list(itertools.accumulate(1 / (r + 1) ** ZIPF for r in range(self.n)))
        self.type_iris = [str(t) for t, _ in EVENT_TYPES]
        self.type_cum = list(itertools.accumulate(w for _, w in EVENT_TYPES))
        self.cameo_iris = [str(c) for c in CAMEO_TYPES]

    def actors(self) -> Iterator[_Record]:
        """Yield the actors' classes, labels, aliases and (states) codes."""
        for actor in self.people:
            yield actor.iri, _TYPE, str(DIP[actor.kind]), _IRI
            yield actor.iri, _LABEL, actor.label, _LANG
            for alias in actor.aliases:
                yield actor.iri, _ALT, alias, _LANG
            if actor.kind == "State":
                yield actor.iri, self.p["actorCode"], f"S{actor.rank:03d}", _STR

    def standing(
        self, kind: URIRef, subject: Actor, obj: Actor, dates: dict[str, str], role: str = ""
    ) -> Iterator[_Record]:
        """Yield one standing relation."""
        p, node = self.p, str(ID[f"synth/state/{next(self.state_count):04d}"])
        yield node, _TYPE, str(DIP.StandingRelation), _IRI
        yield node, p["relationType"], str(kind), _IRI
        yield node, p["subject"], subject.iri, _IRI
        yield node, p["object"], obj.iri, _IRI
        for name, value in dates.items():
            yield node, p[name], value, _DATE
        if role:
            yield node, p["role"], role, _STR
        yield node, p["source"], self.rng.choice(self.sources), _IRI

    def standing_relations(self) -> Iterator[_Record]:
        """Yield posts of persons, parts of governments, and ties between actors."""
        rng, people = self.rng, self.people
        states = [a for a in people if a.kind == "State"] or people[:1]
        for actor in people:
            if actor.kind == "Person":
                start = rng.randrange(DAYS - 30)
                dates = {"startDate": _day(start)}
                if rng.random() < 1 / 3:
                    dates["endDate"] = _day(rng.randrange(start, DAYS))
                yield from self.standing(DIP.holdsPostIn, actor, rng.choice(states), dates, rng.choice(ROLES))
            elif actor.kind == "GovernmentBody":
                observed = {"observedOn": _day(rng.randrange(DAYS))}
                yield from self.standing(DIP.partOf, actor, rng.choice(states), observed)
        seen_ties: set[tuple[int, int]] = set()
        for _ in range(self.n // 2):
            a, b = rng.randrange(self.n), rng.randrange(self.n)
            if a == b or (a, b) in seen_ties or (b, a) in seen_ties:
                continue
            seen_ties.add((a, b))
            start = rng.randrange(DAYS)
            dates = {"startDate": _day(start)}
            if rng.random() < 0.2:
                dates["endDate"] = _day(rng.randrange(start, DAYS))
            yield from self.standing(DIP.maintainsTiesWith, people[a], people[b], dates)

    def draw(self) -> int:
        """Return the rank of an actor, busy ones (Zipf) more often."""
        return min(bisect.bisect(self.cumulative, self.rng.random() * self.cumulative[-1]), self.n - 1)

    def kind(self) -> str:
        """Return an event type: an incident, a CAMEO code or a type of the taxonomy."""
        roll = self.rng.random()
        if roll < INCIDENT_SHARE:
            return str(DIP.explosion)
        if roll < INCIDENT_SHARE + CAMEO_SHARE:
            return self.rng.choice(self.cameo_iris)
        return self.type_iris[bisect.bisect(self.type_cum, self.rng.random() * self.type_cum[-1])]

    def event(self, i: int) -> Iterator[_Record]:
        """Yield one event: type, actor, targets, dates, source, quote and what it may add."""
        rng, p, people = self.rng, self.p, self.people
        event = str(ID[f"synth/event/{i:07d}"])
        kind = self.kind()
        start = rng.randrange(DAYS)
        yield event, _TYPE, str(DIP.Event), _IRI
        yield event, p["eventType"], kind, _IRI
        actor = self.draw()
        targets: list[int] = []
        if kind != str(DIP.explosion):
            yield event, p["actor"], people[actor].iri, _IRI
            targets = self.targets(kind)
            for t in targets:
                if t == actor:
                    t = (t + 1 + rng.randrange(self.n - 1)) % self.n
                yield event, p["target"], people[t].iri, _IRI
        yield event, p["date"], _day(start), _DATE
        yield event, p["datePrecision"], str(DIP.DayPrecision), _IRI
        if rng.random() < 0.12:
            yield event, p["endDate"], _day(min(start + rng.randrange(1, 6), DAYS - 1)), _DATE
        yield event, p["source"], self.sources[rng.randrange(len(self.sources))], _IRI
        verb = VERBS.get(kind, kind.rsplit("#", 1)[-1].rsplit("/", 1)[-1])
        whom = " and ".join(people[t].aliases[0] for t in targets) or "the situation"
        who = people[actor].aliases[0] if kind != str(DIP.explosion) else "An explosion"
        yield event, p["quote"], f"{who} {verb} {whom}, officials said (report {i}).", _STR
        yield from self.extras(event, kind, actor)
        yield from self.claim(event, i, kind, targets)

    def targets(self, kind: str) -> list[int]:
        """Return the targets drawn for an event (none for some statements, two for a mediation).

        One that is the actor is written as another (:meth:`event`); the quote keeps the draw.
        """
        drawn: list[int] = []
        if kind != str(DIP.makesStatement) or self.rng.random() < 0.7:
            drawn.append(self.draw())
        if kind == str(DIP.mediates):
            drawn.append(self.draw())
        return drawn

    def extras(self, event: str, kind: str, actor: int) -> Iterator[_Record]:
        """Yield the qualifier, attribution, topic and confidence an event may have."""
        rng, p = self.rng, self.p
        if rng.random() < 0.35:
            yield event, p["qualifier"], rng.choice(QUALIFIERS), _STR
        if rng.random() < 0.25 and kind != str(DIP.explosion):
            yield event, p["attributedTo"], self.people[actor].iri, _IRI
        if rng.random() < 0.20:
            yield event, p["topic"], rng.choice(TOPICS), _STR
        if rng.random() < 0.5:
            yield event, p["confidence"], f"0.{rng.randrange(50, 100)}", _DECIMAL

    def claim(self, event: str, i: int, kind: str, targets: list[int]) -> Iterator[_Record]:
        """Yield the claim an accusation asserts (one every CLAIM_EVERY events), or one disputed or endorsed."""
        rng, p, claims = self.rng, self.p, self.claims
        if kind == str(DIP.accuses) and targets and len(claims) * CLAIM_EVERY <= i:
            claim = str(ID[f"synth/claim/{len(claims):04d}"])
            yield event, p["assertsClaim"], claim, _IRI
            yield claim, _TYPE, str(DIP.Claim), _IRI
            text = f"Claim {len(claims)}: {self.people[targets[0]].label} is responsible."
            yield claim, p["claimText"], text, _LANG
            yield claim, p["claimedResponsible"], self.people[targets[0]].iri, _IRI
            yield claim, p["source"], rng.choice(self.sources), _IRI
            if claims and len(claims) % 2 == 0:
                yield claim, p["contradicts"], claims[-1], _IRI
            claims.append(claim)
        elif kind == str(DIP.deniesResponsibility) and claims and rng.random() < 0.5:
            yield event, p["disputesClaim"], claims[rng.randrange(len(claims))], _IRI
        elif kind == str(DIP.endorses) and claims and rng.random() < 0.3:
            yield event, p["endorsesClaim"], claims[rng.randrange(len(claims))], _IRI


def _day(offset: int) -> str:
    return (START + datetime.timedelta(days=offset)).isoformat()


# ---------------------------------------------------------------- output


def generate(n_events: int, *, seed: int = 0, n_actors: int | None = None) -> Iterator[tuple[URIRef, URIRef, object]]:
    """Yield the triples of a synthetic event graph as rdflib terms.

    Parameters
    ----------
    n_events : int
        How many events.
    seed : int, default 0
        The random seed: the same arguments give the same triples.
    n_actors : int, optional
        How many actors (:func:`default_actor_count` by default).
    """
    date = XSD.date
    for s, p, o, kind in _records(n_events, seed, n_actors):
        if kind == _IRI:
            obj: object = URIRef(o)
        elif kind == _LANG:
            obj = Literal(o, lang="en")
        elif kind == _DATE:
            obj = Literal(o, datatype=date)
        elif kind == _DECIMAL:
            obj = Literal(o, datatype=XSD.decimal)
        else:
            obj = Literal(o)
        yield URIRef(s), URIRef(p), obj


def _escape(text: str) -> str:
    return text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n").replace("\r", "\\r")


_FORMAT: dict[int, Callable[[str], str]] = {
    _IRI: lambda o: f"<{o}>",
    _STR: lambda o: f'"{_escape(o)}"',
    _LANG: lambda o: f'"{_escape(o)}"@en',
    _DATE: lambda o: f'"{o}"^^<{XSD.date}>',
    _DECIMAL: lambda o: f'"{o}"^^<{XSD.decimal}>',
}


def write_ntriples(path: str | Path, n_events: int, *, seed: int = 0, n_actors: int | None = None) -> int:
    """Stream the graph of :func:`generate` to an N-Triples file; return the number of triples.

    Nothing is held in memory but the actors and sources; the file is written to ``path + .part``
    and renamed when complete.
    """
    path = Path(path)
    part = path.with_name(path.name + ".part")
    count = 0
    fmt = _FORMAT
    with part.open("w", encoding="utf-8", buffering=1 << 20) as out:
        lines: list[str] = []
        for s, p, o, kind in _records(n_events, seed, n_actors):
            lines.append(f"<{s}> <{p}> {fmt[kind](o)} .\n")
            if len(lines) >= 100_000:
                out.writelines(lines)
                count += len(lines)
                lines.clear()
        out.writelines(lines)
        count += len(lines)
    part.replace(path)
    return count


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Write a synthetic event graph as N-Triples.")
    parser.add_argument("events", type=int, help="number of events")
    parser.add_argument("-o", "--output", type=Path, required=True, help="the .nt file to write")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--actors", type=int, default=None, help="number of actors (default: a few hundred)")
    args = parser.parse_args(argv)
    started = time.perf_counter()
    count = write_ntriples(args.output, args.events, seed=args.seed, n_actors=args.actors)
    print(
        f"{args.output}: {count:,} triples for {args.events:,} events "
        f"({count / max(args.events, 1):.1f} a event) in {time.perf_counter() - started:.1f} s"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
