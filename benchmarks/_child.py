"""Measurements in a child process, so that each one's peak memory is its own (max RSS)."""

from __future__ import annotations

import json
import os
import statistics
import subprocess
import sys
from pathlib import Path

__all__ = ["measure_in_child", "median", "write_results"]


def measure_in_child(script: str, kind: str, *args: str, cwd: Path | None = None) -> dict[str, object]:
    """Run ``script --child KIND ARGS...`` and return the JSON its last line prints, with ``peak_mb``."""
    process = subprocess.Popen(
        [sys.executable, script, "--child", kind, *args], stdout=subprocess.PIPE, text=True, cwd=cwd
    )
    assert process.stdout is not None
    output = process.stdout.read()
    _, status, usage = os.wait4(process.pid, 0)
    if status != 0:
        raise RuntimeError(f"{kind} {args} failed with status {status}")
    result: dict[str, object] = json.loads(output.strip().splitlines()[-1])
    result["peak_mb"] = usage.ru_maxrss / 1024  # Linux: kilobytes
    return result


def median(runs: list[dict[str, object]], key: str = "seconds") -> float:
    """Return the median of ``key`` over the runs."""
    return statistics.median(float(r[key]) for r in runs)  # type: ignore[arg-type]


def write_results(path: Path, text: str) -> int:
    """Write ``text`` to ``path`` (making its folder), print it, and return 0 (a ``main()``'s status)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    print(text)
    return 0
