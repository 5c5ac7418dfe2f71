"""RDF terms as N-Triples text, and the writers that stream them to N-Triples or Turtle files.

Ingestion builds every term as text once (``<iri>``, ``"literal"^^<datatype>``) and writes it
straight to a file: no rdflib object per triple, which is what keeps a million events fast.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
from collections.abc import Sequence
from functools import lru_cache
from typing import IO

from rdflib.namespace import PROV, RDF, RDFS, SKOS, XSD

from kg._namespace import CAMEO, DIP, ID, PREFIXES, SCHEMA

__all__ = [
    "A",
    "Sink",
    "T",
    "digest",
    "iri",
    "is_absolute_iri",
    "literal",
    "slug",
    "typed",
]

A = f"<{RDF.type}>"

_ESCAPES = str.maketrans({"\\": "\\\\", '"': '\\"', "\n": "\\n", "\r": "\\r"})
# An IRI needing no change: a scheme, then only characters RFC 3987 allows anywhere (no '%').
_PLAIN_IRI = re.compile(
    r"^[A-Za-z][A-Za-z0-9+.-]*:[A-Za-z0-9._~!$&'()*+,;=:@/?-]*(?:#[A-Za-z0-9._~!$&'()*+,;=:@/?-]*)?$"
)
_KEEP = frozenset("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789._~!$&'()*+,;=:@/?-")
_HEX = frozenset("0123456789ABCDEFabcdef")


def _ucschar(c: str) -> bool:
    """Return True for a non-ASCII character RFC 3987 allows in an IRI path (``ucschar``)."""
    n = ord(c)
    if n < 0xA0 or 0xD800 <= n <= 0xF8FF or 0xFDD0 <= n <= 0xFDEF or 0xFFF0 <= n <= 0xFFFF:
        return False
    return n < 0xE0000 and (n & 0xFFFF) < 0xFFFE


_ABSOLUTE = re.compile(r"^[A-Za-z][A-Za-z0-9+.-]*:[^\s<>\"{}|^`\\]+$")


def literal(text: str, *, lang: str | None = None) -> str:
    r"""Return the N-Triples form of a plain (or language-tagged) string literal.

    >>> literal('He said "go"')
    '"He said \\"go\\""'
    """
    body = '"' + text.translate(_ESCAPES) + '"'
    return f"{body}@{lang}" if lang else body


def typed(lexical: str, datatype: str) -> str:
    """Return the N-Triples form of a typed literal whose lexical form needs no escaping."""
    return f'"{lexical}"^^<{datatype}>'


def iri(text: str) -> str:
    """Return ``<text>`` with whatever an IRI may not hold there percent-encoded.

    >>> iri("https://example.org/a b")
    '<https://example.org/a%20b>'
    """
    if _PLAIN_IRI.fullmatch(text):
        return f"<{text}>"
    out, fragment = [], False
    for i, c in enumerate(text):
        if c in _KEEP or (c > "\x7f" and _ucschar(c)):
            out.append(c)
        elif c == "%" and text[i + 1 : i + 2] in _HEX and text[i + 2 : i + 3] in _HEX and i + 2 < len(text):
            out.append(c)
        elif c == "#" and not fragment:
            fragment = True
            out.append(c)
        else:
            out.append("".join(f"%{b:02X}" for b in c.encode("utf-8", "surrogatepass")))
    return "<" + "".join(out) + ">"


def is_absolute_iri(text: str) -> bool:
    """Return True when ``text`` is an absolute IRI (a scheme, a colon, no spaces)."""
    return bool(_ABSOLUTE.fullmatch(text))


def slug(text: str, *, limit: int = 80) -> str:
    """Return a readable, IRI-safe identifier for a name (lower case, ASCII, dashes).

    >>> slug("Recep Tayyip Erdoğan")
    'recep-tayyip-erdogan'
    >>> slug("Foreign Affairs (Russia)")
    'foreign-affairs-russia'
    """
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")
    result = re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-")[:limit].strip("-")
    return result or "x" + digest(text)[:12]


def digest(*parts: str) -> str:
    """Return a stable 20-character hexadecimal hash of the parts (for deterministic IRIs)."""
    return hashlib.sha1("\x1f".join(parts).encode("utf-8")).hexdigest()[:20]


# ---------------------------------------------------------------- writers

# Prefixes of the Turtle files ingestion writes: the package's own, plus one per folder of id:
# (a Turtle local name cannot contain '/').
_TURTLE_PREFIXES: dict[str, str] = {
    **PREFIXES,
    "actor": f"{ID}actor/",
    "gdelt-actor": f"{ID}actor/gdelt/",
    "event": f"{ID}event/",
    "csv-event": f"{ID}event/csv/",
    "gdelt-event": f"{ID}event/gdelt/",
    "icews-event": f"{ID}event/icews/",
    "source": f"{ID}source/",
    "url-source": f"{ID}source/url/",
    "icews-source": f"{ID}source/icews/",
    "place": f"{ID}place/",
    "occurrence": f"{ID}occurrence/",
    "sector": f"{ID}sector/",
    "icews-sector": f"{ID}sector/icews/",
    "gdelt-sector": f"{ID}sector/gdelt/",
    "state": f"{ID}state/",
    "csv-state": f"{ID}state/csv/",
    "gdelt-state": f"{ID}state/gdelt/",
    "icews-state": f"{ID}state/icews/",
}
_BY_LENGTH = sorted(((ns, p) for p, ns in _TURTLE_PREFIXES.items()), key=lambda x: -len(x[0]))
_LOCAL = re.compile(r"^[A-Za-z0-9_](?:[A-Za-z0-9_.-]*[A-Za-z0-9_-])?$")
_DATATYPE = re.compile(r"\^\^<([^>]*)>$")


@lru_cache(maxsize=1 << 16)
def _short(term: str) -> str:
    if term.startswith("<"):
        value = term[1:-1]
        if value == str(RDF.type):
            return "a"
        for namespace, prefix in _BY_LENGTH:
            if value.startswith(namespace) and _LOCAL.fullmatch(value[len(namespace) :]):
                return f"{prefix}:{value[len(namespace) :]}"
        return term
    match = _DATATYPE.search(term)
    if match:
        return term[: match.start()] + "^^" + _short(f"<{match.group(1)}>")
    return term


class Sink:
    """Write blocks of triples (a subject and its ``(predicate, object)`` pairs) to a text file.

    Parameters
    ----------
    handle : text file
        Where to write.
    turtle : bool, default False
        Write Turtle with prefixes, one block per subject, instead of N-Triples.
    """

    def __init__(self, handle: IO[str], *, turtle: bool = False):
        self.handle, self.turtle, self.triples = handle, turtle, 0
        if turtle:
            handle.write("".join(f"@prefix {p}: <{ns}> .\n" for p, ns in _TURTLE_PREFIXES.items()) + "\n")

    def block(self, subject: str, pairs: Sequence[tuple[str, str]]) -> None:
        """Write the triples ``subject p o`` for every pair."""
        self.triples += len(pairs)
        if not self.turtle:
            self.handle.write("".join(f"{subject} {p} {o} .\n" for p, o in pairs))
            return
        body = " ;\n    ".join(f"{_short(p)} {_short(o)}" for p, o in pairs)
        self.handle.write(f"{_short(subject)} {body} .\n\n")

    def comment(self, text: str) -> None:
        """Write a comment line (Turtle only; N-Triples files get none)."""
        if self.turtle:
            self.handle.write("".join(f"# {line}\n" for line in text.splitlines()) + "\n")


# ---------------------------------------------------------------- frequent terms


class T:
    """Frequent terms in N-Triples form (namespace members resolved once)."""

    Event = f"<{DIP.Event}>"
    Source = f"<{DIP.Source}>"
    Place = f"<{DIP.Place}>"
    State = f"<{DIP.State}>"
    StandingRelation = f"<{DIP.StandingRelation}>"
    Day = f"<{DIP.DayPrecision}>"
    eventType = f"<{DIP.eventType}>"
    actor = f"<{DIP.actor}>"
    target = f"<{DIP.target}>"
    date = f"<{DIP.date}>"
    endDate = f"<{DIP.endDate}>"
    datePrecision = f"<{DIP.datePrecision}>"
    source = f"<{DIP.source}>"
    quote = f"<{DIP.quote}>"
    note = f"<{DIP.note}>"
    confidence = f"<{DIP.confidence}>"
    location = f"<{DIP.location}>"
    datasetId = f"<{DIP.datasetId}>"
    goldsteinScale = f"<{DIP.goldsteinScale}>"
    numMentions = f"<{DIP.numMentions}>"
    avgTone = f"<{DIP.avgTone}>"
    actorCode = f"<{DIP.actorCode}>"
    relationType = f"<{DIP.relationType}>"
    subject = f"<{DIP.subject}>"
    object = f"<{DIP.object}>"
    observedOn = f"<{DIP.observedOn}>"
    quantity = f"<{DIP.quantity}>"
    words = f"<{DIP.words}>"
    countOf = f"<{DIP.countOf}>"
    amount = f"<{DIP.amount}>"
    partOf = f"<{DIP.partOf}>"
    actsFor = f"<{DIP.actsFor}>"
    collectiveOf = f"<{DIP.collectiveOf}>"
    basedIn = f"<{DIP.basedIn}>"
    sector = f"<{DIP.sector}>"
    sectorText = f"<{DIP.sectorText}>"
    countryText = f"<{DIP.countryText}>"
    coordinatesText = f"<{DIP.coordinatesText}>"
    Occurrence = f"<{DIP.Occurrence}>"
    occurrence = f"<{DIP.occurrence}>"
    Concept = f"<{SKOS.Concept}>"
    ConceptScheme = f"<{SKOS.ConceptScheme}>"
    prefLabel = f"<{SKOS.prefLabel}>"
    inScheme = f"<{SKOS.inScheme}>"
    wasDerivedFrom = f"<{PROV.wasDerivedFrom}>"
    label = f"<{RDFS.label}>"
    altLabel = f"<{SKOS.altLabel}>"
    sameAs = f"<{SCHEMA.sameAs}>"
    url = f"<{SCHEMA.url}>"
    latitude = f"<{SCHEMA.latitude}>"
    longitude = f"<{SCHEMA.longitude}>"
    xsd_date = str(XSD.date)
    xsd_decimal = str(XSD.decimal)
    xsd_integer = str(XSD.integer)
    cameo = str(CAMEO)
