"""One resolver for actors, relation types and events (kg._names): the same rules for every caller."""

import pytest
from rdflib import URIRef

import kg
from kg._actors import ActorIndex, actor_index
from kg._errors import InputError, UnknownNameError
from kg._ingestion import _index
from kg._names import NameIndex, as_iri, expand, fold, resolve_event, resolve_types, type_index
from kg._namespace import CAMEO, DIP, ID
from kg._query import query, resolve, resolve_actor

EX = "https://example.org/atlas/"

ATLAS = f"""
@prefix dip: <https://w3id.org/dipkg/ns#> . @prefix ex: <{EX}> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> . @prefix xsd: <http://www.w3.org/2001/XMLSchema#> .
@prefix skos: <http://www.w3.org/2004/02/skos/core#> . @prefix schema: <https://schema.org/> .

ex:ruritania a dip:State ; rdfs:label "Ruritania"@en ; skos:altLabel "Strelsau"@en ;
    dip:actorCode "RUR" ; schema:sameAs <http://www.wikidata.org/entity/Q1234567> .
ex:borduria a dip:State ; rdfs:label "Borduria"@en ; dip:actorCode "BRD" .
ex:zoe a dip:Person ; rdfs:label "Zoë Ferrández"@en ; skos:altLabel "the envoy"@en .
ex:mueller a dip:Person ; rdfs:label "Anna Müller"@en .
ex:muller a dip:Person ; rdfs:label "Anna Muller"@en .

ex:snubs a dip:RelationType ; skos:prefLabel "snubs"@en ; skos:altLabel "gives the cold shoulder to"@en ;
    dip:sign dip:Conflictual ; dip:symmetric false ; dip:cameoCode "9991" .
ex:snub-1 a dip:Event ; rdfs:label "Ruritania snubs Borduria at the Congrès"@en ; dip:eventType ex:snubs ;
    dip:actor ex:ruritania ; dip:target ex:borduria ; dip:date "2024-01-02"^^xsd:date .
ex:snub-2 a dip:Event ; rdfs:label "Ruritania snubs Borduria again"@en ; dip:eventType ex:snubs ;
    dip:actor ex:ruritania ; dip:target ex:borduria ; dip:date "2024-02-02"^^xsd:date .
ex:snub-3 a dip:Event ; rdfs:label "Ruritania snubs Borduria again"@en ; dip:eventType ex:snubs ;
    dip:actor ex:ruritania ; dip:target ex:borduria ; dip:date "2024-03-02"^^xsd:date .
"""

SNUBS = """# name: snubs
# param: type (type) — the relation type
SELECT ?event WHERE { ?event dip:eventType ?type }
"""


@pytest.fixture(scope="module")
def atlas(tmp_path_factory):
    path = tmp_path_factory.mktemp("atlas") / "atlas.ttl"
    path.write_text(ATLAS, encoding="utf-8")
    return kg.load(path, default=False)


def test_fold_ignores_case_accents_and_spaces():
    assert fold("  Zoë   FERRÁNDEZ ") == "zoe ferrandez"
    assert fold("Erdoğan") == fold("erdogan") == "erdogan"
    assert fold("Ruritania") != fold("Borduria")
    assert _index.fold is fold  # ingestion folds names by the same rule


def test_iris_and_prefixed_names():
    assert expand("id:turkey") == str(ID.turkey)
    assert expand(f"<{EX}ruritania>") == f"{EX}ruritania"
    assert expand("Hamas: the movement") == "Hamas: the movement"  # no known prefix
    assert as_iri("cameo:161") == CAMEO["161"]
    assert as_iri("Ruritania") is None
    with pytest.raises(InputError, match="not a valid IRI"):
        as_iri("<https://example.org/a b>")


@pytest.mark.parametrize(
    "name, local",
    [
        ("Ruritania", "ruritania"),
        ("STRELSAU", "ruritania"),  # an alias
        ("rur", "ruritania"),  # its actor code
        ("Q1234567", "ruritania"),  # the Wikidata entity it is the same as
        ("wd:Q1234567", "ruritania"),
        ("zoe ferrandez", "zoe"),  # accents folded
        ("ZOË  FERRÁNDEZ", "zoe"),
        ("The Envoy", "zoe"),
        (f"<{EX}borduria>", "borduria"),
        ("brd", "borduria"),
    ],
)
def test_actors_of_a_graph_nobody_here_wrote(atlas, name, local):
    assert kg.resolve_actor(atlas, name) == URIRef(EX + local)
    assert resolve(atlas, name) == URIRef(EX + local)  # a query parameter of kind actor: the same


