"""The network projection: the same edges on every engine, time cuts, folding, claims, filters."""

from collections import Counter

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from rdflib import Graph, Literal, URIRef
from rdflib.namespace import RDF, RDFS, XSD

import kg
from kg._errors import InputError, UnknownNameError
from kg._namespace import DIP, ID
from kg._network import collapse, project
from kg._store import EndpointStore, MemoryStore, OxigraphStore

from .conftest import FIXTURES, oxigraph_server

PLAIN = {"fold": False, "claims": False}
"""Every actor apart and contested accounts left out: the projection's mechanics, one at a time."""


def iri(name):
    return str(ID[name])


OTHER = FIXTURES / "network" / "other-report.ttl"
EX = "https://example.org/atlas/"


def _edges(graph):
    return sorted(
        (u, v, k, tuple(sorted((a, repr(b)) for a, b in d.items()))) for u, v, k, d in graph.edges(keys=True, data=True)
    )


@pytest.fixture(scope="module")
def server():
    """A real `oxigraph serve` on 127.0.0.1, in memory, as an endpoint store."""
    with oxigraph_server() as base:
        with EndpointStore(f"{base}/query", update_url=f"{base}/update", timeout=30) as store:
            yield store


@pytest.fixture(scope="module")
def engines(default_store, server):
    """The default graph on the three engines."""
    oxigraph = kg.load(store=OxigraphStore())
    kg.load(store=server)
    return {"memory": default_store, "oxigraph": oxigraph, "endpoint": server}


OPTION_SETS = [
    {},
    {"as_of": "2023-10-16"},
    {"since": "2023-10-17", "until": "2023-10-18"},
    {"fold": True},
    {"claims": True},
    {"structural": True},
    {"relations": ["accuses", "dip:condemns"], "claims": True},
    {"signs": ["+"]},
]


@pytest.mark.parametrize("engine", ["oxigraph", "endpoint"])
@pytest.mark.parametrize("options", OPTION_SETS, ids=lambda o: ",".join(o) or "none")
def test_every_engine_projects_the_same_network(engines, engine, options):
    expected = project(engines["memory"], **options)
    got = project(engines[engine], **options)
    assert dict(got.nodes(data=True)) == dict(expected.nodes(data=True))
    assert _edges(got) == _edges(expected)
    assert got.graph == expected.graph


def test_memory_and_oxigraph_agree_on_a_graph_nobody_here_wrote():
    memory = kg.load(OTHER, default=False)
    oxigraph = kg.load(OTHER, default=False, store=OxigraphStore())
    for options in ({}, {"claims": True, "fold": True}, {"as_of": "2024-03-06"}):
        assert _edges(project(oxigraph, **options)) == _edges(project(memory, **options))


def test_the_default_view_counts_officials_for_their_state_and_marks_contested_accounts(default_store):
    graph = project(default_store)
    assert (graph.graph["fold"], graph.graph["claims"], graph.graph["folded"]) == (True, True, True)
    between = sorted(
        d["event"].rsplit("/", 1)[-1] for u, v, d in graph.edges(data=True) if {u, v} == {iri("israel"), iri("turkey")}
    )
    assert between == [
        "erdogan-blames-israel-for-hospital-explosion",
        "evacuation-flights-from-turkey",
        "nsc-urges-israelis-to-leave-turkey-2023-10-17",
        "recall-2023-10-19",
        "travel-warning-turkey",
        "turkey-foreign-ministry-condemns-israel-2023-10-17",
        "turkey-mediates-israel-hamas",
    ]
    # a collective is never folded into a state; officials and bodies are
    assert iri("protesters") in graph and iri("erdogan") not in graph and iri("fidan") not in graph
    call = [
        (u, v, d["actor"]) for u, v, d in graph.edges(data=True) if d["relation_label"] == "discusses by telephone with"
    ]
    assert call == [(iri("turkey"), iri("hamas"), iri("fidan"))]
    endorsements = {u: d["contested"] for u, v, d in graph.edges(data=True) if d["relation_label"] == "endorses"}
    assert endorsements == {
        iri("united-states"): True,
        iri("other-western-countries"): True,
        iri("many-analysts"): True,
    }


