"""The dataset rule (kg._graphs): ontology, asserted data and derived edges in graphs of their own,
read the same way on rdflib, Oxigraph on disk and a server."""

from __future__ import annotations

import json

import pytest
from rdflib import RDF, BNode, Literal, URIRef

import kg
from kg._derivation import derive
from kg._endpoint import SparqlClient
from kg._graphs import ASSERTED_GRAPH, DERIVED_GRAPH, GRAPHS, ONTOLOGY_GRAPH
from kg._locking import STAMP_NAME, read_stamp
from kg._namespace import DIP, ID
from kg._store import MemoryStore, OxigraphStore, ox, to_oxigraph

RECALL = (ID.israel, DIP.recallsDiplomatsFrom, ID.turkey)  # derived from the recall event
EVENT = (ID["event/recall-2023-10-19"], RDF.type, DIP.Event)  # stated by the data
TERM = (DIP.Event, RDF.type, URIRef("http://www.w3.org/2002/07/owl#Class"))  # the ontology's


def in_graph(store, triple, graph):
    s, p, o = (t.n3() for t in triple)
    return bool(store.query(f"ASK {{ GRAPH <{graph}> {{ {s} {p} {o} }} }}"))


def counts(store):
    rows = store.query("SELECT ?g (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } } GROUP BY ?g").rows
    return {str(g): int(n) for g, n in rows if int(n)}


@pytest.fixture(scope="module")
def disk(tmp_path_factory):
    folder = tmp_path_factory.mktemp("graphs") / "store"
    kg.build_store(folder)
    with OxigraphStore(folder, read_only=True) as store:
        yield store


@pytest.fixture(params=["memory", "oxigraph"])
def engine(request, default_store, disk):
    return default_store if request.param == "memory" else disk


def test_each_triple_is_in_its_own_graph_and_in_one_only(engine):
    assert in_graph(engine, RECALL, DERIVED_GRAPH) and not in_graph(engine, RECALL, ASSERTED_GRAPH)
    assert in_graph(engine, EVENT, ASSERTED_GRAPH) and not in_graph(engine, EVENT, DERIVED_GRAPH)
    assert in_graph(engine, TERM, ONTOLOGY_GRAPH) and not in_graph(engine, TERM, ASSERTED_GRAPH)
    per_graph = counts(engine)
    assert set(per_graph) == set(GRAPHS.values())  # nothing in the store's own default graph
    assert sum(per_graph.values()) == len(engine)  # disjoint: the union counts each triple once
    # and a query with no GRAPH sees all three
    assert all(bool(engine.query(f"ASK {{ {' '.join(t.n3() for t in triple)} }}")) for triple in (RECALL, EVENT, TERM))


def test_the_graphs_are_the_same_on_rdflib_and_oxigraph(default_store, disk):
    assert counts(default_store) == counts(disk)

    def ground(store, name):  # without blank nodes; literals by value (Oxigraph writes 2.0 as 2)
        return {
            tuple((x.datatype, x.toPython()) if isinstance(x, Literal) else x for x in t)
            for t in store.to_graph([name])
            if not any(isinstance(x, BNode) for x in t)
        }

    for name in GRAPHS:
        assert ground(disk, name) == ground(default_store, name), name


def test_export_of_the_asserted_data_leaves_out_ontology_and_derived_edges(engine):
    asserted = engine.to_graph(["asserted"])
    assert EVENT in asserted and RECALL not in asserted and TERM not in asserted
    derived = engine.to_graph([DERIVED_GRAPH])
    assert RECALL in derived and EVENT not in derived
    assert len(engine.to_graph()) == len(engine)


def test_derive_adds_nothing_the_data_states_and_nothing_twice():
    store = MemoryStore()
    store.update(f"""INSERT DATA {{ GRAPH <{ASSERTED_GRAPH}> {{
        id:e dip:eventType dip:condemns ; dip:actor id:a ; dip:target id:b .
        id:f dip:eventType dip:condemns ; dip:actor id:b ; dip:target id:c .
        id:b dip:condemns id:c . }} }}""")
    for _ in range(2):
        derive(store)
    assert {(str(s), str(o)) for s, _, o in store.to_graph(["derived"])} == {(str(ID.a), str(ID.b))}
    oxi = OxigraphStore()
    oxi.add_graph(store.to_graph(["asserted"]))
    derive(oxi)
    derive(oxi)
    assert counts(oxi) == counts(store)


