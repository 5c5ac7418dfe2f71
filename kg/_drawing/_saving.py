"""Saving figures: PNG or SVG through the package's one atomic writer, with the same style every time."""

from __future__ import annotations

import gc
import logging
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import matplotlib as mpl
from matplotlib.figure import Figure

from kg._drawing._grammar import _RC
from kg._errors import InputError
from kg._files import atomic_write

__all__ = ["save_figure"]

log = logging.getLogger(__name__)


@contextmanager
def _style() -> Iterator[None]:
    with mpl.rc_context(_RC):  # type: ignore[arg-type]
        yield


@contextmanager
def _gc_paused() -> Iterator[None]:
    """Pause the cyclic garbage collector while a map is made (as ``timeit`` does).

    Drawing allocates many small objects; with a projection of a million events in memory each
    collection would walk millions of objects, several times over, for nothing.
    """
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def save_figure(figure: Figure, path: str | Path, *, dpi: float | None = None) -> Path:
    """Write ``figure`` to ``path`` as PNG or SVG (by the extension), atomically.

    The file is written beside its destination and renamed into place, so a failed write leaves
    nothing half-written. Metadata that changes from run to run (the creation date) is left out,
    so the same figure gives the same file.

    Parameters
    ----------
    figure : matplotlib.figure.Figure
        The figure, as returned by :func:`draw` or :func:`draw_timeline`.
    path : str or Path
        Where to write; the extension (``.png`` or ``.svg``) chooses the format.
    dpi : float, optional
        Resolution of a PNG (the figure's own by default).

    Returns
    -------
    Path
        The path written.

    Raises
    ------
    InputError
        For an extension other than ``.png`` or ``.svg``, or a folder that does not exist.

    Examples
    --------
    >>> import tempfile, kg
    >>> folder = tempfile.mkdtemp()
    >>> save_figure(kg.draw(kg.load(), width=6, height=4), f"{folder}/map.svg").suffix
    '.svg'
    """
    path = Path(path)
    fmt = path.suffix.lower().lstrip(".")
    if fmt not in ("png", "svg"):
        raise InputError(f"{path}: cannot tell the image format from the name; name the file *.png or *.svg")
    metadata: dict[str, Any] = {"Date": None} if fmt == "svg" else {}

    def write(temporary: Path) -> None:
        with _style():
            figure.savefig(temporary, format=fmt, dpi=dpi or figure.dpi, metadata=metadata, facecolor="white")

    atomic_write(path, write)
    log.info("wrote %s", path)
    return path
