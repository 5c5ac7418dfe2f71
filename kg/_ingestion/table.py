"""Event tables an analyst keeps by hand: one event a row, in CSV (or TSV) with a header.

Columns (names in any case; others are ignored with a warning):

============== ========= =============================================================
column         required  what it holds
============== ========= =============================================================
date           yes       ``YYYY-MM-DD``; ``YYYY-MM`` or ``YYYY`` when only the month or
                         year is known (the event then spans it: ``dip:endDate``)
actor          yes       who acted: a label, alias, IRI (``id:israel``) or actor code
                         (``ISR``) of the graph, or a new name (created, or refused
                         with ``strict``); empty only for an incident type
relation       yes       a relation type of the taxonomy by name, label or alias
                         (``recallsDiplomatsFrom``, ``recalls diplomats from``,
                         ``recalls``) or a CAMEO code (``161``, ``045``: keep the zeros)
target         yes       whom it was aimed at: actors as for ``actor``, several
                         separated by ``;`` (the parties of a mediation); may be empty
source         yes       the document: a source of the graph (IRI or title), a URL
                         (a new ``dip:Source`` with ``schema:url``) or a title (a new
                         source with that label)
quote          yes       one sentence of the source, verbatim (400 characters at most;
                         may be empty)
actor_kind     no        kind of a created actor: ``state``, ``government body``,
                         ``diplomatic mission``, ``organisation``, ``person``,
                         ``collective`` (a class of the ontology by label or name)
target_kind    no        the same for created targets
actor_wikidata no        ``Q801``: finds the actor by ``schema:sameAs``, or links a
                         created one
target_wikidata no       the same for a single target
date_precision no        ``day``, ``month``, ``year`` or ``interval`` (needs end_date)
end_date       no        the last possible day, ``YYYY-MM-DD``
note           no        a coder's note (``dip:note``)
confidence     no        how sure the coder is, 0 to 1 (``dip:confidence``)
quantity       no        how many, in the source's words: a figure with its hedge
                         (``5``, ``five``, ``some 1,400``, ``about 200``, ``more than
                         300``) or a word (``dozens``, ``scores``, ``thousands``)
quantity_of    no        what the quantity counts (``people killed``); needed with it
============== ========= =============================================================

A quantity keeps the source's words (``dip:words``). A figure becomes a ``dip:StatedFigure``
(``dip:amount``, and ``dip:hedge`` for about, some, more than, at least, up to); a word becomes a
``dip:VagueQuantity`` with no amount, only the lower bound the word implies (dozens: 24, scores:
40, hundreds: 200, thousands: 2000) as ``dip:impliedMinimum``, marked as a reading of the word.

A row whose relation type is a standing one (``maintains ties with``, ``part of``) becomes a
``dip:StandingRelation`` observed on the row's date, with exactly one target. The event's IRI is
``id:event/csv/HASH``, a hash of its resolved date, actor, type, targets, source and quote, so
ingesting the same row again adds nothing.
"""

from __future__ import annotations

import calendar
import contextlib
import csv
import datetime as dt
import logging
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import IO

from kg._errors import IngestError
from kg._ingestion._build import Builder, NewActor
from kg._ingestion._index import GraphIndex, RelationEntry
from kg._ingestion._lines import MAX_FIELD, MAX_LINE, bounded_lines, parse_day
from kg._ingestion._terms import A, T, digest, iri, is_absolute_iri, literal, slug, typed
from kg._namespace import DIP, ID, PREFIXES

__all__ = ["OPTIONAL_COLUMNS", "REQUIRED_COLUMNS", "read_table"]

log = logging.getLogger(__name__)

REQUIRED_COLUMNS = ("date", "actor", "relation", "target", "source", "quote")
"""Columns every event table has."""

OPTIONAL_COLUMNS = (
    "actor_kind",
    "target_kind",
    "actor_wikidata",
    "target_wikidata",
    "date_precision",
    "end_date",
    "note",
    "confidence",
    "quantity",
    "quantity_of",
)
"""Columns an event table may add."""

_PRECISIONS = {
    "day": DIP.DayPrecision,
    "month": DIP.MonthPrecision,
    "year": DIP.YearPrecision,
    "interval": DIP.IntervalPrecision,
}
_QID = re.compile(r"^(?:wd:|https?://www\.wikidata\.org/(?:entity|wiki)/)?(Q[1-9][0-9]*)$", re.IGNORECASE)
_DATE_FORMS = "write it YYYY-MM-DD (or YYYY-MM, YYYY when only the month or year is known)"

