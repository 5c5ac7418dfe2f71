"""Actors by name: one resolver from a label, alias, local name or IRI to the actor's IRI.

Every command that takes an actor's name (``kg path``, ``kg dyad``, ``kg draw --around``)
resolves it here, case-insensitively, with the closest names suggested on failure.
"""

from __future__ import annotations

import difflib
import logging
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field

from rdflib import URIRef

from kg._errors import InputError, UnknownNameError
from kg._namespace import ACTOR_KIND
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

# How strongly each way of naming an actor binds: the IRI, then a label, an alias, a local name
# (the order kg._query.resolve follows too).
_IRI, _LABEL, _ALIAS, _LOCAL = 0, 1, 2, 3


@dataclass(frozen=True)
class Actor:
    """One actor: IRI, label, most specific class (``State``, ``Person``, ...) and aliases."""

    iri: str
    label: str
    kind: str = ""
    aliases: tuple[str, ...] = ()


def _local_name(iri: str) -> str:
    return short_iri(iri).split(":", 1)[-1].rsplit("/", 1)[-1].rsplit("#", 1)[-1]


@dataclass
class ActorIndex:
    """Every actor of a graph by IRI, and every name that points at one.

    Build it with :func:`actor_index` (from a store: labels and aliases) or
    :meth:`from_graph` (from a projected network: labels only).
    """

    actors: dict[str, Actor] = field(default_factory=dict)
    _names: dict[str, dict[int, set[str]]] = field(default_factory=dict, repr=False)
    _spelled: dict[str, str] = field(default_factory=dict, repr=False)

    @classmethod
    def from_actors(cls, actors: Iterable[Actor]) -> ActorIndex:
        """Return the index of ``actors``."""
        index = cls()
        for actor in actors:
            index.actors[actor.iri] = actor
            index._add(actor.iri, actor.iri, _IRI)
            index._add(short_iri(actor.iri), actor.iri, _IRI)
            index._add(actor.label, actor.iri, _LABEL)
            for alias in actor.aliases:
                index._add(alias, actor.iri, _ALIAS)
            index._add(_local_name(actor.iri), actor.iri, _LOCAL)  # last: a label spells it better
        return index

    @classmethod
    def from_graph(cls, graph: object) -> ActorIndex:
        """Return the index of the nodes of a projected network (their ``label`` and ``kind``)."""
        nodes = getattr(graph, "nodes")  # noqa: B009 - any networkx graph
        return cls.from_actors(
            Actor(str(node), str(data.get("label") or _local_name(str(node))), str(data.get("kind", "")))
            for node, data in nodes(data=True)
        )

    def _add(self, name: str, iri: str, strength: int) -> None:
        key = " ".join(name.split()).casefold()
        if not key:
            return
        self._names.setdefault(key, defaultdict(set))[strength].add(iri)
        self._spelled.setdefault(key, " ".join(name.split()))

    def __contains__(self, iri: object) -> bool:
        return str(iri) in self.actors

    def __len__(self) -> int:
        return len(self.actors)

    def label(self, iri: str) -> str:
        """Return the label of an actor (its local name when the index does not know it)."""
        actor = self.actors.get(str(iri))
        return actor.label if actor else _local_name(str(iri))

    def resolve(self, name: str) -> URIRef:
        """Return the IRI of the actor called ``name``.

        Raises
        ------
        UnknownNameError
            When no actor goes by that name, with the closest names as suggestions.
        InputError
            When the name is ambiguous (two actors share it at the same strength).
        """
        name = str(name).strip()
        if name.startswith("<") and name.endswith(">"):  # an IRI written as in SPARQL
            name = name[1:-1]
        key = " ".join(name.split()).casefold()
        found = self._names.get(key)
        if found:
            strongest = found[min(found)]
            if len(strongest) == 1:
                return URIRef(next(iter(strongest)))
            labels = sorted(f"{self.label(i)} <{i}>" for i in strongest)
            raise InputError(
                f"actor name {name!r} is ambiguous: it names {', '.join(labels)}; "
                "give the label or the IRI of the one you mean"
            )
        raise UnknownNameError("actor", str(name), self.suggest(str(name)))

    def suggest(self, name: str, *, n: int = 3) -> list[str]:
        """Return up to ``n`` names of actors that look like ``name``, closest first, one per actor."""
        key = " ".join(name.split()).casefold()
        iri_like = ":" in key
        names = [k for k in self._names if iri_like or ":" not in k]
        close = difflib.get_close_matches(key, names, n=4 * n, cutoff=0.6)
        if key:
            close += [k for k in sorted(names) if key in k and k not in close]
        result: list[str] = []
        actors: set[str] = set()
        for k in close:
            found = self._names[k]
            iris = frozenset(found[min(found)])
            if iris & actors:
                continue
            actors |= iris
            result.append(self._spelled[k])
        return result[:n]


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
    labels: dict[str, str] = {}
    kinds: dict[str, str] = {}
    aliases: dict[str, list[str]] = defaultdict(list)
    for iri, kind, label, alias in store.query_values(_ACTORS):
        assert iri is not None
        kinds.setdefault(iri, (kind or "").rsplit("#", 1)[-1])
        if label and (iri not in labels or label < labels[iri]):
            labels[iri] = label
        if alias and alias not in aliases[iri]:
            aliases[iri].append(alias)
    index = ActorIndex.from_actors(
        Actor(iri, labels.get(iri) or _local_name(iri), kinds[iri], tuple(sorted(aliases[iri])))
        for iri in sorted(kinds)
    )
    log.debug("indexed %d actors", len(index))
    return index


def resolve_actor(store: Store, name: str) -> URIRef:
    """Return the IRI of the actor ``name`` names: label, alias, local name, prefixed name or IRI.

    Case and runs of spaces do not matter. An IRI wins over a label, a label over an alias, an
    alias over a local name.

    Raises
    ------
    UnknownNameError
        When no actor goes by that name; the error lists the closest names.
    InputError
        When two actors share the name.

    Examples
    --------
    >>> from kg._store import MemoryStore
    >>> store = MemoryStore()
    >>> store.update('''INSERT DATA { dip:State rdfs:subClassOf dip:Actor .
    ...     id:syldavia a dip:State ; rdfs:label "Syldavia"@en ; skos:altLabel "Klow"@en . }''')
    >>> str(resolve_actor(store, "klow"))
    'https://w3id.org/dipkg/id/syldavia'
    >>> resolve_actor(store, "Syldavie")
    Traceback (most recent call last):
    ...
    kg._errors.UnknownNameError: unknown actor 'Syldavie'; did you mean 'Syldavia'?
    """
    return actor_index(store).resolve(name)
