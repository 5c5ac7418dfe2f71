"""``kg serve``: the interactive map, a query page and a read-only SPARQL 1.1 endpoint over HTTP.

A Starlette application served by uvicorn (the ``serve`` extra). Its routes:

- ``/``: the interactive map of :func:`kg._web.draw_html`, built from the store on each request
  (new data shows on reload); ``/api/evidence?a=IRI&b=IRI`` sends every event between two actors,
  for the links whose page embeds only the strongest;
- ``/query``: a query page (a SPARQL editor with the named queries and their parameters, results as
  a table, CSV and JSON downloads, errors with their line and column);
- ``/sparql``: the SPARQL 1.1 Protocol, query operation: ``GET ?query=``, ``POST`` as
  ``application/x-www-form-urlencoded`` or ``application/sparql-query``; results as JSON, CSV, TSV or
  XML (graphs as Turtle, N-Triples, RDF/XML or JSON-LD) by ``Accept`` or ``format=``;
- ``/api/queries`` and ``/api/named/{name}?param=value``: the named queries and their answers.

**Read-only and bounded.** Updates are refused with 403, ``SERVICE`` and ``LOAD`` (which reach the
network) with 403 too; a query that does not parse gets 400 with its line and column; an unknown named
query or actor 404 with the closest names; a request body over the cap 413; an answer over the row cap
400 (ask with ``LIMIT``). Queries run in a small pool of worker processes: one that runs past the
timeout is stopped (its process ended and replaced) and the client gets 503, so a runaway query
holds no core. Errors are logged in one line, never with a traceback, and never reach the page as one.

**Stores.** The default graph (and ``--data`` files) is loaded once into each worker, in memory, and
never changes. An Oxigraph folder (``--store``) is opened read-only for each request and closed after
it, so a writer (``kg load``, ``kg ingest``) waits for one request at most and the next request
sees what it wrote. An endpoint (``--endpoint``) is queried over HTTP.
"""

from __future__ import annotations

import asyncio
import contextlib
import difflib
import json
import logging
import multiprocessing
import multiprocessing.connection
import signal
import threading
from collections.abc import AsyncIterator, Callable
from dataclasses import asdict, dataclass
from importlib import resources
from pathlib import Path
from typing import TYPE_CHECKING, Any

from rdflib import URIRef, Variable
from rdflib.query import Result as RdflibResult

if TYPE_CHECKING:  # starlette is the serve extra: imported when the app is made, not with the package
    from starlette.applications import Starlette
    from starlette.requests import Request
    from starlette.responses import Response

__all__ = ["ServerConfig", "make_app", "serve"]

log = logging.getLogger(__name__)

_LOCAL_HOSTS = ("127.0.0.1", "localhost", "::1")

# Result formats of the protocol: (format name, media type), in order of preference.
_TABLE_TYPES = {
    "json": "application/sparql-results+json",
    "csv": "text/csv",
    "tsv": "text/tab-separated-values",
    "xml": "application/sparql-results+xml",
}
_GRAPH_TYPES = {
    "turtle": "text/turtle",
    "nt": "application/n-triples",
    "xml": "application/rdf+xml",
    "json-ld": "application/ld+json",
}
_ALIASES = {
    "application/json": "json",
    "text/plain": "tsv",
    "application/xml": "xml",
    "text/xml": "xml",
    "application/sparql-results+json": "json",
    "text/csv": "csv",
    "text/tab-separated-values": "tsv",
    "application/sparql-results+xml": "xml",
    "text/turtle": "turtle",
    "application/n-triples": "nt",
    "application/rdf+xml": "xml",
    "application/ld+json": "json-ld",
}


