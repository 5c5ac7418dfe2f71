"""The relation types of a store's taxonomy (and CAMEO codes), as the projection reads them.

:func:`relation_types` reads what the taxonomy says of each type (sign, Goldstein value,
symmetric, structural, standing, folds); the names a user gives are read by the one resolver,
:func:`kg._names.resolve_types`.
"""

from __future__ import annotations

import weakref
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass

from rdflib.namespace import SKOS

from kg._namespace import DIP
from kg._store import MemoryStore, Store
from kg._tabular import short_iri

__all__ = ["PROPERTIES", "SIGN_VALUES", "RelationInfo", "relation_types"]

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

PROPERTIES: dict[str, str] = {
    str(getattr(DIP, name)): name
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
PROPERTIES[str(SKOS.prefLabel)] = "label"
"""The local name of each property the long-form queries read, by IRI (``skos:prefLabel``: ``label``)."""


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
        name = "class" if p == "class" else PROPERTIES[p]
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
