"""Progress on a terminal: a one-line bar on standard error, silent when the output is not a terminal.

Long library functions (:func:`kg.build_store`, :func:`kg.ingest`, validation) take a
``progress`` callable and call it with what is done and what there is in all; they never print.
A :class:`ProgressBar` is such a callable: the CLI passes one, a script or notebook may too.
"""

from __future__ import annotations

import sys
import time
from typing import TextIO

__all__ = ["ProgressBar"]


class ProgressBar:
    """A one-line progress bar, ``NAME [#####.....]  48%  12.3 of 25.6 MB``, redrawn in place.

    Call it as ``bar(done, total)`` (or ``bar(done, total, what)``, where ``what`` names the
    part being worked on, a file say); it redraws at most every ``interval`` seconds, and always
    at the end. Use it in a ``with`` block (or call :meth:`close`) to end the line.

    Parameters
    ----------
    label : str
        What is being done, printed before the bar (a file name, "loading").
    unit : {"bytes", "items"}, default "bytes"
        What ``done`` and ``total`` count: bytes print as megabytes, items as plain counts.
    stream : file, optional
        Where to draw; standard error by default.
    enabled : bool, optional
        Draw or not; by default only when ``stream`` is a terminal, so that a piped or logged
        run stays clean.
    width : int, default 30
        Characters of the bar itself.
    interval : float, default 0.2
        Seconds between two redraws.

    Examples
    --------
    >>> import io, kg
    >>> out = io.StringIO()
    >>> with kg.ProgressBar("events.csv", stream=out, enabled=True, width=10) as bar:
    ...     bar(5_000_000, 10_000_000)
    >>> print(out.getvalue().strip())
    events.csv [#####.....]  50%  5.0 of 10.0 MB
    >>> silent = kg.ProgressBar("piped", stream=io.StringIO())  # not a terminal: draws nothing
    >>> silent.enabled
    False
    """

    def __init__(
        self,
        label: str,
        *,
        unit: str = "bytes",
        stream: TextIO | None = None,
        enabled: bool | None = None,
        width: int = 30,
        interval: float = 0.2,
    ):
        if unit not in ("bytes", "items"):
            raise ValueError(f"unit must be 'bytes' or 'items', not {unit!r}")
        self.label, self.unit, self.width, self.interval = label, unit, width, interval
        self.stream = stream if stream is not None else sys.stderr
        self.enabled = _is_terminal(self.stream) if enabled is None else enabled
        self._last = -float("inf")
        self._shown = 0

    def __call__(self, done: int, total: int, what: str = "") -> None:
        """Show that ``done`` of ``total`` are done (``what``: the part being worked on)."""
        if not self.enabled:
            return
        now = time.monotonic()
        if now - self._last < self.interval and done < total:
            return
        self._last = now
        share = min(max(done / total, 0.0), 1.0) if total > 0 else 1.0
        filled = int(share * self.width)
        line = f"{self.label} [{'#' * filled}{'.' * (self.width - filled)}] {share:4.0%}  {self._amount(done, total)}"
        if what:
            line += f"  {what[-40:]}"
        self.stream.write("\r" + line.ljust(self._shown))
        self.stream.flush()
        self._shown = len(line)

    def _amount(self, done: int, total: int) -> str:
        if self.unit == "bytes":
            return f"{done / 1e6:,.1f} of {total / 1e6:,.1f} MB"
        return f"{done:,} of {total:,}"

    def close(self) -> None:
        """End the bar's line (when one was drawn)."""
        if self._shown:
            self.stream.write("\n")
            self.stream.flush()
            self._shown = 0

    def __enter__(self) -> ProgressBar:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def _is_terminal(stream: TextIO) -> bool:
    try:
        return stream.isatty()
    except (AttributeError, ValueError):  # a closed or unusual stream
        return False
