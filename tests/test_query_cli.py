"""``kg query``, ``kg queries`` and ``kg load`` through ``kg.cli.main``: formats, exit codes, errors."""

import gc
import io
import json

import pytest
from rdflib import Graph
from rdflib.compare import isomorphic

from kg._namespace import DIP, ID
from kg._store import OxigraphStore
from kg.cli import main
from tests.test_query import NAMES

RECALL = str(ID["event/recall-2023-10-19"])


def run(capsys, *argv):
    code = main(list(argv))
    gc.collect()  # an Oxigraph folder stays locked while a (cyclic) reference to its store lives
    out, err = capsys.readouterr()
    return code, out, err


@pytest.fixture(scope="module")
def store_dir(tmp_path_factory):
    folder = tmp_path_factory.mktemp("cli") / "graph"
    assert main(["load", "--store", str(folder)]) == 0
    return folder


# ---------------------------------------------------------------- answers and formats


def test_named_query_with_parameters_as_a_table(capsys):
    code, out, _ = run(capsys, "query", "reductions", "--param", "type=recalls")
    assert code == 0
    lines = out.splitlines()
    assert lines[0].split() == ["date", "actorLabel", "relation", "targetLabel", "event"]
    assert lines[2].split()[:2] == ["2023-10-19", "Israel"] and "id:event/recall-2023-10-19" in lines[2]
    assert lines[-1] == "(1 row)"


@pytest.mark.parametrize("fmt", ["csv", "tsv"])
def test_csv_and_tsv(capsys, fmt):
    code, out, _ = run(capsys, "query", "condemnations", "--format", fmt)
    sep = "," if fmt == "csv" else "\t"
    assert code == 0
    # contested: "these barbaric attacks" presupposes the blame; the target is read from "also"
    assert out.splitlines() == [
        sep.join(["date", "actorLabel", "targetLabel", "contested", "targetReadFrom", "event"]),
        sep.join(
            [
                "2023-10-17",
                "Ministry of Foreign Affairs of Turkey",
                "Israel",
                "true",
                "also",
                str(ID["event/turkey-foreign-ministry-condemns-israel-2023-10-17"]),
            ]
        ),
    ]


def test_json_is_sparql_results_json(capsys):
    code, out, _ = run(capsys, "query", "ties", "--param", "actor=hamas", "--format", "json")
    data = json.loads(out)
    assert code == 0 and data["head"]["vars"][:3] == ["subjectLabel", "relation", "objectLabel"]
    [binding] = data["results"]["bindings"]
    assert binding["subjectLabel"]["value"] == "Turkey" and binding["objectLabel"]["value"] == "Hamas"


def test_inline_file_and_stdin_queries(capsys, tmp_path, monkeypatch):
    text = "SELECT ?event WHERE { ?event dip:eventType dip:recallsDiplomatsFrom }"
    path = tmp_path / "recalls.rq"
    path.write_text(text, encoding="utf-8")
    outputs = [run(capsys, "query", text, "--format", "csv"), run(capsys, "query", str(path), "--format", "csv")]
    monkeypatch.setattr("sys.stdin", io.StringIO(text))
    outputs.append(run(capsys, "query", "-", "--format", "csv"))
    for code, out, _ in outputs:
        assert code == 0 and out.splitlines() == ["event", RECALL]


@pytest.mark.filterwarnings("ignore:ConjunctiveGraph is deprecated")  # rdflib's own JSON-LD parser
def test_construct_prints_turtle_nt_or_jsonld(capsys):
    text = "CONSTRUCT { ?a dip:recallsDiplomatsFrom ?b } WHERE { ?a dip:recallsDiplomatsFrom ?b }"
    expected = Graph()
    expected.add((ID.israel, DIP.recallsDiplomatsFrom, ID.turkey))
    for fmt, parser in ((None, "turtle"), ("nt", "nt"), ("jsonld", "json-ld")):
        code, out, _ = run(capsys, "query", text, *(["--format", fmt] if fmt else []))
        assert code == 0 and isomorphic(Graph().parse(data=out, format=parser), expected), fmt
    code, out, _ = run(capsys, "query", text, "--format", "nt")
    assert out == f"<{ID.israel}> <{DIP.recallsDiplomatsFrom}> <{ID.turkey}> .\n"


