"""The SPARQL 1.1 Protocol client against a real HTTP server on 127.0.0.1.

A small ``http.server`` in a thread plays a well-behaved endpoint (it records each request) and
every kind of bad one: HTML, an error page, a truncated body, a wrong content type, 401, 403,
500, a redirect loop, a slow trickle. Each bad answer must give a message naming the URL and
what came back, and exit code 2 from the CLI, within the total deadline.
"""

import gzip
import json
import threading
import time
import urllib.parse
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import ClassVar

import pytest

from kg._endpoint import GET_LIMIT
from kg._errors import EngineError, QueryError
from kg._store import EndpointStore
from kg.cli import main

RESULTS = json.dumps(
    {
        "head": {"vars": ["n"]},
        "results": {
            "bindings": [
                {"n": {"type": "literal", "datatype": "http://www.w3.org/2001/XMLSchema#integer", "value": "7"}}
            ]
        },
    }
).encode()
HTML = b"<!DOCTYPE html><html><head><title>Sign in - Example Corp</title></head><body>Please sign in</body></html>"


# What the test server answers at each path: status, content type, body, extra headers.
CANNED: dict[str, tuple[int, str, bytes, dict[str, str]]] = {
    "/sparql": (200, "application/sparql-results+json; charset=utf-8", RESULTS, {}),
    "/gzip": (200, "application/sparql-results+json", gzip.compress(RESULTS), {"Content_Encoding": "gzip"}),
    "/html": (200, "text/html; charset=utf-8", HTML, {}),
    "/error": (500, "text/html", b"<html><title>500 Internal Server Error</title><p>Virtuoso S1T00</p></html>", {}),
    "/wrongtype": (200, "text/csv", b"n\n7\n", {}),
    "/badjson": (200, "application/sparql-results+json", b'{"head": {"vars": ["n"]}, "results": ', {}),
    "/truncated": (200, "application/sparql-results+json", RESULTS[:40], {"Content_Length": str(len(RESULTS))}),
    "/refuse": (400, "text/plain", b"SP030: syntax error at line 1", {}),
    "/401": (401, "text/plain", b"go away", {"WWW_Authenticate": 'Basic realm="sparql"'}),
    "/403": (403, "text/plain", b"go away", {"WWW_Authenticate": 'Basic realm="sparql"'}),
    "/loop": (302, "text/plain", b"", {"Location": "/loop"}),
}


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"  # keep-alive, so that connection reuse can be seen
    seen: ClassVar[list[dict]] = []

    def log_message(self, *args):
        pass

    def do_GET(self):
        self.handle_any(b"")

    def do_POST(self):
        self.handle_any(self.rfile.read(int(self.headers.get("Content-Length", 0))))

    def send(self, status, content_type, body, **headers):
        self.send_response(status)
        if content_type:
            self.send_header("Content-Type", content_type)
        for name, value in headers.items():
            self.send_header(name.replace("_", "-"), value)
        if "Content_Length" not in headers:
            self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def handle_any(self, body):
        path, _, query = self.path.partition("?")
        Handler.seen.append(
            {
                "method": self.command,
                "path": path,
                "query": urllib.parse.parse_qsl(query),
                "body": body,
                "headers": dict(self.headers),
                "port": self.client_address[1],
            }
        )
        canned = CANNED.get(path)
        if canned is not None:
            status, content_type, answer, headers = canned
            self.send(status, content_type, answer, **headers)
            self.close_connection = path == "/truncated"
        elif path == "/trickle":
            self.trickle()
        else:
            self.send(404, "text/plain", b"no such endpoint")

    def trickle(self):
        self.send_response(200)
        self.send_header("Content-Type", "application/sparql-results+json")
        self.send_header("Content-Length", str(len(RESULTS)))
        self.end_headers()
        try:
            for byte in RESULTS:
                self.wfile.write(bytes([byte]))
                self.wfile.flush()
                time.sleep(0.2)
        except OSError:  # the client gave up: that is the point
            pass
        self.close_connection = True


@pytest.fixture(scope="module")
def server():
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    httpd.daemon_threads = True
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{httpd.server_address[1]}"
    finally:
        httpd.shutdown()
        httpd.server_close()
        thread.join(10)


@pytest.fixture
def seen():
    Handler.seen.clear()
    return Handler.seen