@dataclass(frozen=True)
class ServerConfig:
    """What ``kg serve`` serves and within which bounds.

    Attributes
    ----------
    store : str or None
        An Oxigraph folder, opened read-only per request.
    endpoint : str or None
        A SPARQL endpoint to query instead.
    data : tuple of str
        Extra RDF files for the in-memory graph (with ``default``, the shipped graph).
    default : bool
        Load the default graph (in memory, when neither ``store`` nor ``endpoint`` is given).
    timeout : float
        Seconds a query may run before its worker is stopped (503).
    max_rows : int
        Rows an answer may have (400 beyond: ask with LIMIT).
    max_body : int
        Bytes a request body may have (413 beyond).
    workers : int
        Worker processes that run queries (requests beyond wait their turn).
    top : int or None
        The map's top-N rule (as ``kg draw --top``).

    Examples
    --------
    >>> import kg
    >>> config = kg.ServerConfig(top=20, timeout=5.0)
    >>> config.store is None and config.default  # the default graph, in memory
    True
    """

    store: str | None = None
    endpoint: str | None = None
    data: tuple[str, ...] = ()
    default: bool = True
    timeout: float = 10.0
    max_rows: int = 100_000
    max_body: int = 1_000_000
    workers: int = 2
    top: int | None = None


# ---------------------------------------------------------------- the worker side (its own process)


class _Answer(Exception):
    """An HTTP answer other than 200, raised inside a worker (or while reading a request)."""

    def __init__(self, status: int, message: str, **details: Any):
        super().__init__(message)
        self.status, self.message, self.details = status, message, details


def _worker(config: dict[str, Any], conn: multiprocessing.connection.Connection) -> None:
    """Answer requests from ``conn`` until it closes: the loop of one worker process."""
    # Ctrl-C in a terminal reaches the whole process group: the server shuts the workers down itself.
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    logging.basicConfig(level=logging.WARNING, format="kg serve: %(levelname)s: %(message)s")
    from kg._bulkload import load
    from kg._store import EndpointStore, OxigraphStore, Store

    memory: Store | None = None

    def open_store() -> Store:
        nonlocal memory
        if config["endpoint"]:
            return EndpointStore(config["endpoint"], timeout=config["timeout"])
        if config["store"]:
            return OxigraphStore(config["store"], read_only=True)
        if memory is None:
            memory = load(*config["data"], default=config["default"])
        return memory

    if not config["store"] and not config["endpoint"]:
        open_store()  # the in-memory graph, loaded before the first request
    conn.send(("ready",))
    while True:
        try:
            task, args = conn.recv()
        except (EOFError, OSError):
            return
        store = None
        try:
            store = open_store()
            conn.send(_run(store, config, task, args))
        except Exception as exc:  # opening the store failed
            conn.send(_failed(exc))
        finally:
            if store is not None and store is not memory:
                store.close()  # a store folder's shared lock is held for one request only


def _run(store: Any, config: dict[str, Any], task: str, args: dict[str, Any]) -> tuple[Any, ...]:
    """Return the message that answers one task: ``("ok", status, media, body)`` or an error."""
    try:
        status, media, body = _HANDLERS[task](store, config, **args)
    except Exception as exc:  # every error becomes an answer, never a traceback
        return _failed(exc)
    return ("ok", status, media, body)


def _failed(exc: Exception) -> tuple[Any, ...]:
    """Return the error message for ``exc``: ``("error", status, message, details)``."""
    if isinstance(exc, _Answer):
        return ("error", exc.status, exc.message, exc.details)
    status, message, details = _status_of(exc)
    if status >= 500:
        log.error("%s: %s", type(exc).__name__, str(exc).splitlines()[0][:300] if str(exc) else "")
    return ("error", status, message, details)


def _status_of(exc: Exception) -> tuple[int, str, dict[str, Any]]:
    from kg._errors import EngineError, InputError, QueryError, UnknownNameError

    if isinstance(exc, UnknownNameError):
        return 404, str(exc), {"suggestions": exc.suggestions}
    if isinstance(exc, QueryError):
        return 400, str(exc), {"line": exc.line, "column": exc.column}
    if isinstance(exc, InputError):
        return 400, str(exc), {}
    if isinstance(exc, EngineError):
        return 502, str(exc), {}
    return 500, f"internal error ({type(exc).__name__}); the server log has one line on it", {}


def _checked(sparql: str) -> str:
    """Return the form of ``sparql``; raise 400 (syntax) or 403 (update, SERVICE, LOAD)."""
    from kg._errors import QueryError
    from kg._query import check

    form = check(sparql, allow_update=True, allow_network=True)  # a syntax error: 400 with line/column
    if form == "UPDATE":
        raise _Answer(403, "refused: this endpoint is read-only and the request is a SPARQL Update")
    try:
        check(sparql)
    except QueryError as exc:
        raise _Answer(403, str(exc)) from exc
    return form