def test_ask_prints_true_or_false_and_exits_0_or_1(capsys):
    ask = "ASK { ?a dip:recallsDiplomatsFrom ?b }"
    assert run(capsys, "query", ask, "--as-of", "2023-10-16")[:2] == (1, "false\n")
    assert run(capsys, "query", ask, "--as-of", "2023-10-19")[:2] == (0, "true\n")
    code, out, _ = run(capsys, "query", ask, "--format", "json")
    assert code == 0 and json.loads(out) == {"head": {}, "boolean": True}


def test_as_of_and_windows(capsys):
    assert run(capsys, "query", "reductions", "--as-of", "2023-10-16")[1].splitlines()[-1] == "(0 rows)"
    code, out, _ = run(capsys, "query", "reductions", "--as-of", "2023-10-19", "--format", "csv")
    assert code == 0 and RECALL in out
    code, out, _ = run(
        capsys,
        "query",
        "between",
        "--param",
        "actor=Israel",
        "--param",
        "other=Turkey",
        "--since",
        "2023-10-18",
        "--until",
        "2023-10-18",
        "--format",
        "csv",
    )
    assert code == 0 and len(out.splitlines()) == 1 + 3 and RECALL not in out


def test_queries_lists_names_descriptions_parameters(capsys):
    code, out, _ = run(capsys, "queries")
    assert code == 0
    for name in NAMES:  # the shipped queries, listed once in tests/test_query.py
        assert f"\n{name} " in out
    assert "actor (actor, required), other (actor, required)" in out
    code, out, _ = run(capsys, "queries", "--format", "json")
    data = {q["name"]: q for q in json.loads(out)}
    assert [p["name"] for p in data["timeline"]["parameters"]] == ["actor", "asOf", "since", "until"]
    code, out, _ = run(capsys, "queries", "ties")
    assert code == 0 and out.startswith("# name: ties")


# ---------------------------------------------------------------- errors: message and exit code 2


@pytest.mark.parametrize(
    "argv, message",
    [
        (["query", "INSERT DATA { id:a id:b id:c }"], "refused: this is a SPARQL Update"),
        (["query", "SELECT * WHERE { SERVICE <http://example.org/q> { ?s ?p ?o } }"], "--allow-network"),
        (["query", "SELECT ?x WHERE {\n ?x ?p ?o\n FILTER (?x = ) }"], "syntax error at line 3, column"),
        (
            ["query", "timeline", "--param", "actor=Hakan Fidn"],
            "unknown actor 'Hakan Fidn'; did you mean 'Hakan Fidan'",
        ),
        (["query", "timelines"], "unknown named query 'timelines'; did you mean 'timeline'"),
        (["query", "timeline"], "needs actor (actor, required); pass --param actor=..."),
        (["query", "ties", "--param", "actor"], "write NAME=VALUE"),
        (["query", "ties", "--as-of", "yesterday"], "not a valid date"),
        (
            ["query", "ties", "--endpoint", "http://127.0.0.1:9/sparql", "--timeout", "2"],
            "cannot reach the SPARQL endpoint http://127.0.0.1:9/sparql",
        ),
        (["query", "ties", "--store", "/nonexistent/store"], "no such store"),
        (["query", "missing.rq"], "missing.rq: no such query file"),
    ],
)
def test_errors_are_clear_and_exit_2(capsys, argv, message):
    code, out, err = run(capsys, *argv)
    assert code == 2 and out == ""
    assert err.startswith("kg: error: ") and message in err and "Traceback" not in err


def test_unknown_named_query_lists_the_names(capsys):
    _, _, err = run(capsys, "query", "nonesuch")
    assert "the named queries are: between, claims, condemnations, dyad-tone" in err


# ---------------------------------------------------------------- kg load and --store


def test_load_builds_a_store_that_every_query_uses(capsys, store_dir):
    code, out, _ = run(
        capsys, "query", "reductions", "--param", "type=recalls", "--store", str(store_dir), "--format", "csv"
    )
    assert code == 0 and RECALL in out
    code, out, _ = run(
        capsys,
        "--store",
        str(store_dir),
        "query",
        "dyad-tone",
        "--param",
        "actor=Israel",
        "--param",
        "target=Turkey",
        "--format",
        "csv",
    )
    assert out.splitlines()[1] == "Israel,Turkey,3,-12.0,-4.0"


