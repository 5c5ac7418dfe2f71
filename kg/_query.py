"""Ask the graph: SPARQL given inline, from a ``.rq`` file or by the name of a shipped query.

:func:`query` is the one call. It checks the text first (a syntax error with its line and column;
SPARQL Update refused unless ``allow_update``; ``SERVICE`` and ``LOAD``, which reach the network,
refused unless ``allow_network``, found in the parsed query, not by searching the text), binds the
parameters as RDF terms (actors resolved by label, alias, local name or IRI), cuts it in time,
runs it on whichever engine the store is, and returns a :class:`~kg._store.Result` in a stable
order: rows of a query with no ORDER BY are sorted; numbers are written in one canonical form
(Oxigraph writes the decimal -4.0 as ``-4``, rdflib as ``-4.0``), so every engine gives the same
answer, term for term.

**Parameters** are bound by the engine's own means (:meth:`kg._store.Store.query`): rdflib's
``initBindings`` in memory, a ``VALUES`` block opening the query's outer group on Oxigraph and on
an endpoint. The two agree when a query uses its parameters in its outer group; a query that
needs them inside a sub-select (to find a few events by index before joining the rest) marks the
place with a ``# parameters`` line and projects them out of it: the VALUES block goes there,
where rdflib's bindings reach anyway. The engine tests check that every named query gives the
same rows on all three engines.

The named queries are written to be fast on both rdflib and Oxigraph (benchmarks/queries.py):
no variable predicate (``?e dip:actor|dip:target ?x``, a property path, instead of ``?e ?p ?x``
with ``?p`` among values); no ``BIND`` between triple patterns (Oxigraph then joins the next ones
without the bindings); no ``DISTINCT`` in a sub-select, and no second ``VALUES`` block (rdflib
then joins the rest eagerly, without the bindings, pair by pair); the selective part first, in
a sub-select when it must be, labels looked up after aggregating.

**Time.** A named query declares ``asOf``, ``since`` and ``until`` and cuts itself with the
fragments of :mod:`kg._timecut` (``# timecut: event ?event ?date`` lines expand to them), so the
engine applies the cut with its indexes. An arbitrary query that does not declare them is run on
a time-cut view of the graph (:func:`kg._timecut.cut_view`): a copy without the events, claims and
standing relations outside the cut, with the derived edges derived again. The view reads the
whole graph once, fine for an ad-hoc question; both ways give the same answers on every engine
(the tests check one against the other).

**Named queries** live in ``kg/queries/*.rq``, each opening with a header::

    # name: condemnations
    # description: Who condemns whom ...
    # param: actor (actor) — who condemns
    # param: asOf (date) — only what had happened by that day

Parameter kinds: ``actor``, ``event`` and ``type`` (resolved to IRIs by name), ``date``,
``integer``, ``text``, ``iri``; ``(actor, required)`` marks a required one.

>>> import kg
>>> result = query(kg.load(), "reductions", params={"type": "recalls diplomats from"})
>>> [(str(r["date"]), str(r["actorLabel"]), str(r["targetLabel"])) for r in result]
[('2023-10-19', 'Israel', 'Turkey')]
"""

from __future__ import annotations

import datetime as dt
import difflib
import functools
import json
import logging
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any

import pyoxigraph as ox
from rdflib import BNode, Graph, Literal, URIRef
from rdflib.namespace import XSD
from rdflib.plugins.sparql.algebra import translateQuery
from rdflib.plugins.sparql.parser import parseQuery, parseUpdate
from rdflib.term import Node

from kg import _actors
from kg._errors import InputError, QueryError, UnknownNameError
from kg._namespace import ID, PREFIXES
from kg._resources import queries_dir
from kg._store import MemoryStore, OxigraphStore, Result, Row, Store, inline_terms, parsed
from kg._tabular import FORMATS
from kg._timecut import TIME_PARAMETERS, TimeCut, cut_view, expand_directives

__all__ = [
    "GRAPH_FORMATS",
    "PARAMETER_KINDS",
    "NamedQuery",
    "Parameter",
    "canonical",
    "check",
    "get_query",
    "list_queries",
    "parse_header",
    "query",
    "resolve",
    "resolve_actor",
    "serialize",
    "sparql_json",
]

log = logging.getLogger(__name__)