def _table_body(result: Any, fmt: str, max_rows: int) -> tuple[str, bytes]:
    if result.graph is not None:
        fmt = fmt if fmt in _GRAPH_TYPES else "turtle"
        if fmt == "json-ld":
            from kg._query import serialize

            return _GRAPH_TYPES[fmt], serialize(result, "jsonld").encode()
        return _GRAPH_TYPES[fmt], result.graph.serialize(format=fmt).encode()
    if len(result.rows) > max_rows:
        raise _Answer(
            400,
            f"the answer has {len(result.rows):,} rows, more than this server's cap of "
            f"{max_rows:,}: add LIMIT (and OFFSET to page through it)",
        )
    fmt = fmt if fmt in _TABLE_TYPES else "json"
    answer = RdflibResult(result.form)
    if result.form == "ASK":
        answer.askAnswer = bool(result.boolean)
        if fmt in ("csv", "tsv"):
            fmt = "json"  # the CSV and TSV result formats have no boolean
    else:
        names = [Variable(v) for v in result.vars]
        answer.vars = names
        answer.bindings = [{n: v for n, v in zip(names, row, strict=True) if v is not None} for row in result.rows]
    if fmt == "tsv":  # rdflib reads TSV results but does not write them: terms in N-Triples form
        lines = ["\t".join(f"?{v}" for v in result.vars)]
        lines += ["\t".join("" if v is None else v.n3().replace("\t", "\\t") for v in row) for row in result.rows]
        return _TABLE_TYPES[fmt] + "; charset=utf-8", ("\n".join(lines) + "\n").encode("utf-8")
    data = answer.serialize(format=fmt, encoding="utf-8")
    assert isinstance(data, bytes)
    return _TABLE_TYPES[fmt] + ("; charset=utf-8" if fmt in ("csv", "tsv") else ""), data


def _sparql(store: Any, config: dict[str, Any], *, sparql: str, fmt: str) -> tuple[int, str, bytes]:
    from kg._query import query

    _checked(sparql)
    result = query(store, sparql)
    media, body = _table_body(result, fmt, config["max_rows"])
    return 200, media, body


def _named(
    store: Any, config: dict[str, Any], *, name: str, params: dict[str, str], fmt: str
) -> tuple[int, str, bytes]:
    from kg._query import get_query, query

    named = get_query(name)  # 404 with the closest names
    unknown = [p for p in params if named.parameter(p) is None]
    if unknown:
        known = [p.name for p in named.parameters]
        raise _Answer(
            404,
            f"the query {named.name} has no parameter {unknown[0]!r}; it takes {', '.join(known) or 'none'}",
            suggestions=difflib.get_close_matches(unknown[0], known),
        )
    result = query(store, named.name, params={k: v for k, v in params.items() if v != ""})
    media, body = _table_body(result, fmt, config["max_rows"])
    return 200, media, body


def _map(store: Any, config: dict[str, Any]) -> tuple[int, str, bytes]:
    from kg._web.page import draw_html

    page = draw_html(store, top=config["top"], live=True, title="Who did what to whom: the live map")
    return 200, "text/html; charset=utf-8", page.html.encode("utf-8")


_EVIDENCE = """
SELECT ?event ?date ?type ?typeLabel ?actorLabel ?targetLabel ?source ?sourceLabel ?quote WHERE {
    ?event dip:actor ?actor ; dip:target ?target ; dip:eventType ?type .
    OPTIONAL { ?event dip:date ?date }
    OPTIONAL { ?type skos:prefLabel ?typeLabel }
    OPTIONAL { ?actor rdfs:label ?actorLabel }
    OPTIONAL { ?target rdfs:label ?targetLabel }
    OPTIONAL { ?event dip:source ?source . OPTIONAL { ?source rdfs:label ?sourceLabel } }
    OPTIONAL { ?event dip:quote ?quote }
}
"""


