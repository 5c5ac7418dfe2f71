"""Three engines, one behaviour: every named query gives the same rows in memory, on Oxigraph on
disk and through a real ``oxigraph serve`` endpoint."""

import pytest
from rdflib.compare import isomorphic

from kg._bulkload import build_store
from kg._errors import EngineError, QueryError, UnknownNameError
from kg._namespace import ID
from kg._query import list_queries, query, resolve_actor
from kg._store import EndpointStore, OxigraphStore

PARAMS = {
    "between": {"actor": "Israel", "other": "Turkey"},
    "timeline": {"actor": "Fidan"},
    "evidence": {"event": "recall-2023-10-19"},
    "claims": {},
    "condemnations": {"target": "Israel"},
    "dyad-tone": {"actor": "Israel"},
    "mediations": {"party": "Hamas"},
    "posts": {"actor": "Turkey"},
    "reductions": {"type": "recalls diplomats from"},
    "ties": {"actor": "Hamas"},
}
CUTS = [{}, {"as_of": "2023-10-16"}, {"as_of": "2023-10-19"}, {"since": "2023-10-17", "until": "2023-10-18"}]


@pytest.fixture(scope="module")
def disk(tmp_path_factory):
    folder = tmp_path_factory.mktemp("engines") / "store"
    build_store(folder)
    store = OxigraphStore(folder)
    yield store
    store.close()


@pytest.fixture(scope="module")
def endpoint(oxigraph_endpoint):
    query_url, update_url = oxigraph_endpoint
    with EndpointStore(query_url, update_url=update_url, timeout=10) as store:
        yield store


@pytest.fixture(scope="module")
def engines(default_store, disk, endpoint):
    return {"memory": default_store, "oxigraph": disk, "endpoint": endpoint}


def test_the_engines_hold_the_same_graph(engines):
    sizes = {name: len(store) for name, store in engines.items()}
    assert len(set(sizes.values())) == 1, sizes


@pytest.mark.parametrize("cut", CUTS, ids=["all", "as-of-16", "as-of-19", "window"])
def test_every_named_query_gives_identical_rows(engines, cut):
    for named in list_queries():
        required = named.name in ("between", "timeline")
        for params in (PARAMS[named.name],) if required else ({}, PARAMS[named.name]):
            answers = {name: query(store, named.name, params=params, **cut) for name, store in engines.items()}
            reference = answers["memory"]
            for name, result in answers.items():
                assert result.vars == reference.vars, (named.name, name)
                assert result.rows == reference.rows, (named.name, params, cut, name)


def test_answers_about_the_seed_on_every_engine(engines):
    for name, store in engines.items():
        recall = query(store, "reductions", params={"type": "recalls"})
        assert [(str(r["date"]), str(r["actorLabel"]), str(r["targetLabel"])) for r in recall] == [
            ("2023-10-19", "Israel", "Turkey")
        ], name
        tone = query(store, "dyad-tone", params={"actor": "Israel", "target": "Turkey"})
        assert [(int(r["events"]), str(r["goldsteinSum"]), str(r["goldsteinMean"])) for r in tone] == [
            (3, "-12.0", "-4.0")
        ], name
        assert len(query(store, "reductions", as_of="2023-10-16")) == 0, name
        assert resolve_actor(store, "Ankara") == ID.turkey, name


def test_inline_queries_and_time_cut_views_agree(engines):
    inline = "SELECT ?a ?b WHERE { ?a dip:recallsDiplomatsFrom|dip:condemns ?b }"
    ask = "ASK { ?a dip:recallsDiplomatsFrom ?b }"
    construct = "CONSTRUCT { ?a dip:condemns ?b } WHERE { ?a dip:condemns ?b }"
    expected = [(ID.israel, ID.turkey), (ID["turkey-foreign-ministry"], ID.israel)]  # sorted: no ORDER BY
    for name, store in engines.items():
        assert [tuple(r) for r in query(store, inline)] == expected, name
        assert [tuple(r) for r in query(store, inline, as_of="2023-10-17")] == expected[1:], name
        assert query(store, inline, as_of="2023-10-16").rows == [], name
        assert query(store, ask, as_of="2023-10-16").boolean is False, name
        assert query(store, ask, as_of="2023-10-19").boolean is True, name
        graph = query(store, construct).graph
        assert isomorphic(graph, query(engines["memory"], construct).graph), name
        assert len(graph) == 1, name


def test_refusals_leave_every_engine_unchanged(engines):
    for name, store in engines.items():
        before = len(store)
        with pytest.raises(QueryError, match="refused"):
            query(store, "DELETE WHERE { ?s ?p ?o }")
        with pytest.raises(QueryError, match="SERVICE"):
            query(store, "SELECT * WHERE { SERVICE <http://example.org/sparql> { ?s ?p ?o } }")
        with pytest.raises(QueryError, match="line 1"):
            query(store, "SELECT ?x WHERE { ?x ?p }")
        with pytest.raises(UnknownNameError, match="did you mean 'Turkey'"):
            query(store, "timeline", params={"actor": "Turky"})
        assert len(store) == before, name


def test_update_through_the_update_endpoint(endpoint):
    # An update names the graph it writes: the server's own default graph is not the project's
    # dataset (kg._graphs), which a server's queries read.
    before = len(endpoint)
    probe = "GRAPH <https://w3id.org/dipkg/graph/asserted> { id:probe rdfs:label 'probe' }"
    query(endpoint, f"INSERT DATA {{ {probe} }}", allow_update=True)
    assert len(endpoint) == before + 1
    query(endpoint, f"DELETE DATA {{ {probe} }}", allow_update=True)
    assert len(endpoint) == before
    query(endpoint, "INSERT DATA { id:probe rdfs:label 'probe' }", allow_update=True)
    assert len(endpoint) == before  # in the server's default graph, outside the dataset
    query(endpoint, "DELETE DATA { id:probe rdfs:label 'probe' }", allow_update=True)


def test_a_dead_endpoint_names_its_url():
    with (
        EndpointStore("http://127.0.0.1:9/sparql", timeout=2) as dead,
        pytest.raises(EngineError, match=r"http://127\.0\.0\.1:9/sparql.*(refused|timed out)"),
    ):
        query(dead, "condemnations")


def test_a_store_that_was_queried_and_projected_is_released(tmp_path):
    # pyparsing's packrat cache kept the tracebacks of a parse, and with them every caller's frame
    # and the store: an Oxigraph folder stayed locked for the life of the process.
    import gc

    import pyoxigraph

    import kg

    location = tmp_path / "store"
    kg.build_store(location)
    store = kg.OxigraphStore(location)
    kg.query(store, "reductions")
    kg.centrality(store)
    store.close()
    del store
    gc.collect()
    assert len(pyoxigraph.Store(str(location))) > 6000  # opens: nothing holds the lock