@pytest.fixture(autouse=True)
def no_credentials(monkeypatch, tmp_path):
    for name in ("KG_ENDPOINT_USER", "KG_ENDPOINT_PASSWORD", "KG_ENDPOINT_TOKEN"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("NETRC", str(tmp_path / "no-netrc"))


COUNT = "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }"


# ---------------------------------------------------------------- the protocol


def test_a_short_query_goes_by_get_with_the_dataset(server, seen):
    with EndpointStore(
        f"{server}/sparql?default-graph-uri=urn:a", default_graphs=["urn:b"], named_graphs=["urn:c"]
    ) as store:
        assert int(store.query(COUNT).rows[0][0]) == 7
    request = seen[-1]
    assert request["method"] == "GET"
    params = request["query"]
    assert ("default-graph-uri", "urn:a") in params and ("default-graph-uri", "urn:b") in params
    assert ("named-graph-uri", "urn:c") in params
    assert dict(params)["query"].endswith(COUNT)
    headers = {k.lower(): v for k, v in request["headers"].items()}
    assert headers["user-agent"].startswith(f"dipkg/{_version()} ")
    assert "gzip" in headers["accept-encoding"]
    assert headers["accept"].startswith("application/sparql-results+json")
    assert "authorization" not in headers


def test_a_long_query_goes_by_url_encoded_post(server, seen):
    long = COUNT.replace("WHERE", "# " + "x" * GET_LIMIT + "\nWHERE")
    with EndpointStore(f"{server}/sparql", default_graphs=["urn:b"]) as store:
        store.query(long)
    request = seen[-1]
    assert request["method"] == "POST" and request["query"] == []
    assert request["headers"]["Content-Type"] == "application/x-www-form-urlencoded"
    form = urllib.parse.parse_qsl(request["body"].decode())
    assert ("default-graph-uri", "urn:b") in form and dict(form)["query"].endswith(long)


def test_direct_post_only_when_asked(server, seen):
    with EndpointStore(f"{server}/sparql", default_graphs=["urn:b"], method="direct") as store:
        store.query(COUNT)
    request = seen[-1]
    assert request["method"] == "POST"
    assert request["headers"]["Content-Type"] == "application/sparql-query"
    assert request["body"].decode().endswith(COUNT)
    assert request["query"] == [("default-graph-uri", "urn:b")]


def test_one_connection_for_many_queries(server, seen):
    with EndpointStore(f"{server}/sparql") as store:
        for _ in range(10):
            store.query(COUNT)
    assert len(seen) == 10
    assert len({r["port"] for r in seen}) == 1  # the same client socket every time


def test_gzip_answers_are_read(server, seen):
    with EndpointStore(f"{server}/gzip") as store:
        assert int(store.query(COUNT).rows[0][0]) == 7


def test_credentials_from_the_environment_and_netrc(server, seen, monkeypatch, tmp_path):
    monkeypatch.setenv("KG_ENDPOINT_TOKEN", "s3cret-token")
    with EndpointStore(f"{server}/sparql") as store:
        store.query(COUNT)
    assert seen[-1]["headers"]["Authorization"] == "Bearer s3cret-token"
    monkeypatch.delenv("KG_ENDPOINT_TOKEN")
    netrc = tmp_path / "netrc"
    netrc.write_text("machine 127.0.0.1 login ana password pw\n", encoding="utf-8")
    netrc.chmod(0o600)
    monkeypatch.setenv("NETRC", str(netrc))
    with EndpointStore(f"{server}/sparql") as store:
        store.query(COUNT)
    assert seen[-1]["headers"]["Authorization"] == "Basic YW5hOnB3"  # ana:pw


def test_credentials_are_refused_in_the_url(server):
    with pytest.raises(EngineError, match="holds credentials: leave them out"):
        EndpointStore(server.replace("http://", "http://ana:pw@") + "/sparql")


def test_the_cli_takes_graphs_and_the_request_form(server, seen, capsys):
    assert (
        main(
            [
                "--endpoint",
                f"{server}/sparql",
                "--graph",
                "urn:g1",
                "--graph",
                "urn:g2",
                "--named-graph",
                "urn:n",
                "--request",
                "post",
                "query",
                COUNT,
            ]
        )
        == 0
    )
    form = urllib.parse.parse_qsl(seen[-1]["body"].decode())
    assert [v for k, v in form if k == "default-graph-uri"] == ["urn:g1", "urn:g2"]
    assert [v for k, v in form if k == "named-graph-uri"] == ["urn:n"]
    assert "7" in capsys.readouterr().out


# ---------------------------------------------------------------- bad servers

BAD = {
    "/html": r"answered an HTML page \(text/html\), not application/sparql-results\+json.*'Sign in - Example Corp'",
    "/error": r"answered HTTP 500 Internal Server Error titled '500 Internal Server Error'",
    "/wrongtype": r"answered text/csv, not application/sparql-results\+json",
    "/badjson": r"sent application/sparql-results\+json that is not SPARQL JSON results",
    "/truncated": r"cut its answer short",
    "/401": r"answered HTTP 401 Unauthorized: it needs credentials; set KG_ENDPOINT_USER",
    "/403": r"answered HTTP 403 Forbidden: these credentials may not",
    "/loop": r"redirects in a loop",
    "/nowhere": r"answered HTTP 404 Not Found: 'no such endpoint'",
}


@pytest.mark.parametrize("path", sorted(BAD))
def test_a_bad_server_gets_a_clear_message(server, path, capsys):
    url = f"{server}{path}"
    with EndpointStore(url, timeout=5) as store, pytest.raises(EngineError, match=BAD[path]) as caught:
        store.query(COUNT)
    assert url in str(caught.value)
    assert main(["--endpoint", url, "--timeout", "5", "info"]) == 2
    err = capsys.readouterr().err
    assert err.startswith("kg: error: ") and url in err and "Traceback" not in err


def test_a_trickling_server_meets_the_total_deadline(server, capsys):
    url = f"{server}/trickle"
    started = time.monotonic()
    with (
        EndpointStore(url, timeout=1.5) as store,
        pytest.raises(EngineError, match=r"/trickle did not finish its answer within 1.5 s"),
    ):
        store.query(COUNT)
    # the body takes some 30 s to trickle; a socket timeout alone would never fire
    assert time.monotonic() - started < 10
    assert main(["--endpoint", url, "--timeout", "1", "info"]) == 2
    assert "did not finish its answer within 1 s" in capsys.readouterr().err


def test_a_query_the_server_refuses_is_a_query_error(server, capsys):
    url = f"{server}/refuse"
    with (
        EndpointStore(url) as store,
        pytest.raises(
            QueryError,
            match=r"/refuse refused the request "
            r"\(HTTP 400 Bad Request\): 'SP030: syntax error",
        ),
    ):
        store.query(COUNT)
    assert main(["--endpoint", url, "info"]) == 2


def _version():
    from importlib import metadata

    try:
        return metadata.version("dipkg")
    except metadata.PackageNotFoundError:
        return "unknown"


# ---------------------------------------------------------------- the same dataset on local Oxigraph


def test_graph_chooses_the_dataset_on_a_store_and_a_server_alike(tmp_path, capsys):
    """A store whose data lives in a named graph: --graph reads it on Oxigraph on disk and through
    a real `oxigraph serve`, the same way; without it a local store's queries see the union of all
    its graphs (kg._graphs), the default graph included."""
    import kg
    from tests.conftest import oxigraph_server

    graph = kg.load().to_graph()

    def build(name):
        # a store opened once per folder: a store object (and its lock) may outlive its use in caches
        store = kg.OxigraphStore(tmp_path / name)
        store.ox.extend(
            kg._store.ox.Quad(
                kg._store.to_oxigraph(s),
                kg._store.to_oxigraph(p),
                kg._store.to_oxigraph(o),
                kg._store.ox.NamedNode("urn:team:graph"),
            )
            for s, p, o in graph
        )
        store.update("INSERT DATA { id:stray a dip:State ; rdfs:label 'Stray'@en }")  # the default graph
        store.close()
        return tmp_path / name

    default = kg.OxigraphStore(build("default"))
    states = "SELECT ?s WHERE { ?s a dip:State }"
    everything = {str(r[0]) for r in kg.query(default, states)}  # the union: the default graph and the team's
    assert str(kg.ID.stray) in everything and len(everything) > 1
    chosen = kg.OxigraphStore(build("chosen"), default_graphs=["urn:team:graph"])
    assert len(chosen) == len(graph)
    assert str(kg.ID.stray) not in {str(r[0]) for r in kg.query(chosen, states)}
    summary = kg.summarize(chosen).as_dict()
    assert summary["triples"] == len(graph) and sum(summary["actors_by_kind"].values()) == 21
    local_rows = kg.query(chosen, "timeline", params={"actor": "Fidan"}, as_of="2023-10-19").rows
    assert len(local_rows) == 4
    assert main(["--store", str(build("cli")), "--graph", "urn:team:graph", "info"]) == 0
    assert "actors           21" in capsys.readouterr().out
    assert main(["--graph", "urn:team:graph", "info"]) == 2
    assert "choose graphs of a store (--store) or an endpoint" in capsys.readouterr().err
    with (
        oxigraph_server(build("served")) as base,
        EndpointStore(f"{base}/query", default_graphs=["urn:team:graph"]) as served,
    ):
        assert kg.query(served, "timeline", params={"actor": "Fidan"}, as_of="2023-10-19").rows == local_rows
        assert kg.summarize(served).as_dict() == summary
