"""Writing files whole: a temporary file beside the target, given the usual permissions, then renamed.

The one atomic writer of the package (:func:`atomic_write`) and the one rule for naming its
temporary files (:func:`temp_path`), which lets the next writer find and remove what a killed
one left (:func:`leftovers`, :func:`remove_leftovers`).
"""

from __future__ import annotations

import logging
import os
import shutil
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from kg._errors import InputError

__all__ = ["atomic_write", "is_empty_folder", "leftovers", "publish", "remove_leftovers", "temp_path"]

log = logging.getLogger(__name__)


def _umask() -> int:
    # Linux says it without changing it; elsewhere read it by setting it back at once.
    try:
        with open("/proc/self/status", encoding="ascii") as status:
            for line in status:
                if line.startswith("Umask:"):
                    return int(line.split()[1], 8)
    except OSError:
        pass
    mask = os.umask(0o022)
    os.umask(mask)
    return mask


def is_empty_folder(path: Path) -> bool:
    """Return True for a folder that does not exist yet, or is empty (a new store may go there).

    >>> is_empty_folder(Path("no/such/folder"))
    True
    """
    return not path.exists() or (path.is_dir() and not any(path.iterdir()))


def publish(temporary: Path, path: Path) -> None:
    """Give ``temporary`` the mode a new file gets (0666 less the umask), then rename it to ``path``.

    ``tempfile`` creates files readable by their owner only; a file written for others to read (an
    export, a map, an ingested table) gets the same mode as one made by ``open(path, "w")``.
    """
    os.chmod(temporary, 0o666 & ~_umask())
    os.replace(temporary, path)


def atomic_write(path: Path, write: Callable[[Path], Any]) -> Path:
    """Call ``write`` on a temporary file beside ``path``, then :func:`publish` it as ``path``.

    The temporary file is named by :func:`temp_path` in the same folder (so the rename is atomic)
    and removed if ``write`` fails: ``path`` is either written whole or left as it was (and if the
    process is killed, :func:`leftovers` finds the temporary file).

    Raises
    ------
    InputError
        When the folder of ``path`` does not exist.
    """
    if not path.parent.is_dir():
        raise InputError(f"cannot write {path}: the folder {path.parent} does not exist; create it first")
    temporary = temp_path(path, "part")
    try:
        write(temporary)
        publish(temporary, path)
    except BaseException:
        temporary.unlink(missing_ok=True)
        raise
    return path


_TEMP_MARK = ".kg-tmp-"


def temp_path(target: str | Path, what: str = "") -> Path:
    """Return a temporary name beside ``target`` that says whose it is and which process made it.

    ``.NAME.kg-tmp-PID-WHAT``: :func:`leftovers` finds it once that process is gone.

    >>> temp_path("out/events.ttl", "part").name.startswith(".events.ttl.kg-tmp-")
    True
    """
    target = Path(target)
    return target.with_name(f".{target.name}{_TEMP_MARK}{os.getpid()}-{time.monotonic_ns()}{what}")


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def leftovers(folder: str | Path) -> list[Path]:
    """Return the temporary files and folders in ``folder`` left by processes that are gone.

    >>> import tempfile
    >>> leftovers(tempfile.mkdtemp())
    []
    """
    found = []
    folder = Path(folder)
    if not folder.is_dir():
        return []
    for entry in folder.iterdir():
        name = entry.name
        if _TEMP_MARK not in name or not name.startswith("."):
            continue
        pid = name.split(_TEMP_MARK, 1)[1].split("-", 1)[0]
        if pid.isdigit() and not _alive(int(pid)):
            found.append(entry)
    return sorted(found)


def remove_leftovers(folder: str | Path) -> list[Path]:
    """Remove what :func:`leftovers` finds in ``folder``; return what was removed."""
    removed = []
    for entry in leftovers(folder):
        if entry.is_dir() and not entry.is_symlink():
            shutil.rmtree(entry, ignore_errors=True)
        else:
            entry.unlink(missing_ok=True)
        removed.append(entry)
        log.info("removed %s, left by a process that was stopped", entry)
    return removed
