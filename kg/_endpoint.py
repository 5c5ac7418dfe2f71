"""The HTTP side of a SPARQL 1.1 endpoint: request forms, dataset, credentials, clear errors.

:class:`SparqlClient` sends one query or update and returns the body of a good answer. It
speaks the whole `SPARQL 1.1 Protocol <https://www.w3.org/TR/sparql11-protocol/>`_:

* **GET** (``?query=...``) for a query whose encoded form is short (at most
  :data:`GET_LIMIT` characters), **URL-encoded POST** otherwise, and **direct POST**
  (``Content-Type: application/sparql-query``) only when ``method="direct"`` asks for it:
  some servers (Virtuoso 7) do not answer that form;
* the dataset as ``default-graph-uri`` and ``named-graph-uri`` parameters (also read from
  the endpoint URL, so ``.../sparql?default-graph-uri=...`` works as before); without a choice,
  the project's three graphs (:func:`kg._graphs.query_dataset`);
* HTTP basic or bearer authentication taken from the environment or a netrc file, never from
  a command line (see :func:`credentials`);
* gzip, a ``User-Agent`` that names the package and its version, one connection pool reused
  by every request of the client, and a **total deadline** per request: a server that
  trickles its answer a byte at a time is cut off at ``timeout`` seconds like a silent one.

Every failure is an :class:`~kg._errors.EngineError` (or :class:`~kg._errors.QueryError` for a
query the server refuses as broken) whose message names the URL and what came back.

    >>> client = SparqlClient("http://127.0.0.1:9/sparql", default_graphs=["urn:x:data"])
    >>> client.dataset_params()
    [('default-graph-uri', 'urn:x:data')]
    >>> client.close()
"""

from __future__ import annotations

import base64
import logging
import netrc
import os
import re
import threading
import time
import urllib.parse
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from importlib import metadata
from pathlib import Path
from typing import TypedDict

import httpx

from kg._errors import EngineError, QueryError
from kg._graphs import graph_iri, query_dataset

__all__ = [
    "ENV_PASSWORD",
    "ENV_TOKEN",
    "ENV_USER",
    "GET_LIMIT",
    "METHODS",
    "Answer",
    "ClientOptions",
    "SparqlClient",
    "credentials",
    "graph_name",
    "user_agent",
]

log = logging.getLogger(__name__)

GET_LIMIT = 2000
"""Longest URL-encoded query (in characters) sent by GET; longer ones go by URL-encoded POST
(many servers and proxies refuse request lines beyond 4 or 8 KiB)."""

METHODS = ("auto", "get", "post", "direct")
"""How queries are sent: ``auto`` (GET when short, else URL-encoded POST), ``get``, ``post``
(URL-encoded) or ``direct`` (the body is the query, ``application/sparql-query``)."""

ENV_USER = "KG_ENDPOINT_USER"
ENV_PASSWORD = "KG_ENDPOINT_PASSWORD"
ENV_TOKEN = "KG_ENDPOINT_TOKEN"

_DATASET = ("default-graph-uri", "named-graph-uri")
_MAX_REDIRECTS = 5


def graph_name(iri: str) -> str:
    """Return the IRI of a graph of a dataset: an absolute IRI, or a short name of :data:`kg._graphs.GRAPHS`.

    >>> graph_name("urn:dipkg:data"), graph_name("asserted")
    ('urn:dipkg:data', 'https://w3id.org/dipkg/graph/asserted')
    """
    return graph_iri(iri)


def user_agent() -> str:
    """Return the ``User-Agent`` the client sends: the package, its version, the HTTP library.

    >>> user_agent().startswith("dipkg/")
    True
    """
    try:
        version = metadata.version("dipkg")
    except metadata.PackageNotFoundError:  # run from a source tree that was never installed
        version = "unknown"
    return f"dipkg/{version} (SPARQL client of the kg command) httpx/{httpx.__version__}"


