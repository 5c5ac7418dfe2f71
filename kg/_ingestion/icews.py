"""ICEWS coded event data in the Harvard Dataverse ``.tab`` layout.

The file has 20 tab-separated columns with a header (Event ID, Event Date, Source
Name/Sectors/Country, Event Text, CAMEO Code, Intensity, Target Name/Sectors/Country, Story ID,
Sentence Number, Publisher, City, District, Province, Country, Latitude, Longitude).

How a row maps (see also :func:`kg._ingestion.ingest`):

- the event is ``id:event/icews/EVENT_ID``, dated by Event Date, typed by CAMEO Code as GDELT's
  are, with Intensity kept as ``dip:goldsteinScale`` (ICEWS codes it on the same -10..+10 scale)
  and Event ID as ``dip:datasetId``;
- a source or target whose sectors are empty (``NA``) is a country: the graph's state of that
  name or code (``Russian Federation`` is ``RUS``), else a new ``dip:State``;
- any other name is the actor of the graph with that name or alias (accents and case folded)
  unless that actor is tied to another country, else a new ``id:actor/NAME``. Its sectors are
  read through the package's table ``icews_sectors.tsv`` (:mod:`kg._ingestion.sectors`): a
  government sector makes a named actor act for its country's state (``dip:actsFor``) and a
  generic agent ``Name (Country)`` a government body part of it (``dip:partOf``); a generic
  agent with only party sectors is an organisation based in the country (``dip:basedIn``);
  any other generic agent (``Citizen (Malaysia)``) is a collective of the country
  (``dip:collectiveOf``, which folding never counts for the state); any other named actor
  is based in its country. Named actors stay plain ``dip:Actor`` (ICEWS does not say who is
  a person). The tie is a standing relation from the dataset observed on the row's date;
  the sectors are kept as ``dip:sector`` SKOS concepts (``id:sector/icews/...``). A sector the
  table lacks (kept as ``dip:sectorText``), a country that resolves to no state (kept as
  ``dip:countryText``, no tie) and coordinates out of range (kept as
  ``dip:coordinatesText``) are reported, the row still ingested;
- the story (Story ID, Publisher) is the source, ``id:source/icews/STORY_ID``; City, Province
  and Country make the location;
- a row whose source is ``Unspecified Actor`` is skipped (counted); an unspecified target is
  left out.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from typing import NamedTuple

from kg._errors import IngestError
from kg._ingestion._build import Builder, NewActor
from kg._ingestion._lines import TabRow, bounded_lines, tab_rows
from kg._ingestion._terms import T, literal, slug
from kg._ingestion.sectors import Reading, icews_reading
from kg._namespace import DIP, ID

__all__ = ["ICEWS_COLUMNS", "read_icews", "read_icews_rows", "split_icews"]

ICEWS_COLUMNS = (
    "Event ID",
    "Event Date",
    "Source Name",
    "Source Sectors",
    "Source Country",
    "Event Text",
    "CAMEO Code",
    "Intensity",
    "Target Name",
    "Target Sectors",
    "Target Country",
    "Story ID",
    "Sentence Number",
    "Publisher",
    "City",
    "District",
    "Province",
    "Country",
    "Latitude",
    "Longitude",
)
"""The columns of an ICEWS ``.tab`` file, in the order Dataverse publishes them."""

_REQUIRED = (
    "Event ID",
    "Event Date",
    "Source Name",
    "Source Sectors",
    "Source Country",
    "CAMEO Code",
    "Target Name",
    "Target Sectors",
    "Target Country",
)
_UNSPECIFIED = {"", "NA", "Unspecified Actor"}
_EVENT = f"<{ID}event/icews/"
_DAY = f"<{DIP.DayPrecision}>"


def read_icews(
    lines: Iterable[bytes], builder: Builder, *, path: str = "", tick: Callable[[int], None] | None = None
) -> None:
    """Write the events of the ``.tab`` file's ``lines`` (bytes; the header first) through ``builder``.

    Rows are numbered as a spreadsheet shows them: the header is row 1.

    Raises
    ------
    IngestError
        When the header lacks a column the mapping needs (nothing is read then).
    """
    header, rows = split_icews(lines, path=path, tick=tick)
    read_icews_rows(builder.rows(rows), builder, header=header, path=path)


def split_icews(
    lines: Iterable[bytes], *, path: str = "", tick: Callable[[int], None] | None = None
) -> tuple[list[str], Iterator[TabRow]]:
    """Return the header of a ``.tab`` file (checked) and its rows split into fields.

    This needs no graph: the files of a batch are split in worker processes.

    Raises
    ------
    IngestError
        When the header lacks a column the mapping needs.
    """
    iterator = bounded_lines(lines, path=path)
    header = next(iterator, b"").decode("utf-8-sig", "replace").rstrip("\r\n").split("\t")
    _Cells(header, path)
    hint = f"the header has {len(header)}"
    return header, tab_rows(iterator, first=2, width=len(header), hint=hint, tick=tick)


class _Cells:
    """The cells of a row by column name, for the header a file has (checked)."""

    def __init__(self, header: list[str], path: str):
        missing = [c for c in _REQUIRED if c not in header]
        if missing:
            raise IngestError(
                path,
                [
                    (
                        1,
                        c,
                        "missing from the header; an ICEWS .tab file starts with the "
                        "line 'Event ID<TAB>Event Date<TAB>Source Name<TAB>...'",
                    )
                    for c in missing
                ],
            )
        self.at = {name: header.index(name) for name in ICEWS_COLUMNS if name in header}
        self.width = len(header)

    def __call__(self, fields: list[str], name: str) -> str:
        position = self.at.get(name)
        return fields[position].strip() if position is not None else ""


def read_icews_rows(rows: Iterable[tuple[int, list[str]]], builder: Builder, *, header: list[str], path: str) -> None:
    """Write the events of rows already split into fields, ``(row number, fields)``, under ``header``."""
    cell = _Cells(header, path)
    for number, f in rows:
        if cell(f, "Source Name") in _UNSPECIFIED:
            builder.skip("no source actor ('Unspecified Actor')")
            continue
        problems: list[tuple[str, str]] = []
        row = _check(builder, f, cell, problems)
        if not builder.refused(number, problems):
            _write(builder, number, f, cell, row)


class _Row(NamedTuple):
    """The checked values of a row."""

    event_id: str
    date: str | None
    relation: str | None
    goldstein: str | None
    actor: _Found
    target: _Found


def _check(builder: Builder, f: list[str], cell: _Cells, problems: list[tuple[str, str]]) -> _Row:
    """Check a row's cells and resolve its actors; what is wrong goes to ``problems``."""
    event_id = cell(f, "Event ID")
    if not event_id.isdigit():
        problems.append(("Event ID", f"{event_id!r} is not a number"))
    date = builder.day(cell(f, "Event Date"))
    if date is None:
        problems.append(("Event Date", f"{cell(f, 'Event Date')!r} is not a real day written YYYY-MM-DD"))
    code = cell(f, "CAMEO Code")
    found = builder.index.relation_for_code(code)
    if found is None:
        hint = (
            f" (CAMEO codes keep their leading zeros: '0{code}'?)"
            if code.isdigit() and builder.index.relation_for_code("0" + code)
            else ""
        )
        problems.append(("CAMEO Code", f"{code!r} is not a CAMEO event code{hint}"))
    intensity = cell(f, "Intensity")
    goldstein = builder.decimal(intensity) if intensity and intensity != "NA" else ""
    if goldstein is None:
        problems.append(("Intensity", f"{intensity!r} is not a number"))
    actor, why = _actor(builder, cell(f, "Source Name"), cell(f, "Source Sectors"), cell(f, "Source Country"))
    if actor[0] is None:
        problems.append(("Source Name", why))
    target: _Found = (None, None, None, "")
    target_name = cell(f, "Target Name")
    if target_name not in _UNSPECIFIED:
        target, why = _actor(builder, target_name, cell(f, "Target Sectors"), cell(f, "Target Country"))
        if target[0] is None:
            problems.append(("Target Name", why))
    return _Row(event_id, date, found, goldstein, actor, target)