def _evidence(store: Any, config: dict[str, Any], *, a: str, b: str) -> tuple[int, str, bytes]:
    from kg._query import resolve_actor

    first, second = resolve_actor(store, a), resolve_actor(store, b)  # 404 with the closest names
    rows: dict[str, dict[str, str]] = {}
    for actor, target in ((first, second), (second, first)):
        result = store.query(_EVIDENCE, bindings={"actor": URIRef(actor), "target": URIRef(target)})
        for row in result.rows:
            values = {name: ("" if value is None else str(value)) for name, value in zip(result.vars, row, strict=True)}
            rows.setdefault(values["event"], values)
    events = sorted(rows.values(), key=lambda r: (r["date"], r["event"]))[: config["max_rows"]]
    body = [
        {
            "event": r["event"],
            "date": r["date"],
            "relation": r["typeLabel"] or r["type"],
            "actor": r["actorLabel"],
            "target": r["targetLabel"],
            "source": r["source"],
            "sourceLabel": r["sourceLabel"],
            "quote": r["quote"],
        }
        for r in events
    ]
    return 200, "application/json", json.dumps(body, ensure_ascii=False).encode("utf-8")


def _ping(store: Any, config: dict[str, Any]) -> tuple[int, str, bytes]:
    return 200, "text/plain", b"ok"


_HANDLERS: dict[str, Callable[..., tuple[int, str, bytes]]] = {
    "sparql": _sparql,
    "named": _named,
    "map": _map,
    "evidence": _evidence,
    "ping": _ping,
}


# ---------------------------------------------------------------- the server side


class _Worker:
    def __init__(self, context: Any, config: dict[str, Any]):
        self.conn, child = context.Pipe()
        self.process = context.Process(target=_worker, args=(config, child), daemon=True, name="kg-serve-worker")
        self.process.start()
        child.close()

    def wait_ready(self, timeout: float) -> None:
        if not self.conn.poll(timeout):
            raise RuntimeError(f"a query worker did not start within {timeout:g} s")
        self.conn.recv()

    def stop(self) -> None:
        self.conn.close()
        if self.process.is_alive():
            self.process.terminate()
        self.process.join(5)
        if self.process.is_alive():
            self.process.kill()
            self.process.join()


class _Pool:
    """Worker processes, each running one request at a time; a late one is replaced."""

    def __init__(self, config: ServerConfig):
        self.config = config
        self.settings = asdict(config)
        self.context = multiprocessing.get_context("spawn")  # no fork of a threaded server
        self.idle: asyncio.Queue[_Worker] = asyncio.Queue()
        self.workers: set[_Worker] = set()
        self.lock = threading.Lock()
        self.loop: asyncio.AbstractEventLoop | None = None

    def _start(self) -> _Worker:
        worker = _Worker(self.context, self.settings)
        worker.wait_ready(120)
        with self.lock:
            self.workers.add(worker)
        return worker

    async def start(self) -> None:
        loop = asyncio.get_running_loop()
        started = await asyncio.gather(*(loop.run_in_executor(None, self._start) for _ in range(self.config.workers)))
        for worker in started:
            self.idle.put_nowait(worker)

    async def run(self, task: str, **args: Any) -> tuple[Any, ...]:
        worker = await self.idle.get()
        loop = asyncio.get_running_loop()
        try:
            worker.conn.send((task, args))
            ready = await loop.run_in_executor(None, worker.conn.poll, self.config.timeout)
            if ready:
                answer: tuple[Any, ...] = worker.conn.recv()
                self.idle.put_nowait(worker)
                return answer
        except (EOFError, OSError, BrokenPipeError):
            pass
        # too slow, or the worker died: stop it, start another in its place, answer 503
        log.warning("a request (%s) ran past the %g s timeout: its worker was stopped", task, self.config.timeout)
        await loop.run_in_executor(None, self._replace, worker)
        return (
            "error",
            503,
            f"the query ran longer than this server's timeout of {self.config.timeout:g} s "
            "and was stopped; narrow it (LIMIT, a more selective pattern)",
            {},
        )

    def _replace(self, worker: _Worker) -> None:
        with self.lock:
            self.workers.discard(worker)
        worker.stop()
        try:
            replacement = self._start()
        except Exception as exc:
            log.error("could not start a query worker: %s", exc)
            return
        assert self.loop is not None
        asyncio.run_coroutine_threadsafe(self._give(replacement), self.loop)

    async def _give(self, worker: _Worker) -> None:
        self.idle.put_nowait(worker)

    def stop(self) -> None:
        with self.lock:
            workers = list(self.workers)
            self.workers.clear()
        for worker in workers:
            worker.stop()