def credentials(url: str, environ: Mapping[str, str] | None = None) -> tuple[str, str] | None:
    """Find the credentials for ``url``: from the environment, else from a netrc file.

    In order: ``KG_ENDPOINT_TOKEN`` (sent as ``Authorization: Bearer``);
    ``KG_ENDPOINT_USER`` and ``KG_ENDPOINT_PASSWORD`` (HTTP basic); the ``machine`` entry for
    the URL's host in the netrc file named by ``NETRC``, else ``~/.netrc`` (HTTP basic).

    Returns
    -------
    tuple of (str, str) or None
        ``("Bearer", token)`` or ``("Basic", base64 of user:password)``; None without credentials.

    Examples
    --------
    >>> credentials("http://h/sparql", {"KG_ENDPOINT_TOKEN": "t0k"})
    ('Bearer', 't0k')
    >>> credentials("http://h/sparql", {"KG_ENDPOINT_USER": "ana", "KG_ENDPOINT_PASSWORD": "pw"})
    ('Basic', 'YW5hOnB3')
    """
    env = os.environ if environ is None else environ
    if env.get(ENV_TOKEN):
        return ("Bearer", env[ENV_TOKEN])
    if env.get(ENV_USER):
        pair = f"{env[ENV_USER]}:{env.get(ENV_PASSWORD, '')}".encode()
        return ("Basic", base64.b64encode(pair).decode("ascii"))
    path = Path(env["NETRC"]) if env.get("NETRC") else Path.home() / ".netrc"
    if not path.is_file():
        return None
    host = urllib.parse.urlsplit(url).hostname or ""
    try:
        entry = netrc.netrc(str(path)).authenticators(host)
    except (netrc.NetrcParseError, OSError) as exc:
        raise EngineError(f"cannot read the credentials file {path}: {exc}") from exc
    if entry is None:
        return None
    login, _, password = entry
    return ("Basic", base64.b64encode(f"{login}:{password or ''}".encode()).decode("ascii"))


@dataclass(frozen=True)
class Answer:
    """A good answer: its media type (without parameters) and its decoded body."""

    media_type: str
    body: bytes

    def text(self) -> str:
        """Return the body as UTF-8 text."""
        return self.body.decode("utf-8", "replace")


class ClientOptions(TypedDict, total=False):
    """The keywords of :class:`SparqlClient` after its URL, for a caller that passes them on."""

    update_url: str | None
    timeout: float
    default_graphs: Iterable[str]
    named_graphs: Iterable[str]
    method: str
    auth: tuple[str, str] | None


