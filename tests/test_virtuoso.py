"""Virtuoso, the server teams really run, answers like the project's own engines.

A real Virtuoso Open Source 7 (Debian's ``virtuoso-opensource-7``) starts on 127.0.0.1 with a
throw-away database, gets the default graph and a synthetic graph of 10,000 events in graphs of
their own (by ``isql-vt`` and ``DB.DBA.TTLP_MT``), and every named query, the summary, the
projection, paths, centrality, balance, diff and the report must give the same rows as rdflib
(the default graph), Oxigraph on disk and ``oxigraph serve`` (the synthetic graph).

Without Virtuoso installed the module is skipped on a developer's machine and FAILS when
``CI=true`` (see ``require_program`` and the skip rule in conftest.py).
"""

import importlib.util
import shutil
import sys
import threading

import pytest
from rdflib import BNode, Graph, Literal, URIRef
from rdflib.collection import Collection

import kg
from kg._graphs import GRAPHS
from kg._store import EndpointStore, OxigraphStore
from tests.conftest import ROOT, oxigraph_server, require_program, virtuoso_server
from tests.test_engines import CUTS, PARAMS

pytestmark = pytest.mark.slow

# benchmarks/ is no package of its own: loaded by path, since another distribution (pysbd)
# installs a top-level `benchmarks` package that would win the import
_spec = importlib.util.spec_from_file_location("dipkg_synth", ROOT / "benchmarks" / "synth.py")
assert _spec is not None and _spec.loader is not None
synth = sys.modules.setdefault("dipkg_synth", importlib.util.module_from_spec(_spec))
_spec.loader.exec_module(synth)

DEFAULT_GRAPH = "urn:dipkg:test:default"

SYNTH_EVENTS = 10_000


@pytest.fixture(scope="module")
def folders(tmp_path_factory):
    """The default graph as N-Triples, and the synthetic graph built into an Oxigraph store."""
    for command in ("virtuoso-t", "isql-vt"):  # skip (or fail in CI) before building anything
        require_program(command, "virtuoso-opensource-7")
    work = tmp_path_factory.mktemp("virtuoso")
    default_nt = work / "default.nt"
    kg.load().to_graph().serialize(default_nt, format="nt", encoding="utf-8")
    events = work / "events.nt"
    synth.write_ntriples(events, SYNTH_EVENTS, seed=0)
    kg.build_store(work / "synth", [events], default=False, validate=False)  # ontology + derived edges
    shutil.copytree(work / "synth", work / "served")  # `oxigraph serve` locks the folder it serves
    store = OxigraphStore(work / "synth")
    for name, iri in GRAPHS.items():  # each of the project's graphs into its own file
        store.ox.dump(
            str(work / f"synth-{name}.nt"),
            format=kg._store.ox.RdfFormat.N_TRIPLES,
            from_graph=kg._store.ox.NamedNode(iri),
        )
    store.close()
    del store  # releases the folder's lock for the reference store below
    return work, default_nt


@pytest.fixture(scope="module")
def virtuoso(folders):
    work, default_nt = folders
    # The default graph in one graph of its own (read with default_graphs=); the synthetic store's
    # three graphs under the project's names (read by the dataset rule, no graph named).
    synth_graphs = {iri: work / f"synth-{name}.nt" for name, iri in GRAPHS.items()}
    with virtuoso_server(work / "server", {DEFAULT_GRAPH: default_nt, **synth_graphs}) as url:
        yield url


@pytest.fixture(scope="module")
def seed_engines(default_store, virtuoso):
    """rdflib (the reference) and Virtuoso with the default graph as its dataset's default graph."""
    with EndpointStore(virtuoso, default_graphs=[DEFAULT_GRAPH], timeout=60) as server:
        yield {"memory": default_store, "virtuoso": server}


@pytest.fixture(scope="module")
def synth_engines(folders, virtuoso):
    """Oxigraph on disk (the reference), `oxigraph serve` and Virtuoso on the synthetic graph."""
    work, _ = folders
    with (
        OxigraphStore(work / "synth") as disk,
        oxigraph_server(work / "served") as base,
        EndpointStore(f"{base}/query", timeout=120) as served,
        EndpointStore(virtuoso, timeout=120) as server,  # the project's three graphs: kg._graphs
    ):
        yield {"oxigraph": disk, "oxigraph serve": served, "virtuoso": server}


def same_everywhere(engines, compute):
    """Return the reference engine's answer after checking every other engine gives the same."""
    answers = {name: compute(store) for name, store in engines.items()}
    reference_name, reference = next(iter(answers.items()))
    for name, answer in answers.items():
        assert answer == reference, f"{name} differs from {reference_name}"
    return reference


def rows(result):
    return (result.vars, [tuple(row) for row in result.rows])


def edges(graph):
    return sorted(
        (u, v, k, tuple(sorted((a, str(x)) for a, x in d.items()))) for u, v, k, d in graph.edges(keys=True, data=True)
    )


# ---------------------------------------------------------------- the default graph


