"""Actors named in a sentence: the graph's actors and aliases, the state table, titles, new names."""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, replace
from functools import cache
from pathlib import Path

from kg._actors import ActorIndex
from kg._ingestion.countries import countries
from kg._store import Store

__all__ = ["Entry", "Gazetteer", "Mention"]

# Kinds as the event table writes them (actor_kind / target_kind), by class local name.
KIND_NAMES = {
    "State": "state",
    "GovernmentBody": "government body",
    "DiplomaticMission": "diplomatic mission",
    "Organisation": "organisation",
    "Person": "person",
    "Collective": "collective",
}

_TITLES = (
    r"(?:[Pp]resident|[Pp]rime [Mm]inister|(?:[Ff]oreign|[Dd]efen[cs]e|[Ii]nterior|[Ff]inance) "
    r"[Mm]inister|[Mm]inister|[Ss]ecretary of [Ss]tate|[Ff]oreign [Ss]ecretary|top diplomat|"
    r"[Aa]mbassador|[Ee]nvoy|[Ss]pokes(?:man|woman|person)|[Cc]hief|[Ll]eader|[Kk]ing|[Qq]ueen|"
    r"[Ee]mir|[Cc]hancellor|[Gg]eneral|[Cc]ommander|[Cc]ounterpart|[Hh]igh [Cc]ommissioner)"
)
_NAME = r"(?P<name>[A-Z][a-zà-ÿ'-]+(?: (?:bin |al-|de |van |von )?[A-Z][a-zà-ÿ'-]+){1,3})"
_PERSON = re.compile(rf"\b{_TITLES} {_NAME}")
_ORG_WORDS = (
    "Union|League|Nations|Organi[sz]ation|Council|Ministry|Army|Forces|Front|Party|Movement|"
    "Authority|Agency|Committee|Commission|Bank|Fund|Court|Brigades|Alliance|Coalition"
)
_ORG = re.compile(rf"\b(?:[Tt]he )?(?P<name>(?:[A-Z][\w'-]+ ){{1,4}}(?:{_ORG_WORDS}))\b")
# Groups named by a demonym: those that are the state itself, bodies of the state, other people.
_FOR_STATE = (
    "diplomats|diplomat|ambassador|envoy|embassy|consulate|high commission|mission|government|"
    "authorities|officials|leaders"
)
_BODIES = (
    "police|troops|army|forces|soldiers|military|navy|security forces|border guards|coast guard|"
    "ministry|foreign ministry|defence ministry|defense ministry|foreign office"
)
_PEOPLE = (
    "citizens|nationals|engineers|workers|journalists|students|tourists|civilians|fishermen|"
    "protesters|demonstrators|hostages|sailors|activists"
)


@dataclass(frozen=True)
class Entry:
    """Who a name stands for: the name to write in the draft, graph IRI (or empty), kind, state."""

    name: str
    iri: str = ""
    kind: str = ""
    state: str = ""
    generic: bool = False
    alias_of: str = ""


@dataclass(frozen=True)
class Mention:
    """An actor named in a sentence: offsets in the sentence, the words, and whom they name."""

    start: int
    end: int
    text: str
    entry: Entry


def _pattern(names: list[str], *, fold: bool) -> re.Pattern[str] | None:
    names = sorted({n for n in names if n}, key=len, reverse=True)
    if not names:
        return None
    parts = []
    for name in names:
        if name[:4].lower() == "the ":
            escaped = "[Tt]he " + re.escape(name[4:]).replace("'", "['’]")
        else:
            escaped = re.escape(name).replace("'", "['’]")
        parts.append(escaped)
    return re.compile(r"(?<!\w)(?<!pro-)(?<!anti-)(?:" + "|".join(parts) + r")(?![\w])", re.IGNORECASE if fold else 0)


@cache
def _state_table() -> tuple[tuple[str, tuple[str, ...], tuple[str, ...]], ...]:
    rows = []
    path = Path(__file__).with_name("states.tsv")
    for line in path.read_text(encoding="utf-8").splitlines():
        if not line or line.startswith(("#", "code\t")):
            continue
        code, demonyms, capitals, names = ([*line.split("\t"), "", "", ""])[:4]
        rows.append(
            (
                code,
                tuple(d for d in demonyms.split(";") if d),
                tuple(c for c in [*capitals.split(";"), *names.split(";")] if c),
            )
        )
    return tuple(rows)


