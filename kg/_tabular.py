"""Tables of answers: one shape for query results, rankings and paths, in every output format.

A :class:`Table` prints as aligned text, CSV, TSV or JSON, shows as HTML in Jupyter and turns
into a pandas DataFrame when pandas is installed.
"""

from __future__ import annotations

import csv
import datetime as dt
import decimal
import html
import io
import json
import textwrap
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from typing import Any

from rdflib import BNode, Literal, URIRef

from kg._namespace import PREFIXES

__all__ = ["FORMATS", "Table", "cell_text", "plain_value", "short_iri", "short_label"]

FORMATS = ("table", "csv", "tsv", "json")
"""The text formats every table prints in."""


def short_iri(iri: str) -> str:
    """Return ``prefix:local`` for an IRI under a known prefix, else the IRI itself."""
    for prefix, namespace in PREFIXES.items():
        if iri.startswith(namespace) and len(iri) > len(namespace):
            return f"{prefix}:{iri[len(namespace) :]}"
    return iri


def short_label(iri: str) -> str:
    """Return the last ``/`` segment of :func:`short_iri` without its prefix: the label of a node with none.

    Examples
    --------
    >>> short_label("https://w3id.org/dipkg/id/actor/FRA"), short_label("urn:x:a")
    ('FRA', 'x:a')
    """
    return short_iri(iri).split(":", 1)[-1].split("/")[-1]


def cell_text(value: Any, *, short: bool = True) -> str:
    """Return the text of one cell: IRIs shortened, literals as their lexical form.

    With ``short=False`` (CSV and TSV) IRIs are written in full and numbers to full precision.
    """
    if value is None:
        return ""
    if isinstance(value, URIRef):
        return short_iri(str(value)) if short else str(value)
    if isinstance(value, BNode):
        return f"_:{value}"
    if isinstance(value, Literal):
        return str(value)
    if isinstance(value, float):
        return f"{value:.4g}" if short else repr(value)
    return str(value)


def plain_value(value: Any) -> Any:
    """Return a cell as a plain Python value: ``str``, ``int``, ``float``, ``bool`` or a date.

    IRIs and strings give ``str``; typed literals ``int``, ``float``, ``bool``, ``datetime.date``
    or ``datetime.datetime``; decimals ``float``.

    Examples
    --------
    >>> from rdflib import Literal, URIRef
    >>> from rdflib.namespace import XSD
    >>> [plain_value(v) for v in (URIRef("https://example.org/a"), Literal("2023-10-19", datatype=XSD.date),
    ...                           Literal("4.5", datatype=XSD.decimal), Literal("x"), None)]
    ['https://example.org/a', datetime.date(2023, 10, 19), 4.5, 'x', None]
    """
    if value is None or (isinstance(value, (bool, int, float, dt.date)) and not isinstance(value, Literal)):
        return value
    if isinstance(value, Literal):
        python = value.toPython()
        if isinstance(python, decimal.Decimal):
            return float(python)
        if isinstance(python, (bool, int, float, dt.date)):
            return python
        return str.__str__(value)
    if isinstance(value, (list, tuple)):
        return [plain_value(v) for v in value]
    return str.__str__(value) if isinstance(value, str) else str(value)


def _fit(cells: list[list[str]], columns: Sequence[str], width: int) -> list[int]:
    """Return column widths that fit ``width`` characters, 0 for a column left out.

    The widest columns are cut first, none below its heading or 10 characters; when even that does
    not fit, columns are left out from the right (the tables put what matters most first).
    """
    natural = [max([len(c)] + [len(r[i]) for r in cells]) for i, c in enumerate(columns)]
    floor = [min(n, max(len(c), 10)) for n, c in zip(natural, columns, strict=True)]
    kept = len(columns)
    while kept > 1 and sum(floor[:kept]) + 2 * (kept - 1) > width:
        kept -= 1
    budget = width - 2 * (kept - 1)
    low, high = 0, max(natural[:kept])
    while low < high:  # the largest cap at which every kept column fits
        cap = (low + high + 1) // 2
        if sum(max(f, min(n, cap)) for n, f in zip(natural[:kept], floor[:kept], strict=True)) <= budget:
            low = cap
        else:
            high = cap - 1
    return [max(f, min(n, low)) for n, f in zip(natural[:kept], floor[:kept], strict=True)] + [0] * (
        len(columns) - kept
    )


def _cut(text: str, width: int) -> str:
    return text if len(text) <= width else text[: max(width - 1, 0)] + "…"


def _json_value(value: Any) -> Any:
    if value is None or isinstance(value, (bool, int, float, str)):
        return value
    if isinstance(value, Literal):
        python = value.toPython()
        return python if isinstance(python, (bool, int, float)) else str(value)
    if isinstance(value, (list, tuple)):
        return [_json_value(v) for v in value]
    return str(value)


