"""``kg path``, ``centrality``, ``balance``, ``dyad``, ``diff``, ``export``: outputs, exit codes, errors."""

import csv
import io
import json

import networkx as nx
import pytest

from kg.cli import main

from .conftest import FIXTURES

OTHER = ["--no-default", "--data", str(FIXTURES / "network" / "other-report.ttl")]


def run(capsys, *argv, view=False):
    """Run ``kg``; the network commands every actor apart and without contested accounts, unless
    ``--fold`` or ``--claims`` is given, or ``view=True`` (the default view)."""
    argv = list(argv)
    if not view and {"path", "centrality", "balance", "dyad", "diff", "export"} & set(argv):
        argv += [] if "--fold" in argv else ["--no-fold"]
        argv += [] if "--claims" in argv else ["--no-claims"]
    code = main(argv)
    out, err = capsys.readouterr()
    return code, out, err


def test_path_table_csv_and_json(capsys, monkeypatch):
    monkeypatch.setenv("COLUMNS", "100")  # the table fits the terminal's width
    code, out, _ = run(capsys, "path", "Israel", "Haniyeh", "--shortest")
    assert code == 0
    assert out.splitlines()[:3] == [
        "paths from Israel to Ismail Haniyeh (undirected, up to 3 hops, all time; every actor apart (none",
        "folded); contested accounts left out)",
        "(--no-fold keeps every actor apart; --no-claims leaves contested accounts out)",
    ]
    assert "(3 rows" in out
    code, out, _ = run(capsys, "path", "Israel", "Haniyeh", "--shortest", "--format", "csv")
    rows = list(csv.DictReader(io.StringIO(out)))
    assert [(r["hop"], r["actor"], r["relation"], r["target"], r["date"]) for r in rows] == [
        ("1", "Hamas", "attacks", "Israel", "2023-10-07"),
        ("1", "Hamas", "takes hostages from", "Israel", "2023-10-07"),
        ("2", "Ismail Haniyeh", "holds a post in", "Hamas", "2023-10-16"),
    ]
    assert rows[0]["event"] == "https://w3id.org/dipkg/id/event/hamas-attacks-israel-2023-10-07"
    code, out, _ = run(capsys, "path", "Israel", "Haniyeh", "--format", "json", "--max-hops", "3")
    data = json.loads(out)
    assert sorted({(r["path"], r["length"]) for r in data}) == [(1, 2), (2, 3), (3, 3)]
    assert data[0]["quote"].startswith("the terror group")


def test_path_with_no_path_exits_1(capsys):
    # as of Monday there is a path: the call already names Haniyeh "Hamas politburo chief"
    code, out, err = run(capsys, "path", "Israel", "Haniyeh", "--as-of", "2023-10-16", "--wide")
    assert code == 0 and "holds a post in" in out
    code, out, err = run(capsys, "path", "Israel", "Haniyeh", "--as-of", "2023-10-15", "--from-evidence")
    assert (code, out) == (1, "")
    assert "no path from Israel to Ismail Haniyeh" in err and "as of 2023-10-15" in err


def test_path_with_sign_and_fold(capsys):
    code, out, _ = run(capsys, "path", "Israel", "Hamas", "--sign", "+", "--shortest", "--format", "json")
    assert code == 0
    assert {r["relation"] for r in json.loads(out)} == {"mediates", "is in touch with", "maintains ties with"}
    code, out, _ = run(capsys, "path", "Jerusalem", "Haniyeh", "--fold", "--shortest", "--format", "json")
    hops = {(r["from"], r["to"], r["actor"], r["relation"]) for r in json.loads(out)}
    assert code == 0
    assert ("Hamas", "Ismail Haniyeh", "Ismail Haniyeh", "holds a post in") in hops
    assert ("Turkey", "Ismail Haniyeh", "Hakan Fidan", "discusses by telephone with") in hops


def test_bad_actor_names_exit_2_with_suggestions(capsys):
    code, out, err = run(capsys, "path", "Isreal", "Haniyeh")
    assert (code, out) == (2, "")
    assert err.startswith("kg: error: unknown actor 'Isreal'; did you mean 'Israel'")
    code, _, err = run(capsys, "dyad", "Turkey", "Hamass")
    assert code == 2 and "did you mean 'Hamas'" in err
    code, _, err = run(capsys, *OTHER, "path", "Alnd", "Borduria")
    assert code == 2 and "'Aland'" in err


@pytest.mark.parametrize(
    "argv, message",
    [
        (
            ["centrality", "--since", "2023-10-19", "--until", "2023-10-01"],
            "since 2023-10-19 is after until 2023-10-01",
        ),
        (["balance", "--as-of", "2023-02-30"], "is not a valid date"),
        (["dyad", "Israel", "Turkey", "--until", "yesterday"], "is not a valid date"),
        (["diff", "--from", "2023-10-19", "--to", "2023-10-16"], "swap them"),
        (["diff", "--from", "2023-10-16", "--to", "2023-10-19", "--as-of", "2023-10-17"], "--from DATE and --to DATE"),
        (["path", "Israel", "Turkey", "--relation", "recallz"], "unknown relation type 'recallz'"),
        (["centrality", "--sign", "friendly"], "unknown sign"),
    ],
)
def test_impossible_windows_and_bad_filters_exit_2(capsys, argv, message):
    code, out, err = run(capsys, *argv)
    assert (code, out) == (2, "")
    assert message in err


