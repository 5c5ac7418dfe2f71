"""What an ingestion read, wrote and refused: the report and its parts."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import TypeVar

from kg._tabular import short_iri

__all__ = ["BadRow", "CreatedActor", "IngestReport", "Merged", "Unresolved"]

_T = TypeVar("_T")


@dataclass(frozen=True)
class BadRow:
    """One problem of one row: its number, the column and what is wrong.

    Rows are counted as a spreadsheet shows them: in a file with a header, the header is row 1.
    """

    row: int
    column: str
    message: str
    path: Path | None = None  # the file, in the totals of a batch

    def __str__(self) -> str:
        where = f"{self.path.name}: " if self.path is not None else ""
        return f"{where}row {self.row}: column {self.column!r}: {self.message}"


@dataclass(frozen=True)
class CreatedActor:
    """An actor the graph did not know, created by the ingestion."""

    iri: str
    label: str
    kind: str


@dataclass
class Unresolved:
    """Text of a dataset that resolved to nothing, kept as written: how often, and examples."""

    what: str
    count: int = 0
    examples: list[tuple[int, str]] = field(default_factory=list)

    def add(self, row: int, text: str) -> None:
        """Count one more, keeping the first few different texts with their row numbers."""
        self.count += 1
        if len(self.examples) < 5 and all(text != seen for _, seen in self.examples):
            self.examples.append((row, text))

    def __str__(self) -> str:
        shown = ", ".join(f"{text!r} (row {row})" for row, text in self.examples)
        return f"{self.count:,} {self.what}, kept as text; e.g. {shown}"


@dataclass(frozen=True)
class Merged:
    """A name of the dataset that resolved to an actor the graph already had, and how."""

    name: str
    iri: str
    label: str
    how: str

    def __str__(self) -> str:
        return f"{self.name!r} -> {short_iri(self.iri)} ({self.label}; by {self.how})"


@dataclass
class IngestReport:
    """What one ingestion read, wrote and refused.

    Attributes
    ----------
    path : Path
        The file read.
    format : str
        ``"csv"``, ``"gdelt"`` or ``"icews"``.
    rows : int
        Data rows read (blank lines and the header not counted).
    events : int
        Events written.
    standing : int
        Standing relations written (rows of an event table whose relation is a standing one).
    skipped : dict of str to int
        Rows left out on purpose, by reason (a GDELT row with no Actor1 has nobody who acted).
    bad_rows : list of BadRow
        Rows refused (written only with ``skip_bad_rows=True``; otherwise nothing was written).
    actors_created : list of CreatedActor
        Actors the graph did not know, created.
    sources_created : int
        Source documents declared.
    triples : int
        Triples written (events, actors, sources and, for a store, the derived edges).
    output : Path or None
        The Turtle file written, when writing to a folder.
    ties : int
        Standing ties of actors to their countries' states written (acts for, part of, is a
        collective of, is based in), each once, observed on the days of the rows naming them.
    unresolved : dict of str to Unresolved
        What the rows give that resolved to nothing (an unknown sector or type code, a country
        that is no state, coordinates out of range), counted with examples; kept as text.
    merged : list of Merged
        Dataset names that resolved to actors the graph already had (the default graph, an
        earlier ingestion, or another spelling: accents folded, an alias).
    repeated_reports : int
        Events of this file reporting an occurrence (type, actor, targets, day) that an earlier
        row of it also reports; the network counts each occurrence once.
    files : list of IngestReport
        For a batch, the report of each file, in the order read (the attributes above are
        then the batch's totals, its bad rows naming their files); empty for one file.

    Examples
    --------
    >>> import kg, tempfile, pathlib
    >>> folder = pathlib.Path(tempfile.mkdtemp())
    >>> table = folder / "events.csv"
    >>> with table.open("w", encoding="utf-8") as out:
    ...     print("date,actor,relation,target,source,quote", file=out)
    ...     print("2024-03-14,Chile,condemns,Peru,https://example.org/r,Chile condemned Peru", file=out)
    >>> report = kg.ingest(table, out_dir=folder / "out")
    >>> report.rows, len(report.bad_rows)
    (1, 0)
    """

    path: Path
    format: str
    rows: int = 0
    events: int = 0
    standing: int = 0
    skipped: dict[str, int] = field(default_factory=dict)
    bad_rows: list[BadRow] = field(default_factory=list)
    actors_created: list[CreatedActor] = field(default_factory=list)
    sources_created: int = 0
    triples: int = 0
    output: Path | None = None
    seconds: float = 0.0
    ties: int = 0
    unresolved: dict[str, Unresolved] = field(default_factory=dict)
    merged: list[Merged] = field(default_factory=list)
    repeated_reports: int = 0
    files: list[IngestReport] = field(default_factory=list)

    def add(self, part: IngestReport) -> None:
        """Add the report of one file of a batch to the batch's totals."""
        self.files.append(part)
        self.rows += part.rows
        self.events += part.events
        self.standing += part.standing
        self.sources_created += part.sources_created
        self.ties += part.ties
        self.repeated_reports += part.repeated_reports
        for reason, count in part.skipped.items():
            self.skipped[reason] = self.skipped.get(reason, 0) + count
        self.bad_rows += [replace(b, path=part.path) for b in part.bad_rows]
        self.actors_created += part.actors_created
        for what, unresolved in part.unresolved.items():
            total = self.unresolved.setdefault(what, Unresolved(what))
            total.count += unresolved.count
            total.examples += unresolved.examples[: max(0, 5 - len(total.examples))]
        self.merged += part.merged[: max(0, 10_000 - len(self.merged))]

    @property
    def ok(self) -> bool:
        """True when no row was refused."""
        return not self.bad_rows

    def __str__(self) -> str:
        where = f"written to {self.output}" if self.output is not None else "loaded into the store"
        files = f"{len(self.files):,} file(s), " if self.files else ""
        lines = [
            f"{self.path}: {files}{self.rows:,} row(s) read ({self.format}); {self.events:,} event(s)"
            + (f", {self.standing:,} standing relation(s)" if self.standing else "")
            + f", {self.triples:,} triple(s) {where} in {self.seconds:.1f} s"
        ]
        lines += [f"  {part.summary()}" for part in self.files]
        for reason, count in sorted(self.skipped.items()):
            lines.append(f"skipped {count:,} row(s): {reason}")
        lines += _listed(
            f"actors created ({len(self.actors_created):,}):",
            self.actors_created,
            lambda a: f"{short_iri(a.iri)}  {a.label}  ({a.kind})",
        )
        if self.ties:
            lines.append(f"ties of actors to their states: {self.ties:,}")
        if self.repeated_reports:
            lines.append(
                f"events reporting an occurrence an earlier row reports: {self.repeated_reports:,} "
                "(counted once in the network)"
            )
        for unresolved in self.unresolved.values():
            lines.append(f"unresolved: {unresolved}")
        lines += _listed(f"names resolved to actors the graph had ({len(self.merged):,}):", self.merged)
        lines += _listed(f"bad rows skipped ({len({(b.path, b.row) for b in self.bad_rows}):,}):", self.bad_rows)
        return "\n".join(lines)

    def summary(self) -> str:
        """Return one line: the file, rows read, events, bad rows and rows skipped.

        >>> IngestReport(Path("a.CSV"), "gdelt", rows=3, events=2, skipped={"no Actor1": 1}).summary()
        'a.CSV: 3 row(s) read, 2 event(s), 0 bad row(s), 1 skipped'
        """
        bad = len({b.row for b in self.bad_rows})
        skipped = sum(self.skipped.values())
        return (
            f"{self.path.name}: {self.rows:,} row(s) read, {self.events:,} event(s), "
            f"{bad:,} bad row(s), {skipped:,} skipped"
        )


def _listed(heading: str, items: Sequence[_T], render: Callable[[_T], str] = str, most: int = 100) -> list[str]:
    """Return ``heading`` and the first ``most`` items, indented, then how many are left; none for no items."""
    if not items:
        return []
    lines = [heading] + [f"  {render(item)}" for item in items[:most]]
    if len(items) > most:
        lines.append(f"  ... and {len(items) - most:,} more")
    return lines
