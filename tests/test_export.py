"""Exports read back: GraphML and GEXF in NetworkX, CSV columns, RDF that parses; atomic writes."""

import csv
import json
import warnings

import networkx as nx
import pytest
from rdflib import Graph, Literal, URIRef
from rdflib.compare import graph_diff, isomorphic
from rdflib.namespace import RDFS, XSD

import kg
from kg._errors import InputError
from kg._export import clean, export
from kg._namespace import DIP, ID
from kg._network import collapse, project

from .conftest import FIXTURES


@pytest.fixture(scope="module")
def graphs(default_store):
    plain = project(default_store, claims=True, fold=False, structural=True)
    folded = project(default_store, fold=True, claims=False)
    other = project(kg.load(FIXTURES / "network" / "other-report.ttl", default=False), claims=True)
    return {
        "plain": plain,
        "folded": folded,
        "other": other,
        "collapsed": collapse(plain),
        "undirected": collapse(folded, directed=False),
    }


def _parse(path, fmt):
    with warnings.catch_warnings():  # rdflib's own JSON-LD parser uses its deprecated ConjunctiveGraph
        warnings.filterwarnings("ignore", "ConjunctiveGraph is deprecated", DeprecationWarning)
        return Graph().parse(path, format={"ttl": "turtle", "nt": "nt", "jsonld": "json-ld"}[fmt])


def _edges(graph):
    if graph.is_multigraph():
        return sorted((u, v, k, sorted(d.items())) for u, v, k, d in graph.edges(keys=True, data=True))
    return sorted((u, v, sorted(d.items())) for u, v, d in graph.edges(data=True))


@pytest.mark.parametrize("name", ["plain", "folded", "other", "collapsed", "undirected"])
def test_graphml_reads_back_equal(graphs, tmp_path, name):
    graph = graphs[name]
    path = export(graph, tmp_path / "network.graphml")
    back = nx.read_graphml(path, force_multigraph=graph.is_multigraph(), edge_key_type=str)
    expected = clean(graph)
    assert back.is_directed() == graph.is_directed()
    assert dict(back.nodes(data=True)) == dict(expected.nodes(data=True))
    assert _edges(back) == _edges(expected)
    assert {k: v for k, v in back.graph.items() if not k.endswith("_default")} == expected.graph
    assert back.number_of_nodes() == graph.number_of_nodes()
    assert back.number_of_edges() == graph.number_of_edges()


@pytest.mark.parametrize("name", ["plain", "folded", "other", "collapsed", "undirected"])
def test_gexf_reads_back_equal(graphs, tmp_path, name):
    graph = graphs[name]
    path = export(graph, tmp_path / "network.gexf")
    back = nx.read_gexf(path)
    expected = clean(graph, format="gexf")
    assert dict(back.nodes(data=True)) == dict(expected.nodes(data=True))
    # the reader returns a multigraph only when there are parallel edges; the key is the edge's id
    assert sorted((u, v, sorted(d.items())) for u, v, d in back.edges(data=True)) == sorted(
        (u, v, sorted(d.items())) for u, v, d in expected.edges(data=True)
    )
    assert back.number_of_edges() == graph.number_of_edges()


def test_cleaned_attributes_have_one_type_each(graphs):
    cleaned = clean(graphs["plain"])
    types = {}
    for _, _, data in cleaned.edges(data=True):
        for key, value in data.items():
            assert value is not None
            types.setdefault(key, set()).add(type(value))
    assert all(len(t) == 1 for t in types.values()), types
    assert types["goldstein"] == {float} and types["sign"] == {int} and types["contested"] == {bool}
    # a structural relation has no Goldstein value: the attribute is left out, not None
    key = f"{ID['state/haniyeh-politburo-chief-of-hamas']}|{ID.hamas}"
    post = cleaned.edges[str(ID.haniyeh), str(ID.hamas), key]
    assert "goldstein" not in post and post["relation_label"] == "holds a post in"
    lists = clean(graphs["collapsed"]).edges[str(ID.hamas), str(ID.israel)]
    assert lists["relations"] == "attacks; takes hostages from; accuses"  # in order of first date


