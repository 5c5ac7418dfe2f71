"""The one options object of the projection: kg.ProjectionOptions, taken whole or as keywords."""

from __future__ import annotations

import argparse
import dataclasses
import datetime as dt

import networkx as nx
import pytest

import kg
from kg import ProjectionOptions
from kg._errors import InputError
from kg._network import ProjectionKeywords, project, projected
from kg.cli._projection import add_projection_options, projection_options


def _edges(graph: nx.MultiDiGraph) -> list[tuple[str, str, str]]:
    return sorted((a, b, str(k)) for a, b, k in graph.edges(keys=True))


def test_the_keywords_are_the_fields():
    fields = [f.name for f in dataclasses.fields(ProjectionOptions)]
    assert list(ProjectionKeywords.__annotations__) == fields


def test_values_are_checked_and_normalised_once():
    options = ProjectionOptions(
        as_of="2023-10-19", signs=["cooperative", "-", 1], relations="recallsDiplomatsFrom", unfold=[kg.ID.fidan]
    )
    assert options.as_of == dt.date(2023, 10, 19)
    assert options.signs == (-1, 1)
    assert options.relations == ("recallsDiplomatsFrom",)  # one name alone is one name, not its letters
    assert options.unfold == ("https://w3id.org/dipkg/id/fidan",)
    assert options.given() == ["as_of", "relations", "signs", "unfold"]
    same = ProjectionOptions(
        as_of=dt.date(2023, 10, 19), signs=[1, -1], relations=options.relations, unfold=options.unfold
    )
    assert options == same and hash(options) == hash(same)
    with pytest.raises(dataclasses.FrozenInstanceError):
        options.fold = False  # type: ignore[misc]


@pytest.mark.parametrize(
    ("keywords", "message"),
    [
        ({"as_of": "19/10/2023"}, "YYYY-MM-DD"),
        ({"since": "2023-10-19", "until": "2023-10-17"}, "swap them"),
        ({"signs": ["friendly"]}, "unknown sign 'friendly'"),
        ({"fold": "no"}, "fold must be True or False, not 'no'"),
        ({"structural": 1}, "structural must be True, False or None"),
    ],
)
def test_bad_values_are_refused_where_the_object_is_made(keywords, message):
    with pytest.raises(InputError, match=message):
        ProjectionOptions(**keywords)
    with pytest.raises(InputError, match=message):
        ProjectionOptions().replace(**keywords)


def test_an_unknown_option_is_a_type_error_with_the_closest_names():
    with pytest.raises(TypeError, match="unknown projection option 'asof'; did you mean as_of"):
        ProjectionOptions().replace(asof="2023-10-19")  # type: ignore[call-arg]
    with pytest.raises(TypeError, match="must be a ProjectionOptions, not dict"):
        ProjectionOptions.of({"as_of": "2023-10-19"})  # type: ignore[arg-type]


def test_keywords_override_the_object(default_store):
    options = ProjectionOptions(as_of="2023-10-16", relations=["recallsDiplomatsFrom"])
    assert project(default_store, options).number_of_edges() == 0
    assert project(default_store, options, as_of="2023-10-19").number_of_edges() == 1
    assert options.as_of == dt.date(2023, 10, 16)  # the object itself unchanged
    keywords = {"as_of": "2023-10-19", "fold": False, "claims": False, "signs": ["-"]}
    assert _edges(project(default_store, ProjectionOptions(**keywords))) == _edges(project(default_store, **keywords))


def test_the_analyses_take_the_object_or_keywords(default_store):
    options = ProjectionOptions(as_of="2023-10-19", fold=False)
    assert kg.centrality(default_store, options, measure="pagerank").rows == (
        kg.centrality(default_store, measure="pagerank", as_of="2023-10-19", fold=False).rows
    )
    assert kg.dyad(default_store, "Israel", "Turkey", options).rows == (
        kg.dyad(default_store, "Israel", "Turkey", as_of="2023-10-19", fold=False).rows
    )
    assert (
        kg.balance(default_store, options).summary()
        == kg.balance(default_store, fold=False, as_of="2023-10-19").summary()
    )
    changes = kg.diff(default_store, "2023-10-16", "2023-10-19", ProjectionOptions(fold=False))
    assert changes.rows == kg.diff(default_store, "2023-10-16", "2023-10-19", fold=False).rows
    with pytest.raises(InputError, match="as_of"):
        kg.diff(default_store, "2023-10-16", "2023-10-19", options)

    # not folded, a path keeps the structural relations unless told otherwise
    def relations(found: kg.Paths) -> set[str]:
        return {item["relation_label"] for path in found for hop in path.hops for item in hop.evidence}

    assert "holds a post in" in relations(kg.paths(default_store, "Fidan", "Turkey", ProjectionOptions(fold=False)))
    assert "holds a post in" not in relations(kg.paths(default_store, "Fidan", "Turkey", fold=False, structural=False))


def test_one_check_for_a_store_or_a_projected_graph(default_store):
    graph = project(default_store)
    assert projected(graph) is graph
    assert projected(graph, ProjectionOptions()) is graph
    for call in (
        lambda: projected(graph, ProjectionOptions(fold=False)),
        lambda: kg.centrality(graph, fold=False),
        lambda: kg.paths(graph, "Israel", "Turkey", ProjectionOptions(as_of="2023-10-19")),
    ):
        with pytest.raises(InputError, match=r"projection options \((as_of|fold)\) apply when projecting a store"):
            call()
    for bad in (nx.DiGraph(), "store.ttl"):
        with pytest.raises(InputError, match=r"cannot project a (DiGraph|str): pass a Store"):
            projected(bad)  # type: ignore[arg-type]
        with pytest.raises(InputError, match="cannot project a"):
            kg.balance(bad)  # type: ignore[arg-type]


def test_the_cli_builds_the_object_from_its_flags():
    parser = argparse.ArgumentParser()
    add_projection_options(parser)
    args = parser.parse_args(["--as-of", "2023-10-19", "--sign", "-", "--sign", "0", "--no-fold", "--from-evidence"])
    assert projection_options(args) == ProjectionOptions(
        as_of="2023-10-19", signs=[-1, 0], fold=False, from_evidence=True
    )
    assert projection_options(args).structural is None  # the command's own default
    assert projection_options(parser.parse_args([])) == ProjectionOptions()


def test_the_maps_take_the_same_object_and_the_same_check():
    store = kg.load()
    options = ProjectionOptions(as_of="2023-10-17", claims=False)
    by_object = kg.draw_timeline(store, "Israel", "Turkey", options)
    by_keywords = kg.draw_timeline(store, "Israel", "Turkey", as_of="2023-10-17", claims=False)
    ticks = [[t.get_text() for t in f.axes[0].get_yticklabels()] for f in (by_object, by_keywords)]
    assert ticks[0] == ticks[1] and ticks[0]
    graph = kg.project(store, options)
    with pytest.raises(InputError, match="already projected") as drawn:
        kg.draw(graph, options)
    with pytest.raises(InputError) as ranked:
        kg.centrality(graph, options)
    assert str(drawn.value) == str(ranked.value)  # one check, one message
    page = kg.draw_html(store, options)
    assert '"as_of":"2023-10-17"' in page.html and '"claims":false' in page.html
