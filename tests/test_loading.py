from pathlib import Path

import pytest
from rdflib import Literal, URIRef
from rdflib.namespace import RDF

import kg
from kg._loading import collect_files, ontology_files, parse_file, read_graph
from kg._namespace import DIP, ID

from .conftest import FIXTURES


def test_default_graph_holds_ontology_data_and_derived_edges(default_store):
    graph = default_store.graph
    assert (ID.israel, RDF.type, DIP.State) in graph
    assert (DIP.recallsDiplomatsFrom, RDF.type, DIP.RelationType) in graph
    assert (ID.israel, DIP.recallsDiplomatsFrom, ID.turkey) in graph
    assert len(list(graph.subjects(RDF.type, DIP.Event))) == 27


def test_load_adds_files_and_folders():
    store = kg.load(FIXTURES / "valid")
    ex = "https://example.org/report/"
    assert (URIRef(ex + "norland"), DIP.expels, URIRef(ex + "sudmark")) in store.graph
    assert (ID.israel, DIP.recallsDiplomatsFrom, ID.turkey) in store.graph


def test_load_without_default_has_only_ontology_and_the_files():
    store = kg.load(FIXTURES / "valid" / "new-report.ttl", default=False)
    events = set(store.graph.subjects(RDF.type, DIP.Event))
    assert {str(e).rsplit("/", 1)[-1] for e in events} == {"expulsion", "mediation", "call"}


def test_load_into_oxigraph_gives_the_same_triples(default_store):
    store = kg.load(store=kg.OxigraphStore())
    assert len(store) == len(default_store)


def test_syntax_error_names_file_line_and_column():
    path = FIXTURES / "invalid" / "syntax-error.ttl"
    with pytest.raises(kg.ParseError) as info:
        parse_file(path)
    error = info.value
    assert (error.path, error.line, error.column) == (path, 12, 1)
    assert str(error).startswith(f"{path}:12:1: syntax error: expected '.'")


def test_a_failed_load_leaves_the_target_store_untouched():
    store = kg.OxigraphStore()
    with pytest.raises(kg.ParseError):
        kg.load(FIXTURES / "invalid" / "syntax-error.ttl", store=store)
    assert len(store) == 0


def test_validating_load_refuses_bad_data_and_stores_nothing():
    store = kg.OxigraphStore()
    with pytest.raises(kg.ValidationError) as info:
        kg.load(FIXTURES / "invalid" / "no-date.ttl", validate=True, store=store)
    assert info.value.exit_code == 1
    assert [v.path for v in info.value.report.violations] == ["dip:date"]
    assert len(store) == 0


def test_missing_path_and_empty_folder_and_unknown_suffix(tmp_path):
    with pytest.raises(kg.InputError, match="no such file or folder"):
        collect_files([tmp_path / "nope.ttl"])
    with pytest.raises(kg.InputError, match="no RDF files"):
        collect_files([tmp_path])
    odd = tmp_path / "events.csv"
    odd.write_text("a,b\n")
    with pytest.raises(kg.InputError, match=r"cannot read files ending '\.csv'"):
        collect_files([odd])


def test_ontology_files_are_found_and_split_from_shapes():
    names = {p.name for p in ontology_files()}
    shapes = {p.name for p in ontology_files(shapes=True)}
    assert names == {"core.ttl", "relations.ttl", "cameo.ttl", "datasets.ttl"}
    assert shapes == {"shapes.ttl", "ontology-shapes.ttl"}


def test_read_graph_reports_the_files_it_read():
    graph, files = read_graph([FIXTURES / "valid"])
    assert [Path(f).name for f in files][-1] == "new-report.ttl"
    assert {f.name for f in files[:-1]} == {"actors.ttl", "claims.ttl", "events.ttl", "sources.ttl", "states.ttl"}
    assert (None, DIP.quote, Literal("Veldt offered to mediate.")) in graph


def test_the_manifest_lists_exactly_the_default_graphs_files():
    from kg._resources import data_dir, default_data_files

    listed = sorted(f.name for f in default_data_files())
    assert (
        listed
        == sorted(p.name for p in data_dir().glob("*.ttl"))
        == ["actors.ttl", "claims.ttl", "events.ttl", "sources.ttl", "states.ttl"]
    )


def test_a_file_written_into_the_data_folder_does_not_change_the_default_graph(tmp_path, monkeypatch, default_store):
    import shutil

    from kg import _resources

    copy = tmp_path / "data"
    shutil.copytree(_resources.data_dir(), copy)
    (copy / "mine").mkdir()
    shutil.copy(FIXTURES / "valid" / "new-report.ttl", copy / "mine" / "events.ttl")
    shutil.copy(FIXTURES / "valid" / "new-report.ttl", copy / "stray.ttl")
    monkeypatch.setattr(_resources, "data_dir", lambda: copy)
    assert len(kg.load()) == len(default_store)
    # the same files, given explicitly, are read
    assert len(kg.load(copy / "mine")) > len(default_store)


def test_a_manifest_naming_a_missing_file_is_an_error(tmp_path, monkeypatch):
    from kg import _resources

    (tmp_path / "MANIFEST").write_text("events.ttl\n")
    monkeypatch.setattr(_resources, "data_dir", lambda: tmp_path)
    with pytest.raises(FileNotFoundError, match="lists missing files"):
        _resources.default_data_files()