def test_the_dataset_is_the_named_graph_not_virtuosos_union(seed_engines, synth_engines):
    assert len(seed_engines["virtuoso"]) == len(seed_engines["memory"])
    # No graph named: the project's three graphs (kg._graphs), not Virtuoso's union of all its
    # graphs (its system graphs and the seed's graph beside them), the same count as on disk.
    server, disk = synth_engines["virtuoso"], synth_engines["oxigraph"]
    assert server.client.default_graphs == tuple(GRAPHS.values())
    assert len(server) == len(disk) == len(synth_engines["oxigraph serve"])
    derived = "SELECT (COUNT(*) AS ?n) WHERE { GRAPH <https://w3id.org/dipkg/graph/derived> { ?a ?t ?b } }"
    assert same_everywhere(synth_engines, lambda s: int(s.query(derived).rows[0][0])) > 1000


def test_summary_counts_every_actor(seed_engines):
    summary = same_everywhere(seed_engines, lambda s: kg.summarize(s).as_dict())
    assert summary["actors_by_kind"]["organisation"] == 4  # Virtuoso used to drop one (see kg/_summary.py)
    assert sum(summary["actors_by_kind"].values()) == 21


@pytest.mark.parametrize("cut", CUTS, ids=["all", "as-of-16", "as-of-19", "window"])
def test_every_named_query_on_the_default_graph(seed_engines, cut):
    for named in kg.list_queries():
        required = named.name in ("between", "timeline")
        for params in (PARAMS[named.name],) if required else ({}, PARAMS[named.name]):
            answer = same_everywhere(
                seed_engines, lambda s, n=named.name, p=params: rows(kg.query(s, n, params=p, **cut))
            )
            assert answer[0], named.name


def test_inline_queries_on_a_time_cut_view(seed_engines):
    # a query that declares no time parameters runs on a time-cut view built from the server
    inline = "SELECT ?a ?b WHERE { ?a dip:recallsDiplomatsFrom|dip:condemns ?b }"
    ask = "ASK { ?a dip:recallsDiplomatsFrom ?b }"
    for cut in ({"as_of": "2023-10-16"}, {"as_of": "2023-10-17"}, {"since": "2023-10-17", "until": "2023-10-18"}):
        same_everywhere(seed_engines, lambda s, c=cut: rows(kg.query(s, inline, **c)))
        same_everywhere(seed_engines, lambda s, c=cut: kg.query(s, ask, **c).boolean)
    events = same_everywhere(
        seed_engines,
        lambda s: len(kg.query(s, "SELECT ?e WHERE { ?e a dip:Event }", since="2023-10-17", until="2023-10-18")),
    )
    assert 0 < events < kg.summarize(seed_engines["memory"]).events


def test_projection_and_analyses_on_the_default_graph(seed_engines, tmp_path):
    same_everywhere(seed_engines, lambda s: edges(kg.project(s)))
    same_everywhere(seed_engines, lambda s: edges(kg.project(s, fold=True, as_of="2023-10-17")))
    found = same_everywhere(seed_engines, lambda s: kg.paths(s, "Israel", "Haniyeh").paths)
    assert found
    for measure in ("degree", "betweenness", "pagerank"):
        same_everywhere(seed_engines, lambda s, m=measure: kg.centrality(s, measure=m).rows)
    same_everywhere(seed_engines, lambda s: kg.balance(s))
    changed = same_everywhere(seed_engines, lambda s: kg.diff(s, "2023-10-16", "2023-10-19").rows)
    assert changed

    def report(store):
        folder = tmp_path / store.engine
        kg.write_report(store, folder, svg=False, validation=False, dpi=40)
        return sorted(p.read_text(encoding="utf-8") for p in folder.glob("*.md"))

    assert same_everywhere(seed_engines, report)


# ---------------------------------------------------------------- 10,000 synthetic events


def test_summary_and_named_queries_on_10000_events(synth_engines):
    summary = same_everywhere(synth_engines, lambda s: kg.summarize(s).as_dict())
    assert summary["events"] == pytest.approx(SYNTH_EVENTS, rel=0.01)
    top = synth.actors(SYNTH_EVENTS, seed=0)
    busiest, second = top[0].label, top[1].label
    params = {
        "between": {"actor": busiest, "other": second},
        "timeline": {"actor": busiest},
        "dyad-tone": {"actor": busiest},
        "posts": {},
        "ties": {},
        "condemnations": {},
        "mediations": {},
        "reductions": {},
        "claims": {},
        "evidence": {"event": "synth/event/0000042"},
    }
    for named in kg.list_queries():
        for cut in ({}, {"as_of": "2021-06-30"}):
            answer = same_everywhere(
                synth_engines, lambda s, n=named.name, c=cut: rows(kg.query(s, n, params=params[n], **c))
            )
            assert answer[1], (named.name, cut)


def test_projection_and_centrality_on_10000_events(synth_engines):
    graph = same_everywhere(synth_engines, lambda s: edges(kg.project(s, since="2022-01-01", until="2022-12-31")))
    assert len(graph) > 1000
    same_everywhere(synth_engines, lambda s: kg.centrality(s, measure="degree", top=20).rows)


