"""What ingestion looks names up in: the actors, relation types, actor kinds and sources of a graph.

Everything comes from the target graph (the ontology and the data already there), never from
code: the relation taxonomy and its CAMEO codes from ``ontology/relations.ttl``, the full CAMEO
scheme from ``ontology/cameo.ttl``, actors by label, alias, IRI, code and Wikidata ID.
"""

from __future__ import annotations

import difflib
from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from typing import Any

import pyoxigraph as ox
from rdflib import Graph, Literal, URIRef
from rdflib.namespace import RDF, RDFS, SKOS
from rdflib.term import Node

from kg._names import fold
from kg._namespace import DIP, PREFIXES, SCHEMA
from kg._store import MemoryStore, OxigraphStore, Store, bind_values, to_oxigraph, to_rdflib

__all__ = ["ActorEntry", "GraphIndex", "RelationEntry", "fold"]

_RELATIONS = """
SELECT ?type ?class ?code ?symmetric ?standing ?exact WHERE {
    VALUES ?class { dip:RelationType dip:IncidentType dip:CameoCode }
    ?type a ?class .
    OPTIONAL { ?type dip:cameoCode ?code }
    OPTIONAL { ?type dip:symmetric ?symmetric }
    OPTIONAL { ?type dip:standing ?standing }
    OPTIONAL { ?type skos:exactMatch ?concept . ?concept a dip:CameoCode ; dip:cameoCode ?exact }
}
"""
_RELATION_NAMES = """
SELECT ?type ?name WHERE {
    VALUES ?class { dip:RelationType dip:IncidentType }
    ?type a ?class .
    { ?type skos:prefLabel ?name } UNION { ?type rdfs:label ?name } UNION { ?type skos:altLabel ?name }
}
"""
_KINDS = """
SELECT ?kind ?label WHERE {
    ?kind rdfs:subClassOf* dip:Actor .
    OPTIONAL { ?kind rdfs:label ?label }
}
"""
_ACTORS = """
SELECT ?actor ?kind ?label WHERE {
    ?actor a ?kind . ?kind rdfs:subClassOf* dip:Actor .
    OPTIONAL { ?actor rdfs:label ?label }
}
"""
# Of any subject: _load_actors keeps those _ACTORS found (Virtuoso 7 drops rows of this union
# joined with the property path there, in a join or a FILTER EXISTS alike).
_ACTOR_NAMES = """
SELECT ?actor ?how ?name WHERE {
    { ?actor skos:altLabel ?name . BIND ("alt" AS ?how) }
    UNION { ?actor dip:actorCode ?name . BIND ("code" AS ?how) }
    UNION { ?actor schema:sameAs ?name . BIND ("wikidata" AS ?how) }
}
"""
_TIES = """
SELECT ?actor ?state WHERE {
    ?tie dip:relationType ?type ; dip:subject ?actor ; dip:object ?state .
    ?type dip:structural true . ?state a dip:State .
}
"""
_SOURCE_BY_IRI = "SELECT ?source WHERE { ?source a dip:Source } LIMIT 1"
_SOURCE_BY_NAME = """
SELECT DISTINCT ?source WHERE {
    ?source a dip:Source .
    { ?source rdfs:label ?name } UNION { ?source schema:url ?name }
    FILTER (LCASE(STR(?name)) = ?needle)
}
"""
_HAS_ONTOLOGY = "ASK { dip:RelationScheme a skos:ConceptScheme }"


@dataclass
class RelationEntry:
    """A relation type, incident type or CAMEO concept of the graph."""

    iri: str
    kind: str  # "relation", "incident" or "cameo"
    code: str = ""
    symmetric: bool = False
    standing: bool = False
    exact: bool = False
    """The type is its CAMEO code's concept (``skos:exactMatch``), not narrower than it."""


@dataclass
class ActorEntry:
    """An actor of the graph (or one the ingestion creates)."""

    iri: str
    label: str = ""
    kinds: set[str] = field(default_factory=set)


def _local(iri: str) -> str:
    return iri.rstrip("/#").rsplit("/", 1)[-1].rsplit("#", 1)[-1]