def test_csv_edge_list_with_evidence(graphs, tmp_path):
    graph = graphs["plain"]
    path = export(graph, tmp_path / "edges.csv")
    with path.open(encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
    assert list(rows[0]) == [
        "from",
        "from_label",
        "to",
        "to_label",
        "relation",
        "relation_label",
        "sign",
        "goldstein",
        "date",
        "end_date",
        "event",
        "source",
        "quote",
        "symmetric",
        "standing",
        "structural",
        "contested",
        "claim",
        "reports",
        "before",
        "before_evidence",
        "open_start",
        "start_known",
    ]
    assert len(rows) == graph.number_of_edges()
    (recall,) = [r for r in rows if r["relation_label"] == "recalls diplomats from"]
    assert (recall["from_label"], recall["to_label"], recall["date"], recall["goldstein"]) == (
        "Israel",
        "Turkey",
        "2023-10-19",
        "-4.0",
    )
    assert recall["quote"].startswith("Israel has recalled its diplomats from Turkey")
    collapsed = export(graphs["collapsed"], tmp_path / "pairs.csv")
    with collapsed.open(encoding="utf-8", newline="") as handle:
        header = next(csv.reader(handle))
    assert header[:4] == ["from", "from_label", "to", "to_label"]
    assert "tone_sum" in header and "events" in header


@pytest.mark.parametrize("fmt", ["ttl", "nt", "jsonld"])
def test_rdf_export_parses_and_holds_edges_and_events(default_store, graphs, tmp_path, fmt):
    path = export(graphs["plain"], tmp_path / f"network.{fmt}", store=default_store)
    parsed = _parse(path, fmt)
    recall = URIRef(ID["event/recall-2023-10-19"])
    assert (URIRef(ID.israel), DIP.recallsDiplomatsFrom, URIRef(ID.turkey)) in parsed
    # a symmetric relation both ways, as kg.derive writes it
    assert (URIRef(ID.hamas), DIP.maintainsTiesWith, URIRef(ID.turkey)) in parsed
    assert (recall, DIP.date, Literal("2023-10-19", datatype=XSD.date)) in parsed
    assert (recall, DIP.qualifier, Literal("temporary")) in parsed
    assert (URIRef(ID.israel), RDFS.label, Literal("Israel")) in parsed
    # the explosion has no actor: it is no edge, so not exported
    assert not list(parsed.triples((URIRef(ID["event/gaza-hospital-explosion-2023-10-17"]), None, None)))
    if fmt == "jsonld":
        context = json.loads(path.read_text(encoding="utf-8"))["@context"]
        assert isinstance(context, dict) and context["dip"] == str(DIP)  # inline, nothing remote


def test_rdf_formats_hold_the_same_graph(default_store, graphs, tmp_path):
    parsed = [
        _parse(export(graphs["folded"], tmp_path / f"n.{f}", store=default_store), f) for f in ("ttl", "nt", "jsonld")
    ]
    for other in parsed[1:]:
        if not isomorphic(parsed[0], other):
            _, first, second = graph_diff(parsed[0], other)
            pytest.fail(f"only in Turtle: {sorted(first)[:3]}; only in the other: {sorted(second)[:3]}")
    # every event behind an edge, with its blank-node quantities
    hostages = URIRef(ID["event/hamas-takes-hostages-2023-10-07"])
    assert len(list(parsed[0].objects(hostages, DIP.quantity))) == 1


class _Unprintable:
    def __str__(self):
        raise ValueError("this value cannot be written")


def test_a_failed_write_leaves_nothing(graphs, tmp_path):
    graph = graphs["other"].copy()
    u, v, key = next(iter(graph.edges(keys=True)))
    graph.edges[u, v, key]["note"] = _Unprintable()
    target = tmp_path / "network.graphml"
    with pytest.raises(InputError, match="nothing was written"):
        export(graph, target)
    assert list(tmp_path.iterdir()) == []
    # an existing file stays as it was
    target.write_text("previous export", encoding="utf-8")
    for fmt in ("graphml", "gexf", "csv"):
        with pytest.raises(InputError):
            export(graph, target, format=fmt)
    assert target.read_text(encoding="utf-8") == "previous export"
    assert list(tmp_path.iterdir()) == [target]


def test_bad_exports_are_clear_errors(graphs, default_store, tmp_path):
    with pytest.raises(InputError, match="export format"):
        export(graphs["plain"], tmp_path / "network.xlsx")
    with pytest.raises(InputError, match="does not exist; create it first"):
        export(graphs["plain"], tmp_path / "missing" / "network.graphml")
    with pytest.raises(InputError, match="pass store="):
        export(graphs["plain"], tmp_path / "network.ttl")
    with pytest.raises(InputError, match="collapsed"):
        export(graphs["collapsed"], tmp_path / "network.nt", store=default_store)
    assert list(tmp_path.iterdir()) == []