def test_connections_are_reused(synth_engines):
    # every query of a command goes over the store's one pool: one socket for them all, whatever
    # thread the deadline runs each in. (Virtuoso closes the connection after each gzip answer,
    # "Connection: close", its choice: the keep-alive `oxigraph serve` shows the reuse.)
    server = synth_engines["oxigraph serve"]
    pool = server.client._http._transport._pool
    for _ in range(20):
        server.query("ASK { ?s ?p ?o }")
    assert len(pool.connections) == 1, pool.connections
    assert threading.active_count() < 20


def test_maps_of_the_default_graph_from_pair_aggregates(seed_engines):
    # The report's map as of a day that counts a standing relation before its first evidence
    # (marked in the subtitle), with contested claims and its one source named.
    for view in ({"as_of": "2023-10-16"}, {"fold": False}, {"top": 6, "claims": False}):
        same_everywhere(seed_engines, lambda s, v=view: png(kg.draw(s, width=9, height=6, **v)))


def test_pair_aggregates_and_maps_on_10000_events(synth_engines):
    # On a server the analyses read pair aggregates counted there (kg._network.remote): the same
    # pairs, and maps byte for byte (the tally of events and sources counted by the server too).
    from kg._analysis.base import network
    from kg._network import ProjectionOptions, RemotePairNetwork

    for name in ("oxigraph serve", "virtuoso"):
        assert isinstance(network(synth_engines[name], ProjectionOptions()).pairs, RemotePairNetwork)
    same_everywhere(synth_engines, lambda s: kg.centrality(s, measure="pagerank", as_of="2021-06-30").rows)
    view = {"top": 12, "fold": False, "since": "2022-01-01", "until": "2022-12-31"}
    same_everywhere(synth_engines, lambda s: png(kg.draw(s, width=9, height=6, **view)))


def test_ingest_into_virtuoso_over_http(tmp_path):
    # An empty Virtuoso that takes SPARQL Update at /sparql: `kg ingest` sends the ontology, the
    # default graph and the events (blank nodes in templates, updates of at most 2,000 triples:
    # Virtuoso refuses blank nodes in INSERT DATA and fails on updates of some thousands), then
    # moves each triple to its graph. The same answers as the same ingest into `oxigraph serve`.
    from kg._graphs import ASSERTED_GRAPH, DERIVED_GRAPH, ONTOLOGY_GRAPH
    from kg._ingestion import ingest
    from kg._store._endpoint import BATCH, LINKED_BATCH

    events = ROOT / "tests" / "fixtures" / "ingest" / "events.csv"
    with (
        virtuoso_server(tmp_path / "virtuoso", {}, updates=True) as url,
        oxigraph_server() as base,
        EndpointStore(url, update_url=url, timeout=120) as server,
        EndpointStore(f"{base}/query", update_url=f"{base}/update", timeout=120) as served,
    ):
        engines = {"oxigraph serve": served, "virtuoso": server}
        reports = {name: ingest(events, store=store) for name, store in engines.items()}
        assert {(r.events, len(r.actors_created)) for r in reports.values()} == {(7, 3)}
        size = same_everywhere(engines, len)
        assert size > BATCH  # the ontology and default graph: more than one update
        where = "SELECT DISTINCT ?g WHERE { GRAPH ?g { %s } } ORDER BY ?g"
        for pattern, graph in (
            ("?a dip:recallsDiplomatsFrom id:turkey", DERIVED_GRAPH),
            ("?e dip:eventType dip:recallsDiplomatsFrom", ASSERTED_GRAPH),
            ("dip:recallsDiplomatsFrom a ?class", ONTOLOGY_GRAPH),
        ):
            assert same_everywhere(engines, lambda s, p=pattern: s.query_values(where % p)) == [(graph,)]
        listed = Graph()  # five RDF lists, 401 triples each: each chain of blank nodes whole in one update
        for n in range(5):
            Collection(listed, head := BNode(), [Literal(f"{n}.{i}") for i in range(200)])
            listed.add((URIRef(f"https://example.org/item/{n}"), URIRef("https://example.org/members"), head))
        assert len(listed) > LINKED_BATCH
        for store in engines.values():
            store.add_graph(listed)
        linked = (  # each member's cell reached from its list's item or from the cell before it
            "SELECT (COUNT(*) AS ?n) WHERE { { ?item <https://example.org/members> ?cell } UNION "
            "{ ?before rdf:rest ?cell } ?cell rdf:first ?x }"
        )
        assert same_everywhere(engines, lambda s: s.query_values(linked)) == [("1000",)]
        same_everywhere(engines, lambda s: kg.centrality(s, measure="degree").rows)
        ingest(events, store=server)  # again: nothing new (the default graph's blank nodes not sent twice)
        assert len(server) == size + len(listed)


def png(figure):
    import io

    import matplotlib.pyplot as plt

    buffer = io.BytesIO()
    figure.savefig(buffer, format="png", dpi=50, metadata={"Software": None})
    plt.close(figure)
    return buffer.getvalue()
