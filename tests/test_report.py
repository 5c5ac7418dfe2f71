"""The relationship report (kg/_report.py): the files, the links of the index, validity, atomicity."""

from __future__ import annotations

import csv
import re
from pathlib import Path

import pytest
from PIL import Image

import kg
from kg._query import list_queries

from .conftest import FIXTURES

CRISIS = FIXTURES / "drawing" / "harbour-crisis.ttl"


@pytest.fixture(scope="module")
def default_report(tmp_path_factory) -> kg.Report:
    return kg.write_report(kg.load(), tmp_path_factory.mktemp("report"))


@pytest.fixture(scope="module")
def crisis_report(tmp_path_factory) -> kg.Report:
    return kg.write_report(
        kg.load(CRISIS, default=False),
        tmp_path_factory.mktemp("crisis"),
        svg=False,
        files=[CRISIS],
        queries=["between", "mediations"],
    )


def rows(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def linked(index: Path) -> set[str]:
    text = index.read_text(encoding="utf-8")
    if index.suffix == ".md":
        return set(re.findall(r"\]\(([^)]+)\)", text))
    return set(re.findall(r'(?:href|src)="([^"]+)"', text))


def test_the_report_of_the_default_graph_has_every_file(default_report):
    folder = default_report.folder
    names = {p.relative_to(folder).as_posix() for p in default_report.files}
    expected = {
        "index.md",
        "index.html",
        "validation.txt",
        "centrality.csv",
        "contested-claims.csv",
        "map.png",
        "map.svg",
        "ego-israel.png",
        "ego-israel.svg",
        "timeline.png",
        "timeline.svg",
        "map.html",
    }
    expected |= {f"queries/{q.name}.csv" for q in list_queries()}
    assert names == expected
    assert all((folder / name).is_file() for name in names)
    assert default_report.index == folder / "index.md"
    assert default_report.conforms is True
    assert [p.name for p in folder.iterdir() if p.name.startswith(".")] == []  # no staging left


@pytest.mark.parametrize("index", ["index.md", "index.html"])
def test_the_index_links_every_file(default_report, index):
    others = {p.relative_to(default_report.folder).as_posix() for p in default_report.files} - {
        "index.md",
        "index.html",
    }
    assert linked(default_report.folder / index) == others


def test_the_index_says_what_the_graph_is_and_that_it_conforms(default_report):
    text = default_report.index.read_text(encoding="utf-8")
    assert (
        "27 events, 2 claims, 11 standing relations, 21 actors, 2 sources; events dated 2023-10-07 to "
        "2023-10-19." in text
    )
    assert "**The graph conforms** to the SHACL shapes." in text
    assert "Ego map of Israel, the most central actor (degree)" in text
    assert (default_report.folder / "validation.txt").read_text(encoding="utf-8") == "conforms\n"


def test_the_maps_are_images_of_the_default_size(default_report):
    for name in ("map.png", "ego-israel.png"):
        with Image.open(default_report.folder / name) as image:
            assert image.size == (1200, 850)
    assert (default_report.folder / "map.svg").read_bytes().startswith(b"<?xml")


def test_the_tables_hold_the_answers(default_report):
    folder = default_report.folder
    ranking = rows(folder / "centrality.csv")
    assert [r["actor"] for r in ranking[:3]] == ["Israel", "Turkey", "Hamas"]
    stances = {(r["claimLabel"], r["stance"], r["actorLabel"]) for r in rows(folder / "contested-claims.csv")}
    assert ("Israel caused the Gaza hospital explosion", "disputes", "Israel") in stances
    rocket = "A misfired Palestinian rocket caused the Gaza hospital explosion"
    assert (rocket, "endorses", "United States") in stances
    assert len(stances) == 9  # with the ministry, which presupposes the blame
    assert [
        (r["actorLabel"], r["targetLabel"], r["contested"]) for r in rows(folder / "queries" / "condemnations.csv")
    ] == [("Ministry of Foreign Affairs of Turkey", "Israel", "true")]
    # the required actors of 'between' are the two most central actors
    between = rows(folder / "queries" / "between.csv")
    assert len(between) == 4


def test_a_graph_nobody_wrote(crisis_report):
    folder = crisis_report.folder
    names = {p.relative_to(folder).as_posix() for p in crisis_report.files}
    assert {"map.png", "timeline.png", "ego-kestania.png", "queries/between.csv", "queries/mediations.csv"} <= names
    # 'between' takes the two most central actors
    assert {(r["fromLabel"], r["toLabel"]) for r in rows(folder / "queries" / "between.csv")} == {
        ("Valdoria", "Kestania"),
        ("Kestania", "Valdoria"),
    }
    assert {(r["mediatorLabel"], r["partyLabel"]) for r in rows(folder / "queries" / "mediations.csv")} == {
        ("Coastal Council", "Kestania"),
        ("Coastal Council", "Valdoria"),
    }
    assert not any(name.endswith(".svg") for name in names)
    assert crisis_report.conforms is True
    ranking = rows(folder / "centrality.csv")
    assert ranking[0]["actor"] == "Kestania"
    stances = {(r["stance"], r["actorLabel"]) for r in rows(folder / "contested-claims.csv")}
    assert stances == {("asserts", "Kestania"), ("disputes", "Morvia"), ("endorses", "Tessary")}
    assert linked(crisis_report.index) == names - {"index.md", "index.html"}


def test_a_failing_report_leaves_the_folder_as_it_was(tmp_path):
    (tmp_path / "notes.txt").write_text("mine", encoding="utf-8")
    with pytest.raises(kg.UnknownNameError, match="unknown relation type 'befriends'"):
        kg.write_report(kg.load(), tmp_path, relations=["befriends"], validation=False)
    assert [p.name for p in tmp_path.iterdir()] == ["notes.txt"]
    assert (tmp_path / "notes.txt").read_text(encoding="utf-8") == "mine"


def test_a_time_cut_reaches_maps_tables_and_queries(tmp_path):
    report = kg.write_report(
        kg.load(), tmp_path, as_of="2023-10-16", svg=False, validation=False, queries=["reductions"]
    )
    text = report.index.read_text(encoding="utf-8")
    assert (
        "Cut and filters of the maps and tables: as of 2023-10-16; persons, bodies and missions counted "
        "for the state or organisation they act for; contested accounts included, marked." in text
    )
    assert rows(tmp_path / "queries" / "reductions.csv") == []
    assert rows(tmp_path / "contested-claims.csv") == []
    assert not (tmp_path / "queries" / "claims.csv").exists()


def test_unknown_named_queries_are_refused(tmp_path):
    with pytest.raises(kg.InputError, match="unknown named queries: gossip; the named queries are: between"):
        kg.write_report(kg.load(), tmp_path, queries=["gossip"], validation=False)
    assert list(tmp_path.iterdir()) == []
