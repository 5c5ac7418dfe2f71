"""One writer, many readers: the file locks and the format stamp of an Oxigraph store folder.

Oxigraph (RocksDB) lets one process open a store for writing, and documents its read-only open as
undefined while another process writes. So every open of a store folder goes through a lock:

- a reader holds a *shared* lock while its read-only handle is open: readers never block each
  other;
- a writer holds an *exclusive* lock while its read-write handle is open, or while it swaps a
  store built beside the folder into place: no handle is ever open on files being changed;
- writers also hold the *writer* lock for the whole of their work (reading the old store,
  building, swapping), so that two appends are applied one after the other and none is lost;
- a writer waiting for the exclusive lock closes a *gate* that new readers pass through, so a
  stream of overlapping readers (a server) cannot starve it: it gets its turn as soon as the
  readers already in finish.

The locks are ``flock(2)`` locks on small files in a folder beside the store (``.NAME.kg-lock/``,
never inside it: the store folder itself is renamed when a new one is swapped in). The kernel
drops them when a process dies, so a killed command never leaves a store locked. Every wait is
bounded (:data:`LOCK_WAIT` seconds, or the ``KG_LOCK_WAIT`` environment variable) and ends with
:class:`~kg._errors.StoreBusyError`. They are advisory: ``oxigraph serve`` on the same folder does
not take them.

The folder also holds ``kg-store.json``, the stamp: the format version of the layout (see
:data:`FORMAT_VERSION`) and a generation counter every writer raises under the exclusive lock,
so a cache kept beside the store can tell it is stale.

>>> import tempfile, pathlib
>>> folder = pathlib.Path(tempfile.mkdtemp()) / "store"
>>> lock = StoreLock(folder)
>>> with lock.shared():
...     with lock.shared():  # readers share
...         pass
>>> with lock.exclusive():
...     pass
"""

from __future__ import annotations

import contextlib
import errno
import fcntl
import json
import logging
import os
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import IO

from kg._errors import EngineError, StoreBusyError
from kg._files import atomic_write, leftovers, remove_leftovers, temp_path  # the last three re-exported

__all__ = [
    "FORMAT_VERSION",
    "LOCK_WAIT",
    "STAMP_NAME",
    "StoreLock",
    "StoreStamp",
    "check_store",
    "leftovers",
    "read_stamp",
    "remove_leftovers",
    "temp_path",
    "write_stamp",
]

log = logging.getLogger(__name__)

LOCK_WAIT = 60.0
"""Seconds a command waits for a store's lock before giving up (``KG_LOCK_WAIT`` overrides)."""

FORMAT_VERSION = 2
"""The layout of the store folders this version writes and reads.

0: an Oxigraph store with no stamp (written before stores were stamped); 1: the same data,
stamped, read and written under :class:`StoreLock`; 2: the ontology, the asserted data and the
derived edges in named graphs of their own (:mod:`kg._graphs`), where 0 and 1 kept everything in
the store's default graph. ``kg doctor --store DIR --migrate`` brings 0 and 1 to 2.
"""

STAMP_NAME = "kg-store.json"
"""The stamp file inside a store folder."""

_KIND = "dipkg-store"


def _wait() -> float:
    try:
        return float(os.environ.get("KG_LOCK_WAIT", LOCK_WAIT))
    except ValueError:
        return LOCK_WAIT


class StoreLock:
    """The shared/exclusive locks of the store folder ``path`` (see the module's docstring).

    Parameters
    ----------
    path : str or Path
        The store folder (it need not exist yet).
    wait : float, optional
        Seconds to wait for a lock; :data:`LOCK_WAIT` (or ``KG_LOCK_WAIT``) by default.
    """

    def __init__(self, path: str | Path, *, wait: float | None = None):
        self.path = Path(path).absolute()
        self.folder = self.path.parent / f".{self.path.name}.kg-lock"
        self.wait = _wait() if wait is None else wait

    def _open(self, name: str) -> IO[bytes] | None:
        try:
            self.folder.mkdir(parents=True, exist_ok=True)
            return (self.folder / name).open("a+b")
        except OSError as exc:
            if exc.errno in (errno.EACCES, errno.EROFS, errno.EPERM):
                # Nobody can swap a store in a folder nobody may write: read unlocked.
                log.debug("no lock for %s (%s): the folder is read-only", self.path, exc)
                return None
            raise EngineError(f"cannot create the lock of the store {self.path} in {self.folder}: {exc}") from exc

    def _take(self, name: str, mode: int, what: str, deadline: float) -> IO[bytes] | None:
        handle = self._open(name)
        if handle is None:
            if mode == fcntl.LOCK_EX:  # a writer never goes unlocked
                raise EngineError(
                    f"cannot lock the store {self.path} to write it: {self.folder} cannot be "
                    "created (a read-only folder?)"
                )
            return None
        pause = 0.005
        while True:
            try:
                fcntl.flock(handle, mode | fcntl.LOCK_NB)
                return handle
            except BlockingIOError:
                if time.monotonic() >= deadline:
                    handle.close()
                    raise StoreBusyError(self.path, what, self.wait) from None
                time.sleep(pause)
                pause = min(pause * 2, 0.05)

    @contextlib.contextmanager
    def shared(self) -> Iterator[None]:
        """Hold the lock of a reader: many at once, none while a writer changes the store."""
        deadline = time.monotonic() + self.wait
        with contextlib.ExitStack() as held:
            gate = self._take("gate", fcntl.LOCK_SH, "read", deadline)
            if gate is not None:
                with gate:
                    held.enter_context(_holding(self._take("data", fcntl.LOCK_SH, "read", deadline)))
            yield

    @contextlib.contextmanager
    def writer(self) -> Iterator[None]:
        """Hold the writers' lock: one writer at a time; readers go on meanwhile."""
        deadline = time.monotonic() + self.wait
        with _holding(self._take("write", fcntl.LOCK_EX, "write", deadline)):
            yield

    @contextlib.contextmanager
    def exclusive(self) -> Iterator[None]:
        """Hold the lock of a writer changing the store: no reader and no other writer inside.

        Taken inside :meth:`writer` (or alone, when it takes the writers' lock too).
        """
        deadline = time.monotonic() + self.wait
        with contextlib.ExitStack() as held:
            if not getattr(self, "_writing", False):
                held.enter_context(_holding(self._take("write", fcntl.LOCK_EX, "write", deadline)))
            gate = self._take("gate", fcntl.LOCK_EX, "write", deadline)
            if gate is not None:
                with gate:  # new readers wait at the gate while those inside finish
                    held.enter_context(_holding(self._take("data", fcntl.LOCK_EX, "write", deadline)))
            yield

    @contextlib.contextmanager
    def writing(self) -> Iterator[StoreLock]:
        """Hold the writers' lock and return this lock, whose :meth:`exclusive` then nests in it."""
        with self.writer():
            self._writing = True
            try:
                yield self
            finally:
                self._writing = False


