"""The compiled SPARQL validator (Oxigraph) gives exactly pySHACL's violations and messages.

pySHACL on rdflib is the reference: on every fixture, on snippets that break each kind of
constraint the shapes use, and on a synthetic graph with errors injected, both engines must give
the same results (node, property, rule, message, severity, value, file and line).
"""

from __future__ import annotations

import subprocess
import sys
from collections import Counter
from pathlib import Path

import pyoxigraph as ox
import pytest
from rdflib import BNode, Graph, Literal, URIRef
from rdflib.namespace import RDF, RDFS, XSD

import kg
from benchmarks import synth
from kg._errors import EngineError, ParseError
from kg._loading import read_graph
from kg._namespace import DIP, SCHEMA
from kg._validation import validate, validate_files, validate_ontology
from kg._validation._compile import compile_shapes

from .conftest import FIXTURES, ROOT

PREFIXES = """
@prefix dip: <https://w3id.org/dipkg/ns#> .
@prefix ex: <https://example.org/> .
@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
@prefix skos: <http://www.w3.org/2004/02/skos/core#> .
@prefix schema: <https://schema.org/> .
@prefix cameo: <https://w3id.org/dipkg/cameo/> .
ex:src a dip:Source ; rdfs:label "s" .
ex:a a dip:State ; rdfs:label "A" .
ex:b a dip:State ; rdfs:label "B" .
"""

# Each snippet breaks one or more kinds of constraint of ontology/shapes.ttl.
SNIPPETS = {
    "two-dates-and-precision": """ex:e a dip:Event ; dip:eventType dip:condemns ; dip:actor ex:a ; dip:source ex:src ;
        dip:date "2024-01-02"^^xsd:date , "2024-01-03"^^xsd:date ; dip:datePrecision dip:Hourly ; dip:quote "q" .""",
    "interval-backwards": """ex:e a dip:Event ; dip:eventType dip:condemns ; dip:actor ex:a ; dip:source ex:src ;
        dip:date "2024-01-05"^^xsd:date ; dip:endDate "2024-01-02"^^xsd:date ; dip:quote "q" .""",
    "literal-actor-and-untyped-source": """ex:e a dip:Event ; dip:eventType dip:condemns ; dip:actor "Turkey" ;
        dip:source ex:nowhere ; dip:date "2024-01-02" ; dip:quote "q" , "r" ; dip:occurrence "o1" .""",
    "no-actor-no-type": """ex:e a dip:Event ; dip:source ex:src ; dip:date "2024-01-02"^^xsd:date .""",
    "long-quote-and-claim": """ex:e a dip:Event ; dip:eventType dip:accuses ; dip:actor ex:a ; dip:target ex:b ;
        dip:source ex:src ; dip:date "2024-01-02"^^xsd:date ; dip:quote "%s" ; dip:assertsClaim ex:notaclaim .
        ex:c a dip:Claim ; dip:contradicts ex:a ; dip:claimedResponsible ex:src ."""
    % ("x" * 450),
    "actor-labels-and-links": """ex:p a dip:Person ; rdfs:label "P"@en , "Q"@en , "R"@fr ;
        schema:sameAs <http://example.org/Q1> , "Q42" ; dip:sector ex:notaconcept ; dip:sectorText "gov"@en .""",
    "place-out-of-range": """ex:city a dip:Place ; rdfs:label "C" ; schema:latitude 95.5 , 10.0 ;
        schema:longitude "east" .""",
    "standing-relation": """ex:s a dip:StandingRelation ; dip:relationType dip:condemns ; dip:subject ex:src ;
        dip:object ex:a , ex:b ; dip:source ex:src ; dip:startDate "2024-02-01"^^xsd:date ;
        dip:inForceBy "2024-01-01"^^xsd:date , "2024-01-05"^^xsd:date ; dip:endDate "not a date" .""",
    "relation-type": """dip:praises a dip:RelationType ; skos:prefLabel "praises"@en , "lobt"@en ;
        dip:sign dip:Friendly ; dip:symmetric "no" ; dip:cameoCode "51" , "0512" ; dip:goldstein 12 ;
        dip:quadClass 5 ; dip:structural true .""",
    "quantities": """ex:e a dip:Event ; dip:eventType dip:attacks ; dip:actor ex:a ; dip:source ex:src ;
        dip:date "2024-01-02"^^xsd:date ; dip:quote "q" ; dip:before "2024-01-01"^^xsd:date ;
        dip:quantity [ a dip:StatedFigure , dip:VagueQuantity ; dip:amount -3 , 4 ; dip:impliedMinimum 2 ;
                       dip:hedge dip:About , dip:Some ] ,
                     [ a dip:VagueQuantity ; dip:words "dozens" ; dip:countOf "x" ; dip:impliedMinimum "many" ;
                       dip:hasReading [ a dip:Reading ; dip:readingOf "date" ] ] , ex:a .""",
}


