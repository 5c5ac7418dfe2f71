"""The network projection: the knowledge graph as NetworkX graphs of actors.

:func:`project` turns the events and standing relations of any engine into a
``networkx.MultiDiGraph`` whose edges carry the evidence (relation, sign, Goldstein value, date,
event, source, quote); :func:`collapse` folds parallel edges into one edge per pair with counts
and tone. Both take a time cut and filters, so that every analysis can be asked "as of" a date.
"""

from __future__ import annotations

import datetime as dt
import inspect
import logging
import weakref
from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any, TypedDict

import networkx as nx

from kg import _netindex
from kg._errors import InputError, UnknownNameError
from kg._store import MemoryStore, OxigraphStore, Store
from kg._tabular import short_iri
from kg._timecut import TimeCut, before_evidence, in_force

__all__ = [
    "ProjectionOptions",
    "RelationInfo",
    "collapse",
    "describe_view",
    "given_options",
    "project",
    "relation_types",
]

log = logging.getLogger(__name__)

SIGN_VALUES = {"Cooperative": 1, "Conflictual": -1, "Neutral": 0}

_TYPES = """
SELECT ?type ?label ?sign ?goldstein ?symmetric ?structural ?standing ?code ?folds WHERE {
    VALUES ?class { dip:RelationType dip:CameoCode }
    ?type a ?class ; dip:sign ?sign ; dip:symmetric ?symmetric .
    OPTIONAL { ?type skos:prefLabel ?label }
    OPTIONAL { ?type dip:goldstein ?goldstein }
    OPTIONAL { ?type dip:structural ?structural }
    OPTIONAL { ?type dip:standing ?standing }
    OPTIONAL { ?type dip:cameoCode ?code }
    OPTIONAL { ?type dip:foldsInto ?folds }
}
"""

_ACTORS = """
SELECT ?actor ?label ?kind WHERE {
    ?actor a ?kind . ?kind rdfs:subClassOf* dip:Actor .
    FILTER NOT EXISTS { ?actor a ?sub . ?sub rdfs:subClassOf+ ?kind . ?sub rdfs:subClassOf* dip:Actor }
    OPTIONAL { ?actor rdfs:label ?label }
}
"""

_CONTESTED = """
SELECT DISTINCT ?claim WHERE {
    ?claim a dip:Claim .
    { ?event dip:disputesClaim ?claim }
    UNION { ?claim dip:contradicts ?other } UNION { ?other dip:contradicts ?claim }
}
"""

# One SELECT over every event with an actor and a target, and every standing relation. The flag
# is STRDT("true", xsd:boolean), not `true`: Virtuoso 7 answers a bare `true` as the integer 1.
_EDGES = """
SELECT ?item ?type ?a ?b ?date ?end ?source ?quote ?claim ?standing ?occurrence ?by ?start ?before WHERE {
    {
        ?item dip:eventType ?type ; dip:actor ?a ; dip:target ?b ; dip:date ?date .
        OPTIONAL { ?item dip:endDate ?end }
        OPTIONAL { ?item dip:assertsClaim|dip:disputesClaim|dip:endorsesClaim|dip:presupposesClaim ?claim }
        BIND (STRDT("false", xsd:boolean) AS ?standing)
    } UNION {
        ?item dip:relationType ?type ; dip:subject ?a ; dip:object ?b .
        OPTIONAL { ?item dip:startDate ?start }
        OPTIONAL { ?item dip:inForceBy ?by }
        OPTIONAL { ?item dip:observedOn ?seen }
        OPTIONAL { ?item dip:endDate ?end }
        OPTIONAL { ?item dip:before ?before }
        BIND (COALESCE(?start, ?by, ?seen) AS ?date)
        BIND (STRDT("true", xsd:boolean) AS ?standing)
    }
    OPTIONAL { ?item dip:source ?source }
    OPTIONAL { ?item dip:quote ?quote }
    OPTIONAL { ?item dip:occurrence ?occurrence }
}
"""


class ProjectionOptions(TypedDict, total=False):
    """The options of :func:`project`, which every analysis and drawing function also takes."""

    as_of: str | dt.date | None
    since: str | dt.date | None
    until: str | dt.date | None
    relations: Iterable[str] | None
    signs: Iterable[int | str] | None
    claims: bool
    fold: bool
    structural: bool
    from_evidence: bool


