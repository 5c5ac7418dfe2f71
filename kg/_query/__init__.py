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

The package: :mod:`kg._query._named` (named queries and their headers),
:mod:`kg._query._params` (parameters; names resolved by :mod:`kg._names`),
:mod:`kg._query._check` (the text checked) and :mod:`kg._query._results` (stable answers, printed).

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
import logging
import re
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from rdflib.term import Node

from kg._errors import InputError
from kg._query._check import analyse, check
from kg._query._named import PARAMETER_KINDS, NamedQuery, Parameter, get_query, list_queries, parse_header, source
from kg._query._params import bind, resolve, resolve_actor
from kg._query._results import GRAPH_FORMATS, canonical, serialize, sparql_json, stable
from kg._store import MemoryStore, OxigraphStore, Result, Store, inline_terms, values_block
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
    named = source(spec)
    bindings, given = bind(store, named, dict(params or {}))
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
    return stable(result, ordered=analyse(text).ordered)


_HERE = re.compile(r"^[ \t]*#\s*parameters\s*$", re.MULTILINE)


def _values_here(text: str, bindings: Mapping[str, Node]) -> str:
    # A sub-select that aggregates (dyad-tone) binds its parameters inside, where rdflib's
    # initBindings reach too: a VALUES block at its "# parameters" line.
    block = values_block(bindings)
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