GRAPH_FORMATS = ("turtle", "nt", "jsonld")
"""The formats a CONSTRUCT or DESCRIBE answer prints in (Turtle by default)."""

PARAMETER_KINDS = ("actor", "event", "type", "date", "integer", "text", "iri")
_NAME = re.compile(r"^[A-Za-z][A-Za-z0-9_-]*$")


# ---------------------------------------------------------------- named queries


@dataclass(frozen=True)
class Parameter:
    """A parameter a query declares: ``# param: NAME (KIND[, required]) — description``."""

    name: str
    kind: str
    description: str = ""
    required: bool = False

    def __str__(self) -> str:
        return f"{self.name} ({self.kind}{', required' if self.required else ''})"


@dataclass(frozen=True)
class NamedQuery:
    """A query shipped with the package (or any text with the same header).

    Attributes
    ----------
    name, description : str
        From the ``# name:`` and ``# description:`` header lines.
    parameters : tuple of Parameter
        From the ``# param:`` lines, in order.
    text : str
        The query as written (time-cut directives still comments).
    path : Path or None
        The file it was read from.
    """

    name: str
    description: str
    parameters: tuple[Parameter, ...]
    text: str
    path: Path | None = None

    @property
    def sparql(self) -> str:
        """The query with its ``# timecut:`` directives expanded (what the engine runs)."""
        return expand_directives(self.text)

    @property
    def time_aware(self) -> bool:
        """True when the query declares ``asOf``, ``since`` and ``until`` (it cuts itself)."""
        names = {p.name for p in self.parameters}
        return all(name in names for name in TIME_PARAMETERS)

    def parameter(self, name: str) -> Parameter | None:
        """Return the parameter called ``name`` (ignoring case, ``-`` and ``_``), or None."""
        key = _key(name)
        return next((p for p in self.parameters if _key(p.name) == key), None)


def _key(name: str) -> str:
    return name.replace("-", "").replace("_", "").lower()


_HEADER = re.compile(r"^#\s*(name|description|param):\s*(.*?)\s*$")
_PARAM = re.compile(
    r"^(?P<name>[A-Za-z][A-Za-z0-9_]*)\s*\((?P<kind>[a-z]+)(?P<req>\s*,\s*required)?\)"
    r"\s*(?:[—–-]+\s*(?P<text>.*))?$"
)


def parse_header(text: str, *, path: Path | None = None) -> NamedQuery:
    """Read the ``# name/description/param`` lines that open a query.

    Raises
    ------
    InputError
        For a ``# param:`` line that does not read ``NAME (KIND) — description``.
    """
    name, description, parameters = "", "", []
    for line in text.splitlines():
        stripped = line.strip()
        if not stripped:
            continue
        if not stripped.startswith("#"):
            break
        match = _HEADER.match(stripped)
        if not match:
            continue
        field_name, value = match.groups()
        if field_name == "name":
            name = value
        elif field_name == "description":
            description = value
        else:
            param = _PARAM.match(value)
            if not param or param["kind"] not in PARAMETER_KINDS:
                where = f"{path}: " if path else ""
                raise InputError(
                    f"{where}bad parameter line {stripped!r}: write '# param: NAME (KIND) — "
                    f"what it is', KIND one of {', '.join(PARAMETER_KINDS)}"
                )
            parameters.append(Parameter(param["name"], param["kind"], param["text"] or "", bool(param["req"])))
    return NamedQuery(name or (path.stem if path else ""), description, tuple(parameters), text, path)


@functools.cache
def _shipped() -> dict[str, NamedQuery]:
    queries = {}
    for path in sorted(queries_dir().glob("*.rq")):
        named = parse_header(path.read_text(encoding="utf-8"), path=path)
        queries[named.name] = named
    return queries


def list_queries() -> list[NamedQuery]:
    """Return the named queries shipped with the package, by name.

    Examples
    --------
    >>> "condemnations" in [q.name for q in list_queries()]
    True
    """
    return list(_shipped().values())


def get_query(name: str) -> NamedQuery:
    """Return the named query ``name``.

    Raises
    ------
    UnknownNameError
        With the closest names and the list of every name.
    """
    queries = _shipped()
    if name in queries:
        return queries[name]
    close = difflib.get_close_matches(name, list(queries), n=3, cutoff=0.5)
    names = ", ".join(queries)
    raise UnknownNameError(
        "named query", name, close, hint=f"the named queries are: {names} ('kg queries' describes them)"
    )


