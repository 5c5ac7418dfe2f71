"""Pair aggregates counted by a SPARQL server (kg._network.remote): the answers of the network index.

The same data is loaded twice: into a local store with its network index, and into a real
``oxigraph serve``. Every comparison asks both for one projection (random time cuts, filters,
folding, contested accounts, reports of one occurrence) and compares what the analyses read:
the pairs and their weights, degrees, the edges of a pair with their evidence, what a map reads
among its actors (links, claims, tones, tally of events and sources), the analyses' tables and
the maps, byte for byte.
"""

from __future__ import annotations

import datetime as dt
import io
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import matplotlib.pyplot as plt
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from benchmarks.synth import write_ntriples
from kg._analysis import MEASURES, balance, centrality, dyad, paths
from kg._analysis.base import network
from kg._bulkload import build_store
from kg._drawing import draw
from kg._errors import InputError
from kg._loading import data_files
from kg._network import PairNetwork, ProjectionOptions, RemotePairNetwork, pair_network, relation_types, remote_pairs
from kg._store import EndpointStore, OxigraphStore
from tests.conftest import oxigraph_server
from tests.test_netindex import occurrences

ROOT = Path(__file__).resolve().parent.parent
DAYS = st.one_of(st.none(), st.dates(min_value=dt.date(2019, 6, 1), max_value=dt.date(2024, 6, 1)).map(str))


def _data(folder: Path) -> list[Path]:
    """The seed report (claims, folded officials, open starts) and 400 synthetic events, some reported twice."""
    events = folder / "events.nt"
    write_ntriples(events, 400, seed=5)
    occurrences(events, 400, seed=5)
    return [*data_files(), events]


@pytest.fixture(scope="module")
def stores(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[OxigraphStore, EndpointStore]]:
    """The same data in a local store with its index and on a real ``oxigraph serve``."""
    folder = tmp_path_factory.mktemp("remote")
    files = _data(folder)
    build_store(folder / "local", files, validate=False)
    build_store(folder / "served", files, validate=False)
    with (
        OxigraphStore(folder / "local", read_only=True) as local,
        oxigraph_server(folder / "served") as base,
        EndpointStore(f"{base}/query", timeout=60) as endpoint,
    ):
        yield local, endpoint


def _both(stores: tuple[OxigraphStore, EndpointStore], options: ProjectionOptions) -> tuple[PairNetwork, PairNetwork]:
    local, endpoint = stores
    indexed = pair_network(local, options)
    assert indexed is not None
    return indexed, remote_pairs(endpoint, options)


def _pairs(found: PairNetwork, directed: bool) -> list[tuple[str, str, int]]:
    return sorted(found.weighted(directed=directed).edges(data="weight"))  # type: ignore[arg-type]


def _among(found: PairNetwork, nodes: list[str]) -> tuple[Any, ...]:
    among = found.among(nodes)
    return (
        sorted(among.kinds),
        sorted(among.claims),
        among.tones,
        len(among.events),
        len(among.standing),
        len(among.sources),
        _named(among.sources),
        among.first,
        among.last,
    )


def _named(sources: Any) -> list[str]:
    """The sources a map names: all of up to three, else the least and the greatest (kg._drawing._frame)."""
    ordered = sorted(sources)
    return ordered if len(ordered) <= 3 else [ordered[0], ordered[-1]]