# The same rows in long form, one per triple read, for rdflib's engine (its OPTIONAL, a left
# join evaluated once per solution, makes the query above several times slower than this union
# of plain patterns) and for Oxigraph on disk (range scans instead of one random read per
# lookup). Events bind ?a ?b, standing relations ?sa ?sb, properties ?p ?x.
_EDGES_LONG = """
SELECT ?item ?p ?x ?a ?b ?sa ?sb WHERE {
    { ?item dip:eventType ?x ; dip:actor ?a ; dip:target ?b . }
    UNION { ?item dip:relationType ?x ; dip:subject ?sa ; dip:object ?sb . }
    UNION {
        VALUES ?p { dip:date dip:endDate dip:startDate dip:inForceBy dip:observedOn dip:before dip:source
                    dip:quote dip:assertsClaim dip:disputesClaim dip:endorsesClaim dip:presupposesClaim
                    dip:occurrence }
        ?item ?p ?x .
    }
}
"""

_TYPES_LONG = """
SELECT ?type ?p ?o WHERE {
    { ?type a dip:RelationType . BIND ("class" AS ?p) }
    UNION { ?type a dip:CameoCode . BIND ("class" AS ?p) }
    UNION {
        VALUES ?p { dip:sign dip:symmetric skos:prefLabel dip:goldstein dip:structural dip:standing
                    dip:cameoCode dip:foldsInto }
        ?type ?p ?o .
    }
}
"""
_DIP = "https://w3id.org/dipkg/ns#"
_P = {
    f"{_DIP}{name}": name
    for name in (
        "date",
        "endDate",
        "startDate",
        "inForceBy",
        "observedOn",
        "before",
        "source",
        "quote",
        "assertsClaim",
        "disputesClaim",
        "endorsesClaim",
        "presupposesClaim",
        "sign",
        "symmetric",
        "goldstein",
        "structural",
        "standing",
        "cameoCode",
        "foldsInto",
        "occurrence",
    )
}
_P["http://www.w3.org/2004/02/skos/core#prefLabel"] = "label"


@dataclass(frozen=True)
class RelationInfo:
    """What the taxonomy says of one relation type."""

    iri: str
    label: str
    sign: int
    goldstein: float | None
    symmetric: bool
    structural: bool
    standing: bool
    code: str | None
    folds: bool = False
    """A structural type through which the subject acts for the object (``dip:foldsInto``)."""


_TYPE_CACHE: weakref.WeakKeyDictionary[Store, tuple[int, dict[str, RelationInfo]]] = weakref.WeakKeyDictionary()


def relation_types(store: Store) -> dict[str, RelationInfo]:
    """Return every relation type (taxonomy and CAMEO codes) of ``store`` by IRI.

    On the in-memory engine the answer is kept until the number of triples changes: rdflib takes
    a few tenths of a second to read the CAMEO scheme, more than a small projection takes.
    """
    if isinstance(store, MemoryStore):
        size = len(store)
        cached = _TYPE_CACHE.get(store)
        if cached is not None and cached[0] == size:
            return dict(cached[1])
        rows = _pivot_types(store.query_values(_TYPES_LONG))
    else:
        rows = store.query_values(_TYPES)
    types = {}
    for iri, label, sign, goldstein, symmetric, structural, standing, code, folds in rows:
        assert iri is not None
        types[iri] = RelationInfo(
            iri=iri,
            label=label or short_iri(iri),
            sign=SIGN_VALUES.get((sign or "").rsplit("#", 1)[-1], 0),
            goldstein=float(goldstein) if goldstein is not None else None,
            symmetric=symmetric == "true",
            structural=structural == "true",
            standing=standing == "true",
            code=code,
            folds=folds == "true",
        )
    if isinstance(store, MemoryStore):
        _TYPE_CACHE[store] = (size, dict(types))
    return types


