"""Actors by name: the actors of a graph, and their names read by :mod:`kg._names`' rules.

Every command that takes an actor's name (``kg path``, ``kg dyad``, ``kg draw --around``, a query
parameter) resolves it here: IRI, label, alias, local name or code (``dip:actorCode``, a Wikidata
ID), any case, accents folded, with the closest names suggested on failure.
"""

from __future__ import annotations

import logging
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from rdflib import URIRef

from kg._names import NameIndex, local_name
from kg._namespace import ACTOR_KIND, PREFIXES
from kg._store import Store
from kg._tabular import short_iri

__all__ = ["Actor", "ActorIndex", "actor_index", "resolve_actor"]

log = logging.getLogger(__name__)

_ACTORS = f"""
SELECT ?actor ?kind ?label ?alias WHERE {{
    {ACTOR_KIND}
    OPTIONAL {{ ?actor rdfs:label ?label }}
    OPTIONAL {{ ?actor skos:prefLabel|skos:altLabel ?alias }}
}}
"""
_CODES = "SELECT ?actor ?code WHERE { ?actor dip:actorCode|schema:sameAs ?code }"


@dataclass(frozen=True)
class Actor:
    """One actor: IRI, label, most specific class (``State``, ``Person``, ...), aliases and codes."""

    iri: str
    label: str
    kind: str = ""
    aliases: tuple[str, ...] = ()
    codes: tuple[str, ...] = ()
    """``dip:actorCode`` values (``TUR``) and the IRIs it is ``schema:sameAs`` (a Wikidata entity)."""


class ActorIndex(NameIndex):
    """Every actor of a graph by IRI, and every name that points at one (a :class:`~kg._names.NameIndex`).

    Build it with :func:`actor_index` (from a store: labels, aliases, codes) or
    :meth:`from_graph` (from a projected network: labels only).

    Attributes
    ----------
    actors : dict of str to Actor
        The actors by IRI.
    """

    def __init__(self) -> None:
        super().__init__("actor")
        self.actors: dict[str, Actor] = {}

    @classmethod
    def from_actors(cls, actors: Iterable[Actor]) -> ActorIndex:
        """Return the index of ``actors``."""
        index = cls()
        for actor in actors:
            index.actors[actor.iri] = actor
            index.add_thing(actor.iri, labels=[actor.label], aliases=actor.aliases, codes=_codes(actor.codes))
        return index

    @classmethod
    def from_graph(cls, graph: Any) -> ActorIndex:
        """Return the index of the nodes of a projected network (their ``label`` and ``kind``)."""
        return cls.from_actors(
            Actor(str(node), str(data.get("label") or local_name(str(node))), str(data.get("kind", "")))
            for node, data in graph.nodes(data=True)
        )

    def label(self, iri: str) -> str:
        """Return the label of an actor (its local name when the index does not know it)."""
        actor = self.actors.get(str(iri))
        return actor.label if actor else local_name(str(iri))

    def display(self, iri: str) -> str:
        """Return the name shown for an actor: its label."""
        return self.label(iri)


def _codes(codes: Iterable[str]) -> list[str]:
    # A code as written; an IRI the actor is the same as in full, prefixed (wd:Q43) and, for a
    # Wikidata entity, as its ID (Q43).
    names = []
    for code in codes:
        names.append(code)
        if "://" in code:
            names.append(short_iri(code))
            if code.startswith(PREFIXES["wd"]):
                names.append(local_name(code))
    return names


def actor_index(store: Store) -> ActorIndex:
    """Return the index of every actor of ``store``: labels, aliases, local names, IRIs.

    Examples
    --------
    >>> from kg._store import MemoryStore
    >>> store = MemoryStore()
    >>> store.update('''INSERT DATA { dip:State rdfs:subClassOf dip:Actor .
    ...     id:borduria a dip:State ; rdfs:label "Borduria"@en ; skos:altLabel "Szohod"@en . }''')
    >>> index = actor_index(store)
    >>> index.resolve("szohod") == index.resolve("BORDURIA") == index.resolve("id:borduria")
    True
    """
    kinds: dict[str, str] = {}
    labels: dict[str, set[str]] = defaultdict(set)
    aliases: dict[str, set[str]] = defaultdict(set)
    for iri, kind, label, alias in store.query_values(_ACTORS):
        assert iri is not None
        kinds.setdefault(iri, (kind or "").rsplit("#", 1)[-1])
        if label:
            labels[iri].add(label)
        if alias:
            aliases[iri].add(alias)
    codes: dict[str, set[str]] = defaultdict(set)
    for iri, code in store.query_values(_CODES):
        if iri in kinds and code:
            codes[iri].add(code)
    actors = []
    for iri in sorted(kinds):
        first, *others = sorted(labels[iri]) or [local_name(iri)]  # another label (language): an alias
        actors.append(
            Actor(iri, first, kinds[iri], tuple(sorted(aliases[iri] | set(others))), tuple(sorted(codes[iri])))
        )
    index = ActorIndex.from_actors(actors)
    log.debug("indexed %d actors", len(index))
    return index


def resolve_actor(store: Store, name: str) -> URIRef:
    """Return the IRI of the actor ``name`` names: IRI, prefixed name, label, alias, local name or code.

    Case, accents and runs of spaces do not matter. An IRI wins over a label, a label over an
    alias, an alias over a local name, a local name over a code (``dip:actorCode``, a Wikidata
    ID): the rules of :mod:`kg._names`.

    Raises
    ------
    UnknownNameError
        When no actor goes by that name; the error lists the closest names.
    InputError
        When two actors share the name.

    Examples
    --------
    In the default graph (:func:`kg.load`), "Ankara" is an alias of Turkey:

    >>> import kg
    >>> store = kg.load()
    >>> str(resolve_actor(store, "ankara"))
    'https://w3id.org/dipkg/id/turkey'
    >>> resolve_actor(store, "ERDOĞAN") == resolve_actor(store, "id:erdogan")
    True
    >>> resolve_actor(store, "Ankra")
    Traceback (most recent call last):
    ...
    kg._errors.UnknownNameError: unknown actor 'Ankra'; did you mean 'Ankara'?
    """
    return actor_index(store).resolve(name)