def _frame_value(value: Any) -> Any:
    # A Literal is a str subclass that never equals a plain str: a DataFrame gets plain values.
    if isinstance(value, URIRef):
        return cell_text(value)
    if isinstance(value, Literal):
        python = value.toPython()
        return python if isinstance(python, (bool, int, float)) else str.__str__(value)
    return _json_value(value)


@dataclass
class Table:
    """Rows of values under named columns.

    Examples
    --------
    >>> table = Table(["actor", "score"], [["Turkey", 0.5], ["Israel", 0.25]])
    >>> print(table.to_text("csv"), end="")
    actor,score
    Turkey,0.5
    Israel,0.25
    """

    columns: Sequence[str]
    rows: list[Sequence[Any]] = field(default_factory=list)
    title: str = ""

    def __iter__(self) -> Iterator[Sequence[Any]]:
        return iter(self.rows)

    def __len__(self) -> int:
        return len(self.rows)

    def to_dicts(self, *, terms: bool = False) -> list[dict[str, Any]]:
        """Return the rows as dicts keyed by column, of plain Python values (:func:`plain_value`).

        With ``terms=True`` the cells are left as they are (rdflib terms for query answers).

        Examples
        --------
        >>> from rdflib import Literal
        >>> Table(["n"], [[Literal(3)]]).to_dicts()
        [{'n': 3}]
        >>> type(Table(["n"], [[Literal(3)]]).to_dicts(terms=True)[0]["n"]).__name__
        'Literal'
        """
        if terms:
            return [dict(zip(self.columns, row, strict=True)) for row in self.rows]
        return [{c: plain_value(v) for c, v in zip(self.columns, row, strict=True)} for row in self.rows]

    def to_dataframe(self) -> Any:
        """Return a pandas DataFrame of the cells' text (needs pandas)."""
        try:
            import pandas as pd
        except ImportError as exc:  # pragma: no cover - depends on the environment
            raise ImportError("to_dataframe() needs pandas: pip install pandas") from exc
        return pd.DataFrame(
            [[_frame_value(v) for v in row] for row in self.rows],
            columns=list(self.columns),
        )

    def to_text(self, fmt: str = "table", *, width: int | None = None) -> str:
        """Return the table as ``table`` (aligned), ``csv``, ``tsv`` or ``json`` text.

        ``width`` (table only): fit the lines in that many characters, cutting the longest cells
        with an ellipsis and wrapping the title; CSV, TSV and JSON always give every character.

        Examples
        --------
        >>> table = Table(["actor", "quote"], [["Turkey", "Ankara was previously involved in trying to mediate"]])
        >>> print(table.to_text(width=30), end="")
        actor   quote
        ------  ----------------------
        Turkey  Ankara was previously…
        (1 row)
        """
        if fmt == "json":
            records = [{c: _json_value(v) for c, v in zip(self.columns, row, strict=True)} for row in self.rows]
            return json.dumps(records, indent=2, ensure_ascii=False) + "\n"
        if fmt in ("csv", "tsv"):
            buffer = io.StringIO()
            writer = csv.writer(buffer, delimiter="," if fmt == "csv" else "\t", lineterminator="\n")
            writer.writerow(self.columns)
            writer.writerows([cell_text(v, short=False) for v in row] for row in self.rows)
            return buffer.getvalue()
        if fmt != "table":
            raise ValueError(f"unknown format {fmt!r}; use one of {', '.join(FORMATS)}")
        cells = [[" ".join(cell_text(v).split()) for v in row] for row in self.rows]
        widths = (
            _fit(cells, self.columns, width)
            if width
            else [max([len(c)] + [len(r[i]) for r in cells]) for i, c in enumerate(self.columns)]
        )
        shown = [i for i, w in enumerate(widths) if w]
        lines = [
            "  ".join(_cut(self.columns[i], widths[i]).ljust(widths[i]) for i in shown).rstrip(),
            "  ".join("-" * widths[i] for i in shown),
        ]
        lines += ["  ".join(_cut(row[i], widths[i]).ljust(widths[i]) for i in shown).rstrip() for row in cells]
        count = f"({len(self.rows)} row{'s' if len(self.rows) != 1 else ''}"
        hidden = [c for c, w in zip(self.columns, widths, strict=True) if not w]
        if hidden:
            count += f"; not shown for want of width: {', '.join(hidden)} (--wide or --format csv shows them)"
        lines.extend(textwrap.wrap(count + ")", width) if width else [count + ")"])
        title = (
            "\n".join(w for line in self.title.splitlines() for w in textwrap.wrap(line, width) or [""])
            if width and self.title
            else self.title
        )
        return (title + "\n" if title else "") + "\n".join(lines) + "\n"

    def __str__(self) -> str:
        return self.to_text("table")

    def _repr_html_(self) -> str:
        head = "".join(f"<th>{html.escape(str(c))}</th>" for c in self.columns)
        body = "".join(
            "<tr>" + "".join(f"<td>{html.escape(cell_text(v))}</td>" for v in row) + "</tr>" for row in self.rows
        )
        caption = f"<caption>{html.escape(self.title)}</caption>" if self.title else ""
        return f"<table>{caption}<thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>"
