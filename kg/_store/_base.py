"""What every engine answers: the :class:`Store` interface, its answers (:class:`Result`, :class:`Row`).

What is reused and what is not:

- :class:`Row` *is* rdflib's :class:`~rdflib.query.ResultRow` (a tuple of terms; ``row["name"]``,
  ``row.name``, ``row.get("name")``, ``row[Variable("name")]``), so code written for rdflib's rows
  runs on every engine. Only its building differs: from the values in order and the variables
  shared by all the rows of an answer, where rdflib builds one mapping per row; and
  :meth:`Row.asdict` keeps unbound variables (as None), where rdflib's leaves them out.
- :class:`Result` is the package's own: rdflib's :class:`~rdflib.query.Result` holds each
  solution as a mapping from :class:`~rdflib.term.Variable` and rebuilds its rows on every pass,
  and pyoxigraph's ``QuerySolutions`` is a one-pass iterator of its own terms, bound to the store
  it came from. A :class:`Result` is the same read-many answer, with rdflib terms, whichever
  engine gave it, and it prints as a table (:meth:`Result.to_table`, a data frame, HTML in
  Jupyter).
- :func:`literal_term`: the one rule by which every engine makes an rdflib literal of what it
  read (a literal typed ``xsd:string`` is the plain literal: RDF 1.1 makes them one term, rdflib
  keeps them apart and unequal).
- :func:`time_limit`: rdflib's engine has no timeout of its own.
"""

from __future__ import annotations

import contextlib
import functools
import signal
import threading
from abc import ABC, abstractmethod
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from typing import Any, Self

from rdflib import Graph, Literal, URIRef
from rdflib.namespace import XSD
from rdflib.query import ResultRow
from rdflib.term import Node

from kg._errors import QueryTimeoutError
from kg._graphs import ASSERTED_GRAPH, SETTLE, graph_iri
from kg._tabular import Table

__all__ = ["Result", "Row", "Store", "literal_term", "time_limit"]

_STRING = str(XSD.string)


@functools.lru_cache(maxsize=256)
def _labels(names: tuple[str, ...]) -> dict[str, int]:
    return {name: index for index, name in enumerate(names)}


class Row(ResultRow):
    """One solution of a SELECT: a tuple of rdflib terms (None where unbound), also by name.

    Parameters
    ----------
    values : iterable of rdflib terms or None
        The terms, in the order of ``names``.
    names : tuple of str
        The projected variables.

    Examples
    --------
    >>> from rdflib import Literal
    >>> row = Row([Literal(1), None], ("n", "label"))
    >>> row["n"].toPython(), row.n.toPython(), row[1], row.get("label"), list(row.asdict())
    (1, 1, None, None, ['n', 'label'])
    """

    def __new__(cls, values: Iterable[Node | None], names: tuple[str, ...]) -> Row:
        row = tuple.__new__(cls, values)
        row.labels = _labels(names)
        return row

    def __getitem__(self, key: Any) -> Any:
        if isinstance(key, str):  # a name, or an rdflib Variable
            try:
                return tuple.__getitem__(self, self.labels[str(key)])
            except KeyError:
                raise KeyError(key) from None
        return tuple.__getitem__(self, key)

    def asdict(self) -> dict[str, Node | None]:  # type: ignore[override]
        """Return the row as ``{variable: term}``, unbound variables included (as None)."""
        return {name: tuple.__getitem__(self, index) for name, index in self.labels.items()}


@dataclass
class Result:
    """The answer of one query: rows for SELECT, a boolean for ASK, a graph for CONSTRUCT.

    Attributes
    ----------
    form : str
        ``"SELECT"``, ``"ASK"``, ``"CONSTRUCT"`` or ``"DESCRIBE"``.
    vars : tuple of str
        The projected variables of a SELECT, in order.
    rows : list of Row
        The solutions of a SELECT.
    boolean : bool or None
        The answer of an ASK.
    graph : rdflib.Graph or None
        The triples of a CONSTRUCT or DESCRIBE.

    Examples
    --------
    >>> import kg
    >>> result = kg.load().query("SELECT ?n WHERE { VALUES ?n { 1 2 } }")
    >>> result.vars, [int(row.n) for row in result]
    (('n',), [1, 2])
    """

    form: str
    vars: tuple[str, ...] = ()
    rows: list[Row] = field(default_factory=list)
    boolean: bool | None = None
    graph: Graph | None = None

    def __iter__(self) -> Iterator[Any]:
        if self.graph is not None:
            return iter(self.graph)
        return iter(self.rows)

    def __len__(self) -> int:
        if self.graph is not None:
            return len(self.graph)
        return len(self.rows)

    def __bool__(self) -> bool:
        return bool(self.boolean) if self.form == "ASK" else len(self) > 0

    def to_dicts(self) -> list[dict[str, Node | None]]:
        """Return the rows as a list of ``{variable: term}`` dicts."""
        return [row.asdict() for row in self.rows]

    def to_table(self) -> Table:
        """Return the rows of a SELECT (or the answer of an ASK) as a :class:`~kg._tabular.Table`."""
        if self.form == "ASK":
            return Table(["answer"], [[self.boolean]])
        if self.graph is not None:
            return Table(["subject", "predicate", "object"], [list(t) for t in sorted(self.graph)])
        return Table(self.vars, [list(row) for row in self.rows])

    def to_dataframe(self) -> Any:
        """Return the rows as a pandas DataFrame (needs pandas)."""
        return self.to_table().to_dataframe()

    def _repr_html_(self) -> str:
        return self.to_table()._repr_html_()


