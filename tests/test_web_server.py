"""``kg serve`` over real HTTP on 127.0.0.1: the SPARQL protocol, read-only, bounds, the map and its evidence."""

from __future__ import annotations

import contextlib
import csv
import io
import json
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
import xml.etree.ElementTree as ET
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

import kg
from kg._store import OxigraphStore, parse_results_json
from tests.conftest import ROOT, _free_port

pytest.importorskip("starlette")
pytest.importorskip("uvicorn")

STATES = "SELECT ?label WHERE { ?a a dip:State ; rdfs:label ?label } ORDER BY ?label"
SLOW = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i . ?j ?k ?l }"


@contextlib.contextmanager
def kg_serve(*options: str, timeout: float = 2.0) -> Iterator[tuple[str, subprocess.Popen[bytes]]]:
    """Start ``python -m kg serve`` on a free port; yield its URL and process; stop it by its pid."""
    port = _free_port()
    process = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "kg",
            *options,
            "serve",
            "--port",
            str(port),
            "--query-timeout",
            str(timeout),
            "--max-body",
            "4096",
            "--max-rows",
            "500",
        ],
        cwd=ROOT,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        start_new_session=True,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 90
        while True:
            if process.poll() is not None:
                raise RuntimeError(f"kg serve exited: {process.stderr.read().decode()[:800]}")  # type: ignore[union-attr]
            try:
                with urllib.request.urlopen(f"{base}/api/queries", timeout=2):
                    break
            except OSError:
                if time.monotonic() > deadline:
                    raise RuntimeError("kg serve did not answer within 90 s") from None
                time.sleep(0.2)
        yield base, process
    finally:
        process.terminate()
        try:
            process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
        # what the server said on standard error, kept for the test once the pipes are closed
        process.said = (
            process.stderr.read().decode(errors="replace")  # type: ignore[attr-defined]
            if process.stderr is not None and not process.stderr.closed
            else ""
        )
        for stream in (process.stdout, process.stderr):
            if stream is not None:
                stream.close()


@pytest.fixture(scope="module")
def server() -> Iterator[tuple[str, subprocess.Popen[bytes]]]:
    with kg_serve() as running:
        yield running
        log = running[1]
    errors = log.said  # type: ignore[attr-defined]
    assert "Traceback" not in errors, errors  # no traceback in the log, whatever the tests sent


def get(
    url: str, *, accept: str | None = None, data: bytes | None = None, content_type: str | None = None
) -> tuple[int, str, bytes]:
    headers = {}
    if accept:
        headers["Accept"] = accept
    if content_type:
        headers["Content-Type"] = content_type
    request = urllib.request.Request(url, data=data, headers=headers, method="POST" if data is not None else "GET")
    try:
        with urllib.request.urlopen(request, timeout=60) as response:
            return response.status, response.headers.get("Content-Type", ""), response.read()
    except urllib.error.HTTPError as exc:
        return exc.code, exc.headers.get("Content-Type", ""), exc.read()


def sparql_get(base: str, text: str, **kw: Any) -> tuple[int, str, bytes]:
    return get(f"{base}/sparql?" + urllib.parse.urlencode({"query": text}), **kw)


def test_protocol_formats_agree_with_the_library(server: Any, default_store: kg.MemoryStore) -> None:
    base, _ = server
    expected = [str(r["label"]) for r in kg.query(default_store, STATES)]
    assert expected

    status, media, body = sparql_get(base, STATES)  # GET, JSON by default
    assert status == 200 and media.startswith("application/sparql-results+json")
    assert [str(r["label"]) for r in parse_results_json("SELECT", json.loads(body))] == expected

    form = urllib.parse.urlencode({"query": STATES}).encode()
    status, media, body = get(
        f"{base}/sparql", data=form, content_type="application/x-www-form-urlencoded", accept="text/csv"
    )
    assert status == 200 and media.startswith("text/csv")
    assert [row["label"] for row in csv.DictReader(io.StringIO(body.decode()))] == expected

    status, media, body = get(
        f"{base}/sparql",
        data=STATES.encode(),
        content_type="application/sparql-query",
        accept="text/tab-separated-values",
    )
    assert status == 200 and media.startswith("text/tab-separated-values")
    lines = body.decode().splitlines()
    assert lines[0] == "?label" and [line.split("@")[0].strip('"') for line in lines[1:]] == expected

    status, media, body = sparql_get(base, STATES, accept="application/sparql-results+xml")
    assert status == 200 and "xml" in media
    ns = {"r": "http://www.w3.org/2005/sparql-results#"}
    assert [e.text for e in ET.fromstring(body).findall(".//r:literal", ns)] == expected

    status, media, body = sparql_get(base, "ASK { ?a dip:recallsDiplomatsFrom ?b }")
    assert json.loads(body) == {"head": {}, "boolean": True}
    status, media, body = sparql_get(
        base,
        "CONSTRUCT { ?a dip:recallsDiplomatsFrom ?b } WHERE { ?a dip:recallsDiplomatsFrom ?b }",
        accept="application/n-triples",
    )
    assert status == 200 and body.decode().count("recallsDiplomatsFrom") == 1