def test_named_actors_are_kept_apart_with_their_posts(default_store):
    graph = project(default_store, unfold=[iri("haniyeh")])
    assert iri("haniyeh") in graph and iri("fidan") not in graph
    post = [d["relation_label"] for u, v, d in graph.edges(data=True) if u == iri("haniyeh")]
    assert sorted(post) == ["holds a post in"]
    assert graph.has_edge(iri("turkey"), iri("haniyeh"))  # Fidan's call, Fidan counted for Turkey


def test_plain_projection_edges_and_attributes(default_store):
    graph = project(default_store, **PLAIN)
    # the foreign ministry's condemnation presupposes the contested blame: left out like it
    assert (graph.number_of_nodes(), graph.number_of_edges()) == (9, 16)
    assert iri("turkey-foreign-ministry") not in graph
    recall = graph.edges[iri("israel"), iri("turkey"), iri("event/recall-2023-10-19") + "|" + iri("turkey")]
    assert recall == {
        "relation": str(DIP.recallsDiplomatsFrom),
        "relation_label": "recalls diplomats from",
        "sign": -1,
        "goldstein": -4.0,
        "date": "2023-10-19",
        "end_date": "",
        "event": iri("event/recall-2023-10-19"),
        "source": iri("source/toi-2023-10-19-israel-recalls-diplomats-from-turkey"),
        "quote": "Israel has recalled its diplomats from Turkey as a security precaution, "
        "a source close to the dossier told AFP Thursday",
        "symmetric": False,
        "standing": False,
        "structural": False,
        "contested": False,
        "claim": "",
        "reports": 1,
        "open_start": False,
        "start_known": False,
        "before": "",
        "before_evidence": False,
    }
    assert graph.nodes[iri("israel")] == {"label": "Israel", "kind": "State"}
    # a mediation gives one edge to each party
    mediated = graph.out_edges(iri("turkey"), data=True)
    parties = {v for _, v, d in mediated if d["relation_label"] == "mediates"}
    assert parties == {iri("israel"), iri("hamas")}


def test_as_of_cuts_events_and_standing_relations(default_store):
    def relations(**options):
        return {(u, d["relation_label"], v) for u, v, d in project(default_store, **PLAIN, **options).edges(data=True)}

    before, after = relations(as_of="2023-10-16"), relations(as_of="2023-10-19")
    assert (iri("israel"), "recalls diplomats from", iri("turkey")) not in before
    assert (iri("israel"), "recalls diplomats from", iri("turkey")) in after
    # the report presents the ties as already existing ("Turkey maintains ties with Hamas", the 19th):
    # in force before that day by default, marked so; counted from that day only when asked
    ties = (iri("turkey"), "maintains ties with", iri("hamas"))
    assert ties in relations(as_of="2023-10-18") and ties in after
    assert ties not in relations(as_of="2023-10-18", from_evidence=True)
    assert ties in relations(as_of="2023-10-19", from_evidence=True)
    marks = {
        day: [
            d["before_evidence"]
            for _, _, d in project(default_store, as_of=day).edges(data=True)
            if d["relation_label"] == "maintains ties with"
        ]
        for day in ("2023-10-18", "2023-10-19")
    }
    assert marks == {"2023-10-18": [True], "2023-10-19": [False]}
    assert before - {ties} == {
        (iri("turkey"), "mediates", iri("israel")),
        (iri("turkey"), "mediates", iri("hamas")),
        (iri("turkey"), "is in touch with", iri("hamas")),
        (iri("hamas"), "attacks", iri("israel")),
        (iri("hamas"), "takes hostages from", iri("israel")),
        (iri("fidan"), "discusses by telephone with", iri("haniyeh")),
        (iri("several-governments"), "appeals to", iri("turkey")),
    }
    assert relations(as_of="2023-10-06") == {ties}  # the one standing relation that is no structure
    assert relations(as_of="2023-10-06", from_evidence=True) == set()