class SparqlClient:
    """A SPARQL 1.1 Protocol client for one endpoint (one pool of connections).

    Parameters
    ----------
    query_url : str
        The query endpoint. ``default-graph-uri`` and ``named-graph-uri`` parameters in it join
        the dataset; other parameters stay in the URL.
    update_url : str, optional
        The update endpoint.
    timeout : float, default 30
        Total seconds one request may take, from connecting to the last byte of the answer.
    default_graphs, named_graphs : iterable of str
        The dataset of every query: ``default-graph-uri`` / ``named-graph-uri`` values (IRIs, or
        the short names of :data:`kg._graphs.GRAPHS`). Without default graphs, the project's three
        graphs are both (:func:`kg._graphs.query_dataset`).
    method : str, default "auto"
        One of :data:`METHODS`.
    auth : tuple of (str, str), optional
        ``(scheme, value)`` for the ``Authorization`` header; by default :func:`credentials`.

    Examples
    --------
    >>> client = SparqlClient("http://127.0.0.1:9/sparql?default-graph-uri=urn:g&x=1")
    >>> client.query_url, client.default_graphs
    ('http://127.0.0.1:9/sparql?x=1', ('urn:g',))
    >>> client.close()
    """

    def __init__(
        self,
        query_url: str,
        *,
        update_url: str | None = None,
        timeout: float = 30.0,
        default_graphs: Iterable[str] = (),
        named_graphs: Iterable[str] = (),
        method: str = "auto",
        auth: tuple[str, str] | None = None,
    ):
        if method not in METHODS:
            raise EngineError(f"request method {method!r} is not one of {', '.join(METHODS)}")
        if not timeout > 0:
            raise EngineError(f"timeout must be a positive number of seconds, not {timeout!r}")
        base, from_url = _split_dataset(query_url)
        for url in (query_url, update_url):
            if url is not None:
                _check_url(url)
        self.query_url, self.update_url, self.timeout, self.method = base, update_url, timeout, method
        chosen = (*from_url["default-graph-uri"], *default_graphs)
        named = tuple(graph_name(g) for g in (*from_url["named-graph-uri"], *named_graphs))
        # The project's dataset rule (kg._graphs): without a choice, its three graphs, which GRAPH
        # may name too (a dataset given by the protocol holds only the named graphs it names).
        self.default_graphs: tuple[str, ...] = query_dataset(chosen, server=True) or ()
        self.named_graphs = named or (() if chosen else self.default_graphs)
        self._auth = auth if auth is not None else credentials(query_url)
        headers = {"User-Agent": user_agent(), "Accept-Encoding": "gzip, deflate"}
        if self._auth is not None:
            headers["Authorization"] = f"{self._auth[0]} {self._auth[1]}"
        self._http = httpx.Client(
            headers=headers,
            follow_redirects=True,
            max_redirects=_MAX_REDIRECTS,
            trust_env=False,
            timeout=httpx.Timeout(timeout),
        )

    def dataset_params(self) -> list[tuple[str, str]]:
        """Return the dataset as protocol parameters, default graphs first."""
        return [("default-graph-uri", g) for g in self.default_graphs] + [
            ("named-graph-uri", g) for g in self.named_graphs
        ]

    def query(self, text: str, accept: Iterable[str]) -> Answer:
        """Send a query; return the answer when its media type is one of ``accept``."""
        accepted = tuple(accept)
        params = [("query", text), *self.dataset_params()]
        encoded = urllib.parse.urlencode(params)
        method = self.method
        if method == "auto":
            method = "get" if len(encoded) <= GET_LIMIT else "post"
        headers = {"Accept": ", ".join(accepted)}
        url = self.query_url
        if method == "get":
            request = self._http.build_request("GET", _with_query(url, encoded), headers=headers)
        elif method == "post":
            headers["Content-Type"] = "application/x-www-form-urlencoded"
            request = self._http.build_request("POST", url, content=encoded.encode("ascii"), headers=headers)
        else:  # direct: the dataset rides in the URL
            headers["Content-Type"] = "application/sparql-query"
            request = self._http.build_request(
                "POST",
                _with_query(url, urllib.parse.urlencode(self.dataset_params())),
                content=text.encode("utf-8"),
                headers=headers,
            )
        return self._send(request, accepted, what="query")

    def update(self, text: str) -> Answer:
        """Send an update by URL-encoded POST (direct POST when the method is ``direct``)."""
        if self.update_url is None:
            raise EngineError("this endpoint is read-only: pass an update endpoint URL to change it")
        if self.method == "direct":
            request = self._http.build_request(
                "POST",
                self.update_url,
                content=text.encode("utf-8"),
                headers={"Content-Type": "application/sparql-update", "Accept": "*/*"},
            )
        else:
            request = self._http.build_request(
                "POST",
                self.update_url,
                content=urllib.parse.urlencode({"update": text}).encode("ascii"),
                headers={"Content-Type": "application/x-www-form-urlencoded", "Accept": "*/*"},
            )
        return self._send(request, (), what="update")

    def close(self) -> None:
        """Close the pooled connections."""
        self._http.close()

    def __del__(self) -> None:
        # a store dropped without close() must not leave sockets for the garbage collector
        http = getattr(self, "_http", None)
        if http is not None:
            try:
                http.close()
            except Exception:  # at interpreter exit httpx may be half torn down
                pass

    # ------------------------------------------------------------ one request, one deadline

    def _send(self, request: httpx.Request, accepted: tuple[str, ...], *, what: str) -> Answer:
        # The request runs in a helper thread so that the deadline holds for the whole
        # exchange: httpx's timeouts bound each socket operation, and a server trickling a
        # byte a second would otherwise never time out.
        url = _display(str(request.url))
        outcome: dict[str, object] = {}
        response_box: list[httpx.Response] = []

        def run() -> None:
            try:
                outcome["answer"] = self._exchange(request, accepted, url, response_box)
            except BaseException as exc:  # handed to the caller's thread
                outcome["error"] = exc

        started = time.monotonic()
        worker = threading.Thread(target=run, name="kg-sparql-request", daemon=True)
        worker.start()
        worker.join(self.timeout)
        if worker.is_alive():
            for response in response_box:
                response.close()  # frees the connection; the worker ends on the closed stream
            hint = (
                "; some servers (Virtuoso 7) never answer the direct POST form: use the request method 'auto'"
                if request.headers.get("content-type", "").startswith("application/sparql-")
                else "; raise the timeout or ask less"
            )
            raise EngineError(
                f"the SPARQL endpoint {url} did not finish its answer within {self.timeout:g} s "
                f"(the total deadline of one {what}){hint}"
            )
        log.debug("%s %s: %.3f s", request.method, url, time.monotonic() - started)
        if "error" in outcome:
            raise outcome["error"]  # type: ignore[misc]
        answer = outcome["answer"]
        assert isinstance(answer, Answer)
        return answer

    def _exchange(
        self, request: httpx.Request, accepted: tuple[str, ...], url: str, response_box: list[httpx.Response]
    ) -> Answer:
        try:
            response = self._http.send(request, stream=True)
        except httpx.TooManyRedirects as exc:
            raise EngineError(
                f"the SPARQL endpoint {url} redirects in a loop (more than {_MAX_REDIRECTS} redirects); check the URL"
            ) from exc
        except httpx.TimeoutException as exc:
            raise EngineError(
                f"cannot reach the SPARQL endpoint {url}: timed out; check the URL and "
                f"that the server is running (timeout {self.timeout:g} s)"
            ) from exc
        except httpx.TransportError as exc:
            raise EngineError(
                f"cannot reach the SPARQL endpoint {url}: {_reason(exc)}; check the URL "
                f"and that the server is running (timeout {self.timeout:g} s)"
            ) from exc
        response_box.append(response)
        try:
            body = b"".join(response.iter_bytes())
        except httpx.DecodingError as exc:
            raise EngineError(
                f"the SPARQL endpoint {url} sent a body that does not decode "
                f"({response.headers.get('content-encoding', 'no encoding')}): {exc}"
            ) from exc
        except (httpx.TransportError, httpx.StreamError) as exc:
            raise EngineError(
                f"the SPARQL endpoint {url} cut its answer short (HTTP {response.status_code}, "
                f"{_described(response)}): {_reason(exc)}"
            ) from exc
        finally:
            response.close()
        final = _display(str(response.url))
        status = response.status_code
        media = response.headers.get("content-type", "").split(";")[0].strip().lower()
        if status >= 300:
            raise _status_error(final, response, body)
        if accepted and media not in accepted:
            raise EngineError(
                f"the SPARQL endpoint {final} answered {_described(response)}, not "
                f"{' or '.join(accepted)}{_glimpse(media, body)}; check that the URL is the SPARQL "
                "query endpoint (often ending /sparql or /query)"
            )
        return Answer(media, body)


