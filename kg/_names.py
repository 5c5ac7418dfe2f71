"""Names to IRIs: the one resolver for actors, relation types and events.

Every name a user writes (an actor for ``kg path``, a relation type for ``project(relations=)``,
a query parameter, a cell of an event table) is read by the same rules:

- **Tiers**, strongest first: the IRI (``<https://...>``, ``https://...``, or a prefixed name
  such as ``dip:recallsDiplomatsFrom`` or ``id:turkey``), a label (``rdfs:label``,
  ``skos:prefLabel``), an alias (``skos:altLabel``), the local name of the IRI, a code (a CAMEO
  code for a relation type; ``dip:actorCode`` such as a country code, or a Wikidata ID, for an
  actor). The first tier where the name is found decides.
- **Folding**: runs of spaces, case and accents do not matter (``"  erdoğan"`` is ``"Erdogan"``;
  see :func:`fold`).
- **Ambiguity**: two things named alike in the deciding tier are an
  :class:`~kg._errors.InputError` that lists them; give the label or the IRI instead.
- **Unknown names**: an :class:`~kg._errors.UnknownNameError` with the closest names, one per thing,
  each a name that resolves.

:class:`NameIndex` holds the names of one kind of thing; :func:`type_index` reads those of the
relation types of a store, :func:`resolve_event` looks an event up (events may be millions, so
they are looked up by IRI and label in the store first, and read whole only when that fails).
The actors' index, :class:`kg._actors.ActorIndex`, is a :class:`NameIndex` too.
"""

from __future__ import annotations

import difflib
import re
import unicodedata
import weakref
from collections import defaultdict
from collections.abc import Iterable, Iterator

from rdflib import Literal, URIRef

from kg._errors import InputError, UnknownNameError
from kg._namespace import ID, PREFIXES
from kg._store import MemoryStore, Store
from kg._tabular import short_iri

__all__ = [
    "TIERS",
    "NameIndex",
    "as_iri",
    "expand",
    "fold",
    "local_name",
    "resolve_event",
    "resolve_types",
    "type_index",
]

TIERS = ("iri", "label", "alias", "local name", "code")
"""The ways a name binds, strongest first."""

_IRI, _LABEL, _ALIAS, _LOCAL, _CODE = range(len(TIERS))
_NOT_IN_IRI = re.compile(r'[\x00-\x20<>"{}|^`\\]')


def fold(text: str) -> str:
    """Fold a name for lookup: spaces collapsed, case and accents ignored.

    Examples
    --------
    >>> fold("  Recep Tayyip   ERDOĞAN ") == fold("recep tayyip erdogan")
    True
    """
    text = " ".join(str(text).split()).casefold()
    if text.isascii():
        return text
    return "".join(c for c in unicodedata.normalize("NFKD", text) if not unicodedata.combining(c))


def expand(text: str) -> str:
    """Return the IRI a name spells, or the name itself.

    ``<...>`` loses its brackets; ``prefix:local`` with one of the package's prefixes
    (:data:`kg._namespace.PREFIXES`) is expanded.

    Examples
    --------
    >>> expand("id:turkey"), expand("<https://example.org/a>"), expand("Turkey")
    ('https://w3id.org/dipkg/id/turkey', 'https://example.org/a', 'Turkey')
    """
    text = str(text).strip()
    if text.startswith("<") and text.endswith(">"):
        return text[1:-1].strip()
    prefix, sep, local = text.partition(":")
    if sep and local and prefix in PREFIXES and not local.startswith("//") and not any(c.isspace() for c in local):
        return PREFIXES[prefix] + local
    return text


