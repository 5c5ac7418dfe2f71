"""Named queries: the ``.rq`` files shipped in ``kg/queries``, their headers and parameters."""

from __future__ import annotations

import difflib
import functools
import re
from dataclasses import dataclass
from pathlib import Path

from kg._errors import InputError, UnknownNameError
from kg._resources import queries_dir
from kg._timecut import TIME_PARAMETERS, expand_directives

__all__ = [
    "PARAMETER_KINDS",
    "NamedQuery",
    "Parameter",
    "get_query",
    "list_queries",
    "parameter_key",
    "parse_header",
    "source",
]

PARAMETER_KINDS = ("actor", "event", "type", "date", "integer", "text", "iri")
_NAME = re.compile(r"^[A-Za-z][A-Za-z0-9_-]*$")


@dataclass(frozen=True)
class Parameter:
    """A parameter a query declares: ``# param: NAME (KIND[, required]) — description``."""

    name: str
    kind: str
    description: str = ""
    required: bool = False

    def __str__(self) -> str:
        return f"{self.name} ({self.kind}{', required' if self.required else ''})"


@dataclass(frozen=True)
class NamedQuery:
    """A query shipped with the package (or any text with the same header).

    Attributes
    ----------
    name, description : str
        From the ``# name:`` and ``# description:`` header lines.
    parameters : tuple of Parameter
        From the ``# param:`` lines, in order.
    text : str
        The query as written (time-cut directives still comments).
    path : Path or None
        The file it was read from.

    Examples
    --------
    >>> import kg
    >>> named = kg.get_query("claims")
    >>> isinstance(named, kg.NamedQuery), named.name
    (True, 'claims')
    """

    name: str
    description: str
    parameters: tuple[Parameter, ...]
    text: str
    path: Path | None = None

    @property
    def sparql(self) -> str:
        """The query with its ``# timecut:`` directives expanded (what the engine runs)."""
        return expand_directives(self.text)

    @property
    def time_aware(self) -> bool:
        """True when the query declares ``asOf``, ``since`` and ``until`` (it cuts itself)."""
        names = {p.name for p in self.parameters}
        return all(name in names for name in TIME_PARAMETERS)

    def parameter(self, name: str) -> Parameter | None:
        """Return the parameter called ``name`` (ignoring case, ``-`` and ``_``), or None."""
        key = parameter_key(name)
        return next((p for p in self.parameters if parameter_key(p.name) == key), None)


def parameter_key(name: str) -> str:
    return name.replace("-", "").replace("_", "").lower()


_HEADER = re.compile(r"^#\s*(name|description|param):\s*(.*?)\s*$")
_PARAM = re.compile(
    r"^(?P<name>[A-Za-z][A-Za-z0-9_]*)\s*\((?P<kind>[a-z]+)(?P<req>\s*,\s*required)?\)"
    r"\s*(?:[—–-]+\s*(?P<text>.*))?$"
)


def parse_header(text: str, *, path: Path | None = None) -> NamedQuery:
    """Read the ``# name/description/param`` lines that open a query.

    Raises
    ------
    InputError
        For a ``# param:`` line that does not read ``NAME (KIND) — description``.
    """
    name, description, parameters = "", "", []
    for line in text.splitlines():
        stripped = line.strip()
        if not stripped:
            continue
        if not stripped.startswith("#"):
            break
        match = _HEADER.match(stripped)
        if not match:
            continue
        field_name, value = match.groups()
        if field_name == "name":
            name = value
        elif field_name == "description":
            description = value
        else:
            param = _PARAM.match(value)
            if not param or param["kind"] not in PARAMETER_KINDS:
                where = f"{path}: " if path else ""
                raise InputError(
                    f"{where}bad parameter line {stripped!r}: write '# param: NAME (KIND) — "
                    f"what it is', KIND one of {', '.join(PARAMETER_KINDS)}"
                )
            parameters.append(Parameter(param["name"], param["kind"], param["text"] or "", bool(param["req"])))
    return NamedQuery(name or (path.stem if path else ""), description, tuple(parameters), text, path)


@functools.cache
def _shipped() -> dict[str, NamedQuery]:
    queries = {}
    for path in sorted(queries_dir().glob("*.rq")):
        named = parse_header(path.read_text(encoding="utf-8"), path=path)
        queries[named.name] = named
    return queries


def list_queries() -> list[NamedQuery]:
    """Return the named queries shipped with the package, by name.

    Examples
    --------
    >>> "condemnations" in [q.name for q in list_queries()]
    True
    """
    return list(_shipped().values())


def get_query(name: str) -> NamedQuery:
    """Return the named query ``name``.

    Raises
    ------
    UnknownNameError
        With the closest names and the list of every name.

    Examples
    --------
    >>> import kg
    >>> "SELECT" in kg.get_query("claims").sparql
    True
    """
    queries = _shipped()
    if name in queries:
        return queries[name]
    close = difflib.get_close_matches(name, list(queries), n=3, cutoff=0.5)
    names = ", ".join(queries)
    raise UnknownNameError(
        "named query", name, close, hint=f"the named queries are: {names} ('kg queries' describes them)"
    )


def source(spec: str | Path) -> NamedQuery:
    """Turn the query argument (text, a file, a name) into a :class:`NamedQuery`."""
    if isinstance(spec, Path) or (len(spec) < 1000 and "\n" not in spec and spec.endswith((".rq", ".sparql"))):
        path = Path(spec)
        if not path.is_file():
            raise InputError(f"{path}: no such query file")
        try:
            text = path.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError) as exc:
            raise InputError(f"{path}: cannot read the query file: {exc}") from exc
        return parse_header(text, path=path)
    if _NAME.match(spec):
        return get_query(spec)
    return parse_header(spec)
