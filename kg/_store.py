"""Engines behind the graph: rdflib in memory, Oxigraph on disk, any SPARQL 1.1 endpoint.

Every engine answers the same calls with rdflib terms, so query, projection and analysis code
runs unchanged on all three::

    >>> from kg._store import MemoryStore
    >>> store = MemoryStore()
    >>> store.update('INSERT DATA { <http://ex/a> <http://ex/p> "1" }')
    >>> [row["o"].toPython() for row in store.query("SELECT ?o WHERE { ?s ?p ?o }")]
    ['1']
"""

from __future__ import annotations

import contextlib
import functools
import json
import logging
import re
import signal
import threading
from abc import ABC, abstractmethod
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Self

import pyoxigraph as ox
from pyparsing import ParserElement
from rdflib import BNode, Graph, Literal, URIRef, Variable
from rdflib.namespace import XSD
from rdflib.plugins.sparql.parser import parseQuery, parseUpdate
from rdflib.term import Node

from kg._errors import EngineError, QueryError, QueryTimeoutError
from kg._locking import StoreLock, check_store, write_stamp
from kg._namespace import PREFIXES
from kg._tabular import Table

__all__ = [
    "EndpointStore",
    "MemoryStore",
    "OxigraphStore",
    "Result",
    "Row",
    "Store",
    "bind_values",
    "inline_terms",
    "is_update",
    "open_store",
    "parse_results_json",
    "parsed",
    "query_form",
    "time_limit",
    "to_oxigraph",
    "to_rdflib",
]

log = logging.getLogger(__name__)

_PREFIX_TEXT = "".join(f"PREFIX {p}: <{ns}>\n" for p, ns in PREFIXES.items())


class Row(tuple):  # type: ignore[type-arg]
    """One solution of a SELECT: a tuple of rdflib terms (None where unbound), also by name."""

    _vars: tuple[str, ...]

    def __new__(cls, values: Iterable[Node | None], names: tuple[str, ...]) -> Row:
        row = super().__new__(cls, values)
        row._vars = names
        return row

    def __getitem__(self, key: Any) -> Any:
        if isinstance(key, str):
            return tuple.__getitem__(self, self._vars.index(key))
        return tuple.__getitem__(self, key)

    def asdict(self) -> dict[str, Node | None]:
        """Return the row as ``{variable: term}``."""
        return dict(zip(self._vars, self, strict=True))


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
def _prepared(sparql: str) -> Any:
    # rdflib parses and translates a query in tens of milliseconds, often more than it takes to
    # run it: the queries of the package run again and again, so each is prepared once, from the
    # parse tree query_form just made when there is one (rdflib's prepareQuery, without parsing twice).
    from rdflib.plugins.sparql.algebra import translateQuery

    last = _LAST_TREE.pop(sparql, None)  # translating changes the tree: it is used once
    prepared = translateQuery(last if last is not None else parsed(parseQuery, sparql), initNs=PREFIXES)
    prepared._original_args = (sparql, PREFIXES, None)
    return prepared


_LAST_TREE: dict[str, Any] = {}
"""The parse tree of the last query :func:`query_form` parsed, for :func:`_prepared` to take."""


@functools.lru_cache(maxsize=512)
def query_form(sparql: str) -> str:
    """Return the form of a SPARQL query (``SELECT``, ``ASK``, ``CONSTRUCT``, ``DESCRIBE``).

    Raises
    ------
    QueryError
        If the text does not parse, with the line and column of the problem.
    """
    try:
        tree = parsed(parseQuery, sparql)
    except Exception as exc:  # pyparsing raises ParseException with lineno/col
        line, column = getattr(exc, "lineno", None), getattr(exc, "col", None)
        raise QueryError(
            f"SPARQL syntax error at line {line}, column {column}: {getattr(exc, 'msg', exc)}",
            line=line,
            column=column,
        ) from exc
    name = str(tree[1].name)  # SelectQuery, AskQuery, ConstructQuery, DescribeQuery
    _LAST_TREE.clear()
    _LAST_TREE[sparql] = tree
    return name.removesuffix("Query").upper()


