"""Actor-to-actor edges derived from events and standing relations, never typed twice.

An event ``?e dip:eventType dip:recallsDiplomatsFrom ; dip:actor :israel ; dip:target :turkey``
yields the triple ``:israel dip:recallsDiplomatsFrom :turkey``; a symmetric type yields both
directions; a standing relation yields ``subject type object``. The relation type's IRI is the
edge's property. The edges go to the derived graph (:data:`kg._graphs.DERIVED_GRAPH`), never to
the asserted one; an edge the data already states (or derived before) is not added again, so the
store's graphs stay disjoint (:mod:`kg._graphs`).
"""

from __future__ import annotations

import pyoxigraph as ox

from kg._graphs import ASSERTED_GRAPH, DERIVED_GRAPH, ONTOLOGY_GRAPH, SETTLE
from kg._loading import OX_FORMATS, ontology_files, parse_file
from kg._namespace import PREFIXES
from kg._store import MemoryStore, OxigraphStore, Store

__all__ = ["DERIVE_WHERE", "derive", "separate"]

DERIVE_WHERE = """
    {
        { ?event dip:eventType ?type ; dip:actor ?a ; dip:target ?b . }
        UNION
        { ?event dip:eventType ?type ; dip:actor ?b ; dip:target ?a . ?type dip:symmetric true . }
        UNION
        { ?state dip:relationType ?type ; dip:subject ?a ; dip:object ?b . }
        UNION
        { ?state dip:relationType ?type ; dip:subject ?b ; dip:object ?a . ?type dip:symmetric true . }
        FILTER (?a != ?b)
    }
"""
"""The pattern that binds ``?a ?type ?b`` for every derived edge."""


def derive(store: Store) -> None:
    """Add the derived actor-to-actor triples to the derived graph of ``store``.

    Running it again adds nothing new; an edge already in any graph of the dataset is left out.

    Examples
    --------
    >>> from kg._store import MemoryStore
    >>> store = MemoryStore()
    >>> store.update('''INSERT DATA { id:e dip:eventType dip:condemns ; dip:actor id:a ;
    ...                                     dip:target id:b . }''')
    >>> derive(store)
    >>> bool(store.query("ASK { id:a dip:condemns id:b }"))
    True
    >>> bool(store.query("ASK { GRAPH <https://w3id.org/dipkg/graph/derived> { id:a dip:condemns id:b } }"))
    True
    """
    # A CONSTRUCT over the dataset, not an INSERT ... WHERE: an update's WHERE reads only the
    # store's default graph on Oxigraph, and the data is in named graphs.
    store.add_constructed(
        "CONSTRUCT { ?a ?type ?b } WHERE { " + DERIVE_WHERE + " FILTER NOT EXISTS { ?a ?type ?b } }",
        into=DERIVED_GRAPH,
    )


_MOVE_DERIVED = f"""
DELETE {{ GRAPH <{ASSERTED_GRAPH}> {{ ?a ?type ?b }} }}
INSERT {{ GRAPH <{DERIVED_GRAPH}> {{ ?a ?type ?b }} }}
USING <{ONTOLOGY_GRAPH}> USING <{ASSERTED_GRAPH}> USING NAMED <{ASSERTED_GRAPH}>
WHERE {{ {DERIVE_WHERE} GRAPH <{ASSERTED_GRAPH}> {{ ?a ?type ?b }} }}
"""


def _separate_on_server(store: Store) -> None:
    """Separate the graphs of a SPARQL server as :func:`separate` does a local store's, by SPARQL Update."""
    if not store.query(f"ASK {{ GRAPH <{ONTOLOGY_GRAPH}> {{ ?s ?p ?o }} }}"):  # a team may have loaded it
        for path in ontology_files():
            store.add_graph(parse_file(path), into=ONTOLOGY_GRAPH)
    store.update(SETTLE)
    store.update(_MOVE_DERIVED)


def separate(store: Store | ox.Store) -> None:
    """Put each triple of a store written as one graph into its graph (:mod:`kg._graphs`).

    For a store whose triples were written together: a store of layout 1 (everything in its
    default graph), or the stream of ``kg ingest`` (ontology, data and derived edges in the
    asserted graph). The default graph's triples go to the asserted graph; the ontology's (as
    its files have them) to the ontology's graph; the actor-to-actor edges the derivation yields
    to the derived graph (an edge the data also stated is then read as derived: the two cannot
    be told apart once written together, and the derivation would give it anyway). An Oxigraph
    store (or pyoxigraph's own), an rdflib one, or a server (by SPARQL Update; its own default
    graph, the union of all its graphs on Virtuoso, is left as it is).

    Examples
    --------
    >>> store = OxigraphStore()
    >>> store.update("INSERT DATA { id:e dip:eventType dip:condemns ; dip:actor id:a ; dip:target id:b . "
    ...              "id:a dip:condemns id:b . dip:condemns a dip:RelationType }")
    >>> separate(store)
    >>> condemns = ox.NamedNode("https://w3id.org/dipkg/ns#condemns")
    >>> [q.graph_name.value.rsplit("/", 1)[1] for q in store.ox.quads_for_pattern(None, condemns, None)]
    ['derived']
    """
    engine = store.ox if isinstance(store, OxigraphStore) else store
    if isinstance(engine, ox.Store):
        engine.update("ADD DEFAULT TO <" + ASSERTED_GRAPH + "> ; CLEAR DEFAULT")
        for path in ontology_files():
            engine.load(path=str(path), format=OX_FORMATS[path.suffix], to_graph=ox.NamedNode(ONTOLOGY_GRAPH))
        engine.update(SETTLE)
        engine.update(_MOVE_DERIVED, prefixes=PREFIXES)
        return
    if not isinstance(store, MemoryStore):
        assert isinstance(store, Store)
        _separate_on_server(store)
        return
    default, asserted = store.graph.default_graph, store.named(ASSERTED_GRAPH)
    asserted.addN((s, p, o, asserted) for s, p, o in default)
    default.remove((None, None, None))
    ontology = store.named(ONTOLOGY_GRAPH)
    if not len(ontology):
        for path in ontology_files():
            parse_file(path, ontology)
    store.keep_disjoint()
    found = store.query(
        f"CONSTRUCT {{ ?a ?type ?b }} WHERE {{ {DERIVE_WHERE} GRAPH <{ASSERTED_GRAPH}> {{ ?a ?type ?b }} }}"
    ).graph
    assert found is not None
    for triple in found:
        asserted.remove(triple)
    store.add_graph(found, into=DERIVED_GRAPH)
