"""Country and region codes of event datasets (ISO 3166-1 alpha-3 and CAMEO regions), with names."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from pathlib import Path

__all__ = ["Country", "countries", "country_by_code", "country_by_name"]


@dataclass(frozen=True)
class Country:
    """A code of ``countries.tsv``: a state (ISO 3166-1) or a region of the CAMEO codebook.

    Attributes
    ----------
    code : str
        The alpha-3 code (``ISR``) or CAMEO region code (``MEA``).
    kind : str
        ``"state"`` or ``"region"``.
    name : str
        The English name used as the label of a state the ingestion creates.
    aliases : tuple of str
        Other names (official, former, as datasets write them).
    """

    code: str
    kind: str
    name: str
    aliases: tuple[str, ...] = ()


@cache
def countries() -> dict[str, Country]:
    """Return the table, by code.

    >>> countries()["ISR"].name
    'Israel'
    >>> countries()["MEA"].kind
    'region'
    """
    table: dict[str, Country] = {}
    path = Path(__file__).with_name("countries.tsv")
    for line in path.read_text(encoding="utf-8").splitlines():
        if not line or line.startswith("#") or line.startswith("code\t"):
            continue
        code, kind, name, aliases = line.split("\t")
        table[code] = Country(code, kind, name, tuple(a for a in aliases.split(";") if a))
    return table


def country_by_code(code: str) -> Country | None:
    """Return the country or region with this code (any case), or None."""
    return countries().get(code.upper())


@cache
def _by_name() -> dict[str, Country]:
    names: dict[str, Country] = {}
    for country in countries().values():
        for name in (country.name, *country.aliases):
            names.setdefault(name.casefold(), country)
    return names


def country_by_name(name: str) -> Country | None:
    """Return the country with this name or alias (any case), or None.

    >>> country_by_name("Russian Federation").code
    'RUS'
    """
    return _by_name().get(name.strip().casefold())