def _pivot_types(rows: Iterable[tuple[str | None, ...]]) -> list[tuple[str | None, ...]]:
    # The long rows of _TYPES_LONG as the wide rows of _TYPES (the smallest value of each).
    found: dict[str, dict[str, str]] = defaultdict(dict)
    for iri, p, o in rows:
        assert iri is not None and p is not None
        name = "class" if p == "class" else _P[p]
        if o is not None and (name not in found[iri] or o < found[iri][name]):
            found[iri][name] = o
        elif name == "class":
            found[iri]["class"] = ""
    return [
        (
            iri,
            f.get("label"),
            f.get("sign"),
            f.get("goldstein"),
            f.get("symmetric"),
            f.get("structural"),
            f.get("standing"),
            f.get("cameoCode"),
            f.get("foldsInto"),
        )
        for iri, f in found.items()
        if "class" in f and "sign" in f and "symmetric" in f
    ]


def _resolve_relations(names: Iterable[str], types: dict[str, RelationInfo]) -> set[str]:
    wanted = set()
    by_name: dict[str, set[str]] = defaultdict(set)
    for info in types.values():
        for key in (info.iri, short_iri(info.iri), short_iri(info.iri).split(":", 1)[-1], info.label):
            by_name[key.lower()].add(info.iri)
        if info.code and info.iri.startswith("https://w3id.org/dipkg/cameo/"):
            by_name[info.code].add(info.iri)
    for name in names:
        found = by_name.get(name.lower())
        if not found:
            import difflib

            close = difflib.get_close_matches(name.lower(), list(by_name), n=3)
            raise UnknownNameError("relation type", name, close)
        wanted |= found
    return wanted


def _fold_map(graph: nx.MultiDiGraph, types: dict[str, RelationInfo], keep: set[str]) -> dict[str, str]:
    # Each actor folds into the actor it acts for along the structural relations that fold (a
    # minister into its state, a consulate into its state), followed to the top. A collective
    # (protesters, citizens) is never folded, nor is an actor in ``keep``.
    parent: dict[str, str] = {}
    for a, b, data in sorted(graph.edges(data=True), key=lambda e: (e[0], e[1], e[2]["relation"])):
        if (
            types[data["relation"]].folds
            and a not in keep
            and graph.nodes[a].get("kind") != "Collective"
            and b in graph.nodes
            and graph.nodes[b].get("kind")
        ):
            parent.setdefault(a, b)
    top: dict[str, str] = {}
    for node in parent:
        seen, current = {node}, node
        while current in parent and parent[current] not in seen:
            current = parent[current]
            seen.add(current)
        top[node] = current
    return top


