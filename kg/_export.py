"""Writing the network out: GraphML and GEXF for Gephi and Cytoscape, CSV edge lists, RDF.

:func:`export` writes a projection (or a collapsed graph) atomically: to a temporary file in the
target's folder, renamed over the target only once complete, so a failed export leaves no file
and never a half-written one. :func:`clean` gives the graph as GraphML and GEXF store it.
"""

from __future__ import annotations

import csv
import datetime as dt
import json
import logging
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any

import networkx as nx
from rdflib import RDF, RDFS, Graph, Literal, URIRef
from rdflib.term import Node

from kg._errors import InputError, KGError
from kg._files import atomic_write
from kg._namespace import DIP, PREFIXES
from kg._store import Store

__all__ = ["EXPORT_FORMATS", "clean", "export"]

log = logging.getLogger(__name__)

EXPORT_FORMATS = ("graphml", "gexf", "csv", "ttl", "nt", "jsonld")
"""The formats :func:`export` writes."""

_SUFFIXES = {
    ".graphml": "graphml",
    ".gexf": "gexf",
    ".csv": "csv",
    ".ttl": "ttl",
    ".nt": "nt",
    ".jsonld": "jsonld",
    ".json": "jsonld",
}
_RDFLIB = {"ttl": "turtle", "nt": "nt", "jsonld": "json-ld"}
_CHUNK = 500  # events per CONSTRUCT query


# ---------------------------------------------------------------- cleaning attributes


def _scalar(value: Any) -> Any:
    """Return a value GraphML and GEXF can hold: str, int, float or bool (None stays None)."""
    if value is None or isinstance(value, (bool, int, float, str)):
        return str(value) if isinstance(value, Node) else value  # an rdflib term is a str
    if isinstance(value, (dt.date, dt.datetime)):
        return value.isoformat()
    if isinstance(value, dict):
        return json.dumps({str(k): _scalar(v) for k, v in value.items()}, sort_keys=True, ensure_ascii=False)
    if isinstance(value, (list, tuple, set, frozenset)):
        items = sorted(value, key=str) if isinstance(value, (set, frozenset)) else value
        return "; ".join(str(_scalar(v)) for v in items)
    return str(value)


def _unify(records: Iterable[dict[str, Any]]) -> None:
    """Give every attribute one type across ``records``, in place; drop None values.

    Numbers stay numbers (int promoted to float when both occur), booleans stay booleans, and
    an attribute with values of several kinds becomes text. A missing number is left out; a
    missing text is the empty string.

    >>> records = [{"n": 1, "b": True, "s": "x"}, {"n": 2.5, "b": None, "s": 3}, {"s": None}]
    >>> _unify(records)
    >>> records
    [{'n': 1.0, 'b': True, 's': 'x'}, {'n': 2.5, 's': '3'}, {'s': ''}]
    """
    records = list(records)
    kinds: dict[str, set[type]] = {}
    for record in records:
        for key, value in list(record.items()):
            value = _scalar(value)
            record[key] = value
            kinds.setdefault(key, set()).update(() if value is None else (type(value),))
    for key, types in kinds.items():
        target = _common_type(types)
        for record in records:
            if key in record:
                _convert(record, key, target)


def _common_type(types: set[type]) -> type:
    """Return the one type values of ``types`` are written as: bool, int, float or else str."""
    if types and types <= {bool}:
        return bool
    if types and types <= {int, float}:
        return float if float in types else int
    return str


def _convert(record: dict[str, Any], key: str, target: type) -> None:
    value = record[key]
    if value is None:
        if target is str:
            record[key] = ""
        else:
            del record[key]
    elif target is str and not isinstance(value, str):
        record[key] = str(value).lower() if isinstance(value, bool) else str(value)
    elif target is float:
        record[key] = float(value)


