import shutil

import pytest

import kg
from kg.validation import validate_files, validate_ontology

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
    assert messages == ["a standing relation needs a time", "nobody asserts this claim"]


def test_missing_quote_is_a_warning_not_a_violation(tmp_path):
    text = (FIXTURES / "invalid" / "no-date.ttl").read_text()
    text = text.replace('    dip:quote "Turkey condemned it." .', '    dip:date "2023-10-18"^^xsd:date .')
    path = tmp_path / "no-quote.ttl"
    path.write_text(text)
    report = validate_files([path])
    assert report.conforms
    assert [(w.node, w.path, w.severity) for w in report.warnings] == [("id:event/no-date", "dip:quote", "Warning")]


def test_validation_error_carries_the_report():
    graph, files = kg.loading.read_graph([INVALID / "no-source.ttl"])
    with pytest.raises(kg.ValidationError) as info:
        kg.validation.check(graph, files=files)
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
    core.write_text(text[:definition] + text[end + 1:])
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