def literal_term(value: str, *, language: str | None = None, datatype: str | None = None) -> Literal:
    """Return the rdflib literal an engine read as a lexical form, a language tag and a datatype IRI.

    A literal typed ``xsd:string`` (or untyped) is the plain literal, as RDF 1.1 has it, so that
    the same literal is the same rdflib term whichever engine gave it.

    Examples
    --------
    >>> literal_term("x", datatype="http://www.w3.org/2001/XMLSchema#string") == Literal("x")
    True
    >>> literal_term("1", datatype="http://www.w3.org/2001/XMLSchema#boolean").toPython()
    True
    """
    if language:
        return Literal(value, lang=language)
    if not datatype or datatype == _STRING:
        return Literal(value)
    return Literal(value, datatype=URIRef(datatype))


@contextlib.contextmanager
def time_limit(seconds: float | None) -> Iterator[None]:
    """Raise :class:`~kg._errors.QueryTimeoutError` in the block after ``seconds`` (None: no limit).

    A timer signal: it stops Python code (rdflib's engine, the reading of Oxigraph's rows) but
    not a call into Oxigraph that has yet to return its first row; outside the main thread (or
    on a system without timer signals) there is no limit.

    >>> with time_limit(5):
    ...     sum(range(10))
    45
    """
    if not seconds or threading.current_thread() is not threading.main_thread() or not hasattr(signal, "setitimer"):
        yield
        return

    def expire(_signum: int, _frame: Any) -> None:
        raise QueryTimeoutError(seconds)

    previous = signal.signal(signal.SIGALRM, expire)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


class Store(ABC):
    """What every engine answers. Queries see the prefixes of :data:`kg._namespace.PREFIXES`.

    Examples
    --------
    >>> import kg
    >>> store = kg.load()
    >>> isinstance(store, kg.Store), bool(store.query("ASK { ?e a dip:Event }"))
    (True, True)
    """

    engine: str = ""

    @abstractmethod
    def query(self, sparql: str, *, bindings: Mapping[str, Node] | None = None) -> Result:
        """Run a SPARQL query, with variables bound to RDF terms (never pasted as text)."""

    def query_values(self, sparql: str, *, bindings: Mapping[str, Node] | None = None) -> list[tuple[str | None, ...]]:
        """Run a SELECT and return each row as plain strings (IRIs, lexical forms; None unbound).

        The fast path for bulk reads (the network projection): no rdflib term is built.
        """
        return [tuple(None if v is None else str(v) for v in row) for row in self.query(sparql, bindings=bindings).rows]

    @abstractmethod
    def update(self, sparql: str) -> None:
        """Run a SPARQL Update; on error nothing is changed."""

    @abstractmethod
    def add_graph(self, graph: Graph, *, into: str = ASSERTED_GRAPH) -> None:
        """Add every triple of ``graph`` to the graph named ``into`` (an IRI), in one transaction."""

    def add_constructed(self, construct: str, *, into: str) -> None:
        """Add the triples the CONSTRUCT query ``construct`` builds to the graph named ``into``.

        The query runs over the store's dataset, as every query does (a SPARQL Update's WHERE
        would read only the default graph of some engines).
        """
        result = self.query(construct)
        assert result.graph is not None
        self.add_graph(result.graph, into=into)

    def keep_disjoint(self) -> None:
        """Keep the project's graphs disjoint after a load (:data:`kg._graphs.SETTLE`: a triple in one graph only)."""
        self.update(SETTLE)

    def __len__(self) -> int:
        """Return the number of triples (of the dataset's default graph)."""
        return int(self.query("SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }").rows[0][0])

    def to_graph(self, graphs: Iterable[str] = ()) -> Graph:
        """Return the triples of the dataset, or of the ``graphs`` named, as an in-memory rdflib graph.

        ``graphs`` are IRIs or the short names of :data:`kg._graphs.GRAPHS` (``["asserted"]``:
        the data without the ontology and the derived edges).
        """
        chosen = " ".join(f"<{graph_iri(g)}>" for g in graphs)
        where = f"GRAPH ?g {{ ?s ?p ?o }} VALUES ?g {{ {chosen} }}" if chosen else "?s ?p ?o"
        result = self.query(f"CONSTRUCT {{ ?s ?p ?o }} WHERE {{ {where} }}")
        assert result.graph is not None
        return result.graph

    def close(self) -> None:  # noqa: B027 - most engines hold nothing to release
        """Release the engine's resources."""

    def __enter__(self) -> Self:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def __repr__(self) -> str:
        return f"<{type(self).__name__} engine={self.engine!r}>"