def clean(graph: nx.Graph[Any], *, format: str = "graphml") -> nx.Graph[Any]:
    """Return a copy of ``graph`` whose attributes GraphML and GEXF store and read back unchanged.

    No None (a missing number is left out, a missing text is ``""``), dates and RDF terms as
    text, lists as ``"; "``-joined text, dicts as JSON text, one type per attribute. For GEXF the
    edge key is also the edge's ``id`` and ``weight`` is a float, as the GEXF reader returns them.

    Examples
    --------
    >>> import networkx as nx
    >>> g = nx.MultiDiGraph(as_of=None)
    >>> _ = g.add_edge("a", "b", goldstein=None, events=["e1", "e2"], sign=-1)
    >>> _ = g.add_edge("a", "b", goldstein=-2, events=[], sign=1)
    >>> c = clean(g)
    >>> c.graph, sorted(c.edges(data=True), key=str)[0][2]
    ({'as_of': ''}, {'events': 'e1; e2', 'sign': -1})
    """
    result = graph.__class__()
    graph_attrs = dict(graph.graph)
    _unify([graph_attrs])
    result.graph.update(graph_attrs)
    nodes = [(n, dict(d)) for n, d in graph.nodes(data=True)]
    _unify(d for _, d in nodes)
    result.add_nodes_from((str(n), d) for n, d in nodes)
    edges: list[tuple[Any, Any, Any, dict[str, Any]]]
    if isinstance(graph, nx.MultiGraph):
        edges = [(u, v, k, dict(d)) for u, v, k, d in graph.edges(keys=True, data=True)]
    else:
        edges = [(u, v, f"{u}|{v}", dict(d)) for u, v, d in graph.edges(data=True)]
    if format == "gexf":
        for _, _, key, data in edges:
            data["id"] = str(key)
            if "weight" in data and data["weight"] is not None:
                data["weight"] = float(data["weight"])
    _unify(d for _, _, _, d in edges)
    if isinstance(result, nx.MultiGraph):  # (u, v, key, data): a 4-tuple networkx's stubs do not type
        result.add_edges_from((str(u), str(v), str(k), d) for u, v, k, d in edges)  # type: ignore[misc]
    else:
        result.add_edges_from((str(u), str(v), d) for u, v, _, d in edges)
    return result


# ---------------------------------------------------------------- writing


def _csv(graph: nx.Graph[Any], path: Path) -> None:
    first = ["from", "from_label", "to", "to_label"]
    preferred = [
        "relation",
        "relation_label",
        "sign",
        "goldstein",
        "date",
        "end_date",
        "event",
        "source",
        "quote",
        "symmetric",
        "standing",
        "structural",
        "contested",
        "claim",
        "reports",
        "actor",
        "target",
        "count",
        "tone_sum",
        "tone_mean",
        "relations",
        "events",
        "first_date",
        "last_date",
    ]
    edges = list(graph.edges(data=True))
    present = {k for _, _, d in edges for k in d}
    columns = [c for c in preferred if c in present] + sorted(present - set(preferred) - {"weight"})
    with path.open("w", encoding="utf-8", newline="") as out:
        writer = csv.writer(out, lineterminator="\n")
        writer.writerow(first + columns)
        for u, v, data in edges:
            row = [u, graph.nodes[u].get("label", ""), v, graph.nodes[v].get("label", "")]
            row += ["" if data.get(c) is None else _scalar(data.get(c)) for c in columns]
            writer.writerow(row)


def _rdf(graph: nx.Graph[Any], store: Store | None) -> Graph:
    if not isinstance(graph, nx.MultiDiGraph):
        raise InputError(
            "RDF export needs the projection itself (a MultiDiGraph of kg._network.project), "
            "not a collapsed graph: its edges are relations with their events"
        )
    if store is None:
        raise InputError("RDF export writes the events behind the edges, read from the store: pass store=")
    out = Graph()
    for prefix, namespace in PREFIXES.items():
        out.bind(prefix, namespace)
    for triple in _actor_triples(graph):
        out.add(triple)
    items: set[str] = set()
    for u, v, data in graph.edges(data=True):
        relation = URIRef(data["relation"])
        out.add((URIRef(u), relation, URIRef(v)))
        if data.get("symmetric"):
            out.add((URIRef(v), relation, URIRef(u)))
        if data.get("event"):
            items.add(str(data["event"]))
    for triple in _described(store, sorted(items)):
        out.add(triple)
    return out