def test_names_that_fold_alike_are_ambiguous_and_listed(atlas):
    with pytest.raises(InputError) as info:
        kg.resolve_actor(atlas, "anna muller")
    message = str(info.value)
    assert "ambiguous" in message and "Anna Müller <https://example.org/atlas/mueller>" in message
    assert "Anna Muller <https://example.org/atlas/muller>" in message and "give the label or the IRI" in message
    assert kg.resolve_actor(atlas, f"{EX}mueller") == URIRef(EX + "mueller")  # the IRI settles it


def test_unknown_names_suggest_names_that_resolve(atlas):
    with pytest.raises(UnknownNameError) as info:
        kg.resolve_actor(atlas, "Ruritanya")
    assert info.value.kind == "actor" and info.value.suggestions[0] == "Ruritania"
    with pytest.raises(UnknownNameError) as info:
        kg.resolve_actor(atlas, "Ferrandes")  # a word of a longer label
    assert [kg.resolve_actor(atlas, s) for s in info.value.suggestions] == [URIRef(EX + "zoe")]


def test_an_index_of_a_projected_network_reads_names_alike(atlas):
    graph = kg.project(atlas)
    assert resolve_actor(graph, "  RURITANIA ") == URIRef(EX + "ruritania")
    index = ActorIndex.from_graph(graph)
    assert index.resolve("borduria") == URIRef(EX + "borduria")
    with pytest.raises(UnknownNameError):
        index.resolve("Zoë Ferrández")  # no relation, so no node of this network


def test_relation_types_by_label_alias_local_name_iri_and_code(atlas):
    for name in ("snubs", "SNUBS", "Gives the  cold shoulder to", "9991", f"<{EX}snubs>"):
        assert resolve(atlas, name, kind="type") == URIRef(EX + "snubs")
    assert resolve_types(atlas, ["recalls", "dip:condemns"]) == {str(DIP.recallsDiplomatsFrom), str(DIP.condemns)}
    with pytest.raises(UnknownNameError) as info:
        resolve(atlas, "snub", kind="type")
    assert info.value.kind == "relation type" and "snubs" in info.value.suggestions


def test_project_and_a_query_parameter_agree_on_relation_names(atlas):
    for name in ("gives the cold shoulder to", "snubs", "9991"):
        graph = kg.project(atlas, relations=[name])
        rows = query(atlas, SNUBS, params={"type": name})
        edges = sorted(str(d["event"]) for _, _, d in graph.edges(data=True))
        assert edges == sorted(str(r["event"]) for r in rows) == [EX + f"snub-{i}" for i in (1, 2, 3)]


def test_project_and_a_query_agree_on_the_seed_graph(default_store):
    graph = kg.project(default_store, relations=["recalls"], fold=False)
    rows = query(default_store, "reductions", params={"type": "recalls"})
    assert sorted(str(d["event"]) for _, _, d in graph.edges(data=True)) == sorted(str(r["event"]) for r in rows)
    assert graph.number_of_edges() == 1


def test_accented_names_resolve_on_the_seed_graph(default_store):
    # Ingestion always read "Erdoğan" as the actor labelled "Erdogan"; now every caller does.
    assert kg.resolve_actor(default_store, "Erdoğan") == kg.resolve_actor(default_store, "erdogan") == ID.erdogan
    assert kg.resolve_actor(default_store, "TUR") == ID.turkey  # a country code (dip:actorCode)
    assert actor_index(default_store).resolve("wd:Q801") == ID.israel


def test_events_by_iri_local_name_and_label(atlas):
    assert resolve_event(atlas, f"{EX}snub-1") == URIRef(EX + "snub-1")
    assert resolve(atlas, "ruritania snubs borduria at the congres", kind="event") == URIRef(EX + "snub-1")
    assert resolve(atlas, "RURITANIA SNUBS BORDURIA AT THE CONGRÈS", kind="event") == URIRef(EX + "snub-1")
    with pytest.raises(InputError, match=r"event name .* is ambiguous: it names .*snub-2.*snub-3"):
        resolve(atlas, "Ruritania snubs Borduria again", kind="event")
    with pytest.raises(UnknownNameError) as info:
        resolve(atlas, "Ruritania snubs Borduria at the Congress", kind="event")
    assert info.value.kind == "event" and info.value.suggestions[0] == "Ruritania snubs Borduria at the Congrès"


def test_a_name_index_in_tiers():
    index = NameIndex("actor")
    index.add_thing(EX + "a", labels=["Alpha"], aliases=["the first"], codes=["AAA"])
    index.add_thing(EX + "b", labels=["The First"], codes=["alpha"])
    assert index.lookup("the first") == ([EX + "b"], "label")  # a label beats an alias
    assert index.lookup("alpha") == ([EX + "a"], "label")  # a label beats a code
    assert index.lookup("aaa") == ([EX + "a"], "code")
    assert index.lookup("nothing") == ([], "")
    assert len(index) == 2 and EX + "a" in index and list(index) == [EX + "a", EX + "b"]
    assert len(type_index(kg.load(default=False))) > 300  # the CAMEO scheme and the taxonomy
