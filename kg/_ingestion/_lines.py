"""Reading the lines of an input: bounded line length, days, tab-separated rows.

Nothing here needs the graph, so that the files of a batch can be read in worker processes.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable, Iterator
from typing import Any

from kg._errors import IngestError

__all__ = ["MAX_FIELD", "MAX_LINE", "TabRow", "bounded_lines", "parse_day", "tab_rows"]

TabRow = tuple[int, "list[str] | str"]
"""A row of a tab-separated file: its number and its fields, or what is wrong with it."""


def parse_day(text: str) -> dt.date | None:
    """Return the date of ``YYYY-MM-DD`` or ``YYYYMMDD`` text, or None if it is no real day."""
    text = text.strip()
    if len(text) == 8 and text.isdigit():
        text = f"{text[:4]}-{text[4:6]}-{text[6:]}"
    try:
        return dt.date.fromisoformat(text) if len(text) == 10 else None
    except ValueError:
        return None


MAX_LINE = 4_000_000
"""The longest line (characters or bytes) a table or export may have; a longer one is refused."""

MAX_FIELD = 1_000_000
"""The longest field of an event table (a quote, a note), in characters."""


def bounded_lines(stream: Any, *, path: str = "", first: int = 1) -> Iterator[Any]:
    """Yield the lines of ``stream`` (text or bytes), refusing one longer than :data:`MAX_LINE`.

    Memory stays bounded whatever the input (a file of zeros with no line end).

    Raises
    ------
    IngestError
        A line over the limit, with its number (counted from ``first``).
    """
    if not hasattr(stream, "readline"):
        yield from stream
        return
    number = first
    while True:
        line = stream.readline(MAX_LINE + 1)
        if not line:
            return
        if len(line) > MAX_LINE:
            raise IngestError(
                path or "the input",
                [(number, "(row)", f"a line longer than {MAX_LINE:,} characters: is this the right file and format?")],
            )
        yield line
        number += 1


def tab_rows(
    lines: Iterable[bytes], *, first: int, width: int, hint: str, tick: Callable[[int], None] | None = None
) -> Iterator[TabRow]:
    r"""Yield ``(row number, fields)`` of the tab-separated ``lines``, numbered from ``first``.

    Blank lines are passed over; for a line that is not UTF-8 or has not ``width`` fields, what
    is wrong is yielded instead of the fields (``hint`` says what such a file should have).

    >>> list(tab_rows([b"a\tb\n", b"\n", b"c\n"], first=1, width=2, hint="two"))
    [(1, ['a', 'b']), (3, '1 tab-separated columns; two')]
    """
    for number, raw in enumerate(bounded_lines(lines, first=first), first):
        if tick is not None and number % 20_000 == 0:
            tick(number)
        try:
            line = raw.decode("utf-8").rstrip("\r\n")
        except UnicodeDecodeError as exc:
            yield number, f"not UTF-8 text at byte {exc.start}"
            continue
        if not line.strip():
            continue
        fields = line.split("\t")
        if len(fields) != width:
            yield number, f"{len(fields)} tab-separated columns; {hint}"
            continue
        yield number, fields
