"""Actor-to-actor edges derived from events and standing relations, never typed twice.

An event ``?e dip:eventType dip:recallsDiplomatsFrom ; dip:actor :israel ; dip:target :turkey``
yields the triple ``:israel dip:recallsDiplomatsFrom :turkey``; a symmetric type yields both
directions; a standing relation yields ``subject type object``. The relation type's IRI is the
edge's property. The edges go to the derived graph (:data:`kg._graphs.DERIVED_GRAPH`), never to
the asserted one; an edge the data already states (or derived before) is not added again, so the
store's graphs stay disjoint (:mod:`kg._graphs`).
"""

from __future__ import annotations

from kg._graphs import DERIVED_GRAPH
from kg._store import Store

__all__ = ["DERIVE_WHERE", "derive"]

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
