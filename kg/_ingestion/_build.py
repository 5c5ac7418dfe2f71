"""The triples every reader writes: events, the actors and sources they create, derived edges.

A reader checks a whole row first and only then asks the :class:`Builder` to write it, so a
bad row leaves nothing behind (not even an actor it would have created).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Hashable, Iterable, Iterator, Sequence
from dataclasses import replace
from decimal import Decimal, InvalidOperation

import pyoxigraph as ox

from kg._ingestion._index import GraphIndex, fold
from kg._ingestion._lines import TabRow, parse_day, tab_rows
from kg._ingestion._report import BadRow, CreatedActor, IngestReport, Merged, Unresolved
from kg._ingestion._terms import A, Sink, T, digest, iri, literal, slug, typed
from kg._ingestion.countries import Country, country_by_code, country_by_name
from kg._ingestion.sectors import Reading, gdelt_reading, gdelt_types
from kg._namespace import DIP, ID, WD

__all__ = ["Builder", "Found", "NewActor"]

_DECIMAL = re.compile(r"^[+-]?(?:\d+(?:\.\d*)?|\.\d+)$")
_CODE = re.compile(r"^[A-Za-z0-9]{1,60}$")


class NewActor:
    """An actor a row refers to.

    Either one the graph has (``new=False``) or one to create on the first good row needing it.
    """

    __slots__ = ("declared", "iri", "kind", "label", "new", "pairs", "term")

    def __init__(
        self,
        iri_text: str,
        *,
        new: bool = False,
        label: str = "",
        kind: str = "",
        pairs: list[tuple[str, str]] | None = None,
    ):
        self.iri, self.term, self.new = iri_text, f"<{iri_text}>", new
        self.label, self.kind = label, kind
        self.pairs = pairs or []
        self.declared = not new


Found = tuple[NewActor | None, str]
"""An actor a row names, or None and what is wrong."""


class _Seen:
    """A set that forgets everything when it grows past ``limit`` (constant memory)."""

    def __init__(self, limit: int = 200_000):
        self.limit, self.items = limit, set[Hashable]()

    def add(self, item: Hashable) -> bool:
        """Add ``item``; return True when it was not there."""
        if item in self.items:
            return False
        if len(self.items) >= self.limit:
            self.items.clear()
        self.items.add(item)
        return True


def _valid_iri(term: str) -> bool:
    try:
        ox.NamedNode(term[1:-1])
    except ValueError:
        return False
    return True


class Builder:
    """Write the triples of good rows to a :class:`~kg._ingestion._terms.Sink`.

    Parameters
    ----------
    index : GraphIndex
        The graph names resolve against.
    sink : Sink
        Where the triples go.
    report : IngestReport
        Counts to update.
    strict : bool
        Refuse actors the graph does not know instead of creating them.
    derive : bool
        Also write the derived actor-to-actor edges (when loading into a store).
    dataset : str
        ``"csv"``, ``"gdelt"`` or ``"icews"``: the folder of the IRIs minted.
    """

    def __init__(
        self, index: GraphIndex, sink: Sink, report: IngestReport, *, strict: bool, derive: bool, dataset: str
    ):
        self.index, self.sink, self.report = index, sink, report
        self.strict, self.derive, self.dataset = strict, derive, dataset
        self._states: dict[str, NewActor] = {}  # country code -> state
        self._coded: dict[str, NewActor] = {}  # dataset actor code -> actor
        self._named: dict[str, NewActor] = {}  # folded name -> actor
        self._sources = _Seen()
        self._places = _Seen()
        self._place_terms: dict[str, str] = {}
        self._names = _Seen()
        self._edges = _Seen(1_000_000)
        self._datasets: set[str] = set()
        self._days: dict[str, str | None] = {}
        self._countries: dict[str, tuple[NewActor | None, str]] = {}  # country name -> state
        self._readings: dict[str, tuple[Reading | None, NewActor | None, str]] = {}  # GDELT code
        self._ties = _Seen()
        self._tie_nodes: dict[tuple[str, str, str], str] = {}
        self._tie_days = _Seen(1_000_000)
        self._described = _Seen()
        self._concepts = _Seen(50_000)
        self._occurrences = _Seen(1_000_000)
        self._created: set[str] = set()
        self._spellings = _Seen()

    # ------------------------------------------------------------ rows

    def tab_rows(
        self, lines: Iterable[bytes], *, first: int, width: int, hint: str, tick: Callable[[int], None] | None = None
    ) -> Iterator[tuple[int, list[str]]]:
        """Yield ``(row number, fields)`` of the tab-separated ``lines``, numbered from ``first``.

        Blank lines are passed over; a line that is not UTF-8 or has not ``width`` fields is
        counted and reported as a bad row (``hint`` says what such a file should have).
        """
        return self.rows(tab_rows(lines, first=first, width=width, hint=hint, tick=tick))

    def rows(self, rows: Iterable[TabRow]) -> Iterator[tuple[int, list[str]]]:
        """Count ``rows`` (from :func:`~kg._ingestion._lines.tab_rows`) and yield the good ones.

        A row with a problem instead of its fields is reported as a bad row.
        """
        for number, fields in rows:
            self.report.rows += 1
            if isinstance(fields, str):
                self.bad(number, "(row)", fields)
                continue
            yield number, fields

    def bad(self, row: int, column: str, message: str) -> None:
        """Record a problem of a row."""
        self.report.bad_rows.append(BadRow(row, column, message))

    def refused(self, row: int, problems: Sequence[tuple[str, str]]) -> bool:
        """Record every problem of a row, ``(column, what is wrong)``; say whether it is refused (any)."""
        for column, message in problems:
            self.bad(row, column, message)
        return bool(problems)

    def skip(self, reason: str) -> None:
        """Count a row left out on purpose."""
        self.report.skipped[reason] = self.report.skipped.get(reason, 0) + 1

    def day(self, text: str) -> str | None:
        """Return the ``xsd:date`` literal of a day (``YYYY-MM-DD`` or ``YYYYMMDD``), or None."""
        term = self._days.get(text)
        if term is None and text not in self._days:
            day = parse_day(text)
            term = typed(day.isoformat(), T.xsd_date) if day is not None else None
            if len(self._days) < 100_000:
                self._days[text] = term
        return term

    @staticmethod
    def decimal(text: str) -> str | None:
        """Return the ``xsd:decimal`` literal of a number, or None when it is not one.

        >>> Builder.decimal("-2.5e-05")
        '"-0.000025"^^<http://www.w3.org/2001/XMLSchema#decimal>'
        """
        text = text.strip()
        if _DECIMAL.fullmatch(text):
            return typed(text, T.xsd_decimal)
        try:  # scientific notation, which xsd:decimal does not allow
            value = Decimal(text)
        except InvalidOperation:
            return None
        return typed(format(value, "f"), T.xsd_decimal) if value.is_finite() else None

    # ------------------------------------------------------------ writing

    def commit(self, actor: NewActor | None, *, date: str, name: str = "") -> None:
        """Declare a created actor the first time a good row uses it.

        ``name`` becomes an alias of an actor created by this ingestion.
        """
        if actor is None:
            return
        if not actor.declared:
            actor.declared = True
            self.sink.block(actor.term, actor.pairs)
            self.report.actors_created.append(CreatedActor(actor.iri, actor.label, actor.kind))
        if name and actor.new and self._names.add(f"{actor.iri}\x1f{name}"):
            self.sink.block(actor.term, [(T.altLabel, literal(name, lang="en"))])

    def unresolved(self, what: str, row: int, text: str) -> None:
        """Count text of a row that resolved to nothing (kept as text by the caller)."""
        found = self.report.unresolved.get(what)
        if found is None:
            found = self.report.unresolved[what] = Unresolved(what)
        found.add(row, text)

    def concept(self, scheme: str, code: str, label: str) -> str:
        """Return the SKOS concept of a sector or code of a dataset's scheme, declared once."""
        term = f"<{ID}sector/{scheme}/{slug(code)}>"
        if self._concepts.add(term):
            scheme_term = f"<{ID}sector/{scheme}>"
            if self._concepts.add(scheme_term):
                self.sink.block(
                    scheme_term,
                    [(A, T.ConceptScheme), (T.label, literal(_SCHEMES.get(scheme, f"{scheme} codes"), lang="en"))],
                )
            self.sink.block(
                term,
                [
                    (A, T.Concept),
                    (T.prefLabel, literal(label, lang="en")),
                    (T.label, literal(label, lang="en")),
                    (T.inScheme, scheme_term),
                ],
            )
        return term

    def describe(
        self,
        actor: NewActor,
        reading: Reading | None,
        state: NewActor | None,
        *,
        date: str,
        event: str,
        row: int,
        scheme: str,
        codes: Sequence[tuple[str, str, str]] = (),
        country_text: str = "",
    ) -> None:
        """Write what the dataset says of an actor of a good row: sectors, codes, tie to its state.

        The sectors the table knows become ``dip:sector`` concepts of ``scheme``, the others
        ``dip:sectorText`` (reported); ``codes`` are further ``(scheme, code, label)`` concepts.
        With a ``state`` (of the actor's country) the reading's tie is written: one standing
        relation per actor, type and state, from the dataset, derived from the first event
        naming it and observed on every day a row names it. A country that resolved to no
        state (``country_text``) is kept as ``dip:countryText`` and reported; no tie is made.
        """
        if reading is not None:
            for text in reading.unknown:
                self.unresolved(f"{scheme} sector(s) or code(s) not in the package's table", row, text)
        if country_text:
            self.unresolved("country name(s) or code(s) resolving to no state", row, country_text)
        if self._described.add((actor.iri, id(reading), tuple(codes), country_text)):
            self._sectors(actor, reading, scheme, codes, country_text)
        if state is None or reading is None or state.iri == actor.iri:
            return
        self.commit(state, date=date)
        self._tie(actor, reading.tie, state, date=date, event=event)

    def _sectors(
        self,
        actor: NewActor,
        reading: Reading | None,
        scheme: str,
        codes: Sequence[tuple[str, str, str]],
        country_text: str,
    ) -> None:
        """Write an actor's sectors and codes (concepts or text) and a country kept as text."""
        pairs: list[tuple[str, str]] = []
        if reading is not None:
            pairs += [
                (T.sector, self.concept(scheme, s, label))
                for s, label in zip(reading.sectors, reading.labels, strict=True)
            ]
            pairs += [(T.sectorText, literal(s)) for s in reading.unknown]
        pairs += [(T.sector, self.concept(s, code, label)) for s, code, label in codes]
        if country_text:
            pairs.append((T.countryText, literal(country_text)))
        if pairs:
            self.sink.block(actor.term, pairs)

    def _tie(self, actor: NewActor, relation: str, state: NewActor, *, date: str, event: str) -> None:
        """Write the standing tie of an actor to its state, once, observed on ``date``."""
        tie = f"<{relation}>"
        node = self._tie_nodes.get((actor.iri, tie, state.iri))
        if node is None:
            if len(self._tie_nodes) >= 200_000:
                self._tie_nodes.clear()
            node = f"<{ID}state/{self.dataset}/{digest(actor.iri, relation, state.iri)}>"
            self._tie_nodes[(actor.iri, tie, state.iri)] = node
        if self._ties.add(node):
            self.sink.block(
                node,
                [
                    (A, T.StandingRelation),
                    (T.relationType, tie),
                    (T.subject, actor.term),
                    (T.object, state.term),
                    (T.observedOn, date),
                    (T.source, self.dataset_source()),
                    (T.wasDerivedFrom, event),
                ],
            )
            self._tie_days.add(node + date)
            self.report.ties += 1
            self.index.add_tie(actor.iri, state.iri)
            self._edge(actor.term, tie, state.term)
        elif self._tie_days.add(node + date):
            self.sink.block(node, [(T.observedOn, date)])

    def event(
        self,
        subject: str,
        kind: str,
        actor: str | None,
        targets: list[str],
        date: str,
        source: str,
        extra: list[tuple[str, str]],
    ) -> None:
        """Write one event: its type, actor, targets, date, source and ``extra`` pairs."""
        pairs = [(A, T.Event), (T.eventType, kind)]
        if actor is not None:
            pairs.append((T.actor, actor))
        pairs += [(T.target, t) for t in targets]
        pairs += [(T.date, date), (T.source, source), *extra]
        if actor is not None:  # one occurrence for the reports of one type, actor, targets and day
            # (typed dip:Occurrence by the range of dip:occurrence: no triple of its own)
            occurrence = f"<{ID}occurrence/{digest(kind, actor, *sorted(targets), date)}>"
            pairs.append((T.occurrence, occurrence))
            if not self._occurrences.add(occurrence):
                self.report.repeated_reports += 1
        self.sink.block(subject, pairs)
        self.report.events += 1
        if self.derive and actor is not None:
            symmetric = self.index.relations[kind[1:-1]].symmetric
            for target in targets:
                self._edge(actor, kind, target)
                if symmetric:
                    self._edge(target, kind, actor)

    def standing(
        self, subject: str, kind: str, actor: str, other: str, date: str, source: str, extra: list[tuple[str, str]]
    ) -> None:
        """Write one standing relation, in force on ``date`` (``dip:observedOn``)."""
        self.sink.block(
            subject,
            [
                (A, T.StandingRelation),
                (T.relationType, kind),
                (T.subject, actor),
                (T.object, other),
                (T.observedOn, date),
                (T.source, source),
                *extra,
            ],
        )
        self.report.standing += 1
        self._edge(actor, kind, other)
        if self.index.relations[kind[1:-1]].symmetric:
            self._edge(other, kind, actor)

    def _edge(self, a: str, kind: str, b: str) -> None:
        if self.derive and a != b and self._edges.add(f"{a}{kind}{b}"):
            self.sink.block(a, [(kind, b)])

    # ------------------------------------------------------------ sources and places

    def url_source(self, url: str) -> str:
        """Return the source of a document by its URL (or citation text), declared once."""
        term = f"<{ID}source/url/{digest(url)}>"
        if self._sources.add(term):
            pairs = [(A, T.Source), (T.label, literal(url[:300]))]
            if url.startswith(("http://", "https://")) and _valid_iri(link := iri(url)):
                pairs.append((T.url, link))
            self.sink.block(term, pairs)
            self.report.sources_created += 1
        return term

    def named_source(self, term: str, label: str, extra: list[tuple[str, str]] | None = None) -> str:
        """Return the source ``term``, declared once with its label."""
        if self._sources.add(term):
            self.sink.block(term, [(A, T.Source), (T.label, literal(label)), *(extra or [])])
            self.report.sources_created += 1
        return term

    def dataset_source(self) -> str:
        """Return the source standing for the dataset itself (GDELT, ICEWS, the event table)."""
        term = f"<{ID}source/{self.dataset}>"
        if term not in self._datasets:
            self._datasets.add(term)
            label, url = _DATASETS.get(self.dataset, (f"{self.dataset} event table", ""))
            pairs = [(A, T.Source), (T.label, literal(label, lang="en"))]
            if url:
                pairs.append((T.url, f"<{url}>"))
            self.sink.block(term, pairs)
        return term

    def place(self, name: str, latitude: str, longitude: str, *, row: int = 0) -> str:
        """Return the place of this name, declared once (with its coordinates when given).

        Coordinates that are not numbers in range (-90..90, -180..180) are reported and kept
        as ``dip:coordinatesText``, never written as ``schema:latitude`` and ``schema:longitude``.
        """
        term = self._place_terms.get(name)
        if term is None:
            if len(self._place_terms) >= 100_000:
                self._place_terms.clear()
            term = self._place_terms[name] = f"<{ID}place/{slug(name)}>"
        if self._places.add(term):
            pairs = [(A, T.Place), (T.label, literal(name, lang="en"))]
            latitude, longitude = latitude.strip(), longitude.strip()
            given = {latitude, longitude} - {"", "NA"}
            if given:
                lat, lon = self.decimal(latitude), self.decimal(longitude)
                if lat is not None and lon is not None and _in_range(latitude, 90) and _in_range(longitude, 180):
                    pairs += [(T.latitude, lat), (T.longitude, lon)]
                else:
                    text = f"{latitude}, {longitude}"
                    self.unresolved(
                        "coordinates not numbers in range (latitude -90..90, longitude -180..180)", row, text
                    )
                    pairs.append((T.coordinatesText, literal(text)))
            self.sink.block(term, pairs)
        return term

    # ------------------------------------------------------------ actors

    def state(self, code: str) -> NewActor:
        """Return the actor of a country (or CAMEO region) code.

        That is the actor the graph has with this ``dip:actorCode``, else a new ``dip:State``
        (a ``dip:Collective`` for a region).
        """
        actor = self._states.get(code)
        if actor is None:
            known = self._prefer_state(self.index.actor_by_code(code))
            country = country_by_code(code)
            if known is not None:
                actor = NewActor(known)
            elif country is not None:
                actor = self._mint_country(country)
            else:
                actor = self._mint(f"{ID}actor/country-{slug(code)}", f"country {code}", str(DIP.State), code=code)
            self._states[code] = actor
        return actor

    def _prefer_state(self, hits: list[str]) -> str | None:
        states = [h for h in hits if str(DIP.State) in self.index.actors[h].kinds]
        return states[0] if states else (hits[0] if hits else None)

    def _mint_country(self, country: Country, *, also: str = "", wikidata: str = "") -> NewActor:
        kind = str(DIP.State) if country.kind == "state" else str(DIP.Collective)
        aliases = country.aliases + ((also,) if also and also not in country.aliases else ())
        return self._mint(
            f"{ID}actor/{slug(country.name)}", country.name, kind, code=country.code, aliases=aliases, wikidata=wikidata
        )

    def _mint(
        self, iri_text: str, label: str, kind: str, *, code: str = "", aliases: tuple[str, ...] = (), wikidata: str = ""
    ) -> NewActor:
        if iri_text in self.index.actors:  # created by an earlier ingestion: the graph has it
            return NewActor(iri_text)
        pairs = [(A, f"<{kind}>"), (T.label, literal(label, lang="en"))]
        pairs += [(T.altLabel, literal(a, lang="en")) for a in aliases if a.casefold() != label.casefold()]
        if code:
            pairs.append((T.actorCode, literal(code)))
        if wikidata:
            pairs.append((T.sameAs, f"<{WD}{wikidata}>"))
        kind_label = self.index.kind_labels.get(kind, kind.rsplit("#", 1)[-1])
        actor = NewActor(iri_text, new=True, label=label, kind=kind_label, pairs=pairs)
        self.index.add_actor(iri_text, label, kind, aliases=aliases, code=code, wikidata=wikidata)
        self._created.add(iri_text)
        return actor

    def country_state(self, name: str) -> tuple[NewActor | None, str]:
        """Return the state of a country a dataset names (``Canada``, ``Russian Federation``).

        That is the graph's state with the country's code (a new ``dip:State`` from the country
        table when the graph has none), else a state of the graph with that name. A name that
        resolves to neither gives ``(None, name)``: the caller keeps the text, never guesses.
        """
        found = self._countries.get(name)
        if found is None:
            country = country_by_name(name)
            if country is not None and country.kind == "state":
                found = (self.state(country.code), "")
            else:
                hits, _tier = self.index.actor(name)
                states = [h for h in hits if str(DIP.State) in self.index.actors[h].kinds]
                found = (NewActor(states[0]), "") if len(states) == 1 else (None, name)
            self._countries[name] = found
        return found

    def coded_actor(
        self, code: str, country: str, *, types: Sequence[str] = (), group: str = "", people: Sequence[str] = ()
    ) -> tuple[NewActor | None, str]:
        """Return the actor of a CAMEO actor code (GDELT's Actor1Code), or a problem.

        A bare country code (``ISR``) is the state; any other code (``ISRGOV``, ``COP``) is an
        actor of its own, found by ``dip:actorCode`` or created as ``id:actor/gdelt/CODE``,
        of the kind its type codes (``types``, else the code's three-letter chunks) give
        through ``gdelt_types.tsv``; a known ``group`` code makes an organisation and ethnic or
        religion codes (``people``) a collective when no type code says otherwise. GDELT names
        roles, not persons: no person is created. :meth:`coded_reading` then says how the
        actor is tied to its country.
        """
        actor = self._coded.get(code)
        if actor is not None:
            return actor, ""
        if not _CODE.fullmatch(code):
            return None, f"{code!r} is not an actor code (letters and digits)"
        country = country.upper()
        reading: Reading | None = None
        state: NewActor | None = None
        country_text = ""
        if country and code.upper() == country:
            actor = self.state(country)
            if actor.new and self.strict:
                return None, f"unknown country code {code!r} (--strict: the graph has no actor with it)"
        else:
            chunks = [code[i : i + 3].upper() for i in range(0, len(code), 3)]
            codes = [t.upper() for t in types if t] or [c for c in chunks if c in gdelt_types()]
            reading = gdelt_reading(codes, group=bool(group), people=any(people))
            reading, state, country_text = self._coded_country(country, reading)
            known = self.index.actor_by_code(code)
            if known:
                actor = NewActor(known[0])
            elif self.strict:
                return None, f"unknown actor code {code!r} (--strict: the graph has no actor with it)"
            else:
                actor = self._mint_coded(code, country, chunks, reading)
        if not actor.new:
            self._merge(code, actor.iri, "code")
        self._coded[code] = actor
        self._readings[code] = (reading, state, country_text)
        return actor, ""

    def _coded_country(self, country: str, reading: Reading) -> tuple[Reading, NewActor | None, str]:
        """Return a coded actor's reading, the state of its ``country`` and the country code unresolved."""
        table = country_by_code(country) if country else None
        if table is None and (not country or not self.index.actor_by_code(country)):
            return reading, None, country
        state = self.state(country)
        if table is not None and table.kind == "region":  # a region is no state to act for
            reading = replace(reading, tie=str(DIP.basedIn))
        return reading, state, ""

    def coded_reading(self, code: str) -> tuple[Reading | None, NewActor | None, str]:
        """Return how the actor of a code seen by :meth:`coded_actor` is read.

        That is its reading (None for a bare country), its country's state (None when it has
        no country code) and a country code that resolved to nothing (else ``""``).
        """
        return self._readings.get(code, (None, None, ""))

    def _mint_coded(self, code: str, country: str, chunks: list[str], reading: Reading) -> NewActor:
        roles = gdelt_types()
        place = [c for c in chunks if c == country or (c.isalpha() and country_by_code(c))]
        words = [self._place_name(c) for c in place]
        words += [roles[c][0] if c in roles else c for c in chunks if c not in place]
        label = " ".join(words) if any(c in roles for c in chunks) else f"GDELT actor {code}"
        label = label[:1].upper() + label[1:]
        return self._mint(f"{ID}actor/{self.dataset}/{code}", label, reading.kind, code=code)

    def _place_name(self, code: str) -> str:
        """Return the name of a country code: the graph's label of its actor, else the table's."""
        for iri_text in self.index.actor_by_code(code):
            if self.index.actors[iri_text].label:
                return self.index.actors[iri_text].label
        known = country_by_code(code)
        return known.name if known is not None else code

    def named_actor(
        self,
        name: str,
        *,
        kind: str = "",
        wikidata: str = "",
        country: str = "",
        state: NewActor | None = None,
        one_kind: bool = False,
    ) -> tuple[NewActor | None, str]:
        """Return the actor a name means (an IRI, label, alias, code), a created one, or a problem.

        ``kind`` (a class IRI) types a created actor; ``wikidata`` (``Q801``) finds or links it;
        ``country`` names the state of a state actor (when the name is not in the country
        table); ``state`` is the state of the actor's country: an actor of the graph with the
        same name (accents and case folded, or an alias) is the same actor unless it is tied to
        another state, in which case a separate actor is created; ``one_kind`` refuses a kind
        that differs from the one the actor was created with. A name resolving to an actor the
        graph had is listed in the report's ``merged``.
        """
        key = fold(name) if state is None else f"{fold(name)}\x1f{state.iri}"
        actor = self._named.get(key)
        if actor is not None:
            return self._named_again(actor, name, key, kind=kind, one_kind=one_kind)
        self._spellings.add(f"{key}\x1f{name.strip()}")
        hits = self.index.actor_by_wikidata(wikidata) if wikidata else []
        tier = "Wikidata ID" if hits else ""
        if not hits:
            hits, tier = self.index.actor(name)
        elsewhere = False
        if hits and state is not None:  # the same name in another country is another actor
            same = [h for h in hits if not self.index.ties(h) or state.iri in self.index.ties(h)]
            elsewhere, hits = len(same) < len(hits), same
        if len(hits) > 1:
            preferred = self._prefer_state(hits) if kind == str(DIP.State) else None
            if preferred is None:
                shown = ", ".join(hits[:5])
                return None, f"{name!r} names {len(hits)} actors ({shown}); write the IRI of the one meant"
            hits = [preferred]
        if hits:
            actor = NewActor(hits[0])
            self._merge(name, hits[0], tier)
        else:
            actor, why = self._unknown_named(name, kind, wikidata, country, state if elsewhere else None)
            if actor is None:
                return None, why
        self._named[key] = actor
        return actor, ""

    def _named_again(self, actor: NewActor, name: str, key: str, *, kind: str, one_kind: bool) -> Found:
        """Return the actor a name resolved to on an earlier row (or refuse a second kind)."""
        if one_kind and kind and actor.new and self.index.actors[actor.iri].kinds != {kind}:
            have = self.index.kind_labels.get(next(iter(self.index.actors[actor.iri].kinds)), "")
            return None, (
                f"{name!r} was created as a {have} by an earlier row; give it one kind (or none after its first row)"
            )
        if self._spellings.add(f"{key}\x1f{name.strip()}"):  # another spelling of the same name
            self._merge(name, actor.iri, "label")
        return actor, ""

    def _unknown_named(self, name: str, kind: str, wikidata: str, country: str, elsewhere: NewActor | None) -> Found:
        """Return the actor of a name the graph lacks: a known state's by its country, else created.

        ``elsewhere`` is the state of an actor whose name the graph has for another country:
        the created actor's IRI then names its state too.
        """
        found = country_by_name(name) if kind in ("", str(DIP.State)) else None
        if found is None and kind == str(DIP.State) and country:
            found = country_by_name(country)
        is_state = found is not None and found.kind == "state"
        known = self.index.actor_by_code(found.code) if found is not None and is_state else []
        if known:
            return NewActor(self._prefer_state(known) or known[0]), ""
        if self.strict:
            close = self.index.suggest_actor(name)
            hint = f"; did you mean {', '.join(repr(c) for c in close)}?" if close else ""
            return None, f"unknown actor {name!r} (--strict refuses actors the graph lacks){hint}"
        if found is not None and kind in ("", str(DIP.State)) and found.kind == "state":
            return self._mint_country(found, also=name.strip(), wikidata=wikidata), ""
        local = slug(name)
        if elsewhere is not None:
            local = f"{local}--{slug(elsewhere.iri.rsplit('/', 1)[-1], limit=40)}"
        return self._mint(f"{ID}actor/{local}", name.strip(), kind or str(DIP.Actor), wikidata=wikidata), ""

    def _merge(self, name: str, found: str, tier: str) -> None:
        """Report a name that resolved to an actor the graph had (or under another spelling)."""
        label = self.index.actors[found].label if found in self.index.actors else ""
        if found in self._created and name.strip() == label:
            return  # an actor of this ingestion, named again as it was created
        how = {"label": "label", "alt": "alias", "local": "IRI name", "code": "actor code", "iri": "IRI"}.get(
            tier, tier
        )
        if tier in ("label", "alt") and name.strip() != label:
            how += ", spelling folded (case, accents, spaces)" if tier == "label" else ""
        if len(self.report.merged) < 10_000:
            self.report.merged.append(Merged(name.strip(), found, label, how))


_SCHEMES = {
    "icews": "ICEWS actor sectors",
    "gdelt": "GDELT (CAMEO) actor type codes",
    "gdelt-group": "GDELT known group codes",
    "gdelt-ethnic": "GDELT ethnic codes",
    "gdelt-religion": "GDELT religion codes",
}


def _in_range(text: str, limit: int) -> bool:
    try:
        return -limit <= float(text) <= limit
    except ValueError:
        return False


_DATASETS = {
    "gdelt": ("GDELT 2.0 Event Database", "https://www.gdeltproject.org/"),
    "icews": ("ICEWS Coded Event Data (Harvard Dataverse)", "https://doi.org/10.7910/DVN/28075"),
}
