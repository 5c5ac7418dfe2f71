"""ICEWS coded event data in the Harvard Dataverse ``.tab`` layout.

The file has 20 tab-separated columns with a header (Event ID, Event Date, Source
Name/Sectors/Country, Event Text, CAMEO Code, Intensity, Target Name/Sectors/Country, Story ID,
Sentence Number, Publisher, City, District, Province, Country, Latitude, Longitude).

How a row maps (see also :func:`kg.ingestion.ingest`):

- the event is ``id:event/icews/EVENT_ID``, dated by Event Date, typed by CAMEO Code as GDELT's
  are, with Intensity kept as ``dip:goldsteinScale`` (ICEWS codes it on the same -10..+10 scale)
  and Event ID as ``dip:datasetId``;
- a source or target whose sectors are empty (``NA``) is a country: the graph's state of that
  name or code (``Russian Federation`` is ``RUS``), else a new ``dip:State``; any other name is
  found by label or alias or created as ``id:actor/NAME``: a generic agent ``Name (Country)``
  is a government body (part of the state) when its sectors are governmental, else a
  collective; a named actor is an organisation when its sectors name an (intergovernmental or
  non-governmental) organization, else a plain ``dip:Actor`` (ICEWS does not say who is a
  person);
- the story (Story ID, Publisher) is the source, ``id:source/icews/STORY_ID``; City, Province
  and Country make the location;
- a row whose source is ``Unspecified Actor`` is skipped (counted); an unspecified target is
  left out.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable

from kg.errors import IngestError
from kg.ingestion._build import Builder, NewActor, bounded_lines
from kg.ingestion._terms import T, literal, slug
from kg.namespace import DIP, ID

__all__ = ["ICEWS_COLUMNS", "read_icews"]

ICEWS_COLUMNS = (
    "Event ID", "Event Date", "Source Name", "Source Sectors", "Source Country", "Event Text",
    "CAMEO Code", "Intensity", "Target Name", "Target Sectors", "Target Country", "Story ID",
    "Sentence Number", "Publisher", "City", "District", "Province", "Country", "Latitude", "Longitude",
)
"""The columns of an ICEWS ``.tab`` file, in the order Dataverse publishes them."""

_REQUIRED = ("Event ID", "Event Date", "Source Name", "Source Sectors", "Source Country", "CAMEO Code",
             "Target Name", "Target Sectors", "Target Country")
_UNSPECIFIED = {"", "NA", "Unspecified Actor"}
_GOVERNMENT = re.compile(r"\b(Government|Executive|Military|Police|Legislative|Judicial|Ministry|Cabinet|"
                         r"Army|Navy|Air Force|Armed Forces|Intelligence|Parliament)\b")
_NOT_GOVERNMENT = re.compile(r"Non-Governmental|International Government Organization|Intergovernmental")
_EVENT = f"<{ID}event/icews/"
_DAY = f"<{DIP.DayPrecision}>"


def _kind(name: str, sectors: str) -> str:
    sectors = sectors if sectors != "NA" else ""
    if name.endswith(")") and "(" in name:  # a generic agent: "Police (India)"
        if _GOVERNMENT.search(_NOT_GOVERNMENT.sub("", sectors)):
            return str(DIP.GovernmentBody)
        return str(DIP.Collective)
    if "Organization" in sectors:  # international government or non-governmental organisations
        return str(DIP.Organisation)
    return str(DIP.Actor)  # ICEWS does not say whether a named actor is a person or a body


def read_icews(lines: Iterable[bytes], builder: Builder, *, path: str = "",
               tick: Callable[[int], None] | None = None) -> None:
    """Write the events of the ``.tab`` file's ``lines`` (bytes; the header first) through ``builder``.

    Rows are numbered as a spreadsheet shows them: the header is row 1.

    Raises
    ------
    IngestError
        When the header lacks a column the mapping needs (nothing is read then).
    """
    bad, index = builder.bad, builder.index
    iterator = bounded_lines(lines, path=path)
    header = next(iterator, b"").decode("utf-8-sig", "replace").rstrip("\r\n").split("\t")
    missing = [c for c in _REQUIRED if c not in header]
    if missing:
        raise IngestError(path, [(1, c, "missing from the header; an ICEWS .tab file starts with the "
                                  "line 'Event ID<TAB>Event Date<TAB>Source Name<TAB>...'") for c in missing])
    at = {name: header.index(name) for name in ICEWS_COLUMNS if name in header}
    width = len(header)

    def cell(fields: list[str], name: str) -> str:
        position = at.get(name)
        return fields[position].strip() if position is not None else ""

    hint = f"the header has {width}"
    for number, f in builder.tab_rows(iterator, first=2, width=width, hint=hint, tick=tick):
        source_name = cell(f, "Source Name")
        if source_name in _UNSPECIFIED:
            builder.skip("no source actor ('Unspecified Actor')")
            continue
        problems: list[tuple[str, str]] = []
        event_id = cell(f, "Event ID")
        if not event_id.isdigit():
            problems.append(("Event ID", f"{event_id!r} is not a number"))
        date = builder.day(cell(f, "Event Date"))
        if date is None:
            problems.append(("Event Date", f"{cell(f, 'Event Date')!r} is not a real day written YYYY-MM-DD"))
        code = cell(f, "CAMEO Code")
        found = index.relation_for_code(code)
        if found is None:
            hint = (f" (CAMEO codes keep their leading zeros: '0{code}'?)"
                    if code.isdigit() and index.relation_for_code("0" + code) else "")
            problems.append(("CAMEO Code", f"{code!r} is not a CAMEO event code{hint}"))
        intensity = cell(f, "Intensity")
        goldstein = builder.decimal(intensity) if intensity and intensity != "NA" else ""
        if goldstein is None:
            problems.append(("Intensity", f"{intensity!r} is not a number"))
        actor, why = _actor(builder, source_name, cell(f, "Source Sectors"), cell(f, "Source Country"))
        if actor is None:
            problems.append(("Source Name", why))
        target, target_name = None, cell(f, "Target Name")
        if target_name not in _UNSPECIFIED:
            target, why = _actor(builder, target_name, cell(f, "Target Sectors"), cell(f, "Target Country"))
            if target is None:
                problems.append(("Target Name", why))
        if problems:
            for column, message in problems:
                bad(number, column, message)
            continue
        assert date is not None and found is not None and actor is not None
        builder.commit(actor, date=date)
        builder.commit(target, date=date)
        story, publisher = cell(f, "Story ID"), cell(f, "Publisher")
        if story and story != "NA":
            label = f"ICEWS story {story}"
            if publisher not in ("", "NA"):
                label = f"{publisher}, {label}"
            story_id = story if story.isdigit() else slug(story)
            source = builder.named_source(f"<{ID}source/icews/{story_id}>", label)
        else:
            source = builder.dataset_source()
        extra = [(T.datePrecision, _DAY), (T.datasetId, literal(event_id))]
        if goldstein:
            extra.append((T.goldsteinScale, goldstein))
        parts = (cell(f, "City"), cell(f, "Province"), cell(f, "Country"))
        place = ", ".join(p for p in parts if p not in ("", "NA"))
        if place:
            extra.append((T.location, builder.place(place, cell(f, "Latitude"), cell(f, "Longitude"))))
        builder.event(f"{_EVENT}{event_id}>", f"<{found}>", actor.term,
                      [target.term] if target is not None else [], date, source, extra)


def _actor(builder: Builder, name: str, sectors: str, country: str) -> tuple[NewActor | None, str]:
    if sectors in ("", "NA") and country not in ("", "NA"):
        return builder.named_actor(name, kind=str(DIP.State), country=country)
    kind = _kind(name, sectors)
    return builder.named_actor(name, kind=kind, country=country if country != "NA" else "")