def test_rdflib_sparqlstore_queries_it(server: Any, default_store: kg.MemoryStore) -> None:
    from rdflib import Graph
    from rdflib.plugins.stores.sparqlstore import SPARQLStore

    base, _ = server
    remote = Graph(store=SPARQLStore(f"{base}/sparql"))
    text = "PREFIX dip: <https://w3id.org/dipkg/ns#> PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#> " + STATES
    assert [str(r[0]) for r in remote.query(text)] == [str(r["label"]) for r in kg.query(default_store, STATES)]
    remote.close()


def _triples(base: str) -> int:
    _, _, body = sparql_get(base, "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }")
    return int(json.loads(body)["results"]["bindings"][0]["n"]["value"])


def test_updates_and_service_are_refused_and_change_nothing(server: Any) -> None:
    base, _ = server
    before = _triples(base)
    insert = 'INSERT DATA { id:x rdfs:label "planted" }'
    assert get(f"{base}/sparql", data=insert.encode(), content_type="application/sparql-update")[0] == 403
    form = urllib.parse.urlencode({"update": insert}).encode()
    assert get(f"{base}/sparql", data=form, content_type="application/x-www-form-urlencoded")[0] == 403
    status, _, body = sparql_get(base, insert)  # an update sent as a query
    assert status == 403 and b"read-only" in body
    status, _, body = sparql_get(base, "SELECT * WHERE { SERVICE <http://example.org/sparql> { ?s ?p ?o } }")
    assert status == 403 and b"SERVICE" in body
    assert _triples(base) == before
    assert json.loads(sparql_get(base, 'ASK { ?s rdfs:label "planted" }')[2])["boolean"] is False


def test_bad_input_answers(server: Any) -> None:
    base, _ = server
    status, _, body = sparql_get(base, "SELECT ?x WHERE {\n  ?x a dip:State \n  FILTER(\n}", accept="application/json")
    error = json.loads(body)
    assert status == 400 and error["line"] == 4 and error["column"] >= 1 and "line 4" in error["error"]
    status, _, body = get(f"{base}/api/named/condemnation")
    assert status == 404 and "condemnations" in json.loads(body)["suggestions"]
    status, _, body = get(f"{base}/api/named/condemnations?actor=Turky")
    assert status == 404 and json.loads(body)["suggestions"] == ["Turkey"]
    status, _, body = get(f"{base}/api/named/condemnations?actr=Turkey")
    assert status == 404 and json.loads(body)["suggestions"] == ["actor"]
    big = ("SELECT * WHERE { ?s ?p ?o } # " + "x" * 5000).encode()
    assert get(f"{base}/sparql", data=big, content_type="application/sparql-query")[0] == 413
    status, _, body = sparql_get(base, "SELECT * WHERE { ?s ?p ?o }")  # more rows than the cap of 500
    assert status == 400 and b"LIMIT" in body
    assert sparql_get(base, "SELECT * WHERE { ?s ?p ?o } LIMIT 10")[0] == 200
    assert get(f"{base}/sparql")[0] == 400


def test_slow_query_is_cut_by_the_timeout_and_the_server_goes_on(server: Any) -> None:
    base, _ = server
    started = time.monotonic()
    status, _, body = sparql_get(base, SLOW)
    took = time.monotonic() - started
    assert status == 503 and b"timeout" in body
    assert took < 30  # the timeout is 2 s; stopping the worker takes a moment more
    assert sparql_get(base, "ASK { }")[0] == 200  # the other worker answers; the stopped one is replaced