# The hedges of dip:Hedge (ontology/core.ttl) by the words that say them, and the lower bound a
# vague word implies (a reading, marked so): "dozens" is at least two dozen.
_HEDGES = {
    "about": DIP.About,
    "around": DIP.About,
    "approximately": DIP.About,
    "roughly": DIP.About,
    "some": DIP.Some,
    "more than": DIP.MoreThan,
    "over": DIP.MoreThan,
    "at least": DIP.AtLeast,
    "up to": DIP.UpTo,
}
_NUMBER_WORDS = {
    w: n for n, w in enumerate("zero one two three four five six seven eight nine ten eleven twelve".split())
}
_VAGUE = {
    "dozens": 24,
    "scores": 40,
    "hundreds": 200,
    "thousands": 2000,
    "tens of thousands": 20_000,
    "hundreds of thousands": 200_000,
    "millions": 2_000_000,
}
_HEDGE_WORDS = "|".join(sorted(_HEDGES, key=len, reverse=True))
_FIGURE = re.compile(
    rf"^(?:(?P<hedge>{_HEDGE_WORDS})\s+)?(?P<n>\d{{1,3}}(?:,\d{{3}})+|\d+|{'|'.join(_NUMBER_WORDS)})$", re.IGNORECASE
)


def _quantity(words: str) -> tuple[int | None, str, int | None]:
    """Return (amount, hedge IRI or "", implied minimum) for the words of a quantity.

    A figure gives its amount (and hedge); a vague word its implied minimum, or None for a word
    that implies none ("many").

    Examples
    --------
    >>> _quantity("some 1,400"), _quantity("five"), _quantity("Dozens of people")
    ((1400, 'https://w3id.org/dipkg/ns#Some', None), (5, '', None), (None, '', 24))
    """
    text = " ".join(words.split())
    match = _FIGURE.match(text)
    if match:
        number = match["n"].lower()
        amount = _NUMBER_WORDS[number] if number in _NUMBER_WORDS else int(number.replace(",", ""))
        hedge = _HEDGES[match["hedge"].lower()] if match["hedge"] else ""
        return amount, str(hedge), None
    lowered = text.lower()
    word = max((w for w in _VAGUE if lowered == w or lowered.startswith(w + " ")), key=len, default=None)
    return None, "", _VAGUE[word] if word else None


_Dates = tuple[dt.date | None, dt.date | None, str, str]


def _dates(text: str, precision: str, end_text: str) -> _Dates:
    """Return (first day, last day or None, precision name, problem)."""
    start, end, implied, why = _span(text.strip())
    if start is None:
        return None, None, "", why
    precision = precision.strip().lower() or implied
    if precision not in _PRECISIONS:
        return None, None, "", f"date_precision {precision!r} is not one of day, month, year, interval"
    if not end_text.strip():
        if precision == "interval":
            return None, None, "", "date_precision 'interval' needs an end_date"
        return start, end, precision, ""
    end = parse_day(end_text)
    if end is None:
        return None, None, "", f"end_date {end_text.strip()!r} is not a real day written YYYY-MM-DD"
    if end < start:
        return None, None, "", f"end_date {end} comes before the date {start}; swap them"
    return start, end, "interval" if precision == "day" else precision, ""


def _span(text: str) -> _Dates:
    """Return (first day, last day of a month or year or None, implied precision, problem) of a date.

    >>> _span("2024-02")[:3]
    (datetime.date(2024, 2, 1), datetime.date(2024, 2, 29), 'month')
    """
    if not text:
        return None, None, "", f"empty; {_DATE_FORMS}"
    if re.fullmatch(r"\d{4}(-\d{2})?", text) and int(text[:4]) < 1:
        return None, None, "", f"{text!r}: there is no year 0"
    found: _Dates
    if re.fullmatch(r"\d{4}", text):
        found = dt.date(int(text), 1, 1), dt.date(int(text), 12, 31), "year", ""
    elif re.fullmatch(r"\d{4}-\d{2}", text):
        year, month = int(text[:4]), int(text[5:])
        if not 1 <= month <= 12:
            return None, None, "", f"{text!r} is not a real month"
        found = dt.date(year, month, 1), dt.date(year, month, calendar.monthrange(year, month)[1]), "month", ""
    elif re.fullmatch(r"\d{4}-\d{2}-\d{2}", text):
        day = parse_day(text)
        if day is None:
            return None, None, "", f"{text!r} is not a real day"
        found = day, None, "day", ""
    else:
        return None, None, "", f"{text!r} is not a date; {_DATE_FORMS}"
    assert found[0] is not None
    if found[0] > dt.date.today():
        return (
            None,
            None,
            "",
            f"{text} is in the future (today is {dt.date.today()}): a table of events "
            "records what happened; check the year",
        )
    return found


