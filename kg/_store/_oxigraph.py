"""Oxigraph, embedded (pyoxigraph), as a :class:`~kg._store._base.Store`: on disk or in memory.

Oxigraph does the work: SPARQL, transactions, the bulk loader, the dataset of a query. What this
module adds:

- the folder's lock and layout stamp (:mod:`kg._locking`), held from open to :meth:`close`;
- a timeout and Ctrl-C for queries on disk: pyoxigraph's ``query`` has neither, so such a query
  runs in a child process that can be killed (:mod:`kg._store._oxchild`);
- :func:`to_rdflib` and :func:`to_oxigraph`: pyoxigraph knows nothing of rdflib, and the
  converters of ``oxrdflib`` (rdflib's store plugin backed by Oxigraph) are private to it (and a
  dependency more); the literals follow :func:`~kg._store._base.literal_term`, the rule every
  engine follows;
- parameters as a ``VALUES`` block (:func:`~kg._store._sparql.bind_values`), not Oxigraph's
  ``substitutions`` (they refuse a variable the query does not project).
"""

from __future__ import annotations

import contextlib
import itertools
import json
from collections.abc import Iterable, Iterator, Mapping
from pathlib import Path
from typing import Any

import pyoxigraph as ox
from rdflib import BNode, Graph, Literal, URIRef
from rdflib.term import Node

from kg._errors import EngineError, QueryError, QueryTimeoutError
from kg._graphs import ASSERTED_GRAPH, graph_iri, query_dataset
from kg._locking import StoreLock, check_store, write_stamp
from kg._namespace import PREFIXES
from kg._store._base import Result, Row, Store, literal_term, time_limit
from kg._store._sparql import PREFIX_TEXT, bind_values, query_form

__all__ = ["OxigraphStore", "oxigraph_dataset", "to_oxigraph", "to_rdflib"]


def to_rdflib(term: Any) -> Node | None:
    """Convert a pyoxigraph term to the equal rdflib term (None stays None).

    >>> to_rdflib(ox.Literal("x", datatype=ox.NamedNode("http://www.w3.org/2001/XMLSchema#string")))
    rdflib.term.Literal('x')
    """
    if term is None:
        return None
    if isinstance(term, ox.NamedNode):
        return URIRef(term.value)
    if isinstance(term, ox.BlankNode):
        return BNode(term.value)
    if isinstance(term, ox.Literal):
        return literal_term(term.value, language=term.language, datatype=term.datatype.value)
    raise TypeError(f"cannot convert {term!r} to an rdflib term")


def to_oxigraph(term: Node) -> Any:
    """Convert an rdflib term to the equal pyoxigraph term.

    >>> to_oxigraph(URIRef("http://ex/a"))
    <NamedNode value=http://ex/a>
    """
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


def _syntax_error(sparql: str, message: object) -> QueryError:
    """Return the error for a query Oxigraph refused: rdflib's parse says where, when it fails too."""
    query_form(sparql)  # raises the QueryError with the line and column of the problem
    return QueryError(f"SPARQL syntax error: {message}")


def _oxigraph_result(answer: Any) -> Result:
    """Turn a pyoxigraph answer (or an iterable of triples, for a graph) into a :class:`Result`.

    The form is read from the answer: ``SELECT``, ``ASK``, else ``CONSTRUCT`` until
    :func:`_with_form` names a graph's form from the query (parsing costs some 15 ms a query
    text, more than most answers here).
    """
    if isinstance(answer, ox.QueryBoolean):
        return Result("ASK", boolean=bool(answer))
    if not isinstance(answer, ox.QuerySolutions):
        graph = Graph()
        for t in answer:
            graph.add((to_rdflib(t.subject), to_rdflib(t.predicate), to_rdflib(t.object)))  # type: ignore[arg-type]
        return Result("CONSTRUCT", graph=graph)
    names = tuple(v.value for v in answer.variables)
    rows = [Row((to_rdflib(s[i]) for i in range(len(names))), names) for s in answer]
    return Result("SELECT", vars=names, rows=rows)