def signature(report: kg.ValidationReport) -> Counter[tuple[object, ...]]:
    return Counter((r.node, r.path, r.rule, r.message, r.severity, r.value, r.file, r.line) for r in report.results)


def assert_same(paths: list[Path], *, default: bool = True) -> kg.ValidationReport:
    compiled = validate_files(paths, default=default)
    reference = validate_files(paths, default=default, engine="pyshacl")
    assert compiled.conforms == reference.conforms
    assert signature(compiled) == signature(reference), (compiled.text(), reference.text())
    return compiled


INVALID = sorted(p.name for p in (FIXTURES / "invalid").glob("*.ttl") if "syntax" not in p.name)


def test_there_are_invalid_fixtures_to_compare():
    assert INVALID  # an empty glob would leave the comparison below with no case


@pytest.mark.parametrize("name", INVALID)
def test_every_invalid_fixture_gives_the_same_violations(name):
    report = assert_same([FIXTURES / "invalid" / name])
    assert not report.conforms


def test_the_default_graph_and_the_valid_fixtures_conform_on_both():
    assert assert_same([]).conforms
    assert assert_same([FIXTURES / "valid"]).conforms


@pytest.mark.parametrize("name", sorted(SNIPPETS))
def test_each_kind_of_broken_constraint_gives_the_same_results(tmp_path, name):
    path = tmp_path / f"{name}.ttl"
    path.write_text(PREFIXES + SNIPPETS[name], encoding="utf-8")
    report = assert_same([path], default=False)
    assert report.results  # each snippet breaks something


def test_the_ontology_shapes_give_the_same_results(tmp_path):
    core = tmp_path / "core.ttl"
    text = (ROOT / "ontology" / "core.ttl").read_text(encoding="utf-8")
    core.write_text(text.replace("rdfs:isDefinedBy", "rdfs:comment", 3), encoding="utf-8")
    compiled, reference = validate_ontology([core]), validate_ontology([core], engine="pyshacl")
    assert not compiled.conforms
    assert signature(compiled) == signature(reference)
    assert validate_ontology().conforms


def _inject_errors(graph: Graph) -> int:
    """Break some events of a synthetic graph in several ways; return how many were broken."""
    events = sorted(set(graph.subjects(RDF.type, DIP.Event)))
    broken = events[::37]
    for i, event in enumerate(broken):
        kind = i % 8
        if kind == 0:
            graph.remove((event, DIP.date, None))
        elif kind == 1:
            graph.add((event, DIP.date, Literal("2021-02-30", datatype=XSD.date)))
        elif kind == 2:
            graph.set((event, DIP.eventType, URIRef(str(DIP) + "praisesLoudly")))
        elif kind == 3:
            graph.set((event, DIP.actor, URIRef("https://example.org/nobody")))
        elif kind == 4:
            graph.remove((event, DIP.quote, None))
        elif kind == 5:
            graph.set((event, DIP.datePrecision, Literal("day")))
        elif kind == 6:
            graph.add((event, DIP.endDate, Literal("2019-01-01", datatype=XSD.date)))
        else:
            graph.add((event, DIP.quantity, BNode()))
    actor = next(iter(graph.subjects(RDF.type, DIP.State)))
    graph.add((actor, RDFS.label, Literal("another name", lang="en")))
    graph.add((actor, SCHEMA.sameAs, URIRef("https://www.wikidata.org/wiki/Q1")))
    return len(broken)


