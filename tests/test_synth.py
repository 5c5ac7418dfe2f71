"""The shared synthetic generator (benchmarks/synth.py): real terms, shapes, skew, determinism."""

from collections import Counter

import pytest
from rdflib import Graph, URIRef
from rdflib.namespace import RDF

import kg
from benchmarks import synth
from kg._loading import read_graph
from kg._namespace import DIP
from kg._store import MemoryStore
from kg._validation import validate


@pytest.fixture(scope="module")
def sample():
    graph = Graph()
    for triple in synth.generate(200, seed=3):
        graph.add(triple)
    return graph


def test_sample_conforms_to_the_shapes(sample):
    ontology, _ = read_graph([], default=False)
    report = validate(ontology + sample)
    assert report.conforms, report.text()
    assert report.warnings == []  # every event has its quote


def test_every_type_is_a_term_of_the_ontology(sample):
    ontology, _ = read_graph([], default=False)
    types = set(sample.objects(None, DIP.eventType)) | set(sample.objects(None, DIP.relationType))
    classes = (DIP.RelationType, DIP.CameoCode, DIP.IncidentType)
    known = {s for c in classes for s in ontology.subjects(RDF.type, c)}
    assert types and types <= known


def test_shape_of_a_larger_graph():
    graph = Graph()
    for triple in synth.generate(5000, seed=0):
        graph.add(triple)
    events = set(graph.subjects(RDF.type, DIP.Event))
    assert len(events) == 5000
    per_event = sum(1 for s, _, _ in graph if s in events) / len(events)
    assert 9.0 <= per_event <= 10.5
    relation_types = {t for t in graph.objects(None, DIP.eventType) if str(t).startswith(str(DIP))}
    assert len(relation_types) >= 20
    actors = synth.actors(5000)
    assert len(actors) == synth.default_actor_count(5000) == len({a.iri for a in actors})
    degree = Counter(a for p in (DIP.actor, DIP.target) for a in graph.objects(None, p))
    top = sum(n for _, n in degree.most_common(len(actors) // 10))
    assert top / sum(degree.values()) > 0.5  # skewed: the top tenth of actors take most events
    assert len(set(graph.subjects(RDF.type, DIP.Source))) == 250
    assert len(set(graph.subjects(RDF.type, DIP.Claim))) >= 5
    assert len(set(graph.subjects(RDF.type, DIP.StandingRelation))) > len(actors) // 2


def test_derived_edges_come_from_kg_derivation(tmp_path):
    path = tmp_path / "s.nt"
    synth.write_ntriples(path, 300, seed=1)
    store = kg.load(path, default=False)
    assert isinstance(store, MemoryStore)
    ask = "ASK { ?e dip:eventType ?t ; dip:actor ?a ; dip:target ?b . ?a ?t ?b . FILTER (?a != ?b) }"
    assert bool(store.query(ask))
    missing = store.query("""SELECT ?e WHERE { ?e dip:eventType ?t ; dip:actor ?a ; dip:target ?b .
                             FILTER (?a != ?b) FILTER NOT EXISTS { ?a ?t ?b } }""")
    assert missing.rows == []


def test_deterministic_and_streamed_file_equals_triples(tmp_path):
    first, second = tmp_path / "a.nt", tmp_path / "b.nt"
    count = synth.write_ntriples(first, 400, seed=7)
    synth.write_ntriples(second, 400, seed=7)
    assert first.read_bytes() == second.read_bytes()
    assert not list(tmp_path.glob("*.part"))
    graph = Graph().parse(first, format="nt")
    assert count == len(graph)
    assert set(graph) == set(synth.generate(400, seed=7))
    assert set(synth.generate(400, seed=8)) != set(graph)


def test_actor_iris_are_ranked():
    ranked = synth.actors(10_000, seed=0)
    assert ranked[0].iri == str(URIRef("https://w3id.org/dipkg/id/synth/actor/0000"))
    assert [a.rank for a in ranked] == list(range(len(ranked)))
    assert 250 <= len(ranked) <= 350