def test_load_into_another_store_keeps_the_graphs(default_store):
    target = kg.load(store=OxigraphStore())
    assert counts(target) == counts(default_store)


def test_a_server_reads_the_three_graphs_unless_told_otherwise():
    client = SparqlClient("http://127.0.0.1:9/sparql")
    assert client.dataset_params() == [("default-graph-uri", g) for g in GRAPHS.values()] + [
        ("named-graph-uri", g) for g in GRAPHS.values()
    ]
    client.close()
    chosen = SparqlClient("http://127.0.0.1:9/sparql", default_graphs=["asserted", "urn:x:g"])
    assert chosen.dataset_params() == [("default-graph-uri", ASSERTED_GRAPH), ("default-graph-uri", "urn:x:g")]
    chosen.close()
    with pytest.raises(kg.EngineError, match="not an absolute IRI"):
        SparqlClient("http://127.0.0.1:9/sparql", default_graphs=["no such"])


def test_a_store_of_layout_1_is_refused_then_migrated(tmp_path, default_store, capsys):
    from kg.cli import main

    folder = tmp_path / "old"
    engine = ox.Store(str(folder))  # as layout 1 wrote it: everything in the default graph
    engine.extend(ox.Quad(*(to_oxigraph(t) for t in triple), ox.DefaultGraph()) for triple in default_store.to_graph())
    engine.flush()
    del engine
    (folder / STAMP_NAME).write_text(json.dumps({"format": "dipkg-store", "version": 1, "generation": 3}))
    assert main(["--store", str(folder), "info"]) == 2
    error = capsys.readouterr().err
    assert "layout version 1" in error and f"kg doctor --store {folder} --migrate" in error
    checkup = kg.doctor(store=folder, migrate=True)
    assert checkup.backup is not None and checkup.backup.is_dir()
    assert read_stamp(folder).generation == 4
    with OxigraphStore(folder, read_only=True) as store:
        assert counts(store) == counts(default_store)
        assert in_graph(store, RECALL, DERIVED_GRAPH) and not in_graph(store, RECALL, ASSERTED_GRAPH)
        assert kg.summarize(store).as_dict() == kg.summarize(default_store).as_dict()


def test_short_graph_names_choose_the_dataset_on_the_command_line(disk, capsys):
    from kg.cli import main

    assert main(["--store", str(disk.path), "--graph", "derived", "query", "SELECT (COUNT(*) AS ?n) { ?s ?p ?o }"]) == 0
    derived = counts(disk)[DERIVED_GRAPH]
    assert str(derived) in capsys.readouterr().out


def test_dump_writes_the_graphs_chosen(disk, tmp_path, capsys):
    from kg.cli import main

    per_graph = counts(disk)
    assert main(["--store", str(disk.path), "dump", str(tmp_path / "data.nt"), "--only", "asserted"]) == 0
    data = ox.parse(path=str(tmp_path / "data.nt"), format=ox.RdfFormat.N_TRIPLES)
    assert sum(1 for _ in data) == per_graph[ASSERTED_GRAPH]
    assert main(["--store", str(disk.path), "dump", str(tmp_path / "all.nq")]) == 0
    quads = list(ox.parse(path=str(tmp_path / "all.nq"), format=ox.RdfFormat.N_QUADS))
    assert {q.graph_name.value for q in quads} == set(GRAPHS.values())
    assert len(quads) == sum(per_graph.values())
    assert main(["--store", str(disk.path), "dump", str(tmp_path / "x.csv")]) == 2
    assert "cannot write files ending '.csv'" in capsys.readouterr().err
    assert not (tmp_path / "x.csv").exists()


def test_validate_checks_a_stores_ontology_and_data(disk, tmp_path, capsys):
    from kg.cli import main

    assert main(["--store", str(disk.path), "validate"]) == 0
    folder = tmp_path / "bad"
    kg.build_store(folder)
    with OxigraphStore(folder) as store:  # an event with no date, written by hand into the data
        undated = "<https://w3id.org/dipkg/id/event/undated> a dip:Event"
        store.update(f"INSERT DATA {{ GRAPH <{ASSERTED_GRAPH}> {{ {undated} }} }}")
    capsys.readouterr()
    assert main(["--store", str(folder), "validate"]) == 1
    assert "undated" in capsys.readouterr().out
    assert main(["--store", str(folder), "validate", "--only", "ontology"]) == 0
