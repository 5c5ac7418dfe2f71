"""The draft of a report: proposed rows in the event-table format, and the sentences skipped."""

from __future__ import annotations

import csv
import datetime as dt
import io
import tempfile
from collections.abc import Sequence
from dataclasses import dataclass, field, fields
from pathlib import Path

from kg._errors import InputError
from kg._files import atomic_write
from kg._ingestion import OPTIONAL_COLUMNS, REQUIRED_COLUMNS, ingest, output_path

__all__ = ["DRAFT_COLUMNS", "Draft", "DraftRow", "Skipped"]


@dataclass
class DraftRow:
    """One proposed event: the event-table columns and what the extraction adds."""

    date: str
    actor: str
    relation: str
    target: str
    source: str
    quote: str
    actor_kind: str = ""
    target_kind: str = ""
    date_precision: str = "day"
    end_date: str = ""
    note: str = ""
    confidence: str = ""
    sentence: int = 0
    sentence_start: int = 0
    sentence_end: int = 0
    rule: str = ""
    cameo: str = ""
    claim: str = ""
    attributed_to: str = ""
    date_text: str = ""
    review: str = ""

    def key(self) -> tuple[str, str, str, str, str]:
        """Return (actor, relation, targets, date, end date): what makes two rows the same event."""
        return self.actor, self.relation, self.target, self.date, self.end_date


DRAFT_COLUMNS = tuple(f.name for f in fields(DraftRow))
"""The draft's columns: the event table's (``kg ingest`` reads them) and those extraction adds."""


@dataclass(frozen=True)
class Skipped:
    """A sentence no event came from, and why."""

    sentence: int
    start: int
    end: int
    reason: str
    text: str


@dataclass
class Draft:
    """The draft of one report: proposed rows, skipped sentences, and the report's identity.

    ``source`` (the report's URL) is in every row's ``source`` column: it is the stable key of
    the report, so a corrected draft can replace the events of an earlier one.

    Examples
    --------
    >>> import kg
    >>> draft = kg.extract("On 17 October 2023 Turkey condemned Israel.", published="2023-10-18",
    ...                    source="https://example.org/report", store=kg.load())
    >>> isinstance(draft, kg.Draft)
    True
    """

    source: str
    published: dt.date
    rows: list[DraftRow] = field(default_factory=list)
    skipped: list[Skipped] = field(default_factory=list)

    def to_csv(self, *, columns: Sequence[str] = DRAFT_COLUMNS) -> str:
        """Return the draft as an event table (CSV with a header) that ``kg ingest`` reads."""
        out = io.StringIO()
        writer = csv.writer(out, lineterminator="\n")
        writer.writerow(columns)
        for row in self.rows:
            writer.writerow([getattr(row, name, "") for name in columns])
        return out.getvalue()

    def to_turtle(self, *, data: Sequence[str | Path] = (), default: bool = True) -> str:
        """Return the draft's events as Turtle, as ``kg ingest`` would write them.

        Names resolve as :func:`kg.ingest` resolves them (the default graph and ``data``); actors
        the graph lacks are created with the kind the draft proposes.
        """
        if not self.rows:
            return ""
        with tempfile.TemporaryDirectory(prefix="kg-extract-") as folder:
            table = Path(folder) / "draft.csv"
            table.write_text(self.to_csv(columns=(*REQUIRED_COLUMNS, *OPTIONAL_COLUMNS)), encoding="utf-8")
            ingest(table, out_dir=Path(folder) / "out", data=data, default=default)
            return output_path(table, Path(folder) / "out").read_text(encoding="utf-8")

    def write(
        self,
        path: str | Path,
        *,
        format: str = "csv",
        overwrite: bool = False,
        data: Sequence[str | Path] = (),
        default: bool = True,
    ) -> Path:
        """Write the draft to ``path`` (``format`` ``"csv"`` or ``"ttl"``), whole or not at all.

        Raises
        ------
        InputError
            When ``path`` exists and ``overwrite`` is False (a draft may hold an analyst's
            corrections), its folder is missing, or the format is unknown.
        """
        path = Path(path)
        if format not in ("csv", "ttl"):
            raise InputError(f"format {format!r} is not csv or ttl")
        if path.exists() and not overwrite:
            raise InputError(
                f"{path} exists; a draft may hold corrections: choose another name, or overwrite it "
                "on purpose (overwrite=True)"
            )
        text = self.to_csv() if format == "csv" else self.to_turtle(data=data, default=default)
        atomic_write(path, lambda temporary: temporary.write_text(text, encoding="utf-8"))
        return path