def _delimiter(header: str) -> str:
    def known(delimiter: str) -> int:
        return sum(c.strip().lower() in REQUIRED_COLUMNS for c in header.split(delimiter))

    return max((",", "\t", ";"), key=known)


def _header(first: str, path: str) -> tuple[str, list[str]]:
    """Return the delimiter and the column names (lower case) of an event table's header line.

    Raises
    ------
    IngestError
        When the line is too long or lacks a required column.
    """
    if len(first) > MAX_LINE:
        raise IngestError(
            path, [(1, "(row)", f"the header is longer than {MAX_LINE:,} characters; is this an event table?")]
        )
    delimiter = _delimiter(first)
    header = [c.strip().lower() for c in next(csv.reader([first], delimiter=delimiter), [])]
    missing = [c for c in REQUIRED_COLUMNS if c not in header]
    if missing:
        hint = ""
        if first.count("\t") >= 57:
            hint = " (this looks like a GDELT export: use format='gdelt')"
        elif "Event ID" in first:
            hint = " (this looks like an ICEWS file: use format='icews')"
        raise IngestError(
            path,
            [
                (
                    1,
                    c,
                    "missing from the header; an event table's first row names the "
                    f"columns {','.join(REQUIRED_COLUMNS)}{hint}",
                )
                for c in missing
            ],
        )
    ignored = [c for c in header if c and c not in REQUIRED_COLUMNS + OPTIONAL_COLUMNS]
    if ignored:
        log.warning("%s: ignoring unknown column(s) %s", path, ", ".join(ignored))
    return delimiter, header


def read_table(text: IO[str], builder: Builder, *, path: str = "", tick: Callable[[int], None] | None = None) -> None:
    """Write the events of an event table (a text stream with its header) through ``builder``.

    Rows are numbered as a spreadsheet shows them: the header is row 1.

    Raises
    ------
    IngestError
        When the header lacks a required column (nothing is read then).
    """
    first = text.readline(MAX_LINE + 1)
    delimiter, header = _header(first, path)
    at = {name: header.index(name) for name in REQUIRED_COLUMNS + OPTIONAL_COLUMNS if name in header}
    lines = bounded_lines(text, path=path, first=2)
    reader = csv.reader(lines, delimiter=delimiter, strict=True)
    seen: set[str] = set()
    width = len(header)
    number = 1
    while True:
        number += 1
        try:
            with _field_limit():
                fields = next(reader)
        except StopIteration:
            break
        except csv.Error as exc:
            builder.report.rows += 1
            builder.bad(
                number,
                "(row)",
                f"not a CSV row ({exc}; a field may hold at most "
                f'{MAX_FIELD:,} characters, and a quote inside a quoted field is written "")',
            )
            continue
        if tick is not None and number % 5_000 == 0:
            tick(number)
        if not any(cell.strip() for cell in fields):
            continue
        builder.report.rows += 1
        if len(fields) != width:  # never truncated nor padded: a comma too many shifts every column
            column = header[len(fields)] if len(fields) < width else f"(field {width + 1}: {fields[width][:40]!r})"
            builder.bad(
                number,
                column,
                f"{len(fields)} fields where the header has {width}; quote a field "
                'holding the delimiter ("Ankara, the ministry said")',
            )
            continue
        row = {name: fields[i].strip() for name, i in at.items()}
        _row(builder, number, row, seen)


@contextlib.contextmanager
def _field_limit() -> Iterator[None]:
    # The csv module's limit is global: raised for this reader only, and put back.
    previous = csv.field_size_limit(MAX_FIELD)
    try:
        yield
    finally:
        csv.field_size_limit(previous)


def _names_an_iri(text: str) -> bool:
    """Return True for ``<...>``, ``urn:...`` or ``prefix:local`` with a package prefix (not a URL)."""
    if text.startswith(("http://", "https://")):
        return False
    prefix = text.split(":", 1)[0]
    return (text.startswith("<") and text.endswith(">")) or (
        is_absolute_iri(text) and (prefix in PREFIXES or prefix == "urn")
    )


def _kind(builder: Builder, value: str, column: str, problems: list[tuple[str, str]]) -> str:
    if not value:
        return ""
    kind = builder.index.kind(value)
    if kind is None:
        names = sorted({label for label in builder.index.kind_labels.values()})
        problems.append((column, f"unknown kind {value!r}; use one of {', '.join(names)}"))
        return ""
    return kind


