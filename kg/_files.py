"""Writing files whole: a temporary file beside the target, given the usual permissions, then renamed."""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path
from typing import Any

from kg._errors import InputError

__all__ = ["atomic_write", "publish"]


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


def publish(temporary: Path, path: Path) -> None:
    """Give ``temporary`` the mode a new file gets (0666 less the umask), then rename it to ``path``.

    ``tempfile`` creates files readable by their owner only; a file written for others to read (an
    export, a map, an ingested table) gets the same mode as one made by ``open(path, "w")``.
    """
    os.chmod(temporary, 0o666 & ~_umask())
    os.replace(temporary, path)


def atomic_write(path: Path, write: Callable[[Path], Any]) -> Path:
    """Call ``write`` on a temporary file beside ``path``, then :func:`publish` it as ``path``.

    The temporary file is named ``.NAME.PID.part`` in the same folder (so the rename is atomic) and
    removed if ``write`` fails: ``path`` is either written whole or left as it was.

    Raises
    ------
    InputError
        When the folder of ``path`` does not exist.
    """
    if not path.parent.is_dir():
        raise InputError(f"cannot write {path}: the folder {path.parent} does not exist; create it first")
    temporary = path.with_name(f".{path.name}.{os.getpid()}.part")
    try:
        write(temporary)
        publish(temporary, path)
    except BaseException:
        temporary.unlink(missing_ok=True)
        raise
    return path