def _format(request: Request, *, graph_allowed: bool = True) -> str:
    """Return the result format a request asks for: ``format=`` first, then ``Accept`` by quality."""
    given = request.query_params.get("format", "").lower()
    if given:
        return {"json-ld": "json-ld", "jsonld": "json-ld", "ttl": "turtle", "n-triples": "nt"}.get(given, given)
    ranked = []
    for part in request.headers.get("accept", "").split(","):
        media, _, rest = part.strip().partition(";")
        quality = 1.0
        for param in rest.split(";"):
            key, _, value = param.strip().partition("=")
            if key == "q":
                with contextlib.suppress(ValueError):
                    quality = float(value)
        ranked.append((-quality, media.strip().lower()))
    for _, media in sorted(ranked, key=lambda x: x[0]):
        if media in _ALIASES:
            return _ALIASES[media]
    return "json"


def _error(status: int, message: str, details: dict[str, Any], request: Request) -> Response:
    from starlette.responses import JSONResponse, PlainTextResponse

    wants_json = "json" in request.headers.get("accept", "") or request.url.path.startswith("/api/")
    if wants_json:
        return JSONResponse(
            {"error": message, **{k: v for k, v in details.items() if v is not None}}, status_code=status
        )
    extra = ""
    if details.get("suggestions"):
        extra = "\nclosest names: " + ", ".join(details["suggestions"])
    return PlainTextResponse(message + extra + "\n", status_code=status)


def _answer(answer: tuple[Any, ...], request: Request) -> Response:
    from starlette.responses import Response

    if answer[0] == "ok":
        _, status, media, body = answer
        return Response(body, status_code=status, media_type=media)
    _, status, message, details = answer
    return _error(status, message, details, request)


async def _body(request: Request, cap: int) -> bytes | None:
    """Read the body, or None when it is over ``cap`` bytes (checked before and while reading)."""
    declared = request.headers.get("content-length")
    if declared is not None and declared.isdigit() and int(declared) > cap:
        return None
    chunks, size = [], 0
    async for chunk in request.stream():
        size += len(chunk)
        if size > cap:
            return None
        chunks.append(chunk)
    return b"".join(chunks)


_READ_ONLY = "refused: this endpoint is read-only (no SPARQL Update)"


async def _query_text(request: Request, cap: int) -> str | Response:
    """Return the query a SPARQL Protocol request carries, or the error answer (400, 403, 413, 415)."""
    try:
        if request.method == "GET":
            if "update" in request.query_params:
                raise _Answer(403, _READ_ONLY)
            text = request.query_params.get("query")
        else:
            body = await _body(request, cap)
            if body is None:
                raise _Answer(413, f"the request body is over this server's cap of {cap:,} bytes")
            text = _posted_query(request.headers.get("content-type", ""), body)
        if not text:
            raise _Answer(400, "no query: give query= (GET or form POST) or a application/sparql-query body")
        if len(text.encode("utf-8")) > cap:
            raise _Answer(413, f"the query is over this server's cap of {cap:,} bytes")
    except _Answer as answer:
        return _error(answer.status, answer.message, answer.details, request)
    return text


def _posted_query(content_type: str, body: bytes) -> str:
    """Return the query of a POST body; raise 403 for an update, 415 for a body that carries none."""
    media = content_type.split(";")[0].strip().lower()
    if media == "application/sparql-query":
        return body.decode("utf-8", "replace")
    if media == "application/x-www-form-urlencoded":
        from urllib.parse import parse_qs

        form = parse_qs(body.decode("utf-8", "replace"))
        if "update" in form:
            raise _Answer(403, _READ_ONLY)
        return (form.get("query") or [""])[0]
    if media == "application/sparql-update":
        raise _Answer(403, _READ_ONLY)
    raise _Answer(
        415,
        "send the query as application/sparql-query or as the form field query= (application/x-www-form-urlencoded)",
    )


