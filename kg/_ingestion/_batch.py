"""Batches of input files: which files a folder or a glob holds, and reading them in parallel.

A batch is read file by file in the given order. Splitting a file into rows needs no graph
(unpacking, decoding, cutting at tabs), so worker processes (forked) do it, some files ahead
of the one being written; the process that writes resolves names and writes the rows in file order,
so the graph comes out as if the files had been ingested one after another.
"""

from __future__ import annotations

import collections
import contextlib
import glob
import logging
import multiprocessing
import multiprocessing.pool
import os
import sys
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from multiprocessing.pool import AsyncResult
from pathlib import Path

from kg._errors import InputError
from kg._ingestion._lines import TabRow, open_input

__all__ = ["SUFFIXES", "Split", "cores", "input_files", "split_files", "worker_pool"]

log = logging.getLogger(__name__)

SUFFIXES = {
    "csv": (".csv", ".tsv", ".txt"),
    "gdelt": (".csv", ".zip", ".gz"),
    "icews": (".tab", ".tsv", ".zip", ".gz"),
}
"""The file names a folder of a batch is read for, by format (case aside)."""

_GLOB = set("*?[")


@dataclass
class Split:
    """A file of a batch split into rows: the header (ICEWS) and the rows with their numbers."""

    header: list[str] | None
    rows: list[TabRow]
    size: int


def input_files(path: str | Path | Sequence[str | Path], format: str) -> tuple[list[Path], bool]:
    """Return the files ``path`` names and whether they make a batch.

    ``path`` is a file, a folder (its files of the format, sorted by name: GDELT's names are
    timestamps), a glob (``exports/201803*.export.CSV.zip``, sorted) or a sequence of these.
    A single file is no batch; anything else is, even when it holds one file.

    Raises
    ------
    InputError
        A file that does not exist, a glob that matches nothing, a folder with no file of
        the format.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> folder = pathlib.Path(tempfile.mkdtemp())
    >>> for name in ("b.export.CSV", "a.export.CSV", "notes.md"):
    ...     _ = (folder / name).write_text("")
    >>> files, batch = input_files(folder, "gdelt")
    >>> [f.name for f in files], batch
    (['a.export.CSV', 'b.export.CSV'], True)
    >>> import shutil; shutil.rmtree(folder)
    """
    if isinstance(path, (str, Path)):
        given: Sequence[str | Path] = [path]
        batch = False
    else:
        given, batch = list(path), True
        if not given:
            raise InputError("no input file given: name a file, a folder or a glob")
    files: list[Path] = []
    for item in given:
        found, many = _expand(item, format)
        files += found
        batch = batch or many
    unique = list(dict.fromkeys(files))  # a file named twice is read once
    return unique, batch or len(unique) > 1


def _expand(item: str | Path, format: str) -> tuple[list[Path], bool]:
    """Return the files of one item (a file, a folder or a glob) and whether it was no single file."""
    path = Path(item)
    if path.is_file():
        return [path], False
    if path.is_dir():
        suffixes = SUFFIXES[format]
        found = sorted(
            p for p in path.iterdir() if p.is_file() and not p.name.startswith(".") and p.suffix.lower() in suffixes
        )
        if format == "gdelt":  # GDELT publishes mentions and GKG files beside the exports
            other = [p for p in found if {".mentions", ".gkg"} & {s.lower() for s in p.suffixes}]
            if other:
                log.info("%s: leaving out %d GDELT mentions or GKG file(s)", path, len(other))
            found = [p for p in found if p not in other]
        if not found:
            raise InputError(f"{path}: a folder with no {format} file in it (read: {', '.join(suffixes)})")
        return found, True
    if _GLOB & set(str(item)):
        matched = sorted(Path(m) for m in glob.glob(str(item)) if Path(m).is_file())
        if not matched:
            raise InputError(f"{item}: the pattern matches no file")
        return matched, True
    raise InputError(f"{path}: no such file")


def cores() -> int:
    """Return the number of cores this process may run on."""
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # pragma: no cover - not Linux
        return os.cpu_count() or 1


def split_file(path: str, format: str) -> Split:
    """Split one file of a batch into rows (run in a worker process)."""
    from kg._ingestion.gdelt import split_gdelt
    from kg._ingestion.icews import split_icews

    with open_input(Path(path)) as (stream, _counter, total):
        if format == "gdelt":
            return Split(None, list(split_gdelt(stream)), total)
        header, rows = split_icews(stream, path=path)
        return Split(header, list(rows), total)


def _split_or_none(path: str, format: str) -> Split | None:
    """Split a file; None when it cannot be, the writer then reads it itself for the error."""
    try:
        return split_file(path, format)
    except Exception:
        return None


@contextlib.contextmanager
def worker_pool(workers: int) -> Iterator[multiprocessing.pool.Pool | None]:
    """Start ``workers`` processes to split files in (None when fewer than two, or no ``fork``).

    They are forked, so a script that ingests needs no ``if __name__ == "__main__"`` guard
    (processes started afresh import the main module again); start them before any thread of
    the ingestion (the bulk loader), as forking copies only the thread that forks.
    """
    if workers <= 1 or "fork" not in multiprocessing.get_all_start_methods() or sys.platform == "darwin":
        yield None
        return
    pool = multiprocessing.get_context("fork").Pool(workers)
    try:
        yield pool
    finally:
        pool.terminate()
        pool.join()


def split_files(
    files: Sequence[Path], format: str, *, pool: multiprocessing.pool.Pool | None, ahead: int = 4
) -> Iterator[tuple[Path, Split | None]]:
    """Yield every file with its rows split, in order, split by the ``pool`` ahead of use.

    At most ``ahead`` files are split ahead of the one being used, so memory stays bounded
    whatever the batch. A file that cannot be split comes with None (the caller reads it
    again itself, to raise the error it has). Without a pool, files are split here.
    """
    if pool is None or len(files) <= 1:
        for path in files:
            yield path, _split_or_none(str(path), format)
        return
    pending: collections.deque[tuple[Path, AsyncResult[Split | None]]] = collections.deque()
    queue = iter(files)
    for path in queue:
        pending.append((path, pool.apply_async(_split_or_none, (str(path), format))))
        if len(pending) >= ahead:
            break
    while pending:
        path, result = pending.popleft()
        following = next(queue, None)
        if following is not None:
            pending.append((following, pool.apply_async(_split_or_none, (str(following), format))))
        yield path, result.get()