class GraphIndex:
    """Names of the graph, looked up case-insensitively.

    Parameters
    ----------
    store : Store
        The graph to index: the store ingestion writes into, or the reference graph of an
        output folder (the ontology and the default data).
    """

    def __init__(self, store: Store):
        self.store = store
        self.relations: dict[str, RelationEntry] = {}
        self.relation_names: dict[str, set[str]] = defaultdict(set)
        self.codes: dict[str, list[str]] = defaultdict(list)  # CAMEO code -> relation types
        self.cameo: dict[str, str] = {}  # CAMEO code -> cameo: concept
        self.kinds: dict[str, str] = {}  # kind name -> class IRI
        self.kind_labels: dict[str, str] = {}  # class IRI -> label
        self.actors: dict[str, ActorEntry] = {}
        self._names: dict[str, dict[str, set[str]]] = {
            tier: defaultdict(set) for tier in ("label", "alt", "local", "code", "wikidata")
        }
        self._sources: dict[str, str | None] = {}
        self._ties: dict[str, set[str]] = defaultdict(set)  # actor -> states it is tied to
        self._load()

    # ------------------------------------------------------------ building

    def _rows(self, name: str) -> Iterable[Sequence[Any]]:
        """Return the rows of one of the module's queries.

        They come from SPARQL, or straight from an rdflib graph (rdflib's SPARQL engine is slow
        on these joins).
        """
        if isinstance(self.store, MemoryStore):
            return _GRAPH_ROWS[name](self.store.graph)
        if isinstance(self.store, OxigraphStore):  # straight to the engine: no parse by rdflib first
            return _engine_rows(self.store, _QUERIES[name])
        return self.store.query(_QUERIES[name]).rows

    def _load(self) -> None:
        self._load_relations()
        for row in self._rows("kinds"):
            cls = str(row[0])
            self.kinds[fold(_local(cls))] = cls
            if row[1] is not None:
                self.kinds[fold(str(row[1]))] = cls
                self.kind_labels.setdefault(cls, str(row[1]))
        self._load_actors()
        for row in self._rows("ties"):
            self._ties[str(row[0])].add(str(row[1]))

    def _load_relations(self) -> None:
        """Index the relation types: by IRI, CAMEO code (exact matches only) and name."""
        for row in self._rows("relations"):
            type_iri, cls = str(row[0]), str(row[1])
            kind = {str(DIP.RelationType): "relation", str(DIP.IncidentType): "incident"}.get(cls, "cameo")
            entry = self.relations.get(type_iri)
            if entry is None or kind != "cameo":  # a taxonomy type wins over its CAMEO typing
                entry = RelationEntry(type_iri, kind)
                self.relations[type_iri] = entry
            if row[2] is not None:
                entry.code = str(row[2])
            entry.symmetric = entry.symmetric or _true(row[3])
            entry.standing = entry.standing or _true(row[4])
            entry.exact = entry.exact or (row[5] is not None and str(row[5]) == entry.code)
        for entry in self.relations.values():
            if entry.code and entry.kind == "relation" and not entry.standing and entry.exact:
                self.codes[entry.code].append(entry.iri)
            elif entry.code and entry.kind == "cameo":
                self.cameo[entry.code] = entry.iri
            if entry.kind != "cameo":
                self.relation_names[fold(_local(entry.iri))].add(entry.iri)
        for row in self._rows("relation names"):
            self.relation_names[fold(str(row[1]))].add(str(row[0]))

    def _load_actors(self) -> None:
        """Index the actors: by label, IRI name, alias, actor code and Wikidata ID."""
        for row in self._rows("actors"):
            actor = str(row[0])
            known = self.actors.setdefault(actor, ActorEntry(actor))
            known.kinds.add(str(row[1]))
            if row[2] is not None and not known.label:
                known.label = str(row[2])
                self._names["label"][fold(str(row[2]))].add(actor)
        for actor in self.actors:
            self._names["local"][fold(_local(actor))].add(actor)
        for row in self._rows("actor names"):
            actor, how, name = str(row[0]), str(row[1]), row[2]
            if actor not in self.actors:  # a relation type's altLabel, a source's sameAs
                continue
            if how == "wikidata":
                self._names[how][_local(str(name)).upper()].add(actor)
            elif how == "code":
                self._names[how][str(name).upper()].add(actor)
            else:
                self._names[how][fold(str(name))].add(actor)

    def _ask_source(self, candidate: str) -> bool:
        try:
            term = URIRef(candidate)
            to_oxigraph(term)  # refuses what is no IRI
        except ValueError:
            return False
        return bool(self._select(_SOURCE_BY_IRI, {"source": term}))

    def _select(self, query: str, bindings: dict[str, Node]) -> list[tuple[Any, ...]]:
        """Run a SELECT with bound variables; on Oxigraph straight to the engine."""
        if isinstance(self.store, OxigraphStore):
            return _engine_rows(self.store, bind_values(query, bindings))
        return [tuple(row) for row in self.store.query(query, bindings=bindings).rows]

    @staticmethod
    def has_ontology(store: Store) -> bool:
        """Return True when ``store`` holds the relation taxonomy (so it can be indexed)."""
        if isinstance(store, OxigraphStore):
            return bool(store.ox.query(_HAS_ONTOLOGY, prefixes=PREFIXES, **store.dataset))
        return bool(store.query(_HAS_ONTOLOGY))

    # ------------------------------------------------------------ relation types

    def relation_for_code(self, code: str) -> str | None:
        """Return the type a CAMEO code maps to, or None.

        That is the one relation type of the taxonomy that is exactly that code's concept
        (``skos:exactMatch``), else the code's own concept of the CAMEO scheme: a type only
        narrower than the code (``skos:broadMatch``: a recall is one way to reduce or break
        diplomatic relations, 161) is never read from the code alone.

        Standing relation types (maintains ties with) are not events, so they are left out.
        """
        types = self.codes.get(code, [])
        if len(types) == 1:
            return types[0]
        return self.cameo.get(code)

    def relation(self, name: str) -> tuple[str | None, list[str]]:
        """Resolve a relation type by name, label, prefixed or full IRI, or CAMEO code.

        Returns the type's IRI (or None) and, when it is unknown, the closest names.
        """
        text = name.strip()
        if text.isdigit():
            return self.relation_for_code(text), []
        expanded = _expand(text)
        if expanded in self.relations:
            return expanded, []
        hits = self.relation_names.get(fold(text), set())
        if len(hits) == 1:
            return next(iter(hits)), []
        if text.casefold().startswith("cameo:") and text[6:].isdigit():
            return self.relation_for_code(text[6:]), []
        close = difflib.get_close_matches(fold(text), list(self.relation_names), n=3, cutoff=0.6)
        return None, close

    # ------------------------------------------------------------ actors

    def actor(self, name: str) -> tuple[list[str], str]:
        """Return the actors a name may mean, and the name of the tier that matched.

        Tiers, first match wins: IRI (full or prefixed), label, alias, local name of the IRI,
        actor code.
        """
        text = name.strip()
        expanded = _expand(text)
        if expanded in self.actors:
            return [expanded], "iri"
        folded = fold(text)
        for tier in ("label", "alt", "local"):
            hits = self._names[tier].get(folded)
            if hits:
                return sorted(hits), tier
        hits = self._names["code"].get(text.upper())
        if hits:
            return sorted(hits), "code"
        return [], ""

    def actor_by_code(self, code: str) -> list[str]:
        """Return the actors with this ``dip:actorCode``."""
        return sorted(self._names["code"].get(code.upper(), ()))

    def actor_by_wikidata(self, qid: str) -> list[str]:
        """Return the actors ``schema:sameAs`` this Wikidata entity (``Q801``)."""
        return sorted(self._names["wikidata"].get(qid.upper(), ()))

    def suggest_actor(self, name: str) -> list[str]:
        """Return up to three labels of actors close to ``name``."""
        labels = {fold(e.label): e.label for e in self.actors.values() if e.label}
        return [labels[m] for m in difflib.get_close_matches(fold(name), list(labels), n=3, cutoff=0.75)]

    def add_actor(
        self, iri: str, label: str, kind: str, *, aliases: tuple[str, ...] = (), code: str = "", wikidata: str = ""
    ) -> None:
        """Record an actor the ingestion creates, so that later rows find it."""
        self.actors[iri] = ActorEntry(iri, label, {kind})
        self._names["label"][fold(label)].add(iri)
        self._names["local"][fold(_local(iri))].add(iri)
        for alias in aliases:
            self._names["alt"][fold(alias)].add(iri)
        if code:
            self._names["code"][code.upper()].add(iri)
        if wikidata:
            self._names["wikidata"][wikidata.upper()].add(iri)

    def add_tie(self, actor: str, state: str) -> None:
        """Record that ``actor`` is tied to ``state`` (acts for it, is part of it, based in it)."""
        self._ties[actor].add(state)

    def ties(self, actor: str) -> set[str]:
        """Return the states ``actor`` is tied to by a structural standing relation."""
        return self._ties.get(actor, set())

    def kind(self, name: str) -> str | None:
        """Return the actor class a kind name means (``state``, ``government body``, ``Person``)."""
        return self.kinds.get(fold(name.removeprefix("dip:")))

    # ------------------------------------------------------------ sources

    def source(self, name: str) -> str | None:
        """Return the ``dip:Source`` a cell names (its IRI, label or URL), or None."""
        text = name.strip()
        if text not in self._sources:
            found: str | None = None
            expanded = _expand(text)
            if expanded.startswith(("http://", "https://", "urn:")) and self._ask_source(expanded):
                found = expanded
            else:
                needle = Literal(" ".join(text.split()).lower())
                rows = self._select(_SOURCE_BY_NAME, {"needle": needle})
                if len(rows) == 1:
                    found = str(rows[0][0])
            self._sources[text] = found
        return self._sources[text]


