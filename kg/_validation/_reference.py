"""pySHACL on rdflib: the reference the compiled validator is tested against (slow: for small graphs)."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from rdflib import Graph, URIRef
from rdflib.namespace import RDF, SH

from kg._validation._report import ValidationReport, Violation, placed, short

__all__ = ["run_pyshacl"]


def run_pyshacl(data: Graph, shapes: Graph, files: Sequence[Path] = ()) -> ValidationReport:
    """Validate with pySHACL (imported here only: ``import kg`` never loads it)."""
    import pyshacl

    conforms, results_graph, _ = pyshacl.validate(
        data, shacl_graph=shapes, advanced=True, allow_warnings=True, inference="none"
    )
    found = []
    for result in results_graph.subjects(RDF.type, SH.ValidationResult):
        focus = results_graph.value(result, SH.focusNode)
        path = results_graph.value(result, SH.resultPath)
        component = results_graph.value(result, SH.sourceConstraintComponent)
        severity = results_graph.value(result, SH.resultSeverity)
        message = results_graph.value(result, SH.resultMessage)
        value = results_graph.value(result, SH.value)
        found.append(
            (
                str(focus) if isinstance(focus, URIRef) else "",
                Violation(
                    node=short(focus),
                    path=short(path) if isinstance(path, URIRef) else "",
                    rule=str(component).rsplit("#", 1)[-1].removesuffix("ConstraintComponent"),
                    message=str(message) if message is not None else "breaks a shape",
                    severity=str(severity).rsplit("#", 1)[-1],
                    value=short(value) if value is not None and value != focus else "",
                ),
            )
        )
    return ValidationReport(bool(conforms), placed(found, files))