def _source(spec: str | Path) -> NamedQuery:
    """Turn the query argument (text, a file, a name) into a :class:`NamedQuery`."""
    if isinstance(spec, Path) or (len(spec) < 1000 and "\n" not in spec and spec.endswith((".rq", ".sparql"))):
        path = Path(spec)
        if not path.is_file():
            raise InputError(f"{path}: no such query file")
        try:
            text = path.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError) as exc:
            raise InputError(f"{path}: cannot read the query file: {exc}") from exc
        return parse_header(text, path=path)
    if _NAME.match(spec):
        return get_query(spec)
    return parse_header(spec)


# ---------------------------------------------------------------- resolving names


_KIND_QUERIES = {
    "actor": """
        SELECT DISTINCT ?node ?name ?how WHERE {
            ?class rdfs:subClassOf* dip:Actor .
            ?node a ?class .
            OPTIONAL {
                { ?node rdfs:label ?name BIND (1 AS ?how) }
                UNION { ?node skos:altLabel ?name BIND (2 AS ?how) }
            }
        }""",
    "type": """
        SELECT DISTINCT ?node ?name ?how WHERE {
            VALUES ?class { dip:RelationType dip:CameoCode dip:IncidentType }
            ?node a ?class .
            OPTIONAL {
                { ?node skos:prefLabel ?name BIND (1 AS ?how) }
                UNION { ?node skos:altLabel ?name BIND (2 AS ?how) }
                UNION { ?node dip:cameoCode ?name BIND (4 AS ?how) }
            }
        }""",
}
_EVENT_BY_IRI = "SELECT ?node WHERE { ?node a dip:Event . }"
_EVENT_BY_LABEL = """
    SELECT DISTINCT ?node ?name WHERE {
        ?node a dip:Event ; rdfs:label ?name .
        FILTER (LCASE(STR(?name)) = ?wanted)
    }"""
_HOW = {1: "label", 2: "alias", 3: "local name", 4: "code"}


def _as_iri(name: str) -> URIRef | None:
    text = name.strip()
    if text.startswith("<") and text.endswith(">"):
        return _valid_iri(text[1:-1])
    if re.match(r"^[a-z][a-z0-9+.-]*://", text):
        return _valid_iri(text)
    prefix, _, local = text.partition(":")
    if local and prefix in PREFIXES and " " not in text:
        return URIRef(PREFIXES[prefix] + local)
    return None


def _valid_iri(text: str) -> URIRef:
    bad = sorted(set(re.findall(r'[\x00-\x20<>"{}|^`\\]', text)))
    if bad:
        raise InputError(
            f"{text!r} is not a valid IRI: it holds {', '.join(repr(c) for c in bad)}; "
            "percent-encode them (a space is %20)"
        )
    return URIRef(text)


def _local(iri: str) -> str:
    return re.split(r"[/#]", iri.rstrip("/#"))[-1]


def resolve(store: Store, name: str | URIRef, *, kind: str = "actor") -> URIRef:
    """Return the IRI of the actor, event or relation type ``name`` names.

    ``name`` may be an IRI (``<...>``, ``https://...`` or ``prefix:local``), a label, an alias
    (``skos:altLabel``), the local name of the IRI, or for a relation type its CAMEO code; case
    does not matter. Labels win over aliases, aliases over local names.

    Parameters
    ----------
    store : Store
        The graph to look in.
    name : str or URIRef
        What the user wrote.
    kind : {"actor", "event", "type"}
        What to look for.

    Raises
    ------
    UnknownNameError
        When nothing of that kind has the name, with the closest names.
    InputError
        When several have it (give the IRI instead).

    Examples
    --------
    >>> import kg
    >>> store = kg.load()
    >>> resolve(store, "ankara") == resolve(store, "id:turkey") == kg.ID.turkey
    True
    >>> resolve(store, "recalls", kind="type")
    rdflib.term.URIRef('https://w3id.org/dipkg/ns#recallsDiplomatsFrom')
    """
    if kind not in ("actor", "event", "type"):
        raise ValueError(f"kind must be actor, event or type, not {kind!r}")
    text = str(name).strip()
    if kind == "event":
        return _resolve_event(store, text)
    if kind == "actor":  # the one actor resolver of the package
        return _actors.resolve_actor(store, text)
    candidates: dict[URIRef, list[tuple[int, str]]] = {}
    for node, label, how in store.query(_KIND_QUERIES[kind]).rows:
        if isinstance(node, URIRef):
            names = candidates.setdefault(node, [(3, _local(str(node)))])
            if label is not None:
                names.append((int(how), str(label)))  # type: ignore[arg-type]
    iri = _as_iri(text) if not isinstance(name, URIRef) else name
    if iri is not None and iri in candidates:
        return iri
    wanted = text.lower()
    for rank in (1, 2, 3, 4):
        found = sorted(
            {
                node
                for node, names in candidates.items()
                if (rank, wanted) in {(how, label.lower()) for how, label in names}
            }
        )
        if len(found) == 1:
            return found[0]
        if len(found) > 1:
            shown = ", ".join(f"{_display(candidates[n])} <{n}>" for n in found[:6])
            raise InputError(f"{text!r} is the {_HOW[rank]} of several {kind}s: {shown}; give the IRI instead")
    raise UnknownNameError("actor" if kind == "actor" else "relation type", text, _suggest(text, candidates))


