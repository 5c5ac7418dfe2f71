"""GDELT 2.0 event exports: 61 tab-separated columns, no header, one event a row.

How a row maps (see also :func:`kg._ingestion.ingest`):

- the event is ``id:event/gdelt/GLOBALEVENTID``, dated by SQLDATE (day precision), typed by
  EventCode through its CAMEO code (the one relation type of the taxonomy with that code, else
  the code's ``cameo:`` concept), with GoldsteinScale (``dip:goldsteinScale``), NumMentions
  (``dip:numMentions``), AvgTone (``dip:avgTone``) and GLOBALEVENTID (``dip:datasetId``) kept;
- Actor1 is the actor, Actor2 (when there is one) the target. A bare country code (Actor1Code
  equal to Actor1CountryCode: ``ISR``) is the state the graph has with that ``dip:actorCode``
  (a new ``dip:State`` when it has none); any other code (``ISRGOV``, ``COP``, ``IGOUNO``) is an
  actor of its own, ``id:actor/gdelt/CODE``, with the names GDELT gives it as aliases. Its type
  codes (Type1-3, else the code's three-letter chunks) are read through the package's table
  ``gdelt_types.tsv`` (:mod:`kg._ingestion.sectors`): a government type makes a government body
  part of its country's state (``dip:partOf``, which folding counts), an organisation type an
  organisation based in it (``dip:basedIn``), a people type (civilians, rebels, ...) a
  collective of it (``dip:collectiveOf``, never folded). The tie is a standing relation from
  the dataset observed on the row's date. Type codes, the known group, ethnic and religion
  codes are kept as ``dip:sector`` SKOS concepts; a type code the table lacks is reported and
  kept as ``dip:sectorText``, a country code that is no country as ``dip:countryText``. GDELT
  names roles, not persons: no person is created from a role;
- SOURCEURL is the event's source (``id:source/url/HASH``, with ``schema:url``), ActionGeo
  its location (``id:place/NAME`` with latitude and longitude; coordinates out of range are
  reported and kept as text);
- a row with no Actor1 is skipped (counted in the report): an event of the taxonomy needs
  someone who acted.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from typing import NamedTuple

from kg._ingestion._build import Builder, NewActor
from kg._ingestion._lines import TabRow, tab_rows
from kg._ingestion._terms import T, literal, typed
from kg._namespace import DIP, ID

__all__ = ["GDELT_COLUMNS", "read_gdelt", "read_gdelt_rows", "split_gdelt"]

GDELT_COLUMNS = (
    "GLOBALEVENTID SQLDATE MonthYear Year FractionDate "
    "Actor1Code Actor1Name Actor1CountryCode Actor1KnownGroupCode Actor1EthnicCode "
    "Actor1Religion1Code Actor1Religion2Code Actor1Type1Code Actor1Type2Code Actor1Type3Code "
    "Actor2Code Actor2Name Actor2CountryCode Actor2KnownGroupCode Actor2EthnicCode "
    "Actor2Religion1Code Actor2Religion2Code Actor2Type1Code Actor2Type2Code Actor2Type3Code "
    "IsRootEvent EventCode EventBaseCode EventRootCode QuadClass GoldsteinScale NumMentions "
    "NumSources NumArticles AvgTone "
    "Actor1Geo_Type Actor1Geo_FullName Actor1Geo_CountryCode Actor1Geo_ADM1Code Actor1Geo_ADM2Code "
    "Actor1Geo_Lat Actor1Geo_Long Actor1Geo_FeatureID "
    "Actor2Geo_Type Actor2Geo_FullName Actor2Geo_CountryCode Actor2Geo_ADM1Code Actor2Geo_ADM2Code "
    "Actor2Geo_Lat Actor2Geo_Long Actor2Geo_FeatureID "
    "ActionGeo_Type ActionGeo_FullName ActionGeo_CountryCode ActionGeo_ADM1Code ActionGeo_ADM2Code "
    "ActionGeo_Lat ActionGeo_Long ActionGeo_FeatureID DATEADDED SOURCEURL"
).split()
"""The 61 columns of a GDELT 2.0 event export, in order (the GDELT 2.0 Event Codebook)."""

assert len(GDELT_COLUMNS) == 61

_EVENT = f"<{ID}event/gdelt/"
_DAY = f"<{DIP.DayPrecision}>"


def _title(name: str) -> str:
    return name.title() if name.isupper() else name


def _codes(f: list[str], at: int) -> list[tuple[str, str, str]]:
    """Return the known group, ethnic and religion codes of the actor at column ``at``."""
    codes = []
    for offset, scheme, what in (
        (3, "gdelt-group", "known group"),
        (4, "gdelt-ethnic", "ethnic group"),
        (5, "gdelt-religion", "religion"),
        (6, "gdelt-religion", "religion"),
    ):
        code = f[at + offset]
        if code:
            codes.append((scheme, code, f"GDELT {what} code {code}"))
    return codes


def read_gdelt(lines: Iterable[bytes], builder: Builder, *, tick: Callable[[int], None] | None = None) -> None:
    """Write the events of the export's ``lines`` (bytes, one row each) through ``builder``.

    Every row is checked before it is written; a bad one is reported with its row number (the
    file has no header, so the first row is row 1) and column.
    """
    read_gdelt_rows(builder.rows(split_gdelt(lines, tick=tick)), builder)


def split_gdelt(lines: Iterable[bytes], *, tick: Callable[[int], None] | None = None) -> Iterator[TabRow]:
    """Yield the rows of an export split into their 61 fields (or what is wrong with a row).

    This needs no graph: the files of a batch are split in worker processes.
    """
    hint = "a GDELT 2.0 export row has 61 (is this a GDELT 1.0 file, or an event table? use format='csv' for those)"
    return tab_rows(lines, first=1, width=61, hint=hint, tick=tick)


def read_gdelt_rows(rows: Iterable[tuple[int, list[str]]], builder: Builder) -> None:
    """Write the events of rows already split into their 61 fields, ``(row number, fields)``."""
    types: dict[str, str | None] = {}
    source = _LastSource(builder)
    for number, f in rows:
        if not f[5]:
            builder.skip("no Actor1 (nobody who acted)")
            continue
        problems: list[tuple[str, str]] = []
        row = _check(builder, f, types, problems)
        if not builder.refused(number, problems):
            _write(builder, number, f, row, source(f[60]))


class _Row(NamedTuple):
    """The checked values of a good row."""

    date: str
    kind: str
    goldstein: str
    tone: str
    actor: NewActor | None  # None only in a bad row
    target: NewActor | None


class _LastSource:
    """The source of a row's SOURCEURL (rows of one article follow each other: one look-up)."""

    def __init__(self, builder: Builder):
        self.builder, self.url, self.term = builder, "", ""

    def __call__(self, url: str) -> str:
        if url != self.url or not self.term:
            self.url = url
            self.term = self.builder.url_source(url) if url else self.builder.dataset_source()
        return self.term


