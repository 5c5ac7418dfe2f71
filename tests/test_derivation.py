import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from rdflib import Graph, Literal, URIRef
from rdflib.namespace import RDF, XSD

import kg
from kg import _loading
from kg._derivation import derive
from kg._namespace import DIP, ID
from kg._store import MemoryStore, OxigraphStore


def _derived(store):
    rows = store.query("""
        SELECT ?a ?type ?b WHERE { ?a ?type ?b . ?type a ?class .
                                   VALUES ?class { dip:RelationType dip:CameoCode } }""").rows
    return {(a, t, b) for a, t, b in rows}


def test_seed_edges_are_derived(default_store):
    edges = _derived(default_store)
    assert (ID.israel, DIP.recallsDiplomatsFrom, ID.turkey) in edges
    assert (ID["turkey-foreign-ministry"], DIP.condemns, ID.israel) in edges
    assert (ID.turkey, DIP.maintainsTiesWith, ID.hamas) in edges
    assert (ID.hamas, DIP.maintainsTiesWith, ID.turkey) in edges  # symmetric
    assert {b for a, t, b in edges if a == ID.turkey and t == DIP.mediates} == {ID.israel, ID.hamas}
    assert (ID.fidan, DIP.holdsPostIn, ID.turkey) in edges
    # the explosion is an incident: no actor, so no edge names anyone as its author
    explosion = ID["event/gaza-hospital-explosion-2023-10-17"]
    assert not any(explosion in (a, b) for a, _, b in edges)


def test_every_derived_edge_comes_from_an_event_or_a_state(default_store):
    for a, t, b in _derived(default_store):
        found = default_store.query(
            """ASK { { ?e dip:eventType ?t ; dip:actor ?a ; dip:target ?b }
                     UNION { ?e dip:eventType ?t ; dip:actor ?b ; dip:target ?a . ?t dip:symmetric true }
                     UNION { ?s dip:relationType ?t ; dip:subject ?a ; dip:object ?b }
                     UNION { ?s dip:relationType ?t ; dip:subject ?b ; dip:object ?a . ?t dip:symmetric true } }""",
            bindings={"a": a, "t": t, "b": b},
        )
        assert found.boolean, (a, t, b)


def test_derive_is_idempotent_and_equal_on_both_engines(default_store):
    before = len(default_store)
    oxi = kg.load(store=OxigraphStore())
    derive(oxi)
    assert len(oxi) == before
    assert _derived(oxi) == _derived(default_store)


TYPES = [DIP.condemns, DIP.consults, DIP.mediates, DIP.attacks, DIP.discussesByTelephone]
SYMMETRIC = {DIP.consults, DIP.discussesByTelephone}


_ONTOLOGY = Graph()
for _path in _loading.ontology_files():
    _loading.parse_file(_path, _ONTOLOGY)
# What derivation reads of the taxonomy: which types there are, and which are symmetric.
_TAXONOMY = Graph()
for _kind in (DIP.RelationType, DIP.CameoCode):
    _TAXONOMY += _ONTOLOGY.triples((None, RDF.type, _kind))
_TAXONOMY += _ONTOLOGY.triples((None, DIP.symmetric, None))


@settings(max_examples=30, deadline=None)
@given(st.lists(st.tuples(st.integers(0, 4), st.integers(0, 5), st.integers(0, 5)), max_size=12))
def test_derivation_matches_a_direct_computation(events):
    # An independent computation of the edges from the event list, compared with the SPARQL one.
    graph = Graph()
    graph += _TAXONOMY
    expected = set()
    for n, (t, a, b) in enumerate(events):
        event, actor, target, kind = ID[f"e{n}"], ID[f"a{a}"], ID[f"a{b}"], TYPES[t]
        graph.add((event, RDF.type, DIP.Event))
        graph.add((event, DIP.eventType, kind))
        graph.add((event, DIP.actor, actor))
        graph.add((event, DIP.target, target))
        graph.add((event, DIP.date, Literal("2024-01-01", datatype=XSD.date)))
        if a != b:
            expected.add((actor, kind, target))
            if kind in SYMMETRIC:
                expected.add((target, kind, actor))
    store = MemoryStore(graph)
    derive(store)
    assert _derived(store) == expected


@pytest.mark.parametrize("engine", [MemoryStore, OxigraphStore])
def test_derived_predicate_is_the_relation_type_iri(engine):
    store = engine()
    store.update("""INSERT DATA { id:x dip:eventType cameo:0211 ; dip:actor id:p ; dip:target id:q .
                                  cameo:0211 dip:symmetric false . }""")
    derive(store)
    assert store.query("ASK { id:p cameo:0211 id:q }").boolean
    assert not store.query("ASK { id:q cameo:0211 id:p }").boolean
    assert URIRef("https://w3id.org/dipkg/cameo/0211") == kg.CAMEO["0211"]