def _split_dataset(url: str) -> tuple[str, dict[str, list[str]]]:
    parts = urllib.parse.urlsplit(url)
    found: dict[str, list[str]] = {name: [] for name in _DATASET}
    kept = []
    for name, value in urllib.parse.parse_qsl(parts.query, keep_blank_values=True):
        if name in found:
            found[name].append(value)
        else:
            kept.append((name, value))
    return urllib.parse.urlunsplit(parts._replace(query=urllib.parse.urlencode(kept))), found


def _check_url(url: str) -> None:
    parts = urllib.parse.urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise EngineError(f"endpoint URL {_display(url)!r} must start with http:// or https:// and name a host")
    if parts.username or parts.password:
        raise EngineError(
            f"endpoint URL {_display(url)!r} holds credentials: leave them out of the URL and set "
            f"{ENV_USER} and {ENV_PASSWORD} (or {ENV_TOKEN}, or a netrc file) instead"
        )


def _with_query(url: str, encoded: str) -> str:
    if not encoded:
        return url
    return url + ("&" if urllib.parse.urlsplit(url).query else "?") + encoded


def _display(url: str) -> str:
    # The URL as messages show it: without the query string (a query can be kilobytes long).
    parts = urllib.parse.urlsplit(url)
    return urllib.parse.urlunsplit(parts._replace(query="", fragment=""))


def _reason(exc: Exception) -> str:
    text = str(exc) or type(exc).__name__
    return "connection refused" if "Connection refused" in text else text


def _described(response: httpx.Response) -> str:
    media = response.headers.get("content-type", "").split(";")[0].strip() or "no content type"
    return "an HTML page (text/html)" if media == "text/html" else media


def _glimpse(media: str, body: bytes) -> str:
    if not body:
        return ": an empty body"
    text = body[:4000].decode("utf-8", "replace")
    if "html" in media or text.lstrip().lower().startswith(("<!doctype", "<html")):
        title = re.search(r"<title[^>]*>(.*?)</title>", text, re.IGNORECASE | re.DOTALL)
        if title and title.group(1).strip():
            return f" titled {' '.join(title.group(1).split())[:120]!r}"
        text = re.sub(r"<[^>]*>", " ", text)
    words = " ".join(text.split())
    return f": {words[:200]!r}" if words else ": an empty body"


def _status_error(url: str, response: httpx.Response, body: bytes) -> Exception:
    status = f"HTTP {response.status_code} {response.reason_phrase}".rstrip()
    media = response.headers.get("content-type", "").split(";")[0].strip().lower()
    detail = _glimpse(media, body)
    if response.status_code == 400:
        return QueryError(f"the endpoint {url} refused the request ({status}){detail}")
    if response.status_code == 401:
        return EngineError(
            f"the SPARQL endpoint {url} answered {status}: it needs credentials; set {ENV_USER} and "
            f"{ENV_PASSWORD} (or {ENV_TOKEN}, or a 'machine' line in the netrc file $NETRC or ~/.netrc)"
        )
    if response.status_code == 403:
        return EngineError(
            f"the SPARQL endpoint {url} answered {status}: these credentials may not "
            f"do this (a read-only account sending an update?){detail}"
        )
    if 300 <= response.status_code < 400:
        return EngineError(f"the SPARQL endpoint {url} answered {status} with no usable Location; check the URL")
    return EngineError(f"the SPARQL endpoint {url} answered {status}{detail}")