def is_update(sparql: str) -> bool:
    """Return True when the text parses as a SPARQL Update rather than a query."""
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


# ---------------------------------------------------------------- term conversion (Oxigraph)


def to_rdflib(term: Any) -> Node | None:
    """Convert a pyoxigraph term to the equal rdflib term."""
    if term is None:
        return None
    if isinstance(term, ox.NamedNode):
        return URIRef(term.value)
    if isinstance(term, ox.BlankNode):
        return BNode(term.value)
    if isinstance(term, ox.Literal):
        if term.language:
            return Literal(term.value, lang=term.language)
        datatype = term.datatype.value
        if datatype == str(XSD.string):
            return Literal(term.value)
        return Literal(term.value, datatype=URIRef(datatype))
    raise TypeError(f"cannot convert {term!r} to an rdflib term")


def to_oxigraph(term: Node) -> Any:
    """Convert an rdflib term to the equal pyoxigraph term."""
    if isinstance(term, URIRef):
        return ox.NamedNode(str(term))
    if isinstance(term, BNode):
        return ox.BlankNode(str(term))
    if isinstance(term, Literal):
        if term.language:
            return ox.Literal(str(term), language=term.language)
        if term.datatype is not None:
            return ox.Literal(str(term), datatype=ox.NamedNode(str(term.datatype)))
        return ox.Literal(str(term))
    raise TypeError(f"cannot convert {term!r} to an Oxigraph term")


# ---------------------------------------------------------------- the engines


def _oxigraph_result(form: str, answer: Any) -> Result:
    """Turn a pyoxigraph answer (or an iterable of triples, for a graph) into a :class:`Result`."""
    if isinstance(answer, ox.QueryBoolean):
        return Result(form, boolean=bool(answer))
    if not isinstance(answer, ox.QuerySolutions):
        graph = Graph()
        for t in answer:
            graph.add((to_rdflib(t.subject), to_rdflib(t.predicate), to_rdflib(t.object)))  # type: ignore[arg-type]
        return Result(form, graph=graph)
    names = tuple(v.value for v in answer.variables)
    rows = [Row((to_rdflib(s[i]) for i in range(len(names))), names) for s in answer]
    return Result(form, vars=names, rows=rows)


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


# ---------------------------------------------------------------- the engines


class Store(ABC):
    """What every engine answers. Queries see the prefixes of :data:`kg._namespace.PREFIXES`."""

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
    def add_graph(self, graph: Graph) -> None:
        """Add every triple of ``graph`` in one transaction."""

    def __len__(self) -> int:
        """Return the number of triples (of the dataset's default graph)."""
        return int(self.query("SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }").rows[0][0])  # type: ignore[arg-type]

    def to_graph(self) -> Graph:
        """Return every triple as an in-memory rdflib graph."""
        result = self.query("CONSTRUCT { ?s ?p ?o } WHERE { ?s ?p ?o }")
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