def _write(builder: Builder, number: int, f: list[str], cell: _Cells, row: _Row) -> None:
    """Write a good row: its actors (created on first use), their sectors and ties, the event."""
    actor, target = row.actor[0], row.target[0]
    assert row.date is not None and row.relation is not None and actor is not None
    builder.commit(actor, date=row.date)
    builder.commit(target, date=row.date)
    subject = f"{_EVENT}{row.event_id}>"
    for who, reading, state, country_text in (row.actor, row.target):
        if who is not None:
            builder.describe(
                who, reading, state, date=row.date, event=subject, row=number, scheme="icews", country_text=country_text
            )
    source = _source(builder, cell(f, "Story ID"), cell(f, "Publisher"))
    extra = [(T.datePrecision, _DAY), (T.datasetId, literal(row.event_id))]
    if row.goldstein:
        extra.append((T.goldsteinScale, row.goldstein))
    parts = (cell(f, "City"), cell(f, "Province"), cell(f, "Country"))
    place = ", ".join(p for p in parts if p not in ("", "NA"))
    if place:
        extra.append((T.location, builder.place(place, cell(f, "Latitude"), cell(f, "Longitude"), row=number)))
    targets = [target.term] if target is not None else []
    builder.event(subject, f"<{row.relation}>", actor.term, targets, row.date, source, extra)


def _source(builder: Builder, story: str, publisher: str) -> str:
    """Return the source of a row: its story (``id:source/icews/STORY_ID``), else the dataset."""
    if not story or story == "NA":
        return builder.dataset_source()
    label = f"ICEWS story {story}"
    if publisher not in ("", "NA"):
        label = f"{publisher}, {label}"
    story_id = story if story.isdigit() else slug(story)
    return builder.named_source(f"<{ID}source/icews/{story_id}>", label)


_Found = tuple[NewActor | None, Reading | None, NewActor | None, str]
"""An actor of a row, how its sectors read, its country's state, and a country resolving to none."""


def _actor(builder: Builder, name: str, sectors: str, country: str) -> tuple[_Found, str]:
    country = "" if country == "NA" else country
    if sectors in ("", "NA") and country:  # a country itself
        actor, why = builder.named_actor(name, kind=str(DIP.State), country=country)
        return (actor, None, None, ""), why
    generic = name.endswith(")") and "(" in name  # a generic agent: "Police (India)"
    reading = icews_reading(sectors, generic=generic)
    state, country_text = builder.country_state(country) if country else (None, "")
    actor, why = builder.named_actor(name, kind=reading.kind, state=state)
    return (actor, reading, state, country_text), why