def _with_form(sparql: str, result: Result) -> Result:
    """Return ``result`` with the form of a graph's query (``CONSTRUCT`` or ``DESCRIBE``) read from ``sparql``."""
    if result.graph is None:
        return result
    return Result(query_form(sparql), graph=result.graph)


def oxigraph_dataset(default_graphs: Iterable[str] = (), named_graphs: Iterable[str] = ()) -> dict[str, Any]:
    """Return the keywords of pyoxigraph's ``Store.query`` that give a query the project's dataset.

    The rule is :func:`kg._graphs.query_dataset`: the graphs chosen, else the union of every
    graph of the store (Oxigraph's ``use_default_graph_as_union``: at 100,000 events 6% more CPU
    than one default graph, where a list of the three graphs takes 44% more:
    ``benchmarks/results/dataset.md``).

    >>> oxigraph_dataset()
    {'use_default_graph_as_union': True}
    >>> oxigraph_dataset(["asserted"])
    {'default_graph': [<NamedNode value=https://w3id.org/dipkg/graph/asserted>]}
    """
    chosen = query_dataset(default_graphs)
    dataset: dict[str, Any] = {}
    if chosen is None:
        dataset["use_default_graph_as_union"] = True
    else:
        dataset["default_graph"] = [ox.NamedNode(g) for g in chosen]
    named = [ox.NamedNode(graph_iri(g)) for g in named_graphs]
    if named:
        dataset["named_graphs"] = named
    return dataset


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
        The dataset every query runs over, as on an endpoint (IRIs, or the short names of
        :data:`kg._graphs.GRAPHS`): the union of these graphs as the default graph (by default
        the union of every graph of the store, :func:`oxigraph_dataset`), and the graphs
        ``GRAPH`` may name (by default all). A SPARQL Update reads and writes the store's own
        default graph unless it names graphs (``GRAPH``, ``WITH``, ``USING``).

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
    >>> len(store.ox)  # every quad of the store
    2
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
        self._dataset = oxigraph_dataset(default_graphs, named_graphs)
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

    @property
    def dataset(self) -> dict[str, Any]:
        """The keywords of pyoxigraph's ``Store.query`` that give this store's dataset (:func:`oxigraph_dataset`)."""
        return dict(self._dataset)

    def query(self, sparql: str, *, bindings: Mapping[str, Node] | None = None, timeout: float | None = None) -> Result:
        """Run a SPARQL query; with a ``timeout`` (seconds) it is stopped then, or on Ctrl-C.

        On a store on disk a query with a timeout (0: none, but stoppable) runs in a child
        process (some 60 ms to start) that is killed at the deadline or on Ctrl-C: Oxigraph
        itself cannot be interrupted.
        """
        # A VALUES block, not Oxigraph's substitutions: those refuse a variable the query does
        # not project (a parameter such as ?actor or ?asOf usually is not).
        text = bind_values(sparql, bindings or {})
        if timeout is not None and self.path is not None:
            return _with_form(sparql, self._query_in_child(sparql, text, timeout or None))
        with time_limit(timeout):
            return _with_form(sparql, self._answer(sparql, text))

    # The answers are read in methods of their own: a frame that parsed a query's text
    # (query_form) can be left in a reference cycle by pyparsing's tracebacks, and an answer of
    # Oxigraph's must never wait in such a frame for the garbage collector, which may run in
    # another thread (pyoxigraph's answers refuse to be dropped there). So the text is parsed
    # only where no answer is held: to place a syntax error, or to name a graph's form.
    def _answer(self, sparql: str, text: str) -> Result:
        try:
            answer = self.ox.query(text, prefixes=PREFIXES, **self._dataset)
        except SyntaxError as exc:
            raise _syntax_error(sparql, exc) from exc
        except OSError as exc:
            raise EngineError(f"Oxigraph could not read the store {self.path}: {exc}") from exc
        return _oxigraph_result(answer)

    def _query_in_child(self, sparql: str, text: str, timeout: float | None) -> Result:
        import subprocess
        import sys

        script = Path(__file__).with_name("_oxchild.py")
        request = json.dumps(
            {
                "path": str(self.path),
                "query": text,
                "prefixes": PREFIXES,
                **{k: v if isinstance(v, bool) else [g.value for g in v] for k, v in self._dataset.items()},
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
            raise _syntax_error(sparql, message)
        if child.returncode != 0:
            raise EngineError(
                f"Oxigraph could not read the store {self.path}: "
                f"{message or f'the query process ended with code {child.returncode}'}"
            )
        kind, _, body = out.partition(b"\n")
        if kind == b"triples":
            return _oxigraph_result(q.triple for q in ox.parse(body, ox.RdfFormat.N_TRIPLES))
        return _oxigraph_result(ox.parse_query_results(body, ox.QueryResultsFormat.JSON))

    def query_values(self, sparql: str, *, bindings: Mapping[str, Node] | None = None) -> list[tuple[str | None, ...]]:
        return self._values(sparql, bind_values(sparql, bindings or {}))

    def _values(self, sparql: str, text: str) -> list[tuple[str | None, ...]]:
        try:
            answer = self.ox.query(text, prefixes=PREFIXES, **self._dataset)
        except SyntaxError as exc:
            raise _syntax_error(sparql, exc) from exc
        if not isinstance(answer, ox.QuerySolutions):
            raise QueryError("query_values takes a SELECT query")
        width = len(answer.variables)
        return [tuple(None if (t := s[i]) is None else t.value for i in range(width)) for s in answer]

    def update(self, sparql: str) -> None:
        if self.read_only:
            raise EngineError(f"the store {self.path} is open read-only: open it for writing to change it")
        try:
            self.ox.update(PREFIX_TEXT + sparql)
        except SyntaxError as exc:
            raise QueryError(f"SPARQL update syntax error: {exc}") from exc
        except OSError as exc:
            raise EngineError(f"Oxigraph could not write the store {self.path}: {exc}") from exc

    def add_graph(self, graph: Graph, *, into: str = ASSERTED_GRAPH) -> None:
        name = ox.NamedNode(into)
        self.ox.extend(ox.Quad(to_oxigraph(s), to_oxigraph(p), to_oxigraph(o), name) for s, p, o in graph)

    def add_constructed(self, construct: str, *, into: str) -> None:
        answer = self.ox.query(PREFIX_TEXT + construct, **self._dataset)
        if not isinstance(answer, ox.QueryTriples):
            raise QueryError("add_constructed takes a CONSTRUCT query")
        found = list(answer)  # read whole, then written
        name = ox.NamedNode(into)
        self.ox.extend(ox.Quad(t.subject, t.predicate, t.object, name) for t in found)

    def bulk_load(self, path: str | Path, *, format: ox.RdfFormat | None = None, into: str = ASSERTED_GRAPH) -> None:
        """Load a large RDF file fast into the graph ``into``, bypassing transactions (validated input only)."""
        self.ox.bulk_load(path=str(path), format=format, to_graph=ox.NamedNode(into))

    def quads(self, subject: Any = None, predicate: Any = None, object: Any = None) -> Iterator[ox.Quad]:
        """Return the quads of the store's dataset (pyoxigraph terms) that match, as ``quads_for_pattern``.

        >>> store = OxigraphStore()
        >>> store.update("INSERT DATA { GRAPH <urn:x:g> { <urn:x:a> <urn:x:p> 1 } }")
        >>> [q.subject.value for q in store.quads(None, ox.NamedNode("urn:x:p"))]
        ['urn:x:a']
        """
        if "default_graph" not in self._dataset:  # the union of every graph
            return self.ox.quads_for_pattern(subject, predicate, object, None)
        graphs = self._dataset["default_graph"]
        return itertools.chain.from_iterable(self.ox.quads_for_pattern(subject, predicate, object, g) for g in graphs)

    def __len__(self) -> int:
        if "default_graph" in self._dataset:  # the triples of the chosen graphs, not every quad of the store
            return super().__len__()
        return len(self.ox)  # the graphs are disjoint (kg._graphs): each quad is one triple of the union

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