def _event_type(builder: Builder, code: str, types: dict[str, str | None]) -> str | None:
    """Return the relation type term of an EventCode (cached in ``types``), or None."""
    if code in types:
        return types[code]
    found = builder.index.relation_for_code(code)
    kind = types[code] = f"<{found}>" if found is not None else None
    return kind


def _check(builder: Builder, f: list[str], types: dict[str, str | None], problems: list[tuple[str, str]]) -> _Row:
    """Check a row's fields and resolve its actors; what is wrong goes to ``problems``."""
    if not f[0].isdigit():
        problems.append(("GLOBALEVENTID", f"{f[0]!r} is not a number"))
    date = builder.day(f[1])
    if date is None:
        problems.append(("SQLDATE", f"{f[1]!r} is not a real day written YYYYMMDD"))
    kind = _event_type(builder, f[26], types)
    if kind is None:
        problems.append(
            (
                "EventCode",
                f"{f[26]!r} is not a CAMEO event code (ontology/cameo.ttl); "
                "codes are strings with their leading zeros, such as '045'",
            )
        )
    goldstein, tone = builder.decimal(f[30]) if f[30] else "", builder.decimal(f[34]) if f[34] else ""
    if goldstein is None:
        problems.append(("GoldsteinScale", f"{f[30]!r} is not a number"))
    if tone is None:
        problems.append(("AvgTone", f"{f[34]!r} is not a number"))
    if f[31] and not f[31].isdigit():
        problems.append(("NumMentions", f"{f[31]!r} is not a whole number"))
    actor, why = builder.coded_actor(f[5], f[7], types=f[12:15], group=f[8], people=f[9:12])
    if actor is None:
        problems.append(("Actor1Code", why))
    target = None
    if f[15]:
        target, why = builder.coded_actor(f[15], f[17], types=f[22:25], group=f[18], people=f[19:22])
        if target is None:
            problems.append(("Actor2Code", why))
    return _Row(date or "", kind or "", goldstein or "", tone or "", actor, target)


def _write(builder: Builder, number: int, f: list[str], row: _Row, source: str) -> None:
    """Write a good row: its actors (created on first use), what GDELT says of them, the event."""
    assert row.actor is not None
    builder.commit(row.actor, date=row.date, name=_title(f[6]))
    builder.commit(row.target, date=row.date, name=_title(f[16]))
    subject = f"{_EVENT}{f[0]}>"
    for who, at in ((row.actor, 5), (row.target, 15)):
        if who is not None:
            reading, state, country_text = builder.coded_reading(f[at])
            if reading is not None:
                builder.describe(
                    who,
                    reading,
                    state,
                    date=row.date,
                    event=subject,
                    row=number,
                    scheme="gdelt",
                    codes=_codes(f, at),
                    country_text=country_text,
                )
    extra = [(T.datePrecision, _DAY), (T.datasetId, literal(f[0]))]
    if row.goldstein:
        extra.append((T.goldsteinScale, row.goldstein))
    if f[31]:
        extra.append((T.numMentions, typed(f[31], T.xsd_integer)))
    if row.tone:
        extra.append((T.avgTone, row.tone))
    if f[52]:
        extra.append((T.location, builder.place(f[52], f[56], f[57], row=number)))
    targets = [row.target.term] if row.target is not None else []
    builder.event(subject, row.kind, row.actor.term, targets, row.date, source, extra)
