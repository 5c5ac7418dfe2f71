"""Shared fixtures: the default graph, the fixture folders and the shared reference data.

Skips: a test that needs something outside the package (``../shared`` beside the repository, a
program from Debian such as ``chromium``, the ``oxigraph`` server) skips on a developer's machine
that lacks it, saying what to install. In CI (``CI=true``) every skip is a failure instead, except
the reasons listed in :data:`ALLOWED_IN_CI` (none today): CI installs everything the tests need,
so a skip there can only hide a broken install step.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import socket
import subprocess
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest

import kg

ROOT = Path(__file__).resolve().parents[1]
FIXTURES = Path(__file__).resolve().parent / "fixtures"
SHARED = ROOT.parent / "shared"


ALLOWED_IN_CI: tuple[str, ...] = ()
"""Skip reasons (substrings) that are allowed when ``CI=true``; every other skip fails there."""


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(item: pytest.Item, call: pytest.CallInfo[None]) -> Iterator[pytest.TestReport]:
    """Under ``CI=true``, turn a skip whose reason is not in :data:`ALLOWED_IN_CI` into a failure."""
    report: pytest.TestReport = yield
    if report.skipped and os.environ.get("CI") == "true" and not hasattr(report, "wasxfail"):
        reason = str(report.longrepr[2] if isinstance(report.longrepr, tuple) else report.longrepr)
        if not any(allowed in reason for allowed in ALLOWED_IN_CI):
            report.outcome = "failed"
            report.longrepr = f"skipped in CI, where nothing may be missing: {reason}"
    return report


def require_program(name: str, package: str) -> str:
    """Return the path of the program ``name``, or skip the test saying which package provides it."""
    found = shutil.which(name)
    if found is None:
        pytest.skip(f"the program {name!r} is not installed (Debian package or pip package {package!r})")
    return found


@pytest.fixture(scope="session")
def default_store() -> kg.MemoryStore:
    """The default graph in memory, loaded once (tests must not change it)."""
    store = kg.load()
    assert isinstance(store, kg.MemoryStore)
    return store


@pytest.fixture
def shared() -> Path:
    """The shared folder beside the repository; the test skips when it is absent."""
    if not (SHARED / "reference").is_dir():
        pytest.skip("../shared is not beside the repository")
    return SHARED


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@contextlib.contextmanager
def oxigraph_server(location: Path | None = None) -> Iterator[str]:
    """Run a real ``oxigraph serve`` on 127.0.0.1 (in memory, or on the store at ``location``).

    Yields its base URL (``/query`` and ``/update`` below it); the server is stopped by its
    process id on the way out. Skips the test when the ``oxigraph`` command is not installed.
    """
    binary = require_program("oxigraph", "oxigraph")
    where = ["--location", str(location)] if location is not None else []
    port = _free_port()
    process = subprocess.Popen([binary, "serve", *where, "--bind", f"127.0.0.1:{port}"],
                               stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    try:
        base = f"http://127.0.0.1:{port}"
        for _ in range(200):
            if process.poll() is not None:
                raise RuntimeError(f"oxigraph serve exited: {process.stderr.read().decode()[:500]}")
            try:
                with urllib.request.urlopen(f"{base}/query?query=ASK%7B%7D", timeout=1):
                    break
            except OSError:
                time.sleep(0.05)
        else:
            raise RuntimeError("oxigraph serve did not answer within 10 s")
        yield base
    finally:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
        if process.stderr is not None:
            process.stderr.close()


@pytest.fixture(scope="session")
def oxigraph_endpoint(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, str]]:
    """A real ``oxigraph serve`` on 127.0.0.1 holding the default graph (built by ``kg load``).

    Yields ``(query_url, update_url)``. Tests must leave its data as they found it.
    """
    from kg.bulkload import build_store

    location = tmp_path_factory.mktemp("endpoint") / "store"
    build_store(location)
    with oxigraph_server(location) as base:
        yield f"{base}/query", f"{base}/update"