def test_a_synthetic_graph_with_injected_errors_gives_the_same_results():
    graph, _ = read_graph([], default=False)
    for triple in synth.generate(400, seed=5):
        graph.add(triple)
    assert _inject_errors(graph) >= 8
    compiled, reference = validate(graph), validate(graph, engine="pyshacl")
    assert not compiled.conforms and len(compiled.results) >= 10
    assert signature(compiled) == signature(reference)


def test_a_shape_feature_the_compiler_does_not_handle_is_an_error_not_a_pass():
    shapes = Graph().parse(
        format="turtle",
        data="""@prefix sh: <http://www.w3.org/ns/shacl#> . @prefix ex: <https://example.org/> .
        ex:S a sh:NodeShape ; sh:targetClass ex:C ; sh:closed true .""",
    )
    with pytest.raises(EngineError, match=r"sh:closed.*does not compile"):
        compile_shapes(shapes, lambda c: [c])


def test_missing_shapes_are_an_error(monkeypatch, tmp_path):
    import kg._validation as validation

    monkeypatch.setattr(validation, "ontology_files", lambda shapes=False: [])
    validation._shapes.cache_clear()
    try:
        with pytest.raises(EngineError, match="no SHACL shapes"):
            validation.validate_files([])
    finally:
        monkeypatch.undo()
        validation._shapes.cache_clear()


def test_a_syntax_error_names_file_line_and_column():
    path = FIXTURES / "invalid" / "syntax-error.ttl"
    with pytest.raises(ParseError) as info:
        validate_files([path])
    assert str(info.value).startswith(f"{path}:12:1: syntax error:")


def test_progress_reaches_the_end_and_an_oxigraph_store_validates_in_place():
    seen: list[tuple[int, int]] = []
    store = ox.Store()
    for path in [*kg._loading.ontology_files(), *kg._resources.default_data_files()]:
        store.bulk_load(path=str(path), format=ox.RdfFormat.TURTLE)
    report = kg._validation.validate_store(store, progress=lambda done, total: seen.append((done, total)))
    assert report.conforms
    assert seen and seen[-1][0] == seen[-1][1] > 20
    assert [done for done, _ in seen] == list(range(1, len(seen) + 1))


def test_validating_does_not_load_pyshacl_unless_asked():
    code = "import sys, kg; kg.validate_files([]); kg.load(); print('pyshacl' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True, cwd=ROOT)
    assert out.stdout.strip() == "False"


def test_load_validates_whatever_the_size_and_skips_only_when_asked(tmp_path):
    data = tmp_path / "events.nt"
    synth.write_ntriples(data, 300, seed=4)
    with data.open("a", encoding="utf-8") as handle:  # one event without its date
        handle.write(f"<{synth.ID}synth/event/broken> <{RDF.type}> <{DIP.Event}> .\n")
    seen: list[tuple[int, int, str]] = []
    with pytest.raises(kg.ValidationError) as info:
        kg.build_store(tmp_path / "store", [data], default=False, progress=lambda *a: seen.append(a))
    assert [(v.node, v.path, v.rule) for v in info.value.report.violations] == [
        ("id:synth/event/broken", "dip:date", "MinCount"),
        ("id:synth/event/broken", "dip:eventType", "MinCount"),
        ("id:synth/event/broken", "dip:source", "MinCount"),
    ]
    assert info.value.report.violations[0].file == str(data)
    assert not (tmp_path / "store").exists()  # nothing half-written
    checks = [(done, total) for done, total, what in seen if what == "validation"]
    assert checks and checks[-1][0] == checks[-1][1]
    assert kg.build_store(tmp_path / "store", [data], default=False, validate=False) > 3000