class MemoryStore(Store):
    """rdflib's in-memory graph: the default engine, for up to some 100,000 events.

    Parameters
    ----------
    graph : rdflib.Graph, optional
        The graph to wrap (it is used, not copied); a new empty graph by default.
    """

    engine = "memory"

    def __init__(self, graph: Graph | None = None):
        self.graph = graph if graph is not None else Graph()
        for prefix, namespace in PREFIXES.items():
            self.graph.bind(prefix, namespace, override=False)

    def query(self, sparql: str, *, bindings: Mapping[str, Node] | None = None, timeout: float | None = None) -> Result:
        """Run a SPARQL query; with a ``timeout`` (seconds) it is stopped then (see :func:`time_limit`)."""
        with time_limit(timeout):
            return self._query(sparql, bindings)

    def _query(self, sparql: str, bindings: Mapping[str, Node] | None) -> Result:
        form = query_form(sparql)
        init: Any = {Variable(k): v for k, v in (bindings or {}).items()}
        if _FROM.search(_blank_strings(sparql)):
            raise QueryError(
                "FROM and FROM NAMED are not supported by the in-memory engine (it holds one "
                "graph): leave them out, or use an Oxigraph store (--store) or an endpoint"
            )
        result = self.graph.query(_prepared(sparql), initBindings=init)
        if form == "ASK":
            return Result(form, boolean=bool(result.askAnswer))
        if form in ("CONSTRUCT", "DESCRIBE"):
            graph = Graph()
            for triple in result:
                graph.add(triple)  # type: ignore[arg-type]
            return Result(form, graph=graph)
        names = tuple(str(v) for v in (result.vars or ()))
        return Result(form, vars=names, rows=[Row(r, names) for r in result])  # type: ignore[arg-type]

    def update(self, sparql: str) -> None:
        try:
            parsed = parseUpdate(_PREFIX_TEXT + sparql)  # a syntax error changes nothing
        except Exception as exc:
            line, column = getattr(exc, "lineno", None), getattr(exc, "col", None)
            raise QueryError(f"SPARQL update syntax error: {exc}", line=line, column=column) from exc
        from rdflib.plugins.sparql.algebra import translateUpdate
        from rdflib.plugins.sparql.update import evalUpdate

        evalUpdate(self.graph, translateUpdate(parsed))

    def add_graph(self, graph: Graph) -> None:
        for triple in graph:
            self.graph.add(triple)

    def __len__(self) -> int:
        return len(self.graph)

    def to_graph(self) -> Graph:
        return self.graph