def test_the_server_sends_pairs_not_events(stores: tuple[OxigraphStore, EndpointStore]) -> None:
    indexed, remote = _both(stores, ProjectionOptions(fold=False))
    assert isinstance(remote, RemotePairNetwork)
    assert remote.number_of_edges() == indexed.number_of_edges() > 400
    assert len(remote.table) < remote.number_of_edges()  # rows of several edges
    assert int(remote.table.weight.max()) > 1


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
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
    chosen=st.lists(st.integers(0, 10_000), min_size=2, max_size=12),
)
def test_random_cuts_and_filters_give_the_pairs_of_the_index(
    stores: tuple[OxigraphStore, EndpointStore],
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
    chosen: list[int],
) -> None:
    if since and until and since > until:
        since, until = until, since
    names = sorted(relation_types(stores[0]))
    options = ProjectionOptions.of(
        None,
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
    indexed, remote = _both(stores, options)
    assert remote.nodes == indexed.nodes
    assert remote.graph == indexed.graph
    assert remote.number_of_edges() == indexed.number_of_edges()
    assert remote.degree() == indexed.degree()
    assert remote.before_evidence() == indexed.before_evidence()
    for directed in (True, False):
        assert _pairs(remote, directed) == _pairs(indexed, directed)
    nodes = sorted(indexed.nodes)
    if not nodes:
        return
    some = sorted({nodes[i % len(nodes)] for i in chosen})
    assert _among(remote, some) == _among(indexed, some)
    assert _among(remote, nodes) == _among(indexed, nodes)
    u, v = some[0], some[-1]
    for directed in (True, False):
        assert remote.edges_between(u, v, directed=directed, limit=4) == indexed.edges_between(
            u, v, directed=directed, limit=4
        )


def _answers(store: Any, a: str, b: str, directed: bool, options: dict[str, Any]) -> Any:
    """The tables of the analyses that read pairs: paths, every centrality, the dyad, balance."""
    found = paths(store, a, b, max_hops=2, directed=directed, limit=10, evidence=3, **options)
    ranked = [centrality(store, measure=m, **options).rows for m in MEASURES]
    signed = balance(store, **options).as_dict()
    return found.table().title, found.table().rows, ranked, dyad(store, a, b, **options).rows, signed


@settings(max_examples=8, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    ends=st.tuples(st.integers(0, 10_000), st.integers(0, 10_000)),
    as_of=DAYS,
    claims=st.booleans(),
    fold=st.booleans(),
    directed=st.booleans(),
)
def test_analyses_on_a_server_give_the_answers_of_the_index(
    stores: tuple[OxigraphStore, EndpointStore],
    ends: tuple[int, int],
    as_of: str | None,
    claims: bool,
    fold: bool,
    directed: bool,
) -> None:
    local, endpoint = stores
    nodes = sorted(pair_network(local, ProjectionOptions(fold=False)).nodes)  # type: ignore[union-attr]
    a, b = nodes[ends[0] % len(nodes)], nodes[ends[1] % len(nodes)]
    if a == b:
        return
    options: dict[str, Any] = {"as_of": as_of, "claims": claims, "fold": fold}
    assert isinstance(network(endpoint, ProjectionOptions(**options)).pairs, RemotePairNetwork)
    try:
        indexed = _answers(local, a, b, directed, options)
    except InputError as exc:  # the same actor once folded: the same error from the server
        with pytest.raises(InputError, match="same actor"):
            _answers(endpoint, a, b, directed, options)
        assert "same actor" in str(exc)
        return
    assert _answers(endpoint, a, b, directed, options) == indexed


def _png(figure: Any) -> bytes:
    buffer = io.BytesIO()
    figure.savefig(buffer, format="png", dpi=60, metadata={"Software": None})
    plt.close(figure)
    return buffer.getvalue()


@pytest.mark.parametrize(
    "view",
    [
        {"top": 12},
        {"top": 30, "measure": "pagerank", "since": "2020-01-01", "until": "2022-06-30"},
        {"view": "ego", "focus": "Turkey", "hops": 1},
        {"fold": False, "as_of": "2023-10-19"},  # the report's actors: claims, sources named
    ],
)
def test_a_map_from_a_server_is_the_map_of_the_index(
    stores: tuple[OxigraphStore, EndpointStore], view: dict[str, Any]
) -> None:
    from kg._drawing._nodes import _projected_pairs

    local, endpoint = stores
    chosen = ProjectionOptions(**{k: v for k, v in view.items() if k in ProjectionOptions.__dataclass_fields__})
    assert isinstance(_projected_pairs(endpoint, chosen, None)[0], RemotePairNetwork)
    assert _png(draw(endpoint, width=9, height=6, **view)) == _png(draw(local, width=9, height=6, **view))


def test_the_command_line_on_a_server_answers_as_on_the_store(stores: tuple[OxigraphStore, EndpointStore]) -> None:
    local, endpoint = stores

    def kg(*argv: str) -> str:
        argv = (sys.executable, "-m", "kg", *argv)
        done = subprocess.run(argv, capture_output=True, text=True, cwd=ROOT, check=False)
        assert done.returncode == 0, done.stderr
        return done.stdout

    for command in (["centrality", "--measure", "betweenness"], ["path", "Israel", "Hamas", "--directed"], ["balance"]):
        assert kg("--endpoint", endpoint.query_url, *command) == kg("--store", str(local.path), *command)


def test_the_evidence_of_pairs_is_the_same_found_from_either_end(stores: tuple[OxigraphStore, EndpointStore]) -> None:
    from kg._network.rows import read_rows

    local, endpoint = stores
    every = read_rows(local)
    pairs = sorted({(row[2], row[3]) for rows in every.values() for row in rows})[::7]  # type: ignore[misc]
    assert len(pairs) > 20
    wanted = {item: rows for item, rows in every.items() if any((r[2], r[3]) in pairs for r in rows)}

    def rows(found: dict[str, list[Any]]) -> dict[str, list[str]]:
        return {item: sorted(map(repr, r)) for item, r in found.items()}

    from_actor = rows(read_rows(endpoint, pairs))
    assert from_actor == rows(read_rows(endpoint, pairs, from_target=pairs[::2])) == rows(read_rows(local, pairs))
    assert sorted(from_actor) == sorted(wanted)
    assert read_rows(endpoint, []) == {}


@pytest.mark.parametrize("lookups", [0, 10**9], ids=["one pass over every item", "the items of each pair"])
def test_a_map_tally_reads_every_item_or_each_pairs_as_the_index_counts(
    stores: tuple[OxigraphStore, EndpointStore], lookups: int, monkeypatch: pytest.MonkeyPatch
) -> None:
    import kg._network.remote

    monkeypatch.setattr(kg._network.remote, "_LOOKUPS", lookups)
    options = ProjectionOptions(fold=False, until=dt.date(2023, 10, 20))
    indexed, remote = _both(stores, options)
    nodes = sorted(indexed.nodes)
    for some in (nodes, nodes[::5], nodes[:2]):
        assert _among(remote, some) == _among(indexed, some)


def test_a_query_too_long_to_parse_here_is_sent_and_the_server_judges_it(
    stores: tuple[OxigraphStore, EndpointStore],
) -> None:
    from kg._errors import QueryError
    from kg._store._sparql import CHECKED_LENGTH

    _, endpoint = stores
    many = " ".join(f"<urn:x:{i}>" for i in range(CHECKED_LENGTH // 10))
    query = f"# ASK {{ }}\nSELECT (COUNT(*) AS ?n) WHERE {{ VALUES ?x {{ {many} }} }}"
    assert len(query) > CHECKED_LENGTH
    assert endpoint.query(query).rows[0][0].toPython() == CHECKED_LENGTH // 10
    with pytest.raises(QueryError, match="refused"):
        endpoint.query(query.replace("WHERE", "WHERE WHERE"))


def test_balance_reads_the_pairs_not_every_edge(
    stores: tuple[OxigraphStore, EndpointStore], monkeypatch: pytest.MonkeyPatch
) -> None:
    local, endpoint = stores
    monkeypatch.setenv("KG_NETINDEX", "0")  # every edge, through the projection
    assert network(local, ProjectionOptions(fold=False)).pairs is None
    plain = balance(local, fold=False).as_dict()
    monkeypatch.delenv("KG_NETINDEX")

    def every_edge(self: PairNetwork) -> None:
        raise AssertionError("balance built every edge")

    monkeypatch.setattr(PairNetwork, "multigraph", every_edge)
    assert plain["triads"] > 0 and plain["signed_pairs"] > 0
    assert balance(local, fold=False).as_dict() == plain == balance(endpoint, fold=False).as_dict()