def _wikidata(value: str, column: str, problems: list[tuple[str, str]]) -> str:
    if not value:
        return ""
    match = _QID.fullmatch(value)
    if match is None:
        problems.append((column, f"{value!r} is not a Wikidata ID such as Q801"))
        return ""
    return match.group(1).upper()


Problems = list[tuple[str, str]]
"""A row's problems as they are found: (column, what is wrong)."""


@dataclass
class _Parties:
    """Who a good row names: its actor (None for an incident) and its targets."""

    actor: NewActor | None
    targets: list[NewActor]


def _row(builder: Builder, number: int, row: dict[str, str], seen: set[str]) -> None:
    """Check one row of an event table and, when it is good, write it."""
    problems: Problems = []
    start, end, precision, why = _dates(row["date"], row.get("date_precision", ""), row.get("end_date", ""))
    if why:
        problems.append(("date" if not why.startswith(("end_date", "date_precision")) else why.split(" ", 1)[0], why))
    relation, entry = _relation(builder.index, row["relation"], problems)
    parties = _parties(builder, row, entry, problems)
    source = _source(builder.index, row["source"], problems)
    _check_quote(row["quote"], problems)
    _check_confidence(row.get("confidence", ""), problems)
    _check_quantity(row.get("quantity", ""), row.get("quantity_of", ""), problems)
    if builder.refused(number, problems):
        return
    assert start is not None and relation is not None and entry is not None
    if source is None:
        source = _new_source(builder, row["source"])
    key = digest(
        start.isoformat(),
        end.isoformat() if end else "",
        parties.actor.iri if parties.actor else "",
        relation,
        ";".join(sorted(t.iri for t in parties.targets)),
        source,
        row["quote"],
    )
    if key in seen:
        builder.skip("the same event as an earlier row")
        return
    seen.add(key)
    date = typed(start.isoformat(), T.xsd_date)
    for node in (parties.actor, *parties.targets):
        builder.commit(node, date=date)
    extra = _notes(row)
    if entry.standing:
        assert parties.actor is not None
        subject = f"<{ID}state/csv/{key}>"
        builder.standing(subject, iri(relation), parties.actor.term, parties.targets[0].term, date, source, extra)
        return
    extra = [(T.datePrecision, f"<{_PRECISIONS[precision]}>"), *extra]
    if end is not None:
        extra.append((T.endDate, typed(end.isoformat(), T.xsd_date)))
    if row.get("quantity", ""):
        event = f"{ID}event/csv/{key}"
        extra.append((T.quantity, _write_quantity(builder, event, row["quantity"], row.get("quantity_of", ""))))
    actor = parties.actor.term if parties.actor else None
    targets = [t.term for t in parties.targets]
    builder.event(f"<{ID}event/csv/{key}>", iri(relation), actor, targets, date, source, extra)


def _relation(index: GraphIndex, text: str, problems: Problems) -> tuple[str | None, RelationEntry | None]:
    """Return the relation type a row names (by name, label, alias or CAMEO code) and its entry."""
    if not text:
        problems.append(
            (
                "relation",
                "empty; give a relation type of the taxonomy (name, label or CAMEO code, such as 'condemns' or '111')",
            )
        )
        return None, None
    relation, close = index.relation(text)
    if relation is None:
        hint = f"; did you mean {', '.join(repr(c) for c in close)}?" if close else ""
        problems.append(
            (
                "relation",
                f"unknown relation type {text!r}: not a name, label "
                f"or CAMEO code of ontology/relations.ttl or ontology/cameo.ttl{hint}",
            )
        )
        return None, None
    return relation, index.relations[relation]