class OxigraphStore(Store):
    """Oxigraph, embedded: on disk at ``path`` (persistent) or in memory when ``path`` is None.

    Every open of a folder holds its :class:`~kg._locking.StoreLock` until :meth:`close`: shared
    for a read-only store (many readers at once), exclusive for a writable one (no reader then).
    Close a store as soon as its work is done (or use it as a context manager).

    Parameters
    ----------
    path : str or Path, optional
        The store's folder; a writable store is created there when the folder is missing or empty.
    read_only : bool, default False
        Open an existing store for reading only (several processes may then share it); a folder
        that holds no store is an error, and nothing in it is changed.
    lock_wait : float, optional
        Seconds to wait for the lock (:data:`kg._locking.LOCK_WAIT` by default).
    lock : StoreLock, optional
        The folder's lock, when the caller already holds its writers' lock
        (:meth:`~kg._locking.StoreLock.writing`).
    default_graphs, named_graphs : iterable of str
        The dataset every query runs over, as on an endpoint: the union of these graphs as the
        default graph (by default the store's default graph, where ``kg load`` puts everything),
        and the graphs ``GRAPH`` may name (by default all). Updates still write to the
        store's default graph.

    Raises
    ------
    EngineError
        No store at ``path`` (read-only), a store of another layout version, a folder that
        cannot be written.
    StoreBusyError
        The lock was not obtained in time.

    Examples
    --------
    >>> store = OxigraphStore(default_graphs=["urn:x:g"])
    >>> store.update('INSERT DATA { GRAPH <urn:x:g> { <urn:x:a> <urn:x:p> "in g" } } ;'
    ...              'INSERT DATA { <urn:x:a> <urn:x:p> "in the default graph" }')
    >>> [str(row[0]) for row in store.query("SELECT ?o WHERE { ?s ?p ?o }")], len(store)
    (['in g'], 1)
    """

    engine = "oxigraph"

    def __init__(
        self,
        path: str | Path | None = None,
        *,
        read_only: bool = False,
        lock_wait: float | None = None,
        lock: StoreLock | None = None,
        default_graphs: Iterable[str] = (),
        named_graphs: Iterable[str] = (),
    ):
        self.path = Path(path) if path is not None else None
        self._dataset: dict[str, Any] = {}
        if default_graphs or named_graphs:
            from kg._endpoint import graph_name  # httpx loads only when graphs are named

            if default_graphs:
                self._dataset["default_graph"] = [ox.NamedNode(graph_name(g)) for g in default_graphs]
            if named_graphs:
                self._dataset["named_graphs"] = [ox.NamedNode(graph_name(g)) for g in named_graphs]
        self.read_only = read_only
        self._held = contextlib.ExitStack()
        if self.path is None:
            self.ox = ox.Store()
            return
        if read_only:
            check_store(self.path)  # before the lock: a folder that holds no store gets no lock beside it
        lock = lock or StoreLock(self.path, wait=lock_wait)
        try:
            self._held.enter_context(lock.shared() if read_only else lock.exclusive())
            stamp = check_store(self.path, create=not read_only)
            if read_only:
                self.ox = ox.Store.read_only(str(self.path))
                return
            self.path.mkdir(parents=True, exist_ok=True)
            self.ox = ox.Store(str(self.path))
            self._generation = (stamp.generation if stamp is not None else 0) + 1
            write_stamp(self.path, generation=self._generation)
        except OSError as exc:
            self._held.close()
            raise EngineError(
                f"cannot open the Oxigraph store at {self.path}: {exc}; check the folder exists and is writable"
            ) from exc
        except BaseException:
            self._held.close()
            raise

    def query(self, sparql: str, *, bindings: Mapping[str, Node] | None = None, timeout: float | None = None) -> Result:
        """Run a SPARQL query; with a ``timeout`` (seconds) it is stopped then, or on Ctrl-C.

        On a store on disk a query with a timeout (0: none, but stoppable) runs in a child
        process (some 60 ms to start) that is killed at the deadline or on Ctrl-C: Oxigraph
        itself cannot be interrupted.
        """
        form = query_form(sparql)
        # A VALUES block, not Oxigraph's substitutions: those refuse a variable the query does
        # not project (a parameter such as ?actor or ?asOf usually is not).
        text = bind_values(sparql, bindings or {})
        if timeout is not None and self.path is not None:
            return self._query_in_child(form, text, timeout or None)
        with time_limit(timeout):
            try:
                answer = self.ox.query(text, prefixes=PREFIXES, **self._dataset)
            except SyntaxError as exc:
                raise QueryError(f"SPARQL syntax error: {exc}") from exc
            except OSError as exc:
                raise EngineError(f"Oxigraph could not read the store {self.path}: {exc}") from exc
            return _oxigraph_result(form, answer)

    def _query_in_child(self, form: str, text: str, timeout: float | None) -> Result:
        import subprocess
        import sys

        script = Path(__file__).with_name("_oxchild.py")
        request = json.dumps(
            {
                "path": str(self.path),
                "query": text,
                "prefixes": PREFIXES,
                **{k: [g.value for g in v] for k, v in self._dataset.items()},
            }
        )
        with subprocess.Popen(
            [sys.executable, "-I", str(script)], stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE
        ) as child:
            try:
                out, err = child.communicate(request.encode("utf-8"), timeout=timeout)
            except subprocess.TimeoutExpired:
                raise QueryTimeoutError(timeout or 0) from None
            finally:  # the deadline, Ctrl-C, any error: the query stops now
                if child.poll() is None:
                    child.kill()
        message = err.decode("utf-8", "replace").strip()
        if child.returncode == 3:
            raise QueryError(f"SPARQL syntax error: {message}")
        if child.returncode != 0:
            raise EngineError(
                f"Oxigraph could not read the store {self.path}: "
                f"{message or f'the query process ended with code {child.returncode}'}"
            )
        kind, _, body = out.partition(b"\n")
        if kind == b"triples":
            return _oxigraph_result(form, (q.triple for q in ox.parse(body, ox.RdfFormat.N_TRIPLES)))
        return _oxigraph_result(form, ox.parse_query_results(body, ox.QueryResultsFormat.JSON))

    def query_values(self, sparql: str, *, bindings: Mapping[str, Node] | None = None) -> list[tuple[str | None, ...]]:
        query_form(sparql)
        try:
            answer = self.ox.query(bind_values(sparql, bindings or {}), prefixes=PREFIXES, **self._dataset)
        except SyntaxError as exc:
            raise QueryError(f"SPARQL syntax error: {exc}") from exc
        if not isinstance(answer, ox.QuerySolutions):
            raise QueryError("query_values takes a SELECT query")
        width = len(answer.variables)
        return [tuple(None if (t := s[i]) is None else t.value for i in range(width)) for s in answer]

    def update(self, sparql: str) -> None:
        if self.read_only:
            raise EngineError(f"the store {self.path} is open read-only: open it for writing to change it")
        try:
            self.ox.update(_PREFIX_TEXT + sparql)
        except SyntaxError as exc:
            raise QueryError(f"SPARQL update syntax error: {exc}") from exc
        except OSError as exc:
            raise EngineError(f"Oxigraph could not write the store {self.path}: {exc}") from exc

    def add_graph(self, graph: Graph) -> None:
        self.ox.extend(ox.Quad(to_oxigraph(s), to_oxigraph(p), to_oxigraph(o), ox.DefaultGraph()) for s, p, o in graph)

    def bulk_load(self, path: str | Path, *, format: ox.RdfFormat | None = None) -> None:
        """Load a large RDF file fast, bypassing transactions (use only on validated input)."""
        self.ox.bulk_load(path=str(path), format=format, to_graph=ox.DefaultGraph())

    def __len__(self) -> int:
        if self._dataset:  # the triples of the chosen graphs, not every quad of the store
            return super().__len__()
        return len(self.ox)

    def close(self) -> None:
        """Flush, let go of the store's files, then release the lock (twice is harmless)."""
        engine = getattr(self, "ox", None)
        if engine is None:
            return
        try:
            if not self.read_only:
                engine.flush()
        finally:
            if self.path is not None:
                del self.ox, engine  # the files close with the last reference
            self._held.close()


