"""Shared fixtures: the default graph, the fixture folders and the shared reference data."""

from __future__ import annotations

import contextlib
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
    binary = shutil.which("oxigraph")
    if binary is None:
        pytest.skip("the 'oxigraph' command (pip install oxigraph) is not installed")
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
