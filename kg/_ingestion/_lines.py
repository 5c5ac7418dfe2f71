"""Reading the lines of an input: bounded line length, days, tab-separated rows.

Nothing here needs the graph, so that the files of a batch can be read in worker processes.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import gzip
import io
import zipfile
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path
from typing import IO, Any

from kg._errors import IngestError, InputError

__all__ = [
    "MAX_FIELD",
    "MAX_LINE",
    "MAX_UNPACKED_RATIO",
    "Counting",
    "TabRow",
    "bounded_lines",
    "open_input",
    "parse_day",
    "tab_rows",
]

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


class Counting(io.RawIOBase):
    """A binary stream that counts the bytes read through it (for the progress bar)."""

    def __init__(self, inner: IO[bytes]):
        self.inner, self.count = inner, 0

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: Any) -> int:
        data = self.inner.read(len(buffer))
        buffer[: len(data)] = data
        self.count += len(data)
        return len(data)


MAX_UNPACKED_RATIO = 100
"""A zipped or gzipped input may unpack to at most this many times its size (or 100 MB, if more):
a real export unpacks to some 5 to 10 times; a decompression bomb to thousands."""


def _unpacked_limit(path: Path) -> int:
    return max(MAX_UNPACKED_RATIO * path.stat().st_size, 100_000_000)


def _too_big(path: Path, limit: int) -> str:
    return (
        f"{path}: unpacks to more than {limit:,} bytes ({MAX_UNPACKED_RATIO} times its size): "
        "refused as a likely decompression bomb; unpack it yourself if it is genuine"
    )


class _Capped(Counting):
    """A :class:`Counting` stream that refuses to yield more than ``limit`` bytes (an unpacked archive)."""

    def __init__(self, inner: IO[bytes], path: Path, limit: int):
        super().__init__(inner)
        self.path, self.limit = path, limit

    def readinto(self, buffer: Any) -> int:
        read = super().readinto(buffer)
        if self.count > self.limit:
            raise InputError(_too_big(self.path, self.limit))
        return read


@contextlib.contextmanager
def open_input(path: Path) -> Iterator[tuple[IO[bytes], Counting, int]]:
    """Open a plain, zipped or gzipped file as buffered bytes, with a byte counter and total."""
    with contextlib.ExitStack() as stack:
        inner: IO[bytes]
        if zipfile.is_zipfile(path):
            archive = stack.enter_context(zipfile.ZipFile(path))
            members = [m for m in archive.infolist() if not m.is_dir()]
            if len(members) != 1:
                raise InputError(
                    f"{path}: a zip archive of an export holds one file; this one holds "
                    f"{len(members)}: {', '.join(m.filename for m in members[:5])}"
                )
            limit = _unpacked_limit(path)
            if members[0].file_size > limit:
                raise InputError(_too_big(path, limit))
            inner = _Capped(stack.enter_context(archive.open(members[0])), path, limit)  # type: ignore[assignment]
            total = members[0].file_size
        elif path.suffix == ".gz":
            raw = stack.enter_context(path.open("rb"))
            counting = Counting(raw)
            total = path.stat().st_size
            unzipped: IO[bytes] = gzip.GzipFile(fileobj=io.BufferedReader(counting))  # type: ignore[assignment]
            yield io.BufferedReader(_Capped(unzipped, path, _unpacked_limit(path)), 1 << 20), counting, total
            return
        else:
            inner, total = stack.enter_context(path.open("rb")), path.stat().st_size
        counting = Counting(inner)
        yield io.BufferedReader(counting, 1 << 20), counting, total