def make_app(config: ServerConfig) -> Starlette:
    """Return the Starlette application of ``kg serve`` (its worker pool starts with it).

    Examples
    --------
    >>> app = make_app(ServerConfig(workers=1))
    >>> sorted(route.path for route in app.routes)  # doctest: +NORMALIZE_WHITESPACE
    ['/', '/api/evidence', '/api/named/{name}', '/api/queries', '/query', '/sparql']
    """
    from starlette.applications import Starlette
    from starlette.responses import HTMLResponse, JSONResponse
    from starlette.routing import Route

    pool = _Pool(config)

    @contextlib.asynccontextmanager
    async def lifespan(app: Starlette) -> AsyncIterator[None]:
        pool.loop = asyncio.get_running_loop()
        await pool.start()
        try:
            yield
        finally:
            pool.stop()

    async def home(request: Request) -> Response:
        return _answer(await pool.run("map"), request)

    async def evidence(request: Request) -> Response:
        a, b = request.query_params.get("a", ""), request.query_params.get("b", "")
        if not a or not b:
            return _error(400, "give two actors: /api/evidence?a=IRI&b=IRI", {}, request)
        return _answer(await pool.run("evidence", a=a, b=b), request)

    async def sparql(request: Request) -> Response:
        text = await _query_text(request, config.max_body)
        if not isinstance(text, str):
            return text
        return _answer(await pool.run("sparql", sparql=text, fmt=_format(request)), request)

    async def queries(request: Request) -> Response:
        from kg._query import list_queries

        return JSONResponse(
            [
                {
                    "name": q.name,
                    "description": q.description,
                    "text": q.text,
                    "parameters": [
                        {"name": p.name, "kind": p.kind, "description": p.description, "required": p.required}
                        for p in q.parameters
                    ],
                }
                for q in list_queries()
            ]
        )

    async def named(request: Request) -> Response:
        params = {k: v for k, v in request.query_params.items() if k != "format"}
        return _answer(
            await pool.run("named", name=request.path_params["name"], params=params, fmt=_format(request)), request
        )

    async def query_page(request: Request) -> Response:
        return HTMLResponse(resources.files("kg._web").joinpath("query.html").read_text(encoding="utf-8"))

    routes = [
        Route("/", home),
        Route("/query", query_page),
        Route("/sparql", sparql, methods=["GET", "POST"]),
        Route("/api/queries", queries),
        Route("/api/named/{name}", named),
        Route("/api/evidence", evidence),
    ]
    return Starlette(routes=routes, lifespan=lifespan)


def serve(config: ServerConfig, *, host: str = "127.0.0.1", port: int = 8000) -> None:
    """Serve ``config`` on ``host:port`` until interrupted (uvicorn, one process, a worker pool).

    Binding another address than the local one logs a warning: anyone who reaches it can query.

    Raises
    ------
    KeyboardInterrupt
        After a graceful shutdown on Ctrl-C (SIGINT), so that ``kg serve`` exits 130.
    InputError
        For a store folder that does not exist.

    Examples
    --------
    >>> import kg
    >>> kg.serve(kg.ServerConfig(store="no/such/store"))
    Traceback (most recent call last):
    ...
    kg._errors.InputError: no/such/store: no such store; build it with 'kg load --store no/such/store'
    """
    import uvicorn

    if host not in _LOCAL_HOSTS:
        log.warning("serving on %s: anyone who can reach this address can read the whole graph", host)
    if config.store is not None and not Path(config.store).is_dir():
        from kg._errors import InputError

        raise InputError(f"{config.store}: no such store; build it with 'kg load --store {config.store}'")
    server = uvicorn.Server(
        uvicorn.Config(
            make_app(config),
            host=host,
            port=port,
            log_level="warning",
            access_log=False,
            limit_concurrency=256,
            timeout_graceful_shutdown=5,
        )
    )
    server.run()
    if signal.SIGINT in getattr(server, "_captured_signals", ()):
        raise KeyboardInterrupt  # Ctrl-C: the command exits 130, as every kg command does