def project(
    store: Store,
    *,
    as_of: str | dt.date | None = None,
    since: str | dt.date | None = None,
    until: str | dt.date | None = None,
    relations: Iterable[str] | None = None,
    signs: Iterable[int | str] | None = None,
    claims: bool = True,
    fold: bool = True,
    structural: bool = False,
    unfold: Iterable[str] = (),
    each_report: bool = False,
    from_evidence: bool = False,
) -> nx.MultiDiGraph:
    """Project the knowledge graph onto a ``MultiDiGraph`` of actors, one edge per relation.

    Every event with an actor and a target gives one edge per target (a mediation gives one to
    each party); every standing relation gives one edge. Symmetric relations keep one edge with
    ``symmetric=True``.

    Parameters
    ----------
    store : Store
        Any engine.
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
        Count persons, bodies and missions as the state or organisation they act for: fold them
        along the structural relations marked ``dip:foldsInto`` (holds a post in, part of, mission
        of), never a collective (protesters, citizens). ``False`` keeps every actor apart.
    structural : bool, default False
        Keep the structural relations themselves (holds a post in, part of, mission of) as edges.
    unfold : iterable of str
        IRIs of actors kept apart when folding (the actors a question names: a path to a
        minister ends at the minister); each keeps its structural edges to what it acts for.
    each_report : bool, default False
        Give every report of one occurrence its own edge. By default the events that report
        the same occurrence (``dip:occurrence``: the same type, actor, targets and day, from
        several datasets or sources) give one edge, that of the first event IRI, with
        ``reports`` saying how many there were.
    from_evidence : bool, default False
        Count a standing relation the source presents as already existing (``dip:inForceBy``)
        only from its first evidence. By default it is in force before that day too, and its
        edge is marked ``before_evidence=True`` in a cut that counts it only so (see
        :mod:`kg._timecut`).

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

    Examples
    --------
    >>> import kg
    >>> store = kg.load()
    >>> before = project(store, as_of="2023-10-16", relations=["recallsDiplomatsFrom"])
    >>> after = project(store, as_of="2023-10-19", relations=["recallsDiplomatsFrom"])
    >>> before.number_of_edges(), after.number_of_edges()
    (0, 1)
    """
    cut = TimeCut.of(as_of, since, until, from_evidence=from_evidence)
    types = relation_types(store)
    wanted = _resolve_relations(relations, types) if relations is not None else None
    sign_set = _parse_signs(signs) if signs is not None else None
    contested = {row[0] for row in store.query_values(_CONTESTED)}

    graph = nx.MultiDiGraph(
        as_of=str(cut.as_of or ""),
        since=str(cut.since or ""),
        until=str(cut.until or ""),
        from_evidence=cut.from_evidence,
    )
    labels: dict[str, tuple[str, str]] = {}
    for actor, label, kind in store.query_values(_ACTORS):
        assert actor is not None and kind is not None
        name = label or short_iri(actor).split(":", 1)[-1].split("/")[-1]
        if actor not in labels or name < labels[actor][0]:
            labels[actor] = (name, kind.rsplit("#", 1)[-1])
    graph.add_nodes_from((actor, {"label": name, "kind": kind}) for actor, (name, kind) in labels.items())

    add_edge = graph.add_edge
    reported: dict[tuple[str, str | None, str | None], tuple[str, int]] = {}
    indexed = _netindex.add_edges(
        graph, store, types, contested, cut, wanted, sign_set,
        claims=claims, fold=fold, structural=structural, each_report=each_report,
    )  # fmt: skip
    for item, rows in ({} if indexed else _rows(store)).items():
        if len(rows) == 1:  # the common case: one type, one pair, one value of each
            _, type_, a, b, date, end, source, quote, claim, standing, occurrence, by, start, before = rows[0]
            if type_ not in types:
                continue  # an incident, or a CAMEO code the taxonomy lacks
            pairs: Iterable[tuple[str | None, str | None]] = ((a, b),)
            disputed = claim is not None and claim in contested
            if claim is None:
                claim = ""
        else:
            type_ = min((r[1] for r in rows if r[1] in types), default=None)
            if type_ is None:
                continue
            date, end, source, quote = (
                min((str(r[i]) for r in rows if r[i] is not None), default=None) for i in (4, 5, 6, 7)
            )
            pairs = sorted({(r[2], r[3]) for r in rows})
            found = {r[8] for r in rows if r[8] is not None}
            against = sorted(found & contested)
            disputed = bool(against)
            claim = against[0] if against else min(found, default="")
            standing, by, start, before = rows[0][9], *rows[0][11:14]
            occurrence = min((r[10] for r in rows if r[10] is not None), default=None)
        is_standing = standing == "true"
        open_start = is_standing and by is not None and start is None
        if date is None and not is_standing:
            continue  # an event with no date
        info = types[type_]
        if info.structural and not structural and not fold:
            continue
        if not info.structural and (
            (wanted is not None and type_ not in wanted) or (sign_set is not None and info.sign not in sign_set)
        ):
            continue
        if cut and not in_force(cut, date, end, standing=is_standing, open_start=open_start, before=before):
            continue
        if disputed and not claims:
            continue
        for a, b in pairs:
            for node in (a, b):
                if node not in graph:
                    graph.add_node(node, label=short_iri(str(node)).split(":", 1)[-1].split("/")[-1], kind="")
            if occurrence is not None and not each_report:
                seen = reported.get((occurrence, a, b))
                if seen is not None:  # another report of an occurrence: counted once
                    first, count = seen
                    if item < first:  # keep the first event IRI's edge, whatever the order read
                        graph.remove_edge(a, b, key=f"{first}|{b}")
                    else:
                        graph.edges[a, b, f"{first}|{b}"]["reports"] = count + 1
                        reported[(occurrence, a, b)] = (first, count + 1)
                        continue
                    count += 1
                else:
                    count = 1
                reported[(occurrence, a, b)] = (item, count)
            else:
                count = 1
            add_edge(
                a,
                b,
                key=f"{item}|{b}",
                relation=type_,
                relation_label=info.label,
                sign=info.sign,
                goldstein=info.goldstein,
                date=date or "",
                end_date=end or "",
                event=item,
                source=source or "",
                quote=quote or "",
                symmetric=info.symmetric,
                standing=is_standing,
                structural=info.structural,
                contested=disputed,
                claim=claim,
                reports=count,
                open_start=open_start,
                start_known=is_standing and start is not None,
                before=before or "",
                before_evidence=open_start and before_evidence(cut, date, end, open_start=True, before=before),
            )
    graph.graph.update(claims=claims, fold=fold)
    if fold:
        graph = _fold(graph, types, keep_structural=structural, keep={str(x) for x in unfold})
    if sign_set is not None or wanted is not None:
        drop = [
            (a, b, k)
            for a, b, k, d in graph.edges(keys=True, data=True)
            if (wanted is not None and d["relation"] not in wanted)
            or (sign_set is not None and d["sign"] not in sign_set)
        ]
        graph.remove_edges_from(drop)
    # The network is one of relations: an actor with none in the cut (a publisher) is left out.
    graph.remove_nodes_from([n for n in list(graph) if graph.degree(n) == 0])
    log.info("projected %d actors and %d edges", graph.number_of_nodes(), graph.number_of_edges())
    return graph


