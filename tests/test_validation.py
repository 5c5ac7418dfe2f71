import shutil

import pytest

import kg
from kg._validation import validate_files, validate_ontology

from .conftest import FIXTURES, ROOT

INVALID = FIXTURES / "invalid"

# For each broken file: the one violation expected (property, SHACL rule, words of the fix).
EXPECTED = {
    "no-date.ttl": ("id:event/no-date", "dip:date", "MinCount", "needs exactly one dip:date"),
    "no-source.ttl": ("id:event/no-source", "dip:source", "MinCount", "needs a dip:source"),
    "unknown-relation.ttl": ("id:event/unknown-relation", "dip:eventType", "Or", "fix the type's name"),
    "malformed-date.ttl": ("id:event/malformed-date", "dip:date", "Datatype", "a valid xsd:date"),
    "unknown-actor.ttl": ("id:event/unknown-actor", "dip:target", "Class", "not a known actor"),
}


def test_default_graph_conforms_with_no_warning():
    report = validate_files([])
    assert report.conforms
    assert report.results == []


def test_a_report_nobody_here_wrote_conforms():
    assert validate_files([FIXTURES / "valid"]).conforms


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_each_broken_file_gives_one_precise_violation(name):
    report = validate_files([INVALID / name])
    assert not report.conforms
    [violation] = report.violations
    node, path, rule, words = EXPECTED[name]
    assert (violation.node, violation.path, violation.rule) == (node, path, rule)
    assert words in violation.message
    # the violation points at the line that declares the event
    assert violation.file == str(INVALID / name)
    assert violation.line == 9
    assert str(violation).startswith(f"{INVALID / name}:9: violation: {node} {path}")


def test_every_fixture_is_covered():
    files = sorted(p.name for p in INVALID.glob("*.ttl"))
    assert files, "no invalid fixtures found"
    assert set(files) == set(EXPECTED) | {"syntax-error.ttl"}


def test_claim_nobody_asserts_and_standing_relation_without_time(tmp_path):
    bad = tmp_path / "bad.ttl"
    bad.write_text("""
@prefix dip: <https://w3id.org/dipkg/ns#> .
@prefix ex: <https://example.org/> .
ex:src a dip:Source ; <http://www.w3.org/2000/01/rdf-schema#label> "s" .
ex:a a dip:State ; <http://www.w3.org/2000/01/rdf-schema#label> "A" .
ex:b a dip:State ; <http://www.w3.org/2000/01/rdf-schema#label> "B" .
ex:claim a dip:Claim ; dip:claimText "B did it" ; dip:source ex:src .
ex:ties a dip:StandingRelation ; dip:relationType dip:maintainsTiesWith ;
    dip:subject ex:a ; dip:object ex:b ; dip:source ex:src .
""")
    report = validate_files([bad], default=False)
    messages = sorted(v.message.split(":")[0] for v in report.violations)
    assert messages == ["a standing relation needs what the source says of its time", "nobody asserts this claim"]


def test_missing_quote_is_a_warning_not_a_violation(tmp_path):
    text = (FIXTURES / "invalid" / "no-date.ttl").read_text()
    text = text.replace('    dip:quote "Turkey condemned it." .', '    dip:date "2023-10-18"^^xsd:date .')
    path = tmp_path / "no-quote.ttl"
    path.write_text(text)
    report = validate_files([path])
    assert report.conforms
    assert [(w.node, w.path, w.severity) for w in report.warnings] == [("id:event/no-date", "dip:quote", "Warning")]


def test_validation_error_carries_the_report():
    graph, files = kg._loading.read_graph([INVALID / "no-source.ttl"])
    with pytest.raises(kg.ValidationError) as info:
        kg._validation.check(graph, files=files)
    assert info.value.report.violations[0].path == "dip:source"
    assert "does not conform: 1 violation(s)" in str(info.value)


def test_the_ontology_conforms_to_its_own_shapes():
    report = validate_ontology()
    assert report.conforms, report.text()


def test_a_term_without_definition_breaks_the_ontology_shapes(tmp_path):
    core = tmp_path / "core.ttl"
    shutil.copy(ROOT / "ontology" / "core.ttl", core)
    text = core.read_text()
    start = text.index("dip:Collective a owl:Class")
    definition = text.index("skos:definition", start)
    end = text.index("\n", definition)
    core.write_text(text[:definition] + text[end + 1 :])
    report = validate_ontology([core])
    assert [(v.node, v.path) for v in report.violations] == [("dip:Collective", "skos:definition")]


def test_a_relation_type_without_codes_is_refused(tmp_path):
    path = tmp_path / "type.ttl"
    path.write_text("""
@prefix dip: <https://w3id.org/dipkg/ns#> .
@prefix skos: <http://www.w3.org/2004/02/skos/core#> .
dip:praisesLoudly a dip:RelationType ; skos:prefLabel "praises loudly"@en ;
    dip:sign dip:Cooperative ; dip:symmetric false ; dip:structural false .
""")
    report = validate_files([path], default=False)
    assert [(v.node, v.rule) for v in report.violations] == [("dip:praisesLoudly", "Or")]
    assert "needs dip:cameoCode" in report.violations[0].message


