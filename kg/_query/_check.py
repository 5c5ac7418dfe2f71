"""Checking a query's text before it runs: syntax errors placed, updates and network access refused."""

from __future__ import annotations

import functools
import re
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

import pyoxigraph as ox
from rdflib.plugins.sparql.algebra import translateQuery
from rdflib.plugins.sparql.parser import parseQuery, parseUpdate

from kg._errors import QueryError
from kg._namespace import PREFIXES
from kg._store import parsed

__all__ = ["analyse", "check"]


def _walk(node: Any) -> Iterable[Any]:
    stack = [node]
    while stack:
        item = stack.pop()
        yield item
        if isinstance(item, dict):
            stack.extend(item.values())
        elif isinstance(item, (list, tuple)) or type(item).__name__ == "ParseResults":
            stack.extend(list(item))


def _syntax_error(sparql: str, exc: Exception, kind: str) -> QueryError:
    line, column = getattr(exc, "lineno", None), getattr(exc, "col", None)
    reason = str(getattr(exc, "msg", "") or exc)
    if kind == "query" and not re.search(r"\bSERVICE\b", sparql, re.IGNORECASE):
        # Oxigraph's parser places errors more precisely than pyparsing. It is handed the text
        # with a stray character on a line of its own after it, so that the whole never parses
        # and nothing is ever run: an error past the text means Oxigraph accepts the text itself.
        try:
            ox.Store().query(sparql + "\n\x01", prefixes=PREFIXES)
        except SyntaxError as ox_exc:
            match = re.match(r"error at (\d+):(\d+): (.*)", str(ox_exc), re.DOTALL)
            text_lines = sparql.splitlines()
            if match and text_lines:
                line, column = int(match[1]), int(match[2])
                if line > len(text_lines):  # past the text: it ends too early (an unclosed FILTER ...)
                    line, column = len(text_lines), max(1, len(text_lines[-1].rstrip()))
                reason = match[3].split("\n")[0][:200]
        except Exception:  # only a better position was sought
            pass
    lines = sparql.splitlines()
    shown = ""
    if line and 0 < line <= len(lines):
        shown = f"\n    {line} | {lines[line - 1]}\n    {' ' * len(str(line))} | {' ' * ((column or 1) - 1)}^"
    where = f" at line {line}, column {column}" if line else ""
    return QueryError(f"SPARQL syntax error{where}: {reason}{shown}", line=line, column=column)


@dataclass(frozen=True)
class _Analysis:
    form: str
    services: tuple[str, ...]
    loads: tuple[str, ...]
    ordered: bool
    compile_error: str


@functools.lru_cache(maxsize=256)
def analyse(sparql: str) -> _Analysis:
    """Parse once (rdflib's parser takes a good part of a second on a long query)."""
    try:
        tree: Any = parsed(parseQuery, sparql)
        form = tree[1].name.removesuffix("Query").upper()
    except Exception as query_exc:  # pyparsing raises ParseException with lineno/col
        try:
            tree = parsed(parseUpdate, sparql)
            form = "UPDATE"
        except Exception as update_exc:
            further = getattr(update_exc, "loc", -1) > getattr(query_exc, "loc", -1)
            raise (
                _syntax_error(sparql, update_exc, "update") if further else _syntax_error(sparql, query_exc, "query")
            ) from query_exc
    services, loads, ordered = [], [], False
    for node in _walk(tree):
        name = getattr(node, "name", None)
        if name == "ServiceGraphPattern":
            services.append(str(node.get("term")))
        elif name == "Load":
            loads.append(str(node.get("iri")))
        elif name == "OrderClause":
            ordered = True
    compile_error = ""
    if form != "UPDATE":
        try:
            translateQuery(tree, initNs=PREFIXES)
        except Exception as exc:  # rdflib raises a bare Exception for an unknown prefix
            compile_error = str(exc)
    return _Analysis(str(form), tuple(services), tuple(loads), ordered, compile_error)


def check(sparql: str, *, allow_update: bool = False, allow_network: bool = False) -> str:
    """Parse ``sparql`` and return its form (``SELECT``, ``ASK``, ``CONSTRUCT``, ``DESCRIBE``, ``UPDATE``).

    Raises
    ------
    QueryError
        A syntax error (with line and column), an unknown prefix, an update without
        ``allow_update``, a ``SERVICE`` or ``LOAD`` without ``allow_network``.

    Examples
    --------
    >>> check("ASK { ?s ?p ?o }")
    'ASK'
    >>> check("INSERT DATA { id:a id:b id:c }")
    Traceback (most recent call last):
    ...
    kg._errors.QueryError: refused: this is a SPARQL Update and queries are read-only; pass ...
    """
    analysis = analyse(sparql)
    if analysis.services and not allow_network:
        raise QueryError(
            f"refused: the query calls a remote endpoint (SERVICE <{analysis.services[0]}>), "
            "which reaches the network; pass allow_network=True to allow it"
        )
    if analysis.loads and not allow_network:
        raise QueryError(
            f"refused: LOAD <{analysis.loads[0]}> reaches the network; pass allow_network=True to allow it"
        )
    if analysis.form == "UPDATE" and not allow_update:
        raise QueryError(
            "refused: this is a SPARQL Update and queries are read-only; pass allow_update=True to change the graph"
        )
    if analysis.compile_error:
        known = ", ".join(sorted(PREFIXES))
        raise QueryError(
            f"the query cannot be compiled: {analysis.compile_error}; the known prefixes are "
            f"{known} (declare others with PREFIX)"
        )
    return analysis.form