def _display(names: list[tuple[int, str]]) -> str:
    return min(names)[1]


def _suggest(text: str, candidates: Mapping[URIRef, list[tuple[int, str]]]) -> list[str]:
    by_name: dict[str, str] = {}
    for names in candidates.values():
        for _, label in sorted(names):  # labels and aliases before local names
            by_name.setdefault(label.lower(), label)
    close = difflib.get_close_matches(text.lower(), list(by_name), n=5, cutoff=0.6)
    if not close:  # a word of a longer label: "fidan" -> "Hakan Fidan"
        close = [n for n in by_name if text.lower() in n.split()][:5]
    return [by_name[c] for c in close]


def _resolve_event(store: Store, text: str) -> URIRef:
    iri = _as_iri(text)
    tries = [iri] if iri is not None else [ID[text], ID[f"event/{text}"]]
    for candidate in tries:
        if candidate is not None and store.query(_EVENT_BY_IRI, bindings={"node": candidate}).rows:
            return candidate
    rows = store.query(_EVENT_BY_LABEL, bindings={"wanted": Literal(text.lower())}).rows
    found = sorted({row[0] for row in rows if isinstance(row[0], URIRef)})
    if len(found) == 1:
        return found[0]
    if len(found) > 1:
        raise InputError(
            f"{text!r} is the label of several events: "
            + ", ".join(f"<{n}>" for n in found[:6])
            + "; give the IRI instead"
        )
    raise UnknownNameError("event", text, hint="give its IRI (id:event/...), its local name or its label")


def resolve_actor(store: Store, name: str | URIRef) -> URIRef:
    """Return the IRI of the actor ``name`` names (label, alias, local name or IRI, any case).

    Raises
    ------
    UnknownNameError
        With the closest names.

    Examples
    --------
    >>> import kg
    >>> resolve_actor(kg.load(), "Turkey's top diplomat")
    rdflib.term.URIRef('https://w3id.org/dipkg/id/fidan')
    >>> resolve_actor(kg.load(), "Turky")
    Traceback (most recent call last):
    ...
    kg._errors.UnknownNameError: unknown actor 'Turky'; did you mean 'Turkey'?
    """
    return resolve(store, name, kind="actor")


def _bind(store: Store, named: NamedQuery, params: Mapping[str, Any]) -> tuple[dict[str, Node], TimeCut]:
    """Turn the user's parameters into RDF terms, and pull out the time cut."""
    bindings: dict[str, Node] = {}
    times: dict[str, Any] = {}
    for raw_name, value in params.items():
        parameter = named.parameter(raw_name)
        if parameter is None and named.parameters:
            declared = ", ".join(str(p) for p in named.parameters)
            raise InputError(f"the query {named.name} takes no parameter {raw_name!r}; it takes: {declared}")
        name = parameter.name if parameter else raw_name
        if _key(name) in {_key(t) for t in TIME_PARAMETERS}:
            times[next(t for t in TIME_PARAMETERS if _key(t) == _key(name))] = value
            continue
        if not re.match(r"^[A-Za-z_][A-Za-z0-9_]*$", name):
            raise InputError(f"parameter name {name!r} is not a SPARQL variable name")
        bindings[name] = _term(store, value, parameter.kind if parameter else None, name)
    missing = [str(p) for p in named.parameters if p.required and p.name not in bindings]
    if missing:
        raise InputError(
            f"the query {named.name} needs "
            + ", ".join(missing)
            + "; pass "
            + " ".join(f"params[{p.split()[0]!r}]=..." for p in missing)
        )
    return bindings, TimeCut.of(times.get("asOf"), times.get("since"), times.get("until"))


