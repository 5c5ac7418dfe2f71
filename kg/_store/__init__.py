"""Engines behind the graph: rdflib in memory, Oxigraph on disk, any SPARQL 1.1 endpoint.

Every engine answers the same calls with rdflib terms, so query, projection and analysis code
runs unchanged on all three::

    >>> from kg._store import MemoryStore
    >>> store = MemoryStore()
    >>> store.update('INSERT DATA { <http://ex/a> <http://ex/p> "1" }')
    >>> [row["o"].toPython() for row in store.query("SELECT ?o WHERE { ?s ?p ?o }")]
    ['1']

The package, one job a module: :mod:`~kg._store._base` (the :class:`Store` interface and its
answers, :class:`Result` and :class:`Row`), :mod:`~kg._store._sparql` (the SPARQL text they
share: its form, the prefixes, parameters), and one engine a module:
:mod:`~kg._store._memory` (rdflib), :mod:`~kg._store._oxigraph` (pyoxigraph, with
:mod:`~kg._store._oxchild` for the queries that can be stopped) and :mod:`~kg._store._endpoint`
(the answers of a server; the HTTP client is :mod:`kg._endpoint`). Each module says what it
takes from rdflib and pyoxigraph and why the little it adds is not theirs. :func:`open_store` is
here.
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

import pyoxigraph as ox  # noqa: F401 - kg._store.ox, as callers (tests, benchmarks) reach it

from kg._errors import EngineError
from kg._store._base import Result, Row, Store, literal_term, time_limit
from kg._store._endpoint import EndpointStore, parse_results_json
from kg._store._memory import MemoryStore, new_dataset
from kg._store._oxigraph import OxigraphStore, oxigraph_dataset, to_oxigraph, to_rdflib
from kg._store._sparql import bind_values, inline_terms, is_update, parsed, query_form, values_block

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
    "literal_term",
    "new_dataset",
    "open_store",
    "oxigraph_dataset",
    "parse_results_json",
    "parsed",
    "query_form",
    "time_limit",
    "to_oxigraph",
    "to_rdflib",
    "values_block",
]


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

    Examples
    --------
    >>> import kg, tempfile, pathlib
    >>> folder = pathlib.Path(tempfile.mkdtemp()) / "store"
    >>> _ = kg.build_store(folder)
    >>> store = kg.open_store(store=folder)
    >>> type(store).__name__, bool(store.query("ASK { ?e a dip:Event }"))
    ('OxigraphStore', True)
    >>> store.close()
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
