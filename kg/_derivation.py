"""Actor-to-actor edges derived from events and standing relations, never typed twice.

An event ``?e dip:eventType dip:recallsDiplomatsFrom ; dip:actor :israel ; dip:target :turkey``
yields the triple ``:israel dip:recallsDiplomatsFrom :turkey``; a symmetric type yields both
directions; a standing relation yields ``subject type object``. The relation type's IRI is the
edge's property.
"""

from __future__ import annotations

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
    """Add the derived actor-to-actor triples to ``store``.

    Running it again adds nothing new (RDF graphs are sets).

    Examples
    --------
    >>> from kg._store import MemoryStore
    >>> store = MemoryStore()
    >>> store.update('''INSERT DATA { id:e dip:eventType dip:condemns ; dip:actor id:a ;
    ...                                     dip:target id:b . }''')
    >>> derive(store)
    >>> bool(store.query("ASK { id:a dip:condemns id:b }"))
    True
    """
    store.update("INSERT { ?a ?type ?b } WHERE " + DERIVE_WHERE)