def as_iri(text: str) -> URIRef | None:
    """Return the IRI ``text`` writes (``<...>``, ``scheme://...``, ``prefix:local``), or None.

    Raises
    ------
    InputError
        For an IRI holding characters no IRI may hold (a space, ``<``, ``"``...).

    Examples
    --------
    >>> as_iri("dip:condemns")
    rdflib.term.URIRef('https://w3id.org/dipkg/ns#condemns')
    >>> as_iri("Turkey") is None
    True
    """
    text = str(text).strip()
    expanded = expand(text)
    if expanded != text or (text.startswith("<") and text.endswith(">")):
        return _valid_iri(expanded)
    if re.match(r"^[a-z][a-z0-9+.-]*://", text):
        return _valid_iri(text)
    return None


def _valid_iri(text: str) -> URIRef:
    bad = sorted(set(_NOT_IN_IRI.findall(text)))
    if bad:
        raise InputError(
            f"{text!r} is not a valid IRI: it holds {', '.join(repr(c) for c in bad)}; "
            "percent-encode them (a space is %20)"
        )
    return URIRef(text)


def local_name(iri: str) -> str:
    """Return the last segment of an IRI (after the last ``/``, ``#`` or prefix colon).

    Examples
    --------
    >>> local_name("https://w3id.org/dipkg/ns#recallsDiplomatsFrom"), local_name("id:event/recall")
    ('recallsDiplomatsFrom', 'recall')
    """
    return re.split(r"[/#]", short_iri(str(iri)).split(":", 1)[-1].rstrip("/#"))[-1]


class NameIndex:
    """Every name of one kind of thing (actors, relation types, events) and what it names.

    Parameters
    ----------
    kind : str
        What the things are, as errors say it: ``"actor"``, ``"relation type"``, ``"event"``.

    Examples
    --------
    >>> index = NameIndex("relation type")
    >>> index.add_thing("https://example.org/t/snubs", labels=["snubs"], aliases=["cold-shoulders"], codes=["999"])
    >>> index.resolve("Cold-Shoulders") == index.resolve("999") == index.resolve("<https://example.org/t/snubs>")
    True
    """

    def __init__(self, kind: str):
        self.kind = kind
        self._iris: set[str] = set()
        self._names: dict[str, dict[int, set[str]]] = {}
        self._spelled: dict[str, str] = {}
        self._shown: dict[str, tuple[int, str]] = {}

    # ------------------------------------------------------------ building

    def add(self, iri: str, name: str, tier: str) -> None:
        """Record that ``name`` names ``iri`` in ``tier`` (one of :data:`TIERS`)."""
        strength = TIERS.index(tier)
        iri = str(iri)
        self._iris.add(iri)
        key = fold(name)
        if not key:
            return
        self._names.setdefault(key, defaultdict(set))[strength].add(iri)
        self._spelled.setdefault(key, " ".join(str(name).split()))
        if strength in (_LABEL, _ALIAS, _LOCAL) and (iri not in self._shown or (strength, name) < self._shown[iri]):
            self._shown[iri] = (strength, str(name))

    def add_thing(
        self,
        iri: str,
        *,
        labels: Iterable[str] = (),
        aliases: Iterable[str] = (),
        codes: Iterable[str] = (),
    ) -> None:
        """Record a thing with all its names: its IRI (full and prefixed), labels, aliases, local name, codes."""
        iri = str(iri)
        self.add(iri, iri, "iri")
        self.add(iri, short_iri(iri), "iri")
        for label in labels:
            self.add(iri, label, "label")
        for alias in aliases:
            self.add(iri, alias, "alias")
        self.add(iri, local_name(iri), "local name")
        for code in codes:
            self.add(iri, code, "code")

    # ------------------------------------------------------------ reading

    def __contains__(self, iri: object) -> bool:
        return str(iri) in self._iris

    def __len__(self) -> int:
        return len(self._iris)

    def __iter__(self) -> Iterator[str]:
        return iter(sorted(self._iris))

    def display(self, iri: str) -> str:
        """Return the name to show for ``iri``: its first label, else alias, else local name."""
        shown = self._shown.get(str(iri))
        return shown[1] if shown else local_name(str(iri))

    def lookup(self, name: str) -> tuple[list[str], str]:
        """Return what ``name`` names in the strongest tier that has it, and that tier (``[]``, ``""``: nothing).

        Examples
        --------
        >>> index = NameIndex("actor")
        >>> index.add_thing("https://example.org/a", labels=["Ruritania"], aliases=["the north"])
        >>> index.add_thing("https://example.org/b", labels=["Borduria"], aliases=["The North"])
        >>> index.lookup("ruritania"), index.lookup("the  NORTH")
        ((['https://example.org/a'], 'label'), (['https://example.org/a', 'https://example.org/b'], 'alias'))
        """
        expanded = expand(name)
        if expanded in self._iris:
            return [expanded], "iri"
        found = self._names.get(fold(expanded)) or self._names.get(fold(name))
        if not found:
            return [], ""
        strength = min(found)
        return sorted(found[strength]), TIERS[strength]

    def resolve(self, name: str) -> URIRef:
        """Return the IRI of the one thing ``name`` names.

        Raises
        ------
        UnknownNameError
            When nothing goes by that name, with the closest names as suggestions.
        InputError
            When the name is ambiguous (several things share it in its strongest tier).
        """
        name = str(name).strip()
        found, tier = self.lookup(name)
        if len(found) == 1:
            return URIRef(found[0])
        if found:
            found.sort(key=lambda iri: (fold(self.display(iri)), iri))
            shown = ", ".join(f"{self.display(i)} <{i}>" for i in found[:8])
            more = f" and {len(found) - 8} more" if len(found) > 8 else ""
            raise InputError(
                f"{self.kind} name {name!r} is ambiguous: it names {shown}{more} (as their {tier}); "
                "give the label or the IRI of the one you mean"
            )
        raise UnknownNameError(self.kind, name, self.suggest(name))

    def suggest(self, name: str, *, n: int = 3) -> list[str]:
        """Return up to ``n`` names that look like ``name``, closest first, one per thing.

        Labels, aliases and local names are offered (IRIs too when ``name`` looks like one); a
        word of a longer name counts as close (``fidan``: ``Hakan Fidan``).
        """
        key = fold(name)
        iri_like = ":" in key
        names = [
            k for k, found in self._names.items() if (iri_like or ":" not in k) and (min(found) < _CODE or iri_like)
        ]
        close = difflib.get_close_matches(key, names, n=4 * n, cutoff=0.6)
        if key:
            close += [k for k in sorted(names) if key in k and k not in close]
        result: list[str] = []
        seen: set[str] = set()
        for k in close:
            found = self._names[k]
            iris = found[min(found)]
            if iris & seen:
                continue
            seen |= iris
            result.append(self._spelled[k])
        return result[:n]