_QUERIES = {
    "relations": _RELATIONS,
    "relation names": _RELATION_NAMES,
    "kinds": _KINDS,
    "actors": _ACTORS,
    "actor names": _ACTOR_NAMES,
    "ties": _TIES,
}

_CLASSES = (DIP.RelationType, DIP.IncidentType, DIP.CameoCode)


def _engine_rows(store: OxigraphStore, query: str) -> list[tuple[Any, ...]]:
    """Return the rows of a SELECT run by Oxigraph itself, as rdflib terms."""
    solutions = store.ox.query(query, prefixes=PREFIXES, **store.dataset)
    assert isinstance(solutions, ox.QuerySolutions)
    width = len(solutions.variables)
    return [tuple(to_rdflib(s[i]) for i in range(width)) for s in solutions]


def _relation_rows(graph: Graph) -> Iterator[tuple[Any, ...]]:
    for cls in _CLASSES:
        for node in graph.subjects(RDF.type, cls):
            exact = next(
                (
                    graph.value(m, DIP.cameoCode)
                    for m in graph.objects(node, SKOS.exactMatch)
                    if (m, RDF.type, DIP.CameoCode) in graph
                ),
                None,
            )
            yield (
                node,
                cls,
                graph.value(node, DIP.cameoCode),
                graph.value(node, DIP.symmetric),
                graph.value(node, DIP.standing),
                exact,
            )


