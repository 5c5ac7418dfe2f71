"""Any SPARQL 1.1 endpoint as a :class:`~kg._store._base.Store`: the answers, read as rdflib terms.

The requests are :class:`kg._endpoint.SparqlClient`'s (httpx: one pool of connections, GET or
POST as the protocol allows, the server's error answers read). What this module adds:

- :func:`parse_results_json`, SPARQL 1.1 JSON results as a :class:`~kg._store._base.Result`.
  Neither parser at hand reads the servers teams run as the other engines answer:
  ``pyoxigraph.parse_query_results`` refuses Virtuoso 7's blank nodes (``{"type": "bnode",
  "value": "nodeID://b10000"}``: "The blank node identifier is invalid", checked against Virtuoso
  07.20.3229), and is no faster once its terms are rdflib's; rdflib's ``JSONResultParser`` keeps
  a literal typed ``xsd:string`` apart from the plain literal (unequal in rdflib, one term for
  the other engines) and is about 1.5 times slower (``benchmarks/results_json.py``). Each term
  follows :func:`~kg._store._base.literal_term`; Virtuoso's booleans written ``1`` and ``0``
  read as ``true`` and ``false`` by rdflib's own normalisation.
- graphs (CONSTRUCT, DESCRIBE) read by rdflib's N-Triples or Turtle parser;
- the answer of a ``SELECT DISTINCT`` made distinct (Virtuoso 7 can repeat a row).
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, Unpack

from rdflib import BNode, Graph, URIRef
from rdflib.term import Node

from kg._errors import EngineError
from kg._graphs import ASSERTED_GRAPH
from kg._store._base import Result, Row, Store, literal_term
from kg._store._sparql import PREFIX_TEXT, bind_values, blank_strings, declared_form

if TYPE_CHECKING:
    from kg._endpoint import ClientOptions

__all__ = ["EndpointStore", "parse_results_json"]


class EndpointStore(Store):
    """Any SPARQL 1.1 endpoint over HTTP (Fuseki, GraphDB, Virtuoso, QLever, Oxigraph server).

    The requests are those of :class:`kg._endpoint.SparqlClient`: GET for short queries,
    URL-encoded POST otherwise, one pool of connections for the store's life.

    Parameters
    ----------
    query_url : str
        The query endpoint.
    **options
        Those of :class:`kg._endpoint.SparqlClient`: ``update_url`` (without it the store is
        read-only), ``timeout``, ``default_graphs`` and ``named_graphs`` (the dataset every query
        runs over: name the graph that holds the project's data on a server whose default graph
        is the union of all its graphs, as Virtuoso's), ``method`` (one of
        :data:`kg._endpoint.METHODS`) and ``auth``.

    Examples
    --------
    >>> import kg
    >>> store = kg.EndpointStore("http://127.0.0.1:9/sparql", timeout=1)  # nothing is sent yet
    >>> store.query_url
    'http://127.0.0.1:9/sparql'
    """

    engine = "endpoint"

    def __init__(self, query_url: str, **options: Unpack[ClientOptions]):
        from kg._endpoint import SparqlClient  # httpx loads only for an endpoint

        self.client = SparqlClient(query_url, **options)
        self.query_url, self.update_url, self.timeout = (
            self.client.query_url,
            self.client.update_url,
            self.client.timeout,
        )

    def query(self, sparql: str, *, bindings: Mapping[str, Node] | None = None) -> Result:
        form = declared_form(sparql)
        text = PREFIX_TEXT + bind_values(sparql, bindings or {})
        if form in ("CONSTRUCT", "DESCRIBE"):
            answer = self.client.query(text, _GRAPH_TYPES)
            return Result(form, graph=_parse_graph(answer, self.query_url))
        answer = self.client.query(text, ("application/sparql-results+json", "application/json"))
        try:
            data = json.loads(answer.body)
            result = parse_results_json(form, data)
        except (ValueError, KeyError, TypeError, AttributeError) as exc:
            raise EngineError(
                f"the SPARQL endpoint {self.query_url} sent {answer.media_type} that is not SPARQL JSON "
                f"results ({len(answer.body):,} bytes; cut short?): {exc}"
            ) from exc
        if form == "SELECT" and _DISTINCT.search(blank_strings(text)):
            # Virtuoso 7 (07.20.3229) can repeat a row of a SELECT DISTINCT whose columns are
            # partly unbound (timeline, as of a day): the protocol's answer is made distinct here.
            result.rows = list(dict.fromkeys(result.rows))
        return result

    def update(self, sparql: str) -> None:
        self.client.update(PREFIX_TEXT + sparql)

    def add_graph(self, graph: Graph, *, into: str = ASSERTED_GRAPH) -> None:
        """Add ``graph``'s triples to the graph ``into`` on the server, in updates of at most :data:`BATCH` triples.

        The triples without a blank node go by ``INSERT DATA``; those linked by blank nodes (an
        ontology's lists and restrictions) by ``INSERT { ... } WHERE {}`` in updates of at most
        :data:`LINKED_BATCH`, each linked group whole in one update (a blank node's label holds
        within one request only, so a larger group goes alone, as large as it is). Virtuoso 7 refuses
        blank nodes in ``INSERT DATA`` (SP031) and runs out of memory compiling an update of some
        thousands of triples, where other servers take either. One update is atomic on the
        server; several are not: a failure part way leaves the batches sent, and ``kg ingest``
        run again completes them (its IRIs are stable: the same rows give the same triples).
        """
        plain: list[tuple[Node, Node, Node]] = []
        linked: dict[Node, list[tuple[Node, Node, Node]]] = {}
        groups = _BlankGroups()
        for triple in graph:
            if isinstance(triple[0], BNode) or isinstance(triple[2], BNode):
                groups.join(*(t for t in (triple[0], triple[2]) if isinstance(t, BNode)))
                linked.setdefault(triple[0] if isinstance(triple[0], BNode) else triple[2], []).append(triple)
            else:
                plain.append(triple)
        for start in range(0, len(plain), BATCH):
            self.update(f"INSERT DATA {{ GRAPH <{into}> {{\n{_nt(plain[start : start + BATCH])}\n}} }}")
        by_group: dict[Node, list[tuple[Node, Node, Node]]] = {}
        for node, triples in linked.items():
            by_group.setdefault(groups.find(node), []).extend(triples)
        batch: list[tuple[Node, Node, Node]] = []
        for triples in [*by_group.values(), []]:
            if batch and (not triples or len(batch) + len(triples) > LINKED_BATCH):
                self.update(f"INSERT {{ GRAPH <{into}> {{\n{_nt(batch)}\n}} }} WHERE {{}}")
                batch = []
            batch.extend(triples)

    def close(self) -> None:
        self.client.close()


BATCH = 2_000
"""The most triples one ``INSERT DATA`` of :meth:`EndpointStore.add_graph` sends (Virtuoso 7 fails near 5,000)."""

LINKED_BATCH = 500
"""The most triples one ``INSERT ... WHERE {}`` of :meth:`EndpointStore.add_graph` sends, unless one
group of linked blank nodes is larger (Virtuoso 7 compiles a template to SQL and refuses one of
1,500 triples)."""


class _BlankGroups:
    """Union-find of blank nodes: which are linked by a triple, so sent in one update."""

    def __init__(self) -> None:
        self.parent: dict[Node, Node] = {}

    def find(self, node: Node) -> Node:
        root = self.parent.setdefault(node, node)
        while root != self.parent[root]:
            root = self.parent[root]
        while node != root:
            node, self.parent[node] = self.parent[node], root
        return root

    def join(self, first: Node, *others: Node) -> None:
        for other in others:
            self.parent[self.find(other)] = self.find(first)


def _nt(triples: list[tuple[Node, Node, Node]]) -> str:
    """Return ``triples`` in N-Triples syntax (blank nodes as ``_:label``), one a line."""
    return "\n".join(f"{s.n3()} {p.n3()} {o.n3()} ." for s, p, o in triples)


_DISTINCT = re.compile(r"^[^{]*?\bSELECT\s+(DISTINCT|REDUCED)\b", re.IGNORECASE | re.DOTALL)  # the outer SELECT
_GRAPH_TYPES = ("application/n-triples", "text/plain", "text/turtle", "application/x-turtle")


def _parse_graph(answer: Any, url: str) -> Graph:
    # N-Triples asked for; Virtuoso 7 answers it as text/plain, some servers as Turtle (a superset)
    fmt = "nt" if answer.media_type in ("application/n-triples", "text/plain") else "turtle"
    try:
        return Graph().parse(data=answer.text(), format=fmt)
    except Exception as exc:  # rdflib's parsers raise assorted errors
        raise EngineError(
            f"the SPARQL endpoint {url} sent {answer.media_type} that does not parse as "
            f"{fmt} ({len(answer.body):,} bytes; cut short?): {exc}"
        ) from exc


def parse_results_json(form: str, data: Mapping[str, Any]) -> Result:
    """Turn SPARQL 1.1 JSON results (parsed by :func:`json.loads`) into a :class:`Result`.

    Examples
    --------
    Virtuoso 7's booleans and blank nodes:

    >>> boolean = {"type": "typed-literal", "datatype": "http://www.w3.org/2001/XMLSchema#boolean", "value": "1"}
    >>> blank = {"type": "bnode", "value": "nodeID://b10000"}
    >>> answer = {"head": {"vars": ["b", "x", "n"]}, "results": {"bindings": [{"b": boolean, "x": blank}]}}
    >>> [(row["b"].toPython(), type(row["x"]).__name__, row["n"]) for row in parse_results_json("SELECT", answer)]
    [(True, 'BNode', None)]

    and its answer to an ASK: a row of ``__ASK_RETVAL`` 1 when true, no row when false.

    >>> answer = {"head": {"vars": ["__ASK_RETVAL"]}, "results": {"bindings": [{"__ASK_RETVAL": boolean}]}}
    >>> none = {**answer, "results": {"bindings": []}}
    >>> parse_results_json("ASK", answer).boolean, parse_results_json("ASK", none).boolean
    (True, False)
    """
    if "boolean" in data:
        return Result("ASK", boolean=bool(data["boolean"]))
    names = tuple(data["head"]["vars"])
    bindings = data["results"]["bindings"]
    if form == "ASK":
        return Result("ASK", boolean=any(v["value"] not in ("0", "false") for b in bindings for v in b.values()))
    rows = [Row((_json_term(b.get(name)) for name in names), names) for b in bindings]
    return Result(form, vars=names, rows=rows)


def _json_term(value: Mapping[str, str] | None) -> Node | None:
    if value is None:
        return None
    kind = value["type"]
    if kind == "uri":
        return URIRef(value["value"])
    if kind == "bnode":
        return BNode(value["value"])
    return literal_term(value["value"], language=value.get("xml:lang"), datatype=value.get("datatype"))