# ---------------------------------------------------------------- relation types

_TYPE_NAMES = """
SELECT DISTINCT ?node ?name ?how WHERE {
    VALUES ?class { dip:RelationType dip:CameoCode dip:IncidentType }
    ?node a ?class .
    OPTIONAL {
        { ?node skos:prefLabel ?name BIND ("label" AS ?how) }
        UNION { ?node rdfs:label ?name BIND ("label" AS ?how) }
        UNION { ?node skos:altLabel ?name BIND ("alias" AS ?how) }
        UNION { ?node dip:cameoCode ?name BIND ("code" AS ?how) }
    }
}
"""
_TIER_OF = {"label": "label", "alias": "alias", "code": "code"}
_TYPE_CACHE: weakref.WeakKeyDictionary[Store, tuple[int, NameIndex]] = weakref.WeakKeyDictionary()


def type_index(store: Store) -> NameIndex:
    """Return the names of every relation type, incident type and CAMEO concept of ``store``.

    Labels (``skos:prefLabel``, ``rdfs:label``), aliases (``skos:altLabel``), local names and
    CAMEO codes (``dip:cameoCode``). On the in-memory engine the index is kept until the number
    of triples changes (rdflib takes a tenth of a second to read the CAMEO scheme).

    Examples
    --------
    >>> import kg
    >>> index = type_index(kg.load())
    >>> index.resolve("recalls") == index.resolve("dip:recallsDiplomatsFrom")
    True
    >>> str(index.resolve("161"))  # the CAMEO concept: its local name beats the types with that code
    'https://w3id.org/dipkg/cameo/161'
    """
    size = len(store) if isinstance(store, MemoryStore) else -1
    cached = _TYPE_CACHE.get(store) if size >= 0 else None
    if cached is not None and cached[0] == size:
        return cached[1]
    index = NameIndex("relation type")
    names: dict[str, dict[str, list[str]]] = defaultdict(lambda: defaultdict(list))
    for node, name, how in store.query_values(_TYPE_NAMES):
        assert node is not None
        entry = names[node]  # a type with no name still has its IRI and local name
        if name is not None and how is not None:
            entry[_TIER_OF[how]].append(name)
    for node in sorted(names):
        found = names[node]
        index.add_thing(node, labels=sorted(found["label"]), aliases=sorted(found["alias"]), codes=found["code"])
    if size >= 0:
        _TYPE_CACHE[store] = (size, index)
    return index