def test_eight_clients_at_once(server: Any, default_store: kg.MemoryStore) -> None:
    base, _ = server
    expected = [str(r["label"]) for r in kg.query(default_store, STATES)]
    answers: list[Any] = []

    def client() -> None:
        status, _, body = get(f"{base}/api/named/reductions?format=json")
        named = (status, len(json.loads(body)["results"]["bindings"]))
        status, _, body = sparql_get(base, STATES)
        answers.append((named, (status, [b["label"]["value"] for b in json.loads(body)["results"]["bindings"]])))

    threads = [threading.Thread(target=client) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(120)
    assert len(answers) == 8
    assert all(named[0] == 200 and states[0] == 200 for named, states in answers)
    assert all(states[1] == expected for _, states in answers)
    assert len({named[1] for named, _ in answers}) == 1 and answers[0][0][1] > 0


def test_map_query_page_and_evidence(server: Any, default_store: kg.MemoryStore) -> None:
    base, _ = server
    status, media, body = get(f"{base}/")
    page = body.decode()
    assert status == 200 and media.startswith("text/html") and '"live":true' in page and "Turkey" in page
    status, media, body = get(f"{base}/query")
    assert status == 200 and "SPARQL" in body.decode()
    status, _, body = get(f"{base}/api/queries")
    assert {q["name"] for q in json.loads(body)} == {q.name for q in kg.list_queries()}
    quote = next(
        d["quote"]
        for _, _, d in kg.project(default_store).edges(data=True)
        if d["relation_label"] == "recalls diplomats from"
    )
    status, _, body = get(f"{base}/api/evidence?" + urllib.parse.urlencode({"a": "Turkey", "b": "Israel"}))
    assert status == 200 and quote in [e["quote"] for e in json.loads(body)]
    assert get(f"{base}/api/evidence?a=Turkey&b=Narnia")[0] == 404


def test_store_folder_is_read_per_request_so_writers_get_their_turn(tmp_path: Path) -> None:
    folder = tmp_path / "store"
    subprocess.run(
        [sys.executable, "-m", "kg", "load", "--store", str(folder)], cwd=ROOT, check=True, capture_output=True
    )
    with kg_serve("--no-default", "--store", str(folder)) as (base, process):
        before = _triples(base)
        started = time.monotonic()
        writer = OxigraphStore(folder)  # a writer opens the folder while the server runs
        writer.update(
            'INSERT DATA { <https://w3id.org/dipkg/id/new> <http://www.w3.org/2000/01/rdf-schema#label> "new actor" }'
        )
        writer.close()
        del writer
        assert time.monotonic() - started < 5
        assert _triples(base) == before + 1  # the next request sees what was written
        assert sparql_get(base, "INSERT DATA { id:a id:b id:c }")[0] == 403
        assert _triples(base) == before + 1
    assert "Traceback" not in process.said  # type: ignore[attr-defined]


def test_query_page_in_the_browser(server: Any) -> None:
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support.ui import Select, WebDriverWait

    from tests.browser import chromium, console_errors

    base, _ = server
    with chromium(offline=False) as driver:  # the page talks to the server on 127.0.0.1
        driver.get(f"{base}/query")
        wait = WebDriverWait(driver, 30)
        wait.until(lambda d: len(d.find_elements(By.CSS_SELECTOR, "#named option")) > 1)
        Select(driver.find_element(By.ID, "named")).select_by_value("reductions")
        assert "reductions" in driver.find_element(By.ID, "editor").get_attribute("value")
        assert "format=csv" in driver.find_element(By.ID, "csv").get_attribute("href")
        driver.find_element(By.ID, "run").click()
        wait.until(lambda d: "rows in" in d.find_element(By.ID, "status").text)
        rows = driver.find_elements(By.CSS_SELECTOR, "#results tbody tr")
        assert rows and "Turkey" in driver.find_element(By.ID, "results").text
        # a query of one's own with a syntax error: the message gives the line, the cursor goes there
        Select(driver.find_element(By.ID, "named")).select_by_value("")
        editor = driver.find_element(By.ID, "editor")
        editor.clear()
        editor.send_keys("SELECT ?x WHERE {\n  ?x a dip:State .\n  FILTER(\n}")
        driver.find_element(By.ID, "run").click()
        wait.until(lambda d: d.find_element(By.ID, "error").text)
        assert "line 4" in driver.find_element(By.ID, "error").text
        assert "HTTP 400" in driver.find_element(By.ID, "status").text
        assert driver.execute_script("return document.getElementById('editor').selectionStart") > 0
        assert not [e for e in console_errors(driver) if "favicon" not in e and "400" not in e]


def test_ctrl_c_stops_the_server_with_exit_130() -> None:
    import os
    import signal

    with kg_serve() as (base, process):
        assert sparql_get(base, "ASK { }")[0] == 200
        os.killpg(process.pid, signal.SIGINT)  # as Ctrl-C in a terminal: the server and its workers
        out, err = process.communicate(timeout=30)
    assert process.returncode == 130
    assert "kg: interrupted" in err.decode() and "Traceback" not in err.decode()
    assert "serving on http://127.0.0.1:" in out.decode()
