"""What a validation says: violations, the report, and the file and line that declare each node."""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from rdflib import Literal, URIRef
from rdflib.term import Node

from kg._tabular import short_iri

__all__ = ["ValidationReport", "Violation", "locate", "placed", "short"]


@dataclass(frozen=True)
class Violation:
    """One broken rule.

    Attributes
    ----------
    node : str
        The node that breaks it, in prefixed form (``id:event/recall``).
    path : str
        The property concerned, in prefixed form, or ``""``.
    rule : str
        The SHACL constraint component (``MinCount``, ``Class``, ``Datatype``, ...).
    message : str
        What is wrong and how to fix it.
    severity : str
        ``"Violation"`` or ``"Warning"``.
    value : str
        The offending value, where there is one.
    file : str
        The file that declares the node, where found.
    line : int or None
        The line in that file.

    Examples
    --------
    >>> print(Violation("id:event/e", "dip:date", "MinCount", "needs a date", file="e.ttl", line=3))
    e.ttl:3: violation: id:event/e dip:date: needs a date [rule MinCount]
    """

    node: str
    path: str
    rule: str
    message: str
    severity: str = "Violation"
    value: str = ""
    file: str = ""
    line: int | None = None

    def __str__(self) -> str:
        where = f"{self.file}:{self.line}: " if self.line else (f"{self.file}: " if self.file else "")
        what = f" {self.path}" if self.path else ""
        value = f" (value {self.value})" if self.value else ""
        return f"{where}{self.severity.lower()}: {self.node}{what}{value}: {self.message} [rule {self.rule}]"


@dataclass
class ValidationReport:
    """The outcome of a validation: conforms, plus every violation and warning.

    Examples
    --------
    >>> ValidationReport(True).text()
    'conforms'
    """

    conforms: bool
    results: list[Violation] = field(default_factory=list)

    @property
    def violations(self) -> list[Violation]:
        """The results that make the data not conform."""
        return [r for r in self.results if r.severity == "Violation"]

    @property
    def warnings(self) -> list[Violation]:
        """The results that are only warnings (a missing quote)."""
        return [r for r in self.results if r.severity != "Violation"]

    def text(self, *, warnings: bool = True) -> str:
        """Return the report as lines of text, violations first (then warnings, if asked)."""
        head = "conforms" if self.conforms else f"does not conform: {len(self.violations)} violation(s)"
        if self.warnings:
            head += f", {len(self.warnings)} warning(s)"
        shown = self.violations + (self.warnings if warnings else [])
        return "\n".join([head, *(str(r) for r in shown)])


def short(node: Node | None) -> str:
    """Write a term as the report shows it: prefixed IRI, N3 literal, or "a blank node".

    Examples
    --------
    >>> short(URIRef("https://w3id.org/dipkg/ns#date"))
    'dip:date'
    """
    if node is None:
        return ""
    if isinstance(node, URIRef):
        prefixed = short_iri(str(node))
        return prefixed if prefixed != str(node) else f"<{node}>"
    if isinstance(node, Literal):
        return node.n3()
    return "a blank node"


_PREFIX = re.compile(r"@prefix\s+([\w.-]*):\s*<([^>]*)>", re.IGNORECASE)
_TOKEN = re.compile(r"<[^>\s]*>|[\w.-]*:[\w/.%#-]*")


def locate(nodes: Iterable[str], files: Sequence[Path]) -> dict[str, tuple[str, int | None]]:
    r"""Find the file and line that declare each IRI: where it stands as a subject, else its first mention.

    The files are read once, line by line, whatever the number of nodes; the first file that
    mentions a node names it.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> path = pathlib.Path(tempfile.mkdtemp()) / "a.ttl"
    >>> _ = path.write_text("@prefix ex: <https://example.org/> .\nex:b ex:p ex:a .\nex:a ex:p 1 .\n")
    >>> locate(["https://example.org/a"], [path])["https://example.org/a"][1]
    3
    """
    wanted = set(nodes)
    found: dict[str, tuple[str, int | None]] = {}
    for path in files:
        if not wanted:
            break
        seen = _scan(path, wanted)
        for node, line in seen.items():
            found[node] = (str(path), line)
        wanted -= set(seen)
    return found


def _scan(path: Path, wanted: set[str]) -> dict[str, int]:
    """Return the line of each wanted IRI in one file: its declaration (as subject), else its first mention."""
    prefixes: dict[str, str] = {}
    subject: dict[str, int] = {}
    mention: dict[str, int] = {}
    try:
        with path.open(encoding="utf-8") as handle:
            for number, line in enumerate(handle, 1):
                if "@prefix" in line or "@PREFIX" in line:
                    prefixes.update(_PREFIX.findall(line))
                for match in _TOKEN.finditer(line):
                    iri = _expand(match.group().rstrip("."), prefixes)
                    if iri not in wanted or iri in subject:
                        continue
                    mention.setdefault(iri, number)
                    if match.start() == len(line) - len(line.lstrip()):
                        subject[iri] = number  # the node as a subject: its declaration
                if len(subject) == len(wanted):
                    break
    except (OSError, UnicodeDecodeError):
        return {}
    return {**mention, **subject}


def _expand(token: str, prefixes: dict[str, str]) -> str:
    if token.startswith("<"):
        return token[1:-1]
    prefix, _, local = token.partition(":")
    namespace = prefixes.get(prefix)
    return namespace + local if namespace is not None else ""


def placed(found: Sequence[tuple[str, Violation]], files: Sequence[Path]) -> list[Violation]:
    """Point each violation (given with its focus IRI, ``""`` for a blank node) at its file and line; sort them.

    Violations come first, then warnings, each by file, line, node and property.
    """
    places = locate({iri for iri, _ in found if iri}, files) if found else {}
    results = []
    for iri, violation in found:
        file, line = places.get(iri, ("", None))
        results.append(Violation(**{**violation.__dict__, "file": file, "line": line}))
    results.sort(key=lambda r: (r.severity != "Violation", r.file, r.line or 0, r.node, r.path))
    return results