def resolve_types(store: Store, names: Iterable[str]) -> set[str]:
    """Return the IRIs of the relation types ``names`` name (by :func:`type_index`'s rules).

    Raises
    ------
    UnknownNameError
        For a name no type has, with the closest names.
    InputError
        For a name several types share.

    Examples
    --------
    >>> import kg
    >>> sorted(resolve_types(kg.load(), ["recalls", "CONDEMNS"]))
    ['https://w3id.org/dipkg/ns#condemns', 'https://w3id.org/dipkg/ns#recallsDiplomatsFrom']
    """
    index = type_index(store)
    return {str(index.resolve(name)) for name in names}


# ---------------------------------------------------------------- events

_EVENT_BY_IRI = "SELECT ?node WHERE { ?node a dip:Event . }"
_EVENT_BY_LABEL = """
SELECT DISTINCT ?node WHERE {
    ?node a dip:Event ; rdfs:label ?name .
    FILTER (LCASE(STR(?name)) = ?wanted)
}"""
_EVENT_LABELS = "SELECT ?node ?name WHERE { ?node a dip:Event . OPTIONAL { ?node rdfs:label ?name } }"


def resolve_event(store: Store, name: str) -> URIRef:
    """Return the IRI of the event ``name`` names: its IRI, prefixed name, local name or label.

    A bare local name is tried as ``id:NAME`` and ``id:event/NAME``. Events are looked up in
    the store by IRI, then by label (case ignored); only when both fail are every event's
    labels read, to fold accents and suggest the closest.

    Raises
    ------
    UnknownNameError
        When no event has that name.
    InputError
        When several events share the label.

    Examples
    --------
    >>> import kg
    >>> store = kg.load()
    >>> resolve_event(store, "recall-2023-10-19") == resolve_event(store, "id:event/recall-2023-10-19")
    True
    """
    text = str(name).strip()
    iri = as_iri(text)
    if iri is not None:
        tries = [iri]
    else:
        tries = [] if any(c.isspace() for c in text) else [ID[text], ID[f"event/{text}"]]
    for candidate in tries:
        if store.query(_EVENT_BY_IRI, bindings={"node": candidate}).rows:
            return candidate
    rows = store.query(_EVENT_BY_LABEL, bindings={"wanted": Literal(text.lower())}).rows
    found = sorted({str(row[0]) for row in rows if isinstance(row[0], URIRef)})
    if len(found) == 1:
        return URIRef(found[0])
    index = NameIndex("event")
    for node, label in store.query_values(_EVENT_LABELS):
        assert node is not None
        index.add_thing(node, labels=[label] if label else [])
    try:
        return index.resolve(text)
    except UnknownNameError as exc:
        raise UnknownNameError(
            "event", text, exc.suggestions, hint="give its IRI (id:event/...), its local name or its label"
        ) from None