def _parties(builder: Builder, row: dict[str, str], entry: RelationEntry | None, problems: Problems) -> _Parties:
    """Resolve (or create) the actor and targets of a row, with the kinds and Wikidata IDs given."""
    actor_kind = _kind(builder, row.get("actor_kind", ""), "actor_kind", problems)
    target_kind = _kind(builder, row.get("target_kind", ""), "target_kind", problems)
    actor_qid = _wikidata(row.get("actor_wikidata", ""), "actor_wikidata", problems)
    target_qid = _wikidata(row.get("target_wikidata", ""), "target_wikidata", problems)
    actor: NewActor | None = None
    if row["actor"]:
        actor, why = builder.named_actor(row["actor"], kind=actor_kind, wikidata=actor_qid, one_kind=True)
        if actor is None:
            problems.append(("actor", why))
    elif entry is None or entry.kind != "incident":
        problems.append(("actor", "empty; name who did it (only an incident type, such as explosion, has no actor)"))
    names = [t.strip() for t in row["target"].split(";") if t.strip()]
    if target_qid and len(names) != 1:
        problems.append(("target_wikidata", "a Wikidata ID needs exactly one target"))
    targets: list[NewActor] = []
    for name in names:
        target, why = builder.named_actor(
            name, kind=target_kind, wikidata=target_qid if len(names) == 1 else "", one_kind=True
        )
        if target is None:
            problems.append(("target", why))
        else:
            targets.append(target)
    if entry is not None and entry.standing and len(names) != 1:
        problems.append(("target", f"{row['relation']!r} is a standing relation: give exactly one target"))
    return _Parties(actor, targets)


def _source(index: GraphIndex, text: str, problems: Problems) -> str | None:
    """Return the graph's source a row names, or None for a new one (or a problem)."""
    if not text:
        problems.append(
            ("source", "empty; name the document the event comes from (a URL, a title, or a source of the graph)")
        )
        return None
    found = index.source(text)
    if found is not None:
        return f"<{found}>"
    if _names_an_iri(text):
        problems.append(("source", f"{text!r} is no dip:Source of the graph; fix the IRI or give a URL or title"))
    return None


def _new_source(builder: Builder, text: str) -> str:
    """Declare the new source of a good row: a URL, else a title."""
    if text.startswith(("http://", "https://")):
        return builder.url_source(text)
    return builder.named_source(f"<{ID}source/{slug(text)}>", text)


def _check_quote(quote: str, problems: Problems) -> None:
    if len(quote) > 400:
        problems.append(("quote", f"{len(quote)} characters; a quote is one sentence of at most 400"))


def _check_confidence(confidence: str, problems: Problems) -> None:
    if not confidence:
        return
    try:
        ok = 0 <= float(confidence) <= 1 and Builder.decimal(confidence) is not None
    except ValueError:
        ok = False
    if not ok:
        problems.append(("confidence", f"{confidence!r} is not a number from 0 to 1"))


def _check_quantity(words: str, counted: str, problems: Problems) -> None:
    if words and not counted:
        problems.append(("quantity_of", f"empty; say what the quantity {words!r} counts (people killed)"))
    elif counted and not words:
        problems.append(("quantity", f"empty; give how many {counted!r}, in the source's words"))
    elif words and re.search(r"\d", words) and _quantity(words)[0] is None:
        problems.append(
            ("quantity", f"{words!r} is not a figure such as 5, 'some 1,400' or 'about 200', nor a word such as dozens")
        )


def _notes(row: dict[str, str]) -> list[tuple[str, str]]:
    """Return the quote, note and confidence pairs of a good row."""
    extra: list[tuple[str, str]] = []
    if row["quote"]:
        extra.append((T.quote, literal(row["quote"])))
    if row.get("note"):
        extra.append((T.note, literal(row["note"])))
    if row.get("confidence", ""):
        extra.append((T.confidence, typed(row["confidence"].strip(), T.xsd_decimal)))
    return extra


def _write_quantity(builder: Builder, event: str, words: str, counted: str) -> str:
    """Write the quantity of an event (and the reading of a vague word); return its IRI term."""
    amount, hedge, minimum = _quantity(words)
    node = f"<{event}/quantity>"
    pairs = [(T.words, literal(words)), (T.countOf, literal(counted))]
    if amount is not None:
        pairs = [(A, f"<{DIP.StatedFigure}>"), (T.amount, typed(str(amount), T.xsd_integer)), *pairs]
        if hedge:
            pairs.append((f"<{DIP.hedge}>", f"<{hedge}>"))
    else:
        pairs = [(A, f"<{DIP.VagueQuantity}>"), *pairs]
        if minimum is not None:
            reading = f"<{event}/quantity/reading>"
            pairs += [(f"<{DIP.impliedMinimum}>", typed(str(minimum), T.xsd_integer)), (f"<{DIP.hasReading}>", reading)]
            builder.sink.block(
                reading,
                [
                    (A, f"<{DIP.Reading}>"),
                    (f"<{DIP.readingOf}>", f"<{DIP.impliedMinimum}>"),
                    (T.words, literal(words)),
                    (T.note, literal(f"the lower bound {words!r} implies; the source gives no number")),
                ],
            )
    builder.sink.block(node, pairs)
    return node
