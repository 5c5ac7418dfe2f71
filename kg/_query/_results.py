"""Answers in a stable, canonical form, and printed: tables, CSV, SPARQL JSON results, Turtle."""

from __future__ import annotations

import json
from collections.abc import Iterable
from decimal import Decimal, InvalidOperation
from typing import Any

from rdflib import BNode, Graph, Literal, URIRef
from rdflib.namespace import XSD
from rdflib.term import Node

from kg._errors import InputError
from kg._namespace import PREFIXES
from kg._store import Result, Row
from kg._tabular import FORMATS

__all__ = ["GRAPH_FORMATS", "canonical", "serialize", "sparql_json", "stable"]

GRAPH_FORMATS = ("turtle", "nt", "jsonld")
"""The formats a CONSTRUCT or DESCRIBE answer prints in (Turtle by default)."""


_INTEGERS = {
    str(XSD[n])
    for n in (
        "integer",
        "int",
        "long",
        "short",
        "byte",
        "nonNegativeInteger",
        "positiveInteger",
        "negativeInteger",
        "nonPositiveInteger",
        "unsignedLong",
        "unsignedInt",
        "unsignedShort",
        "unsignedByte",
    )
}
_DECIMAL, _DOUBLES, _BOOLEAN = str(XSD.decimal), {str(XSD.double), str(XSD.float)}, str(XSD.boolean)


def canonical(term: Node | None) -> Node | None:
    """Return ``term`` with a number or boolean written in one canonical form (``-4.0``, ``2``, ``true``).

    Examples
    --------
    >>> canonical(Literal("-4", datatype=XSD.decimal))
    rdflib.term.Literal('-4.0', datatype=rdflib.term.URIRef('http://www.w3.org/2001/XMLSchema#decimal'))
    """
    if not isinstance(term, Literal) or term.datatype is None:
        return term
    datatype, lexical = str(term.datatype), str(term)
    try:
        if datatype in _INTEGERS:
            text = str(int(lexical.strip()))
        elif datatype == _DECIMAL:
            value = Decimal(lexical.strip())
            text = f"{int(value)}.0" if value == value.to_integral_value() else format(value.normalize(), "f")
        elif datatype in _DOUBLES:
            text = repr(float(lexical))
        elif datatype == _BOOLEAN:
            text = "true" if lexical.strip() in ("true", "1") else "false"
        else:
            return term
    except (ValueError, InvalidOperation):
        return term
    return term if text == lexical else Literal(text, datatype=term.datatype)


def _sort_key(row: Iterable[Node | None]) -> tuple[tuple[int, float, str], ...]:
    key = []
    for term in row:
        if term is None:
            key.append((0, 0.0, ""))
        elif isinstance(term, URIRef):
            key.append((1, 0.0, str(term)))
        elif isinstance(term, BNode):
            key.append((2, 0.0, ""))
        elif isinstance(term, Literal) and str(term.datatype) in _INTEGERS | _DOUBLES | {_DECIMAL}:
            try:
                key.append((3, float(term), str(term)))
            except ValueError:
                key.append((4, 0.0, str(term)))
        else:
            language = getattr(term, "language", None) or ""
            key.append((4, 0.0, f"{term}\x00{language}\x00{getattr(term, 'datatype', '') or ''}"))
    return tuple(key)


def stable(result: Result, *, ordered: bool) -> Result:
    if result.graph is not None:
        graph = Graph()
        for prefix, namespace in PREFIXES.items():
            graph.bind(prefix, namespace)
        for s, p, o in result.graph:
            graph.add((s, p, canonical(o)))  # type: ignore[arg-type]
        return Result(result.form, graph=graph)
    if result.form == "ASK":
        return result
    rows = [Row((canonical(v) for v in row), result.vars) for row in result.rows]
    if not ordered:
        rows.sort(key=_sort_key)
    return Result(result.form, vars=result.vars, rows=rows)


# ---------------------------------------------------------------- output


def _json_term(term: Node) -> dict[str, str]:
    if isinstance(term, URIRef):
        return {"type": "uri", "value": str(term)}
    if isinstance(term, BNode):
        return {"type": "bnode", "value": str(term)}
    assert isinstance(term, Literal)
    value: dict[str, str] = {"type": "literal", "value": str(term)}
    if term.language:
        value["xml:lang"] = str(term.language)
    elif term.datatype is not None and term.datatype != XSD.string:
        value["datatype"] = str(term.datatype)
    return value


def sparql_json(result: Result) -> dict[str, Any]:
    """Return a SELECT or ASK answer as SPARQL 1.1 Query Results JSON.

    Examples
    --------
    >>> from kg._store import MemoryStore
    >>> sparql_json(MemoryStore().query("ASK { }"))
    {'head': {}, 'boolean': True}
    """
    if result.form == "ASK":
        return {"head": {}, "boolean": bool(result.boolean)}
    bindings = [
        {name: _json_term(value) for name, value in zip(result.vars, row, strict=True) if value is not None}
        for row in result.rows
    ]
    return {"head": {"vars": list(result.vars)}, "results": {"bindings": bindings}}


def serialize(result: Result, fmt: str | None = None) -> str:
    """Return an answer as text, in the format ``fmt`` (the answer's own default when None).

    A SELECT prints as ``table``, ``csv``, ``tsv`` or ``json`` (SPARQL 1.1 JSON results); an ASK
    as ``true``/``false`` (or JSON); a graph as ``turtle``, ``nt`` or ``jsonld``.

    Raises
    ------
    InputError
        For a format that does not fit the answer (a CONSTRUCT as CSV).

    Examples
    --------
    >>> from kg._store import MemoryStore
    >>> print(serialize(MemoryStore().query("SELECT ?x WHERE { VALUES ?x { 1 2 } }"), "csv"), end="")
    x
    1
    2
    """
    if result.form == "UPDATE":
        return "ok: the update was applied\n"
    if result.graph is not None:
        fmt = {None: "turtle", "table": "turtle", "json": "jsonld"}.get(fmt, fmt)
        if fmt not in GRAPH_FORMATS:
            raise InputError(f"a {result.form} answer is a graph: print it as {', '.join(GRAPH_FORMATS)}, not {fmt}")
        graph = result.graph
        if fmt == "nt":
            return "".join(sorted(graph.serialize(format="nt").splitlines(keepends=True)))
        if fmt == "jsonld":  # an inline context: nothing is fetched
            terms = {str(t) for triple in graph for t in triple}
            used = {p: ns for p, ns in PREFIXES.items() if any(t.startswith(ns) for t in terms)}
            return graph.serialize(format="json-ld", context=used, indent=2) + "\n"
        return graph.serialize(format="turtle")
    fmt = fmt or "table"
    if fmt not in FORMATS:
        raise InputError(f"a {result.form} answer prints as {', '.join(FORMATS)}, not {fmt}")
    if fmt == "json":
        return json.dumps(sparql_json(result), indent=2, ensure_ascii=False) + "\n"
    if result.form == "ASK":
        return ("true" if result.boolean else "false") + "\n"
    return result.to_table().to_text(fmt)
