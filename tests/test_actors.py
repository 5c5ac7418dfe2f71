"""The actor resolver: labels, aliases, local names and IRIs, any case; suggestions; ambiguity."""

import pytest

import kg
from kg._actors import ActorIndex, actor_index, resolve_actor
from kg._errors import InputError, UnknownNameError
from kg._namespace import ID
from kg._network import project

from .conftest import FIXTURES


@pytest.mark.parametrize(
    "name, iri",
    [
        ("Israel", ID.israel),
        ("the jewish STATE", ID.israel),
        ("Jerusalem", ID.israel),
        ("Ankara", ID.turkey),  # the state's alias; the city is a place, not an actor
        ("Turkey's top diplomat", ID.fidan),
        ("fidan", ID.fidan),
        ("  Hakan   Fidan ", ID.fidan),
        ("id:haniyeh", ID.haniyeh),
        (str(ID.haniyeh), ID.haniyeh),
        ("israel-consulate-istanbul", ID["israel-consulate-istanbul"]),
    ],
)
def test_names_resolve_on_the_default_graph(default_store, name, iri):
    assert resolve_actor(default_store, name) == iri


def test_unknown_names_suggest_the_closest(default_store):
    with pytest.raises(UnknownNameError) as info:
        resolve_actor(default_store, "Erdogn")
    assert info.value.suggestions[0] == "Erdogan"
    with pytest.raises(UnknownNameError) as info:
        resolve_actor(default_store, "consulate")  # part of a longer name
    assert info.value.suggestions == ["the consulate"]
    # every suggestion is a name that resolves
    assert resolve_actor(default_store, info.value.suggestions[0]) == ID["israel-consulate-istanbul"]
    with pytest.raises(UnknownNameError) as info:
        resolve_actor(default_store, "Gaza Strip")  # a place is no actor
    assert info.value.kind == "actor"


def test_a_shared_alias_is_ambiguous_but_a_label_wins():
    store = kg.load(FIXTURES / "network" / "other-report.ttl", default=False)
    store.update("""INSERT DATA { <https://example.org/atlas/aland> skos:altLabel "Borduria"@en ;
                                      skos:altLabel "the north"@en .
                                  <https://example.org/atlas/dunmark> skos:altLabel "the north"@en . }""")
    index = actor_index(store)
    assert str(index.resolve("Borduria")) == "https://example.org/atlas/borduria"  # a label beats an alias
    with pytest.raises(InputError, match="ambiguous"):
        index.resolve("the north")
    assert index.label("https://example.org/atlas/front") == "Northern Front"
    assert index.actors["https://example.org/atlas/vera-lind"].kind == "Person"


def test_an_index_of_a_projected_network(default_store):
    index = ActorIndex.from_graph(project(default_store, fold=True))
    assert index.resolve("turkey") == ID.turkey
    with pytest.raises(UnknownNameError):
        index.resolve("Hakan Fidan")  # folded into Turkey: not a node of this network