@contextlib.contextmanager
def _holding(handle: IO[bytes] | None) -> Iterator[None]:
    try:
        yield
    finally:
        if handle is not None:
            handle.close()  # closing the file drops its flock


# ---------------------------------------------------------------- the stamp


@dataclass(frozen=True)
class StoreStamp:
    """What ``kg-store.json`` says: the layout version and the generation (writes so far)."""

    version: int
    generation: int


def read_stamp(path: str | Path) -> StoreStamp | None:
    """Return the stamp of the store folder ``path``; None when it has none.

    Raises
    ------
    EngineError
        A stamp that is not a dipkg stamp.
    """
    file = Path(path) / STAMP_NAME
    try:
        data = json.loads(file.read_text(encoding="utf-8"))
        if data.get("format") != _KIND:
            raise ValueError("not a dipkg store stamp")
        return StoreStamp(int(data["version"]), int(data.get("generation", 0)))
    except FileNotFoundError:
        return None
    except (ValueError, KeyError, TypeError, AttributeError) as exc:
        raise EngineError(f"{file}: a damaged store stamp ({exc}); run 'kg doctor --store {path}'") from exc


def write_stamp(path: str | Path, *, generation: int) -> None:
    """Write the stamp of the store folder ``path`` (atomically: a new file renamed in place)."""
    text = json.dumps({"format": _KIND, "version": FORMAT_VERSION, "generation": generation})
    atomic_write(Path(path) / STAMP_NAME, lambda temporary: temporary.write_text(text, encoding="utf-8"))


def _is_oxigraph(path: Path) -> bool:
    return (path / "CURRENT").is_file()


def check_store(path: str | Path, *, create: bool = False) -> StoreStamp | None:
    """Check the folder ``path`` holds a store this version reads; return its stamp.

    With ``create=True`` a missing or empty folder is fine (None is returned: a new store).

    Raises
    ------
    EngineError
        No store there (not created by ``kg load`` or ``kg ingest``), a store of an older layout
        (with the command that migrates it) or of a newer one.

    Examples
    --------
    >>> import tempfile
    >>> check_store(tempfile.mkdtemp())
    Traceback (most recent call last):
    ...
    kg._errors.EngineError: ... is not a store ...
    """
    path = Path(path)
    if path.exists() and not path.is_dir():
        raise EngineError(f"{path} is a file, not a store folder")
    if not path.exists() or not any(path.iterdir()):
        if create:
            return None
        raise EngineError(
            f"{path} is not a store (no such folder, or an empty one); build one with "
            f"'kg load --store {path}' or 'kg ingest FILE --store {path}'"
        )
    stamp = read_stamp(path)
    if stamp is None:
        if _is_oxigraph(path):
            raise EngineError(
                f"{path} is a store of an older layout (version 0, no stamp); "
                f"migrate it with 'kg doctor --store {path} --migrate' (a backup is kept)"
            )
        raise EngineError(
            f"{path} is not a store: the folder holds other files; build a store with "
            f"'kg load --store DIR' in a new folder"
        )
    if stamp.version > FORMAT_VERSION:
        raise EngineError(
            f"{path} is a store of layout version {stamp.version}, newer than this "
            f"version of dipkg reads ({FORMAT_VERSION}); upgrade dipkg"
        )
    if stamp.version < FORMAT_VERSION:
        raise EngineError(
            f"{path} is a store of layout version {stamp.version} (everything in one graph, where this "
            f"version keeps the ontology, the data and the derived edges apart); migrate it with "
            f"'kg doctor --store {path} --migrate' (a backup is kept)"
        )
    return stamp
