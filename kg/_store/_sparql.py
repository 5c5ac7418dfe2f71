"""The SPARQL text every engine shares: its form, the package's prefixes, parameters bound in it.

What is reused and what is not:

- Parsing is rdflib's (``parseQuery``, ``parseUpdate``): pyoxigraph exposes no parser in Python.
  :func:`parsed` only empties pyparsing's cache after it (see there), :func:`query_form` turns its
  errors into :class:`~kg._errors.QueryError` with the line and column.
- :func:`bind_values` writes parameters as a ``VALUES`` block: the SPARQL 1.1 Protocol has no
  parameters, and Oxigraph's own ``substitutions`` refuse a variable the query does not project
  (``SELECT ?o WHERE { ?s ?p ?o }`` with ``?s`` bound: "The SPARQL query does not contains
  variable ?s in its SELECT projection", pyoxigraph 0.5), which a parameter such as ``?actor``
  or ``?asOf`` usually is not. rdflib's ``initBindings`` serves the in-memory engine.
- :func:`inline_terms` writes bound variables in as constants, where SPARQL allows it, for the
  engines' optimisers (see :mod:`kg._query`).
"""

from __future__ import annotations

import functools
import re
from collections.abc import Callable, Mapping
from typing import Any

from pyparsing import ParserElement
from rdflib.plugins.sparql.parser import parseQuery, parseUpdate
from rdflib.term import Node

from kg._errors import QueryError
from kg._namespace import PREFIXES

__all__ = [
    "PREFIX_TEXT",
    "bind_values",
    "blank_strings",
    "declared_form",
    "inline_terms",
    "is_update",
    "parse_query",
    "parsed",
    "query_form",
    "values_block",
]

PREFIX_TEXT = "".join(f"PREFIX {p}: <{ns}>\n" for p, ns in PREFIXES.items())
"""The package's prefixes (:data:`kg._namespace.PREFIXES`) as SPARQL ``PREFIX`` lines."""


def parsed(parse: Callable[..., Any], sparql: str, **options: Any) -> Any:
    """Run one of rdflib's SPARQL parsers on ``sparql``, then empty pyparsing's packrat cache.

    pyparsing keeps the exceptions of its last parse, tracebacks and all: they hold every frame
    that called the parser alive, and with them the store (an Oxigraph folder stays locked while
    its ``Store`` lives), so a long-lived process could not release a store it had queried.
    """
    try:
        return parse(sparql, **options)
    finally:
        ParserElement.reset_cache()


@functools.lru_cache(maxsize=512)
def query_form(sparql: str) -> str:
    """Return the form of a SPARQL query (``SELECT``, ``ASK``, ``CONSTRUCT``, ``DESCRIBE``).

    Raises
    ------
    QueryError
        If the text does not parse, with the line and column of the problem.

    Examples
    --------
    >>> query_form("ASK { ?s ?p ?o }")
    'ASK'
    """
    tree = parse_query(sparql)
    return str(tree[1].name).removesuffix("Query").upper()  # SelectQuery, AskQuery, ...


CHECKED_LENGTH = 100_000
"""The longest query :func:`declared_form` checks with rdflib's parser (on longer ones, a map's
``VALUES`` blocks of some thousands of rows, it took minutes and gigabytes, then failed)."""


def declared_form(sparql: str) -> str:
    r"""Return the form of a query as :func:`query_form` does, parsing it only up to :data:`CHECKED_LENGTH` characters.

    A longer query is sent unparsed: its form is its first keyword of the four before its first
    ``{`` (outside comments, IRIs and strings), and the engine's parser reports its errors.

    Examples
    --------
    >>> declared_form("PREFIX s: <http://x/ask#> # ask\nSELECT * WHERE { ?s ?p ?o }" + " " * CHECKED_LENGTH)
    'SELECT'
    """
    if len(sparql) <= CHECKED_LENGTH:
        return query_form(sparql)
    found = _FORM.match(blank_strings(sparql[:CHECKED_LENGTH]))
    if found is None:
        raise QueryError("a query needs SELECT, ASK, CONSTRUCT or DESCRIBE before its first '{'")
    return found.group(1).upper()


_FORM = re.compile(r"[^{]*?\b(SELECT|ASK|CONSTRUCT|DESCRIBE)\b", re.IGNORECASE | re.DOTALL)