def test_centrality(capsys):
    code, out, _ = run(capsys, "centrality", "--measure", "betweenness", "--format", "json")
    assert code == 0
    ranked = json.loads(out)
    assert [(r["rank"], r["actor"]) for r in ranked[:2]] == [(1, "Turkey"), (2, "Israel")]
    code, out, _ = run(capsys, "centrality", "--measure", "betweenness", "--fold", "--top", "1", "--format", "csv")
    assert out.splitlines()[1].startswith("1,Turkey,State,0.583333333333,")  # full precision in CSV
    code, out, _ = run(capsys, *OTHER, "centrality", "--measure", "pagerank", "--kind", "Person", "--format", "json")
    assert [r["actor"] for r in json.loads(out)] == ["Vera Lind"]
    with pytest.raises(SystemExit) as info:
        main(["centrality", "--measure", "katz"])
    assert info.value.code == 2 and "invalid choice: 'katz'" in capsys.readouterr().err


def test_balance(capsys):
    code, out, _ = run(capsys, "balance", "--format", "json")
    data = json.loads(out)
    assert (code, data["ratio"], data["triads"], data["balanced"]) == (0, 1.0, 1, 1)
    assert (data["rows"][0]["a"], data["rows"][0]["b"], data["rows"][0]["c"]) == ("Hamas", "Israel", "Turkey")
    code, out, _ = run(capsys, *OTHER, "balance")
    assert out.splitlines()[0].startswith("balance ratio 0.000: 0 of 3 triads balanced")
    code, out, err = run(capsys, *OTHER, "balance", "--claims", "--unbalanced", "--format", "csv")
    assert len(out.splitlines()) == 1 + 3 and "1 of 4 triads balanced" in err


def test_dyad_and_diff(capsys):
    code, out, _ = run(capsys, "dyad", "Israel", "Turkey", "--as-of", "2023-10-16", "--format", "json")
    assert code == 0
    assert [(r["actor"], r["relation"]) for r in json.loads(out)] == [("Turkey", "mediates")]
    code, out, _ = run(capsys, "diff", "--from", "2023-10-16", "--to", "2023-10-19", "--format", "csv")
    rows = list(csv.DictReader(io.StringIO(out)))
    assert ("appeared", "Israel", "recalls diplomats from", "Turkey") in {
        (r["change"], r["actor"], r["relation"], r["target"]) for r in rows
    }
    code, out, _ = run(capsys, *OTHER, "diff", "--from", "2024-03-05", "--to", "2024-03-10", "--format", "json")
    assert [(r["change"], r["relation"]) for r in json.loads(out)][-1] == ("ended", "maintains ties with")


def test_export_formats_read_back(capsys, tmp_path):
    target = tmp_path / "network.graphml"
    code, out, err = run(capsys, "export", "-o", str(target), "--as-of", "2023-10-16")
    assert (code, out) == (0, "")
    assert "8 relations" in err  # the 7 events by then and Turkey's ties with Hamas, already so
    graph = nx.read_graphml(target, force_multigraph=True)
    assert graph.number_of_edges() == 8 and graph.graph["as_of"] == "2023-10-16"
    marked = [d for *_, d in graph.edges(data=True) if d.get("before_evidence")]
    assert [d["relation_label"] for d in marked] == ["maintains ties with"]
    code, _, _ = run(capsys, *OTHER, "export", "-o", str(tmp_path / "pairs.gexf"), "--collapsed", "--undirected")
    assert code == 0 and nx.read_gexf(tmp_path / "pairs.gexf").number_of_edges() == 9
    code, _, _ = run(capsys, "export", "--format", "jsonld", "-o", str(tmp_path / "out.data"), "--fold")
    assert code == 0 and "@context" in json.loads((tmp_path / "out.data").read_text(encoding="utf-8"))
    code, _, err = run(capsys, "export", "-o", str(tmp_path / "network.xlsx"))
    assert code == 2 and "export format" in err
    code, _, err = run(capsys, "export", "-o", str(tmp_path / "pairs.ttl"), "--collapsed")
    assert code == 2 and "collapsed" in err
    assert sorted(p.name for p in tmp_path.iterdir()) == ["network.graphml", "out.data", "pairs.gexf"]


@pytest.mark.parametrize("columns", [60, 80, 132])
def test_tables_fit_the_terminal_unless_wide(capsys, monkeypatch, columns):
    monkeypatch.setenv("COLUMNS", str(columns))
    code, out, _ = run(capsys, "path", "Israel", "Haniyeh", "--max-hops", "3", view=True)
    assert code == 0 and max(len(line) for line in out.splitlines()) <= columns
    assert "not shown for want of width" in out
    code, wide, _ = run(capsys, "path", "Israel", "Haniyeh", "--max-hops", "3", "--wide", view=True)
    assert max(len(line) for line in wide.splitlines()) > 300 and "…" not in wide
    assert "On Monday, Fidan spoke with Hamas politburo chief Ismail Haniyeh on the phone" in wide
