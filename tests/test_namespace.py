import pytest
from rdflib import Graph, URIRef

from kg._loading import ontology_files, parse_file
from kg._namespace import DIP


def test_the_dip_class_equals_the_terms_the_ontology_defines():
    graph = Graph()
    for path in ontology_files():
        parse_file(path, graph)
    defined = {str(s) for s in graph.subjects() if isinstance(s, URIRef) and str(s).startswith(str(DIP._NS))}
    in_code = {str(DIP._NS) + name for name in DIP.__annotations__}
    assert defined == in_code


def test_a_misspelt_term_fails_at_once():
    with pytest.raises(AttributeError):
        _ = DIP.recallsDiplomatFrom
