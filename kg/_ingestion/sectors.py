"""What event datasets say about their actors: ICEWS sectors and GDELT actor types, as data.

Two tables ship with the package, each documented in its header:

- ``icews_sectors.tsv``: every ICEWS sector with its category (``government``, ``party``,
  ``organisation``, ``society``, ...);
- ``gdelt_types.tsv``: every CAMEO actor type code (``GOV``, ``CVL``, ``IGO``) with its words
  and category (``government``, ``organisation``, ``collective``).

From the categories :func:`icews_reading` and :func:`gdelt_reading` say how an actor is tied to
its country and, for the actors the ingestion creates, which kind it is. Nothing is guessed: a
sector or code the tables lack is returned as unknown, for the caller to report and keep as
text.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache, lru_cache
from pathlib import Path

from kg._namespace import DIP

__all__ = ["Reading", "gdelt_reading", "gdelt_types", "icews_reading", "icews_sectors"]


def _rows(name: str) -> list[list[str]]:
    path = Path(__file__).with_name(name)
    lines = path.read_text(encoding="utf-8").splitlines()
    rows = [line.split("\t") for line in lines if line and not line.startswith("#")]
    return rows[1:]  # the header


@cache
def icews_sectors() -> dict[str, str]:
    """Return the ICEWS sectors of ``icews_sectors.tsv`` with their categories.

    >>> icews_sectors()["Executive Office"], icews_sectors()["General Population / Civilian / Social"]
    ('government', 'society')
    """
    return {sector: category for sector, category in _rows("icews_sectors.tsv")}


@cache
def gdelt_types() -> dict[str, tuple[str, str]]:
    """Return the CAMEO actor type codes of ``gdelt_types.tsv``: code -> (words, category).

    >>> gdelt_types()["COP"]
    ('police', 'government')
    """
    return {code: (label, category) for code, label, category in _rows("gdelt_types.tsv")}


@dataclass(frozen=True)
class Reading:
    """How an actor of a dataset row is read.

    Attributes
    ----------
    kind : str
        The class IRI of an actor the ingestion creates.
    tie : str
        The relation type IRI tying the actor to its country's state (``dip:actsFor``,
        ``dip:partOf``, ``dip:collectiveOf``, ``dip:basedIn``).
    sectors : tuple of str
        The sectors or codes found in the table.
    unknown : tuple of str
        The sectors or codes the table lacks (to report and keep as text).
    labels : tuple of str
        The words of each of ``sectors`` (the sector itself for ICEWS, the table's words for a
        GDELT code).
    """

    kind: str
    tie: str
    sectors: tuple[str, ...] = ()
    unknown: tuple[str, ...] = ()
    labels: tuple[str, ...] = ()


@lru_cache(maxsize=4096)
def icews_reading(sectors: str, *, generic: bool) -> Reading:
    """Read an ICEWS actor's sectors (``"Government,Executive,..."``; ``NA`` for none).

    ``generic`` is True for a generic agent such as ``Citizen (Malaysia)``.

    >>> r = icews_reading("Social,General Population / Civilian / Social", generic=True)
    >>> r.kind.rsplit("#")[-1], r.tie.rsplit("#")[-1]
    ('Collective', 'collectiveOf')
    >>> icews_reading("Government,Executive,Parties", generic=False).tie.rsplit("#")[-1]
    'actsFor'
    >>> icews_reading("Elite,Moonlighting", generic=False).unknown
    ('Moonlighting',)
    """
    table = icews_sectors()
    names = [s.strip() for s in sectors.split(",") if s.strip() and s.strip() != "NA"]
    known = tuple(dict.fromkeys(s for s in names if s in table))
    unknown = tuple(dict.fromkeys(s for s in names if s not in table))
    categories = {table[s] for s in known}
    if "government" in categories:
        if generic:
            return Reading(str(DIP.GovernmentBody), str(DIP.partOf), known, unknown, known)
        return Reading(str(DIP.Actor), str(DIP.actsFor), known, unknown, known)
    if not generic:
        return Reading(str(DIP.Actor), str(DIP.basedIn), known, unknown, known)
    if categories and categories <= {"party", "ideology", "level"} and "party" in categories:
        return Reading(str(DIP.Organisation), str(DIP.basedIn), known, unknown, known)
    return Reading(str(DIP.Collective), str(DIP.collectiveOf), known, unknown, known)


def gdelt_reading(codes: list[str], *, group: bool = False, people: bool = False) -> Reading:
    """Read a GDELT actor's type codes (the first one that the table knows decides).

    ``group`` (a known group code, such as ``UNO``) makes an organisation and ``people`` (an
    ethnic or religion code) a collective when no type code says otherwise.

    >>> gdelt_reading(["GOV"]).tie.rsplit("#")[-1], gdelt_reading(["CVL"]).kind.rsplit("#")[-1]
    ('partOf', 'Collective')
    >>> gdelt_reading(["XYZ"]).unknown
    ('XYZ',)
    """
    table = gdelt_types()
    known = tuple(dict.fromkeys(c for c in codes if c in table))
    unknown = tuple(dict.fromkeys(c for c in codes if c and c not in table))
    labels = tuple(table[c][0] for c in known)
    category = table[known[0]][1] if known else ("organisation" if group else "collective" if people else "")
    if category == "government":
        return Reading(str(DIP.GovernmentBody), str(DIP.partOf), known, unknown, labels)
    if category == "organisation":
        return Reading(str(DIP.Organisation), str(DIP.basedIn), known, unknown, labels)
    if category == "collective":
        return Reading(str(DIP.Collective), str(DIP.collectiveOf), known, unknown, labels)
    return Reading(str(DIP.Actor), str(DIP.basedIn), known, unknown, labels)