def parse_query(sparql: str) -> Any:
    """Return rdflib's parse tree of a SPARQL query.

    Raises
    ------
    QueryError
        If the text does not parse, with the line and column of the problem.

    Examples
    --------
    >>> parse_query("ASK {}")[1].name
    'AskQuery'
    """
    try:
        return parsed(parseQuery, sparql)
    except Exception as exc:  # pyparsing raises ParseException with lineno/col
        line, column = getattr(exc, "lineno", None), getattr(exc, "col", None)
        raise QueryError(
            f"SPARQL syntax error at line {line}, column {column}: {getattr(exc, 'msg', exc)}",
            line=line,
            column=column,
        ) from exc


def is_update(sparql: str) -> bool:
    """Return True when the text parses as a SPARQL Update rather than a query.

    >>> is_update("CLEAR DEFAULT"), is_update("ASK {}")
    (True, False)
    """
    try:
        parsed(parseQuery, sparql)
        return False
    except Exception:
        pass
    try:
        parsed(parseUpdate, sparql)
        return True
    except Exception:
        return False


_WHERE = re.compile(r"\bWHERE\s*\{", re.IGNORECASE)


def bind_values(sparql: str, bindings: Mapping[str, Node]) -> str:
    r"""Bind variables by a ``VALUES`` block opening the query's outer WHERE group.

    The terms are written with their N-Triples syntax (escaped by rdflib), never as raw text.

    Examples
    --------
    >>> from rdflib import Literal
    >>> print(bind_values("SELECT ?s WHERE { ?s ?p ?o }", {"o": Literal('say "hi"')}))
    SELECT ?s WHERE {
    VALUES (?o) { ("say \"hi\"") }
     ?s ?p ?o }
    """
    if not bindings:
        return sparql
    block = values_block(bindings) + "\n"
    match = _WHERE.search(blank_strings(sparql))
    if match is None:
        raise QueryError("cannot bind parameters: the query has no WHERE { ... } group")
    return sparql[: match.end()] + "\n" + block + sparql[match.end() :]


def values_block(bindings: Mapping[str, Node]) -> str:
    """Return a one-row ``VALUES`` block binding the variables, in name order, terms in N-Triples syntax.

    >>> from rdflib import Literal
    >>> values_block({"b": Literal(2), "a": Literal("x")})
    'VALUES (?a ?b) { ("x" "2"^^<http://www.w3.org/2001/XMLSchema#integer>) }'
    """
    names = sorted(bindings)
    return "VALUES (" + " ".join(f"?{n}" for n in names) + ") { (" + " ".join(bindings[n].n3() for n in names) + ") }"


def inline_terms(sparql: str, bindings: Mapping[str, Node]) -> tuple[str, dict[str, Node]]:
    """Write bound variables into the query text as constant terms, where SPARQL allows it.

    A variable is written in only when it appears after the query's first ``{`` and never as
    ``AS ?name`` or in a ``VALUES`` list (where no constant may stand); the bindings not written
    in are returned, to bind as before. Comments, IRIs and strings are left untouched.

    Examples
    --------
    >>> from rdflib import Literal
    >>> text, rest = inline_terms("SELECT ?e WHERE { ?e ?p ?d FILTER (?d <= ?asOf) }", {"asOf": Literal(3)})
    >>> text, rest
    ('SELECT ?e WHERE { ?e ?p ?d FILTER (?d <= "3"^^<http://www.w3.org/2001/XMLSchema#integer>) }', {})
    """
    blank = blank_strings(sparql)
    body = blank.find("{")
    rest: dict[str, Node] = {}
    for name, term in bindings.items():
        token = re.compile(r"[?$]" + re.escape(name) + r"(?![\w\u00B7\u0300-\u036F\u203F-\u2040])")
        places = [m.start() for m in token.finditer(blank)]
        declared = re.search(
            r"\bAS\s*[?$]" + re.escape(name) + r"\b|\bVALUES\s*\(?[^{]*[?$]" + re.escape(name) + r"\b",
            blank,
            re.IGNORECASE,
        )
        if body < 0 or declared or any(p < body for p in places):
            rest[name] = term
            continue
        text = term.n3()
        for start in reversed(places):
            sparql = sparql[:start] + text + sparql[start + len(name) + 1 :]
            blank = blank[:start] + " " * len(text) + blank[start + len(name) + 1 :]
    return sparql, rest


def blank_strings(text: str) -> str:
    """Return ``text`` with its comments, IRIs and string literals blanked, at the same length.

    So that a keyword inside them is not taken for the query's own.

    >>> blank_strings('SELECT * WHERE { ?s ?p "WHERE" } # WHERE')
    'SELECT * WHERE { ?s ?p         }        '
    """
    return re.sub(r'#[^\n]*|<[^>\s]*>|"(?:[^"\\\n]|\\.)*"|\'(?:[^\'\\\n]|\\.)*\'', lambda m: " " * len(m.group()), text)