def given_options(options: Mapping[str, Any]) -> list[str]:
    """Return the names of the options that differ from :func:`project`'s defaults, sorted.

    What a caller handed a graph already projected may not also give (it would be ignored).

    Examples
    --------
    >>> given_options({"as_of": None, "fold": True, "claims": False})
    ['claims']
    """
    return sorted(k for k, v in options.items() if v is not None and v != _PROJECT_DEFAULTS.get(k))


def describe_view(graph: nx.Graph) -> str:
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


def _long_form(store: Store) -> bool:
    # rdflib evaluates OPTIONAL slowly, and Oxigraph on disk pays a random read for each of its
    # lookups: both read the long form (range scans) faster. Oxigraph in memory and endpoints
    # (fewer rows to send) read the wide one.
    return isinstance(store, MemoryStore) or (isinstance(store, OxigraphStore) and store.path is not None)


_Row = tuple[str | None, ...]
"""A row of :data:`_EDGES`: item, type, actor, target, date, end, source, quote, claim, standing,
occurrence, in-force-by day, start date, before day (the last three for standing relations)."""


def _rows(store: Store) -> dict[str, list[_Row]]:
    """Run the projection's one SELECT and gather its rows by event or standing relation.

    An item has one row in the common case; more when it has several targets, claims or (in
    bad data) several values of a property: the projection then keeps the smallest.
    """
    items: dict[str, list[_Row]] = {}
    if not _long_form(store):
        for row in store.query_values(_EDGES):
            found = items.get(row[0])  # type: ignore[arg-type]
            if found is None:
                items[row[0]] = [row]  # type: ignore[index]
            else:
                found.append(row)
        return items
    # The long rows of _EDGES_LONG, pivoted into the rows of _EDGES.
    cores: dict[str, list[tuple[str, str, str, bool]]] = defaultdict(list)
    props: dict[str, dict[str, list[str]]] = defaultdict(lambda: defaultdict(list))
    for item, p, x, a, b, sa, sb in store.query_values(_EDGES_LONG):
        assert item is not None and x is not None
        if p is not None:
            props[item][_P[p]].append(x)
        elif a is not None and b is not None:
            cores[item].append((x, a, b, False))
        elif sa is not None and sb is not None:
            cores[item].append((x, sa, sb, True))
    for item, core in cores.items():
        values = props.get(item, {})

        def first(name: str, values: dict[str, list[str]] = values) -> str | None:
            return min(values[name]) if values.get(name) else None

        standing = core[0][3]
        date = (first("startDate") or first("inForceBy") or first("observedOn")) if standing else first("date")
        claims: list[str | None] = []
        if not standing:
            claims.extend(
                sorted(
                    {
                        c
                        for name in ("assertsClaim", "disputesClaim", "endorsesClaim", "presupposesClaim")
                        for c in values.get(name, ())
                    }
                )
            )
        extra = (first("inForceBy"), first("startDate"), first("before")) if standing else (None, None, None)
        items[item] = [
            (
                item,
                type_,
                a,
                b,
                date,
                first("endDate"),
                first("source"),
                first("quote"),
                claim,
                "true" if is_standing else "false",
                first("occurrence"),
                *extra,
            )
            for type_, a, b, is_standing in core
            for claim in (claims or [None])
        ]
    return items