def test_ended_standing_relation_leaves_the_cut():
    store = kg.load(OTHER, default=False)
    ties = (EX + "dunmark", EX + "elbonia")

    def has_ties(day):
        return any(
            d["relation_label"] == "maintains ties with"
            for d in project(store, as_of=day).get_edge_data(*ties, default={}).values()
        )

    assert (has_ties("2023-12-31"), has_ties("2024-03-06"), has_ties("2024-03-07")) == (False, True, False)


def test_window_keeps_what_overlaps_it(default_store):
    graph = project(default_store, since="2023-10-18", until="2023-10-18", **PLAIN)
    events = {d["event"].rsplit("/", 1)[-1] for _, _, d in graph.edges(data=True)}
    # intervals that reach into the 18th, nothing dated the 17th only
    assert events == {
        "turkey-mediates-israel-hamas",
        "evacuation-flights-from-turkey",
        "travel-warning-turkey",
        "police-detain-five-2023-10-17",
        "turkey-maintains-ties-with-hamas",
    }
    # "previously": the mediation ends before the report's day, so a window on it leaves it out
    later = project(default_store, since="2023-10-19", until="2023-10-19")
    assert "turkey-mediates-israel-hamas" not in {d["event"].rsplit("/", 1)[-1] for *_, d in later.edges(data=True)}


def test_fold_puts_persons_and_bodies_into_their_state(default_store):
    graph = project(default_store, fold=True, claims=False)
    assert set(graph) == {iri(n) for n in ("israel", "turkey", "hamas", "several-governments", "protesters")}
    call = [d for u, v, d in graph.edges(data=True) if d["relation_label"] == "discusses by telephone with"]
    assert [(d["actor"], d["target"]) for d in call] == [(iri("fidan"), iri("haniyeh"))]
    assert graph.has_edge(iri("turkey"), iri("hamas"))
    assert graph.graph["fold_map"][iri("fidan")] == iri("turkey")
    assert graph.graph["fold_map"][iri("haniyeh")] == iri("hamas")
    assert graph.graph["fold_map"][iri("israel-consulate-istanbul")] == iri("israel")
    assert graph.number_of_edges() == 16  # no edge lost, none inside one actor


def test_contested_claims_are_left_out_when_asked(default_store):
    plain = project(default_store, **PLAIN)
    assert not any(d["contested"] for _, _, d in plain.edges(data=True))
    with_claims = project(default_store, claims=True, fold=False)
    contested = {(u, v) for u, v, d in with_claims.edges(data=True) if d["contested"]}
    assert contested == {
        (iri("hamas"), iri("israel")),
        (iri("arab-and-muslim-world"), iri("israel")),
        (iri("erdogan"), iri("israel")),
        (iri("israel"), iri("palestinian-terror-group")),
        (iri("united-states"), iri("israel")),
        (iri("other-western-countries"), iri("israel")),
        (iri("many-analysts"), iri("israel")),
        (iri("turkey-foreign-ministry"), iri("israel")),  # presupposes the blame: "these barbaric attacks"
    }
    assert with_claims.number_of_edges() == plain.number_of_edges() + 8


def test_relation_and_sign_filters(default_store):
    recall = project(default_store, relations=["Recalls diplomats from"], **PLAIN)
    assert [d["event"] for _, _, d in recall.edges(data=True)] == [iri("event/recall-2023-10-19")]
    assert set(recall) == {iri("israel"), iri("turkey")}
    by_code = project(default_store, relations=["cameo:161"], **PLAIN)
    assert by_code.number_of_edges() == 0  # the seed types its recall by the taxonomy, not the CAMEO IRI
    cooperative = project(default_store, signs=["+"], **PLAIN)
    assert {d["sign"] for _, _, d in cooperative.edges(data=True)} == {1}
    assert cooperative.number_of_edges() == 6
    conflictual = project(default_store, signs=["-1", "conflictual"], **PLAIN)
    assert conflictual.number_of_edges() == 10