class Gazetteer:
    """Every name of an actor a report may use, and the finder of mentions in a sentence."""

    def __init__(self, index: ActorIndex, structure: dict[str, str]):
        self.by_name: dict[str, Entry] = {}
        self.demonyms: dict[str, Entry] = {}
        self.states_by_code: dict[str, Entry] = {}
        self.demonym_of: dict[str, str] = {}
        case: list[str] = []
        folded: list[str] = []
        graph_codes = self._add_actors(index, structure, case, folded)
        self._add_countries(graph_codes, case)
        self._add_state_table(case)
        self._case = _pattern(case, fold=False)
        self._folded = _pattern(folded, fold=True)
        self._demonym = _pattern(self._spelled_demonyms(), fold=False)
        demonym_words = "|".join(re.escape(d) for d in sorted(self._spelled_demonyms(), key=len, reverse=True))
        self._grouped = re.compile(
            rf"\b(?P<dem>{demonym_words})(?: (?:\w+ )?)?(?P<noun>{_FOR_STATE}|{_BODIES}|{_PEOPLE})\b"
        )
        self.states = {e.name for e in self.states_by_code.values()}

    def _add_actors(
        self, index: ActorIndex, structure: dict[str, str], case: list[str], folded: list[str]
    ) -> dict[str, Entry]:
        """Add the graph's actors by label and alias; return the states by their actor codes."""
        graph_codes: dict[str, Entry] = {}
        for actor in index.actors.values():
            state = structure.get(actor.iri, "")
            entry = Entry(actor.label, actor.iri, actor.kind, index.label(state) if state else "")
            if actor.kind == "State":
                entry = replace(entry, state=actor.label)
            for name in (actor.label, *actor.aliases):
                generic = not any(c.isupper() for c in name)
                self.by_name.setdefault(name.casefold(), replace(entry, generic=generic))
                (folded if generic else case).append(name)
            code = structure.get("code:" + actor.iri, "")
            if code:
                graph_codes[code] = entry
        return graph_codes

    def _add_countries(self, graph_codes: dict[str, Entry], case: list[str]) -> None:
        """Add the states of the country table (the graph's actor where it has the code)."""
        for country in countries().values():
            if country.kind != "state":
                continue
            entry = graph_codes.get(country.code) or Entry(country.name, "", "State", country.name)
            self.states_by_code[country.code] = entry
            for name in (country.name, *country.aliases):
                if "," in name:
                    continue
                self.by_name.setdefault(name.casefold(), entry)
                case.append(name)

    def _add_state_table(self, case: list[str]) -> None:
        """Add the capitals and demonyms of ``states.tsv`` for the states known."""
        for code, demonyms, capitals in _state_table():
            known = self.states_by_code.get(code)
            if known is None:
                continue
            for name in capitals:
                self.by_name.setdefault(name.casefold(), known)
                case.append(name)
            for name in demonyms:
                self.demonyms[name.casefold()] = known
            if demonyms:
                self.demonym_of.setdefault(known.name, demonyms[0])

    def _spelled_demonyms(self) -> list[str]:
        return [d for _code, demonyms, _caps in _state_table() for d in demonyms]

    @classmethod
    def from_store(cls, store: Store, index: ActorIndex) -> Gazetteer:
        """Build the gazetteer of ``store``'s actors (``index``) and the shipped state tables."""
        structure: dict[str, str] = {}
        rows = store.query_values("""
            SELECT ?a ?s WHERE {
                ?r dip:relationType ?t ; dip:subject ?a ; dip:object ?s .
                VALUES ?t { dip:missionOf dip:partOf dip:holdsPostIn }
                ?s a dip:State .
            }""")
        for actor, state in rows:
            if actor and state:
                structure.setdefault(actor, state)
        for actor, code in store.query_values("SELECT ?a ?c WHERE { ?a a dip:State ; dip:actorCode ?c }"):
            if actor and code:
                structure["code:" + actor] = code
        return cls(index, structure)

    def entry(self, name: str) -> Entry | None:
        """Return the entry a name has, or None."""
        return self.by_name.get(name.casefold().replace("’", "'"))

    def find(self, text: str) -> list[Mention]:
        """Return the actors ``text`` names, left to right, the longest name where names overlap."""
        found = [
            *self._persons(text),
            *self._organisations(text),
            *self._groups(text),
            *self._names(text),
            *self._bodies_of_states(text),
        ]
        if self._demonym is not None:
            for match in self._demonym.finditer(text):
                found.append(
                    Mention(match.start(), match.end(), match.group(), self.demonyms[match.group().casefold()])
                )
        # the longest first; a shorter mention inside a longer one is dropped
        found.sort(key=lambda m: (m.start - m.end, m.start))
        kept: list[Mention] = []
        for mention in found:
            if all(mention.end <= k.start or mention.start >= k.end for k in kept):
                kept.append(mention)
        return sorted(kept, key=lambda m: m.start)

    def _persons(self, text: str) -> Iterator[Mention]:
        """Yield the persons named by a title ("Foreign Minister Hakan Fidan"), with the state the title names."""
        for match in _PERSON.finditer(text):
            name = match.group("name")
            known = self.entry(name)
            title = text[max(0, match.start() - 40) : match.start("name")]
            state = ""
            for word in re.findall(r"[A-Z][\w'’]+", title):
                word = re.sub(r"['’]s$", "", word)
                hit = self.demonyms.get(word.casefold()) or self.entry(word)
                if hit is not None and hit.kind == "State":
                    state = hit.name
            start = match.start()
            entry = known or Entry(name, "", "Person", state)
            yield Mention(start, match.end(), text[start : match.end()], entry)

    def _organisations(self, text: str) -> Iterator[Mention]:
        """Yield the organisations the gazetteer lacks, named by a word such as Council or Brigades."""
        for match in _ORG.finditer(text):
            name = match.group("name")
            if self.entry(name) is None:
                yield Mention(match.start("name"), match.end(), name, Entry(name, "", "Organisation"))

    def _groups(self, text: str) -> Iterator[Mention]:
        """Yield the groups named by a demonym: the state ("Turkish diplomats"), a body of it, or its people."""
        for match in self._grouped.finditer(text):
            of = self.demonyms[match.group("dem").casefold()]
            noun = match.group("noun")
            if re.fullmatch(_FOR_STATE, noun):
                group = of
            elif re.fullmatch(_BODIES, noun):
                group = Entry(match.group(), "", "GovernmentBody", of.name)
            else:
                group = Entry(match.group(), "", "Collective", of.name)
            yield Mention(match.start(), match.end(), match.group(), group)

    def _names(self, text: str) -> Iterator[Mention]:
        """Yield the names of the gazetteer (a common noun such as "police" named by the report's words)."""
        for pattern in (self._case, self._folded):
            if pattern is None:
                continue
            for match in pattern.finditer(text):
                named = self.entry(match.group())
                if named is not None and named.generic:
                    named = replace(named, name=match.group().lower(), alias_of=named.name)
                if named is not None:
                    yield Mention(match.start(), match.end(), match.group(), named)

    def _bodies_of_states(self, text: str) -> Iterator[Mention]:
        """Yield the bodies of states named by the possessive ("Sri Lanka's navy": "Sri Lankan navy")."""
        if self._case is None:
            return
        for match in self._case.finditer(text):
            owner = self.entry(match.group())
            body = re.match(rf"['’]s (?P<noun>{_BODIES})\b", text[match.end() :])
            if owner is not None and owner.kind == "State" and body is not None:
                adjective = self.demonym_of.get(owner.name)
                name = f"{adjective} {body.group('noun')}" if adjective else f"{owner.name}'s {body.group('noun')}"
                end = match.end() + body.end()
                entry = Entry(name, "", "GovernmentBody", owner.name)
                yield Mention(match.start(), end, text[match.start() : end], entry)

    def states_in(self, text: str, start: int, end: int) -> list[Mention]:
        """Return the states named between ``start`` and ``end`` of ``text``, inner names included."""
        found = []
        for pattern in (self._case, self._demonym):
            if pattern is None:
                continue
            for match in pattern.finditer(text, start, end):
                entry = self.entry(match.group()) or self.demonyms.get(match.group().casefold())
                if entry is not None and entry.kind == "State":
                    found.append(Mention(match.start(), match.end(), match.group(), entry))
        return sorted(found, key=lambda m: m.start)
