"""Parameters of a query: names resolved to IRIs (by :mod:`kg._names`' rules), values made RDF terms."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Mapping
from typing import Any

import networkx as nx
from rdflib import BNode, Literal, URIRef
from rdflib.namespace import XSD
from rdflib.term import Node

from kg import _actors
from kg._errors import InputError
from kg._names import as_iri, resolve_event, type_index
from kg._query._named import NamedQuery, parameter_key
from kg._store import Store
from kg._timecut import TIME_PARAMETERS, TimeCut

__all__ = ["bind", "resolve", "resolve_actor"]


def resolve(store: Store, name: str | URIRef, *, kind: str = "actor") -> URIRef:
    """Return the IRI of the actor, event or relation type ``name`` names.

    The rules are those of :mod:`kg._names`, for every kind: ``name`` may be an IRI (``<...>``,
    ``https://...`` or ``prefix:local``), a label, an alias (``skos:altLabel``), the local name
    of the IRI, or a code (a relation type's CAMEO code; an actor's ``dip:actorCode`` or Wikidata
    ID); case, accents and runs of spaces do not matter. The IRI wins over a label, a label over
    an alias, an alias over a local name, a local name over a code.

    Parameters
    ----------
    store : Store
        The graph to look in.
    name : str or URIRef
        What the user wrote.
    kind : {"actor", "event", "type"}
        What to look for.

    Raises
    ------
    UnknownNameError
        When nothing of that kind has the name, with the closest names.
    InputError
        When several have it (give the label or the IRI instead).

    Examples
    --------
    >>> import kg
    >>> store = kg.load()
    >>> resolve(store, "ankara") == resolve(store, "id:turkey") == kg.ID.turkey
    True
    >>> resolve(store, "recalls", kind="type")
    rdflib.term.URIRef('https://w3id.org/dipkg/ns#recallsDiplomatsFrom')
    """
    text = str(name).strip()
    if kind == "actor":
        return _actors.resolve_actor(store, text)
    if kind == "type":
        return type_index(store).resolve(text)
    if kind == "event":
        return resolve_event(store, text)
    raise ValueError(f"kind must be actor, event or type, not {kind!r}")


def resolve_actor(store: Store | nx.Graph[Any], name: str | URIRef) -> URIRef:
    """Return the IRI of the actor ``name`` names (IRI, label, alias, local name or code, any case).

    ``store`` may also be a projected network (:func:`kg.project`): its nodes are then looked
    up by their IRI, ``label`` and local name, by the same rules.

    Raises
    ------
    UnknownNameError
        With the closest names.
    InputError
        When two actors share the name.

    Examples
    --------
    >>> import kg
    >>> resolve_actor(kg.load(), "Turkey's top diplomat")
    rdflib.term.URIRef('https://w3id.org/dipkg/id/fidan')
    >>> resolve_actor(kg.load(), "Turky")
    Traceback (most recent call last):
    ...
    kg._errors.UnknownNameError: unknown actor 'Turky'; did you mean 'Turkey'?
    >>> resolve_actor(kg.project(kg.load()), "ISRAËL")
    rdflib.term.URIRef('https://w3id.org/dipkg/id/israel')
    """
    if isinstance(store, nx.Graph):
        return _actors.ActorIndex.from_graph(store).resolve(str(name))
    return resolve(store, name, kind="actor")


def bind(store: Store, named: NamedQuery, params: Mapping[str, Any]) -> tuple[dict[str, Node], TimeCut]:
    """Turn the user's parameters into RDF terms, and pull out the time cut."""
    bindings: dict[str, Node] = {}
    times: dict[str, Any] = {}
    for raw_name, value in params.items():
        parameter = named.parameter(raw_name)
        if parameter is None and named.parameters:
            declared = ", ".join(str(p) for p in named.parameters)
            raise InputError(f"the query {named.name} takes no parameter {raw_name!r}; it takes: {declared}")
        name = parameter.name if parameter else raw_name
        if parameter_key(name) in {parameter_key(t) for t in TIME_PARAMETERS}:
            times[next(t for t in TIME_PARAMETERS if parameter_key(t) == parameter_key(name))] = value
            continue
        if not re.match(r"^[A-Za-z_][A-Za-z0-9_]*$", name):
            raise InputError(f"parameter name {name!r} is not a SPARQL variable name")
        bindings[name] = _term(store, value, parameter.kind if parameter else None, name)
    missing = [str(p) for p in named.parameters if p.required and p.name not in bindings]
    if missing:
        raise InputError(
            f"the query {named.name} needs "
            + ", ".join(missing)
            + "; pass "
            + " ".join(f"params[{p.split()[0]!r}]=..." for p in missing)
        )
    return bindings, TimeCut.of(times.get("asOf"), times.get("since"), times.get("until"))


def _term(store: Store, value: Any, kind: str | None, name: str) -> Node:
    if isinstance(value, (URIRef, Literal, BNode)):
        return value
    if isinstance(value, dt.date):
        return Literal(value.isoformat(), datatype=XSD.date)
    if isinstance(value, bool) or (kind is None and not isinstance(value, str)):
        return Literal(value)
    text = str(value).strip()
    if kind in ("actor", "event", "type"):
        return resolve(store, text, kind=kind)
    return _text_term(text, kind, name)


_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_INTEGER = re.compile(r"^-?\d+$")


def _text_term(text: str, kind: str | None, name: str) -> Node:
    """Return the term of a date, integer, IRI or text parameter (of a kind guessed from ``text`` when None)."""
    if kind is None:
        kind = "date" if _DATE.match(text) else "integer" if _INTEGER.match(text) else None
    if kind == "date":
        try:
            return Literal(dt.date.fromisoformat(text).isoformat(), datatype=XSD.date)
        except ValueError as exc:
            raise InputError(f"parameter {name}={text!r} is not a date: write YYYY-MM-DD") from exc
    if kind == "integer":
        try:
            return Literal(int(text))
        except ValueError as exc:
            raise InputError(f"parameter {name}={text!r} is not a whole number") from exc
    if kind == "iri" or kind is None:
        iri = as_iri(text)
        if iri is not None:
            return iri
        if kind == "iri":
            raise InputError(f"parameter {name}={text!r} is not an IRI: write <https://...> or prefix:name")
    return Literal(text)
