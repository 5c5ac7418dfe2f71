import csv

import pytest
from rdflib import Graph, Literal, URIRef
from rdflib.compare import graph_diff, isomorphic, to_isomorphic
from rdflib.namespace import OWL, RDF, RDFS, SKOS

from kg._loading import ontology_files, parse_file
from kg._namespace import CAMEO, DIP
from tools.build_cameo import build, read_table

from .conftest import ROOT


@pytest.fixture(scope="module")
def ontology():
    graph = Graph()
    files = ontology_files()
    assert files, "no ontology files found"
    for path in files:
        parse_file(path, graph)
    return graph


def test_every_module_has_a_header_with_version(ontology):
    modules = set(ontology.subjects(RDF.type, OWL.Ontology))
    assert {str(m) for m in modules} == {
        "https://w3id.org/dipkg/ns",
        "https://w3id.org/dipkg/relations",
        "https://w3id.org/dipkg/cameo",
        "https://w3id.org/dipkg/datasets",
    }
    for module in modules:
        assert ontology.value(module, OWL.versionIRI) is not None
        assert ontology.value(module, OWL.versionInfo) is not None


def test_relation_types_carry_the_codes_of_the_reference_table(ontology):
    # The seed's relations, as ../shared/reference/README.md maps them.
    expected = {
        "recallsDiplomatsFrom": ("161", -4.0, "SANCTION", DIP.Conflictual, False),
        "condemns": ("111", -2.0, "ACCUSE", DIP.Conflictual, False),
        "accuses": ("112", -2.0, "ACCUSE", DIP.Conflictual, False),
        "mediates": ("045", 5.0, "CONSULT", DIP.Cooperative, False),
        "maintainsTiesWith": ("050", 3.5, "SUPPORT", DIP.Cooperative, True),
        "demonstratesAgainst": ("141", -6.5, "PROTEST", DIP.Conflictual, False),
        "arrests": ("173", -5.0, "COERCE", DIP.Conflictual, False),
        "discussesByTelephone": ("041", 1.0, "CONSULT", DIP.Cooperative, True),
        "negotiatesWith": ("046", 7.0, "CONSULT", DIP.Cooperative, True),
        "endorses": ("051", 3.4, "SUPPORT", DIP.Cooperative, False),
        "takesHostages": ("181", -9.0, "ASSAULT", DIP.Conflictual, False),
    }
    for name, (code, goldstein, plover, sign, symmetric) in expected.items():
        term = DIP[name]
        assert ontology.value(term, DIP.cameoCode) == Literal(code), name
        assert float(ontology.value(term, DIP.goldstein)) == goldstein, name
        assert str(ontology.value(term, DIP.ploverCategory)) == plover, name
        assert ontology.value(term, DIP.sign) == sign, name
        assert ontology.value(term, DIP.symmetric).toPython() is symmetric, name
        match = SKOS.broadMatch if name in NARROWER_THAN_THEIR_CODE else SKOS.exactMatch
        assert (term, match, CAMEO[code]) in ontology, name
        assert {
            m for m in (SKOS.exactMatch, SKOS.broadMatch, SKOS.narrowMatch) if (term, m, CAMEO[code]) in ontology
        } == {match}, name


# A recall is one way to "reduce or break diplomatic relations" (CAMEO 161), a hostage-taking one way
# to "abduct, hijack, or take hostage" (181), standing ties not an event of "diplomatic cooperation"
# (050): each type is narrower than its code's concept, so it maps by skos:broadMatch.
NARROWER_THAN_THEIR_CODE = {"recallsDiplomatsFrom", "takesHostages", "maintainsTiesWith"}


def test_every_relation_type_says_how_it_maps_to_its_cameo_code(ontology):
    matches = {}
    for term in ontology.subjects(RDF.type, DIP.RelationType):
        code = ontology.value(term, DIP.cameoCode)
        if code is None:
            continue
        found = [
            (m, c) for m in (SKOS.exactMatch, SKOS.broadMatch, SKOS.narrowMatch) for c in ontology.objects(term, m)
        ]
        assert found == [(found[0][0], CAMEO[str(code)])], term
        matches[str(term).rsplit("#", 1)[-1]] = str(found[0][0]).rsplit("#", 1)[-1]
    exact_161 = [
        t for t, m in matches.items() if m == "exactMatch" and ontology.value(DIP[t], DIP.cameoCode) == Literal("161")
    ]
    assert exact_161 == []  # nothing is read back from 161 as a recall
    assert {t for t, m in matches.items() if m == "broadMatch"} == {
        "recallsDiplomatsFrom",
        "takesHostages",
        "maintainsTiesWith",
        "urgesCitizensToLeave",
        "issuesTravelWarning",
        "evacuatesCitizensFrom",
    }


def test_taxonomy_has_twenty_plus_event_types(ontology):
    types = set(ontology.subjects(RDF.type, DIP.RelationType))
    events = {t for t in types if not ontology.value(t, DIP.standing).toPython()}
    assert len(events) >= 20


def test_relation_goldstein_values_agree_with_the_cameo_scheme(ontology):
    for term in ontology.subjects(RDF.type, DIP.RelationType):
        code = ontology.value(term, DIP.cameoCode)
        if code is None:
            continue
        assert ontology.value(CAMEO[str(code)], DIP.goldstein) == ontology.value(term, DIP.goldstein), term
        assert ontology.value(CAMEO[str(code)], DIP.quadClass) == ontology.value(term, DIP.quadClass), term


def test_cameo_scheme_has_every_code_with_leading_zeros(ontology):
    codes = {str(ontology.value(c, DIP.cameoCode)) for c in ontology.subjects(RDF.type, DIP.CameoCode)}
    assert len(codes) == 311
    assert {"01", "010", "0211", "045", "161", "1823", "20"} <= codes
    assert ontology.value(CAMEO["0211"], SKOS.broader) == CAMEO["021"]
    assert ontology.value(CAMEO["021"], SKOS.broader) == CAMEO["02"]


def test_cameo_scheme_is_what_the_reference_table_builds(shared, ontology):
    rows = read_table(shared / "reference" / "cameo-event-codes.tsv")
    built = Graph().parse(data=build(rows), format="turtle")
    shipped = Graph().parse(ROOT / "ontology" / "cameo.ttl")
    if not isomorphic(built, shipped):
        _, only_built, only_shipped = graph_diff(to_isomorphic(built), to_isomorphic(shipped))
        pytest.fail(
            f"ontology/cameo.ttl is stale: run tools/build_cameo.py\n"
            f"only built: {sorted(only_built)[:5]}\nonly shipped: {sorted(only_shipped)[:5]}"
        )
    with (shared / "reference" / "cameo-event-codes.tsv").open() as handle:
        table = {r["code"]: float(r["goldstein"]) for r in csv.DictReader(handle, delimiter="\t")}
    assert table["161"] == float(shipped.value(CAMEO["161"], DIP.goldstein))


def test_every_own_term_is_labelled_defined_and_in_its_module(ontology):
    own = {s for s in ontology.subjects() if isinstance(s, URIRef) and str(s).startswith(str(DIP))}
    assert len(own) > 100
    for term in own:
        assert ontology.value(term, RDFS.label) is not None, term
        assert ontology.value(term, SKOS.definition) is not None, term
        assert ontology.value(term, RDFS.isDefinedBy) is not None, term