def test_update_refused_on_a_store_leaves_it_unchanged(capsys, store_dir):
    def size():
        gc.collect()  # the store the command opened (a traceback holds it until collected)
        store = OxigraphStore(store_dir)
        try:
            return len(store)
        finally:
            store.close()
            del store

    before = size()
    code, _, err = run(capsys, "query", "DELETE WHERE { ?s ?p ?o }", "--store", str(store_dir))
    assert code == 2 and "--allow-update" in err
    assert size() == before


def test_update_allowed_changes_a_store(capsys, tmp_path):
    folder = tmp_path / "graph"
    assert main(["load", "--store", str(folder)]) == 0
    capsys.readouterr()
    code, out, _ = run(capsys, "query", "INSERT DATA { id:x rdfs:label 'x' }", "--allow-update", "--store", str(folder))
    assert code == 0 and out.startswith("ok: the update was applied:") and "after" in out
    code, out, _ = run(capsys, "query", "ASK { id:x rdfs:label 'x' }", "--store", str(folder))
    assert (code, out) == (0, "true\n")


def test_load_refuses_a_store_that_is_not_empty_and_replaces_on_request(capsys, tmp_path, store_dir):
    folder = tmp_path / "graph"
    assert main(["load", "--store", str(folder)]) == 0
    capsys.readouterr()
    code, _, err = run(capsys, "load", "--store", str(folder))
    assert code == 2 and "is not empty: pass --replace" in err
    extra = tmp_path / "extra.ttl"
    extra.write_text(
        "@prefix dip: <https://w3id.org/dipkg/ns#> .\n"
        "@prefix id: <https://w3id.org/dipkg/id/> .\n"
        "@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .\n"
        'id:ruritania a dip:State ; rdfs:label "Ruritania"@en .\n',
        encoding="utf-8",
    )
    code, out, _ = run(capsys, "load", "--store", str(folder), "--append", str(extra))
    assert code == 0
    code, out, _ = run(capsys, "query", "ASK { id:ruritania a dip:State }", "--store", str(folder))
    assert (code, out) == (0, "true\n")
    code, out, _ = run(capsys, "load", "--store", str(folder), "--replace")
    assert code == 0
    code, out, _ = run(capsys, "query", "ASK { id:ruritania a dip:State }", "--store", str(folder))
    assert (code, out) == (1, "false\n")


def test_a_broken_file_leaves_the_store_as_it_was(capsys, tmp_path):
    folder = tmp_path / "graph"
    assert main(["load", "--store", str(folder)]) == 0
    capsys.readouterr()
    broken = tmp_path / "broken.ttl"
    broken.write_text("@prefix dip: <https://w3id.org/dipkg/ns#> .\n\ndip:a dip:b .\n", encoding="utf-8")
    for mode in ("--append", "--replace"):
        code, _, err = run(capsys, "load", "--store", str(folder), mode, str(broken))
        assert code == 2 and "broken.ttl:3:" in err
    # no half-built folder (the lock folder beside the store stays)
    assert sorted(p.name for p in tmp_path.iterdir()) == [".graph.kg-lock", "broken.ttl", "graph"]
    code, out, _ = run(capsys, "query", "reductions", "--store", str(folder), "--format", "csv")
    assert code == 0 and RECALL in out


def test_load_validates_small_inputs(capsys, tmp_path):
    bad = tmp_path / "bad.ttl"
    bad.write_text(
        "@prefix dip: <https://w3id.org/dipkg/ns#> . @prefix id: <https://w3id.org/dipkg/id/> .\n"
        "id:e a dip:Event ; dip:eventType dip:condemns .\n",
        encoding="utf-8",
    )
    code, _, err = run(capsys, "load", "--store", str(tmp_path / "graph"), str(bad))
    assert code == 1 and "does not conform" in err
    assert not (tmp_path / "graph").exists()


def test_query_through_an_endpoint(capsys, oxigraph_endpoint):
    query_url, _ = oxigraph_endpoint
    code, out, _ = run(
        capsys, "query", "timeline", "--param", "actor=Fidan", "--endpoint", query_url, "--format", "csv"
    )
    assert code == 0 and len(out.splitlines()) == 1 + 4
    code, out, _ = run(
        capsys, "--endpoint", query_url, "query", "ASK { ?a dip:recallsDiplomatsFrom ?b }", "--as-of", "2023-10-16"
    )
    assert (code, out) == (1, "false\n")
