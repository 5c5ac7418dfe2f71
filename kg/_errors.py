"""The exception tree of the package.

Every error the package raises for bad input derives from :class:`KGError`, so a caller (and
the CLI) can catch one class::

    KGError
    ├── InputError                 bad input: exit code 2 in the CLI
    │   ├── ParseError             a file that does not parse (file:line:column)
    │   ├── QueryError             a SPARQL query that is broken or refused (line:column)
    │   ├── UnknownNameError       an actor, relation type or named query that does not exist
    │   └── IngestError            rows of an event table that cannot be ingested
    ├── ValidationError            data that parses but breaks the SHACL shapes: exit code 1
    └── EngineError                a store or endpoint that cannot be reached or used: exit 2
        ├── StoreBusyError         a store's lock not obtained in time (another process holds it)
        ├── QueryTimeoutError      a query stopped at its time limit
        └── InternalError          a fault of the package itself: exit 3

Messages say what failed, where, and how to fix it; the same details live in attributes.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Protocol

__all__ = [
    "EngineError",
    "IngestError",
    "InputError",
    "InternalError",
    "KGError",
    "ParseError",
    "QueryError",
    "QueryTimeoutError",
    "StoreBusyError",
    "UnknownNameError",
    "ValidationError",
]


class _Report(Protocol):
    """What a validation error carries: a report that can say itself (``kg.ValidationReport``)."""

    conforms: bool

    def text(self) -> str: ...


_SYNTAX = {".nt": "N-Triples", ".n3": "N3", ".rdf": "RDF/XML", ".owl": "RDF/XML", ".xml": "RDF/XML"}


class KGError(Exception):
    """Base class of every error the package raises on purpose.

    Examples
    --------
    >>> import kg
    >>> try:
    ...     kg.resolve_actor(kg.load(), "Atlantis")
    ... except kg.KGError as error:
    ...     print(type(error).__name__, error.exit_code)
    UnknownNameError 2
    """

    exit_code = 2


class InputError(KGError):
    """Input that cannot be used as given (a file, a query, a name, a row).

    Examples
    --------
    >>> import kg
    >>> kg.ProjectionOptions(as_of="yesterday")  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    kg._errors.InputError: ...
    """


class ParseError(InputError):
    """An RDF file that does not parse.

    Attributes
    ----------
    path : Path or None
        The file, or None for text that came from no file.
    line, column : int or None
        Where the parser stopped, counted from 1.
    reason : str
        The parser's own words.

    Examples
    --------
    >>> import kg, tempfile, pathlib
    >>> bad = pathlib.Path(tempfile.mkdtemp()) / "bad.ttl"
    >>> _ = bad.write_text("this is not turtle")
    >>> kg.load(bad)  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    kg._errors.ParseError: ...
    """

    def __init__(self, path: Path | None, line: int | None, column: int | None, reason: str):
        self.path, self.line, self.column, self.reason = path, line, column, reason
        where = str(path) if path is not None else "<text>"
        if line is not None:
            where += f":{line}" + (f":{column}" if column is not None else "")
        syntax = _SYNTAX.get(path.suffix.lower() if path is not None else "", "Turtle")
        super().__init__(f"{where}: syntax error: {reason}; fix the {syntax} at that position")


class QueryError(InputError):
    """A SPARQL query that does not parse, or that is refused (an update, a SERVICE call).

    Attributes
    ----------
    line, column : int or None
        Where in the query text the problem is, counted from 1, when known.

    Examples
    --------
    >>> import kg
    >>> kg.query(kg.load(), "SELEC ?x WHERE {}")  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    kg._errors.QueryError: SPARQL syntax error at line 1, ...
    """

    def __init__(self, message: str, *, line: int | None = None, column: int | None = None):
        self.line, self.column = line, column
        super().__init__(message)


class UnknownNameError(InputError):
    """A name (actor, relation type, named query) that resolves to nothing.

    Attributes
    ----------
    kind : str
        What was looked up: ``"actor"``, ``"relation type"``, ``"query"``.
    name : str
        The name as given.
    suggestions : list of str
        The closest names that exist.
    hint : str
        What else may help (every name there is, where to look); empty when nothing.

    Examples
    --------
    >>> import kg
    >>> kg.resolve_actor(kg.load(), "Turky")  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    kg._errors.UnknownNameError: unknown actor 'Turky'; did you mean ...
    """

    def __init__(self, kind: str, name: str, suggestions: Sequence[str] = (), *, hint: str = ""):
        self.kind, self.name, self.suggestions, self.hint = kind, name, list(suggestions), hint
        message = f"unknown {kind} {name!r}"
        if self.suggestions:
            message += "; did you mean " + ", ".join(repr(s) for s in self.suggestions) + "?"
        if hint:
            message += f" ({hint})" if self.suggestions else f"; {hint}"
        super().__init__(message)


class IngestError(InputError):
    """Rows of an event table that cannot be ingested; nothing was written.

    Attributes
    ----------
    problems : list of tuple
        ``(row_number, column, message)`` for every bad row, rows counted as a spreadsheet
        shows them (the header is row 1).

    Examples
    --------
    >>> import kg
    >>> print(kg.IngestError("events.csv", [(2, "date", "not a date")]))
    1 bad row(s) in events.csv; nothing was written (fix them, or pass skip_bad_rows=True to write the good rows):
      events.csv:row 2: column 'date': not a date
    """

    def __init__(self, path: Path | str, problems: Sequence[tuple[int, str, str]], *, every: bool = False):
        self.path, self.problems = path, list(problems)
        shown = "\n".join(f"  {path}:row {row}: column {col!r}: {msg}" for row, col, msg in problems[:20])
        more = f"\n  ... and {len(problems) - 20} more" if len(problems) > 20 else ""
        advice = (
            "every row is bad, so there is nothing to write"
            if every
            else "fix them, or pass skip_bad_rows=True to write the good rows"
        )
        super().__init__(
            f"{len({p[0] for p in problems})} bad row(s) in {path}; nothing was written ({advice}):\n{shown}{more}"
        )


class ValidationError(KGError):
    """Data that parses but does not conform to the SHACL shapes.

    Attributes
    ----------
    report : ValidationReport
        Every violation, with node, rule, message and file:line where known.

    Examples
    --------
    >>> import kg, tempfile, pathlib
    >>> bad = pathlib.Path(tempfile.mkdtemp()) / "bad.ttl"
    >>> _ = bad.write_text("@prefix dip: <https://w3id.org/dipkg/ns#> . <https://w3id.org/dipkg/id/e> a dip:Event .")
    >>> try:
    ...     kg.load(bad, validate=True)
    ... except kg.ValidationError as error:
    ...     print(error.exit_code, error.report.conforms)
    1 False
    """

    exit_code = 1

    def __init__(self, report: _Report):
        self.report = report
        super().__init__(report.text())


class EngineError(KGError):
    """A store or SPARQL endpoint that cannot be opened, reached or used.

    Examples
    --------
    >>> import kg, tempfile, pathlib
    >>> not_a_store = pathlib.Path(tempfile.mkdtemp())
    >>> _ = (not_a_store / "notes.txt").write_text("mine")
    >>> try:
    ...     kg.open_store(store=not_a_store, read_only=True)
    ... except kg.KGError as error:
    ...     print(isinstance(error, (kg.EngineError, kg.InputError)))
    True
    """


class StoreBusyError(EngineError):
    """A store whose lock was not obtained in time: another process is writing (or reading) it.

    Attributes
    ----------
    path : Path
        The store folder.
    wait : float
        The seconds waited.

    Examples
    --------
    >>> import kg
    >>> issubclass(kg.StoreBusyError, kg.EngineError), kg.StoreBusyError.exit_code
    (True, 2)
    """

    def __init__(self, path: Path, what: str, wait: float):
        self.path, self.wait = path, wait
        who = "another process is writing it" if what == "read" else "another process is using it"
        super().__init__(
            f"the store {path} is busy: {who} and did not finish within {wait:g} s; try again "
            f"when it is done, or wait longer (environment variable KG_LOCK_WAIT=SECONDS)"
        )


class QueryTimeoutError(EngineError):
    """A query that ran past its time limit and was stopped.

    Attributes
    ----------
    seconds : float
        The limit.

    Examples
    --------
    >>> import kg
    >>> issubclass(kg.QueryTimeoutError, kg.EngineError)
    True
    """

    def __init__(self, seconds: float):
        self.seconds = seconds
        super().__init__(
            f"the query ran longer than {seconds:g} s and was stopped; make it "
            "narrower (a LIMIT, fewer unbound patterns) or allow more time (timeout=SECONDS)"
        )


class InternalError(EngineError):
    """A fault of the package itself (a bug), not of the input: exit code 3.

    Examples
    --------
    >>> import kg
    >>> kg.InternalError.exit_code
    3
    """

    exit_code = 3