class EndpointStore(Store):
    """Any SPARQL 1.1 endpoint over HTTP (Fuseki, GraphDB, Virtuoso, QLever, Oxigraph server).

    The requests are those of :class:`kg._endpoint.SparqlClient`: GET for short queries,
    URL-encoded POST otherwise, one pool of connections for the store's life.

    Parameters
    ----------
    query_url : str
        The query endpoint.
    update_url : str, optional
        The update endpoint; without it the store is read-only.
    timeout : float, default 30
        Total seconds one request may take, answer included.
    default_graphs, named_graphs : iterable of str
        The dataset every query runs over (``default-graph-uri`` / ``named-graph-uri``). Name
        the graph that holds the project's data on a server whose default graph is the union
        of all its graphs (Virtuoso).
    method : str, default "auto"
        ``auto``, ``get``, ``post`` (URL-encoded) or ``direct`` (see :data:`kg._endpoint.METHODS`).
    auth : tuple of (str, str), optional
        ``(scheme, value)`` of the Authorization header; by default from the environment or a
        netrc file (:func:`kg._endpoint.credentials`).
    """

    engine = "endpoint"

    def __init__(
        self,
        query_url: str,
        *,
        update_url: str | None = None,
        timeout: float = 30.0,
        default_graphs: Iterable[str] = (),
        named_graphs: Iterable[str] = (),
        method: str = "auto",
        auth: tuple[str, str] | None = None,
    ):
        from kg._endpoint import SparqlClient  # httpx loads only for an endpoint

        self.client = SparqlClient(
            query_url,
            update_url=update_url,
            timeout=timeout,
            default_graphs=default_graphs,
            named_graphs=named_graphs,
            method=method,
            auth=auth,
        )
        self.query_url, self.update_url, self.timeout = self.client.query_url, update_url, timeout

    def query(self, sparql: str, *, bindings: Mapping[str, Node] | None = None) -> Result:
        form = query_form(sparql)
        text = _PREFIX_TEXT + bind_values(sparql, bindings or {})
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
        if form == "SELECT" and _DISTINCT.search(_blank_strings(text)):
            # Virtuoso 7 (07.20.3229) can repeat a row of a SELECT DISTINCT whose columns are
            # partly unbound (timeline, as of a day): the protocol's answer is made distinct here.
            result.rows = list(dict.fromkeys(result.rows))
        return result

    def update(self, sparql: str) -> None:
        self.client.update(_PREFIX_TEXT + sparql)

    def add_graph(self, graph: Graph) -> None:
        triples = graph.serialize(format="nt", encoding="utf-8").decode("utf-8")
        self.update("INSERT DATA {\n" + triples + "\n}")

    def close(self) -> None:
        self.client.close()


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
    """Turn SPARQL 1.1 JSON results into a :class:`Result`."""
    if "boolean" in data:
        return Result("ASK", boolean=bool(data["boolean"]))
    names = tuple(data["head"]["vars"])
    rows = [Row((_json_term(b.get(name)) for name in names), names) for b in data["results"]["bindings"]]
    return Result(form, vars=names, rows=rows)