def _parse_signs(signs: Iterable[int | str]) -> set[int]:
    names = {
        "+": 1,
        "1": 1,
        "cooperative": 1,
        "positive": 1,
        "-": -1,
        "-1": -1,
        "conflictual": -1,
        "negative": -1,
        "0": 0,
        "neutral": 0,
    }
    result = set()
    for sign in signs:
        key = str(sign).strip().lower()
        if key not in names:
            raise InputError(f"unknown sign {sign!r}: use +, -, 0 (cooperative, conflictual, neutral)")
        result.add(names[key])
    return result


def _fold(
    graph: nx.MultiDiGraph, types: dict[str, RelationInfo], *, keep_structural: bool, keep: set[str]
) -> nx.MultiDiGraph:
    top = _fold_map(graph, types, keep)
    folded = nx.MultiDiGraph(**graph.graph)
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


def collapse(graph: nx.MultiDiGraph, *, directed: bool = True) -> nx.DiGraph | nx.Graph:
    """Collapse parallel edges into one edge per ordered (or, ``directed=False``, unordered) pair.

    Each edge then carries ``count``, ``tone_sum`` and ``tone_mean`` (of the Goldstein values),
    ``sign`` (of the tone, or of the relations when no value is known), ``relations`` (the
    relation labels, in order of first date), ``events`` (the event IRIs in date order),
    ``contested`` (any edge contested) and ``first_date`` / ``last_date``.

    Examples
    --------
    >>> import networkx as nx
    >>> g = nx.MultiDiGraph()
    >>> g.add_edge("a", "b", relation="r", relation_label="condemns", sign=-1, goldstein=-2.0,
    ...            date="2023-10-17", event="e1", contested=False)
    0
    >>> g.add_edge("a", "b", relation="r", relation_label="condemns", sign=-1, goldstein=-4.0,
    ...            date="2023-10-18", event="e2", contested=False)
    1
    >>> c = collapse(g)
    >>> c["a"]["b"]["count"], c["a"]["b"]["tone_mean"]
    (2, -3.0)
    """
    result: nx.DiGraph | nx.Graph = nx.DiGraph() if directed else nx.Graph()
    result.graph.update(graph.graph)
    result.add_nodes_from(graph.nodes(data=True))
    grouped: dict[tuple[Any, Any], list[dict[str, Any]]] = defaultdict(list)
    if graph.is_directed():  # each edge once, read through the adjacency (parallel edges together)
        for a, nbrs in graph.adj.items():
            for b, keyed in nbrs.items():
                pair = (a, b) if directed or str(a) <= str(b) else (b, a)
                grouped[pair].extend(keyed.values())
    else:
        for a, b, data in graph.edges(data=True):
            grouped[(a, b) if str(a) <= str(b) else (b, a)].append(data)
    add_edge = result.add_edge
    for (a, b), edges in grouped.items():
        if len(edges) > 1:
            edges.sort(key=_date_event)
        tone_sum, tones, signs, contested, last = 0.0, 0, 0, False, ""
        for d in edges:
            value = d.get("goldstein")
            if value is not None:
                tone_sum += value
                tones += 1
            signs += d["sign"]
            contested = contested or bool(d.get("contested"))
            date = d.get("date", "")
            if date > last:
                last = date
        sign = (
            (1 if tone_sum > 0 else -1 if tone_sum < 0 else 0)
            if tones
            else (1 if signs > 0 else -1 if signs < 0 else 0)
        )
        add_edge(
            a,
            b,
            count=len(edges),
            tone_sum=tone_sum,
            tone_mean=tone_sum / tones if tones else 0.0,
            sign=sign,
            relations=list(dict.fromkeys(d["relation_label"] for d in edges)),
            events=[d["event"] for d in edges],
            contested=contested,
            first_date=edges[0].get("date", ""),
            last_date=last,
            weight=len(edges),
        )
    return result


def _date_event(data: dict[str, Any]) -> tuple[str, str]:
    return data.get("date", ""), data.get("event", "")


_PROJECT_DEFAULTS = {
    name: parameter.default
    for name, parameter in inspect.signature(project).parameters.items()
    if parameter.default is not inspect.Parameter.empty
}
