"""The network projection: the knowledge graph as a ``networkx.MultiDiGraph`` of actors.

:func:`project` turns the events and standing relations of any engine into a graph whose edges
carry the evidence (relation, sign, Goldstein value, date, event, source, quote), under one
:class:`~kg._network.options.ProjectionOptions` (time cut, filters, view); :func:`projected`
is what every function taking "a store or a graph already projected" calls.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable, Sequence
from typing import Any, NamedTuple, Unpack

import networkx as nx

from kg._actors import resolve_actor
from kg._errors import InputError
from kg._network.options import ProjectionKeywords, ProjectionOptions
from kg._network.pairs import PairNetwork
from kg._network.rows import Row, read_rows
from kg._network.rules import Rules, actor_nodes, fold_parents
from kg._network.types import RelationInfo
from kg._store import Store
from kg._tabular import short_label
from kg._timecut import TimeCut, before_evidence, in_force

__all__ = ["describe_view", "project", "project_rows", "projected", "store_options"]

log = logging.getLogger(__name__)


def project(
    store: Store, options: ProjectionOptions | None = None, **overrides: Unpack[ProjectionKeywords]
) -> nx.MultiDiGraph[str]:
    """Project the knowledge graph onto a ``MultiDiGraph`` of actors, one edge per relation.

    Every event with an actor and a target gives one edge per target (a mediation gives one to
    each party); every standing relation gives one edge. Symmetric relations keep one edge with
    ``symmetric=True``.

    Parameters
    ----------
    store : Store
        Any engine.
    options : ProjectionOptions, optional
        The time cut, the filters and the view (the defaults when None).
    **overrides
        Any field of :class:`~kg._network.options.ProjectionOptions` as a keyword, replacing the
        value of ``options``:

        as_of : str or date, optional
            Keep what is in force on that day (events up to it, standing relations holding then).
        since, until : str or date, optional
            Keep what overlaps the window.
        relations : iterable of str, optional
            Relation types to keep, by label, local name, prefixed name, IRI or CAMEO code.
        signs : iterable of int or str, optional
            Signs to keep: ``1``/``"+"``/``"cooperative"``, ``-1``/``"-"``/``"conflictual"``,
            ``0``/``"neutral"``.
        claims : bool, default True
            Keep the edges of events that assert, dispute or endorse a contested claim, marked
            ``contested=True`` (drawn dashed). ``False`` leaves contested accounts out.
        fold : bool, default True
            Count persons, bodies and missions as the state or organisation they act for: fold
            them along the structural relations marked ``dip:foldsInto`` (holds a post in, part
            of, mission of), never a collective (protesters, citizens). ``False`` keeps every
            actor apart.
        structural : bool, default False
            Keep the structural relations themselves (holds a post in, part of, mission of) as
            edges (None, the default, is False here).
        unfold : iterable of str
            IRIs of actors kept apart when folding (the actors a question names: a path to a
            minister ends at the minister); each keeps its structural edges to what it acts for.
        each_report : bool, default False
            Give every report of one occurrence its own edge. By default the events that report
            the same occurrence (``dip:occurrence``: the same type, actor, targets and day, from
            several datasets or sources) give one edge, that of the first event IRI, with
            ``reports`` saying how many there were.
        from_evidence : bool, default False
            Count a standing relation the source presents as already existing
            (``dip:inForceBy``) only from its first evidence. By default it is in force before
            that day too, and its edge is marked ``before_evidence=True`` in a cut that counts it
            only so (see :mod:`kg._timecut`).

    Returns
    -------
    networkx.MultiDiGraph
        Nodes are the IRIs of the actors with at least one edge, with ``label`` and ``kind``
        (the local name of the actor's most specific class: ``State``, ``Person``, ...); edges
        carry ``relation``,
        ``relation_label``, ``sign``, ``goldstein``, ``date``, ``end_date``, ``event``,
        ``source``, ``quote``, ``symmetric``, ``standing``, ``contested``, ``claim`` and
        ``reports`` (the number of events reporting its occurrence; 1 for most); a standing
        relation's ``date`` is its first evidence, ``start_known`` says it is its start date,
        ``open_start`` that it was presented as existing before it, ``before_evidence`` that this
        cut counts it only so, and ``before`` a day it ended before.

    Raises
    ------
    InputError
        For a date that does not parse or a window that ends before it starts.
    UnknownNameError
        For a relation type that does not exist.
    TypeError
        For a keyword that is not a projection option.

    Examples
    --------
    >>> import kg
    >>> store = kg.load()
    >>> before = project(store, as_of="2023-10-16", relations=["recallsDiplomatsFrom"])
    >>> after = project(store, as_of="2023-10-19", relations=["recallsDiplomatsFrom"])
    >>> before.number_of_edges(), after.number_of_edges()
    (0, 1)
    >>> options = kg.ProjectionOptions(relations=["recallsDiplomatsFrom"])
    >>> project(store, options, as_of="2023-10-19").number_of_edges()
    1
    """
    options = ProjectionOptions.of(options, **overrides)
    rules = Rules.of(store, options)
    actors = actor_nodes(store, options.cut)
    # A read-only Oxigraph store with its network index answers from the index's arrays, folded
    # and filtered there (the same graph: tests/test_netindex.py); any other store is read row by row.
    table = rules.table(store, options)
    if table is not None:
        graph = PairNetwork(table, actors, options, rules).multigraph()
        log.info("projected %d actors and %d edges from the network index", len(graph), graph.number_of_edges())
        return graph
    graph = project_rows(read_rows(store), actors, rules, options)
    # The network is one of relations: an actor with none in the cut (a publisher) is left out.
    graph.remove_nodes_from([n for n in list(graph) if graph.degree(n) == 0])
    log.info("projected %d actors and %d edges", graph.number_of_nodes(), graph.number_of_edges())
    return graph


def project_rows(
    items: dict[str, list[Row]],
    actors: nx.MultiDiGraph[str],
    rules: Rules,
    options: ProjectionOptions,
    fold_map: dict[str, str] | None = None,
) -> nx.MultiDiGraph[str]:
    """Return the projection of the rows read (:func:`kg._network.rows.read_rows`) on the graph of ``actors``.

    What :func:`project` makes of every row of a store; also of some (the evidence of the pairs a
    server shows, :mod:`kg._network.remote`), folded then by the ``fold_map`` of the whole
    projection. The actors without an edge are kept.
    """
    types, wanted, signs, contested = rules.types, rules.wanted, rules.signs, rules.contested
    keep = _Keep(types, wanted, signs, options.cut, options)
    edges = _Edges(actors, options.cut, each_report=options.each_report)
    for item, rows in items.items():
        found = _item(item, rows, types, contested)
        if found is not None and keep(found):
            edges.add(found, types[found.type])
    graph = edges.graph
    graph.graph.update(claims=options.claims, fold=options.fold)
    if options.fold:
        graph = _fold(graph, types, keep_structural=bool(options.structural), keep=set(options.unfold), top=fold_map)
    if signs is not None or wanted is not None:
        graph.remove_edges_from(
            [
                (a, b, k)
                for a, b, k, d in graph.edges(keys=True, data=True)
                if (wanted is not None and d["relation"] not in wanted)
                or (signs is not None and d["sign"] not in signs)
            ]
        )
    return graph


def projected(
    source: Store | nx.MultiDiGraph[Any] | PairNetwork,
    options: ProjectionOptions | None = None,
    *,
    named: Sequence[str | None] = (),
    resolve: Callable[[Store, str], Any] | None = None,
    structural: bool = False,
) -> nx.MultiDiGraph[Any]:
    """Return the projection of a store, or a graph already projected given as such.

    The one check of every function that takes either: a graph already projected is returned
    as it is, and then ``options`` must be the defaults (they would be ignored).

    Parameters
    ----------
    source : Store or networkx.MultiDiGraph
        A store, projected with ``options``, or a graph from :func:`project`.
    options : ProjectionOptions, optional
        The options (the defaults when None).
    named : sequence of str
        Actors a question names (a path's ends, a map's focus; None and empty names skipped):
        kept apart when the projection folds, unless ``options.unfold`` already says whom.
    resolve : callable, optional
        ``resolve(store, name)`` returns the IRI of an actor's name; by default
        :func:`kg._actors.resolve_actor`.
    structural : bool, default False
        What ``structural=None`` (the options' default) means for this caller.

    Returns
    -------
    networkx.MultiDiGraph

    Raises
    ------
    InputError
        For options other than the defaults with a graph already projected, or a ``source``
        that is neither a store nor a ``MultiDiGraph``.

    Examples
    --------
    >>> import kg
    >>> graph = projected(kg.load(), ProjectionOptions(as_of="2023-10-19"))
    >>> projected(graph) is graph
    True
    >>> projected(graph, ProjectionOptions(as_of="2023-10-19"))  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    kg._errors.InputError: projection options (as_of) apply when projecting a store; ...
    """
    chosen = store_options(source, options, named=named, resolve=resolve, structural=structural)
    if isinstance(source, PairNetwork):
        return source.multigraph()
    if chosen is None:
        assert isinstance(source, nx.MultiDiGraph)
        return source
    assert isinstance(source, Store)
    return project(source, chosen)


def store_options(
    source: Store | nx.MultiDiGraph[Any] | PairNetwork,
    options: ProjectionOptions | None = None,
    *,
    named: Sequence[str | None] = (),
    resolve: Callable[[Store, str], Any] | None = None,
    structural: bool = False,
) -> ProjectionOptions | None:
    """Return the options a store is projected with; None for a graph already projected.

    A :class:`~kg._network.pairs.PairNetwork` is a projection already made too.

    The check of :func:`projected` (which see for the parameters), for the callers that project
    the store in their own way (:class:`~kg._network.pairs.PairNetwork`).

    Raises
    ------
    InputError
        As :func:`projected`.
    """
    options = ProjectionOptions() if options is None else options
    if isinstance(source, nx.MultiDiGraph | PairNetwork):
        given = options.given()
        if given:
            raise InputError(
                f"projection options ({', '.join(given)}) apply when projecting a store; this network is "
                "already projected: project the store with them, or pass the store"
            )
        return None
    if not isinstance(source, Store):
        raise InputError(
            f"cannot project a {type(source).__name__}: pass a Store, or a graph from kg.project() (a MultiDiGraph)"
        )
    if options.structural is None and structural:
        options = options.replace(structural=True)
    names = [name for name in named if name]
    if names and options.fold and not options.unfold:
        resolver = resolve_actor if resolve is None else resolve
        options = options.replace(unfold=[str(resolver(source, name)) for name in names])
    return options


def describe_view(graph: nx.Graph[Any] | PairNetwork) -> str:
    """Say what a projection counts: whether actors are folded and contested accounts kept.

    Every table title and map subtitle carries this text, so that a reader knows what the
    network includes and leaves out.

    Examples
    --------
    >>> import kg
    >>> for part in describe_view(project(kg.load())).split("; "):
    ...     print(part)
    persons, bodies and missions counted for the state or organisation they act for
    contested accounts included, marked
    >>> describe_view(project(kg.load(), fold=False, claims=False))
    'every actor apart (none folded); contested accounts left out'
    """
    g = graph.graph
    folded = (
        "persons, bodies and missions counted for the state or organisation they act for"
        if g.get("fold", g.get("folded"))
        else "every actor apart (none folded)"
    )
    claims = g.get("claims")
    contested = (
        "contested accounts included, marked" if claims else "contested accounts left out" if claims is not None else ""
    )
    return "; ".join(x for x in (folded, contested) if x)


# ---------------------------------------------------------------- reading the items


class _Item(NamedTuple):
    """An event or standing relation as the projection keeps it: one type, its pairs, one of each value."""

    item: str
    type: str
    pairs: Iterable[tuple[str | None, str | None]]
    date: str | None
    end: str | None
    source: str | None
    quote: str | None
    claim: str
    disputed: bool
    standing: bool
    occurrence: str | None
    open_start: bool
    start: str | None
    before: str | None


def _item(item: str, rows: list[Row], types: dict[str, RelationInfo], contested: set[str | None]) -> _Item | None:
    """Read the rows of one item; None for an item of no known type, or an event with no date."""
    if len(rows) == 1:  # the common case: one type, one pair, one value of each
        _, type_, a, b, date, end, source, quote, claim, standing, occurrence, by, start, before = rows[0]
        if type_ not in types:
            return None  # an incident, or a CAMEO code the taxonomy lacks
        pairs: Iterable[tuple[str | None, str | None]] = ((a, b),)
        disputed = claim is not None and claim in contested
        chosen = claim or ""
    else:
        type_ = min((r[1] for r in rows if r[1] in types), default=None)
        if type_ is None:
            return None
        date, end, source, quote = (
            min((str(r[i]) for r in rows if r[i] is not None), default=None) for i in (4, 5, 6, 7)
        )
        pairs = sorted({(r[2], r[3]) for r in rows})  # type: ignore[type-var]
        found = {r[8] for r in rows if r[8] is not None}
        against = sorted(found & contested)  # type: ignore[type-var]
        disputed = bool(against)
        chosen = str(against[0] if against else min(found, default=""))  # type: ignore[type-var]
        standing, by, start, before = rows[0][9], *rows[0][11:14]
        occurrence = min((r[10] for r in rows if r[10] is not None), default=None)  # type: ignore[type-var]
    is_standing = standing == "true"
    if date is None and not is_standing:
        return None  # an event with no date
    open_start = is_standing and by is not None and start is None
    return _Item(
        item,
        str(type_),
        pairs,
        date,
        end,
        source,
        quote,
        chosen,
        disputed,
        is_standing,
        occurrence,
        open_start,
        start,
        before,
    )


class _Keep:
    """Whether an item is kept: its type, sign, time and account against the options."""

    def __init__(
        self,
        types: dict[str, RelationInfo],
        wanted: set[str] | None,
        signs: set[int] | None,
        cut: TimeCut,
        options: ProjectionOptions,
    ) -> None:
        self.types, self.wanted, self.signs, self.cut = types, wanted, signs, cut
        self.structural = bool(options.structural) or options.fold  # folding reads the structural edges
        self.claims = options.claims

    def __call__(self, found: _Item) -> bool:
        info = self.types[found.type]
        if info.structural:
            if not self.structural:
                return False
        elif (self.wanted is not None and found.type not in self.wanted) or (
            self.signs is not None and info.sign not in self.signs
        ):
            return False
        if self.cut and not in_force(
            self.cut, found.date, found.end, standing=found.standing, open_start=found.open_start, before=found.before
        ):
            return False
        return self.claims or not found.disputed


class _Edges:
    """The projection as it is built: one edge per item and pair, reports of one occurrence once."""

    def __init__(self, graph: nx.MultiDiGraph[str], cut: TimeCut, *, each_report: bool) -> None:
        self.graph, self.cut, self.each_report = graph, cut, each_report
        self.reported: dict[tuple[str, str | None, str | None], tuple[str, int]] = {}

    def add(self, found: _Item, info: RelationInfo) -> None:
        graph = self.graph
        for a, b in found.pairs:
            for node in (a, b):
                if node not in graph:
                    graph.add_node(node, label=short_label(str(node)), kind="")  # type: ignore[arg-type]
            count = 1
            if found.occurrence is not None and not self.each_report:
                count = self._report(found, a, b)
                if not count:
                    continue
            graph.add_edge(
                a,  # type: ignore[arg-type]
                b,  # type: ignore[arg-type]
                key=f"{found.item}|{b}",
                relation=found.type,
                relation_label=info.label,
                sign=info.sign,
                goldstein=info.goldstein,
                date=found.date or "",
                end_date=found.end or "",
                event=found.item,
                source=found.source or "",
                quote=found.quote or "",
                symmetric=info.symmetric,
                standing=found.standing,
                structural=info.structural,
                contested=found.disputed,
                claim=found.claim,
                reports=count,
                open_start=found.open_start,
                start_known=found.standing and found.start is not None,
                before=found.before or "",
                before_evidence=found.open_start
                and before_evidence(self.cut, found.date, found.end, open_start=True, before=found.before),
            )

    def _report(self, found: _Item, a: str | None, b: str | None) -> int:
        """Count one more report of an occurrence; return the edge's count, 0 when it is not added."""
        assert found.occurrence is not None
        key = (found.occurrence, a, b)
        seen = self.reported.get(key)
        if seen is None:
            self.reported[key] = (found.item, 1)
            return 1
        first, count = seen
        if found.item < first:  # keep the first event IRI's edge, whatever the order read
            self.graph.remove_edge(a, b, key=f"{first}|{b}")  # type: ignore[arg-type]
            self.reported[key] = (found.item, count + 1)
            return count + 1
        self.graph.edges[a, b, f"{first}|{b}"]["reports"] = count + 1  # type: ignore[index]
        self.reported[key] = (first, count + 1)
        return 0


# ---------------------------------------------------------------- folding


def _fold(
    graph: nx.MultiDiGraph[str],
    types: dict[str, RelationInfo],
    *,
    keep_structural: bool,
    keep: set[str],
    top: dict[str, str] | None = None,
) -> nx.MultiDiGraph[str]:
    """Fold ``graph`` by the fold map ``top`` (member IRI to the actor it folds into); by its own edges when None."""
    if top is None:
        kinds = {node: str(data.get("kind", "")) for node, data in graph.nodes(data=True)}
        top = fold_parents(((a, b, d["relation"]) for a, b, d in graph.edges(data=True)), kinds, types, keep)
    folded: nx.MultiDiGraph[str] = nx.MultiDiGraph(**graph.graph)
    folded.graph["folded"] = True
    folded.graph["fold_map"] = dict(top)  # member IRI -> the actor it folds into
    for node, data in graph.nodes(data=True):
        if node not in top:
            folded.add_node(node, **data)
    for a, b, key, data in graph.edges(keys=True, data=True):
        if data["structural"] and not keep_structural and not (a in keep and types[data["relation"]].folds):
            continue
        a2, b2 = top.get(a, a), top.get(b, b)
        if a2 == b2:
            continue  # a relation inside one actor once folded
        folded.add_edge(a2, b2, key=key, **{**data, "actor": a, "target": b})
    return folded
