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
import tempfile
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest

import kg

# The default graph's cache (kg._cache) goes to a folder of this test session, never the user's
# ~/.cache; it is removed at the end of the session.
SESSION_CACHE = Path(tempfile.mkdtemp(prefix="kg-test-cache-"))
os.environ["KG_CACHE_DIR"] = str(SESSION_CACHE)

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
    base = f"http://127.0.0.1:{port}"
    with _running(
        [binary, "serve", *where, "--bind", f"127.0.0.1:{port}"],
        f"{base}/query?query=ASK%7B%7D",
        "oxigraph serve",
        seconds=10,
    ):
        yield base


@contextlib.contextmanager
def _running(
    argv: list[str], probe: str, name: str, *, seconds: float, cwd: Path | None = None, log: Path | None = None
) -> Iterator[subprocess.Popen[bytes]]:
    """Start a server, wait until ``probe`` answers, and stop it by its process id on the way out.

    Its standard error is kept for the message when it exits early, unless a ``log`` file holds
    what it says (a chatty server must not fill a pipe nobody reads).
    """
    process = subprocess.Popen(
        argv, cwd=cwd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE if log is None else subprocess.DEVNULL
    )
    try:
        deadline = time.monotonic() + seconds
        while True:
            if process.poll() is not None:
                said = process.stderr.read().decode(errors="replace") if process.stderr else ""
                if log is not None and log.exists():
                    said += log.read_text(errors="replace")
                raise RuntimeError(f"{name} exited with {process.returncode}: {said[-800:]}")
            try:
                with urllib.request.urlopen(probe, timeout=2):
                    break
            except OSError:
                if time.monotonic() > deadline:
                    raise RuntimeError(f"{name} did not answer within {seconds:g} s") from None
                time.sleep(0.05)
        yield process
    finally:
        process.terminate()
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
        for stream in (process.stdout, process.stderr):
            if stream is not None:
                stream.close()
        if process.stderr is not None:
            process.stderr.close()


@pytest.fixture(scope="session")
def oxigraph_endpoint(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, str]]:
    """A real ``oxigraph serve`` on 127.0.0.1 holding the default graph (built by ``kg load``).

    Yields ``(query_url, update_url)``. Tests must leave its data as they found it.
    """
    from kg._bulkload import build_store

    location = tmp_path_factory.mktemp("endpoint") / "store"
    build_store(location)
    with oxigraph_server(location) as base:
        yield f"{base}/query", f"{base}/update"


VIRTUOSO_INI = """\
[Database]
DatabaseFile       = {db}/virtuoso.db
ErrorLogFile       = {db}/virtuoso.log
LockFile           = {db}/virtuoso.lck
TransactionFile    = {db}/virtuoso.trx
xa_persistent_file = {db}/virtuoso.pxa
TempStorage        = TempDatabase
[TempDatabase]
DatabaseFile       = {db}/virtuoso-temp.db
TransactionFile    = {db}/virtuoso-temp.trx
[Parameters]
ServerPort         = 127.0.0.1:{sql_port}
DisableUnixSocket  = 1
DirsAllowed        = ., {data}
NumberOfBuffers    = 20000
MaxDirtyBuffers    = 15000
CheckpointInterval = 0
[HTTPServer]
ServerPort         = 127.0.0.1:{http_port}
ServerRoot         = {db}
ServerThreads      = 4
MaxKeepAlives      = 4
KeepAliveTimeout   = 10
EnabledGzipContent = 1
[SPARQL]
; the default caps answers at 10,000 rows, silently: the comparison needs them all
ResultSetMaxRows      = 10000000
MaxQueryExecutionTime = 300
"""


@contextlib.contextmanager
def virtuoso_server(folder: Path, graphs: dict[str, Path], *, updates: bool = False) -> Iterator[str]:
    """Run Virtuoso Open Source 7 (Debian's ``virtuoso-opensource-7``) on 127.0.0.1.

    A throw-away database in ``folder``, its own ini file, the server in the foreground
    (``virtuoso-t -f``); each ``{graph IRI: N-Triples or Turtle file}`` loaded by
    ``DB.DBA.TTLP_MT`` through ``isql-vt``; ``updates``: SPARQL Update allowed at ``/sparql``
    (``GRANT SPARQL_UPDATE TO "SPARQL"``, as a team's server that takes ``kg ingest``). Yields
    the SPARQL endpoint's URL; the server is stopped by its process id on the way out.
    """
    server = require_program("virtuoso-t", "virtuoso-opensource-7")
    isql = require_program("isql-vt", "virtuoso-opensource-7")
    db = folder / "db"
    db.mkdir(parents=True)
    data = folder / "data"
    data.mkdir()
    sql_port, http_port = _free_port(), _free_port()
    ini = folder / "virtuoso.ini"
    ini.write_text(VIRTUOSO_INI.format(db=db, data=data, sql_port=sql_port, http_port=http_port), encoding="utf-8")
    base = f"http://127.0.0.1:{http_port}/sparql"
    with _running(
        [server, "-f", "-c", str(ini)],
        f"{base}?query=ASK%7B%7D",
        "virtuoso-t",
        seconds=60,
        cwd=db,
        log=db / "virtuoso.log",
    ):
        statements = []
        for graph, path in graphs.items():
            copy = data / f"{len(statements)}{path.suffix}"
            shutil.copyfile(path, copy)
            statements.append(f"DB.DBA.TTLP_MT(file_to_string_output('{copy}'), '', '{graph}', 0);")
        if updates:
            statements.append('GRANT SPARQL_UPDATE TO "SPARQL";')
        statements.append("checkpoint;")
        loaded = subprocess.run(
            [isql, f"127.0.0.1:{sql_port}", "dba", "dba", f"exec={' '.join(statements)}"],
            capture_output=True,
            text=True,
            timeout=600,
        )
        if loaded.returncode != 0 or "*** Error" in loaded.stdout + loaded.stderr:
            raise RuntimeError(f"isql-vt could not load the graphs: {loaded.stdout[-500:]} {loaded.stderr[-500:]}")
        yield base


def pytest_sessionfinish(session: pytest.Session, exitstatus: int) -> None:
    shutil.rmtree(SESSION_CACHE, ignore_errors=True)