def _actor_triples(graph: nx.MultiDiGraph[Any]) -> Iterator[tuple[Node, Node, Node]]:
    """Yield the type and the label of every node of ``graph`` that has them."""
    for node, data in graph.nodes(data=True):
        if data.get("kind"):
            yield URIRef(node), RDF.type, DIP[data["kind"]]
        if data.get("label"):
            yield URIRef(node), RDFS.label, Literal(data["label"])


def _described(store: Store, items: list[str]) -> Iterator[tuple[Node, Node, Node]]:
    """Yield every triple of ``items`` (events, standing relations) and of their blank nodes."""
    for start in range(0, len(items), _CHUNK):
        values = " ".join(f"<{iri}>" for iri in items[start : start + _CHUNK])
        result = store.query(
            "CONSTRUCT { ?item ?p ?o . ?o ?p2 ?o2 } WHERE { VALUES ?item { " + values + " } "
            "?item ?p ?o . OPTIONAL { ?o ?p2 ?o2 . FILTER (isBlank(?o)) } }"
        )
        assert result.graph is not None
        yield from result.graph


def export(graph: nx.Graph[Any], path: str | Path, *, format: str | None = None, store: Store | None = None) -> Path:
    """Write ``graph`` to ``path`` as GraphML, GEXF, a CSV edge list or RDF, atomically.

    Parameters
    ----------
    graph : networkx graph
        A projection (:func:`kg._network.project`) or a collapsed graph (:func:`kg.collapse`).
    path : str or Path
        The file to write; its folder must exist. An existing file is replaced only once the new
        one is complete.
    format : str, optional
        One of :data:`EXPORT_FORMATS`; by default from the file's suffix (``.graphml``,
        ``.gexf``, ``.csv``, ``.ttl``, ``.nt``, ``.jsonld``).
    store : Store, optional
        The store the projection came from: needed for RDF, which writes the derived
        actor-to-actor triples, the actors' types and labels, and every triple of the events
        and standing relations behind the edges.

    Returns
    -------
    Path
        The file written.

    Raises
    ------
    InputError
        For an unknown format, a missing folder, RDF without a store or from a collapsed graph,
        or a graph that cannot be written (nothing is then left at ``path``).

    Examples
    --------
    >>> import tempfile, networkx as nx
    >>> g = nx.MultiDiGraph()
    >>> _ = g.add_edge("a", "b", relation="r", goldstein=None)
    >>> folder = tempfile.mkdtemp()
    >>> path = export(g, f"{folder}/g.graphml")
    >>> sorted(nx.read_graphml(path).edges())
    [('a', 'b')]
    """
    path = Path(path)
    fmt = (format or _SUFFIXES.get(path.suffix.lower(), "")).lower()
    if fmt not in EXPORT_FORMATS:
        raise InputError(
            f"cannot tell the export format of {path}: give one of {', '.join(EXPORT_FORMATS)} "
            f"(or a file ending {', '.join(sorted(_SUFFIXES))})"
        )

    def write(temporary: Path) -> None:
        if fmt == "graphml":
            nx.write_graphml(clean(graph), str(temporary))
        elif fmt == "gexf":
            nx.write_gexf(clean(graph, format="gexf"), str(temporary))
        elif fmt == "csv":
            _csv(graph, temporary)
        else:
            rdf = _rdf(graph, store)
            options: dict[str, Any] = {}
            if fmt == "jsonld":  # the prefixes inline: nothing to fetch when the file is read
                options = {"context": dict(PREFIXES), "auto_compact": True}
            rdf.serialize(destination=str(temporary), format=_RDFLIB[fmt], encoding="utf-8", **options)

    try:
        atomic_write(path, write)
    except KGError:
        raise
    except Exception as exc:
        raise InputError(f"cannot write {path} as {fmt}: {exc}; nothing was written") from exc
    log.info("wrote %s (%s, %d nodes, %d edges)", path, fmt, graph.number_of_nodes(), graph.number_of_edges())
    return path