def _term(store: Store, value: Any, kind: str | None, name: str) -> Node:
    if isinstance(value, (URIRef, Literal, BNode)):
        return value
    if isinstance(value, dt.date):
        return Literal(value.isoformat(), datatype=XSD.date)
    if isinstance(value, bool) or (kind is None and not isinstance(value, str)):
        return Literal(value)
    text = str(value).strip()
    if kind in ("actor", "event", "type"):
        return resolve(store, text, kind=kind)
    if kind == "date" or (kind is None and re.match(r"^\d{4}-\d{2}-\d{2}$", text)):
        try:
            return Literal(dt.date.fromisoformat(text).isoformat(), datatype=XSD.date)
        except ValueError as exc:
            raise InputError(f"parameter {name}={text!r} is not a date: write YYYY-MM-DD") from exc
    if kind == "integer" or (kind is None and re.match(r"^-?\d+$", text)):
        try:
            return Literal(int(text))
        except ValueError as exc:
            raise InputError(f"parameter {name}={text!r} is not a whole number") from exc
    if kind == "iri" or kind is None:
        iri = _as_iri(text)
        if iri is not None:
            return iri
        if kind == "iri":
            raise InputError(f"parameter {name}={text!r} is not an IRI: write <https://...> or prefix:name")
    return Literal(text)


# ---------------------------------------------------------------- checking the text


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
def _analyse(sparql: str) -> _Analysis:
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
    analysis = _analyse(sparql)
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


# ---------------------------------------------------------------- the one call


def query(
    store: Store,
    sparql_or_name_or_path: str | Path,
    *,
    params: Mapping[str, Any] | None = None,
    as_of: str | dt.date | None = None,
    since: str | dt.date | None = None,
    until: str | dt.date | None = None,
    from_evidence: bool = False,
    allow_update: bool = False,
    allow_network: bool = False,
    timeout: float | None = None,
) -> Result:
    """Run a SPARQL query (text, a ``.rq`` file, or the name of a shipped query) on any engine.

    Parameters
    ----------
    store : Store
        The engine: :class:`~kg._store.MemoryStore`, :class:`~kg._store.OxigraphStore` or
        :class:`~kg._store.EndpointStore`.
    sparql_or_name_or_path : str or Path
        SPARQL text, a path to a ``.rq`` file, or a name from :func:`list_queries`.
    params : mapping, optional
        Values of the query's parameters (``{"actor": "Turkey"}``): names are resolved to IRIs
        for actor, event and type parameters; dates and numbers become typed literals; rdflib
        terms are used as they are. Bound as RDF terms, never pasted into the text.
    as_of, since, until : str or date, optional
        Keep only the events, claims and standing relations in force on that day, or inside
        the window (``YYYY-MM-DD``). The same as the parameters ``asOf``, ``since``, ``until``.
    from_evidence : bool, default False
        Count a standing relation the source presents as already existing (``dip:inForceBy``)
        only from its first evidence (see :mod:`kg._timecut`).
    allow_update : bool, default False
        Run a SPARQL Update (it changes the store). Refused otherwise.
    allow_network : bool, default False
        Allow ``SERVICE`` and ``LOAD``, which fetch from the network. Refused otherwise.
    timeout : float, optional
        Stop the query after so many seconds (:class:`~kg._errors.QueryTimeoutError`; 0: no
        limit). With any value, on an Oxigraph store on disk the query runs in a child process,
        killed at the deadline or on Ctrl-C. An endpoint's own ``timeout`` bounds its queries.

    Returns
    -------
    Result
        Rows (iterate them, ``.to_dicts()``, ``.to_dataframe()``; a table in Jupyter), an ASK
        answer (``.boolean``) or a graph (``.graph``). After an update, a result of form
        ``"UPDATE"`` with no rows.

    Raises
    ------
    QueryError
        A syntax error (line and column), a refused update, SERVICE or LOAD.
    UnknownNameError
        An unknown named query, actor, event or relation type, with the closest names.
    InputError
        A bad parameter or date, an empty window.
    EngineError
        An unreachable endpoint (with its URL and the reason).
    QueryTimeoutError
        The query ran past ``timeout``.

    Examples
    --------
    >>> import kg
    >>> store = kg.load()
    >>> [r["targetLabel"].value for r in query(store, "condemnations")]
    ['Israel']
    >>> [len(query(store, "reductions", as_of=day)) for day in ("2023-10-16", "2023-10-19")]
    [0, 4]
    >>> query(store, "ASK { ?a dip:recallsDiplomatsFrom ?b }", as_of="2023-10-16").boolean
    False
    """
    return _query(
        store,
        sparql_or_name_or_path,
        params=params,
        cut=TimeCut.of(as_of, since, until, from_evidence=from_evidence),
        allow_update=allow_update,
        allow_network=allow_network,
        timeout=timeout,
    )


