"""The network index (kg._netindex): the same graph as the SPARQL projection, never stale, never torn.

Every comparison runs :func:`kg._network.project` twice on one read-only Oxigraph store: once from
the index, once by SPARQL (``KG_NETINDEX=0``), and compares nodes, edges (with keys) and every
attribute.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import io
import json
import logging
import os
import random
import shutil
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import matplotlib.pyplot as plt
import networkx as nx
import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from benchmarks.synth import write_ntriples
from kg._analysis import MEASURES, balance, centrality, dyad, paths
from kg._analysis.base import network
from kg._bulkload import build_store
from kg._drawing import draw
from kg._errors import InputError
from kg._ingestion import ingest
from kg._loading import data_files
from kg._locking import read_stamp
from kg._netindex import INDEX_NAME, INDEX_VERSION, index_for
from kg._network import PairNetwork, ProjectionOptions, project, relation_types
from kg._store import OxigraphStore

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = ROOT / "tests" / "fixtures" / "ingest"
DIP = "https://w3id.org/dipkg/ns#"


@contextlib.contextmanager
def sparql_only() -> Iterator[None]:
    old = os.environ.get("KG_NETINDEX")
    os.environ["KG_NETINDEX"] = "0"
    try:
        yield
    finally:
        if old is None:
            del os.environ["KG_NETINDEX"]
        else:
            os.environ["KG_NETINDEX"] = old


def picture(graph: nx.MultiDiGraph[str]) -> tuple[dict[str, Any], dict[tuple[str, str, str], Any], dict[str, Any]]:
    return (
        dict(graph.nodes(data=True)),
        {(a, b, k): d for a, b, k, d in graph.edges(keys=True, data=True)},
        dict(graph.graph),
    )


def both(store: OxigraphStore, **options: Any) -> tuple[Any, Any]:
    indexed = picture(project(store, **options))
    with sparql_only():
        plain = picture(project(store, **options))
    return indexed, plain


def assert_same(store: OxigraphStore, **options: Any) -> int:
    indexed, plain = both(store, **options)
    assert indexed[0] == plain[0]
    assert indexed[1].keys() == plain[1].keys()
    for key, data in plain[1].items():
        assert indexed[1][key] == data, key
    assert indexed[2] == plain[2]
    return len(plain[1])


def header(folder: Path) -> dict[str, Any]:
    with np.load(folder / INDEX_NAME, allow_pickle=False) as arrays:
        return dict(json.loads(str(arrays["header"])))


def occurrences(path: Path, n_events: int, seed: int) -> None:
    """Append ``dip:occurrence`` to some synthetic events: several reports of one occurrence."""
    rng = random.Random(seed)
    with path.open("a", encoding="utf-8") as out:
        for i in rng.sample(range(n_events), n_events // 4):
            out.write(f"<https://w3id.org/dipkg/id/synth/event/{i:07d}> <{DIP}occurrence> <urn:x:occ:{i % 17}> .\n")


@pytest.fixture(scope="module")
def synthetic(tmp_path_factory: pytest.TempPathFactory) -> Iterator[OxigraphStore]:
    """The seed report (standing relations, claims, open starts) with 400 synthetic events."""
    folder = tmp_path_factory.mktemp("netindex")
    data = folder / "events.nt"
    write_ntriples(data, 400, seed=3)
    occurrences(data, 400, seed=3)
    build_store(folder / "store", [data], validate=False)
    assert (folder / "store" / INDEX_NAME).is_file()  # written by the load
    with OxigraphStore(folder / "store", read_only=True) as store:
        yield store


DAYS = st.one_of(st.none(), st.dates(min_value=dt.date(2019, 6, 1), max_value=dt.date(2024, 6, 1)).map(str))


def test_load_writes_a_fresh_index(synthetic: OxigraphStore) -> None:
    assert synthetic.path is not None
    found = header(synthetic.path)
    stamp = read_stamp(synthetic.path)
    assert stamp is not None
    assert found["generation"] == stamp.generation and found["version"] == INDEX_VERSION
    assert found["store"] == (synthetic.path / "IDENTITY").read_text().strip()
    assert index_for(synthetic) is not None


def test_the_default_view_is_the_same_graph(synthetic: OxigraphStore) -> None:
    assert assert_same(synthetic) > 300


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    as_of=DAYS,
    since=DAYS,
    until=DAYS,
    relations=st.one_of(st.none(), st.lists(st.integers(0, 60), min_size=1, max_size=4)),
    signs=st.one_of(st.none(), st.lists(st.sampled_from(["+", "-", "0"]), min_size=1, max_size=2)),
    claims=st.booleans(),
    fold=st.booleans(),
    structural=st.booleans(),
    each_report=st.booleans(),
    from_evidence=st.booleans(),
)
def test_random_cuts_and_filters_give_the_same_graph(
    synthetic: OxigraphStore,
    as_of: str | None,
    since: str | None,
    until: str | None,
    relations: list[int] | None,
    signs: list[str] | None,
    claims: bool,
    fold: bool,
    structural: bool,
    each_report: bool,
    from_evidence: bool,
) -> None:
    if since and until and since > until:
        since, until = until, since
    names = sorted(relation_types(synthetic))
    assert_same(
        synthetic,
        as_of=as_of,
        since=since,
        until=until,
        relations=None if relations is None else [names[i % len(names)] for i in relations],
        signs=signs,
        claims=claims,
        fold=fold,
        structural=structural,
        each_report=each_report,
        from_evidence=from_evidence,
    )


def answers(store: OxigraphStore, a: str, b: str, directed: bool, max_hops: int, options: dict[str, Any]) -> Any:
    """The tables of the analyses that read pairs: paths, every centrality, the dyad, balance."""
    found = paths(store, a, b, max_hops=max_hops, directed=directed, limit=15, evidence=3, **options)
    ranked = [centrality(store, measure=m, **options).rows for m in MEASURES]
    signed = balance(store, **options).as_dict()
    return found.table().title, found.table().rows, ranked, dyad(store, a, b, **options).rows, signed


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    ends=st.tuples(st.integers(0, 10_000), st.integers(0, 10_000)),
    as_of=DAYS,
    since=DAYS,
    claims=st.booleans(),
    fold=st.booleans(),
    directed=st.booleans(),
    max_hops=st.integers(1, 3),
)
def test_analyses_from_the_index_give_the_same_answers(
    synthetic: OxigraphStore,
    ends: tuple[int, int],
    as_of: str | None,
    since: str | None,
    claims: bool,
    fold: bool,
    directed: bool,
    max_hops: int,
) -> None:
    # Paths, centrality and dyads read a store with an index as arrays (kg._network.PairNetwork),
    # evidence fetched per hop; by SPARQL they read the whole projected graph.
    with sparql_only():
        nodes = sorted(project(synthetic, fold=False))
    a, b = nodes[ends[0] % len(nodes)], nodes[ends[1] % len(nodes)]
    if a == b:
        return
    options: dict[str, Any] = {"as_of": as_of, "since": since, "claims": claims, "fold": fold}
    if since and as_of and since > as_of:
        options["since"], options["until"] = as_of, since
        del options["as_of"]
    assert network(synthetic, ProjectionOptions(**options)).pairs is not None  # the arrays are read
    try:
        indexed = answers(synthetic, a, b, directed, max_hops, options)
    except InputError as exc:  # the same actor once folded: the same error by SPARQL
        with sparql_only(), pytest.raises(InputError, match="same actor"):
            answers(synthetic, a, b, directed, max_hops, options)
        assert "same actor" in str(exc)
        return
    with sparql_only():
        assert network(synthetic, ProjectionOptions(**options)).pairs is None
        plain = answers(synthetic, a, b, directed, max_hops, options)
    assert indexed == plain


@pytest.fixture(scope="module")
def seed(tmp_path_factory: pytest.TempPathFactory) -> Iterator[OxigraphStore]:
    """The default graph (the report: contested claims, folded officials, standing relations) in a store."""
    folder = tmp_path_factory.mktemp("netindex-seed") / "store"
    build_store(folder, data_files(), validate=False)
    with OxigraphStore(folder, read_only=True) as store:
        yield store


def png(figure: Any) -> bytes:
    buffer = io.BytesIO()
    figure.savefig(buffer, format="png", dpi=60, metadata={"Software": None})
    plt.close(figure)
    return buffer.getvalue()


@pytest.mark.parametrize(
    "view",
    [
        {"top": 8},
        {"top": 40, "measure": "pagerank"},
        {"top": 25, "claims": False, "since": "2020-01-01", "until": "2021-06-30"},
        {"view": "ego", "focus": "https://w3id.org/dipkg/id/synth/actor/0003", "hops": 1},
        {"view": "graph", "fold": False, "as_of": "2019-12-31"},
        {"seed": True},  # a detailed map: contested accounts with their claims, folded officials
        {"seed": True, "fold": False, "as_of": "2023-10-19"},
        {"seed": True, "view": "ego", "focus": "Turkey", "hops": 1, "claims": False},
    ],
)
def test_a_map_from_the_index_is_the_map_by_sparql(
    synthetic: OxigraphStore, seed: OxigraphStore, view: dict[str, Any]
) -> None:
    # The map of a store with an index chooses its actors on the pairs and reads its links, tally
    # and subtitle from the arrays (kg._drawing._links._among_pairs): the same picture, byte for byte.
    from kg._drawing._nodes import _projected_pairs

    store = seed if view.get("seed") else synthetic
    view = {k: v for k, v in view.items() if k != "seed"}
    chosen = ProjectionOptions(**{k: v for k, v in view.items() if k in ProjectionOptions.__dataclass_fields__})
    assert isinstance(_projected_pairs(store, chosen, None)[0], PairNetwork)
    indexed = png(draw(store, width=9, height=6, **view))
    with sparql_only():
        assert not isinstance(_projected_pairs(store, chosen, None)[0], PairNetwork)
        plain = png(draw(store, width=9, height=6, **view))
    assert indexed == plain


# ---------------------------------------------------------------- stale, foreign, damaged


@pytest.fixture
def small(tmp_path: Path) -> Path:
    """A store of the seed report, loaded with its index."""
    build_store(tmp_path / "store", validate=False)
    return tmp_path / "store"


NEW_EVENT = f"""
INSERT DATA {{
    <urn:x:event:new> a <{DIP}Event> ; <{DIP}eventType> <{DIP}condemns> ;
        <{DIP}actor> <urn:x:actor:a> ; <{DIP}target> <urn:x:actor:b> ;
        <{DIP}date> "2023-10-20"^^<http://www.w3.org/2001/XMLSchema#date> ;
        <{DIP}quote> "a new quote" .
}}
"""


def test_an_index_made_stale_by_a_write_is_rebuilt_not_used(small: Path, caplog: pytest.LogCaptureFixture) -> None:
    before = header(small)["generation"]
    with OxigraphStore(small) as writer:  # any writable open raises the generation
        writer.update(NEW_EVENT)
    with OxigraphStore(small, read_only=True) as store, caplog.at_level(logging.WARNING, "kg._netindex"):
        indexed, plain = both(store)
        assert indexed == plain
        assert any(key[2].startswith("urn:x:event:new|") for key in indexed[1])
    assert "stale" in caplog.text and "rebuilding" in caplog.text
    assert header(small)["generation"] == read_stamp(small).generation == before + 1  # type: ignore[union-attr]


def test_a_missing_index_is_rebuilt(small: Path, caplog: pytest.LogCaptureFixture) -> None:
    (small / INDEX_NAME).unlink()
    with OxigraphStore(small, read_only=True) as store, caplog.at_level(logging.WARNING, "kg._netindex"):
        assert_same(store)
    assert "missing" in caplog.text
    assert (small / INDEX_NAME).is_file()


def test_an_index_of_another_store_or_version_is_detected(tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    build_store(tmp_path / "a", validate=False)
    build_store(tmp_path / "b", validate=False)
    with OxigraphStore(tmp_path / "b") as writer:
        writer.update(NEW_EVENT)
    with OxigraphStore(tmp_path / "a") as writer:  # the same generation as b, other data
        pass
    shutil.copy(tmp_path / "a" / INDEX_NAME, tmp_path / "b" / INDEX_NAME)
    (tmp_path / "b" / INDEX_NAME).touch()
    with OxigraphStore(tmp_path / "b", read_only=True) as store, caplog.at_level(logging.WARNING, "kg._netindex"):
        indexed, plain = both(store)
        assert indexed == plain and any(key[2].startswith("urn:x:event:new|") for key in indexed[1])
    assert "another store" in caplog.text
    caplog.clear()
    file = tmp_path / "b" / INDEX_NAME
    with np.load(file, allow_pickle=False) as found:
        arrays = dict(found)
    arrays["header"] = np.array(json.dumps({**header(tmp_path / "b"), "version": INDEX_VERSION + 1}))
    with file.open("wb") as handle:
        np.savez(handle, **arrays)
    with OxigraphStore(tmp_path / "b", read_only=True) as store, caplog.at_level(logging.WARNING, "kg._netindex"):
        indexed, plain = both(store)
        assert indexed == plain
    assert "another format" in caplog.text
    assert header(tmp_path / "b")["version"] == INDEX_VERSION  # rebuilt and saved


def test_a_damaged_index_is_rebuilt(small: Path, caplog: pytest.LogCaptureFixture) -> None:
    (small / INDEX_NAME).write_bytes(b"PK\x03\x04 not a zip")
    with OxigraphStore(small, read_only=True) as store, caplog.at_level(logging.WARNING, "kg._netindex"):
        assert_same(store)
    assert "damaged" in caplog.text
    assert header(small)["generation"] == read_stamp(small).generation  # type: ignore[union-attr]  # rebuilt and saved


def test_a_writable_store_is_never_read_through_its_index(small: Path) -> None:
    # Writes through an open handle raise no generation until the next open: the index would lie.
    with OxigraphStore(small) as writer:
        assert index_for(writer) is None
        writer.update(NEW_EVENT)
        graph = project(writer, fold=False)
        assert any(key.startswith("urn:x:event:new|") for _, _, key in graph.edges(keys=True))


def test_an_index_that_cannot_be_saved_is_kept_in_memory(small: Path, caplog: pytest.LogCaptureFixture) -> None:
    (small / INDEX_NAME).unlink()
    (small / INDEX_NAME).mkdir()  # in the way of the rename (as root too, unlike a read-only folder)
    with OxigraphStore(small, read_only=True) as store, caplog.at_level(logging.WARNING, "kg._netindex"):
        assert index_for(store) is not None
        assert "kept in memory" in caplog.text
        caplog.clear()
        assert_same(store)
        assert "rebuilding" not in caplog.text  # built once per process and generation
    assert not [p for p in small.iterdir() if ".kg-tmp-" in p.name]  # no temporary file left


# ---------------------------------------------------------------- ingestion


def test_ingest_writes_and_renews_the_index(tmp_path: Path) -> None:
    folder = tmp_path / "store"
    ingest(FIXTURES / "sample.export.CSV", format="gdelt", store=folder)  # a new store
    assert header(folder)["generation"] == read_stamp(folder).generation  # type: ignore[union-attr]
    ingest(FIXTURES / "events.csv", store=folder)  # appended
    assert header(folder)["generation"] == read_stamp(folder).generation  # type: ignore[union-attr]
    with OxigraphStore(folder, read_only=True) as store:
        for each_report in (False, True):
            assert assert_same(store, each_report=each_report, fold=False) > 0


# ---------------------------------------------------------------- killed writers


def _kill_when(argv: list[str], ready: Any, limit: float = 120.0) -> int:
    """Run ``kg ARGV`` in a child process and SIGKILL it as soon as ``ready()``; return its status."""
    child = subprocess.Popen(
        [sys.executable, "-m", "kg", *argv],
        env={**os.environ, "PYTHONPATH": str(ROOT)},
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    deadline = time.monotonic() + limit
    while child.poll() is None and not ready() and time.monotonic() < deadline:
        time.sleep(0.001)
    child.send_signal(signal.SIGKILL)
    return child.wait()


def _consistent(folder: Path) -> None:
    with OxigraphStore(folder, read_only=True) as store:
        assert assert_same(store) > 0
    assert header(folder)["generation"] == read_stamp(folder).generation  # type: ignore[union-attr]


def test_a_killed_load_or_ingest_leaves_store_and_index_consistent(tmp_path: Path) -> None:
    folder = tmp_path / "store"
    data = tmp_path / "events.nt"
    write_ntriples(data, 3000, seed=5)
    build_store(folder, [data], validate=False)
    more = tmp_path / "more.nt"
    write_ntriples(more, 3000, seed=6)
    generation = read_stamp(folder).generation  # type: ignore[union-attr]

    # An append by load, killed once the new store and its index are built, before the swap.
    def built() -> bool:
        return any(tmp_path.glob(f".store.kg-tmp-*building/store/{INDEX_NAME}"))

    assert _kill_when(["load", "--store", str(folder), "--append", "--no-validate", str(more)], built) == -9
    _consistent(folder)
    assert read_stamp(folder).generation == generation  # type: ignore[union-attr]  # the old store

    # An ingest into the store in place, killed once it opened the store for writing.
    def writing() -> bool:
        stamp = read_stamp(folder)
        return stamp is not None and stamp.generation > generation

    assert _kill_when(["ingest", str(FIXTURES / "events.csv"), "--store", str(folder)], writing) == -9
    _consistent(folder)  # the index of the generation before is stale: rebuilt

    # An ingest killed while it writes the index: the old one (stale) stays, never half a file.
    def indexing() -> bool:
        return any(folder.glob(f".{INDEX_NAME}.kg-tmp-*"))

    status = _kill_when(["ingest", str(FIXTURES / "cameo-coded.csv"), "--store", str(folder)], indexing)
    _consistent(folder)
    assert status in (-9, 0)  # the window is milliseconds: the child may finish first
    assert not any(folder.glob(f".{INDEX_NAME}.kg-tmp-*"))  # a killed writer's file, removed by the rebuild
