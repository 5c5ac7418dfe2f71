"""``kg.ProgressBar`` (kg/_progress.py) and the bars of ``kg ingest`` and ``kg load`` on a terminal."""

from __future__ import annotations

import io
import os
import pty
import subprocess
import sys
from pathlib import Path

import kg

ROOT = Path(__file__).resolve().parent.parent
TABLE = ROOT / "data" / "examples" / "events.csv"


def test_the_bar_redraws_in_place_and_ends_its_line():
    out = io.StringIO()
    with kg.ProgressBar("big.csv", stream=out, enabled=True, width=10, interval=0) as bar:
        bar(0, 4_000_000)
        bar(1_000_000, 4_000_000, "part-1.csv")
        bar(4_000_000, 4_000_000)
    text = out.getvalue()
    assert text.startswith("\rbig.csv [..........]   0%  0.0 of 4.0 MB")
    assert "\rbig.csv [##........]  25%  1.0 of 4.0 MB  part-1.csv" in text
    assert text.endswith("\rbig.csv [##########] 100%  4.0 of 4.0 MB            \n")  # the longer line wiped


def test_the_bar_counts_items_and_skips_redraws_within_its_interval():
    out = io.StringIO()
    bar = kg.ProgressBar("validating", unit="items", stream=out, enabled=True, width=4, interval=60)
    bar(1, 1_000_000)
    bar(2, 1_000_000)  # within the interval: not drawn
    bar(1_000_000, 1_000_000)  # the end is always drawn
    bar.close()
    assert out.getvalue() == (
        "\rvalidating [....]   0%  1 of 1,000,000\rvalidating [####] 100%  1,000,000 of 1,000,000\n"
    )


def test_the_bar_is_silent_off_a_terminal_and_with_nothing_drawn_ends_no_line():
    out = io.StringIO()
    with kg.ProgressBar("piped", stream=out) as bar:
        assert bar.enabled is False
        bar(5, 10)
    assert out.getvalue() == ""
    with kg.ProgressBar("never called", stream=out, enabled=True):
        pass
    assert out.getvalue() == ""


def _stderr_on_a_terminal(args: list[str], cwd: Path) -> tuple[int, str]:
    """Run ``python -m kg ARGS`` with standard error on a pseudo-terminal; return its code and what it drew."""
    leader, follower = pty.openpty()
    child = subprocess.Popen(
        [sys.executable, "-m", "kg", *args],
        cwd=cwd,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
        stdout=subprocess.DEVNULL,
        stderr=follower,
    )
    os.close(follower)
    drawn = b""
    while True:
        try:
            chunk = os.read(leader, 4096)
        except OSError:  # the child closed the terminal
            break
        if not chunk:
            break
        drawn += chunk
    os.close(leader)
    return child.wait(timeout=120), drawn.decode()


def test_kg_ingest_draws_a_bar_on_a_terminal_only(tmp_path):
    code, drawn = _stderr_on_a_terminal(["ingest", str(TABLE), "-o", str(tmp_path / "pty")], tmp_path)
    assert code == 0
    assert f"{TABLE} [##############################] 100%" in drawn
    piped = subprocess.run(
        [sys.executable, "-m", "kg", "ingest", str(TABLE), "-o", str(tmp_path / "piped")],
        cwd=tmp_path,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
        capture_output=True,
        text=True,
        check=True,
    )
    assert piped.stderr == ""


def test_kg_load_draws_a_bar_on_a_terminal(tmp_path):
    code, drawn = _stderr_on_a_terminal(["load", "--store", str(tmp_path / "store"), "--no-validate"], tmp_path)
    assert code == 0
    assert "loading [##############################] 100%" in drawn