_BOOLEAN = str(XSD.boolean)


def _json_term(value: Mapping[str, str] | None) -> Node | None:
    if value is None:
        return None
    kind = value["type"]
    if kind == "uri":
        return URIRef(value["value"])
    if kind == "bnode":
        return BNode(value["value"])
    if "xml:lang" in value:
        return Literal(value["value"], lang=value["xml:lang"])
    datatype = value.get("datatype")
    if datatype == _BOOLEAN and value["value"] in ("1", "0"):  # Virtuoso 7 writes booleans as 1 and 0
        return Literal(value["value"] == "1")
    if datatype and datatype != str(XSD.string):
        return Literal(value["value"], datatype=URIRef(datatype))
    return Literal(value["value"])


_WHERE = re.compile(r"\bWHERE\s*\{", re.IGNORECASE)


def bind_values(sparql: str, bindings: Mapping[str, Node]) -> str:
    """Bind variables by a ``VALUES`` block opening the query's outer WHERE group.

    The terms are written with their N-Triples syntax (escaped by rdflib), never as raw text.
    """
    if not bindings:
        return sparql
    names = sorted(bindings)
    block = (
        "VALUES (" + " ".join(f"?{n}" for n in names) + ") { (" + " ".join(bindings[n].n3() for n in names) + ") }\n"
    )
    match = _WHERE.search(_blank_strings(sparql))
    if match is None:
        raise QueryError("cannot bind parameters: the query has no WHERE { ... } group")
    return sparql[: match.end()] + "\n" + block + sparql[match.end() :]


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
    blank = _blank_strings(sparql)
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


_FROM = re.compile(r"(?<![?$\w:])FROM\b(?!:)", re.IGNORECASE)


def _blank_strings(text: str) -> str:
    # Same length as the text, with comments, IRIs and string literals blanked, so that a
    # keyword inside them is not taken for the query's own.
    return re.sub(r'#[^\n]*|<[^>\s]*>|"(?:[^"\\\n]|\\.)*"|\'(?:[^\'\\\n]|\\.)*\'', lambda m: " " * len(m.group()), text)


def open_store(
    *,
    store: str | Path | None = None,
    endpoint: str | None = None,
    update_endpoint: str | None = None,
    timeout: float = 30.0,
    graphs: Iterable[str] = (),
    named_graphs: Iterable[str] = (),
    method: str = "auto",
    read_only: bool = False,
) -> Store:
    """Open the engine the options name: an Oxigraph folder, an endpoint, else a new memory store.

    ``graphs`` and ``named_graphs`` choose the dataset of an Oxigraph folder or an endpoint;
    ``method`` applies to an endpoint (see :class:`EndpointStore`); ``read_only=True`` opens an
    Oxigraph folder for reading (it must hold a store).
    """
    if store is not None and endpoint is not None:
        raise EngineError("give either a store folder or an endpoint, not both")
    if endpoint is not None:
        return EndpointStore(
            endpoint,
            update_url=update_endpoint,
            timeout=timeout,
            default_graphs=graphs,
            named_graphs=named_graphs,
            method=method,
        )
    if store is not None:
        return OxigraphStore(store, read_only=read_only, default_graphs=graphs, named_graphs=named_graphs)
    return MemoryStore()