def _query(
    store: Store,
    spec: str | Path,
    *,
    params: Mapping[str, Any] | None,
    cut: TimeCut,
    allow_update: bool,
    allow_network: bool,
    timeout: float | None,
) -> Result:
    named = _source(spec)
    bindings, given = _bind(store, named, dict(params or {}))
    cut = _merge(given, cut)
    text = expand_directives(named.text, cut=cut) if named.time_aware else named.sparql
    form = check(text, allow_update=allow_update, allow_network=allow_network)
    if form == "UPDATE":
        if bindings or cut:
            raise InputError("an update takes no parameters and no time cut; write the values into it")
        store.update(text)
        log.info("update applied to the %s store", store.engine)
        return Result("UPDATE")
    target = store
    if cut and named.time_aware:
        bindings.update(cut.bindings())
    elif cut:
        log.info("the query declares no asOf/since/until: running it on a time-cut view (%s)", cut)
        target = cut_view(store, cut)
    if cut and not isinstance(target, MemoryStore):
        # The cut's dates written into the text, not bound by VALUES, on every engine but rdflib
        # (whose prepared-query cache keys on the text): Virtuoso 7 (07.20.3229) misreads a date
        # bound by VALUES that a FILTER in an EXISTS or a sub-select tests (claims lost rows,
        # reductions failed with "SP031 internal error", timeline ran past any deadline). The
        # time parameters stand only in FILTERs, where a constant may stand.
        times = {name: bindings.pop(name) for name in TIME_PARAMETERS if name in bindings}
        text, left = inline_terms(text, times)
        bindings.update(left)
    if bindings and not isinstance(target, MemoryStore) and _HERE.search(text):
        text, bindings = _values_here(text, bindings), {}
    if timeout is not None and isinstance(target, (MemoryStore, OxigraphStore)):
        result = target.query(text, bindings=bindings, timeout=timeout)
    else:
        result = target.query(text, bindings=bindings)
    return _stable(result, ordered=_analyse(text).ordered)


_HERE = re.compile(r"^[ \t]*#\s*parameters\s*$", re.MULTILINE)


def _values_here(text: str, bindings: Mapping[str, Node]) -> str:
    # A sub-select that aggregates (dyad-tone) binds its parameters inside, where rdflib's
    # initBindings reach too: a VALUES block at its "# parameters" line.
    names = sorted(bindings)
    block = "VALUES (" + " ".join(f"?{n}" for n in names) + ") { (" + " ".join(bindings[n].n3() for n in names) + ") }"
    return _HERE.sub(lambda m: m.group().split("#")[0] + block, text, count=1)


def _merge(first: TimeCut, second: TimeCut) -> TimeCut:
    def pick(a: dt.date | None, b: dt.date | None, what: str) -> dt.date | None:
        if a and b and a != b:
            raise InputError(f"two different {what} dates given ({a} and {b}); give one")
        return a or b

    return TimeCut.of(
        pick(first.as_of, second.as_of, "as-of"),
        pick(first.since, second.since, "since"),
        pick(first.until, second.until, "until"),
        from_evidence=first.from_evidence or second.from_evidence,
    )


# ---------------------------------------------------------------- stable, canonical answers

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


def _stable(result: Result, *, ordered: bool) -> Result:
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