def _relation_name_rows(graph: Graph) -> Iterator[tuple[Any, ...]]:
    for cls in _CLASSES[:2]:
        for node in graph.subjects(RDF.type, cls):
            for prop in (SKOS.prefLabel, RDFS.label, SKOS.altLabel):
                for name in graph.objects(node, prop):
                    yield node, name


def _kinds(graph: Graph) -> list[Any]:
    return list(graph.transitive_subjects(RDFS.subClassOf, DIP.Actor))


def _kind_rows(graph: Graph) -> Iterator[tuple[Any, ...]]:
    for kind in _kinds(graph):
        yield kind, graph.value(kind, RDFS.label)


def _actor_rows(graph: Graph) -> Iterator[tuple[Any, ...]]:
    for kind in _kinds(graph):
        for actor in graph.subjects(RDF.type, kind):
            yield actor, kind, graph.value(actor, RDFS.label)


def _actor_name_rows(graph: Graph) -> Iterator[tuple[Any, ...]]:
    actors = {row[0] for row in _actor_rows(graph)}
    for actor in actors:
        for how, prop in (("alt", SKOS.altLabel), ("code", DIP.actorCode), ("wikidata", SCHEMA.sameAs)):
            for name in graph.objects(actor, prop):
                yield actor, how, name


def _tie_rows(graph: Graph) -> Iterator[tuple[Any, ...]]:
    structural = {t for t in graph.subjects(DIP.structural, None) if _true(graph.value(t, DIP.structural))}
    for tie, type_ in graph.subject_objects(DIP.relationType):
        if type_ in structural:
            state = graph.value(tie, DIP.object)
            if state is not None and (state, RDF.type, DIP.State) in graph:
                for actor in graph.objects(tie, DIP.subject):
                    yield actor, state


_GRAPH_ROWS: dict[str, Callable[[Graph], Iterable[Sequence[Any]]]] = {
    "relations": _relation_rows,
    "relation names": _relation_name_rows,
    "kinds": _kind_rows,
    "actors": _actor_rows,
    "actor names": _actor_name_rows,
    "ties": _tie_rows,
}


def _true(value: object) -> bool:
    return value is not None and str(value).lower() in ("true", "1")


def _expand(text: str) -> str:
    """Expand ``prefix:local`` with the package's prefixes; strip ``<>`` from a full IRI."""
    if text.startswith("<") and text.endswith(">"):
        return text[1:-1]
    prefix, sep, local = text.partition(":")
    if sep and prefix in PREFIXES and not local.startswith("//"):
        return PREFIXES[prefix] + local
    return text
