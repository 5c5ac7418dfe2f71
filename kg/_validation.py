"""SHACL validation of the data and of the ontology, with messages a person can act on."""

from __future__ import annotations

import logging
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

import pyshacl
from rdflib import Graph, Literal, URIRef
from rdflib.namespace import RDF, SH
from rdflib.term import Node

from kg._errors import ValidationError
from kg._loading import ontology_files, parse_file, read_graph
from kg._namespace import PREFIXES

__all__ = ["ValidationReport", "Violation", "check", "validate", "validate_files", "validate_ontology"]

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Violation:
    """One broken rule.

    Attributes
    ----------
    node : str
        The node that breaks it, in prefixed form (``id:event/recall``).
    path : str
        The property concerned, in prefixed form, or ``""``.
    rule : str
        The SHACL constraint component (``MinCount``, ``Class``, ``Datatype``, ...).
    message : str
        What is wrong and how to fix it.
    severity : str
        ``"Violation"`` or ``"Warning"``.
    value : str
        The offending value, where there is one.
    file : str
        The file that declares the node, where found.
    line : int or None
        The line in that file.
    """

    node: str
    path: str
    rule: str
    message: str
    severity: str = "Violation"
    value: str = ""
    file: str = ""
    line: int | None = None

    def __str__(self) -> str:
        where = f"{self.file}:{self.line}: " if self.line else (f"{self.file}: " if self.file else "")
        what = f" {self.path}" if self.path else ""
        value = f" (value {self.value})" if self.value else ""
        return f"{where}{self.severity.lower()}: {self.node}{what}{value}: {self.message} [rule {self.rule}]"


@dataclass
class ValidationReport:
    """The outcome of a validation: conforms, plus every violation and warning."""

    conforms: bool
    results: list[Violation] = field(default_factory=list)

    @property
    def violations(self) -> list[Violation]:
        """The results that make the data not conform."""
        return [r for r in self.results if r.severity == "Violation"]

    @property
    def warnings(self) -> list[Violation]:
        """The results that are only warnings (a missing quote)."""
        return [r for r in self.results if r.severity != "Violation"]

    def text(self, *, warnings: bool = True) -> str:
        """Return the report as lines of text, violations first (then warnings, if asked)."""
        head = "conforms" if self.conforms else f"does not conform: {len(self.violations)} violation(s)"
        if self.warnings:
            head += f", {len(self.warnings)} warning(s)"
        shown = self.violations + (self.warnings if warnings else [])
        return "\n".join([head, *(str(r) for r in shown)])


@cache
def _shapes(kind: str) -> Graph:
    graph = Graph()
    for path in ontology_files(shapes=True):
        if (path.name == "ontology-shapes.ttl") == (kind == "ontology"):
            parse_file(path, graph)
    return graph


def _short(graph: Graph, node: Node | None) -> str:
    if node is None:
        return ""
    if isinstance(node, URIRef):
        for prefix, namespace in PREFIXES.items():
            if str(node).startswith(namespace) and len(str(node)) > len(namespace):
                return f"{prefix}:{str(node)[len(namespace) :]}"
        return f"<{node}>"
    if isinstance(node, Literal):
        return node.n3()
    return "a blank node"


def _run(data: Graph, shapes: Graph, files: Sequence[Path]) -> ValidationReport:
    conforms, results_graph, _ = pyshacl.validate(
        data, shacl_graph=shapes, advanced=True, allow_warnings=True, inference="none"
    )
    locator = _Locator(files)
    results = []
    for result in results_graph.subjects(RDF.type, SH.ValidationResult):
        focus = results_graph.value(result, SH.focusNode)
        path = results_graph.value(result, SH.resultPath)
        component = results_graph.value(result, SH.sourceConstraintComponent)
        severity = results_graph.value(result, SH.resultSeverity)
        message = results_graph.value(result, SH.resultMessage)
        value = results_graph.value(result, SH.value)
        file, line = locator.find(focus)
        results.append(
            Violation(
                node=_short(data, focus),
                path=_short(data, path) if isinstance(path, URIRef) else "",
                rule=str(component).rsplit("#", 1)[-1].removesuffix("ConstraintComponent"),
                message=str(message) if message is not None else "breaks a shape",
                severity=str(severity).rsplit("#", 1)[-1],
                value=_short(data, value) if value is not None and value != focus else "",
                file=file,
                line=line,
            )
        )
    results.sort(key=lambda r: (r.severity != "Violation", r.file, r.line or 0, r.node, r.path))
    return ValidationReport(bool(conforms), results)


class _Locator:
    """Find the file and line that declare a node, by its IRI in full or prefixed form."""

    _PREFIX = re.compile(r"@prefix\s+([\w.-]*):\s*<([^>]*)>", re.IGNORECASE)

    def __init__(self, files: Sequence[Path]):
        self.texts: list[tuple[Path, list[str], dict[str, str]]] = []
        for path in files:
            try:
                text = path.read_text(encoding="utf-8")
            except (OSError, UnicodeDecodeError):
                continue
            prefixes = {ns: p for p, ns in self._PREFIX.findall(text)}
            self.texts.append((path, text.splitlines(), prefixes))

    def find(self, node: Node | None) -> tuple[str, int | None]:
        if not isinstance(node, URIRef):
            return "", None
        for path, lines, prefixes in self.texts:
            forms = [f"<{node}>"] + [
                f"{p}:{str(node)[len(ns) :]}" for ns, p in prefixes.items() if str(node).startswith(ns)
            ]
            pattern = re.compile("|".join(re.escape(f) + r"(?![\w/.-]*\w)" for f in forms))
            hit = None
            for number, line in enumerate(lines, 1):
                match = pattern.search(line)
                if match and match.start() == len(line) - len(line.lstrip()):
                    return str(path), number  # the node as a subject: its declaration
                if match and hit is None:
                    hit = number
            if hit is not None:
                return str(path), hit
        return "", None


def validate(graph: Graph, *, files: Sequence[Path] = ()) -> ValidationReport:
    """Validate a graph (ontology and data together) against the data shapes.

    Parameters
    ----------
    graph : rdflib.Graph
        The ontology and the data, merged, so that class hierarchies are known.
    files : sequence of Path
        The data files the graph was read from, to point each violation at its line.

    Examples
    --------
    >>> from kg._loading import read_graph
    >>> graph, files = read_graph([])
    >>> validate(graph, files=files).conforms
    True
    """
    return _run(graph, _shapes("data"), files)


def validate_files(paths: Iterable[str | Path], *, default: bool = True) -> ValidationReport:
    """Parse ``paths`` (with the ontology and, by default, the default data) and validate them."""
    graph, files = read_graph(paths, default=default)
    return validate(graph, files=files)


def check(graph: Graph, *, files: Sequence[Path] = ()) -> ValidationReport:
    """Validate and raise :class:`ValidationError` unless the graph conforms."""
    report = validate(graph, files=files)
    if not report.conforms:
        raise ValidationError(report)
    return report


def validate_ontology(paths: Iterable[str | Path] | None = None) -> ValidationReport:
    """Validate ontology files (the shipped ones by default) against the ontology shapes.

    The shapes ask every term to be labelled, defined and tied to its module.
    """
    files = [Path(p) for p in paths] if paths is not None else ontology_files()
    graph = Graph()
    for path in files:
        parse_file(path, graph)
    return _run(graph, _shapes("ontology"), files)