_EVENT = """
@prefix dip: <https://w3id.org/dipkg/ns#> .
@prefix ex: <https://example.org/> .
@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .
ex:src a dip:Source ; <http://www.w3.org/2000/01/rdf-schema#label> "s" .
ex:a a dip:State ; <http://www.w3.org/2000/01/rdf-schema#label> "A" .
ex:e a dip:Event ; dip:eventType dip:attacks ; dip:actor ex:a ; dip:source ex:src ; dip:quote "q" ;
    dip:date "2024-01-02"^^xsd:date ;
"""


@pytest.mark.parametrize(
    ("quantity", "expected"),
    [
        # a figure read into a word, stored as if stated: refused
        (
            '[ a dip:VagueQuantity ; dip:words "dozens" ; dip:countOf "hurt" ; dip:amount 24 ]',
            ("MaxCount", "a vague quantity has no dip:amount"),
        ),
        # a lower bound read into a word without the reading marked
        (
            '[ a dip:VagueQuantity ; dip:words "dozens" ; dip:countOf "hurt" ; dip:impliedMinimum 24 ]',
            ("SPARQL", "is a reading of a word"),
        ),
        (
            '[ a dip:StatedFigure ; dip:words "some 200" ; dip:countOf "hostages" ]',
            ("MinCount", "needs one dip:amount"),
        ),
        ('[ a dip:StatedFigure ; dip:amount 200 ; dip:countOf "hostages" ]', ("MinCount", "the report's own words")),
        (
            '[ a dip:Quantity ; dip:words "some 200" ; dip:amount 200 ; dip:countOf "hostages" ]',
            ("Xone", "either a dip:StatedFigure"),
        ),
        (
            '[ a dip:StatedFigure ; dip:words "some 200" ; dip:amount 200 ; dip:hedge dip:Roughly ; dip:countOf "x" ]',
            ("In", "dip:hedge is one of"),
        ),
    ],
)
def test_quantities_keep_the_reports_words_and_never_invent_a_figure(tmp_path, quantity, expected):
    path = tmp_path / "q.ttl"
    path.write_text(_EVENT + f"    dip:quantity {quantity} .\n")
    report = validate_files([path], default=False)
    assert [(v.rule, expected[1] in v.message) for v in report.violations] == [(expected[0], True)], report.text()


def test_well_formed_quantities_and_readings_conform(tmp_path):
    path = tmp_path / "q.ttl"
    path.write_text(
        _EVENT
        + """
    dip:quantity [ a dip:StatedFigure ; dip:words "some 200" ; dip:amount 200 ; dip:hedge dip:Some ;
                   dip:countOf "hostages" ] ,
        [ a dip:VagueQuantity ; dip:words "dozens" ; dip:countOf "hurt" ; dip:impliedMinimum 24 ;
          dip:hasReading [ a dip:Reading ; dip:readingOf dip:impliedMinimum ; dip:words "dozens" ] ] ;
    dip:endDate "2024-01-05"^^xsd:date ; dip:before "2024-01-06"^^xsd:date .
"""
    )
    assert validate_files([path], default=False).conforms


def test_an_event_placed_before_a_day_must_end_before_it(tmp_path):
    path = tmp_path / "before.ttl"
    path.write_text(_EVENT + """    dip:endDate "2024-01-06"^^xsd:date ; dip:before "2024-01-06"^^xsd:date .\n""")
    report = validate_files([path], default=False)
    assert [(v.path, v.rule) for v in report.violations] == [("dip:endDate", "LessThan")]


def test_a_reading_needs_the_sources_words(tmp_path):
    path = tmp_path / "reading.ttl"
    path.write_text(_EVENT + """    dip:hasReading [ a dip:Reading ; dip:readingOf dip:target ] .\n""")
    report = validate_files([path], default=False)
    assert [(v.path, v.rule) for v in report.violations] == [("dip:words", "MinCount")]


def test_a_relation_type_must_say_how_it_maps_to_its_cameo_code(tmp_path):
    path = tmp_path / "type.ttl"
    path.write_text("""
@prefix dip: <https://w3id.org/dipkg/ns#> .
@prefix skos: <http://www.w3.org/2004/02/skos/core#> .
@prefix cameo: <https://w3id.org/dipkg/cameo/> .
dip:cutsTies a dip:RelationType ; skos:prefLabel "cuts ties with"@en ;
    dip:sign dip:Conflictual ; dip:symmetric false ; dip:structural false ;
    dip:cameoCode "161" ; dip:goldstein -4.0 ; dip:quadClass 4 .
dip:cutsTiesToo a dip:RelationType ; skos:prefLabel "cuts ties too"@en ;
    dip:sign dip:Conflictual ; dip:symmetric false ; dip:structural false ;
    dip:cameoCode "161" ; dip:goldstein -4.0 ; dip:quadClass 4 ; skos:exactMatch cameo:161 .
""")
    report = validate_files([path])
    assert [(v.node, v.rule) for v in report.violations] == [("dip:cutsTies", "SPARQL")]
    assert "skos:exactMatch" in report.violations[0].message