def test_bad_options_are_clear_errors(default_store):
    with pytest.raises(UnknownNameError) as info:
        project(default_store, relations=["recallsDiplomats"])
    assert info.value.suggestions == ["recall diplomats"]  # an alias of dip:recallsDiplomatsFrom
    with pytest.raises(InputError, match="swap them"):
        project(default_store, since="2023-10-19", until="2023-10-01")
    with pytest.raises(InputError, match="YYYY-MM-DD"):
        project(default_store, as_of="19 October 2023")
    with pytest.raises(InputError, match="unknown sign"):
        project(default_store, signs=["friendly"])


def test_collapse_counts_tone_and_events(default_store):
    graph = project(default_store, **PLAIN)
    directed = collapse(graph)
    pair = directed[iri("israel")][iri("turkey")]
    assert (pair["count"], pair["tone_sum"], pair["sign"]) == (3, -12.0, -1)
    assert pair["relations"] == ["evacuates citizens from", "issues travel warning against", "recalls diplomats from"]
    undirected = collapse(graph, directed=False)
    both = undirected[iri("israel")][iri("turkey")]
    assert (both["count"], both["tone_sum"], both["sign"]) == (4, -7.0, -1)
    assert sum(d["count"] for _, _, d in undirected.edges(data=True)) == graph.number_of_edges()


# ---------------------------------------------------------------- property: every relation once

_TYPES = [DIP.condemns, DIP.meetsWith, DIP.clashesWith, DIP.mediates, DIP.providesAidTo, DIP.consults]


@pytest.fixture(scope="module")
def taxonomy():
    """The relation types and actor classes of the ontology, without the CAMEO scheme (fast)."""
    full = kg.load(default=False).graph
    small = Graph()
    types = set(full.subjects(RDF.type, DIP.RelationType)) | set(full.subjects(RDFS.subClassOf, None))
    for s, p, o in full:
        if s in types:
            small.add((s, p, o))
    return small


events_strategy = st.lists(
    st.tuples(
        st.sampled_from(_TYPES),
        st.integers(0, 5),  # actor
        st.lists(st.integers(0, 5), min_size=1, max_size=3, unique=True),  # targets
        st.integers(0, 30),  # day
        st.booleans(),  # a second source and quote
    ),
    max_size=25,
)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(events=events_strategy)
def test_projection_keeps_every_relation_event_exactly_once(taxonomy, events):
    """Each (event, target) once, symmetric relations one edge, and the same on both engines."""
    graph = Graph()
    for triple in taxonomy:
        graph.add(triple)
    actors = [URIRef(f"https://example.org/p/actor{i}") for i in range(6)]
    for actor in actors:
        graph.add((actor, RDF.type, DIP.State))
    expected = set()
    symmetric = {DIP.meetsWith, DIP.clashesWith, DIP.consults}
    for n, (kind, actor, targets, day, twice) in enumerate(events):
        event = URIRef(f"https://example.org/p/event{n}")
        graph.add((event, DIP.eventType, kind))
        graph.add((event, DIP.actor, actors[actor]))
        graph.add((event, DIP.date, Literal(f"2024-01-{day + 1:02d}", datatype=XSD.date)))
        for source in range(2 if twice else 1):
            graph.add((event, DIP.source, URIRef(f"https://example.org/p/source{source}")))
            graph.add((event, DIP.quote, Literal(f"quote {source}")))
        for t in targets:
            if t == actor:
                continue
            graph.add((event, DIP.target, actors[t]))
            expected.add((str(event), str(actors[actor]), str(actors[t]), kind in symmetric))
    projected = project(MemoryStore(graph), claims=True, structural=True)
    oxigraph = OxigraphStore()
    oxigraph.add_graph(graph)
    assert _edges(project(oxigraph, claims=True, structural=True)) == _edges(projected)  # same on both
    seen = Counter((d["event"], u, v, d["symmetric"]) for u, v, d in projected.edges(data=True))
    assert set(seen) == expected
    assert all(count == 1 for count in seen.values())
    # a symmetric relation stays one edge, from actor to target, however many sources report it
    assert collapse(projected, directed=False).size(weight="count") == len(expected)
